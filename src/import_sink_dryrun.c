/* The dry-run sink (contract in import_sink.h): counts, keeps the first
 * talks and the days, and says what the import understood. Writes nothing;
 * when the conference already exists, a store sink that only plans
 * (store_load.h: rows staged in temporary tables, the database only read)
 * works out what an update would change. */
#include "lanyard/import_sink.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"

#define SHOW_TALKS 5
#define DAYS_MAX 4096

struct shown {
	char id[64], title[160], room[80], speakers[160];
	char start[17], end[17], astart[17], aend[17];
	bool alt;
	enum date_order ord;
};

/* The distinct days under one reading of ambiguous dates. */
struct days {
	int64_t *d;
	size_t n, cap;
	bool overflow;
	int64_t min, max;
};

struct dry {
	struct store *st;
	const char *conf_name, *source;
	const struct import_opts *o;
	const struct imp_map *m;
	const struct norm *nm;
	struct imp_log *lg;
	struct import_sink plan;       /* .ops NULL unless the conference exists */
	int talks, unscheduled;
	struct shown shown[SHOW_TALKS];
	int nshown;
	struct days days[2];           /* [0] month first, [1] day first */
};

static void out(struct dry *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(struct dry *d, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (d->o->on_dry)
		d->o->on_dry(d->o->dry_ctx, buf);
}

static int days_add(struct dry *d, struct days *s, const char *ymd)
{
	int64_t min;
	if (!*ymd || !ltime_parse_stamp(ymd, &min))
		return LY_OK;
	int64_t day = min / 1440;
	if (s->n == 0 && !s->overflow)
		s->min = s->max = day;
	if (day < s->min)
		s->min = day;
	if (day > s->max)
		s->max = day;
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->d[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && s->d[lo] == day)
		return LY_OK;
	if (s->n >= DAYS_MAX) {
		s->overflow = true;
		return LY_OK;
	}
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		int64_t *p = realloc(s->d, ncap * sizeof *p);
		if (!p)
			return implog_oom(d->lg);
		s->d = p;
		s->cap = ncap;
	}
	memmove(s->d + lo + 1, s->d + lo, (s->n - lo) * sizeof *s->d);
	s->d[lo] = day;
	s->n++;
	return LY_OK;
}

static int dry_begin(void *self)
{
	struct dry *d = self;
	struct conf c;
	struct ly_error e;
	int rc = store_conf_find(d->st, d->conf_name, &c, &e);
	if (rc == LY_ERR)
		return implog_fail(d->lg, "%s", e.msg);
	if (rc == LY_OK && *d->conf_name) {
		if (sink_store_new(&d->plan, d->st, d->conf_name, d->source, true, d->lg))
			return LY_ERR;
		return d->plan.ops->begin(d->plan.self);
	}
	return LY_OK;
}

static int dry_talk(void *self, const struct talk_in *t)
{
	struct dry *d = self;
	if (d->plan.ops && d->plan.ops->talk(d->plan.self, t))
		return LY_ERR;
	if (t->merging) {
		/* Another row of a talk shown: its speakers join. */
		for (int i = 0; i < d->nshown; i++) {
			struct shown *s = &d->shown[i];
			if (!*s->id || strlen(s->id) != t->id_len || memcmp(s->id, t->id, t->id_len) != 0)
				continue;
			char *m = norm_speakers_merge(s->speakers, t->speakers, NULL);
			if (!m)
				return implog_oom(d->lg);
			implog_value(m, 100, s->speakers, sizeof s->speakers);
			free(m);
		}
		return LY_OK;
	}
	d->talks++;
	d->unscheduled += !t->scheduled;
	if (t->scheduled) {
		int i = t->ord == DATE_ORDER_DMY;
		if (days_add(d, &d->days[i], t->day) || days_add(d, &d->days[!i], t->alt ? t->aday : t->day))
			return LY_ERR;
	}
	if (d->nshown < SHOW_TALKS) {
		struct shown *s = &d->shown[d->nshown++];
		if (t->id_len < sizeof s->id)
			memcpy(s->id, t->id, t->id_len + 1);
		implog_value(t->title, 100, s->title, sizeof s->title);
		implog_value(t->room, 40, s->room, sizeof s->room);
		implog_value(t->speakers, 100, s->speakers, sizeof s->speakers);
		memcpy(s->start, t->start, sizeof s->start);
		memcpy(s->end, t->end, sizeof s->end);
		memcpy(s->astart, t->astart, sizeof s->astart);
		memcpy(s->aend, t->aend, sizeof s->aend);
		s->alt = t->alt;
		s->ord = t->ord;
	}
	return LY_OK;
}

