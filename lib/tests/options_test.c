/* SPDX-License-Identifier: Apache-2.0 */
/* options_test.c - every entry point that takes a versioned options struct
 * refuses one newer than the library (FWT_EINVAL, naming it), so that a
 * caller built against a newer header never has a stricter check it asked
 * for ignored in silence; and fwt_sfr_check_buffer keeps its contract
 * (max_size bounds a buffer, res filled on every return). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

static fwt_ctx *ctx;

#define T_NEWER(call)                                                        \
	do {                                                                 \
		T_EQ_INT((call), FWT_EINVAL);                                \
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is newer than this library's") != NULL); \
	} while (0)

static void test_parsers(void)
{
	fwt_cbor_options cb = FWT_CBOR_OPTIONS_INIT;
	fwt_corim_options co = FWT_CORIM_OPTIONS_INIT;
	fwt_cose_options cs = FWT_COSE_OPTIONS_INIT;
	fwt_jws_options jo = FWT_JWS_OPTIONS_INIT;
	fwt_cbor_info info;
	unsigned char *bytes = (unsigned char *)"x";
	size_t blen = 0;
	char *text = (char *)"x";
	json_t *j = (json_t *)1;
	fwt_corim *c = (fwt_corim *)1;
	fwt_cose *m = (fwt_cose *)1;
	fwt_jws *w = (fwt_jws *)1;

	cb.version = FWT_CBOR_OPTIONS_VERSION + 1;
	T_NEWER(fwt_cbor_check(ctx, "\xa0", 1, &cb, &info));
	T_NEWER(fwt_cbor_diag(ctx, "\xa0", 1, &cb, 0, &text));
	T_ASSERT(text == NULL);
	T_NEWER(fwt_cbor_to_json(ctx, "\xa0", 1, &cb, &j));
	T_ASSERT(j == NULL);
	T_NEWER(fwt_cbor_canonical(ctx, "\xa0", 1, &cb, &bytes, &blen));
	T_ASSERT(bytes == NULL);
	co.version = FWT_CORIM_OPTIONS_VERSION + 1;
	T_NEWER(fwt_corim_parse(ctx, &c, "\xa0", 1, &co));
	T_ASSERT(c == NULL);
	cs.version = FWT_COSE_OPTIONS_VERSION + 1;
	T_NEWER(fwt_cose_parse(ctx, &m, "\xd2\x84\x40\xa0\xf6\x40", 6, &cs));
	T_ASSERT(m == NULL);
	jo.version = FWT_JWS_OPTIONS_VERSION + 1;
	T_NEWER(fwt_jws_parse(ctx, &w, "e30.e30.AA", 10, &jo));
	T_ASSERT(w == NULL);
}

/* The verifiers: a parsed message, the right key, a newer options struct. */
static void test_verifiers(void)
{
	fwt_cose_options cs = FWT_COSE_OPTIONS_INIT;
	fwt_jws_options jo = FWT_JWS_OPTIONS_INIT;
	fwt_cose *m = NULL;
	fwt_pubkey *k = NULL;
	fwt_trust *t = NULL;
	fwt_cose_result r;
	unsigned char d[48] = { 0 }, *out = (unsigned char *)"x";
	size_t len;

	T_EQ_INT(fwt_pubkey_load(ctx, &k, "testdata/keys/p384.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, "testdata/keys/p384.pub.pem"), FWT_OK);
	/* COSE_Sign1, protected {1: -35} (ES384), detached payload */
	T_EQ_INT(fwt_cose_parse(ctx, &m, "\xd2\x84\x44\xa1\x01\x38\x22\xa0\xf6\x40", 10, NULL), FWT_OK);
	cs.version = FWT_COSE_OPTIONS_VERSION + 1;
	T_NEWER(fwt_cose_verify(ctx, m, k, &cs, &r));
	T_NEWER(fwt_cose_verify_trust(ctx, m, t, &cs, &r));
	T_NEWER(fwt_cose_verify_digest(ctx, m, k, &cs, d, sizeof(d), &r));
	T_NEWER(fwt_cose_sig_structure(ctx, m, 0, &cs, &out, &len));
	T_NEWER(fwt_cose_detached_prefix(ctx, m, 0, &cs, 10, &out, &len));
	jo.version = FWT_JWS_OPTIONS_VERSION + 1;
	T_NEWER(fwt_jws_check_key(ctx, FWT_SIG_ES384, k, &jo));
	fwt_cose_free(m);
	fwt_trust_free(t);
	fwt_pubkey_free(k);
}

static void test_writers_and_digests(void)
{
	fwt_writer_options wo = FWT_WRITER_OPTIONS_INIT;
	fwt_digest_options dopt = FWT_DIGEST_OPTIONS_INIT;
	fwt_corim_create_options cc = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_writer *w = (fwt_writer *)1;
	fwt_reader *r;
	fwt_digests dg;
	unsigned char *out = (unsigned char *)"x";
	size_t len;

	wo.version = FWT_WRITER_OPTIONS_VERSION + 1;
	T_NEWER(fwt_writer_open(ctx, &w, "/tmp/fwtrail-options-test.out", &wo));
	T_ASSERT(w == NULL);
	T_EQ_INT(fwt_reader_open_file(ctx, &r, "testdata/keys/p384.pub.pem", 0), FWT_OK);
	dopt.version = FWT_DIGEST_OPTIONS_VERSION + 1;
	T_NEWER(fwt_digest_reader(ctx, r, &dopt, &dg));
	fwt_reader_free(r);
	cc.version = FWT_CORIM_CREATE_OPTIONS_VERSION + 1;
	T_NEWER(fwt_corim_create(ctx, &cc, &out, &len));
	T_ASSERT(out == NULL);
}

/* The COSE_Sign1 signers: *out stays NULL, nothing is signed. */
static void test_signers(void)
{
	fwt_cose_sign1_options so = FWT_COSE_SIGN1_OPTIONS_INIT;
	unsigned char d[48] = { 0 }, *out = NULL;
	size_t len = 0;
	fwt_key *k = NULL;

	T_EQ_INT(fwt_key_open(ctx, &k, "testdata/keys/p384.key.pem", NULL), FWT_OK);
	so.version = FWT_COSE_SIGN1_OPTIONS_VERSION + 1;
	T_NEWER(fwt_cose_sign1_create(ctx, k, "x", 1, &so, &out, &len));
	T_ASSERT(out == NULL);
	T_NEWER(fwt_cose_sign1_detached_prefix(ctx, k, &so, 10, &out, &len));
	T_ASSERT(out == NULL);
	T_NEWER(fwt_cose_sign1_detached_finish(ctx, k, &so, d, sizeof(d), &out, &len));
	T_ASSERT(out == NULL);
	/* the current version signs */
	so.version = FWT_COSE_SIGN1_OPTIONS_VERSION;
	T_EQ_INT(fwt_cose_sign1_create(ctx, k, "x", 1, &so, &out, &len), FWT_OK);
	T_ASSERT(out != NULL && len > 0);
	free(out);
	fwt_key_free(k);
}

/* The one version rule (fwtrail/fwtrail.h): 0 reads as current, every
 * older version is taken (read no further than its own members: the older
 * structs below are allocated at their old size, so a read past it is an
 * error under ASan), current+1 is refused naming it. */

/* A copy of the first size bytes of full in a block of exactly that size. */
static void *older(const void *full, size_t size)
{
	void *p = malloc(size);

	if (p)
		memcpy(p, full, size);
	return p;
}

/* Not refused for its version: no FWT_EINVAL, and no message about one. */
#define T_TAKEN(call)                                                                \
	do {                                                                         \
		fwt_err e_;                                                          \
		fwt_ctx_clear_error(ctx);                                            \
		e_ = (call);                                                         \
		T_ASSERT(e_ != FWT_EINVAL);                                          \
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "version") == NULL);          \
	} while (0)

