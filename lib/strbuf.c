/* SPDX-License-Identifier: Apache-2.0 */
/* strbuf.c - the growing text buffer the library's text renderers share
 * (diagnostic notation, event descriptions, the OCP manifest). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "banned.h"

#define SB_MAX ((size_t)1 << 30)

void fwt__sb_add(struct fwt__sb *s, const void *p, size_t n)
{
	size_t cap;
	char *np;

	if (s->oom)
		return;
	if (s->cap - s->len <= n) {
		cap = s->cap ? s->cap : 256;
		while (cap - s->len <= n) {
			if (cap > SB_MAX) {
				s->oom = 1;
				return;
			}
			cap *= 2;
		}
		np = realloc(s->p, cap);
		if (!np) {
			s->oom = 1;
			return;
		}
		s->p = np;
		s->cap = cap;
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = '\0';
}

void fwt__sb_str(struct fwt__sb *s, const char *str)
{
	fwt__sb_add(s, str, strlen(str));
}

void fwt__sb_fmt(struct fwt__sb *s, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		fwt__sb_add(s, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}
