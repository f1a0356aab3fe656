/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_sigfile.c - fuzz signature file detection, the CMS SignedData
 * parser and verification against a fixed key (testdata/keys/p384) and
 * content.  Only the seeds' genuine signatures may verify. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char p384_pub[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEcplK4da5uVQ7pG8tRrwiPs4b6mJ7fELm\n"
	"oWHKK/uXyNTyeW3/WYqgppHr+Smh12N95L/8a7t0S7OVjK8vivWSSRw7FmDasCFY\n"
	"tY1RHLV5YV0fmxJwqfrQ0Ja1B0heKE4w\n"
	"-----END PUBLIC KEY-----\n";
static const char content[] = "fwtrail fuzz content\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_ctx *ctx = NULL;
	fwt_pubkey *k = NULL;
	fwt_reader *r = NULL;
	fwt_sigfile_format fmt;
	fwt_sigfile_info info;
	fwt_err err;

	(void)fwt_sigfile_detect(data, size, &fmt);
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	if (fwt_pubkey_parse(ctx, &k, p384_pub, sizeof(p384_pub) - 1, "p384") == FWT_OK &&
	    fwt_reader_from_memory(ctx, &r, content, sizeof(content) - 1, "content") == FWT_OK) {
		err = fwt_sigfile_verify(ctx, k, data, size, r, &info);
		if (err != FWT_OK && err != FWT_EVERIFY && err != FWT_EFORMAT && err != FWT_EUNSUPPORTED)
			abort();
		if (err == FWT_OK && info.alg != FWT_SIG_ES384)
			abort();
	}
	fwt_reader_free(r);
	fwt_pubkey_free(k);
	fwt_ctx_free(ctx);
	return 0;
}
