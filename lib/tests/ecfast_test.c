/* SPDX-License-Identifier: Apache-2.0 */
/* ecfast_test.c - the P-521 verifier with a table for the key (ecfast.c)
 * against OpenSSL's own ECDSA verify, signature by signature: random
 * digests of every length the callers use (and longer ones, cut to the
 * order's 521 bits), good signatures, their (r, n - s) twins, one-bit
 * changes of digest, r and s, r and s swapped, another key's signature;
 * the edges: a digest of zero (u1 = 0), r or s of 0, n - 1 or n, and a
 * signature whose R is the point at infinity; the crafted cases of
 * testdata/ecfast (x(R) >= n, a sum that is a doubling or the point at
 * infinity, keys at special multiples of G), also through fwt_sig_verify;
 * keys of other curves; and one table read by several threads at once. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <fwtrail/fwtrail.h>
#include "ecfast.h"
#include "sig_internal.h"
#include "t.h"

#define N 66

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

	if (pc && EVP_PKEY_verify_init(pc) == 1 && fwt_ecdsa_raw_to_der(raw, 2 * N, &der, &derlen) == FWT_OK)
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
	         fwt_ecdsa_der_to_raw(der, derlen, N, raw) == FWT_OK;

	EVP_PKEY_CTX_free(pc);
	return ok;
}

static const unsigned char order[N] = {
	0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b, 0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09,
	0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c, 0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38,
	0x64, 0x09 };

/* s -> n - s: the other valid form of every ECDSA signature */
static void negate_s(unsigned char *raw)
{
	BIGNUM *n = BN_bin2bn(order, N, NULL), *s = BN_bin2bn(raw + N, N, NULL);

	BN_sub(s, n, s);
	BN_bn2binpad(s, raw + N, N);
	BN_free(n);
	BN_free(s);
}

static int same_verdict(const fwt__ecfast *f, EVP_PKEY *k, const unsigned char *dg, size_t dglen,
                        const unsigned char *raw, int *valid)
{
	int want = ossl_verify(k, dg, dglen, raw), got = fwt__ecfast_verify(f, dg, dglen, raw, raw + N, N);

	*valid = want;
	return got == want;
}

static void test_against_openssl(void)
{
	static const size_t lens[] = { 64, 48, 32, 66, 80, 1 };
	EVP_PKEY *a = keygen("P-521"), *b = keygen("P-521");
	fwt__ecfast *fa = fwt__ecfast_new(NULL, a);
	unsigned char dg[80], raw[2 * N], m[2 * N], other[2 * N], d2[80];
	size_t i, dl, agree = 0, cases = 0, valid_seen = 0, invalid_seen = 0;
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
		memcpy(m, raw, sizeof(m));
		negate_s(m);
		CASE(dg, m);
		memcpy(d2, dg, dl);
		/* within the leftmost 521 bits (an 80-byte digest's tail is cut) */
		d2[i % (dl < 64 ? dl : 64)] ^= (unsigned char)(1u << (i % 8));
		CASE(d2, raw);
		memcpy(m, raw, sizeof(m));
		m[1 + i % (N - 1)] ^= 0x10; /* r (its top byte is the 521st bit) */
		CASE(dg, m);
		memcpy(m, raw, sizeof(m));
		m[N + 1 + i % (N - 1)] ^= 0x01; /* s */
		CASE(dg, m);
		memcpy(m, raw + N, N);
		memcpy(m + N, raw, N);
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
	EVP_PKEY *k = keygen("P-521");
	fwt__ecfast *f = fwt__ecfast_new(NULL, k);
	unsigned char dg[66], raw[2 * N], m[2 * N];
	BIGNUM *d = NULL, *n = BN_bin2bn(order, N, NULL), *r = BN_new(), *e = BN_new();
	BN_CTX *bc = BN_CTX_new();
	int valid;

	T_ASSERT(k && f && n && r && e && bc);
	if (!k || !f || !n || !r || !e || !bc)
		goto out;
	/* a digest of zero: u1 = 0, R = u2*Q alone, and the signature holds */
	memset(dg, 0, sizeof(dg));
	T_ASSERT(sign_raw(k, dg, 64, raw));
	T_EQ_INT(fwt__ecfast_verify(f, dg, 64, raw, raw + N, N), 1);
	T_ASSERT(same_verdict(f, k, dg, 64, raw, &valid) && valid);
	/* r or s of 0, n - 1 or n: never valid here, whatever OpenSSL says of
	 * the DER form of an out-of-range value */
	T_ASSERT(RAND_bytes(dg, 64) == 1);
	T_ASSERT(sign_raw(k, dg, 64, raw));
	for (int which = 0; which < 2; which++) {
		memcpy(m, raw, sizeof(m));
		memset(m + which * N, 0, N);
		T_EQ_INT(fwt__ecfast_verify(f, dg, 64, m, m + N, N), 0);
		memcpy(m + which * N, order, N);
		T_EQ_INT(fwt__ecfast_verify(f, dg, 64, m, m + N, N), 0);
		m[which * N + N - 1]--; /* n - 1: in range, and wrong */
		T_EQ_INT(fwt__ecfast_verify(f, dg, 64, m, m + N, N), 0);
		T_ASSERT(same_verdict(f, k, dg, 64, m, &valid) && !valid);
	}
	/* R at infinity: e = -r*d (mod n) makes u1*G + u2*Q = w*(e + r*d)*G = O.
	 * e goes in as a 66-byte digest, whose leftmost 521 bits are e: e << 7 */
	T_ASSERT(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1);
	T_ASSERT(BN_rand_range(r, n) == 1);
	if (BN_is_zero(r))
		BN_one(r);
	T_ASSERT(BN_mod_mul(e, r, d, n, bc) == 1 && BN_mod_sub(e, n, e, n, bc) == 1);
	T_ASSERT(BN_lshift(e, e, 7) == 1 && BN_bn2binpad(e, dg, 66) == 66);
	T_ASSERT(BN_bn2binpad(r, m, N) == N);
	memcpy(m + N, raw + N, N); /* any s in range */
	T_EQ_INT(fwt__ecfast_verify(f, dg, 66, m, m + N, N), 0);
	T_ASSERT(same_verdict(f, k, dg, 66, m, &valid) && !valid);
out:
	BN_clear_free(d);
	BN_free(n);
	BN_free(r);
	BN_free(e);
	BN_CTX_free(bc);
	fwt__ecfast_free(f);
	EVP_PKEY_free(k);
}

