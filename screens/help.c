/* Help, generated from the action X-macro and the key table: it cannot
 * drift from the bindings. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>

struct help {
	int skip;
};

static void help_draw(struct screen *s, int top, int h, int w)
{
	struct help *v = s->priv;
	int y = top + 1, row = 0;
	ui_text(y++, 2, w - 4, A_BOLD, "Keys");
	y++;
	for (int a = 1; a < ACT_COUNT; a++) {
		char keys[96];
		ui_keys_for((enum action)a, keys, sizeof keys);
		if (!keys[0])
			continue;
		if (row++ < v->skip)
			continue;
		if (y >= top + h)
			break;
		ui_text(y, 2, 20, ui_attr(ROLE_LABEL), keys);
		ui_text(y, 23, w - 25, A_NORMAL, ui_action_help((enum action)a));
		y++;
	}
	if (y < top + h - 1) {
		y++;
		ui_text(y++, 2, w - 4, A_DIM, "Mouse: click selects, the wheel scrolls.  In the editor: Ctrl-T inserts the time.");
	}
}

static int help_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)key;
	(void)keycode;
	struct help *v = s->priv;
	switch (a) {
	case ACT_MOVE_DOWN: case ACT_PAGE_DOWN: v->skip += a == ACT_PAGE_DOWN ? 10 : 1; break;
	case ACT_MOVE_UP: case ACT_PAGE_UP: v->skip -= a == ACT_PAGE_UP ? 10 : 1; break;
	case ACT_FIRST: v->skip = 0; break;
	case ACT_HELP: return H_POP;
	default: return H_UNHANDLED;
	}
	if (v->skip < 0)
		v->skip = 0;
	if (v->skip > ACT_COUNT)
		v->skip = ACT_COUNT;
	return H_HANDLED;
}

const struct screen_ops help_screen = {
	.name = "Help",
	.priv_size = sizeof(struct help),
	.draw = help_draw,
	.handle = help_handle,
	.hints = "Esc/q back  j/k scroll",
};
