/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/policy.h - audit policies (fwtrail-policy(5)): strict loading,
 * and the evaluation of their rules over an appraisal record, the JSON
 * object `fwtrail attest check --json` prints. */
#ifndef FWTRAIL_POLICY_H
#define FWTRAIL_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fwt_policy fwt_policy;

/* The overall verdict, and the outcome of one rule. */
typedef enum fwt_verdict {
	FWT_VERDICT_PASS = 0,
	FWT_VERDICT_WARN = 1,
	FWT_VERDICT_FAIL = 2
} fwt_verdict;

/* "pass", "warn", "fail". */
const char *fwt_verdict_name(fwt_verdict v);

#define FWT_POLICY_MAX_SIZE (1u << 20)          /* policy text */
#define FWT_POLICY_RECORD_MAX_SIZE (16u << 20)  /* appraisal record text */
/* The signatures rule takes a record's "verified" only when its "at" is
 * within this many seconds of the evaluation time. */
#define FWT_POLICY_RECORD_SKEW 300

/*
 * Load a policy: {"fwtrail_policy": 1, "rules": [...]} as fwtrail-policy(5)
 * describes, read strictly (fwt_json_parse) and checked completely before
 * anything is evaluated: unknown members, unknown rule names, unknown or
 * missing parameters, wrong types, out-of-range or repeated values and
 * repeated rule ids are FWT_EFORMAT with the JSON path, e.g.
 *   "'p.json': $.rules[2].threshold: must be a number from 0 to 10, not 11"
 * A "fwtrail_policy" version other than 1 is FWT_EUNSUPPORTED.  name labels
 * the input in messages.
 */
fwt_err fwt_policy_parse(fwt_ctx *ctx, fwt_policy **out, const void *buf, size_t len, const char *name);
void fwt_policy_free(fwt_policy *p);

/* Number of rules. */
size_t fwt_policy_rule_count(const fwt_policy *p);
/* True when a rule needs the audit log's history (rollback). */
int fwt_policy_needs_history(const fwt_policy *p);
/* The policy as loaded, with each rule's defaults filled in (borrowed). */
const json_t *fwt_policy_json(const fwt_policy *p);

/*
 * Load an appraisal record (the object `attest check --json` prints, as
 * fwtrail-policy(5) describes it) strictly, and check the types and values of every member
 * the rules read: FWT_EFORMAT with the JSON path for a wrong type, an
 * unknown status, a bad digest, date or time; FWT_EUNSUPPORTED for a
 * "schema" other than 1.  Unknown members are ignored; a missing optional
 * member means "not known".  *out belongs to the caller (json_decref).
 */
fwt_err fwt_policy_record_parse(fwt_ctx *ctx, json_t **out, const void *buf, size_t len, const char *name);
/* The same checks on a record built in memory (e.g. by lib/appraise). */
fwt_err fwt_policy_record_check(fwt_ctx *ctx, const json_t *record, const char *name);

/*
 * fwt_policy_record_parse for a record that must be the one `attest check
 * --json` wrote, as `fwtrail audit --appraisal` reads it: FWT_EFORMAT,
 * naming the input ("'x.json' is not an appraisal record of 'attest
 * check': ..."), for the output of another command (its "command" is
 * named), an object without "command", attest check's failure object (a
 * run that appraised nothing), or one without a member attest check always
 * writes ("ok", "at", "summary", "components", "inputs", "signatures",
 * "products"); then every check of fwt_policy_record_check.  A "schema"
 * other than 1 stays FWT_EUNSUPPORTED.  *out belongs to the caller.
 */
fwt_err fwt_policy_appraisal_parse(fwt_ctx *ctx, json_t **out, const void *buf, size_t len, const char *name);
/* The same checks on a record in memory. */
fwt_err fwt_policy_appraisal_check(fwt_ctx *ctx, const json_t *record, const char *name);

/*
 * A record's components made one at a time, for a record whose
 * "components" is left empty (fwt_appraise_run_lazy's): held as one JSON
 * tree, the components of a long event log take many times the log's
 * size.  get makes component i (0 <= i < n) as a new reference, which the
 * policy json_decref()s; a component may be asked for several times and
 * must be the same each time.
 */
typedef struct fwt_policy_components {
	size_t n;
	fwt_err (*get)(void *payload, size_t i, json_t **out);
	void *payload;
} fwt_policy_components;

/* fwt_policy_appraisal_check of record with comps as its "components",
 * which must be an empty array. */
fwt_err fwt_policy_appraisal_check_components(fwt_ctx *ctx, const json_t *record, const fwt_policy_components *comps,
                                              const char *name);

