/* The store: schema creation and versioning, database location, and the
 * user's data (status, rating, takeaways, notes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lanyard/store.h"
#include "testutil.h"

static int pragma_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_stmt(st, sql, NULL);
	assert_non_null(s);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int v = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return v;
}

static void test_schema(void **state)
{
	(void)state;
	struct store *st = tu_store("schema.db");
	assert_int_equal(pragma_int(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(pragma_int(st, "PRAGMA foreign_keys"), 1);
	sqlite3_stmt *s = store_stmt(st, "PRAGMA journal_mode", NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_reset(s);
	store_close(st);
	/* Reopening an up-to-date database runs no migration and keeps data. */
	st = tu_store("schema.db");
	assert_int_equal(store_exec(st, "INSERT INTO conference(name) VALUES('x')", NULL), LY_OK);
	store_close(st);
	st = tu_store("schema.db");
	assert_int_equal(pragma_int(st, "SELECT count(*) FROM conference"), 1);
	/* A database from a newer lanyard is refused, not damaged. */
	assert_int_equal(store_exec(st, "PRAGMA user_version = 99", NULL), LY_OK);
	store_close(st);
	struct store *st2 = NULL;
	struct ly_error err;
	char *p = tu_write("dummy", "", 0);
	free(p);
	char path[512];
	snprintf(path, sizeof path, "%s/schema.db", tu_tmpdir());
	assert_int_equal(store_open(&st2, path, &err), LY_ERR);
	assert_null(st2);
	assert_non_null(strstr(err.msg, "newer"));
}

/* A version 1 database (search index with positions) is brought to the
 * current schema on open: its index is rebuilt and search still finds the
 * talks, user data untouched. */
static void test_migrate_from_v1(void **state)
{
	(void)state;
	struct store *st = tu_store("v1.db");
	assert_int_equal(store_exec(st,
		"INSERT INTO conference(id, name) VALUES(1, 'old');"
		"INSERT INTO talk(id, conf_id, key, title, abstract) VALUES(7, 1, 'k7', 'Sidecarless meshes', 'ambient');"
		"INSERT INTO mark(talk_id, status, takeaways) VALUES(7, 'planned', 'try it');"
		"DROP TABLE talk_fts;"
		"CREATE VIRTUAL TABLE talk_fts USING fts5(title, speakers, abstract, track, room,"
		" content='talk', content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
		"DROP INDEX talk_day_track; DROP INDEX talk_span;"
		"ALTER TABLE conference DROP COLUMN etag; ALTER TABLE conference DROP COLUMN last_modified;"
		"PRAGMA user_version = 1;", NULL), LY_OK);
	store_close(st);
	st = tu_store("v1.db");
	assert_int_equal(pragma_int(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(pragma_int(st, "SELECT count(*) FROM talk_fts WHERE talk_fts MATCH 'ambient'"), 1);
	assert_int_equal(pragma_int(st, "SELECT count(*) FROM sqlite_master WHERE name = 'talk_fts'"
	                                " AND sql LIKE '%detail=none%'"), 1);
	assert_int_equal(pragma_int(st, "SELECT count(*) FROM mark WHERE takeaways = 'try it'"), 1);
	/* Version 3: the source's validators, empty for old conferences. */
	assert_int_equal(pragma_int(st, "SELECT count(*) FROM conference WHERE etag = '' AND last_modified = ''"), 1);
	struct ly_error err;
	char etag[64], lm[64];
	assert_int_equal(store_exec(st, "UPDATE conference SET source = 'http://x/s.csv'", NULL), LY_OK);
	assert_int_equal(store_conf_set_validators(st, "old", "\"v1\"", "Wed, 18 May 2022 09:00:00 GMT", &err), LY_OK);
	assert_int_equal(store_conf_validators(st, "old", "http://x/s.csv", etag, sizeof etag, lm, sizeof lm, &err), LY_OK);
	assert_string_equal(etag, "\"v1\"");
	assert_string_equal(lm, "Wed, 18 May 2022 09:00:00 GMT");
	/* Another source: none of its validators. */
	assert_int_equal(store_conf_validators(st, "old", "/x/s.csv", etag, sizeof etag, lm, sizeof lm, &err), LY_OK);
	assert_string_equal(etag, "");
	store_close(st);
}

/* sqlite_master as text, a row a line (runs of white space as one space),
 * then the schema version. */
static char *schema_text(struct store *st)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT type, name, tbl_name, sql FROM sqlite_master"
	                                    " ORDER BY name", -1, &s, NULL), SQLITE_OK);
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < 4; i++) {
			const char *v = (const char *)sqlite3_column_text(s, i);
			if (!v)
				v = "NULL";
			bool space = false;
			for (; *v; v++) {
				if (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') {
					space = true;
					continue;
				}
				assert_true(n + 3 < cap);
				if (space && n > 0 && out[n - 1] != '|')
					out[n++] = ' ';
				space = false;
				out[n++] = *v;
			}
			assert_true(n + 2 < cap);
			out[n++] = i < 3 ? '|' : '\n';
		}
	}
	sqlite3_finalize(s);
	snprintf(out + n, cap - n, "user_version %d\n", pragma_int(st, "PRAGMA user_version"));
	return out;
}

