/* Timeline: the selected day as rooms (rows) against time (columns), the
 * block view phone schedule apps have. Your talks stand out, the current
 * time is a marker, h/l and j/k move between talks, Enter opens one. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"

#define MIN_PER_COL 3
#define LABEL_W 14

struct timeline {
	char day[11];
	struct talk_rows talks;   /* the day's scheduled talks, by start */
	char **rooms;
	int nrooms;
	int room, sel;            /* cursor: room index, talk index (into talks) */
	int room_off;
	int64_t t0;               /* leftmost minute shown */
	int64_t first, last;      /* the day's span */
};

static int64_t minutes(const char *stamp)
{
	int64_t m = 0;
	ltime_parse_stamp(stamp, &m);
	return m;
}

static int room_of(struct timeline *v, const char *room)
{
	for (int i = 0; i < v->nrooms; i++)
		if (strcmp(v->rooms[i], room) == 0)
			return i;
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void tl_free(struct timeline *v)
{
	model_rows_free(&v->talks);
	for (int i = 0; i < v->nrooms; i++)
		free(v->rooms[i]);
	free(v->rooms);
	v->rooms = NULL;
	v->nrooms = 0;
}

static int load(struct screen *s)
{
	struct timeline *v = s->priv;
	tl_free(v);
	struct talk_query q = { .conf = s->app->conf.id, .day = v->day };
	struct ly_error err;
	if (model_talks(s->app->st, &q, &v->talks, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return LY_ERR;
	}
	v->rooms = calloc(v->talks.n + 1, sizeof *v->rooms);
	if (!v->rooms)
		return LY_ERR;
	v->first = INT64_MAX;
	v->last = 0;
	for (size_t i = 0; i < v->talks.n; i++) {
		const struct talk_row *t = &v->talks.rows[i];
		if (room_of(v, t->room) < 0)
			v->rooms[v->nrooms++] = strdup(t->room);
		int64_t a = minutes(t->start), b = t->end[0] ? minutes(t->end) : a + 30;
		if (a < v->first)
			v->first = a;
		if (b > v->last)
			v->last = b;
	}
	qsort(v->rooms, (size_t)v->nrooms, sizeof *v->rooms, cmp_str);
	return LY_OK;
}

/* The talk in room r nearest minute m. */
static int talk_near(struct timeline *v, int r, int64_t m)
{
	int best = -1;
	int64_t bestd = INT64_MAX;
	for (size_t i = 0; i < v->talks.n; i++) {
		const struct talk_row *t = &v->talks.rows[i];
		if (room_of(v, t->room) != r)
			continue;
		int64_t a = minutes(t->start), b = t->end[0] ? minutes(t->end) : a + 30;
		int64_t d = m < a ? a - m : m >= b ? m - b + 1 : 0;
		if (d < bestd)
			bestd = d, best = (int)i;
	}
	return best;
}

static int tl_open(struct screen *s, const void *arg)
{
	(void)arg;
	struct timeline *v = s->priv;
	struct screen *m = ui_main(s->app);
	const char *day = m ? browse_day(m) : NULL;
	if (!day || !*day) {
		ui_message(s->app, false, "pick a day with a schedule first");
		return LY_ERR;
	}
	snprintf(v->day, sizeof v->day, "%s", day);
	if (load(s) != LY_OK || v->talks.n == 0) {
		ui_message(s->app, false, "nothing scheduled that day");
		return LY_ERR;
	}
	int64_t now = ltime_now();
	v->t0 = (now >= v->first && now < v->last ? now - 30 : v->first) / 30 * 30;
	v->sel = 0;
	v->room = room_of(v, v->talks.rows[0].room);
	return LY_OK;
}

static void tl_close(struct screen *s)
{
	tl_free(s->priv);
}

static void tl_refresh(struct screen *s)
{
	struct timeline *v = s->priv;
	int64_t id = v->sel >= 0 && v->sel < (int)v->talks.n ? v->talks.rows[v->sel].id : 0;
	load(s);
	for (size_t i = 0; i < v->talks.n; i++)
		if (v->talks.rows[i].id == id)
			v->sel = (int)i;
}

static void tl_draw(struct screen *s, int top, int h, int w)
{
	struct timeline *v = s->priv;
	int cols = (w - LABEL_W - 1) / 1;
	int64_t span = (int64_t)cols * MIN_PER_COL;
	/* Keep the selected talk in view. */
	if (v->sel >= 0 && v->sel < (int)v->talks.n) {
		int64_t a = minutes(v->talks.rows[v->sel].start);
		if (a < v->t0)
			v->t0 = a / 30 * 30;
		if (a >= v->t0 + span - 30)
			v->t0 = (a - span / 2) / 30 * 30;
	}
	char label[16];
	ltime_day_label(v->day, label, sizeof label);
	ui_text(top, 0, w, ui_attr(ROLE_HEADER), "");
	ui_text_nopad(top, 1, LABEL_W - 1, ui_attr(ROLE_HEADER), label);
	/* Hour and half-hour marks. */
	for (int c = 0; c < cols; c++) {
		int64_t m = v->t0 + (int64_t)c * MIN_PER_COL;
		if (m % 30 == 0) {
			char hh[8];
			snprintf(hh, sizeof hh, "%02d:%02d", (int)((m % 1440) / 60), (int)(m % 60));
			ui_text_nopad(top, LABEL_W + c, 5, ui_attr(ROLE_HEADER), hh);
		}
	}
	int64_t now = ltime_now();
	int rows = h - 2;
	if (v->room < v->room_off)
		v->room_off = v->room;
	if (v->room >= v->room_off + rows)
		v->room_off = v->room - rows + 1;
	for (int i = 0; i < rows && v->room_off + i < v->nrooms; i++) {
		int r = v->room_off + i, y = top + 1 + i;
		ui_text(y, 0, LABEL_W, (int)(r == v->room ? A_BOLD : A_DIM), v->rooms[r]);
		for (int c = 0; c < cols; c++) {
			int64_t m = v->t0 + (int64_t)c * MIN_PER_COL;
			mvaddch(y, LABEL_W + c, (m % 30 == 0 ? ACS_VLINE : ' ') | ui_attr(ROLE_BORDER));
		}
		for (size_t k = 0; k < v->talks.n; k++) {
			const struct talk_row *t = &v->talks.rows[k];
			if (strcmp(t->room, v->rooms[r]) != 0)
				continue;
			int64_t a = minutes(t->start), b = t->end[0] ? minutes(t->end) : a + 30;
			int64_t c0 = (a - v->t0) / MIN_PER_COL, c1 = (b - v->t0) / MIN_PER_COL;
			if (c1 <= 0 || c0 >= cols)
				continue;
			if (c0 < 0)
				c0 = 0;
			if (c1 > cols)
				c1 = cols;
			int width = (int)(c1 - c0);
			int attr = (int)k == v->sel ? ui_attr(ROLE_SELECTED)
			         : t->status == STATUS_PLANNED || t->status == STATUS_ATTENDED
			               ? ui_attr(ui_status_role(t->status)) | (int)A_REVERSE
			               : (int)(A_REVERSE | A_DIM);
			char text[600];
			snprintf(text, sizeof text, "%s%s", t->flags & TALK_CLASH ? "!" : "", t->title);
			ui_text(y, LABEL_W + (int)c0, width > 1 ? width - 1 : 1, attr, text);
		}
		if (now >= v->t0 && now < v->t0 + span) {
			int c = (int)((now - v->t0) / MIN_PER_COL);
			mvaddch(y, LABEL_W + c, (chtype)'|' | ui_attr(ROLE_NOW));
		}
	}
	if (now >= v->t0 && now < v->t0 + span) {
		char hhmm[16];
		snprintf(hhmm, sizeof hhmm, "now %02d:%02d", (int)(now % 1440 / 60), (int)(now % 60));
		ui_text(top + h - 2, 0, LABEL_W, ui_attr(ROLE_NOW), hhmm);
	}
	/* The selected talk, in full, at the bottom. */
	if (v->sel >= 0 && v->sel < (int)v->talks.n) {
		const struct talk_row *t = &v->talks.rows[v->sel];
		char a[6], b[6], line[700];
		ui_hhmm(t->start, a);
		ui_hhmm(t->end, b);
		snprintf(line, sizeof line, " %s\xe2\x80\x93%s  %s  %s %s  (%s)", a, b, t->room, ui_status_glyph(s->app, t->status),
		         t->title, t->speakers);
		ui_text(top + h - 1, 0, w, A_BOLD, line);
	}
}

static void step_time(struct timeline *v, int dir)
{
	/* Next / previous talk in the same room. */
	int best = -1;
	int64_t cur = minutes(v->talks.rows[v->sel].start);
	for (size_t i = 0; i < v->talks.n; i++) {
		const struct talk_row *t = &v->talks.rows[i];
		if (room_of(v, t->room) != v->room)
			continue;
		int64_t a = minutes(t->start);
		if (dir > 0 ? a > cur && (best < 0 || a < minutes(v->talks.rows[best].start))
		            : a < cur && (best < 0 || a > minutes(v->talks.rows[best].start)))
			best = (int)i;
	}
	if (best >= 0)
		v->sel = best;
	else
		v->t0 += dir * 60;
}

static int tl_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)key;
	(void)keycode;
	struct timeline *v = s->priv;
	if (v->sel < 0 || v->sel >= (int)v->talks.n)
		return H_UNHANDLED;
	int64_t at = minutes(v->talks.rows[v->sel].start);
	switch (a) {
	case ACT_MOVE_DOWN:
	case ACT_MOVE_UP: {
		int r = v->room + (a == ACT_MOVE_DOWN ? 1 : -1);
		while (r >= 0 && r < v->nrooms) {
			int k = talk_near(v, r, at);
			if (k >= 0) {
				v->room = r;
				v->sel = k;
				break;
			}
			r += a == ACT_MOVE_DOWN ? 1 : -1;
		}
		return H_HANDLED;
	}
	case ACT_PANE_RIGHT: case ACT_PANE_NEXT: step_time(v, 1); return H_HANDLED;
	case ACT_PANE_LEFT: case ACT_PANE_PREV: step_time(v, -1); return H_HANDLED;
	case ACT_PAGE_DOWN: v->t0 += 120; return H_HANDLED;
	case ACT_PAGE_UP: v->t0 -= 120; return H_HANDLED;
	case ACT_FIRST: v->sel = 0; v->room = room_of(v, v->talks.rows[0].room); return H_HANDLED;
	case ACT_LAST:
		v->sel = (int)v->talks.n - 1;
		v->room = room_of(v, v->talks.rows[v->sel].room);
		return H_HANDLED;
	case ACT_OPEN: ui_push(s->app, &talk_screen, &v->talks.rows[v->sel].id); return H_HANDLED;
	case ACT_TIMELINE: return H_POP;
	default: {
		const struct talk_row *t = &v->talks.rows[v->sel];
		return ui_mark(s->app, t->id, t->status, t->title, a);
	}
	}
}

const struct screen_ops timeline_screen = {
	.name = "Timeline",
	.priv_size = sizeof(struct timeline),
	.open = tl_open,
	.draw = tl_draw,
	.handle = tl_handle,
	.reload = tl_refresh,
	.close = tl_close,
	.hints = "h/l earlier/later  j/k rooms  Enter open  p plan  a attended  PgUp/PgDn scroll  Esc back",
};
