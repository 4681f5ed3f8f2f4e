/* The importer against real export shapes (tests/data) and the CSV edge
 * cases written out byte by byte here: header mapping, dates and times,
 * encodings, keys, merges, re-imports, and failures that change nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lanyard/import.h"
#include "lanyard/store.h"
#include "testutil.h"

/* ---- helpers ---------------------------------------------------------------- */

struct msgs {
	char text[32768];
	size_t len;
	int n;
};

static void collect(void *ctx, const char *msg)
{
	struct msgs *m = ctx;
	int w = snprintf(m->text + m->len, sizeof m->text - m->len, "%s\n", msg);
	if (w > 0 && m->len + (size_t)w < sizeof m->text)
		m->len += (size_t)w;
	m->n++;
}

static struct store *fresh(void)
{
	static int n;
	char name[32];
	snprintf(name, sizeof name, "import-%d.db", ++n);
	return tu_store(name);
}

static int run_import(struct store *st, const char *path, const struct import_opts *o, struct import_report *rep,
                      struct msgs *m)
{
	struct ly_error err = { { 0 } };
	memset(m, 0, sizeof *m);
	int rc = import_file(st, path, o, rep, collect, m, &err);
	if (rc != LY_OK)
		fail_msg("import of %s failed: %s", path, err.msg);
	return rc;
}

/* Import and expect success. */
static void ok(struct store *st, const char *path, const struct import_opts *o, struct import_report *rep,
               struct msgs *m)
{
	assert_int_equal(run_import(st, path, o, rep, m), LY_OK);
}


/* A talk's column by key (in any conference). */
#define TALK(st, key, col, want) EXPECT(st, want, "SELECT " col " FROM talk WHERE key = %Q", key)

static void contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

static char *write_csv(const char *name, const char *text)
{
	return tu_write(name, text, (size_t)-1);
}

/* The import fails with exactly msg and the store is as it was. */
static void fails_cleanly(struct store *st, const char *path, const struct import_opts *o, const char *msg)
{
	char *before = tu_fingerprint(st);
	struct import_report rep;
	struct msgs m = { .len = 0 };
	struct ly_error err = { { 0 } };
	int rc = import_file(st, path, o, &rep, collect, &m, &err);
	if (rc != LY_ERR)
		fail_msg("import of %s did not fail (rc %d)", path, rc);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("message:\n  got  '%s'\n  want '%s'", err.msg, msg);
	char *after = tu_fingerprint(st);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	static char buf[8][1024];
	static int k;
	char *b = buf[k++ % 8];
	va_list ap;
	va_start(ap, f);
	vsnprintf(b, sizeof buf[0], f, ap);
	va_end(ap);
	return b;
}

/* The six hex digits the importer appends for a speakers list. */
static const char *speaker_hash(const char *speakers)
{
	static char out[8];
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)speakers; *p; p++) {
		unsigned c = *p >= 'A' && *p <= 'Z' ? *p + 32u : *p;
		h ^= c;
		h *= 16777619u;
	}
	snprintf(out, sizeof out, "%06x", (unsigned)(h & 0xFFFFFF));
	return out;
}

static int64_t talk_id(struct store *st, const char *key)
{
	char *v = tu_query(st, "SELECT id FROM talk WHERE key = %Q", key);
	int64_t id = strtoll(v, NULL, 10);
	free(v);
	assert_true(id > 0);
	return id;
}

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

static const struct import_opts defaults = { 0 };

/* ---- real export shapes -------------------------------------------------------- */

static void test_sessionize_rows_per_speaker(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = tu_data("sessionize-rows.csv");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_string_equal(rep.conf_name, "sessionize-rows");
	assert_int_equal(rep.rows, 10);
	assert_int_equal(rep.talks, 6);
	assert_int_equal(rep.unscheduled, 1);
	assert_int_equal(rep.added, 6);
	assert_int_equal(rep.warnings, 1);
	assert_string_equal(m.text, fmt("%s:12: warning: 'Unscheduled Workshop': no date or time; kept as unscheduled\n", path));
	/* Session ids are the keys; speaker ids and owners are not. */
	EXPECT(st, "512301,512302,512303,512304,512305,512306", "SELECT group_concat(key, ',') FROM (SELECT key FROM talk ORDER BY seq)");
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE key LIKE '6f1c%%' OR speakers LIKE '%%@%%'");
	/* One talk per session; speakers merged in order, without repeats. */
	TALK(st, "512301", "speakers", "Rita Lopes, Duarte Silva");
	TALK(st, "512305", "speakers", "Rita Lopes, Ana Costa, Nuno Reis");
	TALK(st, "512303", "speakers", "");
	/* "M/D/YYYY h:mm AM/PM" plus a duration in minutes or H:MM. */
	TALK(st, "512301", "start", "2022-05-18 09:30");
	TALK(st, "512301", "end", "2022-05-18 10:10");
	TALK(st, "512302", "start || ' ' || end", "2022-05-18 12:00 2022-05-18 12:30");
	TALK(st, "512305", "start || ' ' || end", "2022-05-19 16:00 2022-05-19 17:00");
	TALK(st, "512305", "day", "2022-05-19");
	TALK(st, "512306", "coalesce(start, 'NULL') || coalesce(end, 'NULL') || coalesce(day, 'NULL')", "NULLNULLNULL");
	TALK(st, "512301", "abstract", "How a small team runs forty clusters: paved roads, a catalogue and saying \"no\" politely.");
	TALK(st, "512304", "abstract", "Game days, blameless reviews\r\nand what we changed afterwards.");
	TALK(st, "512301", "track || '|' || type || '|' || room", "Platform|Session|Main Hall");
	TALK(st, "512305", "type", "Panel");
	/* The line a record starts on, after a record spanning two lines. */
	TALK(st, "512301", "line", "2");
	TALK(st, "512305", "line", "8");
	TALK(st, "512306", "line", "12");
	TALK(st, "512304", "change || removed", "0");
	EXPECT(st, "sessionize-rows", "SELECT name FROM conference");
	/* The source is remembered as a full path, for updates from anywhere. */
	char *full = realpath(path, NULL);
	EXPECT(st, full, "SELECT source FROM conference");
	free(full);
	free(path);
	store_close(st);
}

static void test_sched_export(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = tu_data("sched-export.csv");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(rep.talks, 9);
	assert_int_equal(m.n, 0);
	/* "name" is the title; session_type is what the schedule is browsed by. */
	TALK(st, "welcome-opening-keynote", "title || '|' || track || '|' || room || '|' || speakers",
	     "Welcome + Opening Keynote|Keynote Sessions|Auditorium|Priya Raman");
	/* Without ids: a coffee break four times is four talks, numbered in
	 * file order; the same title by other speakers gets their hash. */
	EXPECT(st, "coffee-break coffee-break~2 coffee-break~3 coffee-break~4",
	       "SELECT group_concat(key, ' ') FROM (SELECT key FROM talk WHERE title = 'Coffee Break' ORDER BY seq)");
	EXPECT(st, "2022-05-18 10:30", "SELECT start FROM talk WHERE key = 'coffee-break'");
	EXPECT(st, "2022-05-19 10:30", "SELECT start FROM talk WHERE key = 'coffee-break~3'");
	TALK(st, fmt("lightning-talks-%s", speaker_hash("Kaja Nowak, Hiro Tanaka")), "start", "2022-05-18 11:00");
	TALK(st, fmt("lightning-talks-%s", speaker_hash("Mei Chen")), "start", "2022-05-19 11:00");
	/* An end on the next day, written with seconds. */
	TALK(st, "pub-quiz", "start || ' ' || end || ' ' || day", "2022-05-19 22:30 2022-05-20 00:30 2022-05-19");
	free(path);
	store_close(st);
}

