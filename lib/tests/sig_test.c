/* SPDX-License-Identifier: Apache-2.0 */
/* sig_test.c - public keys, the verification primitive, PEM signing keys
 * and the trust store. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

static fwt_ctx *ctx;
static char dir[256];

/* RFC 7638 section 3.1: the example RSA key and its thumbprint. */
static const char rfc7638_jwk[] =
    "{\"kty\":\"RSA\",\"n\":\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6t"
    "Soc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY"
    "368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2Nc"
    "Rwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\",\"e\":\"AQAB\",\"alg\":\"RS256\","
    "\"kid\":\"2011-04-29\"}";

static void test_jwk_thumbprint(void)
{
	fwt_pubkey *k;
	char tp[44];

	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, rfc7638_jwk, strlen(rfc7638_jwk), "rfc7638"), FWT_OK);
	T_EQ_INT(fwt_pubkey_type(k), FWT_KEY_RSA);
	T_EQ_INT(fwt_pubkey_bits(k), 2048);
	T_EQ_INT(fwt_pubkey_default_alg(k), FWT_SIG_NONE); /* RSA-2048 is outside the OCP binding */
	T_EQ_INT(fwt_pubkey_jwk_thumbprint(k, tp), FWT_OK);
	T_EQ_STR(tp, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
	fwt_pubkey_free(k);
}

static void test_jwk_rejects(void)
{
	fwt_pubkey *k;
	const char *dup = "{\"kty\":\"EC\",\"kty\":\"RSA\"}";
	const char *shortx = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}";
	const char *badcrv = "{\"kty\":\"EC\",\"crv\":\"P-192\",\"x\":\"AAAA\",\"y\":\"AAAA\"}";
	const char *oct = "{\"kty\":\"oct\",\"k\":\"AAAA\"}";

	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, dup, strlen(dup), "dup"), FWT_EFORMAT);
	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, shortx, strlen(shortx), "short"), FWT_EFORMAT);
	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, badcrv, strlen(badcrv), "crv"), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, oct, strlen(oct), "oct"), FWT_EINVAL); /* "k" is a secret */
	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, "{\"kty\":\"oct\"}", 13, "oct"), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, "[1]", 3, "arr"), FWT_EFORMAT);
	/* a JWK Set is not a JWK: said so, not "no 'kty'" */
	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, "{\"keys\":[{\"kty\":\"EC\"}]}", 23, "ks.jwk"), FWT_EFORMAT);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "'ks.jwk' is a JWK Set (1 key under \"keys\"), not a JWK: give each key as a JWK "
	         "in a file of its own");
	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, "{\"keys\":[]}", 11, "ks.jwk"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is a JWK Set (0 keys under") != NULL);
	T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, "{\"keys\":1}", 10, "k1.jwk"), FWT_EFORMAT);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "JWK 'k1.jwk' has no 'kty'");
}

/* The public JWK of a PEM key with members added in front (malloc'd). */
static char *jwk_with(const char *pem, const char *members)
{
	fwt_pubkey *k = NULL;
	char *j = NULL, *out = NULL;
	size_t n;

	if (fwt_pubkey_load(ctx, &k, pem) == FWT_OK && fwt_pubkey_jwk(k, &j) == FWT_OK) {
		n = strlen(j) + strlen(members) + 2;
		out = malloc(n);
		if (out)
			snprintf(out, n, "{%s,%s", members, j + 1);
	}
	free(j);
	fwt_pubkey_free(k);
	return out;
}

/* RSASSA-PKCS1-v1_5 with OpenSSL: 1 on success. */
static int pkcs1_sign(const char *pem, const char *md, const void *msg, size_t len, unsigned char *sig,
                      size_t *siglen)
{
	FILE *f = fopen(pem, "r");
	EVP_PKEY *pk = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	EVP_MD_CTX *mc = EVP_MD_CTX_new();
	size_t n = FWT_SIG_MAX;
	int ok = pk && mc && EVP_DigestSignInit_ex(mc, NULL, md, NULL, NULL, pk, NULL) == 1 &&
	         EVP_DigestSign(mc, sig, &n, msg, len) == 1;

	if (f)
		fclose(f);
	EVP_MD_CTX_free(mc);
	EVP_PKEY_free(pk);
	*siglen = n;
	return ok;
}

static fwt_err load_jwk(fwt_pubkey **k, const char *pem, const char *members)
{
	char *j = jwk_with(pem, members);
	fwt_err err;

	*k = NULL;
	if (!j)
		return FWT_ENOMEM;
	err = fwt_pubkey_from_jwk(ctx, k, j, strlen(j), "lab.jwk");
	free(j);
	return err;
}

/* An OpenSSL TRUSTED CERTIFICATE: its trust settings say what the key may
 * vouch for, and fwtrail does not apply them, so one that carries any
 * (a use rejected, or accepted) is refused; without them it is read. */
static void test_trusted_certificate_settings(void)
{
	static const int nids[] = { NID_code_sign, NID_anyExtendedKeyUsage };
	FILE *f = fopen("testdata/keys/p384.crt.pem", "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	fwt_pubkey *k = NULL;
	BIO *b;
	char *pem;
	long n;
	size_t i;

	if (f)
		fclose(f);
	T_ASSERT(x != NULL);
	for (i = 0; i <= 2 * sizeof(nids) / sizeof(nids[0]); i++) {
		X509 *y = X509_dup(x);
		if (i > 0 && i <= 2)
			X509_add1_reject_object(y, OBJ_nid2obj(nids[i - 1]));
		else if (i > 2)
			X509_add1_trust_object(y, OBJ_nid2obj(nids[i - 3]));
		b = BIO_new(BIO_s_mem());
		T_ASSERT(PEM_write_bio_X509_AUX(b, y) == 1);
		n = BIO_get_mem_data(b, &pem);
		T_ASSERT(strstr(pem, "BEGIN TRUSTED CERTIFICATE") != NULL);
		if (i == 0) {
			T_EQ_INT(fwt_pubkey_parse(ctx, &k, pem, (size_t)n, "t.pem"), FWT_OK);
			fwt_pubkey_free(k);
			k = NULL;
		} else {
			T_EQ_INT(fwt_pubkey_parse(ctx, &k, pem, (size_t)n, "t.pem"), FWT_EUNSUPPORTED);
			T_ASSERT(k == NULL);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "certificate 't.pem' carries OpenSSL trust settings") != NULL);
		}
		BIO_free(b);
		X509_free(y);
	}
	X509_free(x);
}

