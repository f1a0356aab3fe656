/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/p11.h - PKCS#11 tokens through p11-kit: listing tokens and keys,
 * generating key pairs on a token, checking RFC 7512 "pkcs11:" URIs.
 * Signing with a token key goes through fwtrail/key.h like any other key.
 *
 * Modules: by default every module registered with p11-kit; a URI's
 * module-name= picks one registered module, module-path= loads one module
 * file.  A module that fails to initialise is skipped (logged at info
 * level).  Every function initialises the modules it loads once and
 * finalises them before it returns (or when its object is freed). */
#ifndef FWTRAIL_P11_H
#define FWTRAIL_P11_H

#include <stddef.h>
#include <fwtrail/ctx.h>
#include <fwtrail/key.h>
#include <fwtrail/sig.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Check that uri is a pkcs11: URI fwtrail accepts: RFC 7512 syntax (parsed
 * by p11-kit), no unknown or repeated attribute, no pin-source other than a
 * file.  FWT_EINVAL with a message naming the problem otherwise. */
fwt_err fwt_p11_uri_check(fwt_ctx *ctx, const char *uri);

/* ---- listing ---- */

typedef struct fwt_p11_listing fwt_p11_listing;

/* One token.  Strings are borrowed from the listing. */
typedef struct fwt_p11_token {
	const char *uri;          /* pkcs11:model=...;manufacturer=...;serial=...;token=... */
	const char *module;       /* p11-kit module name, or the module path */
	const char *label;
	const char *manufacturer;
	const char *model;
	const char *serial;
	unsigned long flags;      /* CK_TOKEN_INFO flags */
	int login_required;       /* CKF_LOGIN_REQUIRED */
	int logged_in;            /* private objects were listed */
	int pin_unused;           /* a PIN was given (options or URI) but not used: several
	                           * tokens need one, and none was named */
} fwt_p11_token;

/* One key object on a token. */
typedef struct fwt_p11_object {
	size_t token;             /* index into the listing's tokens */
	const char *uri;          /* full URI: token, manufacturer, serial, model, object, id, type */
	const char *label;        /* "" when none */
	const char *id_hex;       /* lowercase hex; "" when none */
	int is_private;           /* private key (else public key) */
	const char *type;         /* "ec-p384", "rsa-3072", ... as fwt_pubkey_describe, or "ec", "other" */
	unsigned bits;            /* key size; 0 when unknown */
	int can_sign;             /* private key with CKA_SIGN */
	int always_authenticate;  /* CKA_ALWAYS_AUTHENTICATE */
	int sensitive;            /* CKA_SENSITIVE (private keys) */
	int extractable;          /* CKA_EXTRACTABLE (private keys) */
} fwt_p11_object;

#define FWT_P11_LIST_OPTIONS_VERSION 2
typedef struct fwt_p11_list_options {
	unsigned version;          /* FWT_P11_LIST_OPTIONS_VERSION (1: without timeout_ms) */
	const char *module;        /* a registered module name, or a path (has a '/'); NULL: all.
	                            * FWT_EINVAL when token_uri names another module
	                            * (module-name= or module-path=) */
	const char *token_uri;     /* list only tokens matching this pkcs11: URI; NULL: all */
	const fwt_key_options *pin; /* PIN sources (pin_file, pin; never the prompt): when one
	                             * is given and exactly one listed token needs a login, log
	                             * in to it so that its private keys show; NULL: no login */
	unsigned timeout_ms;       /* give up when the modules have not answered within this
	                            * long (see fwt_key_options); 0: wait for ever */
} fwt_p11_list_options;
#define FWT_P11_LIST_OPTIONS_INIT { FWT_P11_LIST_OPTIONS_VERSION, NULL, NULL, NULL, 0 }

/* Every initialised token of the chosen modules, and the keys on each. */
fwt_err fwt_p11_list(fwt_ctx *ctx, fwt_p11_listing **out, const fwt_p11_list_options *opts);
void fwt_p11_listing_free(fwt_p11_listing *l);
size_t fwt_p11_listing_ntokens(const fwt_p11_listing *l);
const fwt_p11_token *fwt_p11_listing_token(const fwt_p11_listing *l, size_t i);
size_t fwt_p11_listing_nobjects(const fwt_p11_listing *l);
const fwt_p11_object *fwt_p11_listing_object(const fwt_p11_listing *l, size_t i);

/* Names of the flags set in a CK_TOKEN_INFO flags value ("login-required",
 * "token-initialized", ...) as p11-kit spells them; up to max into names
 * (borrowed, static); returns how many. */
size_t fwt_p11_token_flag_names(unsigned long flags, const char **names, size_t max);

/* ---- key generation ---- */

typedef enum fwt_p11_keygen {
	FWT_P11_KEYGEN_EC_P384 = 1,
	FWT_P11_KEYGEN_EC_P521,
	FWT_P11_KEYGEN_RSA_3072,
	FWT_P11_KEYGEN_RSA_4096
} fwt_p11_keygen;

/* "ec-p384", "ec-p521", "rsa-3072", "rsa-4096". */
fwt_err fwt_p11_keygen_from_name(const char *name, fwt_p11_keygen *out);

/*
 * Generate a key pair on the one token token_uri matches, after logging in
 * with the PIN sources in opts.  The private key is CKA_SENSITIVE, not
 * CKA_EXTRACTABLE, with CKA_SIGN only; the public key has CKA_VERIFY only.
 * label must be new on the token; so must id (idlen 0: 8 random bytes).
 * *uri_out (malloc'd) is the private key's full URI; *pub_out its public
 * key (either may be NULL).
 */
fwt_err fwt_p11_generate(fwt_ctx *ctx, const char *token_uri, fwt_p11_keygen type, const char *label,
                         const unsigned char *id, size_t idlen, const fwt_key_options *opts,
                         char **uri_out, fwt_pubkey **pub_out);

#ifdef __cplusplus
}
#endif
#endif
