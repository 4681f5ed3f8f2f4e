/* A UTF-8 text buffer for the in-place editor: pure (no curses, no SQLite).
 *
 * The text is one contiguous NUL-terminated byte array. It only ever holds
 * valid UTF-8 without control characters other than '\n' (input goes
 * through text_sanitize: bad bytes become U+FFFD, TAB and other controls a
 * space, escape sequences and bidi overrides are dropped, CRLF becomes LF),
 * so it can be drawn as is.
 *
 * Clusters: a character and the zero-width marks after it (e + U+0301) are
 * one unit for the cursor, Backspace and Delete. '\n' is a cluster of its
 * own; zero-width marks at the start of a line form a cluster of width 1
 * (the editor draws them over a space). The cursor is a byte offset that is
 * always on a cluster boundary.
 *
 * Layout at a width of cols columns (soft wrapping, by display columns):
 *   - a '\n' ends a row (hard break); the '\n' belongs to no row;
 *   - the last column is kept for the cursor: a row holds at most
 *     cols - 1 columns of text, so the cursor after it is still inside;
 *   - spaces after text on a row always fit: they hang at its end (past
 *     the edge when there are several; they are not drawn there, and the
 *     cursor among them shows in the last column), so a wrapped row never
 *     starts with the space it wrapped at;
 *   - when the next cluster does not fit, the row breaks after its last
 *     space, or, when it has none after its start, before that cluster:
 *     a wide character never straddles the edge; a row always takes at
 *     least one cluster (even one too wide for a tiny cols);
 *   - rows are byte ranges [start, end) that cover the text in order; a
 *     soft-wrapped row ends where the next starts, so the cursor at that
 *     offset shows at the start of the next row; text ending in '\n' (and
 *     the empty text) ends with an empty row.
 * The layout is cached and recomputed only when the text or cols change.
 *
 * Ownership: textbuf_new returns a buffer freed by textbuf_free. Pointers
 * returned by textbuf_text and textbuf_row stay valid until the next
 * change of the text (or, for rows, of cols).
 */
#ifndef LANYARD_TEXTBUF_H
#define LANYARD_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct textbuf;

struct textbuf_row {
	size_t start, end;  /* bytes [start, end) of the text, no '\n' */
	int width;          /* display columns the row takes (at most cols) */
	bool hard;          /* ends at a '\n' or the end of the text */
};

/* A buffer holding text (sanitised; NULL = empty), cursor at the end.
 * NULL when out of memory. */
struct textbuf *textbuf_new(const char *text);
void textbuf_free(struct textbuf *b);

/* Replace the whole text (sanitised), cursor at the end. Bumps the
 * generation. Returns LY_OK, or LY_ERR when out of memory (text unchanged). */
int textbuf_set(struct textbuf *b, const char *text);
const char *textbuf_text(const struct textbuf *b);
size_t textbuf_len(const struct textbuf *b);
/* Bumped by every change of the text (never by cursor motion). */
unsigned long textbuf_gen(const struct textbuf *b);

size_t textbuf_cursor(const struct textbuf *b);
/* Move the cursor to off, moved back to the cluster boundary at or before it. */
void textbuf_set_cursor(struct textbuf *b, size_t off);

/* Insert UTF-8 at the cursor (sanitised as above) and move the cursor past
 * it. Returns LY_OK, or LY_ERR when out of memory (text unchanged). */
int textbuf_insert(struct textbuf *b, const char *s);
/* Edits return true when the text changed. */
bool textbuf_backspace(struct textbuf *b);        /* the cluster before */
bool textbuf_delete(struct textbuf *b);           /* the cluster after */
bool textbuf_delete_word_left(struct textbuf *b); /* to textbuf_word_left's stop */
bool textbuf_delete_word_right(struct textbuf *b);
bool textbuf_kill_line_start(struct textbuf *b);  /* to the start of the line */
bool textbuf_kill_line_end(struct textbuf *b);    /* to its end; at the end, joins lines */

/* Cursor motion (by cluster; never changes the text). */
void textbuf_left(struct textbuf *b);
void textbuf_right(struct textbuf *b);
/* Words are runs of letters, digits, '_' and other non-ASCII characters
 * except spaces and punctuation: word_left goes to the start of the word
 * before the cursor, word_right to the end of the word after it. */
void textbuf_word_left(struct textbuf *b);
void textbuf_word_right(struct textbuf *b);
/* Start / end of the logical line (between '\n's). */
void textbuf_line_start(struct textbuf *b);
void textbuf_line_end(struct textbuf *b);
/* Start / end of the visual row at width cols. The end of a soft-wrapped
 * row is before its last cluster (after it is the next row's start). */
void textbuf_home(struct textbuf *b, int cols);
void textbuf_end(struct textbuf *b, int cols);
/* Up / down n visual rows at width cols, keeping the display column the
 * vertical motion started from (the "preferred column") across rows of
 * different widths. Moving up from the first row goes to the start of the
 * text, down from the last row to its end. */
void textbuf_up(struct textbuf *b, int cols, int n);
void textbuf_down(struct textbuf *b, int cols, int n);

/* ---- layout ---- */
/* Number of visual rows at width cols (>= 1; 0 only when out of memory). */
int textbuf_rows(struct textbuf *b, int cols);
/* Row r at width cols, or NULL when r is out of range. */
const struct textbuf_row *textbuf_row(struct textbuf *b, int cols, int r);
/* The cursor's visual row and display column at width cols. */
void textbuf_cursor_rc(struct textbuf *b, int cols, int *row, int *col);
/* Visual row and column of any offset (a cluster boundary). */
void textbuf_offset_rc(struct textbuf *b, int cols, size_t off, int *row, int *col);
/* The cursor offset nearest to (row, col), both clamped: the boundary at
 * or left of col (a click on the right half of a wide character lands
 * before it). */
size_t textbuf_offset_at(struct textbuf *b, int cols, int row, int col);

/* Clusters, for drawing: the byte length of the cluster at off, and its
 * display width (a line-leading zero-width cluster counts 1). */
size_t textbuf_cluster_len(const struct textbuf *b, size_t off);
int textbuf_cluster_width(const struct textbuf *b, size_t off);

#endif