/* RFC 7517 4.2-4.4 and 6.2.2: a JWK with private members is refused as a
 * PEM private key is; "use", "key_ops" and "alg" must be well-formed, an
 * "alg" must fit the key, and a key whose "alg" is another algorithm (or
 * one fwtrail does not verify) verifies nothing else. */
static void test_jwk_members(void)
{
	static const char *const priv[] = { "\"d\":\"AAAA\"", "\"p\":\"AAAA\"", "\"qi\":\"AAAA\"",
		                            "\"oth\":[]", "\"k\":\"AAAA\"" };
	static const char msg[] = "to be signed";
	unsigned char sig[FWT_SIG_MAX];
	size_t siglen = 0, i;
	fwt_key *sk = NULL;
	fwt_pubkey *k;

	for (i = 0; i < sizeof(priv) / sizeof(priv[0]); i++) {
		char *j = jwk_with("testdata/keys/p521.pub.pem", priv[i]);
		fwt_pubkey **v = NULL;
		size_t nv = 9;
		/* the wrong key given (as a PEM private key is) ... */
		T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", priv[i]), FWT_EINVAL);
		T_ASSERT(k == NULL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "JWK 'lab.jwk' holds a private key (member '") != NULL);
		/* ... but a malformed file among the keys of a store or chain */
		T_ASSERT(j != NULL);
		T_EQ_INT(fwt_pubkey_parse_all(ctx, j, strlen(j), "store/lab.jwk", &v, &nv), FWT_EFORMAT);
		T_ASSERT(v == NULL && nv == 0);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "JWK 'store/lab.jwk' holds a private key (member '") != NULL);
		free(j);
	}
	/* a key bound to a certificate: its dates and key usage would go
	 * unchecked, so it is refused, not taken as a bare key */
	{
		static const char *const cert[] = { "\"x5c\":[\"MIIB\"]", "\"x5u\":\"https://example.com/c.pem\"" };
		for (i = 0; i < sizeof(cert) / sizeof(cert[0]); i++) {
			char *j = jwk_with("testdata/keys/p384.pub.pem", cert[i]);
			fwt_pubkey **v = NULL;
			size_t nv = 9;
			T_EQ_INT(load_jwk(&k, "testdata/keys/p384.pub.pem", cert[i]), FWT_EUNSUPPORTED);
			T_ASSERT(k == NULL);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "JWK 'lab.jwk' is bound to a certificate (member '") != NULL);
			T_ASSERT(j != NULL);
			T_ASSERT(fwt_pubkey_parse_all(ctx, j, strlen(j), "store/lab.jwk", &v, &nv) != FWT_OK);
			T_ASSERT(v == NULL && nv == 0);
			free(j);
		}
	}
	/* a thumbprint alone brings no certificate: the key is read */
	T_EQ_INT(load_jwk(&k, "testdata/keys/p384.pub.pem", "\"x5t#S256\":\"AAAA\""), FWT_OK);
	fwt_pubkey_free(k);
	/* malformed restrictions */
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"use\":5"), FWT_EFORMAT);
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"key_ops\":\"verify\""), FWT_EFORMAT);
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"key_ops\":[\"verify\",1]"), FWT_EFORMAT);
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":null"), FWT_EFORMAT);
	/* an alg that does not fit the key */
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":\"ES384\""), FWT_EFORMAT);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "JWK 'lab.jwk': its 'alg' ES384 does not fit its key (ec-p521)");
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":\"PS512\""), FWT_EFORMAT);
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":\"HS256\""), FWT_EFORMAT);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "JWK 'lab.jwk': its 'alg' 'HS256' is not for a key of type EC");
	T_EQ_INT(load_jwk(&k, "testdata/keys/rsa4096.pub.pem", "\"alg\":\"ES512\""), FWT_EFORMAT);
	T_EQ_INT(load_jwk(&k, "testdata/keys/rsa4096.pub.pem", "\"alg\":\"none\""), FWT_EFORMAT);
	/* the key's own algorithm verifies; another does not */
	T_EQ_INT(fwt_key_open(ctx, &sk, "testdata/keys/p521.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_key_sign(sk, msg, sizeof(msg), sig, &siglen), FWT_OK);
	fwt_key_free(sk);
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":\"ES512\",\"use\":\"sig\""), FWT_OK);
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_ES512, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen), FWT_OK);
	/* an encoding the library does not know is refused, never read as DER */
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_ES512, (fwt_sig_encoding)7, msg, sizeof(msg), sig, siglen),
	         FWT_EINVAL);
	T_EQ_INT(fwt_sig_verify_ecdsa(ctx, k, FWT_SIG_ES512, (fwt_sig_encoding)7, msg, sizeof(msg), sig, siglen),
	         FWT_EINVAL);
	fwt_pubkey_free(k);
	/* a name no JOSE registry holds (Wycheproof's "ES521", "es512") makes
	 * a key for nothing: refused when loaded, as an alg of another key is */
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":\"ES521\""), FWT_EFORMAT);
	T_ASSERT(!k);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "JWK 'lab.jwk': its 'alg' 'ES521' is not a JOSE algorithm name (RFC 7518)");
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":\"es512\""), FWT_EFORMAT);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "JWK 'lab.jwk': its 'alg' 'es512' is not a JOSE algorithm name (names are "
	         "case-sensitive: 'ES512'?)");
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":\"ES512 \""), FWT_EFORMAT);
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":\"x-lab\""), FWT_EFORMAT);
	/* registered names of another use load, for an EC key as for RSA */
	T_EQ_INT(load_jwk(&k, "testdata/keys/p521.pub.pem", "\"alg\":\"ECDH-ES+A256KW\""), FWT_OK);
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_ES512, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen), FWT_EVERIFY);
	fwt_pubkey_free(k);
	T_EQ_INT(load_jwk(&k, "testdata/keys/rsa4096.pub.pem", "\"alg\":\"RSA-OAEP-256\""), FWT_OK);
	fwt_pubkey_free(k);
	T_EQ_INT(load_jwk(&k, "testdata/keys/rsa4096.pub.pem", "\"alg\":\"ECDH-ES\""), FWT_EFORMAT);
	/* RSA: one key, three PSS algorithms; "alg" picks one */
	T_EQ_INT(fwt_key_open(ctx, &sk, "testdata/keys/rsa4096.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_key_alg(sk), FWT_SIG_PS512);
	T_EQ_INT(fwt_key_sign(sk, msg, sizeof(msg), sig, &siglen), FWT_OK);
	fwt_key_free(sk);
	T_EQ_INT(load_jwk(&k, "testdata/keys/rsa4096.pub.pem", "\"alg\":\"PS384\""), FWT_OK);
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_PS512, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen), FWT_EVERIFY);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "key 'lab.jwk' may not verify PS512 signatures: its JWK 'alg' is 'PS384'");
	fwt_pubkey_free(k);
	T_EQ_INT(load_jwk(&k, "testdata/keys/rsa4096.pub.pem", "\"alg\":\"PS512\""), FWT_OK);
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_PS512, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen), FWT_OK);
	fwt_pubkey_free(k);
	/* RS256 fits an RSA key: it loads (its thumbprint is still wanted) and
	 * verifies RSASSA-PKCS1-v1_5 SHA-256 (TPM quotes) only */
	T_EQ_INT(load_jwk(&k, "testdata/keys/rsa4096.pub.pem", "\"alg\":\"RS256\""), FWT_OK);
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_PS512, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen), FWT_EVERIFY);
	T_ASSERT(pkcs1_sign("testdata/keys/rsa4096.key.pem", "SHA256", msg, sizeof(msg), sig, &siglen));
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_TPM_RSASSA_SHA256, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen), FWT_OK);
	T_ASSERT(pkcs1_sign("testdata/keys/rsa4096.key.pem", "SHA384", msg, sizeof(msg), sig, &siglen));
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_TPM_RSASSA_SHA384, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen),
	         FWT_EVERIFY);
	fwt_pubkey_free(k);
}

