/* The in-place editor: draws a textbuf in a rectangle, turns keys into
 * edits, and says when the text is due to be saved. The hosting screen
 * saves (the store is not this widget's business). */
#include "lanyard/editor.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lanyard/ltime.h"
#include "lanyard/text.h"
#include "lanyard/ui.h"

#define CTRL(c) ((c) & 0x1f)

struct editor {
	struct textbuf buf;
	int width, top;
	unsigned saved_gen;
	int64_t last_key_ms, last_save_ms;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct editor *editor_new(const char *text)
{
	struct editor *e = calloc(1, sizeof *e);
	if (!e || textbuf_init(&e->buf, text) != 0) {
		free(e);
		return NULL;
	}
	e->width = 40;
	e->last_save_ms = now_ms();
	return e;
}

void editor_free(struct editor *e)
{
	if (!e)
		return;
	textbuf_free(&e->buf);
	free(e);
}

const char *editor_text(const struct editor *e)
{
	return e->buf.s;
}

bool editor_dirty(const struct editor *e)
{
	return e->buf.gen != e->saved_gen;
}

bool editor_due(const struct editor *e)
{
	if (!editor_dirty(e))
		return false;
	int64_t t = now_ms();
	return t - e->last_key_ms >= 300 || t - e->last_save_ms >= 1000;
}

void editor_saved(struct editor *e)
{
	e->saved_gen = e->buf.gen;
	e->last_save_ms = now_ms();
}

static bool key_named(int key, const char *name)
{
	const char *k = keyname(key);
	return k && strcmp(k, name) == 0;
}

int editor_key(struct editor *e, int key, bool keycode)
{
	struct textbuf *b = &e->buf;
	e->last_key_ms = now_ms();
	if (!keycode) {
		if (key == 27) {
			/* Alt-b / Alt-f arrive as Esc then the letter. */
			timeout(0);
			int next = getch();
			timeout(250);
			if (next == 'b')
				textbuf_word_left(b);
			else if (next == 'f')
				textbuf_word_right(b);
			else if (next != ERR)
				ungetch(next);
			return next == ERR ? ED_DONE : ED_CONTINUE;
		}
		switch (key) {
		case '\r':
		case '\n':
			textbuf_insert(b, "\n");
			return ED_SAVE_NOW;
		case 127:
		case CTRL('h'):
			textbuf_backspace(b);
			return ED_CONTINUE;
		case CTRL('a'): textbuf_home(b, e->width); return ED_CONTINUE;
		case CTRL('e'): textbuf_end(b, e->width); return ED_CONTINUE;
		case CTRL('u'): textbuf_kill_to_start(b); return ED_CONTINUE;
		case CTRL('d'): textbuf_delete(b); return ED_CONTINUE;
		case CTRL('t'): {
			char stamp[17], ins[16];
			ltime_format_stamp(ltime_now(), stamp);
			snprintf(ins, sizeof ins, "[%.5s] ", stamp + 11);
			textbuf_insert(b, ins);
			return ED_CONTINUE;
		}
		default:
			if (key >= 0x20 && key != 0x7f) {
				char u[5];
				size_t n = text_encode((uint32_t)key, u);
				u[n] = '\0';
				textbuf_insert(b, u);
			}
			return ED_CONTINUE;
		}
	}
	switch (key) {
	case KEY_LEFT: textbuf_left(b); break;
	case KEY_RIGHT: textbuf_right(b); break;
	case KEY_UP: textbuf_up(b, e->width); break;
	case KEY_DOWN: textbuf_down(b, e->width); break;
	case KEY_HOME: textbuf_home(b, e->width); break;
	case KEY_END: textbuf_end(b, e->width); break;
	case KEY_BACKSPACE: textbuf_backspace(b); break;
	case KEY_DC: textbuf_delete(b); break;
	case KEY_ENTER: textbuf_insert(b, "\n"); return ED_SAVE_NOW;
	case KEY_PPAGE: for (int i = 0; i < 5; i++) textbuf_up(b, e->width); break;
	case KEY_NPAGE: for (int i = 0; i < 5; i++) textbuf_down(b, e->width); break;
	default:
		if (key_named(key, "kLFT5") || key_named(key, "kLFT3"))
			textbuf_word_left(b);
		else if (key_named(key, "kRIT5") || key_named(key, "kRIT3"))
			textbuf_word_right(b);
		break;
	}
	return ED_CONTINUE;
}

void editor_draw(struct editor *e, int y, int x, int h, int w)
{
	if (h < 1 || w < 2)
		return;
	e->width = w;
	struct textbuf_row *rows;
	int row, col;
	int n = textbuf_layout(&e->buf, w, &rows, &row, &col);
	if (n < 0)
		return;
	if (row < e->top)
		e->top = row;
	if (row >= e->top + h)
		e->top = row - h + 1;
	for (int i = 0; i < h; i++) {
		int k = e->top + i;
		if (k >= n) {
			ui_text(y + i, x, w, A_DIM, k == n && n == 1 && e->buf.len == 0 ? "" : "");
			continue;
		}
		size_t len = rows[k].end - rows[k].start;
		char *line = malloc(len + 1);
		if (!line)
			break;
		memcpy(line, e->buf.s + rows[k].start, len);
		line[len] = '\0';
		ui_text(y + i, x, w, A_NORMAL, line);
		free(line);
	}
	free(rows);
	move(y + row - e->top, x + col);
}

int editor_external(const char *text, char **out, char *err, size_t errlen)
{
	*out = NULL;
	const char *tmpdir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/lanyard-XXXXXX.md", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemps(path, 3);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file: %s", strerror(errno));
		return -1;
	}
	size_t n = strlen(text);
	bool ok = write(fd, text, n) == (ssize_t)n;
	close(fd);
	if (!ok) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	/* The editor may be a command with arguments: let the shell split it. */
	size_t cmdlen = strlen(ed) + strlen(path) + 8;
	char *cmd = malloc(cmdlen);
	if (!cmd) {
		unlink(path);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(cmd, cmdlen, "%s '%s'", ed, path);
	int status = system(cmd);
	free(cmd);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "%s failed; takeaways unchanged", ed);
		unlink(path);
		return -1;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	size_t cap = 4096, len = 0, r;
	char *buf = malloc(cap);
	while (buf && (r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += r;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	unlink(path);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	buf[len] = '\0';
	/* Editors add a final newline; the text did not have one. */
	while (len > 0 && buf[len - 1] == '\n' && (n == 0 || text[n - 1] != '\n'))
		buf[--len] = '\0';
	*out = buf;
	return 0;
}
