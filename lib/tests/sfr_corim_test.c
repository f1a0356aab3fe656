/* SPDX-License-Identifier: Apache-2.0 */
/* sfr_corim_test.c - the CoRIM form of Short Form Reports: round trips (the
 * fixture and every published JSON report), the published COSE_Sign report,
 * the profile's forms, wrong types and shapes with their paths, truncation,
 * the fields the CoRIM form requires, NUL in the report's texts, and COSE
 * signing and verification with the signed validity. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>
#include "../cbor_internal.h"
#include "t.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static fwt_ctx *ctx;

#define MS_DIR "/corim/ocp-safe/microsoft/"
#define MS_BASE "2026-04-21_Microsoft-Corporation_Microsoft-HSM-Cryptographic-Module-Layer-0-RoT_Final-Report"

static fwt_sfr *load_json(const char *path)
{
	size_t n;
	unsigned char *b = t_slurp(path, &n);
	fwt_sfr *s = NULL;

	if (b && fwt_sfr_from_json(ctx, &s, b, n, path) != FWT_OK)
		s = NULL;
	free(b);
	return s;
}

static int eq_text(const char *a, size_t an, const char *b, size_t bn)
{
	if (!a)
		a = "", an = 0;
	if (!b)
		b = "", bn = 0;
	return an == bn && !memcmp(a, b, an);
}

/* Every field the CDDL carries is the same in a and b (absent and "" are
 * one; hashes compared as bytes; the scope as a number).  Returns the name
 * of the first difference, or NULL. */
static const char *carried_diff(const fwt_sfr *a, const fwt_sfr *b)
{
	static const fwt_sfr_field text[] = { FWT_SFR_FRAMEWORK_VERSION, FWT_SFR_VENDOR, FWT_SFR_PRODUCT,
		                              FWT_SFR_REPO_TAG, FWT_SFR_FW_VERSION, FWT_SFR_SRP,
		                              FWT_SFR_COMPLETION_DATE, FWT_SFR_REPORT_VERSION };
	static const fwt_sfr_issue_field itext[] = { FWT_SFR_ISSUE_TITLE, FWT_SFR_ISSUE_DESCRIPTION,
		                                     FWT_SFR_ISSUE_CVSS_SCORE, FWT_SFR_ISSUE_CVSS_VECTOR,
		                                     FWT_SFR_ISSUE_CWE, FWT_SFR_ISSUE_CVE };
	unsigned char ha[64], hb[64];
	long long sa, sb;
	size_t i, k, an, bn;
	const char *x, *y;

	for (i = 0; i < NELEM(text); i++) {
		x = fwt_sfr_get(a, text[i], &an);
		y = fwt_sfr_get(b, text[i], &bn);
		if (!eq_text(x, an, y, bn))
			return fwt_sfr_field_path(a, text[i]);
	}
	if (fwt_sfr_scope(a, &sa) || fwt_sfr_scope(b, &sb) || sa != sb)
		return "scope";
	for (i = 0; i < 2; i++) {
		fwt_digest_alg alg = i ? FWT_DIGEST_SHA512 : FWT_DIGEST_SHA384;
		fwt_err ea = fwt_sfr_fw_hash(a, alg, ha), eb = fwt_sfr_fw_hash(b, alg, hb);
		if (ea != eb || (!ea && memcmp(ha, hb, fwt_digest_size(alg))))
			return i ? "fw_hash_sha2_512" : "fw_hash_sha2_384";
	}
	if (fwt_sfr_issue_count(a) != fwt_sfr_issue_count(b))
		return "issue count";
	if (fwt_sfr_issue_count(a)) {
		x = fwt_sfr_get(a, FWT_SFR_CVSS_VERSION, &an);
		y = fwt_sfr_get(b, FWT_SFR_CVSS_VERSION, &bn);
		if (!eq_text(x, an, y, bn))
			return "cvss_version";
	}
	for (i = 0; i < fwt_sfr_issue_count(a); i++)
		for (k = 0; k < NELEM(itext); k++) {
			x = fwt_sfr_issue_get(a, i, itext[k], &an);
			y = fwt_sfr_issue_get(b, i, itext[k], &bn);
			if (!eq_text(x, an, y, bn))
				return fwt_sfr_issue_field_name(itext[k]);
		}
	if (fwt_sfr_has_manifest(a) != fwt_sfr_has_manifest(b) ||
	    fwt_sfr_manifest_count(a) != fwt_sfr_manifest_count(b))
		return "manifest";
	for (i = 0; i < fwt_sfr_manifest_count(a); i++) {
		x = fwt_sfr_manifest_name(a, i, &an);
		y = fwt_sfr_manifest_name(b, i, &bn);
		if (!eq_text(x, an, y, bn) || memcmp(fwt_sfr_manifest_hash(a, i), fwt_sfr_manifest_hash(b, i), 64))
			return "manifest entry";
	}
	return NULL;
}

static void test_fixture_roundtrip(void)
{
	fwt_sfr *s = load_json("testdata/sfr/bmc-report.json"), *back = NULL;
	unsigned char *a = NULL, *b = NULL, *c = NULL;
	size_t al, bl, cl, n;

	T_ASSERT(s);
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &a, &al), FWT_OK);
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &b, &bl), FWT_OK);
	T_ASSERT(al == bl && !memcmp(a, b, al)); /* deterministic */
	T_EQ_INT(fwt_sfr_from_corim(ctx, &back, a, al, "bmc.corim"), FWT_OK);
	T_ASSERT(carried_diff(s, back) == NULL);
	/* not carried: category, methodology */
	T_ASSERT(fwt_sfr_get(s, FWT_SFR_CATEGORY, &n) && !fwt_sfr_get(back, FWT_SFR_CATEGORY, &n));
	T_ASSERT(!fwt_sfr_get(back, FWT_SFR_METHODOLOGY, &n));
	/* and the same bytes again from the decoded report */
	T_EQ_INT(fwt_sfr_to_corim(ctx, back, NULL, &c, &cl), FWT_OK);
	T_ASSERT(cl == al && !memcmp(a, c, al));
	/* the tag 501 head and the profile bytes are there */
	T_ASSERT(al > 3 && a[0] == 0xd9 && a[1] == 0x01 && a[2] == 0xf5);
	for (n = 0; n + FWT_SFR_CORIM_PROFILE_DER_LEN <= al; n++)
		if (!memcmp(a + n, FWT_SFR_CORIM_PROFILE_DER, FWT_SFR_CORIM_PROFILE_DER_LEN))
			break;
	T_ASSERT(n + FWT_SFR_CORIM_PROFILE_DER_LEN <= al);
	free(a);
	free(b);
	free(c);
	fwt_sfr_free(back);
	fwt_sfr_free(s);
}

