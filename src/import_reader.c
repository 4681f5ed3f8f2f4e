/* The CSV reader (contract in import_reader.h).
 *
 * The file is read in blocks and cut into physical lines (LF, CRLF or a
 * lone CR); each line is handed to libcsv on its own, which is how records
 * get line numbers (libcsv counts none): a record starts on the line where
 * the parser last stood between records. */
#include "lanyard/import_reader.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/strbuf.h"
#include "lanyard/text.h"

/* libcsv's parser states (libcsv.c; struct csv_parser is public). */
#define CSV_ROW_NOT_BEGUN 0
#define CSV_FIELD_BEGUN 2
#define CSV_FIELD_MIGHT_HAVE_ENDED 3

#define BLOCK (1u << 20)          /* read size */
#define HEADER_MAX (1u << 20)     /* a first record longer than this is no header */

struct rd {
	FILE *f;
	struct imp_log *lg;
	reader_fn fn;
	void *ctx;
	struct reader_stats *stats;

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

	struct csv_parser p;
	bool csv_on;
	long line;              /* physical line being fed */
	long pending;           /* where the next record starts */
	long rec_line;          /* where the current record started */
	long quote_line;        /* where the open quoted field started */
	unsigned long ends;     /* fields and records ended so far */

	/* the record being built */
	char *text;             /* fields one after another, each NUL-terminated */
	size_t tlen, tcap;
	size_t *off, *flen;
	const char **fp;
	size_t nf, fcap, overflow;
};

static int fail_line(struct rd *r, long line, const char *what)
{
	return implog_fail_line(r->lg, line, "%s", what);
}

/* Length of the valid UTF-8 sequence at s, 0 if invalid. */
static size_t utf8_seq(const char *s, size_t n)
{
	if ((unsigned char)s[0] < 0x80)
		return 1;
	uint32_t cp;
	size_t k = text_decode(s, n, &cp);
	if (cp == 0xFFFD && !(k == 3 && memcmp(s, "\xEF\xBF\xBD", 3) == 0))
		return 0;
	return k;
}

/* A line that is not UTF-8: keep its valid UTF-8 sequences and read every
 * other byte as Windows-1252 (iconv; bytes it leaves undefined become
 * U+FFFD). Sets *out to r->conv. */
