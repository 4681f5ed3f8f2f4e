/* libFuzzer target for the date, time, duration and range reader alone
 * (dateparse.h): any bytes, as one cell.
 *
 * Whatever the cell holds, in every day/month order:
 *  - a parsed date is a real calendar date (DP_DATE), a weekday 0-6, a day
 *    number, or a yearless month and day that exist in some year;
 *  - times are -1 (none) or 0..1440 minutes; a range's end is set only
 *    with a start;
 *  - an ambiguous date swapped twice is itself again;
 *  - a duration is 1 minute to 7 days;
 *  - dp_ymd accepts exactly what formats back to the same text;
 *  - placing a date never overflows, and the order picked from the
 *    evidence is one of the two orders.
 * A broken rule aborts, which libFuzzer (or the replay driver) reports.
 *
 *   make fuzz                           all three targets
 *   build/tests/test_fuzz_dateparse     the corpus, in every test run */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/dateparse.h"
#include "lanyard/ltime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *cell)
{
	fprintf(stderr, "fuzz_dateparse: %s: '%s'\n", what, cell);
	abort();
}

static void check_date(const struct dp_date *d, const char *cell)
{
	switch (d->kind) {
	case DP_NONE:
		break;
	case DP_DATE:
		if (!ltime_valid_date(d->y, d->m, d->d))
			fail("not a calendar date", cell);
		break;
	case DP_WEEKDAY:
		if (d->wday < 0 || d->wday > 6)
			fail("weekday out of range", cell);
		break;
	case DP_DAYNUM:
		break;
	case DP_YEARLESS:
		if (!ltime_valid_date(2024, d->m, d->d)) /* a leap year holds every month-day */
			fail("yearless date that no year has", cell);
		break;
	default:
		fail("unknown kind", cell);
	}
	if (d->ambiguous) {
		struct dp_date twice = *d;
		dp_swap(&twice);
		dp_swap(&twice);
		if (memcmp(&twice, d, sizeof twice) != 0)
			fail("swapping twice changed the date", cell);
	}
	int64_t first = ltime_days_from_civil(2022, 5, 18), days;
	if (d->kind != DP_NONE && dp_place(d, first, &days)) {
		if (days < ltime_days_from_civil(-9999, 1, 1) || days > ltime_days_from_civil(99999, 12, 31))
			fail("placed outside any sane year", cell);
	}
}

static void check_time(int t, const char *cell)
{
	if (t < -1 || t > 1440)
		fail("time out of range", cell);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0; /* a cell; the importer's target covers long input */
	char *cell = malloc(size + 1);
	if (!cell)
		return 0;
	memcpy(cell, data, size);
	cell[size] = '\0';
	static const enum date_order orders[] = { DATE_ORDER_AUTO, DATE_ORDER_DMY, DATE_ORDER_MDY };
	struct dp_order ev;
	dp_order_init(&ev);
	for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++) {
		struct dp_cell c;
		if (!dp_parse(cell, orders[i], &c))
			continue;
		check_date(&c.date, cell);
		check_date(&c.date2, cell);
		check_time(c.t1, cell);
		check_time(c.t2, cell);
		if (c.t2 >= 0 && c.t1 < 0)
			fail("a range's end without a start", cell);
		dp_order_note(&ev, &c.date);
	}
	enum date_order picked = dp_order_pick(&ev);
	if (picked != DATE_ORDER_DMY && picked != DATE_ORDER_MDY)
		fail("picked neither order", cell);
	int minutes = -2;
	if (dp_time(cell, &minutes))
		check_time(minutes, cell);
	if (dp_duration(cell, &minutes) && (minutes < 1 || minutes > 7 * 1440))
		fail("duration out of range", cell);
	int64_t days;
	if (dp_ymd(cell, &days)) {
		int y, m, d;
		ltime_civil_from_days(days, &y, &m, &d);
		char back[32];
		snprintf(back, sizeof back, "%04d-%02d-%02d", y, m, d);
		if (strcmp(back, cell) != 0)
			fail("dp_ymd accepted what does not format back", cell);
	}
	free(cell);
	return 0;
}
