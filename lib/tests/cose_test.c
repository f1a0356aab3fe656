/* SPDX-License-Identifier: Apache-2.0 */
/* cose_test.c - COSE_Sign1/COSE_Sign: the cose-wg conformance examples
 * (../shared/corpora/cose, results from its EXPECTED.json), the published
 * OCP SFR COSE_Sign reports, RELIABILITY.md C5-C10 with correctly signed
 * crafted messages, and creation with every kind of key. */
#include <dirent.h>
#include <stdint.h>
#include <unistd.h>
#include <jansson.h>
#include <fwtrail/cose.h>
#include <fwtrail/hex.h>
#include <fwtrail/io.h>
#include "../cbor_internal.h"
#include "t.h"

#define N_(a) (sizeof(a) / sizeof((a)[0]))
#define KEYS "testdata/rim/keys/"

static fwt_ctx *ctx;

/* ---- helpers ---- */

static unsigned char *unhex(const char *h, size_t *n)
{
	size_t len = strlen(h);
	unsigned char *b = malloc(len / 2 + 1);

	if (!b || fwt_hex_decode(b, len / 2 + 1, h, len, n) != FWT_OK) {
		free(b);
		return NULL;
	}
	return b;
}

static char *b64u_of_hex(const char *h)
{
	size_t n;
	unsigned char *b = unhex(h, &n);
	char *s = b ? malloc(fwt_b64url_encoded_len(n) + 1) : NULL;

	if (s)
		fwt_b64url_encode(s, b, n);
	free(b);
	return s;
}

/* The public key of a cose-wg example key object (EC JWK, or RSA as hex). */
static fwt_pubkey *example_key(json_t *k)
{
	json_t *pub = json_object();
	fwt_pubkey *pk = NULL;
	char *s;

	json_object_set(pub, "kty", json_object_get(k, "kty"));
	if (json_object_get(k, "n_hex")) {
		char *n = b64u_of_hex(json_string_value(json_object_get(k, "n_hex")));
		char *e = b64u_of_hex(json_string_value(json_object_get(k, "e_hex")));
		json_object_set_new(pub, "n", json_string(n));
		json_object_set_new(pub, "e", json_string(e));
		free(n);
		free(e);
	} else {
		json_object_set(pub, "crv", json_object_get(k, "crv"));
		json_object_set(pub, "x", json_object_get(k, "x"));
		json_object_set(pub, "y", json_object_get(k, "y"));
	}
	s = json_dumps(pub, JSON_COMPACT);
	if (fwt_pubkey_from_jwk(ctx, &pk, s, strlen(s), "example") != FWT_OK)
		pk = NULL;
	free(s);
	json_decref(pub);
	return pk;
}

static fwt_key *open_key(const char *name)
{
	char path[256];
	fwt_key *k = NULL;

	snprintf(path, sizeof(path), KEYS "%s.pem", name);
	return fwt_key_open(ctx, &k, path, NULL) == FWT_OK ? k : NULL;
}

/* A COSE_Sign1 from raw pieces, signed correctly over exactly those bytes:
 * tag (0: none), protected bstr content, unprotected map encoding, payload
 * (NULL: nil), and the signature (or, with fake, that many bytes of 0x01). */
static unsigned char *craft(uint64_t tag, const char *prot_hex, const char *unprot_hex, const char *payload,
                            fwt_key *key, size_t *n)
{
	struct fwt__enc tbs = { NULL, 0, 0, 0 }, m = { NULL, 0, 0, 0 };
	size_t pl, ul;
	unsigned char *prot = unhex(prot_hex, &pl), *unprot = unhex(unprot_hex, &ul), sig[FWT_SIG_MAX];
	size_t siglen = 0;

	fwt__enc_head(&tbs, 4, 4);
	fwt__enc_text(&tbs, "Signature1", 10);
	fwt__enc_bytes(&tbs, prot, pl);
	fwt__enc_bytes(&tbs, NULL, 0);
	fwt__enc_bytes(&tbs, payload ? payload : "", payload ? strlen(payload) : 0);
	if (fwt_key_sign(key, tbs.p, tbs.len, sig, &siglen) != FWT_OK)
		siglen = 0;
	if (tag)
		fwt__enc_head(&m, 6, tag);
	fwt__enc_head(&m, 4, 4);
	fwt__enc_bytes(&m, prot, pl);
	fwt__enc_raw(&m, unprot, ul);
	if (payload)
		fwt__enc_bytes(&m, payload, strlen(payload));
	else
		fwt__enc_head(&m, 7, 22);
	fwt__enc_bytes(&m, sig, siglen);
	free(prot);
	free(unprot);
	fwt__enc_free(&tbs);
	*n = m.len;
	return m.p;
}

static fwt_err parse_verify(const unsigned char *b, size_t n, const fwt_pubkey *k, const fwt_cose_options *o,
                            fwt_cose_result *r)
{
	fwt_cose *m = NULL;
	fwt_err err = fwt_cose_parse(ctx, &m, b, n, o);

	if (!err)
		err = fwt_cose_verify(ctx, m, k, o, r);
	fwt_cose_free(m);
	return err;
}

/* ---- the cose-wg examples ---- */

