/* SPDX-License-Identifier: Apache-2.0 */
/* appraise_test.c - the matcher, table-driven (RELIABILITY E8): SPDM blocks
 * and event-log events against CoRIM reference values built with
 * fwt_corim_create, reviews from the server fixture's SFRs, the record's
 * members, and golden reference values. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

/* The tables below leave trailing members out (zero). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static fwt_ctx *ctx;

/* A digest: alg of a seed string; flip changes its last byte (same length,
 * same prefix: a prefix comparison would call it equal). */
struct dv {
	const char *key;     /* SPDM index, or reference key; PCR for events */
	fwt_digest_alg alg;
	const char *seed;
	int flip;
	fwt_digest_alg alg2; /* a second digest, or 0 */
	const char *seed2;
	int flip2;
};

static void mkdig(fwt_digest_alg alg, const char *seed, int flip, unsigned char *out)
{
	if (fwt_digest_oneshot(ctx, alg, seed, strlen(seed), out) != FWT_OK)
		abort();
	if (flip)
		out[fwt_digest_size(alg) - 1] ^= 0x01;
}

/* A Redfish ComponentIntegrity resource holding the measurements. */
static char *redfish(const struct dv *m)
{
	static const char *const head = "{\"@odata.type\": \"#ComponentIntegrity.v1_3_2.ComponentIntegrity\", "
	                                "\"ComponentIntegrityType\": \"SPDM\", \"ComponentIntegrityTypeVersion\": \"1.2.0\", "
	                                "\"Id\": \"t\", \"SPDM\": {\"MeasurementSet\": {\"MeasurementSpecification\": "
	                                "\"DMTF\", \"Measurements\": [";
	char *out = malloc(8192), b64[128];
	unsigned char d[FWT_DIGEST_MAX];
	size_t i, n;

	n = (size_t)snprintf(out, 8192, "%s", head);
	for (i = 0; m[i].key; i++) {
		mkdig(m[i].alg, m[i].seed, m[i].flip, d);
		fwt_b64_encode(b64, d, fwt_digest_size(m[i].alg));
		n += (size_t)snprintf(out + n, 8192 - n,
		                      "%s{\"MeasurementIndex\": %s, \"MeasurementHashAlgorithm\": \"TPM_ALG_%s\", "
		                      "\"Measurement\": \"%s\"}",
		                      i ? ", " : "", m[i].key, fwt_digest_tag(m[i].alg), b64);
	}
	snprintf(out + n, 8192 - n, "]}}}");
	return out;
}

/* An unsigned CoRIM with one reference value per entry. */
static fwt_err corim(const struct dv *r, unsigned char **out, size_t *len)
{
	fwt_corim_create_options co = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_corim_refval rv[8];
	size_t n;

	memset(rv, 0, sizeof(rv));
	for (n = 0; r[n].key; n++) {
		rv[n].key = r[n].key;
		rv[n].digests[0].alg = r[n].alg;
		mkdig(r[n].alg, r[n].seed, r[n].flip, rv[n].digests[0].value);
		rv[n].n_digests = 1;
		if (r[n].alg2) {
			rv[n].digests[1].alg = r[n].alg2;
			mkdig(r[n].alg2, r[n].seed2, r[n].flip2, rv[n].digests[1].value);
			rv[n].n_digests = 2;
		}
	}
	co.vendor = "ACME";
	co.model = "X1 server";
	co.refvals = rv;
	co.n_refvals = n;
	return fwt_corim_create(ctx, &co, out, len);
}

/* A crypto-agile event log with the banks in algs (TCG order) and one
 * EV_POST_CODE event per entry on PCR atoi(key), with the entry's digests
 * (a bank the entry does not give gets the digest of "other"). */
static unsigned char *eventlog(unsigned algs, const struct dv *ev, size_t *len)
{
	static const fwt_digest_alg order[] = { FWT_DIGEST_SHA1, FWT_DIGEST_SHA256, FWT_DIGEST_SHA384,
		                                FWT_DIGEST_SHA512 };
	unsigned char *b = calloc(1, 16384), *p = b, d[FWT_DIGEST_MAX], spec[64], *s = spec;
	size_t i, k, nalg = 0;

#define U32(q, v) ((q)[0] = (unsigned char)(v), (q)[1] = (unsigned char)((v) >> 8), (q)[2] = (unsigned char)((v) >> 16), \
		   (q)[3] = (unsigned char)((v) >> 24), (q) += 4)
#define U16(q, v) ((q)[0] = (unsigned char)(v), (q)[1] = (unsigned char)((v) >> 8), (q) += 2)
	memcpy(s, "Spec ID Event03", 16);
	s += 16;
	U32(s, 0);
	*s++ = 0, *s++ = 2, *s++ = 0, *s++ = 2;
	for (k = 0; k < 4; k++)
		nalg += !!(algs & order[k]);
	U32(s, nalg);
	for (k = 0; k < 4; k++)
		if (algs & order[k]) {
			U16(s, fwt_digest_tcg_id(order[k]));
			U16(s, fwt_digest_size(order[k]));
		}
	*s++ = 0;
	U32(p, 0);
	U32(p, 3);
	p += 20;
	U32(p, (unsigned)(s - spec));
	memcpy(p, spec, (size_t)(s - spec));
	p += s - spec;
	for (i = 0; ev[i].key; i++) {
		U32(p, (unsigned)atoi(ev[i].key));
		U32(p, 1); /* EV_POST_CODE */
		U32(p, nalg);
		for (k = 0; k < 4; k++) {
			if (!(algs & order[k]))
				continue;
			U16(p, fwt_digest_tcg_id(order[k]));
			if (ev[i].alg == order[k])
				mkdig(order[k], ev[i].seed, ev[i].flip, d);
			else if (ev[i].alg2 == order[k])
				mkdig(order[k], ev[i].seed2, ev[i].flip2, d);
			else
				mkdig(order[k], "other", 0, d);
			memcpy(p, d, fwt_digest_size(order[k]));
			p += fwt_digest_size(order[k]);
		}
		U32(p, 4);
		memcpy(p, "post", 4);
		p += 4;
	}
	*len = (size_t)(p - b);
	return b;
}

/* "s1:match e0:mismatch e?:missing ..." for the appraisal's components. */
static void statuses(const fwt_appraise *a, char *out, size_t len)
{
	fwt_appraise_component c;
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < fwt_appraise_count(a); i++) {
		if (fwt_appraise_get(a, i, &c) != FWT_OK)
			abort();
		if (c.has_index)
			n += (size_t)snprintf(out + n, len - n, "%s%c%u:%s", i ? " " : "",
			                      c.source == FWT_APPRAISE_SPDM ? 's' : 'e', c.index,
			                      fwt_appraise_status_name(c.status));
		else
			n += (size_t)snprintf(out + n, len - n, "%s%c?:%s", i ? " " : "",
			                      c.source == FWT_APPRAISE_SPDM ? 's' : 'e', fwt_appraise_status_name(c.status));
	}
}

#define S256 FWT_DIGEST_SHA256
#define S384 FWT_DIGEST_SHA384
#define S512 FWT_DIGEST_SHA512
#define END { NULL, 0, NULL, 0, 0, NULL, 0 }

static const struct {
	const char *name;
	struct dv meas[4], refs[5];
	const char *want;
	fwt_err rc;
	size_t conflicts;
	struct dv refs2[3]; /* a second RIM, when given */
} spdm_cases[] = {
	{ "equal digests match", { { "1", S384, "a" }, END }, { { "1", S384, "a" }, END }, "s1:match", FWT_OK, 0 },
	{ "another digest of the same algorithm is a mismatch", { { "1", S384, "a" }, END },
	  { { "1", S384, "b" }, END }, "s1:mismatch", FWT_EVERIFY, 0 },
	{ "the last byte differs: a mismatch, never a prefix match", { { "1", S384, "a" }, END },
	  { { "1", S384, "a", 1 }, END }, "s1:mismatch", FWT_EVERIFY, 0 },
	{ "another algorithm is never compared: unknown, and the reference missing (nothing compared with it)",
	  { { "1", S384, "a" }, END }, { { "1", S256, "a" }, END }, "s1:unknown s1:missing", FWT_EVERIFY, 0 },
	{ "a second RIM's reference in another algorithm is missing, never ignored (old release SHA-256, new "
	  "SHA-384, the device on the old one)", { { "2", S256, "old" }, END }, { { "2", S256, "old" }, END },
	  "s2:match s2:missing", FWT_EVERIFY, 0, { { "2", S384, "new" }, END } },
	{ "the same, the RIMs the other way round", { { "2", S256, "old" }, END }, { { "2", S384, "new" }, END },
	  "s2:match s2:missing", FWT_EVERIFY, 0, { { "2", S256, "old" }, END } },
	{ "a second RIM's reference that shares one algorithm is compared: no missing", { { "2", S384, "a" }, END },
	  { { "2", S384, "a" }, END }, "s2:match", FWT_OK, 0, { { "2", S384, "a", 0, S512, "z" }, END } },
	{ "no reference for the index: unknown", { { "1", S384, "a" }, END }, { { "2", S384, "a" }, END },
	  "s1:unknown s2:missing", FWT_EVERIFY, 0 },
	{ "a reference never measured: missing", { { "1", S384, "a" }, END },
	  { { "1", S384, "a" }, { "3", S512, "c" }, END }, "s1:match s3:missing", FWT_EVERIFY, 0 },
	{ "the shared algorithm decides (SHA-384 measured, SHA-384 and SHA-512 referenced)",
	  { { "2", S384, "b" }, END }, { { "2", S384, "b", 0, S512, "zz" }, END }, "s2:match", FWT_OK, 0 },
	{ "SHA-512 measurements", { { "1", S512, "a" }, { "2", S512, "b" }, END },
	  { { "1", S512, "a" }, { "2", S512, "b", 1 }, END }, "s1:match s2:mismatch", FWT_EVERIFY, 0 },
	{ "RIMs disagreeing on one index: a conflict, even when one matches",
	  { { "1", S384, "a" }, END }, { { "1", S384, "a" }, END }, "s1:match", FWT_EVERIFY, 1,
	  { { "1", S384, "b" }, END } },
	{ "the same reference in two RIMs is no conflict", { { "1", S384, "a" }, END },
	  { { "1", S384, "a" }, END }, "s1:match", FWT_OK, 0, { { "1", S384, "a" }, END } },
	{ "disagreeing in another algorithm than the one measured is still a conflict (and the second RIM's "
	  "SHA-256 reference, never compared, missing)",
	  { { "1", S384, "a" }, END }, { { "1", S384, "a", 0, S256, "x" }, END }, "s1:match s1:missing", FWT_EVERIFY, 1,
	  { { "1", S256, "y" }, END } },
	{ "a mismatch against one RIM and a match against the other: match, and a conflict",
	  { { "2", S512, "a" }, END }, { { "2", S512, "b" }, END }, "s2:match", FWT_EVERIFY, 1,
	  { { "2", S512, "a" }, END } },
	{ "an event-log label does not apply to SPDM blocks", { { "1", S384, "a" }, END },
	  { { "pcr1", S384, "a" }, END }, "s1:unknown e1:missing", FWT_EVERIFY, 0 },
};

static void test_spdm_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(spdm_cases) / sizeof(spdm_cases[0]); i++) {
		fwt_appraise *a = NULL;
		unsigned char *rim = NULL;
		size_t rl = 0;
		char *ev = redfish(spdm_cases[i].meas), got[512];
		json_t *rec = NULL;
		fwt_err rc;

		fprintf(stderr, "  spdm: %s\n", spdm_cases[i].name);
		T_EQ_INT(corim(spdm_cases[i].refs, &rim, &rl), FWT_OK);
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "ev.json"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
		if (spdm_cases[i].refs2[0].key) {
			free(rim);
			T_EQ_INT(corim(spdm_cases[i].refs2, &rim, &rl), FWT_OK);
			T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim2.corim"), FWT_OK);
		}
		rc = fwt_appraise_run(a, &rec);
		statuses(a, got, sizeof(got));
		T_EQ_STR(got, spdm_cases[i].want);
		T_EQ_INT(rc, spdm_cases[i].rc);
		T_ASSERT(rec && json_is_boolean(json_object_get(rec, "ok")));
		T_EQ_INT(json_is_true(json_object_get(rec, "ok")), rc == FWT_OK);
		T_EQ_INT(json_array_size(json_object_get(rec, "conflicts")), spdm_cases[i].conflicts);
		json_decref(rec);
		fwt_appraise_free(a);
		free(rim);
		free(ev);
	}
}

/* Raw SPDM values (a version, an SVN): references that disagree on one
 * index are a conflict, as digests are, even when one of them matches (an
 * older release's RIM beside the current one must not let a rolled-back
 * device pass).  testdata/rim/raw, made by scripts/mk-rim-raw.py. */
static void test_raw_conflicts(void)
{
	static const struct {
		const char *rims[2];
		size_t conflicts;
		const char *want;
	} cases[] = {
		{ { "old", NULL }, 0, "s6:match s7:match" },
		{ { "new", NULL }, 0, "s6:mismatch s7:mismatch" },
		{ { "new", "old" }, 2, "s6:match s7:match" },
		{ { "old", "new" }, 2, "s6:match s7:match" },
		{ { "two", NULL }, 1, "s6:match s7:unknown" },
		{ { "old", "old" }, 0, "s6:match s7:match" },
		/* a digest for raw block 6 is never compared with it: missing */
		{ { "old", "digest6" }, 0, "s6:match s7:match s6:missing" },
	};
	static const struct dv digest6[] = { { "6", S384, "fwtrail-test 1.2.3" }, END };
	size_t i, k, len = 0, nb = 0;
	unsigned char *ev = t_slurp("testdata/evidence/spdm/spdm12.bin", &nb);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fwt_appraise *a = NULL;
		json_t *rec = NULL, *c;
		fwt_appraise_component comp;
		char got[256] = "", path[128];
		unsigned char *rim;
		size_t n = 0;

		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence(a, ev, nb, "spdm12.bin"), FWT_OK);
		for (k = 0; k < 2 && cases[i].rims[k]; k++) {
			snprintf(path, sizeof(path), "testdata/rim/raw/%s.corim", cases[i].rims[k]);
			if (!strcmp(cases[i].rims[k], "digest6"))
				T_EQ_INT(corim(digest6, &rim, &len), FWT_OK);
			else
				rim = t_slurp(path, &len);
			T_EQ_INT(fwt_appraise_add_rim(a, rim, len, path), FWT_OK);
			free(rim);
		}
		T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
		for (k = 0; k < fwt_appraise_count(a); k++) {
			T_EQ_INT(fwt_appraise_get(a, k, &comp), FWT_OK);
			if (comp.has_index && (comp.index == 6 || comp.index == 7))
				n += (size_t)snprintf(got + n, sizeof(got) - n, "%ss%u:%s", n ? " " : "", comp.index,
				                      fwt_appraise_status_name(comp.status));
		}
		T_EQ_STR(got, cases[i].want);
		c = json_object_get(rec, "conflicts");
		T_EQ_INT(json_array_size(c), cases[i].conflicts);
		T_ASSERT(json_is_false(json_object_get(rec, "ok"))); /* unsigned, unauthenticated: never ok */
		if (cases[i].conflicts) {
			json_t *first = json_array_get(c, 0), *refs = json_object_get(first, "references");
			T_EQ_STR(json_string_value(json_object_get(first, "alg")), "raw");
			T_EQ_INT(json_integer_value(json_object_get(first, "index")), 6);
			T_EQ_INT(json_array_size(refs), 2);
			T_ASSERT(json_is_string(json_object_get(json_array_get(refs, 0), "raw")));
		}
		json_decref(rec);
		fwt_appraise_free(a);
	}
	free(ev);
}

