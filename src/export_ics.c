/* The plan as an iCalendar file (RFC 5545). Times are the conference's wall
 * clock: with a zone given at import they carry TZID and a VTIMEZONE built
 * from the zone's rules (the POSIX TZ string at the end of the system's
 * TZif file); without one they are floating local times. UIDs are KEY@conference,
 * so a calendar that imports the file again updates the events. */
#include "export_priv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lanyard/text.h"

/* ---- content lines ----------------------------------------------------------- */

struct line {
	char *s;
	size_t n, cap;
	bool oom;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (l->oom)
		return;
	if (l->n + n + 1 > l->cap) {
		size_t cap = l->cap ? l->cap : 256;
		while (cap < l->n + n + 1)
			cap *= 2;
		char *p = realloc(l->s, cap);
		if (!p) {
			l->oom = true;
			return;
		}
		l->s = p;
		l->cap = cap;
	}
	memcpy(l->s + l->n, s, n);
	l->n += n;
	l->s[l->n] = '\0';
}

static void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

/* TEXT values: backslash, ';', ',' and newlines escaped; other controls
 * dropped; invalid UTF-8 becomes U+FFFD. */
static void put_text(struct line *l, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
			i++;
			continue;
		}
		if (c == '\n' || c == '\r')
			put(l, "\\n", 2);
		else if (c == '\\' || c == ';' || c == ',') {
			char e[2] = { '\\', (char)c };
			put(l, e, 2);
		} else if (c == '\t')
			put(l, " ", 1);
		else if (c < 0x20 || c == 0x7F)
			;
		else if (c < 0x80)
			put(l, (const char *)&c, 1);
		else {
			uint32_t cp;
			size_t len = text_decode(s + i, n - i, &cp);
			char buf[4];
			put(l, buf, text_encode(cp, buf));
			i += len;
			continue;
		}
		i++;
	}
}

/* Write the line folded at 75 octets (a fold never splits a UTF-8
 * character), CRLF after each physical line; then empty it. */
static void emit(FILE *out, struct line *l)
{
	size_t i = 0, width = 0;
	while (i < l->n) {
		size_t len = 1;
		unsigned char c = (unsigned char)l->s[i];
		if (c >= 0x80)
			while (i + len < l->n && ((unsigned char)l->s[i + len] & 0xC0) == 0x80)
				len++;
		if (width + len > 75) {
			fputs("\r\n ", out);
			width = 1;
		}
		fwrite(l->s + i, 1, len, out);
		width += len;
		i += len;
	}
	fputs("\r\n", out);
	l->n = 0;
	if (l->s)
		l->s[0] = '\0';
}

static void prop(FILE *out, struct line *l, const char *name, const char *text)
{
	puts_(l, name);
	put(l, ":", 1);
	put_text(l, text);
	emit(out, l);
}

/* 'YYYY-MM-DD HH:MM' -> 'YYYYMMDDTHHMM00' */
static bool ics_time(const char *stamp, char out[16])
{
	if (strlen(stamp) < 16)
		return false;
	snprintf(out, 16, "%.4s%.2s%.2sT%.2s%.2s00", stamp, stamp + 5, stamp + 8, stamp + 11, stamp + 14);
	return true;
}

/* ---- VTIMEZONE from the zone's rules ----------------------------------------- */

struct tz_rule {
	int month, week, wday, secs;   /* Mm.w.d/time */
};

struct tz_posix {
	char std[16], dst[16];
	long std_off, dst_off;         /* seconds east of UTC */
	bool has_dst;
	struct tz_rule start, end;     /* into and out of daylight time */
};

static const char *tz_name(const char *p, char *out, size_t outlen)
{
	size_t n = 0;
	if (*p == '<') {
		p++;
		while (*p && *p != '>') {
			if (n + 1 < outlen)
				out[n++] = *p;
			p++;
		}
		if (*p != '>')
			return NULL;
		p++;
	} else {
		while (isalpha((unsigned char)*p)) {
			if (n + 1 < outlen)
				out[n++] = *p;
			p++;
		}
	}
	out[n] = '\0';
	return n >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] in seconds */
static const char *tz_hms(const char *p, long *out)
{
	int sign = 1;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return NULL;
	long v[3] = { 0, 0, 0 };
	for (int k = 0; k < 3; k++) {
		if (k && *p != ':')
			break;
		if (k)
			p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			v[k] = v[k] * 10 + (*p++ - '0');
	}
	*out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
	return p;
}

