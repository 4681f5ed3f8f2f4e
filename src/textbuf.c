/* The editor's text buffer: UTF-8, a cursor on cluster boundaries, and a
 * soft-wrapped layout by display columns (rules in textbuf.h). One
 * contiguous array: notes are short, and a memmove per key is cheaper than
 * the layout pass that follows it anyway. */
#include "lanyard/textbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/error.h"
#include "lanyard/text.h"

struct textbuf {
	char *s;            /* NUL-terminated, valid UTF-8, owned */
	size_t len, cap;
	size_t cur;
	unsigned long gen;
	int want_col;       /* preferred column of up/down; -1 = none */
	/* layout cache, valid for (lay_gen, lay_cols) */
	struct textbuf_row *rows;
	int nrows, rows_cap, lay_cols;
	unsigned long lay_gen;
	bool lay_valid;
};

/* ---- code points and clusters ---------------------------------------- */

static uint32_t cp_at(const struct textbuf *b, size_t i, size_t *len)
{
	uint32_t cp;
	*len = text_decode(b->s + i, b->len - i, &cp);
	return cp;
}

static size_t prev_cp(const struct textbuf *b, size_t i)
{
	if (i == 0)
		return 0;
	do
		i--;
	while (i > 0 && ((unsigned char)b->s[i] & 0xC0) == 0x80);
	return i;
}

static bool zero_width(uint32_t cp)
{
	return cp != '\n' && text_cpwidth(cp) == 0;
}

/* Does a cluster start at code point boundary i? Zero-width marks belong
 * to the character before them, except after a '\n' (a line-leading mark
 * starts its own cluster). */
static bool cluster_start(const struct textbuf *b, size_t i)
{
	if (i == 0 || i >= b->len)
		return true;
	size_t len;
	if (!zero_width(cp_at(b, i, &len)))
		return true;
	return cp_at(b, prev_cp(b, i), &len) == '\n';
}

static size_t next_cluster(const struct textbuf *b, size_t i)
{
	if (i >= b->len)
		return b->len;
	size_t len;
	uint32_t cp = cp_at(b, i, &len);
	i += len;
	if (cp == '\n')
		return i;
	while (i < b->len && zero_width(cp_at(b, i, &len)))
		i += len;
	return i;
}

static size_t prev_cluster(const struct textbuf *b, size_t i)
{
	if (i == 0)
		return 0;
	size_t j = prev_cp(b, i);
	while (!cluster_start(b, j))
		j = prev_cp(b, j);
	return j;
}

/* The boundary at or before off. */
static size_t snap_back(const struct textbuf *b, size_t off)
{
	if (off >= b->len)
		return b->len;
	while (off > 0 && ((unsigned char)b->s[off] & 0xC0) == 0x80)
		off--;
	while (!cluster_start(b, off))
		off = prev_cp(b, off);
	return off;
}

/* The boundary at or after off (off on a code point boundary): an edit can
 * join a mark to a new base, leaving the cursor inside a cluster. */
static size_t snap_forward(const struct textbuf *b, size_t off)
{
	size_t len;
	while (off < b->len && !cluster_start(b, off)) {
		cp_at(b, off, &len);
		off += len;
	}
	return off;
}

size_t textbuf_cluster_len(const struct textbuf *b, size_t off)
{
	return next_cluster(b, off) - off;
}

int textbuf_cluster_width(const struct textbuf *b, size_t off)
{
	if (off >= b->len)
		return 0;
	size_t len;
	uint32_t cp = cp_at(b, off, &len);
	if (cp == '\n')
		return 0;
	int w = text_cpwidth(cp);
	return w == 0 ? 1 : w;
}

/* Word characters: letters, digits, '_' and non-ASCII text; spaces, ASCII
 * and common Unicode punctuation separate words. */
static bool word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '_';
	if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7)
		return false;   /* NBSP, Latin-1 punctuation, x and / signs */
	if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F))
		return false;   /* general and CJK punctuation and spaces */
	if ((cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
	    (cp >= 0xFF5B && cp <= 0xFF65))
		return false;   /* fullwidth punctuation */
	return true;
}