/* Why a report cannot be in the CoRIM form, from the model alone. */
static int lacks_required(const fwt_sfr *s)
{
	unsigned char h[64];
	long long sc;
	int64_t t;
	size_t n;
	const char *d = fwt_sfr_get(s, FWT_SFR_COMPLETION_DATE, &n);

	return fwt_sfr_scope(s, &sc) != FWT_OK || !d || fwt_time_parse_rfc3339(d, n, &t) != FWT_OK ||
	       (fwt_sfr_fw_hash(s, FWT_DIGEST_SHA384, h) && fwt_sfr_fw_hash(s, FWT_DIGEST_SHA512, h));
}

static void walk(const char *dir, size_t *ok, size_t *refused, size_t *manifests, size_t *bad)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[1024];

	while (d && (de = readdir(d))) {
		size_t l = strlen(de->d_name), len;
		unsigned char *cb = NULL;
		fwt_sfr *s, *back = NULL;
		const char *diff;
		fwt_err err;
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR) {
			walk(p, ok, refused, manifests, bad);
			continue;
		}
		if (l < 5 || strcmp(de->d_name + l - 5, ".json") || !strcmp(de->d_name, "EXPECTED.json"))
			continue;
		if (!(s = load_json(p))) {
			fprintf(stderr, "  %s: %s\n", p, fwt_ctx_errmsg(ctx));
			(*bad)++;
			continue;
		}
		err = fwt_sfr_to_corim(ctx, s, NULL, &cb, &len);
		if (err) {
			if (err != FWT_EFORMAT || !lacks_required(s)) {
				fprintf(stderr, "  %s: refused without cause: %s\n", p, fwt_ctx_errmsg(ctx));
				(*bad)++;
			}
			(*refused)++;
		} else if (fwt_sfr_from_corim(ctx, &back, cb, len, p) != FWT_OK) {
			fprintf(stderr, "  %s: %s\n", p, fwt_ctx_errmsg(ctx));
			(*bad)++;
		} else if ((diff = carried_diff(s, back)) != NULL) {
			fprintf(stderr, "  %s: %s differs after the round trip\n", p, diff);
			(*bad)++;
		} else {
			(*ok)++;
			*manifests += fwt_sfr_has_manifest(back);
		}
		free(cb);
		fwt_sfr_free(back);
		fwt_sfr_free(s);
	}
	if (d)
		closedir(d);
}

static void test_corpus_roundtrip(void)
{
	size_t ok = 0, refused = 0, manifests = 0, bad = 0;
	char p[512];

	if (!t_corpora())
		T_SKIP("../shared/corpora not found");
	snprintf(p, sizeof(p), "%s/sfr/Reports", t_corpora());
	walk(p, &ok, &refused, &manifests, &bad);
	snprintf(p, sizeof(p), "%s/sfr/shortform_report-main", t_corpora());
	walk(p, &ok, &refused, &manifests, &bad);
	fprintf(stderr, "  %zu published reports round-trip, %zu lack what the profile requires\n", ok, refused);
	T_EQ_INT(bad, 0);
	T_ASSERT(ok >= 11);
	T_ASSERT(manifests >= 2); /* R&S and the manifest sample */
}

static void test_published_cose_sign(void)
{
	char p[512];
	unsigned char *b;
	size_t n;
	fwt_sfr *s = NULL, *json;
	fwt_trust *t = NULL;
	fwt_sfr_verify_options vo = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_result r;

	if (!t_corpora())
		T_SKIP("../shared/corpora not found");
	snprintf(p, sizeof(p), "%s" MS_DIR MS_BASE ".json", t_corpora());
	json = load_json(p);
	T_ASSERT(json);
	snprintf(p, sizeof(p), "%s" MS_DIR MS_BASE "_signed.cbor", t_corpora());
	b = t_slurp(p, &n);
	T_ASSERT(b);
	T_EQ_INT(fwt_sfr_from_corim(ctx, &s, b, n, "ms"), FWT_OK);
	T_ASSERT(carried_diff(json, s) == NULL);
	fwt_sfr_free(s);
	fwt_sfr_free(json);
	/* lenient: ES512 inferred from the Tetrel key; strict: refused */
	snprintf(p, sizeof(p), "%s/sfr/SRP_certificates", t_corpora());
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, p), FWT_OK);
	vo.trust = t;
	vo.require_signature = 1;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, b, n, "ms", &r), FWT_OK);
	T_EQ_INT(r.format, FWT_SFR_FORMAT_COSE_SIGN);
	T_ASSERT(r.is_signed && r.sig_checked && r.alg_inferred && !r.is_jws);
	T_EQ_INT(r.alg, FWT_SIG_ES512);
	T_ASSERT(strstr(fwt_pubkey_name(r.key), "tetrel-ocp-sfr-signing-key.pub") != NULL);
	T_EQ_STR(r.kid, "tetrel-ocp-sfr-signing-key");
	fwt_sfr_result_clear(&r);
	vo.flags = FWT_SFR_VERIFY_STRICT;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, b, n, "ms", &r), FWT_EVERIFY);
	T_ASSERT(strstr(r.message, "no alg") != NULL);
	T_ASSERT(r.sfr != NULL); /* kept for display */
	fwt_sfr_result_clear(&r);
	/* version 1 of the options has no flags: lenient */
	vo.version = 1;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, b, n, "ms", &r), FWT_OK);
	fwt_sfr_result_clear(&r);
	fwt_trust_free(t);
	/* another provider's key alone: no */
	snprintf(p, sizeof(p), "%s/sfr/SRP_certificates/Active/NCC_Group", t_corpora());
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, p), FWT_OK);
	vo.version = FWT_SFR_VERIFY_OPTIONS_VERSION;
	vo.flags = 0;
	vo.trust = t;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, b, n, "ms", &r), FWT_EVERIFY);
	fwt_sfr_result_clear(&r);
	fwt_trust_free(t);
	free(b);
}

/* ---- hand-made variants of the fixture's CoRIM ---- */

static unsigned char *good;
static size_t good_len;

/* A copy of map m with key set to v (NULL: removed). */
static cbor_item_t *with(const cbor_item_t *m, int64_t key, cbor_item_t *v)
{
	cbor_item_t *n = fwt__cb_map();
	size_t i;
	int64_t k;

	for (i = 0; i < fwt__cbor_len(m); i++)
		if (!fwt__cbor_int(fwt__cbor_key(m, i), &k) || k != key)
			fwt__cb_put(n, cbor_incref(fwt__cbor_key(m, i)), cbor_incref(fwt__cbor_val(m, i)));
	if (v)
		fwt__cb_puti(n, key, v);
	return n;
}

