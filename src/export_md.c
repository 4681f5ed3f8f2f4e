/* The trip report: a first draft of the write-up an attendee shares after
 * the conference, as CommonMark. Text from the schedule is escaped inline;
 * the user's takeaways and notes are kept as written (their Markdown works,
 * their line breaks stay), escaping only what would break the document. */
#include "export_priv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/ltime.h"

/* One talk the report mentions after its day (highlights, lowlights,
 * missed, track counts): the user's own talks, so dozens. */
struct seen {
	char *title, *start, *room, *track;
	char *gist;             /* the first line of the takeaways */
	int day_no;
	bool upcoming;          /* planned and not over yet by the conference clock */
	int rating;
	bool attended;
};

struct seen_list {
	struct seen *v;
	size_t n, cap;
};

static void seen_free(struct seen_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].title);
		free(l->v[i].start);
		free(l->v[i].room);
		free(l->v[i].track);
		free(l->v[i].gist);
	}
	free(l->v);
}

static bool seen_add(struct seen_list *l, const struct talk_item *t, int day_no, int64_t now)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct seen *p = realloc(l->v, cap * sizeof *p);
		if (!p)
			return false;
		l->v = p;
		l->cap = cap;
	}
	struct seen *s = &l->v[l->n++];
	*s = (struct seen){ .title = strdup(t->title), .start = strdup(t->start), .room = strdup(t->room),
	                    .track = strdup(t->track), .day_no = day_no, .rating = t->rating,
	                    .attended = t->status == STATUS_ATTENDED };
	const char *g = t->takeaways + strspn(t->takeaways, " \t\r\n");
	s->gist = strndup(g, strcspn(g, "\r\n"));
	int64_t end;
	s->upcoming = !s->attended && ltime_parse_stamp(*t->end ? t->end : t->start, &end) && end > now;
	return s->title && s->start && s->room && s->track && s->gist;
}

/* Schedule text on one line: controls become spaces, Markdown punctuation
 * is escaped, and nothing at the start can open a block. */
static void md_inline(FILE *out, const char *s)
{
	bool start = true;
	for (const char *p = s; p && *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7F) {
			fputc(' ', out);
			continue;
		}
		if (strchr("\\`*_[]<>#!|~&", c) || (start && (c == '-' || c == '+' || c == '=')))
			fputc('\\', out);
		else if (start && isdigit(c)) {
			/* "1. Intro" would be a list item */
			const char *q = p;
			while (isdigit((unsigned char)*q))
				q++;
			if (*q == '.' || *q == ')') {
				fwrite(p, 1, (size_t)(q - p), out);
				fputc('\\', out);
				p = q;
				c = (unsigned char)*p;
			}
		}
		fputc(c, out);
		start = false;
	}
}

/* A fence opener/closer: up to three spaces, then three or more ` or ~. */
static size_t fence_len(const char *line, size_t n, char *ch)
{
	size_t i = 0;
	while (i < n && i < 3 && line[i] == ' ')
		i++;
	if (i >= n || (line[i] != '`' && line[i] != '~'))
		return 0;
	size_t j = i;
	while (j < n && line[j] == line[i])
		j++;
	if (j - i < 3)
		return 0;
	*ch = line[i];
	return j - i;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* A setext underline (=== or ---) would turn the line above into a heading. */
static bool underline(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != '=' && s[i] != '-'))
		return false;
	char c = s[i];
	while (i < n && s[i] == c)
		i++;
	return blank(s + i, n - i);
}

static void md_line(FILE *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		fputc(s[i++], out);
	if (i < n && (s[i] == '#' || underline(s, n)))
		fputc('\\', out);
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			continue;
		/* A tag (or comment, or declaration) would be raw HTML. */
		if (c == '<' && i + 1 < n && (isalpha((unsigned char)s[i + 1]) || strchr("/!?", s[i + 1])))
			fputc('\\', out);
		fputc(c, out);
	}
}

/* The user's text as a block: lines kept (hard breaks), blank lines kept,
 * an unclosed code fence closed. */
static void md_block(FILE *out, const char *text)
{
	/* Lines end at LF, CRLF or a lone CR. */
	const char *p = text;
	bool in_fence = false, prev_text = false;
	char fch = 0;
	size_t flen = 0;
	while (*p) {
		size_t n = strcspn(p, "\r\n");
		const char *next = p + n;
		if (*next == '\r' && next[1] == '\n')
			next += 2;
		else if (*next)
			next++;
		char ch = 0;
		size_t fl = fence_len(p, n, &ch);
		if (prev_text && !blank(p, n) && !in_fence && !fl)
			fputs("  ", out); /* the line break the user typed */
		if (prev_text || in_fence || p != text)
			fputc('\n', out);
		if (in_fence) {
			fwrite(p, 1, n, out);
			if (fl >= flen && ch == fch && blank(p + strspn(p, " ") + fl, n - strspn(p, " ") - fl))
				in_fence = false;
			prev_text = false;
		} else if (fl) {
			fwrite(p, 1, n, out);
			in_fence = true, fch = ch, flen = fl;
			prev_text = false;
		} else {
			md_line(out, p, n);
			prev_text = !blank(p, n);
		}
		p = next;
	}
	fputc('\n', out);
	if (in_fence) {
		for (size_t i = 0; i < flen; i++)
			fputc(fch, out);
		fputc('\n', out);
	}
}

