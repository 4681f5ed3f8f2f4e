/* Fetching a schedule from an http:// or https:// source (libcurl), for the
 * importer: the body goes to a file the caller names, so the reader reads
 * it as it reads any file.
 *
 * Bounded: a connect timeout of FETCH_CONNECT_S seconds, a transfer that
 * gives up after FETCH_TIMEOUT_S seconds (or when slower than 1 KB/s for
 * 30 s), bodies over FETCH_MAX_BYTES refused, at most 5 redirects and only
 * to http(s). Conditional: the validators of the last fetch (ETag,
 * Last-Modified) are sent as If-None-Match / If-Modified-Since, and a 304
 * answer is "not modified". Any failure (no connection, a 4xx/5xx answer,
 * too big, too slow) returns LY_ERR with a message naming the URL and why;
 * the destination file's content is then undefined and must not be used. */
#ifndef LANYARD_IMPORT_FETCH_H
#define LANYARD_IMPORT_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "lanyard/error.h"

#define FETCH_CONNECT_S 15
#define FETCH_TIMEOUT_S 120
#define FETCH_MAX_BYTES (256u << 20)

struct fetch_result {
	bool not_modified;       /* 304: the schedule is as last fetched */
	long status;             /* the final HTTP status */
	char etag[256];          /* validators of this answer ("" when none) */
	char last_modified[128];
};

bool fetch_is_url(const char *s);

/* Fetch url into the file at dest (created or truncated). etag and
 * last_modified may be NULL or "". */
int fetch_url(const char *url, const char *etag, const char *last_modified, const char *dest,
              struct fetch_result *res, struct ly_error *err);

#endif
