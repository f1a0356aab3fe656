/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/sfr.h - OCP SAFE Short Form Reports: the report model (independent
 * of its encoding), its JSON and CoRIM codecs, lint, and verification of
 * signed reports (JWS, COSE_Sign1, COSE_Sign) against a trust store and a
 * firmware image or manifest. */
#ifndef FWTRAIL_SFR_H
#define FWTRAIL_SFR_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>
#include <fwtrail/archive.h>
#include <fwtrail/digest.h>
#include <fwtrail/jws.h>
#include <fwtrail/key.h>
#include <fwtrail/sig.h>
#include <fwtrail/trust.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWT_SFR_MAX_SIZE (1u << 20) /* a report, JSON or JWS */
#define FWT_SFR_MAX_DEPTH 8         /* JSON nesting in a report */
#define FWT_SFR_MAX_ISSUES 10000

typedef struct fwt_sfr fwt_sfr;

/* What a report file was. */
typedef enum fwt_sfr_format {
	FWT_SFR_FORMAT_JSON = 0,   /* unsigned JSON */
	FWT_SFR_FORMAT_JWS,        /* JSON signed as a compact JWS */
	FWT_SFR_FORMAT_CORIM,      /* unsigned CoRIM (tag 501) */
	FWT_SFR_FORMAT_COSE_SIGN1, /* CoRIM signed as COSE_Sign1 (tag 18) */
	FWT_SFR_FORMAT_COSE_SIGN   /* CoRIM signed as COSE_Sign (tag 98), as OCP publishes them */
} fwt_sfr_format;
/* "json", "jws", "corim", "cose-sign1", "cose-sign". */
const char *fwt_sfr_format_name(fwt_sfr_format f);

/* The report's scalar fields.  Values are kept as text exactly as written
 * (a number is kept as its JSON text), or absent. */
typedef enum fwt_sfr_field {
	FWT_SFR_FRAMEWORK_VERSION = 0, /* review_framework_version */
	FWT_SFR_VENDOR,                /* device.vendor */
	FWT_SFR_PRODUCT,               /* device.product */
	FWT_SFR_CATEGORY,              /* device.category (optional) */
	FWT_SFR_REPO_TAG,              /* device.repo_tag */
	FWT_SFR_FW_VERSION,            /* device.fw_version */
	FWT_SFR_FW_HASH_SHA384,        /* device.fw_hash_sha2_384, as written */
	FWT_SFR_FW_HASH_SHA512,        /* device.fw_hash_sha2_512, as written */
	FWT_SFR_SRP,                   /* audit.srp */
	FWT_SFR_METHODOLOGY,           /* audit.methodology */
	FWT_SFR_COMPLETION_DATE,       /* audit.completion_date */
	FWT_SFR_REPORT_VERSION,        /* audit.report_version */
	FWT_SFR_SCOPE,                 /* audit.scope_number (older reports: audit.scope) */
	FWT_SFR_CVSS_VERSION,          /* audit.cvss_version */
	FWT_SFR_FIELD_COUNT
} fwt_sfr_field;

typedef enum fwt_sfr_issue_field {
	FWT_SFR_ISSUE_TITLE = 0,
	FWT_SFR_ISSUE_CVSS_SCORE,  /* a string in the format ("7.9") */
	FWT_SFR_ISSUE_CVSS_VECTOR,
	FWT_SFR_ISSUE_CWE,
	FWT_SFR_ISSUE_DESCRIPTION,
	FWT_SFR_ISSUE_CVE,         /* absent = JSON null */
	FWT_SFR_ISSUE_FIELD_COUNT
} fwt_sfr_issue_field;

/* How a value was written in the JSON it came from. */
typedef enum fwt_sfr_kind {
	FWT_SFR_ABSENT = 0,
	FWT_SFR_STRING,
	FWT_SFR_INTEGER,
	FWT_SFR_REAL,
	FWT_SFR_NULL
} fwt_sfr_kind;

/* ---- the model ---- */

/* An empty report (every field absent, no issues). */
fwt_err fwt_sfr_new(fwt_sfr **out);
void fwt_sfr_free(fwt_sfr *s);

