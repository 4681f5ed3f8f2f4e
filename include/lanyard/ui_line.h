/* A one-line text field, for the prompts that take text (search, the trip
 * report's path): UTF-8 text, Backspace by character, Ctrl-U clears, and a
 * "selected" state in which the text shown was put there for the user and
 * typing replaces it (Backspace clears it, an arrow keeps it to edit). */
#ifndef LANYARD_UI_LINE_H
#define LANYARD_UI_LINE_H

#include <stdbool.h>
#include <stddef.h>

struct ui_line {
	char text[1024];
	size_t len;
	bool replace;      /* the text is selected: typing replaces it */
};

/* Put text in the field (cut at a character boundary when too long). */
void ui_line_set(struct ui_line *l, const char *text, bool selected);
/* One key typed into the field: true when it was text (or Backspace,
 * Ctrl-U) and so taken; false for every other key. */
bool ui_line_key(struct ui_line *l, int key, bool keycode);
/* Keep the text as it is, to edit it (an arrow in the field). */
void ui_line_keep(struct ui_line *l);
/* Draw the field at y, x in w columns (its end when it is longer),
 * selected text highlighted; returns the column after the text, where the
 * cursor goes. */
int ui_line_draw(const struct ui_line *l, int y, int x, int w);

#endif