static void test_cose_wg_examples(void)
{
	const char *corp = t_corpora();
	char path[512];
	json_t *exp, *v;
	const char *name;
	size_t checked = 0;

	if (!corp)
		T_SKIP("corpora not found at ../shared/corpora");
	snprintf(path, sizeof(path), "%s/cose/EXPECTED.json", corp);
	exp = json_load_file(path, 0, NULL);
	T_ASSERT(exp != NULL);
	json_object_foreach(exp, name, v) {
		json_t *doc, *in, *sign, *key, *tbsj;
		fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
		fwt_cose_result r;
		fwt_pubkey *pk;
		fwt_cose *m = NULL;
		unsigned char *cbor, *aad = NULL;
		size_t n, aadlen = 0;
		int is_sign1 = !strcmp(json_string_value(json_object_get(v, "kind")), "COSE_Sign1");
		int want = !json_is_true(json_object_get(v, "upstream_fail_flag"));
		int mixed = strstr(name, "ecdsa-04") || strstr(name, "ecdsa-sig-04"); /* ES512 with P-256 */
		fwt_err err;

		snprintf(path, sizeof(path), "%s/cose/%s", corp, name);
		doc = json_load_file(path, 0, NULL);
		T_ASSERT(doc != NULL);
		in = json_object_get(doc, "input");
		sign = json_object_get(in, is_sign1 ? "sign0" : "sign");
		key = is_sign1 ? json_object_get(sign, "key")
		               : json_object_get(json_array_get(json_object_get(sign, "signers"), 0), "key");
		pk = example_key(key);
		T_ASSERT(pk != NULL);
		cbor = unhex(json_string_value(json_object_get(json_object_get(doc, "output"), "cbor")), &n);
		T_ASSERT(cbor != NULL);
		if (json_object_get(sign, "external")) {
			aad = unhex(json_string_value(json_object_get(sign, "external")), &aadlen);
			o.external_aad = aad;
			o.external_aad_len = aadlen;
		}
		if (is_sign1 && json_array_size(json_object_get(v, "tags")) == 0)
			o.flags |= FWT_COSE_UNTAGGED_SIGN1; /* sign-pass-03: the context says Sign1 */
		if (mixed)
			o.flags |= FWT_COSE_ECDSA_ANY_CURVE;
		if (strstr(name, "rsa-pss")) /* PS256/384/512 all by one RSA-2048 key */
			o.flags |= FWT_COSE_RSA_ANY_SIZE;
		if (strstr(name, "sign-pass-01")) /* alg sits in the unprotected bucket */
			o.flags |= FWT_COSE_ALG_UNPROTECTED;
		err = fwt_cose_parse(ctx, &m, cbor, n, &o);
		if (!err)
			err = fwt_cose_verify(ctx, m, pk, &o, &r);
		if ((err == FWT_OK) != want)
			T_FAIL_("%s: got %s (%s), expected %s", name, fwt_err_name(err), fwt_ctx_errmsg(ctx),
			        want ? "pass" : "fail");
		/* the Sig_structure as received against upstream's ToBeSign */
		tbsj = is_sign1 ? json_object_get(json_object_get(doc, "intermediates"), "ToBeSign_hex")
		                : json_object_get(json_array_get(json_object_get(json_object_get(doc, "intermediates"),
		                                                                 "signers"), 0), "ToBeSign_hex");
		if (m && tbsj && json_is_boolean(json_object_get(v, "wire_Sig_structure_equals_ToBeSign_hex"))) {
			unsigned char *tbs = NULL, *up;
			size_t tl = 0, ul;
			T_EQ_INT(fwt_cose_sig_structure(ctx, m, 0, &o, &tbs, &tl), FWT_OK);
			up = unhex(json_string_value(tbsj), &ul);
			T_EQ_INT(tl == ul && !memcmp(tbs, up, ul),
			         json_is_true(json_object_get(v, "wire_Sig_structure_equals_ToBeSign_hex")));
			free(tbs);
			free(up);
		}
		/* the subtle ones */
		if (strstr(name, "sign-pass-01")) {
			T_EQ_INT(r.empty_protected_as_zero_length, 1);
			o.flags &= ~FWT_COSE_ALG_UNPROTECTED; /* fwtrail's default: alg only protected */
			T_EQ_INT(parse_verify(cbor, n, pk, &o, &r), FWT_EFORMAT);
		} else if (strstr(name, "sign-pass-02")) {
			o.external_aad = NULL;
			T_EQ_INT(fwt_cose_verify(ctx, m, pk, &o, &r), FWT_EVERIFY);
		} else if (strstr(name, "sign-pass-03")) {
			o.flags &= ~FWT_COSE_UNTAGGED_SIGN1;
			T_EQ_INT(parse_verify(cbor, n, pk, &o, &r), FWT_EFORMAT);
		} else if (mixed) { /* fwtrail binds ES512 to P-521 unless told otherwise */
			o.flags &= ~FWT_COSE_ECDSA_ANY_CURVE;
			T_EQ_INT(fwt_cose_verify(ctx, m, pk, &o, &r), FWT_EVERIFY);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not fit key") != NULL);
		} else if (strstr(name, "sign-fail-01")) {
			T_EQ_INT(err, FWT_EFORMAT);
		} else if (strstr(name, "sign-fail-03") || strstr(name, "sign-fail-04")) {
			T_EQ_INT(err, FWT_EUNSUPPORTED);
		} else if (strstr(name, "sign-fail")) {
			T_EQ_INT(err, FWT_EVERIFY);
		}
		if (want)
			T_EQ_INT(r.alg_inferred, 0);
		checked++;
		fwt_cose_free(m);
		fwt_pubkey_free(pk);
		free(cbor);
		free(aad);
		json_decref(doc);
	}
	json_decref(exp);
	T_EQ_INT(checked, 20);
}

/* ---- the published OCP SAFE reports: COSE_Sign, no alg anywhere ---- */

