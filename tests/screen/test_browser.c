/* The real binary in a real terminal emulator: what a user sees and does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lanyard/ui.h"
#include "screenutil.h"

#define T 5000 /* ms to wait for the screen */
#define FIXTURE "tests/cli/data/conf-v1.csv"

static char *fresh_db(void)
{
	return su_db(FIXTURE);
}

/* The TSV line for key from `lanyard list`. */
static char *list_line(const char *db, const char *key)
{
	return su_run("'%s' list --db '%s' | grep '^%s\t'", su_bin(), db, key);
}

static void quit(struct vt *vt)
{
	vt_send(vt, "q");
	assert_int_equal(vt_wait_exit(vt, T), 0);
	assert_false(vt_altscreen(vt));
}

static void test_first_screen_80x24(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Days", T));
	assert_true(vt_wait_text(vt, "Tracks", T));
	assert_true(vt_wait_text(vt, "Talks", T));
	assert_true(vt_altscreen(vt));
	/* LANYARD_NOW is Wed 18 May: that day is open, talk rows carry times. */
	assert_true(vt_wait_text(vt, "Wed 18 May", T));
	assert_true(vt_wait_text(vt, "All tracks", T));
	assert_true(vt_wait_text(vt, "09:00", T));
	assert_true(vt_wait_text(vt, "11:30", T));
	/* The detail of the selected (first) talk, below the panes. */
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	int row, col;
	assert_true(vt_find(vt, "Priya Raman", &row, &col));
	assert_true(row > 12);
	assert_true(vt_wait_text(vt, "Auditorium", T));
	quit(vt);
	vt_free(vt);
	free(db);
}

static void test_first_screen_120x40(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 40, 120, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	int row, col;
	assert_true(vt_find(vt, "Priya Raman", &row, &col));
	assert_true(col > 60); /* the detail sits to the right */
	assert_true(row < 10);
	assert_true(vt_wait_text(vt, "Keynote: Welcome Back to Valencia", T));
	quit(vt);
	vt_free(vt);
	free(db);
}

static void test_navigation(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_key(vt, VTERM_KEY_DOWN);
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_key(vt, VTERM_KEY_UP);
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "G");
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	/* To the Days pane, next day: Thursday's only talk. */
	vt_send(vt, "hh");
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Zoë Ørsted", T));
	/* Tracks: Tab goes right; the track filter narrows the talks. */
	vt_send(vt, "k");
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "\t");
	vt_send(vt, "j");          /* first real track: Customizing + Extending */
	assert_true(vt_wait_text(vt, "Ana García", T));
	assert_true(vt_wait_gone(vt, "Auditorium", T));
	/* Enter opens the talk; Esc comes back. */
	vt_send(vt, "\t\r");
	assert_true(vt_wait_text(vt, "Track: Customizing + Extending Kubernetes", T));
	assert_true(vt_wait_text(vt, "Bring your own controller.", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_gone(vt, "Track: Customizing", T));
	assert_true(vt_wait_text(vt, "Tracks", T));
	quit(vt);
	vt_free(vt);
	free(db);
}

static void test_search(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	/* A word from an abstract, typed as a prefix. */
	vt_send(vt, "/red butt");
	assert_true(vt_wait_text(vt, "1 match", T));
	assert_true(vt_wait_text(vt, "Effective Disaster Recovery", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	assert_true(vt_wait_text(vt, "match 1 of 1", T));
	/* A speaker. */
	vt_send(vt, "/");
	vt_send(vt, "\x15"); /* Ctrl-U clears the prompt */
	vt_send(vt, "mei");
	assert_true(vt_wait_text(vt, "Autoscaling Kubernetes Deployments", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	/* n / N step through the matches of a wider search. */
	vt_send(vt, "/");
	vt_send(vt, "\x15");
	vt_send(vt, "kubernetes");
	assert_true(vt_wait_text(vt, "3 matches", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "match 1 of 3", T));
	vt_send(vt, "n");
	assert_true(vt_wait_text(vt, "match 2 of 3", T));
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	vt_send(vt, "N");
	assert_true(vt_wait_text(vt, "match 1 of 3", T));
	quit(vt);
	vt_free(vt);
	free(db);
}

static void test_timeline(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Effective", T));
	vt_send(vt, "T");
	assert_true(vt_wait_text(vt, "Room 2A", T));
	assert_true(vt_wait_text(vt, "Room 2B", T));
	assert_true(vt_wait_text(vt, "Auditorium", T));
	assert_true(vt_wait_text(vt, "now 11:07", T)); /* the now marker */
	/* Move to the planned talk and open it. */
	vt_send(vt, "j");
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "11:30\xe2\x80\x93" "12:05  Room 2B", T));
	char *bottom = vt_row(vt, 22); /* the selected talk, in full */
	assert_non_null(strstr(bottom, "11:30"));
	assert_non_null(strstr(bottom, "Effective Disaster Recovery"));
	free(bottom);
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "Track: Operations", T));
	vt_send(vt, "\x1b");
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "Tracks", T));
	quit(vt);
	vt_free(vt);
	free(db);
}

