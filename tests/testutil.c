#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

const char *tu_tmpdir(void)
{
	if (!tmpdir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmpdir, sizeof tmpdir, "%s/lanyard-test-XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			exit(1);
		}
	}
	return tmpdir;
}

static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

char *tu_write(const char *name, const char *data, size_t len)
{
	char *p = path_in(tu_tmpdir(), name);
	FILE *f = fopen(p, "wb");
	if (!f) {
		perror(p);
		abort();
	}
	if (len == (size_t)-1)
		len = strlen(data);
	fwrite(data, 1, len, f);
	fclose(f);
	return p;
}

char *tu_data(const char *name)
{
	const char *root = getenv("LANYARD_SRCDIR");
	char *dir = path_in(root && *root ? root : ".", "tests/data");
	char *p = path_in(dir, name);
	free(dir);
	return p;
}

struct store *tu_store(const char *name)
{
	char *p = path_in(tu_tmpdir(), name);
	struct store *st = NULL;
	struct ly_error err;
	if (store_open(&st, p, &err) != LY_OK) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	free(p);
	return st;
}

struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

char *tu_fingerprint(struct store *st)
{
	sqlite3 *db = store_db(st);
	struct buf b = { 0 };
	put(&b, "");
	sqlite3_stmt *tables;
	sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
	                   " AND name NOT LIKE '%fts%' ORDER BY name", -1, &tables, NULL);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		put(&b, (const char *)sqlite3_column_text(tables, 1));
		put(&b, "\n");
		char *q = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY 1", name);
		sqlite3_stmt *rows;
		if (sqlite3_prepare_v2(db, q, -1, &rows, NULL) == SQLITE_OK) {
			while (sqlite3_step(rows) == SQLITE_ROW) {
				for (int i = 0; i < sqlite3_column_count(rows); i++) {
					const unsigned char *v = sqlite3_column_text(rows, i);
					put(&b, v ? (const char *)v : "NULL");
					put(&b, "|");
				}
				put(&b, "\n");
			}
			sqlite3_finalize(rows);
		}
		sqlite3_free(q);
	}
	sqlite3_finalize(tables);
	return b.s;
}

void tu_cleanup(void)
{
	if (tmpdir[0]) {
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
		tmpdir[0] = '\0';
	}
}

char *tu_query(struct store *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	sqlite3_stmt *s;
	char *out;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		const char *msg = sqlite3_errmsg(store_db(st));
		size_t n = strlen(sql) + strlen(msg) + 16;
		if ((out = malloc(n)))
			snprintf(out, n, "(error: %s: %s)", sql, msg);
	} else {
		const char *v = "(none)";
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_type(s, 0) == SQLITE_NULL ? "NULL" : (const char *)sqlite3_column_text(s, 0);
		out = strdup(v);
		sqlite3_finalize(s);
	}
	sqlite3_free(sql);
	if (!out)
		abort();
	return out;
}

const struct reader_rec *tu_rec(struct tu_rec *k, long line, const char *cells)
{
	free(k->buf);
	k->buf = strdup(cells);
	if (!k->buf)
		abort();
	size_t n = 0;
	for (char *p = k->buf; n < TU_REC_MAX;) {
		k->f[n] = p;
		char *bar = strchr(p, '|');
		if (bar)
			*bar = '\0';
		k->len[n] = strlen(p);
		n++;
		if (!bar)
			break;
		p = bar + 1;
	}
	k->r = (struct reader_rec){ .n = n, .f = k->f, .len = k->len, .line = line };
	return &k->r;
}

void tu_rec_free(struct tu_rec *k)
{
	free(k->buf);
	k->buf = NULL;
}

void tu_collect(void *ctx, const char *msg)
{
	struct tu_msgs *m = ctx;
	int w = snprintf(m->text + m->len, sizeof m->text - m->len, "%s\n", msg);
	if (w > 0 && m->len + (size_t)w < sizeof m->text)
		m->len += (size_t)w;
}
