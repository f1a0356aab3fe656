/* SPDX-License-Identifier: Apache-2.0 */
/* ecfast.h - ECDSA P-384 and P-521 verification with a table made for the
 * key (ecfast.c), for sig.c. */
#ifndef FWT_ECFAST_H
#define FWT_ECFAST_H

#include <stddef.h>
#include <openssl/evp.h>

typedef struct fwt__ecfast fwt__ecfast;

/* sig.c makes a P-384 key's table at its verify number FWT__ECFAST_P384_AT
 * (a table costs about five verifies, and saves over half of each later
 * one); a P-521 key's at its first. */
#define FWT__ECFAST_P384_AT 8

/* A P-384 or P-521 public key made ready for many verifies (about a third
 * of one verify's time on P-521, about five on P-384); NULL when pkey is
 * another key or on any failure (the caller then verifies through EVP). */
fwt__ecfast *fwt__ecfast_new(OSSL_LIB_CTX *libctx, EVP_PKEY *pkey);
void fwt__ecfast_free(fwt__ecfast *f);
/* The ECDSA signature (r, s), each n bytes big-endian, over the digest dg:
 * 1 when it holds, 0 when it does not, -1 when it could not be computed
 * (no memory).  Safe from several threads at once on one f. */
int fwt__ecfast_verify(const fwt__ecfast *f, const unsigned char *dg, size_t dglen, const unsigned char *rb,
                       const unsigned char *sb, size_t n);

#endif
