/* SPDX-License-Identifier: Apache-2.0 */
/* options_test.c - every entry point that takes a versioned options struct
 * refuses one newer than the library (FWT_EINVAL, naming it), so that a
 * caller built against a newer header never has a stricter check it asked
 * for ignored in silence; and fwt_sfr_check_buffer keeps its contract
 * (max_size bounds a buffer, res filled on every return). */
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
	fwt_ctx_free(ctx);
	return t_done();
}
