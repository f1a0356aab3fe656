/* SPDX-License-Identifier: Apache-2.0 */
/* sig.c - signature algorithms, public keys (PEM, DER, certificates, JWK),
 * and the single verification primitive. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <fwtrail/hex.h>
#include <fwtrail/io.h>
#include <fwtrail/json.h>
#include <fwtrail/sig.h>
#include "der.h"
#include "ecfast.h"
#include "internal.h"
#include "key_internal.h"
#include "sig_internal.h"
#include "banned.h"

#define KEY_FILE_CAP (1u << 20)

/* ---- algorithms ---- */

static const struct sig_info {
	fwt_sig_alg alg;
	const char *name;
	long long cose;
	fwt_digest_alg md;
	size_t ecsize; /* bytes per coordinate; 0 for RSA */
	fwt_key_type curve;
	int pkcs1;     /* RSASSA-PKCS1-v1_5 (TPM quotes only) instead of PSS */
} sigs[] = {
	{ FWT_SIG_ES256, "ES256", -7, FWT_DIGEST_SHA256, 32, FWT_KEY_EC_P256, 0 },
	{ FWT_SIG_ES384, "ES384", -35, FWT_DIGEST_SHA384, 48, FWT_KEY_EC_P384, 0 },
	{ FWT_SIG_ES512, "ES512", -36, FWT_DIGEST_SHA512, 66, FWT_KEY_EC_P521, 0 },
	{ FWT_SIG_PS256, "PS256", -37, FWT_DIGEST_SHA256, 0, FWT_KEY_RSA, 0 },
	{ FWT_SIG_PS384, "PS384", -38, FWT_DIGEST_SHA384, 0, FWT_KEY_RSA, 0 },
	{ FWT_SIG_PS512, "PS512", -39, FWT_DIGEST_SHA512, 0, FWT_KEY_RSA, 0 },
	/* TPM attestation keys only: no JOSE name, no COSE id (see sig.h) */
	{ FWT_SIG_TPM_RSASSA_SHA256, "RSASSA-SHA256", 0, FWT_DIGEST_SHA256, 0, FWT_KEY_RSA, 1 },
	{ FWT_SIG_TPM_RSASSA_SHA384, "RSASSA-SHA384", 0, FWT_DIGEST_SHA384, 0, FWT_KEY_RSA, 1 },
};

static const struct sig_info *sinfo(fwt_sig_alg alg)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(sigs); i++)
		if (sigs[i].alg == alg)
			return &sigs[i];
	return NULL;
}

const char *fwt_sig_alg_name(fwt_sig_alg alg)
{
	const struct sig_info *s = sinfo(alg);
	return s ? s->name : NULL;
}

fwt_err fwt_sig_alg_from_name(const char *name, size_t len, fwt_sig_alg *out)
{
	size_t i;

	for (i = 0; name && i < FWT_ARRAY_LEN(sigs); i++)
		if (!sigs[i].pkcs1 && strlen(sigs[i].name) == len && !memcmp(sigs[i].name, name, len)) {
			*out = sigs[i].alg;
			return FWT_OK;
		}
	return FWT_EUNSUPPORTED;
}

long long fwt_sig_alg_cose_id(fwt_sig_alg alg)
{
	const struct sig_info *s = sinfo(alg);
	return s ? s->cose : 0;
}

fwt_err fwt_sig_alg_from_cose_id(long long id, fwt_sig_alg *out)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(sigs); i++)
		if (!sigs[i].pkcs1 && sigs[i].cose == id) {
			*out = sigs[i].alg;
			return FWT_OK;
		}
	return FWT_EUNSUPPORTED;
}

fwt_digest_alg fwt_sig_alg_digest(fwt_sig_alg alg)
{
	const struct sig_info *s = sinfo(alg);
	return s ? s->md : 0;
}

size_t fwt_sig_alg_ecdsa_size(fwt_sig_alg alg)
{
	const struct sig_info *s = sinfo(alg);
	return s ? 2 * s->ecsize : 0;
}

int fwt_sig_alg_is_ecdsa(fwt_sig_alg alg)
{
	return fwt_sig_alg_ecdsa_size(alg) != 0;
}

static const char *md_ossl_name(fwt_digest_alg md)
{
	switch (md) {
	case FWT_DIGEST_SHA256: return "SHA2-256";
	case FWT_DIGEST_SHA384: return "SHA2-384";
	case FWT_DIGEST_SHA512: return "SHA2-512";
	default: return NULL;
	}
}

/* ---- public keys ---- */

/*
 * A verification context set up for one key and one way of verifying (hash,
 * padding): setting one up costs about a tenth of a P-521 verify, and a
 * batch verifies with the same few keys thousands of times.  Each key keeps
 * the free ones; a thread takes one for a verify and gives it back.
 */
struct vctx {
	struct vctx *next;
	fwt_digest_alg md_alg;
	int pkcs1, ec;
	EVP_MD *md;
	EVP_PKEY_CTX *pctx;
};
#define VCTX_POOL_MAX 16

static void vctx_free_all(struct vctx *v)
{
	while (v) {
		struct vctx *next = v->next;
		EVP_PKEY_CTX_free(v->pctx);
		EVP_MD_free(v->md);
		free(v);
		v = next;
	}
}

struct fwt_pubkey {
	int refs;
	fwt_ctx *ctx;
	EVP_PKEY *pkey;
	X509 *cert;
	char *name;
	char *subject;
	fwt_key_type type;
	unsigned bits;
	char desc[24];
	int has_fp;              /* fp computed once at load: keys are shared */
	unsigned char fp[32];    /* across threads and checked per report */
	int has_fp_as_encoded;   /* an RSA-PSS-typed key: the SHA-256 of its own */
	unsigned char fp_as_encoded[32]; /* rsassaPss SPKI, which fp is not */
	char *jwk_alg_name;      /* a JWK's "alg" (NULL: absent): the one */
	fwt_sig_alg jwk_alg;     /* algorithm it is for (NONE: not fwtrail's) */
	char *jwk_use;           /* a JWK's "use" (NULL: absent) */
	int jwk_ops;             /* a JWK's "key_ops": 0 absent, 1 with "verify", -1 without */
	pthread_mutex_t pool_mu; /* verification contexts made ready for this key */
	struct vctx *pool;       /* (free ones; a thread takes one per verify) */
	unsigned pooled;
	fwt__ecfast *ecfast;     /* a P-384 or P-521 key's table for fast */
	int ecfast_tried;        /* verifies (ecfast.c), made under pool_mu */
	unsigned verifies;       /* at its first verify (P-521) or FWT__ECFAST_P384_AT-th (P-384) */
};

void fwt__pubkey_set_ctx(fwt_pubkey *k, fwt_ctx *ctx)
{
	if (k)
		k->ctx = ctx;
}

EVP_PKEY *fwt__pubkey_evp(const fwt_pubkey *k)
{
	return k ? k->pkey : NULL;
}

X509 *fwt__pubkey_x509(const fwt_pubkey *k)
{
	return k ? k->cert : NULL;
}

static fwt_key_type classify(EVP_PKEY *pkey, unsigned *bits)
{
	char group[64];
	size_t n = 0;

	*bits = (unsigned)EVP_PKEY_get_bits(pkey);
	if (EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS"))
		return FWT_KEY_RSA;
	if (EVP_PKEY_is_a(pkey, "EC") && EVP_PKEY_get_group_name(pkey, group, sizeof(group), &n)) {
		if (!strcmp(group, "prime256v1") || !strcmp(group, "P-256") || !strcmp(group, "secp256r1"))
			return FWT_KEY_EC_P256;
		if (!strcmp(group, "secp384r1") || !strcmp(group, "P-384"))
			return FWT_KEY_EC_P384;
		if (!strcmp(group, "secp521r1") || !strcmp(group, "P-521"))
			return FWT_KEY_EC_P521;
	}
	return FWT_KEY_OTHER;
}

static fwt_err wrap_key(fwt_ctx *ctx, fwt_pubkey **out, EVP_PKEY *pkey, X509 *cert, const char *name,
                        const unsigned char *spki, size_t spki_len);

/* Take ownership of pkey (and cert) into a new fwt_pubkey. */
fwt_err fwt__pubkey_wrap(fwt_ctx *ctx, fwt_pubkey **out, EVP_PKEY *pkey, X509 *cert, const char *name)
{
	return wrap_key(ctx, out, pkey, cert, name, NULL, 0);
}

/* One RSA key has one fingerprint: a key typed RSA-PSS (id-RSASSA-PSS in its
 * SubjectPublicKeyInfo or certificate) is fingerprinted, and so matched
 * against revocations, as the rsaEncryption SubjectPublicKeyInfo of the same
 * modulus and exponent.  The key itself, with any PSS restrictions, is kept
 * for verifying. */
/* An RSA-PSS-typed key as the plain rsaEncryption key of the same n and e:
 * its canonical form, the one fwtrail fingerprints and exports. */
static EVP_PKEY *rsa_plain(fwt_ctx *ctx, EVP_PKEY *pkey)
{
	BIGNUM *n = NULL, *e = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pc = NULL;
	EVP_PKEY *plain = NULL;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) &&
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) && (bld = OSSL_PARAM_BLD_new()) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) &&
	    (pc = EVP_PKEY_CTX_new_from_name(fwt__libctx(ctx), "RSA", fwt__propq(ctx))) &&
	    EVP_PKEY_fromdata_init(pc) > 0 && EVP_PKEY_fromdata(pc, &plain, EVP_PKEY_PUBLIC_KEY, params) > 0) {
		/* plain is set */
	} else {
		EVP_PKEY_free(plain);
		plain = NULL;
	}
	EVP_PKEY_CTX_free(pc);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return plain;
}

/* 1 if the RSA-PSS-typed key's own parameter named param (a digest name)
 * is given and is not md */
