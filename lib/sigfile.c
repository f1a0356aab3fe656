/* SPDX-License-Identifier: Apache-2.0 */
/* sigfile.c - detached signature files: raw (DER ECDSA or RSA-PSS bytes)
 * and CMS SignedData; signing many files at once; verification through
 * fwt_sig_verify_digest.  A third format (COSE) is one more case in
 * make_one(), detect() and fwt_sigfile_verify(). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <fwtrail/cose.h>
#include <fwtrail/sigfile.h>
#include "der.h"
#include "internal.h"
#include "sig_internal.h"
#include "banned.h"

#define SIGFILE_CAP (1u << 20) /* largest signature file read */
#define MAX_CERTS 64
#define MAX_ATTRS 64
#define COSE_PAYLOAD_HASH_ALG 258 /* draft-ietf-cose-hash-envelope */

/* ---- OIDs (complete TLVs) ---- */
#define PKCS(...) { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, __VA_ARGS__ }
static const unsigned char oid_signed_data[] = PKCS(0x01, 0x07, 0x02);
static const unsigned char oid_data[] = PKCS(0x01, 0x07, 0x01);
static const unsigned char oid_content_type[] = PKCS(0x01, 0x09, 0x03);
static const unsigned char oid_message_digest[] = PKCS(0x01, 0x09, 0x04);
static const unsigned char oid_rsa_pss[] = PKCS(0x01, 0x01, 0x0a);
static const unsigned char oid_mgf1[] = PKCS(0x01, 0x01, 0x08);
static const unsigned char oid_rsa[] = PKCS(0x01, 0x01, 0x01);
static const unsigned char oid_rsa_sha256[] = PKCS(0x01, 0x01, 0x0b);
static const unsigned char oid_rsa_sha384[] = PKCS(0x01, 0x01, 0x0c);
static const unsigned char oid_rsa_sha512[] = PKCS(0x01, 0x01, 0x0d);
#undef PKCS
#define NIST(x) { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, x }
static const unsigned char oid_sha256[] = NIST(0x01);
static const unsigned char oid_sha384[] = NIST(0x02);
static const unsigned char oid_sha512[] = NIST(0x03);
#undef NIST
static const unsigned char oid_ecdsa_sha256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
static const unsigned char oid_ecdsa_sha384[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 };
static const unsigned char oid_ecdsa_sha512[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 };
static const unsigned char oid_ec_public_key[] = { 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };

static int is_oid(const unsigned char *tlv, size_t len, const unsigned char *oid, size_t olen)
{
	return len == olen && !memcmp(tlv, oid, olen);
}
#define IS_OID(p, n, o) is_oid((p), (n), (o), sizeof(o))

static const unsigned char *hash_oid(fwt_digest_alg md, size_t *len)
{
	*len = sizeof(oid_sha256);
	switch (md) {
	case FWT_DIGEST_SHA256: return oid_sha256;
	case FWT_DIGEST_SHA384: return oid_sha384;
	case FWT_DIGEST_SHA512: return oid_sha512;
	default: return NULL;
	}
}

static fwt_digest_alg hash_of_oid(const unsigned char *p, size_t n)
{
	if (IS_OID(p, n, oid_sha256))
		return FWT_DIGEST_SHA256;
	if (IS_OID(p, n, oid_sha384))
		return FWT_DIGEST_SHA384;
	if (IS_OID(p, n, oid_sha512))
		return FWT_DIGEST_SHA512;
	return 0;
}

/* ---- formats ---- */

const char *fwt_sigfile_format_name(fwt_sigfile_format f)
{
	switch (f) {
	case FWT_SIGFILE_RAW: return "raw";
	case FWT_SIGFILE_CMS: return "cms";
	case FWT_SIGFILE_COSE: return "cose";
	default: return NULL;
	}
}

fwt_err fwt_sigfile_format_from_name(const char *name, fwt_sigfile_format *out)
{
	if (name && !strcmp(name, "raw"))
		*out = FWT_SIGFILE_RAW;
	else if (name && !strcmp(name, "cms"))
		*out = FWT_SIGFILE_CMS;
	else if (name && !strcmp(name, "cose"))
		*out = FWT_SIGFILE_COSE;
	else
		return FWT_EUNSUPPORTED;
	return FWT_OK;
}

const char *fwt_sigfile_suffix(fwt_sigfile_format f)
{
	switch (f) {
	case FWT_SIGFILE_RAW: return ".sig";
	case FWT_SIGFILE_CMS: return ".p7s";
	case FWT_SIGFILE_COSE: return ".cose";
	default: return "";
	}
}

/* ---- signing ---- */

fwt_err fwt_sigfile_check_key(fwt_ctx *ctx, fwt_key *k, fwt_sigfile_format fmt, const fwt_pubkey *cert)
{
	fwt_sig_alg alg = fwt_key_alg(k);
	unsigned char *a = NULL, *b = NULL;
	size_t al = 0, bl = 0;
	int same;

	if (!k)
		return fwt__error(ctx, FWT_EINVAL, "no key");
	if (fmt == FWT_SIGFILE_AUTO)
		return fwt__error(ctx, FWT_EINVAL, "no signature format to sign in (FWT_SIGFILE_AUTO is for "
		                  "verification): choose raw, cms or cose");
	if (fmt != FWT_SIGFILE_RAW && fmt != FWT_SIGFILE_CMS && fmt != FWT_SIGFILE_COSE)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "unsupported signature format");
	if (alg != FWT_SIG_ES384 && alg != FWT_SIG_ES512 && alg != FWT_SIG_PS384 && alg != FWT_SIG_PS512)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "key '%s' is %s: firmware is signed with ES384 (P-384), ES512 "
		                  "(P-521), PS384 (RSA-3072) or PS512 (RSA-4096)", fwt_key_name(k),
		                  fwt_pubkey_describe(fwt_key_pubkey(k)));
	if (!fwt_key_can_sign(k)) {
		const char *why = fwt_key_cannot_sign_reason(k);
		return fwt__error(ctx, strstr(why, "CKA_SIGN") ? FWT_ETOKEN : FWT_EUNSUPPORTED,
		                  "key '%s' cannot sign: %s", fwt_key_name(k), why);
	}
	if (fmt == FWT_SIGFILE_CMS) {
		if (!cert || !fwt__pubkey_x509(cert))
			return fwt__error(ctx, FWT_EINVAL, "a CMS signature carries the signer's certificate: give it");
		if (fwt_pubkey_spki(cert, &a, &al) != FWT_OK || fwt_pubkey_spki(fwt_key_pubkey(k), &b, &bl) != FWT_OK) {
			free(a);
			free(b);
			return fwt__enomem(ctx);
		}
		same = al == bl && !memcmp(a, b, al);
		free(a);
		free(b);
		if (!same)
			return fwt__error(ctx, FWT_EINVAL, "certificate '%s' is not for key '%s'", fwt_pubkey_name(cert),
			                  fwt_key_name(k));
	}
	return FWT_OK;
}

/* The signature value as it goes into a file: DER for ECDSA. */
static fwt_err sign_value(fwt_ctx *ctx, fwt_key *k, const unsigned char *digest, size_t dlen, unsigned char **out,
                          size_t *outlen)
{
	unsigned char sig[FWT_SIG_MAX];
	size_t siglen = 0;
	fwt_err err;

	*out = NULL;
	err = fwt_key_sign_digest(k, digest, dlen, sig, &siglen);
	if (err)
		return err;
	if (fwt_sig_alg_is_ecdsa(fwt_key_alg(k))) {
		if (fwt_ecdsa_raw_to_der(sig, siglen, out, outlen) != FWT_OK)
			return fwt__error(ctx, FWT_ECRYPTO, "cannot encode the ECDSA signature");
		return FWT_OK;
	}
	*out = malloc(siglen);
	if (!*out)
		return fwt__enomem(ctx);
	memcpy(*out, sig, siglen);
	*outlen = siglen;
	return FWT_OK;
}

static void put_alg(struct fwt_der *d, const unsigned char *oid, size_t olen)
{
	size_t m = fwt__der_begin(d, DER_SEQUENCE);
	fwt__der_raw(d, oid, olen);
	fwt__der_end(d, m);
}

/* SignatureAlgorithm for alg in CMS. */
static void put_sig_alg(struct fwt_der *d, fwt_sig_alg alg)
{
	fwt_digest_alg md = fwt_sig_alg_digest(alg);
	const unsigned char *h;
	size_t hl, m1, m2, m3;
	unsigned char salt;

	if (fwt_sig_alg_is_ecdsa(alg)) {
		put_alg(d, md == FWT_DIGEST_SHA256 ? oid_ecdsa_sha256 : md == FWT_DIGEST_SHA384 ? oid_ecdsa_sha384
		                                                                                  : oid_ecdsa_sha512,
		        sizeof(oid_ecdsa_sha256));
		return;
	}
	h = hash_oid(md, &hl);
	salt = (unsigned char)fwt_digest_size(md);
	m1 = fwt__der_begin(d, DER_SEQUENCE);
	fwt__der_raw(d, oid_rsa_pss, sizeof(oid_rsa_pss));
	m2 = fwt__der_begin(d, DER_SEQUENCE);
	m3 = fwt__der_begin(d, DER_CTX(0));
	put_alg(d, h, hl);
	fwt__der_end(d, m3);
	m3 = fwt__der_begin(d, DER_CTX(1));
	{
		size_t m4 = fwt__der_begin(d, DER_SEQUENCE);
		fwt__der_raw(d, oid_mgf1, sizeof(oid_mgf1));
		put_alg(d, h, hl);
		fwt__der_end(d, m4);
	}
	fwt__der_end(d, m3);
	m3 = fwt__der_begin(d, DER_CTX(2));
	fwt__der_uint(d, &salt, 1);
	fwt__der_end(d, m3);
	fwt__der_end(d, m2);
	fwt__der_end(d, m1);
}

/* DER order for a SET OF: as octet strings, the shorter padded with 0s. */
static int der_cmp(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
	size_t n = al < bl ? al : bl;
	int c = memcmp(a, b, n);

	if (c)
		return c;
	return al < bl ? -1 : al > bl ? 1 : 0;
}

