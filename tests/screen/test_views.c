/* The views beyond the main screen: search, timeline, help (checked
 * against the action table itself), agenda, now/next, review, and the
 * takeaways editor hosted in the detail area. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanyard/ui.h"
#include "screenutil.h"

#define T SU_WAIT
#define BASIC "tests/data/screen-basic.csv"

static struct vt *start(char **db, int rows, int cols, const char *const *env)
{
	*db = su_db(BASIC);
	struct vt *vt = su_start(*db, rows, cols, env);
	assert_non_null(vt);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	return vt;
}

static void test_search(void **state)
{
	(void)state;
	char *db;
	struct vt *vt = start(&db, 24, 80, NULL);
	/* A word from an abstract, typed as prefixes, live. */
	vt_send(vt, "/red butt");
	assert_true(vt_wait_text(vt, "1 match", T));
	assert_true(vt_wait_text(vt, "Effective Disaster Recovery", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	assert_true(vt_wait_text(vt, "match 1 of 1", T));
	/* A speaker; Enter jumps to the talk in its day (Thursday). */
	vt_send(vt, "/");
	vt_send(vt, "\x15"); /* Ctrl-U clears the prompt */
	vt_send(vt, "zo");
	assert_true(vt_wait_text(vt, "Backstage: Restoring Order", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_row(vt, 0, "Thu 19 May", T));
	assert_true(vt_wait_text(vt, "Zoë Ørsted", T));
	/* n / N step through the matches of a wider search. */
	vt_send(vt, "/");
	vt_send(vt, "\x15");
	vt_send(vt, "kubernetes");
	assert_true(vt_wait_text(vt, "3 matches", T));
	/* Down chooses the second result before Enter. */
	vt_key(vt, VTERM_KEY_DOWN, VTERM_MOD_NONE);
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "match 2 of 3", T));
	vt_send(vt, "n");
	assert_true(vt_wait_text(vt, "match 3 of 3", T));
	vt_send(vt, "n");
	assert_true(vt_wait_text(vt, "match 1 of 3", T));
	vt_send(vt, "N");
	assert_true(vt_wait_text(vt, "match 3 of 3", T));
	/* Esc leaves the prompt without moving. */
	vt_send(vt, "/xyz");
	assert_true(vt_wait_text(vt, "No matches", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_gone(vt, "No matches", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_timeline(void **state)
{
	(void)state;
	/* At 11:07 the browser opens on the talk running then (K2), not on
	 * the day's first. */
	static const char *const midday[] = { SU_MIDDAY, NULL };
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, midday);
	assert_non_null(vt);
	assert_true(vt_wait_text(vt, "Wed 18 May 11:00\xe2\x80\x93" "11:35 \xc2\xb7 Room 2A", T));
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Effective", T));
	vt_send(vt, "T");
	assert_true(vt_wait_row(vt, 0, "Timeline", T));
	assert_true(vt_wait_text(vt, "now 11:07", T)); /* the now marker */
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "Room 2A", NULL, NULL));
	assert_true(vt_find(vt, "Room 2B", NULL, NULL));
	assert_true(vt_find(vt, "Auditorium", NULL, NULL));
	/* It opens on the talk selected before: the planned one, in full at
	 * the bottom. */
	assert_true(vt_wait_text(vt, "11:30\xe2\x80\x93" "12:05 \xc2\xb7 Room 2B \xc2\xb7 \xe2\x80\xa2 Effective", T));
	/* Rooms in rows: Room 2B's row holds its block. */
	int r2b, r2a, col;
	assert_true(vt_find(vt, "Room 2B", &r2b, NULL));
	assert_true(vt_find(vt, "Room 2A", &r2a, NULL));
	assert_true(r2b > r2a);
	char *row = vt_row(vt, r2b);
	assert_non_null(strstr(row, "Effec"));
	free(row);
	/* k: the room above, the talk nearest in time (K2, 11:00). */
	vt_send(vt, "k");
	assert_true(vt_wait_text(vt, "11:00\xe2\x80\x93" "11:35 \xc2\xb7 Room 2A", T));
	/* Now the planned block is not selected: it has the "mine" colours. */
	assert_true(vt_wait_idle(vt, T));
	row = vt_row(vt, r2b);
	col = (int)(strstr(row, "Effec") ? 0 : -1);
	free(row);
	assert_int_equal(col, 0);
	/* l: the next talk in the room (K4, 14:30), scrolled into view. */
	vt_send(vt, "l");
	assert_true(vt_wait_text(vt, "14:30\xe2\x80\x93" "15:05 \xc2\xb7 Room 2A", T));
	/* Enter opens the talk under the cursor; Esc twice back home. */
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "Track: Operations", T));
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_row(vt, 0, "Timeline", T));
	vt_send(vt, "T"); /* T again closes the timeline */
	assert_true(vt_wait_text(vt, "Tracks", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_timeline_colours(void **state)
{
	(void)state;
	char *db;
	struct vt *vt = start(&db, 24, 120, NULL);
	vt_send(vt, "jjp");
	assert_true(vt_wait_text(vt, "planned: Effective", T));
	vt_send(vt, "k");   /* open on K2, so K3's block is not selected */
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "T");
	assert_true(vt_wait_row(vt, 0, "Timeline", T));
	assert_true(vt_wait_text(vt, "11:35 \xc2\xb7 Room 2A \xc2\xb7 Kubernetes", T));
	int r, c;
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "Effec", &r, &c));
	struct vt_cell_attr mine, other;
	assert_true(vt_attr(vt, r, c, &mine));
	assert_true(vt_find(vt, "Autosc", &r, &c));
	assert_true(vt_attr(vt, r, c, &other));
	assert_int_equal(mine.bg_index, 2);  /* green: yours */
	assert_int_equal(other.bg_index, 4); /* blue: the rest */
	vt_send(vt, "q"); /* q closes the view first */
	assert_true(vt_wait_text(vt, "Tracks", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_help_lists_every_bound_action(void **state)
{
	(void)state;
	char *db;
	struct vt *vt = start(&db, 40, 120, NULL);
	vt_send(vt, "?");
	assert_true(vt_wait_text(vt, "Keys (generated from the key table)", T));
	assert_true(vt_wait_text(vt, "Rows: \xe2\x80\xa2 planned", T));
	assert_true(vt_wait_idle(vt, T));
	int checked = 0;
	for (const struct keybinding *b = ui_keys; b->action != ACT_NONE; b++) {
		if (!b->label)
			continue;
		/* Every labelled binding's action is listed with its help text
		 * and, on the same row, the key. */
		const char *help = ui_action_help(b->action);
		int row, col;
		assert_true(vt_find(vt, help, &row, &col));
		char *line = vt_row(vt, row);
		assert_non_null(strstr(line, b->label));
		free(line);
		checked++;
	}
	assert_true(checked > 30);
	/* Nothing in the table goes unlisted: one line per bound action. */
	int bound = 0;
	for (int a = 1; a < ACT_COUNT; a++) {
		char keys[96];
		ui_keys_for((enum action)a, keys, sizeof keys);
		bound += keys[0] != '\0';
		if (keys[0])
			assert_int_equal(vt_find(vt, ui_action_help((enum action)a), NULL, NULL), 1);
	}
	assert_true(bound > 25);
	vt_send(vt, "?"); /* ? again closes it */
	assert_true(vt_wait_gone(vt, "Keys (generated", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_help_scrolls_when_small(void **state)
{
	(void)state;
	char *db;
	struct vt *vt = start(&db, 16, 60, NULL);
	vt_send(vt, "?");
	assert_true(vt_wait_text(vt, "Next item", T));
	/* The header says there is more, and where we are. */
	assert_true(vt_wait_text(vt, "Keys 1\xe2\x80\x93", T));
	assert_true(vt_find(vt, "(j/k scroll)", NULL, NULL));
	vt_send(vt, "G");
	assert_true(vt_wait_text(vt, "Redraw the screen", T));
	assert_true(vt_wait_gone(vt, "Next item", T));
	/* The notes under the keys fit 60 columns: no ellipsis. */
	assert_true(vt_find(vt, "the wheel scrolls.", NULL, NULL));
	assert_true(vt_find(vt, "! clash", NULL, NULL));
	assert_int_equal(vt_find(vt, "\xe2\x80\xa6", NULL, NULL), 0);
	vt_send(vt, "q"); /* q closes a view */
	assert_true(vt_wait_text(vt, "Tracks", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_now_next_agenda_review(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	free(su_run("'%s' attend --db '%s' K2 planned; '%s' attend --db '%s' K3 planned; '%s' attend --db '%s' K4 attended",
	            su_bin(), db, su_bin(), db, su_bin(), db));
	free(su_run("printf 'Scale on queue depth\\nsecond line\\n' | '%s' note --db '%s' K4 -", su_bin(), db));
	static const char *const midday[] = { SU_MIDDAY, NULL };
	struct vt *vt = su_start(db, 24, 80, midday);
	assert_true(vt_wait_text(vt, "Wed 18 May 11:00\xe2\x80\x93" "11:35 \xc2\xb7 Room 2A", T));
	vt_send(vt, "w");
	assert_true(vt_wait_text(vt, "Now: Wed 18 May 11:07", T));
	assert_true(vt_wait_text(vt, "28 min left", T));        /* K2 11:00-11:35 */
	assert_true(vt_wait_text(vt, "in 23 min", T));          /* K3 at 11:30 */
	vt_send(vt, "a");                                        /* attended, right there */
	assert_true(vt_wait_text(vt, "attended: Kubernetes is Your Platform", T));
	vt_send(vt, "\x1b");
	vt_send(vt, "A");
	assert_true(vt_wait_row(vt, 0, "Agenda", T));
	assert_true(vt_wait_text(vt, "free 12:05", T));
	/* K2 (11:00-11:35) and K3 (11:30-12:05) clash: one line names both. */
	int row = -1;
	assert_int_equal(vt_find(vt, "! clash: Kubernetes is Your", &row, NULL), 1);
	char *line = vt_row(vt, row);
	assert_non_null(strstr(line, "\xc3\x97 Effective Disaster"));
	free(line);
	/* K4 ends the run: no clash line after it. */
	assert_int_equal(vt_find(vt, "clash: Autoscaling", NULL, NULL), 0);
	vt_send(vt, "\x1b");
	vt_send(vt, "R");
	assert_true(vt_wait_text(vt, "To rate", T));
	assert_true(vt_wait_text(vt, "2 attended", T));
	/* The takeaways in full under the talk, their line breaks kept. */
	assert_true(vt_wait_text(vt, "Scale on queue depth", T));
	assert_true(vt_wait_text(vt, "second line", T));
	assert_true(vt_wait_text(vt, "Autoscaling Kubernetes", T));
	int take_row = -1, talk_row = -1, second_row = -1;
	vt_find(vt, "Scale on queue depth", &take_row, NULL);
	vt_find(vt, "Autoscaling Kubernetes", &talk_row, NULL);
	vt_find(vt, "second line", &second_row, NULL);
	assert_int_equal(take_row, talk_row + 1);
	assert_int_equal(second_row, take_row + 1);
	vt_send(vt, "\x1b");
	/* N with no search yet: Now / Next. */
	vt_send(vt, "N");
	assert_true(vt_wait_text(vt, "Now: Wed 18 May 11:07", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "Tracks", T));
	assert_true(su_quit(vt));
	char *k2 = su_list_line(db, "K2");
	assert_non_null(strstr(k2, "\tattended\t"));
	free(k2);
	vt_free(vt);
	free(db);
}

static void test_takeaways_in_place_survive_kill(void **state)
{
	(void)state;
	char *db;
	struct vt *vt = start(&db, 24, 80, NULL);
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_send(vt, "t");
	assert_true(vt_wait_text(vt, "saved as you type", T));
	assert_true(vt_wait_row(vt, 1, "Takeaways: Effective Disaster", T));
	vt_send(vt, "big red button \xe6\x97\xa5\xe6\x9c\xac");  /* 日本 */
	vt_send(vt, "halt");
	assert_true(vt_wait_text(vt, "button 日本halt", T));
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
	assert_string_equal(note, "big red button 日本halt\n");
	free(note);
	vt_free(vt);
	/* Back in: the takeaways show in the detail. */
	vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "Takeaways: big red button", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_external_editor(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	free(su_run("'%s' note --db '%s' K3 'first thought'", su_bin(), db));
	const char *env[] = { "VISUAL=", "EDITOR=sed -i s/first/edited/", NULL };
	struct vt *vt = su_start(db, 24, 80, env);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "first thought", T));
	vt_send(vt, "E");
	assert_true(vt_wait_text(vt, "edited thought", T));
	assert_true(vt_wait_text(vt, "Tracks", T)); /* the screen is back */
	assert_true(su_quit(vt));
	char *note = su_run("'%s' note --db '%s' K3", su_bin(), db);
	assert_string_equal(note, "edited thought\n");
	free(note);
	vt_free(vt);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_timeline_colours),
		cmocka_unit_test(test_help_lists_every_bound_action),
		cmocka_unit_test(test_help_scrolls_when_small),
		cmocka_unit_test(test_now_next_agenda_review),
		cmocka_unit_test(test_takeaways_in_place_survive_kill),
		cmocka_unit_test(test_external_editor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
