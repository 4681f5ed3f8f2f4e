#include "lanyard/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export_priv.h"
#include "lanyard/ltime.h"
#include "lanyard/text.h"

int export_format_parse(const char *name, enum export_format *out)
{
	static const struct {
		const char *name;
		enum export_format f;
	} names[] = {
		{ "markdown", EXPORT_MARKDOWN }, { "md", EXPORT_MARKDOWN }, { "ics", EXPORT_ICS },
		{ "csv", EXPORT_CSV },           { "json", EXPORT_JSON },
	};
	for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].f;
			return LY_OK;
		}
	}
	return LY_ERR;
}

void export_long_date(const char *ymd, char *out, size_t outlen)
{
	static const char *const wd[] = { "Sunday", "Monday", "Tuesday", "Wednesday",
	                                  "Thursday", "Friday", "Saturday" };
	static const char *const mon[] = { "January", "February", "March", "April", "May", "June", "July",
	                                   "August", "September", "October", "November", "December" };
	int y, m, d;
	if (!ymd || sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3 || !ltime_valid_date(y, m, d)) {
		snprintf(out, outlen, "%s", ymd ? ymd : "");
		return;
	}
	int64_t days = ltime_days_from_civil(y, m, d);
	snprintf(out, outlen, "%s %d %s %d", wd[ltime_weekday(days)], d, mon[m - 1], y);
}

int export_talks_open(struct export_ctx *x, unsigned statuses, bool with_removed, struct talk_iter **it)
{
	struct talk_filter f = { .conf = x->conf_id, .day = x->o->day, .min_rating = x->o->min_rating,
	                         .statuses = statuses, .with_removed = with_removed };
	return talk_iter_open(x->st, &f, it, x->err);
}

/* ---- CSV (RFC 4180) --------------------------------------------------------- */

const char export_csv_header[] =
	"kind,conference,tz,key,title,day,start,end,room,track,type,speakers,abstract,url,"
	"removed,status,rating,takeaways";

/* A cell a spreadsheet would run as a formula gets a leading apostrophe; so
 * does one that already starts with an apostrophe, so that lanyard's import
 * can take exactly one off again (restore.c). */
static void csv_cell(FILE *out, const char *s, bool last)
{
	if (!s)
		s = "";
	bool neutral = s[0] && strchr("=+-@\t\r'", s[0]);
	bool quote = neutral || strpbrk(s, ",\"\r\n") || s[0] == ' ' ||
	             (*s && s[strlen(s) - 1] == ' ');
	if (quote)
		fputc('"', out);
	if (neutral)
		fputc('\'', out);
	for (const char *q; (q = strchr(s, '"')); s = q + 1)
		fwrite(s, 1, (size_t)(q - s) + 1, out), fputc('"', out);
	fputs(s, out);
	if (quote)
		fputc('"', out);
	fputs(last ? "\r\n" : ",", out);
}

static int export_csv(struct export_ctx *x)
{
	FILE *out = x->out;
	fputs(export_csv_header, out);
	fputs("\r\n", out);
	/* Notes first: a restore reads them before any talk. */
	for (size_t i = 0; i < x->notes.n; i++) {
		const struct note_item *n = &x->notes.items[i];
		bool is_day = strcmp(n->scope, "overall") != 0 && strcmp(n->scope, "booths") != 0;
		if (x->o->day && (!is_day || strcmp(n->scope, x->o->day) != 0))
			continue;
		char title[64];
		if (is_day) {
			char label[32];
			ltime_day_label(n->scope, label, sizeof label);
			snprintf(title, sizeof title, "Notes: %s", label);
		} else {
			snprintf(title, sizeof title, "Notes: %s", strcmp(n->scope, "overall") == 0 ? "Overall" : "Booths");
		}
		const char *cells[] = { "note", x->info.name, x->info.tz, n->scope, title, is_day ? n->scope : "",
		                        "", "", "", "", "", "", "", "", "", "", "", n->body };
		for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++)
			csv_cell(out, cells[c], c + 1 == sizeof cells / sizeof cells[0]);
	}
	struct talk_iter *it;
	if (export_talks_open(x, 0, true, &it))
		return LY_ERR;
	const struct talk_item *t;
	int rc;
	while ((rc = talk_iter_next(it, &t, x->err)) == LY_OK && t) {
		char rating[4] = "";
		if (t->rating)
			snprintf(rating, sizeof rating, "%d", t->rating);
		const char *cells[] = { "talk", x->info.name, x->info.tz, t->key, t->title, t->day, t->start, t->end,
		                        t->room, t->track, t->type, t->speakers, t->abstract, t->url,
		                        t->removed ? "1" : "", store_status_name(t->status), rating, t->takeaways };
		for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++)
			csv_cell(out, cells[c], c + 1 == sizeof cells / sizeof cells[0]);
	}
	talk_iter_close(it);
	return rc;
}

