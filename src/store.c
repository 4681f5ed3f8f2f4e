#include "lanyard/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define STMT_CACHE 96

struct cached_stmt {
	char *sql;          /* our copy: callers may build SQL text from fragments */
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	char readonly[640];          /* why writes are refused; "" when they are not */
	bool reading;                /* opened for a command that only reads */
	volatile sig_atomic_t *interrupt;
	struct cached_stmt cache[STMT_CACHE];
	int ncache;
	/* store_talk_total's last answer, good while the conference's
	 * import_seq is the same. */
	int64_t total_conf, total_seq;
	int total;
	/* store_open_new: the database is being made at this temporary name
	 * and appears at path only with store_publish; NULL otherwise. While
	 * it lives, unpublished_fd holds an flock on it (not SQLite's fcntl
	 * locks, which come and go with transactions). */
	char *unpublished;
	int unpublished_fd;
};

/* talk's secondary indexes (what the browser's queries need), as migration
 * 1 -> 2 and a new database's schema (fresh_schema) create them; an import
 * into an empty talk table builds them after loading (store_talk_indexes).
 * The longest talk bounds how far back an overlapping talk can start
 * (talk_span). */
#define TALK_INDEX_NAMES "talk_day", "talk_day_track", "talk_start", "talk_span"
#define TALK_INDEXES \
	"CREATE INDEX talk_day ON talk(conf_id, day, start, room, seq, removed);" \
	"CREATE INDEX talk_day_track ON talk(conf_id, day, track, start, room, seq, removed);" \
	"CREATE INDEX talk_start ON talk(conf_id, start, end, removed);" \
	"CREATE INDEX talk_span ON talk(conf_id, (julianday(end) - julianday(start)));"

/* Each entry upgrades the schema from version i to i + 1. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE conference("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  source TEXT NOT NULL DEFAULT '',"
	"  tz TEXT NOT NULL DEFAULT '',"
	"  imported_at TEXT NOT NULL DEFAULT '',"
	"  import_seq INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE talk("
	"  id INTEGER PRIMARY KEY,"
	"  conf_id INTEGER NOT NULL REFERENCES conference(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  start TEXT, end TEXT, day TEXT,"
	"  room TEXT NOT NULL DEFAULT '',"
	"  track TEXT NOT NULL DEFAULT '',"
	"  type TEXT NOT NULL DEFAULT '',"
	"  speakers TEXT NOT NULL DEFAULT '',"
	"  abstract TEXT NOT NULL DEFAULT '',"
	"  url TEXT NOT NULL DEFAULT '',"
	"  removed INTEGER NOT NULL DEFAULT 0,"
	"  change TEXT NOT NULL DEFAULT '',"
	"  prev_start TEXT, prev_room TEXT,"
	"  line INTEGER NOT NULL DEFAULT 0,"
	"  seq INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE(conf_id, key));"
	"CREATE INDEX talk_day ON talk(conf_id, day, start);"
	"CREATE INDEX talk_start ON talk(conf_id, start);"
	"CREATE TABLE mark("
	"  talk_id INTEGER PRIMARY KEY REFERENCES talk(id) ON DELETE CASCADE,"
	"  status TEXT CHECK (status IN ('planned','attended','skipped')),"
	"  rating INTEGER CHECK (rating BETWEEN 1 AND 5),"
	"  takeaways TEXT NOT NULL DEFAULT '',"
	"  updated_at TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX mark_status ON mark(status);"
	"CREATE TABLE note("
	"  conf_id INTEGER NOT NULL REFERENCES conference(id) ON DELETE CASCADE,"
	"  scope TEXT NOT NULL,"
	"  body TEXT NOT NULL DEFAULT '',"
	"  updated_at TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY(conf_id, scope));"
	"CREATE VIRTUAL TABLE talk_fts USING fts5("
	"  title, speakers, abstract, track, room,"
	"  content='talk', content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
	"CREATE VIRTUAL TABLE mine_fts USING fts5(body, tokenize='unicode61 remove_diacritics 2');",
	/* 1 -> 2: search needs only which talks hold the words, so the index
	 * keeps no positions (half the size and build time); day, track, count
	 * and time-range queries are answered from covering indexes. */
	"DROP TABLE talk_fts;"
	"CREATE VIRTUAL TABLE talk_fts USING fts5("
	"  title, speakers, abstract, track, room,"
	"  content='talk', content_rowid='id', tokenize='unicode61 remove_diacritics 2',"
	"  detail=none);"
	"INSERT INTO talk_fts(talk_fts) VALUES('rebuild');"
	"DROP INDEX talk_day;"
	"DROP INDEX talk_start;"
	TALK_INDEXES,
	/* 2 -> 3: a schedule fetched from a URL keeps the server's validators,
	 * so an update asks "changed since?" and an unchanged one is not read. */
	("ALTER TABLE conference ADD COLUMN etag TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE conference ADD COLUMN last_modified TEXT NOT NULL DEFAULT '';"),
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* A new database is created at the latest version in one go: what
 * migrations[] build step by step, without the search index and indexes
 * that a later step drops and makes again (1 ms of a first import's 18 ms
 * of CPU). A change of schema is a new migration and the same change here;
 * test_store's test_fresh_equals_migrated holds the two to the same result. */
