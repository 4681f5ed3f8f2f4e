/* Reading the dates, times, durations and time ranges that schedule exports
 * and hand-made spreadsheets write (DESIGN.md "Import rules").
 *
 * Pure functions: no I/O, no store, no locale (month and weekday names are
 * English and German, with a few French and Spanish ones). Times are minutes
 * after midnight, 0 to 1440 (1440 is "24:00", the end of the day); days are
 * counted from 1970-01-01 as in ltime.h.
 *
 * A numeric date whose first two parts could both be a month ("05/10/2018")
 * is ambiguous: dp_parse reads it in the order it is given (month first for
 * DATE_ORDER_AUTO) and marks it, so a caller that sees the whole file can
 * collect evidence with dp_order_note, pick the order with dp_order_pick and
 * turn a marked date round with dp_swap.
 */
#ifndef LANYARD_DATEPARSE_H
#define LANYARD_DATEPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a file writes day and month: decided from evidence, or given. */
enum date_order { DATE_ORDER_AUTO = 0, DATE_ORDER_DMY, DATE_ORDER_MDY };

enum dp_kind {
	DP_NONE = 0,   /* no date in the cell */
	DP_DATE,       /* a full date: y, m, d */
	DP_WEEKDAY,    /* "fri", "Samstag": placed with the first day */
	DP_DAYNUM,     /* "Day 2": placed with the first day */
	DP_YEARLESS    /* "Monday, March 14": m and d; the year comes from the first day */
};

struct dp_date {
	enum dp_kind kind;
	int y, m, d;      /* DP_DATE; m and d for DP_YEARLESS */
	int wday;         /* DP_WEEKDAY: 0 = Sunday; DP_YEARLESS: the weekday it names, -1 = none */
	int n;            /* DP_DAYNUM: 1 is the first day */
	bool ambiguous;   /* numeric, and day and month may be swapped (dp_swap) */
	int p1, p2;       /* the first two numbers of an n/n/y or n-n-y date, else 0 */
	bool zoned;       /* ISO 8601 with a time and a zone: Z, UTC or an offset */
	int off;          /* that zone's offset east of UTC in minutes */
};

/* What one cell holds: a date, a time, both, or a range. */
struct dp_cell {
	struct dp_date date;   /* the date, or DP_NONE */
	int t1;                /* the (start) time, -1 = none */
	struct dp_date date2;  /* a range's end date when it names one ("... - 2022-05-19 01:00") */
	int t2;                /* a range's end time, -1 = none */
};

/* Parse one cell. Surrounding blanks are ignored; an empty cell gives
 * DP_NONE and t1 = t2 = -1 and succeeds. Returns false (cell cleared) when
 * the text is not a date, a time, a date and time or a range of them. */
bool dp_parse(const char *s, enum date_order order, struct dp_cell *out);

/* A time of day alone: "14:30", "9:05", "09:05:30", "1430", "930", "2:30 PM",
 * "2 p.m.", "14h30", "14.30 Uhr", "noon"; "12:00 AM" is 0, "12:00 PM" 720,
 * "24:00" 1440. A bare number below 100 is not a time. */
bool dp_time(const char *s, int *minutes);

/* A duration, 1 minute to 7 days: "45", "45 min", "90m", "1:30", "01:30:00",
 * "1h30", "1 h 30 min", "1.5 h", "2 hours", "PT1H30M". */
bool dp_duration(const char *s, int *minutes);

/* Swap day and month of an ambiguous date (and of nothing else). */
void dp_swap(struct dp_date *d);

/* A strict 'YYYY-MM-DD' (the --first-day option) as days since the epoch. */
bool dp_ymd(const char *s, int64_t *days);

#define DP_NO_FIRST_DAY INT64_MIN

/* Days since the epoch of a date. Weekdays, day numbers and yearless dates
 * need first_day (days since the epoch, or DP_NO_FIRST_DAY): a weekday is
 * the first such day on or after it, "Day N" is N - 1 days after it, a
 * yearless date takes the year that puts it nearest after it (at most about
 * six months before). Returns false when the date cannot be placed. */
bool dp_place(const struct dp_date *d, int64_t first_day, int64_t *days);

/* A yearless date that names its weekday ("Monday, December 1") has a
 * year: the one nearest today (days since the epoch) in which that day
 * falls on that weekday, within twelve years. False when it names no
 * weekday or none fits. */
bool dp_year_from_weekday(const struct dp_date *d, int64_t today, int64_t *days);

/* Day/month order evidence over a whole file. */
struct dp_order {
	bool first_over_12, second_over_12;
	int64_t min[2], max[2];   /* days, under [0] month first and [1] day first */
	long dates;
};

void dp_order_init(struct dp_order *o);
/* Note one parsed date (only n/n/y and n-n-y dates count). */
void dp_order_note(struct dp_order *o, const struct dp_date *d);
/* DATE_ORDER_DMY or DATE_ORDER_MDY: a part over 12 decides; otherwise the
 * order under which the dates span the fewest days; month first on a tie. */
enum date_order dp_order_pick(const struct dp_order *o);

#endif
