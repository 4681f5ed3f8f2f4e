/* The normalisation stage alone: a record's fields -> struct talk_in,
 * with no file and no store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lanyard/import_map.h"
#include "lanyard/import_norm.h"
#include "testutil.h"

struct fixture {
	struct tu_msgs msgs;
	struct ly_error err;
	struct imp_log lg;
	struct imp_map m;
	struct norm *n;
	struct tu_rec k;
};

static int setup(struct fixture *x, const char *header, const struct import_opts *o)
{
	memset(x, 0, sizeof *x);
	x->lg = (struct imp_log){ .path = "f.csv", .err = &x->err, .on_msg = tu_collect, .ctx = &x->msgs };
	int rc = map_header(&x->m, tu_rec(&x->k, 1, header), o, &x->lg);
	if (rc == LY_OK)
		rc = norm_new(&x->n, o, &x->m, &x->lg);
	return rc;
}

static void done(struct fixture *x)
{
	norm_free(x->n);
	map_free(&x->m);
	tu_rec_free(&x->k);
}

static enum norm_result row(struct fixture *x, long line, const char *cells, struct talk_in *t)
{
	return norm_row(x->n, tu_rec(&x->k, line, cells), t);
}

static void test_text_fields(void **state)
{
	(void)state;
	struct fixture x;
	struct import_opts o = { 0 };
	struct talk_in t;
	assert_int_equal(setup(&x, "title|speakers|room|abstract|url", &o), LY_OK);
	assert_int_equal(row(&x, 2, "  Rock &amp; Roll &#x27;Live&#39; &ndash; &bogus; & more |"
	                            " Ann ; ann| Hall &lt;A&gt; |caf&eacute;|https://x/?a=1&amp;b=2", &t), NORM_TALK);
	assert_string_equal(t.title, "Rock & Roll 'Live' \xe2\x80\x93 &bogus; & more");
	assert_string_equal(t.speakers, "Ann");
	assert_string_equal(t.room, "Hall <A>");
	assert_string_equal(t.abstract, "caf\xc3\xa9");
	/* A URL is not prose: kept as written. */
	assert_string_equal(t.url, "https://x/?a=1&amp;b=2");
	assert_false(t.scheduled);
	assert_string_equal(t.slug, "rock-roll-live-bogus-more");
	/* No title: skipped with one warning naming the line. */
	assert_int_equal(row(&x, 3, "|Bob|Hall||", &t), NORM_SKIP);
	assert_non_null(strstr(x.msgs.text, "f.csv:3: warning: no title; row skipped\n"));
	done(&x);
}

/* Speakers as catalog entries: "Name, Job title, Company; ..." read one
 * per entry as "Name (Company)", once the file is known to write them so;
 * the same cell read by default gives a name per comma. */
static void test_speaker_entries(void **state)
{
	(void)state;
	const char *cell = "Felipe Chen, Head of Data, M\xc3\xbcller & S\xc3\xb6hne; Rosa Novak , VP, Engineering, Fabrikam ;"
	                   " Smith, J.; Kim Lee";
	assert_int_equal(norm_speakers_style(cell, strlen(cell)), 1);
	assert_int_equal(norm_speakers_style("Ann, Bob", 8), 0);
	assert_int_equal(norm_speakers_style("Ann; Bob", 8), 0);
	assert_int_equal(norm_speakers_style("Dev Park, PM, Example", 21), 0);
	struct fixture x;
	struct import_opts o = { 0 };
	struct talk_in t;
	char line[512];
	snprintf(line, sizeof line, "Panel|%s", cell);
	assert_int_equal(setup(&x, "title|speakers", &o), LY_OK);
	assert_int_equal(row(&x, 2, line, &t), NORM_TALK);
	assert_string_equal(t.speakers, "Felipe Chen, Head of Data, M\xc3\xbcller & S\xc3\xb6hne, Rosa Novak, VP, Engineering,"
	                                " Fabrikam, Smith, J., Kim Lee");
	norm_speaker_entries(x.n);
	assert_int_equal(row(&x, 3, line, &t), NORM_TALK);
	assert_string_equal(t.speakers, "Felipe Chen (M\xc3\xbcller & S\xc3\xb6hne), Rosa Novak (Fabrikam), Smith, J., Kim Lee");
	assert_int_equal(row(&x, 4, "Solo|Dev Park, Senior Product Manager, Example Cloud", &t), NORM_TALK);
	assert_string_equal(t.speakers, "Dev Park (Example Cloud)");
	char how[128];
	norm_describe(x.n, F_SPEAKERS, how, sizeof how);
	assert_string_equal(how, "one per ';', \"Name, Title, Company\" as \"Name (Company)\"");
	done(&x);
}