static fwt_err make_cms(fwt_ctx *ctx, fwt_key *k, const fwt_pubkey *cert, const unsigned char *digest, size_t dlen,
                        unsigned char **out, size_t *outlen)
{
	fwt_sig_alg alg = fwt_key_alg(k);
	fwt_digest_alg md = fwt_sig_alg_digest(alg);
	X509 *x = fwt__pubkey_x509(cert);
	struct fwt_der a1, a2, attrs, d;
	unsigned char *certder = NULL, *issuer = NULL, *serial = NULL, *sig = NULL, h[FWT_DIGEST_MAX];
	int certlen, issuerlen, seriallen;
	size_t siglen = 0, hl, m, m1, m2, m3;
	const unsigned char *hoid = hash_oid(md, &hl);
	fwt_err err = FWT_OK;

	*out = NULL;
	fwt__der_init(&a1);
	fwt__der_init(&a2);
	fwt__der_init(&attrs);
	fwt__der_init(&d);
	/* signed attributes: contentType and messageDigest, in DER order */
	m = fwt__der_begin(&a1, DER_SEQUENCE);
	fwt__der_raw(&a1, oid_content_type, sizeof(oid_content_type));
	m1 = fwt__der_begin(&a1, DER_SET);
	fwt__der_raw(&a1, oid_data, sizeof(oid_data));
	fwt__der_end(&a1, m1);
	fwt__der_end(&a1, m);
	m = fwt__der_begin(&a2, DER_SEQUENCE);
	fwt__der_raw(&a2, oid_message_digest, sizeof(oid_message_digest));
	m1 = fwt__der_begin(&a2, DER_SET);
	fwt__der_tlv(&a2, DER_OCTETSTRING, digest, dlen);
	fwt__der_end(&a2, m1);
	fwt__der_end(&a2, m);
	m = fwt__der_begin(&attrs, DER_SET);
	if (der_cmp(a1.p, a1.len, a2.p, a2.len) <= 0) {
		fwt__der_raw(&attrs, a1.p, a1.len);
		fwt__der_raw(&attrs, a2.p, a2.len);
	} else {
		fwt__der_raw(&attrs, a2.p, a2.len);
		fwt__der_raw(&attrs, a1.p, a1.len);
	}
	fwt__der_end(&attrs, m);
	if (a1.failed || a2.failed || attrs.failed) {
		err = fwt__enomem(ctx);
		goto out;
	}
	/* the signature covers the DER SET of the attributes */
	err = fwt_digest_oneshot(ctx, md, attrs.p, attrs.len, h);
	if (!err)
		err = sign_value(ctx, k, h, fwt_digest_size(md), &sig, &siglen);
	if (err)
		goto out;
	certlen = i2d_X509(x, &certder);
	issuerlen = i2d_X509_NAME(X509_get_issuer_name(x), &issuer);
	seriallen = i2d_ASN1_INTEGER((ASN1_INTEGER *)X509_get0_serialNumber(x), &serial);
	if (certlen <= 0 || issuerlen <= 0 || seriallen <= 0) {
		err = fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot encode certificate '%s'", fwt_pubkey_name(cert));
		goto out;
	}
	m = fwt__der_begin(&d, DER_SEQUENCE); /* ContentInfo */
	fwt__der_raw(&d, oid_signed_data, sizeof(oid_signed_data));
	m1 = fwt__der_begin(&d, DER_CTX(0));
	m2 = fwt__der_begin(&d, DER_SEQUENCE); /* SignedData */
	fwt__der_raw(&d, "\x02\x01\x01", 3);   /* version 1 */
	m3 = fwt__der_begin(&d, DER_SET);
	put_alg(&d, hoid, hl);
	fwt__der_end(&d, m3);
	m3 = fwt__der_begin(&d, DER_SEQUENCE); /* encapContentInfo, detached */
	fwt__der_raw(&d, oid_data, sizeof(oid_data));
	fwt__der_end(&d, m3);
	fwt__der_tlv(&d, DER_CTX(0), certder, (size_t)certlen); /* certificates */
	m3 = fwt__der_begin(&d, DER_SET);                         /* signerInfos */
	{
		size_t s1 = fwt__der_begin(&d, DER_SEQUENCE), s2;
		fwt__der_raw(&d, "\x02\x01\x01", 3); /* version 1: issuerAndSerialNumber */
		s2 = fwt__der_begin(&d, DER_SEQUENCE);
		fwt__der_raw(&d, issuer, (size_t)issuerlen);
		fwt__der_raw(&d, serial, (size_t)seriallen);
		fwt__der_end(&d, s2);
		put_alg(&d, hoid, hl);
		attrs.p[0] = DER_CTX(0); /* signedAttrs [0] IMPLICIT: the same bytes, another tag */
		fwt__der_raw(&d, attrs.p, attrs.len);
		put_sig_alg(&d, alg);
		fwt__der_tlv(&d, DER_OCTETSTRING, sig, siglen);
		fwt__der_end(&d, s1);
	}
	fwt__der_end(&d, m3);
	fwt__der_end(&d, m2);
	fwt__der_end(&d, m1);
	fwt__der_end(&d, m);
	if (d.failed) {
		err = fwt__enomem(ctx);
		goto out;
	}
	*out = d.p;
	*outlen = d.len;
	d.p = NULL;
out:
	OPENSSL_free(certder);
	OPENSSL_free(issuer);
	OPENSSL_free(serial);
	free(sig);
	fwt__der_free(&a1);
	fwt__der_free(&a2);
	fwt__der_free(&attrs);
	fwt__der_free(&d);
	return err;
}

/* COSE: protected {alg, kid = the key's RFC 7638 thumbprint}, payload nil. */
static fwt_err cose_options(fwt_ctx *ctx, fwt_key *k, fwt_cose_sign1_options *o, char kid[44])
{
	fwt_err err = fwt_pubkey_jwk_thumbprint(fwt_key_pubkey(k), kid);

	if (err)
		return fwt__error(ctx, err, "cannot compute the kid of key '%s'", fwt_key_name(k));
	o->kid = (const unsigned char *)kid;
	o->kid_len = strlen(kid);
	o->detached = 1;
	return FWT_OK;
}

fwt_err fwt_sigfile_cose_prefix(fwt_ctx *ctx, fwt_key *k, uint64_t content_len, unsigned char **out, size_t *outlen)
{
	fwt_cose_sign1_options o = FWT_COSE_SIGN1_OPTIONS_INIT;
	char kid[44];
	fwt_err err = cose_options(ctx, k, &o, kid);

	return err ? err : fwt_cose_sign1_detached_prefix(ctx, k, &o, content_len, out, outlen);
}

static fwt_err make_cose(fwt_ctx *ctx, fwt_key *k, const unsigned char *digest, size_t dlen, unsigned char **out,
                         size_t *outlen)
{
	fwt_cose_sign1_options o = FWT_COSE_SIGN1_OPTIONS_INIT;
	char kid[44];
	fwt_err err = cose_options(ctx, k, &o, kid);

	return err ? err : fwt_cose_sign1_detached_finish(ctx, k, &o, digest, dlen, out, outlen);
}

fwt_err fwt_sigfile_make(fwt_ctx *ctx, fwt_key *k, fwt_sigfile_format fmt, const fwt_pubkey *cert,
                         const unsigned char *digest, size_t dlen, unsigned char **out, size_t *outlen)
{
	if (!out || !outlen || !digest)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_sigfile_make");
	*out = NULL;
	*outlen = 0;
	switch (fmt) {
	case FWT_SIGFILE_RAW: return sign_value(ctx, k, digest, dlen, out, outlen);
	case FWT_SIGFILE_CMS: return make_cms(ctx, k, cert, digest, dlen, out, outlen);
	case FWT_SIGFILE_COSE: return make_cose(ctx, k, digest, dlen, out, outlen);
	default: return fwt__error(ctx, FWT_EUNSUPPORTED, "unsupported signature format");
	}
}

/* ---- many files ---- */

/* What is seen of the content on its way to the hash: enough to tell
 * whether it is itself what another signature format signs. */
#define SNIFF_HEAD 4096
struct sniff {
	unsigned char head[SNIFF_HEAD];
	size_t hlen;
	uint64_t total;
	int b64;   /* every byte so far base64url or '.' */
	int dots;
	unsigned char last;
};