static int pss_param_other(EVP_PKEY *pkey, const char *param, const EVP_MD *md, char *got, size_t cap)
{
	const EVP_MD *m;
	int t;

	if (!EVP_PKEY_get_utf8_string_param(pkey, param, got, cap, NULL) || !*got)
		return 0;
	m = EVP_get_digestbyname(got);
	if (!m)
		return 1;
	t = EVP_MD_get_type(m);
	if (t == NID_sha1 || t == NID_sha224 || t == NID_sha256 || t == NID_sha384 || t == NID_sha512)
		snprintf(got, cap, "SHA-%d", t == NID_sha1 ? 1 : EVP_MD_get_size(m) * 8);
	return t != EVP_MD_get_type(md);
}

fwt_err fwt__pss_params_allow(fwt_ctx *ctx, EVP_PKEY *pkey, const char *name, fwt_digest_alg alg)
{
	const EVP_MD *md = EVP_get_digestbyname(alg == FWT_DIGEST_SHA512 ? "SHA512" : alg == FWT_DIGEST_SHA384 ? "SHA384"
	                                                                                                         : "SHA256");
	char got[64] = "";
	int salt = 0;

	if (!pkey || !EVP_PKEY_is_a(pkey, "RSA-PSS") || !md)
		return FWT_OK;
	if (pss_param_other(pkey, OSSL_PKEY_PARAM_RSA_DIGEST, md, got, sizeof(got)) ||
	    pss_param_other(pkey, OSSL_PKEY_PARAM_RSA_MGF1_DIGEST, md, got, sizeof(got)))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "'%s' is an RSA-PSS key restricted to %s by its own parameters: "
		                  "fwtrail uses RSA-PSS with SHA-%d for the hash and MGF1 and a salt of its length",
		                  name, got, EVP_MD_get_size(md) * 8);
	if (EVP_PKEY_get_int_param(pkey, OSSL_PKEY_PARAM_RSA_PSS_SALTLEN, &salt) && salt > EVP_MD_get_size(md))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "'%s' is an RSA-PSS key whose own parameters ask a salt of at "
		                  "least %d bytes: fwtrail uses RSA-PSS with SHA-%d and a salt of its length (%d)", name,
		                  salt, EVP_MD_get_size(md) * 8, EVP_MD_get_size(md));
	/* parameters left at their defaults are not reported (SHA-1 for the
	 * hash and MGF1 of a restricted key): OpenSSL is asked itself */
	{
		EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_pkey(fwt__libctx(ctx), pkey, fwt__propq(ctx));
		const char *mdn = EVP_MD_get_size(md) == 64 ? "SHA2-512" : EVP_MD_get_size(md) == 48 ? "SHA2-384"
		                                                                                        : "SHA2-256";
		int ok = pc && EVP_PKEY_verify_init(pc) > 0 && EVP_PKEY_CTX_set_signature_md(pc, md) > 0 &&
		         EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
		         EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) > 0 &&
		         EVP_PKEY_CTX_set_rsa_mgf1_md_name(pc, mdn, NULL) > 0;
		EVP_PKEY_CTX_free(pc);
		ERR_clear_error();
		if (!ok)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "'%s' is an RSA-PSS key whose own parameters (SHA-1 where "
			                  "they name none) forbid RSA-PSS with SHA-%d for the hash and MGF1 and a salt of its "
			                  "length, the one fwtrail uses", name, EVP_MD_get_size(md) * 8);
	}
	return FWT_OK;
}

fwt_err fwt__rsa_plain_fingerprint(fwt_ctx *ctx, EVP_PKEY *pkey, unsigned char fp[32])
{
	EVP_PKEY *plain = rsa_plain(ctx, pkey);
	unsigned char *der = NULL;
	int len = 0;
	fwt_err err = FWT_ECRYPTO;

	if (plain && (len = i2d_PUBKEY(plain, &der)) > 0)
		err = fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, der, (size_t)len, fp);
	if (err == FWT_ECRYPTO)
		fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot encode an RSA-PSS key in its canonical form");
	OPENSSL_free(der);
	EVP_PKEY_free(plain);
	return err;
}

int fwt__ec_encoded_otherwise(const EVP_PKEY *pkey)
{
	char form[32] = "", enc[32] = "";

	if (!EVP_PKEY_is_a(pkey, "EC"))
		return 0;
	if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, form, sizeof(form),
	                                    NULL) ||
	    !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_ENCODING, enc, sizeof(enc), NULL))
		return 1; /* cannot tell: treat it as another encoding */
	return strcmp(form, OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED) ||
	       strcmp(enc, OSSL_PKEY_EC_ENCODING_GROUP);
}

fwt_err fwt__canonical_fingerprint(fwt_ctx *ctx, EVP_PKEY *pkey, unsigned char fp[32])
{
	EVP_PKEY *dup = NULL;
	unsigned char *der = NULL;
	int len = 0;
	fwt_err err = FWT_ECRYPTO;

	if (EVP_PKEY_is_a(pkey, "RSA-PSS"))
		return fwt__rsa_plain_fingerprint(ctx, pkey, fp);
	if (EVP_PKEY_is_a(pkey, "EC")) {
		/* as wrap_key encodes it: the uncompressed point, the named curve */
		OSSL_PARAM p[3];
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
		                                        (char *)OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED, 0);
		p[1] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, (char *)OSSL_PKEY_EC_ENCODING_GROUP, 0);
		p[2] = OSSL_PARAM_construct_end();
		if (!(dup = EVP_PKEY_dup(pkey)) || !EVP_PKEY_set_params(dup, p)) {
			EVP_PKEY_free(dup);
			return fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot encode an EC key in its canonical form");
		}
	}
	if ((len = i2d_PUBKEY(dup ? dup : pkey, &der)) > 0)
		err = fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, der, (size_t)len, fp);
	else
		fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot encode a key");
	OPENSSL_free(der);
	EVP_PKEY_free(dup);
	return err;
}

/* The same; spki, when given, is pkey's SubjectPublicKeyInfo exactly as
 * OpenSSL would encode it (the fingerprint is taken from it). */
static fwt_err wrap_key(fwt_ctx *ctx, fwt_pubkey **out, EVP_PKEY *pkey, X509 *cert, const char *name,
                        const unsigned char *spki, size_t spki_len)
{
	fwt_pubkey *k = calloc(1, sizeof(*k));

	*out = NULL;
	if (!k) {
		EVP_PKEY_free(pkey);
		X509_free(cert);
		return fwt__enomem(ctx);
	}
	k->refs = 1;
	pthread_mutex_init(&k->pool_mu, NULL);
	k->ctx = ctx;
	k->pkey = pkey;
	k->cert = cert;
	k->name = strdup(name ? name : "(key)");
	if (!k->name) {
		fwt_pubkey_free(k);
		return fwt__enomem(ctx);
	}
	k->type = classify(pkey, &k->bits);
	if (!spki && (k->type == FWT_KEY_EC_P256 || k->type == FWT_KEY_EC_P384 || k->type == FWT_KEY_EC_P521)) {
		/* one encoding per key: a point given compressed (or curve
		 * parameters given explicitly) is encoded, and so fingerprinted
		 * and matched against revocations, as the uncompressed point on
		 * the named curve, the form fwtrail itself writes; the hash of
		 * the encoding as given is kept too, for a revocation line made
		 * from the file itself (as for an RSA-PSS-typed key) */
		OSSL_PARAM p[3];
		if (fwt__ec_encoded_otherwise(pkey)) {
			unsigned char *der = NULL;
			int len = i2d_PUBKEY(pkey, &der);
			k->has_fp_as_encoded = len > 0 && fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, der, (size_t)len,
			                                                     k->fp_as_encoded) == FWT_OK;
			OPENSSL_free(der);
		}
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
		                                        (char *)OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED, 0);
		p[1] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING,
		                                        (char *)OSSL_PKEY_EC_ENCODING_GROUP, 0);
		p[2] = OSSL_PARAM_construct_end();
		if (!EVP_PKEY_set_params(pkey, p)) {
			fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot encode key '%s' in its canonical form", k->name);
			fwt_pubkey_free(k);
			return FWT_ECRYPTO;
		}
	}
	switch (k->type) {
	case FWT_KEY_EC_P256: snprintf(k->desc, sizeof(k->desc), "ec-p256"); break;
	case FWT_KEY_EC_P384: snprintf(k->desc, sizeof(k->desc), "ec-p384"); break;
	case FWT_KEY_EC_P521: snprintf(k->desc, sizeof(k->desc), "ec-p521"); break;
	case FWT_KEY_RSA: snprintf(k->desc, sizeof(k->desc), "rsa-%u", k->bits); break;
	default: snprintf(k->desc, sizeof(k->desc), "%s", EVP_PKEY_get0_type_name(pkey) ?
	                  EVP_PKEY_get0_type_name(pkey) : "unknown"); break;
	}
	if (cert)
		k->subject = fwt__x509_subject(cert);
	if (spki)
		k->has_fp = fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, spki, spki_len, k->fp) == FWT_OK;
	else if (EVP_PKEY_is_a(pkey, "RSA-PSS"))
		k->has_fp = fwt__rsa_plain_fingerprint(ctx, pkey, k->fp) == FWT_OK;
	if (EVP_PKEY_is_a(pkey, "RSA-PSS")) {
		unsigned char *der = NULL;
		int len = i2d_PUBKEY(pkey, &der);
		k->has_fp_as_encoded = len > 0 && fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, der, (size_t)len,
		                                                     k->fp_as_encoded) == FWT_OK;
		OPENSSL_free(der);
	}
	else
		k->has_fp = fwt_pubkey_fingerprint(k, k->fp) == FWT_OK;
	*out = k;
	return FWT_OK;
}

int fwt__pubkey_fingerprint_as_encoded(const fwt_pubkey *k, unsigned char out[32])
{
	if (!k || !k->has_fp_as_encoded)
		return 0;
	memcpy(out, k->fp_as_encoded, 32);
	return 1;
}

fwt_pubkey *fwt_pubkey_ref(fwt_pubkey *k)
{
	if (k)
		__atomic_fetch_add(&k->refs, 1, __ATOMIC_RELAXED);
	return k;
}

