/* SPDX-License-Identifier: Apache-2.0 */
/* key.c - the signing-key abstraction: PEM private keys here, PKCS#11 keys
 * through p11.c.  Both sign digests and self-verify every signature. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <fwtrail/io.h>
#include <fwtrail/key.h>
#include "internal.h"
#include "key_internal.h"
#include "sig_internal.h"
#include "banned.h"

#define PEM_CAP (1u << 20)

struct fwt_key {
	fwt_ctx *ctx;
	char *name;
	fwt_pubkey *pub;
	fwt_sig_alg alg;
	EVP_PKEY *priv;          /* PEM keys */
	struct fwt_p11_key *p11; /* PKCS#11 keys */
};

struct pass_ctx {
	fwt_ctx *ctx;
	const fwt_key_options *opts;
	const char *path; /* the key's name, for messages */
	int asked;
	int gave_up; /* OpenSSL may ask again after a refusal: never prompt twice */
	int no_source; /* nothing to take a passphrase from: no file, no PIN, no prompt */
	int prompt_failed; /* the prompt gave none (cancelled, or no terminal after all) */
	fwt_err err; /* the passphrase file could not be read (reported on ctx) */
};

static int pem_pass_cb(char *buf, int size, int rwflag, void *u)
{
	struct pass_ctx *pc = u;
	size_t n;
	char prompt[512];

	(void)rwflag;
	pc->asked = 1;
	if (pc->gave_up)
		return -1;
	if (pc->opts->pin_file) { /* first, as for a token's PIN */
		char pin[256];
		pc->gave_up = 1;
		pc->err = fwt__read_pin_file(pc->ctx, pc->opts->pin_file, pin, sizeof(pin));
		if (!pc->err && !pin[0])
			pc->err = fwt__error(pc->ctx, FWT_ETOKEN, "refusing an empty passphrase for '%s' (from '%s')",
			                     pc->path, pc->opts->pin_file);
		n = pc->err ? 0 : strlen(pin);
		if (!pc->err && n >= (size_t)size)
			pc->err = fwt__error(pc->ctx, FWT_EINVAL, "the passphrase in '%s' is too long", pc->opts->pin_file);
		if (!pc->err)
			memcpy(buf, pin, n);
		OPENSSL_cleanse(pin, sizeof(pin));
		return pc->err ? -1 : (int)n;
	}
	if (pc->opts->pin) {
		n = strlen(pc->opts->pin);
		if (n >= (size_t)size)
			return -1;
		memcpy(buf, pc->opts->pin, n);
		return (int)n;
	}
	if (pc->opts->pin_prompt) {
		snprintf(prompt, sizeof(prompt), "Passphrase for '%s': ", pc->path);
		if (pc->opts->pin_prompt(pc->opts->pin_payload, prompt, buf, (size_t)size) != FWT_OK) {
			pc->gave_up = 1;
			pc->prompt_failed = 1;
			return -1;
		}
		return (int)strnlen(buf, (size_t)size);
	}
	pc->no_source = 1;
	return -1;
}

/* The message on ctx with every copy of spec in it shown as name (spec
 * with its pin-value hidden); when spec shows in some other form, a
 * message without it. */
static fwt_err hide_spec(fwt_ctx *ctx, fwt_err err, const char *spec, const char *name)
{
	const char *msg = fwt_ctx_errmsg(ctx), *p, *hit;
	char out[1024], rest[1024]; /* rest: the message outside the copies of spec */
	size_t o = 0, r = 0, n = strlen(spec);

	/* the file layer already showed the spec as name (hidden) */
	if (!strstr(msg, spec) && strstr(msg, name))
		return err;
	for (p = msg; (hit = strstr(p, spec)) != NULL && o < sizeof(out) && r < sizeof(rest); p = hit + n) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%.*s%s", (int)(hit - p), p, name);
		r += (size_t)snprintf(rest + r, sizeof(rest) - r, "%.*s ", (int)(hit - p), p);
	}
	if (o < sizeof(out) && r < sizeof(rest)) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", p);
		r += (size_t)snprintf(rest + r, sizeof(rest) - r, "%s", p);
	}
	if (o >= sizeof(out) || r >= sizeof(rest) || fwt__p11_has_pin_value(rest))
		return fwt__error(ctx, err, "cannot read key '%s'", name);
	return fwt__error(ctx, err, "%s", out);
}

