#include "lanyard/ltime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t ltime_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void ltime_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

bool ltime_valid_date(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

int ltime_weekday(int64_t days)
{
	int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
	return (int)(w < 0 ? w + 7 : w);
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool ltime_parse_stamp(const char *s, int64_t *minutes)
{
	int y, m, d, hh = 0, mm = 0;
	if (!s || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || !ltime_valid_date(y, m, d))
		return false;
	if (s[10] != '\0') {
		if (s[10] != ' ' || !digits(s + 11, 2, &hh) || s[13] != ':' || !digits(s + 14, 2, &mm) ||
		    s[16] != '\0' || hh > 23 || mm > 59)
			return false;
	}
	*minutes = ltime_days_from_civil(y, m, d) * 1440 + hh * 60 + mm;
	return true;
}

static void put2(char *out, unsigned v)
{
	out[0] = (char)('0' + v / 10 % 10);
	out[1] = (char)('0' + v % 10);
}

/* Without printf: an import formats two stamps and a day per talk. */
void ltime_format_day(int64_t days, char *out)
{
	int y, m, d;
	ltime_civil_from_days(days, &y, &m, &d);
	unsigned uy = (unsigned)y % 10000u;
	put2(out, uy / 100);
	put2(out + 2, uy % 100);
	out[4] = '-';
	put2(out + 5, (unsigned)m % 100u);
	out[7] = '-';
	put2(out + 8, (unsigned)d % 100u);
	out[10] = '\0';
}

void ltime_format_stamp(int64_t minutes, char *out)
{
	int64_t days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
	unsigned rem = (unsigned)(minutes - days * 1440);
	ltime_format_day(days, out);
	out[10] = ' ';
	put2(out + 11, (rem / 60) % 100u);
	out[13] = ':';
	put2(out + 14, rem % 60);
	out[16] = '\0';
}

void ltime_conf_day(int64_t minutes, char *out)
{
	char buf[17];
	ltime_format_stamp(minutes - LTIME_DAY_START_MIN, buf);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

static int home_year;

void ltime_day_label(const char *ymd, char *out, size_t outlen)
{
	static const char *wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t min;
	if (!ltime_parse_stamp(ymd, &min)) {
		snprintf(out, outlen, "%s", ymd && *ymd ? ymd : "Unscheduled");
		return;
	}
	int y, m, d;
	int64_t days = min / 1440;
	ltime_civil_from_days(days, &y, &m, &d);
	if (home_year && y != home_year)
		snprintf(out, outlen, "%s %2d %s %d", wd[ltime_weekday(days)], d, mon[m - 1], y);
	else
		snprintf(out, outlen, "%s %2d %s", wd[ltime_weekday(days)], d, mon[m - 1]);
}

void ltime_set_home_year(int year)
{
	home_year = year;
}

int64_t ltime_now(void)
{
	const char *env = getenv("LANYARD_NOW");
	int64_t min;
	if (env && ltime_parse_stamp(env, &min))
		return min;
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return ltime_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 1440 +
	       tm.tm_hour * 60 + tm.tm_min;
}
