/* Shared by the export writers (export.c, export_md.c, export_ics.c). */
#ifndef LANYARD_EXPORT_PRIV_H
#define LANYARD_EXPORT_PRIV_H

#include <stdbool.h>
#include <stdio.h>

#include "lanyard/export.h"
#include "lanyard/talk_iter.h"

struct export_ctx {
	struct store *st;
	int64_t conf_id;
	struct conf_info info;
	struct note_list notes;
	const struct export_opts *o;
	FILE *out;
	struct ly_error *err;
};

/* The talks an export writes: its conference, --day and --min-rating, with
 * the user's statuses in statuses (TALK_SET bits; 0 = all), and talks gone
 * from the schedule too when with_removed. */
int export_talks_open(struct export_ctx *x, unsigned statuses, bool with_removed, struct talk_iter **it);

int export_markdown(struct export_ctx *x);
int export_ics(struct export_ctx *x);

/* "Wednesday 18 May 2022" for 'YYYY-MM-DD' (English); out >= 32 bytes. */
void export_long_date(const char *ymd, char *out, size_t outlen);

#endif
