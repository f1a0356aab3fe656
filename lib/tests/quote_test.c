/* SPDX-License-Identifier: Apache-2.0 */
/* quote_test.c - TPM quotes: TPMS_ATTEST and TPMT_SIGNATURE built here and
 * signed in-process with OpenSSL keys, so that each check (signature, magic,
 * type, nonce, selection, bank, digest) is tested on its own; truncation at
 * every offset, oversize sizes, wrong types; RSASSA-PKCS1-v1_5 kept out of
 * JWS and COSE; and the AK's TPM public area (TPM2B_PUBLIC, TPMT_PUBLIC),
 * built here too, whose attributes decide whether the magic means anything. */
#include <stdint.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

static fwt_ctx *ctx;
static EVP_PKEY *k_p256, *k_p384, *k_rsa;
static fwt_pubkey *ak_p256, *ak_p384, *ak_rsa;
static fwt_pcrs *pcrs;

static const unsigned char nonce[] = { 0x5c, 0xa1, 0xab, 0x1e, 0x0d, 0xdb, 0xa1, 0x1f };

/* ---- building TPM structures ---- */

struct buf {
	unsigned char b[2048];
	size_t n;
};

static void put(struct buf *o, uint64_t v, size_t n)
{
	while (n--)
		o->b[o->n++] = (unsigned char)(v >> (8 * n));
}

static void put2b(struct buf *o, const void *p, size_t n)
{
	put(o, n, 2);
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

struct sel {
	unsigned hash;   /* TPM_ALG_ID */
	uint32_t mask;
};

struct attest_spec {
	uint32_t magic;
	unsigned type;
	const unsigned char *extra;
	size_t extra_len;
	struct sel sel[4];
	size_t n_sel;
	unsigned digest_hash;   /* the hash of pcrDigest (fwt_digest_alg) */
	int corrupt_digest;
};

static struct attest_spec good_spec(void)
{
	struct attest_spec s = { FWT_TPM_GENERATED_VALUE, FWT_TPM_ST_ATTEST_QUOTE, nonce, sizeof(nonce),
		                 { { 0x000b, 0x81 } }, 1, FWT_DIGEST_SHA256, 0 };
	return s;
}

static void build_attest(const struct attest_spec *s, struct buf *o)
{
	unsigned char name[34], cat[4096], d[64];
	size_t i, used = 0;
	unsigned pcr;

	memset(name, 0xa5, sizeof(name));
	name[0] = 0x00;
	name[1] = 0x0b;
	o->n = 0;
	put(o, s->magic, 4);
	put(o, s->type, 2);
	put2b(o, name, sizeof(name));
	put2b(o, s->extra, s->extra_len);
	put(o, 0x1122334455667788ull, 8); /* clock */
	put(o, 3, 4);                     /* resetCount */
	put(o, 0, 4);                     /* restartCount */
	put(o, 1, 1);                     /* safe */
	put(o, 0x2019102300163636ull, 8); /* firmwareVersion */
	put(o, s->n_sel, 4);
	for (i = 0; i < s->n_sel; i++) {
		fwt_digest_alg a = 0;
		put(o, s->sel[i].hash, 2);
		put(o, 3, 1);
		put(o, s->sel[i].mask & 0xff, 1);
		put(o, (s->sel[i].mask >> 8) & 0xff, 1);
		put(o, (s->sel[i].mask >> 16) & 0xff, 1);
		if (fwt_digest_from_tcg_id(s->sel[i].hash, &a) != FWT_OK || !fwt_pcrs_get(pcrs, a, 0))
			continue;
		for (pcr = 0; pcr < 24; pcr++)
			if (s->sel[i].mask & (1u << pcr)) {
				memcpy(cat + used, fwt_pcrs_get(pcrs, a, pcr), fwt_digest_size(a));
				used += fwt_digest_size(a);
			}
	}
	if (fwt_digest_oneshot(ctx, s->digest_hash, cat, used, d) != FWT_OK)
		memset(d, 0, sizeof(d));
	if (s->corrupt_digest)
		d[5] ^= 1;
	put2b(o, d, fwt_digest_size(s->digest_hash));
}

/* TPMT_SIGNATURE over msg with key k: scheme ECDSA, RSASSA or RSAPSS. */
static int sign_tpm(EVP_PKEY *k, unsigned scheme, const char *md, unsigned hash_id, const struct buf *msg,
                    struct buf *o)
{
	EVP_MD_CTX *mc = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pc = NULL;
	unsigned char sig[1024], raw[132];
	size_t sl = sizeof(sig), n;
	int ok;

	ok = mc && EVP_DigestSignInit_ex(mc, &pc, md, NULL, NULL, k, NULL) > 0;
	if (ok && scheme == FWT_TPM_ALG_RSAPSS)
		ok = EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) > 0;
	else if (ok && scheme == FWT_TPM_ALG_RSASSA)
		ok = EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) > 0;
	ok = ok && EVP_DigestSign(mc, sig, &sl, msg->b, msg->n) > 0;
	EVP_MD_CTX_free(mc);
	if (!ok)
		return 0;
	o->n = 0;
	put(o, scheme, 2);
	put(o, hash_id, 2);
	if (scheme == FWT_TPM_ALG_ECDSA) {
		n = (size_t)(EVP_PKEY_get_bits(k) + 7) / 8;
		if (fwt_ecdsa_der_to_raw(sig, sl, n, raw) != FWT_OK)
			return 0;
		put2b(o, raw, n);
		put2b(o, raw + n, n);
	} else {
		put2b(o, sig, sl);
	}
	return 1;
}

static fwt_pubkey *pub_of(EVP_PKEY *k)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k, &der);
	fwt_pubkey *p = NULL;

	if (n > 0 && fwt_pubkey_from_spki(ctx, &p, der, (size_t)n, "ak.pem") != FWT_OK)
		p = NULL;
	OPENSSL_free(der);
	return p;
}

static fwt_err verify(const struct buf *m, const struct buf *s, const fwt_pubkey *ak, const fwt_quote_options *o,
                      fwt_quote_result *r)
{
	return fwt_tpm_quote_verify(ctx, m->b, m->n, s->b, s->n, ak, pcrs, o, r);
}

static fwt_quote_options with_nonce(void)
{
	fwt_quote_options o = FWT_QUOTE_OPTIONS_INIT;
	o.nonce = nonce;
	o.nonce_len = sizeof(nonce);
	return o;
}

/* ---- tests ---- */

static void test_good_quotes(void)
{
	struct attest_spec sp = good_spec();
	struct buf m, s;
	fwt_quote_options o = with_nonce();
	fwt_quote_result r;
	unsigned char fp[32];

	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	o.need_pcrs = 0x81;
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);
	T_EQ_INT(r.failed, FWT_QUOTE_OK);
	T_EQ_INT(r.alg, FWT_SIG_ES256);
	T_ASSERT(r.nonce_checked);
	T_EQ_INT(r.banks, FWT_DIGEST_SHA256);
	T_EQ_INT(r.pcrs[0], 0x81);
	T_ASSERT(fwt_pubkey_fingerprint(ak_p256, fp) == FWT_OK);
	T_EQ_MEM(r.ak_fp, fp, 32);
	T_EQ_INT(r.attest.reset_count, 3);
	T_EQ_INT(r.attest.safe, 1);
	/* no nonce given: not checked, still fine */
	T_EQ_INT(verify(&m, &s, ak_p256, NULL, &r), FWT_OK);
	T_ASSERT(!r.nonce_checked);

	/* P-384 with SHA-384, two banks, digest in the signature's hash */
	sp.sel[1].hash = 0x000c;
	sp.sel[1].mask = 0xffffff;
	sp.n_sel = 2;
	sp.digest_hash = FWT_DIGEST_SHA384;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p384, FWT_TPM_ALG_ECDSA, "SHA384", 0x000c, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p384, &o, &r), FWT_OK);
	T_EQ_INT(r.alg, FWT_SIG_ES384);
	T_EQ_INT(r.banks, FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384);
	T_EQ_INT(r.digest_len, 48);

	/* RSA: RSASSA-PKCS1-v1_5 and PSS, SHA-256 and SHA-384 */
	sp = good_spec();
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_rsa, FWT_TPM_ALG_RSASSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_rsa, &o, &r), FWT_OK);
	T_EQ_INT(r.alg, FWT_SIG_TPM_RSASSA_SHA256);
	T_ASSERT(sign_tpm(k_rsa, FWT_TPM_ALG_RSAPSS, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_rsa, &o, &r), FWT_OK);
	T_EQ_INT(r.alg, FWT_SIG_PS256);
	sp.digest_hash = FWT_DIGEST_SHA384;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_rsa, FWT_TPM_ALG_RSASSA, "SHA384", 0x000c, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_rsa, &o, &r), FWT_OK);
	T_EQ_INT(r.alg, FWT_SIG_TPM_RSASSA_SHA384);
	T_ASSERT(sign_tpm(k_rsa, FWT_TPM_ALG_RSAPSS, "SHA384", 0x000c, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_rsa, &o, &r), FWT_OK);
	T_EQ_INT(r.alg, FWT_SIG_PS384);
}

