/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/jws.h - JWS compact serialisation (RFC 7515) under the OCP SAFE
 * SFR profile: ES384/P-384, ES512/P-521, PS384/RSA-3072, PS512/RSA-4096,
 * the algorithm bound to the trusted key, no embedded or fetched keys, no
 * extensions. */
#ifndef FWTRAIL_JWS_H
#define FWTRAIL_JWS_H

#include <stddef.h>
#include <fwtrail/ctx.h>
#include <fwtrail/key.h>
#include <fwtrail/sig.h>
#include <fwtrail/trust.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWT_JWS_MAX_SIZE_DEFAULT (1u << 20) /* a whole token: 1 MiB */
#define FWT_JWS_HEADER_MAX 8192             /* decoded protected header */
#define FWT_JWS_KID_MAX 1024

#define FWT_JWS_OPTIONS_VERSION 1
typedef struct fwt_jws_options {
	unsigned version;  /* FWT_JWS_OPTIONS_VERSION */
	size_t max_size;   /* 0: FWT_JWS_MAX_SIZE_DEFAULT */
	/* Drop the OCP key-size binding (PS384 with RSA-3072 only, PS512 with
	 * RSA-4096 only): any RSA key of 2048 bits or more is then accepted for
	 * PS384/PS512.  For test vectors (RFC 7520, Wycheproof) only; the SFR
	 * commands never set it. */
	int any_rsa_size;
} fwt_jws_options;
#define FWT_JWS_OPTIONS_INIT { FWT_JWS_OPTIONS_VERSION, 0, 0 }

typedef struct fwt_jws fwt_jws;

/*
 * Parse a compact JWS and check its protected header against the profile.
 * Framing: at most max_size bytes; exactly two '.' counted before anything
 * is split; three non-empty segments in strict base64url (no padding, no
 * whitespace, canonical trailing bits); one trailing LF or CRLF after the
 * token is ignored (files end with a newline).  Header: strict JSON object
 * (fwt_json_parse) with "alg" (one of ES384, ES512, PS384, PS512, compared
 * exactly), "kid" (a non-empty string of at most FWT_JWS_KID_MAX bytes,
 * opaque), optional "typ" ("JWT" in any case), and nothing else.
 * Malformed framing, base64url or JSON, or a missing or mistyped alg/kid,
 * is FWT_EFORMAT.  A header the profile refuses (alg none, HS*, RS*, ES256,
 * PS256, ...; crit; b64; jwk, jku, x5c, x5u, x5t, x5t#S256; any other
 * member) is FWT_EVERIFY: such a token is never accepted.
 */
fwt_err fwt_jws_parse(fwt_ctx *ctx, fwt_jws **out, const void *buf, size_t len, const fwt_jws_options *opts);
void fwt_jws_free(fwt_jws *j);

fwt_sig_alg fwt_jws_alg(const fwt_jws *j);
/* The kid, exactly as in the header (borrowed; NUL-terminated; it holds no
 * NUL since the JSON layer refuses \u0000).  Untrusted: escape it before
 * printing. */
const char *fwt_jws_kid(const fwt_jws *j, size_t *len);
/* "JWT", "jwt", ... or NULL when the header has no typ (borrowed). */
const char *fwt_jws_typ(const fwt_jws *j);
/* The decoded payload (borrowed; NUL-terminated, *len excludes the NUL). */
const unsigned char *fwt_jws_payload(const fwt_jws *j, size_t *len);
/* The decoded protected header as JSON text (borrowed). */
const char *fwt_jws_header_json(const fwt_jws *j);

/* FWT_OK when alg may be verified with (or signed by) key k under the
 * profile: ES384 with P-384, ES512 with P-521, PS384 with RSA-3072, PS512
 * with RSA-4096 (any RSA >= 2048 with opts->any_rsa_size).  FWT_EVERIFY
 * with the reason otherwise. */
fwt_err fwt_jws_check_key(fwt_ctx *ctx, fwt_sig_alg alg, const fwt_pubkey *k, const fwt_jws_options *opts);

/* Verify the signature with one trusted key: the binding above, then
 * fwt_sig_verify (raw r||s of exactly the curve size, 1 <= r,s < n; strict
 * RSA-PSS) over the signing input.  FWT_OK or FWT_EVERIFY. */
fwt_err fwt_jws_verify(fwt_ctx *ctx, const fwt_jws *j, const fwt_pubkey *k, const fwt_jws_options *opts) FWT_MUST_CHECK;

/*
 * Verify with a trust store.  When the store holds a kids.json mapping, the
 * kid must be mapped and only that key is used.  Otherwise every trusted key
 * the algorithm fits is tried (the same key found in several files counts
 * once); the kid only orders the attempts (keys whose file names share words
 * with it first), it never decides.  Distinct keys cannot both verify one
 * signature, so the first key that verifies is the one: *used (borrowed
 * from t).  FWT_EVERIFY when no key fits or none verifies, or when the key
 * that verifies is not trusted at the store's time (fwt_trust_check_key:
 * revoked, or a certificate outside its validity).
 */
fwt_err fwt_jws_verify_trust(fwt_ctx *ctx, const fwt_jws *j, const fwt_trust *t, const fwt_jws_options *opts,
                             const fwt_pubkey **used) FWT_MUST_CHECK;

/*
 * Sign payload with key as a compact JWS whose protected header is exactly
 * {"alg":"<alg>","kid":"<kid>","typ":"JWT"}; alg follows from the key (the
 * profile's binding; other keys give FWT_EUNSUPPORTED).  kid must be
 * non-empty valid UTF-8 without control characters (FWT_EINVAL).  The
 * payload must not be empty.  *out is malloc'd and NUL-terminated.
 */
fwt_err fwt_jws_sign(fwt_ctx *ctx, fwt_key *key, const char *kid, size_t kidlen, const void *payload,
                     size_t len, char **out, size_t *outlen) FWT_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
