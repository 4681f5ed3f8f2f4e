/* Every date, time, duration and range format the importer reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lanyard/ltime.h"
#include "lanyard/when.h"

static void time_is(const char *s, int want)
{
	int m = -99;
	if (!when_time(s, &m))
		fail_msg("'%s' not read as a time", s);
	assert_int_equal(m, want);
}

static void test_times(void **state)
{
	(void)state;
	time_is("14:30", 870);
	time_is("9:05", 545);
	time_is("09:05:30", 545);
	time_is("1430", 870);
	time_is("930", 570);
	time_is("2:30 PM", 870);
	time_is("2:30pm", 870);
	time_is("2 p.m.", 840);
	time_is("10 a.m.", 600);
	time_is("12:00 AM", 0);
	time_is("12:00 PM", 720);
	time_is("12:30 am", 30);
	time_is("24:00", 1440);
	time_is("14h30", 870);
	int m;
	assert_false(when_time("25:00", &m));
	assert_false(when_time("13:00 PM", &m));
	assert_false(when_time("12:60", &m));
	assert_false(when_time("9", &m));
	assert_false(when_time("soon", &m));
}

static void dur_is(const char *s, int want)
{
	int m = -1;
	assert_true(when_duration(s, &m));
	assert_int_equal(m, want);
}

static void test_durations(void **state)
{
	(void)state;
	dur_is("45", 45);
	dur_is("45 min", 45);
	dur_is("90m", 90);
	dur_is("1:30", 90);
	dur_is("1h30", 90);
	dur_is("1h", 60);
	dur_is("PT1H15M", 75);
	int m;
	assert_false(when_duration("0", &m));
	assert_false(when_duration("long", &m));
}

static void cell_is(const char *s, enum date_order o, int y, int mo, int d, int t1, int t2)
{
	struct when_cell c;
	char why[128];
	if (!when_parse(s, o, &c, why, sizeof why))
		fail_msg("'%s': %s", s, why);
	if (y) {
		assert_int_equal(c.date.kind, WHEN_ABS);
		assert_int_equal(c.date.y, y);
		assert_int_equal(c.date.m, mo);
		assert_int_equal(c.date.d, d);
	}
	assert_int_equal(c.t1, t1);
	assert_int_equal(c.t2, t2);
}

static void test_dates_and_cells(void **state)
{
	(void)state;
	cell_is("2022-05-18", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	cell_is("5/18/2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	cell_is("5/18/22", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	cell_is("18/5/2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);   /* 18 > 12 decides */
	cell_is("05/10/2018", DATE_ORDER_DMY, 2018, 10, 5, -1, -1);
	cell_is("05/10/2018", DATE_ORDER_MDY, 2018, 5, 10, -1, -1);
	cell_is("18.05.2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	cell_is("18 May 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	cell_is("May 18, 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	cell_is("Wednesday, May 18, 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	cell_is("2022-05-18 11:00", DATE_ORDER_AUTO, 2022, 5, 18, 660, -1);
	cell_is("2022-05-18T11:00:00+02:00", DATE_ORDER_AUTO, 2022, 5, 18, 660, -1);
	cell_is("2022-05-18T11:00:00Z", DATE_ORDER_AUTO, 2022, 5, 18, 660, -1);
	cell_is("05/18/2022 11:00 AM", DATE_ORDER_AUTO, 2022, 5, 18, 660, -1);
	cell_is("18 May 2022 2:30 pm", DATE_ORDER_AUTO, 2022, 5, 18, 870, -1);
	/* Ranges in one cell: hyphen, en dash, "to", with AM/PM. */
	cell_is("09:00 - 10:30", DATE_ORDER_AUTO, 0, 0, 0, 540, 630);
	cell_is("09:00-10:30", DATE_ORDER_AUTO, 0, 0, 0, 540, 630);
	cell_is("8:00 AM \xe2\x80\x93 9:15 AM", DATE_ORDER_AUTO, 0, 0, 0, 480, 555);
	cell_is("11:30 PM \xe2\x80\x94 12:30 AM", DATE_ORDER_AUTO, 0, 0, 0, 1410, 30);
	cell_is("9 am to 10 am", DATE_ORDER_AUTO, 0, 0, 0, 540, 600);
	cell_is("2022-05-18 09:00 - 10:30", DATE_ORDER_AUTO, 2022, 5, 18, 540, 630);
	cell_is("", DATE_ORDER_AUTO, 0, 0, 0, -1, -1);
	struct when_cell c;
	assert_false(when_parse("TBD", DATE_ORDER_AUTO, &c, NULL, 0));
	assert_false(when_parse("2022-02-30", DATE_ORDER_AUTO, &c, NULL, 0));
}

static void test_relative_days(void **state)
{
	(void)state;
	struct when_cell c;
	int64_t days, want;
	assert_true(when_parse("fri", DATE_ORDER_AUTO, &c, NULL, 0));
	assert_int_equal(c.date.kind, WHEN_WEEKDAY);
	assert_true(when_place(&c.date, "2022-05-17", &days)); /* a Tuesday */
	want = ltime_days_from_civil(2022, 5, 20);
	assert_int_equal(days, want);
	assert_true(when_parse("Samstag", DATE_ORDER_AUTO, &c, NULL, 0));
	assert_true(when_place(&c.date, "2022-05-17", &days));
	assert_int_equal(days, ltime_days_from_civil(2022, 5, 21));
	assert_true(when_parse("Day 2", DATE_ORDER_AUTO, &c, NULL, 0));
	assert_int_equal(c.date.kind, WHEN_DAYNUM);
	assert_true(when_place(&c.date, "2022-05-17", &days));
	assert_int_equal(days, ltime_days_from_civil(2022, 5, 18));
	assert_true(when_parse("Monday, March 14", DATE_ORDER_AUTO, &c, NULL, 0));
	assert_int_equal(c.date.kind, WHEN_YEARLESS);
	assert_true(when_place(&c.date, "2022-03-13", &days));
	assert_int_equal(days, ltime_days_from_civil(2022, 3, 14));
	/* Without --first-day a relative day cannot be placed. */
	assert_false(when_place(&c.date, NULL, &days));
}

static void test_day_month_order(void **state)
{
	(void)state;
	struct when_stats st;
	/* 5-7 October, not May to July: the fewest days win. */
	when_stats_init(&st);
	when_stats_add(&st, "05/10/2018");
	when_stats_add(&st, "06/10/2018");
	when_stats_add(&st, "07/10/2018 09:00");
	assert_int_equal(when_stats_order(&st), DATE_ORDER_DMY);
	when_stats_init(&st);
	when_stats_add(&st, "10/05/2023");
	when_stats_add(&st, "10/06/2023");
	assert_int_equal(when_stats_order(&st), DATE_ORDER_MDY);
	/* A value over 12 decides. */
	when_stats_init(&st);
	when_stats_add(&st, "01/02/2022");
	when_stats_add(&st, "13/02/2022");
	assert_int_equal(when_stats_order(&st), DATE_ORDER_DMY);
	when_stats_init(&st);
	assert_int_equal(when_stats_order(&st), DATE_ORDER_AUTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_dates_and_cells),
		cmocka_unit_test(test_relative_days),
		cmocka_unit_test(test_day_month_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
