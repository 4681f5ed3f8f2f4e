/* Dates, times, durations and ranges in the shapes exports write them. */
#include "lanyard/dateparse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"

#define MAXCELL 256     /* longer cells are not dates */
#define MAXTOK 24
#define RANGE '\x01'    /* en dash, em dash, minus sign after normalising */

/* ---- normalising ------------------------------------------------------- */

/* Copy s into out (MAXCELL bytes) lower-cased, trimmed, with Unicode spaces
 * as ' ' and dashes as RANGE. Returns false if s is too long to be a date. */
static bool normalise(const char *s, char *out)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (o + 4 >= MAXCELL)
			return false;
		if (p[0] == 0xC2 && p[1] == 0xA0) { /* no-break space */
			out[o++] = ' ';
			p += 2;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF)) {
			out[o++] = ' '; /* en/em/thin/narrow no-break spaces */
			p += 3;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x92 && p[2] <= 0x95) {
			out[o++] = RANGE; /* figure dash, en dash, em dash, bar */
			p += 3;
		} else if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) {
			out[o++] = RANGE; /* minus sign */
			p += 3;
		} else if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
			out[o++] = (char)0xC3; /* Latin-1 capitals: Ä -> ä */
			out[o++] = (char)(p[1] + 0x20);
			p += 2;
		} else if (isspace(*p)) {
			out[o++] = ' ';
			p++;
		} else {
			out[o++] = (char)tolower(*p);
			p++;
		}
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	size_t lead = strspn(out, " ");
	memmove(out, out + lead, o - lead + 1);
	return true;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == ',')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ','))
		s[--n] = '\0';
	return s;
}

/* Read up to max digits; returns how many were read. */
static int num(const char *s, int max, int *v)
{
	int n = 0;
	*v = 0;
	while (n < max && isdigit((unsigned char)s[n]))
		*v = *v * 10 + (s[n++] - '0');
	return n;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* ---- times -------------------------------------------------------------- */

enum { NO_MARK = 0, AM, PM };

struct tval {
	int min;      /* minutes after midnight */
	int mark;     /* AM, PM or NO_MARK as written */
	int hour;     /* the hour as written */
};

/* Strip a trailing am/pm marker or "uhr"/"h" from s (normalised, modified).
 * Returns AM, PM or NO_MARK; *suffix says "uhr" or a lone "h" was there. */
static int strip_marker(char *s, bool *suffix)
{
	size_t n = strlen(s);
	*suffix = false;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	s[n] = '\0';
	static const struct {
		const char *text;
		int mark;
	} marks[] = {
		{ "a.m.", AM }, { "p.m.", PM }, { "a.m", AM }, { "p.m", PM },
		{ "am", AM }, { "pm", PM }, { "a", AM }, { "p", PM },
	};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		size_t k = strlen(marks[i].text);
		if (!ends_with(s, n, marks[i].text))
			continue;
		size_t before = n - k;
		while (before > 0 && s[before - 1] == ' ')
			before--;
		/* The marker must follow a number: "9am", "9:30 pm", not "spam". */
		if (before == 0 || !isdigit((unsigned char)s[before - 1]))
			continue;
		s[before] = '\0';
		return marks[i].mark;
	}
	if (ends_with(s, n, "uhr") || (n >= 2 && s[n - 1] == 'h' && isdigit((unsigned char)s[n - 2]))) {
		size_t before = n - (s[n - 1] == 'h' ? 1 : 3);
		while (before > 0 && s[before - 1] == ' ')
			before--;
		if (before > 0 && isdigit((unsigned char)s[before - 1])) {
			s[before] = '\0';
			*suffix = true;
		}
	}
	return NO_MARK;
}

/* A time of day, with the marker as written. inherit (AM/PM) applies to a
 * time written without one, as in the left half of "1:00 - 2:30 PM". */
static bool parse_time(const char *in, int inherit, struct tval *out)
{
	char buf[MAXCELL];
	size_t len = strlen(in);
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, in, len + 1);
	char *s = trim(buf);
	if (strcmp(s, "noon") == 0 || strcmp(s, "mittag") == 0) {
		*out = (struct tval){ 720, PM, 12 };
		return true;
	}
	if (strcmp(s, "midnight") == 0 || strcmp(s, "mitternacht") == 0) {
		*out = (struct tval){ 0, AM, 12 };
		return true;
	}
	bool suffix;
	int mark = strip_marker(s, &suffix);
	s = trim(s);
	int h, m = 0, n;
	bool bare = false;
	size_t digits = strspn(s, "0123456789");
	if ((digits == 3 || digits == 4) && s[digits] == '\0') { /* HMM, HHMM */
		int v = atoi(s);
		h = v / 100;
		m = v % 100;
	} else {
		if ((n = num(s, 2, &h)) == 0)
			return false;
		const char *p = s + n;
		if (*p == ':' || *p == '.' || *p == 'h') {
			if (num(p + 1, 2, &m) != 2)
				return false;
			p += 3;
			if (*p == ':' || (*p == '.' && s[n] == ':')) { /* seconds, dropped */
				int sec;
				if (num(p + 1, 2, &sec) != 2 || sec > 59)
					return false;
				p += 3;
				if (*p == '.' || *p == ',')
					for (p++; isdigit((unsigned char)*p); p++)
						;
			}
			if (*p == 'm' && s[n] == 'h')
				p++; /* "1h30m" */
		} else {
			bare = true;
		}
		if (*p != '\0')
			return false;
	}
	if (m > 59)
		return false;
	if (mark == NO_MARK && bare && !suffix) {
		if (!inherit)
			return false; /* "9" is a number, not a time */
		mark = inherit;
	} else if (mark == NO_MARK && inherit && h >= 1 && h <= 12) {
		mark = inherit;
	}
	out->hour = h;
	out->mark = mark;
	if (mark != NO_MARK) {
		if (h > 12)
			return false;
		h = h % 12 + (mark == PM ? 12 : 0);
	} else if (h > 24 || (h == 24 && m != 0)) {
		return false;
	}
	out->min = h * 60 + m;
	return true;
}