/* A published OCP SAFE report: JWS compact, ES512, verified here at the
 * primitive level (the JWS layer is tested on its own). */
static void test_published_report(void)
{
	const char *c = t_corpora();
	char p[1024];
	unsigned char *tok, sig[200];
	size_t len, siglen;
	char *d1, *d2;
	fwt_pubkey *k;

	if (!c)
		T_SKIP("../shared/corpora not found");
	snprintf(p, sizeof(p), "%s/sfr/shortform_report-main/samples/helloworld.jws", c);
	tok = t_slurp(p, &len);
	T_ASSERT(tok != NULL);
	while (len && (tok[len - 1] == '\n' || tok[len - 1] == '\r'))
		tok[--len] = 0;
	d1 = strchr((char *)tok, '.');
	d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	T_ASSERT(d2 != NULL);
	T_EQ_INT(fwt_b64url_decode(sig, sizeof(sig), d2 + 1, strlen(d2 + 1), &siglen), FWT_OK);
	T_EQ_INT(siglen, 132);
	snprintf(p, sizeof(p), "%s/sfr/shortform_report-main/samples/testkey_ecdsa_p521.pub", c);
	T_EQ_INT(fwt_pubkey_load(ctx, &k, p), FWT_OK);
	T_EQ_INT(fwt_pubkey_type(k), FWT_KEY_EC_P521);
	T_EQ_INT(fwt_pubkey_default_alg(k), FWT_SIG_ES512);
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_ES512, FWT_SIG_RAW, tok, (size_t)(d2 - (char *)tok), sig, siglen),
	         FWT_OK);
	/* one flipped bit anywhere in the signing input or signature: no */
	tok[5] ^= 1;
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_ES512, FWT_SIG_RAW, tok, (size_t)(d2 - (char *)tok), sig, siglen),
	         FWT_EVERIFY);
	tok[5] ^= 1;
	sig[100] ^= 0x80;
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_ES512, FWT_SIG_RAW, tok, (size_t)(d2 - (char *)tok), sig, siglen),
	         FWT_EVERIFY);
	sig[100] ^= 0x80;
	/* wrong length, zero r/s, wrong algorithm for the key */
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_ES512, FWT_SIG_RAW, tok, 10, sig, 131), FWT_EVERIFY);
	memset(sig, 0, 132);
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_ES512, FWT_SIG_RAW, tok, 10, sig, 132), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "out of range") != NULL);
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_ES384, FWT_SIG_RAW, tok, 10, sig, 96), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_sig_verify(ctx, k, FWT_SIG_PS512, FWT_SIG_RAW, tok, 10, sig, 132), FWT_EUNSUPPORTED);
	fwt_pubkey_free(k);
	free(tok);
}

