/* Loading a schedule into the store (contract in store_load.h).
 *
 * Keys come from the importer; two facts are only known at the end of the
 * file and are settled here then: the day/month order of ambiguous dates
 * (each such talk also records its other reading in temp.alt) and the keys
 * of talks without an id whose title slug repeats (temp.fix): the slug, then
 * '-' and the speakers' hash when speakers differ (or an id already has the
 * slug as its name), then '~2', '~3'... for repeats in file order.
 */
#include "lanyard/store_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/strbuf.h"

#define CACHE_KIB 8192            /* page cache while loading */
#define FTS_HASH (8 << 20)        /* FTS5 pending-terms buffer while indexing many talks */
#define FTS_HASH_DEFAULT (1 << 20)
/* The columns search indexes, in talk_fts's order. */
#define FTS_COLS "title, speakers, abstract, track, room"
/* The schedule's columns, as a row is written. */
#define ROW_COLS "title, start, end, day, room, track, type, speakers, abstract, url"

struct store_load {
	struct store *st;
	sqlite3 *db;
	struct load_opts o;
	struct ly_error *err;   /* begin and end's; rows have their own */
	bool in_tx;
	bool late_indexes;      /* talk's secondary indexes are built at the end */
	bool fts_now;           /* search is indexed as the rows are written */
	bool own_journal;       /* a rollback journal instead of the WAL, this load only */
	int64_t conf;           /* the conference rows go into (0: a plan of a new one) */
	int64_t old_conf;       /* the existing conference of that name, or 0 */
	const char *tbl;        /* where rows go: talk, or temp.stage */
	int old_cache;
	sqlite3_stmt *ins_id, *ins_plain, *fix_ins, *fix_first, *alt_ins, *find_key, *set_key, *set_slug_key;
	sqlite3_stmt *fts_ins, *fts_out, *fts_in;
};

static int db_fail(struct store_load *ld, struct ly_error *err)
{
	return ly_fail(err, "%s: %s", store_path(ld->st), sqlite3_errmsg(ld->db));
}

static int exec(struct store_load *ld, const char *sql)
{
	return store_exec(ld->st, sql, ld->err);
}

static sqlite3_stmt *stmt(struct store_load *ld, const char *sql)
{
	return store_stmt(ld->st, sql, ld->err);
}

/* A statement on the rows being loaded: each @T in sql names their table. */
static sqlite3_stmt *tstmt(struct store_load *ld, const char *sql)
{
	char buf[2048];
	size_t n = 0, tlen = strlen(ld->tbl);
	for (const char *p = sql; *p; p++) {
		bool at = p[0] == '@' && p[1] == 'T';
		size_t need = at ? tlen : 1;
		if (n + need >= sizeof buf) {
			ly_fail(ld->err, "statement too long");
			return NULL;
		}
		if (at) {
			memcpy(buf + n, ld->tbl, tlen);
			p++;
		} else {
			buf[n] = *p;
		}
		n += need;
	}
	buf[n] = '\0';
	return stmt(ld, buf);
}

/* Step a statement that returns nothing. */
static int run(struct store_load *ld, sqlite3_stmt *s, struct ly_error *err)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : db_fail(ld, err);
}

static int query_int(struct store_load *ld, const char *sql, int64_t a, int64_t *out)
{
	sqlite3_stmt *s = tstmt(ld, sql);
	if (!s)
		return LY_ERR;
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_int64(s, 1, a);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? LY_OK : db_fail(ld, ld->err);
}

static void sql_merge_speakers(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct store_load *ld = sqlite3_user_data(ctx);
	char *m = ld->o.merge_speakers(ld->o.ctx, (const char *)sqlite3_value_text(argv[0]),
	                               (const char *)sqlite3_value_text(argv[1]),
	                               (const char *)sqlite3_value_text(argv[2]), sqlite3_value_int64(argv[3]));
	if (!m) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, m, -1, free);
}

/* ---- rows ----------------------------------------------------------------- */

#define INS_COLS "INSERT INTO @T(conf_id, key, " ROW_COLS ", line, seq)" \
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
/* A later row of a talk (same id) fills what the first left empty and
 * adds its speakers. */
#define INS_ID_SQL INS_COLS \
	" ON CONFLICT(conf_id, key) DO UPDATE SET" \
	" speakers = lanyard_merge_speakers(speakers, excluded.speakers, excluded.key, excluded.line)," \
	" title = CASE WHEN title = '' THEN excluded.title ELSE title END," \
	" start = COALESCE(start, excluded.start)," \
	" end = CASE WHEN start IS NULL THEN excluded.end ELSE end END," \
	" day = COALESCE(day, excluded.day)," \
	" room = CASE WHEN room = '' THEN excluded.room ELSE room END," \
	" track = CASE WHEN track = '' THEN excluded.track ELSE track END," \
	" type = CASE WHEN type = '' THEN excluded.type ELSE type END," \
	" abstract = CASE WHEN abstract = '' THEN excluded.abstract ELSE abstract END," \
	" url = CASE WHEN url = '' THEN excluded.url ELSE url END"

