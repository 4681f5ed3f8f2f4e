/* The store sink (contract in import_sink.h).
 *
 * The first time a conference is imported its talks go straight into talk;
 * a re-import stages them in a temporary table (temp.stage) and merges them
 * into the existing conference at the end with a few set-based statements
 * (matched by key: updated in place, added, marked removed) that write only
 * the talks that changed. Two facts are only known at the end of the file and
 * are settled then: the day/month order of ambiguous dates (each such talk
 * also records its other reading in temp.alt) and the keys of talks without
 * an id whose title slug repeats (temp.fix).
 *
 * Keys: the CSV id, trimmed; without one, the title's slug; a slug that
 * repeats gets '-' and six hex digits of the speakers' hash when the
 * speakers differ (or when an id already has that name), and '~2', '~3'...
 * for repeats in file order (the first keeps the plain key).
 */
#include "lanyard/import_sink.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lanyard/ltime.h"

#define CACHE_KIB 8192            /* page cache while importing */
#define BIG_BYTES (1 << 20)       /* a schedule file this big is worth rearranging the store for */
#define FTS_HASH (8 << 20)        /* FTS5 pending-terms buffer while indexing many talks */
#define FTS_HASH_DEFAULT (1 << 20)
/* The columns search indexes, in talk_fts's order. */
#define FTS_COLS "title, speakers, abstract, track, room"

struct sbuf {
	char *s;
	size_t len, cap;
};

static bool reserve(char **s, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	char *p = realloc(*s, n);
	if (!p)
		return false;
	*s = p;
	*cap = n;
	return true;
}

static bool sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (!reserve(&b->s, &b->cap, b->len + n + 1))
		return false;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}

static uint64_t hash64(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

/* Six hex digits of a speakers' hash. */
static void hex6(uint32_t h, char out[8])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 5; i >= 0; i--, h >>= 4)
		out[i] = digits[h & 0xF];
	out[6] = '\0';
}

/* Keys handed out so far, by a 64-bit hash of the key text. */
enum { K_FREE = 0, K_ID, K_SLUG };

struct kent {
	uint64_t h;
	int64_t rowid;     /* K_SLUG: the talk holding the plain slug */
	uint32_t sph;      /* K_SLUG: its speakers' hash */
	uint8_t kind;
	uint8_t repeated;  /* K_SLUG: the slug's rows are in temp.fix */
};

struct keytab {
	struct kent *e;
	size_t cap, n;
};

struct writer;

struct ss {
	struct store *st;
	sqlite3 *db;
	struct imp_log *lg;
	const char *conf_name;
	const char *source;
	bool rehearse;
	bool in_tx;
	bool big;               /* the schedule file has a megabyte or more */
	bool late_indexes;      /* talk's secondary indexes are built at the end */
	bool own_journal;       /* a rollback journal instead of the WAL, this import only */
	int64_t conf;           /* the conference rows go into */
	int64_t old_conf;       /* the existing conference of that name, or 0 */
	const char *tbl;        /* where rows go: talk, or temp.stage on a re-import */
	int old_cache;
	int64_t seq;
	struct keytab keys;
	sqlite3_stmt *ins_id, *ins_plain, *fix_ins, *fix_first, *alt_ins, *find_key, *set_key, *set_slug_key;
	struct writer *w;       /* rows on their way to the store */
};

static int db_fail(struct ss *im)
{
	return implog_fail(im->lg, "%s: %s", store_path(im->st), sqlite3_errmsg(im->db));
}

static int oom(struct ss *im)
{
	return implog_oom(im->lg);
}

static struct kent *key_find(struct keytab *t, uint64_t h)
{
	if (!t->cap)
		return NULL;
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (t->e[i].kind == K_FREE)
			return NULL;
		if (t->e[i].h == h)
			return &t->e[i];
	}
}

static struct kent *key_add(struct keytab *t, uint64_t h)
{
	if ((t->n + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 1024;
		struct kent *e = calloc(ncap, sizeof *e);
		if (!e)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			if (t->e[i].kind == K_FREE)
				continue;
			size_t j = t->e[i].h & (ncap - 1);
			while (e[j].kind != K_FREE)
				j = (j + 1) & (ncap - 1);
			e[j] = t->e[i];
		}
		free(t->e);
		t->e = e;
		t->cap = ncap;
	}
	size_t i = h & (t->cap - 1);
	while (t->e[i].kind != K_FREE)
		i = (i + 1) & (t->cap - 1);
	t->n++;
	t->e[i] = (struct kent){ .h = h };
	return &t->e[i];
}

/* ---- the store ------------------------------------------------------------ */

#define INS_ID_SQL \
	"INSERT INTO @T(conf_id, key, title, start, end, day, room, track, type, speakers," \
	" abstract, url, line, seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)" \
	" ON CONFLICT(conf_id, key) DO UPDATE SET" \
	" speakers = lanyard_merge_speakers(speakers, excluded.speakers)," \
	" title = CASE WHEN title = '' THEN excluded.title ELSE title END," \
	" start = COALESCE(start, excluded.start)," \
	" end = CASE WHEN start IS NULL THEN excluded.end ELSE end END," \
	" day = COALESCE(day, excluded.day)," \
	" room = CASE WHEN room = '' THEN excluded.room ELSE room END," \
	" track = CASE WHEN track = '' THEN excluded.track ELSE track END," \
	" type = CASE WHEN type = '' THEN excluded.type ELSE type END," \
	" abstract = CASE WHEN abstract = '' THEN excluded.abstract ELSE abstract END," \
	" url = CASE WHEN url = '' THEN excluded.url ELSE url END"

