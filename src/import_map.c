/* Header mapping (contract in import_map.h). */
#include "lanyard/import_map.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Header names as organisers write them, ranked within a field (a lower
 * rank wins when a file has two columns for one field). Compared after
 * normalising: see norm_name(). */
static const struct {
	const char *name;
	unsigned char field, rank;
} synonyms[] = {
	{ "id", F_ID, 0 }, { "session id", F_ID, 0 }, { "talk id", F_ID, 0 }, { "event id", F_ID, 1 },
	{ "guid", F_ID, 1 }, { "uid", F_ID, 1 }, { "uuid", F_ID, 1 },
	{ "proposal id", F_ID, 1 }, { "submission id", F_ID, 1 }, { "session code", F_ID, 2 },
	{ "code", F_ID, 2 },
	{ "title", F_TITLE, 0 }, { "session title", F_TITLE, 0 }, { "talk title", F_TITLE, 0 },
	{ "event title", F_TITLE, 0 }, { "titel", F_TITLE, 0 }, { "session name", F_TITLE, 1 },
	{ "proposal title", F_TITLE, 1 }, { "talk name", F_TITLE, 1 }, { "event name", F_TITLE, 1 },
	{ "subject", F_TITLE, 2 }, { "session", F_TITLE, 2 }, { "talk", F_TITLE, 2 },
	{ "event", F_TITLE, 3 },
	{ "name", F_NAME, 0 },
	{ "date", F_DATE, 0 }, { "start date", F_DATE, 0 }, { "session date", F_DATE, 0 },
	{ "event date", F_DATE, 0 }, { "datum", F_DATE, 0 }, { "day", F_DATE, 1 }, { "tag", F_DATE, 1 },
	{ "start", F_START, 0 }, { "start time", F_START, 0 }, { "time start", F_START, 0 },
	{ "starts at", F_START, 0 }, { "start at", F_START, 0 }, { "session start", F_START, 0 },
	{ "scheduled at", F_START, 0 }, { "start date time", F_START, 0 }, { "start datetime", F_START, 0 },
	{ "starts", F_START, 1 }, { "begin", F_START, 1 }, { "beginn", F_START, 1 }, { "from", F_START, 1 },
	{ "von", F_START, 1 }, { "time", F_START, 2 }, { "zeit", F_START, 2 }, { "uhrzeit", F_START, 2 },
	{ "time slot", F_START, 2 }, { "slot", F_START, 2 }, { "when", F_START, 3 },
	{ "end", F_END, 0 }, { "end time", F_END, 0 }, { "time end", F_END, 0 }, { "ends at", F_END, 0 },
	{ "end at", F_END, 0 }, { "session end", F_END, 0 }, { "end date time", F_END, 0 },
	{ "end datetime", F_END, 0 }, { "ends", F_END, 1 }, { "finish", F_END, 1 }, { "ende", F_END, 1 },
	{ "to", F_END, 1 }, { "until", F_END, 1 }, { "bis", F_END, 1 },
	{ "end date", F_ENDDATE, 0 },
	{ "duration", F_DURATION, 0 }, { "scheduled duration", F_DURATION, 0 }, { "length", F_DURATION, 0 },
	{ "duration minutes", F_DURATION, 0 }, { "duration mins", F_DURATION, 0 }, { "dauer", F_DURATION, 0 },
	{ "minutes", F_DURATION, 1 }, { "mins", F_DURATION, 1 },
	{ "room", F_ROOM, 0 }, { "room name", F_ROOM, 0 }, { "raum", F_ROOM, 0 }, { "room location", F_ROOM, 0 },
	{ "venue", F_ROOM, 1 }, { "location", F_ROOM, 1 }, { "stage", F_ROOM, 1 }, { "hall", F_ROOM, 1 },
	{ "saal", F_ROOM, 1 }, { "ort", F_ROOM, 1 }, { "place", F_ROOM, 2 }, { "where", F_ROOM, 3 },
	{ "track", F_TRACK, 0 }, { "tracks", F_TRACK, 0 }, { "track name", F_TRACK, 0 },
	{ "schedule track", F_TRACK, 0 }, { "schedule tracks", F_TRACK, 0 },
	{ "category", F_TRACK, 1 }, { "categories", F_TRACK, 1 }, { "kategorie", F_TRACK, 1 },
	{ "topic", F_TRACK, 2 }, { "theme", F_TRACK, 2 }, { "stream", F_TRACK, 2 },
	{ "type", F_TYPE, 0 }, { "session type", F_TYPE, 0 }, { "session format", F_TYPE, 0 },
	{ "event type", F_TYPE, 0 }, { "talk type", F_TYPE, 0 }, { "submission type", F_TYPE, 0 },
	{ "format", F_TYPE, 1 }, { "kind", F_TYPE, 1 },
	{ "speakers", F_SPEAKERS, 0 }, { "speaker names", F_SPEAKERS, 0 }, { "presenters", F_SPEAKERS, 0 },
	{ "referenten", F_SPEAKERS, 0 }, { "speaker", F_SPEAKERS, 1 }, { "presenter", F_SPEAKERS, 1 },
	{ "speaker name", F_SPEAKERS, 1 }, { "persons", F_SPEAKERS, 1 }, { "referent", F_SPEAKERS, 1 },
	{ "fullname", F_SPEAKERS, 1 }, { "full name", F_SPEAKERS, 1 },
	{ "authors", F_SPEAKERS, 2 }, { "author", F_SPEAKERS, 2 },
	{ "moderator", F_SPEAKERS, 3 }, { "moderators", F_SPEAKERS, 3 }, { "host", F_SPEAKERS, 3 },
	{ "hosts", F_SPEAKERS, 3 },
	{ "first name", F_FIRST, 0 }, { "given name", F_FIRST, 0 }, { "vorname", F_FIRST, 0 },
	{ "last name", F_LAST, 0 }, { "surname", F_LAST, 0 }, { "family name", F_LAST, 0 },
	{ "nachname", F_LAST, 0 },
	{ "abstract", F_ABSTRACT, 0 }, { "description", F_ABSTRACT, 0 }, { "synopsis", F_ABSTRACT, 0 },
	{ "session description", F_ABSTRACT, 0 }, { "beschreibung", F_ABSTRACT, 0 },
	{ "summary", F_ABSTRACT, 1 }, { "details", F_ABSTRACT, 2 },
	{ "url", F_URL, 0 }, { "link", F_URL, 0 }, { "session url", F_URL, 0 }, { "session link", F_URL, 0 },
	{ "website", F_URL, 2 }, { "web", F_URL, 2 },
};

