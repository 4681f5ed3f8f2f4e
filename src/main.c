/* Command-line dispatch only: parse arguments, open the store, call a core
 * module or the browser, print what it returns, pick the exit status. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanyard/dateparse.h"
#include "lanyard/error.h"
#include "lanyard/export.h"
#include "lanyard/import.h"
#include "lanyard/model.h"
#include "lanyard/store.h"
#include "lanyard/talk_iter.h"
#include "lanyard/text.h"
#include "lanyard/ui.h"

#define EXIT_USAGE 2

static const char usage_text[] =
	"Usage:\n"
	"  lanyard [--db FILE] [--conf NAME] [--remind MIN] [--bell] [SCHEDULE.csv]\n"
	"                                  open the browser (importing SCHEDULE.csv first);\n"
	"                                  a reminder MIN minutes (default 5, 0 off) before\n"
	"                                  each planned talk, with the bell if --bell\n"
	"  lanyard import [--db FILE] [--name NAME] [--tz ZONE] [--first-day DATE]\n"
	"                 [--date-order dmy|mdy] [--column FIELD=HEADER]... [--dry-run]\n"
	"                 SCHEDULE.csv | URL     (no schedule with --name: update from\n"
	"                                        the source it was imported from)\n"
	"  lanyard list   [--db FILE] [--conf NAME] [--day YYYY-MM-DD] [--track T]\n"
	"                 [--search Q] [--status planned|attended|skipped] [--rated]\n"
	"  lanyard attend [--db FILE] [--conf NAME] KEY planned|attended|skipped|none\n"
	"  lanyard rate   [--db FILE] [--conf NAME] KEY 0-5      (0 clears)\n"
	"  lanyard note   [--db FILE] [--conf NAME] KEY [TEXT|-] (- reads standard input;\n"
	"                                                        no TEXT prints the note)\n"
	"  lanyard export [--db FILE] [--conf NAME] --format markdown|ics|csv|json [--all]\n"
	"                 [--min-rating N] [--day YYYY-MM-DD] [-o FILE]\n"
	"                                  the trip report (markdown), the plan as a\n"
	"                                  calendar (ics), everything as csv or json\n"
	"  lanyard --help | --version\n"
	"\n"
	"The database is --db FILE, else $LANYARD_DB, else\n"
	"$XDG_DATA_HOME/lanyard/lanyard.db (~/.local/share/lanyard/lanyard.db).\n"
	"Commands act on the most recently imported conference unless --conf names one.\n"
	"Exit status: 0 success, 1 bad input or failed operation, 2 usage error.\n"
	"See lanyard(1) for the browser's keys and the accepted CSV shapes.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("lanyard: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'lanyard --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

/* getopt_long with opterr = 0 and a leading ':' leaves the message to us. */
static int bad_option(const char *cmd, char **argv, int ch)
{
	const char *opt = argv[optind - 1];
	fprintf(stderr, "lanyard: %s%s%s '%s'\n", cmd, *cmd ? ": " : "",
	        ch == ':' ? "option needs a value:" : "unknown option", opt);
	fputs("Try 'lanyard --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

static int fail(const struct ly_error *err)
{
	fprintf(stderr, "lanyard: %s\n", err->msg);
	return 1;
}

struct common {
	const char *db;
	const char *conf;
};

/* How a command opens the database:
 *   DB_WRITE  creating it (and its directory) where there is none;
 *   DB_READ   only reading: nothing is created where nothing is;
 *   DB_NEW    an import: a database not there yet is made whole, and
 *             appears when the import has succeeded (store_open_new);
 *   DB_DRY    a dry run: the database as it is, read-only; where there is
 *             none, an empty one in memory (nothing is created on disk). */
enum db_how { DB_WRITE, DB_READ, DB_NEW, DB_DRY };

static int open_db(const struct common *c, enum db_how how, struct store **st)
{
	char path[4096];
	struct ly_error err;
	bool create = how == DB_WRITE || how == DB_NEW;
	if ((create ? store_default_path : store_locate)(c->db, path, sizeof path, &err))
		return fail(&err);
	int rc = how == DB_WRITE ? store_open(st, path, &err)
	       : how == DB_NEW  ? store_open_new(st, path, &err)
	                        : store_open_read(st, path, &err);
	if (rc == LY_NOTFOUND && how == DB_DRY)
		rc = store_open_empty(st, path, &err);
	return rc ? fail(&err) : 0;
}

static int open_store(const struct common *c, struct store **st)
{
	return open_db(c, DB_WRITE, st);
}

static int open_store_read(const struct common *c, struct store **st)
{
	return open_db(c, DB_READ, st);
}

static int find_conf(struct store *st, const struct common *c, struct conf *conf)
{
	struct ly_error err;
	if (store_conf_find(st, c->conf, conf, &err) != LY_OK)
		return fail(&err);
	return 0;
}

/* ---- import ---------------------------------------------------------- */

static void print_msg(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static void print_summary(const struct import_report *r, bool dry_run)
{
	printf("%s%s: %d talk%s (%d unscheduled); %d added, %d updated, %d moved, %d removed\n",
	       dry_run ? "dry run, nothing written: " : "", r->conf_name, r->talks,
	       r->talks == 1 ? "" : "s", r->unscheduled, r->added, r->updated, r->moved, r->removed);
}

static void print_dry(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
}

static int do_import(struct store *st, const char *path, const struct import_opts *o, bool quiet)
{
	struct import_report rep;
	struct ly_error err;
	int rc = path ? import_file(st, path, o, &rep, print_msg, NULL, &err)
	              : import_update(st, o->name, o, &rep, print_msg, NULL, &err);
	/* A new database appears only now, whole. */
	if (rc == LY_OK && store_is_unpublished(st))
		rc = store_publish(st, &err);
	if (rc == LY_OK && rep.not_modified) {
		if (!quiet)
			printf("%s: not modified since the last update; nothing changed\n", rep.conf_name);
		return 0;
	}
	if (rc != LY_OK) {
		fprintf(stderr, "%s%s\n", rc == LY_USAGE ? "lanyard: " : "", err.msg);
		return rc == LY_USAGE ? EXIT_USAGE : 1;
	}
	if (!quiet)
		print_summary(&rep, o->dry_run);
	return 0;
}

static int cmd_import(int argc, char **argv, struct common *c)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },   { "name", required_argument, NULL, 'n' },
		{ "tz", required_argument, NULL, 'z' },   { "first-day", required_argument, NULL, 'f' },
		{ "date", required_argument, NULL, 'f' }, { "column", required_argument, NULL, 'C' },
		{ "date-order", required_argument, NULL, 'o' }, { "dry-run", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },       { 0, 0, 0, 0 },
	};
	struct import_opts o = { .on_dry = print_dry };
	const char **columns = calloc((size_t)argc + 1, sizeof *columns);
	if (!columns)
		return 1;
	size_t ncolumns = 0;
	int ch, rc = 0;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': c->db = optarg; break;
		case 'n': o.name = optarg; break;
		case 'z': o.tz = optarg; break;
		case 'f': {
			int64_t days;
			if (!dp_ymd(optarg, &days)) {
				rc = usage_error("--first-day takes a date as YYYY-MM-DD, not '%s'", optarg);
				goto out;
			}
			o.first_day = optarg;
			break;
		}
		case 'r': o.dry_run = true; break;
		case 'C':
			if (!strchr(optarg, '=')) {
				rc = usage_error("--column takes FIELD=HEADER, not '%s'", optarg);
				goto out;
			}
			columns[ncolumns++] = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "dmy") == 0)
				o.order = DATE_ORDER_DMY;
			else if (strcmp(optarg, "mdy") == 0)
				o.order = DATE_ORDER_MDY;
			else {
				rc = usage_error("--date-order takes dmy or mdy, not '%s'", optarg);
				goto out;
			}
			break;
		case 'h': fputs(usage_text, stdout); goto out;
		default: rc = bad_option("import", argv, ch); goto out;
		}
	}
	o.columns = columns;
	o.ncolumns = ncolumns;
	/* No schedule: update the named conference from its source. */
	if (optind == argc && !o.name) {
		rc = usage_error("%s", "import takes a SCHEDULE.csv or URL, or --name NAME to update from its source");
		goto out;
	}
	if (optind < argc - 1) {
		rc = usage_error("%s", "import takes exactly one SCHEDULE.csv or URL");
		goto out;
	}
	struct store *st;
	if (open_db(c, o.dry_run ? DB_DRY : DB_NEW, &st)) {
		rc = 1;
		goto out;
	}
	if (!o.dry_run && store_readonly(st)) {
		fprintf(stderr, "lanyard: %s: cannot import: writes are refused: %s\n", store_path(st),
		        store_readonly(st));
		store_close(st);
		rc = 1;
		goto out;
	}
	rc = do_import(st, optind < argc ? argv[optind] : NULL, &o, false);
	store_close(st);
