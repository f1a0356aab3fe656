/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/corim.h - CoRIM (draft-ietf-rats-corim): decoding signed and
 * unsigned CoRIMs and bare CoMIDs into a read-only model and JSON,
 * creating reference-value CoRIMs deterministically, signing them as
 * COSE_Sign1 with corim-meta, and verifying signature and validity. */
#ifndef FWTRAIL_CORIM_H
#define FWTRAIL_CORIM_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>
#include <fwtrail/cose.h>
#include <fwtrail/digest.h>
#include <fwtrail/key.h>
#include <fwtrail/trust.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWT_CORIM_CONTENT_TYPE "application/rim+cbor"
#define FWT_CORIM_DEPTH 24 /* nesting allowed in a CoRIM or CoMID (OCP SFR manifests reach 18) */

typedef struct fwt_corim fwt_corim;

typedef enum fwt_corim_kind {
	FWT_CORIM_UNSIGNED = 1,  /* 501(corim-map) */
	FWT_CORIM_SIGNED,        /* 18(COSE_Sign1) over 501(corim-map) */
	FWT_CORIM_COSE_SIGN,     /* 98(COSE_Sign) over 501(corim-map): the published OCP SFRs */
	FWT_CORIM_COMID          /* a bare CoMID: 506(<<concise-mid-tag>>) or the map itself */
} fwt_corim_kind;

/* ---- the model: every pointer is borrowed and lives as long as the
 * fwt_corim it came from ---- */

typedef enum fwt_corim_id_type {
	FWT_CORIM_ID_NONE = 0, /* absent */
	FWT_CORIM_ID_TEXT,     /* text (a URI: tag 32 or plain) */
	FWT_CORIM_ID_UINT,
	FWT_CORIM_ID_UUID,     /* 37(bstr .size 16), or a bare 16-byte bstr where the CDDL says uuid-type */
	FWT_CORIM_ID_OID,      /* 111(bstr): DER content octets */
	FWT_CORIM_ID_BYTES,    /* 560(bstr) */
	FWT_CORIM_ID_UEID,     /* 550(bstr) */
	FWT_CORIM_ID_OTHER     /* anything else the CDDL allows (keys, thumbprints) */
} fwt_corim_id_type;

typedef struct fwt_corim_id {
	fwt_corim_id_type type;
	const char *text;           /* printable: the text, decimal, 8-4-4-4-12, dotted OID,
	                             * hex, or diagnostic notation (OTHER) */
	const unsigned char *bytes; /* UUID, OID, BYTES, UEID: the raw bytes */
	size_t len;
	uint64_t num;               /* UINT */
} fwt_corim_id;

typedef struct fwt_corim_digest {
	int64_t alg_id;         /* as encoded: Named Information ids (1 sha-256, 7 sha-384,
	                         * 8 sha-512, ...) or COSE ids (-16, -43, -44); 0 when text */
	const char *alg_name;   /* "sha-256", ... (a registered name given as text is that
	                         * algorithm), or alg(N) / alg("text") when unknown */
	fwt_digest_alg alg;     /* 0 when fwtrail does not compute this hash */
	const unsigned char *value;
	size_t len;
} fwt_corim_digest;

typedef struct fwt_corim_measurement {
	fwt_corim_id key;                   /* mkey: UINT, TEXT, UUID or OID; NONE when absent */
	const fwt_corim_digest *digests;
	size_t n_digests;
	const char *version;                /* version-map, or NULL */
	const char *version_scheme;         /* its scheme by name or number, or NULL */
	int has_svn, svn_min;               /* svn_min: 553(min-svn) */
	uint64_t svn;
	const unsigned char *raw_value, *raw_mask;
	size_t raw_len, mask_len;
	unsigned flags_set, flags_true;     /* bit i: flags-map key i (0-10) present / true */
	const char *name, *serial_number;   /* or NULL */
	const char *other;                  /* every other value (extensions too) as diagnostic
	                                     * notation of a map, or NULL */
} fwt_corim_measurement;

typedef struct fwt_corim_env {
	int has_class;
	fwt_corim_id class_id;
	const char *vendor, *model;         /* or NULL */
	int has_layer, has_index;
	uint64_t layer, index;
	fwt_corim_id instance, group;
	const char *other;                  /* keys outside the CDDL, as diagnostic notation */
} fwt_corim_env;

/* An environment and its measurements: a reference or endorsed triple, a
 * condition or an endorsement of a conditional-endorsement triple. */
typedef struct fwt_corim_claims {
	fwt_corim_env env;
	const fwt_corim_measurement *m;
	size_t n;
} fwt_corim_claims;

