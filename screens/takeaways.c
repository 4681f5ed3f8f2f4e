/* Takeaways (or notes on a day, Overall, Booths) on a screen of their own,
 * opened with t on whatever talk the view below shows selected, and Esc
 * returns to that view. The text gets the screen under two lines that say
 * what is being written. E opens the same text in $VISUAL / $EDITOR.
 *
 * Saving: the editor widget hands the text to save_text() as it is typed
 * (ui_editor.h); $EDITOR's result goes through the same pending save
 * (pending.h): compared before written, kept and retried when the database
 * refuses it, both versions kept when it changed meanwhile. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanyard/ltime.h"
#include "lanyard/ui_editor.h"

struct takeaways {
	int64_t talk;          /* 0: notes */
	char scope[16];        /* notes: a day, "overall", "booths" */
	char title[512];       /* what is being written */
	char about[256];       /* when and where, for a talk */
	char *was;             /* the text before (undo) */
	enum talk_status status;
	int rating;
	struct editor *ed;
	struct pending_target target; /* what is saved, through app->pending */
	bool failed;           /* the last save was refused */
};

/* Why, without the database's path in front (the status line is short). */
static const char *short_why(struct screen *s, const char *why)
{
	const char *path = store_path(s->app->st);
	size_t n = strlen(path);
	if (why && strncmp(why, path, n) == 0 && why[n] == ':' && why[n + 1] == ' ')
		return why + n + 2;
	return why ? why : "?";
}

static void not_saved_yet(struct screen *s, const char *why)
{
	ui_message(s->app, true, "not saved yet, kept and retried: %s", short_why(s, why));
}

/* The one place takeaways and notes are written from the browser: a
 * refused save is kept (app->pending) and the editor retries it. */
static int save_text(void *ctx, const char *text, struct ly_error *err)
{
	struct screen *s = ctx;
	struct takeaways *v = s->priv;
	char *merged = NULL;
	enum pending_result r = pending_save(s->app->pending, &v->target, text, &merged, err);
	if (r == PENDING_KEPT) {
		v->failed = true;
		return LY_ERR;
	}
	if (r == PENDING_MERGED) {
		editor_set_text(v->ed, merged);
		ui_message(s->app, false, "changed elsewhere while you typed: both versions kept, marked");
	} else if (v->failed) {
		ui_message(s->app, false, "saved");
	}
	free(merged);
	v->failed = false;
	return LY_OK;
}

/* The text was changed from was to now: say so, make it undoable. */
static void saved(struct screen *s, const char *now)
{
	struct takeaways *v = s->priv;
	if (strcmp(now, v->was) == 0) {
		ui_message(s->app, false, "unchanged: %s", v->title);
		return;
	}
	char what[600];
	snprintf(what, sizeof what, "%s", v->title);
	if (v->talk) {
		ui_undo_begin(s->app, what);
		ui_undo_add(s->app, v->talk, v->status, v->rating, v->was);
	}
	ui_message(s->app, false, "saved %s", what);
	ui_changed(s->app, v->talk);
}

static int load(struct screen *s, const struct ui_target *on)
{
	struct takeaways *v = s->priv;
	struct ly_error err;
	if (on->note) {
		snprintf(v->scope, sizeof v->scope, "%s", on->note);
		char label[16];
		if (strcmp(on->note, "overall") == 0)
			snprintf(v->title, sizeof v->title, "Overall notes");
		else if (strcmp(on->note, "booths") == 0)
			snprintf(v->title, sizeof v->title, "Notes on booths");
		else
			ltime_day_label(on->note, label, sizeof label), snprintf(v->title, sizeof v->title, "Notes on %s", label);
		if (store_get_note(s->app->st, s->app->conf.id, v->scope, &v->was, &err) != LY_OK) {
			ui_message(s->app, true, "%s", err.msg);
			return LY_ERR;
		}
		return LY_OK;
	}
	struct talk_detail d;
	if (model_talk(s->app->st, on->talk, &d, &err) != LY_OK) {
		ui_message(s->app, true, "%s", err.msg);
		return LY_ERR;
	}
	v->talk = d.id;
	v->status = d.status;
	v->rating = d.rating;
	snprintf(v->title, sizeof v->title, "takeaways: %s", d.title);
	char when[64];
	ui_when(d.start, d.end, when, sizeof when);
	snprintf(v->about, sizeof v->about, "%s%s%s", when, *d.room ? " \xc2\xb7 " : "", d.room);
	v->was = d.takeaways;
	d.takeaways = NULL;
	model_talk_free(&d);
	return v->was ? LY_OK : ly_fail(&err, "out of memory");
}

static void rect(struct screen *s, int *y, int *x, int *h, int *w)
{
	*y = s->top + 3;
	*x = 1;
	*h = s->h - 3 > 1 ? s->h - 3 : 1;
	*w = s->w - 2;
}

