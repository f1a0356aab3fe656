/* SPDX-License-Identifier: Apache-2.0 */
/* sfr_test.c - the report model and JSON codec (on every published report),
 * wrong types, issue lists (JSON, CSV), lint, firmware binding, checking
 * many files on several threads, and the JWT claims exp and nbf. */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

static fwt_ctx *ctx;

static fwt_sfr *from(const char *json, fwt_err *err)
{
	fwt_sfr *s = NULL;
	*err = fwt_sfr_from_json(ctx, &s, json, strlen(json), "t.json");
	return s;
}

static fwt_sfr *bmc(void)
{
	size_t n;
	unsigned char *b = t_slurp("testdata/sfr/bmc-report.json", &n);
	fwt_sfr *s = NULL;

	if (b && fwt_sfr_from_json(ctx, &s, b, n, "bmc") != FWT_OK)
		s = NULL;
	free(b);
	return s;
}

/* Every JWS payload and JSON file in the corpus: parses, and serialises
 * back to the same JSON (member order, spelling of numbers, unknown members)
 * so that signing a published report signs what it says. */
static size_t walk(const char *d, size_t *bad)
{
	DIR *dir = opendir(d);
	struct dirent *de;
	char p[1024];
	size_t n = 0;

	while (dir && (de = readdir(dir))) {
		size_t l = strlen(de->d_name), len = 0, plen;
		unsigned char *buf;
		fwt_sfr *s = NULL;
		fwt_jws *j = NULL;
		const unsigned char *pl;
		char *out = NULL;
		json_t *a, *b;
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", d, de->d_name);
		if (de->d_type == DT_DIR) {
			n += walk(p, bad);
			continue;
		}
		if (l < 5 || (strcmp(de->d_name + l - 4, ".jws") && strcmp(de->d_name + l - 4, ".jwt") &&
		              strcmp(de->d_name + l - 5, ".json")))
			continue;
		if (!strcmp(de->d_name, "EXPECTED.json"))
			continue;
		buf = t_slurp(p, &len);
		pl = buf;
		plen = len;
		if (strcmp(de->d_name + l - 5, ".json")) {
			if (fwt_jws_parse(ctx, &j, buf, len, NULL) != FWT_OK) {
				fprintf(stderr, "  %s: %s\n", p, fwt_ctx_errmsg(ctx));
				(*bad)++;
				free(buf);
				continue;
			}
			pl = fwt_jws_payload(j, &plen);
		}
		n++;
		if (fwt_sfr_from_json(ctx, &s, pl, plen, p) != FWT_OK ||
		    fwt_sfr_serialize(ctx, s, 0, &out, NULL) != FWT_OK) {
			fprintf(stderr, "  %s: %s\n", p, fwt_ctx_errmsg(ctx));
			(*bad)++;
		} else {
			a = json_loadb((const char *)pl, plen, 0, NULL);
			b = json_loads(out, 0, NULL);
			if (!a || !b || !json_equal(a, b)) {
				fprintf(stderr, "  %s: does not round-trip\n", p);
				(*bad)++;
			}
			json_decref(a);
			json_decref(b);
		}
		free(out);
		fwt_sfr_free(s);
		fwt_jws_free(j);
		free(buf);
	}
	if (dir)
		closedir(dir);
	return n;
}

static void test_corpus_roundtrip(void)
{
	char p[512];
	size_t bad = 0, n;

	if (!t_corpora())
		T_SKIP("../shared/corpora not found");
	snprintf(p, sizeof(p), "%s/sfr", t_corpora());
	n = walk(p, &bad);
	fprintf(stderr, "  %zu published reports and payloads read back\n", n);
	T_ASSERT(n >= 60);
	T_EQ_INT(bad, 0);
}

