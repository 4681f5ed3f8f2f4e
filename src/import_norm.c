/* Normalisation (contract in import_norm.h). */
#include "lanyard/import_norm.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lanyard/ltime.h"
#include "lanyard/strbuf.h"
#include "lanyard/text.h"

/* How one date/time field's values were written. */
struct seen {
	bool ampm, h24, iso, zoned, numeric, words, range, duration;
};

struct norm {
	const struct import_opts *o;
	const struct imp_map *m;
	struct imp_log *lg;
	int64_t first_day;
	struct dp_order ev;
	/* ids seen so far (64-bit hashes, open addressing) */
	uint64_t *ids;
	size_t idcap, nids;
	/* the conference zone */
	bool zone_known, zone_named;
	int zone_off;
	char zone[64];
	char *old_tz;
	bool tz_set;
	bool warned_no_dates, warned_speakers;
	bool year_guessed;          /* first_day comes from a yearless date's weekday */
	bool speaker_entries;       /* speakers cells hold "Name, Title, Company; ..." */
	struct seen seen[NFIELDS];
	struct strbuf text[NFIELDS];   /* the row's cells, trimmed and decoded */
	struct strbuf spk;
};

/* ---- text ------------------------------------------------------------------ */

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
	{ "nbsp", 0xA0 }, { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "hellip", 0x2026 },
	{ "rsquo", 0x2019 }, { "lsquo", 0x2018 }, { "rdquo", 0x201D }, { "ldquo", 0x201C },
	{ "eacute", 0xE9 }, { "uuml", 0xFC }, { "ouml", 0xF6 }, { "auml", 0xE4 }, { "szlig", 0xDF },
	{ "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 }, { "euro", 0x20AC },
};

/* Decode HTML entities in place ("&amp;", "&#39;", "&#x27;"); anything that
 * is not a known, terminated entity stays as written. */
static size_t decode_entities(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] != '&') {
			s[o++] = s[i++];
			continue;
		}
		const char *semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
		uint32_t cp = 0;
		if (semi) {
			const char *e = s + i + 1;
			size_t k = (size_t)(semi - e);
			if (k >= 2 && e[0] == '#') {
				char *end;
				unsigned long v = (e[1] == 'x' || e[1] == 'X') ? strtoul(e + 2, &end, 16) : strtoul(e + 1, &end, 10);
				if (end == semi && v > 0 && v < 0x110000 && !(v >= 0xD800 && v < 0xE000))
					cp = (uint32_t)v;
			} else {
				for (size_t j = 0; j < sizeof entities / sizeof entities[0]; j++)
					if (strlen(entities[j].name) == k && memcmp(entities[j].name, e, k) == 0)
						cp = entities[j].cp;
			}
		}
		if (!cp) {
			s[o++] = s[i++];
			continue;
		}
		char enc[4];
		size_t len = text_encode(cp, enc);
		size_t used = (size_t)(semi - (s + i)) + 1;
		memcpy(s + o, enc, len); /* an entity is never shorter than its UTF-8 */
		o += len;
		i += used;
	}
	s[o] = '\0';
	return o;
}

/* The row's cell for a field, trimmed; entities decoded in text fields. */
static int cell_text(struct norm *n, const struct reader_rec *r, enum imp_field f, bool entities_too)
{
	size_t len;
	const char *v = map_cell(n->m, r, f, &len);
	while (len > 0 && isspace((unsigned char)*v))
		v++, len--;
	while (len > 0 && isspace((unsigned char)v[len - 1]))
		len--;
	struct strbuf *b = &n->text[f];
	b->len = 0;
	if (!strbuf_put(b, v, len))
		return implog_oom(n->lg);
	if (entities_too && memchr(b->s, '&', b->len))
		b->len = decode_entities(b->s, b->len);
	return LY_OK;
}

/* ---- speakers ------------------------------------------------------------- */

static bool same_name(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && strncasecmp(a, b, an) == 0;
}

