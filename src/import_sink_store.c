/* The store sink (contract in import_sink.h): turns normalised talks into
 * rows for the store (store_load.h) and hands them over in batches, on a
 * second thread for big files.
 *
 * Keys: the CSV id, trimmed; without one, the title's slug. A slug that
 * repeats is settled by the store at the end of the file ('-' and six hex
 * digits of the speakers' hash when the speakers differ, or when an id
 * already has that name; '~2', '~3'... for repeats in file order; the first
 * keeps the plain key); this side only knows which keys it has handed out.
 */
#include "lanyard/import_sink.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lanyard/ltime.h"
#include "lanyard/store_load.h"
#include "lanyard/strbuf.h"

#define BIG_BYTES (1 << 20)       /* a schedule file this big is worth rearranging the store for */

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
	struct imp_log *lg;
	struct load_opts lo;
	struct store_load *ld;
	int64_t seq;
	struct keytab keys;
	struct writer *w;       /* rows on their way to the store */
	/* Speakers merged across the rows of one talk that reached the cap:
	 * the first such row's line, and how many talks (written by the
	 * writer thread; read after it has been joined). */
	long capped_line;
	int capped;
	struct keytab capped_keys;
};

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

/* What a row asks of the store is decided while reading (keys included)
 * and written by store_load_rows; on big files that runs in a second
 * thread, so reading and writing overlap. A batch holds its rows' text in
 * one buffer. */
struct batch {
	struct strbuf text;
	struct load_rec *r;
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

static bool rec_str(struct batch *b, struct load_rec *r, enum load_str i, const char *v, size_t n)
{
	if (!v) {
		r->off[i] = LOAD_NULL;
		r->len[i] = 0;
		return true;
	}
	r->off[i] = b->text.len;
	r->len[i] = (unsigned)n;
	return strbuf_put(&b->text, v, n) && strbuf_put(&b->text, "", 1);
}

/* Write a batch (this may run in the writer thread). */
static int apply(struct ss *im, const struct batch *b, struct ly_error *err)
{
	struct load_batch view = { .text = b->text.s, .r = b->r, .n = b->n };
	return store_load_rows(im->ld, &view, err);
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
static struct load_rec *new_rec(struct ss *im)
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
		struct load_rec *r = realloc(b->r, ncap * sizeof *r);
		if (!r) {
			oom(im);
			return NULL;
		}
		b->r = r;
		b->cap = ncap;
	}
	struct load_rec *r = &b->r[b->n++];
	memset(r, 0, sizeof *r);
	return r;
}

/* ---- the store's side ------------------------------------------------------ */

/* Runs where the rows are written (the writer thread): touches only the
 * capped fields, read once that thread has been joined. */