/* Each check on its own: the signature is always good. */
static void expect_no(struct attest_spec *sp, const fwt_quote_options *o, fwt_quote_check want)
{
	struct buf m, s;
	fwt_quote_result r;

	build_attest(sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p256, o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, want);
	T_EQ_STR(fwt_quote_check_name(r.failed), fwt_quote_check_name(want));
}

static void test_magic(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();

	sp.magic = 0xff544348;
	expect_no(&sp, &o, FWT_QUOTE_MAGIC);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "magic is 0xff544348, not TPM_GENERATED_VALUE"));
	sp.magic = 0;
	expect_no(&sp, &o, FWT_QUOTE_MAGIC);
}

static void test_type(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();
	struct buf m, s;
	fwt_quote_result r;

	/* TPM_ST_ATTEST_CERTIFY (0x8017) with a quote-shaped body */
	sp.type = 0x8017;
	expect_no(&sp, &o, FWT_QUOTE_TYPE);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "type is 0x8017, not TPM_ST_ATTEST_QUOTE"));
	/* a real short other attestation: the header alone */
	build_attest(&sp, &m);
	m.n = 6 + 36 + 2 + sizeof(nonce) + 17 + 8;
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, FWT_QUOTE_TYPE);
	T_ASSERT(!r.attest.is_quote);
}

static void test_nonce(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();
	static const unsigned char other[] = { 0x5c, 0xa1, 0xab, 0x1e, 0x0d, 0xdb, 0xa1, 0x1e };

	sp.extra = other;
	expect_no(&sp, &o, FWT_QUOTE_NONCE);
	sp.extra_len = 7; /* a prefix of the nonce */
	sp.extra = nonce;
	expect_no(&sp, &o, FWT_QUOTE_NONCE);
	sp.extra_len = 0;
	expect_no(&sp, &o, FWT_QUOTE_NONCE);
	/* an empty expected nonce matches only an empty extraData */
	sp = good_spec();
	o.nonce_len = 0;
	expect_no(&sp, &o, FWT_QUOTE_NONCE);
}

static void test_selection(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();
	struct buf m, s;
	fwt_quote_result r;

	/* PCR 7 asked for, PCR 0 only signed (CVE-2024-29039) */
	sp.sel[0].mask = 0x01;
	o.need_pcrs = 0x81;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "PCR 7 is not in the quote's signed selection"));
	o.banks = FWT_DIGEST_SHA256;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "sha256 PCR 7 is not"));
	/* PCR 7 in the sha384 bank does not cover a sha256 decision */
	sp.sel[1].hash = 0x000c;
	sp.sel[1].mask = 0x81;
	sp.n_sel = 2;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	/* ... but does when any bank may do */
	o.banks = 0;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);
	/* a bank asked for that the quote lacks */
	o.banks = FWT_DIGEST_SHA1;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	/* an empty selection covers nothing */
	sp = good_spec();
	sp.n_sel = 0;
	o.banks = 0;
	o.need_pcrs = 0x01;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
}

/* An empty selection vouches for nothing, whatever is needed (the review's
 * F1: a genuine quote of no PCR "verified" a forged log). */
static void test_empty_selection(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();

	sp.n_sel = 0;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "the quote's signed selection is empty: it vouches for no PCR");
	/* entries that select nothing are empty too */
	sp.n_sel = 2;
	sp.sel[0].mask = 0;
	sp.sel[1].hash = 0x000c;
	sp.sel[1].mask = 0;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	o.banks = FWT_DIGEST_SHA256;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "selection is empty"));
	o.banks = 0;
	o.need_extended = 1;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "selection is empty"));
}

/* need_extended: the quote must sign PCRs 0-7 and every PCR the replay
 * extends, in the bank checked. */
static void test_need_extended(void)
{
	fwt_pcrs *saved = pcrs, *few = NULL;
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();
	struct buf m, s;
	fwt_quote_result r;
	unsigned char v[48];
	unsigned pcr;

	o.need_extended = 1;
	/* the replay extends 0-23 in sha256 and sha384: 0,7 is not enough */
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "sha256 PCR 1, which the log extends, is not in the quote's signed selection");
	/* PCR 23 alone (another PCR than the log's) neither */
	sp.sel[0].mask = 1u << 23;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "sha256 PCR 0, which the log extends, is not in the quote's signed selection");
	/* all of one bank is enough without banks */
	sp.sel[0].mask = 0xffffff;
	sp.sel[1].hash = 0x000c;
	sp.sel[1].mask = 0x01;
	sp.n_sel = 2;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);
	/* ... but not when both banks are asked for */
	o.banks = FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384;
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, FWT_QUOTE_SELECTION);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "sha384 PCR 1, which the log extends, is not in the quote's signed selection");
	o.banks = FWT_DIGEST_SHA256;
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);
	/* need_pcrs keeps its message */
	o.banks = FWT_DIGEST_SHA384;
	o.need_pcrs = 0x01;
	o.need_extended = 0;
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);

	/* a replay that extends PCRs 0 and 8 only: PCRs 0-7 are still needed */
	T_ASSERT(fwt_pcrs_new(ctx, &few) == FWT_OK);
	for (pcr = 0; pcr <= 8; pcr += 8) {
		memset(v, (int)pcr + 1, sizeof(v));
		T_ASSERT(fwt_pcrs_set(few, FWT_DIGEST_SHA256, pcr, v, 32) == FWT_OK);
	}
	pcrs = few;
	o = with_nonce();
	o.need_extended = 1;
	sp = good_spec();
	sp.sel[0].mask = 0x101;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "sha256 PCR 1, one of the firmware's PCRs 0 to 7, is not in the quote's signed "
	                              "selection");
	sp.sel[0].mask = 0xff;
	expect_no(&sp, &o, FWT_QUOTE_SELECTION);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "sha256 PCR 8, which the log extends, is not in the quote's signed selection");
	sp.sel[0].mask = 0x1ff;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);
	pcrs = saved;
	fwt_pcrs_free(few);
}

static void test_bank(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();

	sp.sel[0].hash = 0x000d; /* sha512: the replay has none */
	expect_no(&sp, &o, FWT_QUOTE_BANK);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "selects sha512 PCRs but the log has no replayable sha512 bank"));
}

