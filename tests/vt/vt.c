/* vt — a program on a pseudo-terminal rendered by libvterm. See vt.h. */
/* Whatever the build passes, this file needs POSIX 2008 + XSI (nftw,
 * mkdtemp) and the BSD/GNU extras (forkpty). */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include "vt.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Longest time a write to the program may stall (it is not reading). */
#define WRITE_STALL_MS 5000
/* Longest single poll inside the wait loops (keeps timeouts accurate). */
#define SLICE_MS 50

struct vt {
	VTerm *term;
	VTermScreen *screen;
	int fd; /* pty master; -1 once closed */
	int rows, cols;
	pid_t pid;
	bool reaped;
	int status; /* valid once reaped */
	bool altscreen, cursor_visible;
	char *log; /* everything read, NUL-terminated */
	size_t loglen, logcap;
	char *out; /* bytes libvterm produced for the program, not yet written */
	size_t outlen, outcap;
	bool oom, in_flush;
	char home[32];
	int64_t last_output_us; /* CLOCK_MONOTONIC of the last byte read */
};

/* ---- small helpers ---------------------------------------------------- */

int64_t vt_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int scaled(int timeout_ms)
{
	static double scale = -1;
	if (scale < 0) {
		const char *s = getenv("VT_TIMEOUT_SCALE");
		char *end;
		double d = s ? strtod(s, &end) : 0;
		scale = (s && end != s && d > 0) ? d : 1;
	}
	if (timeout_ms <= 0)
		return timeout_ms;
	double t = timeout_ms * scale;
	return t > 86400000.0 ? 86400000 : (int)t;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Append n bytes to a growable buffer that is kept NUL-terminated. */
static bool buf_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t ncap = *cap ? *cap : 4096;
		while (*len + n + 1 > ncap)
			ncap *= 2;
		char *nbuf = realloc(*buf, ncap);
		if (!nbuf)
			return false;
		*buf = nbuf;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return true;
}

static size_t put_utf8(uint32_t c, char *o)
{
	if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		c = 0xFFFD;
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | c >> 12);
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | c >> 18);
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* ---- libvterm callbacks ------------------------------------------------- */

static int on_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct vt *vt = user;
	if (prop == VTERM_PROP_ALTSCREEN)
		vt->altscreen = val->boolean;
	else if (prop == VTERM_PROP_CURSORVISIBLE)
		vt->cursor_visible = val->boolean;
	return 1;
}

static const VTermScreenCallbacks screen_callbacks = {
	.settermprop = on_settermprop,
};

/* libvterm's replies and key sequences: queued, written by flush_out
 * (never from inside libvterm, which may be mid-parse). */
static void on_output(const char *s, size_t len, void *user)
{
	struct vt *vt = user;
	if (!buf_append(&vt->out, &vt->outlen, &vt->outcap, s, len))
		vt->oom = true;
}

/* ---- reading ------------------------------------------------------------ */

static void close_pty(struct vt *vt)
{
	if (vt->fd >= 0)
		close(vt->fd);
	vt->fd = -1;
	vt->outlen = 0;
}

static void flush_out(struct vt *vt);
static bool try_reap(struct vt *vt, bool block);

/* Read what is available now (non-blocking). Bytes read, or -1 if the pty
 * closed and nothing was read. */
static int read_available(struct vt *vt)
{
	int total = 0;
	char buf[16384];
	while (vt->fd >= 0) {
		ssize_t n = read(vt->fd, buf, sizeof buf);
		if (n > 0) {
			vt->last_output_us = vt_now_us();
			if (!buf_append(&vt->log, &vt->loglen, &vt->logcap, buf, (size_t)n))
				vt->oom = true;
			vterm_input_write(vt->term, buf, (size_t)n);
			total += (int)n;
			if (total > (1 << 20))
				break; /* let callers look at the screen now and then */
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		/* EOF, or EIO: every slave descriptor is closed (and now and then
		 * a read that finds the terminal between states). Close the master
		 * only once the program is gone: closing it hangs up (SIGHUP) a
		 * program that is still running. */
		if (!try_reap(vt, false))
			break;
		close_pty(vt);
	}
	if (vt->oom) {
		fprintf(stderr, "vt: out of memory\n");
		abort();
	}
	if (vt->outlen && !vt->in_flush)
		flush_out(vt); /* e.g. answers to a cursor position query */
	return total > 0 ? total : (vt->fd < 0 ? -1 : 0);
}

int vt_pump(struct vt *vt, int timeout_ms)
{
	if (vt->fd < 0)
		return -1;
	if (vt->outlen)
		flush_out(vt);
	struct pollfd p = { .fd = vt->fd, .events = POLLIN };
	int r;
	int64_t end = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		int left = (int)(end - now_ms());
		r = poll(&p, 1, left > 0 ? left : 0);
		if (r >= 0 || errno != EINTR)
			break;
	}
	if (r <= 0)
		return 0;
	return read_available(vt);
}