static void test_pretalx_export(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = tu_data("pretalx-export.csv");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(rep.talks, 4);
	/* ISO 8601 with a zone: the wall-clock time is kept. */
	TALK(st, "RXK3MZ", "start || ' ' || end", "2022-05-18 11:00 2022-05-18 11:45");
	TALK(st, "RXK3MZ", "speakers", "Zo\xc3\xab \xc3\x98rsted, Jonas Weber");
	TALK(st, "QPL9TT", "start || ' ' || end || ' ' || day", "2022-05-18 23:30 2022-05-19 01:00 2022-05-18");
	/* 00:30 belongs to the evening before (a day runs 04:00 to 04:00);
	 * the start stays exact; the end comes from the duration. */
	TALK(st, "HH7Z2A", "start || ' ' || end || ' ' || day", "2022-05-19 00:30 2022-05-19 01:30 2022-05-18");
	/* 04:00 is a new day; no end and no duration leaves the end unknown. */
	TALK(st, "BBD4RE", "start || ' ' || day", "2022-05-19 04:00 2022-05-19");
	TALK(st, "BBD4RE", "coalesce(end, 'NULL')", "NULL");
	TALK(st, "HH7Z2A", "type", "Meetup");
	free(path);
	store_close(st);
}

static void test_excel_semicolon(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = tu_data("excel-semicolon.csv");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(rep.talks, 3);
	assert_int_equal(m.n, 0);
	/* BOM, ';', DD.MM.YYYY, a range in the time cell, German headers. */
	TALK(st, "plattform-teams-im-mittelstand", "start || ' ' || end", "2024-03-14 09:00 2024-03-14 10:30");
	TALK(st, "plattform-teams-im-mittelstand", "abstract", "Teams, Tools; und Budgets");
	TALK(st, "plattform-teams-im-mittelstand", "speakers || '|' || room || '|' || track", "Jana Vogel|Saal 1|Platform");
	/* An en dash range; letters beyond ASCII stay in keys. */
	TALK(st, "observability-f\xc3\xbcr-einsteiger", "start || ' ' || end", "2024-03-14 11:00 2024-03-14 11:45");
	TALK(st, "observability-f\xc3\xbcr-einsteiger", "abstract", "Metriken, Logs und \"Traces\"");
	TALK(st, "observability-f\xc3\xbcr-einsteiger", "speakers", "Lukas Maier, Eva Brandt");
	/* The last line has no line break. */
	TALK(st, "gitops-mit-flux", "start || ' ' || abstract || ' ' || line", "2024-03-15 13:15 Praxisbericht 4");
	free(path);
	store_close(st);
}

static void test_guidebook_tabs(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = tu_data("guidebook.tsv");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_string_equal(rep.conf_name, "guidebook");
	assert_int_equal(rep.talks, 4);
	TALK(st, "welcome-breakfast", "start || ' ' || end || ' ' || room || ' ' || track",
	     "2022-04-30 08:00 2022-04-30 09:00 Atrium Social");
	TALK(st, "welcome-breakfast", "abstract", "Coffee, pastries");
	TALK(st, "accessible-design-101", "abstract", "Contrast, focus order and \"alt\" text");
	TALK(st, "lunch", "start || ' ' || end", "2022-04-30 12:00 2022-04-30 13:00");
	TALK(st, "closing-remarks", "start || ' ' || end", "2022-05-01 16:30 2022-05-01 17:00");
	free(path);
	store_close(st);
}

/* ---- the header ------------------------------------------------------------------- */

static void test_header_synonyms(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = write_csv("synonyms.csv",
		"GUID,Session Title,Day,Time Start,Time End,Venue,Category,Session Format,Presenter,Synopsis,Link,Shoe Size\n"
		"g-1,Mapping Headers,2022-05-18,10:00,10:45,Room 1,Tooling,Talk,Ana Costa,Synonyms everywhere.,https://example.org/1,44\n");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "g-1", "title || '|' || start || '|' || end || '|' || room || '|' || track || '|' || type",
	     "Mapping Headers|2022-05-18 10:00|2022-05-18 10:45|Room 1|Tooling|Talk");
	TALK(st, "g-1", "speakers || '|' || abstract || '|' || url", "Ana Costa|Synonyms everywhere.|https://example.org/1");
	free(path);

	/* Case, underscores, hyphens, camelCase, blanks and "(unit)" do not matter. */
	path = write_csv("spelling.csv",
		"  SESSION_ID , talk-title,StartTime,Duration (minutes),ROOM NAME,session_type,Speaker(s),Description\n"
		"s9,Spelling Things,2022-05-18 14:00,30,Hall,Workshop,\"Mei Chen; Hiro Tanaka\",Text\n");
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "s9", "title || '|' || start || '|' || end || '|' || room || '|' || type || '|' || speakers",
	     "Spelling Things|2022-05-18 14:00|2022-05-18 14:30|Hall|Workshop|Mei Chen, Hiro Tanaka");
	TALK(st, "s9", "track", "Workshop"); /* no track column: the type stands in */
	free(path);

	/* A "scheduled at" cell holds date and time; "length" a duration. */
	path = write_csv("scheduled.csv", "Talk Title,Scheduled At,Length,Location,Speakers\n"
	                                  "Timing,5/18/2022 2:00 PM,1h30,Loft,Zoe\n");
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "timing", "start || ' ' || end || ' ' || room", "2022-05-18 14:00 2022-05-18 15:30 Loft");
	free(path);
	store_close(st);
}

static void test_header_people(void **state)
{
	(void)state;
	struct store *st = fresh();
	/* First and last names make a speaker. */
	char *path = write_csv("names.csv", "Title,First Name,Last Name,Date,Start Time\n"
	                                    "Names,Ana,Garc\xc3\xad" "a,2022-05-18,10:00\n"
	                                    "Only First,Cher,,2022-05-18,11:00\n");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "names", "speakers", "Ana Garc\xc3\xad" "a");
	TALK(st, "only-first", "speakers", "Cher");
	free(path);
	/* With title and name, title is the talk and name the speaker. */
	path = write_csv("title-name.csv", "Name,Title,Date,Time\nRita Lopes,Both Columns,2022-05-18,09:00\n");
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "both-columns", "title || '|' || speakers", "Both Columns|Rita Lopes");
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE key = 'rita-lopes'");
	free(path);
	/* With name alone, name is the talk. */
	path = write_csv("name-only.csv", "name,date,time\nJust A Name,2022-05-18,09:00\n");
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "just-a-name", "title || '|' || speakers", "Just A Name|");
	free(path);
	/* A person's id is no talk id; the owner is no speaker. */
	path = write_csv("speaker-id.csv", "Speaker Id,Title,Owner,Date,Start\nP-77,No Person Keys,Someone,2022-05-18,09:00\n");
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "no-person-keys", "speakers", "");
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE key = 'P-77'");
	free(path);
	store_close(st);
}