static void test_digest(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();
	struct buf m, s;
	fwt_quote_result r;
	unsigned char v[32];

	sp.corrupt_digest = 1;
	expect_no(&sp, &o, FWT_QUOTE_DIGEST);
	/* a digest in another hash than the signature's */
	sp = good_spec();
	sp.digest_hash = FWT_DIGEST_SHA384;
	expect_no(&sp, &o, FWT_QUOTE_DIGEST);
	/* the order is the selection's: sha384 listed before sha256 */
	sp = good_spec();
	sp.sel[0].hash = 0x000c;
	sp.sel[1].hash = 0x000b;
	sp.sel[1].mask = 0x81;
	sp.sel[0].mask = 0x02;
	sp.n_sel = 2;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);
	/* the replay changes under the same quote: no */
	memset(v, 0x77, sizeof(v));
	T_ASSERT(fwt_pcrs_set(pcrs, FWT_DIGEST_SHA256, 7, v, 32) == FWT_OK);
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, FWT_QUOTE_DIGEST);
	v[0] = 7;
	memset(v + 1, 0, 31);
	T_ASSERT(fwt_pcrs_set(pcrs, FWT_DIGEST_SHA256, 7, v, 32) == FWT_OK);
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);
}

/* A replayed log: PCRs it never extends count with their reset values. */
static void test_replayed_log(void)
{
	fwt_eventlog_options lo = FWT_EVENTLOG_OPTIONS_INIT;
	fwt_eventlog *log = NULL;
	fwt_pcrs *saved = pcrs, *rp = NULL;
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();
	struct buf m, s;
	fwt_quote_result r;

	if (fwt_eventlog_load(ctx, &log, "testdata/evidence/eventlog/agile.bin", &lo) != FWT_OK)
		T_SKIP("testdata/evidence/eventlog/agile.bin: %s", fwt_ctx_errmsg(ctx));
	T_ASSERT(fwt_eventlog_replay(ctx, log, &rp) == FWT_OK);
	pcrs = rp;
	sp.sel[0].mask = 0xffffff; /* 0-23: some never extended, 17-22 reset to ones */
	T_ASSERT(fwt_pcrs_selected(rp, FWT_DIGEST_SHA256) != 0xffffff);
	T_ASSERT(fwt_pcrs_get(rp, FWT_DIGEST_SHA256, 17)[0] == 0xff);
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);
	pcrs = saved;
	fwt_pcrs_free(rp);
	fwt_eventlog_free(log);
}

static void test_signature(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();
	struct buf m, s, s2;
	fwt_quote_result r;
	size_t i;

	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	/* every bit of the message that still parses: a no */
	for (i = 0; i < m.n * 8; i++) {
		struct buf mm = m;
		fwt_err e;
		mm.b[i / 8] ^= (unsigned char)(1u << (i % 8));
		e = verify(&mm, &s, ak_p256, &o, &r);
		if (e == FWT_EFORMAT)
			continue;
		T_EQ_INT(e, FWT_EVERIFY);
		T_EQ_INT(r.failed, FWT_QUOTE_SIGNATURE);
	}
	/* r and s flipped */
	s2 = s;
	s2.b[10] ^= 0x40;
	T_EQ_INT(verify(&m, &s2, ak_p256, &o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, FWT_QUOTE_SIGNATURE);
	s2 = s;
	s2.b[s2.n - 1] ^= 0x01;
	T_EQ_INT(verify(&m, &s2, ak_p256, &o, &r), FWT_EVERIFY);
	/* the right structure from another key */
	T_EQ_INT(verify(&m, &s, ak_p384, &o, &r), FWT_EUNSUPPORTED); /* P-384 with SHA-256 */
	T_EQ_INT(verify(&m, &s, ak_rsa, &o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, FWT_QUOTE_SIGNATURE);
	/* r = 0 */
	s2 = s;
	memset(s2.b + 6, 0, 32);
	T_EQ_INT(verify(&m, &s2, ak_p256, &o, &r), FWT_EVERIFY);
	/* r shorter than the curve (leading zeros dropped) still parses and is
	 * checked: here it is simply wrong */
	s2.n = 0;
	put(&s2, FWT_TPM_ALG_ECDSA, 2);
	put(&s2, 0x000b, 2);
	put2b(&s2, s.b + 6, 31);
	put2b(&s2, s.b + 6 + 34, 32);
	T_EQ_INT(verify(&m, &s2, ak_p256, &o, &r), FWT_EVERIFY);
	/* r longer than the curve */
	s2.n = 0;
	put(&s2, FWT_TPM_ALG_ECDSA, 2);
	put(&s2, 0x000b, 2);
	put2b(&s2, s.b + 4, 33);
	put2b(&s2, s.b + 6 + 34, 32);
	T_EQ_INT(verify(&m, &s2, ak_p256, &o, &r), FWT_EVERIFY);
	/* PSS signature presented as RSASSA, and the reverse */
	T_ASSERT(sign_tpm(k_rsa, FWT_TPM_ALG_RSAPSS, "SHA256", 0x000b, &m, &s));
	s.b[1] = FWT_TPM_ALG_RSASSA;
	T_EQ_INT(verify(&m, &s, ak_rsa, &o, &r), FWT_EVERIFY);
	T_ASSERT(sign_tpm(k_rsa, FWT_TPM_ALG_RSASSA, "SHA256", 0x000b, &m, &s));
	s.b[1] = FWT_TPM_ALG_RSAPSS;
	T_EQ_INT(verify(&m, &s, ak_rsa, &o, &r), FWT_EVERIFY);
	/* an RSASSA signature against the same key typed RSA-PSS, which makes
	 * RSA-PSS signatures only: a no, as any scheme the key cannot make */
	{
		BIGNUM *n = NULL, *e = NULL;
		OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
		OSSL_PARAM *params = NULL;
		EVP_PKEY_CTX *pc = NULL;
		EVP_PKEY *pss = NULL;
		fwt_pubkey *ak_pss = NULL;
		T_ASSERT(bld && EVP_PKEY_get_bn_param(k_rsa, OSSL_PKEY_PARAM_RSA_N, &n) &&
		         EVP_PKEY_get_bn_param(k_rsa, OSSL_PKEY_PARAM_RSA_E, &e) &&
		         OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
		         OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) && (params = OSSL_PARAM_BLD_to_param(bld)) &&
		         (pc = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL)) && EVP_PKEY_fromdata_init(pc) > 0 &&
		         EVP_PKEY_fromdata(pc, &pss, EVP_PKEY_PUBLIC_KEY, params) > 0 && (ak_pss = pub_of(pss)));
		T_ASSERT(sign_tpm(k_rsa, FWT_TPM_ALG_RSASSA, "SHA256", 0x000b, &m, &s));
		T_EQ_INT(verify(&m, &s, ak_rsa, &o, &r), FWT_OK);
		T_EQ_INT(verify(&m, &s, ak_pss, &o, &r), FWT_EVERIFY);
		T_EQ_INT(r.failed, FWT_QUOTE_SIGNATURE);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is an RSA-PSS key, which makes RSA-PSS signatures only") != NULL);
		/* and the same key's RSA-PSS quote verifies with it */
		T_ASSERT(sign_tpm(k_rsa, FWT_TPM_ALG_RSAPSS, "SHA256", 0x000b, &m, &s));
		T_EQ_INT(verify(&m, &s, ak_pss, &o, &r), FWT_OK);
		fwt_pubkey_free(ak_pss);
		EVP_PKEY_free(pss);
		EVP_PKEY_CTX_free(pc);
		OSSL_PARAM_free(params);
		OSSL_PARAM_BLD_free(bld);
		BN_free(n);
		BN_free(e);
	}
}

static void test_unsupported(void)
{
	struct attest_spec sp = good_spec();
	struct buf m, s;
	fwt_quote_result r;

	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	s.b[1] = 0x1c; /* ECSCHNORR */
	T_EQ_INT(verify(&m, &s, ak_p256, NULL, &r), FWT_EUNSUPPORTED);
	s.b[1] = 0x18;
	s.b[3] = 0x04; /* sha1 */
	T_EQ_INT(verify(&m, &s, ak_p256, NULL, &r), FWT_EUNSUPPORTED);
	s.b[3] = 0x12; /* sm3 */
	T_EQ_INT(verify(&m, &s, ak_p256, NULL, &r), FWT_EUNSUPPORTED);
	s.b[3] = 0x0b;
	/* a bank fwtrail cannot replay, PCRs above 23 */
	sp.sel[0].hash = 0x0012;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p256, NULL, &r), FWT_EUNSUPPORTED);
	sp = good_spec();
	build_attest(&sp, &m);
	m.b[m.n - 32 - 2 - 3 - 1] = 4; /* sizeofSelect 3 -> 4: one more byte */
	T_EQ_INT(fwt_tpm_attest_parse(ctx, m.b, m.n, &r.attest), FWT_EFORMAT); /* now one byte short */
}

