/* wcwidth() is X/Open. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include "lanyard/text.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define REPLACEMENT 0xFFFDu

size_t text_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0) {
		*cp = 0;
		return 0;
	}
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	size_t len;
	uint32_t c, min;
	if ((u[0] & 0xE0) == 0xC0) {
		len = 2, c = u[0] & 0x1F, min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		len = 3, c = u[0] & 0x0F, min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		len = 4, c = u[0] & 0x07, min = 0x10000;
	} else {
		*cp = REPLACEMENT;
		return 1;
	}
	if (len > n) {
		*cp = REPLACEMENT;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = REPLACEMENT;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = REPLACEMENT;
		return 1;
	}
	*cp = c;
	return len;
}

size_t text_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

bool text_valid_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* Eight ASCII bytes at a time: imports check every line. */
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		if (cp == REPLACEMENT && !(len == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
			return false;
		i += len;
	}
	return true;
}

struct range {
	uint32_t lo, hi;
};

static bool in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

/* Used only where the C library cannot tell (a non-UTF-8 locale). */
static const struct range combining[] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x0610, 0x061A },
	{ 0x064B, 0x065F }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x1AB0, 0x1AFF },
	{ 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F },
	{ 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF },
};
static const struct range wide[] = {
	{ 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF }, { 0x3400, 0x4DBF },
	{ 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
	{ 0xFE30, 0xFE4F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F },
	{ 0x1F900, 0x1F9FF }, { 0x20000, 0x3FFFD },
};

int text_cpwidth(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 1;
	if (cp < 0x7F)
		return 1;
	int w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	if (in_ranges(cp, combining, sizeof combining / sizeof combining[0]))
		return 0;
	if (in_ranges(cp, wide, sizeof wide / sizeof wide[0]))
		return 2;
	return 1;
}

int text_width(const char *s)
{
	int w = 0;
	size_t n = s ? strlen(s) : 0, i = 0;
	while (i < n) {
		uint32_t cp;
		i += text_decode(s + i, n - i, &cp);
		w += text_cpwidth(cp);
	}
	return w;
}

/* Skip an escape sequence starting at s[i] (ESC or C1 CSI/OSC already
 * decoded as cp); returns the index after it. */
static size_t skip_escape(const char *s, size_t n, size_t i, uint32_t intro)
{
	enum { CSI, OSC, ONE } kind;
	if (intro == 0x9B)
		kind = CSI;
	else if (intro == 0x9D || intro == 0x90 || intro == 0x9E || intro == 0x9F)
		kind = OSC;
	else if (i < n && s[i] == '[')
		kind = CSI, i++;
	else if (i < n && (s[i] == ']' || s[i] == 'P' || s[i] == '^' || s[i] == '_'))
		kind = OSC, i++;
	else
		kind = ONE;
	if (kind == ONE)
		return i < n ? i + 1 : i;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (kind == CSI) {
			i++;
			if (c >= 0x40 && c <= 0x7E)
				break;
			if (c < 0x20 || c >= 0x80) /* malformed: stop here */
				break;
		} else {
			if (c == 0x07) {
				i++;
				break;
			}
			if (c == 0x1B) {
				i += (i + 1 < n && s[i + 1] == '\\') ? 2 : 1;
				break;
			}
			if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0x9C) {
				i += 2;
				break;
			}
			i++;
		}
	}
	return i;
}

size_t text_sanitize_into(const char *s, size_t n, bool keep_newlines, char *out)
{
	size_t i = 0, o = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		i += len;
		if (cp == 0x1B || cp == 0x9B || cp == 0x9D || cp == 0x90 || cp == 0x9E || cp == 0x9F) {
			i = skip_escape(s, n, i, cp);
			continue;
		}
		if (cp == '\n' && keep_newlines) {
			out[o++] = '\n';
			continue;
		}
		if (cp == '\r' && i < n && s[i] == '\n')
			continue;
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
			out[o++] = ' ';
			continue;
		}
		/* Bidi overrides and isolates could reorder the rest of the line. */
		if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
			continue;
		o += text_encode(cp, out + o);
	}
	out[o] = '\0';
	return o;
}

char *text_sanitize(const char *s, bool keep_newlines)
{
	size_t n = s ? strlen(s) : 0;
	char *out = malloc(TEXT_SANITIZE_MAX(n));
	if (out)
		text_sanitize_into(s ? s : "", n, keep_newlines, out);
	return out;
}

