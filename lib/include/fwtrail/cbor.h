/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/cbor.h - strict, bounded CBOR (RFC 8949): checking, diagnostic
 * notation, JSON rendering and deterministic re-encoding, plus the RFC 3339
 * times CBOR (tag 0) and the --at option use.  Trees are libcbor's: every
 * input is first walked without allocating, so that no declared length or
 * count larger than the bytes left ever reaches an allocator. */
#ifndef FWTRAIL_CBOR_H
#define FWTRAIL_CBOR_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWT_CBOR_DEPTH_DEFAULT 16        /* nested arrays, maps and tags */
#define FWT_CBOR_DEPTH_MAX 64
#define FWT_CBOR_ITEMS_DEFAULT (1u << 18) /* data items in one input */

/* What to reject (fwt_cbor_options.flags).  Malformed CBOR (RFC 8949
 * Appendix F), lengths beyond the input, nesting beyond max_depth, more
 * than max_items items, invalid UTF-8 in text and bytes after the item are
 * always rejected; duplicate map keys (compared as values, whatever their
 * encoding) are rejected wherever a tree is built. */
#define FWT_CBOR_NO_INDEFINITE (1u << 0) /* indefinite-length strings, arrays, maps */
#define FWT_CBOR_SHORTEST (1u << 1)      /* non-shortest heads; floats a narrower width holds exactly */
#define FWT_CBOR_SORTED (1u << 2)        /* map keys out of RFC 8949 4.2.1 order (decoding only) */
#define FWT_CBOR_DETERMINISTIC (FWT_CBOR_NO_INDEFINITE | FWT_CBOR_SHORTEST | FWT_CBOR_SORTED)
#define FWT_CBOR_TRAILING_OK (1u << 3)   /* accept bytes after the first item */

/* What a check saw (fwt_cbor_info.found): departures from RFC 8949 core
 * deterministic encoding, and unassigned simple values. */
#define FWT_CBOR_FOUND_INDEFINITE (1u << 0)
#define FWT_CBOR_FOUND_NONSHORTEST (1u << 1)
#define FWT_CBOR_FOUND_UNSORTED (1u << 2)  /* only reported by tree-building calls */
#define FWT_CBOR_FOUND_FLOAT_WIDTH (1u << 3)
#define FWT_CBOR_FOUND_SIMPLE (1u << 4)

#define FWT_CBOR_OPTIONS_VERSION 1
typedef struct fwt_cbor_options {
	unsigned version;  /* FWT_CBOR_OPTIONS_VERSION */
	unsigned flags;    /* FWT_CBOR_* above */
	unsigned max_depth; /* 0: FWT_CBOR_DEPTH_DEFAULT; at most FWT_CBOR_DEPTH_MAX */
	size_t max_items;  /* 0: FWT_CBOR_ITEMS_DEFAULT */
} fwt_cbor_options;
#define FWT_CBOR_OPTIONS_INIT { FWT_CBOR_OPTIONS_VERSION, 0, 0, 0 }

typedef struct fwt_cbor_info {
	size_t size;     /* bytes of the first item (less than the input only with TRAILING_OK) */
	size_t items;    /* data items, break codes not counted */
	unsigned depth;  /* deepest nesting seen */
	unsigned found;  /* FWT_CBOR_FOUND_* */
} fwt_cbor_info;

/*
 * Check that buf holds one well-formed CBOR data item within the limits of
 * o (NULL: defaults), without allocating.  FWT_EFORMAT names the byte
 * offset and the rule broken.  info may be NULL.  Duplicate and unsorted
 * map keys need decoded values: fwt_cbor_to_json and fwt_cbor_canonical
 * report them.
 */
fwt_err fwt_cbor_check(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o,
                       fwt_cbor_info *info);

/* Diagnostic notation (RFC 8949 section 8, with RFC 8610 Appendix G's
 * <<...>> for embedded CBOR). */
#define FWT_CBOR_DIAG_PRETTY (1u << 0)   /* one array element or map entry per line, indent 2 */
#define FWT_CBOR_DIAG_EMBEDDED (1u << 1) /* a byte string holding one deterministic CBOR array,
                                          * map or tag is shown as <<item>> */
/* The item in buf as diagnostic notation: ASCII only (text strings use
 * JSON escapes), NUL-terminated, malloc'd.  The input is checked as by
 * fwt_cbor_check with o. */
fwt_err fwt_cbor_diag(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o, unsigned dflags,
                      char **out);

/*
 * The item as JSON: integers as numbers (beyond 64 bits: decimal strings),
 * byte strings as lowercase hex, text as strings, floats as numbers ("NaN",
 * "Infinity", "-Infinity" as strings), map keys as text (integers in
 * decimal, other keys in diagnostic notation), tags as {"tag": N, "value":
 * ...}, undefined as "undefined", simple values as {"simple": N}.  The
 * caller json_decref()s *out.
 */
fwt_err fwt_cbor_to_json(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o, json_t **out);

/* The item re-encoded in RFC 8949 core deterministic encoding (shortest
 * heads, definite lengths, shortest exact floats, map keys sorted
 * bytewise), malloc'd. */
fwt_err fwt_cbor_canonical(fwt_ctx *ctx, const void *buf, size_t len, const fwt_cbor_options *o,
                           unsigned char **out, size_t *outlen);

/* ---- times ---- */

/* Parse an RFC 3339 date-time ("2025-12-31T00:00:00Z", any offset, an
 * optional fraction which is dropped) or a full date ("2025-12-31", taken
 * as midnight UTC) into seconds since the epoch.  FWT_EFORMAT otherwise. */
fwt_err fwt_time_parse_rfc3339(const char *s, size_t len, int64_t *out);
/* The same for a time given to be compared to the second (a command's
 * --at): a fraction other than zeros, which would be dropped, is
 * FWT_EUNSUPPORTED rather than cut ("00:00:00.5" is not "00:00:00"); so
 * is a leap second (23:59:60 comes after a notAfter of 23:59:59, and
 * before a notBefore of 00:00:00: no second since the epoch is it). */
fwt_err fwt_time_parse_rfc3339_whole(const char *s, size_t len, int64_t *out);
/* Format t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out (at least 32 bytes);
 * a year outside 0000-9999 in ISO 8601's expanded form ("+10000-01-01...",
 * "-0001-12-31..."), which fwt_time_parse_rfc3339 does not take back. */
void fwt_time_format_rfc3339(int64_t t, char out[32]);

#ifdef __cplusplus
}
#endif
#endif
