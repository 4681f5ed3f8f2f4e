/* The driver: the screen stack, key dispatch (the top screen first, then
 * the global bindings and the screen registry), the title and status
 * lines, the "terminal too small" notice, resizes and signals. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lanyard/ltime.h"
#include "lanyard/text.h"

/* The registry as a table: the action that opens each screen. */
static const struct {
	enum action action;
	const struct screen_ops *ops;
} registry[] = {
#define UI_SCREEN_ROW(ops, action) { ACT_##action, &ops },
	UI_SCREENS(UI_SCREEN_ROW)
#undef UI_SCREEN_ROW
};

static struct screen *top_screen(struct app *app)
{
	return app->depth ? app->stack[app->depth - 1] : NULL;
}

struct screen *ui_main(struct app *app)
{
	return app->depth ? app->stack[0] : NULL;
}

/* The status line counts; the store may also change under us (the command
 * line, another browser), so views recount when they open. */
static void recount(struct app *app)
{
	struct ly_error err;
	if (model_counts(app->st, app->conf.id, &app->counts, &err) != LY_OK)
		ui_message(app, true, "%s", err.msg);
}

/* Every screen covers the whole area between the title and status lines. */
static void place(struct screen *s)
{
	s->top = 1;
	s->h = LINES - 2;
	s->w = COLS;
}

struct screen *ui_push(struct app *app, const struct screen_ops *ops, const struct ui_target *on)
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
	place(s);
	recount(app);
	struct ui_target none = { 0, NULL };
	if (ops->open && ops->open(s, on ? on : &none) != LY_OK) {
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
	curs_set(0);
}

/* The talk under the top screen's cursor (0: none, or a screen without
 * talks, such as help). */
static int64_t current_talk(struct app *app)
{
	struct screen *s = top_screen(app);
	return s && s->ops->current ? s->ops->current(s) : 0;
}

struct screen *ui_open(struct app *app, enum action a)
{
	for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
		if (registry[i].action != a)
			continue;
		struct screen *m = ui_main(app);
		struct ui_target on = { current_talk(app), m ? browse_day(m) : NULL };
		return ui_push(app, registry[i].ops, &on);
	}
	return NULL;
}

void ui_message(struct app *app, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(app->message, sizeof app->message, fmt, ap);
	va_end(ap);
	app->message_error = error;
}

void ui_changed(struct app *app, int64_t talk)
{
	recount(app);
	for (int i = 0; i < app->depth; i++)
		if (app->stack[i]->ops->reload)
			app->stack[i]->ops->reload(app->stack[i], talk);
}

bool ui_is_mark(enum action a)
{
	switch (a) {
	case ACT_PLANNED: case ACT_ATTENDED: case ACT_SKIPPED: case ACT_RATE_0:
	case ACT_RATE_1: case ACT_RATE_2: case ACT_RATE_3: case ACT_RATE_4: case ACT_RATE_5:
		return true;
	default:
		return false;
	}
}

int ui_mark(struct app *app, int64_t id, enum action a)
{
	if (!ui_is_mark(a))
		return H_UNHANDLED;
	if (!id) {
		ui_message(app, false, "select a talk first");
		return H_HANDLED;
	}
	struct ly_error err;
	struct talk_detail d;
	if (model_talk(app->st, id, &d, &err) != LY_OK) {
		ui_message(app, true, "%s", err.msg);
		return H_HANDLED;
	}
	int rc;
	if (a == ACT_PLANNED || a == ACT_ATTENDED || a == ACT_SKIPPED) {
		enum talk_status want = a == ACT_PLANNED ? STATUS_PLANNED : a == ACT_ATTENDED ? STATUS_ATTENDED : STATUS_SKIPPED;
		enum talk_status to = d.status == want ? STATUS_NONE : want;
		if ((rc = store_set_status(app->st, id, to, &err)) == LY_OK)
			ui_message(app, false, "%s: %s", to ? store_status_name(to) : "unmarked", d.title);
	} else {
		int r = a == ACT_RATE_0 ? 0 : (int)(a - ACT_RATE_1) + 1;
		if ((rc = store_set_rating(app->st, id, r, &err)) == LY_OK) {
			if (r)
				ui_message(app, false, "rated %d/5: %s", r, d.title);
			else
				ui_message(app, false, "rating cleared: %s", d.title);
		}
	}
	model_talk_free(&d);
	if (rc != LY_OK) {
		ui_message(app, true, "not saved: %s", err.msg);
		return H_HANDLED;
	}
	ui_changed(app, id);
	return H_HANDLED;
}