static const char fresh_schema[] =
	"CREATE TABLE conference("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  source TEXT NOT NULL DEFAULT '',"
	"  tz TEXT NOT NULL DEFAULT '',"
	"  imported_at TEXT NOT NULL DEFAULT '',"
	"  import_seq INTEGER NOT NULL DEFAULT 0,"
	" etag TEXT NOT NULL DEFAULT '',"
	" last_modified TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE talk("
	"  id INTEGER PRIMARY KEY,"
	"  conf_id INTEGER NOT NULL REFERENCES conference(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  start TEXT, end TEXT, day TEXT,"
	"  room TEXT NOT NULL DEFAULT '',"
	"  track TEXT NOT NULL DEFAULT '',"
	"  type TEXT NOT NULL DEFAULT '',"
	"  speakers TEXT NOT NULL DEFAULT '',"
	"  abstract TEXT NOT NULL DEFAULT '',"
	"  url TEXT NOT NULL DEFAULT '',"
	"  removed INTEGER NOT NULL DEFAULT 0,"
	"  change TEXT NOT NULL DEFAULT '',"
	"  prev_start TEXT, prev_room TEXT,"
	"  line INTEGER NOT NULL DEFAULT 0,"
	"  seq INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE(conf_id, key));"
	TALK_INDEXES
	"CREATE TABLE mark("
	"  talk_id INTEGER PRIMARY KEY REFERENCES talk(id) ON DELETE CASCADE,"
	"  status TEXT CHECK (status IN ('planned','attended','skipped')),"
	"  rating INTEGER CHECK (rating BETWEEN 1 AND 5),"
	"  takeaways TEXT NOT NULL DEFAULT '',"
	"  updated_at TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX mark_status ON mark(status);"
	"CREATE TABLE note("
	"  conf_id INTEGER NOT NULL REFERENCES conference(id) ON DELETE CASCADE,"
	"  scope TEXT NOT NULL,"
	"  body TEXT NOT NULL DEFAULT '',"
	"  updated_at TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY(conf_id, scope));"
	"CREATE VIRTUAL TABLE talk_fts USING fts5("
	"  title, speakers, abstract, track, room,"
	"  content='talk', content_rowid='id', tokenize='unicode61 remove_diacritics 2',"
	"  detail=none);"
	"CREATE VIRTUAL TABLE mine_fts USING fts5(body, tokenize='unicode61 remove_diacritics 2');";

const char *store_migration_sql(int from)
{
	return from >= 0 && from < NMIGRATIONS ? migrations[from] : NULL;
}

/* What SQLite said, and why when it does not say: a write refused by a
 * read-only file or directory, or the system error behind an I/O error
 * (a full disk, a file size limit). */
static void explain(struct store *st, char *out, size_t len)
{
	int code = sqlite3_errcode(st->db) & 0xff;
	int sys = sqlite3_system_errno(st->db);
	if (code == SQLITE_READONLY && st->readonly[0])
		snprintf(out, len, "; writes are refused: %s", st->readonly);
	else if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
		snprintf(out, len, "; lanyard leaves it as it is: move it aside (or pass --db another file) "
		         "and import the schedule again");
	else if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) && sys)
		snprintf(out, len, " (%s)", strerror(sys));
	else if (code == SQLITE_IOERR || code == SQLITE_FULL)
		snprintf(out, len, " (a write failed: the disk may be full, or a file size limit reached)");
	else
		out[0] = '\0';
}

static int db_fail(struct store *st, struct ly_error *err, const char *what)
{
	char why[700];
	explain(st, why, sizeof why);
	return ly_fail(err, "%s: %s: %s%s", st->path, what, sqlite3_errmsg(st->db), why);
}

int store_exec(struct store *st, const char *sql, struct ly_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char why[700];
		explain(st, why, sizeof why);
		ly_fail(err, "%s: %s%s", st->path, msg ? msg : sqlite3_errmsg(st->db), why);
		sqlite3_free(msg);
		return LY_ERR;
	}
	return LY_OK;
}

