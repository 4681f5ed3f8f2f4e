/* The main screen: Days | Tracks | Talks and the selected talk's details
 * (below the panes, or to their right from 120 columns). Each pane is its
 * own query: moving in Talks re-reads only the detail. Takeaways and notes
 * are edited in place in the detail area. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/editor.h"
#include "lanyard/ltime.h"
#include "lanyard/text.h"

enum { PANE_DAYS, PANE_TRACKS, PANE_TALKS, NPANES };

/* Extra rows under the days: the conference-wide notes. */
static const struct {
	const char *scope, *label;
} conf_notes[] = {
	{ "overall", "Overall" },
	{ "booths", "Booths" },
};
#define NCONF_NOTES 2

struct rect {
	int y, x, h, w;
};

struct browse {
	struct day_list days;
	struct track_list tracks;
	struct talk_rows talks;
	struct talk_detail detail;
	bool have_detail;
	char *note;                 /* the selected day's / conference note */
	int sel[NPANES], off[NPANES];
	int focus;
	struct rect pane[NPANES], info;
	/* search matches for n / N */
	struct talk_rows matches;
	int match;
	/* in-place editor */
	struct editor *ed;
	int64_t ed_talk;            /* 0 when editing a note */
	char ed_scope[16];
	int detail_skip;
};

static struct browse *B(struct screen *s)
{
	return s->priv;
}

static int ndays_rows(struct browse *b)
{
	return (int)b->days.n + NCONF_NOTES;
}

/* The note scope when a Days row that is not a day is selected. */
static const char *selected_note_scope(struct browse *b)
{
	int i = b->sel[PANE_DAYS] - (int)b->days.n;
	return i >= 0 && i < NCONF_NOTES ? conf_notes[i].scope : NULL;
}

static const char *selected_day(struct browse *b)
{
	if (b->sel[PANE_DAYS] < (int)b->days.n)
		return b->days.items[b->sel[PANE_DAYS]].day;
	return NULL;
}

static void error(struct screen *s, const struct ly_error *err)
{
	ui_message(s->app, true, "%s", err->msg);
}

static void load_detail(struct screen *s)
{
	struct browse *b = B(s);
	struct ly_error err;
	if (b->have_detail)
		model_talk_free(&b->detail);
	b->have_detail = false;
	b->detail_skip = 0;
	free(b->note);
	b->note = NULL;
	if (b->sel[PANE_TALKS] < (int)b->talks.n) {
		if (model_talk(s->app->st, b->talks.rows[b->sel[PANE_TALKS]].id, &b->detail, &err) == LY_OK)
			b->have_detail = true;
		else
			error(s, &err);
	}
	const char *scope = selected_note_scope(b);
	const char *day = selected_day(b);
	if (!scope && day && *day)
		scope = day;
	if (scope && store_get_note(s->app->st, s->app->conf.id, scope, &b->note, &err) != LY_OK)
		error(s, &err);
}

static void clamp(int *sel, int *off, int n)
{
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
	if (*off > *sel)
		*off = *sel;
	if (*off < 0)
		*off = 0;
}

static void load_talks(struct screen *s, int64_t keep_id)
{
	struct browse *b = B(s);
	struct ly_error err;
	if (!keep_id && b->sel[PANE_TALKS] < (int)b->talks.n)
		keep_id = b->talks.rows[b->sel[PANE_TALKS]].id;
	model_rows_free(&b->talks);
	const char *day = selected_day(b);
	if (day) {
		struct talk_query q = { .conf = s->app->conf.id, .day = day };
		if (b->sel[PANE_TRACKS] > 0 && b->sel[PANE_TRACKS] < (int)b->tracks.n)
			q.track = b->tracks.items[b->sel[PANE_TRACKS]].name;
		if (model_talks(s->app->st, &q, &b->talks, &err) != LY_OK)
			error(s, &err);
	}
	int found = -1;
	for (size_t i = 0; keep_id && i < b->talks.n; i++)
		if (b->talks.rows[i].id == keep_id)
			found = (int)i;
	if (found >= 0) {
		b->sel[PANE_TALKS] = found;
	} else if (keep_id) {
		b->sel[PANE_TALKS] = 0;
		b->off[PANE_TALKS] = 0;
	}
	clamp(&b->sel[PANE_TALKS], &b->off[PANE_TALKS], (int)b->talks.n);
	load_detail(s);
}

