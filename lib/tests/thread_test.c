/* SPDX-License-Identifier: Apache-2.0 */
/* thread_test.c - fwt__thread_start: a worker runs, and with two or more
 * CPUs allowed it is kept on one CPU other than its creator's (slot 0, or
 * a slot that comes round to the creator's CPU, is left where the kernel
 * puts it); a process held to one CPU gets its threads all the same. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>
#include "internal.h"
#include "t.h"

struct seen {
	int ran;
	cpu_set_t mask;
};

static void *note(void *arg)
{
	struct seen *s = arg;

	s->ran = sched_getaffinity(0, sizeof(s->mask), &s->mask) == 0 ? 1 : -1;
	return NULL;
}

/* start slot on a thread while the caller is held on CPU here */
static int run_slot(unsigned slot, struct seen *s)
{
	pthread_t t;

	memset(s, 0, sizeof(*s));
	if (fwt__thread_start(&t, note, s, slot) != 0)
		return -1;
	return pthread_join(t, NULL) == 0 ? 0 : -1;
}

/* the allowed CPUs, and the caller moved onto the first of them */
static int hold_first(cpu_set_t *all, int *first)
{
	cpu_set_t one;
	int i;

	if (sched_getaffinity(0, sizeof(*all), all) != 0)
		return -1;
	for (i = 0; i < CPU_SETSIZE && !CPU_ISSET(i, all); i++)
		;
	*first = i;
	CPU_ZERO(&one);
	CPU_SET(i, &one);
	return sched_setaffinity(0, sizeof(one), &one);
}

static void test_slots(void)
{
	cpu_set_t all, held;
	struct seen s;
	int first, n, other;

	if (sched_getaffinity(0, sizeof(all), &all) != 0 || CPU_COUNT(&all) < 2)
		T_SKIP("fewer than two CPUs allowed");
	n = CPU_COUNT(&all);
	/* the creator on its first CPU: slot 1 on the next allowed one */
	T_ASSERT(hold_first(&all, &first) == 0);
	T_ASSERT(sched_getaffinity(0, sizeof(held), &held) == 0);
	/* a thread inherits its creator's mask: widen it again for the start */
	T_ASSERT(sched_setaffinity(0, sizeof(all), &all) == 0);
	if (sched_getcpu() != first)
		T_SKIP("the kernel moved the caller off CPU %d", first);
	T_ASSERT(run_slot(1, &s) == 0);
	T_EQ_INT(s.ran, 1);
	T_EQ_INT(CPU_COUNT(&s.mask), 1);
	T_ASSERT(!CPU_ISSET(first, &s.mask));
	for (other = first + 1; other < CPU_SETSIZE && !CPU_ISSET(other, &all); other++)
		;
	T_ASSERT(CPU_ISSET(other, &s.mask));
	/* slot 0 and slot n come round to the creator: not pinned */
	T_ASSERT(run_slot(0, &s) == 0);
	T_EQ_INT(s.ran, 1);
	T_EQ_INT(CPU_COUNT(&s.mask), n);
	T_ASSERT(run_slot((unsigned)n, &s) == 0);
	T_EQ_INT(CPU_COUNT(&s.mask), n);
}

static void test_one_cpu(void)
{
	cpu_set_t all;
	struct seen s;
	int first;

	/* held to one CPU (taskset -c N): the thread starts, in that set */
	T_ASSERT(hold_first(&all, &first) == 0);
	T_ASSERT(run_slot(1, &s) == 0);
	T_EQ_INT(s.ran, 1);
	T_EQ_INT(CPU_COUNT(&s.mask), 1);
	T_ASSERT(CPU_ISSET(first, &s.mask));
	T_ASSERT(sched_setaffinity(0, sizeof(all), &all) == 0);
}

int main(void)
{
	T_RUN(test_slots);
	T_RUN(test_one_cpu);
	return t_done();
}
