/* The line-list widget the list views share (Agenda, Now/Next, Review,
 * Same time): lines of talks, headings and text; a selection that is a
 * talk's identity, not a row number, so it follows the talk when the view
 * is rebuilt and re-sorted; scrolling; drawing through draw.c.
 *
 * A view builds its lines (ll_clear, then ll_add...), calls ll_rebuilt,
 * and draws with ll_draw, giving a function that draws one talk line. The
 * talk rows a line points at belong to the view and must outlive the
 * lines; the text of each line belongs to the list.
 *
 * No line selected (sel -1) is a state of its own: a view opened with its
 * top to show (Review's counts) selects nothing until j, and then the
 * target has no talk, so marking keys say how to choose one.
 */
#ifndef LANYARD_UI_LIST_H
#define LANYARD_UI_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "lanyard/model.h"
#include "lanyard/ui_keys.h"

#define LL_WITH_MAX 6

struct ll_line {
	const struct talk_row *talk;  /* NULL: a heading or a text line */
	char *text;                   /* heading or extra text (owned), or NULL */
	int attr;
	/* A line naming several talks (a clash of two or more). */
	const struct talk_row *with[LL_WITH_MAX];
	int nwith;
	int num;                      /* free for the view (agenda: talks at the same time) */
};

struct linelist {
	struct ll_line *lines;
	int n, cap;
	int sel, off;                 /* sel: a talk line, or -1 */
	int rows;                     /* rows shown at the last draw */
};

/* Free the lines' text and forget them. The selection's index stays for
 * ll_rebuilt: take the selected talk's id (ll_current) before the rows it
 * points at are freed. */
void ll_clear(struct linelist *l);
void ll_free(struct linelist *l);
/* Append a line; NULL when out of memory (the line is then left out). */
struct ll_line *ll_add(struct linelist *l, const struct talk_row *talk, int attr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* After a rebuild: select the line of talk keep (0: none wanted); when it
 * is gone, the talk line nearest the old position; with keep 0 and
 * select false, nothing. */
void ll_rebuilt(struct linelist *l, int64_t keep, bool select);
/* Select line i (a talk line) and scroll it into view at the next draw. */
void ll_select(struct linelist *l, int i);
/* The selected talk (NULL: none). */
const struct talk_row *ll_current(const struct linelist *l);
/* Movement keys (j k PgDn PgUp g G and arrows): true when handled. g and
 * PgUp reach the very top, headings included. */
bool ll_handle(struct linelist *l, enum action a);

/* A click selects the talk line under it, the wheel moves; top is the
 * row ll_draw drew the first line at. */
struct mouse_event;
bool ll_mouse(struct linelist *l, const struct mouse_event *m, int top);

typedef void (*ll_draw_fn)(void *ctx, const struct ll_line *line, int y, int w, bool selected);
/* Lines from off at rows [top, top + h), w columns; heading and text
 * lines drawn here (one column in, as every screen's titles), talk
 * lines by row(). */
void ll_draw(struct linelist *l, int top, int h, int w, ll_draw_fn row, void *ctx);

/* One talk line, the same in every list view: " 11:00–11:35 • ! Title
 * Room  extra" (or " ★★★★☆ ✓ ! Title  extra" with stars). The title takes
 * what is free; the room and the extra column show only while the title
 * keeps about 24 columns. */
struct ll_cols {
	bool stars;        /* the rating instead of the time */
	int room_w;        /* 0: no room column */
	const char *extra; /* right-hand column ("in 5 min", the track) */
	int extra_w, extra_attr;
};
void ll_talk_row(int y, int w, const struct talk_row *t, bool selected, const struct ll_cols *c);
/* A view's title line, starting in column 1 like every screen's. */
void ll_title(int y, int w, const char *title);
/* The target of a list view: the selected talk and its day (written to
 * day), or no talk and how to choose one. */
struct ui_target;
void ll_target(const struct linelist *l, char day[11], struct ui_target *out);

#endif
