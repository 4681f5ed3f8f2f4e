/* Export a conference: the trip report (Markdown), the plan as a calendar
 * (iCalendar, RFC 5545), and everything the user wrote as CSV (RFC 4180,
 * read back by `lanyard import`, see restore.h) or JSON.
 *
 * The talks are read in one pass through talk_iter (one query). The core
 * never prints: it writes to the FILE* or path it is given and returns a
 * status with a message in err.
 *
 * What each format holds:
 *   markdown  attended talks by day (--all: planned ones too), notes,
 *             highlights, lowlights, planned but missed, counts by track
 *   ics       planned and attended talks (--all: every scheduled talk)
 *   csv/json  every talk with the user's data, and the notes
 * min_rating and day narrow every format.
 */
#ifndef LANYARD_EXPORT_H
#define LANYARD_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "lanyard/error.h"
#include "lanyard/store.h"

enum export_format { EXPORT_MARKDOWN = 0, EXPORT_ICS, EXPORT_CSV, EXPORT_JSON };

struct export_opts {
	enum export_format format;
	bool all;            /* see above */
	int min_rating;      /* 0 = any; 1-5 = talks rated at least this */
	const char *day;     /* conference day 'YYYY-MM-DD'; NULL = every day */
	time_t stamp;        /* ICS DTSTAMP; 0 = now */
};

/* "markdown" (or "md"), "ics", "csv", "json". LY_ERR when unknown. */
int export_format_parse(const char *name, enum export_format *out);

/* Write conference conf_id in the chosen format to out. */
int export_write(struct store *st, int64_t conf_id, const struct export_opts *o, FILE *out,
                 struct ly_error *err);

/* The same into path, atomically: a temporary file in the same directory,
 * fsync, rename over path; mode 0600. On error path is untouched. */
int export_to_path(struct store *st, int64_t conf_id, const struct export_opts *o, const char *path,
                   struct ly_error *err);

/* The browser's "write the trip report": Markdown, attended talks, into
 * path atomically. */
int export_report_file(struct store *st, int64_t conf_id, const char *path, struct ly_error *err);

/* The default place for a conference's trip report:
 * $HOME/<conference>-trip-report.md (characters unsafe in a file name
 * become '-'). */
int export_report_default_path(const char *conf_name, char *out, size_t outlen, struct ly_error *err);

/* The CSV export's header line (without the line end). restore.c reads it. */
extern const char export_csv_header[];

#endif
