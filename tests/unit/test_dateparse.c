/* Every date, time, duration and range shape the importer reads, the
 * day/month order evidence, and placing weekdays, day numbers and yearless
 * dates with the first day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lanyard/dateparse.h"
#include "lanyard/ltime.h"

#define HM(h, m) ((h) * 60 + (m))

static void time_is(const char *s, int want)
{
	int m = -99;
	if (!dp_time(s, &m))
		fail_msg("'%s' not read as a time", s);
	if (m != want)
		fail_msg("'%s' read as %d, want %d", s, m, want);
}

static void not_time(const char *s)
{
	int m = -99;
	if (dp_time(s, &m))
		fail_msg("'%s' read as the time %d", s, m);
}

static void dur_is(const char *s, int want)
{
	int m = -99;
	if (!dp_duration(s, &m))
		fail_msg("'%s' not read as a duration", s);
	if (m != want)
		fail_msg("'%s' read as %d minutes, want %d", s, m, want);
}

static void not_dur(const char *s)
{
	int m = -99;
	if (dp_duration(s, &m))
		fail_msg("'%s' read as %d minutes", s, m);
}

static struct dp_cell cell(const char *s, enum date_order o)
{
	struct dp_cell c;
	if (!dp_parse(s, o, &c))
		fail_msg("'%s' not read", s);
	return c;
}

/* A full date, and the times (-1 = none). */
static void date_is(const char *s, enum date_order o, int y, int m, int d, int t1, int t2)
{
	struct dp_cell c = cell(s, o);
	if (c.date.kind != DP_DATE || c.date.y != y || c.date.m != m || c.date.d != d)
		fail_msg("'%s' read as kind %d %04d-%02d-%02d, want %04d-%02d-%02d", s, c.date.kind, c.date.y,
		         c.date.m, c.date.d, y, m, d);
	if (c.t1 != t1 || c.t2 != t2)
		fail_msg("'%s' times %d-%d, want %d-%d", s, c.t1, c.t2, t1, t2);
}

/* No date; the times. */
static void times_are(const char *s, int t1, int t2)
{
	struct dp_cell c = cell(s, DATE_ORDER_AUTO);
	if (c.date.kind != DP_NONE)
		fail_msg("'%s' has a date (kind %d)", s, c.date.kind);
	if (c.t1 != t1 || c.t2 != t2)
		fail_msg("'%s' times %d-%d, want %d-%d", s, c.t1, c.t2, t1, t2);
}

static void unreadable(const char *s)
{
	struct dp_cell c;
	if (dp_parse(s, DATE_ORDER_AUTO, &c))
		fail_msg("'%s' read (kind %d, t1 %d)", s, c.date.kind, c.t1);
	assert_int_equal(c.date.kind, DP_NONE);
	assert_int_equal(c.t1, -1);
	assert_int_equal(c.t2, -1);
}

static void test_times_24h(void **state)
{
	(void)state;
	time_is("14:30", HM(14, 30));
	time_is("09:05", HM(9, 5));
	time_is("9:05", HM(9, 5));
	time_is("0:00", 0);
	time_is("00:00", 0);
	time_is("23:59", HM(23, 59));
	time_is("09:05:30", HM(9, 5));
	time_is("09:05:30.250", HM(9, 5));
	time_is("1430", HM(14, 30));
	time_is("0930", HM(9, 30));
	time_is("930", HM(9, 30));
	time_is("24:00", 1440); /* the end of the day */
	time_is("2400", 1440);
	time_is("14h30", HM(14, 30));
	time_is("14h", HM(14, 0));
	time_is("14 Uhr", HM(14, 0));
	time_is("14:30 Uhr", HM(14, 30));
	time_is("14.30", HM(14, 30));
	time_is("  14:30  ", HM(14, 30));
	time_is("noon", 720);
	time_is("midnight", 0);
	not_time("24:01");
	not_time("25:00");
	not_time("12:60");
	not_time("9");        /* a number, not a time */
	not_time("12");
	not_time("1:5");
	not_time("soon");
	not_time("");
	not_time("14:30 sharp");
	time_is("2022", HM(20, 22)); /* four digits alone are HHMM, even when they look like a year */
}

