/* SPDX-License-Identifier: Apache-2.0 */
/* quote.c - TPM 2.0 quotes (TPMS_ATTEST + TPMT_SIGNATURE, TPM 2.0 Library
 * Part 2 sections 10.12 and 11.3; TPM2_Quote, Part 3 section 18.4) and
 * their check against replayed PCR values (RELIABILITY E6); the public
 * area of the attestation key (TPM2B_PUBLIC / TPMT_PUBLIC, Part 2 section
 * 12.2), whose attributes say whether the magic proves anything.
 *
 * Both structures are big-endian and sized by the TPM; every size read is
 * compared with the structure's maximum and the bytes left before it is
 * used, and nothing may follow them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/param_build.h>
#include <fwtrail/io.h>
#include <fwtrail/quote.h>
#include <fwtrail/trust.h>
#include "internal.h"
#include "key_internal.h"
#include "sig_internal.h"
#include "banned.h"

/* ---- a bounded big-endian reader ---- */

struct rd {
	fwt_ctx *ctx;
	const unsigned char *p;
	size_t len, off;
	const char *what; /* "quote" or "signature" */
};

static fwt_err short_at(struct rd *r, size_t need, const char *field)
{
	return fwt__error(r->ctx, FWT_EFORMAT, "'%s': %s at offset %zu needs %zu bytes, %zu left", r->what, field,
	                  r->off, need, r->len - r->off);
}

static fwt_err rd_u(struct rd *r, size_t n, uint64_t *v, const char *field)
{
	size_t i;

	if (r->len - r->off < n)
		return short_at(r, n, field);
	*v = 0;
	for (i = 0; i < n; i++)
		*v = (*v << 8) | r->p[r->off + i];
	r->off += n;
	return FWT_OK;
}

/* A TPM2B: a 16-bit size (at most max) and that many bytes into out. */
static fwt_err rd_2b(struct rd *r, unsigned char *out, size_t max, size_t *got, const char *field)
{
	uint64_t n;
	size_t at = r->off;
	fwt_err err = rd_u(r, 2, &n, field);

	if (err)
		return err;
	if (n > max)
		return fwt__error(r->ctx, FWT_EFORMAT, "'%s': %s at offset %zu is %u bytes, more than %zu", r->what, field,
		                  at, (unsigned)n, max);
	if (r->len - r->off < n)
		return short_at(r, (size_t)n, field);
	memcpy(out, r->p + r->off, (size_t)n);
	*got = (size_t)n;
	r->off += (size_t)n;
	return FWT_OK;
}

static fwt_err rd_end(struct rd *r)
{
	if (r->off != r->len)
		return fwt__error(r->ctx, FWT_EFORMAT, "'%s': %zu trailing bytes at offset %zu", r->what,
		                  r->len - r->off, r->off);
	return FWT_OK;
}

/* ---- TPMS_ATTEST ---- */