/* ---- writing ------------------------------------------------------------ */

/* Write the queued bytes. If the program is not reading, keep reading its
 * output meanwhile (so neither side blocks on a full buffer), up to
 * WRITE_STALL_MS. */
static void flush_out(struct vt *vt)
{
	if (vt->in_flush)
		return;
	vt->in_flush = true;
	size_t done = 0;
	int64_t end = now_ms() + scaled(WRITE_STALL_MS);
	while (vt->fd >= 0 && done < vt->outlen) {
		ssize_t n = write(vt->fd, vt->out + done, vt->outlen - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int left = (int)(end - now_ms());
			if (left <= 0) {
				fprintf(stderr, "vt: program did not read its input for %d ms; "
					"dropping %zu bytes\n", scaled(WRITE_STALL_MS), vt->outlen - done);
				break;
			}
			struct pollfd p = { .fd = vt->fd, .events = POLLIN | POLLOUT };
			/* Drain its output meanwhile. Anything libvterm answers is
			 * appended to vt->out behind what is being written, and this
			 * loop writes it too (in_flush stops a nested flush). */
			if (poll(&p, 1, left < SLICE_MS ? left : SLICE_MS) > 0 &&
			    (p.revents & (POLLIN | POLLHUP)))
				read_available(vt);
			continue;
		}
		/* EIO/EPIPE: the program is gone. */
		break;
	}
	vt->outlen = 0;
	vt->in_flush = false;
}

void vt_send(struct vt *vt, const char *bytes)
{
	if (!buf_append(&vt->out, &vt->outlen, &vt->outcap, bytes, strlen(bytes)))
		vt->oom = true;
	flush_out(vt);
}

void vt_key(struct vt *vt, VTermKey key, VTermModifier mod)
{
	vterm_keyboard_key(vt->term, key, mod);
	flush_out(vt);
}

void vt_unichar(struct vt *vt, uint32_t c, VTermModifier mod)
{
	vterm_keyboard_unichar(vt->term, c, mod);
	flush_out(vt);
}

void vt_click(struct vt *vt, int row, int col)
{
	vterm_mouse_move(vt->term, row, col, VTERM_MOD_NONE);
	vterm_mouse_button(vt->term, 1, true, VTERM_MOD_NONE);
	vterm_mouse_button(vt->term, 1, false, VTERM_MOD_NONE);
	flush_out(vt);
}

void vt_wheel(struct vt *vt, int row, int col, bool up)
{
	vterm_mouse_move(vt->term, row, col, VTERM_MOD_NONE);
	/* Buttons 4 and 5 are the wheel; a notch has no release. */
	vterm_mouse_button(vt->term, up ? 4 : 5, true, VTERM_MOD_NONE);
	flush_out(vt);
}

static bool wait_idle(struct vt *vt, int timeout_ms, bool quiet);

void vt_resize(struct vt *vt, int rows, int cols)
{
	/* curses notices SIGWINCH only when it interrupts the read for input
	 * (or at the start of the next refresh): a signal that lands while
	 * the program is drawing, after that check, waits for the next key.
	 * So let it reach its read first. */
	if (vt->fd >= 0 && !vt->reaped)
		wait_idle(vt, 2000, true);
	vt->rows = rows;
	vt->cols = cols;
	vterm_set_size(vt->term, rows, cols);
	if (vt->fd >= 0) {
		struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
		if (ioctl(vt->fd, TIOCSWINSZ, &ws) < 0)
			fprintf(stderr, "vt: TIOCSWINSZ: %s\n", strerror(errno));
	}
}

