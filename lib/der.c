/* SPDX-License-Identifier: Apache-2.0 */
/* der.c - a small DER writer and a strict, bounded DER reader. */
#include <stdlib.h>
#include <string.h>
#include "der.h"
#include "banned.h"

#define DER_MAX (16u << 20) /* nothing fwtrail writes by hand comes near this */

void fwt__der_init(struct fwt_der *d)
{
	memset(d, 0, sizeof(*d));
}

void fwt__der_free(struct fwt_der *d)
{
	free(d->p);
	memset(d, 0, sizeof(*d));
}

static int reserve(struct fwt_der *d, size_t n)
{
	size_t need, cap;
	unsigned char *p;

	if (d->failed)
		return -1;
	if (n > DER_MAX || d->len > DER_MAX - n) {
		d->failed = 1;
		return -1;
	}
	need = d->len + n;
	if (need <= d->cap)
		return 0;
	cap = d->cap ? d->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(d->p, cap);
	if (!p) {
		d->failed = 1;
		return -1;
	}
	d->p = p;
	d->cap = cap;
	return 0;
}

void fwt__der_raw(struct fwt_der *d, const void *v, size_t n)
{
	if (!n || reserve(d, n))
		return;
	memcpy(d->p + d->len, v, n);
	d->len += n;
}

/* Length octets for n into out (at most 5); returns their count. */
static size_t put_len(unsigned char *out, size_t n)
{
	size_t k = 0, i;
	unsigned char tmp[4];

	if (n < 0x80) {
		out[0] = (unsigned char)n;
		return 1;
	}
	while (n) {
		tmp[k++] = (unsigned char)(n & 0xff);
		n >>= 8;
	}
	out[0] = (unsigned char)(0x80 | k);
	for (i = 0; i < k; i++)
		out[1 + i] = tmp[k - 1 - i];
	return 1 + k;
}

void fwt__der_tlv(struct fwt_der *d, unsigned char tag, const void *v, size_t n)
{
	unsigned char hdr[6];
	size_t h;

	if (n > DER_MAX) {
		d->failed = 1;
		return;
	}
	hdr[0] = tag;
	h = 1 + put_len(hdr + 1, n);
	fwt__der_raw(d, hdr, h);
	fwt__der_raw(d, v, n);
}

void fwt__der_uint(struct fwt_der *d, const unsigned char *be, size_t n)
{
	unsigned char hdr[7];
	size_t h;
	int pad;

	while (n > 1 && be[0] == 0) {
		be++;
		n--;
	}
	if (n == 0) {
		static const unsigned char zero = 0;
		be = &zero;
		n = 1;
	}
	pad = (be[0] & 0x80) != 0;
	hdr[0] = DER_INTEGER;
	h = 1 + put_len(hdr + 1, n + (size_t)pad);
	if (pad)
		hdr[h++] = 0;
	fwt__der_raw(d, hdr, h);
	fwt__der_raw(d, be, n);
}

size_t fwt__der_begin(struct fwt_der *d, unsigned char tag)
{
	unsigned char hdr[2] = { tag, 0 };
	size_t mark = d->len;

	fwt__der_raw(d, hdr, 2);
	return mark;
}

void fwt__der_end(struct fwt_der *d, size_t mark)
{
	unsigned char lenb[6];
	size_t content, k;

	if (d->failed || mark + 2 > d->len)
		return;
	content = d->len - mark - 2;
	k = put_len(lenb, content);
	if (k > 1) {
		if (reserve(d, k - 1))
			return;
		memmove(d->p + mark + 1 + k, d->p + mark + 2, content);
		d->len += k - 1;
	}
	memcpy(d->p + mark + 1, lenb, k);
}

int fwt__der_next(struct fwt_der_in *in, unsigned char *tag, struct fwt_der_in *content,
                  const unsigned char **start)
{
	const unsigned char *p = in->p;
	size_t left, len, k, i;

	if (p >= in->end || in->end - p < 2)
		return -1;
	left = (size_t)(in->end - p);
	if ((p[0] & 0x1f) == 0x1f) /* high tag number form */
		return -1;
	if (p[1] < 0x80) {
		len = p[1];
		k = 2;
	} else {
		size_t nb = p[1] & 0x7f;
		if (nb == 0 || nb > 4 || left < 2 + nb) /* 0: indefinite (BER) */
			return -1;
		if (p[2] == 0) /* not minimal */
			return -1;
		len = 0;
		for (i = 0; i < nb; i++)
			len = len << 8 | p[2 + i];
		if (len < 0x80) /* should have used the short form */
			return -1;
		k = 2 + nb;
	}
	if (len > left - k)
		return -1;
	*tag = p[0];
	if (start)
		*start = p;
	content->p = p + k;
	content->end = p + k + len;
	in->p = p + k + len;
	return 0;
}

int fwt__der_expect(struct fwt_der_in *in, unsigned char tag, struct fwt_der_in *content,
                    const unsigned char **start)
{
	struct fwt_der_in save = *in;
	unsigned char t;

	if (fwt__der_next(in, &t, content, start))
		return -1;
	if (t != tag) {
		*in = save;
		return -1;
	}
	return 0;
}
