#include "lanyard/model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"

/* A talk is shown when it is in the schedule, or when it is gone from the
 * schedule but the user has data on it. */
#define VISIBLE \
	"(t.removed = 0 OR EXISTS (SELECT 1 FROM mark mv WHERE mv.talk_id = t.id AND" \
	" (mv.status IS NOT NULL OR mv.rating IS NOT NULL OR mv.takeaways <> '')))"

#define MINE(m) "(" m ".status IN ('planned', 'attended'))"

/* Overlaps another planned/attended talk still in the schedule. SQLite
 * evaluates both sides of an AND in a result column, so the CASE is what
 * keeps the subquery to the user's own talks; and the subquery walks the
 * user's talks from mark.status (CROSS JOIN fixes that order), never the
 * schedule. Cost per row: nothing for most talks, the user's few dozen
 * marks for their own. */
#define CLASH_EXPR \
	"(CASE WHEN " MINE("m") " AND t.removed = 0 AND t.start IS NOT NULL AND t.end IS NOT NULL" \
	" THEN EXISTS (SELECT 1 FROM mark m2 CROSS JOIN talk t2 ON t2.id = m2.talk_id" \
	" WHERE " MINE("m2") " AND t2.conf_id = t.conf_id AND t2.id <> t.id AND t2.removed = 0" \
	" AND t2.start < t.end AND t2.end > t.start) ELSE 0 END)"

/* The columns row_view() reads, in order (t.seq last, for sorting). */
#define ROW_COLUMNS \
	"SELECT t.id, COALESCE(t.start, ''), COALESCE(t.end, ''), t.key, t.title, t.room," \
	" t.track, t.speakers, t.type, m.status, COALESCE(m.rating, 0), t.removed, t.change," \
	" COALESCE(m.takeaways, '') <> '', " CLASH_EXPR ", t.seq"
#define TALK_FROM " FROM talk t LEFT JOIN mark m ON m.talk_id = t.id"
#define ROW_SELECT ROW_COLUMNS TALK_FROM

static int db_fail(struct store *st, struct ly_error *err)
{
	return ly_fail(err, "%s: %s", store_path(st), sqlite3_errmsg(store_db(st)));
}

static char *col_dup(sqlite3_stmt *s, int col)
{
	const unsigned char *v = sqlite3_column_text(s, col);
	return strdup(v ? (const char *)v : "");
}

static void col_copy(char *dst, size_t len, sqlite3_stmt *s, int col)
{
	const unsigned char *v = sqlite3_column_text(s, col);
	snprintf(dst, len, "%s", v ? (const char *)v : "");
}

/* Grow *items (of size elem) to hold at least need entries. */
static int grow(void **items, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	void *p = realloc(*items, ncap * elem);
	if (!p)
		return -1;
	*items = p;
	*cap = ncap;
	return 0;
}

int model_days(struct store *st, int64_t conf, struct day_list *out, struct ly_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
		"SELECT COALESCE(t.day, ''), count(*) FROM talk t WHERE t.conf_id = ?1 AND " VISIBLE
		" GROUP BY t.day ORDER BY t.day IS NULL, t.day", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (grow((void **)&out->items, &cap, out->n + 1, sizeof *out->items)) {
			sqlite3_reset(s);
			model_days_free(out);
			return ly_fail(err, "out of memory");
		}
		struct day_item *d = &out->items[out->n++];
		col_copy(d->day, sizeof d->day, s, 0);
		d->talks = sqlite3_column_int(s, 1);
		if (d->day[0])
			ltime_day_label(d->day, d->label, sizeof d->label);
		else
			snprintf(d->label, sizeof d->label, "Unscheduled");
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		model_days_free(out);
		return db_fail(st, err);
	}
	return LY_OK;
}