static const char *str_of(const struct load_batch *b, const struct load_rec *r, enum load_str i)
{
	return r->off[i] == LOAD_NULL ? NULL : b->text + r->off[i];
}

static void bind_str(sqlite3_stmt *s, int col, const struct load_batch *b, const struct load_rec *r,
                     enum load_str i)
{
	if (r->off[i] == LOAD_NULL)
		sqlite3_bind_null(s, col);
	else
		sqlite3_bind_text(s, col, b->text + r->off[i], (int)r->len[i], SQLITE_STATIC);
}

/* Run s on the talk holding the row's slug as its key, with another of
 * the row's strings. */
static int on_slug(struct store_load *ld, sqlite3_stmt *s, const struct load_batch *b, const struct load_rec *r,
                   enum load_str other, struct ly_error *err)
{
	sqlite3_bind_int64(s, 1, ld->conf);
	bind_str(s, 2, b, r, LS_SLUG);
	bind_str(s, 3, b, r, other);
	return run(ld, s, err);
}

int store_load_rows(struct store_load *ld, const struct load_batch *b, struct ly_error *err)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct load_rec *r = &b->r[i];
		if (r->pre != LOAD_PRE_NONE && on_slug(ld, ld->fix_first, b, r, LS_FSPH, err))
			return LY_ERR;
		if (r->pre == LOAD_PRE_CLASH && on_slug(ld, ld->set_slug_key, b, r, LS_PROV, err))
			return LY_ERR;
		/* A later row of a talk changes what search holds of it: out
		 * with the old words, in with the new. */
		bool refts = ld->fts_now && r->merging;
		if (refts) {
			sqlite3_bind_int64(ld->fts_out, 1, ld->conf);
			bind_str(ld->fts_out, 2, b, r, LS_KEY);
			if (run(ld, ld->fts_out, err))
				return LY_ERR;
		}
		sqlite3_stmt *s = r->upsert ? ld->ins_id : ld->ins_plain;
		sqlite3_bind_int64(s, 1, ld->conf);
		for (int c = LS_KEY; c <= LS_URL; c++)
			bind_str(s, 2 + c, b, r, (enum load_str)c);
		sqlite3_bind_int64(s, 13, r->line);
		sqlite3_bind_int64(s, 14, r->seq);
		if (run(ld, s, err))
			return LY_ERR;
		int64_t rowid = sqlite3_last_insert_rowid(ld->db);
		if (refts) {
			sqlite3_bind_int64(ld->fts_in, 1, ld->conf);
			bind_str(ld->fts_in, 2, b, r, LS_KEY);
			if (run(ld, ld->fts_in, err))
				return LY_ERR;
		} else if (ld->fts_now) {
			s = ld->fts_ins;
			sqlite3_bind_int64(s, 1, rowid);
			bind_str(s, 2, b, r, LS_TITLE);
			bind_str(s, 3, b, r, LS_SPEAKERS);
			bind_str(s, 4, b, r, LS_ABSTRACT);
			bind_str(s, 5, b, r, LS_TRACK);
			bind_str(s, 6, b, r, LS_ROOM);
			if (run(ld, s, err))
				return LY_ERR;
		}
		if (r->fix) {
			s = ld->fix_ins;
			sqlite3_bind_int64(s, 1, rowid);
			bind_str(s, 2, b, r, LS_SLUG);
			bind_str(s, 3, b, r, LS_SPH);
			sqlite3_bind_int64(s, 4, r->seq);
			if (run(ld, s, err))
				return LY_ERR;
		}
		if (!r->alt)
			continue;
		if (r->merging) {
			/* A later row of a talk: its reading counts if it set the start. */
			s = ld->find_key;
			sqlite3_bind_int64(s, 1, ld->conf);
			bind_str(s, 2, b, r, LS_KEY);
			bool applies = false;
			if (sqlite3_step(s) == SQLITE_ROW) {
				rowid = sqlite3_column_int64(s, 0);
				const char *cur = (const char *)sqlite3_column_text(s, 1);
				const char *mine = str_of(b, r, LS_START);
				applies = cur && mine && strcmp(cur, mine) == 0;
			}
			sqlite3_reset(s);
			if (!applies)
				continue;
		}
		s = ld->alt_ins;
		sqlite3_bind_int64(s, 1, rowid);
		sqlite3_bind_int(s, 2, r->ord);
		bind_str(s, 3, b, r, LS_ASTART);
		bind_str(s, 4, b, r, LS_AEND);
		bind_str(s, 5, b, r, LS_ADAY);
		if (run(ld, s, err))
			return LY_ERR;
	}
	return LY_OK;
}

/* ---- the end -------------------------------------------------------------- */

