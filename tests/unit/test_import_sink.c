/* The sinks alone, fed struct talk_in by hand: the store sink merges by key
 * and reports changes; the dry-run sink says what it understood and writes
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lanyard/import_sink.h"
#include "testutil.h"

static struct talk_in talk(const char *id, const char *title, const char *start, const char *end, const char *room)
{
	struct talk_in t = { .id = id, .title = title, .room = room, .track = "", .type = "", .speakers = "Ann",
	                     .abstract = "", .url = "", .line = 2 };
	t.id_len = strlen(id);
	t.title_len = strlen(title);
	t.room_len = strlen(room);
	t.speakers_len = 3;
	if (start) {
		t.scheduled = true;
		snprintf(t.start, sizeof t.start, "%s", start);
		snprintf(t.end, sizeof t.end, "%s", end);
		snprintf(t.day, sizeof t.day, "%.10s", start);
	}
	return t;
}

static int feed(struct import_sink *s, const struct talk_in *t, int n, struct import_report *rep)
{
	if (s->ops->begin(s->self))
		return LY_ERR;
	for (int i = 0; i < n; i++)
		if (s->ops->talk(s->self, &t[i]))
			return LY_ERR;
	struct sink_end e = { .order = DATE_ORDER_MDY, .zone = "", .rows = n, .header_line = 1, .first_row_line = 2 };
	return s->ops->end(s->self, &e, rep);
}

static char *one(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	char *out = strdup(sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) ?
	                   (const char *)sqlite3_column_text(s, 0) : "(none)");
	sqlite3_finalize(s);
	return out;
}

/* A mapping and a normaliser, as the pipeline would have them, for the
 * header id,title,start,end,room,notes. */
static struct norm *stages(struct imp_map *map, const struct import_opts *o, struct imp_log *lg)
{
	static const char *names[] = { "id", "title", "start", "end", "room", "notes" };
	const char *f[6];
	size_t len[6];
	for (int i = 0; i < 6; i++)
		f[i] = names[i], len[i] = strlen(names[i]);
	struct reader_rec hdr = { .n = 6, .f = f, .len = len, .line = 1 };
	struct norm *n;
	assert_int_equal(map_header(map, &hdr, o, lg), LY_OK);
	assert_int_equal(norm_new(&n, o, map, lg), LY_OK);
	return n;
}

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