void model_days_free(struct day_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

int model_tracks(struct store *st, int64_t conf, const char *day, struct track_list *out, struct ly_error *err)
{
	memset(out, 0, sizeof *out);
	/* One statement per shape, so that a day's tracks are read from the
	 * talk_day_track index range of that day alone. */
#define TRACKS_SQL(cond) \
	"SELECT t.track, count(*) FROM talk t WHERE t.conf_id = ?1" cond " AND " VISIBLE \
	" GROUP BY t.track ORDER BY t.track = '', t.track COLLATE NOCASE"
	sqlite3_stmt *s = store_stmt(st, !day ? TRACKS_SQL("") : day[0] ? TRACKS_SQL(" AND t.day = ?2")
	                                                                : TRACKS_SQL(" AND t.day IS NULL"), err);
#undef TRACKS_SQL
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	if (day && day[0])
		sqlite3_bind_text(s, 2, day, -1, SQLITE_TRANSIENT);
	size_t cap = 0;
	int total = 0, rc;
	if (grow((void **)&out->items, &cap, 1, sizeof *out->items)) {
		sqlite3_reset(s);
		return ly_fail(err, "out of memory");
	}
	out->items[0].name = NULL;
	out->n = 1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (grow((void **)&out->items, &cap, out->n + 1, sizeof *out->items)) {
			rc = SQLITE_NOMEM;
			break;
		}
		struct track_item *t = &out->items[out->n];
		if (!(t->name = col_dup(s, 0))) {
			rc = SQLITE_NOMEM;
			break;
		}
		t->talks = sqlite3_column_int(s, 1);
		total += t->talks;
		out->n++;
	}
	sqlite3_reset(s);
	out->items[0].talks = total;
	if (rc != SQLITE_DONE) {
		model_tracks_free(out);
		return rc == SQLITE_NOMEM ? ly_fail(err, "out of memory") : db_fail(st, err);
	}
	return LY_OK;
}

void model_tracks_free(struct track_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].name);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/* A byte that belongs to a word for the unicode61 tokenizer (any
 * non-ASCII byte is kept: the tokenizer decides about those). */
static bool word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

