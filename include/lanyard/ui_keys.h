/* Actions and keys: one X-macro gives the action enum, the names and the
 * help; the default bindings are a table (src/ui/keymap.c); footer hints
 * are {action, label} pairs whose keys come from that table. */
#ifndef LANYARD_UI_KEYS_H
#define LANYARD_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* ---- actions ---- */
#define UI_ACTIONS(_) \
	_(MOVE_DOWN,   "move-down",   "Next item") \
	_(MOVE_UP,     "move-up",     "Previous item") \
	_(PAGE_DOWN,   "page-down",   "Next page") \
	_(PAGE_UP,     "page-up",     "Previous page") \
	_(FIRST,       "first",       "First item") \
	_(LAST,        "last",        "Last item") \
	_(PANE_RIGHT,  "pane-right",  "Next pane; later in the timeline") \
	_(PANE_LEFT,   "pane-left",   "Previous pane; earlier in the timeline") \
	_(PANE_NEXT,   "pane-next",   "Next pane, round") \
	_(PANE_PREV,   "pane-prev",   "Previous pane, round") \
	_(OPEN,        "open",        "Open the selected talk") \
	_(BACK,        "back",        "Go back, close the view") \
	_(QUIT,        "quit",        "Go back; quit from the main screen") \
	_(PLANNED,     "planned",     "Toggle planned") \
	_(ATTENDED,    "attended",    "Toggle attended") \
	_(SKIPPED,     "skipped",     "Toggle skipped") \
	_(RATE_1,      "rate-1",      "Rate 1 star") \
	_(RATE_2,      "rate-2",      "Rate 2 stars") \
	_(RATE_3,      "rate-3",      "Rate 3 stars") \
	_(RATE_4,      "rate-4",      "Rate 4 stars") \
	_(RATE_5,      "rate-5",      "Rate 5 stars") \
	_(RATE_0,      "rate-clear",  "Clear the rating") \
	_(TAKEAWAYS,   "takeaways",   "Write takeaways (notes on a day in Days)") \
	_(EDITOR,      "editor",      "Edit takeaways in $VISUAL or $EDITOR") \
	_(SEARCH,      "search",      "Search talks and your notes") \
	_(MATCH_NEXT,  "match-next",  "Next search match") \
	_(MATCH_PREV,  "match-prev",  "Previous match (no search: Now/Next)") \
	_(TIMELINE,    "timeline",    "Timeline: rooms against time") \
	_(AGENDA,      "agenda",      "My agenda: planned and attended talks") \
	_(NOWNEXT,     "now-next",    "Now / Next by the conference clock") \
	_(REVIEW,      "review",      "Review: attended talks by rating") \
	_(ALTERNATIVES,"alternatives","Talks at the same time") \
	_(SWITCH,      "switch",      "Switch here: attend it, skip the clash") \
	_(UNDO,        "undo",        "Undo the last mark, rating or takeaway") \
	_(REPORT,      "report",      "Write the trip report to a file") \
	_(UPDATE,      "update",      "Update the schedule from its source") \
	_(HELP,        "help",        "This help") \
	_(REDRAW,      "redraw",      "Redraw the screen")

enum action {
	ACT_NONE = 0,
#define UI_ACTION_ENUM(id, name, help) ACT_##id,
	UI_ACTIONS(UI_ACTION_ENUM)
#undef UI_ACTION_ENUM
	ACT_COUNT
};

const char *ui_action_name(enum action a);
const char *ui_action_help(enum action a);

struct keybinding {
	int key;            /* a character, or a KEY_* code when keycode is set */
	bool keycode;
	enum action action;
	const char *label;  /* how help shows the key */
};
/* The default key table, terminated by action ACT_NONE. */
extern const struct keybinding ui_keys[];
enum action ui_key_action(int key, bool keycode);
/* The keys bound to an action, as help shows them ("j, Down"). */
void ui_keys_for(enum action a, char *out, size_t outlen);

/* A footer hint: the action's first labelled key from the key table and
 * what it does here. key overrides the key table for keys a text screen
 * reads itself (Ctrl-T in the editor). Arrays end with label NULL. */
struct ui_hint {
	enum action action;
	const char *label;
	const char *key;
};
/* The key a hint shows: key, else the action's first labelled binding. */
const char *ui_hint_key(const struct ui_hint *h);

#endif
