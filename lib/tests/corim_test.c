/* SPDX-License-Identifier: Apache-2.0 */
/* corim_test.c - CoRIM/CoMID decoding of the public corpora (veraison,
 * OCP SAFE, HIRS), field checks, NUL in text refused, deterministic
 * creation, signing, and verification of signature and validity
 * (corim-meta, CWT claims, rim-validity). */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/cbor.h>
#include <fwtrail/corim.h>
#include <fwtrail/hex.h>
#include <fwtrail/io.h>
#include "../cbor_internal.h"
#include "t.h"

#define N_(a) (sizeof(a) / sizeof((a)[0]))
#define KEYS "testdata/rim/keys/"
#define VER "/corim/veraison-corim/"

static fwt_ctx *ctx;

static unsigned char *slurp(const char *path, size_t *n)
{
	unsigned char *b = NULL;

	return fwt_read_file(ctx, path, 1 << 24, &b, n) == FWT_OK ? b : NULL;
}

static fwt_corim *parse_file(const char *path, unsigned flags)
{
	fwt_corim_options o = FWT_CORIM_OPTIONS_INIT;
	fwt_corim *c = NULL;
	size_t n;
	unsigned char *b = slurp(path, &n);

	o.flags = flags;
	if (b && fwt_corim_parse(ctx, &c, b, n, &o) != FWT_OK)
		c = NULL;
	free(b);
	return c;
}

/* Every .cbor under dir (recursively): CoRIMs and CoMIDs decode, JSON and
 * text render; concise evidence (tag 571) is refused as not a RIM. */
static size_t walk_corpus(const char *dir, size_t *evidence)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;
	char path[1024];

	while (d && (de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR) {
			n += walk_corpus(path, evidence);
		} else if (l > 5 && !strcmp(de->d_name + l - 5, ".cbor")) {
			fwt_corim_options o = FWT_CORIM_OPTIONS_INIT;
			fwt_corim *c = NULL;
			size_t len;
			unsigned char *b = slurp(path, &len);
			fwt_err err = fwt_corim_parse(ctx, &c, b, len, &o);
			if (strstr(path, "/coev/")) {
				if (err != FWT_EUNSUPPORTED)
					fprintf(stderr, "  %s: %s\n", path, fwt_err_name(err)), (*evidence) += 1000;
				(*evidence)++;
			} else if (err) {
				fprintf(stderr, "  %s: %s\n", path, fwt_ctx_errmsg(ctx));
			} else {
				json_t *j = fwt_corim_to_json(c);
				char *text = NULL;
				if (j && fwt_corim_to_text(c, &text) == FWT_OK && text && *text &&
				    fwt_corim_comid_count(c) >= 1)
					n++;
				free(text);
				json_decref(j);
			}
			fwt_corim_free(c);
			free(b);
		}
	}
	if (d)
		closedir(d);
	return n;
}

static void test_veraison_all_decode(void)
{
	const char *corp = t_corpora();
	char dir[512];
	size_t ev = 0;

	if (!corp)
		T_SKIP("corpora not found at ../shared/corpora");
	snprintf(dir, sizeof(dir), "%s" VER, corp);
	/* 20 CoMIDs, 11 CoRIMs (3 signed), 3 TDX CoMIDs */
	T_EQ_INT(walk_corpus(dir, &ev), 34);
	T_EQ_INT(ev, 3);
}

static void test_veraison_fields(void)
{
	const char *corp = t_corpora();
	char path[512];
	const fwt_comid *cm;
	const fwt_corim_meta *meta;
	fwt_corim *c;

	if (!corp)
		T_SKIP("corpora not found at ../shared/corpora");
	snprintf(path, sizeof(path), "%s" VER "corim/testcases/signed-good-corim.cbor", corp);
	c = parse_file(path, 0);
	T_ASSERT(c != NULL);
	T_EQ_INT(fwt_corim_get_kind(c), FWT_CORIM_SIGNED);
	meta = fwt_corim_get_meta(c);
	T_ASSERT(meta != NULL);
	T_EQ_STR(meta->signer_name, "ACME Ltd signing key");
	T_EQ_STR(meta->signer_uri, "https://acme.example");
	T_EQ_INT(meta->validity.not_before, 1640908800);
	T_EQ_INT(meta->validity.not_after, 1767139200);
	T_EQ_STR(fwt_corim_get_id(c)->text, "test corim id");
	cm = fwt_corim_comid(c, 0);
	T_EQ_STR(cm->tag_id.text, "43bbe37f-2e61-4b33-aed3-53cff1428b16");
	T_EQ_STR(cm->language, "en-GB");
	T_EQ_INT(cm->n_triples, 1);
	T_EQ_INT(cm->triples[0].type, FWT_CORIM_TRIPLE_REFERENCE);
	T_EQ_STR(cm->triples[0].claims[0].env.vendor, "ACME");
	T_EQ_STR(cm->triples[0].claims[0].env.model, "RoadRunner");
	T_EQ_INT(cm->triples[0].claims[0].env.class_id.type, FWT_CORIM_ID_BYTES);
	T_EQ_INT(cm->triples[0].claims[0].n, 3);
	T_EQ_INT(cm->triples[0].claims[0].m[0].key.type, FWT_CORIM_ID_UUID);
	T_EQ_INT(cm->triples[0].claims[0].m[0].n_digests, 1);
	T_EQ_INT(cm->triples[0].claims[0].m[0].digests[0].alg, FWT_DIGEST_SHA256);
	T_EQ_STR(cm->triples[0].claims[0].m[0].digests[0].alg_name, "sha-256");
	T_EQ_INT(cm->n_entities, 1);
	T_EQ_STR(cm->entities[0].roles, "tag-creator, creator, maintainer");
	fwt_corim_free(c);

	/* measurement keys of every kind */
	snprintf(path, sizeof(path), "%s" VER "comid/testcases/comid-3.cbor", corp);
	c = parse_file(path, 0);
	T_ASSERT(c != NULL);
	T_EQ_INT(fwt_corim_get_kind(c), FWT_CORIM_COMID);
	cm = fwt_corim_comid(c, 0);
	T_EQ_INT(cm->triples[0].claims[0].n, 5);
	T_EQ_INT(cm->triples[0].claims[0].m[0].key.type, FWT_CORIM_ID_UINT);
	T_EQ_INT(cm->triples[0].claims[0].m[0].key.num, 700);
	T_EQ_INT(cm->triples[0].claims[0].m[1].key.type, FWT_CORIM_ID_TEXT);
	T_EQ_STR(cm->triples[0].claims[0].m[1].key.text, "my_element");
	T_EQ_INT(cm->triples[0].claims[0].m[2].key.type, FWT_CORIM_ID_OID);
	T_EQ_INT(cm->triples[0].claims[0].m[3].key.type, FWT_CORIM_ID_UUID);
	T_EQ_INT(cm->triples[0].claims[0].m[4].key.type, FWT_CORIM_ID_NONE);
	T_EQ_STR(cm->triples[0].claims[0].env.class_id.text, "2.5.2.8192");
	T_EQ_STR(cm->triples[0].claims[0].m[0].digests[0].alg_name, "sha-256-32");
	fwt_corim_free(c);

	/* conditional endorsement: two conditions, one endorsement, raw value + mask */
	snprintf(path, sizeof(path), "%s" VER "comid/testcases/comid-cend.cbor", corp);
	c = parse_file(path, 0);
	T_ASSERT(c != NULL);
	cm = fwt_corim_comid(c, 0);
	T_EQ_INT(cm->n_triples, 1);
	T_EQ_INT(cm->triples[0].type, FWT_CORIM_TRIPLE_CONDITIONAL);
	T_EQ_INT(cm->triples[0].n_conditions, 2);
	T_EQ_INT(cm->triples[0].n_claims, 1);
	T_EQ_STR(cm->triples[0].conditions[0].m[0].version, "1.0.0");
	T_EQ_STR(cm->triples[0].conditions[0].m[0].version_scheme, "semver");
	T_ASSERT(cm->triples[0].claims[0].m[0].raw_value && cm->triples[0].claims[0].m[0].raw_mask);
	T_EQ_INT(cm->triples[0].claims[0].m[0].mask_len, 8);
	fwt_corim_free(c);

	/* endorsed values: svn as 552(uint) */
	snprintf(path, sizeof(path), "%s" VER "comid/testcases/comid-2.cbor", corp);
	c = parse_file(path, 0);
	T_ASSERT(c != NULL);
	cm = fwt_corim_comid(c, 0);
	T_EQ_INT(cm->triples[0].type, FWT_CORIM_TRIPLE_ENDORSED);
	T_EQ_INT(cm->triples[0].claims[0].m[1].has_svn, 1);
	T_EQ_INT(cm->triples[0].claims[0].m[1].svn, 2);
	T_EQ_INT(cm->triples[0].claims[0].m[1].svn_min, 0);
	fwt_corim_free(c);

	/* flags */
	snprintf(path, sizeof(path), "%s" VER "comid/testcases/comid-flags.cbor", corp);
	c = parse_file(path, 0);
	T_ASSERT(c != NULL);
	cm = fwt_corim_comid(c, 0);
	T_EQ_INT(cm->triples[0].claims[0].m[0].flags_set, 0x3ff);
	T_EQ_INT(cm->triples[0].claims[0].m[0].flags_true, 0x3f7); /* is-debug false */
	fwt_corim_free(c);

	/* extensions are kept: corim-map -1, entity -1, measurement -1 */
	snprintf(path, sizeof(path), "%s" VER "corim/testcases/unsigned-corim-with-extensions.cbor", corp);
	c = parse_file(path, 0);
	T_ASSERT(c != NULL);
	T_EQ_STR(fwt_corim_other(c), "{-1: \"foo\"}");
	T_EQ_STR(fwt_corim_comid(c, 0)->triples[0].claims[0].m[0].other, "{-1: 1720782190}");
	{
		json_t *j = fwt_corim_to_json(c);
		json_t *e = json_object_get(json_object_get(json_array_get(json_object_get(json_array_get(
		                                json_object_get(j, "tags"), 0), "entities"), 0), "extensions"), "-1");
		T_EQ_STR(json_string_value(e), "123 Fake Street");
		json_decref(j);
	}
	fwt_corim_free(c);
}

static void test_veraison_verify(void)
{
	static const char *const signed_[] = { "signed-good-corim.cbor", "signed-example-corim.cbor",
		                                   "signed-corim-with-extensions.cbor" };
	const char *corp = t_corpora();
	char path[512];
	fwt_trust *t = NULL;
	fwt_pubkey *k = NULL;
	size_t i;

	if (!corp)
		T_SKIP("corpora not found at ../shared/corpora");
	snprintf(path, sizeof(path), "%s" VER "corim/testcases/src/ec-p256.jwk", corp);
	/* as published the JWK holds its private part ("d") and says "use":
	 * "enc": refused as a trusted key; its public part for signatures is
	 * what verifies */
	T_EQ_INT(fwt_pubkey_load(ctx, &k, path), FWT_EINVAL); /* the wrong key given */
	{
		json_t *jwk = json_load_file(path, 0, NULL);
		char *pub;
		T_ASSERT(jwk != NULL);
		json_object_del(jwk, "d");
		json_object_del(jwk, "use");
		pub = json_dumps(jwk, JSON_COMPACT);
		T_ASSERT(pub != NULL);
		T_EQ_INT(fwt_pubkey_from_jwk(ctx, &k, pub, strlen(pub), "ec-p256.jwk"), FWT_OK);
		free(pub);
		json_decref(jwk);
	}
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, k), FWT_OK);
	for (i = 0; i < N_(signed_); i++) {
		fwt_corim_verify_result r;
		fwt_corim *c;
		snprintf(path, sizeof(path), "%s" VER "corim/testcases/%s", corp, signed_[i]);
		c = parse_file(path, 0);
		T_ASSERT(c != NULL);
		T_EQ_INT(fwt_corim_verify(ctx, c, t, 1719792000 /* 2024-07-01 */, &r), FWT_OK);
		T_EQ_INT(r.signature_ok, 1);
		T_EQ_INT(r.cose.alg, FWT_SIG_ES256);
		T_EQ_INT(r.status, FWT_CORIM_TIME_VALID);
		T_EQ_INT(fwt_corim_verify(ctx, c, t, 1767139200, &r), FWT_OK); /* the last second */
		T_EQ_INT(fwt_corim_verify(ctx, c, t, 1767139201, &r), FWT_EVERIFY);
		T_EQ_INT(r.signature_ok, 1);
		T_EQ_INT(r.status, FWT_CORIM_TIME_EXPIRED);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired") != NULL);
		T_EQ_INT(fwt_corim_verify(ctx, c, t, 1640908799, &r), FWT_EVERIFY);
		T_EQ_INT(r.status, FWT_CORIM_TIME_NOT_YET_VALID);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not yet valid") != NULL);
		fwt_corim_free(c);
	}
	fwt_pubkey_free(k);
	fwt_trust_free(t);
}

