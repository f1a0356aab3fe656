/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/key.h - one signing-key abstraction over PKCS#11 tokens (RFC 7512
 * "pkcs11:" URIs) and PEM private key files.  Every signing command uses it;
 * everything above it is the same code for both. */
#ifndef FWTRAIL_KEY_H
#define FWTRAIL_KEY_H

#include <stddef.h>
#include <fwtrail/ctx.h>
#include <fwtrail/sig.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest signature any supported key makes (RSA-4096 = 512 bytes). */
#define FWT_SIG_MAX 512

typedef struct fwt_key fwt_key;

/* Asked for a PIN (or a PEM passphrase) when no other source gives one.
 * Write a NUL-terminated secret into buf; return FWT_OK, or an error to
 * give up (e.g. FWT_ETOKEN when there is no terminal). */
typedef fwt_err (*fwt_pin_fn)(void *payload, const char *prompt, char *buf, size_t buflen);

#define FWT_KEY_OPTIONS_VERSION 2
typedef struct fwt_key_options {
	unsigned version;      /* FWT_KEY_OPTIONS_VERSION (1: without timeout_ms and
	                        * force_final_try) */
	const char *pin_file;  /* read the PIN from this file (first line) */
	const char *pin;       /* a PIN the caller already holds (e.g. from the
	                        * environment); the library copies it and wipes
	                        * its copy after use; the caller wipes its own */
	fwt_pin_fn pin_prompt; /* last resort; may be NULL */
	void *pin_payload;
	unsigned sessions;     /* PKCS#11 sessions for parallel signing; 0: one per CPU */
	unsigned timeout_ms;   /* PKCS#11: give up on a token that has not answered
	                        * within this long (opening the key, logging in, each
	                        * signature; time spent in pin_prompt does not count);
	                        * its calls are abandoned, not interrupted, and the
	                        * module is never called again; 0: wait for ever */
	int force_final_try;   /* PKCS#11: log in even when the token says one PIN try
	                        * is left (CKF_USER_PIN_FINAL_TRY); otherwise refused */
} fwt_key_options;
#define FWT_KEY_OPTIONS_INIT { FWT_KEY_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 0, 0 }

/* Nonzero once this process has given up on a PKCS#11 call (timeout_ms):
 * a thread is still inside that module, for the life of the process.  Such
 * a process should end with _exit() once its output is flushed: exit()'s
 * handlers run the module's static destructors, which would free what the
 * thread still uses (a crash at exit instead of the answer given). */
int fwt_work_abandoned(void);

/* Open a signing key: a "pkcs11:" URI (the scheme in any case), or the path
 * of a PEM private key (PKCS#8 or traditional; an encrypted one takes its
 * passphrase like a PIN; a file holding a public key, certificate or JWK
 * instead is FWT_EINVAL, the wrong key given; any other is FWT_EFORMAT).
 * The algorithm follows from the key (see
 * fwt_pubkey_default_alg).  A PIN file the options or the URI's pin-source
 * name is recorded on ctx as an input, whether or not it is read.  No
 * message shows the value of a pin-value in spec, even when spec is not a
 * URI.  A URI that names no token (token, manufacturer, serial, model,
 * slot-*) logs in only to a token that shows, before a login, a public key
 * or certificate the URI matches: otherwise FWT_ETOKEN, no PIN tried. */
fwt_err fwt_key_open(fwt_ctx *ctx, fwt_key **out, const char *spec, const fwt_key_options *opts);
/* As fwt_key_open, for a caller that needs the public key only (an
 * export): a file holding one PEM public key (SubjectPublicKeyInfo or
 * "RSA PUBLIC KEY") or one PEM certificate opens too, as a key with its
 * public half alone (fwt_key_pubkey; the name is the path).  Such a key
 * makes no signature: fwt_key_can_sign is false and
 * fwt_key_sign_digest fails with FWT_EINVAL.  A JWK public key opens too,
 * unless its "use" or "key_ops" forbids verifying (FWT_EUNSUPPORTED) or it
 * holds private members (FWT_EINVAL); a file of several keys or
 * certificates is FWT_EFORMAT. */
fwt_err fwt_key_open_public(fwt_ctx *ctx, fwt_key **out, const char *spec, const fwt_key_options *opts);
void fwt_key_free(fwt_key *k);

/* Load the certificate an option such as --cert names, as fwt_pubkey_load
 * does (a public key without a certificate loads too: the caller checks
 * fwt_pubkey_has_cert), but a private key given instead is refused
 * (FWT_EINVAL) with advice to give the certificate, not the public key. */
fwt_err fwt_pubkey_load_cert(fwt_ctx *ctx, fwt_pubkey **out, const char *path);

/* True when the key lives on a PKCS#11 token. */
int fwt_key_is_pkcs11(const fwt_key *k);
/* The key's full name: its complete pkcs11: URI, or the PEM path (borrowed). */
const char *fwt_key_name(const fwt_key *k);
/* spec (a key argument: a pkcs11: URI or a file) as a message or a JSON
 * record may show it, into out (n bytes, always terminated): the value of
 * any pin-value in it shown as <hidden>; otherwise spec as it is. */
void fwt_key_spec_shown(const char *spec, char *out, size_t n);
/* The public half (borrowed; valid while k lives). */
const fwt_pubkey *fwt_key_pubkey(const fwt_key *k);
/* The algorithm bound to the key; FWT_SIG_NONE when no fwtrail algorithm
 * fits it. */
fwt_sig_alg fwt_key_alg(const fwt_key *k);
/* False when the key may not sign (a PKCS#11 key without CKA_SIGN, or on a
 * token that lacks the mechanism; a public key alone; a key of a type no
 * fwtrail algorithm fits, fwt_key_alg FWT_SIG_NONE, such as Ed25519 or
 * RSA-2048); fwt_key_sign_digest then fails with the reason.  Lets a command refuse before it does any work. */
int fwt_key_can_sign(const fwt_key *k);
/* Why the key cannot sign (borrowed; "" when it can). */
const char *fwt_key_cannot_sign_reason(const fwt_key *k);
/* How many signatures the key can make at once: PKCS#11 sessions (see
 * fwt_key_options.sessions), or the context's threads for PEM keys. */
unsigned fwt_key_parallelism(const fwt_key *k);

/*
 * Sign a digest of fwt_sig_alg_digest(fwt_key_alg(k)).  ECDSA signatures
 * come out raw (r||s, each the full curve size), RSA-PSS ones as the
 * modulus-sized block.  Every signature is verified with the public key
 * before it is returned; a failure gives FWT_ETOKEN or FWT_ECRYPTO and no
 * signature.  sig must hold FWT_SIG_MAX bytes.  Safe to call from several
 * threads at once on the same key.
 */
fwt_err fwt_key_sign_digest(fwt_key *k, const unsigned char *digest, size_t dlen, unsigned char *sig,
                            size_t *siglen) FWT_MUST_CHECK;
/* Hash msg with the key's hash, then fwt_key_sign_digest. */
fwt_err fwt_key_sign(fwt_key *k, const void *msg, size_t len, unsigned char *sig, size_t *siglen) FWT_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
