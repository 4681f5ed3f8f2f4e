/* Drawing helpers: every string goes through text_sanitize and is measured
 * in display columns (text.h), never bytes. On a terminal whose locale is
 * not UTF-8, non-ASCII characters are replaced here, in one place. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"
#include "lanyard/text.h"

/* ASCII look-alikes of the characters the UI itself draws. */
static const struct {
	uint32_t cp;
	char ascii;
} lookalike[] = {
	{ 0x2026, '~' },  /* … */
	{ 0x203A, '>' },  /* › */
	{ 0x25B8, '>' },  /* ▸ */
	{ 0x00B7, '|' },  /* · */
	{ 0x2013, '-' },  /* – */
	{ 0x2014, '-' },  /* — */
	{ 0x2022, '*' },  /* • */
	{ 0x2713, '+' },  /* ✓ */
	{ 0x2717, 'x' },  /* ✗ */
	{ 0x2605, '*' },  /* ★ */
	{ 0x2606, '.' },  /* ☆ */
	{ 0x2588, '#' },  /* █ */
	{ 0x2502, '|' },  /* │ */
	{ 0x2500, '-' },  /* ─ */
	{ 0x252C, '+' },  /* ┬ */
	{ 0x25BC, 'v' },  /* ▼ */
};

/* In place: s shrinks or keeps its length (each replaced character is at
 * least as many bytes as its replacement). */
static void to_ascii(char *s)
{
	char *o = s;
	const char *p = s;
	size_t n = strlen(s);
	while (*p) {
		uint32_t cp;
		size_t len = text_decode(p, n - (size_t)(p - s), &cp);
		if (cp < 0x80) {
			*o++ = (char)cp;
		} else {
			char c = '?';
			for (size_t i = 0; i < sizeof lookalike / sizeof lookalike[0]; i++)
				if (lookalike[i].cp == cp)
					c = lookalike[i].ascii;
			int w = text_cpwidth(cp);
			for (int i = 0; i < w && o < p + len; i++)
				*o++ = c;
		}
		p += len;
	}
	*o = '\0';
}

static int draw(int y, int x, int w, int attr, const char *s, bool pad)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	if (w <= 0)
		return 0;
	char *clean = text_sanitize(s ? s : "", false);
	if (!clean)
		return 0;
	char stackbuf[1024];
	size_t need = strlen(clean) + 8;
	char *buf = need <= sizeof stackbuf ? stackbuf : malloc(need);
	int used = 0;
	if (buf) {
		used = text_fit(clean, w, buf, need <= sizeof stackbuf ? sizeof stackbuf : need);
		if (!term_utf8())
			to_ascii(buf);
		attron(attr);
		mvaddstr(y, x, buf);
		if (pad)
			for (int i = used; i < w; i++)
				addch(' ');
		attroff(attr);
		if (buf != stackbuf)
			free(buf);
	}
	free(clean);
	return used;
}

int ui_text(int y, int x, int w, int attr, const char *s)
{
	return draw(y, x, w, attr, s, true);
}

int ui_text_nopad(int y, int x, int w, int attr, const char *s)
{
	return draw(y, x, w, attr, s, false);
}

int ui_text_right(int y, int x, int w, int attr, const char *s)
{
	int tw = text_width(s);
	int at = tw < w ? x + w - tw : x;
	draw(y, at, x + w - at, attr, s, false);
	return at;
}

void ui_clear(int y, int x, int h, int w)
{
	for (int r = 0; r < h; r++)
		ui_text(y + r, x, w, A_NORMAL, "");
}

struct wrap_ctx {
	int y, x, h, w, attr, skip, line;
};

static void wrap_line(void *p, const char *line, size_t len)
{
	struct wrap_ctx *c = p;
	int row = c->line - c->skip;
	c->line++;
	if (row < 0 || row >= c->h)
		return;
	char buf[1024];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	ui_text(c->y + row, c->x, c->w, c->attr, buf);
}

int ui_wrap(int y, int x, int h, int w, int attr, const char *s, int skip)
{
	char *clean = text_sanitize(s ? s : "", true);
	if (!clean)
		return 0;
	struct wrap_ctx c = { y, x, h, w, attr, skip, 0 };
	text_wrap(clean, w, wrap_line, &c);
	free(clean);
	return c.line;
}