static void test_ocp_sfr_cose_sign(void)
{
	const char *corp = t_corpora();
	char path[512], dir[512];
	fwt_pubkey *k = NULL, *other = NULL;
	DIR *d;
	struct dirent *de;
	size_t seen = 0;

	if (!corp)
		T_SKIP("corpora not found at ../shared/corpora");
	snprintf(path, sizeof(path), "%s/corim/ocp-safe/microsoft/tetrel-ocp-sfr-signing-key.pub", corp);
	T_EQ_INT(fwt_pubkey_load(ctx, &k, path), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &other, KEYS "ec-p521.pub"), FWT_OK);
	snprintf(dir, sizeof(dir), "%s/corim/ocp-safe/microsoft", corp);
	d = opendir(dir);
	T_ASSERT(d != NULL);
	while ((de = readdir(d)) != NULL) {
		fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
		fwt_cose_result r;
		fwt_cose *m = NULL;
		unsigned char *b;
		const unsigned char *p, *kid;
		size_t n, pl, kl;
		int64_t id;

		size_t nl = strlen(de->d_name);
		if (nl < 12 || strcmp(de->d_name + nl - 12, "_signed.cbor"))
			continue;
		seen++;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		T_EQ_INT(fwt_read_file(ctx, path, 1 << 20, &b, &n), FWT_OK);
		T_EQ_INT(fwt_cose_parse(ctx, &m, b, n, &o), FWT_OK);
		T_EQ_INT(fwt_cose_get_kind(m), FWT_COSE_SIGN);
		T_EQ_INT(fwt_cose_signer_count(m), 1);
		T_EQ_INT(fwt_cose_alg_id(m, 0, &id), 0);
		kid = fwt_cose_kid(m, 0, &kl);
		T_ASSERT(kid && kl == 26 && !memcmp(kid, "tetrel-ocp-sfr-signing-key", 26));
		p = fwt_cose_payload(m, &pl);
		T_ASSERT(p && pl > 3 && p[0] == 0xd9 && p[1] == 0x01 && p[2] == 0xf5); /* 501(...) */
		/* lenient: ES512 inferred from the P-521 key, and said so */
		memset(&r, 0, sizeof(r));
		T_EQ_INT(fwt_cose_verify(ctx, m, k, &o, &r), FWT_OK);
		T_EQ_INT(r.alg_inferred, 1);
		T_EQ_INT(r.alg, FWT_SIG_ES512);
		T_ASSERT(r.key == k);
		/* another P-521 key: no */
		T_EQ_INT(fwt_cose_verify(ctx, m, other, &o, &r), FWT_EVERIFY);
		/* strict: no alg, no verdict of yes */
		o.flags = FWT_COSE_STRICT;
		T_EQ_INT(fwt_cose_verify(ctx, m, k, &o, &r), FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no alg") != NULL);
		fwt_cose_free(m);
		free(b);
	}
	closedir(d);
	T_ASSERT(seen >= 1);
	fwt_pubkey_free(k);
	fwt_pubkey_free(other);
}

/* ---- creation ---- */

static void test_create_verify(void)
{
	static const char *const names[] = { "ec-p256", "ec-p384", "ec-p521", "rsa-3072" };
	static const fwt_sig_alg algs[] = { FWT_SIG_ES256, FWT_SIG_ES384, FWT_SIG_ES512, FWT_SIG_PS384 };
	static const unsigned char meta[] = { 0x41, 0x00 }; /* h'00' */
	fwt_cose_param extra = { 8, meta, sizeof(meta) };
	size_t i;

	for (i = 0; i < N_(names); i++) {
		fwt_cose_sign1_options so = FWT_COSE_SIGN1_OPTIONS_INIT;
		fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
		fwt_cose_result r;
		fwt_key *k = open_key(names[i]);
		const fwt_pubkey *pub;
		unsigned char *out = NULL;
		size_t n = 0, pl;
		fwt_cose *m = NULL;
		const char *ct;
		size_t ctl;
		uint64_t num;
		int64_t id;

		T_ASSERT(k != NULL);
		pub = fwt_key_pubkey(k);
		so.content_type = "application/rim+cbor";
		so.kid = (const unsigned char *)"k1";
		so.kid_len = 2;
		so.params = &extra;
		so.n_params = 1;
		T_EQ_INT(fwt_cose_sign1_create(ctx, k, "payload", 7, &so, &out, &n), FWT_OK);
		/* deterministic headers: 18([<<{1: alg, 3: ct, 4: kid, 8: h'00'}>>, {}, ...]) */
		T_ASSERT(out[0] == 0xd2 && out[1] == 0x84);
		o.flags = FWT_COSE_STRICT;
		T_EQ_INT(fwt_cose_parse(ctx, &m, out, n, &o), FWT_OK);
		T_EQ_INT(fwt_cose_verify(ctx, m, pub, &o, &r), FWT_OK);
		T_EQ_INT(r.alg, algs[i]);
		T_EQ_INT(fwt_cose_alg_id(m, 0, &id), 1);
		T_EQ_INT(id, fwt_sig_alg_cose_id(algs[i]));
		T_EQ_INT(fwt_cose_content_type(m, &ct, &ctl, &num), 1);
		T_ASSERT(ctl == 20 && !memcmp(ct, "application/rim+cbor", 20));
		T_ASSERT(fwt_cose_payload(m, &pl) && pl == 7);
		fwt_cose_free(m);
		m = NULL;
		/* every single-byte change is refused, never accepted */
		for (size_t j = 0; j < n; j++) {
			out[j] ^= 0x01;
			if (parse_verify(out, n, pub, &o, &r) == FWT_OK)
				T_FAIL_("%s: byte %zu flipped still verifies", names[i], j);
			out[j] ^= 0x01;
		}
		free(out);
		/* detached, untagged, with external AAD */
		so.detached = 1;
		so.untagged = 1;
		so.external_aad = (const unsigned char *)"aad";
		so.external_aad_len = 3;
		T_EQ_INT(fwt_cose_sign1_create(ctx, k, "payload", 7, &so, &out, &n), FWT_OK);
		o.flags = FWT_COSE_UNTAGGED_SIGN1;
		T_EQ_INT(fwt_cose_parse(ctx, &m, out, n, &o), FWT_OK);
		T_ASSERT(fwt_cose_payload(m, &pl) == NULL);
		T_EQ_INT(fwt_cose_verify(ctx, m, pub, &o, &r), FWT_EFORMAT); /* no payload given */
		o.payload = (const unsigned char *)"payload";
		o.payload_len = 7;
		T_EQ_INT(fwt_cose_verify(ctx, m, pub, &o, &r), FWT_EVERIFY); /* no AAD */
		o.external_aad = (const unsigned char *)"aad";
		o.external_aad_len = 3;
		T_EQ_INT(fwt_cose_verify(ctx, m, pub, &o, &r), FWT_OK);
		o.payload = (const unsigned char *)"payloaD";
		T_EQ_INT(fwt_cose_verify(ctx, m, pub, &o, &r), FWT_EVERIFY);
		fwt_cose_free(m);
		free(out);
		fwt_key_free(k);
	}
}