typedef enum fwt_corim_triple_type {
	FWT_CORIM_TRIPLE_REFERENCE = 0,
	FWT_CORIM_TRIPLE_ENDORSED = 1,
	FWT_CORIM_TRIPLE_CONDITIONAL = 10  /* conditional-endorsement-triples */
} fwt_corim_triple_type;

typedef struct fwt_corim_triple {
	fwt_corim_triple_type type;
	const fwt_corim_claims *conditions;  /* CONDITIONAL only */
	size_t n_conditions;
	const fwt_corim_claims *claims;      /* REFERENCE, ENDORSED: exactly one; CONDITIONAL:
	                                      * the endorsements */
	size_t n_claims;
} fwt_corim_triple;

typedef struct fwt_corim_entity {
	const char *name;
	const char *reg_id;   /* or NULL */
	const char *roles;    /* "tag-creator, maintainer", "manifest-signer", numbers otherwise */
} fwt_corim_entity;

typedef struct fwt_comid {
	fwt_corim_id tag_id;
	uint64_t tag_version;
	const char *language;                /* or NULL */
	const fwt_corim_entity *entities;
	size_t n_entities;
	const fwt_corim_triple *triples;     /* reference, endorsed, conditional, in that order */
	size_t n_triples;
	size_t n_other_triples;              /* other kinds (identity, attest-key, dependency,
	                                      * membership, CoSWID, series): in the JSON */
	const char *other;                   /* CoMID and triples-map extensions, or NULL */
} fwt_comid;

typedef struct fwt_corim_validity {
	int has_not_before, has_not_after;
	int64_t not_before, not_after;       /* seconds since the epoch */
} fwt_corim_validity;

typedef struct fwt_corim_meta {
	const char *signer_name, *signer_uri; /* signer-uri or NULL */
	fwt_corim_validity validity;          /* signature-validity */
	const char *source;                   /* "corim-meta" or "CWT claims" */
} fwt_corim_meta;

/* ---- decoding ---- */

#define FWT_CORIM_LENIENT_CBOR (1u << 0) /* accept indefinite lengths and non-shortest heads in
                                          * the payload and CoMIDs (default: refused, as in
                                          * anything signed) */

#define FWT_CORIM_OPTIONS_VERSION 1
typedef struct fwt_corim_options {
	unsigned version; /* FWT_CORIM_OPTIONS_VERSION */
	unsigned flags;   /* FWT_CORIM_* above */
} fwt_corim_options;
#define FWT_CORIM_OPTIONS_INIT { FWT_CORIM_OPTIONS_VERSION, 0 }

/* 1 when buf starts like CBOR that may be a CoRIM (a tag, map or array
 * head), 0 otherwise (e.g. XML).  For dispatching between RIM formats. */
int fwt_corim_sniff(const void *buf, size_t len);

/* What an input given as a RIM is when it is plain text, which no CoRIM
 * is: printable ASCII, well-formed UTF-8 beyond it (no C1 control), tabs
 * and line breaks only, after an optional UTF-8 byte order mark, with a
 * blank or at least 32 bytes long (a few printable bytes alone may be
 * broken CBOR). */
typedef enum fwt_text_kind {
	FWT_TEXT_NONE = 0,   /* not plain text: read it as CBOR or XML */
	FWT_TEXT_JWS,        /* a compact JWS (three base64url parts), as a signed OCP SAFE SFR is */
	FWT_TEXT_JSON,       /* starts as a JSON object or array */
	FWT_TEXT_OTHER       /* any other text */
} fwt_text_kind;
fwt_text_kind fwt_corim_text_kind(const void *buf, size_t len);

/*
 * Decode a signed CoRIM (COSE_Sign1 tag 18, or COSE_Sign tag 98), an
 * unsigned CoRIM (tag 501) or a CoMID (tag 506 or untagged), checking
 * every field the CDDL defines for its type and keeping the rest.  No
 * signature is checked.  FWT_EFORMAT names the path of the bad field
 * (/tags/0/triples/reference-triples/1/...), also for text the model keeps
 * as a C string (vendor, model, names, ids, URIs, versions) that holds a
 * NUL, with its offset in the text; FWT_EUNSUPPORTED for other
 * CBOR documents (the legacy tags 500/502, concise evidence 571) and
 * hash-envelope payloads.  opts may be NULL.
 */
fwt_err fwt_corim_parse(fwt_ctx *ctx, fwt_corim **out, const void *buf, size_t len, const fwt_corim_options *opts);
void fwt_corim_free(fwt_corim *c);

