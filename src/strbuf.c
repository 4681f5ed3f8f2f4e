#include "lanyard/strbuf.h"

#include <stdlib.h>
#include <string.h>

bool strbuf_reserve(char **s, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	char *p = realloc(*s, n);
	if (!p)
		return false;
	*s = p;
	*cap = n;
	return true;
}

bool strbuf_put(struct strbuf *b, const char *s, size_t n)
{
	if (!strbuf_reserve(&b->s, &b->cap, b->len + n + 1))
		return false;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}
