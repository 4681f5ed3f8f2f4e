/* The editor's text buffer: clusters, edits, motions, soft wrapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/error.h"
#include "lanyard/text.h"
#include "lanyard/textbuf.h"

#define ACUTE "\xCC\x81"      /* U+0301 combining acute accent */
#define GRAVE "\xCC\x80"      /* U+0300 combining grave accent */
#define PARTY "\xF0\x9F\x8E\x89" /* U+1F389 🎉 */

static struct textbuf *tb(const char *text)
{
	struct textbuf *b = textbuf_new(text);
	assert_non_null(b);
	return b;
}

/* The rows at width cols as "row|row|row". */
static char *rows(struct textbuf *b, int cols)
{
	static char out[1024];
	size_t o = 0;
	int n = textbuf_rows(b, cols);
	assert_true(n >= 1);
	for (int r = 0; r < n; r++) {
		const struct textbuf_row *row = textbuf_row(b, cols, r);
		assert_non_null(row);
		if (r)
			out[o++] = '|';
		size_t len = row->end - row->start;
		assert_true(o + len + 2 < sizeof out);
		memcpy(out + o, textbuf_text(b) + row->start, len);
		o += len;
	}
	out[o] = '\0';
	assert_null(textbuf_row(b, cols, n));
	assert_null(textbuf_row(b, cols, -1));
	return out;
}

static void assert_rc(struct textbuf *b, int cols, int row, int col)
{
	int r, c;
	textbuf_cursor_rc(b, cols, &r, &c);
	if (r != row || c != col)
		fail_msg("cursor at %zu is row %d col %d, expected row %d col %d", textbuf_cursor(b), r, c, row, col);
}

static void test_new_set_insert(void **state)
{
	(void)state;
	struct textbuf *b = tb(NULL);
	assert_string_equal(textbuf_text(b), "");
	assert_int_equal(textbuf_len(b), 0);
	assert_int_equal(textbuf_cursor(b), 0);
	assert_int_equal(textbuf_gen(b), 0);
	assert_int_equal(textbuf_insert(b, "hello"), LY_OK);
	assert_string_equal(textbuf_text(b), "hello");
	assert_int_equal(textbuf_cursor(b), 5);
	textbuf_set_cursor(b, 0);
	assert_int_equal(textbuf_insert(b, "oh, "), LY_OK);
	assert_string_equal(textbuf_text(b), "oh, hello");
	assert_int_equal(textbuf_cursor(b), 4);
	assert_int_equal(textbuf_set(b, "new\ntext"), LY_OK);
	assert_string_equal(textbuf_text(b), "new\ntext");
	assert_int_equal(textbuf_cursor(b), 8);
	textbuf_free(b);

	b = tb("initial");
	assert_int_equal(textbuf_cursor(b), 7);  /* opens at the end */
	assert_int_equal(textbuf_gen(b), 0);     /* the initial text is not a change */
	textbuf_free(b);
	textbuf_free(NULL);
}

static void test_generation(void **state)
{
	(void)state;
	struct textbuf *b = tb("ab");
	unsigned long g = textbuf_gen(b);
	textbuf_left(b);
	textbuf_word_left(b);
	textbuf_end(b, 10);
	textbuf_up(b, 10, 1);
	textbuf_set_cursor(b, 1);
	assert_int_equal(textbuf_gen(b), g);          /* motion is not a change */
	assert_int_equal(textbuf_insert(b, ""), LY_OK);
	assert_int_equal(textbuf_insert(b, "\x01"), LY_OK); /* a control alone: becomes a space */
	assert_true(textbuf_gen(b) > g);
	g = textbuf_gen(b);
	textbuf_set_cursor(b, 0);
	assert_false(textbuf_backspace(b));           /* nothing before */
	textbuf_set_cursor(b, textbuf_len(b));
	assert_false(textbuf_delete(b));              /* nothing after */
	assert_int_equal(textbuf_gen(b), g);
	assert_true(textbuf_backspace(b));
	assert_int_equal(textbuf_gen(b), g + 1);
	textbuf_free(b);
}

