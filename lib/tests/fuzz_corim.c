/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_corim.c - the CoRIM/CoMID decoder (signed, unsigned, bare CoMID),
 * strict and lenient, with its JSON and text views and a verification
 * attempt against an empty trust store for whatever parses. */
#include <stdint.h>
#include <stdlib.h>
#include <fwtrail/corim.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_corim_options o = FWT_CORIM_OPTIONS_INIT;
	fwt_ctx *ctx = NULL;
	unsigned f;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	for (f = 0; f < 2; f++) {
		fwt_corim *c = NULL;
		o.flags = f ? FWT_CORIM_LENIENT_CBOR : 0;
		if (fwt_corim_parse(ctx, &c, data, size, &o) == FWT_OK) {
			json_t *j = fwt_corim_to_json(c);
			char *text = NULL;
			fwt_trust *t = NULL;
			fwt_corim_verify_result r;
			size_t i, k;
			if (!j || fwt_corim_to_text(c, &text) != FWT_OK)
				__builtin_trap(); /* what parses must render */
			json_decref(j);
			free(text);
			for (i = 0; i < fwt_corim_comid_count(c); i++) {
				const fwt_comid *cm = fwt_corim_comid(c, i);
				for (k = 0; k < cm->n_triples; k++)
					if (!cm->triples[k].n_claims)
						__builtin_trap();
			}
			if (fwt_trust_new(ctx, &t) == FWT_OK) {
				if (fwt_corim_verify(ctx, c, t, 0, &r) == FWT_OK)
					__builtin_trap(); /* nothing verifies without keys */
				fwt_trust_free(t);
			}
			fwt_corim_free(c);
		}
	}
	fwt_ctx_free(ctx);
	return 0;
}