void vt_size(struct vt *vt, int *rows, int *cols)
{
	if (rows)
		*rows = vt->rows;
	if (cols)
		*cols = vt->cols;
}

/* ---- spawning ----------------------------------------------------------- */

struct envlist {
	char **v;
	size_t n;
};

static size_t name_len(const char *entry)
{
	const char *eq = strchr(entry, '=');
	return eq ? (size_t)(eq - entry) : strlen(entry);
}

static void env_unset(struct envlist *e, const char *name, size_t len)
{
	for (size_t i = 0; i < e->n; i++)
		if (name_len(e->v[i]) == len && strncmp(e->v[i], name, len) == 0) {
			free(e->v[i]);
			e->v[i] = e->v[--e->n];
			e->v[e->n] = NULL;
			return;
		}
}

static bool env_set(struct envlist *e, const char *name, size_t len, const char *value)
{
	env_unset(e, name, len);
	char **nv = realloc(e->v, (e->n + 2) * sizeof *nv);
	if (!nv)
		return false;
	e->v = nv;
	size_t vlen = strlen(value);
	char *s = malloc(len + 1 + vlen + 1);
	if (!s)
		return false;
	memcpy(s, name, len);
	s[len] = '=';
	memcpy(s + len + 1, value, vlen + 1);
	e->v[e->n++] = s;
	e->v[e->n] = NULL;
	return true;
}

static void env_free(struct envlist *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
}

static const char *env_get(const struct envlist *e, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < e->n; i++)
		if (name_len(e->v[i]) == len && strncmp(e->v[i], name, len) == 0)
			return e->v[i] + len + 1;
	return NULL;
}

static bool build_env(struct envlist *e, const char *home, const char *const env[])
{
	const char *path = getenv("PATH");
	if (!env_set(e, "TERM", 4, "xterm-256color") || !env_set(e, "LC_ALL", 6, "C.UTF-8") ||
	    !env_set(e, "TZ", 2, "UTC") || !env_set(e, "HOME", 4, home) ||
	    !env_set(e, "PATH", 4, path ? path : "/usr/local/bin:/usr/bin:/bin"))
		return false;
	/* Sanitizer settings are the test run's, not the program's behaviour:
	 * pass them through so an instrumented program obeys `make asan`. */
	static const char *const passthrough[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" };
	for (size_t i = 0; i < sizeof passthrough / sizeof *passthrough; i++) {
		const char *v = getenv(passthrough[i]);
		if (v && !env_set(e, passthrough[i], strlen(passthrough[i]), v))
			return false;
	}
	for (size_t i = 0; env && env[i]; i++) {
		const char *s = env[i];
		if (s[0] == '-') {
			env_unset(e, s + 1, strlen(s + 1));
			continue;
		}
		const char *eq = strchr(s, '=');
		if (!eq || eq == s) {
			fprintf(stderr, "vt: ignoring env entry \"%s\" (want NAME=value or -NAME)\n", s);
			continue;
		}
		if (eq[1] == '\0')
			env_unset(e, s, (size_t)(eq - s));
		else if (!env_set(e, s, (size_t)(eq - s), eq + 1))
			return false;
	}
	return true;
}

/* Resolve a command name in PATH like execvp would (malloc'd, or NULL). */
static char *find_program(const char *name, const char *path)
{
	if (strchr(name, '/'))
		return strdup(name);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	size_t nlen = strlen(name);
	for (const char *p = path;; ) {
		const char *colon = strchr(p, ':');
		size_t dlen = colon ? (size_t)(colon - p) : strlen(p);
		char *full = malloc(dlen + nlen + 3);
		if (!full)
			return NULL;
		if (dlen == 0)
			snprintf(full, dlen + nlen + 3, "./%s", name);
		else
			snprintf(full, dlen + nlen + 3, "%.*s/%s", (int)dlen, p, name);
		struct stat st;
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
			return full;
		free(full);
		if (!colon)
			return NULL;
		p = colon + 1;
	}
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D || flag == FTW_DNR)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static int open_dir_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | S_IRWXU);
	return 0;
}