static const unsigned char b64url_or_dot[256] = {
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
	['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1,
	['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
	['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
	['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['0'] = 1, ['1'] = 1,
	['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['-'] = 1,
	['_'] = 1, ['.'] = 2,
};

static void sniff_bytes(struct sniff *s, const unsigned char *p, size_t n)
{
	size_t i;

	if (s->hlen < SNIFF_HEAD) {
		size_t c = SNIFF_HEAD - s->hlen < n ? SNIFF_HEAD - s->hlen : n;
		memcpy(s->head + s->hlen, p, c);
		s->hlen += c;
	}
	for (i = 0; s->b64 && i < n; i++) {
		s->b64 = b64url_or_dot[p[i]] != 0;
		s->dots += b64url_or_dot[p[i]] == 2;
	}
	if (n)
		s->last = p[n - 1];
	s->total += n;
}

/* A text string item at p[0..n): its content, or NULL. */
static const unsigned char *cbor_text_at(const unsigned char *p, size_t n, size_t *len)
{
	if (!n || (p[0] & 0xe0) != 0x60)
		return NULL;
	if ((p[0] & 0x1f) < 24) {
		*len = p[0] & 0x1f;
		return p + 1;
	}
	if ((p[0] & 0x1f) == 24 && n > 1) {
		*len = p[1];
		return p + 2;
	}
	return NULL;
}

/* Does the base64url text before the dot decode to a JSON object, as every
 * JWS header does (RFC 7515 5.2)?  The whole header is decoded and parsed
 * when the head kept holds it; when it runs past the head: undecided, yes. */
static int jws_header_like(const unsigned char *p, size_t n)
{
	unsigned char out[SNIFF_HEAD];
	unsigned acc = 0, bits = 0, v;
	size_t i, o = 0;
	json_t *j;
	int obj;

	for (i = 0; i < n && p[i] != '.'; i++) {
		unsigned char c = p[i];
		v = c >= 'A' && c <= 'Z' ? (unsigned)(c - 'A') : c >= 'a' && c <= 'z' ? (unsigned)(c - 'a' + 26) :
		    c >= '0' && c <= '9' ? (unsigned)(c - '0' + 52) : c == '-' ? 62u : 63u;
		acc = (acc << 6 | v) & 0xffffu;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (i == n)
		return 1;
	if (i % 4 == 1) /* no base64url text has that length */
		return 0;
	j = json_loadb((const char *)out, o, 0, NULL);
	obj = json_is_object(j);
	json_decref(j);
	return obj;
}

/* The length a DER header at p[0..n) gives its content, and the header's
 * size in *hl; -1 when it cannot be read from the n bytes. */
static int64_t der_len(const unsigned char *p, size_t n, size_t *hl)
{
	uint64_t v = 0;
	size_t k, i;

	if (n < 2)
		return -1;
	if (!(p[1] & 0x80)) {
		*hl = 2;
		return p[1];
	}
	k = p[1] & 0x7f;
	if (!k || k > 7 || n < 2 + k)
		return -1;
	for (i = 0; i < k; i++)
		v = v << 8 | p[2 + i];
	*hl = 2 + k;
	return (int64_t)v;
}

/* Does the content start like what another format's signature covers?  A
 * raw ECDSA or RSA-PSS signature over it would then also be a valid
 * signature of that format by the same key: a COSE Sig_structure (a
 * checkpoint, a RIM, a COSE SFR over content the signer never saw), a JWS
 * signing input (an SFR), CMS signed attributes (a CMS signature over other
 * firmware), an XML-DSig SignedInfo (a SWID RIM), a TPM attestation, an
 * SPDM signing input (1.2+: the combined prefix; 1.0/1.1: GET_MEASUREMENTS
 * then MEASUREMENTS).  Where the head kept cannot tell, the answer is yes. */
static const char *signing_input_kind(const struct sniff *s)
{
	const unsigned char *h = s->head, *t;
	size_t n = s->hlen, tl, i, hl, off;
	int64_t len;

	if (n > 1 && (h[0] == 0x84 || h[0] == 0x85 || h[0] == 0x9f) && (t = cbor_text_at(h + 1, n - 1, &tl)) &&
	    (size_t)(t - h) + tl <= n &&
	    ((tl >= 9 && !memcmp(t, "Signature", 9)) || (tl >= 16 && !memcmp(t, "CounterSignature", 16))))
		return "a COSE Sig_structure";
	if (s->b64 && s->dots == 1 && s->total >= 3 && h[0] != '.' && s->last != '.' && jws_header_like(h, n))
		return "a JWS signing input";
	/* a DER SET spanning the whole content whose first member is a
	 * SEQUENCE led by an OID: attributes, whatever they are and however
	 * long (CMS verifiers take any attribute order) */
	if (n >= 2 && h[0] == 0x31 && (len = der_len(h, n, &hl)) >= 0 && (uint64_t)len + hl == s->total &&
	    hl < n && h[hl] == 0x30 && der_len(h + hl, n - hl, &off) >= 0 && hl + off < n && h[hl + off] == 0x06)
		return "a set of CMS signed attributes";
	if (n >= 4 && !memcmp(h, "\xffTCG", 4))
		return "a TPM attestation structure (TPM_GENERATED_VALUE)";
	if (n >= 13 && !memcmp(h, "dmtf-spdm-v1.", 13))
		return "an SPDM signing input (the combined prefix)";
	if (n >= 6 && (h[0] & 0xf0) == 0x10 && h[1] == 0xe0) {
		static const size_t at[] = { 4, 36, 37 }; /* after a request without or with a nonce */
		for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
			if (n > at[i] + 1 && h[at[i]] == h[0] && h[at[i] + 1] == 0x60)
				return "an SPDM signing input (GET_MEASUREMENTS, then MEASUREMENTS)";
	}
	if (n > 1 && h[0] == '<') {
		for (i = 1; i < n && h[i] != ' ' && h[i] != '>' && h[i] != '\t' && h[i] != '\n' && h[i] != '\r' &&
		            h[i] != '/';
		     i++)
			;
		if (i == n && s->total > n) /* a name that runs past the head: undecided */
			return "an XML-DSig SignedInfo (or an element whose name runs past 4 KiB)";
		if (i < n && i >= 11 && !memcmp(h + i - 10, "SignedInfo", 10) && (i == 11 || h[i - 11] == ':'))
			return "an XML-DSig SignedInfo";
	}
	return NULL;
}

/* A reader yielding prefix, then everything inner yields (seen by sniff). */
struct prefixed {
	const unsigned char *prefix;
	size_t plen, off;
	fwt_reader *inner;
	struct sniff *sniff;
	fwt_err err;    /* the inner reader's own failure (a cancel, say) */
	char msg[512];  /* and its message, from ctx */
	fwt_ctx *ctx;
	fwt_hash *content; /* when set, also hashes the content alone (the file's digest) */
};

static ssize_t prefixed_read(void *payload, void *buf, size_t len)
{
	struct prefixed *p = payload;
	size_t got = 0, n;

	if (p->off < p->plen) {
		n = p->plen - p->off < len ? p->plen - p->off : len;
		memcpy(buf, p->prefix + p->off, n);
		p->off += n;
		return (ssize_t)n;
	}
	if ((p->err = fwt_reader_read(p->inner, buf, len, &got)) != FWT_OK) {
		snprintf(p->msg, sizeof(p->msg), "%s", fwt_ctx_errmsg(p->ctx));
		errno = EIO;
		return -1;
	}
	if (p->sniff)
		sniff_bytes(p->sniff, buf, got);
	if (p->content && got && (p->err = fwt_hash_update(p->content, buf, got)) != FWT_OK) {
		snprintf(p->msg, sizeof(p->msg), "%s", fwt_ctx_errmsg(p->ctx));
		errno = EIO;
		return -1;
	}
	return (ssize_t)got;
}

/* Hash prefix || the content r yields (d->bytes: the content only), read
 * whole, sniffed into sn (which the caller allocates and frees); content,
 * when not NULL, gets the content alone in the same pass. */
static fwt_err sniffed_digest(fwt_ctx *ctx, fwt_reader *r, const unsigned char *prefix, size_t plen,
                              const fwt_digest_options *dopt, fwt_digests *d, struct sniff *sn, fwt_hash *content)
{
	struct prefixed p = { prefix, plen, 0, r, sn, FWT_OK, "", ctx, content };
	fwt_reader *pr = NULL;
	fwt_err err;

	sn->b64 = 1;
	err = fwt_reader_from_callback(ctx, &pr, prefixed_read, &p, fwt_reader_name(r));
	if (!err)
		err = fwt_digest_reader(ctx, pr, dopt, d);
	if (err && p.err) /* the inner reader's reason, not "cannot read" */
		err = fwt__error(ctx, p.err, "%s", p.msg);
	if (!err)
		err = fwt_reader_check_whole(r); /* the whole file, unchanged */
	if (!err)
		d->bytes = sn->total;
	fwt_reader_free(pr);
	return err;
}

/* Hash what fmt signs of the content r yields, with md (the one algorithm
 * in dopt): the content itself, or for COSE the Sig_structure (prefix ||
 * content; the content's size must be known first), into tbs; and the
 * content alone, the file's digest, into file (the same bytes but for
 * COSE).  d->bytes counts the content only.  Content that is itself
 * another format's signing input is refused (signing_input_kind). */
static fwt_err hash_signed(fwt_ctx *ctx, fwt_key *k, fwt_sigfile_format fmt, fwt_reader *r, fwt_digest_alg md,
                           const fwt_digest_options *dopt, fwt_digests *d, unsigned char *tbs, unsigned char *file)
{
	struct sniff *sn = calloc(1, sizeof(*sn));
	unsigned char *prefix = NULL;
	size_t plen = 0;
	const char *kind;
	int64_t size = fwt_reader_size(r);
	fwt_hash *content = NULL;
	fwt_err err = FWT_OK;

	if (!sn)
		return fwt__enomem(ctx);
	if (fmt == FWT_SIGFILE_COSE) {
		if (size < 0)
			err = fwt__error(ctx, FWT_EINVAL, "a COSE signature needs the size of '%s' in advance: give a "
			                 "file, not a stream", fwt_reader_name(r));
		else
			err = fwt_sigfile_cose_prefix(ctx, k, (uint64_t)size, &prefix, &plen);
		if (!err)
			err = fwt_hash_new(ctx, &content, md);
	}
	if (!err)
		err = sniffed_digest(ctx, r, prefix, plen, dopt, d, sn, content);
	if (!err) {
		memcpy(tbs, fwt_digests_get(d, md), fwt_digest_size(md));
		if (content)
			err = fwt_hash_final(content, file);
		else
			memcpy(file, tbs, fwt_digest_size(md));
	}
	/* a COSE signature by this key over an unsigned CoRIM is, with the
	 * payload put back, a signed CoRIM by it: a RIM, or an SFR, whose
	 * profile lets the content type be left out */
	if (!err && fmt == FWT_SIGFILE_COSE && sn->hlen >= 3 && sn->head[0] == 0xd9 && sn->head[1] == 0x01 &&
	    sn->head[2] >= 0xf4)
		err = fwt__error(ctx, FWT_EINVAL, "refusing to sign '%s' as COSE: it is a CoRIM (tag %u), and a COSE "
		                 "signature over it by this key, its payload attached, would be a signed CoRIM",
		                 fwt_reader_name(r), 256u + sn->head[2]);
	/* a CMS signature covers signed attributes and a COSE one its
	 * Sig_structure, never the bytes as they are: only raw needs this */
	if (!err && fmt == FWT_SIGFILE_RAW && (kind = signing_input_kind(sn)) != NULL)
		err = fwt__error(ctx, FWT_EINVAL, "refusing to sign '%s': it is %s, and a signature over it by "
		                 "this key would also verify as one of that format", fwt_reader_name(r), kind);
	fwt_hash_free(content);
	free(prefix);
	free(sn);
	return err;
}

struct batch {
	fwt_ctx *ctx;
	fwt_key *k;
	const fwt_sign_options *o;
	fwt_sign_item *items;
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t *queue, qhead, qtail;
	int producer_done, stop;
	fwt_err first_err;
	char msg[1024];
	unsigned mode; /* of every signature file: the umask read once */
	unsigned char (*tbs)[FWT_DIGEST_MAX]; /* what is signed of item i: items[i].digest but for COSE */
	/* many outputs: each is sealed unsynced and left here, then one syncfs
	 * per file system makes them all durable before any is renamed */
	fwt_writer **pending;
	struct fsdir {
		dev_t dev;
		int fd;
		char *dir; /* a folder on that file system, for messages */
	} *fs;
	size_t nfs;
};

static int cancelled(const struct batch *b)
{
	return b->o->cancel && *b->o->cancel;
}

/* Record a failure of item i (err with the message now on ctx) and stop. */
static void fail(struct batch *b, size_t i, fwt_err err)
{
	pthread_mutex_lock(&b->mu);
	if (!b->first_err) {
		b->first_err = err;
		fwt__error_snapshot(b->ctx, NULL, b->msg, sizeof(b->msg));
	}
	if (i < b->n)
		b->items[i].err = err;
	b->stop = 1;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

static int stopping(struct batch *b)
{
	int s;

	pthread_mutex_lock(&b->mu);
	s = b->stop || cancelled(b);
	pthread_mutex_unlock(&b->mu);
	return s;
}

static fwt_err interrupted(struct batch *b)
{
	return fwt__error(b->ctx, FWT_EIO, "interrupted");
}

static void *worker(void *arg)
{
	struct batch *b = arg;
	fwt_writer_options wo = FWT_WRITER_OPTIONS_INIT;
	unsigned char *bytes;
	size_t len, i;
	fwt_writer *w;
	fwt_err err;

	wo.force = b->o->force;
	/* the umask read once for the batch; with force, the writer keeps a
	 * replaced file's permission bits and group (and reads the umask
	 * for a file that is new) */
	wo.mode = b->o->force ? 0 : b->mode;
	wo.defer_dir_sync = 1; /* one folder fsync for the batch, at the end */
	for (;;) {
		pthread_mutex_lock(&b->mu);
		while (b->qhead == b->qtail && !b->producer_done && !b->stop && !cancelled(b))
			pthread_cond_wait(&b->cv, &b->mu);
		if (b->stop || cancelled(b) || b->qhead == b->qtail) {
			pthread_mutex_unlock(&b->mu);
			break;
		}
		i = b->queue[b->qhead++];
		pthread_mutex_unlock(&b->mu);

		fwt_sign_item *it = &b->items[i];
		bytes = NULL;
		len = 0;
		err = fwt_sigfile_make(b->ctx, b->k, b->o->format, b->o->cert, b->tbs[i], it->dlen, &bytes, &len);
		if (!err && stopping(b))
			err = cancelled(b) ? interrupted(b) : FWT_EIO;
		if (!err && it->output) {
			err = fwt_writer_open(b->ctx, &w, it->output, &wo);
			if (!err)
				err = fwt_writer_write(w, bytes, len);
			if (!err && stopping(b)) {
				err = cancelled(b) ? interrupted(b) : FWT_EIO;
				fwt_writer_free(w);
			} else if (!err && b->pending) {
				err = fwt_writer_seal(w);
				if (err)
					fwt_writer_free(w);
				else
					b->pending[i] = w; /* done once committed */
			} else if (!err) {
				err = fwt_writer_commit(w);
			} else {
				fwt_writer_free(w);
			}
			free(bytes);
			bytes = NULL;
			len = 0;
			if (!err && b->pending)
				continue;
		}
		if (err) {
			free(bytes);
			if (!stopping(b) || cancelled(b))
				fail(b, i, err);
			continue;
		}
		it->sig = bytes;
		it->siglen = len;
		pthread_mutex_lock(&b->mu);
		it->done = 1;
		pthread_mutex_unlock(&b->mu);
	}
	return NULL;
}

/* Output checks before any work. */
struct outkey {
	dev_t dev;
	ino_t ino;
	const char *base;
	size_t item;
};

static int cmp_outkey(const void *a, const void *b)
{
	const struct outkey *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return strcmp(x->base, y->base);
}

/* The descriptor an item is read from, or -1 to open its input: fd 0
 * (standard input) only for an item without a name or named "-", so that
 * a zeroed item naming a file reads that file. */
static int item_fd(const fwt_sign_item *it)
{
	if (it->fd > 0 || (it->fd == 0 && (!it->input || !strcmp(it->input, "-"))))
		return it->fd;
	return -1;
}

/* Before any work: every input opens and every output may be written.
 * A regular file is closed again and opened when its turn comes.  Any
 * other file (a FIFO, a device) is opened without waiting for a writer
 * (O_NONBLOCK) and kept in fds[i], the one descriptor it is read through:
 * a second open would not see what the first took, and the first close
 * hangs up on a FIFO's writer, which gets SIGPIPE, leaving the second
 * open to wait for ever. */
static fwt_err precheck(fwt_ctx *ctx, const fwt_sign_options *o, fwt_sign_item *items, size_t n, int *fds)
{
	struct outkey *keys;
	struct stat st, dst;
	size_t i, nk = 0;
	char *dir = NULL, *prev = NULL;
	fwt_err err = FWT_OK;

	/* every input can be opened: a missing one fails before anything is signed */
	for (i = 0; i < n; i++) {
		int fd;
		if (item_fd(&items[i]) >= 0) {
			/* standard input redirected from a file is that file:
			 * no output may replace it, as when it is named; and it
			 * is signed whole, so it must be at its start */
			if (fstat(item_fd(&items[i]), &st) == 0 && S_ISREG(st.st_mode)) {
				off_t at = lseek(item_fd(&items[i]), 0, SEEK_CUR);
				if (at > 0)
					return fwt__error(ctx, FWT_EINVAL, "'%s' is a regular file read from byte %lld, not "
					                  "from its start: a signature covers a whole file",
					                  items[i].input ? items[i].input : "-", (long long)at);
				err = fwt__ctx_add_input_id(ctx, st.st_dev, st.st_ino);
				if (err)
					return err;
			}
			continue;
		}
		if (!items[i].input)
			return fwt__error(ctx, FWT_EINVAL, "no input");
		fd = open(items[i].input, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (o->follow ? 0 : O_NOFOLLOW));
		if (fd < 0 && errno == ELOOP && !o->follow)
			return fwt__error(ctx, FWT_EINVAL, "'%s' is a symbolic link (not followed without "
			                  "--follow-symlinks)", items[i].input);
		if (fd < 0)
			return fwt__error(ctx, FWT_EIO, "cannot open '%s': %s", items[i].input, strerror(errno));
		if (fstat(fd, &st) != 0) {
			err = fwt__error(ctx, FWT_EIO, "cannot stat '%s': %s", items[i].input, strerror(errno));
			close(fd);
			return err;
		}
		if (S_ISREG(st.st_mode)) {
			close(fd);
			err = fwt__ctx_add_input_id(ctx, st.st_dev, st.st_ino);
			if (err)
				return err;
			continue;
		}
		if (S_ISDIR(st.st_mode) || (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))) {
			close(fd);
			return fwt__error(ctx, FWT_EINVAL, S_ISDIR(st.st_mode) ? "'%s' is a folder" :
			                  "'%s' is not a regular file", items[i].input);
		}
		/* a device reads as it would have, blocking; a FIFO once a
		 * writer is there (await_writer) */
		if (!S_ISFIFO(st.st_mode) && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
			err = fwt__error(ctx, FWT_EIO, "cannot read '%s': %s", items[i].input, strerror(errno));
			close(fd);
			return err;
		}
		fds[i] = fd;
	}
	keys = calloc(n, sizeof(*keys));
	if (!keys)
		return fwt__enomem(ctx);
	for (i = 0; i < n && !err; i++) {
		const char *out = items[i].output, *slash;
		if (!out)
			continue;
		/* the writer's own checks, for every output before any is written */
		err = fwt_writer_check(ctx, out, o->force);
		if (err)
			break;
		slash = strrchr(out, '/');
		dir = fwt__dir_of(out);
		if (!dir) {
			err = fwt__enomem(ctx);
			break;
		}
		if (!prev || strcmp(prev, dir)) {
			if (stat(dir, &dst) != 0 || !S_ISDIR(dst.st_mode) ||
			    faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0) {
				int e = errno;
				err = fwt__error(ctx, FWT_EIO, "cannot write '%s': folder '%s': %s", out, dir,
				                 stat(dir, &dst) == 0 && !S_ISDIR(dst.st_mode) ? "not a folder" : strerror(e));
				break;
			}
			fwt__warn_unsafe_dir(ctx, dir);
			free(prev);
			prev = dir;
		} else {
			free(dir);
		}
		dir = NULL;
		keys[nk].dev = dst.st_dev;
		keys[nk].ino = dst.st_ino;
		keys[nk].base = slash ? slash + 1 : out;
		keys[nk++].item = i;
	}
	free(dir);
	free(prev);
	if (!err && nk > 1) {
		qsort(keys, nk, sizeof(*keys), cmp_outkey);
		for (i = 1; i < nk; i++)
			if (!cmp_outkey(&keys[i - 1], &keys[i])) {
				err = fwt__error(ctx, FWT_EINVAL, "'%s' and '%s' would both be written to '%s'",
				                 items[keys[i - 1].item].input, items[keys[i].item].input,
				                 items[keys[i].item].output);
				break;
			}
	}
	free(keys);
	return err;
}

static fwt_err sync_dirs(fwt_ctx *ctx, fwt_sign_item *items, size_t n)
{
	const char **done = calloc(n, sizeof(*done));
	size_t i, j, nd = 0, dl, el;
	const char *s, *e;
	fwt_err err = FWT_OK;

	if (!done)
		return fwt__enomem(ctx);
	for (i = 0; i < n && !err; i++) {
		if (!items[i].done || !items[i].output)
			continue;
		s = strrchr(items[i].output, '/');
		dl = s ? (size_t)(s - items[i].output) : 0;
		for (j = 0; j < nd; j++) {
			e = strrchr(done[j], '/');
			el = e ? (size_t)(e - done[j]) : 0;
			if (el == dl && !strncmp(done[j], items[i].output, dl))
				break;
		}
		if (j < nd)
			continue;
		done[nd++] = items[i].output;
		err = fwt_dir_sync(ctx, items[i].output);
	}
	free(done);
	return err;
}

/* Below this many outputs, each is fsync'd as it is written: one syncfs
 * would also flush what other programs wrote to the file system. */
#define BATCH_SYNC_MIN 16

/* Open each distinct output file system's folder before anything is
 * written (so that syncfs on it reports a writeback error of our files). */
static fwt_err open_batch_fs(fwt_ctx *ctx, struct batch *b)
{
	struct stat st;
	size_t i, j;
	char *dir;
	int fd;

	b->fs = calloc(b->n, sizeof(*b->fs));
	if (!b->fs)
		return fwt__enomem(ctx);
	for (i = 0; i < b->n; i++) {
		if (!b->items[i].output)
			continue;
		dir = fwt__dir_of(b->items[i].output);
		if (!dir)
			return fwt__enomem(ctx);
		for (j = 0; j < b->nfs && strcmp(b->fs[j].dir, dir); j++)
			;
		if (j < b->nfs) { /* --out-dir: the same folder for every file */
			free(dir);
			continue;
		}
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) != 0) {
			fwt_err err = fwt__error(ctx, FWT_EIO, "cannot open folder '%s': %s", dir, strerror(errno));
			if (fd >= 0)
				close(fd);
			free(dir);
			return err;
		}
		for (j = 0; j < b->nfs && b->fs[j].dev != st.st_dev; j++)
			;
		if (j < b->nfs) {
			close(fd);
			free(dir);
			continue;
		}
		b->fs[b->nfs].dev = st.st_dev;
		b->fs[b->nfs].fd = fd;
		b->fs[b->nfs++].dir = dir;
	}
	return FWT_OK;
}

/* Make every sealed signature durable, then give each its name.  What was
 * signed before a failure is still written, as it is when each file is
 * committed on its own; a failure here writes nothing more. */
static void commit_pending(struct batch *b)
{
	fwt_err err = FWT_OK;
	size_t i;

	for (i = 0; i < b->nfs && !err; i++)
		err = fwt_fs_sync(b->ctx, b->fs[i].fd, b->fs[i].dir);
	if (err)
		fail(b, b->n, err);
	for (i = 0; i < b->n; i++) {
		if (!b->pending[i])
			continue;
		if (!err) {
			err = fwt_writer_commit(b->pending[i]);
			if (err)
				fail(b, i, err);
			else
				b->items[i].done = 1;
		} else {
			fwt_writer_free(b->pending[i]);
		}
		b->pending[i] = NULL;
	}
}

static void close_batch_fs(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->nfs; i++) {
		close(b->fs[i].fd);
		free(b->fs[i].dir);
	}
	free(b->fs);
	free(b->pending);
}

/* A FIFO opened without waiting reads as empty until a writer comes: wait
 * for one (its data, or its hang-up) as a blocking open would, but give up
 * when the batch stops.  1: read it now, blocking; 0: the batch stops; -1:
 * poll or fcntl failed (errno). */
static int await_writer(struct batch *b, int fd)
{
	struct pollfd p;
	struct stat st;
	int rc, fl;

	if (fstat(fd, &st) != 0)
		return -1;
	if (!S_ISFIFO(st.st_mode))
		return 1;
	for (;;) {
		if (stopping(b))
			return 0;
		p.fd = fd;
		p.events = POLLIN;
		p.revents = 0;
		/* a signal's flag is looked at every 200 ms, should it land
		 * between the look and the poll */
		rc = poll(&p, 1, 200);
		if (rc > 0)
			break;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0)
		return -1;
	return 1;
}

static void close_fds(int *fds, size_t n)
{
	size_t i;

	for (i = 0; fds && i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
}

void fwt_sign_items_clear(fwt_sign_item *items, size_t n)
{
	size_t i;

	for (i = 0; items && i < n; i++) {
		free(items[i].sig);
		items[i].sig = NULL;
		items[i].siglen = 0;
	}
}

fwt_err fwt_sign_files(fwt_ctx *ctx, fwt_key *k, const fwt_sign_options *opts, fwt_sign_item *items, size_t n)
{
	fwt_sign_options defaults = FWT_SIGN_OPTIONS_INIT;
	fwt_digest_options dopt = FWT_DIGEST_OPTIONS_INIT;
	fwt_digest_alg md;
	struct batch b;
	pthread_t *tids = NULL;
	size_t i, nthreads = 0, want, nout;
	fwt_digests dg;
	fwt_reader *r;
	unsigned ver;
	fwt_err err;
	int *fds, ready;

	if (!opts)
		opts = &defaults;
	if ((err = fwt__opts_version(ctx, "signing", opts->version, FWT_SIGN_OPTIONS_VERSION, &ver)))
		return err;
	if (!items || !n)
		return fwt__error(ctx, FWT_EINVAL, "nothing to sign");
	fds = malloc(n * sizeof(*fds));
	if (!fds)
		return fwt__enomem(ctx);
	for (i = 0; i < n; i++) {
		items[i].err = FWT_OK;
		items[i].done = 0;
		items[i].sig = NULL;
		items[i].siglen = 0;
		fds[i] = -1;
	}
	err = fwt_sigfile_check_key(ctx, k, opts->format, opts->cert);
	if (!err)
		err = precheck(ctx, opts, items, n, fds);
	if (err) {
		close_fds(fds, n);
		return err;
	}
	md = fwt_sig_alg_digest(fwt_key_alg(k));
	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	b.k = k;
	b.o = opts;
	b.items = items;
	b.n = n;
	b.mode = fwt__default_mode();
	b.queue = calloc(n, sizeof(*b.queue));
	b.tbs = calloc(n, sizeof(*b.tbs));
	for (i = 0, nout = 0; i < n; i++)
		nout += items[i].output != NULL;
	if (nout >= BATCH_SYNC_MIN) {
		b.pending = calloc(n, sizeof(*b.pending));
		err = b.pending ? open_batch_fs(ctx, &b) : fwt__enomem(ctx);
		if (err) {
			close_batch_fs(&b);
			free(b.queue);
			free(b.tbs);
			close_fds(fds, n);
			return err;
		}
	}
	/* A few files, each fsync'd as it is written: four workers per session,
	 * so that while one waits for the disk another signs.  A batch synced
	 * at the end: one per session, as more only contend for the CPU (500
	 * files on SoftHSM2, two cores: 0.50 s with one, 0.60 s with two) */
	want = opts->jobs ? opts->jobs : (b.pending ? 1 : 4) * (size_t)fwt_key_parallelism(k);
	if (want > n)
		want = n;
	if (want < 1)
		want = 1;
	tids = calloc(want, sizeof(*tids));
	if (!b.queue || !b.tbs || !tids) {
		close_batch_fs(&b);
		free(b.queue);
		free(b.tbs);
		free(tids);
		close_fds(fds, n);
		return fwt__enomem(ctx);
	}
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.cv, NULL);
	for (i = 0; i < want; i++)
		if (fwt__thread_start(&tids[nthreads], worker, &b, (unsigned)i + 1) == 0)
			nthreads++;
	if (!nthreads) {
		fail(&b, n, fwt__error(ctx, FWT_EINTERNAL, "cannot start a signing thread"));
		b.producer_done = 1;
	}
	/* hash in this thread, one descriptor per file, while the workers sign */
	dopt.algs = md;
	for (i = 0; i < n && nthreads; i++) {
		if (stopping(&b)) {
			if (cancelled(&b))
				fail(&b, i, interrupted(&b));
			break;
		}
		if (item_fd(&items[i]) >= 0) {
			err = fwt_reader_from_fd(ctx, &r, item_fd(&items[i]), items[i].input ? items[i].input : "-");
		} else if (fds[i] >= 0) {
			/* a FIFO or device, opened once by the pre-check */
			ready = await_writer(&b, fds[i]);
			if (!ready) {
				if (cancelled(&b))
					fail(&b, i, interrupted(&b));
				break;
			}
			err = ready < 0 ? fwt__error(ctx, FWT_EIO, "cannot read '%s': %s", items[i].input,
			                             strerror(errno)) :
			                  fwt_reader_from_fd(ctx, &r, fds[i], items[i].input);
		} else {
			err = fwt_reader_open_file(ctx, &r, items[i].input, opts->follow);
		}
		if (!err) {
			/* a writer that goes quiet must not outlast SIGTERM */
			fwt_reader_set_cancel(r, opts->cancel);
			err = hash_signed(ctx, k, opts->format, r, md, &dopt, &dg, b.tbs[i], items[i].digest);
			fwt_reader_free(r);
		}
		if (fds[i] >= 0) {
			close(fds[i]);
			fds[i] = -1;
		}
		if (err) {
			fail(&b, i, err);
			break;
		}
		items[i].size = dg.bytes;
		items[i].dlen = fwt_digest_size(md);
		pthread_mutex_lock(&b.mu);
		b.queue[b.qtail++] = i;
		pthread_cond_signal(&b.cv);
		pthread_mutex_unlock(&b.mu);
	}
	pthread_mutex_lock(&b.mu);
	b.producer_done = 1;
	pthread_cond_broadcast(&b.cv);
	pthread_mutex_unlock(&b.mu);
	for (i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	if (!b.first_err && cancelled(&b))
		fail(&b, n, interrupted(&b));
	if (b.pending)
		commit_pending(&b);
	/* the renames are durable once their folders are synced; only then is a
	 * file reported written */
	err = sync_dirs(ctx, items, n);
	if (err && !b.first_err)
		fail(&b, n, err);
	err = b.first_err;
	if (err)
		fwt__error(ctx, err, "%s", b.msg); /* the first failure, not a later echo of it */
	pthread_cond_destroy(&b.cv);
	pthread_mutex_destroy(&b.mu);
	close_batch_fs(&b);
	free(b.queue);
	free(b.tbs);
	free(tids);
	close_fds(fds, n);
	return err;
}

/* ---- verification ---- */

enum sig_kind { K_NONE = 0, K_ECDSA, K_PSS, K_PKCS1, K_UNKNOWN };

struct cms {
	const unsigned char *base;
	fwt_digest_alg dig;                 /* SignerInfo digestAlgorithm */
	unsigned sd_digs;                   /* SignedData digestAlgorithms, a set of fwt_digest_alg */
	const unsigned char *attrs;         /* signedAttrs TLV ([0]), NULL when absent */
	size_t attrslen;
	const unsigned char *md;            /* messageDigest value */
	size_t mdlen;
	const unsigned char *sigalg;        /* signatureAlgorithm OID TLV */
	size_t sigalglen;
	struct fwt_der_in sigparams;        /* its parameters (may be empty) */
	const unsigned char *sig;
	size_t siglen;
	const unsigned char *issuer, *serial, *ski;
	size_t issuerlen, seriallen, skilen;
	const unsigned char *certs[MAX_CERTS];
	size_t certlen[MAX_CERTS], ncerts;
};

static fwt_err bad(fwt_ctx *ctx, const struct cms *c, const unsigned char *at, const char *what)
{
	return fwt__error(ctx, FWT_EFORMAT, "malformed CMS signature at byte %zu: %s", (size_t)(at - c->base), what);
}

#define NEED(cond, at, what)                          \
	do {                                          \
		if (!(cond))                          \
			return bad(ctx, c, (at), (what)); \
	} while (0)

/* AlgorithmIdentifier: SEQUENCE { OID, params? }; *oid is the OID TLV. */
static fwt_err alg_id(fwt_ctx *ctx, const struct cms *c, struct fwt_der_in *in, const unsigned char **oid,
                      size_t *oidlen, struct fwt_der_in *params, const char *what)
{
	struct fwt_der_in seq, o;
	const unsigned char *at = in->p, *st;
	unsigned char tag;

	NEED(fwt__der_expect(in, DER_SEQUENCE, &seq, NULL) == 0, at, what);
	NEED(fwt__der_expect(&seq, DER_OID, &o, &st) == 0 && !fwt__der_empty(&o), seq.p, what);
	*oid = st;
	*oidlen = (size_t)(o.end - st);
	params->p = seq.p;
	params->end = seq.end;
	if (!fwt__der_empty(&seq)) {
		struct fwt_der_in p;
		NEED(fwt__der_next(&seq, &tag, &p, NULL) == 0 && fwt__der_empty(&seq), seq.p, what);
	}
	return FWT_OK;
}

/* A hash AlgorithmIdentifier (parameters absent or NULL). */
static fwt_err hash_alg(fwt_ctx *ctx, const struct cms *c, struct fwt_der_in *in, fwt_digest_alg *out,
                        const char *what)
{
	const unsigned char *oid, *at = in->p;
	size_t ol;
	struct fwt_der_in params;
	fwt_err err = alg_id(ctx, c, in, &oid, &ol, &params, what);

	if (err)
		return err;
	NEED(fwt__der_empty(&params) || (fwt__der_left(&params) == 2 && params.p[0] == DER_NULL && params.p[1] == 0),
	     at, what);
	*out = hash_of_oid(oid, ol);
	return FWT_OK;
}

static fwt_err parse_attrs(fwt_ctx *ctx, struct cms *c, struct fwt_der_in in)
{
	int seen_ct = 0, seen_md = 0, n = 0;
	struct fwt_der_in a, oid, set, v;
	const unsigned char *st, *at;

	while (!fwt__der_empty(&in)) {
		at = in.p;
		NEED(++n <= MAX_ATTRS, at, "too many signed attributes");
		NEED(fwt__der_expect(&in, DER_SEQUENCE, &a, NULL) == 0, at, "bad signed attribute");
		NEED(fwt__der_expect(&a, DER_OID, &oid, &st) == 0, a.p, "bad signed attribute type");
		NEED(fwt__der_expect(&a, DER_SET, &set, NULL) == 0 && fwt__der_empty(&a), a.p,
		     "bad signed attribute values");
		if (IS_OID(st, (size_t)(oid.end - st), oid_content_type)) {
			NEED(!seen_ct++, at, "contentType appears twice");
			NEED(fwt__der_expect(&set, DER_OID, &v, &st) == 0 && fwt__der_empty(&set), set.p,
			     "contentType must hold one object identifier");
			NEED(IS_OID(st, (size_t)(v.end - st), oid_data), st, "contentType is not id-data");
		} else if (IS_OID(st, (size_t)(oid.end - st), oid_message_digest)) {
			NEED(!seen_md++, at, "messageDigest appears twice");
			NEED(fwt__der_expect(&set, DER_OCTETSTRING, &v, NULL) == 0 && fwt__der_empty(&set), set.p,
			     "messageDigest must hold one octet string");
			c->md = v.p;
			c->mdlen = fwt__der_left(&v);
		}
	}
	NEED(seen_ct && seen_md, c->attrs, "signed attributes need contentType and messageDigest");
	return FWT_OK;
}

static fwt_err parse_signer(fwt_ctx *ctx, struct cms *c, struct fwt_der_in si)
{
	struct fwt_der_in v, sid, x;
	const unsigned char *st;
	unsigned char tag;
	fwt_err err;

	NEED(fwt__der_expect(&si, DER_INTEGER, &v, NULL) == 0 && fwt__der_left(&v) == 1 &&
	     (v.p[0] == 1 || v.p[0] == 3), si.p, "SignerInfo version must be 1 or 3");
	st = si.p;
	NEED(fwt__der_next(&si, &tag, &sid, NULL) == 0, st, "bad signer identifier");
	if (tag == DER_SEQUENCE) {
		NEED(fwt__der_expect(&sid, DER_SEQUENCE, &x, &c->issuer) == 0, sid.p, "bad issuer name");
		c->issuerlen = (size_t)(x.end - c->issuer);
		NEED(fwt__der_expect(&sid, DER_INTEGER, &x, &c->serial) == 0 && fwt__der_empty(&sid), sid.p,
		     "bad serial number");
		c->seriallen = (size_t)(x.end - c->serial);
	} else {
		NEED(tag == DER_CTX_PRIM(0), st, "bad signer identifier");
		c->ski = sid.p;
		c->skilen = fwt__der_left(&sid);
	}
	err = hash_alg(ctx, c, &si, &c->dig, "bad digest algorithm");
	if (err)
		return err;
	if (!fwt__der_empty(&si) && si.p[0] == DER_CTX(0)) {
		NEED(fwt__der_next(&si, &tag, &x, &c->attrs) == 0, si.p, "bad signed attributes");
		c->attrslen = (size_t)(x.end - c->attrs);
		err = parse_attrs(ctx, c, x);
		if (err)
			return err;
	}
	err = alg_id(ctx, c, &si, &c->sigalg, &c->sigalglen, &c->sigparams, "bad signature algorithm");
	if (err)
		return err;
	NEED(fwt__der_expect(&si, DER_OCTETSTRING, &x, NULL) == 0 && !fwt__der_empty(&x), si.p, "bad signature value");
	c->sig = x.p;
	c->siglen = fwt__der_left(&x);
	if (!fwt__der_empty(&si) && si.p[0] == DER_CTX(1))
		NEED(fwt__der_next(&si, &tag, &x, NULL) == 0, si.p, "bad unsigned attributes");
	NEED(fwt__der_empty(&si), si.p, "trailing bytes in SignerInfo");
	return FWT_OK;
}

/* Strict structure of a detached ContentInfo/SignedData with one signer. */
static fwt_err parse_cms(fwt_ctx *ctx, struct cms *c, const unsigned char *buf, size_t len)
{
	struct fwt_der_in in = { buf, buf + len }, ci, x, sd, v, set, enc, item;
	const unsigned char *st;
	unsigned char tag;
	fwt_digest_alg dummy;
	int nsigners = 0;
	fwt_err err;

	memset(c, 0, sizeof(*c));
	c->base = buf;
	/* BER with indefinite lengths (openssl cms -stream writes it): valid
	 * CMS outside the signed attributes, but read here in DER only */
	if (len >= 2 && buf[0] == 0x30 && buf[1] == 0x80)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "CMS signature in BER (indefinite lengths) is not supported: "
		                  "make it without 'openssl cms -stream' (which also attaches the content), or "
		                  "convert a detached one with 'openssl cms -cmsout -inform DER -outform DER'");
	NEED(fwt__der_expect(&in, DER_SEQUENCE, &ci, NULL) == 0, buf, "not a DER SEQUENCE (or a truncated one)");
	NEED(fwt__der_empty(&in), in.p, "trailing bytes after the signature");
	NEED(fwt__der_expect(&ci, DER_OID, &v, &st) == 0 && IS_OID(st, (size_t)(v.end - st), oid_signed_data), ci.p,
	     "not a CMS SignedData");
	NEED(fwt__der_expect(&ci, DER_CTX(0), &x, NULL) == 0 && fwt__der_empty(&ci), ci.p, "bad content");
	NEED(fwt__der_expect(&x, DER_SEQUENCE, &sd, NULL) == 0 && fwt__der_empty(&x), x.p, "bad SignedData");
	NEED(fwt__der_expect(&sd, DER_INTEGER, &v, NULL) == 0 && fwt__der_left(&v) == 1 && v.p[0] >= 1 && v.p[0] <= 5,
	     sd.p, "bad SignedData version");
	NEED(fwt__der_expect(&sd, DER_SET, &set, NULL) == 0, sd.p, "bad digestAlgorithms");
	while (!fwt__der_empty(&set)) {
		err = hash_alg(ctx, c, &set, &dummy, "bad digest algorithm");
		if (err)
			return err;
		c->sd_digs |= (unsigned)dummy;
	}
	NEED(fwt__der_expect(&sd, DER_SEQUENCE, &enc, NULL) == 0, sd.p, "bad encapContentInfo");
	NEED(fwt__der_expect(&enc, DER_OID, &v, &st) == 0, enc.p, "bad eContentType");
	/* other content types are CMS too, but not a signature of firmware
	 * bytes (a timestamp token, a signed receipt): not for fwtrail */
	if (!IS_OID(st, (size_t)(v.end - st), oid_data))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "the CMS signature's eContentType is not id-data: fwtrail "
		                  "verifies detached signatures over data only");
	if (!fwt__der_empty(&enc))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "the CMS signature holds its content: fwtrail verifies "
		                  "detached signatures only");
	if (!fwt__der_empty(&sd) && sd.p[0] == DER_CTX(0)) {
		NEED(fwt__der_next(&sd, &tag, &x, NULL) == 0, sd.p, "bad certificates");
		while (!fwt__der_empty(&x)) {
			st = x.p;
			NEED(fwt__der_next(&x, &tag, &item, NULL) == 0, st, "bad certificate");
			if (tag == DER_SEQUENCE && c->ncerts < MAX_CERTS) {
				c->certs[c->ncerts] = st;
				c->certlen[c->ncerts++] = (size_t)(item.end - st);
			}
		}
	}
	if (!fwt__der_empty(&sd) && sd.p[0] == DER_CTX(1))
		NEED(fwt__der_next(&sd, &tag, &x, NULL) == 0, sd.p, "bad crls");
	NEED(fwt__der_expect(&sd, DER_SET, &set, NULL) == 0 && fwt__der_empty(&sd), sd.p, "bad signerInfos");
	while (!fwt__der_empty(&set)) {
		st = set.p;
		NEED(fwt__der_expect(&set, DER_SEQUENCE, &item, NULL) == 0, st, "bad SignerInfo");
		if (nsigners++)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "the CMS signature has more than one signer");
		err = parse_signer(ctx, c, item);
		if (err)
			return err;
	}
	NEED(nsigners == 1, set.p, "no SignerInfo");
	return FWT_OK;
}

