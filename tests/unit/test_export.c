/* Export: the trip report checked by a real CommonMark parser (cmark), the
 * calendar by a real iCalendar parser (libical), the CSV by a round trip
 * through lanyard's own import, the JSON by python3's parser; the talk
 * iterator's filters; atomic writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lanyard/export.h"
#include "lanyard/import.h"
#include "lanyard/restore.h"
#include "lanyard/store.h"
#include "lanyard/talk_iter.h"
#include "lanyard/text.h"
#include "testutil.h"

static const char take_t06[] =
	"Big red button: halt all deployments and rollouts on failure.\n"
	"Blame the system, not the engineer.\n"
	"# not a heading\n"
	"<div>stray tag</div>\n"
	"Setext trap\n"
	"===\n"
	"- a list, as written\n"
	"- **bold** stays Markdown";
static const char take_t05[] = "We follow one pattern only.\n```\nunclosed fence; the next talk must survive";
static const char take_t11[] = "One portal: pipelines, AWS accounts, dashboards; \\ back\\slash, \"quotes\"";

static char *path_in_tmp(const char *name)
{
	char *p = malloc(strlen(tu_tmpdir()) + strlen(name) + 2);
	sprintf(p, "%s/%s", tu_tmpdir(), name);
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n < 2)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Output of a shell command (its exit status in *status). */
static char *run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);
	while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
		n += got;
		if (cap - n < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	*status = pclose(p);
	return buf;
}

static int64_t talk(struct store *st, int64_t conf, const char *key)
{
	int64_t id;
	assert_int_equal(store_talk_id(st, conf, key, &id, NULL), LY_OK);
	return id;
}

static void mark(struct store *st, int64_t conf, const char *key, enum talk_status s, int rating,
                 const char *take)
{
	int64_t id = talk(st, conf, key);
	assert_int_equal(store_set_status(st, id, s, NULL), LY_OK);
	if (rating)
		assert_int_equal(store_set_rating(st, id, rating, NULL), LY_OK);
	if (take)
		assert_int_equal(store_set_takeaways(st, id, take, NULL), LY_OK);
}

/* The sample trip: four days, ten talks attended, two planned and missed,
 * one skipped; day notes and Booths notes. */
static struct store *trip(const char *dbname, const char *tz, int64_t *conf)
{
	struct store *st = tu_store(dbname);
	char *csv = tu_data("export-trip.csv");
	struct import_opts o = { .name = "kubecon-eu-2022", .tz = tz };
	struct import_report rep;
	struct ly_error err;
	if (import_file(st, csv, &o, &rep, NULL, NULL, &err) != LY_OK)
		fail_msg("%s", err.msg);
	free(csv);
	*conf = rep.conf_id;
	mark(st, *conf, "T01", STATUS_ATTENDED, 4, "Some fleets run two years behind.\nAutomate upgrades.");
	mark(st, *conf, "T02", STATUS_ATTENDED, 3, NULL);
	mark(st, *conf, "T03", STATUS_ATTENDED, 5, "Highlight of the keynotes.");
	mark(st, *conf, "T04", STATUS_ATTENDED, 1, "Graphs, graphs, graphs.");
	mark(st, *conf, "T05", STATUS_ATTENDED, 4, take_t05);
	mark(st, *conf, "T06", STATUS_ATTENDED, 5, take_t06);
	mark(st, *conf, "T07", STATUS_ATTENDED, 0, "HPA vs VPA; drain first.");
	mark(st, *conf, "T08", STATUS_PLANNED, 0, NULL);
	mark(st, *conf, "T09", STATUS_SKIPPED, 0, NULL);
	mark(st, *conf, "T10", STATUS_ATTENDED, 4, NULL);
	mark(st, *conf, "T11", STATUS_ATTENDED, 5, take_t11);
	mark(st, *conf, "T12", STATUS_PLANNED, 0, NULL);
	mark(st, *conf, "T14", STATUS_ATTENDED, 3, "Three clouds, one platform.");
	assert_int_equal(store_set_note(st, *conf, "overall", "The scale of the community.\nAlmost all of it open source.", NULL), LY_OK);
	assert_int_equal(store_set_note(st, *conf, "booths", "Linkerd booth: tap demo.", NULL), LY_OK);
	assert_int_equal(store_set_note(st, *conf, "2022-05-18", "Keynotes were okay.", NULL), LY_OK);
	assert_int_equal(store_set_note(st, *conf, "2022-05-21", "Flew home; wrote this up.", NULL), LY_OK);
	return st;
}

static char *export_file(struct store *st, int64_t conf, const struct export_opts *o, const char *name)
{
	char *p = path_in_tmp(name);
	struct ly_error err;
	if (export_to_path(st, conf, o, p, &err) != LY_OK)
		fail_msg("%s", err.msg);
	return p;
}

/* ---- the talk iterator ------------------------------------------------------ */

