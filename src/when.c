#include "lanyard/when.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"

#define MAXTOK 16
#define RANGE_MARK '\x01'

/* Lower-case ASCII copy, trimmed, with en and em dashes turned into
 * RANGE_MARK. out has room for strlen(s) + 1. */
static void normalise(const char *s, char *out)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t o = 0;
	for (; *s; s++) {
		if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
		    ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94)) {
			out[o++] = RANGE_MARK;
			s += 2;
			continue;
		}
		out[o++] = (char)tolower((unsigned char)*s);
	}
	while (o > 0 && isspace((unsigned char)out[o - 1]))
		o--;
	out[o] = '\0';
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Read 1..max digits; returns the count read. */
static int num(const char *s, int max, int *v)
{
	int n = 0;
	*v = 0;
	while (n < max && isdigit((unsigned char)s[n]))
		*v = *v * 10 + (s[n++] - '0');
	return n;
}

/* Strip a trailing am/pm marker ("am", " pm", "a.m.", "p.m"); returns
 * 0 none, 1 am, 2 pm. s is modified. */
static int strip_ampm(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '.' || isspace((unsigned char)s[n - 1])))
		n--;
	if (n < 2 || s[n - 1] != 'm')
		return 0;
	size_t i = n - 1;
	if (s[i - 1] == '.')
		i--;
	if (i == 0 || (s[i - 1] != 'a' && s[i - 1] != 'p'))
		return 0;
	int kind = s[i - 1] == 'a' ? 1 : 2;
	i--;
	if (i > 0 && isalpha((unsigned char)s[i - 1]))
		return 0; /* a word ending in "am", not a marker */
	s[i] = '\0';
	trim(s);
	return kind;
}

