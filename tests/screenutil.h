/* Helpers for screen tests: a database imported by the real binary, the
 * browser started on it in a pinned terminal, command output captured. */
#ifndef LANYARD_SCREENUTIL_H
#define LANYARD_SCREENUTIL_H

#include "vt/vt.h"

/* The binary under test: $LANYARD_BIN, else build/lanyard. */
const char *su_bin(void);
/* Import fixture (a path from the repository root) into a new database;
 * returns the database path (malloc'd). */
char *su_db(const char *fixture);
/* Start the browser on db at rows x cols with LANYARD_NOW fixed at
 * 2022-05-18 11:07; extra env entries may be NULL. */
struct vt *su_start(const char *db, int rows, int cols, const char *const *extra_env);
/* Standard output of a shell command (malloc'd). */
char *su_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