static void test_create_refusals(void)
{
	fwt_cose_sign1_options so = FWT_COSE_SIGN1_OPTIONS_INIT;
	fwt_key *k = open_key("ec-p256"), *rsa2048 = open_key("rsa-2048");
	static const unsigned char v[] = { 0x01 }, bad[] = { 0x18, 0x01 }, two[] = { 0x01, 0x02 };
	fwt_cose_param p = { 3, v, 1 };
	unsigned char *out = NULL;
	size_t n;

	T_ASSERT(k && rsa2048);
	T_EQ_INT(fwt_cose_sign1_create(ctx, rsa2048, "x", 1, NULL, &out, &n), FWT_EUNSUPPORTED);
	so.params = &p;
	so.n_params = 1;
	T_EQ_INT(fwt_cose_sign1_create(ctx, k, "x", 1, &so, &out, &n), FWT_EINVAL); /* label 3 is ours */
	p.label = 9;
	p.value = bad; /* not deterministic */
	p.len = 2;
	T_EQ_INT(fwt_cose_sign1_create(ctx, k, "x", 1, &so, &out, &n), FWT_EFORMAT);
	p.value = two; /* two items */
	T_EQ_INT(fwt_cose_sign1_create(ctx, k, "x", 1, &so, &out, &n), FWT_EFORMAT);
	T_ASSERT(out == NULL);
	fwt_key_free(k);
	fwt_key_free(rsa2048);
}

/* ---- crafted messages, each correctly signed: only the rule is broken ---- */

struct crafted {
	const char *name;
	uint64_t tag;
	const char *prot, *unprot;
	fwt_err want;        /* default options */
	fwt_err want_strict; /* FWT_COSE_STRICT */
};

static void test_header_rules(void)
{
	static const struct crafted c[] = {
		{ "plain ES256", 18, "a10126", "a0", FWT_OK, FWT_OK },
		{ "kid in unprotected", 18, "a10126", "a104426b31", FWT_OK, FWT_OK },
		/* C5 */
		{ "duplicate alg", 18, "a2012601" "26", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "duplicate alg, other values", 18, "a20126013822", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "duplicate kid in unprotected", 18, "a10126", "a204426b3104426b32", FWT_EFORMAT, FWT_EFORMAT },
		{ "kid in both buckets", 18, "a2012604426b31", "a104426b32", FWT_EFORMAT, FWT_EFORMAT },
		{ "alg in both buckets", 18, "a10126", "a10126", FWT_EFORMAT, FWT_EFORMAT },
		{ "duplicate, non-minimal key", 18, "a201261801" "26", "a0", FWT_EFORMAT, FWT_EFORMAT },
		/* C6: verify over the bytes received */
		{ "alg -7 in a non-minimal head", 18, "a1013806", "a0", FWT_OK, FWT_EFORMAT },
		{ "empty map protected, alg absent", 18, "a0", "a0", FWT_OK, FWT_EVERIFY },
		{ "zero-length protected, alg absent", 18, "", "a0", FWT_OK, FWT_EVERIFY },
		{ "indefinite protected map", 18, "bf0126ff", "a0", FWT_EFORMAT, FWT_EFORMAT },
		/* C7 */
		{ "protected holds an array", 18, "820126", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "protected map then trailing bytes", 18, "a1012600", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "alg only unprotected", 18, "", "a10126", FWT_EFORMAT, FWT_EFORMAT },
		{ "crit unprotected", 18, "a10126", "a1028101", FWT_EFORMAT, FWT_EFORMAT },
		{ "crit empty", 18, "a201260280", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "crit names a missing label", 18, "a20126028103", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "crit holds a non-label", 18, "a2012602814100", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "crit names an unknown label", 18, "a30126028118631863f5", "a0", FWT_EUNSUPPORTED, FWT_EUNSUPPORTED },
		{ "crit names alg", 18, "a20126028101", "a0", FWT_OK, FWT_OK },
		{ "kid as text", 18, "a10126", "a104626b31", FWT_EFORMAT, FWT_EFORMAT },
		{ "content type as bytes", 18, "a20126034100", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "label as bytes", 18, "a201264100f5", "a0", FWT_EFORMAT, FWT_EFORMAT },
		/* a label is any CBOR int, 64 bits of either sign (review 18) */
		{ "label 2^64-1", 18, "a201261bfffffffffffffffff5", "a0", FWT_OK, FWT_OK },
		{ "label -2^64", 18, "a201263bfffffffffffffffff5", "a0", FWT_OK, FWT_OK },
		{ "label 2^64-1 in both buckets", 18, "a201261bfffffffffffffffff5", "a11bfffffffffffffffff5",
		  FWT_EFORMAT, FWT_EFORMAT },
		{ "labels 2^64-1 and -2^64 differ", 18, "a201261bfffffffffffffffff5", "a13bfffffffffffffffff5", FWT_OK,
		  FWT_OK },
		{ "crit names label 2^64-1", 18, "a3012602811bffffffffffffffff1bfffffffffffffffff5", "a0",
		  FWT_EUNSUPPORTED, FWT_EUNSUPPORTED },
		{ "alg as text", 18, "a101654553323536", "a0", FWT_EUNSUPPORTED, FWT_EUNSUPPORTED },
		{ "alg as bytes", 18, "a1014126", "a0", FWT_EFORMAT, FWT_EFORMAT },
		/* C8 */
		{ "COSE_Mac0 tag", 17, "a10126", "a0", FWT_EUNSUPPORTED, FWT_EUNSUPPORTED },
		{ "COSE_Encrypt0 tag", 16, "a10126", "a0", FWT_EUNSUPPORTED, FWT_EUNSUPPORTED },
		{ "COSE_Sign tag on a Sign1", 98, "a10126", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "untagged", 0, "a10126", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "self-describe tag", 55799, "a10126", "a0", FWT_EFORMAT, FWT_EFORMAT },
		{ "unprotected not a map", 18, "a10126", "80", FWT_EFORMAT, FWT_EFORMAT },
	};
	fwt_key *k = open_key("ec-p256");
	const fwt_pubkey *pub = fwt_key_pubkey(k);
	size_t i, n;

	T_ASSERT(k != NULL);
	for (i = 0; i < N_(c); i++) {
		fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
		fwt_cose_result r;
		unsigned char *b = craft(c[i].tag, c[i].prot, c[i].unprot, "payload", k, &n);
		fwt_err err;
		T_ASSERT(b != NULL);
		err = parse_verify(b, n, pub, &o, &r);
		if (err != c[i].want)
			T_FAIL_("%s: %s (%s), expected %s", c[i].name, fwt_err_name(err), fwt_ctx_errmsg(ctx),
			        fwt_err_name(c[i].want));
		o.flags = FWT_COSE_STRICT;
		err = parse_verify(b, n, pub, &o, &r);
		if (err != c[i].want_strict)
			T_FAIL_("%s (strict): %s (%s), expected %s", c[i].name, fwt_err_name(err), fwt_ctx_errmsg(ctx),
			        fwt_err_name(c[i].want_strict));
		free(b);
	}
	fwt_key_free(k);
}