bool dp_time(const char *s, int *minutes)
{
	char buf[MAXCELL];
	struct tval t;
	if (!normalise(s, buf) || !parse_time(buf, NO_MARK, &t))
		return false;
	*minutes = t.min;
	return true;
}

/* ---- durations ----------------------------------------------------------- */

/* A unit word: 60 for hours, 1 for minutes, 0 for none, -1 unknown. */
static int unit_of(const char *w, size_t n)
{
	static const char *const hours[] = { "h", "hr", "hrs", "hour", "hours", "std", "std.",
	                                     "stunde", "stunden" };
	static const char *const mins[] = { "m", "min", "min.", "mins", "minute", "minutes",
	                                    "minuten", "'" };
	if (n == 0)
		return 0;
	for (size_t i = 0; i < sizeof hours / sizeof hours[0]; i++)
		if (strlen(hours[i]) == n && memcmp(w, hours[i], n) == 0)
			return 60;
	for (size_t i = 0; i < sizeof mins / sizeof mins[0]; i++)
		if (strlen(mins[i]) == n && memcmp(w, mins[i], n) == 0)
			return 1;
	return -1;
}

bool dp_duration(const char *in, int *minutes)
{
	char buf[MAXCELL];
	if (!normalise(in, buf) || !*buf)
		return false;
	const char *s = buf;
	long total = 0;
	if (s[0] == 'p' && s[1] == 't') { /* ISO 8601: PT1H30M */
		const char *p = s + 2;
		int v, n;
		if (!*p)
			return false;
		while (*p) {
			if ((n = num(p, 5, &v)) == 0)
				return false;
			p += n;
			if (*p == 'h')
				total += v * 60L;
			else if (*p == 'm')
				total += v;
			else if (*p != 's')
				return false;
			p++;
		}
	} else if (strchr(s, ':')) { /* H:MM or H:MM:SS */
		int h, m, n;
		if ((n = num(s, 3, &h)) == 0 || s[n] != ':' || num(s + n + 1, 2, &m) != 2 || m > 59)
			return false;
		const char *p = s + n + 3;
		if (*p == ':') {
			int sec;
			if (num(p + 1, 2, &sec) != 2)
				return false;
			p += 3;
		}
		if (*p)
			return false;
		total = h * 60L + m;
	} else {
		/* Numbers with units: "90", "45 min", "1h30", "1 h 30 min", "1.5 h". */
		const char *p = s;
		int parts = 0;
		int last_unit = 0;
		while (*p) {
			while (*p == ' ')
				p++;
			if (!*p)
				break;
			int whole, n, frac = 0, fdigits = 0;
			if ((n = num(p, 5, &whole)) == 0)
				return false;
			p += n;
			if ((*p == '.' || *p == ',') && isdigit((unsigned char)p[1])) {
				const char *f = p + 1;
				fdigits = num(f, 3, &frac);
				p = f + fdigits;
				while (isdigit((unsigned char)*p))
					p++;
			}
			while (*p == ' ')
				p++;
			const char *w = p;
			while (*p && !isdigit((unsigned char)*p) && *p != ' ')
				p++;
			int unit = unit_of(w, (size_t)(p - w));
			if (unit < 0)
				return false;
			if (unit == 0) {
				/* No unit: minutes; after hours ("1h30"), minutes too; a
				 * fraction alone ("1.5") reads as hours. */
				unit = fdigits && frac && last_unit != 60 ? 60 : 1;
				if (fdigits && frac && unit == 1)
					return false;
			}
			double v = whole;
			if (fdigits) {
				double scale = 1;
				for (int i = 0; i < fdigits; i++)
					scale *= 10;
				v += frac / scale;
			}
			total += (long)(v * unit + 0.5);
			last_unit = unit;
			if (++parts > 2)
				return false;
		}
		if (parts == 0)
			return false;
	}
	if (total <= 0 || total > 7 * 24 * 60)
		return false;
	*minutes = (int)total;
	return true;
}