/* Map signatureAlgorithm (and the digest algorithm) to an algorithm kind
 * and hash; FWT_EUNSUPPORTED with a message for anything else. */
static fwt_err cms_sig_alg(fwt_ctx *ctx, struct cms *c, enum sig_kind *kind, fwt_digest_alg *hash)
{
	const unsigned char *o = c->sigalg;
	size_t ol = c->sigalglen;
	struct fwt_der_in p = c->sigparams, seq, x, y, tmp;
	const unsigned char *mo, *st;
	size_t mol;
	fwt_digest_alg h = 0, mh = 0;
	unsigned long salt = 20;
	unsigned char tag;
	fwt_err err;

	*kind = K_UNKNOWN;
	if (IS_OID(o, ol, oid_ecdsa_sha256) || IS_OID(o, ol, oid_ecdsa_sha384) || IS_OID(o, ol, oid_ecdsa_sha512)) {
		NEED(fwt__der_empty(&p), p.p, "ECDSA signature algorithm with parameters");
		*kind = K_ECDSA;
		*hash = o[ol - 1] == 0x02 ? FWT_DIGEST_SHA256 : o[ol - 1] == 0x03 ? FWT_DIGEST_SHA384 : FWT_DIGEST_SHA512;
		return FWT_OK;
	}
	if (IS_OID(o, ol, oid_ec_public_key)) {
		*kind = K_ECDSA;
		*hash = c->dig;
		if (!*hash)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "unsupported digest algorithm in the CMS signature");
		return FWT_OK;
	}
	if (IS_OID(o, ol, oid_rsa) || IS_OID(o, ol, oid_rsa_sha256) || IS_OID(o, ol, oid_rsa_sha384) ||
	    IS_OID(o, ol, oid_rsa_sha512)) {
		*kind = K_PKCS1;
		return fwt__error(ctx, FWT_EUNSUPPORTED, "the CMS signature uses RSA PKCS#1 v1.5: fwtrail accepts "
		                  "RSA signatures only as RSA-PSS");
	}
	if (!IS_OID(o, ol, oid_rsa_pss))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "unsupported signature algorithm in the CMS signature");
	/* RSASSA-PSS-params: [0] hash, [1] mask generation, [2] salt, [3] trailer */
	NEED(fwt__der_expect(&p, DER_SEQUENCE, &seq, NULL) == 0 && fwt__der_empty(&p), p.p, "bad RSA-PSS parameters");
	if (!fwt__der_empty(&seq) && seq.p[0] == DER_CTX(0)) {
		NEED(fwt__der_next(&seq, &tag, &x, NULL) == 0, seq.p, "bad RSA-PSS hash");
		err = hash_alg(ctx, c, &x, &h, "bad RSA-PSS hash");
		if (err)
			return err;
		NEED(fwt__der_empty(&x), x.p, "bad RSA-PSS hash");
	}
	if (!fwt__der_empty(&seq) && seq.p[0] == DER_CTX(1)) {
		NEED(fwt__der_next(&seq, &tag, &x, NULL) == 0, seq.p, "bad RSA-PSS mask generation");
		err = alg_id(ctx, c, &x, &mo, &mol, &y, "bad RSA-PSS mask generation");
		if (err)
			return err;
		NEED(fwt__der_empty(&x), x.p, "bad RSA-PSS mask generation");
		if (IS_OID(mo, mol, oid_mgf1)) {
			err = hash_alg(ctx, c, &y, &mh, "bad MGF1 hash");
			if (err)
				return err;
		}
	}
	if (!fwt__der_empty(&seq) && seq.p[0] == DER_CTX(2)) {
		NEED(fwt__der_next(&seq, &tag, &x, NULL) == 0, seq.p, "bad RSA-PSS salt length");
		/* a DER INTEGER: minimal, so 00 leads only a byte >= 0x80 */
		NEED(fwt__der_expect(&x, DER_INTEGER, &tmp, &st) == 0 && fwt__der_empty(&x) && fwt__der_left(&tmp) >= 1 &&
		     fwt__der_left(&tmp) <= 2 && !(tmp.p[0] & 0x80) &&
		     !(fwt__der_left(&tmp) == 2 && !tmp.p[0] && !(tmp.p[1] & 0x80)), st, "bad RSA-PSS salt length");
		salt = tmp.p[0];
		if (fwt__der_left(&tmp) == 2)
			salt = salt << 8 | tmp.p[1];
	}
	if (!fwt__der_empty(&seq) && seq.p[0] == DER_CTX(3)) {
		NEED(fwt__der_next(&seq, &tag, &x, NULL) == 0 && fwt__der_expect(&x, DER_INTEGER, &tmp, NULL) == 0 &&
		     fwt__der_left(&tmp) == 1 && fwt__der_empty(&x), seq.p, "bad RSA-PSS trailer field");
		if (tmp.p[0] != 1)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "RSA-PSS trailer field %u is not supported", tmp.p[0]);
	}
	NEED(fwt__der_empty(&seq), seq.p, "bad RSA-PSS parameters");
	if (!h || mh != h || salt != fwt_digest_size(h))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "RSA-PSS parameters other than SHA-256/384/512 with MGF1 of "
		                  "the same hash and a salt of the hash length are not supported");
	*kind = K_PSS;
	*hash = h;
	return FWT_OK;
}