static void test_header_prefers_dates_to_days(void **state)
{
	(void)state;
	struct store *st = fresh();
	/* "Day" (a weekday here) and "Date" both exist: the date wins, so no
	 * --first-day is needed. */
	char *path = write_csv("day-date.csv", "Day,Date,Start,Title\nWednesday,2022-05-18,09:00,Dated\n");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "dated", "start", "2022-05-18 09:00");
	free(path);
	store_close(st);
}

/* ---- CSV shapes ---------------------------------------------------------------------- */

static void same_three_talks(struct store *st, const char *name, const char *text, size_t len)
{
	char *path = tu_write(name, text, len);
	struct import_report rep;
	struct msgs m;
	struct import_opts o = { .name = name };
	ok(st, path, &o, &rep, &m);
	assert_int_equal(rep.talks, 3);
	assert_int_equal(rep.rows, 3);
	EXPECT(st, "a|2022-05-18 09:00|2022-05-18 09:30|line 2;b|2022-05-18 10:00|2022-05-18 10:30|two\nlines;"
	           "c|2022-05-18 11:00|2022-05-18 11:30|last",
	       "SELECT group_concat(key || '|' || start || '|' || end || '|' || abstract, ';') FROM"
	       " (SELECT t.* FROM talk t JOIN conference c ON c.id = t.conf_id WHERE c.name = %Q ORDER BY seq)", name);
	/* The record after the quoted line break starts on line 5. */
	EXPECT(st, "2,3,5", "SELECT group_concat(line, ',') FROM (SELECT t.line FROM talk t JOIN conference c"
	                    " ON c.id = t.conf_id WHERE c.name = %Q ORDER BY seq)", name);
	free(path);
}

static void test_line_endings(void **state)
{
	(void)state;
	struct store *st = fresh();
	const char lf[] = "title,date,start,end,abstract\na,2022-05-18,09:00,09:30,line 2\n"
	                  "b,2022-05-18,10:00,10:30,\"two\nlines\"\nc,2022-05-18,11:00,11:30,last\n";
	same_three_talks(st, "lf", lf, sizeof lf - 1);
	const char crlf[] = "title,date,start,end,abstract\r\na,2022-05-18,09:00,09:30,line 2\r\n"
	                    "b,2022-05-18,10:00,10:30,\"two\nlines\"\r\nc,2022-05-18,11:00,11:30,last\r\n";
	same_three_talks(st, "crlf", crlf, sizeof crlf - 1);
	const char mixed[] = "title,date,start,end,abstract\r\na,2022-05-18,09:00,09:30,line 2\n"
	                     "b,2022-05-18,10:00,10:30,\"two\nlines\"\r\nc,2022-05-18,11:00,11:30,last";
	same_three_talks(st, "mixed-no-final-newline", mixed, sizeof mixed - 1);
	const char cr[] = "title,date,start,end,abstract\ra,2022-05-18,09:00,09:30,line 2\r"
	                  "b,2022-05-18,10:00,10:30,\"two\nlines\"\rc,2022-05-18,11:00,11:30,last\r";
	same_three_talks(st, "old-mac-cr", cr, sizeof cr - 1);
	const char bom[] = "\xef\xbb\xbftitle,date,start,end,abstract\na,2022-05-18,09:00,09:30,line 2\n"
	                   "b,2022-05-18,10:00,10:30,\"two\nlines\"\nc,2022-05-18,11:00,11:30,last\n\n\n";
	same_three_talks(st, "bom", bom, sizeof bom - 1);
	const char tabs[] = "title\tdate\tstart\tend\tabstract\na\t2022-05-18\t09:00\t09:30\tline 2\n"
	                    "b\t2022-05-18\t10:00\t10:30\t\"two\nlines\"\nc\t2022-05-18\t11:00\t11:30\tlast\n";
	same_three_talks(st, "tabs", tabs, sizeof tabs - 1);
	const char semi[] = "title;date;start;end;abstract\na;2022-05-18;09:00;09:30;line 2\n"
	                    "b;2022-05-18;10:00;10:30;\"two\nlines\"\nc;2022-05-18;11:00;11:30;last\n";
	same_three_talks(st, "semicolons", semi, sizeof semi - 1);
	/* UTF-16 with a byte-order mark, as Excel's "Unicode text" writes. */
	char u16[512];
	size_t n = 0;
	u16[n++] = (char)0xFF;
	u16[n++] = (char)0xFE;
	for (const char *p = tabs; *p; p++) {
		u16[n++] = *p;
		u16[n++] = 0;
	}
	same_three_talks(st, "utf16", u16, n);
	store_close(st);
}

static void test_quotes(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = write_csv("quotes.csv",
		"title,date,start,abstract\n"
		"\"He said \"\"hi\"\"\",2022-05-18,09:00,\"a, b\"\n"       /* doubled quotes, delimiter inside */
		"The 5\" Floppy,2022-05-18,10:00,quote in an unquoted field\n"
		"\"Big\" Ideas,2022-05-18,11:00,text after a closing quote\n"
		"\"\",2022-05-18,12:00,empty quoted title\n"
		"  Padded  ,2022-05-18,13:00,  spaces  \n");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "he-said-hi", "title || '|' || abstract", "He said \"hi\"|a, b");
	TALK(st, "the-5-floppy", "title", "The 5\" Floppy");
	TALK(st, "big-ideas", "title", "Big Ideas");
	TALK(st, "padded", "title || '|' || abstract", "Padded|spaces");
	assert_string_equal(m.text, fmt("%s:4: warning: text after a closing quote; read as part of the field\n"
	                                "%s:5: warning: no title; row skipped\n", path, path));
	assert_int_equal(rep.talks, 4);
	assert_int_equal(rep.rows, 5);
	assert_int_equal(rep.warnings, 2);
	free(path);
	store_close(st);
}

static void test_ragged_rows(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = write_csv("ragged.csv",
		"title,date,start,end,room\n"
		"Short,2022-05-18,09:00\n"                  /* missing fields are empty */
		"Trailing Commas,2022-05-18,10:00,10:30,A,,,\n"  /* empty extras: nothing to say */
		"Long,2022-05-18,11:00,11:30,B,surprise,more\n"
		"Longer,2022-05-18,12:00,12:30,C,again\n"
		",,,,\n"                                    /* a row of nothing is no talk */
		"\n");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(rep.talks, 4);
	assert_int_equal(rep.rows, 4);
	TALK(st, "short", "start || '|' || coalesce(end, 'NULL') || '|' || room", "2022-05-18 09:00|NULL|");
	TALK(st, "long", "room", "B");
	/* One warning for the first long row, not one per row. */
	assert_string_equal(m.text, fmt("%s:4: warning: more fields than the header has columns (5); the extra ones are ignored\n", path));
	free(path);
	store_close(st);
}