static const struct {
	const char *name;
	unsigned banks;
	struct dv ev[6], refs[6];
	const char *want;
	fwt_err rc;
} log_cases[] = {
	{ "a PCR-bound reference matches its event", S256 | S384, { { "0", S384, "a" }, END },
	  { { "pcr0:x", S384, "a" }, END }, "e0:match", FWT_OK },
	{ "every shared algorithm must agree", S256 | S384, { { "0", S384, "a", 0, S256, "b" }, END },
	  { { "pcr0", S384, "a", 0, S256, "b", 1 }, END }, "e0:mismatch", FWT_EVERIFY },
	{ "one shared algorithm is enough", S256 | S384, { { "0", S384, "a", 0, S256, "b" }, END },
	  { { "pcr0", S256, "b" }, END }, "e0:match", FWT_OK },
	{ "a reference bound to another PCR does not apply", S384, { { "3", S384, "a" }, END },
	  { { "pcr5", S384, "a" }, END }, "e3:unknown e5:missing", FWT_EVERIFY },
	{ "pcr5: with a colon binds too", S384, { { "3", S384, "a" }, END },
	  { { "pcr5:", S384, "a" }, END }, "e3:unknown e5:missing", FWT_EVERIFY },
	{ "labels like pcrN that are not (pcr05, pcr24, PCR3, pcr3x) bind nothing; others (bmc) match any PCR", S384,
	  { { "3", S384, "a" }, { "4", S384, "b" }, { "5", S384, "c" }, { "6", S384, "d" }, { "7", S384, "e" } },
	  { { "pcr05", S384, "a" }, { "pcr24", S384, "b" }, { "PCR3", S384, "c" }, { "pcr3x", S384, "d" },
	    { "bmc", S384, "e" } },
	  "e3:unknown e4:unknown e5:unknown e6:unknown e7:match", FWT_EVERIFY },
	{ "no reference on the PCR: unknown", S384, { { "1", S384, "a" }, END }, { { "pcr0", S384, "b" }, END },
	  "e1:unknown e0:missing", FWT_EVERIFY },
	{ "a PCR with references and another digest: a mismatch paired with the unmatched one", S384,
	  { { "0", S384, "a" }, { "0", S384, "z" }, END }, { { "pcr0:1", S384, "a" }, { "pcr0:2", S384, "b" }, END },
	  "e0:match e0:mismatch", FWT_EVERIFY },
	{ "references only in another algorithm: unknown, the reference not missing", S384 | S512,
	  { { "0", S384, "a" }, END }, { { "pcr0", S256, "a" }, END }, "e0:unknown e0:missing", FWT_EVERIFY },
	{ "a repeated measurement may match a reference already paired", S384,
	  { { "2", S384, "a" }, { "2", S384, "a" }, END }, { { "pcr2", S384, "a" }, END }, "e2:match e2:match", FWT_OK },
	{ "a reference listed twice needs two events", S384, { { "2", S384, "a" }, END },
	  { { "pcr2:1", S384, "a" }, { "pcr2:2", S384, "a" }, END }, "e2:match e2:missing", FWT_EVERIFY },
	{ "a PCR-less reference is seen once any event matches it", S384, { { "2", S384, "a" }, END },
	  { { "pcr2", S384, "a" }, { "image", S384, "a" }, END }, "e2:match", FWT_OK },
	{ "a PCR-less reference never seen is missing, without an index", S384, { { "2", S384, "a" }, END },
	  { { "pcr2", S384, "a" }, { "image", S384, "q" }, END }, "e2:match e?:missing", FWT_EVERIFY },
	{ "SHA-1 is never used to match", FWT_DIGEST_SHA1, { { "0", FWT_DIGEST_SHA1, "a" }, END },
	  { { "pcr0", S256, "a" }, END }, "e0:unknown e0:missing", FWT_EVERIFY },
	{ "a reference of two algorithms matches an event of the one they share", S256,
	  { { "0", S256, "b" }, END }, { { "pcr0", S384, "a", 0, S256, "b" }, END }, "e0:match", FWT_OK },
	{ "of references sharing one digest, only the one agreeing on the other matches", S256 | S384,
	  { { "0", S384, "a", 0, S256, "b" }, END },
	  { { "pcr0:1", S384, "a", 0, S256, "c" }, { "pcr0:2", S384, "a", 0, S256, "b" }, { "any", S384, "a", 0, S256, "d" },
	    END }, "e0:match e0:missing e?:missing", FWT_EVERIFY },
};

static void test_eventlog_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(log_cases) / sizeof(log_cases[0]); i++) {
		fwt_appraise *a = NULL;
		unsigned char *rim = NULL, *log;
		size_t rl = 0, ll = 0;
		char got[512];
		fwt_err rc;

		fprintf(stderr, "  eventlog: %s\n", log_cases[i].name);
		log = eventlog(log_cases[i].banks, log_cases[i].ev, &ll);
		T_EQ_INT(corim(log_cases[i].refs, &rim, &rl), FWT_OK);
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence(a, log, ll, "log.bin"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
		rc = fwt_appraise_run(a, NULL);
		statuses(a, got, sizeof(got));
		T_EQ_STR(got, log_cases[i].want);
		T_EQ_INT(rc, log_cases[i].rc);
		fwt_appraise_free(a);
		free(rim);
		free(log);
	}
}

static unsigned char *slurp(const char *path, size_t *n)
{
	unsigned char *b = NULL;

	if (fwt_read_file(ctx, path, 1u << 24, &b, n) != FWT_OK)
		return NULL;
	return b;
}

/* Redfish SPDM evidence measuring the server fixture's BMC image as index 2
 * with alg: 0; 1 when the fixture is missing; -1 when it cannot be hashed. */
static int bmc_evidence(char *ev, size_t len, fwt_digest_alg alg)
{
	unsigned char *fw, d[64];
	char b64[128];
	size_t n;

	fw = slurp("testdata/server/firmware/bmc-3.1.bin", &n);
	if (!fw)
		return 1;
	if (fwt_digest_oneshot(ctx, alg, fw, n, d) != FWT_OK) {
		free(fw);
		return -1;
	}
	free(fw);
	fwt_b64_encode(b64, d, fwt_digest_size(alg));
	snprintf(ev, len,
	         "{\"@odata.type\": \"#ComponentIntegrity.v1_3_2.ComponentIntegrity\", \"ComponentIntegrityType\": "
	         "\"SPDM\", \"Id\": \"t\", \"SPDM\": {\"MeasurementSet\": {\"MeasurementSpecification\": \"DMTF\", "
	         "\"Measurements\": [{\"MeasurementIndex\": 2, \"MeasurementHashAlgorithm\": \"%s\", "
	         "\"Measurement\": \"%s\"}]}}}",
	         alg == FWT_DIGEST_SHA384 ? "TPM_ALG_SHA_384" : "TPM_ALG_SHA_512", b64);
	return 0;
}

/* The server fixture's SFRs: reviews bind by hash, count only when verified. */
static void test_reviews(void)
{
	static const char *const sfrs[] = { "testdata/server/sfr/bmc-3.1.sfr.jws", "testdata/server/sfr/bmc-3.0.sfr.jws",
		                            "testdata/server/sfr/bmc-3.1-other-key.sfr.jws" };
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise_component c;
	fwt_appraise *a = NULL;
	fwt_trust *trust = NULL;
	unsigned char *b;
	size_t n, i;
	char ev[2048];
	json_t *rec = NULL, *r;

	n = (size_t)bmc_evidence(ev, sizeof(ev), S512);
	if (n == 1)
		T_SKIP("testdata/server is missing");
	T_EQ_INT(n, 0);
	T_EQ_INT(fwt_trust_new(ctx, &trust), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(trust, "testdata/server/trust"), FWT_OK);
	ao.trust = trust;
	ao.at = 1800000000; /* 2027-01-15 */
	T_EQ_INT(fwt_appraise_new(ctx, &a, &ao), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "bmc.json"), FWT_OK);
	for (i = 0; i < 3; i++) {
		T_ASSERT((b = slurp(sfrs[i], &n)) != NULL);
		T_EQ_INT(fwt_appraise_add_sfr(a, b, n, sfrs[i]), FWT_OK);
		free(b);
	}
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY); /* no RIM: unknown */
	T_EQ_INT(fwt_appraise_count(a), 1);
	T_EQ_INT(fwt_appraise_get(a, 0, &c), FWT_OK);
	T_EQ_INT(c.status, FWT_APPRAISE_UNKNOWN);
	T_EQ_INT(c.alg, S512);
	/* bmc-3.1 binds by hash, but with no reference its device cannot be
	 * cross-checked with a RIM's environment (T3): no review, and why */
	T_EQ_INT(c.reviewed, 0);
	T_ASSERT(c.report == NULL && c.srp == NULL);
	T_ASSERT(c.rim == NULL && c.key == NULL);
	r = json_object_get(json_array_get(json_object_get(rec, "components"), 0), "review");
	T_EQ_STR(json_string_value(json_object_get(r, "status")), "unreviewed");
	T_EQ_INT(json_array_size(json_object_get(r, "rejected")), 1);
	T_EQ_STR(json_string_value(json_object_get(json_array_get(json_object_get(r, "rejected"), 0), "report")), sfrs[0]);
	T_ASSERT(strstr(json_string_value(json_object_get(json_array_get(json_object_get(r, "rejected"), 0), "reason")),
	                "no reference value matched the component"));
	/* and it claims no product (T5) */
	T_EQ_INT(json_array_size(json_object_get(rec, "products")), 0);
	r = json_object_get(rec, "signatures");
	T_EQ_INT(json_array_size(r), 4);
	T_ASSERT(json_is_true(json_object_get(json_array_get(r, 0), "verified")));
	T_ASSERT(json_is_true(json_object_get(json_array_get(r, 1), "verified")));
	T_ASSERT(json_is_false(json_object_get(json_array_get(r, 2), "verified")));
	/* the Redfish evidence: listed, unauthenticated (it carries no signature) */
	T_EQ_STR(json_string_value(json_object_get(json_array_get(r, 3), "kind")), "spdm");
	T_EQ_STR(json_string_value(json_object_get(json_array_get(r, 3), "authentication")), "unauthenticated");
	T_EQ_INT(fwt_appraise_run(a, NULL), FWT_EINVAL); /* once only */
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "again"), FWT_EINVAL);
	json_decref(rec);
	fwt_appraise_free(a);
	fwt_trust_free(trust);
}

/* The index of the matching SPDM component of index 2 (testdata/server's
 * BMC firmware), with it in *c; fwt_appraise_count(a) when there is none. */
static size_t bmc_match(fwt_appraise *a, fwt_appraise_component *c)
{
	size_t k;

	for (k = 0; k < fwt_appraise_count(a); k++)
		if (fwt_appraise_get(a, k, c) == FWT_OK && c->source == FWT_APPRAISE_SPDM && c->index == 2 &&
		    c->status == FWT_APPRAISE_MATCH)
			break;
	return k;
}

/* With the vendor's RIM the same review is cross-checked and counts; an
 * SFR that does not name its device is malformed, signed or not (T3). */
static void test_reviews_cross_checked(void)
{
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise_component c;
	fwt_appraise *a = NULL;
	fwt_trust *trust = NULL;
	unsigned char *b;
	size_t n, k;
	char ev[2048];
	json_t *rec = NULL, *sfr;
	json_error_t je;
	static const char *const drop[] = { "product", "vendor" };

	n = (size_t)bmc_evidence(ev, sizeof(ev), FWT_DIGEST_SHA384);
	if (n == 1)
		T_SKIP("testdata/server is missing");
	T_EQ_INT(n, 0);
	T_EQ_INT(fwt_trust_new(ctx, &trust), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(trust, "testdata/server/trust"), FWT_OK);
	ao.trust = trust;
	ao.at = 1800000000;
	T_EQ_INT(fwt_appraise_new(ctx, &a, &ao), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "bmc.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim_file(a, "testdata/server/rim/vendor.signed.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_sfr_file(a, "testdata/server/sfr/bmc-3.1.sfr.jws"), FWT_OK);
	/* a report without device.product, or without vendor and product,
	 * is refused whole, naming the member; the appraisal goes on */
	for (k = 0; k < 2; k++) {
		b = slurp("testdata/server/sfr/bmc-3.1.unsigned.json", &n);
		T_ASSERT(b && (sfr = json_loadb((char *)b, n, 0, &je)) != NULL);
		free(b);
		json_object_del(json_object_get(sfr, "device"), drop[0]);
		if (k)
			json_object_del(json_object_get(sfr, "device"), drop[1]);
		b = (unsigned char *)json_dumps(sfr, 0);
		json_decref(sfr);
		T_EQ_INT(fwt_appraise_add_sfr(a, b, strlen((char *)b), "anon.json"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), k ? "'anon.json': $.device.vendor: missing"
		                                       : "'anon.json': $.device.product: missing"));
		free(b);
	}
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY); /* references 1, 3, 4 missing */
	k = bmc_match(a, &c);
	T_ASSERT(k < fwt_appraise_count(a));
	T_EQ_INT(c.reviewed, 1);
	T_EQ_STR(c.report, "testdata/server/sfr/bmc-3.1.sfr.jws");
	T_EQ_STR(c.srp, "Road Runner Audits");
	json_decref(rec);
	fwt_appraise_free(a);
	fwt_trust_free(trust);
}

/* A review listing many issues (4000, within the 1 MiB a report may take):
 * each CWE once, in the order first seen (looked up in a set, not compared
 * with every CWE kept). */
/* *rec, the appraisal record of the BMC's evidence, the server's RIM and
 * an SFR of the BMC firmware whose issues are issues (taken; NULL: no
 * "issues" member), signed by the server's reviewer; *rv its review of the
 * BMC component.  *missing without testdata/server. */
static void review_of(json_t *issues, const char *date, const char *sha512, json_t **rec, const json_t **rv,
                      int *missing);

static void review_with_issues(json_t *issues, json_t **rec, const json_t **rv, int *missing)
{
	review_of(issues, NULL, NULL, rec, rv, missing);
}

/* review_with_issues with the report's completion_date and (when not NULL)
 * fw_hash_sha2_512 replaced; *rv is then NULL when it reviews nothing. */