/* ---- the title and status lines -------------------------------------- */

static void draw_title(struct app *app)
{
	int attr = ui_attr(ROLE_TITLEBAR);
	struct screen *top = top_screen(app);
	char where[200] = "";
	if (top && top->ops->where)
		top->ops->where(top, where, sizeof where);
	else if (top && top->ops->name)
		snprintf(where, sizeof where, "%s", top->ops->name);
	char left[2][640];
	const char *name = app->conf.name[0] ? app->conf.name : "no schedule";
	snprintf(left[0], sizeof left[0], " lanyard \xe2\x80\xba %s%s%s ", name, where[0] ? " \xe2\x80\xba " : "", where);
	snprintf(left[1], sizeof left[1], " %s%s%s ", name, where[0] ? " \xe2\x80\xba " : "", where);
	/* Counts, as long as they fit beside the title. */
	const struct counts *c = &app->counts;
	char clash[32] = "", right[3][200];
	if (c->clashes)
		snprintf(clash, sizeof clash, " \xc2\xb7 %d clashing", c->clashes);
	snprintf(right[0], sizeof right[0], "%d talks \xc2\xb7 %d planned \xc2\xb7 %d attended \xc2\xb7 %d rated%s ",
	         c->talks, c->planned, c->attended, c->rated, clash);
	snprintf(right[1], sizeof right[1], "%d planned \xc2\xb7 %d attended%s ", c->planned, c->attended, clash);
	snprintf(right[2], sizeof right[2], "%d\xe2\x80\xa2 %d\xe2\x9c\x93%s ", c->planned, c->attended,
	         c->clashes ? " !" : "");
	static const struct {
		int left, right;
	} tries[] = { { 0, 0 }, { 0, 1 }, { 1, 1 }, { 0, 2 }, { 1, 2 }, { 1, -1 } };
	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		const char *l = left[tries[i].left], *r = tries[i].right >= 0 && app->depth ? right[tries[i].right] : "";
		int lw = text_width(l), rw = text_width(r);
		if (lw + rw + 1 > COLS && i + 1 < sizeof tries / sizeof tries[0])
			continue;
		ui_text(0, 0, COLS, attr, l);
		if (*r)
			ui_text_nopad(0, COLS - rw, rw, attr, r);
		return;
	}
}

static void draw_status(struct app *app)
{
	struct screen *top = top_screen(app);
	int y = LINES - 1;
	ui_text(y, 0, COLS, A_NORMAL, "");
	if (app->message[0]) {
		if (app->message_error)
			ui_text(y, 0, COLS, ui_attr(ROLE_ERROR), app->message);
		else
			ui_text_nopad(y, 1, COLS - 1, A_BOLD, app->message);
		return;
	}
	ui_hints(y, 1, COLS - 1, top && top->ops->hints ? top->ops->hints : "q:quit  ?:help");
}

static void draw_too_small(void)
{
	erase();
	char size[64];
	snprintf(size, sizeof size, "%dx%d here; lanyard needs %dx%d.", COLS, LINES, UI_MIN_COLS, UI_MIN_ROWS);
	const char *lines[] = { "Terminal too small", size, "Enlarge it, or press q to quit." };
	int n = 3, top = LINES / 2 - n / 2;
	for (int i = 0; i < n; i++) {
		int w = text_width(lines[i]);
		int x = COLS > w ? (COLS - w) / 2 : 0;
		ui_text_nopad(top + i, x, COLS - x, i == 0 ? (int)A_BOLD : (int)A_NORMAL, lines[i]);
	}
}

static void draw_empty(void)
{
	static const char *const lines[] = {
		"No conference schedule yet.",
		"",
		"lanyard shows a conference schedule exported as CSV (Sessionize, Sched,",
		"pretalx, a spreadsheet). Import one from the shell:",
		"",
		"    lanyard import SCHEDULE.csv",
		"",
		"or open one straight away:",
		"",
		"    lanyard SCHEDULE.csv",
		"",
		"Press q to quit.",
	};
	int n = (int)(sizeof lines / sizeof lines[0]);
	int top = (LINES - n) / 2 > 2 ? (LINES - n) / 2 : 2;
	for (int i = 0; i < n; i++)
		ui_text_nopad(top + i, 4, COLS - 8, i == 0 ? (int)A_BOLD : i == 5 || i == 9 ? ui_attr(ROLE_KEY) : (int)A_NORMAL,
		              lines[i]);
}

