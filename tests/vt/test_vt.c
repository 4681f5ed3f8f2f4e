/* Self-test of the vt harness against vt_demo (a small curses program built
 * next to this test: $VT_DEMO, else vt_demo in this executable's directory)
 * and a few plain commands. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "vt.h"

#define T 5000 /* ms; generous, the waits return as soon as they can */

static char demo_path[4096];

static const char *demo(void)
{
	if (demo_path[0])
		return demo_path;
	const char *env = getenv("VT_DEMO");
	if (env && *env) {
		snprintf(demo_path, sizeof demo_path, "%s", env);
		return demo_path;
	}
	char self[4000];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return "vt_demo";
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(demo_path, sizeof demo_path, "%s/vt_demo", self);
	return demo_path;
}

static int teardown(void **state)
{
	vt_free(*state);
	*state = NULL;
	return 0;
}

/* Start vt_demo; the test's state owns it (teardown frees it even when an
 * assertion fails). */
static struct vt *start_demo(void **state, const char *const env[], int rows, int cols)
{
	char *argv[] = { (char *)demo(), NULL };
	struct vt *vt = vt_spawn(argv, env, rows, cols);
	assert_non_null(vt);
	*state = vt;
	/* curses sends rows top-down: once the last row is there, so is the
	 * rest of the first frame. */
	assert_true(vt_wait_row(vt, rows - 1, "bottom", T));
	return vt;
}

static struct vt *start(void **state, char *const argv[], const char *const env[])
{
	struct vt *vt = vt_spawn(argv, env, 24, 80);
	assert_non_null(vt);
	*state = vt;
	return vt;
}

static void assert_row(struct vt *vt, int row, const char *want)
{
	char *got = vt_row(vt, row);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "row %d: want \"%s\"\n", row, want);
		vt_dump(vt, stderr);
	}
	assert_string_equal(got, want);
	free(got);
}

static bool log_has(struct vt *vt, const char *needle)
{
	size_t len, n = strlen(needle);
	const char *log = vt_log(vt, &len);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(log + i, needle, n) == 0)
			return true;
	return false;
}

/* ---- the curses demo ---------------------------------------------------- */