/* ---- dates --------------------------------------------------------------- */

struct name {
	const char *word;
	int value;
};

static const struct name months[] = {
	{ "january", 1 }, { "jan", 1 }, { "januar", 1 }, { "j\xc3\xa4nner", 1 }, { "janvier", 1 }, { "enero", 1 },
	{ "february", 2 }, { "feb", 2 }, { "februar", 2 }, { "f\xc3\xa9vrier", 2 }, { "fevrier", 2 },
	{ "febrero", 2 }, { "feber", 2 },
	{ "march", 3 }, { "mar", 3 }, { "m\xc3\xa4rz", 3 }, { "maerz", 3 }, { "m\xc3\xa4r", 3 }, { "mars", 3 },
	{ "marzo", 3 },
	{ "april", 4 }, { "apr", 4 }, { "avril", 4 }, { "abril", 4 },
	{ "may", 5 }, { "mai", 5 }, { "mayo", 5 },
	{ "june", 6 }, { "jun", 6 }, { "juni", 6 }, { "juin", 6 }, { "junio", 6 },
	{ "july", 7 }, { "jul", 7 }, { "juli", 7 }, { "juillet", 7 }, { "julio", 7 },
	{ "august", 8 }, { "aug", 8 }, { "ao\xc3\xbbt", 8 }, { "aout", 8 }, { "agosto", 8 },
	{ "september", 9 }, { "sep", 9 }, { "sept", 9 }, { "septembre", 9 }, { "septiembre", 9 },
	{ "october", 10 }, { "oct", 10 }, { "oktober", 10 }, { "okt", 10 }, { "octobre", 10 },
	{ "octubre", 10 },
	{ "november", 11 }, { "nov", 11 }, { "novembre", 11 }, { "noviembre", 11 },
	{ "december", 12 }, { "dec", 12 }, { "dezember", 12 }, { "dez", 12 }, { "d\xc3\xa9" "cembre", 12 },
	{ "decembre", 12 }, { "diciembre", 12 },
};

static const struct name weekdays[] = {
	{ "sunday", 0 }, { "sun", 0 }, { "sonntag", 0 }, { "so", 0 }, { "dimanche", 0 }, { "domingo", 0 },
	{ "monday", 1 }, { "mon", 1 }, { "montag", 1 }, { "mo", 1 }, { "lundi", 1 }, { "lunes", 1 },
	{ "tuesday", 2 }, { "tue", 2 }, { "tues", 2 }, { "dienstag", 2 }, { "di", 2 }, { "mardi", 2 },
	{ "martes", 2 },
	{ "wednesday", 3 }, { "wed", 3 }, { "mittwoch", 3 }, { "mi", 3 }, { "mercredi", 3 },
	{ "mi\xc3\xa9rcoles", 3 }, { "miercoles", 3 },
	{ "thursday", 4 }, { "thu", 4 }, { "thur", 4 }, { "thurs", 4 }, { "donnerstag", 4 }, { "do", 4 },
	{ "jeudi", 4 }, { "jueves", 4 },
	{ "friday", 5 }, { "fri", 5 }, { "freitag", 5 }, { "fr", 5 }, { "vendredi", 5 }, { "viernes", 5 },
	{ "saturday", 6 }, { "sat", 6 }, { "samstag", 6 }, { "sonnabend", 6 }, { "sa", 6 },
	{ "samedi", 6 }, { "s\xc3\xa1" "bado", 6 }, { "sabado", 6 },
};

static const struct name numbers[] = {
	{ "one", 1 }, { "two", 2 }, { "three", 3 }, { "four", 4 }, { "five", 5 }, { "six", 6 },
	{ "seven", 7 }, { "eight", 8 }, { "nine", 9 }, { "ten", 10 },
	{ "eins", 1 }, { "zwei", 2 }, { "drei", 3 }, { "vier", 4 }, { "f\xc3\xbcnf", 5 },
	{ "first", 1 }, { "second", 2 }, { "third", 3 }, { "fourth", 4 }, { "fifth", 5 },
};

static int lookup(const struct name *t, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].word, w) == 0)
			return t[i].value;
	return -1;
}

#define LOOKUP(table, w) lookup(table, sizeof table / sizeof table[0], w)

static int full_year(int y, int digits)
{
	if (digits > 2)
		return y;
	return y < 70 ? 2000 + y : 1900 + y;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	return n >= min && n <= max && strspn(s, "0123456789") == n;
}

