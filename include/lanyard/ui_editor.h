/* The in-place editor: a curses widget over a textbuf (textbuf.h) for
 * takeaways, day notes and conference notes.
 *
 * There is no unsaved state: the widget hands the text to the host's save
 * function as it is typed: on Enter, when typing pauses (300 ms), and at
 * least once a second while typing goes on, so a crash, kill -9 or a closed
 * terminal loses at most about the last second. The host calls editor_tick
 * from its loop (which must wake at least every 250 ms) and editor_close
 * when done, which saves what is pending.
 *
 * Drawing: the widget owns a rectangle of a window. editor_draw fills it
 * completely (wrapped text, a dim "~" on rows below the text), never
 * writes outside it, and leaves the window's cursor at the text cursor.
 * Anything the host draws afterwards moves that cursor: call
 * editor_place_cursor just before refresh. The terminal cursor is made
 * visible by editor_open and restored by editor_close.
 *
 * Keys (editor_handle): printable characters; Left/Right; Up/Down (visual
 * rows, keeping the column); Home/End and Ctrl-A/Ctrl-E (visual row; again:
 * the whole line); Ctrl-Left/Ctrl-Right and Alt-b/Alt-f (words); Backspace
 * (KEY_BACKSPACE, DEL, Ctrl-H), Delete and Ctrl-D; Alt-Backspace/Ctrl-W and
 * Alt-d (delete a word); Ctrl-U/Ctrl-K (delete to the line's start / end);
 * Enter (newline, saved at once); Ctrl-T (the conference time "[HH:MM] ");
 * PgUp/PgDn; Esc leaves (after saving).
 *
 * Ownership: editor_open copies the initial text; editor_text's pointer is
 * valid until the next key; editor_close frees the editor. The save
 * function and its ctx are borrowed and must outlive the editor.
 */
#ifndef LANYARD_UI_EDITOR_H
#define LANYARD_UI_EDITOR_H

#include <curses.h>
#include <stdbool.h>

#include "lanyard/error.h"

/* The editor's default key table, as data (terminated by edit 0): a
 * character, or a KEY_* code when keycode; what it does (the editor's own
 * numbering); how help shows it (NULL: not shown); and, for the keys the
 * footer names, what it does there (NULL: not in the footer). */
struct editor_keydef {
	int key;
	bool keycode;
	int edit;
	const char *label;
	const char *hint;
};
extern const struct editor_keydef editor_keys[];

/* Store text (the whole note, NUL-terminated UTF-8). LY_OK, or an error
 * with a message in err. */
typedef int (*editor_save_fn)(void *ctx, const char *text, struct ly_error *err);

enum {
	EDITOR_CONTINUE = 0,  /* keep editing */
	EDITOR_DONE,          /* Esc: saved; the host closes the editor */
	EDITOR_ERROR          /* a save failed (editor_error); still editing */
};

struct editor;

/* An editor over the rectangle (y, x, h, w) of win holding initial_text
 * (NULL = empty), the cursor at its end. NULL when out of memory. */
struct editor *editor_open(WINDOW *win, int y, int x, int h, int w, const char *initial_text,
                           editor_save_fn save, void *ctx);
/* Save what is pending, restore the cursor's visibility, free. Returns
 * LY_OK, or LY_ERR (err filled) when the last save failed: the text is
 * then lost, so a careful host copies editor_text first. e may be NULL. */
int editor_close(struct editor *e, struct ly_error *err);

/* One key from wget_wch: key is the wint_t, is_keycode whether wget_wch
 * returned KEY_CODE_YES. After an Esc the editor reads the next key from
 * its window without waiting (Alt-b arrives as Esc then b; ncurses has
 * already waited ESCDELAY for it). Esc returns EDITOR_DONE once the text is
 * saved; if that save fails it returns EDITOR_ERROR, and a second Esc
 * returns EDITOR_DONE anyway. */
int editor_handle(struct editor *e, int key, bool is_keycode);
/* Save when due (see above). Returns EDITOR_CONTINUE, or EDITOR_ERROR
 * when a save failed (retried a second later, and on the next Enter). */
int editor_tick(struct editor *e);
/* Save now if the text changed. EDITOR_CONTINUE or EDITOR_ERROR. */
int editor_save(struct editor *e);

void editor_draw(struct editor *e);
/* Move the window's cursor back to the text cursor (after the host drew
 * other things, before refresh). */
void editor_place_cursor(struct editor *e);
/* A new rectangle (terminal resized, or the host's layout moved). */
void editor_resize(struct editor *e, int y, int x, int h, int w);
/* A mouse click at window position (y, x): moves the text cursor there
 * when it is inside the rectangle (returns true). */
bool editor_click(struct editor *e, int y, int x);

const char *editor_text(struct editor *e);
/* Replace the text with what the host stored instead (both versions kept
 * after a conflict); the cursor stays where it was. May be called from the
 * save function, after it has finished with its text argument. */
void editor_set_text(struct editor *e, const char *text);
/* The text changed since it was last saved. */
bool editor_dirty(struct editor *e);
/* The last save's error message, or NULL when it succeeded. */
const char *editor_error(struct editor *e);

/* Edit text in $VISUAL, else $EDITOR, else vi (the value may carry
 * arguments: it is run by the shell) through a temporary file. Suspends
 * curses around it when curses is active (def_prog_mode, endwin ...
 * reset_prog_mode, refresh). On success (LY_OK) *out is the edited text,
 * sanitised, malloc'd for the caller to free; the final newline an editor
 * adds is dropped unless initial ended with one. LY_ERR (err filled) when
 * the file cannot be made or read, or the editor fails: nothing changes. */
int editor_external(const char *initial, char **out, struct ly_error *err);
/* The same, but on success the file stays and its path goes to path (the
 * host removes it once the text is saved, so a failed save loses nothing). */
int editor_external_keep(const char *initial, char **out, char *path, size_t pathlen, struct ly_error *err);

#endif
