#include "lanyard/error.h"

#include <stdarg.h>
#include <stdio.h>

int ly_fail(struct ly_error *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return LY_ERR;
}
