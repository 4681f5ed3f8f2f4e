/* Import stage 3, normalisation: one record's fields -> one struct talk_in.
 *
 * Knows nothing of files or SQL: it reads cells through the mapping and
 * turns them into what the store keeps. Text is trimmed and HTML entities
 * (&amp; &#x27; ...) are decoded; speakers are split on , ; | and line
 * breaks, merged with first and last names, de-duplicated and capped at
 * NORM_SPEAKERS_MAX per talk (in time linear in the cell). Dates and times
 * go through dateparse.c; zoned ISO 8601 values are converted to the
 * conference's zone (--tz, else the offset of the first zoned value); a
 * time with no date goes on --first-day, and without it one message at the
 * header line names the option. Day/month order: evidence is gathered over
 * the file; each talk with an ambiguous date carries its other reading, and
 * norm_order() says at the end which one holds.
 *
 * A talk's key: its id when it has one, else a slug of its title plus a
 * hash of its speakers, which the sink uses to tell repeats apart.
 *
 * Ownership: the strings in a talk_in belong to the normaliser and live
 * until the next norm_row(). */
#ifndef LANYARD_IMPORT_NORM_H
#define LANYARD_IMPORT_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lanyard/import.h"
#include "lanyard/import_log.h"
#include "lanyard/import_map.h"
#include "lanyard/import_reader.h"

#define TALK_SLUG_MAX 48
#define NORM_SPEAKERS_MAX 100

struct talk_in {
	long line;
	bool merging;            /* a later row of an id seen before: adds speakers */
	const char *id;          /* "" when the file has none */
	const char *title, *room, *track, *type, *speakers, *abstract, *url;
	size_t id_len, title_len, room_len, track_len, type_len, speakers_len, abstract_len, url_len;
	bool scheduled;
	char start[17], end[17], day[11];   /* 'YYYY-MM-DD HH:MM'; end "" = unknown */
	bool alt;                           /* an ambiguous date: the other reading */
	enum date_order ord;                /* the order start/end were read in */
	bool alt_scheduled;
	char astart[17], aend[17], aday[11];
	char slug[TALK_SLUG_MAX + 1];       /* title slug, for talks without an id */
	uint32_t sph;                       /* hash of the speakers, case folded */
};

struct norm;

/* LY_USAGE when --first-day is not a date or --tz not a zone. */
int norm_new(struct norm **out, const struct import_opts *o, const struct imp_map *m, struct imp_log *lg);
void norm_free(struct norm *n);

enum norm_result { NORM_TALK, NORM_SKIP, NORM_FAIL };
enum norm_result norm_row(struct norm *n, const struct reader_rec *r, struct talk_in *out);

/* After the last row: the day/month order the file's dates are in. */
enum date_order norm_order(const struct norm *n);
/* The conference's zone as "+HH:MM" (or --tz as given); "" when no value
 * had a zone and no --tz was given. */
const char *norm_zone(const struct norm *n);
/* How a date/time field's values were written, for the dry run:
 * "12-hour, month/day/year", "ISO 8601, +00:00", "" when nothing seen. */
void norm_describe(const struct norm *n, enum imp_field f, char *out, size_t outlen);

/* Speakers cells: by default names are separated by , ; | or line breaks.
 * norm_speakers_style says whether a cell looks like entries separated by
 * ; | or line breaks that hold commas ("Name, Job title, Company; ...":
 * 1) or gives no sign (0); norm_speaker_entries makes the normaliser read
 * every speakers cell so: an entry "Name, ..., Company" becomes
 * "Name (Company)". */
int norm_speakers_style(const char *cell, size_t len);
void norm_speaker_entries(struct norm *n);

/* A 64-bit hash of n bytes (FNV-1a, never 0): what ids and keys are told
 * apart by while reading. */
uint64_t norm_hash64(const char *s, size_t n);

/* "A, B" + "B, C" -> "A, B, C"; malloc'd, NULL when out of memory. At most
 * NORM_SPEAKERS_MAX names: *capped (when not NULL) says some were left out. */
char *norm_speakers_merge(const char *a, const char *b, bool *capped);

#endif