/* A copy of array a with element i set to v. */
static cbor_item_t *with_at(const cbor_item_t *a, size_t i, cbor_item_t *v)
{
	cbor_item_t *n = fwt__cb_array();
	size_t k;

	for (k = 0; k < fwt__cbor_len(a); k++)
		fwt__cb_push(n, k == i ? v : cbor_incref(fwt__cbor_at(a, k)));
	if (i == fwt__cbor_len(a)) /* append */
		fwt__cb_push(n, v);
	return n;
}

/* Replace what path (map keys and array indexes from the CoMID) leads to
 * with v (NULL: remove the map entry), returning the new container. */
static cbor_item_t *set_path(const cbor_item_t *at, const int64_t *path, size_t n, cbor_item_t *v)
{
	cbor_item_t *child;

	if (cbor_isa_array(at)) {
		child = n == 1 ? v : set_path(fwt__cbor_at(at, (size_t)path[0]), path + 1, n - 1, v);
		return with_at(at, (size_t)path[0], child);
	}
	child = n == 1 ? v : set_path(fwt__cbor_get(at, path[0]), path + 1, n - 1, v);
	return with(at, path[0], child);
}

/* The CoMID path to the SFR map. */
static const int64_t to_sfr[] = { 4, 10, 0, 1, 0, 1, 0, 1, -1 };

/* The fixture's CoRIM with the CoMID item at path (from the CoMID root,
 * to_sfr first when sfr is set) set to v; *len gets its size. */
static unsigned char *variant(int sfr, const int64_t *path, size_t n, cbor_item_t *v, size_t *len)
{
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	int64_t full[24];
	cbor_item_t *root = NULL, *comid = NULL, *nc, *content, *tags, *corim;
	const unsigned char *b;
	unsigned char *cb = NULL, *out = NULL;
	size_t bn, cl, k = 0;
	uint64_t tag;

	if (sfr)
		for (; k < NELEM(to_sfr); k++)
			full[k] = to_sfr[k];
	memcpy(full + k, path, n * sizeof(*path));
	co.max_depth = 32;
	if (fwt__cbor_decode(ctx, good, good_len, &co, NULL, &root, NULL) || !fwt__cbor_tag(root, &tag, &content))
		return NULL;
	tags = fwt__cbor_get(content, 1);
	fwt__cbor_tag(fwt__cbor_at(tags, 0), &tag, &content);
	fwt__cbor_bytes(content, &b, &bn);
	if (fwt__cbor_decode(ctx, b, bn, &co, NULL, &comid, NULL))
		return NULL;
	nc = k + n ? set_path(comid, full, k + n, v) : cbor_incref(v);
	if (fwt__cbor_encode_alloc(ctx, nc, &cb, &cl) == FWT_OK) {
		cbor_item_t *nt = fwt__cb_array();
		fwt__cb_push(nt, fwt__cb_tag(506, fwt__cb_bytes(cb, cl)));
		fwt__cbor_tag(root, &tag, &content);
		corim = fwt__cb_tag(501, with(content, 1, nt));
		if (fwt__cbor_encode_alloc(ctx, corim, &out, len) != FWT_OK)
			out = NULL;
		fwt__cb_free(corim);
	}
	if (!n && !k)
		fwt__cb_free(v);
	free(cb);
	fwt__cb_free(nc);
	fwt__cb_free(comid);
	fwt__cb_free(root);
	return out;
}

/* Decoding the variant gives err, and the message holds what. */
static int expect(int sfr, const int64_t *path, size_t n, cbor_item_t *v, fwt_err err, const char *what)
{
	size_t len = 0;
	unsigned char *b = variant(sfr, path, n, v, &len);
	fwt_sfr *s = NULL;
	fwt_err got;
	int ok;

	if (!b) {
		fprintf(stderr, "  cannot build the variant for '%s'\n", what);
		return 0;
	}
	got = fwt_sfr_from_corim(ctx, &s, b, len, NULL);
	ok = got == err && (!what || strstr(fwt_ctx_errmsg(ctx), what));
	if (!ok)
		fprintf(stderr, "  want %s '%s', got %s: %s\n", fwt_err_name(err), what ? what : "", fwt_err_name(got),
		        fwt_ctx_errmsg(ctx));
	fwt_sfr_free(s);
	free(b);
	return ok;
}

#define P(...) ((const int64_t[]){ __VA_ARGS__ }), (sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t))

static cbor_item_t *digest(int64_t alg, size_t n, unsigned char fill)
{
	unsigned char v[64];
	cbor_item_t *a = fwt__cb_array(), *d = fwt__cb_array();

	memset(v, fill, sizeof(v));
	fwt__cb_push(d, fwt__cb_int(alg));
	fwt__cb_push(d, fwt__cb_bytes(v, n));
	fwt__cb_push(a, d);
	return a;
}

static void setup_good(void)
{
	fwt_sfr *s = load_json("testdata/sfr/bmc-report.json");

	free(good);
	good = NULL;
	if (s && fwt_sfr_to_corim(ctx, s, NULL, &good, &good_len) != FWT_OK)
		good = NULL;
	fwt_sfr_free(s);
}

