/* SPDX-License-Identifier: Apache-2.0 */
/* bounded.h - work that may never return, waited for at most so long. */
#ifndef FWT_BOUNDED_H
#define FWT_BOUNDED_H

#include <pthread.h>
#include <fwtrail/ctx.h>

/*
 * A call into a PKCS#11 module cannot be interrupted: one whose network
 * HSM stopped answering keeps its thread forever.  A bounded job runs on a
 * helper thread while the caller waits at most a given time.  On expiry
 * the helper is left behind, so everything it touches must belong to the
 * job: embed struct fwt__bounded first in a calloc'd job; cleanup frees
 * the whole job and runs once, when the later of the two sides lets go.
 */
struct fwt__bounded {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs, done, paused, abandoned;
	fwt_err (*run)(struct fwt__bounded *b); /* on the helper; sets nothing shared */
	void (*cleanup)(struct fwt__bounded *b);
	fwt_err err; /* run's result, once done */
};

void fwt__bounded_init(struct fwt__bounded *b, fwt_err (*run)(struct fwt__bounded *),
                       void (*cleanup)(struct fwt__bounded *));
/* Start run on a helper and wait up to ms (time spent paused does not
 * count).  1: it finished, result in b->err; 0: it did not (abandoned);
 * -1: no thread could be started (run never ran).  Either way, call
 * fwt__bounded_release once afterwards. */
int fwt__bounded_wait(struct fwt__bounded *b, unsigned ms);
void fwt__bounded_release(struct fwt__bounded *b);
/* From run: stop (on = 1) and restart (on = 0) the clock around waiting
 * for a person (a PIN prompt); the wait restarts in full afterwards.
 * Returns nonzero when the caller has already given up. */
int fwt__bounded_pause(struct fwt__bounded *b, int on);

/* A context for work on a helper: the parent's settings, its log lines
 * kept (fwt__bounded_ctx_replay passes them on, and the error, once the
 * work finished in time). */
struct fwt__bounded_log;
fwt_err fwt__bounded_ctx_new(fwt_ctx *parent, fwt_ctx **out, struct fwt__bounded_log **log);
/* Pass the kept lines, and the child's error if any, to parent. */
fwt_err fwt__bounded_ctx_replay(fwt_ctx *parent, fwt_ctx *child, struct fwt__bounded_log *log, fwt_err err);
void fwt__bounded_ctx_free(fwt_ctx *child, struct fwt__bounded_log *log);

#endif
