/* Timeline: the selected day as rooms (rows) against time (columns), the
 * block view phone schedule apps have. Your talks stand out, the current
 * time is a marker, h/l step through a room's talks, j/k change room,
 * PgUp/PgDn scroll the time, Enter opens the talk under the cursor. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"
#include "lanyard/text.h"

#define MIN_PER_COL 3      /* a 30-minute slot is 10 columns */
#define NO_END_MIN 30      /* a talk without an end is drawn this long */

struct timeline {
	char day[11];
	struct talk_rows talks;   /* the day's scheduled talks, by start */
	int64_t *start, *end;     /* per talk, minutes */
	int *room;                /* per talk, its room's index */
	char **rooms;             /* room names, sorted; point into talks */
	int nrooms;
	int *by_room, *room_first; /* talks grouped by room (CSR): room r has
	                            * by_room[room_first[r] .. room_first[r+1]) */
	int sel;                  /* the talk under the cursor */
	int room_off, label_w;
	int64_t t0;               /* leftmost minute shown */
	int64_t first, last;      /* the day's span */
};

static void tl_free(struct timeline *v)
{
	model_rows_free(&v->talks);
	free(v->start);
	free(v->end);
	free(v->room);
	free(v->rooms);
	free(v->by_room);
	free(v->room_first);
	v->start = v->end = NULL;
	v->room = v->by_room = v->room_first = NULL;
	v->rooms = NULL;
	v->nrooms = 0;
}

static const struct talk_rows *sort_rows; /* qsort has no context argument */

static int cmp_room(const void *a, const void *b)
{
	int i = *(const int *)a, j = *(const int *)b;
	int c = strcmp(sort_rows->rows[i].room, sort_rows->rows[j].room);
	return c ? c : i - j; /* stable: by start within a room */
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
	size_t n = v->talks.n;
	v->start = calloc(n + 1, sizeof *v->start);
	v->end = calloc(n + 1, sizeof *v->end);
	v->room = calloc(n + 1, sizeof *v->room);
	v->rooms = calloc(n + 1, sizeof *v->rooms);
	v->by_room = calloc(n + 1, sizeof *v->by_room);
	v->room_first = calloc(n + 2, sizeof *v->room_first);
	if (!v->start || !v->end || !v->room || !v->rooms || !v->by_room || !v->room_first) {
		tl_free(v);
		ui_message(s->app, true, "out of memory");
		return LY_ERR;
	}
	v->first = INT64_MAX;
	v->last = 0;
	for (size_t i = 0; i < n; i++) {
		const struct talk_row *t = &v->talks.rows[i];
		ltime_parse_stamp(t->start, &v->start[i]);
		if (!t->end[0] || !ltime_parse_stamp(t->end, &v->end[i]) || v->end[i] <= v->start[i])
			v->end[i] = v->start[i] + NO_END_MIN;
		v->first = v->start[i] < v->first ? v->start[i] : v->first;
		v->last = v->end[i] > v->last ? v->end[i] : v->last;
		v->by_room[i] = (int)i;
	}
	/* Group by room: sort the indices by room name, then number the rooms. */
	sort_rows = &v->talks;
	qsort(v->by_room, n, sizeof *v->by_room, cmp_room);
	sort_rows = NULL;
	for (size_t k = 0; k < n; k++) {
		int i = v->by_room[k];
		if (!v->nrooms || strcmp(v->rooms[v->nrooms - 1], v->talks.rows[i].room) != 0) {
			v->room_first[v->nrooms] = (int)k;
			v->rooms[v->nrooms++] = v->talks.rows[i].room;
		}
		v->room[i] = v->nrooms - 1;
	}
	v->room_first[v->nrooms] = (int)n;
	/* The room labels' column: as wide as the widest name, within limits. */
	v->label_w = 6;
	for (int r = 0; r < v->nrooms; r++) {
		char *clean = text_sanitize(v->rooms[r], false);
		int tw = clean ? text_width(clean) : 0;
		free(clean);
		v->label_w = tw + 1 > v->label_w ? tw + 1 : v->label_w;
	}
	if (v->label_w > 16)
		v->label_w = 16;
	return LY_OK;
}

