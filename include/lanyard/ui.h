/* The browser: screen framework, actions and keys, colours, drawing.
 *
 * A screen is a struct screen plus a const struct screen_ops written at the
 * end of its file in screens/. The driver (src/ui/app.c) owns the screen
 * stack: it reads a key, maps it to an action through the key table, gives
 * the top screen the first chance, then handles what is left (help, quit,
 * opening views). Screens borrow the store and conference from struct app;
 * their own state lives in priv (allocated by the driver, priv_size bytes,
 * zeroed; the screen frees what it allocates inside it in close()).
 */
#ifndef LANYARD_UI_H
#define LANYARD_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "lanyard/error.h"
#include "lanyard/model.h"
#include "lanyard/store.h"

/* Entry point: run the browser until the user quits. main.c has called
 * setlocale and opened the store. conf_name NULL = most recent conference. */
int ui_run(struct store *st, const char *conf_name, struct ly_error *err);

/* ---- actions: one X-macro gives the enum, the names and the help ------- */
#define UI_ACTIONS(_) \
	_(MOVE_DOWN,   "move-down",   "Next item") \
	_(MOVE_UP,     "move-up",     "Previous item") \
	_(PAGE_DOWN,   "page-down",   "Next page") \
	_(PAGE_UP,     "page-up",     "Previous page") \
	_(FIRST,       "first",       "First item") \
	_(LAST,        "last",        "Last item") \
	_(PANE_RIGHT,  "pane-right",  "Next pane (or later in the timeline)") \
	_(PANE_LEFT,   "pane-left",   "Previous pane (or earlier in the timeline)") \
	_(PANE_NEXT,   "pane-next",   "Next pane") \
	_(PANE_PREV,   "pane-prev",   "Previous pane") \
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
	_(TAKEAWAYS,   "takeaways",   "Write takeaways (or the day's / conference notes) in place") \
	_(EDITOR,      "editor",      "Edit takeaways in $VISUAL / $EDITOR") \
	_(SEARCH,      "search",      "Search titles, speakers, abstracts, rooms, notes") \
	_(MATCH_NEXT,  "match-next",  "Next search match") \
	_(MATCH_PREV,  "match-prev",  "Previous search match (after a search); else Now/Next") \
	_(TIMELINE,    "timeline",    "Timeline: the day's rooms against time") \
	_(AGENDA,      "agenda",      "My agenda: planned and attended talks by day") \
	_(NOWNEXT,     "now-next",    "Now / Next by the conference clock") \
	_(REVIEW,      "review",      "Review: attended talks by rating") \
	_(ALTERNATIVES,"alternatives","Talks at the same time as the selected one") \
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

/* ---- colours: semantic roles with a monochrome fallback ----------------- */
/* Attributes are ints here (A_* are unsigned in curses). */
#define UI_ROLES(_) \
	_(NORMAL,    -1,            -1,          0) \
	_(TITLEBAR,  COLOR_BLACK,   COLOR_CYAN,  (int)A_REVERSE) \
	_(STATUSBAR, COLOR_WHITE,   COLOR_BLUE,  (int)A_REVERSE) \
	_(HEADER,    COLOR_CYAN,    -1,          A_BOLD) \
	_(SELECTED,  COLOR_BLACK,   COLOR_CYAN,  (int)A_REVERSE) \
	_(CURSOR,    -1,            -1,          A_UNDERLINE) \
	_(BORDER,    COLOR_BLUE,    -1,          A_DIM) \
	_(DIM,       -1,            -1,          A_DIM) \
	_(PLANNED,   COLOR_GREEN,   -1,          A_BOLD) \
	_(ATTENDED,  COLOR_CYAN,    -1,          A_BOLD) \
	_(SKIPPED,   -1,            -1,          A_DIM) \
	_(CLASH,     COLOR_RED,     -1,          A_BOLD) \
	_(RATING,    COLOR_YELLOW,  -1,          A_BOLD) \
	_(NOW,       COLOR_MAGENTA, -1,          A_BOLD) \
	_(ERROR,     COLOR_RED,     -1,          A_BOLD) \
	_(LABEL,     COLOR_YELLOW,  -1,          0)

enum role {
#define UI_ROLE_ENUM(id, fg, bg, mono) ROLE_##id,
	UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
	ROLE_COUNT
};

/* The curses attribute for a role (colour pair, or the mono fallback). */
int ui_attr(enum role r);

/* ---- screens -------------------------------------------------------- */
enum {
	H_UNHANDLED = 0,
	H_HANDLED = 1 << 0,
	H_REDRAW = 1 << 1,  /* data changed: every screen re-reads */
	H_POP = 1 << 2,     /* close this screen */
	H_QUIT = 1 << 3,
};

