/* A conference day in the browser: marks land on the talk the user sees,
 * Esc does not wander, switch rooms in one key, undo, takeaways from every
 * view, your plan first in Now/Next and the agenda, reminders, Review's
 * top, the timeline's columns, search that replaces the last query. */
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
/* screen-basic plus two all-day items (K9, K10) and K11 at 11:15. */
#define DAY "tests/data/screen-day.csv"

static void cli(const char *db, const char *what)
{
	free(su_run("'%s' %s --db '%s' %s >/dev/null", su_bin(), strncmp(what, "rate", 4) == 0 ? "rate" : "attend", db,
	            strchr(what, ' ') + 1));
}

/* The status and rating columns of a talk's `lanyard list` line:
 * "attended\t5" ("\t" alone for none). */
static char *marks(const char *db, const char *key)
{
	return su_run("'%s' list --db '%s' | awk -F'\\t' '$1 == \"%s\" { printf \"%%s\\t%%s\", $8, $9 }'", su_bin(), db,
	              key);
}

static void expect_marks(const char *db, const char *key, const char *want)
{
	char *got = marks(db, key);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "%s: marks \"%s\", want \"%s\"\n", key, got, want);
	assert_string_equal(got, want);
	free(got);
}

/* Close the views (Esc), then q on the main screen. */
static bool quit_all(struct vt *vt)
{
	for (int i = 0; i < 3 && !vt_find(vt, "Tracks", NULL, NULL); i++) {
		vt_send(vt, "\x1b");
		vt_wait_stable(vt, 100, T);
	}
	return vt_wait_text(vt, "Tracks", T) && su_quit(vt);
}

static int row_of(struct vt *vt, const char *text)
{
	int row = -1;
	vt_find(vt, text, &row, NULL);
	return row;
}

static void test_review_selection_follows_the_talk(void **state)
{
	(void)state;
	char *db = su_db(DAY);
	cli(db, "attend K1 attended");
	cli(db, "attend K2 attended");
	cli(db, "attend K3 attended");
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "R");
	assert_true(vt_wait_text(vt, "To rate", T));
	/* Nothing selected on opening; j chooses the first, j the second (K2). */
	vt_send(vt, "jj");
	vt_send(vt, "4");
	assert_true(vt_wait_text(vt, "rated 4/5: Kubernetes is Your Platform", T));
	/* K2 moved under "Rated": the selection went with it. */
	vt_send(vt, "5");
	assert_true(vt_wait_text(vt, "rated 5/5: Kubernetes is Your Platform", T));
	assert_true(quit_all(vt));
	expect_marks(db, "K2", "attended\t5");
	expect_marks(db, "K3", "attended\t");
	vt_free(vt);
	free(db);
}

static void test_now_next_selection_follows_the_talk(void **state)
{
	(void)state;
	char *db = su_db(DAY);
	static const char *const midday[] = { SU_MIDDAY, NULL };
	struct vt *vt = su_start(db, 24, 80, midday);
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "w");
	assert_true(vt_wait_text(vt, "Now: Wed 18 May 11:07", T));
	/* Now: K2; Next: K11 (11:15), K3 (11:30). j j: K3. */
	vt_send(vt, "jj");
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Effective Disaster Recovery", T));
	/* Planned, K3 moved above K11; a still lands on K3. */
	assert_true(vt_wait_idle(vt, T));
	assert_true(row_of(vt, "Effective Disaster") < row_of(vt, "Service Mesh Office"));
	vt_send(vt, "a");
	assert_true(vt_wait_text(vt, "attended: Effective Disaster Recovery", T));
	assert_true(quit_all(vt));
	expect_marks(db, "K3", "attended\t");
	expect_marks(db, "K11", "\t");
	vt_free(vt);
	free(db);
}