static void test_windows_1252(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = write_csv("cp1252.csv",
		"Title,Start,End,Room,Speakers\r\n"
		"Caf\xe9 Chat \x96 Open Space,2022-05-19 15:00,2022-05-19 15:30,Caf\xe9,Ren\xe9" "e Dubois\r\n"
		"\x93Quoted\x94 \x80 Prices,2022-05-19 16:00,2022-05-19 16:30,Hall,Bj\xf6rn\r\n");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_string_equal(m.text, fmt("%s:2: warning: not UTF-8; read as Windows-1252\n", path));
	EXPECT(st, "Caf\xc3\xa9 Chat \xe2\x80\x93 Open Space|Caf\xc3\xa9|Ren\xc3\xa9" "e Dubois",
	       "SELECT title || '|' || room || '|' || speakers FROM talk WHERE seq = 1");
	EXPECT(st, "\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x82\xac Prices|Bj\xc3\xb6rn",
	       "SELECT title || '|' || speakers FROM talk WHERE seq = 2");
	EXPECT(st, "caf\xc3\xa9-chat-open-space", "SELECT key FROM talk WHERE seq = 1");
	/* Nothing stored is invalid UTF-8 (SQLite's own check). */
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE title <> CAST(CAST(title AS BLOB) AS TEXT)");
	free(path);
	/* A UTF-8 file with one stray Windows-1252 byte keeps its UTF-8. */
	path = write_csv("mixed-enc.csv", "Title,Start\nZo\xc3\xab and Ren\xe9,2022-05-19 15:00\n");
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "zo\xc3\xab-and-ren\xc3\xa9", "title", "Zo\xc3\xab and Ren\xc3\xa9");
	assert_string_equal(m.text, fmt("%s:2: warning: not UTF-8; read as Windows-1252\n", path));
	free(path);
	store_close(st);
}

/* ---- dates and times --------------------------------------------------------------- */

