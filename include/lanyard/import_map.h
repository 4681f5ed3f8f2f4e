/* Import stage 2, header mapping: the header record -> which column holds
 * which field of a talk, and each later record -> its fields.
 *
 * Header names are compared after folding case and dropping everything but
 * letters and digits, with camelCase split ("startsAt" = "starts at" =
 * "STARTS_AT"); "(Optional)", "(minutes)", "(s)" and the like are dropped
 * when the name alone does not match. The synonym table is data, ranked:
 * a name spelled exactly as in the table beats a normalised match, which
 * beats a header that merely contains a field's word ("Talk Room"); among
 * equals the table's own rank decides. A header with words of two fields
 * ("Speaker Id") or naming an e-mail, link, URL or id is never taken for
 * another field by a word it contains, and the title is never a column of
 * URLs, ids or e-mail addresses (the first data row is checked).
 * `--column FIELD=HEADER` overrides the guess for that field.
 *
 * Known shapes (Google Calendar, Outlook, Guidebook, Sessionize, Sched,
 * pretalx) are recognised by their headers and named for the dry run; the
 * Guidebook template's instruction column is ignored and its sample rows
 * skipped. A record that repeats the header is skipped with a warning.
 * Knows nothing of dates, files or the store. */
#ifndef LANYARD_IMPORT_MAP_H
#define LANYARD_IMPORT_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "lanyard/import.h"
#include "lanyard/import_log.h"
#include "lanyard/import_reader.h"

enum imp_field {
	F_ID, F_TITLE, F_NAME, F_DATE, F_START, F_END, F_ENDDATE, F_DURATION, F_ROOM,
	F_TRACK, F_TYPE, F_SPEAKERS, F_FIRST, F_LAST, F_ABSTRACT, F_URL, NFIELDS
};

#define MAP_MAX_COLUMNS 4096

enum map_how { HOW_NONE = 0, HOW_OPTION, HOW_EXACT, HOW_NORMALISED, HOW_WORD, HOW_NAME };

struct imp_map {
	size_t ncols;
	char **names;            /* the header's cells, trimmed */
	int fcol[NFIELDS];       /* field -> column, -1 = none */
	enum map_how how[NFIELDS];
	int alt_title;           /* the next best title column, -1 = none */
	bool track_from_type;    /* no track column: the type is what is browsed by */
	bool no_times;           /* neither date nor start column */
	const char *shape;       /* "Google Calendar CSV", ... or NULL */
	int sample_col;          /* Guidebook's instruction column, -1 = none */
	long header_line;
	bool checked_first;      /* the first data row has been looked at */
	bool warned_ragged;
};

/* The field's name as --column and the dry run spell it ("title"), and back. */
const char *map_field_name(enum imp_field f);
bool map_field_parse(const char *name, enum imp_field *out);

/* Map a header record. Returns LY_OK, LY_ERR (no title column; message in
 * lg) or LY_USAGE (a --column names no column; message lists them). */
int map_header(struct imp_map *m, const struct reader_rec *hdr, const struct import_opts *o,
               struct imp_log *lg);

enum map_row { ROW_DATA, ROW_SKIP };

/* Look at a data record before it is read: the header repeated, a template's
 * sample row (ROW_SKIP, warned); the first row also checks the title. */
enum map_row map_row(struct imp_map *m, const struct reader_rec *r, struct imp_log *lg);

/* The record's cell for a field ("" when the column is missing). */
const char *map_cell(const struct imp_map *m, const struct reader_rec *r, enum imp_field f, size_t *len);

void map_free(struct imp_map *m);

#endif