#define INS_PLAIN_SQL \
	"INSERT INTO @T(conf_id, key, title, start, end, day, room, track, type, speakers," \
	" abstract, url, line, seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"

static int exec(struct ss *im, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(im->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		implog_fail(im->lg, "%s: %s", store_path(im->st), msg ? msg : sqlite3_errmsg(im->db));
		sqlite3_free(msg);
		return LY_ERR;
	}
	return LY_OK;
}

static sqlite3_stmt *stmt(struct ss *im, const char *sql)
{
	sqlite3_stmt *s = store_stmt(im->st, sql, im->lg->err);
	if (!s)
		im->lg->rc = LY_ERR;
	return s;
}

/* A statement on the rows being imported: each @T in sql names their table. */
static sqlite3_stmt *tstmt(struct ss *im, const char *sql)
{
	char buf[2048];
	size_t n = 0, tlen = strlen(im->tbl);
	for (const char *p = sql; *p; p++) {
		bool at = p[0] == '@' && p[1] == 'T';
		size_t need = at ? tlen : 1;
		if (n + need >= sizeof buf) {
			implog_fail(im->lg, "statement too long");
			return NULL;
		}
		if (at) {
			memcpy(buf + n, im->tbl, tlen);
			p++;
		} else {
			buf[n] = *p;
		}
		n += need;
	}
	buf[n] = '\0';
	return stmt(im, buf);
}

/* Step a statement that returns nothing. */
static int run(struct ss *im, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : db_fail(im);
}

static int query_int(struct ss *im, const char *sql, int64_t a, int64_t b, int64_t *out)
{
	sqlite3_stmt *s = tstmt(im, sql);
	if (!s)
		return LY_ERR;
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_int64(s, 1, a);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, b);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? LY_OK : db_fail(im);
}

static void sql_merge_speakers(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	char *m = norm_speakers_merge((const char *)sqlite3_value_text(argv[0]),
	                              (const char *)sqlite3_value_text(argv[1]));
	if (!m) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, m, -1, free);
}

/* What a row asks of the store is decided while reading (keys included)
 * and written by apply(); on big files apply() runs in a second thread, so
 * reading and writing overlap. A batch holds its rows' text in one buffer. */
enum str {
	R_KEY, R_TITLE, R_START, R_END, R_DAY, R_ROOM, R_TRACK, R_TYPE, R_SPK, R_ABS, R_URL,
	R_SLUG, R_SPH, R_FSPH, R_PROV, R_ASTART, R_AEND, R_ADAY, NSTR
};

enum { PRE_NONE, PRE_FIX_FIRST, PRE_CLASH };

#define NO_STR SIZE_MAX

struct rec {
	size_t off[NSTR];        /* into the batch's text; NO_STR for NULL */
	unsigned len[NSTR];
	int64_t line, seq;
	unsigned char upsert;    /* an id: INSERT ... ON CONFLICT merges rows */
	unsigned char pre;       /* PRE_FIX_FIRST: the talk holding R_SLUG joins temp.fix;
	                          * PRE_CLASH: and then takes key R_PROV */
	unsigned char fix;       /* the new talk joins temp.fix (its slug repeats) */
	unsigned char alt;       /* record the other day/month reading */
	unsigned char merging;   /* a later row of an id seen before */
	unsigned char ord;       /* the day/month order this row was read in */
};

struct batch {
	struct sbuf text;
	struct rec *r;
	size_t n, cap;
};

#define BATCH_ROWS 512
#define BATCH_TEXT (2u << 20)
#define NBATCH 3

enum { B_FREE, B_FILLING, B_QUEUED, B_WRITING };

struct writer {
	struct batch b[NBATCH];
	int state[NBATCH];
	int queue[NBATCH], qhead, qlen;
	int cur;                 /* the batch being filled */
	bool threaded, done, failed;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct ly_error err;     /* the writer's failure */
};

static bool rec_str(struct batch *b, struct rec *r, enum str i, const char *v, size_t n)
{
	if (!v) {
		r->off[i] = NO_STR;
		r->len[i] = 0;
		return true;
	}
	r->off[i] = b->text.len;
	r->len[i] = (unsigned)n;
	return sb_put(&b->text, v, n) && sb_put(&b->text, "", 1);
}

static const char *str_of(const struct batch *b, const struct rec *r, enum str i)
{
	return r->off[i] == NO_STR ? NULL : b->text.s + r->off[i];
}

static void bind_str(sqlite3_stmt *s, int col, const struct batch *b, const struct rec *r, enum str i)
{
	if (r->off[i] == NO_STR)
		sqlite3_bind_null(s, col);
	else
		sqlite3_bind_text(s, col, b->text.s + r->off[i], (int)r->len[i], SQLITE_STATIC);
}

static int apply_fail(struct ss *im, struct ly_error *err)
{
	ly_fail(err, "%s: %s", store_path(im->st), sqlite3_errmsg(im->db));
	return LY_ERR;
}

static int step(struct ss *im, sqlite3_stmt *s, struct ly_error *err)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : apply_fail(im, err);
}

/* Write a batch of rows. Uses only the store and the statements begin_store
 * prepared; errors go to err (this may run in the writer thread). */
