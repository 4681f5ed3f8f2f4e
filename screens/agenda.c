/* Agenda: my planned and attended talks by day, the free time between
 * them, how many other talks run at the same time, schedule changes, and
 * one line per clash naming every talk in it. During the conference it
 * opens on today, with a "now" line at the time. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "lanyard/ltime.h"
#include "lanyard/ui_list.h"

struct agenda {
	struct linelist l;
	struct talk_rows rows;
	char day[11];            /* the selected talk's day, for the target */
};

/* After a run of talks chained by overlaps (rows first..last): one line
 * naming every talk of the run that overlaps another. */
static void add_clash(struct agenda *v, size_t first, size_t last)
{
	if (last <= first)
		return;
	struct ll_line *line = NULL;
	for (size_t i = first; i <= last; i++) {
		bool overlaps = false;
		for (size_t j = first; j <= last && !overlaps; j++) {
			const struct talk_row *a = &v->rows.rows[i], *b = &v->rows.rows[j];
			overlaps = i != j && model_overlaps(a->start, a->end, b->start, b->end);
		}
		if (!overlaps)
			continue;
		if (!line && !(line = ll_add(&v->l, NULL, ui_attr(ROLE_CLASH), NULL)))
			return;
		if (line->nwith < LL_WITH_MAX)
			line->with[line->nwith++] = &v->rows.rows[i];
	}
}

static void day_of(const char *stamp, char day[11])
{
	int64_t m;
	day[0] = '\0';
	if (stamp[0] && ltime_parse_stamp(stamp, &m))
		ltime_conf_day(m, day);
}

/* Today's heading with nothing planned on it, and the "now" line. */
static bool today_alone(struct agenda *v, const char *today, const char *stamp, bool gap)
{
	char label[16];
	ltime_day_label(today, label, sizeof label);
	if (gap)
		ll_add(&v->l, NULL, 0, NULL);
	ll_add(&v->l, NULL, ui_attr(ROLE_HEADER), "%s (today)", label);
	ll_add(&v->l, NULL, ui_attr(ROLE_NOW), "\xe2\x94\x80\xe2\x94\x80 now %s  nothing planned today: w shows what is on",
	       stamp + 11);
	return true;
}