static fwt_sig_alg alg_for(enum sig_kind kind, fwt_digest_alg h)
{
	if (kind == K_ECDSA)
		return h == FWT_DIGEST_SHA256 ? FWT_SIG_ES256 : h == FWT_DIGEST_SHA384 ? FWT_SIG_ES384
		                                              : h == FWT_DIGEST_SHA512 ? FWT_SIG_ES512 : FWT_SIG_NONE;
	if (kind == K_PSS)
		return h == FWT_DIGEST_SHA256 ? FWT_SIG_PS256 : h == FWT_DIGEST_SHA384 ? FWT_SIG_PS384
		                                              : h == FWT_DIGEST_SHA512 ? FWT_SIG_PS512 : FWT_SIG_NONE;
	return FWT_SIG_NONE;
}

fwt_err fwt_sigfile_detect(const unsigned char *sig, size_t len, fwt_sigfile_format *out)
{
	struct fwt_der_in in = { sig, sig + len }, c, o;
	const unsigned char *st;
	unsigned char tag, raw[132];

	if (!sig || !len || !out)
		return FWT_EFORMAT;
	/* COSE: tag 18 (COSE_Sign1) around an array of four */
	if (len >= 2 && sig[0] == 0xd2 && sig[1] == 0x84) {
		*out = FWT_SIGFILE_COSE;
		return FWT_OK;
	}
	/* CMS: a SEQUENCE that starts with the signedData OID */
	if (sig[0] == DER_SEQUENCE && fwt__der_next(&in, &tag, &c, NULL) == 0 &&
	    fwt__der_expect(&c, DER_OID, &o, &st) == 0 && IS_OID(st, (size_t)(o.end - st), oid_signed_data)) {
		*out = FWT_SIGFILE_CMS;
		return FWT_OK;
	}
	if (len >= 11 && sig[0] == DER_SEQUENCE) {
		/* a truncated CMS still starts with its OID */
		size_t off = sig[1] < 0x80 ? 2 : 2 + (sig[1] & 0x7f);
		if (off + sizeof(oid_signed_data) <= len && !memcmp(sig + off, oid_signed_data, sizeof(oid_signed_data))) {
			*out = FWT_SIGFILE_CMS;
			return FWT_OK;
		}
	}
	/* raw: a DER ECDSA-Sig-Value (any supported curve), or an RSA block */
	if (fwt_ecdsa_der_to_raw(sig, len, 66, raw) == FWT_OK || len == 256 || len == 384 || len == 512) {
		*out = FWT_SIGFILE_RAW;
		return FWT_OK;
	}
	return FWT_EFORMAT;
}