static int count_iter(struct store *st, const struct talk_filter *f, char *keys, size_t len)
{
	struct talk_iter *it;
	assert_int_equal(talk_iter_open(st, f, &it, NULL), LY_OK);
	const struct talk_item *t;
	int n = 0;
	keys[0] = '\0';
	while (talk_iter_next(it, &t, NULL) == LY_OK && t) {
		n++;
		strncat(keys, t->key, len - strlen(keys) - 2);
		strcat(keys, " ");
	}
	talk_iter_close(it);
	return n;
}

static void test_iter_filters(void **state)
{
	(void)state;
	int64_t conf;
	struct store *st = trip("iter.db", NULL, &conf);
	char keys[512];
	struct talk_filter f = { .conf = conf };
	assert_int_equal(count_iter(st, &f, keys, sizeof keys), 15);
	/* time order, unscheduled last */
	assert_string_equal(keys, "T01 T02 T03 T04 T05 T06 T07 T08 T09 T10 T11 T12 T13 T14 T15 ");
	f.statuses = TALK_SET(STATUS_PLANNED);
	assert_int_equal(count_iter(st, &f, keys, sizeof keys), 2);
	assert_string_equal(keys, "T08 T12 ");
	f.statuses = TALK_SET(STATUS_SKIPPED) | TALK_SET(STATUS_NONE);
	assert_int_equal(count_iter(st, &f, keys, sizeof keys), 3);
	assert_string_equal(keys, "T09 T13 T15 ");
	f.statuses = 0;
	f.min_rating = 5;
	assert_int_equal(count_iter(st, &f, keys, sizeof keys), 3);
	assert_string_equal(keys, "T03 T06 T11 ");
	f.min_rating = 0;
	f.day = "2022-05-19"; /* T12 runs past midnight: still the 19th */
	assert_int_equal(count_iter(st, &f, keys, sizeof keys), 3);
	assert_string_equal(keys, "T10 T11 T12 ");
	/* One item, every field. */
	f.day = NULL;
	f.min_rating = 5;
	struct talk_iter *it;
	const struct talk_item *t;
	assert_int_equal(talk_iter_open(st, &f, &it, NULL), LY_OK);
	assert_int_equal(talk_iter_next(it, &t, NULL), LY_OK);
	assert_string_equal(t->key, "T03");
	assert_string_equal(t->start, "2022-05-18 09:12");
	assert_string_equal(t->end, "2022-05-18 09:27");
	assert_string_equal(t->day, "2022-05-18");
	assert_string_equal(t->speakers, "Jürgen Weiß");
	assert_string_equal(t->room, "Auditorium");
	assert_int_equal(t->status, STATUS_ATTENDED);
	assert_int_equal(t->rating, 5);
	assert_string_equal(t->takeaways, "Highlight of the keynotes.");
	talk_iter_close(it);
	struct note_list nl;
	assert_int_equal(note_list_load(st, conf, &nl, NULL), LY_OK);
	assert_int_equal(nl.n, 4);
	assert_string_equal(nl.items[0].scope, "overall");
	assert_string_equal(nl.items[1].scope, "booths");
	assert_string_equal(nl.items[2].scope, "2022-05-18");
	assert_string_equal(note_list_get(&nl, "2022-05-21"), "Flew home; wrote this up.");
	assert_null(note_list_get(&nl, "2022-05-19"));
	note_list_free(&nl);
	store_close(st);
}

/* ---- Markdown through cmark --------------------------------------------------- */

