/* Schedule queries: clashes, visibility of removed talks, search, ordering,
 * now/next, alternatives and review statistics. Talks are inserted straight
 * into the schema so these tests do not depend on the importer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"
#include "lanyard/model.h"
#include "testutil.h"

static struct store *st;
static int64_t conf;

static int64_t add_talk(const char *key, const char *title, const char *start, const char *end,
                        const char *room, const char *track, const char *speakers, const char *abstract)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO talk(conf_id, key, title, start, end, day, room, track, speakers, abstract, seq)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT count(*) FROM talk))", NULL);
	assert_non_null(s);
	sqlite3_bind_int64(s, 1, conf);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, title, -1, SQLITE_STATIC);
	char day[11];
	int64_t min;
	if (start) {
		sqlite3_bind_text(s, 4, start, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, end, -1, SQLITE_STATIC);
		assert_true(ltime_parse_stamp(start, &min));
		ltime_conf_day(min, day);
		sqlite3_bind_text(s, 6, day, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(s, 7, room, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, track, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, speakers ? speakers : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, abstract ? abstract : "", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	return sqlite3_last_insert_rowid(store_db(st));
}

static int64_t id_of(const char *key)
{
	int64_t id = 0;
	assert_int_equal(store_talk_id(st, conf, key, &id, NULL), LY_OK);
	return id;
}

static void set(const char *key, enum talk_status s)
{
	assert_int_equal(store_set_status(st, id_of(key), s, NULL), LY_OK);
}

static const struct talk_row *find(const struct talk_rows *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].key, key) == 0)
			return &r->rows[i];
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	st = tu_store("model.db");
	assert_int_equal(store_exec(st, "INSERT INTO conference(name, import_seq) VALUES('demo', 1)", NULL), LY_OK);
	conf = sqlite3_last_insert_rowid(store_db(st));
	add_talk("a", "Design Patterns For Extensible Controllers", "2022-05-18 11:00", "2022-05-18 11:35",
	         "Room 2A", "Customizing + Extending Kubernetes", "Ana García", "Operators and webhooks");
	add_talk("b", "The Day We Deleted Production", "2022-05-18 11:30", "2022-05-18 12:05",
	         "Room 2B", "Operations", "Lars Ørsted", "A big red button halts every rollout");
	add_talk("c", "Autoscaling Kubernetes Deployments", "2022-05-18 12:05", "2022-05-18 12:40",
	         "Room 2A", "Operations", "Mei Chen", "Horizontal against vertical scaling");
	add_talk("d", "Backstage: Restoring Order To Your Chaos", "2022-05-19 11:00", "2022-05-19 11:35",
	         "Hall 1", "Application + Development", "Zoë Ørsted", "One portal for every pipeline");
	add_talk("e", "Community Pub Quiz", "2022-05-17 22:30", "2022-05-18 00:30", "Bar", "Community",
	         NULL, NULL);
	add_talk("f", "Late Hallway Track", "2022-05-18 00:15", "2022-05-18 01:00", "Bar", "Community",
	         NULL, NULL);
	add_talk("u", "Birds of a Feather (time to be announced)", NULL, NULL, "", "Community", NULL, NULL);
	assert_int_equal(store_exec(st, "INSERT INTO talk_fts(talk_fts) VALUES('rebuild')", NULL), LY_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	tu_cleanup();
	return 0;
}

static int reset_marks(void **state)
{
	(void)state;
	assert_int_equal(store_exec(st, "DELETE FROM mark; DELETE FROM mine_fts; UPDATE talk SET removed = 0, change = ''", NULL), LY_OK);
	return 0;
}

static unsigned flags_of(const char *key)
{
	struct talk_rows r;
	struct talk_query q = { .conf = conf };
	assert_int_equal(model_talks(st, &q, &r, NULL), LY_OK);
	const struct talk_row *row = find(&r, key);
	unsigned f = row ? row->flags : 0xFFFFu;
	model_rows_free(&r);
	return f;
}

static void test_overlap_primitive(void **state)
{
	(void)state;
	assert_true(model_overlaps("2022-05-18 11:00", "2022-05-18 11:35", "2022-05-18 11:30", "2022-05-18 12:00"));
	/* Touching ends do not clash. */
	assert_false(model_overlaps("2022-05-18 11:00", "2022-05-18 11:30", "2022-05-18 11:30", "2022-05-18 12:00"));
	assert_false(model_overlaps("2022-05-18 11:00", "2022-05-18 11:30", "", ""));
	assert_false(model_overlaps(NULL, NULL, "2022-05-18 11:30", "2022-05-18 12:00"));
	/* Multi-day: a talk crossing midnight overlaps one just after midnight. */
	assert_true(model_overlaps("2022-05-17 22:30", "2022-05-18 00:30", "2022-05-18 00:15", "2022-05-18 01:00"));
	/* Same clock time on different days does not. */
	assert_false(model_overlaps("2022-05-18 11:00", "2022-05-18 11:35", "2022-05-19 11:00", "2022-05-19 11:35"));
}

