/* SPDX-License-Identifier: Apache-2.0 */
/* cvss.c - CVSS v3.0/v3.1 vector parsing and base scores, as the FIRST
 * specification documents (section 7 formulas, Appendix A Roundup). */
#include <stdio.h>
#include <string.h>
#include <fwtrail/cvss.h>
#include "internal.h"
#include "banned.h"

struct metric {
	const char *name;
	const char *values; /* allowed one-letter values */
	int base;           /* index into the base array, or -1 */
};

static const struct metric metrics[] = {
	{ "AV", "NALP", 0 }, { "AC", "LH", 1 }, { "PR", "NLH", 2 }, { "UI", "NR", 3 },
	{ "S", "UC", 4 }, { "C", "HLN", 5 }, { "I", "HLN", 6 }, { "A", "HLN", 7 },
	/* temporal */
	{ "E", "XUPFH", -1 }, { "RL", "XOTWU", -1 }, { "RC", "XURC", -1 },
	/* environmental */
	{ "CR", "XLMH", -1 }, { "IR", "XLMH", -1 }, { "AR", "XLMH", -1 },
	{ "MAV", "XNALP", -1 }, { "MAC", "XLH", -1 }, { "MPR", "XNLH", -1 }, { "MUI", "XNR", -1 },
	{ "MS", "XUC", -1 }, { "MC", "XNLH", -1 }, { "MI", "XNLH", -1 }, { "MA", "XNLH", -1 },
};

fwt_err fwt_cvss_version_parse(const char *s, size_t len, fwt_cvss_version *out)
{
	if (len == 3 && !memcmp(s, "3.0", 3)) {
		*out = FWT_CVSS_V3_0;
		return FWT_OK;
	}
	if (len == 3 && !memcmp(s, "3.1", 3)) {
		*out = FWT_CVSS_V3_1;
		return FWT_OK;
	}
	return FWT_EUNSUPPORTED;
}