static void test_sfr_map_types(void)
{
	setup_good();
	T_ASSERT(good);
	T_ASSERT(expect(1, P(0), NULL, FWT_EFORMAT, "review-framework-version (key 0) is missing"));
	T_ASSERT(expect(1, P(0), fwt__cb_bytes("1.1", 3), FWT_EFORMAT, "/ocp-safe-sfr/review-framework-version: not text"));
	T_ASSERT(expect(1, P(1), fwt__cb_int(1), FWT_EFORMAT, "report-version: not text"));
	T_ASSERT(expect(1, P(2), fwt__cb_tag(0, fwt__cb_text("2026-03-14T00:00:00Z", (size_t)-1)), FWT_EFORMAT,
	                "completion-date: not a time (tag 1)"));
	T_ASSERT(expect(1, P(2), fwt__cb_tag(1, fwt__cb_text("x", 1)), FWT_EFORMAT, "a time is 1(seconds)"));
	T_ASSERT(expect(1, P(2), NULL, FWT_EFORMAT, "completion-date: missing"));
	/* a year of five digits would be cut to no date at all */
	T_ASSERT(expect(1, P(2), fwt__cb_tag(1, fwt__cb_int(253402300800LL)), FWT_EFORMAT,
	                "completion-date: 1(253402300800) is outside the years 0000 to 9999"));
	T_ASSERT(expect(1, P(2), fwt__cb_tag(1, fwt__cb_int(-62167219201LL)), FWT_EFORMAT,
	                "is outside the years 0000 to 9999"));
	T_ASSERT(expect(1, P(3), fwt__cb_text("1", 1), FWT_EFORMAT, "scope-number: not an integer"));
	T_ASSERT(expect(1, P(3), NULL, FWT_EFORMAT, "scope-number: missing"));
	/* negative: malformed, as in the JSON form (convert wrote "-1", a string) */
	T_ASSERT(expect(1, P(3), fwt__cb_int(-1), FWT_EFORMAT, "malformed SFR CoRIM at /ocp-safe-sfr/scope-number: "
	                "negative (-1)"));
	T_ASSERT(expect(1, P(3), fwt__cb_int(INT64_MIN), FWT_EFORMAT, "scope-number: negative"));
	T_ASSERT(expect(1, P(3), fwt__cb_int(0), FWT_OK, NULL));
	T_ASSERT(expect(1, P(4), fwt__cb_array(), FWT_EFORMAT, "fw-identifiers: an empty array"));
	T_ASSERT(expect(1, P(4, 0), fwt__cb_map(), FWT_EFORMAT, "fw-identifiers/0: an empty map"));
	T_ASSERT(expect(1, P(4, 1), fwt__cb_map(), FWT_EUNSUPPORTED, "2 fw-identifiers"));
	T_ASSERT(expect(1, P(4, 0, 0, 0), fwt__cb_int(3), FWT_EFORMAT, "fw-version/version: not text"));
	T_ASSERT(expect(1, P(4, 0, 0, 1), fwt__cb_bytes("x", 1), FWT_EFORMAT, "version-scheme"));
	T_ASSERT(expect(1, P(4, 0, 1), digest(-43, 47, 1), FWT_EFORMAT, "fw-file-digests/0: a sha384 digest is 47 bytes"));
	T_ASSERT(expect(1, P(4, 0, 1), digest(-43, 48, 1), FWT_EFORMAT, "differs from the condition"));
	T_ASSERT(expect(1, P(4, 0, 1, 0, 1), fwt__cb_text("x", 1), FWT_EFORMAT, "a digest value is a byte string"));
	T_ASSERT(expect(1, P(4, 0, 1, 1), fwt__cb_int(5), FWT_EFORMAT, "a digest is [alg, value]"));
	T_ASSERT(expect(1, P(4, 0, 2), fwt__cb_int(2), FWT_EFORMAT, "repo-tag: not text"));
	T_ASSERT(expect(1, P(4, 0, 2), fwt__cb_text("a\0b", 3), FWT_EFORMAT, "NUL"));
	T_ASSERT(expect(1, P(5), fwt__cb_array(), FWT_EFORMAT, "issues: an empty array"));
	T_ASSERT(expect(1, P(5, 0, 2), NULL, FWT_EFORMAT, "issues/0: assessment (key 2) is missing"));
	T_ASSERT(expect(1, P(5, 0, 2), fwt__cb_text("7.8", 3), FWT_EFORMAT, "issues/0/assessment: not a map"));
	T_ASSERT(expect(1, P(5, 1, 0), fwt__cb_int(1), FWT_EFORMAT, "issues/1/title: not text"));
	T_ASSERT(expect(1, P(5, 0, 2, 1), NULL, FWT_EFORMAT, "issues/0/assessment: cvss-vector (key 1) is missing"));
	T_ASSERT(expect(1, P(5, 1, 2, 2), fwt__cb_text("4.0", 3), FWT_EUNSUPPORTED, "different CVSS versions"));
	T_ASSERT(expect(1, P(6), fwt__cb_int(1), FWT_EFORMAT, "solid-version: not text"));
	/* accepted: a float time, a named-information digest id, an unknown
	 * algorithm (skipped), an extension key, a solid-version */
	T_ASSERT(expect(1, P(2), fwt__cb_tag(1, cbor_build_float8(1773446400.5)), FWT_OK, NULL));
	T_ASSERT(expect(1, P(4, 0, 1, 0, 0), fwt__cb_int(7), FWT_OK, NULL));
	T_ASSERT(expect(1, P(4, 0, 1, 0, 0), fwt__cb_int(-16), FWT_OK, NULL));
	T_ASSERT(expect(1, P(99), fwt__cb_text("ext", 3), FWT_OK, NULL));
	T_ASSERT(expect(1, P(6), fwt__cb_text("1.0", 3), FWT_OK, NULL));
}

/* [env {class: {vendor}}, [{1: {2: [[-43, ...]]}}]]: a triple record */
static cbor_item_t *record(const char *vendor)
{
	cbor_item_t *r = fwt__cb_array(), *env = fwt__cb_map(), *cls = fwt__cb_map(), *l = fwt__cb_array(),
	            *mm = fwt__cb_map(), *mv = fwt__cb_map();

	fwt__cb_puti(cls, 1, fwt__cb_text(vendor, (size_t)-1));
	fwt__cb_puti(env, 0, cls);
	fwt__cb_puti(mv, 2, digest(-43, 48, 1));
	fwt__cb_puti(mm, 1, mv);
	fwt__cb_push(l, mm);
	fwt__cb_push(r, env);
	fwt__cb_push(r, l);
	return r;
}