static void test_ocp_sfr(void)
{
	const char *corp = t_corpora();
	char path[512], dir[512];
	DIR *d;
	struct dirent *de;
	size_t seen = 0;

	if (!corp)
		T_SKIP("corpora not found at ../shared/corpora");
	snprintf(dir, sizeof(dir), "%s/corim/ocp-safe/microsoft", corp);
	d = opendir(dir);
	T_ASSERT(d != NULL);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		const fwt_comid *cm;
		const fwt_corim_digest *dg;
		fwt_corim *c;
		json_t *sib;
		char hex[97];
		fwt_trust *t = NULL;
		fwt_corim_verify_result r;
		if (l < 12 || strcmp(de->d_name + l - 12, "_signed.cbor"))
			continue;
		seen++;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		c = parse_file(path, 0);
		T_ASSERT(c != NULL);
		T_EQ_INT(fwt_corim_get_kind(c), FWT_CORIM_COSE_SIGN);
		T_EQ_STR(fwt_corim_get_profile(c)->text, "1.3.6.1.4.1.47639.1.1 (DER)");
		cm = fwt_corim_comid(c, 0);
		T_EQ_INT(cm->triples[0].type, FWT_CORIM_TRIPLE_CONDITIONAL);
		dg = &cm->triples[0].conditions[0].m[0].digests[0];
		T_EQ_INT(dg->alg_id, -43);
		T_EQ_INT(dg->alg, FWT_DIGEST_SHA384);
		fwt_hex_encode(hex, dg->value, 48);
		/* the sibling JSON report carries the same firmware hash */
		memcpy(path + strlen(path) - 12, ".json", 6);
		sib = json_load_file(path, 0, NULL);
		T_ASSERT(sib != NULL);
		T_EQ_STR(hex, json_string_value(json_object_get(json_object_get(sib, "device"), "fw_hash_sha2_384")));
		json_decref(sib);
		T_ASSERT(strstr(cm->triples[0].claims[0].m[0].other, "{-1: {0: \"2.0\"") != NULL);
		/* not a signed CoRIM as the draft signs them */
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_corim_verify(ctx, c, t, 0, &r), FWT_EUNSUPPORTED);
		fwt_trust_free(t);
		fwt_corim_free(c);
	}
	closedir(d);
	T_ASSERT(seen >= 1);
}

/* HIRS's expected builder outputs as a deterministic-encoding cross-check. */
static void test_hirs(void)
{
	const char *corp = t_corpora();
	static const char *const files[] = { "corim_expected_with_comid.cbor", "corim_expected_without_comid.cbor" };
	char path[512];
	size_t i;

	if (!corp)
		T_SKIP("corpora not found at ../shared/corpora");
	snprintf(path, sizeof(path), "%s/corim/hirs", corp);
	{
		DIR *d = opendir(path);
		if (!d)
			T_SKIP("corpus corim/hirs not found at %s", path);
		closedir(d);
	}
	for (i = 0; i < N_(files); i++) {
		unsigned char *b, *canon = NULL;
		size_t n, cn = 0;
		fwt_corim_options o = FWT_CORIM_OPTIONS_INIT;
		fwt_corim *c = NULL;
		snprintf(path, sizeof(path), "%s/corim/hirs/%s", corp, files[i]);
		b = slurp(path, &n);
		T_ASSERT(b != NULL);
		o.flags = FWT_CORIM_LENIENT_CBOR;
		T_EQ_INT(fwt_corim_parse(ctx, &c, b, n, &o), FWT_OK);
		T_EQ_INT(fwt_cbor_canonical(ctx, b, n, NULL, &canon, &cn), FWT_OK);
		T_ASSERT(cn == n && !memcmp(canon, b, n));
		free(canon);
		free(b);
		fwt_corim_free(c);
	}
}

/* ---- malformed CoRIMs: the path of the bad field is named ---- */

/* hex decoded (at most 512 bytes), strictly or with flags */
static fwt_err parse_hex_flags(const char *hex, unsigned flags, fwt_corim **c)
{
	fwt_corim_options o = FWT_CORIM_OPTIONS_INIT;
	unsigned char b[512];
	size_t n;

	*c = NULL;
	o.flags = flags;
	if (fwt_hex_decode(b, sizeof(b), hex, strlen(hex), &n) != FWT_OK)
		return FWT_EINTERNAL;
	return fwt_corim_parse(ctx, c, b, n, &o);
}

static fwt_err parse_hex(const char *hex, fwt_corim **c)
{
	return parse_hex_flags(hex, 0, c);
}

static void test_malformed(void)
{
	static const struct { const char *hex, *msg; fwt_err want; } v[] = {
		/* {1: {0: "t"}, 4: {0: [[{0: {1: 7}}, [{1: {2: [[1, h'00']]}}]]]}}: vendor is an integer */
		{ "a201a10061740" "4a10081" "82a100a10107" "81a101a1028182014100",
		  "at /triples/reference-triples/0/environment/class/vendor: not text", FWT_EFORMAT },
		/* the same with a 1-byte sha-256 */
		{ "a201a10061740" "4a10081" "82a100a1016141" "81a101a1028182014100",
		  "a sha-256 digest is 1 bytes, not 32", FWT_EFORMAT },
		/* no triples */
		{ "a101a1006174", "at /triples: missing", FWT_EFORMAT },
		/* empty measurement list */
		{ "a201a10061740" "4a10081" "82a100a101614180", "needs at least one item", FWT_EFORMAT },
		/* 501 with no tags */
		{ "d901f5a1006161", "at /tags: missing", FWT_EFORMAT },
		/* 506 around an integer */
		{ "d901fa01", "a CoMID is 506(bytes .cbor concise-mid-tag)", FWT_EFORMAT },
		/* legacy 500, concise evidence, other tags, arrays */
		{ "d901f4a0", "legacy CoRIM tag 500", FWT_EUNSUPPORTED },
		{ "d9023ba0", "concise evidence", FWT_EUNSUPPORTED },
		{ "c1a0", "unexpected tag 1", FWT_EFORMAT },
		{ "8100", "not a CoRIM", FWT_EFORMAT },
		/* a 563([value, mask]) raw value and the deprecated mask (key 5): two masks */
		{ "a201a100617404a1008182a100a101614181a2000801a204d902338242000042ffff05420000",
		  "may not also have the deprecated raw-value-mask (key 5)", FWT_EFORMAT },
		/* validity claims outside the body's protected header: an unprotected
		 * CWT exp, a COSE_Sign signer's protected one */
		{ "d2845822a301382203746170706c69636174696f6e2f72696d2b63626f720846a100a1006173a10fa1041903e8585cd901f5a20061630181d901fa584ea201a100617404a1008182a100a101614181a2000101a1028182382a58301111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111115860000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
		  "the unprotected header carries CWT claims (15)", FWT_EFORMAT },
		{ "d862845822a301382203746170706c69636174696f6e2f72696d2b63626f720846a100a1006173a0585cd901f5a20061630181d901fa584ea201a100617404a1008182a100a101614181a2000101a1028182382a583011111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111181834aa20138220fa1041903e8a05860000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
		  "a COSE_Sign signer's protected header carries CWT claims (15)", FWT_EFORMAT },
	};
	size_t i;

	for (i = 0; i < N_(v); i++) {
		fwt_corim *c;
		fwt_err err = parse_hex(v[i].hex, &c);
		if (err != v[i].want || !strstr(fwt_ctx_errmsg(ctx), v[i].msg))
			T_FAIL_("%s: %s '%s'", v[i].hex, fwt_err_name(err), fwt_ctx_errmsg(ctx));
		fwt_corim_free(c);
	}
}

/* Unsigned integers above INT64_MAX reach the JSON as decimal strings
 * (here a tag version and a measurement key). */
static void test_json_big_uints(void)
{
	fwt_corim *c;
	json_t *j;
	char *text;

	T_EQ_INT(parse_hex("a201a2006174011bffffffffffffffff04a1008182a100a101614181a2001b800000000000000001a10101",
	                   &c), FWT_OK);
	j = fwt_corim_to_json(c);
	T_ASSERT(j);
	text = json_dumps(j, JSON_COMPACT);
	T_ASSERT(text && strstr(text, "\"tag_version\":\"18446744073709551615\"") != NULL);
	T_ASSERT(strstr(text, "\"value\":\"9223372036854775808\"") != NULL);
	T_ASSERT(strstr(text, "9223372036854775807") == NULL);
	free(text);
	json_decref(j);
	fwt_corim_free(c);
}

/* One measurement {0: 7, 1: mval} of vendor "A" in 501({0: "m", 1:
 * [506(<<CoMID>>)]}), made with Python's cbor2 (canonical). */
#define MV_HEAD "d901f5a200616d0181d901fa58"
/* 563([h'05' 00*7, h'ff']): a mask of 1 byte for an 8-byte value */
#define MV_MASK563 MV_HEAD "27a201a100617404a1008182a100a101614181a2000701a104d902338248050000000000000041ff"
/* 560(the same 8 bytes) and raw-value-mask (5) of 9 bytes */
#define MV_MASK5 MV_HEAD "2fa201a100617404a1008182a100a101614181a2000701a204d902304805000000000000000549ffffffffffffffffff"
/* the same with key "fw" and a mask of 1 byte */
#define MV_MASK5_TEXT MV_HEAD "29a201a100617404a1008182a100a101614181a20062667701a204d902304805000000000000000541ff"
/* 563 with a mask of 8 bytes: well formed */
#define MV_MASK_OK MV_HEAD "2ea201a100617404a1008182a100a101614181a2000701a104d902338248050000000000000048ffffffffffffffff"

/* A mask of another length than its value is malformed where it is read,
 * whatever reads it (verify, sign, show, attest check), at its path and
 * naming its measurement's key; one of the same length is read. */
static void test_mask_length(void)
{
	static const struct { const char *hex, *msg; } v[] = {
		{ MV_MASK563, "malformed CoRIM at /tags/0/triples/reference-triples/0/measurements/0/mval/raw-value: the "
		              "raw value of measurement 7 is 8 bytes but its mask 1: a mask is as long as its value" },
		{ MV_MASK5, "malformed CoRIM at /tags/0/triples/reference-triples/0/measurements/0/mval/raw-value-mask: "
		            "the raw value of measurement 7 is 8 bytes but its mask 9" },
		{ MV_MASK5_TEXT, "/mval/raw-value-mask: the raw value of measurement 'fw' is 8 bytes but its mask 1" },
	};
	fwt_corim *c;
	size_t i;
	unsigned lenient;

	for (i = 0; i < N_(v); i++)
		for (lenient = 0; lenient < 2; lenient++) {
			fwt_err err = parse_hex_flags(v[i].hex, lenient ? FWT_CORIM_LENIENT_CBOR : 0, &c);
			if (err != FWT_EFORMAT || !strstr(fwt_ctx_errmsg(ctx), v[i].msg))
				T_FAIL_("%zu/%u: %s '%s'", i, lenient, fwt_err_name(err), fwt_ctx_errmsg(ctx));
			fwt_corim_free(c);
		}
	T_EQ_INT(parse_hex(MV_MASK_OK, &c), FWT_OK);
	T_EQ_INT(fwt_corim_comid(c, 0)->triples[0].claims[0].m[0].mask_len, 8);
	fwt_corim_free(c);
}

/* An SVN above 2^63-1 (which attest check's record and rollback rule
 * cannot hold) is unsupported where it is read, shown or not, with its
 * path and key; 2^63-1 is read. */
