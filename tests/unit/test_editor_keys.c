/* The in-place editor widget driven through real curses: key bytes are
 * written to a pipe curses reads (so escape sequences, Esc and Alt-b are
 * decoded as in a terminal), output goes to /dev/null and the screen is
 * read back from stdscr. A fake clock drives the save schedule.
 *
 * The unit-test rule links only core objects, so the widget's source is
 * compiled in here (which also lets the test replace its clock). Its
 * public names are renamed: make's dependency files list editor.c as a
 * prerequisite of this test, and the rule links every prerequisite, so on
 * a rebuild editor.c is linked in a second time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define editor_open test_editor_open
#define editor_close test_editor_close
#define editor_handle test_editor_handle
#define editor_tick test_editor_tick
#define editor_save test_editor_save
#define editor_draw test_editor_draw
#define editor_place_cursor test_editor_place_cursor
#define editor_resize test_editor_resize
#define editor_click test_editor_click
#define editor_text test_editor_text
#define editor_dirty test_editor_dirty
#define editor_error test_editor_error
#define editor_external test_editor_external
#include "../../src/ui/editor.c"

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int key_fd = -1;
static int64_t fake_now = 1000000;

static int64_t fake_clock(void)
{
	return fake_now;
}

struct saver {
	int calls;
	bool fail;
	char text[512];
};

static int save_cb(void *ctx, const char *text, struct ly_error *err)
{
	struct saver *s = ctx;
	s->calls++;
	if (s->fail)
		return ly_fail(err, "disk full");
	snprintf(s->text, sizeof s->text, "%s", text);
	return LY_OK;
}

static struct editor *open_ed(int y, int x, int h, int w, const char *text, struct saver *s)
{
	struct editor *e = editor_open(stdscr, y, x, h, w, text, save_cb, s);
	assert_non_null(e);
	e->clock = fake_clock;
	return e;
}

static void feed(const char *bytes)
{
	size_t n = strlen(bytes);
	assert_int_equal(write(key_fd, bytes, n), (ssize_t)n);
}

/* Hand every key sent to the editor as the browser's loop would; returns
 * the last result (stops at EDITOR_DONE). Each key advances the clock by
 * step ms. */
static int pump(struct editor *e, int step)
{
	int res = EDITOR_CONTINUE;
	for (;;) {
		wint_t ch;
		timeout(60);
		int r = get_wch(&ch);
		if (r == ERR)
			break;
		fake_now += step;
		res = editor_handle(e, (int)ch, r == KEY_CODE_YES);
		if (res == EDITOR_DONE)
			break;
	}
	return res;
}

static int type(struct editor *e, const char *bytes)
{
	feed(bytes);
	return pump(e, 10);
}

/* Columns [0, cols) of screen row y as UTF-8. */
static const char *screen_row(int y, int cols)
{
	static char out[1024];
	wchar_t w[512];
	int n = mvwinnwstr(stdscr, y, 0, w, 511);
	assert_true(n > 0);
	size_t o = 0;
	int used = 0;
	for (int i = 0; i < n; i++) {
		int cw = text_cpwidth((uint32_t)w[i]);
		if (used + cw > cols)
			break;
		used += cw;
		o += text_encode((uint32_t)w[i], out + o);
	}
	out[o] = '\0';
	return out;
}

static void fill(void)
{
	for (int y = 0; y < 10; y++)
		mvaddstr(y, 0, "XXXXXXXXXXXXXXXXXXXX");
}

static void test_typing_and_time(void **state)
{
	(void)state;
	struct saver s = { 0 };
	struct editor *e = open_ed(0, 0, 5, 40, NULL, &s);
	assert_int_equal(type(e, "big red button \xe6\x97\xa5\xe6\x9c\xac"), EDITOR_CONTINUE); /* 日本 */
	assert_int_equal(type(e, "\x14"), EDITOR_CONTINUE);                                  /* Ctrl-T */
	type(e, "halt");
	/* After a word the time gets a space before it. */
	assert_string_equal(editor_text(e), "big red button 日本 [11:07] halt");
	assert_true(editor_dirty(e));
	/* Enter: a newline, saved at once. */
	int calls = s.calls;
	assert_int_equal(type(e, "\r"), EDITOR_CONTINUE);
	assert_int_equal(s.calls, calls + 1);
	assert_string_equal(s.text, "big red button 日本 [11:07] halt\n");
	assert_false(editor_dirty(e));
	/* At a line's start, or after a space, no extra space. */
	type(e, "\x14");
	type(e, "x \x14");
	assert_string_equal(editor_text(e), "big red button 日本 [11:07] halt\n[11:07] x [11:07] ");
	assert_null(editor_error(e));
	assert_int_equal(editor_close(e, NULL), LY_OK);
}

