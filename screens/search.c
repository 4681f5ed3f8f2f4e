/* Search: a prompt with live results as you type (FTS5 prefix matching
 * over titles, speakers, abstracts, tracks, rooms and your takeaways).
 *
 * It opens on the last query, selected: typing replaces it, Backspace
 * clears it, an arrow keeps it. Up/Down choose a result while typing and
 * Enter jumps to it on the main screen (n / N step through the matches
 * afterwards). Tab moves to the results, where the browser's keys act on
 * the selected one (p, a, x, 1-5, t, o, s, Enter); / or Tab goes back.
 *
 * Typing never waits on a query: the keys already typed are all taken
 * before one query runs, and a slow query (a one-letter prefix on a huge
 * schedule) waits until typing pauses. One page of results is read; the
 * total is counted apart. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lanyard/text.h"
#include "lanyard/ui_line.h"

#define CTRL(c) ((c) & 0x1f)
#define PAGE_LIMIT 200
#define COUNT_CAP 1000     /* past this, "1000+ matches" */

struct search {
	struct ui_line in; /* the query; selected when it is the last one */
	bool in_results;   /* Tab: keys act on the selected result */
	struct talk_rows rows;
	int total;         /* matches in all (rows holds the first page) */
	int sel, off, page;
	bool stale;        /* typed since the last query */
	double last_ms;    /* how long the last query took */
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void run(struct screen *s)
{
	struct search *v = s->priv;
	double t0 = now_ms();
	model_rows_free(&v->rows);
	v->sel = v->off = 0;
	v->total = 0;
	v->stale = false;
	if (!v->in.len)
		return;
	struct talk_query q = { .conf = s->app->conf.id, .search = v->in.text, .limit = PAGE_LIMIT };
	struct ly_error err;
	if (model_talks_counted(s->app->st, &q, COUNT_CAP, &v->rows, &v->total, &err) != LY_OK)
		ui_message(s->app, true, "%s", err.msg);
	v->last_ms = now_ms() - t0;
}

/* Live, but a slow query waits until typing pauses (the driver's tick). */
static void typed(struct screen *s)
{
	struct search *v = s->priv;
	if (v->last_ms < 40)
		run(s);
	else
		v->stale = true;
}

static int search_open(struct screen *s, const struct ui_target *on)
{
	(void)on;
	struct search *v = s->priv;
	ui_line_set(&v->in, s->app->search, true);
	run(s);
	return LY_OK;
}

static void search_close(struct screen *s)
{
	struct search *v = s->priv;
	model_rows_free(&v->rows);
}

static void search_tick(struct screen *s)
{
	struct search *v = s->priv;
	if (v->stale)
		run(s);
}

static void search_draw(struct screen *s)
{
	struct search *v = s->priv;
	int top = s->top, w = s->w, rows = s->h - 3;
	char count[64] = "";
	if (v->stale)
		snprintf(count, sizeof count, "searching\xe2\x80\xa6");
	else if (v->in.len && v->total > (int)v->rows.n)
		snprintf(count, sizeof count, "first %zu of %d%s matches", v->rows.n, v->total, v->total >= COUNT_CAP ? "+" : "");
	else if (v->in.len)
		snprintf(count, sizeof count, "%d match%s", v->total, v->total == 1 ? "" : "es");
	ui_text(top, 0, w, ui_attr(ROLE_HEADER), " Search titles, speakers, abstracts, tracks, rooms and your notes");
	ui_text(top + 1, 0, w, A_BOLD, " / ");
	int cw = text_width(count);
	int qx = 3, qw = w - qx - cw - 3;
	int used = ui_line_draw(&v->in, top + 1, qx, qw) - qx;
	ui_text_right(top + 1, w - cw - 2, cw + 1, ui_attr(ROLE_DIM), count);
	ui_hline(top + 2, 0, w);
	v->page = rows > 1 ? rows - 1 : 1;
	if (v->sel < v->off)
		v->off = v->sel;
	if (v->sel >= v->off + rows)
		v->off = v->sel - rows + 1;
	/* Each result: day, time, marks, title, and its track. */
	int track_w = w >= 100 ? 24 : w >= 70 ? 16 : 0;
	for (int i = 0; i < rows; i++) {
		int k = v->off + i;
		if (k >= (int)v->rows.n)
			break;
		const struct talk_row *t = &v->rows.rows[k];
		int sel = k == v->sel ? ui_attr(v->in_results ? ROLE_SELECTED : ROLE_MARK) : 0;
		ui_talk_row(top + 3 + i, 0, w - track_w, t, sel, 0, true);
		if (track_w) {
			ui_text(top + 3 + i, w - track_w, track_w, sel, "");
			ui_text_nopad(top + 3 + i, w - track_w, track_w - 1, sel ? sel : ui_attr(ROLE_LABEL), t->track);
		}
	}
	if (v->in.len && !v->rows.n && !v->stale)
		ui_text(top + 3, 2, w - 4, ui_attr(ROLE_DIM), "No matches.");
	else if (!v->in.len)
		ui_text(top + 3, 2, w - 4, ui_attr(ROLE_DIM), "Type words or their beginnings: \"kube sec\" finds talks with both.");
	if (v->in_results) {
		curs_set(0);
		return;
	}
	curs_set(1);
	move(top + 1, qx + used < w ? qx + used : w - 1);
}

static void choose(struct search *v, int to)
{
	int n = (int)v->rows.n;
	v->sel = to >= n ? n - 1 : to;
	if (v->sel < 0)
		v->sel = 0;
}

static int enter(struct screen *s)
{
	struct search *v = s->priv;
	if (v->stale)
		run(s);
	if (v->sel >= (int)v->rows.n)
		return v->in.len ? H_HANDLED : H_POP;
	struct app *app = s->app;
	snprintf(app->search, sizeof app->search, "%s", v->in.text);
	ui_show(app, v->rows.rows[v->sel].id);
	ui_message(app, false, "match %d of %d for \"%s\" (n next, N previous)", v->sel + 1, v->total, app->search);
	return H_HANDLED;
}

/* Type-ahead: take every key already waiting that is text, then query
 * once. The first key that is not text is put back for the driver. */
static void take_waiting(struct search *v)
{
	nodelay(stdscr, TRUE);
	for (;;) {
		wint_t ch;
		int r = get_wch(&ch);
		if (r == ERR)
			break;
		if (ui_line_key(&v->in, (int)ch, r == KEY_CODE_YES))
			continue;
		if (r == KEY_CODE_YES)
			ungetch((int)ch);
		else
			unget_wch((wchar_t)ch);
		break;
	}
	nodelay(stdscr, FALSE);
	timeout(250);
}

/* In the prompt, text first; other keys through the key table. */
static int prompt_key(struct screen *s, enum action a, int key, bool keycode)
{
	struct search *v = s->priv;
	if (ui_line_key(&v->in, key, keycode)) {
		take_waiting(v);
		typed(s);
		return H_HANDLED;
	}
	switch (a) {
	case ACT_MOVE_DOWN: choose(v, v->sel + 1); return H_HANDLED;
	case ACT_MOVE_UP: choose(v, v->sel - 1); return H_HANDLED;
	case ACT_PAGE_DOWN: choose(v, v->sel + v->page); return H_HANDLED;
	case ACT_PAGE_UP: choose(v, v->sel - v->page); return H_HANDLED;
	case ACT_OPEN: return enter(s);
	case ACT_BACK: return H_POP;
	case ACT_PANE_NEXT: case ACT_PANE_PREV:
		v->in_results = v->rows.n > 0;
		return H_HANDLED;
	case ACT_PANE_LEFT: case ACT_PANE_RIGHT: case ACT_FIRST: case ACT_LAST:
		ui_line_keep(&v->in); /* an arrow keeps the query, to edit it */
		return H_HANDLED;
	default:
		break;
	}
	/* Ctrl-N / Ctrl-P choose too, as in other prompts. */
	if (!keycode && key == CTRL('n'))
		choose(v, v->sel + 1);
	else if (!keycode && key == CTRL('p'))
		choose(v, v->sel - 1);
	return H_HANDLED;
}

static int search_handle(struct screen *s, enum action a, int key, bool keycode)
{
	struct search *v = s->priv;
	if (!v->in_results)
		return prompt_key(s, a, key, keycode);
	/* In the results: the browser's keys, on the selected one. */
	switch (a) {
	case ACT_MOVE_DOWN: choose(v, v->sel + 1); return H_HANDLED;
	case ACT_MOVE_UP: choose(v, v->sel - 1); return H_HANDLED;
	case ACT_PAGE_DOWN: choose(v, v->sel + v->page); return H_HANDLED;
	case ACT_PAGE_UP: choose(v, v->sel - v->page); return H_HANDLED;
	case ACT_FIRST: choose(v, 0); return H_HANDLED;
	case ACT_LAST: choose(v, (int)v->rows.n - 1); return H_HANDLED;
	case ACT_OPEN: return enter(s);
	case ACT_SEARCH: case ACT_PANE_NEXT: case ACT_PANE_PREV:
		v->in_results = false;
		return H_HANDLED;
	default:
		return H_UNHANDLED; /* marks, t, o, s, Esc: the driver, on the target */
	}
}

static void search_reload(struct screen *s, int64_t talk)
{
	/* A mark changed a result: re-read it, keeping the selection. */
	struct search *v = s->priv;
	(void)talk;
	int sel = v->sel, off = v->off;
	run(s);
	choose(v, sel);
	v->off = off;
}

static bool search_text_input(struct screen *s)
{
	struct search *v = s->priv;
	return !v->in_results;
}

static void search_target(struct screen *s, struct ui_target *out)
{
	struct search *v = s->priv;
	out->talk = v->sel < (int)v->rows.n ? v->rows.rows[v->sel].id : 0;
	out->how = "no result selected";
}

static const struct ui_hint prompt_hints[] = {
	{ ACT_OPEN, "jump", NULL }, { ACT_MOVE_DOWN, "choose", "Up/Down" }, { ACT_PANE_NEXT, "results: p a 1-5 t", NULL },
	{ ACT_BACK, "cancel", NULL }, { ACT_NONE, "clear", "Ctrl-U" }, { 0 },
};

/* In the results, the browser's keys act on the selected one. */
static const struct ui_hint result_hints[] = {
	{ ACT_OPEN, "jump", NULL },    { ACT_PLANNED, "plan", NULL },  { ACT_ATTENDED, "attended", NULL },
	{ ACT_RATE_1, "rate", "1-5" }, { ACT_TAKEAWAYS, "takeaways", NULL }, { ACT_SEARCH, "edit query", NULL },
	{ ACT_BACK, "back", NULL },    { 0 },
};

static const struct ui_hint *search_hints(struct screen *s)
{
	struct search *v = s->priv;
	return v->in_results ? result_hints : prompt_hints;
}

const struct screen_ops search_screen = {
	.name = "Search",
	.priv_size = sizeof(struct search),
	.open = search_open,
	.draw = search_draw,
	.handle = search_handle,
	.close = search_close,
	.reload = search_reload,
	.tick = search_tick,
	.text_input = search_text_input,
	.target = search_target,
	.hints_now = search_hints,
};