static bool too_small(void)
{
	return COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS;
}

static void draw(struct app *app)
{
	if (too_small()) {
		draw_too_small();
		refresh();
		return;
	}
	erase();
	draw_title(app);
	draw_status(app);
	/* The screen last: one taking text leaves the cursor where it types. */
	struct screen *top = top_screen(app);
	if (top)
		top->ops->draw(top);
	else
		draw_empty();
	/* A screen taking text shows the cursor where it left it. */
	if (!(top && top->ops->text_input && top->ops->text_input(top)))
		curs_set(0);
	refresh();
}

static void resize(struct app *app)
{
	for (int i = 0; i < app->depth; i++) {
		struct screen *s = app->stack[i];
		place(s);
		if (s->ops->resize && !too_small())
			s->ops->resize(s);
	}
}

/* ---- keys ------------------------------------------------------------ */

static void read_mouse(struct app *app)
{
	MEVENT ev;
	memset(&app->mouse, 0, sizeof app->mouse);
	if (getmouse(&ev) != OK)
		return;
	app->mouse = (struct mouse_event){
		.y = ev.y,
		.x = ev.x,
		.click = (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) != 0,
		.wheel_up = (ev.bstate & BUTTON4_PRESSED) != 0,
#ifdef BUTTON5_PRESSED
		.wheel_down = (ev.bstate & BUTTON5_PRESSED) != 0,
#endif
	};
}

/* What is left after the top screen: going back, marks, the registry. */
static int global_action(struct app *app, enum action a)
{
	struct screen *top = top_screen(app);
	switch (a) {
	case ACT_QUIT:
	case ACT_BACK:
		if (app->depth > 1) {
			pop(app);
			return H_HANDLED;
		}
		return a == ACT_QUIT || !top ? H_QUIT : H_HANDLED;
	case ACT_REDRAW:
		clearok(stdscr, TRUE);
		return H_HANDLED;
	default:
		break;
	}
	if (!top)
		return H_HANDLED;
	if (ui_is_mark(a))
		return ui_mark(app, current_talk(app), a);
	if (a == ACT_MATCH_NEXT || a == ACT_MATCH_PREV) {
		if (app->search[0]) {
			while (app->depth > 1)
				pop(app);
			browse_match(ui_main(app), a == ACT_MATCH_NEXT ? 1 : -1);
			return H_HANDLED;
		}
		if (a == ACT_MATCH_NEXT) {
			ui_message(app, false, "no search yet: press / to search");
			return H_HANDLED;
		}
		a = ACT_NOWNEXT; /* N without a search: what's on now */
	}
	for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
		if (registry[i].action != a)
			continue;
		if (top->ops == registry[i].ops) /* the same key again closes it */
			pop(app);
		else
			ui_open(app, a);
		return H_HANDLED;
	}
	return H_HANDLED;
}

/* Texts the store refused earlier, tried again about once a second;
 * the message says when they are in. */
static void retry_pending(struct app *app, int64_t *next_ms)
{
	if (!pending_unsaved(app->pending))
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (now < *next_ms)
		return;
	*next_ms = now + 1000;
	struct ly_error err;
	int merged = 0, before = pending_unsaved(app->pending);
	int left = pending_retry(app->pending, &merged, &err);
	if (left == before)
		return;
	if (merged)
		ui_message(app, false, "saved; changed elsewhere meanwhile, so both versions are kept");
	else if (left)
		ui_message(app, true, "saved some; %d text%s not saved yet: %s", left, left == 1 ? "" : "s", err.msg);
	else
		ui_message(app, false, "saved");
	ui_changed(app, 0);
}

/* The last word at exit: whatever the store still refuses goes to a
 * recovery file beside the database (else in $TMPDIR or /tmp), named in
 * err. LY_OK when nothing was left unsaved. */
