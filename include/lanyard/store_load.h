/* Loading a schedule into the store: the one writer of the talk table's
 * schedule columns. The importer decides what the rows are (their keys
 * included); the store decides how they are written.
 *
 *   store_load_begin  opens the transaction and the conference;
 *   store_load_rows   writes a batch of rows; it touches only the
 *                     connection and the load's own statements, so it may
 *                     run on a second thread while the next batch fills;
 *   store_load_end    settles what only the whole file tells (the day/month
 *                     order of ambiguous dates, the keys of talks whose
 *                     title repeats), folds a re-import into the existing
 *                     conference (matched by key: updated in place, added,
 *                     marked removed; only changed rows written), indexes
 *                     search and commits;
 *   store_load_free   rolls back whatever was not committed.
 *
 * A new conference's talks go straight into talk; a re-import is staged in
 * a temporary table (temp.stage) and merged at the end.
 *
 * A plan (load_opts.plan) works out the same report and notes and writes
 * nothing to the database: every row is staged in temporary tables, the
 * transaction only reads, so it never waits for another writer and a
 * read-only database serves.
 */
#ifndef LANYARD_STORE_LOAD_H
#define LANYARD_STORE_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lanyard/error.h"
#include "lanyard/store.h"

/* The strings of a row, as offsets into its batch's text (LOAD_NULL for
 * SQL NULL). */
enum load_str {
	LS_KEY, LS_TITLE, LS_START, LS_END, LS_DAY, LS_ROOM, LS_TRACK, LS_TYPE, LS_SPEAKERS,
	LS_ABSTRACT, LS_URL,
	LS_SLUG,    /* the title's slug, for rows whose key is settled at the end */
	LS_SPH,     /* six hex digits of the speakers' hash */
	LS_FSPH,    /* the same, of the earlier talk holding LS_SLUG */
	LS_PROV,    /* a provisional key for that earlier talk */
	LS_ASTART, LS_AEND, LS_ADAY,   /* the other day/month reading */
	LS_N
};

#define LOAD_NULL SIZE_MAX

enum load_pre {
	LOAD_PRE_NONE,
	LOAD_PRE_FIX_FIRST,   /* the talk holding LS_SLUG has its key settled at the end */
	LOAD_PRE_CLASH        /* and takes LS_PROV now (this row's id is that slug) */
};

struct load_rec {
	size_t off[LS_N];
	unsigned len[LS_N];
	int64_t line, seq;
	unsigned char upsert;    /* keyed by an id: a repeated key merges into the talk */
	unsigned char pre;       /* enum load_pre */
	unsigned char fix;       /* this talk's key is settled at the end (its slug repeats) */
	unsigned char alt;       /* LS_ASTART.. hold the other day/month reading */
	unsigned char merging;   /* a later row of a key seen before */
	unsigned char ord;       /* the day/month order this row was read in */
};

struct load_batch {
	const char *text;
	const struct load_rec *r;
	size_t n;
};

/* A talk the user planned or attended that moved (from/to: start stamp or
 * NULL, and room) or is gone from the schedule. */
struct load_note {
	const char *status, *title;
	bool gone;
	const char *from_start, *from_room, *to_start, *to_room;
};

struct load_opts {
	const char *conf_name;
	const char *source;      /* remembered as the conference's source */
	bool plan;               /* write nothing; report what would change */
	bool big;                /* many rows: worth rearranging the store for */
	/* Merge the speakers of two rows of the talk with key; the result is
	 * malloc'd, NULL when out of memory. line is the later row's. */
	char *(*merge_speakers)(void *ctx, const char *a, const char *b, const char *key, int64_t line);
	void (*note)(void *ctx, const struct load_note *n);
	void *ctx;
};

struct load_report {
	int64_t conf_id;         /* 0 for a plan of a new conference */
	int talks, unscheduled, added, updated, moved, removed, unchanged;
};

struct store_load;

int store_load_begin(struct store *st, const struct load_opts *o, struct store_load **out,
                     struct ly_error *err);
int store_load_rows(struct store_load *ld, const struct load_batch *b, struct ly_error *err);
/* order: the day/month order ambiguous dates are read in (rows with alt and
 * another ord take their other reading); zone: the conference's zone or
 * "". LY_NOTFOUND (nothing written) when no talk was loaded. */
int store_load_end(struct store_load *ld, int order, const char *zone, struct load_report *rep,
                   struct ly_error *err);
void store_load_free(struct store_load *ld);

/* ---- restoring a lanyard export ------------------------------------------- */

/* The conference a restore goes into, made if missing (a conference that
 * exists keeps its source: updates come from the organisers' schedule, not
 * from the backup; an empty zone takes tz). *seq is its last talk's seq. */
int store_restore_conf(struct store *st, const char *name, const char *source, const char *tz,
                       int64_t *conf, int64_t *seq, struct ly_error *err);

/* One talk of a restore. A new key comes in whole; a talk the conference
 * has gets only the fields it lacks. Strings are "" when empty; start, end
 * and day "" for unscheduled. */
struct restore_talk {
	const char *key, *title, *start, *end, *day, *room, *track, *type, *speakers, *abstract, *url;
	bool removed;
	int64_t line, seq;
};
/* *id is the talk's; *added whether it is new, *changed whether anything
 * was written. */
int store_restore_talk(struct store *st, int64_t conf, const struct restore_talk *t, int64_t *id,
                       bool *added, bool *changed, struct ly_error *err);

/* Rebuild search over every talk (after a restore brought some in). */
int store_search_rebuild(struct store *st, struct ly_error *err);

#endif