/* A new database is created at the latest version in one go; one made at
 * version 1 (by migration 0 -> 1, as the first lanyard did) and brought up
 * to date by the migrations must end with the same schema. */
static void test_fresh_equals_migrated(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s/at-v1.db", tu_tmpdir());
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_non_null(store_migration_sql(0));
	assert_int_equal(sqlite3_exec(db, store_migration_sql(0), NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	assert_null(store_migration_sql(STORE_SCHEMA_VERSION));

	struct store *migrated = tu_store("at-v1.db");
	struct store *fresh = tu_store("fresh.db");
	char *want = schema_text(migrated), *got = schema_text(fresh);
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "user_version 3\n"));
	assert_int_equal(STORE_SCHEMA_VERSION, 3);
	/* The search indexes' own settings too. */
	char *a = tu_query(fresh, "SELECT group_concat(k || '=' || v) FROM talk_fts_config");
	char *b = tu_query(migrated, "SELECT group_concat(k || '=' || v) FROM talk_fts_config");
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(want);
	free(got);
	store_close(fresh);
	store_close(migrated);
}

/* A new database is made under a temporary name and linked into place:
 * nothing else is left in its directory, and it is whole (WAL, 16 KiB
 * pages, the latest schema) from the start. */
static void test_new_database_file(void **state)
{
	(void)state;
	char dir[512], path[600];
	snprintf(dir, sizeof dir, "%s/newdb", tu_tmpdir());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/new.db", dir);
	struct store *st = NULL;
	struct ly_error err;
	assert_int_equal(store_open(&st, path, &err), LY_OK);
	assert_int_equal(pragma_int(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(pragma_int(st, "PRAGMA page_size"), 16384);
	EXPECT(st, "wal", "PRAGMA journal_mode");
	EXPECT(st, "ok", "PRAGMA integrity_check");
	store_close(st);
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		assert_string_equal(e->d_name, "new.db");
		n++;
	}
	closedir(d);
	assert_int_equal(n, 1);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_nlink, 1);
}

/* Names in dir other than . and .., joined by ' ' in order. */
static void dir_names(const char *dir, char *out, size_t len)
{
	char names[16][256];
	int n = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d)) && n < 16;)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			snprintf(names[n++], sizeof names[0], "%s", e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? " " : "", names[i][0] == '.' && strlen(names[i]) > 10 ?
		                      ".new.db.XXXXXX" : names[i]);
}

/* A first import's database is made under a temporary name and appears,
 * whole, only when published: closed before that, nothing is left; a
 * database someone made meanwhile is not replaced; what a killed import
 * left (no live lanyard holds it) goes with the next one. */