/* Truncation at every offset, trailing bytes, oversize sizes. */
static void test_malformed(void)
{
	struct attest_spec sp = good_spec();
	struct buf m, s, x;
	fwt_tpm_attest a;
	fwt_tpm_signature ts;
	fwt_quote_result r;
	size_t i;

	sp.sel[1].hash = 0x000c;
	sp.sel[1].mask = 0x3;
	sp.n_sel = 2;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_rsa, FWT_TPM_ALG_RSASSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(fwt_tpm_attest_parse(ctx, m.b, m.n, &a), FWT_OK);
	T_EQ_INT(a.n_sel, 2);
	T_EQ_INT(a.sel[1].alg, FWT_DIGEST_SHA384);
	T_EQ_INT(a.sel[1].mask, 0x3);
	T_EQ_INT(a.signer_len, 34);
	T_EQ_INT(a.clock, 0x1122334455667788ull);
	for (i = 0; i < m.n; i++) {
		T_EQ_INT(fwt_tpm_attest_parse(ctx, m.b, i, &a), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "at offset "));
	}
	x = m;
	x.b[x.n++] = 0;
	T_EQ_INT(fwt_tpm_attest_parse(ctx, x.b, x.n, &a), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "1 trailing bytes at offset"));
	T_EQ_INT(fwt_tpm_signature_parse(ctx, s.b, s.n, &ts), FWT_OK);
	T_EQ_INT(ts.rsa_len, 256);
	for (i = 0; i < s.n; i++)
		T_EQ_INT(fwt_tpm_signature_parse(ctx, s.b, i, &ts), FWT_EFORMAT);
	x = s;
	x.b[x.n++] = 0;
	T_EQ_INT(fwt_tpm_signature_parse(ctx, x.b, x.n, &ts), FWT_EFORMAT);
	/* oversize TPM2B sizes */
	x = m;
	x.b[6] = 0x00;
	x.b[7] = 67; /* qualifiedSigner above sizeof(TPMU_NAME) */
	T_EQ_INT(fwt_tpm_attest_parse(ctx, x.b, x.n, &a), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "qualifiedSigner at offset 6 is 67 bytes, more than 66"));
	x = m;
	x.b[6] = 0xff; /* 65316: far beyond the buffer and the maximum */
	T_EQ_INT(fwt_tpm_attest_parse(ctx, x.b, x.n, &a), FWT_EFORMAT);
	x = m;
	x.b[42] = 0x01; /* extraData 264 bytes */
	T_EQ_INT(fwt_tpm_attest_parse(ctx, x.b, x.n, &a), FWT_EFORMAT);
	x = m;
	x.b[m.n - 34] = 0x00;
	x.b[m.n - 33] = 65; /* pcrDigest above 64 */
	T_EQ_INT(fwt_tpm_attest_parse(ctx, x.b, x.n, &a), FWT_EFORMAT);
	x = s;
	x.b[4] = 0x02;
	x.b[5] = 0x01; /* RSA sig 513 bytes */
	T_EQ_INT(fwt_tpm_signature_parse(ctx, x.b, x.n, &ts), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "sig at offset 4 is 513 bytes, more than 512"));
	/* safe not a TPMI_YES_NO; a selection count and sizeofSelect too large */
	x = m;
	x.b[44 + sizeof(nonce) + 16] = 2;
	T_EQ_INT(fwt_tpm_attest_parse(ctx, x.b, x.n, &a), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "clockInfo.safe"));
	x = m;
	x.b[44 + sizeof(nonce) + 17 + 8 + 3] = 9;
	T_EQ_INT(fwt_tpm_attest_parse(ctx, x.b, x.n, &a), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "pcrSelect.count"));
	x = m;
	x.b[44 + sizeof(nonce) + 17 + 8 + 4 + 2] = 5;
	T_EQ_INT(fwt_tpm_attest_parse(ctx, x.b, x.n, &a), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "sizeofSelect"));
	/* too large as a whole */
	{
		static unsigned char big[FWT_TPM_QUOTE_MAX_SIZE + 1];
		T_EQ_INT(fwt_tpm_attest_parse(ctx, big, sizeof(big), &a), FWT_EFORMAT);
		T_EQ_INT(fwt_tpm_signature_parse(ctx, big, sizeof(big), &ts), FWT_EFORMAT);
	}
	/* names in messages */
	{
		fwt_quote_options o = FWT_QUOTE_OPTIONS_INIT;
		o.msg_name = "q.msg";
		T_EQ_INT(fwt_tpm_quote_verify(ctx, m.b, 10, s.b, s.n, ak_rsa, pcrs, &o, &r), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'q.msg': "));
	}
}

/* RSASSA-PKCS1-v1_5 is for TPM quotes only: no JOSE name, no COSE id, no
 * default, so JWS "RS256" and COSE -257 stay refused. */
static void test_pkcs1_stays_out(void)
{
	fwt_sig_alg a = FWT_SIG_NONE;
	static const char *const names[] = { "RS256", "RS384", "RSASSA-SHA256", "RSASSA-SHA384", "" };
	static const long long ids[] = { -257, -258, -259, 0 };
	size_t i;
	fwt_jws *j = NULL;
	fwt_cose *c = NULL;
	fwt_cose_result cr;
	char jws[2048];
	unsigned char cose[600], sig[256];
	size_t sl = sizeof(sig), n = 0;
	EVP_MD_CTX *mc;
	EVP_PKEY_CTX *pc = NULL;
	static const unsigned char prot[] = { 0xa1, 0x01, 0x39, 0x01, 0x00 }; /* {1: -257} */

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		T_EQ_INT(fwt_sig_alg_from_name(names[i], strlen(names[i]), &a), FWT_EUNSUPPORTED);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		T_EQ_INT(fwt_sig_alg_from_cose_id(ids[i], &a), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_sig_alg_cose_id(FWT_SIG_TPM_RSASSA_SHA256), 0);
	T_EQ_INT(fwt_pubkey_default_alg(ak_rsa), FWT_SIG_NONE);
	T_ASSERT(!fwt_sig_alg_is_ecdsa(FWT_SIG_TPM_RSASSA_SHA256));

	/* a JWS signed RS256 with the RSA key: refused at parse */
	{
		const char *hdr = "eyJhbGciOiJSUzI1NiJ9"; /* {"alg":"RS256"} */
		const char *pl = "eyJhIjoxfQ";            /* {"a":1} */
		char si[sizeof(jws)];
		snprintf(si, sizeof(si), "%s.%s", hdr, pl);
		mc = EVP_MD_CTX_new();
		T_ASSERT(mc && EVP_DigestSignInit_ex(mc, &pc, "SHA256", NULL, NULL, k_rsa, NULL) > 0 &&
		         EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) > 0 &&
		         EVP_DigestSign(mc, sig, &sl, (unsigned char *)si, strlen(si)) > 0);
		EVP_MD_CTX_free(mc);
		n = (size_t)snprintf(jws, sizeof(jws), "%s.", si);
		n += fwt_b64url_encode(jws + n, sig, sl);
		T_ASSERT(fwt_jws_parse(ctx, &j, jws, n, NULL) != FWT_OK);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "JWS algorithm 'RS256' is not allowed"));
		fwt_jws_free(j);
	}
	/* a COSE_Sign1 with alg -257 (RS256) signed over its Sig_structure:
	 * parses, and is refused at verification */
	{
		unsigned char tbs[64];
		size_t tl = 0;
		/* Sig_structure ["Signature1", h'a1013901 00', h'', h'6869'] */
		static const unsigned char ss_head[] = { 0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1', 0x45 };
		memcpy(tbs, ss_head, sizeof(ss_head));
		tl = sizeof(ss_head);
		memcpy(tbs + tl, prot, sizeof(prot));
		tl += sizeof(prot);
		tbs[tl++] = 0x40;
		tbs[tl++] = 0x42;
		tbs[tl++] = 'h';
		tbs[tl++] = 'i';
		sl = sizeof(sig);
		mc = EVP_MD_CTX_new();
		pc = NULL;
		T_ASSERT(mc && EVP_DigestSignInit_ex(mc, &pc, "SHA256", NULL, NULL, k_rsa, NULL) > 0 &&
		         EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) > 0 &&
		         EVP_DigestSign(mc, sig, &sl, tbs, tl) > 0);
		EVP_MD_CTX_free(mc);
		n = 0;
		cose[n++] = 0xd2; /* tag 18 */
		cose[n++] = 0x84;
		cose[n++] = 0x45;
		memcpy(cose + n, prot, sizeof(prot));
		n += sizeof(prot);
		cose[n++] = 0xa0;
		cose[n++] = 0x42;
		cose[n++] = 'h';
		cose[n++] = 'i';
		cose[n++] = 0x59; /* bstr, 2-byte length */
		cose[n++] = (unsigned char)(sl >> 8);
		cose[n++] = (unsigned char)sl;
		memcpy(cose + n, sig, sl);
		n += sl;
		T_EQ_INT(fwt_cose_parse(ctx, &c, cose, n, NULL), FWT_OK);
		memset(&cr, 0, sizeof(cr));
		T_ASSERT(fwt_cose_verify(ctx, c, ak_rsa, NULL, &cr) != FWT_OK);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "COSE algorithm -257 is not supported"));
		fwt_cose_free(c);
	}
}

