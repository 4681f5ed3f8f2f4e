/* Views that are lists of talks with headings: Agenda (my planned and
 * attended talks by day, clashes, free gaps, schedule changes, how many
 * other talks run at the same time), Now/Next (by the conference clock),
 * Review (attended talks by rating, per-track averages, a histogram) and
 * the alternatives to one talk. Marking keys work on the selected row. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"

enum kind { K_AGENDA, K_NOW, K_REVIEW, K_ALTERNATIVES };

struct line {
	int talk;          /* index into rows, or -1 for a heading / text line */
	char *text;        /* heading or extra text (owned) */
	int attr;
	int clash[2];      /* a clash line: the two talks (indexes into rows); else -1 */
	int others;        /* agenda: how many other talks run at the same time */
};

struct listview {
	enum kind kind;
	int64_t about;     /* alternatives: the talk */
	struct talk_rows rows, rows2;
	struct line *lines;
	int nlines, cap;
	int sel, off;
};

/* Append a line; NULL when out of memory (the line is then left out). */
static struct line *add(struct listview *v, int talk, int attr, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static struct line *add(struct listview *v, int talk, int attr, const char *fmt, ...)
{
	if (v->nlines == v->cap) {
		int cap = v->cap ? v->cap * 2 : 64;
		struct line *l = realloc(v->lines, (size_t)cap * sizeof *l);
		if (!l)
			return NULL;
		v->lines = l;
		v->cap = cap;
	}
	char buf[1024] = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
	}
	v->lines[v->nlines] = (struct line){ talk, strdup(buf), attr, { -1, -1 }, 0 };
	return &v->lines[v->nlines++];
}

/* A line naming both talks of a clash pair. */
static void add_clash(struct listview *v, int a, int b)
{
	struct line *l = add(v, -1, ui_attr(ROLE_CLASH), NULL);
	if (l) {
		l->clash[0] = a;
		l->clash[1] = b;
	}
}

/* After the last talk of a run of overlapping talks (rows first..last):
 * one line per overlapping pair. */
static void add_clash_pairs(struct listview *v, size_t first, size_t last)
{
	for (size_t j = first + 1; j <= last; j++)
		for (size_t i = first; i < j; i++) {
			const struct talk_row *a = &v->rows.rows[i], *b = &v->rows.rows[j];
			if (model_overlaps(a->start, a->end, b->start, b->end))
				add_clash(v, (int)i, (int)j);
		}
}

static void clear_lines(struct listview *v)
{
	for (int i = 0; i < v->nlines; i++)
		free(v->lines[i].text);
	v->nlines = 0;
	model_rows_free(&v->rows);
	model_rows_free(&v->rows2);
}

static const struct talk_row *row_of(struct listview *v, int talk)
{
	if (talk < 0)
		return NULL;
	if ((size_t)talk < v->rows.n)
		return &v->rows.rows[talk];
	return &v->rows2.rows[(size_t)talk - v->rows.n];
}

static void day_heading(struct listview *v, const char *stamp)
{
	char day[11], label[16];
	snprintf(day, sizeof day, "%.10s", stamp);
	if (!stamp[0])
		snprintf(label, sizeof label, "Unscheduled");
	else
		ltime_day_label(day, label, sizeof label);
	add(v, -1, ui_attr(ROLE_HEADER), "%s", label);
}