static bool word_at(const struct textbuf *b, size_t i)
{
	size_t len;
	return word_cp(cp_at(b, i, &len));
}

/* ---- life cycle and edits ------------------------------------------- */

static void changed(struct textbuf *b)
{
	b->gen++;
	b->want_col = -1;
}

struct textbuf *textbuf_new(const char *text)
{
	struct textbuf *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->cap = 64;
	b->s = malloc(b->cap);
	if (!b->s) {
		free(b);
		return NULL;
	}
	b->s[0] = '\0';
	b->want_col = -1;
	if (textbuf_set(b, text) != LY_OK) {
		textbuf_free(b);
		return NULL;
	}
	b->gen = 0;
	return b;
}

void textbuf_free(struct textbuf *b)
{
	if (!b)
		return;
	free(b->s);
	free(b->rows);
	free(b);
}

static bool reserve(struct textbuf *b, size_t need)
{
	if (need <= b->cap)
		return true;
	size_t cap = b->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *s = realloc(b->s, cap);
	if (!s)
		return false;
	b->s = s;
	b->cap = cap;
	return true;
}

int textbuf_set(struct textbuf *b, const char *text)
{
	char *clean = text_sanitize(text ? text : "", true);
	if (!clean)
		return LY_ERR;
	size_t n = strlen(clean);
	if (!reserve(b, n + 1)) {
		free(clean);
		return LY_ERR;
	}
	memcpy(b->s, clean, n + 1);
	free(clean);
	b->len = n;
	b->cur = n;
	changed(b);
	return LY_OK;
}

const char *textbuf_text(const struct textbuf *b)
{
	return b->s;
}

size_t textbuf_len(const struct textbuf *b)
{
	return b->len;
}

unsigned long textbuf_gen(const struct textbuf *b)
{
	return b->gen;
}

size_t textbuf_cursor(const struct textbuf *b)
{
	return b->cur;
}

void textbuf_set_cursor(struct textbuf *b, size_t off)
{
	b->cur = snap_back(b, off);
	b->want_col = -1;
}

int textbuf_insert(struct textbuf *b, const char *in)
{
	char *clean = text_sanitize(in ? in : "", true);
	if (!clean)
		return LY_ERR;
	size_t n = strlen(clean);
	if (n == 0) {
		free(clean);
		return LY_OK;
	}
	if (b->len + n + 1 < b->len || !reserve(b, b->len + n + 1)) {
		free(clean);
		return LY_ERR;
	}
	memmove(b->s + b->cur + n, b->s + b->cur, b->len - b->cur + 1);
	memcpy(b->s + b->cur, clean, n);
	free(clean);
	b->len += n;
	b->cur = snap_forward(b, b->cur + n);
	changed(b);
	return LY_OK;
}

static bool erase(struct textbuf *b, size_t from, size_t to)
{
	if (to <= from)
		return false;
	memmove(b->s + from, b->s + to, b->len - to + 1);
	b->len -= to - from;
	b->cur = snap_forward(b, from);
	changed(b);
	return true;
}

bool textbuf_backspace(struct textbuf *b)
{
	return erase(b, prev_cluster(b, b->cur), b->cur);
}

bool textbuf_delete(struct textbuf *b)
{
	return erase(b, b->cur, next_cluster(b, b->cur));
}

static size_t word_left_of(const struct textbuf *b, size_t i)
{
	while (i > 0 && !word_at(b, prev_cluster(b, i)))
		i = prev_cluster(b, i);
	while (i > 0 && word_at(b, prev_cluster(b, i)))
		i = prev_cluster(b, i);
	return i;
}

static size_t word_right_of(const struct textbuf *b, size_t i)
{
	while (i < b->len && !word_at(b, i))
		i = next_cluster(b, i);
	while (i < b->len && word_at(b, i))
		i = next_cluster(b, i);
	return i;
}

bool textbuf_delete_word_left(struct textbuf *b)
{
	return erase(b, word_left_of(b, b->cur), b->cur);
}