static void print_mapping(struct dry *d)
{
	static const enum imp_field shown[] = { F_TITLE, F_DATE, F_START, F_END, F_ENDDATE, F_DURATION, F_ROOM,
	                                        F_TRACK, F_TYPE, F_SPEAKERS, F_FIRST, F_LAST, F_ABSTRACT, F_ID,
	                                        F_URL };
	const struct imp_map *m = d->m;
	if (m->shape)
		out(d, "shape: %s", m->shape);
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		enum imp_field f = shown[i];
		int c = m->fcol[f];
		if (c < 0)
			continue;
		char name[128], how[160];
		implog_value(m->names[c], 60, name, sizeof name);
		norm_describe(d->nm, f, how, sizeof how);
		if (f == F_TRACK && m->track_from_type)
			continue;
		out(d, "%-10s \xe2\x86\x90 \"%s\"%s%s%s%s", map_field_name(f), name, *how ? " (" : "", how,
		    *how ? ")" : "", m->how[f] == HOW_OPTION ? " [--column]" : "");
	}
	if (m->track_from_type)
		out(d, "%-10s \xe2\x86\x90 \"%s\" (the type, as there is no track column)", "track",
		    m->names[m->fcol[F_TYPE]]);
	char list[700];
	size_t o = 0;
	int ignored = 0;
	list[0] = '\0';
	for (size_t c = 0; c < m->ncols; c++) {
		bool used = false;
		for (int f = 0; f < NFIELDS && !used; f++)
			used = m->fcol[f] == (int)c;
		if (used)
			continue;
		char name[128];
		implog_value(m->names[c], 40, name, sizeof name);
		ignored++;
		if (o < 500) {
			int w = snprintf(list + o, sizeof list - o, "%s\"%s\"", o ? ", " : "", name);
			if (w > 0 && (size_t)w < sizeof list - o)
				o += (size_t)w;
		} else if (o < sizeof list - 8) {
			o += (size_t)snprintf(list + o, sizeof list - o, ", ...");
		}
	}
	out(d, "ignored:   %s", ignored ? list : "(none)");
}

static int dry_end(void *self, const struct sink_end *e, struct import_report *rep)
{
	struct dry *d = self;
	if (d->talks == 0)
		return implog_fail_line(d->lg, e->first_row_line, "no talks: no row has a title");
	if (d->plan.ops) {
		if (d->plan.ops->end(d->plan.self, e, rep))
			return LY_ERR;
	} else {
		rep->talks = d->talks;
		rep->rows = (int)e->rows;
		rep->unscheduled = d->unscheduled;
		rep->added = d->talks;
	}
	if (!d->o->on_dry)
		return LY_OK;
	print_mapping(d);
	const struct days *s = &d->days[e->order == DATE_ORDER_DMY];
	if (s->n || s->overflow) {
		char a[24], b[24], ya[12], yb[12];
		int y, mo, dd;
		ltime_civil_from_days(s->min, &y, &mo, &dd);
		snprintf(ya, sizeof ya, "%04d-%02d-%02d", y, mo, dd);
		ltime_civil_from_days(s->max, &y, &mo, &dd);
		snprintf(yb, sizeof yb, "%04d-%02d-%02d", y, mo, dd);
		ltime_day_label(ya, a, sizeof a);
		ltime_day_label(yb, b, sizeof b);
		if (s->overflow)
			out(d, "dates:     %s (%s) to %s (%s), more than %d days", ya, a, yb, b, DAYS_MAX);
		else
			out(d, "dates:     %s (%s) to %s (%s), %zu day%s with talks", ya, a, yb, b, s->n,
			    s->n == 1 ? "" : "s");
	} else {
		out(d, "dates:     none: every talk is unscheduled");
	}
	if (e->zone && *e->zone)
		out(d, "zone:      %s", e->zone);
	out(d, "talks:     %d (%d unscheduled)", rep->talks, rep->unscheduled);
	for (int i = 0; i < d->nshown; i++) {
		const struct shown *t = &d->shown[i];
		bool other = t->alt && t->ord != e->order;
		const char *st = other ? t->astart : t->start, *en = other ? t->aend : t->end;
		char when[40];
		if (!*st)
			snprintf(when, sizeof when, "%-22s", "unscheduled");
		else
			snprintf(when, sizeof when, "%s\xe2\x80\x93%s", st, *en ? (strncmp(st, en, 11) == 0 ? en + 11 : en) : "?");
		out(d, "  %s  %s%s%s%s%s", when, t->title, *t->room ? " \xc2\xb7 " : "", t->room,
		    *t->speakers ? " \xc2\xb7 " : "", t->speakers);
	}
	if (d->talks > d->nshown)
		out(d, "  ... and %d more", d->talks - d->nshown);
	return LY_OK;
}

static void dry_abort(void *self)
{
	struct dry *d = self;
	if (d->plan.ops)
		d->plan.ops->abort(d->plan.self);
}

static void dry_free(void *self)
{
	struct dry *d = self;
	if (!d)
		return;
	if (d->plan.ops)
		d->plan.ops->free(d->plan.self);
	free(d->days[0].d);
	free(d->days[1].d);
	free(d);
}

static const struct import_sink_ops dry_ops = {
	.begin = dry_begin,
	.talk = dry_talk,
	.end = dry_end,
	.abort = dry_abort,
	.free = dry_free,
};

int sink_dryrun_new(struct import_sink *o_sink, struct store *st, const char *conf_name, const char *source,
                    const struct import_opts *o, const struct imp_map *m, const struct norm *n,
                    struct imp_log *lg)
{
	struct dry *d = calloc(1, sizeof *d);
	if (!d)
		return implog_oom(lg);
	*d = (struct dry){ .st = st, .conf_name = conf_name, .source = source, .o = o, .m = m, .nm = n, .lg = lg };
	*o_sink = (struct import_sink){ .ops = &dry_ops, .self = d };
	return LY_OK;
}
