/* The mapping stage alone: header names -> fields (normalised names, the
 * ranked synonym table, --column, known shapes), and the rows it skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lanyard/import_map.h"
#include "testutil.h"

/* Map a header; "field=column ..." of what was found. */
static int map(const char *header, const struct import_opts *o, struct imp_map *m, struct ly_error *err,
               struct tu_msgs *msgs)
{
	static struct imp_log lg;
	struct tu_rec k = { 0 };
	lg = (struct imp_log){ .path = "f.csv", .err = err, .on_msg = tu_collect, .ctx = msgs };
	int rc = map_header(m, tu_rec(&k, 1, header), o, &lg);
	tu_rec_free(&k);
	return rc;
}

static const char *col(const struct imp_map *m, enum imp_field f)
{
	return m->fcol[f] < 0 ? "-" : m->names[m->fcol[f]];
}

static void test_normalised_names(void **state)
{
	(void)state;
	struct imp_map m;
	struct ly_error err = { { 0 } };
	struct tu_msgs msgs = { .len = 0 };
	static const char *const starts[] = { "starttime", "start_time", "StartTime", "startsAt", "START-TIME",
	                                      "Start.Time", "Start Time:" };
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		char h[64];
		snprintf(h, sizeof h, "title|%s", starts[i]);
		assert_int_equal(map(h, NULL, &m, &err, &msgs), LY_OK);
		assert_string_equal(col(&m, F_START), starts[i]);
		map_free(&m);
	}
	/* The larger table: real exports' words. */
	assert_int_equal(map("Event|When|Presenter(s)|Stage|Stream|Length", NULL, &m, &err, &msgs), LY_OK);
	assert_string_equal(col(&m, F_TITLE), "Event");
	assert_string_equal(col(&m, F_START), "When");
	assert_string_equal(col(&m, F_SPEAKERS), "Presenter(s)");
	assert_string_equal(col(&m, F_ROOM), "Stage");
	assert_string_equal(col(&m, F_TRACK), "Stream");
	assert_string_equal(col(&m, F_DURATION), "Length");
	map_free(&m);
	assert_int_equal(map("subject|fullname|hall|topic|mins", NULL, &m, &err, &msgs), LY_OK);
	assert_string_equal(col(&m, F_TITLE), "subject");
	assert_string_equal(col(&m, F_SPEAKERS), "fullname");
	assert_string_equal(col(&m, F_ROOM), "hall");
	assert_string_equal(col(&m, F_TRACK), "topic");
	assert_string_equal(col(&m, F_DURATION), "mins");
	map_free(&m);
}

static void test_ranks(void **state)
{
	(void)state;
	struct imp_map m;
	struct ly_error err = { { 0 } };
	struct tu_msgs msgs = { .len = 0 };
	/* Exact beats a lower-ranked synonym; a word inside a longer name
	 * counts last, and never across fields or for ids and links. */
	assert_int_equal(map("Session|Title|Talk Room|Speaker Id|Speaker Email|Title Link", NULL, &m, &err, &msgs),
	                 LY_OK);
	assert_string_equal(col(&m, F_TITLE), "Title");
	assert_string_equal(col(&m, F_ROOM), "Talk Room");
	assert_string_equal(col(&m, F_SPEAKERS), "-");
	assert_string_equal(col(&m, F_ID), "-");
	assert_string_equal(col(&m, F_URL), "-");
	map_free(&m);
	/* Google Calendar's columns, its shape named. */
	assert_int_equal(map("Subject|Start Date|Start Time|End Date|End Time|All Day Event|Description|Location|Private",
	                     NULL, &m, &err, &msgs), LY_OK);
	assert_string_equal(m.shape, "Google Calendar CSV");
	assert_string_equal(col(&m, F_TITLE), "Subject");
	assert_string_equal(col(&m, F_DATE), "Start Date");
	assert_string_equal(col(&m, F_START), "Start Time");
	assert_string_equal(col(&m, F_ENDDATE), "End Date");
	assert_string_equal(col(&m, F_END), "End Time");
	assert_string_equal(col(&m, F_ROOM), "Location");
	map_free(&m);
}