size_t text_prefix(const char *s, int cols, int *width)
{
	size_t n = strlen(s), i = 0;
	int w = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		int cw = text_cpwidth(cp);
		if (w + cw > cols)
			break;
		w += cw;
		i += len;
	}
	if (width)
		*width = w;
	return i;
}

int text_fit(const char *s, int cols, char *out, size_t outlen)
{
	if (outlen == 0)
		return 0;
	out[0] = '\0';
	if (cols <= 0)
		return 0;
	int w;
	size_t len = text_prefix(s, cols, &w);
	if (s[len] == '\0') {
		if (len >= outlen) /* buffer too small: draw nothing */
			len = 0, w = 0;
		memcpy(out, s, len);
		out[len] = '\0';
		return w;
	}
	/* Cut: leave one column for the ellipsis. */
	len = text_prefix(s, cols - 1, &w);
	if (len + 4 > outlen)
		return 0;
	memcpy(out, s, len);
	memcpy(out + len, "\xE2\x80\xA6", 4);
	return w + 1;
}

int text_fit_middle(const char *s, int cols, char *out, size_t outlen)
{
	if (outlen == 0)
		return 0;
	out[0] = '\0';
	int total = text_width(s);
	if (total <= cols || cols < 5)
		return text_fit(s, cols, out, outlen);
	/* The head: the first word, within a third of the room. */
	size_t word = strcspn(s, " ");
	int head_w;
	size_t head = text_prefix(s, (cols - 1) / 3, &head_w);
	if (word < head) {
		head = word;
		head_w = 0;
		for (size_t i = 0; i < head;) {
			uint32_t cp;
			i += text_decode(s + i, head - i, &cp);
			head_w += text_cpwidth(cp);
		}
	}
	/* The tail: the longest suffix that fits what is left, starting on a
	 * code point, without leading spaces. */
	int room = cols - 1 - head_w, tail_w = total;
	size_t n = strlen(s), tail = 0;
	while (tail < n && (tail_w > room || s[tail] == ' ')) {
		uint32_t cp;
		size_t len = text_decode(s + tail, n - tail, &cp);
		tail_w -= text_cpwidth(cp);
		tail += len;
	}
	/* A combining mark cannot start the tail. */
	while (tail < n) {
		uint32_t cp;
		size_t len = text_decode(s + tail, n - tail, &cp);
		if (text_cpwidth(cp) != 0)
			break;
		tail += len;
	}
	/* Columns the tail left over go back to the head, within the word. */
	if (tail_w < room) {
		int more_w;
		size_t more = text_prefix(s, head_w + room - tail_w, &more_w);
		if (more <= word)
			head = more, head_w = more_w;
	}
	if (head + 3 + (n - tail) + 1 > outlen)
		return text_fit(s, cols, out, outlen);
	memcpy(out, s, head);
	memcpy(out + head, "\xE2\x80\xA6", 3);
	memcpy(out + head + 3, s + tail, n - tail + 1);
	return text_width(out);
}

int text_wrap(const char *s, int cols, void (*fn)(void *ctx, const char *line, size_t len), void *ctx)
{
	int lines = 0;
	if (cols < 1)
		cols = 1;
	const char *p = s ? s : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t para = nl ? (size_t)(nl - p) : strlen(p);
		/* Wrap one paragraph [p, p + para). */
		size_t i = 0;
		do {
			size_t start = i, last_space = 0, j = i;
			int w = 0;
			bool have_space = false;
			while (j < para) {
				uint32_t cp;
				size_t len = text_decode(p + j, para - j, &cp);
				int cw = text_cpwidth(cp);
				if (w + cw > cols)
					break;
				if (cp == ' ') {
					last_space = j;
					have_space = true;
				}
				w += cw;
				j += len;
			}
			size_t end = j;
			if (j < para && p[j] != ' ' && have_space && last_space > start)
				end = last_space;
			if (end == start && j < para) /* one character wider than cols */
				end = start + text_decode(p + start, para - start, &(uint32_t){ 0 });
			fn(ctx, p + start, end - start);
			lines++;
			i = end;
			while (i < para && p[i] == ' ')
				i++;
		} while (i < para);
		if (!nl)
			break;
		p = nl + 1;
	}
	return lines;
}