static void test_wide_characters(void **state)
{
	(void)state;
	struct textbuf *b = tb("日本語");
	assert_int_equal(textbuf_len(b), 9);
	assert_rc(b, 20, 0, 6);
	textbuf_left(b);
	assert_int_equal(textbuf_cursor(b), 6);
	assert_rc(b, 20, 0, 4);
	assert_int_equal(textbuf_insert(b, "x"), LY_OK);
	assert_string_equal(textbuf_text(b), "日本x語");
	assert_true(textbuf_backspace(b));
	assert_true(textbuf_backspace(b));
	assert_string_equal(textbuf_text(b), "日語");
	assert_int_equal(textbuf_cursor(b), 3);
	assert_true(textbuf_delete(b));
	assert_string_equal(textbuf_text(b), "日");
	textbuf_left(b);
	assert_int_equal(textbuf_cursor(b), 0);
	textbuf_left(b);
	assert_int_equal(textbuf_cursor(b), 0);
	textbuf_right(b);
	assert_int_equal(textbuf_cursor(b), 3);
	textbuf_right(b);
	assert_int_equal(textbuf_cursor(b), 3);

	/* Emoji: four bytes, two columns. */
	assert_int_equal(textbuf_set(b, "a" PARTY "b"), LY_OK);
	assert_rc(b, 20, 0, 4);
	textbuf_left(b);
	textbuf_left(b);
	assert_int_equal(textbuf_cursor(b), 1);
	assert_rc(b, 20, 0, 1);
	assert_true(textbuf_delete(b));
	assert_string_equal(textbuf_text(b), "ab");
	assert_int_equal(textbuf_insert(b, PARTY PARTY), LY_OK);
	assert_int_equal(textbuf_cursor(b), 9);
	assert_true(textbuf_backspace(b));
	assert_string_equal(textbuf_text(b), "a" PARTY "b");

	/* A cursor set inside a character goes back to its start. */
	textbuf_set_cursor(b, 3);
	assert_int_equal(textbuf_cursor(b), 1);
	textbuf_set_cursor(b, 1000);
	assert_int_equal(textbuf_cursor(b), textbuf_len(b));
	textbuf_free(b);
}

static void test_combining_marks(void **state)
{
	(void)state;
	/* "café" with e + U+0301: the e and its accent are one unit. */
	struct textbuf *b = tb("cafe" ACUTE "!");
	assert_int_equal(textbuf_len(b), 7);
	assert_rc(b, 20, 0, 5);
	textbuf_left(b);
	assert_int_equal(textbuf_cursor(b), 6);
	textbuf_left(b);
	assert_int_equal(textbuf_cursor(b), 3);       /* before e, not between e and ´ */
	assert_rc(b, 20, 0, 3);
	textbuf_right(b);
	assert_int_equal(textbuf_cursor(b), 6);
	assert_true(textbuf_backspace(b));            /* removes e and ´ together */
	assert_string_equal(textbuf_text(b), "caf!");
	assert_int_equal(textbuf_cursor(b), 3);

	/* Typing the mark after its base: the cursor stays after both. */
	assert_int_equal(textbuf_insert(b, "e"), LY_OK);
	assert_int_equal(textbuf_insert(b, ACUTE), LY_OK);
	assert_string_equal(textbuf_text(b), "cafe" ACUTE "!");
	assert_int_equal(textbuf_cursor(b), 6);
	textbuf_set_cursor(b, 3);
	assert_true(textbuf_delete(b));
	assert_string_equal(textbuf_text(b), "caf!");

	/* Several marks stay with their base. */
	assert_int_equal(textbuf_set(b, "xa" ACUTE GRAVE "y"), LY_OK);
	textbuf_set_cursor(b, 4);                     /* between the two marks */
	assert_int_equal(textbuf_cursor(b), 1);
	textbuf_right(b);
	assert_int_equal(textbuf_cursor(b), 6);

	/* A mark at the start of a line has no base: it is its own cluster, one
	 * column wide (drawn over a space). */
	assert_int_equal(textbuf_set(b, "a\n" ACUTE "b"), LY_OK);
	assert_rc(b, 20, 1, 2);
	textbuf_left(b);
	textbuf_left(b);
	assert_int_equal(textbuf_cursor(b), 2);
	assert_rc(b, 20, 1, 0);
	/* Deleting the newline joins the mark to the 'a': the cursor moves to
	 * the end of the cluster it would otherwise split. */
	assert_true(textbuf_backspace(b));
	assert_string_equal(textbuf_text(b), "a" ACUTE "b");
	assert_int_equal(textbuf_cursor(b), 3);
	assert_int_equal(textbuf_cluster_len(b, 0), 3);
	assert_int_equal(textbuf_cluster_width(b, 0), 1);
	textbuf_free(b);
}