/* The headings of cmark's XML, as "LEVEL TEXT" lines (text nodes joined). */
static char *headings(const char *xml)
{
	size_t cap = strlen(xml) + 1, n = 0;
	char *out = malloc(cap);
	out[0] = '\0';
	const char *p = xml;
	while ((p = strstr(p, "<heading level=\""))) {
		int level = p[16] - '0';
		const char *end = strstr(p, "</heading>");
		assert_non_null(end);
		n += (size_t)sprintf(out + n, "%d ", level);
		for (const char *q = p; (q = strstr(q, "<text xml:space=\"preserve\">")) && q < end;) {
			q += 27;
			const char *e = strstr(q, "</text>");
			memcpy(out + n, q, (size_t)(e - q));
			n += (size_t)(e - q);
			q = e;
		}
		out[n++] = '\n';
		out[n] = '\0';
		p = end;
	}
	return out;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_markdown_report(void **state)
{
	(void)state;
	int64_t conf;
	struct store *st = trip("md.db", "Europe/Madrid", &conf);
	struct export_opts o = { .format = EXPORT_MARKDOWN };
	char *md = export_file(st, conf, &o, "report.md");
	char *text = slurp(md, NULL);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "cmark -t xml '%s'", md);
	int status;
	char *xml = run(cmd, &status);
	assert_int_equal(status, 0);
	char *h = headings(xml);
	assert_string_equal(h,
		"1 kubecon-eu-2022 — trip report\n"
		"2 Overall\n"
		"2 Booths\n"
		"2 Day 1 — Tuesday 17 May 2022\n"
		"3 The New Stack Tapas Tuesday: Keeping Up With Kubernetes Upgrades\n"
		"3 Lightning Talks\n"
		"2 Day 2 — Wednesday 18 May 2022\n"
		"3 Keynote: From Servers to Cloud Native — A Carmaker's Platform Journey\n"
		"3 Keynote: Kubernetes in Space: Edge Computing on Satellites\n"
		"3 Kubernetes is Your Platform: Design Patterns For Extensible Controllers\n"
		"3 Effective Disaster Recovery: The Day We Deleted Production\n"
		"3 Autoscaling Kubernetes Deployments: A (Mostly) Practical Guide\n"
		"2 Day 3 — Thursday 19 May 2022\n"
		"3 Keynote: Kubernetes at the Large Hadron Collider\n"
		"3 Backstage: Restoring Order To Your Chaos\n"
		"2 Day 4 — Friday 20 May 2022\n"
		"3 Kubernetes Everywhere: Lessons Learned From Going Multi-Cloud\n"
		"2 Day 5 — Saturday 21 May 2022\n"
		"2 Highlights\n"
		"2 Lowlights\n"
		"2 Planned but missed\n");
	/* Nothing from the user's text became HTML, a heading or swallowed the rest. */
	assert_int_equal(count(xml, "<html_block"), 0);
	assert_int_equal(count(xml, "<html_inline"), 0);
	assert_non_null(strstr(xml, "&lt;div&gt;stray tag&lt;/div&gt;"));
	assert_non_null(strstr(xml, "# not a heading"));
	assert_non_null(strstr(xml, "Setext trap"));
	/* Their line breaks are kept, their Markdown works. */
	assert_true(count(xml, "<linebreak />") >= 6);
	assert_non_null(strstr(xml, "<strong>"));
	assert_non_null(strstr(xml, "<list type=\"bullet\""));
	assert_non_null(strstr(xml, "<code_block"));
	/* Highlights best first, lowlights, missed talks, and the stars. */
	const char *hl = strstr(text, "## Highlights");
	const char *ll = strstr(text, "## Lowlights");
	const char *pm = strstr(text, "## Planned but missed");
	assert_non_null(hl);
	assert_true(hl < ll && ll < pm);
	assert_true(strstr(hl, "Carmaker") < strstr(hl, "Tapas"));
	assert_non_null(strstr(ll, "Kubernetes in Space"));
	/* each with the first line of its takeaways */
	assert_non_null(strstr(hl, "★★★★★ (Day 2): Big red button: halt all deployments and rollouts on failure.\n"));
	assert_non_null(strstr(ll, "★☆☆☆☆ (Day 2): Graphs, graphs, graphs.\n"));
	assert_null(strstr(ll + 1, "Tapas") < pm ? strstr(ll + 1, "Tapas") : NULL);
	assert_non_null(strstr(pm, "Free Swag"));
	assert_non_null(strstr(pm, "Gotchas"));
	assert_non_null(strstr(text, "★★★★★ (5/5)"));
	assert_non_null(strstr(text, "10 talks attended over 4 days, 9 rated, average 3.8 of 5"));
	assert_non_null(strstr(text, "By track: Application + Development 5.0 (1 talk)"));
	/* The skipped and unplanned talks are not in it. */
	assert_null(strstr(text, "49 Ways"));
	assert_null(strstr(text, "CNCF"));
	assert_int_equal(count(text, "<div>"), count(text, "\\<div>"));
	free(h);
	free(xml);
	free(text);
	free(md);

	/* --all adds the planned talks to their days; --min-rating and --day narrow. */
	o.all = true;
	md = export_file(st, conf, &o, "all.md");
	text = slurp(md, NULL);
	assert_non_null(strstr(text, "### \\=HYPERLINK"));
	assert_non_null(strstr(text, "*Planned*"));
	free(text);
	free(md);
	/* During the conference, planned talks still to come are not "missed". */
	setenv("LANYARD_NOW", "2022-05-18 16:30", 1);
	o.all = false;
	md = export_file(st, conf, &o, "during.md");
	text = slurp(md, NULL);
	pm = strstr(text, "## Planned but missed");
	const char *sp = strstr(text, "## Still planned");
	assert_non_null(pm);
	assert_non_null(sp);
	assert_true(strstr(pm, "Free Swag") < sp);
	assert_non_null(strstr(sp, "Gotchas"));
	unsetenv("LANYARD_NOW");
	free(text);
	free(md);
	o = (struct export_opts){ .format = EXPORT_MARKDOWN, .min_rating = 5, .day = "2022-05-18" };
	md = export_file(st, conf, &o, "day.md");
	snprintf(cmd, sizeof cmd, "cmark -t xml '%s'", md);
	xml = run(cmd, &status);
	h = headings(xml);
	assert_string_equal(h,
		"1 kubecon-eu-2022 — trip report\n"
		"2 Day 2 — Wednesday 18 May 2022\n"
		"3 Keynote: From Servers to Cloud Native — A Carmaker's Platform Journey\n"
		"3 Effective Disaster Recovery: The Day We Deleted Production\n"
		"2 Highlights\n");
	free(h);
	free(xml);
	free(md);
	store_close(st);
}