static int apply(struct ss *im, const struct batch *b, struct ly_error *err)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct rec *r = &b->r[i];
		if (r->pre != PRE_NONE) {
			sqlite3_stmt *s = im->fix_first;
			sqlite3_bind_int64(s, 1, im->conf);
			bind_str(s, 2, b, r, R_SLUG);
			bind_str(s, 3, b, r, R_FSPH);
			if (step(im, s, err))
				return LY_ERR;
		}
		if (r->pre == PRE_CLASH) {
			sqlite3_stmt *s = im->set_slug_key;
			sqlite3_bind_int64(s, 1, im->conf);
			bind_str(s, 2, b, r, R_SLUG);
			bind_str(s, 3, b, r, R_PROV);
			if (step(im, s, err))
				return LY_ERR;
		}
		sqlite3_stmt *s = r->upsert ? im->ins_id : im->ins_plain;
		sqlite3_bind_int64(s, 1, im->conf);
		bind_str(s, 2, b, r, R_KEY);
		bind_str(s, 3, b, r, R_TITLE);
		bind_str(s, 4, b, r, R_START);
		bind_str(s, 5, b, r, R_END);
		bind_str(s, 6, b, r, R_DAY);
		bind_str(s, 7, b, r, R_ROOM);
		bind_str(s, 8, b, r, R_TRACK);
		bind_str(s, 9, b, r, R_TYPE);
		bind_str(s, 10, b, r, R_SPK);
		bind_str(s, 11, b, r, R_ABS);
		bind_str(s, 12, b, r, R_URL);
		sqlite3_bind_int64(s, 13, r->line);
		sqlite3_bind_int64(s, 14, r->seq);
		if (step(im, s, err))
			return LY_ERR;
		int64_t rowid = sqlite3_last_insert_rowid(im->db);
		if (r->fix) {
			s = im->fix_ins;
			sqlite3_bind_int64(s, 1, rowid);
			bind_str(s, 2, b, r, R_SLUG);
			bind_str(s, 3, b, r, R_SPH);
			sqlite3_bind_int64(s, 4, r->seq);
			if (step(im, s, err))
				return LY_ERR;
		}
		if (!r->alt)
			continue;
		if (r->merging) {
			/* A later row of a talk: its reading counts if it set the start. */
			s = im->find_key;
			sqlite3_bind_int64(s, 1, im->conf);
			bind_str(s, 2, b, r, R_KEY);
			bool applies = false;
			if (sqlite3_step(s) == SQLITE_ROW) {
				rowid = sqlite3_column_int64(s, 0);
				const char *cur = (const char *)sqlite3_column_text(s, 1);
				const char *mine = str_of(b, r, R_START);
				applies = cur && mine && strcmp(cur, mine) == 0;
			}
			sqlite3_reset(s);
			if (!applies)
				continue;
		}
		s = im->alt_ins;
		sqlite3_bind_int64(s, 1, rowid);
		sqlite3_bind_int(s, 2, r->ord);
		bind_str(s, 3, b, r, R_ASTART);
		bind_str(s, 4, b, r, R_AEND);
		bind_str(s, 5, b, r, R_ADAY);
		if (step(im, s, err))
			return LY_ERR;
	}
	return LY_OK;
}

static void *writer_main(void *arg)
{
	struct ss *im = arg;
	struct writer *w = im->w;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->qlen == 0 && !w->done)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->qlen == 0)
			break;
		int k = w->queue[w->qhead];
		w->qhead = (w->qhead + 1) % NBATCH;
		w->qlen--;
		w->state[k] = B_WRITING;
		bool skip = w->failed;
		pthread_mutex_unlock(&w->mu);
		int rc = skip ? LY_ERR : apply(im, &w->b[k], &w->err);
		pthread_mutex_lock(&w->mu);
		if (rc != LY_OK)
			w->failed = true;
		w->state[k] = B_FREE;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* The batch being filled is full (or the file is read): hand it on. The
 * first full batch starts the writer thread; a file that fits one batch is
 * written here, with no thread. */
static int flush_batch(struct ss *im, bool last)
{
	struct writer *w = im->w;
	struct batch *b = &w->b[w->cur];
	if (!w->threaded && last) {
		int rc = apply(im, b, &w->err);
		b->n = 0;
		b->text.len = 0;
		if (rc)
			w->failed = true;
		return rc;
	}
	if (!w->threaded) {
		if (pthread_mutex_init(&w->mu, NULL) != 0)
			return implog_fail(im->lg, "cannot start the writer: out of resources");
		if (pthread_cond_init(&w->cv, NULL) != 0) {
			pthread_mutex_destroy(&w->mu);
			return implog_fail(im->lg, "cannot start the writer: out of resources");
		}
		if (pthread_create(&w->th, NULL, writer_main, im) != 0) {
			pthread_cond_destroy(&w->cv);
			pthread_mutex_destroy(&w->mu);
			return implog_fail(im->lg, "cannot start the writer thread");
		}
		w->threaded = true;
	}
	pthread_mutex_lock(&w->mu);
	w->state[w->cur] = B_QUEUED;
	w->queue[(w->qhead + w->qlen) % NBATCH] = w->cur;
	w->qlen++;
	pthread_cond_broadcast(&w->cv);
	int next = -1;
	if (!last) {
		for (;;) {
			for (int k = 0; k < NBATCH && next < 0; k++)
				if (w->state[k] == B_FREE)
					next = k;
			if (next >= 0 || w->failed)
				break;
			pthread_cond_wait(&w->cv, &w->mu);
		}
		if (next >= 0) {
			w->state[next] = B_FILLING;
			w->b[next].n = 0;
			w->b[next].text.len = 0;
			w->cur = next;
		}
	}
	bool failed = w->failed;
	pthread_mutex_unlock(&w->mu);
	return failed ? LY_ERR : LY_OK;
}