bool textbuf_delete_word_right(struct textbuf *b)
{
	return erase(b, b->cur, word_right_of(b, b->cur));
}

static size_t line_start_of(const struct textbuf *b, size_t i)
{
	while (i > 0 && b->s[i - 1] != '\n')
		i--;
	return i;
}

static size_t line_end_of(const struct textbuf *b, size_t i)
{
	const char *nl = memchr(b->s + i, '\n', b->len - i);
	return nl ? (size_t)(nl - b->s) : b->len;
}

bool textbuf_kill_line_start(struct textbuf *b)
{
	return erase(b, line_start_of(b, b->cur), b->cur);
}

bool textbuf_kill_line_end(struct textbuf *b)
{
	size_t end = line_end_of(b, b->cur);
	if (end == b->cur && end < b->len)
		end++;  /* at the end of the line: join the next one */
	return erase(b, b->cur, end);
}

/* ---- motion ----------------------------------------------------------- */

void textbuf_left(struct textbuf *b)
{
	b->cur = prev_cluster(b, b->cur);
	b->want_col = -1;
}

void textbuf_right(struct textbuf *b)
{
	b->cur = next_cluster(b, b->cur);
	b->want_col = -1;
}

void textbuf_word_left(struct textbuf *b)
{
	b->cur = word_left_of(b, b->cur);
	b->want_col = -1;
}

void textbuf_word_right(struct textbuf *b)
{
	b->cur = word_right_of(b, b->cur);
	b->want_col = -1;
}

void textbuf_line_start(struct textbuf *b)
{
	b->cur = line_start_of(b, b->cur);
	b->want_col = -1;
}

void textbuf_line_end(struct textbuf *b)
{
	b->cur = line_end_of(b, b->cur);
	b->want_col = -1;
}

/* ---- layout ----------------------------------------------------------- */

static bool push_row(struct textbuf *b, struct textbuf_row row)
{
	if (b->nrows == b->rows_cap) {
		int cap = b->rows_cap ? b->rows_cap * 2 : 16;
		struct textbuf_row *r = realloc(b->rows, (size_t)cap * sizeof *r);
		if (!r)
			return false;
		b->rows = r;
		b->rows_cap = cap;
	}
	b->rows[b->nrows++] = row;
	return true;
}

/* Lay out one row of the paragraph [i, pe) (pe is a '\n' or the end). */
static struct textbuf_row lay_row(const struct textbuf *b, size_t i, size_t pe, int cols)
{
	int avail = cols > 1 ? cols - 1 : 1;   /* the last column is the cursor's */
	size_t start = i, brk = i;
	int w = 0, brk_w = 0, cw = 0;
	bool text = false;
	while (i < pe) {
		size_t next = next_cluster(b, i);
		bool space = b->s[i] == ' ' && next == i + 1; /* not a space carrying marks */
		cw = textbuf_cluster_width(b, i);
		/* Spaces after text hang at the end of the row (past the edge if
		 * need be): a break never puts them at the start of the next. */
		if (!(space && text) && w + cw > (space ? cols : avail))
			break;
		text = text || !space;
		w += cw;
		i = next;
		if (space) {
			brk = i;
			brk_w = w;
		}
	}
	if (i < pe) {
		if (brk > start) {
			i = brk;
			w = brk_w;
		} else if (i == start) { /* not even one cluster fits: take it anyway */
			i = next_cluster(b, i);
			w = cw;
		}
	}
	return (struct textbuf_row){ .start = start, .end = i, .width = w < cols ? w : cols, .hard = i == pe };
}

static bool layout(struct textbuf *b, int cols)
{
	if (cols < 1)
		cols = 1;
	if (b->lay_valid && b->lay_cols == cols && b->lay_gen == b->gen)
		return true;
	b->lay_valid = false;
	b->nrows = 0;
	size_t i = 0;
	for (;;) {
		const char *nl = memchr(b->s + i, '\n', b->len - i);
		size_t pe = nl ? (size_t)(nl - b->s) : b->len;
		do {
			struct textbuf_row row = lay_row(b, i, pe, cols);
			if (!push_row(b, row)) {
				b->nrows = 0;
				return false;
			}
			i = row.end;
		} while (i < pe);
		if (!nl)
			break;
		i = pe + 1;
	}
	b->lay_valid = true;
	b->lay_cols = cols;
	b->lay_gen = b->gen;
	return true;
}

