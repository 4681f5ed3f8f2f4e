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

#include "lanyard/import.h"
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

static struct screen *main_screen(struct app *app)
{
	return app->depth ? app->stack[0] : NULL;
}

/* The status line counts; the store may also change under us (the command
 * line, another browser), so views recount when they open. */
static void recount(struct app *app)
{
	struct ly_error err;
	if (model_counts(app->st, app->conf.id, &app->counts, &err) != LY_OK) {
		ui_message(app, true, "%s", err.msg);
		return;
	}
	/* The header's clashes are the ones still ahead: a planned talk that is
	 * over and was not attended no longer clashes with anything. Counted
	 * from the user's own talks (dozens), not the schedule. */
	struct talk_query q = { .conf = app->conf.id, .mine = true };
	struct talk_rows mine;
	if (model_talks(app->st, &q, &mine, &err) != LY_OK)
		return;
	char now[17];
	ltime_format_stamp(ltime_now(), now);
	int clashes = 0;
	for (size_t i = 0; i < mine.n; i++) {
		const struct talk_row *a = &mine.rows[i];
		bool live_a = a->status == STATUS_ATTENDED || strcmp(a->end, now) > 0;
		for (size_t j = 0; live_a && !(a->flags & TALK_REMOVED) && j < mine.n; j++) {
			const struct talk_row *b = &mine.rows[j];
			bool live_b = b->status == STATUS_ATTENDED || strcmp(b->end, now) > 0;
			if (j != i && live_b && !(b->flags & TALK_REMOVED) && model_overlaps(a->start, a->end, b->start, b->end)) {
				clashes++;
				break;
			}
		}
	}
	app->counts.clashes = clashes;
	model_rows_free(&mine);
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
	struct ui_target none = { 0 };
	int rc = ops->open ? ops->open(s, on ? on : &none) : LY_OK;
	if (rc != LY_OK) {
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

/* What the top screen shows selected. */
static struct ui_target target(struct app *app)
{
	struct ui_target t = { 0 };
	struct screen *s = top_screen(app);
	if (s && s->ops->target)
		s->ops->target(s, &t);
	return t;
}

struct screen *ui_open(struct app *app, enum action a)
{
	for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
		if (registry[i].action != a)
			continue;
		struct ui_target on = target(app);
		on.by = a;
		return ui_push(app, registry[i].ops, &on);
	}
	return NULL;
}

void ui_show(struct app *app, int64_t talk)
{
	app->show = talk;
}

/* After the key: close the views and select the talk asked for. */
static void show_pending(struct app *app)
{
	if (!app->show)
		return;
	while (app->depth > 1)
		pop(app);
	struct screen *m = main_screen(app);
	if (m && m->ops->show)
		m->ops->show(m, app->show);
	app->show = 0;
}

/* n / N over the last search's results, in time order from the talk
 * selected, wrapping; the main screen shows the match. */
static void match(struct app *app, int dir)
{
	struct talk_query q = { .conf = app->conf.id, .search = app->search };
	struct talk_rows matches;
	struct ly_error err;
	if (model_talks(app->st, &q, &matches, &err) != LY_OK) {
		ui_message(app, true, "%s", err.msg);
		return;
	}
	if (matches.n == 0) {
		ui_message(app, false, "no match for \"%s\"", app->search);
		return;
	}
	int64_t cur = target(app).talk;
	int at = -1, n = (int)matches.n;
	for (int i = 0; i < n; i++)
		if (matches.rows[i].id == cur)
			at = i;
	int next = at < 0 ? (dir > 0 ? 0 : n - 1) : ((at + dir) % n + n) % n;
	ui_show(app, matches.rows[next].id);
	ui_message(app, false, "match %d of %d for \"%s\"", next + 1, n, app->search);
	model_rows_free(&matches);
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

static void undo_clear(struct app *app)
{
	for (int i = 0; i < app->nundo; i++)
		free(app->undo[i].takeaways);
	app->nundo = 0;
	app->undo_what[0] = '\0';
}

void ui_undo_begin(struct app *app, const char *what)
{
	undo_clear(app);
	snprintf(app->undo_what, sizeof app->undo_what, "%s", what);
}

void ui_undo_add(struct app *app, int64_t talk, enum talk_status status, int rating, const char *takeaways)
{
	if (app->nundo == UI_UNDO_MAX)
		return;
	struct ui_undo_entry *e = &app->undo[app->nundo];
	*e = (struct ui_undo_entry){ talk, status, rating, takeaways ? strdup(takeaways) : NULL };
	if (takeaways && !e->takeaways)
		return; /* out of memory: not undoable */
	app->nundo++;
}

/* u: put back every talk of the last step as it was; then u again redoes
 * (the step undone becomes the last change). */
static int undo(struct app *app)
{
	if (!app->nundo) {
		ui_message(app, false, "nothing to undo");
		return H_HANDLED;
	}
	struct ui_undo_entry was[UI_UNDO_MAX];
	int n = app->nundo;
	memcpy(was, app->undo, sizeof was);
	char what[200];
	snprintf(what, sizeof what, "%s", app->undo_what);
	app->nundo = 0;
	ui_undo_begin(app, what);
	struct ly_error err;
	int rc = LY_OK;
	for (int i = 0; i < n; i++) {
		struct ui_undo_entry *e = &was[i];
		enum talk_status st = STATUS_NONE;
		int rating = 0;
		char *take = NULL;
		if (store_get_status(app->st, e->talk, &st, &rating, &err) == LY_OK &&
		    (!e->takeaways || store_get_takeaways(app->st, e->talk, &take, &err) == LY_OK))
			ui_undo_add(app, e->talk, st, rating, e->takeaways ? take : NULL);
		free(take);
		if (rc == LY_OK && st != e->status)
			rc = store_set_status(app->st, e->talk, e->status, &err);
		if (rc == LY_OK && rating != e->rating)
			rc = store_set_rating(app->st, e->talk, e->rating, &err);
		if (rc == LY_OK && e->takeaways)
			rc = store_set_takeaways(app->st, e->talk, e->takeaways, &err);
		free(e->takeaways);
	}
	if (rc != LY_OK)
		ui_message(app, true, "not undone: %s", err.msg);
	else
		ui_message(app, false, "undone: %s (u again redoes it)", what);
	ui_changed(app, n == 1 ? was[0].talk : 0);
	return H_HANDLED;
}

/* The "how to get to a talk" message when nothing is selected. */
static int no_talk(struct app *app, const struct ui_target *t)
{
	ui_message(app, false, "%s", t->how ? t->how : "no talk selected here: choose one first");
	return H_HANDLED;
}

int ui_mark(struct app *app, int64_t id, enum action a)
{
	if (!ui_is_mark(a))
		return H_UNHANDLED;
	if (!id)
		return no_talk(app, &(struct ui_target){ 0 });
	struct ly_error err;
	struct talk_detail d;
	if (model_talk(app->st, id, &d, &err) != LY_OK) {
		ui_message(app, true, "%s", err.msg);
		return H_HANDLED;
	}
	int rc;
	char what[200];
	if (a == ACT_PLANNED || a == ACT_ATTENDED || a == ACT_SKIPPED) {
		enum talk_status want = a == ACT_PLANNED ? STATUS_PLANNED : a == ACT_ATTENDED ? STATUS_ATTENDED : STATUS_SKIPPED;
		enum talk_status to = d.status == want ? STATUS_NONE : want;
		snprintf(what, sizeof what, "%s: %s", to ? store_status_name(to) : "unmarked", d.title);
		rc = store_set_status(app->st, id, to, &err);
	} else {
		int r = a == ACT_RATE_0 ? 0 : (int)(a - ACT_RATE_1) + 1;
		if (r)
			snprintf(what, sizeof what, "rated %d/5: %s", r, d.title);
		else
			snprintf(what, sizeof what, "rating cleared: %s", d.title);
		rc = store_set_rating(app->st, id, r, &err);
	}
	if (rc == LY_OK) {
		ui_undo_begin(app, what);
		ui_undo_add(app, id, d.status, d.rating, NULL);
		ui_message(app, false, "%s", what);
	}
	model_talk_free(&d);
	if (rc != LY_OK) {
		ui_message(app, true, "not saved: %s", err.msg);
		return H_HANDLED;
	}
	ui_changed(app, id);
	return H_HANDLED;
}

/* s, when the room is full: the selected talk attended, the planned talks
 * it clashes with skipped, in one step (and one undo). */
static int switch_here(struct app *app, int64_t id)
{
	struct ly_error err;
	struct talk_detail d;
	if (model_talk(app->st, id, &d, &err) != LY_OK) {
		ui_message(app, true, "%s", err.msg);
		return H_HANDLED;
	}
	struct talk_rows same;
	if (model_concurrent(app->st, id, &same, &err) != LY_OK) {
		model_talk_free(&d);
		ui_message(app, true, "%s", err.msg);
		return H_HANDLED;
	}
	char what[200];
	snprintf(what, sizeof what, "attended: %s", d.title);
	ui_undo_begin(app, what);
	ui_undo_add(app, id, d.status, d.rating, NULL);
	int rc = d.status == STATUS_ATTENDED ? LY_OK : store_set_status(app->st, id, STATUS_ATTENDED, &err);
	int skipped = 0;
	const char *first = NULL;
	for (size_t i = 0; rc == LY_OK && i < same.n; i++) {
		const struct talk_row *t = &same.rows[i];
		if (t->status != STATUS_PLANNED)
			continue;
		ui_undo_add(app, t->id, t->status, t->rating, NULL);
		rc = store_set_status(app->st, t->id, STATUS_SKIPPED, &err);
		if (rc == LY_OK && !skipped++)
			first = t->title;
	}
	if (rc != LY_OK)
		ui_message(app, true, "not saved: %s", err.msg);
	else if (skipped == 1)
		ui_message(app, false, "switched: attended %s; skipped %s", d.title, first);
	else if (skipped)
		ui_message(app, false, "switched: attended %s; skipped %d planned talks", d.title, skipped);
	else
		ui_message(app, false, "attended: %s (nothing planned clashed with it)", d.title);
	if (skipped)
		snprintf(app->undo_what, sizeof app->undo_what, "switch to %s", d.title);
	model_rows_free(&same);
	model_talk_free(&d);
	ui_changed(app, 0);
	return H_HANDLED;
}

/* ---- reminders ------------------------------------------------------- */

/* Once a minute: planned talks starting within opt.remind minutes, each
 * announced once on the status line with its room. */
static bool remind(struct app *app)
{
	if (app->opt.remind <= 0 || !app->depth)
		return false;
	int64_t now = ltime_now();
	if (now == app->remind_minute)
		return false;
	bool said = false;
	app->remind_minute = now;
	char from[17], to[17], today[11];
	ltime_format_stamp(now, from);
	ltime_format_stamp(now + app->opt.remind, to);
	ltime_conf_day(now, today);
	struct talk_query q = { .conf = app->conf.id, .day = today, .status = STATUS_PLANNED };
	struct talk_rows rows;
	struct ly_error err;
	if (model_talks(app->st, &q, &rows, &err) != LY_OK)
		return false;
	for (size_t i = 0; i < rows.n; i++) {
		const struct talk_row *t = &rows.rows[i];
		if (!t->start[0] || strcmp(t->start, from) <= 0 || strcmp(t->start, to) > 0)
			continue;
		/* The last talks announced, as a ring: a day with more planned
		 * talks than it holds still announces each one once. */
		int cap = (int)(sizeof app->reminded / sizeof app->reminded[0]);
		bool seen = false;
		for (int k = 0; k < app->nreminded && k < cap; k++)
			seen |= app->reminded[k] == t->id;
		if (seen)
			continue;
		app->reminded[app->nreminded++ % cap] = t->id;
		int64_t m;
		int in = ltime_parse_stamp(t->start, &m) ? (int)(m - now) : 0;
		ui_message(app, false, "in %d min%s%s%s: %s", in, in == 1 ? "" : "s", *t->room ? ", " : "", t->room, t->title);
		said = true;
		if (app->opt.bell)
			beep();
	}
	model_rows_free(&rows);
	return said;
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
	/* Counts, as long as they fit beside the title. The form is chosen
	 * with every count at two digits at least and the clashes present, so
	 * it stays put as counts grow. Counts that say what they count come
	 * first; the prefix stays while they fit beside it. */
	const struct counts *c = &app->counts;
	char right[3][200], widest[3][200];
	for (int k = 0; k < 2; k++) {
		struct counts wide = *c;
		int *f[] = { &wide.talks, &wide.planned, &wide.attended, &wide.rated, &wide.clashes };
		for (size_t j = 0; j < sizeof f / sizeof f[0]; j++)
			*f[j] = *f[j] < 10 ? 10 : *f[j];
		const struct counts *n = k ? &wide : c;
		char(*out)[200] = k ? widest : right;
		char clash[32] = "";
		if (n->clashes)
			snprintf(clash, sizeof clash, " \xc2\xb7 %d clashing", n->clashes);
		snprintf(out[0], sizeof out[0], "%d talks \xc2\xb7 %d planned \xc2\xb7 %d attended \xc2\xb7 %d rated%s ",
		         n->talks, n->planned, n->attended, n->rated, clash);
		snprintf(out[1], sizeof out[1], "%d planned \xc2\xb7 %d attended%s ", n->planned, n->attended, clash);
		snprintf(out[2], sizeof out[2], "%d\xe2\x80\xa2 %d\xe2\x9c\x93%s ", n->planned, n->attended, clash);
	}
	static const struct {
		int left, right;
	} tries[] = { { 0, 0 }, { 0, 1 }, { 1, 1 }, { 1, 2 } }; /* words before the prefix */
	int pick = -1, lw = 0;
	for (size_t i = 0; i < sizeof tries / sizeof tries[0] && pick < 0; i++) {
		lw = text_width(left[tries[i].left]);
		if (lw + text_width(widest[tries[i].right]) + 1 <= COLS)
			pick = (int)i;
	}
	/* Nothing fits whole: the shortest counts, the place cut before them. */
	bool cut = pick < 0;
	if (cut)
		pick = (int)(sizeof tries / sizeof tries[0]) - 1;
	const char *r = app->depth ? right[tries[pick].right] : "";
	int rw = text_width(r);
	ui_text(0, 0, COLS, attr, "");
	ui_text_nopad(0, 0, cut && *r ? COLS - rw - 1 : COLS, attr, left[tries[pick].left]);
	if (*r)
		ui_text_nopad(0, COLS - rw, rw, attr, r);
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
	static const struct ui_hint none[] = { { ACT_QUIT, "quit", NULL }, { ACT_HELP, "help", NULL }, { 0 } };
	const struct ui_hint *h = !top ? NULL : top->ops->hints_now ? top->ops->hints_now(top) : top->ops->hints;
	ui_hints(y, 1, COLS - 1, h ? h : none);
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
		/* Without a click interval a second click may arrive as its
		 * release alone: that selects too. */
		.click = (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)) != 0,
		.wheel_up = (ev.bstate & BUTTON4_PRESSED) != 0,
#ifdef BUTTON5_PRESSED
		.wheel_down = (ev.bstate & BUTTON5_PRESSED) != 0,
#endif
	};
}