/* Words that name a field inside a longer header ("Talk Room", "Start of
 * session"), and words that make a header something else. */
static const struct {
	const char *word;
	unsigned char field;
} words[] = {
	{ "title", F_TITLE }, { "date", F_DATE }, { "start", F_START }, { "end", F_END },
	{ "duration", F_DURATION }, { "room", F_ROOM }, { "venue", F_ROOM }, { "location", F_ROOM },
	{ "track", F_TRACK }, { "type", F_TYPE }, { "speaker", F_SPEAKERS }, { "speakers", F_SPEAKERS },
	{ "presenter", F_SPEAKERS }, { "presenters", F_SPEAKERS }, { "abstract", F_ABSTRACT },
	{ "description", F_ABSTRACT },
};
static const char *const not_words[] = {
	"id", "email", "mail", "url", "uri", "link", "links", "photo", "image", "picture", "twitter",
	"linkedin", "bio", "company", "count", "capacity", "number", "reminder", "all", "day",
};

static const char *const field_names[NFIELDS] = {
	[F_ID] = "id", [F_TITLE] = "title", [F_NAME] = "name", [F_DATE] = "date", [F_START] = "start",
	[F_END] = "end", [F_ENDDATE] = "end date", [F_DURATION] = "duration", [F_ROOM] = "room",
	[F_TRACK] = "track", [F_TYPE] = "type", [F_SPEAKERS] = "speakers", [F_FIRST] = "first name",
	[F_LAST] = "last name", [F_ABSTRACT] = "abstract", [F_URL] = "url",
};