static void test_esc_does_not_move_the_focus(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_row(vt, 0, "Talk", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "Tracks", T));
	vt_send(vt, "\x1b");
	vt_send(vt, "\x1b");
	assert_true(vt_wait_idle(vt, T));
	/* Still in Talks: j is the next talk, a and 5 act on it. */
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "a5");
	assert_true(vt_wait_text(vt, "rated 5/5: Kubernetes is Your Platform", T));
	assert_true(vt_wait_row(vt, 0, "Wed 18 May \xe2\x80\xba All tracks", T));
	assert_true(quit_all(vt));
	expect_marks(db, "K2", "attended\t5");
	expect_marks(db, "K1", "\t");
	vt_free(vt);
	free(db);
}

static void test_marks_in_days_say_how(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "hh");
	assert_true(vt_wait_text(vt, "Notes on Wed 18 May", T));
	/* The focused Days pane highlights its header as the others do. */
	int r, c;
	struct vt_cell_attr at;
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "Days", &r, &c));
	assert_true(vt_attr(vt, r, c, &at));
	assert_false(at.bg_default);
	vt_send(vt, "a");
	assert_true(vt_wait_text(vt, "press l (or Tab) to reach the talks", T));
	/* In Tracks the detail shows the talk: a acts on it, by name. */
	vt_send(vt, "l");
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Keynote: Welcome Back", T));
	assert_true(quit_all(vt));
	expect_marks(db, "K1", "planned\t");
	vt_free(vt);
	free(db);
}

static void test_switch_here_and_undo(void **state)
{
	(void)state;
	char *db = su_db(DAY);
	cli(db, "attend K2 planned");
	static const char *const midday[] = { SU_MIDDAY, NULL };
	struct vt *vt = su_start(db, 24, 80, midday);
	assert_true(vt_wait_text(vt, "Ana García", T));
	/* The room is full: o lists what runs at the same time. */
	vt_send(vt, "o");
	assert_true(vt_wait_row(vt, 0, "Same time", T));
	assert_true(vt_wait_text(vt, "s switch here", T));
	/* By start: K9, K10, K11, K3; jj chooses K11. */
	vt_send(vt, "jj");
	vt_send(vt, "s");
	assert_true(vt_wait_text(vt, "switched: attended Service Mesh Office Hours; skipped Kubernetes", T));
	assert_true(vt_wait_row(vt, 0, "0 planned \xc2\xb7 1 attended", T));
	expect_marks(db, "K11", "attended\t");
	expect_marks(db, "K2", "skipped\t");
	/* u puts both back, and says what it undid. */
	vt_send(vt, "u");
	assert_true(vt_wait_text(vt, "undone: switch to Service Mesh Office Hours", T));
	assert_true(quit_all(vt));
	expect_marks(db, "K11", "\t");
	expect_marks(db, "K2", "planned\t");
	vt_free(vt);
	free(db);
}