static void test_model_fields_and_variety(void)
{
	fwt_err e;
	fwt_sfr *s;
	long long sc;
	size_t n;
	unsigned char h[64];

	/* old "scope", real numbers, 0x hashes, null cve, iat */
	s = from("{\"review_framework_version\":\"0.3\",\"device\":{\"vendor\":\"V\",\"product\":\"P\","
	         "\"fw_version\":\"1\",\"fw_hash_sha2_384\":\"0xCB258FC154582E02952EEA4AB59BC79078A9E35CCE4C691343BA9810242B3CABC0C9E1C2E311C12966DA17835F8E2CDC\","
	         "\"fw_hash_sha2_512\":\"\"},\"audit\":{\"scope\":1.0,\"issues\":[{\"title\":\"t\",\"cve\":null,"
	         "\"cvss_score\":\"7.9\"}]},\"iat\":1754594598,\"extra\":{\"x\":[1]}}", &e);
	T_EQ_INT(e, FWT_OK);
	T_EQ_STR(fwt_sfr_get(s, FWT_SFR_VENDOR, &n), "V");
	T_ASSERT(fwt_sfr_get(s, FWT_SFR_CATEGORY, &n) == NULL);
	T_EQ_STR(fwt_sfr_field_path(s, FWT_SFR_SCOPE), "$.audit.scope");
	T_EQ_INT(fwt_sfr_scope(s, &sc), FWT_OK);
	T_EQ_INT(sc, 1);
	T_EQ_INT(fwt_sfr_kind_of(s, FWT_SFR_SCOPE), FWT_SFR_REAL);
	T_EQ_INT(fwt_sfr_fw_hash(s, FWT_DIGEST_SHA384, h), FWT_OK);
	T_EQ_INT(h[0], 0xcb);
	T_EQ_INT(fwt_sfr_fw_hash(s, FWT_DIGEST_SHA512, h), FWT_ENOTFOUND);
	T_ASSERT(fwt_sfr_has_iat(s));
	T_EQ_INT(fwt_sfr_iat(s), 1754594598);
	T_EQ_INT(fwt_sfr_issue_count(s), 1);
	T_EQ_INT(fwt_sfr_issue_kind(s, 0, FWT_SFR_ISSUE_CVE), FWT_SFR_NULL);
	T_EQ_STR(fwt_sfr_issue_get(s, 0, FWT_SFR_ISSUE_CVSS_SCORE, &n), "7.9");
	T_EQ_INT(fwt_sfr_issue_kind(s, 0, FWT_SFR_ISSUE_CVSS_SCORE), FWT_SFR_STRING);
	fwt_sfr_free(s);
	/* T3: a verified report names its device */
	s = from("{\"device\":{\"vendor\":\"V\"},\"audit\":{}}", &e);
	T_EQ_INT(e, FWT_OK);
	T_EQ_INT(fwt_sfr_check_identity(ctx, s), FWT_EFORMAT); /* no product */
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.device.product: missing") != NULL);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_PRODUCT, "", 0), FWT_OK);
	T_EQ_INT(fwt_sfr_check_identity(ctx, s), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.device.product: empty") != NULL);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_PRODUCT, "P", 1), FWT_OK);
	T_EQ_INT(fwt_sfr_check_identity(ctx, s), FWT_OK);
	fwt_sfr_free(s);
	/* scope as a string that is not a whole number */
	s = from("{\"device\":{},\"audit\":{\"scope_number\":\"3.1\"}}", &e);
	T_EQ_INT(e, FWT_OK);
	T_EQ_INT(fwt_sfr_scope(s, &sc), FWT_EFORMAT);
	fwt_sfr_free(s);
}

static void test_wrong_types_name_the_path(void)
{
	static const struct {
		const char *json, *path;
	} c[] = {
		{ "{\"audit\":{}}", "$.device" },
		{ "{\"device\":[],\"audit\":{}}", "$.device" },
		{ "{\"device\":{},\"audit\":\"x\"}", "$.audit" },
		{ "{\"device\":{\"vendor\":[\"a\"]},\"audit\":{}}", "$.device.vendor" },
		{ "{\"device\":{\"fw_version\":true},\"audit\":{}}", "$.device.fw_version" },
		{ "{\"device\":{},\"audit\":{\"issues\":{}}}", "$.audit.issues" },
		{ "{\"device\":{},\"audit\":{\"issues\":[1]}}", "$.audit.issues[0]" },
		{ "{\"device\":{},\"audit\":{\"issues\":[{},{\"title\":{}}]}}", "$.audit.issues[1].title" },
		{ "{\"device\":{\"manifest\":{}},\"audit\":{}}", "$.device.manifest" },
		{ "{\"device\":{\"manifest\":[{\"file_name\":\"a\",\"file_hash\":\"00\"}]},\"audit\":{}}",
		  "$.device.manifest[0].file_hash" },
		{ "{\"device\":{\"manifest\":[{\"file_hash\":\"00\"}]},\"audit\":{}}", "$.device.manifest[0].file_name" },
		/* a manifest entry is taken only as its hashes are computed over it */
#define H128 "abababababababababababababababababababababababababababababababab" \
             "abababababababababababababababababababababababababababababababab"
#define H128_UPPER "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB" \
                   "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB"
		{ "{\"device\":{\"manifest\":[{\"file_name\":\"a\",\"file_hash\":\"" H128 "\",\"size\":1}]},\"audit\":{}}",
		  "$.device.manifest[0] must hold file_name then file_hash and nothing else" },
		{ "{\"device\":{\"manifest\":[{\"file_hash\":\"" H128 "\",\"file_name\":\"a\"}]},\"audit\":{}}",
		  "$.device.manifest[0] must hold file_name then file_hash" },
		{ "{\"device\":{\"manifest\":[{\"file_name\":\"a\",\"file_hash\":\"0x" H128 "\"}]},\"audit\":{}}",
		  "$.device.manifest[0].file_hash must be bare lower-case hex" },
		{ "{\"device\":{\"manifest\":[{\"file_name\":\"a\",\"file_hash\":\"" H128_UPPER "\"}]},\"audit\":{}}",
		  "$.device.manifest[0].file_hash must be bare lower-case hex" },
		{ "{\"device\":{},\"audit\":{},\"iat\":\"now\"}", "$.iat" },
		{ "{\"device\":{},\"audit\":{},\"iat\":true}", "$.iat is true, not a number" }, /* 1.5 is a NumericDate */
		{ "{\"device\":{\"vendor\":\"a\",\"vendor\":\"b\"},\"audit\":{}}", "$.device" },
		/* J11: a number where the schema has a string; scope_number below 0 */
		{ "{\"device\":{\"vendor\":5},\"audit\":{}}", "$.device.vendor is an integer, not a string" },
		{ "{\"device\":{\"fw_version\":1.5},\"audit\":{}}", "$.device.fw_version is a real number" },
		{ "{\"device\":{\"fw_hash_sha2_384\":0},\"audit\":{}}", "$.device.fw_hash_sha2_384 is an integer" },
		{ "{\"device\":{},\"audit\":{\"issues\":[{\"title\":\"t\",\"cvss_score\":7.8}]}}",
		  "$.audit.issues[0].cvss_score is a real number, not a string" },
		{ "{\"device\":{},\"audit\":{\"scope_number\":-1}}", "$.audit.scope_number is negative" },
		{ "{\"device\":{},\"audit\":{\"scope\":-0.5}}", "$.audit.scope is negative" },
		{ "[]", "" },
	};
	size_t i;
	fwt_err e;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		fwt_sfr *s = from(c[i].json, &e);
		T_ASSERT(s == NULL);
		T_EQ_INT(e, FWT_EFORMAT);
		if (!strstr(fwt_ctx_errmsg(ctx), c[i].path))
			fprintf(stderr, "  %s: '%s'\n", c[i].json, fwt_ctx_errmsg(ctx));
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), c[i].path));
	}
	/* nesting deeper than 8 is refused */
	T_ASSERT(from("{\"device\":{},\"audit\":{},\"x\":[[[[[[[[1]]]]]]]]}", &e) == NULL);
	T_EQ_INT(e, FWT_EFORMAT);
}

static void test_build_and_serialise(void)
{
	fwt_sfr *s = NULL;
	char *out = NULL;
	size_t i, n;
	unsigned char d384[48], d512[64];

	memset(d384, 0xab, 48);
	memset(d512, 0xcd, 64);
	T_EQ_INT(fwt_sfr_new(&s), FWT_OK);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_FRAMEWORK_VERSION, "1.1", 3), FWT_OK);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_VENDOR, "ACME \xc3\xa9", 7), FWT_OK);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_PRODUCT, "bad\xc0", 4), FWT_EINVAL);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_SCOPE, "2", 1), FWT_OK);
	T_EQ_INT(fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA384, d384), FWT_OK);
	T_EQ_INT(fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA512, d512), FWT_OK);
	T_EQ_INT(fwt_sfr_issue_add(s, &i), FWT_OK);
	T_EQ_INT(fwt_sfr_issue_set(s, i, FWT_SFR_ISSUE_TITLE, "T", 1), FWT_OK);
	T_EQ_INT(fwt_sfr_serialize(ctx, s, 0, &out, &n), FWT_OK);
	T_ASSERT(!strncmp(out, "{\"review_framework_version\":\"1.1\",\"device\":{\"vendor\":\"ACME \xc3\xa9\","
	                       "\"fw_hash_sha2_384\":\"abab",
	                  80));
	T_ASSERT(strstr(out, "\"audit\":{\"scope_number\":2,\"issues\":[{\"title\":\"T\",\"cvss_score\":\"\","
	                     "\"cvss_vector\":\"\",\"cwe\":\"\",\"description\":\"\",\"cve\":null}]}"));
	free(out);
	fwt_sfr_free(s);
}

static void test_manifest_hashes(void)
{
	fwt_manifest *m = NULL;
	fwt_sfr *s = NULL;
	unsigned char h[64];
	char p[512];
	size_t n;
	const char *want384 = "848aff556097fc1eaf08253abd00af0aad0c317c3490e88bef09348658ce6e14829815fca075d9e03fcf236a47ff91dc";

	if (!t_corpora())
		T_SKIP("../shared/corpora not found");
	snprintf(p, sizeof(p), "%s/sfr/shortform_report-main/samples/manifest/myapp", t_corpora());
	T_EQ_INT(fwt_manifest_build(ctx, &m, p, NULL), FWT_OK);
	T_EQ_INT(fwt_sfr_new(&s), FWT_OK);
	T_EQ_INT(fwt_sfr_set_manifest(ctx, s, m, 1), FWT_OK);
	fwt_manifest_free(m);
	T_ASSERT(fwt_sfr_has_manifest(s));
	T_EQ_INT(fwt_sfr_manifest_count(s), 4);
	T_EQ_STR(fwt_sfr_manifest_name(s, 0, &n), "myapp/bin/myapp.elf");
	T_EQ_STR(fwt_sfr_get(s, FWT_SFR_FW_HASH_SHA384, &n), want384);
	T_EQ_INT(fwt_sfr_fw_hash(s, FWT_DIGEST_SHA512, h), FWT_OK);
	T_EQ_INT(h[0], 0x89);
	fwt_sfr_free(s);
}

