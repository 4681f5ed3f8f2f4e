/* The line-list widget (ui_list.h). */
#include "lanyard/ui_list.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"
#include "lanyard/ui_draw.h"
#include "lanyard/ui_screen.h"

void ll_clear(struct linelist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->lines[i].text);
	l->n = 0;
}

void ll_free(struct linelist *l)
{
	ll_clear(l);
	free(l->lines);
	l->lines = NULL;
	l->cap = 0;
}

struct ll_line *ll_add(struct linelist *l, const struct talk_row *talk, int attr, const char *fmt, ...)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		struct ll_line *n = realloc(l->lines, (size_t)cap * sizeof *n);
		if (!n)
			return NULL;
		l->lines = n;
		l->cap = cap;
	}
	char buf[1024] = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
	}
	struct ll_line *line = &l->lines[l->n];
	memset(line, 0, sizeof *line);
	line->talk = talk;
	line->attr = attr;
	line->text = fmt ? strdup(buf) : NULL;
	l->n++;
	return line;
}

static bool is_talk(const struct linelist *l, int i)
{
	return i >= 0 && i < l->n && l->lines[i].talk;
}

void ll_rebuilt(struct linelist *l, int64_t keep, bool select)
{
	int was = l->sel;
	l->sel = -1;
	for (int i = 0; keep && i < l->n; i++)
		if (l->lines[i].talk && l->lines[i].talk->id == keep) {
			l->sel = i;
			return;
		}
	if (!select && !keep)
		return;
	/* Gone: the nearest talk line at or after the old place, else before. */
	int from = was > 0 ? was : 0;
	for (int i = from; i < l->n && l->sel < 0; i++)
		if (is_talk(l, i))
			l->sel = i;
	for (int i = from < l->n ? from : l->n - 1; i >= 0 && l->sel < 0; i--)
		if (is_talk(l, i))
			l->sel = i;
	if (l->off >= l->n)
		l->off = l->n > 0 ? l->n - 1 : 0;
}

void ll_select(struct linelist *l, int i)
{
	if (is_talk(l, i))
		l->sel = i;
}

const struct talk_row *ll_current(const struct linelist *l)
{
	return is_talk(l, l->sel) ? l->lines[l->sel].talk : NULL;
}

/* The talk line steps talk lines from at in direction dir, or the last
 * one reached. */
static int step(const struct linelist *l, int at, int dir, int steps)
{
	for (int n = 0; n < steps; n++) {
		int i = at + dir;
		while (i >= 0 && i < l->n && !is_talk(l, i))
			i += dir;
		if (i < 0 || i >= l->n)
			break;
		at = i;
	}
	return at;
}

static int first_talk(const struct linelist *l, int from)
{
	for (int i = from; i < l->n; i++)
		if (is_talk(l, i))
			return i;
	return -1;
}

bool ll_handle(struct linelist *l, enum action a)
{
	int rows = l->rows > 1 ? l->rows : 1;
	switch (a) {
	case ACT_MOVE_DOWN:
		/* Nothing selected: the first talk on screen. */
		if (l->sel < 0)
			l->sel = first_talk(l, l->off);
		else
			l->sel = step(l, l->sel, 1, 1);
		return true;
	case ACT_MOVE_UP:
		if (l->sel < 0) {
			l->sel = first_talk(l, l->off);
			return true;
		}
		if (step(l, l->sel, -1, 1) == l->sel)
			l->off = 0; /* at the first talk: show the headings above */
		l->sel = step(l, l->sel, -1, 1);
		return true;
	case ACT_PAGE_DOWN:
		if (l->off + rows < l->n)
			l->off += rows;
		if (l->off + rows > l->n)
			l->off = l->n - rows > 0 ? l->n - rows : 0;
		if (l->sel < l->off || l->sel >= l->off + rows) {
			int f = first_talk(l, l->off);
			l->sel = f >= 0 ? f : step(l, l->sel, 1, l->n);
		}
		return true;
	case ACT_PAGE_UP:
	case ACT_FIRST:
		l->off = a == ACT_FIRST || l->off < rows ? 0 : l->off - rows;
		/* The selection stays when still in view, else the page's first
		 * talk, else none: the top shows whole. */
		if (l->sel < l->off || l->sel >= l->off + rows || a == ACT_FIRST) {
			int f = first_talk(l, l->off);
			l->sel = f >= 0 && f < l->off + rows ? f : -1;
		}
		return true;
	case ACT_LAST:
		l->sel = step(l, l->sel >= 0 ? l->sel : 0, 1, l->n);
		if (!is_talk(l, l->sel))
			l->sel = -1;
		l->off = l->n - rows > 0 ? l->n - rows : 0;
		return true;
	default:
		return false;
	}
}