static void load_tracks(struct screen *s)
{
	struct browse *b = B(s);
	struct ly_error err;
	char *keep = NULL;
	if (b->sel[PANE_TRACKS] > 0 && b->sel[PANE_TRACKS] < (int)b->tracks.n)
		keep = strdup(b->tracks.items[b->sel[PANE_TRACKS]].name);
	model_tracks_free(&b->tracks);
	const char *day = selected_day(b);
	if (day && model_tracks(s->app->st, s->app->conf.id, day, &b->tracks, &err) != LY_OK)
		error(s, &err);
	b->sel[PANE_TRACKS] = 0;
	for (size_t i = 1; keep && i < b->tracks.n; i++)
		if (strcmp(b->tracks.items[i].name, keep) == 0)
			b->sel[PANE_TRACKS] = (int)i;
	free(keep);
	clamp(&b->sel[PANE_TRACKS], &b->off[PANE_TRACKS], (int)b->tracks.n);
	load_talks(s, 0);
}

static void load_days(struct screen *s)
{
	struct browse *b = B(s);
	struct ly_error err;
	char keep[11] = "";
	const char *day = selected_day(b);
	if (day)
		snprintf(keep, sizeof keep, "%s", day);
	model_days_free(&b->days);
	if (model_days(s->app->st, s->app->conf.id, &b->days, &err) != LY_OK)
		error(s, &err);
	if (keep[0] || b->sel[PANE_DAYS] < (int)b->days.n) {
		for (size_t i = 0; i < b->days.n; i++)
			if (strcmp(b->days.items[i].day, keep) == 0)
				b->sel[PANE_DAYS] = (int)i;
	}
	clamp(&b->sel[PANE_DAYS], &b->off[PANE_DAYS], ndays_rows(b));
	load_tracks(s);
}

/* Start on today when the conference is on, else on its first day. */
static void pick_today(struct browse *b)
{
	char today[11];
	ltime_conf_day(ltime_now(), today);
	for (size_t i = 0; i < b->days.n; i++)
		if (strcmp(b->days.items[i].day, today) == 0)
			b->sel[PANE_DAYS] = (int)i;
}

static int browse_open(struct screen *s, const void *arg)
{
	(void)arg;
	struct browse *b = B(s);
	b->focus = PANE_TALKS;
	struct ly_error err;
	if (model_days(s->app->st, s->app->conf.id, &b->days, &err) == LY_OK)
		pick_today(b);
	load_days(s);
	return LY_OK;
}

static void browse_close(struct screen *s)
{
	struct browse *b = B(s);
	if (b->ed) {
		editor_free(b->ed);
		b->ed = NULL;
	}
	model_days_free(&b->days);
	model_tracks_free(&b->tracks);
	model_rows_free(&b->talks);
	model_rows_free(&b->matches);
	if (b->have_detail)
		model_talk_free(&b->detail);
	free(b->note);
}

static void browse_refresh(struct screen *s)
{
	load_days(s);
}

/* ---- geometry ------------------------------------------------------- */

static void layout(struct browse *b, int top, int h, int w)
{
	int days_w = w >= 100 ? 15 : 12;
	int tracks_w = w >= 120 ? 26 : w >= 90 ? 24 : 18;
	bool side = w >= 120;
	int panes_w = side ? w * 58 / 100 : w;
	int panes_h = side ? h : h - h * 2 / 5;
	if (!side && panes_h < 7)
		panes_h = 7;
	b->pane[PANE_DAYS] = (struct rect){ top, 0, panes_h, days_w };
	b->pane[PANE_TRACKS] = (struct rect){ top, days_w + 1, panes_h, tracks_w };
	int talks_x = days_w + tracks_w + 2;
	b->pane[PANE_TALKS] = (struct rect){ top, talks_x, panes_h, panes_w - talks_x };
	if (side)
		b->info = (struct rect){ top, panes_w + 1, h, w - panes_w - 1 };
	else
		b->info = (struct rect){ top + panes_h, 0, h - panes_h, w };
}