static void stars(FILE *out, int r)
{
	for (int i = 1; i <= 5; i++)
		fputs(i <= r ? "★" : "☆", out);
}

static int day_number(const struct export_ctx *x, const char *day)
{
	int64_t a, b;
	if (!*day || !ltime_parse_stamp(x->info.first_day, &a) || !ltime_parse_stamp(day, &b))
		return 0;
	return (int)((b - a) / (24 * 60)) + 1;
}

static void day_heading(struct export_ctx *x, const char *day)
{
	FILE *out = x->out;
	if (!*day) {
		fputs("\n## Unscheduled\n", out);
		return;
	}
	char date[48];
	export_long_date(day, date, sizeof date);
	fprintf(out, "\n## Day %d — %s\n", day_number(x, day), date);
	const char *note = note_list_get(&x->notes, day);
	if (note) {
		fputc('\n', out);
		md_block(out, note);
	}
}

/* Days with notes but no talk to show still get their section. */
static void notes_before(struct export_ctx *x, size_t *ni, const char *day)
{
	for (; *ni < x->notes.n; (*ni)++) {
		const char *scope = x->notes.items[*ni].scope;
		if (strcmp(scope, "overall") == 0 || strcmp(scope, "booths") == 0)
			continue;
		if (day && *day && strcmp(scope, day) >= 0)
			break;
		if (x->o->day && strcmp(scope, x->o->day) != 0)
			continue;
		day_heading(x, scope);
	}
	if (day && *ni < x->notes.n && strcmp(x->notes.items[*ni].scope, day) == 0)
		(*ni)++; /* day_heading of this day prints it */
}

static void talk_entry(struct export_ctx *x, const struct talk_item *t)
{
	FILE *out = x->out;
	fputs("\n### ", out);
	md_inline(out, t->title);
	fputs("\n\n", out);
	if (*t->start) {
		fprintf(out, "%s", t->start + 11);
		if (*t->end)
			fprintf(out, "–%s", t->end + 11);
	} else {
		fputs("unscheduled", out);
	}
	const char *parts[] = { t->room, t->track };
	for (size_t i = 0; i < 2; i++) {
		if (*parts[i]) {
			fputs(" · ", out);
			md_inline(out, parts[i]);
		}
	}
	if (*t->speakers) {
		fputs("  \n", out);
		md_inline(out, t->speakers);
	}
	if (t->rating) {
		fputs("  \n", out);
		stars(out, t->rating);
		fprintf(out, " (%d/5)", t->rating);
	}
	if (t->status == STATUS_PLANNED) {
		fputs("  \n*Planned", out);
		fputs(t->removed ? "; no longer in the schedule*" : "*", out);
	} else if (t->removed) {
		fputs("  \n*No longer in the schedule*", out);
	}
	fputc('\n', out);
	if (*t->takeaways) {
		fputc('\n', out);
		md_block(out, t->takeaways);
	}
}

static int by_rating_desc(const void *a, const void *b)
{
	const struct seen *x = *(const struct seen *const *)a, *y = *(const struct seen *const *)b;
	if (x->rating != y->rating)
		return y->rating - x->rating;
	return strcmp(x->start, y->start);
}

static void rated_list(struct export_ctx *x, const char *heading, const struct seen_list *l, int lo, int hi,
                       bool worst_first)
{
	const struct seen **v = malloc((l->n + 1) * sizeof *v);
	size_t n = 0;
	if (!v)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].attended && l->v[i].rating >= lo && l->v[i].rating <= hi)
			v[n++] = &l->v[i];
	qsort(v, n, sizeof *v, by_rating_desc);
	if (n) {
		fprintf(x->out, "\n## %s\n\n", heading);
		for (size_t k = 0; k < n; k++) {
			const struct seen *s = v[worst_first ? n - 1 - k : k];
			fputs("- **", x->out);
			md_inline(x->out, s->title);
			fputs("** ", x->out);
			stars(x->out, s->rating);
			if (s->day_no)
				fprintf(x->out, " (Day %d)", s->day_no);
			if (*s->gist) {
				fputs(": ", x->out);
				md_inline(x->out, s->gist);
			}
			fputc('\n', x->out);
		}
	}
	free(v);
}

/* Planned talks that are over (missed) or still to come. */
static void planned_list(struct export_ctx *x, const struct seen_list *l, bool upcoming, const char *heading)
{
	FILE *out = x->out;
	bool any = false;
	for (size_t i = 0; i < l->n; i++) {
		const struct seen *s = &l->v[i];
		if (s->attended || s->upcoming != upcoming)
			continue;
		if (!any)
			fprintf(out, "\n## %s\n\n", heading);
		any = true;
		fputs("- ", out);
		md_inline(out, s->title);
		if (*s->start) {
			char label[24];
			char day[11];
			snprintf(day, sizeof day, "%.10s", s->start);
			ltime_day_label(day, label, sizeof label);
			fprintf(out, " — %s %s", label, s->start + 11);
		}
		if (*s->room) {
			fputs(", ", out);
			md_inline(out, s->room);
		}
		fputc('\n', out);
	}
}

