/* SPDX-License-Identifier: Apache-2.0 */
/* jws_test.c - JWS compact under the SFR profile: sign/verify round trips,
 * the RELIABILITY.md J1-J12 cases at library level, the RFC 7520 examples,
 * and verification against a trust store. */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

static fwt_ctx *ctx;
static const char *const algs[4] = { "es384", "es512", "ps384", "ps512" };

static fwt_key *key(const char *name)
{
	char p[256];
	fwt_key *k = NULL;

	snprintf(p, sizeof(p), "testdata/sfr/keys/%s.key.pem", name);
	if (fwt_key_open(ctx, &k, p, NULL) != FWT_OK)
		fprintf(stderr, "  cannot open %s: %s\n", p, fwt_ctx_errmsg(ctx));
	return k;
}

static fwt_pubkey *pub(const char *name)
{
	char p[256];
	fwt_pubkey *k = NULL;

	snprintf(p, sizeof(p), "testdata/sfr/keys/%s.pub.pem", name);
	if (fwt_pubkey_load(ctx, &k, p) != FWT_OK)
		fprintf(stderr, "  cannot load %s: %s\n", p, fwt_ctx_errmsg(ctx));
	return k;
}

static char *b64u(const void *p, size_t n)
{
	char *s = malloc(fwt_b64url_encoded_len(n) + 1);
	fwt_b64url_encode(s, p, n);
	return s;
}

/* header.payload signed by k (raw r||s / PSS), as a signer would make it. */
static char *forge(fwt_key *k, const char *header, const char *payload)
{
	unsigned char sig[FWT_SIG_MAX];
	size_t siglen = 0;
	char *h = b64u(header, strlen(header)), *p = b64u(payload, strlen(payload)), *s, *tok;
	size_t n = strlen(h) + strlen(p) + 2 + 1024;

	tok = malloc(n);
	snprintf(tok, n, "%s.%s", h, p);
	if (k && fwt_key_sign(k, tok, strlen(tok), sig, &siglen) != FWT_OK)
		siglen = 0;
	s = b64u(sig, siglen ? siglen : 1);
	strcat(tok, ".");
	strcat(tok, s);
	free(h);
	free(p);
	free(s);
	return tok;
}

static fwt_err parse_verify(const char *tok, size_t len, const fwt_pubkey *k, const fwt_jws_options *o)
{
	fwt_jws *j = NULL;
	fwt_err err = fwt_jws_parse(ctx, &j, tok, len, o);

	if (!err)
		err = fwt_jws_verify(ctx, j, k, o);
	fwt_jws_free(j);
	return err;
}

#define PV(tok, k) parse_verify((tok), strlen(tok), (k), NULL)

static void test_sign_verify_roundtrip(void)
{
	static const char payload[] = "{\"review_framework_version\":\"1.1\"}";
	size_t i, n, pl;
	char *tok = NULL, want[128];
	fwt_jws *j = NULL;

	for (i = 0; i < 4; i++) {
		fwt_key *k = key(algs[i]);
		fwt_pubkey *p = pub(algs[i]), *other = pub(i < 2 ? algs[1 - i] : algs[5 - i]);
		T_ASSERT(k && p && other);
		T_EQ_INT(fwt_jws_sign(ctx, k, "ACME Lab", 8, payload, strlen(payload), &tok, &n), FWT_OK);
		T_EQ_INT(n, strlen(tok));
		T_EQ_INT(fwt_jws_parse(ctx, &j, tok, n, NULL), FWT_OK);
		snprintf(want, sizeof(want), "{\"alg\":\"%s\",\"kid\":\"ACME Lab\",\"typ\":\"JWT\"}",
		         fwt_sig_alg_name(fwt_key_alg(k)));
		T_EQ_STR(fwt_jws_header_json(j), want);
		T_EQ_STR((const char *)fwt_jws_payload(j, &pl), payload);
		T_EQ_INT(fwt_jws_verify(ctx, j, p, NULL), FWT_OK);
		/* another key of another type or size: refused before any crypto */
		T_EQ_INT(fwt_jws_verify(ctx, j, other, NULL), FWT_EVERIFY);
		fwt_jws_free(j);
		j = NULL;
		free(tok);
		tok = NULL;
		fwt_key_free(k);
		fwt_pubkey_free(p);
		fwt_pubkey_free(other);
	}
}