static void test_crit_known(void)
{
	fwt_key *k = open_key("ec-p256");
	static const int64_t known[] = { 99 };
	fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
	fwt_cose_result r;
	size_t n;
	unsigned char *b = craft(18, "a30126028118631863f5", "a0", "payload", k, &n);

	T_EQ_INT(parse_verify(b, n, fwt_key_pubkey(k), &o, &r), FWT_EUNSUPPORTED);
	o.crit_known = known;
	o.n_crit_known = 1;
	T_EQ_INT(parse_verify(b, n, fwt_key_pubkey(k), &o, &r), FWT_OK);
	free(b);
	fwt_key_free(k);
}

/* C9 and C8: the message's own framing. */
static void test_framing(void)
{
	fwt_key *k = open_key("ec-p256");
	const fwt_pubkey *pub = fwt_key_pubkey(k);
	fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
	fwt_cose_result r;
	size_t n;
	unsigned char *b = craft(18, "a10126", "a0", "payload", k, &n), *two = malloc(2 * n + 1);
	struct fwt__enc e = { NULL, 0, 0, 0 };

	T_ASSERT(b && two);
	T_EQ_INT(parse_verify(b, n, pub, &o, &r), FWT_OK);
	memcpy(two, b, n);
	memcpy(two + n, b, n);
	T_EQ_INT(parse_verify(two, 2 * n, pub, &o, &r), FWT_EFORMAT); /* two messages */
	two[n] = 0;
	T_EQ_INT(parse_verify(two, n + 1, pub, &o, &r), FWT_EFORMAT); /* one NUL after */
	T_EQ_INT(parse_verify(b, n - 1, pub, &o, &r), FWT_EFORMAT);   /* truncated */
	/* 18(18([...])) */
	fwt__enc_head(&e, 6, 18);
	fwt__enc_raw(&e, b, n);
	T_EQ_INT(parse_verify(e.p, e.len, pub, &o, &r), FWT_EFORMAT);
	/* 18({...}) */
	e.len = 0;
	fwt__enc_raw(&e, "\xd2\xa1\x01\x26", 4);
	T_EQ_INT(parse_verify(e.p, e.len, pub, &o, &r), FWT_EFORMAT);
	/* 18([...]) with 3 items */
	e.len = 0;
	fwt__enc_raw(&e, "\xd2\x83\x40\xa0\x40", 5);
	T_EQ_INT(parse_verify(e.p, e.len, pub, &o, &r), FWT_EFORMAT);
	/* indefinite outer array */
	e.len = 0;
	fwt__enc_raw(&e, "\xd2\x9f", 2);
	fwt__enc_raw(&e, b + 2, n - 2);
	fwt__enc_raw(&e, "\xff", 1);
	T_EQ_INT(parse_verify(e.p, e.len, pub, &o, &r), FWT_EFORMAT);
	fwt__enc_free(&e);
	free(two);
	free(b);
	fwt_key_free(k);
}

/* C10: signature bytes and the alg/key binding. */
static void test_signature_rules(void)
{
	fwt_key *k256 = open_key("ec-p256"), *k384 = open_key("ec-p384"), *k521 = open_key("ec-p521");
	fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
	fwt_cose_result r;
	fwt_cose *m = NULL;
	unsigned char *b, *der = NULL;
	size_t n, derlen;

	T_ASSERT(k256 && k384 && k521);
	/* ES384 declared, signed with the P-384 key: the P-521 key does not fit */
	b = craft(18, "a1013822", "a0", "payload", k384, &n);
	T_EQ_INT(parse_verify(b, n, fwt_key_pubkey(k384), &o, &r), FWT_OK);
	T_EQ_INT(parse_verify(b, n, fwt_key_pubkey(k521), &o, &r), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not fit key") != NULL);
	o.algs = 1u << FWT_SIG_ES512; /* a caller that allows ES512 only */
	T_EQ_INT(parse_verify(b, n, fwt_key_pubkey(k384), &o, &r), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not allowed") != NULL);
	o.algs = 0;
	free(b);
	/* the raw signature as DER: refused */
	b = craft(18, "a10126", "a0", "payload", k256, &n);
	T_EQ_INT(fwt_ecdsa_raw_to_der(b + n - 64, 64, &der, &derlen), FWT_OK);
	{
		struct fwt__enc e = { NULL, 0, 0, 0 };
		fwt__enc_raw(&e, b, n - 66);
		fwt__enc_bytes(&e, der, derlen);
		T_EQ_INT(parse_verify(e.p, e.len, fwt_key_pubkey(k256), &o, &r), FWT_EVERIFY);
		/* 63 bytes */
		e.len = 0;
		fwt__enc_raw(&e, b, n - 66);
		fwt__enc_bytes(&e, b + n - 63, 63);
		T_EQ_INT(parse_verify(e.p, e.len, fwt_key_pubkey(k256), &o, &r), FWT_EVERIFY);
		/* r = 0 */
		e.len = 0;
		fwt__enc_raw(&e, b, n - 32);
		memset(e.p + n - 64, 0, 32);
		fwt__enc_raw(&e, b + n - 32, 32);
		T_EQ_INT(parse_verify(e.p, e.len, fwt_key_pubkey(k256), &o, &r), FWT_EVERIFY);
		fwt__enc_free(&e);
	}
	free(der);
	free(b);
	/* a trust store: the right key is found among others, and named */
	b = craft(18, "a10126", "a0", "payload", k256, &n);
	{
		fwt_trust *t = NULL;
		fwt_pubkey *p384 = NULL, *p256 = NULL;
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_pubkey_load(ctx, &p384, KEYS "ec-p384.pub"), FWT_OK);
		T_EQ_INT(fwt_pubkey_load(ctx, &p256, KEYS "ec-p256.pub"), FWT_OK);
		T_EQ_INT(fwt_trust_add_key(t, p384), FWT_OK);
		T_EQ_INT(fwt_cose_parse(ctx, &m, b, n, &o), FWT_OK);
		T_EQ_INT(fwt_cose_verify_trust(ctx, m, t, &o, &r), FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "algorithm ES256 does not fit key") != NULL);
		T_EQ_INT(fwt_trust_add_key(t, p256), FWT_OK);
		T_EQ_INT(fwt_cose_verify_trust(ctx, m, t, &o, &r), FWT_OK);
		T_EQ_STR(fwt_pubkey_name(r.key), KEYS "ec-p256.pub");
		fwt_cose_free(m);
		fwt_pubkey_free(p384);
		fwt_pubkey_free(p256);
		fwt_trust_free(t);
	}
	free(b);
	fwt_key_free(k256);
	fwt_key_free(k384);
	fwt_key_free(k521);
}