static void test_der_raw(void)
{
	unsigned char raw[96], back[96], *der;
	size_t derlen;
	/* r with the top bit set (needs a 0x00 pad), s with leading zeros */
	memset(raw, 0, sizeof(raw));
	raw[0] = 0x80;
	raw[47] = 1;
	raw[95] = 7;
	T_EQ_INT(fwt_ecdsa_raw_to_der(raw, 96, &der, &derlen), FWT_OK);
	T_ASSERT(der[0] == 0x30 && der[2] == 0x02 && der[3] == 49 && der[4] == 0x00);
	T_EQ_INT(fwt_ecdsa_der_to_raw(der, derlen, 48, back), FWT_OK);
	T_EQ_MEM(raw, back, 96);
	/* trailing byte, wrong total length, non-minimal integer */
	{
		unsigned char bad[200];
		memcpy(bad, der, derlen);
		bad[derlen] = 0;
		T_EQ_INT(fwt_ecdsa_der_to_raw(bad, derlen + 1, 48, back), FWT_EFORMAT);
		bad[1]++;
		T_EQ_INT(fwt_ecdsa_der_to_raw(bad, derlen, 48, back), FWT_EFORMAT);
	}
	{
		unsigned char nm[] = { 0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01 };
		unsigned char neg[] = { 0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01 };
		T_EQ_INT(fwt_ecdsa_der_to_raw(nm, sizeof(nm), 48, back), FWT_EFORMAT);
		T_EQ_INT(fwt_ecdsa_der_to_raw(neg, sizeof(neg), 48, back), FWT_EFORMAT);
	}
	free(der);
}

static void write_key(const char *name, const char *type, const char *param, char *path, size_t n)
{
	EVP_PKEY *pk = !strcmp(type, "EC") ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", param)
	                                   : EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)atoi(param));
	FILE *f;

	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "w");
	PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	EVP_PKEY_free(pk);
}

static void sign_and_verify(const char *name, const char *type, const char *param, fwt_sig_alg want)
{
	char path[512];
	fwt_key *k;
	unsigned char sig[FWT_SIG_MAX];
	size_t siglen;
	const char msg[] = "firmware image bytes";

	write_key(name, type, param, path, sizeof(path));
	T_EQ_INT(fwt_key_open(ctx, &k, path, NULL), FWT_OK);
	T_EQ_INT(fwt_key_alg(k), want);
	T_ASSERT(!fwt_key_is_pkcs11(k));
	T_EQ_STR(fwt_key_name(k), path);
	T_EQ_INT(fwt_key_sign(k, msg, sizeof(msg), sig, &siglen), FWT_OK);
	if (fwt_sig_alg_is_ecdsa(want))
		T_EQ_INT(siglen, fwt_sig_alg_ecdsa_size(want));
	T_EQ_INT(fwt_sig_verify(ctx, fwt_key_pubkey(k), want, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen), FWT_OK);
	T_EQ_INT(fwt_sig_verify(ctx, fwt_key_pubkey(k), want, FWT_SIG_RAW, msg, sizeof(msg) - 1, sig, siglen),
	         FWT_EVERIFY);
	fwt_key_free(k);
}

static void test_pem_keys_sign(void)
{
	sign_and_verify("p384.pem", "EC", "P-384", FWT_SIG_ES384);
	sign_and_verify("p521.pem", "EC", "P-521", FWT_SIG_ES512);
	sign_and_verify("p256.pem", "EC", "P-256", FWT_SIG_ES256);
	sign_and_verify("rsa3072.pem", "RSA", "3072", FWT_SIG_PS384);
}

/* An RSA-PSS signature with a salt other than the hash length is refused,
 * and the message names the salt; a wrong message still reads as a
 * mismatch. */
static void test_pss_salt(void)
{
	static const int salts[] = { 32, 48, 0 };
	const char msg[] = "firmware image bytes";
	unsigned char sig[512], dg[48];
	size_t i, siglen;
	EVP_PKEY *priv;
	EVP_PKEY_CTX *pc;
	fwt_pubkey *pub;
	FILE *f = fopen("testdata/keys/rsa3072.key.pem", "r");

	T_ASSERT(f != NULL);
	priv = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	T_ASSERT(priv != NULL);
	T_EQ_INT(fwt_pubkey_load(ctx, &pub, "testdata/keys/rsa3072.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA384, msg, sizeof(msg), dg), FWT_OK);
	for (i = 0; i < sizeof(salts) / sizeof(salts[0]); i++) {
		pc = EVP_PKEY_CTX_new(priv, NULL);
		siglen = sizeof(sig);
		T_ASSERT(pc && EVP_PKEY_sign_init(pc) == 1 && EVP_PKEY_CTX_set_signature_md(pc, EVP_sha384()) == 1 &&
		         EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) == 1 &&
		         EVP_PKEY_CTX_set_rsa_mgf1_md(pc, EVP_sha384()) == 1 &&
		         EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, salts[i]) == 1 &&
		         EVP_PKEY_sign(pc, sig, &siglen, dg, sizeof(dg)) == 1);
		EVP_PKEY_CTX_free(pc);
		if (salts[i] == 48) {
			T_EQ_INT(fwt_sig_verify(ctx, pub, FWT_SIG_PS384, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen), FWT_OK);
		} else {
			T_EQ_INT(fwt_sig_verify(ctx, pub, FWT_SIG_PS384, FWT_SIG_RAW, msg, sizeof(msg), sig, siglen),
			         FWT_EVERIFY);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "PSS salt other than 48 bytes") != NULL);
		}
		T_EQ_INT(fwt_sig_verify(ctx, pub, FWT_SIG_PS384, FWT_SIG_RAW, msg, sizeof(msg) - 1, sig, siglen),
		         FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not verify with key") != NULL);
	}
	fwt_pubkey_free(pub);
	EVP_PKEY_free(priv);
}