/* The public half alone, from a file that holds one PEM public key or
 * one PEM certificate (fwt_key_open_public). */
static fwt_err open_public(fwt_ctx *ctx, fwt_key *k, const unsigned char *buf, size_t len, const char *name)
{
	size_t n;

	/* a JWK (a review provider's key, say) as fwt_pubkey_parse reads it,
	 * which refuses one holding a private key; one whose "use" or
	 * "key_ops" forbids verifying is refused too, since a PEM export would
	 * drop the restriction and verify with it */
	if (!memmem(buf, len, "-----BEGIN ", 11)) {
		char why[1024]; /* a context message at most */
		fwt_err err = fwt_pubkey_parse(ctx, &k->pub, buf, len, name);
		if (err || fwt__pubkey_may_sign(ctx, k->pub) == FWT_OK)
			return err;
		snprintf(why, sizeof(why), "%s", fwt_ctx_errmsg(ctx));
		return fwt__error(ctx, FWT_EUNSUPPORTED, "%s", why);
	}
	if ((n = fwt__pem_count(buf, len, 0)) > 1)
		return fwt__error(ctx, FWT_EFORMAT, "'%s' holds %zu keys or certificates: give a file with one", name, n);
	return fwt_pubkey_parse(ctx, &k->pub, buf, len, name);
}

/* A private key file that also holds public keys or certificates (a key
 * and its certificate chain, as TLS bundles are): 1 when one of them is
 * the key's own, 0 when none is (a certificate of another key beside it
 * would be taken for this key's), -1 when one does not read (ctx's error
 * set).  Only the public blocks are parsed: the private one is not copied. */
static int bundle_has_own(fwt_ctx *ctx, const unsigned char *buf, size_t len, EVP_PKEY *priv, const char *name)
{
	const char *p = (const char *)buf, *end = p + len, *b, *e, *lab;
	fwt_pubkey *k;
	int own = 0;

	while (!own && (b = memmem(p, (size_t)(end - p), "-----BEGIN ", 11)) != NULL) {
		lab = b + 11;
		e = memmem(lab, (size_t)(end - lab), "-----END", 8);
		e = e ? memmem(e + 8, (size_t)(end - e - 8), "-----", 5) : NULL;
		if (!e) {
			fwt__error(ctx, FWT_EFORMAT, "'%s': unterminated PEM block", name);
			return -1;
		}
		e += 5;
		p = e;
		/* only what fwt__pem_count counts: public keys and certificates
		 * (not the private key, nor "EC PARAMETERS" as openssl ecparam
		 * -genkey writes before it) */
		if (!fwt__pem_count(b, (size_t)(e - b), 0))
			continue;
		if (fwt_pubkey_parse(ctx, &k, b, (size_t)(e - b), name) != FWT_OK)
			return -1;
		own = EVP_PKEY_eq(fwt__pubkey_evp(k), priv) == 1;
		fwt_pubkey_free(k);
	}
	return own;
}

/* path: the file; name: the key's name for messages (path, with any
 * pin-value in it hidden); public_ok: a public key or certificate opens
 * as a key that signs nothing. */
