/* SPDX-License-Identifier: Apache-2.0 */
/* wycheproof_test.c - every Wycheproof vector that applies, through the
 * same code the SFR commands use:
 *
 *  - ECDSA P-384/SHA-384 and P-521/SHA-512, P1363 (raw r||s) files through
 *    fwt_sig_verify(RAW); the DER files through fwt_sig_verify(DER), and every
 *    DER signature also through RAW, where it must fail (JWS needs raw).
 *  - RSA-PSS (*_pss_* files) through fwt_sig_verify, which is strict PSS:
 *    salt = hash length, MGF1 with the message hash.  A group whose
 *    parameters are exactly those of PS256/PS384/PS512 maps to that
 *    algorithm and the vector's result must hold.  A group with other
 *    parameters (rsa_pss_4096_sha512_mgf1_32: SHA-512 with a 32-byte salt)
 *    is verified as the algorithm of its hash, and every vector, "valid"
 *    ones included, must be rejected.  Key sizes are not the profile's
 *    business at this level (the OCP 3072/4096 binding lives in jws.c).
 *  - json_web_signature_test.json through fwt_jws_parse + fwt_jws_verify
 *    with the group's public key, twice: with the RSA key-size binding
 *    relaxed (the vectors' RSA keys are 2048 bits), and with the strict SFR
 *    profile.  Overrides, by rule: a vector whose alg is not
 *    ES384/ES512/PS384/PS512, whose payload is empty, or whose base64 is
 *    lax (tcId 372 and 373, marked valid upstream) must be rejected although
 *    marked valid.  A group key's JWK "alg" limits it to that algorithm
 *    (tcId 340: PS384 made with the key of the PS512 group is invalid), so
 *    tcId 346 and 350 (PS384 tokens, RFC 7520 figure 20, with a key whose
 *    "alg" is PS256) must be rejected although marked valid.  The RFC 7520
 *    P-521 key's "alg" is written "ES521" (RFC 7520 gives it no "alg"):
 *    read as ES512, the name the RFC's token uses.  The strict run accepts
 *    exactly the ES512 vectors the relaxed run accepts (no RSA key here
 *    fits the OCP sizes).
 *
 * "valid" must pass, "invalid" must fail, "acceptable" must fail (the safe
 * choice for a firmware verifier).
 */
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

static fwt_ctx *ctx;
static char dir[512];

static json_t *load(const char *name)
{
	char p[768];
	json_error_t e;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return json_load_file(p, 0, &e);
}

static unsigned char *unhex(const char *s, size_t *n)
{
	size_t l = strlen(s);
	unsigned char *b = malloc(l / 2 + 1);

	if (!b || fwt_hex_decode(b, l / 2 + 1, s, l, n) != FWT_OK) {
		free(b);
		return NULL;
	}
	return b;
}

static fwt_pubkey *spki_key(json_t *g)
{
	size_t n;
	unsigned char *der = unhex(json_string_value(json_object_get(g, "publicKeyDer")), &n);
	fwt_pubkey *k = NULL;

	if (der)
		fwt_pubkey_from_spki(ctx, &k, der, n, "wycheproof");
	free(der);
	return k;
}

struct tally {
	size_t run, valid, invalid, acceptable, wrong;
};

/* Run one signature file: expect(result, group) says whether to accept. */
static void run_sig_file(const char *name, fwt_sig_alg alg, fwt_sig_encoding enc, int raw_must_fail,
                         int reject_all, struct tally *t)
{
	json_t *doc = load(name), *g, *tc;
	size_t gi, ti;

	if (!doc) {
		t->wrong++;
		fprintf(stderr, "  cannot read %s\n", name);
		return;
	}
	json_array_foreach(json_object_get(doc, "testGroups"), gi, g) {
		fwt_pubkey *k = spki_key(g);
		if (!k) {
			t->wrong++;
			fprintf(stderr, "  %s group %zu: key not loaded: %s\n", name, gi, fwt_ctx_errmsg(ctx));
			continue;
		}
		json_array_foreach(json_object_get(g, "tests"), ti, tc) {
			const char *res = json_string_value(json_object_get(tc, "result"));
			size_t ml, sl;
			unsigned char *msg = unhex(json_string_value(json_object_get(tc, "msg")), &ml);
			unsigned char *sig = unhex(json_string_value(json_object_get(tc, "sig")), &sl);
			int want = !strcmp(res, "valid") && !reject_all;
			fwt_err e;
			t->run++;
			t->valid += !strcmp(res, "valid");
			t->invalid += !strcmp(res, "invalid");
			t->acceptable += !strcmp(res, "acceptable");
			if (!msg || !sig) {
				/* odd-length hex never occurs in these files */
				t->wrong++;
			} else {
				e = fwt_sig_verify(ctx, k, alg, enc, msg, ml, sig, sl);
				if ((e == FWT_OK) != want || (e != FWT_OK && e != FWT_EVERIFY)) {
					t->wrong++;
					fprintf(stderr, "  %s tcId %lld (%s): got %d\n", name,
					        (long long)json_integer_value(json_object_get(tc, "tcId")), res, e);
				}
				if (raw_must_fail && fwt_sig_verify(ctx, k, alg, FWT_SIG_RAW, msg, ml, sig, sl) == FWT_OK) {
					t->wrong++;
					fprintf(stderr, "  %s tcId %lld: a DER signature verified as raw\n", name,
					        (long long)json_integer_value(json_object_get(tc, "tcId")));
				}
			}
			free(msg);
			free(sig);
		}
		fwt_pubkey_free(k);
	}
	json_decref(doc);
}