static void test_version_rule_parsers(void)
{
	fwt_json_options jo = FWT_JSON_OPTIONS_INIT, jz;
	fwt_eventlog_options eo = FWT_EVENTLOG_OPTIONS_INIT, ez;
	fwt_ctx_options co = FWT_CTX_OPTIONS_INIT, cz;
	fwt_eventlog *log = NULL;
	fwt_ctx *c2 = NULL;
	json_t *j = NULL;

	memset(&jz, 0, sizeof(jz));
	T_EQ_INT(fwt_json_parse(ctx, &j, "{}", 2, "x", &jz), FWT_OK);
	json_decref(j);
	T_EQ_INT(fwt_json_parse(ctx, &j, "{}", 2, "x", &jo), FWT_OK);
	json_decref(j);
	jo.version = FWT_JSON_OPTIONS_VERSION + 1;
	T_NEWER(fwt_json_parse(ctx, &j, "{}", 2, "x", &jo));
	T_ASSERT(j == NULL);

	/* an event log of garbage: malformed, whatever the options */
	memset(&ez, 0, sizeof(ez));
	T_EQ_INT(fwt_eventlog_parse(ctx, &log, "xxxxxxxx", 8, &ez), FWT_EFORMAT);
	T_EQ_INT(fwt_eventlog_parse(ctx, &log, "xxxxxxxx", 8, &eo), FWT_EFORMAT);
	eo.version = FWT_EVENTLOG_OPTIONS_VERSION + 1;
	T_NEWER(fwt_eventlog_parse(ctx, &log, "xxxxxxxx", 8, &eo));

	/* a context has nowhere to put a message yet: the code alone */
	memset(&cz, 0, sizeof(cz));
	T_EQ_INT(fwt_ctx_new(&c2, &cz), FWT_OK);
	fwt_ctx_free(c2);
	c2 = NULL;
	co.version = FWT_CTX_OPTIONS_VERSION + 1;
	T_EQ_INT(fwt_ctx_new(&c2, &co), FWT_EINVAL);
	T_ASSERT(c2 == NULL);
}