static void test_clash_overlap(void **state)
{
	(void)state;
	set("a", STATUS_PLANNED);
	assert_false(flags_of("a") & TALK_CLASH); /* alone: no clash */
	set("b", STATUS_ATTENDED);
	assert_true(flags_of("a") & TALK_CLASH);
	assert_true(flags_of("b") & TALK_CLASH);
	/* c touches b's end (12:05) and does not overlap a. */
	set("c", STATUS_PLANNED);
	assert_false(flags_of("c") & TALK_CLASH);
	/* Skipped talks never clash. */
	set("b", STATUS_SKIPPED);
	assert_false(flags_of("a") & TALK_CLASH);
	struct counts c;
	assert_int_equal(model_counts(st, conf, &c, NULL), LY_OK);
	assert_int_equal(c.planned, 2);
	assert_int_equal(c.skipped, 1);
	assert_int_equal(c.clashes, 0);
	assert_int_equal(c.talks, 7);
}

static void test_clash_touching_and_unscheduled(void **state)
{
	(void)state;
	set("b", STATUS_PLANNED);
	set("c", STATUS_PLANNED);
	assert_false(flags_of("b") & TALK_CLASH);
	set("u", STATUS_PLANNED);
	assert_false(flags_of("u") & TALK_CLASH);
	assert_true(flags_of("u") & TALK_UNSCHEDULED);
}

static void test_clash_multi_day(void **state)
{
	(void)state;
	set("e", STATUS_PLANNED);
	set("f", STATUS_PLANNED);
	assert_true(flags_of("e") & TALK_CLASH);
	set("d", STATUS_PLANNED);
	set("a", STATUS_PLANNED);
	assert_false(flags_of("d") & TALK_CLASH); /* Thu 11:00 vs Wed 11:00 */
	struct talk_detail d;
	assert_int_equal(model_talk(st, id_of("e"), &d, NULL), LY_OK);
	assert_int_equal(d.nclashes, 1);
	assert_string_equal(d.clashes[0], "Late Hallway Track");
	assert_true(d.flags & TALK_CLASH);
	model_talk_free(&d);
	struct counts c;
	assert_int_equal(model_counts(st, conf, &c, NULL), LY_OK);
	assert_int_equal(c.clashes, 2);
}

static void test_days_and_conference_day_rule(void **state)
{
	(void)state;
	struct day_list days;
	assert_int_equal(model_days(st, conf, &days, NULL), LY_OK);
	/* 00:15 on the 18th belongs to the 17th (04:00 rule); unscheduled last. */
	assert_int_equal(days.n, 4);
	assert_string_equal(days.items[0].day, "2022-05-17");
	assert_int_equal(days.items[0].talks, 2);
	assert_string_equal(days.items[0].label, "Tue 17 May");
	assert_string_equal(days.items[1].day, "2022-05-18");
	assert_int_equal(days.items[1].talks, 3);
	assert_string_equal(days.items[3].day, "");
	assert_string_equal(days.items[3].label, "Unscheduled");
	model_days_free(&days);

	struct track_list tracks;
	assert_int_equal(model_tracks(st, conf, "2022-05-18", &tracks, NULL), LY_OK);
	assert_int_equal(tracks.n, 3);
	assert_null(tracks.items[0].name);
	assert_int_equal(tracks.items[0].talks, 3);
	assert_string_equal(tracks.items[1].name, "Customizing + Extending Kubernetes");
	assert_string_equal(tracks.items[2].name, "Operations");
	assert_int_equal(tracks.items[2].talks, 2);
	model_tracks_free(&tracks);

	struct talk_rows r;
	struct talk_query q = { .conf = conf, .day = "2022-05-18", .track = "Operations" };
	assert_int_equal(model_talks(st, &q, &r, NULL), LY_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.rows[0].key, "b");
	assert_string_equal(r.rows[1].key, "c");
	model_rows_free(&r);
	q = (struct talk_query){ .conf = conf, .day = "" };
	assert_int_equal(model_talks(st, &q, &r, NULL), LY_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.rows[0].key, "u");
	model_rows_free(&r);
}

