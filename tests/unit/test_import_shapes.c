/* The importer against the shapes real schedules come in (tests/data,
 * each written from the exporter's published description): every talk on
 * its right day and time, read from the columns it should be. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lanyard/import.h"
#include "lanyard/store.h"
#include "testutil.h"

static struct store *fresh(void)
{
	static int n;
	char name[32];
	snprintf(name, sizeof name, "shapes-%d.db", ++n);
	return tu_store(name);
}

static void import_ok(struct store *st, const char *fixture, const struct import_opts *o, struct import_report *rep,
                      struct tu_msgs *m)
{
	char *path = tu_data(fixture);
	struct ly_error err = { { 0 } };
	memset(m, 0, sizeof *m);
	int rc = import_file(st, path, o, rep, tu_collect, m, &err);
	if (rc != LY_OK)
		fail_msg("import of %s failed: %s", path, err.msg);
	free(path);
}

/* start|end|room|speakers of the talk with that title. */
#define WHEN(st, title, want)                                                                         \
	EXPECT(st, want, "SELECT coalesce(start, 'NULL') || '|' || coalesce(end, 'NULL') || '|' || room"  \
	       " || '|' || speakers FROM talk WHERE title = %Q AND removed = 0", title)

static void contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

static const struct import_opts defaults = { 0 };

static void test_google_calendar(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	import_ok(st, "google-calendar.csv", &defaults, &rep, &m);
	assert_int_equal(rep.talks, 5);
	assert_int_equal(rep.unscheduled, 1); /* the all-day event has no time */
	WHEN(st, "Registration & Coffee", "2022-05-18 08:00|2022-05-18 09:00|Foyer|");
	WHEN(st, "Keynote: The Next Ten Years", "2022-05-18 09:00|2022-05-18 09:45|Main Hall|");
	WHEN(st, "Lightning Talks", "2022-05-18 17:30|2022-05-18 18:15|Room 2|");
	/* End Date says the next day. */
	WHEN(st, "Speakers Dinner", "2022-05-18 19:30|2022-05-19 00:30|Harbour Restaurant|");
	EXPECT(st, "Opening keynote, with Q&A", "SELECT abstract FROM talk WHERE title LIKE 'Keynote%%'");
	store_close(st);
}

static void test_outlook(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	import_ok(st, "outlook-calendar.csv", &defaults, &rep, &m);
	assert_int_equal(rep.talks, 3);
	assert_int_equal(rep.unscheduled, 0);
	assert_int_equal(m.len, 0);
	/* Not the reminder's date and time. */
	WHEN(st, "Threat Modelling Workshop", "2023-03-14 10:00|2023-03-14 11:30|Room Oslo|");
	WHEN(st, "Incident Response Tabletop", "2023-03-14 13:00|2023-03-14 14:00|Room Bergen|");
	WHEN(st, "Closing Panel", "2023-03-15 16:00|2023-03-15 17:00|Main Hall|");
	EXPECT(st, "Security", "SELECT track FROM talk WHERE title = 'Threat Modelling Workshop'");
	store_close(st);
}

static void test_guidebook_template(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	import_ok(st, "guidebook-template.csv", &defaults, &rep, &m);
	/* The two sample rows are skipped, each with a warning. */
	assert_int_equal(rep.talks, 3);
	contains(m.text, "guidebook-template.csv:2: warning: a sample row of the template; skipped");
	contains(m.text, "guidebook-template.csv:3: warning: a sample row of the template; skipped");
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE title LIKE 'Sample%%'");
	WHEN(st, "Opening Plenary", "2022-05-02 09:00|2022-05-02 10:00|Ballroom A|");
	WHEN(st, "Awards Dinner", "2022-05-03 19:00|2022-05-03 21:00|Rooftop|");
	EXPECT(st, "Welcome from the chairs & a look ahead", "SELECT abstract FROM talk WHERE title = 'Opening Plenary'");
	EXPECT(st, "Posters", "SELECT track FROM talk WHERE title = 'Poster Session'");
	store_close(st);
}

