/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_sfr_json.c - report JSON through the model, lint and the binding
 * check.  Property: a report that is accepted serialises to JSON that reads
 * back to the same report, and serialising that gives the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_sfr_verify_options o = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_finding *f = NULL;
	fwt_sfr_result r;
	fwt_digests d;
	fwt_ctx *ctx = NULL;
	fwt_sfr *s = NULL, *s2 = NULL;
	char *a = NULL, *b = NULL;
	size_t al = 0, bl = 0, n = 0;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	if (fwt_sfr_from_json(ctx, &s, data, size, "fuzz") == FWT_OK) {
		if (fwt_sfr_serialize(ctx, s, 0, &a, &al) != FWT_OK ||
		    fwt_sfr_from_json(ctx, &s2, a, al, "again") != FWT_OK ||
		    fwt_sfr_serialize(ctx, s2, 0, &b, &bl) != FWT_OK || al != bl || memcmp(a, b, al))
			abort();
		(void)fwt_sfr_lint(ctx, s, &f, &n);
		free(f);
		memset(&d, 0, sizeof(d));
		d.mask = FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512;
		o.fw = &d;
		(void)fwt_sfr_check_buffer(ctx, &o, data, size, "fuzz", &r);
		fwt_sfr_result_clear(&r);
	}
	free(a);
	free(b);
	fwt_sfr_free(s);
	fwt_sfr_free(s2);
	fwt_ctx_free(ctx);
	return 0;
}
