/* X: write the trip report. A prompt for the file, filled with the
 * default place (~/<conference>-trip-report.md) and selected, so Enter
 * takes it and typing replaces it; Enter writes the report (atomically,
 * mode 0600) and says where it went. A leading ~/ is the home directory. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/export.h"
#include "lanyard/ui_line.h"

struct report {
	struct ui_line path;
};

static int report_open(struct screen *s, const struct ui_target *on)
{
	(void)on;
	struct report *v = s->priv;
	char path[1024];
	struct ly_error err;
	if (export_report_default_path(s->app->conf.name, path, sizeof path, &err) != LY_OK)
		path[0] = '\0';
	/* Shown as ~/... when it is under the home directory. */
	const char *home = getenv("HOME");
	size_t hl = home ? strlen(home) : 0;
	char shown[1024];
	if (hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/')
		snprintf(shown, sizeof shown, "~%s", path + hl);
	else
		snprintf(shown, sizeof shown, "%s", path);
	ui_line_set(&v->path, shown, true);
	return LY_OK;
}

static void report_draw(struct screen *s)
{
	struct report *v = s->priv;
	int top = s->top, w = s->w;
	ui_text(top, 0, w, ui_attr(ROLE_HEADER), " Write the trip report (Markdown)");
	ui_text(top + 2, 1, w - 2, A_NORMAL, "Attended talks day by day with your ratings and takeaways,");
	ui_text(top + 3, 1, w - 2, A_NORMAL, "day and conference notes, highlights, lowlights, missed talks.");
	ui_text(top + 5, 1, 7, A_BOLD, "File:");
	int x = ui_line_draw(&v->path, top + 5, 8, w - 9);
	ui_text(top + 7, 1, w - 2, ui_attr(ROLE_DIM), "Enter writes it (an existing file is replaced); Esc cancels.");
	move(top + 5, x < w ? x : w - 1);
}

/* The path typed, with a leading ~/ made the home directory. */
static void expand(const char *typed, char *out, size_t outlen)
{
	const char *home = getenv("HOME");
	if (typed[0] == '~' && typed[1] == '/' && home && *home)
		snprintf(out, outlen, "%s%s", home, typed + 1);
	else
		snprintf(out, outlen, "%s", typed);
}

static int report_handle(struct screen *s, enum action a, int key, bool keycode)
{
	struct report *v = s->priv;
	if (ui_line_key(&v->path, key, keycode))
		return H_HANDLED;
	switch (a) {
	case ACT_OPEN: {
		if (!v->path.len) {
			ui_message(s->app, true, "type where to write the report");
			return H_HANDLED;
		}
		char path[2048];
		struct ly_error err;
		expand(v->path.text, path, sizeof path);
		if (export_report_file(s->app->st, s->app->conf.id, path, &err) != LY_OK) {
			ui_message(s->app, true, "%s", err.msg);
			return H_HANDLED;
		}
		ui_message(s->app, false, "trip report written to %s", v->path.text);
		return H_POP;
	}
	case ACT_BACK:
		ui_message(s->app, false, "no report written");
		return H_POP;
	case ACT_PANE_LEFT: case ACT_PANE_RIGHT: case ACT_FIRST: case ACT_LAST:
		ui_line_keep(&v->path);
		return H_HANDLED;
	default:
		return H_HANDLED;
	}
}

static bool report_text_input(struct screen *s)
{
	(void)s;
	return true;
}

static void report_close(struct screen *s)
{
	(void)s;
}

static const struct ui_hint hints[] = {
	{ ACT_OPEN, "write", NULL },
	{ ACT_BACK, "cancel", NULL },
	{ ACT_NONE, "clear", "Ctrl-U" },
	{ ACT_NONE, NULL, NULL },
};

const struct screen_ops report_screen = {
	.name = "Trip report",
	.priv_size = sizeof(struct report),
	.open = report_open,
	.draw = report_draw,
	.handle = report_handle,
	.close = report_close,
	.text_input = report_text_input,
	.hints = hints,
};