static void test_undo_marks_and_takeaways(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "u");
	assert_true(vt_wait_text(vt, "nothing to undo", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Keynote", T));
	vt_send(vt, "u");
	assert_true(vt_wait_text(vt, "undone: planned: Keynote", T));
	expect_marks(db, "K1", "\t");
	vt_send(vt, "u"); /* again: redone */
	assert_true(vt_wait_text(vt, "undone: planned: Keynote", T));
	expect_marks(db, "K1", "planned\t");
	vt_send(vt, "t");
	assert_true(vt_wait_row(vt, 1, "Takeaways: Keynote", T));
	vt_send(vt, "hallway etiquette");
	assert_true(vt_wait_text(vt, "hallway etiquette", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "saved takeaways: Keynote", T));
	vt_send(vt, "u");
	assert_true(vt_wait_text(vt, "undone: takeaways: Keynote", T));
	assert_true(quit_all(vt));
	char *note = su_run("'%s' note --db '%s' K1", su_bin(), db);
	assert_string_equal(note, "");
	free(note);
	expect_marks(db, "K1", "planned\t");
	vt_free(vt);
	free(db);
}

/* t on the selected talk of a view, text typed, Esc: back on that view. */
static void takeaways_round_trip(struct vt *vt, const char *view_row0, const char *heading, const char *text)
{
	vt_send(vt, "t");
	assert_true(vt_wait_row(vt, 1, heading, T));
	/* Its own keys in the footer, not the browser's. */
	assert_true(vt_wait_text(vt, "Ctrl-T time", T));
	assert_int_equal(vt_find(vt, "p plan", NULL, NULL), 0);
	vt_send(vt, text);
	assert_true(vt_wait_text(vt, text, T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_row(vt, 0, view_row0, T));
}

static void test_takeaways_from_every_view(void **state)
{
	(void)state;
	char *db = su_db(DAY);
	cli(db, "attend K2 planned");
	cli(db, "attend K1 attended");
	static const char *const midday[] = { SU_MIDDAY, NULL };
	struct vt *vt = su_start(db, 24, 80, midday);
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "w");
	assert_true(vt_wait_text(vt, "Now: Wed 18 May 11:07", T));
	takeaways_round_trip(vt, "Now / Next", "Takeaways: Kubernetes is Your Platform", "reconcile");
	assert_true(vt_wait_text(vt, "Now: Wed 18 May 11:07", T));
	vt_send(vt, "\x1b");
	vt_send(vt, "A"); /* opens on today's talk running now: K2 */
	assert_true(vt_wait_row(vt, 0, "Agenda", T));
	takeaways_round_trip(vt, "Agenda", "Takeaways: Kubernetes is Your Platform", " loops");
	vt_send(vt, "\x1b");
	vt_send(vt, "R");
	assert_true(vt_wait_row(vt, 0, "Review", T));
	vt_send(vt, "t"); /* nothing selected yet: says how */
	assert_true(vt_wait_text(vt, "press j to choose one", T));
	vt_send(vt, "j");
	takeaways_round_trip(vt, "Review", "Takeaways: Keynote: Welcome", "welcome");
	vt_send(vt, "\x1b");
	vt_send(vt, "T");
	assert_true(vt_wait_row(vt, 0, "Timeline", T));
	takeaways_round_trip(vt, "Timeline", "Takeaways: Kubernetes is Your Platform", " ok");
	vt_send(vt, "\x1b");
	vt_send(vt, "\r");
	assert_true(vt_wait_row(vt, 0, "Talk", T));
	takeaways_round_trip(vt, "Talk", "Takeaways: Kubernetes is Your Platform", "!");
	assert_true(vt_wait_text(vt, "reconcile loops ok!", T)); /* the talk view shows them */
	vt_send(vt, "\x1b");
	/* Day notes: in Days, t opens them the same way, shown in full. */
	vt_send(vt, "hh");
	assert_true(vt_wait_text(vt, "Notes on Wed 18 May", T));
	takeaways_round_trip(vt, "Wed 18 May", "Notes on Wed 18 May", "paella at 14:00");
	assert_true(quit_all(vt));
	/* The day's note is stored under the day. */
	sqlite3 *sq;
	assert_int_equal(sqlite3_open(db, &sq), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(sq, "SELECT body FROM note WHERE scope = '2022-05-18'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "paella at 14:00");
	sqlite3_finalize(st);
	sqlite3_close(sq);
	char *note = su_run("'%s' note --db '%s' K2", su_bin(), db);
	assert_string_equal(note, "reconcile loops ok!\n");
	free(note);
	note = su_run("'%s' note --db '%s' K1", su_bin(), db);
	assert_string_equal(note, "welcome\n");
	free(note);
	vt_free(vt);
	free(db);
}

static void test_now_next_plan_first_all_day_last(void **state)
{
	(void)state;
	char *db = su_db(DAY);
	cli(db, "attend K4 planned");
	static const char *const nine[] = { "LANYARD_NOW=2022-05-18 09:00", NULL };
	struct vt *vt = su_start(db, 24, 80, nine);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "w");
	assert_true(vt_wait_text(vt, "Now: Wed 18 May 09:00", T));
	assert_true(vt_wait_text(vt, "All day and long-running", T));
	assert_true(vt_wait_idle(vt, T));
	/* Next: the planned 14:30 talk before the 11:00 one that starts
	 * first; the merch store and the quiet room after every talk. */
	int k4 = row_of(vt, "Autoscaling"), k2 = row_of(vt, "Kubernetes is Your"), k1 = row_of(vt, "Keynote: Welcome");
	int all_day = row_of(vt, "All day and long-running"), merch = row_of(vt, "Merch Store"),
	    now = row_of(vt, "Now: Wed");
	assert_int_equal(k1, now + 1);
	assert_true(k1 < k4 && k4 < k2);
	assert_true(k2 < all_day && all_day < merch);
	assert_true(row_of(vt, "Quiet Room") > all_day);
	assert_true(quit_all(vt));
	vt_free(vt);
	free(db);
}

static void test_agenda_today_now_and_one_clash_line(void **state)
{
	(void)state;
	char *db = su_db(DAY);
	cli(db, "attend K2 planned");
	cli(db, "attend K3 planned");
	cli(db, "attend K11 planned");
	cli(db, "attend K5 planned"); /* alone on Thursday: nothing at the same time */
	static const char *const midday[] = { SU_MIDDAY, NULL };
	struct vt *vt = su_start(db, 24, 120, midday);
	assert_true(vt_wait_text(vt, "Ana García", T));
	assert_true(vt_wait_row(vt, 0, "3 clashing", T));
	vt_send(vt, "A");
	assert_true(vt_wait_text(vt, "Wed 18 May (today)", T));
	assert_true(vt_wait_text(vt, "now 11:07", T));
	assert_true(vt_wait_idle(vt, T));
	/* Three talks in one clash: one line naming all three. */
	int row = row_of(vt, "! clash:");
	assert_true(row > 0);
	char *line = vt_row(vt, row);
	int times = 0;
	for (const char *p = line; (p = strstr(p, " \xc3\x97 ")); p++)
		times++;
	assert_int_equal(times, 2);
	free(line);
	assert_int_equal(vt_find(vt, "clash:", NULL, NULL), 1);
	assert_int_equal(vt_find(vt, "+0 same time", NULL, NULL), 0);
	/* It opened on the talk running now. */
	vt_send(vt, "a");
	assert_true(vt_wait_text(vt, "attended: Kubernetes is Your Platform", T));
	assert_true(quit_all(vt));
	vt_free(vt);
	/* Once they are over, planned talks not attended stop clashing. */
	static const char *const later[] = { "LANYARD_NOW=2022-05-18 15:00", NULL };
	vt = su_start(db, 24, 120, later);
	assert_true(vt_wait_text(vt, "Mei Chen", T));
	assert_true(vt_wait_row(vt, 0, "1 attended", T));
	assert_true(vt_wait_idle(vt, T));
	assert_int_equal(vt_find(vt, "clashing", NULL, NULL), 0);
	assert_true(quit_all(vt));
	vt_free(vt);
	free(db);
}

static void test_unbound_key_does_nothing(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "1"); /* a message on the status line */
	assert_true(vt_wait_text(vt, "rated 1/5: Keynote", T));
	assert_true(vt_wait_idle(vt, T));
	size_t before, after;
	vt_log(vt, &before);
	vt_send(vt, "ZZZ");
	vt_wait_stable(vt, 300, T);
	vt_log(vt, &after);
	assert_int_equal(after, before); /* not a byte redrawn */
	assert_true(vt_find(vt, "rated 1/5: Keynote", NULL, NULL)); /* nor the message cleared */
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Ana García", T));
	assert_true(quit_all(vt));
	vt_free(vt);
	free(db);
}

static void test_agenda_today_with_nothing_planned(void **state)
{
	(void)state;
	char *db = su_db(DAY);
	cli(db, "attend K5 planned"); /* Thursday */
	cli(db, "attend K7 planned"); /* Friday */
	static const char *const midday[] = { SU_MIDDAY, NULL };
	struct vt *vt = su_start(db, 24, 80, midday);
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "A");
	assert_true(vt_wait_text(vt, "Wed 18 May (today)", T));
	assert_true(vt_wait_text(vt, "now 11:07  nothing planned today", T));
	assert_true(row_of(vt, "Wed 18 May (today)") < row_of(vt, "Thu 19 May"));
	/* It opens on the next talk planned after now. */
	vt_send(vt, "a");
	assert_true(vt_wait_text(vt, "attended: Backstage", T));
	/* A click selects a talk line; a heading is no target. */
	vt_click(vt, row_of(vt, "Fri 20 May"), 3);
	vt_wait_stable(vt, 400, T); /* two quick clicks would be a double click */
	vt_click(vt, row_of(vt, "Kubernetes Everywhere"), 20);
	vt_send(vt, "x");
	assert_true(vt_wait_text(vt, "skipped: Kubernetes Everywhere", T));
	assert_true(quit_all(vt));
	vt_free(vt);
	free(db);
}