/* The talk in room r nearest minute m. */
static int talk_near(const struct timeline *v, int r, int64_t m)
{
	int best = -1;
	int64_t bestd = INT64_MAX;
	for (int k = v->room_first[r]; k < v->room_first[r + 1]; k++) {
		int i = v->by_room[k];
		int64_t d = m < v->start[i] ? v->start[i] - m : m >= v->end[i] ? m - v->end[i] + 1 : 0;
		if (d < bestd)
			bestd = d, best = i;
	}
	return best;
}

static int tl_open(struct screen *s, const struct ui_target *on)
{
	struct timeline *v = s->priv;
	if (!on->day || !*on->day) {
		ui_message(s->app, false, "the timeline shows a day: pick one in Days first");
		return LY_ERR;
	}
	snprintf(v->day, sizeof v->day, "%s", on->day);
	if (load(s) != LY_OK)
		return LY_ERR;
	if (v->talks.n == 0) {
		ui_message(s->app, false, "nothing scheduled that day");
		return LY_ERR;
	}
	/* Start on the talk the main screen had selected, else what is on now,
	 * else the first talk. */
	int64_t now = ltime_now();
	v->sel = 0;
	bool found = false;
	for (size_t i = 0; i < v->talks.n; i++)
		if (v->talks.rows[i].id == on->talk)
			v->sel = (int)i, found = true;
	if (!found && now >= v->first && now < v->last)
		for (size_t i = 0; i < v->talks.n; i++)
			if (v->end[i] > now) {
				v->sel = (int)i;
				break;
			}
	int64_t from = now >= v->first && now < v->last ? now - 30 : v->start[v->sel];
	v->t0 = from / 30 * 30;
	return LY_OK;
}

static void tl_close(struct screen *s)
{
	tl_free(s->priv);
}

static void tl_reload(struct screen *s, int64_t talk)
{
	(void)talk;
	struct timeline *v = s->priv;
	int64_t id = v->sel >= 0 && v->sel < (int)v->talks.n ? v->talks.rows[v->sel].id : 0;
	load(s);
	v->sel = 0;
	for (size_t i = 0; i < v->talks.n; i++)
		if (v->talks.rows[i].id == id)
			v->sel = (int)i;
}

static int grid_cols(const struct screen *s, const struct timeline *v)
{
	return s->w - v->label_w - 1;
}

static bool mine(const struct talk_row *t)
{
	return t->status == STATUS_PLANNED || t->status == STATUS_ATTENDED;
}

struct block_ctx {
	const char *text;
	int y, x, h, w, attr, line;
};

/* Each wrapped line of the title but the last shown; the last shown gets
 * the rest of the title, cut with an ellipsis. */
static void block_line(void *p, const char *text, size_t len)
{
	struct block_ctx *c = p;
	if (c->line < c->h - 1) {
		char buf[600];
		snprintf(buf, sizeof buf, "%.*s", (int)len, text);
		ui_text(c->y + c->line, c->x, c->w, c->attr, buf);
	} else if (c->line == c->h - 1) {
		ui_text(c->y + c->line, c->x, c->w, c->attr, text);
	}
	c->line++;
}

/* A talk's block, h lines high: the title over the lines but the last,
 * which has the time and the speakers (one line: the title alone). */
static void draw_block(int y, int x, int h, int w, int attr, const char *title, const struct talk_row *t)
{
	for (int l = 0; l < h; l++)
		ui_text(y + l, x, w, attr, "");
	if (h == 1 || w < 8) {
		ui_text(y, x, w, attr, title);
		return;
	}
	char *clean = text_sanitize(title, false);
	struct block_ctx c = { clean, y, x, h - 1, w, attr, 0 };
	if (h - 1 == 1)
		ui_text(y, x, w, attr, clean ? clean : "");
	else
		text_wrap(clean ? clean : "", w, block_line, &c);
	free(clean);
	char hhmm[6], line[600];
	ui_hhmm(t->start, hhmm);
	snprintf(line, sizeof line, "%s%s%s %s", t->flags & TALK_CLASH ? "! " : "", t->status ? ui_status_glyph(t->status) : "",
	         t->status ? " " : "", hhmm);
	int used = ui_text_nopad(y + h - 1, x, w, attr, line);
	ui_text_nopad(y + h - 1, x + used + 1, w - used - 1, attr | (int)A_DIM, t->speakers);
}

