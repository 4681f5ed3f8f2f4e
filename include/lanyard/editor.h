/* A multi-line UTF-8 text editor for takeaways and notes.
 *
 * textbuf_* is the pure text buffer (no curses): a byte string and a cursor
 * that always sits on a character boundary, never between a base character
 * and its combining marks. Layout soft-wraps by display columns.
 * editor_* (src/ui/editor.c) draws a textbuf in a rectangle and turns keys
 * into edits; the screen hosting it saves the text (see editor_due).
 */
#ifndef LANYARD_EDITOR_H
#define LANYARD_EDITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct textbuf {
	char *s;          /* NUL-terminated UTF-8, owned */
	size_t len, cap;
	size_t cur;       /* cursor byte offset */
	int want_col;     /* column kept by up/down; -1 = none */
	unsigned gen;     /* bumped on every change */
};

int textbuf_init(struct textbuf *b, const char *text);
void textbuf_free(struct textbuf *b);
/* Insert UTF-8 at the cursor; control characters other than '\n' and
 * invalid bytes are dropped. Returns 0, or -1 when out of memory. */
int textbuf_insert(struct textbuf *b, const char *s);
void textbuf_backspace(struct textbuf *b);
void textbuf_delete(struct textbuf *b);
void textbuf_left(struct textbuf *b);
void textbuf_right(struct textbuf *b);
void textbuf_word_left(struct textbuf *b);
void textbuf_word_right(struct textbuf *b);
/* Start / end of the visual line at width cols. */
void textbuf_home(struct textbuf *b, int cols);
void textbuf_end(struct textbuf *b, int cols);
/* Up / down one visual line at width cols, keeping the column. */
void textbuf_up(struct textbuf *b, int cols);
void textbuf_down(struct textbuf *b, int cols);
/* Delete from the start of the line to the cursor. */
void textbuf_kill_to_start(struct textbuf *b);

/* Layout at width cols: visual rows of [start, end) byte ranges. */
struct textbuf_row {
	size_t start, end;
};
/* Fills rows (allocated, caller frees) and returns the count; *cur_row and
 * *cur_col give the cursor's row and display column. */
int textbuf_layout(const struct textbuf *b, int cols, struct textbuf_row **rows, int *cur_row, int *cur_col);

struct editor;
enum { ED_CONTINUE = 0, ED_DONE, ED_SAVE_NOW };

struct editor *editor_new(const char *text);
void editor_free(struct editor *e);
/* A key from get_wch. Returns ED_DONE on Esc, ED_SAVE_NOW after Enter. */
int editor_key(struct editor *e, int key, bool keycode);
/* Draw in the rectangle and place the hardware cursor there. */
void editor_draw(struct editor *e, int y, int x, int h, int w);
const char *editor_text(const struct editor *e);
/* Unsaved changes that are due: typing paused (300 ms) or a second passed
 * since the last save. */
bool editor_due(const struct editor *e);
bool editor_dirty(const struct editor *e);
void editor_saved(struct editor *e);

/* Hand text to $VISUAL / $EDITOR (fallback vi) through a temporary file.
 * On success *out is the edited text (malloc'd). The caller suspends and
 * resumes curses around it. */
int editor_external(const char *text, char **out, char *err, size_t errlen);

#endif