/* Shapes known by a few of their headers (normalised). */
static const struct {
	const char *name;
	const char *need[4];
} shapes[] = {
	{ "Outlook CSV", { "subject", "startdate", "meetingorganizer", NULL } },
	{ "Google Calendar CSV", { "subject", "startdate", "alldayevent", NULL } },
	{ "Guidebook template", { "sessiontitle", "timestart", "roomlocation", NULL } },
	{ "Sessionize", { "sessionid", "scheduledat", NULL } },
	{ "Sched", { "sessionstart", "sessiontype", NULL } },
	{ "pretalx", { "speakernames", "sessiontype", NULL } },
};

#define GUIDEBOOK_SAMPLE "don't forget to delete these rows"
#define GUIDEBOOK_NOTE "don't change any of these headers"

const char *map_field_name(enum imp_field f)
{
	return f < NFIELDS ? field_names[f] : "?";
}

bool map_field_parse(const char *name, enum imp_field *out)
{
	static const enum imp_field allowed[] = { F_TITLE, F_START, F_END, F_DATE, F_DURATION, F_ROOM,
	                                          F_TRACK, F_TYPE, F_SPEAKERS, F_ABSTRACT, F_ID, F_URL };
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strcasecmp(name, field_names[allowed[i]]) == 0) {
			*out = allowed[i];
			return true;
		}
	return false;
}

/* Split into lower-case words: any run of other than letters and digits
 * separates, and so does a lower-to-upper change (camelCase). Words are
 * written to out separated by one space. */
static void split_words(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	bool space = false;
	for (size_t i = 0; in[i] && o + 2 < outlen; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '\'' || c == 0xE2) /* "don't", and ’ in it */
			continue;
		if (c < 0x80 && !isalnum(c)) {
			space = o > 0;
			continue;
		}
		if (isupper(c) && i > 0 && islower((unsigned char)in[i - 1]))
			space = o > 0;
		if (space)
			out[o++] = ' ';
		space = false;
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

/* The key names are compared by: the words run together. */
static void squeeze(const char *words_in, char *out)
{
	size_t o = 0;
	for (size_t i = 0; words_in[i]; i++)
		if (words_in[i] != ' ')
			out[o++] = words_in[i];
	out[o] = '\0';
}

/* A name with a parenthesised part dropped: "Duration (minutes)". */
static bool drop_paren(const char *in, char *out, size_t outlen)
{
	const char *p = strchr(in, '(');
	if (!p || p == in)
		return false;
	size_t n = (size_t)(p - in);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, in, n);
	out[n] = '\0';
	return true;
}

struct cand {
	int score; /* lower is better */
	enum map_how how;
};

/* How well a header names a field (score < 0: not at all). */
static struct cand match(const char *header, enum imp_field f)
{
	struct cand best = { -1, HOW_NONE };
	char w[256], key[256], sk[256], paren[256];
	const char *forms[2] = { header, NULL };
	if (drop_paren(header, paren, sizeof paren))
		forms[1] = paren;
	for (int k = 0; k < 2 && forms[k]; k++) {
		split_words(forms[k], w, sizeof w);
		squeeze(w, key);
		for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++) {
			if (synonyms[i].field != f)
				continue;
			int score = -1;
			enum map_how how = HOW_NONE;
			if (strcasecmp(forms[k], synonyms[i].name) == 0 && k == 0)
				score = synonyms[i].rank, how = HOW_EXACT;
			else {
				squeeze(synonyms[i].name, sk);
				if (strcmp(key, sk) == 0)
					score = 10 + synonyms[i].rank + k, how = HOW_NORMALISED;
			}
			if (score >= 0 && (best.score < 0 || score < best.score))
				best = (struct cand){ score, how };
		}
	}
	if (best.score >= 0)
		return best;
	/* A word of the field's inside a longer name, when no word names
	 * another field or something that is not a talk's. */
	split_words(header, w, sizeof w);
	int nwords = 0, fields_hit = 0;
	bool hit = false, other = false;
	char *save = NULL;
	for (char *t = strtok_r(w, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		nwords++;
		for (size_t i = 0; i < sizeof not_words / sizeof not_words[0]; i++)
			if (strcmp(t, not_words[i]) == 0)
				other = true;
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (strcmp(t, words[i].word) == 0) {
				if (words[i].field == f)
					hit = true;
				else
					fields_hit++;
			}
	}
	if (hit && !other && fields_hit == 0 && nwords <= 4)
		return (struct cand){ 30, HOW_WORD };
	return best;
}