char *model_fts_query(const char *typed)
{
	if (!typed)
		return NULL;
	/* Each word becomes "word"*. Words are split at punctuation as the
	 * tokenizer splits them ("multi-cloud" is "multi"* "cloud"*): the index
	 * keeps no positions, so a quoted string must hold one token. */
	char *q = malloc(strlen(typed) * 4 + 8);
	if (!q)
		return NULL;
	size_t o = 0;
	for (const char *p = typed; *p;) {
		while (*p && !word_byte((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (o)
			q[o++] = ' ';
		q[o++] = '"';
		while (*p && word_byte((unsigned char)*p))
			q[o++] = *p++;
		q[o++] = '"';
		q[o++] = '*';
	}
	if (o == 0) {
		free(q);
		return NULL;
	}
	q[o] = '\0';
	return q;
}

static void row_free(struct talk_row *r)
{
	free(r->key);
	free(r->title);
	free(r->room);
	free(r->track);
	free(r->speakers);
	free(r->type);
}

/* Read the current result row of a ROW_SELECT statement into r, its
 * strings borrowed from the statement (valid until the next step). */
static void row_view(sqlite3_stmt *s, struct talk_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	col_copy(r->start, sizeof r->start, s, 1);
	col_copy(r->end, sizeof r->end, s, 2);
	char **str[] = { &r->key, &r->title, &r->room, &r->track, &r->speakers, &r->type };
	for (int i = 0; i < 6; i++) {
		const unsigned char *v = sqlite3_column_text(s, 3 + i);
		*str[i] = (char *)(v ? v : (const unsigned char *)"");
	}
	store_status_parse((const char *)sqlite3_column_text(s, 9), &r->status);
	r->rating = sqlite3_column_int(s, 10);
	const char *change = (const char *)sqlite3_column_text(s, 12);
	r->flags = (sqlite3_column_int(s, 11) ? TALK_REMOVED : 0) |
	           (change && strcmp(change, "moved") == 0 ? TALK_MOVED : 0) |
	           (sqlite3_column_int(s, 13) ? TALK_NOTES : 0) |
	           (sqlite3_column_int(s, 14) ? TALK_CLASH : 0) |
	           (r->start[0] ? 0 : TALK_UNSCHEDULED);
}

/* Make r's borrowed strings its own. */
static bool row_own(struct talk_row *r)
{
	char **str[] = { &r->key, &r->title, &r->room, &r->track, &r->speakers, &r->type };
	bool ok = true;
	for (int i = 0; i < 6; i++)
		if (!(*str[i] = strdup(*str[i])))
			ok = false;
	return ok;
}

/* Step s to the end, handing each row to fn (fn returning non-zero stops).
 * A search that FTS5 cannot parse (a half-typed query) gives no rows, not
 * an error. */
static int each_row(struct store *st, sqlite3_stmt *s, bool searching, model_row_fn fn, void *ctx,
                    struct ly_error *err)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct talk_row r;
		row_view(s, &r);
		if (fn(ctx, &r)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return LY_OK;
	}
	ly_fail(err, "%s", sqlite3_errmsg(store_db(st)));
	sqlite3_reset(s);
	return rc == SQLITE_ERROR && searching ? LY_OK : LY_ERR;
}

struct collect {
	struct talk_rows *out;
	size_t cap;
	bool oom;
};

static int collect_row(void *ctx, const struct talk_row *row)
{
	struct collect *c = ctx;
	if (grow((void **)&c->out->rows, &c->cap, c->out->n + 1, sizeof *c->out->rows)) {
		c->oom = true;
		return 1;
	}
	struct talk_row *r = &c->out->rows[c->out->n++];
	*r = *row;
	if (!row_own(r)) {
		c->oom = true;
		return 1;
	}
	return 0;
}

static int fetch_rows(struct store *st, sqlite3_stmt *s, struct talk_rows *out, bool searching,
                      struct ly_error *err)
{
	struct collect c = { .out = out };
	int rc = each_row(st, s, searching, collect_row, &c, err);
	if (c.oom)
		rc = ly_fail(err, "out of memory");
	if (rc != LY_OK || c.oom)
		model_rows_free(out);
	return rc;
}

/* Where a talk query's rows come from. A search starts from the talks
 * whose words match, in the index's order, so that a LIMIT stops the
 * search early (a talk matching both in the schedule and in the user's
 * takeaways comes once); a query on the user's marks starts from the mark
 * table (dozens of rows), never from the schedule. */
static const char *query_from(const struct talk_query *q)
{
	if (q->search)
		return " FROM (SELECT rowid AS id FROM talk_fts WHERE talk_fts MATCH ?4"
		       " UNION ALL SELECT rowid FROM mine_fts mf WHERE mine_fts MATCH ?4 AND NOT EXISTS"
		       " (SELECT 1 FROM talk_fts WHERE talk_fts MATCH ?4 AND rowid = mf.rowid)) f"
		       " CROSS JOIN talk t ON t.id = f.id LEFT JOIN mark m ON m.talk_id = t.id";
	if (q->status != STATUS_NONE || q->mine || q->rated)
		return " FROM mark m CROSS JOIN talk t ON t.id = m.talk_id";
	return TALK_FROM;
}

/* The WHERE clause of a talk query: its shape depends only on which
 * filters are present; values are bound by bind_query(). */
static int query_where(const struct talk_query *q, char *out, size_t len)
{
	int n = snprintf(out, len, "%s WHERE t.conf_id = ?1 AND %s%s%s%s%s%s", query_from(q),
		q->all_removed ? "1" : VISIBLE,
		!q->day ? "" : q->day[0] ? " AND t.day = ?2" : " AND t.day IS NULL",
		q->track ? " AND t.track = ?3" : "",
		q->status != STATUS_NONE ? " AND m.status = ?5" : "",
		q->mine ? " AND " MINE("m") : "",
		q->rated ? " AND m.rating IS NOT NULL" : "");
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Prepare sql and bind q's values. *s NULL with LY_OK: a search with
 * nothing searchable in it, which matches nothing. */
static int bind_query(struct store *st, const char *sql, const struct talk_query *q,
                      sqlite3_stmt **out, struct ly_error *err)
{
	*out = NULL;
	char *fts = NULL;
	if (q->search && !(fts = model_fts_query(q->search)))
		return LY_OK;
	sqlite3_stmt *s = store_stmt(st, sql, err);
	if (!s) {
		free(fts);
		return LY_ERR;
	}
	sqlite3_bind_int64(s, 1, q->conf);
	if (q->day && q->day[0])
		sqlite3_bind_text(s, 2, q->day, -1, SQLITE_TRANSIENT);
	if (q->track)
		sqlite3_bind_text(s, 3, q->track, -1, SQLITE_TRANSIENT);
	if (fts)
		sqlite3_bind_text(s, 4, fts, -1, SQLITE_TRANSIENT);
	if (q->status != STATUS_NONE)
		sqlite3_bind_text(s, 5, store_status_name(q->status), -1, SQLITE_STATIC);
	free(fts);
	*out = s;
	return LY_OK;
}

static int talks_stmt(struct store *st, const struct talk_query *q, sqlite3_stmt **out,
                      struct ly_error *err)
{
	char where[2048], sql[4096];
	if (query_where(q, where, sizeof where))
		return ly_fail(err, "query too long");
	const char *order =
		q->order == ORDER_RATING
			? "m.rating IS NOT NULL, m.rating DESC, t.start IS NULL, t.start, t.title"
		/* A day's talks come in the order of the talk_day index (conf_id,
		 * day, start, room, seq): no sort, and a LIMIT ends the scan. */
		: q->day && q->day[0] ? "t.start, t.room, t.seq"
		: "t.start IS NULL, t.start, t.room, t.seq";
	int n;
	if (q->search && q->limit && q->order == ORDER_TIME)
		/* The first matches in the index's order, then sorted by time:
		 * a search answers at once whatever the number of matches. */
		n = snprintf(sql, sizeof sql, "SELECT * FROM (" ROW_COLUMNS "%s LIMIT %zu OFFSET %zu)"
		             " ORDER BY 2 = '', 2, 6, 16", where, q->limit, q->offset);
	else if (q->limit)
		n = snprintf(sql, sizeof sql, ROW_COLUMNS "%s ORDER BY %s LIMIT %zu OFFSET %zu", where,
		             order, q->limit, q->offset);
	else
		n = snprintf(sql, sizeof sql, ROW_COLUMNS "%s ORDER BY %s", where, order);
	if (n < 0 || (size_t)n >= sizeof sql)
		return ly_fail(err, "query too long");
	return bind_query(st, sql, q, out, err);
}

int model_talks(struct store *st, const struct talk_query *q, struct talk_rows *out, struct ly_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s;
	if (talks_stmt(st, q, &s, err))
		return LY_ERR;
	if (!s)
		return LY_OK; /* nothing searchable typed: no results */
	return fetch_rows(st, s, out, q->search != NULL, err);
}

struct collect_upto {
	struct collect c;
	size_t keep;
	int seen;
};

static int collect_upto(void *ctx, const struct talk_row *row)
{
	struct collect_upto *u = ctx;
	if ((size_t)u->seen++ < u->keep)
		return collect_row(&u->c, row);
	return 0;
}

int model_talks_counted(struct store *st, const struct talk_query *q, int cap, struct talk_rows *out,
                        int *total, struct ly_error *err)
{
	memset(out, 0, sizeof *out);
	*total = 0;
	if (!q->search || !q->limit || q->order != ORDER_TIME || cap <= (int)q->limit) {
		if (model_talks(st, q, out, err))
			return LY_ERR;
		*total = (int)out->n;
		if (q->limit && out->n == q->limit)
			return model_talks_count_upto(st, q, cap, total, err);
		return LY_OK;
	}
	/* One pass over the index's matches: the first cap found, sorted by
	 * time; the first limit of them kept, the rest only counted. */
	struct talk_query wide = *q;
	wide.limit = (size_t)cap;
	wide.offset = 0;
	sqlite3_stmt *s;
	if (talks_stmt(st, &wide, &s, err))
		return LY_ERR;
	if (!s)
		return LY_OK;
	struct collect_upto u = { .c = { .out = out }, .keep = q->limit };
	int rc = each_row(st, s, true, collect_upto, &u, err);
	if (u.c.oom)
		rc = ly_fail(err, "out of memory");
	if (rc != LY_OK)
		model_rows_free(out);
	else
		*total = u.seen;
	return rc;
}

int model_talks_each(struct store *st, const struct talk_query *q, model_row_fn fn, void *ctx,
                     struct ly_error *err)
{
	sqlite3_stmt *s;
	if (talks_stmt(st, q, &s, err))
		return LY_ERR;
	if (!s)
		return LY_OK;
	return each_row(st, s, q->search != NULL, fn, ctx, err);
}

int model_talks_count_upto(struct store *st, const struct talk_query *q, int cap, int *n,
                          struct ly_error *err)
{
	*n = 0;
	char where[2048], sql[4096];
	int len = query_where(q, where, sizeof where) ? -1
	        : cap > 0 ? snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1%s LIMIT %d)", where, cap)
	                  : snprintf(sql, sizeof sql, "SELECT count(*)%s", where);
	if (len < 0 || (size_t)len >= sizeof sql)
		return ly_fail(err, "query too long");
	sqlite3_stmt *s;
	if (bind_query(st, sql, q, &s, err))
		return LY_ERR;
	if (!s)
		return LY_OK;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW || (rc == SQLITE_ERROR && q->search))
		return LY_OK; /* a half-typed search counts nothing */
	return db_fail(st, err);
}

int model_talks_count(struct store *st, const struct talk_query *q, int *n, struct ly_error *err)
{
	return model_talks_count_upto(st, q, 0, n, err);
}

void model_rows_free(struct talk_rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		row_free(&r->rows[i]);
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}

/* ---- talk_window ------------------------------------------------------ */

#define WINDOW_PAGE 256

static void query_free(struct talk_query *q)
{
	free((char *)q->day);
	free((char *)q->track);
	free((char *)q->search);
	memset(q, 0, sizeof *q);
}

static int query_copy(struct talk_query *dst, const struct talk_query *src)
{
	*dst = *src;
	dst->day = dst->track = dst->search = NULL;
	dst->limit = dst->offset = 0;
	if ((src->day && !(dst->day = strdup(src->day))) ||
	    (src->track && !(dst->track = strdup(src->track))) ||
	    (src->search && !(dst->search = strdup(src->search)))) {
		query_free(dst);
		return -1;
	}
	return 0;
}

int talk_window_open(struct store *st, const struct talk_query *q, struct talk_window *w,
                     struct ly_error *err)
{
	return talk_window_open_sized(st, q, -1, w, err);
}

int talk_window_open_sized(struct store *st, const struct talk_query *q, int total,
                           struct talk_window *w, struct ly_error *err)
{
	memset(w, 0, sizeof *w);
	if (query_copy(&w->q, q))
		return ly_fail(err, "out of memory");
	w->total = total;
	if (total < 0 && model_talks_count(st, &w->q, &w->total, err)) {
		talk_window_free(w);
		return LY_ERR;
	}
	return LY_OK;
}

const struct talk_row *talk_window_span(struct store *st, struct talk_window *w, size_t i, size_t n,
                                        struct ly_error *err)
{
	if (n == 0 || n > WINDOW_PAGE / 2)
		n = n ? WINDOW_PAGE / 2 : 1;
	if (i >= (size_t)w->total)
		return NULL;
	if (i + n > (size_t)w->total)
		n = (size_t)w->total - i;
	if (i >= w->first && i + n <= w->first + w->page.n)
		return &w->page.rows[i - w->first];
	/* A page around the span, a little more ahead than behind: lists are
	 * read downwards more often than up. */
	model_rows_free(&w->page);
	struct talk_query q = w->q;
	w->first = i > WINDOW_PAGE / 4 ? i - WINDOW_PAGE / 4 : 0;
	q.offset = w->first;
	q.limit = WINDOW_PAGE;
	if (model_talks(st, &q, &w->page, err))
		return NULL;
	if (i >= w->first + w->page.n)
		return NULL; /* the list got shorter under us */
	return &w->page.rows[i - w->first];
}

const struct talk_row *talk_window_row(struct store *st, struct talk_window *w, size_t i,
                                       struct ly_error *err)
{
	return talk_window_span(st, w, i, 1, err);
}

void talk_window_refresh(struct talk_window *w)
{
	model_rows_free(&w->page);
	w->first = 0;
}

struct finder {
	int64_t id;
	size_t n;
	bool found;
};

static int find_row(void *ctx, const struct talk_row *row)
{
	struct finder *f = ctx;
	if (row->id == f->id)
		return f->found = true;
	f->n++;
	return 0;
}

int talk_window_find(struct store *st, struct talk_window *w, int64_t id, size_t *index,
                     struct ly_error *err)
{
	for (size_t i = 0; i < w->page.n; i++) {
		if (w->page.rows[i].id == id) {
			*index = w->first + i;
			return LY_OK;
		}
	}
	const struct talk_query *q = &w->q;
	if (q->order != ORDER_TIME || !q->day || !q->day[0] || q->search) {
		/* Short lists (agenda, review, search pages): walk them. */
		struct finder f = { .id = id };
		if (model_talks_each(st, q, find_row, &f, err))
			return LY_ERR;
		*index = f.n;
		return f.found ? LY_OK : LY_NOTFOUND;
	}
	/* Not in the list at all (the talk of another day or track): one
	 * look-up by id says so. */
	char where[2048], sql[4096];
	if (query_where(q, where, sizeof where) ||
	    (size_t)snprintf(sql, sizeof sql, "SELECT 1%s AND t.id = ?6", where) >= sizeof sql)
		return ly_fail(err, "query too long");
	sqlite3_stmt *s;
	if (bind_query(st, sql, q, &s, err))
		return LY_ERR;
	sqlite3_bind_int64(s, 6, id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return LY_NOTFOUND;
	if (rc != SQLITE_ROW)
		return db_fail(st, err);
	/* A day's list is in (start, room, seq) order: the talks before this
	 * one are counted from the talk_day index. */
	if (query_where(q, where, sizeof where) ||
	    (size_t)snprintf(sql, sizeof sql, "SELECT count(*), sum(t.id = ?6)%s AND (t.start, t.room, t.seq)"
	                     " <= (SELECT start, room, seq FROM talk WHERE id = ?6)", where) >= sizeof sql)
		return ly_fail(err, "query too long");
	if (bind_query(st, sql, q, &s, err))
		return LY_ERR;
	sqlite3_bind_int64(s, 6, id);
	rc = sqlite3_step(s);
	int before = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	bool found = rc == SQLITE_ROW && sqlite3_column_int(s, 1) > 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, err);
	*index = before > 0 ? (size_t)before - 1 : 0;
	return found ? LY_OK : LY_NOTFOUND;
}

int talk_window_reload(struct store *st, struct talk_window *w, struct ly_error *err)
{
	talk_window_refresh(w);
	return model_talks_count(st, &w->q, &w->total, err);
}

int talk_window_find_now(struct store *st, struct talk_window *w, const char *now, size_t *index,
                         struct ly_error *err)
{
	/* The first talk in the list's order that ends after now and is not
	 * an all-day item (four hours or more), read from the day's index. */
	char where[2048], order[64], sql[4096];
	if (w->q.order != ORDER_TIME || w->q.search || !w->q.day || !w->q.day[0])
		return LY_NOTFOUND;
	snprintf(order, sizeof order, " ORDER BY t.start, t.room, t.seq LIMIT 1");
	if (query_where(&w->q, where, sizeof where) ||
	    (size_t)snprintf(sql, sizeof sql, "SELECT t.id%s AND COALESCE(t.end, t.start) > ?6 AND"
	                     " COALESCE((julianday(t.end) - julianday(t.start)) * 1440, 0) < 239.5%s", where, order) >= sizeof sql)
		return ly_fail(err, "query too long");
	sqlite3_stmt *s;
	if (bind_query(st, sql, &w->q, &s, err))
		return LY_ERR;
	sqlite3_bind_text(s, 6, now, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err);
	return id ? talk_window_find(st, w, id, index, err) : LY_NOTFOUND;
}

void talk_window_free(struct talk_window *w)
{
	model_rows_free(&w->page);
	query_free(&w->q);
	memset(w, 0, sizeof *w);
}

static int load_clashes(struct store *st, struct talk_detail *d, struct ly_error *err)
{
	if (!d->start[0] || !d->end[0])
		return LY_OK;
	sqlite3_stmt *s = store_stmt(st,
		"SELECT t2.title FROM mark m2 CROSS JOIN talk t2 ON t2.id = m2.talk_id"
		" WHERE " MINE("m2") " AND t2.conf_id = (SELECT conf_id FROM talk WHERE id = ?1)"
		" AND t2.id <> ?1 AND t2.removed = 0 AND t2.start < ?3 AND t2.end > ?2"
		" ORDER BY t2.start, t2.title", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, d->id);
	sqlite3_bind_text(s, 2, d->start, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, d->end, -1, SQLITE_TRANSIENT);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (grow((void **)&d->clashes, &cap, d->nclashes + 1, sizeof *d->clashes) ||
		    !(d->clashes[d->nclashes] = col_dup(s, 0))) {
			rc = SQLITE_NOMEM;
			break;
		}
		d->nclashes++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return rc == SQLITE_NOMEM ? ly_fail(err, "out of memory") : db_fail(st, err);
	return LY_OK;
}

int model_talk(struct store *st, int64_t id, struct talk_detail *d, struct ly_error *err)
{
	memset(d, 0, sizeof *d);
	sqlite3_stmt *s = store_stmt(st,
		"SELECT t.id, COALESCE(t.start, ''), COALESCE(t.end, ''), COALESCE(t.day, ''), t.key,"
		" t.title, t.room, t.track, t.type, t.speakers, t.abstract, t.url,"
		" COALESCE(m.takeaways, ''), t.prev_start, t.prev_room, m.status, COALESCE(m.rating, 0),"
		" t.removed, t.change, " CLASH_EXPR
		" FROM talk t LEFT JOIN mark m ON m.talk_id = t.id WHERE t.id = ?1", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE) {
			ly_fail(err, "no talk with id %lld", (long long)id);
			return LY_NOTFOUND;
		}
		return db_fail(st, err);
	}
	d->id = sqlite3_column_int64(s, 0);
	col_copy(d->start, sizeof d->start, s, 1);
	col_copy(d->end, sizeof d->end, s, 2);
	col_copy(d->day, sizeof d->day, s, 3);
	d->key = col_dup(s, 4);
	d->title = col_dup(s, 5);
	d->room = col_dup(s, 6);
	d->track = col_dup(s, 7);
	d->type = col_dup(s, 8);
	d->speakers = col_dup(s, 9);
	d->abstract = col_dup(s, 10);
	d->url = col_dup(s, 11);
	d->takeaways = col_dup(s, 12);
	const char *change = (const char *)sqlite3_column_text(s, 18);
	bool moved = change && strcmp(change, "moved") == 0;
	if (moved) {
		d->prev_start = sqlite3_column_type(s, 13) == SQLITE_NULL ? NULL : col_dup(s, 13);
		d->prev_room = sqlite3_column_type(s, 14) == SQLITE_NULL ? NULL : col_dup(s, 14);
	}
	store_status_parse((const char *)sqlite3_column_text(s, 15), &d->status);
	d->rating = sqlite3_column_int(s, 16);
	d->flags = (sqlite3_column_int(s, 17) ? TALK_REMOVED : 0) | (moved ? TALK_MOVED : 0) |
	           (d->takeaways && d->takeaways[0] ? TALK_NOTES : 0) |
	           (sqlite3_column_int(s, 19) ? TALK_CLASH : 0) | (d->start[0] ? 0 : TALK_UNSCHEDULED);
	sqlite3_reset(s);
	if (!d->key || !d->title || !d->room || !d->track || !d->type || !d->speakers ||
	    !d->abstract || !d->url || !d->takeaways) {
		model_talk_free(d);
		return ly_fail(err, "out of memory");
	}
	if (load_clashes(st, d, err)) {
		model_talk_free(d);
		return LY_ERR;
	}
	return LY_OK;
}