#define FWT_POLICY_EVAL_OPTIONS_VERSION 2
typedef struct fwt_policy_eval_options {
	unsigned version;       /* FWT_POLICY_EVAL_OPTIONS_VERSION (1: without components) */
	int64_t at;             /* evaluation time, seconds since the epoch (sfr-age) */
	const json_t *history;  /* the audit log's products (fwt_auditlog_history,
	                         * fwt_policy_history_add), or NULL when there is
	                         * no log: rollback then fails */
	const char *name;       /* the policy's name in messages (NULL: as loaded) */
	const fwt_policy_components *components; /* the record's components, when its
	                         * "components" is left empty (checked with
	                         * fwt_policy_appraisal_check_components); NULL:
	                         * its "components" */
} fwt_policy_eval_options;
#define FWT_POLICY_EVAL_OPTIONS_INIT { FWT_POLICY_EVAL_OPTIONS_VERSION, 0, NULL, NULL, NULL }

/*
 * Evaluate every rule of p over a checked record.  Each rule passes or,
 * when it finds a problem, takes its level (fail or warn) with reasons that
 * name the component or input; a rule that needs information the record
 * lacks fails (never passes by default).  The verdict is fail when a rule
 * failed, warn when one warned, pass otherwise.
 *
 * A record's signatures ("verified") hold at its "at": one more than
 * FWT_POLICY_RECORD_SKEW seconds from o->at fails the rules that read
 * them.  A record without "at" (fwt_policy_record_parse takes one; an
 * appraisal record always has it) is taken as of o->at: a caller that
 * builds records gives them their time.
 *
 * *result (the caller's, json_decref) is
 *   {"verdict": "pass"|"warn"|"fail", "at": RFC 3339,
 *    "counts": {"pass": n, "warn": n, "fail": n},
 *    "rules": [{"id", "rule", "level", "outcome", "reasons": [...],
 *               "description"?}, ...]}
 * Reasons quote untrusted strings clipped to a bounded length (valid
 * UTF-8, never escaped: whoever prints them escapes them).
 *
 * Returns FWT_OK for pass and warn, FWT_EVERIFY for fail (the verdict and
 * result are set in all three cases), FWT_EFORMAT when a version the
 * rollback rule must order cannot be parsed (no result).
 */
fwt_err fwt_policy_eval(fwt_ctx *ctx, const fwt_policy *p, const json_t *record, const fwt_policy_eval_options *o,
                        fwt_verdict *verdict, json_t **result) FWT_MUST_CHECK;

/*
 * A result of fwt_policy_eval as JUnit XML, for CI systems: <testsuites>
 * holding one <testsuite> named suite (the policy) with properties verdict
 * and appraisal, one <testcase> per rule (name: its id, classname:
 * fwtrail.audit.<rule>); a failed rule has a <failure> whose message is its
 * first reason and whose text lists them all; a warning passes with its
 * reasons in <system-out>.  Strings are escaped for XML; what XML 1.0
 * cannot carry (control characters other than tab and newline, C1, U+FFFE,
 * U+FFFF, bytes that are not UTF-8) is written as the text \xHH.  *out is
 * malloc'd (not NUL-terminated: *len bytes).
 */
fwt_err fwt_policy_result_junit(fwt_ctx *ctx, const json_t *result, const char *suite, const char *appraisal,
                                char **out, size_t *len);

/*
 * The rollback rule's history: a JSON object (start with json_object())
 * with one entry per (vendor, product, component) seen, keyed by the
 * compact ASCII JSON text of [vendor, product, component or null]:
 *   {"vendor", "product", "component"?,
 *    "fw_version": the highest orderable version or null, "fw_version_seq":
 *    the first record that holds it, "svn": the highest SVN or null,
 *    "svn_seq": its record, "unordered"?: {"version", "seq"}, the first
 *    version that cannot be ordered (the rule refuses it)}
 * Add the "products" of the audit record seq (one that passed or warned):
 * each product costs one hash lookup, so a history of P products is built
 * in O(P) and read in O(1) per product.  FWT_ENOMEM, or FWT_OK.
 */
fwt_err fwt_policy_history_add(fwt_ctx *ctx, json_t *hist, const json_t *products, int64_t seq);

/*
 * The version order of the rollback rule: an optional "v" or "V", then one
 * to 16 decimal numbers (each at most 18 digits) separated by dots; numbers
 * compare numerically, left to right, a missing number counting as 0
 * ("1.2" == "1.2.0" < "1.10").  *cmp is <0, 0 or >0.  FWT_EFORMAT when
 * either is not such a version ("1.2.3-rc1", "", "1..2").
 */
fwt_err fwt_policy_version_cmp(const char *a, size_t alen, const char *b, size_t blen, int *cmp);

#ifdef __cplusplus
}
#endif
#endif