static void test_reminder(void **state)
{
	(void)state;
	char *db = su_db(DAY);
	cli(db, "attend K2 planned");
	static const char *const early[] = { "LANYARD_NOW=2022-05-18 10:55", NULL };
	static const char *const ten[] = { "--remind", "10", NULL };
	struct vt *vt = su_start_args(db, 24, 80, early, ten);
	assert_true(vt_wait_text(vt, "in 5 mins, Room 2A: Kubernetes is Your Platform", T));
	size_t len;
	const char *out = vt_log(vt, &len);
	assert_null(memchr(out, '\a', len)); /* no bell unless asked for */
	assert_true(quit_all(vt));
	vt_free(vt);
	/* --bell rings the terminal's bell with it. */
	static const char *const bell[] = { "--remind", "10", "--bell", NULL };
	vt = su_start_args(db, 24, 80, early, bell);
	assert_true(vt_wait_text(vt, "in 5 mins, Room 2A", T));
	size_t n;
	const char *log = vt_log(vt, &n);
	assert_non_null(memchr(log, '\a', n));
	assert_true(quit_all(vt));
	vt_free(vt);
	/* Default: 5 minutes before. */
	static const char *const later[] = { "LANYARD_NOW=2022-05-18 10:57", NULL };
	vt = su_start(db, 24, 80, later);
	assert_true(vt_wait_text(vt, "in 3 mins, Room 2A: Kubernetes is Your Platform", T));
	assert_true(quit_all(vt));
	vt_free(vt);
	/* 0 turns them off. */
	static const char *const off[] = { "--remind", "0", NULL };
	vt = su_start_args(db, 24, 80, later, off);
	assert_true(vt_wait_text(vt, "Ana García", T));
	assert_true(vt_wait_idle(vt, T));
	assert_int_equal(vt_find(vt, "in 3 mins", NULL, NULL), 0);
	assert_true(quit_all(vt));
	vt_free(vt);
	free(db);
}