static void test_removed_visible_only_with_user_data(void **state)
{
	(void)state;
	assert_int_equal(store_exec(st, "UPDATE talk SET removed = 1 WHERE key IN ('c', 'd')", NULL), LY_OK);
	assert_int_equal(store_set_takeaways(st, id_of("c"), "keep this", NULL), LY_OK);
	assert_int_equal(flags_of("c"), TALK_REMOVED | TALK_NOTES);
	assert_int_equal(flags_of("d"), 0xFFFFu); /* not shown: no user data */
	struct talk_query q = { .conf = conf, .all_removed = true };
	struct talk_rows r;
	assert_int_equal(model_talks(st, &q, &r, NULL), LY_OK);
	assert_non_null(find(&r, "d"));
	model_rows_free(&r);
	/* A removed talk never clashes. */
	set("c", STATUS_PLANNED);
	set("b", STATUS_PLANNED);
	assert_false(flags_of("b") & TALK_CLASH);
}

static size_t search_count(const char *words, const char *expect_key)
{
	struct talk_query q = { .conf = conf, .search = words };
	struct talk_rows r;
	assert_int_equal(model_talks(st, &q, &r, NULL), LY_OK);
	size_t n = r.n;
	if (expect_key)
		assert_non_null(find(&r, expect_key));
	model_rows_free(&r);
	return n;
}

static void test_search(void **state)
{
	(void)state;
	assert_int_equal(search_count("red button", "b"), 1);   /* abstract */
	assert_int_equal(search_count("mei", "c"), 1);          /* speaker, prefix */
	assert_int_equal(search_count("backst", "d"), 1);       /* title prefix */
	assert_int_equal(search_count("zoe", "d"), 1);          /* diacritics folded */
	assert_int_equal(search_count("operat", NULL), 3);      /* track + abstract */
	assert_int_equal(search_count("\"", NULL), 0);          /* nothing searchable */
	assert_int_equal(search_count("nosuchword", NULL), 0);
	assert_int_equal(store_set_takeaways(st, id_of("a"), "remember the reconciler loop", NULL), LY_OK);
	assert_int_equal(search_count("reconciler", "a"), 1);   /* takeaways */
	assert_int_equal(store_set_takeaways(st, id_of("a"), "", NULL), LY_OK);
	assert_int_equal(search_count("reconciler", NULL), 0);
}

static void test_fts_query(void **state)
{
	(void)state;
	char *q = model_fts_query("  red  but");
	assert_string_equal(q, "\"red\"* \"but\"*");
	free(q);
	q = model_fts_query("say \"hi\"");
	assert_string_equal(q, "\"say\"* \"hi\"*");
	free(q);
	/* Split where the tokenizer splits: one token per quoted string. */
	q = model_fts_query("multi-cloud o'brien");
	assert_string_equal(q, "\"multi\"* \"cloud\"* \"o\"* \"brien\"*");
	free(q);
	q = model_fts_query("naïve");
	assert_string_equal(q, "\"naïve\"*");
	free(q);
	assert_null(model_fts_query(" - ! "));
	assert_null(model_fts_query(""));
}

static void test_review_order_and_stats(void **state)
{
	(void)state;
	set("a", STATUS_ATTENDED);
	set("b", STATUS_ATTENDED);
	set("c", STATUS_ATTENDED);
	set("d", STATUS_ATTENDED);
	assert_int_equal(store_set_rating(st, id_of("a"), 3, NULL), LY_OK);
	assert_int_equal(store_set_rating(st, id_of("b"), 5, NULL), LY_OK);
	assert_int_equal(store_set_rating(st, id_of("d"), 4, NULL), LY_OK);
	struct talk_query q = { .conf = conf, .status = STATUS_ATTENDED, .order = ORDER_RATING };
	struct talk_rows r;
	assert_int_equal(model_talks(st, &q, &r, NULL), LY_OK);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.rows[0].key, "c"); /* unrated first: "to rate" */
	assert_string_equal(r.rows[1].key, "b");
	assert_string_equal(r.rows[2].key, "d");
	assert_string_equal(r.rows[3].key, "a");
	model_rows_free(&r);

	struct counts c;
	assert_int_equal(model_counts(st, conf, &c, NULL), LY_OK);
	assert_int_equal(c.rated, 3);
	assert_int_equal(c.attended, 4);
	assert_int_equal(c.stars[5], 1);
	assert_int_equal(c.stars[4], 1);
	assert_int_equal(c.stars[3], 1);
	assert_int_equal(c.stars[1], 0);

	struct track_ratings tr;
	assert_int_equal(model_track_ratings(st, conf, &tr, NULL), LY_OK);
	assert_int_equal(tr.n, 3);
	assert_string_equal(tr.items[0].track, "Operations");
	assert_true(tr.items[0].average > 4.99);
	assert_string_equal(tr.items[2].track, "Customizing + Extending Kubernetes");
	model_track_ratings_free(&tr);

	/* Rating 0 clears. */
	assert_int_equal(store_set_rating(st, id_of("b"), 0, NULL), LY_OK);
	q = (struct talk_query){ .conf = conf, .rated = true };
	assert_int_equal(model_talks(st, &q, &r, NULL), LY_OK);
	assert_int_equal(r.n, 2);
	model_rows_free(&r);
	assert_int_equal(store_set_rating(st, id_of("b"), 6, NULL), LY_ERR);
}