static void review_of(json_t *issues, const char *date, const char *sha512, json_t **rec, const json_t **rv,
                      int *missing)
{
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise *a = NULL;
	fwt_trust *trust = NULL;
	fwt_key *key = NULL;
	json_t *sfr;
	json_error_t je;
	unsigned char *b;
	char ev[2048], *payload, *jws = NULL;
	size_t n, i, jl;

	*rv = NULL;
	*rec = NULL;
	*missing = 0;
	n = (size_t)bmc_evidence(ev, sizeof(ev), FWT_DIGEST_SHA384);
	b = n == 1 ? NULL : slurp("testdata/server/sfr/bmc-3.1.unsigned.json", &n);
	if (!b || !(sfr = json_loadb((char *)b, n, 0, &je))) {
		free(b);
		json_decref(issues);
		*missing = 1;
		return;
	}
	free(b);
	if (issues)
		json_object_set_new(json_object_get(sfr, "audit"), "issues", issues);
	else
		json_object_del(json_object_get(sfr, "audit"), "issues");
	if (date)
		json_object_set_new(json_object_get(sfr, "audit"), "completion_date", json_string(date));
	if (sha512)
		json_object_set_new(json_object_get(sfr, "device"), "fw_hash_sha2_512", json_string(sha512));
	payload = json_dumps(sfr, JSON_COMPACT);
	json_decref(sfr);
	T_ASSERT(payload != NULL);
	T_EQ_INT(fwt_key_open(ctx, &key, "testdata/server/keys/reviewer.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_jws_sign(ctx, key, "r", 1, payload, strlen(payload), &jws, &jl), FWT_OK);
	fwt_key_free(key);
	free(payload);
	T_EQ_INT(fwt_trust_new(ctx, &trust), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(trust, "testdata/server/trust"), FWT_OK);
	ao.trust = trust;
	ao.at = 1800000000;
	T_EQ_INT(fwt_appraise_new(ctx, &a, &ao), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "bmc.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim_file(a, "testdata/server/rim/vendor.signed.corim"), FWT_OK);
	if (fwt_appraise_add_sfr(a, jws, jl, "r.jws") != FWT_OK)
		T_FAIL_("%s", fwt_ctx_errmsg(ctx));
	T_EQ_INT(fwt_appraise_run(a, rec), FWT_EVERIFY); /* references 1, 3, 4 missing */
	for (i = 0; i < json_array_size(json_object_get(*rec, "components")) && !*rv; i++) {
		json_t *r = json_object_get(json_array_get(json_object_get(*rec, "components"), i), "review");
		if (json_is_string(json_object_get(r, "report")) &&
		    !strcmp(json_string_value(json_object_get(r, "report")), "r.jws"))
			*rv = r;
	}
	fwt_appraise_free(a);
	fwt_trust_free(trust);
	free(jws);
}

static json_t *issue(const char *cwe, const char *score, const char *vector)
{
	json_t *e = json_object();

	json_object_set_new(e, "title", json_string("an issue"));
	json_object_set_new(e, "cvss_score", json_string(score));
	json_object_set_new(e, "cvss_vector", json_string(vector));
	json_object_set_new(e, "cwe", json_string(cwe));
	json_object_set_new(e, "description", json_string("d"));
	json_object_set_new(e, "cve", json_null());
	return e;
}

/* A report binds only when what it says can be read: a completion_date
 * that is no real day (2026-02-99 sorted after every day of February, and
 * won as the latest review), or a fw_hash_sha2_512 that is not a hash
 * beside a good SHA-384, reviews nothing. */
static void test_review_unreadable_fields(void)
{
	static const struct {
		const char *date, *sha512;
		int reviews;
	} cases[] = { { "2026-02-28", NULL, 1 }, { "2026-02-99", NULL, 0 }, { "2026-13-01", NULL, 0 },
		      { "2025-02-29", NULL, 0 },  { "2024-02-29", NULL, 1 }, { "2026-00-10", NULL, 0 },
		      { NULL, "not hex at all", 0 } };
	json_t *rec;
	const json_t *rv;
	size_t i;
	int missing;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		review_of(NULL, cases[i].date, cases[i].sha512, &rec, &rv, &missing);
		if (missing)
			T_SKIP("testdata/server is missing");
		if ((rv != NULL) != cases[i].reviews)
			T_FAIL_("%s %s: reviewed %d", cases[i].date ? cases[i].date : "-",
			        cases[i].sha512 ? cases[i].sha512 : "-", rv != NULL);
		json_decref(rec);
	}
}

static void test_review_many_cwes(void)
{
	json_t *rec, *issues = json_array(), *cw;
	const json_t *rv;
	char cwe[32];
	size_t i;
	int missing;

	for (i = 0; i < 4000; i++) {
		snprintf(cwe, sizeof(cwe), "CWE-%zu", 2000 - i % 2000);
		json_array_append_new(issues, issue(cwe, "5.0", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H"));
	}
	review_with_issues(issues, &rec, &rv, &missing);
	if (missing)
		T_SKIP("testdata/server is missing");
	T_ASSERT(rv != NULL);
	T_EQ_INT(json_integer_value(json_object_get(rv, "open_issues")), 4000);
	cw = json_object_get(rv, "cwes");
	T_EQ_INT(json_array_size(cw), 2000);
	T_EQ_STR(json_string_value(json_array_get(cw, 0)), "CWE-2000");
	T_EQ_STR(json_string_value(json_array_get(cw, 1999)), "CWE-1");
	json_decref(rec);
}

/* An issue's score is the higher of the stated one and its CVSS 3
 * vector's; a vector that does not read leaves the score unknown (null,
 * and no max_cvss): nothing shows the stated 1.0 is not understated. */
static void test_review_vector_scores(void)
{
	static const struct {
		const char *vector;
		double score; /* -1: null */
	} cases[] = {
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", -1 },
		{ "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:N", -1 },
		{ "cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h", -1 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 1.0 }, /* 0.0: the stated 1.0 stands */
		/* other versions are not scored: the stated score stands */
		{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 1.0 },
		{ "AV:N/AC:L/Au:N/C:C/I:C/A:C", 1.0 },
	};
	json_t *rec, *issues, *sc;
	const json_t *rv;
	size_t i;
	int missing;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		issues = json_array();
		json_array_append_new(issues, issue("CWE-20", "1.0", cases[i].vector));
		review_with_issues(issues, &rec, &rv, &missing);
		if (missing)
			T_SKIP("testdata/server is missing");
		T_ASSERT(rv != NULL);
		sc = json_object_get(json_array_get(json_object_get(rv, "issues"), 0), "cvss_score");
		if (cases[i].score < 0 ? !json_is_null(sc) || json_object_get(rv, "max_cvss")
		                       : !json_is_number(sc) || json_number_value(sc) != cases[i].score)
			T_FAIL_("%s: score %s", cases[i].vector, json_is_null(sc) ? "null" : "a number");
		json_decref(rec);
	}
	/* a report without "issues" does not say it has none: the review
	 * records no issues and no summary, which the policy's issue rules
	 * fail for want of */
	review_with_issues(NULL, &rec, &rv, &missing);
	T_ASSERT(rv != NULL);
	T_ASSERT(json_is_string(json_object_get(rv, "report")));
	T_ASSERT(!json_object_get(rv, "issues") && !json_object_get(rv, "open_issues") &&
	         !json_object_get(rv, "max_cvss") && !json_object_get(rv, "cwes"));
	json_decref(rec);
}

/* testdata/server's two trust roles: the vendor's key (RIMs) and the
 * reviewer's (SFRs), each a store of its own. */
static void server_stores(fwt_trust **vendor, fwt_trust **reviewer)
{
	T_EQ_INT(fwt_trust_new(ctx, vendor), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(*vendor, "testdata/server/trust/vendor.pub"), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, reviewer), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(*reviewer, "testdata/server/trust/reviewer.pub"), FWT_OK);
}

/* T3 against a RIM that did not verify: with sfr_trust alone (no trust
 * store) the SFR verifies and binds to the component, but the environment
 * it is cross-checked with is whatever the unverified RIM's author wrote,
 * so it is no review; with the RIM verified, it is. */
static void test_reviews_unverified_rim(void)
{
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise_component c;
	fwt_trust *vendor = NULL, *reviewer = NULL;
	fwt_appraise *a = NULL;
	json_t *rec = NULL, *rej;
	char ev[2048];
	size_t k;
	int pass;

	k = (size_t)bmc_evidence(ev, sizeof(ev), FWT_DIGEST_SHA384);
	if (k == 1)
		T_SKIP("testdata/server is missing");
	server_stores(&vendor, &reviewer);
	for (pass = 0; pass < 2; pass++) {
		/* pass 0: no trust store, the unsigned RIM; pass 1: the signed RIM, verified */
		ao.trust = pass ? vendor : NULL;
		ao.sfr_trust = reviewer;
		ao.at = 1800000000;
		T_EQ_INT(fwt_appraise_new(ctx, &a, &ao), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "bmc.json"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim_file(a, pass ? "testdata/server/rim/vendor.signed.corim"
		                                           : "testdata/server/rim/vendor.corim"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_sfr_file(a, "testdata/server/sfr/bmc-3.1.sfr.jws"), FWT_OK);
		T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY); /* references 1, 3, 4 missing */
		k = bmc_match(a, &c);
		T_ASSERT(k < fwt_appraise_count(a));
		T_EQ_INT(c.reviewed, pass);
		T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "reviewed")), pass);
		rej = json_object_get(json_object_get(json_array_get(json_object_get(rec, "components"), k), "review"),
		                      "rejected");
		if (!pass) {
			T_EQ_INT(json_array_size(rej), 1);
			T_EQ_STR(json_string_value(json_object_get(json_array_get(rej, 0), "report")),
			         "testdata/server/sfr/bmc-3.1.sfr.jws");
			T_EQ_STR(json_string_value(json_object_get(json_array_get(rej, 0), "reason")),
			         "the reference's RIM 'testdata/server/rim/vendor.corim' was not verified: its environment "
			         "(vendor, model) cannot vouch for the report's device");
			/* it reviewed nothing: no products entry for it (T5) */
			for (k = 0; k < json_array_size(json_object_get(rec, "products")); k++)
				T_ASSERT(strcmp(json_string_value(json_object_get(
				                    json_array_get(json_object_get(rec, "products"), k), "source")), "sfr"));
		} else {
			T_ASSERT(rej == NULL);
		}
		json_decref(rec);
		rec = NULL;
		fwt_appraise_free(a);
		a = NULL;
	}
	fwt_trust_free(vendor);
	fwt_trust_free(reviewer);
}

/* A RIM's own dates bind it with or without a trust store: out of them
 * (the fixture's RIM is valid until 2036) it is not used, said so, and
 * the result is not ok, though its signature is never checked. */
static void test_rim_dates_without_trust(void)
{
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise *a = NULL;
	json_t *rec = NULL, *sig;
	char ev[2048];
	size_t k;
	int pass;

	k = (size_t)bmc_evidence(ev, sizeof(ev), FWT_DIGEST_SHA384);
	if (k == 1)
		T_SKIP("testdata/server is missing");
	for (pass = 0; pass < 2; pass++) {
		/* pass 0: inside the dates; pass 1: 2040-01-01 */
		ao.at = pass ? 2208988800 : 1800000000;
		T_EQ_INT(fwt_appraise_new(ctx, &a, &ao), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "bmc.json"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim_file(a, "testdata/server/rim/vendor.signed.corim"), FWT_OK);
		T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY); /* references 1, 3, 4 missing, or all unknown */
		sig = json_array_get(json_object_get(rec, "signatures"), 0);
		T_EQ_INT(json_is_true(json_object_get(sig, "used")), !pass);
		T_EQ_STR(json_string_value(json_object_get(sig, "error")),
		         pass ? "expired: valid until 2036-01-01T00:00:00Z, checked at 2040-01-01T00:00:00Z"
		              : "not checked: no trusted key given");
		T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "match")), !pass);
		json_decref(rec);
		rec = NULL;
		fwt_appraise_free(a);
		a = NULL;
	}
}

/* ---- SPDM signatures (RELIABILITY S4) ---- */

struct sp_case {
	int chains;          /* bit 0: bmc-chain.pem, bit 1: other-chain.pem (tried first) */
	int trust;           /* 1: the chain's root; 2: a trust store with no certificate */
	const char *nonce;   /* hex, or NULL */
	int flip;            /* flip the last byte of the transcript (its signature) */
};

static const char *const SP_NONCE = "80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb";

/* The server's BMC transcript against a CoRIM of its own measurements
 * (so only the signature can make the record not ok); *sig gets the spdm
 * signatures entry (borrowed from *rec). */
static void sp_run(const struct sp_case *k, json_t **rec, json_t **sig, fwt_err *errp)
{
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_corim_create_options co = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_corim_refval *rv = NULL;
	fwt_pubkey **chain = NULL;
	fwt_appraise *a = NULL;
	fwt_trust *trust = NULL;
	fwt_spdm *s = NULL;
	unsigned char *ev, *rim = NULL, nonce[32];
	size_t n, nrv = 0, rlen = 0, nchain = 0, i;
	json_t *e;
	fwt_err rc;

	*rec = *sig = NULL;
	*errp = FWT_EINTERNAL;
	ev = slurp("testdata/server/evidence/bmc.spdm", &n);
	T_ASSERT(ev != NULL);
	T_EQ_INT(fwt_spdm_parse(ctx, &s, ev, n, "bmc.spdm"), FWT_OK);
	T_EQ_INT(fwt_appraise_refvals_from_spdm(ctx, s, &rv, &nrv, NULL), FWT_OK);
	co.vendor = "ACME";
	co.model = "BMC";
	co.refvals = rv;
	co.n_refvals = nrv;
	T_EQ_INT(fwt_corim_create(ctx, &co, &rim, &rlen), FWT_OK);
	fwt_appraise_refvals_free(rv, nrv);
	fwt_spdm_free(s);
	if (k->flip)
		ev[n - 1] ^= 0x01;
	T_EQ_INT(fwt_pubkey_load_all(ctx, "testdata/server/evidence/bmc-chain.pem", &chain, &nchain), FWT_OK);
	T_EQ_INT(nchain, 2);
	if (k->trust) {
		T_EQ_INT(fwt_trust_new(ctx, &trust), FWT_OK);
		if (k->trust == 1)
			T_EQ_INT(fwt_trust_add_key(trust, chain[1]), FWT_OK);
		else
			T_EQ_INT(fwt_trust_add_path(trust, "testdata/server/keys/vendor.pub"), FWT_OK);
	}
	ao.trust = trust;
	ao.at = 1800000000;
	T_EQ_INT(fwt_appraise_new(ctx, &a, &ao), FWT_OK);
	/* chains before the evidence, the nonce after: both work */
	if (k->chains & 2)
		T_EQ_INT(fwt_appraise_add_spdm_chain_file(a, "testdata/evidence/spdm/other-chain.pem"), FWT_OK);
	if (k->chains & 1)
		T_EQ_INT(fwt_appraise_add_spdm_chain(a, chain, nchain, "bmc-chain.pem"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, n, "bmc.spdm"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rlen, "bmc.corim"), FWT_OK);
	if (k->nonce) {
		T_EQ_INT(fwt_hex_parse_digest(nonce, 32, k->nonce, 64), FWT_OK);
		T_EQ_INT(fwt_appraise_set_spdm_nonce(a, "bmc.spdm", nonce), FWT_OK);
	}
	rc = fwt_appraise_run(a, rec);
	*errp = rc;
	json_array_foreach(json_object_get(*rec, "signatures"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "kind")), "spdm"))
			*sig = e;
	fwt_appraise_free(a);
	fwt_trust_free(trust);
	for (i = 0; i < nchain; i++)
		fwt_pubkey_free(chain[i]);
	free(chain);
	free(ev);
	free(rim);
}

#define SP(code, ...) do { fwt_err e_; sp_run(&(struct sp_case){ __VA_ARGS__ }, &rec, &sig, &e_); T_EQ_INT(e_, code); } while (0)

static const char *sget(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void test_spdm_signatures(void)
{
	json_t *rec, *sig, *in;
	fwt_pubkey **chain = NULL;
	unsigned char fp[32];
	char hex[65];
	size_t n = 0, i;

	if (access("testdata/server/evidence/bmc.spdm", R_OK))
		T_SKIP("testdata/server is missing");
	T_EQ_INT(fwt_pubkey_load_all(ctx, "testdata/server/evidence/bmc-chain.pem", &chain, &n), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(chain[0], fp), FWT_OK);
	fwt_hex_encode(hex, fp, 32);
	for (i = 0; i < n; i++)
		fwt_pubkey_free(chain[i]);
	free(chain);

	/* no chain: unauthenticated, and the record is still ok */
	SP(FWT_OK, 0, 0, NULL, 0);
	T_ASSERT(sig != NULL);
	T_EQ_STR(sget(sig, "authentication"), "unauthenticated");
	T_ASSERT(json_is_false(json_object_get(sig, "verified")) && json_is_false(json_object_get(sig, "signature_checked")));
	T_ASSERT(json_is_true(json_object_get(sig, "signed")));
	T_EQ_STR(sget(sig, "error"), "unauthenticated: no responder certificate chain given");
	T_EQ_STR(sget(sig, "path"), "bmc.spdm");
	T_EQ_STR(sget(sig, "format"), "transcript");
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "spdm_unauthenticated")), 1);
	json_decref(rec);

	/* its chain: verified, by the leaf's SPKI fingerprint; chain and nonce
	 * not checked (not asked) */
	SP(FWT_OK, 1, 0, NULL, 0);
	T_EQ_STR(sget(sig, "authentication"), "verified");
	T_ASSERT(json_is_true(json_object_get(sig, "verified")) && json_is_true(json_object_get(sig, "signature_checked")));
	T_EQ_STR(sget(sig, "fingerprint"), hex);
	T_EQ_STR(sget(sig, "chain"), "bmc-chain.pem");
	T_ASSERT(strstr(sget(sig, "signer"), "fwtrail test SPDM responder") != NULL);
	T_ASSERT(json_is_false(json_object_get(sig, "chain_validated")) && json_is_false(json_object_get(sig, "nonce_checked")));
	T_ASSERT(json_is_null(json_object_get(sig, "error")));
	in = json_array_get(json_object_get(rec, "inputs"), 0);
	T_EQ_STR(sget(in, "kind"), "spdm");
	T_ASSERT(json_is_true(json_object_get(in, "verified")));
	T_EQ_STR(sget(in, "fingerprint"), hex);
	T_EQ_STR(sget(in, "authentication"), "verified");
	json_decref(rec);

	/* two chains (the wrong one first), the root trusted, the nonce: the
	 * chain whose leaf verifies is used, validated, fresh (the CoRIM is
	 * not signed, so with a trust store only it makes the record not ok) */
	SP(FWT_EVERIFY, 3, 1, SP_NONCE, 0);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 4 unknown, 1 RIM not verified (of 4 components)");
	T_EQ_STR(sget(sig, "authentication"), "verified");
	T_EQ_STR(sget(sig, "chain"), "bmc-chain.pem");
	T_EQ_STR(sget(sig, "fingerprint"), hex);
	T_ASSERT(json_is_true(json_object_get(sig, "chain_validated")) && json_is_true(json_object_get(sig, "nonce_checked")));
	json_decref(rec);

	/* the wrong chain only: failed, and the record is not ok on that alone */
	SP(FWT_EVERIFY, 2, 0, NULL, 0);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not ok: 1 SPDM signature not verified") != NULL);
	T_EQ_STR(sget(sig, "authentication"), "failed");
	T_ASSERT(json_is_false(json_object_get(sig, "verified")) && json_is_true(json_object_get(sig, "signature_checked")));
	T_ASSERT(json_is_null(json_object_get(sig, "fingerprint")) && json_is_null(json_object_get(sig, "chain")));
	T_ASSERT(strstr(sget(sig, "error"), "does not verify") != NULL);
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "spdm_not_verified")), 1);
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "match")), 4);
	json_decref(rec);

	/* forged (a signature byte flipped): failed with its chain */
	SP(FWT_EVERIFY, 1, 0, NULL, 1);
	T_EQ_STR(sget(sig, "authentication"), "failed");
	T_ASSERT(strstr(sget(sig, "error"), "signature of the measurements does not verify") != NULL);
	json_decref(rec);

	/* a stale nonce */
	SP(FWT_EVERIFY, 1, 0, "00c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb", 0);
	T_EQ_STR(sget(sig, "authentication"), "failed");
	T_ASSERT(strstr(sget(sig, "error"), "stale evidence") != NULL);
	T_EQ_STR(sget(sig, "chain"), "bmc-chain.pem"); /* the chain that verified the signature */
	json_decref(rec);

	/* a stale nonce and no chain: read from the transcript all the same,
	 * failed before any signature check */
	SP(FWT_EVERIFY, 0, 0, "00c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb", 0);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 1 SPDM signature not verified (of 4 components)");
	T_EQ_STR(sget(sig, "authentication"), "failed");
	T_ASSERT(json_is_true(json_object_get(sig, "signature_checked")) && json_is_null(json_object_get(sig, "chain")));
	T_EQ_STR(sget(sig, "error"), "stale evidence: the request's nonce 80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb "
	                             "is not the one expected");
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "spdm_not_verified")), 1);
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "spdm_unauthenticated")), 0);
	json_decref(rec);

	/* the nonce it carries and no chain: fresh but unauthenticated, ok */
	SP(FWT_OK, 0, 0, SP_NONCE, 0);
	T_EQ_STR(sget(sig, "authentication"), "unauthenticated");
	json_decref(rec);

	/* a trust store that cannot anchor a chain: failed, not skipped */
	SP(FWT_EVERIFY, 1, 2, NULL, 0);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "1 SPDM signature not verified") != NULL);
	T_EQ_STR(sget(sig, "authentication"), "failed");
	T_ASSERT(strstr(sget(sig, "error"), "cannot validate the responder's chain") != NULL);
	/* the one store of RIM signers: the message says where a device's
	 * root goes */
	T_ASSERT(strstr(sget(sig, "error"), "(give the device's root as the SPDM trust store, apart from the RIM "
	                                    "signers)") != NULL);
	json_decref(rec);
}

