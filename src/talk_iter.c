#include "lanyard/talk_iter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct talk_iter {
	sqlite3 *db;
	sqlite3_stmt *s[2];   /* scheduled talks by start, then unscheduled ones */
	int phase;
	struct talk_item item;
};

/* The status filter is a bit test on the row, so one statement serves every
 * set; when the set leaves out talks without a status the join starts from
 * the user's marks (dozens of rows), not the schedule. Scheduled talks come
 * in the order of the (conf_id, start) index, so nothing is sorted. */
#define ITER_COLS \
	"SELECT t.id, t.key, t.title, t.room, t.track, t.type, t.speakers, t.abstract, t.url," \
	" t.start, t.end, t.day, t.removed, m.status, m.rating, m.takeaways"
#define ITER_WHERE \
	" WHERE t.conf_id = ?1 AND (?2 IS NULL OR t.day = ?2)" \
	" AND (?3 & CASE m.status WHEN 'planned' THEN 2 WHEN 'attended' THEN 4" \
	"            WHEN 'skipped' THEN 8 ELSE 1 END) <> 0" \
	" AND (?4 = 0 OR m.rating >= ?4)" \
	" AND (t.removed = 0 OR ?5 OR m.status IS NOT NULL OR m.rating IS NOT NULL" \
	"      OR m.takeaways <> '')"
#define ITER_ALL ITER_COLS " FROM talk t LEFT JOIN mark m ON m.talk_id = t.id" ITER_WHERE
#define ITER_MINE ITER_COLS " FROM mark m JOIN talk t ON t.id = m.talk_id" ITER_WHERE
#define ITER_TIMED " AND t.start IS NOT NULL ORDER BY t.start, t.room, t.seq, t.id"
#define ITER_UNTIMED " AND t.start IS NULL ORDER BY t.seq, t.id"

static const char *const iter_sql[2][2] = {
	{ ITER_ALL ITER_TIMED, ITER_ALL ITER_UNTIMED },
	{ ITER_MINE ITER_TIMED, ITER_MINE ITER_UNTIMED },
};

int talk_iter_open(struct store *st, const struct talk_filter *f, struct talk_iter **out,
                   struct ly_error *err)
{
	*out = NULL;
	unsigned set = f->statuses ? f->statuses : TALK_SET_ALL;
	struct talk_iter *it = calloc(1, sizeof *it);
	if (!it)
		return ly_fail(err, "out of memory");
	it->db = store_db(st);
	int mine = !(set & TALK_SET(STATUS_NONE)) || f->min_rating > 0;
	for (int i = 0; i < 2; i++) {
		if (sqlite3_prepare_v2(it->db, iter_sql[mine][i], -1, &it->s[i], NULL) != SQLITE_OK) {
			ly_fail(err, "%s: cannot read talks: %s", store_path(st), sqlite3_errmsg(it->db));
			talk_iter_close(it);
			return LY_ERR;
		}
		sqlite3_bind_int64(it->s[i], 1, f->conf);
		if (f->day)
			sqlite3_bind_text(it->s[i], 2, f->day, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(it->s[i], 3, (int)set);
		sqlite3_bind_int(it->s[i], 4, f->min_rating);
		sqlite3_bind_int(it->s[i], 5, f->with_removed);
	}
	*out = it;
	return LY_OK;
}

static const char *col(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? (const char *)v : "";
}

int talk_iter_next(struct talk_iter *it, const struct talk_item **item, struct ly_error *err)
{
	*item = NULL;
	int rc = SQLITE_DONE;
	while (it->phase < 2 && (rc = sqlite3_step(it->s[it->phase])) == SQLITE_DONE)
		it->phase++;
	if (rc == SQLITE_DONE)
		return LY_OK;
	if (rc != SQLITE_ROW)
		return ly_fail(err, "cannot read talks: %s", sqlite3_errmsg(it->db));
	sqlite3_stmt *s = it->s[it->phase];
	struct talk_item *t = &it->item;
	t->id = sqlite3_column_int64(s, 0);
	t->key = col(s, 1);
	t->title = col(s, 2);
	t->room = col(s, 3);
	t->track = col(s, 4);
	t->type = col(s, 5);
	t->speakers = col(s, 6);
	t->abstract = col(s, 7);
	t->url = col(s, 8);
	t->start = col(s, 9);
	t->end = col(s, 10);
	t->day = col(s, 11);
	t->removed = sqlite3_column_int(s, 12) != 0;
	t->status = STATUS_NONE;
	store_status_parse(col(s, 13), &t->status);
	t->rating = sqlite3_column_int(s, 14);
	t->takeaways = col(s, 15);
	*item = t;
	return LY_OK;
}

void talk_iter_close(struct talk_iter *it)
{
	if (!it)
		return;
	sqlite3_finalize(it->s[0]);
	sqlite3_finalize(it->s[1]);
	free(it);
}

int note_list_load(struct store *st, int64_t conf, struct note_list *out, struct ly_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
		"SELECT scope, body FROM note WHERE conf_id = ?1 AND body <> ''"
		" ORDER BY CASE scope WHEN 'overall' THEN 0 WHEN 'booths' THEN 1 ELSE 2 END, scope", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			struct note_item *p = realloc(out->items, cap * sizeof *p);
			if (!p)
				goto oom;
			out->items = p;
		}
		struct note_item *n = &out->items[out->n];
		n->scope = strdup(col(s, 0));
		n->body = strdup(col(s, 1));
		out->n++;
		if (!n->scope || !n->body)
			goto oom;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		note_list_free(out);
		return ly_fail(err, "%s: cannot read notes", store_path(st));
	}
	return LY_OK;
oom:
	sqlite3_reset(s);
	note_list_free(out);
	return ly_fail(err, "out of memory");
}

void note_list_free(struct note_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].scope);
		free(l->items[i].body);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

const char *note_list_get(const struct note_list *l, const char *scope)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].scope, scope) == 0)
			return l->items[i].body;
	return NULL;
}

int talk_iter_conf_info(struct store *st, int64_t conf, struct conf_info *out, struct ly_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st,
		"SELECT c.name, c.tz, (SELECT min(day) FROM talk WHERE conf_id = c.id AND removed = 0),"
		" (SELECT max(day) FROM talk WHERE conf_id = c.id AND removed = 0)"
		" FROM conference c WHERE c.id = ?1", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(out->name, sizeof out->name, "%s", col(s, 0));
		snprintf(out->tz, sizeof out->tz, "%s", col(s, 1));
		snprintf(out->first_day, sizeof out->first_day, "%s", col(s, 2));
		snprintf(out->last_day, sizeof out->last_day, "%s", col(s, 3));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return ly_fail(err, "%s: cannot read the conference", store_path(st));
	return LY_OK;
}

int talk_iter_conf_names(struct store *st, void (*fn)(void *ctx, const char *name), void *ctx,
                         struct ly_error *err)
{
	/* Names starting with \x01 are an import's scratch space. */
	sqlite3_stmt *s = store_stmt(st, "SELECT name FROM conference WHERE substr(name, 1, 1) <> char(1)"
	                                 " ORDER BY import_seq DESC, id DESC", err);
	if (!s)
		return LY_ERR;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(ctx, col(s, 0));
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : ly_fail(err, "%s: cannot read conferences", store_path(st));
}