static void test_help_lists_every_bound_action(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 40, 120, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "?");
	assert_true(vt_wait_text(vt, "Keys", T));
	int checked = 0;
	for (int a = 1; a < ACT_COUNT; a++) {
		char keys[96];
		ui_keys_for((enum action)a, keys, sizeof keys);
		if (!keys[0])
			continue;
		assert_true(vt_wait_text(vt, ui_action_help((enum action)a), T));
		checked++;
	}
	assert_true(checked > 25);
	vt_send(vt, "q");
	assert_true(vt_wait_gone(vt, "Keys", T));
	quit(vt);
	vt_free(vt);
	free(db);
}

static void test_resize(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 30, 100, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_resize(vt, 16, 60);
	assert_true(vt_wait_text(vt, "Tracks", T));
	assert_true(vt_wait_text(vt, "Keynote: Welcome", T));
	vt_resize(vt, 10, 40);
	assert_true(vt_wait_text(vt, "Terminal too small", T));
	vt_resize(vt, 30, 100);
	assert_true(vt_wait_gone(vt, "Terminal too small", T));
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	quit(vt);
	vt_free(vt);
	free(db);
}

static void test_hostile_text_and_cjk(void **state)
{
	(void)state;
	char *db = su_db("tests/screen/nasty.csv");
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Evil Title red", T));
	assert_true(vt_wait_text(vt, "日本語", T));
	vt_send(vt, "j\r"); /* the talk view draws the abstract too */
	assert_true(vt_wait_text(vt, "clear and", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "Room 10", T));
	size_t len;
	const char *log = vt_log(vt, &len);
	assert_null(strstr(log, "pwned"));
	assert_null(memchr(log, '\a', len));
	assert_null(strstr(log, "\x1b]0;"));
	assert_null(strstr(log, "\x1b[2J clear"));
	assert_null(strstr(log, "\xc2\x9b"));
	/* The room column starts at the same cell on a CJK row and an ASCII row. */
	int r1, c1, r2, c2;
	assert_true(vt_find(vt, "Room 10", &r1, &c1));
	assert_true(vt_find(vt, "Room 11", &r2, &c2));
	assert_int_not_equal(r1, r2);
	assert_int_equal(c1, c2);
	quit(vt);
	vt_free(vt);
	free(db);
}

static void test_marking_keys_reach_the_store(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Kubernetes", T));
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_send(vt, "a");
	assert_true(vt_wait_text(vt, "attended: Effective", T));
	vt_send(vt, "4");
	assert_true(vt_wait_text(vt, "rated 4/5", T));
	/* K2 and K3 overlap: both are marked as clashing. */
	assert_true(vt_wait_text(vt, "clash", T));
	vt_send(vt, "j");
	vt_send(vt, "x");
	assert_true(vt_wait_text(vt, "skipped: Autoscaling", T));
	vt_send(vt, "3");
	assert_true(vt_wait_text(vt, "rated 3/5", T));
	vt_send(vt, "0");
	assert_true(vt_wait_text(vt, "rating cleared", T));
	quit(vt);
	char *k2 = list_line(db, "K2"), *k3 = list_line(db, "K3"), *k4 = list_line(db, "K4");
	assert_non_null(strstr(k2, "\tplanned\t\n"));
	assert_non_null(strstr(k3, "\tattended\t4\n"));
	assert_non_null(strstr(k4, "\tskipped\t\n"));
	free(k2);
	free(k3);
	free(k4);
	vt_free(vt);
	free(db);
}

