#include "lanyard/restore.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lanyard/export.h"
#include "lanyard/ltime.h"
#include "lanyard/store_load.h"
#include "lanyard/text.h"

enum col {
	C_KIND, C_CONF, C_TZ, C_KEY, C_TITLE, C_DAY, C_START, C_END, C_ROOM, C_TRACK, C_TYPE, C_SPK,
	C_ABS, C_URL, C_REMOVED, C_STATUS, C_RATING, C_TAKE, NCOLS
};

static const char *const col_names[NCOLS] = {
	"kind", "conference", "tz", "key", "title", "day", "start", "end", "room", "track", "type",
	"speakers", "abstract", "url", "removed", "status", "rating", "takeaways",
};

struct cell {
	char *s;
	size_t len, cap;
};

struct rst {
	struct store *st;
	sqlite3 *db;
	const char *path;
	const struct import_opts *opts;
	struct import_report *rep;
	import_msg_fn on_msg;
	void *ctx;
	struct ly_error *err;
	int rc;
	long line, rec_line;
	bool header_done, in_tx;
	int map[64];             /* file column -> enum col, or -1 */
	size_t ncol;             /* fields seen in this record */
	struct cell cells[NCOLS];
	int64_t conf, seq;
	int statuses, ratings, takeaways, notes, both;
};

static void msg(struct rst *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void msg(struct rst *r, const char *fmt, ...)
{
	if (!r->on_msg)
		return;
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	r->on_msg(r->ctx, buf);
}

static int fail(struct rst *r, const char *what)
{
	if (r->rc == LY_OK)
		ly_fail(r->err, "%s:%ld: error: %s", r->path, r->rec_line ? r->rec_line : r->line, what);
	return r->rc = LY_ERR;
}

static int db_fail(struct rst *r)
{
	if (r->rc == LY_OK)
		ly_fail(r->err, "%s: %s", store_path(r->st), sqlite3_errmsg(r->db));
	return r->rc = LY_ERR;
}

static const char *cell(struct rst *r, enum col c)
{
	return r->cells[c].s ? r->cells[c].s : "";
}

/* ---- recognising the file ------------------------------------------------------ */

bool restore_is_export(const char *path)
{
	/* Only a regular file is looked at first: a pipe or a device can be
	 * read once, by the import itself (lanyard writes its exports to
	 * files). */
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return false;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char buf[512];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = buf;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	size_t h = strlen(export_csv_header);
	return strncmp(p, export_csv_header, h) == 0 && strchr(",\r\n", p[h]) && p[h];
}

/* ---- one record ---------------------------------------------------------------- */

/* What export_csv neutralised: one leading apostrophe comes off. */
static void unneutralise(struct cell *c)
{
	if (c->len >= 2 && c->s[0] == '\'' && strchr("=+-@\t\r'", c->s[1])) {
		memmove(c->s, c->s + 1, c->len);
		c->len--;
	}
}

static bool valid_stamp(const char *s)
{
	int64_t m;
	return strlen(s) == 16 && ltime_parse_stamp(s, &m);
}

static bool valid_day(const char *s)
{
	int64_t m;
	return strlen(s) == 10 && ltime_parse_stamp(s, &m);
}

static int step(struct rst *r, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : db_fail(r);
}

static int begin(struct rst *r)
{
	if (store_begin(r->st, r->err))
		return r->rc = LY_ERR;
	r->in_tx = true;
	const char *name = r->opts->name && *r->opts->name ? r->opts->name : cell(r, C_CONF);
	if (!*name || strchr(name, '\x01'))
		name = "restored";
	const char *tz = r->opts->tz && *r->opts->tz ? r->opts->tz : cell(r, C_TZ);
	snprintf(r->rep->conf_name, sizeof r->rep->conf_name, "%s", name);
	if (store_restore_conf(r->st, name, r->path, tz, &r->conf, &r->seq, r->err))
		return r->rc = LY_ERR;
	r->rep->conf_id = r->conf;
	return store_exec(r->st, "CREATE TEMP TABLE IF NOT EXISTS restored(key TEXT PRIMARY KEY);"
	                         "DELETE FROM temp.restored;", r->err) ? (r->rc = LY_ERR) : LY_OK;
}

/* Merge text into what is there: equal or already inside it, nothing to do;
 * otherwise both, the restored one marked. *out is NULL when nothing changes. */
static char *merged(struct rst *r, const char *cur, const char *add)
{
	if (!*add || strstr(cur, add))
		return NULL;
	if (!*cur)
		return strdup(add);
	const char *base = strrchr(r->path, '/');
	base = base ? base + 1 : r->path;
	size_t n = strlen(cur) + strlen(add) + strlen(base) + 64;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s\n--- restored from %s ---\n%s", cur,
		         cur[strlen(cur) - 1] == '\n' ? "" : "\n", base, add);
	r->both++;
	return s;
}

