/* Conference wall-clock time. Talks are stored as local 'YYYY-MM-DD HH:MM'
 * stamps; arithmetic uses minutes since 1970-01-01 00:00 of that local clock
 * (no time zone maths: a conference happens in one place). */
#ifndef LANYARD_LTIME_H
#define LANYARD_LTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A conference day runs from 04:00 to 04:00 (as pretalx does). */
#define LTIME_DAY_START_MIN (4 * 60)

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t ltime_days_from_civil(int y, int m, int d);
void ltime_civil_from_days(int64_t days, int *y, int *m, int *d);
bool ltime_valid_date(int y, int m, int d);
int ltime_weekday(int64_t days); /* 0 = Sunday */

/* Parse 'YYYY-MM-DD HH:MM' (or 'YYYY-MM-DD' as midnight) into minutes. */
bool ltime_parse_stamp(const char *s, int64_t *minutes);
/* Format days as 'YYYY-MM-DD' (out >= 11 bytes). */
void ltime_format_day(int64_t days, char *out);
/* Format minutes as 'YYYY-MM-DD HH:MM' (out >= 17 bytes). */
void ltime_format_stamp(int64_t minutes, char *out);
/* The conference day (YYYY-MM-DD, out >= 11 bytes) a stamp belongs to. */
void ltime_conf_day(int64_t minutes, char *out);
/* "Wed 18 May" for 'YYYY-MM-DD' (English, locale-independent); a date in
 * another year than the home year (ltime_set_home_year) names its year:
 * "Thu 18 May 2023". */
void ltime_day_label(const char *ymd, char *out, size_t outlen);
/* The year day labels leave out (the conference's). 0, the default, never
 * names a year. */
void ltime_set_home_year(int year);
/* "now" on the conference's clock: $LANYARD_NOW ('YYYY-MM-DD HH:MM') when
 * set and valid, else the local time. */
int64_t ltime_now(void);

#endif
