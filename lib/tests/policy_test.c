/* SPDX-License-Identifier: Apache-2.0 */
/* policy_test.c - policy loading (every refusal with its JSON path), the
 * appraisal record checks, the version order, and each rule passing and
 * failing on the testdata/audit records. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

#define TD "testdata/audit/"
#define AT 1795366800 /* 2026-11-22T17:00:00Z */

static fwt_ctx *ctx;

static fwt_err load_policy(const char *path, fwt_policy **out)
{
	size_t n = 0;
	unsigned char *b = t_slurp(path, &n);
	fwt_err err;

	if (!b)
		return FWT_EIO;
	err = fwt_policy_parse(ctx, out, b, n, path);
	free(b);
	return err;
}

static fwt_err load_record(const char *path, json_t **out)
{
	size_t n = 0;
	unsigned char *b = t_slurp(path, &n);
	fwt_err err;

	if (!b)
		return FWT_EIO;
	err = fwt_policy_record_parse(ctx, out, b, n, path);
	free(b);
	return err;
}

/* The outcome of rule id in a result, or NULL. */
static const char *outcome(const json_t *res, const char *id)
{
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(res, "rules"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "id")), id))
			return json_string_value(json_object_get(r, "outcome"));
	return NULL;
}

/* True when the JSON text of v contains s. */
static int json_has(const json_t *v, const char *s)
{
	char *t = json_dumps(v, JSON_ENCODE_ANY);
	int r = t && strstr(t, s) != NULL;

	free(t);
	return r;
}

/* A rollback history built as the audit log builds it: text is a list of
 * the audits that passed, [{"seq": n, "products": [...]}, ...]. */
static json_t *history_json(const char *text)
{
	json_error_t e;
	json_t *audits = json_loads(text, 0, &e), *hist = json_object(), *a;
	size_t i;

	json_array_foreach(audits, i, a)
		if (fwt_policy_history_add(ctx, hist, json_object_get(a, "products"),
		                           json_integer_value(json_object_get(a, "seq"))) != FWT_OK) {
			json_decref(hist);
			hist = NULL;
			break;
		}
	json_decref(audits);
	return hist;
}

/* The history a log holding one passing audit of good.json would give. */
static const char *const GOOD_HISTORY =
	"[{\"seq\":1,\"products\":[{\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"1.2.0\"}]},"
	"{\"seq\":3,\"products\":[{\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"1.2.3\",\"svn\":5},"
	"{\"vendor\":\"ACME\",\"product\":\"BIOS\",\"fw_version\":\"4.1.0\",\"svn\":3}]}]";

static fwt_err eval(const char *policy, const char *record, const json_t *hist, fwt_verdict *v, json_t **res)
{
	fwt_policy_eval_options o = FWT_POLICY_EVAL_OPTIONS_INIT;
	fwt_policy *p = NULL;
	json_t *rec = NULL;
	fwt_err err;

	*res = NULL;
	err = load_policy(policy, &p);
	if (!err)
		err = load_record(record, &rec);
	o.at = AT;
	o.history = hist;
	if (!err)
		err = fwt_policy_eval(ctx, p, rec, &o, v, res);
	fwt_policy_free(p);
	json_decref(rec);
	return err;
}

static void test_loads_the_policies(void)
{
	fwt_policy *p = NULL;
	const json_t *d;

	T_EQ_INT(load_policy(TD "policies/all.json", &p), FWT_OK);
	T_EQ_INT(fwt_policy_rule_count(p), 7);
	T_ASSERT(fwt_policy_needs_history(p));
	d = fwt_policy_json(p);
	/* defaults are filled in */
	T_EQ_STR(json_string_value(json_object_get(json_array_get(json_object_get(d, "rules"), 1), "level")), "fail");
	T_EQ_INT(json_array_size(json_object_get(json_array_get(json_object_get(d, "rules"), 6), "compare")), 2);
	fwt_policy_free(p);
	p = NULL;
	T_EQ_INT(load_policy(TD "policies/nolog.json", &p), FWT_OK);
	T_ASSERT(!fwt_policy_needs_history(p));
	fwt_policy_free(p);
	p = NULL;
	T_EQ_INT(load_policy(TD "policies/scoped.json", &p), FWT_OK);
	fwt_policy_free(p);
}

static void test_refuses_bad_policies(void)
{
	static const struct {
		const char *name;
		fwt_err code;
		const char *where;
	} cases[] = {
		{ "unknown-rule", FWT_EFORMAT, "$.rules[1].rule: unknown rule" },
		{ "unknown-param", FWT_EFORMAT, "$.rules[0].treshold: unknown parameter for rule 'max-cvss'" },
		{ "wrong-type", FWT_EFORMAT, "$.rules[0].threshold: must be a number" },
		{ "bad-value", FWT_EFORMAT, "$.rules[0].max_days: must be a number of days" },
		{ "bad-cwe", FWT_EFORMAT, "$.rules[0].cwes[1]: must be a CWE id" },
		{ "bad-fingerprint", FWT_EFORMAT, "$.rules[0].vendor[0]: must be a key fingerprint" },
		{ "missing-param", FWT_EFORMAT, "$.rules[0]: rule 'max-cvss' needs the parameter \"threshold\"" },
		{ "dup-key", FWT_EFORMAT, "duplicate" },
		{ "dup-id", FWT_EFORMAT, "$.rules[1].id: rule id 'max-cvss' is already used" },
		{ "bad-level", FWT_EFORMAT, "$.rules[0].level" },
		{ "empty-rules", FWT_EFORMAT, "$.rules: must hold 1 to" },
		{ "unknown-member", FWT_EFORMAT, "$.rulez: unknown member" },
		{ "no-version", FWT_EFORMAT, "not a fwtrail policy" },
		{ "version-2", FWT_EUNSUPPORTED, "$.fwtrail_policy: policy format version 2" },
		{ "repeated-entry", FWT_EFORMAT, "$.rules[0].pcrs[2]: repeats entry [0]" },
		{ "not-json", FWT_EFORMAT, "JSON error" },
	};
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fwt_policy *p = NULL;
		snprintf(path, sizeof(path), TD "bad/policies/%s.json", cases[i].name);
		if (load_policy(path, &p) != cases[i].code || p || !strstr(fwt_ctx_errmsg(ctx), cases[i].where))
			T_FAIL_("%s: got '%s'", cases[i].name, fwt_ctx_errmsg(ctx));
	}
}

/* "pcrs" or "indices" with "sources" leaving out their kind: the rule
 * would check none of the components they name (a PCR 0 mismatch passed). */
static void test_measurements_scope_contradiction(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"sources\":[\"spdm\"],\"pcrs\":[0]}]}",
		  "$.rules[0].pcrs: names PCRs, but \"sources\" leaves out eventlog" },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"indices\":[1],\"sources\":[\"eventlog\"]}]}",
		  "$.rules[0].indices: names SPDM indices, but \"sources\" leaves out spdm" },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"sources\":[\"eventlog\",\"spdm\"],\"pcrs\":[0],"
		  "\"indices\":[1]}]}", NULL },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"sources\":[\"eventlog\"],\"pcrs\":[0]}]}", NULL },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"pcrs\":[0],\"indices\":[1]}]}", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fwt_policy *p = NULL;
		fwt_err err = fwt_policy_parse(ctx, &p, cases[i].text, strlen(cases[i].text), "p.json");
		if (cases[i].msg ? err != FWT_EFORMAT || p || !strstr(fwt_ctx_errmsg(ctx), cases[i].msg) : err != FWT_OK)
			T_FAIL_("case %zu: %d, '%s'", i, err, err ? fwt_ctx_errmsg(ctx) : "");
		fwt_policy_free(p);
	}
}

static void test_policy_edge_values(void)
{
	static const struct {
		const char *text;
		fwt_err code;
	} cases[] = {
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":10}]}", FWT_OK },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":10.01}]}", FWT_EFORMAT },
		/* one decimal, as CVSS scores: 4.35 would be applied as 4.4 */
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":4.35}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":0.05}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":4.3}]}", FWT_OK },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":0.3}]}", FWT_OK },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":9.90}]}", FWT_OK },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":null}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"sfr-age\",\"max_days\":1.5}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[]}]}", FWT_OK },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"corim\"]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"vendor\":[]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"pcrs\":[1024]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"indices\":[-1]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"sources\":[\"redfish\"]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"components\":[{\"index\":1}]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"components\":[{\"source\":\"spdm\",\"slot\":1}]}]}",
		  FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"reviewers\":[\"\"]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"rollback\",\"compare\":[\"version\"]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"rollback\",\"id\":\"has space\"}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"forbidden-cwe\",\"cwes\":[\"cwe-79\",\"CWE-79\"]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"reviewers\":[{\"name\":\"Lab\"}]}]}",
		  FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"reviewers\":[{\"name\":\"Lab\",\"keys\":[]}]}]}",
		  FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"reviewers\":[{\"name\":\"Lab\",\"keys\":[\"ab\"]}]}]}",
		  FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"reviewers\":[\"Lab\",{\"name\":\"LAB\",\"keys\":[\""
		  "0000000000000000000000000000000000000000000000000000000000000000\"]}]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"reviewers\":[\"Lab\",{\"name\":\"Other\",\"keys\":[\""
		  "0000000000000000000000000000000000000000000000000000000000000000\"]}]}]}", FWT_OK },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\"}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[{}]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[{\"keys\":[\""
		  "0000000000000000000000000000000000000000000000000000000000000000\"]}]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[{\"vendor\":\"A\",\"keys\":[]}]}]}",
		  FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[\"ACME\"]}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[{\"vendor\":\"\"}]}]}",
		  FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[{\"vendor\":\"A\",\"sku\":\"1\"}]}]}",
		  FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[{\"vendor\":\"A\"},{\"vendor\":\"A\"}]}]}",
		  FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[{\"vendor\":\"A\"},{\"vendor\":\"a\"}]}]}",
		  FWT_OK },
		{ "{\"fwtrail_policy\":1,\"rules\":[{\"level\":\"warn\"}]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":1,\"rules\":[\"measurements\"]}", FWT_EFORMAT },
		{ "{\"fwtrail_policy\":\"1\",\"rules\":[{\"rule\":\"measurements\"}]}", FWT_EFORMAT },
		{ "[{\"rule\":\"measurements\"}]", FWT_EFORMAT },
		{ "", FWT_EFORMAT },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fwt_policy *p = NULL;
		fwt_err err = fwt_policy_parse(ctx, &p, cases[i].text, strlen(cases[i].text), "p.json");
		if (err != cases[i].code)
			T_FAIL_("case %zu: %d, '%s'", i, err, fwt_ctx_errmsg(ctx));
		fwt_policy_free(p);
	}
}

/* The file name in a message is the caller's: a deep path is shown whole,
 * and one too long for a message ends in "...", never silently clipped. */
static void test_long_names_in_messages(void)
{
	static const char text[] = "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvs\"}]}";
	char name[2048], want[2100];
	fwt_policy *p = NULL;

	memset(name, 'd', 200);
	memcpy(name + 200, "/policy.json", 13);
	T_EQ_INT(fwt_policy_parse(ctx, &p, text, strlen(text), name), FWT_EFORMAT);
	snprintf(want, sizeof(want), "'%s': $.rules[0].rule: unknown rule", name);
	if (strncmp(fwt_ctx_errmsg(ctx), want, strlen(want)))
		T_FAIL_("got '%s'", fwt_ctx_errmsg(ctx));
	memset(name, 'd', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	T_EQ_INT(fwt_policy_parse(ctx, &p, text, strlen(text), name), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "ddd...': $.rules[0].rule: unknown rule") != NULL);
	T_ASSERT(p == NULL);
}

static void test_records_are_checked(void)
{
	static const struct {
		const char *name;
		fwt_err code;
		const char *where;
	} cases[] = {
		{ "wrong-type", FWT_EFORMAT, "$.components: must be an array or null, not object" },
		{ "bad-status", FWT_EFORMAT, "$.components[1].status: must be one of match" },
		{ "bad-date", FWT_EFORMAT, "$.components[0].review.completion_date: must be a date" },
		{ "bad-sha256", FWT_EFORMAT, "$.inputs[0].sha256: must be a SHA-256" },
		{ "schema-2", FWT_EUNSUPPORTED, "$.schema: appraisal record schema 2 is not supported" },
		{ "no-schema", FWT_EFORMAT, "$.schema: missing" },
		{ "dup-key", FWT_EFORMAT, "duplicate" },
		{ "truncated", FWT_EFORMAT, "JSON error" },
		{ "invalid-utf8", FWT_EFORMAT, "$.components[0].review.issues[0].title): unable to decode byte 0xff" },
	};
	char path[256];
	size_t i;
	json_t *r = NULL;

	T_EQ_INT(load_record(TD "records/good.json", &r), FWT_OK);
	json_decref(r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = NULL;
		snprintf(path, sizeof(path), TD "bad/records/%s.json", cases[i].name);
		if (load_record(path, &r) != cases[i].code || r || !strstr(fwt_ctx_errmsg(ctx), cases[i].where))
			T_FAIL_("%s: got '%s'", cases[i].name, fwt_ctx_errmsg(ctx));
	}
	/* unknown members are ignored; null means not known */
	{
		static const char rec[] = "{\"schema\":1,\"future\":{\"x\":[1]},\"components\":null,\"products\":"
		                          "[{\"vendor\":\"A\",\"product\":\"B\",\"svn\":null,\"new\":true}]}";
		r = NULL;
		T_EQ_INT(fwt_policy_record_parse(ctx, &r, rec, sizeof(rec) - 1, "r"), FWT_OK);
		json_decref(r);
	}
	/* a built record is checked the same way */
	r = json_pack("{s:i, s:[{s:s, s:s, s:i}]}", "schema", 1, "components", "source", "spdm", "status", "unknown",
	              "index", -1);
	T_EQ_INT(fwt_policy_record_check(ctx, r, "built"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.components[0].index: must not be negative"));
	json_decref(r);
}

static void test_version_order(void)
{
	static const struct {
		const char *a, *b;
		int cmp;
	} ok[] = {
		{ "1.2", "1.2.0", 0 },      { "1.10", "1.9", 1 },  { "v2", "1.99.99", 1 }, { "V1.0", "1", 0 },
		{ "0.9.9", "1", -1 },       { "10", "9", 1 },      { "1.2.3", "1.2.3", 0 }, { "007", "7", 0 },
		{ "999999999999999999", "1", 1 },
	};
	static const char *const bad[] = {
		"", "v", "1..2", ".1", "1.", "1.2.3-rc1", "1.2a", " 1", "1 ", "+1", "-1", "1,2",
		"1234567890123456789", "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17", "vv1", "1.2\n",
	};
	size_t i;
	int c;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		c = 99;
		T_EQ_INT(fwt_policy_version_cmp(ok[i].a, strlen(ok[i].a), ok[i].b, strlen(ok[i].b), &c), FWT_OK);
		if ((c > 0) - (c < 0) != ok[i].cmp)
			T_FAIL_("%s vs %s: %d", ok[i].a, ok[i].b, c);
		T_EQ_INT(fwt_policy_version_cmp(ok[i].b, strlen(ok[i].b), ok[i].a, strlen(ok[i].a), &c), FWT_OK);
		if ((c > 0) - (c < 0) != -ok[i].cmp)
			T_FAIL_("%s vs %s reversed: %d", ok[i].b, ok[i].a, c);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fwt_policy_version_cmp(bad[i], strlen(bad[i]), "1", 1, &c) != FWT_EFORMAT)
			T_FAIL_("'%s' should not parse", bad[i]);
	/* a NUL inside is not a version either */
	T_EQ_INT(fwt_policy_version_cmp("1\0002", 3, "1", 1, &c), FWT_EFORMAT);
}

static void test_good_record_passes_every_rule(void)
{
	json_t *hist = history_json(GOOD_HISTORY), *res = NULL;
	fwt_verdict v = FWT_VERDICT_FAIL;

	T_EQ_INT(eval(TD "policies/all.json", TD "records/good.json", hist, &v, &res), FWT_OK);
	T_EQ_INT(v, FWT_VERDICT_PASS);
	T_EQ_STR(json_string_value(json_object_get(res, "verdict")), "pass");
	T_EQ_STR(json_string_value(json_object_get(res, "at")), "2026-11-22T17:00:00Z");
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(res, "counts"), "pass")), 7);
	json_decref(res);
	/* an empty history: first audit of these products */
	json_decref(hist);
	hist = json_object();
	T_EQ_INT(eval(TD "policies/all.json", TD "records/good.json", hist, &v, &res), FWT_OK);
	json_decref(res);
	json_decref(hist);
	hist = history_json(GOOD_HISTORY);
	T_EQ_INT(eval(TD "policies/scoped.json", TD "records/good.json", hist, &v, &res), FWT_OK);
	/* scoped: a medium issue (4.3 >= 4.0) only warns */
	T_EQ_INT(v, FWT_VERDICT_WARN);
	T_EQ_STR(outcome(res, "no-medium"), "warn");
	T_EQ_STR(outcome(res, "bmc-measured"), "pass");
	json_decref(res);
	json_decref(hist);
}

/* The variants of records/expect.json whose rule finds no problem in what
 * the record says but misses something it needs: they fail at any level. */
static int lacks(const char *name)
{
	static const char *const lacking[] = { "signatures-no-rim", NULL };
	size_t i;

	for (i = 0; lacking[i]; i++)
		if (!strcmp(name, lacking[i]))
			return 1;
	return 0;
}

/* Each variant breaks exactly the rule records/expect.json names. */
static void test_each_rule_fails_on_its_record(void)
{
	size_t n = 0;
	unsigned char *b = t_slurp(TD "records/expect.json", &n);
	json_t *expect, *hist = history_json(GOOD_HISTORY), *res, *r, *why;
	json_error_t je;
	const char *name;
	json_t *rule;
	char path[256];
	size_t i, j, count = 0;
	fwt_verdict v;

	T_ASSERT(b);
	expect = json_loadb((char *)b, n, 0, &je);
	free(b);
	T_ASSERT(expect);
	json_object_foreach(expect, name, rule) {
		const char *want = json_string_value(rule);
		snprintf(path, sizeof(path), TD "records/%s.json", name);
		res = NULL;
		if (eval(TD "policies/all.json", path, hist, &v, &res) != FWT_EVERIFY || v != FWT_VERDICT_FAIL)
			T_FAIL_("%s: not a fail: %s", name, fwt_ctx_errmsg(ctx));
		json_array_foreach(json_object_get(res, "rules"), i, r) {
			const char *id = json_string_value(json_object_get(r, "id"));
			const char *oc = json_string_value(json_object_get(r, "outcome"));
			if (strcmp(oc, !strcmp(id, want) ? "fail" : "pass"))
				T_FAIL_("%s: rule %s is %s", name, id, oc);
			json_array_foreach(json_object_get(r, "reasons"), j, why)
				if (!json_is_string(why) || !json_string_length(why))
					T_FAIL_("%s: an empty reason", name);
			if (!strcmp(oc, "fail") && !json_array_size(json_object_get(r, "reasons")))
				T_FAIL_("%s: a failed rule without a reason", name);
		}
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), want));
		json_decref(res);
		/* the same at level warn: verdict warn, exit 0; except where the
		 * record lacks what the rule needs (a RIM's signature entry): that
		 * fails at any level.  A component the record calls unknown,
		 * missing or unreviewed is a problem it shows: the level applies */
		res = NULL;
		if (lacks(name)) {
			if (eval(TD "policies/warn.json", path, hist, &v, &res) != FWT_EVERIFY || v != FWT_VERDICT_FAIL)
				T_FAIL_("%s: not a fail at level warn", name);
			T_EQ_STR(outcome(res, want), "fail");
		} else {
			if (eval(TD "policies/warn.json", path, hist, &v, &res) != FWT_OK || v != FWT_VERDICT_WARN)
				T_FAIL_("%s: not a warning at level warn", name);
			T_EQ_STR(outcome(res, want), "warn");
		}
		json_decref(res);
		count++;
	}
	T_ASSERT(count >= 15);
	json_decref(expect);
	json_decref(hist);
}