static void test_time_formats(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = write_csv("formats.csv",
		"id,date,start,end,duration,title\n"
		"f1,2022-05-18,14:30,15:00,,HH:MM\n"
		"f2,5/18/22,9:05,,45,H:MM and minutes\n"
		"f3,5/18/2022,1430,1515,,HHMM\n"
		"f4,18.05.2022,2:30 PM,3:15 p.m.,,AM/PM\n"
		"f5,18 May 2022,10 a.m.,,45 min,a.m.\n"
		"f6,\"May 18, 2022\",12:00 AM,12:30 AM,,midnight\n"
		"f7,\"Wednesday, May 18, 2022\",12:00 PM,,1:30,noon\n"
		"f8,,2022-05-18 11:00,2022-05-18 11:50,,date and time\n"
		"f9,,2022-05-18T11:00:00,,1h30,ISO T\n"
		"f10,,05/18/2022 11:00 AM,,30,US date and time\n"
		"f11,,2022-05-18T11:00:00+02:00,2022-05-18T12:00:00+02:00,,zone\n"
		"f12,2022-05-18,09:00 - 10:30,,,range\n"
		"f13,2022-05-18,8:00 AM \xe2\x80\x93 9:15 AM,,,en dash\n"
		"f14,2022-05-18,10:00 to 11:00,,,to\n"
		"f15,2022-05-18,22:00,24:00,,until midnight\n"
		"f16,2022-05-18,23:30,00:30,,past midnight\n"
		"f17,2022-05-18,00:30,01:00,,after midnight\n"
		"f18,2022-05-18,03:59,04:30,,before four\n"
		"f19,2022-05-18,04:00,04:30,,four\n");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(m.n, 0);
	static const char *const want[][4] = {
		{ "f1", "2022-05-18 14:30", "2022-05-18 15:00", "2022-05-18" },
		{ "f2", "2022-05-18 09:05", "2022-05-18 09:50", "2022-05-18" },
		{ "f3", "2022-05-18 14:30", "2022-05-18 15:15", "2022-05-18" },
		{ "f4", "2022-05-18 14:30", "2022-05-18 15:15", "2022-05-18" },
		{ "f5", "2022-05-18 10:00", "2022-05-18 10:45", "2022-05-18" },
		{ "f6", "2022-05-18 00:00", "2022-05-18 00:30", "2022-05-17" },
		{ "f7", "2022-05-18 12:00", "2022-05-18 13:30", "2022-05-18" },
		{ "f8", "2022-05-18 11:00", "2022-05-18 11:50", "2022-05-18" },
		{ "f9", "2022-05-18 11:00", "2022-05-18 12:30", "2022-05-18" },
		{ "f10", "2022-05-18 11:00", "2022-05-18 11:30", "2022-05-18" },
		{ "f11", "2022-05-18 11:00", "2022-05-18 12:00", "2022-05-18" },
		{ "f12", "2022-05-18 09:00", "2022-05-18 10:30", "2022-05-18" },
		{ "f13", "2022-05-18 08:00", "2022-05-18 09:15", "2022-05-18" },
		{ "f14", "2022-05-18 10:00", "2022-05-18 11:00", "2022-05-18" },
		{ "f15", "2022-05-18 22:00", "2022-05-19 00:00", "2022-05-18" },
		{ "f16", "2022-05-18 23:30", "2022-05-19 00:30", "2022-05-18" },
		{ "f17", "2022-05-18 00:30", "2022-05-18 01:00", "2022-05-17" },
		{ "f18", "2022-05-18 03:59", "2022-05-18 04:30", "2022-05-17" },
		{ "f19", "2022-05-18 04:00", "2022-05-18 04:30", "2022-05-18" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		EXPECT(st, fmt("%s|%s|%s", want[i][1], want[i][2], want[i][3]),
		       "SELECT start || '|' || end || '|' || day FROM talk WHERE key = %Q", want[i][0]);
	free(path);
	store_close(st);
}

static void test_unscheduled_and_endless(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = write_csv("unscheduled.csv",
		"title,date,start,end,duration\n"
		"To Be Announced,TBD,,,\n"
		"Date Only,2022-05-18,,,\n"
		"Time Only,,10:00,,\n"
		"Nothing,,,,\n"
		"No End,2022-05-18,10:00,,\n"
		"Bad Duration,2022-05-18,11:00,,a while\n"
		"Bad End,2022-05-18,12:00,later,\n"
		"Wrong Way,2022-05-18 12:00,,2022-05-17 13:00,\n"
		"\"Title\nOn Two Lines\",soon,,,\n");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(rep.talks, 9);
	assert_int_equal(rep.unscheduled, 5);
	assert_int_equal(rep.warnings, 8);
	assert_string_equal(m.text, fmt(
		"%s:2: warning: 'To Be Announced': cannot read 'TBD' as a date or time; kept as unscheduled\n"
		"%s:3: warning: 'Date Only': no start time; kept as unscheduled\n"
		"%s:4: warning: 'Time Only': no date; kept as unscheduled\n"
		"%s:5: warning: 'Nothing': no date or time; kept as unscheduled\n"
		"%s:7: warning: 'Bad Duration': cannot read duration 'a while'; the talk has no end\n"
		"%s:8: warning: 'Bad End': cannot read end 'later'; the talk has no end\n"
		"%s:9: warning: 'Wrong Way' ends before it starts; the end is ignored\n"
		"%s:10: warning: 'Title On Two Lines': cannot read 'soon' as a date or time; kept as unscheduled\n",
		path, path, path, path, path, path, path, path));
	TALK(st, "to-be-announced", "coalesce(start, 'NULL') || coalesce(end, 'NULL') || coalesce(day, 'NULL')", "NULLNULLNULL");
	TALK(st, "date-only", "coalesce(start, 'NULL') || coalesce(day, 'NULL')", "NULLNULL");
	/* A start with no end: scheduled, the end unknown. */
	TALK(st, "no-end", "start || '|' || coalesce(end, 'NULL') || '|' || day", "2022-05-18 10:00|NULL|2022-05-18");
	TALK(st, "bad-duration", "start || '|' || coalesce(end, 'NULL')", "2022-05-18 11:00|NULL");
	TALK(st, "wrong-way", "start || '|' || coalesce(end, 'NULL')", "2022-05-18 12:00|NULL");
	free(path);

	/* A file with no time columns at all: one warning, not one per row. */
	path = write_csv("no-times.csv", "title,speakers\nFirst,A\nSecond,B\n");
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(rep.unscheduled, 2);
	assert_string_equal(m.text, fmt("%s:1: warning: no date or time column (looked for date, day, start, time, "
	                                "scheduled at); every talk is unscheduled\n", path));
	free(path);
	store_close(st);
}

static void test_first_day(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = tu_data("weekdays.csv");
	struct import_report rep;
	struct msgs m;
	struct import_opts o = { .first_day = "2022-05-18" }; /* a Wednesday */
	ok(st, path, &o, &rep, &m);
	TALK(st, "opening", "start || ' ' || end", "2022-05-18 09:00 2022-05-18 09:30");
	TALK(st, "hands-on-lab", "start", "2022-05-19 10:00");
	TALK(st, "hallway-track", "start", "2022-05-20 13:00"); /* Freitag */
	TALK(st, "closing", "start", "2022-05-20 16:00");      /* Day 3 */
	free(path);
	path = write_csv("yearless.csv", "title,date,start\nSpring Social,\"Monday, March 14\",18:00\n");
	struct import_opts o2 = { .first_day = "2022-03-13" };
	ok(st, path, &o2, &rep, &m);
	TALK(st, "spring-social", "start", "2022-03-14 18:00");
	free(path);
	store_close(st);
}

static void test_day_month_order(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = tu_data("ambiguous-dmy.csv");
	struct import_report rep;
	struct msgs m;
	/* 5-7 October, not May to July. */
	ok(st, path, &defaults, &rep, &m);
	EXPECT(st, "2018-10-05 09:00,2018-10-06 09:00,2018-10-07 17:00",
	       "SELECT group_concat(start, ',') FROM (SELECT start FROM talk ORDER BY seq)");
	/* --date-order overrides. */
	struct import_opts o = { .name = "mdy", .order = DATE_ORDER_MDY };
	ok(st, path, &o, &rep, &m);
	EXPECT(st, "2018-05-10 09:00,2018-06-10 09:00,2018-07-10 17:00",
	       "SELECT group_concat(start, ',') FROM (SELECT t.start FROM talk t JOIN conference c ON c.id = t.conf_id"
	       " WHERE c.name = 'mdy' ORDER BY seq)");
	free(path);
	/* The deciding date comes last: the earlier rows follow it. */
	path = write_csv("late-evidence.csv", "title,start,end\n"
	                                      "One,03/04/2019 09:00,03/04/2019 10:00\n"
	                                      "Two,04/04/2019 09:00,04/04/2019 10:00\n"
	                                      "Three,13/04/2019 09:00,13/04/2019 10:00\n");
	ok(st, path, &defaults, &rep, &m);
	EXPECT(st, "2019-04-03 09:00 2019-04-03 10:00 2019-04-03", "SELECT start || ' ' || end || ' ' || day FROM talk WHERE key = 'one'");
	EXPECT(st, "2019-04-13 09:00", "SELECT start FROM talk WHERE key = 'three'");
	free(path);
	/* US dates stay month first. */
	path = write_csv("us.csv", "title,date,start\nA,10/05/2018,09:00\nB,10/06/2018,09:00\n");
	ok(st, path, &defaults, &rep, &m);
	EXPECT(st, "2018-10-05 09:00", "SELECT start FROM talk WHERE key = 'a' AND conf_id = (SELECT id FROM conference WHERE name = 'us')");
	free(path);
	store_close(st);
}

/* ---- keys ------------------------------------------------------------------------------- */

static void test_keys(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = write_csv("keys.csv",
		"id,title,speakers,start\n"
		" K-1 ,Trimmed Id,,2022-05-18 09:00\n"
		",Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln!,,2022-05-18 09:00\n"
		",\xc3\x84RGER \xc3\x9c" "BER \xc3\x96L,,2022-05-18 09:00\n"
		",!!! ???,,2022-05-18 09:00\n"
		",Rockets \xf0\x9f\x9a\x80 and  Stars \xe2\x98\x85,,2022-05-18 09:00\n"
		",\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xbc\xe3\x82\xaf,,2022-05-18 09:00\n"
		",A Very Long Title That Goes On And On Beyond Any Reasonable Length For A Key,,2022-05-18 09:00\n"
		",Stra\xc3\x9f" "enbahn und Fahrr\xc3\xa4" "der im Gro\xc3\x9fstadtverkehr der Zukunft,,2022-05-18 09:00\n"
		"intro,An Id Named Like A Slug,,2022-05-18 10:00\n"
		",Intro,Ana,2022-05-18 11:00\n");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	TALK(st, "K-1", "title", "Trimmed Id");
	TALK(st, "gr\xc3\xbc\xc3\x9f" "e-aus-k\xc3\xb6ln", "seq", "2");
	TALK(st, "\xc3\xa4rger-\xc3\xbc" "ber-\xc3\xb6l", "seq", "3");
	TALK(st, "talk", "seq", "4");                /* nothing left of the title */
	TALK(st, "rockets-and-stars", "seq", "5");   /* symbols separate words */
	TALK(st, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x88\xe3\x83\xbc\xe3\x82\xaf", "seq", "6");
	/* At most 48 bytes, cut between words or characters, never inside one. */
	TALK(st, "a-very-long-title-that-goes-on-and-on-beyond-any", "seq", "7");
	EXPECT(st, "1", "SELECT max(length(CAST(key AS BLOB))) <= 48 FROM talk WHERE id <> (SELECT id FROM talk WHERE key = 'K-1')");
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE key <> CAST(CAST(key AS BLOB) AS TEXT)");
	EXPECT(st, "stra\xc3\x9f" "enbahn-und-fahrr\xc3\xa4" "der-im-gro\xc3\x9f" "stadtverkehr",
	       "SELECT key FROM talk WHERE seq = 8");
	/* An id that reads like another talk's slug keeps it; the slug moves. */
	TALK(st, "intro", "title", "An Id Named Like A Slug");
	TALK(st, fmt("intro-%s", speaker_hash("Ana")), "title", "Intro");
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE key GLOB '*[^ -~\x80-\xff]*'"); /* no controls */
	free(path);

	/* The clash the other way round: the slug first, then the id. */
	path = write_csv("keys2.csv", "id,title,start\n,Intro,2022-05-18 09:00\nintro,Named Id,2022-05-18 10:00\n"
	                              ",Intro,2022-05-18 11:00\n");
	struct import_opts o = { .name = "keys2" };
	ok(st, path, &o, &rep, &m);
	EXPECT(st, fmt("intro-%s|intro|intro-%s~2", speaker_hash(""), speaker_hash("")),
	       "SELECT group_concat(key, '|') FROM (SELECT t.key FROM talk t JOIN conference c ON c.id = t.conf_id"
	       " WHERE c.name = 'keys2' ORDER BY seq)");
	free(path);
	store_close(st);
}

static void test_keys_stable_across_reimport(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *path = tu_data("sched-export.csv");
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	char *keys = tu_query(st, "SELECT group_concat(id || '=' || key, ',') FROM (SELECT * FROM talk ORDER BY id)");
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(rep.added + rep.updated + rep.moved + rep.removed, 0);
	assert_int_equal(rep.unchanged, 9);
	EXPECT(st, keys, "SELECT group_concat(id || '=' || key, ',') FROM (SELECT * FROM talk ORDER BY id)");
	EXPECT(st, "9", "SELECT count(*) FROM talk WHERE change = '' AND removed = 0");
	EXPECT(st, "1", "SELECT count(*) FROM conference");
	free(keys);
	free(path);
	store_close(st);
}

/* ---- re-imports ---------------------------------------------------------------------------- */

static void test_reimport_updates_in_place(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *v1 = tu_data("schedule-v1.csv"), *v2 = tu_data("schedule-v2.csv");
	struct import_report rep;
	struct msgs m;
	struct ly_error err;
	struct import_opts o = { .name = "kubecon" };
	ok(st, v1, &o, &rep, &m);
	assert_int_equal(rep.added, 6);
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE change <> ''"); /* a first import marks nothing */
	int64_t t2 = talk_id(st, "T2"), t3 = talk_id(st, "T3"), t5 = talk_id(st, "T5");
	assert_int_equal(store_set_status(st, t2, STATUS_PLANNED, &err), LY_OK);
	assert_int_equal(store_set_status(st, t3, STATUS_ATTENDED, &err), LY_OK);
	assert_int_equal(store_set_status(st, t5, STATUS_PLANNED, &err), LY_OK);
	assert_int_equal(store_set_rating(st, t5, 4, &err), LY_OK);
	assert_int_equal(store_set_takeaways(st, t5, "keep me", &err), LY_OK);

	/* v2: T2 moved, T4 retitled, T5 gone, T7 new. */
	ok(st, v2, &o, &rep, &m);
	assert_int_equal(rep.talks, 6);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.moved, 1);
	assert_int_equal(rep.removed, 1);
	assert_int_equal(rep.unchanged, 3);
	assert_string_equal(m.text,
		"note: planned talk 'Design Patterns for Controllers' moved from Wed 18 May 11:00, Room 2A"
		" to Wed 18 May 16:00, Room 2C\n"
		"note: planned talk 'Backstage in Practice' is no longer in the schedule; your notes on it are kept\n");
	EXPECT(st, "1", "SELECT count(*) FROM conference");
	/* Updated in place: same rows, so the user's data still points at them. */
	assert_int_equal(talk_id(st, "T2"), t2);
	assert_int_equal(talk_id(st, "T5"), t5);
	TALK(st, "T2", "change || '|' || start || '|' || room || '|' || prev_start || '|' || prev_room",
	     "moved|2022-05-18 16:00|Room 2C|2022-05-18 11:00|Room 2A");
	TALK(st, "T4", "change || '|' || title || '|' || coalesce(prev_start, 'NULL')", "updated|Autoscaling: A Practical Guide|NULL");
	TALK(st, "T7", "change || '|' || removed", "added|0");
	TALK(st, "T1", "change || '|' || removed", "|0");
	TALK(st, "T5", "removed || '|' || title", "1|Backstage in Practice");
	enum talk_status status;
	int rating;
	char *notes;
	assert_int_equal(store_get_status(st, t5, &status, &rating, &err), LY_OK);
	assert_int_equal(status, STATUS_PLANNED);
	assert_int_equal(rating, 4);
	assert_int_equal(store_get_takeaways(st, t5, &notes, &err), LY_OK);
	assert_string_equal(notes, "keep me");
	free(notes);
	/* Search follows the new titles. */
	EXPECT(st, "T4", "SELECT key FROM talk WHERE id IN (SELECT rowid FROM talk_fts WHERE talk_fts MATCH 'practical')");
	EXPECT(st, "(none)", "SELECT key FROM talk WHERE id IN (SELECT rowid FROM talk_fts WHERE talk_fts MATCH 'mostly')");

	/* The same file again changes nothing, and the marks of the last import go. */
	ok(st, v2, &o, &rep, &m);
	assert_int_equal(rep.added + rep.updated + rep.moved + rep.removed, 0);
	assert_int_equal(rep.unchanged, 6);
	assert_int_equal(m.n, 0);
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE change <> '' OR prev_start IS NOT NULL");

	/* Back to v1: T5 returns (as added), T7 goes, T2 moves back. */
	ok(st, v1, &o, &rep, &m);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.removed, 1);
	assert_int_equal(rep.moved, 1);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(talk_id(st, "T5"), t5);
	TALK(st, "T5", "removed || '|' || change", "0|added");
	TALK(st, "T7", "removed", "1");
	assert_int_equal(store_get_status(st, t5, &status, &rating, &err), LY_OK);
	assert_int_equal(status, STATUS_PLANNED);
	EXPECT(st, "7", "SELECT count(*) FROM talk");
	free(v1);
	free(v2);
	store_close(st);
}

/* The search index holds exactly what the talks hold ('integrity-check'
 * with rank 1 compares it with its external content). */
static void fts_agrees(struct store *st)
{
	char *msg = NULL;
	if (sqlite3_exec(store_db(st), "INSERT INTO talk_fts(talk_fts, rank) VALUES('integrity-check', 1)", NULL, NULL,
	                 &msg) != SQLITE_OK)
		fail_msg("search index: %s", msg ? msg : "?");
}

/* A re-import that changes a few talks of many updates the search index for
 * those talks alone: it finds their new words and no longer their old ones,
 * and the index still matches the talks exactly. A second conference
 * imported beside the first is indexed too. */
static void test_reimport_keeps_search_exact(void **state)
{
	(void)state;
	struct store *st = fresh();
	char v1[8192], v2[8192];
	size_t n1 = 0, n2 = 0;
	n1 += (size_t)snprintf(v1 + n1, sizeof v1 - n1, "id,title,date,start,end,room,speakers\n");
	n2 += (size_t)snprintf(v2 + n2, sizeof v2 - n2, "id,title,date,start,end,room,speakers\n");
	for (int i = 1; i <= 40; i++) {
		const char *t1 = i == 7 ? "Kelpie herding at scale" : "Plain talk";
		const char *t2 = i == 7 ? "Axolotl regeneration at scale" : "Plain talk";
		const char *room2 = i == 9 ? "Quokka Hall" : "Main";
		n1 += (size_t)snprintf(v1 + n1, sizeof v1 - n1, "S%d,%s %d,2022-05-18,10:00,10:30,Main,Ann Lee\n", i, t1, i);
		if (i != 12)
			/* Every talk ends later: moved, with the same words but two. */
			n2 += (size_t)snprintf(v2 + n2, sizeof v2 - n2, "S%d,%s %d,2022-05-18,10:00,11:30,%s,Ann Lee\n", i,
			                       t2, i, room2);
	}
	n2 += (size_t)snprintf(v2 + n2, sizeof v2 - n2, "S99,Wombat burrows,2022-05-19,09:00,09:30,Main,Bo Ng\n");
	char *p1 = write_csv("fts-v1.csv", v1), *p2 = write_csv("fts-v2.csv", v2);
	struct import_report rep;
	struct msgs m;
	struct import_opts o = { .name = "big" };
	ok(st, p1, &o, &rep, &m);
	int64_t t7 = talk_id(st, "S7");
	EXPECT(st, "S7", "SELECT key FROM talk WHERE id IN (SELECT rowid FROM talk_fts WHERE talk_fts MATCH 'kelpie')");

	ok(st, p2, &o, &rep, &m);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.moved, 40 - 1);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.removed, 1);
	assert_int_equal(talk_id(st, "S7"), t7);
	EXPECT(st, "S7", "SELECT key FROM talk WHERE id IN (SELECT rowid FROM talk_fts WHERE talk_fts MATCH 'axolotl')");
	EXPECT(st, "(none)", "SELECT key FROM talk WHERE id IN (SELECT rowid FROM talk_fts WHERE talk_fts MATCH 'kelpie')");
	EXPECT(st, "S9", "SELECT key FROM talk WHERE id IN (SELECT rowid FROM talk_fts WHERE talk_fts MATCH 'quokka')");
	EXPECT(st, "S99", "SELECT key FROM talk WHERE id IN (SELECT rowid FROM talk_fts WHERE talk_fts MATCH 'wombat')");
	/* 39 plain talks: a removed talk stays indexed, as it stays in talk. */
	EXPECT(st, "39", "SELECT count(*) FROM talk_fts WHERE talk_fts MATCH 'plain'");
	fts_agrees(st);

	/* Unchanged: nothing to index, and the index still agrees. */
	ok(st, p2, &o, &rep, &m);
	assert_int_equal(rep.added + rep.updated + rep.moved + rep.removed, 0);
	fts_agrees(st);

	/* Another conference beside it: its talks are searchable, the first's still are. */
	struct import_opts o2 = { .name = "other" };
	ok(st, p1, &o2, &rep, &m);
	EXPECT(st, "2", "SELECT count(*) FROM talk_fts WHERE talk_fts MATCH 'kelpie OR axolotl'");
	fts_agrees(st);
	free(p1);
	free(p2);
	store_close(st);
}

