/* The in-place editor widget: keys become textbuf edits, the text is saved
 * as it is typed through the host's save function, and the wrapped text is
 * drawn in a rectangle by display columns. */
#include "lanyard/ui_editor.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "lanyard/ltime.h"
#include "lanyard/text.h"
#include "lanyard/textbuf.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

/* "At most about a second behind": save when typing pauses, and at least
 * once a second while it goes on. */
#define SAVE_PAUSE_MS 300
#define SAVE_MAX_MS 1000
#define SAVE_RETRY_MS 1000
/* The rest of an escape sequence the terminal sent in one go. */
#define ESC_SEQ_MS 20

enum edit {
	ED_NONE = 0,
	ED_LEFT, ED_RIGHT, ED_UP, ED_DOWN, ED_HOME, ED_END, ED_TOP, ED_BOTTOM,
	ED_WORD_LEFT, ED_WORD_RIGHT, ED_PAGE_UP, ED_PAGE_DOWN,
	ED_BACKSPACE, ED_DELETE, ED_DEL_WORD_LEFT, ED_DEL_WORD_RIGHT,
	ED_KILL_START, ED_KILL_END, ED_NEWLINE, ED_TIME, ED_LEAVE
};

/* Keys ncurses reports as extended keycodes, looked up in terminfo when
 * the editor opens (0 = this terminal does not define it). */
static const struct {
	const char *cap;
	enum edit edit;
} ext_keys[] = {
	{ "kLFT5", ED_WORD_LEFT },  /* Ctrl-Left */
	{ "kRIT5", ED_WORD_RIGHT }, /* Ctrl-Right */
	{ "kLFT3", ED_WORD_LEFT },  /* Alt-Left */
	{ "kRIT3", ED_WORD_RIGHT }, /* Alt-Right */
	{ "kDC5", ED_DEL_WORD_RIGHT }, /* Ctrl-Delete */
	{ "kHOM5", ED_TOP },        /* Ctrl-Home */
	{ "kEND5", ED_BOTTOM },     /* Ctrl-End */
};
#define NEXT_KEYS (sizeof ext_keys / sizeof ext_keys[0])

struct editor {
	WINDOW *win;
	int y, x, h, w;
	struct textbuf *buf;
	editor_save_fn save;
	void *ctx;
	int top;                /* first visual row shown */
	int cur_y, cur_x;       /* where the cursor was drawn; -1 = nowhere */
	unsigned long saved_gen;
	int64_t last_key_ms;    /* the last change */
	int64_t dirty_ms;       /* the first change not saved yet */
	int64_t retry_ms;       /* after a failed save: no automatic retry before */
	bool failed;            /* the last save failed: err holds why */
	bool esc_failed;        /* the previous key was an Esc whose save failed */
	struct ly_error err;
	int prev_cursor;        /* curs_set before editor_open; ERR = unknown */
	int ext_code[NEXT_KEYS];
	int64_t (*clock)(void); /* milliseconds, monotonic (tests replace it) */
};

static void keep_visible(struct editor *e);

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The keycode ncurses gives the terminfo key cap, or 0. */
static int keycode_of(const char *cap)
{
	const char *seq = tigetstr(cap);
	if (!seq || seq == (char *)-1 || !*seq)
		return 0;
	int code = key_defined(seq);
	return code > 0 ? code : 0;
}

struct editor *editor_open(WINDOW *win, int y, int x, int h, int w, const char *initial_text,
                           editor_save_fn save, void *ctx)
{
	struct editor *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->buf = textbuf_new(initial_text);
	if (!e->buf) {
		free(e);
		return NULL;
	}
	e->win = win;
	e->y = y, e->x = x, e->h = h, e->w = w;
	e->save = save;
	e->ctx = ctx;
	e->cur_y = e->cur_x = -1;
	e->saved_gen = textbuf_gen(e->buf);
	e->clock = monotonic_ms;
	for (size_t i = 0; i < NEXT_KEYS; i++)
		e->ext_code[i] = win ? keycode_of(ext_keys[i].cap) : 0;
	e->prev_cursor = win ? curs_set(1) : ERR;
	return e;
}

bool editor_dirty(struct editor *e)
{
	return e && textbuf_gen(e->buf) != e->saved_gen;
}

const char *editor_text(struct editor *e)
{
	return textbuf_text(e->buf);
}