/* "a/b/y", "a-b-y" (either order), "d.m.y", "y-m-d", "y/m/d", "18.05." */
static bool numeric_date(const char *s, enum date_order order, struct dp_date *d)
{
	int a, b, c, na, nb, nc;
	const char *p = s;
	if ((na = num(p, 5, &a)) == 0 || na == 3 || na > 4)
		return false;
	p += na;
	char sep = *p;
	if (sep != '/' && sep != '-' && sep != '.')
		return false;
	if ((nb = num(++p, 3, &b)) == 0 || nb > 2)
		return false;
	p += nb;
	if (*p != sep || (sep == '.' && p[1] == '\0')) {
		/* Without a year: "18.05.", "18.05" is left to the times; "5/18". */
		if (na > 2 || !(*p == '\0' || (sep == '.' && p[0] == '.' && p[1] == '\0')))
			return false;
		if (sep == '.' && *p == '\0')
			return false;
		int m = b, dd = a;
		bool amb = false;
		if (sep != '.') {
			bool mdy = order != DATE_ORDER_DMY;
			if (a > 12)
				mdy = false;
			else if (b > 12)
				mdy = true;
			else
				amb = a != b;
			m = mdy ? a : b;
			dd = mdy ? b : a;
		}
		if (!ltime_valid_date(2000, m, dd)) /* a leap year allows 29 Feb; "31/02" is no date */
			return false;
		*d = (struct dp_date){ .kind = DP_YEARLESS, .m = m, .d = dd, .wday = -1, .ambiguous = amb };
		return true;
	}
	if ((nc = num(++p, 5, &c)) == 0 || p[nc] != '\0')
		return false;
	int y, m, dd;
	bool amb = false;
	int p1 = 0, p2 = 0;
	if (na == 4) { /* year first */
		if (nc > 2)
			return false;
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
		else
			amb = a != b && a <= 12 && b <= 12;
		m = mdy ? a : b;
		dd = mdy ? b : a;
		p1 = a, p2 = b;
	}
	if (!ltime_valid_date(y, m, dd) || y < 1900 || y > 2199)
		return false;
	*d = (struct dp_date){ .kind = DP_DATE, .y = y, .m = m, .d = dd, .ambiguous = amb, .p1 = p1, .p2 = p2 };
	return true;
}

/* A day number word: "18", "18th", "1st", "18." (the dot is gone by now). */
static int day_of_month(const char *w)
{
	size_t digits = strspn(w, "0123456789");
	if (digits == 0 || digits > 2)
		return -1;
	const char *rest = w + digits;
	if (*rest && strcmp(rest, "st") != 0 && strcmp(rest, "nd") != 0 && strcmp(rest, "rd") != 0 &&
	    strcmp(rest, "th") != 0 && strcmp(rest, "er") != 0)
		return -1;
	int v = atoi(w);
	return v >= 1 && v <= 31 ? v : -1;
}

/* Dates in words or a lone numeric date: "18 May 2022", "May 18, 2022",
 * "Wednesday, May 18, 2022", "18-May-22", "Monday, March 14", "fri",
 * "Samstag", "Day 2". Tokens are normalised and may be modified. */