/* Unsigned SPDM evidence stays unauthenticated with a chain, unless a nonce
 * applies: its request carries none, so it is stale; nonces are checked for
 * their target. */
static void test_spdm_unsigned_and_nonces(void)
{
	fwt_appraise *a = NULL;
	unsigned char *ev, nonce[32];
	size_t n;
	json_t *rec = NULL, *sig;

	ev = slurp("testdata/evidence/spdm/unsigned12.bin", &n);
	if (!ev)
		T_SKIP("testdata/evidence/spdm is missing");
	memset(nonce, 0x5a, sizeof(nonce));
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_spdm_chain_file(a, "testdata/evidence/spdm/chain.pem"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_spdm_chain_file(a, "testdata/evidence/spdm/none.pem"), FWT_EIO);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, n, "unsigned12.bin"), FWT_OK);
	T_EQ_INT(fwt_appraise_set_spdm_nonce(a, NULL, nonce), FWT_OK);
	T_EQ_INT(fwt_appraise_set_spdm_nonce(a, NULL, nonce), FWT_EINVAL); /* two for all */
	T_EQ_INT(fwt_appraise_set_spdm_nonce(a, "unsigned12.bin", nonce), FWT_OK);
	T_EQ_INT(fwt_appraise_set_spdm_nonce(a, "unsigned12.bin", nonce), FWT_EINVAL);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY); /* no RIM: unknown */
	sig = json_array_get(json_object_get(rec, "signatures"), 0);
	T_EQ_STR(sget(sig, "kind"), "spdm");
	T_EQ_STR(sget(sig, "authentication"), "failed");
	T_EQ_STR(sget(sig, "error"), "stale evidence: the last GET_MEASUREMENTS request carries no nonce, not the one expected");
	T_ASSERT(json_is_false(json_object_get(sig, "signed")) && json_is_false(json_object_get(sig, "nonce_checked")));
	T_ASSERT(json_is_true(json_object_get(sig, "signature_checked"))); /* checked: a "no", not unauthenticated */
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "spdm_not_verified")), 1);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "1 SPDM signature not verified") != NULL);
	json_decref(rec);
	fwt_appraise_free(a);

	/* without a nonce, a chain given to authenticate it: failed, as a
	 * responder that stopped signing would be */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_spdm_chain_file(a, "testdata/evidence/spdm/chain.pem"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, n, "unsigned12.bin"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	sig = json_array_get(json_object_get(rec, "signatures"), 0);
	T_EQ_STR(sget(sig, "authentication"), "failed");
	T_EQ_STR(sget(sig, "error"), "the measurements are not signed, though a responder certificate chain was given to "
	                             "authenticate them");
	T_ASSERT(json_is_true(json_object_get(sig, "signature_checked")));
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "spdm_not_verified")), 1);
	json_decref(rec);
	fwt_appraise_free(a);

	/* with no chain either: unauthenticated, which a policy decides */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, n, "unsigned12.bin"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	sig = json_array_get(json_object_get(rec, "signatures"), 0);
	T_EQ_STR(sget(sig, "authentication"), "unauthenticated");
	T_EQ_STR(sget(sig, "error"), "unauthenticated: the measurements are not signed");
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "spdm_not_verified")), 0);
	json_decref(rec);
	fwt_appraise_free(a);

	/* a Redfish ComponentIntegrity resource answers no nonce either */
	{
		struct dv one[] = { { "1", FWT_DIGEST_SHA384, "a" }, END };
		char *rf = redfish(one);
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence(a, rf, strlen(rf), "rf.json"), FWT_OK);
		T_EQ_INT(fwt_appraise_set_spdm_nonce(a, NULL, nonce), FWT_OK);
		T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
		sig = json_array_get(json_object_get(rec, "signatures"), 0);
		T_EQ_STR(sget(sig, "authentication"), "failed");
		T_EQ_STR(sget(sig, "error"), "stale evidence: the Redfish measurements carry no nonce, not the one expected");
		json_decref(rec);
		fwt_appraise_free(a);
		free(rf);
	}

	/* a nonce for evidence that is not here */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, n, "unsigned12.bin"), FWT_OK);
	T_EQ_INT(fwt_appraise_set_spdm_nonce(a, "other.spdm", nonce), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "a nonce is given for 'other.spdm', which is not SPDM evidence here") != NULL);
	T_ASSERT(rec == NULL);
	fwt_appraise_free(a);
	T_EQ_INT(fwt_appraise_add_spdm_chain(NULL, NULL, 0, NULL), FWT_EINVAL);
	free(ev);
}

/* SPDM evidence whose measurements are not a reading of the running state
 * (fwt_spdm_check_state): failed before any chain is tried, with the
 * reason, whichever chains are given, even when every block matches a RIM
 * made of its own measurements. */
static void spdm_state_case(const char *file, const char *want)
{
	fwt_corim_create_options co = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_corim_refval *rv = NULL;
	fwt_appraise *a = NULL;
	fwt_spdm *s = NULL;
	unsigned char *ev, *rim = NULL;
	size_t n = 0, nrv = 0, rlen = 0;
	json_t *rec = NULL, *sig;

	fprintf(stderr, "  %s\n", file);
	ev = slurp(file, &n);
	T_ASSERT(ev != NULL);
	T_EQ_INT(fwt_spdm_parse(ctx, &s, ev, n, file), FWT_OK);
	T_EQ_INT(fwt_appraise_refvals_from_spdm(ctx, s, &rv, &nrv, NULL), FWT_OK);
	co.vendor = "ACME";
	co.model = "DEV";
	co.refvals = rv;
	co.n_refvals = nrv;
	T_EQ_INT(fwt_corim_create(ctx, &co, &rim, &rlen), FWT_OK);
	fwt_appraise_refvals_free(rv, nrv);
	fwt_spdm_free(s);
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_spdm_chain_file(a, "testdata/evidence/spdm/other-chain.pem"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_spdm_chain_file(a, "testdata/evidence/spdm/chain.pem"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, n, "ev.bin"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rlen, "ev.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 1 SPDM signature not verified (of 5 components)");
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "match")), 5);
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "spdm_not_verified")), 1);
	sig = json_array_get(json_object_get(rec, "signatures"), 1); /* after the RIM's */
	T_EQ_STR(sget(sig, "kind"), "spdm");
	T_EQ_STR(sget(sig, "authentication"), "failed");
	T_EQ_STR(sget(sig, "error"), want);
	T_ASSERT(json_is_true(json_object_get(sig, "signature_checked")) && json_is_null(json_object_get(sig, "chain")));
	json_decref(rec);
	fwt_appraise_free(a);
	free(rim);
	free(ev);
}

static void test_spdm_state(void)
{
	if (access("testdata/evidence/spdm/cases/new-measurement-v13.bin", R_OK))
		T_SKIP("testdata/evidence/spdm is missing");
	spdm_state_case("testdata/evidence/spdm/cases/new-measurement-v13.bin",
	                "measurements of pending firmware, not of the running state: a GET_MEASUREMENTS request sets "
	                "NewMeasurementRequested, which asks for the measurements that take effect at the next reset");
	spdm_state_case("testdata/evidence/spdm/cases/new-measurement-earlier-v13.bin",
	                "measurements of pending firmware, not of the running state: a GET_MEASUREMENTS request sets "
	                "NewMeasurementRequested, which asks for the measurements that take effect at the next reset");
	spdm_state_case("testdata/evidence/spdm/cases/content-changed-v12.bin",
	                "the responder detected measurement changes during the transcript: measure again");
}

/* Malformed and unrecognised inputs: FWT_EFORMAT with the name. */
static void test_malformed(void)
{
	static const unsigned char junk[] = "hello, not evidence";
	unsigned char log[64];
	fwt_appraise *a = NULL;
	char *ev;
	struct dv m[] = { { "1", S384, "a" }, END };

	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, junk, sizeof(junk) - 1, "junk"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'junk': not an event log or SPDM evidence") != NULL);
	memset(log, 0, sizeof(log)); /* a legacy record on PCR 0, then 8 bytes of the next */
	T_EQ_INT(fwt_appraise_add_evidence(a, log, 40, "zeros"), FWT_EFORMAT);
	T_ASSERT(strncmp(fwt_ctx_errmsg(ctx), "'zeros': ", 9) == 0);
	T_EQ_INT(fwt_appraise_add_evidence(a, "", 0, "empty"), FWT_EFORMAT);
	/* text is no RIM at all (as rim verify says); binary that is no CBOR
	 * is a malformed CoRIM */
	T_EQ_INT(fwt_appraise_add_rim(a, junk, sizeof(junk) - 1, "junk.rim"), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'junk.rim': not a RIM fwtrail reads") != NULL);
	T_EQ_INT(fwt_appraise_add_rim(a, "\x01\x02\xff", 3, "bin.rim"), FWT_EFORMAT);
	T_EQ_INT(fwt_appraise_add_rim(a, "", 0, "empty.rim"), FWT_EFORMAT);
	T_EQ_INT(fwt_appraise_add_sfr(a, "{\"device\": 1}", 13, "bad.json"), FWT_EFORMAT);
	T_ASSERT(strncmp(fwt_ctx_errmsg(ctx), "'bad.json': ", 12) == 0);
	T_EQ_INT(fwt_appraise_add_sfr(a, "x.y", 3, "bad.jws"), FWT_EFORMAT);
	T_EQ_INT(fwt_appraise_add_evidence_file(a, "testdata/server/absent"), FWT_EIO);
	/* nothing was recorded: the good input still runs alone */
	ev = redfish(m);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "ok.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, NULL), FWT_EVERIFY);
	T_EQ_INT(fwt_appraise_count(a), 1);
	free(ev);
	fwt_appraise_free(a);
	fwt_appraise_free(NULL);
	T_EQ_INT(fwt_appraise_new(ctx, NULL, NULL), FWT_EINVAL);
}

/* ---- many references: grouped by index once, never compared pairwise ---- */

/* An unsigned CoRIM with n SHA-256 references at SPDM indices first,
 * first+1, ...; the value of index i is the digest of "v<i>", or of "w<i>"
 * for the indices in other[] (a disagreeing RIM). */
static fwt_err big_corim(uint64_t first, size_t n, const uint64_t *other, size_t nother, unsigned char **out,
                         size_t *len)
{
	fwt_corim_create_options co = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_corim_refval *rv = calloc(n, sizeof(*rv));
	char (*keys)[24] = calloc(n, sizeof(*keys)), seed[32];
	size_t i, k;
	fwt_err err = FWT_ENOMEM;

	if (rv && keys) {
		for (i = 0; i < n; i++) {
			int w = 0;
			for (k = 0; k < nother; k++)
				w |= other[k] == first + i;
			snprintf(keys[i], sizeof(keys[i]), "%" PRIu64, first + i);
			snprintf(seed, sizeof(seed), "%c%" PRIu64, w ? 'w' : 'v', first + i);
			rv[i].key = keys[i];
			rv[i].n_digests = 1;
			rv[i].digests[0].alg = S256;
			mkdig(S256, seed, 0, rv[i].digests[0].value);
		}
		co.vendor = "ACME";
		co.model = "X1 server";
		co.refvals = rv;
		co.n_refvals = n;
		err = fwt_corim_create(ctx, &co, out, len);
	}
	free(rv);
	free(keys);
	return err;
}

/* 50,000 references in five RIMs of 10,000 distinct indices (3..50002),
 * and a sixth RIM agreeing on index 3 and disagreeing on 200 and 49999.  Conflicts
 * and matching once scanned every reference for each one (minutes at this
 * size); the results must be those of the pairwise rules.  Past
 * FWT_APPRAISE_MAX_REFS a RIM is refused as malformed. */
static void test_many_references(void)
{
	static const uint64_t small_idx[] = { 3, 200, 49999 }, disagree[] = { 200, 49999 };
	static const struct dv meas[] = { { "3", S256, "v3" }, { "200", S256, "v200" }, { "2", S256, "v2" }, END };
	fwt_appraise *a = NULL;
	char *ev = redfish(meas), name[32];
	json_t *rec = NULL, *sum, *conf;
	unsigned char *rim = NULL;
	size_t rl, i, k;
	fwt_appraise_component c;
	fwt_corim_create_options co = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_corim_refval rv[3];

	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "ev.json"), FWT_OK);
	for (i = 0; i < 5; i++) {
		T_EQ_INT(big_corim(3 + 10000 * i, 10000, NULL, 0, &rim, &rl), FWT_OK);
		snprintf(name, sizeof(name), "big%zu.corim", i);
		T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, name), FWT_OK);
		free(rim);
		rim = NULL;
	}
	/* the sixth RIM: index 3 as the others say, 200 and 49999 not */
	memset(rv, 0, sizeof(rv));
	for (k = 0; k < 3; k++) {
		snprintf(name, sizeof(name), "%c%" PRIu64, k ? 'w' : 'v', small_idx[k]);
		rv[k].key = k == 0 ? "3" : k == 1 ? "200" : "49999";
		rv[k].n_digests = 1;
		rv[k].digests[0].alg = S256;
		mkdig(S256, name, 0, rv[k].digests[0].value);
	}
	co.vendor = "ACME";
	co.model = "X1 server";
	co.refvals = rv;
	co.n_refvals = 3;
	T_EQ_INT(fwt_corim_create(ctx, &co, &rim, &rl), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "small.corim"), FWT_OK);
	free(rim);
	rim = NULL;
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	T_ASSERT(rec != NULL);
	sum = json_object_get(rec, "summary");
	T_EQ_INT(json_integer_value(json_object_get(sum, "match")), 2);
	T_EQ_INT(json_integer_value(json_object_get(sum, "mismatch")), 0);
	T_EQ_INT(json_integer_value(json_object_get(sum, "unknown")), 1);
	T_EQ_INT(json_integer_value(json_object_get(sum, "missing")), 49999); /* small.corim's 49999 too */
	T_EQ_INT(json_integer_value(json_object_get(sum, "conflicts")), 2);
	/* the evidence first, in its order; then the references never measured, in input order */
	T_EQ_INT(fwt_appraise_count(a), 50002);
	T_EQ_INT(fwt_appraise_get(a, 0, &c), FWT_OK);
	T_ASSERT(c.index == 3 && c.status == FWT_APPRAISE_MATCH && !strcmp(c.rim, "big0.corim"));
	T_EQ_INT(fwt_appraise_get(a, 1, &c), FWT_OK);
	T_ASSERT(c.index == 200 && c.status == FWT_APPRAISE_MATCH && !strcmp(c.rim, "big0.corim"));
	T_EQ_INT(fwt_appraise_get(a, 2, &c), FWT_OK);
	T_ASSERT(c.index == 2 && c.status == FWT_APPRAISE_UNKNOWN && !c.rim);
	T_EQ_INT(fwt_appraise_get(a, 3, &c), FWT_OK);
	T_ASSERT(c.index == 4 && c.status == FWT_APPRAISE_MISSING && !strcmp(c.rim, "big0.corim"));
	T_EQ_INT(fwt_appraise_get(a, 50000, &c), FWT_OK);
	T_ASSERT(c.index == 50002 && c.status == FWT_APPRAISE_MISSING && !strcmp(c.rim, "big4.corim"));
	T_EQ_INT(fwt_appraise_get(a, 50001, &c), FWT_OK);
	T_ASSERT(c.index == 49999 && c.status == FWT_APPRAISE_MISSING && !strcmp(c.rim, "small.corim"));
	T_EQ_INT(json_array_size(json_object_get(rec, "products")), 6); /* one per RIM: same product, six paths */
	/* conflicts in the order of each index's first reference, naming both RIMs */
	conf = json_object_get(rec, "conflicts");
	T_EQ_INT(json_array_size(conf), 2);
	for (k = 0; k < 2; k++) {
		json_t *e = json_array_get(conf, k), *refs = json_object_get(e, "references");
		T_EQ_INT(json_integer_value(json_object_get(e, "index")), (long long)disagree[k]);
		T_EQ_STR(json_string_value(json_object_get(e, "alg")), "sha256");
		T_EQ_INT(json_array_size(refs), 2);
		T_EQ_STR(json_string_value(json_object_get(json_array_get(refs, 0), "rim")), k ? "big4.corim" : "big0.corim");
		T_EQ_STR(json_string_value(json_object_get(json_array_get(refs, 1), "rim")), "small.corim");
	}
	json_decref(rec);
	fwt_appraise_free(a);

	/* the cap: 60,000 taken, the seventh RIM of 10,000 goes past 65,536 */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	for (i = 0; i < 7; i++) {
		fwt_err err;
		T_EQ_INT(big_corim(3 + 10000 * i, 10000, disagree, 2, &rim, &rl), FWT_OK);
		snprintf(name, sizeof(name), "big%zu.corim", i);
		err = fwt_appraise_add_rim(a, rim, rl, name);
		free(rim);
		rim = NULL;
		T_EQ_INT(err, i < 6 ? FWT_OK : FWT_EFORMAT);
	}
	T_EQ_STR(fwt_ctx_errmsg(ctx), "'big6.corim': more than 65536 reference values in one appraisal");
	fwt_appraise_free(a);
	free(ev);
}