static void test_key_errors(void)
{
	fwt_key *k;
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/notakey.pem", dir);
	f = fopen(p, "w");
	fputs("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", f);
	fclose(f);
	T_EQ_INT(fwt_key_open(ctx, &k, p, NULL), FWT_EINVAL); /* a public key's place, not a private key's */
	f = fopen(p, "w");
	fputs("-----BEGIN NOTHING-----\nAAAA\n-----END NOTHING-----\n", f);
	fclose(f);
	T_EQ_INT(fwt_key_open(ctx, &k, p, NULL), FWT_EFORMAT);
	snprintf(p, sizeof(p), "%s/missing.pem", dir);
	T_EQ_INT(fwt_key_open(ctx, &k, p, NULL), FWT_EIO);
	T_EQ_INT(fwt_key_open(ctx, &k, "", NULL), FWT_EINVAL);
}

static void test_pubkey_refuses_private(void)
{
	fwt_pubkey *k;
	char p[512];

	write_key("priv.pem", "EC", "P-384", p, sizeof(p));
	T_EQ_INT(fwt_pubkey_load(ctx, &k, p), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "private key") != NULL);
}

static void test_pubkey_forms(void)
{
	char p[512], q[512];
	fwt_key *sk;
	fwt_pubkey *a, *b, *c;
	char *pem, *jwk;
	size_t n;
	unsigned char *der, f1[32], f2[32];
	FILE *f;

	write_key("forms.pem", "EC", "P-384", p, sizeof(p));
	T_EQ_INT(fwt_key_open(ctx, &sk, p, NULL), FWT_OK);
	T_EQ_INT(fwt_pubkey_pem(fwt_key_pubkey(sk), &pem, &n), FWT_OK);
	T_EQ_INT(fwt_pubkey_parse(ctx, &a, pem, n, "pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_spki(fwt_key_pubkey(sk), &der, &n), FWT_OK);
	T_EQ_INT(fwt_pubkey_parse(ctx, &b, der, n, "der"), FWT_OK);
	T_EQ_INT(fwt_pubkey_jwk(fwt_key_pubkey(sk), &jwk), FWT_OK);
	T_ASSERT(strncmp(jwk, "{\"crv\":\"P-384\",\"kty\":\"EC\",\"x\":\"", 31) == 0);
	snprintf(q, sizeof(q), "%s/forms.jwk", dir);
	f = fopen(q, "w");
	fputs(jwk, f);
	fclose(f);
	T_EQ_INT(fwt_pubkey_load(ctx, &c, q), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(a, f1), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(b, f2), FWT_OK);
	T_EQ_MEM(f1, f2, 32);
	T_EQ_INT(fwt_pubkey_fingerprint(c, f2), FWT_OK);
	T_EQ_MEM(f1, f2, 32);
	T_EQ_STR(fwt_pubkey_describe(c), "ec-p384");
	T_ASSERT(!fwt_pubkey_has_cert(c));
	fwt_pubkey_free(a);
	fwt_pubkey_free(b);
	fwt_pubkey_free(c);
	free(pem);
	free(der);
	free(jwk);
	fwt_key_free(sk);
}

/* The "PUBLIC KEY" PEM shapes people publish: each gives the key or a
 * clean refusal, and whichever way OpenSSL is asked, the same key. */
static void test_pem_shapes(void)
{
	static const char *const shapes[][2] = {
		{ "", "" },                  /* as written */
		{ "\n\n  ", "\n\n" },        /* blank lines around */
		{ "Proc-Type: x\n", "" },    /* text before: left to the decoder */
	};
	char p[512], buf[4096], crlf[4096];
	unsigned char want[32], got[32];
	fwt_pubkey *k;
	fwt_key *sk;
	char *pem;
	size_t n, i, j;

	write_key("shapes.pem", "EC", "P-521", p, sizeof(p));
	T_EQ_INT(fwt_key_open(ctx, &sk, p, NULL), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(fwt_key_pubkey(sk), want), FWT_OK);
	T_EQ_INT(fwt_pubkey_pem(fwt_key_pubkey(sk), &pem, &n), FWT_OK);
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", shapes[i][0], pem, shapes[i][1]);
		fwt_ctx_clear_error(ctx);
		T_EQ_INT(fwt_pubkey_parse(ctx, &k, buf, strlen(buf), "shape"), FWT_OK);
		T_EQ_INT(fwt_pubkey_fingerprint(k, got), FWT_OK);
		T_EQ_MEM(want, got, 32);
		T_EQ_STR(fwt_ctx_errmsg(ctx), ""); /* no stale error from a first try */
		fwt_pubkey_free(k);
	}
	for (i = j = 0; pem[i] && j + 2 < sizeof(crlf); i++) { /* CRLF line ends */
		if (pem[i] == '\n')
			crlf[j++] = '\r';
		crlf[j++] = pem[i];
	}
	crlf[j] = '\0';
	T_EQ_INT(fwt_pubkey_parse(ctx, &k, crlf, j, "crlf"), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(k, got), FWT_OK);
	T_EQ_MEM(want, got, 32);
	fwt_pubkey_free(k);
	/* a damaged body, a cut block, a body that is not a key: refused */
	snprintf(buf, sizeof(buf), "%s", pem);
	buf[40] = buf[40] == 'A' ? 'B' : 'A';
	T_ASSERT(fwt_pubkey_parse(ctx, &k, buf, strlen(buf), "flip") != FWT_OK || (fwt_pubkey_free(k), 0));
	T_EQ_INT(fwt_pubkey_parse(ctx, &k, pem, n / 2, "cut"), FWT_EFORMAT);
	snprintf(buf, sizeof(buf), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
	T_EQ_INT(fwt_pubkey_parse(ctx, &k, buf, strlen(buf), "junk"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'junk'"));
	free(pem);
	fwt_key_free(sk);
}

static void test_trust_store_srp(void)
{
	const char *c = t_corpora();
	char p[1024];
	fwt_trust *t;
	fwt_pubkey *k;

	if (!c)
		T_SKIP("../shared/corpora not found");
	snprintf(p, sizeof(p), "%s/sfr/SRP_certificates", c);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, p), FWT_OK);
	T_EQ_INT(fwt_trust_count(t), 8);
	T_ASSERT(!fwt_trust_has_kids(t));
	snprintf(p, sizeof(p), "%s/sfr/SRP_certificates/Active/NCC_Group/ocp_safe_ncc_group_ecdsa_p521.pub", c);
	T_EQ_INT(fwt_pubkey_load(ctx, &k, p), FWT_OK);
	T_ASSERT(fwt_trust_find_key(t, k) != NULL);
	fwt_pubkey_free(k);
	fwt_trust_free(t);
}

static void test_trust_kids(void)
{
	char p[512], q[512], kd[512];
	fwt_trust *t;
	const fwt_pubkey *k;
	FILE *f;
	fwt_key *sk;
	char *pem;
	size_t n;

	snprintf(kd, sizeof(kd), "%s/store", dir);
	mkdir(kd, 0755);
	write_key("kidkey.pem", "EC", "P-521", p, sizeof(p));
	T_EQ_INT(fwt_key_open(ctx, &sk, p, NULL), FWT_OK);
	T_EQ_INT(fwt_pubkey_pem(fwt_key_pubkey(sk), &pem, &n), FWT_OK);
	snprintf(q, sizeof(q), "%s/reviewer.pub", kd);
	f = fopen(q, "w");
	fputs(pem, f);
	fclose(f);
	free(pem);
	fwt_key_free(sk);
	snprintf(q, sizeof(q), "%s/kids.json", kd);
	f = fopen(q, "w");
	fputs("{\"Wile E Coyote\": \"reviewer.pub\"}", f);
	fclose(f);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, kd), FWT_OK);
	T_ASSERT(fwt_trust_has_kids(t));
	k = fwt_trust_find_kid(t, "Wile E Coyote", 13);
	T_ASSERT(k != NULL);
	T_ASSERT(fwt_trust_find_kid(t, "wile e coyote", 13) == NULL); /* never case-folded */
	T_ASSERT(fwt_trust_find_kid(t, "Wile E Coyote\0x", 15) == NULL);
	fwt_trust_free(t);
	/* a kid that escapes the folder, or names no key, fails the load */
	f = fopen(q, "w");
	fputs("{\"x\": \"../kidkey.pem\"}", f);
	fclose(f);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, kd), FWT_EFORMAT);
	fwt_trust_free(t);
	f = fopen(q, "w");
	fputs("{\"x\": \"reviewer.pub\", \"x\": \"reviewer.pub\"}", f);
	fclose(f);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, kd), FWT_EFORMAT);
	fwt_trust_free(t);
	/* a private key inside a trust folder fails the load: the store is malformed */
	snprintf(q, sizeof(q), "%s/kids.json", kd);
	unlink(q);
	snprintf(q, sizeof(q), "cp '%s' '%s/oops.pem'", p, kd);
	T_ASSERT(system(q) == 0);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, kd), FWT_EFORMAT);
	fwt_trust_free(t);
}