static fwt_err attest_parse(fwt_ctx *ctx, const void *buf, size_t len, fwt_tpm_attest *a, const char *name)
{
	struct rd r = { ctx, buf, len, 0, name };
	uint64_t v;
	size_t i, at;
	fwt_err err;

	if (!a || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to TPM attestation parsing");
	memset(a, 0, sizeof(*a));
	if (len > FWT_TPM_QUOTE_MAX_SIZE)
		return fwt__error(ctx, FWT_EFORMAT, "'%s': %zu bytes, more than %u", name, len, FWT_TPM_QUOTE_MAX_SIZE);
	if ((err = rd_u(&r, 4, &v, "magic")))
		return err;
	a->magic = (uint32_t)v;
	if ((err = rd_u(&r, 2, &v, "type")))
		return err;
	a->type = (unsigned)v;
	if ((err = rd_2b(&r, a->signer, sizeof(a->signer), &a->signer_len, "qualifiedSigner")) ||
	    (err = rd_2b(&r, a->extra, sizeof(a->extra), &a->extra_len, "extraData")) ||
	    (err = rd_u(&r, 8, &a->clock, "clockInfo.clock")))
		return err;
	if ((err = rd_u(&r, 4, &v, "clockInfo.resetCount")))
		return err;
	a->reset_count = (uint32_t)v;
	if ((err = rd_u(&r, 4, &v, "clockInfo.restartCount")))
		return err;
	a->restart_count = (uint32_t)v;
	at = r.off;
	if ((err = rd_u(&r, 1, &v, "clockInfo.safe")))
		return err;
	if (v > 1)
		return fwt__error(ctx, FWT_EFORMAT, "'%s': clockInfo.safe at offset %zu is %u, not 0 or 1", name, at,
		                  (unsigned)v);
	a->safe = (int)v;
	if ((err = rd_u(&r, 8, &a->firmware_version, "firmwareVersion")))
		return err;
	if (a->type != FWT_TPM_ST_ATTEST_QUOTE)
		return FWT_OK; /* another attestation: the verifier says no */
	a->is_quote = 1;
	at = r.off;
	if ((err = rd_u(&r, 4, &v, "pcrSelect.count")))
		return err;
	if (v > FWT_TPM_QUOTE_MAX_BANKS)
		return fwt__error(ctx, FWT_EFORMAT, "'%s': pcrSelect.count at offset %zu is %llu, more than %u", name, at,
		                  (unsigned long long)v, FWT_TPM_QUOTE_MAX_BANKS);
	a->n_sel = (size_t)v;
	for (i = 0; i < a->n_sel; i++) {
		fwt_tpm_pcr_selection *s = &a->sel[i];
		size_t k;
		if ((err = rd_u(&r, 2, &v, "pcrSelections.hash")))
			return err;
		s->hash_id = (unsigned)v;
		if (fwt_digest_from_tcg_id(s->hash_id, &s->alg) != FWT_OK)
			s->alg = 0;
		at = r.off;
		if ((err = rd_u(&r, 1, &v, "pcrSelections.sizeofSelect")))
			return err;
		if (v > FWT_TPM_SELECT_MAX)
			return fwt__error(ctx, FWT_EFORMAT, "'%s': sizeofSelect at offset %zu is %u, more than %u", name, at,
			                  (unsigned)v, FWT_TPM_SELECT_MAX);
		s->size_of_select = (unsigned)v;
		if (r.len - r.off < s->size_of_select)
			return short_at(&r, s->size_of_select, "pcrSelections.pcrSelect");
		for (k = 0; k < s->size_of_select; k++)
			s->mask |= (uint32_t)r.p[r.off + k] << (8 * k);
		r.off += s->size_of_select;
	}
	if ((err = rd_2b(&r, a->pcr_digest, sizeof(a->pcr_digest), &a->pcr_digest_len, "pcrDigest")))
		return err;
	return rd_end(&r);
}

fwt_err fwt_tpm_attest_parse(fwt_ctx *ctx, const void *buf, size_t len, fwt_tpm_attest *a)
{
	return attest_parse(ctx, buf, len, a, "quote");
}

/* ---- TPMT_SIGNATURE ---- */

static fwt_err signature_parse(fwt_ctx *ctx, const void *buf, size_t len, fwt_tpm_signature *s, const char *name)
{
	struct rd r = { ctx, buf, len, 0, name };
	uint64_t v;
	fwt_err err;

	if (!s || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to TPM signature parsing");
	memset(s, 0, sizeof(*s));
	if (len > FWT_TPM_QUOTE_MAX_SIZE)
		return fwt__error(ctx, FWT_EFORMAT, "'%s': %zu bytes, more than %u", name, len, FWT_TPM_QUOTE_MAX_SIZE);
	if ((err = rd_u(&r, 2, &v, "sigAlg")))
		return err;
	s->sig_alg = (unsigned)v;
	if (s->sig_alg != FWT_TPM_ALG_RSASSA && s->sig_alg != FWT_TPM_ALG_RSAPSS && s->sig_alg != FWT_TPM_ALG_ECDSA)
		return fwt__error(ctx, FWT_EUNSUPPORTED,
		                  "'%s': signature scheme 0x%04x at offset 0 is not supported (use ECDSA, RSASSA or RSAPSS)",
		                  name, s->sig_alg);
	if ((err = rd_u(&r, 2, &v, "hash")))
		return err;
	s->hash_id = (unsigned)v;
	if (fwt_digest_from_tcg_id(s->hash_id, &s->hash) != FWT_OK)
		s->hash = 0;
	if (s->sig_alg == FWT_TPM_ALG_ECDSA) {
		if ((err = rd_2b(&r, s->r, sizeof(s->r), &s->r_len, "signatureR")) ||
		    (err = rd_2b(&r, s->s, sizeof(s->s), &s->s_len, "signatureS")))
			return err;
	} else if ((err = rd_2b(&r, s->rsa, sizeof(s->rsa), &s->rsa_len, "sig"))) {
		return err;
	}
	return rd_end(&r);
}

fwt_err fwt_tpm_signature_parse(fwt_ctx *ctx, const void *buf, size_t len, fwt_tpm_signature *s)
{
	return signature_parse(ctx, buf, len, s, "signature");
}

/* ---- TPM2B_PUBLIC / TPMT_PUBLIC ---- */

#define ALG_AES 0x0006u
#define ALG_SM4 0x0013u
#define ALG_CAMELLIA 0x0026u
#define ALG_KEYEDHASH 0x0008u
#define ALG_SYMCIPHER 0x0025u

static const char *alg_name(unsigned a)
{
	switch (a) {
	case FWT_TPM_ALG_RSASSA: return "RSASSA";
	case FWT_TPM_ALG_RSAPSS: return "RSAPSS";
	case FWT_TPM_ALG_ECDSA: return "ECDSA";
	case 0x0015: return "RSAES";
	case 0x0017: return "OAEP";
	case 0x0019: return "ECDH";
	case 0x001a: return "ECDAA";
	case 0x001b: return "SM2";
	case 0x001c: return "ECSCHNORR";
	case 0x001d: return "ECMQV";
	}
	return NULL;
}

/* Read a u16 TPM_ALG_ID (or curve) field; at is set to its offset. */
static fwt_err rd_alg(struct rd *r, unsigned *v, size_t *at, const char *field)
{
	uint64_t x;
	fwt_err err;

	*at = r->off;
	err = rd_u(r, 2, &x, field);
	*v = (unsigned)x;
	return err;
}

static fwt_err unsupported_at(struct rd *r, const char *field, unsigned v, size_t at, const char *hint)
{
	return fwt__error(r->ctx, FWT_EUNSUPPORTED, "'%s': %s 0x%04x at offset %zu is not supported (%s)", r->what,
	                  field, v, at, hint);
}

/* TPMT_SYM_DEF_OBJECT: TPM_ALG_NULL, or a block cipher with its key size and mode. */
static fwt_err rd_symmetric(struct rd *r)
{
	unsigned a;
	size_t at;
	uint64_t v;
	fwt_err err;

	if ((err = rd_alg(r, &a, &at, "parameters.symmetric.algorithm")))
		return err;
	if (a == FWT_TPM_ALG_NULL)
		return FWT_OK;
	if (a != ALG_AES && a != ALG_SM4 && a != ALG_CAMELLIA)
		return unsupported_at(r, "parameters.symmetric.algorithm", a, at, "a signing key's is TPM_ALG_NULL");
	if ((err = rd_u(r, 2, &v, "parameters.symmetric.keyBits")) || (err = rd_u(r, 2, &v, "parameters.symmetric.mode")))
		return err;
	return FWT_OK;
}

/* TPMT_RSA_SCHEME / TPMT_ECC_SCHEME: the scheme and its hash (ECDAA adds a
 * count, RSAES has no details). */
static fwt_err rd_scheme(struct rd *r, fwt_tpm_public *p)
{
	static const unsigned rsa[] = { FWT_TPM_ALG_RSASSA, FWT_TPM_ALG_RSAPSS, 0x0015, 0x0017 };
	static const unsigned ecc[] = { FWT_TPM_ALG_ECDSA, 0x0019, 0x001a, 0x001b, 0x001c, 0x001d };
	const unsigned *list = p->type == FWT_TPM_ALG_RSA ? rsa : ecc;
	size_t n = p->type == FWT_TPM_ALG_RSA ? FWT_ARRAY_LEN(rsa) : FWT_ARRAY_LEN(ecc), i, at;
	uint64_t v;
	fwt_err err;

	if ((err = rd_alg(r, &p->scheme, &at, "parameters.scheme.scheme")))
		return err;
	if (p->scheme == FWT_TPM_ALG_NULL)
		return FWT_OK;
	for (i = 0; i < n && list[i] != p->scheme; i++)
		;
	if (i == n)
		return unsupported_at(r, "parameters.scheme.scheme", p->scheme, at,
		                      p->type == FWT_TPM_ALG_RSA ? "not an RSA scheme fwtrail reads" :
		                                                  "not an ECC scheme fwtrail reads");
	if (p->scheme == 0x0015)
		return FWT_OK;
	if ((err = rd_alg(r, &p->scheme_hash, &at, "parameters.scheme.details.hashAlg")))
		return err;
	if (p->scheme == 0x001a && (err = rd_u(r, 2, &v, "parameters.scheme.details.count")))
		return err;
	return FWT_OK;
}

/* TPMT_KDF_SCHEME: TPM_ALG_NULL, or MGF1 or a KDF with its hash. */
static fwt_err rd_kdf(struct rd *r)
{
	unsigned a, h;
	size_t at;
	fwt_err err;

	if ((err = rd_alg(r, &a, &at, "parameters.kdf.scheme")))
		return err;
	if (a == FWT_TPM_ALG_NULL)
		return FWT_OK;
	if (a != 0x0007 && a != 0x0020 && a != 0x0021 && a != 0x0022)
		return unsupported_at(r, "parameters.kdf.scheme", a, at, "not a KDF fwtrail reads");
	return rd_alg(r, &h, &at, "parameters.kdf.details.hashAlg");
}

/* A TPM2B of 1 to max bytes (an ECC coordinate, an RSA modulus). */
static fwt_err rd_2b_some(struct rd *r, unsigned char *out, size_t max, size_t *got, const char *field)
{
	size_t at = r->off;
	fwt_err err = rd_2b(r, out, max, got, field);

	if (!err && !*got)
		return fwt__error(r->ctx, FWT_EFORMAT, "'%s': %s at offset %zu is empty", r->what, field, at);
	return err;
}

/* The key of the public area as an OpenSSL key: EC from the group and the
 * point, RSA from n and e. */
static EVP_PKEY *tpm_key(fwt_ctx *ctx, const fwt_tpm_public *p, const unsigned char *a, size_t alen,
                         const unsigned char *b, size_t blen, uint32_t exponent)
{
	unsigned char point[1 + 2 * 48];
	size_t w = p->bits / 8;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pc = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	int ok = bld != NULL;

	if (ok && p->type == FWT_TPM_ALG_ECC) {
		memset(point, 0, sizeof(point));
		point[0] = 0x04; /* uncompressed; coordinates left-padded to the curve */
		memcpy(point + 1 + w - alen, a, alen);
		memcpy(point + 1 + 2 * w - blen, b, blen);
		ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
		                                     p->curve == FWT_TPM_ECC_NIST_P256 ? "P-256" : "P-384", 0) &&
		     OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * w);
	} else if (ok) {
		ok = (n = BN_bin2bn(a, (int)alen, NULL)) && (e = BN_new()) && BN_set_word(e, exponent) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
	}
	ok = ok && (params = OSSL_PARAM_BLD_to_param(bld)) &&
	     (pc = EVP_PKEY_CTX_new_from_name(fwt__libctx(ctx), p->type == FWT_TPM_ALG_ECC ? "EC" : "RSA",
	                                      fwt__propq(ctx))) &&
	     EVP_PKEY_fromdata_init(pc) > 0 && EVP_PKEY_fromdata(pc, &pkey, EVP_PKEY_PUBLIC_KEY, params) > 0;
	EVP_PKEY_CTX_free(pc);
	pc = NULL;
	/* the point on the curve; a modulus and exponent RSA accepts */
	if (ok)
		ok = (pc = EVP_PKEY_CTX_new_from_pkey(fwt__libctx(ctx), pkey, fwt__propq(ctx))) &&
		     (p->type == FWT_TPM_ALG_ECC ? EVP_PKEY_public_check_quick(pc) : EVP_PKEY_public_check(pc)) == 1;
	EVP_PKEY_CTX_free(pc);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	if (!ok) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return pkey;
}

