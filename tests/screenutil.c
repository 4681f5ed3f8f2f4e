#include "screenutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static int counter;

const char *su_bin(void)
{
	static char path[512];
	const char *b = getenv("LANYARD_BIN");
	if (!b || !*b)
		b = "build/lanyard";
	if (b[0] == '/')
		return b;
	char cwd[400];
	if (!getcwd(cwd, sizeof cwd))
		return b;
	snprintf(path, sizeof path, "%s/%s", cwd, b);
	return path;
}

char *su_run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	size_t cap = 4096, len = 0, n;
	char *out = malloc(cap);
	while (p && (n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2)
			out = realloc(out, cap *= 2);
	}
	out[len] = '\0';
	if (p)
		pclose(p);
	return out;
}

char *su_db(const char *fixture)
{
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/lanyard-screen-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	char *db = malloc(128);
	snprintf(db, 128, "%s/t%d.db", dir, counter++);
	char *out = su_run("'%s' import --db '%s' '%s' 2>&1", su_bin(), db, fixture);
	free(out);
	return db;
}

struct vt *su_start(const char *db, int rows, int cols, const char *const *extra)
{
	const char *env[16] = { "LANYARD_NOW=2022-05-18 11:07", "-LINES", "-COLUMNS", "-NO_COLOR" };
	int n = 4;
	for (int i = 0; extra && extra[i] && n < 15; i++)
		env[n++] = extra[i];
	env[n] = NULL;
	char *argv[] = { (char *)su_bin(), (char *)"--db", (char *)db, NULL };
	return vt_spawn(argv, env, rows, cols);
}
