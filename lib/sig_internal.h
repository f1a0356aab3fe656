/* SPDX-License-Identifier: Apache-2.0 */
/* sig_internal.h - OpenSSL views of fwtrail keys, for lib/ modules only. */
#ifndef FWT_SIG_INTERNAL_H
#define FWT_SIG_INTERNAL_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <fwtrail/sig.h>

/* Borrowed OpenSSL objects behind a public key (cert may be NULL). */
EVP_PKEY *fwt__pubkey_evp(const fwt_pubkey *k);
X509 *fwt__pubkey_x509(const fwt_pubkey *k);
/* Wrap pkey (and cert) into a new public key; takes ownership of both. */
fwt_err fwt__pubkey_wrap(fwt_ctx *ctx, fwt_pubkey **out, EVP_PKEY *pkey, X509 *cert, const char *name);
/* The PEM blocks in buf that hold a public key or certificate (private_keys
 * 0) or a private key (1): a file for one key must hold one. */
size_t fwt__pem_count(const void *buf, size_t len, int private_keys);
/* FWT_OK when k may verify a signature over data (firmware, a report,
 * reference values); FWT_EVERIFY with the reason when it may not: a
 * certificate with an invalid extension, with a critical extension OpenSSL
 * does not handle (RFC 5280 4.2), whose key usage, when limited, leaves out
 * digitalSignature (RFC 5280 4.2.1.3), or whose extended key usage, when
 * present, lists none of anyExtendedKeyUsage, id-kp-codeSigning and
 * id-kp-documentSigning (RFC 5280 4.2.1.12, RFC 9336); a JWK whose "use" is
 * not "sig" or whose "key_ops" leaves out "verify" (RFC 7517 4.2, 4.3). */
fwt_err fwt__pubkey_may_sign(fwt_ctx *ctx, const fwt_pubkey *k);
/* FWT_OK unless k is a JWK whose "alg" is another algorithm than alg
 * (FWT_EVERIFY with the reason; a JWK whose "alg" is not one of fwtrail's
 * verifies nothing). */
fwt_err fwt__pubkey_alg_allowed(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg);
/* The same for a signature that k verified with alg, e another entry for
 * k's key: when alg is not known (FWT_SIG_NONE), e's "alg", if any, must
 * be k's. */
fwt_err fwt__pubkey_alg_like(fwt_ctx *ctx, const fwt_pubkey *e, fwt_sig_alg alg, const fwt_pubkey *k);
/* The algorithm a JWK's "alg" names, when it is one of fwtrail's;
 * FWT_SIG_NONE otherwise (no "alg", or another name). */
fwt_sig_alg fwt__pubkey_jwk_alg(const fwt_pubkey *k);
/* The certificate rules behind fwt__pubkey_may_sign, for a certificate
 * alone: 0 when x may sign data.  purpose 0 checks only that the extensions
 * parse and the key usage (an SPDM responder's leaf, whose purposes DSP0274
 * sets; OpenSSL's chain validation refuses unhandled critical extensions);
 * 1 adds the critical-extension and extended-key-usage rules. */
enum {
	FWT_X509_BAD_EXTENSION = 1,
	FWT_X509_NO_DIGITAL_SIGNATURE = 2,
	FWT_X509_UNHANDLED_CRITICAL = 3,
	FWT_X509_EKU = 4
};
int fwt__x509_signs_data(X509 *x, int purpose);
/* For messages: x's extended key usages ("serverAuth, clientAuth"), and its
 * critical extensions OpenSSL does not handle (short names when OpenSSL has
 * them, else dotted OIDs). */
void fwt__x509_eku_text(X509 *x, char *buf, size_t cap);
void fwt__x509_critical_text(X509 *x, char *buf, size_t cap);
/* x's subject on one line, as messages and results show it (UTF-8 kept,
 * not escaped): malloc'd, or NULL when x is NULL or it cannot be printed. */
char *fwt__x509_subject(X509 *x);
/* Report k's errors on ctx from now on (a key made by a helper thread's
 * context and handed to the caller's). */
void fwt__pubkey_set_ctx(fwt_pubkey *k, fwt_ctx *ctx);
/* An RSA-PSS-typed key: 1 with the SHA-256 of its own (rsassaPss) SPKI in
 * out, which its fingerprint (of the canonical rsaEncryption form) is not;
 * 0 for any other key. */
int fwt__pubkey_fingerprint_as_encoded(const fwt_pubkey *k, unsigned char out[32]);
/* The fingerprint of an RSA-PSS-typed key's canonical (rsaEncryption)
 * form: what fwt_pubkey_fingerprint and `fwtrail key export` give for it. */
fwt_err fwt__rsa_plain_fingerprint(fwt_ctx *ctx, EVP_PKEY *pkey, unsigned char fp[32]);
/* FWT_EUNSUPPORTED (naming the key) when pkey is typed RSA-PSS and its own
 * parameters forbid RSA-PSS with alg for the hash and MGF1 and a salt of
 * the hash's length, the one RSA-PSS fwtrail signs and verifies; FWT_OK
 * for any other key. */
fwt_err fwt__pss_params_allow(fwt_ctx *ctx, EVP_PKEY *pkey, const char *name, fwt_digest_alg alg);
/* The SHA-256 of pkey's canonical SubjectPublicKeyInfo, the fingerprint
 * fwtrail shows and revokes by: RSA-PSS-typed as rsaEncryption, EC as the
 * uncompressed point on the named curve. */
fwt_err fwt__canonical_fingerprint(fwt_ctx *ctx, EVP_PKEY *pkey, unsigned char fp[32]);
/* True for an EC key encoded otherwise than canonically (a compressed
 * point, explicit curve parameters): its SPKI's hash is not its
 * fingerprint. */
int fwt__ec_encoded_otherwise(const EVP_PKEY *pkey);
/* After a failed RSA-PSS check of alg (PS256/384/512) over the digest dg:
 * 1 if sig holds under k with a salt of another length (still refused; it
 * only lets the message name the rule), else 0. */
int fwt__pss_other_salt(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg, const unsigned char *dg, size_t dglen,
                        const unsigned char *sig, size_t siglen);
/* fwt_trust_verify_chain, with the leaf also required to be an SPDM
 * responder's: an end-entity certificate (not a CA), and not one whose
 * extended key usage names the DMTF requester-authentication purpose
 * without the responder one (DSP0274); path (may be NULL) as
 * fwt_trust_verify_chain_path fills it. */
struct fwt_trust;
struct fwt_trust_path;
fwt_err fwt__trust_verify_chain_ee(fwt_ctx *ctx, struct fwt_trust *t, fwt_pubkey *const *chain, size_t n, int64_t at,
                                   struct fwt_trust_path *path);

#endif
