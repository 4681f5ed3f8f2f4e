/* Colours as semantic roles, drawing helpers and the terminal life cycle.
 * Every string drawn goes through draw.c's one path that sanitises,
 * measures in columns and cuts. */
#ifndef LANYARD_UI_DRAW_H
#define LANYARD_UI_DRAW_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "lanyard/model.h"
#include "lanyard/ui_keys.h"

/* ---- colours: semantic roles with a monochrome fallback ----------------- */
/* _(role, foreground, background, attribute without colour). Attributes are
 * ints here (A_* are unsigned in curses). With colour, bold/dim/underline
 * of the fallback are kept: they carry meaning on their own. NO_COLOR, or a
 * terminal without colours (vt100), gives the fallback. */
#define UI_ROLES(_) \
	_(NORMAL,    -1,            -1,          0) \
	_(TITLEBAR,  COLOR_BLACK,   COLOR_CYAN,  (int)A_REVERSE) \
	_(HEADER,    COLOR_CYAN,    -1,          A_BOLD) \
	_(FOCUS,     COLOR_BLACK,   COLOR_CYAN,  (int)(A_REVERSE | A_BOLD)) \
	_(SELECTED,  COLOR_BLACK,   COLOR_CYAN,  (int)A_REVERSE) \
	_(MARK,      COLOR_CYAN,    -1,          (int)(A_BOLD | A_UNDERLINE)) \
	_(BORDER,    COLOR_BLUE,    -1,          0) \
	_(DIM,       -1,            -1,          A_DIM) \
	_(PLANNED,   COLOR_CYAN,    -1,          A_BOLD) \
	_(ATTENDED,  COLOR_GREEN,   -1,          A_BOLD) \
	_(SKIPPED,   -1,            -1,          A_DIM) \
	_(CLASH,     COLOR_RED,     -1,          A_BOLD) \
	_(RATING,    COLOR_YELLOW,  -1,          A_BOLD) \
	_(TAG,       COLOR_MAGENTA, -1,          0) \
	_(NOW,       COLOR_MAGENTA, -1,          A_BOLD) \
	_(LABEL,     COLOR_YELLOW,  -1,          0) \
	_(BLOCK,     COLOR_WHITE,   COLOR_BLUE,  0) \
	_(MINE,      COLOR_BLACK,   COLOR_GREEN, (int)A_REVERSE) \
	_(KEY,       COLOR_CYAN,    -1,          A_BOLD) \
	_(ERROR,     COLOR_WHITE,   COLOR_RED,   (int)(A_REVERSE | A_BOLD))

enum role {
#define UI_ROLE_ENUM(id, fg, bg, mono) ROLE_##id,
	UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
	ROLE_COUNT
};

/* The curses attribute for a role (colour pair, or the mono fallback). */
int ui_attr(enum role r);

/* ---- drawing helpers (src/ui/draw.c) ---------------------------------- */
/* Every string goes through here: sanitised (text_sanitize: no control
 * characters or invalid UTF-8 reach the terminal), measured and cut in
 * display columns (text.h), and, when the locale is not UTF-8, with
 * non-ASCII characters replaced (›·–…★✓ by ASCII look-alikes, others by
 * '?', keeping their width), so UI strings may use UTF-8 freely. */
/* Draw s at y, x, clipped to w columns and padded with spaces to exactly
 * w columns. Returns the columns of text drawn (without the padding). */
int ui_text(int y, int x, int w, int attr, const char *s);
/* Like ui_text without padding. */
int ui_text_nopad(int y, int x, int w, int attr, const char *s);
/* Right-aligned within [x, x + w); returns the column where it starts. */
int ui_text_right(int y, int x, int w, int attr, const char *s);
/* Clear a rectangle. */
void ui_clear(int y, int x, int h, int w);
/* Wrapped paragraph(s) from line `skip` on, at most h lines at y; returns
 * the total line count (h = 0 only counts). */
int ui_wrap(int y, int x, int h, int w, int attr, const char *s, int skip);
/* Key hints ("key what  key what") with the keys highlighted, as many
 * whole items as fit in w columns. */
void ui_hints(int y, int x, int w, const struct ui_hint *hints);
/* Lines: ACS characters (drawn right on every terminal). */
void ui_vline(int y, int x, int h);
void ui_hline(int y, int x, int w);

/* Status glyphs: • planned, ✓ attended, ✗ skipped, " " none. */
const char *ui_status_glyph(enum talk_status s);
enum role ui_status_role(enum talk_status s);
/* "★★★★☆" (5 columns), or "" for 0. */
const char *ui_stars(int rating, char out[32]);
/* "4★" (2 columns), or "" for 0. */
const char *ui_rating(int rating, char out[8]);
/* "11:00" from a stamp, "--:--" when unscheduled. */
void ui_hhmm(const char *stamp, char out[6]);
/* A talk's end for a time column: "11:35", or "+29d" when it ends on a
 * later conference day than it starts (a 30-day talk is not 10:00–10:00). */
void ui_until(const char *start, const char *end, char out[6]);
/* "Wed 18 May 11:00–11:35" ("Unscheduled" when there is no start); an end
 * on a later conference day names that day too. */
void ui_when(const char *start, const char *end, char *out, size_t outlen);
/* What the last schedule update did to a talk, as the detail views say it:
 * removed, and/or moved with its old slot ("Moved in the last update; was
 * Wed 18 May 11:00, Room 2A"). Fills up to two lines; returns how many. */
int ui_change_notes(const struct talk_detail *d, char out[2][256]);

/* A room name in w columns, cut in the middle when it does not fit
 * ("Venet…Titian 2201": rooms that share a long prefix stay apart). */
int ui_room(int y, int x, int w, int attr, const char *room);
/* A room name's width in columns, as drawn. */
int ui_room_cols(const char *room);
/* The room column in a list avail columns wide whose widest room shown is
 * widest columns: up to 16, down to 8, once the title has 36 columns; 0
 * for none. */
int ui_room_column(int widest, int avail);

/* One talk as a row, the same in every list: " 11:00 •4★! Title  moved  Room".
 * sel is the selection's attribute (0 when not selected); room_w the room
 * column's width (0: none); with_day puts "Wed 18 May" before the time.
 * Removed talks are dimmed and tagged, moved ones tagged. Returns the
 * column where the title starts. */
int ui_talk_row(int y, int x, int w, const struct talk_row *t, int sel, int room_w, bool with_day);

/* ---- terminal life cycle (src/ui/term.c) ------------------------------ */
int term_start(struct ly_error *err);
void term_stop(void);
/* A signal asked us to leave (SIGINT, SIGTERM, SIGHUP), or the terminal
 * hung up. */
bool term_should_quit(void);
/* The flag the signal handlers set, for the store to stop long work. */
volatile sig_atomic_t *term_quit_flag(void);
/* The locale draws UTF-8 (set by term_start from nl_langinfo). */
bool term_utf8(void);
/* Leave curses for an external program and come back. */
void term_suspend(void);
void term_resume(void);

#define UI_MIN_COLS 60
#define UI_MIN_ROWS 16

#endif
