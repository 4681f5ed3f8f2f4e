/* The browser's speed as a user feels it: the real binary on a pty (the
 * screen tests' harness), time from exec to the first complete screen, then
 * a scripted session of keys — move, page, change day and track, open and
 * close talks, mark and rate (each undone by a second press), search — each
 * timed from writing the key to the screen settling (the last byte drawn
 * before the program waits for input again; a key that draws nothing counts
 * until the program waits again). Keys typed into the search box are
 * timed apart: each runs a search. Prints one line of figures:
 *
 *   LABEL first_ms p50_ms p99_ms max_ms keys search_p50_ms search_max_ms searches peak_rss_kb
 *
 * Usage: bench_keys LABEL DB NOW [KEYS [WORD]]
 *   NOW as LANYARD_NOW (the browser opens on its day); KEYS >= 500;
 *   WORD is what is typed into the search box (default etcd): each letter,
 *   then Backspace and the last letter again.
 * With BENCH_VERBOSE set, each key and its latency go to standard error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screenutil.h"

#define WAIT_MS 20000

/* One step of the script: bytes to send, or a key code. */
struct step {
	const char *bytes;
	VTermKey key;
	bool untimed;
	bool search;     /* typed into the search box: timed apart */
};

#define K(k) { NULL, VTERM_KEY_##k, false, false }
#define S(s) { s, VTERM_KEY_NONE, false, false }
#define Q(s) { s, VTERM_KEY_NONE, false, true }
#define QK(k) { NULL, VTERM_KEY_##k, false, true }
/* A lone Esc: every terminal program waits ESCDELAY (25 ms here) to tell it
 * from the start of a key sequence, whatever it then does; not timed. */
#define ESC { NULL, VTERM_KEY_ESCAPE, true, false }

/* A round trip through the panes that a user makes all day. Mark and
 * rate keys come in pairs so the data ends as it began. */
static const struct step script[] = {
	S("j"), S("j"), S("j"), S("k"), K(PAGEDOWN), S("j"), K(PAGEUP), S("j"),
	K(ENTER), ESC,                                 /* open a talk, back */
	S("p"), S("p"), S("a"), S("a"), S("4"), S("0"), /* mark, rate, undo */
	S("j"), S("x"), S("x"), S("G"), S("g"),
	S("h"), S("j"), S("l"), S("j"), S("j"),        /* next track */
	S("h"), S("k"), S("l"),
	S("h"), S("h"), S("j"), S("l"), S("l"),        /* next day */
	S("j"), S("j"), S("h"), S("h"), S("k"), S("l"), S("l"), /* and back */
	S("/"), /* then WORD typed into the search box, see search_steps() */
};
static const struct step script_tail[] = {
	ESC, S("Z"),                                   /* bound to nothing */
};

#define WORD_MAX 32
#define NSTEPS (sizeof script / sizeof script[0] + WORD_MAX + 2 + \
                sizeof script_tail / sizeof script_tail[0])

/* The script with WORD typed into the search box: its letters, Backspace
 * and the last letter again. Returns the number of steps. */
static size_t search_steps(const char *word, struct step *out, char (*letters)[2])
{
	size_t n = 0, len = strlen(word);
	for (size_t i = 0; i < sizeof script / sizeof script[0]; i++)
		out[n++] = script[i];
	for (size_t i = 0; i < len; i++) {
		letters[i][0] = word[i];
		letters[i][1] = '\0';
		out[n++] = (struct step)Q(letters[i]);
	}
	out[n++] = (struct step)QK(BACKSPACE);
	out[n++] = (struct step)Q(letters[len - 1]);
	for (size_t i = 0; i < sizeof script_tail / sizeof script_tail[0]; i++)
		out[n++] = script_tail[i];
	return n;
}

static const char *vterm_key_name(VTermKey k)
{
	switch (k) {
	case VTERM_KEY_ENTER: return "Ent";
	case VTERM_KEY_BACKSPACE: return "BS";
	case VTERM_KEY_PAGEUP: return "PgUp";
	case VTERM_KEY_PAGEDOWN: return "PgDn";
	default: return "key";
	}
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* A number from /proc/PID/status ("VmHWM: %ld", ...); -1 if absent. */
static long proc_status(pid_t pid, const char *fmt)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long v = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, fmt, &v) == 1)
			break;
	fclose(f);
	return v;
}

