/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_auditlog.c - audit log bytes through the chain and checkpoint
 * verifier, without a key, with the head it reports, and with the checkpoint key of
 * testdata/keys/p384.pub.pem.  Properties: a
 * verdict comes with a report; a log that verifies has as many records as
 * lines, a head when it is not empty, and verifies again with that head;
 * a failure names a problem. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>

/* the P-384 public key of testdata/keys/p384.pub.pem (checkpoints are
 * ES384, ES512, PS384 or PS512; testdata/fuzz/fuzz_auditlog/signed.jsonl is
 * signed with it) */
static const char PUB[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEcplK4da5uVQ7pG8tRrwiPs4b6mJ7fELm\n"
	"oWHKK/uXyNTyeW3/WYqgppHr+Smh12N95L/8a7t0S7OVjK8vivWSSRw7FmDasCFY\n"
	"tY1RHLV5YV0fmxJwqfrQ0Ja1B0heKE4w\n"
	"-----END PUBLIC KEY-----\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_auditlog_verify_options o = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	fwt_ctx *ctx = NULL;
	fwt_pubkey *key = NULL;
	json_t *rep = NULL;
	size_t i, lines = 0;
	char head[65];
	fwt_err err;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	err = fwt_auditlog_verify_buffer(ctx, data, size, "fuzz", &o, &rep);
	if ((err == FWT_OK || err == FWT_EVERIFY) != (rep != NULL))
		abort();
	if (err == FWT_EVERIFY && !json_is_string(json_object_get(json_object_get(rep, "first_bad"), "problem")))
		abort();
	if (err == FWT_OK) {
		const json_t *h = json_object_get(rep, "head");
		if ((size_t)json_integer_value(json_object_get(rep, "records")) != lines || (lines && !json_is_object(h)))
			abort();
		if (lines) {
			json_t *rep2 = NULL;
			snprintf(head, sizeof(head), "%s", json_string_value(json_object_get(h, "sha256")));
			o.head = head;
			if (fwt_auditlog_verify_buffer(ctx, data, size, "fuzz", &o, &rep2) != FWT_OK)
				abort();
			json_decref(rep2);
		}
	}
	json_decref(rep);
	rep = NULL;
	/* and with the checkpoint key */
	o.head = NULL;
	if (fwt_pubkey_parse(ctx, &key, PUB, sizeof(PUB) - 1, "p384.pub.pem") != FWT_OK)
		abort();
	o.key = key;
	err = fwt_auditlog_verify_buffer(ctx, data, size, "fuzz", &o, &rep);
	if ((err == FWT_OK || err == FWT_EVERIFY) != (rep != NULL))
		abort();
	if (err == FWT_OK && json_integer_value(json_object_get(rep, "checkpoints_verified")) < 1)
		abort();
	json_decref(rep);
	fwt_pubkey_free(key);
	fwt_ctx_free(ctx);
	return 0;
}
