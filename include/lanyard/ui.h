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

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "lanyard/error.h"
#include "lanyard/model.h"
#include "lanyard/pending.h"
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
	_(TAKEAWAYS,   "takeaways",   "Write takeaways (day notes in Days)") \
	_(EDITOR,      "editor",      "Edit takeaways in $VISUAL or $EDITOR") \
	_(SEARCH,      "search",      "Search talks and your notes") \
	_(MATCH_NEXT,  "match-next",  "Next search match") \
	_(MATCH_PREV,  "match-prev",  "Previous match (no search: Now/Next)") \
	_(TIMELINE,    "timeline",    "Timeline: rooms against time") \
	_(AGENDA,      "agenda",      "My agenda: planned and attended talks") \
	_(NOWNEXT,     "now-next",    "Now / Next by the conference clock") \
	_(REVIEW,      "review",      "Review: attended talks by rating") \
	_(ALTERNATIVES,"alternatives","Talks at the same time") \
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

/* ---- screens -------------------------------------------------------- */
/* What a handler did (htop's HandlerResult): flags, or H_UNHANDLED so the
 * driver tries the global bindings. */
enum {
	H_UNHANDLED = 0,
	H_HANDLED = 1 << 0,
	H_REDRAW = 1 << 1,  /* the store changed: counts and every screen re-read */
	H_POP = 1 << 2,     /* close this screen */
	H_QUIT = 1 << 3,
	H_HOME = 1 << 4,    /* close every view, hand the key to the main screen */
};

struct app;
struct screen;

/* What a screen is opened on: the talk under the cursor of the screen
 * below (0 = none) and the day the main screen shows (NULL = none). */
struct ui_target {
	int64_t talk;
	const char *day;
};

struct screen_ops {
	const char *name;             /* shown in the title bar */
	size_t priv_size;             /* zeroed state at s->priv, freed by the driver */
	/* Returns LY_OK, or LY_ERR with a message set (the screen is dropped). */
	int (*open)(struct screen *s, const struct ui_target *on);
	/* Draw rows [s->top, s->top + s->h) of stdscr, s->w columns wide. */
	void (*draw)(struct screen *s);
	/* The action bound to the key (ACT_NONE if none or while text_input),
	 * and the raw key: a character, or a KEY_* code when keycode. */
	int (*handle)(struct screen *s, enum action a, int key, bool keycode);
	/* s->top/h/w changed (a terminal resize); may be NULL. */
	void (*resize)(struct screen *s);
	void (*close)(struct screen *s);   /* free what open allocated in priv */

	/* Optional. */
	/* The store changed (a mark, a note; talk is the one that changed, or
	 * 0 when unknown): re-read what is shown. */
	void (*reload)(struct screen *s, int64_t talk);
	void (*tick)(struct screen *s);          /* about 4 times a second */
	bool (*text_input)(struct screen *s);    /* keys are text (prompt, editor) */
	int64_t (*current)(struct screen *s);    /* talk under the cursor, 0 none */
	/* Where we are, for the title bar ("Wed 18 May › All tracks"). */
	void (*where)(struct screen *s, char *out, size_t outlen);
	/* Key hints for the status line: "key:what" items, two spaces apart. */
	const char *hints;
};

struct screen {
	const struct screen_ops *ops;
	struct app *app;
	void *priv;
	int top, h, w;      /* the screen's area of stdscr (set by the driver) */
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
	/* The last search, for n / N from any screen. */
	char search[256];
	struct screen *stack[8];
	int depth;
	/* Typed text the store has not taken yet (pending.h): editors save
	 * through it; the driver retries and, at exit, writes a recovery file. */
	struct pending *pending;
};

/* The screen registry: the screens an action opens (on the talk under the
 * cursor and the main screen's day). Adding a screen is a file in screens/,
 * one line here and its key lines in the key table (src/ui/keymap.c).
 * Pressing the action again on its own screen closes it. */
#define UI_SCREENS(_) \
	_(talk_screen,         OPEN) \
	_(help_screen,         HELP) \
	_(search_screen,       SEARCH) \
	_(timeline_screen,     TIMELINE) \
	_(agenda_screen,       AGENDA) \
	_(nownext_screen,      NOWNEXT) \
	_(review_screen,       REVIEW) \
	_(alternatives_screen, ALTERNATIVES)

#define UI_SCREEN_EXTERN(ops, action) extern const struct screen_ops ops;
UI_SCREENS(UI_SCREEN_EXTERN)
#undef UI_SCREEN_EXTERN
/* The main screen: Days | Tracks | Talks + detail, bottom of the stack. */
extern const struct screen_ops browse_screen;

/* Push a new screen; returns it, or NULL (message set) on failure. */
struct screen *ui_push(struct app *app, const struct screen_ops *ops, const struct ui_target *on);
/* Open the screen registered for action a, on the current talk. */
struct screen *ui_open(struct app *app, enum action a);
void ui_message(struct app *app, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The store changed (talk, or 0 when unknown): re-read counts, tell every
 * screen. */
void ui_changed(struct app *app, int64_t talk);
/* The main browser screen (bottom of the stack). */
struct screen *ui_main(struct app *app);

/* Apply a marking action (p a x 1-5 0) to a talk: toggles the status,
 * sets the rating, saves at once, reports on the status line. Returns
 * handler flags, or H_UNHANDLED when a is not a marking action. */
int ui_mark(struct app *app, int64_t talk_id, enum action a);
bool ui_is_mark(enum action a);

/* browse.c: the day the main screen shows ('YYYY-MM-DD', "" unscheduled,
 * NULL none). */
const char *browse_day(struct screen *browse);
/* browse.c: select a talk in its day and track (for search and views). */
void browse_jump(struct screen *browse, int64_t talk_id);
/* browse.c: n / N over the last search's results; dir is 1 or -1. */
void browse_match(struct screen *browse, int dir);
/* browse.c: start the in-place takeaways editor / $EDITOR on a talk. */
int browse_edit(struct screen *browse, int64_t talk_id, bool external);

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
/* Key hints ("key:what  key:what") with the keys highlighted, as many
 * whole items as fit in w columns. */
void ui_hints(int y, int x, int w, const char *hints);
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
