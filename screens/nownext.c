/* Now / Next by the conference clock: your talks first (running now, then
 * your next planned ones today, however far off), then the rest of what
 * runs now and starts within the hour, and long all-day items (a store, a
 * quiet room, a day-long workshop) last. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "lanyard/ltime.h"
#include "lanyard/ui_list.h"

/* Items running this long or more are listed after the talks. */
#define LONG_MIN 240

struct nownext {
	struct linelist l;
	struct talk_rows now, next, mine;
	char day[11];
};

static bool is_mine(const struct talk_row *t)
{
	return t->status == STATUS_PLANNED || t->status == STATUS_ATTENDED;
}

static bool is_long(const struct talk_row *t)
{
	int64_t a, b;
	return t->start[0] && t->end[0] && ltime_parse_stamp(t->start, &a) && ltime_parse_stamp(t->end, &b) &&
	       b - a >= LONG_MIN;
}

static bool listed(const struct talk_rows *r, int64_t id)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->rows[i].id == id)
			return true;
	return false;
}

enum pick { MINE, OTHERS, LONG };

static bool picked(const struct talk_row *t, enum pick p)
{
	if (is_long(t))
		return p == LONG;
	return p == (is_mine(t) ? MINE : OTHERS);
}

static int add_rows(struct nownext *v, const struct talk_rows *r, enum pick p)
{
	int n = 0;
	for (size_t i = 0; i < r->n; i++)
		if (picked(&r->rows[i], p) && ll_add(&v->l, &r->rows[i], 0, NULL))
			n++;
	return n;
}

static void build(struct screen *s)
{
	struct nownext *v = s->priv;
	const struct talk_row *cur = ll_current(&v->l);
	int64_t keep = cur ? cur->id : 0;
	ll_clear(&v->l);
	model_rows_free(&v->now);
	model_rows_free(&v->next);
	model_rows_free(&v->mine);
	int64_t now = ltime_now();
	struct ly_error err;
	char stamp[17], today[11], label[16];
	ltime_format_stamp(now, stamp);
	ltime_conf_day(now, today);
	if (model_now_next(s->app->st, s->app->conf.id, now, &v->now, &v->next, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return;
	}
	/* Your planned talks later today, beyond the hour Next covers. */
	struct talk_query q = { .conf = s->app->conf.id, .day = today, .status = STATUS_PLANNED };
	if (model_talks(s->app->st, &q, &v->mine, &err) != LY_OK)
		ui_message(s->app, true, "%s", err.msg);
	ltime_day_label(today, label, sizeof label);
	ll_add(&v->l, NULL, ui_attr(ROLE_NOW), "Now: %s %s", label, stamp + 11);
	int n = add_rows(v, &v->now, MINE);
	n += add_rows(v, &v->now, OTHERS);
	if (!n)
		ll_add(&v->l, NULL, ui_attr(ROLE_DIM), "  nothing is running");
	ll_add(&v->l, NULL, 0, NULL);
	ll_add(&v->l, NULL, ui_attr(ROLE_HEADER), "Next");
	/* Yours first, in time order: those within the hour, then later ones. */
	n = add_rows(v, &v->next, MINE);
	for (size_t i = 0; i < v->mine.n; i++) {
		const struct talk_row *t = &v->mine.rows[i];
		if (t->start[0] && strcmp(t->start, stamp) > 0 && !listed(&v->next, t->id) && !is_long(t) &&
		    ll_add(&v->l, t, 0, NULL))
			n++;
	}
	int others = 0;
	for (size_t i = 0; i < v->next.n; i++)
		others += picked(&v->next.rows[i], OTHERS);
	if (n && others)
		ll_add(&v->l, NULL, ui_attr(ROLE_DIM), "and starting soon:");
	n += add_rows(v, &v->next, OTHERS);
	if (!n)
		ll_add(&v->l, NULL, ui_attr(ROLE_DIM), "  nothing else today");
	/* All-day items last. */
	int longs = 0;
	for (int pass = 0; pass < 2; pass++) {
		const struct talk_rows *r = pass ? &v->next : &v->now;
		for (size_t i = 0; i < r->n; i++) {
			if (!is_long(&r->rows[i]))
				continue;
			if (!longs++) {
				ll_add(&v->l, NULL, 0, NULL);
				ll_add(&v->l, NULL, ui_attr(ROLE_HEADER), "All day and long-running");
			}
			ll_add(&v->l, &r->rows[i], 0, NULL);
		}
	}
	ll_rebuilt(&v->l, keep, true);
}

static int nownext_open(struct screen *s, const struct ui_target *on)
{
	(void)on;
	build(s);
	return LY_OK;
}

static void nownext_close(struct screen *s)
{
	struct nownext *v = s->priv;
	ll_free(&v->l);
	model_rows_free(&v->now);
	model_rows_free(&v->next);
	model_rows_free(&v->mine);
}

static void nownext_reload(struct screen *s, int64_t talk)
{
	(void)talk;
	build(s);
}

static void draw_line(void *ctx, const struct ll_line *line, int y, int w, bool selected)
{
	(void)ctx;
	const struct talk_row *t = line->talk;
	char extra[32] = "";
	int64_t now = ltime_now(), ts, te;
	if (ltime_parse_stamp(t->start, &ts)) {
		int64_t d = ts > now ? ts - now : t->end[0] && ltime_parse_stamp(t->end, &te) ? te - now : -1;
		const char *fmt = ts > now ? "in %s" : "%s left";
		char span[16];
		if (d >= 60)
			snprintf(span, sizeof span, "%dh%02d", (int)(d / 60), (int)(d % 60));
		else
			snprintf(span, sizeof span, "%d min", (int)d);
		if (d >= 0)
			snprintf(extra, sizeof extra, fmt, span);
	}
	struct ll_cols c = { .room_w = w >= 100 ? 16 : 12, .extra = extra, .extra_w = 12,
	                     .extra_attr = ui_attr(ROLE_LABEL) };
	ll_talk_row(y, w, t, selected, &c);
}

static void nownext_draw(struct screen *s)
{
	struct nownext *v = s->priv;
	ll_title(s->top, s->w, "Now / Next");
	ll_draw(&v->l, s->top + 1, s->h - 1, s->w, draw_line, v);
}

static int nownext_handle(struct screen *s, enum action a, int key, bool keycode)
{
	struct nownext *v = s->priv;
	if (keycode && key == KEY_MOUSE) {
		ll_mouse(&v->l, &s->app->mouse, s->top + 1);
		return H_HANDLED;
	}
	return ll_handle(&v->l, a) ? H_HANDLED : H_UNHANDLED;
}

static void nownext_target(struct screen *s, struct ui_target *out)
{
	struct nownext *v = s->priv;
	ll_target(&v->l, v->day, out);
}

static const struct ui_hint hints[] = {
	{ ACT_ATTENDED, "attended", NULL }, { ACT_SWITCH, "switch here", NULL }, { ACT_TAKEAWAYS, "takeaways", NULL },
	{ ACT_PLANNED, "plan", NULL },      { ACT_ALTERNATIVES, "same time", NULL }, { ACT_BACK, "back", NULL },
	{ ACT_UNDO, "undo", NULL },         { ACT_OPEN, "open", NULL },          { 0 },
};

const struct screen_ops nownext_screen = {
	.name = "Now / Next",
	.priv_size = sizeof(struct nownext),
	.open = nownext_open,
	.draw = nownext_draw,
	.handle = nownext_handle,
	.close = nownext_close,
	.reload = nownext_reload,
	.target = nownext_target,
	.hints = hints,
};