struct track_sum {
	const char *track;
	int talks, rated, sum;
};

static int by_track_avg(const void *a, const void *b)
{
	const struct track_sum *x = a, *y = b;
	/* compare sum/rated without division: x->sum * y->rated vs y->sum * x->rated */
	if (x->rated && y->rated) {
		long l = (long)x->sum * y->rated, r = (long)y->sum * x->rated;
		if (l != r)
			return l > r ? -1 : 1;
	} else if (x->rated != y->rated) {
		return x->rated ? -1 : 1;
	}
	return strcmp(x->track, y->track);
}

static void closing(struct export_ctx *x, const struct seen_list *l)
{
	FILE *out = x->out;
	int attended = 0, rated = 0, sum = 0, days = 0, last_day = -1;
	struct track_sum *ts = calloc(l->n + 1, sizeof *ts);
	size_t nts = 0;
	if (!ts)
		return;
	for (size_t i = 0; i < l->n; i++) {
		const struct seen *s = &l->v[i];
		if (!s->attended)
			continue;
		attended++;
		if (s->day_no && s->day_no != last_day)
			days++, last_day = s->day_no;
		if (s->rating)
			rated++, sum += s->rating;
		const char *track = *s->track ? s->track : "No track";
		size_t k = 0;
		while (k < nts && strcmp(ts[k].track, track) != 0)
			k++;
		if (k == nts)
			ts[nts++].track = track;
		ts[k].talks++;
		if (s->rating)
			ts[k].rated++, ts[k].sum += s->rating;
	}
	fputs("\n---\n\n", out);
	fprintf(out, "%d talk%s attended", attended, attended == 1 ? "" : "s");
	if (days)
		fprintf(out, " over %d day%s", days, days == 1 ? "" : "s");
	if (rated)
		fprintf(out, ", %d rated, average %.1f of 5", rated, (double)sum / rated);
	qsort(ts, nts, sizeof *ts, by_track_avg);
	for (size_t k = 0; k < nts; k++) {
		fputs(k ? "; " : ". By track: ", out);
		md_inline(out, ts[k].track);
		if (ts[k].rated)
			fprintf(out, " %.1f (%d talk%s)", (double)ts[k].sum / ts[k].rated, ts[k].talks,
			        ts[k].talks == 1 ? "" : "s");
		else
			fprintf(out, " unrated (%d talk%s)", ts[k].talks, ts[k].talks == 1 ? "" : "s");
	}
	fputs(".\n", out);
	free(ts);
}

int export_markdown(struct export_ctx *x)
{
	FILE *out = x->out;
	fputs("# ", out);
	md_inline(out, x->info.name);
	fputs(" — trip report\n", out);
	if (*x->info.first_day) {
		char a[48], b[48];
		export_long_date(x->info.first_day, a, sizeof a);
		export_long_date(x->info.last_day, b, sizeof b);
		fputc('\n', out);
		if (strcmp(a, b) == 0)
			fprintf(out, "%s\n", a);
		else
			fprintf(out, "%s to %s\n", a, b);
	}
	if (!x->o->day) {
		static const char *const scopes[] = { "overall", "booths" };
		static const char *const heads[] = { "Overall", "Booths" };
		for (int i = 0; i < 2; i++) {
			const char *note = note_list_get(&x->notes, scopes[i]);
			if (note) {
				fprintf(out, "\n## %s\n\n", heads[i]);
				md_block(out, note);
			}
		}
	}
	struct talk_iter *it;
	if (export_talks_open(x, TALK_SET(STATUS_ATTENDED) | TALK_SET(STATUS_PLANNED), false, &it))
		return LY_ERR;
	struct seen_list seen = { 0 };
	int64_t now = ltime_now();
	char cur_day[11] = "-";
	size_t ni = 0;
	const struct talk_item *t;
	int rc;
	while ((rc = talk_iter_next(it, &t, x->err)) == LY_OK && t) {
		int day_no = day_number(x, t->day);
		if (!seen_add(&seen, t, day_no, now)) {
			rc = ly_fail(x->err, "out of memory");
			break;
		}
		if (t->status != STATUS_ATTENDED && !x->o->all)
			continue;
		if (strcmp(cur_day, t->day) != 0) {
			notes_before(x, &ni, t->day);
			snprintf(cur_day, sizeof cur_day, "%s", t->day);
			day_heading(x, t->day);
		}
		talk_entry(x, t);
	}
	talk_iter_close(it);
	if (rc == LY_OK) {
		notes_before(x, &ni, NULL);
		rated_list(x, "Highlights", &seen, 4, 5, false);
		rated_list(x, "Lowlights", &seen, 1, 2, true);
		planned_list(x, &seen, false, "Planned but missed");
		planned_list(x, &seen, true, "Still planned");
		closing(x, &seen);
	}
	seen_free(&seen);
	return rc;
}