static void test_review_scrolls_back_to_its_top(void **state)
{
	(void)state;
	char *db = su_db("sample-data/kubecon-eu-2022.csv");
	const char *keys[] = { "K22-063", "K22-072", "K22-080", "K22-089", "K22-097", "K22-105",
	                       "K22-120", "K22-125", "K22-130", "K22-140", "K22-150", "K22-160" };
	char cmd[128];
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		snprintf(cmd, sizeof cmd, "attend %s attended", keys[i]);
		cli(db, cmd);
		snprintf(cmd, sizeof cmd, "rate %s %zu", keys[i], i % 5 + 1);
		cli(db, cmd);
	}
	struct vt *vt = su_start(db, 16, 60, NULL);
	assert_true(vt_wait_text(vt, "Talks", T));
	vt_send(vt, "R");
	assert_true(vt_wait_row(vt, 0, "Review", T));
	/* At 60x16 it opens on its top: the counts. */
	assert_true(vt_wait_row(vt, 2, "12 attended", T));
	vt_send(vt, "G");
	assert_true(vt_wait_gone(vt, "12 attended", T));
	vt_send(vt, "g");
	assert_true(vt_wait_row(vt, 2, "12 attended", T));
	vt_send(vt, "G");
	assert_true(vt_wait_gone(vt, "12 attended", T));
	vt_key(vt, VTERM_KEY_HOME, VTERM_MOD_NONE);
	assert_true(vt_wait_row(vt, 2, "12 attended", T));
	vt_send(vt, "G");
	assert_true(vt_wait_gone(vt, "12 attended", T));
	for (int i = 0; i < 4; i++)
		vt_key(vt, VTERM_KEY_PAGEUP, VTERM_MOD_NONE);
	assert_true(vt_wait_row(vt, 2, "12 attended", T));
	assert_true(quit_all(vt));
	vt_free(vt);
	free(db);
}