/* Add one speaker (trimmed, inner blanks collapsed) unless already there.
 * Returns false when out of memory; *full when the cap is reached. */
static bool spk_add(struct strbuf *b, size_t *count, const char *s, size_t n, bool *full)
{
	char tmp[512];
	size_t t = 0;
	bool space = false;
	for (size_t i = 0; i < n && t + 1 < sizeof tmp; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c) || c < 0x20) {
			space = t > 0;
			continue;
		}
		if (space)
			tmp[t++] = ' ';
		space = false;
		if (t < sizeof tmp - 1)
			tmp[t++] = (char)c;
	}
	if (t == sizeof tmp - 1)
		while (t > 0 && ((unsigned char)tmp[t - 1] & 0xC0) == 0x80)
			t--; /* a cut name must not end inside a character */
	if (t == 0)
		return true;
	/* The list holds at most NORM_SPEAKERS_MAX names: the scan is bounded. */
	for (size_t i = 0; i < b->len;) {
		size_t k = strcspn(b->s + i, ",");
		if (same_name(b->s + i, k, tmp, t))
			return true;
		i += k;
		while (i < b->len && (b->s[i] == ',' || b->s[i] == ' '))
			i++;
	}
	if (*count >= NORM_SPEAKERS_MAX) {
		*full = true;
		return true;
	}
	(*count)++;
	return (b->len == 0 || strbuf_put(b, ", ", 2)) && strbuf_put(b, tmp, t);
}

/* Split a speakers cell on , ; | and line breaks into b. */
static bool spk_split(struct strbuf *b, size_t *count, const char *s, bool *full)
{
	while (*s && !*full) {
		size_t k = strcspn(s, ",;|\n\r");
		if (!spk_add(b, count, s, k, full))
			return false;
		s += k;
		if (*s)
			s++;
	}
	return true;
}

static void trim_span(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* Split a cell whose speakers are entries separated by ; | or line breaks,
 * each perhaps "Name, Job title, Company": that becomes "Name (Company)";
 * an entry whose first part is one word ("Smith, J.") stays whole. */
static bool spk_split_entries(struct strbuf *b, size_t *count, const char *s, bool *full)
{
	while (*s && !*full) {
		size_t k = strcspn(s, ";|\n\r");
		const char *comma = memchr(s, ',', k);
		const char *name = s, *co = s + k;
		size_t nlen = comma ? (size_t)(comma - s) : k, clen = 0;
		if (comma) {
			while (co > comma && co[-1] != ',')
				co--;
			clen = (size_t)(s + k - co);
		}
		trim_span(&name, &nlen);
		trim_span(&co, &clen);
		char entry[512];
		int n = !comma || !memchr(name, ' ', nlen) ? snprintf(entry, sizeof entry, "%.*s", (int)k, s)
		        : clen ? snprintf(entry, sizeof entry, "%.*s (%.*s)", (int)nlen, name, (int)clen, co)
		               : snprintf(entry, sizeof entry, "%.*s", (int)nlen, name);
		size_t len = n < 0 ? 0 : (size_t)n >= sizeof entry ? sizeof entry - 1 : (size_t)n;
		if (!spk_add(b, count, entry, len, full))
			return false;
		s += k;
		if (*s)
			s++;
	}
	return true;
}

int norm_speakers_style(const char *cell, size_t len)
{
	const char *sep = NULL;
	for (size_t i = 0; i < len && !sep; i++)
		if (cell[i] == ';' || cell[i] == '|' || cell[i] == '\n')
			sep = cell + i;
	if (!sep)
		return 0;
	return memchr(cell, ',', len) ? 1 : 0;
}

void norm_speaker_entries(struct norm *n)
{
	n->speaker_entries = true;
}

char *norm_speakers_merge(const char *a, const char *b, bool *capped)
{
	struct strbuf out = { 0 };
	size_t count = 0;
	bool full = false;
	if (!strbuf_put(&out, "", 0) || !spk_split(&out, &count, a ? a : "", &full) ||
	    !spk_split(&out, &count, b ? b : "", &full)) {
		free(out.s);
		return NULL;
	}
	if (capped)
		*capped = full;
	return out.s;
}

/* ---- keys ------------------------------------------------------------------ */

static uint32_t fnv1a(const char *s, bool fold)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= fold ? (uint32_t)tolower(*p) : *p;
		h *= 16777619u;
	}
	return h;
}