/* TPMT_PUBLIC from r's offset to r->len. */
static fwt_err tpmt_public(struct rd *r, fwt_tpm_public *p, fwt_pubkey **out)
{
	unsigned char policy[64], a[512], b[48];
	size_t plen, alen = 0, blen = 0, at;
	uint64_t v;
	uint32_t exponent = 0;
	EVP_PKEY *pkey;
	fwt_err err;

	if ((err = rd_alg(r, &p->type, &at, "type")))
		return err;
	if (p->type == ALG_KEYEDHASH || p->type == ALG_SYMCIPHER)
		return fwt__error(r->ctx, FWT_EUNSUPPORTED, "'%s': type 0x%04x at offset %zu is a %s object, not an "
		                  "asymmetric key (use an ECC or RSA attestation key)", r->what, p->type, at,
		                  p->type == ALG_KEYEDHASH ? "keyedhash" : "symcipher");
	if (p->type != FWT_TPM_ALG_ECC && p->type != FWT_TPM_ALG_RSA)
		return unsupported_at(r, "type", p->type, at, "use an ECC or RSA attestation key");
	if ((err = rd_alg(r, &p->name_alg, &at, "nameAlg")) || (err = rd_u(r, 4, &v, "objectAttributes")))
		return err;
	p->attributes = (uint32_t)v;
	if ((err = rd_2b(r, policy, sizeof(policy), &plen, "authPolicy")) || (err = rd_symmetric(r)) ||
	    (err = rd_scheme(r, p)))
		return err;
	if (p->type == FWT_TPM_ALG_RSA) {
		if ((err = rd_alg(r, &p->bits, &at, "parameters.rsaDetail.keyBits")))
			return err;
		if (p->bits != 2048 && p->bits != 3072 && p->bits != 4096)
			return fwt__error(r->ctx, FWT_EUNSUPPORTED, "'%s': RSA keyBits %u at offset %zu is not supported "
			                  "(use 2048, 3072 or 4096)", r->what, p->bits, at);
		if ((err = rd_u(r, 4, &v, "parameters.rsaDetail.exponent")))
			return err;
		exponent = v ? (uint32_t)v : 65537u;
		at = r->off;
		if ((err = rd_2b_some(r, a, sizeof(a), &alen, "unique.rsa")))
			return err;
		if (alen != p->bits / 8)
			return fwt__error(r->ctx, FWT_EFORMAT, "'%s': unique.rsa at offset %zu is %zu bytes, not the %u of "
			                  "a %u-bit key", r->what, at, alen, p->bits / 8, p->bits);
	} else {
		if ((err = rd_alg(r, &p->curve, &at, "parameters.eccDetail.curveID")))
			return err;
		if (p->curve != FWT_TPM_ECC_NIST_P256 && p->curve != FWT_TPM_ECC_NIST_P384)
			return unsupported_at(r, "ECC curve", p->curve, at, "use NIST P-256 or P-384");
		p->bits = p->curve == FWT_TPM_ECC_NIST_P256 ? 256 : 384;
		if ((err = rd_kdf(r)) || (err = rd_2b_some(r, a, p->bits / 8, &alen, "unique.ecc.x")) ||
		    (err = rd_2b_some(r, b, p->bits / 8, &blen, "unique.ecc.y")))
			return err;
	}
	if (r->off != r->len)
		return FWT_OK; /* the caller says what follows */
	pkey = tpm_key(r->ctx, p, a, alen, b, blen, exponent);
	if (!pkey)
		return fwt__error_ossl(r->ctx, FWT_EFORMAT, "'%s' is not a valid public key", r->what);
	if ((err = fwt__pubkey_wrap(r->ctx, out, pkey, NULL, r->what)))
		return err;
	if (fwt_pubkey_fingerprint(*out, p->fp) != FWT_OK) {
		fwt_pubkey_free(*out);
		*out = NULL;
		return fwt__error(r->ctx, FWT_ECRYPTO, "cannot fingerprint '%s'", r->what);
	}
	return FWT_OK;
}