void editor_set_text(struct editor *e, const char *text)
{
	if (!e)
		return;
	size_t cur = textbuf_cursor(e->buf);
	if (textbuf_set(e->buf, text) != LY_OK)
		return;
	textbuf_set_cursor(e->buf, cur < textbuf_len(e->buf) ? cur : textbuf_len(e->buf));
	keep_visible(e);
}

const char *editor_error(struct editor *e)
{
	return e && e->failed ? e->err.msg : NULL;
}

int editor_save(struct editor *e)
{
	if (!editor_dirty(e))
		return EDITOR_CONTINUE;
	unsigned long gen = textbuf_gen(e->buf);
	struct ly_error err;
	err.msg[0] = '\0';
	if (e->save && e->save(e->ctx, textbuf_text(e->buf), &err) != LY_OK) {
		e->failed = true;
		if (!err.msg[0])
			snprintf(err.msg, sizeof err.msg, "cannot save the text");
		e->err = err;
		e->retry_ms = e->clock() + SAVE_RETRY_MS;
		return EDITOR_ERROR;
	}
	e->failed = false;
	e->saved_gen = gen;
	return EDITOR_CONTINUE;
}

static bool save_due(struct editor *e, bool keyed)
{
	if (!editor_dirty(e))
		return false;
	int64_t now = e->clock();
	if (e->failed && now < e->retry_ms)
		return false;
	/* While keys come in, only the one-second limit applies. */
	return now - e->dirty_ms >= SAVE_MAX_MS || (!keyed && now - e->last_key_ms >= SAVE_PAUSE_MS);
}

int editor_tick(struct editor *e)
{
	if (e && save_due(e, false))
		return editor_save(e);
	return EDITOR_CONTINUE;
}

int editor_close(struct editor *e, struct ly_error *err)
{
	if (!e)
		return LY_OK;
	int rc = LY_OK;
	if (editor_save(e) != EDITOR_CONTINUE) {
		rc = LY_ERR;
		if (err)
			*err = e->err;
	}
	if (e->prev_cursor != ERR)
		curs_set(e->prev_cursor);
	textbuf_free(e->buf);
	free(e);
	return rc;
}

/* ---- keys --------------------------------------------------------------- */

/* The next key already sent, waiting at most ms (the window's own delay
 * is restored). ERR when there is none. */
static int next_key(struct editor *e, int ms, wint_t *ch)
{
	if (!e->win)
		return ERR;
	int delay = wgetdelay(e->win);
	wtimeout(e->win, ms);
	int r = wget_wch(e->win, ch);
	wtimeout(e->win, delay);
	return r;
}

/* A CSI / SS3 sequence the terminal sent and curses did not decode
 * (keypad off, or a key the terminfo entry lacks): ESC [ 1 ; 5 D is
 * Ctrl-Left. Unknown sequences are read to their end and ignored. */
static enum edit escape_sequence(struct editor *e, wint_t intro)
{
	char params[16];
	size_t n = 0;
	wint_t ch;
	int r, final = 0;
	while ((r = next_key(e, ESC_SEQ_MS, &ch)) != ERR) {
		if (r == KEY_CODE_YES)
			return ED_NONE;
		if (ch >= 0x40 && ch <= 0x7E) {
			final = (int)ch;
			break;
		}
		if (ch < 0x20 || ch > 0x3F || n + 1 >= sizeof params)
			return ED_NONE;
		params[n++] = (char)ch;
	}
	params[n] = '\0';
	/* Modifiers: ";5" Ctrl, ";3" Alt. */
	const char *mod = strchr(params, ';');
	bool word = mod && (strcmp(mod, ";5") == 0 || strcmp(mod, ";3") == 0);
	bool plain = !mod && (n == 0 || strcmp(params, "1") == 0);
	switch (final) {
	case 'D': return word ? ED_WORD_LEFT : plain ? ED_LEFT : ED_NONE;
	case 'C': return word ? ED_WORD_RIGHT : plain ? ED_RIGHT : ED_NONE;
	case 'A': return plain ? ED_UP : ED_NONE;
	case 'B': return plain ? ED_DOWN : ED_NONE;
	case 'H': return plain ? ED_HOME : word ? ED_TOP : ED_NONE;
	case 'F': return plain ? ED_END : word ? ED_BOTTOM : ED_NONE;
	case '~':
		if (intro != '[')
			return ED_NONE;
		if (strcmp(params, "3") == 0)
			return ED_DELETE;
		if (strcmp(params, "3;5") == 0)
			return ED_DEL_WORD_RIGHT;
		if (strcmp(params, "1") == 0 || strcmp(params, "7") == 0)
			return ED_HOME;
		if (strcmp(params, "4") == 0 || strcmp(params, "8") == 0)
			return ED_END;
		if (strcmp(params, "5") == 0)
			return ED_PAGE_UP;
		if (strcmp(params, "6") == 0)
			return ED_PAGE_DOWN;
		return ED_NONE;
	default:
		return ED_NONE;
	}
}