static void test_shapes(void)
{
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	cbor_item_t *root = NULL, *content, *m;
	unsigned char *b = NULL;
	fwt_sfr *s = NULL;
	uint64_t tag;
	size_t len;

	setup_good();
	T_ASSERT(good);
	/* the SFR map moved, gone, or not a map */
	m = fwt__cb_map();
	fwt__cb_puti(m, 1, fwt__cb_uint(5)); /* svn instead */
	T_ASSERT(expect(0, P(4, 10, 0, 1, 0, 1, 0, 1), m, FWT_EFORMAT, "no ocp-safe-sfr map"));
	T_ASSERT(expect(1, P(), fwt__cb_text("x", 1), FWT_EFORMAT, "/ocp-safe-sfr: not a map"));
	/* the condition and the endorsement for different environments */
	T_ASSERT(expect(0, P(4, 10, 0, 0, 0, 0, 0, 1), fwt__cb_text("Other", 5), FWT_EFORMAT, "different environments"));
	/* two conditions; two endorsements; a second measurement; a reference
	 * triple besides; a second conditional triple */
	T_ASSERT(expect(0, P(4, 10, 0, 0, 1), record("ACME Inc"), FWT_EFORMAT, "1 endorsements, not one each"));
	T_ASSERT(expect(0, P(4, 10, 0, 1, 1), record("ACME Inc"), FWT_EFORMAT, "2 endorsements, not one each"));
	T_ASSERT(expect(0, P(4, 10, 0, 0, 0, 1, 1), fwt__cb_map(), FWT_EFORMAT, NULL));
	m = fwt__cb_array();
	fwt__cb_push(m, record("ACME Inc"));
	T_ASSERT(expect(0, P(4, 0), m, FWT_EFORMAT, "exactly one conditional-endorsement triple"));
	T_ASSERT(expect(0, P(4, 10, 1), fwt__cb_array(), FWT_EFORMAT, NULL));
	/* the condition without SHA-384/512, or with another digest beside
	 * them: one fwtrail does not check against the image (exit 6) */
	T_ASSERT(expect(0, P(4, 10, 0, 0, 0, 1, 0, 1, 2), digest(-16, 32, 1), FWT_EUNSUPPORTED,
	                "another algorithm than SHA-384 or SHA-512 (sha-256)"));
	{
		cbor_item_t *other = digest(-99, 32, 2);
		m = digest(-43, 48, 1);
		fwt__cb_push(m, cbor_incref(fwt__cbor_at(other, 0)));
		fwt__cb_free(other);
	}
	T_ASSERT(expect(0, P(4, 10, 0, 0, 0, 1, 0, 1, 2), m, FWT_EUNSUPPORTED, "(alg(-99))"));
	/* a bare CoMID is not an SFR */
	co.max_depth = 32;
	T_EQ_INT(fwt__cbor_decode(ctx, good, good_len, &co, NULL, &root, NULL), FWT_OK);
	fwt__cbor_tag(root, &tag, &content);
	T_EQ_INT(fwt__cbor_encode_alloc(ctx, fwt__cbor_at(fwt__cbor_get(content, 1), 0), &b, &len), FWT_OK);
	T_EQ_INT(fwt_sfr_from_corim(ctx, &s, b, len, NULL), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "bare CoMID") != NULL);
	/* two CoMIDs */
	free(b);
	b = NULL;
	{
		cbor_item_t *tags = fwt__cbor_get(content, 1), *two = fwt__cb_array(), *t;
		fwt__cb_push(two, cbor_incref(fwt__cbor_at(tags, 0)));
		fwt__cb_push(two, cbor_incref(fwt__cbor_at(tags, 0)));
		t = fwt__cb_tag(501, with(content, 1, two));
		T_EQ_INT(fwt__cbor_encode_alloc(ctx, t, &b, &len), FWT_OK);
		fwt__cb_free(t);
	}
	T_EQ_INT(fwt_sfr_from_corim(ctx, &s, b, len, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "exactly one CoMID") != NULL);
	free(b);
	fwt__cb_free(root);
}

/* The profile: the four accepted byte forms, another OID, none. */
static void test_profile(void)
{
	static const struct {
		const char *b;
		size_t n;
		fwt_err want;
	} forms[] = {
		{ "\x06\x0a\x2b\x06\x01\x04\x01\x82\xf4\x17\x01\x01", 12, FWT_OK },
		{ "\x2b\x06\x01\x04\x01\x82\xf4\x17\x01\x01", 10, FWT_OK },
		{ "\x06\x0a\x2b\x06\x01\x04\x01\x82\xcc\x7f\x01\x01", 12, FWT_OK },
		{ "\x2b\x06\x01\x04\x01\x82\xcc\x7f\x01\x01", 10, FWT_OK },
		{ "\x2b\x06\x01\x04\x01\x82\xcc\x7f\x01\x02", 10, FWT_EUNSUPPORTED },
		{ NULL, 0, FWT_EUNSUPPORTED },
	};
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	size_t i, len;

	setup_good();
	T_ASSERT(good);
	for (i = 0; i < NELEM(forms); i++) {
		cbor_item_t *root = NULL, *content, *n, *t;
		unsigned char *b = NULL;
		fwt_sfr *s = NULL;
		uint64_t tag;
		fwt_err got;
		co.max_depth = 32;
		T_EQ_INT(fwt__cbor_decode(ctx, good, good_len, &co, NULL, &root, NULL), FWT_OK);
		fwt__cbor_tag(root, &tag, &content);
		n = with(content, 3, forms[i].b ? fwt__cb_tag(111, fwt__cb_bytes(forms[i].b, forms[i].n)) : NULL);
		t = fwt__cb_tag(501, n);
		T_EQ_INT(fwt__cbor_encode_alloc(ctx, t, &b, &len), FWT_OK);
		got = fwt_sfr_from_corim(ctx, &s, b, len, NULL);
		if (got != forms[i].want)
			fprintf(stderr, "  form %zu: %s\n", i, fwt_ctx_errmsg(ctx));
		T_EQ_INT(got, forms[i].want);
		if (got)
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not an OCP SAFE SFR") != NULL);
		fwt_sfr_free(s);
		free(b);
		fwt__cb_free(t);
		fwt__cb_free(root);
	}
}

/* Every prefix is refused; every one-byte change is refused or reads as a
 * report (never a crash, never a read past the end). */
static void test_truncation_and_flips(void)
{
	unsigned char *b;
	size_t i, ok = 0;
	fwt_sfr *s;

	setup_good();
	T_ASSERT(good);
	for (i = 0; i < good_len; i++) {
		s = NULL;
		b = malloc(i ? i : 1);
		memcpy(b, good, i);
		T_ASSERT(fwt_sfr_from_corim(ctx, &s, b, i, NULL) != FWT_OK && s == NULL);
		free(b);
	}
	b = malloc(good_len);
	for (i = 0; i < good_len; i++) {
		s = NULL;
		memcpy(b, good, good_len);
		b[i] ^= 0x41;
		if (fwt_sfr_from_corim(ctx, &s, b, good_len, NULL) == FWT_OK)
			ok++;
		fwt_sfr_free(s);
	}
	free(b);
	T_ASSERT(ok < good_len / 2);
}

