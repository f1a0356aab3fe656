/* SPDX-License-Identifier: Apache-2.0 */
/* err.c - names for result codes. */
#include <fwtrail/err.h>
#include "banned.h"

const char *fwt_err_name(fwt_err err)
{
	switch (err) {
	case FWT_OK: return "ok";
	case FWT_EVERIFY: return "verify_failed";
	case FWT_EINVAL: return "usage";
	case FWT_EIO: return "io";
	case FWT_EFORMAT: return "malformed";
	case FWT_ECRYPTO: return "crypto";
	case FWT_ETOKEN: return "token";
	case FWT_EUNSUPPORTED: return "unsupported";
	case FWT_ENOTFOUND: return "not_found";
	case FWT_ENOMEM: return "out_of_memory";
	case FWT_EINTERNAL: return "internal";
	}
	return "internal";
}