/* JSON path of a field ("$.device.vendor"; for FWT_SFR_SCOPE the member the
 * report used, scope_number by default). */
const char *fwt_sfr_field_path(const fwt_sfr *s, fwt_sfr_field f);
const char *fwt_sfr_issue_field_name(fwt_sfr_issue_field f); /* "cvss_score" */

/* The value (borrowed, NUL-terminated; *len its length) or NULL when absent. */
const char *fwt_sfr_get(const fwt_sfr *s, fwt_sfr_field f, size_t *len);
fwt_sfr_kind fwt_sfr_kind_of(const fwt_sfr *s, fwt_sfr_field f);
/* Set a value (copied; written as a JSON string, except FWT_SFR_SCOPE whose
 * decimal integers are written as numbers); v NULL removes it.  Values must
 * be valid UTF-8 without NUL (FWT_EINVAL otherwise). */
fwt_err fwt_sfr_set(fwt_sfr *s, fwt_sfr_field f, const char *v, size_t len);

/* A firmware hash as bytes: FWT_OK, FWT_ENOTFOUND when absent or "",
 * FWT_EFORMAT when it is not hex of the right length (a "0x" prefix and
 * either case are accepted).  alg is FWT_DIGEST_SHA384 or _SHA512; out must
 * hold fwt_digest_size(alg) bytes. */
fwt_err fwt_sfr_fw_hash(const fwt_sfr *s, fwt_digest_alg alg, unsigned char *out);
/* device.vendor and device.product are both given and not empty: what every
 * cross-check with a RIM keys on (RELIABILITY T3), and what every published
 * report has.  FWT_EFORMAT naming the path ("missing" or "empty") otherwise.
 * Verification (with a trust store) requires it; lint reports it. */
fwt_err fwt_sfr_check_identity(fwt_ctx *ctx, const fwt_sfr *s);
/* Set it as lowercase hex (d NULL: empty string). */
fwt_err fwt_sfr_set_fw_hash(fwt_sfr *s, fwt_digest_alg alg, const unsigned char *d);

/* The manifest list, when the report has one ("device.manifest").  The
 * model holds plain entries (no context), so reports made on one thread can
 * be read on another. */
int fwt_sfr_has_manifest(const fwt_sfr *s);
size_t fwt_sfr_manifest_count(const fwt_sfr *s);
/* Entry i: its file_name (borrowed, NUL-terminated) and SHA-512 (64 bytes). */
const char *fwt_sfr_manifest_name(const fwt_sfr *s, size_t i, size_t *len);
const unsigned char *fwt_sfr_manifest_hash(const fwt_sfr *s, size_t i);
/* The list as an fwt_manifest on ctx, in the report's order (the caller
 * frees it).  FWT_ENOTFOUND when the report has no manifest. */
fwt_err fwt_sfr_manifest_get(fwt_ctx *ctx, const fwt_sfr *s, fwt_manifest **out);
/* Copy m into the report (NULL removes the manifest).  With set_hashes,
 * the copy is sorted by file_name and fw_hash_sha2_384/512 are set to the
 * manifest's hashes. */
fwt_err fwt_sfr_set_manifest(fwt_ctx *ctx, fwt_sfr *s, const fwt_manifest *m, int set_hashes);

/* scope as an integer: FWT_OK (1, "1", 1.0), FWT_ENOTFOUND, FWT_EFORMAT. */
fwt_err fwt_sfr_scope(const fwt_sfr *s, long long *out);
/* iat (seconds since the epoch), when the report carries one. */
int fwt_sfr_has_iat(const fwt_sfr *s);
int64_t fwt_sfr_iat(const fwt_sfr *s);
void fwt_sfr_set_iat(fwt_sfr *s, int has, int64_t iat);

size_t fwt_sfr_issue_count(const fwt_sfr *s);
/* 0 for a JSON report without audit.issues (or null): its issues are not
 * recorded, which is not "none" (sfr lint calls it an error); 1 otherwise. */
