/* Helpers shared by the unit tests: temporary directories and files, a
 * fresh store, a database fingerprint to prove a failed import changed
 * nothing. Everything returned is malloc'd unless said otherwise. */
#ifndef LANYARD_TESTUTIL_H
#define LANYARD_TESTUTIL_H

#include <stddef.h>

#include "lanyard/import_reader.h"
#include "lanyard/store.h"

/* A new empty directory under $TMPDIR (or /tmp); removed by tu_cleanup(). */
const char *tu_tmpdir(void);
/* Write len bytes (len = (size_t)-1: strlen) to a file in tu_tmpdir(); returns its path. */
char *tu_write(const char *name, const char *data, size_t len);
/* Path of a fixture: tests/data/NAME (relative to the repository root). */
char *tu_data(const char *name);
/* A fresh store in tu_tmpdir() named name. */
struct store *tu_store(const char *name);
/* A text dump of every table (schema and rows, user data included), to
 * compare before and after an operation that must change nothing. */
char *tu_fingerprint(struct store *st);
/* Remove tu_tmpdir() and everything in it. */
void tu_cleanup(void);

/* The first column of the first row of a query (printf-style with %Q);
 * "NULL" for NULL, "(none)" for no row, "(error: ...)" when the SQL fails,
 * so a comparison with the expected value fails and shows why. */
char *tu_query(struct store *st, const char *fmt, ...);

/* Messages an import stage sends (its on_msg): each on a line of text,
 * which keeps what fits. */
struct tu_msgs {
	char text[32768];
	size_t len;
};
void tu_collect(void *ctx, const char *msg);

/* A reader record made from a '|'-separated line, as the import's reader
 * would hand it on: zero-initialise, reuse, then tu_rec_free. */
#define TU_REC_MAX 16
struct tu_rec {
	char *buf;
	const char *f[TU_REC_MAX];
	size_t len[TU_REC_MAX];
	struct reader_rec r;
};
const struct reader_rec *tu_rec(struct tu_rec *k, long line, const char *cells);
void tu_rec_free(struct tu_rec *k);

#ifdef fail_msg /* cmocka.h is included: the check itself */
#define EXPECT(st, want, ...)                                                                         \
	do {                                                                                           \
		char *got_ = tu_query(st, __VA_ARGS__);                                                \
		if (strcmp(got_, want) != 0)                                                           \
			fail_msg("%s:%d: got '%s', want '%s'", __FILE__, __LINE__, got_, (const char *)(want)); \
		free(got_);                                                                            \
	} while (0)
#endif

#endif