static void remove_tree(const char *dir)
{
	/* First make every directory writable and searchable (the program may
	 * have made one read-only), then delete depth-first. */
	nftw(dir, open_dir_entry, 16, FTW_PHYS);
	nftw(dir, rm_entry, 16, FTW_PHYS | FTW_DEPTH);
	struct stat st;
	if (lstat(dir, &st) == 0)
		fprintf(stderr, "vt: could not remove %s\n", dir);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child_exec(const char *file, char *const argv[], char **envp, int errfd)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	/* Don't leak the test's descriptors (other ptys, pipes) into the
	 * program: a leaked pipe end can keep a reader from seeing EOF. */
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0)
#endif
	{
		for (int fd = 3; fd < 1024; fd++)
			if (fd != errfd)
				fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	execve(file, argv, envp);
	int err = errno;
	if (write(errfd, &err, sizeof err) < 0) {
		/* nothing more we can do */
	}
	_exit(127);
}

static bool sigpipe_checked;

struct vt *vt_spawn(char *const argv[], const char *const env[], int rows, int cols)
{
	if (!argv || !argv[0] || rows <= 0 || cols <= 0 || rows > 0xFFFF || cols > 0xFFFF) {
		fprintf(stderr, "vt_spawn: bad arguments\n");
		return NULL;
	}
	if (!sigpipe_checked) {
		struct sigaction old;
		if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL &&
		    !(old.sa_flags & SA_SIGINFO))
			signal(SIGPIPE, SIG_IGN);
		sigpipe_checked = true;
	}
	struct vt *vt = calloc(1, sizeof *vt);
	if (!vt)
		return NULL;
	vt->fd = -1;
	vt->pid = -1;
	vt->rows = rows;
	vt->cols = cols;
	vt->cursor_visible = true;
	snprintf(vt->home, sizeof vt->home, "/tmp/lanyard-vt-XXXXXX");
	if (!mkdtemp(vt->home)) {
		fprintf(stderr, "vt_spawn: mkdtemp: %s\n", strerror(errno));
		free(vt);
		return NULL;
	}

	struct envlist e = { 0 };
	char *file = NULL;
	int errpipe[2] = { -1, -1 };
	if (!build_env(&e, vt->home, env)) {
		fprintf(stderr, "vt_spawn: out of memory\n");
		goto fail;
	}
	file = find_program(argv[0], env_get(&e, "PATH"));
	if (!file) {
		fprintf(stderr, "vt_spawn: %s: not found in PATH\n", argv[0]);
		goto fail;
	}
	if (pipe(errpipe) < 0 || fcntl(errpipe[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(errpipe[1], F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "vt_spawn: pipe: %s\n", strerror(errno));
		goto fail;
	}

	vt->term = vterm_new(rows, cols);
	if (!vt->term)
		goto fail;
	vterm_set_utf8(vt->term, 1);
	vterm_output_set_callback(vt->term, on_output, vt);
	vt->screen = vterm_obtain_screen(vt->term);
	vterm_screen_set_callbacks(vt->screen, &screen_callbacks, vt);
	vterm_screen_enable_altscreen(vt->screen, 1);
	vterm_screen_reset(vt->screen, 1);

	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	fflush(NULL); /* so the child does not inherit unwritten stdio buffers */
	pid_t pid = forkpty(&vt->fd, NULL, NULL, &ws);
	if (pid < 0) {
		fprintf(stderr, "vt_spawn: forkpty: %s\n", strerror(errno));
		vt->fd = -1;
		goto fail;
	}
	if (pid == 0) {
		close(errpipe[0]);
		child_exec(file, argv, e.v, errpipe[1]);
	}
	vt->pid = pid;
	close(errpipe[1]);
	errpipe[1] = -1;
	fcntl(vt->fd, F_SETFD, FD_CLOEXEC);
	fcntl(vt->fd, F_SETFL, fcntl(vt->fd, F_GETFL) | O_NONBLOCK);

	/* The pipe closes on a successful exec; otherwise it carries errno. */
	int err = 0;
	ssize_t n;
	while ((n = read(errpipe[0], &err, sizeof err)) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof err) {
		fprintf(stderr, "vt_spawn: exec %s: %s\n", file, strerror(err));
		goto fail;
	}
	close(errpipe[0]);
	env_free(&e);
	free(file);
	return vt;

fail:
	if (errpipe[0] >= 0)
		close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
	env_free(&e);
	free(file);
	vt_free(vt);
	return NULL;
}

/* ---- the program's life -------------------------------------------------- */

/* 1 if the program's main thread sleeps in a call that waits for input, 0
 * if not, -1 if that cannot be told (no /proc/PID/syscall). */
static int blocked_on_input(struct vt *vt)
{
	static const long waits[] = {
#ifdef SYS_read
		SYS_read,
#endif
#ifdef SYS_readv
		SYS_readv,
#endif
#ifdef SYS_poll
		SYS_poll,
#endif
#ifdef SYS_ppoll
		SYS_ppoll,
#endif
#ifdef SYS_select
		SYS_select,
#endif
#ifdef SYS__newselect
		SYS__newselect,
#endif
#ifdef SYS_pselect6
		SYS_pselect6,
#endif
#ifdef SYS_epoll_wait
		SYS_epoll_wait,
#endif
#ifdef SYS_epoll_pwait
		SYS_epoll_pwait,
#endif
#ifdef SYS_epoll_pwait2
		SYS_epoll_pwait2,
#endif
	};
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)vt->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (strncmp(buf, "running", 7) == 0)
		return 0;
	char *end;
	long nr = strtol(buf, &end, 10);
	if (end == buf)
		return -1;
	for (size_t i = 0; i < sizeof waits / sizeof *waits; i++)
		if (nr == waits[i])
			return 1;
	return 0;
}