fwt_err fwt_cvss_parse(fwt_ctx *ctx, fwt_cvss *out, const char *vec, size_t len, fwt_cvss_version dflt)
{
	char base[8] = { 0 };
	unsigned seen = 0;
	size_t p = 0, k, n, m, i;
	char q[64 * 4 + 8];

	if (!out || (!vec && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to CVSS parsing");
	memset(out, 0, sizeof(*out));
	out->version = dflt;
	if (len >= 5 && !memcmp(vec, "CVSS:", 5)) {
		if (len < 9 || vec[8] != '/' || fwt_cvss_version_parse(vec + 5, 3, &out->version) != FWT_OK) {
			fwt__quote(q, sizeof(q), vec, len < 9 ? len : 8);
			return fwt__error(ctx, FWT_EFORMAT, "unsupported CVSS vector prefix '%s' (want CVSS:3.0/ or CVSS:3.1/)",
			                  q);
		}
		out->has_prefix = 1;
		p = 9;
	}
	if (p >= len)
		return fwt__error(ctx, FWT_EFORMAT, "empty CVSS vector");
	while (p <= len) {
		const char *item = vec + p, *colon;
		for (n = 0; p + n < len && vec[p + n] != '/'; n++)
			;
		colon = memchr(item, ':', n);
		fwt__quote(q, sizeof(q), item, n);
		if (!colon || colon == item || (size_t)(colon - item) + 2 != n)
			return fwt__error(ctx, FWT_EFORMAT, "CVSS vector element '%s' is not METRIC:VALUE", q);
		k = (size_t)(colon - item);
		for (m = 0; m < FWT_ARRAY_LEN(metrics); m++)
			if (strlen(metrics[m].name) == k && !memcmp(metrics[m].name, item, k))
				break;
		if (m == FWT_ARRAY_LEN(metrics))
			return fwt__error(ctx, FWT_EFORMAT, "unknown CVSS v3 metric in '%s'", q);
		if (seen & (1u << m))
			return fwt__error(ctx, FWT_EFORMAT, "CVSS metric '%s' appears twice", metrics[m].name);
		seen |= 1u << m;
		if (!colon[1] || !strchr(metrics[m].values, colon[1]))
			return fwt__error(ctx, FWT_EFORMAT, "'%s': %s takes one of %s", q, metrics[m].name, metrics[m].values);
		if (metrics[m].base >= 0)
			base[metrics[m].base] = colon[1];
		p += n + 1;
		if (p == len)
			return fwt__error(ctx, FWT_EFORMAT, "CVSS vector ends with '/'");
	}
	for (i = 0; i < 8; i++)
		if (!base[i])
			return fwt__error(ctx, FWT_EFORMAT, "CVSS vector lacks the base metric %s", metrics[i].name);
	out->av = base[0];
	out->ac = base[1];
	out->pr = base[2];
	out->ui = base[3];
	out->s = base[4];
	out->c = base[5];
	out->i = base[6];
	out->a = base[7];
	return FWT_OK;
}

/* Small helpers instead of libm (the build does not link it). */
static double pow15(double x)
{
	double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
	return x8 * x4 * x2 * x;
}

static double min10(double x)
{
	return x < 10.0 ? x : 10.0;
}

static double cia(char v)
{
	return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0;
}

/* Roundup in tenths.  v3.1 (Appendix A): integer arithmetic on x*100000 so
 * that floating-point noise cannot push a score up a tenth.  v3.0: the
 * smallest tenth >= x, computed as the v3.0 text says. */
static unsigned roundup(double x, fwt_cvss_version v)
{
	long long in;

	if (x <= 0)
		return 0;
	if (v == FWT_CVSS_V3_0) {
		double t = x * 10.0;
		in = (long long)t; /* truncation of a positive value: floor */
		return (unsigned)(in + ((double)in < t));
	}
	in = (long long)(x * 100000.0 + 0.5); /* round half up; x > 0 */
	if (in % 10000 == 0)
		return (unsigned)(in / 10000);
	return (unsigned)(in / 10000 + 1);
}

unsigned fwt_cvss_base_score(const fwt_cvss *v)
{
	int changed;
	double iss, impact, expl, av, ac, pr, ui;

	if (!v)
		return 0;
	changed = v->s == 'C';
	iss = 1.0 - (1.0 - cia(v->c)) * (1.0 - cia(v->i)) * (1.0 - cia(v->a));
	if (changed)
		impact = 7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02);
	else
		impact = 6.42 * iss;
	av = v->av == 'N' ? 0.85 : v->av == 'A' ? 0.62 : v->av == 'L' ? 0.55 : 0.2;
	ac = v->ac == 'L' ? 0.77 : 0.44;
	if (v->pr == 'N')
		pr = 0.85;
	else if (v->pr == 'L')
		pr = changed ? 0.68 : 0.62;
	else
		pr = changed ? 0.50 : 0.27;
	ui = v->ui == 'N' ? 0.85 : 0.62;
	expl = 8.22 * av * ac * pr * ui;
	if (impact <= 0)
		return 0;
	if (changed)
		return roundup(min10(1.08 * (impact + expl)), v->version);
	return roundup(min10(impact + expl), v->version);
}

fwt_err fwt_cvss_score_parse(const char *s, size_t len, unsigned *tenths)
{
	unsigned whole = 0, frac = 0;
	size_t i = 0, digits = 0;

	if (!s || !len)
		return FWT_EFORMAT;
	while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 3) {
		whole = whole * 10 + (unsigned)(s[i] - '0');
		i++;
		digits++;
	}
	if (!digits || (digits > 1 && s[0] == '0'))
		return FWT_EFORMAT;
	if (i < len) {
		if (s[i] != '.' || i + 2 != len || s[i + 1] < '0' || s[i + 1] > '9')
			return FWT_EFORMAT;
		frac = (unsigned)(s[i + 1] - '0');
	}
	if (whole * 10 + frac > 100)
		return FWT_EFORMAT;
	*tenths = whole * 10 + frac;
	return FWT_OK;
}

fwt_cvss_severity fwt_cvss_severity_of(unsigned tenths)
{
	if (tenths == 0)
		return FWT_CVSS_NONE;
	if (tenths < 40)
		return FWT_CVSS_LOW;
	if (tenths < 70)
		return FWT_CVSS_MEDIUM;
	if (tenths < 90)
		return FWT_CVSS_HIGH;
	return FWT_CVSS_CRITICAL;
}

const char *fwt_cvss_severity_name(fwt_cvss_severity s)
{
	static const char *const names[] = { "none", "low", "medium", "high", "critical" };
	return (unsigned)s < FWT_ARRAY_LEN(names) ? names[s] : "unknown";
}