static fwt_err open_pem(fwt_ctx *ctx, fwt_key *k, const char *path, const char *name,
                        const fwt_key_options *opts, int public_ok)
{
	struct pass_ctx pc = { ctx, opts, name, 0, 0, 0, 0, FWT_OK };
	unsigned char *buf = NULL;
	EVP_PKEY *pub = NULL;
	size_t len, keys;
	BIO *b;
	fwt_err err;
	int public;

	err = fwt_read_file(ctx, path, PEM_CAP, &buf, &len);
	if (err)
		return strcmp(path, name) ? hide_spec(ctx, err, path, name) : err;
	if ((keys = fwt__pem_count(buf, len, 1)) > 1) {
		err = fwt__error(ctx, FWT_EFORMAT, "'%s' holds %zu private keys: give a file with one", name, keys);
		OPENSSL_cleanse(buf, len);
		free(buf);
		return err;
	}
	/* a public key or certificate where the signing key goes: the wrong
	 * file given (as a private key given to a verifier is), not a bad one */
	public = !memmem(buf, len, "PRIVATE KEY-----", 16) &&
	         (memmem(buf, len, "-----BEGIN PUBLIC KEY-----", 26) || memmem(buf, len, "-----BEGIN RSA PUBLIC KEY", 25) ||
	          memmem(buf, len, "-----BEGIN CERTIFICATE-----", 27) || memmem(buf, len, "\"kty\"", 5));
	if (public && public_ok) {
		err = open_public(ctx, k, buf, len, name);
		free(buf);
		return err;
	}
	b = BIO_new_mem_buf(buf, (int)len);
	if (b)
		k->priv = PEM_read_bio_PrivateKey_ex(b, NULL, pem_pass_cb, &pc, fwt__libctx(ctx), fwt__propq(ctx));
	BIO_free(b);
	if (k->priv && fwt__pem_count(buf, len, 0) > 0) {
		int own = bundle_has_own(ctx, buf, len, k->priv, name);
		if (own <= 0) {
			OPENSSL_cleanse(buf, len);
			free(buf);
			if (!own)
				return fwt__error(ctx, FWT_EFORMAT, "'%s' holds a private key and public keys or certificates "
				                  "of other keys only: give the key alone, or with its own certificate", name);
			return fwt_ctx_errcode(ctx);
		}
	}
	OPENSSL_cleanse(buf, len);
	free(buf);
	if (!k->priv) {
		if (pc.err) {
			ERR_clear_error();
			return pc.err;
		}
		/* not OpenSSL's "interrupted or cancelled": nothing was */
		if (pc.asked && pc.no_source) {
			ERR_clear_error();
			return fwt__error(ctx, FWT_ETOKEN, "key '%s' is encrypted and needs a passphrase: none was given "
			                  "(--pin-file, FWTRAIL_PIN, or a terminal to ask on)", name);
		}
		if (pc.asked && pc.prompt_failed) {
			ERR_clear_error();
			return fwt__error(ctx, FWT_ETOKEN, "no passphrase for key '%s' (the prompt gave none)", name);
		}
		if (pc.asked)
			return fwt__error_ossl(ctx, FWT_ETOKEN, "cannot decrypt key '%s'", name);
		if (public) {
			ERR_clear_error();
			return fwt__error(ctx, FWT_EINVAL, "'%s' holds a public key or certificate; give the private key "
			                  "(PEM) or a pkcs11: URI instead", name);
		}
		ERR_clear_error();
		return fwt__error(ctx, FWT_EFORMAT, public_ok ? "'%s' is not a PEM private key, public key or "
		                                                "certificate (nor a pkcs11: URI)"
		                                              : "'%s' is not a PEM private key (nor a pkcs11: URI)",
		                  name);
	}
	/* the public half, as its own object */
	{
		unsigned char *der = NULL;
		int n = i2d_PUBKEY(k->priv, &der);
		const unsigned char *p = der;
		if (n > 0)
			pub = d2i_PUBKEY_ex(NULL, &p, n, fwt__libctx(ctx), fwt__propq(ctx));
		OPENSSL_free(der);
	}
	if (!pub)
		return fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot derive the public key of '%s'", name);
	return fwt__pubkey_wrap(ctx, &k->pub, pub, NULL, name);
}