/* veraison's test chain: root, intermediate, end entity (DER files). */
static void test_chain(void)
{
	const char *c = t_corpora();
	char p[1024];
	fwt_pubkey *root, *inter, *leaf, *chain[2];
	fwt_trust *t;

	if (!c)
		T_SKIP("../shared/corpora not found");
	snprintf(p, sizeof(p), "%s/corim/veraison-corim/testdata/rootCA.der", c);
	T_EQ_INT(fwt_pubkey_load(ctx, &root, p), FWT_OK);
	T_ASSERT(fwt_pubkey_has_cert(root));
	snprintf(p, sizeof(p), "%s/corim/veraison-corim/testdata/intermediateCA.der", c);
	T_EQ_INT(fwt_pubkey_load(ctx, &inter, p), FWT_OK);
	snprintf(p, sizeof(p), "%s/corim/veraison-corim/testdata/endEntity.der", c);
	T_EQ_INT(fwt_pubkey_load(ctx, &leaf, p), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	chain[0] = leaf;
	chain[1] = inter;
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 2, 0), FWT_EINVAL); /* no anchors yet */
	T_EQ_INT(fwt_trust_add_key(t, root), FWT_OK);
	/* inside the leaf's validity (2026-06-19 .. 2031-06-18), and after it */
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 2, 1800000000), FWT_OK);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 2, 2000000000), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired") != NULL);
	/* without the intermediate the leaf cannot reach the root */
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, 1800000000), FWT_EVERIFY);
	fwt_trust_free(t);
	/* anchored at a wrong root */
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, leaf), FWT_OK);
	chain[0] = inter;
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, 0), FWT_EVERIFY);
	fwt_trust_free(t);
	fwt_pubkey_free(root);
	fwt_pubkey_free(inter);
	fwt_pubkey_free(leaf);
}

/* The named-curve EC keys read without OpenSSL's decoder are the same keys
 * (fingerprint = SHA-256 of the DER given), a point off the curve or extra
 * bytes are refused, and the shapes left to the decoder still read. */