/* ---- iCalendar through libical ------------------------------------------------ */

static bool utf8_lines_ok(const char *ics, size_t len)
{
	/* Every physical line: CRLF-terminated, at most 75 octets, whole UTF-8. */
	const char *p = ics, *end = ics + len;
	while (p < end) {
		const char *cr = strstr(p, "\r\n");
		if (!cr)
			return false;
		size_t n = (size_t)(cr - p);
		if (n > 75 || !text_valid_utf8(p, n) || memchr(p, '\n', n))
			return false;
		p = cr + 2;
	}
	return true;
}

static icalcomponent *event_by_uid(icalcomponent *cal, const char *uid)
{
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (strcmp(icalcomponent_get_uid(ev), uid) == 0)
			return ev;
	return NULL;
}

static time_t utc_of(icalcomponent *ev, bool end)
{
	struct icaltimetype t = end ? icalcomponent_get_dtend(ev) : icalcomponent_get_dtstart(ev);
	assert_non_null(t.zone);
	return icaltime_as_timet_with_zone(t, t.zone);
}

static time_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi };
	return timegm(&tm);
}

static void test_ics_calendar(void **state)
{
	(void)state;
	int64_t conf;
	struct store *st = trip("ics.db", "Europe/Madrid", &conf);
	struct export_opts o = { .format = EXPORT_ICS, .stamp = 1653000000 };
	char *p = export_file(st, conf, &o, "plan.ics");
	size_t len;
	char *ics = slurp(p, &len);
	assert_true(utf8_lines_ok(ics, len));
	assert_non_null(strstr(ics, "\r\n ")); /* something was folded */
	assert_non_null(strstr(ics, "DTSTAMP:20220519T224000Z\r\n"));
	icalcomponent *cal = icalparser_parse_string(ics);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 12);
	assert_non_null(icalcomponent_get_timezone(cal, "Europe/Madrid"));
	/* 11:55 in Valencia in May is 09:55 UTC (CEST). */
	icalcomponent *ev = event_by_uid(cal, "T06@kubecon-eu-2022");
	assert_non_null(ev);
	assert_int_equal(utc_of(ev, false), utc(2022, 5, 18, 9, 55));
	assert_int_equal(utc_of(ev, true), utc(2022, 5, 18, 10, 30));
	assert_string_equal(icalcomponent_get_summary(ev), "Effective Disaster Recovery: The Day We Deleted Production");
	assert_string_equal(icalcomponent_get_location(ev), "Hall 8.0 B");
	const char *desc = icalcomponent_get_description(ev);
	assert_non_null(strstr(desc, "Niamh Gallagher, Pieter Hoekstra\n"));
	assert_non_null(strstr(desc, take_t06));
	icalproperty *cat = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY);
	assert_string_equal(icalproperty_get_categories(cat), "Operations");
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
	/* Escaping: commas, semicolons, quotes, backslashes come back as written. */
	ev = event_by_uid(cal, "T11@kubecon-eu-2022");
	assert_non_null(strstr(icalcomponent_get_description(ev), take_t11));
	ev = event_by_uid(cal, "T12@kubecon-eu-2022");
	assert_string_equal(icalcomponent_get_summary(ev), "'Tis the Season: Lessons, \"Gotchas\" and Wins");
	assert_int_equal(utc_of(ev, true), utc(2022, 5, 19, 22, 30)); /* past midnight */
	/* Folding never split a character: the long abstract survives. */
	ev = event_by_uid(cal, "T05@kubecon-eu-2022");
	assert_non_null(strstr(icalcomponent_get_description(ev), "Ünïcödé façade — 日本語のテキスト, ✓ folding"));
	cat = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY);
	assert_string_equal(icalproperty_get_categories(cat), "Customizing + Extending Kubernetes");
	/* Skipped, unplanned and unscheduled talks stay out. */
	assert_null(event_by_uid(cal, "T09@kubecon-eu-2022"));
	assert_null(event_by_uid(cal, "T13@kubecon-eu-2022"));
	icalcomponent_free(cal);

	/* A second export: the same UIDs, so a calendar updates instead of duplicating. */
	o.stamp = 1653100000;
	char *p2 = export_file(st, conf, &o, "plan2.ics");
	char *ics2 = slurp(p2, NULL);
	icalcomponent *a = icalparser_parse_string(ics), *b = icalparser_parse_string(ics2);
	int n = 0;
	for (icalcomponent *e = icalcomponent_get_first_component(a, ICAL_VEVENT_COMPONENT); e;
	     e = icalcomponent_get_next_component(a, ICAL_VEVENT_COMPONENT), n++)
		assert_non_null(event_by_uid(b, icalcomponent_get_uid(e)));
	assert_int_equal(n, icalcomponent_count_components(b, ICAL_VEVENT_COMPONENT));
	icalcomponent_free(a);
	icalcomponent_free(b);
	free(ics2);
	free(p2);

	/* --all: every scheduled talk (the unscheduled one has no time to give). */
	o.all = true;
	p2 = export_file(st, conf, &o, "all.ics");
	ics2 = slurp(p2, NULL);
	cal = icalparser_parse_string(ics2);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 14);
	icalcomponent_free(cal);
	free(ics2);
	free(p2);
	free(ics);
	free(p);
	store_close(st);
}