static void test_issue_lists(void)
{
	fwt_sfr *s = bmc();
	size_t n;
	const char *csv = "\xef\xbb\xbftitle,cve,cvss_score\r\n\"A, \"\"quoted\"\"\",CVE-2026-1234,7.8\r\n"
	                  "\r\n\"multi\nline\",,0.0\n";
	const char *bad[] = {
		"title,cvss\nA,1\n",                      /* unknown column */
		"cve,cwe\nA,B\n",                         /* no title */
		"title,title\nA,B\n",                     /* twice */
		"title,cve\nA\n",                         /* too few fields */
		"title\n\"unterminated\n",                /* open quote */
		"title\nab\"c\n",                         /* quote inside */
		"title\n\"a\"b\n",                        /* text after quote */
		"title\n\xc0\xaf\n",                      /* not UTF-8 */
		"[{\"title\":\"x\",\"severity\":\"high\"}]", /* unknown member */
		"[{\"cve\":null}]",                       /* no title */
		"[1]",
		"{\"title\":\"x\"}",
		"",
	};

	T_ASSERT(s);
	T_EQ_INT(fwt_sfr_issues_load(ctx, s, csv, strlen(csv), "i.csv"), FWT_OK);
	T_EQ_INT(fwt_sfr_issue_count(s), 2);
	T_EQ_STR(fwt_sfr_issue_get(s, 0, FWT_SFR_ISSUE_TITLE, &n), "A, \"quoted\"");
	T_EQ_STR(fwt_sfr_issue_get(s, 0, FWT_SFR_ISSUE_CVE, &n), "CVE-2026-1234");
	T_EQ_STR(fwt_sfr_issue_get(s, 1, FWT_SFR_ISSUE_TITLE, &n), "multi\nline");
	T_EQ_INT(fwt_sfr_issue_kind(s, 1, FWT_SFR_ISSUE_CVE), FWT_SFR_NULL);
	T_EQ_STR(fwt_sfr_issue_get(s, 1, FWT_SFR_ISSUE_CVSS_SCORE, &n), "0.0");
	for (n = 0; n < sizeof(bad) / sizeof(bad[0]); n++) {
		fwt_err e = fwt_sfr_issues_load(ctx, s, bad[n], strlen(bad[n]), "bad");
		if (e != FWT_EFORMAT)
			fprintf(stderr, "  accepted issue list %zu\n", n);
		T_EQ_INT(e, FWT_EFORMAT);
		T_EQ_INT(fwt_sfr_issue_count(s), 2); /* unchanged on failure */
	}
	T_EQ_INT(fwt_sfr_issues_load(ctx, s, "[]", 2, "e.json"), FWT_OK);
	T_EQ_INT(fwt_sfr_issue_count(s), 0);
	/* in a one-column CSV, a quoted "" is a row (with an empty title, for
	 * lint to flag), and only a line with nothing on it is blank */
	T_EQ_INT(fwt_sfr_issues_load(ctx, s, "title\n\"\"\n\n", 10, "q.csv"), FWT_OK);
	T_EQ_INT(fwt_sfr_issue_count(s), 1);
	T_EQ_STR(fwt_sfr_issue_get(s, 0, FWT_SFR_ISSUE_TITLE, &n), "");
	/* an issue list may give cvss_score as a number: the report gets the
	 * string the format has; a number anywhere else is refused */
	{
		static const char il[] = "[{\"title\":\"t\",\"cvss_score\":7.5},{\"title\":\"u\",\"cvss_score\":9}]";
		size_t len;
		T_EQ_INT(fwt_sfr_issues_load(ctx, s, il, strlen(il), "n.json"), FWT_OK);
		T_EQ_STR(fwt_sfr_issue_get(s, 0, FWT_SFR_ISSUE_CVSS_SCORE, &len), "7.5");
		T_EQ_INT(fwt_sfr_issue_kind(s, 0, FWT_SFR_ISSUE_CVSS_SCORE), FWT_SFR_STRING);
		T_EQ_STR(fwt_sfr_issue_get(s, 1, FWT_SFR_ISSUE_CVSS_SCORE, &len), "9");
		static const char cwe[] = "[{\"title\":\"t\",\"cwe\":79}]";
		T_EQ_INT(fwt_sfr_issues_load(ctx, s, cwe, strlen(cwe), "c.json"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "cwe is an integer, not a string") != NULL);
	}
	fwt_sfr_free(s);
}

static int has(const fwt_sfr_finding *f, size_t n, fwt_sfr_severity sev, const char *path, const char *msg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (f[i].severity == sev && !strcmp(f[i].path, path) && strstr(f[i].message, msg))
			return 1;
	return 0;
}

static void test_lint(void)
{
	fwt_sfr_finding *f = NULL;
	fwt_sfr *s = bmc();
	size_t n = 0;
	fwt_err e;

	T_ASSERT(s);
	T_EQ_INT(fwt_sfr_lint(ctx, s, &f, &n), FWT_OK);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  unexpected: %s: %s\n", f[i].path, f[i].message);
	T_EQ_INT(n, 0);
	fwt_sfr_free(s);
	s = from("{\"review_framework_version\":\"1.1\",\"device\":{\"vendor\":\"\",\"product\":\"P\",\"fw_version\":\"1\","
	         "\"fw_hash_sha2_384\":\"0xABCD\",\"fw_hash_sha2_512\":\"zz\",\"manifest\":[{\"file_name\":\"b\",\"file_hash\":\""
	         "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	         "\"},{\"file_name\":\"a\",\"file_hash\":\""
	         "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	         "\"}]},\"audit\":{\"srp\":\"S\",\"methodology\":\"m\",\"completion_date\":\"2023-02-29\","
	         "\"report_version\":\"1\",\"scope_number\":\"x\",\"cvss_version\":\"3.1\",\"issues\":["
	         "{\"title\":\"\",\"cvss_score\":\"9.9\",\"cvss_vector\":\"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\","
	         "\"cwe\":\"CWE-521: Weak Password Requirements\",\"description\":\"d\",\"cve\":\"none\"},"
	         "{\"title\":\"t\",\"cvss_score\":\"11\",\"cvss_vector\":\"AV:N\",\"cwe\":\"none\",\"description\":\"d\","
	         "\"cve\":\"CVE-21-1\",\"x-jira\":\"FW-1\"}]},\"surprise\":1}", &e);
	T_EQ_INT(e, FWT_OK);
	T_EQ_INT(fwt_sfr_lint(ctx, s, &f, &n), FWT_OK);
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.device.vendor", "empty"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.device.fw_hash_sha2_384", "has 4 hex digits"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.device.fw_hash_sha2_512", "is not hex"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.device.manifest[1]", "not sorted"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.completion_date", "not a date"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.scope_number", "scope_number 'x' is not a whole number"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[0].title", "empty"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[0].cvss_vector", "CVSS 3.0 but"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[0].cvss_score", "base score 9.8"));
	T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.audit.issues[0].cwe", "'CWE-521'"));
	T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.audit.issues[0].cve", "use null"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[1].cvss_score", "not a CVSS score"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[1].cvss_vector", "lacks the base metric"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[1].cwe", "not a CWE id"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[1].cve", "not a CVE id"));
	T_ASSERT(has(f, n, FWT_SFR_WARNING, "$", "unknown member 'surprise'"));
	T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.audit.issues[1]", "unknown member 'x-jira'"));
	T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.device.category", "missing"));
	free(f);
	fwt_sfr_free(s);
	/* a manifest whose hashes are not the report's */
	s = from("{\"device\":{\"fw_hash_sha2_384\":\"aa\",\"manifest\":[]},\"audit\":{\"issues\":[],\"cvss_version\":\"4.0\"}}", &e);
	T_EQ_INT(fwt_sfr_lint(ctx, s, &f, &n), FWT_OK);
	T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.audit.cvss_version", "not checked"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.device.manifest", "manifest is empty: the report binds to no file"));
	free(f);
	fwt_sfr_free(s);
}

