/* The terminal's life cycle in one place: start curses, colours, signals,
 * and restore the terminal on every way out. Signal handlers only set a
 * flag; the driver's loop reads it. */
#include "lanyard/ui.h"

#include <curses.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t quit_signal;
static bool started;
static SCREEN *screen;

static void on_signal(int sig)
{
	quit_signal = sig;
}

static short role_pair[ROLE_COUNT];
static int role_mono[ROLE_COUNT];
static bool use_colour;

static void colours_start(void)
{
	static const struct {
		short fg, bg;
		int mono;
	} roles[] = {
#define UI_ROLE_ROW(id, fg, bg, mono) { fg, bg, mono },
		UI_ROLES(UI_ROLE_ROW)
#undef UI_ROLE_ROW
	};
	const char *no_color = getenv("NO_COLOR");
	use_colour = has_colors() && !(no_color && *no_color) && COLORS >= 8;
	for (int r = 0; r < ROLE_COUNT; r++)
		role_mono[r] = roles[r].mono;
	if (!use_colour)
		return;
	start_color();
	use_default_colors();
	for (int r = 1; r < ROLE_COUNT && r < COLOR_PAIRS; r++) {
		init_pair((short)r, roles[r].fg, roles[r].bg);
		role_pair[r] = (short)r;
	}
}

int ui_attr(enum role r)
{
	if ((unsigned)r >= ROLE_COUNT)
		return A_NORMAL;
	if (!use_colour)
		return role_mono[r];
	/* Keep bold and dim with colour: they carry meaning on their own. */
	return COLOR_PAIR(role_pair[r]) | (role_mono[r] & (A_BOLD | A_DIM | A_UNDERLINE));
}

static void cleanup(void)
{
	term_stop();
}

int term_start(struct ly_error *err)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Esc must feel instant: a lone Esc otherwise waits a second. */
	set_escdelay(25);
	if (!(screen = newterm(NULL, stdout, stdin)))
		return ly_fail(err, "cannot start the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
	started = true;
	atexit(cleanup);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	curs_set(0);
	timeout(250);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	colours_start();
	return LY_OK;
}

void term_stop(void)
{
	if (!started)
		return;
	started = false;
	curs_set(1);
	endwin();
	delscreen(screen);
	screen = NULL;
}

bool term_should_quit(void)
{
	return quit_signal != 0;
}

void term_suspend(void)
{
	def_prog_mode();
	endwin();
}

void term_resume(void)
{
	reset_prog_mode();
	clearok(stdscr, TRUE);
	refresh();
}