static void test_wrong_key_and_tampering(void)
{
	fwt_key *k = key("es512");
	fwt_pubkey *p = pub("es512"), *other = pub("other-es512");
	char *tok = forge(k, "{\"alg\":\"ES512\",\"kid\":\"x\"}", "{\"a\":1}");
	size_t n = strlen(tok), i;

	T_EQ_INT(PV(tok, p), FWT_OK);
	T_EQ_INT(PV(tok, other), FWT_EVERIFY);
	/* one changed character anywhere: never a yes */
	for (i = 0; i < n; i++) {
		char *m = strdup(tok);
		m[i] = m[i] == 'A' ? 'B' : 'A';
		T_ASSERT(PV(m, p) != FWT_OK);
		free(m);
	}
	free(tok);
	fwt_key_free(k);
	fwt_pubkey_free(p);
	fwt_pubkey_free(other);
}

/* J1, J2, J7, J8, J9, J10: headers the profile refuses, each correctly
 * signed with the right key so that the header is the only defect. */
static void test_refused_headers(void)
{
	static const struct {
		const char *h;
		fwt_err want;
	} c[] = {
		{ "{\"alg\":\"none\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"None\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"NONE\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"kid\":\"k\"}", FWT_EFORMAT },
		{ "{\"alg\":null,\"kid\":\"k\"}", FWT_EFORMAT },
		{ "{\"alg\":[\"ES512\"],\"kid\":\"k\"}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512 \",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"es512\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"HS256\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"HS384\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"HS512\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"RS512\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"ES256\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"PS256\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"EdDSA\",\"kid\":\"k\"}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"crit\":[\"x-unknown\"]}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"crit\":[]}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"crit\":[\"alg\"]}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"crit\":[\"b64\"]}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"crit\":\"x\"}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"crit\":[\"x\",\"x\"]}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"b64\":false,\"crit\":[\"b64\"]}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"b64\":false}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"b64\":true}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"jwk\":{\"kty\":\"EC\"}}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"jku\":\"https://x/\"}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"x5u\":\"https://x/\"}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"x5c\":[\"MIIB\"]}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"x5t\":\"abc\"}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"x5t#S256\":\"abc\"}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"zip\":\"DEF\"}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"typ\":\"JOSE\"}", FWT_EVERIFY },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\",\"typ\":5}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\"}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\",\"kid\":\"\"}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\",\"kid\":123}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\",\"kid\":{}}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\",\"kid\":\"k1\\u0000evil\"}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\",\"alg\":\"none\",\"kid\":\"k\"}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\",\"kid\":\"a\",\"kid\":\"b\"}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\",\"\\u0061lg\":\"none\",\"kid\":\"k\"}", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\",\"kid\":\"\xc0\xaf\"}", FWT_EFORMAT },
		{ "[\"ES512\"]", FWT_EFORMAT },
		{ "{\"alg\":\"ES512\",\"kid\":\"k\"} x", FWT_EFORMAT },
	};
	fwt_key *k = key("es512");
	fwt_pubkey *p = pub("es512");
	char *ok = forge(k, "{\"alg\":\"ES512\",\"kid\":\"k\",\"typ\":\"jwt\"}", "{}");
	size_t i;

	T_EQ_INT(PV(ok, p), FWT_OK); /* the control: lowercase typ is fine */
	free(ok);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *tok = forge(k, c[i].h, "{}");
		fwt_err e = PV(tok, p);
		if (e != c[i].want)
			fprintf(stderr, "  header %s: %d, want %d (%s)\n", c[i].h, e, c[i].want, fwt_ctx_errmsg(ctx));
		T_EQ_INT(e, c[i].want);
		free(tok);
	}
	{
		char kid[1100 + 40];
		char *tok;
		memset(kid, 'k', sizeof(kid));
		memcpy(kid, "{\"alg\":\"ES512\",\"kid\":\"", 22);
		memcpy(kid + sizeof(kid) - 3, "\"}", 3);
		tok = forge(k, kid, "{}");
		T_EQ_INT(PV(tok, p), FWT_EFORMAT);
		free(tok);
	}
	{
		/* bytes a JSON error quotes are escaped, never in the message raw:
		 * a byte order mark is named; a zero-width space shown as bytes */
		char *tok = forge(k, "\xef\xbb\xbf{\"alg\":\"ES512\",\"kid\":\"k\"}", "{}");
		T_EQ_INT(PV(tok, p), FWT_EFORMAT);
		T_EQ_STR(fwt_ctx_errmsg(ctx), "'JWS header' starts with a byte order mark (U+FEFF, bytes ef bb bf), which a "
		         "JSON text may not (RFC 8259 8.1)");
		free(tok);
		tok = forge(k, "\xe2\x80\x8b{\"alg\":\"ES512\",\"kid\":\"k\"}", "{}");
		T_EQ_INT(PV(tok, p), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'JWS header': JSON error at byte ") != NULL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "\\xe2\\x80\\x8b") != NULL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "\xe2\x80\x8b") == NULL);
		free(tok);
	}
	fwt_key_free(k);
	fwt_pubkey_free(p);
}

/* J3: the algorithm fits one key type and size only. */
static void test_alg_key_binding(void)
{
	static const char *const keys[6] = { "p256", "es384", "es512", "rsa2048", "ps384", "ps512" };
	static const fwt_sig_alg a[4] = { FWT_SIG_ES384, FWT_SIG_ES512, FWT_SIG_PS384, FWT_SIG_PS512 };
	fwt_jws_options any = FWT_JWS_OPTIONS_INIT;
	size_t i, j;

	any.any_rsa_size = 1;
	for (j = 0; j < 6; j++) {
		fwt_pubkey *p = pub(keys[j]);
		T_ASSERT(p);
		for (i = 0; i < 4; i++) {
			int diag = j == (i < 2 ? i + 1 : i + 2);
			T_EQ_INT(fwt_jws_check_key(ctx, a[i], p, NULL), diag ? FWT_OK : FWT_EVERIFY);
		}
		/* the relaxed test profile takes any RSA >= 2048 for PS384/PS512 */
		T_EQ_INT(fwt_jws_check_key(ctx, FWT_SIG_PS384, p, &any),
		         !strncmp(keys[j], "rsa", 3) || !strncmp(keys[j], "ps", 2) ? FWT_OK : FWT_EVERIFY);
		fwt_pubkey_free(p);
	}
	{
		/* a P-521 signature claiming ES384, with the P-384 key trusted */
		fwt_key *k = key("es512");
		fwt_pubkey *p384 = pub("es384");
		char *tok = forge(k, "{\"alg\":\"ES384\",\"kid\":\"k\"}", "{}");
		T_EQ_INT(PV(tok, p384), FWT_EVERIFY);
		free(tok);
		fwt_key_free(k);
		fwt_pubkey_free(p384);
	}
}

/* A token whose signature segment is the given bytes. */
static char *with_sig(const char *header, const unsigned char *sig, size_t n)
{
	char *h = b64u(header, strlen(header)), *p = b64u("{}", 2), *s = b64u(sig, n);
	size_t len = strlen(h) + strlen(p) + strlen(s) + 3;
	char *tok = malloc(len);

	snprintf(tok, len, "%s.%s.%s", h, p, s);
	free(h);
	free(p);
	free(s);
	return tok;
}

/* J4 and J5: r and s range, exact raw length, no DER. */
static void test_ecdsa_signature_shape(void)
{
	static const unsigned char n521[66] = {
		0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b, 0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09,
		0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c, 0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38,
		0x64, 0x09 };
	unsigned char sig[140], *der = NULL;
	size_t derlen = 0, n, tries;
	fwt_key *k = key("es512");
	fwt_pubkey *p = pub("es512"), *p384 = pub("es384");
	char *tok;

	memset(sig, 0, sizeof(sig));
	tok = with_sig("{\"alg\":\"ES384\",\"kid\":\"k\"}", sig, 96); /* r = s = 0 */
	T_EQ_INT(PV(tok, p384), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "out of range"));
	free(tok);
	/* r = n exactly: refused by the explicit range check */
	memcpy(sig, n521, 66);
	memset(sig + 66, 0, 66);
	sig[131] = 1;
	tok = with_sig("{\"alg\":\"ES512\",\"kid\":\"k\"}", sig, 132);
	T_EQ_INT(PV(tok, p), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "out of range"));
	free(tok);
	/* good signatures, then their variants */
	for (n = 0; n < 2; n++) {
		unsigned char good[132];
		size_t gl = 0;
		char in[256], *h = b64u("{\"alg\":\"ES512\",\"kid\":\"k\"}", 25), *pl = b64u("{}", 2);
		snprintf(in, sizeof(in), "%s.%s", h, pl);
		free(h);
		free(pl);
		T_EQ_INT(fwt_key_sign(k, in, strlen(in), good, &gl), FWT_OK);
		T_EQ_INT(gl, 132);
		tok = with_sig("{\"alg\":\"ES512\",\"kid\":\"k\"}", good, 131); /* one byte short */
		T_EQ_INT(PV(tok, p), FWT_EVERIFY);
		free(tok);
		memcpy(sig, good, 132);
		sig[132] = 0;
		tok = with_sig("{\"alg\":\"ES512\",\"kid\":\"k\"}", sig, 133); /* one byte long */
		T_EQ_INT(PV(tok, p), FWT_EVERIFY);
		free(tok);
		sig[0] = 0;
		memcpy(sig + 1, good, 132);
		tok = with_sig("{\"alg\":\"ES512\",\"kid\":\"k\"}", sig, 133); /* a leading zero added */
		T_EQ_INT(PV(tok, p), FWT_EVERIFY);
		free(tok);
		T_EQ_INT(fwt_ecdsa_raw_to_der(good, 132, &der, &derlen), FWT_OK);
		tok = with_sig("{\"alg\":\"ES512\",\"kid\":\"k\"}", der, derlen); /* DER where raw is due */
		T_EQ_INT(PV(tok, p), FWT_EVERIFY);
		free(tok);
		free(der);
		der = NULL;
	}
	/* positive control: a valid raw ES384 signature that starts with 0x30
	 * (a DER sniffing heuristic would misread it) */
	{
		fwt_key *k384 = key("es384");
		int found = 0;
		for (tries = 0; tries < 5000 && !found; tries++) {
			char *h = b64u("{\"alg\":\"ES384\",\"kid\":\"k\"}", 25), *pl = b64u("{}", 2), in[256];
			unsigned char good[96];
			size_t gl = 0;
			snprintf(in, sizeof(in), "%s.%s", h, pl);
			free(h);
			free(pl);
			T_EQ_INT(fwt_key_sign(k384, in, strlen(in), good, &gl), FWT_OK);
			if (good[0] != 0x30)
				continue;
			found = 1;
			tok = with_sig("{\"alg\":\"ES384\",\"kid\":\"k\"}", good, gl);
			T_EQ_INT(PV(tok, p384), FWT_OK);
			free(tok);
		}
		fwt_key_free(k384);
		T_ASSERT(found);
	}
	fwt_key_free(k);
	fwt_pubkey_free(p);
	fwt_pubkey_free(p384);
}