static void tl_draw(struct screen *s)
{
	struct timeline *v = s->priv;
	if (v->sel < 0 || v->sel >= (int)v->talks.n)
		return;
	int top = s->top, h = s->h, w = s->w, lw = v->label_w;
	int cols = grid_cols(s, v);
	int64_t span = (int64_t)cols * MIN_PER_COL;
	/* Keep the selected talk in view. */
	int64_t a = v->start[v->sel];
	if (a < v->t0)
		v->t0 = a / 30 * 30;
	if (a >= v->t0 + span - 30)
		v->t0 = (a - span / 3) / 30 * 30;
	int avail = h - 4; /* header, ruler, ..., blank, the selected talk */
	if (avail < 1)
		avail = 1;
	/* Rooms get up to 3 lines each when there is room: the title wraps,
	 * the last line tells the time and the speakers. */
	int per = v->nrooms ? avail / v->nrooms : 1;
	per = per < 1 ? 1 : per > 3 ? 3 : per;
	int rows = avail / per;
	int r_sel = v->room[v->sel];
	if (r_sel < v->room_off)
		v->room_off = r_sel;
	if (r_sel >= v->room_off + rows)
		v->room_off = r_sel - rows + 1;

	/* Header: the day, and the times above the grid. */
	char label[16];
	ltime_day_label(v->day, label, sizeof label);
	ui_text(top, 0, w, ui_attr(ROLE_HEADER), "");
	ui_text_nopad(top, 1, lw - 1, ui_attr(ROLE_HEADER), label);
	for (int c = 0; c < cols; c++) {
		int64_t m = v->t0 + (int64_t)c * MIN_PER_COL;
		if (m % 30 == 0 && c + 5 <= cols) {
			char hh[8];
			snprintf(hh, sizeof hh, "%02d:%02d", (int)((m % 1440) / 60), (int)(m % 60));
			ui_text_nopad(top, lw + 1 + c, 5, ui_attr(ROLE_HEADER), hh);
		}
	}
	int64_t now = ltime_now();
	int now_c = now >= v->t0 && now < v->t0 + span ? (int)((now - v->t0) / MIN_PER_COL) : -1;
	/* The ruler: ticks every half hour, the now marker. */
	ui_hline(top + 1, 0, w);
	/* The room labels' rule meets the ruler in the same column. */
	ui_text_nopad(top + 1, lw, 1, 0, "\xe2\x94\xac"); /* ┬ */
	for (int c = 1; c < cols; c++)
		if ((v->t0 + (int64_t)c * MIN_PER_COL) % 30 == 0)
			ui_text_nopad(top + 1, lw + 1 + c, 1, ui_attr(ROLE_BORDER), "\xe2\x94\xac"); /* ┬ */
	if (now_c >= 0) {
		char hhmm[16];
		snprintf(hhmm, sizeof hhmm, "now %02d:%02d", (int)(now % 1440 / 60), (int)(now % 60));
		ui_text_nopad(top + 1, lw + 1 + now_c, 1, ui_attr(ROLE_NOW), "\xe2\x96\xbc"); /* ▼ */
		int x = lw + 1 + now_c + 2;
		if (x + 9 > w)
			x = lw + 1 + now_c - 10;
		ui_text_nopad(top + 1, x, 9, ui_attr(ROLE_NOW), hhmm);
	}
	for (int i = 0; i < rows && v->room_off + i < v->nrooms; i++) {
		int r = v->room_off + i, y = top + 2 + i * per;
		ui_text(y, 0, lw, r == r_sel ? (int)A_BOLD : ui_attr(ROLE_DIM), v->rooms[r]);
		ui_vline(y, lw, per);
		/* Dotted half hours, the now line, then the blocks over them. */
		for (int l = 0; l < per; l++)
			for (int c = 0; c < cols; c++) {
				int64_t m = v->t0 + (int64_t)c * MIN_PER_COL;
				if (c == now_c)
					ui_text_nopad(y + l, lw + 1 + c, 1, ui_attr(ROLE_NOW), "\xe2\x94\x82"); /* │ */
				else if (m % 30 == 0 && l == 0)
					ui_text_nopad(y + l, lw + 1 + c, 1, ui_attr(ROLE_DIM), "\xc2\xb7"); /* · */
			}
		for (int k = v->room_first[r]; k < v->room_first[r + 1]; k++) {
			int t = v->by_room[k];
			const struct talk_row *row = &v->talks.rows[t];
			int64_t c0 = (v->start[t] - v->t0) / MIN_PER_COL, c1 = (v->end[t] - v->t0) / MIN_PER_COL;
			if (c1 <= 0 || c0 >= cols)
				continue;
			c0 = c0 < 0 ? 0 : c0;
			c1 = c1 > cols ? cols : c1;
			int width = (int)(c1 - c0) - 1; /* one blank column between blocks */
			if (width < 1)
				width = 1;
			int attr = t == v->sel ? ui_attr(ROLE_SELECTED) | (int)A_BOLD
			         : mine(row) ? ui_attr(ROLE_MINE)
			         : ui_attr(ROLE_BLOCK);
			if (row->flags & TALK_REMOVED)
				attr |= (int)A_DIM;
			char text[600];
			bool mark = per == 1 && (row->flags & TALK_CLASH || row->status != STATUS_NONE);
			snprintf(text, sizeof text, "%s%s%s", !mark ? "" : row->flags & TALK_CLASH ? "!" : ui_status_glyph(row->status),
			         mark ? " " : "", row->title);
			draw_block(y, lw + 1 + (int)c0, per, width, attr, text, row);
		}
	}
	if (v->nrooms > rows) {
		char more[48];
		snprintf(more, sizeof more, "rooms %d\xe2\x80\x93%d of %d", v->room_off + 1,
		         v->room_off + rows < v->nrooms ? v->room_off + rows : v->nrooms, v->nrooms);
		ui_text_right(top + h - 2, 0, w - 1, ui_attr(ROLE_DIM), more);
	}
	/* The selected talk, in full, in the rows the rooms leave (one at
	 * least): when and where, the title, the speakers, the track. */
	int shown = v->nrooms - v->room_off < rows ? v->nrooms - v->room_off : rows;
	int y = top + 2 + shown * per + 1, end = top + h;
	if (y > end - 1)
		y = end - 1;
	if (y > top + 2 + shown * per)
		ui_hline(y - 1, 0, w);
	const struct talk_row *t = &v->talks.rows[v->sel];
	char when[8], until[8], line[800], rating[8];
	ui_hhmm(t->start, when);
	ui_until(t->start, t->end, until);
	int room = end - y;
	snprintf(line, sizeof line, "%s\xe2\x80\x93%s \xc2\xb7 %s \xc2\xb7 %s%s%s%s", when, t->end[0] ? until : "", t->room,
	         t->status ? ui_status_glyph(t->status) : "", ui_rating(t->rating, rating),
	         t->status || t->rating ? " " : "", t->title);
	/* The title wraps over the rows left, the speakers and track under it. */
	int n = room > 2 ? ui_wrap(y, 1, room - 1, w - 2, A_BOLD, line, 0) : 0;
	if (room <= 2)
		n = 1, ui_text(y, 0, w, 0, ""), ui_text(y, 1, w - 1, A_BOLD, line);
	n = n < room - 1 ? n : room > 1 ? room - 1 : 1;
	char more[600];
	snprintf(more, sizeof more, "%s%s%s", t->speakers, *t->speakers && *t->track ? " \xc2\xb7 " : "", t->track);
	if (y + n < end)
		ui_text(y + n, 1, w - 2, ui_attr(ROLE_DIM), more);
}