static int migrate(struct store *st, struct ly_error *err)
{
	sqlite3_stmt *s;
	int version = 0;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot read schema version");
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > NMIGRATIONS)
		return ly_fail(err, "%s: database schema version %d is newer than this lanyard "
		               "understands (%d); upgrade lanyard", st->path, version, NMIGRATIONS);
	if (version < 0)
		return ly_fail(err, "%s: database schema version %d is not one lanyard writes "
		               "(this lanyard's is %d); the file was left untouched", st->path, version, NMIGRATIONS);
	if (version == NMIGRATIONS)
		return LY_OK;
	if (st->readonly[0] && version == 0 && st->reading)
		return ly_fail(err, "%s: no schedule imported yet; run: lanyard import SCHEDULE.csv", st->path);
	if (st->readonly[0] && st->reading)
		return ly_fail(err, "%s: database schema version %d needs upgrading to %d; run a command "
		               "that writes (such as lanyard import) first", st->path, version, NMIGRATIONS);
	if (st->readonly[0]) {
		if (version == 0)
			return ly_fail(err, "%s: no schedule imported yet, and writes are refused: %s",
			               st->path, st->readonly);
		return ly_fail(err, "%s: database schema version %d needs upgrading to %d, and writes "
		               "are refused: %s", st->path, version, NMIGRATIONS, st->readonly);
	}
	if (store_exec(st, "BEGIN IMMEDIATE", err))
		return LY_ERR;
	/* A new database: the latest schema at once; an older one: each step. */
	if (version == 0 && store_exec(st, fresh_schema, err)) {
		store_rollback(st);
		return LY_ERR;
	}
	for (int v = version; v > 0 && v < NMIGRATIONS; v++) {
		if (store_exec(st, migrations[v], err)) {
			store_rollback(st);
			return LY_ERR;
		}
	}
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", NMIGRATIONS);
	if (store_exec(st, sql, err) || store_exec(st, "COMMIT", err)) {
		store_rollback(st);
		return LY_ERR;
	}
	return LY_OK;
}

/* The directory part of path ("." for a bare name). */
static void dir_of(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, len, ".");
	else if (slash == path)
		snprintf(out, len, "/");
	else
		snprintf(out, len, "%.*s", (int)(slash - path), path);
}

/* "file:PATH?immutable=1" with PATH percent-encoded where a URI needs it. */
static char *immutable_uri(const char *path)
{
	size_t n = strlen(path);
	char *uri = malloc(n * 3 + 32), *o = uri;
	if (!uri)
		return NULL;
	o += sprintf(o, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20 || *p >= 0x7f)
			o += sprintf(o, "%%%02X", *p);
		else
			*o++ = (char)*p;
	}
	strcpy(o, "?immutable=1");
	return uri;
}

/* ---- a new database, made whole before it appears ------------------------ */

/* A new database is made under a temporary name beside path
 * (".NAME.XXXXXX"), with no journal and no syncs: nobody else can have it
 * open, and a failure throws the file away, so a crash leaves a stray
 * temporary file, never a half-made database under the real name. It is
 * then synced once and linked into place; link never replaces a database
 * another lanyard made meanwhile.
 *
 * Made in place, a new database costs 6 syncs before an import writes
 * anything: switching the file to WAL is a rollback-journalled write of its
 * header (the journal, its directory, the journal again, the file), then
 * committing the schema to the new WAL syncs the WAL and its directory.
 * Two uses:
 *   - an empty database for any command (open_how): published at once, the
 *     link with no directory sync of its own, as nothing is committed to
 *     it before its WAL is, and SQLite syncs the directory when it first
 *     syncs a new WAL, before that commit returns;
 *   - a first import (store_open_new): the import writes the temporary
 *     file, and store_publish puts it in place, whole, syncing the file and
 *     its directory: 2 syncs where made in place it would write every page
 *     to the WAL and again to the file, syncing five times. */

static int progress(void *ctx);
static void close_db(struct store *st);

/* Remove what a lanyard killed outright left behind: ".NAME.XXXXXX" files
 * beside path that no live lanyard holds (its flock). */
static void remove_stale(const char *path)
{
	char dir[4096];
	dir_of(path, dir, sizeof dir);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t blen = strlen(base);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (n[0] != '.' || strncmp(n + 1, base, blen) != 0 || n[1 + blen] != '.' || strlen(n + 2 + blen) != 6)
			continue;
		char full[4400];
		snprintf(full, sizeof full, "%s/%s", dir, n);
		int fd = open(full, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlink(full);
		close(fd);
	}
	closedir(d);
}

/* Make st's database (st->path) under a temporary name, flocked, with the
 * latest schema, open on st->db with no journal. LY_NOTFOUND when no
 * temporary file can be made there (nothing left behind); on LY_ERR
 * store_close removes what was made. */