static void test_new_database_published(void **state)
{
	(void)state;
	char dir[512], path[600], names[512];
	snprintf(dir, sizeof dir, "%s/pub", tu_tmpdir());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/new.db", dir);
	struct store *st = NULL;
	struct ly_error err;
	assert_int_equal(store_open_new(&st, path, &err), LY_OK);
	assert_true(store_is_unpublished(st));
	assert_int_equal(store_exec(st, "INSERT INTO conference(name) VALUES('c')", &err), LY_OK);
	dir_names(dir, names, sizeof names);
	assert_string_equal(names, ".new.db.XXXXXX");
	store_close(st); /* not published: gone */
	dir_names(dir, names, sizeof names);
	assert_string_equal(names, "");
	/* Published: in place, in WAL mode, whole, private. */
	assert_int_equal(store_open_new(&st, path, &err), LY_OK);
	assert_int_equal(store_exec(st, "INSERT INTO conference(name) VALUES('c')", &err), LY_OK);
	assert_int_equal(store_publish(st, &err), LY_OK);
	store_close(st);
	dir_names(dir, names, sizeof names);
	assert_string_equal(names, "new.db");
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(store_open(&st, path, &err), LY_OK);
	EXPECT(st, "wal", "PRAGMA journal_mode");
	EXPECT(st, "ok", "PRAGMA integrity_check");
	EXPECT(st, "c", "SELECT group_concat(name) FROM conference");
	assert_int_equal(pragma_int(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	store_close(st);
	/* Existing: opened as it is. */
	assert_int_equal(store_open_new(&st, path, &err), LY_OK);
	assert_false(store_is_unpublished(st));
	store_close(st);
	/* Someone made it meanwhile: left alone, and said. */
	char other[600];
	snprintf(other, sizeof other, "%s/other.db", dir);
	assert_int_equal(store_open_new(&st, other, &err), LY_OK);
	FILE *f = fopen(other, "w");
	assert_non_null(f);
	fputs("theirs", f);
	fclose(f);
	assert_int_equal(store_publish(st, &err), LY_ERR);
	assert_non_null(strstr(err.msg, "another lanyard made this database while the import ran"));
	store_close(st);
	char buf[16] = "";
	f = fopen(other, "r");
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "theirs");
	unlink(other);
	/* A killed import's leftover goes; a live one stays. */
	char stale[600], live[600];
	snprintf(stale, sizeof stale, "%s/.x.db.AAAAAA", dir);
	snprintf(live, sizeof live, "%s/.x.db.BBBBBB", dir);
	f = fopen(stale, "w");
	fclose(f);
	int lfd = open(live, O_RDWR | O_CREAT, 0600);
	assert_true(lfd >= 0);
	assert_int_equal(flock(lfd, LOCK_EX), 0);
	char x[600];
	snprintf(x, sizeof x, "%s/x.db", dir);
	assert_int_equal(store_open_new(&st, x, &err), LY_OK);
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(live, F_OK), 0);
	store_close(st);
	close(lfd);
}

static void test_not_a_database(void **state)
{
	(void)state;
	char *p = tu_write("junk.db", "this is not a database, just some text\n", (size_t)-1);
	struct store *st = NULL;
	struct ly_error err;
	assert_int_equal(store_open(&st, p, &err), LY_ERR);
	assert_non_null(strstr(err.msg, p));
	FILE *f = fopen(p, "rb");
	char buf[64] = "";
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "this is not a database, just some text\n");
	free(p);
}

static void test_default_path(void **state)
{
	(void)state;
	char out[512], want[512];
	struct ly_error err;
	assert_int_equal(store_default_path("/tmp/x.db", out, sizeof out, &err), LY_OK);
	assert_string_equal(out, "/tmp/x.db");
	snprintf(want, sizeof want, "%s/env/a.db", tu_tmpdir());
	setenv("LANYARD_DB", want, 1);
	assert_int_equal(store_default_path(NULL, out, sizeof out, &err), LY_OK);
	assert_string_equal(out, want);
	unsetenv("LANYARD_DB");
	snprintf(want, sizeof want, "%s/xdg", tu_tmpdir());
	setenv("XDG_DATA_HOME", want, 1);
	assert_int_equal(store_default_path(NULL, out, sizeof out, &err), LY_OK);
	strcat(want, "/lanyard/lanyard.db");
	assert_string_equal(out, want);
	struct stat sb;
	snprintf(want, sizeof want, "%s/xdg/lanyard", tu_tmpdir());
	assert_int_equal(stat(want, &sb), 0); /* directories created */
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", tu_tmpdir(), 1);
	assert_int_equal(store_default_path(NULL, out, sizeof out, &err), LY_OK);
	snprintf(want, sizeof want, "%s/.local/share/lanyard/lanyard.db", tu_tmpdir());
	assert_string_equal(out, want);
}

