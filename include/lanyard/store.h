/* The store owns the SQLite schema and every write of the user's data.
 *
 * Schema (PRAGMA user_version = STORE_SCHEMA_VERSION; a new database is
 * created at it, an older one migrated; both in store.c):
 *
 *   conference(id, name UNIQUE, source, tz, imported_at, import_seq, etag, last_modified)
 *       source is the path or URL imported from; tz the zone times are on
 *       ('+02:00' or a zone name, '' = unknown); etag/last_modified the
 *       validators of the last fetch of a URL source ('' = none).
 *   talk(id, conf_id -> conference, key, title, start, end, day, room, track,
 *        type, speakers, abstract, url, removed, change, prev_start, prev_room,
 *        line, seq; UNIQUE(conf_id, key))
 *       start/end are local wall-clock 'YYYY-MM-DD HH:MM' (NULL = unscheduled);
 *       day is the conference day 'YYYY-MM-DD' (04:00 to 04:00) or NULL;
 *       removed = 1 when the last import no longer had the talk;
 *       change is '', 'added', 'updated' or 'moved' (set by the last import);
 *       prev_start/prev_room hold where a moved talk used to be.
 *       Talk rows are never deleted, so the user's data always has a home.
 *   mark(talk_id PRIMARY KEY -> talk, status, rating, takeaways, updated_at)
 *       The user's data, apart from schedule rows: an import never writes it.
 *       status is 'planned' | 'attended' | 'skipped' | NULL; rating 1-5 | NULL.
 *   note(conf_id -> conference, scope, body, updated_at; PRIMARY KEY(conf_id, scope))
 *       scope is a day 'YYYY-MM-DD', or 'overall' / 'booths' for the conference.
 *   talk_fts   FTS5 over talk(title, speakers, abstract, track, room), detail=none
 *              (which talks hold a word, no positions: prefix terms, no phrases),
 *              external content, rowid = talk.id; rebuilt by the importer.
 *   mine_fts   FTS5 (body), rowid = talk.id: the takeaways, kept in step by
 *              store_set_takeaways().
 *
 * Ownership: struct store is created by store_open and freed by store_close.
 * Statements returned by store_stmt belong to the store (cached); callers
 * bind, step and leave them; the next store_stmt of the same SQL resets them.
 */
#ifndef LANYARD_STORE_H
#define LANYARD_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <sqlite3.h>

#include "lanyard/error.h"

#define STORE_SCHEMA_VERSION 3

enum talk_status {
	STATUS_NONE = 0,
	STATUS_PLANNED,
	STATUS_ATTENDED,
	STATUS_SKIPPED
};

struct store;

struct conf {
	int64_t id;
	char name[256];
	char source[512];
	char imported_at[20];
};

/* Open (creating if needed) the database at path; the parent directory must
 * exist (see store_default_path). A new file is created 0600 (its -wal and
 * -shm files take that mode): takeaways are private notes. A file or
 * directory that refuses writes is opened read-only (immutable when the
 * directory cannot hold the WAL files): reading works, and every write
 * fails with a message saying why (store_readonly). */
int store_open(struct store **out, const char *path, struct ly_error *err);
/* For commands that only read: never creates a file or directory. A
 * missing database is LY_NOTFOUND, err saying there is nothing there. */
int store_open_read(struct store **out, const char *path, struct ly_error *err);
/* Why writes are refused ("the file is read-only", ...), NULL when they
 * are not. */
const char *store_readonly(const struct store *st);
/* How long a statement waits for another process's lock (default 5000 ms,
 * for the command line; the browser waits briefly and retries later). */
void store_set_busy_timeout(struct store *st, int ms);
/* While *flag is non-zero, running statements stop with SQLITE_INTERRUPT
 * (a signal arrived during long work). NULL turns this off. */
void store_set_interrupt(struct store *st, volatile sig_atomic_t *flag);
/* For a first import: where path does not exist yet, the database is made
 * under a temporary name beside it, with no journal (a failure throws it
 * away), and appears at path, whole, only with store_publish; store_close
 * before that leaves nothing behind. Where path exists, as store_open. */
int store_open_new(struct store **out, const char *path, struct ly_error *err);
bool store_is_unpublished(const struct store *st);
/* Sync the new database and link it in at path (a database someone made
 * there meanwhile is left alone: an error). Closes the connection: only
 * store_close may follow. A store that was not new: nothing to do. */
int store_publish(struct store *st, struct ly_error *err);
/* An empty database in memory (for a dry run where there is none); its
 * messages name path. */