/* ---- drawing -------------------------------------------------------- */

static void pane_header(struct screen *s, int pane, const char *title, const char *extra)
{
	struct browse *b = B(s);
	struct rect r = b->pane[pane];
	int attr = ui_attr(ROLE_HEADER) | (b->focus == pane && !b->ed ? (int)A_REVERSE : 0);
	char buf[128];
	snprintf(buf, sizeof buf, " %s%s%s", title, extra ? " " : "", extra ? extra : "");
	ui_text(r.y, r.x, r.w, attr, buf);
}

static int row_attr(struct browse *b, int pane, int i)
{
	if (i != b->sel[pane])
		return A_NORMAL;
	return b->focus == pane && !b->ed ? ui_attr(ROLE_SELECTED) : (int)(A_BOLD | A_UNDERLINE);
}

static void scroll_into_view(int sel, int *off, int rows)
{
	if (rows < 1)
		rows = 1;
	if (sel < *off)
		*off = sel;
	if (sel >= *off + rows)
		*off = sel - rows + 1;
}

static void draw_days(struct screen *s)
{
	struct browse *b = B(s);
	struct rect r = b->pane[PANE_DAYS];
	pane_header(s, PANE_DAYS, "Days", NULL);
	int rows = r.h - 1;
	scroll_into_view(b->sel[PANE_DAYS], &b->off[PANE_DAYS], rows);
	for (int i = 0; i < rows; i++) {
		int k = b->off[PANE_DAYS] + i;
		if (k >= ndays_rows(b))
			break;
		char buf[64];
		int attr = row_attr(b, PANE_DAYS, k);
		if (k < (int)b->days.n) {
			const struct day_item *d = &b->days.items[k];
			if (r.w >= 15)
				snprintf(buf, sizeof buf, " %-10s %3d", d->label, d->talks);
			else
				snprintf(buf, sizeof buf, " %s", d->label);
		} else {
			snprintf(buf, sizeof buf, " %s", conf_notes[k - (int)b->days.n].label);
			if (attr == A_NORMAL)
				attr = ui_attr(ROLE_LABEL);
		}
		ui_text(r.y + 1 + i, r.x, r.w, attr, buf);
	}
}

static void draw_tracks(struct screen *s)
{
	struct browse *b = B(s);
	struct rect r = b->pane[PANE_TRACKS];
	pane_header(s, PANE_TRACKS, "Tracks", NULL);
	int rows = r.h - 1;
	scroll_into_view(b->sel[PANE_TRACKS], &b->off[PANE_TRACKS], rows);
	for (int i = 0; i < rows; i++) {
		int k = b->off[PANE_TRACKS] + i;
		if (k >= (int)b->tracks.n)
			break;
		const struct track_item *t = &b->tracks.items[k];
		const char *name = !t->name ? "All tracks" : *t->name ? t->name : "(no track)";
		char count[16];
		int cw = snprintf(count, sizeof count, " %d ", t->talks);
		int attr = row_attr(b, PANE_TRACKS, k);
		ui_text(r.y + 1 + i, r.x, r.w, attr, "");
		ui_text_nopad(r.y + 1 + i, r.x + 1, r.w - cw - 1, attr | (t->name ? 0 : A_BOLD), name);
		ui_text_nopad(r.y + 1 + i, r.x + r.w - cw, cw, attr | (attr == A_NORMAL ? A_DIM : 0), count);
	}
	if (b->tracks.n == 0 && selected_note_scope(b))
		ui_text(r.y + 2, r.x + 1, r.w - 1, A_DIM, "t: write notes");
}