void fwt_pubkey_free(fwt_pubkey *k)
{
	if (!k || __atomic_sub_fetch(&k->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	vctx_free_all(k->pool);
	fwt__ecfast_free(k->ecfast);
	pthread_mutex_destroy(&k->pool_mu);
	EVP_PKEY_free(k->pkey);
	X509_free(k->cert);
	free(k->name);
	free(k->subject);
	free(k->jwk_use);
	free(k->jwk_alg_name);
	free(k);
}

/* The extended key usages that let a key sign firmware, reports and
 * reference values: anyExtendedKeyUsage, id-kp-codeSigning and
 * id-kp-documentSigning (RFC 9336). */
static int eku_signs_data(X509 *x)
{
	static const char *const ok[] = { "2.5.29.37.0", "1.3.6.1.5.5.7.3.3", "1.3.6.1.5.5.7.3.36" };
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	char oid[80];
	int i, found = 0;
	size_t j;

	for (i = 0; eku && !found && i < sk_ASN1_OBJECT_num(eku); i++) {
		if (OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1) <= 0)
			continue;
		for (j = 0; j < FWT_ARRAY_LEN(ok); j++)
			found |= !strcmp(oid, ok[j]);
	}
	EXTENDED_KEY_USAGE_free(eku);
	ERR_clear_error();
	return found;
}

int fwt__x509_signs_data(X509 *x, int purpose)
{
	uint32_t fl = X509_get_extension_flags(x);

	if (fl & EXFLAG_INVALID)
		return FWT_X509_BAD_EXTENSION;
	if (purpose && (fl & EXFLAG_CRITICAL))
		return FWT_X509_UNHANDLED_CRITICAL;
	if ((fl & EXFLAG_KUSAGE) && !(X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE))
		return FWT_X509_NO_DIGITAL_SIGNATURE;
	if (purpose && (fl & EXFLAG_XKUSAGE) && !eku_signs_data(x))
		return FWT_X509_EKU;
	return 0;
}

/* Append an OID to buf: its short name when OpenSSL has one, else dotted. */
static void put_oid(char *buf, size_t cap, const ASN1_OBJECT *o)
{
	char oid[80];
	size_t n = strlen(buf);
	int nid = OBJ_obj2nid(o);

	if (nid != NID_undef && OBJ_nid2sn(nid))
		snprintf(oid, sizeof(oid), "%s", OBJ_nid2sn(nid));
	else if (OBJ_obj2txt(oid, sizeof(oid), o, 1) <= 0)
		snprintf(oid, sizeof(oid), "?");
	if (n + 2 + strlen(oid) + 4 >= cap) {
		if (n + 4 < cap && (n < 3 || strcmp(buf + n - 3, "...")))
			snprintf(buf + n, cap - n, "%s...", n ? ", " : "");
		return;
	}
	snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", oid);
}

void fwt__x509_eku_text(X509 *x, char *buf, size_t cap)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	int i;

	if (!cap)
		return;
	buf[0] = '\0';
	for (i = 0; eku && i < sk_ASN1_OBJECT_num(eku); i++)
		put_oid(buf, cap, sk_ASN1_OBJECT_value(eku, i));
	if (!buf[0])
		snprintf(buf, cap, "nothing");
	EXTENDED_KEY_USAGE_free(eku);
	ERR_clear_error();
}

char *fwt__x509_subject(X509 *x)
{
	BIO *b = x ? BIO_new(BIO_s_mem()) : NULL;
	char *p = NULL, *out = NULL;
	long n;

	if (b && X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_get_mem_data(b, &p)) >= 0)
		out = fwt__strndup(p ? p : "", (size_t)n);
	BIO_free(b);
	return out;
}

void fwt__x509_critical_text(X509 *x, char *buf, size_t cap)
{
	int i;

	if (!cap)
		return;
	buf[0] = '\0';
	for (i = 0; i < X509_get_ext_count(x); i++) {
		X509_EXTENSION *ex = X509_get_ext(x, i);
		if (X509_EXTENSION_get_critical(ex) && !X509_supported_extension(ex))
			put_oid(buf, cap, X509_EXTENSION_get_object(ex));
	}
}

fwt_err fwt__pubkey_may_sign(fwt_ctx *ctx, const fwt_pubkey *k)
{
	char what[256];

	if (!k)
		return FWT_OK;
	switch (k->cert ? fwt__x509_signs_data(k->cert, 1) : 0) {
	case FWT_X509_BAD_EXTENSION:
		return fwt__error(ctx, FWT_EVERIFY, "certificate '%s' has an invalid extension", k->name);
	case FWT_X509_UNHANDLED_CRITICAL:
		fwt__x509_critical_text(k->cert, what, sizeof(what));
		return fwt__error(ctx, FWT_EVERIFY, "certificate '%s' may not sign data: it has a critical extension "
		                  "fwtrail does not handle (%s)", k->name, what);
	case FWT_X509_NO_DIGITAL_SIGNATURE:
		return fwt__error(ctx, FWT_EVERIFY, "certificate '%s' may not sign data: its key usage does not "
		                  "include digitalSignature", k->name);
	case FWT_X509_EKU:
		fwt__x509_eku_text(k->cert, what, sizeof(what));
		return fwt__error(ctx, FWT_EVERIFY, "certificate '%s' may not sign data: its extended key usage allows "
		                  "only %s (not codeSigning, documentSigning or anyExtendedKeyUsage)", k->name, what);
	default:
		break;
	}
	if (k->jwk_use && strcmp(k->jwk_use, "sig")) {
		fwt__quote(what, sizeof(what), k->jwk_use, strlen(k->jwk_use));
		return fwt__error(ctx, FWT_EVERIFY, "key '%s' may not verify signatures: its JWK 'use' is '%s', not "
		                  "'sig'", k->name, what);
	}
	if (k->jwk_ops < 0)
		return fwt__error(ctx, FWT_EVERIFY, "key '%s' may not verify signatures: its JWK 'key_ops' does not "
		                  "include 'verify'", k->name);
	return FWT_OK;
}

fwt_sig_alg fwt__pubkey_jwk_alg(const fwt_pubkey *k) { return k ? k->jwk_alg : FWT_SIG_NONE; }

fwt_err fwt__pubkey_alg_allowed(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg)
{
	char q[64 * 4 + 8];

	if (!k || !k->jwk_alg_name || (k->jwk_alg != FWT_SIG_NONE && k->jwk_alg == alg))
		return FWT_OK;
	/* RSASSA-PKCS1-v1_5, which fwtrail verifies for TPM quotes only, has
	 * JOSE names and no fwtrail one */
	if ((alg == FWT_SIG_TPM_RSASSA_SHA256 && !strcmp(k->jwk_alg_name, "RS256")) ||
	    (alg == FWT_SIG_TPM_RSASSA_SHA384 && !strcmp(k->jwk_alg_name, "RS384")))
		return FWT_OK;
	fwt__quote(q, sizeof(q), k->jwk_alg_name, strlen(k->jwk_alg_name));
	return fwt__error(ctx, FWT_EVERIFY, "key '%s' may not verify %s signatures: its JWK 'alg' is '%s'", k->name,
	                  fwt_sig_alg_name(alg) ? fwt_sig_alg_name(alg) : "these", q);
}

fwt_err fwt__pubkey_alg_like(fwt_ctx *ctx, const fwt_pubkey *e, fwt_sig_alg alg, const fwt_pubkey *k)
{
	char q[64 * 4 + 8];

	if (!e || !e->jwk_alg_name)
		return FWT_OK;
	if (alg != FWT_SIG_NONE)
		return fwt__pubkey_alg_allowed(ctx, e, alg);
	/* not told: k verified, so its own "alg" (if any) was the one */
	if (e == k || (k && k->jwk_alg_name && !strcmp(k->jwk_alg_name, e->jwk_alg_name)))
		return FWT_OK;
	fwt__quote(q, sizeof(q), e->jwk_alg_name, strlen(e->jwk_alg_name));
	return fwt__error(ctx, FWT_EVERIFY, "key '%s' verifies only %s signatures (its JWK 'alg')", e->name, q);
}

fwt_key_type fwt_pubkey_type(const fwt_pubkey *k) { return k ? k->type : FWT_KEY_UNKNOWN; }
unsigned fwt_pubkey_bits(const fwt_pubkey *k) { return k ? k->bits : 0; }
const char *fwt_pubkey_describe(const fwt_pubkey *k) { return k ? k->desc : ""; }
const char *fwt_pubkey_name(const fwt_pubkey *k) { return k ? k->name : ""; }
int fwt_pubkey_has_cert(const fwt_pubkey *k) { return k && k->cert; }
const char *fwt_pubkey_cert_subject(const fwt_pubkey *k) { return k ? k->subject : NULL; }

fwt_sig_alg fwt_pubkey_default_alg(const fwt_pubkey *k)
{
	switch (fwt_pubkey_type(k)) {
	case FWT_KEY_EC_P256: return FWT_SIG_ES256;
	case FWT_KEY_EC_P384: return FWT_SIG_ES384;
	case FWT_KEY_EC_P521: return FWT_SIG_ES512;
	case FWT_KEY_RSA:
		if (k->bits == 3072)
			return FWT_SIG_PS384;
		if (k->bits == 4096)
			return FWT_SIG_PS512;
		return FWT_SIG_NONE;
	default: return FWT_SIG_NONE;
	}
}

fwt_err fwt_pubkey_check_alg(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg)
{
	const struct sig_info *s = sinfo(alg);

	if (!k || !s)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "unsupported signature algorithm");
	if (s->curve != k->type)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "algorithm %s does not fit key '%s' (%s)", s->name,
		                  k->name, k->desc);
	if (k->type == FWT_KEY_RSA && k->bits < 2048)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "RSA key '%s' is too small (%u bits)", k->name, k->bits);
	return FWT_OK;
}