static void test_required_for_corim(void)
{
	static const struct {
		fwt_sfr_field f;
		const char *v;
		const char *why;
	} cases[] = {
		{ FWT_SFR_SCOPE, NULL, "requires $.audit.scope_number" },
		{ FWT_SFR_SCOPE, "3.1", "$.audit.scope_number is not a whole number" },
		{ FWT_SFR_COMPLETION_DATE, "None", "$.audit.completion_date 'None' is not a date" },
		{ FWT_SFR_COMPLETION_DATE, "2026-03-14T12:00:00+14:00", "$.audit.completion_date '2026-03-14T12:00:00+14:00' is not a date" },
		{ FWT_SFR_COMPLETION_DATE, NULL, "requires $.audit.completion_date" },
		{ FWT_SFR_FRAMEWORK_VERSION, NULL, "requires $.review_framework_version" },
		{ FWT_SFR_REPORT_VERSION, NULL, "requires $.audit.report_version" },
		{ FWT_SFR_FW_HASH_SHA384, "12", "fw_hash_sha2_384 is not a sha384 digest" },
	};
	unsigned char *out = NULL;
	size_t i, len;
	fwt_sfr *s;

	for (i = 0; i < NELEM(cases); i++) {
		s = load_json("testdata/sfr/bmc-report.json");
		T_ASSERT(s);
		T_EQ_INT(fwt_sfr_set(s, cases[i].f, cases[i].v, cases[i].v ? strlen(cases[i].v) : 0), FWT_OK);
		T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &out, &len), FWT_EFORMAT);
		if (!strstr(fwt_ctx_errmsg(ctx), cases[i].why))
			fprintf(stderr, "  %s\n", fwt_ctx_errmsg(ctx));
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), cases[i].why) != NULL);
		T_ASSERT(out == NULL);
		fwt_sfr_free(s);
	}
	/* a report that does not record its issues: a CoRIM without issues
	 * would say there are none */
	{
		size_t n;
		unsigned char *b = t_slurp("testdata/sfr/bmc-report.json", &n);
		json_error_t je;
		json_t *j = b ? json_loadb((const char *)b, n, 0, &je) : NULL;
		char *t;
		free(b);
		T_ASSERT(j != NULL);
		json_object_del(json_object_get(j, "audit"), "issues");
		t = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		s = NULL;
		T_EQ_INT(fwt_sfr_from_json(ctx, &s, t, strlen(t), "r.json"), FWT_OK);
		free(t);
		T_EQ_INT(fwt_sfr_issues_recorded(s), 0);
		T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &out, &len), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.audit.issues is missing, and a CoRIM without issues says there "
		                                     "are none") != NULL);
		T_ASSERT(out == NULL);
		fwt_sfr_free(s);
		s = load_json("testdata/sfr/bmc-report.json");
		T_EQ_INT(fwt_sfr_issues_recorded(s), 1);
		fwt_sfr_free(s);
	}
	/* no firmware hash, no environment, an issue without a vector */
	s = load_json("testdata/sfr/bmc-report.json");
	T_EQ_INT(fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA384, NULL), FWT_OK);
	T_EQ_INT(fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA512, NULL), FWT_OK);
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &out, &len), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "requires a firmware hash") != NULL);
	fwt_sfr_free(s);
	s = load_json("testdata/sfr/bmc-report.json");
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_VENDOR, "", 0), FWT_OK);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_PRODUCT, NULL, 0), FWT_OK);
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &out, &len), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.device.vendor or $.device.product") != NULL);
	fwt_sfr_free(s);
	s = load_json("testdata/sfr/bmc-report.json");
	T_EQ_INT(fwt_sfr_issue_set(s, 1, FWT_SFR_ISSUE_CVSS_VECTOR, NULL, 0), FWT_OK);
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &out, &len), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.audit.issues[1].cvss_vector") != NULL);
	/* only one hash: the other is left out, and comes back empty */
	fwt_sfr_free(s);
	s = load_json("testdata/sfr/bmc-report.json");
	T_EQ_INT(fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA512, NULL), FWT_OK);
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &out, &len), FWT_OK);
	{
		fwt_sfr *back = NULL;
		unsigned char h[64];
		T_EQ_INT(fwt_sfr_from_corim(ctx, &back, out, len, NULL), FWT_OK);
		T_EQ_INT(fwt_sfr_fw_hash(back, FWT_DIGEST_SHA512, h), FWT_ENOTFOUND);
		T_ASSERT(carried_diff(s, back) == NULL);
		fwt_sfr_free(back);
	}
	free(out);
	fwt_sfr_free(s);
}

/* fwt_sfr_sign_cose_corim signs the CoRIM given, byte for byte (what the
 * model cannot hold stays in), and only an unsigned SFR CoRIM. */