static void test_conference_rows(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *a = tu_data("schedule-v1.csv"), *b = tu_data("pretalx-export.csv");
	struct import_report rep;
	struct msgs m;
	struct ly_error err;
	struct conf c;
	ok(st, a, &defaults, &rep, &m);
	int64_t first = rep.conf_id;
	assert_true(first > 0);
	struct import_opts named = { .name = "Pretalx Days", .tz = "Europe/Berlin" };
	ok(st, b, &named, &rep, &m);
	assert_int_equal(store_conf_find(st, NULL, &c, &err), LY_OK);
	assert_string_equal(c.name, "Pretalx Days"); /* the latest import is the current conference */
	char *full = realpath(b, NULL);
	assert_string_equal(c.source, full);
	free(full);
	EXPECT(st, "Europe/Berlin", "SELECT tz FROM conference WHERE name = 'Pretalx Days'");
	/* Re-importing the first makes it the latest again, with the same id. */
	ok(st, a, &defaults, &rep, &m);
	assert_int_equal(rep.conf_id, first);
	assert_int_equal(store_conf_find(st, NULL, &c, &err), LY_OK);
	assert_string_equal(c.name, "schedule-v1");
	EXPECT(st, "2", "SELECT count(*) FROM conference");
	EXPECT(st, "1", "SELECT count(DISTINCT import_seq) = count(*) FROM conference");
	free(a);
	free(b);
	store_close(st);
}

