/* Schedule import: a CSV file streamed once through libcsv, its header
 * mapped through a synonym table, dates and times read by dateparse.c, and
 * every talk written straight into the store, all in one transaction.
 *
 * Reading. The file is read in blocks and cut into physical lines (LF, CRLF
 * or a lone CR); each line is handed to libcsv on its own, which is how
 * records get line numbers (libcsv counts none): a record starts on the
 * line where the parser last stood between records. Memory stays bounded by
 * the longest line and record. A line that is not UTF-8 is decoded byte by
 * byte as Windows-1252 (valid UTF-8 sequences in it are kept); UTF-16 with
 * a byte-order mark is converted. libcsv runs strict, so that stray quotes
 * stop it at a known place, and the reader then recovers as a forgiving
 * parser would (see feed()).
 *
 * Writing. Talks go into a conference row created for this import. The
 * first time a conference is imported that row is the conference; on a
 * re-import it is scratch space, merged into the existing conference at the
 * end with a few set-based statements (matched by key: updated in place,
 * added, marked removed) and dropped. Two facts are only known at the end
 * of the file and are settled then: the day/month order of ambiguous dates
 * (each such talk also records its other reading in temp.alt) and the keys
 * of talks without an id whose title slug repeats (temp.fix).
 *
 * Keys: the CSV id, trimmed; without one, a slug of the title; a slug that
 * repeats gets '-' and six hex digits of an FNV-1a hash of the speakers when
 * the speakers differ (or when an id already has that name), and '~2',
 * '~3'... for repeats in file order (the first keeps the plain key).
 */
#include "lanyard/import.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lanyard/dateparse.h"
#include "lanyard/ltime.h"
#include "lanyard/restore.h"

/* libcsv's parser states (libcsv.c; struct csv_parser is public). */
#define CSV_ROW_NOT_BEGUN 0
#define CSV_FIELD_BEGUN 2
#define CSV_FIELD_MIGHT_HAVE_ENDED 3

#define BLOCK (1u << 20)          /* read size */
#define HEADER_MAX (1u << 20)     /* a first record longer than this is no header */
#define MAX_COLUMNS 4096
#define SLUG_MAX 48
#define CACHE_KIB 8192            /* page cache while importing */
#define FTS_HASH (8 << 20)        /* FTS5 pending-terms buffer while rebuilding */

enum field {
	F_ID, F_TITLE, F_NAME, F_DATE, F_START, F_END, F_ENDDATE, F_DURATION, F_ROOM,
	F_TRACK, F_TYPE, F_SPEAKERS, F_FIRST, F_LAST, F_ABSTRACT, F_URL, NFIELDS
};

/* Header names after normalising (lower case; _ - . / and camelCase become
 * spaces). A lower rank wins when a file has two columns for one field. */
static const struct {
	const char *name;
	unsigned char field, rank;
} synonyms[] = {
	{ "id", F_ID, 0 }, { "session id", F_ID, 0 }, { "talk id", F_ID, 0 }, { "event id", F_ID, 1 },
	{ "sessionid", F_ID, 0 }, { "guid", F_ID, 1 }, { "uid", F_ID, 1 }, { "uuid", F_ID, 1 },
	{ "proposal id", F_ID, 1 }, { "submission id", F_ID, 1 }, { "session code", F_ID, 2 },
	{ "code", F_ID, 2 },
	{ "title", F_TITLE, 0 }, { "session title", F_TITLE, 0 }, { "talk title", F_TITLE, 0 },
	{ "event title", F_TITLE, 0 }, { "titel", F_TITLE, 0 }, { "session name", F_TITLE, 1 },
	{ "proposal title", F_TITLE, 1 }, { "session", F_TITLE, 2 },
	{ "name", F_NAME, 0 },
	{ "date", F_DATE, 0 }, { "start date", F_DATE, 0 }, { "session date", F_DATE, 0 },
	{ "event date", F_DATE, 0 }, { "datum", F_DATE, 0 }, { "day", F_DATE, 1 }, { "tag", F_DATE, 1 },
	{ "start", F_START, 0 }, { "start time", F_START, 0 }, { "time start", F_START, 0 },
	{ "starts at", F_START, 0 }, { "start at", F_START, 0 }, { "session start", F_START, 0 },
	{ "scheduled at", F_START, 0 }, { "start date time", F_START, 0 }, { "start datetime", F_START, 0 },
	{ "begin", F_START, 1 }, { "beginn", F_START, 1 }, { "from", F_START, 1 }, { "von", F_START, 1 },
	{ "time", F_START, 2 }, { "zeit", F_START, 2 }, { "uhrzeit", F_START, 2 }, { "time slot", F_START, 2 },
	{ "slot", F_START, 2 },
	{ "end", F_END, 0 }, { "end time", F_END, 0 }, { "time end", F_END, 0 }, { "ends at", F_END, 0 },
	{ "end at", F_END, 0 }, { "session end", F_END, 0 }, { "end date time", F_END, 0 },
	{ "end datetime", F_END, 0 }, { "finish", F_END, 1 }, { "ende", F_END, 1 }, { "to", F_END, 1 },
	{ "until", F_END, 1 }, { "bis", F_END, 1 },
	{ "end date", F_ENDDATE, 0 },
	{ "duration", F_DURATION, 0 }, { "scheduled duration", F_DURATION, 0 }, { "length", F_DURATION, 0 },
	{ "duration minutes", F_DURATION, 0 }, { "duration mins", F_DURATION, 0 }, { "dauer", F_DURATION, 0 },
	{ "minutes", F_DURATION, 1 },
	{ "room", F_ROOM, 0 }, { "room name", F_ROOM, 0 }, { "raum", F_ROOM, 0 }, { "venue", F_ROOM, 1 },
	{ "location", F_ROOM, 1 }, { "stage", F_ROOM, 1 }, { "hall", F_ROOM, 1 }, { "saal", F_ROOM, 1 },
	{ "ort", F_ROOM, 1 }, { "room location", F_ROOM, 0 },
	{ "track", F_TRACK, 0 }, { "tracks", F_TRACK, 0 }, { "track name", F_TRACK, 0 },
	{ "category", F_TRACK, 1 }, { "categories", F_TRACK, 1 }, { "kategorie", F_TRACK, 1 },
	{ "schedule track", F_TRACK, 0 }, { "topic", F_TRACK, 2 }, { "theme", F_TRACK, 2 },
	{ "stream", F_TRACK, 2 },
	{ "type", F_TYPE, 0 }, { "session type", F_TYPE, 0 }, { "session format", F_TYPE, 0 },
	{ "event type", F_TYPE, 0 }, { "talk type", F_TYPE, 0 }, { "submission type", F_TYPE, 0 },
	{ "format", F_TYPE, 1 }, { "kind", F_TYPE, 1 },
	{ "speakers", F_SPEAKERS, 0 }, { "speaker names", F_SPEAKERS, 0 }, { "presenters", F_SPEAKERS, 0 },
	{ "referenten", F_SPEAKERS, 0 }, { "speaker", F_SPEAKERS, 1 }, { "presenter", F_SPEAKERS, 1 },
	{ "speaker name", F_SPEAKERS, 1 }, { "persons", F_SPEAKERS, 1 }, { "referent", F_SPEAKERS, 1 },
	{ "authors", F_SPEAKERS, 2 }, { "author", F_SPEAKERS, 2 },
	{ "first name", F_FIRST, 0 }, { "given name", F_FIRST, 0 }, { "vorname", F_FIRST, 0 },
	{ "last name", F_LAST, 0 }, { "surname", F_LAST, 0 }, { "family name", F_LAST, 0 },
	{ "nachname", F_LAST, 0 },
	{ "abstract", F_ABSTRACT, 0 }, { "description", F_ABSTRACT, 0 }, { "synopsis", F_ABSTRACT, 0 },
	{ "session description", F_ABSTRACT, 0 }, { "beschreibung", F_ABSTRACT, 0 },
	{ "summary", F_ABSTRACT, 1 }, { "details", F_ABSTRACT, 2 },
	{ "url", F_URL, 0 }, { "link", F_URL, 0 }, { "session url", F_URL, 0 }, { "session link", F_URL, 0 },
	{ "website", F_URL, 2 }, { "web", F_URL, 2 },
};

struct cell {
	char *s;
	size_t len, cap;
};

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

struct sbuf {
	char *s;
	size_t len, cap;
};

