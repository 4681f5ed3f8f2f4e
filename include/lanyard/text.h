/* UTF-8 text: display width, truncation, sanitising. The one place that
 * measures text for the screen (wcwidth columns, never bytes). */
#ifndef LANYARD_TEXT_H
#define LANYARD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point from s (at most n bytes). Returns the byte length
 * (>= 1); invalid sequences decode as U+FFFD and consume one byte. */
size_t text_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp as UTF-8 into out (>= 4 bytes); returns the length. */
size_t text_encode(uint32_t cp, char *out);
bool text_valid_utf8(const char *s, size_t n);

/* Display columns of one code point: 0 for combining marks, 2 for wide (CJK,
 * emoji), 1 otherwise; control characters count as 1 (they are drawn as a
 * visible substitute after text_sanitize). */
int text_cpwidth(uint32_t cp);
int text_width(const char *s);

/* Copy s into a new malloc'd string that is safe to draw: valid UTF-8 (bad
 * bytes become U+FFFD), no C0/C1 controls or DEL (TAB and newlines become a
 * space unless keep_newlines, where '\n' is kept), no ESC sequences. */
char *text_sanitize(const char *s, bool keep_newlines);
/* The same into a buffer of at least TEXT_SANITIZE_MAX(n) bytes, for the n
 * bytes at s; returns the length written (NUL not counted). */
#define TEXT_SANITIZE_MAX(n) ((n) * 3 + 1) /* each byte yields at most U+FFFD */
size_t text_sanitize_into(const char *s, size_t n, bool keep_newlines, char *out);

/* Write into out (size outlen) the longest prefix of s that fits in cols
 * display columns; if s is cut, the last column holds "…". Returns the
 * width written. s must already be sanitised. */
int text_fit(const char *s, int cols, char *out, size_t outlen);
/* Like text_fit, but when s is cut the ellipsis goes in the middle: the
 * first word (within a third of cols), "…", then as much of the end as fits
 * ("Cloud…eBPF Day"), so names that differ only at the end stay apart. */
int text_fit_middle(const char *s, int cols, char *out, size_t outlen);
/* Byte length of the longest prefix of s fitting in cols columns, no ellipsis. */
size_t text_prefix(const char *s, int cols, int *width);

/* Word-wrap s to cols columns: calls fn for each line (not NUL-terminated;
 * len bytes). Hard newlines start new lines. Returns the line count. */
int text_wrap(const char *s, int cols, void (*fn)(void *ctx, const char *line, size_t len), void *ctx);

#endif