static void test_svn_range(void)
{
	static const char *const big[] = {
		MV_HEAD "21a201a100617404a1008182a100a101614181a2000701a1011b8000000000000000",     /* 2^63 */
		MV_HEAD "24a201a100617404a1008182a100a101614181a2000701a101d902281bffffffffffffffff", /* 552(2^64-1) */
	};
	fwt_corim *c;
	size_t i;
	unsigned lenient;

	for (i = 0; i < N_(big); i++)
		for (lenient = 0; lenient < 2; lenient++) {
			fwt_err err = parse_hex_flags(big[i], lenient ? FWT_CORIM_LENIENT_CBOR : 0, &c);
			if (err != FWT_EUNSUPPORTED ||
			    !strstr(fwt_ctx_errmsg(ctx), "CoRIM at /tags/0/triples/reference-triples/0/measurements/0/mval/"
			                                 "svn: the SVN of measurement 7, ") ||
			    !strstr(fwt_ctx_errmsg(ctx), i ? "18446744073709551615, is above 2^63-1"
			                                   : "9223372036854775808, is above 2^63-1"))
				T_FAIL_("%zu/%u: %s '%s'", i, lenient, fwt_err_name(err), fwt_ctx_errmsg(ctx));
			fwt_corim_free(c);
		}
	T_EQ_INT(parse_hex(MV_HEAD "21a201a100617404a1008182a100a101614181a2000701a1011b7fffffffffffffff", &c), FWT_OK);
	T_ASSERT(fwt_corim_comid(c, 0)->triples[0].claims[0].m[0].svn == (uint64_t)INT64_MAX);
	fwt_corim_free(c);
}

/* class-id 111(bytes) of vendor "A", with one SHA-256 digest of zeros:
 * OID_HEAD, the length of the CoMID, its head up to the OID, the OID. */
#define OID_HEAD MV_HEAD
#define OID_TAIL "01614181a2000701a10281822f58200000000000000000000000000000000000000000000000000000000000000000"

/* OIDs: content octets whose arcs are not minimal or are cut short are
 * malformed when strict (verify, sign, appraise) and shown in hex when
 * lenient (show); arcs past 64 bits are dotted decimal in the model, the
 * text and the JSON. */
static void test_oid_arcs(void)
{
	static const struct { const char *hex, *why, *shown; } v[] = {
		{ OID_HEAD "44a201a100617404a1008182a100a200d86f432a8001" OID_TAIL,
		  "an arc is not minimally encoded (it starts with a 0x80 byte)", "2a8001" },
		{ OID_HEAD "43a201a100617404a1008182a100a200d86f422a81" OID_TAIL, "its last arc is cut short", "2a81" },
		{ OID_HEAD "55a201a100617404a1008182a100a200d86f546983f09da7ebcfdee0c7a1a7b2c0948cc8f9d776" OID_TAIL, NULL,
		  "2.25.329800735698586629295641978511506172918" },
		{ OID_HEAD "55a201a100617404a1008182a100a200d86f5482808080808080808005828080808080808080"
		  "00" OID_TAIL, NULL, "2.18446744073709551541.18446744073709551616" },
	};
	fwt_corim *c;
	size_t i;

	for (i = 0; i < N_(v); i++) {
		fwt_err err = parse_hex(v[i].hex, &c);
		if (v[i].why) {
			if (err != FWT_EFORMAT || !strstr(fwt_ctx_errmsg(ctx), "malformed CoRIM at /tags/0/triples/reference-"
			                                                        "triples/0/environment/class/class-id: not an "
			                                                        "OID (tag 111 holds DER content octets): ") ||
			    !strstr(fwt_ctx_errmsg(ctx), v[i].why))
				T_FAIL_("%zu: %s '%s'", i, fwt_err_name(err), fwt_ctx_errmsg(ctx));
			fwt_corim_free(c);
			err = parse_hex_flags(v[i].hex, FWT_CORIM_LENIENT_CBOR, &c);
		}
		T_EQ_INT(err, FWT_OK);
		if (!err) {
			const fwt_corim_id *id = &fwt_corim_comid(c, 0)->triples[0].claims[0].env.class_id;
			json_t *j = fwt_corim_to_json(c);
			char *text = NULL, *js = json_dumps(j, JSON_COMPACT);
			T_EQ_INT(id->type, FWT_CORIM_ID_OID);
			T_EQ_STR(id->text, v[i].shown);
			T_EQ_INT(fwt_corim_to_text(c, &text), FWT_OK);
			T_ASSERT(text && strstr(text, v[i].shown));
			T_ASSERT(js && strstr(js, v[i].shown));
			free(text);
			free(js);
			json_decref(j);
		}
		fwt_corim_free(c);
	}
}

/* 501({0: "C", 1: [506(<<comid>>), ... n times]}) where each CoMID has
 * one reference value and an extension (99) of `zeros` items. */
static unsigned char *comids_with_items(size_t n_comids, size_t zeros, size_t *len)
{
	static const char head[] = "a301a100617404a1008182a100a1016141" "81a101a10281820158" "20";
	unsigned char hb[64], *b, *p;
	size_t hn, cn, i;

	if (fwt_hex_decode(hb, sizeof(hb), head, strlen(head), &hn) != FWT_OK)
		return NULL;
	cn = hn + 32 + 2 + 5 + zeros; /* head, digest, key 99, array head, items */
	b = calloc(1, 9 + n_comids * (3 + 5 + cn));
	if (!b)
		return NULL;
	p = b;
	memcpy(p, "\xd9\x01\xf5\xa2\x00\x61\x43\x01", 8);
	p += 8;
	*p++ = (unsigned char)(0x80 | n_comids); /* fewer than 24 */
	for (i = 0; i < n_comids; i++) {
		memcpy(p, "\xd9\x01\xfa\x5a", 4);
		p[4] = (unsigned char)(cn >> 24), p[5] = (unsigned char)(cn >> 16);
		p[6] = (unsigned char)(cn >> 8), p[7] = (unsigned char)cn;
		p += 8;
		memcpy(p, hb, hn);
		memset(p + hn, 0x5a, 32);
		p += hn + 32;
		memcpy(p, "\x18\x63\x9a", 3);
		p[3] = (unsigned char)(zeros >> 24), p[4] = (unsigned char)(zeros >> 16);
		p[5] = (unsigned char)(zeros >> 8), p[6] = (unsigned char)zeros;
		p += 7 + zeros; /* the zeros are calloc's */
	}
	*len = (size_t)(p - b);
	return b;
}

/* One item budget for the whole CoRIM: CoMIDs under the limit each are
 * refused when together they are over it. */
static void test_item_budget(void)
{
	unsigned char *b;
	fwt_corim *c = NULL;
	size_t n = 0;

	b = comids_with_items(1, 140000, &n);
	T_ASSERT(b != NULL);
	T_EQ_INT(fwt_corim_parse(ctx, &c, b, n, NULL), FWT_OK);
	T_EQ_INT(fwt_corim_comid_count(c), 1);
	fwt_corim_free(c);
	c = NULL;
	free(b);
	b = comids_with_items(2, 140000, &n);
	T_ASSERT(b != NULL);
	T_EQ_INT(fwt_corim_parse(ctx, &c, b, n, NULL), FWT_EFORMAT);
	T_ASSERT(c == NULL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "at /tags/1: malformed CBOR in a CoMID: more than 262144 data items in "
	                              "the whole file, embedded CBOR included");
	free(b);
}

/* ---- creation ---- */

static fwt_corim_refval rv(const char *key, fwt_digest_alg a, unsigned char fill)
{
	fwt_corim_refval r;

	memset(&r, 0, sizeof(r));
	r.key = key;
	r.n_digests = 1;
	r.digests[0].alg = a;
	memset(r.digests[0].value, fill, sizeof(r.digests[0].value));
	return r;
}

static void test_create(void)
{
	fwt_corim_refval r[4];
	fwt_corim_create_options o = FWT_CORIM_CREATE_OPTIONS_INIT;
	unsigned char *a = NULL, *b = NULL;
	size_t an = 0, bn = 0;
	fwt_corim *c = NULL;
	const fwt_comid *cm;
	fwt_cbor_options strict = FWT_CBOR_OPTIONS_INIT;
	cbor_item_t *it = NULL;

	r[0] = rv("0", FWT_DIGEST_SHA384, 0x11);
	r[0].n_digests = 2;
	r[0].digests[1].alg = FWT_DIGEST_SHA256; /* written after sha384? no: sorted by algorithm */
	r[1] = rv("label", FWT_DIGEST_SHA512, 0x22);
	r[2] = rv("67b28b6c-34cc-40a1-9117-ab5b05911e37", FWT_DIGEST_SHA256, 0x33);
	r[3] = rv("007", FWT_DIGEST_SHA256, 0x44); /* leading zero: a label */
	o.vendor = "ACME";
	o.model = "NIC";
	o.class_id = "1.3.6.1.4.1.99999.1";
	o.refvals = r;
	o.n_refvals = 4;
	T_EQ_INT(fwt_corim_create(ctx, &o, &a, &an), FWT_OK);
	T_EQ_INT(fwt_corim_create(ctx, &o, &b, &bn), FWT_OK);
	T_ASSERT(an == bn && !memcmp(a, b, an)); /* deterministic */
	strict.flags = FWT_CBOR_DETERMINISTIC;
	strict.max_depth = FWT_CORIM_DEPTH;
	T_EQ_INT(fwt__cbor_decode(ctx, a, an, &strict, NULL, &it, NULL), FWT_OK);
	fwt__cb_free(it);
	T_EQ_INT(fwt_corim_parse(ctx, &c, a, an, NULL), FWT_OK);
	T_EQ_INT(fwt_corim_get_kind(c), FWT_CORIM_UNSIGNED);
	T_EQ_INT(fwt_corim_get_id(c)->type, FWT_CORIM_ID_UUID);
	cm = fwt_corim_comid(c, 0);
	T_EQ_INT(cm->tag_id.type, FWT_CORIM_ID_UUID);
	T_ASSERT((cm->tag_id.bytes[6] >> 4) == 8 && (cm->tag_id.bytes[8] & 0xc0) == 0x80); /* a v8 UUID */
	T_EQ_STR(cm->triples[0].claims[0].env.class_id.text, "1.3.6.1.4.1.99999.1");
	T_EQ_STR(cm->triples[0].claims[0].env.vendor, "ACME");
	T_EQ_INT(cm->triples[0].claims[0].n, 4);
	T_EQ_INT(cm->triples[0].claims[0].m[0].key.type, FWT_CORIM_ID_UINT);
	T_EQ_INT(cm->triples[0].claims[0].m[0].n_digests, 2);
	T_EQ_INT(cm->triples[0].claims[0].m[0].digests[0].alg_id, 1); /* sha-256 first, Named Information id */
	T_EQ_INT(cm->triples[0].claims[0].m[0].digests[1].alg_id, 7);
	T_EQ_INT(cm->triples[0].claims[0].m[1].key.type, FWT_CORIM_ID_TEXT);
	T_EQ_INT(cm->triples[0].claims[0].m[1].digests[0].alg_id, 8);
	T_EQ_INT(cm->triples[0].claims[0].m[2].key.type, FWT_CORIM_ID_UUID);
	T_EQ_INT(cm->triples[0].claims[0].m[3].key.type, FWT_CORIM_ID_TEXT);
	fwt_corim_free(c);
	free(b);
	/* COSE digest ids, given ids */
	o.cose_digest_ids = 1;
	o.tag_id = "my-tag";
	o.corim_id = "0f6b0a3e-1111-4222-8333-944455556666";
	o.class_id = "67b28b6c-34cc-40a1-9117-ab5b05911e37";
	T_EQ_INT(fwt_corim_create(ctx, &o, &b, &bn), FWT_OK);
	T_EQ_INT(fwt_corim_parse(ctx, &c, b, bn, NULL), FWT_OK);
	cm = fwt_corim_comid(c, 0);
	T_EQ_STR(cm->tag_id.text, "my-tag");
	T_EQ_STR(fwt_corim_get_id(c)->text, "0f6b0a3e-1111-4222-8333-944455556666");
	T_EQ_INT(cm->triples[0].claims[0].env.class_id.type, FWT_CORIM_ID_UUID);
	T_EQ_INT(cm->triples[0].claims[0].m[0].digests[1].alg_id, -43);
	fwt_corim_free(c);
	free(a);
	free(b);
}