fwt_err fwt_tpm_public_parse(fwt_ctx *ctx, fwt_pubkey **out, fwt_tpm_public *pub, const void *buf, size_t len,
                             const char *name)
{
	struct rd r = { ctx, buf, len, 0, name ? name : "(key)" };
	uint64_t first;
	size_t end;
	fwt_err err;

	if (!out || !pub || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to TPM public area parsing");
	*out = NULL;
	memset(pub, 0, sizeof(*pub));
	if (len > FWT_TPM_PUBLIC_MAX_SIZE)
		return fwt__error(ctx, FWT_EFORMAT, "'%s': %zu bytes, more than %u", r.what, len, FWT_TPM_PUBLIC_MAX_SIZE);
	if ((err = rd_u(&r, 2, &first, "size")))
		return err;
	if (first == FWT_TPM_ALG_ECC || first == FWT_TPM_ALG_RSA || first == ALG_KEYEDHASH || first == ALG_SYMCIPHER) {
		r.off = 0; /* a bare TPMT_PUBLIC: these sizes hold no key */
	} else {
		pub->sized = 1;
		if (first > len - 2)
			return fwt__error(ctx, FWT_EFORMAT, "'%s': size at offset 0 is %u bytes, %zu left", r.what,
			                  (unsigned)first, len - 2);
	}
	end = pub->sized ? 2 + (size_t)first : len;
	r.len = end;
	err = tpmt_public(&r, pub, out);
	r.len = len;
	if (!err && pub->sized && r.off != end)
		err = fwt__error(ctx, FWT_EFORMAT, "'%s': TPMT_PUBLIC ends at offset %zu, %zu bytes before the end of "
		                 "its TPM2B_PUBLIC", r.what, r.off, end - r.off);
	if (!err)
		err = rd_end(&r);
	if (err) {
		fwt_pubkey_free(*out);
		*out = NULL;
	}
	return err;
}

fwt_err fwt_tpm_ak_load(fwt_ctx *ctx, fwt_pubkey **out, fwt_tpm_public *pub, const char *path)
{
	char hidden[1024];
	const char *name = path;
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (!out || !pub || !path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_tpm_ak_load");
	*out = NULL;
	memset(pub, 0, sizeof(*pub));
	/* the cap of fwt_pubkey_load */
	err = fwt_read_file(ctx, path, 1u << 20, &buf, &len);
	if (err)
		return err;
	if (fwt__p11_has_pin_value(path)) { /* never a PIN in a key's name, as fwt_pubkey_load */
		fwt__p11_hide_pin(hidden, sizeof(hidden), path);
		name = hidden;
	}
	/* no PEM, DER or JSON key begins so; a TPM2B_PUBLIC of an RSA-4096 key
	 * is 0x02.. at most, and a TPMT_PUBLIC begins with its type, 0x00.. */
	if (len && buf[0] <= 0x02)
		err = fwt_tpm_public_parse(ctx, out, pub, buf, len, name);
	else
		err = fwt_pubkey_parse(ctx, out, buf, len, name);
	OPENSSL_cleanse(buf, len); /* a private key given by mistake */
	free(buf);
	return err;
}

/* ---- verification ---- */

const char *fwt_quote_check_name(fwt_quote_check c)
{
	switch (c) {
	case FWT_QUOTE_OK: return "ok";
	case FWT_QUOTE_SIGNATURE: return "signature";
	case FWT_QUOTE_MAGIC: return "magic";
	case FWT_QUOTE_TYPE: return "type";
	case FWT_QUOTE_NONCE: return "nonce";
	case FWT_QUOTE_SELECTION: return "selection";
	case FWT_QUOTE_BANK: return "bank";
	case FWT_QUOTE_DIGEST: return "digest";
	case FWT_QUOTE_AK: return "ak";
	}
	return "?";
}

static fwt_err fail(fwt_quote_result *res, fwt_quote_check c)
{
	res->failed = c;
	return FWT_EVERIFY;
}

static const char *scheme_name(unsigned a)
{
	return a == FWT_TPM_ALG_ECDSA ? "ECDSA" : a == FWT_TPM_ALG_RSAPSS ? "RSAPSS" : "RSASSA";
}

/* The fwt_sig algorithm for the TPM scheme, hash and the AK.  A scheme that
 * does not fit the key's type is a "no" (the quote was signed by another
 * key); a combination fwtrail does not check is unsupported. */
static fwt_err pick_alg(fwt_ctx *ctx, const fwt_tpm_signature *ts, const fwt_pubkey *ak, fwt_sig_alg *alg,
                        fwt_quote_result *res)
{
	fwt_key_type kt = fwt_pubkey_type(ak);
	const char *hn = ts->hash ? fwt_digest_name(ts->hash) : NULL;

	*alg = FWT_SIG_NONE;
	if (ts->hash != FWT_DIGEST_SHA256 && ts->hash != FWT_DIGEST_SHA384) {
		if (hn)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "%s with %s is not supported (use sha256 or sha384)",
			                  scheme_name(ts->sig_alg), hn);
		return fwt__error(ctx, FWT_EUNSUPPORTED, "%s with hash 0x%04x is not supported (use sha256 or sha384)",
		                  scheme_name(ts->sig_alg), ts->hash_id);
	}
	if (ts->sig_alg == FWT_TPM_ALG_ECDSA) {
		if (kt != FWT_KEY_EC_P256 && kt != FWT_KEY_EC_P384 && kt != FWT_KEY_EC_P521) {
			fwt__error(ctx, FWT_EVERIFY, "the quote has an ECDSA signature but AK '%s' is %s",
			           fwt_pubkey_name(ak), fwt_pubkey_describe(ak));
			return fail(res, FWT_QUOTE_SIGNATURE);
		}
		if (kt == FWT_KEY_EC_P256 && ts->hash == FWT_DIGEST_SHA256)
			*alg = FWT_SIG_ES256;
		else if (kt == FWT_KEY_EC_P384 && ts->hash == FWT_DIGEST_SHA384)
			*alg = FWT_SIG_ES384;
		else
			return fwt__error(ctx, FWT_EUNSUPPORTED,
			                  "ECDSA with %s on AK '%s' (%s) is not supported (use P-256 with sha256 or "
			                  "P-384 with sha384)", hn, fwt_pubkey_name(ak), fwt_pubkey_describe(ak));
		return FWT_OK;
	}
	if (kt != FWT_KEY_RSA) {
		fwt__error(ctx, FWT_EVERIFY, "the quote has an %s signature but AK '%s' is %s", scheme_name(ts->sig_alg),
		           fwt_pubkey_name(ak), fwt_pubkey_describe(ak));
		return fail(res, FWT_QUOTE_SIGNATURE);
	}
	if (ts->sig_alg == FWT_TPM_ALG_RSAPSS) {
		*alg = ts->hash == FWT_DIGEST_SHA256 ? FWT_SIG_PS256 : FWT_SIG_PS384;
		return FWT_OK;
	}
	/* a key typed RSA-PSS never made a PKCS#1 v1.5 signature: a no, as
	 * any scheme that does not fit the key */
	if (EVP_PKEY_is_a(fwt__pubkey_evp(ak), "RSA-PSS")) {
		fwt__error(ctx, FWT_EVERIFY, "the quote has an RSASSA signature but AK '%s' is an RSA-PSS key, which "
		           "makes RSA-PSS signatures only", fwt_pubkey_name(ak));
		return fail(res, FWT_QUOTE_SIGNATURE);
	}
	*alg = ts->hash == FWT_DIGEST_SHA256 ? FWT_SIG_TPM_RSASSA_SHA256 : FWT_SIG_TPM_RSASSA_SHA384;
	return FWT_OK;
}

/* The AK's public area: a restricted signing key of a TPM, so that what it
 * signed beginning with TPM_GENERATED_VALUE is the TPM's own; and the scheme
 * it is bound to, when it names one, the signature's. */
static int is_restricted(uint32_t a)
{
	const uint32_t want = FWT_TPMA_OBJECT_SIGN | FWT_TPMA_OBJECT_RESTRICTED | FWT_TPMA_OBJECT_FIXEDTPM;

	return (a & want) == want && !(a & FWT_TPMA_OBJECT_DECRYPT);
}

static fwt_err check_ak_public(fwt_ctx *ctx, const fwt_tpm_public *p, const fwt_tpm_signature *ts,
                               const fwt_pubkey *ak, fwt_quote_result *res)
{
	const char *why = NULL, *kn, *sn;
	char h1[16], h2[16];
	fwt_digest_alg d;

	if (!(p->attributes & FWT_TPMA_OBJECT_SIGN))
		why = "sign is clear";
	else if (p->attributes & FWT_TPMA_OBJECT_DECRYPT)
		why = "decrypt is set";
	else if (!(p->attributes & FWT_TPMA_OBJECT_RESTRICTED))
		why = "restricted is clear: a TPM key without it signs any digest, a made-up TPMS_ATTEST among them";
	else if (!(p->attributes & FWT_TPMA_OBJECT_FIXEDTPM))
		why = "fixedTPM is clear: the key may live outside the TPM";
	if (why) {
		fwt__error(ctx, FWT_EVERIFY, "AK '%s' is not a restricted signing key of a TPM (objectAttributes "
		           "0x%08x: %s)", fwt_pubkey_name(ak), (unsigned)p->attributes, why);
		return fail(res, FWT_QUOTE_AK);
	}
	if (p->scheme == FWT_TPM_ALG_NULL || (p->scheme == ts->sig_alg && p->scheme_hash == ts->hash_id))
		return FWT_OK;
	kn = alg_name(p->scheme);
	sn = scheme_name(ts->sig_alg);
	if (fwt_digest_from_tcg_id(p->scheme_hash, &d) == FWT_OK)
		snprintf(h1, sizeof(h1), "%s", fwt_digest_name(d));
	else
		snprintf(h1, sizeof(h1), "hash 0x%04x", p->scheme_hash);
	if (ts->hash)
		snprintf(h2, sizeof(h2), "%s", fwt_digest_name(ts->hash));
	else
		snprintf(h2, sizeof(h2), "hash 0x%04x", ts->hash_id);
	if (kn)
		fwt__error(ctx, FWT_EVERIFY, "AK '%s' signs with %s and %s only, but the quote's signature is %s with %s",
		           fwt_pubkey_name(ak), kn, h1, sn, h2);
	else
		fwt__error(ctx, FWT_EVERIFY, "AK '%s' signs with scheme 0x%04x only, but the quote's signature is %s with "
		           "%s", fwt_pubkey_name(ak), p->scheme, sn, h2);
	return fail(res, FWT_QUOTE_AK);
}

static fwt_err check_signature(fwt_ctx *ctx, const fwt_tpm_signature *ts, const fwt_pubkey *ak, const void *msg,
                               size_t msglen, fwt_quote_result *res)
{
	unsigned char raw[2 * 66];
	size_t n;
	fwt_err err;

	err = pick_alg(ctx, ts, ak, &res->alg, res);
	if (err)
		return err;
	if (fwt_sig_alg_is_ecdsa(res->alg)) {
		/* TPM2B_ECC_PARAMETERs, left-padded to the curve size */
		n = fwt_sig_alg_ecdsa_size(res->alg) / 2;
		if (ts->r_len > n || ts->s_len > n) {
			fwt__error(ctx, FWT_EVERIFY, "ECDSA r or s is longer than the curve of AK '%s'", fwt_pubkey_name(ak));
			return fail(res, FWT_QUOTE_SIGNATURE);
		}
		memset(raw, 0, sizeof(raw));
		memcpy(raw + n - ts->r_len, ts->r, ts->r_len);
		memcpy(raw + 2 * n - ts->s_len, ts->s, ts->s_len);
		err = fwt_sig_verify(ctx, ak, res->alg, FWT_SIG_RAW, msg, msglen, raw, 2 * n);
	} else {
		err = fwt_sig_verify(ctx, ak, res->alg, FWT_SIG_RAW, msg, msglen, ts->rsa, ts->rsa_len);
	}
	if (err == FWT_EVERIFY) {
		fwt__error_prefix(ctx, "quote signature");
		return fail(res, FWT_QUOTE_SIGNATURE);
	}
	return err;
}

/* The PCRs needed in bank b: need_pcrs, and with need_extended PCRs 0-7 and
 * those the replay extends in b. */
static uint32_t needed(const fwt_quote_options *o, const fwt_pcrs *pcrs, fwt_digest_alg b)
{
	return o->need_pcrs | (o->need_extended ? 0xffu | fwt_pcrs_selected(pcrs, b) : 0);
}

/* The first PCR of need missing from sel, named with why it is needed. */
static fwt_err not_signed(fwt_ctx *ctx, const fwt_quote_options *o, const fwt_pcrs *pcrs, fwt_digest_alg b,
                          uint32_t need, uint32_t sel, const char *where, fwt_quote_result *res)
{
	unsigned pcr;

	for (pcr = 0; !(need & ~sel & (1u << pcr)); pcr++)
		;
	if (o->need_pcrs & (1u << pcr))
		fwt__error(ctx, FWT_EVERIFY, "%s%sPCR %u is not in the quote's signed selection%s", b ? fwt_digest_name(b) : "",
		           b ? " " : "", pcr, where);
	else if (fwt_pcrs_selected(pcrs, b) & (1u << pcr))
		fwt__error(ctx, FWT_EVERIFY, "%s PCR %u, which the log extends, is not in the quote's signed selection%s",
		           fwt_digest_name(b), pcr, where);
	else
		fwt__error(ctx, FWT_EVERIFY, "%s PCR %u, one of the firmware's PCRs 0 to 7, is not in the quote's signed "
		           "selection%s", fwt_digest_name(b), pcr, where);
	return fail(res, FWT_QUOTE_SELECTION);
}

/* A selection that is not empty; every bank in opts->banks selected; and
 * the needed PCRs inside the selection: of every bank in opts->banks, or
 * (banks 0) of some bank. */
static fwt_err check_coverage(fwt_ctx *ctx, const fwt_tpm_attest *a, const fwt_quote_options *o,
                              const fwt_pcrs *pcrs, fwt_quote_result *res)
{
	const fwt_digest_alg order[] = { FWT_DIGEST_SHA1, FWT_DIGEST_SHA256, FWT_DIGEST_SHA384, FWT_DIGEST_SHA512 };
	uint32_t best_sel = 0, best_need = 0, sel, need, any = 0;
	fwt_digest_alg best = 0;
	size_t i, b;

	for (i = 0; i < a->n_sel; i++)
		any |= a->sel[i].mask;
	if (!any) {
		fwt__error(ctx, FWT_EVERIFY, "the quote's signed selection is empty: it vouches for no PCR");
		return fail(res, FWT_QUOTE_SELECTION);
	}
	for (b = 0; b < FWT_ARRAY_LEN(order); b++) {
		if (o->banks && !(o->banks & order[b]))
			continue;
		sel = 0;
		for (i = 0; i < a->n_sel; i++)
			if (a->sel[i].alg == order[b])
				sel |= a->sel[i].mask;
		need = needed(o, pcrs, order[b]);
		if (!o->banks && sel && (need & ~sel) == 0)
			return FWT_OK;
		if (o->banks && !sel) {
			fwt__error(ctx, FWT_EVERIFY, "the quote does not sign any PCR of the %s bank",
			           fwt_digest_name(order[b]));
			return fail(res, FWT_QUOTE_SELECTION);
		}
		if (o->banks && (need & ~sel))
			return not_signed(ctx, o, pcrs, order[b], need, sel, "", res);
		/* the bank that lacks the fewest, to name in the message */
		if (sel && (!best || __builtin_popcount(need & ~sel) < __builtin_popcount(best_need & ~best_sel))) {
			best = order[b];
			best_sel = sel;
			best_need = need;
		}
	}
	if (o->banks || (!best && !o->need_pcrs)) /* no known bank selected: check_digest says unsupported */
		return FWT_OK;
	if (!o->need_extended || !best)
		return not_signed(ctx, o, pcrs, 0, o->need_pcrs, best_sel, " of any bank", res);
	return not_signed(ctx, o, pcrs, best, best_need, best_sel, "", res);
}

static fwt_err check_digest(fwt_ctx *ctx, const fwt_tpm_attest *a, fwt_digest_alg h, const fwt_pcrs *pcrs,
                            fwt_quote_result *res)
{
	/* every selected PCR value, banks in list order, PCRs ascending */
	unsigned char cat[FWT_TPM_QUOTE_MAX_BANKS * FWT_PCR_COUNT * FWT_DIGEST_MAX];
	size_t i, used = 0;
	unsigned pcr;
	fwt_err err;

	for (i = 0; i < a->n_sel; i++) {
		const fwt_tpm_pcr_selection *s = &a->sel[i];
		if (!s->mask)
			continue;
		if (!s->alg || s->alg == FWT_DIGEST_SM3)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "the quote selects PCRs of bank 0x%04x, which fwtrail "
			                  "cannot replay", s->hash_id);
		if (s->mask >> FWT_PCR_COUNT)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "the quote selects %s PCRs above %u, which fwtrail cannot "
			                  "replay", fwt_digest_name(s->alg), FWT_PCR_COUNT - 1);
		if (!(fwt_pcrs_banks(pcrs) & s->alg)) {
			fwt__error(ctx, FWT_EVERIFY, "the quote selects %s PCRs but the log has no replayable %s bank",
			           fwt_digest_name(s->alg), fwt_digest_name(s->alg));
			return fail(res, FWT_QUOTE_BANK);
		}
	}
	for (i = 0; i < a->n_sel; i++)
		for (pcr = 0; pcr < FWT_PCR_COUNT; pcr++)
			if (a->sel[i].mask & (1u << pcr)) {
				size_t n = fwt_digest_size(a->sel[i].alg);
				memcpy(cat + used, fwt_pcrs_get(pcrs, a->sel[i].alg, pcr), n);
				used += n;
			}
	res->digest_len = fwt_digest_size(h);
	err = fwt_digest_oneshot(ctx, h, cat, used, res->digest);
	if (err)
		return err;
	if (a->pcr_digest_len != res->digest_len || CRYPTO_memcmp(a->pcr_digest, res->digest, res->digest_len)) {
		fwt__error(ctx, FWT_EVERIFY, "the quote's pcrDigest differs from the %s of the replayed PCRs it selects",
		           fwt_digest_name(h));
		return fail(res, FWT_QUOTE_DIGEST);
	}
	return FWT_OK;
}