static const char *tz_rule(const char *p, struct tz_rule *r)
{
	if (*p++ != ',' || *p++ != 'M')
		return NULL; /* Jn and n forms: not used by the zones a conference is in */
	char *e;
	r->month = (int)strtol(p, &e, 10);
	if (*e != '.')
		return NULL;
	r->week = (int)strtol(e + 1, &e, 10);
	if (*e != '.')
		return NULL;
	r->wday = (int)strtol(e + 1, &e, 10);
	p = e;
	long secs = 7200;
	if (*p == '/' && !(p = tz_hms(p + 1, &secs)))
		return NULL;
	r->secs = (int)secs;
	if (r->month < 1 || r->month > 12 || r->week < 1 || r->week > 5 || r->wday < 0 || r->wday > 6 ||
	    secs < 0 || secs >= 24 * 3600)
		return NULL;
	return p;
}

static bool tz_parse(const char *s, struct tz_posix *z)
{
	memset(z, 0, sizeof *z);
	long off;
	const char *p = tz_name(s, z->std, sizeof z->std);
	if (!p || !(p = tz_hms(p, &off)))
		return false;
	z->std_off = -off; /* POSIX counts west of UTC */
	if (!*p)
		return true;
	if (!(p = tz_name(p, z->dst, sizeof z->dst)))
		return false;
	z->has_dst = true;
	z->dst_off = z->std_off + 3600;
	if (*p && *p != ',') {
		if (!(p = tz_hms(p, &off)))
			return false;
		z->dst_off = -off;
	}
	return (p = tz_rule(p, &z->start)) && (p = tz_rule(p, &z->end)) && !*p;
}

/* The POSIX TZ string that ends a version 2+ TZif file. */
static bool tz_footer(const char *zone, char *out, size_t outlen)
{
	for (const char *p = zone; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("/_+-", *p)) || (p[0] == '.' && p[1] == '.'))
			return false;
	if (!*zone || *zone == '/')
		return false;
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	bool whole = feof(f);
	fclose(f);
	if (!whole || n < 44 || memcmp(buf, "TZif", 4) != 0 || buf[4] < '2' || buf[n - 1] != '\n')
		return false;
	buf[n - 1] = '\0';
	size_t i = n - 1; /* the binary part holds NULs: search backwards */
	while (i > 0 && buf[i - 1] != '\n')
		i--;
	if (i == 0 || n - 1 - i + 1 > outlen)
		return false;
	memcpy(out, buf + i, n - 1 - i + 1);
	return *out != '\0';
}

static void put_offset(struct line *l, long secs)
{
	char b[32];
	long a = secs < 0 ? -secs : secs;
	snprintf(b, sizeof b, "%c%02ld%02ld", secs < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	puts_(l, b);
}

/* The first date in 1970 the rule fires on (local 'YYYYMMDDTHHMMSS'). */
static void rule_first(const struct tz_rule *r, char out[24])
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int doy = 0; /* 1970-01-01 was a Thursday (4) */
	for (int m = 1; m < r->month; m++)
		doy += mdays[m - 1];
	int wd1 = (4 + doy) % 7;      /* weekday of the month's first day */
	int day = 1 + (r->wday - wd1 + 7) % 7 + (r->week - 1) * 7;
	while (day > mdays[r->month - 1])
		day -= 7;
	snprintf(out, 24, "1970%02d%02dT%02d%02d%02d", r->month, day, r->secs / 3600, r->secs / 60 % 60,
	         r->secs % 60);
}

static void rrule(struct line *l, const struct tz_rule *r)
{
	static const char *const wd[] = { "SU", "MO", "TU", "WE", "TH", "FR", "SA" };
	char b[64];
	snprintf(b, sizeof b, "RRULE:FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", r->month,
	         r->week == 5 ? -1 : r->week, wd[r->wday]);
	puts_(l, b);
}

static void observance(FILE *out, struct line *l, const char *kind, long from, long to, const char *name,
                       const struct tz_rule *r)
{
	char when[24] = "19700101T000000";
	puts_(l, "BEGIN:");
	puts_(l, kind);
	emit(out, l);
	if (r)
		rule_first(r, when);
	puts_(l, "DTSTART:");
	puts_(l, when);
	emit(out, l);
	puts_(l, "TZOFFSETFROM:");
	put_offset(l, from);
	emit(out, l);
	puts_(l, "TZOFFSETTO:");
	put_offset(l, to);
	emit(out, l);
	prop(out, l, "TZNAME", name);
	if (r) {
		rrule(l, r);
		emit(out, l);
	}
	puts_(l, "END:");
	puts_(l, kind);
	emit(out, l);
}