static void test_version_rule_keys(void)
{
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT, *k1;
	fwt_p11_list_options lo = FWT_P11_LIST_OPTIONS_INIT, *l1;
	fwt_sign_options so = FWT_SIGN_OPTIONS_INIT;
	fwt_p11_listing *l = NULL;
	fwt_key *k = NULL;
	unsigned v;

	for (v = 0; v <= FWT_KEY_OPTIONS_VERSION; v++) {
		ko.version = v;
		T_EQ_INT(fwt_key_open(ctx, &k, "testdata/keys/p384.key.pem", &ko), FWT_OK);
		fwt_key_free(k);
		k = NULL;
	}
	/* version 1 ended at sessions */
	ko.version = 1;
	k1 = older(&ko, offsetof(fwt_key_options, timeout_ms));
	T_EQ_INT(fwt_key_open(ctx, &k, "testdata/keys/p384.key.pem", k1), FWT_OK);
	fwt_key_free(k);
	k = NULL;
	ko.version = FWT_KEY_OPTIONS_VERSION + 1;
	T_NEWER(fwt_key_open(ctx, &k, "testdata/keys/p384.key.pem", &ko));
	T_ASSERT(k == NULL);

	/* a PKCS#11 listing, with a version-1 key options struct for its PIN
	 * source; of a module path that is not there, so that no module this
	 * machine registers is loaded (Debian's tpm2_pkcs11 leaks when it finds
	 * no TPM, which the sanitised run would report): the options are read
	 * before any module is */
	lo.module = "/nonexistent/fwtrail-options-test.so";
	for (v = 0; v <= FWT_P11_LIST_OPTIONS_VERSION; v++) {
		lo.version = v;
		lo.pin = k1;
		T_TAKEN(fwt_p11_list(ctx, &l, &lo));
		fwt_p11_listing_free(l);
		l = NULL;
	}
	lo.version = 1; /* version 1 ended at pin */
	l1 = older(&lo, offsetof(fwt_p11_list_options, timeout_ms));
	T_TAKEN(fwt_p11_list(ctx, &l, l1));
	fwt_p11_listing_free(l);
	l = NULL;
	lo.version = FWT_P11_LIST_OPTIONS_VERSION + 1;
	T_NEWER(fwt_p11_list(ctx, &l, &lo));
	T_ASSERT(l == NULL);
	k1->version = FWT_KEY_OPTIONS_VERSION + 1;
	lo.version = FWT_P11_LIST_OPTIONS_VERSION;
	T_NEWER(fwt_p11_list(ctx, &l, &lo));
	free(l1);
	free(k1);

	/* signing options: past the version, nothing to sign */
	T_EQ_INT(fwt_key_open(ctx, &k, "testdata/keys/p384.key.pem", NULL), FWT_OK);
	for (v = 0; v <= FWT_SIGN_OPTIONS_VERSION; v++) {
		so.version = v;
		T_EQ_INT(fwt_sign_files(ctx, k, &so, NULL, 0), FWT_EINVAL);
		T_EQ_STR(fwt_ctx_errmsg(ctx), "nothing to sign");
	}
	so.version = FWT_SIGN_OPTIONS_VERSION + 1;
	T_NEWER(fwt_sign_files(ctx, k, &so, NULL, 0));
	fwt_key_free(k);
}