static void test_binding(void)
{
	fwt_sfr_verify_options o = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_result r;
	fwt_digests d;
	size_t n;
	unsigned char *fw = t_slurp("testdata/firmware/bmc-1.2.3.bin", &n), *rep;
	size_t rl;
	char *var;
	static const struct {
		const char *from, *to;
		fwt_err want;
	} sp[] = {
		{ "\"fw_hash_sha2_384\": \"", "\"fw_hash_sha2_384\": \"0x", FWT_OK },   /* 0x prefix */
		{ "\"fw_hash_sha2_384\": \"", "\"fw_hash_sha2_384\": \"0X", FWT_OK },
		{ "\"fw_hash_sha2_384\": \"", "\"fw_hash_sha2_384\": \" ", FWT_EVERIFY }, /* whitespace */
		{ "\"fw_hash_sha2_384\": \"", "\"fw_hash_sha2_384\": \"00", FWT_EVERIFY }, /* 49 bytes */
	};
	size_t i;

	T_ASSERT(fw);
	T_EQ_INT(fwt_digest_buffer(ctx, FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512, fw, n, &d), FWT_OK);
	free(fw);
	rep = t_slurp("testdata/sfr/bmc-report.json", &rl);
	o.fw = &d;
	o.fw_name = "bmc.bin";
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, rep, rl, "r", &r), FWT_OK);
	T_ASSERT(r.bound && !r.is_jws && !r.sig_checked);
	fwt_sfr_result_clear(&r);
	for (i = 0; i < sizeof(sp) / sizeof(sp[0]); i++) {
		const char *at = strstr((char *)rep, sp[i].from);
		size_t vl = rl + 8;
		var = malloc(vl);
		snprintf(var, vl, "%.*s%s%s", (int)(at - (char *)rep), rep, sp[i].to, at + strlen(sp[i].from));
		T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, var, strlen(var), "r", &r), sp[i].want);
		fwt_sfr_result_clear(&r);
		free(var);
	}
	/* upper case digits are the same hash */
	var = strdup((char *)rep);
	for (i = 0; var[i]; i++)
		if (!strncmp(var + i, "fw_hash_sha2_512\": \"", 20))
			for (i += 20; var[i] != '"'; i++)
				var[i] = (char)(var[i] >= 'a' && var[i] <= 'f' ? var[i] - 32 : var[i]);
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, var, strlen(var), "r", &r), FWT_OK);
	fwt_sfr_result_clear(&r);
	free(var);
	/* another image: no; only one hash matching: no */
	d.sha512[5] ^= 1;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, rep, rl, "r", &r), FWT_EVERIFY);
	T_ASSERT(strstr(r.message, "fw_hash_sha2_512 does not match 'bmc.bin'"));
	fwt_sfr_result_clear(&r);
	/* the caller's digests hold no hash a report binds by: not a "no"
	 * about the report (which carries both), but a bad argument */
	d.mask = FWT_DIGEST_SHA256;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, rep, rl, "r", &r), FWT_EINVAL);
	T_ASSERT(strstr(r.message, "the digests of bmc.bin hold neither SHA-384 nor SHA-512"));
	fwt_sfr_result_clear(&r);
	d.mask = 0;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, rep, rl, "r", &r), FWT_EINVAL);
	fwt_sfr_result_clear(&r);
	/* unsigned reports fail when a signature is required */
	o.fw = NULL;
	o.require_signature = 1;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, rep, rl, "r", &r), FWT_EVERIFY);
	T_ASSERT(strstr(r.message, "not signed"));
	fwt_sfr_result_clear(&r);
	free(rep);
}

/* a report past FWT_SFR_MAX_SIZE is never handed out: no reader takes it */
static void test_serialize_cap(void)
{
	fwt_sfr *s;
	char *out = (char *)1, desc[1001];
	unsigned char *cb = (unsigned char *)1;
	size_t i, idx, len = 0;

	memset(desc, 'D', 1000);
	desc[1000] = '\0';
	s = bmc();
	T_ASSERT(s);
	for (i = 0; i < 1100; i++) {
		T_EQ_INT(fwt_sfr_issue_add(s, &idx), FWT_OK);
		T_EQ_INT(fwt_sfr_issue_set(s, idx, FWT_SFR_ISSUE_DESCRIPTION, desc, 1000), FWT_OK);
	}
	T_EQ_INT(fwt_sfr_serialize(ctx, s, 1, &out, &len), FWT_EFORMAT);
	T_ASSERT(out == NULL && strstr(fwt_ctx_errmsg(ctx), "more than the 1048576 bytes a report may be"));
	T_EQ_INT(fwt_sfr_serialize(ctx, s, 0, &out, &len), FWT_EFORMAT);
	T_ASSERT(out == NULL);
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, NULL, &cb, &len) != FWT_OK, 1);
	T_ASSERT(cb == NULL);
	fwt_sfr_free(s);
}

/* the rule of fwtrail.h: a zeroed options struct is the current version
 * (its at and flags read), a newer one refused */
static void test_options_versions(void)
{
	fwt_sfr_verify_options o;
	fwt_sfr_corim_options co;
	fwt_sfr_result r;
	fwt_sfr *s = bmc();
	unsigned char *rep, *c = NULL;
	size_t rl, cl;

	T_ASSERT(s);
	rep = t_slurp("testdata/sfr/bmc-report.json", &rl);
	memset(&o, 0, sizeof(o));
	o.flags = FWT_SFR_VERIFY_NO_REPORT; /* read from a zeroed struct too */
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, rep, rl, "r", &r), FWT_OK);
	T_ASSERT(r.sfr == NULL);
	fwt_sfr_result_clear(&r);
	o.version = FWT_SFR_VERIFY_OPTIONS_VERSION + 1;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, rep, rl, "r", &r), FWT_EINVAL);
	fwt_sfr_result_clear(&r);
	memset(&co, 0, sizeof(co));
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, &co, &c, &cl), FWT_OK);
	free(c);
	co.version = FWT_SFR_CORIM_OPTIONS_VERSION + 1;
	T_EQ_INT(fwt_sfr_to_corim(ctx, s, &co, &c, &cl), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is newer than this library's"));
	free(rep);
	fwt_sfr_free(s);
}