static void test_sign_corim_bytes(void)
{
	fwt_sfr *s = load_json("testdata/sfr/bmc-report.json");
	fwt_key *k = NULL;
	fwt_cose *cose = NULL;
	unsigned char *u = NULL, *c = NULL, *c2 = NULL, *x = NULL;
	const unsigned char *pl;
	size_t ul, cl, c2l, xl, pn;

	T_ASSERT(s);
	T_EQ_INT(fwt_key_open(ctx, &k, "testdata/sfr/keys/es384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &u, &ul), FWT_OK);
	T_EQ_INT(fwt_sfr_sign_cose_corim(ctx, k, u, ul, (const unsigned char *)"kid", 3, &c, &cl), FWT_OK);
	T_EQ_INT(fwt_cose_parse(ctx, &cose, c, cl, NULL), FWT_OK);
	pl = fwt_cose_payload(cose, &pn);
	T_ASSERT(pl && pn == ul && !memcmp(pl, u, ul));
	fwt_cose_free(cose);
	/* the CoRIM fwtrail writes holds nothing the JSON form lacks */
	{
		fwt_sfr *back = NULL;
		char **paths = (char **)1;
		size_t np = 9;
		T_EQ_INT(fwt_sfr_from_corim(ctx, &back, u, ul, NULL), FWT_OK);
		T_EQ_INT(fwt_sfr_json_losses(ctx, back, &paths, &np), FWT_OK);
		T_ASSERT(paths == NULL && np == 0);
		T_EQ_INT(fwt_sfr_json_losses(ctx, NULL, &paths, &np), FWT_EINVAL);
		fwt_sfr_free(back);
	}
	/* signed already; not an SFR; a bad kid: refused, nothing out */
	T_EQ_INT(fwt_sfr_sign_cose_corim(ctx, k, c, cl, NULL, 0, &c2, &c2l), FWT_EINVAL);
	T_ASSERT(c2 == NULL && strstr(fwt_ctx_errmsg(ctx), "signed already") != NULL);
	x = t_slurp("testdata/rim/nic.corim", &xl);
	T_ASSERT(x);
	T_EQ_INT(fwt_sfr_sign_cose_corim(ctx, k, x, xl, NULL, 0, &c2, &c2l), FWT_EUNSUPPORTED);
	T_ASSERT(c2 == NULL);
	T_EQ_INT(fwt_sfr_sign_cose_corim(ctx, k, u, ul, (const unsigned char *)"a\nb", 3, &c2, &c2l), FWT_EINVAL);
	T_EQ_INT(fwt_sfr_sign_cose_corim(ctx, k, u, ul - 1, NULL, 0, &c2, &c2l), FWT_EFORMAT);
	T_ASSERT(c2 == NULL);
	free(x);
	free(c);
	free(u);
	fwt_key_free(k);
	fwt_sfr_free(s);
}

static void test_sign_and_check(void)
{
	fwt_sfr_verify_options vo = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr *s = load_json("testdata/sfr/bmc-report.json");
	fwt_trust *t = NULL, *other = NULL;
	fwt_key *k = NULL, *p256 = NULL;
	unsigned char *c = NULL, *u = NULL, *x = NULL;
	size_t cl, ul, xl;
	fwt_digests fw;
	fwt_sfr_result r;

	T_ASSERT(s);
	T_EQ_INT(fwt_key_open(ctx, &k, "testdata/sfr/keys/es384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_sfr_sign_cose(ctx, k, s, (const unsigned char *)"ACME Review Lab", 15, &c, &cl), FWT_OK);
	/* a kid with a control character; a key the SFR profile does not allow */
	T_EQ_INT(fwt_sfr_sign_cose(ctx, k, s, (const unsigned char *)"a\nb", 3, &x, &xl), FWT_EINVAL);
	T_EQ_INT(fwt_key_open(ctx, &p256, "testdata/sfr/keys/p256.key.pem", NULL), FWT_OK);
	T_ASSERT(fwt_sfr_sign_cose(ctx, p256, s, NULL, 0, &x, &xl) != FWT_OK && x == NULL);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, "testdata/sfr/keys/es384.pub.pem"), FWT_OK);
	vo.trust = t;
	vo.require_signature = 1;
	vo.flags = FWT_SFR_VERIFY_STRICT;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "bmc.cose", &r), FWT_OK);
	T_EQ_INT(r.format, FWT_SFR_FORMAT_COSE_SIGN1);
	T_EQ_INT(r.alg, FWT_SIG_ES384);
	T_ASSERT(!r.alg_inferred && r.is_signed);
	T_EQ_STR(r.kid, "ACME Review Lab");
	T_ASSERT(carried_diff(s, r.sfr) == NULL);
	fwt_sfr_result_clear(&r);
	/* bound to the firmware, and not to another image */
	{
		size_t n;
		unsigned char *img = t_slurp("testdata/firmware/bmc-1.2.3.bin", &n);
		T_ASSERT(img);
		T_EQ_INT(fwt_digest_buffer(ctx, FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512, img, n, &fw), FWT_OK);
		vo.fw = &fw;
		T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "bmc.cose", &r), FWT_OK);
		T_ASSERT(r.bound);
		fwt_sfr_result_clear(&r);
		T_EQ_INT(fwt_digest_buffer(ctx, FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512, img, n - 1, &fw), FWT_OK);
		T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "bmc.cose", &r), FWT_EVERIFY);
		T_ASSERT(strstr(r.message, "does not match") != NULL);
		fwt_sfr_result_clear(&r);
		vo.fw = NULL;
		free(img);
	}
	/* another key: no */
	T_EQ_INT(fwt_trust_new(ctx, &other), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(other, "testdata/sfr/keys/es512.pub.pem"), FWT_OK);
	vo.trust = other;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "bmc.cose", &r), FWT_EVERIFY);
	fwt_sfr_result_clear(&r);
	/* a flipped signature byte: no, with the report kept for display */
	vo.trust = t;
	c[cl - 1] ^= 1;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "bmc.cose", &r), FWT_EVERIFY);
	T_ASSERT(r.sfr != NULL && r.sig_checked);
	fwt_sfr_result_clear(&r);
	/* an unsigned CoRIM: read without trust, refused when a signature is required */
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &u, &ul), FWT_OK);
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, u, ul, "bmc.corim", &r), FWT_EVERIFY);
	T_ASSERT(strstr(r.message, "not signed") != NULL);
	fwt_sfr_result_clear(&r);
	vo.trust = NULL;
	vo.require_signature = 0;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, u, ul, "bmc.corim", &r), FWT_OK);
	T_EQ_INT(r.format, FWT_SFR_FORMAT_CORIM);
	T_ASSERT(!r.is_signed && !r.sig_checked);
	fwt_sfr_result_clear(&r);
	T_EQ_STR(fwt_sfr_format_name(FWT_SFR_FORMAT_COSE_SIGN), "cose-sign");
	free(c);
	free(u);
	fwt_trust_free(t);
	fwt_trust_free(other);
	fwt_key_free(k);
	fwt_key_free(p256);
	fwt_sfr_free(s);
}

/* A NUL in a text the report keeps (vendor and model in both environments,
 * the SRP entity): malformed, never cut short at the NUL. */
static void test_nul_in_identity(void)
{
	static const char evil[] = "ACME Inc\0 - actually Evil Corp";
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	cbor_item_t *root = NULL, *content, *ents, *e, *t;
	unsigned char *one, *both = NULL, *saved;
	size_t one_len, both_len = 0, saved_len, len;
	unsigned char *b = NULL;
	fwt_sfr *s = NULL;
	uint64_t tag;
	int k;

	for (k = 1; k <= 2; k++) { /* vendor, model */
		setup_good();
		T_ASSERT(good);
		one = variant(0, P(4, 10, 0, 0, 0, 0, 0, k), fwt__cb_text(evil, sizeof(evil) - 1), &one_len);
		T_ASSERT(one);
		saved = good, saved_len = good_len;
		good = one, good_len = one_len;
		both = variant(0, P(4, 10, 0, 1, 0, 0, 0, k), fwt__cb_text(evil, sizeof(evil) - 1), &both_len);
		good = saved, good_len = saved_len;
		free(one);
		T_ASSERT(both);
		T_EQ_INT(fwt_sfr_from_corim(ctx, &s, both, both_len, NULL), FWT_EFORMAT);
		T_ASSERT(s == NULL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), k == 1 ? "/class/vendor: text holds a NUL character at byte 8"
		                                            : "/class/model: text holds a NUL character at byte 8"));
		free(both);
	}
	/* the SRP: the corim-map entity's name */
	co.max_depth = 32;
	T_EQ_INT(fwt__cbor_decode(ctx, good, good_len, &co, NULL, &root, NULL), FWT_OK);
	fwt__cbor_tag(root, &tag, &content);
	ents = fwt__cb_array();
	e = with(fwt__cbor_at(fwt__cbor_get(content, 5), 0), 0, fwt__cb_text(evil, sizeof(evil) - 1));
	fwt__cb_push(ents, e);
	t = fwt__cb_tag(501, with(content, 5, ents));
	T_EQ_INT(fwt__cbor_encode_alloc(ctx, t, &b, &len), FWT_OK);
	fwt__cb_free(t);
	fwt__cb_free(root);
	T_EQ_INT(fwt_sfr_from_corim(ctx, &s, b, len, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "/entities/0/entity-name: text holds a NUL character at byte 8"));
	free(b);
}