static int note_row(struct rst *r)
{
	const char *scope = cell(r, C_KEY);
	if (strcmp(scope, "overall") != 0 && strcmp(scope, "booths") != 0 && !valid_day(scope)) {
		msg(r, "%s:%ld: warning: a note for '%s', not overall, booths or a day; skipped", r->path,
		    r->rec_line, scope);
		r->rep->warnings++;
		return LY_OK;
	}
	char *cur;
	if (store_get_note(r->st, r->conf, scope, &cur, r->err))
		return r->rc = LY_ERR;
	char *text = merged(r, cur, cell(r, C_TAKE));
	int rc = LY_OK;
	if (text) {
		rc = store_set_note(r->st, r->conf, scope, text, r->err);
		r->notes++;
	} else if (*cell(r, C_TAKE) && strstr(cur, cell(r, C_TAKE)) == NULL) {
		rc = ly_fail(r->err, "out of memory");
	}
	free(text);
	free(cur);
	return rc ? (r->rc = LY_ERR) : LY_OK;
}

static int user_data(struct rst *r, int64_t id)
{
	enum talk_status st = STATUS_NONE, cur_st;
	int cur_rating, rating = 0;
	const char *sv = cell(r, C_STATUS), *rv = cell(r, C_RATING);
	if (store_status_parse(sv, &st)) {
		msg(r, "%s:%ld: warning: status '%s' is not planned, attended or skipped; ignored", r->path,
		    r->rec_line, sv);
		r->rep->warnings++;
		st = STATUS_NONE;
	}
	if (*rv && !(rv[0] >= '1' && rv[0] <= '5' && rv[1] == '\0')) {
		msg(r, "%s:%ld: warning: rating '%s' is not 1 to 5; ignored", r->path, r->rec_line, rv);
		r->rep->warnings++;
	} else if (*rv) {
		rating = rv[0] - '0';
	}
	if (store_get_status(r->st, id, &cur_st, &cur_rating, r->err))
		return r->rc = LY_ERR;
	if (st != STATUS_NONE && cur_st == STATUS_NONE) {
		if (store_set_status(r->st, id, st, r->err))
			return r->rc = LY_ERR;
		r->statuses++;
	}
	if (rating && !cur_rating) {
		if (store_set_rating(r->st, id, rating, r->err))
			return r->rc = LY_ERR;
		r->ratings++;
	}
	const char *add = cell(r, C_TAKE);
	if (!*add)
		return LY_OK;
	char *cur;
	if (store_get_takeaways(r->st, id, &cur, r->err))
		return r->rc = LY_ERR;
	char *text = merged(r, cur, add);
	int rc = LY_OK;
	if (text) {
		rc = store_set_takeaways(r->st, id, text, r->err);
		r->takeaways++;
	} else if (!strstr(cur, add)) {
		rc = ly_fail(r->err, "out of memory");
	}
	free(text);
	free(cur);
	return rc ? (r->rc = LY_ERR) : LY_OK;
}

