/* Display width, truncation, sanitising and wrapping of UTF-8 text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/text.h"

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("日本語"), 6);
	assert_int_equal(text_width("e\xCC\x81"), 1);      /* e + combining acute */
	assert_int_equal(text_width("Zoë Ørsted"), 10);
	assert_int_equal(text_width("🎉"), 2);
	assert_int_equal(text_width(""), 0);
}

static void test_fit_middle(void **state)
{
	(void)state;
	char out[64];
	/* Fits: unchanged. */
	assert_int_equal(text_fit_middle("CI/CD", 13, out, sizeof out), 5);
	assert_string_equal(out, "CI/CD");
	/* Names that differ at the end stay apart: the head gets a third of
	 * the room, the tail the rest. */
	assert_int_equal(text_fit_middle("Cloud Native Telco Day", 14, out, sizeof out), 14);
	assert_string_equal(out, "Clou\xe2\x80\xa6Telco Day");
	assert_int_equal(text_fit_middle("Cloud Native eBPF Day", 11, out, sizeof out), 11);
	assert_string_equal(out, "Clo\xe2\x80\xa6" "BPF Day");
	/* A space where the tail would start is skipped, and the column it
	 * frees goes back to the head. */
	assert_int_equal(text_fit_middle("Cloud Native eBPF Day", 14, out, sizeof out), 14);
	assert_string_equal(out, "Cloud\xe2\x80\xa6" "eBPF Day");
	assert_int_equal(text_fit_middle("Kubernetes on Edge Day", 14, out, sizeof out), 14);
	assert_string_equal(out, "Kuber\xe2\x80\xa6" "Edge Day");
	/* The head never goes past the first word. */
	assert_int_equal(text_fit_middle("Ops and Tracing Together", 14, out, sizeof out), 14);
	assert_string_equal(out, "Ops\xe2\x80\xa6" "g Together");
	/* Wide characters are measured in columns, never split. */
	assert_int_equal(text_fit_middle("\xe6\x97\xa5\xe6\x9c\xac \xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88", 8, out, sizeof out), 7);
	assert_string_equal(out, "\xe6\x97\xa5\xe2\x80\xa6\xe3\x82\xb9\xe3\x83\x88");
	/* Too narrow for a middle: an end ellipsis. */
	assert_int_equal(text_fit_middle("Cloud Native eBPF Day", 4, out, sizeof out), 4);
	assert_string_equal(out, "Clo\xe2\x80\xa6");
}

static void test_fit(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(text_fit("Backstage", 20, out, sizeof out), 9);
	assert_string_equal(out, "Backstage");
	assert_int_equal(text_fit("Backstage", 5, out, sizeof out), 5);
	assert_string_equal(out, "Back…");
	/* A wide character never straddles the edge. */
	assert_int_equal(text_fit("日本語テスト", 6, out, sizeof out), 5);
	assert_string_equal(out, "日本…");
	assert_int_equal(text_fit("日本語", 6, out, sizeof out), 6);
	assert_string_equal(out, "日本語");
	assert_int_equal(text_fit("abc", 0, out, sizeof out), 0);
	assert_string_equal(out, "");
	/* Combining marks stay with their base. */
	assert_int_equal(text_fit("e\xCC\x81" "abc", 2, out, sizeof out), 2);
	assert_string_equal(out, "e\xCC\x81…");
}

static void check_sanitize(const char *in, bool nl, const char *want)
{
	char *s = text_sanitize(in, nl);
	assert_string_equal(s, want);
	free(s);
}

static void test_sanitize(void **state)
{
	(void)state;
	check_sanitize("plain", false, "plain");
	check_sanitize("title\x1b]0;pwned\x07 end", false, "title end");
	check_sanitize("\x1b[31mred\x1b[0m", false, "red");
	check_sanitize("bell\x07!", false, "bell !");
	check_sanitize("a\r\nb", false, "a b");
	check_sanitize("a\r\nb", true, "a\nb");
	check_sanitize("tab\there", false, "tab here");
	check_sanitize("del\x7f.", false, "del .");
	check_sanitize("c1 \xc2\x9b" "31m csi", false, "c1  csi");
	check_sanitize("bad \xff byte", false, "bad \xEF\xBF\xBD byte");
	check_sanitize("osc st \x1b]2;x\x1b\\ok", false, "osc st ok");
	check_sanitize("rtl \xE2\x80\xAE" "evil", false, "rtl evil");
	check_sanitize("日本語", false, "日本語");
	check_sanitize("\x1b", false, "");
	check_sanitize(NULL, false, "");
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(text_valid_utf8("Zoë", 4));
	assert_false(text_valid_utf8("Zo\xeb", 3));
	assert_false(text_valid_utf8("\xc0\xaf", 2));      /* overlong */
	assert_false(text_valid_utf8("\xed\xa0\x80", 3));  /* surrogate */
	char buf[4];
	assert_int_equal(text_encode(0x1F389, buf), 4);
	uint32_t cp;
	assert_int_equal(text_decode(buf, 4, &cp), 4);
	assert_int_equal(cp, 0x1F389);
}

struct lines {
	char text[16][64];
	int n;
};

static void collect(void *ctx, const char *line, size_t len)
{
	struct lines *l = ctx;
	assert_true(l->n < 16 && len < 64);
	memcpy(l->text[l->n], line, len);
	l->text[l->n][len] = '\0';
	l->n++;
}

static void test_wrap(void **state)
{
	(void)state;
	struct lines l = { 0 };
	assert_int_equal(text_wrap("the big red button halts", 10, collect, &l), 3);
	assert_string_equal(l.text[0], "the big");
	assert_string_equal(l.text[1], "red button");
	assert_string_equal(l.text[2], "halts");
	memset(&l, 0, sizeof l);
	assert_int_equal(text_wrap("日本語テスト", 5, collect, &l), 3);
	assert_string_equal(l.text[0], "日本");
	assert_string_equal(l.text[2], "テスト" + 3);
	memset(&l, 0, sizeof l);
	assert_int_equal(text_wrap("one\n\ntwo", 10, collect, &l), 3);
	assert_string_equal(l.text[1], "");
	memset(&l, 0, sizeof l);
	assert_int_equal(text_wrap("supercalifragilistic", 8, collect, &l), 3);
	assert_string_equal(l.text[0], "supercal");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_fit_middle),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
