/* What every import stage shares: the file's name for messages, the caller's
 * message callback and the first error.
 *
 * Stages never print: warnings go to on_msg as "FILE:LINE: warning: ...",
 * the first failure is kept in err as "FILE:LINE: error: ..." (or as given)
 * and sticks in rc, so a stage can stop at its next step. Data values put
 * into a message go through implog_value first: one line, no control
 * characters or escape sequences, cut to a length. */
#ifndef LANYARD_IMPORT_LOG_H
#define LANYARD_IMPORT_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "lanyard/error.h"

typedef void (*import_msg_fn)(void *ctx, const char *msg);

struct imp_log {
	const char *path;        /* the name messages give the file */
	import_msg_fn on_msg;    /* may be NULL */
	void *ctx;
	struct ly_error *err;    /* may be NULL */
	int rc;                  /* LY_OK until something fails */
	int warnings;
};

void implog_emit(struct imp_log *lg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void implog_warn(struct imp_log *lg, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* FILE:LINE: note: ... (what the import worked out; not a warning). */
void implog_note(struct imp_log *lg, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* FILE:LINE: error: ...; the first error wins. Returns LY_ERR. */
int implog_fail_line(struct imp_log *lg, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The message as given; the first error wins. Returns LY_ERR. */
int implog_fail(struct imp_log *lg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int implog_oom(struct imp_log *lg);

/* A data value made safe for a one-line message: text_sanitize'd (no C0/C1
 * controls, no escape sequences, valid UTF-8), at most max bytes, cut on a
 * character boundary with "..." after. Written into buf (size buflen). */
const char *implog_value(const char *s, size_t max, char *buf, size_t buflen);

#endif