static bool vtimezone(FILE *out, struct line *l, const char *zone)
{
	char posix[128];
	struct tz_posix z;
	if (!tz_footer(zone, posix, sizeof posix) || !tz_parse(posix, &z))
		return false;
	puts_(l, "BEGIN:VTIMEZONE");
	emit(out, l);
	prop(out, l, "TZID", zone);
	if (z.has_dst) {
		observance(out, l, "DAYLIGHT", z.std_off, z.dst_off, z.dst, &z.start);
		observance(out, l, "STANDARD", z.dst_off, z.std_off, z.std, &z.end);
	} else {
		observance(out, l, "STANDARD", z.std_off, z.std_off, z.std, NULL);
	}
	puts_(l, "END:VTIMEZONE");
	emit(out, l);
	return true;
}

/* ---- the calendar ------------------------------------------------------------- */

static void when(FILE *out, struct line *l, const char *name, const char *tzid, const char *stamp)
{
	char t[16];
	ics_time(stamp, t);
	puts_(l, name);
	if (tzid) {
		puts_(l, ";TZID=");
		puts_(l, tzid);
	}
	put(l, ":", 1);
	puts_(l, t);
	emit(out, l);
}

static void event(struct export_ctx *x, struct line *l, const struct talk_item *t, const char *tzid,
                  const char *dtstamp)
{
	FILE *out = x->out;
	puts_(l, "BEGIN:VEVENT");
	emit(out, l);
	puts_(l, "UID:");
	put_text(l, t->key);
	put(l, "@", 1);
	put_text(l, x->info.name);
	emit(out, l);
	puts_(l, "DTSTAMP:");
	puts_(l, dtstamp);
	emit(out, l);
	when(out, l, "DTSTART", tzid, t->start);
	if (*t->end)
		when(out, l, "DTEND", tzid, t->end);
	prop(out, l, "SUMMARY", t->title);
	if (*t->room)
		prop(out, l, "LOCATION", t->room);
	/* The description: who, what, and what the user made of it. */
	struct line d = { 0 };
	if (*t->speakers) {
		puts_(&d, t->speakers);
		puts_(&d, "\n");
	}
	if (*t->abstract) {
		if (d.n)
			puts_(&d, "\n");
		puts_(&d, t->abstract);
		puts_(&d, "\n");
	}
	if (*t->takeaways) {
		if (d.n)
			puts_(&d, "\n");
		puts_(&d, "Takeaways:\n");
		puts_(&d, t->takeaways);
	}
	while (d.n && d.s[d.n - 1] == '\n')
		d.s[--d.n] = '\0';
	if (d.n)
		prop(out, l, "DESCRIPTION", d.s);
	l->oom |= d.oom;
	free(d.s);
	if (*t->track)
		prop(out, l, "CATEGORIES", t->track);
	if (*t->url)
		prop(out, l, "URL", t->url);
	const char *status = t->removed ? "CANCELLED"
	                   : t->status == STATUS_PLANNED || t->status == STATUS_ATTENDED ? "CONFIRMED"
	                   : "TENTATIVE";
	puts_(l, "STATUS:");
	puts_(l, status);
	emit(out, l);
	puts_(l, "END:VEVENT");
	emit(out, l);
}

int export_ics(struct export_ctx *x)
{
	FILE *out = x->out;
	struct line l = { 0 };
	time_t now = x->o->stamp ? x->o->stamp : time(NULL);
	struct tm tm;
	char dtstamp[20];
	gmtime_r(&now, &tm);
	strftime(dtstamp, sizeof dtstamp, "%Y%m%dT%H%M%SZ", &tm);
	puts_(&l, "BEGIN:VCALENDAR");
	emit(out, &l);
	puts_(&l, "VERSION:2.0");
	emit(out, &l);
	puts_(&l, "PRODID:-//lanyard//lanyard " LANYARD_VERSION "//EN");
	emit(out, &l);
	puts_(&l, "CALSCALE:GREGORIAN");
	emit(out, &l);
	puts_(&l, "METHOD:PUBLISH");
	emit(out, &l);
	prop(out, &l, "X-WR-CALNAME", x->info.name);
	const char *tzid = NULL;
	if (*x->info.tz && vtimezone(out, &l, x->info.tz))
		tzid = x->info.tz;
	struct talk_iter *it;
	if (export_talks_open(x, x->o->all ? TALK_SET_ALL : TALK_SET(STATUS_PLANNED) | TALK_SET(STATUS_ATTENDED), false,
	                      &it)) {
		free(l.s);
		return LY_ERR;
	}
	const struct talk_item *t;
	int rc;
	while ((rc = talk_iter_next(it, &t, x->err)) == LY_OK && t)
		if (*t->start)
			event(x, &l, t, tzid, dtstamp);
	talk_iter_close(it);
	puts_(&l, "END:VCALENDAR");
	emit(out, &l);
	if (rc == LY_OK && l.oom)
		rc = ly_fail(x->err, "out of memory");
	free(l.s);
	return rc;
}