fwt_err fwt_pubkey_spki(const fwt_pubkey *k, unsigned char **out, size_t *len)
{
	unsigned char *p = NULL;
	int n;

	if (!k || !out)
		return k ? fwt__error(k->ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_spki") : FWT_EINVAL;
	n = i2d_PUBKEY(k->pkey, &p);
	if (n <= 0)
		return fwt__error_ossl(k->ctx, FWT_ECRYPTO, "cannot encode key '%s'", k->name);
	*out = malloc((size_t)n);
	if (!*out) {
		OPENSSL_free(p);
		return fwt__enomem(k->ctx);
	}
	memcpy(*out, p, (size_t)n);
	OPENSSL_free(p);
	if (len)
		*len = (size_t)n;
	return FWT_OK;
}

fwt_err fwt_pubkey_pem(const fwt_pubkey *k, char **out, size_t *len)
{
	EVP_PKEY *plain;
	BIO *b;
	char *p = NULL;
	long n;

	if (!k || !out)
		return k ? fwt__error(k->ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_pem") : FWT_EINVAL;
	/* an RSA-PSS-typed key in its canonical rsaEncryption form: the one
	 * whose SHA-256 is its fingerprint */
	plain = EVP_PKEY_is_a(k->pkey, "RSA-PSS") ? rsa_plain(k->ctx, k->pkey) : NULL;
	b = BIO_new(BIO_s_mem());
	if (!b || (EVP_PKEY_is_a(k->pkey, "RSA-PSS") && !plain) || !PEM_write_bio_PUBKEY(b, plain ? plain : k->pkey)) {
		BIO_free(b);
		EVP_PKEY_free(plain);
		return fwt__error_ossl(k->ctx, FWT_ECRYPTO, "cannot encode key '%s'", k->name);
	}
	EVP_PKEY_free(plain);
	n = BIO_get_mem_data(b, &p);
	*out = n >= 0 ? fwt__strndup(p, (size_t)n) : NULL;
	BIO_free(b);
	if (!*out)
		return fwt__enomem(k->ctx);
	if (len)
		*len = (size_t)n;
	return FWT_OK;
}

fwt_err fwt_pubkey_fingerprint(const fwt_pubkey *k, unsigned char out[32])
{
	unsigned char *der;
	size_t n;
	fwt_err err;

	if (k && k->has_fp) {
		memcpy(out, k->fp, 32);
		return FWT_OK;
	}
	err = fwt_pubkey_spki(k, &der, &n);
	if (err)
		return err;
	err = fwt_digest_oneshot(k->ctx, FWT_DIGEST_SHA256, der, n, out);
	free(der);
	return err;
}

fwt_err fwt_pubkey_cert_der(const fwt_pubkey *k, unsigned char **out, size_t *len)
{
	unsigned char *p = NULL;
	int n;

	if (!k || !out || !len)
		return k ? fwt__error(k->ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_cert_der") : FWT_EINVAL;
	*out = NULL;
	*len = 0;
	if (!k->cert)
		return fwt__error(k->ctx, FWT_ENOTFOUND, "key '%s' has no certificate", k->name);
	n = i2d_X509(k->cert, &p);
	if (n <= 0)
		return fwt__error_ossl(k->ctx, FWT_ECRYPTO, "cannot encode certificate");
	*out = malloc((size_t)n);
	if (!*out) {
		OPENSSL_free(p);
		return fwt__enomem(k->ctx);
	}
	memcpy(*out, p, (size_t)n);
	OPENSSL_free(p);
	*len = (size_t)n;
	return FWT_OK;
}

/* Big-endian bytes of a BIGNUM parameter, left-padded to width (0: minimal). */
static fwt_err bn_param(const fwt_pubkey *k, const char *param, size_t width, unsigned char **out,
                        size_t *len)
{
	BIGNUM *bn = NULL;
	size_t n;

	if (!EVP_PKEY_get_bn_param(k->pkey, param, &bn))
		return fwt__error_ossl(k->ctx, FWT_ECRYPTO, "cannot read key '%s'", k->name);
	n = width ? width : (size_t)BN_num_bytes(bn);
	*out = malloc(n ? n : 1);
	if (!*out || BN_bn2binpad(bn, *out, (int)n) < 0) {
		BN_free(bn);
		free(*out);
		*out = NULL;
		return fwt__error(k->ctx, FWT_ECRYPTO, "cannot read key '%s'", k->name);
	}
	BN_free(bn);
	*len = n;
	return FWT_OK;
}

static char *b64u_dup(const unsigned char *p, size_t n)
{
	char *s = malloc(fwt_b64url_encoded_len(n) + 1);
	if (s)
		fwt_b64url_encode(s, p, n);
	return s;
}

fwt_err fwt_pubkey_jwk(const fwt_pubkey *k, char **out)
{
	unsigned char *a = NULL, *b = NULL;
	size_t an = 0, bn = 0, width;
	char *sa = NULL, *sb = NULL, *s = NULL;
	const char *crv;
	size_t cap;
	fwt_err err;

	if (!k || !out)
		return k ? fwt__error(k->ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_jwk") : FWT_EINVAL;
	*out = NULL;
	if (k->type == FWT_KEY_RSA) {
		err = bn_param(k, OSSL_PKEY_PARAM_RSA_E, 0, &a, &an);
		if (!err)
			err = bn_param(k, OSSL_PKEY_PARAM_RSA_N, 0, &b, &bn);
	} else if (k->type == FWT_KEY_EC_P256 || k->type == FWT_KEY_EC_P384 || k->type == FWT_KEY_EC_P521) {
		width = k->type == FWT_KEY_EC_P256 ? 32 : k->type == FWT_KEY_EC_P384 ? 48 : 66;
		err = bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, width, &a, &an);
		if (!err)
			err = bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, width, &b, &bn);
	} else {
		return fwt__error(k->ctx, FWT_EUNSUPPORTED, "key '%s' (%s) has no JWK form", k->name, k->desc);
	}
	if (err)
		goto out;
	sa = b64u_dup(a, an);
	sb = b64u_dup(b, bn);
	if (!sa || !sb) {
		err = fwt__enomem(k->ctx);
		goto out;
	}
	cap = strlen(sa) + strlen(sb) + 64;
	s = malloc(cap);
	if (!s) {
		err = fwt__enomem(k->ctx);
		goto out;
	}
	/* RFC 7638: required members only, lexical order, no whitespace */
	if (k->type == FWT_KEY_RSA) {
		snprintf(s, cap, "{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}", sa, sb);
	} else {
		crv = k->type == FWT_KEY_EC_P256 ? "P-256" : k->type == FWT_KEY_EC_P384 ? "P-384" : "P-521";
		snprintf(s, cap, "{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", crv, sa, sb);
	}
	*out = s;
	s = NULL;
out:
	free(a);
	free(b);
	free(sa);
	free(sb);
	free(s);
	return err;
}

fwt_err fwt_pubkey_jwk_thumbprint(const fwt_pubkey *k, char out[44])
{
	unsigned char h[32];
	char *jwk;
	fwt_err err;

	err = fwt_pubkey_jwk(k, &jwk);
	if (err)
		return err;
	err = fwt_digest_oneshot(k->ctx, FWT_DIGEST_SHA256, jwk, strlen(jwk), h);
	free(jwk);
	if (err)
		return err;
	fwt_b64url_encode(out, h, 32);
	return FWT_OK;
}

/* ---- loading ---- */

size_t fwt__pem_count(const void *buf, size_t len, int private_keys)
{
	const char *p = buf, *end = p + len, *b, *eol;
	size_t n = 0;

	while ((b = memmem(p, (size_t)(end - p), "-----BEGIN ", 11)) != NULL) {
		b += 11;
		eol = memmem(b, (size_t)(end - b), "-----", 5);
		if (!eol)
			break;
		/* the label: "PUBLIC KEY", "CERTIFICATE", "EC PRIVATE KEY", ... */
		if (private_keys ? (size_t)(eol - b) >= 11 && !memcmp(eol - 11, "PRIVATE KEY", 11)
		                 : (size_t)(eol - b) >= 10 && (!memcmp(eol - 10, "PUBLIC KEY", 10) ||
		                                               ((size_t)(eol - b) >= 11 && !memcmp(eol - 11, "CERTIFICATE", 11))))
			n++;
		p = eol + 5;
	}
	return n;
}

/* The point is on its curve (the NIST curves have cofactor 1, so that is
 * the whole check: the full check's n*Q costs a scalar multiplication per
 * trusted key); RSA keys get the full check. */
static fwt_err check_public(fwt_ctx *ctx, EVP_PKEY *pkey, const char *name)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_pkey(fwt__libctx(ctx), pkey, fwt__propq(ctx));
	int ok = pc && (EVP_PKEY_is_a(pkey, "EC") ? EVP_PKEY_public_check_quick(pc) : EVP_PKEY_public_check(pc)) == 1;

	EVP_PKEY_CTX_free(pc);
	if (!ok)
		return fwt__error_ossl(ctx, FWT_EFORMAT, "'%s' is not a valid public key", name);
	return FWT_OK;
}

static fwt_err from_cert(fwt_ctx *ctx, fwt_pubkey **out, X509 *x, const char *name)
{
	EVP_PKEY *pkey = X509_get_pubkey(x);
	fwt_err err;

	if (!pkey) {
		X509_free(x);
		return fwt__error_ossl(ctx, FWT_EFORMAT, "cannot read the key in certificate '%s'", name);
	}
	err = check_public(ctx, pkey, name);
	if (err) {
		EVP_PKEY_free(pkey);
		X509_free(x);
		return err;
	}
	return fwt__pubkey_wrap(ctx, out, pkey, x, name);
}

static fwt_err decode_key(fwt_ctx *ctx, fwt_pubkey **out, const unsigned char *buf, size_t len,
                          const char *format, const char *name)
{
	OSSL_DECODER_CTX *dc;
	EVP_PKEY *pkey = NULL;
	const unsigned char *p = buf;
	size_t left = len;
	fwt_err err;

	dc = OSSL_DECODER_CTX_new_for_pkey(&pkey, format, NULL, NULL, EVP_PKEY_PUBLIC_KEY,
	                                   fwt__libctx(ctx), fwt__propq(ctx));
	if (!dc)
		return fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot set up a key decoder");
	if (!OSSL_DECODER_from_data(dc, &p, &left) || !pkey) {
		OSSL_DECODER_CTX_free(dc);
		EVP_PKEY_free(pkey);
		return fwt__error_ossl(ctx, FWT_EFORMAT, "'%s' is not a public key, certificate or JWK", name);
	}
	OSSL_DECODER_CTX_free(dc);
	err = check_public(ctx, pkey, name);
	if (err) {
		EVP_PKEY_free(pkey);
		return err;
	}
	return fwt__pubkey_wrap(ctx, out, pkey, NULL, name);
}

/*
 * The usual trusted key, a named-curve EC key with an uncompressed point,
 * read without OpenSSL's generic decoder (which tries each decoder it has,
 * at ten times the cost).  Only the exact DER that OpenSSL itself writes
 * for P-256, P-384 and P-521 is taken here; anything else returns NULL and
 * goes to the decoder.  The point is checked on the curve by the import.
 */
static EVP_PKEY *ec_spki(fwt_ctx *ctx, const unsigned char *der, size_t len)
{
	static const unsigned char ec_public_key[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
	static const struct {
		unsigned char oid[8];
		size_t oidlen, width;
		const char *group;
	} curves[] = {
		{ { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 }, 8, 32, "P-256" },
		{ { 0x2b, 0x81, 0x04, 0x00, 0x22 }, 5, 48, "P-384" },
		{ { 0x2b, 0x81, 0x04, 0x00, 0x23 }, 5, 66, "P-521" },
	};
	struct fwt_der_in in = { der, der + len }, spki, alg, bits, oid, curve;
	const unsigned char *start;
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *pc;
	EVP_PKEY *pkey = NULL;
	size_t i;

	if (fwt__der_expect(&in, DER_SEQUENCE, &spki, &start) || !fwt__der_empty(&in) ||
	    fwt__der_expect(&spki, DER_SEQUENCE, &alg, &start) ||
	    fwt__der_expect(&spki, DER_BITSTRING, &bits, &start) || !fwt__der_empty(&spki) ||
	    fwt__der_expect(&alg, DER_OID, &oid, &start) || fwt__der_expect(&alg, DER_OID, &curve, &start) ||
	    !fwt__der_empty(&alg) || fwt__der_left(&oid) != sizeof(ec_public_key) ||
	    memcmp(oid.p, ec_public_key, sizeof(ec_public_key)))
		return NULL;
	for (i = 0; i < FWT_ARRAY_LEN(curves); i++)
		if (fwt__der_left(&curve) == curves[i].oidlen && !memcmp(curve.p, curves[i].oid, curves[i].oidlen))
			break;
	/* no unused bits, then 04 || x || y */
	if (i == FWT_ARRAY_LEN(curves) || fwt__der_left(&bits) != 2 + 2 * curves[i].width || bits.p[0] != 0 ||
	    bits.p[1] != 0x04)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)curves[i].group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)(bits.p + 1),
	                                              1 + 2 * curves[i].width);
	params[2] = OSSL_PARAM_construct_end();
	pc = EVP_PKEY_CTX_new_from_name(fwt__libctx(ctx), "EC", fwt__propq(ctx));
	if (!pc || EVP_PKEY_fromdata_init(pc) <= 0 || EVP_PKEY_fromdata(pc, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	EVP_PKEY_CTX_free(pc);
	ERR_clear_error();
	return pkey;
}

fwt_err fwt_pubkey_from_spki(fwt_ctx *ctx, fwt_pubkey **out, const void *der, size_t len, const char *name)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey;
	fwt_err err;

	if (!out || !der)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_from_spki");
	*out = NULL;
	if (len > 65536)
		return fwt__error(ctx, FWT_EFORMAT, "key '%s' is too large", name);
	pkey = ec_spki(ctx, der, len);
	if (pkey) {
		err = check_public(ctx, pkey, name);
		if (err) {
			EVP_PKEY_free(pkey);
			return err;
		}
		return wrap_key(ctx, out, pkey, NULL, name, der, len);
	}
	pkey = d2i_PUBKEY_ex(NULL, &p, (long)len, fwt__libctx(ctx), fwt__propq(ctx));
	if (!pkey || p != (const unsigned char *)der + len) {
		EVP_PKEY_free(pkey);
		return fwt__error_ossl(ctx, FWT_EFORMAT, "'%s' is not a DER SubjectPublicKeyInfo", name);
	}
	err = check_public(ctx, pkey, name);
	if (err) {
		EVP_PKEY_free(pkey);
		return err;
	}
	return fwt__pubkey_wrap(ctx, out, pkey, NULL, name);
}