static void test_missing_information_fails(void)
{
	json_t *res = NULL, *hist = json_object(), *r;
	fwt_verdict v = FWT_VERDICT_PASS;
	size_t i;

	T_EQ_INT(eval(TD "policies/all.json", TD "records/lacking.json", hist, &v, &res), FWT_EVERIFY);
	T_EQ_INT(v, FWT_VERDICT_FAIL);
	json_array_foreach(json_object_get(res, "rules"), i, r) {
		T_EQ_STR(json_string_value(json_object_get(r, "outcome")), "fail");
		T_ASSERT(json_array_size(json_object_get(r, "reasons")) >= 1);
	}
	json_decref(res);
	json_decref(hist);
	/* rollback without a log fails, it never passes by default */
	T_EQ_INT(eval(TD "policies/all.json", TD "records/good.json", NULL, &v, &res), FWT_EVERIFY);
	T_EQ_STR(outcome(res, "rollback"), "fail");
	T_ASSERT(strstr(json_string_value(json_array_get(json_object_get(json_array_get(json_object_get(res, "rules"), 6),
	                                                                 "reasons"),
	                                                 0)),
	                "--log"));
	json_decref(res);
}

static fwt_err eval_text(const char *policy, const char *record, const json_t *hist, fwt_verdict *v, json_t **res)
{
	fwt_policy_eval_options o = FWT_POLICY_EVAL_OPTIONS_INIT;
	fwt_policy *p = NULL;
	json_t *rec = NULL;
	fwt_err err = fwt_policy_parse(ctx, &p, policy, strlen(policy), "p");

	*res = NULL;
	if (!err)
		err = fwt_policy_record_parse(ctx, &rec, record, strlen(record), "r");
	o.at = AT;
	o.history = hist;
	if (!err)
		err = fwt_policy_eval(ctx, p, rec, &o, v, res);
	fwt_policy_free(p);
	json_decref(rec);
	return err;
}

/* The one rule of policy, over record, is outcome ("pass" or "fail", the
 * verdict with it), with reason among its reasons (NULL: any) and, unless
 * nreasons is -1, that many reasons. */
static void expect_rule(const char *name, const char *policy, const char *record, const char *outcome,
                        const char *reason, long nreasons)
{
	int pass = !strcmp(outcome, "pass");
	fwt_verdict v = FWT_VERDICT_WARN;
	json_t *res = NULL, *r;
	fwt_err err = eval_text(policy, record, NULL, &v, &res);

	r = json_array_get(json_object_get(res, "rules"), 0);
	if (err != (pass ? FWT_OK : FWT_EVERIFY) || v != (pass ? FWT_VERDICT_PASS : FWT_VERDICT_FAIL) ||
	    strcmp(json_string_value(json_object_get(r, "outcome")), outcome))
		T_FAIL_("%s: not %s (%s)", name, outcome, fwt_ctx_errmsg(ctx));
	else if (nreasons >= 0 && json_array_size(json_object_get(r, "reasons")) != (size_t)nreasons)
		T_FAIL_("%s: %zu reasons, not %ld", name, json_array_size(json_object_get(r, "reasons")), nreasons);
	else if (reason && !json_has(json_object_get(r, "reasons"), reason))
		T_FAIL_("%s: no reason '%s'", name, reason);
	json_decref(res);
}

/* A rule that needs something the record does not say fails at level warn
 * too: only a problem the record shows takes the rule's level (the r1
 * case: max-cvss and rollback at level warn, a record without an SFR and
 * no log, was a warning and exit 0).  Each rule kind, both ways. */
static void test_lacking_fails_at_level_warn(void)
{
#define MATCH "{\"source\":\"spdm\",\"index\":1,\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\"," \
	      "\"reference\":{\"rim\":\"a.corim\",\"alg\":\"sha384\",\"digest\":\"aa\"}"
#define REVIEWED(x) ",\"review\":{\"status\":\"reviewed\",\"report\":\"r.jws\",\"srp\":\"Lab\",\"scope\":1," \
	            "\"completion_date\":\"2026-10-01\"" x "}}"
#define ISSUE(x) ",\"open_issues\":1,\"issues\":[{\"title\":\"t\"" x "}]"
#define REC(x) "{\"schema\":1," x "}"
#define COMPS(x) "\"components\":[" x "]"
#define H64 "0000000000000000000000000000000000000000000000000000000000000000"
	static const struct {
		const char *name, *rule, *record;
		int log;               /* a history (empty) is given */
		const char *outcome;   /* of the rule at level warn */
		const char *reason;    /* in its reasons */
	} cases[] = {
		/* a component whose review the record does not give: not known,
		 * unlike one it calls unreviewed */
		{ "review-coverage, no review member", "\"rule\":\"review-coverage\"", REC(COMPS(MATCH "}")), 1, "fail",
		  "does not say whether an SFR reviews it" },
		/* SPDM evidence: a failed signature says so by either member;
		 * with neither, not known, never skipped as unauthenticated */
		{ "signatures, SPDM failed (authentication only)", "\"rule\":\"signatures\",\"require\":[\"rim\"]",
		  REC(COMPS(MATCH "}") ",\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true},{\"path\":\"e.spdm\","
		      "\"kind\":\"spdm\",\"verified\":false,\"authentication\":\"failed\",\"error\":\"bad\"}]"), 1, "warn", "signature not verified: bad" },
		{ "signatures, SPDM not said checked or not", "\"rule\":\"signatures\",\"require\":[\"rim\"]",
		  REC(COMPS(MATCH "}") ",\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true},{\"path\":\"e.spdm\","
		      "\"kind\":\"spdm\",\"verified\":false}]"), 1,
		  "fail", "does not say whether its signature was checked" },
		/* the SFR rules without an SFR (r1) */
		{ "max-cvss, no SFR", "\"rule\":\"max-cvss\",\"threshold\":7.0", REC(COMPS(MATCH "}")), 1, "fail",
		  "no SFR in the record" },
		{ "sfr-age, no SFR", "\"rule\":\"sfr-age\",\"max_days\":365", REC(COMPS(MATCH "}")), 1, "fail",
		  "no SFR in the record" },
		{ "forbidden-cwe, no SFR", "\"rule\":\"forbidden-cwe\",\"cwes\":[\"CWE-787\"]", REC(COMPS(MATCH "}")), 1,
		  "fail", "no SFR in the record" },
		{ "max-cvss, an issue without a score", "\"rule\":\"max-cvss\",\"threshold\":7.0",
		  REC(COMPS(MATCH REVIEWED(ISSUE("")))), 1, "fail", "has no CVSS score" },
		{ "max-cvss, issues not recorded", "\"rule\":\"max-cvss\",\"threshold\":7.0",
		  REC(COMPS(MATCH REVIEWED(",\"open_issues\":2"))), 1, "fail", "its open issues are not recorded" },
		{ "max-cvss, an issue at the threshold", "\"rule\":\"max-cvss\",\"threshold\":7.0",
		  REC(COMPS(MATCH REVIEWED(ISSUE(",\"cvss_score\":7.5")))), 1, "warn", "has CVSS 7.5, at or above 7.0" },
		{ "forbidden-cwe, a CWE that is no id", "\"rule\":\"forbidden-cwe\",\"cwes\":[\"CWE-787\"]",
		  REC(COMPS(MATCH REVIEWED(ISSUE(",\"cwe\":\"n/a\"")))), 1, "fail", "which is not a CWE id" },
		{ "forbidden-cwe, CWEs not recorded", "\"rule\":\"forbidden-cwe\",\"cwes\":[\"CWE-787\"]",
		  REC(COMPS(MATCH REVIEWED(",\"open_issues\":2"))), 1, "fail", "the CWEs of its open issues are not recorded" },
		{ "forbidden-cwe, a forbidden CWE", "\"rule\":\"forbidden-cwe\",\"cwes\":[\"CWE-787\"]",
		  REC(COMPS(MATCH REVIEWED(ISSUE(",\"cwe\":\"CWE-787\"")))), 1, "warn", "which the policy forbids" },
		{ "sfr-age, no completion date", "\"rule\":\"sfr-age\",\"max_days\":365",
		  REC(COMPS(MATCH ",\"review\":{\"status\":\"reviewed\",\"report\":\"r.jws\"}}")), 1, "fail",
		  "completion date not recorded" },
		{ "sfr-age, too old", "\"rule\":\"sfr-age\",\"max_days\":10", REC(COMPS(MATCH REVIEWED(""))), 1, "warn",
		  "more than max_days 10" },
		/* rollback */
		{ "rollback, no log", "\"rule\":\"rollback\"",
		  REC("\"products\":[{\"vendor\":\"V\",\"product\":\"P\",\"fw_version\":\"1.0\"}]"), 0, "fail", "--log" },
		{ "rollback, no products", "\"rule\":\"rollback\"", REC("\"products\":[]"), 1, "fail", "lists no products" },
		{ "rollback, nothing to compare", "\"rule\":\"rollback\"",
		  REC("\"products\":[{\"vendor\":\"V\",\"product\":\"P\"}]"), 1, "fail", "gives no fw_version or svn" },
		/* measurements */
		{ "measurements, no component", "\"rule\":\"measurements\"", REC(COMPS("")), 1, "fail",
		  "no component was compared" },
		{ "measurements, no components member", "\"rule\":\"measurements\"", REC("\"ok\":false"), 1, "fail",
		  "does not list the measured components" },
		{ "measurements, unknown", "\"rule\":\"measurements\"",
		  REC(COMPS(MATCH "},{\"source\":\"spdm\",\"index\":2,\"alg\":\"sha384\",\"digest\":\"bb\",\"status\":"
		            "\"unknown\"}")), 1, "warn", "unknown: no reference value" },
		{ "measurements, missing", "\"rule\":\"measurements\"",
		  REC(COMPS(MATCH "},{\"source\":\"spdm\",\"index\":2,\"status\":\"missing\",\"reference\":{\"rim\":"
		            "\"a.corim\",\"alg\":\"sha384\",\"digest\":\"bb\"}}")), 1, "warn", "was not measured" },
		{ "measurements, mismatch", "\"rule\":\"measurements\"",
		  REC(COMPS(MATCH "},{\"source\":\"spdm\",\"index\":2,\"alg\":\"sha384\",\"digest\":\"bb\",\"status\":"
		            "\"mismatch\",\"reference\":{\"rim\":\"a.corim\",\"alg\":\"sha384\",\"digest\":\"cc\"}}")),
		  1, "warn", "mismatch: measured sha384:bb" },
		{ "measurements, mismatch and unknown", "\"rule\":\"measurements\"",
		  REC(COMPS("{\"source\":\"spdm\",\"index\":2,\"alg\":\"sha384\",\"digest\":\"bb\",\"status\":"
		            "\"mismatch\",\"reference\":{\"rim\":\"a.corim\",\"alg\":\"sha384\",\"digest\":\"cc\"}},"
		            "{\"source\":\"spdm\",\"index\":3,\"status\":\"unknown\"}")),
		  1, "warn", "unknown: no reference value" },
		{ "measurements, unverifiable", "\"rule\":\"measurements\"",
		  REC(COMPS(MATCH "}") ",\"unverifiable\":[{\"source\":\"spdm\",\"index\":3,\"rim\":\"a.corim\"}]"), 1,
		  "fail", "unverifiable: 'a.corim'" },
		{ "measurements, conflict", "\"rule\":\"measurements\"",
		  REC(COMPS(MATCH "}") ",\"conflicts\":[{\"source\":\"spdm\",\"index\":1,\"alg\":\"sha384\"}]"), 1,
		  "warn", "conflict: the RIMs disagree" },
		{ "measurements, SPDM evidence without a block", "\"rule\":\"measurements\"",
		  REC(COMPS(MATCH "}") ",\"inputs\":[{\"path\":\"e.spdm\",\"kind\":\"spdm\",\"sha256\":\"" H64 "\","
		      "\"blocks\":0}]"), 1, "fail", "measures nothing" },
		{ "measurements, TPM PCRs not read", "\"rule\":\"measurements\"",
		  REC(COMPS(MATCH "}") ",\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",\"sha256\":\"" H64 "\","
		      "\"tpm\":{\"compared\":true,\"match\":false,\"banks\":[],\"error\":\"cannot read PCR 0\"}}]"), 1,
		  "fail", "not compared with the TPM's PCRs: cannot read PCR 0" },
		{ "measurements, a TPM bank the log cannot replay", "\"rule\":\"measurements\"",
		  REC(COMPS(MATCH "}") ",\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",\"sha256\":\"" H64 "\","
		      "\"tpm\":{\"compared\":true,\"match\":false,\"unreplayable\":[{\"bank\":\"sha384\"}]}}]"), 1,
		  "fail", "cannot replay" },
		{ "measurements, a PCR the TPM contradicts", "\"rule\":\"measurements\"",
		  REC(COMPS(MATCH "}") ",\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",\"sha256\":\"" H64 "\","
		      "\"tpm\":{\"compared\":true,\"match\":false,\"mismatches\":[{\"bank\":\"sha256\",\"pcr\":7}]}}]"), 1,
		  "warn", "does not replay to the TPM's PCRs (sha256 PCR 7)" },
		{ "measurements, a listed PCR not in the record", "\"rule\":\"measurements\",\"pcrs\":[5]",
		  REC(COMPS(MATCH "}")), 1, "fail", "PCR 5: not in the record" },
		/* review-coverage */
		{ "review-coverage, unreviewed", "\"rule\":\"review-coverage\"",
		  REC(COMPS(MATCH ",\"review\":{\"status\":\"unreviewed\"}}")), 1, "warn", "no SFR covers its digest" },
		{ "review-coverage, no measured component", "\"rule\":\"review-coverage\"", REC(COMPS("")), 1, "fail",
		  "holds no measured component" },
		{ "review-coverage, a selector matching nothing",
		  "\"rule\":\"review-coverage\",\"components\":[{\"source\":\"spdm\",\"index\":9}]",
		  REC(COMPS(MATCH REVIEWED(""))), 1, "fail", "no component of the record matches" },
		{ "review-coverage, scope not recorded", "\"rule\":\"review-coverage\",\"min_scope\":1",
		  REC(COMPS(MATCH ",\"review\":{\"status\":\"reviewed\",\"report\":\"r.jws\"}}")), 1, "fail",
		  "the scope of SFR 'r.jws' is not recorded" },
		{ "review-coverage, scope below", "\"rule\":\"review-coverage\",\"min_scope\":2",
		  REC(COMPS(MATCH REVIEWED(""))), 1, "warn", "below min_scope 2" },
		{ "review-coverage, reviewer not recorded", "\"rule\":\"review-coverage\",\"reviewers\":[\"Lab\"]",
		  REC(COMPS(MATCH ",\"review\":{\"status\":\"reviewed\",\"report\":\"r.jws\"}}")), 1, "fail",
		  "the reviewer of SFR 'r.jws' is not recorded" },
		{ "review-coverage, another reviewer", "\"rule\":\"review-coverage\",\"reviewers\":[\"Other\"]",
		  REC(COMPS(MATCH REVIEWED(""))), 1, "warn", "not an allowed reviewer" },
		/* signatures */
		{ "signatures, no signatures member", "\"rule\":\"signatures\"", REC(COMPS(MATCH "}")), 1, "fail",
		  "does not list the signatures" },
		{ "signatures, no SFR signature (required)", "\"rule\":\"signatures\"",
		  REC("\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true}]"), 1, "fail",
		  "no verified sfr signature in the record (required)" },
		{ "signatures, an SFR whose signature failed", "\"rule\":\"signatures\"",
		  REC("\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true},{\"path\":\"r.jws\","
		      "\"kind\":\"sfr\",\"verified\":false,\"error\":\"bad signature\"}]"),
		  1, "warn", "'r.jws' (sfr): signature not verified: bad signature" },
		{ "signatures, a RIM input without its entry", "\"rule\":\"signatures\",\"require\":[]",
		  REC("\"signatures\":[],\"inputs\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"sha256\":\"" H64 "\"}]"),
		  1, "fail", "an input whose signature the record does not list" },
		{ "signatures, no fingerprint", "\"rule\":\"signatures\",\"require\":[],\"vendor\":[\"" H64 "\"]",
		  REC("\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true}]"), 1, "fail",
		  "does not say by which key" },
		{ "signatures, a key not allowed", "\"rule\":\"signatures\",\"require\":[],\"vendor\":[\"" H64 "\"]",
		  REC("\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true,\"fingerprint\":\""
		      "1111111111111111111111111111111111111111111111111111111111111111\"}]"),
		  1, "warn", "which is not an allowed vendor key" },
		/* SPDM evidence is listed among the signatures whether or not it
		 * was authenticated: one left out is not known to be genuine */
		{ "signatures, SPDM evidence without its entry", "\"rule\":\"signatures\",\"require\":[\"rim\"]",
		  REC(COMPS(MATCH "}") ",\"inputs\":[{\"path\":\"e.spdm\",\"kind\":\"spdm\",\"sha256\":\"" H64 "\"}],"
		      "\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true}]"), 1, "fail",
		  "'e.spdm' (spdm): an input whose signature the record does not list" },
		/* "verified" holds at the record's own time (5 minutes either
		 * way), not at another evaluation time */
		{ "signatures, a record of another time", "\"rule\":\"signatures\",\"require\":[\"rim\"]",
		  REC("\"at\":\"2026-04-01T00:00:00Z\",\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true}]"),
		  1, "fail", "the record's signatures were checked at 2026-04-01T00:00:00Z (its \\\"at\\\"), not at the "
		  "evaluation time 2026-11-22T17:00:00Z: appraise again, or evaluate at the record's time with --at" },
		{ "signatures, a record of a later time", "\"rule\":\"signatures\",\"require\":[\"rim\"]",
		  REC("\"at\":\"2026-11-22T17:05:01Z\",\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true}]"),
		  1, "fail", "were checked at 2026-11-22T17:05:01Z" },
		{ "signatures, unauthenticated SPDM (required)", "\"rule\":\"signatures\",\"require\":[\"spdm\"]",
		  REC("\"signatures\":[{\"path\":\"e.spdm\",\"kind\":\"spdm\",\"verified\":false,"
		      "\"signature_checked\":false,\"error\":\"no responder certificate chain given\"}]"),
		  1, "fail", "'e.spdm' (spdm): signature not verified" },
		{ "signatures, SPDM whose signature failed (required)", "\"rule\":\"signatures\",\"require\":[\"spdm\"]",
		  REC("\"signatures\":[{\"path\":\"e.spdm\",\"kind\":\"spdm\",\"verified\":false,"
		      "\"signature_checked\":true,\"error\":\"forged\"}]"),
		  1, "warn", "'e.spdm' (spdm): signature not verified: forged" },
	};
#undef MATCH
#undef REVIEWED
#undef ISSUE
#undef REC
#undef COMPS
#undef H64
	char pol[512];
	json_t *res, *hist = json_object(), *r;
	fwt_verdict v;
	fwt_err err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fail = !strcmp(cases[i].outcome, "fail");
		snprintf(pol, sizeof(pol), "{\"fwtrail_policy\":1,\"rules\":[{%s,\"level\":\"warn\"}]}", cases[i].rule);
		res = NULL;
		v = FWT_VERDICT_PASS;
		err = eval_text(pol, cases[i].record, cases[i].log ? hist : NULL, &v, &res);
		r = json_array_get(json_object_get(res, "rules"), 0);
		if (err != (fail ? FWT_EVERIFY : FWT_OK) || v != (fail ? FWT_VERDICT_FAIL : FWT_VERDICT_WARN) ||
		    strcmp(json_string_value(json_object_get(r, "outcome")), cases[i].outcome) ||
		    strcmp(json_string_value(json_object_get(r, "level")), "warn"))
			T_FAIL_("%s: not a %s at level warn (%s)", cases[i].name, cases[i].outcome, fwt_ctx_errmsg(ctx));
		else if (!json_has(json_object_get(r, "reasons"), cases[i].reason))
			T_FAIL_("%s: no reason '%s'", cases[i].name, cases[i].reason);
		json_decref(res);
	}
	json_decref(hist);
	/* every rule of warn.json over a record that holds nothing: all fail */
	res = NULL;
	hist = json_object();
	T_EQ_INT(eval(TD "policies/warn.json", TD "records/lacking.json", hist, &v, &res), FWT_EVERIFY);
	T_EQ_INT(v, FWT_VERDICT_FAIL);
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(res, "counts"), "fail")), 7);
	json_decref(res);
	json_decref(hist);
}

