/* Same time: the talks that overlap one talk, when its room is full.
 * s switches: the chosen talk attended, the planned one skipped. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "lanyard/ui_list.h"

struct sametime {
	struct linelist l;
	struct talk_rows rows;
	int64_t about;
	char *title;
	char day[11];
};

static void build(struct screen *s)
{
	struct sametime *v = s->priv;
	const struct talk_row *cur = ll_current(&v->l);
	int64_t keep = cur ? cur->id : 0;
	ll_clear(&v->l);
	model_rows_free(&v->rows);
	struct ly_error err;
	if (model_concurrent(s->app->st, v->about, &v->rows, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return;
	}
	ll_add(&v->l, NULL, ui_attr(ROLE_HEADER), "At the same time as: %s", v->title ? v->title : "");
	if (!v->rows.n)
		ll_add(&v->l, NULL, ui_attr(ROLE_DIM), "  nothing else runs then");
	for (size_t i = 0; i < v->rows.n; i++)
		ll_add(&v->l, &v->rows.rows[i], 0, NULL);
	ll_rebuilt(&v->l, keep, true);
}

static int sametime_open(struct screen *s, const struct ui_target *on)
{
	struct sametime *v = s->priv;
	if (!on->talk) {
		ui_message(s->app, false, "%s", on->how ? on->how : "select a talk first");
		return LY_ERR;
	}
	struct talk_detail d;
	struct ly_error err;
	if (model_talk(s->app->st, on->talk, &d, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return LY_ERR;
	}
	v->about = on->talk;
	v->title = d.title;
	d.title = NULL;
	model_talk_free(&d);
	build(s);
	return LY_OK;
}

static void sametime_close(struct screen *s)
{
	struct sametime *v = s->priv;
	ll_free(&v->l);
	model_rows_free(&v->rows);
	free(v->title);
}

static void sametime_reload(struct screen *s, int64_t talk)
{
	(void)talk;
	build(s);
}

static void draw_line(void *ctx, const struct ll_line *line, int y, int w, bool selected)
{
	(void)ctx;
	struct ll_cols c = { .room_w = w >= 100 ? 16 : 12, .extra = line->talk->track, .extra_w = w >= 100 ? 24 : 14,
	                     .extra_attr = ui_attr(ROLE_LABEL) };
	ll_talk_row(y, w, line->talk, selected, &c);
}

static void sametime_draw(struct screen *s)
{
	struct sametime *v = s->priv;
	ll_title(s->top, s->w, "Same time");
	ll_draw(&v->l, s->top + 1, s->h - 1, s->w, draw_line, v);
}

static int sametime_handle(struct screen *s, enum action a, int key, bool keycode)
{
	struct sametime *v = s->priv;
	if (keycode && key == KEY_MOUSE) {
		ll_mouse(&v->l, &s->app->mouse, s->top + 1);
		return H_HANDLED;
	}
	return ll_handle(&v->l, a) ? H_HANDLED : H_UNHANDLED;
}

static void sametime_target(struct screen *s, struct ui_target *out)
{
	struct sametime *v = s->priv;
	ll_target(&v->l, v->day, out);
}

static const struct ui_hint hints[] = {
	{ ACT_SWITCH, "switch here", NULL }, { ACT_ATTENDED, "attended", NULL }, { ACT_PLANNED, "plan", NULL },
	{ ACT_TAKEAWAYS, "takeaways", NULL }, { ACT_OPEN, "open", NULL },       { ACT_UNDO, "undo", NULL },
	{ ACT_BACK, "back", NULL },          { 0 },
};

const struct screen_ops alternatives_screen = {
	.name = "Same time",
	.priv_size = sizeof(struct sametime),
	.open = sametime_open,
	.draw = sametime_draw,
	.handle = sametime_handle,
	.close = sametime_close,
	.reload = sametime_reload,
	.target = sametime_target,
	.hints = hints,
};
