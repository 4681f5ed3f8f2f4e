/* The main screen, driven as a user would: the real binary on a pty,
 * rendered by libvterm. Days | Tracks | Talks + detail, moving, opening,
 * marking, schedule updates, the mouse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "screenutil.h"

#define T SU_WAIT
#define BASIC "tests/data/screen-basic.csv"
#define UPDATE "tests/data/screen-update.csv"

static char *row_text(struct vt *vt, const char *needle)
{
	int row;
	if (!vt_find(vt, needle, &row, NULL))
		return strdup("");
	return vt_row(vt, row);
}

static void test_first_screen_80x24(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_non_null(vt);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	assert_true(vt_altscreen(vt));
	/* The title line: conference, day, track, counts. */
	assert_true(vt_wait_idle(vt, T));
	char *title = vt_row(vt, 0);
	assert_non_null(strstr(title, "screen-basic"));
	assert_non_null(strstr(title, "Wed 18 May"));
	assert_non_null(strstr(title, "All tracks"));
	/* At 80 columns the counts say what they count; the prefix gives way. */
	assert_non_null(strstr(title, "0 planned \xc2\xb7 0 attended"));
	assert_non_null(strstr(title, " screen-basic \xe2\x80\xba"));
	free(title);
	/* Three panes side by side, each with its header on row 1. */
	int r, c_days, c_tracks, c_talks;
	assert_true(vt_find(vt, "Days", &r, &c_days));
	assert_int_equal(r, 1);
	assert_true(vt_find(vt, "Tracks", &r, &c_tracks));
	assert_int_equal(r, 1);
	assert_true(vt_find(vt, "Talks", &r, &c_talks));
	assert_int_equal(r, 1);
	assert_true(c_days < c_tracks && c_tracks < c_talks);
	/* LANYARD_NOW is Wed 18 May: that day is open; every day is listed. */
	assert_true(vt_find(vt, "Tue 17 May", NULL, NULL));
	assert_true(vt_find(vt, "Thu 19 May", NULL, NULL));
	assert_true(vt_find(vt, "Fri 20 May", NULL, NULL));
	assert_true(vt_find(vt, "Unscheduled", NULL, NULL) || vt_find(vt, "Unschedul", NULL, NULL));
	/* Tracks with counts, All tracks first. */
	char *all = vt_row(vt, 2);
	assert_non_null(strstr(all, "All tracks    4"));
	free(all);
	int r_all, r_ops;
	assert_true(vt_find(vt, "All tracks", &r_all, NULL));
	assert_true(vt_find(vt, "Operations", &r_ops, NULL));
	assert_true(r_all < r_ops);
	/* Talk rows: time and title; at 80 columns the title takes the width
	 * a room column would (the detail names the room). */
	char *k1 = row_text(vt, "09:00");
	assert_non_null(strstr(k1, "Keynote: Welcome Back to Valencia"));
	assert_null(strstr(k1, "Auditorium"));
	free(k1);
	assert_true(vt_find(vt, "11:30", NULL, NULL));
	assert_true(vt_find(vt, "14:30", NULL, NULL));
	/* The detail of the selected (first) talk below the panes. */
	int row, col;
	assert_true(vt_find(vt, "Priya Raman", &row, &col));
	assert_true(row > 12);
	assert_true(vt_find(vt, "Wed 18 May 09:00\xe2\x80\x93" "09:15 \xc2\xb7 Auditorium", NULL, NULL));
	assert_true(vt_find(vt, "Keynote Sessions \xc2\xb7 Keynote", NULL, NULL));
	assert_true(vt_find(vt, "Opening remarks", NULL, NULL));
	/* The selected row stands out (the focused pane's selection colour). */
	struct vt_cell_attr a;
	assert_true(vt_find(vt, "Keynote: Welcome", &row, &col));
	assert_true(vt_attr(vt, row, col, &a));
	assert_false(a.bg_default);
	/* Key hints on the last line. */
	char *status = vt_row(vt, 23);
	assert_non_null(strstr(status, "? help"));
	free(status);
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_first_screen_120x40(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 40, 120, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	int row, col, r_days, r_tracks, c_talks;
	/* The detail to the right, at the top. */
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "Priya Raman", &row, &col));
	assert_true(col > 70);
	assert_true(row < 10);
	assert_true(vt_find(vt, "Keynote: Welcome Back to Valencia", NULL, NULL));
	/* Days over Tracks on the left, Talks between them and the detail. */
	assert_true(vt_find(vt, "Days", &r_days, NULL));
	assert_true(vt_find(vt, "Tracks", &r_tracks, NULL));
	assert_true(r_tracks > r_days);
	assert_true(vt_find(vt, "Talks", NULL, &c_talks));
	assert_true(c_talks > 20 && c_talks < col);
	/* The whole title of a long talk fits in its row here. */
	assert_true(vt_find(vt, "Effective Disaster Recovery:", NULL, NULL));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_first_screen_60x16(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 16, 60, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "Days", NULL, NULL));
	assert_true(vt_find(vt, "Tracks", NULL, NULL));
	assert_true(vt_find(vt, "Talks", NULL, NULL));
	assert_true(vt_find(vt, "09:00", NULL, NULL));
	assert_false(vt_find(vt, "too small", NULL, NULL));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