/* Next / previous talk in the same room; past the room's first or last,
 * the day's talk starting just before / after it in any room. Returns
 * false at the day's very first / last talk. */
static bool step_time(struct timeline *v, int dir)
{
	int r = v->room[v->sel];
	for (int k = v->room_first[r]; k < v->room_first[r + 1]; k++) {
		if (v->by_room[k] != v->sel)
			continue;
		int to = k + dir;
		if (to >= v->room_first[r] && to < v->room_first[r + 1]) {
			v->sel = v->by_room[to];
			return true;
		}
		break;
	}
	/* Talks are by start: the neighbour in that order, in another room. */
	int to = v->sel + dir;
	if (to < 0 || to >= (int)v->talks.n)
		return false;
	v->sel = to;
	return true;
}

static void step_room(struct timeline *v, int dir)
{
	int64_t at = v->start[v->sel];
	int r = v->room[v->sel] + dir;
	if (r >= 0 && r < v->nrooms) {
		int k = talk_near(v, r, at);
		if (k >= 0)
			v->sel = k;
	}
}

/* Select the first talk starting at or after minute m (or the last one). */
static void select_from(struct timeline *v, int64_t m)
{
	for (size_t i = 0; i < v->talks.n; i++)
		if (v->start[i] >= m) {
			int near = talk_near(v, v->room[v->sel], m);
			v->sel = near >= 0 && v->start[near] >= m ? near : (int)i;
			return;
		}
	v->sel = (int)v->talks.n - 1;
}

