/* Search: a prompt with live results as you type (FTS5 prefix matching
 * over titles, speakers, abstracts, tracks, rooms and your takeaways).
 * Up/Down choose, Enter jumps to the talk in its day and track on the main
 * screen; n / N step through the matches afterwards. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lanyard/text.h"

#define CTRL(c) ((c) & 0x1f)

struct search {
	char q[256];
	size_t len;
	struct talk_rows rows;
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
	v->stale = false;
	if (!v->len)
		return;
	struct talk_query q = { .conf = s->app->conf.id, .search = v->q };
	struct ly_error err;
	if (model_talks(s->app->st, &q, &v->rows, &err) != LY_OK)
		ui_message(s->app, true, "%s", err.msg);
	v->last_ms = now_ms() - t0;
}

/* Live, but a slow query (a one-letter prefix on a huge schedule) waits
 * until typing pauses (the driver's tick). */
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
	snprintf(v->q, sizeof v->q, "%s", s->app->search);
	v->len = strlen(v->q);
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
	else if (v->len)
		snprintf(count, sizeof count, "%zu match%s", v->rows.n, v->rows.n == 1 ? "" : "es");
	ui_text(top, 0, w, ui_attr(ROLE_HEADER), " Search titles, speakers, abstracts, tracks, rooms and your notes");
	ui_text(top + 1, 0, w, A_BOLD, " / ");
	int cw = text_width(count);
	int qx = 3, qw = w - qx - cw - 3;
	/* Show the end of a query longer than the field. */
	const char *shown = v->q;
	while (text_width(shown) > qw - 1 && *shown)
		shown += text_decode(shown, strlen(shown), &(uint32_t){ 0 });
	int used = ui_text_nopad(top + 1, qx, qw, A_NORMAL, shown);
	ui_text_right(top + 1, w - cw - 2, cw + 1, ui_attr(ROLE_DIM), count);
	ui_hline(top + 2, 0, w);
	v->page = rows > 1 ? rows - 1 : 1;
	if (v->sel < v->off)
		v->off = v->sel;
	if (v->sel >= v->off + rows)
		v->off = v->sel - rows + 1;
	int room_w = w >= 100 ? 16 : w >= 70 ? 10 : 0;
	for (int i = 0; i < rows; i++) {
		int k = v->off + i;
		if (k >= (int)v->rows.n)
			break;
		int sel = k == v->sel ? ui_attr(ROLE_SELECTED) : 0;
		ui_talk_row(top + 3 + i, 0, w, &v->rows.rows[k], sel, room_w, true);
	}
	if (v->len && !v->rows.n && !v->stale)
		ui_text(top + 3, 2, w - 4, ui_attr(ROLE_DIM), "No matches.");
	else if (!v->len)
		ui_text(top + 3, 2, w - 4, ui_attr(ROLE_DIM), "Type words or their beginnings: \"kube sec\" finds talks with both.");
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
		return v->len ? H_HANDLED : H_POP;
	struct app *app = s->app;
	snprintf(app->search, sizeof app->search, "%s", v->q);
	int64_t id = v->rows.rows[v->sel].id;
	int n = (int)v->rows.n, at = v->sel + 1;
	ui_show(app, id);
	ui_message(app, false, "match %d of %d for \"%s\" (n next, N previous)", at, n, app->search);
	return H_POP;
}

static int search_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)a;
	struct search *v = s->priv;
	if (keycode) {
		switch (key) {
		case KEY_DOWN: choose(v, v->sel + 1); return H_HANDLED;
		case KEY_UP: choose(v, v->sel - 1); return H_HANDLED;
		case KEY_NPAGE: choose(v, v->sel + v->page); return H_HANDLED;
		case KEY_PPAGE: choose(v, v->sel - v->page); return H_HANDLED;
		case KEY_ENTER: return enter(s);
		case KEY_BACKSPACE: break;
		default: return H_HANDLED;
		}
	}
	if (keycode || key == 127 || key == 8) {
		if (!v->len)
			return H_HANDLED;
		while (v->len > 0 && ((unsigned char)v->q[v->len - 1] & 0xC0) == 0x80)
			v->len--;
		if (v->len > 0)
			v->len--;
		v->q[v->len] = '\0';
		typed(s);
		return H_HANDLED;
	}
	switch (key) {
	case 27: return H_POP;
	case '\r': case '\n': return enter(s);
	case CTRL('n'): choose(v, v->sel + 1); return H_HANDLED;
	case CTRL('p'): choose(v, v->sel - 1); return H_HANDLED;
	case CTRL('u'):
		v->len = 0;
		v->q[0] = '\0';
		typed(s);
		return H_HANDLED;
	default:
		break;
	}
	if (key >= 0x20 && key != 0x7f && !(key >= 0x80 && key < 0xa0)) {
		char u[5];
		size_t n = text_encode((uint32_t)key, u);
		if (v->len + n < sizeof v->q) {
			memcpy(v->q + v->len, u, n);
			v->len += n;
			v->q[v->len] = '\0';
			typed(s);
		}
	}
	return H_HANDLED;
}

static bool search_text_input(struct screen *s)
{
	(void)s;
	return true;
}

static void search_target(struct screen *s, struct ui_target *out)
{
	struct search *v = s->priv;
	out->talk = v->sel < (int)v->rows.n ? v->rows.rows[v->sel].id : 0;
}

static const struct ui_hint hints[] = {
	{ ACT_OPEN, "jump", NULL }, { ACT_MOVE_DOWN, "choose", "Up/Down" }, { ACT_BACK, "cancel", NULL },
	{ ACT_NONE, "clear", "Ctrl-U" }, { 0 },
};

const struct screen_ops search_screen = {
	.name = "Search",
	.priv_size = sizeof(struct search),
	.open = search_open,
	.draw = search_draw,
	.handle = search_handle,
	.close = search_close,
	.tick = search_tick,
	.text_input = search_text_input,
	.target = search_target,
	.hints = hints,
};
