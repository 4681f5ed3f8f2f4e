/* The terminal's life cycle in one place: start curses, colours, mouse,
 * signals, and restore the terminal on every way out (a normal quit, a
 * signal, exit() from anywhere through atexit). Signal handlers only set a
 * flag; the driver's loop reads it (it wakes at least 4 times a second). */
#include "lanyard/ui.h"

#include <curses.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t quit_signal;
static bool started, atexit_set, utf8;
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
	for (int r = 0; r < ROLE_COUNT; r++)
		role_mono[r] = roles[r].mono;
	use_colour = has_colors() && !(no_color && *no_color);
	if (!use_colour)
		return;
	start_color();
	use_colour = COLORS >= 8 && COLOR_PAIRS > ROLE_COUNT;
	if (!use_colour)
		return;
	/* -1 is the terminal's own colour; without use_default_colors it
	 * means black on white, so fall back to white on black there. */
	bool defaults = use_default_colors() == OK;
	for (int r = 1; r < ROLE_COUNT; r++) {
		short fg = roles[r].fg, bg = roles[r].bg;
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)r, fg, bg);
		role_pair[r] = (short)r;
	}
}

int ui_attr(enum role r)
{
	if ((unsigned)r >= ROLE_COUNT)
		return A_NORMAL;
	if (!use_colour)
		return role_mono[r];
	return (int)COLOR_PAIR(role_pair[r]) | (role_mono[r] & (int)(A_BOLD | A_DIM | A_UNDERLINE));
}

bool term_utf8(void)
{
	return utf8;
}

static void cleanup(void)
{
	term_stop();
}

int term_start(struct ly_error *err)
{
	const char *cs = nl_langinfo(CODESET);
	utf8 = cs && strcmp(cs, "UTF-8") == 0;
	quit_signal = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN); /* a file size limit is a failed save, not death */
	/* Without a terminal, keys never come: reading end-of-file would spin. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return ly_fail(err, "the browser needs a terminal: standard %s is not one "
		               "(use lanyard list, or another command, in scripts)",
		               isatty(STDIN_FILENO) ? "output" : "input");
	/* Esc must feel instant: a lone Esc otherwise waits a second. */
	set_escdelay(25);
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return ly_fail(err, "the browser needs a terminal (TERM is %s)", term && *term ? term : "unset");
	if (!(screen = newterm(NULL, stdout, stdin)))
		return ly_fail(err, "cannot start the terminal (TERM=%s)", term);
	started = true;
	if (!atexit_set) {
		atexit(cleanup);
		atexit_set = true;
	}
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
	if (quit_signal)
		return true;
	/* A closed terminal sends SIGHUP, but not always (the signal may be
	 * ignored or go to another process group): look for the hang-up too. */
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	if (started && poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
		quit_signal = SIGHUP;
	return quit_signal != 0;
}

volatile sig_atomic_t *term_quit_flag(void)
{
	return &quit_signal;
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