static void test_check_files_threads(void)
{
	fwt_sfr_verify_options o = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_trust *t = NULL;
	fwt_key *k = NULL;
	char dirp[] = "/tmp/fwt-sfr-test-XXXXXX", *paths[40];
	fwt_sfr_result one[40], many[40], bare[40];
	unsigned char *rep;
	size_t rl, i, tl;
	char *tok;

	T_ASSERT(mkdtemp(dirp));
	rep = t_slurp("testdata/sfr/bmc-report.json", &rl);
	T_EQ_INT(fwt_key_open(ctx, &k, "testdata/sfr/keys/es384.key.pem", NULL), FWT_OK);
	for (i = 0; i < 40; i++) {
		FILE *f;
		paths[i] = malloc(strlen(dirp) + 32);
		if (i == 39)
			break; /* the last path names no file */
		sprintf(paths[i], "%s/r%02zu.jws", dirp, i);
		T_EQ_INT(fwt_jws_sign(ctx, k, "k", 1, rep, rl, &tok, &tl), FWT_OK);
		if (i % 7 == 3)
			tok[tl - 5] = tok[tl - 5] == 'A' ? 'B' : 'A'; /* some bad ones */
		if (i % 11 == 5)
			tok[3] = '!';                                   /* some malformed ones */
		f = fopen(paths[i], "w");
		fwrite(tok, 1, tl, f);
		fclose(f);
		free(tok);
	}
	sprintf(paths[39], "%s/missing.jws", dirp);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, "testdata/sfr/keys/es384.pub.pem"), FWT_OK);
	o.trust = t;
	o.require_signature = 1;
	o.threads = 1;
	T_EQ_INT(fwt_sfr_check_files(ctx, &o, (const char *const *)paths, 40, one), FWT_OK);
	o.threads = 4;
	T_EQ_INT(fwt_sfr_check_files(ctx, &o, (const char *const *)paths, 40, many), FWT_OK);
	/* verdicts only: the same answers, no report kept */
	o.flags = FWT_SFR_VERIFY_NO_REPORT;
	T_EQ_INT(fwt_sfr_check_files(ctx, &o, (const char *const *)paths, 40, bare), FWT_OK);
	for (i = 0; i < 40; i++) {
		fwt_err want = i == 39 ? FWT_EIO : i % 11 == 5 ? FWT_EFORMAT : i % 7 == 3 ? FWT_EVERIFY : FWT_OK;
		T_EQ_INT(one[i].err, want);
		T_EQ_INT(many[i].err, want);
		T_EQ_INT(bare[i].err, want);
		T_EQ_STR(one[i].message, many[i].message);
		T_EQ_STR(bare[i].message, many[i].message);
		T_ASSERT(bare[i].sfr == NULL);
		if (want == FWT_OK)
			T_ASSERT(many[i].key && many[i].sfr && !strcmp(many[i].kid, "k"));
		if (want == FWT_OK)
			T_ASSERT(bare[i].key == many[i].key && !strcmp(bare[i].kid, "k"));
		fwt_sfr_result_clear(&one[i]);
		fwt_sfr_result_clear(&many[i]);
		fwt_sfr_result_clear(&bare[i]);
		remove(paths[i]);
		free(paths[i]);
	}
	rmdir(dirp);
	fwt_trust_free(t);
	fwt_key_free(k);
	free(rep);
}

/* A binding that cannot be made (a release folder whose manifest cannot be
 * serialised: a file name that is not UTF-8) fails every report: no result
 * may read as OK. */
static void test_check_files_unbindable(void)
{
	fwt_sfr_verify_options o = FWT_SFR_VERIFY_OPTIONS_INIT;
	char dirp[] = "/tmp/fwt-sfr-test-XXXXXX", sub[64], bad[96], good[96];
	const char *paths[2] = { "testdata/sfr/bmc-report.json", "no/such/report.jws" };
	fwt_sfr_result res[2];
	fwt_manifest *m = NULL;
	fwt_trust *t = NULL;
	FILE *f;
	size_t i;

	T_ASSERT(mkdtemp(dirp));
	snprintf(sub, sizeof(sub), "%s/rel", dirp);
	T_ASSERT(mkdir(sub, 0700) == 0);
	snprintf(good, sizeof(good), "%s/fw.bin", sub);
	snprintf(bad, sizeof(bad), "%s/note\377.txt", sub);
	T_ASSERT((f = fopen(good, "w")) != NULL);
	fputs("fw", f);
	fclose(f);
	T_ASSERT((f = fopen(bad, "w")) != NULL);
	fclose(f);
	T_EQ_INT(fwt_manifest_build(ctx, &m, sub, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, "testdata/sfr/keys/es384.pub.pem"), FWT_OK);
	o.trust = t;
	o.manifest = m;
	o.manifest_name = sub;
	T_ASSERT(fwt_sfr_check_files(ctx, &o, paths, 2, res) != FWT_OK);
	for (i = 0; i < 2; i++) {
		T_ASSERT(res[i].err != FWT_OK);
		T_ASSERT(strstr(res[i].message, "UTF-8") != NULL);
		fwt_sfr_result_clear(&res[i]);
	}
	/* no options at all: every result says so too */
	T_EQ_INT(fwt_sfr_check_files(ctx, NULL, paths, 2, res), FWT_EINVAL);
	T_EQ_INT(res[0].err, FWT_EINVAL);
	T_EQ_INT(res[1].err, FWT_EINVAL);
	fwt_manifest_free(m);
	fwt_trust_free(t);
	remove(good);
	remove(bad);
	rmdir(sub);
	rmdir(dirp);
}

/* The JWT claims exp and nbf: JSON numbers only (wrong types, truncated
 * JSON, numbers JSON cannot hold are malformed); lint names them. */
static void test_exp_nbf_types_and_lint(void)
{
	static const struct {
		const char *tail, *msg;
	} bad[] = {
		{ "\"exp\":\"2000000000\"}", "$.exp is a string, not a number" },
		{ "\"nbf\":{}}", "$.nbf is an object, not a number" },
		{ "\"exp\":null}", "$.exp is null, not a number" },
		{ "\"exp\":true}", "$.exp is true, not a number" },
		{ "\"nbf\":[1]}", "$.nbf is an array, not a number" },
		{ "\"exp\":1e400}", "" },                     /* beyond a double */
		{ "\"exp\":99999999999999999999999}", "" },   /* beyond an integer */
		{ "\"exp\":", "" },                           /* truncated */
		{ "\"exp\":17", "" },
	};
	static const char head[] = "{\"device\":{\"vendor\":\"V\"},\"audit\":{},";
	fwt_sfr_finding *f = NULL;
	char json[256];
	size_t i, n = 0;
	fwt_sfr *s;
	fwt_err e;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "%s%s", head, bad[i].tail);
		s = from(json, &e);
		if (s || e != FWT_EFORMAT || !strstr(fwt_ctx_errmsg(ctx), bad[i].msg))
			T_FAIL_("%s: %s '%s'", json, fwt_err_name(e), fwt_ctx_errmsg(ctx));
	}
	/* numbers of every kind read, and stay in the JSON as written */
	s = from("{\"device\":{},\"audit\":{},\"exp\":-1.5,\"nbf\":1e300}", &e);
	T_EQ_INT(e, FWT_OK);
	fwt_sfr_free(s);
	/* lint: known members, never valid when nbf is not before exp */
	s = from("{\"device\":{},\"audit\":{},\"exp\":2000000000,\"nbf\":1000000000}", &e);
	T_EQ_INT(e, FWT_OK);
	T_EQ_INT(fwt_sfr_lint(ctx, s, &f, &n), FWT_OK);
	T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.exp", "expires at 2033-05-18T03:33:20Z"));
	T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.nbf", "not valid before 2001-09-09T01:46:40Z"));
	T_ASSERT(!has(f, n, FWT_SFR_WARNING, "$", "unknown member"));
	T_ASSERT(!has(f, n, FWT_SFR_ERROR, "$.nbf", ""));
	free(f);
	fwt_sfr_free(s);
	s = from("{\"device\":{},\"audit\":{},\"exp\":1000000000,\"nbf\":1000000000.7}", &e);
	T_EQ_INT(e, FWT_OK);
	T_EQ_INT(fwt_sfr_lint(ctx, s, &f, &n), FWT_OK);
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.nbf", "is not before exp (2001-09-09T01:46:40Z): the report is never valid"));
	free(f);
	fwt_sfr_free(s);
}