/* COSE_Sign with two signers: one good, one not. */
static void test_multi_signer(void)
{
	fwt_key *a = open_key("ec-p256"), *bk = open_key("ec-p384");
	struct fwt__enc tbs = { NULL, 0, 0, 0 }, m = { NULL, 0, 0, 0 };
	unsigned char sig[FWT_SIG_MAX], sig2[FWT_SIG_MAX];
	size_t siglen, siglen2;
	fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
	fwt_cose_result r;

	T_ASSERT(a && bk);
	/* ["Signature", h'', h'a10126', h'', 'payload'] */
	fwt__enc_raw(&tbs, "\x85\x69Signature\x40\x43\xa1\x01\x26\x40\x47payload", 25);
	T_EQ_INT(fwt_key_sign(a, tbs.p, tbs.len, sig, &siglen), FWT_OK);
	/* the second signer claims ES384 but signs something else */
	T_EQ_INT(fwt_key_sign(bk, "other", 5, sig2, &siglen2), FWT_OK);
	fwt__enc_raw(&m, "\xd8\x62\x84\x40\xa0\x47payload\x82", 14);
	fwt__enc_raw(&m, "\x83\x43\xa1\x01\x26\xa0", 6);
	fwt__enc_bytes(&m, sig, siglen);
	fwt__enc_raw(&m, "\x83\x44\xa1\x01\x38\x22\xa0", 7);
	fwt__enc_bytes(&m, sig2, siglen2);
	T_EQ_INT(parse_verify(m.p, m.len, fwt_key_pubkey(a), &o, &r), FWT_OK);
	T_EQ_INT(r.signer, 0);
	T_EQ_INT(r.verified, 1);
	T_EQ_INT(parse_verify(m.p, m.len, fwt_key_pubkey(bk), &o, &r), FWT_EVERIFY);
	o.flags = FWT_COSE_ALL_SIGNERS;
	T_EQ_INT(parse_verify(m.p, m.len, fwt_key_pubkey(a), &o, &r), FWT_EVERIFY);
	fwt__enc_free(&m);
	/* the same good signer n times: the first that verifies is enough
	 * (one verify), every one with FWT_COSE_ALL_SIGNERS; more than
	 * FWT_COSE_MAX_SIGNERS signers is malformed, as each could be tried
	 * with every trusted key */
	for (size_t n = FWT_COSE_MAX_SIGNERS; n <= FWT_COSE_MAX_SIGNERS + 1; n++) {
		unsigned char head = (unsigned char)(0x80 | n);
		struct fwt__enc mm = { NULL, 0, 0, 0 };
		fwt__enc_raw(&mm, "\xd8\x62\x84\x40\xa0\x47payload", 13);
		fwt__enc_raw(&mm, &head, 1);
		for (size_t i = 0; i < n; i++) {
			fwt__enc_raw(&mm, "\x83\x43\xa1\x01\x26\xa0", 6);
			fwt__enc_bytes(&mm, sig, siglen);
		}
		o.flags = 0;
		if (n > FWT_COSE_MAX_SIGNERS) {
			T_EQ_INT(parse_verify(mm.p, mm.len, fwt_key_pubkey(a), &o, &r), FWT_EFORMAT);
			T_EQ_STR(fwt_ctx_errmsg(ctx), "the COSE_Sign has 17 signers; at most 16 are read");
		} else {
			T_EQ_INT(parse_verify(mm.p, mm.len, fwt_key_pubkey(a), &o, &r), FWT_OK);
			T_EQ_INT(r.verified, 1);
			o.flags = FWT_COSE_ALL_SIGNERS;
			T_EQ_INT(parse_verify(mm.p, mm.len, fwt_key_pubkey(a), &o, &r), FWT_OK);
			T_EQ_INT(r.verified, n);
		}
		fwt__enc_free(&mm);
	}
	fwt__enc_free(&tbs);
	fwt_key_free(a);
	fwt_key_free(bk);
}

static void put_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	T_ASSERT(f != NULL);
	T_EQ_INT(fwrite(p, 1, n, f), n);
	T_EQ_INT(fclose(f), 0);
}

/* With a kids.json, a signer whose kid is unmapped (or absent) is never
 * checked against the other trusted keys, even when another signer of the
 * same COSE_Sign names a mapped kid: a decoy with a mapped kid must not
 * open the door for a key signing under a name nobody gave it. */
