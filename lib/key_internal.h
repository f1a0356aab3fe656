/* SPDX-License-Identifier: Apache-2.0 */
/* key_internal.h - the PKCS#11 backend behind fwt_key (p11.c). */
#ifndef FWT_KEY_INTERNAL_H
#define FWT_KEY_INTERNAL_H

#include <fwtrail/key.h>

struct fwt_p11_key;

/* in as this library reads it (the version rule in fwtrail/fwtrail.h), into
 * a whole current struct *o: NULL or the members an older version lacks
 * take their defaults.  FWT_OK, or FWT_EINVAL for a newer version. */
fwt_err fwt__key_options_norm(fwt_ctx *ctx, const fwt_key_options *in, fwt_key_options *o);

/* Open the key a pkcs11: URI names: exactly one token and one private key
 * must match (FWT_ENOTFOUND / FWT_ETOKEN listing the candidates otherwise),
 * log in once, and return its public key and full URI (*name, malloc'd). */
fwt_err fwt__p11_key_open(fwt_ctx *ctx, struct fwt_p11_key **out, const char *uri,
                          const fwt_key_options *opts, fwt_pubkey **pub, char **name);
/* Sign a digest with alg; raw r||s (full length) for ECDSA.  Thread-safe. */
fwt_err fwt__p11_sign_digest(struct fwt_p11_key *k, fwt_sig_alg alg, const unsigned char *digest,
                             size_t dlen, unsigned char *sig, size_t *siglen);
void fwt__p11_key_free(struct fwt_p11_key *k);
/* NULL when the key can sign, else the reason (borrowed). */
const char *fwt__p11_key_cannot_sign(const struct fwt_p11_key *k);
/* Most sessions the key signs with at once. */
unsigned fwt__p11_key_parallelism(const struct fwt_p11_key *k);

/* Read a PIN or passphrase (the first line) from a file that must be a
 * regular file of the caller's, unreadable by others; the file is recorded
 * on ctx as an input. */
fwt_err fwt__read_pin_file(fwt_ctx *ctx, const char *path, char *buf, size_t len);
/* FWT_EINVAL (pin wiped) when pin holds a control character (a CR or LF
 * left by the shell, say): never sent to a token, where a wrong PIN uses
 * up a try.  label: the token's, or NULL. */
fwt_err fwt__pin_check(fwt_ctx *ctx, char *pin, size_t len, const char *label);

/* Does s hold a pin-value attribute name and its '=' anywhere (in any
 * case, any of its characters percent-encoded)? */
int fwt__p11_has_pin_value(const char *s);
/* s quoted for a message into q (qlen bytes), the value of every
 * pin-value in it shown as "<hidden>", wherever it appears: for a key spec
 * that may be a URI, a mistyped one, or a file name. */
void fwt__p11_hide_pin(char *q, size_t qlen, const char *s);

/* A parsed, checked pkcs11: URI (p11-kit's P11KitUri inside); for the
 * fuzz target and the unit tests.  The scheme is taken in any case.  A
 * pin-source file is recorded on ctx as an input at once, whether or not
 * the PIN is later read from it. */
struct fwt_p11_uri;
fwt_err fwt__p11_uri_parse(fwt_ctx *ctx, const char *s, struct fwt_p11_uri **out);
/* Format it back (malloc'd), without any PIN. */
char *fwt__p11_uri_format(const struct fwt_p11_uri *u);
void fwt__p11_uri_free(struct fwt_p11_uri *u);

/* Normalise a raw ECDSA signature from a token (r||s with each half
 * possibly shorter than n bytes) into out (2n bytes).  -1 when the length
 * is zero, odd or over 2n. */
int fwt__p11_ecdsa_normalise(const unsigned char *in, size_t len, size_t n, unsigned char *out);

#endif