static void test_status_names(void **state)
{
	(void)state;
	enum talk_status s;
	assert_int_equal(store_status_parse("planned", &s), LY_OK);
	assert_int_equal(s, STATUS_PLANNED);
	assert_int_equal(store_status_parse("none", &s), LY_OK);
	assert_int_equal(s, STATUS_NONE);
	assert_int_equal(store_status_parse("maybe", &s), LY_ERR);
	assert_string_equal(store_status_name(STATUS_SKIPPED), "skipped");
	assert_string_equal(store_status_name(STATUS_NONE), "");
}

static void test_user_data(void **state)
{
	(void)state;
	struct store *st = tu_store("user.db");
	assert_int_equal(store_exec(st, "INSERT INTO conference(name) VALUES('c');"
	                 "INSERT INTO talk(conf_id, key, title) VALUES(1, 'k1', 'One')", NULL), LY_OK);
	struct conf c;
	assert_int_equal(store_conf_find(st, NULL, &c, NULL), LY_OK);
	assert_string_equal(c.name, "c");
	struct ly_error err;
	assert_int_equal(store_conf_find(st, "nope", &c, &err), LY_NOTFOUND);
	assert_non_null(strstr(err.msg, "nope"));
	int64_t id;
	assert_int_equal(store_talk_id(st, 1, "k1", &id, NULL), LY_OK);
	assert_int_equal(store_talk_id(st, 1, "k2", &id, &err), LY_NOTFOUND);
	assert_int_equal(store_talk_id(st, 1, "k1", &id, NULL), LY_OK);

	enum talk_status s;
	int rating;
	assert_int_equal(store_set_status(st, id, STATUS_ATTENDED, NULL), LY_OK);
	assert_int_equal(store_set_rating(st, id, 4, NULL), LY_OK);
	assert_int_equal(store_get_status(st, id, &s, &rating, NULL), LY_OK);
	assert_int_equal(s, STATUS_ATTENDED);
	assert_int_equal(rating, 4);
	/* Each setter leaves the other columns alone. */
	assert_int_equal(store_set_takeaways(st, id, "日本語 notes\nline two", NULL), LY_OK);
	assert_int_equal(store_set_status(st, id, STATUS_NONE, NULL), LY_OK);
	assert_int_equal(store_get_status(st, id, &s, &rating, NULL), LY_OK);
	assert_int_equal(s, STATUS_NONE);
	assert_int_equal(rating, 4);
	char *text;
	assert_int_equal(store_get_takeaways(st, id, &text, NULL), LY_OK);
	assert_string_equal(text, "日本語 notes\nline two");
	free(text);
	assert_int_equal(pragma_int(st, "SELECT count(*) FROM mine_fts WHERE mine_fts MATCH 'notes'"), 1);

	assert_int_equal(store_set_note(st, 1, "overall", "scale of the community", NULL), LY_OK);
	assert_int_equal(store_set_note(st, 1, "overall", "scale!", NULL), LY_OK);
	assert_int_equal(store_get_note(st, 1, "overall", &text, NULL), LY_OK);
	assert_string_equal(text, "scale!");
	free(text);
	assert_int_equal(store_get_note(st, 1, "2022-05-18", &text, NULL), LY_OK);
	assert_string_equal(text, "");
	free(text);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema),
		cmocka_unit_test(test_migrate_from_v1),
		cmocka_unit_test(test_fresh_equals_migrated),
		cmocka_unit_test(test_new_database_file),
		cmocka_unit_test(test_new_database_published),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_user_data),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