static void build_agenda(struct screen *s, struct listview *v)
{
	struct talk_query q = { .conf = s->app->conf.id, .mine = true };
	struct ly_error err;
	if (model_talks(s->app->st, &q, &v->rows, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return;
	}
	if (!v->rows.n) {
		add(v, -1, A_DIM, "Nothing planned yet: press p on a talk to plan it, a when you attended.");
		return;
	}
	char last_day[11] = "-";
	const char *prev_end = NULL;
	size_t run = 0; /* first talk of the current run of overlapping talks */
	for (size_t i = 0; i < v->rows.n; i++) {
		const struct talk_row *t = &v->rows.rows[i];
		/* A run ends when this talk starts at or after every earlier end. */
		if (i && (!prev_end || !t->start[0] || strcmp(t->start, prev_end) >= 0)) {
			add_clash_pairs(v, run, i - 1);
			run = i;
		}
		char day[11] = "";
		int64_t m;
		if (t->start[0] && ltime_parse_stamp(t->start, &m))
			ltime_conf_day(m, day);
		if (strcmp(day, last_day) != 0) {
			if (i)
				add(v, -1, 0, NULL);
			day_heading(v, day[0] ? t->start : "");
			snprintf(last_day, sizeof last_day, "%s", day);
			prev_end = NULL;
		}
		/* A free gap between this talk and the previous one. */
		int64_t a, b;
		if (prev_end && t->start[0] && ltime_parse_stamp(prev_end, &a) && ltime_parse_stamp(t->start, &b) && b > a) {
			char x[6], y[6];
			ui_hhmm(prev_end, x);
			ui_hhmm(t->start, y);
			add(v, -1, A_DIM, "        free %s\xe2\x80\x93%s (%dh%02d)", x, y, (int)((b - a) / 60), (int)((b - a) % 60));
		}
		struct line *l = add(v, (int)i, 0, NULL);
		if (l)
			model_concurrent_count(s->app->st, t->id, &l->others, NULL);
		if (t->end[0] && (!prev_end || strcmp(t->end, prev_end) > 0))
			prev_end = t->end;
	}
	add_clash_pairs(v, run, v->rows.n - 1);
}

static void build_now(struct screen *s, struct listview *v)
{
	int64_t now = ltime_now();
	struct ly_error err;
	if (model_now_next(s->app->st, s->app->conf.id, now, &v->rows, &v->rows2, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return;
	}
	char stamp[17], day[11], label[16];
	ltime_format_stamp(now, stamp);
	snprintf(day, sizeof day, "%.10s", stamp);
	ltime_day_label(day, label, sizeof label);
	add(v, -1, ui_attr(ROLE_NOW), "Now: %s %s", label, stamp + 11);
	if (!v->rows.n)
		add(v, -1, A_DIM, "  nothing is running");
	for (size_t i = 0; i < v->rows.n; i++)
		add(v, (int)i, 0, NULL);
	add(v, -1, 0, NULL);
	add(v, -1, ui_attr(ROLE_HEADER), "Next");
	if (!v->rows2.n)
		add(v, -1, A_DIM, "  nothing else today");
	for (size_t i = 0; i < v->rows2.n; i++)
		add(v, (int)(v->rows.n + i), 0, NULL);
}

static void build_review(struct screen *s, struct listview *v)
{
	struct app *app = s->app;
	struct talk_query q = { .conf = app->conf.id, .status = STATUS_ATTENDED, .order = ORDER_RATING };
	struct ly_error err;
	const struct counts *c = &app->counts;
	add(v, -1, ui_attr(ROLE_HEADER), "%d planned \xc2\xb7 %d attended \xc2\xb7 %d skipped \xc2\xb7 %d rated", c->planned,
	    c->attended, c->skipped, c->rated);
	int max = 1;
	for (int r = 1; r <= 5; r++)
		if (c->stars[r] > max)
			max = c->stars[r];
	for (int r = 5; r >= 1; r--) {
		char bar[128] = "";
		int n = c->stars[r] * 30 / max, o = 0;
		for (int i = 0; i < n && o < (int)sizeof bar - 4; i++)
			o += snprintf(bar + o, sizeof bar - (size_t)o, "%s", "\xe2\x96\x88"); /* █ */
		char stars[32];
		add(v, -1, ui_attr(ROLE_RATING), "  %s %s %d", ui_stars(r, stars), bar, c->stars[r]);
	}
	struct track_ratings tr;
	if (model_track_ratings(app->st, app->conf.id, &tr, &err) == LY_OK) {
		if (tr.n)
			add(v, -1, 0, NULL), add(v, -1, ui_attr(ROLE_HEADER), "By track (average rating)");
		for (size_t i = 0; i < tr.n; i++)
			add(v, -1, 0, "  %.1f  %-34s  %d talk%s", tr.items[i].average, *tr.items[i].track ? tr.items[i].track : "(no track)",
			    tr.items[i].rated, tr.items[i].rated == 1 ? "" : "s");
		model_track_ratings_free(&tr);
	}
	if (model_talks(app->st, &q, &v->rows, &err) != LY_OK) {
		ui_message(app, true, "%s", err.msg);
		return;
	}
	bool to_rate = false, rated = false;
	for (size_t i = 0; i < v->rows.n; i++) {
		const struct talk_row *t = &v->rows.rows[i];
		if (!t->rating && !to_rate) {
			add(v, -1, 0, NULL);
			add(v, -1, ui_attr(ROLE_CLASH), "To rate (attended, no rating yet)");
			to_rate = true;
		}
		if (t->rating && !rated) {
			add(v, -1, 0, NULL);
			add(v, -1, ui_attr(ROLE_HEADER), "Rated, best first");
			rated = true;
		}
		add(v, (int)i, 0, NULL);
		char *take = NULL;
		if (store_get_takeaways(app->st, t->id, &take, NULL) == LY_OK && take && *take) {
			take[strcspn(take, "\n")] = '\0';
			add(v, -1, A_DIM, "            %s", take);
		}
		free(take);
	}
	if (!v->rows.n) {
		add(v, -1, 0, NULL);
		add(v, -1, A_DIM, "No attended talks yet: press a on a talk you attended, then 1-5 to rate it.");
	}
}

static void build_alternatives(struct screen *s, struct listview *v)
{
	struct ly_error err;
	struct talk_detail d;
	if (model_talk(s->app->st, v->about, &d, &err) != LY_OK)
		return;
	add(v, -1, ui_attr(ROLE_HEADER), "At the same time as: %s", d.title);
	model_talk_free(&d);
	if (model_concurrent(s->app->st, v->about, &v->rows, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return;
	}
	if (!v->rows.n)
		add(v, -1, A_DIM, "  nothing else runs then");
	for (size_t i = 0; i < v->rows.n; i++)
		add(v, (int)i, 0, NULL);
}

static void build(struct screen *s)
{
	struct listview *v = s->priv;
	clear_lines(v);
	switch (v->kind) {
	case K_AGENDA: build_agenda(s, v); break;
	case K_NOW: build_now(s, v); break;
	case K_REVIEW: build_review(s, v); break;
	case K_ALTERNATIVES: build_alternatives(s, v); break;
	}
	/* Put the cursor on a talk. */
	if (v->sel >= v->nlines || v->sel < 0 || v->lines[v->sel].talk < 0) {
		int keep = v->sel;
		v->sel = -1;
		for (int i = keep > 0 ? keep : 0; i < v->nlines && v->sel < 0; i++)
			if (v->lines[i].talk >= 0)
				v->sel = i;
		for (int i = 0; i < v->nlines && v->sel < 0; i++)
			if (v->lines[i].talk >= 0)
				v->sel = i;
	}
}

static const char *const names[] = { "Agenda", "Now / Next", "Review", "Same time" };

static int open_kind(struct screen *s, enum kind kind, int64_t about)
{
	struct listview *v = s->priv;
	v->kind = kind;
	v->about = about;
	build(s);
	return LY_OK;
}

static int agenda_open(struct screen *s, const struct ui_target *on)
{
	(void)on;
	return open_kind(s, K_AGENDA, 0);
}

static int nownext_open(struct screen *s, const struct ui_target *on)
{
	(void)on;
	return open_kind(s, K_NOW, 0);
}

static int review_open(struct screen *s, const struct ui_target *on)
{
	(void)on;
	return open_kind(s, K_REVIEW, 0);
}

static int alternatives_open(struct screen *s, const struct ui_target *on)
{
	if (!on->talk) {
		ui_message(s->app, false, "select a talk first");
		return LY_ERR;
	}
	return open_kind(s, K_ALTERNATIVES, on->talk);
}

static void list_close(struct screen *s)
{
	struct listview *v = s->priv;
	clear_lines(v);
	free(v->lines);
}

static void list_reload(struct screen *s, int64_t talk)
{
	(void)talk;
	build(s);
}

/* "! clash: A  ×  B", each title given half the room left. */
static void draw_clash(struct listview *v, const struct line *l, int y, int w)
{
	int attr = l->attr;
	ui_text(y, 0, w, 0, "");
	int x = 15 + ui_text_nopad(y, 15, w - 15, attr, "! clash: ");
	int each = (w - x - 4) / 2;
	if (each < 4)
		return;
	x += ui_text_nopad(y, x, each, attr, row_of(v, l->clash[0])->title);
	x += ui_text_nopad(y, x, 3, attr, " \xc3\x97 "); /* × */
	ui_text_nopad(y, x, w - x, attr, row_of(v, l->clash[1])->title);
}

static void draw_row(struct listview *v, const struct line *l, int y, int w, bool selected)
{
	const struct talk_row *t = row_of(v, l->talk);
	char a[6], b[6], extra[160] = "";
	ui_hhmm(t->start, a);
	ui_until(t->start, t->end, b);
	int64_t now = ltime_now(), ts, te;
	if (v->kind == K_NOW && ltime_parse_stamp(t->start, &ts)) {
		if (ts > now)
			snprintf(extra, sizeof extra, "in %d min", (int)(ts - now));
		else if (t->end[0] && ltime_parse_stamp(t->end, &te))
			snprintf(extra, sizeof extra, "%d min left", (int)(te - now));
	} else if (v->kind == K_AGENDA) {
		int n = l->others;
		if (t->flags & TALK_REMOVED)
			snprintf(extra, sizeof extra, "removed");
		else if (t->flags & TALK_MOVED)
			snprintf(extra, sizeof extra, "moved \xc2\xb7 +%d", n);
		else
			snprintf(extra, sizeof extra, "+%d same time", n);
	} else {
		snprintf(extra, sizeof extra, "%s", t->track);
	}
	int attr = selected ? ui_attr(ROLE_SELECTED) : (t->flags & TALK_REMOVED) ? (int)A_DIM : (int)A_NORMAL;
	ui_text(y, 0, w, attr, "");
	char line[700];
	int x;
	if (v->kind == K_REVIEW) {
		/* " ★★★★★ ✓ ! Title ... Track": the time matters less than the rating. */
		char stars[32];
		ui_text_nopad(y, 1, 5, selected ? attr : ui_attr(ROLE_RATING), t->rating ? ui_stars(t->rating, stars) : "  -  ");
		ui_text_nopad(y, 7, 1, selected ? attr : ui_attr(ui_status_role(t->status)), ui_status_glyph(t->status));
		x = 9;
	} else {
		snprintf(line, sizeof line, " %s\xe2\x80\x93%s", a, t->end[0] ? b : "     ");
		ui_text_nopad(y, 0, 12, attr, line);
		ui_text_nopad(y, 13, 1, selected ? attr : ui_attr(ui_status_role(t->status)), ui_status_glyph(t->status));
		x = 15;
	}
	if (t->flags & TALK_CLASH)
		ui_text_nopad(y, x, 1, selected ? attr : ui_attr(ROLE_CLASH), "!");
	else if (t->flags & TALK_MOVED)
		ui_text_nopad(y, x, 1, selected ? attr : ui_attr(ROLE_CLASH), "~");
	x += 2;
	int room_w = v->kind == K_REVIEW ? 0 : w >= 100 ? 16 : 12;
	int extra_w = v->kind == K_REVIEW ? (w >= 100 ? 28 : 20) : 14;
	if (w < 80)
		extra_w = v->kind == K_REVIEW ? 0 : extra_w;
	if (w < 70) /* narrow: keep the minutes in Now/Next, drop the rest */
		extra_w = v->kind == K_NOW ? 11 : 0, room_w = room_w ? 10 : 0;
	ui_text_nopad(y, x, w - x - room_w - extra_w - 2, attr, t->title);
	if (room_w)
		ui_text_nopad(y, w - room_w - extra_w - 1, room_w, selected ? attr : (int)A_DIM, t->room);
	if (extra_w)
		ui_text_nopad(y, w - extra_w, extra_w, selected ? attr : ui_attr(ROLE_LABEL), extra);
}

static void list_draw(struct screen *s)
{
	struct listview *v = s->priv;
	int top = s->top, h = s->h, w = s->w;
	ui_text(top, 0, w, ui_attr(ROLE_HEADER) | (int)A_REVERSE, names[v->kind]);
	int rows = h - 1;
	if (v->sel >= 0) {
		if (v->sel < v->off)
			v->off = v->sel;
		if (v->sel >= v->off + rows)
			v->off = v->sel - rows + 1;
		/* Show the heading above the first talk. */
		if (v->off > 0 && v->sel - v->off < 2 && v->lines[v->off - 1].talk < 0)
			v->off--;
	}
	for (int i = 0; i < rows; i++) {
		int k = v->off + i;
		if (k >= v->nlines)
			break;
		const struct line *l = &v->lines[k];
		int y = top + 1 + i;
		if (l->clash[0] >= 0) {
			draw_clash(v, l, y, w);
			continue;
		}
		if (l->talk < 0) {
			ui_text(y, 1, w - 1, l->attr, l->text ? l->text : "");
			continue;
		}
		draw_row(v, l, y, w, k == v->sel);
	}
}

static void move_sel(struct listview *v, int dir, int steps)
{
	int at = v->sel;
	for (int n = 0; n < steps; n++) {
		int i = at + dir;
		while (i >= 0 && i < v->nlines && v->lines[i].talk < 0)
			i += dir;
		if (i < 0 || i >= v->nlines)
			break;
		at = i;
	}
	v->sel = at;
}

static const struct talk_row *selected(struct listview *v)
{
	return v->sel >= 0 && v->sel < v->nlines ? row_of(v, v->lines[v->sel].talk) : NULL;
}

static int list_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)key;
	(void)keycode;
	struct listview *v = s->priv;
	switch (a) {
	case ACT_MOVE_DOWN: move_sel(v, 1, 1); return H_HANDLED;
	case ACT_MOVE_UP: move_sel(v, -1, 1); return H_HANDLED;
	case ACT_PAGE_DOWN: move_sel(v, 1, 10); return H_HANDLED;
	case ACT_PAGE_UP: move_sel(v, -1, 10); return H_HANDLED;
	case ACT_FIRST: move_sel(v, -1, v->nlines); return H_HANDLED;
	case ACT_LAST: move_sel(v, 1, v->nlines); return H_HANDLED;
	default: return H_UNHANDLED; /* Enter, o, marks: the driver, on current() */
	}
}

static int64_t list_current(struct screen *s)
{
	const struct talk_row *t = selected(s->priv);
	return t ? t->id : 0;
}

/* One ops table per view; they share everything but open. */
#define LIST_SCREEN(var, title, opener, keys) \
	const struct screen_ops var = { \
		.name = title, \
		.priv_size = sizeof(struct listview), \
		.open = opener, \
		.draw = list_draw, \
		.handle = list_handle, \
		.close = list_close, \
		.reload = list_reload, \
		.current = list_current, \
		.hints = keys, \
	};

#define LIST_HINTS "j/k:move  Enter:open  o:same time  p:plan  a:attended  x:skip  1-5:rate  Esc:back"
LIST_SCREEN(agenda_screen, "Agenda", agenda_open, LIST_HINTS)
LIST_SCREEN(nownext_screen, "Now / Next", nownext_open, LIST_HINTS)
LIST_SCREEN(review_screen, "Review", review_open, LIST_HINTS)
LIST_SCREEN(alternatives_screen, "Same time", alternatives_open, LIST_HINTS)
