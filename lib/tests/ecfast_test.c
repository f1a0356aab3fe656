/* SPDX-License-Identifier: Apache-2.0 */
/* ecfast_test.c - the P-384 and P-521 verifiers with a table for the key
 * (ecfast.c) against OpenSSL's own ECDSA verify, signature by signature,
 * on each curve: random digests of every length the callers use (and
 * longer ones, cut to the order's bits), good signatures, their (r, n - s)
 * twins, one-bit changes of digest, r and s, r and s swapped, another
 * key's signature; the edges: a digest of zero (u1 = 0), r or s of 0,
 * n - 1 or n, and a signature whose R is the point at infinity; the
 * crafted cases of testdata/ecfast (x(R) >= n, a sum that is a doubling or
 * the point at infinity, keys at special multiples of G), also through
 * fwt_sig_verify_digest, before and after the key has its table; other
 * curves get none; and one table read by several threads at once. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>
#include <fwtrail/fwtrail.h>
#include "ecfast.h"
#include "sig_internal.h"
#include "t.h"

#define NMAX 66

/* SPKI headers: the fixed DER before the uncompressed point */
static const unsigned char spki_p384[] = { 0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	                                   0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00 };
static const unsigned char spki_p521[] = { 0x30, 0x81, 0x9b, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
	                                   0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23, 0x03,
	                                   0x81, 0x86, 0x00 };

static const struct curve {
	const char *name;
	int nid;
	size_t n;                     /* bytes of r, s and the order */
	unsigned bits;                /* of the order */
	size_t dglen;                 /* the digest of its algorithm */
	fwt_sig_alg alg;
	const unsigned char *spki;
	size_t spkilen;
} curves[] = {
	{ "P-384", NID_secp384r1, 48, 384, 48, FWT_SIG_ES384, spki_p384, sizeof(spki_p384) },
	{ "P-521", NID_secp521r1, 66, 521, 64, FWT_SIG_ES512, spki_p521, sizeof(spki_p521) },
};
static const struct curve *C;      /* the one the tests run on */
static unsigned char order[NMAX]; /* its order n, C->n bytes (from OpenSSL) */

static int load_order(void)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(C->nid);
	int ok = g && BN_bn2binpad(EC_GROUP_get0_order(g), order, (int)C->n) == (int)C->n;

	EC_GROUP_free(g);
	return ok;
}
static fwt_ctx *ctx;

static EVP_PKEY *keygen(const char *curve)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
}

/* OpenSSL's verdict on (r, s) over dg: 1 valid, 0 not (an error counts as not). */
static int ossl_verify(EVP_PKEY *k, const unsigned char *dg, size_t dglen, const unsigned char *raw)
{
	unsigned char *der = NULL;
	size_t derlen = 0;
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(k, NULL);
	int rc = 0;

	if (pc && EVP_PKEY_verify_init(pc) == 1 && fwt_ecdsa_raw_to_der(raw, 2 * C->n, &der, &derlen) == FWT_OK)
		rc = EVP_PKEY_verify(pc, der, derlen, dg, dglen) == 1;
	free(der);
	EVP_PKEY_CTX_free(pc);
	return rc;
}

/* A signature by k over the digest dg (any length: OpenSSL cuts it as
 * FIPS 186-5 says), as raw r || s. */
static int sign_raw(EVP_PKEY *k, const unsigned char *dg, size_t dglen, unsigned char *raw)
{
	unsigned char der[160];
	size_t derlen = sizeof(der);
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(k, NULL);
	int ok = pc && EVP_PKEY_sign_init(pc) == 1 && EVP_PKEY_sign(pc, der, &derlen, dg, dglen) == 1 &&
	         fwt_ecdsa_der_to_raw(der, derlen, C->n, raw) == FWT_OK;

	EVP_PKEY_CTX_free(pc);
	return ok;
}