static void test_motion_keys(void **state)
{
	(void)state;
	struct saver s = { 0 };
	struct editor *e = open_ed(0, 0, 5, 40, "one two three", &s);
	type(e, "\x1b[1;5D");              /* Ctrl-Left (xterm kLFT5) */
	type(e, "^");
	assert_string_equal(editor_text(e), "one two ^three");
	type(e, "\x1b" "b");               /* Alt-b */
	type(e, "<");
	assert_string_equal(editor_text(e), "one <two ^three");
	type(e, "\x1b" "f");               /* Alt-f: end of "two" */
	type(e, ">");
	assert_string_equal(editor_text(e), "one <two> ^three");
	type(e, "\x1b[1;5C");              /* Ctrl-Right: end of "three" */
	type(e, "!");
	assert_string_equal(editor_text(e), "one <two> ^three!");
	type(e, "\x01");                   /* Ctrl-A */
	type(e, "[");
	type(e, "\x05");                   /* Ctrl-E */
	type(e, "]");
	assert_string_equal(editor_text(e), "[one <two> ^three!]");
	/* Home, Right x3 in the normal cursor mode (xterm's terminfo has the
	 * application-mode codes: these reach the editor as escape sequences). */
	type(e, "\x1b[H" "\x1b[C" "\x1b[C" "\x1b[C");
	type(e, "\x1b[3~");                /* Delete */
	type(e, "\x7f");                   /* Backspace (DEL) */
	type(e, "\x08");                   /* Backspace (Ctrl-H) */
	assert_string_equal(editor_text(e), "[ <two> ^three!]");
	type(e, "\x1b[F");                 /* End */
	type(e, "\x17");                   /* Ctrl-W: the word before */
	assert_string_equal(editor_text(e), "[ <two> ^");
	type(e, "\x1b\x7f");               /* Alt-Backspace */
	assert_string_equal(editor_text(e), "[ <");
	type(e, "\x1b" "x");               /* an unknown Alt key does nothing */
	assert_string_equal(editor_text(e), "[ <");
	type(e, "\x1b[99;9Z");             /* nor does an unknown sequence */
	assert_string_equal(editor_text(e), "[ <");
	/* Up and down through lines, and Ctrl-U. */
	type(e, "\rabc\rdefgh");
	type(e, "\x1b[A" "\x1b[A");
	type(e, "*");
	assert_string_equal(editor_text(e), "[ <*\nabc\ndefgh");
	type(e, "\x1b[B" "\x1b[B");
	type(e, "\x15");                   /* Ctrl-U */
	assert_string_equal(editor_text(e), "[ <*\nabc\nh");   /* column 4 kept */
	editor_close(e, NULL);
}

static void test_escape_leaves_after_saving(void **state)
{
	(void)state;
	struct saver s = { 0 };
	struct editor *e = open_ed(0, 0, 5, 40, "note", &s);
	assert_int_equal(type(e, " more"), EDITOR_CONTINUE);
	assert_int_equal(type(e, "\x1b"), EDITOR_DONE);
	assert_int_equal(s.calls, 1);
	assert_string_equal(s.text, "note more");
	assert_int_equal(editor_close(e, NULL), LY_OK);
	assert_int_equal(s.calls, 1);       /* nothing left to save */

	/* Esc with nothing typed does not write. */
	e = open_ed(0, 0, 5, 40, "note", &s);
	assert_int_equal(type(e, "\x1b"), EDITOR_DONE);
	assert_int_equal(editor_close(e, NULL), LY_OK);
	assert_int_equal(s.calls, 1);
}

static void test_save_schedule(void **state)
{
	(void)state;
	struct saver s = { 0 };
	struct editor *e = open_ed(0, 0, 5, 40, "", &s);
	/* Keys every 100 ms: saved once a second while typing goes on. */
	for (int i = 0; i < 25; i++) {
		fake_now += 100;
		assert_int_equal(editor_handle(e, 'a' + i, false), EDITOR_CONTINUE);
		assert_int_equal(editor_tick(e), EDITOR_CONTINUE);  /* no pause yet */
	}
	assert_int_equal(s.calls, 2);
	assert_string_equal(s.text, "abcdefghijklmnopqrstuv");
	/* A pause: not before 300 ms, then at once. */
	fake_now += 250;
	editor_tick(e);
	assert_int_equal(s.calls, 2);
	fake_now += 50;
	editor_tick(e);
	assert_int_equal(s.calls, 3);
	assert_string_equal(s.text, "abcdefghijklmnopqrstuvwxy");
	fake_now += 5000;
	editor_tick(e);
	assert_int_equal(s.calls, 3);       /* nothing changed */
	/* Cursor motion is not a change. */
	editor_handle(e, KEY_LEFT, true);
	fake_now += 5000;
	editor_tick(e);
	assert_int_equal(s.calls, 3);
	/* Closing saves what is pending. */
	editor_handle(e, 'z', false);
	assert_int_equal(editor_close(e, NULL), LY_OK);
	assert_int_equal(s.calls, 4);
	assert_string_equal(s.text, "abcdefghijklmnopqrstuvwxzy");
}