static bool word_date(char **tok, int ntok, enum date_order order, struct dp_date *d)
{
	/* Split "18-may-2022" and "18/may/2022" into words. */
	char *words[MAXTOK];
	int n = 0;
	for (int i = 0; i < ntok; i++) {
		char *t = tok[i];
		bool letters = false;
		for (char *c = t; *c; c++)
			letters |= isalpha((unsigned char)*c) || (unsigned char)*c >= 0x80;
		if (letters && strpbrk(t, "-/")) {
			char *save = NULL;
			for (char *w = strtok_r(t, "-/", &save); w && n < MAXTOK; w = strtok_r(NULL, "-/", &save))
				words[n++] = w;
		} else if (n < MAXTOK) {
			words[n++] = t;
		}
	}
	if (n == 1 && numeric_date(words[0], order, d))
		return true;
	int wday = -1, month = -1, day = -1, year = -1, daynum = -1;
	struct dp_date numeric = { 0 };
	for (int i = 0; i < n; i++) {
		char *w = words[i];
		struct dp_date nd;
		if (isdigit((unsigned char)w[0]) && strpbrk(w, "/.-") && numeric_date(w, order, &nd)) {
			if (month > 0 || day > 0 || year > 0 || numeric.kind)
				return false;
			numeric = nd; /* "Wed 18.05.2022", "Mi. 18.05." */
			continue;
		}
		size_t len = strlen(w);
		while (len > 0 && (w[len - 1] == '.' || w[len - 1] == ',' || w[len - 1] == ':'))
			w[--len] = '\0';
		while (*w == '(')
			w++, len--;
		while (len > 0 && w[len - 1] == ')')
			w[--len] = '\0';
		if (len == 0 || strcmp(w, "of") == 0 || strcmp(w, "the") == 0 || strcmp(w, "den") == 0 ||
		    strcmp(w, "de") == 0 || strcmp(w, "le") == 0)
			continue;
		int v;
		if (strcmp(w, "day") == 0 || strcmp(w, "tag") == 0 || strcmp(w, "jour") == 0 ||
		    strcmp(w, "d\xc3\xad" "a") == 0 || strcmp(w, "dia") == 0) {
			if (i + 1 < n && all_digits(words[i + 1], 1, 3))
				daynum = atoi(words[++i]);
			else if (i + 1 < n && (v = LOOKUP(numbers, words[i + 1])) > 0)
				daynum = v, i++;
			else
				return false;
			continue;
		}
		if (len > 3 && strncmp(w, "day", 3) == 0 && all_digits(w + 3, 1, 3)) {
			daynum = atoi(w + 3);
			continue;
		}
		if ((v = LOOKUP(weekdays, w)) >= 0) {
			if (wday >= 0 && wday != v)
				return false;
			wday = v;
			continue;
		}
		if ((v = LOOKUP(months, w)) >= 0) {
			if (month >= 0)
				return false;
			month = v;
			continue;
		}
		if ((v = day_of_month(w)) > 0 && day < 0) {
			day = v;
			continue;
		}
		if (all_digits(w, 4, 4) && year < 0) {
			year = atoi(w);
			continue;
		}
		if (all_digits(w, 2, 2) && year < 0 && day > 0 && month > 0) {
			year = full_year(atoi(w), 2); /* "18-May-22" */
			continue;
		}
		if (daynum < 0 && wday < 0 && month < 0 && day < 0 && i == 0 && (v = LOOKUP(numbers, w)) > 0 &&
		    i + 1 < n && strcmp(words[i + 1], "day") == 0) {
			daynum = v, i++; /* "second day" */
			continue;
		}
		return false;
	}
	if (numeric.kind) {
		if (month > 0 || day > 0 || year > 0 || daynum >= 0)
			return false;
		*d = numeric;
		if (d->kind == DP_YEARLESS)
			d->wday = wday; /* "Mi. 18.05." */
		return true;
	}
	if (month > 0 && day > 0) {
		if (daynum >= 0)
			return false;
		if (year > 0) {
			if (!ltime_valid_date(year, month, day) || year < 1900 || year > 2199)
				return false;
			*d = (struct dp_date){ .kind = DP_DATE, .y = year, .m = month, .d = day };
		} else {
			if (!ltime_valid_date(2000, month, day)) /* a leap year allows 29 Feb */
				return false;
			*d = (struct dp_date){ .kind = DP_YEARLESS, .m = month, .d = day, .wday = wday };
		}
		return true;
	}
	if (month > 0 || day > 0 || year > 0)
		return false;
	if (daynum >= 0) {
		if (daynum < 1 || daynum > 366)
			return false;
		*d = (struct dp_date){ .kind = DP_DAYNUM, .n = daynum };
		return true;
	}
	if (wday >= 0) {
		*d = (struct dp_date){ .kind = DP_WEEKDAY, .wday = wday };
		return true;
	}
	return false;
}

/* ISO 8601 at the start of s: "2022-05-18", "2022/05/18", "2022-05-18T11:00",
 * "2022-05-18 11:00:00.000+02:00". The wall-clock time is returned; a zone
 * (Z, UTC, +HH:MM, -HHMM) is noted in the date for the caller to convert. */
static bool iso(char *s, struct dp_date *d, int *t1)
{
	int y, m, dd;
	char sep = s[4];
	if (num(s, 4, &y) != 4 || (sep != '-' && sep != '/' && sep != '.') || num(s + 5, 2, &m) != 2 ||
	    s[7] != sep || num(s + 8, 2, &dd) != 2 || isdigit((unsigned char)s[10]))
		return false;
	if (!ltime_valid_date(y, m, dd))
		return false;
	char *rest = s + 10;
	if (*rest == 't')
		rest++;
	rest = trim(rest);
	*t1 = -1;
	bool zoned = false;
	int off = 0;
	if (*rest) {
		size_t n = strlen(rest);
		if (ends_with(rest, n, "utc") || ends_with(rest, n, "gmt"))
			rest[n -= 3] = '\0', zoned = true;
		else if (n > 0 && rest[n - 1] == 'z')
			rest[--n] = '\0', zoned = true;
		/* "+02:00", "-0500", " +02" after the time */
		char *colon = strchr(rest, ':');
		for (char *p = rest + 1; colon && *p; p++) {
			if ((*p == '+' || *p == '-') && p > colon && isdigit((unsigned char)p[1])) {
				int sign = *p == '+' ? 1 : -1, hh = 0, mm = 0;
				const char *z = p + 1;
				size_t k = strspn(z, "0123456789");
				if (k == 2 || k == 4) {
					hh = (z[0] - '0') * 10 + (z[1] - '0');
					if (k == 4)
						mm = (z[2] - '0') * 10 + (z[3] - '0');
					else if (z[2] == ':' && strspn(z + 3, "0123456789") == 2)
						mm = (z[3] - '0') * 10 + (z[4] - '0');
					if (hh <= 14 && mm < 60)
						zoned = true, off = sign * (hh * 60 + mm);
				}
				*p = '\0';
				break;
			}
		}
		struct tval t;
		if (!parse_time(trim(rest), NO_MARK, &t))
			return false;
		*t1 = t.min;
	}
	*d = (struct dp_date){ .kind = DP_DATE, .y = y, .m = m, .d = dd, .zoned = zoned && *t1 >= 0, .off = off };
	return true;
}