/* After Esc: a lone Esc leaves; Esc + key is Alt + key. Curses has
 * already waited ESCDELAY for the rest, so do not wait again. */
static enum edit after_escape(struct editor *e)
{
	wint_t ch;
	int r = next_key(e, 0, &ch);
	if (r == ERR)
		return ED_LEAVE;
	if (r == KEY_CODE_YES) {
		switch (ch) {
		case KEY_LEFT: return ED_WORD_LEFT;
		case KEY_RIGHT: return ED_WORD_RIGHT;
		case KEY_BACKSPACE: return ED_DEL_WORD_LEFT;
		default: return ED_NONE;
		}
	}
	switch (ch) {
	case 'b': case 'B': return ED_WORD_LEFT;
	case 'f': case 'F': return ED_WORD_RIGHT;
	case 'd': case 'D': return ED_DEL_WORD_RIGHT;
	case 127: case CTRL('h'): return ED_DEL_WORD_LEFT;
	case '[': case 'O': return escape_sequence(e, ch);
	case KEY_ESC: return ED_LEAVE;
	/* Any other Alt + key does nothing: leaving and giving the key to the
	 * browser would turn a slip of the finger into a mark or a rating. */
	default: return ED_NONE;
	}
}

/* The editor's keys, as data: the footer and the help are made from this
 * table, so they cannot drift from what the keys do. Alt + key and the
 * terminal's extended keys (Ctrl-Left...) are read apart, below. */
const struct editor_keydef editor_keys[] = {
	{ KEY_LEFT, true, ED_LEFT, "Left", NULL },        { KEY_RIGHT, true, ED_RIGHT, "Right", NULL },
	{ KEY_UP, true, ED_UP, "Up", NULL },              { KEY_DOWN, true, ED_DOWN, "Down", NULL },
	{ KEY_HOME, true, ED_HOME, "Home", NULL },        { KEY_END, true, ED_END, "End", NULL },
	{ CTRL('a'), false, ED_HOME, "Ctrl-A", NULL },    { CTRL('e'), false, ED_END, "Ctrl-E", NULL },
	{ KEY_PPAGE, true, ED_PAGE_UP, "PgUp", NULL },    { KEY_NPAGE, true, ED_PAGE_DOWN, "PgDn", NULL },
	{ KEY_BACKSPACE, true, ED_BACKSPACE, "Backspace", NULL },
	{ 127, false, ED_BACKSPACE, NULL, NULL },         { CTRL('h'), false, ED_BACKSPACE, NULL, NULL },
	{ KEY_DC, true, ED_DELETE, "Delete", NULL },      { CTRL('d'), false, ED_DELETE, "Ctrl-D", NULL },
	{ CTRL('t'), false, ED_TIME, "Ctrl-T", "time" },
	{ KEY_ENTER, true, ED_NEWLINE, NULL, NULL },      { '\n', false, ED_NEWLINE, NULL, NULL },
	{ '\r', false, ED_NEWLINE, "Enter", "new line" },
	{ CTRL('w'), false, ED_DEL_WORD_LEFT, "Ctrl-W", "delete word" },
	{ CTRL('k'), false, ED_KILL_END, "Ctrl-K", "to line end" },
	{ CTRL('u'), false, ED_KILL_START, "Ctrl-U", NULL },
	{ 0, false, ED_NONE, NULL, NULL },
};

static enum edit table_edit(int key, bool keycode)
{
	for (const struct editor_keydef *k = editor_keys; k->edit != ED_NONE; k++)
		if (k->key == key && k->keycode == keycode)
			return (enum edit)k->edit;
	return ED_NONE;
}