struct update_notes {
	char first[200];
	int n;
};

static void update_note(void *ctx, const char *msg)
{
	struct update_notes *u = ctx;
	if (!u->n++)
		snprintf(u->first, sizeof u->first, "%s", msg);
}

/* U: the schedule again from where it came from (a file or a URL), with
 * the change report on the status line; every pane re-reads. */
static int update(struct app *app)
{
	char source[600];
	snprintf(source, sizeof source, "%s", app->conf.source[0] ? app->conf.source : app->conf.name);
	ui_message(app, false, "updating from %s\xe2\x80\xa6", source);
	draw(app);
	struct import_report rep;
	struct update_notes notes = { .n = 0 };
	struct ly_error err;
	if (import_update(app->st, app->conf.name, NULL, &rep, update_note, &notes, &err) != LY_OK) {
		ui_message(app, true, "not updated: %s", err.msg);
		return H_HANDLED;
	}
	if (rep.not_modified) {
		ui_message(app, false, "the schedule has not changed since the last update");
		return H_HANDLED;
	}
	struct conf now;
	if (store_conf_find(app->st, app->conf.name, &now, &err) == LY_OK)
		app->conf = now; /* its source and zone as this import left them */
	ui_changed(app, 0);
	if (notes.n)
		ui_message(app, false, "%d added, %d updated, %d moved, %d removed; %s%s", rep.added, rep.updated,
		           rep.moved, rep.removed, notes.first, notes.n > 1 ? " (and more: see the agenda)" : "");
	else
		ui_message(app, false, "updated: %d added, %d updated, %d moved, %d removed", rep.added,
		           rep.updated, rep.moved, rep.removed);
	return H_HANDLED;
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
	if (a == ACT_UNDO)
		return undo(app);
	if (a == ACT_UPDATE)
		return update(app);
	struct ui_target t = target(app);
	if (ui_is_mark(a) || a == ACT_SWITCH) {
		/* Only ever the talk the user sees selected. */
		if (!t.talk)
			return no_talk(app, &t);
		return a == ACT_SWITCH ? switch_here(app, t.talk) : ui_mark(app, t.talk, a);
	}
	if (a == ACT_MATCH_NEXT || a == ACT_MATCH_PREV) {
		if (app->search[0]) {
			match(app, a == ACT_MATCH_NEXT ? 1 : -1);
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
static bool retry_pending(struct app *app, int64_t *next_ms)
{
	if (!pending_unsaved(app->pending))
		return false;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (now < *next_ms)
		return false;
	*next_ms = now + 1000;
	struct ly_error err;
	int merged = 0, before = pending_unsaved(app->pending);
	int left = pending_retry(app->pending, &merged, &err);
	if (left == before)
		return false;
	if (merged)
		ui_message(app, false, "saved; changed elsewhere meanwhile, so both versions are kept");
	else if (left)
		ui_message(app, true, "saved some; %d text%s not saved yet: %s", left, left == 1 ? "" : "s", err.msg);
	else
		ui_message(app, false, "saved");
	ui_changed(app, 0);
	return true;
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

int ui_run(struct store *st, const char *conf_name, const struct ui_options *opt, struct ly_error *err)
{
	struct app app;
	memset(&app, 0, sizeof app);
	app.st = st;
	app.opt = opt ? *opt : (struct ui_options){ .remind = 5 };
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
	bool dirty = true;
	for (;;) {
		if (term_should_quit())
			break;
		if (remind(&app))
			dirty = true;
		if (dirty)
			draw(&app);
		dirty = false;
		wint_t ch;
		int r = get_wch(&ch);
		if (term_should_quit())
			break;
		if (r == ERR) {
			for (int i = 0; i < app.depth; i++)
				if (app.stack[i]->ops->tick) {
					app.stack[i]->ops->tick(app.stack[i]);
					dirty = true;
				}
			if (retry_pending(&app, &next_retry))
				dirty = true;
			continue;
		}
		bool keycode = r == KEY_CODE_YES;
		if (keycode && ch == KEY_RESIZE) {
			resize(&app);
			dirty = true;
			continue;
		}
		if (too_small()) {
			if (!keycode && (ch == 'q' || ch == 3))
				break;
			continue;
		}
		struct screen *top = top_screen(&app);
		bool text = top && top->ops->text_input && top->ops->text_input(top);
		enum action a = ui_key_action((int)ch, keycode);
		/* A key bound to nothing does nothing: no redraw, no query. */
		if (a == ACT_NONE && !text && !(keycode && ch == KEY_MOUSE))
			continue;
		dirty = true;
		app.message[0] = '\0';
		if (keycode && ch == KEY_MOUSE)
			read_mouse(&app);
		int res = top ? top->ops->handle(top, a, (int)ch, keycode) : H_UNHANDLED;
		if (res & H_POP)
			pop(&app);
		if (res & H_HOME) {
			while (app.depth > 1)
				pop(&app);
			top = main_screen(&app);
			res = top ? top->ops->handle(top, a, (int)ch, keycode) : H_HANDLED;
		}
		if (res & H_QUIT)
			break;
		if (res & H_REDRAW)
			ui_changed(&app, 0);
		if (!(res & (H_HANDLED | H_POP)) && a != ACT_NONE && (global_action(&app, a) & H_QUIT))
			break;
		show_pending(&app);
	}
	/* Leaving: the last edit is saved whatever the signal was. */
	store_set_interrupt(st, NULL);
	while (app.depth)
		pop(&app);
	undo_clear(&app);
	rc = save_or_recover(&app, err);
	term_stop();
	store_set_busy_timeout(st, 5000);
	pending_free(app.pending);
	return rc;
}