static char *trimmed_copy(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	char *out = malloc(n + 1);
	if (out) {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return out;
}

/* "a, b, c" of the header's names, safe to print, at most about 600 bytes. */
static void list_columns(const struct imp_map *m, char *out, size_t outlen)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t c = 0; c < m->ncols; c++) {
		char v[128];
		implog_value(m->names[c], 60, v, sizeof v);
		int w = snprintf(out + o, outlen - o, "%s\"%s\"", c ? ", " : "", v);
		if (w < 0 || (size_t)w >= outlen - o || o > 600) {
			snprintf(out + o, outlen - o, ", ...");
			return;
		}
		o += (size_t)w;
	}
}

static int column_option(struct imp_map *m, const char *spec, struct imp_log *lg)
{
	const char *eq = strchr(spec, '=');
	char fname[32];
	size_t n = eq ? (size_t)(eq - spec) : 0;
	enum imp_field f;
	if (!eq || n >= sizeof fname) {
		ly_fail(lg->err, "--column takes FIELD=HEADER, not '%s'", spec);
		return lg->rc = LY_USAGE;
	}
	memcpy(fname, spec, n);
	fname[n] = '\0';
	if (!map_field_parse(fname, &f)) {
		ly_fail(lg->err, "--column: unknown field '%s' (fields: title, start, end, date, duration, room, "
		        "track, type, speakers, abstract, id, url)", fname);
		return lg->rc = LY_USAGE;
	}
	const char *want = eq + 1;
	int col = -1;
	for (size_t c = 0; c < m->ncols && col < 0; c++)
		if (strcasecmp(m->names[c], want) == 0)
			col = (int)c;
	if (col < 0) {
		char a[256], b[256];
		split_words(want, a, sizeof a);
		squeeze(a, a);
		for (size_t c = 0; c < m->ncols && col < 0 && *a; c++) {
			split_words(m->names[c], b, sizeof b);
			squeeze(b, b);
			if (strcmp(a, b) == 0)
				col = (int)c;
		}
	}
	if (col < 0) {
		char list[800], v[128];
		list_columns(m, list, sizeof list);
		ly_fail(lg->err, "%s: --column %s=%s: no such column; the file has %s", lg->path, fname,
		        implog_value(want, 60, v, sizeof v), list);
		return lg->rc = LY_USAGE;
	}
	/* The column now means this field only. */
	for (int g = 0; g < NFIELDS; g++)
		if (m->fcol[g] == col)
			m->fcol[g] = -1, m->how[g] = HOW_NONE;
	m->fcol[f] = col;
	m->how[f] = HOW_OPTION;
	if (f == F_TITLE)
		m->alt_title = -1;
	return LY_OK;
}

