/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/digest.h - SHA-1/256/384/512 in one read pass, on several cores. */
#ifndef FWTRAIL_DIGEST_H
#define FWTRAIL_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include <fwtrail/ctx.h>
#include <fwtrail/io.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Algorithms, usable as a bit set. */
typedef enum fwt_digest_alg {
	FWT_DIGEST_SHA256 = 1u << 0,
	FWT_DIGEST_SHA384 = 1u << 1,
	FWT_DIGEST_SHA512 = 1u << 2,
	FWT_DIGEST_SHA1 = 1u << 3, /* event logs only; never for signatures */
	FWT_DIGEST_SM3 = 1u << 4   /* recognised in event logs; not computed */
} fwt_digest_alg;

#define FWT_DIGEST_MAX 64      /* largest digest, in bytes */
#define FWT_DIGEST_DEFAULT (FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512) /* OCP SAFE pair */

/* Output size in bytes (0 for an unknown value). */
size_t fwt_digest_size(fwt_digest_alg alg);
/* "sha256", "sha384", ... (NULL for an unknown value). */
const char *fwt_digest_name(fwt_digest_alg alg);
/* BSD-tag spelling used by coreutils: "SHA256", "SHA384", ... */
const char *fwt_digest_tag(fwt_digest_alg alg);
/* Accepts sha256, SHA-256, sha2-256, sha2_256 (any case).  FWT_EUNSUPPORTED
 * for anything else. */
fwt_err fwt_digest_from_name(const char *name, fwt_digest_alg *out);
/* A comma-separated list into a bit set (at least one entry; no duplicates
 * check needed).  FWT_EUNSUPPORTED names the first bad entry in *bad (borrowed
 * into a static-free copy: the caller passes a buffer). */
fwt_err fwt_digest_parse_list(const char *list, unsigned *mask, char *bad, size_t badlen);
/* COSE algorithm ids for hashes (RFC 9054): -16 sha256, -43 sha384, -44 sha512. */
int fwt_digest_cose_id(fwt_digest_alg alg);
fwt_err fwt_digest_from_cose_id(long long id, fwt_digest_alg *out);
/* TCG TPM_ALG_ID: 0x0004 sha1, 0x000b sha256, 0x000c sha384, 0x000d sha512, 0x0012 sm3. */
unsigned fwt_digest_tcg_id(fwt_digest_alg alg);
fwt_err fwt_digest_from_tcg_id(unsigned id, fwt_digest_alg *out);

/* The results of one pass. */
typedef struct fwt_digests {
	unsigned mask;                /* algorithms computed */
	uint64_t bytes;               /* bytes hashed */
	unsigned char sha1[20];
	unsigned char sha256[32];
	unsigned char sha384[48];
	unsigned char sha512[64];
} fwt_digests;

/* Pointer to alg's value inside d (borrowed), or NULL when not computed. */
const unsigned char *fwt_digests_get(const fwt_digests *d, fwt_digest_alg alg);

/* Progress callback: done bytes so far, total or -1 when unknown. */
typedef void (*fwt_progress_fn)(void *payload, uint64_t done, int64_t total);

#define FWT_DIGEST_OPTIONS_VERSION 1
typedef struct fwt_digest_options {
	unsigned version;             /* FWT_DIGEST_OPTIONS_VERSION */
	unsigned algs;                /* bit set of fwt_digest_alg */
	fwt_progress_fn progress;     /* may be NULL */
	void *progress_payload;
} fwt_digest_options;
#define FWT_DIGEST_OPTIONS_INIT { FWT_DIGEST_OPTIONS_VERSION, FWT_DIGEST_DEFAULT, NULL, NULL }

/*
 * Hash everything r yields with every algorithm in opts->algs, reading it
 * once.  Large inputs are hashed on several threads (one reader, one worker
 * per algorithm) with bounded memory.  At the end the reader is checked for
 * changes (fwt_reader_check_unchanged).
 */
fwt_err fwt_digest_reader(fwt_ctx *ctx, fwt_reader *r, const fwt_digest_options *opts,
                          fwt_digests *out);
/* The same over a buffer. */
fwt_err fwt_digest_buffer(fwt_ctx *ctx, unsigned algs, const void *buf, size_t len,
                          fwt_digests *out);
/* One algorithm over a buffer; out must hold fwt_digest_size(alg) bytes. */
fwt_err fwt_digest_oneshot(fwt_ctx *ctx, fwt_digest_alg alg, const void *buf, size_t len,
                           unsigned char *out);

/* Streaming, one algorithm (libsodium-style init/update/final). */
typedef struct fwt_hash fwt_hash;
fwt_err fwt_hash_new(fwt_ctx *ctx, fwt_hash **out, fwt_digest_alg alg);
fwt_err fwt_hash_update(fwt_hash *h, const void *buf, size_t len);
/* out must hold fwt_digest_size(alg) bytes; h can be reused after a final. */
fwt_err fwt_hash_final(fwt_hash *h, unsigned char *out);
void fwt_hash_free(fwt_hash *h);

#ifdef __cplusplus
}
#endif
#endif
