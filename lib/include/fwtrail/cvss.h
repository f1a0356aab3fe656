/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/cvss.h - CVSS v3.0 and v3.1 vectors and base scores (FIRST
 * specification), and the qualitative severity scale. */
#ifndef FWTRAIL_CVSS_H
#define FWTRAIL_CVSS_H

#include <stddef.h>
#include <fwtrail/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fwt_cvss_version {
	FWT_CVSS_V3_0 = 30,
	FWT_CVSS_V3_1 = 31
} fwt_cvss_version;

/* A parsed vector: the base metrics as their one-letter values. */
typedef struct fwt_cvss {
	fwt_cvss_version version; /* from the "CVSS:3.x/" prefix, else the default given */
	int has_prefix;           /* the vector started with "CVSS:3.x/" */
	char av, ac, pr, ui, s, c, i, a;
} fwt_cvss;

/* "3.0" or "3.1" (also "3", "3.00"...: no) into a version; FWT_EUNSUPPORTED
 * for anything else (e.g. "4.0", "2.0"). */
fwt_err fwt_cvss_version_parse(const char *s, size_t len, fwt_cvss_version *out);

/*
 * Parse a v3.x vector: an optional "CVSS:3.0/" or "CVSS:3.1/" prefix (when
 * absent the version is dflt), then metric:value pairs separated by "/".
 * The eight base metrics must each appear exactly once; temporal and
 * environmental metrics are accepted when their values are valid; no metric
 * may repeat; nothing else is allowed.  FWT_EFORMAT with the reason.
 */
fwt_err fwt_cvss_parse(fwt_ctx *ctx, fwt_cvss *out, const char *vec, size_t len, fwt_cvss_version dflt);

/* The base score in tenths (0..100), computed as the specification of the
 * vector's version says, with that version's Roundup. */
unsigned fwt_cvss_base_score(const fwt_cvss *v);

/* A score written as text ("7.9", "10.0", "0", "5"): 0.0..10.0 with at most
 * one decimal, into tenths.  FWT_EFORMAT otherwise. */
fwt_err fwt_cvss_score_parse(const char *s, size_t len, unsigned *tenths);

typedef enum fwt_cvss_severity {
	FWT_CVSS_NONE = 0, /* 0.0 */
	FWT_CVSS_LOW,      /* 0.1-3.9 */
	FWT_CVSS_MEDIUM,   /* 4.0-6.9 */
	FWT_CVSS_HIGH,     /* 7.0-8.9 */
	FWT_CVSS_CRITICAL  /* 9.0-10.0 */
} fwt_cvss_severity;

fwt_cvss_severity fwt_cvss_severity_of(unsigned tenths);
/* "none", "low", "medium", "high", "critical". */
const char *fwt_cvss_severity_name(fwt_cvss_severity s);

#ifdef __cplusplus
}
#endif
#endif
