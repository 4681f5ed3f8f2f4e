/* vt — run a real program on a pseudo-terminal and render what it writes
 * with libvterm, so screen tests can assert on what a user would see.
 *
 * Typical use:
 *
 *     char *argv[] = { "build/lanyard", "db", NULL };
 *     const char *env[] = { "LANYARD_NOW=2022-05-18T11:07", NULL };
 *     struct vt *vt = vt_spawn(argv, env, 24, 80);
 *     assert_true(vt_wait_text(vt, "Day 1", 5000));
 *     vt_key(vt, VTERM_KEY_DOWN, VTERM_MOD_NONE);
 *     assert_true(vt_wait_row(vt, 3, "Keynote", 5000));
 *     vt_send(vt, "q");
 *     assert_int_equal(vt_wait_exit(vt, 5000), 0);
 *     vt_free(vt);
 *
 * Waiting: every vt_wait_* polls the pty (no fixed sleeps) and returns as
 * soon as the condition holds; on timeout (or when the program exits
 * before it holds) it prints what it waited for and the screen to stderr
 * and returns false. All timeouts are multiplied by $VT_TIMEOUT_SCALE when
 * that is set to a positive number (e.g. 3 under valgrind).
 *
 * Coordinates: rows and columns are 0-based screen cells. A double-width
 * character occupies two cells; text returned by vt_row appears once.
 *
 * Ownership: vt_spawn returns a struct vt that the caller releases with
 * vt_free (which also kills the program if it is still running, reaps it
 * and removes its private HOME). Strings from vt_row and vt_screen are
 * malloc'd and the caller frees them. vt_log and vt_home return pointers
 * owned by the struct vt: valid until vt_free (vt_log's only until the
 * next call that reads from the pty: vt_pump, any vt_wait_*, vt_send,
 * vt_key, vt_unichar, vt_click, vt_wheel, vt_wait_exit).
 *
 * Signals: the first vt_spawn sets SIGPIPE to SIG_IGN in the calling process
 * if it was SIG_DFL (writes to a closed pty fail with EIO/EPIPE instead of
 * killing the test). The program under test starts with default
 * dispositions and an empty signal mask.
 *
 * Not thread-safe; use one struct vt from one thread. */
#ifndef LANYARD_VT_H
#define LANYARD_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <vterm.h>

struct vt;

/* Start argv[0] (searched in the child's PATH unless it contains '/') on a
 * new pty of rows x cols. The child's environment is cleared and pinned:
 *   TERM=xterm-256color  LC_ALL=C.UTF-8  TZ=UTC  PATH=<the caller's PATH>
 *   HOME=<a fresh mkdtemp dir under /tmp, see vt_home>
 * plus ASAN_OPTIONS, UBSAN_OPTIONS and LSAN_OPTIONS if the caller has them,
 * and nothing else (so LINES/COLUMNS are unset). env (NULL-terminated, may
 * be NULL) then applies in order: "NAME=value" sets (overriding the pinned
 * values), "NAME=" or "-NAME" unsets. argv and env are only read.
 * Returns NULL (after printing why to stderr) when the program cannot be
 * found or executed, or on any system failure. */
struct vt *vt_spawn(char *const argv[], const char *const env[], int rows, int cols);

/* Kill the program if alive (SIGKILL to its process group, then waitpid),
 * close the pty, free everything, remove HOME recursively. NULL is a no-op. */
void vt_free(struct vt *vt);

/* Wait up to timeout_ms (0: don't wait) for output, then read everything
 * available, feed it to the terminal and append it to the log. Returns the
 * number of bytes read (0 if none), or -1 once the pty has closed (every
 * process holding the terminal has exited). */
int vt_pump(struct vt *vt, int timeout_ms);

/* true once utf8 appears anywhere on the screen (within one row). */
bool vt_wait_text(struct vt *vt, const char *utf8, int timeout_ms);
/* true once row `row` contains utf8. */
bool vt_wait_row(struct vt *vt, int row, const char *utf8, int timeout_ms);
/* true once utf8 is nowhere on the screen. */
bool vt_wait_gone(struct vt *vt, const char *utf8, int timeout_ms);
/* true once the program has written nothing for quiet_ms (or the pty has
 * closed); false if output kept coming for timeout_ms. */
bool vt_wait_stable(struct vt *vt, int quiet_ms, int timeout_ms);

/* true once the program sleeps waiting for input (its main thread is
 * blocked in read/poll/select per /proc/PID/syscall, twice in a row with
 * no output in between); where that cannot be read, once it has been
 * quiet for 50 ms. false if it exits or keeps busy for timeout_ms. Useful
 * before an action whose effect must not race the program's redraw. */
