/* libFuzzer target for the text code used before drawing (text.h): any
 * bytes, as a title, a room or a takeaway from the database.
 *
 *  - text_sanitize gives valid UTF-8 with no C0 or C1 control, DEL or ESC
 *    (only '\n', and only when newlines are kept): nothing that could
 *    drive a terminal;
 *  - text_fit and text_fit_middle write valid UTF-8 no wider than asked
 *    (a cut shows "…"), and text_prefix's prefix fits;
 *  - text_wrap's lines each fit (a wide character alone in one column
 *    excepted) and hold no newline;
 *  - decoding always moves forward, and measuring agrees with the sum of
 *    its parts.
 * A broken rule aborts, which libFuzzer (or the replay driver) reports.
 *
 *   make fuzz                      all three targets
 *   build/tests/test_fuzz_text     the corpus, in every test run */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_text: %s\n", what);
	abort();
}

static void check_safe(const char *s, bool newlines)
{
	size_t n = strlen(s);
	if (!text_valid_utf8(s, n))
		fail("sanitised text is not valid UTF-8");
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		if (len < 1 || len > 4)
			fail("decoding did not move forward");
		if (cp == '\n' && !newlines)
			fail("a newline where none may be");
		if ((cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp < 0xa0))
			fail("a control character survived sanitising");
		i += len;
	}
}

struct wrap {
	int cols;
};

static void on_line(void *ctx, const char *line, size_t len)
{
	const struct wrap *w = ctx;
	char *copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, line, len);
	copy[len] = '\0';
	if (memchr(copy, '\n', len))
		fail("a wrapped line holds a newline");
	int width = text_width(copy);
	uint32_t cp;
	size_t first = len ? text_decode(copy, len, &cp) : 0;
	/* One character wider than the columns has to go somewhere. */
	if (width > w->cols && !(first == len || (w->cols < 2 && width <= 2)))
		fail("a wrapped line is wider than the columns");
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	char *raw = malloc(size + 1);
	if (!raw)
		return 0;
	memcpy(raw, data, size);
	raw[size] = '\0';
	int cols = size ? data[0] % 90 : 10; /* the columns come from the input too */
	for (int keep = 0; keep < 2; keep++) {
		char *s = text_sanitize(raw, keep);
		if (!s)
			fail("out of memory");
		check_safe(s, keep);
		int sum = 0;
		size_t n = strlen(s);
		for (size_t i = 0; i < n;) {
			uint32_t cp;
			i += text_decode(s + i, n - i, &cp);
			sum += text_cpwidth(cp);
		}
		if (text_width(s) != sum)
			fail("text_width is not the sum of the code points' widths");
		if (!keep) {
			char out[1024];
			for (int c = 0; c < 3; c++) {
				int want = c == 0 ? cols : c == 1 ? 1 : 80;
				int w = text_fit(s, want, out, sizeof out);
				if (w > want || text_width(out) != w || !text_valid_utf8(out, strlen(out)))
					fail("text_fit wrote more than it was given room for");
				w = text_fit_middle(s, want, out, sizeof out);
				if (w > want || text_width(out) > want || !text_valid_utf8(out, strlen(out)))
					fail("text_fit_middle wrote more than it was given room for");
				int pw = -1;
				size_t pre = text_prefix(s, want, &pw);
				if (pre > n || pw > want)
					fail("text_prefix went past the columns");
				char *p = strndup(s, pre);
				if (p && text_width(p) != pw)
					fail("text_prefix's width is not its prefix's");
				free(p);
			}
		}
		struct wrap w = { cols > 0 ? cols : 1 };
		text_wrap(s, w.cols, on_line, &w);
		free(s);
	}
	free(raw);
	return 0;
}