/* Without a zone the times are floating: local to wherever the calendar is. */
static void test_ics_floating(void **state)
{
	(void)state;
	int64_t conf;
	struct store *st = trip("float.db", NULL, &conf);
	struct export_opts o = { .format = EXPORT_ICS };
	char *p = export_file(st, conf, &o, "float.ics");
	char *ics = slurp(p, NULL);
	assert_null(strstr(ics, "VTIMEZONE"));
	assert_non_null(strstr(ics, "DTSTART:20220518T115500\r\n"));
	icalcomponent *cal = icalparser_parse_string(ics);
	icalcomponent *ev = event_by_uid(cal, "T06@kubecon-eu-2022");
	struct icaltimetype t = icalcomponent_get_dtstart(ev);
	assert_null(t.zone);
	assert_false(icaltime_is_utc(t));
	assert_int_equal(t.hour, 11);
	assert_int_equal(t.minute, 55);
	icalcomponent_free(cal);
	free(ics);
	free(p);
	store_close(st);
}

/* The VTIMEZONE built from a zone's rules gives the same UTC times as the C
 * library does from the same zone, in winter and summer, north and south. */
static void test_ics_zones(void **state)
{
	(void)state;
	static const char *const zones[] = { "Europe/Madrid", "America/New_York", "Australia/Sydney",
	                                     "Asia/Tokyo", "America/Sao_Paulo", "Asia/Kolkata" };
	static const char sched[] =
		"id,title,date,start,end\n"
		"W,Winter talk,2024-01-15,10:00,11:00\n"
		"S,Summer talk,2024-07-15,10:00,11:00\n"
		"M,March talk,2024-03-31,12:00,13:00\n";
	char *csv = tu_write("zones.csv", sched, (size_t)-1);
	for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		struct store *st = tu_store("zones.db");
		struct import_opts io = { .name = zones[z], .tz = zones[z] };
		struct import_report rep;
		assert_int_equal(import_file(st, csv, &io, &rep, NULL, NULL, NULL), LY_OK);
		int64_t conf = rep.conf_id;
		static const char *const keys[] = { "W", "S", "M" };
		for (int k = 0; k < 3; k++)
			assert_int_equal(store_set_status(st, talk(st, conf, keys[k]), STATUS_PLANNED, NULL), LY_OK);
		struct export_opts o = { .format = EXPORT_ICS };
		char *p = export_file(st, conf, &o, "zones.ics");
		char *ics = slurp(p, NULL);
		icalcomponent *cal = icalparser_parse_string(ics);
		assert_non_null(icalcomponent_get_timezone(cal, zones[z]));
		setenv("TZ", zones[z], 1);
		tzset();
		static const int when[3][4] = { { 1, 15, 10, 0 }, { 7, 15, 10, 0 }, { 3, 31, 12, 0 } };
		for (int k = 0; k < 3; k++) {
			char uid[64];
			snprintf(uid, sizeof uid, "%s@%s", keys[k], zones[z]);
			icalcomponent *ev = event_by_uid(cal, uid);
			assert_non_null(ev);
			struct tm tm = { .tm_year = 124, .tm_mon = when[k][0] - 1, .tm_mday = when[k][1],
			                 .tm_hour = when[k][2], .tm_isdst = -1 };
			time_t want = mktime(&tm);
			if (utc_of(ev, false) != want)
				fail_msg("%s %s: libical says %ld, libc %ld", zones[z], keys[k], (long)utc_of(ev, false),
				         (long)want);
		}
		icalcomponent_free(cal);
		free(ics);
		free(p);
		store_close(st);
		char db[512];
		snprintf(db, sizeof db, "%s/zones.db", tu_tmpdir());
		unlink(db);
	}
	setenv("TZ", "UTC", 1);
	tzset();
	free(csv);
}

/* ---- CSV: out and back in ---------------------------------------------------------- */