static void test_save_failure(void **state)
{
	(void)state;
	struct saver s = { .fail = true };
	struct editor *e = open_ed(0, 0, 5, 40, "", &s);
	editor_handle(e, 'a', false);
	fake_now += 400;
	assert_int_equal(editor_tick(e), EDITOR_ERROR);
	assert_string_equal(editor_error(e), "disk full");
	assert_true(editor_dirty(e));
	/* No retry for a second, then again. */
	fake_now += 500;
	assert_int_equal(editor_tick(e), EDITOR_CONTINUE);
	assert_int_equal(s.calls, 1);
	fake_now += 600;
	assert_int_equal(editor_tick(e), EDITOR_ERROR);
	assert_int_equal(s.calls, 2);
	/* Enter tries at once. */
	assert_int_equal(editor_handle(e, '\r', false), EDITOR_ERROR);
	assert_int_equal(s.calls, 3);
	/* Esc: not left while the text is not saved; a second Esc leaves. */
	assert_int_equal(type(e, "\x1b"), EDITOR_ERROR);
	assert_int_equal(type(e, "\x1b"), EDITOR_DONE);
	/* The store is back: the retry succeeds. */
	s.fail = false;
	fake_now += 1000;
	assert_int_equal(editor_tick(e), EDITOR_CONTINUE);
	assert_null(editor_error(e));
	assert_string_equal(s.text, "a\n");
	s.fail = true;
	editor_handle(e, 'b', false);
	struct ly_error err;
	assert_int_equal(editor_close(e, &err), LY_ERR);
	assert_string_equal(err.msg, "disk full");
}

static void test_draw_in_rectangle(void **state)
{
	(void)state;
	struct saver s = { 0 };
	fill();
	/* A wide character at the edge goes to the next row; rows below the
	 * text get a "~"; nothing outside the rectangle is touched. */
	struct editor *e = open_ed(2, 3, 4, 8, "abcdef日本", &s);
	editor_draw(e);
	int y, x;
	getyx(stdscr, y, x);                /* editor_draw leaves it at the text cursor */
	assert_int_equal(y, 3);
	assert_int_equal(x, 7);
	assert_string_equal(screen_row(1, 20), "XXXXXXXXXXXXXXXXXXXX");
	assert_string_equal(screen_row(2, 20), "XXXabcdef  XXXXXXXXX");
	assert_string_equal(screen_row(3, 20), "XXX日本    XXXXXXXXX");
	assert_string_equal(screen_row(4, 20), "XXX~       XXXXXXXXX");
	assert_string_equal(screen_row(5, 20), "XXX~       XXXXXXXXX");
	assert_string_equal(screen_row(6, 20), "XXXXXXXXXXXXXXXXXXXX");
	/* The host draws elsewhere, then puts the cursor back. */
	mvaddstr(20, 0, "status");
	editor_place_cursor(e);
	getyx(stdscr, y, x);
	assert_int_equal(y, 3);
	assert_int_equal(x, 7);
	/* Combining marks share their base's cell; a line-leading mark is
	 * drawn over a space. */
	type(e, "\x1b[1;5H");               /* Ctrl-Home */
	type(e, "e\xcc\x81\r\xcc\x81!\r");
	editor_draw(e);
	assert_string_equal(screen_row(2, 20), "XXXe\xcc\x81       XXXXXXXXX");
	assert_string_equal(screen_row(3, 20), "XXX \xcc\x81!      XXXXXXXXX");
	assert_string_equal(screen_row(4, 20), "XXXabcdef  XXXXXXXXX");
	editor_place_cursor(e);             /* reading the screen moved it */
	getyx(stdscr, y, x);
	assert_int_equal(y, 4);
	assert_int_equal(x, 3);
	editor_close(e, NULL);
}