/* s -> n - s: the other valid form of every ECDSA signature */
static void negate_s(unsigned char *raw)
{
	BIGNUM *n = BN_bin2bn(order, (int)C->n, NULL), *s = BN_bin2bn(raw + C->n, (int)C->n, NULL);

	BN_sub(s, n, s);
	BN_bn2binpad(s, raw + C->n, (int)C->n);
	BN_free(n);
	BN_free(s);
}

static int same_verdict(const fwt__ecfast *f, EVP_PKEY *k, const unsigned char *dg, size_t dglen,
                        const unsigned char *raw, int *valid)
{
	int want = ossl_verify(k, dg, dglen, raw), got = fwt__ecfast_verify(f, dg, dglen, raw, raw + C->n, C->n);

	*valid = want;
	return got == want;
}

static void test_against_openssl(void)
{
	static const size_t lens[] = { 64, 48, 32, 66, 80, 1 };
	EVP_PKEY *a = keygen(C->name), *b = keygen(C->name);
	fwt__ecfast *fa = fwt__ecfast_new(NULL, a);
	unsigned char dg[80], raw[2 * NMAX], m[2 * NMAX], other[2 * NMAX], d2[80];
	size_t i, dl, n = C->n, keep, agree = 0, cases = 0, valid_seen = 0, invalid_seen = 0;
	int valid;

	T_ASSERT(a && b && fa);
	if (!a || !b || !fa)
		goto out;
	for (i = 0; i < 120; i++) {
		dl = lens[i % (sizeof(lens) / sizeof(lens[0]))];
		T_ASSERT(RAND_bytes(dg, (int)dl) == 1);
		T_ASSERT(sign_raw(a, dg, dl, raw));
		T_ASSERT(sign_raw(b, dg, dl, other));
#define CASE(D, R)                                              \
	do {                                                    \
		cases++;                                        \
		agree += same_verdict(fa, a, D, dl, R, &valid); \
		valid_seen += valid;                            \
		invalid_seen += !valid;                         \
	} while (0)
		CASE(dg, raw);
		memcpy(m, raw, 2 * n);
		negate_s(m);
		CASE(dg, m);
		memcpy(d2, dg, dl);
		/* within the leftmost bits the order keeps (a longer digest's
		 * tail is cut) */
		keep = C->bits / 8;
		d2[i % (dl < keep ? dl : keep)] ^= (unsigned char)(1u << (i % 8));
		CASE(d2, raw);
		memcpy(m, raw, 2 * n);
		m[1 + i % (n - 1)] ^= 0x10; /* r (P-521: its top byte is the 521st bit) */
		CASE(dg, m);
		memcpy(m, raw, 2 * n);
		m[n + 1 + i % (n - 1)] ^= 0x01; /* s */
		CASE(dg, m);
		memcpy(m, raw + n, n);
		memcpy(m + n, raw, n);
		CASE(dg, m);
		CASE(dg, other);
#undef CASE
	}
	T_EQ_INT(agree, cases);
	/* every good signature and its twin: 2 a round, the rest refused */
	T_EQ_INT(valid_seen, 2 * 120);
	T_EQ_INT(invalid_seen, cases - 2 * 120);
out:
	fwt__ecfast_free(fa);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
}