/* An SPKI for a P-521 point: the fixed DER header, then the point. */
static const unsigned char spki_p521[] = { 0x30, 0x81, 0x9b, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
	                                   0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23, 0x03,
	                                   0x81, 0x86, 0x00 };

static void test_crafted_cases(void)
{
	FILE *f = fopen("testdata/ecfast/edge-cases.txt", "r");
	char line[1024], tag[64], pt[300], dh[200], sh[300];
	unsigned char der[sizeof(spki_p521) + 133], dg[64], raw[2 * N];
	size_t n, cases = 0, valid = 0;
	int want;

	T_ASSERT(f);
	if (!f)
		return;
	memcpy(der, spki_p521, sizeof(spki_p521));
	while (fgets(line, sizeof(line), f)) {
		fwt_pubkey *k = NULL;
		fwt__ecfast *fast;
		EVP_PKEY *pk;
		if (sscanf(line, "%63s %299s %199s %299s %d", tag, pt, dh, sh, &want) != 5 ||
		    fwt_hex_decode(der + sizeof(spki_p521), 133, pt, strlen(pt), &n) != FWT_OK || n != 133 ||
		    fwt_hex_decode(dg, sizeof(dg), dh, strlen(dh), &n) != FWT_OK || n != 64 ||
		    fwt_hex_decode(raw, sizeof(raw), sh, strlen(sh), &n) != FWT_OK || n != 2 * N) {
			fclose(f);
			T_FAIL_("unreadable line: %s", line);
		}
		cases++;
		valid += want == 1;
		if (fwt_pubkey_from_spki(ctx, &k, der, sizeof(der), tag) != FWT_OK) {
			fclose(f);
			T_FAIL_("%s: the key does not load: %s", tag, fwt_ctx_errmsg(ctx));
		}
		pk = fwt__pubkey_evp(k);
		fast = fwt__ecfast_new(NULL, pk);
		if (!fast || fwt__ecfast_verify(fast, dg, 64, raw, raw + N, N) != want)
			T_FAIL_("%s: ecfast does not say %d", tag, want);
		if (ossl_verify(pk, dg, 64, raw) != want)
			T_FAIL_("%s: OpenSSL does not say %d", tag, want);
		if ((fwt_sig_verify_digest(ctx, k, FWT_SIG_ES512, FWT_SIG_RAW, dg, 64, raw, 2 * N) == FWT_OK) != want)
			T_FAIL_("%s: fwt_sig_verify_digest does not say %d: %s", tag, want, fwt_ctx_errmsg(ctx));
		fwt__ecfast_free(fast);
		fwt_pubkey_free(k);
	}
	fclose(f);
	T_EQ_INT(cases, 40);
	T_EQ_INT(valid, 19);
}

static void test_not_p521(void)
{
	EVP_PKEY *k384 = keygen("P-384"), *k256 = keygen("P-256");
	unsigned char dg[64] = { 1 }, raw[2 * N] = { 0 };

	T_ASSERT(k384 && k256);
	T_ASSERT(fwt__ecfast_new(NULL, NULL) == NULL);
	T_ASSERT(fwt__ecfast_new(NULL, k384) == NULL);
	T_ASSERT(fwt__ecfast_new(NULL, k256) == NULL);
	T_EQ_INT(fwt__ecfast_verify(NULL, dg, sizeof(dg), raw, raw + N, N), -1);
	EVP_PKEY_free(k384);
	EVP_PKEY_free(k256);
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
		wrong += fwt__ecfast_verify(s->f, s->dg, 64, s->good, s->good + N, N) != 1;
		wrong += fwt__ecfast_verify(s->f, s->dg, 64, s->bad, s->bad + N, N) != 0;
	}
	__atomic_add_fetch(&s->wrong, wrong, __ATOMIC_RELAXED);
	return NULL;
}

static void test_threads(void)
{
	EVP_PKEY *k = keygen("P-521");
	fwt__ecfast *f = fwt__ecfast_new(NULL, k);
	unsigned char dg[64], good[2 * N], bad[2 * N];
	struct shared s = { f, dg, good, bad, 0 };
	pthread_t t[4];
	int i, started = 0;

	T_ASSERT(k && f);
	T_ASSERT(RAND_bytes(dg, sizeof(dg)) == 1 && sign_raw(k, dg, sizeof(dg), good));
	memcpy(bad, good, sizeof(bad));
	bad[2 * N - 1] ^= 1;
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
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_against_openssl);
	T_RUN(test_edges);
	T_RUN(test_crafted_cases);
	T_RUN(test_not_p521);
	T_RUN(test_threads);
	fwt_ctx_free(ctx);
	return t_done();
}
