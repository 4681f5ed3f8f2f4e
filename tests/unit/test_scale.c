/* Query cost grows with what a query shows, never with the square of the
 * schedule. Two schedules of the same shape, 2,000 and 20,000 talks (four
 * days, more rooms in the larger), hold the same few planned, attended and
 * rated talks; every query the browser and `lanyard list` issue is run on
 * both, and the SQLite virtual machine steps it took (summed over every
 * statement of the connection) must grow at most about linearly: ten times
 * the talks, under fifteen times the steps. The user's own talks are the
 * same on both, so the queries that start from them must not grow at all
 * beyond that bound either. Counting steps, not time, keeps the test exact
 * on a loaded machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"
#include "lanyard/model.h"
#include "testutil.h"

#define QUERIES(_) \
	_(DAYS,        "day list") \
	_(TRACKS,      "track list of a day") \
	_(DAY_TALKS,   "talk list of a day") \
	_(DAY_PAGE,    "first screen of a day's talks") \
	_(TRACK_TALKS, "talk list of a day and track") \
	_(WINDOW,      "windowed day: open, find, last page") \
	_(DAY_COUNT,   "talk count of a day") \
	_(COUNTS,      "header counts") \
	_(AGENDA,      "agenda with same-time counts") \
	_(NOW_NEXT,    "now and next") \
	_(DETAIL,      "a planned talk's details and clashes") \
	_(SAME_TIME,   "talks at the same time") \
	_(SEARCH,      "search, first page and capped count") \
	_(SEARCH_RARE, "search for a rare word") \
	_(REVIEW,      "review and track averages") \
	_(LIST_ALL,    "lanyard list") \
	_(LIST_MINE,   "lanyard list --status planned")

enum query {
#define Q_ENUM(id, name) Q_##id,
	QUERIES(Q_ENUM)
#undef Q_ENUM
	NQUERIES
};

static const char *const query_names[] = {
#define Q_NAME(id, name) name,
	QUERIES(Q_NAME)
#undef Q_NAME
};

/* VM steps taken by every statement of the connection since the last call. */
static long long steps_since(sqlite3 *db)
{
	long long n = 0;
	for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL); s; s = sqlite3_next_stmt(db, s))
		n += sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1);
	return n;
}

/* A schedule of n talks over four days (09:00-17:00, half-hour slots) with
 * n / 128 rooms and 20 tracks, and the same marks whatever n. */
static struct store *build(int n, int64_t *conf)
{
	char name[32];
	snprintf(name, sizeof name, "scale-%d.db", n);
	struct store *st = tu_store(name);
	char sql[2048];
	snprintf(sql, sizeof sql,
		"INSERT INTO conference(id, name) VALUES(1, 'scale');"
		"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d),"
		" s(i, slot, st) AS (SELECT i, (i / 4) %% 16,"
		"  date('2022-05-17', '+' || (i %% 4) || ' days') || ' ' ||"
		"  printf('%%02d:%%02d', 9 + ((i / 4) %% 16) / 2, ((i / 4) %% 2) * 30) FROM n)"
		" INSERT INTO talk(conf_id, key, title, start, end, day, room, track, speakers, abstract, seq)"
		" SELECT 1, 'T' || i, 'Talk ' || i || CASE WHEN i %% 7 = 0 THEN ' on etcd' ELSE ' on meshes' END"
		"  || CASE WHEN i = 4242 OR i = 42 THEN ' zebrafish' ELSE '' END,"
		"  st, strftime('%%Y-%%m-%%d %%H:%%M', st, '+25 minutes'), substr(st, 1, 10),"
		"  'Room ' || (i / 64), 'Track ' || ((i / 4) %% 20), 'Speaker ' || i, 'Abstract of talk ' || i, i"
		" FROM s;"
		"INSERT INTO talk_fts(talk_fts) VALUES('rebuild');",
		n - 1);
	assert_int_equal(store_exec(st, sql, NULL), LY_OK);
	*conf = 1;
	/* The user's talks: 40 talks of the first day (keys T0, T4, ...), two or
	 * three in each slot, so some clash; some attended and rated. */
	for (int i = 0; i < 40; i++) {
		char key[16];
		int64_t id;
		snprintf(key, sizeof key, "T%d", i * 4);
		assert_int_equal(store_talk_id(st, 1, key, &id, NULL), LY_OK);
		assert_int_equal(store_set_status(st, id, i % 3 ? STATUS_PLANNED : STATUS_ATTENDED, NULL), LY_OK);
		if (i % 3 == 0)
			assert_int_equal(store_set_rating(st, id, 1 + i % 5, NULL), LY_OK);
		if (i % 5 == 0)
			assert_int_equal(store_set_takeaways(st, id, "etcd quorum notes", NULL), LY_OK);
	}
	return st;
}

static int count_row(void *ctx, const struct talk_row *row)
{
	(void)row;
	(*(int *)ctx)++;
	return 0;
}