static int save_or_recover(struct app *app, struct ly_error *err)
{
	struct ly_error why;
	/* The exit is already under way: a short wait for a lock, no more. */
	store_set_busy_timeout(app->st, 1000);
	if (pending_retry(app->pending, NULL, &why) == 0)
		return LY_OK;
	char dir[4096], path[4200];
	snprintf(dir, sizeof dir, "%s", store_path(app->st));
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int n = pending_unsaved(app->pending);
	if (pending_recover(app->pending, dir, path, sizeof path, err) != LY_OK)
		return ly_fail(err, "%d text%s could not be saved (%s) nor written to a recovery file: %s",
		               n, n == 1 ? "" : "s", why.msg, err->msg);
	return ly_fail(err, "%d text%s could not be saved (%s); written to %s", n, n == 1 ? "" : "s",
	               why.msg, path);
}

/* Day labels name the year only for days outside the conference's (the
 * year most of its days are in). */
static void set_home_year(struct app *app)
{
	struct day_list days;
	struct ly_error err;
	if (model_days(app->st, app->conf.id, &days, &err) != LY_OK)
		return;
	/* Days come in date order, so a year's days are one run. */
	int best = 0, best_n = 0, y = 0, n = 0;
	for (size_t i = 0; i < days.n; i++) {
		int yi = days.items[i].day[0] ? atoi(days.items[i].day) : 0;
		n = yi == y ? n + 1 : 1;
		y = yi;
		if (y && n > best_n)
			best = y, best_n = n;
	}
	ltime_set_home_year(best);
	model_days_free(&days);
}

int ui_run(struct store *st, const char *conf_name, struct ly_error *err)
{
	struct app app;
	memset(&app, 0, sizeof app);
	app.st = st;
	int rc = store_conf_find(st, conf_name, &app.conf, err);
	if (rc == LY_ERR || (rc == LY_NOTFOUND && conf_name && *conf_name))
		return LY_ERR;
	bool have_conf = rc == LY_OK;
	if (have_conf)
		set_home_year(&app);
	if (!(app.pending = pending_new(st)))
		return ly_fail(err, "out of memory");
	if (term_start(err)) {
		pending_free(app.pending);
		return LY_ERR;
	}
	/* Keys never wait on another process's lock: a refused save is kept
	 * and retried. A signal stops long work at once. */
	store_set_busy_timeout(st, 100);
	store_set_interrupt(st, term_quit_flag());
	if (have_conf) {
		if (!ui_push(&app, &browse_screen, NULL)) { /* counts, then the main screen */
			term_stop();
			store_set_interrupt(st, NULL);
			pending_free(app.pending);
			return ly_fail(err, "%s", app.message);
		}
	}
	int64_t next_retry = 0;
	for (;;) {
		if (term_should_quit())
			break;
		draw(&app);
		wint_t ch;
		int r = get_wch(&ch);
		if (term_should_quit())
			break;
		if (r == ERR) {
			for (int i = 0; i < app.depth; i++)
				if (app.stack[i]->ops->tick)
					app.stack[i]->ops->tick(app.stack[i]);
			retry_pending(&app, &next_retry);
			continue;
		}
		bool keycode = r == KEY_CODE_YES;
		if (keycode && ch == KEY_RESIZE) {
			resize(&app);
			continue;
		}
		if (too_small()) {
			if (!keycode && (ch == 'q' || ch == 3))
				break;
			continue;
		}
		app.message[0] = '\0';
		if (keycode && ch == KEY_MOUSE)
			read_mouse(&app);
		struct screen *top = top_screen(&app);
		bool text = top && top->ops->text_input && top->ops->text_input(top);
		enum action a = text ? ACT_NONE : ui_key_action((int)ch, keycode);
		int res = top ? top->ops->handle(top, a, (int)ch, keycode) : H_UNHANDLED;
		if (res & H_POP)
			pop(&app);
		if (res & H_HOME) {
			while (app.depth > 1)
				pop(&app);
			top = ui_main(&app);
			res = top ? top->ops->handle(top, a, (int)ch, keycode) : H_HANDLED;
		}
		if (res & H_QUIT)
			break;
		if (res & H_REDRAW)
			ui_changed(&app, 0);
		if (!(res & (H_HANDLED | H_POP)) && a != ACT_NONE && (global_action(&app, a) & H_QUIT))
			break;
	}
	/* Leaving: the last edit is saved whatever the signal was. */
	store_set_interrupt(st, NULL);
	while (app.depth)
		pop(&app);
	rc = save_or_recover(&app, err);
	term_stop();
	store_set_busy_timeout(st, 5000);
	pending_free(app.pending);
	return rc;
}