static void test_neuroscience_agenda(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	import_ok(st, "neuro-agenda.csv", &defaults, &rep, &m);
	/* starttime/endtime in ISO 8601 +00:00, the speaker in fullname, a
	 * talk on two rows (two speakers), entities in titles. */
	assert_int_equal(rep.talks, 3);
	assert_int_equal(rep.unscheduled, 0);
	WHEN(st, "Cortical Oscillations & Working Memory", "2024-07-04 08:30|2024-07-04 09:15|Hall A|Amara Osei");
	WHEN(st, "Synaptic Pruning in Adolescence", "2024-07-04 09:30|2024-07-04 10:00|Hall B|Jun Park, Lea Moreau");
	WHEN(st, "Dopamine 'Prediction Errors' Revisited", "2024-07-05 23:30|2024-07-06 00:15|Hall A|Tomasz Zielinski");
	EXPECT(st, "2024-07-05", "SELECT day FROM talk WHERE key = 'NS-201'");
	/* A file written entirely in +00:00 keeps its wall times, and says so. */
	EXPECT(st, "+00:00", "SELECT tz FROM conference");
	store_close(st);

	/* With --tz the times move to the conference's clock. */
	st = fresh();
	struct import_opts o = { .tz = "+02:00" };
	import_ok(st, "neuro-agenda.csv", &o, &rep, &m);
	WHEN(st, "Cortical Oscillations & Working Memory", "2024-07-04 10:30|2024-07-04 11:15|Hall A|Amara Osei");
	WHEN(st, "Dopamine 'Prediction Errors' Revisited", "2024-07-06 01:30|2024-07-06 02:15|Hall A|Tomasz Zielinski");
	EXPECT(st, "+02:00", "SELECT tz FROM conference");
	store_close(st);

	/* A zone name: its offset on that day (summer time in July). */
	st = fresh();
	o.tz = "America/New_York";
	import_ok(st, "neuro-agenda.csv", &o, &rep, &m);
	WHEN(st, "Cortical Oscillations & Working Memory", "2024-07-04 04:30|2024-07-04 05:15|Hall A|Amara Osei");
	EXPECT(st, "America/New_York", "SELECT tz FROM conference");
	store_close(st);
}

static void test_time_only_security_day(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	/* Without a date: one message at the header line naming the option. */
	import_ok(st, "security-oneday.csv", &defaults, &rep, &m);
	assert_int_equal(rep.unscheduled, 5);
	char *path = tu_data("security-oneday.csv");
	char want[512];
	snprintf(want, sizeof want, "%s:1: warning: the file gives times but no dates; say which day with "
	         "--first-day YYYY-MM-DD (or --date); until then its talks are unscheduled\n", path);
	assert_string_equal(m.text, want);
	free(path);
	/* With it, every talk lands on that day; times written 9h00, 10.00,
	 * 1100h and ranges with "to" and "bis". */
	struct import_opts o = { .first_day = "2023-11-04" };
	import_ok(st, "security-oneday.csv", &o, &rep, &m);
	assert_int_equal(rep.unscheduled, 0);
	assert_int_equal(rep.moved, 5);
	WHEN(st, "Doors open & coffee", "2023-11-04 08:30|2023-11-04 09:00|Lobby|");
	WHEN(st, "Breaking Badge Readers", "2023-11-04 09:00|2023-11-04 09:45|Track 1|Mila Novak");
	WHEN(st, "Fuzzing the Firmware You Forgot", "2023-11-04 10:00|2023-11-04 10:45|Track 2|Rui Costa");
	WHEN(st, "Red Team Stories", "2023-11-04 11:00|2023-11-04 11:45|Track 1|Sara Lind");
	WHEN(st, "Lunch", "2023-11-04 11:45|2023-11-04 12:30|Lobby|");
	store_close(st);
}

static void test_event_sheet(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	/* Title headed "Event", speakers "Presenter(s)", room "Venue", track
	 * "Theme", and a Link column that is not the title. */
	import_ok(st, "event-sheet.csv", &defaults, &rep, &m);
	assert_int_equal(rep.talks, 2);
	WHEN(st, "Welcome Circle", "2023-09-09 10:00|2023-09-09 10:30|Barn|Hosts Team");
	WHEN(st, "Sourdough Basics", "2023-09-09 11:00|2023-09-09 12:00|Kitchen|Marta Ruiz, Olu Ade");
	EXPECT(st, "Food|https://example.org/e/2", "SELECT track || '|' || url FROM talk WHERE title = 'Sourdough Basics'");
	store_close(st);
}