uint64_t norm_hash64(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

/* Letters kept in slugs, beyond ASCII: Latin, Greek, Cyrillic and the other
 * alphabets, kana, Hangul and CJK ideographs; not punctuation or symbols. */
static bool slug_letter(uint32_t cp)
{
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x3FF) ||
	       (cp >= 0x400 && cp <= 0x52F) || (cp >= 0x531 && cp <= 0x10FF) ||
	       (cp >= 0x1E00 && cp <= 0x1FFF) || (cp >= 0x3040 && cp <= 0x30FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

static uint32_t slug_lower(uint32_t cp)
{
	if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
	    (cp >= 0x410 && cp <= 0x42F))
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	if (((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) && cp % 2 == 0)
		return cp + 1;
	if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) && cp % 2 == 1)
		return cp + 1;
	return cp;
}

/* A readable, shell-friendly slug of a title: lower case, runs of other
 * characters become '-', letters beyond ASCII kept, at most TALK_SLUG_MAX
 * bytes cut on a character boundary. */
static void slugify(const char *title, char *out)
{
	size_t o = 0, n = strlen(title);
	bool dash = false;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += text_decode(title + i, n - i, &cp);
		char enc[4];
		size_t k;
		if (cp < 0x80 && isalnum((int)cp)) {
			enc[0] = (char)tolower((int)cp);
			k = 1;
		} else if (cp >= 0x80 && cp != 0xFFFD && slug_letter(cp)) {
			k = text_encode(slug_lower(cp), enc);
		} else {
			dash = true;
			continue;
		}
		size_t need = k + (dash && o ? 1 : 0);
		if (o + need > TALK_SLUG_MAX)
			break;
		if (dash && o)
			out[o++] = '-';
		dash = false;
		memcpy(out + o, enc, k);
		o += k;
	}
	if (o == 0) {
		memcpy(out, "talk", 4);
		o = 4;
	}
	out[o] = '\0';
}

/* Was this id seen before? Adds it when add. */
static int id_seen(struct norm *n, uint64_t h, bool add, bool *seen)
{
	if (add && (n->nids + 1) * 2 > n->idcap) {
		size_t ncap = n->idcap ? n->idcap * 2 : 1024;
		uint64_t *e = calloc(ncap, sizeof *e);
		if (!e)
			return implog_oom(n->lg);
		for (size_t i = 0; i < n->idcap; i++) {
			if (!n->ids[i])
				continue;
			size_t j = n->ids[i] & (ncap - 1);
			while (e[j])
				j = (j + 1) & (ncap - 1);
			e[j] = n->ids[i];
		}
		free(n->ids);
		n->ids = e;
		n->idcap = ncap;
	}
	*seen = false;
	if (!n->idcap)
		return LY_OK;
	size_t i = h & (n->idcap - 1);
	while (n->ids[i]) {
		if (n->ids[i] == h) {
			*seen = true;
			return LY_OK;
		}
		i = (i + 1) & (n->idcap - 1);
	}
	if (add) {
		n->ids[i] = h;
		n->nids++;
	}
	return LY_OK;
}

/* ---- zones ------------------------------------------------------------------- */