/* Wait for the writer to finish everything queued. */
static int writer_stop(struct ss *im)
{
	struct writer *w = im->w;
	if (!w)
		return LY_OK;
	if (w->threaded) {
		pthread_mutex_lock(&w->mu);
		w->done = true;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->th, NULL);
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		w->threaded = false;
	}
	if (w->failed && im->lg->rc == LY_OK) {
		ly_fail(im->lg->err, "%s", w->err.msg);
		im->lg->rc = LY_ERR;
	}
	return w->failed ? LY_ERR : LY_OK;
}

static void writer_free(struct writer *w)
{
	if (!w)
		return;
	for (int k = 0; k < NBATCH; k++) {
		free(w->b[k].text.s);
		free(w->b[k].r);
	}
	free(w);
}

/* A new row in the batch being filled. */
static struct rec *new_rec(struct ss *im)
{
	if (!im->w) {
		if (!(im->w = calloc(1, sizeof *im->w))) {
			oom(im);
			return NULL;
		}
		im->w->state[0] = B_FILLING;
	}
	struct writer *w = im->w;
	struct batch *b = &w->b[w->cur];
	if ((b->n >= BATCH_ROWS || b->text.len >= BATCH_TEXT) && flush_batch(im, false)) {
		if (im->lg->rc == LY_OK) {
			ly_fail(im->lg->err, "%s", w->err.msg);
			im->lg->rc = LY_ERR;
		}
		return NULL;
	}
	b = &w->b[w->cur];
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 64;
		struct rec *r = realloc(b->r, ncap * sizeof *r);
		if (!r) {
			oom(im);
			return NULL;
		}
		b->r = r;
		b->cap = ncap;
	}
	struct rec *r = &b->r[b->n++];
	memset(r, 0, sizeof *r);
	return r;
}

/* Final keys for talks without an id whose slug repeats. */
static int settle_keys(struct ss *im)
{
	sqlite3_stmt *s = tstmt(im,
		"SELECT f.talk_id, f.slug, f.sph, t.key,"
		" count(*) OVER (PARTITION BY f.slug),"
		" count(*) OVER (PARTITION BY f.slug, f.sph),"
		" row_number() OVER (PARTITION BY f.slug, f.sph ORDER BY f.seq),"
		" EXISTS (SELECT 1 FROM @T i WHERE i.conf_id = ?1 AND i.key = f.slug"
		"         AND i.id NOT IN (SELECT talk_id FROM temp.fix))"
		" FROM temp.fix f JOIN @T t ON t.id = f.talk_id ORDER BY f.seq");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, im->conf);
	/* Collect first: updating talk while stepping a query over it is unwise. */
	struct sbuf todo = { 0 };
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *slug = (const char *)sqlite3_column_text(s, 1);
		const char *sph = (const char *)sqlite3_column_text(s, 2);
		const char *cur = (const char *)sqlite3_column_text(s, 3);
		int per_slug = sqlite3_column_int(s, 4), per_pair = sqlite3_column_int(s, 5);
		int occ = sqlite3_column_int(s, 6);
		bool clash = sqlite3_column_int(s, 7);
		char key[TALK_SLUG_MAX + 32];
		int n = snprintf(key, sizeof key, "%s", slug);
		if (per_slug > per_pair || clash)
			n += snprintf(key + n, sizeof key - (size_t)n, "-%s", sph);
		if (occ > 1)
			snprintf(key + n, sizeof key - (size_t)n, "~%d", occ);
		if (cur && strcmp(cur, key) == 0)
			continue;
		char line[sizeof key + 24];
		int len = snprintf(line, sizeof line, "%lld %s", (long long)id, key);
		if (!sb_put(&todo, line, (size_t)len + 1)) {
			sqlite3_reset(s);
			free(todo.s);
			return oom(im);
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(todo.s);
		return db_fail(im);
	}
	for (size_t i = 0; i < todo.len; i += strlen(todo.s + i) + 1) {
		char *sp = strchr(todo.s + i, ' ');
		int64_t id = strtoll(todo.s + i, NULL, 10);
		const char *key = sp + 1;
		char alt[TALK_SLUG_MAX + 48];
		/* A key someone else already has (a title that reads like
		 * "intro-2"): add ~N until it is free. */
		for (int k = 1; k < 1000; k++) {
			const char *want = key;
			if (k > 1) {
				snprintf(alt, sizeof alt, "%s~%d", key, k);
				want = alt;
			}
			sqlite3_bind_int64(im->set_key, 1, id);
			sqlite3_bind_text(im->set_key, 2, want, -1, SQLITE_STATIC);
			rc = sqlite3_step(im->set_key);
			sqlite3_reset(im->set_key);
			if ((rc & 0xFF) != SQLITE_CONSTRAINT)
				break;
		}
		if (rc != SQLITE_DONE) {
			free(todo.s);
			return db_fail(im);
		}
	}
	free(todo.s);
	return LY_OK;
}

/* "Wed 18 May 11:00, Room 2A" with the room escaped for a message. */
static void when_label(const char *stamp, const char *rawroom, char *out, size_t outlen)
{
	char room[128];
	implog_value(rawroom, 80, room, sizeof room);
	const char *sep = *room ? ", " : "";
	if (!stamp || strlen(stamp) < 16) {
		snprintf(out, outlen, "unscheduled%s%s", sep, room);
		return;
	}
	char day[11], label[24];
	memcpy(day, stamp, 10);
	day[10] = '\0';
	ltime_day_label(day, label, sizeof label);
	snprintf(out, outlen, "%s %s%s%s", label, stamp + 11, sep, room);
}

