/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_hex.c - the strict text decoders (hex, digest hex with 0x, base64,
 * base64url) and algorithm-name parsing: no crash, no over-read, and what
 * decodes re-encodes to an equivalent string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	unsigned char *out = malloc(size + 1), d64[64];
	char *back = malloc(2 * size + 8), name[40], bad[40];
	size_t n = 0;
	unsigned mask;
	fwt_digest_alg a;

	if (!out || !back)
		goto done;
	if (fwt_hex_decode(out, size, in, size, &n) == FWT_OK) {
		fwt_hex_encode(back, out, n);
		if (strlen(back) != size)
			abort();
	}
	(void)fwt_hex_parse_digest(d64, 48, in, size);
	if (fwt_b64url_decode(out, size, in, size, &n) == FWT_OK) {
		fwt_b64url_encode(back, out, n);
		if (strlen(back) != size || memcmp(back, in, size))
			abort(); /* strict decoding means a unique encoding */
	}
	if (fwt_b64_decode(out, size, in, size, &n) == FWT_OK) {
		fwt_b64_encode(back, out, n);
		if (strlen(back) != size || memcmp(back, in, size))
			abort();
	}
	if (size < sizeof(name)) {
		memcpy(name, in, size);
		name[size] = '\0';
		(void)fwt_digest_from_name(name, &a);
		(void)fwt_digest_parse_list(name, &mask, bad, sizeof(bad));
	}
done:
	free(out);
	free(back);
	return 0;
}
