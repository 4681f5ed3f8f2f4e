/* Import a schedule into the store (see DESIGN.md "Import rules").
 *
 * A pipeline (each stage's contract is in its header):
 *   reader    import_reader.h   bytes -> records with line numbers
 *   mapping   import_map.h      header -> fields; --column
 *   normalise import_norm.h     fields -> struct talk_in (no files, no SQL)
 *   sink      import_sink.h     begin / talk / end: the store sink merges by
 *                               key in one transaction; the dry-run sink
 *                               prints what it understood and writes nothing
 * import_file() drives them (import_run.c). A second input format is a
 * second reader.
 *
 * Everything happens in one transaction: on any error the database is
 * exactly as it was. Messages (warnings, notes about planned talks that
 * moved or vanished) go to the on_msg callback, already formatted as
 * "FILE:LINE: warning: ..." or "note: ..." with every data value escaped;
 * the core never prints.
 */
#ifndef LANYARD_IMPORT_H
#define LANYARD_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lanyard/dateparse.h"
#include "lanyard/error.h"
#include "lanyard/import_log.h"
#include "lanyard/store.h"

struct import_opts {
	const char *name;       /* conference name; NULL = file's base name without .csv */
	const char *tz;         /* the conference's zone (an offset "+02:00" or a name);
	                         * zoned times are converted to it */
	const char *first_day;  /* YYYY-MM-DD for weekday/"Day 2"/yearless dates and
	                         * files with times but no dates */
	enum date_order order;
	bool dry_run;           /* parse and report, write nothing */
	const char *const *columns; /* "FIELD=HEADER" overrides, ncolumns of them */
	size_t ncolumns;
	import_msg_fn on_dry;   /* the dry run's report, one line per call (may be NULL) */
	void *dry_ctx;
};

struct import_report {
	int64_t conf_id;
	char conf_name[256];
	int talks;        /* talks in the file after merging rows */
	int rows;         /* data records read */
	int unscheduled;
	int warnings;
	int added, updated, moved, removed, unchanged;
	bool not_modified;  /* a URL source answered 304: nothing was read */
};

/* Import path, a file or an http(s):// URL (fetched with import_fetch.h;
 * a conference already imported from that URL sends the validators of the
 * last fetch, and an unchanged schedule sets rep->not_modified and changes
 * nothing). The conference remembers path as its source. Returns LY_OK,
 * LY_ERR (bad data, failed fetch or store; nothing changed) or LY_USAGE
 * (a --column the file cannot use). */
int import_file(struct store *st, const char *path, const struct import_opts *opts,
                struct import_report *rep, import_msg_fn on_msg, void *ctx,
                struct ly_error *err);

/* Update conference conf_name ("" or NULL: the most recent) from the source
 * it remembers, as import_file would; opts may be NULL (its name is ignored).
 * What the browser's "update from the source" key calls: the report says
 * what changed, the notes name the user's planned talks that moved. */
int import_update(struct store *st, const char *conf_name, const struct import_opts *opts,
                  struct import_report *rep, import_msg_fn on_msg, void *ctx, struct ly_error *err);

#endif
