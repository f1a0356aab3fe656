/* SPDX-License-Identifier: Apache-2.0 */
/* key_internal.h - the PKCS#11 backend behind fwt_key (p11.c). */
#ifndef FWT_KEY_INTERNAL_H
#define FWT_KEY_INTERNAL_H

#include <fwtrail/key.h>

struct fwt_p11_key;

/* Open the key a pkcs11: URI names: exactly one token and one private key
 * must match (FWT_ENOTFOUND / FWT_ETOKEN listing the candidates otherwise),
 * log in once, and return its public key and full URI (*name, malloc'd). */
fwt_err fwt__p11_key_open(fwt_ctx *ctx, struct fwt_p11_key **out, const char *uri,
                          const fwt_key_options *opts, fwt_pubkey **pub, char **name);
/* Sign a digest with alg; raw r||s (full length) for ECDSA.  Thread-safe. */
fwt_err fwt__p11_sign_digest(struct fwt_p11_key *k, fwt_sig_alg alg, const unsigned char *digest,
                             size_t dlen, unsigned char *sig, size_t *siglen);
void fwt__p11_key_free(struct fwt_p11_key *k);

#endif