/* Hash the content r yields.  For a signature over the bytes as they are
 * (as_is: raw, or CMS without signed attributes), content that is another
 * format's signing input is a "no": fwtrail-sign(1) refuses to make such a
 * signature, and one made so (a COSE or CMS signature's value, say, lifted
 * out and put beside its signing input) is that format's signature, not a
 * signature of firmware. */
static fwt_err hash_content(fwt_ctx *ctx, fwt_reader *r, fwt_digest_alg md, int as_is, unsigned char *out)
{
	fwt_digest_options o = FWT_DIGEST_OPTIONS_INIT;
	struct sniff *sn = calloc(1, sizeof(*sn));
	const char *kind;
	fwt_digests d;
	fwt_err err;

	if (!sn)
		return fwt__enomem(ctx);
	o.algs = md;
	err = sniffed_digest(ctx, r, NULL, 0, &o, &d, sn, NULL);
	if (!err && as_is && (kind = signing_input_kind(sn)) != NULL)
		err = fwt__error(ctx, FWT_EVERIFY, "'%s' is %s: a signature over it is a signature of that format, "
		                 "which fwtrail-sign(1) never makes over firmware", fwt_reader_name(r), kind);
	free(sn);
	if (err)
		return err;
	memcpy(out, fwt_digests_get(&d, md), fwt_digest_size(md));
	return FWT_OK;
}

/* Firmware signatures are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072)
 * and PS512 (RSA-4096), in every format: the algorithm follows from the key,
 * as fwtrail-sign(1) makes them. */
static int firmware_alg(fwt_sig_alg alg)
{
	return alg == FWT_SIG_ES384 || alg == FWT_SIG_ES512 || alg == FWT_SIG_PS384 || alg == FWT_SIG_PS512;
}

#define FIRMWARE_ALGS "ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"

/* A key that cannot have made an alg signature is a "no"; a key that could,
 * with a hash or size fwtrail does not pair with it, is unsupported. */
static fwt_err fits(fwt_ctx *ctx, const fwt_pubkey *k, enum sig_kind kind, fwt_digest_alg h, fwt_sig_alg *alg)
{
	fwt_key_type t = fwt_pubkey_type(k);
	int ec = t == FWT_KEY_EC_P256 || t == FWT_KEY_EC_P384 || t == FWT_KEY_EC_P521;

	*alg = alg_for(kind, h);
	if ((kind == K_ECDSA && !ec) || (kind == K_PSS && t != FWT_KEY_RSA))
		return fwt__error(ctx, FWT_EVERIFY, "the signature is %s, key '%s' is %s: it was not made with this key",
		                  kind == K_ECDSA ? "ECDSA" : "RSA-PSS", fwt_pubkey_name(k), fwt_pubkey_describe(k));
	if (*alg == FWT_SIG_NONE || *alg != fwt_pubkey_default_alg(k) || !firmware_alg(*alg))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "%s with %s and key '%s' (%s) is not supported: firmware "
		                  "signatures are " FIRMWARE_ALGS, kind == K_ECDSA ? "ECDSA" : "RSA-PSS",
		                  fwt_digest_name(h) ? fwt_digest_name(h) : "?", fwt_pubkey_name(k),
		                  fwt_pubkey_describe(k));
	return FWT_OK;
}

/* 1 when x is the certificate c's SignerIdentifier names: by its issuer
 * and serial number, or by its subject key identifier. */
static int sid_names(const struct cms *c, X509 *x)
{
	int yes = 0;

	if (c->issuer) {
		const unsigned char *q = c->issuer, *s = c->serial;
		X509_NAME *in = d2i_X509_NAME(NULL, &q, (long)c->issuerlen);
		ASN1_INTEGER *sn = d2i_ASN1_INTEGER(NULL, &s, (long)c->seriallen);
		yes = in && sn && !X509_NAME_cmp(X509_get_issuer_name(x), in) &&
		      !ASN1_INTEGER_cmp(X509_get0_serialNumber(x), sn);
		X509_NAME_free(in);
		ASN1_INTEGER_free(sn);
	} else if (c->ski) {
		const ASN1_OCTET_STRING *id = X509_get0_subject_key_id(x);
		yes = id && (size_t)ASN1_STRING_length(id) == c->skilen &&
		      !memcmp(ASN1_STRING_get0_data(id), c->ski, c->skilen);
	}
	ERR_clear_error();
	return yes;
}

/* info->signer: the subject of the certificate c's SignerIdentifier names
 * (as sid_names matches it: issuer and serial number, or subject key
 * identifier), when c carries it; untrusted, informative. */
static void signer_subject(const struct cms *c, fwt_sigfile_info *info)
{
	size_t i;

	for (i = 0; i < c->ncerts; i++) {
		const unsigned char *p = c->certs[i];
		X509 *x = d2i_X509(NULL, &p, (long)c->certlen[i]);
		int match = x && p == c->certs[i] + c->certlen[i] && sid_names(c, x);

		if (match)
			X509_NAME_oneline(X509_get_subject_name(x), info->signer, (int)sizeof(info->signer));
		X509_free(x);
		ERR_clear_error();
		if (match)
			return;
	}
}

/* A detached COSE_Sign1 (tag 18, alg in the protected header, payload nil)
 * over the content r yields, hashed as a stream behind its Sig_structure
 * prefix. */