static void test_invalid_input(void **state)
{
	(void)state;
	struct textbuf *b = tb("a\xff" "b");
	assert_string_equal(textbuf_text(b), "a\xEF\xBF\xBD" "b");   /* U+FFFD */
	/* Truncated and overlong sequences, surrogates. */
	assert_int_equal(textbuf_set(b, "\xe6\x97"), LY_OK);
	assert_string_equal(textbuf_text(b), "\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_int_equal(textbuf_set(b, "\xc0\xaf\xed\xa0\x80"), LY_OK);
	for (size_t i = 0; i < textbuf_len(b); i += 3)
		assert_memory_equal(textbuf_text(b) + i, "\xEF\xBF\xBD", 3);
	/* Controls: TAB and others become a space, CRLF a newline, escape
	 * sequences and bidi overrides go. */
	assert_int_equal(textbuf_set(b, ""), LY_OK);
	assert_int_equal(textbuf_insert(b, "a\x01" "b\tc\r\nd\x1b[31me\x1b[0m\x7f" "f\xE2\x80\xAEg"), LY_OK);
	assert_string_equal(textbuf_text(b), "a b c\nde fg");
	assert_int_equal(textbuf_cursor(b), textbuf_len(b));
	textbuf_free(b);
}

static void test_wrap_by_display_width(void **state)
{
	(void)state;
	/* The last column is the cursor's: 6 columns hold 5 of text. */
	struct textbuf *b = tb("abcde");
	assert_string_equal(rows(b, 6), "abcde");
	assert_string_equal(rows(b, 5), "abcd|e");
	/* A wide character at the edge moves to the next row. */
	assert_int_equal(textbuf_set(b, "abcd日"), LY_OK);
	assert_string_equal(rows(b, 6), "abcd|日");
	assert_string_equal(rows(b, 7), "abcd日");
	assert_int_equal(textbuf_set(b, "日本語テキスト"), LY_OK);
	assert_string_equal(rows(b, 6), "日本|語テ|キス|ト");
	assert_string_equal(rows(b, 7), "日本語|テキス|ト");
	assert_int_equal(textbuf_row(b, 7, 0)->width, 6);
	assert_int_equal(textbuf_set(b, "ab" PARTY PARTY), LY_OK);
	assert_string_equal(rows(b, 6), "ab" PARTY "|" PARTY);
	/* Combining marks take no column. */
	assert_int_equal(textbuf_set(b, "e" ACUTE "e" ACUTE "e" ACUTE "e" ACUTE "e" ACUTE "x"), LY_OK);
	assert_string_equal(rows(b, 6), "e" ACUTE "e" ACUTE "e" ACUTE "e" ACUTE "e" ACUTE "|x");
	/* Too narrow for one wide character: a row still takes one. */
	assert_int_equal(textbuf_set(b, "日本"), LY_OK);
	assert_string_equal(rows(b, 2), "日|本");
	assert_string_equal(rows(b, 1), "日|本");
	assert_string_equal(rows(b, 0), "日|本");
	textbuf_free(b);
}

static void test_wrap_at_spaces(void **state)
{
	(void)state;
	struct textbuf *b = tb("the quick brown fox");
	assert_string_equal(rows(b, 12), "the quick |brown fox");
	assert_string_equal(rows(b, 8), "the |quick |brown |fox");
	/* A space may fill the cursor's column; a second one wraps. */
	assert_int_equal(textbuf_set(b, "hello world"), LY_OK);
	assert_string_equal(rows(b, 6), "hello |world");
	assert_int_equal(textbuf_row(b, 6, 0)->width, 6);
	assert_false(textbuf_row(b, 6, 0)->hard);
	assert_true(textbuf_row(b, 6, 1)->hard);
	/* Spaces after a word hang at the end of its row, past the edge if
	 * need be: the next row never starts with them. */
	assert_int_equal(textbuf_set(b, "hello   world"), LY_OK);
	assert_string_equal(rows(b, 6), "hello   |world");
	assert_int_equal(textbuf_row(b, 6, 0)->width, 6);
	textbuf_set_cursor(b, 7);
	assert_rc(b, 6, 0, 5);                   /* shown in the last column */
	textbuf_set_cursor(b, 8);
	assert_rc(b, 6, 1, 0);
	/* Leading spaces are text like any other. */
	assert_int_equal(textbuf_set(b, "        x"), LY_OK);
	assert_string_equal(rows(b, 6), "      |  x");
	/* A word longer than the row breaks between characters. */
	assert_int_equal(textbuf_set(b, "a supercalifragilistic b"), LY_OK);
	assert_string_equal(rows(b, 8), "a |superca|lifragi|listic |b");
	/* Spaces and wide text. */
	assert_int_equal(textbuf_set(b, "日本 語テキスト"), LY_OK);
	assert_string_equal(rows(b, 8), "日本 |語テキ|スト");
	textbuf_free(b);
}

static void test_wrap_hard_newlines(void **state)
{
	(void)state;
	struct textbuf *b = tb("");
	assert_string_equal(rows(b, 10), "");
	assert_int_equal(textbuf_rows(b, 10), 1);
	assert_int_equal(textbuf_set(b, "one\n\ntwo\n"), LY_OK);
	assert_int_equal(textbuf_rows(b, 10), 4);
	assert_string_equal(rows(b, 10), "one||two|");
	assert_rc(b, 10, 3, 0);                      /* after the final newline */
	assert_true(textbuf_row(b, 10, 0)->hard);
	/* The cursor before a '\n' is at the end of its row. */
	textbuf_set_cursor(b, 3);
	assert_rc(b, 10, 0, 3);
	textbuf_set_cursor(b, 4);
	assert_rc(b, 10, 1, 0);
	textbuf_free(b);
}

static void test_cursor_row_col(void **state)
{
	(void)state;
	struct textbuf *b = tb("hello world");
	/* "hello |world" at 6: the cursor before the space is in the last
	 * column, after it at the start of the next row. */
	textbuf_set_cursor(b, 5);
	assert_rc(b, 6, 0, 5);
	textbuf_set_cursor(b, 6);
	assert_rc(b, 6, 1, 0);
	textbuf_set_cursor(b, 11);
	assert_rc(b, 6, 1, 5);
	/* Wide characters count two columns. */
	assert_int_equal(textbuf_set(b, "日本語テキスト"), LY_OK);
	textbuf_set_cursor(b, 9);                    /* before テ: row 1 of "日本語|テキス|ト" */
	assert_rc(b, 7, 1, 0);
	textbuf_set_cursor(b, 12);
	assert_rc(b, 7, 1, 2);
	int r, c;
	textbuf_offset_rc(b, 7, 21, &r, &c);
	assert_int_equal(r, 2);
	assert_int_equal(c, 2);
	/* From a position: the left half or right half of a wide character
	 * lands before it; past the end of a soft row, before its last cluster. */
	assert_int_equal(textbuf_offset_at(b, 7, 1, 2), 12);
	assert_int_equal(textbuf_offset_at(b, 7, 1, 3), 12);
	assert_int_equal(textbuf_offset_at(b, 7, 1, 99), 15);
	assert_int_equal(textbuf_offset_at(b, 7, 2, 99), 21);  /* hard row: its end */
	assert_int_equal(textbuf_offset_at(b, 7, 99, 0), 18);  /* clamped to the last row */
	assert_int_equal(textbuf_offset_at(b, 7, -3, 0), 0);
	textbuf_free(b);
}

static void test_up_down_keep_column(void **state)
{
	(void)state;
	struct textbuf *b = tb("abcdefgh\nab\nabcdefgh");
	textbuf_set_cursor(b, 6);
	assert_rc(b, 40, 0, 6);
	textbuf_down(b, 40, 1);
	assert_rc(b, 40, 1, 2);      /* a short row: its end */
	textbuf_down(b, 40, 1);
	assert_rc(b, 40, 2, 6);      /* the column comes back */
	textbuf_up(b, 40, 2);
	assert_rc(b, 40, 0, 6);
	/* Up from the first row goes to the start, down from the last to the end. */
	textbuf_up(b, 40, 1);
	assert_int_equal(textbuf_cursor(b), 0);
	textbuf_down(b, 40, 1);
	textbuf_down(b, 40, 1);
	textbuf_down(b, 40, 1);
	assert_int_equal(textbuf_cursor(b), textbuf_len(b));
	/* A horizontal move forgets the column. */
	textbuf_set_cursor(b, 6);
	textbuf_down(b, 40, 1);
	textbuf_left(b);
	textbuf_down(b, 40, 1);
	assert_rc(b, 40, 2, 1);

	/* Across wide characters: column 3 falls inside 本, the cursor goes
	 * before it, and comes back to column 3 below. */
	assert_int_equal(textbuf_set(b, "abcdef\n日本語\nabcdef"), LY_OK);
	textbuf_set_cursor(b, 3);
	textbuf_down(b, 40, 1);
	assert_rc(b, 40, 1, 2);
	assert_int_equal(textbuf_cursor(b), 10);
	textbuf_down(b, 40, 1);
	assert_rc(b, 40, 2, 3);
	textbuf_up(b, 40, 1);
	textbuf_up(b, 40, 1);
	assert_rc(b, 40, 0, 3);

	/* Through soft-wrapped rows: "the |quick |brown" at 7. */
	assert_int_equal(textbuf_set(b, "the quick brown"), LY_OK);
	assert_string_equal(rows(b, 7), "the |quick |brown");
	textbuf_set_cursor(b, 0);
	textbuf_end(b, 7);
	assert_rc(b, 7, 0, 3);       /* before the space, still on row 0 */
	textbuf_down(b, 7, 1);
	assert_rc(b, 7, 1, 3);
	textbuf_down(b, 7, 1);
	assert_rc(b, 7, 2, 3);
	textbuf_set_cursor(b, 9);    /* after "quick" */
	textbuf_up(b, 7, 1);
	assert_rc(b, 7, 0, 3);       /* row 0 is "the ": before its space */
	textbuf_down(b, 7, 1);
	assert_rc(b, 7, 1, 5);
	/* Several rows at once (page up / down). */
	textbuf_set_cursor(b, 1);
	textbuf_down(b, 7, 5);
	assert_rc(b, 7, 2, 1);
	textbuf_up(b, 7, 5);
	assert_rc(b, 7, 0, 1);
	textbuf_free(b);
}

static void test_home_end(void **state)
{
	(void)state;
	struct textbuf *b = tb("first line\nthe quick brown fox");
	/* "first |line|the |quick |brown |fox" at 7. */
	assert_string_equal(rows(b, 7), "first |line|the |quick |brown |fox");
	textbuf_set_cursor(b, 17);              /* in "quick" */
	textbuf_home(b, 7);
	assert_int_equal(textbuf_cursor(b), 15); /* start of the visual row */
	textbuf_end(b, 7);
	assert_int_equal(textbuf_cursor(b), 20); /* before its trailing space */
	assert_rc(b, 7, 3, 5);
	textbuf_line_start(b);
	assert_int_equal(textbuf_cursor(b), 11);
	textbuf_line_end(b);
	assert_int_equal(textbuf_cursor(b), 30);
	textbuf_home(b, 7);
	assert_int_equal(textbuf_cursor(b), 27);
	textbuf_end(b, 7);
	assert_int_equal(textbuf_cursor(b), 30); /* a hard row: after its end */
	textbuf_set_cursor(b, 2);
	textbuf_line_end(b);
	assert_int_equal(textbuf_cursor(b), 10);
	textbuf_line_start(b);
	assert_int_equal(textbuf_cursor(b), 0);
	/* A soft row broken inside a word: End stops before its last cluster. */
	assert_int_equal(textbuf_set(b, "日本語テキスト"), LY_OK);
	textbuf_set_cursor(b, 0);
	textbuf_end(b, 7);
	assert_int_equal(textbuf_cursor(b), 6);
	assert_rc(b, 7, 0, 4);
	textbuf_free(b);
}

static void test_word_motions(void **state)
{
	(void)state;
	const char *s = "hello, wörld 日本語 foo_bar.\nnext";
	struct textbuf *b = tb(s);
	size_t stops_right[] = { 5, 13, 23, 31, 37, 37 };
	textbuf_set_cursor(b, 0);
	for (size_t i = 0; i < sizeof stops_right / sizeof *stops_right; i++) {
		textbuf_word_right(b);
		assert_int_equal(textbuf_cursor(b), stops_right[i]);
	}
	size_t stops_left[] = { 33, 24, 14, 7, 0, 0 };
	for (size_t i = 0; i < sizeof stops_left / sizeof *stops_left; i++) {
		textbuf_word_left(b);
		assert_int_equal(textbuf_cursor(b), stops_left[i]);
	}
	/* Marks are part of the word. */
	assert_int_equal(textbuf_set(b, "cafe" ACUTE " ok"), LY_OK);
	textbuf_set_cursor(b, 0);
	textbuf_word_right(b);
	assert_int_equal(textbuf_cursor(b), 6);
	textbuf_word_right(b);
	textbuf_word_left(b);
	assert_int_equal(textbuf_cursor(b), 7);
	textbuf_word_left(b);
	assert_int_equal(textbuf_cursor(b), 0);
	/* Deleting words. */
	assert_int_equal(textbuf_set(b, "keep these words"), LY_OK);
	assert_true(textbuf_delete_word_left(b));
	assert_string_equal(textbuf_text(b), "keep these ");
	textbuf_set_cursor(b, 4);
	assert_true(textbuf_delete_word_right(b));
	assert_string_equal(textbuf_text(b), "keep ");
	textbuf_free(b);
}

static void test_kill_line(void **state)
{
	(void)state;
	struct textbuf *b = tb("one\ntwo three\nfour");
	textbuf_set_cursor(b, 8);               /* "two |three" */
	assert_true(textbuf_kill_line_start(b));
	assert_string_equal(textbuf_text(b), "one\nthree\nfour");
	assert_int_equal(textbuf_cursor(b), 4);
	assert_false(textbuf_kill_line_start(b));
	assert_true(textbuf_kill_line_end(b));
	assert_string_equal(textbuf_text(b), "one\n\nfour");
	assert_true(textbuf_kill_line_end(b));  /* at the end: joins */
	assert_string_equal(textbuf_text(b), "one\nfour");
	textbuf_free(b);
}

static void test_long_text(void **state)
{
	(void)state;
	/* Grows past the initial capacity; many rows; layout follows edits. */
	struct textbuf *b = tb(NULL);
	for (int i = 0; i < 2000; i++)
		assert_int_equal(textbuf_insert(b, i % 10 == 9 ? "日本\n" : "word "), LY_OK);
	int n = textbuf_rows(b, 20);
	assert_true(n > 200);
	const struct textbuf_row *last = textbuf_row(b, 20, n - 1);
	assert_int_equal(last->start, textbuf_len(b));
	assert_rc(b, 20, n - 1, 0);
	/* Every row fits; rows cover the text in order. */
	size_t prev_end = 0;
	for (int r = 0; r < n; r++) {
		const struct textbuf_row *row = textbuf_row(b, 20, r);
		assert_true(row->width <= 20);
		assert_true(row->start == prev_end || (row->start == prev_end + 1 && textbuf_text(b)[prev_end] == '\n'));
		prev_end = row->end;
	}
	textbuf_up(b, 20, 1000000);
	assert_rc(b, 20, 0, 0);
	textbuf_free(b);
}

/* Invariants under random edits: valid UTF-8 without controls, the cursor
 * on a cluster boundary and inside the rectangle, rows covering the text
 * in order and fitting their width. */
static unsigned long rnd_state = 12345;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rnd_state >> 33) % n;
}