static void test_kids_bind_every_signer(void)
{
	fwt_key *a = open_key("ec-p256"), *bk = open_key("ec-p384");
	struct fwt__enc tbs = { NULL, 0, 0, 0 }, m = { NULL, 0, 0, 0 };
	unsigned char sig[FWT_SIG_MAX], *pem;
	size_t siglen, n;
	char dir[] = "/tmp/fwt-cose-kids-XXXXXX", path[512];
	fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
	fwt_cose_result r;
	fwt_trust *t = NULL;
	fwt_cose *cm = NULL;
	static const char *const files[] = { "ec-p256.pub", "ec-p384.pub" };
	size_t i;

	T_ASSERT(a && bk && mkdtemp(dir));
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), KEYS "%s", files[i]);
		pem = t_slurp(path, &n);
		T_ASSERT(pem != NULL);
		put_file(dir, files[i], pem, n);
		free(pem);
	}
	put_file(dir, "kids.json", "{\"mapped\": \"ec-p256.pub\"}", 25);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, dir), FWT_OK);
	T_ASSERT(fwt_trust_has_kids(t));
	/* ["Signature", h'', h'a10126' / h'a1013822', h'', 'payload'] */
	fwt__enc_raw(&tbs, "\x85\x69Signature\x40\x44\xa1\x01\x38\x22\x40\x47payload", 26);
	T_EQ_INT(fwt_key_sign(bk, tbs.p, tbs.len, sig, &siglen), FWT_OK);
	/* signer 1: kid "mapped", a signature that is not one; signer 2: kid
	 * "nobody", a good ES384 signature by the trusted, unmapped P-384 key */
	fwt__enc_raw(&m, "\xd8\x62\x84\x40\xa0\x47payload\x82", 14);
	fwt__enc_raw(&m, "\x83\x43\xa1\x01\x26\xa1\x04\x46mapped", 14);
	memset(sig + FWT_SIG_MAX / 2, 0x5a, 64);
	fwt__enc_bytes(&m, sig + FWT_SIG_MAX / 2, 64);
	T_EQ_INT(fwt_key_sign(bk, tbs.p, tbs.len, sig, &siglen), FWT_OK);
	fwt__enc_raw(&m, "\x83\x44\xa1\x01\x38\x22\xa1\x04\x46nobody", 15);
	fwt__enc_bytes(&m, sig, siglen);
	T_EQ_INT(fwt_cose_parse(ctx, &cm, m.p, m.len, &o), FWT_OK);
	T_EQ_INT(fwt_cose_verify_trust(ctx, cm, t, &o, &r), FWT_EVERIFY);
	/* the same signature verifies with that key given alone: only the
	 * binding refused it */
	T_EQ_INT(fwt_cose_verify(ctx, cm, fwt_key_pubkey(bk), &o, &r), FWT_OK);
	T_EQ_INT(r.signer, 1);
	fwt_cose_free(cm);
	/* a lone unmapped signer: refused, with the kid named */
	m.len = 0;
	fwt__enc_raw(&m, "\xd8\x62\x84\x40\xa0\x47payload\x81", 14);
	fwt__enc_raw(&m, "\x83\x44\xa1\x01\x38\x22\xa1\x04\x46nobody", 15);
	fwt__enc_bytes(&m, sig, siglen);
	T_EQ_INT(fwt_cose_parse(ctx, &cm, m.p, m.len, &o), FWT_OK);
	T_EQ_INT(fwt_cose_verify_trust(ctx, cm, t, &o, &r), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "kid 'nobody' is not mapped") != NULL);
	fwt_cose_free(cm);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/kids.json", dir);
	unlink(path);
	rmdir(dir);
	fwt_trust_free(t);
	fwt__enc_free(&tbs);
	fwt__enc_free(&m);
	fwt_key_free(a);
	fwt_key_free(bk);
}

static void test_json(void)
{
	fwt_key *k = open_key("ec-p256");
	size_t n;
	unsigned char *b = craft(18, "a20126034474657374", "a104426b31", "payload", k, &n);
	fwt_cose *m = NULL;
	json_t *j;
	char *s;

	/* content type as bytes is refused; as text it is shown */
	T_EQ_INT(fwt_cose_parse(ctx, &m, b, n, NULL), FWT_EFORMAT);
	free(b);
	b = craft(18, "a20126036474657374", "a104426b31", "payload", k, &n);
	T_EQ_INT(fwt_cose_parse(ctx, &m, b, n, NULL), FWT_OK);
	j = fwt_cose_to_json(m);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	T_EQ_STR(s, "{\"payload_size\":7,\"protected\":{\"alg\":-7,\"alg_name\":\"ES256\",\"content_type\":\"test\"},"
	            "\"signature_size\":64,\"tagged\":true,\"type\":\"COSE_Sign1\",\"unprotected\":{\"kid\":\"6b31\"}}");
	free(s);
	json_decref(j);
	fwt_cose_free(m);
	free(b);
	/* labels as they are: text "alg", "1" and "content_type" are not the
	 * integer labels 1 and 3, and get no alg_name; -1 and 8 in decimal.
	 * {1: -7, 8: h'00', -1: 0, "1": 0, "alg": -7} and
	 * {3: "test", "content_type": 1} */
	b = craft(18, "a5012608410020006131006361" "6c6726", "a203647465737" "46c636f6e74656e745f7479706501", "payload",
	          k, &n);
	m = NULL;
	T_EQ_INT(fwt_cose_parse(ctx, &m, b, n, NULL), FWT_OK);
	j = fwt_cose_to_json(m);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	T_EQ_STR(s, "{\"payload_size\":7,\"protected\":{\"\\\"1\\\"\":0,\"\\\"alg\\\"\":-7,\"-1\":0,\"8\":\"00\","
	            "\"alg\":-7,\"alg_name\":\"ES256\"},\"signature_size\":64,\"tagged\":true,\"type\":\"COSE_Sign1\","
	            "\"unprotected\":{\"\\\"content_type\\\"\":1,\"content_type\":\"test\"}}");
	free(s);
	json_decref(j);
	fwt_cose_free(m);
	free(b);
	/* only a text "alg": no alg, no alg_name */
	b = craft(18, "a163616c6726", "a0", "payload", k, &n);
	m = NULL;
	T_EQ_INT(fwt_cose_parse(ctx, &m, b, n, NULL), FWT_OK);
	j = fwt_cose_to_json(m);
	s = json_dumps(json_object_get(j, "protected"), JSON_SORT_KEYS | JSON_COMPACT);
	T_EQ_STR(s, "{\"\\\"alg\\\"\":-7}");
	free(s);
	json_decref(j);
	fwt_cose_free(m);
	free(b);
	fwt_key_free(k);
}

/* Detached signing as a stream (prefix || content hashed by the caller)
 * gives a message the whole-payload verifier accepts, and the streamed
 * verifier agrees with it on good and bad content. */
