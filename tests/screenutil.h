/* Helpers for screen tests: a database imported by the real binary, the
 * browser started on it in a pinned terminal (vt.h pins TERM, LC_ALL=C.UTF-8,
 * TZ, a private HOME and unsets LINES/COLUMNS), command output captured.
 *
 * The binary under test is $LANYARD_BIN, else $BUILD/lanyard, else
 * build/lanyard (so `make asan` tests build-asan/lanyard). Fixtures are
 * paths from the repository root (the tests run there). Strings returned
 * are malloc'd; the caller frees them. */
#ifndef LANYARD_SCREENUTIL_H
#define LANYARD_SCREENUTIL_H

#include "vt/vt.h"

/* How long to wait for the screen, in ms (scaled by $VT_TIMEOUT_SCALE). */
#define SU_WAIT 5000
/* Mid-morning on that Wednesday: K2 (11:00-11:35) is running. */
#define SU_MIDDAY "LANYARD_NOW=2022-05-18 11:07"

const char *su_bin(void);
/* Import fixture into a new database in a private directory; returns the
 * database path. Aborts the test run if the import fails. */
char *su_db(const char *fixture);
/* Import fixture into db as conference name (NULL: the file's base name);
 * a schedule update when that conference exists. */
void su_import(const char *db, const char *fixture, const char *name);
/* A path for a database that does not exist yet. */
char *su_new_db(void);
/* Start the browser on db at rows x cols with LANYARD_NOW fixed at
 * 2022-05-18 08:30 (a Wednesday of the fixtures, before its first talk, so
 * the browser opens on that day's first talk); extra_env entries
 * ("NAME=value", "-NAME", applied after) may be NULL. */
struct vt *su_start(const char *db, int rows, int cols, const char *const *extra_env);
/* The same with more arguments after --db DB (NULL-terminated; may be NULL). */
struct vt *su_start_args(const char *db, int rows, int cols, const char *const *extra_env, const char *const *args);
/* Standard output of a shell command. */
char *su_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The TSV line of talk key from `lanyard list` ("" when absent). */
char *su_list_line(const char *db, const char *key);
/* Press q and expect exit status 0 with the terminal restored. Returns
 * true when all of that held. */
bool su_quit(struct vt *vt);
#endif
