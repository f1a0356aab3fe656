/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_cbor_decode.c - the strict CBOR layer: check, diagnostic notation,
 * JSON and deterministic re-encoding of any input; the re-encoding must be
 * a fixed point that the strictest decoder accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/cbor.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_cbor_options o = FWT_CBOR_OPTIONS_INIT, strict = FWT_CBOR_OPTIONS_INIT;
	fwt_cbor_info info;
	unsigned char *c = NULL, *c2 = NULL;
	size_t cn = 0, cn2 = 0;
	char *d = NULL;
	json_t *j = NULL;
	fwt_ctx *ctx = NULL;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	o.max_depth = FWT_CBOR_DEPTH_MAX;
	if (fwt_cbor_check(ctx, data, size, &o, &info) == FWT_OK) {
		if (fwt_cbor_diag(ctx, data, size, &o, FWT_CBOR_DIAG_PRETTY | FWT_CBOR_DIAG_EMBEDDED, &d) != FWT_OK)
			__builtin_trap(); /* what checks must print */
		free(d);
		if (fwt_cbor_to_json(ctx, data, size, &o, &j) == FWT_OK)
			json_decref(j);
		if (fwt_cbor_canonical(ctx, data, size, &o, &c, &cn) == FWT_OK) {
			strict.flags = FWT_CBOR_DETERMINISTIC;
			strict.max_depth = FWT_CBOR_DEPTH_MAX;
			if (fwt_cbor_check(ctx, c, cn, &strict, NULL) != FWT_OK ||
			    fwt_cbor_canonical(ctx, c, cn, &strict, &c2, &cn2) != FWT_OK || cn2 != cn || memcmp(c, c2, cn))
				__builtin_trap();
			free(c);
			free(c2);
		}
	}
	o.flags = FWT_CBOR_TRAILING_OK | FWT_CBOR_NO_INDEFINITE;
	o.max_depth = 4;
	(void)fwt_cbor_check(ctx, data, size, &o, NULL);
	fwt_ctx_free(ctx);
	return 0;
}
