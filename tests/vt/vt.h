/* A real program on a pseudo-terminal, rendered by libvterm, for screen
 * tests: spawn it with a pinned environment, send keys, wait (by polling,
 * never fixed sleeps) for text, read the screen and the raw bytes.
 * Ownership: vt_spawn returns a struct vt freed by vt_free, which also
 * kills the child and removes its private HOME. Strings from vt_row and
 * vt_screen are malloc'd; the caller frees them. */
#ifndef LANYARD_VT_H
#define LANYARD_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <vterm.h>

struct vt;

/* env: extra "NAME=value" entries (override the pinned ones), NULL-ended. */
struct vt *vt_spawn(char *const argv[], const char *const env[], int rows, int cols);
void vt_free(struct vt *vt);
/* Read what the child wrote for up to timeout_ms; -1 once the pty closed. */
int vt_pump(struct vt *vt, int timeout_ms);
bool vt_wait_text(struct vt *vt, const char *text, int timeout_ms);
bool vt_wait_gone(struct vt *vt, const char *text, int timeout_ms);
char *vt_row(struct vt *vt, int row);
char *vt_screen(struct vt *vt);
/* Row and cell column of text on the screen; false when absent. */
bool vt_find(struct vt *vt, const char *text, int *row, int *col);
bool vt_cell_reverse(struct vt *vt, int row, int col);
void vt_send(struct vt *vt, const char *bytes);
void vt_key(struct vt *vt, VTermKey key);
void vt_resize(struct vt *vt, int rows, int cols);
const char *vt_log(struct vt *vt, size_t *len);
bool vt_altscreen(struct vt *vt);
/* Exit status, 128 + signal, or -1 on timeout. */
int vt_wait_exit(struct vt *vt, int timeout_ms);
void vt_kill(struct vt *vt, int sig);
const char *vt_home(struct vt *vt);
void vt_dump(struct vt *vt);

#endif