/* Final keys for talks without an id whose slug repeats. */
static int settle_keys(struct store_load *ld)
{
	sqlite3_stmt *s = tstmt(ld,
		"SELECT f.talk_id, f.slug, f.sph, t.key,"
		" count(*) OVER (PARTITION BY f.slug),"
		" count(*) OVER (PARTITION BY f.slug, f.sph),"
		" row_number() OVER (PARTITION BY f.slug, f.sph ORDER BY f.seq),"
		" EXISTS (SELECT 1 FROM @T i WHERE i.conf_id = ?1 AND i.key = f.slug"
		"         AND i.id NOT IN (SELECT talk_id FROM temp.fix))"
		" FROM temp.fix f JOIN @T t ON t.id = f.talk_id ORDER BY f.seq");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, ld->conf);
	/* Collect first: updating talk while stepping a query over it is unwise. */
	struct strbuf todo = { 0 };
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *slug = (const char *)sqlite3_column_text(s, 1);
		const char *sph = (const char *)sqlite3_column_text(s, 2);
		const char *cur = (const char *)sqlite3_column_text(s, 3);
		int per_slug = sqlite3_column_int(s, 4), per_pair = sqlite3_column_int(s, 5);
		int occ = sqlite3_column_int(s, 6);
		bool clash = sqlite3_column_int(s, 7);
		char key[512];
		int n = snprintf(key, sizeof key, "%s", slug);
		if (n >= (int)sizeof key)
			n = (int)sizeof key - 1;
		if (per_slug > per_pair || clash)
			n += snprintf(key + n, sizeof key - (size_t)n, "-%s", sph);
		if (n < (int)sizeof key && occ > 1)
			snprintf(key + n, sizeof key - (size_t)n, "~%d", occ);
		if (cur && strcmp(cur, key) == 0)
			continue;
		char line[sizeof key + 24];
		int len = snprintf(line, sizeof line, "%lld %s", (long long)id, key);
		if (!strbuf_put(&todo, line, (size_t)len + 1)) {
			sqlite3_reset(s);
			free(todo.s);
			return ly_fail(ld->err, "out of memory");
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(todo.s);
		return db_fail(ld, ld->err);
	}
	for (size_t i = 0; i < todo.len; i += strlen(todo.s + i) + 1) {
		char *sp = strchr(todo.s + i, ' ');
		int64_t id = strtoll(todo.s + i, NULL, 10);
		const char *key = sp + 1;
		char alt[560];
		/* A key someone else already has (a title that reads like
		 * "intro-2"): add ~N until it is free. */
		for (int k = 1; k < 1000; k++) {
			const char *want = key;
			if (k > 1) {
				snprintf(alt, sizeof alt, "%s~%d", key, k);
				want = alt;
			}
			sqlite3_bind_int64(ld->set_key, 1, id);
			sqlite3_bind_text(ld->set_key, 2, want, -1, SQLITE_STATIC);
			rc = sqlite3_step(ld->set_key);
			sqlite3_reset(ld->set_key);
			if ((rc & 0xFF) != SQLITE_CONSTRAINT)
				break;
		}
		if (rc != SQLITE_DONE) {
			free(todo.s);
			return db_fail(ld, ld->err);
		}
	}
	free(todo.s);
	return LY_OK;
}

/* Notes on the talks the user planned or attended that moved or vanished. */
static int notes(struct store_load *ld)
{
	if (!ld->o.note)
		return LY_OK;
	sqlite3_stmt *s = stmt(ld,
		"SELECT mk.status, o.title, o.start, o.room, n.start, n.room FROM temp.m m"
		" JOIN talk o ON o.id = m.oid JOIN temp.stage n ON n.id = m.sid JOIN mark mk ON mk.talk_id = o.id"
		" WHERE m.kind = 'moved' AND mk.status IN ('planned', 'attended') ORDER BY n.seq");
	if (!s)
		return LY_ERR;
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct load_note n = {
			.status = (const char *)sqlite3_column_text(s, 0),
			.title = (const char *)sqlite3_column_text(s, 1),
			.from_start = (const char *)sqlite3_column_text(s, 2),
			.from_room = (const char *)sqlite3_column_text(s, 3),
			.to_start = (const char *)sqlite3_column_text(s, 4),
			.to_room = (const char *)sqlite3_column_text(s, 5),
		};
		ld->o.note(ld->o.ctx, &n);
	}
	sqlite3_reset(s);
	s = stmt(ld,
		"SELECT mk.status, o.title FROM talk o JOIN mark mk ON mk.talk_id = o.id"
		" WHERE o.conf_id = ?1 AND o.removed = 0 AND mk.status IN ('planned', 'attended')"
		" AND o.id NOT IN (SELECT oid FROM temp.m WHERE oid IS NOT NULL) ORDER BY o.start, o.title");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, ld->old_conf);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct load_note n = {
			.status = (const char *)sqlite3_column_text(s, 0),
			.title = (const char *)sqlite3_column_text(s, 1),
			.gone = true,
		};
		ld->o.note(ld->o.ctx, &n);
	}
	sqlite3_reset(s);
	return LY_OK;
}