static void test_ecdsa_p1363(void)
{
	struct tally t = { 0 };

	if (!t_corpora())
		T_SKIP("../shared/corpora not found");
	run_sig_file("ecdsa_secp384r1_sha384_p1363_test.json", FWT_SIG_ES384, FWT_SIG_RAW, 0, 0, &t);
	run_sig_file("ecdsa_secp521r1_sha512_p1363_test.json", FWT_SIG_ES512, FWT_SIG_RAW, 0, 0, &t);
	fprintf(stderr, "  ecdsa p1363: %zu vectors (%zu valid, %zu invalid, %zu acceptable), %zu wrong\n", t.run,
	        t.valid, t.invalid, t.acceptable, t.wrong);
	T_EQ_INT(t.run, 280 + 318);
	T_EQ_INT(t.wrong, 0);
}

static void test_ecdsa_der(void)
{
	struct tally t = { 0 };

	if (!t_corpora())
		T_SKIP("../shared/corpora not found");
	run_sig_file("ecdsa_secp384r1_sha384_test.json", FWT_SIG_ES384, FWT_SIG_DER, 1, 0, &t);
	run_sig_file("ecdsa_secp521r1_sha512_test.json", FWT_SIG_ES512, FWT_SIG_DER, 1, 0, &t);
	fprintf(stderr, "  ecdsa der: %zu vectors (%zu valid, %zu invalid), %zu wrong\n", t.run, t.valid, t.invalid,
	        t.wrong);
	T_EQ_INT(t.run, 504 + 542);
	T_EQ_INT(t.wrong, 0);
}

static void test_rsa_pss(void)
{
	static const struct {
		const char *file;
		fwt_sig_alg alg;
		int strict_params; /* the group's parameters are exactly the algorithm's */
		size_t tests;
	} f[] = {
		{ "rsa_pss_2048_sha384_mgf1_48_test.json", FWT_SIG_PS384, 1, 141 },
		{ "rsa_pss_3072_sha256_mgf1_32_test.json", FWT_SIG_PS256, 1, 108 },
		{ "rsa_pss_4096_sha384_mgf1_48_test.json", FWT_SIG_PS384, 1, 141 },
		{ "rsa_pss_4096_sha512_mgf1_64_test.json", FWT_SIG_PS512, 1, 179 },
		{ "rsa_pss_4096_sha512_mgf1_32_test.json", FWT_SIG_PS512, 0, 177 },
	};
	size_t i;

	if (!t_corpora())
		T_SKIP("../shared/corpora not found");
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		struct tally t = { 0 };
		json_t *doc = load(f[i].file), *g = json_array_get(json_object_get(doc, "testGroups"), 0);
		const char *sha = json_string_value(json_object_get(g, "sha"));
		const char *mgf = json_string_value(json_object_get(g, "mgfSha"));
		json_int_t slen = json_integer_value(json_object_get(g, "sLen"));
		size_t hl = fwt_digest_size(fwt_sig_alg_digest(f[i].alg));
		/* the mapping above must agree with the file's own parameters */
		T_ASSERT(sha && mgf && !strcmp(sha, mgf));
		T_EQ_INT((size_t)slen == hl && (size_t)atoi(sha + 4) == hl * 8, f[i].strict_params);
		json_decref(doc);
		run_sig_file(f[i].file, f[i].alg, FWT_SIG_RAW, 0, !f[i].strict_params, &t);
		fprintf(stderr, "  %s: %zu vectors (%zu valid), %zu wrong%s\n", f[i].file, t.run, t.valid, t.wrong,
		        f[i].strict_params ? "" : " (every one must be rejected)");
		T_EQ_INT(t.run, f[i].tests);
		T_EQ_INT(t.wrong, 0);
	}
}

