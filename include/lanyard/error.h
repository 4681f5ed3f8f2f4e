/* Errors are values: core modules fill a struct ly_error and return a status;
 * only main.c and the UI decide how to show the message. */
#ifndef LANYARD_ERROR_H
#define LANYARD_ERROR_H

#include <stddef.h>

enum ly_status {
	LY_OK = 0,
	LY_ERR = 1,      /* bad input or failed operation (exit status 1) */
	LY_USAGE = 2,    /* usage error (exit status 2) */
	LY_NOTFOUND = 3, /* lookups: nothing matched; never an exit status */
	LY_CONFLICT = 4  /* compare before write: the stored value changed */
};

struct ly_error {
	char msg[1024];
};

/* Format a message into err (may be NULL). Returns LY_ERR for `return ly_fail(...)`. */
int ly_fail(struct ly_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