/* The signed selection of a verified quote bounds what --expect decides on
 * (RELIABILITY E6): fwt_tpm_quote_scope and fwt_pcrs_compare_scope. */
static void test_scope(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();
	struct buf m, s;
	fwt_quote_result r;
	fwt_pcr_scope sc, cmp;
	fwt_pcrs *want = NULL, *only = NULL;
	fwt_pcr_mismatch *mm = NULL;
	unsigned char v[48];
	size_t n = 0;
	unsigned pcr;

	/* sha256 {0,7} and sha384 {2} signed */
	sp.sel[1].hash = 0x000c;
	sp.sel[1].mask = 0x04;
	sp.n_sel = 2;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_OK);
	T_EQ_INT(fwt_tpm_quote_scope(&r, &sc), FWT_OK);
	T_EQ_INT(fwt_pcr_scope_banks(&sc), FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384);
	T_EQ_INT(fwt_pcr_scope_get(&sc, FWT_DIGEST_SHA256), 0x81);
	T_EQ_INT(fwt_pcr_scope_get(&sc, FWT_DIGEST_SHA384), 0x04);
	T_EQ_INT(fwt_pcr_scope_get(&sc, FWT_DIGEST_SHA1), 0);

	/* a reference equal to the replay except in PCRs the quote does not sign */
	T_EQ_INT(fwt_pcrs_new(ctx, &want), FWT_OK);
	for (pcr = 0; pcr < 24; pcr++) {
		memset(v, 0, sizeof(v));
		v[0] = (unsigned char)pcr;
		if (pcr == 4 || pcr == 3)
			v[1] = 0xee; /* unsigned in both banks */
		T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, pcr, v, 32), FWT_OK);
		v[1] = pcr == 7 ? 0xee : v[1]; /* sha384 PCR 7 is not signed either */
		T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA384, pcr, v, 48), FWT_OK);
	}
	/* the reference gives PCRs the quote does not sign: the log alone
	 * does not vouch for them, so that is a no, nothing compared */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, want, &sc, 0, 0, &mm, &n, &cmp), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "sha256 PCR 1, which the reference values give, is not in the quote's "
	                                     "signed selection"));
	T_EQ_INT(n, 0);
	T_EQ_INT(fwt_pcr_scope_banks(&cmp), 0);
	/* a reference of the signed PCRs alone: each decided on, a match */
	T_EQ_INT(fwt_pcrs_new(ctx, &only), FWT_OK);
	T_EQ_INT(fwt_pcrs_set(only, FWT_DIGEST_SHA256, 0, fwt_pcrs_get(want, FWT_DIGEST_SHA256, 0), 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_set(only, FWT_DIGEST_SHA256, 7, fwt_pcrs_get(want, FWT_DIGEST_SHA256, 7), 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_set(only, FWT_DIGEST_SHA384, 2, fwt_pcrs_get(want, FWT_DIGEST_SHA384, 2), 48), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, only, &sc, 0, 0, &mm, &n, &cmp), FWT_OK);
	T_EQ_INT(n, 0);
	T_EQ_MEM(&cmp, &sc, sizeof(cmp));
	/* unscoped, the whole reference differs (what the log alone would decide) */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, want, NULL, 0, 0, &mm, &n, &cmp), FWT_EVERIFY);
	T_EQ_INT(n, 5);
	T_EQ_INT(fwt_pcr_scope_get(&cmp, FWT_DIGEST_SHA256), 0xffffff);
	free(mm);
	/* a signed PCR differs: a no naming it */
	memset(v, 0, sizeof(v));
	v[0] = 2;
	v[2] = 1;
	T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA384, 2, v, 48), FWT_OK);
	T_EQ_INT(fwt_pcrs_set(only, FWT_DIGEST_SHA384, 2, v, 48), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, only, &sc, 0, 0, &mm, &n, &cmp), FWT_EVERIFY);
	T_EQ_INT(n, 1);
	T_EQ_INT(mm[0].alg, FWT_DIGEST_SHA384);
	T_EQ_INT(mm[0].pcr, 2);
	free(mm);
	/* narrowed inside the selection: only sha256 PCR 7 */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, want, &sc, FWT_DIGEST_SHA256, 0x80, &mm, &n, &cmp), FWT_OK);
	T_EQ_INT(fwt_pcr_scope_banks(&cmp), FWT_DIGEST_SHA256);
	T_EQ_INT(fwt_pcr_scope_get(&cmp, FWT_DIGEST_SHA256), 0x80);
	/* outside it: a bank not signed, a PCR not signed in a compared bank */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, want, &sc, FWT_DIGEST_SHA1, 0, &mm, &n, &cmp), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not sign any PCR of the sha1 bank"));
	T_EQ_INT(n, 0);
	T_EQ_INT(fwt_pcr_scope_banks(&cmp), 0);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, want, &sc, 0, 0x80, &mm, &n, &cmp), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "sha384 PCR 7 is not in the quote's signed selection"));
	T_EQ_INT(n, 0);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, want, &sc, FWT_DIGEST_SHA256, 0x10, &mm, &n, &cmp), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "sha256 PCR 4 is not in"));
	fwt_pcrs_free(only);
	fwt_pcrs_free(want);

	/* a reference that gives none of the signed banks: nothing to decide on */
	T_EQ_INT(fwt_pcrs_new(ctx, &want), FWT_OK);
	memset(v, 0, sizeof(v));
	T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA1, 0, v, 20), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, want, &sc, 0, 0, &mm, &n, &cmp), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no PCR bank the quote signs"));
	/* --bank sha256 on that reference: every signed PCR is missing, a difference */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, pcrs, want, &sc, FWT_DIGEST_SHA256, 0, &mm, &n, &cmp), FWT_EVERIFY);
	T_EQ_INT(n, 2);
	T_ASSERT(mm[0].missing && mm[1].missing);
	T_EQ_INT(mm[1].pcr, 7);
	free(mm);
	fwt_pcrs_free(want);

	/* no scope from a quote that did not verify: a forged selection (the
	 * signature over the original, PCR 4 added) ... */
	sp = good_spec();
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	sp.sel[0].mask = 0x91;
	build_attest(&sp, &m);
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, FWT_QUOTE_SIGNATURE);
	T_EQ_INT(fwt_tpm_quote_scope(&r, &sc), FWT_EINVAL);
	T_EQ_INT(fwt_pcr_scope_banks(&sc), 0);
	/* ... a wrong nonce, a result never filled */
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k_p256, FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, &m, &s));
	o.nonce_len = 4;
	T_EQ_INT(verify(&m, &s, ak_p256, &o, &r), FWT_EVERIFY);
	T_EQ_INT(fwt_tpm_quote_scope(&r, &sc), FWT_EINVAL);
	memset(&r, 0, sizeof(r));
	T_EQ_INT(fwt_tpm_quote_scope(&r, &sc), FWT_EINVAL);
	T_EQ_INT(fwt_tpm_quote_scope(NULL, &sc), FWT_EINVAL);
	T_EQ_INT(fwt_tpm_quote_scope(&r, NULL), FWT_EINVAL);
}