static void test_dry_run(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *v1 = tu_data("schedule-v1.csv"), *v2 = tu_data("schedule-v2.csv");
	struct import_report rep;
	struct msgs m;
	struct ly_error err;
	struct import_opts dry = { .dry_run = true, .name = "schedule-v1" };
	/* On an empty store. */
	char *before = tu_fingerprint(st);
	ok(st, v1, &dry, &rep, &m);
	assert_int_equal(rep.talks, 6);
	assert_int_equal(rep.added, 6);
	char *after = tu_fingerprint(st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* Over an existing conference: the changes are counted and named. */
	ok(st, v1, &defaults, &rep, &m);
	assert_int_equal(store_set_status(st, talk_id(st, "T2"), STATUS_PLANNED, &err), LY_OK);
	before = tu_fingerprint(st);
	ok(st, v2, &dry, &rep, &m);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.moved, 1);
	assert_int_equal(rep.removed, 1);
	contains(m.text, "note: planned talk 'Design Patterns for Controllers' moved");
	after = tu_fingerprint(st);
	assert_string_equal(before, after);
	EXPECT(st, "T1,T2,T3,T4,T6,T5", "SELECT group_concat(key, ',') FROM (SELECT key FROM talk ORDER BY start)");
	free(before);
	free(after);
	free(v1);
	free(v2);
	store_close(st);
}

/* ---- failures change nothing ---------------------------------------------------------------- */

static void test_failures_change_nothing(void **state)
{
	(void)state;
	struct store *st = fresh();
	char *v1 = tu_data("schedule-v1.csv");
	struct import_report rep;
	struct msgs m;
	struct ly_error err;
	struct import_opts o = { .name = "schedule-v1" };
	ok(st, v1, &o, &rep, &m);
	assert_int_equal(store_set_status(st, talk_id(st, "T3"), STATUS_ATTENDED, &err), LY_OK);
	assert_int_equal(store_set_takeaways(st, talk_id(st, "T3"), "a big red button", &err), LY_OK);

	char *p = write_csv("bad-quote.csv", "id,title,date,start,end\n"
	                                     "B1,Fine,2022-05-18,10:00,10:30\n"
	                                     "B2,\"Broken quote,2022-05-18,11:00,11:30\n"
	                                     "B3,Next,2022-05-18,12:00,12:30\n"
	                                     "B4,Last,2022-05-18,12:00,12:30\n");
	fails_cleanly(st, p, &o, fmt("%s:3: error: unterminated quoted field: the quote opened here never closes", p));
	free(p);
	/* The quote opens on a line that starts inside an earlier quoted field. */
	p = write_csv("bad-quote2.csv", "id,title,abstract\nA,\"Two\nlines\",\"never\nB,x,y\n");
	fails_cleanly(st, p, &o, fmt("%s:3: error: unterminated quoted field: the quote opened here never closes", p));
	free(p);
	p = write_csv("no-title.csv", "id,headline,when,where\n1,Something,2022-05-18 10:00,Room 1\n");
	fails_cleanly(st, p, &o, fmt("%s:1: error: no title column (looked for title, session title, name, event,"
	                             " subject...); columns found: \"id\", \"headline\", \"when\", \"where\";"
	                             " say which with --column title=HEADER", p));
	free(p);
	p = write_csv("empty.csv", "");
	fails_cleanly(st, p, &o, fmt("%s:1: error: empty file", p));
	free(p);
	p = write_csv("blank.csv", "\xef\xbb\xbf \r\n\t\n\n");
	fails_cleanly(st, p, &o, fmt("%s:1: error: empty file", p));
	free(p);
	p = write_csv("header-only.csv", "id,title,date,start,end\n");
	fails_cleanly(st, p, &o, fmt("%s:2: error: no talks: the file has a header but no rows", p));
	free(p);
	p = write_csv("header-blank.csv", "\nid,title,date,start,end\n\n,,,,\n");
	fails_cleanly(st, p, &o, fmt("%s:3: error: no talks: the file has a header but no rows", p));
	free(p);
	p = write_csv("no-titles.csv", "id,title,start\nX1,,2022-05-18 09:00\nX2,,2022-05-18 10:00\n");
	fails_cleanly(st, p, &o, fmt("%s:2: error: no talks: no row has a title", p));
	free(p);
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
	p = tu_write("binary.csv", elf, sizeof elf - 1);
	fails_cleanly(st, p, &o, fmt("%s:1: error: binary data, not a CSV schedule", p));
	free(p);
	static const char nul_later[] = "title,start\nA,2022-05-18 09:00\nB\0junk,2022-05-18 10:00\n";
	p = tu_write("nul.csv", nul_later, sizeof nul_later - 1);
	fails_cleanly(st, p, &o, fmt("%s:3: error: binary data, not a CSV schedule", p));
	free(p);
	p = write_csv("controls.csv", "\x1b[2J\x01\x02title,start\n");
	fails_cleanly(st, p, &o, fmt("%s:1: error: binary data, not a CSV schedule", p));
	free(p);
	p = write_csv("weekday.csv", "title,day,time\nOpening,Wednesday,09:00\n");
	fails_cleanly(st, p, &o, fmt("%s:2: error: 'Wednesday' is a day without a full date; say which date the"
	                             " conference starts with --first-day YYYY-MM-DD", p));
	struct import_opts bad = { .name = "schedule-v1", .first_day = "18.05.2022" };
	fails_cleanly(st, p, &bad, "--first-day takes a date as YYYY-MM-DD, not '18.05.2022'");
	free(p);
	p = tu_data("does-not-exist.csv");
	fails_cleanly(st, p, &o, fmt("%s: error: cannot open: No such file or directory", p));
	free(p);
	/* A directory is not a schedule either. */
	fails_cleanly(st, tu_tmpdir(), &o, fmt("%s: error: cannot read: Is a directory", tu_tmpdir()));
	/* The store still works and still holds the user's data. */
	ok(st, v1, &o, &rep, &m);
	assert_int_equal(rep.unchanged, 6);
	EXPECT(st, "attended|a big red button", "SELECT status || '|' || takeaways FROM mark");
	free(v1);
	store_close(st);
}