static enum edit keycode_edit(struct editor *e, int key)
{
	enum edit ed = table_edit(key, true);
	if (ed != ED_NONE)
		return ed;
	for (size_t i = 0; i < NEXT_KEYS; i++)
		if (e->ext_code[i] && key == e->ext_code[i])
			return ext_keys[i].edit;
	/* A terminal switched after editor_open: ask by name. */
	const char *name = keyname(key);
	for (size_t i = 0; name && i < NEXT_KEYS; i++)
		if (strcmp(name, ext_keys[i].cap) == 0)
			return ext_keys[i].edit;
	return ED_NONE;
}

static enum edit char_edit(int key)
{
	return table_edit(key, false);
}

static bool printable(int key)
{
	if (key == '\t')
		return true;  /* the buffer makes it a space */
	return key >= 0x20 && key != 0x7F && !(key >= 0x80 && key < 0xA0) && key <= 0x10FFFF &&
	       !(key >= 0xD800 && key <= 0xDFFF);
}

static int cols(const struct editor *e)
{
	return e->w > 0 ? e->w : 1;
}

static int page(const struct editor *e)
{
	return e->h > 2 ? e->h - 1 : 1;
}

static void apply(struct editor *e, enum edit ed)
{
	struct textbuf *b = e->buf;
	size_t before = textbuf_cursor(b);
	switch (ed) {
	case ED_NONE: case ED_LEAVE: break;
	case ED_LEFT: textbuf_left(b); break;
	case ED_RIGHT: textbuf_right(b); break;
	case ED_UP: textbuf_up(b, cols(e), 1); break;
	case ED_DOWN: textbuf_down(b, cols(e), 1); break;
	case ED_HOME:
		/* Home on a wrapped row's start goes on to the line's start. */
		textbuf_home(b, cols(e));
		if (textbuf_cursor(b) == before)
			textbuf_line_start(b);
		break;
	case ED_END:
		textbuf_end(b, cols(e));
		if (textbuf_cursor(b) == before)
			textbuf_line_end(b);
		break;
	case ED_TOP: textbuf_set_cursor(b, 0); break;
	case ED_BOTTOM: textbuf_set_cursor(b, textbuf_len(b)); break;
	case ED_WORD_LEFT: textbuf_word_left(b); break;
	case ED_WORD_RIGHT: textbuf_word_right(b); break;
	case ED_PAGE_UP:
		textbuf_up(b, cols(e), page(e));
		e->top -= page(e);
		break;
	case ED_PAGE_DOWN:
		textbuf_down(b, cols(e), page(e));
		e->top += page(e);
		break;
	case ED_BACKSPACE: textbuf_backspace(b); break;
	case ED_DELETE: textbuf_delete(b); break;
	case ED_DEL_WORD_LEFT: textbuf_delete_word_left(b); break;
	case ED_DEL_WORD_RIGHT: textbuf_delete_word_right(b); break;
	case ED_KILL_START: textbuf_kill_line_start(b); break;
	case ED_KILL_END: textbuf_kill_line_end(b); break;
	case ED_NEWLINE: textbuf_insert(b, "\n"); break;
	case ED_TIME: {
		char stamp[17], ins[16];
		ltime_format_stamp(ltime_now(), stamp);
		/* After a word, a space first: "naive [09:00] ", not "naive[09:00] ". */
		size_t at = textbuf_cursor(b);
		const char *text = textbuf_text(b);
		bool word = at > 0 && !strchr(" \t\n", text[at - 1]);
		snprintf(ins, sizeof ins, "%s[%.5s] ", word ? " " : "", stamp + 11);
		textbuf_insert(b, ins);
		break;
	}
	}
}

/* Scroll so the cursor's row is shown, without empty rows below the text
 * when the text could fill them. */
static void keep_visible(struct editor *e)
{
	int rows = textbuf_rows(e->buf, cols(e));
	int row, col;
	textbuf_cursor_rc(e->buf, cols(e), &row, &col);
	int h = e->h > 0 ? e->h : 1;
	if (e->top > rows - h)
		e->top = rows - h;
	if (e->top < 0)
		e->top = 0;
	if (row < e->top)
		e->top = row;
	if (row >= e->top + h)
		e->top = row - h + 1;
}

