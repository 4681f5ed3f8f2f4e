#include "lanyard/import_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/text.h"

void implog_emit(struct imp_log *lg, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (lg->on_msg)
		lg->on_msg(lg->ctx, buf);
}

/* FILE:LINE: KIND: message. */
static void vline(struct imp_log *lg, long line, const char *kind, const char *fmt, va_list ap)
{
	char buf[768];
	vsnprintf(buf, sizeof buf, fmt, ap);
	implog_emit(lg, "%s:%ld: %s: %s", lg->path, line, kind, buf);
}

void implog_warn(struct imp_log *lg, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lg->warnings++;
	vline(lg, line, "warning", fmt, ap);
	va_end(ap);
}

void implog_note(struct imp_log *lg, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline(lg, line, "note", fmt, ap);
	va_end(ap);
}

static int vfail(struct imp_log *lg, bool at_line, long line, const char *fmt, va_list ap)
{
	char buf[900];
	vsnprintf(buf, sizeof buf, fmt, ap);
	if (lg->rc == LY_OK) {
		if (at_line)
			ly_fail(lg->err, "%s:%ld: error: %s", lg->path, line, buf);
		else
			ly_fail(lg->err, "%s", buf);
	}
	return lg->rc = LY_ERR;
}

int implog_fail_line(struct imp_log *lg, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(lg, true, line, fmt, ap);
	va_end(ap);
	return rc;
}

int implog_fail(struct imp_log *lg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(lg, false, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int implog_oom(struct imp_log *lg)
{
	return implog_fail(lg, "out of memory");
}

const char *implog_value(const char *s, size_t max, char *buf, size_t buflen)
{
	if (!buflen)
		return "";
	buf[0] = '\0';
	if (!s)
		return buf;
	/* Only the part that can be shown is sanitised: a 10 MB cell costs
	 * no more than a short one. */
	size_t n = strnlen(s, max + 8);
	char *part = malloc(n + 1);
	if (!part)
		return buf;
	memcpy(part, s, n);
	part[n] = '\0';
	char *safe = text_sanitize(part, false);
	free(part);
	if (!safe)
		return buf;
	size_t len = strlen(safe);
	bool cut = len > max || s[n] != '\0';
	if (len > max)
		len = max;
	if (len + 4 > buflen)
		len = buflen > 4 ? buflen - 4 : 0;
	while (len > 0 && ((unsigned char)safe[len] & 0xC0) == 0x80)
		len--;
	memcpy(buf, safe, len);
	if (cut)
		memcpy(buf + len, "...", 3), len += 3;
	buf[len] = '\0';
	free(safe);
	return buf;
}