/* A talk's times as read from one row, under one day/month order. */
struct when {
	bool ok;            /* scheduled */
	int64_t start, end; /* minutes; end -1 = unknown */
};

struct imp {
	const char *path;
	const struct import_opts *opts;
	struct store *st;
	sqlite3 *db;
	import_msg_fn on_msg;
	void *ctx;
	struct ly_error *err;
	struct import_report *rep;
	int rc;                 /* LY_OK until something fails */

	/* reading */
	FILE *f;
	char *buf;              /* decoded text; [pos, len) not yet cut into lines */
	size_t pos, len, cap;
	bool eof;
	iconv_t utf16;          /* (iconv_t)-1 unless the file is UTF-16 */
	char *raw;
	size_t rawlen;
	iconv_t cp1252;
	char *conv;             /* a line decoded from Windows-1252 */
	size_t convcap;
	bool warned_cp1252;

	/* parsing */
	struct csv_parser p;
	bool csv_on;
	long line;              /* physical line being fed */
	long pending;           /* where the next record starts */
	long rec_line;          /* where the current record started */
	long quote_line;        /* where the open quoted field started */
	unsigned long ends;     /* fields and records ended so far */
	size_t col;             /* column of the next field in the record */
	bool any_text;

	/* header */
	bool header_done;
	long header_line;
	struct sbuf names;      /* header cells, each NUL-terminated */
	size_t ncols;
	signed char *colmap;    /* column -> field, -1 = ignored */
	int fcol[NFIELDS];      /* field -> column, -1 = none */
	bool track_from_type, no_times;
	struct cell cells[NFIELDS];
	size_t extra;           /* non-empty fields past the header's columns */
	bool warned_ragged;

	/* rows */
	long rows;
	int64_t seq;
	int64_t first_day;
	struct dp_order order_ev;
	struct sbuf spk;        /* the row's speakers, "A, B" */
	struct sbuf msgtitle, msgtmp;  /* text made safe for messages */
	struct keytab keys;
	long first_row_line;

	/* store */
	bool in_tx;
	int64_t conf;           /* the conference rows go into */
	int64_t old_conf;       /* the existing conference of that name, or 0 */
	int old_cache;
	sqlite3_stmt *ins_id, *ins_plain, *fix_ins, *fix_first, *alt_ins, *find_key, *set_key, *set_slug_key;
	struct writer *w;       /* rows on their way to the store */
};

/* ---- messages ------------------------------------------------------------ */

static void emit(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct imp *im, const char *fmt, ...)
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
	im->rep->warnings++;
	emit(im, "%s:%ld: warning: %s", im->path, line, buf);
}

/* The first error wins; at_line: as FILE:LINE: error: ..., else as it is. */
static int vfail(struct imp *im, bool at_line, long line, const char *fmt, va_list ap)
{
	char buf[900];
	vsnprintf(buf, sizeof buf, fmt, ap);
	if (im->rc == LY_OK) {
		if (at_line)
			ly_fail(im->err, "%s:%ld: error: %s", im->path, line, buf);
		else
			ly_fail(im->err, "%s", buf);
	}
	return im->rc = LY_ERR;
}

static int fail_line(struct imp *im, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_line(struct imp *im, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(im, true, line, fmt, ap);
	va_end(ap);
	return rc;
}

static int fail(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct imp *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(im, false, 0, fmt, ap);
	va_end(ap);
	return rc;
}

static int db_fail(struct imp *im)
{
	return fail(im, "%s: %s", store_path(im->st), sqlite3_errmsg(im->db));
}

static int oom(struct imp *im)
{
	return fail(im, "out of memory");
}

/* ---- small buffers ------------------------------------------------------- */

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

/* ---- UTF-8 ---------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
			return 0; /* overlong, surrogate */
		return 3;
	}
	if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
		return 0;
	if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
		return 0;
	return 4;
}

static bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		size_t k = utf8_seq(s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* Decode one code point of valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xE0) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return 3;
	}
	*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 |
	      (s[3] & 0x3F);
	return 4;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A line that is not UTF-8: keep its valid UTF-8 sequences and read every
 * other byte as Windows-1252 (iconv; bytes it leaves undefined become
 * U+FFFD). Sets *out to im->conv. */
static int decode_cp1252(struct imp *im, const char *s, size_t n, const char **out, size_t *outlen)
{
	if (!reserve(&im->conv, &im->convcap, n * 3 + 1))
		return oom(im);
	if (im->cp1252 == (iconv_t)-1) {
		im->cp1252 = iconv_open("UTF-8", "WINDOWS-1252");
		if (im->cp1252 == (iconv_t)-1)
			return fail(im, "%s: error: cannot convert from Windows-1252: %s", im->path, strerror(errno));
	}
	const unsigned char *u = (const unsigned char *)s;
	char *o = im->conv;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq(u + i, n - i);
		if (k) {
			memcpy(o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		char *in = (char *)s + i, *dst = o;
		size_t inleft = 1, oleft = 4;
		if (iconv(im->cp1252, &in, &inleft, &dst, &oleft) == (size_t)-1) {
			iconv(im->cp1252, NULL, NULL, NULL, NULL);
			memcpy(o, "\xEF\xBF\xBD", 3);
			dst = o + 3;
		}
		o = dst;
		i++;
	}
	*out = im->conv;
	*outlen = (size_t)(o - im->conv);
	return LY_OK;
}

/* Copy s for a one-line message: controls become spaces, at most max bytes
 * (cut on a character boundary, "..." appended). */
static const char *for_msg(struct sbuf *b, const char *s, size_t max)
{
	b->len = 0;
	size_t n = strlen(s);
	bool cut = n > max;
	if (cut) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (!reserve(&b->s, &b->cap, n + 4))
		return "";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		b->s[i] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
	}
	b->len = n;
	if (cut) {
		memcpy(b->s + n, "...", 3);
		b->len += 3;
	}
	b->s[b->len] = '\0';
	return b->s;
}

/* ---- speakers, slugs, hashes --------------------------------------------- */

static bool same_name(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && strncasecmp(a, b, an) == 0;
}

/* Add one speaker (trimmed, inner blanks collapsed) unless already there. */
static bool spk_add(struct sbuf *b, const char *s, size_t n)
{
	char tmp[512];
	size_t t = 0;
	bool space = false;
	for (size_t i = 0; i < n && t + 1 < sizeof tmp; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c) || c < 0x20) {
			space = t > 0;
			continue;
		}
		if (space)
			tmp[t++] = ' ';
		space = false;
		if (t < sizeof tmp - 1)
			tmp[t++] = (char)c;
	}
	while (t > 0 && ((unsigned char)tmp[t - 1] & 0xC0) == 0x80 && t == sizeof tmp - 1)
		t--; /* a cut name must not end inside a character */
	if (t == 0)
		return true;
	for (size_t i = 0; i < b->len;) {
		size_t k = strcspn(b->s + i, ",");
		if (same_name(b->s + i, k, tmp, t))
			return true;
		i += k;
		while (i < b->len && (b->s[i] == ',' || b->s[i] == ' '))
			i++;
	}
	return (b->len == 0 || sb_put(b, ", ", 2)) && sb_put(b, tmp, t);
}

/* Split a speakers cell on , ; | and line breaks into b. */
static bool spk_split(struct sbuf *b, const char *s)
{
	while (*s) {
		size_t k = strcspn(s, ",;|\n\r");
		if (!spk_add(b, s, k))
			return false;
		s += k;
		if (*s)
			s++;
	}
	return true;
}

static void sql_merge_speakers(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *a = (const char *)sqlite3_value_text(argv[0]);
	const char *b = (const char *)sqlite3_value_text(argv[1]);
	struct sbuf out = { 0 };
	if (!sb_put(&out, "", 0) || !spk_split(&out, a ? a : "") || !spk_split(&out, b ? b : "")) {
		free(out.s);
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, out.s, (int)out.len, free);
}

static uint32_t fnv1a(const char *s, bool fold)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= fold ? (uint32_t)tolower(*p) : *p;
		h *= 16777619u;
	}
	return h;
}

/* Six hex digits of a speakers' hash. */
static void hex6(uint32_t h, char out[8])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 5; i >= 0; i--, h >>= 4)
		out[i] = digits[h & 0xF];
	out[6] = '\0';
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

/* Letters kept in slugs, beyond ASCII: Latin, Greek, Cyrillic and the other
 * alphabets, kana, Hangul and CJK ideographs; not punctuation or symbols. */