/* A product is listed once per (vendor, product, version, source, path),
 * found by its canonical JSON rather than compared with every other. */
static void test_products_once(void)
{
	static const struct dv meas[] = { { "1", S384, "a" }, END }, refs[] = { { "1", S384, "a" }, END };
	fwt_appraise *a = NULL;
	char *ev = redfish(meas);
	unsigned char *rim = NULL;
	size_t rl;
	json_t *rec = NULL, *p;

	T_EQ_INT(corim(refs, &rim, &rl), FWT_OK);
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "ev.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "a.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "a.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "b.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, "", 0, "a.corim"), FWT_EFORMAT); /* rolled back: nothing changes */
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_OK);
	p = json_object_get(rec, "products");
	T_EQ_INT(json_array_size(p), 2);
	T_EQ_STR(json_string_value(json_object_get(json_array_get(p, 0), "path")), "a.corim");
	T_EQ_STR(json_string_value(json_object_get(json_array_get(p, 1), "path")), "b.corim");
	T_EQ_STR(json_string_value(json_object_get(json_array_get(p, 1), "product")), "X1 server");
	json_decref(rec);
	fwt_appraise_free(a);
	free(rim);
	free(ev);
}

/* Signer roles: the SPDM chains come before the RIMs whose signers are
 * checked against them (a chain added later could hold a signer already
 * accepted); without an accepted signer the order is free. */
static void test_chains_before_signers(void)
{
	fwt_appraise_options o = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise *a = NULL;
	fwt_trust *t = NULL;
	fwt_pubkey *k = NULL;

	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &k, "testdata/server/keys/vendor.pub"), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, k), FWT_OK);
	T_EQ_INT(fwt_trust_spdm_identity(k), 0); /* a bare key has no EKU */
	o.trust = t;
	o.at = 1793491200; /* 2026-11-01, inside the RIM's validity */
	T_EQ_INT(fwt_appraise_new(ctx, &a, &o), FWT_OK);
	T_EQ_INT(fwt_appraise_add_spdm_chain_file(a, "testdata/server/evidence/bmc-chain.pem"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim_file(a, "testdata/server/rim/vendor.signed.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_spdm_chain_file(a, "testdata/evidence/spdm/chain.pem"), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "SPDM chains must be added before the RIMs") != NULL);
	fwt_appraise_free(a);
	/* a RIM not verified (no trust store): chains may follow */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim_file(a, "testdata/server/rim/vendor.signed.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_spdm_chain_file(a, "testdata/server/evidence/bmc-chain.pem"), FWT_OK);
	fwt_appraise_free(a);
	/* version 1 options (without spdm_trust) are still read; 4 is unknown */
	o.version = 1;
	T_EQ_INT(fwt_appraise_new(ctx, &a, &o), FWT_OK);
	fwt_appraise_free(a);
	o.version = 4;
	T_EQ_INT(fwt_appraise_new(ctx, &a, &o), FWT_EINVAL);
	fwt_pubkey_free(k);
	fwt_trust_free(t);
}

/* ---- a tiny CBOR writer, for CoRIMs fwt_corim_create does not write
 * (a SHA-1-only reference, a version only, no reference value at all) ---- */

struct cb {
	unsigned char b[2048];
	size_t n;
};

static void cb_head(struct cb *c, unsigned major, uint64_t v)
{
	int k, bytes = v < 24 ? 0 : v < 0x100 ? 1 : v < 0x10000 ? 2 : v < 0x100000000ull ? 4 : 8;

	c->b[c->n++] = (unsigned char)(major << 5 | (bytes == 0 ? v : bytes == 1 ? 24 : bytes == 2 ? 25
	                                                      : bytes == 4 ? 26 : 27));
	for (k = bytes - 1; k >= 0; k--)
		c->b[c->n++] = (unsigned char)(v >> (8 * k));
}

static void cb_int(struct cb *c, int64_t v)
{
	if (v >= 0)
		cb_head(c, 0, (uint64_t)v);
	else
		cb_head(c, 1, (uint64_t)(-1 - v));
}

static void cb_bytes(struct cb *c, const void *p, size_t n)
{
	cb_head(c, 2, n);
	memcpy(c->b + c->n, p, n);
	c->n += n;
}

static void cb_text(struct cb *c, const char *s)
{
	cb_head(c, 3, strlen(s));
	memcpy(c->b + c->n, s, strlen(s));
	c->n += strlen(s);
}

/* A measurement map {0: key (uint when numeric, else text), 1: mval}, mval
 * holding the version when given, else one digest [cose alg, n bytes of
 * the seed's SHA-512]. */
static void cb_measurement(struct cb *c, const char *key, const char *version, int64_t alg, size_t n,
                           const char *seed)
{
	unsigned char d[64];

	cb_head(c, 5, 2);
	cb_int(c, 0);
	if (key[0] >= '0' && key[0] <= '9')
		cb_int(c, atoi(key));
	else
		cb_text(c, key);
	cb_int(c, 1);
	cb_head(c, 5, 1);
	if (version) { /* version-map {0: version} */
		cb_int(c, 0);
		cb_head(c, 5, 1);
		cb_int(c, 0);
		cb_text(c, version);
		return;
	}
	mkdig(FWT_DIGEST_SHA512, seed, 0, d);
	cb_int(c, 2);
	cb_head(c, 4, 1);
	cb_head(c, 4, 2);
	cb_int(c, alg);
	cb_bytes(c, d, n);
}

/* An unsigned CoRIM: one CoMID for ACME / X1 server with one reference
 * triple holding the n encoded measurements (n 0: no reference triple). */
static void cb_corim(struct cb *out, const struct cb *ms, size_t n)
{
	static const unsigned char id[16] = { 0x8d, 0x25, 0x81, 0x88, 0x24, 0x37, 0x88, 0x02,
		                              0xb9, 0x3a, 0xa7, 0x6b, 0xae, 0xa1, 0x0b, 0xd5 };
	struct cb comid;
	size_t i;

	memset(&comid, 0, sizeof(comid));
	cb_head(&comid, 5, 2);
	cb_int(&comid, 1); /* tag-identity {0: tag-id} */
	cb_head(&comid, 5, 1);
	cb_int(&comid, 0);
	cb_bytes(&comid, id, 16);
	cb_int(&comid, 4); /* triples */
	if (!n) {          /* only an endorsement triple: no reference value */
		cb_head(&comid, 5, 1);
		cb_int(&comid, 1);
		cb_head(&comid, 4, 1);
		cb_head(&comid, 4, 2);
		cb_head(&comid, 5, 1);
		cb_int(&comid, 0);
		cb_head(&comid, 5, 1);
		cb_int(&comid, 1);
		cb_text(&comid, "ACME");
		cb_head(&comid, 4, 1);
		cb_measurement(&comid, "1", "1.0", 0, 0, NULL);
	} else {
		cb_head(&comid, 5, 1);
		cb_int(&comid, 0); /* reference-triples */
		cb_head(&comid, 4, 1);
		cb_head(&comid, 4, 2);
		cb_head(&comid, 5, 1); /* environment {0: class {1: vendor, 2: model}} */
		cb_int(&comid, 0);
		cb_head(&comid, 5, 2);
		cb_int(&comid, 1);
		cb_text(&comid, "ACME");
		cb_int(&comid, 2);
		cb_text(&comid, "X1 server");
		cb_head(&comid, 4, n);
		for (i = 0; i < n; i++) {
			memcpy(comid.b + comid.n, ms[i].b, ms[i].n);
			comid.n += ms[i].n;
		}
	}
	memset(out, 0, sizeof(*out));
	cb_head(out, 6, 501);
	cb_head(out, 5, 2);
	cb_int(out, 0);
	cb_bytes(out, id, 16);
	cb_int(out, 1);
	cb_head(out, 4, 1);
	cb_head(out, 6, 506);
	cb_bytes(out, comid.b, comid.n);
}

/* Finding 4: a reference fwtrail cannot compare is never dropped silently:
 * "unverifiable" says which and why, and the record is not ok, even when
 * everything measured matches. */
static void test_unverifiable(void)
{
	static const struct {
		const char *name;
		const char *key, *version;
		int64_t alg;
		size_t n;
		const char *source;
		long long index; /* -1: null */
		const char *alg_name, *reason;
	} cases[] = {
		{ "SHA-1 only, SPDM index", "1", NULL, -14, 20, "spdm", 1, "sha1",
		  "the RIM gives only a SHA-1 reference for SPDM index 1, which fwtrail does not accept" },
		{ "a truncated SHA-256, PCR label", "pcr7:sb", NULL, -15, 8, "eventlog", 7, "sha-256/64",
		  "the RIM gives only a sha-256/64 reference for PCR 7 (key 'pcr7:sb'), which fwtrail does not accept" },
		{ "a version only, any PCR", "image", "1.2.3", 0, 0, "eventlog", -1, NULL,
		  "the RIM gives no digest for key 'image', only a version, which fwtrail cannot compare with the evidence" },
		/* labels that look like a PCR binding but do not parse never
		 * become references for any PCR */
		{ "a PCR label with a leading zero", "pcr00:bios", NULL, -43, 48, "eventlog", -1, "sha384",
		  "the RIM's label 'pcr00:bios' looks like a PCR binding but is not one (\"pcrN\" or \"pcrN:...\", N 0 to "
		  "23 without a leading zero): fwtrail cannot tell which PCR it is for" },
		{ "a PCR label in capitals", "PCR0:bios", NULL, -43, 48, "eventlog", -1, "sha384",
		  "the RIM's label 'PCR0:bios' looks like a PCR binding but is not one (\"pcrN\" or \"pcrN:...\", N 0 to "
		  "23 without a leading zero): fwtrail cannot tell which PCR it is for" },
		{ "a PCR label with a space", "pcr0 :bios", NULL, -43, 48, "eventlog", -1, "sha384",
		  "the RIM's label 'pcr0 :bios' looks like a PCR binding but is not one (\"pcrN\" or \"pcrN:...\", N 0 to "
		  "23 without a leading zero): fwtrail cannot tell which PCR it is for" },
		{ "a PCR number out of range", "pcr24", NULL, -43, 48, "eventlog", -1, "sha384",
		  "the RIM's label 'pcr24' looks like a PCR binding but is not one (\"pcrN\" or \"pcrN:...\", N 0 to "
		  "23 without a leading zero): fwtrail cannot tell which PCR it is for" },
	};
	struct dv meas[] = { { "2", S384, "b" }, END };
	struct cb ms[2], rim;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fwt_appraise *a = NULL;
		char *ev = redfish(meas), got[256];
		json_t *rec = NULL, *u, *e;
		unsigned char d[48];
		fwt_err rc;

		fprintf(stderr, "  unverifiable: %s\n", cases[i].name);
		/* index 2 as measured, by SHA-384 */
		memset(ms, 0, sizeof(ms));
		mkdig(S384, "b", 0, d);
		cb_head(&ms[0], 5, 2);
		cb_int(&ms[0], 0);
		cb_int(&ms[0], 2);
		cb_int(&ms[0], 1);
		cb_head(&ms[0], 5, 1);
		cb_int(&ms[0], 2);
		cb_head(&ms[0], 4, 1);
		cb_head(&ms[0], 4, 2);
		cb_int(&ms[0], -43);
		cb_bytes(&ms[0], d, 48);
		cb_measurement(&ms[1], cases[i].key, cases[i].version, cases[i].alg, cases[i].n, "x");
		/* the measured reference alone: ok */
		cb_corim(&rim, ms, 1);
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "ev.json"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim.b, rim.n, "rim.corim"), FWT_OK);
		T_EQ_INT(fwt_appraise_run(a, &rec), FWT_OK);
		T_EQ_INT(json_array_size(json_object_get(rec, "unverifiable")), 0);
		json_decref(rec);
		fwt_appraise_free(a);
		/* with the reference it cannot compare: not ok */
		cb_corim(&rim, ms, 2);
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "ev.json"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim.b, rim.n, "rim.corim"), FWT_OK);
		rc = fwt_appraise_run(a, &rec);
		statuses(a, got, sizeof(got));
		T_EQ_STR(got, "s2:match");
		T_EQ_INT(rc, FWT_EVERIFY);
		T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 1 reference that cannot be compared (of 1 components)");
		T_ASSERT(json_is_false(json_object_get(rec, "ok")));
		T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "unverifiable")), 1);
		u = json_object_get(rec, "unverifiable");
		T_EQ_INT(json_array_size(u), 1);
		e = json_array_get(u, 0);
		T_EQ_STR(json_string_value(json_object_get(e, "source")), cases[i].source);
		if (cases[i].index < 0)
			T_ASSERT(json_is_null(json_object_get(e, "index")));
		else
			T_EQ_INT(json_integer_value(json_object_get(e, "index")), cases[i].index);
		T_EQ_STR(json_string_value(json_object_get(e, "rim")), "rim.corim");
		T_EQ_STR(json_string_value(json_object_get(e, "format")), "corim");
		T_EQ_STR(json_string_value(json_object_get(e, "key")), cases[i].key);
		if (cases[i].alg_name) {
			T_EQ_INT(json_array_size(json_object_get(e, "algs")), 1);
			T_EQ_STR(json_string_value(json_array_get(json_object_get(e, "algs"), 0)), cases[i].alg_name);
		} else {
			T_EQ_INT(json_array_size(json_object_get(e, "algs")), 0);
		}
		T_EQ_STR(json_string_value(json_object_get(e, "reason")), cases[i].reason);
		/* the input still counts what it skipped (older readers) */
		T_EQ_INT(json_integer_value(json_object_get(json_array_get(json_object_get(rec, "inputs"), 1),
		                                            "skipped_measurements")),
		         1);
		/* the record is what the policy reads */
		T_EQ_INT(fwt_policy_record_check(ctx, rec, "rec"), FWT_OK);
		json_decref(rec);
		fwt_appraise_free(a);
		free(ev);
	}
}

/* Round 23: CoRIM matches a reference only when every claim of it
 * matches.  A digest that matches beside a claim fwtrail cannot compare
 * (flags, a minimum SVN, a raw value the evidence does not give) is no
 * match: the reference is unverifiable, the record not ok. */
static void test_conditions_beside_digest(void)
{
	static const struct {
		const char *name, *reason;
		int extra; /* 0 flags {0: true}, 1 min-svn 553(99), 2 a raw value 560(h'00') */
	} cases[] = {
		{ "flags", "the RIM's reference for SPDM index 2 also requires flags, which fwtrail cannot compare with "
		           "the evidence", 0 },
		{ "a minimum SVN", "also requires a minimum SVN", 1 },
		{ "a raw value beside the digest", "also requires a raw value beside its digests", 2 },
	};
	struct dv meas[] = { { "2", S384, "b" }, END };
	struct cb ms, rim;
	unsigned char d[48];
	size_t i;

	mkdig(S384, "b", 0, d);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fwt_appraise *a = NULL;
		char *ev = redfish(meas), got[256];
		json_t *rec = NULL, *e;

		memset(&ms, 0, sizeof(ms));
		cb_head(&ms, 5, 2);
		cb_int(&ms, 0);
		cb_int(&ms, 2);
		cb_int(&ms, 1);
		cb_head(&ms, 5, 2); /* mval: the matching digest, and the extra claim */
		if (cases[i].extra == 1) {
			cb_int(&ms, 1);
			cb_head(&ms, 6, 553);
			cb_int(&ms, 99);
		}
		cb_int(&ms, 2);
		cb_head(&ms, 4, 1);
		cb_head(&ms, 4, 2);
		cb_int(&ms, -43);
		cb_bytes(&ms, d, 48);
		if (cases[i].extra == 0) {
			cb_int(&ms, 3);
			cb_head(&ms, 5, 1);
			cb_int(&ms, 0);
			cb_head(&ms, 7, 21); /* true */
		} else if (cases[i].extra == 2) {
			cb_int(&ms, 4);
			cb_head(&ms, 6, 560);
			cb_bytes(&ms, "\0", 1);
		}
		cb_corim(&rim, &ms, 1);
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "ev.json"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim.b, rim.n, "rim.corim"), FWT_OK);
		if (fwt_appraise_run(a, &rec) != FWT_EVERIFY)
			T_FAIL_("%s: not a no", cases[i].name);
		statuses(a, got, sizeof(got));
		T_EQ_STR(got, "s2:unknown");
		T_ASSERT(json_is_false(json_object_get(rec, "ok")));
		e = json_array_get(json_object_get(rec, "unverifiable"), 0);
		if (!e || !strstr(json_string_value(json_object_get(e, "reason")), cases[i].reason))
			T_FAIL_("%s: no reason '%s'", cases[i].name, cases[i].reason);
		json_decref(rec);
		fwt_appraise_free(a);
		free(ev);
	}
}