/* A signed JWS report's exp and nbf at the check time, as PyJWT reads them. */
static void test_exp_nbf_check(void)
{
	static const struct {
		const char *claims; /* appended to the report's top level */
		int64_t at;
		fwt_err want;
		const char *msg;
	} v[] = {
		{ "\"exp\":1000000000", 999999999, FWT_OK, NULL },
		{ "\"exp\":1000000000", 1000000000, FWT_EVERIFY,
		  "the report expired at 2001-09-09T01:46:40Z (its exp), checked at 2001-09-09T01:46:40Z" },
		{ "\"exp\":1000000000.9", 1000000000, FWT_EVERIFY, "expired at 2001-09-09T01:46:40Z" }, /* whole seconds */
		{ "\"exp\":-1.5", 0, FWT_EVERIFY, "expired at 1969-12-31T23:59:59Z" },                    /* toward zero */
		{ "\"exp\":-1", 1, FWT_EVERIFY, "expired" },
		{ "\"exp\":1e300", 253402300799, FWT_OK, NULL },
		{ "\"exp\":9223372036854775807", 253402300799, FWT_OK, NULL },
		{ "\"exp\":-9223372036854775808", 1, FWT_EVERIFY, "expired at -292277022657-01-27T08:29:52Z" },
		{ "\"nbf\":1000000000", 999999999, FWT_EVERIFY,
		  "the report is not valid before 2001-09-09T01:46:40Z (its nbf), checked at 2001-09-09T01:46:39Z" },
		{ "\"nbf\":1000000000", 1000000000, FWT_OK, NULL },
		{ "\"nbf\":1000000000.9", 1000000000, FWT_OK, NULL },
		{ "\"nbf\":-1e300", 1, FWT_OK, NULL },
		{ "\"nbf\":1e300", 253402300799, FWT_EVERIFY, "not valid before +292277026596-12-04T15:30:07Z" },
		{ "\"nbf\":1000,\"exp\":2000", 1999, FWT_OK, NULL },
		{ "\"nbf\":1000,\"exp\":2000", 2000, FWT_EVERIFY, "expired" },
		{ "\"nbf\":3000,\"exp\":2000", 2500, FWT_EVERIFY, "not valid before" }, /* nbf first, as PyJWT */
	};
	fwt_sfr_verify_options o = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_trust *t = NULL;
	fwt_key *k = NULL;
	fwt_sfr_result r;
	unsigned char *rep;
	size_t rl, i, tl;
	char *body, *tok;

	rep = t_slurp("testdata/sfr/bmc-report.json", &rl);
	T_ASSERT(rep && rl > 2);
	while (rl && rep[rl - 1] != '}') /* the report's closing brace */
		rl--;
	T_EQ_INT(fwt_key_open(ctx, &k, "testdata/sfr/keys/es384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, "testdata/sfr/keys/es384.pub.pem"), FWT_OK);
	o.trust = t;
	o.require_signature = 1;
	body = malloc(rl + 128);
	T_ASSERT(body);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fwt_err err;
		snprintf(body, rl + 128, "%.*s,%s}", (int)(rl - 1), rep, v[i].claims);
		T_EQ_INT(fwt_jws_sign(ctx, k, "k", 1, body, strlen(body), &tok, &tl), FWT_OK);
		o.at = v[i].at;
		err = fwt_sfr_check_buffer(ctx, &o, tok, tl, "r.jws", &r);
		if (err != v[i].want || (v[i].msg && !strstr(r.message, v[i].msg)))
			T_FAIL_("%s at %lld: %s '%s'", v[i].claims, (long long)v[i].at, fwt_err_name(err), r.message);
		if (!err)
			T_ASSERT(r.sig_checked && r.key && r.sfr);
		else
			T_ASSERT(r.sig_checked && r.key); /* the signature verified: the report is out of its time */
		fwt_sfr_result_clear(&r);
		/* without a signature check (lint, show without keys) the claims are not judged */
		o.trust = NULL;
		o.require_signature = 0;
		T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, tok, tl, "r.jws", &r), FWT_OK);
		fwt_sfr_result_clear(&r);
		o.trust = t;
		o.require_signature = 1;
		free(tok);
	}
	/* the check time: at, else the trust store's time, else now; version 2 has no at */
	snprintf(body, rl + 128, "%.*s,\"exp\":1000000000}", (int)(rl - 1), rep);
	T_EQ_INT(fwt_jws_sign(ctx, k, "k", 1, body, strlen(body), &tok, &tl), FWT_OK);
	o.at = 0;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, tok, tl, "r.jws", &r), FWT_EVERIFY); /* now */
	fwt_sfr_result_clear(&r);
	fwt_trust_set_time(t, 999999999);
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, tok, tl, "r.jws", &r), FWT_OK);
	fwt_sfr_result_clear(&r);
	o.at = 1000000000;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, tok, tl, "r.jws", &r), FWT_EVERIFY);
	fwt_sfr_result_clear(&r);
	o.version = 2;
	T_EQ_INT(fwt_sfr_check_buffer(ctx, &o, tok, tl, "r.jws", &r), FWT_OK);
	fwt_sfr_result_clear(&r);
	free(tok);
	free(body);
	free(rep);
	fwt_trust_free(t);
	fwt_key_free(k);
}

/* FWT_SFR_VERIFY_COMPLETION: a verified report completed after the check
 * time (its day in UTC+14) fails; without the flag, or with a date that is
 * not a day, verification does not judge it. */