fwt_err fwt__key_options_norm(fwt_ctx *ctx, const fwt_key_options *in, fwt_key_options *o)
{
	const fwt_key_options defaults = FWT_KEY_OPTIONS_INIT;
	unsigned ver;
	fwt_err err;

	*o = defaults;
	if (!in)
		return FWT_OK;
	if ((err = fwt__opts_version(ctx, "key", in->version, FWT_KEY_OPTIONS_VERSION, &ver)))
		return err;
	/* version 1 ended at sessions */
	o->pin_file = in->pin_file;
	o->pin = in->pin;
	o->pin_prompt = in->pin_prompt;
	o->pin_payload = in->pin_payload;
	o->sessions = in->sessions;
	if (ver >= 2) {
		o->timeout_ms = in->timeout_ms;
		o->force_final_try = in->force_final_try;
	}
	return FWT_OK;
}

static fwt_err open_key(fwt_ctx *ctx, fwt_key **out, const char *spec, const fwt_key_options *given, int public_ok)
{
	fwt_key_options o;
	const fwt_key_options *opts = &o;
	fwt_key *k;
	fwt_err err;

	if (!out || !spec || !*spec)
		return fwt__error(ctx, FWT_EINVAL, "no key given");
	*out = NULL;
	if ((err = fwt__key_options_norm(ctx, given, &o)))
		return err;
	/* a PIN file named is an input whether or not this key needs it: no
	 * output of the operation may be written over it */
	if (opts->pin_file && (err = fwt_ctx_add_input(ctx, opts->pin_file)) != FWT_OK)
		return err;
	k = calloc(1, sizeof(*k));
	if (!k)
		return fwt__enomem(ctx);
	k->ctx = ctx;
	/* a URI scheme is case-insensitive (RFC 3986 3.1) */
	if (!strncasecmp(spec, "pkcs11:", 7)) {
		err = fwt__p11_key_open(ctx, &k->p11, spec, opts, &k->pub, &k->name);
	} else if (fwt__p11_has_pin_value(spec)) {
		/* not a URI, but it reads like one with a PIN in it (" pkcs11:",
		 * "pkcs11 :", a typo): whatever it is, no message shows the PIN */
		char q[1024];
		fwt__p11_hide_pin(q, sizeof(q), spec);
		k->name = strdup(q);
		err = k->name ? open_pem(ctx, k, spec, k->name, opts, public_ok) : fwt__enomem(ctx);
	} else {
		k->name = strdup(spec);
		err = k->name ? open_pem(ctx, k, spec, spec, opts, public_ok) : fwt__enomem(ctx);
	}
	if (err) {
		fwt_key_free(k);
		return err;
	}
	k->alg = fwt_pubkey_default_alg(k->pub);
	/* a PEM key typed RSA-PSS may forbid the one RSA-PSS fwtrail signs
	 * with: unsupported before anything is signed */
	if (!public_ok && k->priv && k->alg != FWT_SIG_NONE &&
	    (err = fwt__pss_params_allow(ctx, k->priv, k->name, fwt_sig_alg_digest(k->alg))) != FWT_OK) {
		fwt_key_free(k);
		return err;
	}
	*out = k;
	return FWT_OK;
}

fwt_err fwt_key_open(fwt_ctx *ctx, fwt_key **out, const char *spec, const fwt_key_options *opts)
{
	return open_key(ctx, out, spec, opts, 0);
}

fwt_err fwt_key_open_public(fwt_ctx *ctx, fwt_key **out, const char *spec, const fwt_key_options *opts)
{
	return open_key(ctx, out, spec, opts, 1);
}

void fwt_key_free(fwt_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->priv); /* OpenSSL clears private key material */
	fwt__p11_key_free(k->p11);
	fwt_pubkey_free(k->pub);
	free(k->name);
	free(k);
}

int fwt_key_is_pkcs11(const fwt_key *k) { return k && k->p11; }
int fwt_key_can_sign(const fwt_key *k)
{
	/* a key of a type no algorithm fwtrail makes fits (Ed25519, RSA-2048)
	 * cannot sign here, whatever it could elsewhere */
	return k && fwt_key_alg(k) != FWT_SIG_NONE &&
	       (k->p11 ? !fwt__p11_key_cannot_sign(k->p11) : k->priv != NULL);
}