void ll_draw(struct linelist *l, int top, int h, int w, ll_draw_fn row, void *ctx)
{
	int rows = h > 0 ? h : 0;
	l->rows = rows;
	if (l->sel >= 0 && rows > 0) {
		if (l->sel < l->off)
			l->off = l->sel;
		if (l->sel >= l->off + rows)
			l->off = l->sel - rows + 1;
		/* The heading above a talk scrolled to the top comes along. */
		if (l->off > 0 && l->sel == l->off && !l->lines[l->off - 1].talk && l->sel - l->off + 1 < rows)
			l->off--;
	}
	if (l->off > 0 && l->off + rows > l->n)
		l->off = l->n - rows > 0 ? l->n - rows : 0;
	for (int i = 0; i < rows; i++) {
		int k = l->off + i, y = top + i;
		if (k >= l->n) {
			ui_text(y, 0, w, 0, "");
			continue;
		}
		const struct ll_line *line = &l->lines[k];
		if (line->talk || line->nwith) {
			row(ctx, line, y, w, k == l->sel);
			continue;
		}
		ui_text(y, 0, w, 0, "");
		ui_text(y, 1, w - 1, line->attr, line->text ? line->text : "");
	}
}

void ll_talk_row(int y, int w, const struct talk_row *t, bool selected, const struct ll_cols *c)
{
	int sel = selected ? ui_attr(ROLE_SELECTED) : 0;
	int base = sel ? sel : (t->flags & TALK_REMOVED) ? ui_attr(ROLE_DIM) : (int)A_NORMAL;
	ui_text(y, 0, w, base, "");
	int x;
	if (c->stars) {
		/* " ★★★★★ ✓ ! Title": in Review the rating matters more than the time. */
		char stars[32];
		ui_text_nopad(y, 1, 5, sel ? sel : ui_attr(ROLE_RATING), t->rating ? ui_stars(t->rating, stars) : "  -  ");
		ui_text_nopad(y, 7, 1, sel ? sel : ui_attr(ui_status_role(t->status)), ui_status_glyph(t->status));
		x = 9;
	} else {
		char a[6], b[6], line[32];
		ui_hhmm(t->start, a);
		ui_until(t->start, t->end, b);
		snprintf(line, sizeof line, " %s\xe2\x80\x93%s", a, t->end[0] ? b : "     ");
		ui_text_nopad(y, 0, 12, base, t->start[0] ? line : " unscheduled");
		ui_text_nopad(y, 13, 1, sel ? sel : ui_attr(ui_status_role(t->status)), ui_status_glyph(t->status));
		x = 15;
	}
	if (t->flags & TALK_CLASH)
		ui_text_nopad(y, x, 1, sel ? sel : ui_attr(ROLE_CLASH), "!");
	else if (t->flags & TALK_MOVED)
		ui_text_nopad(y, x, 1, sel ? sel : ui_attr(ROLE_CLASH), "~");
	x += 2;
	/* The extra column and the room only when the title keeps room. */
	int extra_w = c->extra && *c->extra ? c->extra_w : 0;
	if (w - x - extra_w < 24)
		extra_w = 0;
	int room_w = c->room_w;
	if (w - x - extra_w - room_w - 2 < 24)
		room_w = 0;
	int title_w = w - x - (extra_w ? extra_w + 1 : 0) - (room_w ? room_w + 2 : 1);
	ui_text_nopad(y, x, title_w, base, t->title);
	if (room_w)
		ui_room(y, w - extra_w - (extra_w ? 1 : 0) - room_w - 1, room_w, sel ? sel : ui_attr(ROLE_DIM), t->room);
	if (extra_w)
		ui_text_nopad(y, w - extra_w - 1, extra_w, sel ? sel : c->extra_attr, c->extra);
}

void ll_title(int y, int w, const char *title)
{
	int attr = ui_attr(ROLE_HEADER) | (int)A_REVERSE;
	ui_text(y, 0, w, attr, "");
	ui_text_nopad(y, 1, w - 1, attr, title);
}

void ll_target(const struct linelist *l, char day[11], struct ui_target *out)
{
	const struct talk_row *t = ll_current(l);
	int64_t m;
	day[0] = '\0';
	if (t && t->start[0] && ltime_parse_stamp(t->start, &m))
		ltime_conf_day(m, day);
	out->talk = t ? t->id : 0;
	out->day = t ? day : NULL;
	out->how = "no talk selected: press j to choose one";
}

bool ll_mouse(struct linelist *l, const struct mouse_event *m, int top)
{
	if (m->wheel_up || m->wheel_down) {
		for (int i = 0; i < 3; i++)
			ll_handle(l, m->wheel_down ? ACT_MOVE_DOWN : ACT_MOVE_UP);
		return true;
	}
	int k = l->off + (m->y - top);
	if (m->click && m->y >= top && m->y < top + l->rows && is_talk(l, k)) {
		l->sel = k;
		return true;
	}
	return false;
}