/* Notes on the talks the user planned or attended that moved or vanished. */
static int notes(struct ss *im)
{
	sqlite3_stmt *s = stmt(im,
		"SELECT mk.status, o.title, o.start, o.room, n.start, n.room FROM temp.m m"
		" JOIN talk o ON o.id = m.oid JOIN temp.stage n ON n.id = m.sid JOIN mark mk ON mk.talk_id = o.id"
		" WHERE m.kind = 'moved' AND mk.status IN ('planned', 'attended') ORDER BY n.seq");
	if (!s)
		return LY_ERR;
	char t[160];
	while (sqlite3_step(s) == SQLITE_ROW) {
		char from[160], to[160];
		when_label((const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3), from, sizeof from);
		when_label((const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 5), to, sizeof to);
		implog_emit(im->lg, "note: %s talk '%s' moved from %s to %s", (const char *)sqlite3_column_text(s, 0),
		            implog_value((const char *)sqlite3_column_text(s, 1), 120, t, sizeof t), from, to);
	}
	sqlite3_reset(s);
	s = stmt(im,
		"SELECT mk.status, o.title FROM talk o JOIN mark mk ON mk.talk_id = o.id"
		" WHERE o.conf_id = ?1 AND o.removed = 0 AND mk.status IN ('planned', 'attended')"
		" AND o.id NOT IN (SELECT oid FROM temp.m WHERE oid IS NOT NULL) ORDER BY o.start, o.title");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, im->old_conf);
	while (sqlite3_step(s) == SQLITE_ROW)
		implog_emit(im->lg, "note: %s talk '%s' is no longer in the schedule; your notes on it are kept",
		            (const char *)sqlite3_column_text(s, 0),
		            implog_value((const char *)sqlite3_column_text(s, 1), 120, t, sizeof t));
	sqlite3_reset(s);
	return LY_OK;
}

