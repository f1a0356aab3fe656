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
 * a kid must map to one file that was loaded, and a kid mapped twice (in one
 * file or across folders) fails the load.  A kids.json in a subfolder is
 * FWT_EFORMAT: a kid map applies to a whole store.  Every revoked.txt in the
 * folder, at any depth, is loaded with fwt_trust_add_revoked (its
 * revocations, like all, apply to the whole store).  Files holding a
 * private key are refused.  Load errors name the file.
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
 * The time at which trusted certificates must be valid (seconds since the
 * epoch), for fwt_trust_check_key and fwt_trust_verify_chain when they are
 * given no time of their own; 0 (the default) for the current time.
 */
void fwt_trust_set_time(fwt_trust *t, int64_t at);
int64_t fwt_trust_time(const fwt_trust *t);

/*
 * Revoke keys listed in a file: one SHA-256 fingerprint of a
 * SubjectPublicKeyInfo a line (the one `fwtrail key export` prints), 64 hex
 * digits in either case with an optional "sha256:" prefix; '#' starts a
 * comment; blank lines are ignored.  Anything else is FWT_EFORMAT naming
 * the file and line.  fwt_trust_add_path loads every revoked.txt of a
 * folder this way.  Revocations add up and apply to every key the
 * store is asked about, wherever it came from.
 */
fwt_err fwt_trust_add_revoked(fwt_trust *t, const char *path);
/* Revoke one fingerprint (source labels it in messages; may be NULL). */
fwt_err fwt_trust_revoke(fwt_trust *t, const unsigned char fp[32], const char *source);
/* True when k's SubjectPublicKeyInfo fingerprint is revoked. */
int fwt_trust_is_revoked(const fwt_trust *t, const fwt_pubkey *k);

/*
 * May a signature made by k be trusted at time at (0: the store's time, see
 * fwt_trust_set_time)?  Call it once k has verified a signature.  k is
 * trusted when its fingerprint is not revoked and one entry for its key (k
 * itself, or any entry of the store with the same SubjectPublicKeyInfo)
 * passes every check at once: it is not an SPDM device identity
 * (fwt_trust_spdm_identity); it may sign data (a certificate's critical
 * extensions, key usage and extended key usage; a JWK's "use" and
 * "key_ops"); a JWK's "alg" is the algorithm the signature was made with
 * (fwt_trust_check_key_alg; not told it, fwt_trust_check_key holds the
 * other entries to the "alg" of k's own JWK, if any); and a
 * certificate's notBefore..notAfter holds at.  A bare public key has no
 * validity window.  Otherwise FWT_EVERIFY, the message saying why k may
 * not (it names the key and its fingerprint, or the certificate and its
 * dates or uses).  The answer does not depend on which entry verified nor
 * on the store's order.  t may be NULL (k alone is checked then).  On
 * FWT_OK, *vouch (when not NULL) is the entry that grants the trust: k, or
 * another entry with k's key (borrowed).  Errors go to ctx; t is only read,
 * so threads may share it.
 */
fwt_err fwt_trust_check_key(fwt_ctx *ctx, const fwt_trust *t, const fwt_pubkey *k, int64_t at,
                            const fwt_pubkey **vouch) FWT_MUST_CHECK;
/* The same, for a signature made with alg (FWT_SIG_NONE: not known). */
fwt_err fwt_trust_check_key_alg(fwt_ctx *ctx, const fwt_trust *t, const fwt_pubkey *k, fwt_sig_alg alg,
                                int64_t at, const fwt_pubkey **vouch) FWT_MUST_CHECK;

/*
 * Validate an X.509 chain (chain[0] is the leaf; the rest are untrusted
 * intermediates; every element must carry a certificate) against the
 * certificates in the store as trust anchors, at time at (seconds since the
 * epoch; 0 for the store's time).  FWT_EVERIFY with OpenSSL's reason when it
 * does not validate, when the leaf may not sign data (its key usage, if
 * limited, lacks digitalSignature; its extended key usage, if present,
 * lists none of anyExtendedKeyUsage, codeSigning and documentSigning), or
 * when a certificate of the path OpenSSL built (anchor included, and the
 * store's certificates that issued the anchor) has a revoked key: a given
 * certificate off that path is not checked.  Validity takes notBefore and
 * notAfter both as valid (RFC 5280).  FWT_EINVAL when the store holds no
 * certificate.  Messages go to ctx,
 * not to the context the store was made on: threads with their own
 * contexts may share one store.
 */
fwt_err fwt_trust_verify_chain(fwt_ctx *ctx, fwt_trust *t, fwt_pubkey *const *chain, size_t n,
                               int64_t at) FWT_MUST_CHECK;

/* The path a chain validated along, as OpenSSL built it: the leaf first,
 * the trust anchor last, each certificate by the SHA-256 of its canonical
 * SubjectPublicKeyInfo (fwt_pubkey_fingerprint, what `fwtrail key export`
 * prints).  Only these certificates vouch for the leaf: one given with the
 * chain that OpenSSL did not need is not on it.  n is 0 when the path is
 * not known: not validated, or longer than FWT_TRUST_PATH_MAX. */
#define FWT_TRUST_PATH_MAX 16
typedef struct fwt_trust_path {
	size_t n;
	unsigned char fp[FWT_TRUST_PATH_MAX][32];
} fwt_trust_path;

/* fwt_trust_verify_chain, filling *path (when not NULL) on FWT_OK; on any
 * other answer path->n is 0. */
fwt_err fwt_trust_verify_chain_path(fwt_ctx *ctx, fwt_trust *t, fwt_pubkey *const *chain, size_t n, int64_t at,
                                    fwt_trust_path *path) FWT_MUST_CHECK;

/*
 * True when k is a certificate whose extendedKeyUsage names a DMTF SPDM
 * purpose (DSP0274: id-DMTF-eku-responder-auth 1.3.6.1.4.1.412.274.3 or
 * id-DMTF-eku-requester-auth 1.3.6.1.4.1.412.274.4): a device's identity,
 * which signs its own measurements, never reference values or reviews.
 */
int fwt_trust_spdm_identity(const fwt_pubkey *k);

/* Every certificate or key in a PEM file or buffer, in order (a chain
 * file).  *out is a malloc'd array of n keys; free each, then the array. */
fwt_err fwt_pubkey_load_all(fwt_ctx *ctx, const char *path, fwt_pubkey ***out, size_t *n);
fwt_err fwt_pubkey_parse_all(fwt_ctx *ctx, const void *buf, size_t len, const char *name,
                             fwt_pubkey ***out, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