static void test_now_next_and_alternatives(void **state)
{
	(void)state;
	set("b", STATUS_PLANNED);
	int64_t now;
	assert_true(ltime_parse_stamp("2022-05-18 11:32", &now));
	struct talk_rows cur, next;
	assert_int_equal(model_now_next(st, conf, now, &cur, &next, NULL), LY_OK);
	assert_int_equal(cur.n, 2);
	assert_string_equal(cur.rows[0].key, "b"); /* mine first */
	assert_string_equal(cur.rows[1].key, "a");
	assert_int_equal(next.n, 1);
	assert_string_equal(next.rows[0].key, "c");
	model_rows_free(&cur);
	model_rows_free(&next);
	/* Overnight: nothing within the hour, so the next start time. */
	assert_true(ltime_parse_stamp("2022-05-18 13:00", &now));
	assert_int_equal(model_now_next(st, conf, now, &cur, &next, NULL), LY_OK);
	assert_int_equal(cur.n, 0);
	assert_int_equal(next.n, 1);
	assert_string_equal(next.rows[0].key, "d");
	model_rows_free(&cur);
	model_rows_free(&next);

	struct talk_rows alt;
	assert_int_equal(model_concurrent(st, id_of("a"), &alt, NULL), LY_OK);
	assert_int_equal(alt.n, 1);
	assert_string_equal(alt.rows[0].key, "b");
	model_rows_free(&alt);
	int n = -1;
	assert_int_equal(model_concurrent_count(st, id_of("c"), &n, NULL), LY_OK);
	assert_int_equal(n, 0); /* touching b's end is not concurrent */
}

/* A day longer than a page of the window: every row as model_talks gives
 * it, in any order of access; positions found by identity; a reload sees
 * a new mark. */