static void test_create_refusals(void)
{
	fwt_corim_refval r[2];
	fwt_corim_create_options o = FWT_CORIM_CREATE_OPTIONS_INIT;
	unsigned char *out = NULL;
	size_t n;

	r[0] = rv("1", FWT_DIGEST_SHA384, 1);
	r[1] = rv("1", FWT_DIGEST_SHA256, 2);
	o.vendor = "V";
	o.refvals = r;
	o.n_refvals = 2;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL); /* key twice */
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "given twice") != NULL);
	/* one UUID in two letter cases is one key; "01" is a label, not 1 */
	r[0].key = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
	r[1].key = "6BA7B810-9DAD-11D1-80B4-00C04fd430c8";
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "measurement key '6BA7B810-9DAD-11D1-80B4-00C04fd430c8' given twice");
	r[1].key = "6BA7B810-9DAD-11D1-80B4-00C04fd430c9";
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_OK);
	free(out);
	out = NULL;
	r[0].key = "1";
	r[1].key = "01";
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_OK);
	free(out);
	out = NULL;
	r[0].key = "1";
	o.n_refvals = 1;
	o.class_id = "not-an-id";
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	o.class_id = "3.1";
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	o.class_id = NULL;
	r[0].digests[0].alg = FWT_DIGEST_SHA1;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	r[0].digests[0].alg = FWT_DIGEST_SHA384;
	r[0].key = "";
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	r[0].key = "1";
	o.vendor = NULL;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_ASSERT(out == NULL);
}

/* n reference values keyed "0", "1", ... (keys: n slots of 16 bytes), all
 * of one SHA-256 digest, in o; 0, or -1 when out of memory. */
/* rim create --class-id: a UUID-based OID (X.667, 2.25.<128-bit integer>)
 * and other arcs past 64 bits are encoded base-128 and read back. */
static void test_create_big_oid(void)
{
	static const struct { const char *oid, *der; } v[] = {
		{ "2.25.329800735698586629295641978511506172918", "6983f09da7ebcfdee0c7a1a7b2c0948cc8f9d776" },
		{ "2.18446744073709551541.18446744073709551616", "82808080808080808005828080808080808080" "00" },
		{ "2.18446744073709551535", "81ffffffffffffffff7f" },
		{ "1.2.840.113549", "2a864886f70d" },
		{ "0.39", "27" },
		{ "2.999.1", "883701" },
	};
	static const char *const bad[] = { "1.40", "3.1", "2", "2.", "01.2", "1.02", "2..1", "1.2.x", "" };
	fwt_corim_create_options o = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_corim_refval r = rv("1", FWT_DIGEST_SHA256, 0x11);
	unsigned char *out, der[64];
	size_t n, dn, i;
	fwt_corim *c;

	o.vendor = "V";
	o.refvals = &r;
	o.n_refvals = 1;
	for (i = 0; i < N_(v); i++) {
		o.class_id = v[i].oid;
		out = NULL;
		T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_OK);
		T_EQ_INT(fwt_hex_decode(der, sizeof(der), v[i].der, strlen(v[i].der), &dn), FWT_OK);
		c = NULL;
		T_EQ_INT(fwt_corim_parse(ctx, &c, out, n, NULL), FWT_OK);
		if (c) {
			const fwt_corim_id *id = &fwt_corim_comid(c, 0)->triples[0].claims[0].env.class_id;
			T_EQ_STR(id->text, v[i].oid);
			T_ASSERT(id->len == dn && !memcmp(id->bytes, der, dn));
		}
		fwt_corim_free(c);
		free(out);
	}
	for (i = 0; i < N_(bad); i++) {
		o.class_id = bad[i];
		out = NULL;
		if (fwt_corim_create(ctx, &o, &out, &n) != FWT_EINVAL)
			T_FAIL_("class-id '%s' accepted", bad[i]);
		free(out);
	}
}

static int many_refvals(size_t n, fwt_corim_refval **r, char (**keys)[16], fwt_corim_create_options *o)
{
	size_t i;

	*r = calloc(n, sizeof(**r));
	*keys = calloc(n, sizeof(**keys));
	if (!*r || !*keys)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf((*keys)[i], sizeof((*keys)[i]), "%zu", i);
		(*r)[i] = rv((*keys)[i], FWT_DIGEST_SHA256, 1);
	}
	o->vendor = "V";
	o->refvals = *r;
	o->n_refvals = n;
	return 0;
}

/* Repeated keys among many reference values: found without comparing
 * every pair, and the one named is the first that repeats an earlier key,
 * even past an earlier key that repeats later. */
static void test_create_repeated_key(void)
{
	enum { N = 20000 }; /* about 200000 CBOR items: under the reader's cap */
	fwt_corim_refval *r = NULL;
	char (*keys)[16] = NULL;
	fwt_corim_create_options o = FWT_CORIM_CREATE_OPTIONS_INIT;
	unsigned char *out = NULL;
	size_t n;

	T_ASSERT(many_refvals(N, &r, &keys, &o) == 0);
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_OK); /* every key once */
	free(out);
	out = NULL;
	r[N - 1].key = keys[7];     /* "7" again, last */
	r[N - 2].key = keys[N - 3]; /* "19997" again, just before */
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "measurement key '19997' given twice");
	r[N - 2].key = "";          /* an empty key first: that is the error */
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "a measurement key is empty");
	T_ASSERT(out == NULL);
	free(keys);
	free(r);
}

/* More reference values than a reader takes (262144 CBOR items): refused,
 * nothing made, rather than a CoRIM rim show and attest check refuse. */
static void test_create_read_back(void)
{
	enum { N = 40000 };
	fwt_corim_refval *r = NULL;
	char (*keys)[16] = NULL;
	fwt_corim_create_options o = FWT_CORIM_CREATE_OPTIONS_INIT;
	unsigned char *out = (unsigned char *)"x";
	size_t n = 1;

	T_ASSERT(many_refvals(N, &r, &keys, &o) == 0);
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_ASSERT(out == NULL && n == 0);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "the CoRIM made would not be read back") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "more than 262144 data items") != NULL);
	free(keys);
	free(r);
}

/* Raw values (SPDM blocks of raw type) next to digests: one measurement
 * map {0: mkey, 1: {4: 560(bytes)}} each, after the digests, read back as
 * the parser reads them; deterministic; a RIM of raw values alone. */
static void test_create_rawvals(void)
{
	static const unsigned char version[] = "fwtrail-test 1.2.3", svn[8] = { 5 };
	static const unsigned char tagged[] = { 0xd9, 0x02, 0x30, 0x48, 5, 0, 0, 0, 0, 0, 0, 0 }; /* 560(h'05..') */
	fwt_corim_refval r[1];
	fwt_corim_rawval w[3] = { { "6", version, sizeof(version) - 1 }, { "7", svn, sizeof(svn) },
		                  { "empty", NULL, 0 } };
	fwt_corim_create_options o = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_cbor_options strict = FWT_CBOR_OPTIONS_INIT;
	unsigned char *a = NULL, *b = NULL;
	size_t an = 0, bn = 0, i;
	const fwt_corim_claims *cl;
	fwt_corim *c = NULL;
	cbor_item_t *it = NULL;
	char *text = NULL;
	int found = 0;

	T_EQ_INT(FWT_CORIM_CREATE_OPTIONS_VERSION, 2);
	T_EQ_INT(o.version, 2);
	T_ASSERT(o.rawvals == NULL && o.n_rawvals == 0);
	r[0] = rv("1", FWT_DIGEST_SHA384, 0x11);
	o.vendor = "ACME";
	o.model = "NIC";
	o.refvals = r;
	o.n_refvals = 1;
	o.rawvals = w;
	o.n_rawvals = 3;
	T_EQ_INT(fwt_corim_create(ctx, &o, &a, &an), FWT_OK);
	T_EQ_INT(fwt_corim_create(ctx, &o, &b, &bn), FWT_OK);
	T_ASSERT(an == bn && !memcmp(a, b, an)); /* deterministic */
	free(b);
	b = NULL;
	strict.flags = FWT_CBOR_DETERMINISTIC;
	strict.max_depth = FWT_CORIM_DEPTH;
	T_EQ_INT(fwt__cbor_decode(ctx, a, an, &strict, NULL, &it, NULL), FWT_OK);
	fwt__cb_free(it);
	for (i = 0; i + sizeof(tagged) <= an; i++) /* the SVN as tag 560 over a bstr (in the CoMID's bstr) */
		found += !memcmp(a + i, tagged, sizeof(tagged));
	T_EQ_INT(found, 1);
	T_EQ_INT(fwt_corim_parse(ctx, &c, a, an, NULL), FWT_OK);
	cl = &fwt_corim_comid(c, 0)->triples[0].claims[0];
	T_EQ_INT(fwt_corim_comid(c, 0)->n_triples, 1);
	T_EQ_INT(cl->n, 4);
	T_EQ_INT(cl->m[0].key.type, FWT_CORIM_ID_UINT); /* the digest first */
	T_EQ_INT(cl->m[0].key.num, 1);
	T_EQ_INT(cl->m[0].n_digests, 1);
	T_ASSERT(cl->m[0].raw_value == NULL);
	T_EQ_INT(cl->m[1].key.type, FWT_CORIM_ID_UINT);
	T_EQ_INT(cl->m[1].key.num, 6);
	T_EQ_INT(cl->m[1].n_digests, 0);
	T_ASSERT(cl->m[1].raw_value != NULL && cl->m[1].raw_mask == NULL);
	T_EQ_INT(cl->m[1].raw_len, sizeof(version) - 1);
	T_EQ_MEM(cl->m[1].raw_value, version, sizeof(version) - 1);
	T_EQ_INT(cl->m[2].key.num, 7);
	T_EQ_INT(cl->m[2].raw_len, 8);
	T_EQ_MEM(cl->m[2].raw_value, svn, 8);
	T_EQ_INT(cl->m[3].key.type, FWT_CORIM_ID_TEXT);
	T_EQ_STR(cl->m[3].key.text, "empty");
	T_ASSERT(cl->m[3].raw_value != NULL); /* an empty value is a value */
	T_EQ_INT(cl->m[3].raw_len, 0);
	T_EQ_INT(fwt_corim_to_text(c, &text), FWT_OK);
	T_ASSERT(strstr(text, "6677747261696c2d7465737420312e322e33") != NULL);
	free(text);
	fwt_corim_free(c);
	c = NULL;
	/* raw values alone */
	o.refvals = NULL;
	o.n_refvals = 0;
	o.n_rawvals = 1;
	T_EQ_INT(fwt_corim_create(ctx, &o, &b, &bn), FWT_OK);
	T_EQ_INT(fwt_corim_parse(ctx, &c, b, bn, NULL), FWT_OK);
	cl = &fwt_corim_comid(c, 0)->triples[0].claims[0];
	T_EQ_INT(cl->n, 1);
	T_EQ_INT(cl->m[0].key.num, 6);
	T_EQ_INT(cl->m[0].raw_len, sizeof(version) - 1);
	T_EQ_MEM(cl->m[0].raw_value, version, sizeof(version) - 1);
	fwt_corim_free(c);
	free(a);
	free(b);
}

/* A version-1 caller's struct ends at n_refvals: the raw values are never
 * read (ASan would see a read past the 1-sized copy below). */