int store_open_empty(struct store **out, const char *path, struct ly_error *err);
/* A private copy of src in memory, to rehearse writes on: nothing reaches
 * src, and src needs no write lock. Messages name src's path. */
int store_open_copy(struct store *src, struct store **out, struct ly_error *err);
void store_close(struct store *st);
sqlite3 *store_db(struct store *st);
const char *store_path(const struct store *st);

/* A cached prepared statement for sql (reset, bindings cleared). NULL on error. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql, struct ly_error *err);
/* Run SQL with no results (schema, pragmas). */
int store_exec(struct store *st, const char *sql, struct ly_error *err);
/* The SQL that brings the schema from version from to from + 1 (NULL when
 * there is none): the tests build older databases with it. */
const char *store_migration_sql(int from);

/* Drop (on = false) or build (on = true) talk's secondary indexes, inside a
 * transaction: loading many rows into an empty talk table and sorting each
 * index once after is cheaper than inserting every row into each. */
int store_talk_indexes(struct store *st, bool on, struct ly_error *err);

int store_begin(struct store *st, struct ly_error *err);
int store_commit(struct store *st, struct ly_error *err);
void store_rollback(struct store *st);

/* Resolve the database path: flag, else $LANYARD_DB, else
 * $XDG_DATA_HOME/lanyard/lanyard.db, else ~/.local/share/lanyard/lanyard.db.
 * Creates missing parent directories (0700). */
int store_default_path(const char *flag, char *out, size_t outlen, struct ly_error *err);
/* The same path, creating nothing (for commands that only read). */
int store_locate(const char *flag, char *out, size_t outlen, struct ly_error *err);

/* Conference by name; NULL or "" means the most recently imported one.
 * Returns LY_OK, LY_NOTFOUND (err filled with a helpful message) or LY_ERR. */
int store_conf_find(struct store *st, const char *name, struct conf *out, struct ly_error *err);

/* Talk id from its key within a conference; LY_NOTFOUND if no such key. */
int store_talk_id(struct store *st, int64_t conf_id, const char *key, int64_t *id, struct ly_error *err);

/* "KEY (Title)" of a talk for messages and recovery files; "talk ID" when
 * it cannot be read. */
void store_talk_label(struct store *st, int64_t talk_id, char *out, size_t len);

const char *store_status_name(enum talk_status s); /* "" for NONE */
int store_status_parse(const char *s, enum talk_status *out); /* "none" ok */

int store_set_status(struct store *st, int64_t talk_id, enum talk_status s, struct ly_error *err);
int store_get_status(struct store *st, int64_t talk_id, enum talk_status *s, int *rating, struct ly_error *err);
int store_set_rating(struct store *st, int64_t talk_id, int rating /* 0 clears */, struct ly_error *err);
int store_set_takeaways(struct store *st, int64_t talk_id, const char *text, struct ly_error *err);
/* Compare before write: store text only if the stored takeaways are still
 * expected (what the writer started from; NULL skips the check). Returns
 * LY_OK when written (or already equal to text), LY_CONFLICT when they
 * changed under the writer: nothing is written and *stored (malloc'd,
 * caller frees; stored may be NULL) holds what is there now. */
int store_set_takeaways_if(struct store *st, int64_t talk_id, const char *expected, const char *text,
                           char **stored, struct ly_error *err);
/* *out is malloc'd ("" when none); caller frees. */
int store_get_takeaways(struct store *st, int64_t talk_id, char **out, struct ly_error *err);

/* The validators remembered for conference name when its source is source
 * ("" when none); and setting them after a fetch. */
int store_conf_validators(struct store *st, const char *name, const char *source, char *etag, size_t etaglen,
                          char *lastmod, size_t lastmodlen, struct ly_error *err);
int store_conf_set_validators(struct store *st, const char *name, const char *etag, const char *lastmod,
                              struct ly_error *err);

/* Talks in a conference's schedule (removed ones aside). Counted once per
 * import: the answer is kept while the conference's import_seq stays. */
int store_talk_total(struct store *st, int64_t conf, int *n, struct ly_error *err);

int store_set_note(struct store *st, int64_t conf_id, const char *scope, const char *text, struct ly_error *err);
/* Compare before write, as store_set_takeaways_if. */
int store_set_note_if(struct store *st, int64_t conf_id, const char *scope, const char *expected,
                      const char *text, char **stored, struct ly_error *err);
int store_get_note(struct store *st, int64_t conf_id, const char *scope, char **out, struct ly_error *err);

#endif