int textbuf_rows(struct textbuf *b, int cols)
{
	return layout(b, cols) ? b->nrows : 0;
}

const struct textbuf_row *textbuf_row(struct textbuf *b, int cols, int r)
{
	if (!layout(b, cols) || r < 0 || r >= b->nrows)
		return NULL;
	return &b->rows[r];
}

/* Width of the clusters in [from, to). */
static int span_width(const struct textbuf *b, size_t from, size_t to)
{
	int w = 0;
	while (from < to) {
		w += textbuf_cluster_width(b, from);
		from = next_cluster(b, from);
	}
	return w;
}

void textbuf_offset_rc(struct textbuf *b, int cols, size_t off, int *row, int *col)
{
	*row = 0;
	*col = 0;
	if (!layout(b, cols))
		return;
	if (off > b->len)
		off = b->len;
	/* The last row starting at or before off. */
	int lo = 0, hi = b->nrows - 1;
	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;
		if (b->rows[mid].start <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	*row = lo;
	size_t end = b->rows[lo].end;
	*col = span_width(b, b->rows[lo].start, off < end ? off : end);
	/* Only in spaces hanging past the edge (or a row too narrow for one
	 * wide character). */
	if (*col > cols - 1)
		*col = cols > 1 ? cols - 1 : 0;
}

void textbuf_cursor_rc(struct textbuf *b, int cols, int *row, int *col)
{
	textbuf_offset_rc(b, cols, b->cur, row, col);
}

size_t textbuf_offset_at(struct textbuf *b, int cols, int row, int col)
{
	if (!layout(b, cols))
		return b->cur;
	if (row < 0)
		row = 0;
	if (row >= b->nrows)
		row = b->nrows - 1;
	const struct textbuf_row *r = &b->rows[row];
	size_t i = r->start;
	int w = 0;
	while (i < r->end) {
		int cw = textbuf_cluster_width(b, i);
		if (w + cw > col)
			break;
		w += cw;
		i = next_cluster(b, i);
	}
	/* The end of a soft-wrapped row is the next row's start. */
	if (i == r->end && !r->hard && i > r->start)
		i = prev_cluster(b, i);
	return i;
}

void textbuf_home(struct textbuf *b, int cols)
{
	int row, col;
	textbuf_cursor_rc(b, cols, &row, &col);
	const struct textbuf_row *r = textbuf_row(b, cols, row);
	if (r)
		b->cur = r->start;
	b->want_col = -1;
}

void textbuf_end(struct textbuf *b, int cols)
{
	int row, col;
	textbuf_cursor_rc(b, cols, &row, &col);
	if (textbuf_row(b, cols, row))
		b->cur = textbuf_offset_at(b, cols, row, 1 << 30);
	b->want_col = -1;
}

static void vertical(struct textbuf *b, int cols, int n)
{
	int row, col;
	textbuf_cursor_rc(b, cols, &row, &col);
	int rows = textbuf_rows(b, cols);
	if (rows == 0)
		return;
	if (b->want_col < 0)
		b->want_col = col;
	if ((n < 0 && row == 0) || (n > 0 && row == rows - 1)) {
		b->cur = n < 0 ? 0 : b->len;
		b->want_col = -1;
		return;
	}
	int to = row + n;
	to = to < 0 ? 0 : to >= rows ? rows - 1 : to;
	b->cur = textbuf_offset_at(b, cols, to, b->want_col);
}

void textbuf_up(struct textbuf *b, int cols, int n)
{
	if (n > 0)
		vertical(b, cols, -n);
}

void textbuf_down(struct textbuf *b, int cols, int n)
{
	if (n > 0)
		vertical(b, cols, n);
}