/* A COSE-signed report's signed validity (corim-meta), at the check time. */
static void test_cose_validity(void)
{
	fwt_sfr_verify_options vo = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_corim_sign_options so = FWT_CORIM_SIGN_OPTIONS_INIT;
	fwt_sfr *s = load_json("testdata/sfr/bmc-report.json");
	fwt_trust *t = NULL;
	fwt_key *k = NULL;
	unsigned char *u = NULL, *c = NULL;
	size_t ul, cl;
	fwt_sfr_result r;

	T_ASSERT(s);
	T_EQ_INT(fwt_key_open(ctx, &k, "testdata/sfr/keys/es384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &u, &ul), FWT_OK);
	so.signer_name = "ACME Review Lab";
	so.kid = (const unsigned char *)"ACME Review Lab";
	so.kid_len = 15;
	so.has_not_before = so.has_not_after = 1;
	so.not_before = 1000000000; /* 2001-09-09T01:46:40Z */
	so.not_after = 1100000000;  /* 2004-11-09T11:33:20Z */
	T_EQ_INT(fwt_corim_sign(ctx, k, u, ul, &so, &c, &cl), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, "testdata/sfr/keys/es384.pub.pem"), FWT_OK);
	vo.trust = t;
	vo.require_signature = 1;
	/* now (the store's time unset): expired */
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "old.cose", &r), FWT_EVERIFY);
	T_ASSERT(strstr(r.message, "expired: valid until 2004-11-09T11:33:20Z, checked at ") != NULL);
	T_ASSERT(r.sig_checked && r.key && r.sfr); /* the signature itself verified */
	fwt_sfr_result_clear(&r);
	/* inside, at both edges */
	vo.at = 1000000000;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "old.cose", &r), FWT_OK);
	fwt_sfr_result_clear(&r);
	vo.at = 1100000000;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "old.cose", &r), FWT_OK);
	fwt_sfr_result_clear(&r);
	vo.at = 1100000001;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "old.cose", &r), FWT_EVERIFY);
	T_ASSERT(strstr(r.message, "expired: valid until 2004-11-09T11:33:20Z, checked at 2004-11-09T11:33:21Z"));
	fwt_sfr_result_clear(&r);
	vo.at = 999999999;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "old.cose", &r), FWT_EVERIFY);
	T_ASSERT(strstr(r.message, "not yet valid: valid from 2001-09-09T01:46:40Z, checked at 2001-09-09T01:46:39Z"));
	fwt_sfr_result_clear(&r);
	/* no at: the trust store's time; version 2 options ignore at */
	vo.at = 0;
	fwt_trust_set_time(t, 1050000000);
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "old.cose", &r), FWT_OK);
	fwt_sfr_result_clear(&r);
	vo.version = 2;
	vo.at = 1;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "old.cose", &r), FWT_OK);
	fwt_sfr_result_clear(&r);
	fwt_trust_set_time(t, 0);
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "old.cose", &r), FWT_EVERIFY);
	fwt_sfr_result_clear(&r);
	/* no signature checked (show without keys): read, the validity not judged */
	vo.version = FWT_SFR_VERIFY_OPTIONS_VERSION;
	vo.trust = NULL;
	vo.require_signature = 0;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &vo, c, cl, "old.cose", &r), FWT_OK);
	T_ASSERT(r.sfr && !r.sig_checked);
	fwt_sfr_result_clear(&r);
	free(u);
	free(c);
	fwt_trust_free(t);
	fwt_key_free(k);
	fwt_sfr_free(s);
}

/* What the CoRIM form leaves out is listed, in order; a report that loses
 * nothing lists nothing; NULL arguments are refused. */
static void test_losses(void)
{
	static const char js[] = "{\"review_framework_version\": \"1.1\", \"x-lab\": 1, \"exp\": 4102444800.5, "
	                         "\"iat\": 1754594598, \"nbf\": 1,"
	                         "\"device\": {\"vendor\": \"V\", \"product\": \"P\", \"category\": \"BMC\", "
	                         "\"fw_version\": \"1\", \"x-dev\": null},"
	                         "\"audit\": {\"srp\": \"S\", \"methodology\": \"\", \"completion_date\": \"2024-01-02\", "
	                         "\"report_version\": \"1\", \"scope_number\": 1, \"cvss_version\": \"3.1\", "
	                         "\"issues\": []}}";
	static const char *const want[] = { "$.device.category", "$.audit.cvss_version", "$.iat", "$.nbf", "$.exp",
		                            "$.x-lab", "$.device.x-dev" };
	fwt_sfr *s = NULL;
	char **paths = (char **)1;
	size_t n = 99, i;

	T_EQ_INT(fwt_sfr_from_json(ctx, &s, js, sizeof(js) - 1, "t"), FWT_OK);
	T_EQ_INT(fwt_sfr_corim_losses(ctx, s, &paths, &n), FWT_OK);
	T_EQ_INT(n, NELEM(want));
	for (i = 0; i < n && i < NELEM(want); i++)
		T_EQ_STR(paths[i], want[i]);
	fwt_sfr_paths_free(paths, n);
	fwt_sfr_free(s);
	/* the fixture without category and methodology loses nothing */
	s = load_json("testdata/sfr/bmc-report.json");
	T_ASSERT(s != NULL);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_CATEGORY, NULL, 0), FWT_OK);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_METHODOLOGY, NULL, 0), FWT_OK);
	T_EQ_INT(fwt_sfr_corim_losses(ctx, s, &paths, &n), FWT_OK);
	T_EQ_INT(n, 0);
	T_ASSERT(paths == NULL);
	T_EQ_INT(fwt_sfr_corim_losses(ctx, NULL, &paths, &n), FWT_EINVAL);
	T_EQ_INT(fwt_sfr_corim_losses(ctx, s, NULL, &n), FWT_EINVAL);
	fwt_sfr_free(s);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_fixture_roundtrip);
	T_RUN(test_corpus_roundtrip);
	T_RUN(test_published_cose_sign);
	T_RUN(test_sfr_map_types);
	T_RUN(test_shapes);
	T_RUN(test_profile);
	T_RUN(test_truncation_and_flips);
	T_RUN(test_required_for_corim);
	T_RUN(test_sign_and_check);
	T_RUN(test_sign_corim_bytes);
	T_RUN(test_nul_in_identity);
	T_RUN(test_cose_validity);
	T_RUN(test_losses);
	free(good);
	fwt_ctx_free(ctx);
	return t_done();
}
