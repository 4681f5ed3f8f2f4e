/* Hostile schedules in the browser: a talk that runs 30 days, a talk in
 * another year, a 2,000-character title at 80x24, 5,000 talks in one time
 * slot, a schedule of one talk. Each draws sanely, answers keys, and quits
 * with the terminal restored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "screenutil.h"

#define T SU_WAIT

/* A fixture written by the test: returns a database holding it. */
static char *db_of(const char *name, void (*write)(FILE *))
{
	char path[256];
	snprintf(path, sizeof path, "/tmp/lanyard-hostile-%ld-%s.csv", (long)getpid(), name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	write(f);
	fclose(f);
	char *db = su_new_db();
	su_import(db, path, name);
	unlink(path);
	return db;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void long_talks(FILE *f)
{
	fputs("id,title,date,start,end_date,end,room,track,speakers\n"
	      "L1,Month-long Hackathon,2022-05-18,10:00,2022-06-17,10:00,Hall 1,Community,Ann Ode\n"
	      "L2,Opening,2022-05-18,09:00,2022-05-18,09:30,Hall 1,Keynote,Bob Ray\n"
	      "L3,Next Year Preview,2023-05-18,09:00,2023-05-18,10:00,Hall 2,Keynote,Cy Twombly\n"
	      "L4,Late Party,2022-05-18,23:00,2022-05-19,01:00,Hall 3,Social,Di Lane\n", f);
}

/* A 30-day talk shows both days, not "10:00–10:00"; a talk after midnight
 * stays on its evening; a day in another year than the conference's names
 * its year. */
static void test_long_talk_and_other_year(void **state)
{
	(void)state;
	char *db = db_of("long", long_talks);
	struct vt *vt = su_start(db, 40, 120, NULL);
	assert_true(vt_wait_text(vt, "Bob Ray", T));
	assert_true(vt_wait_text(vt, "Thu 18 May 2023", T));
	assert_true(vt_wait_text(vt, "Wed 18 May", T));
	assert_false(vt_find(vt, "Wed 18 May 2022", NULL, NULL));
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Ann Ode", T));
	assert_true(vt_wait_text(vt, "Wed 18 May 10:00 \xe2\x80\x93 Fri 17 Jun 10:00", T));
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Di Lane", T));
	assert_true(vt_wait_text(vt, "Wed 18 May 23:00\xe2\x80\x93" "01:00", T));
	/* The agenda's time column. */
	vt_send(vt, "k");
	assert_true(vt_wait_text(vt, "Ann Ode", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Month-long", T));
	vt_send(vt, "A");
	assert_true(vt_wait_text(vt, "10:00\xe2\x80\x93+30d", T));
	assert_false(vt_find(vt, "10:00\xe2\x80\x93" "10:00", NULL, NULL));
	vt_send(vt, "A");
	assert_true(vt_wait_gone(vt, "+30d", T));
	assert_true(vt_wait_text(vt, "Ann Ode", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void long_title(FILE *f)
{
	fputs("id,title,date,start,end,room,speakers,abstract\n", f);
	fputs("T1,", f);
	for (int i = 0; i < 200; i++)
		fprintf(f, "Word%04d. ", i);  /* 2,000 characters */
	fputs(",2022-05-18,09:00,10:00,Room 1,Long Winded,Short abstract.\n", f);
	fputs("T2,Short One,2022-05-18,10:00,11:00,Room 2,Brief Person,\n", f);
}

static void test_2000_character_title_at_80x24(void **state)
{
	(void)state;
	char *db = db_of("longtitle", long_title);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Long Winded", T));
	assert_true(vt_wait_text(vt, "Word0000.", T));
	/* Cut with an ellipsis in the list; nothing past the last column. */
	assert_true(vt_wait_text(vt, "\xe2\x80\xa6", T));
	vt_send(vt, "\r");
	assert_true(vt_wait_text(vt, "Word0010.", T));
	for (int i = 0; i < 10; i++)
		vt_key(vt, VTERM_KEY_PAGEDOWN, VTERM_MOD_NONE);
	assert_true(vt_wait_idle(vt, T));
	vt_send(vt, "\x1b");
	assert_true(vt_wait_text(vt, "Tracks", T));
	vt_send(vt, "j");
	assert_true(vt_wait_text(vt, "Brief Person", T));
	vt_send(vt, "T");
	assert_true(vt_wait_idle(vt, T));
	vt_send(vt, "T");
	assert_true(vt_wait_text(vt, "Brief Person", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void one_slot(FILE *f)
{
	fputs("id,title,date,start,end,room,track,speakers\n", f);
	for (int i = 0; i < 5000; i++)
		fprintf(f, "S%04d,Parallel Session %04d,2022-05-18,11:00,11:30,Room %d,Track %d,Speaker %d\n", i, i,
		        i, i % 40, i);
}

/* 5,000 talks at 11:00 (sorted by room: "Room 999" is last): the list, the last talk, marks, the agenda and
 * the same-time view all answer within a second or two. */
static void test_5000_talks_in_one_slot(void **state)
{
	(void)state;
	char *db = db_of("oneslot", one_slot);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "Parallel Session", T));
	int64_t t0 = now_ms();
	vt_send(vt, "G");
	assert_true(vt_wait_text(vt, "5000/5000", T));
	vt_send(vt, "p");
	assert_true(vt_wait_text(vt, "planned: Parallel Session 0999", T));
	vt_send(vt, "o");
	assert_true(vt_wait_text(vt, "Same time", T));
	vt_send(vt, "o");
	vt_send(vt, "A");
	assert_true(vt_wait_text(vt, "Agenda", T));
	assert_true(vt_wait_text(vt, "Parallel Session 0999", T));
	vt_send(vt, "A");
	vt_send(vt, "g");
	assert_true(vt_wait_text(vt, "1/5000", T));
	/* Generous: ASan and a busy machine; a hang would take the full wait. */
	assert_true(now_ms() - t0 < 4 * T);
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

static void one_talk(FILE *f)
{
	fputs("title,date,start,end\nThe Only Talk,2022-05-18,11:00,11:30\n", f);
}

/* A schedule of one talk: every view opens on it and closes. */
static void test_schedule_of_one_talk(void **state)
{
	(void)state;
	char *db = db_of("single", one_talk);
	struct vt *vt = su_start(db, 24, 80, NULL);
	assert_true(vt_wait_text(vt, "The Only Talk", T));
	static const char *const keys[] = { "\r", "T", "A", "w", "R", "o", "?", "/only" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		vt_send(vt, keys[i]);
		assert_true(vt_wait_idle(vt, T));
		vt_send(vt, "\x1b");
		assert_true(vt_wait_idle(vt, T));
		assert_true(vt_wait_text(vt, "The Only Talk", T));
	}
	vt_send(vt, "jjjkkkhhhlllGg");
	assert_true(vt_wait_text(vt, "The Only Talk", T));
	assert_true(su_quit(vt));
	vt_free(vt);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_talk_and_other_year),
		cmocka_unit_test(test_2000_character_title_at_80x24),
		cmocka_unit_test(test_5000_talks_in_one_slot),
		cmocka_unit_test(test_schedule_of_one_talk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