/* The common case, one plain "PUBLIC KEY" block, without OpenSSL's
 * generic decoder (which tries every decoder it has, at about twice the
 * cost per key and a millisecond more for the first): 1 with *out set, or
 * 0 to leave anything else, and any failure, to the decoder. */
static int spki_pem(fwt_ctx *ctx, fwt_pubkey **out, const char *s, size_t len, const char *name)
{
	static const char begin[] = "-----BEGIN PUBLIC KEY-----", end[] = "-----END PUBLIC KEY-----";
	unsigned char *der = NULL, b64[8192];
	const char *p = s, *stop = s + len, *e;
	size_t n = 0, dlen = 0;
	int ok = 0;

	while (p < stop && isspace((unsigned char)*p))
		p++;
	if ((size_t)(stop - p) < sizeof(begin) - 1 || memcmp(p, begin, sizeof(begin) - 1))
		return 0;
	p += sizeof(begin) - 1;
	e = memmem(p, (size_t)(stop - p), end, sizeof(end) - 1);
	if (!e)
		return 0;
	for (; p < e; p++) {
		if (*p == '\n' || *p == '\r')
			continue;
		if (n == sizeof(b64) || !(isalnum((unsigned char)*p) || *p == '+' || *p == '/' || *p == '='))
			return 0; /* headers, spaces, a huge key: the decoder's business */
		b64[n++] = (unsigned char)*p;
	}
	for (p = e + sizeof(end) - 1; p < stop; p++)
		if (!isspace((unsigned char)*p))
			return 0; /* more after the block */
	der = malloc(n / 4 * 3 + 3);
	if (der && fwt_b64_decode(der, n / 4 * 3 + 3, (const char *)b64, n, &dlen) == FWT_OK &&
	    fwt_pubkey_from_spki(ctx, out, der, dlen, name) == FWT_OK)
		ok = 1;
	else
		fwt_ctx_clear_error(ctx);
	free(der);
	return ok;
}

fwt_err fwt_pubkey_parse(fwt_ctx *ctx, fwt_pubkey **out, const void *buf, size_t len, const char *name)
{
	const char *s = buf;
	size_t i = 0, blocks;

	if (!out || !buf)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_parse");
	*out = NULL;
	if (!name)
		name = "(key)";
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	if (i < len && s[i] == '{')
		return fwt_pubkey_from_jwk(ctx, out, s, len, name);
	if (memmem(buf, len, "PRIVATE KEY-----", 16))
		return fwt__error(ctx, FWT_EINVAL, "'%s' holds a private key; give the public key instead", name);
	if ((blocks = fwt__pem_count(buf, len, 0)) > 1)
		return fwt__error(ctx, FWT_EFORMAT, "'%s' holds %zu keys or certificates where one is expected (not a "
		                  "chain): give a file with one", name, blocks);
	if (memmem(buf, len, "-----BEGIN CERTIFICATE-----", 27) ||
	    memmem(buf, len, "-----BEGIN TRUSTED CERTIFICATE-----", 35)) {
		BIO *b = BIO_new_mem_buf(buf, (int)len);
		X509 *x = X509_new_ex(fwt__libctx(ctx), fwt__propq(ctx));
		if (!b || !x || !PEM_read_bio_X509_AUX(b, &x, NULL, NULL)) {
			BIO_free(b);
			X509_free(x);
			return fwt__error_ossl(ctx, FWT_EFORMAT, "cannot read certificate '%s'", name);
		}
		BIO_free(b);
		/* OpenSSL's trust settings ("accept for", "reject for") say
		 * what the key may vouch for; fwtrail does not apply them, and
		 * must not read a key its owner rejected for signing as
		 * trusted: only a TRUSTED CERTIFICATE without them is read */
		if (sk_ASN1_OBJECT_num(X509_get0_trust_objects(x)) > 0 ||
		    sk_ASN1_OBJECT_num(X509_get0_reject_objects(x)) > 0) {
			X509_free(x);
			return fwt__error(ctx, FWT_EUNSUPPORTED, "certificate '%s' carries OpenSSL trust settings (uses "
			                  "accepted or rejected), which fwtrail does not apply: give it without them "
			                  "(openssl x509 -in FILE -out PLAIN.pem)", name);
		}
		return from_cert(ctx, out, x, name);
	}
	if (memmem(buf, len, "-----BEGIN", 10))
		return spki_pem(ctx, out, buf, len, name) ? FWT_OK : decode_key(ctx, out, buf, len, "PEM", name);
	/* DER: a certificate, or a key */
	{
		const unsigned char *p = buf;
		X509 *x = X509_new_ex(fwt__libctx(ctx), fwt__propq(ctx));
		if (x && d2i_X509(&x, &p, (long)len) && p == (const unsigned char *)buf + len)
			return from_cert(ctx, out, x, name);
		X509_free(x);
		ERR_clear_error();
	}
	return decode_key(ctx, out, buf, len, "DER", name);
}