static void draw_talk_row(struct screen *s, const struct talk_row *t, int y, int x, int w, int attr)
{
	struct app *app = s->app;
	char hhmm[6];
	ui_hhmm(t->start, hhmm);
	bool removed = t->flags & TALK_REMOVED;
	int base = attr != A_NORMAL ? attr : removed ? (int)A_DIM : (int)A_NORMAL;
	ui_text(y, x, w, base, "");
	ui_text_nopad(y, x + 1, 5, base, hhmm);
	int gx = x + 7;
	ui_text_nopad(y, gx, 1, attr != A_NORMAL ? attr : ui_attr(ui_status_role(t->status)),
	              ui_status_glyph(app, t->status));
	if (t->rating) {
		char r[2] = { (char)('0' + t->rating), 0 };
		ui_text_nopad(y, gx + 1, 1, attr != A_NORMAL ? attr : ui_attr(ROLE_RATING), r);
	}
	if (t->flags & TALK_CLASH)
		ui_text_nopad(y, gx + 2, 1, attr != A_NORMAL ? attr | (int)A_BOLD : ui_attr(ROLE_CLASH), "!");
	else if (t->flags & TALK_MOVED)
		ui_text_nopad(y, gx + 2, 1, attr != A_NORMAL ? attr : ui_attr(ROLE_LABEL), "~");
	int room_w = w >= 60 ? 14 : w >= 40 ? 10 : 0;
	int title_x = gx + 4;
	int title_w = x + w - title_x - (room_w ? room_w + 1 : 0);
	char title[512];
	snprintf(title, sizeof title, "%s%s", t->title, removed ? " [removed]" : "");
	ui_text_nopad(y, title_x, title_w, base, title);
	if (room_w)
		ui_text_nopad(y, x + w - room_w, room_w, attr != A_NORMAL ? attr : ui_attr(ROLE_DIM), t->room);
}

static void draw_talks(struct screen *s)
{
	struct browse *b = B(s);
	struct rect r = b->pane[PANE_TALKS];
	char extra[64] = "";
	if (b->talks.n)
		snprintf(extra, sizeof extra, "(%d/%zu)", b->sel[PANE_TALKS] + 1, b->talks.n);
	pane_header(s, PANE_TALKS, "Talks", extra);
	int rows = r.h - 1;
	scroll_into_view(b->sel[PANE_TALKS], &b->off[PANE_TALKS], rows);
	for (int i = 0; i < rows; i++) {
		int k = b->off[PANE_TALKS] + i;
		if (k >= (int)b->talks.n)
			break;
		draw_talk_row(s, &b->talks.rows[k], r.y + 1 + i, r.x, r.w, row_attr(b, PANE_TALKS, k));
	}
	if (b->talks.n == 0 && selected_note_scope(b))
		ui_text(r.y + 2, r.x + 2, r.w - 2, A_DIM, "Conference notes: press t to write.");
}

static void draw_separators(struct browse *b)
{
	int attr = ui_attr(ROLE_BORDER);
	for (int p = 0; p < NPANES - 1; p++) {
		struct rect r = b->pane[p];
		for (int y = r.y; y < r.y + r.h; y++)
			mvaddch(y, r.x + r.w, ACS_VLINE | attr);
	}
	if (b->info.x > 0) {
		for (int y = b->info.y; y < b->info.y + b->info.h; y++)
			mvaddch(y, b->info.x - 1, ACS_VLINE | attr);
	} else {
		struct rect r = b->info;
		mvhline(r.y, 0, ACS_HLINE | attr, r.w);
	}
}