/* A key opened from a public key or certificate file (fwt_key_open_public). */
static int public_only(const fwt_key *k)
{
	return !k->p11 && !k->priv;
}

const char *fwt_key_cannot_sign_reason(const fwt_key *k)
{
	const char *r;

	if (!k)
		return "no key";
	if (public_only(k))
		return "a public key alone makes no signature";
	r = k->p11 ? fwt__p11_key_cannot_sign(k->p11) : NULL;
	if (!r && fwt_key_alg(k) == FWT_SIG_NONE)
		r = "its type has no signature algorithm fwtrail makes (ES256, ES384, ES512, PS384, PS512)";
	return r ? r : "";
}

unsigned fwt_key_parallelism(const fwt_key *k)
{
	if (!k)
		return 1;
	return k->p11 ? fwt__p11_key_parallelism(k->p11) : fwt_ctx_threads(k->ctx);
}
const char *fwt_key_name(const fwt_key *k) { return k ? k->name : ""; }
const fwt_pubkey *fwt_key_pubkey(const fwt_key *k) { return k ? k->pub : NULL; }
fwt_sig_alg fwt_key_alg(const fwt_key *k) { return k ? k->alg : FWT_SIG_NONE; }

static fwt_err pem_sign(fwt_key *k, const unsigned char *digest, size_t dlen, unsigned char *sig,
                        size_t *siglen)
{
	fwt_ctx *ctx = k->ctx;
	const char *mdname = fwt_sig_alg_digest(k->alg) == FWT_DIGEST_SHA256   ? "SHA2-256"
	                     : fwt_sig_alg_digest(k->alg) == FWT_DIGEST_SHA384 ? "SHA2-384"
	                                                                        : "SHA2-512";
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_pkey(fwt__libctx(ctx), k->priv, fwt__propq(ctx));
	EVP_MD *md = EVP_MD_fetch(fwt__libctx(ctx), mdname, fwt__propq(ctx));
	unsigned char out[FWT_SIG_MAX + 16];
	size_t outlen = sizeof(out), n;
	fwt_err err = FWT_OK;

	if (!pc || !md || EVP_PKEY_sign_init(pc) <= 0 || EVP_PKEY_CTX_set_signature_md(pc, md) <= 0) {
		err = fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot start signing with '%s'", k->name);
		goto out;
	}
	if (!fwt_sig_alg_is_ecdsa(k->alg) &&
	    (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) <= 0 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
	     EVP_PKEY_CTX_set_rsa_mgf1_md_name(pc, mdname, NULL) <= 0)) {
		err = fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot set RSA-PSS parameters for '%s'", k->name);
		goto out;
	}
	if (EVP_PKEY_sign(pc, out, &outlen, digest, dlen) <= 0) {
		err = fwt__error_ossl(ctx, FWT_ECRYPTO, "signing with '%s' failed", k->name);
		goto out;
	}
	if (fwt_sig_alg_is_ecdsa(k->alg)) {
		n = fwt_sig_alg_ecdsa_size(k->alg);
		if (fwt_ecdsa_der_to_raw(out, outlen, n / 2, sig) != FWT_OK) {
			err = fwt__error(ctx, FWT_ECRYPTO, "signing with '%s' gave a malformed signature", k->name);
			goto out;
		}
		*siglen = n;
	} else {
		if (outlen > FWT_SIG_MAX) {
			err = fwt__error(ctx, FWT_ECRYPTO, "signature from '%s' is too long", k->name);
			goto out;
		}
		memcpy(sig, out, outlen);
		*siglen = outlen;
	}
out:
	OPENSSL_cleanse(out, sizeof(out));
	EVP_MD_free(md);
	EVP_PKEY_CTX_free(pc);
	return err;
}

