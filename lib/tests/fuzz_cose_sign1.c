/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_cose_sign1.c - COSE_Sign1/COSE_Sign structure and header rules, in
 * lenient and strict mode, with the Sig_structure and the JSON view built
 * for whatever parses (signatures are not checked: no key). */
#include <stdint.h>
#include <stdlib.h>
#include <fwtrail/cose.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t known[] = { 8, 15 };
	fwt_cose_options o = FWT_COSE_OPTIONS_INIT;
	fwt_ctx *ctx = NULL;
	unsigned f;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	o.crit_known = known;
	o.n_crit_known = 2;
	o.payload = (const unsigned char *)"detached";
	for (f = 0; f < 4; f++) {
		fwt_cose *m = NULL;
		o.flags = (f & 1 ? FWT_COSE_STRICT : 0) |
		          (f & 2 ? FWT_COSE_UNTAGGED_SIGN1 | FWT_COSE_UNTAGGED_SIGN | FWT_COSE_ALG_UNPROTECTED : 0);
		if (fwt_cose_parse(ctx, &m, data, size, &o) == FWT_OK) {
			size_t i, n, len;
			unsigned char *tbs = NULL;
			json_t *j = fwt_cose_to_json(m);
			int64_t id;
			json_decref(j);
			o.payload_len = fwt_cose_payload(m, &len) ? 0 : 8;
			if (!o.payload_len)
				o.payload = NULL;
			for (i = 0; i < fwt_cose_signer_count(m); i++) {
				(void)fwt_cose_alg_id(m, i, &id);
				(void)fwt_cose_kid(m, i, &n);
				if (fwt_cose_sig_structure(ctx, m, i, &o, &tbs, &n) == FWT_OK)
					free(tbs);
			}
			o.payload = (const unsigned char *)"detached";
			fwt_cose_free(m);
		}
	}
	fwt_ctx_free(ctx);
	return 0;
}