bool when_time(const char *in, int *minutes)
{
	char buf[64];
	size_t len = strlen(in);
	if (len == 0 || len >= sizeof buf)
		return false;
	normalise(in, buf);
	int ampm = strip_ampm(buf);
	char *s = trim(buf);
	int h, m = 0, n;
	size_t digits = strspn(s, "0123456789");
	if ((digits == 3 || digits == 4) && s[digits] == '\0') { /* HMM, HHMM */
		int v = atoi(s);
		h = v / 100;
		m = v % 100;
		if (m > 59 || h > 24 || (h == 24 && m) || ampm)
			return false;
		*minutes = h * 60 + m;
		return true;
	}
	if ((n = num(s, 2, &h)) == 0)
		return false;
	const char *p = s + n;
	if (*p == ':' || *p == 'h' || (*p == '.' && ampm)) {
		p++;
		if (*p == '\0' && s[n] == 'h') {
			m = 0; /* "14h" */
		} else if (num(p, 2, &m) != 2) {
			return false;
		} else {
			p += 2;
		}
		if (*p == ':') { /* seconds, ignored */
			int sec;
			if (num(p + 1, 2, &sec) != 2 || sec > 59)
				return false;
			p += 3;
			if (*p == '.')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
	} else if (n == 2 && isdigit((unsigned char)*p) && num(p, 2, &m) == 2 && !isdigit((unsigned char)p[2])) {
		p += 2; /* HHMM */
	} else if (n == 1 && isdigit((unsigned char)*p)) {
		/* HMM, e.g. 930 */
		int rest;
		if (num(p, 2, &rest) != 2 || isdigit((unsigned char)p[2]))
			return false;
		m = rest;
		p += 2;
	} else if (!ampm && *p == '\0') {
		return false; /* a bare number is not a time without am/pm */
	}
	if (*p != '\0' || m > 59)
		return false;
	if (ampm) {
		if (h < 1 || h > 12)
			return false;
		h = (h % 12) + (ampm == 2 ? 12 : 0);
	} else if (h > 24 || (h == 24 && m != 0)) {
		return false;
	}
	*minutes = h * 60 + m;
	return true;
}

bool when_duration(const char *in, int *minutes)
{
	char buf[64];
	size_t len = strlen(in);
	if (len == 0 || len >= sizeof buf)
		return false;
	normalise(in, buf);
	char *s = trim(buf);
	if (s[0] == 'p' && s[1] == 't') { /* ISO 8601: PT1H30M */
		int total = 0, v, n;
		const char *p = s + 2;
		while (*p) {
			if ((n = num(p, 4, &v)) == 0)
				return false;
			p += n;
			if (*p == 'h')
				total += v * 60;
			else if (*p == 'm')
				total += v;
			else if (*p != 's')
				return false;
			p++;
		}
		*minutes = total;
		return total > 0;
	}
	int h = 0, m = 0, v, n;
	const char *p = s;
	if ((n = num(p, 4, &v)) == 0)
		return false;
	p += n;
	while (*p == ' ')
		p++;
	if (*p == ':') {
		h = v;
		if (num(p + 1, 2, &m) != 2)
			return false;
		p += 3;
		if (*p == ':') /* H:MM:SS */
			p += 3;
	} else if (*p == 'h') {
		h = v;
		while (isalpha((unsigned char)*p))
			p++;
		while (*p == ' ')
			p++;
		if (*p) {
			if ((n = num(p, 2, &m)) == 0)
				return false;
			p += n;
			while (*p == ' ')
				p++;
			while (isalpha((unsigned char)*p))
				p++;
		}
	} else {
		m = v;
		if (*p && strncmp(p, "m", 1) != 0)
			return false;
		while (isalpha((unsigned char)*p))
			p++;
	}
	while (*p == ' ' || *p == '.')
		p++;
	if (*p != '\0' || m > 10000)
		return false;
	int total = h * 60 + m;
	if (total <= 0 || total > 7 * 24 * 60)
		return false;
	*minutes = total;
	return true;
}

/* ---- dates ------------------------------------------------------------ */

struct name {
	const char *word;
	int value;
};

static const struct name months[] = {
	{ "january", 1 }, { "jan", 1 }, { "januar", 1 }, { "janvier", 1 }, { "enero", 1 },
	{ "february", 2 }, { "feb", 2 }, { "februar", 2 }, { "fevrier", 2 }, { "febrero", 2 },
	{ "march", 3 }, { "mar", 3 }, { "m\xc3\xa4rz", 3 }, { "maerz", 3 }, { "mars", 3 }, { "marzo", 3 },
	{ "april", 4 }, { "apr", 4 }, { "avril", 4 }, { "abril", 4 },
	{ "may", 5 }, { "mai", 5 }, { "mayo", 5 },
	{ "june", 6 }, { "jun", 6 }, { "juni", 6 }, { "juin", 6 }, { "junio", 6 },
	{ "july", 7 }, { "jul", 7 }, { "juli", 7 }, { "juillet", 7 }, { "julio", 7 },
	{ "august", 8 }, { "aug", 8 }, { "aout", 8 }, { "agosto", 8 },
	{ "september", 9 }, { "sep", 9 }, { "sept", 9 }, { "septembre", 9 }, { "septiembre", 9 },
	{ "october", 10 }, { "oct", 10 }, { "oktober", 10 }, { "okt", 10 }, { "octobre", 10 }, { "octubre", 10 },
	{ "november", 11 }, { "nov", 11 }, { "novembre", 11 }, { "noviembre", 11 },
	{ "december", 12 }, { "dec", 12 }, { "dezember", 12 }, { "dez", 12 }, { "decembre", 12 }, { "diciembre", 12 },
};

static const struct name weekdays[] = {
	{ "sunday", 0 }, { "sun", 0 }, { "sonntag", 0 }, { "dimanche", 0 }, { "domingo", 0 },
	{ "monday", 1 }, { "mon", 1 }, { "montag", 1 }, { "lundi", 1 }, { "lunes", 1 },
	{ "tuesday", 2 }, { "tue", 2 }, { "tues", 2 }, { "dienstag", 2 }, { "mardi", 2 }, { "martes", 2 },
	{ "wednesday", 3 }, { "wed", 3 }, { "mittwoch", 3 }, { "mercredi", 3 },
	{ "thursday", 4 }, { "thu", 4 }, { "thur", 4 }, { "thurs", 4 }, { "donnerstag", 4 }, { "jeudi", 4 }, { "jueves", 4 },
	{ "friday", 5 }, { "fri", 5 }, { "freitag", 5 }, { "vendredi", 5 }, { "viernes", 5 },
	{ "saturday", 6 }, { "sat", 6 }, { "samstag", 6 }, { "sonnabend", 6 }, { "samedi", 6 }, { "sabado", 6 },
};

static int lookup(const struct name *t, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].word, w) == 0)
			return t[i].value;
	return -1;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int full_year(int y, int digits)
{
	return digits <= 2 ? 2000 + y : y;
}

