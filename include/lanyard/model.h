/* Schedule queries: what each pane, view and command shows. Read-only; the
 * store does the writing. One query per pane: nothing here loads the whole
 * schedule unless asked for all of it.
 *
 * Ownership: every *_list / talk_rows result is allocated here and released
 * with its matching *_free; strings inside belong to the result.
 */
#ifndef LANYARD_MODEL_H
#define LANYARD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lanyard/error.h"
#include "lanyard/store.h"

/* talk_row.flags */
#define TALK_CLASH       0x01u /* planned/attended and overlaps another planned/attended talk */
#define TALK_REMOVED     0x02u /* gone from the latest schedule import */
#define TALK_MOVED       0x04u /* time or room changed in the latest import */
#define TALK_NOTES       0x08u /* has takeaways */
#define TALK_UNSCHEDULED 0x10u

struct day_item {
	char day[11];      /* 'YYYY-MM-DD'; "" for unscheduled talks */
	char label[16];    /* "Wed 18 May" or "Unscheduled" */
	int talks;
};

struct day_list {
	struct day_item *items;
	size_t n;
};

struct track_item {
	char *name;        /* NULL for the first item, "All tracks" */
	int talks;
};

struct track_list {
	struct track_item *items;
	size_t n;
};

struct talk_row {
	int64_t id;
	char start[17], end[17];   /* '' when unscheduled */
	char *key, *title, *room, *track, *speakers, *type; /* as stored: sanitise before drawing */
	enum talk_status status;
	int rating;                /* 0 = none */
	unsigned flags;
};

struct talk_rows {
	struct talk_row *rows;
	size_t n;
};

enum talk_order { ORDER_TIME = 0, ORDER_RATING };

struct talk_query {
	int64_t conf;
	const char *day;        /* conference day 'YYYY-MM-DD'; "" = unscheduled; NULL = all */
	const char *track;      /* NULL = all tracks */
	const char *search;     /* words; prefix match on each (FTS5), NULL = none */
	enum talk_status status;/* STATUS_NONE = any */
	bool mine;              /* planned or attended only */
	bool rated;             /* rated only */
	bool all_removed;       /* include removed talks even without user data */
	enum talk_order order;
	size_t limit;           /* at most this many rows; 0 = all. With a search,
	                         * the first matches found, then sorted by time */
	size_t offset;          /* with limit: skip this many first */
};

struct talk_detail {
	int64_t id;
	char start[17], end[17];
	char day[11];
	char *key, *title, *room, *track, *type, *speakers, *abstract, *url, *takeaways;
	char *prev_start, *prev_room;  /* where a moved talk was; NULL if not moved */
	enum talk_status status;
	int rating;
	unsigned flags;
	char **clashes;         /* titles of the planned/attended talks this one overlaps */
	size_t nclashes;
};

int model_days(struct store *st, int64_t conf, struct day_list *out, struct ly_error *err);
void model_days_free(struct day_list *l);

/* Tracks on a day (NULL = every day), "All tracks" first, with counts. */
int model_tracks(struct store *st, int64_t conf, const char *day, struct track_list *out, struct ly_error *err);
void model_tracks_free(struct track_list *l);

int model_talks(struct store *st, const struct talk_query *q, struct talk_rows *out, struct ly_error *err);
void model_rows_free(struct talk_rows *r);

/* The same talks, one at a time, without holding them: fn sees each row
 * with strings borrowed for the call only; a non-zero return stops. */
typedef int (*model_row_fn)(void *ctx, const struct talk_row *row);
int model_talks_each(struct store *st, const struct talk_query *q, model_row_fn fn, void *ctx,
                     struct ly_error *err);

/* A search's first page and how many match, up to cap, in one pass over
 * the search index (q->limit rows kept: the first cap matches found,
 * sorted by time). Other queries: model_talks, then a count when the page
 * is full. */
int model_talks_counted(struct store *st, const struct talk_query *q, int cap, struct talk_rows *out,
                        int *total, struct ly_error *err);

/* How many talks q matches, limit and offset aside. */
int model_talks_count(struct store *st, const struct talk_query *q, int *n, struct ly_error *err);
/* The same, counting no further than cap (cap > 0): a search matching most
 * of a large schedule says "cap or more" at once instead of counting all. */
