/* Unsaved text, kept until the store takes it: compare before write,
 * keep both when the stored text changed, retry when the store refuses,
 * and a recovery file as the last resort. */
#include "lanyard/pending.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct entry {
	struct pending_target t;
	char *base;     /* what the store held when we last read or wrote it; NULL: unknown */
	char *text;     /* unsaved text, or NULL */
	char *file;     /* a file holding text too (removed once saved), or NULL */
	bool open;      /* an editor shows it */
};

struct pending {
	struct store *st;
	struct entry *e;
	size_t n, cap;
};

struct pending *pending_new(struct store *st)
{
	struct pending *p = calloc(1, sizeof *p);
	if (p)
		p->st = st;
	return p;
}

static void entry_free(struct entry *e)
{
	free(e->base);
	free(e->text);
	free(e->file);
}

void pending_free(struct pending *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		entry_free(&p->e[i]);
	free(p->e);
	free(p);
}

static bool same(const struct pending_target *a, const struct pending_target *b)
{
	if (a->talk || b->talk)
		return a->talk == b->talk;
	return a->conf == b->conf && strcmp(a->scope, b->scope) == 0;
}

static struct entry *find(const struct pending *p, const struct pending_target *t)
{
	for (size_t i = 0; i < p->n; i++)
		if (same(&p->e[i].t, t))
			return &p->e[i];
	return NULL;
}

static struct entry *add(struct pending *p, const struct pending_target *t)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct entry *e = realloc(p->e, cap * sizeof *e);
		if (!e)
			return NULL;
		p->e = e;
		p->cap = cap;
	}
	struct entry *e = &p->e[p->n++];
	memset(e, 0, sizeof *e);
	e->t = *t;
	return e;
}

static void drop(struct pending *p, struct entry *e)
{
	entry_free(e);
	*e = p->e[--p->n];
}

/* Replace *slot with a copy of s (NULL stays NULL). false when out of memory. */
static bool set(char **slot, const char *s)
{
	char *c = s ? strdup(s) : NULL;
	if (s && !c)
		return false;
	free(*slot);
	*slot = c;
	return true;
}

const char *pending_open(struct pending *p, const struct pending_target *t, const char *base)
{
	struct entry *e = find(p, t);
	if (!e) {
		if (!(e = add(p, t)))
			return NULL;
		if (!set(&e->base, base ? base : "")) {
			drop(p, e);
			return NULL;
		}
	}
	e->open = true;
	return e->text;
}

static int write_if(struct pending *p, const struct pending_target *t, const char *expected, const char *text,
                    char **stored, struct ly_error *err)
{
	if (t->talk)
		return store_set_takeaways_if(p->st, t->talk, expected, text, stored, err);
	return store_set_note_if(p->st, t->conf, t->scope, expected, text, stored, err);
}

/* The line-aligned length of the start mine and theirs share. */
static size_t shared_lines(const char *mine, const char *theirs)
{
	size_t i = 0, cut = 0;
	while (mine[i] && mine[i] == theirs[i]) {
		if (mine[i] == '\n')
			cut = i + 1;
		i++;
	}
	return cut;
}

/* Both texts, marked: mine first (the writer keeps typing there), then
 * the other's, less the lines both start with. When one holds the other
 * whole, it is the merge. */
static char *merge(const char *mine, const char *theirs)
{
	if (strstr(theirs, mine))
		return strdup(theirs);
	if (strstr(mine, theirs))
		return strdup(mine);
	const char *rest = theirs + shared_lines(mine, theirs);
	size_t n = strlen(mine) + strlen(rest) + sizeof PENDING_MARK + 8;
	char *m = malloc(n);
	if (m)
		snprintf(m, n, "%s%s\n%s\n%s", mine, *mine && mine[strlen(mine) - 1] != '\n' ? "\n\n" : "\n",
		         PENDING_MARK, rest);
	return m;
}

/* Save text for e: SAVED, MERGED (*merged set) or KEPT. What is kept on
 * failure is the text to write next time against e->base: merged with
 * the stored text when that changed, so a later retry loses neither. */
