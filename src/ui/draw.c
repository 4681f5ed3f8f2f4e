/* Drawing helpers: every string from the data goes through text_sanitize
 * and is measured in display columns (text.h), never bytes. */
#include "lanyard/ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "lanyard/text.h"

static int draw(int y, int x, int w, int attr, const char *s, bool pad)
{
	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	char *clean = text_sanitize(s ? s : "", false);
	if (!clean)
		return 0;
	char stackbuf[1024];
	size_t need = strlen(clean) + 8;
	char *buf = need <= sizeof stackbuf ? stackbuf : malloc(need);
	int used = 0;
	if (buf) {
		used = text_fit(clean, w, buf, need <= sizeof stackbuf ? sizeof stackbuf : need);
		attron(attr);
		mvaddstr(y, x, buf);
		if (pad)
			for (int i = used; i < w; i++)
				addch(' ');
		attroff(attr);
		if (buf != stackbuf)
			free(buf);
	}
	free(clean);
	return used;
}

int ui_text(int y, int x, int w, int attr, const char *s)
{
	return draw(y, x, w, attr, s, true);
}

int ui_text_nopad(int y, int x, int w, int attr, const char *s)
{
	return draw(y, x, w, attr, s, false);
}

void ui_clear(int y, int x, int h, int w)
{
	for (int r = 0; r < h; r++)
		ui_text(y + r, x, w, A_NORMAL, "");
}

struct wrap_ctx {
	int y, x, h, w, attr, skip, line;
};

static void wrap_line(void *p, const char *line, size_t len)
{
	struct wrap_ctx *c = p;
	int row = c->line - c->skip;
	c->line++;
	if (row < 0 || row >= c->h)
		return;
	char buf[1024];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	ui_text(c->y + row, c->x, c->w, c->attr, buf);
}

int ui_wrap(int y, int x, int h, int w, int attr, const char *s, int skip)
{
	char *clean = text_sanitize(s ? s : "", true);
	if (!clean)
		return 0;
	struct wrap_ctx c = { y, x, h, w, attr, skip, 0 };
	text_wrap(clean, w, wrap_line, &c);
	free(clean);
	return c.line;
}

const char *ui_status_glyph(struct app *app, enum talk_status s)
{
	static const char *const utf8[] = { " ", "\xe2\x80\xa2", "\xe2\x9c\x93", "\xe2\x9c\x97" }; /* • ✓ ✗ */
	static const char *const ascii[] = { " ", "*", "+", "x" };
	return (app->utf8 ? utf8 : ascii)[(unsigned)s < 4 ? s : 0];
}

enum role ui_status_role(enum talk_status s)
{
	switch (s) {
	case STATUS_PLANNED: return ROLE_PLANNED;
	case STATUS_ATTENDED: return ROLE_ATTENDED;
	case STATUS_SKIPPED: return ROLE_SKIPPED;
	default: return ROLE_NORMAL;
	}
}

const char *ui_stars(struct app *app, int rating)
{
	static char buf[32];
	buf[0] = '\0';
	if (rating < 1 || rating > 5)
		return buf;
	size_t o = 0;
	for (int i = 1; i <= 5; i++) {
		const char *g = app->utf8 ? (i <= rating ? "\xe2\x98\x85" : "\xe2\x98\x86") : (i <= rating ? "*" : "-");
		size_t n = strlen(g);
		memcpy(buf + o, g, n);
		o += n;
	}
	buf[o] = '\0';
	return buf;
}

void ui_hhmm(const char *stamp, char out[6])
{
	if (stamp && strlen(stamp) >= 16)
		memcpy(out, stamp + 11, 5), out[5] = '\0';
	else
		memcpy(out, "--:--", 6);
}
