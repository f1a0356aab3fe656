/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_pkcs11_uri.c - fuzz the pkcs11: URI checks (p11-kit's parser plus
 * fwtrail's strict attribute rules) and the PIN-free formatting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/ctx.h>
#include "key_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwt_p11_uri *u = NULL;
	fwt_ctx *ctx = NULL;
	char *s, *f;

	if (size > 8192 || memchr(data, 0, size))
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (fwt_ctx_new(&ctx, NULL) == FWT_OK && fwt__p11_uri_parse(ctx, s, &u) == FWT_OK) {
		f = fwt__p11_uri_format(u);
		/* what fwtrail formats, it parses again */
		if (f) {
			struct fwt_p11_uri *again = NULL;
			if (fwt__p11_uri_parse(ctx, f, &again) != FWT_OK && strlen(f) < 4096)
				abort();
			fwt__p11_uri_free(again);
			/* never a PIN in what is shown */
			if (strstr(f, "?pin-value=") || strstr(f, "&pin-value="))
				abort();
		}
		free(f);
	}
	fwt__p11_uri_free(u);
	fwt_ctx_free(ctx);
	free(s);
	return 0;
}