static void test_edges(void)
{
	EVP_PKEY *k = keygen(C->name);
	fwt__ecfast *f = fwt__ecfast_new(NULL, k);
	unsigned char dg[NMAX], raw[2 * NMAX], m[2 * NMAX];
	BIGNUM *d = NULL, *n = BN_bin2bn(order, (int)C->n, NULL), *r = BN_new(), *e = BN_new();
	BN_CTX *bc = BN_CTX_new();
	size_t N = C->n, dl = C->dglen, elen = (C->bits + 7) / 8;
	int valid;

	T_ASSERT(k && f && n && r && e && bc);
	if (!k || !f || !n || !r || !e || !bc)
		goto out;
	/* a digest of zero: u1 = 0, R = u2*Q alone, and the signature holds */
	memset(dg, 0, sizeof(dg));
	T_ASSERT(sign_raw(k, dg, dl, raw));
	T_EQ_INT(fwt__ecfast_verify(f, dg, dl, raw, raw + N, N), 1);
	T_ASSERT(same_verdict(f, k, dg, dl, raw, &valid) && valid);
	/* r or s of 0, n - 1 or n: never valid here, whatever OpenSSL says of
	 * the DER form of an out-of-range value */
	T_ASSERT(RAND_bytes(dg, (int)dl) == 1);
	T_ASSERT(sign_raw(k, dg, dl, raw));
	for (int which = 0; which < 2; which++) {
		memcpy(m, raw, 2 * N);
		memset(m + which * N, 0, N);
		T_EQ_INT(fwt__ecfast_verify(f, dg, dl, m, m + N, N), 0);
		memcpy(m + which * N, order, N);
		T_EQ_INT(fwt__ecfast_verify(f, dg, dl, m, m + N, N), 0);
		m[which * N + N - 1]--; /* n - 1: in range, and wrong */
		T_EQ_INT(fwt__ecfast_verify(f, dg, dl, m, m + N, N), 0);
		T_ASSERT(same_verdict(f, k, dg, dl, m, &valid) && !valid);
	}
	/* R at infinity: e = -r*d (mod n) makes u1*G + u2*Q = w*(e + r*d)*G = O.
	 * e goes in as a digest of the order's bytes whose leftmost bits are e
	 * (P-521: e << 7 in 66 bytes) */
	T_ASSERT(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1);
	T_ASSERT(BN_rand_range(r, n) == 1);
	if (BN_is_zero(r))
		BN_one(r);
	T_ASSERT(BN_mod_mul(e, r, d, n, bc) == 1 && BN_mod_sub(e, n, e, n, bc) == 1);
	T_ASSERT(BN_lshift(e, e, (int)(8 * elen - C->bits)) == 1 && BN_bn2binpad(e, dg, (int)elen) == (int)elen);
	T_ASSERT(BN_bn2binpad(r, m, (int)N) == (int)N);
	memcpy(m + N, raw + N, N); /* any s in range */
	T_EQ_INT(fwt__ecfast_verify(f, dg, elen, m, m + N, N), 0);
	T_ASSERT(same_verdict(f, k, dg, elen, m, &valid) && !valid);
out:
	BN_clear_free(d);
	BN_free(n);
	BN_free(r);
	BN_free(e);
	BN_CTX_free(bc);
	fwt__ecfast_free(f);
	EVP_PKEY_free(k);
}

/* testdata/ecfast: each case through ecfast, OpenSSL, and twice through
 * fwt_sig_verify_digest (a P-384 key gets its table at its second verify) */
static void test_crafted_cases(void)
{
	FILE *f = fopen("testdata/ecfast/edge-cases.txt", "r");
	char line[1024], tag[64], pt[300], dh[200], sh[300];
	unsigned char der[sizeof(spki_p521) + 2 * NMAX + 1], dg[64], raw[2 * NMAX];
	size_t n, cases = 0, valid = 0;
	int want, round;

	T_ASSERT(f);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		fwt_pubkey *k = NULL;
		fwt__ecfast *fast;
		EVP_PKEY *pk;
		if (sscanf(line, "%63s %299s %199s %299s %d", tag, pt, dh, sh, &want) != 5) {
			fclose(f);
			T_FAIL_("unreadable line: %s", line);
		}
		if (strlen(pt) != 2 * (2 * C->n + 1))
			continue; /* the other curve's */
		memcpy(der, C->spki, C->spkilen);
		if (fwt_hex_decode(der + C->spkilen, 2 * C->n + 1, pt, strlen(pt), &n) != FWT_OK ||
		    fwt_hex_decode(dg, sizeof(dg), dh, strlen(dh), &n) != FWT_OK || n != C->dglen ||
		    fwt_hex_decode(raw, sizeof(raw), sh, strlen(sh), &n) != FWT_OK || n != 2 * C->n) {
			fclose(f);
			T_FAIL_("unreadable line: %s", line);
		}
		cases++;
		valid += want == 1;
		if (fwt_pubkey_from_spki(ctx, &k, der, C->spkilen + 2 * C->n + 1, tag) != FWT_OK) {
			fclose(f);
			T_FAIL_("%s: the key does not load: %s", tag, fwt_ctx_errmsg(ctx));
		}
		pk = fwt__pubkey_evp(k);
		fast = fwt__ecfast_new(NULL, pk);
		if (!fast || fwt__ecfast_verify(fast, dg, C->dglen, raw, raw + C->n, C->n) != want)
			T_FAIL_("%s: ecfast does not say %d", tag, want);
		if (ossl_verify(pk, dg, C->dglen, raw) != want)
			T_FAIL_("%s: OpenSSL does not say %d", tag, want);
		for (round = 0; round < FWT__ECFAST_P384_AT + 2; round++)
			if ((fwt_sig_verify_digest(ctx, k, C->alg, FWT_SIG_RAW, dg, C->dglen, raw, 2 * C->n) == FWT_OK) !=
			    want)
				T_FAIL_("%s: fwt_sig_verify_digest (verify %d) does not say %d: %s", tag, round + 1, want,
				        fwt_ctx_errmsg(ctx));
		fwt__ecfast_free(fast);
		fwt_pubkey_free(k);
	}
	fclose(f);
	T_EQ_INT(cases, 42);
	T_EQ_INT(valid, 20);
}