static void test_title_is_never_a_link(void **state)
{
	(void)state;
	struct imp_map m;
	struct ly_error err = { { 0 } };
	struct tu_msgs msgs = { .len = 0 };
	struct imp_log lg = { .path = "f.csv", .err = &err, .on_msg = tu_collect, .ctx = &msgs };
	struct tu_rec k = { 0 };
	assert_int_equal(map("talk|event|room", NULL, &m, &err, &msgs), LY_OK);
	assert_string_equal(col(&m, F_TITLE), "talk");
	/* The first row shows the "talk" column holds links: the next best
	 * title column is taken. */
	assert_int_equal(map_row(&m, tu_rec(&k, 2, "https://example.org/t/1|Opening|Hall"), &lg), ROW_DATA);
	assert_string_equal(col(&m, F_TITLE), "event");
	map_free(&m);
	assert_int_equal(map("session|event|room", NULL, &m, &err, &msgs), LY_OK);
	assert_int_equal(map_row(&m, tu_rec(&k, 2, "ab12cd34ef56ab78|Opening|Hall"), &lg), ROW_DATA);
	assert_string_equal(col(&m, F_TITLE), "event");
	map_free(&m);
	/* Plain titles stay put. */
	assert_int_equal(map("talk|event|room", NULL, &m, &err, &msgs), LY_OK);
	assert_int_equal(map_row(&m, tu_rec(&k, 2, "Opening Keynote|x@y|Hall"), &lg), ROW_DATA);
	assert_string_equal(col(&m, F_TITLE), "talk");
	map_free(&m);
	tu_rec_free(&k);
}

static void test_repeated_header_and_samples(void **state)
{
	(void)state;
	struct imp_map m;
	struct ly_error err = { { 0 } };
	struct tu_msgs msgs = { .len = 0 };
	struct imp_log lg = { .path = "f.csv", .err = &err, .on_msg = tu_collect, .ctx = &msgs };
	struct tu_rec k = { 0 };
	assert_int_equal(map("id|title|start", NULL, &m, &err, &msgs), LY_OK);
	assert_int_equal(map_row(&m, tu_rec(&k, 2, "1|Opening|09:00"), &lg), ROW_DATA);
	assert_int_equal(map_row(&m, tu_rec(&k, 3, " ID | Title |start"), &lg), ROW_SKIP);
	assert_int_equal(map_row(&m, tu_rec(&k, 4, "2|title|10:00"), &lg), ROW_DATA);
	assert_string_equal(msgs.text, "f.csv:3: warning: the header line again; skipped\n");
	map_free(&m);
	msgs.len = 0;
	assert_int_equal(map("Session Title|Date|Time Start|Time End|Room/Location|Don't change any of these headers!",
	                     NULL, &m, &err, &msgs), LY_OK);
	assert_string_equal(m.shape, "Guidebook template");
	assert_int_equal(m.sample_col, 5);
	assert_int_equal(map_row(&m, tu_rec(&k, 2, "Sample|4/30/2022|8:00 AM|9:00 AM|Hall|Don't forget to delete these rows!"),
	                         &lg), ROW_SKIP);
	assert_int_equal(map_row(&m, tu_rec(&k, 3, "Real|4/30/2022|8:00 AM|9:00 AM|Hall|"), &lg), ROW_DATA);
	map_free(&m);
	tu_rec_free(&k);
}

static void test_column_option(void **state)
{
	(void)state;
	struct imp_map m;
	struct ly_error err = { { 0 } };
	struct tu_msgs msgs = { .len = 0 };
	const char *cols[] = { "title=Headline", "room=where_at", "start=Title" };
	struct import_opts o = { .columns = cols, .ncolumns = 3 };
	assert_int_equal(map("Title|Headline|Where At", &o, &m, &err, &msgs), LY_OK);
	assert_string_equal(col(&m, F_TITLE), "Headline");
	assert_string_equal(col(&m, F_ROOM), "Where At");
	assert_string_equal(col(&m, F_START), "Title");
	assert_int_equal(m.how[F_TITLE], HOW_OPTION);
	map_free(&m);
	const char *bad[] = { "title=Nope" };
	o = (struct import_opts){ .columns = bad, .ncolumns = 1 };
	assert_int_equal(map("a|b\x1b[31m", &o, &m, &err, &msgs), LY_USAGE);
	/* The file's columns are listed, escaped. */
	assert_string_equal(err.msg, "f.csv: --column title=Nope: no such column; the file has \"a\", \"b\"");
	map_free(&m);
	const char *unknown[] = { "when=a" };
	o = (struct import_opts){ .columns = unknown, .ncolumns = 1 };
	assert_int_equal(map("a|b", &o, &m, &err, &msgs), LY_USAGE);
	map_free(&m);
	/* No title and no --column: the error says how to name it. */
	assert_int_equal(map("headline|when", NULL, &m, &err, &msgs), LY_ERR);
	assert_non_null(strstr(err.msg, "say which with --column title=HEADER"));
	map_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalised_names),
		cmocka_unit_test(test_ranks),
		cmocka_unit_test(test_title_is_never_a_link),
		cmocka_unit_test(test_repeated_header_and_samples),
		cmocka_unit_test(test_column_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
