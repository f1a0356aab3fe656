/* SPDX-License-Identifier: Apache-2.0 */
/* cvss_test.c - CVSS v3.0/v3.1 parsing, base scores, score text, severity. */
#include <string.h>
#include <fwtrail/cvss.h>
#include "t.h"

static fwt_ctx *ctx;

static unsigned score_of(const char *v, fwt_cvss_version dflt)
{
	fwt_cvss c;

	if (fwt_cvss_parse(ctx, &c, v, strlen(v), dflt) != FWT_OK)
		return 999;
	return fwt_cvss_base_score(&c);
}

static void test_known_scores(void)
{
	/* published scores (NVD, the FIRST examples, the OCP sample and
	 * SK hynix reports), each worked by hand from the specification */
	static const struct {
		const char *v;
		unsigned tenths;
	} k[] = {
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75 },
		{ "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 78 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0 },
		{ "AV:L/AC:L/PR:L/UI:N/S:C/C:L/I:H/A:L", 79 },
		{ "AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:L", 87 },
		{ "AV:L/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:H", 64 },
		{ "AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:N/A:N", 23 },
		{ "AV:L/AC:L/PR:L/UI:R/S:U/C:L/I:N/A:N", 28 },
		{ "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L", 43 },
		{ "CVSS:3.0/AV:N/AC:H/PR:H/UI:R/S:C/C:L/I:L/A:L", 51 },
		{ "CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:C/C:H/I:N/A:N", 54 },
	};
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		unsigned got = score_of(k[i].v, FWT_CVSS_V3_1);
		if (got != k[i].tenths)
			fprintf(stderr, "  %s: %u, want %u\n", k[i].v, got, k[i].tenths);
		T_EQ_INT(got, k[i].tenths);
	}
}

static void test_versions_and_prefix(void)
{
	fwt_cvss c;
	fwt_cvss_version v;

	T_EQ_INT(fwt_cvss_parse(ctx, &c, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 44, FWT_CVSS_V3_1), FWT_OK);
	T_EQ_INT(c.version, FWT_CVSS_V3_0);
	T_ASSERT(c.has_prefix);
	T_EQ_INT(fwt_cvss_parse(ctx, &c, "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 35, FWT_CVSS_V3_0), FWT_OK);
	T_EQ_INT(c.version, FWT_CVSS_V3_0);
	T_ASSERT(!c.has_prefix);
	T_EQ_INT(fwt_cvss_version_parse("3.1", 3, &v), FWT_OK);
	T_EQ_INT(fwt_cvss_version_parse("4.0", 3, &v), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_cvss_version_parse("3", 1, &v), FWT_EUNSUPPORTED);
}

static void test_temporal_environmental_accepted(void)
{
	/* only the base metrics score; the others must be valid */
	T_EQ_INT(score_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L", FWT_CVSS_V3_1), 98);
	/* any order */
	T_EQ_INT(score_of("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N", FWT_CVSS_V3_1), 98);
}

static void test_parse_errors(void)
{
	static const char *const bad[] = {
		"",
		"CVSS:3.1/",
		"CVSS:2.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",           /* no A */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H",   /* twice */
		"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",       /* bad value */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",      /* trailing / */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:Q",  /* unknown metric */
		"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"AV:N AC:L",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z",
	};
	fwt_cvss c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fwt_err e = fwt_cvss_parse(ctx, &c, bad[i], strlen(bad[i]), FWT_CVSS_V3_1);
		if (e != FWT_EFORMAT)
			fprintf(stderr, "  accepted '%s'\n", bad[i]);
		T_EQ_INT(e, FWT_EFORMAT);
	}
}

static void test_score_text(void)
{
	unsigned t = 0;

	T_EQ_INT(fwt_cvss_score_parse("7.9", 3, &t), FWT_OK);
	T_EQ_INT(t, 79);
	T_EQ_INT(fwt_cvss_score_parse("10.0", 4, &t), FWT_OK);
	T_EQ_INT(t, 100);
	T_EQ_INT(fwt_cvss_score_parse("0", 1, &t), FWT_OK);
	T_EQ_INT(t, 0);
	T_EQ_INT(fwt_cvss_score_parse("5", 1, &t), FWT_OK);
	T_EQ_INT(t, 50);
	T_EQ_INT(fwt_cvss_score_parse("10.1", 4, &t), FWT_EFORMAT);
	T_EQ_INT(fwt_cvss_score_parse("7.85", 4, &t), FWT_EFORMAT);
	T_EQ_INT(fwt_cvss_score_parse("07.0", 4, &t), FWT_EFORMAT);
	T_EQ_INT(fwt_cvss_score_parse("-1", 2, &t), FWT_EFORMAT);
	T_EQ_INT(fwt_cvss_score_parse("7.", 2, &t), FWT_EFORMAT);
	T_EQ_INT(fwt_cvss_score_parse("high", 4, &t), FWT_EFORMAT);
	T_EQ_INT(fwt_cvss_score_parse("", 0, &t), FWT_EFORMAT);
}

static void test_severity(void)
{
	T_EQ_STR(fwt_cvss_severity_name(fwt_cvss_severity_of(0)), "none");
	T_EQ_STR(fwt_cvss_severity_name(fwt_cvss_severity_of(1)), "low");
	T_EQ_STR(fwt_cvss_severity_name(fwt_cvss_severity_of(39)), "low");
	T_EQ_STR(fwt_cvss_severity_name(fwt_cvss_severity_of(40)), "medium");
	T_EQ_STR(fwt_cvss_severity_name(fwt_cvss_severity_of(69)), "medium");
	T_EQ_STR(fwt_cvss_severity_name(fwt_cvss_severity_of(70)), "high");
	T_EQ_STR(fwt_cvss_severity_name(fwt_cvss_severity_of(89)), "high");
	T_EQ_STR(fwt_cvss_severity_name(fwt_cvss_severity_of(90)), "critical");
	T_EQ_STR(fwt_cvss_severity_name(fwt_cvss_severity_of(100)), "critical");
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_known_scores);
	T_RUN(test_versions_and_prefix);
	T_RUN(test_temporal_environmental_accepted);
	T_RUN(test_parse_errors);
	T_RUN(test_score_text);
	T_RUN(test_severity);
	fwt_ctx_free(ctx);
	return t_done();
}