/* A raw reference whose mask is not as long as its value compares with
 * nothing: its RIM is malformed (as a digest of the wrong length is),
 * never a mismatch against a device that reports the very value. */
static void test_raw_mask_length(void)
{
	static const unsigned char v[8] = { 5 }, mask[9] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const size_t masks[] = { 1, 9, 8 };
	fwt_appraise *a = NULL;
	size_t i;

	for (i = 0; i < 3; i++) {
		struct cb ms, rim;
		memset(&ms, 0, sizeof(ms));
		memset(&rim, 0, sizeof(rim));
		cb_head(&ms, 5, 2); /* {0: 7, 1: {4: 560(v), 5: mask}} */
		cb_int(&ms, 0);
		cb_int(&ms, 7);
		cb_int(&ms, 1);
		cb_head(&ms, 5, 2);
		cb_int(&ms, 4);
		cb_head(&ms, 6, 560);
		cb_bytes(&ms, v, sizeof(v));
		cb_int(&ms, 5);
		cb_bytes(&ms, mask, masks[i]);
		cb_corim(&rim, &ms, 1);
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim.b, rim.n, "m.corim"), masks[i] == 8 ? FWT_OK : FWT_EFORMAT);
		if (masks[i] != 8) /* at the mask's path, naming the measurement by its key */
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'m.corim': malformed CoRIM at /tags/0/triples/reference-triples/"
			                                     "0/measurements/0/mval/raw-value-mask: the raw value of measurement "
			                                     "7 is 8 bytes but its mask") != NULL);
		fwt_appraise_free(a);
		a = NULL;
	}
}

/* Finding 4: empty evidence is never ok; "no component was compared". */
static void test_nothing_compared(void)
{
	struct dv none[] = { END };
	struct cb rim, m;
	unsigned char *log;
	fwt_appraise *a = NULL;
	char *ev = redfish(none);
	size_t ll = 0, pass;
	json_t *rec = NULL;

	cb_corim(&rim, NULL, 0); /* a RIM without any reference value */
	log = eventlog(S256, none, &ll); /* the Spec ID header alone */
	for (pass = 0; pass < 2; pass++) {
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		if (pass)
			T_EQ_INT(fwt_appraise_add_evidence(a, log, ll, "empty.bin"), FWT_OK);
		else
			T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "none.json"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim.b, rim.n, "rim.corim"), FWT_OK);
		T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
		T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: no component was compared (the evidence measures nothing)");
		T_EQ_INT(fwt_appraise_count(a), 0);
		T_ASSERT(json_is_false(json_object_get(rec, "ok")));
		T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "components")), 0);
		T_EQ_INT(json_array_size(json_object_get(rec, "unverifiable")), 0);
		json_decref(rec);
		rec = NULL;
		fwt_appraise_free(a);
	}
	/* the repro: a signed RIM's only reference is SHA-1; both reasons */
	memset(&m, 0, sizeof(m));
	cb_measurement(&m, "1", NULL, -14, 20, "x");
	cb_corim(&rim, &m, 1);
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "none.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim.b, rim.n, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 1 reference that cannot be compared, no component was compared "
	                              "(the evidence measures nothing)");
	T_ASSERT(json_is_false(json_object_get(rec, "ok")));
	json_decref(rec);
	fwt_appraise_free(a);
	free(log);
	free(ev);
}

/* Several SPDM evidences (devices) in one run: each accounts for every
 * SPDM reference on its own, so a reference one did not measure is missing
 * for it, named; one without any block is not ok even beside others.  One
 * evidence reads as before (no "evidence" on a missing component). */
static void test_spdm_devices(void)
{
	struct dv all[] = { { "1", S384, "a" }, { "2", S384, "b" }, { "3", S384, "c" }, END };
	struct dv two[] = { { "1", S384, "a" }, { "2", S384, "b" }, END };
	struct dv none[] = { END };
	struct dv d256[] = { { "1", S384, "a" }, { "2", S384, "b" }, { "3", S256, "c" }, END };
	struct dv pcr[] = { { "pcr0", S256, "boot" }, END };
	struct dv ev0[] = { { "0", S256, "boot" }, END };
	char *a3 = redfish(all), *b2 = redfish(two), *c0 = redfish(none), *d3 = redfish(d256), got[512];
	unsigned char *rim = NULL, *log;
	size_t rl = 0, ll = 0, i;
	fwt_appraise *a = NULL;
	fwt_appraise_component c;
	json_t *rec = NULL;

	T_EQ_INT(corim(all, &rim, &rl), FWT_OK);
	/* device B alone: its index 3 is missing, for no evidence in particular */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, b2, strlen(b2), "b.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 1 missing (of 3 components)");
	T_EQ_INT(fwt_appraise_get(a, 2, &c), FWT_OK);
	T_EQ_INT(c.status, FWT_APPRAISE_MISSING);
	T_ASSERT(c.evidence == NULL);
	T_ASSERT(json_object_get(json_array_get(json_object_get(rec, "components"), 2), "evidence") == NULL);
	json_decref(rec);
	fwt_appraise_free(a);

	/* devices A and B: A's block 3 does not stand in for B's */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, a3, strlen(a3), "a.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, b2, strlen(b2), "b.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	statuses(a, got, sizeof(got));
	T_EQ_STR(got, "s1:match s2:match s3:match s1:match s2:match s3:missing");
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 1 missing (of 6 components)");
	T_EQ_INT(fwt_appraise_get(a, 5, &c), FWT_OK);
	T_EQ_STR(c.evidence, "b.json");
	T_EQ_STR(json_string_value(json_object_get(json_array_get(json_object_get(rec, "components"), 5), "evidence")),
	         "b.json");
	T_ASSERT(json_is_false(json_object_get(rec, "ok")));
	json_decref(rec);
	fwt_appraise_free(a);

	/* devices A and D, D measuring block 3 in SHA-256 only: reference 3
	 * (SHA-384) was never compared with D's block, so it is missing for D */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, a3, strlen(a3), "a.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, d3, strlen(d3), "d.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	statuses(a, got, sizeof(got));
	T_EQ_STR(got, "s1:match s2:match s3:match s1:match s2:match s3:unknown s3:missing");
	T_EQ_INT(fwt_appraise_get(a, 6, &c), FWT_OK);
	T_EQ_STR(c.evidence, "d.json");
	T_ASSERT(strstr(json_string_value(json_object_get(json_array_get(json_object_get(rec, "components"), 6), "note")),
	                "measured this index") != NULL);
	json_decref(rec);
	fwt_appraise_free(a);

	/* the same device twice: everything accounted for, ok */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, a3, strlen(a3), "a.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, a3, strlen(a3), "a2.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_OK);
	json_decref(rec);
	fwt_appraise_free(a);

	/* A and a device that measured nothing: each reference missing for
	 * it, and said so */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, a3, strlen(a3), "a.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, c0, strlen(c0), "c.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 3 missing, SPDM evidence 'c.json' measures nothing (of 6 components)");
	for (i = 3; i < 6; i++) {
		T_EQ_INT(fwt_appraise_get(a, i, &c), FWT_OK);
		T_EQ_INT(c.status, FWT_APPRAISE_MISSING);
		T_EQ_STR(c.evidence, "c.json");
	}
	json_decref(rec);
	fwt_appraise_free(a);

	/* an event log that matches and an empty SPDM evidence, against a RIM
	 * without SPDM references: the empty evidence alone makes it not ok */
	free(rim);
	T_EQ_INT(corim(pcr, &rim, &rl), FWT_OK);
	log = eventlog(S256, ev0, &ll);
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, log, ll, "host.log"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, c0, strlen(c0), "c.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	statuses(a, got, sizeof(got));
	T_EQ_STR(got, "e0:match");
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: SPDM evidence 'c.json' measures nothing (of 1 components)");
	T_ASSERT(json_is_false(json_object_get(rec, "ok")));
	json_decref(rec);
	fwt_appraise_free(a);
	/* the log alone is ok */
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, log, ll, "host.log"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_OK);
	json_decref(rec);
	fwt_appraise_free(a);
	free(log);
	free(rim);
	free(a3);
	free(b2);
	free(c0);
	free(d3);
}

/* An appraisal of two pieces of evidence (name a, then b) against one RIM. */
static fwt_appraise *two_against(const void *ea, size_t na, const char *a, const void *eb, size_t nb, const char *b,
                                 const void *rim, size_t rl)
{
	fwt_appraise *x = NULL;

	if (fwt_appraise_new(ctx, &x, NULL) != FWT_OK || fwt_appraise_add_evidence(x, ea, na, a) != FWT_OK ||
	    (eb && fwt_appraise_add_evidence(x, eb, nb, b) != FWT_OK) ||
	    fwt_appraise_add_rim(x, rim, rl, "rim.corim") != FWT_OK) {
		fwt_appraise_free(x);
		return NULL;
	}
	return x;
}

/* Run a and compare its result and the components' statuses (freed). */
static int runs_to(fwt_appraise *a, fwt_err want, const char *want_statuses)
{
	char got[512];
	fwt_err err;

	if (!a)
		return 0;
	err = fwt_appraise_run(a, NULL);
	statuses(a, got, sizeof(got));
	fwt_appraise_free(a);
	if (err == want && !strcmp(got, want_statuses))
		return 1;
	fprintf(stderr, "  run: %s '%s', want %s '%s'\n", fwt_err_name(err), got, fwt_err_name(want), want_statuses);
	return 0;
}

/* Several event logs in one run (two hosts, or --local beside a log
 * file): each accounts for every event-log reference on its own, as SPDM
 * devices do, so one log's events never stand in for another's; a log
 * without an extending event is not ok beside other evidence. */
static void test_eventlog_hosts(void)
{
	struct dv full[] = { { "0", S256, "a" }, { "4", S256, "b" }, { "7", S256, "c" }, END };
	struct dv part[] = { { "0", S256, "a" }, END };
	struct dv bad4[] = { { "0", S256, "a" }, { "4", S256, "z" }, { "7", S256, "c" }, END };
	struct dv none[] = { END };
	struct dv refs[] = { { "pcr0", S256, "a" }, { "pcr4", S256, "b" }, { "image", S256, "c" }, END };
	struct dv spdm[] = { { "1", S384, "x" }, END };
	unsigned char *rim = NULL, *srim = NULL, *lf, *lp, *lb, *l0;
	size_t rl = 0, sl = 0, nf = 0, np = 0, nb = 0, n0 = 0, i;
	char got[512], *dev = redfish(spdm);
	fwt_appraise *a = NULL;
	fwt_appraise_component c;
	json_t *rec = NULL;

	T_EQ_INT(corim(refs, &rim, &rl), FWT_OK);
	T_EQ_INT(corim(spdm, &srim, &sl), FWT_OK);
	lf = eventlog(S256, full, &nf);
	lp = eventlog(S256, part, &np);
	lb = eventlog(S256, bad4, &nb);
	l0 = eventlog(S256, none, &n0);

	/* host A complete, host B with PCR 0 alone: B's PCR 4 and PCR-less
	 * references are missing for B, though A measured them */
	T_ASSERT((a = two_against(lf, nf, "a.log", lp, np, "b.log", rim, rl)) != NULL);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	statuses(a, got, sizeof(got));
	T_EQ_STR(got, "e0:match e4:match e7:match e0:match e4:missing e?:missing");
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 2 missing (of 6 components)");
	for (i = 4; i < 6; i++) {
		T_EQ_INT(fwt_appraise_get(a, i, &c), FWT_OK);
		T_EQ_STR(c.evidence, "b.log");
		T_EQ_STR(json_string_value(json_object_get(json_array_get(json_object_get(rec, "components"), i),
		                                           "evidence")), "b.log");
	}
	json_decref(rec);
	fwt_appraise_free(a);

	/* the other way round: the same, B first */
	T_ASSERT(runs_to(two_against(lp, np, "b.log", lf, nf, "a.log", rim, rl), FWT_EVERIFY, "e0:match e0:match e4:match e7:match e4:missing e?:missing"));

	/* the same host twice: each accounts for everything, ok */
	T_ASSERT(runs_to(two_against(lf, nf, "a.log", lf, nf, "a2.log", rim, rl), FWT_OK, "e0:match e4:match e7:match e0:match e4:match e7:match"));

	/* pairing is per log too: A's other PCR 4 digest is a mismatch paired
	 * with the PCR 4 reference, whatever the other host measured */
	T_ASSERT(runs_to(two_against(lf, nf, "a.log", lb, nb, "z.log", rim, rl), FWT_EVERIFY, "e0:match e4:match e7:match e0:match e4:mismatch e7:match"));

	/* a log holding its header alone beside a complete one: every
	 * reference missing for it, and said so */
	T_ASSERT((a = two_against(lf, nf, "a.log", l0, n0, "empty.log", rim, rl)) != NULL);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	statuses(a, got, sizeof(got));
	T_EQ_STR(got, "e0:match e4:match e7:match e0:missing e4:missing e?:missing");
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 3 missing, event log 'empty.log' measures nothing (of 6 components)");
	T_EQ_INT(json_integer_value(json_object_get(json_array_get(json_object_get(rec, "inputs"), 1), "events")), 0);
	json_decref(rec);
	fwt_appraise_free(a);

	/* an SPDM device that matches and a log without an event, against a
	 * RIM without event-log references: the empty log alone makes it not
	 * ok (as empty SPDM evidence beside a log does) */
	T_ASSERT((a = two_against(dev, strlen(dev), "dev.json", l0, n0, "empty.log", srim, sl)) != NULL);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	statuses(a, got, sizeof(got));
	T_EQ_STR(got, "s1:match");
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: event log 'empty.log' measures nothing (of 1 components)");
	T_ASSERT(json_is_false(json_object_get(rec, "ok")));
	json_decref(rec);
	fwt_appraise_free(a);
	/* the device alone is ok */
	T_ASSERT((a = two_against(dev, strlen(dev), "dev.json", NULL, 0, NULL, srim, sl)) != NULL);
	T_EQ_INT(fwt_appraise_run(a, NULL), FWT_OK);
	fwt_appraise_free(a);

	free(rim);
	free(srim);
	free(lf);
	free(lp);
	free(lb);
	free(l0);
	free(dev);
}

/* One log against several RIMs: each RIM is a whole account of the log,
 * so a reference a platform RIM and an update RIM both hold is matched in
 * each, never reported missing from the one whose twin took the event;
 * a RIM that expects an event more often than logged still misses one. */
static fwt_appraise *log_against(const void *log, size_t n, const void *r1, size_t l1, const void *r2, size_t l2)
{
	fwt_appraise *x = NULL;

	if (fwt_appraise_new(ctx, &x, NULL) != FWT_OK || fwt_appraise_add_evidence(x, log, n, "host.log") != FWT_OK ||
	    fwt_appraise_add_rim(x, r1, l1, "platform.corim") != FWT_OK ||
	    fwt_appraise_add_rim(x, r2, l2, "update.corim") != FWT_OK) {
		fwt_appraise_free(x);
		return NULL;
	}
	return x;
}

static void test_rims_share_references(void)
{
	struct dv log[] = { { "0", S256, "a" }, { "4", S256, "b" }, { "4", S256, "b" }, { "7", S256, "c" }, END };
	struct dv plat[] = { { "pcr0", S256, "a" }, { "pcr4:1", S256, "b" }, { "pcr4:2", S256, "b" }, { "pcr7", S256, "c" },
	                     END };
	struct dv upd[] = { { "pcr0", S256, "a" }, { "pcr4", S256, "b" }, END };
	struct dv thrice[] = { { "pcr4:1", S256, "b" }, { "pcr4:2", S256, "b" }, { "pcr4:3", S256, "b" }, END };
	struct dv loose[] = { { "image", S256, "b" }, { "pcr0", S256, "a" }, END };
	unsigned char *l, *p = NULL, *u = NULL, *t = NULL, *o = NULL;
	size_t nl = 0, pl = 0, ul = 0, tl = 0, ol = 0;

	T_EQ_INT(corim(plat, &p, &pl), FWT_OK);
	T_EQ_INT(corim(upd, &u, &ul), FWT_OK);
	T_EQ_INT(corim(thrice, &t, &tl), FWT_OK);
	T_EQ_INT(corim(loose, &o, &ol), FWT_OK);
	l = eventlog(S256, log, &nl);
	T_ASSERT(runs_to(log_against(l, nl, p, pl, u, ul), FWT_OK, "e0:match e4:match e4:match e7:match"));
	T_ASSERT(runs_to(log_against(l, nl, u, ul, p, pl), FWT_OK, "e0:match e4:match e4:match e7:match"));
	T_ASSERT(runs_to(log_against(l, nl, o, ol, p, pl), FWT_OK, "e0:match e4:match e4:match e7:match"));
	/* three PCR 4 events expected, two logged: one missing, whichever
	 * RIM comes first */
	T_ASSERT(runs_to(log_against(l, nl, p, pl, t, tl), FWT_EVERIFY, "e0:match e4:match e4:match e7:match e4:missing"));
	T_ASSERT(runs_to(log_against(l, nl, t, tl, p, pl), FWT_EVERIFY, "e0:match e4:match e4:match e7:match e4:missing"));
	free(l);
	free(p);
	free(u);
	free(t);
	free(o);
}

