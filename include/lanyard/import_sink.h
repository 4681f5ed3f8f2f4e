/* Import stage 4, the sink: where normalised talks go.
 *
 *   begin  once, before the first talk (a file that fails before its first
 *          talk never reaches a sink, so it never touches the store);
 *   talk   each talk, in file order (borrowed for the call);
 *   end    after the last row, with what only the whole file can tell (the
 *          day/month order, the zone); fills the report;
 *   abort  instead of end when the import fails: nothing may remain;
 *   free   always, last.
 * Each returns LY_OK or LY_ERR with the message in the log.
 *
 * Two sinks: the store sink (import_sink_store.c) gives the store
 * (store_load.h) one conference's rows in batches, on a second thread for
 * big files, with their keys; the store merges them, settles the keys of
 * repeated titles, folds a re-import into the existing conference and
 * notes the user's planned talks that moved or vanished. The dry-run sink
 * (import_sink_dryrun.c) writes nothing: it counts, keeps the first few
 * talks and the date span, and prints what the import understood. */
#ifndef LANYARD_IMPORT_SINK_H
#define LANYARD_IMPORT_SINK_H

#include <stdbool.h>

#include "lanyard/import.h"
#include "lanyard/import_log.h"
#include "lanyard/import_map.h"
#include "lanyard/import_norm.h"
#include "lanyard/store.h"

struct sink_end {
	enum date_order order;   /* how ambiguous dates are to be read */
	const char *zone;        /* the conference's zone, "" = unknown */
	long rows;               /* data records read */
	long header_line;
	long first_row_line;     /* 0 when no row */
};

struct import_sink_ops {
	int (*begin)(void *self);
	int (*talk)(void *self, const struct talk_in *t);
	int (*end)(void *self, const struct sink_end *e, struct import_report *rep);
	void (*abort)(void *self);
	void (*free)(void *self);
};

struct import_sink {
	const struct import_sink_ops *ops;
	void *self;
};

/* The store sink. source is remembered as the conference's source; with
 * plan nothing is written (the change report and notes are still made). */
int sink_store_new(struct import_sink *out, struct store *st, const char *conf_name, const char *source,
                   bool plan, struct imp_log *lg);

/* The dry-run sink: prints through o->on_dry at the end; borrows m and n,
 * which must outlive it. When the store holds a conference of that name,
 * the change report is worked out by a rehearsing store sink. */
int sink_dryrun_new(struct import_sink *out, struct store *st, const char *conf_name, const char *source,
                    const struct import_opts *o, const struct imp_map *m, const struct norm *n,
                    struct imp_log *lg);

#endif
