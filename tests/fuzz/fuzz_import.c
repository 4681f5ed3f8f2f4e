/* libFuzzer target for the importer: any bytes, as a schedule file.
 *
 * For each input, into a fresh in-memory store:
 *  - import_file either succeeds or fails with a message that names the
 *    file; every warning names the file too;
 *  - a failed import leaves the store empty (one transaction);
 *  - a successful import, repeated, changes nothing (same keys, same
 *    talks: 0 added, 0 updated, 0 moved, 0 removed);
 *  - a dry run over it writes nothing.
 * A broken rule aborts, which libFuzzer (or the replay driver) reports.
 *
 *   make fuzz                 clang, -fsanitize=fuzzer,address,undefined
 *   build/tests/test_fuzz_replay   the corpus, in every test run */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lanyard/import.h"
#include "lanyard/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_import: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

static void on_msg(void *ctx, const char *msg)
{
	(void)ctx;
	if (strncmp(msg, path, strlen(path)) != 0 && strncmp(msg, "note: ", 6) != 0)
		fail("a message that names neither the file nor is a note", msg);
}

static long long count(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void write_input(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof path, "%s/lanyard-fuzz-%ld.csv", tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp", (long)getpid());
	}
	FILE *f = fopen(path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		fail("cannot write the input file", path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	write_input(data, size);
	struct store *st;
	struct ly_error err = { 0 };
	if (store_open(&st, ":memory:", &err) != LY_OK)
		fail("store_open", err.msg);
	struct import_opts opts = { .name = "fuzz", .dry_run = true };
	struct import_report rep;
	int rc = import_file(st, path, &opts, &rep, on_msg, NULL, &err);
	if (count(st, "SELECT count(*) FROM talk") != 0 || count(st, "SELECT count(*) FROM conference") != 0)
		fail("a dry run wrote to the store", NULL);
	opts.dry_run = false;
	int rc2 = import_file(st, path, &opts, &rep, on_msg, NULL, &err);
	if (rc2 != rc)
		fail("a dry run and a real import disagree", err.msg);
	if (rc2 != LY_OK) {
		if (strncmp(err.msg, path, strlen(path)) != 0)
			fail("an error that does not name the file", err.msg);
		if (count(st, "SELECT count(*) FROM talk") != 0 || count(st, "SELECT count(*) FROM conference") != 0)
			fail("a failed import left rows behind", err.msg);
	} else {
		int talks = rep.talks;
		if (import_file(st, path, &opts, &rep, on_msg, NULL, &err) != LY_OK)
			fail("the same file failed the second time", err.msg);
		if (rep.added || rep.updated || rep.moved || rep.removed || rep.unchanged != talks) {
			char buf[160];
			snprintf(buf, sizeof buf, "%d talks, then %d added, %d updated, %d moved, %d removed, %d unchanged",
			         talks, rep.added, rep.updated, rep.moved, rep.removed, rep.unchanged);
			fail("re-importing the same file changed something", buf);
		}
		if (count(st, "SELECT count(*) FROM talk") != talks)
			fail("talk rows do not match the report", NULL);
	}
	store_close(st);
	unlink(path);
	return 0;
}