static void test_store_sink(void **state)
{
	(void)state;
	struct store *st = tu_store("sink.db");
	struct ly_error err = { { 0 } };
	struct tu_msgs m = { .len = 0 };
	struct imp_log lg = { .path = "f.csv", .err = &err, .on_msg = tu_collect, .ctx = &m };
	struct import_sink s;
	struct import_report rep = { 0 };
	struct talk_in t[3] = {
		talk("A1", "Opening", "2022-05-18 09:00", "2022-05-18 09:30", "Hall"),
		talk("A2", "Second", "2022-05-18 10:00", "2022-05-18 10:30", "Room 1"),
		talk("A1", "Opening", "2022-05-18 09:00", "2022-05-18 09:30", "Hall"),
	};
	t[2].merging = true;
	t[2].speakers = "Bob";
	t[2].speakers_len = 3;
	assert_int_equal(sink_store_new(&s, st, "conf", "/x/conf.csv", false, &lg), LY_OK);
	assert_int_equal(feed(&s, t, 3, &rep), LY_OK);
	s.ops->free(s.self);
	assert_int_equal(rep.talks, 2);
	assert_int_equal(rep.added, 2);
	char *v = one(st, "SELECT group_concat(key || '=' || speakers, ';') FROM talk");
	assert_string_equal(v, "A1=Ann, Bob;A2=Ann");
	free(v);
	v = one(st, "SELECT source FROM conference WHERE name = 'conf'");
	assert_string_equal(v, "/x/conf.csv");
	free(v);
	/* Again with A2 moved and A1 gone: the report counts it. */
	memset(&rep, 0, sizeof rep);
	struct talk_in t2[1] = { talk("A2", "Second", "2022-05-18 11:00", "2022-05-18 11:30", "Room 1") };
	assert_int_equal(sink_store_new(&s, st, "conf", "/x/conf.csv", false, &lg), LY_OK);
	assert_int_equal(feed(&s, t2, 1, &rep), LY_OK);
	s.ops->free(s.self);
	assert_int_equal(rep.moved, 1);
	assert_int_equal(rep.removed, 1);
	/* Aborted: nothing stays. */
	char *before = tu_fingerprint(st);
	assert_int_equal(sink_store_new(&s, st, "conf", "/x/conf.csv", false, &lg), LY_OK);
	assert_int_equal(s.ops->begin(s.self), LY_OK);
	assert_int_equal(s.ops->talk(s.self, &t[0]), LY_OK);
	s.ops->abort(s.self);
	s.ops->free(s.self);
	char *after = tu_fingerprint(st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	store_close(st);
}

static void test_dry_run_sink(void **state)
{
	(void)state;
	struct store *st = tu_store("dry.db");
	struct ly_error err = { { 0 } };
	struct tu_msgs m = { .len = 0 }, out = { .len = 0 };
	struct imp_log lg = { .path = "f.csv", .err = &err, .on_msg = tu_collect, .ctx = &m };
	struct import_opts o = { .dry_run = true, .on_dry = tu_collect, .dry_ctx = &out };
	struct imp_map map;
	struct norm *n = stages(&map, &o, &lg);
	struct import_sink s;
	struct import_report rep = { 0 };
	struct talk_in t[2] = {
		talk("A1", "Opening", "2022-05-18 09:00", "2022-05-18 09:30", "Hall"),
		talk("A2", "Wrap-up", "2022-05-19 17:00", "2022-05-19 17:30", "Hall"),
	};
	char *before = tu_fingerprint(st);
	assert_int_equal(sink_dryrun_new(&s, st, "conf", "f.csv", &o, &map, n, &lg), LY_OK);
	assert_int_equal(feed(&s, t, 2, &rep), LY_OK);
	s.ops->free(s.self);
	char *after = tu_fingerprint(st);
	assert_string_equal(before, after);
	assert_int_equal(rep.talks, 2);
	assert_int_equal(rep.added, 2);
	assert_string_equal(out.text,
		"title      \xe2\x86\x90 \"title\"\n"
		"start      \xe2\x86\x90 \"start\"\n"
		"end        \xe2\x86\x90 \"end\"\n"
		"room       \xe2\x86\x90 \"room\"\n"
		"id         \xe2\x86\x90 \"id\"\n"
		"ignored:   \"notes\"\n"
		"dates:     2022-05-18 (Wed 18 May) to 2022-05-19 (Thu 19 May), 2 days with talks\n"
		"talks:     2 (0 unscheduled)\n"
		"  2022-05-18 09:00\xe2\x80\x93" "09:30  Opening \xc2\xb7 Hall \xc2\xb7 Ann\n"
		"  2022-05-19 17:00\xe2\x80\x93" "17:30  Wrap-up \xc2\xb7 Hall \xc2\xb7 Ann\n");
	free(before);
	free(after);
	norm_free(n);
	map_free(&map);
	store_close(st);
}

/* A dry run over a conference that exists works out the change report and
 * the notes without writing: it needs no write lock (another process holds
 * it here) and the database ends as it began. */
static void test_dry_run_over_existing(void **state)
{
	(void)state;
	struct store *st = tu_store("plan.db");
	struct ly_error err = { { 0 } };
	struct tu_msgs m = { .len = 0 }, out = { .len = 0 };
	struct imp_log lg = { .path = "f.csv", .err = &err, .on_msg = tu_collect, .ctx = &m };
	struct import_sink s;
	struct import_report rep = { 0 };
	struct talk_in t[2] = {
		talk("A1", "Opening", "2022-05-18 09:00", "2022-05-18 09:30", "Hall"),
		talk("A2", "Second", "2022-05-18 10:00", "2022-05-18 10:30", "Room 1"),
	};
	assert_int_equal(sink_store_new(&s, st, "conf", "/x/conf.csv", false, &lg), LY_OK);
	assert_int_equal(feed(&s, t, 2, &rep), LY_OK);
	s.ops->free(s.self);
	sqlite3_exec(store_db(st), "INSERT INTO mark(talk_id, status) SELECT id, 'planned' FROM talk", NULL, NULL, NULL);
	char *before = tu_fingerprint(st);
	/* Another connection takes the write lock and keeps it. */
	char path[4096];
	snprintf(path, sizeof path, "%s/plan.db", tu_tmpdir());
	sqlite3 *other;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE; UPDATE conference SET tz = tz", NULL, NULL, NULL),
	                 SQLITE_OK);
	store_set_busy_timeout(st, 50);
	/* The second schedule: A2 moved, A1 gone, A3 new. */
	struct talk_in t2[2] = {
		talk("A2", "Second", "2022-05-18 11:00", "2022-05-18 11:30", "Room 1"),
		talk("A3", "Third", "2022-05-18 12:00", "2022-05-18 12:30", "Room 1"),
	};
	struct import_opts o = { .dry_run = true, .on_dry = tu_collect, .dry_ctx = &out };
	struct imp_map map;
	struct norm *n = stages(&map, &o, &lg);
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sink_dryrun_new(&s, st, "conf", "/x/conf.csv", &o, &map, n, &lg), LY_OK);
	assert_int_equal(feed(&s, t2, 2, &rep), LY_OK);
	s.ops->free(s.self);
	assert_int_equal(rep.talks, 2);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.moved, 1);
	assert_int_equal(rep.removed, 1);
	assert_non_null(strstr(m.text, "note: planned talk 'Second' moved from Wed 18 May 10:00, Room 1 to"
	                               " Wed 18 May 11:00, Room 1\n"));
	assert_non_null(strstr(m.text, "note: planned talk 'Opening' is no longer in the schedule"));
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	char *after = tu_fingerprint(st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	norm_free(n);
	map_free(&map);
	store_close(st);
}