static int make_unpublished(struct store *st, struct ly_error *err)
{
	const char *path = st->path, *slash = strrchr(path, '/');
	char *tmp = malloc(strlen(path) + 16);
	if (!tmp)
		return ly_fail(err, "out of memory");
	if (slash)
		sprintf(tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		sprintf(tmp, ".%s.XXXXXX", path);
	int fd = mkstemp(tmp); /* mode 0600 */
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (fd >= 0) {
			unlink(tmp);
			close(fd);
		}
		free(tmp);
		return LY_NOTFOUND;
	}
	st->unpublished = tmp;
	st->unpublished_fd = fd;
	if (sqlite3_open_v2(tmp, &st->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return ly_fail(err, "%s: cannot create database: %s", path,
		               st->db ? sqlite3_errmsg(st->db) : "out of memory");
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_progress_handler(st->db, 1000, progress, st);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d; COMMIT", NMIGRATIONS);
	if (store_exec(st, "PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
	                   " PRAGMA foreign_keys = ON; BEGIN", err) ||
	    store_exec(st, fresh_schema, err) || store_exec(st, sql, err))
		return LY_ERR;
	return LY_OK;
}

/* Close st's connection, mark the file WAL, sync it and link it in at
 * st->path (then sync the directory if asked). */
static int publish(struct store *st, bool sync_dir, struct ly_error *err)
{
	close_db(st);
	int fd = st->unpublished_fd;
	/* Header bytes 18 and 19, the file format's write and read versions:
	 * 2 is WAL, the mode every later opening uses; SQLite's own switch
	 * writes just these two bytes. */
	static const unsigned char wal[2] = { 2, 2 };
	bool ok = pwrite(fd, wal, 2, 18) == 2 && fsync(fd) == 0;
	int e = errno;
	if (!ok)
		return ly_fail(err, "%s: cannot create database: %s", st->path, strerror(e));
	if (link(st->unpublished, st->path) != 0) {
		e = errno;
		if (e == EEXIST)
			return ly_fail(err, "%s: another lanyard made this database while the import ran; nothing "
			               "was imported: run the import again", st->path);
		return ly_fail(err, "%s: cannot create database: %s", st->path, strerror(e));
	}
	unlink(st->unpublished);
	close(fd);
	free(st->unpublished);
	st->unpublished = NULL;
	if (sync_dir) {
		char dir[4096];
		dir_of(st->path, dir, sizeof dir);
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	return LY_OK;
}

/* An empty database at path, made whole; false leaves nothing behind (the
 * caller then makes it in place, and says what is wrong). */
static bool create_linked(const char *path)
{
	struct ly_error scratch;
	struct store *st = calloc(1, sizeof *st);
	if (!st || !(st->path = strdup(path))) {
		free(st);
		return false;
	}
	bool ok = make_unpublished(st, &scratch) == LY_OK && publish(st, false, &scratch) == LY_OK;
	store_close(st);
	return ok;
}

static int progress(void *ctx)
{
	struct store *st = ctx;
	return st->interrupt && *st->interrupt;
}

enum open_how { OPEN_CREATE, OPEN_READ };

static int open_how(struct store **out, const char *path, enum open_how how, struct ly_error *err)
{
	*out = NULL;
	struct store *st = calloc(1, sizeof *st);
	if (!st || !(st->path = strdup(path))) {
		free(st);
		return ly_fail(err, "out of memory");
	}
	bool memory = strcmp(path, ":memory:") == 0 || !*path;
	bool immutable = false;
	if (!memory) {
		char dir[4096];
		struct stat sb;
		dir_of(path, dir, sizeof dir);
		bool exists = stat(path, &sb) == 0;
		int stat_errno = errno;
		bool dir_ok = access(dir, W_OK) == 0;
		int dir_errno = errno;
		if (!exists && stat_errno != ENOENT) {
			ly_fail(err, "%s: cannot open database: %s", path, strerror(stat_errno));
			goto fail;
		}
		if (exists && S_ISDIR(sb.st_mode)) {
			ly_fail(err, "%s: cannot open database: it is a directory", path);
			goto fail;
		}
		if (!exists && how == OPEN_READ) {
			store_close(st);
			ly_fail(err, "%s: no database there (nothing imported yet); run: lanyard import "
			        "[--db FILE] SCHEDULE.csv", path);
			return LY_NOTFOUND;
		}
		if (!exists && !create_linked(path)) {
			/* Created here, private: SQLite's -wal and -shm copy this mode. */
			int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			if (fd < 0 && errno != EEXIST) {
				ly_fail(err, "%s: cannot create database: %s", path, strerror(errno));
				goto fail;
			}
			if (fd >= 0)
				close(fd);
		} else if (access(path, W_OK) != 0) {
			snprintf(st->readonly, sizeof st->readonly, "%s",
			         errno == EPERM ? "the file is immutable" : "the file is read-only");
			/* Without a usable -shm, WAL reading needs the file as it is. */
			char shm[4200];
			snprintf(shm, sizeof shm, "%s-shm", path);
			immutable = !dir_ok || (access(shm, F_OK) == 0 && access(shm, R_OK | W_OK) != 0);
		} else if (!dir_ok) {
			snprintf(st->readonly, sizeof st->readonly, "directory %.400s is not writable (%s), and "
			         "SQLite must create the database's -wal and -shm files there", dir,
			         strerror(dir_errno));
			immutable = true;
		}
		/* A command that only reads still brings an older schema up to
		 * date when it can write: it must be able to read it. */
		st->reading = how == OPEN_READ;
	}
	int rc;
	if (st->readonly[0] && immutable) {
		/* No -shm can be made: read the file as it is, with no locking. */
		char *uri = immutable_uri(path);
		if (!uri) {
			ly_fail(err, "out of memory");
			goto fail;
		}
		rc = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
		free(uri);
	} else {
		rc = sqlite3_open_v2(path, &st->db, st->readonly[0] ? SQLITE_OPEN_READONLY
		                     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	}
	if (rc != SQLITE_OK) {
		ly_fail(err, "%s: cannot open database: %s", path,
		        st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_progress_handler(st->db, 1000, progress, st);
	/* A file that is not a database fails here, before anything is written.
	 * A new database gets 16 KiB pages (an existing one keeps its own):
	 * a quarter of the reads and writes of 4 KiB ones when an import writes
	 * or scans 100,000 talks, each a system call. */
	if (store_exec(st, "PRAGMA foreign_keys = ON", err))
		goto fail;
	if (st->readonly[0]) {
		if (store_exec(st, "PRAGMA schema_version", err))
			goto fail;
	} else if (store_exec(st, "PRAGMA page_size = 16384", err) ||
	           store_exec(st, "PRAGMA journal_mode = WAL", err) ||
	           store_exec(st, "PRAGMA synchronous = NORMAL", err)) {
		goto fail;
	}
	if (migrate(st, err))
		goto fail;
	*out = st;
	return LY_OK;
fail:
	store_close(st);
	return LY_ERR;
}

int store_open(struct store **out, const char *path, struct ly_error *err)
{
	return open_how(out, path, OPEN_CREATE, err);
}

int store_open_read(struct store **out, const char *path, struct ly_error *err)
{
	return open_how(out, path, OPEN_READ, err);
}

const char *store_readonly(const struct store *st)
{
	return st->readonly[0] ? st->readonly : NULL;
}

void store_set_busy_timeout(struct store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms);
}

void store_set_interrupt(struct store *st, volatile sig_atomic_t *flag)
{
	st->interrupt = flag;
}

static void close_db(struct store *st)
{
	for (int i = 0; i < st->ncache; i++) {
		sqlite3_finalize(st->cache[i].stmt);
		free(st->cache[i].sql);
	}
	st->ncache = 0;
	if (st->db)
		sqlite3_close(st->db);
	st->db = NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	close_db(st);
	if (st->unpublished) { /* never published: nothing was made */
		unlink(st->unpublished);
		close(st->unpublished_fd);
	}
	free(st->unpublished);
	free(st->path);
	free(st);
}

int store_open_new(struct store **out, const char *path, struct ly_error *err)
{
	*out = NULL;
	struct stat sb;
	if (stat(path, &sb) == 0 || errno != ENOENT)
		return store_open(out, path, err);
	remove_stale(path);
	struct store *st = calloc(1, sizeof *st);
	if (!st || !(st->path = strdup(path))) {
		free(st);
		return ly_fail(err, "out of memory");
	}
	int rc = make_unpublished(st, err);
	if (rc == LY_NOTFOUND) {
		/* A directory that takes no new file: the usual way says why. */
		store_close(st);
		return store_open(out, path, err);
	}
	if (rc != LY_OK) {
		store_close(st);
		return LY_ERR;
	}
	*out = st;
	return LY_OK;
}

bool store_is_unpublished(const struct store *st)
{
	return st->unpublished != NULL;
}

int store_publish(struct store *st, struct ly_error *err)
{
	return st->unpublished ? publish(st, true, err) : LY_OK;
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

const char *store_path(const struct store *st)
{
	return st->path;
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql, struct ly_error *err)
{
	for (int i = 0; i < st->ncache; i++) {
		if (strcmp(st->cache[i].sql, sql) == 0) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	}
	sqlite3_stmt *s = NULL;
	unsigned flags = st->ncache < STMT_CACHE ? SQLITE_PREPARE_PERSISTENT : 0;
	if (sqlite3_prepare_v3(st->db, sql, -1, flags, &s, NULL) != SQLITE_OK) {
		db_fail(st, err, "query failed");
		return NULL;
	}
	char *copy = strdup(sql);
	if (!copy) {
		sqlite3_finalize(s);
		ly_fail(err, "out of memory");
		return NULL;
	}
	if (st->ncache == STMT_CACHE) {
		/* Full: evict the oldest. Callers never hold two uses of a statement. */
		sqlite3_finalize(st->cache[0].stmt);
		free(st->cache[0].sql);
		memmove(st->cache, st->cache + 1, sizeof st->cache[0] * (STMT_CACHE - 1));
		st->ncache--;
	}
	st->cache[st->ncache].sql = copy;
	st->cache[st->ncache].stmt = s;
	st->ncache++;
	return s;
}

int store_talk_indexes(struct store *st, bool on, struct ly_error *err)
{
	if (on)
		return store_exec(st, TALK_INDEXES, err);
	static const char *const names[] = { TALK_INDEX_NAMES };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "DROP INDEX %s", names[i]);
		if (store_exec(st, sql, err))
			return LY_ERR;
	}
	return LY_OK;
}

int store_begin(struct store *st, struct ly_error *err)
{
	return store_exec(st, "BEGIN IMMEDIATE", err);
}

int store_commit(struct store *st, struct ly_error *err)
{
	return store_exec(st, "COMMIT", err);
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc != 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

static int resolve(const char *flag, char *out, size_t outlen, bool create, struct ly_error *err)
{
	const char *env = getenv("LANYARD_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;
	if (flag && *flag)
		n = snprintf(out, outlen, "%s", flag);
	else if (env && *env)
		n = snprintf(out, outlen, "%s", env);
	else if (xdg && *xdg == '/')
		n = snprintf(out, outlen, "%s/lanyard/lanyard.db", xdg);
	else if (home && *home)
		n = snprintf(out, outlen, "%s/.local/share/lanyard/lanyard.db", home);
	else
		return ly_fail(err, "cannot find a place for the database: set HOME, "
		               "XDG_DATA_HOME or LANYARD_DB, or pass --db FILE");
	if (n < 0 || (size_t)n >= outlen)
		return ly_fail(err, "database path too long");
	if (create && strchr(out, '/') && mkdirs(out) != 0)
		return ly_fail(err, "%s: cannot create directory: %s", out, strerror(errno));
	return LY_OK;
}

int store_default_path(const char *flag, char *out, size_t outlen, struct ly_error *err)
{
	return resolve(flag, out, outlen, true, err);
}

int store_locate(const char *flag, char *out, size_t outlen, struct ly_error *err)
{
	return resolve(flag, out, outlen, false, err);
}

static void copy_col(char *dst, size_t len, sqlite3_stmt *s, int col)
{
	const unsigned char *v = sqlite3_column_text(s, col);
	snprintf(dst, len, "%s", v ? (const char *)v : "");
}

int store_conf_find(struct store *st, const char *name, struct conf *out, struct ly_error *err)
{
	static const char by_name[] =
		"SELECT id, name, source, imported_at FROM conference WHERE name = ?1";
	static const char latest[] =
		"SELECT id, name, source, imported_at FROM conference ORDER BY import_seq DESC, id DESC LIMIT 1";
	bool named = name && *name;
	sqlite3_stmt *s = store_stmt(st, named ? by_name : latest, err);
	if (!s)
		return LY_ERR;
	if (named)
		sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		copy_col(out->name, sizeof out->name, s, 1);
		copy_col(out->source, sizeof out->source, s, 2);
		copy_col(out->imported_at, sizeof out->imported_at, s, 3);
		sqlite3_reset(s);
		return LY_OK;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "cannot read conferences");
	if (named)
		ly_fail(err, "%s: no conference named '%s'", st->path, name);
	else
		ly_fail(err, "%s: no schedule imported yet; run: lanyard import SCHEDULE.csv", st->path);
	return LY_NOTFOUND;
}

int store_talk_id(struct store *st, int64_t conf_id, const char *key, int64_t *id, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id FROM talk WHERE conf_id = ?1 AND key = ?2", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf_id);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return LY_OK;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "cannot look up talk");
	ly_fail(err, "%s: no talk with key '%s' (see: lanyard list)", st->path, key);
	return LY_NOTFOUND;
}

void store_talk_label(struct store *st, int64_t talk_id, char *out, size_t len)
{
	snprintf(out, len, "talk %lld", (long long)talk_id);
	sqlite3_stmt *s = store_stmt(st, "SELECT key, title FROM talk WHERE id = ?1", NULL);
	if (!s)
		return;
	sqlite3_bind_int64(s, 1, talk_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, len, "%s (%s)", (const char *)sqlite3_column_text(s, 0),
		         (const char *)sqlite3_column_text(s, 1));
	sqlite3_reset(s);
}

static const char *const status_names[] = { "", "planned", "attended", "skipped" };

const char *store_status_name(enum talk_status s)
{
	return (unsigned)s < 4 ? status_names[s] : "";
}

int store_status_parse(const char *s, enum talk_status *out)
{
	if (!s)
		return LY_ERR;
	if (strcmp(s, "none") == 0 || *s == '\0') {
		*out = STATUS_NONE;
		return LY_OK;
	}
	for (int i = 1; i < 4; i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum talk_status)i;
			return LY_OK;
		}
	}
	return LY_ERR;
}

static int step_done(struct store *st, sqlite3_stmt *s, struct ly_error *err, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, what);
	return LY_OK;
}

/* The user's data is one row per talk; each setter touches one column. */
int store_set_status(struct store *st, int64_t talk_id, enum talk_status status, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO mark(talk_id, status, updated_at) VALUES(?1, ?2, datetime('now'))"
		" ON CONFLICT(talk_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
		err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, talk_id);
	if (status == STATUS_NONE)
		sqlite3_bind_null(s, 2);
	else
		sqlite3_bind_text(s, 2, store_status_name(status), -1, SQLITE_STATIC);
	return step_done(st, s, err, "cannot save status");
}

int store_get_status(struct store *st, int64_t talk_id, enum talk_status *status, int *rating, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT status, rating FROM mark WHERE talk_id = ?1", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, talk_id);
	*status = STATUS_NONE;
	if (rating)
		*rating = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_status_parse((const char *)sqlite3_column_text(s, 0), status);
		if (rating)
			*rating = sqlite3_column_int(s, 1);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : db_fail(st, err, "cannot read status");
}

int store_set_rating(struct store *st, int64_t talk_id, int rating, struct ly_error *err)
{
	if (rating < 0 || rating > 5)
		return ly_fail(err, "rating must be 0 to 5 (0 clears), not %d", rating);
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO mark(talk_id, rating, updated_at) VALUES(?1, ?2, datetime('now'))"
		" ON CONFLICT(talk_id) DO UPDATE SET rating = excluded.rating, updated_at = excluded.updated_at",
		err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, talk_id);
	if (rating == 0)
		sqlite3_bind_null(s, 2);
	else
		sqlite3_bind_int(s, 2, rating);
	return step_done(st, s, err, "cannot save rating");
}

