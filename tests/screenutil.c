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
	static char path[1024];
	if (path[0])
		return path;
	const char *b = getenv("LANYARD_BIN");
	char rel[512];
	if (!b || !*b) {
		const char *build = getenv("BUILD");
		snprintf(rel, sizeof rel, "%s/lanyard", build && *build ? build : "build");
		b = rel;
	}
	char cwd[512];
	if (b[0] == '/' || !getcwd(cwd, sizeof cwd))
		snprintf(path, sizeof path, "%s", b);
	else
		snprintf(path, sizeof path, "%s/%s", cwd, b);
	return path;
}

char *su_run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	size_t cap = 4096, len = 0, n;
	char *out = malloc(cap);
	if (!out)
		abort();
	while (p && (n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2 && !(out = realloc(out, cap *= 2)))
			abort();
	}
	out[len] = '\0';
	if (p)
		pclose(p);
	return out;
}

char *su_new_db(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/lanyard-screen-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	char *db = malloc(128);
	if (!db)
		abort();
	snprintf(db, 128, "%s/t%d.db", dir, counter++);
	return db;
}

void su_import(const char *db, const char *fixture, const char *name)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "'%s' import --db '%s' %s%s%s '%s' >/dev/null 2>&1", su_bin(), db, name ? "--name '" : "",
	         name ? name : "", name ? "'" : "", fixture);
	if (system(cmd) != 0) {
		fprintf(stderr, "screenutil: import failed: %s\n", cmd);
		abort();
	}
}

char *su_db(const char *fixture)
{
	char *db = su_new_db();
	su_import(db, fixture, NULL);
	return db;
}

struct vt *su_start(const char *db, int rows, int cols, const char *const *extra)
{
	return su_start_args(db, rows, cols, extra, NULL);
}

struct vt *su_start_args(const char *db, int rows, int cols, const char *const *extra, const char *const *args)
{
	/* ncurses' own leaks (tests/screen/lsan.supp) must not fail an ASan run. */
	static char lsan[1024];
	char cwd[512];
	const char *was = getenv("LSAN_OPTIONS");
	snprintf(lsan, sizeof lsan, "LSAN_OPTIONS=%s%ssuppressions=%s/tests/screen/lsan.supp", was ? was : "",
	         was && *was ? ":" : "", getcwd(cwd, sizeof cwd) ? cwd : ".");
	/* Full stacks at malloc, so the suppression sees ncurses' frame under
	 * libgpm's (which has no frame pointers). */
	static char asan[1024];
	const char *aso = getenv("ASAN_OPTIONS");
	snprintf(asan, sizeof asan, "ASAN_OPTIONS=%s%sfast_unwind_on_malloc=0", aso ? aso : "", aso && *aso ? ":" : "");
	const char *env[24] = { "LANYARD_NOW=2022-05-18 08:30", "-NO_COLOR", "-VISUAL", "-EDITOR", "-LANYARD_DB", lsan, asan };
	int n = 7;
	for (int i = 0; extra && extra[i] && n < 23; i++)
		env[n++] = extra[i];
	env[n] = NULL;
	char *argv[16] = { (char *)su_bin(), (char *)"--db", (char *)db, NULL };
	int a = 3;
	for (int i = 0; args && args[i] && a < 15; i++)
		argv[a++] = (char *)args[i];
	argv[a] = NULL;
	return vt_spawn(argv, env, rows, cols);
}

char *su_list_line(const char *db, const char *key)
{
	return su_run("'%s' list --db '%s' | grep '^%s\t'", su_bin(), db, key);
}

bool su_quit(struct vt *vt)
{
	vt_send(vt, "q");
	int status = vt_wait_exit(vt, SU_WAIT);
	if (status != 0) {
		fprintf(stderr, "screenutil: exit status %d after q\n", status);
		vt_dump(vt, stderr);
		return false;
	}
	/* The last bytes may still be on their way through the pty. */
	for (int i = 0; i < 10 && vt_altscreen(vt) && vt_pump(vt, 20) >= 0; i++)
		;
	if (vt_altscreen(vt)) {
		fprintf(stderr, "screenutil: still on the alternate screen after q\n");
		return false;
	}
	return true;
}