/* ---- scale: rows pass through the writer thread ----------------------------------------------- */

static void test_many_rows(void **state)
{
	(void)state;
	struct store *st = fresh();
	/* 3000 talks: several batches; row-per-speaker merges across a batch
	 * boundary, repeated breaks without ids, and ambiguous dates that the
	 * last rows decide (day first). Over a megabyte, so a first import
	 * into an empty database builds talk's indexes after loading, under a
	 * rollback journal. */
	static const char pad[] = "Reconcile loops, admission webhooks and the scheduler's many plugins, "
	                          "told through three outages and the fixes that stuck. ";
	size_t cap = 4 << 20, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len, "id,title,date,start,end,speakers,abstract\n");
	int talks = 0;
	for (int i = 0; i < 3000; i++) {
		int day = 3 + i % 3; /* 03/04, 04/04, 05/04: ambiguous until the end */
		if (i % 100 == 50) {
			len += (size_t)snprintf(text + len, cap - len, ",Coffee Break,0%d/04/2019,10:30,11:00,,\n", day);
		} else {
			len += (size_t)snprintf(text + len, cap - len, "T%d,Talk %d,0%d/04/2019,09:00,09:45,Speaker %d,"
			                        "\"Abstract %d, with a comma\nand a line break. %s%s%s\"\n", i, i, day, i % 7, i,
			                        pad, pad, pad);
		}
		talks++;
		if (i == 510) /* the same talk again, another speaker, in the next batch */
			len += (size_t)snprintf(text + len, cap - len, "T510,Talk 510,0%d/04/2019,09:00,09:45,Extra Person,\n", day);
	}
	len += (size_t)snprintf(text + len, cap - len, "T-last,Decider,13/04/2019,09:00,09:30,,\n");
	talks++;
	char *path = tu_write("many.csv", text, len);
	free(text);
	struct import_report rep;
	struct msgs m;
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(rep.talks, talks);
	assert_int_equal(rep.rows, talks + 1);
	assert_int_equal(m.n, 0);
	TALK(st, "T510", "speakers", "Speaker 6, Extra Person");
	TALK(st, "T0", "start || ' ' || day", "2019-04-03 09:00 2019-04-03");
	TALK(st, "T1", "start", "2019-04-04 09:00");
	TALK(st, "T2999", "start", "2019-04-05 09:00");
	EXPECT(st, "0", "SELECT count(*) FROM talk WHERE start NOT LIKE '2019-04-%%'");
	TALK(st, "coffee-break", "seq", "51");
	TALK(st, "coffee-break~30", "start", "2019-04-04 10:30"); /* row 2950 */
	EXPECT(st, "30", "SELECT count(*) FROM talk WHERE title = 'Coffee Break'");
	TALK(st, "T1234", "substr(abstract, 1, 44)", "Abstract 1234, with a comma\nand a line break");
	EXPECT(st, "2", "SELECT count(*) FROM talk_fts WHERE talk_fts MATCH '(Talk 1234) OR (Talk 2345)'");
	/* Search is indexed as rows are written: the speaker a later row adds
	 * is found, and the talk once. */
	EXPECT(st, "T510", "SELECT group_concat(t.key) FROM talk_fts f JOIN talk t ON t.id = f.rowid"
	                   " WHERE talk_fts MATCH 'Extra Person'");
	EXPECT(st, "5", "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'talk'");
	EXPECT(st, "wal", "PRAGMA journal_mode");
	fts_agrees(st);
	/* Again: nothing changes. */
	ok(st, path, &defaults, &rep, &m);
	assert_int_equal(rep.unchanged, talks);
	assert_int_equal(rep.added + rep.updated + rep.moved + rep.removed, 0);
	free(path);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sessionize_rows_per_speaker, teardown),
		cmocka_unit_test_teardown(test_sched_export, teardown),
		cmocka_unit_test_teardown(test_pretalx_export, teardown),
		cmocka_unit_test_teardown(test_excel_semicolon, teardown),
		cmocka_unit_test_teardown(test_guidebook_tabs, teardown),
		cmocka_unit_test_teardown(test_header_synonyms, teardown),
		cmocka_unit_test_teardown(test_header_people, teardown),
		cmocka_unit_test_teardown(test_header_prefers_dates_to_days, teardown),
		cmocka_unit_test_teardown(test_line_endings, teardown),
		cmocka_unit_test_teardown(test_quotes, teardown),
		cmocka_unit_test_teardown(test_ragged_rows, teardown),
		cmocka_unit_test_teardown(test_windows_1252, teardown),
		cmocka_unit_test_teardown(test_time_formats, teardown),
		cmocka_unit_test_teardown(test_unscheduled_and_endless, teardown),
		cmocka_unit_test_teardown(test_first_day, teardown),
		cmocka_unit_test_teardown(test_day_month_order, teardown),
		cmocka_unit_test_teardown(test_keys, teardown),
		cmocka_unit_test_teardown(test_keys_stable_across_reimport, teardown),
		cmocka_unit_test_teardown(test_reimport_updates_in_place, teardown),
		cmocka_unit_test_teardown(test_reimport_keeps_search_exact, teardown),
		cmocka_unit_test_teardown(test_conference_rows, teardown),
		cmocka_unit_test_teardown(test_dry_run, teardown),
		cmocka_unit_test_teardown(test_failures_change_nothing, teardown),
		cmocka_unit_test_teardown(test_many_rows, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