/* Detail: one line per fact, then the abstract, then the takeaways. */
static void draw_detail(struct screen *s, struct rect r)
{
	struct browse *b = B(s);
	struct app *app = s->app;
	const struct talk_detail *d = &b->detail;
	int y = r.y, end = r.y + r.h, x = r.x + 1, w = r.w - 2;
	ui_text_nopad(y++, x, w, A_BOLD, d->title);
	char line[512], hhmm1[6], hhmm2[6], label[16];
	ui_hhmm(d->start, hhmm1);
	ui_hhmm(d->end, hhmm2);
	ltime_day_label(d->day, label, sizeof label);
	if (d->start[0])
		snprintf(line, sizeof line, "%s %s\xe2\x80\x93%s  %s", label, hhmm1, d->end[0] ? hhmm2 : "", d->room);
	else
		snprintf(line, sizeof line, "Unscheduled  %s", d->room);
	if (y < end)
		ui_text_nopad(y++, x, w, ui_attr(ROLE_LABEL), line);
	snprintf(line, sizeof line, "%s%s%s", d->track, *d->type && *d->track ? " \xc2\xb7 " : "", d->type);
	if (y < end && line[0])
		ui_text_nopad(y++, x, w, A_DIM, line);
	if (y < end && *d->speakers)
		ui_text_nopad(y++, x, w, A_NORMAL, d->speakers);
	/* You: status, rating, clashes, schedule changes. */
	if (y < end && (d->status || d->rating || d->nclashes || (d->flags & (TALK_REMOVED | TALK_MOVED)))) {
		int cx = x;
		if (d->status) {
			snprintf(line, sizeof line, "%s %s  ", ui_status_glyph(app, d->status), store_status_name(d->status));
			cx += ui_text_nopad(y, cx, x + w - cx, ui_attr(ui_status_role(d->status)), line);
		}
		if (d->rating)
			cx += ui_text_nopad(y, cx, x + w - cx, ui_attr(ROLE_RATING), ui_stars(app, d->rating)) + 0;
		if (d->rating)
			cx += ui_text_nopad(y, cx, 2, A_NORMAL, "  ");
		if (d->nclashes) {
			snprintf(line, sizeof line, "%s %s%s", d->flags & TALK_CLASH ? "! clashes with" : "overlaps your",
			         d->clashes[0], d->nclashes > 1 ? " and more" : "");
			cx += ui_text_nopad(y, cx, x + w - cx, ui_attr(d->flags & TALK_CLASH ? ROLE_CLASH : ROLE_DIM), line);
		}
		y++;
	}
	if (y < end && (d->flags & TALK_REMOVED))
		ui_text_nopad(y++, x, w, ui_attr(ROLE_CLASH), "Removed from the schedule in the last update.");
	if (y < end && (d->flags & TALK_MOVED) && d->prev_start) {
		char was[6], was_label[16], day[11];
		ui_hhmm(d->prev_start, was);
		snprintf(day, sizeof day, "%.10s", d->prev_start);
		ltime_day_label(day, was_label, sizeof was_label);
		snprintf(line, sizeof line, "Moved in the last update; was %s %s, %s", was_label, was,
		         d->prev_room ? d->prev_room : "");
		ui_text_nopad(y++, x, w, ui_attr(ROLE_LABEL), line);
	}
	if (b->ed && b->ed_talk == d->id) {
		if (y < end)
			ui_text_nopad(y++, x, w, ui_attr(ROLE_HEADER), "Takeaways (saved as you type; Esc to finish, Ctrl-T time):");
		editor_draw(b->ed, y, x, end - y, w);
		return;
	}
	y++;
	int avail = end - y;
	int take_lines = *d->takeaways ? (avail >= 6 ? 3 : 1) + 1 : 0;
	if (avail - take_lines > 0) {
		int n = ui_wrap(y, x, avail - take_lines, w, A_NORMAL, d->abstract, b->detail_skip);
		y += n - b->detail_skip < avail - take_lines ? n - b->detail_skip : avail - take_lines;
	}
	if (*d->takeaways && y < end) {
		ui_text_nopad(y++, x, w, ui_attr(ROLE_HEADER), "Your takeaways:");
		ui_wrap(y, x, end - y, w, A_NORMAL, d->takeaways, 0);
	}
}

static void draw_note(struct screen *s, struct rect r)
{
	struct browse *b = B(s);
	int x = r.x + 1, w = r.w - 2, y = r.y;
	const char *scope = selected_note_scope(b);
	char title[64];
	if (scope) {
		snprintf(title, sizeof title, "%s", conf_notes[b->sel[PANE_DAYS] - (int)b->days.n].label);
	} else {
		char label[16];
		ltime_day_label(selected_day(b), label, sizeof label);
		snprintf(title, sizeof title, "Notes on %s", label);
	}
	ui_text_nopad(y++, x, w, A_BOLD, title);
	if (b->ed && b->ed_talk == 0) {
		ui_text_nopad(y++, x, w, ui_attr(ROLE_HEADER), "Saved as you type; Esc to finish, Ctrl-T time:");
		editor_draw(b->ed, y, x, r.y + r.h - y, w);
		return;
	}
	if (b->note && *b->note)
		ui_wrap(y + 1, x, r.y + r.h - y - 1, w, A_NORMAL, b->note, 0);
	else
		ui_text_nopad(y + 1, x, w, A_DIM, "No notes yet: press t to write some.");
}

