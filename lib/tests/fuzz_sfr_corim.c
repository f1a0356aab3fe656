/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_sfr_corim.c - Short Form Reports in the CoRIM form: decoding
 * (unsigned, COSE_Sign1, COSE_Sign), the JSON view and the CoRIM encoding of
 * what decodes, and the check path against an empty trust store. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/sfr.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_sfr_verify_options vo = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_result r;
	fwt_ctx *ctx = NULL;
	fwt_sfr *s = NULL, *back = NULL;
	fwt_trust *t = NULL;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	if (fwt_sfr_from_corim(ctx, &s, data, size, "fuzz") == FWT_OK) {
		json_t *j = NULL;
		unsigned char *out = NULL;
		size_t len = 0;
		if (!s || fwt_sfr_to_json(ctx, s, &j) != FWT_OK)
			__builtin_trap(); /* what decodes must render */
		json_decref(j);
		/* what decodes encodes again, and reads back (unless a field the
		 * JSON form keeps as text is not what the profile needs) */
		if (fwt_sfr_to_corim(ctx, s, NULL, &out, &len) == FWT_OK &&
		    fwt_sfr_from_corim(ctx, &back, out, len, NULL) != FWT_OK)
			__builtin_trap();
		free(out);
		fwt_sfr_free(back);
	}
	fwt_sfr_free(s);
	if (fwt_trust_new(ctx, &t) == FWT_OK) {
		vo.trust = t;
		vo.require_signature = 1;
		if (fwt_sfr_check_buffer(ctx, &vo, data, size, "fuzz", &r) == FWT_OK)
			__builtin_trap(); /* nothing verifies without keys */
		fwt_sfr_result_clear(&r);
		fwt_trust_free(t);
	}
	fwt_ctx_free(ctx);
	return 0;
}
