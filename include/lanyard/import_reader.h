/* Import stage 1, the CSV reader: bytes -> decoded records with their line
 * numbers. Knows encodings (UTF-8 with or without BOM, UTF-16 with a BOM or
 * by its zero bytes, lines that are not UTF-8 read as Windows-1252, with one
 * warning), line ends (LF, CRLF, CR, mixed), the delimiter (sniffed from the
 * first record: , ; or TAB) and CSV quoting (libcsv, strict, recovering from
 * stray quotes as a forgiving reader does). Knows nothing of columns,
 * talks or the store.
 *
 * Bounded: the file is read in 1 MB blocks; a line or a record longer than
 * READER_REC_MAX bytes fails the import with a message, and NUL bytes
 * anywhere in a block fail it as binary data as soon as that block is read
 * (so /dev/zero stops at once). Blank lines before the first record are
 * skipped; a first line holding control characters is binary data.
 *
 * Each record (the header included) is passed to fn; its fields and the
 * record itself are borrowed for the call only. A record keeps at most
 * READER_MAX_FIELDS fields; non-empty fields past that are only counted
 * (overflow). fn returns LY_OK to go on, anything else stops the read. */
#ifndef LANYARD_IMPORT_READER_H
#define LANYARD_IMPORT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lanyard/import_log.h"

#define READER_REC_MAX (16u << 20)
#define READER_MAX_FIELDS 4097

struct reader_rec {
	size_t n;                /* fields kept */
	const char *const *f;    /* NUL-terminated field texts (untrimmed) */
	const size_t *len;
	size_t overflow;         /* non-empty fields past READER_MAX_FIELDS */
	long line;               /* the physical line the record starts on */
};

struct reader_stats {
	bool any_text;           /* something other than blank lines */
	long lines;              /* physical lines read */
	long records;            /* records passed to fn */
	char delim;
};

typedef int (*reader_fn)(void *ctx, const struct reader_rec *rec);

/* Read all of f (opened "rb"; the caller closes it). Returns lg->rc. */
int reader_run(FILE *f, struct imp_log *lg, reader_fn fn, void *ctx, struct reader_stats *stats);

#endif