/* J6: RSA-PSS must use salt = hash length; PS512 made with salt 32 fails. */
static char *pss_token(const char *keyfile, const char *alg, const char *md, int salt)
{
	char hdr[64], *h, *pl, in[256], *tok;
	unsigned char sig[512];
	size_t sl = sizeof(sig);
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pc = NULL;
	FILE *f = fopen(keyfile, "r");

	if (f) {
		pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\",\"kid\":\"k\"}", alg);
	h = b64u(hdr, strlen(hdr));
	pl = b64u("{}", 2);
	snprintf(in, sizeof(in), "%s.%s", h, pl);
	free(h);
	free(pl);
	if (!pk || EVP_DigestSignInit_ex(m, &pc, md, NULL, NULL, pk, NULL) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, salt) <= 0 || EVP_DigestSign(m, sig, &sl, (unsigned char *)in, strlen(in)) <= 0)
		sl = 0;
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(pk);
	h = b64u(sig, sl ? sl : 1);
	tok = malloc(strlen(in) + strlen(h) + 2);
	sprintf(tok, "%s.%s", in, h);
	free(h);
	return tok;
}

static void test_rsa_pss_parameters(void)
{
	fwt_pubkey *p512 = pub("ps512"), *p384 = pub("ps384");
	char *tok;

	tok = pss_token("testdata/sfr/keys/ps512.key.pem", "PS512", "SHA512", 64);
	T_EQ_INT(PV(tok, p512), FWT_OK);
	free(tok);
	tok = pss_token("testdata/sfr/keys/ps512.key.pem", "PS512", "SHA512", 32);
	T_EQ_INT(PV(tok, p512), FWT_EVERIFY);
	free(tok);
	tok = pss_token("testdata/sfr/keys/ps512.key.pem", "PS512", "SHA512", 0);
	T_EQ_INT(PV(tok, p512), FWT_EVERIFY);
	free(tok);
	tok = pss_token("testdata/sfr/keys/ps384.key.pem", "PS384", "SHA384", 48);
	T_EQ_INT(PV(tok, p384), FWT_OK);
	free(tok);
	tok = pss_token("testdata/sfr/keys/ps384.key.pem", "PS384", "SHA384", 20);
	T_EQ_INT(PV(tok, p384), FWT_EVERIFY);
	free(tok);
	/* PS384 with an RSA-2048 key: the key size is refused first */
	tok = pss_token("testdata/sfr/keys/rsa2048.key.pem", "PS384", "SHA384", 48);
	{
		fwt_pubkey *p2048 = pub("rsa2048");
		fwt_jws_options any = FWT_JWS_OPTIONS_INIT;
		any.any_rsa_size = 1;
		T_EQ_INT(PV(tok, p2048), FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "RSA-3072"));
		T_EQ_INT(parse_verify(tok, strlen(tok), p2048, &any), FWT_OK);
		fwt_pubkey_free(p2048);
	}
	free(tok);
	fwt_pubkey_free(p512);
	fwt_pubkey_free(p384);
}

