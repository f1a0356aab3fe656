/* SPDX-License-Identifier: Apache-2.0 */
/* bounded.c - run work that may hang on a helper thread and wait for it at
 * most so long (the --timeout of PKCS#11 commands). */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fwtrail/key.h>
#include "bounded.h"
#include "internal.h"
#include "banned.h"

/* Jobs given up on in this process: each left a thread inside a module. */
static atomic_uint abandoned_jobs;

int fwt_work_abandoned(void)
{
	return atomic_load(&abandoned_jobs) != 0;
}

void fwt__bounded_init(struct fwt__bounded *b, fwt_err (*run)(struct fwt__bounded *),
                       void (*cleanup)(struct fwt__bounded *))
{
	pthread_condattr_t ca;

	pthread_mutex_init(&b->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cv, &ca);
	pthread_condattr_destroy(&ca);
	b->refs = 1;
	b->run = run;
	b->cleanup = cleanup;
}

void fwt__bounded_release(struct fwt__bounded *b)
{
	int last;

	pthread_mutex_lock(&b->mu);
	last = --b->refs == 0;
	pthread_mutex_unlock(&b->mu);
	if (!last)
		return;
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
	b->cleanup(b);
}

static void *helper(void *arg)
{
	struct fwt__bounded *b = arg;
	fwt_err err = b->run(b);

	pthread_mutex_lock(&b->mu);
	b->err = err;
	b->done = 1;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	fwt__bounded_release(b);
	return NULL;
}

static void deadline_in(struct timespec *t, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += (time_t)(ms / 1000);
	t->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

int fwt__bounded_wait(struct fwt__bounded *b, unsigned ms)
{
	struct timespec deadline;
	pthread_attr_t attr;
	pthread_t th;
	int rc, was_paused = 0, finished;

	b->refs = 2; /* the caller and the helper */
	if (pthread_attr_init(&attr) != 0) {
		b->refs = 1;
		return -1;
	}
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&th, &attr, helper, b);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		b->refs = 1;
		return -1;
	}
	deadline_in(&deadline, ms);
	pthread_mutex_lock(&b->mu);
	while (!b->done) {
		if (b->paused) {
			pthread_cond_wait(&b->cv, &b->mu);
			was_paused = 1;
			continue;
		}
		if (was_paused) {
			deadline_in(&deadline, ms); /* a full wait again after the person answered */
			was_paused = 0;
		}
		rc = pthread_cond_timedwait(&b->cv, &b->mu, &deadline);
		if (rc == ETIMEDOUT && !b->done && !b->paused)
			break;
	}
	finished = b->done;
	if (!finished) {
		b->abandoned = 1;
		atomic_fetch_add(&abandoned_jobs, 1);
	}
	pthread_mutex_unlock(&b->mu);
	return finished;
}

int fwt__bounded_pause(struct fwt__bounded *b, int on)
{
	int gone;

	pthread_mutex_lock(&b->mu);
	b->paused = on;
	gone = b->abandoned;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return gone;
}

/* ---- a context for the helper ---- */

struct line {
	fwt_log_level level;
	char *msg;
};

struct fwt__bounded_log {
	pthread_mutex_t mu;
	struct line *v;
	size_t n, cap;
	int lost;
};

static void keep_line(void *payload, fwt_log_level level, const char *msg)
{
	struct fwt__bounded_log *l = payload;
	struct line *nv;

	pthread_mutex_lock(&l->mu);
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		nv = cap < 100000 ? realloc(l->v, cap * sizeof(*nv)) : NULL;
		if (!nv) {
			l->lost = 1;
			pthread_mutex_unlock(&l->mu);
			return;
		}
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n].level = level;
	l->v[l->n].msg = strdup(msg);
	if (l->v[l->n].msg)
		l->n++;
	else
		l->lost = 1;
	pthread_mutex_unlock(&l->mu);
}

fwt_err fwt__bounded_ctx_new(fwt_ctx *parent, fwt_ctx **out, struct fwt__bounded_log **log)
{
	struct fwt__bounded_log *l = calloc(1, sizeof(*l));
	fwt_err err;

	*out = NULL;
	*log = NULL;
	if (!l)
		return fwt__enomem(parent);
	pthread_mutex_init(&l->mu, NULL);
	err = fwt__ctx_new_like(parent, keep_line, l, out);
	if (err) {
		pthread_mutex_destroy(&l->mu);
		free(l);
		return fwt__error(parent, err, "cannot make a context for the token thread");
	}
	*log = l;
	return FWT_OK;
}

fwt_err fwt__bounded_ctx_replay(fwt_ctx *parent, fwt_ctx *child, struct fwt__bounded_log *log, fwt_err err)
{
	char msg[1024]; /* a context's message size */
	size_t i;

	pthread_mutex_lock(&log->mu);
	for (i = 0; i < log->n; i++)
		fwt__log(parent, log->v[i].level, "%s", log->v[i].msg);
	if (log->lost)
		fwt__log(parent, FWT_LOG_DEBUG, "(some log lines of the token thread were lost)");
	pthread_mutex_unlock(&log->mu);
	/* files the helper read (a PIN file) are the caller's inputs too */
	if (!err && fwt__ctx_copy_inputs(parent, child) != FWT_OK)
		return fwt__enomem(parent);
	if (!err)
		return FWT_OK;
	fwt__error_snapshot(child, NULL, msg, sizeof(msg));
	return fwt__error(parent, err, "%s", msg);
}

void fwt__bounded_ctx_free(fwt_ctx *child, struct fwt__bounded_log *log)
{
	size_t i;

	fwt_ctx_free(child);
	if (!log)
		return;
	for (i = 0; i < log->n; i++)
		free(log->v[i].msg);
	free(log->v);
	pthread_mutex_destroy(&log->mu);
	free(log);
}