static bool is_marker_word(const char *w)
{
	static const char *const words[] = { "am", "pm", "a.m.", "p.m.", "a.m", "p.m", "uhr", "h" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(w, words[i]) == 0)
			return true;
	return false;
}

/* Could the token be a time (so it is not taken as part of a date)? */
static bool timeish(const char *w)
{
	if (!isdigit((unsigned char)w[0]))
		return strcmp(w, "noon") == 0 || strcmp(w, "midnight") == 0;
	size_t n = strlen(w);
	if (strchr(w, ':'))
		return true;
	size_t digits = strspn(w, "0123456789");
	if (digits <= 2 && w[digits] == 'h' && (w[digits + 1] == '\0' || isdigit((unsigned char)w[digits + 1])))
		return true;
	return ends_with(w, n, "am") || ends_with(w, n, "pm") || ends_with(w, n, "a.m.") ||
	       ends_with(w, n, "p.m.") || ends_with(w, n, "uhr");
}

/* A date, a time, or a date and a time; s is normalised and is modified.
 * inherit: see parse_time. Sets *mark to the marker the time was written with. */
static bool datetime(char *s, enum date_order order, int inherit, struct dp_date *d, int *t1, int *mark)
{
	s = trim(s);
	*d = (struct dp_date){ 0 };
	*t1 = -1;
	*mark = NO_MARK;
	if (*s == '\0')
		return false;
	if (iso(s, d, t1))
		return true;
	struct tval t;
	if (parse_time(s, inherit, &t)) { /* the whole cell is a time */
		*t1 = t.min;
		*mark = t.mark;
		return true;
	}
	char *tok[MAXTOK];
	int n = 0;
	char *save = NULL;
	for (char *p = strtok_r(s, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		if (n == MAXTOK)
			return false;
		tok[n++] = p;
	}
	if (n == 0)
		return false;
	/* A time at the end: "09:30", "9:30am", "9:30 am", "14 uhr", "T11:00". */
	char tbuf[64];
	if (n >= 2 && is_marker_word(tok[n - 1]) && strlen(tok[n - 2]) < 24) {
		snprintf(tbuf, sizeof tbuf, "%s %s", tok[n - 2], tok[n - 1]);
		if (!parse_time(tbuf, inherit, &t))
			return false;
		n -= 2;
	} else if (timeish(tok[n - 1]) && strlen(tok[n - 1]) < 24) {
		if (!parse_time(tok[n - 1], inherit, &t))
			return false;
		n -= 1;
	} else {
		t.min = -1;
		t.mark = NO_MARK;
	}
	*t1 = t.min;
	*mark = t.mark;
	if (n > 0 && (strcmp(tok[n - 1], "at") == 0 || strcmp(tok[n - 1], "um") == 0 ||
	              strcmp(tok[n - 1], "@") == 0))
		n--; /* "May 18 at 9:00" */
	if (n == 0)
		return *t1 >= 0;
	return word_date(tok, n, order, d);
}

/* Where a range splits: returns the separator's start and sets *len, or NULL. */
static char *range_split(char *s, size_t *len)
{
	char *p;
	if ((p = strchr(s, RANGE))) {
		*len = 1;
		return p;
	}
	static const char *const words[] = { " - ", " to ", " bis ", " until ", " till ", " \xc3\xa0 " };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if ((p = strstr(s, words[i]))) {
			*len = strlen(words[i]);
			return p;
		}
	}
	/* A bare hyphen between two times, "09:00-10:30", "9-10am", but not
	 * inside a date ("2022-05-18", "05-10-2018"): the right side must be a
	 * time and the left end in one. Try the last hyphen first. */
	for (p = s + strlen(s); p > s;) {
		p--;
		if (*p != '-')
			continue;
		char right[MAXCELL], left[MAXCELL];
		snprintf(right, sizeof right, "%s", p + 1);
		snprintf(left, sizeof left, "%.*s", (int)(p - s), s);
		char *lt = strrchr(trim(left), ' ');
		lt = lt ? lt + 1 : trim(left);
		/* "2022-05-18T10:00:00-05:00", "10:00:00-0500": a zone, not an end.
		 * Machines write zones after seconds or a 'T'; people write ranges. */
		const char *r = trim(right);
		size_t rl = strlen(r);
		bool zone_shape = (rl == 2 || rl == 4) ? strspn(r, "0123456789") == rl :
		                  rl == 5 && isdigit((unsigned char)r[0]) && isdigit((unsigned char)r[1]) &&
		                  r[2] == ':' && isdigit((unsigned char)r[3]) && isdigit((unsigned char)r[4]);
		char *colon = strchr(lt, ':');
		bool machine = colon && strchr(colon + 1, ':');
		for (const char *c = left; *c && !machine; c++)
			machine = c > left && *c == 't' && isdigit((unsigned char)c[-1]) && isdigit((unsigned char)c[1]);
		if (zone_shape && machine)
			continue;
		struct tval t;
		if ((parse_time(trim(right), NO_MARK, &t) || parse_time(trim(right), AM, &t)) &&
		    (timeish(lt) || parse_time(lt, AM, &t))) {
			*len = 1;
			return p;
		}
	}
	return NULL;
}