static int talk_row(struct rst *r)
{
	const char *key = cell(r, C_KEY), *title = cell(r, C_TITLE);
	for (const char *p = key; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7F) {
			key = "";
			break;
		}
	}
	if (!*key || !*title) {
		msg(r, "%s:%ld: warning: a talk without a %s; skipped", r->path, r->rec_line,
		    *title ? "usable key" : "title");
		r->rep->warnings++;
		return LY_OK;
	}
	const char *start = cell(r, C_START), *end = cell(r, C_END), *day = cell(r, C_DAY);
	char dbuf[11];
	if (*start && !valid_stamp(start)) {
		msg(r, "%s:%ld: warning: start '%s' is not YYYY-MM-DD HH:MM; the talk is unscheduled", r->path,
		    r->rec_line, start);
		r->rep->warnings++;
		start = "";
	}
	if (!*start || (*end && !valid_stamp(end)))
		end = "";
	if (!*start) {
		day = "";
	} else if (!valid_day(day)) {
		int64_t m;
		ltime_parse_stamp(start, &m);
		ltime_conf_day(m, dbuf);
		day = dbuf;
	}
	sqlite3_stmt *s = store_stmt(r->st, "INSERT OR IGNORE INTO temp.restored(key) VALUES(?1)", r->err);
	if (!s)
		return r->rc = LY_ERR;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	if (step(r, s))
		return LY_ERR;
	bool first = sqlite3_changes(r->db) > 0;
	r->rep->talks += first;
	struct restore_talk t = {
		.key = key, .title = title, .start = start, .end = end, .day = day, .room = cell(r, C_ROOM),
		.track = cell(r, C_TRACK), .type = cell(r, C_TYPE), .speakers = cell(r, C_SPK),
		.abstract = cell(r, C_ABS), .url = cell(r, C_URL), .removed = strcmp(cell(r, C_REMOVED), "1") == 0,
		.line = r->rec_line, .seq = ++r->seq,
	};
	int64_t id;
	bool added, changed;
	if (store_restore_talk(r->st, r->conf, &t, &id, &added, &changed, r->err))
		return r->rc = LY_ERR;
	if (first) {
		added ? r->rep->added++ : changed ? r->rep->updated++ : r->rep->unchanged++;
		r->rep->unscheduled += !*start;
	}
	return user_data(r, id);
}

static void record(struct rst *r)
{
	if (!r->header_done) {
		r->header_done = true;
		return; /* the map was filled field by field */
	}
	for (int c = 0; c < NCOLS; c++) {
		if (!r->cells[c].s)
			continue;
		unneutralise(&r->cells[c]);
		if (!text_valid_utf8(r->cells[c].s, r->cells[c].len)) {
			fail(r, "not UTF-8: a lanyard export is UTF-8 (was it saved in another encoding?)");
			return;
		}
	}
	const char *kind = cell(r, C_KIND);
	if (!*kind)
		return;
	if (!r->in_tx && begin(r))
		return;
	r->rep->rows++;
	if (strcmp(kind, "talk") == 0)
		talk_row(r);
	else if (strcmp(kind, "note") == 0)
		note_row(r);
	else {
		msg(r, "%s:%ld: warning: a row of kind '%s', not talk or note; skipped", r->path, r->rec_line, kind);
		r->rep->warnings++;
	}
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct rst *r = ctx;
	if (r->rc != LY_OK)
		return;
	if (r->ncol == 0)
		r->rec_line = r->line;
	size_t i = r->ncol++;
	if (!r->header_done) {
		if (i < sizeof r->map / sizeof r->map[0]) {
			r->map[i] = -1;
			for (int c = 0; c < NCOLS; c++)
				if (len == strlen(col_names[c]) && memcmp(data, col_names[c], len) == 0)
					r->map[i] = c;
		}
		return;
	}
	if (i >= sizeof r->map / sizeof r->map[0] || r->map[i] < 0)
		return;
	if (memchr(data, '\0', len)) {
		fail(r, "binary data in a cell");
		return;
	}
	struct cell *c = &r->cells[r->map[i]];
	if (len + 1 > c->cap) {
		char *p = realloc(c->s, len + 1);
		if (!p) {
			r->rc = ly_fail(r->err, "out of memory");
			return;
		}
		c->s = p;
		c->cap = len + 1;
	}
	memcpy(c->s, data ? data : "", len);
	c->s[len] = '\0';
	c->len = len;
}