out:
	free(columns);
	return rc;
}

/* ---- list ------------------------------------------------------------ */

/* TSV, written as the rows are read: a value is sanitised as the browser
 * draws it (no control characters or escape sequences reach the terminal
 * or the pipe), so tabs and newlines inside it become spaces. */
struct tsv {
	char *buf;
	size_t cap;
	bool oom;
};

static void put_field(struct tsv *t, const char *s, bool last)
{
	size_t n = strlen(s), need = TEXT_SANITIZE_MAX(n);
	if (need > t->cap) {
		char *p = realloc(t->buf, need);
		if (!p) {
			t->oom = true;
			return;
		}
		t->buf = p;
		t->cap = need;
	}
	fwrite(t->buf, 1, text_sanitize_into(s, n, false, t->buf), stdout);
	putchar(last ? '\n' : '\t');
}

static int put_row(void *ctx, const struct talk_row *r)
{
	struct tsv *t = ctx;
	char rating[4] = "";
	if (r->rating)
		snprintf(rating, sizeof rating, "%d", r->rating);
	const char *fields[] = { r->key, r->start, r->end, r->room, r->track, r->title,
	                         r->speakers, store_status_name(r->status), rating };
	size_t n = sizeof fields / sizeof fields[0];
	for (size_t i = 0; i < n; i++)
		put_field(t, fields[i], i == n - 1);
	return t->oom || ferror(stdout);
}