fwt_corim_kind fwt_corim_get_kind(const fwt_corim *c);
/* The COSE message around the CoRIM (NULL when unsigned). */
const fwt_cose *fwt_corim_cose(const fwt_corim *c);
/* corim-meta or CWT claims of a signed CoRIM (NULL when there are none). */
const fwt_corim_meta *fwt_corim_get_meta(const fwt_corim *c);
/* The corim-map's id, profile and rim-validity (type NONE / all zero for a
 * bare CoMID or when absent). */
const fwt_corim_id *fwt_corim_get_id(const fwt_corim *c);
const fwt_corim_id *fwt_corim_get_profile(const fwt_corim *c);
const fwt_corim_validity *fwt_corim_rim_validity(const fwt_corim *c);
const fwt_corim_entity *fwt_corim_entities(const fwt_corim *c, size_t *n);
size_t fwt_corim_comid_count(const fwt_corim *c);
const fwt_comid *fwt_corim_comid(const fwt_corim *c, size_t i);
/* Tags other than CoMIDs (CoSWID 505, CoTL 508, unknown): in the JSON. */
size_t fwt_corim_other_tag_count(const fwt_corim *c);
/* corim-map extensions as diagnostic notation, or NULL. */
const char *fwt_corim_other(const fwt_corim *c);
/* Everything, unknown extensions included (see fwtrail-rim-show(1)).  The
 * caller json_decref()s it. */
json_t *fwt_corim_to_json(const fwt_corim *c);

/* The readable form of `fwtrail rim show`: the signature and signer,
 * then per CoMID each environment with a table of its measurements
 * (key, algorithm or field, value).  Control characters in strings from
 * the RIM are written as \xHH, so every line is one line.  *out is
 * malloc'd. */
fwt_err fwt_corim_to_text(const fwt_corim *c, char **out);

/* ---- verification ---- */

typedef enum fwt_corim_time_status {
	FWT_CORIM_TIME_VALID = 0,
	FWT_CORIM_TIME_EXPIRED,
	FWT_CORIM_TIME_NOT_YET_VALID
} fwt_corim_time_status;

typedef struct fwt_corim_verify_result {
	int signature_ok;             /* the COSE_Sign1 signature verified */
	fwt_cose_result cose;         /* which key, which algorithm */
	fwt_corim_time_status status; /* against now */
	fwt_corim_validity window;    /* signature-validity and rim-validity, intersected */
	int signature_checked;        /* the signature was computed over and compared (valid or
	                               * not); 0 when verification stopped before (malformed,
	                               * unsupported, no trusted key to check with) */
} fwt_corim_verify_result;

/*
 * Verify a signed CoRIM as draft-ietf-rats-corim signs it: COSE_Sign1
 * (tag 18) with alg, content type application/rim+cbor and corim-meta or
 * CWT claims in the protected header; the signature with a key from trust
 * (its kid mapped, or each key tried); then the validity windows of
 * corim-meta and of the corim-map against now (seconds since the epoch:
 * the library never reads the clock).  FWT_OK; FWT_EVERIFY for a wrong
 * signature, an unsigned CoRIM, "expired" or "not yet valid" (the
 * message says which, res->status too); FWT_EFORMAT for a missing or
 * wrong content type or corim-meta; FWT_EUNSUPPORTED for COSE_Sign.
 * The validity windows are those of fwt_corim_check_validity.
 */
fwt_err fwt_corim_verify(fwt_ctx *ctx, const fwt_corim *c, const fwt_trust *trust, int64_t now,
                         fwt_corim_verify_result *res) FWT_MUST_CHECK;

/*
 * The signed validity of c at time at (seconds since the epoch): corim-meta's
 * signature-validity, the CWT claims' nbf and exp (both kinds when the
 * protected header carries both), and the corim-map's rim-validity,
 * intersected; both edges are inside.  For any CoRIM kind, signed (also
 * COSE_Sign) or not; the signature is not checked here.  FWT_OK, or
 * FWT_EVERIFY "expired: valid until <not-after>, checked at <at>" / "not
 * yet valid: valid from <not-before>, checked at <at>".  window (the
 * intersection) and status may be NULL.
 */
fwt_err fwt_corim_check_validity(fwt_ctx *ctx, const fwt_corim *c, int64_t at, fwt_corim_validity *window,
                                 fwt_corim_time_status *status);

/* A verification result as JSON: {"signature": "valid"|"invalid"|
 * "not_checked" ("invalid" only for a signature checked and wrong;
 * "not_checked" when verification stopped before the signature), and
 * when valid "alg", "key", "validity": {"status": "valid"|"expired"|
 * "not_yet_valid", "not_before", "not_after", "at"}}.  The caller
 * json_decref()s it. */