/* review-coverage "reviewers" with keys: a review naming a reviewer so
 * listed counts only when its report was signed by one of its keys (the
 * record's verified "sfr" signature of that path). */
static void test_reviewers_with_keys(void)
{
#define FA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define POL "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"reviewers\":[\"Other\"," \
	    "{\"name\":\"Lab\",\"keys\":[\"" FA "\"]}]}]}"
#define COMP(srp) "{\"source\":\"spdm\",\"index\":1,\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\"," \
	          "\"reference\":{\"rim\":\"a.corim\",\"alg\":\"sha384\",\"digest\":\"aa\"},\"review\":{\"status\":" \
	          "\"reviewed\",\"report\":\"r.jws\",\"srp\":\"" srp "\"}}"
#define SIG(fp) "{\"path\":\"r.jws\",\"kind\":\"sfr\",\"verified\":true,\"fingerprint\":\"" fp "\"}"
#define REC(srp, sigs) "{\"schema\":1,\"components\":[" COMP(srp) "],\"signatures\":[" sigs "]}"
	static const struct {
		const char *name, *record, *outcome, *reason;
	} cases[] = {
		{ "signed by its key", REC("lab", SIG("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")), "pass", NULL },
		{ "signed by another trusted key", REC("Lab", SIG(FB)), "fail",
		  "SFR 'r.jws' names reviewer 'Lab' but is signed by key bbbbbbbbbbbbbbbb..., not one of that reviewer's keys" },
		{ "a reviewer listed by name alone", REC("Other", SIG(FB)), "pass", NULL },
		{ "no signature entry", REC("Lab", ""), "fail", "but the record does not show the key that signed it" },
		{ "not verified", REC("Lab", "{\"path\":\"r.jws\",\"kind\":\"sfr\",\"verified\":false,\"fingerprint\":\"" FA "\"}"),
		  "fail", "the key that signed it" },
		{ "two reports of one name, two keys", REC("Lab", SIG(FA) "," SIG(FB)), "fail", "which of two keys signed it" },
		{ "not listed", REC("Third", SIG(FA)), "fail", "reviewed by 'Third', not an allowed reviewer" },
		/* "verified" of a record of another time says nothing now, here
		 * as in the signatures rule */
		{ "a record of another time",
		  "{\"schema\":1,\"at\":\"2026-04-01T00:00:00Z\",\"components\":[" COMP("Lab") "],\"signatures\":["
		  SIG(FA) "]}", "fail", "but the record's signatures were not checked at the evaluation time" },
	};
#undef COMP
#undef SIG
#undef REC
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_rule(cases[i].name, POL, cases[i].record, cases[i].outcome, cases[i].reason, -1);
#undef POL
#undef FA
#undef FB
}

/* A record within 5 minutes of the evaluation time is of that time. */
static void test_record_time_within_skew(void)
{
	static const char *const ats[] = { "2026-11-22T17:05:00Z", "2026-11-22T16:55:00Z", "2026-11-22T17:00:00Z" };
	char rec[256];
	json_t *res;
	fwt_verdict v;
	size_t i;

	for (i = 0; i < sizeof(ats) / sizeof(ats[0]); i++) {
		snprintf(rec, sizeof(rec), "{\"schema\":1,\"at\":\"%s\",\"signatures\":[{\"path\":\"a.corim\","
		         "\"kind\":\"rim\",\"verified\":true}]}", ats[i]);
		T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"rim\"]}]}", rec,
		                   NULL, &v, &res),
		         FWT_OK);
		T_EQ_INT(v, FWT_VERDICT_PASS);
		json_decref(res);
	}
	/* one second more is of another time */
	expect_rule("16:54:59", "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"rim\"]}]}",
	            "{\"schema\":1,\"at\":\"2026-11-22T16:54:59Z\",\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\","
	            "\"verified\":true}]}",
	            "fail", "were checked at 2026-11-22T16:54:59Z", 1);
}

/* references: the reference values compared must come from RIMs of the
 * listed products (exact strings); a RIM that names less than a product
 * asks for is want of information; one reason per RIM and product. */
static void test_references_products(void)
{
#define COMP(i, ref) "{\"source\":\"spdm\",\"index\":" #i ",\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\"," \
	             "\"reference\":{\"rim\":\"a.corim\",\"alg\":\"sha384\",\"digest\":\"aa\"" ref "}}"
#define X1 ",\"vendor\":\"ACME\",\"model\":\"X1\",\"class_id\":\"c1\""
#define X2 ",\"vendor\":\"ACME\",\"model\":\"X2\""
#define REC(x) "{\"schema\":1,\"components\":[" x "]}"
#define POL(x) "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[" x "]}]}"
	static const struct {
		const char *name, *policy, *record, *outcome, *reason;
		size_t nreasons;
	} cases[] = {
		{ "vendor and model", POL("{\"vendor\":\"ACME\",\"model\":\"X1\"}"), REC(COMP(1, X1) "," COMP(2, X1)),
		  "pass", NULL, 0 },
		{ "vendor alone", POL("{\"vendor\":\"ACME\"}"), REC(COMP(1, X1) "," COMP(2, X2)), "pass", NULL, 0 },
		{ "class alone", POL("{\"class_id\":\"c1\"}"), REC(COMP(1, X1)), "pass", NULL, 0 },
		{ "class in upper case", POL("{\"class_id\":\"C1\"}"), REC(COMP(1, X1)), "pass", NULL, 0 },
		{ "one of two products", POL("{\"model\":\"X2\"},{\"model\":\"X1\"}"), REC(COMP(1, X1) "," COMP(2, X2)),
		  "pass", NULL, 0 },
		{ "another model", POL("{\"vendor\":\"ACME\",\"model\":\"X1\"}"),
		  REC(COMP(1, X1) "," COMP(2, X2) "," COMP(3, X2)), "fail",
		  "'a.corim' (vendor 'ACME', model 'X2') is not an allowed product; first used for spdm index 2", 1 },
		{ "case differs", POL("{\"vendor\":\"acme\"}"), REC(COMP(1, X1)), "fail", "is not an allowed product", 1 },
		{ "model not said", POL("{\"vendor\":\"ACME\",\"model\":\"X1\"}"),
		  REC(COMP(1, ",\"vendor\":\"ACME\"")), "fail",
		  "'a.corim' (vendor 'ACME') does not say enough of its product to match an allowed one", 1 },
		{ "nothing said", POL("{\"vendor\":\"ACME\"}"), REC(COMP(1, "")), "fail",
		  "'a.corim' (no vendor, model or class) does not say enough", 1 },
		{ "no reference", POL("{\"vendor\":\"ACME\"}"),
		  REC("{\"source\":\"spdm\",\"index\":1,\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"unknown\"}"), "fail",
		  "no component of the record has a reference value", 1 },
		{ "no component", POL("{\"vendor\":\"ACME\"}"), REC(""), "fail",
		  "no component of the record has a reference value", 1 },
	};
#undef COMP
#undef X1
#undef X2
#undef REC
#undef POL
	json_t *res;
	fwt_verdict v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_rule(cases[i].name, cases[i].policy, cases[i].record, cases[i].outcome, cases[i].reason,
		            (long)cases[i].nreasons);
	/* a product listed with keys: a RIM that names it counts only when
	 * signed by one of them (the names are the RIM's own claim) */
	{
#define FA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define KPOL "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"products\":[{\"vendor\":\"ACME\"," \
	     "\"keys\":[\"" FA "\"]}]}]}"
#define KREC(sig) "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":1,\"alg\":\"sha384\"," \
	          "\"digest\":\"aa\",\"status\":\"match\",\"reference\":{\"rim\":\"a.corim\",\"alg\":\"sha384\"," \
	          "\"digest\":\"aa\",\"vendor\":\"ACME\"}}],\"signatures\":[" sig "]}"
#define KSIG(fp) "{\"path\":\"a.corim\",\"kind\":\"rim\",\"verified\":true,\"fingerprint\":\"" fp "\"}"
		expect_rule("signed by its key", KPOL, KREC(KSIG(FA)), "pass", NULL, 0);
		expect_rule("signed by another key", KPOL, KREC(KSIG(FB)), "fail",
		            "'a.corim' (vendor 'ACME', signed by key bbbbbbbbbbbbbbbb...) is not an allowed product", 1);
		expect_rule("signer not shown", KPOL, KREC(""), "fail", "does not say enough of its product", 1);
		expect_rule("of another time", KPOL,
		            "{\"schema\":1,\"at\":\"2026-01-01T00:00:00Z\",\"components\":[{\"source\":\"spdm\",\"index\":1,"
		            "\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\",\"reference\":{\"rim\":\"a.corim\","
		            "\"alg\":\"sha384\",\"digest\":\"aa\",\"vendor\":\"ACME\"}}],\"signatures\":[" KSIG(FA) "]}",
		            "fail", "does not say enough of its product", 1);
#undef FA
#undef FB
#undef KPOL
#undef KREC
#undef KSIG
	}
	/* a product not allowed takes the rule's level; a RIM that says too
	 * little fails at level warn too */
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"level\":\"warn\","
	                   "\"products\":[{\"model\":\"X9\"}]}]}",
	                   "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":1,\"status\":\"missing\","
	                   "\"reference\":{\"rim\":\"b.corim\",\"model\":\"X1\",\"alg\":\"sha384\",\"digest\":\"aa\"}}]}",
	                   NULL, &v, &res),
	         FWT_OK);
	T_EQ_INT(v, FWT_VERDICT_WARN);
	json_decref(res);
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"references\",\"level\":\"warn\","
	                   "\"products\":[{\"vendor\":\"V\",\"model\":\"X9\"}]}]}",
	                   "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":1,\"status\":\"missing\","
	                   "\"reference\":{\"rim\":\"b.corim\",\"model\":\"X9\",\"alg\":\"sha384\",\"digest\":\"aa\"}}]}",
	                   NULL, &v, &res),
	         FWT_EVERIFY);
	T_EQ_INT(v, FWT_VERDICT_FAIL);
	json_decref(res);
}

/* fwtrail audit --appraisal reads only what attest check --json wrote:
 * another command's output, attest check's failure object and a record
 * without a member attest check always writes are refused, naming why. */