fwt_err fwt_pubkey_load(fwt_ctx *ctx, fwt_pubkey **out, const char *path)
{
	unsigned char *buf;
	size_t len;
	fwt_err err;

	if (!out || !path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_load");
	*out = NULL;
	err = fwt_read_file(ctx, path, KEY_FILE_CAP, &buf, &len);
	if (err)
		return err;
	if (fwt__p11_has_pin_value(path)) { /* never a PIN in a key's name */
		char hidden[1024];
		fwt__p11_hide_pin(hidden, sizeof(hidden), path);
		err = fwt_pubkey_parse(ctx, out, buf, len, hidden);
	} else {
		err = fwt_pubkey_parse(ctx, out, buf, len, path);
	}
	OPENSSL_cleanse(buf, len);
	free(buf);
	return err;
}

/* base64url member of a JWK, of exactly want bytes (0: any length). */
static fwt_err jwk_member(fwt_ctx *ctx, json_t *o, const char *m, size_t want, unsigned char **out,
                          size_t *len, const char *name)
{
	json_t *v = json_object_get(o, m);
	const char *s;
	size_t sl, n;

	if (!json_is_string(v))
		return fwt__error(ctx, FWT_EFORMAT, "JWK '%s': member '%s' missing or not a string", name, m);
	s = json_string_value(v);
	sl = json_string_length(v);
	*out = malloc(sl * 3 / 4 + 1);
	if (!*out)
		return fwt__enomem(ctx);
	if (fwt_b64url_decode(*out, sl * 3 / 4 + 1, s, sl, &n) != FWT_OK || (want && n != want) || !n) {
		free(*out);
		*out = NULL;
		return fwt__error(ctx, FWT_EFORMAT, "JWK '%s': member '%s' is not valid base64url%s", name, m,
		                  want ? " of the right length" : "");
	}
	*len = n;
	return FWT_OK;
}

/* The names of the IANA "JSON Web Signature and Encryption Algorithms"
 * registry (RFC 7518 7.1, RFC 8037, RFC 8812, RFC 9864), with the key type
 * ("kty") each is for ("EC|OKP": either).  Names are case-sensitive. */
static const struct {
	const char *name, *kty;
} jose_algs[] = {
	{ "HS256", "oct" }, { "HS384", "oct" }, { "HS512", "oct" },
	{ "RS256", "RSA" }, { "RS384", "RSA" }, { "RS512", "RSA" }, { "RS1", "RSA" },
	{ "ES256", "EC" }, { "ES384", "EC" }, { "ES512", "EC" }, { "ES256K", "EC" },
	{ "ESP256", "EC" }, { "ESP384", "EC" }, { "ESP512", "EC" },
	{ "PS256", "RSA" }, { "PS384", "RSA" }, { "PS512", "RSA" },
	{ "EdDSA", "OKP" }, { "Ed25519", "OKP" }, { "Ed448", "OKP" },
	{ "none", "none" },
	{ "RSA1_5", "RSA" }, { "RSA-OAEP", "RSA" }, { "RSA-OAEP-256", "RSA" }, { "RSA-OAEP-384", "RSA" },
	{ "RSA-OAEP-512", "RSA" },
	{ "A128KW", "oct" }, { "A192KW", "oct" }, { "A256KW", "oct" }, { "dir", "oct" },
	{ "A128GCMKW", "oct" }, { "A192GCMKW", "oct" }, { "A256GCMKW", "oct" },
	{ "PBES2-HS256+A128KW", "oct" }, { "PBES2-HS384+A192KW", "oct" }, { "PBES2-HS512+A256KW", "oct" },
	{ "ECDH-ES", "EC|OKP" }, { "ECDH-ES+A128KW", "EC|OKP" }, { "ECDH-ES+A192KW", "EC|OKP" },
	{ "ECDH-ES+A256KW", "EC|OKP" },
	{ "A128CBC-HS256", "oct" }, { "A192CBC-HS384", "oct" }, { "A256CBC-HS512", "oct" },
	{ "A128GCM", "oct" }, { "A192GCM", "oct" }, { "A256GCM", "oct" },
};

/* The registry's entry for a, exactly (NULL: none); *near the one a
 * differs from in letter case alone, when there is one. */
static int jose_alg_find(const char *a, const char **kty, const char **near)
{
	size_t i;

	*near = NULL;
	for (i = 0; i < FWT_ARRAY_LEN(jose_algs); i++) {
		if (!strcmp(a, jose_algs[i].name)) {
			*kty = jose_algs[i].kty;
			return 1;
		}
		if (!strcasecmp(a, jose_algs[i].name))
			*near = jose_algs[i].name;
	}
	return 0;
}

static int kty_in(const char *fam, const char *kty)
{
	size_t n = strlen(kty);
	const char *p = fam;

	for (;;) {
		if (!strncmp(p, kty, n) && (p[n] == '|' || !p[n]))
			return 1;
		if (!(p = strchr(p, '|')))
			return 0;
		p++;
	}
}

/* What a JWK says its key is for (RFC 7517 4.2-4.4): "use" and "alg" (kept
 * as given), and "key_ops" (*ops 1 when it lists "verify", -1 when not, 0
 * when absent).  An "alg" of another key type than kty fails the load. */
static fwt_err jwk_restrictions(fwt_ctx *ctx, json_t *o, const char *name, const char *kty, char **use, int *ops,
                                char **alg)
{
	json_t *u = json_object_get(o, "use"), *kops = json_object_get(o, "key_ops"), *a = json_object_get(o, "alg"), *v;
	const char *fam, *near;
	char q[64 * 4 + 8];
	size_t i;

	if (u) {
		if (!json_is_string(u))
			return fwt__error(ctx, FWT_EFORMAT, "JWK '%s': member 'use' is not a string", name);
		*use = fwt__strndup(json_string_value(u), json_string_length(u));
		if (!*use)
			return fwt__enomem(ctx);
	}
	if (kops) {
		if (!json_is_array(kops))
			return fwt__error(ctx, FWT_EFORMAT, "JWK '%s': member 'key_ops' is not an array", name);
		*ops = -1;
		json_array_foreach(kops, i, v) {
			if (!json_is_string(v))
				return fwt__error(ctx, FWT_EFORMAT, "JWK '%s': member 'key_ops' holds a %s, not a string",
				                  name, fwt_json_type_name(v));
			if (!strcmp(json_string_value(v), "verify"))
				*ops = 1;
		}
	}
	if (a) {
		if (!json_is_string(a) || !json_string_length(a) || strlen(json_string_value(a)) != json_string_length(a))
			return fwt__error(ctx, FWT_EFORMAT, "JWK '%s': member 'alg' is not a string", name);
		fwt__quote(q, sizeof(q), json_string_value(a), json_string_length(a));
		/* a name a JOSE library would not know ("es512") makes a key
		 * for nothing: refused, as an alg of the wrong key is */
		if (!jose_alg_find(json_string_value(a), &fam, &near))
			return fwt__error(ctx, FWT_EFORMAT, "JWK '%s': its 'alg' '%s' is not a JOSE algorithm name%s%s%s",
			                  name, q, near ? " (names are case-sensitive: '" : " (RFC 7518)",
			                  near ? near : "", near ? "'?)" : "");
		if (!kty_in(fam, kty))
			return fwt__error(ctx, FWT_EFORMAT, "JWK '%s': its 'alg' '%s' is not for a key of type %s", name, q,
			                  kty);
		*alg = fwt__strndup(json_string_value(a), json_string_length(a));
		if (!*alg)
			return fwt__enomem(ctx);
	}
	return FWT_OK;
}

fwt_err fwt_pubkey_from_jwk(fwt_ctx *ctx, fwt_pubkey **out, const char *json, size_t len, const char *name)
{
	json_error_t jerr;
	json_t *o;
	const char *kty, *crv;
	unsigned char *a = NULL, *b = NULL, *pt = NULL;
	size_t an, bn, w = 0;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pc = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *bnn = NULL, *bne = NULL;
	fwt_err err = FWT_OK;
	static const char *const private_members[] = { "d", "p", "q", "dp", "dq", "qi", "oth", "k" };
	/* a certificate itself, or where to fetch it (a thumbprint alone,
	 * x5t, names one but brings none: the key is as bare as without) */
	static const char *const cert_members[] = { "x5c", "x5u" };
	fwt_sig_alg alg = FWT_SIG_NONE;
	char *use = NULL, *alg_name = NULL;
	int ops = 0;
	size_t i;

	if (!out || !json)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_from_jwk");
	*out = NULL;
	o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		return fwt__error(ctx, FWT_EFORMAT, "JWK '%s' is not a JSON object: %s", name, jerr.text);
	}
	for (i = 0; i < FWT_ARRAY_LEN(private_members); i++)
		if (json_object_get(o, private_members[i])) {
			err = fwt__error(ctx, FWT_EINVAL, "JWK '%s' holds a private key (member '%s'); give the public key "
			                 "instead", name, private_members[i]);
			goto out;
		}
	/* a key bound to a certificate (RFC 7517 4.6-4.7) would be taken as
	 * a bare key, its certificate's dates and key usage never checked */
	for (i = 0; i < FWT_ARRAY_LEN(cert_members); i++)
		if (json_object_get(o, cert_members[i])) {
			err = fwt__error(ctx, FWT_EUNSUPPORTED, "JWK '%s' is bound to a certificate (member '%s'), which "
			                 "fwtrail does not check there: give the certificate itself (PEM)", name,
			                 cert_members[i]);
			goto out;
		}
	kty = json_string_value(json_object_get(o, "kty"));
	if (!kty && json_is_array(json_object_get(o, "keys"))) {
		/* a JWK Set (RFC 7517 5): which of its keys is meant is the
		 * trust store's to say, one key a file, as for PEM */
		size_t nk = json_array_size(json_object_get(o, "keys"));
		err = fwt__error(ctx, FWT_EFORMAT, "'%s' is a JWK Set (%zu key%s under \"keys\"), not a JWK: give each key "
		                 "as a JWK in a file of its own", name, nk, nk == 1 ? "" : "s");
		goto out;
	}
	if (!kty) {
		err = fwt__error(ctx, FWT_EFORMAT, "JWK '%s' has no 'kty'", name);
		goto out;
	}
	err = jwk_restrictions(ctx, o, name, kty, &use, &ops, &alg_name);
	if (err)
		goto out;
	bld = OSSL_PARAM_BLD_new();
	if (!bld) {
		err = fwt__enomem(ctx);
		goto out;
	}
	if (!strcmp(kty, "EC")) {
		const char *group;
		crv = json_string_value(json_object_get(o, "crv"));
		if (crv && !strcmp(crv, "P-256")) {
			w = 32; group = "prime256v1";
		} else if (crv && !strcmp(crv, "P-384")) {
			w = 48; group = "secp384r1";
		} else if (crv && !strcmp(crv, "P-521")) {
			w = 66; group = "secp521r1";
		} else {
			err = fwt__error(ctx, FWT_EUNSUPPORTED, "JWK '%s': unsupported curve", name);
			goto out;
		}
		err = jwk_member(ctx, o, "x", w, &a, &an, name);
		if (!err)
			err = jwk_member(ctx, o, "y", w, &b, &bn, name);
		if (err)
			goto out;
		pt = malloc(1 + 2 * w);
		if (!pt) {
			err = fwt__enomem(ctx);
			goto out;
		}
		pt[0] = 0x04;
		memcpy(pt + 1, a, w);
		memcpy(pt + 1 + w, b, w);
		if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
		    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, 1 + 2 * w)) {
			err = fwt__error_ossl(ctx, FWT_ECRYPTO, "JWK '%s'", name);
			goto out;
		}
		pc = EVP_PKEY_CTX_new_from_name(fwt__libctx(ctx), "EC", fwt__propq(ctx));
	} else if (!strcmp(kty, "RSA")) {
		err = jwk_member(ctx, o, "n", 0, &a, &an, name);
		if (!err)
			err = jwk_member(ctx, o, "e", 0, &b, &bn, name);
		if (err)
			goto out;
		if (a[0] == 0 || b[0] == 0) {
			err = fwt__error(ctx, FWT_EFORMAT, "JWK '%s': RSA members have leading zeros", name);
			goto out;
		}
		bnn = BN_bin2bn(a, (int)an, NULL);
		bne = BN_bin2bn(b, (int)bn, NULL);
		if (!bnn || !bne || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bnn) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bne)) {
			err = fwt__error_ossl(ctx, FWT_ECRYPTO, "JWK '%s'", name);
			goto out;
		}
		pc = EVP_PKEY_CTX_new_from_name(fwt__libctx(ctx), "RSA", fwt__propq(ctx));
	} else {
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "JWK '%s': unsupported key type", name);
		goto out;
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!pc || !params || EVP_PKEY_fromdata_init(pc) <= 0 ||
	    EVP_PKEY_fromdata(pc, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		err = fwt__error_ossl(ctx, FWT_EFORMAT, "JWK '%s' is not a valid public key", name);
		goto out;
	}
	err = check_public(ctx, pkey, name);
	if (err)
		goto out;
	err = fwt__pubkey_wrap(ctx, out, pkey, NULL, name);
	pkey = NULL;
	if (err)
		goto out;
	/* an algorithm of fwtrail's must fit the key; any other name leaves
	 * the key for an algorithm fwtrail does not verify: it verifies
	 * nothing (fwt__pubkey_alg_allowed) */
	if (alg_name && fwt_sig_alg_from_name(alg_name, strlen(alg_name), &alg) == FWT_OK &&
	    sinfo(alg)->curve != (*out)->type) {
		err = fwt__error(ctx, FWT_EFORMAT, "JWK '%s': its 'alg' %s does not fit its key (%s)", name,
		                 fwt_sig_alg_name(alg), (*out)->desc);
		goto out;
	}
	(*out)->jwk_alg = alg;
	(*out)->jwk_alg_name = alg_name;
	alg_name = NULL;
	(*out)->jwk_ops = ops;
	(*out)->jwk_use = use;
	use = NULL;
