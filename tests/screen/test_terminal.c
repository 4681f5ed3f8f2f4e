/* The terminal side: several TERM types and colour settings, live
 * resizing down to the "too small" notice, signals restoring the terminal,
 * hostile text that must never reach the terminal, wide characters that
 * must not break the columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screenutil.h"

#define T SU_WAIT
#define BASIC "tests/data/screen-basic.csv"
#define NASTY "tests/data/screen-nasty.csv"

/* The selected row's first cell: the focused pane's selection. */
static void selected_attr(struct vt *vt, struct vt_cell_attr *a)
{
	int row, col;
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "Keynote: Welcome", &row, &col));
	assert_true(vt_attr(vt, row, col, a));
}

/* Any SGR sequence (ESC [ ... m) setting a foreground or background
 * colour (30-38, 40-48, 90-107; 39/49 only reset). */
static bool sets_colour(const char *log)
{
	for (const char *p = strstr(log, "\x1b["); p; p = strstr(p + 1, "\x1b[")) {
		const char *q = p + 2;
		size_t n = strspn(q, "0123456789;");
		if (q[n] != 'm')
			continue;
		for (const char *a = q; a < q + n;) {
			int v = atoi(a);
			if ((v >= 30 && v <= 38) || (v >= 40 && v <= 48) || (v >= 90 && v <= 107))
				return true;
			const char *semi = memchr(a, ';', (size_t)(q + n - a));
			a = semi ? semi + 1 : q + n;
		}
	}
	return false;
}