/* Track names that only differ at the end keep their ends; a name that
 * is alone in its prefix is cut at the end as usual. */
static void test_track_names_stay_apart(void **state)
{
	(void)state;
	char *db = su_db("tests/data/screen-tracks.csv");
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_non_null(vt);
	assert_true(vt_wait_text(vt, "Ana Lima", T));
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "\xe2\x80\xa6" "eBPF Day", NULL, NULL));
	assert_true(vt_find(vt, "\xe2\x80\xa6" "elco Day", NULL, NULL));
	assert_true(vt_find(vt, "\xe2\x80\xa6" "Wasm Day", NULL, NULL));
	assert_true(vt_find(vt, "FluentCon", NULL, NULL));
	assert_true(vt_find(vt, "Observabilit", NULL, NULL));
	assert_int_equal(vt_find(vt, "Cloud Native\xe2\x80\xa6", NULL, NULL), 0);
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_navigation_keys(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	/* Letters and arrows move in Talks; the detail follows. */
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_key(vt, VTERM_KEY_DOWN, VTERM_MOD_NONE);
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_key(vt, VTERM_KEY_UP, VTERM_MOD_NONE);
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "G");
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	vt_send(vt, "g");
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_key(vt, VTERM_KEY_END, VTERM_MOD_NONE);
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	vt_key(vt, VTERM_KEY_HOME, VTERM_MOD_NONE);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_key(vt, VTERM_KEY_PAGEDOWN, VTERM_MOD_NONE);
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	vt_key(vt, VTERM_KEY_PAGEUP, VTERM_MOD_NONE);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	/* h twice: the Days pane; the next day shows its talk and tracks. */
	vt_send(vt, "hh");
	vt_send(vt, "j");
	assert_true(vt_wait_row(vt, 0, "Thu 19 May", T));
	assert_true(vt_wait_text(vt, "Backstage: Restoring Order", T));
	assert_true(vt_wait_text(vt, "Application", T));
	/* The day's notes show in the detail area while Days has the focus. */
	assert_true(vt_wait_text(vt, "Notes on Thu 19 May", T));
	vt_key(vt, VTERM_KEY_UP, VTERM_MOD_NONE);
	assert_true(vt_wait_row(vt, 0, "Wed 18 May", T));
	/* Right arrow: Tracks; j: the first real track narrows the talks. */
	vt_key(vt, VTERM_KEY_RIGHT, VTERM_MOD_NONE);
	vt_send(vt, "j");
	assert_true(vt_wait_row(vt, 0, "Customizing + Extending Kubernetes", T));
	assert_true(vt_wait_text(vt, "Ana García", T));
	assert_true(vt_wait_gone(vt, "Auditorium", T));
	/* Shift-Tab / Tab go round the panes; Left arrow back to Tracks. */
	vt_key(vt, VTERM_KEY_TAB, VTERM_MOD_SHIFT);
	vt_send(vt, "j");  /* in Days: the next day (Thu) */
	assert_true(vt_wait_row(vt, 0, "Thu 19 May", T));
	vt_send(vt, "k\t\t"); /* back to Wed, Tab to Tracks, Tab to Talks */
	assert_true(vt_wait_row(vt, 0, "Wed 18 May", T));
	/* Enter opens the talk; Esc comes back. */
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "Track: Customizing + Extending Kubernetes", T));
	assert_true(vt_wait_text(vt, "Bring your own controller.", T));
	assert_true(vt_wait_row(vt, 0, "Talk", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_gone(vt, "Track: Customizing", T));
	assert_true(vt_wait_text(vt, "Tracks", T));
	/* q on the main screen quits. */
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_talk_view_scrolls(void **state)
{
	(void)state;
	char *db = su_db("sample-data/kubecon-eu-2022.csv");
	struct vt *vt = su_start(db, 16, 60, NULL);
	assert_true(vt_wait_text(vt, "Talks", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "Track:", T));
	vt_send(vt, "jjjjG");
	assert_true(vt_wait_text(vt, "Track:", T));
	vt_send(vt, "q");
	assert_true(vt_wait_gone(vt, "Track:", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

/* A panel's speakers (read from "Name, Title, Company; ..." entries) wrap
 * under the title instead of being cut at 60 columns. */
static void test_talk_view_wraps_speakers(void **state)
{
	(void)state;
	char *db = su_db("tests/data/screen-panel.csv");
	struct vt *vt = su_start(db, 16, 60, NULL);
	assert_true(vt_wait_text(vt, "Panel: What We", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "(Northwind Traders)", T));
	int row;
	assert_true(vt_find(vt, "Felipe Chen (M\xc3\xbcller & S\xc3\xb6hne Logistik), Rosa Novak", &row, NULL));
	char *next = vt_row(vt, row + 1), *third = vt_row(vt, row + 2);
	assert_non_null(strstr(next, "(Fabrikam Motors), Ana Garc\xc3\xad" "a (Contoso), Kim Lee"));
	assert_non_null(strstr(third, "(Northwind Traders)"));
	assert_null(strstr(next, "\xe2\x80\xa6"));
	free(next);
	free(third);
	vt_send(vt, "q");
	assert_true(vt_wait_gone(vt, "Track:", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_marking_keys_reach_the_store(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Kubernetes", T));
	assert_true(vt_wait_row(vt, 0, "1 planned", T)); /* the counts follow */
	/* The glyph in the row, the status in the detail. */
	assert_true(vt_wait_idle(vt, T));
	char *k2 = row_text(vt, "11:00");
	assert_non_null(strstr(k2, "11:00 \xe2\x80\xa2")); /* • */
	free(k2);
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_send(vt, "a");
	assert_true(vt_wait_text(vt, "attended: Effective", T));
	vt_send(vt, "4");
	assert_true(vt_wait_text(vt, "rated 4/5", T));
	assert_true(vt_wait_idle(vt, T));
	char *k3 = row_text(vt, "11:30");
	assert_non_null(strstr(k3, "11:30 \xe2\x9c\x93" "4\xe2\x98\x85!")); /* ✓4★ and the clash */
	free(k3);
	/* K2 11:00-11:35 and K3 11:30-12:05 overlap: both clash. */
	assert_true(vt_wait_text(vt, "! clashes with Kubernetes is Your Platform", T));
	assert_true(vt_wait_row(vt, 0, "2 clashing", T));
	int row, col;
	assert_true(vt_find(vt, "11:30", &row, &col));
	col += 9; /* "11:30 ✓4★!": the clash marker after time, status, rating */
	vt_send(vt, "j");   /* off the row: its own colours show */
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	vt_send(vt, "x");
	assert_true(vt_wait_text(vt, "skipped: Autoscaling", T));
	vt_send(vt, "3");
	assert_true(vt_wait_text(vt, "rated 3/5", T));
	vt_send(vt, "0");
	assert_true(vt_wait_text(vt, "rating cleared", T));
	/* x again toggles skipped off; then p plans it instead. */
	vt_send(vt, "x");
	assert_true(vt_wait_text(vt, "unmarked: Autoscaling", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Autoscaling", T));
	/* The clash marker has the clash colour (red). */
	struct vt_cell_attr a;
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_attr(vt, row, col, &a));
	assert_int_equal(a.fg_index, 1);
	assert_true(su_quit(vt));
	char *l2 = su_list_line(db, "K2"), *l3 = su_list_line(db, "K3"), *l4 = su_list_line(db, "K4");
	assert_non_null(strstr(l2, "\tplanned\t\n"));
	assert_non_null(strstr(l3, "\tattended\t4\n"));
	assert_non_null(strstr(l4, "\tplanned\t\n"));
	free(l2);
	free(l3);
	free(l4);
	vt_free(vt);
	free(db);
}

static void test_removed_and_moved_talks(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	/* The user attended K5 (Thu) and planned K2, then the schedule changed:
	 * K5 is gone, K2 moved to 16:00 in Room 2C. */
	free(su_run("'%s' attend --db '%s' K5 attended >/dev/null; '%s' attend --db '%s' K2 planned >/dev/null",
	            su_bin(), db, su_bin(), db));
	su_import(db, UPDATE, "screen-basic");
	struct vt *vt = su_start(db, 24, 100, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	assert_true(vt_wait_idle(vt, T));
	char *k2 = row_text(vt, "16:00");
	assert_non_null(strstr(k2, "Kubernetes is Your Platform"));
	assert_non_null(strstr(k2, "moved"));
	assert_non_null(strstr(k2, "Room 2C"));
	free(k2);
	vt_send(vt, "G");
	assert_true(vt_wait_text(vt, "Moved in the last update; was Wed 18 May 11:00, Room 2A", T));
	/* Thursday: the removed talk stays, marked. */
	vt_send(vt, "hhj");
	assert_true(vt_wait_row(vt, 0, "Thu 19 May", T));
	assert_true(vt_wait_text(vt, "Linkerd and Telepresence", T));
	assert_true(vt_wait_idle(vt, T));
	char *k5 = row_text(vt, "Backstage");
	assert_non_null(strstr(k5, "removed"));
	assert_non_null(strstr(k5, "\xe2\x9c\x93")); /* still attended */
	free(k5);
	vt_send(vt, "ll");
	assert_true(vt_wait_text(vt, "Removed from the schedule", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void test_mouse(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	int row, col;
	/* A click on a track selects it (and its pane). */
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "Operations", &row, &col));
	vt_click(vt, row, col);
	assert_true(vt_wait_row(vt, 0, "Operations", T));
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	/* A click on a talk row selects the talk. */
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "14:30", &row, &col));
	vt_click(vt, row, col + 10);
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	/* The wheel over Days scrolls the days. */
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "Wed 18 May", &row, &col));
	vt_wheel(vt, row + 1, 2, false);
	assert_true(vt_wait_row(vt, 0, "Unscheduled", T) || vt_wait_row(vt, 0, "Overall", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

/* A store that cannot be written (another process holds the write lock
 * past the busy timeout): the error shows on the status line, the browser
 * carries on, and the next try succeeds. */
static void test_store_error_is_shown(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	sqlite3 *lock;
	assert_int_equal(sqlite3_open(db, &lock), SQLITE_OK);
	assert_int_equal(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "not saved:", 3 * T));
	assert_true(vt_wait_text(vt, "cannot save status: database is l", T)); /* cut at 80 columns */
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Ana García", T));
	assert_int_equal(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(lock);
	vt_send(vt, "k");
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Keynote", T));
	assert_true(su_quit(vt));
	char *k1 = su_list_line(db, "K1");
	assert_non_null(strstr(k1, "\tplanned\t"));
	free(k1);
	vt_free(vt);
	free(db);
}

static void test_no_conference_yet(void **state)
{
	(void)state;
	char *db = su_new_db();
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "No conference schedule yet", T));
	assert_true(vt_wait_text(vt, "lanyard import SCHEDULE.csv", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_screen_80x24),
		cmocka_unit_test(test_first_screen_120x40),
		cmocka_unit_test(test_first_screen_60x16),
		cmocka_unit_test(test_track_names_stay_apart),
		cmocka_unit_test(test_navigation_keys),
		cmocka_unit_test(test_talk_view_scrolls),
		cmocka_unit_test(test_talk_view_wraps_speakers),
		cmocka_unit_test(test_marking_keys_reach_the_store),
		cmocka_unit_test(test_removed_and_moved_talks),
		cmocka_unit_test(test_mouse),
		cmocka_unit_test(test_store_error_is_shown),
		cmocka_unit_test(test_no_conference_yet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