static long peak_rss_kb(pid_t pid)
{
	return proc_status(pid, "VmHWM: %ld kB");
}

static long ctxt_switches(pid_t pid)
{
	return proc_status(pid, "voluntary_ctxt_switches: %ld");
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_keys LABEL DB NOW [KEYS [WORD]]\n");
		return 2;
	}
	int nkeys = argc > 4 ? atoi(argv[4]) : 520;
	const char *word = argc > 5 ? argv[5] : "etcd";
	if (nkeys < 1 || !*word || strlen(word) > WORD_MAX) {
		fprintf(stderr, "bench_keys: KEYS must be positive, WORD 1 to %d bytes\n", WORD_MAX);
		return 2;
	}
	static struct step steps[NSTEPS];
	static char letters[WORD_MAX][2];
	size_t nscript = search_steps(word, steps, letters);
	char now[64];
	snprintf(now, sizeof now, "LANYARD_NOW=%s", argv[3]);
	const char *env[] = { now, NULL };
	int64_t t0 = vt_now_us();
	struct vt *vt = su_start(argv[2], 24, 80, env);
	if (!vt || !vt_wait_idle(vt, WAIT_MS)) {
		fprintf(stderr, "bench_keys: the browser did not start\n");
		vt_free(vt);
		return 1;
	}
	long long first = vt_last_output_us(vt) - t0;
	long long *lat = calloc((size_t)nkeys, sizeof *lat);
	long long *slat = calloc((size_t)nkeys + WORD_MAX + 2, sizeof *slat); /* a round ends in a search */
	if (!lat || !slat)
		return 1;
	int searched = 0;
	int timed = 0;
	bool verbose = getenv("BENCH_VERBOSE") != NULL;
	for (size_t i = 0; timed < nkeys; i++) {
		const struct step *s = &steps[i % nscript];
		long before = ctxt_switches(vt_pid(vt));
		int64_t sent = vt_now_us();
		if (s->bytes)
			vt_send(vt, s->bytes);
		else
			vt_key(vt, s->key, VTERM_MOD_NONE);
		/* The key has been handled once the program has woken (its count
		 * of voluntary context switches moves) and waits for input again. */
		while (ctxt_switches(vt_pid(vt)) == before && vt_now_us() - sent < WAIT_MS * 1000LL)
			vt_pump(vt, 0);
		if (!vt_wait_idle(vt, WAIT_MS)) {
			fprintf(stderr, "bench_keys: no answer to key %zu\n", i);
			vt_free(vt);
			return 1;
		}
		int64_t last = vt_last_output_us(vt);
		long long took = (last > sent ? last : vt_now_us()) - sent;
		if (verbose) /* which keys are slow */
			fprintf(stderr, "%4zu %-4s %7.1f ms\n", i % nscript,
			        s->bytes ? s->bytes : vterm_key_name(s->key), took / 1000.0);
		if (s->search)
			slat[searched++] = took;
		else if (!s->untimed)
			lat[timed++] = took;
	}
	long rss = peak_rss_kb(vt_pid(vt));
	vt_send(vt, "q");
	vt_send(vt, "q");
	vt_wait_exit(vt, WAIT_MS);
	vt_free(vt);
	qsort(lat, (size_t)nkeys, sizeof *lat, cmp_ll);
	qsort(slat, (size_t)searched, sizeof *slat, cmp_ll);
	long long p50 = lat[nkeys / 2], p99 = lat[(nkeys * 99) / 100], max = lat[nkeys - 1];
	printf("%s %.1f %.1f %.1f %.1f %d %.1f %.1f %d %ld\n", argv[1], first / 1000.0, p50 / 1000.0,
	       p99 / 1000.0, max / 1000.0, nkeys, searched ? slat[searched / 2] / 1000.0 : 0.0,
	       searched ? slat[searched - 1] / 1000.0 : 0.0, searched, rss);
	free(lat);
	free(slat);
	return 0;
}