fwt_err fwt_key_sign_digest(fwt_key *k, const unsigned char *digest, size_t dlen, unsigned char *sig,
                            size_t *siglen)
{
	fwt_err err;

	if (!k || !digest || !sig || !siglen)
		return k ? fwt__error(k->ctx, FWT_EINVAL, "bad arguments to fwt_key_sign_digest") : FWT_EINVAL;
	*siglen = 0;
	if (k->alg == FWT_SIG_NONE)
		return fwt__error(k->ctx, FWT_EUNSUPPORTED, "key '%s' (%s) has no supported signature algorithm",
		                  k->name, fwt_pubkey_describe(k->pub));
	if (dlen != fwt_digest_size(fwt_sig_alg_digest(k->alg)))
		return fwt__error(k->ctx, FWT_EINVAL, "digest length does not fit %s", fwt_sig_alg_name(k->alg));
	if (public_only(k))
		return fwt__error(k->ctx, FWT_EINVAL, "key '%s' is a public key: it makes no signature", k->name);
	if (k->p11)
		err = fwt__p11_sign_digest(k->p11, k->alg, digest, dlen, sig, siglen);
	else
		err = pem_sign(k, digest, dlen, sig, siglen);
	if (err)
		return err;
	/* self-verify before anyone sees the signature */
	err = fwt_sig_verify_digest(k->ctx, k->pub, k->alg, FWT_SIG_RAW, digest, dlen, sig, *siglen);
	if (err) {
		OPENSSL_cleanse(sig, *siglen);
		*siglen = 0;
		/* a token's public key may come from another object sharing the
		 * private key's id: then that object is named, as the culprit */
		if (strcmp(fwt_pubkey_name(k->pub), k->name))
			return fwt__error(k->ctx, FWT_ETOKEN, "the signature made with '%s' does not verify with '%s', the "
			                  "public key that shares its id: the two are not one key pair, or the token "
			                  "signed wrongly", k->name,
			                  fwt_pubkey_name(k->pub));
		return fwt__error(k->ctx, k->p11 ? FWT_ETOKEN : FWT_ECRYPTO,
		                  "the signature made with '%s' does not verify with its public key", k->name);
	}
	return FWT_OK;
}

fwt_err fwt_key_sign(fwt_key *k, const void *msg, size_t len, unsigned char *sig, size_t *siglen)
{
	unsigned char d[FWT_DIGEST_MAX];
	fwt_digest_alg md;
	fwt_err err;

	if (!k)
		return FWT_EINVAL;
	md = fwt_sig_alg_digest(k->alg);
	if (!md)
		return fwt__error(k->ctx, FWT_EUNSUPPORTED, "key '%s' (%s) has no supported signature algorithm",
		                  k->name, fwt_pubkey_describe(k->pub));
	err = fwt_digest_oneshot(k->ctx, md, msg, len, d);
	if (err)
		return err;
	return fwt_key_sign_digest(k, d, fwt_digest_size(md), sig, siglen);
}

fwt_err fwt_pubkey_load_cert(fwt_ctx *ctx, fwt_pubkey **out, const char *path)
{
	static const char want_pub[] = "; give the public key instead";
	char msg[1024];
	size_t n;
	fwt_err err = fwt_pubkey_load(ctx, out, path);

	/* a private key (PEM, or a JWK with private members) is the one
	 * mistake whose advice depends on what was asked for: the loader's
	 * message, but for the certificate */
	if (err != FWT_EINVAL)
		return err;
	snprintf(msg, sizeof(msg), "%s", fwt_ctx_errmsg(ctx));
	n = strlen(msg);
	if (n > sizeof(want_pub) - 1 && !strcmp(msg + n - (sizeof(want_pub) - 1), want_pub) &&
	    strstr(msg, "holds a private key"))
		return fwt__error(ctx, err, "%.*s; give the certificate instead", (int)(n - (sizeof(want_pub) - 1)),
		                  msg);
	return err;
}

void fwt_key_spec_shown(const char *spec, char *out, size_t n)
{
	if (!out || !n)
		return;
	if (!spec)
		out[0] = '\0';
	else if (fwt__p11_has_pin_value(spec))
		fwt__p11_hide_pin(out, n, spec);
	else
		snprintf(out, n, "%s", spec);
}