static bool wait_idle(struct vt *vt, int timeout_ms, bool quiet)
{
	int64_t start = now_ms(), end = start + scaled(timeout_ms);
	int streak = 0, nap = 0;
	for (;;) {
		/* Keep reading: a program blocked writing to us is not idle. */
		int got = vt_pump(vt, nap);
		if (got < 0 || vt->reaped)
			return false;
		int b = blocked_on_input(vt);
		if (b < 0) {
			/* Cannot look inside: settle for 50 ms of silence. */
			int left = (int)(end - now_ms());
			return left > 0 && vt_wait_stable(vt, 50, left);
		}
		/* Twice in a row with no output in between: it is waiting. */
		streak = (b == 1 && got == 0) ? streak + 1 : 0;
		if (streak >= 2)
			return true;
		int left = (int)(end - now_ms());
		if (left <= 0)
			break;
		nap = left < 2 ? left : 2;
	}
	if (!quiet) {
		fprintf(stderr, "vt: program did not wait for input within %d ms\n",
			(int)(now_ms() - start));
		vt_dump(vt, stderr);
	}
	return false;
}

bool vt_wait_idle(struct vt *vt, int timeout_ms)
{
	return wait_idle(vt, timeout_ms, false);
}

int64_t vt_last_output_us(struct vt *vt)
{
	return vt->last_output_us;
}

static bool try_reap(struct vt *vt, bool block)
{
	if (vt->reaped || vt->pid <= 0)
		return vt->reaped;
	int st;
	pid_t r;
	while ((r = waitpid(vt->pid, &st, block ? 0 : WNOHANG)) < 0 && errno == EINTR)
		;
	if (r == vt->pid) {
		vt->reaped = true;
		vt->status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
	} else if (r < 0) {
		/* ECHILD: someone else reaped it (e.g. SIGCHLD set to SIG_IGN). */
		vt->reaped = true;
		vt->status = 255;
	}
	return vt->reaped;
}