int fwt_sfr_issues_recorded(const fwt_sfr *s);
const char *fwt_sfr_issue_get(const fwt_sfr *s, size_t i, fwt_sfr_issue_field f, size_t *len);
fwt_sfr_kind fwt_sfr_issue_kind(const fwt_sfr *s, size_t i, fwt_sfr_issue_field f);
/* Append an empty issue; *index gets its position. */
fwt_err fwt_sfr_issue_add(fwt_sfr *s, size_t *index);
fwt_err fwt_sfr_issue_set(fwt_sfr *s, size_t i, fwt_sfr_issue_field f, const char *v, size_t len);
void fwt_sfr_issues_clear(fwt_sfr *s);

/* ---- JSON codec ---- */

/*
 * Read a report from JSON text (strict: fwt_json_parse with the report's
 * size and depth limits).  Tolerant of the published variety: scope or
 * scope_number as integer, real or string; optional category, repo_tag,
 * iat and manifest; "0x" hashes; null cve; any review_framework_version.
 * device and audit must be objects; a known member of the wrong type is
 * FWT_EFORMAT naming its JSON path (the JWT claims exp and nbf, when
 * present, must be JSON numbers).  Unknown members are kept.
 */
fwt_err fwt_sfr_from_json(fwt_ctx *ctx, fwt_sfr **out, const void *buf, size_t len, const char *name);
/* The report as a JSON tree (new reference; the caller json_decrefs it).
 * A report read from JSON keeps its member order, unknown members and the
 * spelling of unchanged values; new members follow the OCP order. */
fwt_err fwt_sfr_to_json(fwt_ctx *ctx, const fwt_sfr *s, json_t **out);
/* Serialise: compact (the JWS payload form) or indented by 4 as OCP's
 * reference tools write it.  *out is malloc'd and NUL-terminated. */
fwt_err fwt_sfr_serialize(fwt_ctx *ctx, const fwt_sfr *s, int pretty, char **out, size_t *len);

/*
 * Replace the issues with those in buf: a JSON array of objects with the
 * members title, cvss_score, cvss_vector, cwe, description, cve (null or
 * absent for none), or CSV (RFC 4180) whose first row names those columns
 * (any order, title required).  Text starting (after white space) with '['
 * or '{' is JSON: an object is FWT_EFORMAT, "not a JSON array of issues"
 * (naming a report's audit.issues when it is one).  FWT_EFORMAT names the
 * element or line.
 */
fwt_err fwt_sfr_issues_load(fwt_ctx *ctx, fwt_sfr *s, const void *buf, size_t len, const char *name);

/* ---- CoRIM codec (the OCP SAFE SFR CoRIM profile) ---- */

/*
 * The profile, as its CDDL and example define it: an unsigned CoRIM
 * 501({0: id, 1: [506(<<CoMID>>)], 3: 111(profile), 5: [{0: srp, 2: [1]}]})
 * whose one CoMID holds one conditional-endorsement triple (key 10): the
 * condition is the environment {class: {vendor, model}} with the firmware
 * digests [[-43, sha384], [-44, sha512]]; the endorsement is the same
 * environment with the ocp-safe-sfr-map under measurement-values key -1:
 * {0: review_framework_version, 1: report_version, 2: 1(completion date,
 * midnight UTC), 3: scope_number, 4: [{0: {0: fw_version}, 1: fw digests
 * (no manifest) | 3: {0: manifest digests, 1: [{0: file_name, 1: [[-44,
 * file_hash]]}]}, 2: repo_tag}], 5: [{0: title, 1: description, 2: {0:
 * cvss_score, 1: cvss_vector, 2: cvss_version}, 3: cwe, 4: cve}]}.
 *
 * The profile bytes written are the ones the profile and the published
 * reports use, h'060A2B0601040182F4170101': a whole DER OID, which encodes
 * 1.3.6.1.4.1.47639.1.1 although the profile's text says 42623.  Both
 * numbers, as DER or as RFC 9090 content octets, are read as this profile.
 *
 * Not carried by the CDDL, so lost on the way to CoRIM: device.category,
 * audit.methodology, the JWT claims iat, nbf and exp, unknown members, and
 * audit.cvss_version when there is no issue (fwt_sfr_corim_losses lists
 * them for a report).  Empty strings (repo_tag "", a hash "") are left out, and
 * come back as "" (absent srp, vendor, product, fw_version too); a null cve
 * is left out.
 */