static void test_speakers_capped_and_linear(void **state)
{
	(void)state;
	struct fixture x;
	struct import_opts o = { 0 };
	struct talk_in t;
	assert_int_equal(setup(&x, "title|speakers", &o), LY_OK);
	/* 40,000 names in one cell: capped, one warning; each name is
	 * compared with at most the cap, so the work is linear in the cell. */
	size_t n = 40000, cap = n * 12 + 64;
	char *cell = malloc(cap);
	assert_non_null(cell);
	size_t len = (size_t)snprintf(cell, cap, "Big Panel|");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(cell + len, cap - len, "%sP%05zu", i ? ", " : "", i);
	assert_int_equal(row(&x, 2, cell, &t), NORM_TALK);
	size_t names = 1;
	for (const char *p = t.speakers; (p = strstr(p, ", ")); p += 2)
		names++;
	assert_int_equal(names, NORM_SPEAKERS_MAX);
	assert_true(strncmp(t.speakers, "P00000, P00001", 14) == 0);
	assert_non_null(strstr(x.msgs.text, "more than 100 speakers; the rest are left out"));
	free(cell);
	/* Merging the lists of two rows keeps the cap too. */
	bool capped = false;
	char *merged = norm_speakers_merge(t.speakers, "Q1, P00001, Q2", &capped);
	assert_non_null(merged);
	assert_null(strstr(merged, "Q1"));
	assert_true(capped);
	free(merged);
	merged = norm_speakers_merge("A, b", "B, C", &capped);
	assert_string_equal(merged, "A, b, C");
	assert_false(capped);
	free(merged);
	done(&x);
}

static void test_zones(void **state)
{
	(void)state;
	struct fixture x;
	struct talk_in t;
	/* Without --tz: the first zoned value's offset is the conference's. */
	struct import_opts o = { 0 };
	assert_int_equal(setup(&x, "title|start|end", &o), LY_OK);
	assert_int_equal(row(&x, 2, "A|2024-07-04T09:00:00-05:00|2024-07-04T10:00:00-05:00", &t), NORM_TALK);
	assert_string_equal(t.start, "2024-07-04 09:00");
	assert_string_equal(t.end, "2024-07-04 10:00");
	assert_int_equal(row(&x, 3, "B|2024-07-04T15:30:00Z|2024-07-04T16:00:00.000Z", &t), NORM_TALK);
	assert_string_equal(t.start, "2024-07-04 10:30");
	assert_string_equal(t.end, "2024-07-04 11:00");
	assert_string_equal(t.day, "2024-07-04");
	assert_string_equal(norm_zone(x.n), "-05:00");
	done(&x);
	/* With --tz: every zoned value moves to it; plain values stay. */
	o.tz = "+05:30";
	assert_int_equal(setup(&x, "title|start|end", &o), LY_OK);
	assert_int_equal(row(&x, 2, "A|2024-07-04T23:00:00+00:00|2024-07-05 00:00:00 +00:00", &t), NORM_TALK);
	assert_string_equal(t.start, "2024-07-05 04:30");
	assert_string_equal(t.end, "2024-07-05 05:30");
	assert_int_equal(row(&x, 3, "B|2024-07-04 09:00|2024-07-04 10:00", &t), NORM_TALK);
	assert_string_equal(t.start, "2024-07-04 09:00");
	assert_string_equal(norm_zone(x.n), "+05:30");
	done(&x);
	o.tz = "Not/AZone";
	assert_int_equal(setup(&x, "title|start", &o), LY_USAGE);
	done(&x);
}

static void test_times_without_dates(void **state)
{
	(void)state;
	struct fixture x;
	struct talk_in t;
	struct import_opts o = { 0 };
	assert_int_equal(setup(&x, "time|talk", &o), LY_OK);
	assert_int_equal(row(&x, 2, "9h30 - 10h15|One", &t), NORM_TALK);
	assert_false(t.scheduled);
	assert_int_equal(row(&x, 3, "0930h|Two", &t), NORM_TALK);
	/* One message, at the header line. */
	assert_string_equal(x.msgs.text, "f.csv:1: warning: the file gives times but no dates; say which day with "
	                                 "--first-day YYYY-MM-DD (or --date); until then its talks are unscheduled\n");
	done(&x);
	o.first_day = "2023-11-04";
	assert_int_equal(setup(&x, "time|talk", &o), LY_OK);
	assert_int_equal(row(&x, 2, "9h30 - 10h15|One", &t), NORM_TALK);
	assert_string_equal(t.start, "2023-11-04 09:30");
	assert_string_equal(t.end, "2023-11-04 10:15");
	assert_int_equal(row(&x, 3, "9.30 to 11.00|Two", &t), NORM_TALK);
	assert_string_equal(t.end, "2023-11-04 11:00");
	assert_int_equal(row(&x, 4, "23:30 bis 00:30|Late", &t), NORM_TALK);
	assert_string_equal(t.end, "2023-11-05 00:30");
	assert_string_equal(t.day, "2023-11-04");
	assert_int_equal(x.msgs.len, 0);
	done(&x);
}

static void test_describe(void **state)
{
	(void)state;
	struct fixture x;
	struct talk_in t;
	struct import_opts o = { 0 };
	assert_int_equal(setup(&x, "title|Start Time|duration", &o), LY_OK);
	assert_int_equal(row(&x, 2, "A|05/18/2022 9:30 AM|45", &t), NORM_TALK);
	assert_int_equal(row(&x, 3, "B|05/19/2022 1:00 PM|1:30", &t), NORM_TALK);
	char d[128];
	norm_describe(x.n, F_START, d, sizeof d);
	assert_string_equal(d, "12-hour, month/day/year");
	norm_describe(x.n, F_DURATION, d, sizeof d);
	assert_string_equal(d, "minutes or h:mm");
	assert_string_equal(t.end, "2022-05-19 14:30");
	done(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_fields),
		cmocka_unit_test(test_speaker_entries),
		cmocka_unit_test(test_speakers_capped_and_linear),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_times_without_dates),
		cmocka_unit_test(test_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