json_t *fwt_corim_result_json(const fwt_corim_verify_result *r, int64_t now);

/* ---- creation ---- */

#define FWT_CORIM_MAX_DIGESTS 4

typedef struct fwt_corim_refval {
	const char *key;        /* an index ("0".."2^64-1": uint), a UUID (tag 37) or a label (text) */
	size_t n_digests;
	struct {
		fwt_digest_alg alg; /* sha256, sha384 or sha512 */
		unsigned char value[FWT_DIGEST_MAX];
	} digests[FWT_CORIM_MAX_DIGESTS];
} fwt_corim_refval;

/* A raw value (raw-value, mval key 4, written as 560(bytes)): a measurement
 * that is a bit stream rather than a digest, such as an SPDM measurement
 * block of raw type (a version string, an SVN, a manifest).  A verifier
 * compares it byte for byte. */
#define FWT_CORIM_MAX_RAW_VALUE 65535 /* bytes: an SPDM measurement value's size is a uint16 */

typedef struct fwt_corim_rawval {
	const char *key;            /* as fwt_corim_refval's key: index, UUID or label */
	const unsigned char *value; /* len bytes; may be NULL only when len is 0 */
	size_t len;                 /* 0 (an empty value) to FWT_CORIM_MAX_RAW_VALUE */
} fwt_corim_rawval;

#define FWT_CORIM_CREATE_OPTIONS_VERSION 2
typedef struct fwt_corim_create_options {
	unsigned version;          /* FWT_CORIM_CREATE_OPTIONS_VERSION (1: without rawvals
	                            * and n_rawvals) */
	const char *vendor, *model; /* environment class (at least one of them) */
	const char *class_id;      /* a UUID (tag 37) or a dotted OID (tag 111), or NULL */
	const char *tag_id;        /* CoMID tag-id: a UUID (16 bytes) or text; NULL: a UUID
	                            * derived from the content */
	const char *corim_id;      /* the same for the CoRIM id */
	int cose_digest_ids;       /* 0: Named Information ids (1, 7, 8) as the draft and its
	                            * implementations; 1: COSE ids (-16, -43, -44) */
	const fwt_corim_refval *refvals; /* digests; may be NULL when n_refvals is 0 */
	size_t n_refvals;
	/* version 2 */
	const fwt_corim_rawval *rawvals; /* raw values; may be NULL when n_rawvals is 0 */
	size_t n_rawvals;
} fwt_corim_create_options;
#define FWT_CORIM_CREATE_OPTIONS_INIT { FWT_CORIM_CREATE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, 0 }

/*
 * A CoRIM with one CoMID holding one reference-value triple: the
 * environment {class: {class-id, vendor, model}}, then one measurement map
 * per refval {0: mkey, 1: {2: [digests]}}, then one per rawval
 * {0: mkey, 1: {4: 560(bytes)}}, each in the order given, in RFC 8949
 * deterministic encoding (the same input gives the same bytes).  There must
 * be at least one refval or rawval, and a key may appear once across both
 * arrays.  The rawvals are read only when opts->version is 2 or more (a
 * version-1 caller's struct ends at n_refvals).  FWT_EINVAL names a bad
 * field.  *out is malloc'd.
 */
fwt_err fwt_corim_create(fwt_ctx *ctx, const fwt_corim_create_options *opts, unsigned char **out, size_t *len);

#define FWT_CORIM_SIGN_OPTIONS_VERSION 1
typedef struct fwt_corim_sign_options {
	unsigned version;            /* FWT_CORIM_SIGN_OPTIONS_VERSION */
	const unsigned char *kid;    /* or NULL */
	size_t kid_len;
	const char *signer_name;     /* NULL: the subject of the key's certificate */
	const char *signer_uri;      /* or NULL */
	int has_not_before, has_not_after;
	int64_t not_before, not_after; /* signature-validity (written only with not_after) */
} fwt_corim_sign_options;
#define FWT_CORIM_SIGN_OPTIONS_INIT { FWT_CORIM_SIGN_OPTIONS_VERSION, NULL, 0, NULL, NULL, 0, 0, 0, 0 }

/* Sign an unsigned CoRIM (tag 501, checked as fwt_corim_parse does, strict
 * CBOR) as COSE_Sign1: protected {alg, content type application/rim+cbor,
 * kid, corim-meta {signer, signature-validity}}.  *out is malloc'd. */
fwt_err fwt_corim_sign(fwt_ctx *ctx, fwt_key *key, const void *corim, size_t len,
                       const fwt_corim_sign_options *opts, unsigned char **out, size_t *outlen) FWT_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
