/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_appraise.c - the appraisal on hostile evidence and RIMs: the input
 * is a 2-byte big-endian length, that many bytes of evidence (an event log
 * or SPDM evidence), and a RIM (CoRIM or SWID) with the rest.  Whatever
 * both parse is appraised; the record must hold exactly the components the
 * accessors give, and "ok" must agree with the result. */
#include <stdint.h>
#include <stdlib.h>
#include <fwtrail/appraise.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_appraise *a = NULL;
	fwt_ctx *ctx = NULL;
	json_t *rec = NULL;
	size_t n, i;
	fwt_err err;

	if (size < 2)
		return 0;
	n = (size_t)data[0] << 8 | data[1];
	if (n > size - 2)
		n = size - 2;
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	if (fwt_appraise_new(ctx, &a, NULL) != FWT_OK)
		goto out;
	(void)fwt_appraise_add_evidence(a, data + 2, n, "evidence");
	(void)fwt_appraise_add_rim(a, data + 2 + n, size - 2 - n, "rim");
	err = fwt_appraise_run(a, &rec);
	if (err == FWT_OK || err == FWT_EVERIFY) {
		fwt_appraise_component c;
		if (!rec || json_is_true(json_object_get(rec, "ok")) != (err == FWT_OK) ||
		    json_array_size(json_object_get(rec, "components")) != fwt_appraise_count(a))
			__builtin_trap();
		for (i = 0; i < fwt_appraise_count(a); i++)
			if (fwt_appraise_get(a, i, &c) != FWT_OK || !fwt_appraise_status_name(c.status) ||
			    (c.status == FWT_APPRAISE_MATCH && !c.rim))
				__builtin_trap();
	}
	json_decref(rec);
out:
	fwt_appraise_free(a);
	fwt_ctx_free(ctx);
	return 0;
}
