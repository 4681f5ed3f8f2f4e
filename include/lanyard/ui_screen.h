/* Screens and the driver that stacks them.
 *
 * A screen is a struct screen plus a const struct screen_ops written at the
 * end of its file in screens/. The driver (src/ui/app.c) owns the stack: it
 * reads a key, maps it to an action through the key table, gives the top
 * screen the first chance, then handles what is left (help, quit, marks,
 * opening views). It knows screens only through their ops: what a view is
 * opened on is one struct ui_target, filled by the top screen.
 *
 * Screens borrow the store and conference from struct app; their own state
 * lives in priv (allocated by the driver, priv_size bytes, zeroed; the
 * screen frees what it allocates inside it in close()).
 */
#ifndef LANYARD_UI_SCREEN_H
#define LANYARD_UI_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "lanyard/error.h"
#include "lanyard/model.h"
#include "lanyard/pending.h"
#include "lanyard/store.h"
#include "lanyard/ui_keys.h"

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

/* What the top screen shows selected, and so what a key or a new view acts
 * on. Filled by the top screen's target op; strings borrowed from it. */
struct ui_target {
	int64_t talk;        /* the talk visibly selected (0: none) */
	const char *day;     /* the day shown ('YYYY-MM-DD', "" unscheduled, NULL none) */
	const char *note;    /* notes shown instead of a talk: a day, "overall", "booths" */
	const char *how;     /* talk 0: how to get to one ("press l for the talks") */
	enum action by;      /* set by the driver: the action opening a view */
};

struct screen_ops {
	const char *name;             /* shown in the title bar */
	size_t priv_size;             /* zeroed state at s->priv, freed by the driver */
	/* LY_OK; LY_ERR with a message set (the screen is dropped); or
	 * LY_NOTFOUND when it did its work at once and has nothing to show
	 * (dropped, its message kept). */
	int (*open)(struct screen *s, const struct ui_target *on);
	/* Draw rows [s->top, s->top + s->h) of stdscr, s->w columns wide. */
	void (*draw)(struct screen *s);
	/* The action bound to the key (ACT_NONE if none) and the raw key: a
	 * character, or a KEY_* code when keycode. Screens taking text read
	 * the raw key and ignore the action while typing. */
	int (*handle)(struct screen *s, enum action a, int key, bool keycode);
	/* s->top/h/w changed (a terminal resize); may be NULL. */
	void (*resize)(struct screen *s);
	void (*close)(struct screen *s);   /* free what open allocated in priv */

	/* Optional. */
	/* The store changed (a mark, a note; talk is the one that changed, or
	 * 0 when unknown): re-read what is shown. */
	void (*reload)(struct screen *s, int64_t talk);
	void (*tick)(struct screen *s);          /* about 4 times a second */
	bool (*text_input)(struct screen *s);    /* the cursor shows: keys are text */
	/* What is selected (see struct ui_target); NULL: nothing. */
	void (*target)(struct screen *s, struct ui_target *out);
	/* Select this talk (the main screen: in its day and track). */
	void (*show)(struct screen *s, int64_t talk);
	/* Where we are, for the title bar ("Wed 18 May › All tracks"). */
	void (*where)(struct screen *s, char *out, size_t outlen);
	/* Key hints for the status line, ending with a NULL label. */
	const struct ui_hint *hints;
	/* The same when they depend on the screen's state (may be NULL:
	 * hints is used). */
	const struct ui_hint *(*hints_now)(struct screen *s);
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

/* The last change to the user's data, to undo with u: each talk's state
 * before it (a switch changes two or more). */
struct ui_undo_entry {
	int64_t talk;
	enum talk_status status;
	int rating;
	char *takeaways;        /* NULL: the takeaways were not changed */
};
#define UI_UNDO_MAX 8

struct ui_options {
	int remind;             /* minutes before a planned talk; 0 = off */
	bool bell;              /* ring the terminal bell with a reminder */
};

struct app {
	struct store *st;
	struct conf conf;
	struct counts counts;
	struct ui_options opt;
	char message[256];      /* transient: shown until the next key */
	bool message_error;
	struct mouse_event mouse;
	/* The last search, for n / N from any screen. */
	char search[1024];
	struct screen *stack[8];
	int depth;
	struct ui_undo_entry undo[UI_UNDO_MAX];
	int nundo;
	char undo_what[200];    /* "planned: Title", for "undone: ..." */
	int64_t show;           /* ui_show's talk, selected once the key is done */
	/* Reminders: the last minute looked at, the talks already announced. */
	int64_t remind_minute;
	int64_t reminded[64];
	int nreminded;
	/* Typed text the store has not taken yet (pending.h): editors save
	 * through it; the driver retries and, at exit, writes a recovery file. */
	struct pending *pending;
};

/* The screen registry: the screens an action opens (on the top screen's
 * target). Adding a screen is a file in screens/, one line here and its
 * key lines in the key table (src/ui/keymap.c). Pressing the action again
 * on its own screen closes it. */
#define UI_SCREENS(_) \
	_(talk_screen,         OPEN) \
	_(help_screen,         HELP) \
	_(search_screen,       SEARCH) \
	_(timeline_screen,     TIMELINE) \
	_(agenda_screen,       AGENDA) \
	_(nownext_screen,      NOWNEXT) \
	_(review_screen,       REVIEW) \
	_(alternatives_screen, ALTERNATIVES) \
	_(takeaways_screen,    TAKEAWAYS) \
	_(takeaways_screen,    EDITOR) \
	_(report_screen,       REPORT)

#define UI_SCREEN_EXTERN(ops, action) extern const struct screen_ops ops;
UI_SCREENS(UI_SCREEN_EXTERN)
#undef UI_SCREEN_EXTERN
/* The main screen: Days | Tracks | Talks + detail, bottom of the stack. */
extern const struct screen_ops browse_screen;

/* Push a new screen; returns it, or NULL (message set) on failure. */
struct screen *ui_push(struct app *app, const struct screen_ops *ops, const struct ui_target *on);
/* Open the screen registered for action a, on the top screen's target. */
struct screen *ui_open(struct app *app, enum action a);
void ui_message(struct app *app, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The store changed (talk, or 0 when unknown): re-read counts, tell every
 * screen. */
void ui_changed(struct app *app, int64_t talk);
/* Once the key is handled: close every view and select talk on the main
 * screen (the screen asking may be one of those closed). */
void ui_show(struct app *app, int64_t talk);

/* Apply a marking action (p a x 1-5 0) to a talk: toggles the status,
 * sets the rating, saves at once, reports with the title on the status
 * line, remembers the old state for undo. Returns handler flags, or
 * H_UNHANDLED when a is not a marking action. */
int ui_mark(struct app *app, int64_t talk_id, enum action a);
bool ui_is_mark(enum action a);
/* Start a new undo step named what ("takeaways: Title"), then add the
 * state of each talk before it changes (takeaways NULL: not changed). */
void ui_undo_begin(struct app *app, const char *what);
void ui_undo_add(struct app *app, int64_t talk, enum talk_status status, int rating, const char *takeaways);

#endif
