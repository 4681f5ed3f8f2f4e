/* The reader stage alone: bytes -> records with line numbers, and its
 * bounds (no line or record past 16 MB, binary data refused early). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lanyard/import_reader.h"
#include "testutil.h"

/* Records as text: "LINE:field|field\n". */
struct got {
	char text[4096];
	size_t len;
	size_t last_n, last_overflow;
};

static int on_rec(void *ctx, const struct reader_rec *r)
{
	struct got *g = ctx;
	int w = snprintf(g->text + g->len, sizeof g->text - g->len, "%ld:", r->line);
	g->len += w > 0 ? (size_t)w : 0;
	for (size_t i = 0; i < r->n && i < 8; i++) {
		w = snprintf(g->text + g->len, sizeof g->text - g->len, "%s%s", i ? "|" : "", r->f[i]);
		g->len += w > 0 ? (size_t)w : 0;
		if (g->len >= sizeof g->text)
			g->len = sizeof g->text - 1;
	}
	w = snprintf(g->text + g->len, sizeof g->text - g->len, "\n");
	g->len += w > 0 ? (size_t)w : 0;
	g->last_n = r->n;
	g->last_overflow = r->overflow;
	return LY_OK;
}

static int read_path(const char *path, struct got *g, struct ly_error *err, struct reader_stats *st)
{
	memset(g, 0, sizeof *g);
	struct imp_log lg = { .path = "in.csv", .err = err };
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	int rc = reader_run(f, &lg, on_rec, g, st);
	fclose(f);
	return rc;
}

static int read_text(const char *text, size_t len, struct got *g, struct ly_error *err)
{
	char *p = tu_write("in.csv", text, len);
	struct reader_stats st;
	int rc = read_path(p, g, err, &st);
	free(p);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

static void test_records_and_lines(void **state)
{
	(void)state;
	struct got g;
	struct ly_error err = { { 0 } };
	static const char csv[] = "\xef\xbb\xbf" "a,b\r\n\"x\ny\",z\r\n\r\nlast,\"say \"\"hi\"\"\"";
	assert_int_equal(read_text(csv, sizeof csv - 1, &g, &err), LY_OK);
	assert_string_equal(g.text, "1:a|b\n2:x\ny|z\n5:last|say \"hi\"\n");
	/* The delimiter is sniffed from the first record. */
	static const char semi[] = "\n\ntitle;start\nA, B;09:00\n";
	assert_int_equal(read_text(semi, sizeof semi - 1, &g, &err), LY_OK);
	assert_string_equal(g.text, "3:title|start\n4:A, B|09:00\n");
	/* A line that is not UTF-8 is read as Windows-1252. */
	static const char cp[] = "t\nCaf\xe9\n";
	assert_int_equal(read_text(cp, sizeof cp - 1, &g, &err), LY_OK);
	assert_string_equal(g.text, "1:t\n2:Caf\xc3\xa9\n");
}

static void test_binary_found_early(void **state)
{
	(void)state;
	struct got g;
	struct ly_error err = { { 0 } };
	struct reader_stats st;
	/* /dev/zero never ends: the first block already says binary. */
	assert_int_equal(read_path("/dev/zero", &g, &err, &st), LY_ERR);
	assert_string_equal(err.msg, "in.csv:1: error: binary data, not a CSV schedule");
	assert_int_equal(g.len, 0);
	/* A NUL after some lines is named at its line, before those lines'
	 * records reach the next stage. */
	static const char later[] = "a,b\n1,2\n3,\0\n";
	assert_int_equal(read_text(later, sizeof later - 1, &g, &err), LY_ERR);
	assert_string_equal(err.msg, "in.csv:3: error: binary data, not a CSV schedule");
}

static void test_line_and_record_caps(void **state)
{
	(void)state;
	struct got g;
	struct ly_error err = { { 0 } };
	size_t n = READER_REC_MAX + (2u << 20);
	char *big = malloc(n + 16);
	assert_non_null(big);
	/* One line with no end. */
	memcpy(big, "title\n", 6);
	memset(big + 6, 'a', n - 6);
	assert_int_equal(read_text(big, n, &g, &err), LY_ERR);
	assert_string_equal(err.msg, "in.csv:2: error: a line longer than 16 MB: not a schedule");
	assert_string_equal(g.text, "1:title\n");
	/* A quoted field that never closes, over many short lines. */
	memcpy(big, "title\n\"", 7);
	for (size_t i = 7; i < n; i++)
		big[i] = i % 64 == 0 ? '\n' : 'b';
	assert_int_equal(read_text(big, n, &g, &err), LY_ERR);
	assert_string_equal(err.msg, "in.csv:2: error: a record longer than 16 MB: not a schedule");
	free(big);
}

static void test_many_fields(void **state)
{
	(void)state;
	struct got g;
	struct ly_error err = { { 0 } };
	size_t cols = READER_MAX_FIELDS + 10;
	char *row = malloc(cols * 2 + 8);
	assert_non_null(row);
	size_t o = 0;
	for (size_t i = 0; i < cols; i++) {
		row[o++] = 'x';
		row[o++] = i + 1 < cols ? ',' : '\n';
	}
	assert_int_equal(read_text(row, o, &g, &err), LY_OK);
	assert_int_equal(g.last_n, READER_MAX_FIELDS);
	assert_int_equal(g.last_overflow, 10);
	free(row);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_records_and_lines, teardown),
		cmocka_unit_test_teardown(test_binary_found_early, teardown),
		cmocka_unit_test_teardown(test_line_and_record_caps, teardown),
		cmocka_unit_test_teardown(test_many_fields, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