/* "+02:00", "-0500", "+2", "UTC", "Z", "GMT" as minutes east of UTC. */
static bool parse_offset(const char *s, int *off)
{
	if (strcasecmp(s, "utc") == 0 || strcasecmp(s, "z") == 0 || strcasecmp(s, "gmt") == 0) {
		*off = 0;
		return true;
	}
	if ((s[0] != '+' && s[0] != '-') || !isdigit((unsigned char)s[1]))
		return false;
	int sign = s[0] == '+' ? 1 : -1, hh = 0, mm = 0;
	const char *p = s + 1;
	size_t k = strspn(p, "0123456789");
	if (k == 1 || k == 2) {
		hh = atoi(p);
		p += k;
		if (*p == ':') {
			if (strspn(p + 1, "0123456789") != 2 || p[3])
				return false;
			mm = atoi(p + 1);
		} else if (*p) {
			return false;
		}
	} else if (k == 4 && !p[4]) {
		hh = (p[0] - '0') * 10 + (p[1] - '0');
		mm = (p[2] - '0') * 10 + (p[3] - '0');
	} else {
		return false;
	}
	if (hh > 14 || mm > 59)
		return false;
	*off = sign * (hh * 60 + mm);
	return true;
}

static void format_offset(int off, char *out, size_t outlen)
{
	int a = off < 0 ? -off : off;
	snprintf(out, outlen, "%c%02d:%02d", off < 0 ? '-' : '+', a / 60 % 100, a % 60);
}

/* The named zone's offset at a UTC minute (TZ is set to the zone while the
 * normaliser lives). */