/* The display column of needle in row (every character here is one
 * column wide). */
static int column(struct vt *vt, int row, const char *needle)
{
	char *line = vt_row(vt, row);
	char *at = strstr(line, needle);
	int col = -1;
	if (at) {
		col = 0;
		for (char *p = line; p < at; p++)
			col += ((unsigned char)*p & 0xC0) != 0x80;
	}
	free(line);
	return col;
}

static void test_timeline_columns_and_steps(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	cli(db, "attend K3 skipped");
	static const char *const midday[] = { SU_MIDDAY, NULL };
	struct vt *vt = su_start(db, 24, 80, midday);
	assert_true(vt_wait_text(vt, "Ana García", T));
	vt_send(vt, "T");
	assert_true(vt_wait_text(vt, "now 11:07", T));
	assert_true(vt_wait_idle(vt, T));
	/* The rooms' rule and the ruler meet in one column. */
	int room = row_of(vt, "Auditorium");
	int rule = column(vt, room, "\xe2\x94\x82");
	assert_true(rule > 0);
	assert_int_equal(column(vt, 2, "\xe2\x94\xac"), rule);
	/* The skipped talk shows its mark, in Room 2B's rows. */
	int r2b = row_of(vt, "Room 2B"), x_row = -1, x_col = -1;
	assert_true(vt_find(vt, "\xe2\x9c\x97", &x_row, &x_col));
	assert_true(x_row >= r2b && x_row < r2b + 3 && x_col > rule);
	/* K2 is Room 2A's first talk: h goes on to the day's earlier one. */
	assert_true(vt_wait_text(vt, "11:00\xe2\x80\x93" "11:35 \xc2\xb7 Room 2A", T));
	vt_send(vt, "h");
	assert_true(vt_wait_text(vt, "09:00\xe2\x80\x93" "09:15 \xc2\xb7 Auditorium", T));
	vt_send(vt, "h");
	assert_true(vt_wait_text(vt, "the day's first talk", T));
	/* The selected talk fills the rows the rooms leave. */
	assert_true(vt_wait_text(vt, "Priya Raman \xc2\xb7 Keynote Sessions", T));
	assert_true(quit_all(vt));
	vt_free(vt);
	free(db);
}

