/* Reading the dates, times, durations and ranges that schedule exports
 * write (see DESIGN.md "Import rules"). Pure functions: no I/O, no store. */
#ifndef LANYARD_WHEN_H
#define LANYARD_WHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lanyard/import.h" /* enum date_order */

enum when_kind {
	WHEN_NONE = 0,
	WHEN_ABS,      /* y-m-d known */
	WHEN_WEEKDAY,  /* "Fri", "Samstag": placed with --first-day */
	WHEN_DAYNUM,   /* "Day 2": placed with --first-day */
	WHEN_YEARLESS  /* "Monday, March 14": year from --first-day */
};

struct when_date {
	enum when_kind kind;
	int y, m, d;   /* WHEN_ABS; m and d for WHEN_YEARLESS */
	int wday;      /* WHEN_WEEKDAY: 0 = Sunday */
	int n;         /* WHEN_DAYNUM */
};

/* What one cell holds: a date, a time, both, or a time range. */
struct when_cell {
	struct when_date date;
	int t1;        /* minutes after midnight (0-1440), -1 = none */
	int t2;        /* end of a range in the cell, -1 = none */
};

/* Day/month order evidence gathered over a whole file (first pass). */
struct when_stats {
	bool first_over_12, second_over_12;
	bool any;
	int64_t min[2], max[2];    /* days since epoch under [0] m/d, [1] d/m */
};

/* Parse a cell. Empty cells give kind WHEN_NONE and t1 = -1 and succeed.
 * On failure returns false with a short reason in why. */
bool when_parse(const char *s, enum date_order order, struct when_cell *out, char *why, size_t whylen);

/* A time of day alone: "14:30", "9:05", "1430", "2:30 PM", "2 p.m.",
 * "12:00 AM" (0), "24:00" (1440). */
bool when_time(const char *s, int *minutes);

/* A duration: "45", "45 min", "1:30", "1h30", "1h", "90m". */
bool when_duration(const char *s, int *minutes);

void when_stats_init(struct when_stats *st);
/* Collect the numeric n/n/yyyy dates of a cell into stats. */
void when_stats_add(struct when_stats *st, const char *s);
/* The order the evidence supports: a value over 12 decides; otherwise the
 * order under which the dates span the fewest days (ties: month first). */
enum date_order when_stats_order(const struct when_stats *st);

/* Days since the epoch for a date; relative dates are placed from
 * first_day ('YYYY-MM-DD', may be NULL: then they fail). */
bool when_place(const struct when_date *d, const char *first_day, int64_t *days);

#endif