/* An AK given as a certificate vouches only as any signer's certificate
 * does: the same key under an expired or SPDM-identity certificate fails
 * right after the signature, as "ak"; under a good one it verifies. */
static void test_ak_certificate(void)
{
	struct attest_spec sp = good_spec();
	fwt_quote_options o = with_nonce();
	fwt_quote_result r;
	fwt_pubkey *good = NULL, *expired = NULL, *spdm = NULL;
	EVP_PKEY *k = NULL;
	struct buf m, s;
	FILE *f = fopen("testdata/keys/p384.key.pem", "r");

	T_ASSERT(f);
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	T_ASSERT(k);
	T_EQ_INT(fwt_pubkey_load(ctx, &good, "testdata/keys/p384.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &expired, "testdata/trust/p384-expired.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &spdm, "testdata/trust/p384-spdm-eku.crt.pem"), FWT_OK);
	sp.digest_hash = FWT_DIGEST_SHA384;
	build_attest(&sp, &m);
	T_ASSERT(sign_tpm(k, FWT_TPM_ALG_ECDSA, "SHA384", 0x000c, &m, &s));
	T_EQ_INT(verify(&m, &s, good, &o, &r), FWT_OK);
	T_EQ_INT(verify(&m, &s, expired, &o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, FWT_QUOTE_AK);
	T_EQ_STR(fwt_quote_check_name(r.failed), "ak");
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "the AK does not vouch for the quote: certificate") &&
	         strstr(fwt_ctx_errmsg(ctx), "expired on 2021-01-01T00:00:00Z"));
	T_EQ_INT(verify(&m, &s, spdm, &o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, FWT_QUOTE_AK);
	/* a forged signature is still "signature", checked first */
	s.b[s.n - 1] ^= 1;
	T_EQ_INT(verify(&m, &s, expired, &o, &r), FWT_EVERIFY);
	T_EQ_INT(r.failed, FWT_QUOTE_SIGNATURE);
	fwt_pubkey_free(good);
	fwt_pubkey_free(expired);
	fwt_pubkey_free(spdm);
	EVP_PKEY_free(k);
}

/* ---- the AK's TPM public area (TPM2B_PUBLIC / TPMT_PUBLIC) ---- */

#define ATTR_AK 0x00050072u /* tpm2_createak: fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign */
#define ATTR_FIXEDTPM 0x00000002u
#define ATTR_RESTRICTED 0x00010000u
#define ATTR_DECRYPT 0x00020000u
#define ATTR_SIGN 0x00040000u

struct pub_spec {
	uint32_t attrs;
	unsigned scheme, scheme_hash; /* TPM_ALG_ID; scheme FWT_TPM_ALG_NULL: none */
	unsigned curve;               /* ECC: TPM_ECC_CURVE */
	uint32_t exponent;            /* RSA: as written (0: 65537) */
	int sized;                    /* 1: TPM2B_PUBLIC, 0: bare TPMT_PUBLIC */
};

/* The public area of k (EC or RSA) as a TPM writes it. */
static int build_public(EVP_PKEY *k, const struct pub_spec *sp, struct buf *o)
{
	unsigned char pt[1 + 2 * 66], n[512];
	size_t plen = 0, w;
	BIGNUM *bn = NULL;
	int rsa = EVP_PKEY_is_a(k, "RSA");

	o->n = sp->sized ? 2 : 0;
	put(o, rsa ? FWT_TPM_ALG_RSA : FWT_TPM_ALG_ECC, 2);
	put(o, 0x000b, 2); /* nameAlg sha256 */
	put(o, sp->attrs, 4);
	put(o, 0, 2);      /* authPolicy: empty */
	put(o, FWT_TPM_ALG_NULL, 2); /* symmetric */
	put(o, sp->scheme, 2);
	if (sp->scheme != FWT_TPM_ALG_NULL)
		put(o, sp->scheme_hash, 2);
	if (rsa) {
		w = (size_t)EVP_PKEY_get_bits(k) / 8;
		if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &bn) || BN_bn2binpad(bn, n, (int)w) < 0) {
			BN_free(bn);
			return 0;
		}
		BN_free(bn);
		put(o, w * 8, 2);
		put(o, sp->exponent, 4);
		put2b(o, n, w);
	} else {
		if (!EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt), &plen) || pt[0] != 4)
			return 0;
		w = (plen - 1) / 2;
		put(o, sp->curve, 2);
		put(o, FWT_TPM_ALG_NULL, 2); /* kdf */
		put2b(o, pt + 1, w);
		put2b(o, pt + 1 + w, w);
	}
	if (sp->sized) {
		o->b[0] = (unsigned char)((o->n - 2) >> 8);
		o->b[1] = (unsigned char)(o->n - 2);
	}
	return 1;
}

static struct pub_spec ak_spec(EVP_PKEY *k)
{
	struct pub_spec sp = { ATTR_AK, FWT_TPM_ALG_ECDSA, 0x000b, 0x0003, 0, 1 };

	if (EVP_PKEY_is_a(k, "RSA"))
		sp.scheme = FWT_TPM_ALG_RSASSA;
	return sp;
}

/* A quote of the good spec signed by k with its AK scheme. */
static int signed_quote(EVP_PKEY *k, struct buf *m, struct buf *s)
{
	struct attest_spec sp = good_spec();

	build_attest(&sp, m);
	return sign_tpm(k, EVP_PKEY_is_a(k, "RSA") ? FWT_TPM_ALG_RSASSA : FWT_TPM_ALG_ECDSA, "SHA256", 0x000b, m, s);
}

/* An AK given as its TPM2B_PUBLIC (or bare TPMT_PUBLIC), ECC P-256 and
 * RSA 2048: read into the same key as its SubjectPublicKeyInfo, and a
 * quote by a restricted signing key verifies with its attributes checked. */
