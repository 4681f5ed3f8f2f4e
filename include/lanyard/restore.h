/* Read back lanyard's own CSV export (export.h, --format csv): the talks,
 * the user's status, rating and takeaways on each, and the day and
 * conference notes. `lanyard import` hands such a file here.
 *
 * Merging never loses anything: a talk or field the database lacks is
 * filled in; a status or rating already set is kept; takeaways or notes
 * that differ are both kept, the restored text after the current one under
 * a line that names the file. A cell the export neutralised against
 * spreadsheet formulas (a leading apostrophe) is restored exactly.
 *
 * One transaction: on any error the database is as it was. Messages go to
 * on_msg as "FILE:LINE: warning: ..." or "note: ...".
 */
#ifndef LANYARD_RESTORE_H
#define LANYARD_RESTORE_H

#include <stdbool.h>

#include "lanyard/error.h"
#include "lanyard/import.h"
#include "lanyard/store.h"

/* Whether the file starts with the export's header line. */
bool restore_is_export(const char *path);

/* opts: name (default: the conference named in the file), tz (default: the
 * file's), dry_run; the rest is ignored. rep as for import_file. */
int restore_file(struct store *st, const char *path, const struct import_opts *opts,
                 struct import_report *rep, import_msg_fn on_msg, void *ctx, struct ly_error *err);

#endif