static void test_create_options_v1(void)
{
	static const unsigned char v[] = { 1, 2, 3 };
	fwt_corim_refval r = rv("1", FWT_DIGEST_SHA256, 0x22);
	fwt_corim_rawval w = { "2", v, sizeof(v) };
	fwt_corim_create_options o = FWT_CORIM_CREATE_OPTIONS_INIT;
	size_t v1 = offsetof(fwt_corim_create_options, rawvals);
	fwt_corim_create_options *old = malloc(v1);
	unsigned char *a = NULL, *b = NULL;
	size_t an = 0, bn = 0;

	T_ASSERT(old != NULL);
	o.vendor = "ACME";
	o.refvals = &r;
	o.n_refvals = 1;
	T_EQ_INT(fwt_corim_create(ctx, &o, &a, &an), FWT_OK); /* version 2, no raw values */
	o.version = 1;
	memcpy(old, &o, v1);
	T_EQ_INT(fwt_corim_create(ctx, old, &b, &bn), FWT_OK);
	T_ASSERT(an == bn && !memcmp(a, b, an));
	free(b);
	b = NULL;
	o.rawvals = &w; /* set, but not there for version 1 */
	o.n_rawvals = 1;
	T_EQ_INT(fwt_corim_create(ctx, &o, &b, &bn), FWT_OK);
	T_ASSERT(an == bn && !memcmp(a, b, an));
	free(b);
	b = NULL;
	o.n_refvals = 0; /* raw values only, at version 1: none at all */
	T_EQ_INT(fwt_corim_create(ctx, &o, &b, &bn), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "no reference values");
	o.version = 2;
	T_EQ_INT(fwt_corim_create(ctx, &o, &b, &bn), FWT_OK);
	T_ASSERT(an != bn || memcmp(a, b, an));
	free(old);
	free(a);
	free(b);
}

static void test_create_rawval_refusals(void)
{
	static unsigned char big[FWT_CORIM_MAX_RAW_VALUE + 1];
	fwt_corim_refval r[1];
	fwt_corim_rawval w[2] = { { "7", big, 4 }, { "6", big, 1 } };
	fwt_corim_create_options o = FWT_CORIM_CREATE_OPTIONS_INIT;
	unsigned char *out = NULL;
	size_t n;

	r[0] = rv("6", FWT_DIGEST_SHA384, 1);
	o.vendor = "V";
	o.refvals = r;
	o.n_refvals = 1;
	o.rawvals = w;
	o.n_rawvals = 2;
	/* one key in both arrays */
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "measurement key '6' given twice");
	r[0].key = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
	w[1].key = "6BA7B810-9DAD-11D1-80B4-00C04FD430C8";
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "measurement key '6BA7B810-9DAD-11D1-80B4-00C04FD430C8' given twice");
	r[0].key = "1";
	w[1].key = "7"; /* twice among the raw values */
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "measurement key '7' given twice");
	w[1].key = "";
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "a measurement key is empty");
	w[1].key = NULL;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "a measurement key is empty");
	w[1].key = "\xff";
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not valid UTF-8") != NULL);
	w[1].key = "6";
	/* NULL bytes: only for an empty value */
	w[1].value = NULL;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "measurement '6': the raw value is NULL but its length is 1");
	w[1].len = 0;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_OK);
	free(out);
	out = NULL;
	/* the cap: an SPDM measurement value's largest size */
	w[1].value = big;
	w[1].len = FWT_CORIM_MAX_RAW_VALUE + 1;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "measurement '6': a raw value of 65536 bytes, more than the 65535 allowed");
	w[1].len = (size_t)-1;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	w[1].len = FWT_CORIM_MAX_RAW_VALUE;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_OK);
	free(out);
	out = NULL;
	/* arrays missing or empty */
	o.rawvals = NULL;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "rawvals is NULL but n_rawvals is 2");
	o.rawvals = w;
	o.refvals = NULL;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "refvals is NULL but n_refvals is 1");
	o.n_refvals = 0;
	o.n_rawvals = 0;
	T_EQ_INT(fwt_corim_create(ctx, &o, &out, &n), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "no reference values");
	T_ASSERT(out == NULL);
}

/* ---- signing and verification ---- */

static unsigned char *make_corim(size_t *n)
{
	fwt_corim_refval r = rv("1", FWT_DIGEST_SHA384, 0x5a);
	fwt_corim_create_options o = FWT_CORIM_CREATE_OPTIONS_INIT;
	unsigned char *out = NULL;

	o.vendor = "ACME";
	o.model = "BMC";
	o.refvals = &r;
	o.n_refvals = 1;
	return fwt_corim_create(ctx, &o, &out, n) == FWT_OK ? out : NULL;
}

static void test_sign_verify(void)
{
	static const char *const names[] = { "ec-p256", "ec-p384", "ec-p521", "rsa-3072" };
	size_t n, i;
	unsigned char *corim = make_corim(&n);

	T_ASSERT(corim != NULL);
	for (i = 0; i < N_(names); i++) {
		fwt_corim_sign_options so = FWT_CORIM_SIGN_OPTIONS_INIT;
		fwt_corim_verify_result r;
		fwt_trust *t = NULL, *other = NULL;
		fwt_pubkey *wrong = NULL;
		fwt_key *k = NULL;
		fwt_corim *c = NULL;
		unsigned char *s = NULL;
		size_t sn = 0, j;
		char path[128];
		snprintf(path, sizeof(path), KEYS "%s.pem", names[i]);
		T_EQ_INT(fwt_key_open(ctx, &k, path, NULL), FWT_OK);
		so.signer_name = "Test Signer";
		so.signer_uri = "https://signer.example";
		so.kid = (const unsigned char *)"kid-1";
		so.kid_len = 5;
		so.has_not_before = so.has_not_after = 1;
		so.not_before = 1767225600; /* 2026-01-01 */
		so.not_after = 2082758400;  /* 2036-01-01 */
		T_EQ_INT(fwt_corim_sign(ctx, k, corim, n, &so, &s, &sn), FWT_OK);
		T_EQ_INT(fwt_corim_parse(ctx, &c, s, sn, NULL), FWT_OK);
		T_EQ_INT(fwt_corim_get_kind(c), FWT_CORIM_SIGNED);
		T_EQ_STR(fwt_corim_get_meta(c)->signer_name, "Test Signer");
		T_EQ_STR(fwt_corim_get_meta(c)->signer_uri, "https://signer.example");
		T_ASSERT(fwt_cose_payload(fwt_corim_cose(c), &j) && j == n); /* the CoRIM as given */
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_key(t, (fwt_pubkey *)fwt_key_pubkey(k)), FWT_OK);
		T_EQ_INT(fwt_corim_verify(ctx, c, t, 1800000000, &r), FWT_OK);
		T_EQ_INT(r.window.not_before, 1767225600);
		T_EQ_INT(fwt_corim_verify(ctx, c, t, 2082758401, &r), FWT_EVERIFY);
		T_EQ_INT(fwt_corim_verify(ctx, c, t, 1767225599, &r), FWT_EVERIFY);
		/* a trust store without the key */
		T_EQ_INT(fwt_trust_new(ctx, &other), FWT_OK);
		T_EQ_INT(fwt_pubkey_load(ctx, &wrong, i ? KEYS "ec-p256.pub" : KEYS "ec-p384.pub"), FWT_OK);
		T_EQ_INT(fwt_trust_add_key(other, wrong), FWT_OK);
		T_EQ_INT(fwt_corim_verify(ctx, c, other, 1800000000, &r), FWT_EVERIFY);
		T_EQ_INT(r.signature_ok, 0);
		fwt_corim_free(c);
		/* every byte matters: flipped, the RIM is refused, never accepted */
		for (j = 0; j < sn; j++) {
			fwt_corim *x = NULL;
			fwt_err err;
			s[j] ^= 0x20;
			err = fwt_corim_parse(ctx, &x, s, sn, NULL);
			if (!err)
				err = fwt_corim_verify(ctx, x, t, 1800000000, &r);
			if (err == FWT_OK)
				T_FAIL_("%s: byte %zu changed still verifies", names[i], j);
			fwt_corim_free(x);
			s[j] ^= 0x20;
		}
		free(s);
		fwt_pubkey_free(wrong);
		fwt_trust_free(other);
		fwt_trust_free(t);
		fwt_key_free(k);
	}
	free(corim);
}