static fwt_err verify_cose(fwt_ctx *ctx, const fwt_pubkey *k, const unsigned char *sig, size_t siglen,
                           fwt_reader *r, fwt_sigfile_info *info)
{
	fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
	struct prefixed p = { NULL, 0, 0, r, NULL, FWT_OK, "", ctx, NULL };
	const unsigned char *hv;
	size_t hlen;
	fwt_digest_options dopt = FWT_DIGEST_OPTIONS_INIT;
	unsigned char *prefix = NULL, tbs[FWT_DIGEST_MAX];
	fwt_reader *pr = NULL;
	fwt_cose *m = NULL;
	fwt_digests d;
	fwt_sig_alg alg;
	int64_t id, size;
	fwt_err err;

	o.flags = FWT_COSE_STRICT;
	o.algs = 1u << FWT_SIG_ES384 | 1u << FWT_SIG_ES512 | 1u << FWT_SIG_PS384 | 1u << FWT_SIG_PS512;
	err = fwt_cose_parse(ctx, &m, sig, siglen, &o);
	if (err)
		return err;
	if (fwt_cose_get_kind(m) != FWT_COSE_SIGN1) {
		err = fwt__error(ctx, FWT_EFORMAT, "not a COSE_Sign1 signature");
		goto out;
	}
	if (fwt_cose_payload(m, NULL)) {
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "the COSE signature holds its payload: fwtrail verifies "
		                 "detached signatures only");
		goto out;
	}
	if (fwt_cose_alg_id(m, 0, &id) != 1 || fwt_sig_alg_from_cose_id(id, &alg) != FWT_OK) {
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "the COSE signature has no supported alg in its protected header");
		goto out;
	}
	/* a hash envelope signs a hash of the content, not the content: checked
	 * against the file it could only give a misleading no */
	if (fwt_cose_protected_bstr(m, COSE_PAYLOAD_HASH_ALG, &hv, &hlen) != FWT_ENOTFOUND) {
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "the COSE signature is a hash envelope (payload_hash_alg, label "
		                 "%d): fwtrail verifies signatures over the file itself", COSE_PAYLOAD_HASH_ALG);
		goto out;
	}
	/* a content type (a checkpoint's, a RIM's, a report's), corim-meta or
	 * CWT claims make the COSE_Sign1 that format's signature, which
	 * fwtrail-sign(1) never makes over firmware: its payload lifted out and
	 * put beside it is not firmware signed (as for raw, hash_content) */
	{
		const char *ct = NULL;
		size_t ctl = 0;
		uint64_t ctn = 0;
		const char *what = fwt_cose_protected_content_type(m, &ct, &ctl, &ctn) ? "a content type"
		                   : fwt_cose_protected_bstr(m, 8, &hv, &hlen) != FWT_ENOTFOUND  ? "corim-meta (label 8)"
		                   : fwt_cose_protected_bstr(m, 15, &hv, &hlen) != FWT_ENOTFOUND ? "CWT claims (label 15)"
		                                                                                  : NULL;
		if (what) {
			err = fwt__error(ctx, FWT_EVERIFY, "the COSE signature's protected header has %s: it signs a RIM, "
			                 "a report or a checkpoint, which fwtrail-sign(1) never makes over firmware", what);
			goto out;
		}
	}
	/* an RSA key makes PS384 and PS512 alike: its size settles which one
	 * fwtrail accepts (an EC key's curve is in the algorithm already) */
	if (!firmware_alg(alg) || (fwt_pubkey_type(k) == FWT_KEY_RSA && alg != fwt_pubkey_default_alg(k))) {
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "%s with key '%s' (%s) is not supported: firmware signatures "
		                 "are " FIRMWARE_ALGS, fwt_sig_alg_name(alg), fwt_pubkey_name(k), fwt_pubkey_describe(k));
		goto out;
	}
	info->alg = alg;
	info->digest = fwt_sig_alg_digest(alg);
	size = fwt_reader_size(r);
	if (size < 0) {
		err = fwt__error(ctx, FWT_EINVAL, "a COSE signature needs the size of '%s' in advance: give a file, "
		                 "not a stream", fwt_reader_name(r));
		goto out;
	}
	/* the Sig_structure is what the signature covers; the file alone is
	 * hashed in the same pass, for info->content_digest */
	err = fwt_cose_detached_prefix(ctx, m, 0, &o, (uint64_t)size, &prefix, &p.plen);
	if (!err)
		err = fwt_hash_new(ctx, &p.content, info->digest);
	if (!err) {
		p.prefix = prefix;
		err = fwt_reader_from_callback(ctx, &pr, prefixed_read, &p, fwt_reader_name(r));
	}
	dopt.algs = info->digest;
	if (!err)
		err = fwt_digest_reader(ctx, pr, &dopt, &d);
	if (err && p.err) /* the inner reader's reason, not "cannot read" */
		err = fwt__error(ctx, p.err, "%s", p.msg);
	if (!err)
		err = fwt_reader_check_whole(r); /* the whole file, unchanged */
	if (!err)
		err = fwt_hash_final(p.content, info->content_digest);
	if (!err) {
		memcpy(tbs, fwt_digests_get(&d, info->digest), fwt_digest_size(info->digest));
		err = fwt_cose_verify_digest(ctx, m, k, &o, tbs, fwt_digest_size(info->digest), NULL);
	}
out:
	fwt_hash_free(p.content);
	fwt_reader_free(pr);
	free(prefix);
	fwt_cose_free(m);
	return err;
}

/* A raw RSA-PSS block is as long as the key's modulus and may begin with
 * any bytes, those of a COSE_Sign1 (d2 84) too: with an RSA key, a file of
 * that length is COSE only if it parses as COSE. */
static int rsa_block(fwt_ctx *ctx, const fwt_pubkey *k, const unsigned char *sig, size_t siglen)
{
	fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
	fwt_cose *m = NULL;
	int parses;

	if (fwt_pubkey_type(k) != FWT_KEY_RSA || siglen != (fwt_pubkey_bits(k) + 7) / 8)
		return 0;
	o.flags = FWT_COSE_STRICT;
	parses = fwt_cose_parse(ctx, &m, sig, siglen, &o) == FWT_OK;
	fwt_cose_free(m);
	fwt_ctx_clear_error(ctx);
	return !parses;
}

/* Whether an RSA block that is not a valid RSA-PSS signature is an RSA
 * PKCS#1 v1.5 one (RFC 8017 9.2: 00 01, at least 8 bytes ff, 00, a DER
 * DigestInfo up to the end) under key k: what `openssl dgst -sign` makes
 * with an RSA key by default.  Only the holder of k's private key makes
 * such a block, so it is an algorithm fwtrail does not verify rather than
 * a signature that does not match. */
/* The RSA public operation on sig, without padding (the encoded message
 * the key's owner signed): its length, or 0. */
static size_t rsa_open(fwt_ctx *ctx, const fwt_pubkey *k, const unsigned char *sig, size_t siglen,
                       unsigned char em[512])
{
	EVP_PKEY_CTX *pc;
	size_t n = 512;
	int ok;

	if (fwt_pubkey_type(k) != FWT_KEY_RSA || siglen > 512)
		return 0;
	pc = EVP_PKEY_CTX_new_from_pkey(fwt__libctx(ctx), fwt__pubkey_evp(k), fwt__propq(ctx));
	ok = pc && EVP_PKEY_verify_recover_init(pc) > 0 && EVP_PKEY_CTX_set_rsa_padding(pc, RSA_NO_PADDING) > 0 &&
	     EVP_PKEY_verify_recover(pc, em, &n, sig, siglen) > 0;
	EVP_PKEY_CTX_free(pc);
	if (!ok) {
		ERR_clear_error();
		return 0;
	}
	return n == siglen ? n : 0;
}

static int rsa_pkcs1_block(fwt_ctx *ctx, const fwt_pubkey *k, const unsigned char *sig, size_t siglen)
{
	unsigned char em[512];
	size_t n = rsa_open(ctx, k, sig, siglen, em), i;

	if (n < 11 + 2 || em[0] != 0x00 || em[1] != 0x01)
		return 0;
	for (i = 2; i < n && em[i] == 0xff; i++)
		;
	if (i < 10 || i >= n || em[i] != 0x00)
		return 0;
	i++;
	/* DigestInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }, short */
	return n - i >= 2 && em[i] == 0x30 && em[i + 1] < 0x80 && (size_t)em[i + 1] == n - i - 2;
}

/* Whether the block of sig under k is an RSA-PSS encoding (RFC 8017
 * 9.1.1, any salt no longer than the hash) with another message hash or
 * MGF1 hash than the key's `not` for both: SHA-1, or SHA-256/384/512 with
 * MGF1 of that hash or another.  A signature by the key with parameters
 * fwtrail does not verify, told apart from a forgery without the file's
 * hash in those parameters.  1 with *hash and *mgf set; 0 otherwise.  The
 * zeros and 0x01 that must lead the unmasked DB leave a chance of 2^-8 per
 * zero byte that random bytes pass: none, at these key sizes. */
static int rsa_pss_hash(fwt_ctx *ctx, const fwt_pubkey *k, const unsigned char *sig, size_t siglen,
                        fwt_digest_alg not, fwt_digest_alg *hash, fwt_digest_alg *mgf)
{
	static const fwt_digest_alg hs[] = { FWT_DIGEST_SHA256, FWT_DIGEST_SHA384, FWT_DIGEST_SHA512,
	                                     FWT_DIGEST_SHA1 };
	unsigned char em[512], db[512], t[FWT_DIGEST_MAX], in[FWT_DIGEST_MAX + 4];
	size_t n = rsa_open(ctx, k, sig, siglen, em), i, g, j, hl, gl, dbl, off;
	unsigned bits;

	/* the block is the modulus's size; the encoding its bit length - 1 */
	bits = (unsigned)EVP_PKEY_get_bits(fwt__pubkey_evp(k));
	if (!n || bits < 1024 || em[n - 1] != 0xbc)
		return 0;
	off = (bits - 1) % 8 == 0 ? 1 : 0; /* emLen = ceil((bits - 1) / 8) */
	if (off && em[0])
		return 0;
	for (i = 0; i < FWT_ARRAY_LEN(hs); i++) {
		hl = fwt_digest_size(hs[i]);
		dbl = n - off - hl - 1;
		for (g = 0; g < FWT_ARRAY_LEN(hs); g++) {
			if (hs[i] == not && hs[g] == not)
				continue;
			gl = fwt_digest_size(hs[g]);
			/* MGF1(G, dbl) = G(H || counter) for counter 0, 1, ... */
			memcpy(in, em + off + dbl, hl);
			for (j = 0; j < dbl; j += gl) {
				size_t c = dbl - j < gl ? dbl - j : gl, m;
				uint32_t ctr = (uint32_t)(j / gl);
				in[hl] = (unsigned char)(ctr >> 24);
				in[hl + 1] = (unsigned char)(ctr >> 16);
				in[hl + 2] = (unsigned char)(ctr >> 8);
				in[hl + 3] = (unsigned char)ctr;
				if (fwt_digest_oneshot(ctx, hs[g], in, hl + 4, t) != FWT_OK) {
					ERR_clear_error();
					return 0;
				}
				for (m = 0; m < c; m++)
					db[j + m] = em[off + j + m] ^ t[m];
			}
			db[0] &= (unsigned char)(0xff >> (8 * (n - off) - (bits - 1)));
			for (j = 0; j < dbl && !db[j]; j++)
				;
			/* PS (zeros) || 0x01 || salt, the salt no longer than the hash */
			if (j < dbl && db[j] == 0x01 && dbl - j - 1 <= hl && j >= 8) {
				*hash = hs[i];
				*mgf = hs[g];
				return 1;
			}
		}
	}
	return 0;
}

/* "SHA-384" for the messages. */
static const char *sha_name(fwt_digest_alg h)
{
	return h == FWT_DIGEST_SHA1 ? "SHA-1" : h == FWT_DIGEST_SHA256 ? "SHA-256" : h == FWT_DIGEST_SHA384 ? "SHA-384"
	       : "SHA-512";
}

/* The format of a signature file's bytes, or FWT_EFORMAT for an empty,
 * oversized or unknown one. */
static fwt_err sig_format(fwt_ctx *ctx, const unsigned char *sig, size_t siglen, fwt_sigfile_format *fmt)
{
	if (!siglen)
		return fwt__error(ctx, FWT_EFORMAT, "the signature file is empty");
	if (siglen > SIGFILE_CAP)
		return fwt__error(ctx, FWT_EFORMAT, "the signature file is larger than %u bytes", SIGFILE_CAP);
	if (fwt_sigfile_detect(sig, siglen, fmt) != FWT_OK)
		return fwt__error(ctx, FWT_EFORMAT, "not a signature fwtrail knows: neither a COSE_Sign1, nor CMS "
		                  "SignedData, nor a DER ECDSA signature, nor an RSA signature of 2048, 3072 or 4096 bits "
		                  "(%zu bytes)", siglen);
	return FWT_OK;
}

