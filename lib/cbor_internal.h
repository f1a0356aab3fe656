/* SPDX-License-Identifier: Apache-2.0 */
/* cbor_internal.h - libcbor trees for lib/ modules (cose, corim, sfr):
 * the bounded decoder, typed accessors, builders and the deterministic
 * encoder.  Not installed. */
#ifndef FWT_CBOR_INTERNAL_H
#define FWT_CBOR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <cbor.h>
#include <jansson.h>
#include <fwtrail/cbor.h>
#include <fwtrail/cose.h>

/*
 * Decode the item in buf into a libcbor tree: the non-allocating walk of
 * fwt_cbor_check first, then a second walk that builds the tree with
 * libcbor's constructors, every container sized by a count the input is
 * known to hold.  Indefinite-length strings come out definite; floats as
 * doubles; duplicate map keys are FWT_EFORMAT.  what names the input in
 * messages ("the COSE payload").
 * *out is freed with cbor_decref.  info may be NULL.
 */
fwt_err fwt__cbor_decode(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o,
                         const char *what, cbor_item_t **out, fwt_cbor_info *info);

/* ---- accessors (borrowed; all return 1 on a match, 0 otherwise) ---- */
int fwt__cbor_uint(const cbor_item_t *it, uint64_t *v);
/* Any integer that fits int64_t. */
int fwt__cbor_int(const cbor_item_t *it, int64_t *v);
int fwt__cbor_bytes(const cbor_item_t *it, const unsigned char **p, size_t *n);
int fwt__cbor_text(const cbor_item_t *it, const char **p, size_t *n);
int fwt__cbor_bool(const cbor_item_t *it, int *v);
int fwt__cbor_is_null(const cbor_item_t *it);
/* A tag: its number and content. */
int fwt__cbor_tag(const cbor_item_t *it, uint64_t *tag, cbor_item_t **content);
/* Array element i (NULL past the end or for a non-array). */
cbor_item_t *fwt__cbor_at(const cbor_item_t *arr, size_t i);
size_t fwt__cbor_len(const cbor_item_t *it); /* array items or map pairs; 0 otherwise */
/* The value of integer key label in a map (NULL when absent). */
cbor_item_t *fwt__cbor_get(const cbor_item_t *map, int64_t label);
/* Key i / value i of a map. */
cbor_item_t *fwt__cbor_key(const cbor_item_t *map, size_t i);
cbor_item_t *fwt__cbor_val(const cbor_item_t *map, size_t i);

/* ---- the deterministic encoder ---- */
struct fwt__enc {
	unsigned char *p;
	size_t len, cap;
	int oom;
};
void fwt__enc_head(struct fwt__enc *e, unsigned major, uint64_t v);
void fwt__enc_int(struct fwt__enc *e, int64_t v);
void fwt__enc_bytes(struct fwt__enc *e, const void *p, size_t n);
void fwt__enc_text(struct fwt__enc *e, const char *s, size_t n);
void fwt__enc_raw(struct fwt__enc *e, const void *p, size_t n);
void fwt__enc_free(struct fwt__enc *e);
/* Append the RFC 8949 core deterministic encoding of a tree (map keys
 * sorted; duplicate keys FWT_EFORMAT; unassigned simple values kept). */
fwt_err fwt__cbor_encode(fwt_ctx *ctx, const cbor_item_t *it, struct fwt__enc *e);
/* The same into a new malloc'd buffer. */
fwt_err fwt__cbor_encode_alloc(fwt_ctx *ctx, const cbor_item_t *it, unsigned char **out, size_t *len);

/* ---- builders: each returns a new reference (NULL when out of memory);
 * put/push take over the references they are given, also on failure, and
 * return 0 when anything is NULL or allocation fails.  Containers grow;
 * the encoder writes them with definite lengths. ---- */
cbor_item_t *fwt__cb_map(void);
cbor_item_t *fwt__cb_array(void);
cbor_item_t *fwt__cb_uint(uint64_t v);
cbor_item_t *fwt__cb_int(int64_t v);
cbor_item_t *fwt__cb_bytes(const void *p, size_t n);
cbor_item_t *fwt__cb_text(const char *s, size_t n); /* n == (size_t)-1: strlen */
cbor_item_t *fwt__cb_tag(uint64_t tag, cbor_item_t *content);
cbor_item_t *fwt__cb_bool(int v);
int fwt__cb_put(cbor_item_t *map, cbor_item_t *key, cbor_item_t *val);
int fwt__cb_puti(cbor_item_t *map, int64_t key, cbor_item_t *val);
int fwt__cb_push(cbor_item_t *arr, cbor_item_t *val);
void fwt__cb_free(cbor_item_t *it); /* NULL-safe cbor_decref */

/* ---- rendering trees ---- */
/* JSON as described for fwt_cbor_to_json (NULL when out of memory). */
json_t *fwt__cbor_item_json(const cbor_item_t *it);
/* Diagnostic notation of a tree (its deterministic encoding), malloc'd. */
fwt_err fwt__cbor_item_diag(fwt_ctx *ctx, const cbor_item_t *it, unsigned dflags, char **out);

/* ---- COSE internals (cose.c) ---- */
/* The decoded protected header map of a message's body (NULL for h''). */
/* An unsigned integer as JSON: a number up to INT64_MAX (jansson's
 * limit), above it a decimal string, never clamped nor wrapped. */
json_t *fwt__json_u64(uint64_t v);
cbor_item_t *fwt__cose_protected_map(const fwt_cose *m);
/* A header map: which 0 the body's, 1+i COSE_Sign signer i's; prot 1 the
 * protected one.  NULL when absent. */
cbor_item_t *fwt__cose_header_map(const fwt_cose *m, size_t which, int prot);

#endif