static bool range(char *buf, char *sep, size_t seplen, enum date_order order, struct dp_cell *out);

static bool parse_cell(char *buf, enum date_order order, struct dp_cell *out)
{
	*out = (struct dp_cell){ .t1 = -1, .t2 = -1 };
	if (*buf == '\0')
		return true;
	size_t seplen = 0;
	char *sep = range_split(buf, &seplen);
	int mark1;
	char whole[MAXCELL];
	memcpy(whole, buf, sizeof whole);
	if (!sep)
		return datetime(buf, order, NO_MARK, &out->date, &out->t1, &mark1);
	if (range(buf, sep, seplen, order, out))
		return true;
	*out = (struct dp_cell){ .t1 = -1, .t2 = -1 };
	return datetime(whole, order, NO_MARK, &out->date, &out->t1, &mark1);
}

static bool range(char *buf, char *sep, size_t seplen, enum date_order order, struct dp_cell *out)
{
	int mark1, mark2;
	*sep = '\0';
	char left[MAXCELL], right[MAXCELL];
	snprintf(left, sizeof left, "%s", buf);
	snprintf(right, sizeof right, "%s", sep + seplen);
	char lcopy[MAXCELL], rcopy[MAXCELL];
	memcpy(lcopy, left, sizeof lcopy);
	memcpy(rcopy, right, sizeof rcopy);
	bool rok = datetime(rcopy, order, NO_MARK, &out->date2, &out->t2, &mark2);
	bool lok = datetime(lcopy, order, NO_MARK, &out->date, &out->t1, &mark1);
	/* "1:00 - 2:30 PM", "9 - 10am": the right half's marker may carry to
	 * the left; "9am - 10": the left's to the right. */
	if (rok && mark2 != NO_MARK && (!lok || mark1 == NO_MARK)) {
		struct dp_date d;
		int t, m;
		memcpy(lcopy, left, sizeof lcopy);
		if (datetime(lcopy, order, mark2, &d, &t, &m) && t >= 0) {
			int plain = lok ? out->t1 : -1;
			/* "11:00 - 12:30 PM" stays 11:00: PM would make it end first. */
			if (!lok || plain < 0 || t <= out->t2 || plain > out->t2 || plain == t) {
				out->date = d;
				out->t1 = t;
				lok = true;
			}
		}
	} else if (lok && mark1 != NO_MARK && (!rok || mark2 == NO_MARK)) {
		struct dp_date d;
		int t, m;
		memcpy(rcopy, right, sizeof rcopy);
		if (datetime(rcopy, order, mark1, &d, &t, &m) && t >= 0) {
			if (t < out->t1) { /* "11am - 1" is 1 pm */
				memcpy(rcopy, right, sizeof rcopy);
				int t2;
				if (datetime(rcopy, order, mark1 == AM ? PM : AM, &d, &t2, &m) && t2 >= out->t1)
					t = t2;
			}
			if (!rok || out->t2 < 0 || out->t2 < out->t1) {
				out->date2 = d;
				out->t2 = t;
				rok = true;
			}
		}
	}
	if (!lok || !rok || out->t1 < 0 || out->t2 < 0)
		return false;
	return true;
}

static bool d2(const char *s, int *v)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return false;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

/* The shapes most exports write, read without normalising: "2022-05-18",
 * "2022-05-18 11:00", "2022-05-18T11:00:00", "11:00", "9:05". Returns false
 * to let the full reader try. */
static bool fast(const char *s, struct dp_cell *out)
{
	int y1, y2, m, d, hh, mm, ss;
	const char *t = s;
	*out = (struct dp_cell){ .t1 = -1, .t2 = -1 };
	if (d2(s, &y1) && d2(s + 2, &y2) && s[4] == '-' && d2(s + 5, &m) && s[7] == '-' && d2(s + 8, &d)) {
		int y = y1 * 100 + y2;
		if (!ltime_valid_date(y, m, d))
			return false;
		out->date = (struct dp_date){ .kind = DP_DATE, .y = y, .m = m, .d = d };
		if (s[10] == '\0')
			return true;
		if (s[10] != ' ' && s[10] != 'T')
			return false;
		t = s + 11;
	}
	if (isdigit((unsigned char)t[0]) && t[1] == ':') {
		hh = t[0] - '0';
		t += 1;
	} else if (d2(t, &hh) && t[2] == ':') {
		t += 2;
	} else {
		return false;
	}
	if (!d2(t + 1, &mm) || mm > 59)
		return false;
	t += 3;
	if (*t == ':') {
		if (!d2(t + 1, &ss) || ss > 59)
			return false;
		t += 3;
	}
	if (*t != '\0' || hh > 24 || (hh == 24 && mm))
		return false;
	out->t1 = hh * 60 + mm;
	return true;
}