/* J12: framing, base64url, size. */
static void test_framing(void)
{
	fwt_key *k = key("es384");
	fwt_pubkey *p = pub("es384");
	char *tok = forge(k, "{\"alg\":\"ES384\",\"kid\":\"k\"}", "{\"a\":\"b\"}"), *m;
	size_t n = strlen(tok), i;
	const char *d1 = strchr(tok, '.'), *d2 = strrchr(tok, '.');
	fwt_jws_options small = FWT_JWS_OPTIONS_INIT;
	char *big;

	T_EQ_INT(PV(tok, p), FWT_OK);
	m = malloc(n + 16);
	/* a final LF or CRLF is a file's line end; anything more is not */
	snprintf(m, n + 16, "%s\n", tok);
	T_EQ_INT(PV(m, p), FWT_OK);
	snprintf(m, n + 16, "%s\r\n", tok);
	T_EQ_INT(PV(m, p), FWT_OK);
	snprintf(m, n + 16, "%s\n\n", tok);
	T_EQ_INT(PV(m, p), FWT_EFORMAT);
	snprintf(m, n + 16, " %s", tok);
	T_EQ_INT(PV(m, p), FWT_EFORMAT);
	snprintf(m, n + 16, "%s=", tok);
	T_EQ_INT(PV(m, p), FWT_EFORMAT);
	snprintf(m, n + 16, "%s.", tok); /* four parts */
	T_EQ_INT(PV(m, p), FWT_EFORMAT);
	snprintf(m, n + 16, "%.*s", (int)(d2 - tok), tok); /* two parts */
	T_EQ_INT(PV(m, p), FWT_EFORMAT);
	snprintf(m, n + 16, "%.*s.%s", (int)(d1 - tok), tok, d2 + 1); /* empty payload */
	T_EQ_INT(PV(m, p), FWT_EFORMAT);
	snprintf(m, n + 16, "%.*s.", (int)(d2 - tok), tok); /* empty signature */
	T_EQ_INT(PV(m, p), FWT_EFORMAT);
	snprintf(m, n + 16, "%s", d1); /* empty header */
	T_EQ_INT(PV(m, p), FWT_EFORMAT);
	for (i = 0; i < n; i++) { /* whitespace, '+', '/', '=' anywhere */
		static const char bad[] = { ' ', '+', '/', '=', '\n' };
		size_t b;
		for (b = 0; b < sizeof(bad); b++) {
			if (tok[i] == '.')
				continue;
			memcpy(m, tok, n + 1);
			m[i] = bad[b];
			/* (a newline as the last byte is a file's line end: the
			 * signature is then one character short: a no either way) */
			if (i == n - 1 && bad[b] == '\n')
				T_ASSERT(PV(m, p) != FWT_OK);
			else
				T_EQ_INT(PV(m, p), FWT_EFORMAT);
		}
	}
	/* unused trailing bits: the last character of the payload changed so
	 * that it decodes to the same bytes under a lax decoder */
	memcpy(m, tok, n + 1);
	m[d2 - tok - 1] ^= 1;
	T_ASSERT(PV(m, p) != FWT_OK);
	free(m);
	/* a 1 MB run of dots, and one more byte than the cap */
	big = malloc((1u << 20) + 2);
	memset(big, '.', (1u << 20) + 1);
	T_EQ_INT(parse_verify(big, 1u << 20, p, NULL), FWT_EFORMAT);
	T_EQ_INT(parse_verify(big, (1u << 20) + 1, p, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "larger than"));
	free(big);
	small.max_size = n - 1;
	T_EQ_INT(parse_verify(tok, n, p, &small), FWT_EFORMAT);
	/* the JSON serialization offered where compact is expected */
	T_EQ_INT(PV("{\"payload\":\"e30\",\"signatures\":[]}", p), FWT_EFORMAT);
	free(tok);
	fwt_key_free(k);
	fwt_pubkey_free(p);
}

