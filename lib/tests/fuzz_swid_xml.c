/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_swid_xml.c - libFuzzer target for SWID RIMs: parse, render JSON,
 * verify (with the fixtures' RSA signer key, then with the tag's own last
 * certificate as the only anchor, which exercises the chain path), and bind
 * File 0 to the input itself.  Deterministic; everything is freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <fwtrail/fwtrail.h>

/* testdata/swid/keys/rsa-signer.pub, which signed the RSA seeds */
static const char signer_pem[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIIBojANBgkqhkiG9w0BAQEFAAOCAY8AMIIBigKCAYEAvTF4HI0FF3Abws5PNOO+\n"
	"rWNG9BAmOwiyuwWEKtqDAEKfSOvi6CRqmqH5EqEegyBOQeyDthsWTZTsbpddq0Pk\n"
	"n9mmpBcthHLs+U0iwrlx6HPcE6OVAS/B1Fs3ul87+e3WJkCR9spcPO9GTiq3ZAVE\n"
	"FjWe6Vyr1rlpVsbXinEPl+ApBvgUrzAFSJRuM1gRnq1mfqTBfHumu9eHH94bq/7C\n"
	"t+jfotHgpkTJr5CN/BFpvYbHTGKYh6EaM2b0bK9XhXeC7swRDERtrjhLkH6OaZx+\n"
	"hVpieTMSXsqTdE3ZjM7eGxy9K7OsNNUD7JLxJ8NyObB5JjTlu4oPE8FjEykVVZk8\n"
	"vK5dIwVq59UO51oocNrj/tW0UAiANYUEqYi7yyDNNndygtNUPmM7ZV4GOczKbVqc\n"
	"Rxdm6Uyvyz2GZ0hJPtFabjdmo6eK5NzxHHfBuIziZDRjPyQjF21VaGTOix9tRYeD\n"
	"rTDxmINyQAC8kj5DHQclTzuabagF7RYihQgZCPnCGXZpAgMBAAE=\n"
	"-----END PUBLIC KEY-----\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_ctx *ctx = NULL;
	fwt_swid *s = NULL;
	fwt_pubkey *k = NULL;
	fwt_trust *t = NULL;
	fwt_reader *r = NULL;
	fwt_swid_verify_options o = FWT_SWID_VERIFY_OPTIONS_INIT;
	fwt_swid_verify_result res;
	json_t *j;
	size_t n;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	(void)fwt_swid_sniff(data, size);
	if (fwt_swid_parse(ctx, &s, data, size, "fuzz") != FWT_OK)
		goto out;
	j = fwt_swid_to_json(s);
	if (j) {
		char *text = json_dumps(j, JSON_SORT_KEYS);
		free(text);
		json_decref(j);
	}
	if (fwt_pubkey_parse(ctx, &k, signer_pem, sizeof(signer_pem) - 1, "signer") == FWT_OK) {
		o.key = k;
		if (fwt_swid_verify(ctx, s, &o, &res) == FWT_OK && !res.signer)
			abort(); /* a yes names its key */
	}
	n = fwt_swid_signature(s)->x509_count;
	if (n && fwt_trust_new(ctx, &t) == FWT_OK &&
	    fwt_trust_add_key(t, (fwt_pubkey *)fwt_swid_cert(s, n - 1)) == FWT_OK) {
		o.key = NULL;
		o.trust = t;
		o.at = 1767225600; /* 2026-01-01 */
		if (fwt_swid_verify(ctx, s, &o, &res) == FWT_OK && !res.signer)
			abort(); /* a yes names its key */
	}
	j = fwt_swid_to_json(s);
	json_decref(j);
	if (fwt_swid_file_count(s) && fwt_reader_from_memory(ctx, &r, data, size, "fuzz") == FWT_OK)
		if (fwt_swid_check_file(ctx, s, 0, r) == FWT_OK && !fwt_swid_file_get(s, 0)->nhashes)
			abort(); /* no hash, no binding */
out:
	fwt_reader_free(r);
	fwt_trust_free(t);
	fwt_pubkey_free(k);
	fwt_swid_free(s);
	fwt_ctx_free(ctx);
	return 0;
}
