/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/cose.h - COSE_Sign1 (tag 18) and COSE_Sign (tag 98) signatures
 * (RFC 9052/9053): strict parsing, verification over the bytes as
 * received, and COSE_Sign1 creation with any fwtrail key. */
#ifndef FWTRAIL_COSE_H
#define FWTRAIL_COSE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>
#include <fwtrail/key.h>
#include <fwtrail/sig.h>
#include <fwtrail/trust.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fwt_cose fwt_cose;

typedef enum fwt_cose_kind {
	FWT_COSE_SIGN1 = 18, /* COSE_Sign1: one signature */
	FWT_COSE_SIGN = 98   /* COSE_Sign: one or more signers */
} fwt_cose_kind;

/* Header labels fwtrail itself reads. */
#define FWT_COSE_ALG 1
#define FWT_COSE_CRIT 2
#define FWT_COSE_CONTENT_TYPE 3
#define FWT_COSE_KID 4

/* A COSE_Sign with more signers is malformed (FWT_EFORMAT): each may be
 * tried with every trusted key. */
#define FWT_COSE_MAX_SIGNERS 16

/* fwt_cose_options.flags */
#define FWT_COSE_UNTAGGED_SIGN1 (1u << 0) /* an untagged message is a COSE_Sign1 */
#define FWT_COSE_UNTAGGED_SIGN (1u << 1)  /* an untagged message is a COSE_Sign */
#define FWT_COSE_STRICT (1u << 2)         /* alg required (never inferred from the key);
                                           * shortest heads in the whole message */
#define FWT_COSE_ECDSA_ANY_CURVE (1u << 3) /* ES256/384/512 with any NIST curve, as RFC 9053
                                            * allows (default: each on its own curve) */
#define FWT_COSE_ALL_SIGNERS (1u << 4)    /* COSE_Sign: every signer must verify (default: one) */
#define FWT_COSE_ALG_UNPROTECTED (1u << 5) /* accept alg in the unprotected bucket, as RFC 9052
                                            * 3.1 allows when external data authenticates it
                                            * (default: alg only in the protected bucket) */
#define FWT_COSE_RSA_ANY_SIZE (1u << 6)   /* PS256/384/512 with any RSA key of 2048 bits or
                                           * more, as RFC 8230 allows (default: PS384 with
                                           * RSA-3072, PS512 with RSA-4096, as fwtrail signs) */

#define FWT_COSE_OPTIONS_VERSION 1
typedef struct fwt_cose_options {
	unsigned version;                   /* FWT_COSE_OPTIONS_VERSION */
	unsigned flags;                     /* FWT_COSE_* above */
	const unsigned char *external_aad;  /* external_aad of the Sig_structure (may be NULL) */
	size_t external_aad_len;
	const unsigned char *payload;       /* the payload of a detached (nil) message */
	size_t payload_len;
	const int64_t *crit_known;          /* labels, besides 1, 3 and 4, that the caller
	                                     * processes and so accepts in crit */
	size_t n_crit_known;
	unsigned algs;                      /* allowed: bit (1u << fwt_sig_alg) each; 0: all six */
	int64_t at;                         /* fwt_cose_verify_trust: when the trusted key must be
	                                     * valid (fwt_trust_check_key); 0: the store's time */
} fwt_cose_options;
#define FWT_COSE_OPTIONS_INIT { FWT_COSE_OPTIONS_VERSION, 0, NULL, 0, NULL, 0, NULL, 0, 0, 0 }

/*
 * Parse a COSE_Sign1 or COSE_Sign message (tag 18 or 98; untagged only as
 * opts->flags say) without checking any signature.  Refused with
 * FWT_EFORMAT: malformed or non-minimal CBOR as the strict CBOR layer
 * finds it, indefinite lengths anywhere, other tags or shapes, bytes after
 * the message, protected headers that are not a bstr holding a map (h''
 * and h'a0' are both empty), duplicate labels in a bucket or a label in
 * both buckets, alg (unless FWT_COSE_ALG_UNPROTECTED) or crit outside the
 * protected bucket, a crit that is
 * empty, names a missing label or holds a non-label, kid not a bstr.
 * FWT_EUNSUPPORTED: tags 16/17/96/97 (encryption, MAC), a crit label
 * fwtrail does not process.  opts may be NULL.
 */
