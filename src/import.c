/* Schedule import: CSV (libcsv) -> header map -> dates and times (when.c)
 * -> a staging table -> one set-based merge into the store.
 *
 * The file is read twice, a line at a time, so memory stays bounded by the
 * longest record: the first pass finds the encoding, the columns, the
 * structural errors and the day/month order of ambiguous dates before
 * anything is written; the second pass stages the talks. libcsv reports no
 * line numbers, so the parser is fed one physical line per call and the
 * lines are counted here.
 */
#include "lanyard/import.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lanyard/ltime.h"
#include "lanyard/text.h"
#include "lanyard/when.h"

/* libcsv's parser states (libcsv.c); struct csv_parser is public. */
#define CSV_ROW_NOT_BEGUN 0
#define CSV_FIELD_BEGUN 2

enum field {
	F_ID, F_TITLE, F_NAME, F_DATE, F_START, F_END, F_ENDDATE, F_DURATION, F_ROOM,
	F_TRACK, F_TYPE, F_SPEAKERS, F_FIRST, F_LAST, F_ABSTRACT, F_URL, NFIELDS
};

/* Header names, after lower-casing and turning _ - . into spaces. */
static const struct {
	const char *name;
	enum field f;
} synonyms[] = {
	{ "id", F_ID }, { "session id", F_ID }, { "sessionid", F_ID }, { "talk id", F_ID },
	{ "guid", F_ID }, { "event id", F_ID }, { "code", F_ID },
	{ "title", F_TITLE }, { "session title", F_TITLE }, { "talk title", F_TITLE },
	{ "session name", F_TITLE }, { "event title", F_TITLE }, { "session", F_TITLE },
	{ "name", F_NAME },
	{ "date", F_DATE }, { "day", F_DATE }, { "start date", F_DATE }, { "session date", F_DATE },
	{ "datum", F_DATE }, { "tag", F_DATE },
	{ "start", F_START }, { "start time", F_START }, { "time start", F_START },
	{ "scheduled at", F_START }, { "from", F_START }, { "session start", F_START },
	{ "starts at", F_START }, { "begin", F_START }, { "time", F_START }, { "zeit", F_START },
	{ "start at", F_START }, { "start date time", F_START }, { "beginn", F_START },
	{ "end", F_END }, { "end time", F_END }, { "time end", F_END }, { "to", F_END },
	{ "session end", F_END }, { "ends at", F_END }, { "finish", F_END }, { "ende", F_END },
	{ "end at", F_END }, { "end date time", F_END },
	{ "end date", F_ENDDATE },
	{ "duration", F_DURATION }, { "scheduled duration", F_DURATION }, { "length", F_DURATION },
	{ "duration minutes", F_DURATION }, { "duration (minutes)", F_DURATION }, { "dauer", F_DURATION },
	{ "room", F_ROOM }, { "venue", F_ROOM }, { "location", F_ROOM }, { "raum", F_ROOM },
	{ "room name", F_ROOM }, { "stage", F_ROOM }, { "hall", F_ROOM }, { "ort", F_ROOM },
	{ "track", F_TRACK }, { "category", F_TRACK }, { "tracks", F_TRACK }, { "topic", F_TRACK },
	{ "kategorie", F_TRACK }, { "theme", F_TRACK },
	{ "type", F_TYPE }, { "session type", F_TYPE }, { "session format", F_TYPE },
	{ "format", F_TYPE }, { "event type", F_TYPE }, { "kind", F_TYPE },
	{ "speakers", F_SPEAKERS }, { "speaker", F_SPEAKERS }, { "presenters", F_SPEAKERS },
	{ "presenter", F_SPEAKERS }, { "speaker name", F_SPEAKERS }, { "speaker names", F_SPEAKERS },
	{ "persons", F_SPEAKERS }, { "referent", F_SPEAKERS }, { "referenten", F_SPEAKERS },
	{ "first name", F_FIRST }, { "firstname", F_FIRST }, { "given name", F_FIRST },
	{ "last name", F_LAST }, { "lastname", F_LAST }, { "surname", F_LAST }, { "family name", F_LAST },
	{ "abstract", F_ABSTRACT }, { "description", F_ABSTRACT }, { "synopsis", F_ABSTRACT },
	{ "summary", F_ABSTRACT }, { "beschreibung", F_ABSTRACT },
	{ "url", F_URL }, { "link", F_URL }, { "session url", F_URL }, { "web", F_URL },
};

struct imp {
	/* inputs */
	const char *path;
	const struct import_opts *opts;
	struct store *st;
	import_msg_fn on_msg;
	void *ctx;
	struct ly_error *err;

	int pass;              /* 1: scan, 2: stage */
	char delim;
	bool cp1252;           /* not UTF-8: convert from Windows-1252 */
	long bad_utf8_line;
	iconv_t cd;
	char *conv;            /* converted line */
	size_t conv_cap;

	struct csv_parser p;
	long line;             /* physical line being fed */
	long pending_start;    /* where the record being read began */
	long rec_line;
	long quote_line;       /* where the open quoted field began */

	char **fields;         /* the record being read; buffers reused */
	size_t *flen, *fcap;
	size_t nf, capf;

