/* Nothing typed is lost, nothing hangs: the browser while another process
 * holds the database's write lock, a hang-up while it does, two browsers
 * typing into one talk, $EDITOR's text while the database refuses it, and
 * a file size limit hit while saving. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lanyard/pending.h"
#include "screenutil.h"

#define T SU_WAIT
#define BASIC "tests/data/screen-basic.csv"

static struct vt *start(const char *db, const char *const *env)
{
	struct vt *vt = su_start(db, 24, 80, env);
	assert_non_null(vt);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	return vt;
}

/* The write lock, held the way another lanyard or sqlite3 would. */
static sqlite3 *lock(const char *db)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	return h;
}

static void unlock(sqlite3 *h)
{
	assert_int_equal(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static char *note(const char *db, const char *key)
{
	return su_run("'%s' note --db '%s' %s", su_bin(), db, key);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until `lanyard note` prints want for key (up to ms). */
static bool note_becomes(const char *db, const char *key, const char *want, int ms)
{
	for (int64_t end = now_ms() + ms; now_ms() < end; usleep(100 * 1000)) {
		char *n = note(db, key);
		bool ok = strcmp(n, want) == 0;
		free(n);
		if (ok)
			return true;
	}
	return false;
}

/* Typing goes on while the lock is held (keys are never held up by the
 * save: each try waits a tenth of a second, not five); Esc leaves with the
 * text kept; it is saved once the lock is gone, and the message says so. */
static void test_lock_while_typing(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = start(db, NULL);
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	sqlite3 *h = lock(db);
	vt_send(vt, "t");
	assert_true(vt_wait_text(vt, "as you type", T));
	vt_send(vt, "written during the lock");
	assert_true(vt_wait_text(vt, "not saved yet", 3 * T));
	assert_true(vt_wait_text(vt, "locked", T));
	/* Several failed saves later, each key still shows at once. */
	for (int i = 0; i < 3; i++) {
		char word[8];
		snprintf(word, sizeof word, " w%d", i);
		int64_t t0 = now_ms();
		vt_send(vt, word);
		char want[64];
		snprintf(want, sizeof want, "lock w0%s", i ? (i == 1 ? " w1" : " w1 w2") : "");
		assert_true(vt_wait_text(vt, want, T));
		assert_true(now_ms() - t0 < 1500);
		usleep(600 * 1000); /* let a retry happen */
	}
	/* Esc twice leaves the editor; nothing is dropped. */
	vt_send(vt, "\x1b");
	usleep(100 * 1000);
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "not saved yet, kept and retried", T));
	assert_true(vt_wait_gone(vt, "as you type", T));
	char *n = note(db, "K3");
	assert_string_equal(n, "");
	free(n);
	unlock(h);
	/* Retried in the background: saved, and the message says so. */
	assert_true(note_becomes(db, "K3", "written during the lock w0 w1 w2\n", 3 * T));
	assert_true(vt_wait_gone(vt, "not saved", T));
	assert_true(vt_wait_text(vt, "saved", T));
	/* A later save in the editor succeeds and clears "not saved". */
	h = lock(db);
	vt_send(vt, "t");
	assert_true(vt_wait_text(vt, "as you type", T));
	vt_send(vt, "!");
	assert_true(vt_wait_text(vt, "not saved yet", 3 * T));
	unlock(h);
	assert_true(vt_wait_gone(vt, "not saved", 3 * T));
	assert_true(note_becomes(db, "K3", "written during the lock w0 w1 w2!\n", T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_gone(vt, "as you type", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

/* The recovery file the process with pid left beside db ("" if none). */
static char *recovery_file(const char *db, pid_t pid)
{
	char dir[512], tail[64];
	snprintf(dir, sizeof dir, "%s", db);
	*strrchr(dir, '/') = '\0';
	snprintf(tail, sizeof tail, "-%ld.txt", (long)pid);
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	char *found = NULL;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), m = strlen(tail);
		if (strncmp(e->d_name, "lanyard-unsaved-", 16) == 0 && n > m && strcmp(e->d_name + n - m, tail) == 0) {
			found = malloc(1024);
			snprintf(found, 1024, "%s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	return found ? found : strdup("");
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = calloc(1, 65536);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* SIGHUP while the lock is held: the process leaves promptly, and what
 * the database would not take is in a private recovery file beside it. */
static void test_sighup_while_locked_writes_recovery(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *vt = start(db, NULL);
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_send(vt, "t");
	assert_true(vt_wait_text(vt, "as you type", T));
	vt_send(vt, "saved before");
	assert_true(note_becomes(db, "K3", "saved before\n", T));
	sqlite3 *h = lock(db);
	vt_send(vt, ", typed while locked");
	assert_true(vt_wait_text(vt, "while locked", T));
	pid_t pid = vt_pid(vt);
	int64_t t0 = now_ms();
	vt_kill(vt, SIGHUP);
	assert_int_equal(vt_wait_exit(vt, 3 * T), 1);
	assert_true(now_ms() - t0 < 4000);
	assert_false(vt_altscreen(vt));
	unlock(h);
	char *rec = recovery_file(db, pid);
	assert_true(*rec);
	struct stat sb;
	assert_int_equal(stat(rec, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	char *text = slurp(rec);
	assert_non_null(strstr(text, "saved before, typed while locked"));
	assert_non_null(strstr(text, "K3"));
	char *n = note(db, "K3");
	assert_string_equal(n, "saved before\n");
	free(n);
	free(text);
	free(rec);
	vt_free(vt);
	free(db);
}

/* Two browsers type into one talk: neither text replaces the other; the
 * second writer's screen shows both, the other's after the mark. Marks
 * made in one are seen by the other when its views open. */
static void test_two_browsers_one_talk(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	struct vt *a = start(db, NULL), *b = start(db, NULL);
	vt_send(a, "jj");
	vt_send(b, "jj");
	assert_true(vt_wait_text(a, "Lars Ørsted", T));
	assert_true(vt_wait_text(b, "Lars Ørsted", T));
	vt_send(a, "t");
	vt_send(b, "t");
	assert_true(vt_wait_text(a, "as you type", T));
	assert_true(vt_wait_text(b, "as you type", T));
	vt_send(a, "alpha from A");
	assert_true(note_becomes(db, "K3", "alpha from A\n", T));
	vt_send(b, "beta from B");
	assert_true(vt_wait_text(b, "both versions kept", 3 * T));
	assert_true(vt_wait_text(b, "alpha from A", T));
	/* A types on; its next save merges too: B's text survives. */
	vt_send(a, " and more");
	assert_true(vt_wait_text(a, "both versions kept", 3 * T));
	assert_true(vt_wait_text(a, "beta from B", T));
	vt_send(a, "\x1b");
	vt_send(b, "\x1b");
	assert_true(vt_wait_gone(a, "as you type", T));
	assert_true(vt_wait_gone(b, "as you type", T));
	/* A plans a talk; B sees it in its agenda. */
	vt_send(a, "p");
	assert_true(vt_wait_text(a, "planned:", T));
	vt_send(b, "A");
	assert_true(vt_wait_text(b, "1 planned", T));
	assert_true(vt_wait_text(b, "Effective Disaster", T));
	vt_send(b, "A");
	assert_true(su_quit(a));
	assert_true(su_quit(b));
	char *n = note(db, "K3");
	assert_non_null(strstr(n, "alpha from A and more"));
	assert_non_null(strstr(n, "beta from B"));
	assert_non_null(strstr(n, PENDING_MARK));
	free(n);
	char *k3 = su_list_line(db, "K3");
	assert_non_null(strstr(k3, "\tplanned\t"));
	free(k3);
	vt_free(a);
	vt_free(b);
	free(db);
}

static int count_editor_files(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strncmp(e->d_name, "lanyard-", 8) == 0 && strstr(e->d_name, ".md") != NULL;
	closedir(d);
	return n;
}

/* $EDITOR's text while the lock is held: its file stays until the text is
 * saved, then goes. */
static void test_external_editor_file_kept_until_saved(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	char tmp[] = "/tmp/lanyard-editor-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	char script[128], visual[160], tmpdir[160];
	snprintf(script, sizeof script, "%s/ed.sh", tmp);
	FILE *f = fopen(script, "w");
	fputs("#!/bin/sh\nprintf 'from the editor' >\"$1\"\n", f);
	fclose(f);
	chmod(script, 0755);
	char files[100];
	snprintf(files, sizeof files, "%s/files", tmp);
	mkdir(files, 0700);
	snprintf(visual, sizeof visual, "VISUAL=%s", script);
	snprintf(tmpdir, sizeof tmpdir, "TMPDIR=%s", files);
	const char *env[] = { visual, tmpdir, NULL };
	struct vt *vt = start(db, env);
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	sqlite3 *h = lock(db);
	vt_send(vt, "E");
	assert_true(vt_wait_text(vt, "not saved yet", 3 * T));
	assert_true(vt_wait_text(vt, "kept in", T));
	assert_int_equal(count_editor_files(files), 1);
	unlock(h);
	assert_true(note_becomes(db, "K3", "from the editor\n", 3 * T));
	assert_true(vt_wait_text(vt, "saved", T));
	assert_int_equal(count_editor_files(files), 0);
	assert_true(su_quit(vt));
	vt_free(vt);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	free(db);
}

/* A file size limit (ulimit -f) hit while saving a long text (written in
 * $EDITOR: typing it would take long under the sanitizers): no SIGXFSZ
 * death, the text is kept, the terminal restored at the end, and the text
 * is in the recovery file. */
static void test_file_size_limit_while_saving(void **state)
{
	(void)state;
	char *db = su_db(BASIC);
	char tmp[] = "/tmp/lanyard-fsize-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	/* 24 KB of distinct words: with its search index the save needs more
	 * than 34 KB of -wal file; the recovery file does not. */
	char script[128], visual[160];
	snprintf(script, sizeof script, "%s/ed.sh", tmp);
	FILE *f = fopen(script, "w");
	fputs("#!/bin/sh\nawk 'BEGIN { for (i = 0; i < 2400; i++) printf \"word%05d \", i; printf \"END\" }' >\"$1\"\n", f);
	fclose(f);
	chmod(script, 0755);
	snprintf(visual, sizeof visual, "VISUAL=%s", script);
	const char *env[] = { visual, NULL };
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 34 * 1024; /* the -shm file takes 32 KB, the -wal starts empty */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	struct vt *vt = su_start(db, 24, 80, env);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_true(vt_wait_text(vt, "Priya Raman", T));
	vt_send(vt, "jj");
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	vt_send(vt, "E");
	assert_true(vt_wait_text(vt, "not saved yet", 3 * T));
	assert_true(vt_wait_text(vt, "Lars Ørsted", T));
	pid_t pid = vt_pid(vt);
	vt_send(vt, "q");
	assert_int_equal(vt_wait_exit(vt, 3 * T), 1);
	assert_false(vt_altscreen(vt));
	char *rec = recovery_file(db, pid);
	assert_true(*rec);
	char *text = slurp(rec);
	assert_non_null(strstr(text, "word00000 word00001"));
	assert_non_null(strstr(text, "word02399 END"));
	free(text);
	free(rec);
	vt_free(vt);
	/* The database is intact and still opens. */
	char *k3 = su_list_line(db, "K3");
	assert_non_null(strstr(k3, "K3\t"));
	free(k3);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_while_typing),
		cmocka_unit_test(test_sighup_while_locked_writes_recovery),
		cmocka_unit_test(test_two_browsers_one_talk),
		cmocka_unit_test(test_external_editor_file_kept_until_saved),
		cmocka_unit_test(test_file_size_limit_while_saving),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
