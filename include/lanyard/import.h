/* Import a schedule CSV into the store (see DESIGN.md "Import rules").
 *
 * The file is streamed through libcsv (memory bounded by the largest record).
 * Everything happens in one transaction: on any error the database is exactly
 * as it was. Messages (warnings, notes about planned talks that moved or
 * vanished) go to the on_msg callback, already formatted as
 * "FILE:LINE: warning: ..." or "note: ..."; the core never prints.
 */
#ifndef LANYARD_IMPORT_H
#define LANYARD_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "lanyard/error.h"
#include "lanyard/store.h"

enum date_order { DATE_ORDER_AUTO = 0, DATE_ORDER_DMY, DATE_ORDER_MDY };

struct import_opts {
	const char *name;       /* conference name; NULL = file's base name without .csv */
	const char *tz;         /* recorded with the conference; times stay local */
	const char *first_day;  /* YYYY-MM-DD for weekday/"Day 2"/yearless dates */
	enum date_order order;
	bool dry_run;           /* parse and report, write nothing */
};

struct import_report {
	int64_t conf_id;
	char conf_name[256];
	int talks;        /* talks in the file after merging rows */
	int rows;         /* data records read */
	int unscheduled;
	int warnings;
	int added, updated, moved, removed, unchanged;
};

typedef void (*import_msg_fn)(void *ctx, const char *msg);

int import_file(struct store *st, const char *path, const struct import_opts *opts,
                struct import_report *rep, import_msg_fn on_msg, void *ctx,
                struct ly_error *err);

#endif