static int cmd_list(int argc, char **argv, struct common *c)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },     { "conf", required_argument, NULL, 'c' },
		{ "day", required_argument, NULL, 'y' },    { "track", required_argument, NULL, 't' },
		{ "search", required_argument, NULL, 's' }, { "status", required_argument, NULL, 'u' },
		{ "rated", no_argument, NULL, 'r' },        { "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct talk_query q = { 0 };
	int ch;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': c->db = optarg; break;
		case 'c': c->conf = optarg; break;
		case 'y': {
			int64_t days;
			if (*optarg && !dp_ymd(optarg, &days)) /* "" lists the unscheduled */
				return usage_error("--day takes a date as YYYY-MM-DD, not '%s'", optarg);
			q.day = optarg;
			break;
		}
		case 't': q.track = optarg; break;
		case 's': q.search = optarg; break;
		case 'r': q.rated = true; break;
		case 'u':
			if (store_status_parse(optarg, &q.status) || q.status == STATUS_NONE)
				return usage_error("--status takes planned, attended or skipped, not '%s'", optarg);
			break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: return bad_option("list", argv, ch);
		}
	}
	if (optind != argc)
		return usage_error("list: unexpected argument '%s'", argv[optind]);
	struct store *st;
	struct conf conf;
	if (open_store_read(c, &st))
		return 1;
	if (find_conf(st, c, &conf)) {
		store_close(st);
		return 1;
	}
	q.conf = conf.id;
	struct ly_error err;
	struct tsv tsv = { 0 };
	int rc = 0;
	fputs("key\tstart\tend\troom\ttrack\ttitle\tspeakers\tstatus\trating\n", stdout);
	if (model_talks_each(st, &q, put_row, &tsv, &err) != LY_OK)
		rc = fail(&err);
	else if (tsv.oom)
		rc = (fputs("lanyard: out of memory\n", stderr), 1);
	free(tsv.buf);
	store_close(st);
	if (!rc && (fflush(stdout) || ferror(stdout))) {
		fprintf(stderr, "lanyard: cannot write the list: %s\n", strerror(errno));
		rc = 1;
	}
	return rc;
}

/* ---- attend / rate / note --------------------------------------------- */

static int parse_common_only(int argc, char **argv, struct common *c, int min_args, int max_args,
                             const char *what)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "conf", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': c->db = optarg; break;
		case 'c': c->conf = optarg; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		default: return -bad_option(what, argv, ch);
		}
	}
	int n = argc - optind;
	if (n < min_args || n > max_args)
		return -usage_error("%s: wrong number of arguments", what);
	return optind;
}

/* Open the store and find KEY's talk in the chosen conference. */
static int open_talk(const struct common *c, const char *key, bool write, struct store **st, int64_t *id)
{
	struct conf conf;
	struct ly_error err;
	if (write ? open_store(c, st) : open_store_read(c, st))
		return 1;
	if (find_conf(*st, c, &conf))
		goto fail;
	if (store_talk_id(*st, conf.id, key, id, &err) != LY_OK) {
		fail(&err);
		goto fail;
	}
	return 0;
fail:
	store_close(*st);
	*st = NULL;
	return 1;
}

static int cmd_attend(int argc, char **argv, struct common *c)
{
	int i = parse_common_only(argc, argv, c, 2, 2, "attend");
	if (i < 0)
		return -i;
	enum talk_status s;
	if (store_status_parse(argv[i + 1], &s))
		return usage_error("attend: status is planned, attended, skipped or none, not '%s'", argv[i + 1]);
	struct store *st;
	int64_t id;
	if (open_talk(c, argv[i], true, &st, &id))
		return 1;
	struct ly_error err;
	int rc = store_set_status(st, id, s, &err) ? fail(&err) : 0;
	store_close(st);
	return rc;
}

