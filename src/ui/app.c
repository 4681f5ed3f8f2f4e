/* The driver: screen stack, key dispatch, title and status lines, the
 * "terminal too small" notice. */
#include "lanyard/ui.h"

#include "lanyard/text.h"

#include <curses.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct screen *ui_push(struct app *app, const struct screen_ops *ops, const void *arg)
{
	if (app->depth == (int)(sizeof app->stack / sizeof app->stack[0])) {
		ui_message(app, true, "too many views open; press Esc");
		return NULL;
	}
	struct screen *s = calloc(1, sizeof *s);
	void *priv = ops->priv_size ? calloc(1, ops->priv_size) : NULL;
	if (!s || (ops->priv_size && !priv)) {
		free(s);
		free(priv);
		ui_message(app, true, "out of memory");
		return NULL;
	}
	s->ops = ops;
	s->app = app;
	s->priv = priv;
	if (ops->open && ops->open(s, arg) != LY_OK) {
		if (ops->close)
			ops->close(s);
		free(s->priv);
		free(s);
		return NULL;
	}
	app->stack[app->depth++] = s;
	return s;
}

static void pop(struct app *app)
{
	if (app->depth == 0)
		return;
	struct screen *s = app->stack[--app->depth];
	if (s->ops->close)
		s->ops->close(s);
	free(s->priv);
	free(s);
}

struct screen *ui_main(struct app *app)
{
	return app->depth ? app->stack[0] : NULL;
}

void ui_message(struct app *app, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(app->message, sizeof app->message, fmt, ap);
	va_end(ap);
	app->message_error = error;
}

void ui_changed(struct app *app)
{
	struct ly_error err;
	if (model_counts(app->st, app->conf.id, &app->counts, &err) != LY_OK)
		ui_message(app, true, "%s", err.msg);
	for (int i = 0; i < app->depth; i++)
		if (app->stack[i]->ops->reload)
			app->stack[i]->ops->reload(app->stack[i]);
}

int ui_mark(struct app *app, int64_t id, enum talk_status current, const char *title, enum action a)
{
	struct ly_error err;
	int rc;
	if (a == ACT_PLANNED || a == ACT_ATTENDED || a == ACT_SKIPPED) {
		enum talk_status want = a == ACT_PLANNED ? STATUS_PLANNED : a == ACT_ATTENDED ? STATUS_ATTENDED : STATUS_SKIPPED;
		enum talk_status now = current == want ? STATUS_NONE : want;
		if ((rc = store_set_status(app->st, id, now, &err)) == LY_OK)
			ui_message(app, false, "%s: %s", now ? store_status_name(now) : "unmarked", title);
	} else if (a >= ACT_RATE_1 && a <= ACT_RATE_5) {
		int r = a - ACT_RATE_1 + 1;
		if ((rc = store_set_rating(app->st, id, r, &err)) == LY_OK)
			ui_message(app, false, "rated %d/5: %s", r, title);
	} else if (a == ACT_RATE_0) {
		if ((rc = store_set_rating(app->st, id, 0, &err)) == LY_OK)
			ui_message(app, false, "rating cleared: %s", title);
	} else {
		return H_UNHANDLED;
	}
	if (rc != LY_OK) {
		ui_message(app, true, "%s", err.msg);
		return H_HANDLED;
	}
	return H_HANDLED | H_REDRAW;
}

static void draw_title(struct app *app)
{
	int attr = ui_attr(ROLE_TITLEBAR);
	char right[160];
	const struct counts *c = &app->counts;
	snprintf(right, sizeof right, "%d talks \xc2\xb7 %d planned \xc2\xb7 %d attended \xc2\xb7 %d rated%s ",
	         c->talks, c->planned, c->attended, c->rated, c->clashes ? " \xc2\xb7 clash!" : "");
	if (!app->utf8)
		for (char *p = right; (p = strstr(p, "\xc2\xb7")); p += 2)
			p[0] = ' ', p[1] = '|';
	char left[300];
	const char *view = app->depth > 1 ? app->stack[app->depth - 1]->ops->name : "";
	snprintf(left, sizeof left, " lanyard \xe2\x80\xba %s%s%s", app->conf.name[0] ? app->conf.name : "no schedule",
	         *view ? " \xe2\x80\xba " : "", view);
	if (!app->utf8)
		for (char *p = left; (p = strstr(p, "\xe2\x80\xba")); p += 3)
			p[0] = '>', p[1] = ' ', p[2] = ' ';
	ui_text(0, 0, COLS, attr, left);
	int rw = text_width(right);
	if (rw + text_width(left) + 2 <= COLS)
		ui_text_nopad(0, COLS - rw, rw, attr, right);
}

static void draw_status(struct app *app)
{
	struct screen *top = app->depth ? app->stack[app->depth - 1] : NULL;
	if (app->message[0]) {
		ui_text(LINES - 1, 0, COLS, app->message_error ? ui_attr(ROLE_ERROR) | (int)A_REVERSE : ui_attr(ROLE_STATUSBAR),
		        app->message);
		return;
	}
	ui_text(LINES - 1, 0, COLS, ui_attr(ROLE_STATUSBAR),
	        top && top->ops->hints ? top->ops->hints : "q quit  ? help");
}