void ui_hints(int y, int x, int w, const struct ui_hint *hints)
{
	int end = x + w;
	for (const struct ui_hint *h = hints; h && h->label; h++) {
		const char *key = ui_hint_key(h);
		if (!*key)
			continue;
		int need = text_width(key) + 1 + text_width(h->label);
		if (x + need > end)
			break;
		x += ui_text_nopad(y, x, end - x, ui_attr(ROLE_KEY), key);
		x += 1;
		x += ui_text_nopad(y, x, end - x, A_NORMAL, h->label);
		x += 2;
	}
}

/* Lines are drawn as text ("│" "─", '|' '-' without UTF-8), not with the
 * alternate character set: terminals and multiplexers that ignore ACS in
 * a UTF-8 locale (the linux console, screen, tmux) would show "x" and "q". */
void ui_vline(int y, int x, int h)
{
	for (int i = 0; i < h; i++)
		ui_text_nopad(y + i, x, 1, ui_attr(ROLE_BORDER), "\xe2\x94\x82");
}

void ui_hline(int y, int x, int w)
{
	if (w <= 0 || y < 0 || y >= LINES)
		return;
	char buf[3 * 512 + 1];
	int n = w < 512 ? w : 512;
	for (int i = 0; i < n; i++)
		memcpy(buf + 3 * i, "\xe2\x94\x80", 3);
	buf[3 * n] = '\0';
	ui_text_nopad(y, x, n, ui_attr(ROLE_BORDER), buf);
}

const char *ui_status_glyph(enum talk_status s)
{
	static const char *const glyph[] = { " ", "\xe2\x80\xa2", "\xe2\x9c\x93", "\xe2\x9c\x97" }; /* • ✓ ✗ */
	return glyph[(unsigned)s < 4 ? s : 0];
}

enum role ui_status_role(enum talk_status s)
{
	switch (s) {
	case STATUS_PLANNED: return ROLE_PLANNED;
	case STATUS_ATTENDED: return ROLE_ATTENDED;
	case STATUS_SKIPPED: return ROLE_SKIPPED;
	default: return ROLE_NORMAL;
	}
}

const char *ui_stars(int rating, char out[32])
{
	out[0] = '\0';
	if (rating < 1 || rating > 5)
		return out;
	size_t o = 0;
	for (int i = 1; i <= 5; i++) {
		memcpy(out + o, i <= rating ? "\xe2\x98\x85" : "\xe2\x98\x86", 3); /* ★ ☆ */
		o += 3;
	}
	out[o] = '\0';
	return out;
}

const char *ui_rating(int rating, char out[8])
{
	if (rating < 1 || rating > 5)
		out[0] = '\0';
	else
		snprintf(out, 8, "%d\xe2\x98\x85", rating);
	return out;
}

void ui_hhmm(const char *stamp, char out[6])
{
	if (stamp && strlen(stamp) >= 16)
		memcpy(out, stamp + 11, 5), out[5] = '\0';
	else
		memcpy(out, "--:--", 6);
}

int ui_change_notes(const struct talk_detail *d, char out[2][256])
{
	int n = 0;
	if (d->flags & TALK_REMOVED)
		snprintf(out[n++], sizeof out[0], "Removed from the schedule in the last update; your notes are kept.");
	if ((d->flags & TALK_MOVED) && d->prev_start) {
		char when[64];
		ui_when(d->prev_start, NULL, when, sizeof when);
		snprintf(out[n++], sizeof out[0], "Moved in the last update; was %s%s%s", when, d->prev_room ? ", " : "",
		         d->prev_room ? d->prev_room : "");
	}
	return n;
}

void ui_when(const char *start, const char *end, char *out, size_t outlen)
{
	if (!start || !start[0]) {
		snprintf(out, outlen, "Unscheduled");
		return;
	}
	char day[11], label[24], a[6], b[6];
	int64_t m;
	/* The conference day: a talk at 00:30 belongs to the evening before. */
	if (ltime_parse_stamp(start, &m))
		ltime_conf_day(m, day);
	else
		snprintf(day, sizeof day, "%.10s", start);
	ltime_day_label(day, label, sizeof label);
	ui_hhmm(start, a);
	ui_hhmm(end, b);
	char end_day[11], end_label[24];
	if (end && end[0] && ltime_parse_stamp(end, &m) && (ltime_conf_day(m, end_day), strcmp(end_day, day) != 0)) {
		ltime_day_label(end_day, end_label, sizeof end_label);
		snprintf(out, outlen, "%s %s \xe2\x80\x93 %s %s", label, a, end_label, b);
	} else if (end && end[0]) {
		snprintf(out, outlen, "%s %s\xe2\x80\x93%s", label, a, b);
	} else {
		snprintf(out, outlen, "%s %s", label, a);
	}
}