static void test_scrolling_and_resize(void **state)
{
	(void)state;
	struct saver s = { 0 };
	fill();
	struct editor *e = open_ed(1, 2, 3, 10, "1\n2\n3\n4\n5\n6\n7\n8", &s);
	editor_draw(e);                      /* the cursor (at the end) is shown */
	assert_string_equal(screen_row(1, 20), "XX6         XXXXXXXX");
	assert_string_equal(screen_row(3, 20), "XX8         XXXXXXXX");
	type(e, "\x1b[5~");                  /* PgUp: two rows */
	editor_draw(e);
	assert_string_equal(screen_row(1, 20), "XX4         XXXXXXXX");
	int y, x;
	editor_place_cursor(e);             /* reading the screen moved it */
	getyx(stdscr, y, x);
	assert_int_equal(y, 3);
	assert_int_equal(x, 3);
	type(e, "\x1b[A\x1b[A\x1b[A");
	editor_draw(e);
	assert_string_equal(screen_row(1, 20), "XX3         XXXXXXXX");
	editor_place_cursor(e);             /* reading the screen moved it */
	getyx(stdscr, y, x);
	assert_int_equal(y, 1);
	type(e, "\x1b[6~");                  /* PgDn: the view moves with the cursor */
	editor_draw(e);
	editor_place_cursor(e);             /* reading the screen moved it */
	getyx(stdscr, y, x);
	assert_int_equal(y, 1);
	assert_string_equal(screen_row(1, 20), "XX5         XXXXXXXX");
	/* Narrower: re-wrapped by display width. */
	editor_close(e, NULL);
	fill();
	e = open_ed(1, 2, 3, 10, "the quick brown fox", &s);
	editor_draw(e);
	assert_string_equal(screen_row(1, 20), "XXthe quick XXXXXXXX");
	assert_string_equal(screen_row(2, 20), "XXbrown fox XXXXXXXX");
	editor_resize(e, 1, 2, 3, 7);
	editor_draw(e);
	/* "the |quick |brown |fox": four rows in three, the cursor (after
	 * "fox") in view; the old right part of the rectangle is left alone. */
	assert_string_equal(screen_row(1, 9), "XXquick  ");
	assert_string_equal(screen_row(2, 9), "XXbrown  ");
	assert_string_equal(screen_row(3, 9), "XXfox    ");
	editor_place_cursor(e);             /* reading the screen moved it */
	getyx(stdscr, y, x);
	assert_int_equal(y, 3);
	assert_int_equal(x, 5);
	editor_close(e, NULL);
}

static void test_click(void **state)
{
	(void)state;
	struct saver s = { 0 };
	struct editor *e = open_ed(1, 2, 3, 10, "日本語\nabc", &s);
	editor_draw(e);
	assert_true(editor_click(e, 1, 5));  /* right half of 本 */
	type(e, "|");
	assert_string_equal(editor_text(e), "日|本語\nabc");
	assert_false(editor_click(e, 0, 5));
	assert_false(editor_click(e, 1, 12));
	editor_close(e, NULL);
}

static void test_external_editor(void **state)
{
	(void)state;
	char *out = NULL;
	struct ly_error err;
	setenv("VISUAL", "", 1);
	setenv("EDITOR", "sed -i s/first/edited/", 1);
	assert_int_equal(editor_external("first thought", &out, &err), LY_OK);
	assert_string_equal(out, "edited thought");   /* sed's final newline dropped */
	free(out);
	assert_int_equal(editor_external("first\n", &out, &err), LY_OK);
	assert_string_equal(out, "edited\n");
	free(out);
	/* The editor's value is a command; the file name is quoted for it. */
	setenv("VISUAL", "f() { printf 'x\\033[2Jy\\n' > \"$1\"; }; f", 1);
	assert_int_equal(editor_external("", &out, &err), LY_OK);
	assert_string_equal(out, "xy");                 /* sanitised */
	free(out);
	setenv("VISUAL", "false", 1);
	out = (char *)"untouched";
	assert_int_equal(editor_external("x", &out, &err), LY_ERR);
	assert_null(out);
	assert_non_null(strstr(err.msg, "false failed"));
	setenv("VISUAL", "/nonexistent/editor", 1);
	assert_int_equal(editor_external("x", &out, &err), LY_ERR);
	assert_non_null(strstr(err.msg, "cannot run"));
	unsetenv("VISUAL");
	unsetenv("EDITOR");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	setenv("LANYARD_NOW", "2022-05-18 11:07", 1);
	setenv("LINES", "24", 1);
	setenv("COLUMNS", "80", 1);
	int fds[2];
	if (pipe(fds) != 0)
		return 1;
	key_fd = fds[1];
	FILE *in = fdopen(fds[0], "r");
	FILE *out = fopen("/dev/null", "w");
	set_escdelay(25);
	SCREEN *scr = newterm("xterm", out, in);
	if (!scr) {
		fprintf(stderr, "cannot start curses on TERM=xterm\n");
		return 1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typing_and_time),
		cmocka_unit_test(test_motion_keys),
		cmocka_unit_test(test_escape_leaves_after_saving),
		cmocka_unit_test(test_save_schedule),
		cmocka_unit_test(test_save_failure),
		cmocka_unit_test(test_draw_in_rectangle),
		cmocka_unit_test(test_scrolling_and_resize),
		cmocka_unit_test(test_click),
		cmocka_unit_test(test_external_editor),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	endwin();
	delscreen(scr);
	fclose(in);
	fclose(out);
	close(key_fd);
	return rc;
}
