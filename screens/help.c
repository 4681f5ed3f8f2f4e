/* Help, generated from the action X-macro and the key table: it cannot
 * drift from the bindings. Every bound action gets a line. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>

struct help {
	int skip, lines, height;
};

/* Short enough for the narrowest screen (60 columns). */
static const char *const extra[] = {
	"Mouse: click selects a pane and row, the wheel scrolls.",
	"Takeaways: Esc returns, Ctrl-T adds the time; autosaved.",
	"Rows: \xe2\x80\xa2 planned \xe2\x9c\x93 attended \xe2\x9c\x97 skipped, \xe2\x98\x85 rating, ! clash",
};

/* Every bound action, in the X-macro's order, in one or two columns. */
static void help_draw(struct screen *s)
{
	struct help *v = s->priv;
	int y0 = s->top + 2, end = s->top + s->h - (int)(sizeof extra / sizeof extra[0]) - 1;
	int ncol = s->w >= 110 ? 2 : 1, col_w = (s->w - 2) / ncol;
	int keys_w = ncol == 2 || s->w < 80 ? 14 : 20;
	v->height = (end - y0) * ncol;
	int row = 0, shown = 0;
	for (int a = 1; a < ACT_COUNT; a++) {
		char keys[96];
		ui_keys_for((enum action)a, keys, sizeof keys);
		if (!keys[0])
			continue;
		if (row++ < v->skip || shown >= v->height)
			continue;
		int c = shown / (end - y0), y = y0 + shown % (end - y0), x = 1 + c * col_w;
		ui_text(y, x, keys_w, ui_attr(ROLE_KEY), keys);
		ui_text(y, x + keys_w, col_w - keys_w - 2, A_NORMAL, ui_action_help((enum action)a));
		shown++;
	}
	v->lines = row;
	char head[96];
	if (v->lines > v->height)
		snprintf(head, sizeof head, "Keys %d\xe2\x80\x93%d of %d (j/k scroll)", v->skip + 1, v->skip + shown, v->lines);
	else
		snprintf(head, sizeof head, "Keys (generated from the key table)");
	ui_text(s->top, 1, s->w - 2, ui_attr(ROLE_HEADER), head);
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
		ui_text(end + 1 + (int)i, 1, s->w - 2, ui_attr(ROLE_DIM), extra[i]);
}

static int help_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)key;
	(void)keycode;
	struct help *v = s->priv;
	int max = v->lines - v->height > 0 ? v->lines - v->height : 0;
	switch (a) {
	case ACT_MOVE_DOWN: v->skip++; break;
	case ACT_PAGE_DOWN: v->skip += v->height > 1 ? v->height - 1 : 1; break;
	case ACT_MOVE_UP: v->skip--; break;
	case ACT_PAGE_UP: v->skip -= v->height > 1 ? v->height - 1 : 1; break;
	case ACT_FIRST: v->skip = 0; break;
	case ACT_LAST: v->skip = max; break;
	default: return H_UNHANDLED;
	}
	if (v->skip > max)
		v->skip = max;
	if (v->skip < 0)
		v->skip = 0;
	return H_HANDLED;
}

static const struct ui_hint hints[] = {
	{ ACT_BACK, "back", NULL }, { ACT_MOVE_DOWN, "scroll", "j/k" }, { ACT_FIRST, "top", NULL }, { 0 },
};

const struct screen_ops help_screen = {
	.name = "Help",
	.priv_size = sizeof(struct help),
	.draw = help_draw,
	.handle = help_handle,
	.hints = hints,
};
