/* The default key table, as data. Help is generated from it and from the
 * action X-macro, so it cannot drift from the bindings. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define CTRL(c) ((c) & 0x1f)

static const char *const names[] = {
	"none",
#define UI_ACTION_NAME(id, name, help) name,
	UI_ACTIONS(UI_ACTION_NAME)
#undef UI_ACTION_NAME
};

static const char *const helps[] = {
	"",
#define UI_ACTION_HELP(id, name, help) help,
	UI_ACTIONS(UI_ACTION_HELP)
#undef UI_ACTION_HELP
};

const char *ui_action_name(enum action a)
{
	return (unsigned)a < ACT_COUNT ? names[a] : "?";
}

const char *ui_action_help(enum action a)
{
	return (unsigned)a < ACT_COUNT ? helps[a] : "";
}

const struct keybinding ui_keys[] = {
	{ 'j', false, ACT_MOVE_DOWN, "j" },        { KEY_DOWN, true, ACT_MOVE_DOWN, "Down" },
	{ 'k', false, ACT_MOVE_UP, "k" },          { KEY_UP, true, ACT_MOVE_UP, "Up" },
	{ KEY_NPAGE, true, ACT_PAGE_DOWN, "PgDn" }, { ' ', false, ACT_PAGE_DOWN, "Space" },
	{ KEY_PPAGE, true, ACT_PAGE_UP, "PgUp" },   { 'b', false, ACT_PAGE_UP, "b" },
	{ 'g', false, ACT_FIRST, "g" },            { KEY_HOME, true, ACT_FIRST, "Home" },
	{ 'G', false, ACT_LAST, "G" },             { KEY_END, true, ACT_LAST, "End" },
	{ 'l', false, ACT_PANE_RIGHT, "l" },       { KEY_RIGHT, true, ACT_PANE_RIGHT, "Right" },
	{ 'h', false, ACT_PANE_LEFT, "h" },        { KEY_LEFT, true, ACT_PANE_LEFT, "Left" },
	{ '\t', false, ACT_PANE_NEXT, "Tab" },     { KEY_BTAB, true, ACT_PANE_PREV, "Shift-Tab" },
	{ '\r', false, ACT_OPEN, "Enter" },        { '\n', false, ACT_OPEN, NULL },
	{ KEY_ENTER, true, ACT_OPEN, NULL },
	{ 27, false, ACT_BACK, "Esc" },            { KEY_BACKSPACE, true, ACT_BACK, NULL },
	{ 'q', false, ACT_QUIT, "q" },
	{ 'p', false, ACT_PLANNED, "p" },          { 'a', false, ACT_ATTENDED, "a" },
	{ 'x', false, ACT_SKIPPED, "x" },
	{ '1', false, ACT_RATE_1, "1" },           { '2', false, ACT_RATE_2, "2" },
	{ '3', false, ACT_RATE_3, "3" },           { '4', false, ACT_RATE_4, "4" },
	{ '5', false, ACT_RATE_5, "5" },           { '0', false, ACT_RATE_0, "0" },
	{ 't', false, ACT_TAKEAWAYS, "t" },        { 'E', false, ACT_EDITOR, "E" },
	{ '/', false, ACT_SEARCH, "/" },           { 'n', false, ACT_MATCH_NEXT, "n" },
	{ 'N', false, ACT_MATCH_PREV, "N" },
	{ 'T', false, ACT_TIMELINE, "T" },         { 'A', false, ACT_AGENDA, "A" },
	{ 'w', false, ACT_NOWNEXT, "w" },          { 'R', false, ACT_REVIEW, "R" },
	{ 'o', false, ACT_ALTERNATIVES, "o" },     { 's', false, ACT_SWITCH, "s" },
	{ 'u', false, ACT_UNDO, "u" },
	{ 'X', false, ACT_REPORT, "X" },           { 'U', false, ACT_UPDATE, "U" },
	{ '?', false, ACT_HELP, "?" },             { KEY_F(1), true, ACT_HELP, "F1" },
	{ CTRL('l'), false, ACT_REDRAW, "Ctrl-L" },
	{ 0, false, ACT_NONE, NULL },
};

enum action ui_key_action(int key, bool keycode)
{
	for (const struct keybinding *b = ui_keys; b->action != ACT_NONE; b++)
		if (b->key == key && b->keycode == keycode)
			return b->action;
	/* Backspace arrives as a character on some terminals. */
	if (!keycode && (key == 127 || key == 8))
		return ACT_BACK;
	return ACT_NONE;
}

void ui_keys_for(enum action a, char *out, size_t outlen)
{
	size_t o = 0;
	out[0] = '\0';
	for (const struct keybinding *b = ui_keys; b->action != ACT_NONE; b++) {
		if (b->action != a || !b->label)
			continue;
		int n = snprintf(out + o, outlen - o, "%s%s", o ? ", " : "", b->label);
		if (n < 0 || (size_t)n >= outlen - o)
			break;
		o += (size_t)n;
	}
}

const char *ui_hint_key(const struct ui_hint *h)
{
	if (h->key)
		return h->key;
	for (const struct keybinding *b = ui_keys; b->action != ACT_NONE; b++)
		if (b->action == h->action && b->label)
			return b->label;
	return "";
}
