/* Conference clock: stamps, the 04:00 day rule, day labels, LANYARD_NOW. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "lanyard/ltime.h"

static void test_stamps(void **state)
{
	(void)state;
	int64_t m;
	char out[17];
	assert_true(ltime_parse_stamp("2022-05-18 11:07", &m));
	ltime_format_stamp(m, out);
	assert_string_equal(out, "2022-05-18 11:07");
	ltime_format_stamp(m + 13 * 60, out);
	assert_string_equal(out, "2022-05-19 00:07");
	assert_true(ltime_parse_stamp("2024-02-29", &m));
	ltime_format_stamp(m, out);
	assert_string_equal(out, "2024-02-29 00:00");
	assert_false(ltime_parse_stamp("2023-02-29 10:00", &m));
	assert_false(ltime_parse_stamp("2022-05-18 24:00", &m));
	assert_false(ltime_parse_stamp("2022-05-18 1:00", &m));
	assert_false(ltime_parse_stamp("yesterday", &m));
	assert_false(ltime_parse_stamp(NULL, &m));
}

static void test_conference_day(void **state)
{
	(void)state;
	int64_t m;
	char day[11];
	assert_true(ltime_parse_stamp("2022-05-18 00:30", &m));
	ltime_conf_day(m, day);
	assert_string_equal(day, "2022-05-17"); /* the previous evening's day */
	assert_true(ltime_parse_stamp("2022-05-18 03:59", &m));
	ltime_conf_day(m, day);
	assert_string_equal(day, "2022-05-17");
	assert_true(ltime_parse_stamp("2022-05-18 04:00", &m));
	ltime_conf_day(m, day);
	assert_string_equal(day, "2022-05-18");
	assert_true(ltime_parse_stamp("2022-01-01 01:00", &m));
	ltime_conf_day(m, day);
	assert_string_equal(day, "2021-12-31");
}

static void test_labels(void **state)
{
	(void)state;
	char out[32];
	ltime_day_label("2022-05-17", out, sizeof out);
	assert_string_equal(out, "Tue 17 May");
	ltime_day_label("2022-05-20", out, sizeof out);
	assert_string_equal(out, "Fri 20 May");
	ltime_day_label("2023-10-05", out, sizeof out);
	assert_string_equal(out, "Thu  5 Oct");
	ltime_day_label("", out, sizeof out);
	assert_string_equal(out, "Unscheduled");
	assert_int_equal(ltime_weekday(ltime_days_from_civil(2022, 5, 18)), 3);
}

static void test_now(void **state)
{
	(void)state;
	int64_t want;
	assert_true(ltime_parse_stamp("2022-05-18 11:07", &want));
	setenv("LANYARD_NOW", "2022-05-18 11:07", 1);
	assert_int_equal(ltime_now(), want);
	setenv("LANYARD_NOW", "garbage", 1);
	assert_int_not_equal(ltime_now(), want); /* falls back to the real clock */
	unsetenv("LANYARD_NOW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stamps),
		cmocka_unit_test(test_conference_day),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_now),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
