/* The main screen: Days | Tracks | Talks and the selected talk's details.
 *
 *   below 120 columns            120 columns and more
 *   Days | Tracks | Talks        Days   | Talks | Detail
 *   ---------------------        Tracks |       |
 *   Detail                              |       |
 *
 * Each pane is its own query and only the panes that depend on a change are
 * re-read: moving in Talks re-reads the detail alone (one talk); a new day
 * re-reads that day's tracks and talks; a mark re-reads the talks it can
 * change (the one marked, and the user's own talks it may clash with).
 * t opens the takeaways (or, in Days, the notes) on a screen of their own. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"
#include "lanyard/text.h"

enum { PANE_DAYS, PANE_TRACKS, PANE_TALKS, NPANES };
static const char *const pane_name[NPANES] = { "Days", "Tracks", "Talks" };

/* Rows under the days: the conference-wide notes. */
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
	struct talk_window talks;   /* the day's talks, read a page at a time */
	struct store *st;
	struct talk_detail detail;
	bool have_detail;
	char *note;                 /* the selected day's / conference note */
	char *want_track;           /* the track the user chose (NULL: All), kept
	                             * across days that do not have it */
	int sel[NPANES], off[NPANES];
	int focus;
	/* geometry (layout()): each pane's rectangle including its header */
	struct rect pane[NPANES], info;
	bool side;                  /* detail to the right */
	int detail_skip;            /* abstract lines scrolled away (wheel) */
};

static struct browse *B(struct screen *s)
{
	return s->priv;
}

static int ndays_rows(const struct browse *b)
{
	return (int)b->days.n + NCONF_NOTES;
}

static int pane_rows(const struct browse *b, int pane)
{
	return pane == PANE_DAYS ? ndays_rows(b) : pane == PANE_TRACKS ? (int)b->tracks.n : b->talks.total;
}

/* Talk i of the list (NULL: none). The row is the window's: valid until
 * the next row is asked for. */
static const struct talk_row *talk_at(struct browse *b, int i)
{
	struct ly_error err;
	return i >= 0 && i < b->talks.total ? talk_window_row(b->st, &b->talks, (size_t)i, &err) : NULL;
}

/* The conference note scope when a notes row of Days is selected. */
static const char *selected_note_scope(const struct browse *b)
{
	int i = b->sel[PANE_DAYS] - (int)b->days.n;
	return i >= 0 && i < NCONF_NOTES ? conf_notes[i].scope : NULL;
}

static const char *selected_day(const struct browse *b)
{
	if (b->sel[PANE_DAYS] < (int)b->days.n)
		return b->days.items[b->sel[PANE_DAYS]].day;
	return NULL;
}

static const char *selected_track(const struct browse *b)
{
	if (b->sel[PANE_TRACKS] > 0 && b->sel[PANE_TRACKS] < (int)b->tracks.n)
		return b->tracks.items[b->sel[PANE_TRACKS]].name;
	return NULL;
}

static const struct talk_row *selected_talk(struct browse *b)
{
	return talk_at(b, b->sel[PANE_TALKS]);
}