static int profile_alg(const char *tok)
{
	/* the alg of a compact token's header, decoded leniently for the rule */
	const char *dot = strchr(tok, '.');
	unsigned char h[4096];
	size_t n = 0;
	json_t *j;
	const char *a;
	int ok = 0;

	if (!dot || (size_t)(dot - tok) > 4000 || fwt_b64url_decode(h, sizeof(h), tok, (size_t)(dot - tok), &n))
		return 0;
	j = json_loadb((const char *)h, n, 0, NULL);
	a = json_string_value(json_object_get(j, "alg"));
	ok = a && (!strcmp(a, "ES384") || !strcmp(a, "ES512") || !strcmp(a, "PS384") || !strcmp(a, "PS512"));
	json_decref(j);
	return ok;
}

static void test_json_web_signature(void)
{
	json_t *doc, *g, *tc;
	size_t gi, ti, run = 0, wrong = 0, passed = 0, overridden = 0, strict_passed = 0;
	fwt_jws_options any = FWT_JWS_OPTIONS_INIT;
	fwt_pubkey *fallback = NULL;

	if (!t_corpora())
		T_SKIP("../shared/corpora not found");
	any.any_rsa_size = 1;
	T_EQ_INT(fwt_pubkey_load(ctx, &fallback, "testdata/sfr/keys/es512.pub.pem"), FWT_OK);
	doc = load("json_web_signature_test.json");
	T_ASSERT(doc);
	json_array_foreach(json_object_get(doc, "testGroups"), gi, g) {
		json_t *pj = json_object_get(g, "public");
		fwt_pubkey *k = NULL;
		if (json_object_size(pj)) {
			char *s;
			if (!strcmp(json_string_value(json_object_get(pj, "alg")) ?
			            json_string_value(json_object_get(pj, "alg")) : "", "ES521"))
				json_object_set_new(pj, "alg", json_string("ES512"));
			s = json_dumps(pj, JSON_COMPACT);
			if (fwt_pubkey_from_jwk(ctx, &k, s, strlen(s), "wycheproof") != FWT_OK)
				k = NULL; /* e.g. an encryption-only key: every token must still fail */
			free(s);
		}
		json_array_foreach(json_object_get(g, "tests"), ti, tc) {
			json_t *jv = json_object_get(tc, "jws");
			const char *res = json_string_value(json_object_get(tc, "result"));
			long long id = json_integer_value(json_object_get(tc, "tcId"));
			char *tok = json_is_string(jv) ? strdup(json_string_value(jv)) : json_dumps(jv, JSON_COMPACT);
			const char *d1 = strchr(tok, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
			int want = !strcmp(res, "valid"), o = 0;
			fwt_jws *j = NULL;
			fwt_err e;
			if (want && (!json_is_string(jv) || !profile_alg(tok) || (d1 && d2 && d2 == d1 + 1) || id == 372 ||
			             id == 373 || id == 346 || id == 350)) {
				want = 0; /* the strict profile's overrides, as documented above */
				o = 1;
			}
			run++;
			overridden += o;
			e = fwt_jws_parse(ctx, &j, tok, strlen(tok), &any);
			if (!e)
				e = fwt_jws_verify(ctx, j, k ? k : fallback, &any);
			if ((e == FWT_OK) != want) {
				wrong++;
				fprintf(stderr, "  jws tcId %lld (%s): got %d: %s\n", id, res, e, fwt_ctx_errmsg(ctx));
			}
			passed += e == FWT_OK;
			fwt_jws_free(j);
			j = NULL;
			/* the strict profile */
			e = fwt_jws_parse(ctx, &j, tok, strlen(tok), NULL);
			if (!e)
				e = fwt_jws_verify(ctx, j, k ? k : fallback, NULL);
			if ((e == FWT_OK) != (want && fwt_sig_alg_is_ecdsa(fwt_jws_alg(j)))) {
				wrong++;
				fprintf(stderr, "  jws tcId %lld (%s), strict: got %d: %s\n", id, res, e, fwt_ctx_errmsg(ctx));
			}
			strict_passed += e == FWT_OK;
			fwt_jws_free(j);
			free(tok);
		}
		fwt_pubkey_free(k);
	}
	json_decref(doc);
	fwt_pubkey_free(fallback);
	fprintf(stderr, "  json_web_signature: %zu vectors, %zu accepted (%zu under the strict profile), "
	        "%zu valid ones overridden, %zu wrong\n", run, passed, strict_passed, overridden, wrong);
	T_EQ_INT(run, 401);
	T_ASSERT(passed >= 5);        /* the ES512 and PS384/PS512 vectors do pass */
	T_ASSERT(strict_passed >= 2); /* RFC 7520 figure 27 (ES512), twice */
	T_EQ_INT(wrong, 0);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	snprintf(dir, sizeof(dir), "%s/wycheproof/testvectors_v1", t_corpora() ? t_corpora() : ".");
	T_RUN(test_ecdsa_p1363);
	T_RUN(test_ecdsa_der);
	T_RUN(test_rsa_pss);
	T_RUN(test_json_web_signature);
	fwt_ctx_free(ctx);
	return t_done();
}
