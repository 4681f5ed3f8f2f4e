/* import_file: drives the pipeline of import.h over one file, reader ->
 * mapping -> normalisation -> sink, and keeps what belongs to no stage:
 * the conference's name, which records count as rows, and the checks that
 * need the whole file (empty, no header, no rows). */
#include "lanyard/import.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lanyard/import_fetch.h"
#include "lanyard/import_map.h"
#include "lanyard/import_norm.h"
#include "lanyard/import_reader.h"
#include "lanyard/import_sink.h"
#include "lanyard/restore.h"
#include "lanyard/text.h"

struct run {
	struct imp_log lg;
	const struct import_opts *o;
	struct store *st;
	const char *source;
	struct import_report *rep;
	struct imp_map map;
	bool header_done;
	struct norm *norm;
	struct import_sink sink;
	bool begun;
	long rows, first_row_line;
	/* How speakers cells are written is seen across rows, not in one: a
	 * catalog writing "Name, Job title, Company; Name, ..." shows it only
	 * in its sessions with two speakers, and its one-speaker cells read
	 * like a list of three names. So the first rows are held (copied)
	 * until a cell shows it or HOLD_ROWS have passed, then normalised. */
	bool decided;
	struct held **held;
	size_t nheld, capheld;
};

#define HOLD_ROWS 200

/* A record kept past its callback: fields and lengths in one block. */
struct held {
	struct reader_rec rec;
};

static void conf_name_of(const char *path, const struct import_opts *o, char *out, size_t outlen)
{
	if (o->name && *o->name) {
		snprintf(out, outlen, "%s", o->name);
		return;
	}
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	snprintf(out, outlen, "%s", base);
	size_t n = strlen(out);
	static const char *const ext[] = { ".csv", ".tsv", ".txt", ".tab" };
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		if (n > 4 && strcasecmp(out + n - 4, ext[i]) == 0) {
			out[n - 4] = '\0';
			break;
		}
	}
	if (!*out)
		snprintf(out, outlen, "schedule");
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

static int header(struct run *r, const struct reader_rec *rec)
{
	int rc = map_header(&r->map, rec, r->o, &r->lg);
	r->header_done = true;
	if (rc != LY_OK)
		return rc;
	if ((rc = norm_new(&r->norm, r->o, &r->map, &r->lg)) != LY_OK)
		return rc;
	if (r->o->dry_run)
		return sink_dryrun_new(&r->sink, r->st, r->rep->conf_name, r->source, r->o, &r->map, r->norm, &r->lg);
	return sink_store_new(&r->sink, r->st, r->rep->conf_name, r->source, false, &r->lg);
}

/* One data record through mapping, normalisation and the sink. */
static int row(struct run *r, const struct reader_rec *rec)
{
	/* ",,,," is no talk: only the columns read count, and text past the
	 * header's last column. */
	size_t extra = rec->overflow;
	for (size_t c = r->map.ncols; c < rec->n; c++)
		extra += !blank(rec->f[c], rec->len[c]);
	bool empty = extra == 0;
	for (int f = 0; f < NFIELDS && empty; f++) {
		size_t len;
		const char *v = map_cell(&r->map, rec, (enum imp_field)f, &len);
		empty = blank(v, len);
	}
	if (empty)
		return LY_OK;
	r->rows++;
	if (extra && !r->map.warned_ragged) {
		r->map.warned_ragged = true;
		implog_warn(&r->lg, rec->line, "more fields than the header has columns (%zu); the extra ones are ignored",
		            r->map.ncols);
	}
	if (r->first_row_line == 0)
		r->first_row_line = rec->line;
	if (map_row(&r->map, rec, &r->lg) == ROW_SKIP)
		return LY_OK;
	struct talk_in t;
	switch (norm_row(r->norm, rec, &t)) {
	case NORM_FAIL: return r->lg.rc != LY_OK ? r->lg.rc : LY_ERR;
	case NORM_SKIP: return LY_OK;
	case NORM_TALK: break;
	}
	if (!r->begun) {
		r->begun = true;
		if (r->sink.ops->begin(r->sink.self))
			return LY_ERR;
	}
	return r->sink.ops->talk(r->sink.self, &t);
}