fwt_err fwt_cose_parse(fwt_ctx *ctx, fwt_cose **out, const void *buf, size_t len, const fwt_cose_options *opts);
void fwt_cose_free(fwt_cose *m);

fwt_cose_kind fwt_cose_get_kind(const fwt_cose *m);
int fwt_cose_is_tagged(const fwt_cose *m);
/* The attached payload (borrowed), or NULL when it is detached (nil). */
const unsigned char *fwt_cose_payload(const fwt_cose *m, size_t *len);
/* Signers: 1 for COSE_Sign1. */
size_t fwt_cose_signer_count(const fwt_cose *m);
/* Signer i's algorithm as a COSE id: 1 when an integer alg is present,
 * 0 when alg is absent, -1 when it is text. */
int fwt_cose_alg_id(const fwt_cose *m, size_t signer, int64_t *id);
/* Signer i's kid (borrowed; either bucket), or NULL. */
const unsigned char *fwt_cose_kid(const fwt_cose *m, size_t signer, size_t *len);
/* Content type (label 3) of the message, from the protected header or,
 * failing that, the unprotected one: 1 and *text when text, 2 and *num
 * when a CoAP number, 0 when absent. */
int fwt_cose_content_type(const fwt_cose *m, const char **text, size_t *tlen, uint64_t *num);
/* The same from the protected header only (the signed one): a content type
 * that only the unprotected header carries gives 0. */
int fwt_cose_protected_content_type(const fwt_cose *m, const char **text, size_t *tlen, uint64_t *num);
/* A byte-string parameter of the message's protected header (borrowed):
 * FWT_OK, FWT_ENOTFOUND when absent, FWT_EFORMAT when not a bstr. */
fwt_err fwt_cose_protected_bstr(const fwt_cose *m, int64_t label, const unsigned char **val, size_t *len);
/* Headers of the message and its signers as JSON: {"type", "tagged",
 * "protected", "unprotected", "payload_size" (or "detached": true),
 * "signers": [{"protected", "unprotected", "signature_size"}]}, header
 * maps with integer labels 1-4 named "alg", "crit", "content_type", "kid"
 * (and "alg_name" beside a known integer alg), other integer labels in
 * decimal, and text labels in diagnostic notation with their quotes
 * ("\"alg\""), never under an integer label's name.  The caller
 * json_decref()s it. */
json_t *fwt_cose_to_json(const fwt_cose *m);

/* The Sig_structure signer i signs ("Signature1"/"Signature", the
 * protected headers as received, external_aad, payload), malloc'd. */
fwt_err fwt_cose_sig_structure(fwt_ctx *ctx, const fwt_cose *m, size_t signer, const fwt_cose_options *opts,
                               unsigned char **out, size_t *len);

/* For a detached message: everything signer i signed before the payload's
 * bytes, for content_len bytes of content (the Sig_structure is prefix ||
 * content), so content too large to hold can be hashed as a stream.
 * FWT_EFORMAT when m carries its payload.  *out is malloc'd. */
fwt_err fwt_cose_detached_prefix(fwt_ctx *ctx, const fwt_cose *m, size_t signer, const fwt_cose_options *opts,
                                 uint64_t content_len, unsigned char **out, size_t *len);

typedef struct fwt_cose_result {
	size_t signer;              /* the signer that verified */
	fwt_sig_alg alg;            /* the algorithm used */
	int alg_inferred;           /* alg was absent and taken from the key (never in strict mode) */
	int empty_protected_as_zero_length; /* a protected h'a0' verified as h'' (RFC 9052 4.4) */
	const fwt_pubkey *key;      /* the key that verified (borrowed from the caller) */
	size_t verified;            /* signers that verified: the first one that does (1), or
	                             * every one with FWT_COSE_ALL_SIGNERS */
	size_t computed;            /* signatures computed and compared with a key, right or
	                             * wrong; set on failure too (the other members are then
	                             * left as they were): 0 is a signature never checked
	                             * (malformed, unsupported, no key that fits) */
} fwt_cose_result;