int vt_wait_exit(struct vt *vt, int timeout_ms)
{
	if (vt->reaped)
		return vt->status;
	int64_t end = now_ms() + scaled(timeout_ms);
	/* Read until the pty closes: the program's last words are on screen. */
	while (vt->fd >= 0) {
		int left = (int)(end - now_ms());
		if (left <= 0)
			break;
		if (vt_pump(vt, left < SLICE_MS ? left : SLICE_MS) < 0)
			break;
		if (try_reap(vt, false)) {
			/* It is gone; all it wrote is in the pty already. A
			 * descendant may still hold the terminal: don't wait for
			 * that, just take what is there. */
			while (vt_pump(vt, 0) > 0)
				;
			return vt->status;
		}
	}
	/* The pty closed (or time ran out): wait for the process itself. */
	for (int nap = 1; !try_reap(vt, false); nap = nap < 16 ? nap * 2 : 16) {
		int left = (int)(end - now_ms());
		if (left <= 0) {
			fprintf(stderr, "vt: program (pid %d) still running after %d ms\n",
				(int)vt->pid, scaled(timeout_ms));
			vt_dump(vt, stderr);
			return -1;
		}
		sleep_ms(nap < left ? nap : left);
	}
	return vt->status;
}

void vt_kill(struct vt *vt, int sig)
{
	if (!vt->reaped && vt->pid > 0)
		kill(vt->pid, sig);
}

pid_t vt_pid(struct vt *vt)
{
	return vt->pid;
}

const char *vt_home(struct vt *vt)
{
	return vt->home;
}

void vt_free(struct vt *vt)
{
	if (!vt)
		return;
	if (vt->pid > 0) {
		/* forkpty made the program a session and process-group leader;
		 * take its children with it. */
		kill(-vt->pid, SIGKILL);
		if (!vt->reaped) {
			kill(vt->pid, SIGKILL);
			try_reap(vt, true);
		}
	}
	close_pty(vt);
	if (vt->term)
		vterm_free(vt->term);
	free(vt->log);
	free(vt->out);
	if (vt->home[0] && strstr(vt->home, "XXXXXX") == NULL)
		remove_tree(vt->home);
	free(vt);
}

/* ---- the screen --------------------------------------------------------- */

/* Text of a row, untrimmed (every cell; blanks as spaces). If colmap is
 * given, (*colmap)[i] is the cell column of byte i (array owned by caller). */
static char *row_text(struct vt *vt, int row, int **colmap, size_t *lenp)
{
	size_t cap = (size_t)vt->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1;
	char *out = malloc(cap);
	int *map = colmap ? malloc(cap * sizeof *map) : NULL;
	if (!out || (colmap && !map)) {
		fprintf(stderr, "vt: out of memory\n");
		abort();
	}
	size_t o = 0;
	for (int c = 0; row >= 0 && row < vt->rows && c < vt->cols; c++) {
		VTermScreenCell cell;
		memset(&cell, 0, sizeof cell);
		VTermPos pos = { .row = row, .col = c };
		if (!vterm_screen_get_cell(vt->screen, pos, &cell))
			break;
		if (cell.chars[0] == (uint32_t)-1)
			continue; /* right half of a double-width character */
		size_t start = o;
		if (cell.chars[0] == 0)
			out[o++] = ' ';
		for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++)
			o += put_utf8(cell.chars[i], out + o);
		if (map)
			for (size_t k = start; k < o; k++)
				map[k] = c;
		if (cell.width == 2)
			c++;
	}
	out[o] = '\0';
	if (colmap)
		*colmap = map;
	if (lenp)
		*lenp = o;
	return out;
}

char *vt_row(struct vt *vt, int row)
{
	size_t n;
	char *s = row_text(vt, row, NULL, &n);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	s[n] = '\0';
	return s;
}

char *vt_screen(struct vt *vt)
{
	char *out = NULL;
	size_t len = 0, cap = 0;
	for (int r = 0; r < vt->rows; r++) {
		char *line = vt_row(vt, r);
		if (!buf_append(&out, &len, &cap, line, strlen(line)) ||
		    !buf_append(&out, &len, &cap, "\n", 1)) {
			fprintf(stderr, "vt: out of memory\n");
			abort();
		}
		free(line);
	}
	return out ? out : strdup("");
}

