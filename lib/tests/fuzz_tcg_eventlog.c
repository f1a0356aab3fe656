/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_tcg_eventlog.c - libFuzzer target: TCG event log parsing, data
 * decoding, replay, and the reference-value (YAML/JSON) parser. */
#include <stdint.h>
#include <stdlib.h>
#include <fwtrail/fwtrail.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_ctx *ctx = NULL;
	fwt_eventlog *log = NULL;
	fwt_pcrs *p = NULL;
	size_t i;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	if (fwt_eventlog_parse(ctx, &log, data, size, NULL) == FWT_OK) {
		for (i = 0; i < fwt_eventlog_count(log); i++) {
			json_t *j = NULL;
			char *s = NULL;
			if (fwt_eventlog_event_to_json(log, i, &j) == FWT_OK)
				json_decref(j);
			if (fwt_eventlog_event_describe(log, i, &s) == FWT_OK)
				free(s);
		}
		if (fwt_eventlog_replay(ctx, log, &p) == FWT_OK)
			fwt_pcrs_free(p);
		fwt_eventlog_free(log);
	}
	/* the same bytes as reference PCR values */
	p = NULL;
	if (fwt_pcrs_parse(ctx, &p, data, size, "fuzz") == FWT_OK)
		fwt_pcrs_free(p);
	fwt_ctx_free(ctx);
	return 0;
}