/* A big vendor conference's session catalog: dates without a year
 * ("Monday, December 1": the weekdays give 2025), 12-hour times, rooms
 * named with their hotel, repeats with -R1 ids, and speakers as
 * "Name, Job title, Company; ..." (each becomes "Name (Company)"). */
static void test_vendor_catalog(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	setenv("LANYARD_NOW", "2026-12-01 09:00", 1);
	import_ok(st, "vendor-catalog.csv", &defaults, &rep, &m);
	unsetenv("LANYARD_NOW");
	assert_int_equal(rep.talks, 6);
	assert_int_equal(rep.unscheduled, 0);
	contains(m.text, "vendor-catalog.csv:2: note: dates without a year: 'Monday, December 1' read as 2025-12-01");
	WHEN(st, "Monday Night Live", "2025-12-01 19:30|2025-12-01 21:00|Venetian | Level 2 | Hall D|"
	     "Priya Raman (Example Cloud)");
	EXPECT(st, "AIM214 2025-12-02 10:00 MGM Grand | Level 1 | Grand 122;"
	       "AIM214-R1 2025-12-04 14:30 Mandalay Bay | South Convention Center | Lagoon E",
	       "SELECT group_concat(key || ' ' || start || ' ' || room, ';')"
	       " FROM (SELECT * FROM talk WHERE title = 'Build agents that remember' ORDER BY start)");
	EXPECT(st, "Felipe Chen (Müller & Söhne Logistik), Rosa Novak (Fabrikam Motors)",
	       "SELECT speakers FROM talk WHERE key = 'AIM214-R1'");
	/* "Last, First" entries stay whole; one speaker with one comma part too. */
	EXPECT(st, "Smith, J., Doe, A.", "SELECT speakers FROM talk WHERE key = 'SEC301'");
	EXPECT(st, "Ana García (Contoso)", "SELECT speakers FROM talk WHERE key = 'DEV402'");
	EXPECT(st, "Security, Identity & Compliance", "SELECT track FROM talk WHERE key = 'SEC301'");
	EXPECT(st, "2025-12-05 16:00|2025-12-05 16:20|Caesars Forum | Level 1 | Academy 415|",
	       "SELECT start || '|' || end || '|' || room || '|' || speakers FROM talk WHERE key = 'STG105'");
	store_close(st);
}

static void test_known_exports_keep_their_times(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	import_ok(st, "pretalx-export.csv", &defaults, &rep, &m);
	WHEN(st, "Reproducible Builds for Everyone", "2022-05-18 11:00|2022-05-18 11:45|Saal 1|Zoë Ørsted, Jonas Weber");
	EXPECT(st, "+02:00", "SELECT tz FROM conference");
	import_ok(st, "sessionize-rows.csv", &defaults, &rep, &m);
	WHEN(st, "Platform Teams Without Tears", "2022-05-18 09:30|2022-05-18 10:10|Main Hall|Rita Lopes, Duarte Silva");
	import_ok(st, "sched-export.csv", &defaults, &rep, &m);
	WHEN(st, "Welcome + Opening Keynote", "2022-05-18 09:00|2022-05-18 09:30|Auditorium|Priya Raman");
	store_close(st);
}