static enum pending_result attempt(struct pending *p, struct entry *e, const char *text, char **merged,
                                   struct ly_error *err)
{
	char *mine = strdup(text);
	if (!mine) {
		ly_fail(err, "out of memory");
		return PENDING_KEPT;
	}
	bool did_merge = false;
	/* Each round either writes or learns the newer stored text; another
	 * writer racing us every time is given up on after a few. */
	for (int round = 0;; round++) {
		char *stored = NULL;
		int rc = write_if(p, &e->t, e->base, mine, &stored, err);
		if (rc == LY_OK) {
			free(e->base);
			e->base = mine;
			free(e->text);
			e->text = NULL;
			if (e->file) {
				unlink(e->file);
				free(e->file);
				e->file = NULL;
			}
			if (did_merge && merged)
				*merged = strdup(mine);
			return did_merge ? PENDING_MERGED : PENDING_SAVED;
		}
		if (rc != LY_CONFLICT)
			break;
		if (round == 3) {
			free(stored);
			ly_fail(err, "the text keeps changing under us");
			break;
		}
		char *m = merge(mine, stored);
		if (!m) {
			free(stored);
			ly_fail(err, "out of memory");
			break;
		}
		free(mine);
		mine = m;
		free(e->base);
		e->base = stored;
		did_merge = true;
	}
	free(e->text);
	e->text = mine;
	return PENDING_KEPT;
}

enum pending_result pending_save(struct pending *p, const struct pending_target *t, const char *text,
                                 char **merged, struct ly_error *err)
{
	if (merged)
		*merged = NULL;
	struct entry *e = find(p, t);
	if (!e && !(e = add(p, t))) {
		ly_fail(err, "out of memory");
		return PENDING_KEPT;
	}
	enum pending_result r = attempt(p, e, text ? text : "", merged, err);
	if (r != PENDING_KEPT && !e->open)
		drop(p, e);
	return r;
}

void pending_close(struct pending *p, const struct pending_target *t, const char *file)
{
	struct entry *e = find(p, t);
	if (!e)
		return;
	e->open = false;
	if (file && e->text && !e->file)
		e->file = strdup(file);
	if (!e->text)
		drop(p, e);
}

int pending_retry(struct pending *p, int *merged, struct ly_error *err)
{
	int left = 0;
	if (merged)
		*merged = 0;
	for (size_t i = 0; i < p->n;) {
		struct entry *e = &p->e[i];
		if (e->open || !e->text) {
			left += e->text != NULL;
			i++;
			continue;
		}
		enum pending_result r = attempt(p, e, e->text, NULL, err);
		if (r == PENDING_KEPT) {
			left++;
			i++;
			continue;
		}
		if (r == PENDING_MERGED && merged)
			(*merged)++;
		drop(p, e); /* the last entry moves to i */
	}
	return left;
}

int pending_unsaved(const struct pending *p)
{
	int n = 0;
	for (size_t i = 0; p && i < p->n; i++)
		n += p->e[i].text != NULL;
	return n;
}

const char *pending_text(const struct pending *p, const struct pending_target *t)
{
	const struct entry *e = p ? find(p, t) : NULL;
	return e ? e->text : NULL;
}

static int create_in(const char *dir, char *path, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	for (int n = 1; n < 100; n++) {
		char suffix[8] = "";
		if (n > 1)
			snprintf(suffix, sizeof suffix, "-%d", n);
		if (snprintf(path, len, "%s/lanyard-unsaved-%s-%ld%s.txt", dir, stamp, (long)getpid(), suffix) >=
		    (int)len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

static bool put(FILE *f, const char *s)
{
	return fputs(s, f) >= 0;
}

int pending_recover(struct pending *p, const char *dir, char *path, size_t len, struct ly_error *err)
{
	const char *tmp = getenv("TMPDIR");
	const char *dirs[] = { dir, tmp && *tmp ? tmp : NULL, "/tmp" };
	int fd = -1, why = 0;
	for (size_t i = 0; fd < 0 && i < sizeof dirs / sizeof dirs[0]; i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		if ((fd = create_in(dirs[i], path, len)) < 0)
			why = errno;
	}
	if (fd < 0)
		return ly_fail(err, "cannot write a recovery file: %s", strerror(why));
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(path);
		return ly_fail(err, "%s: %s", path, strerror(errno));
	}
	bool ok = put(f, "lanyard could not save the texts below to ") && put(f, store_path(p->st)) &&
	          put(f, ".\nCopy each back, for example: lanyard note KEY - < this-part.txt\n");
	for (size_t i = 0; ok && i < p->n; i++) {
		const struct entry *e = &p->e[i];
		if (!e->text)
			continue;
		char label[600];
		if (e->t.talk)
			store_talk_label(p->st, e->t.talk, label, sizeof label);
		else
			snprintf(label, sizeof label, "note %s", e->t.scope);
		ok = fprintf(f, "\n===== %s%s =====\n", e->t.talk ? "takeaways of " : "", label) >= 0 &&
		     put(f, e->text) && put(f, "\n");
		if (ok && e->file)
			ok = fprintf(f, "(also in %s)\n", e->file) >= 0;
	}
	ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
	int saved_errno = errno;
	if (fclose(f) != 0 || !ok) {
		unlink(path);
		return ly_fail(err, "%s: cannot write the recovery file: %s", path, strerror(saved_errno));
	}
	return LY_OK;
}