static void test_sign_refusals(void)
{
	fwt_corim_sign_options so = FWT_CORIM_SIGN_OPTIONS_INIT;
	fwt_key *k = NULL;
	unsigned char *out = NULL, *s = NULL, bad[512];
	size_t n, sn, bn;
	unsigned char *corim = make_corim(&n);

	T_ASSERT(corim != NULL);
	T_EQ_INT(fwt_key_open(ctx, &k, KEYS "ec-p256.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_corim_sign(ctx, k, corim, n, &so, &out, &sn), FWT_EINVAL); /* no signer name */
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no signer name") != NULL);
	so.signer_name = "S";
	T_EQ_INT(fwt_corim_sign(ctx, k, corim, n, &so, &s, &sn), FWT_OK);
	/* well formed, but not an unsigned CoRIM: unsupported, as a SWID tag */
	T_EQ_INT(fwt_corim_sign(ctx, k, s, sn, &so, &out, &bn), FWT_EUNSUPPORTED);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "already signed (COSE_Sign1): only an unsigned CoRIM (tag 501) can be signed; "
	                              "sign the unsigned CoRIM it was made from");
	{
		/* 506(<<{1: {0: "t"}, 4: {0: [[{0: {1: "A"}}, [{1: {2: [[1, 32 bytes]]}}]]]}}>>) */
		static const char comid[] = "d901fa583ba201a100617404a1008182a100a101614181a101a1028182015820";
		T_EQ_INT(fwt_hex_decode(bad, sizeof(bad), comid, strlen(comid), &bn), FWT_OK);
		memset(bad + bn, 0x5a, 32);
		bn += 32;
		T_EQ_INT(fwt_corim_sign(ctx, k, bad, bn, &so, &out, &sn), FWT_EUNSUPPORTED);
		T_EQ_STR(fwt_ctx_errmsg(ctx), "a CoMID on its own, not a CoRIM: only an unsigned CoRIM (tag 501) can be "
		                              "signed; put the CoMID in one first");
		T_EQ_INT(fwt_corim_sign(ctx, k, bad + 5, bn - 5, &so, &out, &sn), FWT_EUNSUPPORTED); /* the map */
	}
	T_EQ_INT(fwt_corim_sign(ctx, k, corim, n - 1, &so, &out, &sn), FWT_EFORMAT); /* truncated */
	/* the same CoRIM with a non-shortest head: refused, it would not verify */
	bad[0] = corim[0], bad[1] = corim[1], bad[2] = corim[2];
	bad[3] = 0xb8;
	bad[4] = corim[3] & 0x1f;
	memcpy(bad + 5, corim + 4, n - 4);
	bn = n + 1;
	T_EQ_INT(fwt_corim_sign(ctx, k, bad, bn, &so, &out, &sn), FWT_EFORMAT);
	so.has_not_before = so.has_not_after = 1;
	so.not_before = 10;
	so.not_after = 5;
	T_EQ_INT(fwt_corim_sign(ctx, k, corim, n, &so, &out, &sn), FWT_EINVAL);
	T_ASSERT(out == NULL);
	free(s);
	free(corim);
	fwt_key_free(k);
}

static void test_unsigned_not_verified(void)
{
	size_t n;
	unsigned char *corim = make_corim(&n);
	fwt_corim *c = NULL;
	fwt_trust *t = NULL;
	fwt_corim_verify_result r;

	T_EQ_INT(fwt_corim_parse(ctx, &c, corim, n, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_corim_verify(ctx, c, t, 0, &r), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not signed") != NULL);
	fwt_trust_free(t);
	fwt_corim_free(c);
	free(corim);
}

/* ---- text with NUL, and the validity windows, on CoRIMs built here ---- */

static cbor_item_t *txt(const char *s) { return fwt__cb_text(s, (size_t)-1); }

static cbor_item_t *map2(int64_t k1, cbor_item_t *v1, int64_t k2, cbor_item_t *v2)
{
	cbor_item_t *m = fwt__cb_map();

	fwt__cb_puti(m, k1, v1);
	if (v2)
		fwt__cb_puti(m, k2, v2);
	return m;
}

static cbor_item_t *arr1(cbor_item_t *a)
{
	cbor_item_t *r = fwt__cb_array();

	fwt__cb_push(r, a);
	return r;
}

static cbor_item_t *arr2(cbor_item_t *a, cbor_item_t *b)
{
	cbor_item_t *r = arr1(a);

	fwt__cb_push(r, b);
	return r;
}

static cbor_item_t *epoch(int64_t t) { return fwt__cb_tag(1, fwt__cb_int(t)); }

/* Encoded and freed (NULL when anything failed). */
static unsigned char *enc(cbor_item_t *it, size_t *n)
{
	unsigned char *out = NULL;

	if (!it || fwt__cbor_encode_alloc(ctx, it, &out, n) != FWT_OK)
		out = NULL;
	fwt__cb_free(it);
	return out;
}

static cbor_item_t *bstr_of(cbor_item_t *it)
{
	size_t n = 0;
	unsigned char *b = enc(it, &n);
	cbor_item_t *r = b ? fwt__cb_bytes(b, n) : NULL;

	free(b);
	return r;
}

struct built {
	unsigned tag;           /* 18, 98, or 501 (unsigned) */
	int meta, cwt, rim;     /* which windows to write; 0 none */
	int64_t mnb, mna;       /* corim-meta signature-validity (mnb < 0: no not-before) */
	int64_t nbf, exp;       /* CWT claims (< 0: absent) */
	int64_t rnb, rna;       /* rim-validity */
	int ct;                 /* content type: 0 protected, 1 unprotected only, 2 absent */
	const char *algn;       /* the first digest's algorithm name (NULL: "ALGN") */
	size_t algn_len;        /* and its value's length (0: 1) */
	int form;               /* one field out of shape (FORM_*; 0: none) */
};

enum {
	FORM_NONE, FORM_CWT_NO_ISS, FORM_CWT_TEXT_EXP, FORM_CWT_ISS_INT, FORM_CWT_EXP_TEXT, FORM_CWT_SUB_INT,
	FORM_META_UNTAGGED, FORM_META_TAG0, FORM_META_KEY2, FORM_RIM_UNTAGGED, FORM_URI_UNTAGGED,
	FORM_DETACHED, FORM_FLOAT_TIMES
};

/* #6.1(mn + 0.25), a float32 (as the strict decoder wants it shortest) */
static cbor_item_t *epoch_q(int64_t t) { return fwt__cb_tag(1, cbor_build_float4((float)t + 0.25f)); }

/*
 * A CoRIM whose every text the model keeps is a distinct four-letter marker
 * (replacing one byte of a marker keeps the encoding well-formed): corim-map
 * id CRID, profile PROF, entity ENTN with reg-id REGI; CoMID language LANG,
 * tag-id TAGI, entity CENT; class vendor VEND, model MODL; mkey MKEY;
 * version VERS, scheme SCHM; a digest algorithm ALGN; serial SERI; name
 * NAME; an integrity register REGS; signer-name SIGN, signer-uri URIX (CWT
 * iss ISSR).  Signatures are zeros: decoding does not check them.
 */
static unsigned char *build(const struct built *o, size_t *n)
{
	unsigned char d32[32];
	cbor_item_t *mval, *meas, *comid, *corim, *ent, *prot, *msg, *cbytes, *pl, *sig;

	memset(d32, 0xd3, sizeof(d32));
	mval = fwt__cb_map();
	fwt__cb_puti(mval, 0, map2(0, txt("VERS"), 1, txt("SCHM")));
	{
		static unsigned char dv[64];
		memset(dv, 0xab, sizeof(dv));
		dv[0] = 1;
		fwt__cb_puti(mval, 2, arr2(arr2(txt(o->algn ? o->algn : "ALGN"), fwt__cb_bytes(dv, o->algn_len ? o->algn_len : 1)),
		                           arr2(fwt__cb_int(1), fwt__cb_bytes(d32, 32))));
	}
	fwt__cb_puti(mval, 8, txt("SERI"));
	fwt__cb_puti(mval, 11, txt("NAME"));
	{
		cbor_item_t *regs = fwt__cb_map();
		fwt__cb_put(regs, txt("REGS"), arr1(arr2(fwt__cb_int(1), fwt__cb_bytes(d32, 32))));
		fwt__cb_puti(mval, 14, regs);
	}
	meas = map2(0, txt("MKEY"), 1, mval);
	comid = fwt__cb_map();
	fwt__cb_puti(comid, 0, txt("LANG"));
	fwt__cb_puti(comid, 1, map2(0, txt("TAGI"), 0, NULL));
	fwt__cb_puti(comid, 2, arr1(map2(0, txt("CENT"), 2, arr1(fwt__cb_int(0)))));
	fwt__cb_puti(comid, 4, map2(0, arr1(arr2(map2(0, map2(1, txt("VEND"), 2, txt("MODL")), 0, NULL), arr1(meas))), 0,
	                            NULL));
	corim = fwt__cb_map();
	fwt__cb_puti(corim, 0, txt("CRID"));
	fwt__cb_puti(corim, 1, arr1(fwt__cb_tag(506, bstr_of(comid))));
	fwt__cb_puti(corim, 3, txt("PROF"));
	if (o->rim)
		fwt__cb_puti(corim, 4, map2(0, epoch(o->rnb), 1, o->form == FORM_RIM_UNTAGGED ? fwt__cb_int(o->rna)
		                                                                              : epoch(o->rna)));
	ent = map2(0, txt("ENTN"), 1, fwt__cb_tag(32, txt("REGI")));
	fwt__cb_puti(ent, 2, arr1(fwt__cb_int(1)));
	fwt__cb_puti(corim, 5, arr1(ent));
	cbytes = fwt__cb_tag(501, corim);
	if (o->tag == 501)
		return enc(cbytes, n);
	prot = fwt__cb_map();
	fwt__cb_puti(prot, 1, fwt__cb_int(-35));
	if (o->ct == 0)
		fwt__cb_puti(prot, 3, txt(FWT_CORIM_CONTENT_TYPE));
	if (o->meta) {
		cbor_item_t *meta = map2(0, map2(0, txt("SIGN"), 1, o->form == FORM_URI_UNTAGGED ? txt("URIX")
		                                                      : fwt__cb_tag(32, txt("URIX"))), 0, NULL);
		cbor_item_t *na = o->form == FORM_META_UNTAGGED ? fwt__cb_int(o->mna)
		                  : o->form == FORM_META_TAG0   ? fwt__cb_tag(0, txt("2030-01-01T00:00:00Z"))
		                  : o->form == FORM_FLOAT_TIMES ? epoch_q(o->mna)
		                                                : epoch(o->mna);
		fwt__cb_puti(meta, 1, o->mnb < 0 ? map2(1, na, 0, NULL)
		                                 : map2(0, o->form == FORM_FLOAT_TIMES ? epoch_q(o->mnb) : epoch(o->mnb),
		                                        1, na));
		if (o->form == FORM_META_KEY2)
			fwt__cb_puti(meta, 2, txt("XTRA"));
		fwt__cb_puti(prot, 8, bstr_of(meta));
	}
	if (o->cwt) {
		cbor_item_t *cw = o->form == FORM_CWT_NO_ISS  ? fwt__cb_map()
		                  : o->form == FORM_CWT_ISS_INT ? map2(1, fwt__cb_int(7), 0, NULL)
		                                                : map2(1, txt("ISSR"), 0, NULL);
		if (o->form == FORM_CWT_TEXT_EXP)
			fwt__cb_put(cw, txt("exp"), fwt__cb_int(1));
		if (o->form == FORM_CWT_SUB_INT)
			fwt__cb_puti(cw, 2, fwt__cb_int(2));
		if (o->exp >= 0)
			fwt__cb_puti(cw, 4, o->form == FORM_CWT_EXP_TEXT   ? txt("2000")
			                    : o->form == FORM_FLOAT_TIMES ? cbor_build_float4((float)o->exp + 0.25f)
			                                                  : fwt__cb_int(o->exp));
		if (o->nbf >= 0)
			fwt__cb_puti(cw, 5, o->form == FORM_FLOAT_TIMES ? cbor_build_float4((float)o->nbf + 0.25f)
			                                                : fwt__cb_int(o->nbf));
		fwt__cb_puti(prot, 15, cw);
	}
	pl = bstr_of(cbytes);
	sig = fwt__cb_bytes(d32, 32);
	msg = fwt__cb_array();
	fwt__cb_push(msg, bstr_of(prot));
	fwt__cb_push(msg, o->ct == 1 ? map2(3, txt(FWT_CORIM_CONTENT_TYPE), 4, fwt__cb_bytes("kid", 3))
	                             : map2(4, fwt__cb_bytes("kid", 3), 0, NULL));
	if (o->form == FORM_DETACHED) {
		fwt__cb_free(pl);
		pl = cbor_new_null();
	}
	fwt__cb_push(msg, pl);
	if (o->tag == 98) {
		cbor_item_t *signer = fwt__cb_array();
		fwt__cb_push(signer, fwt__cb_bytes("", 0));
		fwt__cb_push(signer, fwt__cb_map());
		fwt__cb_push(signer, sig);
		fwt__cb_push(msg, arr1(signer));
	} else {
		fwt__cb_push(msg, sig);
	}
	return enc(fwt__cb_tag(o->tag, msg), n);
}

static unsigned char *find4(unsigned char *b, size_t n, const char *m)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++)
		if (!memcmp(b + i, m, 4))
			return b + i;
	return NULL;
}

/* A digest algorithm given by its registered name is that algorithm: the
 * same length rule and the same comparison as its id ("sha-384" beside 7
 * is one algorithm); another name is shown as unknown, never as one of
 * fwtrail's own labels. */
static void test_digest_alg_names(void)
{
	static const struct {
		const char *name;
		size_t len;
		fwt_err rc;
		const char *shown;
		fwt_digest_alg alg;
	} v[] = {
		{ "sha-384", 48, FWT_OK, "sha-384", FWT_DIGEST_SHA384 },
		{ "sha-512", 64, FWT_OK, "sha-512", FWT_DIGEST_SHA512 },
		{ "sha-256", 32, FWT_OK, "sha-256", FWT_DIGEST_SHA256 },
		{ "sha3-384", 48, FWT_OK, "sha3-384", 0 },
		{ "sha-384", 47, FWT_EFORMAT, "a sha-384 digest is 47 bytes, not 48", 0 },
		{ "sha-256", 48, FWT_EFORMAT, "a sha-256 digest is 48 bytes, not 32", 0 },
		{ "SHA-384", 48, FWT_OK, "alg(\"SHA-384\")", 0 },
		{ "sha384", 48, FWT_OK, "alg(\"sha384\")", 0 },
	};
	struct built b = { 501, 0, 0, 0, 0, 0, -1, -1, 0, 0, 0, NULL, 0, 0 };
	unsigned char *cb;
	size_t n, i;
	fwt_corim *c;

	for (i = 0; i < N_(v); i++) {
		const fwt_corim_measurement *m;
		b.algn = v[i].name;
		b.algn_len = v[i].len;
		cb = build(&b, &n);
		T_ASSERT(cb != NULL);
		c = NULL;
		if (fwt_corim_parse(ctx, &c, cb, n, NULL) != v[i].rc)
			T_FAIL_("%s/%zu: %s", v[i].name, v[i].len, fwt_ctx_errmsg(ctx));
		if (v[i].rc) {
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), v[i].shown) != NULL);
		} else {
			m = &fwt_corim_comid(c, 0)->triples[0].claims[0].m[0];
			T_EQ_INT(m->n_digests, 2);
			T_EQ_STR(m->digests[0].alg_name, v[i].shown);
			T_EQ_INT(m->digests[0].alg, v[i].alg);
			T_EQ_INT(m->digests[0].alg_id, 0);
			T_EQ_INT(m->digests[0].len, v[i].len);
		}
		fwt_corim_free(c);
		free(cb);
	}
}

