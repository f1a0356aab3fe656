/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_jws_compact.c - a raw token through the JWS parser and the verifier
 * (with the P-521 test key of testdata/sfr, so signatures fail unless forged; the
 * parser, header checks and signature-shape checks are what run). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>

static const char pub_pem[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQANnQMU6yGwpBAARqYgdbSXlG59vhN\n"
	"g03ls7Awgc7Ejjy1I8H04s5GnmaRKxM1Nx4EAGFq0gvsn9dnRcfaSPrtXHkBxTtn\n"
	"9j0MzJTXO5Q+HIqzlfJL6Z7vNgDJB5TnQXU+5C+TrUgRO8ykKE9JiMWlYPrUTBMH\n"
	"NrdAapMR3v2Ucmvh5P8=\n"
	"-----END PUBLIC KEY-----\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_ctx *ctx = NULL;
	fwt_pubkey *k = NULL;
	fwt_jws *j = NULL;
	size_t n;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	if (fwt_jws_parse(ctx, &j, data, size, NULL) == FWT_OK) {
		/* a token that parses obeys the profile */
		if (!fwt_jws_kid(j, &n) || !n || !fwt_jws_payload(j, &n) || !n)
			abort();
		if (fwt_pubkey_parse(ctx, &k, pub_pem, sizeof(pub_pem) - 1, "fuzz") == FWT_OK &&
		    fwt_jws_verify(ctx, j, k, NULL) == FWT_OK)
			abort(); /* nobody holds the private key */
	}
	fwt_pubkey_free(k);
	fwt_jws_free(j);
	fwt_ctx_free(ctx);
	return 0;
}