static void build(struct screen *s, bool opening)
{
	struct agenda *v = s->priv;
	const struct talk_row *cur = ll_current(&v->l);
	int64_t keep = cur ? cur->id : 0;
	ll_clear(&v->l);
	model_rows_free(&v->rows);
	struct talk_query q = { .conf = s->app->conf.id, .mine = true };
	struct ly_error err;
	if (model_talks(s->app->st, &q, &v->rows, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return;
	}
	if (!v->rows.n) {
		ll_add(&v->l, NULL, ui_attr(ROLE_DIM), "Nothing planned yet: press p on a talk to plan it, a when you attended.");
		ll_rebuilt(&v->l, 0, false);
		return;
	}
	int64_t now = ltime_now();
	char today[11], stamp[17];
	ltime_conf_day(now, today);
	ltime_format_stamp(now, stamp);
	/* Today gets its heading and "now" line even with nothing planned,
	 * while the conference runs. */
	struct day_list days;
	bool conf_today = false;
	if (model_days(s->app->st, s->app->conf.id, &days, &err) == LY_OK) {
		for (size_t i = 0; i < days.n; i++)
			conf_today |= strcmp(days.items[i].day, today) == 0;
		model_days_free(&days);
	}
	char last_day[11] = "-";
	int after_now = -1;         /* the first talk starting after now */
	const char *prev_end = NULL;
	bool now_shown = false;
	int open_on = -1;           /* today's first talk not over yet */
	size_t run = 0;             /* the first talk of the current run of overlaps */
	for (size_t i = 0; i < v->rows.n; i++) {
		const struct talk_row *t = &v->rows.rows[i];
		/* A run ends when this talk starts at or after every earlier end. */
		if (i && (!prev_end || !t->start[0] || strcmp(t->start, prev_end) >= 0)) {
			add_clash(v, run, i - 1);
			run = i;
		}
		char day[11];
		day_of(t->start, day);
		if (strcmp(day, last_day) != 0) {
			if (!now_shown && strcmp(last_day, today) == 0) {
				ll_add(&v->l, NULL, ui_attr(ROLE_NOW), "\xe2\x94\x80\xe2\x94\x80 now %s", stamp + 11);
				now_shown = true;
			}
			if (!now_shown && conf_today && day[0] && strcmp(last_day, today) < 0 && strcmp(day, today) > 0)
				now_shown = today_alone(v, today, stamp, v->l.n > 0);
			if (v->l.n)
				ll_add(&v->l, NULL, 0, NULL);
			char label[16] = "Unscheduled";
			if (day[0])
				ltime_day_label(day, label, sizeof label);
			ll_add(&v->l, NULL, ui_attr(ROLE_HEADER), "%s%s", label, strcmp(day, today) == 0 ? " (today)" : "");
			snprintf(last_day, sizeof last_day, "%s", day);
			prev_end = NULL;
		}
		/* The "now" line before today's first talk still to start. */
		if (!now_shown && strcmp(day, today) == 0 && strcmp(t->start, stamp) > 0) {
			ll_add(&v->l, NULL, ui_attr(ROLE_NOW), "\xe2\x94\x80\xe2\x94\x80 now %s", stamp + 11);
			now_shown = true;
		}
		/* A free gap between this talk and the previous one. */
		int64_t a, b;
		if (prev_end && t->start[0] && ltime_parse_stamp(prev_end, &a) && ltime_parse_stamp(t->start, &b) && b > a) {
			char x[6], y[6];
			ui_hhmm(prev_end, x);
			ui_hhmm(t->start, y);
			ll_add(&v->l, NULL, ui_attr(ROLE_DIM), "         free %s\xe2\x80\x93%s (%dh%02d)", x, y, (int)((b - a) / 60),
			       (int)((b - a) % 60));
		}
		struct ll_line *line = ll_add(&v->l, t, 0, NULL);
		if (line)
			model_concurrent_count(s->app->st, t->id, &line->num, NULL);
		if (line && open_on < 0 && strcmp(day, today) == 0 && strcmp(t->end[0] ? t->end : t->start, stamp) > 0)
			open_on = v->l.n - 1;
		if (line && after_now < 0 && t->start[0] && strcmp(t->start, stamp) > 0)
			after_now = v->l.n - 1;
		if (t->end[0] && (!prev_end || strcmp(t->end, prev_end) > 0))
			prev_end = t->end;
	}
	add_clash(v, run, v->rows.n - 1);
	if (!now_shown && strcmp(last_day, today) == 0)
		ll_add(&v->l, NULL, ui_attr(ROLE_NOW), "\xe2\x94\x80\xe2\x94\x80 now %s", stamp + 11);
	else if (!now_shown && conf_today && strcmp(last_day, today) < 0)
		today_alone(v, today, stamp, true);
	ll_rebuilt(&v->l, keep, true);
	if (opening && (open_on >= 0 || after_now >= 0))
		ll_select(&v->l, open_on >= 0 ? open_on : after_now);
}

static int agenda_open(struct screen *s, const struct ui_target *on)
{
	(void)on;
	build(s, true);
	return LY_OK;
}

static void agenda_close(struct screen *s)
{
	struct agenda *v = s->priv;
	ll_free(&v->l);
	model_rows_free(&v->rows);
}

static void agenda_reload(struct screen *s, int64_t talk)
{
	(void)talk;
	build(s, false);
}

/* "! clash: A × B × C", the titles sharing the width. */
static void draw_clash(const struct ll_line *line, int y, int w)
{
	ui_text(y, 0, w, 0, "");
	int x = 15 + ui_text_nopad(y, 15, w - 15, line->attr, "! clash: ");
	int n = line->nwith, each = (w - x - 1 - 3 * (n - 1)) / (n > 0 ? n : 1);
	if (each < 4)
		each = 4;
	for (int i = 0; i < n && x < w - 1; i++) {
		if (i)
			x += ui_text_nopad(y, x, w - x, line->attr, " \xc3\x97 "); /* × */
		x += ui_text_nopad(y, x, i == n - 1 ? w - x - 1 : each, line->attr, line->with[i]->title);
	}
}

static void draw_line(void *ctx, const struct ll_line *line, int y, int w, bool selected)
{
	(void)ctx;
	if (!line->talk) {
		draw_clash(line, y, w);
		return;
	}
	const struct talk_row *t = line->talk;
	char extra[48] = "";
	if (t->flags & TALK_REMOVED)
		snprintf(extra, sizeof extra, "removed");
	else if (t->flags & TALK_MOVED)
		snprintf(extra, sizeof extra, "moved");
	else if (line->num > 0)
		snprintf(extra, sizeof extra, "+%d same time", line->num);
	struct ll_cols c = { .room_w = w >= 100 ? 16 : 12, .extra = extra, .extra_w = 14,
	                     .extra_attr = ui_attr(ROLE_LABEL) };
	ll_talk_row(y, w, t, selected, &c);
}

static void agenda_draw(struct screen *s)
{
	struct agenda *v = s->priv;
	ll_title(s->top, s->w, "Agenda");
	ll_draw(&v->l, s->top + 1, s->h - 1, s->w, draw_line, v);
}

static int agenda_handle(struct screen *s, enum action a, int key, bool keycode)
{
	struct agenda *v = s->priv;
	if (keycode && key == KEY_MOUSE) {
		ll_mouse(&v->l, &s->app->mouse, s->top + 1);
		return H_HANDLED;
	}
	return ll_handle(&v->l, a) ? H_HANDLED : H_UNHANDLED;
}

static void agenda_target(struct screen *s, struct ui_target *out)
{
	struct agenda *v = s->priv;
	ll_target(&v->l, v->day, out);
}

static const struct ui_hint hints[] = {
	{ ACT_OPEN, "open", NULL },       { ACT_TAKEAWAYS, "takeaways", NULL }, { ACT_ALTERNATIVES, "same time", NULL },
	{ ACT_SWITCH, "switch", NULL },   { ACT_ATTENDED, "attended", NULL },   { ACT_SKIPPED, "skip", NULL },
	{ ACT_UNDO, "undo", NULL },       { ACT_BACK, "back", NULL },           { 0 },
};

const struct screen_ops agenda_screen = {
	.name = "Agenda",
	.priv_size = sizeof(struct agenda),
	.open = agenda_open,
	.draw = agenda_draw,
	.handle = agenda_handle,
	.close = agenda_close,
	.reload = agenda_reload,
	.target = agenda_target,
	.hints = hints,
};
