/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/err.h - result codes shared by every libfwtrail function. */
#ifndef FWTRAIL_ERR_H
#define FWTRAIL_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every fallible function returns an fwt_err.  FWT_OK is zero; failures are
 * negative.  FWT_EVERIFY means the operation ran to the end and the answer is
 * "no" (bad signature, digest mismatch, policy violated); every other code
 * means "could not tell".  The two are never merged.
 */
typedef enum fwt_err {
	FWT_OK = 0,
	FWT_EVERIFY = -1,      /* ran; the answer is no */
	FWT_EINVAL = -2,       /* bad argument or request (usage) */
	FWT_EIO = -3,          /* cannot open, read or write */
	FWT_EFORMAT = -4,      /* malformed input */
	FWT_ECRYPTO = -5,      /* crypto backend failure (OpenSSL) */
	FWT_ETOKEN = -6,       /* PKCS#11 token, PIN or key failure */
	FWT_EUNSUPPORTED = -7, /* unsupported algorithm, format, profile, version */
	FWT_ENOTFOUND = -8,    /* key, token or object not found */
	FWT_ENOMEM = -9,       /* out of memory */
	FWT_EINTERNAL = -10    /* bug */
} fwt_err;

/* A stable snake_case name for err ("verify_failed", "malformed", ...). */
const char *fwt_err_name(fwt_err err);

#if defined(__GNUC__) || defined(__clang__)
#define FWT_MUST_CHECK __attribute__((warn_unused_result))
#else
#define FWT_MUST_CHECK
#endif

#ifdef __cplusplus
}
#endif
#endif