/* "a/b/y", "a-b-y" (numeric, ambiguous), "d.m.y", "y-m-d", "y/m/d". */
static bool numeric_date(const char *s, enum date_order order, struct when_date *d)
{
	int a, b, c, na, nb, nc;
	const char *p = s;
	if ((na = num(p, 4, &a)) == 0)
		return false;
	p += na;
	char sep = *p;
	if (sep != '/' && sep != '-' && sep != '.')
		return false;
	if ((nb = num(++p, 2, &b)) == 0)
		return false;
	p += nb;
	if (*p != sep) {
		/* "18.05." without a year */
		if (sep == '.' && (*p == '\0' || (*p == '.' && p[1] == '\0')) && na <= 2) {
			d->kind = WHEN_YEARLESS;
			d->d = a;
			d->m = b;
			return b >= 1 && b <= 12 && a >= 1 && a <= 31;
		}
		return false;
	}
	if ((nc = num(++p, 4, &c)) == 0 || p[nc] != '\0')
		return false;
	int y, m, dd;
	if (na == 4) { /* year first */
		y = a, m = b, dd = c;
	} else if (nc != 2 && nc != 4) {
		return false;
	} else if (sep == '.') {
		y = full_year(c, nc), m = b, dd = a;
	} else {
		y = full_year(c, nc);
		bool mdy = order != DATE_ORDER_DMY;
		if (a > 12 && b <= 12)
			mdy = false;
		else if (b > 12 && a <= 12)
			mdy = true;
		m = mdy ? a : b;
		dd = mdy ? b : a;
	}
	if (!ltime_valid_date(y, m, dd))
		return false;
	d->kind = WHEN_ABS;
	d->y = y, d->m = m, d->d = dd;
	return true;
}

/* Dates in words: "18 May 2022", "May 18, 2022", "Wednesday, May 18, 2022",
 * "Monday, March 14", "fri", "Samstag", "Day 2". */
static bool word_date(char **tok, int n, enum date_order order, struct when_date *d)
{
	int wday = -1, month = -1, day = -1, year = -1, daynum = -1;
	if (n == 1 && numeric_date(tok[0], order, d))
		return true;
	for (int i = 0; i < n; i++) {
		char *w = tok[i];
		size_t len = strlen(w);
		while (len > 0 && (w[len - 1] == '.' || w[len - 1] == ','))
			w[--len] = '\0';
		if (len == 0)
			continue;
		int v;
		if (strcmp(w, "day") == 0 || strcmp(w, "tag") == 0 || strcmp(w, "jour") == 0 ||
		    strcmp(w, "dia") == 0) {
			if (i + 1 < n && all_digits(tok[i + 1], 1, 2)) {
				daynum = atoi(tok[++i]);
				continue;
			}
			return false;
		}
		if (len > 3 && strncmp(w, "day", 3) == 0 && all_digits(w + 3, 1, 2)) {
			daynum = atoi(w + 3);
			continue;
		}
		if ((v = lookup(weekdays, sizeof weekdays / sizeof weekdays[0], w)) >= 0) {
			wday = v;
			continue;
		}
		if ((v = lookup(months, sizeof months / sizeof months[0], w)) >= 0) {
			month = v;
			continue;
		}
		/* 18, 18th, 1st, 2nd, 3rd */
		size_t digits = strspn(w, "0123456789");
		if (digits > 0 && digits <= 2 &&
		    (w[digits] == '\0' || strcmp(w + digits, "st") == 0 || strcmp(w + digits, "nd") == 0 ||
		     strcmp(w + digits, "rd") == 0 || strcmp(w + digits, "th") == 0)) {
			day = atoi(w);
			continue;
		}
		if (digits == 4 && w[4] == '\0') {
			year = atoi(w);
			continue;
		}
		return false;
	}
	if (month > 0 && day > 0) {
		if (year > 0) {
			if (!ltime_valid_date(year, month, day))
				return false;
			d->kind = WHEN_ABS;
			d->y = year;
		} else {
			if (day > 31)
				return false;
			d->kind = WHEN_YEARLESS;
		}
		d->m = month;
		d->d = day;
		return true;
	}
	if (month > 0 || day > 0 || year > 0)
		return false;
	if (daynum > 0) {
		d->kind = WHEN_DAYNUM;
		d->n = daynum;
		return true;
	}
	if (wday >= 0) {
		d->kind = WHEN_WEEKDAY;
		d->wday = wday;
		return true;
	}
	return false;
}

/* ISO 8601 at the start of s: 2022-05-18, 2022-05-18T11:00:00+02:00. The
 * wall-clock time is kept; a zone suffix is ignored. */
