/* SPDX-License-Identifier: Apache-2.0 */
/* der.h - a small DER writer and a strict, bounded DER reader for the
 * structures libfwtrail builds or reads by hand (SubjectPublicKeyInfo from
 * PKCS#11 attributes, CMS SignedData).  Internal; not installed. */
#ifndef FWT_DER_H
#define FWT_DER_H

#include <stddef.h>

/* Tags used here (universal, constructed where it applies). */
#define DER_INTEGER 0x02
#define DER_BITSTRING 0x03
#define DER_OCTETSTRING 0x04
#define DER_NULL 0x05
#define DER_OID 0x06
#define DER_UTCTIME 0x17
#define DER_SEQUENCE 0x30
#define DER_SET 0x31
#define DER_CTX(n) (0xa0 | (n))      /* [n] constructed */
#define DER_CTX_PRIM(n) (0x80 | (n)) /* [n] primitive */

/* ---- writer: appends to a growable buffer; any failure sticks ---- */
struct fwt_der {
	unsigned char *p;
	size_t len, cap;
	int failed;
};

void fwt__der_init(struct fwt_der *d);
void fwt__der_free(struct fwt_der *d);
/* Raw bytes (already encoded). */
void fwt__der_raw(struct fwt_der *d, const void *v, size_t n);
/* One TLV with the given content. */
void fwt__der_tlv(struct fwt_der *d, unsigned char tag, const void *v, size_t n);
/* INTEGER from an unsigned big-endian value (leading zeros dropped, a 0x00
 * added when the top bit is set). */
void fwt__der_uint(struct fwt_der *d, const unsigned char *be, size_t n);
/* Open a constructed TLV; returns a mark for fwt__der_end. */
size_t fwt__der_begin(struct fwt_der *d, unsigned char tag);
/* Close it: the length is fixed up to the bytes written since the mark. */
void fwt__der_end(struct fwt_der *d, size_t mark);

/* ---- reader ---- */
struct fwt_der_in {
	const unsigned char *p, *end;
};

/*
 * Read one TLV from in: a single-byte tag (high tag numbers are refused), a
 * definite length in minimal form (indefinite lengths are refused), content
 * within the bytes left.  On success *tag, *content (a reader over the
 * content), and *start (the first byte of the TLV) are set and in moves
 * past it.  Returns 0, or -1 when malformed (in is unchanged).
 */
int fwt__der_next(struct fwt_der_in *in, unsigned char *tag, struct fwt_der_in *content,
                  const unsigned char **start);
/* The same, requiring tag; -1 otherwise. */
int fwt__der_expect(struct fwt_der_in *in, unsigned char tag, struct fwt_der_in *content,
                    const unsigned char **start);
/* True when the reader has no bytes left. */
static inline int fwt__der_empty(const struct fwt_der_in *in) { return in->p >= in->end; }
static inline size_t fwt__der_left(const struct fwt_der_in *in) { return (size_t)(in->end - in->p); }

#endif
