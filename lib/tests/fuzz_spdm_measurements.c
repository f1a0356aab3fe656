/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_spdm_measurements.c - libFuzzer target: SPDM transcripts (binary,
 * hex, Redfish JSON), their JSON view, and signature verification with the
 * test responder certificate of testdata/evidence/spdm (scripts/gen-spdm.py),
 * so that the seeds reach the verification path. */
#include <stdint.h>
#include <string.h>
#include <fwtrail/fwtrail.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char leaf_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICAzCCAYmgAwIBAgIBAjAKBggqhkjOPQQDAzA5MRYwFAYDVQQKDA1md3RyYWls\n"
	"IHRlc3RzMR8wHQYDVQQDDBZmd3RyYWlsIHRlc3QgU1BETSByb290MB4XDTI0MDEw\n"
	"MTAwMDAwMFoXDTQ5MTIzMTIzNTk1OVowPjEWMBQGA1UECgwNZnd0cmFpbCB0ZXN0\n"
	"czEkMCIGA1UEAwwbZnd0cmFpbCB0ZXN0IFNQRE0gcmVzcG9uZGVyMHYwEAYHKoZI\n"
	"zj0CAQYFK4EEACIDYgAEezZ08sVmFSFj6jC8sHfk14eOECaCsF2wggrZNTvH6Ecn\n"
	"wqSywfqXGg0ZUSSJBnAdtQxo4H2Gonkj7I6tWjmx9/AUMIngR6o64p0domFYj3/f\n"
	"+IhxucqxrGF4R6l24RAGo2AwXjAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIH\n"
	"gDAdBgNVHQ4EFgQU4NYiogi1jrOBtYLyIciYM6VtZDkwHwYDVR0jBBgwFoAU2lTG\n"
	"M9vBBt1sTPblTCW5H/2JKPQwCgYIKoZIzj0EAwMDaAAwZQIwQvcJ6QuWsES/m4IG\n"
	"RK17/5mHzPSQFzeQsXEBizHgJcGZ9TeuRhlxSCVi8EyO2jDGAjEA0YBrzvp08TLV\n"
	"5sG8bsqmqTQXni7ZaHcVjN1r8QEkbc1PC6Jm5QCvIOnt3DF6e6Pb\n"
	"-----END CERTIFICATE-----\n"
	;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_ctx *ctx = NULL;
	fwt_spdm *s = NULL;
	fwt_pubkey *leaf = NULL;
	json_t *j = NULL;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	if (fwt_spdm_parse(ctx, &s, data, size, "fuzz") == FWT_OK) {
		if (fwt_spdm_to_json(s, &j) == FWT_OK)
			json_decref(j);
		if (fwt_pubkey_parse(ctx, &leaf, leaf_pem, strlen(leaf_pem), "leaf") == FWT_OK) {
			fwt_spdm_verify_options vo = FWT_SPDM_VERIFY_OPTIONS_INIT;
			fwt_spdm_verdict vd;
			fwt_err err;
			vo.chain = &leaf;
			vo.chain_len = 1;
			vo.nonce = fwt_spdm_requester_nonce(s);
			err = fwt_spdm_verify(ctx, s, &vo, &vd);
			(void)err;
			fwt_pubkey_free(leaf);
		}
		fwt_spdm_free(s);
	}
	fwt_ctx_free(ctx);
	return 0;
}