int vt_find(struct vt *vt, const char *utf8, int *row, int *col)
{
	int count = 0;
	size_t tlen = strlen(utf8);
	if (tlen == 0)
		return 0;
	for (int r = 0; r < vt->rows; r++) {
		int *map;
		char *line = row_text(vt, r, &map, NULL);
		for (const char *p = line; (p = strstr(p, utf8)) != NULL; p += tlen) {
			if (count++ == 0) {
				if (row)
					*row = r;
				if (col)
					*col = map[p - line];
			}
		}
		free(line);
		free(map);
	}
	return count;
}

static bool row_has(struct vt *vt, int row, const char *utf8)
{
	char *line = row_text(vt, row, NULL, NULL);
	bool hit = strstr(line, utf8) != NULL;
	free(line);
	return hit;
}

bool vt_attr(struct vt *vt, int row, int col, struct vt_cell_attr *out)
{
	if (row < 0 || row >= vt->rows || col < 0 || col >= vt->cols)
		return false;
	VTermScreenCell cell;
	memset(&cell, 0, sizeof cell);
	VTermPos pos = { .row = row, .col = col };
	if (!vterm_screen_get_cell(vt->screen, pos, &cell))
		return false;
	memset(out, 0, sizeof *out);
	out->bold = cell.attrs.bold;
	out->underline = cell.attrs.underline != 0;
	out->italic = cell.attrs.italic;
	out->blink = cell.attrs.blink;
	out->reverse = cell.attrs.reverse;
	out->strike = cell.attrs.strike;
	out->fg_default = VTERM_COLOR_IS_DEFAULT_FG(&cell.fg);
	out->bg_default = VTERM_COLOR_IS_DEFAULT_BG(&cell.bg);
	out->fg_index = VTERM_COLOR_IS_INDEXED(&cell.fg) && !out->fg_default ? cell.fg.indexed.idx : -1;
	out->bg_index = VTERM_COLOR_IS_INDEXED(&cell.bg) && !out->bg_default ? cell.bg.indexed.idx : -1;
	VTermColor fg = cell.fg, bg = cell.bg;
	vterm_screen_convert_color_to_rgb(vt->screen, &fg);
	vterm_screen_convert_color_to_rgb(vt->screen, &bg);
	out->fg_rgb[0] = fg.rgb.red;
	out->fg_rgb[1] = fg.rgb.green;
	out->fg_rgb[2] = fg.rgb.blue;
	out->bg_rgb[0] = bg.rgb.red;
	out->bg_rgb[1] = bg.rgb.green;
	out->bg_rgb[2] = bg.rgb.blue;
	return true;
}

const char *vt_log(struct vt *vt, size_t *len)
{
	if (len)
		*len = vt->loglen;
	return vt->log ? vt->log : "";
}

bool vt_altscreen(struct vt *vt)
{
	return vt->altscreen;
}

bool vt_cursor_visible(struct vt *vt)
{
	return vt->cursor_visible;
}

void vt_cursor(struct vt *vt, int *row, int *col)
{
	VTermPos pos;
	vterm_state_get_cursorpos(vterm_obtain_state(vt->term), &pos);
	if (row)
		*row = pos.row;
	if (col)
		*col = pos.col;
}

/* ---- diagnostics -------------------------------------------------------- */