static void run(struct store *st, int64_t conf, enum query q)
{
	struct talk_query tq = { .conf = conf };
	struct talk_rows rows;
	int n = 0;
	switch (q) {
	case Q_DAYS: {
		struct day_list d;
		assert_int_equal(model_days(st, conf, &d, NULL), LY_OK);
		assert_int_equal(d.n, 4);
		model_days_free(&d);
		break;
	}
	case Q_TRACKS: {
		struct track_list t;
		assert_int_equal(model_tracks(st, conf, "2022-05-18", &t, NULL), LY_OK);
		assert_int_equal(t.n, 21);
		model_tracks_free(&t);
		break;
	}
	case Q_DAY_TALKS:
	case Q_DAY_PAGE:
	case Q_TRACK_TALKS:
		tq.day = "2022-05-17";
		tq.track = q == Q_TRACK_TALKS ? "Track 4" : NULL;
		tq.limit = q == Q_DAY_PAGE ? 40 : 0;
		assert_int_equal(model_talks(st, &tq, &rows, NULL), LY_OK);
		assert_true(rows.n > 0);
		if (!tq.track) /* T0 and T64 overlap */
			assert_true(rows.rows[0].flags & TALK_CLASH);
		model_rows_free(&rows);
		break;
	case Q_WINDOW: {
		struct talk_window w;
		int64_t id;
		size_t at;
		tq.day = "2022-05-17";
		assert_int_equal(talk_window_open(st, &tq, &w, NULL), LY_OK);
		assert_int_equal(store_talk_id(st, conf, "T64", &id, NULL), LY_OK);
		assert_int_equal(talk_window_find(st, &w, id, &at, NULL), LY_OK);
		assert_non_null(talk_window_row(st, &w, at, NULL));
		assert_non_null(talk_window_row(st, &w, (size_t)w.total - 1, NULL));
		talk_window_free(&w);
		break;
	}
	case Q_DAY_COUNT:
		tq.day = "2022-05-19";
		assert_int_equal(model_talks_count(st, &tq, &n, NULL), LY_OK);
		assert_true(n > 0);
		break;
	case Q_COUNTS: {
		struct counts c;
		assert_int_equal(model_counts(st, conf, &c, NULL), LY_OK);
		assert_int_equal(c.planned + c.attended, 40);
		assert_true(c.clashes > 0);
		break;
	}
	case Q_AGENDA:
		tq.mine = true;
		assert_int_equal(model_talks(st, &tq, &rows, NULL), LY_OK);
		assert_int_equal(rows.n, 40);
		for (size_t i = 0; i < rows.n; i++) {
			assert_int_equal(model_concurrent_count(st, rows.rows[i].id, &n, NULL), LY_OK);
			assert_true(n > 0);
		}
		model_rows_free(&rows);
		break;
	case Q_NOW_NEXT: {
		struct talk_rows next;
		int64_t now;
		assert_true(ltime_parse_stamp("2022-05-19 11:10", &now));
		assert_int_equal(model_now_next(st, conf, now, &rows, &next, NULL), LY_OK);
		assert_true(rows.n > 0 && next.n > 0);
		model_rows_free(&rows);
		model_rows_free(&next);
		break;
	}
	case Q_DETAIL: {
		struct talk_detail d;
		int64_t id;
		assert_int_equal(store_talk_id(st, conf, "T4", &id, NULL), LY_OK);
		assert_int_equal(model_talk(st, id, &d, NULL), LY_OK);
		assert_true(d.nclashes > 0);
		model_talk_free(&d);
		break;
	}
	case Q_SAME_TIME: {
		int64_t id;
		assert_int_equal(store_talk_id(st, conf, "T4", &id, NULL), LY_OK);
		assert_int_equal(model_concurrent(st, id, &rows, NULL), LY_OK);
		assert_true(rows.n > 0);
		model_rows_free(&rows);
		break;
	}
	case Q_SEARCH:
	case Q_SEARCH_RARE:
		tq.search = q == Q_SEARCH ? "etc" : "zebra";
		tq.limit = 200;
		assert_int_equal(model_talks(st, &tq, &rows, NULL), LY_OK);
		assert_true(rows.n > 0);
		model_rows_free(&rows);
		assert_int_equal(model_talks_count_upto(st, &tq, 1000, &n, NULL), LY_OK);
		assert_true(n > 0);
		break;
	case Q_REVIEW: {
		struct track_ratings tr;
		tq.rated = true;
		tq.order = ORDER_RATING;
		assert_int_equal(model_talks(st, &tq, &rows, NULL), LY_OK);
		assert_int_equal(rows.n, 14);
		model_rows_free(&rows);
		assert_int_equal(model_track_ratings(st, conf, &tr, NULL), LY_OK);
		model_track_ratings_free(&tr);
		break;
	}
	case Q_LIST_ALL:
	case Q_LIST_MINE:
		tq.status = q == Q_LIST_MINE ? STATUS_PLANNED : STATUS_NONE;
		assert_int_equal(model_talks_each(st, &tq, count_row, &n, NULL), LY_OK);
		assert_true(n > 0);
		break;
	case NQUERIES:
		break;
	}
}

static void test_queries_grow_linearly(void **state)
{
	(void)state;
	int64_t conf;
	long long small[NQUERIES], large[NQUERIES];
	struct store *st = build(2000, &conf);
	for (int q = 0; q < NQUERIES; q++) {
		run(st, conf, q); /* prepare and warm the statement cache */
		steps_since(store_db(st));
		run(st, conf, q);
		small[q] = steps_since(store_db(st));
	}
	store_close(st);
	st = build(20000, &conf);
	for (int q = 0; q < NQUERIES; q++) {
		run(st, conf, q);
		steps_since(store_db(st));
		run(st, conf, q);
		large[q] = steps_since(store_db(st));
	}
	store_close(st);
	int bad = 0;
	for (int q = 0; q < NQUERIES; q++) {
		double ratio = (double)large[q] / (double)(small[q] ? small[q] : 1);
		printf("  %-40s %9lld -> %10lld steps  x%.1f\n", query_names[q], small[q], large[q], ratio);
		if (large[q] > 15 * small[q]) {
			printf("  ^ grows faster than the schedule\n");
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queries_grow_linearly),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