static int takeaways_open(struct screen *s, const struct ui_target *on)
{
	struct takeaways *v = s->priv;
	if (!on->talk && !on->note) {
		ui_message(s->app, false, "%s", on->how ? on->how : "no talk selected: choose one first");
		return LY_ERR;
	}
	if (load(s, on) != LY_OK)
		return LY_ERR;
	struct pending *p = s->app->pending;
	v->target = (struct pending_target){ .talk = v->talk, .conf = s->app->conf.id };
	if (!v->talk)
		snprintf(v->target.scope, sizeof v->target.scope, "%s", v->scope);
	/* Text typed earlier that the store has not taken yet comes back. */
	const char *kept = pending_open(p, &v->target, v->was);
	if (on->by == ACT_EDITOR) {
		/* $EDITOR, then straight back to the view; its file stays until
		 * the text is in the database. */
		char *out = NULL, *merged = NULL, path[4096];
		struct ly_error err;
		if (editor_external_keep(kept ? kept : v->was, &out, path, sizeof path, &err) != LY_OK) {
			pending_close(p, &v->target, NULL);
			ui_message(s->app, true, "%s", err.msg);
			return LY_ERR;
		}
		enum pending_result r = pending_save(p, &v->target, out, &merged, &err);
		pending_close(p, &v->target, r == PENDING_KEPT ? path : NULL);
		if (r == PENDING_KEPT) {
			ui_message(s->app, true, "not saved yet, kept in %s and retried: %s", path, short_why(s, err.msg));
		} else {
			unlink(path);
			saved(s, merged ? merged : out);
			if (merged)
				ui_message(s->app, false, "saved; changed elsewhere meanwhile: both versions kept, marked");
		}
		free(out);
		free(merged);
		return LY_NOTFOUND;
	}
	if (kept)
		ui_message(s->app, true, "not saved yet: your earlier text is back; it is saved when the database takes it");
	int y, x, h, w;
	rect(s, &y, &x, &h, &w);
	v->ed = editor_open(stdscr, y, x, h, w, kept ? kept : v->was, save_text, s);
	if (!v->ed) {
		pending_close(p, &v->target, NULL);
		ui_message(s->app, true, "out of memory");
		return LY_ERR;
	}
	return LY_OK;
}

static void takeaways_close(struct screen *s)
{
	struct takeaways *v = s->priv;
	if (v->ed) {
		editor_close(v->ed, NULL); /* quitting: what is pending is saved, or kept */
		pending_close(s->app->pending, &v->target, NULL);
	}
	free(v->was);
}

static void takeaways_resize(struct screen *s)
{
	struct takeaways *v = s->priv;
	int y, x, h, w;
	rect(s, &y, &x, &h, &w);
	if (v->ed)
		editor_resize(v->ed, y, x, h, w);
}

static void takeaways_draw(struct screen *s)
{
	struct takeaways *v = s->priv;
	char title[600];
	snprintf(title, sizeof title, "%c%s", v->title[0] == 't' ? 'T' : v->title[0], v->title + 1);
	ui_text(s->top, 0, s->w, 0, "");
	ui_text_nopad(s->top, 1, s->w - 2, A_BOLD, title);
	ui_text(s->top + 1, 0, s->w, 0, "");
	ui_text_nopad(s->top + 1, 1, s->w - 2, ui_attr(ROLE_DIM),
	              *v->about ? v->about : "Saved as you type.");
	if (*v->about)
		ui_text_right(s->top + 1, 1, s->w - 2, ui_attr(ROLE_DIM), "saved as you type");
	ui_hline(s->top + 2, 0, s->w);
	if (v->ed) {
		editor_draw(v->ed);
		editor_place_cursor(v->ed);
	}
}

/* Esc: the last save, then back to the view it came from. */
static int finish(struct screen *s)
{
	struct takeaways *v = s->priv;
	char *now = strdup(editor_text(v->ed));
	struct ly_error err;
	int rc = editor_close(v->ed, &err);
	v->ed = NULL;
	pending_close(s->app->pending, &v->target, NULL);
	if (rc != LY_OK)
		not_saved_yet(s, err.msg);
	else if (pending_text(s->app->pending, &v->target))
		not_saved_yet(s, "the database refused it");
	else if (now)
		saved(s, now);
	free(now);
	return H_POP;
}

static int takeaways_handle(struct screen *s, enum action a, int key, bool keycode)
{
	(void)a;
	struct takeaways *v = s->priv;
	if (keycode && key == KEY_MOUSE) {
		editor_click(v->ed, s->app->mouse.y, s->app->mouse.x);
		return H_HANDLED;
	}
	int r = editor_handle(v->ed, key, keycode);
	if (r == EDITOR_DONE)
		return finish(s);
	if (r == EDITOR_ERROR)
		not_saved_yet(s, editor_error(v->ed));
	return H_HANDLED;
}

static void takeaways_tick(struct screen *s)
{
	struct takeaways *v = s->priv;
	if (v->ed && editor_tick(v->ed) == EDITOR_ERROR)
		not_saved_yet(s, editor_error(v->ed));
}

static bool takeaways_text_input(struct screen *s)
{
	(void)s;
	return true;
}

static void takeaways_target(struct screen *s, struct ui_target *out)
{
	struct takeaways *v = s->priv;
	out->talk = v->talk;
	out->note = v->talk ? NULL : v->scope;
}

/* Esc, then the editing keys the editor's own key table names for the
 * footer: the footer cannot drift from what the keys do. */
static const struct ui_hint *takeaways_hints(struct screen *s)
{
	(void)s;
	static struct ui_hint hints[12];
	if (!hints[0].label) {
		size_t n = 0;
		hints[n++] = (struct ui_hint){ ACT_BACK, "done (saved)", NULL };
		for (const struct editor_keydef *k = editor_keys; k->edit && n + 1 < sizeof hints / sizeof hints[0]; k++)
			if (k->hint)
				hints[n++] = (struct ui_hint){ ACT_NONE, k->hint, k->label };
	}
	return hints;
}

const struct screen_ops takeaways_screen = {
	.name = "Takeaways",
	.priv_size = sizeof(struct takeaways),
	.open = takeaways_open,
	.draw = takeaways_draw,
	.handle = takeaways_handle,
	.resize = takeaways_resize,
	.close = takeaways_close,
	.tick = takeaways_tick,
	.text_input = takeaways_text_input,
	.target = takeaways_target,
	.hints_now = takeaways_hints,
};