fwt_err fwt_tpm_quote_verify(fwt_ctx *ctx, const void *msg, size_t msglen, const void *sig, size_t siglen,
                             const fwt_pubkey *ak, const fwt_pcrs *pcrs, const fwt_quote_options *opts,
                             fwt_quote_result *res)
{
	fwt_quote_options oc = FWT_QUOTE_OPTIONS_INIT;
	const fwt_quote_options *o = &oc;
	fwt_tpm_attest *a;
	fwt_tpm_signature ts;
	unsigned ver;
	size_t i;
	fwt_err err;

	if (!res)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to quote verification");
	memset(res, 0, sizeof(*res));
	res->ak_restricted = -1;
	if (opts) {
		if ((err = fwt__opts_version(ctx, "quote", opts->version, FWT_QUOTE_OPTIONS_VERSION, &ver)))
			return err;
		/* version 1 ended at sig_name */
		oc.nonce = opts->nonce;
		oc.nonce_len = opts->nonce_len;
		oc.need_pcrs = opts->need_pcrs;
		oc.banks = opts->banks;
		oc.msg_name = opts->msg_name;
		oc.sig_name = opts->sig_name;
		if (ver >= 2)
			oc.need_extended = opts->need_extended;
		if (ver >= 3)
			oc.ak_public = opts->ak_public;
	}
	if (!ak || !pcrs || (!msg && msglen) || (!sig && siglen) || (o->nonce_len && !o->nonce))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to quote verification");
	a = &res->attest;
	err = attest_parse(ctx, msg, msglen, a, o->msg_name ? o->msg_name : "quote");
	if (!err)
		err = signature_parse(ctx, sig, siglen, &ts, o->sig_name ? o->sig_name : "signature");
	if (err)
		return err;
	if (fwt_pubkey_fingerprint(ak, res->ak_fp) != FWT_OK)
		return fwt__error(ctx, FWT_ECRYPTO, "cannot fingerprint AK '%s'", fwt_pubkey_name(ak));
	if (o->ak_public) {
		if (CRYPTO_memcmp(o->ak_public->fp, res->ak_fp, sizeof(res->ak_fp)))
			return fwt__error(ctx, FWT_EINVAL, "the TPM public area given for AK '%s' is of another key",
			                  fwt_pubkey_name(ak));
		res->ak_attributes = o->ak_public->attributes;
		res->ak_restricted = is_restricted(o->ak_public->attributes);
	}
	for (i = 0; a->is_quote && i < a->n_sel; i++) {
		res->pcrs[i] = a->sel[i].mask;
		if (a->sel[i].mask)
			res->banks |= a->sel[i].alg;
	}
	/* 1. signed by the AK, over the bytes as received; an AK given as its
	 * TPM public area a restricted signing key of a TPM, of the signature's
	 * scheme; and an AK given as a certificate vouched for by it: valid
	 * now, its key usage allowing signatures, not a device identity (as for
	 * any other signer) */
	err = check_signature(ctx, &ts, ak, msg, msglen, res);
	if (!err && o->ak_public)
		err = check_ak_public(ctx, o->ak_public, &ts, ak, res);
	if (err)
		return err;
	err = fwt_trust_check_key(ctx, NULL, ak, 0, NULL);
	if (err == FWT_EVERIFY) {
		char why[512];
		snprintf(why, sizeof(why), "%s", fwt_ctx_errmsg(ctx));
		fwt__error(ctx, FWT_EVERIFY, "the AK does not vouch for the quote: %s", why);
		return fail(res, FWT_QUOTE_AK);
	}
	if (err)
		return err;
	/* 2. made by a TPM (the TPM refuses to sign outside data that begins so
	 * with a restricted key; step 1 checked the AK is one when it could) */
	if (a->magic != FWT_TPM_GENERATED_VALUE) {
		fwt__error(ctx, FWT_EVERIFY, "the quote's magic is 0x%08x, not TPM_GENERATED_VALUE 0x%08x", a->magic,
		           FWT_TPM_GENERATED_VALUE);
		return fail(res, FWT_QUOTE_MAGIC);
	}
	/* 3. a quote, not another attestation */
	if (!a->is_quote) {
		fwt__error(ctx, FWT_EVERIFY, "the attestation's type is 0x%04x, not TPM_ST_ATTEST_QUOTE 0x%04x", a->type,
		           FWT_TPM_ST_ATTEST_QUOTE);
		return fail(res, FWT_QUOTE_TYPE);
	}
	/* 4. fresh */
	if (o->nonce) {
		res->nonce_checked = 1;
		if (a->extra_len != o->nonce_len || CRYPTO_memcmp(a->extra, o->nonce, o->nonce_len)) {
			fwt__error(ctx, FWT_EVERIFY, "the quote's extraData (%zu bytes) is not the nonce (%zu bytes)",
			           a->extra_len, o->nonce_len);
			return fail(res, FWT_QUOTE_NONCE);
		}
	}
	/* 5. the PCRs decided on are signed */
	err = check_coverage(ctx, a, o, pcrs, res);
	if (err)
		return err;
	/* 6. the signed digest is the replay's */
	return check_digest(ctx, a, ts.hash, pcrs, res);
}

fwt_err fwt_tpm_quote_scope(const fwt_quote_result *res, fwt_pcr_scope *out)
{
	const fwt_tpm_attest *a;
	size_t i;

	if (!out)
		return FWT_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!res || res->failed != FWT_QUOTE_OK || !res->digest_len || !res->attest.is_quote)
		return FWT_EINVAL;
	a = &res->attest;
	for (i = 0; i < a->n_sel; i++) {
		if (!a->sel[i].mask)
			continue;
		if (a->sel[i].mask >> FWT_PCR_COUNT || a->sel[i].alg == FWT_DIGEST_SM3 ||
		    fwt_pcr_scope_add(out, a->sel[i].alg, a->sel[i].mask) != FWT_OK) {
			memset(out, 0, sizeof(*out));
			return FWT_EUNSUPPORTED;
		}
	}
	return FWT_OK;
}