static void on_record(int term, void *ctx)
{
	(void)term;
	struct rst *r = ctx;
	if (r->rc == LY_OK && r->ncol > 0)
		record(r);
	r->ncol = 0;
	for (int c = 0; c < NCOLS; c++)
		if (r->cells[c].s)
			r->cells[c].s[0] = '\0', r->cells[c].len = 0;
}

/* ---- the file --------------------------------------------------------------------- */

static int read_file(struct rst *r, FILE *f, struct csv_parser *p)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	while (r->rc == LY_OK && (n = getline(&buf, &cap, f)) > 0) {
		r->line++;
		const char *s = buf;
		if (r->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, n -= 3;
		if (csv_parse(p, s, (size_t)n, on_field, on_record, r) != (size_t)n && r->rc == LY_OK)
			fail(r, "malformed quoting");
	}
	free(buf);
	if (r->rc == LY_OK && ferror(f))
		r->rc = ly_fail(r->err, "%s: error: cannot read: %s", r->path, strerror(errno));
	if (r->rc == LY_OK && csv_fini(p, on_field, on_record, r) != 0)
		fail(r, "unterminated quoted field: the quote opened here never closes");
	return r->rc;
}

int restore_file(struct store *st, const char *path, const struct import_opts *opts,
                 struct import_report *rep, import_msg_fn on_msg, void *ctx, struct ly_error *err)
{
	static const struct import_opts defaults = { 0 };
	memset(rep, 0, sizeof *rep);
	FILE *f = fopen(path, "rb");
	if (!f)
		return ly_fail(err, "%s: error: cannot open: %s", path, strerror(errno));
	/* A dry run rehearses on a copy in memory: the database is only read. */
	struct store *copy = NULL;
	if (opts && opts->dry_run) {
		if (store_open_copy(st, &copy, err)) {
			fclose(f);
			return LY_ERR;
		}
		st = copy;
	}
	struct rst r = { .st = st, .db = store_db(st), .path = path, .opts = opts ? opts : &defaults,
	                 .rep = rep, .on_msg = on_msg, .ctx = ctx, .err = err };
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fclose(f);
		store_close(copy);
		return ly_fail(err, "out of memory");
	}
	int rc = read_file(&r, f, &p);
	/* Search covers titles, speakers, abstracts: rebuilt when talks came in. */
	if (rc == LY_OK && r.in_tx && (rep->added || rep->updated) && !r.opts->dry_run)
		rc = store_search_rebuild(st, err);
	if (rc == LY_OK && !r.in_tx)
		rc = ly_fail(err, "%s:%ld: error: a lanyard export with no rows", path, r.line ? r.line : 1);
	if (r.in_tx) {
		if (rc == LY_OK && !r.opts->dry_run)
			rc = store_commit(st, err);
		if (rc != LY_OK || r.opts->dry_run)
			store_rollback(st);
	}
	if (rc == LY_OK) {
		msg(&r, "note: %srestored from a lanyard export: %d status%s, %d rating%s, %d takeaway%s, %d note%s",
		    r.opts->dry_run ? "would be " : "", r.statuses, r.statuses == 1 ? "" : "es", r.ratings,
		    r.ratings == 1 ? "" : "s", r.takeaways, r.takeaways == 1 ? "" : "s", r.notes, r.notes == 1 ? "" : "s");
		if (r.both)
			msg(&r, "note: %d text%s differed from what the database holds: both kept, the restored one "
			    "under a line '--- restored from ... ---'", r.both, r.both == 1 ? "" : "s");
	}
	csv_free(&p);
	fclose(f);
	for (int c = 0; c < NCOLS; c++)
		free(r.cells[c].s);
	store_close(copy);
	return rc;
}
