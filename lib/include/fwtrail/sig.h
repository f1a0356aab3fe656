/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/sig.h - signature algorithms, public keys, and the one signature
 * verification primitive every envelope (raw, CMS, JWS, COSE, SPDM) uses. */
#ifndef FWTRAIL_SIG_H
#define FWTRAIL_SIG_H

#include <stddef.h>
#include <fwtrail/ctx.h>
#include <fwtrail/digest.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Signature algorithms, named as in JOSE (RFC 7518). */
typedef enum fwt_sig_alg {
	FWT_SIG_NONE = 0,
	FWT_SIG_ES256, /* ECDSA P-256 + SHA-256 */
	FWT_SIG_ES384, /* ECDSA P-384 + SHA-384 */
	FWT_SIG_ES512, /* ECDSA P-521 + SHA-512 */
	FWT_SIG_PS256, /* RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 */
	FWT_SIG_PS384, /* RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48 */
	FWT_SIG_PS512, /* RSASSA-PSS, SHA-512, MGF1-SHA-512, salt 64 */
	/* RSASSA-PKCS1-v1_5, for TPM 2.0 attestation keys (quotes) only: OCP
	 * forbids it for firmware signatures.  These have no JOSE name and no
	 * COSE id (fwt_sig_alg_from_name and fwt_sig_alg_from_cose_id never
	 * return them, fwt_pubkey_default_alg never picks them), so no envelope
	 * and no signing key can select them. */
	FWT_SIG_TPM_RSASSA_SHA256,
	FWT_SIG_TPM_RSASSA_SHA384
} fwt_sig_alg;

/* "ES384", ... ("RSASSA-SHA256" for the TPM-only ones; NULL for
 * FWT_SIG_NONE or an unknown value). */
const char *fwt_sig_alg_name(fwt_sig_alg alg);
/* Exact, case-sensitive match of a JOSE name; FWT_EUNSUPPORTED otherwise. */
fwt_err fwt_sig_alg_from_name(const char *name, size_t len, fwt_sig_alg *out);
/* COSE ids (RFC 9053): -7 ES256, -35 ES384, -36 ES512, -37 PS256, -38 PS384,
 * -39 PS512. */
long long fwt_sig_alg_cose_id(fwt_sig_alg alg);
fwt_err fwt_sig_alg_from_cose_id(long long id, fwt_sig_alg *out);
/* The hash an algorithm signs with. */
fwt_digest_alg fwt_sig_alg_digest(fwt_sig_alg alg);
/* Raw r||s size for ECDSA algorithms (64, 96, 132); 0 for RSA. */
size_t fwt_sig_alg_ecdsa_size(fwt_sig_alg alg);
int fwt_sig_alg_is_ecdsa(fwt_sig_alg alg);

/* ---- public keys ---- */

typedef enum fwt_key_type {
	FWT_KEY_UNKNOWN = 0,
	FWT_KEY_EC_P256,
	FWT_KEY_EC_P384,
	FWT_KEY_EC_P521,
	FWT_KEY_RSA,
	FWT_KEY_OTHER   /* loaded, but no fwtrail algorithm fits it */
} fwt_key_type;

typedef struct fwt_pubkey fwt_pubkey;

/*
 * Load a public key from a file: PEM SubjectPublicKeyInfo ("PUBLIC KEY"),
 * PEM certificate (its key; the certificate is kept), DER SPKI or DER
 * certificate, or a JWK (JSON; EC or RSA public members only).  A private
 * key, PEM or a JWK with private members, is FWT_EINVAL: the wrong key was
 * given (inside a file of fwt_pubkey_parse_all, FWT_EFORMAT).  A JWK's "use" and "key_ops" are kept:
 * a key whose "use" is not "sig", or whose "key_ops" leaves out "verify",
 * vouches for no signature (fwt_trust_check_key).  Its "alg", when given,
 * must fit the key (FWT_EFORMAT: an algorithm below of another curve or
 * key type, or a JOSE algorithm of another key type, e.g. HS256), and the
 * key then verifies that algorithm only (nothing, when it is not one of
 * fwtrail's, e.g. RS256).  The name used in messages and results is the
 * path.
 */
fwt_err fwt_pubkey_load(fwt_ctx *ctx, fwt_pubkey **out, const char *path);
/* The same from memory; name labels the key. */
fwt_err fwt_pubkey_parse(fwt_ctx *ctx, fwt_pubkey **out, const void *buf, size_t len, const char *name);
/* From a DER SubjectPublicKeyInfo. */
fwt_err fwt_pubkey_from_spki(fwt_ctx *ctx, fwt_pubkey **out, const void *der, size_t len, const char *name);
/* From a JWK object in JSON text (the rules of fwt_pubkey_load). */
fwt_err fwt_pubkey_from_jwk(fwt_ctx *ctx, fwt_pubkey **out, const char *json, size_t len, const char *name);
/* A new reference to the same key (fwt_pubkey_free each). */
fwt_pubkey *fwt_pubkey_ref(fwt_pubkey *k);
void fwt_pubkey_free(fwt_pubkey *k);

