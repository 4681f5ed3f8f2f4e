/* Review: counts, the ratings as a histogram, averages per track, and the
 * attended talks: the unrated ones first under "To rate", then best
 * first, each with its takeaways in full (wrapped to the screen, line breaks
 * kept): what the trip report will say. It opens on its top,
 * nothing selected until j; g, Home and PgUp come back to it. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/text.h"
#include "lanyard/ui_list.h"

struct review {
	struct linelist l;
	struct talk_rows rows;
	char day[11];
};

struct wrap_ctx {
	struct linelist *l;
};

static void add_wrapped(void *ctx, const char *line, size_t len)
{
	struct wrap_ctx *w = ctx;
	ll_add(w->l, NULL, ui_attr(ROLE_DIM), "         %.*s", (int)len, line);
}

static void build(struct screen *s)
{
	struct review *v = s->priv;
	struct app *app = s->app;
	const struct talk_row *cur = ll_current(&v->l);
	int64_t keep = cur ? cur->id : 0;
	ll_clear(&v->l);
	model_rows_free(&v->rows);
	struct ly_error err;
	const struct counts *c = &app->counts;
	ll_add(&v->l, NULL, ui_attr(ROLE_HEADER), "%d planned \xc2\xb7 %d attended \xc2\xb7 %d skipped \xc2\xb7 %d rated",
	       c->planned, c->attended, c->skipped, c->rated);
	int max = 1;
	for (int r = 1; r <= 5; r++)
		if (c->stars[r] > max)
			max = c->stars[r];
	for (int r = 5; r >= 1; r--) {
		char bar[128] = "", stars[32];
		int n = c->stars[r] * 30 / max, o = 0;
		for (int i = 0; i < n && o < (int)sizeof bar - 4; i++)
			o += snprintf(bar + o, sizeof bar - (size_t)o, "%s", "\xe2\x96\x88"); /* █ */
		ll_add(&v->l, NULL, ui_attr(ROLE_RATING), " %s %s %d", ui_stars(r, stars), bar, c->stars[r]);
	}
	struct track_ratings tr;
	if (model_track_ratings(app->st, app->conf.id, &tr, &err) == LY_OK) {
		if (tr.n)
			ll_add(&v->l, NULL, 0, NULL), ll_add(&v->l, NULL, ui_attr(ROLE_HEADER), "By track (average rating)");
		for (size_t i = 0; i < tr.n; i++)
			ll_add(&v->l, NULL, 0, " %.1f  %-34s  %d talk%s", tr.items[i].average,
			       *tr.items[i].track ? tr.items[i].track : "(no track)", tr.items[i].rated,
			       tr.items[i].rated == 1 ? "" : "s");
		model_track_ratings_free(&tr);
	}
	struct talk_query q = { .conf = app->conf.id, .status = STATUS_ATTENDED, .order = ORDER_RATING };
	if (model_talks(app->st, &q, &v->rows, &err) != LY_OK) {
		ui_message(app, true, "%s", err.msg);
		return;
	}
	bool to_rate = false, rated = false;
	for (size_t i = 0; i < v->rows.n; i++) {
		const struct talk_row *t = &v->rows.rows[i];
		if (!t->rating && !to_rate) {
			ll_add(&v->l, NULL, 0, NULL);
			ll_add(&v->l, NULL, ui_attr(ROLE_CLASH), "To rate (attended, no rating yet)");
			to_rate = true;
		}
		if (t->rating && !rated) {
			ll_add(&v->l, NULL, 0, NULL);
			ll_add(&v->l, NULL, ui_attr(ROLE_HEADER), "Rated, best first");
			rated = true;
		}
		ll_add(&v->l, t, 0, NULL);
		char *take = NULL;
		if ((t->flags & TALK_NOTES) && store_get_takeaways(app->st, t->id, &take, NULL) == LY_OK && take && *take) {
			char *clean = text_sanitize(take, true);
			struct wrap_ctx w = { &v->l };
			if (clean)
				text_wrap(clean, s->w > 30 ? s->w - 11 : 20, add_wrapped, &w);
			free(clean);
		}
		free(take);
	}
	if (!v->rows.n) {
		ll_add(&v->l, NULL, 0, NULL);
		ll_add(&v->l, NULL, ui_attr(ROLE_DIM), "No attended talks yet: press a on a talk you attended, then 1-5 to rate it.");
	}
	ll_rebuilt(&v->l, keep, keep != 0);
}

static int review_open(struct screen *s, const struct ui_target *on)
{
	(void)on;
	build(s);
	return LY_OK;
}

static void review_close(struct screen *s)
{
	struct review *v = s->priv;
	ll_free(&v->l);
	model_rows_free(&v->rows);
}

static void review_reload(struct screen *s, int64_t talk)
{
	(void)talk;
	build(s);
}

static void review_resize(struct screen *s)
{
	build(s); /* the takeaways wrap to the new width */
}

static void draw_line(void *ctx, const struct ll_line *line, int y, int w, bool selected)
{
	(void)ctx;
	const struct talk_row *t = line->talk;
	struct ll_cols c = { .stars = true, .extra = t->track, .extra_w = w >= 100 ? 28 : 20,
	                     .extra_attr = ui_attr(ROLE_LABEL) };
	ll_talk_row(y, w, t, selected, &c);
}

static void review_draw(struct screen *s)
{
	struct review *v = s->priv;
	ll_title(s->top, s->w, "Review");
	ll_draw(&v->l, s->top + 1, s->h - 1, s->w, draw_line, v);
}

static int review_handle(struct screen *s, enum action a, int key, bool keycode)
{
	struct review *v = s->priv;
	if (keycode && key == KEY_MOUSE) {
		ll_mouse(&v->l, &s->app->mouse, s->top + 1);
		return H_HANDLED;
	}
	return ll_handle(&v->l, a) ? H_HANDLED : H_UNHANDLED;
}

static void review_target(struct screen *s, struct ui_target *out)
{
	struct review *v = s->priv;
	ll_target(&v->l, v->day, out);
}

static const struct ui_hint hints[] = {
	{ ACT_MOVE_DOWN, "choose", NULL }, { ACT_RATE_1, "rate", "1-5" }, { ACT_TAKEAWAYS, "takeaways", NULL },
	{ ACT_FIRST, "top", NULL },        { ACT_OPEN, "open", NULL },    { ACT_UNDO, "undo", NULL },
	{ ACT_BACK, "back", NULL },        { 0 },
};

const struct screen_ops review_screen = {
	.name = "Review",
	.priv_size = sizeof(struct review),
	.open = review_open,
	.draw = review_draw,
	.handle = review_handle,
	.close = review_close,
	.reload = review_reload,
	.resize = review_resize,
	.target = review_target,
	.hints = hints,
};