/*
 * Verify m with key.  The algorithm comes from the signer's protected
 * header and must fit key (an ECDSA curve, an RSA key for PS*); when alg
 * is absent it is the key's own (fwt_pubkey_default_alg) unless
 * FWT_COSE_STRICT, and res->alg_inferred says so.  COSE_Sign: any signer
 * verifying is enough unless FWT_COSE_ALL_SIGNERS.  FWT_OK; FWT_EVERIFY
 * (signature wrong, alg does not fit the key, alg absent in strict mode,
 * alg not in opts->algs); FWT_EUNSUPPORTED (an unknown alg); FWT_EFORMAT
 * (detached payload not given).  res may be NULL.
 */
fwt_err fwt_cose_verify(fwt_ctx *ctx, const fwt_cose *m, const fwt_pubkey *key, const fwt_cose_options *opts,
                        fwt_cose_result *res) FWT_MUST_CHECK;
/* A detached COSE_Sign1 verified over digest, the hash (of the signer's
 * algorithm) of fwt_cose_detached_prefix() || content.  Otherwise as
 * fwt_cose_verify. */
fwt_err fwt_cose_verify_digest(fwt_ctx *ctx, const fwt_cose *m, const fwt_pubkey *key, const fwt_cose_options *opts,
                               const unsigned char *digest, size_t dlen, fwt_cose_result *res) FWT_MUST_CHECK;
/* The same with trusted keys: a signer's kid that the store maps (kids.json)
 * selects that key only; otherwise every trusted key that fits is tried.  A
 * signer whose key fwt_trust_check_key refuses at opts->at (revoked, or a
 * certificate outside its validity) does not count: FWT_EVERIFY with that
 * reason when no signer is left. */
fwt_err fwt_cose_verify_trust(fwt_ctx *ctx, const fwt_cose *m, const fwt_trust *trust,
                              const fwt_cose_options *opts, fwt_cose_result *res) FWT_MUST_CHECK;

/* ---- creation ---- */

/* One extra protected header parameter: label and the deterministic CBOR
 * encoding of its value. */
typedef struct fwt_cose_param {
	int64_t label;
	const unsigned char *value;
	size_t len;
} fwt_cose_param;

#define FWT_COSE_SIGN1_OPTIONS_VERSION 1
typedef struct fwt_cose_sign1_options {
	unsigned version;                 /* FWT_COSE_SIGN1_OPTIONS_VERSION */
	const char *content_type;         /* protected label 3 (text), or NULL */
	const unsigned char *kid;         /* protected label 4, or NULL */
	size_t kid_len;
	const fwt_cose_param *params;     /* more protected parameters (labels other than 1-4) */
	size_t n_params;
	const unsigned char *external_aad;
	size_t external_aad_len;
	int detached;                     /* payload signed but written as nil */
	int untagged;                     /* no tag 18 */
} fwt_cose_sign1_options;
#define FWT_COSE_SIGN1_OPTIONS_INIT { FWT_COSE_SIGN1_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0, NULL, 0, 0, 0 }

/* Sign payload with key as a COSE_Sign1 in deterministic CBOR: protected
 * {1: alg of the key, 3: content type, 4: kid, params...}, unprotected {}.
 * *out is malloc'd. */
fwt_err fwt_cose_sign1_create(fwt_ctx *ctx, fwt_key *key, const void *payload, size_t len,
                              const fwt_cose_sign1_options *opts, unsigned char **out, size_t *outlen) FWT_MUST_CHECK;

/* Detached COSE_Sign1 over content streamed by the caller: the prefix to
 * hash before the content (content_len bytes) with the key's hash, then the
 * message (payload nil) signing that digest.  Both take the same opts (its
 * detached flag is implied). */
fwt_err fwt_cose_sign1_detached_prefix(fwt_ctx *ctx, fwt_key *key, const fwt_cose_sign1_options *opts,
                                       uint64_t content_len, unsigned char **out, size_t *outlen);
fwt_err fwt_cose_sign1_detached_finish(fwt_ctx *ctx, fwt_key *key, const fwt_cose_sign1_options *opts,
                                       const unsigned char *digest, size_t dlen, unsigned char **out,
                                       size_t *outlen) FWT_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