static void test_ak_public_good(void)
{
	EVP_PKEY *keys[] = { k_p256, k_rsa };
	fwt_pubkey *spki[] = { ak_p256, ak_rsa };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct pub_spec ps = ak_spec(keys[i]);
		fwt_quote_options o = with_nonce();
		fwt_tpm_public tp;
		fwt_pubkey *ak = NULL;
		fwt_quote_result r;
		unsigned char fp[32];
		struct buf pb, m, s;

		T_ASSERT(build_public(keys[i], &ps, &pb) && signed_quote(keys[i], &m, &s));
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, pb.b, pb.n, "ak.pub"), FWT_OK);
		T_ASSERT(fwt_pubkey_fingerprint(spki[i], fp) == FWT_OK);
		T_EQ_MEM(tp.fp, fp, 32);
		T_EQ_INT(tp.type, i ? FWT_TPM_ALG_RSA : FWT_TPM_ALG_ECC);
		T_EQ_INT(tp.sized, 1);
		T_EQ_INT(tp.attributes, ATTR_AK);
		T_EQ_INT(tp.scheme, ps.scheme);
		T_EQ_INT(tp.scheme_hash, 0x000b);
		T_EQ_INT(tp.bits, i ? 2048 : 256);
		T_EQ_STR(fwt_pubkey_name(ak), "ak.pub");
		T_EQ_INT(fwt_pubkey_type(ak), i ? FWT_KEY_RSA : FWT_KEY_EC_P256);
		o.ak_public = &tp;
		T_EQ_INT(verify(&m, &s, ak, &o, &r), FWT_OK);
		T_EQ_INT(r.ak_restricted, 1);
		T_EQ_INT(r.ak_attributes, ATTR_AK);
		T_EQ_MEM(r.ak_fp, fp, 32);
		/* the same key as a PEM/SPKI: attributes not known */
		o.ak_public = NULL;
		T_EQ_INT(verify(&m, &s, spki[i], &o, &r), FWT_OK);
		T_EQ_INT(r.ak_restricted, -1);
		/* a key that names no scheme: the TPM used the quote's */
		ps.scheme = FWT_TPM_ALG_NULL;
		T_ASSERT(build_public(keys[i], &ps, &pb));
		fwt_pubkey_free(ak);
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, pb.b, pb.n, "ak.pub"), FWT_OK);
		T_EQ_INT(tp.scheme, FWT_TPM_ALG_NULL);
		o.ak_public = &tp;
		T_EQ_INT(verify(&m, &s, ak, &o, &r), FWT_OK);
		/* a bare TPMT_PUBLIC (tpm2_readpublic -f tpmt) */
		ps.sized = 0;
		T_ASSERT(build_public(keys[i], &ps, &pb));
		fwt_pubkey_free(ak);
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, pb.b, pb.n, "ak.tpmt"), FWT_OK);
		T_EQ_INT(tp.sized, 0);
		T_EQ_MEM(tp.fp, fp, 32);
		T_EQ_INT(verify(&m, &s, ak, &o, &r), FWT_OK);
		/* a public area of another key than ak */
		T_EQ_INT(verify(&m, &s, i ? ak_p256 : ak_rsa, &o, &r), FWT_EINVAL);
		fwt_pubkey_free(ak);
	}
	/* RSA exponent 0 is 65537: the same key as 65537 written out */
	{
		struct pub_spec ps = ak_spec(k_rsa);
		fwt_tpm_public t0, t1;
		fwt_pubkey *a0 = NULL, *a1 = NULL;
		struct buf pb;
		T_ASSERT(build_public(k_rsa, &ps, &pb));
		T_EQ_INT(fwt_tpm_public_parse(ctx, &a0, &t0, pb.b, pb.n, "a0"), FWT_OK);
		ps.exponent = 65537;
		T_ASSERT(build_public(k_rsa, &ps, &pb));
		T_EQ_INT(fwt_tpm_public_parse(ctx, &a1, &t1, pb.b, pb.n, "a1"), FWT_OK);
		T_EQ_MEM(t0.fp, t1.fp, 32);
		fwt_pubkey_free(a0);
		fwt_pubkey_free(a1);
	}
}

/* The attack: a TPM signing key without the restricted attribute signs any
 * digest, a made-up TPMS_ATTEST with the magic among them.  Its public area
 * shows it, and so does one that may decrypt or may leave the TPM: "ak". */
static void test_ak_public_attributes(void)
{
	static const struct {
		uint32_t attrs;
		const char *why;
	} bad[] = {
		{ ATTR_AK & ~ATTR_RESTRICTED, "restricted is clear" },  /* tpm2_create -a 'sign|fixedtpm|...' */
		{ ATTR_AK | ATTR_DECRYPT, "decrypt is set" },
		{ ATTR_AK & ~ATTR_FIXEDTPM, "fixedTPM is clear" },
		{ (ATTR_AK & ~ATTR_SIGN) | ATTR_DECRYPT, "sign is clear" },
		{ 0, "sign is clear" },
	};
	EVP_PKEY *keys[] = { k_p256, k_rsa };
	size_t i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			struct pub_spec ps = ak_spec(keys[i]);
			fwt_quote_options o = with_nonce();
			fwt_tpm_public tp;
			fwt_pubkey *ak = NULL;
			fwt_quote_result r;
			struct buf pb, m, s;

			ps.attrs = bad[j].attrs;
			T_ASSERT(build_public(keys[i], &ps, &pb) && signed_quote(keys[i], &m, &s));
			T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, pb.b, pb.n, "free.pub"), FWT_OK);
			o.ak_public = &tp;
			T_EQ_INT(verify(&m, &s, ak, &o, &r), FWT_EVERIFY);
			T_EQ_INT(r.failed, FWT_QUOTE_AK);
			T_EQ_STR(fwt_quote_check_name(r.failed), "ak");
			T_EQ_INT(r.ak_restricted, 0);
			T_EQ_INT(r.ak_attributes, bad[j].attrs);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "AK 'free.pub' is not a restricted signing key of a TPM") &&
			         strstr(fwt_ctx_errmsg(ctx), bad[j].why));
			/* a forged signature is still "signature", checked first */
			s.b[s.n - 1] ^= 1;
			T_EQ_INT(verify(&m, &s, ak, &o, &r), FWT_EVERIFY);
			T_EQ_INT(r.failed, FWT_QUOTE_SIGNATURE);
			fwt_pubkey_free(ak);
		}
}

/* A key bound to a scheme signs with that scheme and hash only: a quote
 * signature of another is a no. */
static void test_ak_public_scheme(void)
{
	static const struct {
		int rsa;
		unsigned scheme, hash;
		const char *msg;
	} cases[] = {
		{ 0, FWT_TPM_ALG_ECDSA, 0x000c, "signs with ECDSA and sha384 only, but the quote's signature is ECDSA with sha256" },
		{ 0, 0x001c, 0x000b, "signs with ECSCHNORR and sha256 only, but the quote's signature is ECDSA with sha256" },
		{ 0, 0x001a, 0x000b, "signs with ECDAA and sha256 only" },
		{ 1, FWT_TPM_ALG_RSAPSS, 0x000b, "signs with RSAPSS and sha256 only, but the quote's signature is RSASSA with sha256" },
		{ 1, FWT_TPM_ALG_RSASSA, 0x000c, "signs with RSASSA and sha384 only" },
		{ 1, 0x0017, 0x000b, "signs with OAEP and sha256 only" },
		{ 1, 0x0015, 0, "signs with RSAES and hash 0x0000 only" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EVP_PKEY *k = cases[i].rsa ? k_rsa : k_p256;
		struct pub_spec ps = ak_spec(k);
		fwt_quote_options o = with_nonce();
		fwt_tpm_public tp;
		fwt_pubkey *ak = NULL;
		fwt_quote_result r;
		struct buf pb, m, s;

		ps.scheme = cases[i].scheme;
		ps.scheme_hash = cases[i].hash;
		T_ASSERT(build_public(k, &ps, &pb) && signed_quote(k, &m, &s));
		if (ps.scheme == 0x001a) { /* ECDAA details: hashAlg, count */
			memmove(pb.b + 2 + 16 + 2, pb.b + 2 + 16, pb.n - 2 - 16);
			pb.b[2 + 16] = 0;
			pb.b[2 + 16 + 1] = 1;
			pb.n += 2;
			pb.b[1] += 2;
		} else if (ps.scheme == 0x0015) { /* RSAES: no details */
			memmove(pb.b + 2 + 14, pb.b + 2 + 16, pb.n - 2 - 16);
			pb.n -= 2;
			pb.b[1] -= 2;
		}
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, pb.b, pb.n, "ak.pub"), FWT_OK);
		T_EQ_INT(tp.scheme, cases[i].scheme);
		o.ak_public = &tp;
		T_EQ_INT(verify(&m, &s, ak, &o, &r), FWT_EVERIFY);
		T_EQ_INT(r.failed, FWT_QUOTE_AK);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), cases[i].msg) != NULL);
		fwt_pubkey_free(ak);
	}
}

/* Truncation at every offset, trailing bytes, sizes that disagree, and
 * what fwtrail does not read. */