static void test_completion_date(void)
{
	static const struct {
		const char *date;
		int64_t at;
		unsigned flags;
		fwt_err want;
	} v[] = {
		{ "2099-12-31", 4102307999, FWT_SFR_VERIFY_COMPLETION, FWT_EVERIFY }, /* 2099-12-30T09:59:59Z */
		{ "2099-12-31", 4102308000, FWT_SFR_VERIFY_COMPLETION, FWT_OK },      /* 10:00Z: the 31st in UTC+14 */
		{ "2099-12-31", 1000000000, 0, FWT_OK },
		{ "None", 1000000000, FWT_SFR_VERIFY_COMPLETION, FWT_OK },
		{ "2026-02-30", 1000000000, FWT_SFR_VERIFY_COMPLETION, FWT_OK },
	};
	fwt_sfr_verify_options o = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_trust *t = NULL;
	fwt_key *k = NULL;
	fwt_sfr_result r;
	unsigned char *rep;
	size_t rl, i, tl;
	char *body, *tok, *at;

	rep = t_slurp("testdata/sfr/bmc-report.json", &rl);
	T_ASSERT(rep);
	body = malloc(rl + 1);
	T_ASSERT(body);
	T_EQ_INT(fwt_key_open(ctx, &k, "testdata/sfr/keys/es384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, "testdata/sfr/keys/es384.pub.pem"), FWT_OK);
	o.trust = t;
	o.require_signature = 1;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fwt_err err;
		memcpy(body, rep, rl);
		body[rl] = '\0';
		at = strstr(body, "\"2026-03-14\"");
		T_ASSERT(at && strlen(v[i].date) <= 10);
		memset(at + 1, ' ', 10); /* the date, padded inside its quotes */
		memcpy(at + 1, v[i].date, strlen(v[i].date));
		if (strlen(v[i].date) < 10) { /* close the string early, then spaces */
			at[1 + strlen(v[i].date)] = '"';
			at[11] = ' ';
		}
		T_EQ_INT(fwt_jws_sign(ctx, k, "k", 1, body, rl, &tok, &tl), FWT_OK);
		o.at = v[i].at;
		o.flags = v[i].flags;
		err = fwt_sfr_check_buffer(ctx, &o, tok, tl, "r.jws", &r);
		if (err != v[i].want)
			T_FAIL_("%s at %lld: %s '%s'", v[i].date, (long long)v[i].at, fwt_err_name(err), r.message);
		if (err)
			T_ASSERT(strstr(r.message, "the review completed on 2099-12-31 (its completion_date), after the check "
			                           "time 2099-12-30T09:59:59Z") != NULL);
		fwt_sfr_result_clear(&r);
		free(tok);
	}
	fwt_trust_free(t);
	fwt_key_free(k);
	free(body);
	free(rep);
}

/* The CoRIM form is linted as that form: what it has no place for is no
 * finding, what it carries is checked as in JSON; exp and nbf stop it. */
static void test_lint_format(void)
{
	static const fwt_sfr_format corim[] = { FWT_SFR_FORMAT_CORIM, FWT_SFR_FORMAT_COSE_SIGN1, FWT_SFR_FORMAT_COSE_SIGN };
	fwt_sfr_finding *f = NULL;
	fwt_sfr *s = bmc();
	size_t n = 0, k;

	T_ASSERT(s);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_CATEGORY, NULL, 0), FWT_OK);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_METHODOLOGY, NULL, 0), FWT_OK);
	T_EQ_INT(fwt_sfr_lint_format(ctx, s, FWT_SFR_FORMAT_JWS, &f, &n), FWT_OK);
	T_EQ_INT(n, 2);
	T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.device.category", "category is missing"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.methodology", "methodology is missing"));
	free(f);
	for (k = 0; k < sizeof(corim) / sizeof(corim[0]); k++) {
		T_EQ_INT(fwt_sfr_lint_format(ctx, s, corim[k], &f, &n), FWT_OK);
		T_EQ_INT(n, 0);
		free(f);
	}
	/* no cvss_version: an error in JSON; in the CoRIM form the issues are
	 * CVSS 3.1 (the profile's default), and still scored */
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_CVSS_VERSION, NULL, 0), FWT_OK);
	T_EQ_INT(fwt_sfr_issue_set(s, 0, FWT_SFR_ISSUE_CVSS_SCORE, "9.9", 3), FWT_OK);
	T_EQ_INT(fwt_sfr_lint(ctx, s, &f, &n), FWT_OK);
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.cvss_version", "cvss_version is missing"));
	free(f);
	T_EQ_INT(fwt_sfr_lint_format(ctx, s, FWT_SFR_FORMAT_CORIM, &f, &n), FWT_OK);
	T_EQ_INT(n, 1);
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[0].cvss_score", "does not match the vector's base score 7.8"));
	free(f);
	/* without issues the form has no place for cvss_version at all: even a
	 * bad one is dropped (fwt_sfr_corim_losses), not linted */
	fwt_sfr_issues_clear(s);
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_CVSS_VERSION, "banana", 6), FWT_OK);
	T_EQ_INT(fwt_sfr_lint_format(ctx, s, FWT_SFR_FORMAT_CORIM, &f, &n), FWT_OK);
	T_EQ_INT(n, 0);
	free(f);
	T_EQ_INT(fwt_sfr_lint_format(ctx, s, FWT_SFR_FORMAT_JSON, &f, &n), FWT_OK);
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.cvss_version", "not a CVSS version"));
	free(f);
	/* what the form carries is checked: an empty srp stays an error */
	T_EQ_INT(fwt_sfr_set(s, FWT_SFR_SRP, "", 0), FWT_OK);
	T_EQ_INT(fwt_sfr_lint_format(ctx, s, FWT_SFR_FORMAT_COSE_SIGN, &f, &n), FWT_OK);
	T_EQ_INT(n, 1);
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.srp", "srp is empty"));
	free(f);
	T_EQ_INT(fwt_sfr_lint_format(ctx, s, (fwt_sfr_format)99, &f, &n), FWT_EINVAL);
	fwt_sfr_free(s);
	/* exp and nbf: warnings in JSON, errors in the CoRIM form */
	{
		fwt_err e;
		s = from("{\"review_framework_version\":\"1.1\",\"device\":{},\"audit\":{\"issues\":[]},"
		         "\"exp\":2000000000,\"nbf\":1000000000}", &e);
		T_EQ_INT(e, FWT_OK);
		T_EQ_INT(fwt_sfr_lint(ctx, s, &f, &n), FWT_OK);
		T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.exp", "the CoRIM form does not carry exp"));
		T_ASSERT(has(f, n, FWT_SFR_WARNING, "$.nbf", "the CoRIM form does not carry nbf"));
		free(f);
		T_EQ_INT(fwt_sfr_lint_format(ctx, s, FWT_SFR_FORMAT_CORIM, &f, &n), FWT_OK);
		T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.exp", "the CoRIM form does not carry exp"));
		T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.nbf", "the CoRIM form does not carry nbf"));
		free(f);
		fwt_sfr_free(s);
	}
}

/* scope_number or the old scope, each named as the report names it */
static void test_lint_scope_names(void)
{
	static const char *const v[][3] = {
		{ "\"scope_number\":\"3.1\"", "$.audit.scope_number", "scope_number '3.1' is not a whole number" },
		{ "\"scope\":\"3.1\"", "$.audit.scope", "scope '3.1' is not a whole number" },
		{ "\"scope_number\":\"3\"", "$.audit.scope_number", "scope_number should be an integer (3)" },
	};
	fwt_sfr_finding *f = NULL;
	char json[256];
	size_t i, n;
	fwt_err e;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fwt_sfr *s;
		snprintf(json, sizeof(json), "{\"review_framework_version\":\"1.1\",\"device\":{},\"audit\":{%s,\"issues\":[]}}",
		         v[i][0]);
		s = from(json, &e);
		T_EQ_INT(e, FWT_OK);
		T_EQ_INT(fwt_sfr_lint(ctx, s, &f, &n), FWT_OK);
		if (!has(f, n, i < 2 ? FWT_SFR_ERROR : FWT_SFR_WARNING, v[i][1], v[i][2]))
			T_FAIL_("no finding '%s: %s'", v[i][1], v[i][2]);
		free(f);
		fwt_sfr_free(s);
	}
}