static int count_kind(struct ss *im, const char *kind, int *out)
{
	sqlite3_stmt *s = stmt(im, "SELECT count(*) FROM temp.m WHERE kind = ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	*out = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? LY_OK : db_fail(im);
}

/* A bigger buffer for pending terms means fewer segments to merge while
 * indexing many talks; put back to FTS5's default after, so it lasts only
 * this import. */
static int fts_hashsize(struct ss *im, int bytes)
{
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO talk_fts(talk_fts, rank) VALUES('hashsize', %d)", bytes);
	return exec(im, sql);
}

/* Search is an external-content index over talk. A new conference's talks
 * are indexed after loading (finish); on a re-import the whole of it is
 * rebuilt when most talks changed, else only the changed talks are taken
 * out (with the values it indexed) before and put back after they change. */
static int fts_rebuild(struct ss *im)
{
	if (fts_hashsize(im, FTS_HASH) || exec(im, "INSERT INTO talk_fts(talk_fts) VALUES('rebuild')") ||
	    fts_hashsize(im, FTS_HASH_DEFAULT))
		return LY_ERR;
	return LY_OK;
}

/* Fold the staged rows into the existing conference: talks matched by key
 * are updated in place (their ids, and so the user's marks, stay), new ones
 * are added, missing ones are marked removed. Only rows that changed are
 * written, so an unchanged schedule writes next to nothing. */
static int merge_into_old(struct ss *im, struct import_report *rep, const char *zone)
{
	char sql[2048];
	long long old = (long long)im->old_conf;
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
		old);
	int unchanged, reordered;
	if (exec(im, sql) || count_kind(im, "added", &rep->added) || count_kind(im, "moved", &rep->moved) ||
	    count_kind(im, "updated", &rep->updated) || count_kind(im, "", &unchanged) ||
	    count_kind(im, "=", &reordered) || notes(im))
		return LY_ERR;
	rep->unchanged = unchanged + reordered;
	snprintf(sql, sizeof sql,
		"UPDATE talk SET change = '', prev_start = NULL, prev_room = NULL WHERE conf_id = %lld"
		" AND (change <> '' OR prev_start IS NOT NULL OR prev_room IS NOT NULL);"
		"UPDATE talk SET removed = 1 WHERE conf_id = %lld AND removed = 0"
		" AND id NOT IN (SELECT oid FROM temp.m WHERE oid IS NOT NULL);",
		old, old);
	if (exec(im, sql))
		return LY_ERR;
	rep->removed = sqlite3_changes(im->db);
	/* Search changes for new talks and for those whose indexed text did
	 * (a talk that only moved in time keeps its words). */
	int64_t total, top, retext, fresh;
	if (query_int(im, "SELECT count(*) FROM talk", 0, 0, &total) ||
	    query_int(im, "SELECT COALESCE(max(id), 0) FROM talk", 0, 0, &top) ||
	    query_int(im, "SELECT count(*) FROM temp.m WHERE fts", 0, 0, &retext) ||
	    query_int(im, "SELECT count(*) FROM temp.m WHERE oid IS NULL", 0, 0, &fresh))
		return LY_ERR;
	/* Taking a talk out and putting it back costs about what indexing two
	 * talks does; a rebuild indexes all of them once. */
	int64_t fts_changed = retext + fresh;
	bool whole = !im->rehearse && fts_changed * 2 > total;
	bool some = !im->rehearse && !whole && fts_changed > 0;
	if (some && exec(im, "INSERT INTO talk_fts(talk_fts, rowid, " FTS_COLS ")"
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
		"INSERT INTO talk(conf_id, key, title, start, end, day, room, track, type, speakers,"
		" abstract, url, change, line, seq)"
		" SELECT %lld, n.key, n.title, n.start, n.end, n.day, n.room, n.track, n.type, n.speakers,"
		" n.abstract, n.url, 'added', n.line, n.seq"
		" FROM temp.m m JOIN temp.stage n ON n.id = m.sid WHERE m.kind = 'added' AND m.oid IS NULL"
		" ORDER BY n.id;",
		old);
	if (exec(im, sql))
		return LY_ERR;
	if (some) {
		sqlite3_stmt *s = stmt(im, "INSERT INTO talk_fts(rowid, " FTS_COLS ")"
		                           " SELECT id, " FTS_COLS " FROM talk WHERE id IN"
		                           " (SELECT oid FROM temp.m WHERE fts)"
		                           " UNION ALL SELECT id, " FTS_COLS " FROM talk WHERE id > ?1");
		if (!s)
			return LY_ERR;
		sqlite3_bind_int64(s, 1, top);
		if (run(im, s))
			return LY_ERR;
	}
	if (whole && fts_rebuild(im))
		return LY_ERR;
	if (exec(im, "DROP TABLE temp.m;"))
		return LY_ERR;
	sqlite3_stmt *s = stmt(im, "UPDATE conference SET source = ?2, tz = COALESCE(?3, tz),"
	                           " imported_at = datetime('now'),"
	                           " import_seq = (SELECT COALESCE(max(import_seq), 0) + 1 FROM conference)"
	                           " WHERE id = ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, im->old_conf);
	sqlite3_bind_text(s, 2, im->source, -1, SQLITE_STATIC);
	if (zone && *zone)
		sqlite3_bind_text(s, 3, zone, -1, SQLITE_STATIC);
	if (run(im, s))
		return LY_ERR;
	im->conf = im->old_conf;
	return LY_OK;
}

/* ---- the sink ------------------------------------------------------------- */

/* Open the transaction and the conference the talks go into. */
static int ss_begin(void *self)
{
	struct ss *im = self;
	int64_t v;
	if (query_int(im, "PRAGMA cache_size", 0, 0, &v))
		return LY_ERR;
	im->old_cache = (int)v;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", CACHE_KIB);
	if (exec(im, sql))
		return LY_ERR;
	/* Temporary tables and sorts in memory make a first import faster;
	 * a re-import stages every row in a temporary table (80 MB at 100,000
	 * talks), which stays in a file. Set before the transaction, as
	 * changing it empties the temp schema. */
	sqlite3_stmt *q = stmt(im, "SELECT count(*) FROM conference WHERE name = ?1");
	if (!q)
		return LY_ERR;
	sqlite3_bind_text(q, 1, im->conf_name, -1, SQLITE_STATIC);
	bool exists = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) > 0;
	sqlite3_reset(q);
	if (exec(im, exists ? "PRAGMA temp_store = DEFAULT" : "PRAGMA temp_store = MEMORY"))
		return LY_ERR;
	/* The first talks of a database (nobody else can have read any): the
	 * import writes its pages once, under a rollback journal holding next
	 * to nothing, where the WAL would have them written twice (the log,
	 * then the checkpoint). Just as atomic; the WAL is back at the end (and
	 * store_open asks for it whatever happens). If another connection is
	 * open the mode does not change and the WAL is used. Switching costs a
	 * few syncs, more than a small schedule's import saves. */
	int64_t empty = 0;
	struct stat sb;
	im->big = im->source && stat(im->source, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= BIG_BYTES;
	if (im->big && !exists && !im->rehearse &&
	    query_int(im, "SELECT NOT EXISTS (SELECT 1 FROM talk)", 0, 0, &empty))
		return LY_ERR;
	if (empty) {
		sqlite3_stmt *j = stmt(im, "PRAGMA journal_mode = DELETE");
		if (!j)
			return LY_ERR;
		if (sqlite3_step(j) == SQLITE_ROW) {
			const char *mode = (const char *)sqlite3_column_text(j, 0);
			im->own_journal = mode && strcmp(mode, "delete") == 0;
		}
		sqlite3_reset(j);
	}
	if (store_begin(im->st, im->lg->err))
		return im->lg->rc = LY_ERR;
	im->in_tx = true;
	sqlite3_create_function(im->db, "lanyard_merge_speakers", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                        sql_merge_speakers, NULL, NULL);
	if (exec(im, "CREATE TEMP TABLE IF NOT EXISTS fix(talk_id INTEGER PRIMARY KEY, slug TEXT NOT NULL,"
	             " sph TEXT NOT NULL, seq INTEGER NOT NULL);"
	             "CREATE TEMP TABLE IF NOT EXISTS alt(talk_id INTEGER PRIMARY KEY, ord INTEGER NOT NULL,"
	             " start TEXT, end TEXT, day TEXT);"
	             "DELETE FROM temp.fix; DELETE FROM temp.alt;"))
		return LY_ERR;
	sqlite3_stmt *s = stmt(im, "SELECT id FROM conference WHERE name = ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_text(s, 1, im->conf_name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	im->old_conf = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(im);
	/* A new conference is written in place; a re-import is staged in a
	 * temporary table with talk's shape (only the key indexed) and merged
	 * at the end. */
	if (im->old_conf) {
		if (exec(im, "DROP TABLE IF EXISTS temp.stage;"
		             "CREATE TEMP TABLE stage(id INTEGER PRIMARY KEY, conf_id INTEGER NOT NULL,"
		             " key TEXT NOT NULL, title TEXT NOT NULL, start TEXT, end TEXT, day TEXT,"
		             " room TEXT NOT NULL DEFAULT '', track TEXT NOT NULL DEFAULT '',"
		             " type TEXT NOT NULL DEFAULT '', speakers TEXT NOT NULL DEFAULT '',"
		             " abstract TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',"
		             " line INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0,"
		             " UNIQUE(conf_id, key));"))
			return LY_ERR;
		im->tbl = "temp.stage";
		im->conf = im->old_conf;
	} else {
		s = stmt(im, "INSERT INTO conference(name, source, tz, imported_at, import_seq)"
		             " VALUES(?1, ?2, '', datetime('now'),"
		             " (SELECT COALESCE(max(import_seq), 0) + 1 FROM conference))");
		if (!s)
			return LY_ERR;
		sqlite3_bind_text(s, 1, im->conf_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, im->source, -1, SQLITE_STATIC);
		if (run(im, s))
			return LY_ERR;
		im->conf = sqlite3_last_insert_rowid(im->db);
		/* The first talks of all, many of them: talk's other indexes are
		 * dropped and built from the loaded rows at the end (one sort each,
		 * where inserting rows in file order would touch index pages at
		 * random). A few talks are not worth the schema changes. */
		int64_t bare;
		if (im->big && !im->rehearse) {
			if (query_int(im, "SELECT NOT EXISTS (SELECT 1 FROM talk)", 0, 0, &bare))
				return LY_ERR;
			if (bare) {
				if (store_talk_indexes(im->st, false, im->lg->err))
					return im->lg->rc = LY_ERR;
				im->late_indexes = true;
			}
		}
	}
	if (!(im->ins_id = tstmt(im, INS_ID_SQL)) || !(im->ins_plain = tstmt(im, INS_PLAIN_SQL)) ||
	    !(im->fix_ins = stmt(im, "INSERT INTO temp.fix(talk_id, slug, sph, seq) VALUES(?1, ?2, ?3, ?4)")) ||
	    !(im->fix_first = tstmt(im, "INSERT OR IGNORE INTO temp.fix(talk_id, slug, sph, seq)"
	                               " SELECT id, ?2, ?3, seq FROM @T WHERE conf_id = ?1 AND key = ?2")) ||
	    !(im->set_slug_key = tstmt(im, "UPDATE @T SET key = ?3 WHERE conf_id = ?1 AND key = ?2")) ||
	    !(im->alt_ins = stmt(im, "INSERT OR REPLACE INTO temp.alt(talk_id, ord, start, end, day)"
	                             " VALUES(?1, ?2, ?3, ?4, ?5)")) ||
	    !(im->find_key = tstmt(im, "SELECT id, start FROM @T WHERE conf_id = ?1 AND key = ?2")) ||
	    !(im->set_key = tstmt(im, "UPDATE @T SET key = ?2 WHERE id = ?1")))
		return LY_ERR;
	return LY_OK;
}

static bool rec_stamp(struct batch *b, struct rec *r, enum str i, const char *v)
{
	return rec_str(b, r, i, *v ? v : NULL, strlen(v));
}

static int ss_talk(void *self, const struct talk_in *t)
{
	struct ss *im = self;
	struct rec *r = new_rec(im);
	if (!r)
		return LY_ERR;
	struct batch *b = &im->w->b[im->w->cur];
	im->seq++;
	r->line = t->line;
	r->seq = im->seq;
	r->merging = t->merging;
	char sph[8], fsph[8], prov[32];
	const char *key = t->id;
	size_t keylen = t->id_len;
	bool ok = true;
	if (t->id_len) {
		uint64_t idh = hash64(t->id, t->id_len);
		struct kent *seen = key_find(&im->keys, idh);
		r->upsert = 1;
		if (seen && seen->kind == K_SLUG) {
			/* An id named like an earlier talk's slug: the talk holding
			 * that slug moves aside; its key is settled at the end. */
			r->pre = PRE_CLASH;
			hex6(seen->sph, fsph);
			int n = snprintf(prov, sizeof prov, "\x01c%lld", (long long)im->seq);
			ok = rec_str(b, r, R_SLUG, t->id, t->id_len) && rec_str(b, r, R_FSPH, fsph, 6) &&
			     rec_str(b, r, R_PROV, prov, (size_t)n);
			seen->kind = K_ID;
			seen->repeated = 1;
		} else if (!seen) {
			struct kent *e = key_add(&im->keys, idh);
			if (!e)
				return oom(im);
			e->kind = K_ID;
		}
	} else {
		size_t slen = strlen(t->slug);
		hex6(t->sph, sph);
		uint64_t h = hash64(t->slug, slen);
		struct kent *e = key_find(&im->keys, h);
		key = t->slug;
		keylen = slen;
		if (e) {
			/* The slug repeats: this talk (and the first, if it still
			 * holds the plain slug) get their keys at the end. */
			if (e->kind == K_SLUG && !e->repeated) {
				r->pre = PRE_FIX_FIRST;
				hex6(e->sph, fsph);
				ok = rec_str(b, r, R_FSPH, fsph, 6);
			}
			e->repeated = 1;
			int n = snprintf(prov, sizeof prov, "\x01s%lld", (long long)im->seq);
			key = prov;
			keylen = (size_t)n;
			r->fix = 1;
			ok = ok && rec_str(b, r, R_SLUG, t->slug, slen) && rec_str(b, r, R_SPH, sph, 6);
		} else {
			if (!(e = key_add(&im->keys, h)))
				return oom(im);
			e->kind = K_SLUG;
			e->sph = t->sph;
		}
	}
	ok = ok && rec_str(b, r, R_KEY, key, keylen) && rec_str(b, r, R_TITLE, t->title, t->title_len) &&
	     (t->scheduled ? rec_stamp(b, r, R_START, t->start) && rec_stamp(b, r, R_END, t->end) &&
	                     rec_stamp(b, r, R_DAY, t->day)
	                   : rec_str(b, r, R_START, NULL, 0) && rec_str(b, r, R_END, NULL, 0) &&
	                     rec_str(b, r, R_DAY, NULL, 0)) &&
	     rec_str(b, r, R_ROOM, t->room, t->room_len) && rec_str(b, r, R_TRACK, t->track, t->track_len) &&
	     rec_str(b, r, R_TYPE, t->type, t->type_len) && rec_str(b, r, R_SPK, t->speakers, t->speakers_len) &&
	     rec_str(b, r, R_ABS, t->abstract, t->abstract_len) && rec_str(b, r, R_URL, t->url, t->url_len);
	if (ok && t->alt) {
		r->alt = 1;
		r->ord = (unsigned char)t->ord;
		ok = t->alt_scheduled ? rec_stamp(b, r, R_ASTART, t->astart) && rec_stamp(b, r, R_AEND, t->aend) &&
		                        rec_stamp(b, r, R_ADAY, t->aday)
		                      : rec_str(b, r, R_ASTART, NULL, 0) && rec_str(b, r, R_AEND, NULL, 0) &&
		                        rec_str(b, r, R_ADAY, NULL, 0);
	}
	return ok ? LY_OK : oom(im);
}

static int finish(struct ss *im, const struct sink_end *e, struct import_report *rep)
{
	int64_t v;
	if (query_int(im, "SELECT count(*) FROM @T WHERE conf_id = ?1", im->conf, 0, &v))
		return LY_ERR;
	if (v == 0)
		return implog_fail_line(im->lg, e->first_row_line, "no talks: no row has a title");
	rep->talks = (int)v;
	rep->rows = (int)e->rows;
	/* Ambiguous dates: the whole file has spoken. */
	sqlite3_stmt *s = tstmt(im, "UPDATE @T AS t SET start = a.start, end = a.end, day = a.day"
	                            " FROM temp.alt a WHERE a.talk_id = t.id AND a.ord <> ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int(s, 1, (int)e->order);
	if (run(im, s) || settle_keys(im))
		return LY_ERR;
	if (query_int(im, "SELECT count(*) FROM @T WHERE conf_id = ?1 AND start IS NULL", im->conf, 0, &v))
		return LY_ERR;
	rep->unscheduled = (int)v;
	if (im->old_conf) {
		if (merge_into_old(im, rep, e->zone) || exec(im, "DROP TABLE temp.stage;"))
			return LY_ERR;
	} else {
		rep->added = rep->talks;
		if (e->zone && *e->zone) {
			s = stmt(im, "UPDATE conference SET tz = ?2 WHERE id = ?1");
			if (!s)
				return LY_ERR;
			sqlite3_bind_int64(s, 1, im->conf);
			sqlite3_bind_text(s, 2, e->zone, -1, SQLITE_STATIC);
			if (run(im, s))
				return LY_ERR;
		}
	}
	rep->conf_id = im->rehearse && !im->old_conf ? 0 : im->conf;
	if (exec(im, "DELETE FROM temp.fix; DELETE FROM temp.alt;"))
		return LY_ERR;
	if (im->late_indexes && store_talk_indexes(im->st, true, im->lg->err))
		return im->lg->rc = LY_ERR;
	if (im->old_conf || im->rehearse)
		return LY_OK;
	/* A new conference: indexed whole when it is all the talks there are. */
	int64_t others;
	if (query_int(im, "SELECT EXISTS (SELECT 1 FROM talk WHERE conf_id <> ?1)", im->conf, 0, &others))
		return LY_ERR;
	if (!others)
		return fts_rebuild(im);
	s = stmt(im, "INSERT INTO talk_fts(rowid, " FTS_COLS ") SELECT id, " FTS_COLS " FROM talk WHERE conf_id = ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, im->conf);
	return run(im, s);
}

static void close_tx(struct ss *im, bool commit)
{
	if (im->in_tx) {
		if (!commit || store_commit(im->st, im->lg->err) != LY_OK) {
			if (commit)
				im->lg->rc = LY_ERR;
			store_rollback(im->st);
		}
		im->in_tx = false;
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", im->old_cache);
		sqlite3_exec(im->db, sql, NULL, NULL, NULL);
	}
	/* Even when the transaction never opened. */
	if (im->own_journal)
		sqlite3_exec(im->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	im->own_journal = false;
}

static int ss_end(void *self, const struct sink_end *e, struct import_report *rep)
{
	struct ss *im = self;
	int rc = LY_OK;
	if (im->w)
		rc = flush_batch(im, true);
	if (writer_stop(im))
		rc = LY_ERR;
	if (rc == LY_OK)
		rc = finish(im, e, rep);
	close_tx(im, rc == LY_OK && !im->rehearse);
	return rc == LY_OK ? im->lg->rc : rc;
}

static void ss_abort(void *self)
{
	struct ss *im = self;
	writer_stop(im);
	close_tx(im, false);
}

static void ss_free(void *self)
{
	struct ss *im = self;
	if (!im)
		return;
	if (im->in_tx || im->own_journal)
		ss_abort(im);
	free(im->keys.e);
	writer_free(im->w);
	free(im);
}

static const struct import_sink_ops store_ops = {
	.begin = ss_begin,
	.talk = ss_talk,
	.end = ss_end,
	.abort = ss_abort,
	.free = ss_free,
};

int sink_store_new(struct import_sink *out, struct store *st, const char *conf_name, const char *source,
                   bool rehearse, struct imp_log *lg)
{
	struct ss *im = calloc(1, sizeof *im);
	if (!im)
		return implog_oom(lg);
	im->st = st;
	im->db = store_db(st);
	im->lg = lg;
	im->conf_name = conf_name;
	im->source = source;
	im->rehearse = rehearse;
	im->tbl = "talk";
	*out = (struct import_sink){ .ops = &store_ops, .self = im };
	return LY_OK;
}