static json_t *load_json(const char *path)
{
	json_error_t e;
	return json_load_file(path, 0, &e);
}

/* RFC 7520's keys are private JWKs, which a trust store refuses: its
 * public part. */
static fwt_pubkey *jwk_key(json_t *jwk)
{
	static const char *const priv[] = { "d", "p", "q", "dp", "dq", "qi" };
	json_t *pub = json_deep_copy(jwk);
	char *s = json_dumps(jwk, JSON_COMPACT);
	fwt_pubkey *k = NULL;
	size_t i;

	if (s && fwt_pubkey_from_jwk(ctx, &k, s, strlen(s), "rfc7520") != FWT_EINVAL) { /* a private JWK: the wrong key */
		fwt_pubkey_free(k); /* refused, or the caller's assertion fails */
		k = NULL;
		json_decref(pub);
		pub = NULL;
	}
	free(s);
	for (i = 0; pub && i < sizeof(priv) / sizeof(priv[0]); i++)
		json_object_del(pub, priv[i]);
	s = pub ? json_dumps(pub, JSON_COMPACT) : NULL;
	if (s)
		fwt_pubkey_from_jwk(ctx, &k, s, strlen(s), "rfc7520");
	free(s);
	json_decref(pub);
	return k;
}

/* RFC 7520 section 4.3 (ES512) and 4.2 (PS384, an RSA-2048 key). */
static void test_rfc7520(void)
{
	static const char *const files[] = { "4_3.ecdsa_signature.json", "4_2.rsa-pss_signature.json",
		                             "4_1.rsa_v15_signature.json" };
	fwt_jws_options any = FWT_JWS_OPTIONS_INIT;
	const char *corp = t_corpora();
	size_t i, pl;
	char path[512];

	if (!corp)
		T_SKIP("../shared/corpora not found");
	any.any_rsa_size = 1;
	for (i = 0; i < 3; i++) {
		json_t *doc, *in, *outp;
		fwt_pubkey *k;
		fwt_jws *j = NULL;
		const char *tok;
		snprintf(path, sizeof(path), "%s/jose/jws/%s", corp, files[i]);
		doc = load_json(path);
		T_ASSERT(doc);
		in = json_object_get(doc, "input");
		outp = json_object_get(doc, "output");
		tok = json_string_value(json_object_get(outp, "compact"));
		k = jwk_key(json_object_get(in, "key"));
		T_ASSERT(tok && k);
		if (i == 0) {
			/* ES512 with a P-521 key: passes the strict profile */
			T_EQ_INT(fwt_jws_parse(ctx, &j, tok, strlen(tok), NULL), FWT_OK);
			T_EQ_INT(fwt_jws_verify(ctx, j, k, NULL), FWT_OK);
			T_EQ_STR((const char *)fwt_jws_payload(j, &pl), json_string_value(json_object_get(in, "payload")));
		} else if (i == 1) {
			/* PS384 with RSA-2048: the OCP binding refuses the key size;
			 * the same verify code accepts it when the binding is off */
			T_EQ_INT(fwt_jws_parse(ctx, &j, tok, strlen(tok), NULL), FWT_OK);
			T_EQ_INT(fwt_jws_verify(ctx, j, k, NULL), FWT_EVERIFY);
			T_EQ_INT(fwt_jws_verify(ctx, j, k, &any), FWT_OK);
			T_EQ_STR((const char *)fwt_jws_payload(j, &pl), json_string_value(json_object_get(in, "payload")));
		} else {
			/* RS256: not in the profile at all */
			T_EQ_INT(fwt_jws_parse(ctx, &j, tok, strlen(tok), &any), FWT_EVERIFY);
		}
		fwt_jws_free(j);
		fwt_pubkey_free(k);
		json_decref(doc);
	}
}

