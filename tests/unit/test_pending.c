/* The save path for typed text: compare before write in the store, both
 * versions kept when the stored text changed, text kept in memory while
 * the store refuses it and saved once it takes it again, a recovery file
 * at the end; and the store's own guards (negative schema versions, file
 * modes, interrupting long work). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lanyard/pending.h"
#include "lanyard/store.h"
#include "testutil.h"

static char *db_path(const char *name)
{
	char *p = malloc(600);
	snprintf(p, 600, "%s/%s", tu_tmpdir(), name);
	return p;
}

/* A store with one conference (id 1) and talks 1 and 2. */
static struct store *two_talks(const char *name)
{
	struct store *st = tu_store(name);
	assert_int_equal(store_exec(st, "INSERT INTO conference(id, name) VALUES(1, 'c');"
	                            "INSERT INTO talk(id, conf_id, key, title) VALUES(1, 1, 'K1', 'One'),"
	                            " (2, 1, 'K2', 'Two')", NULL), LY_OK);
	return st;
}

static char *takeaways(struct store *st, int64_t id)
{
	char *t = NULL;
	assert_int_equal(store_get_takeaways(st, id, &t, NULL), LY_OK);
	return t;
}

/* Another process's write lock, through a connection of our own. */
static sqlite3 *lock(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	return db;
}

