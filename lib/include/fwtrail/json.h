/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/json.h - strict JSON loading over jansson, for every JSON input
 * fwtrail reads from outside (reports, JWS headers, issue lists). */
#ifndef FWTRAIL_JSON_H
#define FWTRAIL_JSON_H

#include <stddef.h>
#include <jansson.h>
#include <fwtrail/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWT_JSON_MAX_SIZE_DEFAULT (1u << 20) /* 1 MiB */
#define FWT_JSON_MAX_DEPTH_DEFAULT 32        /* nested arrays and objects */

#define FWT_JSON_OPTIONS_VERSION 1
typedef struct fwt_json_options {
	unsigned version;   /* FWT_JSON_OPTIONS_VERSION */
	size_t max_size;    /* refuse longer text before parsing; 0: 1 MiB */
	unsigned max_depth; /* the top-level value is depth 1; 0: 32 */
	int allow_array;    /* accept an array at the top (default: an object only) */
} fwt_json_options;
#define FWT_JSON_OPTIONS_INIT { FWT_JSON_OPTIONS_VERSION, 0, 0, 0 }

/*
 * Parse JSON text strictly: RFC 8259 with UTF-8 only, no NUL (raw or
 * \u0000), no lone surrogates, no duplicate member names at any depth
 * (compared after unescaping), no trailing data, no BOM, integers that fit
 * in 64 bits and finite reals, size and depth bounded before anything is
 * allocated.  Every failure is FWT_EFORMAT with the byte offset and the
 * JSON path where it happened, e.g.
 *   "'r.json': JSON error at byte 57 ($.device): duplicate object key ..."
 * name labels the input in messages.  *out belongs to the caller
 * (json_decref).
 */
fwt_err fwt_json_parse(fwt_ctx *ctx, json_t **out, const void *buf, size_t len, const char *name,
                       const fwt_json_options *opts);

/* The JSON path ("$", "$.audit.issues[2].title") of the value being read at
 * byte offset in buf, written to out (truncated with "..." when long).
 * Member names are shown escaped when they hold unusual characters. */
void fwt_json_path_at(const void *buf, size_t len, size_t offset, char *out, size_t outlen);

/* "string", "integer", "real", "object", "array", "true", "false", "null". */
const char *fwt_json_type_name(const json_t *v);

/* Compact serialisation (separators "," and ":", member order kept, reals
 * exact): malloc'd, NUL-terminated; the caller frees it. */
fwt_err fwt_json_dump_compact(fwt_ctx *ctx, const json_t *v, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