bool dp_parse(const char *s, enum date_order order, struct dp_cell *out)
{
	if (fast(s, out))
		return true;
	char buf[MAXCELL];
	if (normalise(s, buf) && parse_cell(buf, order, out))
		return true;
	*out = (struct dp_cell){ .t1 = -1, .t2 = -1 };
	return false;
}

void dp_swap(struct dp_date *d)
{
	if (!d->ambiguous)
		return;
	int m = d->m; /* p1 and p2 describe the text, which stays as it is */
	d->m = d->d;
	d->d = m;
}

bool dp_ymd(const char *s, int64_t *days)
{
	int y, m, d;
	if (strlen(s) != 10 || num(s, 4, &y) != 4 || s[4] != '-' || num(s + 5, 2, &m) != 2 || s[7] != '-' ||
	    num(s + 8, 2, &d) != 2 || !ltime_valid_date(y, m, d))
		return false;
	*days = ltime_days_from_civil(y, m, d);
	return true;
}

bool dp_year_from_weekday(const struct dp_date *d, int64_t today, int64_t *days)
{
	if (d->kind != DP_YEARLESS || d->wday < 0)
		return false;
	int ty, tm, td;
	ltime_civil_from_days(today, &ty, &tm, &td);
	bool found = false;
	int64_t best = 0;
	for (int y = ty - 12; y <= ty + 12; y++) {
		if (!ltime_valid_date(y, d->m, d->d))
			continue;
		int64_t v = ltime_days_from_civil(y, d->m, d->d);
		if (ltime_weekday(v) != d->wday)
			continue;
		int64_t dist = v > today ? v - today : today - v, bdist = best > today ? best - today : today - best;
		if (!found || dist < bdist) {
			best = v;
			found = true;
		}
	}
	if (found)
		*days = best;
	return found;
}

bool dp_place(const struct dp_date *d, int64_t first, int64_t *days)
{
	if (d->kind == DP_DATE) {
		*days = ltime_days_from_civil(d->y, d->m, d->d);
		return true;
	}
	if (first == DP_NO_FIRST_DAY)
		return false;
	switch (d->kind) {
	case DP_WEEKDAY:
		*days = first + ((d->wday - ltime_weekday(first)) % 7 + 7) % 7;
		return true;
	case DP_DAYNUM:
		if (d->n < 1 || d->n > 366)
			return false;
		*days = first + d->n - 1;
		return true;
	case DP_YEARLESS: {
		int fy, fm, fd;
		ltime_civil_from_days(first, &fy, &fm, &fd);
		/* The year that puts the date nearest after the first day, allowing
		 * about six months before it (a date listed before the start). */
		for (int y = fy - 1; y <= fy + 1; y++) {
			if (!ltime_valid_date(y, d->m, d->d))
				continue;
			int64_t v = ltime_days_from_civil(y, d->m, d->d);
			if (v >= first - 183 && v < first + 183) {
				*days = v;
				return true;
			}
		}
		for (int y = fy; y <= fy + 8; y++) { /* 29 February */
			if (ltime_valid_date(y, d->m, d->d)) {
				*days = ltime_days_from_civil(y, d->m, d->d);
				return true;
			}
		}
		return false;
	}
	default:
		return false;
	}
}

void dp_order_init(struct dp_order *o)
{
	memset(o, 0, sizeof *o);
	o->min[0] = o->min[1] = INT64_MAX;
	o->max[0] = o->max[1] = INT64_MIN;
}

void dp_order_note(struct dp_order *o, const struct dp_date *d)
{
	if (d->kind != DP_DATE || d->p1 == 0 || d->p2 == 0)
		return;
	int a = d->p1, b = d->p2;
	if (a > 12)
		o->first_over_12 = true;
	if (b > 12)
		o->second_over_12 = true;
	const int reading[2][2] = { { a, b }, { b, a } }; /* [0] m/d, [1] d/m */
	for (int r = 0; r < 2; r++) {
		int m = reading[r][0], dd = reading[r][1];
		if (!ltime_valid_date(d->y, m, dd)) {
			o->min[r] = INT64_MIN; /* impossible under this reading */
			o->max[r] = INT64_MAX;
			continue;
		}
		int64_t v = ltime_days_from_civil(d->y, m, dd);
		if (o->min[r] != INT64_MIN && v < o->min[r])
			o->min[r] = v;
		if (o->max[r] != INT64_MAX && v > o->max[r])
			o->max[r] = v;
	}
	o->dates++;
}

static uint64_t span(const struct dp_order *o, int r)
{
	if (o->min[r] == INT64_MIN || o->max[r] == INT64_MAX || o->min[r] > o->max[r])
		return UINT64_MAX;
	return (uint64_t)(o->max[r] - o->min[r]);
}

enum date_order dp_order_pick(const struct dp_order *o)
{
	if (o->first_over_12 && !o->second_over_12)
		return DATE_ORDER_DMY;
	if (o->second_over_12 && !o->first_over_12)
		return DATE_ORDER_MDY;
	return span(o, 1) < span(o, 0) ? DATE_ORDER_DMY : DATE_ORDER_MDY;
}