void model_talk_free(struct talk_detail *d)
{
	free(d->key);
	free(d->title);
	free(d->room);
	free(d->track);
	free(d->type);
	free(d->speakers);
	free(d->abstract);
	free(d->url);
	free(d->takeaways);
	free(d->prev_start);
	free(d->prev_room);
	for (size_t i = 0; i < d->nclashes; i++)
		free(d->clashes[i]);
	free(d->clashes);
	memset(d, 0, sizeof *d);
}

int model_counts(struct store *st, int64_t conf, struct counts *c, struct ly_error *err)
{
	memset(c, 0, sizeof *c);
	if (store_talk_total(st, conf, &c->talks, err))
		return LY_ERR;
	/* The user's marks are few: count them from the mark side. */
	sqlite3_stmt *s = store_stmt(st,
		"SELECT COALESCE(sum(m.status = 'planned'), 0), COALESCE(sum(m.status = 'attended'), 0),"
		" COALESCE(sum(m.status = 'skipped'), 0), COALESCE(sum(m.rating IS NOT NULL), 0),"
		" COALESCE(sum(" CLASH_EXPR "), 0)"
		" FROM mark m CROSS JOIN talk t ON t.id = m.talk_id WHERE t.conf_id = ?1", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->planned = sqlite3_column_int(s, 0);
		c->attended = sqlite3_column_int(s, 1);
		c->skipped = sqlite3_column_int(s, 2);
		c->rated = sqlite3_column_int(s, 3);
		c->clashes = sqlite3_column_int(s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, err);
	s = store_stmt(st,
		"SELECT m.rating, count(*) FROM mark m CROSS JOIN talk t ON t.id = m.talk_id"
		" WHERE t.conf_id = ?1 AND m.rating BETWEEN 1 AND 5 GROUP BY m.rating", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		c->stars[sqlite3_column_int(s, 0)] = sqlite3_column_int(s, 1);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : db_fail(st, err);
}

bool model_overlaps(const char *s1, const char *e1, const char *s2, const char *e2)
{
	if (!s1 || !e1 || !s2 || !e2 || !*s1 || !*e1 || !*s2 || !*e2)
		return false;
	return strcmp(s1, e2) < 0 && strcmp(s2, e1) < 0;
}

/* Talks overlapping o: they start before o ends and end after o starts,
 * so, no talk being longer than the conference's longest (found from the
 * talk_span index), they start at most that long before o does. That
 * bound turns the talk_start index scan into a window around o. */
#define CONCURRENT_WHERE \
	" t.conf_id = o.conf_id AND t.id <> o.id AND t.removed = 0 AND t.start < o.end AND t.end > o.start" \
	" AND t.start >= strftime('%Y-%m-%d %H:%M', julianday(o.start) - 1.0 / 1440 - (SELECT" \
	" max(julianday(end) - julianday(start)) FROM talk WHERE conf_id = o.conf_id))"

int model_concurrent(struct store *st, int64_t id, struct talk_rows *out, struct ly_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
		ROW_SELECT " JOIN talk o ON o.id = ?1 WHERE" CONCURRENT_WHERE
		" ORDER BY t.start, t.room, t.seq", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, id);
	return fetch_rows(st, s, out, false, err);
}

int model_concurrent_count(struct store *st, int64_t id, int *n, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT count(*) FROM talk t JOIN talk o ON o.id = ?1 WHERE" CONCURRENT_WHERE, err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? LY_OK : db_fail(st, err);
}

int model_now_next(struct store *st, int64_t conf, int64_t now, struct talk_rows *now_rows,
                   struct talk_rows *next_rows, struct ly_error *err)
{
	memset(now_rows, 0, sizeof *now_rows);
	memset(next_rows, 0, sizeof *next_rows);
	char stamp[17], hour[17];
	ltime_format_stamp(now, stamp);
	ltime_format_stamp(now + 60, hour);
	sqlite3_stmt *s = store_stmt(st,
		ROW_SELECT " WHERE t.conf_id = ?1 AND t.removed = 0 AND t.start <= ?2 AND t.end > ?2"
		" ORDER BY " MINE("m") " DESC, t.start, t.room, t.seq", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	sqlite3_bind_text(s, 2, stamp, -1, SQLITE_TRANSIENT);
	if (fetch_rows(st, s, now_rows, false, err))
		return LY_ERR;
	/* Next: what starts within the hour, or else at the next start time. */
	s = store_stmt(st,
		ROW_SELECT " WHERE t.conf_id = ?1 AND t.removed = 0 AND t.start > ?2 AND t.start <= max(?3,"
		" (SELECT min(start) FROM talk WHERE conf_id = ?1 AND removed = 0 AND start > ?2))"
		" ORDER BY " MINE("m") " DESC, t.start, t.room, t.seq", err);
	if (!s) {
		model_rows_free(now_rows);
		return LY_ERR;
	}
	sqlite3_bind_int64(s, 1, conf);
	sqlite3_bind_text(s, 2, stamp, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, hour, -1, SQLITE_TRANSIENT);
	if (fetch_rows(st, s, next_rows, false, err)) {
		model_rows_free(now_rows);
		return LY_ERR;
	}
	return LY_OK;
}

int model_track_ratings(struct store *st, int64_t conf, struct track_ratings *out, struct ly_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
		"SELECT t.track, avg(m.rating), count(*) FROM mark m CROSS JOIN talk t ON t.id = m.talk_id"
		" WHERE t.conf_id = ?1 AND m.rating IS NOT NULL GROUP BY t.track"
		" ORDER BY avg(m.rating) DESC, count(*) DESC, t.track", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (grow((void **)&out->items, &cap, out->n + 1, sizeof *out->items) ||
		    !(out->items[out->n].track = col_dup(s, 0))) {
			rc = SQLITE_NOMEM;
			break;
		}
		out->items[out->n].average = sqlite3_column_double(s, 1);
		out->items[out->n].rated = sqlite3_column_int(s, 2);
		out->n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		model_track_ratings_free(out);
		return rc == SQLITE_NOMEM ? ly_fail(err, "out of memory") : db_fail(st, err);
	}
	return LY_OK;
}

void model_track_ratings_free(struct track_ratings *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].track);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}