static char *merge_speakers(void *ctx, const char *a, const char *b, const char *key, int64_t line)
{
	struct ss *im = ctx;
	bool full = false;
	char *m = norm_speakers_merge(a, b, &full);
	if (!full || !m)
		return m;
	uint64_t h = norm_hash64(key ? key : "", key ? strlen(key) : 0);
	if (key_find(&im->capped_keys, h))
		return m;
	struct kent *e = key_add(&im->capped_keys, h);
	if (!e) {
		free(m);
		return NULL;
	}
	e->kind = K_ID;
	if (im->capped++ == 0)
		im->capped_line = (long)line;
	return m;
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

/* A talk the user planned or attended moved or is gone. */
static void note(void *ctx, const struct load_note *n)
{
	struct ss *im = ctx;
	char t[160];
	implog_value(n->title, 120, t, sizeof t);
	if (n->gone) {
		implog_emit(im->lg, "note: %s talk '%s' is no longer in the schedule; your notes on it are kept",
		            n->status, t);
		return;
	}
	char from[160], to[160];
	when_label(n->from_start, n->from_room, from, sizeof from);
	when_label(n->to_start, n->to_room, to, sizeof to);
	implog_emit(im->lg, "note: %s talk '%s' moved from %s to %s", n->status, t, from, to);
}

static int ss_begin(void *self)
{
	struct ss *im = self;
	struct stat sb;
	im->lo.big = im->lo.source && stat(im->lo.source, &sb) == 0 && S_ISREG(sb.st_mode) &&
	             sb.st_size >= BIG_BYTES;
	if (store_load_begin(im->st, &im->lo, &im->ld, im->lg->err))
		return im->lg->rc = LY_ERR;
	return LY_OK;
}

static bool rec_stamp(struct batch *b, struct load_rec *r, enum load_str i, const char *v)
{
	return rec_str(b, r, i, *v ? v : NULL, strlen(v));
}

static int ss_talk(void *self, const struct talk_in *t)
{
	struct ss *im = self;
	struct load_rec *r = new_rec(im);
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
		uint64_t idh = norm_hash64(t->id, t->id_len);
		struct kent *seen = key_find(&im->keys, idh);
		r->upsert = 1;
		if (seen && seen->kind == K_SLUG) {
			/* An id named like an earlier talk's slug: the talk holding
			 * that slug moves aside; its key is settled at the end. */
			r->pre = LOAD_PRE_CLASH;
			hex6(seen->sph, fsph);
			int n = snprintf(prov, sizeof prov, "\x01c%lld", (long long)im->seq);
			ok = rec_str(b, r, LS_SLUG, t->id, t->id_len) && rec_str(b, r, LS_FSPH, fsph, 6) &&
			     rec_str(b, r, LS_PROV, prov, (size_t)n);
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
		uint64_t h = norm_hash64(t->slug, slen);
		struct kent *e = key_find(&im->keys, h);
		key = t->slug;
		keylen = slen;
		if (e) {
			/* The slug repeats: this talk (and the first, if it still
			 * holds the plain slug) get their keys at the end. */
			if (e->kind == K_SLUG && !e->repeated) {
				r->pre = LOAD_PRE_FIX_FIRST;
				hex6(e->sph, fsph);
				ok = rec_str(b, r, LS_FSPH, fsph, 6);
			}
			e->repeated = 1;
			int n = snprintf(prov, sizeof prov, "\x01s%lld", (long long)im->seq);
			key = prov;
			keylen = (size_t)n;
			r->fix = 1;
			ok = ok && rec_str(b, r, LS_SLUG, t->slug, slen) && rec_str(b, r, LS_SPH, sph, 6);
		} else {
			if (!(e = key_add(&im->keys, h)))
				return oom(im);
			e->kind = K_SLUG;
			e->sph = t->sph;
		}
	}
	ok = ok && rec_str(b, r, LS_KEY, key, keylen) && rec_str(b, r, LS_TITLE, t->title, t->title_len) &&
	     (t->scheduled ? rec_stamp(b, r, LS_START, t->start) && rec_stamp(b, r, LS_END, t->end) &&
	                     rec_stamp(b, r, LS_DAY, t->day)
	                   : rec_str(b, r, LS_START, NULL, 0) && rec_str(b, r, LS_END, NULL, 0) &&
	                     rec_str(b, r, LS_DAY, NULL, 0)) &&
	     rec_str(b, r, LS_ROOM, t->room, t->room_len) && rec_str(b, r, LS_TRACK, t->track, t->track_len) &&
	     rec_str(b, r, LS_TYPE, t->type, t->type_len) && rec_str(b, r, LS_SPEAKERS, t->speakers, t->speakers_len) &&
	     rec_str(b, r, LS_ABSTRACT, t->abstract, t->abstract_len) && rec_str(b, r, LS_URL, t->url, t->url_len);
	if (ok && t->alt) {
		r->alt = 1;
		r->ord = (unsigned char)t->ord;
		ok = t->alt_scheduled ? rec_stamp(b, r, LS_ASTART, t->astart) && rec_stamp(b, r, LS_AEND, t->aend) &&
		                        rec_stamp(b, r, LS_ADAY, t->aday)
		                      : rec_str(b, r, LS_ASTART, NULL, 0) && rec_str(b, r, LS_AEND, NULL, 0) &&
		                        rec_str(b, r, LS_ADAY, NULL, 0);
	}
	return ok ? LY_OK : oom(im);
}

static int ss_end(void *self, const struct sink_end *e, struct import_report *rep)
{
	struct ss *im = self;
	int rc = LY_OK;
	if (im->w)
		rc = flush_batch(im, true);
	if (writer_stop(im))
		rc = LY_ERR;
	if (rc != LY_OK)
		return rc;
	if (im->capped == 1)
		implog_warn(im->lg, im->capped_line, "this talk's rows list more than %d speakers together;"
		            " the rest are left out", NORM_SPEAKERS_MAX);
	else if (im->capped)
		implog_warn(im->lg, im->capped_line, "the rows of %d talks (the first here) list more than %d"
		            " speakers each; the rest are left out", im->capped, NORM_SPEAKERS_MAX);
	struct load_report lr;
	rc = store_load_end(im->ld, (int)e->order, e->zone, &lr, im->lg->err);
	store_load_free(im->ld);
	im->ld = NULL;
	if (rc == LY_NOTFOUND)
		return implog_fail_line(im->lg, e->first_row_line, "no talks: no row has a title");
	if (rc != LY_OK)
		return im->lg->rc = LY_ERR;
	rep->conf_id = lr.conf_id;
	rep->talks = lr.talks;
	rep->rows = (int)e->rows;
	rep->unscheduled = lr.unscheduled;
	rep->added = lr.added;
	rep->updated = lr.updated;
	rep->moved = lr.moved;
	rep->removed = lr.removed;
	rep->unchanged = lr.unchanged;
	return im->lg->rc;
}

static void ss_abort(void *self)
{
	struct ss *im = self;
	writer_stop(im);
	store_load_free(im->ld);
	im->ld = NULL;
}

static void ss_free(void *self)
{
	struct ss *im = self;
	if (!im)
		return;
	ss_abort(im);
	free(im->keys.e);
	free(im->capped_keys.e);
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
                   bool plan, struct imp_log *lg)
{
	struct ss *im = calloc(1, sizeof *im);
	if (!im)
		return implog_oom(lg);
	im->st = st;
	im->lg = lg;
	im->lo = (struct load_opts){ .conf_name = conf_name, .source = source, .plan = plan,
	                             .merge_speakers = merge_speakers, .note = note, .ctx = im };
	*out = (struct import_sink){ .ops = &store_ops, .self = im };
	return LY_OK;
}
