/* SPDX-License-Identifier: Apache-2.0 */
/* thread_test.c - fwt__thread_start: a worker runs, and with two or more
 * CPUs allowed it is kept on one CPU other than its creator's (slot 0, or
 * a slot that comes round to the creator's CPU, is left where the kernel
 * puts it); a process held to one CPU, or one whose affinity calls are
 * refused (a seccomp profile), gets its threads all the same. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
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

/* sched_setaffinity refused with EPERM from here on, as a sandbox may */
static int refuse_affinity(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sched_setaffinity, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { (unsigned short)(sizeof(f) / sizeof(f[0])), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

static void test_affinity_refused(void)
{
	cpu_set_t all, one;
	struct seen s;
	pid_t pid;
	int st;

	if (sched_getaffinity(0, sizeof(all), &all) != 0 || CPU_COUNT(&all) < 2)
		T_SKIP("fewer than two CPUs allowed");
	pid = fork();
	T_ASSERT(pid >= 0);
	if (pid == 0) {
		CPU_ZERO(&one);
		CPU_SET(0, &one);
		if (refuse_affinity() != 0)
			_exit(10);
		/* the control: the filter bites */
		if (sched_setaffinity(0, sizeof(one), &one) == 0 || errno != EPERM)
			_exit(11);
		if (run_slot(1, &s) != 0)
			_exit(12); /* pthread_create failed: no worker */
		_exit(s.ran == 1 && CPU_COUNT(&s.mask) == CPU_COUNT(&all) ? 0 : 13);
	}
	T_ASSERT(waitpid(pid, &st, 0) == pid);
	T_ASSERT(WIFEXITED(st));
	T_EQ_INT(WEXITSTATUS(st), 0);
}

int main(void)
{
	T_RUN(test_slots);
	T_RUN(test_one_cpu);
	T_RUN(test_affinity_refused);
	return t_done();
}