/* Write text to root/rel (the folders exist). */
static int put(const char *root, const char *rel, const void *b, size_t n)
{
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (!(f = fopen(path, "wb")))
		return -1;
	ok = fwrite(b, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* The end of a --local test: its replay, log and fake sysfs tree go;
 * the status of removing the tree. */
static int local_done(fwt_pcrs *replay, fwt_eventlog *parsed, void *log, const char *root)
{
	char cmd[256];

	fwt_pcrs_free(replay);
	fwt_eventlog_free(parsed);
	free(log);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd);
}

/* --local: PCRs 0-7 are compared even when the log never extends them, so
 * a log stripped of every event of one of them does not replay to the
 * TPM (the TPM's PCR 7 holds what the firmware measured). */
static void test_local_stripped_pcr(void)
{
	struct dv evs[] = { { "0", S256, "a" }, { "4", S256, "b" }, END };
	struct dv refs[] = { { "pcr0", S256, "a" }, { "pcr4", S256, "b" }, END };
	char root[] = "/tmp/fwt-appraise-XXXXXX", cmd[256], rel[96], hex[2 * FWT_DIGEST_MAX + 2];
	unsigned char *log, *rim = NULL, pcr7[32];
	fwt_eventlog *parsed = NULL;
	fwt_pcrs *replay = NULL;
	fwt_appraise *a = NULL;
	size_t ll = 0, rl = 0;
	unsigned p, pass;
	json_t *rec = NULL, *tpm, *m;

	T_ASSERT(mkdtemp(root) != NULL);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/kernel/security/tpm0 %s/sys/class/tpm/tpm0/pcr-sha256", root, root);
	T_EQ_INT(system(cmd), 0);
	log = eventlog(S256, evs, &ll);
	T_EQ_INT(put(root, "sys/kernel/security/tpm0/binary_bios_measurements", log, ll), 0);
	/* the TPM holds what the log replays to: every PCR, PCR 7 at its
	 * reset value (pass 0), then PCR 7 extended by the firmware (pass 1) */
	T_EQ_INT(fwt_eventlog_parse(ctx, &parsed, log, ll, NULL), FWT_OK);
	T_EQ_INT(fwt_eventlog_replay(ctx, parsed, &replay), FWT_OK);
	T_EQ_INT(fwt_pcrs_selected(replay, S256), (1u << 0) | (1u << 4));
	mkdig(S256, "secure boot on", 0, pcr7);
	T_EQ_INT(corim(refs, &rim, &rl), FWT_OK);
	for (pass = 0; pass < 2; pass++) {
		for (p = 0; p < FWT_PCR_COUNT; p++) {
			fwt_hex_encode(hex, p == 7 && pass ? pcr7 : fwt_pcrs_get(replay, S256, p), 32);
			hex[64] = '\n';
			snprintf(rel, sizeof(rel), "sys/class/tpm/tpm0/pcr-sha256/%u", p);
			T_EQ_INT(put(root, rel, hex, 65), 0);
		}
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_local(a, root), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
		T_EQ_INT(fwt_appraise_run(a, &rec), pass ? FWT_EVERIFY : FWT_OK);
		tpm = json_object_get(json_array_get(json_object_get(rec, "inputs"), 0), "tpm");
		T_ASSERT(json_is_true(json_object_get(tpm, "compared")));
		T_EQ_INT(json_is_true(json_object_get(tpm, "match")), !pass);
		T_EQ_INT(json_array_size(json_object_get(tpm, "mismatches")), pass);
		if (pass) {
			T_EQ_STR(fwt_ctx_errmsg(ctx),
			         "not ok: the local event log does not replay to the TPM's PCRs (of 2 components)");
			m = json_array_get(json_object_get(tpm, "mismatches"), 0);
			T_EQ_STR(json_string_value(json_object_get(m, "bank")), "sha256");
			T_EQ_INT(json_integer_value(json_object_get(m, "pcr")), 7);
			T_EQ_STR(json_string_value(json_object_get(m, "replayed")),
			         "0000000000000000000000000000000000000000000000000000000000000000");
			fwt_hex_encode(hex, pcr7, 32);
			T_EQ_STR(json_string_value(json_object_get(m, "tpm")), hex);
		}
		T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "match")), 2);
		T_EQ_INT(fwt_policy_record_check(ctx, rec, "rec"), FWT_OK);
		json_decref(rec);
		rec = NULL;
		fwt_appraise_free(a);
	}
	free(rim);
	T_EQ_INT(local_done(replay, parsed, log, root), 0);
}

/* Write the 24 PCRs of bank alg (the log's replay, or zeros when the log
 * has no such bank) under root's fake sysfs. */
static void put_bank(const char *root, const fwt_pcrs *replay, fwt_digest_alg alg)
{
	char cmd[256], rel[96], hex[2 * FWT_DIGEST_MAX + 2];
	unsigned char zero[FWT_DIGEST_MAX] = { 0 };
	size_t n = fwt_digest_size(alg);
	unsigned p;

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/class/tpm/tpm0/pcr-%s", root, fwt_digest_name(alg));
	T_EQ_INT(system(cmd), 0);
	for (p = 0; p < FWT_PCR_COUNT; p++) {
		fwt_hex_encode(hex, fwt_pcrs_get(replay, alg, p) ? fwt_pcrs_get(replay, alg, p) : zero, n);
		hex[2 * n] = '\n';
		snprintf(rel, sizeof(rel), "sys/class/tpm/tpm0/pcr-%s/%u", fwt_digest_name(alg), p);
		T_EQ_INT(put(root, rel, hex, 2 * n + 1), 0);
	}
}

/* --local: only the digests of banks compared with the TPM count.  The
 * log carries SHA-256 (what ran: "evil") and SHA-384 (the golden value);
 * a TPM with a SHA-256 bank alone confirms the first only, so a SHA-384
 * RIM matches nothing; a TPM whose banks are none of the log's is a failed
 * comparison, not "not compared"; a TPM without any bank leaves the log as
 * --evidence would (every digest counts). */
static void test_local_banks(void)
{
	struct dv evs[] = { { "0", S384, "golden0", 0, S256, "evil0" }, { "4", S384, "golden4", 0, S256, "evil4" }, END };
	struct dv r384[] = { { "pcr0", S384, "golden0" }, { "pcr4", S384, "golden4" }, END };
	struct dv r256[] = { { "pcr0", S256, "evil0" }, { "pcr4", S256, "evil4" }, END };
	char root[] = "/tmp/fwt-appraise-XXXXXX", cmd[256], got[256];
	unsigned char *log, *rim = NULL;
	fwt_eventlog *parsed = NULL;
	fwt_pcrs *replay = NULL;
	fwt_appraise *a = NULL;
	size_t ll = 0, rl = 0;
	json_t *rec = NULL, *tpm, *c;
	unsigned k;

	T_ASSERT(mkdtemp(root) != NULL);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/kernel/security/tpm0", root);
	T_EQ_INT(system(cmd), 0);
	log = eventlog(S256 | S384, evs, &ll);
	T_EQ_INT(put(root, "sys/kernel/security/tpm0/binary_bios_measurements", log, ll), 0);
	T_EQ_INT(fwt_eventlog_parse(ctx, &parsed, log, ll, NULL), FWT_OK);
	T_EQ_INT(fwt_eventlog_replay(ctx, parsed, &replay), FWT_OK);
	put_bank(root, replay, S256);

	/* the TPM has SHA-256 only: the SHA-384 RIM matches nothing */
	for (k = 0; k < 2; k++) {
		T_EQ_INT(corim(k ? r256 : r384, &rim, &rl), FWT_OK);
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_local(a, root), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
		T_EQ_INT(fwt_appraise_run(a, &rec), k ? FWT_OK : FWT_EVERIFY);
		statuses(a, got, sizeof(got));
		T_EQ_STR(got, k ? "e0:match e4:match" : "e0:unknown e4:unknown e0:missing e4:missing");
		tpm = json_object_get(json_array_get(json_object_get(rec, "inputs"), 0), "tpm");
		T_ASSERT(json_is_true(json_object_get(tpm, "compared")) && json_is_true(json_object_get(tpm, "match")));
		T_EQ_INT(json_array_size(json_object_get(tpm, "banks")), 1);
		T_EQ_STR(json_string_value(json_array_get(json_object_get(tpm, "unconfirmed"), 0)), "sha384");
		c = json_array_get(json_object_get(rec, "components"), 0);
		T_ASSERT(json_object_get(json_object_get(c, "digests"), "sha384") == NULL);
		T_ASSERT(json_object_get(json_object_get(c, "digests"), "sha256") != NULL);
		if (!k)
			T_ASSERT(strstr(json_string_value(json_object_get(c, "note")), "sha384 digest is in no PCR bank the "
			                                                                "TPM confirmed") != NULL);
		T_EQ_INT(fwt_policy_record_check(ctx, rec, "rec"), FWT_OK);
		json_decref(rec);
		rec = NULL;
		fwt_appraise_free(a);
		free(rim);
	}

	/* the TPM has a SHA-1 bank only, none of the log's: a failed
	 * comparison, even for the SHA-256 RIM the log matches */
	snprintf(cmd, sizeof(cmd), "rm -r %s/sys/class/tpm/tpm0/pcr-sha256", root);
	T_EQ_INT(system(cmd), 0);
	put_bank(root, replay, FWT_DIGEST_SHA1);
	T_EQ_INT(corim(r256, &rim, &rl), FWT_OK);
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_local(a, root), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 2 unknown, 2 missing, the local event log has no PCR bank in common "
	                              "with the TPM (nothing could be compared) (of 4 components)");
	tpm = json_object_get(json_array_get(json_object_get(rec, "inputs"), 0), "tpm");
	T_ASSERT(json_is_true(json_object_get(tpm, "compared")) && json_is_false(json_object_get(tpm, "match")));
	T_EQ_INT(json_array_size(json_object_get(tpm, "banks")), 0);
	T_EQ_STR(json_string_value(json_object_get(tpm, "error")),
	         "the TPM's PCR banks (sha1) are none of those the log replays (sha256, sha384): no PCR could be compared");
	T_EQ_INT(fwt_policy_record_check(ctx, rec, "rec"), FWT_OK);
	json_decref(rec);
	rec = NULL;
	fwt_appraise_free(a);

	/* no PCR bank at all (no TPM 2.0, an old kernel): not compared, and
	 * the log counts as a file given with --evidence would */
	snprintf(cmd, sizeof(cmd), "rm -r %s/sys/class/tpm/tpm0/pcr-sha1", root);
	T_EQ_INT(system(cmd), 0);
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_local(a, root), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_OK);
	tpm = json_object_get(json_array_get(json_object_get(rec, "inputs"), 0), "tpm");
	T_ASSERT(json_is_false(json_object_get(tpm, "compared")) && json_is_string(json_object_get(tpm, "error")));
	json_decref(rec);
	fwt_appraise_free(a);
	free(rim);

	T_EQ_INT(local_done(replay, parsed, log, root), 0);
}

/* --local: once the TPM is found to have PCR banks, a PCR file of them
 * that cannot be read (missing) or parsed (not a digest) is a failed
 * comparison, never "not compared" with every digest of the log kept: a
 * log whose PCR 4 the TPM contradicts must not pass because another PCR
 * file is broken.  Only a TPM without any bank is "not compared". */
static void test_local_unreadable_pcr(void)
{
	struct dv evs[] = { { "0", S256, "a" }, { "4", S256, "b" }, END };
	struct dv refs[] = { { "pcr0", S256, "a" }, { "pcr4", S256, "b" }, END };
	char root[] = "/tmp/fwt-appraise-XXXXXX", cmd[256], rel[96];
	unsigned char *log, *rim = NULL;
	fwt_eventlog *parsed = NULL;
	fwt_pcrs *replay = NULL;
	fwt_appraise *a = NULL;
	size_t ll = 0, rl = 0;
	unsigned pass;
	json_t *rec = NULL, *tpm;
	const char *e;

	T_ASSERT(mkdtemp(root) != NULL);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/kernel/security/tpm0", root);
	T_EQ_INT(system(cmd), 0);
	log = eventlog(S256, evs, &ll);
	T_EQ_INT(put(root, "sys/kernel/security/tpm0/binary_bios_measurements", log, ll), 0);
	T_EQ_INT(fwt_eventlog_parse(ctx, &parsed, log, ll, NULL), FWT_OK);
	T_EQ_INT(fwt_eventlog_replay(ctx, parsed, &replay), FWT_OK);
	T_EQ_INT(corim(refs, &rim, &rl), FWT_OK);
	for (pass = 0; pass < 3; pass++) {
		put_bank(root, replay, S256);
		/* PCR 4 contradicts the log in passes 1 and 2 */
		if (pass)
			T_EQ_INT(put(root, "sys/class/tpm/tpm0/pcr-sha256/4",
			             "1111111111111111111111111111111111111111111111111111111111111111\n", 65), 0);
		snprintf(rel, sizeof(rel), "%s/sys/class/tpm/tpm0/pcr-sha256/7", root);
		if (pass == 1)
			T_EQ_INT(unlink(rel), 0);
		if (pass == 2)
			T_EQ_INT(put(root, "sys/class/tpm/tpm0/pcr-sha256/7", "garbage\n", 8), 0);
		T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
		T_EQ_INT(fwt_appraise_add_local(a, root), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "rim.corim"), FWT_OK);
		T_EQ_INT(fwt_appraise_run(a, &rec), pass ? FWT_EVERIFY : FWT_OK);
		tpm = json_object_get(json_array_get(json_object_get(rec, "inputs"), 0), "tpm");
		T_ASSERT(json_is_true(json_object_get(tpm, "compared")));
		T_EQ_INT(json_is_true(json_object_get(tpm, "match")), !pass);
		T_ASSERT(json_is_false(json_object_get(rec, "ok")) == !!pass);
		if (pass) {
			T_EQ_STR(fwt_ctx_errmsg(ctx), "not ok: 2 unknown, 2 missing, the TPM's PCRs could not be read (the "
			                              "local event log could not be compared) (of 4 components)");
			T_EQ_INT(json_array_size(json_object_get(tpm, "banks")), 0);
			e = json_string_value(json_object_get(tpm, "error"));
			T_ASSERT(e && !strncmp(e, "the TPM's PCRs could not be read: ", 34));
			T_ASSERT(strstr(e, pass == 1 ? "pcr-sha256/7': No such file" : "not a sha256 value") != NULL);
			/* nothing confirmed: no digest of the log is compared */
			T_EQ_STR(json_string_value(json_array_get(json_object_get(tpm, "unconfirmed"), 0)), "sha256");
		}
		T_EQ_INT(fwt_policy_record_check(ctx, rec, "rec"), FWT_OK);
		json_decref(rec);
		rec = NULL;
		fwt_appraise_free(a);
	}
	free(rim);
	T_EQ_INT(local_done(replay, parsed, log, root), 0);
}

