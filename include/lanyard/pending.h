/* The save path for text the user types (takeaways, day and conference
 * notes): nothing typed is ever dropped.
 *
 * Every save compares before it writes: the store is asked to replace the
 * text the writer started from (its base). When the stored text changed
 * under the writer (another browser, `lanyard note`), both texts are kept,
 * the other one after a marked line (PENDING_MARK), and the merged text is
 * what the writer should show from then on. When the store refuses the
 * write (a lock held by another process, a full disk, a read-only file),
 * the text is kept here, in memory, and pending_retry saves it later; what
 * is still unsaved at exit goes to a recovery file (pending_recover).
 *
 * A target is open while an editor shows it: the editor retries its own
 * saves (through pending_save); pending_retry only retries closed targets,
 * so an open editor never has its text replaced behind its back.
 *
 * Ownership: struct pending borrows the store (which must outlive it) and
 * owns copies of every text it is given.
 */
#ifndef LANYARD_PENDING_H
#define LANYARD_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include "lanyard/error.h"
#include "lanyard/store.h"

/* The line placed before the other writer's text when both are kept. */
#define PENDING_MARK "--- changed elsewhere while you typed; both versions kept ---"

/* What a text belongs to: a talk's takeaways (talk != 0), or the note of
 * conference conf for scope (a day 'YYYY-MM-DD', 'overall', 'booths'). */
struct pending_target {
	int64_t talk;
	int64_t conf;
	char scope[16];
};

enum pending_result {
	PENDING_SAVED = 0,   /* stored as given */
	PENDING_MERGED,      /* stored merged with what changed under us */
	PENDING_KEPT         /* refused by the store: kept here, retried later */
};

struct pending;

struct pending *pending_new(struct store *st);
/* Frees what is still unsaved: call pending_recover first. */
void pending_free(struct pending *p);

/* An editor starts on target, showing base (what the store holds).
 * Returns the text still unsaved for target (borrowed, valid until the next
 * call on p), which the editor should show instead, or NULL. */
const char *pending_open(struct pending *p, const struct pending_target *t, const char *base);
/* Save text for target. PENDING_SAVED; PENDING_MERGED with *merged the
 * text now stored (malloc'd, caller frees; merged may be NULL); or
 * PENDING_KEPT with err saying why the store refused. */
enum pending_result pending_save(struct pending *p, const struct pending_target *t, const char *text,
                                 char **merged, struct ly_error *err);
/* The editor on target is gone; what it left unsaved stays here. file, if
 * not NULL, is a file that holds the text too (an $EDITOR file): it is
 * removed once the text is saved, and named by pending_recover. */
void pending_close(struct pending *p, const struct pending_target *t, const char *file);
/* Try to save every closed target's text. Returns how many remain unsaved
 * (err says why the last one failed); *merged (may be NULL) counts the
 * texts saved by keeping both versions. */
int pending_retry(struct pending *p, int *merged, struct ly_error *err);
/* Texts not saved yet, open targets included. */
int pending_unsaved(const struct pending *p);
/* Unsaved text for target, or NULL (borrowed). */
const char *pending_text(const struct pending *p, const struct pending_target *t);

/* Write every unsaved text to a new file (mode 0600) named
 * lanyard-unsaved-YYYYMMDD-HHMMSS-PID.txt in dir, else in $TMPDIR, else
 * /tmp; its path goes to path. LY_OK, or LY_ERR when nowhere would take it. */
int pending_recover(struct pending *p, const char *dir, char *path, size_t len, struct ly_error *err);

#endif