static void test_ready_pinned_env(void **state)
{
	/* LINES/COLUMNS in the test's own environment must not reach the
	 * program (they would override the pty size). */
	setenv("LINES", "5", 1);
	setenv("COLUMNS", "7", 1);
	setenv("TZ", "Europe/Paris", 1);
	struct vt *vt = start_demo(state, NULL, 24, 80);
	unsetenv("LINES");
	unsetenv("COLUMNS");
	unsetenv("TZ");
	assert_row(vt, 0, "ready");
	assert_row(vt, 8, "TERM=xterm-256color LC_ALL=C.UTF-8 TZ=UTC");
	assert_row(vt, 9, "LINES=<unset> COLUMNS=<unset> DEMO=<unset>");
	char want[256];
	snprintf(want, sizeof want, "home %s", vt_home(vt));
	assert_row(vt, 10, want);
	assert_true(strncmp(vt_home(vt), "/tmp/", 5) == 0);
	struct stat st;
	assert_int_equal(stat(vt_home(vt), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_row(vt, 23, "bottom"); /* curses used the pty size */
	assert_true(vt_pid(vt) > 0);
}

static void test_env_overrides(void **state)
{
	const char *env[] = { "DEMO=hello world", "TERM=xterm", "TZ=", "-LC_ALL", "LINES=", NULL };
	char *argv[] = { (char *)"env", NULL }; /* found through PATH */
	struct vt *vt = start(state, argv, env);
	assert_int_equal(vt_wait_exit(vt, T), 0);
	char *text = vt_screen(vt);
	char screen[4096];
	snprintf(screen, sizeof screen, "\n%s", text); /* every line starts with \n */
	free(text);
	assert_non_null(strstr(screen, "\nDEMO=hello world\n"));
	assert_non_null(strstr(screen, "\nTERM=xterm\n"));
	assert_null(strstr(screen, "xterm-256color"));
	assert_null(strstr(screen, "TZ="));
	assert_null(strstr(screen, "LC_ALL="));
	assert_null(strstr(screen, "LINES="));
	assert_non_null(strstr(screen, "PATH="));
	assert_non_null(strstr(screen, "\nHOME=/tmp/lanyard-vt-"));
}

static void test_keys(void **state)
{
	struct vt *vt = start_demo(state, NULL, 24, 80);
	/* keypad() put the terminal in application cursor mode. */
	assert_true(log_has(vt, "\x1b[?1h"));

	vt_key(vt, VTERM_KEY_DOWN, VTERM_MOD_NONE);
	assert_true(vt_wait_row(vt, 2, "key: KEY_DOWN", T));
	vt_send(vt, "j");
	assert_true(vt_wait_row(vt, 2, "key: char j", T));
	/* Row 3 may still be on its way: wait for it rather than assert. */
	assert_true(vt_wait_row(vt, 3, "count: 2", T));
	vt_send(vt, "k");
	assert_true(vt_wait_gone(vt, "char j", T));
	assert_true(vt_wait_row(vt, 2, "key: char k", T));

	vt_key(vt, VTERM_KEY_UP, VTERM_MOD_SHIFT); /* \e[1;2A: kri */
	assert_true(vt_wait_row(vt, 2, "key: KEY_SR", T));
	vt_key(vt, VTERM_KEY_FUNCTION(1), VTERM_MOD_NONE);
	assert_true(vt_wait_row(vt, 2, "key: KEY_F(1)", T));
	vt_key(vt, VTERM_KEY_PAGEDOWN, VTERM_MOD_NONE);
	assert_true(vt_wait_row(vt, 2, "key: KEY_NPAGE", T));
	vt_unichar(vt, 'a', VTERM_MOD_CTRL);
	assert_true(vt_wait_row(vt, 2, "key: char ^A", T));
	vt_unichar(vt, 0xFC, VTERM_MOD_NONE); /* ü, sent as UTF-8 */
	assert_true(vt_wait_row(vt, 2, "key: char ü", T));
	vt_send(vt, "\x1b"); /* a lone Esc, delivered after ESCDELAY */
	assert_true(vt_wait_row(vt, 2, "key: escape", T));
	vt_send(vt, "xyz");
	assert_true(vt_wait_row(vt, 2, "key: char z", T));
	assert_true(vt_wait_row(vt, 3, "count: 12", T));
	assert_true(vt_wait_stable(vt, 100, T));
}

static void test_resize(void **state)
{
	struct vt *vt = start_demo(state, NULL, 24, 80);
	vt_resize(vt, 30, 100);
	assert_true(vt_wait_row(vt, 2, "key: resize 30x100", T));
	assert_true(vt_wait_row(vt, 29, "bottom", T));
	int rows, cols;
	vt_size(vt, &rows, &cols);
	assert_int_equal(rows, 30);
	assert_int_equal(cols, 100);
	char *screen = vt_screen(vt);
	int lines = 0;
	for (char *p = screen; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 30);
	free(screen);
	vt_resize(vt, 12, 40);
	assert_true(vt_wait_row(vt, 2, "key: resize 12x40", T));
	assert_true(vt_wait_row(vt, 11, "bottom", T));
	/* Resize while the program is still redrawing after a key: the
	 * harness must not let SIGWINCH land where curses misses it. */
	for (int i = 0; i < 10; i++) {
		char want[64];
		int r = 20 + i, c = 60 + i;
		vt_send(vt, "j");
		vt_resize(vt, r, c);
		snprintf(want, sizeof want, "key: resize %dx%d", r, c);
		assert_true(vt_wait_row(vt, 2, want, T));
		assert_true(vt_wait_row(vt, r - 1, "bottom", T));
	}
}

static void test_wait_idle(void **state)
{
	struct vt *vt = start_demo(state, NULL, 24, 80);
	assert_true(vt_wait_idle(vt, T)); /* in get_wch */
	vt_free(vt);
	*state = NULL;
	char *argv[] = { (char *)"sleep", (char *)"30", NULL };
	vt = start(state, argv, NULL);
	fprintf(stderr, "test_vt: a \"did not wait for input\" diagnostic is expected next\n");
	assert_false(vt_wait_idle(vt, 100)); /* sleeping, not reading */
}

static void test_wide_characters(void **state)
{
	struct vt *vt = start_demo(state, NULL, 24, 80);
	int row = -1, col = -1;
	assert_int_equal(vt_find(vt, "日本語テスト", &row, &col), 1);
	assert_int_equal(row, 4);
	assert_int_equal(col, 10);
	assert_int_equal(vt_find(vt, "テ", &row, &col), 1);
	assert_int_equal(col, 16);
	assert_int_equal(vt_find(vt, ":ok", &row, &col), 1); /* after 6 wide chars */
	assert_int_equal(row, 4);
	assert_int_equal(col, 22);
	assert_row(vt, 4, "          日本語テスト:ok");
	assert_int_equal(vt_find(vt, "no such text", &row, &col), 0);
	assert_int_equal(vt_find(vt, "e", NULL, NULL) >= 4, 1); /* ready, key: none, ... */
}

static void test_attributes(void **state)
{
	struct vt *vt = start_demo(state, NULL, 24, 80);
	struct vt_cell_attr a;
	assert_true(vt_attr(vt, 0, 0, &a)); /* plain "ready" */
	assert_false(a.bold || a.underline || a.reverse || a.italic);
	assert_true(a.fg_default && a.bg_default);
	assert_int_equal(a.fg_index, -1);

	assert_true(vt_attr(vt, 6, 3, &a)); /* "bold" */
	assert_true(a.bold);
	assert_false(a.reverse || a.underline);
	assert_true(vt_attr(vt, 6, 4, &a)); /* the blank after it */
	assert_false(a.bold);

	assert_true(vt_attr(vt, 6, 6, &a)); /* "rev" */
	assert_true(a.reverse);
	assert_false(a.bold);

	assert_true(vt_attr(vt, 6, 12, &a)); /* "red", pair 1 */
	assert_false(a.fg_default || a.bg_default);
	assert_int_equal(a.fg_index, 1);
	assert_int_equal(a.bg_index, 4);

	assert_true(vt_attr(vt, 6, 18, &a)); /* "under" */
	assert_true(a.underline);

	assert_false(vt_attr(vt, 24, 0, &a));
	assert_false(vt_attr(vt, 0, 80, &a));
	assert_false(vt_attr(vt, -1, 0, &a));
}

static void test_mouse(void **state)
{
	struct vt *vt = start_demo(state, NULL, 24, 80);
	assert_true(log_has(vt, "\x1b[?1006")); /* curses asked for SGR mouse */
	vt_click(vt, 3, 5);
	assert_true(vt_wait_row(vt, 2, "key: mouse 3,5", T));
	vt_wheel(vt, 7, 2, true);
	assert_true(vt_wait_row(vt, 2, "key: wheel up 7,2", T));
	vt_wheel(vt, 8, 40, false);
	assert_true(vt_wait_row(vt, 2, "key: wheel down 8,40", T));
	vt_click(vt, 20, 70);
	assert_true(vt_wait_row(vt, 2, "key: mouse 20,70", T));
}

static void test_altscreen_and_exit(void **state)
{
	struct vt *vt = start_demo(state, NULL, 24, 80);
	assert_true(vt_altscreen(vt));
	assert_false(vt_cursor_visible(vt)); /* curs_set(0) */
	assert_true(log_has(vt, "\x1b[?1049h")); /* smcup of xterm-256color */
	vt_send(vt, "q");
	assert_int_equal(vt_wait_exit(vt, T), 0);
	assert_false(vt_altscreen(vt));
	assert_true(vt_cursor_visible(vt));
	assert_true(log_has(vt, "\x1b[?1049l")); /* rmcup */
	assert_false(vt_find(vt, "ready", NULL, NULL)); /* the primary screen */
	/* Reaped: asking again gives the same status; pumping says closed. */
	assert_int_equal(vt_wait_exit(vt, T), 0);
	assert_int_equal(vt_pump(vt, 0), -1);
	vt_kill(vt, SIGTERM); /* no-op now */
}

static void test_exit_status(void **state)
{
	struct vt *vt = start_demo(state, NULL, 24, 80);
	vt_send(vt, "e");
	assert_int_equal(vt_wait_exit(vt, T), 7);
}

/* ---- plain commands ----------------------------------------------------- */

static void test_echo_then_exit(void **state)
{
	char *argv[] = { (char *)"/bin/echo", (char *)"hi", NULL };
	struct vt *vt = start(state, argv, NULL);
	assert_int_equal(vt_wait_exit(vt, T), 0);
	assert_row(vt, 0, "hi");
	assert_row(vt, 1, "");
	size_t len;
	const char *log = vt_log(vt, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(log, "hi\r\n", 4);
	assert_false(vt_altscreen(vt));
}

static void test_wait_text_after_exit(void **state)
{
	/* Output written just before exiting is still seen by a wait. */
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)"printf 'last words'; exit 3", NULL };
	struct vt *vt = start(state, argv, NULL);
	assert_true(vt_wait_text(vt, "last words", T));
	assert_int_equal(vt_wait_exit(vt, T), 3);
}

static void test_wait_gives_up_when_program_exits(void **state)
{
	char *argv[] = { (char *)"true", NULL };
	struct vt *vt = start(state, argv, NULL);
	/* Must return promptly (not after the full minute) and say so. */
	fprintf(stderr, "test_vt: a \"gave up\" diagnostic is expected next\n");
	assert_false(vt_wait_text(vt, "never printed", 60000));
	assert_int_equal(vt_wait_exit(vt, T), 0);
}

static void test_signals(void **state)
{
	char *argv[] = { (char *)"sleep", (char *)"30", NULL };
	struct vt *vt = start(state, argv, NULL);
	fprintf(stderr, "test_vt: a \"still running\" diagnostic is expected next\n");
	assert_int_equal(vt_wait_exit(vt, 50), -1); /* still running */
	vt_kill(vt, SIGTERM);
	assert_int_equal(vt_wait_exit(vt, T), 128 + SIGTERM);
}

static void test_spawn_failures(void **state)
{
	(void)state;
	fprintf(stderr, "test_vt: four vt_spawn errors are expected next\n");
	char *argv1[] = { (char *)"no-such-program-for-vt-test", NULL };
	assert_null(vt_spawn(argv1, NULL, 24, 80));
	char *argv2[] = { (char *)"/nonexistent/dir/prog", NULL };
	assert_null(vt_spawn(argv2, NULL, 24, 80));
	char *argv3[] = { (char *)"/etc/passwd", NULL }; /* not executable */
	assert_null(vt_spawn(argv3, NULL, 24, 80));
	char *argv4[] = { NULL };
	assert_null(vt_spawn(argv4, NULL, 24, 80));
}

static void test_home_removed(void **state)
{
	char *argv[] = { (char *)"sh", (char *)"-c",
			 (char *)"mkdir -p \"$HOME/a/b\" && echo x > \"$HOME/a/b/f\" && "
				 "ln -s /etc \"$HOME/a/etc\" && chmod 500 \"$HOME/a/b\" && echo done",
			 NULL };
	struct vt *vt = start(state, argv, NULL);
	assert_true(vt_wait_text(vt, "done", T));
	assert_int_equal(vt_wait_exit(vt, T), 0);
	char home[256];
	snprintf(home, sizeof home, "%s", vt_home(vt));
	char file[300];
	snprintf(file, sizeof file, "%s/a/b/f", home);
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	vt_free(vt);
	*state = NULL;
	assert_int_equal(lstat(home, &st), -1);
	assert_int_equal(stat("/etc/passwd", &st), 0); /* the symlink was not followed */
}

static void test_free_kills_running_program(void **state)
{
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)"sleep 30 & echo \"bg $!\"; wait", NULL };
	struct vt *vt = start(state, argv, NULL);
	assert_true(vt_wait_text(vt, "bg ", T));
	int row, col;
	assert_int_equal(vt_find(vt, "bg ", &row, &col), 1);
	char *line = vt_row(vt, row);
	pid_t bg = (pid_t)atoi(line + col + 3);
	free(line);
	pid_t pid = vt_pid(vt);
	assert_true(bg > 0);
	vt_free(vt);
	*state = NULL;
	assert_int_equal(kill(pid, 0), -1); /* reaped */
	/* The background child got SIGKILL too. Delivery is asynchronous, and
	 * it may linger as a zombie until its new parent reaps it: poll until
	 * it is dead (Z, X or gone). */
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)bg);
	char state_ch = '?';
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		if (!f) {
			state_ch = 'X';
			break;
		}
		char buf[512];
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		char *paren = strrchr(buf, ')');
		assert_non_null(paren);
		state_ch = paren[2];
		if (state_ch == 'Z' || state_ch == 'X')
			break;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	assert_true(state_ch == 'Z' || state_ch == 'X');
}