static void test_detached_stream(void)
{
	static const char *const keys[] = { "ec-p384", "ec-p521", "rsa-3072" };
	const char content[] = "firmware bytes, a few of them";
	fwt_cose_sign1_options so = FWT_COSE_SIGN1_OPTIONS_INIT;
	fwt_cose_options vo = FWT_COSE_OPTIONS_INIT;
	unsigned char *prefix, *msg, *vprefix, *buf, d[64];
	size_t plen, mlen, vplen, i;
	fwt_digest_alg md;
	fwt_cose *m;
	fwt_key *k;

	so.kid = (const unsigned char *)"k1";
	so.kid_len = 2;
	for (i = 0; i < 3; i++) {
		k = open_key(keys[i]);
		T_ASSERT(k != NULL);
		md = fwt_sig_alg_digest(fwt_key_alg(k));
		T_EQ_INT(fwt_cose_sign1_detached_prefix(ctx, k, &so, sizeof(content), &prefix, &plen), FWT_OK);
		buf = malloc(plen + sizeof(content));
		memcpy(buf, prefix, plen);
		memcpy(buf + plen, content, sizeof(content));
		T_EQ_INT(fwt_digest_oneshot(ctx, md, buf, plen + sizeof(content), d), FWT_OK);
		T_EQ_INT(fwt_cose_sign1_detached_finish(ctx, k, &so, d, fwt_digest_size(md), &msg, &mlen), FWT_OK);
		T_EQ_INT(fwt_cose_parse(ctx, &m, msg, mlen, NULL), FWT_OK);
		T_ASSERT(fwt_cose_payload(m, NULL) == NULL);
		/* the whole-payload verifier */
		vo.payload = (const unsigned char *)content;
		vo.payload_len = sizeof(content);
		T_EQ_INT(fwt_cose_verify(ctx, m, fwt_key_pubkey(k), &vo, NULL), FWT_OK);
		vo.payload_len--;
		T_EQ_INT(fwt_cose_verify(ctx, m, fwt_key_pubkey(k), &vo, NULL), FWT_EVERIFY);
		/* the streamed verifier: the same prefix, the same verdicts */
		T_EQ_INT(fwt_cose_detached_prefix(ctx, m, 0, NULL, sizeof(content), &vprefix, &vplen), FWT_OK);
		T_EQ_INT(vplen, plen);
		T_EQ_MEM(vprefix, prefix, plen);
		T_EQ_INT(fwt_cose_verify_digest(ctx, m, fwt_key_pubkey(k), NULL, d, fwt_digest_size(md), NULL), FWT_OK);
		d[3] ^= 1;
		T_EQ_INT(fwt_cose_verify_digest(ctx, m, fwt_key_pubkey(k), NULL, d, fwt_digest_size(md), NULL),
		         FWT_EVERIFY);
		T_EQ_INT(fwt_cose_verify_digest(ctx, m, fwt_key_pubkey(k), NULL, d, 20, NULL), FWT_EINVAL);
		fwt_cose_free(m);
		free(vprefix);
		free(prefix);
		free(msg);
		free(buf);
		fwt_key_free(k);
	}
	/* an attached message has no detached prefix */
	k = open_key("ec-p384");
	T_EQ_INT(fwt_cose_sign1_create(ctx, k, content, sizeof(content), NULL, &msg, &mlen), FWT_OK);
	T_EQ_INT(fwt_cose_parse(ctx, &m, msg, mlen, NULL), FWT_OK);
	T_EQ_INT(fwt_cose_detached_prefix(ctx, m, 0, NULL, 5, &vprefix, &vplen), FWT_EFORMAT);
	T_EQ_INT(fwt_cose_verify_digest(ctx, m, fwt_key_pubkey(k), NULL, d, 48, NULL), FWT_EFORMAT);
	fwt_cose_free(m);
	free(msg);
	fwt_key_free(k);
}

/* The WG's RSA-PSS examples sign PS256, PS384 and PS512 with one RSA-2048
 * key: by default the algorithm is bound to the key's size, so none fits;
 * FWT_COSE_RSA_ANY_SIZE lets each verify (test_cose_wg_examples). */
static void test_rsa_size_bound(void)
{
	const char *corp = t_corpora();
	static const char *const names[] = { "rsa-pss-01.json", "rsa-pss-02.json", "rsa-pss-03.json" };
	char path[512];
	size_t i;

	if (!corp)
		T_SKIP("corpora not found at ../shared/corpora");
	for (i = 0; i < 3; i++) {
		fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
		fwt_cose_result r;
		fwt_pubkey *pk;
		fwt_cose *m = NULL;
		json_t *doc, *sign;
		unsigned char *cbor;
		size_t n;
		fwt_err err;

		snprintf(path, sizeof(path), "%s/cose/rsa-pss-examples/%s", corp, names[i]);
		doc = json_load_file(path, 0, NULL);
		T_ASSERT(doc != NULL);
		sign = json_object_get(json_object_get(doc, "input"), "sign");
		pk = example_key(json_object_get(json_array_get(json_object_get(sign, "signers"), 0), "key"));
		T_ASSERT(pk != NULL);
		cbor = unhex(json_string_value(json_object_get(json_object_get(doc, "output"), "cbor")), &n);
		T_ASSERT(cbor != NULL);
		T_EQ_INT(fwt_cose_parse(ctx, &m, cbor, n, &o), FWT_OK);
		err = fwt_cose_verify(ctx, m, pk, &o, &r);
		T_EQ_INT(err, FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not fit key") != NULL);
		o.flags |= FWT_COSE_RSA_ANY_SIZE;
		T_EQ_INT(fwt_cose_verify(ctx, m, pk, &o, &r), FWT_OK);
		fwt_cose_free(m);
		fwt_pubkey_free(pk);
		free(cbor);
		json_decref(doc);
	}
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_cose_wg_examples);
	T_RUN(test_rsa_size_bound);
	T_RUN(test_ocp_sfr_cose_sign);
	T_RUN(test_create_verify);
	T_RUN(test_create_refusals);
	T_RUN(test_header_rules);
	T_RUN(test_crit_known);
	T_RUN(test_framing);
	T_RUN(test_signature_rules);
	T_RUN(test_multi_signer);
	T_RUN(test_kids_bind_every_signer);
	T_RUN(test_json);
	T_RUN(test_detached_stream);
	fwt_ctx_free(ctx);
	return t_done();
}