static void test_nul_in_text(void)
{
	static const struct {
		const char *marker, *path;
	} v[] = {
		{ "CRID", "at /id:" },
		{ "PROF", "at /profile:" },
		{ "ENTN", "at /entities/0/entity-name:" },
		{ "REGI", "at /entities/0/reg-id:" },
		{ "LANG", "at /tags/0/language:" },
		{ "TAGI", "at /tags/0/tag-identity/tag-id:" },
		{ "CENT", "at /tags/0/entities/0/entity-name:" },
		{ "VEND", "/environment/class/vendor:" },
		{ "MODL", "/environment/class/model:" },
		{ "MKEY", "/measurements/0/mkey:" },
		{ "VERS", "/version/version:" },
		{ "SCHM", "/version/version-scheme:" },
		{ "ALGN", "/digests/0:" },
		{ "SERI", "/serial-number:" },
		{ "NAME", "/name:" },
		{ "REGS", "/integrity-registers:" },
		{ "SIGN", "at /corim-meta/signer-name:" },
		{ "URIX", "at /corim-meta/signer-uri:" },
		{ "ISSR", "at /CWT-claims/iss:" },
	};
	struct built meta = { 18, 1, 0, 0, 1000, 2000, -1, -1, 0, 0, 0, NULL, 0, 0 };
	struct built cwt = { 18, 0, 1, 0, 0, 0, 1000, 2000, 0, 0, 0, NULL, 0, 0 };
	unsigned char *b[2];
	size_t n[2], i, k;
	fwt_corim *c = NULL;
	const fwt_comid *cm;
	const fwt_corim_claims *cl;

	b[0] = build(&meta, &n[0]);
	b[1] = build(&cwt, &n[1]);
	T_ASSERT(b[0] && b[1]);
	/* as built, every marker reads back whole */
	T_EQ_INT(fwt_corim_parse(ctx, &c, b[0], n[0], NULL), FWT_OK);
	cm = fwt_corim_comid(c, 0);
	cl = &cm->triples[0].claims[0];
	T_EQ_STR(cl->env.vendor, "VEND");
	T_EQ_STR(cl->env.model, "MODL");
	T_EQ_STR(cl->m[0].version, "VERS");
	T_EQ_STR(cm->language, "LANG");
	T_EQ_STR(fwt_corim_get_meta(c)->signer_name, "SIGN");
	T_EQ_STR(fwt_corim_get_meta(c)->signer_uri, "URIX");
	fwt_corim_free(c);
	T_EQ_INT(fwt_corim_parse(ctx, &c, b[1], n[1], NULL), FWT_OK);
	T_EQ_STR(fwt_corim_get_meta(c)->signer_name, "ISSR");
	fwt_corim_free(c);
	/* one NUL in any of them: malformed, naming the field and the offset */
	for (i = 0; i < N_(v); i++) {
		for (k = 0; k < 2; k++) {
			unsigned char *at = find4(b[k], n[k], v[i].marker);
			fwt_err err;
			if (!at)
				continue;
			at[2] = '\0';
			c = NULL;
			err = fwt_corim_parse(ctx, &c, b[k], n[k], NULL);
			if (err != FWT_EFORMAT || !strstr(fwt_ctx_errmsg(ctx), v[i].path) ||
			    !strstr(fwt_ctx_errmsg(ctx), "text holds a NUL character at byte 2"))
				T_FAIL_("%s: %s '%s'", v[i].marker, fwt_err_name(err), fwt_ctx_errmsg(ctx));
			fwt_corim_free(c);
			at[2] = (unsigned char)v[i].marker[2];
			break;
		}
		if (k == 2)
			T_FAIL_("marker %s not built", v[i].marker);
	}
	free(b[0]);
	free(b[1]);
}

static void expect_at(const struct built *o, int64_t at, fwt_err want, const char *msg)
{
	size_t n;
	unsigned char *b = build(o, &n);
	fwt_corim *c = NULL;
	fwt_corim_time_status st = FWT_CORIM_TIME_VALID;
	fwt_err err;

	if (!b || fwt_corim_parse(ctx, &c, b, n, NULL) != FWT_OK) {
		fprintf(stderr, "  FAIL %s: build: %s\n", t_cur_name, fwt_ctx_errmsg(ctx));
		t_cur_failed = 1;
	} else {
		fwt_ctx_clear_error(ctx);
		err = fwt_corim_check_validity(ctx, c, at, NULL, &st);
		if (err != want || (msg && !strstr(fwt_ctx_errmsg(ctx), msg)) ||
		    (st == FWT_CORIM_TIME_VALID) != (want == FWT_OK)) {
			fprintf(stderr, "  FAIL %s: tag %u at %lld: %s '%s', want %s '%s'\n", t_cur_name, o->tag, (long long)at,
			        fwt_err_name(err), fwt_ctx_errmsg(ctx), fwt_err_name(want), msg ? msg : "");
			t_cur_failed = 1;
		}
	}
	fwt_corim_free(c);
	free(b);
}

static void test_check_validity(void)
{
	struct built o;
	fwt_corim_validity w;
	fwt_corim *c = NULL;
	unsigned char *b;
	size_t n;

	/* corim-meta signature-validity 1000..2000, both edges inside */
	memset(&o, 0, sizeof(o));
	o.tag = 18, o.meta = 1, o.mnb = 1000, o.mna = 2000, o.nbf = o.exp = -1;
	expect_at(&o, 999, FWT_EVERIFY, "not yet valid: valid from 1970-01-01T00:16:40Z, checked at 1970-01-01T00:16:39Z");
	expect_at(&o, 1000, FWT_OK, NULL);
	expect_at(&o, 2000, FWT_OK, NULL);
	expect_at(&o, 2001, FWT_EVERIFY, "expired: valid until 1970-01-01T00:33:20Z, checked at 1970-01-01T00:33:21Z");
	/* the same in a COSE_Sign (the published OCP form) */
	o.tag = 98;
	expect_at(&o, 2001, FWT_EVERIFY, "expired: valid until 1970-01-01T00:33:20Z");
	expect_at(&o, 1500, FWT_OK, NULL);
	/* not-after only */
	o.mnb = -1;
	expect_at(&o, 0, FWT_OK, NULL);
	expect_at(&o, 2001, FWT_EVERIFY, "expired");
	/* CWT claims alone: nbf and exp; not accepted on or after exp (RFC
	 * 8392 3.1.4), so the last valid second is exp - 1 */
	memset(&o, 0, sizeof(o));
	o.tag = 18, o.cwt = 1, o.nbf = 1000, o.exp = 2000;
	expect_at(&o, 999, FWT_EVERIFY, "not yet valid: valid from 1970-01-01T00:16:40Z");
	expect_at(&o, 1000, FWT_OK, NULL);
	expect_at(&o, 1999, FWT_OK, NULL);
	expect_at(&o, 2000, FWT_EVERIFY, "expired: valid until 1970-01-01T00:33:19Z, checked at 1970-01-01T00:33:20Z");
	o.nbf = -1;
	expect_at(&o, 0, FWT_OK, NULL);
	/* corim-meta and CWT claims both: each bound counts */
	o.meta = 1, o.mnb = 500, o.mna = 3000, o.nbf = 1000, o.exp = 2000;
	expect_at(&o, 2500, FWT_EVERIFY, "expired: valid until 1970-01-01T00:33:19Z");
	expect_at(&o, 2000, FWT_EVERIFY, "expired: valid until 1970-01-01T00:33:19Z");
	expect_at(&o, 700, FWT_EVERIFY, "not yet valid: valid from 1970-01-01T00:16:40Z");
	expect_at(&o, 1500, FWT_OK, NULL);
	o.mna = 1800;
	expect_at(&o, 1900, FWT_EVERIFY, "valid until 1970-01-01T00:30:00Z");
	/* rim-validity of the corim-map, signed or not */
	memset(&o, 0, sizeof(o));
	o.tag = 18, o.meta = 1, o.mnb = 1000, o.mna = 5000, o.nbf = o.exp = -1, o.rim = 1, o.rnb = 2000, o.rna = 3000;
	expect_at(&o, 1500, FWT_EVERIFY, "not yet valid: valid from 1970-01-01T00:33:20Z");
	expect_at(&o, 3001, FWT_EVERIFY, "expired: valid until 1970-01-01T00:50:00Z");
	expect_at(&o, 2500, FWT_OK, NULL);
	o.tag = 501;
	expect_at(&o, 3001, FWT_EVERIFY, "expired");
	expect_at(&o, 3000, FWT_OK, NULL);
	/* the window is the intersection */
	o.tag = 18;
	b = build(&o, &n);
	T_ASSERT(b && fwt_corim_parse(ctx, &c, b, n, NULL) == FWT_OK);
	T_EQ_INT(fwt_corim_check_validity(ctx, c, 2500, &w, NULL), FWT_OK);
	T_ASSERT(w.has_not_before && w.has_not_after && w.not_before == 2000 && w.not_after == 3000);
	T_EQ_INT(fwt_corim_check_validity(ctx, NULL, 0, NULL, NULL), FWT_EINVAL);
	fwt_corim_free(c);
	free(b);
}

/* A COSE_Sign1 whose payload is detached (nil) is unsupported, not
 * malformed; one self-described CBOR tag (55799) before a CoRIM is
 * skipped, two are not. */
static void test_detached_and_self_described(void)
{
	struct built o;
	unsigned char *b, *p;
	size_t n;
	fwt_corim *c = NULL;
	fwt_err err;

	memset(&o, 0, sizeof(o));
	o.tag = 18, o.meta = 1, o.mnb = 1000, o.mna = 2000, o.nbf = o.exp = -1, o.form = FORM_DETACHED;
	b = build(&o, &n);
	T_ASSERT(b != NULL);
	err = fwt_corim_parse(ctx, &c, b, n, NULL);
	T_EQ_INT(err, FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "the signed CoRIM's payload is detached (nil)") != NULL);
	fwt_corim_free(c);
	free(b);
	for (o.tag = 18; o.tag; o.tag = o.tag == 18 ? 501 : 0) {
		o.form = FORM_NONE;
		b = build(&o, &n);
		T_ASSERT(b != NULL);
		p = malloc(n + 6);
		T_ASSERT(p != NULL);
		memcpy(p, "\xd9\xd9\xf7\xd9\xd9\xf7", 6);
		memcpy(p + 6, b, n);
		c = NULL;
		T_EQ_INT(fwt_corim_parse(ctx, &c, p + 3, n + 3, NULL), FWT_OK);
		T_EQ_INT(c ? fwt_corim_get_kind(c) : 0, o.tag == 18 ? FWT_CORIM_SIGNED : FWT_CORIM_UNSIGNED);
		fwt_corim_free(c);
		c = NULL;
		T_EQ_INT(fwt_corim_parse(ctx, &c, p, n + 6, NULL), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "unexpected tag 55799") != NULL);
		fwt_corim_free(c);
		free(p);
		free(b);
	}
}

/* Times with a fraction narrow their bound: corim-meta not-before 1000.25
 * is valid from 1001, not-after 2000.25 until 2000; CWT nbf 1000.25 from
 * 1001, exp 2000.25 (exclusive) until 1999. */
static void test_fractional_times(void)
{
	struct built o;

	memset(&o, 0, sizeof(o));
	o.tag = 18, o.meta = 1, o.mnb = 1000, o.mna = 2000, o.nbf = o.exp = -1, o.form = FORM_FLOAT_TIMES;
	expect_at(&o, 1000, FWT_EVERIFY, "not yet valid: valid from 1970-01-01T00:16:41Z");
	expect_at(&o, 1001, FWT_OK, NULL);
	expect_at(&o, 2000, FWT_OK, NULL);
	expect_at(&o, 2001, FWT_EVERIFY, "expired: valid until 1970-01-01T00:33:20Z");
	memset(&o, 0, sizeof(o));
	o.tag = 18, o.cwt = 1, o.nbf = 1000, o.exp = 2000, o.form = FORM_FLOAT_TIMES;
	expect_at(&o, 1000, FWT_EVERIFY, "not yet valid: valid from 1970-01-01T00:16:41Z");
	expect_at(&o, 1001, FWT_OK, NULL);
	expect_at(&o, 1999, FWT_OK, NULL);
	expect_at(&o, 2000, FWT_EVERIFY, "expired: valid until 1970-01-01T00:33:19Z");
}

/* A built COSE_Sign1 signed for real with key: the Sig_structure over its
 * protected header and payload as built. */
static unsigned char *build_signed(const struct built *o, fwt_key *k, size_t *on)
{
	cbor_item_t *root = NULL, *msg, *tbs;
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	unsigned char *b, *tb = NULL, sig[132], *out = NULL;
	size_t n, tn, sl = sizeof(sig);

	co.max_depth = 32;
	b = build(o, &n);
	if (!b || fwt__cbor_decode(ctx, b, n, &co, NULL, &root, NULL) != FWT_OK)
		goto out;
	msg = cbor_tag_item(root);
	tbs = fwt__cb_array();
	fwt__cb_push(tbs, txt("Signature1"));
	fwt__cb_push(tbs, cbor_array_get(msg, 0));
	fwt__cb_push(tbs, fwt__cb_bytes("", 0));
	fwt__cb_push(tbs, cbor_array_get(msg, 2));
	tb = enc(tbs, &tn);
	if (tb && fwt_key_sign(k, tb, tn, sig, &sl) == FWT_OK &&
	    cbor_array_replace(msg, 3, cbor_move(fwt__cb_bytes(sig, sl))) &&
	    fwt__cbor_encode_alloc(ctx, root, &out, on) != FWT_OK)
		out = NULL;
	cbor_decref(&msg);
out:
	fwt__cb_free(root);
	free(tb);
	free(b);
	return out;
}