static void browse_draw(struct screen *s, int top, int h, int w)
{
	struct browse *b = B(s);
	layout(b, top, h, w);
	draw_days(s);
	draw_tracks(s);
	draw_talks(s);
	draw_separators(b);
	struct rect r = b->info;
	if (r.x == 0)
		r.y++, r.h--;
	bool note_view = selected_note_scope(b) || (b->focus == PANE_DAYS && !b->have_detail) ||
	                 (b->ed && b->ed_talk == 0);
	if (note_view)
		draw_note(s, r);
	else if (b->have_detail)
		draw_detail(s, r);
	else if (b->days.n == 0)
		ui_text(r.y + 1, r.x + 1, r.w - 2, A_DIM, "This conference has no talks.");
}

/* ---- actions -------------------------------------------------------- */

static int pane_rows(struct browse *b, int pane)
{
	return pane == PANE_DAYS ? ndays_rows(b) : pane == PANE_TRACKS ? (int)b->tracks.n : (int)b->talks.n;
}

static void moved(struct screen *s, int pane)
{
	struct browse *b = B(s);
	if (pane == PANE_DAYS) {
		b->sel[PANE_TRACKS] = b->sel[PANE_TRACKS] > 0 ? b->sel[PANE_TRACKS] : 0;
		b->off[PANE_TALKS] = 0;
		b->sel[PANE_TALKS] = 0;
		load_tracks(s);
	} else if (pane == PANE_TRACKS) {
		b->sel[PANE_TALKS] = 0;
		b->off[PANE_TALKS] = 0;
		load_talks(s, -1);
	} else {
		load_detail(s);
	}
}

static void select_row(struct screen *s, int pane, int to)
{
	struct browse *b = B(s);
	int n = pane_rows(b, pane);
	if (n == 0)
		return;
	if (to < 0)
		to = 0;
	if (to >= n)
		to = n - 1;
	if (to == b->sel[pane])
		return;
	b->sel[pane] = to;
	moved(s, pane);
}

static const struct talk_row *selected_talk(struct browse *b)
{
	return b->sel[PANE_TALKS] < (int)b->talks.n ? &b->talks.rows[b->sel[PANE_TALKS]] : NULL;
}

static int save_editor(struct screen *s)
{
	struct browse *b = B(s);
	if (!b->ed || !editor_dirty(b->ed))
		return LY_OK;
	struct ly_error err;
	int rc = b->ed_talk ? store_set_takeaways(s->app->st, b->ed_talk, editor_text(b->ed), &err)
	                    : store_set_note(s->app->st, s->app->conf.id, b->ed_scope, editor_text(b->ed), &err);
	if (rc != LY_OK) {
		ui_message(s->app, true, "not saved: %s", err.msg);
		return rc;
	}
	editor_saved(b->ed);
	return LY_OK;
}

/* The note scope for t / E when the Days pane has the focus. */
static const char *note_scope_for_edit(struct browse *b)
{
	const char *scope = selected_note_scope(b);
	if (!scope && b->focus == PANE_DAYS) {
		const char *day = selected_day(b);
		scope = day && *day ? day : NULL;
	}
	return scope;
}

static int start_editor(struct screen *s)
{
	struct browse *b = B(s);
	const char *scope = note_scope_for_edit(b);
	const char *text;
	if (scope) {
		snprintf(b->ed_scope, sizeof b->ed_scope, "%s", scope);
		b->ed_talk = 0;
		text = b->note ? b->note : "";
	} else if (b->have_detail) {
		b->ed_talk = b->detail.id;
		text = b->detail.takeaways;
	} else {
		ui_message(s->app, false, "select a talk (or a day) first");
		return H_HANDLED;
	}
	b->ed = editor_new(text);
	if (!b->ed)
		ui_message(s->app, true, "out of memory");
	curs_set(b->ed ? 1 : 0);
	return H_HANDLED;
}