static void test_appraisal_is_attest_checks(void)
{
	static const char *const members[] = { "command", "ok", "at", "summary", "components", "inputs", "signatures",
		                                "products", NULL };
	static const struct {
		const char *text;
		fwt_err rc;
		const char *msg;
	} cases[] = {
		{ "{\"command\":\"eventlog replay\",\"schema\":1,\"ok\":true,\"banks\":{}}", FWT_EFORMAT,
		  "'a.json' is not an appraisal record of 'attest check': it is the output of 'fwtrail eventlog replay'" },
		{ "{\"command\":\"sfr verify\",\"schema\":1,\"ok\":true,\"components\":5}", FWT_EFORMAT,
		  "it is the output of 'fwtrail sfr verify'" },
		{ "{\"command\":\"x\\n\\u001b[31m\",\"schema\":1}", FWT_EFORMAT, "it is the output of 'fwtrail x\\x0a\\x1b[31m'" },
		{ "{}", FWT_EFORMAT, "it has no \"command\"" },
		{ "{\"schema\":1}", FWT_EFORMAT, "it has no \"command\"" },
		{ "[]", FWT_EFORMAT, "not an object" },
		{ "{\"command\":\"attest check\",\"schema\":1,\"ok\":false,\"error\":{\"code\":\"io\",\"message\":"
		  "\"cannot open 'e.spdm'\"}}", FWT_EFORMAT,
		  "it is the failure report of an 'attest check' that appraised nothing: cannot open 'e.spdm'" },
		{ "{\"command\":\"attest check\",\"schema\":2}", FWT_EUNSUPPORTED, "schema 2 is not supported" },
		{ "{\"command\":\"eventlog replay\",\"schema\":2}", FWT_EFORMAT, "'fwtrail eventlog replay'" },
		{ "{\"command\":\"attest check\",\"schema\":1,\"ok\":true", FWT_EFORMAT, "JSON error" },
	};
	size_t n = 0, i;
	unsigned char *good = t_slurp(TD "records/good.json", &n);
	json_t *rec = NULL, *g;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rec = NULL;
		if (fwt_policy_appraisal_parse(ctx, &rec, cases[i].text, strlen(cases[i].text), "a.json") != cases[i].rc ||
		    rec || !strstr(fwt_ctx_errmsg(ctx), cases[i].msg))
			T_FAIL_("%s: %s", cases[i].text, fwt_ctx_errmsg(ctx));
		json_decref(rec);
	}
	/* good.json is attest check's; without any one member it is not */
	T_ASSERT(good);
	T_EQ_INT(fwt_policy_appraisal_parse(ctx, &rec, good, n, "good.json"), FWT_OK);
	T_ASSERT(json_is_object(rec));
	for (i = 0; members[i]; i++) {
		g = json_deep_copy(rec);
		json_object_del(g, members[i]);
		T_EQ_INT(fwt_policy_appraisal_check(ctx, g, "g"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'g' is not an appraisal record of 'attest check': it has no \""));
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), members[i]));
		/* null is no member either */
		json_object_set_new(g, members[i], json_null());
		T_EQ_INT(fwt_policy_appraisal_check(ctx, g, "g"), FWT_EFORMAT);
		json_decref(g);
	}
	/* and the record checks still apply after it */
	g = json_deep_copy(rec);
	json_object_set_new(g, "components", json_integer(5));
	T_EQ_INT(fwt_policy_appraisal_check(ctx, g, "g"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.components"));
	json_decref(g);
	json_decref(rec);
	/* fwt_policy_record_parse, which the rules' tests use, asks none of it */
	rec = NULL;
	T_EQ_INT(fwt_policy_record_parse(ctx, &rec, "{\"schema\":1}", 12, "r"), FWT_OK);
	json_decref(rec);
	free(good);
}

static void test_boundaries(void)
{
	char rec[1024];
	json_t *res;
	fwt_verdict v;

	/* sfr-age: exactly max_days old passes, one more day fails */
	snprintf(rec, sizeof(rec),
	         "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":1,\"status\":\"unknown\",\"review\":"
	         "{\"status\":\"reviewed\",\"report\":\"r\",\"completion_date\":\"%s\",\"open_issues\":1,"
	         "\"issues\":[{\"title\":\"t\",\"cvss_score\":7.0,\"cwe\":\"CWE-0079\"}]}}]}",
	         "2025-11-22");
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"sfr-age\",\"max_days\":365}]}", rec, NULL, &v, &res),
	         FWT_OK);
	json_decref(res);
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"sfr-age\",\"max_days\":364}]}", rec, NULL, &v, &res),
	         FWT_EVERIFY);
	T_ASSERT(json_has(json_object_get(res, "rules"), "completed on 2025-11-22, 365 days ago, more than max_days 364"));
	json_decref(res);
	/* one day is said in the singular */
	snprintf(rec, sizeof(rec),
	         "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":1,\"status\":\"unknown\",\"review\":"
	         "{\"status\":\"reviewed\",\"report\":\"r\",\"completion_date\":\"2026-11-21\",\"open_issues\":0}}]}");
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"sfr-age\",\"max_days\":0}]}", rec, NULL, &v, &res),
	         FWT_EVERIFY);
	T_ASSERT(json_has(json_object_get(res, "rules"), "completed on 2026-11-21, 1 day ago, more than max_days 0"));
	json_decref(res);
	snprintf(rec, sizeof(rec),
	         "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":1,\"status\":\"unknown\",\"review\":"
	         "{\"status\":\"reviewed\",\"report\":\"r\",\"completion_date\":\"%s\",\"open_issues\":1,"
	         "\"issues\":[{\"title\":\"t\",\"cvss_score\":7.0,\"cwe\":\"CWE-0079\"}]}}]}",
	         "2025-11-22");
	/* max-cvss: a score at the threshold fails; just above it passes */
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":7}]}", rec, NULL, &v, &res),
	         FWT_EVERIFY);
	json_decref(res);
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":7.1}]}", rec, NULL, &v, &res),
	         FWT_OK);
	json_decref(res);
	/* CWE ids compare by number: CWE-0079 is CWE-79 */
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"forbidden-cwe\",\"cwes\":[\"CWE-79\"]}]}", rec, NULL,
	                   &v, &res),
	         FWT_EVERIFY);
	json_decref(res);
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"forbidden-cwe\",\"cwes\":[\"CWE-80\"]}]}", rec, NULL,
	                   &v, &res),
	         FWT_OK);
	json_decref(res);
	/* a scoped measurement rule needs the PCRs it names */
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"pcrs\":[7]}]}", rec, NULL, &v, &res),
	         FWT_EVERIFY);
	T_ASSERT(json_has(json_object_get(res, "rules"), "PCR 7: not in the record"));
	json_decref(res);
	/* an issue without a score cannot be judged */
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"max-cvss\",\"threshold\":9}]}",
	                   "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"status\":\"unknown\",\"review\":"
	                   "{\"status\":\"reviewed\",\"issues\":[{\"title\":\"t\",\"cvss_score\":null}]}}]}",
	                   NULL, &v, &res),
	         FWT_EVERIFY);
	json_decref(res);
}

/* The signatures rule on SPDM evidence (RELIABILITY S4): require "spdm"
 * passes only with a verified SPDM signature; unauthenticated evidence
 * fails it only when required; a checked signature that failed always
 * fails; vendor fingerprints apply to the verifying leaf. */
static void test_spdm_signatures(void)
{
	static const char *const FP_LEAF = "46db7f5ca98ce091197a321127b154c02130ef6f2a2e0bdb60897eb87a062921";
	static const char *const FP_OTHER = "939fdc9f5385c0230b63a43f5e395e6c3ab30fea0932547bb9b78156e3a35db5";
	char rec_ok[1024], rec_unauth[1024], rec_forged[1024], pol[512];
	json_t *res;
	fwt_verdict v;

	snprintf(rec_ok, sizeof(rec_ok),
	         "{\"schema\":1,\"signatures\":[{\"path\":\"h100.spdm\",\"kind\":\"spdm\",\"verified\":true,"
	         "\"signature_checked\":true,\"key\":\"chain.pem\",\"fingerprint\":\"%s\",\"error\":null}]}",
	         FP_LEAF);
	snprintf(rec_unauth, sizeof(rec_unauth),
	         "{\"schema\":1,\"signatures\":[{\"path\":\"bmc.spdm\",\"kind\":\"spdm\",\"verified\":false,"
	         "\"signature_checked\":false,\"key\":null,\"fingerprint\":null,"
	         "\"error\":\"unauthenticated: no responder certificate chain given\"}]}");
	snprintf(rec_forged, sizeof(rec_forged),
	         "{\"schema\":1,\"signatures\":[{\"path\":\"forged.spdm\",\"kind\":\"spdm\",\"verified\":false,"
	         "\"signature_checked\":true,\"key\":null,\"fingerprint\":null,"
	         "\"error\":\"the ES384 signature of the measurements does not verify\"}]}");

	/* require spdm: verified passes, unauthenticated and forged fail, naming the file */
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"spdm\"]}]}", rec_ok,
	                   NULL, &v, &res),
	         FWT_OK);
	T_EQ_STR(outcome(res, "signatures"), "pass");
	json_decref(res);
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"spdm\"]}]}",
	                   rec_unauth, NULL, &v, &res),
	         FWT_EVERIFY);
	T_EQ_STR(outcome(res, "signatures"), "fail");
	T_ASSERT(json_has(res, "'bmc.spdm' (spdm): signature not verified: unauthenticated: no responder"));
	T_ASSERT(json_has(res, "no verified spdm signature in the record (required)"));
	json_decref(res);
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"spdm\"]}]}",
	                   rec_forged, NULL, &v, &res),
	         FWT_EVERIFY);
	T_ASSERT(json_has(res, "'forged.spdm' (spdm): signature not verified: the ES384 signature"));
	json_decref(res);
	/* not required: unauthenticated evidence is left to require; a forged
	 * signature still fails */
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[]}]}", rec_unauth,
	                   NULL, &v, &res),
	         FWT_OK);
	json_decref(res);
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[]}]}", rec_forged,
	                   NULL, &v, &res),
	         FWT_EVERIFY);
	T_ASSERT(json_has(res, "'forged.spdm' (spdm)"));
	json_decref(res);
	/* vendor fingerprints apply to the SPDM leaf */
	snprintf(pol, sizeof(pol),
	         "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"spdm\"],\"vendor\":[\"%s\"]}]}",
	         FP_LEAF);
	T_EQ_INT(eval_text(pol, rec_ok, NULL, &v, &res), FWT_OK);
	json_decref(res);
	snprintf(pol, sizeof(pol),
	         "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"spdm\"],\"vendor\":[\"%s\"]}]}",
	         FP_OTHER);
	T_EQ_INT(eval_text(pol, rec_ok, NULL, &v, &res), FWT_EVERIFY);
	T_ASSERT(json_has(res, "'h100.spdm' (spdm): signed by key 46db7f5ca98ce091... ('chain.pem'), which is not an "
	                       "allowed vendor key"));
	json_decref(res);
	/* a reviewer list alone does not constrain SPDM (role vendor) */
	snprintf(pol, sizeof(pol),
	         "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"spdm\"],\"reviewer\":[\"%s\"]}]}",
	         FP_OTHER);
	T_EQ_INT(eval_text(pol, rec_ok, NULL, &v, &res), FWT_OK);
	json_decref(res);
	/* signature_checked must be a boolean */
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[]}]}",
	                   "{\"schema\":1,\"signatures\":[{\"kind\":\"spdm\",\"verified\":false,\"signature_checked\":1}]}",
	                   NULL, &v, &res),
	         FWT_EFORMAT);
	json_decref(res);
}

/* The vendor list and per-device SPDM leaves: a fingerprint on the path
 * the responder's chain validated along (an intermediate or the anchor)
 * admits the evidence; the path counts only with chain_validated true;
 * a record without it means the leaf alone, as before; the member is
 * type-checked (an array of SHA-256 hex). */
static void test_spdm_vendor_path(void)
{
	static const char *const LEAF = "46db7f5ca98ce091197a321127b154c02130ef6f2a2e0bdb60897eb87a062921";
	static const char *const CA = "2222222222222222222222222222222222222222222222222222222222222222";
	static const char *const ROOT = "9814c21666f0ae5a88cf9ebc8672e9a1d0f1114f8aff2a24e41126c214f636e2";
	static const char *const OTHER = "939fdc9f5385c0230b63a43f5e395e6c3ab30fea0932547bb9b78156e3a35db5";
	static const char sig[] = "{\"schema\":1,\"signatures\":[{\"path\":\"bmc.spdm\",\"kind\":\"spdm\","
	                          "\"verified\":true,\"signature_checked\":true,\"key\":\"chain.pem\","
	                          "\"fingerprint\":\"%s\",\"chain_validated\":%s%s}]}";
	static const char pol_fmt[] = "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"spdm\"],"
	                              "\"vendor\":[\"%s\"]}]}";
	char path[256], rec[1024], pol[512];
	const char *const listed[] = { ROOT, CA, LEAF };
	json_t *res;
	fwt_verdict v;
	size_t i;

	snprintf(path, sizeof(path), ",\"path_fingerprints\":[\"%s\",\"%s\",\"%s\"]", LEAF, CA, ROOT);
	/* the anchor, an intermediate or the leaf listed: passes */
	snprintf(rec, sizeof(rec), sig, LEAF, "true", path);
	for (i = 0; i < 3; i++) {
		snprintf(pol, sizeof(pol), pol_fmt, listed[i]);
		T_EQ_INT(eval_text(pol, rec, NULL, &v, &res), FWT_OK);
		T_EQ_STR(outcome(res, "signatures"), "pass");
		json_decref(res);
	}
	/* none of the path listed: fails, naming the leaf and the anchor */
	snprintf(pol, sizeof(pol), pol_fmt, OTHER);
	T_EQ_INT(eval_text(pol, rec, NULL, &v, &res), FWT_EVERIFY);
	T_ASSERT(json_has(res, "'bmc.spdm' (spdm): signed by key 46db7f5ca98ce091... ('chain.pem'), which is not an "
	                       "allowed vendor key, nor is any certificate of its validated chain (anchor "
	                       "9814c21666f0ae5a...)"));
	json_decref(res);
	/* a path in a record whose chain was not validated does not count */
	snprintf(pol, sizeof(pol), pol_fmt, ROOT);
	snprintf(rec, sizeof(rec), sig, LEAF, "false", path);
	T_EQ_INT(eval_text(pol, rec, NULL, &v, &res), FWT_EVERIFY);
	T_ASSERT(json_has(res, "('chain.pem'), which is not an allowed vendor key"));
	T_ASSERT(!json_has(res, "validated chain"));
	json_decref(res);
	/* an old record without the member (or null): the leaf alone, as before */
	snprintf(rec, sizeof(rec), sig, LEAF, "true", "");
	T_EQ_INT(eval_text(pol, rec, NULL, &v, &res), FWT_EVERIFY);
	T_ASSERT(json_has(res, "which is not an allowed vendor key"));
	json_decref(res);
	snprintf(rec, sizeof(rec), sig, LEAF, "true", ",\"path_fingerprints\":null");
	T_EQ_INT(eval_text(pol, rec, NULL, &v, &res), FWT_EVERIFY);
	json_decref(res);
	/* only SPDM signatures have a path: a RIM's key is its own */
	snprintf(rec, sizeof(rec), "{\"schema\":1,\"signatures\":[{\"path\":\"a.corim\",\"kind\":\"rim\","
	         "\"verified\":true,\"fingerprint\":\"%s\",\"chain_validated\":true%s}]}", LEAF, path);
	T_EQ_INT(eval_text(pol, rec, NULL, &v, &res), FWT_EVERIFY);
	json_decref(res);
	/* type-checked: an array of SHA-256s, in signatures and in inputs */
	snprintf(rec, sizeof(rec), sig, LEAF, "true", ",\"path_fingerprints\":\"9814\"");
	res = NULL;
	T_EQ_INT(eval_text(pol, rec, NULL, &v, &res), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "path_fingerprints"));
	json_decref(res);
	snprintf(rec, sizeof(rec), sig, LEAF, "true", ",\"path_fingerprints\":[\"9814\"]");
	res = NULL;
	T_EQ_INT(eval_text(pol, rec, NULL, &v, &res), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "must be a SHA-256 in hex"));
	json_decref(res);
	snprintf(rec, sizeof(rec), "{\"schema\":1,\"signatures\":[],\"inputs\":[{\"path\":\"e.spdm\",\"kind\":"
	         "\"spdm\",\"sha256\":\"%s\",\"path_fingerprints\":[1]}]}", LEAF);
	res = NULL;
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[]}]}", rec, NULL, &v,
	                   &res),
	         FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "inputs[0].path_fingerprints[0]"));
	json_decref(res);
}

static void test_rollback_versions(void)
{
	json_t *res = NULL, *hist;
	fwt_verdict v;
	static const char pol[] = "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"rollback\"}]}";

	/* an unparsable version in the record is an error, not a pass */
	hist = history_json(GOOD_HISTORY);
	T_EQ_INT(eval_text(pol, "{\"schema\":1,\"products\":[{\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"1.2.4-rc1\"}]}",
	                   hist, &v, &res),
	         FWT_EFORMAT);
	T_ASSERT(res == NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.products[0].fw_version"));
	/* a newer one passes; an older one fails naming the record */
	T_EQ_INT(eval_text(pol, "{\"schema\":1,\"products\":[{\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"1.10\"}]}",
	                   hist, &v, &res),
	         FWT_OK);
	json_decref(res);
	T_EQ_INT(eval_text(pol, "{\"schema\":1,\"products\":[{\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"1.2\"}]}",
	                   hist, &v, &res),
	         FWT_EVERIFY);
	T_ASSERT(json_has(res, "below 1.2.3, recorded in audit log record 3"));
	json_decref(res);
	/* another product is not compared with this one */
	T_EQ_INT(eval_text(pol, "{\"schema\":1,\"products\":[{\"vendor\":\"ACME\",\"product\":\"NIC\",\"fw_version\":\"0.1\"}]}",
	                   hist, &v, &res),
	         FWT_OK);
	json_decref(res);
	/* nothing to compare is a failure */
	T_EQ_INT(eval_text(pol, "{\"schema\":1,\"products\":[{\"vendor\":\"ACME\",\"product\":\"BMC\"}]}", hist, &v, &res),
	         FWT_EVERIFY);
	json_decref(res);
	/* an SFR entry that reviewed no component (older records list them)
	 * is not compared: it says nothing about this machine (T5) */
	T_EQ_INT(eval_text(pol, "{\"schema\":1,\"products\":[{\"source\":\"sfr\",\"vendor\":\"ACME\",\"product\":"
	                        "\"BMC\",\"fw_version\":\"0.1\"},{\"source\":\"rim\",\"vendor\":\"ACME\",\"product\":"
	                        "\"BMC\",\"fw_version\":\"1.2.3\"}]}",
	                   hist, &v, &res),
	         FWT_OK);
	json_decref(res);
	/* alone, it leaves nothing to compare */
	T_EQ_INT(eval_text(pol, "{\"schema\":1,\"products\":[{\"source\":\"sfr\",\"vendor\":\"ACME\",\"product\":"
	                        "\"BMC\",\"fw_version\":\"9\"}]}",
	                   hist, &v, &res),
	         FWT_EVERIFY);
	T_ASSERT(json_has(res, "the record gives no fw_version or svn to compare"));
	json_decref(res);
	json_decref(hist);
	/* an unorderable version in the log, for this product, is an error */
	hist = history_json("[{\"seq\":2,\"products\":[{\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"1\"}]},"
	                    "{\"seq\":4,\"products\":[{\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"beta\"}]}]");
	T_EQ_INT(eval_text(pol, "{\"schema\":1,\"products\":[{\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"2\"}]}",
	                   hist, &v, &res),
	         FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "audit log record 4"));
	json_decref(hist);
}

/* The history keeps, per (vendor, product, component), the highest version
 * (at the first record that holds it) and the highest SVN, each in one
 * hash lookup: never a list walked per product. */