static bool iso(char *s, struct when_cell *c)
{
	int y, m, d;
	if (num(s, 4, &y) != 4 || s[4] != '-' || num(s + 5, 2, &m) != 2 || s[7] != '-' ||
	    num(s + 8, 2, &d) != 2 || isdigit((unsigned char)s[10]))
		return false;
	if (!ltime_valid_date(y, m, d))
		return false;
	char *rest = s + 10;
	if (*rest == 't')
		rest++;
	rest = trim(rest);
	if (*rest) {
		/* Drop a zone: "z", "+02:00", "-0500", "utc". */
		size_t n = strlen(rest);
		if (n > 3 && strcmp(rest + n - 3, "utc") == 0)
			rest[n -= 3] = '\0';
		else if (rest[n - 1] == 'z')
			rest[--n] = '\0';
		char *zone = NULL;
		for (char *p = rest + 1; *p; p++)
			if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) && strchr(rest, ':') < p)
				zone = p;
		if (zone)
			*zone = '\0';
		if (!when_time(trim(rest), &c->t1))
			return false;
	}
	c->date.kind = WHEN_ABS;
	c->date.y = y, c->date.m = m, c->date.d = d;
	return true;
}

static bool is_ampm_word(const char *w)
{
	return strcmp(w, "am") == 0 || strcmp(w, "pm") == 0 || strcmp(w, "a.m.") == 0 ||
	       strcmp(w, "p.m.") == 0 || strcmp(w, "a.m") == 0 || strcmp(w, "p.m") == 0;
}

static bool looks_like_time(const char *w)
{
	size_t n = strlen(w);
	if (strchr(w, ':'))
		return true;
	return n >= 2 && isdigit((unsigned char)w[0]) &&
	       (strcmp(w + n - 2, "am") == 0 || strcmp(w + n - 2, "pm") == 0 ||
	        (n >= 4 && (strcmp(w + n - 4, "a.m.") == 0 || strcmp(w + n - 4, "p.m.") == 0)));
}

/* A date, a time, or a date followed by a time. s is normalised and may
 * be modified. */
static bool datetime(char *s, enum date_order order, struct when_cell *c)
{
	s = trim(s);
	c->date.kind = WHEN_NONE;
	c->t1 = -1;
	if (*s == '\0')
		return false;
	if (iso(s, c))
		return true;
	/* The whole cell may be a time ("1430", "9:30", "2 pm"). */
	if (when_time(s, &c->t1))
		return true;
	char *tok[MAXTOK];
	int n = 0;
	for (char *p = strtok(s, " ,\t"); p && n < MAXTOK; p = strtok(NULL, " ,\t"))
		tok[n++] = p;
	if (n == 0)
		return false;
	/* A time at the end: "09:30", "9:30am", or "9:30" "am". */
	char tbuf[32];
	if (n >= 2 && is_ampm_word(tok[n - 1]) && strlen(tok[n - 2]) < 16) {
		snprintf(tbuf, sizeof tbuf, "%s %s", tok[n - 2], tok[n - 1]);
		if (!when_time(tbuf, &c->t1))
			return false;
		n -= 2;
	} else if (looks_like_time(tok[n - 1])) {
		if (!when_time(tok[n - 1], &c->t1))
			return false;
		n -= 1;
	}
	if (n == 0)
		return c->t1 >= 0;
	return word_date(tok, n, order, &c->date);
}

bool when_parse(const char *in, enum date_order order, struct when_cell *out, char *why, size_t whylen)
{
	out->date.kind = WHEN_NONE;
	out->t1 = out->t2 = -1;
	size_t len = strlen(in);
	char *buf = malloc(len + 1);
	if (!buf) {
		if (why && whylen)
			snprintf(why, whylen, "out of memory");
		return false;
	}
	normalise(in, buf);
	bool ok = true;
	if (*buf == '\0')
		goto done;
	/* A range in one cell: "09:00 - 10:30", "8:00 AM – 9:15 AM", "9 to 10". */
	char *sep = strchr(buf, RANGE_MARK);
	size_t seplen = 1;
	if (!sep && (sep = strstr(buf, " - ")))
		seplen = 3;
	if (!sep && (sep = strstr(buf, " to ")))
		seplen = 4;
	if (!sep) {
		/* "09:00-10:30": a bare hyphen between two times. */
		char *h = strrchr(buf, '-');
		int tmp;
		if (h && h > buf && strchr(h + 1, ':') && when_time(h + 1, &tmp) && strchr(buf, ':') < h)
			sep = h;
	}
	if (sep) {
		char *right = sep + seplen;
		*sep = '\0';
		struct when_cell r;
		if (!datetime(buf, order, out) || out->t1 < 0) {
			ok = false;
		} else if (when_time(trim(right), &out->t2)) {
			ok = true;
		} else {
			ok = datetime(right, order, &r) && r.t1 >= 0;
			out->t2 = r.t1;
		}
	} else {
		ok = datetime(buf, order, out);
	}
done:
	if (!ok) {
		out->date.kind = WHEN_NONE;
		out->t1 = out->t2 = -1;
		if (why && whylen)
			snprintf(why, whylen, "cannot read '%s' as a date or time", in);
	}
	free(buf);
	return ok;
}