static void test_csv_round_trip(void **state)
{
	(void)state;
	int64_t conf;
	struct store *st = trip("csv-a.db", "Europe/Madrid", &conf);
	struct export_opts o = { .format = EXPORT_CSV };
	char *p = export_file(st, conf, &o, "backup.csv");
	char *csv = slurp(p, NULL);
	/* RFC 4180 with formula-like cells neutralised. */
	assert_true(strncmp(csv, export_csv_header, strlen(export_csv_header)) == 0);
	assert_non_null(strstr(csv, "\r\n"));
	assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"http://example.com\"\",\"\"Free Swag\"\")\","));
	assert_non_null(strstr(csv, ",\"'+49 Ways to Scale; a Talk\","));
	assert_non_null(strstr(csv, ",\"'@vendor\","));
	assert_non_null(strstr(csv, ",\"'-Dashes first\","));
	assert_non_null(strstr(csv, ",\"''Tis the Season"));
	assert_non_null(strstr(csv, "note,kubecon-eu-2022,Europe/Madrid,booths,"));
	assert_true(restore_is_export(p));
	char *orig = tu_data("export-trip.csv");
	assert_false(restore_is_export(orig));
	free(orig);

	/* Into a fresh database: the same talks, marks, takeaways and notes. */
	struct store *b = tu_store("csv-b.db");
	struct import_report rep;
	struct ly_error err;
	if (import_file(b, p, NULL, &rep, NULL, NULL, &err) != LY_OK)
		fail_msg("%s", err.msg);
	assert_string_equal(rep.conf_name, "kubecon-eu-2022");
	assert_int_equal(rep.talks, 15);
	assert_int_equal(rep.added, 15);
	assert_int_equal(rep.unscheduled, 1);
	char *p2 = export_file(b, rep.conf_id, &o, "backup2.csv");
	char *csv2 = slurp(p2, NULL);
	assert_string_equal(csv, csv2);
	int64_t id;
	assert_int_equal(store_talk_id(b, rep.conf_id, "T08", &id, NULL), LY_OK);
	sqlite3_stmt *s = store_stmt(b, "SELECT title FROM talk WHERE id = ?1", NULL);
	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "=HYPERLINK(\"http://example.com\",\"Free Swag\")");
	sqlite3_reset(s);
	char *take;
	assert_int_equal(store_get_takeaways(b, talk(b, rep.conf_id, "T06"), &take, NULL), LY_OK);
	assert_string_equal(take, take_t06);
	free(take);
	/* ... and search finds the restored talks and takeaways. */
	s = store_stmt(b, "SELECT count(*) FROM talk_fts WHERE talk_fts MATCH 'backstage'", NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1);
	sqlite3_reset(s);
	s = store_stmt(b, "SELECT count(*) FROM mine_fts WHERE mine_fts MATCH 'rollouts'", NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1);
	sqlite3_reset(s);
	/* The same backup again changes nothing. */
	char *before = tu_fingerprint(b);
	assert_int_equal(import_file(b, p, NULL, &rep, NULL, NULL, &err), LY_OK);
	assert_int_equal(rep.unchanged, 15);
	assert_int_equal(rep.added + rep.updated, 0);
	char *after = tu_fingerprint(b);
	/* imported_at and import_seq move on; the talks and user data do not */
	assert_string_equal(strstr(before, "CREATE TABLE mark"), strstr(after, "CREATE TABLE mark"));
	free(before);
	free(after);
	free(csv2);
	free(p2);
	free(csv);
	free(p);
	store_close(b);
	store_close(st);
}

static void collect(void *ctx, const char *msg)
{
	char *buf = ctx;
	strncat(buf, msg, 2047 - strlen(buf));
	strncat(buf, "\n", 2047 - strlen(buf));
}