static void test_history_keeps_the_highest(void)
{
	json_t *hist = history_json(
		"[{\"seq\":1,\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"fw_version\":\"1.2\",\"svn\":4},"
		"{\"vendor\":\"A\",\"product\":\"B\",\"component\":\"spdm:2\",\"fw_version\":\"7\"}]},"
		"{\"seq\":2,\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"fw_version\":\"1.10\",\"svn\":2}]},"
		"{\"seq\":3,\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"fw_version\":\"1.10.0\",\"svn\":6}]},"
		"{\"seq\":4,\"products\":[{\"vendor\":\"A\",\"product\":\"B\",\"fw_version\":\"1.9\"},"
		"{\"vendor\":\"A\",\"product\":\"B\"}]}]");
	const json_t *h, *c;

	T_ASSERT(hist != NULL);
	T_EQ_INT(json_object_size(hist), 2);
	h = json_object_get(hist, "[\"A\",\"B\",null]");
	c = json_object_get(hist, "[\"A\",\"B\",\"spdm:2\"]");
	T_EQ_STR(json_string_value(json_object_get(h, "fw_version")), "1.10");
	T_EQ_INT(json_integer_value(json_object_get(h, "fw_version_seq")), 2);
	T_EQ_INT(json_integer_value(json_object_get(h, "svn")), 6);
	T_EQ_INT(json_integer_value(json_object_get(h, "svn_seq")), 3);
	T_ASSERT(json_object_get(h, "unordered") == NULL);
	T_EQ_STR(json_string_value(json_object_get(c, "fw_version")), "7");
	T_ASSERT(json_is_null(json_object_get(c, "svn")));
	T_EQ_INT(fwt_policy_history_add(ctx, NULL, NULL, 1), FWT_EINVAL);
	json_decref(hist);
}

/* An SFR that binds but is not accepted is named, with its reason (T3). */
static void test_review_rejected_reason(void)
{
	json_t *res = NULL;
	fwt_verdict v;
	static const char pol[] = "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\"}]}";

	T_EQ_INT(eval_text(pol,
	                   "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":2,\"status\":\"unknown\","
	                   "\"review\":{\"status\":\"unreviewed\",\"rejected\":[{\"report\":\"it.jws\",\"reason\":"
	                   "\"its device (vendor, product) is not the reference's environment (vendor, model)\"}]}}]}",
	                   NULL, &v, &res),
	         FWT_EVERIFY);
	T_ASSERT(json_has(res, "no SFR counts: 'it.jws' covers its digest but is not accepted: its device (vendor, "
	                       "product) is not the reference's environment (vendor, model)"));
	json_decref(res);
	res = NULL;
	/* the list is read strictly like the rest of the record */
	T_EQ_INT(eval_text(pol,
	                   "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":2,\"status\":\"unknown\","
	                   "\"review\":{\"status\":\"unreviewed\",\"rejected\":[{\"report\":\"it.jws\"}]}}]}",
	                   NULL, &v, &res),
	         FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "rejected[0]"));
	json_decref(res);
}

/* A review that gives both its issues and their summary must not
 * contradict itself: max-cvss and forbidden-cwe judge by the issues and
 * would pass a review whose summary says 3 open issues up to CVSS 9.8 with
 * CWE-787 when its issues list is empty.  Such a record is malformed. */
static void test_review_summary_agrees_with_issues(void)
{
	static const struct {
		const char *review; /* members after "status":"reviewed" */
		const char *where;  /* NULL: accepted */
	} cases[] = {
		/* attest check's own shape, and the empty case it writes */
		{ "\"open_issues\":2,\"max_cvss\":9.8,\"cwes\":[\"CWE-787\",\"CWE-79\"],\"issues\":["
		  "{\"title\":\"a\",\"cvss_score\":9.8,\"cwe\":\"CWE-787\"},{\"title\":\"b\",\"cvss_score\":4,\"cwe\":\"CWE-79\"}]",
		  NULL },
		{ "\"open_issues\":0,\"max_cvss\":0.0,\"cwes\":[],\"issues\":[]", NULL },
		/* a summary alone, or issues alone, is judged as before */
		{ "\"open_issues\":3,\"max_cvss\":9.8,\"cwes\":[\"CWE-787\"]", NULL },
		{ "\"issues\":[{\"title\":\"a\",\"cvss_score\":9.8,\"cwe\":\"CWE-787\"}]", NULL },
		/* CWE ids compare by number; a duplicate or an issue without one is fine */
		{ "\"cwes\":[\"cwe-0787\"],\"issues\":[{\"cwe\":\"CWE-787\"},{\"cwe\":\"CWE-787\"},{\"cwe\":null},{}]", NULL },
		/* an issue without a score may be the highest one */
		{ "\"max_cvss\":9.8,\"issues\":[{\"cvss_score\":5.0},{\"cvss_score\":null}]", NULL },
		/* the review of the finding: issues [] against its summary */
		{ "\"open_issues\":3,\"max_cvss\":9.8,\"cwes\":[\"CWE-787\"],\"issues\":[]",
		  "$.components[0].review.open_issues: the review of SFR 'r.jws' counts 3 open issues, but its \"issues\" "
		  "lists 0: a review must agree with its own issues" },
		{ "\"max_cvss\":9.8,\"issues\":[]",
		  "$.components[0].review.max_cvss: the review of SFR 'r.jws' gives a highest CVSS score of 9.8, but its "
		  "\"issues\" lists none" },
		{ "\"cwes\":[\"CWE-787\"],\"issues\":[]",
		  "$.components[0].review.cwes[0]: the review of SFR 'r.jws' lists 'CWE-787', but no issue in its "
		  "\"issues\" has it" },
		{ "\"open_issues\":1,\"issues\":[{},{}]", "review.open_issues: the review of SFR 'r.jws' counts 1 open" },
		{ "\"max_cvss\":5.0,\"issues\":[{\"cvss_score\":9.8}]",
		  "review.max_cvss: the review of SFR 'r.jws' gives a highest CVSS score of 5.0, but the highest in its "
		  "\"issues\" is 9.8: a review" },
		{ "\"max_cvss\":9.9,\"issues\":[{\"cvss_score\":9.8}]", "review.max_cvss" },
		{ "\"max_cvss\":5.0,\"issues\":[{\"cvss_score\":9.8},{\"cvss_score\":null}]",
		  "is 9.8 (and some have none)" },
		{ "\"cwes\":[],\"issues\":[{\"title\":\"t\",\"cwe\":\"CWE-787\"}]",
		  "$.components[0].review.cwes: the review of SFR 'r.jws' leaves out 'CWE-787', which issue 0 of its "
		  "\"issues\" has" },
		{ "\"cwes\":[\"CWE-79\"],\"issues\":[{\"cwe\":\"CWE-787\"}]", "review.cwes[0]" },
	};
	char rec[1024];
	size_t i;
	json_t *r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(rec, sizeof(rec),
		         "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":1,\"status\":\"unknown\",\"review\":"
		         "{\"status\":\"reviewed\",\"report\":\"r.jws\",%s}}]}",
		         cases[i].review);
		r = NULL;
		if (fwt_policy_record_parse(ctx, &r, rec, strlen(rec), "r") != (cases[i].where ? FWT_EFORMAT : FWT_OK) ||
		    (cases[i].where && !strstr(fwt_ctx_errmsg(ctx), cases[i].where)))
			T_FAIL_("case %zu: %s", i, cases[i].where ? fwt_ctx_errmsg(ctx) : "refused");
		json_decref(r);
	}
	/* a record built in memory is checked the same way, on any component */
	r = json_pack("{s:i, s:[{s:s, s:s}, {s:s, s:s, s:{s:s, s:i, s:[]}}]}", "schema", 1, "components", "source",
	              "spdm", "status", "unknown", "source", "spdm", "status", "unknown", "review", "status", "reviewed",
	              "open_issues", 3, "issues");
	T_EQ_INT(fwt_policy_record_check(ctx, r, "built"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'built': $.components[1].review.open_issues: the review counts 3 open "
	                                     "issues, but its \"issues\" lists 0"));
	json_decref(r);
}

/* sfr-age, max-cvss and forbidden-cwe judge each review once, however
 * many components cite it (two different reviews under one report name are
 * both judged), and find them in linear time: 100,000 components each
 * reviewed by its own report took minutes per rule when each was compared
 * with every one before it (the alarm fails the test long before that). */
static void test_reviews_once_per_report(void)
{
	static const char pol[] = "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"sfr-age\",\"max_days\":30},"
	                          "{\"rule\":\"max-cvss\",\"threshold\":7},{\"rule\":\"forbidden-cwe\",\"cwes\":[\"CWE-787\"]}]}";
	fwt_policy_eval_options o = FWT_POLICY_EVAL_OPTIONS_INIT;
	fwt_policy *p = NULL;
	json_t *rec, *comps, *res = NULL, *reasons;
	fwt_verdict v;
	char name[32];
	size_t i;

	T_EQ_INT(fwt_policy_parse(ctx, &p, pol, sizeof(pol) - 1, "p"), FWT_OK);
	o.at = AT;
	/* "a" twice, "b" once, and two names that differ after a NUL */
	rec = json_pack("{s:i, s:[]}", "schema", 1, "components");
	comps = json_object_get(rec, "components");
	for (i = 0; i < 5; i++) {
		static const char *const names[] = { "a", "b", "a", "x\0a", "x\0b" };
		json_array_append_new(comps, json_pack("{s:s, s:i, s:s, s:{s:s, s:s#, s:s, s:i}}", "source", "spdm", "index",
		                                       (int)i, "status", "unknown", "review", "status", "reviewed", "report",
		                                       names[i], i < 3 ? (int)strlen(names[i]) : 3, "completion_date",
		                                       "2020-01-01", "open_issues", 0));
	}
	T_EQ_INT(fwt_policy_record_check(ctx, rec, "r"), FWT_OK);
	T_EQ_INT(fwt_policy_eval(ctx, p, rec, &o, &v, &res), FWT_EVERIFY);
	reasons = json_object_get(json_array_get(json_object_get(res, "rules"), 0), "reasons");
	T_EQ_INT(json_array_size(reasons), 4);
	T_ASSERT(json_has(reasons, "SFR 'a': completed on 2020-01-01"));
	T_ASSERT(json_has(reasons, "SFR 'b': completed on 2020-01-01"));
	json_decref(res);
	/* "a" once more, but another review: judged too, not hidden by the first */
	json_array_append_new(comps, json_pack("{s:s, s:i, s:s, s:{s:s, s:s, s:s, s:i}}", "source", "spdm", "index", 9,
	                                       "status", "unknown", "review", "status", "reviewed", "report", "a",
	                                       "completion_date", "2019-06-01", "open_issues", 0));
	T_EQ_INT(fwt_policy_eval(ctx, p, rec, &o, &v, &res), FWT_EVERIFY);
	reasons = json_object_get(json_array_get(json_object_get(res, "rules"), 0), "reasons");
	T_EQ_INT(json_array_size(reasons), 5);
	T_ASSERT(json_has(reasons, "SFR 'a': completed on 2019-06-01"));
	json_decref(res);
	json_decref(rec);
	/* one report reviewing each component by another file of its manifest,
	 * with another report rejected for some: what the review says of its
	 * component alone does not make another review (each was judged, its
	 * issue said once per component) */
	rec = json_pack("{s:i, s:[]}", "schema", 1, "components");
	comps = json_object_get(rec, "components");
	for (i = 0; i < 200; i++) {
		json_t *rv;
		snprintf(name, sizeof(name), "f%zu", i);
		rv = json_pack("{s:s, s:s, s:s, s:s, s:i, s:f, s:[s], s:[{s:s, s:f, s:s}]}", "status", "reviewed", "report",
		               "m.jws", "manifest_file", name, "completion_date", "2020-01-01", "open_issues", 1, "max_cvss",
		               9.8, "cwes", "CWE-787", "issues", "title", "overflow", "cvss_score", 9.8, "cwe", "CWE-787");
		if (i % 2)
			json_object_set_new(rv, "rejected", json_pack("[{s:s, s:s}]", "report", "other.jws", "reason", "old"));
		json_array_append_new(comps, json_pack("{s:s, s:i, s:s, s:o}", "source", "eventlog", "index", 4, "status",
		                                       "unknown", "review", rv));
	}
	T_EQ_INT(fwt_policy_record_check(ctx, rec, "r"), FWT_OK);
	T_EQ_INT(fwt_policy_eval(ctx, p, rec, &o, &v, &res), FWT_EVERIFY);
	for (i = 0; i < 3; i++) {
		reasons = json_object_get(json_array_get(json_object_get(res, "rules"), i), "reasons");
		if (json_array_size(reasons) != 1)
			T_FAIL_("rule %zu: %zu reasons, not 1", i, json_array_size(reasons));
		T_ASSERT(json_has(reasons, "SFR 'm.jws'"));
	}
	json_decref(res);
	json_decref(rec);
	/* 100,000 reports */
	rec = json_pack("{s:i, s:[]}", "schema", 1, "components");
	comps = json_object_get(rec, "components");
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "r%zu", i);
		if (json_array_append_new(comps, json_pack("{s:s, s:i, s:s, s:{s:s, s:s, s:s, s:i}}", "source", "spdm",
		                                           "index", 1, "status", "unknown", "review", "status", "reviewed",
		                                           "report", name, "completion_date", "2026-11-01", "open_issues",
		                                           0)))
			T_FAIL_("out of memory");
	}
	alarm(120);
	T_EQ_INT(fwt_policy_eval(ctx, p, rec, &o, &v, &res), FWT_OK);
	alarm(0);
	T_EQ_INT(v, FWT_VERDICT_PASS);
	json_decref(res);
	json_decref(rec);
	fwt_policy_free(p);
}

/* in with each "@H" replaced by an input's "sha256" member. */
static void with_h(char *out, size_t cap, const char *in)
{
	static const char H[] = "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\"";
	const char *at;
	size_t o = 0;

	while ((at = strstr(in, "@H")) != NULL && o < cap) {
		o += (size_t)snprintf(out + o, cap - o, "%.*s%s", (int)(at - in), in, H);
		in = at + 2;
	}
	if (o < cap)
		snprintf(out + o, cap - o, "%s", in);
}

/* A record that contradicts itself where attest check never would is
 * malformed: a "match" whose values differ from its reference's, or that
 * has none; counts other than the components'; a signature verified with
 * an error.  A RIM or SFR among the inputs without its signature entry
 * fails the signatures rule. */
static void test_record_agrees_with_itself(void)
{
	static const struct {
		const char *comp; /* one component, or NULL */
		const char *extra;
		const char *where; /* the error, or NULL: accepted */
	} cases[] = {
		{ "\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\"", "",
		  "$.components[0]: a component whose status is \"match\" has no reference" },
		{ "\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\",\"reference\":{\"alg\":\"sha384\","
		  "\"digest\":\"ab\"}", "", "$.components[0]: a component whose status is \"match\" has another digest" },
		{ "\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\",\"reference\":{\"alg\":\"sha384\","
		  "\"digest\":\"aa00\"}", "", "has another digest than its reference" },
		{ "\"alg\":\"sha256\",\"digest\":\"aa\",\"status\":\"match\",\"reference\":{\"alg\":\"sha384\","
		  "\"digest\":\"aa\"}", "", "has no digest in its reference's algorithm" },
		{ "\"alg\":\"sha256\",\"digest\":\"aa\",\"digests\":{\"sha384\":\"bb\"},\"status\":\"match\","
		  "\"reference\":{\"alg\":\"sha384\",\"digest\":\"cc\"}", "", "has another digest than its reference" },
		{ "\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\",\"reference\":{\"digest\":\"aa\"}", "",
		  "has a reference without an algorithm" },
		{ "\"alg\":\"raw\",\"value\":\"0f\",\"status\":\"match\",\"reference\":{\"alg\":\"raw\",\"value\":\"1f\"}",
		  "", "has a \"value\" other than its reference's" },
		{ "\"alg\":\"raw\",\"value\":\"0f\",\"status\":\"match\",\"reference\":{\"alg\":\"raw\",\"value\":\"1f\","
		  "\"mask\":\"1f\"}", "", "has a \"value\" other than its reference's" },
		{ "\"alg\":\"raw\",\"status\":\"match\",\"reference\":{\"alg\":\"raw\",\"value\":\"1f\"}", "",
		  "has a \"value\" other than its reference's" },
		{ "\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\",\"reference\":{\"alg\":\"raw\",\"value\":\"aa\"}",
		  "", "has a \"value\" other than its reference's" },
		/* what attest check writes */
		{ "\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\",\"reference\":{\"alg\":\"sha384\","
		  "\"digest\":\"AA\"}", "", NULL },
		{ "\"alg\":\"raw\",\"value\":\"0f\",\"status\":\"match\",\"reference\":{\"alg\":\"raw\",\"value\":\"ff\","
		  "\"mask\":\"0f\"}", "", NULL },
		{ "\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"mismatch\",\"reference\":{\"alg\":\"sha384\","
		  "\"digest\":\"bb\"}", "", NULL },
		{ "\"status\":\"unknown\"", "", NULL },
		/* the summary's counts */
		{ "\"status\":\"unknown\"", ",\"summary\":{\"components\":1,\"match\":0,\"unknown\":1}", NULL },
		{ "\"status\":\"unknown\"", ",\"summary\":{\"components\":2}",
		  "$.summary.components: the summary counts 2 components, but the record lists 1" },
		{ "\"status\":\"unknown\"", ",\"summary\":{\"match\":1}",
		  "$.summary.match: the summary counts 1 component \"match\", but 0 of the record's are" },
		{ "\"status\":\"unknown\"", ",\"summary\":{\"unknown\":0}", "$.summary.unknown" },
		/* a signature verified and failed */
		{ NULL, ",\"signatures\":[{\"path\":\"r.corim\",\"kind\":\"rim\",\"verified\":true,\"error\":\"no\"}]",
		  "$.signatures[0].error: a signature both verified and failed" },
		{ NULL, ",\"signatures\":[{\"path\":\"r.corim\",\"kind\":\"rim\",\"verified\":false,\"error\":\"no\"}]",
		  NULL },
	};
	char rec[1024];
	size_t i;
	json_t *r, *res;
	fwt_verdict v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].comp)
			snprintf(rec, sizeof(rec), "{\"schema\":1,\"components\":[{\"source\":\"spdm\",\"index\":1,%s}]%s}",
			         cases[i].comp, cases[i].extra);
		else
			snprintf(rec, sizeof(rec), "{\"schema\":1%s}", cases[i].extra);
		r = NULL;
		if (fwt_policy_record_parse(ctx, &r, rec, strlen(rec), "r") != (cases[i].where ? FWT_EFORMAT : FWT_OK) ||
		    (cases[i].where && !strstr(fwt_ctx_errmsg(ctx), cases[i].where)))
			T_FAIL_("case %zu: %s", i, cases[i].where ? fwt_ctx_errmsg(ctx) : "refused");
		T_ASSERT(cases[i].where ? r == NULL : r != NULL);
		json_decref(r);
	}
	/* a RIM or SFR input without its signature entry, and a reference from
	 * a RIM without one: the signatures rule fails, naming each once */
	snprintf(rec, sizeof(rec),
	         "{\"schema\":1,\"inputs\":[{\"path\":\"a.corim\",\"kind\":\"rim\",\"sha256\":\"%064d\"},"
	         "{\"path\":\"b.corim\",\"kind\":\"rim\",\"sha256\":\"%064d\"},"
	         "{\"path\":\"r.jws\",\"kind\":\"sfr\",\"sha256\":\"%064d\"}],"
	         "\"signatures\":[{\"path\":\"b.corim\",\"kind\":\"rim\",\"verified\":true}],"
	         "\"components\":[{\"source\":\"spdm\",\"index\":1,\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\","
	         "\"reference\":{\"rim\":\"a.corim\",\"alg\":\"sha384\",\"digest\":\"aa\"}},"
	         "{\"source\":\"spdm\",\"index\":2,\"alg\":\"sha384\",\"digest\":\"aa\",\"status\":\"match\","
	         "\"reference\":{\"rim\":\"c.corim\",\"alg\":\"sha384\",\"digest\":\"aa\"}}]}",
	         0, 0, 0);
	res = NULL;
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[\"rim\"]}]}", rec,
	                   NULL, &v, &res),
	         FWT_EVERIFY);
	{
		const json_t *reasons = json_object_get(json_array_get(json_object_get(res, "rules"), 0), "reasons");
		T_EQ_INT(json_array_size(reasons), 3);
		T_ASSERT(json_has(reasons, "'a.corim' (rim): an input whose signature the record does not list"));
		T_ASSERT(json_has(reasons, "'r.jws' (sfr): an input whose signature the record does not list"));
		T_ASSERT(json_has(reasons,
		                  "'c.corim' (rim): references come from it, but the record does not list its signature"));
	}
	json_decref(res);
}