int store_set_takeaways(struct store *st, int64_t talk_id, const char *text, struct ly_error *err)
{
	bool own_tx = sqlite3_get_autocommit(st->db);
	if (own_tx && store_begin(st, err))
		return LY_ERR;
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO mark(talk_id, takeaways, updated_at) VALUES(?1, ?2, datetime('now'))"
		" ON CONFLICT(talk_id) DO UPDATE SET takeaways = excluded.takeaways, updated_at = excluded.updated_at",
		err);
	if (!s)
		goto fail;
	sqlite3_bind_int64(s, 1, talk_id);
	sqlite3_bind_text(s, 2, text ? text : "", -1, SQLITE_TRANSIENT);
	if (step_done(st, s, err, "cannot save takeaways"))
		goto fail;
	if (!(s = store_stmt(st, "DELETE FROM mine_fts WHERE rowid = ?1", err)))
		goto fail;
	sqlite3_bind_int64(s, 1, talk_id);
	if (step_done(st, s, err, "cannot index takeaways"))
		goto fail;
	if (text && *text) {
		if (!(s = store_stmt(st, "INSERT INTO mine_fts(rowid, body) VALUES(?1, ?2)", err)))
			goto fail;
		sqlite3_bind_int64(s, 1, talk_id);
		sqlite3_bind_text(s, 2, text, -1, SQLITE_TRANSIENT);
		if (step_done(st, s, err, "cannot index takeaways"))
			goto fail;
	}
	if (own_tx && store_commit(st, err))
		goto fail;
	return LY_OK;
