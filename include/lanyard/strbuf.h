/* A growable string: text appended, always NUL-terminated once anything
 * is in it. Zero-initialised it is empty; free(b.s) releases it. */
#ifndef LANYARD_STRBUF_H
#define LANYARD_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s;
	size_t len, cap;
};

/* Grow the buffer *s of *cap bytes to hold at least need (doubling, from
 * 64). False when out of memory (the buffer is left as it was). */
bool strbuf_reserve(char **s, size_t *cap, size_t need);
/* Append n bytes of s and a NUL (not counted in len). */
bool strbuf_put(struct strbuf *b, const char *s, size_t n);

#endif