static int named_offset(int64_t utc_min)
{
	time_t t = (time_t)(utc_min * 60);
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

/* A zoned wall-clock minute on the conference's clock. */
static int64_t to_conf_zone(struct norm *n, int64_t minutes, int off)
{
	if (!n->zone_known) {
		n->zone_known = true;
		n->zone_off = off;
		format_offset(off, n->zone, sizeof n->zone);
	}
	int64_t utc = minutes - off;
	return utc + (n->zone_named ? named_offset(utc) : n->zone_off);
}

/* ---- when ------------------------------------------------------------------- */

struct when {
	bool ok;            /* scheduled */
	int64_t start, end; /* minutes; end -1 = unknown */
};

enum sched { S_OK, S_UNSCHEDULED, S_FATAL };

static void note_seen(struct seen *s, const char *v, const struct dp_cell *c)
{
	if (!*v)
		return;
	if (c->date.kind == DP_DATE && strspn(v, "0123456789") == 4 && (v[4] == '-' || v[4] == '/'))
		s->iso = true;
	else if (c->date.kind == DP_DATE && c->date.p1)
		s->numeric = true;
	else if (c->date.kind != DP_NONE)
		s->words = true;
	s->zoned |= c->date.zoned;
	if (c->t1 >= 0) {
		bool ampm = false;
		for (const char *p = v; *p && !ampm; p++)
			ampm = (tolower((unsigned char)*p) == 'a' || tolower((unsigned char)*p) == 'p') &&
			       (tolower((unsigned char)p[1]) == 'm' || p[1] == '.');
		if (ampm)
			s->ampm = true;
		else
			s->h24 = true;
	}
	s->range |= c->t2 >= 0;
}

/* Start and end of a talk from its parsed cells. Fills why for an
 * unscheduled talk; S_FATAL when a relative day cannot be placed. */
static enum sched times_of(struct norm *n, long line, const struct dp_cell *dc, const struct dp_cell *sc,
                           const struct dp_cell *ec, const struct dp_cell *edc, const char *dur, bool warn,
                           struct when *w, char *why, size_t whylen)
{
	char v1[128], v2[128];
	w->ok = false;
	w->end = -1;
	const struct dp_date *date = dc->date.kind ? &dc->date : sc->date.kind ? &sc->date : NULL;
	const struct dp_cell *timed = sc->t1 >= 0 ? sc : dc;
	int t1 = timed->t1, t2 = timed->t2;
	if (!date && t1 < 0) {
		snprintf(why, whylen, "no date or time");
		return S_UNSCHEDULED;
	}
	int64_t days;
	if (!date && n->first_day == DP_NO_FIRST_DAY && n->m->fcol[F_DATE] >= 0) {
		snprintf(why, whylen, "no date");
		return S_UNSCHEDULED;
	}
	if (!date && n->first_day == DP_NO_FIRST_DAY) {
		/* No date column and no date in the times: a one-day file. */
		if (!n->warned_no_dates) {
			n->warned_no_dates = true;
			implog_warn(n->lg, n->m->header_line, "the file gives times but no dates; say which day with "
			            "--first-day YYYY-MM-DD (or --date); until then its talks are unscheduled");
		}
		why[0] = '\0'; /* said once above */
		return S_UNSCHEDULED;
	}
	if (t1 < 0) {
		snprintf(why, whylen, "no start time");
		return S_UNSCHEDULED;
	}
	if (date && n->first_day == DP_NO_FIRST_DAY && date->kind == DP_YEARLESS &&
	    dp_year_from_weekday(date, ltime_now() / 1440, &n->first_day)) {
		/* The first yearless date with its weekday gives the year; the
		 * others are placed from it as from --first-day. */
		char ymd[11];
		ltime_format_day(n->first_day, ymd);
		const char *what = *n->text[F_DATE].s ? n->text[F_DATE].s : n->text[F_START].s;
		implog_note(n->lg, line, "dates without a year: '%s' read as %s, the nearest year in which that day is "
		            "that weekday; --first-day YYYY-MM-DD says otherwise", implog_value(what, 60, v1, sizeof v1),
		            ymd);
		n->year_guessed = true;
	}
	if (!date) {
		days = n->first_day;
	} else if (!dp_place(date, n->first_day, &days)) {
		const char *what = *n->text[F_DATE].s ? n->text[F_DATE].s : n->text[F_START].s;
		implog_value(what, 60, v1, sizeof v1);
		if (n->year_guessed)
			implog_fail_line(n->lg, line, "cannot place '%s' in the year worked out from the weekdays; say "
			                 "which date the conference starts with --first-day YYYY-MM-DD", v1);
		else if (n->first_day != DP_NO_FIRST_DAY)
			implog_fail_line(n->lg, line, "cannot place '%s' from --first-day %s", v1, n->o->first_day);
		else
			implog_fail_line(n->lg, line, "'%s' is a day without a full date; say which date the "
			                 "conference starts with --first-day YYYY-MM-DD", v1);
		return S_FATAL;
	}
	w->start = days * 1440 + t1;
	w->ok = true;
	if (timed->date.zoned)
		w->start = to_conf_zone(n, w->start, timed->date.off);
	/* The end: an end cell, the end of a range, or a duration. */
	int64_t edays = days;
	bool explicit_day = false;
	const struct dp_date *ed = ec->date.kind ? &ec->date : edc->date.kind ? &edc->date :
	                           timed->date2.kind ? &timed->date2 : NULL;
	if (ed && dp_place(ed, n->first_day, &edays))
		explicit_day = true;
	int dmin;
	if (ec->t1 >= 0) {
		w->end = edays * 1440 + ec->t1;
		if (ec->date.zoned)
			w->end = to_conf_zone(n, w->end, ec->date.off);
		else if (timed->date.zoned && !explicit_day)
			w->end = w->start + (ec->t1 - t1);
	} else if (t2 >= 0) {
		w->end = edays * 1440 + t2;
		if (timed->date2.zoned)
			w->end = to_conf_zone(n, w->end, timed->date2.off);
	} else if (*dur && dp_duration(dur, &dmin)) {
		w->end = w->start + dmin;
	} else if (*dur && warn) {
		implog_warn(n->lg, line, "'%s': cannot read duration '%s'; the talk has no end",
		            implog_value(n->text[F_TITLE].s, 80, v1, sizeof v1), implog_value(dur, 60, v2, sizeof v2));
	}
	if (w->end >= 0 && w->end < w->start) {
		if (explicit_day) {
			if (warn)
				implog_warn(n->lg, line, "'%s' ends before it starts; the end is ignored",
				            implog_value(n->text[F_TITLE].s, 80, v1, sizeof v1));
			w->end = -1;
		} else {
			w->end += 1440; /* past midnight: it ends the next day */
		}
	}
	return S_OK;
}

static void put_when(const struct when *w, bool *sched, char *start, char *end, char *day)
{
	*sched = w->ok;
	start[0] = end[0] = day[0] = '\0';
	if (!w->ok)
		return;
	ltime_format_stamp(w->start, start);
	ltime_conf_day(w->start, day);
	if (w->end >= 0)
		ltime_format_stamp(w->end, end);
}

/* ---- the row ----------------------------------------------------------------- */

enum norm_result norm_row(struct norm *n, const struct reader_rec *r, struct talk_in *t)
{
	char v1[128], v2[128];
	long line = r->line;
	static const enum imp_field plain[] = { F_ID, F_DATE, F_START, F_END, F_ENDDATE, F_DURATION, F_URL };
	static const enum imp_field prose[] = { F_TITLE, F_ROOM, F_TRACK, F_TYPE, F_SPEAKERS, F_FIRST, F_LAST,
	                                        F_ABSTRACT };
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (cell_text(n, r, plain[i], false))
			return NORM_FAIL;
	for (size_t i = 0; i < sizeof prose / sizeof prose[0]; i++)
		if (cell_text(n, r, prose[i], true))
			return NORM_FAIL;
	memset(t, 0, sizeof *t);
	t->line = line;

	/* An id is a key: no controls in it (keys are typed in shells). */
	struct strbuf *idc = &n->text[F_ID];
	for (size_t i = 0; i < idc->len; i++)
		if ((unsigned char)idc->s[i] < 0x20 || idc->s[i] == 0x7F)
			idc->s[i] = ' ';
	bool merging = false;
	uint64_t idh = idc->len ? norm_hash64(idc->s, idc->len) : 0;
	if (idc->len && id_seen(n, idh, false, &merging))
		return NORM_FAIL;
	const char *title = n->text[F_TITLE].s;
	if (!*title && !merging) {
		implog_warn(n->lg, line, "no title; row skipped");
		return NORM_SKIP;
	}

	/* Speakers: a speakers column, and/or first and last names. */
	struct strbuf *spk = &n->spk;
	spk->len = 0;
	size_t count = 0;
	bool full = false;
	if (!strbuf_put(spk, "", 0))
		return implog_oom(n->lg), NORM_FAIL;
	bool ok = n->m->fcol[F_SPEAKERS] < 0 ||
	          (n->speaker_entries ? spk_split_entries : spk_split)(spk, &count, n->text[F_SPEAKERS].s, &full);
	if (ok && (n->m->fcol[F_FIRST] >= 0 || n->m->fcol[F_LAST] >= 0)) {
		char fullname[512];
		const char *a = n->text[F_FIRST].s, *b = n->text[F_LAST].s;
		int k = snprintf(fullname, sizeof fullname, "%s%s%s", a, *a && *b ? " " : "", b);
		ok = spk_add(spk, &count, fullname, k < 0 ? 0 : (size_t)k >= sizeof fullname ? sizeof fullname - 1 : (size_t)k,
		             &full);
	}
	if (!ok)
		return implog_oom(n->lg), NORM_FAIL;
	if (full && !n->warned_speakers) {
		n->warned_speakers = true;
		implog_warn(n->lg, line, "'%s': more than %d speakers; the rest are left out",
		            implog_value(title, 80, v1, sizeof v1), NORM_SPEAKERS_MAX);
	}

	/* When. */
	enum date_order fixed = n->o->order;
	enum date_order read_as = fixed != DATE_ORDER_AUTO ? fixed : DATE_ORDER_MDY;
	struct dp_cell cell[4];
	static const enum imp_field tf[4] = { F_DATE, F_START, F_END, F_ENDDATE };
	char why[400] = "";
	bool unreadable = false;
	for (int i = 0; i < 4; i++) {
		const char *v = n->text[tf[i]].s;
		if (!dp_parse(v, read_as, &cell[i]) && i < 2 && !unreadable) {
			snprintf(why, sizeof why, "cannot read '%s' as a date or time", implog_value(v, 60, v1, sizeof v1));
			unreadable = true;
		}
		note_seen(&n->seen[tf[i]], v, &cell[i]);
	}
	bool bad_end = *n->text[F_END].s && cell[2].t1 < 0 && cell[2].date.kind == DP_NONE;
	bool ambiguous = false;
	for (int i = 0; i < 4; i++) {
		dp_order_note(&n->ev, &cell[i].date);
		dp_order_note(&n->ev, &cell[i].date2);
		ambiguous |= cell[i].date.ambiguous || cell[i].date2.ambiguous;
	}
	ambiguous &= fixed == DATE_ORDER_AUTO;
	/* Read ambiguous dates the way the evidence so far points; the other
	 * reading is kept in case the rest of the file says otherwise. */
	enum date_order used = read_as;
	if (ambiguous && dp_order_pick(&n->ev) == DATE_ORDER_DMY) {
		used = DATE_ORDER_DMY;
		for (int i = 0; i < 4; i++) {
			dp_swap(&cell[i].date);
			dp_swap(&cell[i].date2);
		}
	}
	const char *dur = n->text[F_DURATION].s;
	if (*dur)
		n->seen[F_DURATION].duration = true;
	struct when w = { 0 }, other = { 0 };
	enum sched sr = S_UNSCHEDULED;
	if (!unreadable)
		sr = times_of(n, line, &cell[0], &cell[1], &cell[2], &cell[3], dur, !merging, &w, why, sizeof why);
	if (sr == S_FATAL)
		return NORM_FAIL;
	if (ambiguous && sr == S_OK) {
		for (int i = 0; i < 4; i++) {
			dp_swap(&cell[i].date);
			dp_swap(&cell[i].date2);
		}
		char why2[64];
		if (times_of(n, line, &cell[0], &cell[1], &cell[2], &cell[3], dur, false, &other, why2, sizeof why2) ==
		    S_FATAL)
			return NORM_FAIL;
	}
	if (!w.ok && !merging && !n->m->no_times && *why)
		implog_warn(n->lg, line, "'%s': %s; kept as unscheduled", implog_value(title, 80, v1, sizeof v1), why);
	if (w.ok && bad_end && !merging)
		implog_warn(n->lg, line, "'%s': cannot read end '%s'; the talk has no end",
		            implog_value(title, 80, v1, sizeof v1), implog_value(n->text[F_END].s, 60, v2, sizeof v2));

	bool again;
	if (idc->len && !merging && id_seen(n, idh, true, &again))
		return NORM_FAIL;
	t->merging = merging;
	t->id = idc->s;
	t->id_len = idc->len;
	t->title = title;
	t->title_len = n->text[F_TITLE].len;
	t->room = n->text[F_ROOM].s;
	t->room_len = n->text[F_ROOM].len;
	enum imp_field tr = n->m->track_from_type && !n->text[F_TRACK].len ? F_TYPE : F_TRACK;
	t->track = n->text[tr].s;
	t->track_len = n->text[tr].len;
	t->type = n->text[F_TYPE].s;
	t->type_len = n->text[F_TYPE].len;
	t->speakers = spk->s;
	t->speakers_len = spk->len;
	t->abstract = n->text[F_ABSTRACT].s;
	t->abstract_len = n->text[F_ABSTRACT].len;
	t->url = n->text[F_URL].s;
	t->url_len = n->text[F_URL].len;
	put_when(&w, &t->scheduled, t->start, t->end, t->day);
	t->ord = used;
	if (ambiguous && w.ok) {
		t->alt = true;
		put_when(&other, &t->alt_scheduled, t->astart, t->aend, t->aday);
	}
	if (!t->id_len) {
		slugify(title, t->slug);
		t->sph = fnv1a(spk->s, true);
	}
	return NORM_TALK;
}

/* ---- life cycle -------------------------------------------------------------- */

int norm_new(struct norm **out, const struct import_opts *o, const struct imp_map *m, struct imp_log *lg)
{
	*out = NULL;
	struct norm *n = calloc(1, sizeof *n);
	if (!n)
		return implog_oom(lg);
	n->o = o;
	n->m = m;
	n->lg = lg;
	n->first_day = DP_NO_FIRST_DAY;
	dp_order_init(&n->ev);
	if (o->first_day && *o->first_day && !dp_ymd(o->first_day, &n->first_day)) {
		free(n);
		ly_fail(lg->err, "--first-day takes a date as YYYY-MM-DD, not '%s'", o->first_day);
		return lg->rc = LY_USAGE;
	}
	if (o->tz && *o->tz) {
		snprintf(n->zone, sizeof n->zone, "%s", o->tz);
		n->zone_known = true;
		if (!parse_offset(o->tz, &n->zone_off)) {
			/* A zone name: the system's zone data says its offset on each day. */
			char path[320];
			snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", o->tz);
			FILE *f = strstr(o->tz, "..") ? NULL : fopen(path, "rb");
			if (!f) {
				free(n);
				ly_fail(lg->err, "--tz takes an offset (+02:00) or a zone name (Europe/Berlin), not '%s'", o->tz);
				return lg->rc = LY_USAGE;
			}
			fclose(f);
			const char *old = getenv("TZ");
			n->old_tz = old ? strdup(old) : NULL;
			n->tz_set = true;
			setenv("TZ", o->tz, 1);
			tzset();
			n->zone_named = true;
		}
	}
	*out = n;
	return LY_OK;
}

void norm_free(struct norm *n)
{
	if (!n)
		return;
	if (n->tz_set) {
		if (n->old_tz)
			setenv("TZ", n->old_tz, 1);
		else
			unsetenv("TZ");
		tzset();
	}
	free(n->old_tz);
	for (int f = 0; f < NFIELDS; f++)
		free(n->text[f].s);
	free(n->spk.s);
	free(n->ids);
	free(n);
}

enum date_order norm_order(const struct norm *n)
{
	return n->o->order != DATE_ORDER_AUTO ? n->o->order : dp_order_pick(&n->ev);
}

const char *norm_zone(const struct norm *n)
{
	return n->zone;
}

void norm_describe(const struct norm *n, enum imp_field f, char *out, size_t outlen)
{
	const struct seen *s = &n->seen[f];
	size_t o = 0;
	out[0] = '\0';
#define ADD(text)                                                                              \
	do {                                                                                   \
		int w_ = snprintf(out + o, outlen - o, "%s%s", o ? ", " : "", text);           \
		if (w_ > 0 && (size_t)w_ < outlen - o)                                         \
			o += (size_t)w_;                                                       \
	} while (0)
	if (s->iso)
		ADD(s->zoned ? "ISO 8601 with zone" : "ISO 8601");
	if (s->ampm)
		ADD("12-hour");
	else if (s->h24 && !s->iso)
		ADD("24-hour");
	if (s->range)
		ADD("time ranges");
	if (s->numeric)
		ADD(norm_order(n) == DATE_ORDER_DMY ? "day/month/year" : "month/day/year");
	if (s->words)
		ADD("dates in words");
	if (s->duration)
		ADD("minutes or h:mm");
	if (f == F_SPEAKERS && n->speaker_entries)
		ADD("one per ';', \"Name, Title, Company\" as \"Name (Company)\"");
#undef ADD
}