fail:
	if (own_tx)
		store_rollback(st);
	return LY_ERR;
}

static int get_text(struct store *st, sqlite3_stmt *s, char **out, struct ly_error *err);

/* Inside the caller's transaction: LY_OK when the stored text (read by
 * select, bound) is expected or already text; LY_CONFLICT with *stored
 * filled otherwise. equal is set when nothing needs writing. */
static int compare(struct store *st, sqlite3_stmt *select, const char *expected, const char *text,
                   char **stored, bool *equal, struct ly_error *err)
{
	char *now = NULL;
	if (get_text(st, select, &now, err))
		return LY_ERR;
	*equal = strcmp(now, text ? text : "") == 0;
	if (*equal || !expected || strcmp(now, expected) == 0) {
		free(now);
		return LY_OK;
	}
	if (stored)
		*stored = now;
	else
		free(now);
	return LY_CONFLICT;
}

/* Where a compare-before-write goes, and how it is written. */
struct text_target {
	int64_t id;           /* the talk, or the conference of a note */
	const char *scope;    /* a note's scope; NULL: the talk's takeaways */
};

static int write_text(struct store *st, const struct text_target *t, const char *text, struct ly_error *err)
{
	return t->scope ? store_set_note(st, t->id, t->scope, text, err)
	                : store_set_takeaways(st, t->id, text, err);
}

