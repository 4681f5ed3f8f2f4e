/* One talk on the whole screen: every fact, the whole abstract and the
 * takeaways, scrollable. Marking keys work here too. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "lanyard/ltime.h"

struct talk_view {
	int64_t id;
	struct talk_detail d;
	bool loaded;
	int skip, lines, height;
};

static int talk_open(struct screen *s, const void *arg)
{
	struct talk_view *v = s->priv;
	v->id = *(const int64_t *)arg;
	struct ly_error err;
	if (model_talk(s->app->st, v->id, &v->d, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return LY_ERR;
	}
	v->loaded = true;
	return LY_OK;
}

static void talk_close(struct screen *s)
{
	struct talk_view *v = s->priv;
	if (v->loaded)
		model_talk_free(&v->d);
}

static void talk_refresh(struct screen *s)
{
	struct talk_view *v = s->priv;
	struct talk_detail d;
	struct ly_error err;
	if (model_talk(s->app->st, v->id, &d, &err) != LY_OK)
		return;
	talk_close(s);
	v->d = d;
	v->loaded = true;
}

static void talk_draw(struct screen *s, int top, int h, int w)
{
	struct talk_view *v = s->priv;
	const struct talk_detail *d = &v->d;
	struct app *app = s->app;
	int x = 2, cw = w - 4, y = top + 1, end = top + h;
	char line[600], label[16], a[6], b[6];
	ui_wrap(y, x, 2, cw, A_BOLD, d->title, 0);
	y += ui_wrap(-10, x, 0, cw, A_BOLD, d->title, 0) > 1 ? 2 : 1;
	ltime_day_label(d->day, label, sizeof label);
	ui_hhmm(d->start, a);
	ui_hhmm(d->end, b);
	if (d->start[0])
		snprintf(line, sizeof line, "%s  %s\xe2\x80\x93%s  %s", label, a, d->end[0] ? b : "", d->room);
	else
		snprintf(line, sizeof line, "Unscheduled  %s", d->room);
	ui_text(y++, x, cw, ui_attr(ROLE_LABEL), line);
	snprintf(line, sizeof line, "Track: %s   Type: %s   Key: %s", *d->track ? d->track : "-", *d->type ? d->type : "-", d->key);
	ui_text(y++, x, cw, A_DIM, line);
	if (*d->speakers)
		ui_text(y++, x, cw, A_NORMAL, d->speakers);
	snprintf(line, sizeof line, "You: %s %s   %s", ui_status_glyph(app, d->status),
	         d->status ? store_status_name(d->status) : "not marked", d->rating ? ui_stars(app, d->rating) : "not rated");
	ui_text(y++, x, cw, ui_attr(ui_status_role(d->status)), line);
	for (size_t i = 0; i < d->nclashes && y < end; i++) {
		snprintf(line, sizeof line, "%s %s", d->flags & TALK_CLASH ? "! Clashes with" : "  Overlaps your", d->clashes[i]);
		ui_text(y++, x, cw, ui_attr(ROLE_CLASH), line);
	}
	if (d->flags & TALK_REMOVED)
		ui_text(y++, x, cw, ui_attr(ROLE_CLASH), "Removed from the schedule in the last update; your notes are kept.");
	y++;
	/* The scrolling part: abstract, then takeaways. */
	char body[16384];
	snprintf(body, sizeof body, "%s%s%s", d->abstract, *d->takeaways ? "\n\n\xe2\x80\x94 Your takeaways \xe2\x80\x94\n" : "",
	         d->takeaways);
	v->height = end - y;
	if (v->height > 0)
		v->lines = ui_wrap(y, x, v->height, cw, A_NORMAL, body, v->skip);
}

static int talk_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)key;
	(void)keycode;
	struct talk_view *v = s->priv;
	int max = v->lines - v->height > 0 ? v->lines - v->height : 0;
	switch (a) {
	case ACT_MOVE_DOWN: v->skip += v->skip < max; return H_HANDLED;
	case ACT_MOVE_UP: v->skip -= v->skip > 0; return H_HANDLED;
	case ACT_PAGE_DOWN: v->skip = v->skip + v->height < max ? v->skip + v->height : max; return H_HANDLED;
	case ACT_PAGE_UP: v->skip = v->skip > v->height ? v->skip - v->height : 0; return H_HANDLED;
	case ACT_FIRST: v->skip = 0; return H_HANDLED;
	case ACT_LAST: v->skip = max; return H_HANDLED;
	case ACT_OPEN: return H_POP;
	case ACT_TAKEAWAYS:
	case ACT_EDITOR: {
		/* Edit on the main screen, where the editor lives. */
		struct screen *m = ui_main(s->app);
		int64_t id = v->id;
		if (m) {
			browse_jump(m, id);
			ungetch(a == ACT_TAKEAWAYS ? 't' : 'E');
		}
		return H_POP;
	}
	case ACT_ALTERNATIVES:
		ui_push(s->app, &list_screen, &(struct list_arg){ "alternatives", v->id });
		return H_HANDLED;
	default:
		return ui_mark(s->app, v->id, v->d.status, v->d.title, a);
	}
}

const struct screen_ops talk_screen = {
	.name = "Talk",
	.priv_size = sizeof(struct talk_view),
	.open = talk_open,
	.draw = talk_draw,
	.handle = talk_handle,
	.reload = talk_refresh,
	.close = talk_close,
	.hints = "Esc back  j/k scroll  p plan  a attended  x skip  1-5 rate  t takeaways  o same time  ? help",
};