/* The rows of one talk (one id) add their speakers up to the cap; the
 * import says so once, at the row that reached it. */
static void test_speakers_capped_across_rows(void **state)
{
	(void)state;
	struct store *st = tu_store("cap.db");
	struct ly_error err = { { 0 } };
	struct tu_msgs m = { .len = 0 };
	struct imp_log lg = { .path = "f.csv", .err = &err, .on_msg = tu_collect, .ctx = &m };
	struct import_sink s;
	struct import_report rep = { 0 };
	enum { ROWS = 4, EACH = 40 };
	static char cells[ROWS][EACH * 8];
	struct talk_in t[ROWS];
	for (int r = 0; r < ROWS; r++) {
		size_t k = 0;
		for (int i = 0; i < EACH; i++)
			k += (size_t)snprintf(cells[r] + k, sizeof cells[r] - k, "%sS%03d", i ? ", " : "", r * EACH + i);
		t[r] = talk("P1", "Panel", "2022-05-18 09:00", "2022-05-18 10:00", "Hall");
		t[r].speakers = cells[r];
		t[r].speakers_len = k;
		t[r].line = 2 + r;
		t[r].merging = r > 0;
	}
	assert_int_equal(sink_store_new(&s, st, "conf", "/x/conf.csv", false, &lg), LY_OK);
	assert_int_equal(feed(&s, t, ROWS, &rep), LY_OK);
	s.ops->free(s.self);
	assert_int_equal(rep.talks, 1);
	EXPECT(st, "100", "SELECT length(speakers) - length(replace(speakers, ',', '')) + 1 FROM talk");
	EXPECT(st, "S099", "SELECT substr(speakers, -4) FROM talk");
	assert_non_null(strstr(m.text, "f.csv:4: warning: this talk's rows list more than 100 speakers together;"
	                               " the rest are left out\n"));
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_store_sink, teardown),
		cmocka_unit_test_teardown(test_dry_run_sink, teardown),
		cmocka_unit_test_teardown(test_dry_run_over_existing, teardown),
		cmocka_unit_test_teardown(test_speakers_capped_across_rows, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