/* ---- JSON -------------------------------------------------------------------- */

/* A JSON string: valid UTF-8 (bad bytes become U+FFFD), control characters
 * escaped, everything else kept as it is. */
static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n;) {
		/* Plain text goes out in runs. */
		size_t j = i;
		while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F && s[j] != '"' &&
		       s[j] != '\\')
			j++;
		if (j > i) {
			fwrite(s + i, 1, j - i, out);
			i = j;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			switch (c) {
			case '"': fputs("\\\"", out); break;
			case '\\': fputs("\\\\", out); break;
			case '\n': fputs("\\n", out); break;
			case '\r': fputs("\\r", out); break;
			case '\t': fputs("\\t", out); break;
			default:
				if (c < 0x20 || c == 0x7F)
					fprintf(out, "\\u%04x", c);
				else
					fputc(c, out);
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		char buf[4];
		fwrite(buf, 1, text_encode(cp, buf), out);
		i += len;
	}
	fputc('"', out);
}

static void json_str_or_null(FILE *out, const char *s)
{
	if (s && *s)
		json_str(out, s);
	else
		fputs("null", out);
}

static int export_json(struct export_ctx *x)
{
	FILE *out = x->out;
	fputs("{\n  \"format\": \"lanyard-export\",\n  \"version\": 1,\n  \"conference\": {\"name\": ", out);
	json_str(out, x->info.name);
	fputs(", \"tz\": ", out);
	json_str_or_null(out, x->info.tz);
	fputs(", \"first_day\": ", out);
	json_str_or_null(out, x->info.first_day);
	fputs(", \"last_day\": ", out);
	json_str_or_null(out, x->info.last_day);
	fputs("},\n  \"notes\": [", out);
	bool first = true;
	for (size_t i = 0; i < x->notes.n; i++) {
		const struct note_item *n = &x->notes.items[i];
		if (x->o->day && strcmp(n->scope, x->o->day) != 0)
			continue;
		fputs(first ? "\n    {\"scope\": " : ",\n    {\"scope\": ", out);
		json_str(out, n->scope);
		fputs(", \"body\": ", out);
		json_str(out, n->body);
		fputc('}', out);
		first = false;
	}
	fputs(first ? "],\n  \"talks\": [" : "\n  ],\n  \"talks\": [", out);
	struct talk_iter *it;
	if (export_talks_open(x, 0, true, &it))
		return LY_ERR;
	const struct talk_item *t;
	int rc;
	first = true;
	while ((rc = talk_iter_next(it, &t, x->err)) == LY_OK && t) {
		fputs(first ? "\n    {\"key\": " : ",\n    {\"key\": ", out);
		first = false;
		json_str(out, t->key);
		fputs(", \"title\": ", out);
		json_str(out, t->title);
		fputs(", \"day\": ", out);
		json_str_or_null(out, t->day);
		fputs(", \"start\": ", out);
		json_str_or_null(out, t->start);
		fputs(", \"end\": ", out);
		json_str_or_null(out, t->end);
		static const char *const names[] = { "room", "track", "type", "speakers", "abstract", "url" };
		const char *vals[] = { t->room, t->track, t->type, t->speakers, t->abstract, t->url };
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			fprintf(out, ", \"%s\": ", names[i]);
			json_str(out, vals[i]);
		}
		fprintf(out, ", \"removed\": %s, \"status\": ", t->removed ? "true" : "false");
		json_str_or_null(out, store_status_name(t->status));
		if (t->rating)
			fprintf(out, ", \"rating\": %d", t->rating);
		else
			fputs(", \"rating\": null", out);
		fputs(", \"takeaways\": ", out);
		json_str(out, t->takeaways);
		fputc('}', out);
	}
	talk_iter_close(it);
	if (rc == LY_OK)
		fputs(first ? "]\n}\n" : "\n  ]\n}\n", out);
	return rc;
}

