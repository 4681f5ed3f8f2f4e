/* One talk on the whole screen: every fact, the whole abstract and the
 * takeaways, scrollable. Marking keys and t work here too (through the
 * driver, on the talk this screen reports as its target). */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct talk_view {
	int64_t id;
	struct talk_detail d;
	bool loaded;
	int skip, lines, height;   /* the scrolling body: abstract + takeaways */
};

static int load(struct screen *s)
{
	struct talk_view *v = s->priv;
	struct talk_detail d;
	struct ly_error err;
	if (model_talk(s->app->st, v->id, &d, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return LY_ERR;
	}
	if (v->loaded)
		model_talk_free(&v->d);
	v->d = d;
	v->loaded = true;
	return LY_OK;
}

static int talk_open(struct screen *s, const struct ui_target *on)
{
	struct talk_view *v = s->priv;
	if (!on->talk) {
		ui_message(s->app, false, "select a talk first");
		return LY_ERR;
	}
	v->id = on->talk;
	return load(s);
}

static void talk_close(struct screen *s)
{
	struct talk_view *v = s->priv;
	if (v->loaded)
		model_talk_free(&v->d);
}

static void talk_reload(struct screen *s, int64_t talk)
{
	struct talk_view *v = s->priv;
	if (!talk || talk == v->id)
		load(s);
}

static int line(int y, int end, int x, int w, int attr, const char *text)
{
	if (y >= end)
		return y;
	ui_text(y, x, w, attr, text);
	return y + 1;
}

static void talk_draw(struct screen *s)
{
	struct talk_view *v = s->priv;
	const struct talk_detail *d = &v->d;
	int x = 1, w = s->w - 2, y = s->top + 1, end = s->top + s->h;
	char buf[1024], when[64], stars[32];
	int tl = ui_wrap(y, x, 3, w, A_BOLD, d->title, 0);
	y += tl < 3 ? tl : 3;
	ui_when(d->start, d->end, when, sizeof when);
	snprintf(buf, sizeof buf, "%s%s%s", when, *d->room ? " \xc2\xb7 " : "", d->room);
	y = line(y, end, x, w, ui_attr(ROLE_LABEL), buf);
	snprintf(buf, sizeof buf, "Track: %s   Type: %s", *d->track ? d->track : "-", *d->type ? d->type : "-");
	y = line(y, end, x, w, ui_attr(ROLE_DIM), buf);
	if (*d->speakers && y < end) {
		/* A panel's names wrap, as the title does (three lines at most). */
		int room = end - y < 3 ? end - y : 3;
		int sl = ui_wrap(y, x, room, w, A_NORMAL, d->speakers, 0);
		y += sl < room ? sl : room;
	}
	snprintf(buf, sizeof buf, "You: %s%s%s \xc2\xb7 %s", d->status ? ui_status_glyph(d->status) : "", d->status ? " " : "",
	         d->status ? store_status_name(d->status) : "not marked", d->rating ? ui_stars(d->rating, stars) : "not rated");
	y = line(y, end, x, w, d->status ? ui_attr(ui_status_role(d->status)) : (int)A_NORMAL, buf);
	for (size_t i = 0; i < d->nclashes && i < 3; i++) {
		snprintf(buf, sizeof buf, "%s %s", d->flags & TALK_CLASH ? "! Clashes with" : "  Overlaps your", d->clashes[i]);
		y = line(y, end, x, w, ui_attr(d->flags & TALK_CLASH ? ROLE_CLASH : ROLE_DIM), buf);
	}
	char notes[2][256];
	for (int i = 0, n = ui_change_notes(d, notes); i < n; i++)
		y = line(y, end, x, w, ui_attr(ROLE_TAG), notes[i]);
	if (*d->url)
		y = line(y, end, x, w, ui_attr(ROLE_DIM), d->url);
	int rule = y;
	if (y < end)
		ui_hline(y++, x, w);
	/* The scrolling part: abstract, then takeaways. */
	size_t n = strlen(d->abstract) + strlen(d->takeaways) + 64;
	char *body = malloc(n);
	if (!body)
		return;
	snprintf(body, n, "%s%s%s", d->abstract, *d->takeaways ? "\n\n\xe2\x80\x94 Your takeaways \xe2\x80\x94\n" : "",
	         d->takeaways);
	v->height = end - y;
	v->lines = ui_wrap(y, x, v->height > 0 ? v->height : 0, w, A_NORMAL, body, v->skip);
	free(body);
	/* How far down, on the rule above the text (never over it). */
	if (v->lines > v->height && v->height > 0 && rule < end) {
		snprintf(buf, sizeof buf, " %d%% ", (v->skip + v->height) * 100 / v->lines);
		ui_text_right(rule, 0, s->w - 1, ui_attr(ROLE_DIM), buf);
	}
}

static int talk_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)key;
	(void)keycode;
	struct talk_view *v = s->priv;
	int max = v->lines - v->height > 0 ? v->lines - v->height : 0;
	int page = v->height > 1 ? v->height - 1 : 1;
	switch (a) {
	case ACT_MOVE_DOWN: v->skip += v->skip < max; return H_HANDLED;
	case ACT_MOVE_UP: v->skip -= v->skip > 0; return H_HANDLED;
	case ACT_PAGE_DOWN: v->skip = v->skip + page < max ? v->skip + page : max; return H_HANDLED;
	case ACT_PAGE_UP: v->skip = v->skip > page ? v->skip - page : 0; return H_HANDLED;
	case ACT_FIRST: v->skip = 0; return H_HANDLED;
	case ACT_LAST: v->skip = max; return H_HANDLED;
	default:
		return H_UNHANDLED;
	}
}

static void talk_target(struct screen *s, struct ui_target *out)
{
	struct talk_view *v = s->priv;
	out->talk = v->id;
	out->day = v->d.day;
}

static const struct ui_hint hints[] = {
	{ ACT_BACK, "back", NULL },          { ACT_MOVE_DOWN, "scroll", "j/k" }, { ACT_PLANNED, "plan", NULL },
	{ ACT_ATTENDED, "attended", NULL },  { ACT_RATE_1, "rate", "1-5" },      { ACT_TAKEAWAYS, "takeaways", NULL },
	{ ACT_SWITCH, "switch here", NULL }, { ACT_ALTERNATIVES, "same time", NULL }, { ACT_UNDO, "undo", NULL },
	{ 0 },
};

const struct screen_ops talk_screen = {
	.name = "Talk",
	.priv_size = sizeof(struct talk_view),
	.open = talk_open,
	.draw = talk_draw,
	.handle = talk_handle,
	.close = talk_close,
	.reload = talk_reload,
	.target = talk_target,
	.hints = hints,
};