static void test_lots_of_output(void **state)
{
	char *argv[] = { (char *)"seq", (char *)"1", (char *)"30000", NULL };
	struct vt *vt = start(state, argv, NULL);
	assert_int_equal(vt_wait_exit(vt, T), 0);
	assert_row(vt, 22, "30000");
	assert_row(vt, 0, "29978");
	size_t len;
	vt_log(vt, &len);
	/* digits plus \r\n per line */
	assert_int_equal(len, 9 * 3 + 90 * 4 + 900 * 5 + 9000 * 6 + 20001 * 7);
}

static void test_lots_of_input(void **state)
{
	/* cat copies its input back; with 100 kB going each way the harness
	 * must keep reading while it writes, or both sides stall on full
	 * buffers. (Echo is off so each line shows up once.) */
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)"stty -echo && echo go && exec cat", NULL };
	struct vt *vt = start(state, argv, NULL);
	assert_true(vt_wait_text(vt, "go", T));
	char line[101];
	memset(line, 'x', 99);
	line[99] = '\n';
	line[100] = '\0';
	for (int i = 0; i < 1000; i++)
		vt_send(vt, line);
	vt_send(vt, "the end\n\x04"); /* ^D at the start of a line: EOF */
	assert_int_equal(vt_wait_exit(vt, T), 0);
	int row = -1;
	assert_int_equal(vt_find(vt, "the end", &row, NULL), 1);
	assert_int_equal(row, 22);
	size_t len;
	vt_log(vt, &len);
	assert_int_equal(len, 4 + 1000 * 101 + 9); /* "go\r\n", lines with \r\n */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ready_pinned_env, teardown),
		cmocka_unit_test_teardown(test_env_overrides, teardown),
		cmocka_unit_test_teardown(test_keys, teardown),
		cmocka_unit_test_teardown(test_resize, teardown),
		cmocka_unit_test_teardown(test_wait_idle, teardown),
		cmocka_unit_test_teardown(test_wide_characters, teardown),
		cmocka_unit_test_teardown(test_attributes, teardown),
		cmocka_unit_test_teardown(test_mouse, teardown),
		cmocka_unit_test_teardown(test_altscreen_and_exit, teardown),
		cmocka_unit_test_teardown(test_exit_status, teardown),
		cmocka_unit_test_teardown(test_echo_then_exit, teardown),
		cmocka_unit_test_teardown(test_wait_text_after_exit, teardown),
		cmocka_unit_test_teardown(test_wait_gives_up_when_program_exits, teardown),
		cmocka_unit_test_teardown(test_signals, teardown),
		cmocka_unit_test_teardown(test_spawn_failures, teardown),
		cmocka_unit_test_teardown(test_home_removed, teardown),
		cmocka_unit_test_teardown(test_free_kills_running_program, teardown),
		cmocka_unit_test_teardown(test_lots_of_output, teardown),
		cmocka_unit_test_teardown(test_lots_of_input, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