static void spki_case(const char *curve)
{
	EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
	unsigned char *der = NULL, *p, fp[32], want[32], *bad;
	unsigned int wl = 0;
	fwt_pubkey *k;
	int n;

	T_ASSERT(pk != NULL);
	n = i2d_PUBKEY(pk, &der);
	T_ASSERT(n > 0);
	T_ASSERT(EVP_Digest(der, (size_t)n, want, &wl, EVP_sha256(), NULL) == 1);
	T_EQ_INT(fwt_pubkey_from_spki(ctx, &k, der, (size_t)n, curve), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(k, fp), FWT_OK);
	T_EQ_MEM(fp, want, 32);
	{
		/* a signature by the private key verifies with it */
		EVP_MD_CTX *m = EVP_MD_CTX_new();
		const EVP_MD *md = !strcmp(curve, "P-256") ? EVP_sha256() : !strcmp(curve, "P-384") ? EVP_sha384()
		                                                                                    : EVP_sha512();
		fwt_sig_alg alg = !strcmp(curve, "P-256") ? FWT_SIG_ES256 : !strcmp(curve, "P-384") ? FWT_SIG_ES384
		                                                                                  : FWT_SIG_ES512;
		unsigned char sig[160];
		size_t sl = sizeof(sig);
		const char msg[] = "report";
		T_ASSERT(EVP_DigestSignInit(m, NULL, md, NULL, pk) == 1 &&
		         EVP_DigestSign(m, sig, &sl, (const unsigned char *)msg, sizeof(msg)) == 1);
		EVP_MD_CTX_free(m);
		T_EQ_INT(fwt_sig_verify(ctx, k, alg, FWT_SIG_DER, msg, sizeof(msg), sig, sl), FWT_OK);
		T_EQ_INT(fwt_sig_verify(ctx, k, alg, FWT_SIG_DER, msg, sizeof(msg) - 1, sig, sl), FWT_EVERIFY);
	}
	fwt_pubkey_free(k);
	bad = malloc((size_t)n + 1);
	T_ASSERT(bad != NULL);
	/* the last byte of y changed: off the curve */
	memcpy(bad, der, (size_t)n);
	bad[n - 1] ^= 1;
	T_EQ_INT(fwt_pubkey_from_spki(ctx, &k, bad, (size_t)n, "off"), FWT_EFORMAT);
	/* one byte more, one byte less */
	memcpy(bad, der, (size_t)n);
	bad[n] = 0;
	T_EQ_INT(fwt_pubkey_from_spki(ctx, &k, bad, (size_t)n + 1, "long"), FWT_EFORMAT);
	T_EQ_INT(fwt_pubkey_from_spki(ctx, &k, der, (size_t)n - 1, "short"), FWT_EFORMAT);
	/* unused bits declared in the BIT STRING: not the exact DER, so the
	 * decoder decides, as it did for every key before */
	memcpy(bad, der, (size_t)n);
	p = bad + n - (strcmp(curve, "P-256") ? (!strcmp(curve, "P-384") ? 97 : 133) : 65) - 1;
	T_EQ_INT(p[0], 0);
	p[0] = 1;
	{
		const unsigned char *q = bad;
		EVP_PKEY *o = d2i_PUBKEY(NULL, &q, n);
		T_EQ_INT(fwt_pubkey_from_spki(ctx, &k, bad, (size_t)n, "unused"), o ? FWT_OK : FWT_EFORMAT);
		if (o)
			fwt_pubkey_free(k);
		EVP_PKEY_free(o);
	}
	free(bad);
	free(der);
	/* the compressed form goes to the decoder and reads */
	der = NULL;
	T_ASSERT(EVP_PKEY_set_utf8_string_param(pk, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed") == 1);
	n = i2d_PUBKEY(pk, &der);
	T_ASSERT(n > 0);
	T_EQ_INT(fwt_pubkey_from_spki(ctx, &k, der, (size_t)n, "compressed"), FWT_OK);
	T_EQ_STR(fwt_pubkey_describe(k), !strcmp(curve, "P-256") ? "ec-p256" : !strcmp(curve, "P-384") ? "ec-p384"
	                                                                                                : "ec-p521");
	/* ... and is the same key: the same fingerprint (revocations match it)
	 * and the same encoding out, the uncompressed one */
	T_EQ_INT(fwt_pubkey_fingerprint(k, fp), FWT_OK);
	T_EQ_MEM(fp, want, 32);
	{
		unsigned char *out = NULL;
		size_t ol = 0;
		T_EQ_INT(fwt_pubkey_spki(k, &out, &ol), FWT_OK);
		T_EQ_INT(EVP_Digest(out, ol, fp, &wl, EVP_sha256(), NULL), 1);
		T_EQ_MEM(fp, want, 32);
		free(out);
	}
	fwt_pubkey_free(k);
	free(der);
	/* so is the same point with the curve's parameters spelt out */
	der = NULL;
	T_ASSERT(EVP_PKEY_set_utf8_string_param(pk, OSSL_PKEY_PARAM_EC_ENCODING, "explicit") == 1);
	n = i2d_PUBKEY(pk, &der);
	T_ASSERT(n > 0);
	if (fwt_pubkey_from_spki(ctx, &k, der, (size_t)n, "explicit") == FWT_OK) {
		T_EQ_INT(fwt_pubkey_fingerprint(k, fp), FWT_OK);
		T_EQ_MEM(fp, want, 32);
		fwt_pubkey_free(k);
	}
	free(der);
	EVP_PKEY_free(pk);
}

static void test_spki_ec(void)
{
	spki_case("P-256");
	spki_case("P-384");
	spki_case("P-521");
}

/* One key verifying from several threads at once, with good and bad
 * signatures interleaved, and one RSA key with two hashes: every answer is
 * the right one (the verification contexts each key keeps are per use). */
struct vjob {
	const fwt_pubkey *k;
	fwt_sig_alg alg;
	const unsigned char *sig;
	size_t siglen;
	int wrong;
};

static void *verify_many(void *arg)
{
	struct vjob *j = arg;
	const char msg[] = "firmware image bytes";
	fwt_ctx *c = NULL;
	int i;

	if (fwt_ctx_new(&c, NULL) != FWT_OK)
		return NULL;
	for (i = 0; i < 200; i++) {
		int bad = i % 3 == 1;
		if (fwt_sig_verify(c, j->k, j->alg, FWT_SIG_RAW, msg, bad ? sizeof(msg) - 1 : sizeof(msg), j->sig,
		                   j->siglen) != (bad ? FWT_EVERIFY : FWT_OK))
			j->wrong++;
	}
	fwt_ctx_free(c);
	return NULL;
}

/* Out-pointers are cleared on failure, the file variant as the memory
 * one: a caller that frees after any failure frees nothing stale. */
static void test_outputs_cleared(void)
{
	fwt_pubkey **v = (fwt_pubkey **)1, *k = NULL;
	unsigned char *der = (unsigned char *)1;
	size_t n = 77, len = 77;

	T_EQ_INT(fwt_pubkey_load_all(ctx, "testdata/keys/no-such-file.pem", &v, &n), FWT_EIO);
	T_ASSERT(v == NULL && n == 0);
	v = (fwt_pubkey **)1;
	n = 77;
	T_EQ_INT(fwt_pubkey_parse_all(ctx, "junk", 4, "junk", &v, &n), FWT_EFORMAT);
	T_ASSERT(v == NULL && n == 0);
	T_EQ_INT(fwt_pubkey_load(ctx, &k, "testdata/keys/p384.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_cert_der(k, &der, &len), FWT_ENOTFOUND);
	T_ASSERT(der == NULL && len == 0);
	fwt_pubkey_free(k);
}

static void test_verify_threads(void)
{
	const char msg[] = "firmware image bytes";
	unsigned char sig[FWT_SIG_MAX], s384[FWT_SIG_MAX], s512[FWT_SIG_MAX];
	size_t siglen, l384, l512;
	struct vjob jobs[4];
	pthread_t tid[4];
	char path[512];
	fwt_key *k, *r;
	int i;

	write_key("threads.pem", "EC", "P-384", path, sizeof(path));
	T_EQ_INT(fwt_key_open(ctx, &k, path, NULL), FWT_OK);
	T_EQ_INT(fwt_key_sign(k, msg, sizeof(msg), sig, &siglen), FWT_OK);
	for (i = 0; i < 4; i++) {
		jobs[i] = (struct vjob){ fwt_key_pubkey(k), FWT_SIG_ES384, sig, siglen, 0 };
		T_ASSERT(pthread_create(&tid[i], NULL, verify_many, &jobs[i]) == 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(tid[i], NULL);
		T_EQ_INT(jobs[i].wrong, 0);
	}
	fwt_key_free(k);

	write_key("threads-rsa.pem", "RSA", "3072", path, sizeof(path));
	T_EQ_INT(fwt_key_open(ctx, &r, path, NULL), FWT_OK);
	T_EQ_INT(fwt_key_sign(r, msg, sizeof(msg), s384, &l384), FWT_OK); /* PS384, the key's own */
	{
		fwt_pubkey *pub = (fwt_pubkey *)fwt_key_pubkey(r);
		EVP_PKEY *pk = NULL;
		EVP_PKEY_CTX *pc;
		EVP_MD_CTX *m = EVP_MD_CTX_new();
		FILE *f = fopen(path, "r");
		T_ASSERT(f && (pk = PEM_read_PrivateKey(f, NULL, NULL, NULL)) != NULL);
		fclose(f);
		l512 = sizeof(s512);
		T_ASSERT(EVP_DigestSignInit(m, &pc, EVP_sha512(), NULL, pk) == 1 &&
		         EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) == 1 &&
		         EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) == 1 &&
		         EVP_DigestSign(m, s512, &l512, (const unsigned char *)msg, sizeof(msg)) == 1);
		EVP_MD_CTX_free(m);
		EVP_PKEY_free(pk);
		for (i = 0; i < 3; i++) {
			T_EQ_INT(fwt_sig_verify(ctx, pub, FWT_SIG_PS384, FWT_SIG_RAW, msg, sizeof(msg), s384, l384), FWT_OK);
			T_EQ_INT(fwt_sig_verify(ctx, pub, FWT_SIG_PS512, FWT_SIG_RAW, msg, sizeof(msg), s512, l512), FWT_OK);
			T_EQ_INT(fwt_sig_verify(ctx, pub, FWT_SIG_PS512, FWT_SIG_RAW, msg, sizeof(msg), s384, l384),
			         FWT_EVERIFY);
			T_EQ_INT(fwt_sig_verify(ctx, pub, FWT_SIG_PS384, FWT_SIG_RAW, msg, sizeof(msg), s512, l512),
			         FWT_EVERIFY);
		}
	}
	fwt_key_free(r);
}

int main(void)
{
	char cmd[300];

	snprintf(dir, sizeof(dir), "/tmp/fwt-sig-test.XXXXXX");
	if (!mkdtemp(dir) || fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 2;
	T_RUN(test_jwk_thumbprint);
	T_RUN(test_jwk_rejects);
	T_RUN(test_jwk_members);
	T_RUN(test_trusted_certificate_settings);
	T_RUN(test_published_report);
	T_RUN(test_der_raw);
	T_RUN(test_pem_keys_sign);
	T_RUN(test_pss_salt);
	T_RUN(test_key_errors);
	T_RUN(test_pubkey_refuses_private);
	T_RUN(test_pubkey_forms);
	T_RUN(test_pem_shapes);
	T_RUN(test_trust_store_srp);
	T_RUN(test_trust_kids);
	T_RUN(test_chain);
	T_RUN(test_spki_ec);
	T_RUN(test_outputs_cleared);
	T_RUN(test_verify_threads);
	fwt_ctx_free(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return t_done();
}