static void check_invariants(struct textbuf *b, int cols)
{
	const char *s = textbuf_text(b);
	size_t len = textbuf_len(b);
	assert_int_equal(strlen(s), len);
	assert_true(text_valid_utf8(s, len));
	for (size_t i = 0; i < len; i++)
		assert_true((unsigned char)s[i] >= 0x20 || s[i] == '\n');
	/* The cursor is one of the cluster boundaries. */
	size_t i = 0, cur = textbuf_cursor(b);
	while (i < cur)
		i += textbuf_cluster_len(b, i);
	assert_int_equal(i, cur);
	int n = textbuf_rows(b, cols), row, col;
	assert_true(n >= 1);
	size_t expect = 0;
	for (int r = 0; r < n; r++) {
		const struct textbuf_row *rw = textbuf_row(b, cols, r);
		assert_int_equal(rw->start, expect);
		assert_true(rw->end >= rw->start && rw->end <= len);
		/* Text before the hanging spaces fits in cols - 1 columns, unless
		 * the row is one cluster too wide for a tiny cols. */
		size_t end = rw->end;
		while (end > rw->start && s[end - 1] == ' ')
			end--;
		int w = 0;
		for (size_t k = rw->start; k < end; k += textbuf_cluster_len(b, k))
			w += textbuf_cluster_width(b, k);
		assert_true(w <= (cols > 1 ? cols - 1 : 1) || textbuf_cluster_len(b, rw->start) == end - rw->start);
		assert_true(rw->width <= (cols > 0 ? cols : 1));
		expect = rw->hard ? rw->end + 1 : rw->end;
		if (rw->hard)
			assert_true(rw->end == len || s[rw->end] == '\n');
		else
			assert_true(rw->end > rw->start);
	}
	assert_int_equal(expect, len + 1);
	textbuf_cursor_rc(b, cols, &row, &col);
	assert_true(row >= 0 && row < n);
	assert_true(col >= 0 && col < (cols > 1 ? cols : 1));
}