/* A review citing an SFR with neither an input nor a signature entry (a
 * hand-edited record) fails the signatures rule for want of information,
 * as a RIM a reference names does: it is not known to be verified. */
static void test_review_report_needs_its_signature(void)
{
	size_t n = 0, i;
	char *b = (char *)t_slurp(TD "records/good.json", &n), *text;
	json_error_t je;
	json_t *rec = b ? json_loadb(b, n, 0, &je) : NULL, *a, *res = NULL;
	fwt_verdict v = FWT_VERDICT_PASS;
	const char *cut = "acme-bios.sfr.jws";

	free(b);
	T_ASSERT(rec);
	if (!rec)
		return;
	a = json_object_get(rec, "inputs");
	for (i = 0; i < json_array_size(a);)
		if (!strcmp(json_string_value(json_object_get(json_array_get(a, i), "path")), cut))
			json_array_remove(a, i);
		else
			i++;
	a = json_object_get(rec, "signatures");
	for (i = 0; i < json_array_size(a);)
		if (!strcmp(json_string_value(json_object_get(json_array_get(a, i), "path")), cut))
			json_array_remove(a, i);
		else
			i++;
	text = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	T_ASSERT(text);
	if (!text)
		return;
	T_EQ_INT(eval_text("{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\"}]}", text, NULL, &v, &res),
	         FWT_EVERIFY);
	T_EQ_INT(v, FWT_VERDICT_FAIL);
	T_ASSERT(json_has(res, "'acme-bios.sfr.jws' (sfr): a review cites it, but the record does not list its signature"));
	json_decref(res);
	/* the record as attest check wrote it passes */
	res = NULL;
	T_EQ_INT(eval(TD "policies/nolog.json", TD "records/good.json", NULL, &v, &res), FWT_OK);
	T_EQ_STR(outcome(res, "signatures"), "pass");
	json_decref(res);
	free(text);
}

/* good.json with the SFR products attest check writes for its two
 * reviews (spdm:1 by acme-bmc.sfr.jws, eventlog:pcr0 by acme-bios.sfr.jws),
 * then edited by edit (NULL: none); its record check's code, the message
 * in m. */
static fwt_err products_case(void (*edit)(json_t *rec), char *m, size_t cap)
{
	size_t n = 0;
	char *b = (char *)t_slurp(TD "records/good.json", &n), *text;
	json_error_t je;
	json_t *rec = b ? json_loadb(b, n, 0, &je) : NULL, *out = NULL;
	fwt_err err;

	free(b);
	if (!rec)
		return FWT_EIO;
	json_array_append_new(json_object_get(rec, "products"),
	                      json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "vendor", "ACME", "product", "BMC", "fw_version",
	                                "1.2.3", "source", "sfr", "path", "acme-bmc.sfr.jws", "component", "spdm:1"));
	json_array_append_new(json_object_get(rec, "products"),
	                      json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "vendor", "ACME", "product", "BIOS", "fw_version",
	                                "4.1.0", "source", "sfr", "path", "acme-bios.sfr.jws", "component",
	                                "eventlog:pcr0"));
	if (edit)
		edit(rec);
	text = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	if (!text)
		return FWT_ENOMEM;
	err = fwt_policy_appraisal_parse(ctx, &out, text, strlen(text), "r");
	snprintf(m, cap, "%s", err ? fwt_ctx_errmsg(ctx) : "");
	json_decref(out);
	free(text);
	return err;
}

static void products_raised(json_t *rec)
{
	json_object_set_new(json_array_get(json_object_get(rec, "products"), 2), "fw_version", json_string("1.3"));
}

static void products_dropped(json_t *rec)
{
	json_array_remove(json_object_get(rec, "products"), 2);
}

static void products_unreviewed(json_t *rec)
{
	json_object_set_new(json_array_get(json_object_get(rec, "products"), 3), "component", json_string("eventlog:pcr4"));
}

static void products_other_vendor(json_t *rec)
{
	json_object_set_new(json_array_get(json_object_get(rec, "products"), 3), "vendor", json_string("Other"));
}

static void products_none_named(json_t *rec)
{
	json_array_remove(json_object_get(rec, "products"), 3);
	json_array_remove(json_object_get(rec, "products"), 2);
}

/* Rollback reads only "products": an SFR entry must say what the review of
 * its component says (vendor, product, fw_version), and every reviewed
 * component has its entry, or the record was edited (exit 4), never a
 * version the reviews do not give logged as passing. */
static void test_products_agree_with_reviews(void)
{
	char m[1024];

	T_EQ_INT(products_case(NULL, m, sizeof(m)), FWT_OK);
	T_EQ_INT(products_case(products_raised, m, sizeof(m)), FWT_EFORMAT);
	T_ASSERT(strstr(m, "$.products[2].fw_version: '1.3', but the review of spdm:1 by 'acme-bmc.sfr.jws' "
	                   "($.components[0].review) gives '1.2.3'"));
	T_EQ_INT(products_case(products_dropped, m, sizeof(m)), FWT_EFORMAT);
	T_ASSERT(strstr(m, "$.components[0].review: reviewed by 'acme-bmc.sfr.jws', but \"products\" has no entry "
	                   "for it and component spdm:1"));
	T_EQ_INT(products_case(products_unreviewed, m, sizeof(m)), FWT_EFORMAT);
	T_ASSERT(strstr(m, "$.products[3].component: no component eventlog:pcr4 reviewed by 'acme-bios.sfr.jws'"));
	T_EQ_INT(products_case(products_other_vendor, m, sizeof(m)), FWT_EFORMAT);
	T_ASSERT(strstr(m, "$.products[3].vendor: 'Other', but the review of eventlog:pcr0"));
	/* SFR entries that name no component (an older fwtrail's): not
	 * compared by rollback, nothing to agree */
	T_EQ_INT(products_case(products_none_named, m, sizeof(m)), FWT_OK);
}

/* The measurements rule fails on what makes attest check not ok, beyond
 * the components' statuses: RIMs that disagree (finding 2), a local event
 * log its TPM contradicts (finding 3), references it cannot compare and an
 * empty record (finding 4); scoped by "sources", "pcrs", "indices". */
static void test_measurements_agree_with_attest_check(void)
{
	static const char M[] = "{\"source\":\"spdm\",\"index\":1,\"alg\":\"sha384\",\"digest\":\"aa\","
	                        "\"status\":\"match\",\"reference\":{\"alg\":\"sha384\",\"digest\":\"AA\"}},"
	                        "{\"source\":\"eventlog\",\"index\":0,\"event\":1,\"alg\":\"sha256\",\"digest\":\"cc\","
	                        "\"digests\":{\"sha384\":\"bb\"},\"status\":\"match\","
	                        "\"reference\":{\"alg\":\"sha384\",\"digest\":\"bb\"}}";
	static const struct {
		const char *name, *policy, *extra; /* extra members of the record */
		fwt_err rc;
		const char *reason;                /* the reason expected, for a fail */
	} cases[] = {
		{ "conflict", "",
		  "\"conflicts\":[{\"source\":\"spdm\",\"index\":2,\"alg\":\"sha384\",\"references\":["
		  "{\"rim\":\"old.corim\",\"key\":\"2\",\"digests\":[\"aa\"]},{\"rim\":\"new.corim\",\"key\":\"2\","
		  "\"digests\":[\"bb\"]}]}]",
		  FWT_EVERIFY,
		  "conflict: the RIMs disagree on the sha384 reference for SPDM index 2: 'old.corim' key 2, 'new.corim' key 2" },
		{ "one RIM giving two values", "",
		  "\"conflicts\":[{\"source\":\"spdm\",\"index\":2,\"alg\":\"sha384\",\"references\":["
		  "{\"rim\":\"two.corim\",\"key\":\"2\",\"digests\":[\"aa\"]},{\"rim\":\"two.corim\",\"key\":\"2\","
		  "\"digests\":[\"bb\"]}]}]",
		  FWT_EVERIFY,
		  "conflict: one RIM gives two different sha384 references for SPDM index 2: 'two.corim' key 2, 'two.corim' key 2" },
		{ "two RIMs without names", "",
		  "\"conflicts\":[{\"source\":\"spdm\",\"index\":2,\"alg\":\"sha384\",\"references\":["
		  "{\"rim\":\"-\",\"key\":\"2\",\"digests\":[\"aa\"]},{\"rim\":\"-\",\"key\":\"2\","
		  "\"digests\":[\"bb\"]}]}]",
		  FWT_EVERIFY, "conflict: the RIMs disagree on the sha384 reference for SPDM index 2: '-' key 2, '-' key 2" },
		{ "a conflict on an index the rule does not cover", "\"indices\":[1],",
		  "\"conflicts\":[{\"source\":\"spdm\",\"index\":2,\"alg\":\"sha384\",\"references\":[]}]", FWT_OK, NULL },
		{ "a conflict on the index the rule covers", "\"indices\":[2],",
		  "\"components\":[{\"source\":\"spdm\",\"index\":2,\"alg\":\"raw\",\"value\":\"0f\",\"status\":\"match\","
		  "\"reference\":{\"alg\":\"raw\",\"value\":\"1f\",\"mask\":\"0F\"}}],"
		  "\"conflicts\":[{\"source\":\"spdm\",\"index\":2,\"alg\":\"sha512\"}]",
		  FWT_EVERIFY, "conflict: the RIMs disagree on the sha512 reference for SPDM index 2" },
		{ "no conflict", "", "\"conflicts\":[]", FWT_OK, NULL },
		{ "a local log that does not replay to its TPM", "",
		  "\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",@H,\"local\":true,\"tpm\":{\"compared\":true,"
		  "\"match\":false,\"banks\":[\"sha256\"],\"mismatches\":[{\"bank\":\"sha256\",\"pcr\":7,\"replayed\":\"00\","
		  "\"tpm\":\"11\"},{\"bank\":\"sha1\",\"pcr\":7,\"replayed\":\"00\",\"tpm\":\"11\"}]}}]",
		  FWT_EVERIFY, "local event log '/sys/log': does not replay to the TPM's PCRs (sha256 PCR 7, sha1 PCR 7)" },
		{ "the same, the rule scoped to PCR 0", "\"pcrs\":[0],",
		  "\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":true,\"match\":false,"
		  "\"mismatches\":[{\"bank\":\"sha256\",\"pcr\":7}]}}]",
		  FWT_OK, NULL },
		{ "the same, the rule scoped to SPDM", "\"sources\":[\"spdm\"],",
		  "\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":true,\"match\":false,"
		  "\"mismatches\":[{\"bank\":\"sha256\",\"pcr\":0}]}}]",
		  FWT_OK, NULL },
		{ "a TPM bank the log cannot replay", "\"pcrs\":[0],",
		  "\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":true,\"match\":false,"
		  "\"mismatches\":[],\"unreplayable\":[{\"bank\":\"sha384\",\"event\":5}]}}]",
		  FWT_EVERIFY,
		  "local event log '/sys/log': the TPM has a sha384 bank the log cannot replay (event 5 has no sha384 digest)" },
		{ "not matching, nothing listed", "",
		  "\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":true}}]", FWT_EVERIFY,
		  "local event log '/sys/log': does not replay to the TPM's PCRs" },
		{ "a local log that replays", "",
		  "\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":true,\"match\":true,"
		  "\"mismatches\":[]}}]",
		  FWT_OK, NULL },
		{ "a TPM whose PCRs could not be read (attest check: ok)", "",
		  "\"inputs\":[{\"path\":\"/sys/log\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":false,"
		  "\"error\":\"no PCR bank\"}}]",
		  FWT_OK, NULL },
		{ "a reference that cannot be compared", "",
		  "\"unverifiable\":[{\"source\":\"spdm\",\"index\":3,\"rim\":\"r.corim\",\"key\":\"3\",\"algs\":[\"sha1\"],"
		  "\"reason\":\"the RIM gives only a SHA-1 reference for SPDM index 3, which fwtrail does not accept\"}]",
		  FWT_EVERIFY,
		  "unverifiable: 'r.corim': the RIM gives only a SHA-1 reference for SPDM index 3, which fwtrail does not "
		  "accept" },
		{ "the same without a reason", "",
		  "\"unverifiable\":[{\"source\":\"eventlog\",\"index\":null,\"rim\":\"r.corim\"}]", FWT_EVERIFY,
		  "unverifiable: 'r.corim': a reference value for eventlog, no index that fwtrail cannot compare" },
		{ "the same outside the rule's indices", "\"indices\":[1],",
		  "\"unverifiable\":[{\"source\":\"spdm\",\"index\":3,\"rim\":\"r.corim\"}]", FWT_OK, NULL },
		{ "no component at all", "", "\"components\":[]", FWT_EVERIFY,
		  "no component was compared: the record holds no measured component" },
		{ "SPDM evidence without a block beside other evidence", "",
		  "\"inputs\":[{\"path\":\"gpu0.bin\",\"kind\":\"spdm\",@H,\"blocks\":5},"
		  "{\"path\":\"gpu1.bin\",\"kind\":\"spdm\",@H,\"blocks\":0}]",
		  FWT_EVERIFY, "SPDM evidence 'gpu1.bin' measures nothing (no measurement block)" },
		{ "the same, the rule scoped to the event log", "\"sources\":[\"eventlog\"],",
		  "\"inputs\":[{\"path\":\"gpu1.bin\",\"kind\":\"spdm\",@H,\"blocks\":0}]", FWT_OK, NULL },
		{ "an event log without an extending event beside other evidence", "",
		  "\"inputs\":[{\"path\":\"host1.log\",\"kind\":\"eventlog\",@H,\"events\":40},"
		  "{\"path\":\"host2.log\",\"kind\":\"eventlog\",@H,\"events\":0}]",
		  FWT_EVERIFY, "event log 'host2.log' measures nothing (no extending event)" },
		{ "the same, the rule scoped to SPDM", "\"sources\":[\"spdm\"],",
		  "\"inputs\":[{\"path\":\"host2.log\",\"kind\":\"eventlog\",@H,\"events\":0}]", FWT_OK, NULL },
	};
	char rec[2048], extra[1024], pol[256];
	json_t *res;
	fwt_verdict v;
	size_t i;
	fwt_err rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const json_t *reasons;
		fprintf(stderr, "  measurements: %s\n", cases[i].name);
		with_h(extra, sizeof(extra), cases[i].extra);
		/* the record's own "components" replace the default ones */
		if (!strncmp(extra, "\"components\"", 12))
			snprintf(rec, sizeof(rec), "{\"schema\":1,%s}", extra);
		else
			snprintf(rec, sizeof(rec), "{\"schema\":1,\"components\":[%s],%s}", M, extra);
		snprintf(pol, sizeof(pol), "{\"fwtrail_policy\":1,\"rules\":[{%s\"rule\":\"measurements\"}]}",
		         cases[i].policy);
		res = NULL;
		rc = eval_text(pol, rec, NULL, &v, &res);
		if (rc != cases[i].rc)
			T_FAIL_("%s: %d (%s)", cases[i].name, rc, fwt_ctx_errmsg(ctx));
		reasons = json_object_get(json_array_get(json_object_get(res, "rules"), 0), "reasons");
		if (cases[i].reason) {
			T_EQ_INT(json_array_size(reasons), 1);
			T_EQ_STR(json_string_value(json_array_get(reasons, 0)), cases[i].reason);
		} else {
			T_EQ_INT(json_array_size(reasons), 0);
		}
		json_decref(res);
	}
	/* the members the rule reads are read strictly: a wrong type is no
	 * "none" */
	{
		static const struct {
			const char *rec, *where;
		} bad[] = {
			{ "{\"schema\":1,\"conflicts\":\"none\"}", "$.conflicts: must be an array or null, not string" },
			{ "{\"schema\":1,\"conflicts\":[{\"index\":2}]}", "$.conflicts[0].source: missing" },
			{ "{\"schema\":1,\"unverifiable\":{}}", "$.unverifiable: must be an array or null, not object" },
			{ "{\"schema\":1,\"unverifiable\":[{\"source\":\"spdm\",\"index\":-1}]}",
			  "$.unverifiable[0].index: must not be negative" },
			{ "{\"schema\":1,\"inputs\":[{\"path\":\"l\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":\"yes\"}}]}",
			  "$.inputs[0].tpm.compared: must be true or false, not string" },
			{ "{\"schema\":1,\"inputs\":[{\"path\":\"l\",\"kind\":\"eventlog\",@H,\"tpm\":{\"match\":false}}]}",
			  "$.inputs[0].tpm.compared: missing" },
			{ "{\"schema\":1,\"inputs\":[{\"path\":\"l\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":true,"
			  "\"mismatches\":[{\"bank\":\"sha256\",\"pcr\":\"7\"}]}}]}",
			  "$.inputs[0].tpm.mismatches[0].pcr: must be an integer, not string" },
			{ "{\"schema\":1,\"inputs\":[{\"path\":\"l\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":true,"
			  "\"unreplayable\":true}}]}",
			  "$.inputs[0].tpm.unreplayable: must be an array or null, not true" },
		};
		json_t *r;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			r = NULL;
			with_h(rec, sizeof(rec), bad[i].rec);
			if (fwt_policy_record_parse(ctx, &r, rec, strlen(rec), "r") != FWT_EFORMAT || r ||
			    !strstr(fwt_ctx_errmsg(ctx), bad[i].where))
				T_FAIL_("bad record %zu: got '%s'", i, fwt_ctx_errmsg(ctx));
		}
	}
}