static void test_trust_store(void)
{
	fwt_trust *t = NULL, *kids = NULL;
	fwt_key *k512 = key("es512"), *k384 = key("es384");
	fwt_pubkey *p512 = pub("es512"), *other = pub("other-es512"), *p384 = pub("es384"), *dup = pub("es512");
	const fwt_pubkey *used = NULL;
	fwt_jws *j = NULL;
	char *tok;

	/* no kids.json: every fitting key is tried; a copy of the same key counts once */
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, other), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, p384), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, p512), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, dup), FWT_OK);
	tok = forge(k512, "{\"alg\":\"ES512\",\"kid\":\"../../etc/ssl/private/k.pem\"}", "{}");
	T_EQ_INT(fwt_jws_parse(ctx, &j, tok, strlen(tok), NULL), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &used), FWT_OK);
	T_ASSERT(used == p512);
	fwt_jws_free(j);
	free(tok);
	/* signed by a key that is not trusted */
	tok = forge(k384, "{\"alg\":\"ES384\",\"kid\":\"x\"}", "{}");
	T_EQ_INT(fwt_jws_parse(ctx, &j, tok, strlen(tok), NULL), FWT_OK);
	fwt_trust_free(t);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, p512), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &used), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no trusted key fits ES384"));
	T_ASSERT(used == NULL);
	fwt_jws_free(j);
	free(tok);
	/* kids.json: the kid must be mapped and only its key is used */
	T_EQ_INT(fwt_trust_new(ctx, &kids), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(kids, "testdata/sfr/trust-kids"), FWT_OK);
	tok = forge(k512, "{\"alg\":\"ES512\",\"kid\":\"ACME Review Lab\"}", "{}");
	T_EQ_INT(fwt_jws_parse(ctx, &j, tok, strlen(tok), NULL), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, kids, NULL, &used), FWT_OK);
	T_ASSERT(strstr(fwt_pubkey_name(used), "es512.pub"));
	fwt_jws_free(j);
	free(tok);
	tok = forge(k512, "{\"alg\":\"ES512\",\"kid\":\"acme review lab\"}", "{}"); /* never case-folded */
	T_EQ_INT(fwt_jws_parse(ctx, &j, tok, strlen(tok), NULL), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, kids, NULL, &used), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not mapped"));
	fwt_jws_free(j);
	free(tok);
	/* an unmapped kid is quoted in the message, never replayed raw */
	tok = forge(k512, "{\"alg\":\"ES512\",\"kid\":\"\\u001b[2J\\nVERDICT: OK\"}", "{}");
	T_EQ_INT(fwt_jws_parse(ctx, &j, tok, strlen(tok), NULL), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, kids, NULL, &used), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "\\x1b[2J\\x0aVERDICT: OK") != NULL);
	T_ASSERT(strchr(fwt_ctx_errmsg(ctx), '\n') == NULL && strchr(fwt_ctx_errmsg(ctx), 0x1b) == NULL);
	fwt_jws_free(j);
	free(tok);
	tok = forge(k512, "{\"alg\":\"ES512\",\"kid\":\"Road Runner Audits\"}", "{}"); /* mapped to the P-384 key */
	T_EQ_INT(fwt_jws_parse(ctx, &j, tok, strlen(tok), NULL), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, kids, NULL, &used), FWT_EVERIFY);
	fwt_jws_free(j);
	free(tok);
	fwt_trust_free(t);
	fwt_trust_free(kids);
	fwt_key_free(k512);
	fwt_key_free(k384);
	fwt_pubkey_free(p512);
	fwt_pubkey_free(other);
	fwt_pubkey_free(p384);
	fwt_pubkey_free(dup);
}