int editor_handle(struct editor *e, int key, bool is_keycode)
{
	if (!e)
		return EDITOR_CONTINUE;
	bool esc_failed = e->esc_failed;
	e->esc_failed = false;
	if (is_keycode && (key == KEY_RESIZE || key == KEY_MOUSE))
		return EDITOR_CONTINUE;
	enum edit ed;
	if (is_keycode)
		ed = keycode_edit(e, key);
	else if (key == KEY_ESC)
		ed = after_escape(e);
	else
		ed = char_edit(key);

	if (ed == ED_LEAVE) {
		if (esc_failed || editor_save(e) == EDITOR_CONTINUE)
			return EDITOR_DONE;
		e->esc_failed = true;   /* a second Esc leaves anyway */
		return EDITOR_ERROR;
	}

	bool was_dirty = editor_dirty(e);
	unsigned long gen = textbuf_gen(e->buf);
	if (ed != ED_NONE) {
		apply(e, ed);
	} else if (!is_keycode && key != KEY_ESC && printable(key)) {
		char u[5];
		u[text_encode((uint32_t)key, u)] = '\0';
		textbuf_insert(e->buf, u);
	}
	if (textbuf_gen(e->buf) != gen) {
		e->last_key_ms = e->clock();
		if (!was_dirty)
			e->dirty_ms = e->last_key_ms;
	}
	keep_visible(e);
	if (ed == ED_NEWLINE)
		return editor_save(e);
	if (save_due(e, true))
		return editor_save(e);
	return EDITOR_CONTINUE;
}

/* ---- drawing ------------------------------------------------------------ */

/* Draw one cluster of s (base and marks) if it fits in room columns;
 * returns the columns used, 0 when it does not fit (or at the end). */
static int draw_cluster(struct editor *e, const char *s, size_t n, size_t *i, int room)
{
	wchar_t wc[CCHARW_MAX + 1];
	int k = 0, width;
	uint32_t cp;
	size_t j = *i;
	j += text_decode(s + j, n - j, &cp);
	if (text_cpwidth(cp) == 0) {
		/* A mark with no base (at the start of a line): over a space. */
		wc[k++] = L' ';
		width = 1;
		j = *i;
	} else {
		/* Code points curses cannot print would be drawn as escapes. */
		bool ok = iswprint((wint_t)cp);
		wc[k++] = ok ? (wchar_t)cp : (wchar_t)0xFFFD;
		width = ok ? text_cpwidth(cp) : 1;
	}
	while (j < n) {
		size_t len = text_decode(s + j, n - j, &cp);
		if (cp == '\n' || text_cpwidth(cp) != 0)
			break;
		if (k < CCHARW_MAX && iswprint((wint_t)cp))
			wc[k++] = (wchar_t)cp;
		j += len;
	}
	wc[k] = L'\0';
	if (width > room)
		return 0;
	cchar_t cc;
	if (setcchar(&cc, wc, A_NORMAL, 0, NULL) == OK)
		wadd_wch(e->win, &cc);
	*i = j;
	return width;
}

static int draw_row(struct editor *e, const struct textbuf_row *row)
{
	size_t len = row->end - row->start;
	char *raw = malloc(len + 1);
	if (!raw)
		return 0;
	memcpy(raw, textbuf_text(e->buf) + row->start, len);
	raw[len] = '\0';
	/* The buffer holds no controls; sanitise anyway: nothing from data
	 * reaches the terminal unchecked. */
	char *s = text_sanitize(raw, false);
	free(raw);
	if (!s)
		return 0;
	size_t n = strlen(s), i = 0;
	int used = 0;
	while (i < n) {
		int cw = draw_cluster(e, s, n, &i, e->w - used);
		if (cw == 0)
			break;
		used += cw;
	}
	free(s);
	return used;
}

void editor_draw(struct editor *e)
{
	if (!e)
		return;
	e->cur_y = e->cur_x = -1;
	if (!e->win || e->h < 1 || e->w < 1)
		return;
	keep_visible(e);
	int rows = textbuf_rows(e->buf, e->w);
	for (int i = 0; i < e->h; i++) {
		int used = 0;
		wmove(e->win, e->y + i, e->x);
		const struct textbuf_row *row = textbuf_row(e->buf, e->w, e->top + i);
		if (row) {
			used = draw_row(e, row);
		} else if (e->top + i >= rows) {
			waddch(e->win, '~' | A_DIM);
			used = 1;
		}
		/* Spaces, not wclrtoeol: the rectangle may not reach the edge. */
		for (; used < e->w; used++)
			waddch(e->win, ' ');
	}
	int row, col;
	textbuf_cursor_rc(e->buf, e->w, &row, &col);
	e->cur_y = e->y + row - e->top;
	e->cur_x = e->x + (col < e->w ? col : e->w - 1);
	wmove(e->win, e->cur_y, e->cur_x);
}