bool vt_wait_idle(struct vt *vt, int timeout_ms);

/* CLOCK_MONOTONIC in microseconds, and the moment the last byte of output
 * was read (0 before any): with vt_wait_idle, when the screen last changed
 * (for latency measurements). */
int64_t vt_now_us(void);
int64_t vt_last_output_us(struct vt *vt);

/* Row text as UTF-8, trailing blanks trimmed, a double-width character
 * once (malloc'd; caller frees). Out-of-range rows give "". */
char *vt_row(struct vt *vt, int row);
/* Every row (as vt_row) joined with '\n', with a final '\n' (malloc'd). */
char *vt_screen(struct vt *vt);
/* Number of times utf8 occurs on the screen (non-overlapping, within
 * rows; 0 when absent). row/col (either may be NULL) receive the first
 * occurrence, top to bottom then left to right; col counts screen cells,
 * so text after a double-width character is found at its cell column. */
int vt_find(struct vt *vt, const char *utf8, int *row, int *col);

/* Attributes of one cell. libvterm 0.1.4 does not track dim/faint (SGR 2),
 * so there is no dim field. Colours: *_index is the palette index (0-255)
 * when the colour was set by index (SGR 30-37, 90-97, 38;5;n ...), else -1;
 * *_default is true when no colour was set (SGR 39/49, sgr0). For direct
 * RGB colours (38;2;r;g;b), *_index is -1 and *_rgb holds the colour. */
struct vt_cell_attr {
	bool bold, underline, italic, blink, reverse, strike;
	int fg_index, bg_index;
	bool fg_default, bg_default;
	uint8_t fg_rgb[3], bg_rgb[3];
};
/* false (and *out untouched) when row/col is off the screen. */
bool vt_attr(struct vt *vt, int row, int col, struct vt_cell_attr *out);

/* Raw bytes to the program, exactly as given (e.g. "j", "/speaker", "\r",
 * "\x1b"). Not for cursor/function keys: use vt_key. */
void vt_send(struct vt *vt, const char *bytes);
/* A key as a terminal sends it, honouring the modes the program set: with
 * keypad() on, VTERM_KEY_DOWN is "\eOB", otherwise "\e[B". */
void vt_key(struct vt *vt, VTermKey key, VTermModifier mod);
/* A Unicode character (UTF-8 encoded), with modifiers (Ctrl+'a' is 0x01,
 * Alt+'x' is "\ex"). */
void vt_unichar(struct vt *vt, uint32_t c, VTermModifier mod);

/* Left click (press and release) or one wheel notch at a cell. libvterm
 * reports them in the protocol the program enabled; if it enabled no mouse
 * reporting, nothing is sent. */
void vt_click(struct vt *vt, int row, int col);
void vt_wheel(struct vt *vt, int row, int col, bool up);

/* Resize the terminal and the pty (the kernel sends SIGWINCH to the
 * program's process group). First waits (up to 2 s) for the program to
 * block on input: curses only notices SIGWINCH when it interrupts that
 * wait or at the start of a refresh, so a signal landing mid-redraw would
 * otherwise sit unnoticed until the next key. */
void vt_resize(struct vt *vt, int rows, int cols);
void vt_size(struct vt *vt, int *rows, int *cols);

/* Every byte received so far, NUL-terminated for convenience (the log
 * itself may contain NULs; use *len, which may be NULL). */
const char *vt_log(struct vt *vt, size_t *len);
/* Whether the alternate screen is active / the cursor is visible, as the
 * program last set them. */
bool vt_altscreen(struct vt *vt);
bool vt_cursor_visible(struct vt *vt);
/* Cursor position (either pointer may be NULL). */
void vt_cursor(struct vt *vt, int *row, int *col);

/* Read output until the pty closes and the program is reaped. Returns its
 * exit status, 128 + signal number if a signal killed it, or -1 if it was
 * still running after timeout_ms. Once reaped, returns the same status
 * again at once. */
int vt_wait_exit(struct vt *vt, int timeout_ms);
/* Send sig to the program (not its children); no-op once reaped. */
void vt_kill(struct vt *vt, int sig);
pid_t vt_pid(struct vt *vt);
/* The program's private HOME directory. */
const char *vt_home(struct vt *vt);

/* The screen inside a border with row numbers and a column ruler, plus
 * cursor, alternate-screen state and the last bytes received. */
void vt_dump(struct vt *vt, FILE *out);

#endif