static bool slug_letter(uint32_t cp)
{
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x3FF) ||
	       (cp >= 0x400 && cp <= 0x52F) || (cp >= 0x531 && cp <= 0x10FF) ||
	       (cp >= 0x1E00 && cp <= 0x1FFF) || (cp >= 0x3040 && cp <= 0x30FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

static uint32_t slug_lower(uint32_t cp)
{
	if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
	    (cp >= 0x410 && cp <= 0x42F))
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	if (((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) && cp % 2 == 0)
		return cp + 1;
	if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) && cp % 2 == 1)
		return cp + 1;
	return cp;
}

/* A readable, shell-friendly slug of a title: lower case, runs of other
 * characters become '-', letters beyond ASCII kept, at most SLUG_MAX bytes
 * cut on a character boundary. out has SLUG_MAX + 1 bytes. */
static void slugify(const char *title, char *out)
{
	size_t o = 0;
	bool dash = false;
	for (const unsigned char *s = (const unsigned char *)title; *s;) {
		uint32_t cp;
		size_t k = utf8_decode(s, &cp);
		s += k;
		char enc[4];
		size_t n;
		if (cp < 0x80 && isalnum((int)cp)) {
			enc[0] = (char)tolower((int)cp);
			n = 1;
		} else if (cp >= 0x80 && slug_letter(cp)) {
			n = utf8_encode(slug_lower(cp), enc);
		} else {
			dash = true;
			continue;
		}
		size_t need = n + (dash && o ? 1 : 0);
		if (o + need > SLUG_MAX)
			break;
		if (dash && o)
			out[o++] = '-';
		dash = false;
		memcpy(out + o, enc, n);
		o += n;
	}
	if (o == 0) {
		memcpy(out, "talk", 4);
		o = 4;
	}
	out[o] = '\0';
}

/* ---- the key table ---------------------------------------------------------- */

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

static const char ins_id_sql[] =
	"INSERT INTO talk(conf_id, key, title, start, end, day, room, track, type, speakers,"
	" abstract, url, line, seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
	" ON CONFLICT(conf_id, key) DO UPDATE SET"
	" speakers = lanyard_merge_speakers(speakers, excluded.speakers),"
	" title = CASE WHEN title = '' THEN excluded.title ELSE title END,"
	" start = COALESCE(start, excluded.start),"
	" end = CASE WHEN start IS NULL THEN excluded.end ELSE end END,"
	" day = COALESCE(day, excluded.day),"
	" room = CASE WHEN room = '' THEN excluded.room ELSE room END,"
	" track = CASE WHEN track = '' THEN excluded.track ELSE track END,"
	" type = CASE WHEN type = '' THEN excluded.type ELSE type END,"
	" abstract = CASE WHEN abstract = '' THEN excluded.abstract ELSE abstract END,"
	" url = CASE WHEN url = '' THEN excluded.url ELSE url END";

static const char ins_plain_sql[] =
	"INSERT INTO talk(conf_id, key, title, start, end, day, room, track, type, speakers,"
	" abstract, url, line, seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

static int exec(struct imp *im, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(im->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail(im, "%s: %s", store_path(im->st), msg ? msg : sqlite3_errmsg(im->db));
		sqlite3_free(msg);
		return LY_ERR;
	}
	return LY_OK;
}

static sqlite3_stmt *stmt(struct imp *im, const char *sql)
{
	sqlite3_stmt *s = store_stmt(im->st, sql, im->err);
	if (!s)
		im->rc = LY_ERR;
	return s;
}

/* Step a statement that returns nothing. */
static int run(struct imp *im, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : db_fail(im);
}

