/* The takeaways editor's text buffer: UTF-8, cursor on cluster boundaries,
 * soft-wrapped layout by display columns. No curses here. */
#include "lanyard/editor.h"

#include <stdlib.h>
#include <string.h>

#include "lanyard/text.h"

static uint32_t cp_at(const struct textbuf *b, size_t i, size_t *len)
{
	uint32_t cp;
	*len = text_decode(b->s + i, b->len - i, &cp);
	return cp;
}

/* Next cluster boundary after i: one character and its combining marks. */
static size_t next_cluster(const struct textbuf *b, size_t i)
{
	if (i >= b->len)
		return b->len;
	size_t len;
	cp_at(b, i, &len);
	i += len;
	while (i < b->len) {
		uint32_t cp = cp_at(b, i, &len);
		if (cp == '\n' || text_cpwidth(cp) != 0)
			break;
		i += len;
	}
	return i;
}

static size_t prev_cluster(const struct textbuf *b, size_t i)
{
	if (i == 0)
		return 0;
	size_t j = i;
	for (;;) {
		do
			j--;
		while (j > 0 && ((unsigned char)b->s[j] & 0xC0) == 0x80);
		size_t len;
		uint32_t cp = cp_at(b, j, &len);
		if (j == 0 || cp == '\n' || text_cpwidth(cp) != 0)
			return j;
	}
}

int textbuf_init(struct textbuf *b, const char *text)
{
	memset(b, 0, sizeof *b);
	b->want_col = -1;
	b->cap = 64;
	b->s = malloc(b->cap);
	if (!b->s)
		return -1;
	b->s[0] = '\0';
	if (text && textbuf_insert(b, text) != 0)
		return -1;
	b->cur = b->len;
	b->gen = 0;
	return 0;
}

void textbuf_free(struct textbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

int textbuf_insert(struct textbuf *b, const char *in)
{
	char *clean = text_sanitize(in, true); /* drops controls and bad bytes */
	if (!clean)
		return -1;
	size_t n = strlen(clean);
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			free(clean);
			return -1;
		}
		b->s = s;
		b->cap = cap;
	}
	memmove(b->s + b->cur + n, b->s + b->cur, b->len - b->cur + 1);
	memcpy(b->s + b->cur, clean, n);
	b->len += n;
	b->cur += n;
	b->want_col = -1;
	b->gen++;
	free(clean);
	return 0;
}

static void erase_range(struct textbuf *b, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(b->s + from, b->s + to, b->len - to + 1);
	b->len -= to - from;
	b->cur = from;
	b->want_col = -1;
	b->gen++;
}

void textbuf_backspace(struct textbuf *b)
{
	erase_range(b, prev_cluster(b, b->cur), b->cur);
}

void textbuf_delete(struct textbuf *b)
{
	erase_range(b, b->cur, next_cluster(b, b->cur));
}

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

static bool is_space_at(const struct textbuf *b, size_t i)
{
	return b->s[i] == ' ' || b->s[i] == '\n' || b->s[i] == '\t';
}

void textbuf_word_left(struct textbuf *b)
{
	size_t i = b->cur;
	while (i > 0 && is_space_at(b, i - 1))
		i--;
	while (i > 0 && !is_space_at(b, i - 1))
		i--;
	b->cur = i;
	b->want_col = -1;
}

void textbuf_word_right(struct textbuf *b)
{
	size_t i = b->cur;
	while (i < b->len && !is_space_at(b, i))
		i++;
	while (i < b->len && is_space_at(b, i))
		i++;
	b->cur = i;
	b->want_col = -1;
}

void textbuf_kill_to_start(struct textbuf *b)
{
	size_t i = b->cur;
	while (i > 0 && b->s[i - 1] != '\n')
		i--;
	erase_range(b, i, b->cur);
}

int textbuf_layout(const struct textbuf *b, int cols, struct textbuf_row **out, int *cur_row, int *cur_col)
{
	if (cols < 2)
		cols = 2;
	size_t cap = 16;
	int n = 0;
	struct textbuf_row *rows = malloc(cap * sizeof *rows);
	if (!rows)
		return -1;
	*cur_row = 0;
	*cur_col = 0;
	size_t i = 0;
	for (;;) {
		/* One visual row from i. */
		size_t start = i, last_space = 0;
		int w = 0;
		bool space = false;
		while (i < b->len && b->s[i] != '\n') {
			size_t next = next_cluster(b, i), len;
			int cw = text_cpwidth(cp_at(b, i, &len));
			if (w + cw > cols - 1) /* keep a column for the cursor at the end */
				break;
			if (b->s[i] == ' ') {
				last_space = next;
				space = true;
			}
			w += cw;
			i = next;
		}
		size_t end = i;
		bool hard = i >= b->len || b->s[i] == '\n';
		if (!hard && space && last_space > start)
			end = i = last_space;
		if ((size_t)n == cap) {
			cap *= 2;
			struct textbuf_row *r = realloc(rows, cap * sizeof *rows);
			if (!r) {
				free(rows);
				return -1;
			}
			rows = r;
		}
		rows[n] = (struct textbuf_row){ start, end };
		if (b->cur >= start && (b->cur < end || (b->cur == end && hard))) {
			*cur_row = n;
			char tmp[4096];
			size_t k = b->cur - start < sizeof tmp - 1 ? b->cur - start : sizeof tmp - 1;
			memcpy(tmp, b->s + start, k);
			tmp[k] = '\0';
			*cur_col = text_width(tmp);
		}
		n++;
		if (hard) {
			if (i >= b->len)
				break;
			i++; /* past the newline */
		}
	}
	*out = rows;
	return n;
}

/* Byte offset in row r nearest display column col. */
static size_t offset_at(const struct textbuf *b, const struct textbuf_row *r, int col)
{
	size_t i = r->start;
	int w = 0;
	while (i < r->end) {
		size_t len, next = next_cluster(b, i);
		int cw = text_cpwidth(cp_at(b, i, &len));
		if (w + cw > col)
			break;
		w += cw;
		i = next;
	}
	return i;
}

static void vertical(struct textbuf *b, int cols, int dir)
{
	struct textbuf_row *rows;
	int row, col;
	int n = textbuf_layout(b, cols, &rows, &row, &col);
	if (n < 0)
		return;
	if (b->want_col < 0)
		b->want_col = col;
	int to = row + dir;
	if (to < 0)
		b->cur = 0;
	else if (to >= n)
		b->cur = b->len;
	else
		b->cur = offset_at(b, &rows[to], b->want_col);
	free(rows);
}

void textbuf_up(struct textbuf *b, int cols)
{
	int keep = b->want_col;
	vertical(b, cols, -1);
	if (keep >= 0)
		b->want_col = keep;
}

void textbuf_down(struct textbuf *b, int cols)
{
	int keep = b->want_col;
	vertical(b, cols, 1);
	if (keep >= 0)
		b->want_col = keep;
}

static void row_edge(struct textbuf *b, int cols, bool end)
{
	struct textbuf_row *rows;
	int row, col;
	int n = textbuf_layout(b, cols, &rows, &row, &col);
	if (n < 0)
		return;
	b->cur = end ? rows[row].end : rows[row].start;
	b->want_col = -1;
	free(rows);
}

void textbuf_home(struct textbuf *b, int cols)
{
	row_edge(b, cols, false);
}

void textbuf_end(struct textbuf *b, int cols)
{
	row_edge(b, cols, true);
}