fwt_key_type fwt_pubkey_type(const fwt_pubkey *k);
/* Key size in bits (RSA modulus, EC field). */
unsigned fwt_pubkey_bits(const fwt_pubkey *k);
/* "ec-p384", "rsa-3072", ... (borrowed). */
const char *fwt_pubkey_describe(const fwt_pubkey *k);
/* Name given at load (borrowed). */
const char *fwt_pubkey_name(const fwt_pubkey *k);
/* The algorithm the OCP rules bind to this key: P-256 ES256, P-384 ES384,
 * P-521 ES512, RSA-3072 PS384, RSA-4096 PS512; FWT_SIG_NONE otherwise. */
fwt_sig_alg fwt_pubkey_default_alg(const fwt_pubkey *k);
/* FWT_OK when alg can be used with k at all (curve equal; RSA-PSS with an
 * RSA key of at least 2048 bits), FWT_EUNSUPPORTED with a message otherwise. */
fwt_err fwt_pubkey_check_alg(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg);
/* DER SubjectPublicKeyInfo (malloc'd; caller frees). */
fwt_err fwt_pubkey_spki(const fwt_pubkey *k, unsigned char **out, size_t *len);
/* PEM "PUBLIC KEY" text (malloc'd, NUL-terminated; caller frees). */
fwt_err fwt_pubkey_pem(const fwt_pubkey *k, char **out, size_t *len);
/* SHA-256 of the DER SPKI. */
fwt_err fwt_pubkey_fingerprint(const fwt_pubkey *k, unsigned char out[32]);
/* RFC 7638 JWK thumbprint (SHA-256), base64url: 43 characters + NUL. */
fwt_err fwt_pubkey_jwk_thumbprint(const fwt_pubkey *k, char out[44]);
/* The public JWK as compact JSON with members in lexical order (malloc'd). */
fwt_err fwt_pubkey_jwk(const fwt_pubkey *k, char **out);
/* True when the key came from a certificate. */
int fwt_pubkey_has_cert(const fwt_pubkey *k);
/* Subject of that certificate as a one-line string (borrowed; NULL if none). */
const char *fwt_pubkey_cert_subject(const fwt_pubkey *k);
/* The certificate in DER (malloc'd) when there is one. */
fwt_err fwt_pubkey_cert_der(const fwt_pubkey *k, unsigned char **out, size_t *len);

/* ---- verification ---- */

typedef enum fwt_sig_encoding {
	FWT_SIG_RAW = 0, /* ECDSA: r||s, each exactly the curve size (JWS, COSE, PKCS#11) */
	FWT_SIG_DER      /* ECDSA: DER SEQUENCE { r, s }, strictly encoded (X.509, CMS, openssl dgst) */
} fwt_sig_encoding;

/*
 * Verify sig over tbs (hashed here with alg's hash) with key k.
 *   ECDSA: RAW signatures must be exactly 2 * curve size bytes; DER ones
 *   must be minimal; 1 <= r, s < n is checked before OpenSSL is called.
 *   RSA-PSS: salt length = hash length, MGF1 with the same hash, signature
 *   exactly the modulus length.  RSASSA-PKCS1-v1_5 (TPM only): signature
 *   exactly the modulus length.
 * Returns FWT_OK, FWT_EVERIFY (the signature is wrong or malformed, or k
 * is a JWK whose "alg" is another algorithm), or FWT_EUNSUPPORTED (alg does
 * not fit k).  Callers add their own profile
 * rules (e.g. the OCP RSA-3072/4096 binding) before calling.
 */
fwt_err fwt_sig_verify(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg, fwt_sig_encoding enc,
                       const void *tbs, size_t tbslen, const unsigned char *sig, size_t siglen) FWT_MUST_CHECK;
/* The same over a precomputed digest of alg's hash (dlen must match). */
fwt_err fwt_sig_verify_digest(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg, fwt_sig_encoding enc,
                              const unsigned char *digest, size_t dlen, const unsigned char *sig,
                              size_t siglen) FWT_MUST_CHECK;

/* ECDSA as RFC 9053 section 2.1 defines it for COSE: the hash of alg
 * (ES256: SHA-256, ...) on whatever NIST curve k is (P-256, P-384, P-521),
 * e.g. ES512 with a P-256 key; RAW signatures are twice k's curve size.
 * fwt_sig_verify binds each ECDSA algorithm to its own curve; use this
 * only where a format allows the mix.  Results as fwt_sig_verify. */
fwt_err fwt_sig_verify_ecdsa(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg, fwt_sig_encoding enc,
                             const void *tbs, size_t tbslen, const unsigned char *sig, size_t siglen) FWT_MUST_CHECK;

/* ECDSA encodings: raw r||s (each n bytes) <-> minimal DER.  FWT_EFORMAT on
 * malformed input; raw_to_der output is malloc'd. */
fwt_err fwt_ecdsa_der_to_raw(const unsigned char *der, size_t derlen, size_t n, unsigned char *raw);
fwt_err fwt_ecdsa_raw_to_der(const unsigned char *raw, size_t rawlen, unsigned char **der, size_t *derlen);

#ifdef __cplusplus
}
#endif
#endif
