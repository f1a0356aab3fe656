/* SPDX-License-Identifier: Apache-2.0 */
/* bounded_test.c - work on a helper thread, waited for at most so long
 * (the --timeout of PKCS#11 commands): in time, too late, paused for a
 * person, and the helper's log lines and error handed to the caller. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bounded.h"
#include "internal.h"
#include "t.h"

struct job {
	struct fwt__bounded b; /* first */
	unsigned sleep_ms, pause_ms;
	fwt_err result;
	int *freed;
};

static void nap(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static fwt_err job_run(struct fwt__bounded *b)
{
	struct job *j = (struct job *)b;

	if (j->pause_ms) {
		if (fwt__bounded_pause(b, 1)) /* the caller gave up before the prompt */
			j->result = FWT_EINTERNAL;
		nap(j->pause_ms);
		fwt__bounded_pause(b, 0);
	}
	nap(j->sleep_ms);
	return j->result;
}

static void job_free(struct fwt__bounded *b)
{
	struct job *j = (struct job *)b;

	__atomic_store_n(j->freed, 1, __ATOMIC_SEQ_CST);
	free(j);
}

static struct job *job_new(unsigned sleep_ms, unsigned pause_ms, fwt_err result, int *freed)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	fwt__bounded_init(&j->b, job_run, job_free);
	j->sleep_ms = sleep_ms;
	j->pause_ms = pause_ms;
	j->result = result;
	j->freed = freed;
	*freed = 0;
	return j;
}

/* The job is freed within 2 s. */
static void wait_freed(int *freed)
{
	int i;

	for (i = 0; i < 200 && !__atomic_load_n(freed, __ATOMIC_SEQ_CST); i++)
		nap(10);
	T_EQ_INT(__atomic_load_n(freed, __ATOMIC_SEQ_CST), 1);
}

static void test_in_time(void)
{
	int freed;
	struct job *j = job_new(10, 0, FWT_ETOKEN, &freed);

	T_ASSERT(j);
	T_EQ_INT(fwt__bounded_wait(&j->b, 5000), 1);
	T_EQ_INT(j->b.err, FWT_ETOKEN); /* the helper's result reaches the caller */
	fwt__bounded_release(&j->b);
	wait_freed(&freed); /* once the helper has let go too */
}

static void test_too_late(void)
{
	int freed;
	struct job *j = job_new(600, 0, FWT_OK, &freed);
	double t0 = now_ms();

	T_ASSERT(j);
	T_EQ_INT(fwt__bounded_wait(&j->b, 50), 0);
	T_ASSERT(now_ms() - t0 < 500); /* did not wait for the helper */
	fwt__bounded_release(&j->b);
	T_EQ_INT(__atomic_load_n(&freed, __ATOMIC_SEQ_CST), 0); /* the helper still holds it */
	wait_freed(&freed); /* and frees it when it is done */
}

static void test_paused(void)
{
	int freed;
	/* a person takes 300 ms to type; the work itself takes 20 ms of a 100 ms bound */
	struct job *j = job_new(20, 300, FWT_OK, &freed);

	T_ASSERT(j);
	T_EQ_INT(fwt__bounded_wait(&j->b, 100), 1);
	T_EQ_INT(j->b.err, FWT_OK);
	fwt__bounded_release(&j->b);
	wait_freed(&freed);
}

struct seen {
	int lines;
	char last[256];
};

static void log_fn(void *payload, fwt_log_level level, const char *msg)
{
	struct seen *s = payload;

	(void)level;
	s->lines++;
	snprintf(s->last, sizeof(s->last), "%s", msg);
}

static void test_ctx_replay(void)
{
	fwt_ctx_options o = FWT_CTX_OPTIONS_INIT;
	struct fwt__bounded_log *log = NULL;
	fwt_ctx *parent = NULL, *child = NULL;
	struct seen seen = { 0, "" };

	o.log = log_fn;
	o.log_payload = &seen;
	o.log_level = FWT_LOG_INFO;
	T_EQ_INT(fwt_ctx_new(&parent, &o), FWT_OK);
	T_EQ_INT(fwt__bounded_ctx_new(parent, &child, &log), FWT_OK);
	fwt__log(child, FWT_LOG_INFO, "key %s", "k1");
	fwt__log(child, FWT_LOG_DEBUG, "dropped: above the parent's level");
	fwt__error(child, FWT_ETOKEN, "cannot log in to token '%s': %s", "t", "CKR_PIN_INCORRECT");
	T_EQ_INT(seen.lines, 0); /* nothing reaches the caller before the work is done */
	T_EQ_INT(fwt__bounded_ctx_replay(parent, child, log, FWT_ETOKEN), FWT_ETOKEN);
	T_EQ_INT(seen.lines, 1);
	T_EQ_STR(seen.last, "key k1");
	T_EQ_STR(fwt_ctx_errmsg(parent), "cannot log in to token 't': CKR_PIN_INCORRECT");
	fwt_ctx_clear_error(parent);
	T_EQ_INT(fwt__bounded_ctx_replay(parent, child, log, FWT_OK), FWT_OK);
	T_EQ_STR(fwt_ctx_errmsg(parent), "");
	fwt__bounded_ctx_free(child, log);
	fwt_ctx_free(parent);
}

int main(void)
{
	T_RUN(test_in_time);
	T_RUN(test_too_late);
	T_RUN(test_paused);
	T_RUN(test_ctx_replay);
	return t_done();
}