static void test_refvals(void)
{
	struct dv ev[] = { { "0", S384, "a" }, { "7", S384, "b", 0, S256, "c" }, { "0", S384, "d" }, END };
	fwt_eventlog *log = NULL;
	fwt_corim_refval *rv = NULL;
	unsigned char *b, d[64];
	size_t n = 0, len = 0;

	b = eventlog(FWT_DIGEST_SHA1 | S256 | S384, ev, &len);
	T_EQ_INT(fwt_eventlog_parse(ctx, &log, b, len, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_refvals_from_eventlog(ctx, log, 0, &rv, &n), FWT_OK);
	T_EQ_INT(n, 3);
	T_EQ_STR(rv[0].key, "pcr0:ev1");
	T_EQ_STR(rv[1].key, "pcr7:ev2");
	T_EQ_STR(rv[2].key, "pcr0:ev3");
	T_EQ_INT(rv[1].n_digests, 2); /* SHA-256 and SHA-384; SHA-1 left out */
	T_EQ_INT(rv[1].digests[0].alg, S256);
	mkdig(S256, "c", 0, d);
	T_EQ_MEM(rv[1].digests[0].value, d, 32);
	T_EQ_INT(rv[1].digests[1].alg, S384);
	mkdig(S384, "b", 0, d);
	T_EQ_MEM(rv[1].digests[1].value, d, 48);
	fwt_appraise_refvals_free(rv, n);
	T_EQ_INT(fwt_appraise_refvals_from_eventlog(ctx, log, 1u << 7, &rv, &n), FWT_OK);
	T_EQ_INT(n, 1);
	T_EQ_STR(rv[0].key, "pcr7:ev2");
	fwt_appraise_refvals_free(rv, n);
	T_EQ_INT(fwt_appraise_refvals_from_eventlog(ctx, log, 1u << 3, &rv, &n), FWT_EINVAL);
	T_ASSERT(rv == NULL && n == 0);
	fwt_eventlog_free(log);
	free(b);
	b = eventlog(FWT_DIGEST_SHA1, ev, &len);
	T_EQ_INT(fwt_eventlog_parse(ctx, &log, b, len, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_refvals_from_eventlog(ctx, log, 0, &rv, &n), FWT_EUNSUPPORTED);
	fwt_eventlog_free(log);
	free(b);
}

/* SPDM raw blocks as raw values (spdm12.bin: digest blocks 1-5, raw blocks
 * 6 a version, 7 an SVN, 8 a manifest; expected.json): with the digests, a
 * CoRIM that makes the same capture match in every block. */
static void test_rawvals_from_spdm(void)
{
	static const char *const want[] = { "6677747261696c2d7465737420312e322e33", "0500000000000000",
		                            "293e95058085a978d797d02e26917d76c17363ae10d0661368098a20d1214e58fb9c6f71e58b8532" };
	fwt_corim_create_options co = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_corim_rawval *w = (fwt_corim_rawval *)1;
	fwt_corim_refval *rv = NULL;
	fwt_appraise_component comp;
	fwt_appraise *a = NULL;
	fwt_spdm *s = NULL;
	unsigned char *ev, *rim = NULL, v[64];
	size_t nb = 0, nw = 99, nrv = 0, skipped = 0, rlen = 0, i, len, match = 0;
	json_t *rec = NULL;

	ev = t_slurp("testdata/evidence/spdm/spdm12.bin", &nb);
	T_ASSERT(ev != NULL);
	T_EQ_INT(fwt_spdm_parse(ctx, &s, ev, nb, "spdm12.bin"), FWT_OK);
	T_EQ_INT(fwt_appraise_rawvals_from_spdm(ctx, s, &w, &nw), FWT_OK);
	T_EQ_INT(nw, 3);
	for (i = 0; i < 3; i++) {
		char key[4];
		snprintf(key, sizeof(key), "%zu", i + 6);
		T_EQ_STR(w[i].key, key);
		T_EQ_INT(fwt_hex_decode(v, sizeof(v), want[i], strlen(want[i]), &len), FWT_OK);
		T_EQ_INT(w[i].len, len);
		T_EQ_MEM(w[i].value, v, len);
	}
	/* the digests: raw blocks still counted in skipped, as before */
	T_EQ_INT(fwt_appraise_refvals_from_spdm(ctx, s, &rv, &nrv, &skipped), FWT_OK);
	T_EQ_INT(nrv, 5);
	T_EQ_INT(skipped, 3);
	co.vendor = "ACME";
	co.model = "DEV";
	co.refvals = rv;
	co.n_refvals = nrv;
	co.rawvals = w;
	co.n_rawvals = nw;
	T_EQ_INT(fwt_corim_create(ctx, &co, &rim, &rlen), FWT_OK);
	fwt_appraise_refvals_free(rv, nrv);
	fwt_appraise_rawvals_free(w, nw);
	fwt_spdm_free(s);
	s = NULL;
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, nb, "spdm12.bin"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rlen, "golden.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_OK); /* no trust given: the RIM's signature is not asked for */
	T_ASSERT(json_is_true(json_object_get(rec, "ok")));
	T_EQ_INT(fwt_appraise_count(a), 8);
	for (i = 0; i < fwt_appraise_count(a); i++) {
		T_EQ_INT(fwt_appraise_get(a, i, &comp), FWT_OK);
		match += comp.status == FWT_APPRAISE_MATCH;
	}
	T_EQ_INT(match, 8);
	T_EQ_INT(json_integer_value(json_object_get(json_object_get(rec, "summary"), "match")), 8);
	json_decref(rec);
	fwt_appraise_free(a);
	free(rim);
	free(ev);
	/* a capture of digests only: no raw value, and no error */
	ev = t_slurp("testdata/evidence/spdm/spdm11.bin", &nb);
	T_ASSERT(ev != NULL);
	T_EQ_INT(fwt_spdm_parse(ctx, &s, ev, nb, "spdm11.bin"), FWT_OK);
	w = (fwt_corim_rawval *)1;
	nw = 99;
	T_EQ_INT(fwt_appraise_rawvals_from_spdm(ctx, s, &w, &nw), FWT_OK);
	T_ASSERT(w == NULL && nw == 0);
	T_EQ_INT(fwt_appraise_rawvals_from_spdm(ctx, NULL, &w, &nw), FWT_EINVAL);
	T_EQ_INT(fwt_appraise_rawvals_from_spdm(ctx, s, NULL, &nw), FWT_EINVAL);
	fwt_appraise_rawvals_free(NULL, 3);
	fwt_spdm_free(s);
	free(ev);
}

/* Roles apart (sfr_trust): an SFR verifies against sfr_trust alone, a RIM
 * against trust alone; an SFR-profile CoRIM given as a RIM is no RIM. */
static void test_sfr_trust(void)
{
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_trust *vendor = NULL, *reviewer = NULL;
	fwt_appraise *a = NULL;
	json_t *rec = NULL, *sigs;
	unsigned char *sfr, *rim;
	size_t ns, nr, i, seen = 0;
	int pass;

	if (!(sfr = slurp("testdata/server/sfr/bmc-3.1.sfr.jws", &ns)))
		T_SKIP("testdata/server is missing");
	T_ASSERT((rim = slurp("testdata/server/rim/vendor.signed.corim", &nr)) != NULL);
	server_stores(&vendor, &reviewer);
	for (pass = 0; pass < 2; pass++) {
		/* pass 0: the roles swapped, so neither verifies; pass 1: right */
		ao.trust = pass ? vendor : reviewer;
		ao.sfr_trust = pass ? reviewer : vendor;
		ao.at = 1800000000;
		T_EQ_INT(fwt_appraise_new(ctx, &a, &ao), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim(a, rim, nr, "vendor.signed.corim"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_sfr(a, sfr, ns, "bmc-3.1.sfr.jws"), FWT_OK);
		/* no evidence matched: not ok either way; only the signatures matter here */
		T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY);
		T_ASSERT(rec != NULL);
		sigs = json_object_get(rec, "signatures");
		for (i = 0; i < json_array_size(sigs); i++) {
			json_t *g = json_array_get(sigs, i);
			const char *in = json_string_value(json_object_get(g, "path"));
			if (in && (!strcmp(in, "vendor.signed.corim") || !strcmp(in, "bmc-3.1.sfr.jws"))) {
				T_EQ_INT(json_is_true(json_object_get(g, "verified")), pass);
				seen++;
			}
		}
		json_decref(rec);
		rec = NULL;
		fwt_appraise_free(a);
		a = NULL;
	}
	T_EQ_INT(seen, 4);
	free(sfr);
	free(rim);
	fwt_trust_free(vendor);
	fwt_trust_free(reviewer);
}

/* A failed run has no result: no component is handed out (a default would
 * read "match"). */
static void test_failed_run_no_components(void)
{
	static const struct dv meas[] = { { "1", S384, "a" }, END }, refs[] = { { "1", S384, "b" }, END };
	char *ev = redfish(meas);
	unsigned char *rim = NULL, nonce[32] = { 0 };
	size_t rl;
	fwt_appraise *a = NULL;
	fwt_appraise_component c;

	T_EQ_INT(corim(refs, &rim, &rl), FWT_OK);
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence(a, ev, strlen(ev), "ev.json"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, rl, "r.corim"), FWT_OK);
	T_EQ_INT(fwt_appraise_set_spdm_nonce(a, "r.corim", nonce), FWT_OK); /* names no SPDM evidence */
	T_EQ_INT(fwt_appraise_run(a, NULL), FWT_EINVAL);
	T_EQ_INT(fwt_appraise_count(a), 0);
	T_EQ_INT(fwt_appraise_get(a, 0, &c), FWT_EINVAL);
	fwt_appraise_free(a);
	free(rim);
	free(ev);
}

/* Reviews are tied to their own input, not to its name: two SFRs a library
 * caller adds without a name ("-" both), one reviewing the BMC image and
 * one reviewing an image not measured: only the first gives the BMC's
 * product entry (its version alone reaches the rollback rule). */
static void test_products_by_input(void)
{
	static const char *const sfrs[] = { "testdata/server/sfr/bmc-3.0.sfr.jws", "testdata/server/sfr/bmc-3.1.sfr.jws" };
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise *a = NULL;
	fwt_trust *trust = NULL;
	json_t *rec = NULL, *p;
	unsigned char *b;
	size_t i, n, found = 0;

	if (access("testdata/server/sfr/bmc-3.0.sfr.jws", R_OK) != 0)
		T_SKIP("testdata/server is missing");
	T_EQ_INT(fwt_trust_new(ctx, &trust), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(trust, "testdata/server/trust"), FWT_OK);
	ao.trust = trust;
	ao.at = 1780000000; /* 2026-05-28 */
	T_EQ_INT(fwt_appraise_new(ctx, &a, &ao), FWT_OK);
	T_EQ_INT(fwt_appraise_add_evidence_file(a, "testdata/server/evidence/bmc.spdm"), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim_file(a, "testdata/server/rim/vendor.signed.corim"), FWT_OK);
	for (i = 0; i < 2; i++) {
		b = slurp(sfrs[i], &n);
		T_ASSERT(b != NULL);
		T_EQ_INT(fwt_appraise_add_sfr(a, b, n, NULL), FWT_OK);
		free(b);
	}
	T_EQ_INT(fwt_appraise_run(a, &rec), FWT_EVERIFY); /* the host's references are missing */
	T_ASSERT(rec != NULL);
	json_array_foreach(json_object_get(rec, "products"), i, p) {
		if (!json_object_get(p, "component"))
			continue;
		found++;
		T_EQ_STR(json_string_value(json_object_get(p, "component")), "spdm:2");
		T_EQ_STR(json_string_value(json_object_get(p, "fw_version")), "3.1");
		T_ASSERT(!json_object_get(p, "_input"));
	}
	T_EQ_INT(found, 1);
	json_decref(rec);
	fwt_appraise_free(a);
	fwt_trust_free(trust);
}

/* An SVN the appraisal record's JSON cannot carry exactly is refused, never
 * wrapped to a negative number for the rollback rule: by the decoder, as
 * rim verify and show refuse it, naming the RIM, the path and the key. */
static void test_svn_above_int64(void)
{
	static const char hex[] = "d901f5a20061630181d901fa585ba201a100617404a1008182a100a201614102614d81a2000101a2011b"
	                          "ffffffffffffffff028182382a5830"
	                          "111111111111111111111111111111111111111111111111"
	                          "111111111111111111111111111111111111111111111111";
	unsigned char rim[256];
	size_t n;
	fwt_appraise *a;

	T_EQ_INT(fwt_hex_decode(rim, sizeof(rim), hex, strlen(hex), &n), FWT_OK);
	T_EQ_INT(fwt_appraise_new(ctx, &a, NULL), FWT_OK);
	T_EQ_INT(fwt_appraise_add_rim(a, rim, n, "big-svn.corim"), FWT_EUNSUPPORTED);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "'big-svn.corim': CoRIM at /tags/0/triples/reference-triples/0/measurements/0/"
	                              "mval/svn: the SVN of measurement 1, 18446744073709551615, is above 2^63-1, the "
	                              "largest fwtrail compares");
	fwt_appraise_free(a);
}

/* fwt_appraise_run_lazy: the record of fwt_appraise_run without its
 * components, each made by fwt_appraise_component_json exactly as the
 * whole record holds it; the same code and message. */
static void test_lazy_record(void)
{
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise *a[2] = { NULL, NULL };
	fwt_trust *trust = NULL;
	json_t *rec[2] = { NULL, NULL }, *c = (json_t *)1, *whole;
	char msg[2][512];
	size_t i, k, n;
	fwt_err rc[2];

	if (access("testdata/server/evidence/host.log", R_OK))
		T_SKIP("testdata/server is missing");
	T_EQ_INT(fwt_trust_new(ctx, &trust), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(trust, "testdata/server/trust"), FWT_OK);
	ao.trust = trust;
	ao.at = 1800000000;
	for (k = 0; k < 2; k++) {
		T_EQ_INT(fwt_appraise_new(ctx, &a[k], &ao), FWT_OK);
		T_EQ_INT(fwt_appraise_component_json(a[k], 0, &c), FWT_EINVAL); /* before the run */
		T_ASSERT(c == NULL);
		T_EQ_INT(fwt_appraise_add_evidence_file(a[k], "testdata/server/evidence/host.log"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_evidence_file(a[k], "testdata/server/evidence/bmc-tampered.spdm"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_rim_file(a[k], "testdata/server/rim/vendor.signed.corim"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_sfr_file(a[k], "testdata/server/sfr/bios-2.0.sfr.jws"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_sfr_file(a[k], "testdata/server/sfr/boot.sfr.jws"), FWT_OK);
		T_EQ_INT(fwt_appraise_add_sfr_file(a[k], "testdata/server/sfr/bmc-3.1-other-product.sfr.jws"), FWT_OK);
		rc[k] = k ? fwt_appraise_run_lazy(a[k], &rec[k]) : fwt_appraise_run(a[k], &rec[k]);
		snprintf(msg[k], sizeof(msg[k]), "%s", fwt_ctx_errmsg(ctx));
	}
	T_EQ_INT(rc[0], FWT_EVERIFY); /* the tampered BMC image */
	T_EQ_INT(rc[1], rc[0]);
	T_EQ_STR(msg[1], msg[0]);
	n = fwt_appraise_count(a[0]);
	T_ASSERT(n > 10);
	T_EQ_INT(fwt_appraise_count(a[1]), n);
	whole = json_object_get(rec[0], "components");
	T_EQ_INT(json_array_size(whole), n);
	T_EQ_INT(json_array_size(json_object_get(rec[1], "components")), 0);
	for (i = 0; i < n; i++) {
		T_EQ_INT(fwt_appraise_component_json(a[1], i, &c), FWT_OK);
		T_ASSERT(json_equal(c, json_array_get(whole, i)));
		json_decref(c);
	}
	T_ASSERT(json_is_object(json_object_get(json_array_get(whole, n - 1), "review")));
	T_EQ_INT(fwt_appraise_component_json(a[1], n, &c), FWT_EINVAL);
	T_ASSERT(c == NULL);
	T_EQ_INT(fwt_appraise_component_json(a[1], 0, NULL), FWT_EINVAL);
	T_EQ_INT(fwt_appraise_run_lazy(a[1], NULL), FWT_EINVAL); /* once only */
	/* all else is the same record */
	json_object_del(rec[0], "components");
	json_object_del(rec[1], "components");
	T_ASSERT(json_equal(rec[0], rec[1]));
	for (k = 0; k < 2; k++) {
		json_decref(rec[k]);
		fwt_appraise_free(a[k]);
	}
	fwt_trust_free(trust);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_spdm_table);
	T_RUN(test_svn_above_int64);
	T_RUN(test_failed_run_no_components);
	T_RUN(test_products_by_input);
	T_RUN(test_raw_conflicts);
	T_RUN(test_eventlog_table);
	T_RUN(test_reviews);
	T_RUN(test_reviews_cross_checked);
	T_RUN(test_review_unreadable_fields);
	T_RUN(test_raw_mask_length);
	T_RUN(test_review_many_cwes);
	T_RUN(test_review_vector_scores);
	T_RUN(test_reviews_unverified_rim);
	T_RUN(test_rim_dates_without_trust);
	T_RUN(test_sfr_trust);
	T_RUN(test_spdm_signatures);
	T_RUN(test_spdm_unsigned_and_nonces);
	T_RUN(test_spdm_state);
	T_RUN(test_malformed);
	T_RUN(test_refvals);
	T_RUN(test_rawvals_from_spdm);
	T_RUN(test_unverifiable);
	T_RUN(test_conditions_beside_digest);
	T_RUN(test_nothing_compared);
	T_RUN(test_spdm_devices);
	T_RUN(test_eventlog_hosts);
	T_RUN(test_rims_share_references);
	T_RUN(test_local_stripped_pcr);
	T_RUN(test_local_banks);
	T_RUN(test_local_unreadable_pcr);
	T_RUN(test_many_references);
	T_RUN(test_chains_before_signers);
	T_RUN(test_products_once);
	T_RUN(test_lazy_record);
	fwt_ctx_free(ctx);
	return t_done();
}