/* ---- entry points ------------------------------------------------------------ */

int export_write(struct store *st, int64_t conf_id, const struct export_opts *o, FILE *out,
                 struct ly_error *err)
{
	struct export_ctx x = { .st = st, .conf_id = conf_id, .o = o, .out = out, .err = err };
	if (o->min_rating < 0 || o->min_rating > 5)
		return ly_fail(err, "--min-rating takes 1 to 5, not %d", o->min_rating);
	if (talk_iter_conf_info(st, conf_id, &x.info, err) || note_list_load(st, conf_id, &x.notes, err))
		return LY_ERR;
	int rc;
	switch (o->format) {
	case EXPORT_MARKDOWN: rc = export_markdown(&x); break;
	case EXPORT_ICS: rc = export_ics(&x); break;
	case EXPORT_CSV: rc = export_csv(&x); break;
	case EXPORT_JSON: rc = export_json(&x); break;
	default: rc = ly_fail(err, "unknown export format"); break;
	}
	note_list_free(&x.notes);
	if (rc == LY_OK && (fflush(out) != 0 || ferror(out)))
		rc = ly_fail(err, "cannot write the export: %s", strerror(errno));
	return rc;
}

int export_to_path(struct store *st, int64_t conf_id, const struct export_opts *o, const char *path,
                   struct ly_error *err)
{
	size_t n = strlen(path);
	if (n == 0 || path[n - 1] == '/')
		return ly_fail(err, "%s: not a file name", path);
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) : 0;
	char *tmp = malloc(n + 32);
	if (!tmp)
		return ly_fail(err, "out of memory");
	/* The temporary file sits beside the target, so rename() never crosses
	 * file systems and a reader sees the old file or the whole new one. */
	if (slash)
		sprintf(tmp, "%.*s/.%s.XXXXXX", dirlen, path, slash + 1);
	else
		sprintf(tmp, ".%s.XXXXXX", path);
	int fd = mkstemp(tmp); /* mode 0600 */
	if (fd < 0) {
		ly_fail(err, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return LY_ERR;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		ly_fail(err, "%s: cannot write: %s", path, strerror(errno));
		close(fd);
		goto fail;
	}
	int rc = export_write(st, conf_id, o, f, err);
	if (rc == LY_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		rc = ly_fail(err, "%s: cannot write: %s", path, strerror(errno));
	if (fclose(f) != 0 && rc == LY_OK)
		rc = ly_fail(err, "%s: cannot write: %s", path, strerror(errno));
	if (rc != LY_OK)
		goto fail;
	if (rename(tmp, path) != 0) {
		ly_fail(err, "%s: cannot write: %s", path, strerror(errno));
		goto fail;
	}
	/* Make the rename itself durable. */
	char dir[4096];
	snprintf(dir, sizeof dir, "%.*s", slash ? (dirlen ? dirlen : 1) : 1, slash ? path : ".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	return LY_OK;
fail:
	unlink(tmp);
	free(tmp);
	return LY_ERR;
}

int export_report_file(struct store *st, int64_t conf_id, const char *path, struct ly_error *err)
{
	struct export_opts o = { .format = EXPORT_MARKDOWN };
	return export_to_path(st, conf_id, &o, path, err);
}

int export_report_default_path(const char *conf_name, char *out, size_t outlen, struct ly_error *err)
{
	const char *home = getenv("HOME");
	if (!home || !*home)
		return ly_fail(err, "HOME is not set: give the report a path");
	char name[256];
	size_t j = 0;
	for (const char *p = conf_name; p && *p && j + 1 < sizeof name; p++) {
		unsigned char c = (unsigned char)*p;
		name[j++] = c == '/' || c < 0x20 || c == 0x7F ? '-' : (char)c;
	}
	name[j] = '\0';
	if (j == 0)
		snprintf(name, sizeof name, "conference");
	else if (name[0] == '.')
		name[0] = '-'; /* not a hidden file */
	int n = snprintf(out, outlen, "%s%s%s-trip-report.md", home,
	                 home[strlen(home) - 1] == '/' ? "" : "/", name);
	if (n < 0 || (size_t)n >= outlen)
		return ly_fail(err, "report path too long");
	return LY_OK;
}