struct app;
struct screen;

struct screen_ops {
	const char *name;
	size_t priv_size;
	/* arg is screen-specific (may be NULL). Returns LY_OK or LY_ERR. */
	int (*open)(struct screen *s, const void *arg);
	/* Draw into rows [0, h) of stdscr below the title bar, w columns wide. */
	void (*draw)(struct screen *s, int top, int h, int w);
	/* key is the raw key (wint_t), keycode says whether it is a KEY_*. */
	int (*handle)(struct screen *s, enum action a, int key, bool keycode);
	/* The store changed (a mark, a note): re-read what is shown. */
	void (*reload)(struct screen *s);
	void (*close)(struct screen *s);
	/* Called on every loop tick (about 4 times a second); may be NULL. */
	void (*tick)(struct screen *s);
	/* True while the screen takes raw text (a prompt, an editor). */
	bool (*text_input)(struct screen *s);
	const char *hints;  /* key hints for the status line */
};

struct screen {
	const struct screen_ops *ops;
	struct app *app;
	void *priv;
};

struct mouse_event {
	int y, x;
	bool click, wheel_up, wheel_down;
};

struct app {
	struct store *st;
	struct conf conf;
	struct counts counts;
	char message[256];      /* transient: shown until the next key */
	bool message_error;
	struct mouse_event mouse;
	bool utf8;              /* the locale can draw ✓ ★ … */
	/* The last search, for n / N from any screen. */
	char search[256];
	struct screen *stack[8];
	int depth;
};

/* Push a new screen; returns it, or NULL (message set) on failure. */
struct screen *ui_push(struct app *app, const struct screen_ops *ops, const void *arg);
void ui_message(struct app *app, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Re-read counts and tell every screen the store changed. */
void ui_changed(struct app *app);
/* The main browser screen (bottom of the stack). */
struct screen *ui_main(struct app *app);

/* Screens. */
extern const struct screen_ops browse_screen;
extern const struct screen_ops talk_screen;
extern const struct screen_ops help_screen;
extern const struct screen_ops search_screen;
extern const struct screen_ops timeline_screen;
extern const struct screen_ops list_screen;   /* agenda, now/next, review, alternatives */
/* list_screen's argument: kind is "agenda", "now", "review" or
 * "alternatives" (to the talk id). */
struct list_arg {
	const char *kind;
	int64_t id;
};

/* Apply a marking action (p a x 1-5 0) to a talk: toggles the status,
 * sets the rating, reports on the status line. Returns handler flags, or
 * H_UNHANDLED when a is not a marking action. */
int ui_mark(struct app *app, int64_t talk_id, enum talk_status current, const char *title, enum action a);
/* The day the main screen shows ('YYYY-MM-DD', "" unscheduled, NULL none). */
const char *browse_day(struct screen *browse);

/* browse.c: select a talk in its day and track (for search and views). */
void browse_jump(struct screen *browse, int64_t talk_id);
/* browse.c: n / N over the current search results. */
void browse_match(struct screen *browse, int dir);

/* ---- drawing helpers (src/ui/draw.c) ---------------------------------- */
/* Draw s (sanitised here) at y, x, clipped to w columns and padded with
 * spaces to exactly w columns. Returns the columns of text drawn. */
int ui_text(int y, int x, int w, int attr, const char *s);
/* Like ui_text without padding. */
int ui_text_nopad(int y, int x, int w, int attr, const char *s);
/* Clear a rectangle. */
void ui_clear(int y, int x, int h, int w);
/* Wrapped paragraph(s) from line `skip` on, at most h lines; returns the
 * total line count. */
int ui_wrap(int y, int x, int h, int w, int attr, const char *s, int skip);
/* Glyphs with ASCII fallbacks. */
const char *ui_status_glyph(struct app *app, enum talk_status s);
enum role ui_status_role(enum talk_status s);
/* "★★★★☆" / "****-" (5 columns), or "" for 0. */
const char *ui_stars(struct app *app, int rating);
/* "11:00" from a stamp, "--:--" when unscheduled. */
void ui_hhmm(const char *stamp, char out[6]);

/* ---- terminal life cycle (src/ui/term.c) ------------------------------ */
int term_start(struct ly_error *err);
void term_stop(void);
/* A signal asked us to leave (SIGINT, SIGTERM, SIGHUP). */
bool term_should_quit(void);
/* Leave curses for an external program and come back. */
void term_suspend(void);
void term_resume(void);

#define UI_MIN_COLS 60
#define UI_MIN_ROWS 16

#endif