/* The reasons of every rule of an evaluation, one JSON text (malloc'd),
 * or NULL when the policy, the record or the evaluation fails otherwise
 * than with a verdict. */
static char *all_reasons(const char *policy, const char *record)
{
	json_t *res = NULL, *out = json_array(), *r;
	fwt_verdict v;
	fwt_err err = eval_text(policy, record, NULL, &v, &res);
	char *text = NULL;
	size_t i;

	if ((err == FWT_OK || err == FWT_EVERIFY) && res && out) {
		json_array_foreach(json_object_get(res, "rules"), i, r)
			json_array_append(out, json_object_get(r, "reasons"));
		text = json_dumps(out, JSON_COMPACT | JSON_ENSURE_ASCII);
	}
	json_decref(out);
	json_decref(res);
	return text;
}

/* The PCRs and indices a measurements rule lists are looked up as sets
 * (a thousand PCRs over a hundred thousand components took seconds when
 * each was scanned for): the same reasons, in the same order.  A source
 * spelled otherwise than "eventlog" or "spdm" is not scoped by them, an
 * index past the listable range matches none, a component without an
 * index is outside a listed scope. */
static void test_measurements_scoped_by_number(void)
{
	static const char pol[] =
		"{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\",\"pcrs\":[1023,0,7,5,8],"
		"\"indices\":[255,3,0]},{\"rule\":\"measurements\",\"id\":\"el\",\"sources\":[\"eventlog\"],"
		"\"pcrs\":[1022]}]}";
	static const char rec[] =
		"{\"schema\":1,\"components\":["
		"{\"source\":\"eventlog\",\"index\":7,\"status\":\"unknown\"},"
		"{\"source\":\"EventLog\",\"index\":0,\"status\":\"unknown\"},"
		"{\"source\":\"eventlog\",\"index\":1024,\"status\":\"unknown\"},"
		"{\"source\":\"spdm\",\"index\":1023,\"status\":\"unknown\"},"
		"{\"source\":\"spdm\",\"index\":3,\"name\":\"fw\",\"status\":\"unknown\"},"
		"{\"source\":\"spdm\",\"status\":\"unknown\"},"
		"{\"source\":\"eventlog\",\"index\":5,\"event\":2,\"status\":\"missing\",\"reference\":{\"rim\":\"r.corim\"}},"
		"{\"source\":\"eventlog\",\"index\":8,\"alg\":\"sha256\",\"digest\":\"aa\",\"status\":\"match\","
		"\"reference\":{\"alg\":\"sha256\",\"digest\":\"AA\"}}],"
		"\"conflicts\":[{\"source\":\"spdm\",\"index\":0,\"alg\":\"sha384\"},"
		"{\"source\":\"spdm\",\"index\":256,\"alg\":\"sha384\"},{\"source\":\"eventlog\",\"alg\":\"sha256\"}],"
		"\"unverifiable\":[{\"source\":\"eventlog\",\"index\":1023,\"rim\":\"u.corim\"},"
		"{\"source\":\"eventlog\",\"index\":1,\"rim\":\"v.corim\"}],"
		"\"inputs\":[{\"path\":\"/l\",\"kind\":\"eventlog\",@H,\"tpm\":{\"compared\":true,\"match\":false,"
		"\"mismatches\":[{\"bank\":\"sha256\",\"pcr\":2000},{\"bank\":\"sha256\",\"pcr\":1023},"
		"{\"bank\":\"sha256\",\"pcr\":6},{\"bank\":\"sha1\",\"pcr\":0}]}}]}";
	static const char want[] =
		"[[\"eventlog PCR 7: unknown: no reference value for it\","
		"\"EventLog index 0: unknown: no reference value for it\","
		"\"spdm index 3 'fw': unknown: no reference value for it\","
		"\"eventlog PCR 5 event 2: missing: the reference value in 'r.corim' was not measured\","
		"\"conflict: the RIMs disagree on the sha384 reference for SPDM index 0\","
		"\"unverifiable: 'u.corim': a reference value for PCR 1023 that fwtrail cannot compare\","
		"\"local event log '/l': does not replay to the TPM's PCRs (sha256 PCR 1023, sha1 PCR 0)\","
		"\"PCR 1023: not in the record\",\"PCR 0: not in the record\","
		"\"SPDM measurement index 255: not in the record\",\"SPDM measurement index 0: not in the record\"],"
		"[\"EventLog index 0: unknown: no reference value for it\","
		"\"PCR 1022: not in the record\"]]";
	char r[4096], *got;

	with_h(r, sizeof(r), rec);
	got = all_reasons(pol, r);
	T_ASSERT(got != NULL);
	if (strcmp(got, want))
		T_FAIL_("got %s", got);
	free(got);
}

/* review-coverage finds the components each selector matches, and each
 * review's reviewer, by lookup rather than by a walk over the selectors
 * or the reviewers for each component: the same reasons in the same
 * order.  A selector's source, index and name are compared exactly (a
 * selector giving neither index nor name takes every component of its
 * source, in the record's order); a component matched by several
 * selectors is judged under each; reviewers are compared without regard
 * to ASCII case only. */
static void test_review_selectors_and_reviewers(void)
{
	static const char pol[] =
		"{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"reviewers\":[\"zed\",\"alice\","
		"\"\u00fcn\u00ef\",\"Bob\"],\"min_scope\":2,\"components\":["
		"{\"source\":\"spdm\",\"name\":\"BMC\"},{\"source\":\"eventlog\",\"index\":7},"
		"{\"source\":\"spdm\"},{\"name\":\"bmc\",\"source\":\"spdm\"},"
		"{\"source\":\"spdm\",\"index\":1,\"name\":\"BMC\"},{\"source\":\"eventlog\",\"index\":1023},"
		"{\"index\":1,\"source\":\"spdm\"},{\"source\":\"eventlog\",\"name\":\"x\"}]},"
		"{\"rule\":\"review-coverage\",\"id\":\"all\",\"reviewers\":[\"ALICE\"]}]}";
	static const char rec[] =
		"{\"schema\":1,\"components\":["
		"{\"source\":\"spdm\",\"index\":1,\"name\":\"BMC\",\"status\":\"unknown\","
		"\"review\":{\"status\":\"reviewed\",\"report\":\"a\",\"srp\":\"ALICE\",\"scope\":1}},"
		"{\"source\":\"SPDM\",\"index\":1,\"name\":\"BMC\",\"status\":\"unknown\"},"
		"{\"source\":\"eventlog\",\"index\":7,\"status\":\"unknown\","
		"\"review\":{\"status\":\"reviewed\",\"report\":\"b\",\"srp\":\"\u00dcN\u00cf\",\"scope\":3}},"
		"{\"source\":\"spdm\",\"index\":2,\"name\":\"BMC\",\"status\":\"missing\","
		"\"review\":{\"status\":\"reviewed\",\"report\":\"c\",\"srp\":\"bob\",\"scope\":2}},"
		"{\"source\":\"spdm\",\"index\":null,\"name\":\"bmc\",\"status\":\"unknown\","
		"\"review\":{\"status\":\"reviewed\",\"report\":\"d\",\"srp\":\"\u00fcn\u00ef\"}},"
		"{\"source\":\"spdm\",\"index\":1,\"status\":\"unknown\",\"review\":{\"status\":\"unreviewed\","
		"\"rejected\":[{\"report\":\"e\",\"reason\":\"expired\"}]}},"
		"{\"source\":\"eventlog\",\"index\":7,\"event\":3,\"name\":\"x\",\"status\":\"unknown\","
		"\"review\":{\"status\":\"reviewed\",\"report\":\"f\",\"srp\":\"zed \",\"scope\":9}}]}";
	static const char want[] =
		"[[\"spdm index 1 'BMC': SFR 'a' has scope 1, below min_scope 2\","
		"\"eventlog PCR 7: reviewed by '\\u00DCN\\u00CF', not an allowed reviewer\","
		"\"eventlog PCR 7 event 3 'x': reviewed by 'zed ', not an allowed reviewer\","
		"\"spdm index 1 'BMC': SFR 'a' has scope 1, below min_scope 2\","
		"\"spdm index -1 'bmc': the scope of SFR 'd' is not recorded\","
		"\"spdm index 1: no SFR counts: 'e' covers its digest but is not accepted: expired\","
		"\"spdm index -1 'bmc': the scope of SFR 'd' is not recorded\","
		"\"spdm index 1 'BMC': SFR 'a' has scope 1, below min_scope 2\","
		"\"no component of the record matches source eventlog index 1023\","
		"\"spdm index 1 'BMC': SFR 'a' has scope 1, below min_scope 2\","
		"\"spdm index 1: no SFR counts: 'e' covers its digest but is not accepted: expired\","
		"\"eventlog PCR 7 event 3 'x': reviewed by 'zed ', not an allowed reviewer\"],"
		"[\"SPDM index 1 'BMC': the record does not say whether an SFR reviews it\","
		"\"eventlog PCR 7: reviewed by '\\u00DCN\\u00CF', not an allowed reviewer\","
		"\"spdm index -1 'bmc': reviewed by '\\u00FCn\\u00EF', not an allowed reviewer\","
		"\"spdm index 1: no SFR counts: 'e' covers its digest but is not accepted: expired\","
		"\"eventlog PCR 7 event 3 'x': reviewed by 'zed ', not an allowed reviewer\"]]";
	char *got = all_reasons(pol, rec);

	T_ASSERT(got != NULL);
	if (strcmp(got, want))
		T_FAIL_("got %s", got);
	free(got);
}

/* A list's repeats are found by sorting it: the message names the same
 * entries as comparing each entry with every earlier one did.  Strings
 * repeat without regard to ASCII case (not other case), selectors and
 * numbers as JSON (a selector's members in any order; its name exactly);
 * the first entry that repeats or is bad is named, whichever comes first
 * (a list of CWE ids names a bad entry before any repeat). */
static void test_list_repeats(void)
{
	static const struct {
		const char *rule, *msg;
	} cases[] = {
		{ "\"rule\":\"measurements\",\"pcrs\":[3,1,3,1]", "$.rules[0].pcrs[2]: repeats entry [0]" },
		{ "\"rule\":\"measurements\",\"pcrs\":[1,3,3,1]", "$.rules[0].pcrs[2]: repeats entry [1]" },
		{ "\"rule\":\"measurements\",\"pcrs\":[5,5,2000]", "$.rules[0].pcrs[1]: repeats entry [0]" },
		{ "\"rule\":\"measurements\",\"pcrs\":[5,2000,5]",
		  "$.rules[0].pcrs[1]: must be a PCR number from 0 to 1023, not 2000" },
		{ "\"rule\":\"measurements\",\"indices\":[0,255,7,255]", "$.rules[0].indices[3]: repeats entry [1]" },
		{ "\"rule\":\"measurements\",\"sources\":[\"spdm\",\"eventlog\",\"spdm\"]",
		  "$.rules[0].sources[2]: repeats entry [0]" },
		{ "\"rule\":\"review-coverage\",\"reviewers\":[\"x\",\"y\",\"Y\",\"X\"]",
		  "$.rules[0].reviewers[2]: repeats entry [1]" },
		{ "\"rule\":\"review-coverage\",\"reviewers\":[\"a\",\"b\",\"A\",\"B\",\"a\"]",
		  "$.rules[0].reviewers[2]: repeats entry [0]" },
		{ "\"rule\":\"review-coverage\",\"reviewers\":[\"\\u00dc\",\"\\u00fc\",\"u\",\"U\"]",
		  "$.rules[0].reviewers[3]: repeats entry [2]" },
		{ "\"rule\":\"review-coverage\",\"reviewers\":[\"a\",\"A\",\"\"]", "$.rules[0].reviewers[1]: repeats entry [0]" },
		{ "\"rule\":\"review-coverage\",\"reviewers\":[\"a\",\"\",\"A\"]",
		  "$.rules[0].reviewers[1]: must be a non-empty string of at most 256 bytes, not ''" },
		{ NULL, "$.rules[0].vendor[2]: repeats entry [0]" }, /* fingerprints: made below */
		{ "\"rule\":\"review-coverage\",\"components\":[{\"source\":\"spdm\",\"name\":\"A\"},"
		  "{\"name\":\"a\",\"source\":\"spdm\"},{\"source\":\"spdm\"},{\"source\":\"spdm\",\"index\":0},"
		  "{\"source\":\"eventlog\",\"index\":0},{\"source\":\"spdm\",\"index\":0,\"name\":\"A\"},"
		  "{\"name\":\"A\",\"index\":0,\"source\":\"spdm\"}]",
		  "$.rules[0].components[6]: repeats entry [5]" },
		{ "\"rule\":\"review-coverage\",\"components\":[{\"source\":\"spdm\"},{\"source\":\"spdm\",\"index\":1},"
		  "{\"index\":1,\"source\":\"spdm\"},{\"source\":\"spdm\",\"index\":1,\"slot\":2}]",
		  "$.rules[0].components[2]: repeats entry [1]" },
		{ "\"rule\":\"review-coverage\",\"components\":[{\"source\":\"spdm\"},{\"source\":\"spdm\",\"index\":1,"
		  "\"slot\":2},{\"source\":\"spdm\"}]",
		  "$.rules[0].components[1].slot: unknown member (a component has source, index, name)" },
		{ "\"rule\":\"forbidden-cwe\",\"cwes\":[\"CWE-1\",\"cwe-01\",\"CWE-x\"]",
		  "$.rules[0].cwes[2]: must be a CWE id such as \"CWE-787\", not 'CWE-x'" },
		{ "\"rule\":\"rollback\",\"compare\":[\"svn\",\"fw_version\",\"svn\"]", "$.rules[0].compare[2]: repeats entry [0]" },
		{ "\"rule\":\"signatures\",\"require\":[\"sfr\",\"rim\",\"spdm\",\"rim\",\"sfr\"]",
		  "$.rules[0].require[3]: repeats entry [1]" },
	};
	static const char ok[] =
		"{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"review-coverage\",\"reviewers\":[\"\\u00dc\",\"\\u00fc\","
		"\"u\"],\"components\":[{\"source\":\"spdm\",\"name\":\"A\"},{\"source\":\"spdm\",\"name\":\"a\"},"
		"{\"source\":\"spdm\"},{\"source\":\"eventlog\"},{\"source\":\"spdm\",\"index\":0},"
		"{\"source\":\"spdm\",\"index\":0,\"name\":\"a\"}]}]}";
	char text[1024], fp1[65], fp2[65], rule[256], want[256];
	fwt_policy *p = NULL;
	size_t i;

	memset(fp1, 'a', 64);
	fp1[64] = '\0';
	memcpy(fp2, fp1, sizeof(fp2));
	fp2[7] = 'A';
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *r = cases[i].rule;
		if (!r) { /* one fingerprint twice, a digit in another case */
			snprintf(rule, sizeof(rule), "\"rule\":\"signatures\",\"vendor\":[\"%s\",\"%s\",\"%s\"]", fp1,
			         "0000000000000000000000000000000000000000000000000000000000000000", fp2);
			r = rule;
		}
		snprintf(text, sizeof(text), "{\"fwtrail_policy\":1,\"rules\":[{%s}]}", r);
		snprintf(want, sizeof(want), "'p.json': %s", cases[i].msg);
		if (fwt_policy_parse(ctx, &p, text, strlen(text), "p.json") != FWT_EFORMAT || p ||
		    strcmp(fwt_ctx_errmsg(ctx), want))
			T_FAIL_("case %zu: got '%s'", i, fwt_ctx_errmsg(ctx));
	}
	/* no repeat: strings apart in a non-ASCII letter's case, selectors
	 * apart in a name's case or a member */
	T_EQ_INT(fwt_policy_parse(ctx, &p, ok, strlen(ok), "p.json"), FWT_OK);
	fwt_policy_free(p);
}