static void draw_too_small(void)
{
	erase();
	const char *lines[] = { "Terminal too small", "", "lanyard needs at least 60x16.", "Resize, or press q." };
	int n = 4, top = LINES / 2 - n / 2;
	for (int i = 0; i < n; i++) {
		int w = (int)strlen(lines[i]);
		int x = COLS > w ? (COLS - w) / 2 : 0;
		ui_text_nopad(top + i, x, COLS, i == 0 ? A_BOLD : A_NORMAL, lines[i]);
	}
}

static void draw_empty(void)
{
	const char *lines[] = {
		"No schedule imported yet.", "",
		"Import a conference schedule (a CSV export) with:", "",
		"    lanyard import SCHEDULE.csv", "",
		"or open one straight away:  lanyard SCHEDULE.csv", "",
		"Press q to quit.",
	};
	for (int i = 0; i < 9; i++)
		ui_text_nopad(3 + i, 4, COLS - 8, i == 0 ? A_BOLD : A_NORMAL, lines[i]);
}

static void draw(struct app *app)
{
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		draw_too_small();
		refresh();
		return;
	}
	erase();
	draw_title(app);
	if (app->depth) {
		struct screen *top = app->stack[app->depth - 1];
		top->ops->draw(top, 1, LINES - 2, COLS);
	} else {
		draw_empty();
	}
	draw_status(app);
	refresh();
}

static int global_action(struct app *app, enum action a)
{
	struct screen *main_screen = ui_main(app);
	switch (a) {
	case ACT_QUIT:
	case ACT_BACK:
		if (app->depth > 1) {
			pop(app);
			return H_HANDLED;
		}
		return a == ACT_QUIT || !main_screen ? H_QUIT : H_HANDLED;
	case ACT_REDRAW:
		clearok(stdscr, TRUE);
		return H_HANDLED;
	default:
		break;
	}
	if (!main_screen)
		return H_HANDLED;
	switch (a) {
	case ACT_HELP: ui_push(app, &help_screen, NULL); break;
	case ACT_SEARCH: ui_push(app, &search_screen, NULL); break;
	case ACT_TIMELINE: ui_push(app, &timeline_screen, NULL); break;
	case ACT_AGENDA: ui_push(app, &list_screen, &(struct list_arg){ "agenda", 0 }); break;
	case ACT_NOWNEXT: ui_push(app, &list_screen, &(struct list_arg){ "now", 0 }); break;
	case ACT_REVIEW: ui_push(app, &list_screen, &(struct list_arg){ "review", 0 }); break;
	case ACT_MATCH_NEXT:
	case ACT_MATCH_PREV:
		if (!app->search[0]) {
			if (a == ACT_MATCH_PREV)
				ui_push(app, &list_screen, &(struct list_arg){ "now", 0 });
			else
				ui_message(app, false, "no search yet: press / to search");
			break;
		}
		while (app->depth > 1)
			pop(app);
		browse_match(main_screen, a == ACT_MATCH_NEXT ? 1 : -1);
		break;
	default:
		break;
	}
	return H_HANDLED;
}

int ui_run(struct store *st, const char *conf_name, struct ly_error *err)
{
	struct app app;
	memset(&app, 0, sizeof app);
	app.st = st;
	const char *cs = nl_langinfo(CODESET);
	app.utf8 = cs && strcmp(cs, "UTF-8") == 0;
	int rc = store_conf_find(st, conf_name, &app.conf, err);
	if (rc == LY_ERR || (rc == LY_NOTFOUND && conf_name && *conf_name))
		return LY_ERR;
	bool have_conf = rc == LY_OK;
	if (term_start(err))
		return LY_ERR;
	if (have_conf) {
		ui_changed(&app);
		if (!ui_push(&app, &browse_screen, NULL)) {
			term_stop();
			return ly_fail(err, "%s", app.message);
		}
	}
	for (;;) {
		draw(&app);
		wint_t ch;
		int r = get_wch(&ch);
		if (term_should_quit())
			break;
		if (r == ERR) {
			for (int i = 0; i < app.depth; i++)
				if (app.stack[i]->ops->tick)
					app.stack[i]->ops->tick(app.stack[i]);
			continue;
		}
		bool keycode = r == KEY_CODE_YES;
		if (keycode && ch == KEY_RESIZE)
			continue;
		if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
			if (!keycode && (ch == 'q' || ch == 3))
				break;
			continue;
		}
		app.message[0] = '\0';
		if (keycode && ch == KEY_MOUSE) {
			MEVENT ev;
			if (getmouse(&ev) != OK)
				continue;
			app.mouse = (struct mouse_event){ .y = ev.y, .x = ev.x,
				.click = (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) != 0,
				.wheel_up = (ev.bstate & BUTTON4_PRESSED) != 0,
#ifdef BUTTON5_PRESSED
				.wheel_down = (ev.bstate & BUTTON5_PRESSED) != 0,
#endif
			};
		}
		struct screen *top = app.depth ? app.stack[app.depth - 1] : NULL;
		bool text = top && top->ops->text_input && top->ops->text_input(top);
		enum action a = text ? ACT_NONE : ui_key_action((int)ch, keycode);
		int res = top ? top->ops->handle(top, a, (int)ch, keycode) : H_UNHANDLED;
		if (res & H_POP)
			pop(&app);
		if (res & H_QUIT)
			break;
		if (res & H_REDRAW)
			ui_changed(&app);
		if (!(res & (H_HANDLED | H_POP)) && a != ACT_NONE && (global_action(&app, a) & H_QUIT))
			break;
	}
	while (app.depth)
		pop(&app);
	term_stop();
	return LY_OK;
}