void vt_dump(struct vt *vt, FILE *out)
{
	int crow, ccol;
	vt_cursor(vt, &crow, &ccol);
	fprintf(out, "    screen %dx%d (rows x cols), cursor %d,%d%s, %s screen, %s\n",
		vt->rows, vt->cols, crow, ccol, vt->cursor_visible ? "" : " (hidden)",
		vt->altscreen ? "alternate" : "primary",
		vt->reaped ? "program exited" : vt->fd < 0 ? "pty closed" : "program running");
	fputs("    ", out);
	for (int c = 0; c < vt->cols; c++)
		fputc(c % 10 == 0 ? '0' + (c / 10) % 10 : ' ', out);
	fputs("\n    ", out);
	for (int c = 0; c < vt->cols; c++)
		fputc('0' + c % 10, out);
	fputs("\n   +", out);
	for (int c = 0; c < vt->cols; c++)
		fputc('-', out);
	fputs("+\n", out);
	for (int r = 0; r < vt->rows; r++) {
		char *line = row_text(vt, r, NULL, NULL);
		/* Control characters would garble the dump; libvterm never
		 * stores them, but be safe. */
		for (char *p = line; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		fprintf(out, "%3d|%s|\n", r, line);
		free(line);
	}
	fputs("   +", out);
	for (int c = 0; c < vt->cols; c++)
		fputc('-', out);
	fputs("+\n", out);
	size_t tail = vt->loglen < 240 ? vt->loglen : 240;
	while (tail > 0 && ((unsigned char)vt->log[vt->loglen - tail] & 0xC0) == 0x80)
		tail--; /* start on a character boundary */
	fprintf(out, "    last %zu of %zu bytes received: \"", tail, vt->loglen);
	for (size_t i = vt->loglen - tail; i < vt->loglen; i++) {
		unsigned char ch = (unsigned char)vt->log[i];
		if (ch == '\x1b')
			fputs("\\e", out);
		else if (ch == '\r')
			fputs("\\r", out);
		else if (ch == '\n')
			fputs("\\n", out);
		else if (ch == '\\' || ch == '"')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(out, "\\x%02x", ch);
		else
			fputc(ch, out);
	}
	fputs("\"\n", out);
	fflush(out);
}

/* ---- waiting ------------------------------------------------------------ */

enum cond { TEXT, ROW, GONE };

static bool holds(struct vt *vt, enum cond cond, int row, const char *utf8)
{
	switch (cond) {
	case TEXT:
		return vt_find(vt, utf8, NULL, NULL) > 0;
	case ROW:
		return row_has(vt, row, utf8);
	case GONE:
		return vt_find(vt, utf8, NULL, NULL) == 0;
	}
	return false;
}

static bool wait_for(struct vt *vt, enum cond cond, int row, const char *utf8, int timeout_ms)
{
	int64_t start = now_ms(), end = start + scaled(timeout_ms);
	bool closed = false;
	for (;;) {
		if (holds(vt, cond, row, utf8))
			return true;
		int left = (int)(end - now_ms());
		if (left <= 0 || closed)
			break;
		if (vt_pump(vt, left < SLICE_MS ? left : SLICE_MS) < 0)
			closed = true; /* check once more, then give up */
	}
	static const char *const what[] = { "to appear", "on row", "to go" };
	if (cond == ROW)
		fprintf(stderr, "vt: gave up after %d ms waiting for \"%s\" on row %d%s\n",
			(int)(now_ms() - start), utf8, row, closed ? " (the program exited)" : "");
	else
		fprintf(stderr, "vt: gave up after %d ms waiting for \"%s\" %s%s\n",
			(int)(now_ms() - start), utf8, what[cond], closed ? " (the program exited)" : "");
	vt_dump(vt, stderr);
	return false;
}

bool vt_wait_text(struct vt *vt, const char *utf8, int timeout_ms)
{
	return wait_for(vt, TEXT, 0, utf8, timeout_ms);
}

bool vt_wait_row(struct vt *vt, int row, const char *utf8, int timeout_ms)
{
	return wait_for(vt, ROW, row, utf8, timeout_ms);
}

bool vt_wait_gone(struct vt *vt, const char *utf8, int timeout_ms)
{
	return wait_for(vt, GONE, 0, utf8, timeout_ms);
}

bool vt_wait_stable(struct vt *vt, int quiet_ms, int timeout_ms)
{
	int64_t start = now_ms(), end = start + scaled(timeout_ms);
	int64_t last = start;
	for (;;) {
		int64_t t = now_ms();
		if (t - last >= quiet_ms)
			return true;
		if (t >= end)
			break;
		int until = (int)((last + quiet_ms < end ? last + quiet_ms : end) - t);
		int n = vt_pump(vt, until < SLICE_MS ? until : SLICE_MS);
		if (n < 0)
			return true; /* closed: nothing more will come */
		if (n > 0)
			last = now_ms();
	}
	fprintf(stderr, "vt: output did not pause for %d ms within %d ms\n", quiet_ms,
		(int)(now_ms() - start));
	vt_dump(vt, stderr);
	return false;
}