static void test_now_next_agenda_review(void **state)
{
	(void)state;
	char *db = fresh_db();
	free(su_run("'%s' attend --db '%s' K2 planned; '%s' attend --db '%s' K3 planned; '%s' attend --db '%s' K4 attended",
	            su_bin(), db, su_bin(), db, su_bin(), db));
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "w");
	assert_true(vt_wait_text(vt, "Now: Wed 18 May 11:07", T));
	assert_true(vt_wait_text(vt, "28 min left", T));        /* K2 11:00-11:35 */
	assert_true(vt_wait_text(vt, "in 23 min", T));          /* K3 at 11:30 */
	vt_send(vt, "a");                                        /* attended, right there */
	assert_true(vt_wait_text(vt, "attended: Kubernetes is Your Platform", T));
	vt_send(vt, "\x1b");
	vt_send(vt, "A");
	assert_true(vt_wait_text(vt, "Agenda", T));
	assert_true(vt_wait_text(vt, "Wed 18 May", T));
	assert_true(vt_wait_text(vt, "free 12:05", T));
	assert_true(vt_wait_text(vt, "!", T));
	vt_send(vt, "\x1b");
	vt_send(vt, "R");
	assert_true(vt_wait_text(vt, "To rate", T));
	assert_true(vt_wait_text(vt, "2 attended", T));
	vt_send(vt, "\x1b");
	quit(vt);
	char *k2 = list_line(db, "K2");
	assert_non_null(strstr(k2, "\tattended\t"));
	free(k2);
	vt_free(vt);
	free(db);
}

static void test_takeaways_survive_kill(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_send(vt, "t");
	assert_true(vt_wait_text(vt, "saved as you type", T));
	vt_send(vt, "big red button \xe6\x97\xa5\xe6\x9c\xac");  /* 日本 */
	vt_send(vt, "\x14");                                       /* Ctrl-T: [11:07] */
	vt_send(vt, "halt");
	assert_true(vt_wait_text(vt, "halt", T));
	/* Saved within about a second, without leaving the editor. */
	char *note = NULL;
	for (int i = 0; i < 40; i++) {
		free(note);
		note = su_run("'%s' note --db '%s' K3", su_bin(), db);
		if (strstr(note, "halt"))
			break;
		usleep(100 * 1000);
	}
	vt_kill(vt, SIGKILL);
	vt_wait_exit(vt, T);
	assert_string_equal(note, "big red button 日本[11:07] halt\n");
	free(note);
	note = su_run("'%s' note --db '%s' K3", su_bin(), db);
	assert_string_equal(note, "big red button 日本[11:07] halt\n");
	free(note);
	vt_free(vt);
	free(db);
}

static void test_external_editor(void **state)
{
	(void)state;
	char *db = fresh_db();
	free(su_run("'%s' note --db '%s' K3 'first thought'", su_bin(), db));
	const char *env[] = { "VISUAL=", "EDITOR=sed -i s/first/edited/", NULL };
	struct vt *vt = su_start(db, 24, 80, env);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "first thought", T));
	vt_send(vt, "E");
	assert_true(vt_wait_text(vt, "edited thought", T));
	assert_true(vt_wait_text(vt, "Tracks", T)); /* the screen is back */
	quit(vt);
	char *note = su_run("'%s' note --db '%s' K3", su_bin(), db);
	assert_string_equal(note, "edited thought\n");
	free(note);
	vt_free(vt);
	free(db);
}

static void test_sigterm_restores_terminal(void **state)
{
	(void)state;
	char *db = fresh_db();
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_kill(vt, SIGTERM);
	assert_int_equal(vt_wait_exit(vt, T), 0);
	assert_false(vt_altscreen(vt));
	vt_free(vt);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_screen_80x24),
		cmocka_unit_test(test_first_screen_120x40),
		cmocka_unit_test(test_navigation),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_help_lists_every_bound_action),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_hostile_text_and_cjk),
		cmocka_unit_test(test_marking_keys_reach_the_store),
		cmocka_unit_test(test_now_next_agenda_review),
		cmocka_unit_test(test_takeaways_survive_kill),
		cmocka_unit_test(test_external_editor),
		cmocka_unit_test(test_sigterm_restores_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