static int cmd_rate(int argc, char **argv, struct common *c)
{
	int i = parse_common_only(argc, argv, c, 2, 2, "rate");
	if (i < 0)
		return -i;
	const char *r = argv[i + 1];
	if (!(r[0] >= '0' && r[0] <= '5' && r[1] == '\0'))
		return usage_error("rate: rating is 0 to 5 (0 clears), not '%s'", r);
	struct store *st;
	int64_t id;
	if (open_talk(c, argv[i], true, &st, &id))
		return 1;
	struct ly_error err;
	int rc = store_set_rating(st, id, r[0] - '0', &err) ? fail(&err) : 0;
	store_close(st);
	return rc;
}

static char *read_stdin(void)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *p = realloc(buf, cap *= 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

static int cmd_note(int argc, char **argv, struct common *c)
{
	int i = parse_common_only(argc, argv, c, 1, 2, "note");
	if (i < 0)
		return -i;
	struct store *st;
	int64_t id;
	if (open_talk(c, argv[i], i + 1 < argc, &st, &id))
		return 1;
	struct ly_error err;
	int rc = 0;
	if (i + 1 == argc) {
		char *text;
		if (store_get_takeaways(st, id, &text, &err)) {
			rc = fail(&err);
		} else {
			fputs(text, stdout);
			if (*text && text[strlen(text) - 1] != '\n')
				putchar('\n');
			free(text);
		}
	} else {
		char *in = strcmp(argv[i + 1], "-") == 0 ? read_stdin() : NULL;
		const char *text = in ? in : argv[i + 1];
		if (strcmp(argv[i + 1], "-") == 0 && !in)
			rc = fail(&(struct ly_error){ "cannot read standard input" });
		else if (store_set_takeaways(st, id, text, &err))
			rc = fail(&err);
		free(in);
	}
	store_close(st);
	return rc;
}

/* ---- export ----------------------------------------------------------- */

static int cmd_export(int argc, char **argv, struct common *c)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },         { "conf", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },     { "all", no_argument, NULL, 'a' },
		{ "min-rating", required_argument, NULL, 'r' }, { "day", required_argument, NULL, 'y' },
		{ "output", required_argument, NULL, 'o' },     { "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct export_opts o = { 0 };
	const char *format = NULL, *path = NULL;
	int ch;
	while ((ch = getopt_long(argc, argv, "+:o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': c->db = optarg; break;
		case 'c': c->conf = optarg; break;
		case 'f':
			format = optarg;
			if (export_format_parse(optarg, &o.format))
				return usage_error("--format takes markdown, ics, csv or json, not '%s'", optarg);
			break;
		case 'a': o.all = true; break;
		case 'r':
			if (!(optarg[0] >= '1' && optarg[0] <= '5' && optarg[1] == '\0'))
				return usage_error("--min-rating takes 1 to 5, not '%s'", optarg);
			o.min_rating = optarg[0] - '0';
			break;
		case 'y': {
			int y, m, d;
			char tail;
			if (strlen(optarg) != 10 || sscanf(optarg, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
				return usage_error("--day takes a date as YYYY-MM-DD, not '%s'", optarg);
			o.day = optarg;
			break;
		}
		case 'o': path = optarg; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: return bad_option("export", argv, ch);
		}
	}
	if (!format)
		return usage_error("%s", "export: --format markdown|ics|csv|json is required");
	if (optind != argc)
		return usage_error("export: unexpected argument '%s'", argv[optind]);
	struct store *st;
	struct conf conf;
	if (open_store_read(c, &st))
		return 1;
	if (find_conf(st, c, &conf)) {
		store_close(st);
		return 1;
	}
	struct ly_error err;
	int rc = path && strcmp(path, "-") != 0 ? export_to_path(st, conf.id, &o, path, &err)
	                                        : export_write(st, conf.id, &o, stdout, &err);
	store_close(st);
	return rc == LY_OK ? 0 : fail(&err);
}

static void put_line(void *ctx, const char *s)
{
	(void)ctx;
	puts(s);
}

/* Hidden: words for the shell's completion ("confs", or "keys" of --conf). */
static int cmd_complete(int argc, char **argv, struct common *c)
{
	int i = parse_common_only(argc, argv, c, 1, 1, "__complete");
	if (i < 0)
		return -i;
	bool keys = strcmp(argv[i], "keys") == 0;
	if (!keys && strcmp(argv[i], "confs") != 0)
		return usage_error("__complete: confs or keys, not '%s'", argv[i]);
	struct store *st;
	if (open_store_read(c, &st))
		return 1;
	struct ly_error err = { "" };
	int rc = LY_OK;
	if (keys) {
		struct conf conf;
		struct talk_iter *it;
		const struct talk_item *t;
		if ((rc = store_conf_find(st, c->conf, &conf, &err)) == LY_OK &&
		    (rc = talk_iter_open(st, &(struct talk_filter){ .conf = conf.id }, &it, &err)) == LY_OK) {
			while ((rc = talk_iter_next(it, &t, &err)) == LY_OK && t)
				puts(t->key);
			talk_iter_close(it);
		}
	} else {
		rc = talk_iter_conf_names(st, put_line, NULL, &err);
	}
	store_close(st);
	return rc == LY_OK ? 0 : fail(&err);
}

/* ---- browser ---------------------------------------------------------- */

/* --remind MIN (0: off), --bell: the browser's options. */
static struct ui_options browse_opt = { .remind = 5 };

static int cmd_browse(int argc, char **argv, struct common *c)
{
	if (argc - optind > 1) {
		if (access(argv[optind], F_OK) != 0) /* not a schedule: a mistyped command */
			return usage_error("unknown command '%s'", argv[optind]);
		return usage_error("unexpected argument '%s'", argv[optind + 1]);
	}
	/* Refused before anything is imported or created. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "lanyard: the browser needs a terminal: standard %s is not one "
		        "(in scripts use lanyard import, list, note ...)\n",
		        isatty(STDIN_FILENO) ? "output" : "input");
		return 1;
	}
	struct store *st;
	if (open_store(c, &st))
		return 1;
	int rc = 0;
	if (optind < argc) {
		struct import_opts o = { 0 };
		/* Open the conference just imported, whatever --conf said. */
		if ((rc = do_import(st, argv[optind], &o, true)) == 0)
			c->conf = NULL;
	}
	if (rc == 0) {
		struct ly_error err;
		if (ui_run(st, c->conf, &browse_opt, &err) != LY_OK)
			rc = fail(&err);
	}
	store_close(st);
	return rc;
}

int main(int argc, char **argv)
{
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	/* Blocks up to 4 MB (SQLite's page caches, the importer's read buffer
	 * and batches) come from the heap and are reused there once freed,
	 * rather than each mapped afresh and unmapped again: every page of
	 * new memory costs a page fault. The sample import into a new
	 * database: 566 page faults -> 470, 1.7 ms less CPU; 100,000 talks:
	 * 9,645 -> 7,473, same time and peak memory. glibc itself raises both
	 * limits this way once a large block is freed. */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
#endif
	setlocale(LC_ALL, "");
	/* A file size limit (ulimit -f) is a failed write like a full disk,
	 * reported and survived, not a signal that kills us mid-save. */
	signal(SIGXFSZ, SIG_IGN);
	opterr = 0;
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "conf", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "remind", required_argument, NULL, 'r' },
		{ "bell", no_argument, NULL, 'b' },
		{ 0, 0, 0, 0 },
	};
	static const struct {
		const char *name;
		int (*fn)(int, char **, struct common *);
	} commands[] = {
		{ "import", cmd_import }, { "list", cmd_list }, { "attend", cmd_attend },
		{ "rate", cmd_rate },     { "note", cmd_note },     { "export", cmd_export },
		{ "__complete", cmd_complete },
	};
	struct common c = { 0 };
	int ch;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': c.db = optarg; break;
		case 'c': c.conf = optarg; break;
		case 'h': fputs(usage_text, stdout); return 0;
		case 'V': printf("lanyard %s\n", LANYARD_VERSION); return 0;
		case 'r': {
			char *end;
			long m = strtol(optarg, &end, 10);
			if (*end || end == optarg || m < 0 || m > 24 * 60)
				return usage_error("--remind takes minutes from 0 (off) to 1440, not '%s'", optarg);
			browse_opt.remind = (int)m;
			break;
		}
		case 'b': browse_opt.bell = true; break;
		default: return bad_option("", argv, ch);
		}
	}
	if (optind < argc) {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
			if (strcmp(argv[optind], commands[i].name) == 0) {
				/* Each command parses its own options, from its name on. */
				int sub_argc = argc - optind;
				char **sub_argv = argv + optind;
				optind = 0; /* glibc: start afresh */
				return commands[i].fn(sub_argc, sub_argv, &c);
			}
		}
	}
	return cmd_browse(argc, argv, &c);
}