/* The JSON paths ("$.device.category", "$.exp", "$.audit.x" for an unknown
 * member x) of what fwt_sfr_to_corim leaves out of s, in that order: the
 * known fields, iat, nbf, exp, then unknown members in document order.
 * *paths is NULL when nothing is lost; free it with fwt_sfr_paths_free. */
fwt_err fwt_sfr_corim_losses(fwt_ctx *ctx, const fwt_sfr *s, char ***paths, size_t *n);
/* The CoRIM paths ("/corim-map/rim-validity", "/ocp-safe-sfr/solid-version",
 * "/ocp-safe-sfr/issues/0/9" for an unknown key 9) of what a report read
 * from its CoRIM form held and the JSON form does not carry: rim-validity,
 * dependent-rims, solid-version, a version-scheme, a completion-date's time
 * of day, and keys the profile does not define, in document order.  They
 * are lost on the way back to CoRIM too (fwt_sfr_corim_losses names them).
 * *paths is NULL when nothing is lost; free it with fwt_sfr_paths_free. */
fwt_err fwt_sfr_json_losses(fwt_ctx *ctx, const fwt_sfr *s, char ***paths, size_t *n);
void fwt_sfr_paths_free(char **paths, size_t n);

#define FWT_SFR_CORIM_PROFILE_DER "\x06\x0a\x2b\x06\x01\x04\x01\x82\xf4\x17\x01\x01"
#define FWT_SFR_CORIM_PROFILE_DER_LEN 12

#define FWT_SFR_CORIM_OPTIONS_VERSION 1
typedef struct fwt_sfr_corim_options {
	unsigned version;      /* FWT_SFR_CORIM_OPTIONS_VERSION */
	const char *corim_id;  /* NULL: "ocp-safe-sfr-corim-" + 16 hex digits of the content's SHA-256 */
	const char *tag_id;    /* NULL: "ocp-safe-sfr-comid-" + the same digits */
} fwt_sfr_corim_options;
#define FWT_SFR_CORIM_OPTIONS_INIT { FWT_SFR_CORIM_OPTIONS_VERSION, NULL, NULL }

/* The report as an unsigned CoRIM in RFC 8949 deterministic encoding (the
 * same report gives the same bytes).  FWT_EFORMAT names the JSON path of a
 * field the profile requires that the report lacks or cannot express
 * (review_framework_version, report_version, a completion_date that is a
 * date, an integer scope_number, a firmware hash, vendor or product, each
 * issue's title, description, cvss_score and cvss_vector).  opts may be
 * NULL.  *out is malloc'd. */
fwt_err fwt_sfr_to_corim(fwt_ctx *ctx, const fwt_sfr *s, const fwt_sfr_corim_options *opts, unsigned char **out,
                         size_t *len);
/* Read a report from a CoRIM: unsigned (tag 501), or signed as COSE_Sign1
 * (tag 18) or COSE_Sign (tag 98), whose signature is NOT checked here.
 * Strict CBOR as in fwt_corim_parse.  FWT_EFORMAT names the path of a bad
 * field (/ocp-safe-sfr/issues/1/assessment/cvss-score); FWT_EUNSUPPORTED
 * for a CoRIM of another profile, several fw-identifiers, issues with
 * different CVSS versions, or a manifest entry without SHA-512. */
fwt_err fwt_sfr_from_corim(fwt_ctx *ctx, fwt_sfr **out, const void *buf, size_t len, const char *name);
/* Sign the report's CoRIM form as COSE_Sign1 (fwt_corim_sign): protected
 * {alg of the key, content type application/rim+cbor, kid, corim-meta
 * {signer: audit.srp}}.  The key must fit the SFR profile (as
 * fwt_jws_check_key).  *out is malloc'd. */
fwt_err fwt_sfr_sign_cose(fwt_ctx *ctx, fwt_key *key, const fwt_sfr *s, const unsigned char *kid, size_t kid_len,
                          unsigned char **out, size_t *outlen) FWT_MUST_CHECK;
/* Sign corim, an unsigned CoRIM-form report as given, as COSE_Sign1 with
 * the header fwt_sfr_sign_cose writes: its bytes are signed unchanged (a
 * rim-validity, a solid-version or extension keys the report model has no
 * place for stay in), after they read back as an SFR (fwt_sfr_from_corim).
 * FWT_EINVAL for a CoRIM signed already. */