static void test_ak_public_malformed(void)
{
	EVP_PKEY *keys[] = { k_p256, k_rsa };
	fwt_tpm_public tp;
	fwt_pubkey *ak = NULL;
	struct buf pb, x;
	size_t i, j;
	int sized;

	for (i = 0; i < 2; i++)
		for (sized = 0; sized < 2; sized++) {
			struct pub_spec ps = ak_spec(keys[i]);
			ps.sized = sized;
			T_ASSERT(build_public(keys[i], &ps, &pb));
			for (j = 0; j < pb.n; j++) {
				T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, pb.b, j, "ak.pub"), FWT_EFORMAT);
				T_ASSERT(ak == NULL);
				T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'ak.pub': ") && strstr(fwt_ctx_errmsg(ctx), " at offset "));
			}
			x = pb;
			x.b[x.n++] = 0;
			T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EFORMAT);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "1 trailing bytes at offset"));
			T_ASSERT(ak == NULL);
		}
	/* a TPM2B_PUBLIC whose size leaves a byte after its TPMT_PUBLIC */
	{
		struct pub_spec ps = ak_spec(k_p256);
		T_ASSERT(build_public(k_p256, &ps, &pb));
		x = pb;
		x.b[x.n++] = 0;
		x.b[1]++;
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "TPMT_PUBLIC ends at offset"));
		/* offsets of the TPMT_PUBLIC fields: type 2, nameAlg 4, attributes 6,
		 * authPolicy 10, symmetric 12, scheme 14, hash 16, curve 18, kdf 20, x 22 */
		x = pb;
		x.b[19] = 0x05; /* NIST P-521 */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		T_EQ_STR(fwt_ctx_errmsg(ctx), "'ak.pub': ECC curve 0x0005 at offset 18 is not supported (use NIST P-256 or P-384)");
		x.b[19] = 0x20; /* SM2 P-256 */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		x.b[19] = 0x10; /* BN P-256 */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		x = pb;
		x.b[3] = 0x99; /* an unknown type */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		x.b[3] = 0x08; /* keyedhash */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is a keyedhash object"));
		x = pb;
		x.b[15] = 0x99; /* an unknown scheme */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		x.b[15] = 0x14; /* RSASSA on an ECC key */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		x = pb;
		x.b[13] = 0x06; /* symmetric AES: then keyBits and mode, not the scheme */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		x = pb;
		x.b[21] = 0x99; /* an unknown KDF */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		x = pb;
		x.b[11] = 65; /* authPolicy above 64 bytes */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "authPolicy at offset 10 is 65 bytes, more than 64"));
		x = pb;
		x.b[23] = 33; /* x longer than the curve */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "unique.ecc.x at offset 22 is 33 bytes, more than 32"));
		x = pb;
		x.b[x.n - 1] ^= 1; /* a point off the curve */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'ak.pub' is not a valid public key"));
		/* too large as a whole */
		{
			static unsigned char big[FWT_TPM_PUBLIC_MAX_SIZE + 1];
			T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, big, sizeof(big), "big"), FWT_EFORMAT);
		}
		T_EQ_INT(fwt_tpm_public_parse(ctx, NULL, &tp, pb.b, pb.n, "ak.pub"), FWT_EINVAL);
	}
	/* RSA: a key size fwtrail does not read; a modulus of another size */
	{
		struct pub_spec ps = ak_spec(k_rsa);
		T_ASSERT(build_public(k_rsa, &ps, &pb));
		x = pb;
		x.b[18] = 0x04; /* keyBits 1024 */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EUNSUPPORTED);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "RSA keyBits 1024 at offset 18 is not supported"));
		x.b[18] = 0x0c; /* keyBits 3072 with a 2048-bit modulus */
		T_EQ_INT(fwt_tpm_public_parse(ctx, &ak, &tp, x.b, x.n, "ak.pub"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "unique.rsa at offset 24 is 256 bytes, not the 384 of a 3072-bit key"));
	}
}

/* fwt_tpm_ak_load: a TPM public area by its first byte, anything else as a
 * PEM key, certificate or JWK (attributes unknown). */
static void test_ak_load(void)
{
	struct pub_spec ps = ak_spec(k_p256);
	char path[] = "/tmp/fwt-quote-test-XXXXXX";
	fwt_tpm_public tp;
	fwt_pubkey *ak = NULL;
	struct buf pb;
	FILE *f;
	int fd;

	T_ASSERT(build_public(k_p256, &ps, &pb));
	fd = mkstemp(path);
	T_ASSERT(fd >= 0);
	f = fdopen(fd, "wb");
	T_ASSERT(f && fwrite(pb.b, 1, pb.n, f) == pb.n);
	fclose(f);
	T_EQ_INT(fwt_tpm_ak_load(ctx, &ak, &tp, path), FWT_OK);
	T_EQ_INT(tp.type, FWT_TPM_ALG_ECC);
	T_EQ_STR(fwt_pubkey_name(ak), path);
	fwt_pubkey_free(ak);
	f = fopen(path, "wb");
	T_ASSERT(f && fwrite(pb.b, 1, pb.n - 1, f) == pb.n - 1);
	fclose(f);
	T_EQ_INT(fwt_tpm_ak_load(ctx, &ak, &tp, path), FWT_EFORMAT);
	T_ASSERT(ak == NULL);
	remove(path);
	T_EQ_INT(fwt_tpm_ak_load(ctx, &ak, &tp, "testdata/keys/p384.pub.pem"), FWT_OK);
	T_EQ_INT(tp.type, 0);
	T_EQ_INT(fwt_pubkey_type(ak), FWT_KEY_EC_P384);
	fwt_pubkey_free(ak);
	T_EQ_INT(fwt_tpm_ak_load(ctx, &ak, &tp, "testdata/keys/p384.crt.pem"), FWT_OK);
	T_EQ_INT(tp.type, 0);
	T_ASSERT(fwt_pubkey_has_cert(ak));
	fwt_pubkey_free(ak);
	T_EQ_INT(fwt_tpm_ak_load(ctx, &ak, &tp, "testdata/keys/no-such-key.pem"), FWT_EIO);
}

int main(void)
{
	unsigned char v[64];
	unsigned pcr;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	k_p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	k_p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	k_rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ak_p256 = pub_of(k_p256);
	ak_p384 = pub_of(k_p384);
	ak_rsa = pub_of(k_rsa);
	if (!ak_p256 || !ak_p384 || !ak_rsa || fwt_pcrs_new(ctx, &pcrs) != FWT_OK)
		return 1;
	for (pcr = 0; pcr < 24; pcr++) {
		memset(v, 0, sizeof(v));
		v[0] = (unsigned char)pcr;
		if (fwt_pcrs_set(pcrs, FWT_DIGEST_SHA256, pcr, v, 32) != FWT_OK ||
		    fwt_pcrs_set(pcrs, FWT_DIGEST_SHA384, pcr, v, 48) != FWT_OK)
			return 1;
	}
	T_RUN(test_good_quotes);
	T_RUN(test_magic);
	T_RUN(test_type);
	T_RUN(test_nonce);
	T_RUN(test_selection);
	T_RUN(test_empty_selection);
	T_RUN(test_need_extended);
	T_RUN(test_bank);
	T_RUN(test_digest);
	T_RUN(test_replayed_log);
	T_RUN(test_signature);
	T_RUN(test_unsupported);
	T_RUN(test_malformed);
	T_RUN(test_pkcs1_stays_out);
	T_RUN(test_scope);
	T_RUN(test_ak_certificate);
	T_RUN(test_ak_public_good);
	T_RUN(test_ak_public_attributes);
	T_RUN(test_ak_public_scheme);
	T_RUN(test_ak_public_malformed);
	T_RUN(test_ak_load);
	fwt_pcrs_free(pcrs);
	fwt_pubkey_free(ak_p256);
	fwt_pubkey_free(ak_p384);
	fwt_pubkey_free(ak_rsa);
	EVP_PKEY_free(k_p256);
	EVP_PKEY_free(k_p384);
	EVP_PKEY_free(k_rsa);
	fwt_ctx_free(ctx);
	return t_done();
}