static int tl_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)key;
	(void)keycode;
	struct timeline *v = s->priv;
	if (v->sel < 0 || v->sel >= (int)v->talks.n)
		return H_UNHANDLED;
	int per = v->nrooms ? (s->h - 4) / v->nrooms : 1;
	per = per < 1 ? 1 : per > 3 ? 3 : per;
	int rows = (s->h - 4 > 1 ? s->h - 4 : 1) / per;
	int64_t span = (int64_t)grid_cols(s, v) * MIN_PER_COL;
	switch (a) {
	case ACT_MOVE_DOWN: step_room(v, 1); return H_HANDLED;
	case ACT_MOVE_UP: step_room(v, -1); return H_HANDLED;
	case ACT_PANE_RIGHT: case ACT_PANE_NEXT:
		if (!step_time(v, 1))
			ui_message(s->app, false, "the day's last talk");
		return H_HANDLED;
	case ACT_PANE_LEFT: case ACT_PANE_PREV:
		if (!step_time(v, -1))
			ui_message(s->app, false, "the day's first talk");
		return H_HANDLED;
	case ACT_PAGE_DOWN: select_from(v, v->start[v->sel] + span / 2); return H_HANDLED;
	case ACT_PAGE_UP: select_from(v, v->start[v->sel] - span / 2 > v->first ? v->start[v->sel] - span / 2 : v->first);
		return H_HANDLED;
	case ACT_FIRST: v->sel = 0; return H_HANDLED;
	case ACT_LAST: v->sel = (int)v->talks.n - 1; return H_HANDLED;
	default:
		break;
	}
	if (keycode && key == KEY_MOUSE) {
		const struct mouse_event *m = &s->app->mouse;
		if (m->wheel_up || m->wheel_down) {
			for (int i = 0; i < 3; i++)
				step_room(v, m->wheel_down ? 1 : -1);
		} else if (m->click && m->y >= s->top + 2 && m->y < s->top + 2 + rows * per && m->x > v->label_w) {
			int r = v->room_off + (m->y - s->top - 2) / per;
			int64_t at = v->t0 + (int64_t)(m->x - v->label_w - 1) * MIN_PER_COL;
			if (r < v->nrooms) {
				int k = talk_near(v, r, at);
				if (k >= 0)
					v->sel = k;
			}
		}
		return H_HANDLED;
	}
	return H_UNHANDLED; /* Enter opens the talk (the driver), marks apply to it */
}

static void tl_target(struct screen *s, struct ui_target *out)
{
	struct timeline *v = s->priv;
	out->talk = v->sel >= 0 && v->sel < (int)v->talks.n ? v->talks.rows[v->sel].id : 0;
	out->day = v->day;
}

static const struct ui_hint hints[] = {
	{ ACT_PANE_LEFT, "earlier/later", "h/l" }, { ACT_MOVE_DOWN, "rooms", "j/k" }, { ACT_OPEN, "open", NULL },
	{ ACT_PLANNED, "plan", NULL },             { ACT_ATTENDED, "attended", NULL }, { ACT_TAKEAWAYS, "takeaways", NULL },
	{ ACT_PAGE_DOWN, "scroll", "PgUp/PgDn" },  { ACT_BACK, "back", NULL },         { 0 },
};

static void tl_where(struct screen *s, char *out, size_t len)
{
	struct timeline *v = s->priv;
	char label[16];
	ltime_day_label(v->day, label, sizeof label);
	snprintf(out, len, "Timeline \xe2\x80\xba %s", label);
}

const struct screen_ops timeline_screen = {
	.name = "Timeline",
	.priv_size = sizeof(struct timeline),
	.open = tl_open,
	.draw = tl_draw,
	.handle = tl_handle,
	.close = tl_close,
	.reload = tl_reload,
	.target = tl_target,
	.where = tl_where,
	.hints = hints,
};