/* Compare the stored text (read by select, bound) with expected and write
 * text in one IMMEDIATE transaction: no other writer comes between the
 * comparison and the write. */
static int write_if(struct store *st, sqlite3_stmt *select, const struct text_target *t, const char *expected,
                    const char *text, char **stored, struct ly_error *err)
{
	if (stored)
		*stored = NULL;
	if (!select)
		return LY_ERR;
	bool own_tx = sqlite3_get_autocommit(st->db);
	if (own_tx && store_begin(st, err))
		return LY_ERR;
	bool equal = false;
	int rc = compare(st, select, expected, text, stored, &equal, err);
	if (rc == LY_OK && !equal)
		rc = write_text(st, t, text, err);
	if (own_tx) {
		if (rc == LY_OK && store_commit(st, err))
			rc = LY_ERR;
		if (rc != LY_OK)
			store_rollback(st);
	}
	if (rc == LY_ERR && stored) {
		free(*stored);
		*stored = NULL;
	}
	return rc;
}

int store_set_takeaways_if(struct store *st, int64_t talk_id, const char *expected, const char *text,
                           char **stored, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT takeaways FROM mark WHERE talk_id = ?1", err);
	if (s)
		sqlite3_bind_int64(s, 1, talk_id);
	return write_if(st, s, &(struct text_target){ talk_id, NULL }, expected, text, stored, err);
}