static void test_column_override(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	const char *cols[] = { "title=fullname", "speakers=Title" };
	struct import_opts o = { .columns = cols, .ncolumns = 2, .name = "swapped" };
	import_ok(st, "neuro-agenda.csv", &o, &rep, &m);
	WHEN(st, "Amara Osei", "2024-07-04 08:30|2024-07-04 09:15|Hall A|Cortical Oscillations & Working Memory");
	/* A header that is not there: a usage error listing the columns. */
	const char *bad[] = { "start=Beginning" };
	struct import_opts ob = { .columns = bad, .ncolumns = 1 };
	char *path = tu_data("neuro-agenda.csv");
	struct ly_error err = { { 0 } };
	char *before = tu_fingerprint(st);
	assert_int_equal(import_file(st, path, &ob, &rep, tu_collect, &m, &err), LY_USAGE);
	contains(err.msg, "--column start=Beginning: no such column; the file has \"id\", \"title\", \"starttime\"");
	const char *unknown[] = { "colour=room" };
	ob.columns = unknown;
	assert_int_equal(import_file(st, path, &ob, &rep, tu_collect, &m, &err), LY_USAGE);
	contains(err.msg, "unknown field 'colour'");
	char *after = tu_fingerprint(st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(path);
	store_close(st);
}

static void test_conference_remembers_source(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m;
	import_ok(st, "event-sheet.csv", &defaults, &rep, &m);
	char *path = tu_data("event-sheet.csv");
	char *full = realpath(path, NULL);
	EXPECT(st, full, "SELECT source FROM conference WHERE name = 'event-sheet'");
	free(full);
	free(path);
	/* An update reads it from there again: nothing changed. */
	assert_int_equal(import_update(st, "event-sheet", NULL, &rep, tu_collect, &m, &(struct ly_error){ { 0 } }), LY_OK);
	assert_int_equal(rep.unchanged, 2);
	assert_int_equal(rep.added + rep.updated + rep.moved + rep.removed, 0);
	store_close(st);
}

static void test_messages_escape_data(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m = { .len = 0 };
	struct ly_error err = { { 0 } };
	char *a = tu_write("esc-v1.csv", "id,title,start,room\nE1,Plain,2022-05-18 10:00,Room 1\n", (size_t)-1);
	struct import_opts o = { .name = "esc" };
	assert_int_equal(import_file(st, a, &o, &rep, tu_collect, &m, &err), LY_OK);
	int64_t id = 0;
	assert_int_equal(store_talk_id(st, rep.conf_id, "E1", &id, &err), LY_OK);
	assert_int_equal(store_set_status(st, id, STATUS_PLANNED, &err), LY_OK);
	/* The talk moves to a room whose name would retitle the window, ring
	 * the bell and clear the screen; its title has a C1 CSI. */
	char *b = tu_write("esc-v2.csv", "id,title,start,room,duration\n"
	                                 "E1,\xc2\x9b" "2JPlain\x1b[31m,2022-05-18 11:00,\x1b]0;pwned\x07Room\x1b[2J 2,x y\n",
	                   (size_t)-1);
	m.len = 0;
	m.text[0] = '\0';
	assert_int_equal(import_file(st, b, &o, &rep, tu_collect, &m, &err), LY_OK);
	contains(m.text, "note: planned talk 'Plain' moved from Wed 18 May 10:00, Room 1 to Wed 18 May 11:00, Room 2");
	contains(m.text, "warning: 'Plain': cannot read duration 'x y'");
	for (size_t i = 0; i < m.len; i++) {
		unsigned char c = (unsigned char)m.text[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f || (c == 0xc2 && (unsigned char)m.text[i + 1] >= 0x80 &&
		                                                 (unsigned char)m.text[i + 1] < 0xa0))
			fail_msg("control character 0x%02x at %zu in:\n%s", c, i, m.text);
	}
	free(a);
	free(b);
	store_close(st);
}

static void test_header_repeated_mid_file(void **state)
{
	(void)state;
	struct store *st = fresh();
	struct import_report rep;
	struct tu_msgs m = { .len = 0 };
	struct ly_error err = { { 0 } };
	/* Two exports pasted one after the other. */
	char *p = tu_write("glued.csv", "id,title,start\nA1,One,2022-05-18 09:00\n"
	                                "id,title,start\nB1,Two,2022-05-19 09:00\n", (size_t)-1);
	assert_int_equal(import_file(st, p, NULL, &rep, tu_collect, &m, &err), LY_OK);
	assert_int_equal(rep.talks, 2);
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE title = 'title'");
	char want[600];
	snprintf(want, sizeof want, "%s:3: warning: the header line again; skipped\n", p);
	assert_string_equal(m.text, want);
	free(p);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_google_calendar, teardown),
		cmocka_unit_test_teardown(test_outlook, teardown),
		cmocka_unit_test_teardown(test_guidebook_template, teardown),
		cmocka_unit_test_teardown(test_neuroscience_agenda, teardown),
		cmocka_unit_test_teardown(test_time_only_security_day, teardown),
		cmocka_unit_test_teardown(test_event_sheet, teardown),
		cmocka_unit_test_teardown(test_vendor_catalog, teardown),
		cmocka_unit_test_teardown(test_known_exports_keep_their_times, teardown),
		cmocka_unit_test_teardown(test_column_override, teardown),
		cmocka_unit_test_teardown(test_conference_remembers_source, teardown),
		cmocka_unit_test_teardown(test_messages_escape_data, teardown),
		cmocka_unit_test_teardown(test_header_repeated_mid_file, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