static void test_date_valid(void)
{
	static const char *const good[] = { "2026-03-14", "2028-02-29", "2000-02-29", "0001-01-01", "9999-12-31" };
	static const char *const bad[] = { "14/03/2026", "2026-3-14", "2026-02-29", "1900-02-29", "2026-13-01",
		                           "2026-00-10", "2026-04-31", "20260314", "2026-03-14T00:00:00Z", "", "None" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		T_EQ_INT(fwt_sfr_date_valid(good[i], strlen(good[i])), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fwt_sfr_date_valid(bad[i], strlen(bad[i])))
			T_FAIL_("'%s' taken for a date", bad[i]);
	T_EQ_INT(fwt_sfr_date_valid("2026-03-14", 9), 0);
	T_EQ_INT(fwt_sfr_date_valid(NULL, 10), 0);
}

/* Issue lists that start like JSON are JSON: an object is no CSV, and says
 * what it is. */
static void test_issue_objects(void)
{
	static const struct {
		const char *in, *msg;
	} v[] = {
		{ " {\"title\":\"x\"}", "'o.json': not a JSON array of issues" },
		{ "{\"issues\":[]}", "'o.json': not a JSON array of issues, but an object whose \"issues\" member is one" },
		{ "{\"device\":{},\"audit\":{\"issues\":[{\"title\":\"x\"}]}}",
		  "'o.json': not a JSON array of issues, but a report (its issues are the array at $.audit.issues; "
		  "--from starts from a report)" },
		{ "{\"title\":", "'o.json': JSON error at byte" },
	};
	fwt_sfr *s = bmc();
	size_t i;

	T_ASSERT(s);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		T_EQ_INT(fwt_sfr_issues_load(ctx, s, v[i].in, strlen(v[i].in), "o.json"), FWT_EFORMAT);
		if (strncmp(fwt_ctx_errmsg(ctx), v[i].msg, strlen(v[i].msg)) || (i < 3 && strcmp(fwt_ctx_errmsg(ctx), v[i].msg)))
			T_FAIL_("%zu: '%s'", i, fwt_ctx_errmsg(ctx));
		T_EQ_INT(fwt_sfr_issue_count(s), 2);
	}
	fwt_sfr_free(s);
}

/* What is no JSON object, no CoRIM and no JWS-like text is "not an SFR",
 * not measured against the JWS syntax; JWS-like text keeps that message. */
static void test_not_an_sfr(void)
{
	static const struct {
		const char *in;
		size_t len;
		const char *msg;
	} v[] = {
		{ "\x7f" "ELF\x02\x01.\x00..", 10, "not an SFR (an OCP SAFE report as JSON, JWS, CoRIM or COSE)" },
		{ "release notes.\n", 15, "not an SFR (an OCP SAFE report as JSON, JWS, CoRIM or COSE)" },
		{ " \n", 2, "not an SFR (an OCP SAFE report as JSON, JWS, CoRIM or COSE): it is empty" },
		{ "[1,2]", 5, "not an SFR (an OCP SAFE report as JSON, JWS, CoRIM or COSE): a JSON array, not an object" },
		{ "\xcb\x1a\x1a\xf8.a.b", 7, "not an SFR (an OCP SAFE report as JSON, JWS, CoRIM or COSE)" }, /* tag 11 */
		{ "abc.def\n", 8, "a compact JWS has three parts separated by two dots, not 1 dot" },
		{ "eyJhbGciOiJFUzUxMiJ9.e30.c2ln\nsigned by me\n", 42, "JWS signature is not strict base64url" },
		{ "\xd9\x01\xf5\xa0", 4, "" }, /* tag 501: read as a CoRIM, whatever it says */
	};
	fwt_sfr_verify_options o = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_result r;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fwt_err e = fwt_sfr_check_buffer(ctx, &o, v[i].in, v[i].len, "x", &r);
		T_ASSERT(e != FWT_OK);
		if (*v[i].msg ? strncmp(r.message, v[i].msg, strlen(v[i].msg)) || e != FWT_EFORMAT
		              : strstr(r.message, "not an SFR (") != NULL)
			T_FAIL_("%zu: %s '%s'", i, fwt_err_name(e), r.message);
		fwt_sfr_result_clear(&r);
	}
}

/* iat as a JSON real: read (floor, fraction kept), written back as
 * written; lint's manifest folders, CVSS score forms and year 0000. */
#define Z128 "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"

static void test_iat_real_and_lint_forms(void)
{
	static const char head[] = "{\"review_framework_version\":\"1.1\",\"device\":{\"vendor\":\"V\"},\"audit\":{}";
	fwt_sfr_finding *f = NULL;
	char buf[256];
	json_t *j = NULL;
	fwt_sfr *s;
	size_t n = 0;
	fwt_err e;

	snprintf(buf, sizeof(buf), "%s,\"iat\":1700000000.5}", head);
	s = from(buf, &e);
	T_EQ_INT(e, FWT_OK);
	T_ASSERT(fwt_sfr_has_iat(s));
	T_EQ_INT(fwt_sfr_iat(s), 1700000000);
	T_EQ_INT(fwt_sfr_to_json(ctx, s, &j), FWT_OK);
	T_ASSERT(json_is_real(json_object_get(j, "iat")) && json_real_value(json_object_get(j, "iat")) == 1700000000.5);
	json_decref(j);
	fwt_sfr_set_iat(s, 1, 5); /* a new iat is whole */
	T_EQ_INT(fwt_sfr_to_json(ctx, s, &j), FWT_OK);
	T_EQ_INT(json_integer_value(json_object_get(j, "iat")), 5);
	json_decref(j);
	fwt_sfr_free(s);
	snprintf(buf, sizeof(buf), "%s,\"iat\":-0.5}", head); /* floor: negative, as lint says */
	s = from(buf, &e);
	T_EQ_INT(e, FWT_OK);
	T_EQ_INT(fwt_sfr_iat(s), -1);
	fwt_sfr_free(s);
	snprintf(buf, sizeof(buf), "%s,\"iat\":\"1\"}", head);
	s = from(buf, &e);
	T_EQ_INT(e, FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.iat is a string, not a number") != NULL);
	fwt_sfr_free(s);

	s = from("{\"device\":{\"manifest\":[{\"file_name\":\"a\",\"file_hash\":\"" Z128 "\"},{\"file_name\":\"a-x\","
	         "\"file_hash\":\"" Z128 "\"},{\"file_name\":\"a/b\",\"file_hash\":\"" Z128 "\"}]},\"audit\":{"
	         "\"completion_date\":\"0000-02-29\",\"issues\":[{\"cvss_score\":\"7.80\"},{\"cvss_score\":\"7.85\"}]}}", &e);
	T_EQ_INT(e, FWT_OK);
	T_EQ_INT(fwt_sfr_lint(ctx, s, &f, &n), FWT_OK);
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.device.manifest[2]", "file_name 'a' appears both as a file and as a folder ('a/b')"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.completion_date", "'0000-02-29' is not a real date (the year 0000)"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[0].cvss_score", "'7.80' is not written as CVSS writes a score: '7.8'"));
	T_ASSERT(has(f, n, FWT_SFR_ERROR, "$.audit.issues[1].cvss_score", "'7.85' is not a CVSS score (0.0 to 10.0, one decimal)"));
	free(f);
	fwt_sfr_free(s);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_corpus_roundtrip);
	T_RUN(test_model_fields_and_variety);
	T_RUN(test_wrong_types_name_the_path);
	T_RUN(test_build_and_serialise);
	T_RUN(test_manifest_hashes);
	T_RUN(test_issue_lists);
	T_RUN(test_lint);
	T_RUN(test_iat_real_and_lint_forms);
	T_RUN(test_lint_format);
	T_RUN(test_lint_scope_names);
	T_RUN(test_date_valid);
	T_RUN(test_issue_objects);
	T_RUN(test_not_an_sfr);
	T_RUN(test_binding);
	T_RUN(test_serialize_cap);
	T_RUN(test_options_versions);
	T_RUN(test_check_files_threads);
	T_RUN(test_check_files_unbindable);
	T_RUN(test_exp_nbf_types_and_lint);
	T_RUN(test_exp_nbf_check);
	T_RUN(test_completion_date);
	fwt_ctx_free(ctx);
	return t_done();
}