static void test_version_rule_evidence(void)
{
	fwt_quote_options qo = FWT_QUOTE_OPTIONS_INIT, *q1;
	fwt_spdm_verify_options vo = FWT_SPDM_VERIFY_OPTIONS_INIT, *v1;
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT, *a1, *a2;
	fwt_quote_result qr;
	fwt_spdm_verdict vd;
	fwt_pubkey *ak = NULL, **chain = NULL;
	fwt_pcrs *pcrs = NULL;
	fwt_spdm *s = NULL;
	fwt_appraise *a = NULL;
	size_t n = 0, i;
	unsigned v;

	/* a TPM quote of garbage: malformed, past the version */
	T_EQ_INT(fwt_pubkey_load(ctx, &ak, "testdata/keys/p384.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_pcrs_new(ctx, &pcrs), FWT_OK);
	for (v = 0; v <= FWT_QUOTE_OPTIONS_VERSION; v++) {
		qo.version = v;
		T_TAKEN(fwt_tpm_quote_verify(ctx, "xxxx", 4, "yyyy", 4, ak, pcrs, &qo, &qr));
	}
	qo.version = 1; /* version 1 ended at sig_name */
	q1 = older(&qo, offsetof(fwt_quote_options, need_extended));
	T_TAKEN(fwt_tpm_quote_verify(ctx, "xxxx", 4, "yyyy", 4, ak, pcrs, q1, &qr));
	free(q1);
	qo.version = FWT_QUOTE_OPTIONS_VERSION + 1;
	T_NEWER(fwt_tpm_quote_verify(ctx, "xxxx", 4, "yyyy", 4, ak, pcrs, &qo, &qr));
	fwt_pcrs_free(pcrs);
	fwt_pubkey_free(ak);

	/* SPDM: a signed 1.2 transcript and some chain: a verdict either way */
	T_EQ_INT(fwt_spdm_load(ctx, &s, "testdata/evidence/spdm/spdm12.bin"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load_all(ctx, "testdata/evidence/spdm/chain.pem", &chain, &n), FWT_OK);
	vo.chain = chain;
	vo.chain_len = n;
	for (v = 0; v <= FWT_SPDM_VERIFY_OPTIONS_VERSION; v++) {
		vo.version = v;
		T_TAKEN(fwt_spdm_verify(ctx, s, &vo, &vd));
	}
	vo.version = 1; /* version 1 ended at trust */
	v1 = older(&vo, offsetof(fwt_spdm_verify_options, path));
	T_TAKEN(fwt_spdm_verify(ctx, s, v1, &vd));
	free(v1);
	vo.version = FWT_SPDM_VERIFY_OPTIONS_VERSION + 1;
	T_NEWER(fwt_spdm_verify(ctx, s, &vo, &vd));
	for (i = 0; i < n; i++)
		fwt_pubkey_free(chain[i]);
	free(chain);
	fwt_spdm_free(s);

	for (v = 0; v <= FWT_APPRAISE_OPTIONS_VERSION; v++) {
		ao.version = v;
		T_EQ_INT(fwt_appraise_new(ctx, &a, &ao), FWT_OK);
		fwt_appraise_free(a);
		a = NULL;
	}
	ao.version = 1; /* version 1 ended at at, version 2 at spdm_trust */
	a1 = older(&ao, offsetof(fwt_appraise_options, spdm_trust));
	T_EQ_INT(fwt_appraise_new(ctx, &a, a1), FWT_OK);
	fwt_appraise_free(a);
	a = NULL;
	ao.version = 2;
	a2 = older(&ao, offsetof(fwt_appraise_options, sfr_trust));
	T_EQ_INT(fwt_appraise_new(ctx, &a, a2), FWT_OK);
	fwt_appraise_free(a);
	a = NULL;
	free(a1);
	free(a2);
	ao.version = FWT_APPRAISE_OPTIONS_VERSION + 1;
	T_NEWER(fwt_appraise_new(ctx, &a, &ao));
	T_ASSERT(a == NULL);
}

static void test_version_rule_files(void)
{
	fwt_manifest_options mo = FWT_MANIFEST_OPTIONS_INIT, *m1;
	fwt_auditlog_verify_options uo = FWT_AUDITLOG_VERIFY_OPTIONS_INIT, *u1;
	fwt_writer_options wo = FWT_WRITER_OPTIONS_INIT, *w1;
	fwt_manifest *m = NULL;
	fwt_writer *w = NULL;
	unsigned v;

	for (v = 0; v <= FWT_MANIFEST_OPTIONS_VERSION; v++) {
		mo.version = v;
		T_EQ_INT(fwt_manifest_build(ctx, &m, "testdata/firmware/release", &mo), FWT_OK);
		fwt_manifest_free(m);
		m = NULL;
	}
	mo.version = 1; /* version 1 ended at its fourth member */
	m1 = older(&mo, offsetof(fwt_manifest_options, follow));
	T_EQ_INT(fwt_manifest_build(ctx, &m, "testdata/firmware/release", m1), FWT_OK);
	fwt_manifest_free(m);
	m = NULL;
	free(m1);
	mo.version = FWT_MANIFEST_OPTIONS_VERSION + 1;
	T_NEWER(fwt_manifest_build(ctx, &m, "testdata/firmware/release", &mo));

	/* a line that is no record: malformed, past the version */
	for (v = 0; v <= FWT_AUDITLOG_VERIFY_OPTIONS_VERSION; v++) {
		uo.version = v;
		T_EQ_INT(fwt_auditlog_verify_buffer(ctx, "x\n", 2, "log", &uo, NULL), FWT_EFORMAT);
	}
	uo.version = 1; /* version 1 ended at payload */
	u1 = older(&uo, offsetof(fwt_auditlog_verify_options, now));
	T_EQ_INT(fwt_auditlog_verify_buffer(ctx, "x\n", 2, "log", u1, NULL), FWT_EFORMAT);
	free(u1);
	uo.version = FWT_AUDITLOG_VERIFY_OPTIONS_VERSION + 1;
	T_NEWER(fwt_auditlog_verify_buffer(ctx, "x\n", 2, "log", &uo, NULL));

	for (v = 0; v <= FWT_WRITER_OPTIONS_VERSION; v++) {
		wo.version = v;
		T_EQ_INT(fwt_writer_open(ctx, &w, "/tmp/fwtrail-options-test.out", &wo), FWT_OK);
		fwt_writer_free(w);
		w = NULL;
	}
	wo.version = 1; /* version 1 ended at mode */
	w1 = older(&wo, offsetof(fwt_writer_options, defer_dir_sync));
	T_EQ_INT(fwt_writer_open(ctx, &w, "/tmp/fwtrail-options-test.out", w1), FWT_OK);
	fwt_writer_free(w);
	free(w1);
}

static void test_version_rule_rim_policy(void)
{
	static const unsigned char v[] = { 1, 2, 3 };
	fwt_corim_rawval w = { "2", v, sizeof(v) };
	fwt_corim_create_options cc;
	fwt_policy_eval_options po = FWT_POLICY_EVAL_OPTIONS_INIT, *p1;
	fwt_swid_verify_options so = FWT_SWID_VERIFY_OPTIONS_INIT;
	fwt_swid_verify_result sr;
	unsigned char *out = NULL;
	size_t len = 0;
	fwt_policy *p = NULL;
	fwt_swid *sw = NULL;
	fwt_pubkey *k = NULL;
	fwt_verdict verdict;
	json_t *rec = NULL, *res = NULL;
	unsigned char *b;
	unsigned ver;

	/* a zeroed struct is the current version: its raw values count */
	memset(&cc, 0, sizeof(cc));
	cc.vendor = "ACME";
	cc.rawvals = &w;
	cc.n_rawvals = 1;
	T_EQ_INT(fwt_corim_create(ctx, &cc, &out, &len), FWT_OK);
	T_ASSERT(out != NULL && len > 0);
	free(out);

	/* a policy and a record: an answer, not a refusal */
	b = t_slurp("testdata/audit/policies/warn.json", &len);
	T_ASSERT(b != NULL);
	T_EQ_INT(fwt_policy_parse(ctx, &p, b, len, "warn.json"), FWT_OK);
	free(b);
	b = t_slurp("testdata/audit/records/good.json", &len);
	T_ASSERT(b != NULL);
	T_EQ_INT(fwt_policy_record_parse(ctx, &rec, b, len, "good.json"), FWT_OK);
	free(b);
	po.at = 1700000000;
	for (ver = 0; ver <= FWT_POLICY_EVAL_OPTIONS_VERSION; ver++) {
		po.version = ver;
		T_TAKEN(fwt_policy_eval(ctx, p, rec, &po, &verdict, &res));
		json_decref(res);
		res = NULL;
	}
	po.version = 1; /* version 1 ended at name */
	p1 = older(&po, offsetof(fwt_policy_eval_options, components));
	T_TAKEN(fwt_policy_eval(ctx, p, rec, p1, &verdict, &res));
	json_decref(res);
	res = NULL;
	free(p1);
	po.version = FWT_POLICY_EVAL_OPTIONS_VERSION + 1;
	T_NEWER(fwt_policy_eval(ctx, p, rec, &po, &verdict, &res));
	json_decref(rec);
	fwt_policy_free(p);

	T_EQ_INT(fwt_swid_load(ctx, &sw, "testdata/fuzz/fuzz_swid_xml/good-base-rsa-sha256.swidtag"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &k, "testdata/keys/p384.pub.pem"), FWT_OK);
	so.key = k;
	for (ver = 0; ver <= FWT_SWID_VERIFY_OPTIONS_VERSION; ver++) {
		so.version = ver;
		T_TAKEN(fwt_swid_verify(ctx, sw, &so, &sr));
	}
	so.version = FWT_SWID_VERIFY_OPTIONS_VERSION + 1;
	T_NEWER(fwt_swid_verify(ctx, sw, &so, &sr));
	fwt_pubkey_free(k);
	fwt_swid_free(sw);
}

static void test_sfr_check_buffer(void)
{
	fwt_sfr_verify_options o = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_result res;
	static const char report[] = "{\"review_framework_version\":\"1.1\"}";

	/* res filled even when the options are missing */
	memset(&res, 'A', sizeof(res));
	T_EQ_INT(fwt_sfr_check_buffer(ctx, NULL, report, strlen(report), "r", &res), FWT_EINVAL);
	T_EQ_INT(res.err, FWT_EINVAL);
	T_ASSERT(strstr(res.message, "bad arguments") != NULL);
	/* max_size bounds a buffer as it bounds a file */
	o.max_size = 10;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, report, strlen(report), "r", &res), FWT_EFORMAT);
	T_EQ_INT(res.err, FWT_EFORMAT);
	T_ASSERT(strstr(res.message, "'r' is larger than 10 bytes") != NULL);
	o.max_size = 0;
	o.version = FWT_SFR_VERIFY_OPTIONS_VERSION + 1;
	T_NEWER(fwt_sfr_check_buffer(ctx, &o, report, strlen(report), "r", &res));
	T_EQ_INT(res.err, FWT_EINVAL);
	T_NEWER(fwt_sfr_check_file(ctx, &o, "testdata/sfr/bmc-report.json", &res));
	T_EQ_INT(res.err, FWT_EINVAL);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 2;
	T_RUN(test_parsers);
	T_RUN(test_verifiers);
	T_RUN(test_writers_and_digests);
	T_RUN(test_signers);
	T_RUN(test_sfr_check_buffer);
	T_RUN(test_version_rule_parsers);
	T_RUN(test_version_rule_keys);
	T_RUN(test_version_rule_evidence);
	T_RUN(test_version_rule_files);
	T_RUN(test_version_rule_rim_policy);
	fwt_ctx_free(ctx);
	return t_done();
}