static void test_sign_refusals(void)
{
	fwt_key *p256 = key("p256"), *rsa = key("rsa2048"), *k = key("es384");
	char *tok = NULL;
	size_t n;

	T_EQ_INT(fwt_jws_sign(ctx, p256, "k", 1, "{}", 2, &tok, &n), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_jws_sign(ctx, rsa, "k", 1, "{}", 2, &tok, &n), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_jws_sign(ctx, k, "a\nb", 3, "{}", 2, &tok, &n), FWT_EINVAL);
	/* C1 controls (U+0085 NEL, U+009F) as well; U+00A0 and beyond are text */
	T_EQ_INT(fwt_jws_sign(ctx, k, "a\xc2\x85" "b", 4, "{}", 2, &tok, &n), FWT_EINVAL);
	T_EQ_INT(fwt_jws_sign(ctx, k, "a\xc2\x9f", 3, "{}", 2, &tok, &n), FWT_EINVAL);
	T_EQ_INT(fwt_jws_sign(ctx, k, "a\xc2\xa0" "b", 4, "{}", 2, &tok, &n), FWT_OK);
	free(tok);
	tok = NULL;
	T_EQ_INT(fwt_jws_sign(ctx, k, "", 0, "{}", 2, &tok, &n), FWT_EINVAL);
	T_EQ_INT(fwt_jws_sign(ctx, k, "\xc0\xaf", 2, "{}", 2, &tok, &n), FWT_EINVAL);
	T_EQ_INT(fwt_jws_sign(ctx, k, "k", 1, "", 0, &tok, &n), FWT_EINVAL);
	T_ASSERT(tok == NULL);
	fwt_key_free(p256);
	fwt_key_free(rsa);
	fwt_key_free(k);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_sign_verify_roundtrip);
	T_RUN(test_wrong_key_and_tampering);
	T_RUN(test_refused_headers);
	T_RUN(test_alg_key_binding);
	T_RUN(test_ecdsa_signature_shape);
	T_RUN(test_rsa_pss_parameters);
	T_RUN(test_framing);
	T_RUN(test_rfc7520);
	T_RUN(test_trust_store);
	T_RUN(test_sign_refusals);
	fwt_ctx_free(ctx);
	return t_done();
}