fwt_err fwt_sfr_sign_cose_corim(fwt_ctx *ctx, fwt_key *key, const void *corim, size_t len, const unsigned char *kid,
                                size_t kid_len, unsigned char **out, size_t *outlen) FWT_MUST_CHECK;

/* ---- lint ---- */

typedef enum fwt_sfr_severity {
	FWT_SFR_ERROR = 0, /* the report should not be published (sign refuses it) */
	FWT_SFR_WARNING    /* worth fixing; published reports often have it */
} fwt_sfr_severity;

typedef struct fwt_sfr_finding {
	fwt_sfr_severity severity;
	char path[128];    /* JSON path: "$.audit.issues[1].cvss_score" */
	char message[512]; /* report values quoted and escaped */
} fwt_sfr_finding;

/*
 * The checks a reviewer wants before publishing: required fields, the date
 * (YYYY-MM-DD, a real day), hash syntax and lengths, manifest order,
 * duplicates and hash consistency, CVSS v3.x vectors parsed and the base
 * score recomputed and compared with cvss_score, CWE and CVE syntax, the
 * JWT claims exp and nbf (a warning each, an error when nbf is not before
 * exp: never valid).
 * *out is a malloc'd array of *n findings (NULL when none); the caller
 * frees it.
 */
fwt_err fwt_sfr_lint(fwt_ctx *ctx, const fwt_sfr *s, fwt_sfr_finding **out, size_t *n);
/*
 * The same checks for the report as it is, or would be, published in form:
 * FWT_SFR_FORMAT_JSON and _JWS as fwt_sfr_lint; in the CoRIM form
 * (FWT_SFR_FORMAT_CORIM, _COSE_SIGN1, _COSE_SIGN) the fields that form has
 * no place for (device.category, audit.methodology, and audit.cvss_version
 * when there is no issue: fwt_sfr_corim_losses names them when they hold a
 * value) are not checked, an absent cvss_version is the profile's default
 * 3.1, and exp and nbf, which that form cannot carry, are errors (a signed
 * CoRIM report would never expire).  Fields the form does carry but the
 * report lacks are reported as in JSON.
 */
fwt_err fwt_sfr_lint_format(fwt_ctx *ctx, const fwt_sfr *s, fwt_sfr_format form, fwt_sfr_finding **out,
                            size_t *n);
/* 1 when s[0..n) is a date as audit.completion_date writes it: YYYY-MM-DD,
 * a day of the Gregorian calendar. */
int fwt_sfr_date_valid(const char *s, size_t n);

/* ---- reading and verifying report files ---- */

#define FWT_SFR_VERIFY_STRICT (1u << 0) /* COSE: alg must be in the protected header
                                        * (never inferred from the trusted key) */
#define FWT_SFR_VERIFY_NO_REPORT (1u << 1) /* res->sfr stays NULL: each report is
                                           * freed once checked (a verdict-only run
                                           * over many reports keeps little memory) */
#define FWT_SFR_VERIFY_COMPLETION (1u << 2) /* a verified report whose
                                            * audit.completion_date (a valid date) is
                                            * after the check time, on its date in
                                            * UTC+14, fails (FWT_EVERIFY); appraisals
                                            * judge it themselves */

#define FWT_SFR_VERIFY_OPTIONS_VERSION 3
typedef struct fwt_sfr_verify_options {
	unsigned version;             /* FWT_SFR_VERIFY_OPTIONS_VERSION */
	const fwt_trust *trust;       /* trusted keys; NULL: signature not checked */
	int require_signature;        /* an unsigned (JSON) report fails */
	const fwt_digests *fw;        /* bind to this image (its SHA-384 and/or SHA-512;
	                               * neither is FWT_EINVAL) */
	const char *fw_name;          /* for messages */
	const fwt_manifest *manifest; /* or bind to this folder or archive */
	const char *manifest_name;
	size_t max_size;              /* 0: FWT_SFR_MAX_SIZE */
	unsigned threads;             /* fwt_sfr_verify_files: 0: fwt_ctx_threads */
	const fwt_jws_options *jws;   /* NULL: the SFR profile */
	unsigned flags;               /* FWT_SFR_VERIFY_* (version 2 and later) */
	int64_t at;                   /* version 3: the check time (seconds since the epoch) for a
	                               * report's own validity; 0: the trust store's time
	                               * (fwt_trust_set_time), or now when that is not set */
} fwt_sfr_verify_options;
#define FWT_SFR_VERIFY_OPTIONS_INIT { FWT_SFR_VERIFY_OPTIONS_VERSION, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, 0 }