static struct held *hold_copy(const struct reader_rec *rec)
{
	size_t text = 0;
	for (size_t i = 0; i < rec->n; i++)
		text += rec->len[i] + 1;
	size_t arrays = rec->n * (sizeof(char *) + sizeof(size_t));
	struct held *h = malloc(sizeof *h + arrays + text);
	if (!h)
		return NULL;
	const char **f = (const char **)(h + 1);
	size_t *len = (size_t *)(f + rec->n);
	char *p = (char *)(len + rec->n);
	for (size_t i = 0; i < rec->n; i++) {
		memcpy(p, rec->f[i], rec->len[i]);
		p[rec->len[i]] = '\0';
		f[i] = p;
		len[i] = rec->len[i];
		p += rec->len[i] + 1;
	}
	h->rec = (struct reader_rec){ .n = rec->n, .f = f, .len = len, .overflow = rec->overflow, .line = rec->line };
	return h;
}

/* The held rows go on, in order; from now on rows go straight through. */
static int release(struct run *r)
{
	r->decided = true;
	int rc = LY_OK;
	for (size_t i = 0; i < r->nheld; i++) {
		if (rc == LY_OK)
			rc = row(r, &r->held[i]->rec);
		free(r->held[i]);
	}
	free(r->held);
	r->held = NULL;
	r->nheld = r->capheld = 0;
	return rc;
}

static int on_record(void *ctx, const struct reader_rec *rec)
{
	struct run *r = ctx;
	if (!r->header_done) {
		int rc = header(r, rec);
		r->decided = rc != LY_OK || r->map.fcol[F_SPEAKERS] < 0;
		return rc;
	}
	if (r->decided)
		return row(r, rec);
	size_t len;
	const char *v = map_cell(&r->map, rec, F_SPEAKERS, &len);
	if (norm_speakers_style(v, len) > 0) {
		norm_speaker_entries(r->norm);
		int rc = release(r);
		return rc != LY_OK ? rc : row(r, rec);
	}
	if (r->nheld == r->capheld) {
		size_t cap = r->capheld ? r->capheld * 2 : 16;
		struct held **p = realloc(r->held, cap * sizeof *p);
		if (!p)
			return implog_oom(&r->lg);
		r->held = p;
		r->capheld = cap;
	}
	if (!(r->held[r->nheld] = hold_copy(rec)))
		return implog_oom(&r->lg);
	r->nheld++;
	return r->nheld >= HOLD_ROWS ? release(r) : LY_OK;
}

/* One file through the pipeline; shown is the name messages give it and
 * source what the conference remembers. */
static int import_path(struct store *st, const char *path, const char *shown, const char *source,
                       const struct import_opts *opts, struct import_report *rep, import_msg_fn on_msg, void *ctx,
                       struct ly_error *err)
{
	struct run r = {
		.lg = { .path = shown, .on_msg = on_msg, .ctx = ctx, .err = err },
		.o = opts, .st = st, .source = source, .rep = rep,
	};
	FILE *f = fopen(path, "rb");
	if (!f)
		return ly_fail(err, "%s: error: cannot open: %s", shown, strerror(errno));
	struct reader_stats stats;
	int rc = reader_run(f, &r.lg, on_record, &r, &stats);
	fclose(f);
	if (rc == LY_OK && r.nheld)
		rc = release(&r);
	for (size_t i = 0; i < r.nheld; i++)
		free(r.held[i]);
	free(r.held);
	if (rc != LY_OK && r.lg.rc != LY_OK)
		rc = r.lg.rc; /* LY_USAGE from a --column stays one */
	if (rc == LY_OK && !stats.any_text)
		rc = implog_fail_line(&r.lg, 1, "empty file");
	if (rc == LY_OK && !r.header_done)
		rc = implog_fail_line(&r.lg, stats.lines ? stats.lines : 1, "no header line");
	if (rc == LY_OK && r.rows == 0)
		rc = implog_fail_line(&r.lg, r.map.header_line + 1, "no talks: the file has a header but no rows");
	if (rc == LY_OK && !r.begun)
		rc = implog_fail_line(&r.lg, r.first_row_line, "no talks: no row has a title");
	if (rc == LY_OK) {
		struct sink_end e = {
			.order = norm_order(r.norm), .zone = norm_zone(r.norm), .rows = r.rows,
			.header_line = r.map.header_line, .first_row_line = r.first_row_line,
		};
		rc = r.sink.ops->end(r.sink.self, &e, rep);
	} else if (r.sink.ops) {
		r.sink.ops->abort(r.sink.self);
	}
	if (r.sink.ops)
		r.sink.ops->free(r.sink.self);
	rep->warnings = r.lg.warnings;
	norm_free(r.norm);
	map_free(&r.map);
	return rc;
}