static void unlock(sqlite3 *db)
{
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_compare_before_write(void **state)
{
	(void)state;
	struct store *st = two_talks("cbw.db");
	char *stored = NULL;
	struct ly_error err;
	assert_int_equal(store_set_takeaways_if(st, 1, "", "first", &stored, &err), LY_OK);
	assert_null(stored);
	/* Stale: the writer started from "" but "first" is stored. */
	assert_int_equal(store_set_takeaways_if(st, 1, "", "second", &stored, &err), LY_CONFLICT);
	assert_string_equal(stored, "first");
	free(stored);
	char *t = takeaways(st, 1);
	assert_string_equal(t, "first");
	free(t);
	/* Writing what is already there is no conflict. */
	assert_int_equal(store_set_takeaways_if(st, 1, "", "first", &stored, &err), LY_OK);
	assert_int_equal(store_set_takeaways_if(st, 1, "first", "first, then more", &stored, &err), LY_OK);
	/* Notes too. */
	assert_int_equal(store_set_note_if(st, 1, "overall", "", "n1", &stored, &err), LY_OK);
	assert_int_equal(store_set_note_if(st, 1, "overall", "", "n2", &stored, &err), LY_CONFLICT);
	assert_string_equal(stored, "n1");
	free(stored);
	/* The search index follows the takeaways. */
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM mine_fts WHERE mine_fts MATCH 'more'", NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1);
	sqlite3_reset(s);
	store_close(st);
}

/* Two writers on one talk: neither text is lost, the other's is marked. */
static void test_two_writers_keep_both(void **state)
{
	(void)state;
	struct store *st = two_talks("two.db");
	struct pending *a = pending_new(st), *b = pending_new(st);
	struct pending_target t = { .talk = 1 };
	struct ly_error err;
	char *merged = NULL;
	assert_null(pending_open(a, &t, ""));
	assert_null(pending_open(b, &t, ""));
	assert_int_equal(pending_save(a, &t, "alpha notes", &merged, &err), PENDING_SAVED);
	assert_int_equal(pending_save(b, &t, "beta notes", &merged, &err), PENDING_MERGED);
	assert_non_null(merged);
	assert_non_null(strstr(merged, "beta notes"));
	assert_non_null(strstr(merged, "alpha notes"));
	assert_non_null(strstr(merged, PENDING_MARK));
	assert_true(strstr(merged, "beta") < strstr(merged, PENDING_MARK));
	char *t1 = takeaways(st, 1);
	assert_string_equal(t1, merged);
	free(t1);
	/* b goes on typing from the merged text: a plain save. */
	size_t n = strlen(merged) + 16;
	char *more = malloc(n);
	snprintf(more, n, "%s and more", merged);
	free(merged);
	assert_int_equal(pending_save(b, &t, more, &merged, &err), PENDING_SAVED);
	/* a's next save is stale again: merged, a's text first, nothing lost. */
	assert_int_equal(pending_save(a, &t, "alpha notes, second line", &merged, &err), PENDING_MERGED);
	assert_non_null(strstr(merged, "alpha notes, second line"));
	assert_non_null(strstr(merged, "beta notes"));
	assert_non_null(strstr(merged, "and more"));
	free(merged);
	free(more);
	/* A writer who already has the other's text whole takes it as is. */
	assert_int_equal(pending_save(b, &t, "x", &merged, &err), PENDING_MERGED);
	free(merged);
	/* Different talks never interfere. */
	struct pending_target t2 = { .talk = 2 };
	pending_open(a, &t2, "");
	assert_int_equal(pending_save(a, &t2, "other talk", NULL, &err), PENDING_SAVED);
	pending_free(a);
	pending_free(b);
	store_close(st);
}

/* The store refuses (a lock held elsewhere): the text stays in memory,
 * the editor's retry and pending_retry save it once the lock is gone. */
static void test_locked_text_is_kept_and_retried(void **state)
{
	(void)state;
	struct store *st = two_talks("lock.db");
	char *path = db_path("lock.db");
	store_set_busy_timeout(st, 20);
	struct pending *p = pending_new(st);
	struct pending_target t = { .talk = 1 }, note = { .conf = 1, .scope = "2022-05-18" };
	struct ly_error err;
	assert_null(pending_open(p, &t, ""));
	sqlite3 *other = lock(path);
	assert_int_equal(pending_save(p, &t, "typed while locked", NULL, &err), PENDING_KEPT);
	assert_non_null(strstr(err.msg, "locked"));
	assert_int_equal(pending_unsaved(p), 1);
	/* The editor closes; a note typed meanwhile is kept too. */
	pending_close(p, &t, NULL);
	pending_open(p, &note, "");
	assert_int_equal(pending_save(p, &note, "day note", NULL, &err), PENDING_KEPT);
	pending_close(p, &note, NULL);
	assert_int_equal(pending_retry(p, NULL, &err), 2);
	/* Opening the talk again shows the unsaved text, not the stored one. */
	const char *shown = pending_open(p, &t, "");
	assert_non_null(shown);
	assert_string_equal(shown, "typed while locked");
	pending_close(p, &t, NULL);
	unlock(other);
	int merged = -1;
	assert_int_equal(pending_retry(p, &merged, &err), 0);
	assert_int_equal(merged, 0);
	assert_int_equal(pending_unsaved(p), 0);
	char *t1 = takeaways(st, 1);
	assert_string_equal(t1, "typed while locked");
	free(t1);
	char *n = NULL;
	assert_int_equal(store_get_note(st, 1, "2022-05-18", &n, &err), LY_OK);
	assert_string_equal(n, "day note");
	free(n);
	pending_free(p);
	free(path);
	store_close(st);
}

/* Stored text changed while ours waited for a lock: the retry keeps both. */
static void test_retry_after_change_keeps_both(void **state)
{
	(void)state;
	struct store *st = two_talks("race.db");
	char *path = db_path("race.db");
	store_set_busy_timeout(st, 20);
	struct pending *p = pending_new(st);
	struct pending_target t = { .talk = 1 };
	struct ly_error err;
	pending_open(p, &t, "");
	sqlite3 *other = lock(path);
	assert_int_equal(pending_save(p, &t, "mine", NULL, &err), PENDING_KEPT);
	pending_close(p, &t, NULL);
	assert_int_equal(sqlite3_exec(other, "INSERT INTO mark(talk_id, takeaways) VALUES(1, 'theirs')",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	int merged = 0;
	assert_int_equal(pending_retry(p, &merged, &err), 0);
	assert_int_equal(merged, 1);
	char *t1 = takeaways(st, 1);
	assert_non_null(strstr(t1, "mine"));
	assert_non_null(strstr(t1, "theirs"));
	assert_non_null(strstr(t1, PENDING_MARK));
	free(t1);
	pending_free(p);
	free(path);
	store_close(st);
}

/* What the store never took goes to a private recovery file; a file the
 * text also lives in ($EDITOR's) is named there, and removed once saved. */
static void test_recovery_file(void **state)
{
	(void)state;
	struct store *st = two_talks("rec.db");
	char *path = db_path("rec.db");
	store_set_busy_timeout(st, 20);
	struct pending *p = pending_new(st);
	struct pending_target t = { .talk = 2 };
	struct ly_error err;
	char *ext = tu_write("editor-file.md", "from the editor", (size_t)-1);
	pending_open(p, &t, "");
	sqlite3 *other = lock(path);
	assert_int_equal(pending_save(p, &t, "from the editor", NULL, &err), PENDING_KEPT);
	pending_close(p, &t, ext);
	char rec[4096];
	assert_int_equal(pending_recover(p, tu_tmpdir(), rec, sizeof rec, &err), LY_OK);
	assert_int_equal(strncmp(rec, tu_tmpdir(), strlen(tu_tmpdir())), 0);
	struct stat sb;
	assert_int_equal(stat(rec, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	FILE *f = fopen(rec, "r");
	char buf[2048];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "takeaways of K2 (Two)"));
	assert_non_null(strstr(buf, "from the editor"));
	assert_non_null(strstr(buf, ext));
	/* Saved at last: the editor's file goes. */
	assert_int_equal(access(ext, F_OK), 0);
	unlock(other);
	assert_int_equal(pending_retry(p, NULL, &err), 0);
	assert_int_equal(access(ext, F_OK), -1);
	/* A directory that refuses: $TMPDIR takes it. */
	pending_open(p, &t, "from the editor");
	other = lock(path);
	assert_int_equal(pending_save(p, &t, "again", NULL, &err), PENDING_KEPT);
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", tu_tmpdir(), 1);
	assert_int_equal(pending_recover(p, "/nonexistent/dir", rec, sizeof rec, &err), LY_OK);
	assert_int_equal(strncmp(rec, tu_tmpdir(), strlen(tu_tmpdir())), 0);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	unlock(other);
	pending_free(p);
	free(ext);
	free(path);
	store_close(st);
}

static void test_schema_versions_and_modes(void **state)
{
	(void)state;
	mode_t old = umask(022);
	struct store *st = tu_store("modes.db");
	char *path = db_path("modes.db");
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* A negative version (index -1 of the migrations) is refused untouched. */
	assert_int_equal(store_exec(st, "PRAGMA user_version = -1", NULL), LY_OK);
	store_close(st);
	struct store *st2 = NULL;
	struct ly_error err;
	assert_int_equal(store_open(&st2, path, &err), LY_ERR);
	assert_null(st2);
	assert_non_null(strstr(err.msg, "-1"));
	assert_null(strstr(err.msg, "already exists"));
	/* A read-only command on a missing file creates nothing. */
	char *missing = db_path("nothing/here.db");
	char located[4096];
	assert_int_equal(store_locate(missing, located, sizeof located, &err), LY_OK);
	assert_int_equal(store_open_read(&st2, located, &err), LY_NOTFOUND);
	char *dir = db_path("nothing");
	assert_int_equal(access(dir, F_OK), -1);
	umask(old);
	free(dir);
	free(missing);
	free(path);
}

/* A signal's flag stops a long statement (the browser's way out of long
 * work when its terminal closes). */
static void test_interrupt(void **state)
{
	(void)state;
	struct store *st = tu_store("intr.db");
	static volatile sig_atomic_t flag;
	store_set_interrupt(st, &flag);
	const char *slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 100000000)"
	                   " SELECT sum(i) FROM n";
	flag = 1;
	struct ly_error err;
	sqlite3_stmt *s = store_stmt(st, slow, &err);
	assert_non_null(s);
	assert_int_equal(sqlite3_step(s), SQLITE_INTERRUPT);
	sqlite3_reset(s);
	/* Off again: short statements run. */
	flag = 0;
	s = store_stmt(st, "SELECT 1", &err);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	sqlite3_reset(s);
	store_set_interrupt(st, NULL);
	store_close(st);
}

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_before_write),
		cmocka_unit_test(test_two_writers_keep_both),
		cmocka_unit_test(test_locked_text_is_kept_and_retried),
		cmocka_unit_test(test_retry_after_change_keeps_both),
		cmocka_unit_test(test_recovery_file),
		cmocka_unit_test(test_schema_versions_and_modes),
		cmocka_unit_test(test_interrupt),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
