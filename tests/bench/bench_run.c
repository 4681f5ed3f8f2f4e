/* One run of a command, measured without a measuring process in between:
 * wall time from fork to the child's end (clock_gettime) and its peak RSS
 * (wait4's rusage). Files given with --rm are removed first, with their
 * -wal, -shm and -journal. Prints "SECONDS KB" (as bench.sh's rows use);
 * the command's output goes to /dev/null, its errors to standard error.
 *
 * Usage: bench_run [--rm FILE]... -- COMMAND [ARG]...
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void remove_db(const char *path)
{
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s%s", path, ext[i]);
		unlink(p);
	}
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--rm") == 0 && i + 1 < argc)
			remove_db(argv[++i]);
		else {
			fprintf(stderr, "usage: bench_run [--rm FILE]... -- COMMAND [ARG]...\n");
			return 2;
		}
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: bench_run [--rm FILE]... -- COMMAND [ARG]...\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench_run: fork");
		return 1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 1);
		execvp(argv[i + 1], argv + i + 1);
		perror(argv[i + 1]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench_run: wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_run: %s failed\n", argv[i + 1]);
		return 1;
	}
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.3f %ld\n", s, ru.ru_maxrss);
	return 0;
}