int map_header(struct imp_map *m, const struct reader_rec *hdr, const struct import_opts *o,
               struct imp_log *lg)
{
	memset(m, 0, sizeof *m);
	m->header_line = hdr->line;
	m->alt_title = -1;
	m->sample_col = -1;
	for (int f = 0; f < NFIELDS; f++)
		m->fcol[f] = -1;
	if (hdr->n > MAP_MAX_COLUMNS || hdr->overflow)
		return implog_fail_line(lg, hdr->line, "more than %d columns: not a schedule", MAP_MAX_COLUMNS);
	m->ncols = hdr->n;
	m->names = calloc(m->ncols ? m->ncols : 1, sizeof *m->names);
	if (!m->names)
		return implog_oom(lg);
	bool any = false;
	for (size_t c = 0; c < m->ncols; c++) {
		if (!(m->names[c] = trimmed_copy(hdr->f[c], hdr->len[c])))
			return implog_oom(lg);
		any |= *m->names[c] != '\0';
	}
	if (!any)
		return implog_fail_line(lg, hdr->line, "the first line holds no column names");

	/* Known shapes. */
	char w[256], key[256];
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0] && !m->shape; s++) {
		bool all = true;
		for (int k = 0; k < 4 && shapes[s].need[k] && all; k++) {
			bool found = false;
			for (size_t c = 0; c < m->ncols && !found; c++) {
				split_words(m->names[c], w, sizeof w);
				squeeze(w, key);
				found = strcmp(key, shapes[s].need[k]) == 0;
			}
			all = found;
		}
		if (all)
			m->shape = shapes[s].name;
	}

	int score[NFIELDS], alt_score = -1;
	for (int f = 0; f < NFIELDS; f++)
		score[f] = -1;
	for (size_t c = 0; c < m->ncols; c++) {
		split_words(m->names[c], w, sizeof w);
		if (strstr(w, "dont change any of these headers")) {
			m->sample_col = (int)c;
			continue;
		}
		for (int f = 0; f < NFIELDS; f++) {
			struct cand k = match(m->names[c], (enum imp_field)f);
			if (k.score < 0)
				continue;
			if (score[f] < 0 || k.score < score[f]) {
				if (f == F_TITLE && score[f] >= 0)
					m->alt_title = m->fcol[f], alt_score = score[f];
				m->fcol[f] = (int)c;
				m->how[f] = k.how;
				score[f] = k.score;
			} else if (f == F_TITLE && (alt_score < 0 || k.score < alt_score)) {
				m->alt_title = (int)c;
				alt_score = k.score;
			}
		}
	}
	/* One column, one field: a column two fields want goes to the one it
	 * names more closely (a date column is not also a start). */
	for (int f = 0; f < NFIELDS; f++)
		for (int g = f + 1; g < NFIELDS; g++)
			if (m->fcol[f] >= 0 && m->fcol[f] == m->fcol[g]) {
				int lose = score[f] <= score[g] ? g : f;
				m->fcol[lose] = -1;
				m->how[lose] = HOW_NONE;
			}
	if (m->alt_title >= 0 && (m->alt_title == m->fcol[F_TITLE]))
		m->alt_title = -1;
	/* "name" is the talk when there is no title column, else the speaker. */
	if (m->fcol[F_TITLE] < 0) {
		m->fcol[F_TITLE] = m->fcol[F_NAME];
		m->how[F_TITLE] = m->how[F_NAME];
	} else if (m->fcol[F_SPEAKERS] < 0 && m->fcol[F_FIRST] < 0 && m->fcol[F_LAST] < 0) {
		m->fcol[F_SPEAKERS] = m->fcol[F_NAME];
		m->how[F_SPEAKERS] = m->how[F_NAME];
	}
	m->fcol[F_NAME] = -1;
	m->how[F_NAME] = HOW_NONE;
	for (size_t i = 0; o && i < o->ncolumns; i++)
		if (column_option(m, o->columns[i], lg) != LY_OK)
			return lg->rc;
	if (m->fcol[F_TITLE] < 0) {
		char list[800];
		list_columns(m, list, sizeof list);
		return implog_fail_line(lg, hdr->line, "no title column (looked for title, session title, name, "
		                        "event, subject...); columns found: %s; say which with --column title=HEADER",
		                        list);
	}
	/* Sched calls its tracks "session_type": without a track column the
	 * type is what a schedule is browsed by. */
	m->track_from_type = m->fcol[F_TRACK] < 0 && m->fcol[F_TYPE] >= 0;
	m->no_times = m->fcol[F_DATE] < 0 && m->fcol[F_START] < 0;
	if (m->no_times)
		implog_warn(lg, hdr->line, "no date or time column (looked for date, day, start, time, "
		            "scheduled at); every talk is unscheduled");
	return LY_OK;
}

