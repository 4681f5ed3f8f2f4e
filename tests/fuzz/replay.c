/* Runs a fuzz target over files, without libFuzzer: every file named on
 * the command line, every file in a directory named there, or, with no
 * arguments, the target's seeds (FUZZ_SEEDS, set by the Makefile; for the
 * importer: the seed corpus tests/fuzz/corpus and every fixture in
 * tests/data and tests/cli/data). Part of `make test`, so each corpus is
 * replayed under the sanitizers by `make asan`. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_NAME
#define FUZZ_NAME "import"
#endif
#ifndef FUZZ_SEEDS
#define FUZZ_SEEDS "tests/fuzz/corpus", "tests/data", "tests/cli/data"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int files;

static int run_file(const char *p)
{
	FILE *f = fopen(p, "rb");
	if (!f) {
		perror(p);
		return 1;
	}
	size_t cap = 1 << 16, n = 0, got;
	uint8_t *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *b = realloc(buf, cap * 2);
			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf)
		return 1;
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	files++;
	return 0;
}

static int run_path(const char *p)
{
	struct stat sb;
	if (stat(p, &sb) != 0) {
		perror(p);
		return 1;
	}
	if (!S_ISDIR(sb.st_mode))
		return run_file(p);
	struct dirent **names;
	int n = scandir(p, &names, NULL, alphasort), bad = 0;
	if (n < 0) {
		perror(p);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];
		if (names[i]->d_name[0] != '.') {
			snprintf(sub, sizeof sub, "%s/%s", p, names[i]->d_name);
			if (stat(sub, &sb) == 0 && S_ISREG(sb.st_mode))
				bad |= run_file(sub);
		}
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	static const char *const seeds[] = { FUZZ_SEEDS };
	int bad = 0;
	if (argc > 1)
		for (int i = 1; i < argc; i++)
			bad |= run_path(argv[i]);
	else
		for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
			bad |= run_path(seeds[i]);
	printf("%d inputs replayed through the %s fuzz target\n", files, FUZZ_NAME);
	return bad || files == 0;
}