static void test_random_edits(void **state)
{
	(void)state;
	static const char *pieces[] = {
		"a", "word ", " ", "  ", "\n", "日本", PARTY, ACUTE, "e" ACUTE, "\xff", "\t", "x\r\ny",
		"supercalifragilistic", "\xe6\x97", ACUTE GRAVE,
	};
	struct textbuf *b = tb(NULL);
	for (int step = 0; step < 20000; step++) {
		int cols = 1 + (int)rnd(14);
		switch (rnd(16)) {
		case 0: case 1: case 2: case 3:
			assert_int_equal(textbuf_insert(b, pieces[rnd(sizeof pieces / sizeof *pieces)]), LY_OK);
			break;
		case 4: textbuf_backspace(b); break;
		case 5: textbuf_delete(b); break;
		case 6: textbuf_left(b); break;
		case 7: textbuf_right(b); break;
		case 8: textbuf_up(b, cols, 1 + (int)rnd(3)); break;
		case 9: textbuf_down(b, cols, 1 + (int)rnd(3)); break;
		case 10: rnd(2) ? textbuf_home(b, cols) : textbuf_end(b, cols); break;
		case 11: rnd(2) ? textbuf_word_left(b) : textbuf_word_right(b); break;
		case 12: textbuf_set_cursor(b, rnd((unsigned)textbuf_len(b) + 1)); break;
		case 13: {
			int r = (int)rnd((unsigned)textbuf_rows(b, cols) + 1);
			textbuf_set_cursor(b, textbuf_offset_at(b, cols, r, (int)rnd((unsigned)cols + 2)));
			break;
		}
		case 14:
			switch (rnd(4)) {
			case 0: textbuf_delete_word_left(b); break;
			case 1: textbuf_delete_word_right(b); break;
			case 2: textbuf_kill_line_start(b); break;
			default: textbuf_kill_line_end(b); break;
			}
			break;
		default:
			if (textbuf_len(b) > 400)
				textbuf_set(b, rnd(2) ? "" : "restart\n" ACUTE "x");
			break;
		}
		check_invariants(b, cols);
	}
	textbuf_free(b);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_set_insert),
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_wide_characters),
		cmocka_unit_test(test_combining_marks),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_wrap_by_display_width),
		cmocka_unit_test(test_wrap_at_spaces),
		cmocka_unit_test(test_wrap_hard_newlines),
		cmocka_unit_test(test_cursor_row_col),
		cmocka_unit_test(test_up_down_keep_column),
		cmocka_unit_test(test_home_end),
		cmocka_unit_test(test_word_motions),
		cmocka_unit_test(test_kill_line),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_random_edits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