	bool header_done;
	long header_line;
	int col[NFIELDS];
	char *columns;         /* the header, for messages */
	int records;
	struct when_stats stats;
	enum date_order order;
	bool failed;

	/* pass 2 */
	int seq;
	int unscheduled;
	int warnings;
};

static void msg(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void msg(struct imp *im, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (im->on_msg)
		im->on_msg(im->ctx, buf);
}

static void warn_line(struct imp *im, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn_line(struct imp *im, long line, const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	im->warnings++;
	msg(im, "%s:%ld: warning: %s", im->path, line, buf);
}

static int fail_line(struct imp *im, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_line(struct imp *im, long line, const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	im->failed = true;
	return ly_fail(im->err, "%s:%ld: error: %s", im->path, line, buf);
}

static int db_fail(struct imp *im)
{
	im->failed = true;
	return ly_fail(im->err, "%s: %s", store_path(im->st), sqlite3_errmsg(store_db(im->st)));
}

/* ---- the record being read -------------------------------------------- */

static void on_field(void *s, size_t len, void *data)
{
	struct imp *im = data;
	if (im->failed)
		return;
	if (im->nf == 0)
		im->rec_line = im->pending_start;
	if (im->nf == im->capf) {
		size_t ncap = im->capf ? im->capf * 2 : 32;
		char **f = realloc(im->fields, ncap * sizeof *f);
		size_t *l = f ? realloc(im->flen, ncap * sizeof *l) : NULL;
		size_t *c = l ? realloc(im->fcap, ncap * sizeof *c) : NULL;
		if (f)
			im->fields = f;
		if (l)
			im->flen = l;
		if (!c) {
			im->failed = true;
			ly_fail(im->err, "out of memory");
			return;
		}
		im->fcap = c;
		for (size_t i = im->capf; i < ncap; i++) {
			im->fields[i] = NULL;
			im->fcap[i] = 0;
		}
		im->capf = ncap;
	}
	size_t i = im->nf;
	if (im->fcap[i] < len + 1) {
		char *b = realloc(im->fields[i], len + 1);
		if (!b) {
			im->failed = true;
			ly_fail(im->err, "out of memory");
			return;
		}
		im->fields[i] = b;
		im->fcap[i] = len + 1;
	}
	if (len)
		memcpy(im->fields[i], s, len);
	im->fields[i][len] = '\0';
	im->flen[i] = len;
	im->nf++;
}

/* A cell of the current record by field; "" when absent. */
static const char *cell(struct imp *im, enum field f)
{
	int c = im->col[f];
	if (c < 0 || (size_t)c >= im->nf)
		return "";
	return im->fields[c];
}

/* Trim in place (cells are our own buffers). */
static char *trimmed(const char *s)
{
	char *p = (char *)s;
	while (*p && isspace((unsigned char)*p))
		p++;
	size_t n = strlen(p);
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		p[--n] = '\0';
	return p;
}

static void normalise_header(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	bool space = false;
	for (const char *s = in; *s && o + 1 < outlen; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '_' || c == '-' || c == '.' || isspace(c)) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < outlen)
			out[o++] = ' ';
		space = false;
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

static int map_header(struct imp *im)
{
	for (int f = 0; f < NFIELDS; f++)
		im->col[f] = -1;
	size_t total = 0;
	for (size_t i = 0; i < im->nf; i++)
		total += strlen(im->fields[i]) + 2;
	free(im->columns);
	im->columns = malloc(total + 1);
	if (!im->columns)
		return ly_fail(im->err, "out of memory");
	im->columns[0] = '\0';
	bool any = false;
	for (size_t i = 0; i < im->nf; i++) {
		char norm[128];
		const char *name = im->fields[i];
		if (i == 0 && strncmp(name, "\xEF\xBB\xBF", 3) == 0)
			name += 3;
		normalise_header(name, norm, sizeof norm);
		if (*norm)
			any = true;
		if (i)
			strcat(im->columns, ", ");
		strcat(im->columns, trimmed(name));
		for (size_t k = 0; k < sizeof synonyms / sizeof synonyms[0]; k++) {
			if (strcmp(norm, synonyms[k].name) == 0) {
				if (im->col[synonyms[k].f] < 0) /* the first column of a kind wins */
					im->col[synonyms[k].f] = (int)i;
				break;
			}
		}
	}
	if (!any)
		return fail_line(im, im->rec_line, "the first line holds no column names");
	/* "name" is the talk when there is no title column, else the speaker. */
	if (im->col[F_TITLE] < 0) {
		im->col[F_TITLE] = im->col[F_NAME];
	} else if (im->col[F_SPEAKERS] < 0 && im->col[F_FIRST] < 0) {
		im->col[F_SPEAKERS] = im->col[F_NAME];
	}
	/* Sched calls its tracks "session type": without a track column the
	 * type is what a schedule is browsed by. */
	if (im->col[F_TRACK] < 0)
		im->col[F_TRACK] = im->col[F_TYPE];
	if (im->col[F_TITLE] < 0)
		return fail_line(im, im->rec_line,
		                 "no title column (looked for title, session title, name, talk title); "
		                 "columns found: %s", im->columns);
	im->header_done = true;
	im->header_line = im->rec_line;
	return LY_OK;
}

/* ---- speakers and keys -------------------------------------------------- */

/* Speakers as "A, B": split on , ; | and newlines, trimmed, no repeats.
 * Returns a malloc'd string. */
static char *join_speakers(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 3;
	char *out = malloc(n * 2 + 1);
	if (!out)
		return NULL;
	out[0] = '\0';
	size_t o = 0;
	const char *parts[2] = { a, b };
	for (int k = 0; k < 2; k++) {
		const char *s = parts[k];
		while (*s) {
			size_t len = strcspn(s, ",;|\n\r");
			const char *e = s + len;
			while (len && isspace((unsigned char)*s))
				s++, len--;
			while (len && isspace((unsigned char)s[len - 1]))
				len--;
			if (len) {
				/* Skip a name already present. */
				bool dup = false;
				for (const char *q = out; *q;) {
					size_t ql = strcspn(q, ",");
					if (ql == len && strncmp(q, s, len) == 0)
						dup = true;
					q += ql;
					while (*q == ',' || *q == ' ')
						q++;
				}
				if (!dup) {
					if (o) {
						out[o++] = ',';
						out[o++] = ' ';
					}
					memcpy(out + o, s, len);
					o += len;
					out[o] = '\0';
				}
			}
			s = *e ? e + 1 : e;
		}
	}
	return out;
}

static void sql_merge_speakers(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *a = (const char *)sqlite3_value_text(argv[0]);
	const char *b = (const char *)sqlite3_value_text(argv[1]);
	char *m = join_speakers(a ? a : "", b ? b : "");
	if (!m) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, m, -1, free);
}

/* A readable, shell-friendly slug of the title: lower-case, runs of other
 * characters become '-', non-ASCII letters kept, at most 48 bytes. */
static void slugify(const char *title, char *out, size_t outlen)
{
	size_t o = 0, max = outlen - 1 < 48 ? outlen - 1 : 48;
	bool dash = false;
	for (const unsigned char *s = (const unsigned char *)title; *s;) {
		if (*s >= 0x80) {
			uint32_t cp;
			size_t len = text_decode((const char *)s, strlen((const char *)s), &cp);
			bool letter = cp >= 0xC0 && !(cp >= 0x2000 && cp <= 0x2BFF) && cp != 0xFFFD &&
			              !(cp >= 0x3000 && cp <= 0x303F);
			if (letter) {
				if (dash && o)
					out[o++] = '-';
				dash = false;
				if (o + len > max)
					break;
				memcpy(out + o, s, len);
				o += len;
			} else {
				dash = true;
			}
			s += len;
			continue;
		}
		if (isalnum(*s)) {
			if (dash && o && o < max)
				out[o++] = '-';
			dash = false;
			if (o >= max)
				break;
			out[o++] = (char)tolower(*s);
		} else {
			dash = true;
		}
		s++;
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	if (o == 0)
		o = (size_t)snprintf(out, outlen, "talk");
	out[o] = '\0';
}

static void speaker_hash(const char *speakers, char out[7])
{
	uint32_t h = 2166136261u;
	for (const unsigned char *s = (const unsigned char *)speakers; *s; s++) {
		h ^= (uint32_t)tolower(*s);
		h *= 16777619u;
	}
	snprintf(out, 7, "%06x", (unsigned)(h & 0xFFFFFF));
}

/* ---- reading the file --------------------------------------------------- */

static int sniff_delimiter(struct imp *im, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int counts[3] = { 0, 0, 0 };
	bool quoted = false, any = false;
	while ((n = getline(&line, &cap, f)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			char c = line[i];
			if (!isspace((unsigned char)c) && !(i < 3 && (unsigned char)c >= 0xBB))
				any = true;
			if (c == '"')
				quoted = !quoted;
			else if (!quoted && c == ',')
				counts[0]++;
			else if (!quoted && c == ';')
				counts[1]++;
			else if (!quoted && c == '\t')
				counts[2]++;
		}
		if (any && !quoted)
			break; /* the header is the first non-blank line */
	}
	free(line);
	if (ferror(f))
		return ly_fail(im->err, "%s: error: cannot read: %s", im->path, strerror(errno));
	im->delim = ',';
	if (counts[1] > counts[0] && counts[1] >= counts[2])
		im->delim = ';';
	else if (counts[2] > counts[0] && counts[2] > counts[1])
		im->delim = '\t';
	rewind(f);
	return LY_OK;
}

static int to_utf8(struct imp *im, const char *s, size_t len, const char **out, size_t *outlen)
{
	if (im->conv_cap < len * 3 + 1) {
		char *b = realloc(im->conv, len * 3 + 1);
		if (!b)
			return ly_fail(im->err, "out of memory");
		im->conv = b;
		im->conv_cap = len * 3 + 1;
	}
	char *in = (char *)s, *o = im->conv;
	size_t inleft = len, oleft = im->conv_cap;
	while (inleft > 0) {
		if (iconv(im->cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			break;
		if (errno == EILSEQ || errno == EINVAL) {
			/* A byte Windows-1252 leaves undefined. */
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3, oleft -= 3, in++, inleft--;
		} else {
			return ly_fail(im->err, "%s: cannot convert from Windows-1252: %s", im->path, strerror(errno));
		}
	}
	*out = im->conv;
	*outlen = (size_t)(o - im->conv);
	return LY_OK;
}

static bool binary_line(const char *s, size_t len)
{
	if (memchr(s, '\0', len))
		return true;
	size_t ctl = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
			ctl++;
	}
	return ctl > 0 && ctl * 20 > len; /* over 5% control bytes */
}

static void on_record(int c, void *data);

static int read_file(struct imp *im)
{
	FILE *f = fopen(im->path, "rb");
	if (!f)
		return ly_fail(im->err, "%s: error: cannot open: %s", im->path, strerror(errno));
	if (sniff_delimiter(im, f)) {
		fclose(f);
		return LY_ERR;
	}
	if (csv_init(&im->p, CSV_APPEND_NULL) != 0) {
		fclose(f);
		return ly_fail(im->err, "out of memory");
	}
	csv_set_delim(&im->p, (unsigned char)im->delim);
	im->line = 0;
	im->nf = 0;
	im->header_done = false;
	im->records = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = LY_OK;
	bool any_text = false;
	while ((n = getline(&line, &cap, f)) > 0) {
		im->line++;
		const char *s = line;
		size_t len = (size_t)n;
		if (im->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, len -= 3;
		if ((im->line == 1 || !im->header_done) ? binary_line(s, len) : memchr(s, '\0', len) != NULL) {
			rc = fail_line(im, im->line, "binary data, not a CSV schedule");
			break;
		}
		if (im->pass == 1 && !im->cp1252 && !text_valid_utf8(s, len)) {
			im->cp1252 = true;
			im->bad_utf8_line = im->line;
		}
		if (im->pass == 2 && im->cp1252 && (rc = to_utf8(im, s, len, &s, &len)))
			break;
		for (size_t i = 0; i < len && !any_text; i++)
			any_text = !isspace((unsigned char)s[i]);
		if (im->p.pstate == CSV_ROW_NOT_BEGUN)
			im->pending_start = im->line;
		bool was_quoted = im->p.pstate == CSV_FIELD_BEGUN && im->p.quoted;
		if (csv_parse(&im->p, s, len, on_field, on_record, im) != len) {
			rc = fail_line(im, im->line, "%s", csv_strerror(csv_error(&im->p)));
			break;
		}
		if (im->failed) {
			rc = LY_ERR;
			break;
		}
		if (!was_quoted && im->p.pstate == CSV_FIELD_BEGUN && im->p.quoted)
			im->quote_line = im->line;
	}
	if (rc == LY_OK && ferror(f))
		rc = ly_fail(im->err, "%s: error: cannot read: %s", im->path, strerror(errno));
	if (rc == LY_OK && im->p.pstate == CSV_FIELD_BEGUN && im->p.quoted)
		rc = fail_line(im, im->quote_line, "unterminated quoted field: the quote opened here never closes");
	if (rc == LY_OK) {
		csv_fini(&im->p, on_field, on_record, im);
		if (im->failed)
			rc = LY_ERR;
	}
	csv_free(&im->p);
	free(line);
	fclose(f);
	if (rc != LY_OK)
		return rc;
	if (!any_text)
		return fail_line(im, 1, "empty file");
	if (im->records == 0)
		return fail_line(im, im->header_line + 1, "no talks: the file has a header but no rows");
	return LY_OK;
}

/* ---- pass 1: evidence ---------------------------------------------------- */

static void scan_record(struct imp *im)
{
	when_stats_add(&im->stats, cell(im, F_DATE));
	when_stats_add(&im->stats, cell(im, F_START));
	when_stats_add(&im->stats, cell(im, F_END));
}

/* ---- pass 2: staging -------------------------------------------------- */

static const char stage_sql[] =
	"INSERT INTO temp.stage(id, slug, sphash, title, start, end, day, room, track, type,"
	" speakers, abstract, url, line, seq)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
	" ON CONFLICT(id) DO UPDATE SET"
	" speakers = lanyard_merge_speakers(speakers, excluded.speakers),"
	" start = COALESCE(start, excluded.start), end = COALESCE(end, excluded.end),"
	" day = COALESCE(day, excluded.day),"
	" room = CASE WHEN room = '' THEN excluded.room ELSE room END,"
	" track = CASE WHEN track = '' THEN excluded.track ELSE track END,"
	" type = CASE WHEN type = '' THEN excluded.type ELSE type END,"
	" abstract = CASE WHEN abstract = '' THEN excluded.abstract ELSE abstract END,"
	" url = CASE WHEN url = '' THEN excluded.url ELSE url END";

static bool seen_id(struct imp *im, const char *id)
{
	sqlite3_stmt *s = store_stmt(im->st, "SELECT 1 FROM temp.stage WHERE id = ?1", NULL);
	if (!s)
		return false;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	bool seen = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return seen;
}

/* Work out start and end stamps; returns false (with why) for an
 * unscheduled row, or sets im->failed for an error that stops the import. */
static bool schedule_of(struct imp *im, char *start, char *end, char *day, char *why, size_t whylen)
{
	const char *dcell = trimmed(cell(im, F_DATE));
	const char *scell = trimmed(cell(im, F_START));
	const char *ecell = trimmed(cell(im, F_END));
	const char *edcell = trimmed(cell(im, F_ENDDATE));
	const char *dur = trimmed(cell(im, F_DURATION));
	struct when_cell dc, sc, ec, edc;
	if (!when_parse(dcell, im->order, &dc, why, whylen) || !when_parse(scell, im->order, &sc, why, whylen))
		return false;
	if (!when_parse(ecell, im->order, &ec, why, whylen))
		ec.t1 = -1, ec.date.kind = WHEN_NONE; /* a bad end leaves the talk without one */
	if (!when_parse(edcell, im->order, &edc, NULL, 0))
		edc.date.kind = WHEN_NONE;
	const struct when_date *date = dc.date.kind ? &dc.date : sc.date.kind ? &sc.date : NULL;
	int t1 = sc.t1 >= 0 ? sc.t1 : dc.t1;
	int t2 = sc.t1 >= 0 ? sc.t2 : dc.t2;
	if (!date && !*dcell && !*scell) {
		snprintf(why, whylen, "no date or time");
		return false;
	}
	if (!date) {
		snprintf(why, whylen, "no date");
		return false;
	}
	if (t1 < 0) {
		snprintf(why, whylen, "no start time");
		return false;
	}
	int64_t days;
	if (!when_place(date, im->opts->first_day, &days)) {
		const char *what = *dcell ? dcell : scell;
		if (im->opts->first_day && *im->opts->first_day)
			fail_line(im, im->rec_line, "cannot place '%s' from --first-day %s", what, im->opts->first_day);
		else
			fail_line(im, im->rec_line, "'%s' is a day without a full date; "
			          "say which date the conference starts with --first-day YYYY-MM-DD", what);
		return false;
	}
	int64_t s = days * 1440 + t1, e = -1;
	int64_t edays = days;
	bool explicit_end_day = false;
	if (ec.date.kind == WHEN_ABS) {
		edays = ltime_days_from_civil(ec.date.y, ec.date.m, ec.date.d);
		explicit_end_day = true;
	} else if (edc.date.kind == WHEN_ABS) {
		edays = ltime_days_from_civil(edc.date.y, edc.date.m, edc.date.d);
		explicit_end_day = true;
	}
	int dmin;
	if (ec.t1 >= 0)
		e = edays * 1440 + ec.t1;
	else if (t2 >= 0)
		e = days * 1440 + t2;
	else if (*dur && when_duration(dur, &dmin))
		e = s + dmin;
	else if (*dur)
		warn_line(im, im->rec_line, "cannot read duration '%s'; the talk has no end", dur);
	if (e >= 0 && e < s) {
		if (explicit_end_day)
			warn_line(im, im->rec_line, "ends before it starts; the end is ignored"), e = -1;
		else
			e += 1440; /* crosses midnight */
	}
	ltime_format_stamp(s, start);
	if (e >= 0)
		ltime_format_stamp(e, end);
	else
		end[0] = '\0';
	ltime_conf_day(s, day);
	return true;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static void stage_record(struct imp *im)
{
	char *title = trimmed(cell(im, F_TITLE));
	if (!*title) {
		warn_line(im, im->rec_line, "no title; row skipped");
		return;
	}
	char *id = trimmed(cell(im, F_ID));
	char *speakers;
	if (im->col[F_SPEAKERS] >= 0 || im->col[F_FIRST] < 0) {
		speakers = join_speakers(trimmed(cell(im, F_SPEAKERS)), "");
	} else {
		const char *first = trimmed(cell(im, F_FIRST)), *last = trimmed(cell(im, F_LAST));
		size_t n = strlen(first) + strlen(last) + 2;
		char *full = malloc(n);
		if (full)
			snprintf(full, n, "%s%s%s", first, *first && *last ? " " : "", last);
		speakers = full ? join_speakers(full, "") : NULL;
		free(full);
	}
	if (!speakers) {
		im->failed = true;
		ly_fail(im->err, "out of memory");
		return;
	}
	char start[17], end[17], day[11], why[300];
	bool scheduled = schedule_of(im, start, end, day, why, sizeof why);
	if (im->failed) {
		free(speakers);
		return;
	}
	if (!scheduled && !(*id && seen_id(im, id))) {
		im->unscheduled++;
		warn_line(im, im->rec_line, "'%s': %s; kept as unscheduled", title, why);
	}
	char slug[64], sph[7];
	slugify(title, slug, sizeof slug);
	speaker_hash(speakers, sph);
	sqlite3_stmt *s = store_stmt(im->st, stage_sql, im->err);
	if (!s) {
		im->failed = true;
		free(speakers);
		return;
	}
	bind_text_or_null(s, 1, id);
	sqlite3_bind_text(s, 2, slug, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, sph, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, title, -1, SQLITE_TRANSIENT);
	bind_text_or_null(s, 5, scheduled ? start : NULL);
	bind_text_or_null(s, 6, scheduled ? end : NULL);
	bind_text_or_null(s, 7, scheduled ? day : NULL);
	sqlite3_bind_text(s, 8, trimmed(cell(im, F_ROOM)), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 9, trimmed(cell(im, F_TRACK)), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 10, trimmed(cell(im, F_TYPE)), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 11, speakers, -1, free);
	sqlite3_bind_text(s, 12, trimmed(cell(im, F_ABSTRACT)), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 13, trimmed(cell(im, F_URL)), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 14, im->rec_line);
	sqlite3_bind_int(s, 15, im->seq++);
	if (sqlite3_step(s) != SQLITE_DONE)
		db_fail(im);
	sqlite3_reset(s);
}

static void on_record(int c, void *data)
{
	(void)c;
	struct imp *im = data;
	bool blank = true;
	for (size_t i = 0; i < im->nf && blank; i++)
		blank = *trimmed(im->fields[i]) == '\0';
	if (im->failed || blank) { /* a line of spaces is no record */
		im->nf = 0;
		return;
	}
	if (!im->header_done) {
		map_header(im);
	} else {
		im->records++;
		if (im->pass == 1)
			scan_record(im);
		else
			stage_record(im);
	}
	im->nf = 0;
}

/* ---- keys and the merge ------------------------------------------------- */

static int exec(struct imp *im, const char *sql)
{
	if (store_exec(im->st, sql, im->err)) {
		im->failed = true;
		return LY_ERR;
	}
	return LY_OK;
}

/* Rows with an id are keyed by it. The others get their title's slug; when
 * a slug repeats with other speakers a hash of the speakers tells them
 * apart, and true repeats get ~2, ~3 in file order. */
static int assign_keys(struct imp *im)
{
	if (exec(im, "UPDATE temp.stage SET key = id WHERE id IS NOT NULL"))
		return LY_ERR;
	sqlite3 *db = store_db(im->st);
	sqlite3_stmt *sel, *upd;
	if (sqlite3_prepare_v2(db,
	        "SELECT rowid, slug, sphash, count(*) OVER (PARTITION BY slug),"
	        " count(*) OVER (PARTITION BY slug, sphash),"
	        " row_number() OVER (PARTITION BY slug, sphash ORDER BY seq)"
	        " FROM temp.stage WHERE id IS NULL", -1, &sel, NULL) != SQLITE_OK)
		return db_fail(im);
	if (sqlite3_prepare_v2(db, "UPDATE temp.stage SET key = ?2 WHERE rowid = ?1", -1, &upd, NULL) != SQLITE_OK) {
		sqlite3_finalize(sel);
		return db_fail(im);
	}
	int rc;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *slug = (const char *)sqlite3_column_text(sel, 1);
		const char *sph = (const char *)sqlite3_column_text(sel, 2);
		int per_slug = sqlite3_column_int(sel, 3), per_pair = sqlite3_column_int(sel, 4);
		int occurrence = sqlite3_column_int(sel, 5);
		char key[96];
		int n = snprintf(key, sizeof key, "%s", slug);
		if (per_slug > per_pair) /* the same title with other speakers */
			n += snprintf(key + n, sizeof key - (size_t)n, "-%s", sph);
		if (occurrence > 1)
			snprintf(key + n, sizeof key - (size_t)n, "~%d", occurrence);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_text(upd, 2, key, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			rc = SQLITE_ERROR;
			break;
		}
		sqlite3_reset(upd);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	if (rc != SQLITE_DONE)
		return db_fail(im);
	sqlite3_stmt *dup;
	if (sqlite3_prepare_v2(db, "SELECT key, min(line), max(line) FROM temp.stage GROUP BY key"
	                       " HAVING count(*) > 1 LIMIT 1", -1, &dup, NULL) != SQLITE_OK)
		return db_fail(im);
	if (sqlite3_step(dup) == SQLITE_ROW) {
		fail_line(im, sqlite3_column_int64(dup, 2), "talk key '%s' is used again (first on line %lld)",
		          (const char *)sqlite3_column_text(dup, 0), (long long)sqlite3_column_int64(dup, 1));
		sqlite3_finalize(dup);
		return LY_ERR;
	}
	sqlite3_finalize(dup);
	return LY_OK;
}

static void when_label(const char *stamp, const char *room, char *out, size_t outlen)
{
	if (!stamp || !*stamp) {
		snprintf(out, outlen, "unscheduled%s%s", room && *room ? ", " : "", room ? room : "");
		return;
	}
	char day[11], label[16];
	memcpy(day, stamp, 10);
	day[10] = '\0';
	ltime_day_label(day, label, sizeof label);
	snprintf(out, outlen, "%s %s%s%s", label, stamp + 11, room && *room ? ", " : "", room ? room : "");
}

static int report_mine(struct imp *im, int64_t conf)
{
	sqlite3 *db = store_db(im->st);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db,
	        "SELECT m.status, t.title, t.start, t.room, s.start, s.room FROM temp.stage s"
	        " JOIN talk t ON t.id = s.talk_id JOIN mark m ON m.talk_id = t.id"
	        " WHERE s.kind = 'moved' AND m.status IN ('planned', 'attended') ORDER BY s.seq",
	        -1, &s, NULL) != SQLITE_OK)
		return db_fail(im);
	while (sqlite3_step(s) == SQLITE_ROW) {
		char from[96], to[96];
		when_label((const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3), from, sizeof from);
		when_label((const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 5), to, sizeof to);
		msg(im, "note: %s talk '%s' moved from %s to %s", (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1), from, to);
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db,
	        "SELECT m.status, t.title FROM talk t JOIN mark m ON m.talk_id = t.id"
	        " WHERE t.conf_id = ?1 AND t.removed = 0 AND m.status IN ('planned', 'attended')"
	        " AND t.key NOT IN (SELECT key FROM temp.stage) ORDER BY t.start, t.title",
	        -1, &s, NULL) != SQLITE_OK)
		return db_fail(im);
	sqlite3_bind_int64(s, 1, conf);
	while (sqlite3_step(s) == SQLITE_ROW)
		msg(im, "note: %s talk '%s' is no longer in the schedule; your notes on it are kept",
		    (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	return LY_OK;
}

static int count_of(struct imp *im, const char *sql, int64_t conf, int *out)
{
	sqlite3_stmt *s = store_stmt(im->st, sql, im->err);
	if (!s)
		return LY_ERR;
	if (sqlite3_bind_parameter_count(s) > 0)
		sqlite3_bind_int64(s, 1, conf);
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? LY_OK : db_fail(im);
}

static int merge(struct imp *im, const char *name, struct import_report *rep)
{
	sqlite3_stmt *s = store_stmt(im->st, "SELECT id FROM conference WHERE name = ?1", im->err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	bool existed = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	s = store_stmt(im->st,
		"INSERT INTO conference(name, source, tz, imported_at, import_seq)"
		" VALUES(?1, ?2, COALESCE(?3, ''), datetime('now'),"
		" (SELECT COALESCE(max(import_seq), 0) + 1 FROM conference))"
		" ON CONFLICT(name) DO UPDATE SET source = excluded.source,"
		" tz = CASE WHEN excluded.tz <> '' THEN excluded.tz ELSE tz END,"
		" imported_at = excluded.imported_at, import_seq = excluded.import_seq"
		" RETURNING id", im->err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, im->path, -1, SQLITE_TRANSIENT);
	bind_text_or_null(s, 3, im->opts->tz);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(im);
	}
	int64_t conf = sqlite3_column_int64(s, 0);
	sqlite3_step(s);
	sqlite3_reset(s);
	rep->conf_id = conf;

	/* Classify every staged talk against what the store has. */
	char sql[1024];
	snprintf(sql, sizeof sql, "UPDATE temp.stage SET talk_id ="
	         " (SELECT id FROM talk WHERE conf_id = %lld AND key = temp.stage.key)", (long long)conf);
	if (exec(im, sql) ||
	    exec(im, "UPDATE temp.stage SET kind = 'added' WHERE talk_id IS NULL") ||
	    exec(im, "UPDATE temp.stage SET kind = 'moved' FROM talk t WHERE t.id = temp.stage.talk_id AND"
	             " (t.start IS NOT temp.stage.start OR t.end IS NOT temp.stage.end OR t.room <> temp.stage.room)") ||
	    exec(im, "UPDATE temp.stage SET kind = 'updated' FROM talk t WHERE t.id = temp.stage.talk_id"
	             " AND temp.stage.kind IS NULL AND (t.removed = 1 OR t.title <> temp.stage.title OR"
	             " t.track <> temp.stage.track OR t.type <> temp.stage.type OR"
	             " t.speakers <> temp.stage.speakers OR t.abstract <> temp.stage.abstract OR"
	             " t.url <> temp.stage.url)"))
		return LY_ERR;
	if (count_of(im, "SELECT count(*) FROM temp.stage WHERE kind = 'added'", 0, &rep->added) ||
	    count_of(im, "SELECT count(*) FROM temp.stage WHERE kind = 'moved'", 0, &rep->moved) ||
	    count_of(im, "SELECT count(*) FROM temp.stage WHERE kind = 'updated'", 0, &rep->updated) ||
	    count_of(im, "SELECT count(*) FROM temp.stage WHERE kind IS NULL", 0, &rep->unchanged) ||
	    count_of(im, "SELECT count(*) FROM temp.stage", 0, &rep->talks) ||
	    count_of(im, "SELECT count(*) FROM talk WHERE conf_id = ?1 AND removed = 0"
	                 " AND key NOT IN (SELECT key FROM temp.stage)", conf, &rep->removed))
		return LY_ERR;
	if (existed && report_mine(im, conf))
		return LY_ERR;

	/* Apply: vanished talks are marked, never deleted (the user's data
	 * points at them); the rest are updated in place or added. */
	snprintf(sql, sizeof sql,
	         "UPDATE talk SET change = '', prev_start = NULL, prev_room = NULL WHERE conf_id = %lld;"
	         "UPDATE talk SET removed = 1 WHERE conf_id = %lld AND removed = 0"
	         " AND key NOT IN (SELECT key FROM temp.stage);", (long long)conf, (long long)conf);
	if (exec(im, sql) ||
	    exec(im, "UPDATE talk SET title = s.title, start = s.start, end = s.end, day = s.day,"
	             " room = s.room, track = s.track, type = s.type, speakers = s.speakers,"
	             " abstract = s.abstract, url = s.url, removed = 0, change = COALESCE(s.kind, ''),"
	             " prev_start = CASE WHEN s.kind = 'moved' THEN talk.start END,"
	             " prev_room = CASE WHEN s.kind = 'moved' THEN talk.room END,"
	             " line = s.line, seq = s.seq FROM temp.stage s WHERE s.talk_id = talk.id"))
		return LY_ERR;
	snprintf(sql, sizeof sql,
	         "INSERT INTO talk(conf_id, key, title, start, end, day, room, track, type, speakers,"
	         " abstract, url, change, line, seq) SELECT %lld, key, title, start, end, day, room, track,"
	         " type, speakers, abstract, url, '%s', line, seq FROM temp.stage WHERE talk_id IS NULL"
	         " ORDER BY seq", (long long)conf, existed ? "added" : "");
	if (exec(im, sql))
		return LY_ERR;
	return exec(im, "INSERT INTO talk_fts(talk_fts) VALUES('rebuild')");
}

/* ---- entry point -------------------------------------------------------- */

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
	if (n > 4 && (strcasecmp(out + n - 4, ".csv") == 0 || strcasecmp(out + n - 4, ".tsv") == 0 ||
	              strcasecmp(out + n - 4, ".txt") == 0))
		out[n - 4] = '\0';
}

int import_file(struct store *st, const char *path, const struct import_opts *opts,
                struct import_report *rep, import_msg_fn on_msg, void *ctx, struct ly_error *err)
{
	static const struct import_opts defaults = { 0 };
	if (!opts)
		opts = &defaults;
	memset(rep, 0, sizeof *rep);
	struct imp im = { .path = path, .opts = opts, .st = st, .on_msg = on_msg, .ctx = ctx,
	                  .err = err, .cd = (iconv_t)-1 };
	when_stats_init(&im.stats);
	conf_name_of(path, opts, rep->conf_name, sizeof rep->conf_name);
	if (opts->first_day && *opts->first_day) {
		int64_t m;
		if (strlen(opts->first_day) != 10 || !ltime_parse_stamp(opts->first_day, &m))
			return ly_fail(err, "--first-day takes a date as YYYY-MM-DD, not '%s'", opts->first_day);
	}
	/* Pass 1: columns, structure, encoding and date order; nothing written. */
	im.pass = 1;
	int rc = read_file(&im);
	if (rc == LY_OK) {
		im.order = opts->order != DATE_ORDER_AUTO ? opts->order : when_stats_order(&im.stats);
		if (im.cp1252) {
			im.cd = iconv_open("UTF-8", "WINDOWS-1252");
			if (im.cd == (iconv_t)-1)
				rc = ly_fail(err, "%s: cannot convert from Windows-1252: %s", path, strerror(errno));
			else
				warn_line(&im, im.bad_utf8_line, "not UTF-8; read as Windows-1252");
		}
	}
	/* Pass 2: stage and merge, in one transaction. */
	bool in_tx = false;
	if (rc == LY_OK) {
		rc = store_begin(st, err);
		in_tx = rc == LY_OK;
	}
	if (rc == LY_OK) {
		sqlite3_create_function(store_db(st), "lanyard_merge_speakers", 2,
		                        SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_merge_speakers, NULL, NULL);
		rc = store_exec(st, "PRAGMA temp_store = MEMORY;"
		                "DROP TABLE IF EXISTS temp.stage;"
		                "CREATE TEMP TABLE stage(id TEXT UNIQUE, key TEXT, slug TEXT, sphash TEXT,"
		                " title TEXT NOT NULL, start TEXT, end TEXT, day TEXT,"
		                " room TEXT NOT NULL, track TEXT NOT NULL, type TEXT NOT NULL,"
		                " speakers TEXT NOT NULL, abstract TEXT NOT NULL, url TEXT NOT NULL,"
		                " line INTEGER, seq INTEGER, talk_id INTEGER, kind TEXT)", err);
	}
	if (rc == LY_OK) {
		im.pass = 2; /* warns about rows; pass 1 only gathered evidence */
		rc = read_file(&im);
	}
	if (rc == LY_OK && (rc = assign_keys(&im)) == LY_OK)
		rc = merge(&im, rep->conf_name, rep);
	if (rc == LY_OK) {
		rep->rows = im.records;
		rep->unscheduled = im.unscheduled;
		rep->warnings = im.warnings;
		store_exec(st, "DROP TABLE IF EXISTS temp.stage", NULL);
		if (opts->dry_run)
			store_rollback(st);
		else
			rc = store_commit(st, err);
	}
	if (rc != LY_OK && in_tx)
		store_rollback(st);
	if (in_tx && rc != LY_OK)
		store_exec(st, "DROP TABLE IF EXISTS temp.stage", NULL);
	if (im.cd != (iconv_t)-1)
		iconv_close(im.cd);
	for (size_t i = 0; i < im.capf; i++)
		free(im.fields[i]);
	free(im.fields);
	free(im.flen);
	free(im.fcap);
	free(im.columns);
	free(im.conv);
	return rc;
}
