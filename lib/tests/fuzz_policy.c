/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_policy.c - policies and appraisal records through the strict loaders
 * and every rule.  The input is read as a policy (evaluated over a fixed
 * record and history), as a record (evaluated by a fixed policy holding
 * every rule), and as two versions split at the first newline.
 * Properties: an evaluation that returns a result gives a verdict that
 * follows from its rule outcomes, FWT_EVERIFY exactly for fail, and
 * reasons that are valid strings; the version order is antisymmetric. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>

static const char RECORD[] =
	"{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":1,\"name\":\"BMC\",\"alg\":\"sha384\","
	"\"digest\":\"00ff\",\"status\":\"mismatch\",\"reference\":{\"rim\":\"r\",\"digest\":\"11ee\"},"
	"\"review\":{\"status\":\"reviewed\",\"report\":\"s\",\"srp\":\"R\",\"scope\":1,\"completion_date\":\"2026-01-01\","
	"\"open_issues\":1,\"issues\":[{\"title\":\"t\",\"cvss_score\":7.5,\"cwe\":\"CWE-787\"}]}},"
	"{\"source\":\"eventlog\",\"index\":0,\"event\":2,\"alg\":\"sha256\",\"digest\":\"aa\",\"status\":\"match\","
	"\"reference\":{\"rim\":\"r\",\"alg\":\"sha256\",\"digest\":\"aa\"},\"review\":{\"status\":\"unreviewed\"}}],"
	"\"signatures\":[{\"kind\":\"sfr\",\"verified\":true,\"fingerprint\":"
	"\"0000000000000000000000000000000000000000000000000000000000000000\"}],"
	"\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"fw_version\":\"1.2\",\"svn\":3}]}";

static const char POLICY[] =
	"{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\"},{\"rule\":\"measurements\",\"pcrs\":[0]},"
	"{\"rule\":\"review-coverage\",\"min_scope\":1,\"reviewers\":[\"R\",{\"name\":\"S\",\"keys\":[\"0000000000000000000000000000000000000000000000000000000000000000\"]}]},{\"rule\":\"sfr-age\",\"max_days\":30},"
	"{\"rule\":\"max-cvss\",\"threshold\":7},{\"rule\":\"forbidden-cwe\",\"cwes\":[\"CWE-787\"]},"
	"{\"rule\":\"rollback\",\"level\":\"warn\"},{\"rule\":\"references\",\"products\":[{\"vendor\":\"A\"}]}]}";

/* the products of an earlier record (seq 1), made into a history by the
 * library as the audit log's reader does */
static const char HISTORY[] = "[{\"vendor\":\"A\",\"product\":\"B\",\"fw_version\":\"1.3\",\"svn\":4}]";

static void check(fwt_ctx *ctx, const fwt_policy *p, const json_t *rec, const json_t *hist)
{
	fwt_policy_eval_options o = FWT_POLICY_EVAL_OPTIONS_INIT;
	fwt_verdict v;
	json_t *res = NULL, *r, *why;
	size_t i, j;
	int worst = 0;
	fwt_err err;

	o.at = 1795366800;
	o.history = hist;
	err = fwt_policy_eval(ctx, p, rec, &o, &v, &res);
	if (err != FWT_OK && err != FWT_EVERIFY) {
		if (res)
			abort();
		return;
	}
	json_array_foreach(json_object_get(res, "rules"), i, r) {
		const char *oc = json_string_value(json_object_get(r, "outcome"));
		if (!oc)
			abort();
		if (!strcmp(oc, "fail"))
			worst = 2;
		else if (!strcmp(oc, "warn") && worst < 1)
			worst = 1;
		json_array_foreach(json_object_get(r, "reasons"), j, why)
			if (!json_is_string(why))
				abort();
	}
	if ((int)v != worst || (err == FWT_EVERIFY) != (v == FWT_VERDICT_FAIL))
		abort();
	json_decref(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_ctx *ctx = NULL;
	fwt_policy *p = NULL, *fixed = NULL;
	json_t *rec = NULL, *fixed_rec = NULL, *hist, *prods;
	json_error_t je;
	const uint8_t *nl;
	int c1, c2;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 0;
	hist = json_object();
	prods = json_loads(HISTORY, 0, &je);
	if (!hist || !prods || fwt_policy_history_add(ctx, hist, prods, 1) != FWT_OK)
		abort();
	json_decref(prods);
	/* the harness's own check: against that history the fixed record's
	 * 1.2 (SVN 3) is a rollback, so the rule compares histories at all */
	{
		fwt_policy_eval_options o = FWT_POLICY_EVAL_OPTIONS_INIT;
		fwt_policy *rb = NULL;
		json_t *res = NULL, *one = NULL;
		fwt_verdict v;
		static const char RB[] = "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"rollback\"}]}";
		o.history = hist;
		if (fwt_policy_parse(ctx, &rb, RB, sizeof(RB) - 1, "rb") != FWT_OK ||
		    fwt_policy_record_parse(ctx, &one, RECORD, sizeof(RECORD) - 1, "fixed") != FWT_OK ||
		    fwt_policy_eval(ctx, rb, one, &o, &v, &res) != FWT_EVERIFY || v != FWT_VERDICT_FAIL)
			abort();
		json_decref(res);
		json_decref(one);
		fwt_policy_free(rb);
	}
	if (fwt_policy_parse(ctx, &fixed, POLICY, sizeof(POLICY) - 1, "fixed") != FWT_OK ||
	    fwt_policy_record_parse(ctx, &fixed_rec, RECORD, sizeof(RECORD) - 1, "fixed") != FWT_OK)
		abort();
	if (fwt_policy_parse(ctx, &p, data, size, "fuzz") == FWT_OK) {
		check(ctx, p, fixed_rec, hist);
		check(ctx, p, fixed_rec, NULL);
	}
	if (fwt_policy_record_parse(ctx, &rec, data, size, "fuzz") == FWT_OK) {
		check(ctx, fixed, rec, hist);
		check(ctx, fixed, rec, NULL);
	}
	/* what audit --appraisal takes is a record the plain loader takes too */
	{
		json_t *ap = NULL;
		if (fwt_policy_appraisal_parse(ctx, &ap, data, size, "fuzz") == FWT_OK) {
			if (!rec || fwt_policy_appraisal_check(ctx, ap, "fuzz") != FWT_OK)
				abort();
			check(ctx, fixed, ap, hist);
		} else if (ap) {
			abort();
		}
		json_decref(ap);
	}
	nl = memchr(data, '\n', size);
	if (nl) {
		size_t a = (size_t)(nl - data);
		if (fwt_policy_version_cmp((const char *)data, a, (const char *)nl + 1, size - a - 1, &c1) == FWT_OK) {
			if (fwt_policy_version_cmp((const char *)nl + 1, size - a - 1, (const char *)data, a, &c2) != FWT_OK ||
			    (c1 > 0) != (c2 < 0) || (c1 == 0) != (c2 == 0))
				abort();
		}
	}
	fwt_policy_free(p);
	fwt_policy_free(fixed);
	json_decref(rec);
	json_decref(fixed_rec);
	json_decref(hist);
	fwt_ctx_free(ctx);
	return 0;
}
