/* SPDX-License-Identifier: Apache-2.0 */
/* p11.c - the PKCS#11 backend for fwt_key.  Placeholder until the PKCS#11
 * issue lands: every pkcs11: URI is refused as unsupported. */
#include <stdlib.h>
#include "internal.h"
#include "key_internal.h"
#include "banned.h"

fwt_err fwt__p11_key_open(fwt_ctx *ctx, struct fwt_p11_key **out, const char *uri,
                          const fwt_key_options *opts, fwt_pubkey **pub, char **name)
{
	(void)uri;
	(void)opts;
	*out = NULL;
	*pub = NULL;
	*name = NULL;
	return fwt__error(ctx, FWT_EUNSUPPORTED, "PKCS#11 keys are not available in this build");
}

fwt_err fwt__p11_sign_digest(struct fwt_p11_key *k, fwt_sig_alg alg, const unsigned char *digest,
                             size_t dlen, unsigned char *sig, size_t *siglen)
{
	(void)k; (void)alg; (void)digest; (void)dlen; (void)sig; (void)siglen;
	return FWT_EUNSUPPORTED;
}

void fwt__p11_key_free(struct fwt_p11_key *k)
{
	free(k);
}