/* An empty list where one entry at least is needed says so plainly,
 * naming what to give ("must list at least one of PCR numbers" read
 * oddly). */
static void test_empty_lists_say_what_to_give(void)
{
	static const struct {
		const char *rule, *msg;
	} cases[] = {
		{ "\"rule\":\"measurements\",\"pcrs\":[]",
		  "$.rules[0].pcrs: must not be an empty list: give one or more PCR numbers" },
		{ "\"rule\":\"measurements\",\"indices\":[]",
		  "$.rules[0].indices: must not be an empty list: give one or more measurement indices" },
		{ "\"rule\":\"measurements\",\"sources\":[]",
		  "$.rules[0].sources: must not be an empty list: give one or more sources" },
		{ "\"rule\":\"rollback\",\"compare\":[]",
		  "$.rules[0].compare: must not be an empty list: give one or more fields" },
		{ "\"rule\":\"forbidden-cwe\",\"cwes\":[]",
		  "$.rules[0].cwes: must not be an empty list: give one or more CWE ids" },
	};
	char text[512], want[256];
	fwt_policy *p = NULL;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "{\"fwtrail_policy\":1,\"rules\":[{%s}]}", cases[i].rule);
		snprintf(want, sizeof(want), "'p.json': %s", cases[i].msg);
		if (fwt_policy_parse(ctx, &p, text, strlen(text), "p.json") != FWT_EFORMAT || p ||
		    strcmp(fwt_ctx_errmsg(ctx), want))
			T_FAIL_("case %zu: got '%s'", i, fwt_ctx_errmsg(ctx));
	}
}

/* The signatures rule finds a signature's key among the allowed ones by
 * lookup (100,000 signatures against 4096 fingerprints took 24 s when
 * each walked the list): a fingerprint in another case is the same key;
 * each role has its own list, and a role without one is not checked. */
static void test_signature_keys_looked_up(void)
{
	char pol[1024], rec[2048], fa[65], fb[65], fc[65], *got;
	static const char want[] =
		"[[\"'r2' (rim): signed by key cccccccccccccccc... ('?'), which is not an allowed vendor key\","
		"\"'s1' (sfr): signed by key aaaAaaaaaaaaaaaa... ('k'), which is not an allowed reviewer key\","
		"\"'x': signature kind 'corim' has no role (vendor or reviewer) to check its key against\"],"
		"[\"'r1' (rim): signed by key BBBBBBBBBBbBBBBB... ('?'), which is not an allowed vendor key\","
		"\"'r2' (rim): signed by key cccccccccccccccc... ('?'), which is not an allowed vendor key\","
		"\"'f' (firmware): signed by key 0123456789ABCDEF... ('?'), which is not an allowed vendor key\","
		"\"'x': signature kind 'corim' has no role (vendor or reviewer) to check its key against\"]]";

	memset(fa, 'a', 64);
	memset(fb, 'B', 64);
	memset(fc, 'c', 64);
	fa[64] = fb[64] = fc[64] = '\0';
	fb[63] = 'b';
	snprintf(pol, sizeof(pol),
	         "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"signatures\",\"require\":[],\"vendor\":[\"%s\",\"%s\"],"
	         "\"reviewer\":[\"%s\"]},{\"rule\":\"signatures\",\"id\":\"v\",\"require\":[],\"vendor\":[\"%s\"]}]}",
	         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", fb, fb, fa);
	fb[10] = 'b';
	fa[3] = 'A';
	snprintf(rec, sizeof(rec),
	         "{\"schema\":1,\"signatures\":[{\"path\":\"r1\",\"kind\":\"rim\",\"verified\":true,\"fingerprint\":\"%s\"},"
	         "{\"path\":\"r2\",\"kind\":\"rim\",\"verified\":true,\"fingerprint\":\"%s\"},"
	         "{\"path\":\"f\",\"kind\":\"firmware\",\"verified\":true,"
	         "\"fingerprint\":\"0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\"},"
	         "{\"path\":\"s1\",\"kind\":\"sfr\",\"verified\":true,\"fingerprint\":\"%s\",\"key\":\"k\"},"
	         "{\"path\":\"s2\",\"kind\":\"sfr\",\"verified\":true,\"fingerprint\":\"%s\"},"
	         "{\"path\":\"x\",\"kind\":\"corim\",\"verified\":true,\"fingerprint\":\"%s\"}]}",
	         fb, fc, fa, fb, fa);
	/* rule 0 allows r1 (its key in another case), f and s2; rule 1 lists
	 * no reviewer key, so it checks only r1, r2 and f, none fa's */
	got = all_reasons(pol, rec);
	T_ASSERT(got != NULL);
	if (strcmp(got, want))
		T_FAIL_("got %s", got);
	free(got);
}

/* Untrusted strings reach reasons clipped and valid; reasons are bounded. */
static void test_hostile_strings_and_bounds(void)
{
	json_t *res = NULL, *r, *why, *rec;
	fwt_verdict v;
	size_t i, j;
	char *text;
	fwt_policy *p = NULL;
	fwt_policy_eval_options o = FWT_POLICY_EVAL_OPTIONS_INIT;

	T_EQ_INT(eval(TD "policies/nolog.json", TD "records/hostile.json", NULL, &v, &res), FWT_EVERIFY);
	json_array_foreach(json_object_get(res, "rules"), i, r)
		json_array_foreach(json_object_get(r, "reasons"), j, why)
			T_ASSERT(json_string_length(why) < 1024);
	json_decref(res);
	/* 300 unknown components: 64 reasons and a count of the rest */
	rec = json_pack("{s:i, s:[]}", "schema", 1, "components");
	for (i = 0; i < 300; i++)
		json_array_append_new(json_object_get(rec, "components"),
		                      json_pack("{s:s, s:i, s:s}", "source", "spdm", "index", (int)(i % 200), "status", "unknown"));
	T_EQ_INT(fwt_policy_record_check(ctx, rec, "r"), FWT_OK);
	text = "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"measurements\"}]}";
	T_EQ_INT(fwt_policy_parse(ctx, &p, text, strlen(text), "p"), FWT_OK);
	o.at = AT;
	T_EQ_INT(fwt_policy_eval(ctx, p, rec, &o, &v, &res), FWT_EVERIFY);
	r = json_object_get(json_array_get(json_object_get(res, "rules"), 0), "reasons");
	T_EQ_INT(json_array_size(r), 65);
	T_EQ_STR(json_string_value(json_array_get(r, 64)), "... and 236 more");
	json_decref(res);
	json_decref(rec);
	fwt_policy_free(p);
}

static size_t count_elements(xmlNode *n, const char *name)
{
	size_t c = 0;

	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			c += !strcmp((const char *)n->name, name) + count_elements(n->children, name);
	return c;
}

static xmlNode *child(xmlNode *n, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
			return n;
	return NULL;
}

/* JUnit XML stays well formed whatever the strings hold, and carries them. */
/* Components made one at a time (fwt_policy_components, as fwtrail audit
 * --evidence gives them): the same checks and the same result as the
 * record holding them, each component made anew at every read. */
struct made {
	const json_t *comps;
	size_t calls, fail_at; /* fail_at: the call that fails (0: none) */
	json_t *bad;           /* a component made in place of the second */
};

static fwt_err make_comp(void *payload, size_t i, json_t **out)
{
	struct made *m = payload;

	if (++m->calls == m->fail_at)
		return FWT_ENOMEM;
	*out = i == 1 && m->bad ? json_incref(m->bad) : json_deep_copy(json_array_get(m->comps, i));
	return *out ? FWT_OK : FWT_ENOMEM;
}

static void test_components_made_apart(void)
{
	static const char *const policies[] = { "all.json", "nolog.json", "scoped.json", "warn.json" };
	static const char *const records[] = { "good.json", "cvss-high.json", "cwe-forbidden.json", "lacking.json",
		"measurements-mismatch.json", "measurements-missing.json", "measurements-unknown.json",
		"review-low-scope.json", "review-other-srp.json", "review-unreviewed.json", "rollback-older.json",
		"rollback-svn.json", "sfr-future.json", "sfr-old.json", "signatures-no-rim.json",
		"signatures-unverified.json", "signatures-wrong-key.json", "hostile.json" };
	json_t *hist = history_json(GOOD_HISTORY);
	size_t i, k;

	T_ASSERT(hist != NULL);
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		char path[256], m1[1024];
		json_t *rec = NULL, *shell;
		fwt_policy_components pc;
		struct made m = { NULL, 0, 0, NULL };
		fwt_err e1, e2;

		snprintf(path, sizeof(path), TD "records/%s", records[i]);
		T_EQ_INT(load_record(path, &rec), FWT_OK);
		if (!rec || !json_is_array(json_object_get(rec, "components"))) { /* lacking.json: none to make */
			json_decref(rec);
			continue;
		}
		shell = json_copy(rec);
		m.comps = json_object_get(rec, "components");
		json_object_set_new(shell, "components", json_array());
		pc.n = json_array_size(m.comps);
		pc.get = make_comp;
		pc.payload = &m;
		e1 = fwt_policy_appraisal_check(ctx, rec, "r");
		snprintf(m1, sizeof(m1), "%s", fwt_ctx_errmsg(ctx));
		e2 = fwt_policy_appraisal_check_components(ctx, shell, &pc, "r");
		if (e1 != e2 || (e1 && strcmp(m1, fwt_ctx_errmsg(ctx))))
			T_FAIL_("%s: check %d '%s', apart %d '%s'", records[i], e1, m1, e2, fwt_ctx_errmsg(ctx));
		for (k = 0; k < sizeof(policies) / sizeof(policies[0]); k++) {
			fwt_policy_eval_options o = FWT_POLICY_EVAL_OPTIONS_INIT;
			fwt_policy *p = NULL;
			json_t *r1 = NULL, *r2 = NULL;
			fwt_verdict v1, v2;
			snprintf(path, sizeof(path), TD "policies/%s", policies[k]);
			T_EQ_INT(load_policy(path, &p), FWT_OK);
			o.at = AT;
			o.history = hist;
			e1 = fwt_policy_eval(ctx, p, rec, &o, &v1, &r1);
			o.components = &pc;
			m.calls = 0;
			e2 = fwt_policy_eval(ctx, p, shell, &o, &v2, &r2);
			if (e1 != e2 || v1 != v2 || !json_equal(r1, r2))
				T_FAIL_("%s, %s: %d/%d, verdicts %d/%d, results %s", records[i], policies[k], e1, e2, v1, v2,
				        json_equal(r1, r2) ? "equal" : "differ");
			/* a component that cannot be made stops the evaluation */
			if (m.calls && pc.n) {
				json_t *r3 = NULL;
				m.fail_at = m.calls;
				m.calls = 0;
				T_EQ_INT(fwt_policy_eval(ctx, p, shell, &o, &v2, &r3), FWT_ENOMEM);
				T_ASSERT(r3 == NULL);
				m.fail_at = 0;
			}
			json_decref(r1);
			json_decref(r2);
			fwt_policy_free(p);
		}
		/* made apart, a component is checked as one in the record */
		if (pc.n > 1) {
			m.bad = json_pack("{s:s, s:i}", "source", "spdm", "status", 3);
			T_EQ_INT(fwt_policy_appraisal_check_components(ctx, shell, &pc, "r"), FWT_EFORMAT);
			if (!strstr(fwt_ctx_errmsg(ctx), "$.components[1].status: must be a string, not integer"))
				T_FAIL_("%s: %s", records[i], fwt_ctx_errmsg(ctx));
			json_decref(m.bad);
			m.bad = NULL;
		}
		/* and never beside components of the record's own */
		T_EQ_INT(fwt_policy_appraisal_check_components(ctx, rec, &pc, "r"), pc.n ? FWT_EINVAL : FWT_OK);
		json_decref(shell);
		json_decref(rec);
	}
	json_decref(hist);
}

static void test_junit_escapes_everything(void)
{
	static const char *const evil[] = {
		"</failure></testcase></testsuite><testcase name=\"x\">",
		"]]> & <![CDATA[ &amp; <!-- --> <?pi?>",
		"quote \" apos ' lt < gt >",
		"esc \x1b[2J bel \x07 cr \r nel \xc2\x85 nonchar \xef\xbf\xbe end",
	};
	json_t *res = json_pack("{s:s, s:s, s:{s:i, s:i, s:i}, s:[]}", "verdict", "fail", "at", "2026-11-22T17:00:00Z",
	                        "counts", "pass", 1, "warn", 1, "fail", 1, "rules");
	json_t *rules = json_object_get(res, "rules"), *reasons = json_array();
	char *x = NULL;
	size_t n = 0, i;
	xmlDoc *doc;
	xmlNode *root, *suite, *tc, *f;
	xmlChar *msg, *text;

	for (i = 0; i < 4; i++)
		json_array_append_new(reasons, json_string(evil[i]));
	json_array_append_new(rules, json_pack("{s:s, s:s, s:s, s:s, s:[]}", "id", "sigs\"<&>", "rule", "signatures",
	                                       "level", "fail", "outcome", "pass", "reasons"));
	json_array_append_new(rules, json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", "max-cvss", "rule", "max-cvss", "level",
	                                       "fail", "outcome", "fail", "reasons", reasons));
	json_array_append_new(rules, json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "id", "age", "rule", "sfr-age", "level",
	                                       "warn", "outcome", "warn", "reasons", "old\nverdict: pass"));
	T_EQ_INT(fwt_policy_result_junit(ctx, res, "p<\x1b>.json", "a&b.json", &x, &n), FWT_OK);
	T_ASSERT(!memchr(x, 0x1b, n) && !memchr(x, 0x07, n) && !memchr(x, '\r', n));
	doc = xmlReadMemory(x, (int)n, "junit.xml", NULL, XML_PARSE_NONET);
	T_ASSERT(doc);
	root = xmlDocGetRootElement(doc);
	T_EQ_STR((const char *)root->name, "testsuites");
	T_EQ_INT(count_elements(root, "testsuite"), 1);
	T_EQ_INT(count_elements(root, "testcase"), 3);
	T_EQ_INT(count_elements(root, "failure"), 1);
	suite = child(root, "testsuite");
	msg = xmlGetProp(suite, (const xmlChar *)"name");
	T_EQ_STR((const char *)msg, "p<\\x1b>.json");
	xmlFree(msg);
	tc = child(suite, "testcase");
	msg = xmlGetProp(tc, (const xmlChar *)"name");
	T_EQ_STR((const char *)msg, "sigs\"<&>");
	xmlFree(msg);
	tc = tc->next;
	while (tc && tc->type != XML_ELEMENT_NODE)
		tc = tc->next;
	f = child(tc, "failure");
	T_ASSERT(f);
	msg = xmlGetProp(f, (const xmlChar *)"message");
	T_EQ_STR((const char *)msg, evil[0]);
	xmlFree(msg);
	text = xmlNodeGetContent(f);
	T_ASSERT(strstr((const char *)text, evil[1]) && strstr((const char *)text, evil[2]));
	T_ASSERT(strstr((const char *)text, "esc \\x1b[2J bel \\x07 cr \\x0d nel \\xc2\\x85 nonchar \\xef\\xbf\\xbe end"));
	xmlFree(text);
	xmlFreeDoc(doc);
	free(x);
	json_decref(res);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_loads_the_policies);
	T_RUN(test_refuses_bad_policies);
	T_RUN(test_policy_edge_values);
	T_RUN(test_measurements_scope_contradiction);
	T_RUN(test_long_names_in_messages);
	T_RUN(test_records_are_checked);
	T_RUN(test_version_order);
	T_RUN(test_good_record_passes_every_rule);
	T_RUN(test_each_rule_fails_on_its_record);
	T_RUN(test_missing_information_fails);
	T_RUN(test_lacking_fails_at_level_warn);
	T_RUN(test_references_products);
	T_RUN(test_record_time_within_skew);
	T_RUN(test_reviewers_with_keys);
	T_RUN(test_appraisal_is_attest_checks);
	T_RUN(test_boundaries);
	T_RUN(test_spdm_signatures);
	T_RUN(test_spdm_vendor_path);
	T_RUN(test_rollback_versions);
	T_RUN(test_history_keeps_the_highest);
	T_RUN(test_review_rejected_reason);
	T_RUN(test_review_summary_agrees_with_issues);
	T_RUN(test_reviews_once_per_report);
	T_RUN(test_record_agrees_with_itself);
	T_RUN(test_review_report_needs_its_signature);
	T_RUN(test_products_agree_with_reviews);
	T_RUN(test_measurements_agree_with_attest_check);
	T_RUN(test_measurements_scoped_by_number);
	T_RUN(test_review_selectors_and_reviewers);
	T_RUN(test_list_repeats);
	T_RUN(test_empty_lists_say_what_to_give);
	T_RUN(test_signature_keys_looked_up);
	T_RUN(test_hostile_strings_and_bounds);
	T_RUN(test_junit_escapes_everything);
	T_RUN(test_components_made_apart);
	xmlCleanupParser();
	fwt_ctx_free(ctx);
	return t_done();
}