static void test_times_12h(void **state)
{
	(void)state;
	time_is("2:30 PM", HM(14, 30));
	time_is("2:30 pm", HM(14, 30));
	time_is("2:30PM", HM(14, 30));
	time_is("2:30 p.m.", HM(14, 30));
	time_is("2:30 P.M.", HM(14, 30));
	time_is("2:30 p.m", HM(14, 30));
	time_is("2 PM", HM(14, 0));
	time_is("2pm", HM(14, 0));
	time_is("10 a.m.", HM(10, 0));
	time_is("9a", HM(9, 0));
	time_is("9:15 AM", HM(9, 15));
	time_is("12:00 AM", 0);        /* midnight */
	time_is("12 AM", 0);
	time_is("12:30 am", 30);
	time_is("12:00 PM", 720);      /* noon */
	time_is("12:45 PM", HM(12, 45));
	time_is("11:59 PM", HM(23, 59));
	time_is("0:30 am", 30);
	time_is("930am", HM(9, 30));
	time_is("9.30 a.m.", HM(9, 30));
	time_is("9:30\xe2\x80\xaf" "AM", HM(9, 30)); /* narrow no-break space, as macOS writes */
	time_is("9:30\xc2\xa0PM", HM(21, 30));       /* no-break space */
	not_time("13:00 PM");
	not_time("24:00 am");
	not_time("spam");
	not_time("am");
}

static void test_durations(void **state)
{
	(void)state;
	dur_is("45", 45);
	dur_is("45 min", 45);
	dur_is("45min", 45);
	dur_is("45 mins", 45);
	dur_is("45 minutes", 45);
	dur_is("45 Min.", 45);
	dur_is("45 Minuten", 45);
	dur_is("90m", 90);
	dur_is("90'", 90);
	dur_is("1:30", 90);
	dur_is("01:30:00", 90);
	dur_is("0:45", 45);
	dur_is("1h30", 90);
	dur_is("1h30m", 90);
	dur_is("1h 30m", 90);
	dur_is("1 h 30 min", 90);
	dur_is("1h30min", 90);
	dur_is("1 hour 30 minutes", 90);
	dur_is("2 hours", 120);
	dur_is("1h", 60);
	dur_is("1 Std.", 60);
	dur_is("1.5 h", 90);
	dur_is("1,5 h", 90);
	dur_is("1.5", 90);      /* a fraction alone reads as hours */
	dur_is("45.0", 45);     /* a whole number written as a decimal stays minutes */
	dur_is("PT1H30M", 90);
	dur_is("PT45M", 45);
	dur_is("PT2H", 120);
	dur_is("7 h", 420);
	not_dur("0");
	not_dur("0:00");
	not_dur("-5");
	not_dur("long");
	not_dur("");
	not_dur("45 parsecs");
	not_dur("1h 2h 3h");
	not_dur("169 h");       /* over a week */
	not_dur("1:75");
	not_dur("PT");
}

