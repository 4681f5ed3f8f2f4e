/* Search: a prompt with live results as you type (FTS5 prefix matching
 * over titles, speakers, abstracts, tracks, rooms and your takeaways).
 * Enter jumps to the talk in its day and track; n / N step on later. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "lanyard/ltime.h"
#include "lanyard/text.h"

struct search {
	char q[256];
	size_t len;
	struct talk_rows rows;
	int sel, off;
};

static void run(struct screen *s)
{
	struct search *v = s->priv;
	model_rows_free(&v->rows);
	v->sel = v->off = 0;
	if (!v->len)
		return;
	struct talk_query q = { .conf = s->app->conf.id, .search = v->q };
	struct ly_error err;
	if (model_talks(s->app->st, &q, &v->rows, &err) != LY_OK)
		ui_message(s->app, true, "%s", err.msg);
}

static int search_open(struct screen *s, const void *arg)
{
	(void)arg;
	struct search *v = s->priv;
	snprintf(v->q, sizeof v->q, "%s", s->app->search);
	v->len = strlen(v->q);
	run(s);
	curs_set(1);
	return LY_OK;
}

static void search_close(struct screen *s)
{
	struct search *v = s->priv;
	model_rows_free(&v->rows);
	curs_set(0);
}

static void search_draw(struct screen *s, int top, int h, int w)
{
	struct search *v = s->priv;
	char head[64];
	snprintf(head, sizeof head, "%zu match%s", v->rows.n, v->rows.n == 1 ? "" : "es");
	ui_text(top, 0, w, ui_attr(ROLE_HEADER), " Search (words or their beginnings; Enter jumps, Esc cancels)");
	ui_text(top + 1, 0, w, A_BOLD, " / ");
	ui_text_nopad(top + 1, 3, w - 20, A_NORMAL, v->q);
	ui_text_nopad(top + 1, w - 16, 15, A_DIM, v->len ? head : "");
	int rows = h - 3;
	if (v->sel < v->off)
		v->off = v->sel;
	if (v->sel >= v->off + rows)
		v->off = v->sel - rows + 1;
	for (int i = 0; i < rows; i++) {
		int k = v->off + i;
		if (k >= (int)v->rows.n)
			break;
		const struct talk_row *t = &v->rows.rows[k];
		char day[11] = "", label[16] = "", hhmm[6], line[600];
		snprintf(day, sizeof day, "%.10s", t->start);
		ltime_day_label(day, label, sizeof label);
		ui_hhmm(t->start, hhmm);
		snprintf(line, sizeof line, " %-10s %s %s %s", t->start[0] ? label : "Unscheduled", hhmm,
		         ui_status_glyph(s->app, t->status), t->title);
		int attr = k == v->sel ? ui_attr(ROLE_SELECTED) : (int)A_NORMAL;
		ui_text(top + 3 + i, 0, w - 22, attr, line);
		ui_text(top + 3 + i, w - 22, 22, k == v->sel ? attr : (int)A_DIM, t->speakers);
	}
	if (v->len && !v->rows.n)
		ui_text(top + 3, 2, w - 4, A_DIM, "No matches.");
	int cx = 3 + text_width(v->q);
	move(top + 1, cx < w ? cx : w - 1);
}

static int search_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)a;
	struct search *v = s->priv;
	if (keycode) {
		switch (key) {
		case KEY_DOWN: if (v->sel + 1 < (int)v->rows.n) v->sel++; return H_HANDLED;
		case KEY_UP: if (v->sel > 0) v->sel--; return H_HANDLED;
		case KEY_NPAGE: v->sel += 10; if (v->sel >= (int)v->rows.n) v->sel = (int)v->rows.n - 1; if (v->sel < 0) v->sel = 0; return H_HANDLED;
		case KEY_PPAGE: v->sel = v->sel > 10 ? v->sel - 10 : 0; return H_HANDLED;
		case KEY_BACKSPACE: break;
		case KEY_ENTER: goto enter;
		case KEY_MOUSE: return H_HANDLED;
		default: return H_HANDLED;
		}
	}
	if (keycode || key == 127 || key == 8) {
		while (v->len > 0 && ((unsigned char)v->q[v->len - 1] & 0xC0) == 0x80)
			v->len--;
		if (v->len > 0)
			v->len--;
		v->q[v->len] = '\0';
		run(s);
		return H_HANDLED;
	}
	if (key == 27)
		return H_POP;
	if (key == '\r' || key == '\n')
		goto enter;
	if (key == ('u' & 0x1f)) {
		v->len = 0;
		v->q[0] = '\0';
		run(s);
		return H_HANDLED;
	}
	if (key >= 0x20) {
		char u[5];
		size_t n = text_encode((uint32_t)key, u);
		if (v->len + n < sizeof v->q) {
			memcpy(v->q + v->len, u, n);
			v->len += n;
			v->q[v->len] = '\0';
			run(s);
		}
	}
	return H_HANDLED;
enter:
	if (v->sel < (int)v->rows.n) {
		snprintf(s->app->search, sizeof s->app->search, "%s", v->q);
		struct screen *m = ui_main(s->app);
		int64_t id = v->rows.rows[v->sel].id;
		int n = (int)v->rows.n, at = v->sel + 1;
		if (m)
			browse_jump(m, id);
		ui_message(s->app, false, "match %d of %d for \"%s\" (n next, N previous)", at, n, s->app->search);
	}
	return H_POP;
}

static bool search_text_input(struct screen *s)
{
	(void)s;
	return true;
}

const struct screen_ops search_screen = {
	.name = "Search",
	.priv_size = sizeof(struct search),
	.open = search_open,
	.draw = search_draw,
	.handle = search_handle,
	.close = search_close,
	.text_input = search_text_input,
	.hints = "type to search  Up/Down choose  Enter jump  Esc cancel  Ctrl-U clear",
};