static void test_csv_merge(void **state)
{
	(void)state;
	int64_t conf;
	struct store *st = trip("merge-a.db", "Europe/Madrid", &conf);
	struct export_opts o = { .format = EXPORT_CSV };
	char *p = export_file(st, conf, &o, "laptop.csv");
	store_close(st);

	/* The other laptop: the schedule, and some data of its own. */
	struct store *b = tu_store("merge-b.db");
	char *sched = tu_data("export-trip.csv");
	struct import_opts io = { .name = "kubecon-eu-2022" };
	struct import_report rep;
	assert_int_equal(import_file(b, sched, &io, &rep, NULL, NULL, NULL), LY_OK);
	free(sched);
	int64_t c = rep.conf_id;
	mark(b, c, "T06", STATUS_PLANNED, 0, "Typed on the phone: big red button.");
	mark(b, c, "T03", STATUS_NONE, 2, "Highlight of the keynotes.");
	assert_int_equal(store_set_note(b, c, "booths", "Swag: socks.", NULL), LY_OK);
	assert_int_equal(store_set_note(b, c, "overall", "The scale of the community.\nAlmost all of it open source.", NULL), LY_OK);
	char msgs[2048] = "";
	struct ly_error err;
	if (import_file(b, p, NULL, &rep, collect, msgs, &err) != LY_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(rep.conf_id, c);
	assert_non_null(strstr(msgs, "both kept"));
	/* Updates still come from the organisers' schedule, not the backup. */
	sqlite3_stmt *q = store_stmt(b, "SELECT source FROM conference WHERE id = ?1", NULL);
	sqlite3_bind_int64(q, 1, c);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(q, 0), "export-trip.csv"));
	sqlite3_reset(q);
	char *take;
	/* Differing takeaways: both, the restored one marked. */
	assert_int_equal(store_get_takeaways(b, talk(b, c, "T06"), &take, NULL), LY_OK);
	assert_true(strncmp(take, "Typed on the phone: big red button.\n", 36) == 0);
	assert_non_null(strstr(take, "--- restored from laptop.csv ---\n"));
	assert_non_null(strstr(take, take_t06));
	free(take);
	/* Equal takeaways stay single. */
	assert_int_equal(store_get_takeaways(b, talk(b, c, "T03"), &take, NULL), LY_OK);
	assert_string_equal(take, "Highlight of the keynotes.");
	free(take);
	/* A status or rating already set is kept; an empty one is filled. */
	enum talk_status s;
	int r;
	assert_int_equal(store_get_status(b, talk(b, c, "T06"), &s, &r, NULL), LY_OK);
	assert_int_equal(s, STATUS_PLANNED);
	assert_int_equal(r, 5);
	assert_int_equal(store_get_status(b, talk(b, c, "T03"), &s, &r, NULL), LY_OK);
	assert_int_equal(s, STATUS_ATTENDED);
	assert_int_equal(r, 2);
	assert_int_equal(store_get_status(b, talk(b, c, "T11"), &s, &r, NULL), LY_OK);
	assert_int_equal(s, STATUS_ATTENDED);
	assert_int_equal(r, 5);
	/* Notes: differing ones both kept, new days added, equal ones untouched. */
	char *note;
	assert_int_equal(store_get_note(b, c, "booths", &note, NULL), LY_OK);
	assert_true(strncmp(note, "Swag: socks.\n", 13) == 0);
	assert_non_null(strstr(note, "Linkerd booth: tap demo."));
	free(note);
	assert_int_equal(store_get_note(b, c, "overall", &note, NULL), LY_OK);
	assert_string_equal(note, "The scale of the community.\nAlmost all of it open source.");
	free(note);
	assert_int_equal(store_get_note(b, c, "2022-05-21", &note, NULL), LY_OK);
	assert_string_equal(note, "Flew home; wrote this up.");
	free(note);
	/* Merging again adds nothing more. */
	char *before = tu_fingerprint(b);
	assert_int_equal(import_file(b, p, NULL, &rep, NULL, NULL, NULL), LY_OK);
	char *after = tu_fingerprint(b);
	assert_string_equal(strstr(before, "CREATE TABLE mark"), strstr(after, "CREATE TABLE mark"));
	free(before);
	free(after);
	free(p);
	store_close(b);
}

/* Hostile rows in something that looks like an export: warnings, never a crash. */
static void test_csv_bad_rows(void **state)
{
	(void)state;
	char text[2048];
	snprintf(text, sizeof text,
		"%s\r\n"
		"talk,c,,K1,Fine,2022-05-18,2022-05-18 10:00,2022-05-18 11:00,,,,,,,,attended,5,ok\r\n"
		"talk,c,,K2,Bad time,,tomorrow,,,,,,,,,wandering,9,\r\n"
		"talk,c,,,No key,,,,,,,,,,,,,\r\n"
		"note,c,,kitchen,Notes,,,,,,,,,,,,,nope\r\n"
		"ghost,c,,K3,Boo,,,,,,,,,,,,,\r\n",
		export_csv_header);
	char *p = tu_write("bad.csv", text, (size_t)-1);
	struct store *st = tu_store("bad.db");
	char msgs[2048] = "";
	struct import_report rep;
	struct ly_error err;
	assert_int_equal(import_file(st, p, NULL, &rep, collect, msgs, &err), LY_OK);
	assert_int_equal(rep.talks, 2);
	assert_int_equal(rep.unscheduled, 1);
	assert_non_null(strstr(msgs, ":3: warning: start 'tomorrow'"));
	assert_non_null(strstr(msgs, ":3: warning: status 'wandering'"));
	assert_non_null(strstr(msgs, ":3: warning: rating '9'"));
	assert_non_null(strstr(msgs, ":4: warning: a talk without a usable key"));
	assert_non_null(strstr(msgs, ":5: warning: a note for 'kitchen'"));
	assert_non_null(strstr(msgs, ":6: warning: a row of kind 'ghost'"));
	/* An unterminated quote fails the whole file and changes nothing. */
	char *fp = tu_fingerprint(st);
	snprintf(text, sizeof text, "%s\r\ntalk,c,,K9,\"never closed,,\r\n", export_csv_header);
	char *p2 = tu_write("open.csv", text, (size_t)-1);
	assert_int_equal(import_file(st, p2, NULL, &rep, NULL, NULL, &err), LY_ERR);
	assert_non_null(strstr(err.msg, "open.csv:2: error: unterminated"));
	char *fp2 = tu_fingerprint(st);
	assert_string_equal(fp, fp2);
	free(fp);
	free(fp2);
	free(p2);
	free(p);
	store_close(st);
}

