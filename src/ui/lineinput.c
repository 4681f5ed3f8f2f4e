#include "lanyard/ui_line.h"

#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lanyard/text.h"
#include "lanyard/ui_draw.h"

#define CTRL(c) ((c) & 0x1f)

void ui_line_set(struct ui_line *l, const char *text, bool selected)
{
	size_t n = strlen(text);
	if (n >= sizeof l->text) {
		n = sizeof l->text - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(l->text, text, n);
	l->text[n] = '\0';
	l->len = n;
	l->replace = selected && n > 0;
}

void ui_line_keep(struct ui_line *l)
{
	l->replace = false;
}

bool ui_line_key(struct ui_line *l, int key, bool keycode)
{
	if ((keycode && key == KEY_BACKSPACE) || (!keycode && (key == 127 || key == 8))) {
		if (l->replace) {
			l->len = 0;
		} else {
			while (l->len > 0 && ((unsigned char)l->text[l->len - 1] & 0xC0) == 0x80)
				l->len--;
			if (l->len > 0)
				l->len--;
		}
		l->replace = false;
		l->text[l->len] = '\0';
		return true;
	}
	if (keycode)
		return false;
	if (key == CTRL('u')) {
		l->len = 0;
		l->text[0] = '\0';
		l->replace = false;
		return true;
	}
	if (key < 0x20 || key == 0x7f || (key >= 0x80 && key < 0xa0))
		return false;
	if (l->replace)
		l->len = 0;
	l->replace = false;
	char u[5];
	size_t n = text_encode((uint32_t)key, u);
	if (l->len + n < sizeof l->text) {
		memcpy(l->text + l->len, u, n);
		l->len += n;
	}
	l->text[l->len] = '\0';
	return true;
}

int ui_line_draw(const struct ui_line *l, int y, int x, int w)
{
	/* Show the end of a text longer than the field. */
	const char *shown = l->text;
	while (text_width(shown) > w - 1 && *shown)
		shown += text_decode(shown, strlen(shown), &(uint32_t){ 0 });
	return x + ui_text_nopad(y, x, w, l->replace ? ui_attr(ROLE_SELECTED) : (int)A_NORMAL, shown);
}