static void error(struct screen *s, const struct ly_error *err)
{
	ui_message(s->app, true, "%s", err->msg);
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

/* ---- loading: each pane from its own query ----------------------------- */

/* The note shown while Days has the focus or a notes row is selected:
 * read only then. */
static void load_note(struct screen *s)
{
	struct browse *b = B(s);
	struct ly_error err;
	free(b->note);
	b->note = NULL;
	const char *scope = selected_note_scope(b);
	const char *day = selected_day(b);
	if (!scope && b->focus == PANE_DAYS && day && *day)
		scope = day;
	if (scope && store_get_note(s->app->st, s->app->conf.id, scope, &b->note, &err) != LY_OK)
		error(s, &err);
}

static void load_detail(struct screen *s)
{
	struct browse *b = B(s);
	struct ly_error err;
	if (b->have_detail)
		model_talk_free(&b->detail);
	b->have_detail = false;
	b->detail_skip = 0;
	const struct talk_row *t = selected_talk(b);
	if (t) {
		if (model_talk(s->app->st, t->id, &b->detail, &err) == LY_OK)
			b->have_detail = true;
		else
			error(s, &err);
	}
	load_note(s);
}

/* Re-read the talks; keep the cursor on keep_id (0: the selected talk) if
 * it is still there, else on the same row. */
static void load_talks(struct screen *s, int64_t keep_id)
{
	struct browse *b = B(s);
	struct ly_error err;
	const struct talk_row *cur = selected_talk(b);
	if (!keep_id && cur)
		keep_id = cur->id;
	talk_window_free(&b->talks);
	const char *day = selected_day(b);
	if (day) {
		struct talk_query q = { .conf = s->app->conf.id, .day = day, .track = selected_track(b) };
		/* The Tracks pane already counted this list. */
		int sel = b->sel[PANE_TRACKS];
		int total = sel >= 0 && (size_t)sel < b->tracks.n ? b->tracks.items[sel].talks : -1;
		if (talk_window_open_sized(s->app->st, &q, total, &b->talks, &err) != LY_OK)
			error(s, &err);
	}
	size_t at;
	if (keep_id > 0 && talk_window_find(s->app->st, &b->talks, keep_id, &at, &err) == LY_OK)
		b->sel[PANE_TALKS] = (int)at;
	clamp(&b->sel[PANE_TALKS], &b->off[PANE_TALKS], b->talks.total);
	load_detail(s);
}

static void load_tracks(struct screen *s)
{
	struct browse *b = B(s);
	struct ly_error err;
	const char *keep = b->want_track;
	model_tracks_free(&b->tracks);
	const char *day = selected_day(b);
	if (day && model_tracks(s->app->st, s->app->conf.id, day, &b->tracks, &err) != LY_OK)
		error(s, &err);
	/* The same track on the new day, if it has one. */
	b->sel[PANE_TRACKS] = 0;
	for (size_t i = 1; keep && i < b->tracks.n; i++)
		if (strcmp(b->tracks.items[i].name, keep) == 0)
			b->sel[PANE_TRACKS] = (int)i;
	clamp(&b->sel[PANE_TRACKS], &b->off[PANE_TRACKS], (int)b->tracks.n);
	load_talks(s, 0);
}

static void load_days(struct screen *s)
{
	struct browse *b = B(s);
	struct ly_error err;
	char keep[11] = "";
	const char *day = selected_day(b);
	bool on_day = day != NULL;
	if (day)
		snprintf(keep, sizeof keep, "%s", day);
	model_days_free(&b->days);
	if (model_days(s->app->st, s->app->conf.id, &b->days, &err) != LY_OK)
		error(s, &err);
	for (size_t i = 0; on_day && i < b->days.n; i++)
		if (strcmp(b->days.items[i].day, keep) == 0)
			b->sel[PANE_DAYS] = (int)i;
	clamp(&b->sel[PANE_DAYS], &b->off[PANE_DAYS], ndays_rows(b));
	load_tracks(s);
}

/* ---- the screen's life ------------------------------------------------ */

static void layout(struct screen *s);

static int browse_open(struct screen *s, const struct ui_target *on)
{
	(void)on;
	struct browse *b = B(s);
	struct ly_error err;
	b->st = s->app->st;
	b->focus = PANE_TALKS;
	if (model_days(s->app->st, s->app->conf.id, &b->days, &err) != LY_OK)
		error(s, &err);
	/* Start on today when the conference is on, else on its first day. */
	char today[11], now[17];
	int64_t minute = ltime_now();
	ltime_conf_day(minute, today);
	ltime_format_stamp(minute, now);
	bool on_today = false;
	for (size_t i = 0; i < b->days.n; i++)
		if (strcmp(b->days.items[i].day, today) == 0)
			b->sel[PANE_DAYS] = (int)i, on_today = true;
	clamp(&b->sel[PANE_DAYS], &b->off[PANE_DAYS], ndays_rows(b));
	load_tracks(s);
	/* ... and on today's first talk still running or yet to start, near the
	 * top of the pane, so what matters now is what you see first (not an
	 * all-day store or quiet room that started at 8). */
	size_t i;
	if (on_today && talk_window_find_now(s->app->st, &b->talks, now, &i, &err) == LY_OK) {
		b->sel[PANE_TALKS] = (int)i;
		b->off[PANE_TALKS] = i > 0 ? (int)i - 1 : 0;
		load_detail(s);
	}
	layout(s);
	return LY_OK;
}

static void browse_close(struct screen *s)
{
	struct browse *b = B(s);
	model_days_free(&b->days);
	model_tracks_free(&b->tracks);
	talk_window_free(&b->talks);
	if (b->have_detail)
		model_talk_free(&b->detail);
	free(b->note);
	free(b->want_track);
}

/* A mark changes its own row and the clash marks of the user's talks it
 * overlaps: the page on screen is read again (and the list's length), not
 * the days and tracks. A talk not in the list, or a removed one (which may
 * appear or vanish), re-reads every pane. */
static void browse_reload(struct screen *s, int64_t talk)
{
	struct browse *b = B(s);
	struct ly_error err;
	size_t at;
	bool removed = b->have_detail && b->detail.id == talk && (b->detail.flags & TALK_REMOVED);
	if (talk && !removed && talk_window_find(s->app->st, &b->talks, talk, &at, &err) == LY_OK) {
		talk_window_refresh(&b->talks); /* the same talks: their marks again */
		load_detail(s);
		return;
	}
	load_days(s);
	layout(s);
}

/* ---- geometry ------------------------------------------------------- */

static void layout(struct screen *s)
{
	struct browse *b = B(s);
	int top = s->top, h = s->h, w = s->w;
	b->side = w >= 120;
	if (b->side) {
		/* Days over Tracks on the left, Talks, the detail on the right. */
		int left = w >= 160 ? 28 : 24;
		int talks_w = (w - left - 2) * 60 / 100;
		int days_h = ndays_rows(b) + 1;
		if (days_h > h / 3)
			days_h = h / 3;
		b->pane[PANE_DAYS] = (struct rect){ top, 0, days_h, left };
		b->pane[PANE_TRACKS] = (struct rect){ top + days_h, 0, h - days_h, left };
		b->pane[PANE_TALKS] = (struct rect){ top, left + 1, h, talks_w };
		b->info = (struct rect){ top, left + talks_w + 2, h, w - left - talks_w - 2 };
		return;
	}
	/* " Wed 18 May " (a space after "Unscheduled" too), counts from 100. */
	bool unscheduled = b->days.n && !b->days.items[b->days.n - 1].day[0];
	int days_w = (w >= 100 ? 16 : 12) + (unscheduled && w < 100);
	int tracks_w = w >= 100 ? 24 : w >= 80 ? 17 : 15;
	int info_h = h * 2 / 5;
	int panes_h = h - info_h - 1;
	b->pane[PANE_DAYS] = (struct rect){ top, 0, panes_h, days_w };
	b->pane[PANE_TRACKS] = (struct rect){ top, days_w + 1, panes_h, tracks_w };
	int talks_x = days_w + tracks_w + 2;
	b->pane[PANE_TALKS] = (struct rect){ top, talks_x, panes_h, w - talks_x };
	b->info = (struct rect){ top + panes_h + 1, 0, info_h, w };
}

static void browse_resize(struct screen *s)
{
	layout(s);
}

/* ---- drawing -------------------------------------------------------- */

static bool focused(const struct browse *b, int pane)
{
	return b->focus == pane;
}

static void pane_header(struct browse *b, int pane, const char *extra)
{
	struct rect r = b->pane[pane];
	int attr = focused(b, pane) ? ui_attr(ROLE_FOCUS) : ui_attr(ROLE_HEADER);
	ui_text(r.y, r.x, r.w, attr, "");
	int used = ui_text_nopad(r.y, r.x + 1, r.w - 1, attr, pane_name[pane]);
	if (extra)
		ui_text_right(r.y, r.x + used + 2, r.w - used - 3, attr, extra);
}

/* The selection: reverse in the focused pane, a quieter mark elsewhere. */
static int row_attr(const struct browse *b, int pane, int i)
{
	if (i != b->sel[pane])
		return 0;
	return focused(b, pane) ? ui_attr(ROLE_SELECTED) : ui_attr(ROLE_MARK);
}

static void scroll_into_view(int sel, int *off, int rows, int n)
{
	if (rows < 1)
		rows = 1;
	if (sel < *off)
		*off = sel;
	if (sel >= *off + rows)
		*off = sel - rows + 1;
	/* no empty rows at the end while there is more above */
	if (*off > 0 && *off + rows > n)
		*off = n - rows > 0 ? n - rows : 0;
}

static void draw_days(struct browse *b)
{
	struct rect r = b->pane[PANE_DAYS];
	pane_header(b, PANE_DAYS, NULL);
	int rows = r.h - 1;
	scroll_into_view(b->sel[PANE_DAYS], &b->off[PANE_DAYS], rows, ndays_rows(b));
	for (int i = 0; i < rows; i++) {
		int k = b->off[PANE_DAYS] + i;
		if (k >= ndays_rows(b))
			break;
		int y = r.y + 1 + i, attr = row_attr(b, PANE_DAYS, k);
		ui_text(y, r.x, r.w, attr, "");
		if (k < (int)b->days.n) {
			const struct day_item *d = &b->days.items[k];
			ui_text_nopad(y, r.x + 1, r.w - 1, attr, d->label);
			if (r.w >= 16) {
				char n[16];
				snprintf(n, sizeof n, "%d", d->talks);
				ui_text_right(y, r.x, r.w - 1, attr ? attr : ui_attr(ROLE_DIM), n);
			}
		} else {
			ui_text_nopad(y, r.x + 1, r.w - 1, attr ? attr : ui_attr(ROLE_LABEL), conf_notes[k - (int)b->days.n].label);
		}
	}
}

/* Track name k (already sanitised, as all of clean[1..n-1]) cut to w
 * columns: at the end, unless that makes it look like another track's
 * ("Cloud Native…" three times on the co-located day); then in the middle
 * ("Clou…eBPF Day"). */
static void fit_track(char *const *clean, size_t n, size_t k, int w, char *out, size_t outlen)
{
	char o[512];
	text_fit(clean[k], w, out, outlen);
	if (strcmp(out, clean[k]) == 0)
		return;
	for (size_t i = 1; i < n; i++) {
		if (i == k || !clean[i])
			continue;
		text_fit(clean[i], w, o, sizeof o);
		if (strcmp(o, out) == 0) {
			text_fit_middle(clean[k], w, out, outlen);
			return;
		}
	}
}

static void draw_tracks(struct browse *b)
{
	struct rect r = b->pane[PANE_TRACKS];
	pane_header(b, PANE_TRACKS, NULL);
	int rows = r.h - 1;
	scroll_into_view(b->sel[PANE_TRACKS], &b->off[PANE_TRACKS], rows, (int)b->tracks.n);
	/* Each name sanitised once per draw: cutting one looks at all. */
	char **clean = calloc(b->tracks.n ? b->tracks.n : 1, sizeof *clean);
	for (size_t i = 1; clean && i < b->tracks.n; i++)
		clean[i] = text_sanitize(b->tracks.items[i].name, false);
	for (int i = 0; i < rows; i++) {
		int k = b->off[PANE_TRACKS] + i;
		if (k >= (int)b->tracks.n)
			break;
		const struct track_item *t = &b->tracks.items[k];
		const char *name = !t->name ? "All tracks" : *t->name ? t->name : "(no track)";
		char count[16], fitted[512];
		int cw = snprintf(count, sizeof count, "%d", t->talks);
		if (t->name && *t->name && clean && clean[k]) {
			fit_track(clean, b->tracks.n, (size_t)k, r.w - cw - 3, fitted, sizeof fitted);
			name = fitted;
		}
		int y = r.y + 1 + i, attr = row_attr(b, PANE_TRACKS, k);
		ui_text(y, r.x, r.w, attr, "");
		ui_text_nopad(y, r.x + 1, r.w - cw - 3, attr | (t->name ? 0 : (int)A_BOLD), name);
		ui_text_right(y, r.x, r.w - 1, attr ? attr : ui_attr(ROLE_DIM), count);
	}
	for (size_t i = 1; clean && i < b->tracks.n; i++)
		free(clean[i]);
	free(clean);
	if (b->tracks.n == 0)
		ui_text(r.y + 2, r.x + 1, r.w - 1, ui_attr(ROLE_DIM), selected_note_scope(b) ? "(notes)" : "");
}

static void draw_talks(struct browse *b)
{
	struct rect r = b->pane[PANE_TALKS];
	char extra[48] = "";
	if (b->talks.total)
		snprintf(extra, sizeof extra, "%d/%d", b->sel[PANE_TALKS] + 1, b->talks.total);
	pane_header(b, PANE_TALKS, extra[0] ? extra : NULL);
	int rows = r.h - 1;
	scroll_into_view(b->sel[PANE_TALKS], &b->off[PANE_TALKS], rows, b->talks.total);
	/* The room column as wide as the widest room shown, once titles have
	 * their room. */
	int off = b->off[PANE_TALKS], widest = 0;
	for (int i = 0; i < rows; i++) {
		const struct talk_row *t = talk_at(b, off + i);
		if (!t)
			break;
		int tw = ui_room_cols(t->room);
		widest = tw > widest ? tw : widest;
	}
	int room_w = ui_room_column(widest, r.w);
	for (int i = 0; i < rows; i++) {
		int k = b->off[PANE_TALKS] + i;
		const struct talk_row *t = talk_at(b, k);
		if (!t)
			break;
		ui_talk_row(r.y + 1 + i, r.x, r.w, t, row_attr(b, PANE_TALKS, k), room_w, false);
	}
	if (b->talks.total == 0) {
		const char *why = selected_note_scope(b) ? "Conference notes: see below, t to write."
		                : b->days.n == 0     ? "This conference has no talks."
		                                     : "No talks here.";
		ui_text(r.y + 2, r.x + 2, r.w - 2, ui_attr(ROLE_DIM), why);
	}
}

static void draw_separators(struct browse *b)
{
	if (b->side) {
		struct rect t = b->pane[PANE_TALKS];
		ui_vline(t.y, t.x - 1, t.h);
		ui_vline(t.y, b->info.x - 1, t.h);
		return;
	}
	for (int p = 0; p < NPANES - 1; p++) {
		struct rect r = b->pane[p];
		ui_vline(r.y, r.x + r.w, r.h);
	}
	ui_hline(b->info.y - 1, 0, b->info.w);
}

/* One fact per line while there is room; returns the next row. */
static int fact(int y, int end, int x, int w, int attr, const char *text)
{
	if (y >= end || !text || !*text)
		return y;
	ui_text_nopad(y, x, w, attr, text);
	return y + 1;
}

/* Detail: title, when and where, track and type, speakers, your marks,
 * schedule changes, the abstract, the start of your takeaways. */
static void draw_detail(struct screen *s, struct rect r)
{
	struct browse *b = B(s);
	const struct talk_detail *d = &b->detail;
	int y = r.y, end = r.y + r.h, x = r.x + 1, w = r.w - 2;
	char line[1024], when[64];
	/* A long title may take two lines where there is room. */
	int title_lines = ui_wrap(0, x, 0, w, A_BOLD, d->title, 0) > 1 && r.h >= 12 ? 2 : 1;
	if (title_lines == 2) {
		ui_wrap(y, x, 2, w, A_BOLD, d->title, 0);
		y += 2;
	} else {
		y = fact(y, end, x, w, A_BOLD, d->title);
	}
	ui_when(d->start, d->end, when, sizeof when);
	snprintf(line, sizeof line, "%s%s%s", when, *d->room ? " \xc2\xb7 " : "", d->room);
	y = fact(y, end, x, w, ui_attr(ROLE_LABEL), line);
	snprintf(line, sizeof line, "%s%s%s", d->track, *d->type && *d->track ? " \xc2\xb7 " : "", d->type);
	y = fact(y, end, x, w, ui_attr(ROLE_DIM), line);
	y = fact(y, end, x, w, A_NORMAL, d->speakers);
	/* You: status, rating, clashes. */
	if (y < end && (d->status || d->rating || d->nclashes)) {
		int cx = x;
		if (d->status) {
			snprintf(line, sizeof line, "%s %s", ui_status_glyph(d->status), store_status_name(d->status));
			cx += ui_text_nopad(y, cx, x + w - cx, ui_attr(ui_status_role(d->status)), line) + 2;
		}
		if (d->rating) {
			char stars[32];
			cx += ui_text_nopad(y, cx, x + w - cx, ui_attr(ROLE_RATING), ui_stars(d->rating, stars)) + 2;
		}
		if (d->nclashes) {
			snprintf(line, sizeof line, "%s %s%s", d->flags & TALK_CLASH ? "! clashes with" : "overlaps your",
			         d->clashes[0], d->nclashes > 1 ? " and more" : "");
			ui_text_nopad(y, cx, x + w - cx, ui_attr(d->flags & TALK_CLASH ? ROLE_CLASH : ROLE_DIM), line);
		}
		y++;
	}
	char notes[2][256];
	for (int i = 0, n = ui_change_notes(d, notes); i < n; i++)
		y = fact(y, end, x, w, ui_attr(ROLE_TAG), notes[i]);
	if (y < end - 1)
		y++;
	int avail = end - y;
	bool take = *d->takeaways && avail >= 2;
	int abs_h = avail - (take ? (avail >= 6 ? 3 : 1) : 0);
	if (abs_h > 0 && *d->abstract) {
		int n = ui_wrap(y, x, abs_h, w, A_NORMAL, d->abstract, b->detail_skip) - b->detail_skip;
		y += n < abs_h ? n : abs_h;
	}
	if (take && y < end) {
		/* "Takeaways: " and as much of them as fits, as one paragraph. */
		size_t n = strlen(d->takeaways) + 16;
		char *para = malloc(n);
		if (para) {
			snprintf(para, n, "Takeaways: %s", d->takeaways);
			ui_wrap(y, x, end - y, w, A_NORMAL, para, 0);
			ui_text_nopad(y, x, w, ui_attr(ROLE_HEADER), "Takeaways:");
			free(para);
		}
	}
}

static void draw_note(struct screen *s, struct rect r)
{
	struct browse *b = B(s);
	int x = r.x + 1, w = r.w - 2, y = r.y, end = r.y + r.h;
	const char *scope = selected_note_scope(b);
	char title[64];
	if (scope) {
		snprintf(title, sizeof title, "%s", conf_notes[b->sel[PANE_DAYS] - (int)b->days.n].label);
	} else {
		char label[16];
		const char *day = selected_day(b);
		if (day && *day)
			ltime_day_label(day, label, sizeof label);
		else
			snprintf(label, sizeof label, "this day");
		snprintf(title, sizeof title, "Notes on %s", label);
	}
	y = fact(y, end, x, w, A_BOLD, title);
	if (b->note && *b->note)
		ui_wrap(y + 1, x, end - y - 1, w, A_NORMAL, b->note, 0);
	else
		ui_text_nopad(y + 1, x, w, ui_attr(ROLE_DIM), "No notes yet: press t to write some.");
}

static void browse_draw(struct screen *s)
{
	struct browse *b = B(s);
	draw_days(b);
	draw_tracks(b);
	draw_talks(b);
	draw_separators(b);
	struct rect r = b->info;
	bool day_note = b->focus == PANE_DAYS && selected_day(b) && *selected_day(b);
	bool note_view = selected_note_scope(b) || day_note;
	if (note_view)
		draw_note(s, r);
	else if (b->have_detail)
		draw_detail(s, r);
	else if (b->days.n == 0)
		ui_text(r.y + 1, r.x + 1, r.w - 2, ui_attr(ROLE_DIM), "This conference has no talks.");
}

static void browse_where(struct screen *s, char *out, size_t len)
{
	struct browse *b = B(s);
	const char *scope = selected_note_scope(b);
	if (scope) {
		snprintf(out, len, "%s", conf_notes[b->sel[PANE_DAYS] - (int)b->days.n].label);
		return;
	}
	const char *day = selected_day(b), *track = selected_track(b);
	char label[16] = "";
	if (day && *day)
		ltime_day_label(day, label, sizeof label);
	else if (day)
		snprintf(label, sizeof label, "Unscheduled");
	snprintf(out, len, "%s \xe2\x80\xba %s", label, track ? (*track ? track : "(no track)") : "All tracks");
}

/* ---- actions -------------------------------------------------------- */

static void moved(struct screen *s, int pane)
{
	struct browse *b = B(s);
	if (pane == PANE_DAYS) {
		b->sel[PANE_TALKS] = b->off[PANE_TALKS] = 0;
		load_tracks(s);
		layout(s); /* the days pane's height may change with the notes rows */
	} else if (pane == PANE_TRACKS) {
		free(b->want_track);
		b->want_track = selected_track(b) ? strdup(selected_track(b)) : NULL;
		b->sel[PANE_TALKS] = b->off[PANE_TALKS] = 0;
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

static void set_focus(struct screen *s, int pane)
{
	struct browse *b = B(s);
	bool note_before = b->focus == PANE_DAYS;
	b->focus = pane;
	if (note_before != (pane == PANE_DAYS))
		load_note(s); /* the day's note shows while Days has the focus */
}

static bool hit(struct rect r, int y, int x)
{
	return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

static int mouse(struct screen *s)
{
	struct browse *b = B(s);
	const struct mouse_event *m = &s->app->mouse;
	for (int p = 0; p < NPANES; p++) {
		if (!hit(b->pane[p], m->y, m->x))
			continue;
		if (m->wheel_up || m->wheel_down) {
			select_row(s, p, b->sel[p] + (m->wheel_down ? 3 : -3));
		} else if (m->click) {
			set_focus(s, p);
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
	case ACT_PANE_RIGHT: set_focus(s, p < PANE_TALKS ? p + 1 : p); return H_HANDLED;
	case ACT_PANE_LEFT: set_focus(s, p > PANE_DAYS ? p - 1 : p); return H_HANDLED;
	case ACT_PANE_NEXT: set_focus(s, (p + 1) % NPANES); return H_HANDLED;
	case ACT_PANE_PREV: set_focus(s, (p + NPANES - 1) % NPANES); return H_HANDLED;
	case ACT_OPEN:
		if (p != PANE_TALKS) {
			set_focus(s, p + 1);
			return H_HANDLED;
		}
		return H_UNHANDLED; /* the driver opens the talk under the cursor */
	case ACT_BACK:
		/* Esc on the main screen stays put: a stray Esc must not move
		 * the focus under the keys that follow. */
		return H_HANDLED;
	default:
		return H_UNHANDLED;
	}
}

/* The talk in the detail area, or the notes shown there instead. */
static void browse_target(struct screen *s, struct ui_target *out)
{
	struct browse *b = B(s);
	const char *day = selected_day(b);
	out->day = day;
	const char *scope = selected_note_scope(b);
	if (!scope && b->focus == PANE_DAYS && day && *day)
		scope = day;
	if (scope) {
		out->note = scope;
		out->how = "the notes show here: press l (or Tab) to reach the talks";
		return;
	}
	const struct talk_row *t = selected_talk(b);
	out->talk = t ? t->id : 0;
	out->how = "no talk here: choose a day and a track with talks";
}

/* Select a talk: its day, its track (or All tracks), the Talks pane. */
static void browse_show(struct screen *s, int64_t talk_id)
{
	struct browse *b = B(s);
	struct talk_detail d;
	struct ly_error err;
	if (model_talk(s->app->st, talk_id, &d, &err) != LY_OK) {
		error(s, &err);
		return;
	}
	bool day_changed = !selected_day(b) || strcmp(selected_day(b), d.day) != 0;
	for (size_t i = 0; i < b->days.n; i++)
		if (strcmp(b->days.items[i].day, d.day) == 0)
			b->sel[PANE_DAYS] = (int)i;
	/* Stay in the selected track when the talk is in it, else All tracks. */
	const char *track = selected_track(b);
	if (day_changed || (track && strcmp(track, d.track) != 0)) {
		b->sel[PANE_TRACKS] = 0;
		free(b->want_track);
		b->want_track = NULL;
		if (day_changed) {
			model_tracks_free(&b->tracks);
			if (model_tracks(s->app->st, s->app->conf.id, d.day, &b->tracks, &err) != LY_OK)
				error(s, &err);
		}
	}
	load_talks(s, talk_id);
	b->focus = PANE_TALKS;
	layout(s);
	model_talk_free(&d);
}

/* In the order they matter on the day: what fits at 80 columns first. */
static const struct ui_hint hints[] = {
	{ ACT_HELP, "help", NULL },          { ACT_PLANNED, "plan", NULL },   { ACT_ATTENDED, "attended", NULL },
	{ ACT_RATE_1, "rate", "1-5" },       { ACT_TAKEAWAYS, "takeaways", NULL }, { ACT_NOWNEXT, "now", NULL },
	{ ACT_AGENDA, "agenda", NULL },      { ACT_REVIEW, "review", NULL },  { ACT_SEARCH, "search", NULL },
	{ ACT_UNDO, "undo", NULL },          { ACT_OPEN, "open", NULL },      { ACT_PANE_NEXT, "pane", NULL },
	{ ACT_QUIT, "quit", NULL },          { 0 },
};

const struct screen_ops browse_screen = {
	.name = "",
	.priv_size = sizeof(struct browse),
	.open = browse_open,
	.draw = browse_draw,
	.handle = browse_handle,
	.resize = browse_resize,
	.close = browse_close,
	.reload = browse_reload,
	.target = browse_target,
	.show = browse_show,
	.where = browse_where,
	.hints = hints,
};