fwt_err fwt_sigfile_verify(fwt_ctx *ctx, const fwt_pubkey *k, const unsigned char *sig, size_t siglen,
                           fwt_reader *r, fwt_sigfile_info *info)
{
	fwt_sigfile_info dummy;
	fwt_sigfile_format fmt;
	unsigned char digest[FWT_DIGEST_MAX], h[FWT_DIGEST_MAX], raw[132], *tbs = NULL;
	struct cms c;
	enum sig_kind kind;
	fwt_digest_alg sh = 0;
	fwt_sig_alg alg;
	fwt_err err;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	if (!k || !r || (!sig && siglen))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to signature verification");
	err = sig_format(ctx, sig, siglen, &fmt);
	if (err)
		return err;
	if (fmt == FWT_SIGFILE_COSE && rsa_block(ctx, k, sig, siglen))
		fmt = FWT_SIGFILE_RAW;
	info->format = fmt;
	if (fmt == FWT_SIGFILE_COSE)
		return verify_cose(ctx, k, sig, siglen, r, info);
	if (fmt == FWT_SIGFILE_RAW) {
		alg = fwt_pubkey_default_alg(k);
		if (!firmware_alg(alg))
			return fwt__error(ctx, FWT_EUNSUPPORTED, "key '%s' (%s) has no signature algorithm fwtrail verifies: "
			                  "firmware signatures are " FIRMWARE_ALGS, fwt_pubkey_name(k),
			                  fwt_pubkey_describe(k));
		kind = fwt_sig_alg_is_ecdsa(alg) ? K_ECDSA : K_PSS;
		if ((kind == K_ECDSA) != (fwt_ecdsa_der_to_raw(sig, siglen, 66, raw) == FWT_OK))
			return fwt__error(ctx, FWT_EVERIFY, "the signature is %s, key '%s' is %s: it was not made with this "
			                  "key", kind == K_ECDSA ? "not ECDSA" : "ECDSA", fwt_pubkey_name(k),
			                  fwt_pubkey_describe(k));
		info->alg = alg;
		info->digest = fwt_sig_alg_digest(alg);
		err = hash_content(ctx, r, info->digest, 1, info->content_digest);
		if (err)
			return err;
		err = fwt_sig_verify_digest(ctx, k, alg, FWT_SIG_DER, info->content_digest,
		                            fwt_digest_size(info->digest), sig, siglen);
		if (err == FWT_EVERIFY && kind == K_PSS && rsa_pkcs1_block(ctx, k, sig, siglen)) {
			info->alg = 0; /* not the key's PS384/PS512 */
			return fwt__error(ctx, FWT_EUNSUPPORTED, "the signature is RSA PKCS#1 v1.5, by key '%s': fwtrail "
			                  "accepts RSA signatures only as RSA-PSS", fwt_pubkey_name(k));
		}
		/* a PS384 block by an RSA-4096 key, or PS512 by RSA-3072: as
		 * in CMS and COSE, where the algorithm is stated, a pair
		 * fwtrail does not verify */
		if (err == FWT_EVERIFY && kind == K_PSS) {
			fwt_digest_alg oh = 0, om = 0;
			if (rsa_pss_hash(ctx, k, sig, siglen, info->digest, &oh, &om) && oh == om && oh != FWT_DIGEST_SHA1) {
				info->alg = 0;
				return fwt__error(ctx, FWT_EUNSUPPORTED, "the signature is PS%u (RSA-PSS with SHA-%u) by key "
				                  "'%s' (%s), a pair fwtrail does not verify: firmware signatures are "
				                  FIRMWARE_ALGS, 8 * (unsigned)fwt_digest_size(oh),
				                  8 * (unsigned)fwt_digest_size(oh), fwt_pubkey_name(k),
				                  fwt_pubkey_describe(k));
			}
			/* SHA-1, or MGF1 with another hash than the message's:
			 * parameters fwtrail does not verify, as in CMS */
			if (oh) {
				info->alg = 0;
				return fwt__error(ctx, FWT_EUNSUPPORTED, "the signature is RSA-PSS with %s and MGF1 with %s by "
				                  "key '%s' (%s), parameters fwtrail does not verify: firmware signatures are "
				                  FIRMWARE_ALGS " (MGF1 with the same hash)", sha_name(oh), sha_name(om),
				                  fwt_pubkey_name(k), fwt_pubkey_describe(k));
			}
		}
		/* as a CMS signature that states such a salt */
		if (err == FWT_EVERIFY && kind == K_PSS &&
		    fwt__pss_other_salt(ctx, k, alg, info->content_digest, fwt_digest_size(info->digest), sig, siglen)) {
			info->alg = 0;
			return fwt__error(ctx, FWT_EUNSUPPORTED, "the signature is RSA-PSS with a salt other than %zu "
			                  "bytes, by key '%s': fwtrail accepts RSA-PSS only with a salt of the hash length",
			                  fwt_digest_size(info->digest), fwt_pubkey_name(k));
		}
		return err;
	}
	err = parse_cms(ctx, &c, sig, siglen);
	if (err)
		return err;
	info->signed_attrs = c.attrs != NULL;
	signer_subject(&c, info);
	if (!c.dig)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "the CMS signature's digest algorithm is not SHA-256/384/512");
	err = cms_sig_alg(ctx, &c, &kind, &sh);
	if (err)
		return err;
	err = fits(ctx, k, kind, sh, &alg);
	if (err)
		return err;
	if (kind == K_ECDSA && fwt_ecdsa_der_to_raw(c.sig, c.siglen, 66, raw) != FWT_OK)
		return bad(ctx, &c, c.sig, "the ECDSA signature value is not DER");
	if (c.attrs && c.mdlen != fwt_digest_size(c.dig))
		return bad(ctx, &c, c.md, "messageDigest has the wrong length");
	/* one hash throughout, as fwtrail-sign(1) and openssl cms -sign make
	 * them: the file's digest is as strong as the signature's */
	if (c.dig != sh)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "the CMS signer's digest algorithm (%s) is not the hash of its "
		                  "signature algorithm (%s)", fwt_digest_name(c.dig), fwt_digest_name(sh));
	if (!(c.sd_digs & (unsigned)c.dig))
		return bad(ctx, &c, c.base, "the signer's digest algorithm is missing from SignedData digestAlgorithms");
	info->alg = alg;
	info->digest = c.dig;
	err = hash_content(ctx, r, c.dig, c.attrs == NULL, digest);
	if (err)
		return err;
	memcpy(info->content_digest, digest, fwt_digest_size(c.dig));
	if (c.attrs) {
		if (CRYPTO_memcmp(digest, c.md, c.mdlen))
			return fwt__error(ctx, FWT_EVERIFY, "the file does not match the signature (its %s differs from "
			                  "the signed messageDigest)", fwt_digest_name(c.dig));
		/* the signature covers the attributes re-tagged as a SET */
		tbs = malloc(c.attrslen);
		if (!tbs)
			return fwt__enomem(ctx);
		memcpy(tbs, c.attrs, c.attrslen);
		tbs[0] = DER_SET;
		err = fwt_digest_oneshot(ctx, sh, tbs, c.attrslen, h);
		free(tbs);
		if (err)
			return err;
	} else {
		memcpy(h, digest, fwt_digest_size(sh));
	}
	return fwt_sig_verify_digest(ctx, k, alg, kind == K_ECDSA ? FWT_SIG_DER : FWT_SIG_RAW, h, fwt_digest_size(sh),
	                             c.sig, c.siglen);
}

/* ---- verification through a certificate authority ---- */

static int same_cert(const struct cms *c, size_t i, size_t j)
{
	return c->certlen[i] == c->certlen[j] && !memcmp(c->certs[i], c->certs[j], c->certlen[i]);
}

/* c's certificates as keys: with signer, the one its SignerIdentifier
 * names first; then the others, in their order, those that load as
 * certificates (candidate intermediates: one that does not could only
 * have failed the chain). */
static fwt_err cms_certs(fwt_ctx *ctx, const struct cms *c, int signer, fwt_pubkey ***out, size_t *n)
{
	fwt_pubkey **v = calloc(c->ncerts ? c->ncerts : 1, sizeof(*v));
	size_t i, cnt = 0, first = c->ncerts;
	char name[64];
	fwt_err err = FWT_OK;

	*out = NULL;
	*n = 0;
	if (!v)
		return fwt__enomem(ctx);
	for (i = 0; signer && i < c->ncerts; i++) {
		const unsigned char *p = c->certs[i];
		X509 *x = d2i_X509(NULL, &p, (long)c->certlen[i]);
		int hit = x && p == c->certs[i] + c->certlen[i] && sid_names(c, x);

		X509_free(x);
		ERR_clear_error();
		if (!hit)
			continue;
		if (first == c->ncerts) {
			first = i;
		} else if (!same_cert(c, i, first)) {
			err = fwt__error(ctx, FWT_EVERIFY, "the CMS signature carries two different certificates that "
			                 "match its signer identifier (numbers %zu and %zu): which one signed cannot be "
			                 "told", first + 1, i + 1);
			goto out;
		}
	}
	if (signer) {
		if (first == c->ncerts) {
			err = fwt__error(ctx, FWT_EVERIFY, "the CMS signature does not carry its signer's certificate "
			                 "(none of its %zu certificates matches its signer identifier)", c->ncerts);
			goto out;
		}
		err = fwt_pubkey_parse(ctx, &v[0], c->certs[first], c->certlen[first], "CMS signer");
		if (err || !fwt_pubkey_has_cert(v[0])) {
			fwt_pubkey_free(v[0]);
			v[0] = NULL;
			err = bad(ctx, c, c->certs[first], "the signer's certificate cannot be read");
			goto out;
		}
		cnt = 1;
	}
	for (i = 0; i < c->ncerts; i++) {
		if (first < c->ncerts && same_cert(c, i, first))
			continue;
		snprintf(name, sizeof(name), "CMS certificate %zu", i + 1);
		if (fwt_pubkey_parse(ctx, &v[cnt], c->certs[i], c->certlen[i], name) == FWT_OK &&
		    fwt_pubkey_has_cert(v[cnt])) {
			cnt++;
		} else {
			fwt_pubkey_free(v[cnt]);
			v[cnt] = NULL;
		}
	}
	*out = v;
	*n = cnt;
	return FWT_OK;
out:
	free(v);
	return err;
}

fwt_err fwt_sigfile_signer_chain(fwt_ctx *ctx, const unsigned char *sig, size_t siglen, fwt_pubkey ***out,
                                 size_t *n)
{
	fwt_sigfile_format fmt;
	struct cms c;
	fwt_err err;

	if (!out || !n || (!sig && siglen))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_sigfile_signer_chain");
	*out = NULL;
	*n = 0;
	err = sig_format(ctx, sig, siglen, &fmt);
	if (err)
		return err;
	if (fmt != FWT_SIGFILE_CMS)
		return fwt__error(ctx, FWT_EINVAL, "a %s signature names no signer: it carries no certificate",
		                  fmt == FWT_SIGFILE_RAW ? "raw" : "COSE");
	err = parse_cms(ctx, &c, sig, siglen);
	return err ? err : cms_certs(ctx, &c, 1, out, n);
}

static void free_keys(fwt_pubkey **v, size_t n)
{
	while (n)
		fwt_pubkey_free(v[--n]);
	free(v);
}

fwt_err fwt_sigfile_verify_trusted(fwt_ctx *ctx, const fwt_sigfile_trust_options *opts, const unsigned char *sig,
                                   size_t siglen, fwt_reader *r, fwt_sigfile_info *info, fwt_pubkey **signer)
{
	fwt_sigfile_info dummy;
	fwt_pubkey **own = NULL, **extra = NULL, **all = NULL;
	fwt_pubkey *const *chain;
	size_t n, nown = 0, nextra = 0, i;
	struct cms c;
	unsigned ver;
	fwt_err err;

	if (signer)
		*signer = NULL;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	if (!opts || !opts->trust || !r || (!sig && siglen) || (opts->chain_len && !opts->chain))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_sigfile_verify_trusted");
	err = fwt__opts_version(ctx, "signature trust", opts->version, FWT_SIGFILE_TRUST_OPTIONS_VERSION, &ver);
	if (err)
		return err;
	for (i = 0; i < opts->chain_len; i++)
		if (!opts->chain[i] || !fwt_pubkey_has_cert(opts->chain[i]))
			return fwt__error(ctx, FWT_EINVAL, "chain element %zu ('%s') is not a certificate", i,
			                  opts->chain[i] ? fwt_pubkey_name(opts->chain[i]) : "");
	if (opts->chain_len) {
		chain = opts->chain;
		n = opts->chain_len;
	} else {
		err = fwt_sigfile_signer_chain(ctx, sig, siglen, &own, &nown);
		if (err)
			return err;
		chain = own;
		n = nown;
	}
	/* the signature first: an unreadable file or a malformed signature is
	 * said as such, whatever the chain */
	err = fwt_sigfile_verify(ctx, chain[0], sig, siglen, r, info);
	/* a chain given on its own is completed by the certificates the CMS
	 * signature carries (untrusted, as every intermediate) */
	if (!err && opts->chain_len && info->format == FWT_SIGFILE_CMS && parse_cms(ctx, &c, sig, siglen) == FWT_OK &&
	    cms_certs(ctx, &c, 0, &extra, &nextra) == FWT_OK && nextra) {
		all = malloc((n + nextra) * sizeof(*all));
		if (!all)
			err = fwt__enomem(ctx);
		for (i = 0; all && i < n; i++)
			all[i] = chain[i];
		for (i = 0; all && i < nextra; i++)
			all[n + i] = extra[i];
	}
	if (!err)
		err = fwt_trust_verify_chain(ctx, opts->trust, all ? all : chain, all ? n + nextra : n, opts->at);
	/* the rules of a key trusted as it is, for the signer's certificate */
	if (!err)
		err = fwt_trust_check_key_alg(ctx, opts->trust, chain[0], info->alg, opts->at, NULL);
	if (!err && signer)
		*signer = fwt_pubkey_ref(chain[0]);
	free(all);
	free_keys(extra, nextra);
	free_keys(own, nown);
	return err;
}