static void test_search_replaces_the_last_query(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "/kube");
	assert_true(vt_wait_text(vt, "3 matches", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "match 1 of 3", T));
	/* Back in: the last query, selected; typing replaces it. */
	vt_send(vt, "/");
	assert_true(vt_wait_text(vt, "/ kube", T));
	vt_send(vt, "backst");
	assert_true(vt_wait_text(vt, "1 match", T));
	assert_true(vt_wait_text(vt, "/ backst", T));
	/* Results show the track. */
	assert_true(vt_wait_text(vt, "Application", T));
	/* Tab to the results: the footer says what the keys do there, and p
	 * plans the selected one. */
	assert_true(vt_wait_text(vt, "Ctrl-U clear", T));
	vt_send(vt, "\t");
	assert_true(vt_wait_text(vt, "/ edit query", T));
	assert_true(vt_wait_gone(vt, "Ctrl-U clear", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Backstage", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "Tracks", T));
	assert_true(quit_all(vt));
	expect_marks(db, "K5", "planned\t");
	vt_free(vt);
	free(db);
}

static void test_titles_take_the_width_rooms_cut_in_the_middle(void **state)
{
	(void)state;
	char *db = su_db("tests/data/screen-rooms.csv");
	/* 120 columns: the title gets 40 columns and more before a room does. */
	struct vt *vt = su_start(db, 40, 120, NULL);
	assert_true(vt_wait_text(vt, "Ada Stone", T));
	assert_true(vt_wait_idle(vt, T));
	assert_true(vt_find(vt, "A Very Long Title About Observability Pip", NULL, NULL));
	assert_true(quit_all(vt));
	vt_free(vt);
	/* 100 columns: rooms that share a long prefix keep their ends. */
	vt = su_start(db, 24, 100, NULL);
	assert_true(vt_wait_text(vt, "Ada Stone", T));
	assert_true(vt_wait_idle(vt, T));
	int r1 = row_of(vt, "Serverless Patterns"), r2 = row_of(vt, "Serverless Cost");
	char *a = vt_row(vt, r1), *b = vt_row(vt, r2);
	assert_non_null(strstr(a, "2201"));
	assert_non_null(strstr(b, "2202"));
	assert_non_null(strstr(a, "\xe2\x80\xa6")); /* cut, in the middle */
	free(a);
	free(b);
	assert_true(quit_all(vt));
	vt_free(vt);
	free(db);
}

/* Every view's title starts in column 1, as the main screen's panes do. */
static void test_title_lines_line_up(void **state)
{
	(void)state;
	char *db = su_db(DAY);
	cli(db, "attend K2 attended");
	static const char *const midday[] = { SU_MIDDAY, NULL };
	struct vt *vt = su_start(db, 24, 80, midday);
	assert_true(vt_wait_text(vt, "Ana García", T));
	assert_int_equal(column(vt, 1, "Days"), 1);
	static const struct {
		const char *key, *title;
		int row;
		const char *bar; /* the title bar names the view */
	} views[] = {
		{ "A", "Agenda", 1, "Agenda" },         { "R", "Review", 1, "Review" },
		{ "w", "Now / Next", 1, "Now / Next" }, { "o", "Same time", 1, "Same time" },
		{ "\r", "Kubernetes is Your", 2, "Talk" }, { "?", "Keys", 1, "Help" },
		{ "T", "Wed 18 May", 1, "Timeline" },
	};
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
		vt_send(vt, views[i].key);
		assert_true(vt_wait_row(vt, 0, views[i].bar, T));
		assert_true(vt_wait_row(vt, views[i].row, views[i].title, T));
		assert_true(vt_wait_idle(vt, T));
		assert_int_equal(column(vt, views[i].row, views[i].title), 1);
		vt_send(vt, "\x1b");
		assert_true(vt_wait_text(vt, "Tracks", T));
	}
	assert_true(quit_all(vt));
	vt_free(vt);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review_selection_follows_the_talk),
		cmocka_unit_test(test_now_next_selection_follows_the_talk),
		cmocka_unit_test(test_esc_does_not_move_the_focus),
		cmocka_unit_test(test_marks_in_days_say_how),
		cmocka_unit_test(test_switch_here_and_undo),
		cmocka_unit_test(test_undo_marks_and_takeaways),
		cmocka_unit_test(test_takeaways_from_every_view),
		cmocka_unit_test(test_now_next_plan_first_all_day_last),
		cmocka_unit_test(test_agenda_today_now_and_one_clash_line),
		cmocka_unit_test(test_agenda_today_with_nothing_planned),
		cmocka_unit_test(test_unbound_key_does_nothing),
		cmocka_unit_test(test_reminder),
		cmocka_unit_test(test_review_scrolls_back_to_its_top),
		cmocka_unit_test(test_timeline_columns_and_steps),
		cmocka_unit_test(test_search_replaces_the_last_query),
		cmocka_unit_test(test_titles_take_the_width_rooms_cut_in_the_middle),
		cmocka_unit_test(test_title_lines_line_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