#define FWT_SFR_MSG_MAX 1024

typedef struct fwt_sfr_result {
	fwt_err err;                  /* FWT_OK, FWT_EVERIFY (no), FWT_EFORMAT, FWT_EIO, ... */
	char message[FWT_SFR_MSG_MAX]; /* why, when err != FWT_OK */
	int is_jws;                   /* the report was a JWS */
	int sig_checked;              /* the signature was verified (err tells how it went) */
	fwt_sig_alg alg;              /* from the JWS or COSE header (NONE: COSE without alg,
	                               * until a trusted key verifies and fixes it) */
	char *kid;                    /* from the JWS or COSE header: untrusted (malloc'd) */
	size_t kid_len;
	char *typ;                    /* malloc'd; NULL when absent */
	const fwt_pubkey *key;        /* the trusted key that verified (borrowed from trust) */
	unsigned char key_fingerprint[32]; /* SHA-256 of its SubjectPublicKeyInfo */
	int bound;                    /* the firmware binding was checked and holds */
	fwt_sfr *sfr;                 /* the report, when its JSON or CoRIM could be read */
	fwt_sfr_format format;        /* what the file was */
	int is_signed;                /* JWS, COSE_Sign1 or COSE_Sign */
	int alg_inferred;             /* COSE without alg: taken from the trusted key */
} fwt_sfr_result;

/* Read a report (JSON when the text starts with '{'; a CoRIM, COSE_Sign1 or
 * COSE_Sign when it starts as one can (fwt_corim_sniff: a CBOR array, map,
 * or a COSE or CoRIM tag); a compact JWS when
 * it is base64url text with dots; anything else is FWT_EFORMAT, "not an
 * SFR") from buf and check it: the signature against opts->trust (when given;
 * COSE algorithms and keys as for JWS, and an absent COSE alg inferred from
 * the trusted key unless FWT_SFR_VERIFY_STRICT, res->alg_inferred says so), the
 * report's own manifest consistency, and the binding to opts->fw or
 * opts->manifest (every hash present must match, at least one must be
 * present).  A report whose signature verified must also be valid at the
 * check time (opts->at): a JWS payload's "exp", "nbf" and "iat" (JWT
 * NumericDates, RFC 7519: expired at or after exp, not valid before nbf nor
 * before iat, as PyJWT decides; an exp, nbf or iat that is not a JSON
 * number is FWT_EFORMAT), a COSE report's signed validity as
 * fwt_corim_check_validity reads it (corim-meta, CWT claims, rim-validity);
 * outside is FWT_EVERIFY naming the bound and the check time.
 * res is filled in every case; the return value is res->err.
 * Usable from several threads at once with one ctx per thread. */
fwt_err fwt_sfr_check_buffer(fwt_ctx *ctx, const fwt_sfr_verify_options *opts, const void *buf, size_t len,
                             const char *name, fwt_sfr_result *res);
fwt_err fwt_sfr_check_file(fwt_ctx *ctx, const fwt_sfr_verify_options *opts, const char *path,
                           fwt_sfr_result *res);
/* Check n files on opts->threads threads (each with its own context), all
 * at one check time (read once).
 * res[i] is filled for every file; the return value is FWT_OK unless the
 * run itself could not start (e.g. the firmware binding cannot be made),
 * and then every res[i].err is that error. */
fwt_err fwt_sfr_check_files(fwt_ctx *ctx, const fwt_sfr_verify_options *opts, const char *const *paths,
                            size_t n, fwt_sfr_result *res);
void fwt_sfr_result_clear(fwt_sfr_result *res);

#ifdef __cplusplus
}
#endif
#endif
