/* One pass over a conference's talks with the user's data on each (status,
 * rating, takeaways): one query, no query per talk. For readers of many
 * rows (export); the panes use model.h.
 *
 * Ownership: talk_iter_open allocates the iterator, talk_iter_close frees
 * it. The strings in the item returned by talk_iter_next belong to the
 * iterator and stay valid until the next call to talk_iter_next or close.
 * note_list results are freed with note_list_free.
 */
#ifndef LANYARD_TALK_ITER_H
#define LANYARD_TALK_ITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "lanyard/error.h"
#include "lanyard/store.h"

/* talk_filter.statuses: a set of bits, one per enum talk_status. */
#define TALK_SET(s) (1u << (s))
#define TALK_SET_ALL (TALK_SET(STATUS_NONE) | TALK_SET(STATUS_PLANNED) | \
                      TALK_SET(STATUS_ATTENDED) | TALK_SET(STATUS_SKIPPED))

struct talk_filter {
	int64_t conf;
	const char *day;        /* conference day 'YYYY-MM-DD'; NULL = every day */
	unsigned statuses;      /* TALK_SET bits; 0 means TALK_SET_ALL */
	int min_rating;         /* 1-5: only talks rated at least this; 0 = any */
	bool with_removed;      /* also talks gone from the schedule (they always
	                           come when they carry user data) */
};

struct talk_item {
	int64_t id;
	const char *key, *title, *room, *track, *type, *speakers, *abstract, *url;
	const char *start, *end, *day;  /* "" when unscheduled */
	bool removed;
	enum talk_status status;
	int rating;                     /* 0 = none */
	const char *takeaways;          /* "" when none */
};

struct talk_iter;

/* Talks in time order (unscheduled last); talks at the same time in the
 * order the schedule listed them. */
int talk_iter_open(struct store *st, const struct talk_filter *f, struct talk_iter **out,
                   struct ly_error *err);
/* *item = the next talk, or NULL at the end. */
int talk_iter_next(struct talk_iter *it, const struct talk_item **item, struct ly_error *err);
void talk_iter_close(struct talk_iter *it);

struct note_item {
	char *scope;    /* 'overall', 'booths' or a day 'YYYY-MM-DD' */
	char *body;
};
struct note_list {
	struct note_item *items;
	size_t n;
};

/* The conference's non-empty notes: overall, booths, then the days in order. */
int note_list_load(struct store *st, int64_t conf, struct note_list *out, struct ly_error *err);
void note_list_free(struct note_list *l);
/* The body of scope in l, or NULL. */
const char *note_list_get(const struct note_list *l, const char *scope);

/* What export needs of the conference row beyond struct conf. */
struct conf_info {
	char name[256];
	char tz[128];           /* IANA zone given at import, "" when none */
	char first_day[11], last_day[11]; /* "" when nothing is scheduled */
};
int talk_iter_conf_info(struct store *st, int64_t conf, struct conf_info *out, struct ly_error *err);

/* Every conference's name, the most recently imported first. */
int talk_iter_conf_names(struct store *st, void (*fn)(void *ctx, const char *name), void *ctx,
                         struct ly_error *err);

#endif
