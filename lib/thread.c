/* SPDX-License-Identifier: Apache-2.0 */
/* thread.c - starting worker threads where they can run at once. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include "internal.h"
#include "banned.h"

/*
 * A new thread wakes on its creator's CPU, and on a virtual machine whose
 * other CPUs sit idle (halted, without a scheduler tick) the kernel can
 * take milliseconds to move it: measured here, the two workers of a 15 ms
 * `sfr verify` shared one CPU for its first third.  Letting the thread
 * widen its affinity once it runs elsewhere was no better (the kernel
 * moved it back beside its creator).  So a worker is kept on a CPU of its
 * own for its life: slot i on the i-th allowed CPU counting on from the
 * creator's, and slot 0 (or a slot that comes round to the creator's CPU)
 * where the kernel puts it.  The jobs are handed out from a shared queue,
 * so a worker whose CPU is busy with another process takes fewer of them.
 * Only a hint: if the affinity cannot be set, the thread starts without it.
 */
int fwt__thread_start(pthread_t *tid, void *(*fn)(void *), void *arg, unsigned slot)
{
	pthread_attr_t attr;
	cpu_set_t all, one;
	int here = sched_getcpu(), n, i, cpu = -1, rc;
	unsigned k;

	if (pthread_attr_init(&attr) != 0)
		return -1;
	if (here >= 0 && here < CPU_SETSIZE && sched_getaffinity(0, sizeof(all), &all) == 0 &&
	    (n = CPU_COUNT(&all)) > 1 && (k = slot % (unsigned)n) > 0) {
		for (i = (here + 1) % CPU_SETSIZE; i != here; i = (i + 1) % CPU_SETSIZE)
			if (CPU_ISSET(i, &all) && --k == 0) {
				cpu = i;
				break;
			}
		if (cpu >= 0) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			(void)pthread_attr_setaffinity_np(&attr, sizeof(one), &one);
		}
	}
	rc = pthread_create(tid, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	/* glibc fails the whole create when the affinity is refused (a
	 * seccomp profile, a cpuset changed meanwhile): then without it */
	if (rc != 0 && cpu >= 0)
		rc = pthread_create(tid, NULL, fn, arg);
	return rc == 0 ? 0 : -1;
}