static int decode_cp1252(struct rd *r, const char *s, size_t n, const char **out, size_t *outlen)
{
	if (!strbuf_reserve(&r->conv, &r->convcap, n * 3 + 1))
		return implog_oom(r->lg);
	if (r->cp1252 == (iconv_t)-1) {
		r->cp1252 = iconv_open("UTF-8", "WINDOWS-1252");
		if (r->cp1252 == (iconv_t)-1)
			return implog_fail(r->lg, "%s: error: cannot convert from Windows-1252: %s", r->lg->path,
			                   strerror(errno));
	}
	char *o = r->conv;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq(s + i, n - i);
		if (k) {
			memcpy(o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		char *in = (char *)s + i, *dst = o;
		size_t inleft = 1, oleft = 4;
		if (iconv(r->cp1252, &in, &inleft, &dst, &oleft) == (size_t)-1) {
			iconv(r->cp1252, NULL, NULL, NULL, NULL);
			memcpy(o, "\xEF\xBF\xBD", 3);
			dst = o + 3;
		}
		o = dst;
		i++;
	}
	*out = r->conv;
	*outlen = (size_t)(o - r->conv);
	return LY_OK;
}

/* ---- libcsv callbacks ------------------------------------------------------ */

static void on_field(void *data, size_t len, void *ctx)
{
	struct rd *r = ctx;
	r->ends++;
	if (r->lg->rc != LY_OK)
		return;
	if (r->nf == 0 && r->overflow == 0)
		r->rec_line = r->pending;
	if (r->nf >= READER_MAX_FIELDS) {
		const char *s = data;
		for (size_t i = 0; i < len; i++)
			if (!isspace((unsigned char)s[i])) {
				r->overflow++;
				break;
			}
		return;
	}
	if (r->tlen + len + 1 > READER_REC_MAX) {
		implog_fail_line(r->lg, r->rec_line, "a record longer than %u MB: not a schedule",
		                 READER_REC_MAX >> 20);
		return;
	}
	if (r->nf == r->fcap) {
		size_t ncap = r->fcap ? r->fcap * 2 : 32;
		size_t *o = realloc(r->off, ncap * sizeof *o);
		if (o)
			r->off = o;
		size_t *l = realloc(r->flen, ncap * sizeof *l);
		if (l)
			r->flen = l;
		const char **p = realloc(r->fp, ncap * sizeof *p);
		if (p)
			r->fp = p;
		if (!o || !l || !p) {
			implog_oom(r->lg);
			return;
		}
		r->fcap = ncap;
	}
	if (!strbuf_reserve(&r->text, &r->tcap, r->tlen + len + 1)) {
		implog_oom(r->lg);
		return;
	}
	if (len)
		memcpy(r->text + r->tlen, data, len);
	r->text[r->tlen + len] = '\0';
	r->off[r->nf] = r->tlen;
	r->flen[r->nf] = len;
	r->nf++;
	r->tlen += len + 1;
}

static void on_record(int term, void *ctx)
{
	(void)term;
	struct rd *r = ctx;
	r->ends++;
	if (r->lg->rc == LY_OK) {
		for (size_t i = 0; i < r->nf; i++)
			r->fp[i] = r->text + r->off[i];
		struct reader_rec rec = {
			.n = r->nf, .f = r->fp, .len = r->flen, .overflow = r->overflow, .line = r->rec_line,
		};
		r->stats->records++;
		int rc = r->fn(r->ctx, &rec);
		if (rc != LY_OK && r->lg->rc == LY_OK)
			r->lg->rc = rc;
	}
	r->nf = 0;
	r->tlen = 0;
	r->overflow = 0;
}

/* ---- reading ------------------------------------------------------------------ */

/* Hand one line to libcsv. Strict mode stops at a stray quote; recover as
 * a forgiving reader does: a quote inside an unquoted field is a quote
 * ('5" screen'), text after a closing quote continues the field
 * ('"Big" ideas' reads 'Big ideas'), with a warning. */
static int feed(struct rd *r, const char *s, size_t n)
{
	size_t off = 0;
	bool warned = false;
	while (off < n && r->lg->rc == LY_OK) {
		off += csv_parse(&r->p, s + off, n - off, on_field, on_record, r);
		if (off >= n || r->lg->rc != LY_OK)
			break;
		if (csv_error(&r->p) != CSV_EPARSE)
			return implog_fail(r->lg, "%s: error: %s", r->lg->path, csv_strerror(csv_error(&r->p)));
		r->p.status = 0;
		if (r->p.pstate == CSV_FIELD_MIGHT_HAVE_ENDED && r->p.quoted) {
			/* Drop the closing quote (spaces after it stay) and go on unquoted. */
			size_t q = r->p.entry_pos - r->p.spaces - 1;
			memmove(r->p.entry_buf + q, r->p.entry_buf + q + 1, r->p.spaces);
			r->p.entry_pos--;
			r->p.pstate = CSV_FIELD_BEGUN;
			r->p.quoted = 0;
			if (!warned)
				implog_warn(r->lg, r->line, "text after a closing quote; read as part of the field");
			warned = true;
		} else {
			unsigned char opts = (unsigned char)csv_get_opts(&r->p);
			csv_set_opts(&r->p, opts & (unsigned char)~CSV_STRICT);
			off += csv_parse(&r->p, s + off, 1, on_field, on_record, r);
			csv_set_opts(&r->p, opts);
		}
	}
	return r->lg->rc;
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

/* A NUL byte in newly read text: binary data, named at its line. */
static bool binary_at(struct rd *r, size_t from)
{
	const char *z = memchr(r->buf + from, '\0', r->len - from);
	if (!z)
		return false;
	long line = r->line + 1;
	for (const char *s = r->buf + r->pos; s < z; s++)
		if (*s == '\n' || (*s == '\r' && s[1] != '\n'))
			line++;
	fail_line(r, line, "binary data, not a CSV schedule");
	return true;
}

/* Read more into buf after what is unread. Returns false at the end. */
static bool fill(struct rd *r)
{
	if (r->eof)
		return false;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->len > READER_REC_MAX + (size_t)BLOCK) {
		fail_line(r, r->line + 1, "a line longer than 16 MB: not a schedule");
		return false;
	}
	if (r->cap - r->len < BLOCK / 2 && !strbuf_reserve(&r->buf, &r->cap, r->cap * 2)) {
		implog_oom(r->lg);
		return false;
	}
	size_t before = r->len;
	if (r->utf16 == (iconv_t)-1) {
		size_t want = r->cap - r->len;
		if (want > BLOCK)
			want = BLOCK;
		size_t n = fread(r->buf + r->len, 1, want, r->f);
		r->len += n;
		if (n == 0)
			r->eof = true;
		if (n && binary_at(r, before))
			return false;
	} else {
		size_t n = fread(r->raw + r->rawlen, 1, BLOCK - r->rawlen, r->f);
		r->rawlen += n;
		bool end = n == 0;
		char *in = r->raw, *out = r->buf + r->len;
		size_t inleft = r->rawlen, outleft = r->cap - r->len - 8;
		while (inleft > 0) {
			if (iconv(r->utf16, &in, &inleft, &out, &outleft) != (size_t)-1)
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
		memmove(r->raw, in, inleft);
		r->rawlen = inleft;
		r->len = (size_t)(out - r->buf);
		if (end && r->rawlen == 0)
			r->eof = true;
		if (end && r->len == before)
			r->eof = true;
	}
	if (ferror(r->f)) {
		implog_fail(r->lg, "%s: error: cannot read: %s", r->lg->path, strerror(errno));
		return false;
	}
	return r->len > before || !r->eof;
}

static bool blank_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* Start the parser at the first record: find the delimiter in it. */
static int start_csv(struct rd *r)
{
	/* The whole first record should be in the buffer: read on until a line
	 * break outside quotes. */
	for (;;) {
		bool quoted = false, done = false;
		for (size_t i = r->pos; i < r->len; i++) {
			if (r->buf[i] == '"')
				quoted = !quoted;
			else if (!quoted && (r->buf[i] == '\n' || r->buf[i] == '\r')) {
				done = true;
				break;
			}
		}
		if (done || r->eof || r->len - r->pos > HEADER_MAX)
			break;
		if (!fill(r)) {
			if (r->lg->rc != LY_OK)
				return r->lg->rc;
			break;
		}
	}
	if (csv_init(&r->p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		return implog_oom(r->lg);
	/* libcsv grows a field by this much at a time: its default of 128
	 * bytes makes a 10 MB field cost a realloc per 128 bytes. */
	csv_set_blk_size(&r->p, 1u << 16);
	r->stats->delim = sniff(r->buf + r->pos, r->len - r->pos);
	csv_set_delim(&r->p, (unsigned char)r->stats->delim);
	r->csv_on = true;
	return LY_OK;
}

static int do_line(struct rd *r, const char *s, size_t n)
{
	r->line++;
	if (memchr(s, '\0', n))
		return fail_line(r, r->line, "binary data, not a CSV schedule");
	if (!text_valid_utf8(s, n)) {
		if (!r->warned_cp1252) {
			r->warned_cp1252 = true;
			implog_warn(r->lg, r->line, "not UTF-8; read as Windows-1252");
		}
		if (decode_cp1252(r, s, n, &s, &n))
			return LY_ERR;
	}
	if (!r->stats->any_text) {
		/* Before the header: blank lines are skipped, and a first line with
		 * control characters in it is not text. */
		if (blank_text(s, n))
			return LY_OK;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
				return fail_line(r, r->line, "binary data, not a CSV schedule");
		}
		r->stats->any_text = true;
	}
	if (r->p.pstate == CSV_ROW_NOT_BEGUN)
		r->pending = r->line;
	bool was_open = r->p.pstate == CSV_FIELD_BEGUN && r->p.quoted;
	unsigned long ends = r->ends;
	if (feed(r, s, n))
		return LY_ERR;
	if (r->p.pstate == CSV_FIELD_BEGUN && r->p.quoted && (!was_open || r->ends != ends))
		r->quote_line = r->line; /* the open quote started on this line */
	if (r->p.entry_pos + r->tlen > READER_REC_MAX)
		return implog_fail_line(r->lg, r->p.quoted ? r->quote_line : r->line,
		                        "a record longer than %u MB: not a schedule", READER_REC_MAX >> 20);
	return LY_OK;
}

/* Where the next line ends (just past its terminator): LF, CRLF or a lone
 * CR. Returns 0 when the buffer holds no whole line yet. */
static size_t line_end(struct rd *r)
{
	const char *s = r->buf + r->pos;
	size_t avail = r->len - r->pos;
	const char *nl = memchr(s, '\n', avail);
	size_t upto = nl ? (size_t)(nl - s) : avail;
	const char *cr = memchr(s, '\r', upto);
	if (cr) {
		size_t at = (size_t)(cr - s);
		if (at + 1 < avail)
			return s[at + 1] == '\n' ? at + 2 : at + 1;
		return r->eof ? avail : 0; /* a CR last in the buffer: is an LF next? */
	}
	if (nl)
		return upto + 1;
	return r->eof ? avail : 0;
}

static int read_all(struct rd *r)
{
	/* The first bytes tell the encoding: a UTF-8 BOM is skipped, UTF-16
	 * (with a BOM, or ASCII with zero bytes between) is converted. */
	unsigned char head[4] = { 0 };
	size_t nh = fread(head, 1, sizeof head, r->f);
	if (ferror(r->f))
		return implog_fail(r->lg, "%s: error: cannot read: %s", r->lg->path, strerror(errno));
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
	if (!strbuf_reserve(&r->buf, &r->cap, BLOCK))
		return implog_oom(r->lg);
	if (from) {
		r->utf16 = iconv_open("UTF-8", from);
		r->raw = malloc(BLOCK);
		if (r->utf16 == (iconv_t)-1 || !r->raw)
			return implog_fail(r->lg, "%s: error: cannot convert from %s", r->lg->path, from);
		memcpy(r->raw, head + skip, nh - skip);
		r->rawlen = nh - skip;
	} else {
		memcpy(r->buf, head + skip, nh - skip);
		r->len = nh - skip;
		if (binary_at(r, 0))
			return LY_ERR;
	}
	if (nh < sizeof head)
		r->eof = r->utf16 == (iconv_t)-1;
	for (;;) {
		size_t end = line_end(r);
		if (end == 0) {
			if (!fill(r)) {
				if (r->lg->rc != LY_OK)
					return r->lg->rc;
				if ((end = line_end(r)) == 0)
					break;
			} else {
				continue;
			}
		}
		if (!r->csv_on && !blank_text(r->buf + r->pos, end)) {
			if (start_csv(r))
				return LY_ERR;
			continue; /* start_csv may have moved the buffer */
		}
		const char *s = r->buf + r->pos;
		r->pos += end;
		if (do_line(r, s, end))
			return LY_ERR;
	}
	if (r->csv_on && r->p.pstate == CSV_FIELD_BEGUN && r->p.quoted)
		return fail_line(r, r->quote_line, "unterminated quoted field: the quote opened here never closes");
	if (r->csv_on && r->lg->rc == LY_OK)
		csv_fini(&r->p, on_field, on_record, r);
	return r->lg->rc;
}

int reader_run(FILE *f, struct imp_log *lg, reader_fn fn, void *ctx, struct reader_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	struct rd r = {
		.f = f, .lg = lg, .fn = fn, .ctx = ctx, .stats = stats,
		.utf16 = (iconv_t)-1, .cp1252 = (iconv_t)-1,
	};
	int rc = read_all(&r);
	stats->lines = r.line;
	if (r.csv_on)
		csv_free(&r.p);
	if (r.utf16 != (iconv_t)-1)
		iconv_close(r.utf16);
	if (r.cp1252 != (iconv_t)-1)
		iconv_close(r.cp1252);
	free(r.buf);
	free(r.raw);
	free(r.conv);
	free(r.text);
	free(r.off);
	free(r.flen);
	free(r.fp);
	return rc;
}