int model_talks_count_upto(struct store *st, const struct talk_query *q, int cap, int *n,
                           struct ly_error *err);

/* A long list read a page at a time: a row is fetched when first asked
 * for, with the page around it, so a day of 25,000 talks costs what the
 * screen shows. The query is copied (its strings too); total is counted
 * once at open. After a change to the user's data, talk_window_refresh
 * drops the page (flags and marks are read again), talk_window_reload
 * also counts the list again.
 * Rows returned belong to the window: valid until the next call on it. */
struct talk_window {
	struct talk_query q;
	int total;
	size_t first;              /* list index of page.rows[0] */
	struct talk_rows page;
};
int talk_window_open(struct store *st, const struct talk_query *q, struct talk_window *w,
                     struct ly_error *err);
/* The same when the caller knows how long the list is (the count of the
 * day or track it shows, which model_days and model_tracks give with the
 * same rules); total < 0 counts. */
int talk_window_open_sized(struct store *st, const struct talk_query *q, int total,
                           struct talk_window *w, struct ly_error *err);
/* Row i of the list (0-based); NULL past the end or on error (err set). */
const struct talk_row *talk_window_row(struct store *st, struct talk_window *w, size_t i,
                                       struct ly_error *err);
/* Rows i .. i + n - 1 side by side (n at most 128, cut at the end of the
 * list): what a pane shows, for measuring columns over it. */
const struct talk_row *talk_window_span(struct store *st, struct talk_window *w, size_t i, size_t n,
                                        struct ly_error *err);
/* Forget the page held, so rows are read again (after a mark). */
void talk_window_refresh(struct talk_window *w);
/* In a day's list: the first talk still running or yet to start at now
 * ('YYYY-MM-DD HH:MM'), all-day items (four hours or more) aside. */
int talk_window_find_now(struct store *st, struct talk_window *w, const char *now, size_t *index,
                         struct ly_error *err);
/* Where talk id stands in the list: LY_OK with *index, or LY_NOTFOUND. */
int talk_window_find(struct store *st, struct talk_window *w, int64_t id, size_t *index,
                     struct ly_error *err);
int talk_window_reload(struct store *st, struct talk_window *w, struct ly_error *err);
void talk_window_free(struct talk_window *w);

int model_talk(struct store *st, int64_t id, struct talk_detail *out, struct ly_error *err);
void model_talk_free(struct talk_detail *d);

/* Counts for the status line and the review. */
struct counts {
	int talks, planned, attended, skipped, rated, clashes;
	int stars[6];           /* stars[r]: talks rated r (1-5) */
};
int model_counts(struct store *st, int64_t conf, struct counts *out, struct ly_error *err);

/* Talks (not removed, not this one) whose time overlaps talk id: the
 * alternatives when a room is full. Sorted by start, room. */
int model_concurrent(struct store *st, int64_t id, struct talk_rows *out, struct ly_error *err);
/* Only how many there are. */
int model_concurrent_count(struct store *st, int64_t id, int *n, struct ly_error *err);

/* What runs at minute `now` (start <= now < end) and what starts next (the
 * talks starting in the hour after now, or at the next start time if
 * nothing starts within the hour). Planned/attended talks first in each. */
int model_now_next(struct store *st, int64_t conf, int64_t now, struct talk_rows *now_rows,
                   struct talk_rows *next_rows, struct ly_error *err);

struct track_rating {
	char *track;
	double average;
	int rated;
};
struct track_ratings {
	struct track_rating *items;
	size_t n;
};
/* Average rating per track over rated talks, best first. */
int model_track_ratings(struct store *st, int64_t conf, struct track_ratings *out, struct ly_error *err);
void model_track_ratings_free(struct track_ratings *l);

/* Turn what a user typed into an FTS5 query: each word becomes a quoted
 * prefix term ("word"*), all must match. Returns NULL for no words; malloc'd. */
char *model_fts_query(const char *typed);

/* Two intervals clash when they overlap; touching ends do not clash. */
bool model_overlaps(const char *s1, const char *e1, const char *s2, const char *e2);

#endif