static int query_int(struct imp *im, const char *sql, int64_t a, int64_t b, int64_t *out)
{
	sqlite3_stmt *s = stmt(im, sql);
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

/* Open the transaction and the conference the talks go into; called at the
 * first data row, so a file that fails early never touches the store. */
static int begin_store(struct imp *im)
{
	int64_t v;
	if (query_int(im, "PRAGMA cache_size", 0, 0, &v))
		return LY_ERR;
	im->old_cache = (int)v;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", CACHE_KIB);
	if (exec(im, "PRAGMA temp_store = MEMORY") || exec(im, sql))
		return LY_ERR;
	if (store_begin(im->st, im->err))
		return im->rc = LY_ERR;
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
	sqlite3_bind_text(s, 1, im->rep->conf_name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	im->old_conf = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(im);
	/* A new conference is written in place; a re-import goes to scratch
	 * space first (the name cannot clash: it holds a control character). */
	char scratch[300];
	snprintf(scratch, sizeof scratch, "\x01import %s", im->rep->conf_name);
	s = stmt(im, "INSERT INTO conference(name, source, tz, imported_at, import_seq)"
	             " VALUES(?1, ?2, COALESCE(?3, ''), datetime('now'),"
	             " (SELECT COALESCE(max(import_seq), 0) + 1 FROM conference))");
	if (!s)
		return LY_ERR;
	sqlite3_bind_text(s, 1, im->old_conf ? scratch : im->rep->conf_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, im->path, -1, SQLITE_STATIC);
	if (im->opts->tz && *im->opts->tz)
		sqlite3_bind_text(s, 3, im->opts->tz, -1, SQLITE_STATIC);
	if (run(im, s))
		return LY_ERR;
	im->conf = sqlite3_last_insert_rowid(im->db);
	if (!(im->ins_id = stmt(im, ins_id_sql)) || !(im->ins_plain = stmt(im, ins_plain_sql)) ||
	    !(im->fix_ins = stmt(im, "INSERT INTO temp.fix(talk_id, slug, sph, seq) VALUES(?1, ?2, ?3, ?4)")) ||
	    !(im->fix_first = stmt(im, "INSERT OR IGNORE INTO temp.fix(talk_id, slug, sph, seq)"
	                               " SELECT id, ?2, ?3, seq FROM talk WHERE conf_id = ?1 AND key = ?2")) ||
	    !(im->set_slug_key = stmt(im, "UPDATE talk SET key = ?3 WHERE conf_id = ?1 AND key = ?2")) ||
	    !(im->alt_ins = stmt(im, "INSERT OR REPLACE INTO temp.alt(talk_id, ord, start, end, day)"
	                             " VALUES(?1, ?2, ?3, ?4, ?5)")) ||
	    !(im->find_key = stmt(im, "SELECT id, start FROM talk WHERE conf_id = ?1 AND key = ?2")) ||
	    !(im->set_key = stmt(im, "UPDATE talk SET key = ?2 WHERE id = ?1")))
		return LY_ERR;
	return LY_OK;
}

/* ---- rows on their way to the store ---------------------------------------- */

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

static int apply_fail(struct imp *im, struct ly_error *err)
{
	ly_fail(err, "%s: %s", store_path(im->st), sqlite3_errmsg(im->db));
	return LY_ERR;
}

static int step(struct imp *im, sqlite3_stmt *s, struct ly_error *err)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : apply_fail(im, err);
}

/* Write a batch of rows. Uses only the store and the statements begin_store
 * prepared; errors go to err (this may run in the writer thread). */
static int apply(struct imp *im, const struct batch *b, struct ly_error *err)
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
	struct imp *im = arg;
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
static int flush_batch(struct imp *im, bool last)
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
			return fail(im, "cannot start the writer: out of resources");
		if (pthread_cond_init(&w->cv, NULL) != 0) {
			pthread_mutex_destroy(&w->mu);
			return fail(im, "cannot start the writer: out of resources");
		}
		if (pthread_create(&w->th, NULL, writer_main, im) != 0) {
			pthread_cond_destroy(&w->cv);
			pthread_mutex_destroy(&w->mu);
			return fail(im, "cannot start the writer thread");
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
static int writer_stop(struct imp *im)
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
	if (w->failed && im->rc == LY_OK) {
		ly_fail(im->err, "%s", w->err.msg);
		im->rc = LY_ERR;
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
static struct rec *new_rec(struct imp *im)
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
		if (im->rc == LY_OK) {
			ly_fail(im->err, "%s", w->err.msg);
			im->rc = LY_ERR;
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

/* ---- one row -------------------------------------------------------------- */

static const char *cellv(struct imp *im, enum field f)
{
	return im->cells[f].s ? im->cells[f].s : "";
}

/* Trim a cell in place (ASCII blanks); the cell's text then starts at the
 * returned offset. */
static void trim_cell(struct cell *c)
{
	if (!c->s)
		return;
	size_t a = 0, n = c->len;
	while (a < n && isspace((unsigned char)c->s[a]))
		a++;
	while (n > a && isspace((unsigned char)c->s[n - 1]))
		n--;
	if (a)
		memmove(c->s, c->s + a, n - a);
	c->len = n - a;
	c->s[c->len] = '\0';
}

enum sched { S_OK, S_UNSCHEDULED, S_FATAL };

/* Start and end of a talk from its parsed cells. Fills why for an
 * unscheduled talk; S_FATAL when a relative day cannot be placed. */
static enum sched times_of(struct imp *im, const struct dp_cell *dc, const struct dp_cell *sc,
                           const struct dp_cell *ec, const struct dp_cell *edc, const char *dur,
                           bool warn, struct when *w, char *why, size_t whylen)
{
	w->ok = false;
	w->end = -1;
	const struct dp_date *date = dc->date.kind ? &dc->date : sc->date.kind ? &sc->date : NULL;
	const struct dp_cell *timed = sc->t1 >= 0 ? sc : dc;
	int t1 = timed->t1, t2 = timed->t2;
	if (!date && t1 < 0) {
		snprintf(why, whylen, "no date or time");
		return S_UNSCHEDULED;
	}
	if (!date) {
		snprintf(why, whylen, "no date");
		return S_UNSCHEDULED;
	}
	if (t1 < 0) {
		snprintf(why, whylen, "no start time");
		return S_UNSCHEDULED;
	}
	int64_t days;
	if (!dp_place(date, im->first_day, &days)) {
		const char *what = *cellv(im, F_DATE) ? cellv(im, F_DATE) : cellv(im, F_START);
		struct sbuf b = { 0 };
		if (im->first_day != DP_NO_FIRST_DAY)
			fail_line(im, im->rec_line, "cannot place '%s' from --first-day %s", for_msg(&b, what, 60),
			          im->opts->first_day);
		else
			fail_line(im, im->rec_line, "'%s' is a day without a full date; say which date the "
			          "conference starts with --first-day YYYY-MM-DD", for_msg(&b, what, 60));
		free(b.s);
		return S_FATAL;
	}
	w->start = days * 1440 + t1;
	w->ok = true;
	/* The end: an end cell, the end of a range, or a duration. */
	int64_t edays = days;
	bool explicit_day = false;
	const struct dp_date *ed = ec->date.kind ? &ec->date : edc->date.kind ? &edc->date :
	                           timed->date2.kind ? &timed->date2 : NULL;
	if (ed && dp_place(ed, im->first_day, &edays))
		explicit_day = true;
	int dmin;
	if (ec->t1 >= 0)
		w->end = edays * 1440 + ec->t1;
	else if (t2 >= 0)
		w->end = edays * 1440 + t2;
	else if (*dur && dp_duration(dur, &dmin))
		w->end = w->start + dmin;
	else if (*dur && warn)
		warn_line(im, im->rec_line, "'%s': cannot read duration '%s'; the talk has no end",
		          for_msg(&im->msgtitle, cellv(im, F_TITLE), 80), for_msg(&im->msgtmp, dur, 60));
	if (w->end >= 0 && w->end < w->start) {
		if (explicit_day) {
			if (warn)
				warn_line(im, im->rec_line, "'%s' ends before it starts; the end is ignored",
				          for_msg(&im->msgtitle, cellv(im, F_TITLE), 80));
			w->end = -1;
		} else {
			w->end += 1440; /* past midnight: it ends the next day */
		}
	}
	return S_OK;
}

static void put2(char *out, unsigned v)
{
	out[0] = (char)('0' + v / 10 % 10);
	out[1] = (char)('0' + v % 10);
}

/* 'YYYY-MM-DD' of a day, and 'YYYY-MM-DD HH:MM' of a minute, as
 * ltime_format_stamp writes them, without printf in the row loop. */
static void format_day(int64_t days, char *out)
{
	int y, m, d;
	ltime_civil_from_days(days, &y, &m, &d);
	unsigned uy = (unsigned)y % 10000u;
	put2(out, uy / 100);
	put2(out + 2, uy % 100);
	out[4] = '-';
	put2(out + 5, (unsigned)m);
	out[7] = '-';
	put2(out + 8, (unsigned)d);
	out[10] = '\0';
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* 'YYYY-MM-DD HH:MM' of a minute into out (17 bytes). */
static void format_stamp(int64_t minutes, char *out)
{
	int64_t days = floor_div(minutes, 1440);
	unsigned rem = (unsigned)(minutes - days * 1440);
	format_day(days, out);
	out[10] = ' ';
	put2(out + 11, rem / 60);
	out[13] = ':';
	put2(out + 14, rem % 60);
	out[16] = '\0';
}

/* A talk's start, end and conference day (a day runs from 04:00 to 04:00,
 * as ltime_conf_day has it) into a row. */
static bool rec_when(struct batch *b, struct rec *r, enum str first, const struct when *w)
{
	char start[20], end[20], day[12];
	if (!w->ok)
		return rec_str(b, r, first, NULL, 0) && rec_str(b, r, first + 1, NULL, 0) &&
		       rec_str(b, r, first + 2, NULL, 0);
	format_stamp(w->start, start);
	format_day(floor_div(w->start - LTIME_DAY_START_MIN, 1440), day);
	if (w->end >= 0)
		format_stamp(w->end, end);
	return rec_str(b, r, first, start, 16) && rec_str(b, r, first + 1, w->end >= 0 ? end : NULL, 16) &&
	       rec_str(b, r, first + 2, day, 10);
}

static void row(struct imp *im)
{
	bool blank = im->extra == 0;
	for (int f = 0; f < NFIELDS && blank; f++) {
		struct cell *c = &im->cells[f];
		for (size_t i = 0; i < c->len && blank; i++)
			blank = isspace((unsigned char)c->s[i]);
	}
	if (blank)
		return; /* ",,,," is no talk */
	im->rows++;
	if (im->extra && !im->warned_ragged) {
		im->warned_ragged = true;
		warn_line(im, im->rec_line, "more fields than the header has columns (%zu); the extra ones are ignored",
		          im->ncols);
	}
	for (int f = 0; f < NFIELDS; f++)
		trim_cell(&im->cells[f]);
	if (!im->in_tx && begin_store(im))
		return;
	if (im->first_row_line == 0)
		im->first_row_line = im->rec_line;

	/* An id is a key: no controls in it (keys are typed in shells). */
	struct cell *idc = &im->cells[F_ID];
	for (size_t i = 0; i < idc->len; i++)
		if ((unsigned char)idc->s[i] < 0x20 || idc->s[i] == 0x7F)
			idc->s[i] = ' ';
	const char *id = cellv(im, F_ID);
	const char *title = cellv(im, F_TITLE);
	uint64_t idh = *id ? hash64(id, idc->len) : 0;
	struct kent *seen = *id ? key_find(&im->keys, idh) : NULL;
	bool merging = seen && seen->kind == K_ID;
	if (!*title && !merging) {
		warn_line(im, im->rec_line, "no title; row skipped");
		return;
	}

	/* Speakers: a speakers column, and/or first and last names. */
	im->spk.len = 0;
	if (!sb_put(&im->spk, "", 0)) {
		oom(im);
		return;
	}
	bool ok = im->fcol[F_SPEAKERS] < 0 || spk_split(&im->spk, cellv(im, F_SPEAKERS));
	if (ok && (im->fcol[F_FIRST] >= 0 || im->fcol[F_LAST] >= 0)) {
		char full[512];
		int n = snprintf(full, sizeof full, "%s%s%s", cellv(im, F_FIRST),
		                 *cellv(im, F_FIRST) && *cellv(im, F_LAST) ? " " : "", cellv(im, F_LAST));
		ok = spk_add(&im->spk, full, n < 0 ? 0 : (size_t)n >= sizeof full ? sizeof full - 1 : (size_t)n);
	}
	if (!ok) {
		oom(im);
		return;
	}

	/* When. */
	enum date_order fixed = im->opts->order;
	enum date_order read_as = fixed != DATE_ORDER_AUTO ? fixed : DATE_ORDER_MDY;
	struct dp_cell cell[4];
	static const enum field tf[4] = { F_DATE, F_START, F_END, F_ENDDATE };
	char why[400] = "";
	bool unreadable = false;
	for (int i = 0; i < 4; i++) {
		const char *v = cellv(im, tf[i]);
		if (!dp_parse(v, read_as, &cell[i]) && i < 2 && !unreadable) {
			snprintf(why, sizeof why, "cannot read '%s' as a date or time", for_msg(&im->msgtmp, v, 60));
			unreadable = true;
		}
	}
	bool bad_end = *cellv(im, F_END) && cell[2].t1 < 0 && cell[2].date.kind == DP_NONE;
	bool ambiguous = false;
	for (int i = 0; i < 4; i++) {
		dp_order_note(&im->order_ev, &cell[i].date);
		dp_order_note(&im->order_ev, &cell[i].date2);
		ambiguous |= cell[i].date.ambiguous || cell[i].date2.ambiguous;
	}
	ambiguous &= fixed == DATE_ORDER_AUTO;
	/* Read ambiguous dates the way the evidence so far points; the other
	 * reading is kept in case the rest of the file says otherwise. */
	enum date_order used = read_as;
	if (ambiguous && dp_order_pick(&im->order_ev) == DATE_ORDER_DMY) {
		used = DATE_ORDER_DMY;
		for (int i = 0; i < 4; i++) {
			dp_swap(&cell[i].date);
			dp_swap(&cell[i].date2);
		}
	}
	const char *dur = cellv(im, F_DURATION);
	struct when w = { 0 }, other = { 0 };
	enum sched sr = S_UNSCHEDULED;
	if (!unreadable)
		sr = times_of(im, &cell[0], &cell[1], &cell[2], &cell[3], dur, !merging, &w, why, sizeof why);
	if (sr == S_FATAL)
		return;
	if (ambiguous && sr == S_OK) {
		for (int i = 0; i < 4; i++) {
			dp_swap(&cell[i].date);
			dp_swap(&cell[i].date2);
		}
		char why2[64];
		if (times_of(im, &cell[0], &cell[1], &cell[2], &cell[3], dur, false, &other, why2, sizeof why2) == S_FATAL)
			return;
	}
	if (!w.ok && !merging && !im->no_times)
		warn_line(im, im->rec_line, "'%s': %s; kept as unscheduled", for_msg(&im->msgtitle, title, 80), why);
	if (w.ok && bad_end && !merging)
		warn_line(im, im->rec_line, "'%s': cannot read end '%s'; the talk has no end",
		          for_msg(&im->msgtitle, title, 80), for_msg(&im->msgtmp, cellv(im, F_END), 60));

	/* The key. */
	struct rec *r = new_rec(im);
	if (!r)
		return;
	struct batch *b = &im->w->b[im->w->cur];
	im->seq++;
	r->line = im->rec_line;
	r->seq = im->seq;
	r->merging = merging;
	char slug[SLUG_MAX + 1], sph[8], fsph[8], prov[32];
	const char *key = id;
	size_t keylen = idc->len;
	ok = true;
	if (*id) {
		r->upsert = 1;
		if (seen && seen->kind == K_SLUG) {
			/* An id named like an earlier talk's slug: the talk holding
			 * that slug moves aside; its key is settled at the end. */
			r->pre = PRE_CLASH;
			hex6(seen->sph, fsph);
			int n = snprintf(prov, sizeof prov, "\x01c%lld", (long long)im->seq);
			ok = rec_str(b, r, R_SLUG, id, idc->len) && rec_str(b, r, R_FSPH, fsph, 6) &&
			     rec_str(b, r, R_PROV, prov, (size_t)n);
			seen->kind = K_ID;
			seen->repeated = 1;
		} else if (!seen) {
			struct kent *e = key_add(&im->keys, idh);
			if (!e) {
				oom(im);
				return;
			}
			e->kind = K_ID;
		}
	} else {
		slugify(title, slug);
		size_t slen = strlen(slug);
		uint32_t sphash = fnv1a(im->spk.s, true);
		hex6(sphash, sph);
		uint64_t h = hash64(slug, slen);
		struct kent *e = key_find(&im->keys, h);
		key = slug;
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
			ok = ok && rec_str(b, r, R_SLUG, slug, slen) && rec_str(b, r, R_SPH, sph, 6);
		} else {
			if (!(e = key_add(&im->keys, h))) {
				oom(im);
				return;
			}
			e->kind = K_SLUG;
			e->sph = sphash;
		}
	}

	/* The row. */
	const char *track = cellv(im, im->track_from_type && !*cellv(im, F_TRACK) ? F_TYPE : F_TRACK);
	ok = ok && rec_str(b, r, R_KEY, key, keylen) && rec_str(b, r, R_TITLE, title, strlen(title)) &&
	     rec_when(b, r, R_START, &w) && rec_str(b, r, R_ROOM, cellv(im, F_ROOM), im->cells[F_ROOM].len) &&
	     rec_str(b, r, R_TRACK, track, strlen(track)) &&
	     rec_str(b, r, R_TYPE, cellv(im, F_TYPE), im->cells[F_TYPE].len) &&
	     rec_str(b, r, R_SPK, im->spk.s, im->spk.len) &&
	     rec_str(b, r, R_ABS, cellv(im, F_ABSTRACT), im->cells[F_ABSTRACT].len) &&
	     rec_str(b, r, R_URL, cellv(im, F_URL), im->cells[F_URL].len);
	if (ok && ambiguous && w.ok) {
		r->alt = 1;
		r->ord = (unsigned char)used;
		ok = rec_when(b, r, R_ASTART, &other);
	}
	if (!ok)
		oom(im);
}

/* ---- the header ------------------------------------------------------------- */

/* Lower case; _ - . / and runs of blanks become one space; camelCase is
 * split; a trailing ':' or '*' is dropped. */
static void header_key(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	bool space = false;
	for (size_t i = 0; in[i] && o + 2 < outlen; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '_' || c == '-' || c == '.' || c == '/' || isspace(c)) {
			space = o > 0;
			continue;
		}
		if (isupper(c) && i > 0 && islower((unsigned char)in[i - 1]))
			space = o > 0;
		if (space)
			out[o++] = ' ';
		space = false;
		out[o++] = (char)tolower(c);
	}
	while (o > 0 && (out[o - 1] == ':' || out[o - 1] == '*' || out[o - 1] == ' '))
		o--;
	out[o] = '\0';
}

static int synonym(const char *key)
{
	for (size_t k = 0; k < sizeof synonyms / sizeof synonyms[0]; k++)
		if (strcmp(key, synonyms[k].name) == 0)
			return (int)k;
	return -1;
}

static int map_header(struct imp *im)
{
	im->header_line = im->rec_line;
	im->header_done = true;
	im->ncols = im->col;
	im->colmap = malloc(im->ncols ? im->ncols : 1);
	if (!im->colmap)
		return oom(im);
	int rank[NFIELDS];
	for (int f = 0; f < NFIELDS; f++)
		im->fcol[f] = -1, rank[f] = 99;
	bool any = false;
	const char *name = im->names.s;
	for (size_t c = 0; c < im->ncols; c++, name += strlen(name) + 1) {
		im->colmap[c] = -1;
		char key[128];
		header_key(name, key, sizeof key);
		any |= *key != '\0';
		int k = synonym(key);
		if (k < 0) { /* "Duration (minutes)", "Speaker(s)" */
			char *paren = strchr(key, '(');
			if (paren && paren > key) {
				*paren = '\0';
				header_key(key, key, sizeof key);
				k = synonym(key);
			}
		}
		if (k >= 0 && synonyms[k].rank < rank[synonyms[k].field]) {
			im->fcol[synonyms[k].field] = (int)c;
			rank[synonyms[k].field] = synonyms[k].rank;
		}
	}
	if (!any)
		return fail_line(im, im->header_line, "the first line holds no column names");
	/* "name" is the talk when there is no title column, else the speaker. */
	if (im->fcol[F_TITLE] < 0)
		im->fcol[F_TITLE] = im->fcol[F_NAME];
	else if (im->fcol[F_SPEAKERS] < 0 && im->fcol[F_FIRST] < 0 && im->fcol[F_LAST] < 0)
		im->fcol[F_SPEAKERS] = im->fcol[F_NAME];
	im->fcol[F_NAME] = -1;
	if (im->fcol[F_TITLE] < 0) {
		struct sbuf list = { 0 }, one = { 0 };
		name = im->names.s;
		bool ok = sb_put(&list, "", 0);
		for (size_t c = 0; c < im->ncols && ok; c++, name += strlen(name) + 1) {
			char *t = (char *)name;
			while (isspace((unsigned char)*t))
				t++;
			const char *safe = for_msg(&one, t, 60);
			ok = (c == 0 || sb_put(&list, ", ", 2)) && sb_put(&list, safe, one.len);
			if (list.len > 600) {
				ok = ok && sb_put(&list, ", ...", 5);
				break;
			}
		}
		fail_line(im, im->header_line, "no title column (looked for title, session title, name, talk title); "
		          "columns found: %s", ok ? list.s : "?");
		free(list.s);
		free(one.s);
		return LY_ERR;
	}
	/* Sched calls its tracks "session_type": without a track column the
	 * type is what a schedule is browsed by. */
	im->track_from_type = im->fcol[F_TRACK] < 0 && im->fcol[F_TYPE] >= 0;
	for (int f = 0; f < NFIELDS; f++)
		if (im->fcol[f] >= 0)
			im->colmap[im->fcol[f]] = (signed char)f;
	im->no_times = im->fcol[F_DATE] < 0 && im->fcol[F_START] < 0;
	if (im->no_times)
		warn_line(im, im->header_line, "no date or time column (looked for date, day, start, time, "
		          "scheduled at); every talk is unscheduled");
	return LY_OK;
}

/* ---- libcsv callbacks -------------------------------------------------------- */

static void on_field(void *data, size_t len, void *ctx)
{
	struct imp *im = ctx;
	im->ends++;
	if (im->rc != LY_OK)
		return;
	if (im->col == 0)
		im->rec_line = im->pending;
	size_t c = im->col++;
	if (!im->header_done) {
		if (c >= MAX_COLUMNS) {
			fail_line(im, im->pending, "more than %d columns: not a schedule", MAX_COLUMNS);
			return;
		}
		/* Names are kept one after another, each with its NUL. */
		if (!sb_put(&im->names, data ? data : "", len) || !sb_put(&im->names, "", 1))
			oom(im);
		return;
	}
	if (c >= im->ncols) {
		const char *s = data;
		for (size_t i = 0; i < len; i++)
			if (!isspace((unsigned char)s[i])) {
				im->extra++;
				break;
			}
		return;
	}
	int f = im->colmap[c];
	if (f < 0)
		return;
	struct cell *cl = &im->cells[f];
	if (!reserve(&cl->s, &cl->cap, len + 1)) {
		oom(im);
		return;
	}
	if (len)
		memcpy(cl->s, data, len);
	cl->s[len] = '\0';
	cl->len = len;
}

static void on_record(int term, void *ctx)
{
	(void)term;
	struct imp *im = ctx;
	im->ends++;
	if (im->rc == LY_OK) {
		if (!im->header_done)
			map_header(im);
		else
			row(im);
	}
	im->col = 0;
	im->extra = 0;
	for (int f = 0; f < NFIELDS; f++) {
		im->cells[f].len = 0;
		if (im->cells[f].s)
			im->cells[f].s[0] = '\0';
	}
}

/* ---- reading ------------------------------------------------------------------ */

/* Hand one line to libcsv. Strict mode stops at a stray quote; recover as
 * a forgiving reader does: a quote inside an unquoted field is a quote
 * ('5" screen'), text after a closing quote continues the field
 * ('"Big" ideas' reads 'Big ideas'), with a warning. */
static int feed(struct imp *im, const char *s, size_t n)
{
	size_t off = 0;
	bool warned = false;
	while (off < n && im->rc == LY_OK) {
		off += csv_parse(&im->p, s + off, n - off, on_field, on_record, im);
		if (off >= n || im->rc != LY_OK)
			break;
		if (csv_error(&im->p) != CSV_EPARSE)
			return fail(im, "%s: error: %s", im->path, csv_strerror(csv_error(&im->p)));
		im->p.status = 0;
		if (im->p.pstate == CSV_FIELD_MIGHT_HAVE_ENDED && im->p.quoted) {
			/* Drop the closing quote (spaces after it stay) and go on unquoted. */
			size_t q = im->p.entry_pos - im->p.spaces - 1;
			memmove(im->p.entry_buf + q, im->p.entry_buf + q + 1, im->p.spaces);
			im->p.entry_pos--;
			im->p.pstate = CSV_FIELD_BEGUN;
			im->p.quoted = 0;
			if (!warned)
				warn_line(im, im->line, "text after a closing quote; read as part of the field");
			warned = true;
		} else {
			unsigned char opts = (unsigned char)csv_get_opts(&im->p);
			csv_set_opts(&im->p, opts & (unsigned char)~CSV_STRICT);
			off += csv_parse(&im->p, s + off, 1, on_field, on_record, im);
			csv_set_opts(&im->p, opts);
		}
	}
	return im->rc;
}

/* Guess the delimiter from the first record: the most frequent of , ; TAB
 * outside quotes; a comma on a tie. */
static char sniff(const char *s, size_t n)
{
	int count[3] = { 0, 0, 0 };
	bool quoted = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ',')
			count[0]++;
		else if (c == ';')
			count[1]++;
		else if (c == '\t')
			count[2]++;
	}
	if (count[1] > count[0] && count[1] >= count[2])
		return ';';
	if (count[2] > count[0] && count[2] > count[1])
		return '\t';
	return ',';
}

/* Read more into buf after what is unread. Returns false at the end. */
static bool fill(struct imp *im)
{
	if (im->eof)
		return false;
	if (im->pos > 0) {
		memmove(im->buf, im->buf + im->pos, im->len - im->pos);
		im->len -= im->pos;
		im->pos = 0;
	}
	if (im->cap - im->len < BLOCK / 2 && !reserve(&im->buf, &im->cap, im->cap * 2)) {
		oom(im);
		return false;
	}
	size_t before = im->len;
	if (im->utf16 == (iconv_t)-1) {
		size_t n = fread(im->buf + im->len, 1, im->cap - im->len, im->f);
		im->len += n;
		if (n == 0)
			im->eof = true;
	} else {
		size_t n = fread(im->raw + im->rawlen, 1, BLOCK - im->rawlen, im->f);
		im->rawlen += n;
		bool end = n == 0;
		char *in = im->raw, *out = im->buf + im->len;
		size_t inleft = im->rawlen, outleft = im->cap - im->len - 8;
		while (inleft > 0) {
			if (iconv(im->utf16, &in, &inleft, &out, &outleft) != (size_t)-1)
				break;
			if (errno == E2BIG || (errno == EINVAL && !end))
				break; /* room runs out, or a character continues in the next block */
			if (outleft < 3)
				break;
			memcpy(out, "\xEF\xBF\xBD", 3); /* an unpaired surrogate or an odd byte */
			out += 3, outleft -= 3;
			size_t skip = inleft < 2 ? inleft : 2;
			in += skip, inleft -= skip;
		}
		memmove(im->raw, in, inleft);
		im->rawlen = inleft;
		im->len = (size_t)(out - im->buf);
		if (end && im->rawlen == 0)
			im->eof = true;
		if (end && im->len == before)
			im->eof = true;
	}
	if (ferror(im->f)) {
		fail(im, "%s: error: cannot read: %s", im->path, strerror(errno));
		return false;
	}
	return im->len > before || !im->eof;
}

static bool blank_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* Start the parser at the first record: find the delimiter in it. */
static int start_csv(struct imp *im)
{
	/* The whole first record should be in the buffer: read on until a line
	 * break outside quotes. */
	for (;;) {
		bool quoted = false, done = false;
		for (size_t i = im->pos; i < im->len; i++) {
			if (im->buf[i] == '"')
				quoted = !quoted;
			else if (!quoted && (im->buf[i] == '\n' || im->buf[i] == '\r')) {
				done = true;
				break;
			}
		}
		if (done || im->eof || im->len - im->pos > HEADER_MAX)
			break;
		if (!fill(im)) {
			if (im->rc != LY_OK)
				return im->rc;
			break;
		}
	}
	if (csv_init(&im->p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		return oom(im);
	csv_set_delim(&im->p, (unsigned char)sniff(im->buf + im->pos, im->len - im->pos));
	im->csv_on = true;
	return LY_OK;
}

static int do_line(struct imp *im, const char *s, size_t n)
{
	im->line++;
	if (memchr(s, '\0', n))
		return fail_line(im, im->line, "binary data, not a CSV schedule");
	if (!utf8_valid(s, n)) {
		if (!im->warned_cp1252) {
			im->warned_cp1252 = true;
			warn_line(im, im->line, "not UTF-8; read as Windows-1252");
		}
		if (decode_cp1252(im, s, n, &s, &n))
			return LY_ERR;
	}
	if (!im->any_text) {
		/* Before the header: blank lines are skipped, and a first line with
		 * control characters in it is not text. */
		if (blank_text(s, n))
			return LY_OK;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
				return fail_line(im, im->line, "binary data, not a CSV schedule");
		}
		im->any_text = true;
	}
	if (im->p.pstate == CSV_ROW_NOT_BEGUN)
		im->pending = im->line;
	bool was_open = im->p.pstate == CSV_FIELD_BEGUN && im->p.quoted;
	unsigned long ends = im->ends;
	if (feed(im, s, n))
		return LY_ERR;
	if (im->p.pstate == CSV_FIELD_BEGUN && im->p.quoted && (!was_open || im->ends != ends))
		im->quote_line = im->line; /* the open quote started on this line */
	return LY_OK;
}

/* Where the next line ends (just past its terminator): LF, CRLF or a lone
 * CR. Returns 0 when the buffer holds no whole line yet. */
static size_t line_end(struct imp *im)
{
	const char *s = im->buf + im->pos;
	size_t avail = im->len - im->pos;
	const char *nl = memchr(s, '\n', avail);
	size_t upto = nl ? (size_t)(nl - s) : avail;
	const char *cr = memchr(s, '\r', upto);
	if (cr) {
		size_t at = (size_t)(cr - s);
		if (at + 1 < avail)
			return s[at + 1] == '\n' ? at + 2 : at + 1;
		return im->eof ? avail : 0; /* a CR last in the buffer: is an LF next? */
	}
	if (nl)
		return upto + 1;
	return im->eof ? avail : 0;
}

static int read_all(struct imp *im)
{
	/* The first bytes tell the encoding: a UTF-8 BOM is skipped, UTF-16
	 * (with a BOM, or ASCII with zero bytes between) is converted. */
	unsigned char head[4] = { 0 };
	size_t nh = fread(head, 1, sizeof head, im->f);
	if (ferror(im->f))
		return fail(im, "%s: error: cannot read: %s", im->path, strerror(errno));
	size_t skip = 0;
	const char *from = NULL;
	if (nh >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
		skip = 3;
	else if (nh >= 2 && head[0] == 0xFF && head[1] == 0xFE)
		from = "UTF-16LE", skip = 2;
	else if (nh >= 2 && head[0] == 0xFE && head[1] == 0xFF)
		from = "UTF-16BE", skip = 2;
	else if (nh == 4 && head[0] && !head[1] && head[2] && !head[3] && head[0] < 0x80 && head[2] < 0x80)
		from = "UTF-16LE";
	else if (nh == 4 && !head[0] && head[1] && !head[2] && head[3] && head[1] < 0x80 && head[3] < 0x80)
		from = "UTF-16BE";
	if (!reserve(&im->buf, &im->cap, BLOCK))
		return oom(im);
	if (from) {
		im->utf16 = iconv_open("UTF-8", from);
		im->raw = malloc(BLOCK);
		if (im->utf16 == (iconv_t)-1 || !im->raw)
			return fail(im, "%s: error: cannot convert from %s", im->path, from);
		memcpy(im->raw, head + skip, nh - skip);
		im->rawlen = nh - skip;
	} else {
		memcpy(im->buf, head + skip, nh - skip);
		im->len = nh - skip;
	}
	if (nh < sizeof head)
		im->eof = im->utf16 == (iconv_t)-1;
	for (;;) {
		size_t end = line_end(im);
		if (end == 0) {
			if (!fill(im)) {
				if (im->rc != LY_OK)
					return im->rc;
				if ((end = line_end(im)) == 0)
					break;
			} else {
				continue;
			}
		}
		if (!im->csv_on && !blank_text(im->buf + im->pos, end)) {
			if (start_csv(im))
				return LY_ERR;
			continue; /* start_csv may have moved the buffer */
		}
		const char *s = im->buf + im->pos;
		im->pos += end;
		if (do_line(im, s, end))
			return LY_ERR;
	}
	if (im->csv_on && im->p.pstate == CSV_FIELD_BEGUN && im->p.quoted)
		return fail_line(im, im->quote_line, "unterminated quoted field: the quote opened here never closes");
	if (im->csv_on && im->rc == LY_OK)
		csv_fini(&im->p, on_field, on_record, im);
	return im->rc;
}

/* ---- the end of the file: keys, dates, merge -------------------------------- */

/* Final keys for talks without an id whose slug repeats. */
static int settle_keys(struct imp *im)
{
	sqlite3_stmt *s = stmt(im,
		"SELECT f.talk_id, f.slug, f.sph, t.key,"
		" count(*) OVER (PARTITION BY f.slug),"
		" count(*) OVER (PARTITION BY f.slug, f.sph),"
		" row_number() OVER (PARTITION BY f.slug, f.sph ORDER BY f.seq),"
		" EXISTS (SELECT 1 FROM talk i WHERE i.conf_id = ?1 AND i.key = f.slug"
		"         AND i.id NOT IN (SELECT talk_id FROM temp.fix))"
		" FROM temp.fix f JOIN talk t ON t.id = f.talk_id ORDER BY f.seq");
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
		char key[SLUG_MAX + 32];
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
		char alt[SLUG_MAX + 48];
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

static void when_label(const char *stamp, const char *room, char *out, size_t outlen)
{
	const char *sep = room && *room ? ", " : "";
	if (!room)
		room = "";
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
static int notes(struct imp *im)
{
	sqlite3_stmt *s = stmt(im,
		"SELECT mk.status, o.title, o.start, o.room, n.start, n.room FROM temp.m m"
		" JOIN talk o ON o.id = m.oid JOIN talk n ON n.id = m.sid JOIN mark mk ON mk.talk_id = o.id"
		" WHERE m.kind = 'moved' AND mk.status IN ('planned', 'attended') ORDER BY n.seq");
	if (!s)
		return LY_ERR;
	struct sbuf t = { 0 };
	while (sqlite3_step(s) == SQLITE_ROW) {
		char from[160], to[160];
		when_label((const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3), from, sizeof from);
		when_label((const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 5), to, sizeof to);
		emit(im, "note: %s talk '%s' moved from %s to %s", (const char *)sqlite3_column_text(s, 0),
		     for_msg(&t, (const char *)sqlite3_column_text(s, 1), 120), from, to);
	}
	sqlite3_reset(s);
	s = stmt(im,
		"SELECT mk.status, o.title FROM talk o JOIN mark mk ON mk.talk_id = o.id"
		" WHERE o.conf_id = ?1 AND o.removed = 0 AND mk.status IN ('planned', 'attended')"
		" AND o.id NOT IN (SELECT oid FROM temp.m WHERE oid IS NOT NULL) ORDER BY o.start, o.title");
	if (!s) {
		free(t.s);
		return LY_ERR;
	}
	sqlite3_bind_int64(s, 1, im->old_conf);
	while (sqlite3_step(s) == SQLITE_ROW)
		emit(im, "note: %s talk '%s' is no longer in the schedule; your notes on it are kept",
		     (const char *)sqlite3_column_text(s, 0), for_msg(&t, (const char *)sqlite3_column_text(s, 1), 120));
	sqlite3_reset(s);
	free(t.s);
	return LY_OK;
}

static int count_kind(struct imp *im, const char *kind, int *out)
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

/* Fold the scratch conference into the existing one: talks matched by key
 * are updated in place (their ids, and so the user's marks, stay), new ones
 * move over, missing ones are marked removed. */
static int merge_into_old(struct imp *im, bool *changed)
{
	struct import_report *rep = im->rep;
	char sql[1400];
	snprintf(sql, sizeof sql,
		"DROP TABLE IF EXISTS temp.m;"
		"CREATE TEMP TABLE m(sid INTEGER PRIMARY KEY, oid INTEGER, kind TEXT NOT NULL);"
		"INSERT INTO temp.m SELECT n.id, o.id, CASE"
		" WHEN o.id IS NULL OR o.removed THEN 'added'"
		" WHEN o.start IS NOT n.start OR o.end IS NOT n.end OR o.room IS NOT n.room THEN 'moved'"
		" WHEN o.title IS NOT n.title OR o.track IS NOT n.track OR o.type IS NOT n.type"
		"  OR o.speakers IS NOT n.speakers OR o.abstract IS NOT n.abstract OR o.url IS NOT n.url"
		"  THEN 'updated' ELSE '' END"
		" FROM talk n LEFT JOIN talk o ON o.conf_id = %lld AND o.key = n.key WHERE n.conf_id = %lld;",
		(long long)im->old_conf, (long long)im->conf);
	if (exec(im, sql) || count_kind(im, "added", &rep->added) || count_kind(im, "moved", &rep->moved) ||
	    count_kind(im, "updated", &rep->updated) || count_kind(im, "", &rep->unchanged) || notes(im))
		return LY_ERR;
	snprintf(sql, sizeof sql,
		"UPDATE talk SET change = '', prev_start = NULL, prev_room = NULL WHERE conf_id = %lld"
		" AND (change <> '' OR prev_start IS NOT NULL OR prev_room IS NOT NULL);"
		"UPDATE talk SET removed = 1 WHERE conf_id = %lld AND removed = 0"
		" AND id NOT IN (SELECT oid FROM temp.m WHERE oid IS NOT NULL);",
		(long long)im->old_conf, (long long)im->old_conf);
	if (exec(im, sql))
		return LY_ERR;
	rep->removed = sqlite3_changes(im->db);
	snprintf(sql, sizeof sql,
		"UPDATE talk AS o SET title = n.title, start = n.start, end = n.end, day = n.day,"
		" room = n.room, track = n.track, type = n.type, speakers = n.speakers,"
		" abstract = n.abstract, url = n.url, removed = 0, change = m.kind,"
		" prev_start = CASE WHEN m.kind = 'moved' THEN o.start END,"
		" prev_room = CASE WHEN m.kind = 'moved' THEN o.room END, line = n.line, seq = n.seq"
		" FROM temp.m m JOIN talk n ON n.id = m.sid"
		" WHERE o.id = m.oid AND (m.kind <> '' OR o.line <> n.line OR o.seq <> n.seq);"
		"DELETE FROM talk WHERE id IN (SELECT sid FROM temp.m WHERE oid IS NOT NULL);"
		"UPDATE talk SET conf_id = %lld, change = 'added' WHERE conf_id = %lld;"
		"DELETE FROM conference WHERE id = %lld;"
		"DROP TABLE temp.m;",
		(long long)im->old_conf, (long long)im->conf, (long long)im->conf);
	if (exec(im, sql))
		return LY_ERR;
	sqlite3_stmt *s = stmt(im, "UPDATE conference SET source = ?2, tz = COALESCE(?3, tz),"
	                           " imported_at = datetime('now'),"
	                           " import_seq = (SELECT COALESCE(max(import_seq), 0) + 1 FROM conference)"
	                           " WHERE id = ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, im->old_conf);
	sqlite3_bind_text(s, 2, im->path, -1, SQLITE_STATIC);
	if (im->opts->tz && *im->opts->tz)
		sqlite3_bind_text(s, 3, im->opts->tz, -1, SQLITE_STATIC);
	if (run(im, s))
		return LY_ERR;
	im->conf = im->old_conf;
	*changed = rep->added || rep->moved || rep->updated || rep->removed;
	return LY_OK;
}

static int finish(struct imp *im)
{
	struct import_report *rep = im->rep;
	int64_t v;
	if (!im->in_tx || query_int(im, "SELECT count(*) FROM talk WHERE conf_id = ?1", im->conf, 0, &v) || v == 0) {
		if (im->rc != LY_OK)
			return im->rc;
		if (im->rows == 0)
			return fail_line(im, im->header_line + 1, "no talks: the file has a header but no rows");
		return fail_line(im, im->first_row_line, "no talks: no row has a title");
	}
	rep->talks = (int)v;
	rep->rows = (int)im->rows;
	/* Ambiguous dates: the whole file has spoken. */
	enum date_order order = im->opts->order != DATE_ORDER_AUTO ? im->opts->order : dp_order_pick(&im->order_ev);
	sqlite3_stmt *s = stmt(im, "UPDATE talk SET start = a.start, end = a.end, day = a.day"
	                           " FROM temp.alt a WHERE a.talk_id = talk.id AND a.ord <> ?1");
	if (!s)
		return LY_ERR;
	sqlite3_bind_int(s, 1, (int)order);
	if (run(im, s) || settle_keys(im))
		return LY_ERR;
	if (query_int(im, "SELECT count(*) FROM talk WHERE conf_id = ?1 AND start IS NULL", im->conf, 0, &v))
		return LY_ERR;
	rep->unscheduled = (int)v;
	bool changed = true;
	if (im->old_conf) {
		if (merge_into_old(im, &changed))
			return LY_ERR;
	} else {
		rep->added = rep->talks;
	}
	rep->conf_id = im->opts->dry_run && !im->old_conf ? 0 : im->conf;
	if (exec(im, "DELETE FROM temp.fix; DELETE FROM temp.alt;"))
		return LY_ERR;
	/* Search is rebuilt from the talks (external content); skipped when
	 * nothing it indexes changed, or nothing will be kept. */
	if (!changed || im->opts->dry_run)
		return LY_OK;
	/* A bigger buffer for pending terms means fewer segments to merge; the
	 * setting is put back to FTS5's default, so it lasts only this rebuild. */
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO talk_fts(talk_fts, rank) VALUES('hashsize', %d)", FTS_HASH);
	if (exec(im, sql) || exec(im, "INSERT INTO talk_fts(talk_fts) VALUES('rebuild')") ||
	    exec(im, "INSERT INTO talk_fts(talk_fts, rank) VALUES('hashsize', 1048576)"))
		return LY_ERR;
	return LY_OK;
}

/* ---- entry point ------------------------------------------------------------- */

int import_file(struct store *st, const char *path, const struct import_opts *opts,
                struct import_report *rep, import_msg_fn on_msg, void *ctx, struct ly_error *err)
{
	static const struct import_opts defaults = { 0 };
	if (!opts)
		opts = &defaults;
	memset(rep, 0, sizeof *rep);
	/* lanyard's own CSV export: talks, the user's data and notes (restore.h). */
	if (restore_is_export(path))
		return restore_file(st, path, opts, rep, on_msg, ctx, err);
	struct imp im = {
		.path = path, .opts = opts, .st = st, .db = store_db(st), .on_msg = on_msg, .ctx = ctx,
		.err = err, .rep = rep, .utf16 = (iconv_t)-1, .cp1252 = (iconv_t)-1,
		.first_day = DP_NO_FIRST_DAY, .line = 0,
	};
	dp_order_init(&im.order_ev);
	conf_name_of(path, opts, rep->conf_name, sizeof rep->conf_name);
	if (opts->first_day && *opts->first_day && !dp_ymd(opts->first_day, &im.first_day))
		return ly_fail(err, "--first-day takes a date as YYYY-MM-DD, not '%s'", opts->first_day);
	im.f = fopen(path, "rb");
	if (!im.f)
		return ly_fail(err, "%s: error: cannot open: %s", path, strerror(errno));
	int rc = read_all(&im);
	if (im.w && rc == LY_OK)
		rc = flush_batch(&im, true);
	if (writer_stop(&im))
		rc = LY_ERR;
	if (rc == LY_OK && !im.any_text)
		rc = fail_line(&im, 1, "empty file");
	if (rc == LY_OK && !im.header_done)
		rc = fail_line(&im, im.line ? im.line : 1, "no header line");
	if (rc == LY_OK)
		rc = finish(&im);
	if (im.in_tx) {
		if (rc == LY_OK && !opts->dry_run)
			rc = store_commit(st, err);
		if (rc != LY_OK || opts->dry_run)
			store_rollback(st);
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", im.old_cache);
		sqlite3_exec(im.db, sql, NULL, NULL, NULL);
	}
	if (im.csv_on)
		csv_free(&im.p);
	fclose(im.f);
	if (im.utf16 != (iconv_t)-1)
		iconv_close(im.utf16);
	if (im.cp1252 != (iconv_t)-1)
		iconv_close(im.cp1252);
	for (int f = 0; f < NFIELDS; f++)
		free(im.cells[f].s);
	free(im.buf);
	free(im.raw);
	free(im.conv);
	free(im.names.s);
	free(im.colmap);
	free(im.spk.s);
	free(im.msgtitle.s);
	free(im.msgtmp.s);
	free(im.keys.e);
	writer_free(im.w);
	return rc;
}