static void test_window(void **state)
{
	(void)state;
	assert_int_equal(store_exec(st,
		"INSERT INTO conference(id, name, import_seq) VALUES(50, 'big', 2);"
		"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299)"
		" INSERT INTO talk(conf_id, key, title, start, end, day, room, track, seq)"
		" SELECT 50, 'w' || i, 'Window talk ' || i,"
		"  '2022-06-01 ' || printf('%02d:%02d', 9 + (i % 37) / 4, (i % 4) * 15),"
		"  '2022-06-01 ' || printf('%02d:%02d', 10 + (i % 37) / 4, (i % 4) * 15),"
		"  '2022-06-01', 'Room ' || (i % 7), 'Track ' || (i % 3), i FROM n;"
		"INSERT INTO talk(conf_id, key, title, start, end, day, seq)"
		" VALUES(50, 'other', 'Another day', '2022-06-02 09:00', '2022-06-02 10:00', '2022-06-02', 300);",
		NULL), LY_OK);
	struct talk_query q = { .conf = 50, .day = "2022-06-01" };
	struct talk_rows all;
	assert_int_equal(model_talks(st, &q, &all, NULL), LY_OK);
	assert_int_equal(all.n, 300);
	struct talk_window w;
	assert_int_equal(talk_window_open(st, &q, &w, NULL), LY_OK);
	assert_int_equal(w.total, 300);
	const size_t order[] = { 0, 1, 299, 150, 127, 128, 5, 298, 200, 31, 32, 33 };
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
		const struct talk_row *r = talk_window_row(st, &w, order[k], NULL);
		assert_non_null(r);
		assert_int_equal(r->id, all.rows[order[k]].id);
		assert_string_equal(r->title, all.rows[order[k]].title);
	}
	for (size_t i = 0; i < all.n; i++)
		assert_int_equal(talk_window_row(st, &w, i, NULL)->id, all.rows[i].id);
	assert_null(talk_window_row(st, &w, 300, NULL));
	/* A pane's rows side by side, wherever the page was. */
	const struct talk_row *span = talk_window_span(st, &w, 230, 40, NULL);
	assert_non_null(span);
	for (size_t i = 0; i < 40; i++)
		assert_int_equal(span[i].id, all.rows[230 + i].id);
	span = talk_window_span(st, &w, 290, 40, NULL); /* cut at the end */
	assert_non_null(span);
	assert_int_equal(span[9].id, all.rows[299].id);
	/* The first talk still on at a moment of the day. */
	size_t want = 0;
	while (want < all.n && strcmp(all.rows[want].end, "2022-06-01 13:20") <= 0)
		want++;
	size_t at;
	assert_int_equal(talk_window_find_now(st, &w, "2022-06-01 13:20", &at, NULL), LY_OK);
	assert_int_equal(at, want);
	assert_int_equal(talk_window_find_now(st, &w, "2022-06-01 23:00", &at, NULL), LY_NOTFOUND);
	/* Found by identity, inside the page held or far from it. */
	const size_t probe[] = { 0, 77, 128, 255, 299 };
	for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
		at = 9999;
		assert_int_equal(talk_window_find(st, &w, all.rows[probe[k]].id, &at, NULL), LY_OK);
		assert_int_equal(at, probe[k]);
	}
	int64_t other;
	assert_int_equal(store_talk_id(st, 50, "other", &other, NULL), LY_OK);
	assert_int_equal(talk_window_find(st, &w, other, &at, NULL), LY_NOTFOUND);
	/* A mark shows after a reload (the page held is kept until then). */
	assert_int_equal(talk_window_row(st, &w, 140, NULL)->status, STATUS_NONE);
	assert_int_equal(store_set_status(st, all.rows[140].id, STATUS_PLANNED, NULL), LY_OK);
	assert_int_equal(talk_window_row(st, &w, 140, NULL)->status, STATUS_NONE);
	assert_int_equal(talk_window_reload(st, &w, NULL), LY_OK);
	assert_int_equal(talk_window_row(st, &w, 140, NULL)->status, STATUS_PLANNED);
	talk_window_free(&w);
	/* A track's list and a search page are found by walking them. */
	struct talk_query tq = { .conf = 50, .day = "2022-06-01", .track = "Track 1" };
	assert_int_equal(talk_window_open(st, &tq, &w, NULL), LY_OK);
	assert_int_equal(w.total, 100);
	const struct talk_row *r = talk_window_row(st, &w, 60, NULL);
	int64_t id = r->id;
	assert_int_equal(talk_window_find(st, &w, all.rows[0].id, &at, NULL), LY_NOTFOUND); /* Track 0 */
	assert_int_equal(talk_window_find(st, &w, id, &at, NULL), LY_OK);
	assert_int_equal(at, 60);
	talk_window_free(&w);
	/* A search page and its count in one pass: the page sorted by time,
	 * the count stopping at the cap. */
	assert_int_equal(store_exec(st, "INSERT INTO talk_fts(talk_fts) VALUES('rebuild')", NULL), LY_OK);
	struct talk_query sq = { .conf = 50, .search = "window", .limit = 50 };
	struct talk_rows page;
	int total;
	assert_int_equal(model_talks_counted(st, &sq, 120, &page, &total, NULL), LY_OK);
	assert_int_equal(page.n, 50);
	assert_int_equal(total, 120);
	for (size_t i = 1; i < page.n; i++)
		assert_true(strcmp(page.rows[i - 1].start, page.rows[i].start) <= 0);
	model_rows_free(&page);
	assert_int_equal(model_talks_counted(st, &sq, 1000, &page, &total, NULL), LY_OK);
	assert_int_equal(page.n, 50);
	assert_int_equal(total, 300);
	model_rows_free(&page);
	sq.search = "nothingmatches";
	assert_int_equal(model_talks_counted(st, &sq, 1000, &page, &total, NULL), LY_OK);
	assert_int_equal(page.n, 0);
	assert_int_equal(total, 0);
	model_rows_free(&all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlap_primitive),
		cmocka_unit_test(test_fts_query),
		cmocka_unit_test_setup(test_clash_overlap, reset_marks),
		cmocka_unit_test_setup(test_clash_touching_and_unscheduled, reset_marks),
		cmocka_unit_test_setup(test_clash_multi_day, reset_marks),
		cmocka_unit_test_setup(test_days_and_conference_day_rule, reset_marks),
		cmocka_unit_test_setup(test_search, reset_marks),
		cmocka_unit_test_setup(test_review_order_and_stats, reset_marks),
		cmocka_unit_test_setup(test_now_next_and_alternatives, reset_marks),
		cmocka_unit_test_setup(test_removed_visible_only_with_user_data, reset_marks),
		cmocka_unit_test_setup(test_window, reset_marks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