/* The conference day of a stamp, as a number (floored, for any year). */
static int64_t conf_daynum(int64_t m)
{
	m -= LTIME_DAY_START_MIN;
	return m >= 0 ? m / 1440 : -((-m + 1439) / 1440);
}

void ui_until(const char *start, const char *end, char out[6])
{
	int64_t s, e;
	ui_hhmm(end, out);
	if (!start || !end || !ltime_parse_stamp(start, &s) || !ltime_parse_stamp(end, &e))
		return;
	int64_t days = conf_daynum(e) - conf_daynum(s);
	if (e >= s && days > 0)
		snprintf(out, 6, "+%dd", days > 999 ? 999 : (int)days);
}

int ui_room(int y, int x, int w, int attr, const char *room)
{
	char *clean = text_sanitize(room ? room : "", false);
	if (!clean)
		return 0;
	char fitted[512];
	text_fit_middle(clean, w, fitted, sizeof fitted);
	free(clean);
	return ui_text_nopad(y, x, w, attr, fitted);
}

int ui_room_cols(const char *room)
{
	char *clean = text_sanitize(room ? room : "", false);
	int w = clean ? text_width(clean) : 0;
	free(clean);
	return w;
}

int ui_room_column(int widest, int avail)
{
	/* The title first (36 columns at least), then the room, up to 16
	 * columns, cut in the middle down to 8. */
	int room = widest > 16 ? 16 : widest;
	int most = avail - 14 - 36;
	if (room > most)
		room = most >= 8 ? most : 0;
	return room > 0 ? room : 0;
}

int ui_talk_row(int y, int x, int w, const struct talk_row *t, int sel, int room_w, bool with_day)
{
	bool removed = t->flags & TALK_REMOVED;
	int base = sel ? sel : removed ? ui_attr(ROLE_DIM) : (int)A_NORMAL;
	int end = x + w;
	ui_text(y, x, w, base, "");
	int cx = x + 1;
	if (with_day) {
		char day[11] = "", label[16] = "Unscheduled";
		int64_t m;
		if (t->start[0] && ltime_parse_stamp(t->start, &m)) {
			ltime_conf_day(m, day);
			ltime_day_label(day, label, sizeof label);
		}
		ui_text_nopad(y, cx, end - cx, base, label);
		cx += 11;
	}
	char hhmm[6], rating[8];
	ui_hhmm(t->start, hhmm);
	ui_text_nopad(y, cx, end - cx, base, t->start[0] ? hhmm : "  -  ");
	cx += 6;
	ui_text_nopad(y, cx, end - cx, sel ? sel : ui_attr(ui_status_role(t->status)), ui_status_glyph(t->status));
	cx += 1;
	ui_text_nopad(y, cx, end - cx, sel ? sel : ui_attr(ROLE_RATING), ui_rating(t->rating, rating));
	cx += 2;
	if (t->flags & TALK_CLASH)
		ui_text_nopad(y, cx, end - cx, sel ? sel | (int)A_BOLD : ui_attr(ROLE_CLASH), "!");
	cx += 2;
	const char *tag = removed ? "removed" : (t->flags & TALK_MOVED) ? "moved" : NULL;
	int tag_w = tag ? (int)strlen(tag) + 1 : 0;
	if (room_w > 0)
		room_w = room_w < end - cx - 8 ? room_w : 0;
	int title_w = end - cx - (room_w ? room_w + 2 : 1) - tag_w;
	int used = ui_text_nopad(y, cx, title_w, base, t->title);
	if (tag)
		ui_text_nopad(y, cx + used + 1, tag_w, sel ? sel : ui_attr(ROLE_TAG), tag);
	if (room_w)
		ui_room(y, end - room_w - 1, room_w, sel ? sel : removed ? base : ui_attr(ROLE_DIM), t->room);
	return cx;
}