static void run_term(const char *term, bool colour)
{
	char *db = su_db(BASIC);
	char env_term[64];
	snprintf(env_term, sizeof env_term, "TERM=%s", term);
	const char *env[] = { env_term, NULL };
	struct vt *vt = su_start(db, 24, 80, env);
	assert_non_null(vt);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	assert_true(vt_wait_text(vt, "All tracks", T));
	struct vt_cell_attr a;
	selected_attr(vt, &a);
	if (colour) {
		assert_int_equal(a.bg_index, 6); /* cyan */
	} else {
		assert_true(a.reverse);
		assert_true(a.bg_default);
	}
	/* Keys work (arrows in the terminal's own key mode). */
	vt_key(vt, VTERM_KEY_DOWN, VTERM_MOD_NONE);
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "Track: Customizing", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_gone(vt, "Track: Customizing", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_xterm_256color(void **state)
{
	(void)state;
	run_term("xterm-256color", true);
}

static void test_tmux_256color(void **state)
{
	(void)state;
	run_term("tmux-256color", true);
}

static void test_screen(void **state)
{
	(void)state;
	run_term("screen", true);
}

static void test_linux(void **state)
{
	(void)state;
	run_term("linux", true);
}

static void test_vt100_is_monochrome(void **state)
{
	(void)state;
	run_term("vt100", false);
}

static void test_no_color(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	const char *env[] = { "NO_COLOR=1", NULL };
	struct vt *vt = su_start(db, 24, 80, env);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	struct vt_cell_attr a;
	selected_attr(vt, &a);
	assert_true(a.reverse);
	assert_true(a.bg_default);
	assert_true(a.fg_default);
	/* No colour anywhere in what was written. */
	assert_false(sets_colour(vt_log(vt, NULL)));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_dumb_terminal_refused(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	const char *env[] = { "TERM=dumb", NULL };
	struct vt *vt = su_start(db, 24, 80, env);
	assert_int_equal(vt_wait_exit(vt, T), 1);
	assert_true(vt_find(vt, "needs a terminal", NULL, NULL));
	vt_free(vt);
	free(db);
}

/* true once text stands within those columns and rows (inclusive),
 * waiting up to ms for the program to redraw. */
static bool text_within(struct vt *vt, const char *text, int col0, int col1, int row0, int row1, int ms)
{
	int64_t end = vt_now_us() + (int64_t)ms * 1000;
	for (;;) {
		int row, col;
		if (vt_find(vt, text, &row, &col) && col >= col0 && col <= col1 && row >= row0 && row <= row1)
			return true;
		if (vt_now_us() >= end || vt_pump(vt, 20) < 0)
			return false;
	}
}

static void test_resize(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 30, 100, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_resize(vt, 16, 60);
	assert_true(vt_wait_row(vt, 15, "? help", T));
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "Tracks", NULL, NULL));
	assert_true(vt_find(vt, "Keynote: Welc", NULL, NULL));
	assert_true(vt_find(vt, "Priya Raman", NULL, NULL));
	vt_resize(vt, 10, 40);
	assert_true(vt_wait_text(vt, "Terminal too small", T));
	assert_true(vt_wait_text(vt, "needs 60x16", T));
	/* Keys other than q wait; the state survives. */
	vt_send(vt, "j");
	vt_resize(vt, 30, 100);
	assert_true(vt_wait_gone(vt, "Terminal too small", T));
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	/* Wide: the detail moves to the right and back. (Waiting for the
	 * program to be idle can end before it has taken the resize in.) */
	vt_resize(vt, 40, 130);
	assert_true(text_within(vt, "Priya Raman", 71, 9999, 0, 9, T));     /* col > 70, row < 10 */
	vt_resize(vt, 24, 80);
	assert_true(text_within(vt, "Priya Raman", 0, 4, 13, 9999, T));     /* col < 5, row > 12 */
	/* q quits from the notice too. */
	vt_resize(vt, 10, 40);
	assert_true(vt_wait_text(vt, "Terminal too small", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void signal_restores(int sig)
{
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	assert_true(vt_altscreen(vt));
	vt_kill(vt, sig);
	assert_int_equal(vt_wait_exit(vt, T), 0);
	assert_false(vt_altscreen(vt));
	assert_true(vt_cursor_visible(vt));
	vt_free(vt);
	free(db);
}

static void test_sigterm(void **state)
{
	(void)state;
	signal_restores(SIGTERM);
}

static void test_sigint(void **state)
{
	(void)state;
	signal_restores(SIGINT);
}

static void test_sighup(void **state)
{
	(void)state;
	signal_restores(SIGHUP);
}

static void test_hostile_text_never_reaches_the_terminal(void **state)
{
	(void)state;
	char *db = su_db(NASTY);
	struct vt *vt = su_start(db, 24, 100, NULL);
	assert_true(vt_wait_text(vt, "Evil", T));
	assert_true(vt_wait_text(vt, "Title", T));
	assert_true(vt_wait_text(vt, "日本語", T));
	/* Every view that draws the data: the detail, the talk view, search,
	 * the timeline. */
	vt_send(vt, "/evil");
	assert_true(vt_wait_text(vt, "1 match", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "match 1 of 1", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "string", T));
	assert_true(vt_wait_text(vt, "Mallory", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "Tracks", T));
	vt_send(vt, "T");
	assert_true(vt_wait_row(vt, 0, "Timeline", T));
	assert_true(vt_wait_text(vt, "Room 9", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "Tracks", T));
	assert_true(vt_wait_idle(vt, T));
	size_t len;
	const char *log = vt_log(vt, &len);
	assert_null(strstr(log, "pwned"));          /* the OSC title */
	assert_null(memchr(log, '\a', len));        /* BEL */
	assert_null(strstr(log, "\x1b]"));          /* any OSC */
	assert_null(strstr(log, "\x1bP"));          /* DCS */
	assert_null(strstr(log, "\x1b[31mred"));
	assert_null(strstr(log, "\x1b[2J clear"));
	assert_null(strstr(log, "\xc2\x9b"));       /* C1 CSI */
	assert_null(memchr(log, 0x7f, len));        /* DEL */
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_wide_text_keeps_columns(void **state)
{
	(void)state;
	char *db = su_db(NASTY);
	struct vt *vt = su_start(db, 24, 100, NULL);
	assert_true(vt_wait_text(vt, "Room 12", T));
	assert_true(vt_wait_idle(vt, T));
	/* The room column starts at the same cell on CJK, emoji and ASCII rows. */
	int r10, c10, r11, c11, r12, c12;
	assert_true(vt_find(vt, "Room 10", &r10, &c10));
	assert_true(vt_find(vt, "Room 11", &r11, &c11));
	assert_true(vt_find(vt, "Room 12", &r12, &c12));
	assert_true(r10 != r11 && r11 != r12);
	assert_int_equal(c10, c11);
	assert_int_equal(c11, c12);
	/* The CJK title is cut to fit, with an ellipsis. */
	char *row = vt_row(vt, r10);
	assert_non_null(strstr(row, "日本語のタイトル"));
	assert_non_null(strstr(row, "\xe2\x80\xa6"));
	free(row);
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xterm_256color),
		cmocka_unit_test(test_tmux_256color),
		cmocka_unit_test(test_screen),
		cmocka_unit_test(test_linux),
		cmocka_unit_test(test_vt100_is_monochrome),
		cmocka_unit_test(test_no_color),
		cmocka_unit_test(test_dumb_terminal_refused),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_sigterm),
		cmocka_unit_test(test_sigint),
		cmocka_unit_test(test_sighup),
		cmocka_unit_test(test_hostile_text_never_reaches_the_terminal),
		cmocka_unit_test(test_wide_text_keeps_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