int store_set_note_if(struct store *st, int64_t conf_id, const char *scope, const char *expected,
                      const char *text, char **stored, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT body FROM note WHERE conf_id = ?1 AND scope = ?2", err);
	if (s) {
		sqlite3_bind_int64(s, 1, conf_id);
		sqlite3_bind_text(s, 2, scope, -1, SQLITE_TRANSIENT);
	}
	return write_if(st, s, &(struct text_target){ conf_id, scope }, expected, text, stored, err);
}

static int get_text(struct store *st, sqlite3_stmt *s, char **out, struct ly_error *err)
{
	int rc = sqlite3_step(s);
	const unsigned char *v = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
	*out = strdup(v ? (const char *)v : "");
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return db_fail(st, err, "cannot read notes");
	}
	return *out ? LY_OK : ly_fail(err, "out of memory");
}

int store_get_takeaways(struct store *st, int64_t talk_id, char **out, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT takeaways FROM mark WHERE talk_id = ?1", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, talk_id);
	return get_text(st, s, out, err);
}

int store_set_note(struct store *st, int64_t conf_id, const char *scope, const char *text, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st,
		"INSERT INTO note(conf_id, scope, body, updated_at) VALUES(?1, ?2, ?3, datetime('now'))"
		" ON CONFLICT(conf_id, scope) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
		err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf_id);
	sqlite3_bind_text(s, 2, scope, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, text ? text : "", -1, SQLITE_TRANSIENT);
	return step_done(st, s, err, "cannot save note");
}

int store_get_note(struct store *st, int64_t conf_id, const char *scope, char **out, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT body FROM note WHERE conf_id = ?1 AND scope = ?2", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf_id);
	sqlite3_bind_text(s, 2, scope, -1, SQLITE_TRANSIENT);
	return get_text(st, s, out, err);
}

int store_conf_validators(struct store *st, const char *name, const char *source, char *etag, size_t etaglen,
                          char *lastmod, size_t lastmodlen, struct ly_error *err)
{
	etag[0] = lastmod[0] = '\0';
	sqlite3_stmt *s = store_stmt(st, "SELECT etag, last_modified FROM conference WHERE name = ?1 AND source = ?2", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, source, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(etag, etaglen, "%s", (const char *)sqlite3_column_text(s, 0));
		snprintf(lastmod, lastmodlen, "%s", (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "reading the conference");
	return LY_OK;
}

int store_conf_set_validators(struct store *st, const char *name, const char *etag, const char *lastmod,
                              struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE conference SET etag = ?2, last_modified = ?3 WHERE name = ?1", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, etag ? etag : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, lastmod ? lastmod : "", -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? LY_OK : db_fail(st, err, "saving the source's validators");
}

int store_talk_total(struct store *st, int64_t conf, int *n, struct ly_error *err)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT import_seq FROM conference WHERE id = ?1", err);
	if (!s)
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	int rc = sqlite3_step(s);
	int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "cannot count talks");
	if (st->total_conf == conf && st->total_seq == seq && seq > 0) {
		*n = st->total;
		return LY_OK;
	}
	if (!(s = store_stmt(st, "SELECT count(*) FROM talk WHERE conf_id = ?1 AND removed = 0", err)))
		return LY_ERR;
	sqlite3_bind_int64(s, 1, conf);
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, err, "cannot count talks");
	st->total_conf = conf;
	st->total_seq = seq;
	st->total = *n;
	return LY_OK;
}

int store_open_empty(struct store **out, const char *path, struct ly_error *err)
{
	if (store_open(out, ":memory:", err))
		return LY_ERR;
	char *p = strdup(path);
	if (!p) {
		store_close(*out);
		*out = NULL;
		return ly_fail(err, "out of memory");
	}
	free((*out)->path);
	(*out)->path = p;
	return LY_OK;
}

int store_open_copy(struct store *src, struct store **out, struct ly_error *err)
{
	*out = NULL;
	sqlite3_int64 size = 0;
	unsigned char *image = sqlite3_serialize(src->db, "main", &size, 0);
	if (!image)
		return db_fail(src, err, "cannot read the database");
	/* A copy in memory keeps no write-ahead log: mark the image as using
	 * a rollback journal, or SQLite will not open it. */
	if (size > 19)
		image[18] = image[19] = 1;
	struct store *st;
	if (store_open_empty(&st, src->path, err)) {
		sqlite3_free(image);
		return LY_ERR;
	}
	if (sqlite3_deserialize(st->db, "main", image, size, size,
	                        SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK) {
		db_fail(st, err, "cannot copy the database");
		store_close(st);
		return LY_ERR;
	}
	*out = st;
	return LY_OK;
}
