/* A tiny curses program for the vt harness self-test (test_vt.c).
 *
 *   row 0   "ready"                 once set up (keypad, mouse, colours)
 *   row 2   "key: NAME"             the last input: KEY_DOWN, char j,
 *                                   resize 30x100 (rows x cols), mouse 3,5
 *                                   (row,col), wheel up 3,5, wheel down 3,5
 *   row 3   "count: N"              inputs so far
 *   row 4   col 10: "日本語テスト:ok"
 *   row 6   "bold" (bold) at col 0, "rev" (reverse) at col 6, "red" (red on
 *           blue, colour pair 1) at col 12, "under" (underline) at col 18
 *   row 8   "TERM=.. LC_ALL=.. TZ=.."
 *   row 9   "LINES=.. COLUMNS=.. DEMO=.."     (<unset> when unset)
 *   row 10  "home HOME"
 *   last row "bottom" at col 0 (drawn last: curses sends rows top-down).
 *
 * The cursor is hidden. 'q' ends with status 0, 'e' with status 7, both
 * restoring the terminal (endwin). */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* the wide-character curses API */
#endif
#include <curses.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int count;

static void draw(const char *last)
{
	erase();
	mvaddstr(0, 0, "ready");
	mvprintw(2, 0, "key: %s", last);
	mvprintw(3, 0, "count: %d", count);
	mvaddstr(4, 10, "日本語テスト:ok");
	attron(A_BOLD);
	mvaddstr(6, 0, "bold");
	attroff(A_BOLD);
	attron(A_REVERSE);
	mvaddstr(6, 6, "rev");
	attroff(A_REVERSE);
	attron(COLOR_PAIR(1));
	mvaddstr(6, 12, "red");
	attroff(COLOR_PAIR(1));
	attron(A_UNDERLINE);
	mvaddstr(6, 18, "under");
	attroff(A_UNDERLINE);
	const char *names[] = { "TERM", "LC_ALL", "TZ", "LINES", "COLUMNS", "DEMO" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *v = getenv(names[i]);
		if (i % 3 == 0)
			move(8 + (int)i / 3, 0);
		printw("%s%s=%s", i % 3 ? " " : "", names[i], v ? v : "<unset>");
	}
	const char *home = getenv("HOME");
	mvprintw(10, 0, "home %s", home ? home : "<unset>");
	mvaddstr(LINES - 1, 0, "bottom");
	refresh();
}

int main(void)
{
	setlocale(LC_ALL, "");
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(ALL_MOUSE_EVENTS, NULL);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_RED, COLOR_BLUE);
	}
	char last[64] = "none";
	draw(last);
	for (;;) {
		wint_t ch;
		int r = get_wch(&ch);
		if (r == ERR)
			continue;
		count++;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			snprintf(last, sizeof last, "resize %dx%d", LINES, COLS);
		} else if (r == KEY_CODE_YES && ch == KEY_MOUSE) {
			MEVENT ev;
			if (getmouse(&ev) != OK)
				snprintf(last, sizeof last, "mouse ?");
			else if (ev.bstate & BUTTON4_PRESSED)
				snprintf(last, sizeof last, "wheel up %d,%d", ev.y, ev.x);
			else if (ev.bstate & BUTTON5_PRESSED)
				snprintf(last, sizeof last, "wheel down %d,%d", ev.y, ev.x);
			else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
				snprintf(last, sizeof last, "mouse %d,%d", ev.y, ev.x);
			else {
				count--; /* a release: not an input of its own */
				continue;
			}
		} else if (r == KEY_CODE_YES) {
			const char *name = keyname((int)ch);
			snprintf(last, sizeof last, "%s", name ? name : "KEY_?");
		} else if (ch == 'q' || ch == 'e') {
			endwin();
			return ch == 'q' ? 0 : 7;
		} else if (ch == 27) {
			snprintf(last, sizeof last, "escape");
		} else if (ch < 0x20 || ch == 0x7f) {
			snprintf(last, sizeof last, "char %s", keyname((int)ch));
		} else {
			char mb[MB_LEN_MAX + 1];
			mbstate_t st;
			memset(&st, 0, sizeof st);
			size_t n = wcrtomb(mb, (wchar_t)ch, &st);
			mb[n == (size_t)-1 ? 0 : n] = '\0';
			snprintf(last, sizeof last, "char %s", mb);
		}
		draw(last);
	}
}