/* A CWT exp beside corim-meta: rim verify enforces it too (signed here). */
static void test_verify_cwt_with_meta(void)
{
	static const char *const key = KEYS "ec-p384.pem";
	fwt_corim_verify_result r;
	fwt_key *k = NULL;
	fwt_trust *t = NULL;
	fwt_corim *c = NULL;
	unsigned char *out;
	size_t on;
	struct built o = { 18, 1, 1, 0, 1000, 3000, -1, 2000, 0, 0, 0, NULL, 0, 0 };

	T_EQ_INT(fwt_key_open(ctx, &k, key, NULL), FWT_OK);
	out = build_signed(&o, k, &on);
	T_ASSERT(out != NULL);
	T_EQ_INT(fwt_corim_parse(ctx, &c, out, on, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, (fwt_pubkey *)fwt_key_pubkey(k)), FWT_OK);
	T_EQ_INT(fwt_corim_verify(ctx, c, t, 1500, &r), FWT_OK);
	T_EQ_INT(r.signature_ok, 1);
	T_EQ_INT(fwt_corim_verify(ctx, c, t, 2500, &r), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired: valid until 1970-01-01T00:33:19Z") != NULL);
	T_EQ_INT(r.status, FWT_CORIM_TIME_EXPIRED);
	T_EQ_INT(r.window.not_after, 1999); /* the CWT exp 2000 is exclusive */
	fwt_corim_free(c);
	fwt_trust_free(t);
	fwt_key_free(k);
	free(out);
}

/* The content type binds the signed bytes to "a RIM": only the protected
 * header's counts.  In the unprotected header (which anyone can add) it is
 * malformed, as when absent, even under a good signature. */
static void test_verify_content_type_protected_only(void)
{
	static const struct {
		int ct;
		fwt_err want;
		const char *msg;
	} v[] = {
		{ 0, FWT_OK, NULL },
		{ 1, FWT_EFORMAT, "the content type is in the unprotected header: a signed CoRIM must carry "
		                  "application/rim+cbor in the protected header" },
		{ 2, FWT_EFORMAT, "the protected header's content type is not application/rim+cbor" },
	};
	fwt_corim_verify_result r;
	fwt_key *k = NULL;
	fwt_trust *t = NULL;
	size_t i;

	T_EQ_INT(fwt_key_open(ctx, &k, KEYS "ec-p384.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, (fwt_pubkey *)fwt_key_pubkey(k)), FWT_OK);
	for (i = 0; i < N_(v); i++) {
		struct built o = { 18, 1, 0, 0, 1000, 3000, -1, -1, 0, 0, 0, NULL, 0, 0 };
		fwt_corim *c = NULL;
		unsigned char *out;
		size_t on;
		fwt_err err;

		o.ct = v[i].ct;
		out = build_signed(&o, k, &on);
		T_ASSERT(out != NULL);
		T_EQ_INT(fwt_corim_parse(ctx, &c, out, on, NULL), FWT_OK);
		fwt_ctx_clear_error(ctx);
		err = fwt_corim_verify(ctx, c, t, 1500, &r);
		if (err != v[i].want || (v[i].msg && strcmp(fwt_ctx_errmsg(ctx), v[i].msg)))
			T_FAIL_("ct %d: %s '%s'", v[i].ct, fwt_err_name(err), fwt_ctx_errmsg(ctx));
		fwt_corim_free(c);
		free(out);
	}
	fwt_trust_free(t);
	fwt_key_free(k);
}

/* Plain text given as a RIM: what it looks like, never read past its end. */
static void test_text_kind(void)
{
#define TK(lit) fwt_corim_text_kind(lit, sizeof(lit) - 1)
	static const char jws[] = "eyJhbGciOiJFUzM4NCJ9.eyJhIjoxfQ.c2lnbmF0dXJlLWJ5dGVz\n";
	static const unsigned char map[] = { 0xa1, 0x01, 0x02 }, tag[] = { 0xd9, 0x01, 0xf5, 0xa0 };
	char buf[64];

	T_EQ_INT(fwt_corim_text_kind(NULL, 0), FWT_TEXT_NONE);
	T_EQ_INT(TK(""), FWT_TEXT_NONE);
	T_EQ_INT(fwt_corim_text_kind(map, sizeof(map)), FWT_TEXT_NONE);
	T_EQ_INT(fwt_corim_text_kind(tag, sizeof(tag)), FWT_TEXT_NONE);
	/* a few printable bytes with no blank may be broken CBOR */
	T_EQ_INT(TK("abc"), FWT_TEXT_NONE);
	memset(buf, 'a', 31);
	T_EQ_INT(fwt_corim_text_kind(buf, 31), FWT_TEXT_NONE);
	memset(buf, 'a', 32);
	T_EQ_INT(fwt_corim_text_kind(buf, 32), FWT_TEXT_OTHER);
	T_EQ_INT(TK("a b"), FWT_TEXT_OTHER);
	/* blanks only: text, and nothing is read past the end */
	T_EQ_INT(TK(" \n\t"), FWT_TEXT_OTHER);
	T_EQ_INT(fwt_corim_text_kind(jws, strlen(jws)), FWT_TEXT_JWS);
	T_EQ_INT(fwt_corim_text_kind(jws, strlen(jws) - 1), FWT_TEXT_JWS);
	/* one dot short, or a character base64url lacks, is other text */
	T_EQ_INT(TK("eyJhbGciOiJFUzM4NCJ9eyJhIjoxfQ.c2lnbmF0dXJlLWJ5dGVz"), FWT_TEXT_OTHER);
	T_EQ_INT(TK("eyJhbGciOiJFUzM4NCJ9.eyJhIjoxfQ.c2lnbmF0dXJlLWJ5d+Vz"), FWT_TEXT_OTHER);
	T_EQ_INT(TK("  {\"a\": 1}\n"), FWT_TEXT_JSON);
	T_EQ_INT(TK("[1, 2]"), FWT_TEXT_JSON);
	/* a control byte (C0 or C1), or bytes that are not UTF-8: not text */
	T_EQ_INT(TK("{\"a\": \x01}"), FWT_TEXT_NONE);
	T_EQ_INT(TK("caf\xc2\x85 au lait"), FWT_TEXT_NONE);
	T_EQ_INT(TK("caf\xe9 au lait"), FWT_TEXT_NONE);
	T_EQ_INT(TK("caf\xc3"), FWT_TEXT_NONE);
	/* UTF-8 beyond ASCII is text; so is a byte order mark before JSON */
	T_EQ_INT(TK("caf\xc3\xa9 au lait"), FWT_TEXT_OTHER);
	T_EQ_INT(TK("{\"v\":\"Acm\xc3\xa9\"}"), FWT_TEXT_NONE); /* short, no blank */
	T_EQ_INT(TK("{\"vendor\": \"Acm\xc3\xa9 Corp\"}"), FWT_TEXT_JSON);
	T_EQ_INT(TK("\xef\xbb\xbf{\"a\":1}"), FWT_TEXT_JSON);
#undef TK
}

/* The CDDL's types, not near ones: cwt-claims needs iss (a tstr) and int
 * keys (a text "exp" would be a bound nobody applies); a validity-map's
 * times are #6.1(number), never untagged or tag 0 text; corim-meta has no
 * key beyond signer and signature-validity. */
static void test_strict_meta_types(void)
{
	static const struct {
		int cwt, form;
		const char *why;
	} v[] = {
		{ 1, FORM_CWT_NO_ISS, "at /CWT-claims: no iss (1)" },
		{ 1, FORM_CWT_TEXT_EXP, "at /CWT-claims: claim key 'exp' is not an integer" },
		{ 1, FORM_CWT_ISS_INT, "at /CWT-claims/iss: not text" },
		{ 1, FORM_CWT_EXP_TEXT, "at /CWT-claims: exp is not a number" },
		{ 1, FORM_CWT_SUB_INT, "at /CWT-claims: sub is not text" },
		{ 0, FORM_META_UNTAGGED, "at /corim-meta/signature-validity: not-after is not a time (#6.1(number))" },
		{ 0, FORM_META_TAG0, "at /corim-meta/signature-validity: not-after is not a time (#6.1(number))" },
		{ 0, FORM_META_KEY2, "at /corim-meta: unknown key 2" },
		{ 0, FORM_RIM_UNTAGGED, "at /rim-validity: not-after is not a time (#6.1(number))" },
		{ 0, FORM_URI_UNTAGGED, "at /corim-meta/signer-uri: not a URI: the CDDL's uri is #6.32(tstr)" },
	};
	struct built o;
	unsigned char *b;
	size_t n, i;
	fwt_corim *c;
	fwt_err err;

	for (i = 0; i < N_(v); i++) {
		memset(&o, 0, sizeof(o));
		o.tag = 18, o.meta = !v[i].cwt, o.cwt = v[i].cwt, o.mnb = 1000, o.mna = 2000, o.nbf = 1000, o.exp = 2000;
		o.rim = v[i].form == FORM_RIM_UNTAGGED, o.rnb = 1000, o.rna = 2000;
		b = build(&o, &n);
		T_ASSERT(b != NULL);
		c = NULL;
		T_EQ_INT(fwt_corim_parse(ctx, &c, b, n, NULL), FWT_OK); /* as built: well-typed */
		fwt_corim_free(c);
		free(b);
		o.form = v[i].form;
		b = build(&o, &n);
		T_ASSERT(b != NULL);
		c = NULL;
		err = fwt_corim_parse(ctx, &c, b, n, NULL);
		if (err != FWT_EFORMAT || !strstr(fwt_ctx_errmsg(ctx), v[i].why))
			T_FAIL_("form %d: %s '%s'", v[i].form, fwt_err_name(err), fwt_ctx_errmsg(ctx));
		fwt_corim_free(c);
		/* shown (lenient) as older encoders wrote times; nothing else */
		{
			fwt_corim_options lo = FWT_CORIM_OPTIONS_INIT;
			int time_form = v[i].form == FORM_META_UNTAGGED || v[i].form == FORM_META_TAG0 ||
			                v[i].form == FORM_RIM_UNTAGGED || v[i].form == FORM_URI_UNTAGGED;
			lo.flags = FWT_CORIM_LENIENT_CBOR;
			c = NULL;
			T_EQ_INT(fwt_corim_parse(ctx, &c, b, n, &lo), time_form ? FWT_OK : FWT_EFORMAT);
			fwt_corim_free(c);
		}
		free(b);
	}
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_text_kind);
	T_RUN(test_strict_meta_types);
	T_RUN(test_veraison_all_decode);
	T_RUN(test_veraison_fields);
	T_RUN(test_veraison_verify);
	T_RUN(test_ocp_sfr);
	T_RUN(test_hirs);
	T_RUN(test_malformed);
	T_RUN(test_json_big_uints);
	T_RUN(test_mask_length);
	T_RUN(test_svn_range);
	T_RUN(test_oid_arcs);
	T_RUN(test_item_budget);
	T_RUN(test_create);
	T_RUN(test_create_refusals);
	T_RUN(test_create_big_oid);
	T_RUN(test_create_repeated_key);
	T_RUN(test_create_read_back);
	T_RUN(test_create_rawvals);
	T_RUN(test_create_options_v1);
	T_RUN(test_create_rawval_refusals);
	T_RUN(test_sign_verify);
	T_RUN(test_sign_refusals);
	T_RUN(test_unsigned_not_verified);
	T_RUN(test_digest_alg_names);
	T_RUN(test_nul_in_text);
	T_RUN(test_check_validity);
	T_RUN(test_detached_and_self_described);
	T_RUN(test_fractional_times);
	T_RUN(test_verify_cwt_with_meta);
	T_RUN(test_verify_content_type_protected_only);
	fwt_ctx_free(ctx);
	return t_done();
}