static int stop_editor(struct screen *s)
{
	struct browse *b = B(s);
	save_editor(s);
	editor_free(b->ed);
	b->ed = NULL;
	curs_set(0);
	ui_message(s->app, false, "saved");
	return H_HANDLED | H_REDRAW;
}

static int external_editor(struct screen *s)
{
	struct browse *b = B(s);
	const char *scope = note_scope_for_edit(b);
	int64_t talk = scope ? 0 : b->have_detail ? b->detail.id : 0;
	if (!scope && !talk)
		return H_HANDLED;
	const char *text = scope ? (b->note ? b->note : "") : b->detail.takeaways;
	char *out = NULL, why[256];
	term_suspend();
	int rc = editor_external(text, &out, why, sizeof why);
	term_resume();
	if (rc != 0) {
		ui_message(s->app, true, "%s", why);
		return H_HANDLED;
	}
	struct ly_error err;
	rc = scope ? store_set_note(s->app->st, s->app->conf.id, scope, out, &err)
	           : store_set_takeaways(s->app->st, talk, out, &err);
	free(out);
	if (rc != LY_OK)
		error(s, &err);
	else
		ui_message(s->app, false, "saved");
	return H_HANDLED | H_REDRAW;
}

static bool hit(struct rect r, int y, int x)
{
	return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

static int mouse(struct screen *s)
{
	struct browse *b = B(s);
	struct mouse_event *m = &s->app->mouse;
	for (int p = 0; p < NPANES; p++) {
		if (!hit(b->pane[p], m->y, m->x))
			continue;
		if (m->wheel_up || m->wheel_down) {
			select_row(s, p, b->sel[p] + (m->wheel_down ? 3 : -3));
		} else if (m->click) {
			b->focus = p;
			int row = m->y - b->pane[p].y - 1;
			if (row >= 0)
				select_row(s, p, b->off[p] + row);
		}
		return H_HANDLED;
	}
	if (hit(b->info, m->y, m->x) && (m->wheel_up || m->wheel_down)) {
		b->detail_skip += m->wheel_down ? 2 : -2;
		if (b->detail_skip < 0)
			b->detail_skip = 0;
	}
	return H_HANDLED;
}

static int browse_handle(struct screen *s, enum action a, int key, bool keycode)
{
	struct browse *b = B(s);
	if (b->ed) {
		int r = editor_key(b->ed, key, keycode);
		if (r == ED_DONE)
			return stop_editor(s);
		if (r == ED_SAVE_NOW)
			save_editor(s);
		return H_HANDLED;
	}
	if (keycode && key == KEY_MOUSE)
		return mouse(s);
	int p = b->focus;
	int page = b->pane[p].h > 2 ? b->pane[p].h - 2 : 1;
	switch (a) {
	case ACT_MOVE_DOWN: select_row(s, p, b->sel[p] + 1); return H_HANDLED;
	case ACT_MOVE_UP: select_row(s, p, b->sel[p] - 1); return H_HANDLED;
	case ACT_PAGE_DOWN: select_row(s, p, b->sel[p] + page); return H_HANDLED;
	case ACT_PAGE_UP: select_row(s, p, b->sel[p] - page); return H_HANDLED;
	case ACT_FIRST: select_row(s, p, 0); return H_HANDLED;
	case ACT_LAST: select_row(s, p, pane_rows(b, p) - 1); return H_HANDLED;
	case ACT_PANE_RIGHT:
	case ACT_PANE_NEXT:
		b->focus = p == PANE_TALKS ? (a == ACT_PANE_NEXT ? PANE_DAYS : PANE_TALKS) : p + 1;
		return H_HANDLED;
	case ACT_PANE_LEFT:
	case ACT_PANE_PREV:
		b->focus = p == PANE_DAYS ? (a == ACT_PANE_PREV ? PANE_TALKS : PANE_DAYS) : p - 1;
		return H_HANDLED;
	case ACT_OPEN:
		if (p != PANE_TALKS) {
			b->focus = p + 1;
			return H_HANDLED;
		}
		if (selected_talk(b))
			ui_push(s->app, &talk_screen, &selected_talk(b)->id);
		return H_HANDLED;
	case ACT_BACK:
		if (p != PANE_DAYS)
			b->focus = p - 1;
		return H_HANDLED;
	case ACT_PLANNED: case ACT_ATTENDED: case ACT_SKIPPED: case ACT_RATE_0:
	case ACT_RATE_1: case ACT_RATE_2: case ACT_RATE_3: case ACT_RATE_4: case ACT_RATE_5:
		if (!selected_talk(b))
			return H_HANDLED;
		return ui_mark(s->app, selected_talk(b)->id, selected_talk(b)->status, selected_talk(b)->title, a);
	case ACT_TAKEAWAYS: return start_editor(s);
	case ACT_EDITOR: return external_editor(s);
	case ACT_ALTERNATIVES:
		if (selected_talk(b))
			ui_push(s->app, &list_screen, &(struct list_arg){ "alternatives", selected_talk(b)->id });
		return H_HANDLED;
	default:
		return H_UNHANDLED;
	}
}

static void browse_tick(struct screen *s)
{
	struct browse *b = B(s);
	if (b->ed && editor_due(b->ed))
		save_editor(s);
}

static bool browse_text_input(struct screen *s)
{
	return B(s)->ed != NULL;
}

const char *browse_day(struct screen *s)
{
	return selected_day(B(s));
}

void browse_jump(struct screen *s, int64_t talk_id)
{
	struct browse *b = B(s);
	struct talk_detail d;
	struct ly_error err;
	if (model_talk(s->app->st, talk_id, &d, &err) != LY_OK) {
		error(s, &err);
		return;
	}
	for (size_t i = 0; i < b->days.n; i++)
		if (strcmp(b->days.items[i].day, d.day) == 0)
			b->sel[PANE_DAYS] = (int)i;
	load_tracks(s);
	b->sel[PANE_TRACKS] = 0;
	for (size_t i = 1; i < b->tracks.n; i++)
		if (strcmp(b->tracks.items[i].name, d.track) == 0)
			b->sel[PANE_TRACKS] = (int)i;
	load_talks(s, talk_id);
	b->focus = PANE_TALKS;
	model_talk_free(&d);
}

void browse_match(struct screen *s, int dir)
{
	struct browse *b = B(s);
	struct app *app = s->app;
	struct talk_query q = { .conf = app->conf.id, .search = app->search };
	model_rows_free(&b->matches);
	struct ly_error err;
	if (model_talks(app->st, &q, &b->matches, &err) != LY_OK) {
		error(s, &err);
		return;
	}
	if (b->matches.n == 0) {
		ui_message(app, false, "no match for \"%s\"", app->search);
		return;
	}
	/* Step from the selected talk, in time order, wrapping. */
	int64_t cur = selected_talk(b) ? selected_talk(b)->id : 0;
	int at = -1;
	for (size_t i = 0; i < b->matches.n; i++)
		if (b->matches.rows[i].id == cur)
			at = (int)i;
	int n = (int)b->matches.n;
	int next = at < 0 ? (dir > 0 ? 0 : n - 1) : ((at + dir) % n + n) % n;
	browse_jump(s, b->matches.rows[next].id);
	ui_message(app, false, "match %d of %d for \"%s\"", next + 1, n, app->search);
}

const struct screen_ops browse_screen = {
	.name = "",
	.priv_size = sizeof(struct browse),
	.open = browse_open,
	.draw = browse_draw,
	.handle = browse_handle,
	.reload = browse_refresh,
	.close = browse_close,
	.tick = browse_tick,
	.text_input = browse_text_input,
	.hints = "Tab pane Enter open p plan a went 1-5 rate t notes / find T A w R views ? help",
};
