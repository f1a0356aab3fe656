/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/sfr.h - OCP SAFE Short Form Reports: the report model (independent
 * of its encoding), its JSON codec, lint, and verification of signed reports
 * (JWS) against a trust store and a firmware image or manifest. */
#ifndef FWTRAIL_SFR_H
#define FWTRAIL_SFR_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>
#include <fwtrail/archive.h>
#include <fwtrail/digest.h>
#include <fwtrail/jws.h>
#include <fwtrail/sig.h>
#include <fwtrail/trust.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWT_SFR_MAX_SIZE (1u << 20) /* a report, JSON or JWS */
#define FWT_SFR_MAX_DEPTH 8         /* JSON nesting in a report */
#define FWT_SFR_MAX_ISSUES 10000

typedef struct fwt_sfr fwt_sfr;

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
 * FWT_EFORMAT naming its JSON path.  Unknown members are kept.
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
 * (any order, title required).  FWT_EFORMAT names the element or line.
 */
fwt_err fwt_sfr_issues_load(fwt_ctx *ctx, fwt_sfr *s, const void *buf, size_t len, const char *name);

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
 * score recomputed and compared with cvss_score, CWE and CVE syntax.
 * *out is a malloc'd array of *n findings (NULL when none); the caller
 * frees it.
 */
fwt_err fwt_sfr_lint(fwt_ctx *ctx, const fwt_sfr *s, fwt_sfr_finding **out, size_t *n);

/* ---- reading and verifying report files ---- */

#define FWT_SFR_VERIFY_OPTIONS_VERSION 1
typedef struct fwt_sfr_verify_options {
	unsigned version;             /* FWT_SFR_VERIFY_OPTIONS_VERSION */
	const fwt_trust *trust;       /* trusted keys; NULL: signature not checked */
	int require_signature;        /* an unsigned (JSON) report fails */
	const fwt_digests *fw;        /* bind to this image (its SHA-384 and/or SHA-512) */
	const char *fw_name;          /* for messages */
	const fwt_manifest *manifest; /* or bind to this folder or archive */
	const char *manifest_name;
	size_t max_size;              /* 0: FWT_SFR_MAX_SIZE */
	unsigned threads;             /* fwt_sfr_verify_files: 0: fwt_ctx_threads */
	const fwt_jws_options *jws;   /* NULL: the SFR profile */
} fwt_sfr_verify_options;
#define FWT_SFR_VERIFY_OPTIONS_INIT { FWT_SFR_VERIFY_OPTIONS_VERSION, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, NULL }

#define FWT_SFR_MSG_MAX 1024

typedef struct fwt_sfr_result {
	fwt_err err;                  /* FWT_OK, FWT_EVERIFY (no), FWT_EFORMAT, FWT_EIO, ... */
	char message[FWT_SFR_MSG_MAX]; /* why, when err != FWT_OK */
	int is_jws;                   /* the report was a JWS (else unsigned JSON) */
	int sig_checked;              /* the signature was verified (err tells how it went) */
	fwt_sig_alg alg;              /* from the JWS header */
	char *kid;                    /* from the JWS header: untrusted (malloc'd) */
	size_t kid_len;
	char *typ;                    /* malloc'd; NULL when absent */
	const fwt_pubkey *key;        /* the trusted key that verified (borrowed from trust) */
	unsigned char key_fingerprint[32]; /* SHA-256 of its SubjectPublicKeyInfo */
	int bound;                    /* the firmware binding was checked and holds */
	fwt_sfr *sfr;                 /* the report, when its JSON could be read */
} fwt_sfr_result;

/* Read a report (JWS compact, or JSON when the text starts with '{') from
 * buf and check it: the signature against opts->trust (when given), the
 * report's own manifest consistency, and the binding to opts->fw or
 * opts->manifest (every hash present must match, at least one must be
 * present).  res is filled in every case; the return value is res->err.
 * Usable from several threads at once with one ctx per thread. */
fwt_err fwt_sfr_check_buffer(fwt_ctx *ctx, const fwt_sfr_verify_options *opts, const void *buf, size_t len,
                             const char *name, fwt_sfr_result *res);
fwt_err fwt_sfr_check_file(fwt_ctx *ctx, const fwt_sfr_verify_options *opts, const char *path,
                           fwt_sfr_result *res);
/* Check n files on opts->threads threads (each with its own context).
 * res[i] is filled for every file; the return value is FWT_OK unless the
 * run itself could not start. */
fwt_err fwt_sfr_check_files(fwt_ctx *ctx, const fwt_sfr_verify_options *opts, const char *const *paths,
                            size_t n, fwt_sfr_result *res);
void fwt_sfr_result_clear(fwt_sfr_result *res);

#ifdef __cplusplus
}
#endif
#endif