static int count_kind(struct store_load *ld, const char *kind, int *out)
{
	sqlite3_stmt *s = stmt(ld, "SELECT count(*) FROM temp.m WHERE kind = ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	*out = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? LY_OK : db_fail(ld, ld->err);
}

/* A bigger buffer for pending terms means fewer segments to merge while
 * indexing many talks; put back to FTS5's default after, so it lasts only
 * this load. */
static int fts_hashsize(struct store_load *ld, int bytes)
{
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO talk_fts(talk_fts, rank) VALUES('hashsize', %d)", bytes);
	return exec(ld, sql);
}

/* Search is an external-content index over talk. The first talks of a big
 * load are indexed as they are written (fts_now); a new conference's talks
 * otherwise after loading; on a re-import the whole of it is rebuilt when
 * most talks changed, else only the changed talks are taken out (with the
 * values it indexed) before and put back after they change. */
static int fts_rebuild(struct store_load *ld)
{
	if (fts_hashsize(ld, FTS_HASH) || exec(ld, "INSERT INTO talk_fts(talk_fts) VALUES('rebuild')") ||
	    fts_hashsize(ld, FTS_HASH_DEFAULT))
		return LY_ERR;
	return LY_OK;
}

/* What each staged row is to the existing conference (temp.m), with the
 * counts and the notes; a plan stops there. */
static int compare_with_old(struct store_load *ld, struct load_report *rep)
{
	char sql[1536];
	snprintf(sql, sizeof sql,
		"DROP TABLE IF EXISTS temp.m;"
		"CREATE TEMP TABLE m(sid INTEGER PRIMARY KEY, oid INTEGER, kind TEXT NOT NULL, fts INTEGER NOT NULL);"
		"INSERT INTO temp.m SELECT n.id, o.id, CASE"
		" WHEN o.id IS NULL OR o.removed THEN 'added'"
		" WHEN o.start IS NOT n.start OR o.end IS NOT n.end OR o.room IS NOT n.room THEN 'moved'"
		" WHEN o.title IS NOT n.title OR o.track IS NOT n.track OR o.type IS NOT n.type"
		"  OR o.speakers IS NOT n.speakers OR o.abstract IS NOT n.abstract OR o.url IS NOT n.url"
		"  THEN 'updated'"
		" WHEN o.line <> n.line OR o.seq <> n.seq THEN '='"
		" ELSE '' END,"
		" o.id IS NOT NULL AND (o.title IS NOT n.title OR o.speakers IS NOT n.speakers"
		"  OR o.abstract IS NOT n.abstract OR o.track IS NOT n.track OR o.room IS NOT n.room)"
		" FROM temp.stage n LEFT JOIN talk o ON o.conf_id = %lld AND o.key = n.key;"
		"CREATE INDEX temp.m_kind ON m(kind);"
		"CREATE INDEX temp.m_fts ON m(fts) WHERE fts;",
		(long long)ld->old_conf);
	int unchanged, reordered;
	if (exec(ld, sql) || count_kind(ld, "added", &rep->added) || count_kind(ld, "moved", &rep->moved) ||
	    count_kind(ld, "updated", &rep->updated) || count_kind(ld, "", &unchanged) ||
	    count_kind(ld, "=", &reordered) || notes(ld))
		return LY_ERR;
	rep->unchanged = unchanged + reordered;
	if (!ld->o.plan)
		return LY_OK; /* merge_into_old counts them as it marks them */
	int64_t gone;
	if (query_int(ld, "SELECT count(*) FROM talk WHERE conf_id = ?1 AND removed = 0"
	                  " AND id NOT IN (SELECT oid FROM temp.m WHERE oid IS NOT NULL)", ld->old_conf, &gone))
		return LY_ERR;
	rep->removed = (int)gone;
	return LY_OK;
}

/* Fold the staged rows into the existing conference: talks matched by key
 * are updated in place (their ids, and so the user's marks, stay), new ones
 * are added, missing ones are marked removed. Only rows that changed are
 * written, so an unchanged schedule writes next to nothing. */
static int merge_into_old(struct store_load *ld, const char *zone, struct load_report *rep)
{
	char sql[2048];
	long long old = (long long)ld->old_conf;
	snprintf(sql, sizeof sql,
		"UPDATE talk SET change = '', prev_start = NULL, prev_room = NULL WHERE conf_id = %lld"
		" AND (change <> '' OR prev_start IS NOT NULL OR prev_room IS NOT NULL);"
		"UPDATE talk SET removed = 1 WHERE conf_id = %lld AND removed = 0"
		" AND id NOT IN (SELECT oid FROM temp.m WHERE oid IS NOT NULL);",
		old, old);
	if (exec(ld, sql))
		return LY_ERR;
	rep->removed = sqlite3_changes(ld->db);
	/* Search changes for new talks and for those whose indexed text did
	 * (a talk that only moved in time keeps its words). */
	int64_t total, top, retext, fresh;
	if (query_int(ld, "SELECT count(*) FROM talk", 0, &total) ||
	    query_int(ld, "SELECT COALESCE(max(id), 0) FROM talk", 0, &top) ||
	    query_int(ld, "SELECT count(*) FROM temp.m WHERE fts", 0, &retext) ||
	    query_int(ld, "SELECT count(*) FROM temp.m WHERE oid IS NULL", 0, &fresh))
		return LY_ERR;
	/* Taking a talk out and putting it back costs about what indexing two
	 * talks does; a rebuild indexes all of them once. */
	int64_t fts_changed = retext + fresh;
	bool whole = fts_changed * 2 > total;
	bool some = !whole && fts_changed > 0;
	if (some && exec(ld, "INSERT INTO talk_fts(talk_fts, rowid, " FTS_COLS ")"
	                     " SELECT 'delete', o.id, o.title, o.speakers, o.abstract, o.track, o.room"
	                     " FROM temp.m m JOIN talk o ON o.id = m.oid WHERE m.fts"))
		return LY_ERR;
	snprintf(sql, sizeof sql,
		"UPDATE talk AS o SET title = n.title, start = n.start, end = n.end, day = n.day,"
		" room = n.room, track = n.track, type = n.type, speakers = n.speakers,"
		" abstract = n.abstract, url = n.url, removed = 0, change = m.kind,"
		" prev_start = CASE WHEN m.kind = 'moved' THEN o.start END,"
		" prev_room = CASE WHEN m.kind = 'moved' THEN o.room END, line = n.line, seq = n.seq"
		" FROM temp.m m JOIN temp.stage n ON n.id = m.sid"
		" WHERE m.kind IN ('added', 'moved', 'updated') AND o.id = m.oid;"
		"UPDATE talk AS o SET line = n.line, seq = n.seq"
		" FROM temp.m m JOIN temp.stage n ON n.id = m.sid WHERE m.kind = '=' AND o.id = m.oid;"
		"INSERT INTO talk(conf_id, key, " ROW_COLS ", change, line, seq)"
		" SELECT %lld, n.key, n.title, n.start, n.end, n.day, n.room, n.track, n.type, n.speakers,"
		" n.abstract, n.url, 'added', n.line, n.seq"
		" FROM temp.m m JOIN temp.stage n ON n.id = m.sid WHERE m.kind = 'added' AND m.oid IS NULL"
		" ORDER BY n.id;",
		old);
	if (exec(ld, sql))
		return LY_ERR;
	if (some) {
		sqlite3_stmt *s = stmt(ld, "INSERT INTO talk_fts(rowid, " FTS_COLS ")"
		                           " SELECT id, " FTS_COLS " FROM talk WHERE id IN"
		                           " (SELECT oid FROM temp.m WHERE fts)"
		                           " UNION ALL SELECT id, " FTS_COLS " FROM talk WHERE id > ?1");
		if (!s)
			return LY_ERR;
		sqlite3_bind_int64(s, 1, top);
		if (run(ld, s, ld->err))
			return LY_ERR;
	}
	if (whole && fts_rebuild(ld))
		return LY_ERR;
	sqlite3_stmt *s = stmt(ld, "UPDATE conference SET source = ?2, tz = COALESCE(?3, tz),"
	                           " imported_at = datetime('now'),"
	                           " import_seq = (SELECT COALESCE(max(import_seq), 0) + 1 FROM conference)"
	                           " WHERE id = ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, ld->old_conf);
	sqlite3_bind_text(s, 2, ld->o.source, -1, SQLITE_STATIC);
	if (zone && *zone)
		sqlite3_bind_text(s, 3, zone, -1, SQLITE_STATIC);
	return run(ld, s, ld->err);
}

/* A new conference's search index: whole when it holds all the talks there
 * are. */
static int index_new(struct store_load *ld, const char *zone)
{
	if (zone && *zone) {
		sqlite3_stmt *s = stmt(ld, "UPDATE conference SET tz = ?2 WHERE id = ?1");
		if (!s)
			return LY_ERR;
		sqlite3_bind_int64(s, 1, ld->conf);
		sqlite3_bind_text(s, 2, zone, -1, SQLITE_STATIC);
		if (run(ld, s, ld->err))
			return LY_ERR;
	}
	if (ld->late_indexes && store_talk_indexes(ld->st, true, ld->err))
		return LY_ERR;
	if (ld->fts_now)
		return fts_hashsize(ld, FTS_HASH_DEFAULT);
	int64_t others;
	if (query_int(ld, "SELECT EXISTS (SELECT 1 FROM talk WHERE conf_id <> ?1)", ld->conf, &others))
		return LY_ERR;
	if (!others)
		return fts_rebuild(ld);
	sqlite3_stmt *s = stmt(ld, "INSERT INTO talk_fts(rowid, " FTS_COLS ")"
	                           " SELECT id, " FTS_COLS " FROM talk WHERE conf_id = ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, ld->conf);
	return run(ld, s, ld->err);
}

static int finish(struct store_load *ld, int order, const char *zone, struct load_report *rep)
{
	int64_t v;
	if (query_int(ld, "SELECT count(*) FROM @T WHERE conf_id = ?1", ld->conf, &v))
		return LY_ERR;
	if (v == 0)
		return LY_NOTFOUND;
	rep->talks = (int)v;
	/* Ambiguous dates: the whole file has spoken. */
	sqlite3_stmt *s = tstmt(ld, "UPDATE @T AS t SET start = a.start, end = a.end, day = a.day"
	                            " FROM temp.alt a WHERE a.talk_id = t.id AND a.ord <> ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int(s, 1, order);
	if (run(ld, s, ld->err) || settle_keys(ld))
		return LY_ERR;
	if (query_int(ld, "SELECT count(*) FROM @T WHERE conf_id = ?1 AND start IS NULL", ld->conf, &v))
		return LY_ERR;
	rep->unscheduled = (int)v;
	rep->conf_id = ld->conf;
	if (ld->old_conf) {
		if (compare_with_old(ld, rep) || (!ld->o.plan && merge_into_old(ld, zone, rep)))
			return LY_ERR;
	} else {
		rep->added = rep->talks;
		if (!ld->o.plan && index_new(ld, zone))
			return LY_ERR;
	}
	return exec(ld, "DELETE FROM temp.fix; DELETE FROM temp.alt; DROP TABLE IF EXISTS temp.m;"
	                "DROP TABLE IF EXISTS temp.stage;");
}

/* ---- begin ---------------------------------------------------------------- */

static int begin(struct store_load *ld)
{
	int64_t v;
	if (query_int(ld, "PRAGMA cache_size", 0, &v))
		return LY_ERR;
	ld->old_cache = (int)v;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", CACHE_KIB);
	if (exec(ld, sql))
		return LY_ERR;
	sqlite3_stmt *q = stmt(ld, "SELECT id FROM conference WHERE name = ?1");
	if (!q)
		return LY_ERR;
	sqlite3_bind_text(q, 1, ld->o.conf_name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	ld->old_conf = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(ld, ld->err);
	/* Temporary tables and sorts in memory make a first load faster; a
	 * staged one keeps every row in a temporary table (80 MB at 100,000
	 * talks), which stays in a file. Set before the transaction, as
	 * changing it empties the temp schema. */
	bool staged = ld->old_conf || ld->o.plan;
	if (exec(ld, staged ? "PRAGMA temp_store = DEFAULT" : "PRAGMA temp_store = MEMORY"))
		return LY_ERR;
	/* The first talks of a database (nobody else can have read any): the
	 * load writes its pages once, under a rollback journal holding next to
	 * nothing, where the WAL would have them written twice (the log, then
	 * the checkpoint). Just as atomic; the WAL is back at the end (and
	 * store_open asks for it whatever happens). If another connection is
	 * open the mode does not change and the WAL is used. Switching costs a
	 * few syncs, more than a small schedule's load saves. */
	int64_t empty = 0;
	if (ld->o.big && !staged && !store_is_unpublished(ld->st) &&
	    query_int(ld, "SELECT NOT EXISTS (SELECT 1 FROM talk)", 0, &empty))
		return LY_ERR;
	if (empty) {
		sqlite3_stmt *j = stmt(ld, "PRAGMA journal_mode = DELETE");
		if (!j)
			return LY_ERR;
		if (sqlite3_step(j) == SQLITE_ROW) {
			const char *mode = (const char *)sqlite3_column_text(j, 0);
			ld->own_journal = mode && strcmp(mode, "delete") == 0;
		}
		sqlite3_reset(j);
	}
	/* A plan only reads the database: no write lock to wait for. */
	if (ld->o.plan ? exec(ld, "BEGIN") : store_begin(ld->st, ld->err))
		return LY_ERR;
	ld->in_tx = true;
	if (sqlite3_create_function(ld->db, "lanyard_merge_speakers", 4, SQLITE_UTF8, ld, sql_merge_speakers,
	                            NULL, NULL) != SQLITE_OK)
		return db_fail(ld, ld->err);
	if (exec(ld, "CREATE TEMP TABLE IF NOT EXISTS fix(talk_id INTEGER PRIMARY KEY, slug TEXT NOT NULL,"
	             " sph TEXT NOT NULL, seq INTEGER NOT NULL);"
	             "CREATE TEMP TABLE IF NOT EXISTS alt(talk_id INTEGER PRIMARY KEY, ord INTEGER NOT NULL,"
	             " start TEXT, end TEXT, day TEXT);"
	             "DELETE FROM temp.fix; DELETE FROM temp.alt;"))
		return LY_ERR;
	/* A re-import or a plan is staged in a temporary table with talk's
	 * shape (only the key indexed); a new conference is written in place. */
	if (staged) {
		if (exec(ld, "DROP TABLE IF EXISTS temp.stage;"
		             "CREATE TEMP TABLE stage(id INTEGER PRIMARY KEY, conf_id INTEGER NOT NULL,"
		             " key TEXT NOT NULL, title TEXT NOT NULL, start TEXT, end TEXT, day TEXT,"
		             " room TEXT NOT NULL DEFAULT '', track TEXT NOT NULL DEFAULT '',"
		             " type TEXT NOT NULL DEFAULT '', speakers TEXT NOT NULL DEFAULT '',"
		             " abstract TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',"
		             " line INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0,"
		             " UNIQUE(conf_id, key));"))
			return LY_ERR;
		ld->tbl = "temp.stage";
		ld->conf = ld->old_conf;
	} else {
		sqlite3_stmt *s = stmt(ld, "INSERT INTO conference(name, source, tz, imported_at, import_seq)"
		                           " VALUES(?1, ?2, '', datetime('now'),"
		                           " (SELECT COALESCE(max(import_seq), 0) + 1 FROM conference))");
		if (!s)
			return LY_ERR;
		sqlite3_bind_text(s, 1, ld->o.conf_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, ld->o.source, -1, SQLITE_STATIC);
		if (run(ld, s, ld->err))
			return LY_ERR;
		ld->conf = sqlite3_last_insert_rowid(ld->db);
		/* The first talks of all, many of them: talk's other indexes are
		 * dropped and built from the loaded rows at the end (one sort each,
		 * where inserting rows in file order would touch index pages at
		 * random). A few talks are not worth the schema changes. */
		int64_t bare;
		if (ld->o.big) {
			if (query_int(ld, "SELECT NOT EXISTS (SELECT 1 FROM talk)", 0, &bare))
				return LY_ERR;
			if (bare) {
				if (store_talk_indexes(ld->st, false, ld->err))
					return LY_ERR;
				ld->late_indexes = true;
				/* Search is indexed as the rows come, on the thread that
				 * writes them, while the next rows are read: the words of
				 * a talk are in hand, where a rebuild at the end would read
				 * every talk back. */
				if (fts_hashsize(ld, FTS_HASH))
					return LY_ERR;
				ld->fts_now = true;
			}
		}
	}
	if (!(ld->ins_id = tstmt(ld, INS_ID_SQL)) || !(ld->ins_plain = tstmt(ld, INS_COLS)) ||
	    !(ld->fix_ins = stmt(ld, "INSERT INTO temp.fix(talk_id, slug, sph, seq) VALUES(?1, ?2, ?3, ?4)")) ||
	    !(ld->fix_first = tstmt(ld, "INSERT OR IGNORE INTO temp.fix(talk_id, slug, sph, seq)"
	                               " SELECT id, ?2, ?3, seq FROM @T WHERE conf_id = ?1 AND key = ?2")) ||
	    !(ld->set_slug_key = tstmt(ld, "UPDATE @T SET key = ?3 WHERE conf_id = ?1 AND key = ?2")) ||
	    !(ld->alt_ins = stmt(ld, "INSERT OR REPLACE INTO temp.alt(talk_id, ord, start, end, day)"
	                             " VALUES(?1, ?2, ?3, ?4, ?5)")) ||
	    !(ld->find_key = tstmt(ld, "SELECT id, start FROM @T WHERE conf_id = ?1 AND key = ?2")) ||
	    !(ld->set_key = tstmt(ld, "UPDATE @T SET key = ?2 WHERE id = ?1")))
		return LY_ERR;
	if (ld->fts_now &&
	    (!(ld->fts_ins = stmt(ld, "INSERT INTO talk_fts(rowid, " FTS_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6)")) ||
	     !(ld->fts_out = stmt(ld, "INSERT INTO talk_fts(talk_fts, rowid, " FTS_COLS ")"
	                              " SELECT 'delete', id, " FTS_COLS " FROM talk WHERE conf_id = ?1 AND key = ?2")) ||
	     !(ld->fts_in = stmt(ld, "INSERT INTO talk_fts(rowid, " FTS_COLS ")"
	                             " SELECT id, " FTS_COLS " FROM talk WHERE conf_id = ?1 AND key = ?2"))))
		return LY_ERR;
	return LY_OK;
}

static int close_tx(struct store_load *ld, bool commit, struct ly_error *err)
{
	int rc = LY_OK;
	if (ld->in_tx) {
		if (commit)
			rc = store_commit(ld->st, err);
		if (!commit || rc != LY_OK)
			store_rollback(ld->st);
		ld->in_tx = false;
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", ld->old_cache);
		sqlite3_exec(ld->db, sql, NULL, NULL, NULL);
		sqlite3_create_function(ld->db, "lanyard_merge_speakers", 4, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	}
	/* Even when the transaction never opened. */
	if (ld->own_journal)
		sqlite3_exec(ld->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	ld->own_journal = false;
	return rc;
}

int store_load_begin(struct store *st, const struct load_opts *o, struct store_load **out,
                     struct ly_error *err)
{
	*out = NULL;
	struct store_load *ld = calloc(1, sizeof *ld);
	if (!ld)
		return ly_fail(err, "out of memory");
	*ld = (struct store_load){ .st = st, .db = store_db(st), .o = *o, .err = err, .tbl = "talk" };
	if (begin(ld)) {
		store_load_free(ld);
		return LY_ERR;
	}
	*out = ld;
	return LY_OK;
}

int store_load_end(struct store_load *ld, int order, const char *zone, struct load_report *rep,
                   struct ly_error *err)
{
	memset(rep, 0, sizeof *rep);
	ld->err = err;
	int rc = finish(ld, order, zone, rep);
	int closed = close_tx(ld, rc == LY_OK && !ld->o.plan, err);
	return rc != LY_OK ? rc : closed;
}

void store_load_free(struct store_load *ld)
{
	if (!ld)
		return;
	close_tx(ld, false, NULL);
	free(ld);
}

/* ---- restoring a lanyard export ------------------------------------------- */

int store_restore_conf(struct store *st, const char *name, const char *source, const char *tz,
                       int64_t *conf, int64_t *seq, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO conference(name, source, tz, imported_at, import_seq)"
		" VALUES(?1, ?2, ?3, datetime('now'), (SELECT COALESCE(max(import_seq), 0) + 1 FROM conference))"
		" ON CONFLICT(name) DO UPDATE SET"
		" tz = CASE WHEN tz = '' THEN excluded.tz ELSE tz END, imported_at = excluded.imported_at,"
		" import_seq = excluded.import_seq", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, source, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, tz, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ly_fail(err, "%s: %s", store_path(st), sqlite3_errmsg(store_db(st)));
	if (!(s = store_stmt(st, "SELECT id, (SELECT COALESCE(max(seq), 0) FROM talk WHERE conf_id = c.id)"
	                         " FROM conference c WHERE name = ?1", err)))
		return LY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*conf = sqlite3_column_int64(s, 0);
		*seq = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? LY_OK : ly_fail(err, "%s: %s", store_path(st), sqlite3_errmsg(store_db(st)));
}

static void bind_or_null(sqlite3_stmt *s, int col, const char *v)
{
	if (*v)
		sqlite3_bind_text(s, col, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, col);
}

int store_restore_talk(struct store *st, int64_t conf, const struct restore_talk *t, int64_t *id,
                       bool *added, bool *changed, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO talk(conf_id, key, " ROW_COLS ", removed, line, seq)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
		" ON CONFLICT(conf_id, key) DO UPDATE SET"
		" title = CASE WHEN title = '' THEN excluded.title ELSE title END,"
		" end = CASE WHEN start IS NULL THEN excluded.end ELSE end END,"
		" day = CASE WHEN start IS NULL THEN excluded.day ELSE day END,"
		" start = COALESCE(start, excluded.start),"
		" room = CASE WHEN room = '' THEN excluded.room ELSE room END,"
		" track = CASE WHEN track = '' THEN excluded.track ELSE track END,"
		" type = CASE WHEN type = '' THEN excluded.type ELSE type END,"
		" speakers = CASE WHEN speakers = '' THEN excluded.speakers ELSE speakers END,"
		" abstract = CASE WHEN abstract = '' THEN excluded.abstract ELSE abstract END,"
		" url = CASE WHEN url = '' THEN excluded.url ELSE url END"
		" WHERE (title = '' AND excluded.title <> '') OR (start IS NULL AND excluded.start IS NOT NULL)"
		" OR (room = '' AND excluded.room <> '') OR (track = '' AND excluded.track <> '')"
		" OR (type = '' AND excluded.type <> '') OR (speakers = '' AND excluded.speakers <> '')"
		" OR (abstract = '' AND excluded.abstract <> '') OR (url = '' AND excluded.url <> '')",
		err);
	if (!s)
		return LY_ERR;
	int found = store_talk_id(st, conf, t->key, id, err);
	if (found != LY_OK && found != LY_NOTFOUND)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	sqlite3_bind_text(s, 2, t->key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, t->title, -1, SQLITE_TRANSIENT);
	bind_or_null(s, 4, t->start);
	bind_or_null(s, 5, t->end);
	bind_or_null(s, 6, t->day);
	const char *text[] = { t->room, t->track, t->type, t->speakers, t->abstract, t->url };
	for (int i = 0; i < 6; i++)
		sqlite3_bind_text(s, 7 + i, text[i], -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 13, t->removed);
	sqlite3_bind_int64(s, 14, t->line);
	sqlite3_bind_int64(s, 15, t->seq);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ly_fail(err, "%s: %s", store_path(st), sqlite3_errmsg(store_db(st)));
	*changed = sqlite3_changes(store_db(st)) > 0;
	*added = found == LY_NOTFOUND;
	if (*added)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return LY_OK;
}

int store_search_rebuild(struct store *st, struct ly_error *err)
{
	return store_exec(st, "INSERT INTO talk_fts(talk_fts) VALUES('rebuild')", err);
}
