#include "vt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct vt {
	VTerm *term;
	VTermScreen *screen;
	int fd, rows, cols;
	pid_t pid;
	int status;
	bool exited, altscreen;
	char *log;
	size_t loglen, logcap;
	char home[64];
};

static int settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct vt *vt = user;
	if (prop == VTERM_PROP_ALTSCREEN)
		vt->altscreen = val->boolean;
	return 1;
}

static const VTermScreenCallbacks callbacks = { .settermprop = settermprop };

static void output(const char *s, size_t len, void *user)
{
	struct vt *vt = user;
	while (len > 0) {
		ssize_t n = write(vt->fd, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct vt *vt_spawn(char *const argv[], const char *const env[], int rows, int cols)
{
	struct vt *vt = calloc(1, sizeof *vt);
	if (!vt)
		return NULL;
	snprintf(vt->home, sizeof vt->home, "/tmp/lanyard-vt-XXXXXX");
	if (!mkdtemp(vt->home)) {
		free(vt);
		return NULL;
	}
	vt->rows = rows;
	vt->cols = cols;
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	const char *path = getenv("PATH");
	char *pathcopy = strdup(path ? path : "/usr/bin:/bin");
	pid_t pid = forkpty(&vt->fd, NULL, NULL, &ws);
	if (pid < 0) {
		free(pathcopy);
		free(vt);
		return NULL;
	}
	if (pid == 0) {
		clearenv();
		setenv("PATH", pathcopy, 1);
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		setenv("TZ", "UTC", 1);
		setenv("HOME", vt->home, 1);
		for (int i = 0; env && env[i]; i++) {
			char *e = strdup(env[i]);
			char *eq = strchr(e, '=');
			if (e[0] == '-')
				unsetenv(e + 1);
			else if (eq) {
				*eq = '\0';
				setenv(e, eq + 1, 1);
			}
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	free(pathcopy);
	vt->pid = pid;
	fcntl(vt->fd, F_SETFL, fcntl(vt->fd, F_GETFL) | O_NONBLOCK);
	vt->term = vterm_new(rows, cols);
	vterm_set_utf8(vt->term, 1);
	vterm_output_set_callback(vt->term, output, vt);
	vt->screen = vterm_obtain_screen(vt->term);
	vterm_screen_set_callbacks(vt->screen, &callbacks, vt);
	vterm_screen_enable_altscreen(vt->screen, 1);
	vterm_screen_reset(vt->screen, 1);
	return vt;
}

int vt_pump(struct vt *vt, int timeout_ms)
{
	if (vt->fd < 0)
		return -1;
	struct pollfd p = { .fd = vt->fd, .events = POLLIN };
	if (poll(&p, 1, timeout_ms) <= 0)
		return 0;
	char buf[8192];
	ssize_t n = read(vt->fd, buf, sizeof buf);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		close(vt->fd);
		vt->fd = -1;
		return -1;
	}
	if (vt->loglen + (size_t)n + 1 > vt->logcap) {
		vt->logcap = (vt->loglen + (size_t)n + 1) * 2;
		vt->log = realloc(vt->log, vt->logcap);
	}
	memcpy(vt->log + vt->loglen, buf, (size_t)n);
	vt->loglen += (size_t)n;
	vt->log[vt->loglen] = '\0';
	vterm_input_write(vt->term, buf, (size_t)n);
	return (int)n;
}

static size_t put_utf8(uint32_t c, char *o)
{
	if (c < 0x80) { o[0] = (char)c; return 1; }
	if (c < 0x800) { o[0] = (char)(0xC0 | c >> 6); o[1] = (char)(0x80 | (c & 0x3F)); return 2; }
	if (c < 0x10000) { o[0] = (char)(0xE0 | c >> 12); o[1] = (char)(0x80 | ((c >> 6) & 0x3F)); o[2] = (char)(0x80 | (c & 0x3F)); return 3; }
	o[0] = (char)(0xF0 | c >> 18); o[1] = (char)(0x80 | ((c >> 12) & 0x3F)); o[2] = (char)(0x80 | ((c >> 6) & 0x3F)); o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* The row's text; colmap[i] (if given) is the cell column of byte i. */
static char *row_text(struct vt *vt, int row, int **colmap)
{
	char *out = malloc((size_t)vt->cols * 16 + 1);
	int *map = colmap ? malloc(((size_t)vt->cols * 16 + 1) * sizeof *map) : NULL;
	size_t o = 0;
	for (int c = 0; c < vt->cols; c++) {
		VTermScreenCell cell;
		VTermPos pos = { .row = row, .col = c };
		if (!vterm_screen_get_cell(vt->screen, pos, &cell))
			break;
		if (cell.chars[0] == (uint32_t)-1)
			continue; /* the right half of a wide character */
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
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	if (colmap)
		*colmap = map;
	return out;
}

char *vt_row(struct vt *vt, int row)
{
	return row_text(vt, row, NULL);
}

char *vt_screen(struct vt *vt)
{
	size_t cap = (size_t)vt->rows * ((size_t)vt->cols * 16 + 1) + 1, o = 0;
	char *out = malloc(cap);
	for (int r = 0; r < vt->rows; r++) {
		char *line = vt_row(vt, r);
		size_t n = strlen(line);
		memcpy(out + o, line, n);
		o += n;
		out[o++] = '\n';
		free(line);
	}
	out[o] = '\0';
	return out;
}

bool vt_find(struct vt *vt, const char *text, int *row, int *col)
{
	for (int r = 0; r < vt->rows; r++) {
		int *map;
		char *line = row_text(vt, r, &map);
		char *hit = strstr(line, text);
		if (hit) {
			if (row)
				*row = r;
			if (col)
				*col = map[hit - line];
		}
		free(line);
		free(map);
		if (hit)
			return true;
	}
	return false;
}

bool vt_cell_reverse(struct vt *vt, int row, int col)
{
	VTermScreenCell cell;
	VTermPos pos = { .row = row, .col = col };
	vterm_screen_get_cell(vt->screen, pos, &cell);
	return cell.attrs.reverse;
}

void vt_dump(struct vt *vt)
{
	char *s = vt_screen(vt);
	fprintf(stderr, "+--- screen %dx%d ---\n%s+---\n", vt->cols, vt->rows, s);
	free(s);
}

bool vt_wait_text(struct vt *vt, const char *text, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	for (;;) {
		if (vt_find(vt, text, NULL, NULL))
			return true;
		int64_t left = end - now_ms();
		if (left <= 0 || vt_pump(vt, left > 50 ? 50 : (int)left) < 0) {
			if (vt_find(vt, text, NULL, NULL))
				return true;
			fprintf(stderr, "timed out waiting for \"%s\"\n", text);
			vt_dump(vt);
			return false;
		}
	}
}

bool vt_wait_gone(struct vt *vt, const char *text, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	for (;;) {
		if (!vt_find(vt, text, NULL, NULL))
			return true;
		int64_t left = end - now_ms();
		if (left <= 0 || vt_pump(vt, left > 50 ? 50 : (int)left) < 0) {
			if (!vt_find(vt, text, NULL, NULL))
				return true;
			fprintf(stderr, "timed out waiting for \"%s\" to go\n", text);
			vt_dump(vt);
			return false;
		}
	}
}

void vt_send(struct vt *vt, const char *bytes)
{
	output(bytes, strlen(bytes), vt);
}

void vt_key(struct vt *vt, VTermKey key)
{
	vterm_keyboard_key(vt->term, key, VTERM_MOD_NONE);
}

void vt_resize(struct vt *vt, int rows, int cols)
{
	vt->rows = rows;
	vt->cols = cols;
	vterm_set_size(vt->term, rows, cols);
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	ioctl(vt->fd, TIOCSWINSZ, &ws);
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

const char *vt_home(struct vt *vt)
{
	return vt->home;
}

int vt_wait_exit(struct vt *vt, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	while (!vt->exited) {
		int status;
		pid_t r = waitpid(vt->pid, &status, WNOHANG);
		if (r == vt->pid) {
			vt->exited = true;
			vt->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		if (now_ms() > end)
			return -1;
		vt_pump(vt, 20);
	}
	while (vt_pump(vt, 20) > 0)
		;
	return vt->status;
}

void vt_kill(struct vt *vt, int sig)
{
	if (!vt->exited)
		kill(vt->pid, sig);
}

void vt_free(struct vt *vt)
{
	if (!vt)
		return;
	if (!vt->exited) {
		kill(vt->pid, SIGKILL);
		waitpid(vt->pid, NULL, 0);
	}
	if (vt->fd >= 0)
		close(vt->fd);
	vterm_free(vt->term);
	free(vt->log);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", vt->home);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", vt->home);
	free(vt);
}