static void test_numeric_dates(void **state)
{
	(void)state;
	date_is("2022-05-18", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("2022/05/18", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("2022.05.18", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("5/18/2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("05/18/2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("5/18/22", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("18/5/2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);  /* 18 > 12 decides */
	date_is("18/5/2022", DATE_ORDER_MDY, 2022, 5, 18, -1, -1);   /* even against the order asked */
	date_is("5-18-2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("18.05.2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("18.5.2022", DATE_ORDER_MDY, 2022, 5, 18, -1, -1);   /* dots are always day first */
	date_is("18.05.22", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("1/2/99", DATE_ORDER_AUTO, 1999, 1, 2, -1, -1);      /* two-digit years: 70-99 are 19xx */
	date_is("2024-02-29", DATE_ORDER_AUTO, 2024, 2, 29, -1, -1);
	/* Ambiguous: read in the order asked, and marked. */
	struct dp_cell c = cell("05/10/2018", DATE_ORDER_AUTO);
	assert_true(c.date.ambiguous);
	assert_int_equal(c.date.m, 5);
	assert_int_equal(c.date.d, 10);
	assert_int_equal(c.date.p1, 5);
	assert_int_equal(c.date.p2, 10);
	c = cell("05/10/2018", DATE_ORDER_DMY);
	assert_true(c.date.ambiguous);
	assert_int_equal(c.date.m, 10);
	assert_int_equal(c.date.d, 5);
	dp_swap(&c.date);
	assert_int_equal(c.date.m, 5);
	assert_int_equal(c.date.d, 10);
	assert_int_equal(c.date.p1, 5); /* the text's numbers do not move */
	c = cell("05/05/2018", DATE_ORDER_AUTO);
	assert_false(c.date.ambiguous);  /* the same either way */
	c = cell("13/05/2018", DATE_ORDER_AUTO);
	assert_false(c.date.ambiguous);
	dp_swap(&c.date);                /* swapping an unambiguous date does nothing */
	assert_int_equal(c.date.m, 5);
	assert_int_equal(c.date.d, 13);
	c = cell("2018-05-10", DATE_ORDER_DMY);
	assert_false(c.date.ambiguous);  /* year first is never ambiguous */
	assert_int_equal(c.date.p1, 0);
	c = cell("10.05.2018", DATE_ORDER_AUTO);
	assert_false(c.date.ambiguous);
	unreadable("2022-02-30");
	unreadable("2022-13-01");
	unreadable("13/13/2022");
	unreadable("31/04/2022");
	unreadable("2023-02-29");
	unreadable("0/5/2022");
	unreadable("5/18/123");
	unreadable("05/18/20222");
}

static void test_word_dates(void **state)
{
	(void)state;
	date_is("18 May 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("May 18, 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("May 18 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("Wednesday, May 18, 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("Wed, 18 May 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("Wed 18 May 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("18th May 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("the 1st of June 2022", DATE_ORDER_AUTO, 2022, 6, 1, -1, -1);
	date_is("18-May-2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("18-May-22", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("18 Sept 2022", DATE_ORDER_AUTO, 2022, 9, 18, -1, -1);
	date_is("DECEMBER 3, 2021", DATE_ORDER_AUTO, 2021, 12, 3, -1, -1);
	date_is("18. Mai 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("Mittwoch, 18. Mai 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("14. M\xc3\xa4rz 2024", DATE_ORDER_AUTO, 2024, 3, 14, -1, -1);
	date_is("14. M\xc3\x84RZ 2024", DATE_ORDER_AUTO, 2024, 3, 14, -1, -1); /* upper-case umlaut */
	date_is("Do. 14.03.2024", DATE_ORDER_AUTO, 2024, 3, 14, -1, -1);
	date_is("Wed 18.05.2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	date_is("mercredi 18 mai 2022", DATE_ORDER_AUTO, 2022, 5, 18, -1, -1);
	unreadable("30 February 2022");
	unreadable("May 2022");        /* no day */
	unreadable("18 2022");         /* no month */
	unreadable("May June 18 2022");
	unreadable("Wednesday Thursday");
	unreadable("18 Smarch 2022");
}

static void test_relative_days(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int wday;
	} days[] = {
		{ "fri", 5 }, { "Fri", 5 }, { "FRI.", 5 }, { "Friday", 5 }, { "friday", 5 }, { "Freitag", 5 },
		{ "Samstag", 6 }, { "Sa.", 6 }, { "Sonntag", 0 }, { "sun", 0 }, { "Mon", 1 }, { "Montag", 1 },
		{ "tue", 2 }, { "Tues", 2 }, { "Dienstag", 2 }, { "Wednesday", 3 }, { "Mittwoch", 3 },
		{ "Thu", 4 }, { "Thurs", 4 }, { "Donnerstag", 4 }, { "Saturday", 6 }, { "Sonnabend", 6 },
	};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		struct dp_cell c = cell(days[i].s, DATE_ORDER_AUTO);
		if (c.date.kind != DP_WEEKDAY || c.date.wday != days[i].wday)
			fail_msg("'%s': kind %d wday %d", days[i].s, c.date.kind, c.date.wday);
	}
	static const struct {
		const char *s;
		int n;
	} nums[] = { { "Day 2", 2 }, { "day 1", 1 }, { "DAY 3", 3 }, { "day2", 2 }, { "Tag 3", 3 },
	             { "Day Two", 2 }, { "second day", 2 }, { "Day 2 (Wednesday)", 2 } };
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		struct dp_cell c = cell(nums[i].s, DATE_ORDER_AUTO);
		if (c.date.kind != DP_DAYNUM || c.date.n != nums[i].n)
			fail_msg("'%s': kind %d n %d", nums[i].s, c.date.kind, c.date.n);
	}
	static const struct {
		const char *s;
		int m, d;
	} yearless[] = { { "Monday, March 14", 3, 14 }, { "March 14", 3, 14 }, { "14 March", 3, 14 },
	                 { "14th of March", 3, 14 }, { "18.05.", 5, 18 }, { "Mi. 18.05.", 5, 18 },
	                 { "5/18", 5, 18 }, { "Feb 29", 2, 29 } };
	for (size_t i = 0; i < sizeof yearless / sizeof yearless[0]; i++) {
		struct dp_cell c = cell(yearless[i].s, DATE_ORDER_AUTO);
		if (c.date.kind != DP_YEARLESS || c.date.m != yearless[i].m || c.date.d != yearless[i].d)
			fail_msg("'%s': kind %d %d-%d", yearless[i].s, c.date.kind, c.date.m, c.date.d);
	}
	unreadable("Day");
	unreadable("Day 0");
	unreadable("Day 999");
	unreadable("Feb 30");
}

/* ISO 8601 with a zone: the wall-clock time as written, and the zone noted
 * for the importer to convert. */
static void test_iso_zones(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int t1;
		bool zoned;
		int off;
	} cases[] = {
		{ "2024-07-04T09:30:00+00:00", 570, true, 0 },
		{ "2024-07-04 09:30:00.123+02:00", 570, true, 120 },
		{ "2024-07-04T09:30Z", 570, true, 0 },
		{ "2024-07-04T09:30:00 UTC", 570, true, 0 },
		{ "2024-07-04T09:30+0530", 570, true, 330 },
		{ "2024-07-04T09:30:00-03", 570, true, -180 },
		{ "2024-07-04T09:30:00", 570, false, 0 },
		{ "2024-07-04", -1, false, 0 },
		{ "2024-07-04T09:30:00+25:00", 570, false, 0 }, /* no such zone: dropped */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct dp_cell c;
		assert_true(dp_parse(cases[i].in, DATE_ORDER_AUTO, &c));
		assert_int_equal(c.date.kind, DP_DATE);
		assert_int_equal(c.t1, cases[i].t1);
		if (c.date.zoned != cases[i].zoned || (cases[i].zoned && c.date.off != cases[i].off))
			fail_msg("%s: zoned %d off %d", cases[i].in, c.date.zoned, c.date.off);
	}
	/* A range of two zoned values: both ends carry their zone. */
	struct dp_cell c;
	assert_true(dp_parse("2024-07-04T09:00:00+02:00 - 2024-07-04T10:00:00+02:00", DATE_ORDER_AUTO, &c));
	assert_int_equal(c.t1, 540);
	assert_int_equal(c.t2, 600);
	assert_true(c.date.zoned && c.date2.zoned);
	assert_int_equal(c.date2.off, 120);
}

static void test_date_and_time_in_one_cell(void **state)
{
	(void)state;
	date_is("2022-05-18 11:00", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("2022-05-18T11:00", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("2022-05-18T11:00:00", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("2022-05-18 11:00:00.000", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	/* Zones are dropped: the wall-clock time is what the schedule shows. */
	date_is("2022-05-18T11:00:00+02:00", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("2022-05-18T11:00:00-0500", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("2022-05-18T11:00:00Z", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("2022-05-18T11:00:00.123Z", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("2022-05-18 11:00 UTC", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("2022-05-18 11:00 +02", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("05/18/2022 11:00 AM", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("5/18/2022 4:00 PM", DATE_ORDER_AUTO, 2022, 5, 18, HM(16, 0), -1);
	date_is("5/18/2022 12:00 AM", DATE_ORDER_AUTO, 2022, 5, 18, 0, -1);
	date_is("05/18/2022 11:00:00", DATE_ORDER_AUTO, 2022, 5, 18, HM(11, 0), -1);
	date_is("18.05.2022 14:30", DATE_ORDER_AUTO, 2022, 5, 18, HM(14, 30), -1);
	date_is("18 May 2022 2:30 pm", DATE_ORDER_AUTO, 2022, 5, 18, HM(14, 30), -1);
	date_is("May 18, 2022 9:00 AM", DATE_ORDER_AUTO, 2022, 5, 18, HM(9, 0), -1);
	date_is("May 18, 2022 at 9:00 am", DATE_ORDER_AUTO, 2022, 5, 18, HM(9, 0), -1);
	date_is("Wednesday, May 18, 2022 14:00", DATE_ORDER_AUTO, 2022, 5, 18, HM(14, 0), -1);
	date_is("Wed 18.05.2022 10:00", DATE_ORDER_AUTO, 2022, 5, 18, HM(10, 0), -1);
	date_is("18.05.2022 14 Uhr", DATE_ORDER_AUTO, 2022, 5, 18, HM(14, 0), -1);
	struct dp_cell c = cell("Friday 14:00", DATE_ORDER_AUTO);
	assert_int_equal(c.date.kind, DP_WEEKDAY);
	assert_int_equal(c.t1, HM(14, 0));
	c = cell("Day 2 09:30", DATE_ORDER_AUTO);
	assert_int_equal(c.date.kind, DP_DAYNUM);
	assert_int_equal(c.t1, HM(9, 30));
	unreadable("2022-05-18 25:00");
	unreadable("2022-05-18 soon");
	unreadable("5/18/2022 13:00 PM");
}

static void test_ranges(void **state)
{
	(void)state;
	times_are("09:00 - 10:30", HM(9, 0), HM(10, 30));
	times_are("09:00-10:30", HM(9, 0), HM(10, 30));
	times_are("9:00 -10:30", HM(9, 0), HM(10, 30));
	times_are("09:00:00-10:30:00", HM(9, 0), HM(10, 30));
	times_are("09:00 \xe2\x80\x93 10:30", HM(9, 0), HM(10, 30));   /* en dash */
	times_are("09:00\xe2\x80\x94" "10:30", HM(9, 0), HM(10, 30));   /* em dash */
	times_are("09:00 \xe2\x88\x92 10:30", HM(9, 0), HM(10, 30));   /* minus sign */
	times_are("09:00 to 10:30", HM(9, 0), HM(10, 30));
	times_are("14:00 bis 15:30", HM(14, 0), HM(15, 30));
	times_are("8:00 AM \xe2\x80\x93 9:15 AM", HM(8, 0), HM(9, 15));
	times_are("8:00 AM - 9:15 AM", HM(8, 0), HM(9, 15));
	times_are("11:30 AM - 1:00 PM", HM(11, 30), HM(13, 0));
	/* A marker on one side only carries over where it makes sense. */
	times_are("1:00 - 2:30 PM", HM(13, 0), HM(14, 30));
	times_are("11:00 - 12:30 PM", HM(11, 0), HM(12, 30));
	times_are("9 to 10am", HM(9, 0), HM(10, 0));
	times_are("9-10am", HM(9, 0), HM(10, 0));
	times_are("9am-10am", HM(9, 0), HM(10, 0));
	times_are("11am - 1", HM(11, 0), HM(13, 0));
	times_are("10am - 11", HM(10, 0), HM(11, 0));
	/* Past midnight: the range keeps what it says; the importer adds the day. */
	times_are("23:30 - 00:30", HM(23, 30), 30);
	times_are("11:30 PM \xe2\x80\x94 12:30 AM", HM(23, 30), 30);
	times_are("22:00 - 24:00", HM(22, 0), 1440);
	date_is("2022-05-18 09:00 - 10:30", DATE_ORDER_AUTO, 2022, 5, 18, HM(9, 0), HM(10, 30));
	date_is("2022-05-18 09:00-10:30", DATE_ORDER_AUTO, 2022, 5, 18, HM(9, 0), HM(10, 30));
	date_is("05/18/2022 9:00 AM - 10:00 AM", DATE_ORDER_AUTO, 2022, 5, 18, HM(9, 0), HM(10, 0));
	struct dp_cell c = cell("2022-05-18 23:00 - 2022-05-19 01:00", DATE_ORDER_AUTO);
	assert_int_equal(c.date.d, 18);
	assert_int_equal(c.t1, HM(23, 0));
	assert_int_equal(c.date2.kind, DP_DATE);
	assert_int_equal(c.date2.d, 19);
	assert_int_equal(c.t2, HM(1, 0));
	c = cell("Wednesday 9:00-10:30", DATE_ORDER_AUTO);
	assert_int_equal(c.date.kind, DP_WEEKDAY);
	assert_int_equal(c.date.wday, 3);
	assert_int_equal(c.t1, HM(9, 0));
	assert_int_equal(c.t2, HM(10, 30));
	/* Hyphens inside dates are not ranges. */
	date_is("05-10-2018", DATE_ORDER_AUTO, 2018, 5, 10, -1, -1);
	date_is("18-May-2022 10:00", DATE_ORDER_AUTO, 2022, 5, 18, HM(10, 0), -1);
	date_is("2022-05-18T10:00:00-05:00", DATE_ORDER_AUTO, 2022, 5, 18, HM(10, 0), -1);
	unreadable("09:00 - later");
	unreadable("soon - 10:30");
	unreadable("09:00 - 25:00");
}

static void test_empty_and_junk(void **state)
{
	(void)state;
	struct dp_cell c;
	assert_true(dp_parse("", DATE_ORDER_AUTO, &c));
	assert_int_equal(c.date.kind, DP_NONE);
	assert_int_equal(c.t1, -1);
	assert_true(dp_parse("   \t ", DATE_ORDER_AUTO, &c));
	assert_int_equal(c.date.kind, DP_NONE);
	static const char *const junk[] = {
		"TBD", "TBA", "n/a", "-", "\xe2\x80\x93", "?", "tomorrow", "45", "Room 2A",
		"2022-05-18 11:00 12:00", "12:00:00:00", "::", "//", "1/2/3/4", "May 18, 2022, May 19, 2022",
		"\xff\xfe", "day day day", "noon-ish",
	};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		unreadable(junk[i]);
	/* Long text (an abstract in the wrong column) is no date, and is safe. */
	char longs[4096];
	memset(longs, '9', sizeof longs - 1);
	longs[sizeof longs - 1] = '\0';
	unreadable(longs);
	for (size_t i = 0; i + 1 < sizeof longs; i++)
		longs[i] = "1:-/. ap"[i % 8];
	unreadable(longs);
}

static void test_order_evidence(void **state)
{
	(void)state;
	struct dp_order o;
	struct dp_cell c;
	/* 5-7 October, not May to July: the fewest days win. */
	dp_order_init(&o);
	const char *eu[] = { "05/10/2018", "06/10/2018 09:00", "07/10/2018" };
	for (int i = 0; i < 3; i++) {
		assert_true(dp_parse(eu[i], DATE_ORDER_AUTO, &c));
		dp_order_note(&o, &c.date);
	}
	assert_int_equal(dp_order_pick(&o), DATE_ORDER_DMY);
	/* 5-7 October in the US. */
	dp_order_init(&o);
	const char *us[] = { "10/05/2018", "10/06/2018", "10/07/2018" };
	for (int i = 0; i < 3; i++) {
		assert_true(dp_parse(us[i], DATE_ORDER_AUTO, &c));
		dp_order_note(&o, &c.date);
	}
	assert_int_equal(dp_order_pick(&o), DATE_ORDER_MDY);
	/* A value over 12 decides, whatever the spans. */
	dp_order_init(&o);
	const char *over[] = { "01/02/2022", "01/03/2022", "13/02/2022" };
	for (int i = 0; i < 3; i++) {
		assert_true(dp_parse(over[i], DATE_ORDER_AUTO, &c));
		dp_order_note(&o, &c.date);
	}
	assert_int_equal(dp_order_pick(&o), DATE_ORDER_DMY);
	dp_order_init(&o);
	assert_true(dp_parse("02/13/2022", DATE_ORDER_AUTO, &c));
	dp_order_note(&o, &c.date);
	assert_int_equal(dp_order_pick(&o), DATE_ORDER_MDY);
	/* Across new year: 30 Dec to 2 Jan is 3 days day-first. */
	dp_order_init(&o);
	const char *ny[] = { "30/12/2022", "02/01/2023" };
	for (int i = 0; i < 2; i++) {
		assert_true(dp_parse(ny[i], DATE_ORDER_AUTO, &c));
		dp_order_note(&o, &c.date);
	}
	assert_int_equal(dp_order_pick(&o), DATE_ORDER_DMY);
	/* Nothing, a tie, or contradicting evidence: month first. */
	dp_order_init(&o);
	assert_int_equal(dp_order_pick(&o), DATE_ORDER_MDY);
	assert_true(dp_parse("05/10/2018", DATE_ORDER_AUTO, &c));
	dp_order_note(&o, &c.date);
	assert_int_equal(dp_order_pick(&o), DATE_ORDER_MDY);
	dp_order_init(&o);
	const char *mixed[] = { "13/01/2022", "01/13/2022" };
	for (int i = 0; i < 2; i++) {
		assert_true(dp_parse(mixed[i], DATE_ORDER_AUTO, &c));
		dp_order_note(&o, &c.date);
	}
	assert_int_equal(dp_order_pick(&o), DATE_ORDER_MDY);
	/* ISO, dotted and word dates are no evidence. */
	dp_order_init(&o);
	const char *plain[] = { "2022-05-18", "18.05.2022", "18 May 2022", "fri" };
	for (int i = 0; i < 4; i++) {
		assert_true(dp_parse(plain[i], DATE_ORDER_AUTO, &c));
		dp_order_note(&o, &c.date);
	}
	assert_int_equal(o.dates, 0);
	assert_int_equal(dp_order_pick(&o), DATE_ORDER_MDY);
}

static int64_t days_of(int y, int m, int d)
{
	return ltime_days_from_civil(y, m, d);
}

static void placed(const char *s, const char *first, int y, int m, int d)
{
	struct dp_cell c = cell(s, DATE_ORDER_AUTO);
	int64_t f, got;
	assert_true(dp_ymd(first, &f));
	if (!dp_place(&c.date, f, &got))
		fail_msg("'%s' not placed from %s", s, first);
	if (got != days_of(y, m, d)) {
		int gy, gm, gd;
		ltime_civil_from_days(got, &gy, &gm, &gd);
		fail_msg("'%s' from %s placed on %04d-%02d-%02d, want %04d-%02d-%02d", s, first, gy, gm, gd, y, m, d);
	}
}

static void test_placing(void **state)
{
	(void)state;
	/* 2022-05-17 is a Tuesday. */
	placed("Tuesday", "2022-05-17", 2022, 5, 17);   /* the first day itself */
	placed("wed", "2022-05-17", 2022, 5, 18);
	placed("fri", "2022-05-17", 2022, 5, 20);
	placed("Samstag", "2022-05-17", 2022, 5, 21);
	placed("Monday", "2022-05-17", 2022, 5, 23);    /* the next Monday, not the last */
	placed("Day 1", "2022-05-17", 2022, 5, 17);
	placed("Day 2", "2022-05-17", 2022, 5, 18);
	placed("day 15", "2022-05-17", 2022, 5, 31);
	placed("Monday, March 14", "2022-03-13", 2022, 3, 14);
	placed("March 14", "2022-03-20", 2022, 3, 14);   /* a little before the first day */
	placed("January 2", "2022-12-30", 2023, 1, 2);   /* over new year */
	placed("December 31", "2022-12-30", 2022, 12, 31);
	placed("18.05.", "2022-05-17", 2022, 5, 18);
	placed("Feb 29", "2023-02-20", 2024, 2, 29);     /* the next leap year */
	placed("2022-05-18", "2000-01-01", 2022, 5, 18); /* full dates ignore it */
	struct dp_cell c = cell("fri", DATE_ORDER_AUTO);
	int64_t d;
	assert_false(dp_place(&c.date, DP_NO_FIRST_DAY, &d));
	c = cell("Day 2", DATE_ORDER_AUTO);
	assert_false(dp_place(&c.date, DP_NO_FIRST_DAY, &d));
	c = cell("March 14", DATE_ORDER_AUTO);
	assert_false(dp_place(&c.date, DP_NO_FIRST_DAY, &d));
	c = cell("2022-05-18", DATE_ORDER_AUTO);
	assert_true(dp_place(&c.date, DP_NO_FIRST_DAY, &d));
	assert_int_equal(d, days_of(2022, 5, 18));
	struct dp_date none = { 0 };
	assert_false(dp_place(&none, days_of(2022, 1, 1), &d));
}

/* A yearless date naming its weekday has a year: the nearest to today in
 * which that day falls on that weekday. */
static void test_year_from_weekday(void **state)
{
	(void)state;
	struct { const char *cell; int ty, tm, td, y; } cases[] = {
		{ "Monday, December 1", 2026, 12, 1, 2025 },   /* 2031 is further */
		{ "Mon, Dec 1", 2022, 5, 18, 2025 },
		{ "Tuesday 2 December", 2026, 12, 1, 2025 },
		{ "Wed 18 May", 2026, 12, 1, 2022 },
		{ "Mi. 18.05.", 2026, 12, 1, 2022 },            /* numeric, with its weekday */
		{ "Friday, February 29", 2026, 12, 1, 2036 },   /* leap years only */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct dp_cell c = cell(cases[i].cell, DATE_ORDER_DMY);
		int64_t d;
		if (!dp_year_from_weekday(&c.date, days_of(cases[i].ty, cases[i].tm, cases[i].td), &d))
			fail_msg("'%s': no year found", cases[i].cell);
		int y, m, dd;
		ltime_civil_from_days(d, &y, &m, &dd);
		if (y != cases[i].y || ltime_weekday(d) != c.date.wday)
			fail_msg("'%s': got %04d-%02d-%02d, want the year %d", cases[i].cell, y, m, dd, cases[i].y);
	}
	int64_t d;
	struct dp_cell c = cell("December 1", DATE_ORDER_AUTO);   /* no weekday */
	assert_false(dp_year_from_weekday(&c.date, days_of(2026, 12, 1), &d));
	c = cell("Wednesday, February 29", DATE_ORDER_AUTO);       /* none from 2014 to 2038 */
	assert_false(dp_year_from_weekday(&c.date, days_of(2026, 12, 1), &d));
	c = cell("2025-12-01", DATE_ORDER_AUTO);                   /* has its year */
	assert_false(dp_year_from_weekday(&c.date, days_of(2026, 12, 1), &d));
}

static void test_first_day_option(void **state)
{
	(void)state;
	int64_t d;
	assert_true(dp_ymd("2022-05-18", &d));
	assert_int_equal(d, days_of(2022, 5, 18));
	assert_true(dp_ymd("2024-02-29", &d));
	assert_false(dp_ymd("2023-02-29", &d));
	assert_false(dp_ymd("2022-5-18", &d));
	assert_false(dp_ymd("18.05.2022", &d));
	assert_false(dp_ymd("2022-05-18 09:00", &d));
	assert_false(dp_ymd("", &d));
	assert_false(dp_ymd("yesterday!", &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_zones),
		cmocka_unit_test(test_times_24h),
		cmocka_unit_test(test_times_12h),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_numeric_dates),
		cmocka_unit_test(test_word_dates),
		cmocka_unit_test(test_relative_days),
		cmocka_unit_test(test_date_and_time_in_one_cell),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_empty_and_junk),
		cmocka_unit_test(test_order_evidence),
		cmocka_unit_test(test_placing),
		cmocka_unit_test(test_year_from_weekday),
		cmocka_unit_test(test_first_day_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
