/* The last mile from the browser: X writes the trip report where the user
 * says (the default offered, selected), U updates the schedule from the
 * file it came from and says what changed, and a source that has turned
 * bad changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "screenutil.h"

#define T SU_WAIT

/* A copy of fixture in a private directory (the conference remembers it
 * as its source), imported into a new database there. */
static char *copy_and_import(const char *fixture, char **copy)
{
	char *db = su_new_db();
	*copy = su_run("d=$(dirname '%s'); cp '%s' \"$d/sched.csv\" && printf '%%s' \"$d/sched.csv\"", db, fixture);
	su_import(db, *copy, NULL);
	return db;
}

static void test_x_writes_the_trip_report(void **state)
{
	(void)state;
	char *copy;
	char *db = copy_and_import("tests/data/schedule-v1.csv", &copy);
	free(su_run("'%s' attend --db '%s' T2 attended && '%s' rate --db '%s' T2 5 && "
	            "'%s' note --db '%s' T2 'Webhooks: validate, then mutate.'",
	            su_bin(), db, su_bin(), db, su_bin(), db));
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_non_null(vt);
	assert_true(vt_wait_text(vt, "Tracks", T));
	vt_send(vt, "X");
	assert_true(vt_wait_text(vt, "Write the trip report", T));
	assert_true(vt_wait_text(vt, "~/sched-trip-report.md", T));
	/* Typing replaces the offered name; Ctrl-U clears; Esc cancels. */
	vt_send(vt, "~/notes.md");
	assert_true(vt_wait_text(vt, "File:  ~/notes.md", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "trip report written to ~/notes.md", T));
	char path[512];
	snprintf(path, sizeof path, "%s/notes.md", vt_home(vt));
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	char *md = su_run("cat '%s'", path);
	assert_non_null(strstr(md, "# sched"));
	assert_non_null(strstr(md, "### Design Patterns for Controllers"));
	assert_non_null(strstr(md, "Webhooks: validate, then mutate."));
	free(md);
	/* Again, with the default, then Esc: nothing written. */
	vt_send(vt, "X");
	assert_true(vt_wait_text(vt, "~/sched-trip-report.md", T));
	vt_key(vt, VTERM_KEY_ESCAPE, VTERM_MOD_NONE);
	assert_true(vt_wait_text(vt, "no report written", T));
	snprintf(path, sizeof path, "%s/sched-trip-report.md", vt_home(vt));
	assert_int_not_equal(stat(path, &sb), 0);
	assert_true(su_quit(vt));
	vt_free(vt);
	free(copy);
	free(db);
}

static void test_u_updates_from_the_source(void **state)
{
	(void)state;
	char *copy;
	char *db = copy_and_import("tests/data/schedule-v1.csv", &copy);
	free(su_run("'%s' attend --db '%s' T2 planned", su_bin(), db));
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_non_null(vt);
	assert_true(vt_wait_text(vt, "Tracks", T));
	/* The organisers publish a new version: T2 moves, T7 arrives. */
	free(su_run("cp tests/data/schedule-v2.csv '%s'", copy));
	vt_send(vt, "U");
	assert_true(vt_wait_text(vt, "1 added, 1 updated, 1 moved, 1 removed; note: planned talk", T));
	/* The list shows it at its new time, marked as moved. */
	assert_true(vt_wait_text(vt, "16:00 \xe2\x80\xa2    Design Patterns", T));
	assert_true(vt_wait_text(vt, "moved", T));
	char *line = su_list_line(db, "T2");
	assert_non_null(strstr(line, "2022-05-18 16:00\t2022-05-18 16:35\tRoom 2C"));
	assert_non_null(strstr(line, "planned"));
	free(line);
	line = su_list_line(db, "T7");
	assert_non_null(strstr(line, "Debugging Without Tears"));
	free(line);
	/* A source that has gone bad changes nothing and says why. */
	char *before = su_run("'%s' list --db '%s'", su_bin(), db);
	free(su_run("printf 'id,title\\n\"unterminated\\n' > '%s'", copy));
	vt_send(vt, "U");
	assert_true(vt_wait_text(vt, "not updated:", T));
	char *after = su_run("'%s' list --db '%s'", su_bin(), db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_true(su_quit(vt));
	vt_free(vt);
	free(copy);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x_writes_the_trip_report),
		cmocka_unit_test(test_u_updates_from_the_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