/* A URL: fetched to a private temporary file, then read like any file. */
static int import_url(struct store *st, const char *url, const struct import_opts *opts, struct import_report *rep,
                      import_msg_fn on_msg, void *ctx, struct ly_error *err)
{
	char etag[256], lastmod[128];
	if (store_conf_validators(st, rep->conf_name, url, etag, sizeof etag, lastmod, sizeof lastmod, err))
		return LY_ERR;
	const char *tmp = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/lanyard-fetch-XXXXXX", tmp && *tmp && strlen(tmp) < 400 ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return ly_fail(err, "cannot create a temporary file for the download in %s: %s",
		               tmp && *tmp ? tmp : "/tmp", strerror(errno));
	close(fd);
	struct fetch_result fr;
	int rc = fetch_url(url, etag, lastmod, path, &fr, err);
	if (rc == LY_OK && fr.not_modified) {
		rep->not_modified = true;
	} else if (rc == LY_OK) {
		char shown[512];
		char *safe = text_sanitize(url, false);
		snprintf(shown, sizeof shown, "%s", safe ? safe : "?");
		free(safe);
		rc = import_path(st, path, shown, url, opts, rep, on_msg, ctx, err);
		if (rc == LY_OK && !opts->dry_run)
			rc = store_conf_set_validators(st, rep->conf_name, fr.etag, fr.last_modified, err);
	}
	unlink(path);
	return rc;
}

int import_file(struct store *st, const char *path, const struct import_opts *opts,
                struct import_report *rep, import_msg_fn on_msg, void *ctx, struct ly_error *err)
{
	static const struct import_opts defaults = { 0 };
	if (!opts)
		opts = &defaults;
	memset(rep, 0, sizeof *rep);
	int64_t day;
	if (opts->first_day && *opts->first_day && !dp_ymd(opts->first_day, &day))
		return ly_fail(err, "--first-day takes a date as YYYY-MM-DD, not '%s'", opts->first_day);
	if (fetch_is_url(path)) {
		/* The name: the URL's last part, without its query. */
		char base[256];
		const char *q = strpbrk(path + 8, "?#");
		snprintf(base, sizeof base, "%.*s", (int)(q ? (size_t)(q - path) : strlen(path)), path);
		char *slash = strrchr(base, '/');
		conf_name_of(slash && slash[1] ? slash + 1 : "schedule", opts, rep->conf_name, sizeof rep->conf_name);
		return import_url(st, path, opts, rep, on_msg, ctx, err);
	}
	/* lanyard's own CSV export: talks, the user's data and notes (restore.h). */
	if (restore_is_export(path))
		return restore_file(st, path, opts, rep, on_msg, ctx, err);
	conf_name_of(path, opts, rep->conf_name, sizeof rep->conf_name);
	/* The source is remembered as an absolute path, so an update finds it
	 * from any directory. */
	char *abs = realpath(path, NULL);
	int rc = import_path(st, path, path, abs ? abs : path, opts, rep, on_msg, ctx, err);
	free(abs);
	return rc;
}

int import_update(struct store *st, const char *conf_name, const struct import_opts *opts,
                  struct import_report *rep, import_msg_fn on_msg, void *ctx, struct ly_error *err)
{
	struct conf c;
	memset(rep, 0, sizeof *rep);
	int rc = store_conf_find(st, conf_name, &c, err);
	if (rc != LY_OK)
		return LY_ERR;
	if (!*c.source)
		return ly_fail(err, "conference '%s' does not remember where it came from; import its file again",
		               c.name);
	struct import_opts o = opts ? *opts : (struct import_opts){ 0 };
	o.name = c.name;
	return import_file(st, c.source, &o, rep, on_msg, ctx, err);
}