static void test_other_curves(void)
{
	EVP_PKEY *k256 = keygen("P-256"), *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	unsigned char dg[64] = { 1 }, raw[2 * NMAX] = { 0 };

	T_ASSERT(k256 && rsa);
	T_ASSERT(fwt__ecfast_new(NULL, NULL) == NULL);
	T_ASSERT(fwt__ecfast_new(NULL, k256) == NULL);
	T_ASSERT(fwt__ecfast_new(NULL, rsa) == NULL);
	T_EQ_INT(fwt__ecfast_verify(NULL, dg, sizeof(dg), raw, raw + NMAX, NMAX), -1);
	EVP_PKEY_free(k256);
	EVP_PKEY_free(rsa);
}

struct shared {
	const fwt__ecfast *f;
	const unsigned char *dg, *good, *bad;
	int wrong;
};

static void *hammer(void *arg)
{
	struct shared *s = arg;
	int i, wrong = 0;

	for (i = 0; i < 40; i++) {
		wrong += fwt__ecfast_verify(s->f, s->dg, C->dglen, s->good, s->good + C->n, C->n) != 1;
		wrong += fwt__ecfast_verify(s->f, s->dg, C->dglen, s->bad, s->bad + C->n, C->n) != 0;
	}
	__atomic_add_fetch(&s->wrong, wrong, __ATOMIC_RELAXED);
	return NULL;
}

static void test_threads(void)
{
	EVP_PKEY *k = keygen(C->name);
	fwt__ecfast *f = fwt__ecfast_new(NULL, k);
	unsigned char dg[64], good[2 * NMAX], bad[2 * NMAX];
	struct shared s = { f, dg, good, bad, 0 };
	pthread_t t[4];
	int i, started = 0;

	T_ASSERT(k && f);
	T_ASSERT(RAND_bytes(dg, sizeof(dg)) == 1 && sign_raw(k, dg, C->dglen, good));
	memcpy(bad, good, sizeof(bad));
	bad[2 * C->n - 1] ^= 1;
	for (i = 0; i < 4; i++)
		started += pthread_create(&t[i], NULL, hammer, &s) == 0;
	T_EQ_INT(started, 4);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	T_EQ_INT(s.wrong, 0);
	fwt__ecfast_free(f);
	EVP_PKEY_free(k);
}

int main(void)
{
	size_t i;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
		C = &curves[i];
		if (!load_order())
			return 1;
		fprintf(stderr, "  %s\n", C->name);
		T_RUN(test_against_openssl);
		T_RUN(test_edges);
		T_RUN(test_crafted_cases);
		T_RUN(test_threads);
	}
	T_RUN(test_other_curves);
	fwt_ctx_free(ctx);
	return t_done();
}