void editor_place_cursor(struct editor *e)
{
	if (e && e->win && e->cur_y >= 0)
		wmove(e->win, e->cur_y, e->cur_x);
}

void editor_resize(struct editor *e, int y, int x, int h, int w)
{
	if (!e)
		return;
	if (w != e->w)
		textbuf_set_cursor(e->buf, textbuf_cursor(e->buf)); /* forget the column */
	e->y = y, e->x = x, e->h = h, e->w = w;
	keep_visible(e);
}

bool editor_click(struct editor *e, int y, int x)
{
	if (!e || y < e->y || y >= e->y + e->h || x < e->x || x >= e->x + e->w)
		return false;
	e->esc_failed = false;
	textbuf_set_cursor(e->buf, textbuf_offset_at(e->buf, cols(e), e->top + y - e->y, x - e->x));
	return true;
}

/* ---- $VISUAL / $EDITOR -------------------------------------------------- */

/* path in single quotes for the shell. */
static char *shell_quote(const char *path)
{
	size_t n = 3;
	for (const char *p = path; *p; p++)
		n += *p == '\'' ? 4 : 1;
	char *q = malloc(n), *o = q;
	if (!q)
		return NULL;
	*o++ = '\'';
	for (const char *p = path; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

static char *read_file(const char *path, struct ly_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		ly_fail(err, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, len = 0, r;
	char *buf = malloc(cap);
	while (buf && (r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += r;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	bool bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		ly_fail(err, "cannot read %s: %s", path, bad ? "read error" : "out of memory");
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static int run_editor(const char *path, struct ly_error *err)
{
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	char *quoted = shell_quote(path);
	size_t n = quoted ? strlen(ed) + strlen(quoted) + 2 : 0;
	char *cmd = quoted ? malloc(n) : NULL;
	if (!cmd) {
		free(quoted);
		return ly_fail(err, "out of memory");
	}
	snprintf(cmd, n, "%s %s", ed, quoted);
	free(quoted);
	bool curses = stdscr && !isendwin();
	if (curses) {
		def_prog_mode();
		endwin();
	}
	fflush(stdout);
	int status = system(cmd);
	free(cmd);
	if (curses) {
		reset_prog_mode();
		clearok(curscr, TRUE);
		refresh();
	}
	if (status == -1)
		return ly_fail(err, "cannot run %s: %s", ed, strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return ly_fail(err, "cannot run %s (set $VISUAL or $EDITOR); nothing changed", ed);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return ly_fail(err, "%s failed (status %d); nothing changed", ed,
		               WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return LY_OK;
}

int editor_external(const char *initial, char **out, struct ly_error *err)
{
	char path[4096];
	int rc = editor_external_keep(initial, out, path, sizeof path, err);
	if (rc == LY_OK)
		unlink(path);
	return rc;
}

int editor_external_keep(const char *initial, char **out, char *kept, size_t keptlen, struct ly_error *err)
{
	*out = NULL;
	if (!initial)
		initial = "";
	const char *tmpdir = getenv("TMPDIR");
	char path[4096];
	if (snprintf(path, sizeof path, "%s/lanyard-XXXXXX.md", tmpdir && *tmpdir ? tmpdir : "/tmp") >= (int)sizeof path)
		return ly_fail(err, "TMPDIR is too long");
	int fd = mkstemps(path, 3);
	if (fd < 0)
		return ly_fail(err, "cannot create a temporary file in %s: %s",
		               tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(errno));
	size_t n = strlen(initial), done = 0;
	while (done < n) {
		ssize_t w = write(fd, initial + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (close(fd) != 0 || done < n) {
		int rc = ly_fail(err, "cannot write %s: %s", path, strerror(errno));
		unlink(path);
		return rc;
	}
	if (run_editor(path, err) != LY_OK) {
		unlink(path);
		return LY_ERR;
	}
	char *text = read_file(path, err);
	if (!text) {
		unlink(path);
		return LY_ERR;
	}
	/* Editors end the file with a newline the text did not have. */
	if (n == 0 || initial[n - 1] != '\n') {
		size_t len = strlen(text);
		while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
			text[--len] = '\0';
	}
	*out = text_sanitize(text, true);
	free(text);
	if (!*out) {
		unlink(path);
		return ly_fail(err, "out of memory");
	}
	snprintf(kept, keptlen, "%s", path);
	return LY_OK;
}
