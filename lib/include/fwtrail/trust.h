/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/trust.h - the trust store: public keys and certificates an
 * operator trusts, optional kid mappings, and X.509 chain validation. */
#ifndef FWTRAIL_TRUST_H
#define FWTRAIL_TRUST_H

#include <stddef.h>
#include <stdint.h>
#include <fwtrail/ctx.h>
#include <fwtrail/sig.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fwt_trust fwt_trust;

fwt_err fwt_trust_new(fwt_ctx *ctx, fwt_trust **out);
void fwt_trust_free(fwt_trust *t);

/*
 * Add a file (every public key or certificate in it: PEM, DER or JWK) or a
 * folder, searched recursively for *.pem, *.pub, *.crt, *.cer, *.der and
 * *.jwk (symbolic links are not followed).  A folder's top-level kids.json,
 * {"<kid>": "<file relative to the folder>", ...}, maps kid strings to keys;
 * a kid must map to one file that was loaded.  Files holding a private key
 * are refused.  Load errors name the file.
 */
fwt_err fwt_trust_add_path(fwt_trust *t, const char *path);
/* Add one key (takes a new reference; the caller keeps its own). */
fwt_err fwt_trust_add_key(fwt_trust *t, fwt_pubkey *k);

size_t fwt_trust_count(const fwt_trust *t);
/* The i-th key (borrowed). */
const fwt_pubkey *fwt_trust_key(const fwt_trust *t, size_t i);
/* True when some kids.json was loaded. */
int fwt_trust_has_kids(const fwt_trust *t);
/* The key a kids.json maps kid to (exact byte comparison; borrowed), or
 * NULL. */
const fwt_pubkey *fwt_trust_find_kid(const fwt_trust *t, const char *kid, size_t kidlen);
/* The trusted key with the same SubjectPublicKeyInfo as k, or NULL. */
const fwt_pubkey *fwt_trust_find_key(const fwt_trust *t, const fwt_pubkey *k);

/*
 * Validate an X.509 chain (chain[0] is the leaf; the rest are untrusted
 * intermediates; every element must carry a certificate) against the
 * certificates in the store as trust anchors, at time at (seconds since the
 * epoch; 0 for now).  FWT_EVERIFY with OpenSSL's reason when it does not
 * validate; FWT_EINVAL when the store holds no certificate.
 */
fwt_err fwt_trust_verify_chain(fwt_trust *t, fwt_pubkey *const *chain, size_t n, int64_t at) FWT_MUST_CHECK;

/* Every certificate or key in a PEM file or buffer, in order (a chain
 * file).  *out is a malloc'd array of n keys; free each, then the array. */
fwt_err fwt_pubkey_load_all(fwt_ctx *ctx, const char *path, fwt_pubkey ***out, size_t *n);
fwt_err fwt_pubkey_parse_all(fwt_ctx *ctx, const void *buf, size_t len, const char *name,
                             fwt_pubkey ***out, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