out:
	if (err && out && *out) {
		fwt_pubkey_free(*out);
		*out = NULL;
	}
	free(use);
	free(alg_name);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(pc);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bnn);
	BN_free(bne);
	free(a);
	free(b);
	free(pt);
	json_decref(o);
	return err;
}

/* ---- ECDSA encodings ---- */

/* Curve orders, big-endian. */
static const unsigned char order_p256[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51 };
static const unsigned char order_p384[48] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
	0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73 };
static const unsigned char order_p521[66] = {
	0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b, 0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09,
	0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c, 0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38,
	0x64, 0x09 };

static const unsigned char *curve_order(size_t n)
{
	return n == 32 ? order_p256 : n == 48 ? order_p384 : n == 66 ? order_p521 : NULL;
}

/* 1 <= v < order, v big-endian of n bytes. */
static int in_range(const unsigned char *v, const unsigned char *order, size_t n)
{
	size_t i;
	int nonzero = 0;

	for (i = 0; i < n; i++)
		nonzero |= v[i];
	if (!nonzero)
		return 0;
	return memcmp(v, order, n) < 0;
}

/* Strict DER length at p (limit end); returns bytes used or 0. */
static size_t der_len(const unsigned char *p, const unsigned char *end, size_t *len)
{
	if (p >= end)
		return 0;
	if (p[0] < 0x80) {
		*len = p[0];
		return 1;
	}
	if (p[0] == 0x81 && end - p >= 2 && p[1] >= 0x80) {
		*len = p[1];
		return 2;
	}
	return 0; /* longer forms are never needed here */
}

/* Strict DER INTEGER, positive, minimal, at most n value bytes, into out[n]. */
static size_t der_int(const unsigned char *p, const unsigned char *end, size_t n, unsigned char *out)
{
	const unsigned char *start = p;
	size_t l, h;

	if (p >= end || *p++ != 0x02)
		return 0;
	h = der_len(p, end, &l);
	if (!h)
		return 0;
	p += h;
	if (l == 0 || (size_t)(end - p) < l)
		return 0;
	if (p[0] & 0x80)
		return 0; /* negative */
	if (l > 1 && p[0] == 0 && !(p[1] & 0x80))
		return 0; /* not minimal */
	if (p[0] == 0) {
		p++;
		l--;
	}
	if (l > n)
		return 0;
	memset(out, 0, n - l);
	memcpy(out + n - l, p, l);
	return (size_t)(p + l - start);
}

fwt_err fwt_ecdsa_der_to_raw(const unsigned char *der, size_t derlen, size_t n, unsigned char *raw)
{
	const unsigned char *p = der, *end = der + derlen;
	size_t l, h, k;

	if (!der || !raw || !n)
		return FWT_EINVAL;
	if (derlen < 2 || *p++ != 0x30)
		return FWT_EFORMAT;
	h = der_len(p, end, &l);
	if (!h)
		return FWT_EFORMAT;
	p += h;
	if ((size_t)(end - p) != l)
		return FWT_EFORMAT;
	k = der_int(p, end, n, raw);
	if (!k)
		return FWT_EFORMAT;
	p += k;
	k = der_int(p, end, n, raw + n);
	if (!k)
		return FWT_EFORMAT;
	p += k;
	return p == end ? FWT_OK : FWT_EFORMAT;
}

static size_t put_int(unsigned char *o, const unsigned char *v, size_t n)
{
	size_t i = 0, l, w = 0;

	while (i < n - 1 && v[i] == 0)
		i++;
	l = n - i;
	o[w++] = 0x02;
	if (v[i] & 0x80) {
		o[w++] = (unsigned char)(l + 1);
		o[w++] = 0;
	} else {
		o[w++] = (unsigned char)l;
	}
	memcpy(o + w, v + i, l);
	return w + l;
}

fwt_err fwt_ecdsa_raw_to_der(const unsigned char *raw, size_t rawlen, unsigned char **der, size_t *derlen)
{
	unsigned char body[2 * 70], *o;
	size_t n = rawlen / 2, bl, w = 0;

	if (!raw || !der || rawlen % 2 || n == 0 || n > 66)
		return FWT_EINVAL;
	bl = put_int(body, raw, n);
	bl += put_int(body + bl, raw + n, n);
	o = malloc(bl + 3);
	if (!o)
		return FWT_ENOMEM;
	o[w++] = 0x30;
	if (bl >= 0x80)
		o[w++] = 0x81;
	o[w++] = (unsigned char)bl;
	memcpy(o + w, body, bl);
	*der = o;
	*derlen = w + bl;
	return FWT_OK;
}

/* ---- verification ---- */

/* s describes the algorithm as used with k: the curve and hash of an
 * fwt_sig_alg, or (fwt_sig_verify_ecdsa) k's curve with another hash.  The
 * caller has checked that it fits k. */
/* A context ready to verify a digest made with s's hash under k: from k's
 * pool, or new.  NULL with ctx's error set. */
static struct vctx *vctx_take(fwt_ctx *ctx, const fwt_pubkey *k, const struct sig_info *s)
{
	fwt_pubkey *kk = (fwt_pubkey *)k; /* the pool is the only part that changes */
	struct vctx **pp, *v = NULL;
	const char *mdname = md_ossl_name(s->md);