/* ---- JSON ----------------------------------------------------------------------------- */

static void test_json(void **state)
{
	(void)state;
	int64_t conf;
	struct store *st = trip("json.db", "Europe/Madrid", &conf);
	/* A control character in a takeaway must come out escaped. */
	assert_int_equal(store_set_takeaways(st, talk(st, conf, "T07"), "bell\a and tab\t and \"q\"", NULL), LY_OK);
	struct export_opts o = { .format = EXPORT_JSON };
	char *p = export_file(st, conf, &o, "all.json");
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		"python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding=\"utf-8\"));"
		" t={x[\"key\"]: x for x in d[\"talks\"]};"
		" print(len(d[\"talks\"]), d[\"conference\"][\"name\"], d[\"conference\"][\"tz\"], len(d[\"notes\"]),"
		" t[\"T06\"][\"rating\"], t[\"T06\"][\"status\"], t[\"T15\"][\"start\"], t[\"T05\"][\"speakers\"],"
		" repr(t[\"T07\"][\"takeaways\"]), t[\"T08\"][\"title\"], t[\"T06\"][\"takeaways\"] == sys.argv[2])' '%s' '%s'",
		p, take_t06);
	int status;
	char *out = run(cmd, &status);
	assert_int_equal(status, 0);
	assert_string_equal(out, "15 kubecon-eu-2022 Europe/Madrid 4 5 attended None Ana Ferreira, Tobias Brandt "
	                         "'bell\\x07 and tab\\t and \"q\"' =HYPERLINK(\"http://example.com\",\"Free Swag\") True\n");
	free(out);
	snprintf(cmd, sizeof cmd, "python3 -m json.tool '%s' >/dev/null", p);
	free(run(cmd, &status));
	assert_int_equal(status, 0);
	char *text = slurp(p, NULL);
	assert_non_null(strstr(text, "日本語のテキスト")); /* non-ASCII kept as it is */
	free(text);
	free(p);
	store_close(st);
}

/* ---- writing files --------------------------------------------------------------------- */

static void test_atomic_output(void **state)
{
	(void)state;
	int64_t conf;
	struct store *st = trip("out.db", NULL, &conf);
	char *p = path_in_tmp("report-out.md");
	FILE *f = fopen(p, "w");
	fputs("old contents", f);
	fclose(f);
	chmod(p, 0644);
	struct export_opts o = { .format = EXPORT_MARKDOWN };
	struct ly_error err;
	assert_int_equal(export_to_path(st, conf, &o, p, &err), LY_OK);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	char *text = slurp(p, NULL);
	assert_true(strncmp(text, "# kubecon-eu-2022 — trip report", 20) == 0);
	free(text);
	/* No temporary file is left beside it. */
	char cmd[600];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '^\\.report-out'", tu_tmpdir());
	int status;
	char *out = run(cmd, &status);
	assert_string_equal(out, "0\n");
	free(out);
	/* A directory that does not exist: an error naming the path. */
	char *bad = path_in_tmp("no/such/dir/report.md");
	assert_int_equal(export_to_path(st, conf, &o, bad, &err), LY_ERR);
	assert_non_null(strstr(err.msg, bad));
	free(bad);
	/* The browser's report: the default path under $HOME. */
	char buf[1024];
	setenv("HOME", tu_tmpdir(), 1);
	assert_int_equal(export_report_default_path("kubecon/eu 2022", buf, sizeof buf, &err), LY_OK);
	char want[1024];
	snprintf(want, sizeof want, "%s/kubecon-eu 2022-trip-report.md", tu_tmpdir());
	assert_string_equal(buf, want);
	assert_int_equal(export_report_file(st, conf, buf, &err), LY_OK);
	assert_int_equal(stat(buf, &sb), 0);
	free(p);
	store_close(st);
}

static void test_format_names(void **state)
{
	(void)state;
	enum export_format f;
	assert_int_equal(export_format_parse("markdown", &f), LY_OK);
	assert_int_equal(f, EXPORT_MARKDOWN);
	assert_int_equal(export_format_parse("ics", &f), LY_OK);
	assert_int_equal(f, EXPORT_ICS);
	assert_int_equal(export_format_parse("csv", &f), LY_OK);
	assert_int_equal(f, EXPORT_CSV);
	assert_int_equal(export_format_parse("json", &f), LY_OK);
	assert_int_equal(f, EXPORT_JSON);
	assert_int_equal(export_format_parse("pdf", &f), LY_ERR);
	assert_int_equal(export_format_parse("", &f), LY_ERR);
}

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_iter_filters),
		cmocka_unit_test(test_markdown_report),
		cmocka_unit_test(test_ics_calendar),
		cmocka_unit_test(test_ics_floating),
		cmocka_unit_test(test_ics_zones),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_csv_merge),
		cmocka_unit_test(test_csv_bad_rows),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_atomic_output),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