void when_stats_init(struct when_stats *st)
{
	memset(st, 0, sizeof *st);
	st->min[0] = st->min[1] = INT64_MAX;
	st->max[0] = st->max[1] = INT64_MIN;
}

void when_stats_add(struct when_stats *st, const char *s)
{
	/* Find n/n/nn[nn] or n-n-nnnn with a one- or two-digit first part. */
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
			continue;
		int a, b, y, na, nb, ny;
		if ((na = num(p, 3, &a)) > 2)
			continue;
		char sep = p[na];
		if (sep != '/' && sep != '-')
			continue;
		if ((nb = num(p + na + 1, 3, &b)) == 0 || nb > 2 || p[na + 1 + nb] != sep)
			continue;
		ny = num(p + na + nb + 2, 5, &y);
		if ((ny != 2 && ny != 4) || (sep == '-' && ny != 4))
			continue;
		y = full_year(y, ny);
		if (a > 12)
			st->first_over_12 = true;
		if (b > 12)
			st->second_over_12 = true;
		int reading[2][2] = { { a, b }, { b, a } }; /* [0] m/d, [1] d/m */
		for (int r = 0; r < 2; r++) {
			int m = reading[r][0], d = reading[r][1];
			if (!ltime_valid_date(y, m, d))
				continue;
			int64_t days = ltime_days_from_civil(y, m, d);
			if (days < st->min[r])
				st->min[r] = days;
			if (days > st->max[r])
				st->max[r] = days;
		}
		st->any = true;
		return;
	}
}

enum date_order when_stats_order(const struct when_stats *st)
{
	if (!st->any)
		return DATE_ORDER_AUTO;
	if (st->first_over_12 && !st->second_over_12)
		return DATE_ORDER_DMY;
	if (st->second_over_12 && !st->first_over_12)
		return DATE_ORDER_MDY;
	if (st->first_over_12 && st->second_over_12)
		return DATE_ORDER_AUTO; /* mixed: each date decides for itself */
	/* A reading under which some date was impossible has an empty range. */
	int64_t span_mdy = st->min[0] <= st->max[0] ? st->max[0] - st->min[0] : INT64_MAX;
	int64_t span_dmy = st->min[1] <= st->max[1] ? st->max[1] - st->min[1] : INT64_MAX;
	return span_dmy < span_mdy ? DATE_ORDER_DMY : DATE_ORDER_MDY;
}

bool when_place(const struct when_date *d, const char *first_day, int64_t *days)
{
	if (d->kind == WHEN_ABS) {
		*days = ltime_days_from_civil(d->y, d->m, d->d);
		return true;
	}
	int64_t first;
	if (!first_day || !ltime_parse_stamp(first_day, &first))
		return false;
	first /= 1440;
	int fy, fm, fd;
	ltime_civil_from_days(first, &fy, &fm, &fd);
	switch (d->kind) {
	case WHEN_WEEKDAY:
		*days = first + ((d->wday - ltime_weekday(first)) + 7) % 7;
		return true;
	case WHEN_DAYNUM:
		*days = first + d->n - 1;
		return d->n >= 1 && d->n <= 366;
	case WHEN_YEARLESS: {
		int y = fy;
		if (!ltime_valid_date(y, d->m, d->d) && !ltime_valid_date(++y, d->m, d->d))
			return false;
		*days = ltime_days_from_civil(y, d->m, d->d);
		if (*days < first - 180 && ltime_valid_date(y + 1, d->m, d->d))
			*days = ltime_days_from_civil(y + 1, d->m, d->d);
		return true;
	}
	default:
		return false;
	}
}