	pthread_mutex_lock(&kk->pool_mu);
	for (pp = &kk->pool; *pp; pp = &(*pp)->next)
		if ((*pp)->md_alg == s->md && (*pp)->pkcs1 == s->pkcs1 && (*pp)->ec == (s->ecsize != 0)) {
			v = *pp;
			*pp = v->next;
			kk->pooled--;
			break;
		}
	pthread_mutex_unlock(&kk->pool_mu);
	if (v)
		return v;
	/* a key typed RSA-PSS may forbid this hash: unsupported, not a
	 * failed start */
	if (!s->ecsize && !s->pkcs1 && fwt__pss_params_allow(ctx, k->pkey, k->name, s->md) != FWT_OK)
		return NULL;
	v = calloc(1, sizeof(*v));
	if (!v) {
		fwt__enomem(ctx);
		return NULL;
	}
	v->md_alg = s->md;
	v->pkcs1 = s->pkcs1;
	v->ec = s->ecsize != 0;
	v->md = EVP_MD_fetch(fwt__libctx(ctx), mdname, fwt__propq(ctx));
	v->pctx = EVP_PKEY_CTX_new_from_pkey(fwt__libctx(ctx), k->pkey, fwt__propq(ctx));
	if (!v->md || !v->pctx || EVP_PKEY_verify_init(v->pctx) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(v->pctx, v->md) <= 0 ||
	    (s->pkcs1 && EVP_PKEY_CTX_set_rsa_padding(v->pctx, RSA_PKCS1_PADDING) <= 0) ||
	    (!s->ecsize && !s->pkcs1 &&
	     (EVP_PKEY_CTX_set_rsa_padding(v->pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	      EVP_PKEY_CTX_set_rsa_pss_saltlen(v->pctx, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
	      EVP_PKEY_CTX_set_rsa_mgf1_md_name(v->pctx, mdname, NULL) <= 0))) {
		fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot start %s verification", s->name);
		vctx_free_all(v);
		return NULL;
	}
	return v;
}

/* After a failed RSA-PSS check: 1 if the signature holds with a salt of
 * any length, so that the message can name the one rule it breaks (a
 * signer set to the largest salt, as some tools are by default).  It is
 * still refused. */
/* One RSA-PSS verify of dg under k with alg's hash for the hash and MGF1,
 * and the given salt length rule: 1 if the signature holds. */
static int pss_holds(fwt_ctx *ctx, const fwt_pubkey *k, const char *mdname, int saltlen, const unsigned char *dg,
                     size_t dglen, const unsigned char *sig, size_t siglen)
{
	EVP_MD *md = EVP_MD_fetch(fwt__libctx(ctx), mdname, fwt__propq(ctx));
	EVP_PKEY_CTX *pc = md ? EVP_PKEY_CTX_new_from_pkey(fwt__libctx(ctx), k->pkey, fwt__propq(ctx)) : NULL;
	int ok = pc && EVP_PKEY_verify_init(pc) > 0 && EVP_PKEY_CTX_set_signature_md(pc, md) > 0 &&
	         EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
	         EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, saltlen) > 0 &&
	         EVP_PKEY_CTX_set_rsa_mgf1_md_name(pc, mdname, NULL) > 0 &&
	         EVP_PKEY_verify(pc, sig, siglen, dg, dglen) == 1;

	EVP_PKEY_CTX_free(pc);
	EVP_MD_free(md);
	ERR_clear_error();
	return ok;
}

int fwt__pss_other_salt(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg, const unsigned char *dg, size_t dglen,
                        const unsigned char *sig, size_t siglen)
{
	const struct sig_info *s = sinfo(alg);
	const char *mdname = s && !s->ecsize && !s->pkcs1 && k ? md_ossl_name(s->md) : NULL;

	/* a signature good with the right salt failed for another reason
	 * (a key not allowed this algorithm, say): not a salt problem */
	return mdname && fwt_pubkey_type(k) == FWT_KEY_RSA &&
	       !pss_holds(ctx, k, mdname, RSA_PSS_SALTLEN_DIGEST, dg, dglen, sig, siglen) &&
	       pss_holds(ctx, k, mdname, RSA_PSS_SALTLEN_AUTO, dg, dglen, sig, siglen);
}

/* A P-384 or P-521 key's table for ecfast.c; NULL when there is none (the
 * verify then goes through EVP).  A P-521 table costs a third of a verify
 * and is made at the key's first verify; a P-384 one costs about five
 * verifies, and is made at the FWT__ECFAST_P384_AT-th (a key used a few
 * times never pays for it). */
static const fwt__ecfast *ecfast_of(fwt_ctx *ctx, const fwt_pubkey *k)
{
	fwt_pubkey *kk = (fwt_pubkey *)k; /* made once, then only read */
	const fwt__ecfast *f;

	if (k->type != FWT_KEY_EC_P521 && k->type != FWT_KEY_EC_P384)
		return NULL;
	pthread_mutex_lock(&kk->pool_mu);
	if (kk->verifies < FWT__ECFAST_P384_AT)
		kk->verifies++;
	if (!kk->ecfast_tried && (k->type == FWT_KEY_EC_P521 || kk->verifies >= FWT__ECFAST_P384_AT)) {
		kk->ecfast = fwt__ecfast_new(fwt__libctx(ctx), k->pkey);
		kk->ecfast_tried = 1;
	}
	f = kk->ecfast;
	pthread_mutex_unlock(&kk->pool_mu);
	return f;
}

static void vctx_give(const fwt_pubkey *k, struct vctx *v)
{
	fwt_pubkey *kk = (fwt_pubkey *)k;

	pthread_mutex_lock(&kk->pool_mu);
	if (kk->pooled < VCTX_POOL_MAX) {
		v->next = kk->pool;
		kk->pool = v;
		kk->pooled++;
		v = NULL;
	}
	pthread_mutex_unlock(&kk->pool_mu);
	vctx_free_all(v);
}

static fwt_err verify_core(fwt_ctx *ctx, const fwt_pubkey *k, const struct sig_info *s, fwt_sig_encoding enc,
                           const void *msg, size_t msglen, int prehashed, const unsigned char *sig,
                           size_t siglen)
{
	unsigned char raw[132], *der = NULL, dg[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	size_t derlen = 0, n = 0;
	struct vctx *v = NULL;
	const fwt__ecfast *f = NULL;
	fwt_err err = FWT_OK;
	int rc;

	if (prehashed && msglen != fwt_digest_size(s->md))
		return fwt__error(ctx, FWT_EINVAL, "digest length does not fit %s", s->name);
	if (s->ecsize) {
		n = s->ecsize;
		if (enc == FWT_SIG_RAW) {
			if (siglen != 2 * n)
				return fwt__error(ctx, FWT_EVERIFY, "%s signature must be %zu bytes, not %zu", s->name,
				                  2 * n, siglen);
			memcpy(raw, sig, 2 * n);
		} else if (fwt_ecdsa_der_to_raw(sig, siglen, n, raw) != FWT_OK) {
			return fwt__error(ctx, FWT_EVERIFY, "%s signature is not a valid DER ECDSA signature", s->name);
		}
		if (!in_range(raw, curve_order(n), n) || !in_range(raw + n, curve_order(n), n))
			return fwt__error(ctx, FWT_EVERIFY, "%s signature has r or s out of range", s->name);
		if (fwt_ecdsa_raw_to_der(raw, 2 * n, &der, &derlen) != FWT_OK)
			return fwt__enomem(ctx);
		sig = der;
		siglen = derlen;
	} else if (siglen != (size_t)EVP_PKEY_get_size(k->pkey)) {
		return fwt__error(ctx, FWT_EVERIFY, "%s signature must be %d bytes, not %zu", s->name,
		                  EVP_PKEY_get_size(k->pkey), siglen);
	}
	v = vctx_take(ctx, k, s);
	if (!v) {
		err = fwt_ctx_errcode(ctx);
		goto out;
	}
	if (!prehashed) {
		if (EVP_Digest(msg, msglen, dg, &dlen, v->md, NULL) != 1) {
			err = fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot hash for %s verification", s->name);
			goto out;
		}
		msg = dg;
		msglen = dlen;
	}
	if ((s->ecsize == 66 || s->ecsize == 48) && (f = ecfast_of(ctx, k)) != NULL)
		rc = fwt__ecfast_verify(f, msg, msglen, raw, raw + n, n);
	else
		rc = EVP_PKEY_verify(v->pctx, sig, siglen, msg, msglen);
	ERR_clear_error();
	if (rc < 0 && f) {
		err = fwt__error(ctx, FWT_ECRYPTO, "cannot compute the %s verification", s->name);
		goto out;
	}
	if (rc == 1)
		err = FWT_OK;
	else if (!s->ecsize && !s->pkcs1 && fwt__pss_other_salt(ctx, k, s->alg, msg, msglen, sig, siglen))
		err = fwt__error(ctx, FWT_EVERIFY,
		                 "%s signature by key '%s' has a PSS salt other than %zu bytes (the hash length %s requires)",
		                 s->name, k->name, fwt_digest_size(s->md), s->name);
	else
		err = fwt__error(ctx, FWT_EVERIFY, "%s signature does not verify with key '%s': made by another key, "
		                 "or over other data", s->name, k->name);
out:
	if (v)
		vctx_give(k, v);
	free(der);
	return err;
}

static fwt_err verify_checked(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg, fwt_sig_encoding enc,
                              const void *msg, size_t msglen, int prehashed, const unsigned char *sig,
                              size_t siglen)
{
	const struct sig_info *s = sinfo(alg);
	fwt_err err;

	if (!k || !s || (!msg && msglen) || (!sig && siglen) || (enc != FWT_SIG_RAW && enc != FWT_SIG_DER))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to signature verification");
	err = fwt_pubkey_check_alg(ctx, k, alg);
	if (!err)
		err = fwt__pubkey_alg_allowed(ctx, k, alg);
	if (err)
		return err;
	return verify_core(ctx, k, s, enc, msg, msglen, prehashed, sig, siglen);
}

fwt_err fwt_sig_verify(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg, fwt_sig_encoding enc,
                       const void *tbs, size_t tbslen, const unsigned char *sig, size_t siglen)
{
	return verify_checked(ctx, k, alg, enc, tbs, tbslen, 0, sig, siglen);
}

fwt_err fwt_sig_verify_digest(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg, fwt_sig_encoding enc,
                              const unsigned char *digest, size_t dlen, const unsigned char *sig,
                              size_t siglen)
{
	return verify_checked(ctx, k, alg, enc, digest, dlen, 1, sig, siglen);
}

fwt_err fwt_sig_verify_ecdsa(fwt_ctx *ctx, const fwt_pubkey *k, fwt_sig_alg alg, fwt_sig_encoding enc,
                             const void *tbs, size_t tbslen, const unsigned char *sig, size_t siglen)
{
	const struct sig_info *s = sinfo(alg), *curve = sinfo(fwt_pubkey_default_alg(k));
	struct sig_info mixed;

	if (!k || !s || !s->ecsize || (!tbs && tbslen) || (!sig && siglen) ||
	    (enc != FWT_SIG_RAW && enc != FWT_SIG_DER))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to signature verification");
	if (!curve || !curve->ecsize)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "algorithm %s does not fit key '%s' (%s)", s->name, k->name,
		                  k->desc);
	if (fwt__pubkey_alg_allowed(ctx, k, alg) != FWT_OK)
		return FWT_EVERIFY;
	mixed = *curve;   /* the key's curve and signature size ... */
	mixed.md = s->md; /* ... with the hash alg names */
	mixed.name = s->name;
	return verify_core(ctx, k, &mixed, enc, tbs, tbslen, 0, sig, siglen);
}