const char *map_cell(const struct imp_map *m, const struct reader_rec *r, enum imp_field f, size_t *len)
{
	int c = m->fcol[f];
	if (c < 0 || (size_t)c >= r->n) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = r->len[c];
	return r->f[c];
}

static bool same_trimmed(const char *a, const char *b)
{
	while (isspace((unsigned char)*a))
		a++;
	size_t n = strlen(a);
	while (n > 0 && isspace((unsigned char)a[n - 1]))
		n--;
	return strlen(b) == n && strncasecmp(a, b, n) == 0;
}

/* A value a title column should not hold: a URL, an e-mail address, or an
 * id (one word of digits, or of letters and digits mixed). */
static bool not_a_title(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return false;
	if (strstr(s, "://") || strncasecmp(s, "www.", 4) == 0)
		return true;
	bool space = false, digit = false, at = false, lower = false;
	for (const char *p = s; *p; p++) {
		space |= isspace((unsigned char)*p) != 0;
		digit |= isdigit((unsigned char)*p) != 0;
		lower |= islower((unsigned char)*p) != 0;
		at |= *p == '@';
	}
	if (space)
		return false;
	return at || (digit && (!lower || strlen(s) >= 16));
}

enum map_row map_row(struct imp_map *m, const struct reader_rec *r, struct imp_log *lg)
{
	/* The header again (files glued together); the title cell tells at
	 * once for almost every row. */
	int mapped = 0, same = 0, tc = m->fcol[F_TITLE];
	bool maybe = tc < 0 || (size_t)tc >= r->n || r->len[tc] <= strlen(m->names[tc]) + 8;
	for (int f = 0; f < NFIELDS && maybe; f++) {
		int c = m->fcol[f];
		if (c < 0 || (size_t)c >= r->n)
			continue;
		mapped++;
		same += same_trimmed(r->f[c], m->names[c]);
	}
	if (mapped >= 2 && same == mapped) {
		implog_warn(lg, r->line, "the header line again; skipped");
		return ROW_SKIP;
	}
	/* Guidebook's sample rows say what they are in some cell. */
	if (m->sample_col >= 0 || (m->shape && strcmp(m->shape, "Guidebook template") == 0)) {
		for (size_t c = 0; c < r->n; c++) {
			if (r->len[c] < sizeof GUIDEBOOK_SAMPLE - 1 || r->len[c] > 200)
				continue;
			char w[256];
			split_words(r->f[c], w, sizeof w);
			if (strstr(w, "dont forget to delete these rows")) {
				implog_warn(lg, r->line, "a sample row of the template; skipped");
				return ROW_SKIP;
			}
		}
	}
	if (!m->checked_first) {
		m->checked_first = true;
		int c = m->fcol[F_TITLE];
		if (m->how[F_TITLE] != HOW_OPTION && (size_t)c < r->n && not_a_title(r->f[c]) && m->alt_title >= 0 &&
		    (size_t)m->alt_title < r->n && !not_a_title(r->f[m->alt_title])) {
			m->fcol[F_TITLE] = m->alt_title;
			m->how[F_TITLE] = HOW_NORMALISED;
			for (int f = 0; f < NFIELDS; f++)
				if (f != F_TITLE && m->fcol[f] == m->alt_title)
					m->fcol[f] = -1, m->how[f] = HOW_NONE;
		}
	}
	return ROW_DATA;
}

void map_free(struct imp_map *m)
{
	for (size_t c = 0; m->names && c < m->ncols; c++)
		free(m->names[c]);
	free(m->names);
	m->names = NULL;
}
