/* SPDX-License-Identifier: Apache-2.0 */
/* t.h - a tiny unit-test harness (one binary per module, no dependency).
 *
 *   static void test_x(void) { T_ASSERT(1 + 1 == 2); T_EQ_INT(f(), 3); }
 *   int main(void) { T_RUN(test_x); return t_done(); }
 *
 * Each failed assertion prints file:line and the expression, marks the test
 * failed and returns from it.  t_done() prints a summary and returns the exit
 * status.  T_SKIP() skips the rest of a test with a reason.
 */
#ifndef FWT_T_H
#define FWT_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed_tests, t_run_tests, t_skipped_tests, t_cur_failed, t_cur_skipped;
static const char *t_cur_name;

#define T_FAIL_(...)                                                                  \
	do {                                                                          \
		fprintf(stderr, "  FAIL %s (%s:%d): ", t_cur_name, __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__);                                         \
		fputc('\n', stderr);                                                  \
		t_cur_failed = 1;                                                     \
		return;                                                               \
	} while (0)

#define T_ASSERT(cond)                                \
	do {                                          \
		if (!(cond))                          \
			T_FAIL_("%s", #cond);         \
	} while (0)

#define T_EQ_INT(a, b)                                                                       \
	do {                                                                                 \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b);                      \
		if (t_a_ != t_b_)                                                            \
			T_FAIL_("%s == %s (%lld != %lld)", #a, #b, t_a_, t_b_);              \
	} while (0)

#define T_EQ_STR(a, b)                                                                       \
	do {                                                                                 \
		const char *t_a_ = (a), *t_b_ = (b);                                         \
		if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_))                                    \
			T_FAIL_("%s == %s (\"%s\" != \"%s\")", #a, #b, t_a_ ? t_a_ : "(null)", \
			        t_b_ ? t_b_ : "(null)");                                     \
	} while (0)

#define T_EQ_MEM(a, b, n)                                        \
	do {                                                     \
		if (memcmp((a), (b), (n)))                       \
			T_FAIL_("%s == %s (%zu bytes)", #a, #b, (size_t)(n)); \
	} while (0)

#define T_SKIP(...)                                               \
	do {                                                      \
		fprintf(stderr, "  SKIP %s: ", t_cur_name);       \
		fprintf(stderr, __VA_ARGS__);                     \
		fputc('\n', stderr);                              \
		t_cur_skipped = 1;                                \
		return;                                           \
	} while (0)

#define T_RUN(fn)                                                  \
	do {                                                       \
		t_cur_name = #fn;                                  \
		t_cur_failed = t_cur_skipped = 0;                  \
		fn();                                              \
		t_run_tests++;                                     \
		if (t_cur_failed)                                  \
			t_failed_tests++;                          \
		else if (t_cur_skipped)                            \
			t_skipped_tests++;                         \
	} while (0)

static inline int t_done(void)
{
	fprintf(stderr, "%d test%s, %d failed, %d skipped\n", t_run_tests, t_run_tests == 1 ? "" : "s",
	        t_failed_tests, t_skipped_tests);
	return t_failed_tests ? 1 : 0;
}

/* Path of the shared corpora (../shared/corpora from the project root), or
 * NULL when absent.  Tests run from the project root. */
static inline const char *t_corpora(void)
{
	static const char *p = "../shared/corpora";
	FILE *f = fopen("../shared/corpora/sfr/PROVENANCE.md", "r");
	if (!f)
		return NULL;
	fclose(f);
	return p;
}

/* Read a whole file (NULL on failure); *len gets its size. */
static inline unsigned char *t_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[n] = 0;
			if (len)
				*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

#endif
