/* SPDX-License-Identifier: Apache-2.0 */
/* sfr.c - OCP SAFE Short Form Reports: the model, its JSON codec, the issue
 * list loaders (JSON, CSV), lint, and checking signed reports (JWS, COSE;
 * one or many, on several threads).  The CoRIM codec is in sfr_corim.c. */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <openssl/crypto.h>
#include <fwtrail/cbor.h>
#include <fwtrail/corim.h>
#include <fwtrail/cose.h>
#include <fwtrail/cvss.h>
#include <fwtrail/hex.h>
#include <fwtrail/io.h>
#include <fwtrail/json.h>
#include <fwtrail/sfr.h>
#include "cbor_internal.h"
#include "internal.h"
#include "sfr_internal.h"
#include "banned.h"

/* ---- the model ---- */

struct val {
	char *s; /* NULL unless kind is STRING, INTEGER or REAL */
	size_t len;
	fwt_sfr_kind kind;
};

struct issue {
	struct val f[FWT_SFR_ISSUE_FIELD_COUNT];
};

struct mentry {
	char *name;
	size_t len;
	unsigned char hash[64];
};

struct unkept {
	char *path;  /* "/corim-map/rim-validity", "/ocp-safe-sfr/issues/0/9" */
	int unknown; /* a key the profile does not define */
};

struct fwt_sfr {
	struct val f[FWT_SFR_FIELD_COUNT];
	int scope_old;         /* the report says "scope" (older frameworks) */
	int scope_both;        /* ... and "scope_number" too */
	int has_iat;
	int64_t iat;           /* whole seconds, the floor of a JSON real */
	int iat_real;          /* read as a JSON real: to_json keeps it as written */
	double iat_frac;       /* the real's fraction of a second above iat (0 <= f < 1) */
	int has_exp, has_nbf;  /* the JWT claims exp and nbf, whole seconds */
	int64_t exp, nbf;
	int has_manifest;
	int manifest_from_json;
	struct mentry *man;
	size_t nman;
	struct issue *issues;
	size_t nissues, capissues;
	int issues_absent;     /* read from JSON without audit.issues */
	json_t *orig;          /* the tree it was read from */
	struct unkept *unkept; /* read from the CoRIM form: what the model has no place for */
	size_t n_unkept;
};

static const struct {
	const char *obj; /* NULL: top level */
	const char *key;
	const char *path;
} fields[FWT_SFR_FIELD_COUNT] = {
	{ NULL, "review_framework_version", "$.review_framework_version" },
	{ "device", "vendor", "$.device.vendor" },
	{ "device", "product", "$.device.product" },
	{ "device", "category", "$.device.category" },
	{ "device", "repo_tag", "$.device.repo_tag" },
	{ "device", "fw_version", "$.device.fw_version" },
	{ "device", "fw_hash_sha2_384", "$.device.fw_hash_sha2_384" },
	{ "device", "fw_hash_sha2_512", "$.device.fw_hash_sha2_512" },
	{ "audit", "srp", "$.audit.srp" },
	{ "audit", "methodology", "$.audit.methodology" },
	{ "audit", "completion_date", "$.audit.completion_date" },
	{ "audit", "report_version", "$.audit.report_version" },
	{ "audit", "scope_number", "$.audit.scope_number" },
	{ "audit", "cvss_version", "$.audit.cvss_version" },
};

static const char *const issue_names[FWT_SFR_ISSUE_FIELD_COUNT] = {
	"title", "cvss_score", "cvss_vector", "cwe", "description", "cve"
};

static void val_clear(struct val *v)
{
	free(v->s);
	v->s = NULL;
	v->len = 0;
	v->kind = FWT_SFR_ABSENT;
}

/* Valid UTF-8 without NUL (what JSON strings can carry here). */
static int utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, need;
	unsigned cp;

	while (i < n) {
		unsigned char c = p[i];
		if (!c)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		need = c >= 0xf0 && c < 0xf5 ? 3 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : 0;
		if (!need || i + need >= n)
			return 0;
		cp = c & (need == 1 ? 0x1f : need == 2 ? 0x0f : 0x07);
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < (need == 1 ? 0x80u : need == 2 ? 0x800u : 0x10000u) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

static fwt_err val_set(struct val *v, const char *s, size_t len, fwt_sfr_kind kind)
{
	char *c;

	if (!s) {
		val_clear(v);
		if (kind == FWT_SFR_NULL)
			v->kind = FWT_SFR_NULL;
		return FWT_OK;
	}
	if (!utf8_ok(s, len))
		return FWT_EINVAL;
	c = fwt__strndup(s, len);
	if (!c)
		return FWT_ENOMEM;
	free(v->s);
	v->s = c;
	v->len = len;
	v->kind = kind;
	return FWT_OK;
}

fwt_err fwt_sfr_new(fwt_sfr **out)
{
	if (!out)
		return FWT_EINVAL;
	*out = calloc(1, sizeof(**out));
	return *out ? FWT_OK : FWT_ENOMEM;
}

static void manifest_clear(fwt_sfr *s)
{
	size_t i;

	for (i = 0; i < s->nman; i++)
		free(s->man[i].name);
	free(s->man);
	s->man = NULL;
	s->nman = 0;
	s->has_manifest = 0;
	s->manifest_from_json = 0;
}

void fwt_sfr_issues_clear(fwt_sfr *s)
{
	size_t i, k;

	if (!s)
		return;
	for (i = 0; i < s->nissues; i++)
		for (k = 0; k < FWT_SFR_ISSUE_FIELD_COUNT; k++)
			val_clear(&s->issues[i].f[k]);
	free(s->issues);
	s->issues = NULL;
	s->nissues = s->capissues = 0;
}

void fwt_sfr_free(fwt_sfr *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < FWT_SFR_FIELD_COUNT; i++)
		val_clear(&s->f[i]);
	manifest_clear(s);
	fwt_sfr_issues_clear(s);
	json_decref(s->orig);
	for (i = 0; i < s->n_unkept; i++)
		free(s->unkept[i].path);
	free(s->unkept);
	free(s);
}

int fwt__sfr_unkept(fwt_sfr *s, const char *path, int unknown)
{
	struct unkept *grown;

	if (s->n_unkept >= 4096) /* named enough; the rest are lost all the same */
		return 0;
	grown = realloc(s->unkept, (s->n_unkept + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	s->unkept = grown;
	if (!(grown[s->n_unkept].path = strdup(path)))
		return -1;
	grown[s->n_unkept++].unknown = unknown;
	return 0;
}

const char *fwt_sfr_field_path(const fwt_sfr *s, fwt_sfr_field f)
{
	if ((unsigned)f >= FWT_SFR_FIELD_COUNT)
		return "$";
	if (f == FWT_SFR_SCOPE && s && s->scope_old)
		return "$.audit.scope";
	return fields[f].path;
}

const char *fwt_sfr_issue_field_name(fwt_sfr_issue_field f)
{
	return (unsigned)f < FWT_SFR_ISSUE_FIELD_COUNT ? issue_names[f] : "";
}

const char *fwt_sfr_get(const fwt_sfr *s, fwt_sfr_field f, size_t *len)
{
	if (len)
		*len = 0;
	if (!s || (unsigned)f >= FWT_SFR_FIELD_COUNT || !s->f[f].s)
		return NULL;
	if (len)
		*len = s->f[f].len;
	return s->f[f].s;
}

fwt_sfr_kind fwt_sfr_kind_of(const fwt_sfr *s, fwt_sfr_field f)
{
	return s && (unsigned)f < FWT_SFR_FIELD_COUNT ? s->f[f].kind : FWT_SFR_ABSENT;
}

static int all_digits(const char *v, size_t len)
{
	size_t i;

	if (!len || len > 18 || (len > 1 && v[0] == '0'))
		return 0;
	for (i = 0; i < len; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

fwt_err fwt_sfr_set(fwt_sfr *s, fwt_sfr_field f, const char *v, size_t len)
{
	fwt_sfr_kind kind = FWT_SFR_STRING;

	if (!s || (unsigned)f >= FWT_SFR_FIELD_COUNT)
		return FWT_EINVAL;
	if (f == FWT_SFR_SCOPE && v && all_digits(v, len))
		kind = FWT_SFR_INTEGER;
	return val_set(&s->f[f], v, len, kind);
}

static fwt_err hash_field(fwt_digest_alg alg, fwt_sfr_field *f)
{
	if (alg == FWT_DIGEST_SHA384)
		*f = FWT_SFR_FW_HASH_SHA384;
	else if (alg == FWT_DIGEST_SHA512)
		*f = FWT_SFR_FW_HASH_SHA512;
	else
		return FWT_EINVAL;
	return FWT_OK;
}

fwt_err fwt_sfr_fw_hash(const fwt_sfr *s, fwt_digest_alg alg, unsigned char *out)
{
	fwt_sfr_field f;

	if (!s || !out || hash_field(alg, &f))
		return FWT_EINVAL;
	if (!s->f[f].s || !s->f[f].len)
		return FWT_ENOTFOUND;
	if (s->f[f].kind != FWT_SFR_STRING)
		return FWT_EFORMAT;
	return fwt_hex_parse_digest(out, fwt_digest_size(alg), s->f[f].s, s->f[f].len);
}

fwt_err fwt_sfr_set_fw_hash(fwt_sfr *s, fwt_digest_alg alg, const unsigned char *d)
{
	char hex[2 * FWT_DIGEST_MAX + 1];
	fwt_sfr_field f;
	size_t n = 0;

	if (!s || hash_field(alg, &f))
		return FWT_EINVAL;
	if (d)
		n = fwt_hex_encode(hex, d, fwt_digest_size(alg));
	hex[n] = '\0';
	return val_set(&s->f[f], hex, n, FWT_SFR_STRING);
}

int fwt_sfr_has_manifest(const fwt_sfr *s) { return s && s->has_manifest; }
size_t fwt_sfr_manifest_count(const fwt_sfr *s) { return s ? s->nman : 0; }

const char *fwt_sfr_manifest_name(const fwt_sfr *s, size_t i, size_t *len)
{
	if (!s || i >= s->nman)
		return NULL;
	if (len)
		*len = s->man[i].len;
	return s->man[i].name;
}

const unsigned char *fwt_sfr_manifest_hash(const fwt_sfr *s, size_t i)
{
	return s && i < s->nman ? s->man[i].hash : NULL;
}

static fwt_err man_push(fwt_sfr *s, const char *name, size_t len, const unsigned char hash[64])
{
	struct mentry *n;

	if (!(s->nman & (s->nman - 1)) || !s->nman) {
		size_t cap = s->nman ? s->nman * 2 : 8;
		n = realloc(s->man, cap * sizeof(*n));
		if (!n)
			return FWT_ENOMEM;
		s->man = n;
	}
	if (!(s->man[s->nman].name = fwt__strndup(name, len)))
		return FWT_ENOMEM;
	s->man[s->nman].len = len;
	memcpy(s->man[s->nman].hash, hash, 64);
	s->nman++;
	return FWT_OK;
}

fwt_err fwt_sfr_manifest_get(fwt_ctx *ctx, const fwt_sfr *s, fwt_manifest **out)
{
	fwt_manifest *m = NULL;
	fwt_err err;
	size_t i;

	if (!s || !out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if (!s->has_manifest)
		return FWT_ENOTFOUND;
	err = fwt_manifest_new(ctx, &m);
	for (i = 0; !err && i < s->nman; i++)
		err = fwt_manifest_add(m, s->man[i].name, s->man[i].len, s->man[i].hash);
	if (err) {
		fwt_manifest_free(m);
		return err;
	}
	*out = m;
	return FWT_OK;
}

fwt_err fwt_sfr_set_manifest(fwt_ctx *ctx, fwt_sfr *s, const fwt_manifest *m, int set_hashes)
{
	fwt_manifest *copy = NULL;
	unsigned char h384[48], h512[64];
	fwt_err err = FWT_OK;
	size_t i, n;

	if (!s)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	manifest_clear(s);
	if (!m)
		return FWT_OK;
	n = fwt_manifest_count(m);
	err = fwt_manifest_new(ctx, &copy);
	for (i = 0; !err && i < n; i++) {
		const char *name = fwt_manifest_name(m, i);
		err = fwt_manifest_add(copy, name, strlen(name), fwt_manifest_hash(m, i));
	}
	if (!err && set_hashes)
		err = fwt_manifest_sort(copy);
	if (!err && set_hashes)
		err = fwt_manifest_fw_hashes(copy, h384, h512);
	for (i = 0; !err && i < n; i++) {
		const char *name = fwt_manifest_name(copy, i);
		if (man_push(s, name, strlen(name), fwt_manifest_hash(copy, i)))
			err = fwt__enomem(ctx);
	}
	fwt_manifest_free(copy);
	if (err) {
		manifest_clear(s);
		return err;
	}
	s->has_manifest = 1;
	if (set_hashes && (fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA384, h384) ||
	                   fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA512, h512)))
		return fwt__enomem(ctx);
	return FWT_OK;
}

fwt_err fwt_sfr_scope(const fwt_sfr *s, long long *out)
{
	const struct val *v;
	char *end;
	double d;

	if (!s || !out)
		return FWT_EINVAL;
	v = &s->f[FWT_SFR_SCOPE];
	if (!v->s || !v->len)
		return FWT_ENOTFOUND;
	if (all_digits(v->s, v->len)) {
		*out = strtoll(v->s, NULL, 10);
		return FWT_OK;
	}
	if (v->kind == FWT_SFR_REAL) {
		d = strtod(v->s, &end);
		if (*end == '\0' && d >= 0 && d < 1e15 && d == (double)(long long)d) {
			*out = (long long)d;
			return FWT_OK;
		}
	}
	return FWT_EFORMAT;
}

int fwt_sfr_has_iat(const fwt_sfr *s) { return s && s->has_iat; }
int64_t fwt_sfr_iat(const fwt_sfr *s) { return s && s->has_iat ? s->iat : 0; }

void fwt_sfr_set_iat(fwt_sfr *s, int has, int64_t iat)
{
	if (!s)
		return;
	s->has_iat = has;
	s->iat = has ? iat : 0;
	s->iat_real = 0;
	s->iat_frac = 0;
}

size_t fwt_sfr_issue_count(const fwt_sfr *s) { return s ? s->nissues : 0; }
int fwt_sfr_issues_recorded(const fwt_sfr *s) { return s && !s->issues_absent; }

const char *fwt_sfr_issue_get(const fwt_sfr *s, size_t i, fwt_sfr_issue_field f, size_t *len)
{
	if (len)
		*len = 0;
	if (!s || i >= s->nissues || (unsigned)f >= FWT_SFR_ISSUE_FIELD_COUNT || !s->issues[i].f[f].s)
		return NULL;
	if (len)
		*len = s->issues[i].f[f].len;
	return s->issues[i].f[f].s;
}

fwt_sfr_kind fwt_sfr_issue_kind(const fwt_sfr *s, size_t i, fwt_sfr_issue_field f)
{
	if (!s || i >= s->nissues || (unsigned)f >= FWT_SFR_ISSUE_FIELD_COUNT)
		return FWT_SFR_ABSENT;
	return s->issues[i].f[f].kind;
}

static fwt_err issue_push(fwt_sfr *s, size_t *index)
{
	struct issue *n;

	if (s->nissues >= FWT_SFR_MAX_ISSUES)
		return FWT_EFORMAT;
	if (s->nissues == s->capissues) {
		size_t cap = s->capissues ? s->capissues * 2 : 8;
		n = realloc(s->issues, cap * sizeof(*n));
		if (!n)
			return FWT_ENOMEM;
		s->issues = n;
		s->capissues = cap;
	}
	memset(&s->issues[s->nissues], 0, sizeof(s->issues[0]));
	*index = s->nissues++;
	return FWT_OK;
}

fwt_err fwt_sfr_issue_add(fwt_sfr *s, size_t *index)
{
	size_t i, k;
	fwt_err err;

	if (!s || !index)
		return FWT_EINVAL;
	err = issue_push(s, &i);
	if (err)
		return err;
	for (k = 0; k < FWT_SFR_ISSUE_FIELD_COUNT; k++)
		if (k != FWT_SFR_ISSUE_CVE && val_set(&s->issues[i].f[k], "", 0, FWT_SFR_STRING))
			return FWT_ENOMEM;
	s->issues[i].f[FWT_SFR_ISSUE_CVE].kind = FWT_SFR_NULL;
	s->issues_absent = 0;
	*index = i;
	return FWT_OK;
}

fwt_err fwt_sfr_issue_set(fwt_sfr *s, size_t i, fwt_sfr_issue_field f, const char *v, size_t len)
{
	if (!s || i >= s->nissues || (unsigned)f >= FWT_SFR_ISSUE_FIELD_COUNT)
		return FWT_EINVAL;
	if (!v)
		return val_set(&s->issues[i].f[f], NULL, 0, f == FWT_SFR_ISSUE_CVE ? FWT_SFR_NULL : FWT_SFR_ABSENT);
	return val_set(&s->issues[i].f[f], v, len, FWT_SFR_STRING);
}

/* ---- JSON: reading ---- */

/* The shortest text that reads back as the same double. */
static void real_text(double d, char *out, size_t outlen)
{
	char *end;

	snprintf(out, outlen, "%.15g", d);
	if (strtod(out, &end) != d)
		snprintf(out, outlen, "%.17g", d);
	if (!strpbrk(out, ".eEn"))
		strncat(out, ".0", outlen - strlen(out) - 1);
}

/* "an array", "a string", "true", ... for messages. */
static const char *a_type(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	default: return "null";
	}
}

/* How read_scalar takes a number. */
enum numbers {
	NUM_REFUSE = 0, /* the schema has a string here: a number is malformed (J11) */
	NUM_KEEP,       /* scope_number: published reports hold 1, 1.0 and "1" */
	NUM_AS_TEXT     /* an issue list's cvss_score: 7.5 becomes "7.5" */
};

/* Read a scalar member into v: string or null, or a number as nums says. */
static fwt_err read_scalar(fwt_ctx *ctx, json_t *v, struct val *out, const char *path, enum numbers nums)
{
	char num[40];

	if (nums == NUM_REFUSE && json_is_number(v))
		return fwt__error(ctx, FWT_EFORMAT, "%s is %s, not a string", path, a_type(v));
	if (nums == NUM_KEEP && json_is_number(v) && json_number_value(v) < 0)
		return fwt__error(ctx, FWT_EFORMAT, "%s is negative", path);
	if (nums == NUM_AS_TEXT && json_is_number(v)) {
		if (json_is_integer(v))
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		else
			real_text(json_real_value(v), num, sizeof(num));
		return val_set(out, num, strlen(num), FWT_SFR_STRING) ? fwt__enomem(ctx) : FWT_OK;
	}
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (val_set(out, json_string_value(v), json_string_length(v), FWT_SFR_STRING))
			return fwt__enomem(ctx);
		return FWT_OK;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return val_set(out, num, strlen(num), FWT_SFR_INTEGER) ? fwt__enomem(ctx) : FWT_OK;
	case JSON_REAL:
		real_text(json_real_value(v), num, sizeof(num));
		return val_set(out, num, strlen(num), FWT_SFR_REAL) ? fwt__enomem(ctx) : FWT_OK;
	case JSON_NULL:
		val_clear(out);
		out->kind = FWT_SFR_NULL;
		return FWT_OK;
	default:
		return fwt__error(ctx, FWT_EFORMAT, "%s is %s, not a string", path, a_type(v));
	}
}

static int lower_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

static fwt_err read_manifest(fwt_ctx *ctx, fwt_sfr *s, json_t *a)
{
	char path[96];
	size_t i;
	json_t *e, *fn, *fh;
	unsigned char h[64];

	if (json_is_null(a))
		return FWT_OK;
	if (!json_is_array(a))
		return fwt__error(ctx, FWT_EFORMAT, "$.device.manifest is %s, not an array", a_type(a));
	s->has_manifest = 1;
	s->manifest_from_json = 1;
	json_array_foreach(a, i, e) {
		snprintf(path, sizeof(path), "$.device.manifest[%zu]", i);
		if (!json_is_object(e))
			return fwt__error(ctx, FWT_EFORMAT, "%s is not an object", path);
		fn = json_object_get(e, "file_name");
		fh = json_object_get(e, "file_hash");
		if (!json_is_string(fn) || !json_string_length(fn))
			return fwt__error(ctx, FWT_EFORMAT, "%s.file_name is missing or not a non-empty string", path);
		if (!json_is_string(fh) ||
		    fwt_hex_parse_digest(h, 64, json_string_value(fh), json_string_length(fh)) != FWT_OK)
			return fwt__error(ctx, FWT_EFORMAT, "%s.file_hash is not a SHA-512 digest (128 hex digits)", path);
		/* the manifest hashes are over the entries as written (OCP's
		 * reference verifier hashes the compact JSON it received), so
		 * only the one spelling fwtrail hashes is taken */
		if (json_object_size(e) != 2 || strcmp(json_object_iter_key(json_object_iter(e)), "file_name"))
			return fwt__error(ctx, FWT_EFORMAT, "%s must hold file_name then file_hash and nothing else, "
			                  "as the manifest hashes are computed over it", path);
		if (!lower_hex(json_string_value(fh), json_string_length(fh)))
			return fwt__error(ctx, FWT_EFORMAT, "%s.file_hash must be bare lower-case hex (no 0x, no "
			                  "capitals), as the manifest hashes are computed over it", path);
		if (man_push(s, json_string_value(fn), json_string_length(fn), h))
			return fwt__enomem(ctx);
	}
	return FWT_OK;
}

static fwt_err read_issues(fwt_ctx *ctx, fwt_sfr *s, json_t *a)
{
	char path[96];
	size_t i, k, idx;
	json_t *e, *v;
	fwt_err err;

	if (!a || json_is_null(a)) {
		s->issues_absent = 1;
		return FWT_OK;
	}
	if (!json_is_array(a))
		return fwt__error(ctx, FWT_EFORMAT, "$.audit.issues is %s, not an array", a_type(a));
	if (json_array_size(a) > FWT_SFR_MAX_ISSUES)
		return fwt__error(ctx, FWT_EFORMAT, "$.audit.issues holds more than %d issues", FWT_SFR_MAX_ISSUES);
	json_array_foreach(a, i, e) {
		if (!json_is_object(e))
			return fwt__error(ctx, FWT_EFORMAT, "$.audit.issues[%zu] is not an object", i);
		if (issue_push(s, &idx))
			return fwt__enomem(ctx);
		for (k = 0; k < FWT_SFR_ISSUE_FIELD_COUNT; k++) {
			v = json_object_get(e, issue_names[k]);
			if (!v)
				continue;
			snprintf(path, sizeof(path), "$.audit.issues[%zu].%s", i, issue_names[k]);
			err = read_scalar(ctx, v, &s->issues[idx].f[k], path, NUM_REFUSE);
			if (err)
				return err;
		}
	}
	return FWT_OK;
}

/* A JWT NumericDate claim (RFC 7519 2, 4.1.4-5) at the top level: a JSON
 * number, read as JWT verifiers read it (PyJWT, which OCP's reference
 * verifier uses: int(), whole seconds toward zero); any other type, null
 * included, is malformed. */
static fwt_err read_numeric_date(fwt_ctx *ctx, json_t *root, const char *key, int *has, int64_t *out)
{
	json_t *v = json_object_get(root, key);
	double d;

	if (!v)
		return FWT_OK;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
	} else if (json_is_real(v)) {
		d = json_real_value(v);
		*out = d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : (int64_t)d;
	} else {
		return fwt__error(ctx, FWT_EFORMAT, "$.%s is %s, not a number (seconds since the epoch)", key,
		                  a_type(v));
	}
	*has = 1;
	return FWT_OK;
}

static fwt_err read_tree(fwt_ctx *ctx, fwt_sfr *s, json_t *root)
{
	json_t *dev = json_object_get(root, "device"), *aud = json_object_get(root, "audit"), *obj, *v, *iat;
	fwt_err err;
	size_t f;

	if (!json_is_object(dev))
		return fwt__error(ctx, FWT_EFORMAT, "$.device is %s", dev ? "not an object" : "missing");
	if (!json_is_object(aud))
		return fwt__error(ctx, FWT_EFORMAT, "$.audit is %s", aud ? "not an object" : "missing");
	for (f = 0; f < FWT_SFR_FIELD_COUNT; f++) {
		obj = !fields[f].obj ? root : !strcmp(fields[f].obj, "device") ? dev : aud;
		v = json_object_get(obj, fields[f].key);
		if (f == FWT_SFR_SCOPE) {
			json_t *old = json_object_get(aud, "scope");
			if (old && v)
				s->scope_both = 1;
			else if (old) {
				v = old;
				s->scope_old = 1;
			}
		}
		if (!v)
			continue;
		err = read_scalar(ctx, v, &s->f[f], fwt_sfr_field_path(s, (fwt_sfr_field)f),
		                  f == FWT_SFR_SCOPE ? NUM_KEEP : NUM_REFUSE);
		if (err)
			return err;
	}
	v = json_object_get(dev, "manifest");
	if (v && (err = read_manifest(ctx, s, v)) != FWT_OK)
		return err;
	err = read_issues(ctx, s, json_object_get(aud, "issues"));
	if (err)
		return err;
	/* as exp and nbf: null is no NumericDate (RFC 7519 4.1.6; jwt.decode
	 * refuses it) */
	/* a NumericDate may have a fraction (RFC 7519 2): kept, since PyJWT
	 * compares iat as written (exp and nbf it cuts to whole seconds) */
	iat = json_object_get(root, "iat");
	if (iat) {
		if (json_is_integer(iat)) {
			s->iat = json_integer_value(iat);
		} else if (json_is_real(iat)) {
			double d = json_real_value(iat);
			s->iat_real = 1;
			if (d >= 9.2e18 || d <= -9.2e18) {
				s->iat = d > 0 ? INT64_MAX : INT64_MIN;
			} else {
				s->iat = (int64_t)d;
				if ((double)s->iat > d) /* floor */
					s->iat--;
				s->iat_frac = d - (double)s->iat;
			}
		} else {
			return fwt__error(ctx, FWT_EFORMAT, "$.iat is %s, not a number (seconds since the epoch)",
			                  a_type(iat));
		}
		s->has_iat = 1;
	}
	err = read_numeric_date(ctx, root, "exp", &s->has_exp, &s->exp);
	if (!err)
		err = read_numeric_date(ctx, root, "nbf", &s->has_nbf, &s->nbf);
	return err;
}

fwt_err fwt_sfr_from_json(fwt_ctx *ctx, fwt_sfr **out, const void *buf, size_t len, const char *name)
{
	fwt_json_options jo = FWT_JSON_OPTIONS_INIT;
	fwt_sfr *s = NULL;
	json_t *root = NULL;
	fwt_err err;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	jo.max_size = FWT_SFR_MAX_SIZE;
	jo.max_depth = FWT_SFR_MAX_DEPTH;
	err = fwt_json_parse(ctx, &root, buf, len, name, &jo);
	if (err)
		return err;
	if (fwt_sfr_new(&s)) {
		json_decref(root);
		return fwt__enomem(ctx);
	}
	err = read_tree(ctx, s, root);
	if (err) {
		fwt__error_prefix(ctx, "'%s'", name ? name : "report");
		json_decref(root);
		fwt_sfr_free(s);
		return err;
	}
	s->orig = root;
	*out = s;
	return FWT_OK;
}

/* ---- JSON: writing ---- */

/* A scalar node's text, as read_scalar would store it. */
static int same_value(json_t *node, const struct val *v)
{
	char num[40];
	const char *t;
	size_t n;

	if (!node)
		return 0;
	switch (json_typeof(node)) {
	case JSON_STRING:
		if (v->kind != FWT_SFR_STRING)
			return 0;
		t = json_string_value(node);
		n = json_string_length(node);
		break;
	case JSON_INTEGER:
		if (v->kind != FWT_SFR_INTEGER)
			return 0;
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(node));
		t = num;
		n = strlen(num);
		break;
	case JSON_REAL:
		if (v->kind != FWT_SFR_REAL)
			return 0;
		real_text(json_real_value(node), num, sizeof(num));
		t = num;
		n = strlen(num);
		break;
	case JSON_NULL:
		return v->kind == FWT_SFR_NULL;
	default:
		return 0;
	}
	return n == v->len && !memcmp(t, v->s, n);
}

static json_t *value_node(const struct val *v)
{
	switch (v->kind) {
	case FWT_SFR_INTEGER: return json_integer(strtoll(v->s, NULL, 10));
	case FWT_SFR_REAL: return json_real(strtod(v->s, NULL));
	case FWT_SFR_NULL: return json_null();
	default: return json_stringn(v->s ? v->s : "", v->s ? v->len : 0);
	}
}

/* Make obj.key say v, keeping the existing node when it already does. */
static int put(json_t *obj, const char *key, const struct val *v)
{
	json_t *cur = json_object_get(obj, key);

	if (v->kind == FWT_SFR_ABSENT) {
		if (cur)
			json_object_del(obj, key);
		return 0;
	}
	if (same_value(cur, v))
		return 0;
	return json_object_set_new(obj, key, value_node(v));
}

static json_t *child(json_t *root, const char *key)
{
	json_t *o = json_object_get(root, key);

	if (json_is_object(o))
		return o;
	o = json_object();
	if (!o || json_object_set_new(root, key, o))
		return NULL;
	return o;
}

static int put_issues(const fwt_sfr *s, json_t *aud)
{
	json_t *old = json_object_get(aud, "issues"), *arr, *e, *oe;
	size_t i, k;

	if (s->issues_absent && !s->nissues)
		return 0;
	arr = json_array();
	if (!arr)
		return -1;
	for (i = 0; i < s->nissues; i++) {
		oe = json_is_array(old) ? json_array_get(old, i) : NULL;
		e = json_is_object(oe) ? json_deep_copy(oe) : json_object();
		if (!e || json_array_append_new(arr, e)) {
			json_decref(arr);
			return -1;
		}
		for (k = 0; k < FWT_SFR_ISSUE_FIELD_COUNT; k++) {
			if (put(e, issue_names[k], &s->issues[i].f[k])) {
				json_decref(arr);
				return -1;
			}
		}
	}
	if (json_is_array(old) && json_equal(old, arr)) {
		json_decref(arr);
		return 0;
	}
	return json_object_set_new(aud, "issues", arr);
}

static int put_manifest(const fwt_sfr *s, json_t *dev)
{
	char hex[129];
	json_t *arr, *e;
	size_t i;

	if (!s->has_manifest) {
		if (json_object_get(dev, "manifest") && !json_is_null(json_object_get(dev, "manifest")))
			json_object_del(dev, "manifest");
		return 0;
	}
	if (s->manifest_from_json && json_is_array(json_object_get(dev, "manifest")))
		return 0;
	arr = json_array();
	for (i = 0; arr && i < s->nman; i++) {
		e = json_object();
		fwt_hex_encode(hex, s->man[i].hash, 64);
		if (!e || json_array_append_new(arr, e) ||
		    json_object_set_new(e, "file_name", json_stringn(s->man[i].name, s->man[i].len)) ||
		    json_object_set_new(e, "file_hash", json_string(hex))) {
			json_decref(arr);
			return -1;
		}
	}
	return arr ? json_object_set_new(dev, "manifest", arr) : -1;
}

fwt_err fwt_sfr_to_json(fwt_ctx *ctx, const fwt_sfr *s, json_t **out)
{
	json_t *root, *dev, *aud;
	size_t f;
	int rc = 0;

	if (!s || !out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	root = s->orig ? json_deep_copy(s->orig) : json_object();
	if (!root)
		return fwt__enomem(ctx);
	if (!s->orig)
		rc |= put(root, fields[0].key, &s->f[0]);
	dev = child(root, "device");
	aud = child(root, "audit");
	if (!dev || !aud) {
		json_decref(root);
		return fwt__enomem(ctx);
	}
	for (f = 0; f < FWT_SFR_FIELD_COUNT; f++) {
		const char *key = fields[f].key;
		json_t *obj = !fields[f].obj ? root : !strcmp(fields[f].obj, "device") ? dev : aud;
		if (f == FWT_SFR_SCOPE && s->scope_old)
			key = "scope";
		rc |= put(obj, key, &s->f[f]);
		if (f == FWT_SFR_FW_HASH_SHA512)
			rc |= put_manifest(s, dev);
	}
	rc |= put_issues(s, aud);
	if (s->has_iat && s->iat_real && json_is_real(json_object_get(root, "iat"))) {
		; /* as written: a fraction of a second is the report's */
	} else if (s->has_iat) {
		struct val v = { NULL, 0, FWT_SFR_INTEGER };
		char num[24];
		snprintf(num, sizeof(num), "%lld", (long long)s->iat);
		v.s = num;
		v.len = strlen(num);
		rc |= put(root, "iat", &v);
	} else if (json_object_get(root, "iat") && !json_is_null(json_object_get(root, "iat"))) {
		json_object_del(root, "iat");
	}
	if (rc) {
		json_decref(root);
		return fwt__enomem(ctx);
	}
	*out = root;
	return FWT_OK;
}

fwt_err fwt_sfr_serialize(fwt_ctx *ctx, const fwt_sfr *s, int pretty, char **out, size_t *len)
{
	const size_t flags = JSON_INDENT(4) | JSON_REAL_PRECISION(17);
	json_t *root;
	fwt_err err;
	size_t n;
	char *t;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	err = fwt_sfr_to_json(ctx, s, &root);
	if (err)
		return err;
	if (!pretty) {
		err = fwt_json_dump_compact(ctx, root, out, len);
		json_decref(root);
		if (!err && len)
			err = fwt__sfr_size_check(ctx, out, *len);
		return err;
	}
	n = json_dumpb(root, NULL, 0, flags);
	t = n ? malloc(n + 2) : NULL;
	if (!t || json_dumpb(root, t, n, flags) != n) {
		free(t);
		json_decref(root);
		return fwt__error(ctx, FWT_EINTERNAL, "cannot serialise the report");
	}
	json_decref(root);
	t[n] = '\n';
	t[n + 1] = '\0';
	*out = t;
	if (len)
		*len = n + 1;
	return fwt__sfr_size_check(ctx, out, n + 1);
}

fwt_err fwt__sfr_size_check(fwt_ctx *ctx, void *out, size_t len)
{
	char **p = out;

	if (len <= FWT_SFR_MAX_SIZE)
		return FWT_OK;
	free(*p);
	*p = NULL;
	return fwt__error(ctx, FWT_EFORMAT, "the report would be %zu bytes: more than the %u bytes a report may be "
	                  "(fwtrail refuses to read it back)", len, FWT_SFR_MAX_SIZE);
}

/* ---- issue lists: JSON array or CSV ---- */

static fwt_err issues_from_json(fwt_ctx *ctx, fwt_sfr *t, const void *buf, size_t len, const char *name)
{
	fwt_json_options jo = FWT_JSON_OPTIONS_INIT;
	json_t *root = NULL, *e, *v;
	const char *key;
	char path[96];
	size_t i, k, idx;
	fwt_err err;

	jo.max_size = FWT_SFR_MAX_SIZE;
	jo.max_depth = FWT_SFR_MAX_DEPTH; /* a whole report, too, reads far enough to be named */
	jo.allow_array = 1;
	err = fwt_json_parse(ctx, &root, buf, len, name, &jo);
	if (err)
		return err;
	if (!json_is_array(root)) {
		/* a report given for its issues: say where they are */
		json_t *aud = json_object_get(root, "audit");
		if (json_is_array(json_object_get(aud, "issues")))
			err = fwt__error(ctx, FWT_EFORMAT, "'%s': not a JSON array of issues, but a report (its issues "
			                 "are the array at $.audit.issues; --from starts from a report)", name);
		else if (json_is_array(json_object_get(root, "issues")))
			err = fwt__error(ctx, FWT_EFORMAT, "'%s': not a JSON array of issues, but an object whose "
			                 "\"issues\" member is one", name);
		else
			err = fwt__error(ctx, FWT_EFORMAT, "'%s': not a JSON array of issues", name);
		json_decref(root);
		return err;
	}
	json_array_foreach(root, i, e) {
		if (!json_is_object(e)) {
			err = fwt__error(ctx, FWT_EFORMAT, "'%s': $[%zu] is not an object", name, i);
			break;
		}
		json_object_foreach(e, key, v) {
			for (k = 0; k < FWT_SFR_ISSUE_FIELD_COUNT && strcmp(key, issue_names[k]); k++)
				;
			if (k == FWT_SFR_ISSUE_FIELD_COUNT) {
				char q[64 * 4 + 8];
				fwt__quote(q, sizeof(q), key, strlen(key));
				err = fwt__error(ctx, FWT_EFORMAT,
				                 "'%s': $[%zu] has an unknown member '%s' (expected title, cvss_score, "
				                 "cvss_vector, cwe, description, cve)", name, i, q);
				break;
			}
		}
		if (err)
			break;
		if (!json_is_string(json_object_get(e, "title"))) {
			err = fwt__error(ctx, FWT_EFORMAT, "'%s': $[%zu].title is missing or not a string", name, i);
			break;
		}
		err = fwt_sfr_issue_add(t, &idx);
		if (err) {
			err = err == FWT_EFORMAT ? fwt__error(ctx, err, "'%s' holds too many issues", name) : fwt__enomem(ctx);
			break;
		}
		for (k = 0; !err && k < FWT_SFR_ISSUE_FIELD_COUNT; k++) {
			v = json_object_get(e, issue_names[k]);
			if (!v)
				continue;
			snprintf(path, sizeof(path), "'%s': $[%zu].%s", name, i, issue_names[k]);
			err = read_scalar(ctx, v, &t->issues[idx].f[k], path,
			                  k == FWT_SFR_ISSUE_CVSS_SCORE ? NUM_AS_TEXT : NUM_REFUSE);
		}
		if (err)
			break;
	}
	json_decref(root);
	return err;
}

/* One CSV record (RFC 4180) from p[*pos..len): fields unescaped into
 * scratch, their offsets and lengths in fo/fl.  *line counts lines. */
static fwt_err csv_record(fwt_ctx *ctx, const char *name, const char *p, size_t len, size_t *pos, size_t *line,
                          char *scratch, size_t *used, size_t *fo, size_t *fl, size_t maxf, size_t *nf)
{
	size_t i = *pos, n = 0;

	for (;;) {
		if (n == maxf)
			return fwt__error(ctx, FWT_EFORMAT, "'%s' line %zu: more than %zu fields", name, *line, maxf);
		fo[n] = *used;
		if (i < len && p[i] == '"') {
			i++;
			for (;;) {
				if (i >= len)
					return fwt__error(ctx, FWT_EFORMAT, "'%s' line %zu: unterminated quoted field", name,
					                  *line);
				if (p[i] == '"') {
					if (i + 1 < len && p[i + 1] == '"') {
						scratch[(*used)++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (p[i] == '\n')
					(*line)++;
				scratch[(*used)++] = p[i++];
			}
			if (i < len && p[i] != ',' && p[i] != '\n' && p[i] != '\r')
				return fwt__error(ctx, FWT_EFORMAT, "'%s' line %zu: text after a closing quote", name, *line);
		} else {
			while (i < len && p[i] != ',' && p[i] != '\n' && p[i] != '\r') {
				if (p[i] == '"')
					return fwt__error(ctx, FWT_EFORMAT,
					                  "'%s' line %zu: a quote inside an unquoted field (quote the whole field)",
					                  name, *line);
				scratch[(*used)++] = p[i++];
			}
		}
		fl[n] = *used - fo[n];
		n++;
		if (i < len && p[i] == ',') {
			i++;
			continue;
		}
		if (i < len && p[i] == '\r')
			i++;
		if (i < len && p[i] == '\n')
			i++;
		else if (i < len)
			return fwt__error(ctx, FWT_EFORMAT, "'%s' line %zu: a bare carriage return", name, *line);
		(*line)++;
		break;
	}
	*pos = i;
	*nf = n;
	return FWT_OK;
}

static fwt_err issues_from_csv(fwt_ctx *ctx, fwt_sfr *t, const char *p, size_t len, const char *name)
{
	enum { MAXF = 16 };
	size_t pos = 0, line = 1, used = 0, fo[MAXF], fl[MAXF], nf, ncol, i, k, idx, row;
	int col[MAXF], have_title = 0;
	char *scratch;
	fwt_err err;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		pos = 3; /* a UTF-8 byte order mark, as spreadsheets write it */
	scratch = malloc(len + 1);
	if (!scratch)
		return fwt__enomem(ctx);
	err = csv_record(ctx, name, p, len, &pos, &line, scratch, &used, fo, fl, MAXF, &ncol);
	for (i = 0; !err && i < ncol; i++) {
		const char *h = scratch + fo[i];
		size_t hl = fl[i];
		while (hl && *h == ' ')
			h++, hl--;
		while (hl && h[hl - 1] == ' ')
			hl--;
		for (k = 0; k < FWT_SFR_ISSUE_FIELD_COUNT; k++)
			if (strlen(issue_names[k]) == hl && !strncasecmp(h, issue_names[k], hl))
				break;
		if (k == FWT_SFR_ISSUE_FIELD_COUNT) {
			char q[64 * 4 + 8];
			fwt__quote(q, sizeof(q), h, hl);
			err = fwt__error(ctx, FWT_EFORMAT,
			                 "'%s' line 1: unknown column '%s' (expected title, cvss_score, cvss_vector, cwe, "
			                 "description, cve)", name, q);
			break;
		}
		for (idx = 0; idx < i; idx++)
			if (col[idx] == (int)k)
				err = fwt__error(ctx, FWT_EFORMAT, "'%s' line 1: column '%s' appears twice", name,
				                 issue_names[k]);
		col[i] = (int)k;
		have_title |= k == FWT_SFR_ISSUE_TITLE;
	}
	if (!err && !have_title)
		err = fwt__error(ctx, FWT_EFORMAT, "'%s': the CSV header row must name a 'title' column", name);
	for (row = 2; !err && pos < len; row++) {
		size_t start = line, at = pos;
		used = 0;
		err = csv_record(ctx, name, p, len, &pos, &line, scratch, &used, fo, fl, MAXF, &nf);
		if (err)
			break;
		if (nf == 1 && !fl[0] && p[at] != '"')
			continue; /* a blank line; a quoted "" is a row */
		if (nf != ncol) {
			err = fwt__error(ctx, FWT_EFORMAT, "'%s' line %zu: %zu field%s, but the header has %zu", name, start,
			                 nf, nf == 1 ? "" : "s", ncol);
			break;
		}
		err = fwt_sfr_issue_add(t, &idx);
		if (err) {
			err = err == FWT_EFORMAT ? fwt__error(ctx, err, "'%s' holds too many issues", name) : fwt__enomem(ctx);
			break;
		}
		for (i = 0; i < ncol; i++) {
			fwt_err e2;
			if (col[i] == FWT_SFR_ISSUE_CVE && !fl[i])
				e2 = fwt_sfr_issue_set(t, idx, FWT_SFR_ISSUE_CVE, NULL, 0);
			else
				e2 = fwt_sfr_issue_set(t, idx, (fwt_sfr_issue_field)col[i], scratch + fo[i], fl[i]);
			if (e2) {
				err = e2 == FWT_EINVAL ? fwt__error(ctx, FWT_EFORMAT, "'%s' line %zu: not valid UTF-8", name, start)
				                       : fwt__enomem(ctx);
				break;
			}
		}
	}
	free(scratch);
	return err;
}

fwt_err fwt_sfr_issues_load(fwt_ctx *ctx, fwt_sfr *s, const void *buf, size_t len, const char *name)
{
	const char *p = buf;
	fwt_sfr *t = NULL;
	size_t i = 0;
	fwt_err err;

	if (!s || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	if (!name)
		name = "issues";
	if (len > FWT_SFR_MAX_SIZE)
		return fwt__error(ctx, FWT_EFORMAT, "'%s' is larger than %u bytes", name, FWT_SFR_MAX_SIZE);
	if (fwt_sfr_new(&t))
		return fwt__enomem(ctx);
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < len && (p[i] == '[' || p[i] == '{'))
		err = issues_from_json(ctx, t, buf, len, name);
	else if (!len)
		err = fwt__error(ctx, FWT_EFORMAT, "'%s' is empty", name);
	else
		err = issues_from_csv(ctx, t, buf, len, name);
	if (!err) {
		fwt_sfr_issues_clear(s);
		s->issues = t->issues;
		s->nissues = t->nissues;
		s->capissues = t->capissues;
		s->issues_absent = 0;
		t->issues = NULL;
		t->nissues = t->capissues = 0;
	}
	fwt_sfr_free(t);
	return err;
}

/* ---- lint ---- */

struct findings {
	fwt_sfr_finding *v;
	size_t n, cap;
	int oom;
};

static void FWT_FMT(4, 5) add(struct findings *fs, fwt_sfr_severity sev, const char *path, const char *fmt, ...)
{
	va_list ap;
	fwt_sfr_finding *nv;

	if (fs->oom)
		return;
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 16;
		nv = realloc(fs->v, cap * sizeof(*nv));
		if (!nv) {
			fs->oom = 1;
			return;
		}
		fs->v = nv;
		fs->cap = cap;
	}
	fs->v[fs->n].severity = sev;
	snprintf(fs->v[fs->n].path, sizeof(fs->v[fs->n].path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(fs->v[fs->n].message, sizeof(fs->v[fs->n].message), fmt, ap);
	va_end(ap);
	fs->n++;
}

#define QMAX (48 * 4 + 8)

static void q48(char *out, const char *s, size_t n)
{
	fwt__quote(out, QMAX, s ? s : "", s ? n : 0);
}

int fwt_sfr_date_valid(const char *s, size_t n)
{
	static const int dim[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	size_t i;

	if (!s || n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > dim[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

/* audit.completion_date, when it is a real day, is after the check time's
 * date anywhere on Earth (UTC+14): a review cannot have completed after the
 * moment its report is relied on (RELIABILITY T4).  A missing or malformed
 * date is lint's business (OCP's own sample signs "None"). */
static int completed_after(const fwt_sfr *s, int64_t at)
{
	const char *d;
	char day[32];
	size_t n;

	d = fwt_sfr_get(s, FWT_SFR_COMPLETION_DATE, &n);
	if (!d || !fwt_sfr_date_valid(d, n))
		return 0;
	fwt_time_format_rfc3339(at + 14 * 3600, day);
	return strlen(day) == 20 && memcmp(d, day, 10) > 0;
}

/* "CWE-<digits>", 1 to 9 digits with no leading zero; *suffix set when ": text"
 * follows. */
static int valid_id(const char *s, size_t n, const char *prefix, size_t mindigits, int *suffix)
{
	size_t pl = strlen(prefix), i, d = 0;

	*suffix = 0;
	if (n <= pl || strncmp(s, prefix, pl))
		return 0;
	for (i = pl; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		d++;
	if (d < mindigits || d > 9 || (s[pl] == '0' && !strcmp(prefix, "CWE-")))
		return 0;
	if (i < n) {
		if (n - i >= 2 && s[i] == ':' && s[i + 1] == ' ')
			*suffix = 1;
		return *suffix;
	}
	return 1;
}

/* CVE-YYYY-NNNN with four or more digits after the year. */
static int valid_cve(const char *c, size_t n)
{
	size_t i;

	/* CVE-YYYY-NNNN: four digits exactly, or more without a leading zero
	 * (MITRE's syntax: CVE-\d{4}-(0\d{3}|[1-9]\d{3,})), at most 19 */
	if (n < 13 || n > 28 || strncmp(c, "CVE-", 4) || c[8] != '-')
		return 0;
	for (i = 4; i < n; i++)
		if (i != 8 && (c[i] < '0' || c[i] > '9'))
			return 0;
	return n == 13 || c[9] != '0';
}

/* A name the manifest of a release folder or archive can hold: relative,
 * with no empty, '.' or '..' component (verify compares names as written,
 * so a report naming './fw.bin' or '../fw.bin' binds to no release). */
static int release_name(const char *p, size_t n)
{
	size_t i = 0, j;

	if (!n || p[0] == '/')
		return 0;
	while (i <= n) {
		for (j = i; j < n && p[j] != '/'; j++)
			;
		if (j == i || (j - i == 1 && p[i] == '.') || (j - i == 2 && p[i] == '.' && p[i + 1] == '.'))
			return 0;
		i = j + 1;
	}
	return 1;
}

/* Text of white space only, as Python's str.isspace sees it (OCP's tooling
 * strips every field before it checks it is filled): ASCII white space,
 * NEL, NO-BREAK SPACE, OGHAM SPACE MARK, the U+2000 to U+200A spaces, the
 * line and paragraph separators, NARROW NO-BREAK SPACE, MEDIUM
 * MATHEMATICAL SPACE and IDEOGRAPHIC SPACE. */
static int blank(const struct val *v)
{
	const unsigned char *p = (const unsigned char *)v->s;
	size_t i = 0, n = v->len;

	if (v->kind != FWT_SFR_STRING || !n)
		return 0;
	while (i < n) {
		if (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r') || (p[i] >= 0x1c && p[i] <= 0x1f))
			i += 1;
		else if (i + 1 < n && p[i] == 0xc2 && (p[i + 1] == 0x85 || p[i + 1] == 0xa0))
			i += 2;
		else if (i + 2 < n && p[i] == 0xe1 && p[i + 1] == 0x9a && p[i + 2] == 0x80)
			i += 3;
		else if (i + 2 < n && p[i] == 0xe2 && p[i + 1] == 0x80 &&
		         (p[i + 2] <= 0x8a || p[i + 2] == 0xa8 || p[i + 2] == 0xa9 || p[i + 2] == 0xaf))
			i += 3;
		else if (i + 2 < n && p[i] == 0xe2 && p[i + 1] == 0x81 && p[i + 2] == 0x9f)
			i += 3;
		else if (i + 2 < n && p[i] == 0xe3 && p[i + 1] == 0x80 && p[i + 2] == 0x80)
			i += 3;
		else
			return 0;
	}
	return 1;
}

static void lint_required(struct findings *fs, const fwt_sfr *s, fwt_sfr_field f, fwt_sfr_severity sev)
{
	const struct val *v = &s->f[f];
	const char *path = fwt_sfr_field_path(s, f);

	if (v->kind == FWT_SFR_ABSENT || v->kind == FWT_SFR_NULL)
		add(fs, sev, path, "%s is missing", strrchr(path, '.') + 1);
	else if (!v->len)
		add(fs, sev, path, "%s is empty", strrchr(path, '.') + 1);
	else if (blank(v))
		add(fs, sev, path, "%s is blank (white space only)", strrchr(path, '.') + 1);
}

static int cmp_mentry_p(const void *a, const void *b)
{
	const struct mentry *x = *(const struct mentry *const *)a, *y = *(const struct mentry *const *)b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);

	return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

/* A manifest entry inside another's name as a folder ('a' and 'a/b'): no
 * release holds both, and sfr create and digest refuse one that does. */
static void lint_folders(struct findings *fs, const fwt_sfr *s)
{
	const struct mentry **by, *key, *const *hit;
	struct mentry dir;
	char q[QMAX], q2[QMAX], path[64];
	size_t i, k;

	if (s->nman < 2 || !(by = malloc(s->nman * sizeof(*by))))
		return;
	for (i = 0; i < s->nman; i++)
		by[i] = &s->man[i];
	qsort(by, s->nman, sizeof(*by), cmp_mentry_p);
	for (i = 0; i < s->nman; i++) {
		for (k = 0; k < s->man[i].len; k++) {
			if (s->man[i].name[k] != '/')
				continue;
			dir.name = s->man[i].name;
			dir.len = k;
			key = &dir;
			hit = bsearch(&key, by, s->nman, sizeof(*by), cmp_mentry_p);
			if (!hit)
				continue;
			snprintf(path, sizeof(path), "$.device.manifest[%zu]", i);
			q48(q, dir.name, dir.len);
			q48(q2, s->man[i].name, s->man[i].len);
			add(fs, FWT_SFR_ERROR, path, "file_name '%s' appears both as a file and as a folder ('%s')", q, q2);
			break;
		}
	}
	free(by);
}

static void lint_hashes(fwt_ctx *ctx, struct findings *fs, const fwt_sfr *s)
{
	static const fwt_digest_alg algs[2] = { FWT_DIGEST_SHA384, FWT_DIGEST_SHA512 };
	static const fwt_sfr_field fl[2] = { FWT_SFR_FW_HASH_SHA384, FWT_SFR_FW_HASH_SHA512 };
	unsigned char h[2][64], mh[2][64];
	int ok[2] = { 0, 0 }, present = 0, man_ok = 0;
	fwt_manifest *m = NULL;
	char q[QMAX];
	size_t i, k;

	for (i = 0; i < 2; i++) {
		const struct val *v = &s->f[fl[i]];
		const char *path = fields[fl[i]].path, *key = fields[fl[i]].key;
		size_t want = 2 * fwt_digest_size(algs[i]);
		fwt_err e = fwt_sfr_fw_hash(s, algs[i], h[i]);
		if (e == FWT_ENOTFOUND) {
			add(fs, FWT_SFR_WARNING, path, "%s is %s", key, v->kind == FWT_SFR_STRING ? "empty" : "missing");
			continue;
		}
		present++;
		if (e) {
			size_t hex = v->len, j;
			const char *t = v->s ? v->s : "";
			if (hex >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
				t += 2, hex -= 2;
			for (j = 0; j < hex && isxdigit((unsigned char)t[j]); j++)
				;
			if (j == hex)
				add(fs, FWT_SFR_ERROR, path, "%s has %zu hex digits; a %s digest has %zu", key, hex,
				    fwt_digest_name(algs[i]), want);
			else {
				q48(q, v->s, v->len);
				add(fs, FWT_SFR_ERROR, path, "%s '%s' is not hex", key, q);
			}
			continue;
		}
		ok[i] = 1;
		if (v->len == want + 2)
			add(fs, FWT_SFR_WARNING, path, "%s has a 0x prefix; write bare lowercase hex", key);
		for (k = 0; k < v->len; k++)
			if (isupper((unsigned char)v->s[k]) && !(k == 1 && v->s[0] == '0'))
				break;
		if (k < v->len)
			add(fs, FWT_SFR_WARNING, path, "%s has upper-case hex digits; write lowercase", key);
	}
	if (!present)
		add(fs, FWT_SFR_ERROR, "$.device",
		    "the report carries no firmware hash (fw_hash_sha2_384 and fw_hash_sha2_512 are both empty)");
	if (!s->has_manifest)
		return;
	if (!s->nman) /* its hashes are those of "[]": any empty archive matches */
		add(fs, FWT_SFR_ERROR, "$.device.manifest", "manifest is empty: the report binds to no file");
	for (i = 0; i < s->nman; i++) {
		char path[64];
		snprintf(path, sizeof(path), "$.device.manifest[%zu].file_name", i);
		if (!release_name(s->man[i].name, s->man[i].len)) {
			q48(q, s->man[i].name, s->man[i].len);
			add(fs, FWT_SFR_ERROR, path, "file_name '%s' is not a path inside a release (relative, no empty, '.' "
			    "or '..' component)", q);
		}
	}
	for (i = 1; i < s->nman; i++) {
		size_t a = s->man[i - 1].len, b = s->man[i].len;
		int c = memcmp(s->man[i - 1].name, s->man[i].name, a < b ? a : b);
		char path[64];
		snprintf(path, sizeof(path), "$.device.manifest[%zu]", i);
		if (c == 0 && a == b) {
			q48(q, s->man[i].name, b);
			add(fs, FWT_SFR_ERROR, path, "file_name '%s' appears twice", q);
		} else if (c > 0 || (c == 0 && a > b)) {
			add(fs, FWT_SFR_ERROR, path, "manifest is not sorted by file_name");
		}
	}
	lint_folders(fs, s);
	if (fwt_sfr_manifest_get(ctx, s, &m) == FWT_OK && fwt_manifest_fw_hashes(m, mh[0], mh[1]) == FWT_OK)
		man_ok = 1;
	fwt_manifest_free(m);
	if (!man_ok) {
		add(fs, FWT_SFR_ERROR, "$.device.manifest", "cannot compute the manifest's hashes: %s",
		    fwt_ctx_errmsg(ctx));
		return;
	}
	for (i = 0; i < 2; i++)
		if (ok[i] && CRYPTO_memcmp(h[i], mh[i], fwt_digest_size(algs[i])))
			add(fs, FWT_SFR_ERROR, fields[fl[i]].path,
			    "%s does not match the manifest (the %s of the manifest's compact JSON)", fields[fl[i]].key,
			    fwt_digest_name(algs[i]));
}

/* A cvss_score fwt_cvss_score_parse refuses that is still a number of
 * tenths from 0.0 to 10.0 ("7.80", "07.8", " 7.8", "0.78e1"): *tenths. */
static int score_spelled_otherwise(const char *s, size_t n, unsigned *tenths)
{
	char buf[32], *end;
	size_t i, a = 0;
	double d, t;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (a < n && (s[a] == ' ' || s[a] == '\t'))
		a++;
	if (n - a == 0 || n - a >= sizeof(buf))
		return 0;
	for (i = a; i < n; i++)
		if (!strchr("0123456789.eE+-", s[i]))
			return 0;
	memcpy(buf, s + a, n - a);
	buf[n - a] = '\0';
	d = strtod(buf, &end);
	if (*end || !(d >= 0 && d <= 10))
		return 0;
	t = d * 10;
	if (t - (double)(unsigned)(t + 0.5) > 1e-9 || (double)(unsigned)(t + 0.5) - t > 1e-9)
		return 0;
	*tenths = (unsigned)(t + 0.5);
	return 1;
}

static void lint_issue(fwt_ctx *ctx, struct findings *fs, const fwt_sfr *s, size_t i, int ver,
                       fwt_cvss_version cv)
{
	const struct val *f = s->issues[i].f;
	char path[96], q[QMAX];
	unsigned score = 0, computed;
	int have_score = 0, suffix, pre3;
	const char *vs;
	size_t vl;
	fwt_cvss vec;

#define IPATH(name) (snprintf(path, sizeof(path), "$.audit.issues[%zu].%s", i, name), path)
	if (!f[FWT_SFR_ISSUE_TITLE].len || blank(&f[FWT_SFR_ISSUE_TITLE]))
		add(fs, FWT_SFR_ERROR, IPATH("title"), "title is %s",
		    f[FWT_SFR_ISSUE_TITLE].kind != FWT_SFR_STRING ? "missing"
		    : f[FWT_SFR_ISSUE_TITLE].len                 ? "blank (white space only)"
		                                                 : "empty");
	if (!f[FWT_SFR_ISSUE_DESCRIPTION].len || blank(&f[FWT_SFR_ISSUE_DESCRIPTION]))
		add(fs, FWT_SFR_WARNING, IPATH("description"), "description is %s",
		    f[FWT_SFR_ISSUE_DESCRIPTION].kind != FWT_SFR_STRING ? "missing"
		    : f[FWT_SFR_ISSUE_DESCRIPTION].len                 ? "blank (white space only)"
		                                                       : "empty");
	/* cvss_score */
	if (!f[FWT_SFR_ISSUE_CVSS_SCORE].len) {
		add(fs, FWT_SFR_ERROR, IPATH("cvss_score"), "cvss_score is missing");
	} else if (fwt_cvss_score_parse(f[FWT_SFR_ISSUE_CVSS_SCORE].s, f[FWT_SFR_ISSUE_CVSS_SCORE].len, &score)) {
		q48(q, f[FWT_SFR_ISSUE_CVSS_SCORE].s, f[FWT_SFR_ISSUE_CVSS_SCORE].len);
		if (score_spelled_otherwise(f[FWT_SFR_ISSUE_CVSS_SCORE].s, f[FWT_SFR_ISSUE_CVSS_SCORE].len, &score))
			add(fs, FWT_SFR_ERROR, IPATH("cvss_score"), "cvss_score '%s' is not written as CVSS writes a "
			    "score: '%u.%u' (one decimal, no leading zero, no spaces)", q, score / 10, score % 10);
		else
			add(fs, FWT_SFR_ERROR, IPATH("cvss_score"), "cvss_score '%s' is not a CVSS score (0.0 to 10.0, "
			    "one decimal)", q);
	} else {
		have_score = 1;
	}
	/* cvss_vector: a CVSS 3 vector (by cvss_version, or by its own
	 * 'CVSS:3.x/' prefix whatever cvss_version says) is parsed and its
	 * base score checked; under 4.0 the vector must at least be one */
	vs = f[FWT_SFR_ISSUE_CVSS_VECTOR].s;
	vl = f[FWT_SFR_ISSUE_CVSS_VECTOR].len;
	pre3 = vl >= 8 && !memcmp(vs, "CVSS:3.", 7) && (vs[7] == '0' || vs[7] == '1');
	if (pre3 && ver != 3)
		cv = vs[7] == '0' ? FWT_CVSS_V3_0 : FWT_CVSS_V3_1;
	if (!vl) {
		add(fs, FWT_SFR_ERROR, IPATH("cvss_vector"), "cvss_vector is missing");
	} else if (ver == 4 && !pre3) {
		if (vl < 9 || memcmp(vs, "CVSS:4.0/", 9))
			add(fs, FWT_SFR_ERROR, IPATH("cvss_vector"),
			    "cvss_vector is not a CVSS 4.0 vector ('CVSS:4.0/...'), as audit.cvss_version says");
	} else if (ver || pre3) {
		if (fwt_cvss_parse(ctx, &vec, vs, vl, cv)) {
			add(fs, FWT_SFR_ERROR, IPATH("cvss_vector"), "cvss_vector: %s", fwt_ctx_errmsg(ctx));
			fwt_ctx_clear_error(ctx);
		} else {
			if (!vec.has_prefix)
				add(fs, FWT_SFR_WARNING, IPATH("cvss_vector"), "cvss_vector has no 'CVSS:%s/' prefix",
				    cv == FWT_CVSS_V3_0 ? "3.0" : "3.1");
			else if (ver == 4)
				add(fs, FWT_SFR_ERROR, IPATH("cvss_vector"),
				    "cvss_vector is CVSS %s but audit.cvss_version is 4.0",
				    vec.version == FWT_CVSS_V3_0 ? "3.0" : "3.1");
			else if (ver == 3 && vec.version != cv)
				add(fs, FWT_SFR_ERROR, IPATH("cvss_vector"),
				    "cvss_vector is CVSS %s but audit.cvss_version is %s", vec.version == FWT_CVSS_V3_0 ? "3.0" : "3.1",
				    cv == FWT_CVSS_V3_0 ? "3.0" : "3.1");
			computed = fwt_cvss_base_score(&vec);
			if (have_score && computed != score)
				add(fs, FWT_SFR_ERROR, IPATH("cvss_score"),
				    "cvss_score %u.%u does not match the vector's base score %u.%u", score / 10, score % 10,
				    computed / 10, computed % 10);
		}
	}
	/* cwe */
	if (!f[FWT_SFR_ISSUE_CWE].len) {
		add(fs, FWT_SFR_ERROR, IPATH("cwe"), "cwe is missing");
	} else if (!valid_id(f[FWT_SFR_ISSUE_CWE].s, f[FWT_SFR_ISSUE_CWE].len, "CWE-", 1, &suffix)) {
		q48(q, f[FWT_SFR_ISSUE_CWE].s, f[FWT_SFR_ISSUE_CWE].len);
		add(fs, FWT_SFR_ERROR, IPATH("cwe"), "cwe '%s' is not a CWE id (CWE-<number>)", q);
	} else if (suffix) {
		add(fs, FWT_SFR_WARNING, IPATH("cwe"), "cwe should be the id alone ('%.*s')",
		    (int)(strchr(f[FWT_SFR_ISSUE_CWE].s, ':') - f[FWT_SFR_ISSUE_CWE].s), f[FWT_SFR_ISSUE_CWE].s);
	}
	/* cve: null, or CVE-YYYY-NNNN... */
	if (f[FWT_SFR_ISSUE_CVE].kind == FWT_SFR_STRING) {
		const char *c = f[FWT_SFR_ISSUE_CVE].s;
		size_t n = f[FWT_SFR_ISSUE_CVE].len;
		if (!n || !strcasecmp(c, "none") || !strcasecmp(c, "null") || !strcasecmp(c, "n/a"))
			add(fs, FWT_SFR_WARNING, IPATH("cve"), "cve '%s': use null when there is no CVE", c);
		else if (!valid_cve(c, n)) {
			q48(q, c, n);
			add(fs, FWT_SFR_ERROR, IPATH("cve"), "cve '%s' is not a CVE id (CVE-YYYY-NNNN)", q);
		}
	} else if (f[FWT_SFR_ISSUE_CVE].kind != FWT_SFR_NULL && f[FWT_SFR_ISSUE_CVE].kind != FWT_SFR_ABSENT) {
		add(fs, FWT_SFR_ERROR, IPATH("cve"), "cve must be a string or null");
	} else if (f[FWT_SFR_ISSUE_CVE].kind == FWT_SFR_ABSENT) {
		add(fs, FWT_SFR_WARNING, IPATH("cve"), "cve is missing (write null when there is none)");
	}
#undef IPATH
}

/* Call fn for each member of the report's top level, device and audit
 * objects, and of each of its issues, that this model does not know, in
 * document order. */
static void foreach_unknown(const fwt_sfr *s, void (*fn)(void *arg, const char *obj, const char *key), void *arg)
{
	static const char *const top[] = { "review_framework_version", "device", "audit", "iat", "exp", "nbf" };
	static const char *const dev[] = { "vendor", "product", "category", "repo_tag", "fw_version",
		                           "fw_hash_sha2_384", "fw_hash_sha2_512", "manifest" };
	static const char *const aud[] = { "srp", "methodology", "completion_date", "report_version",
		                           "scope_number", "scope", "cvss_version", "issues" };
	struct {
		json_t *o;
		const char *path;
		const char *const *known;
		size_t n;
	} sets[3];
	const char *key;
	json_t *v;
	size_t i, k;

	if (!s->orig)
		return;
	sets[0].o = s->orig, sets[0].path = "$", sets[0].known = top, sets[0].n = FWT_ARRAY_LEN(top);
	sets[1].o = json_object_get(s->orig, "device"), sets[1].path = "$.device", sets[1].known = dev,
	sets[1].n = FWT_ARRAY_LEN(dev);
	sets[2].o = json_object_get(s->orig, "audit"), sets[2].path = "$.audit", sets[2].known = aud,
	sets[2].n = FWT_ARRAY_LEN(aud);
	for (i = 0; i < 3; i++) {
		json_object_foreach(sets[i].o, key, v) {
			for (k = 0; k < sets[i].n && strcmp(key, sets[i].known[k]); k++)
				;
			if (k == sets[i].n)
				fn(arg, sets[i].path, key);
		}
	}
	{
		static const char *const iss[] = { "title", "cvss_score", "cvss_vector", "cwe", "description", "cve" };
		json_t *issues = json_object_get(sets[2].o, "issues"), *is;
		char path[48];
		size_t j;

		json_array_foreach(issues, j, is) {
			snprintf(path, sizeof(path), "$.audit.issues[%zu]", j);
			json_object_foreach(is, key, v) {
				for (k = 0; k < FWT_ARRAY_LEN(iss) && strcmp(key, iss[k]); k++)
					;
				if (k == FWT_ARRAY_LEN(iss))
					fn(arg, path, key);
			}
		}
	}
}

static void warn_unknown(void *arg, const char *obj, const char *key)
{
	char q[QMAX];

	q48(q, key, strlen(key));
	add((struct findings *)arg, FWT_SFR_WARNING, obj, "unknown member '%s'", q);
}

static void lint_unknown(struct findings *fs, const fwt_sfr *s)
{
	foreach_unknown(s, warn_unknown, fs);
}

/* ---- what the CoRIM form loses ---- */

struct losses {
	char **v;
	size_t n, cap;
	int oom;
};

static void lose(struct losses *l, const char *path)
{
	char **grown;

	if (l->oom)
		return;
	if (l->n == l->cap) {
		grown = l->cap < SIZE_MAX / (2 * sizeof(*grown)) ? realloc(l->v, (l->cap ? 2 * l->cap : 8) * sizeof(*grown))
		                                                  : NULL;
		if (!grown) {
			l->oom = 1;
			return;
		}
		l->v = grown;
		l->cap = l->cap ? 2 * l->cap : 8;
	}
	if (!(l->v[l->n] = strdup(path)))
		l->oom = 1;
	else
		l->n++;
}

static void lose_unknown(void *arg, const char *obj, const char *key)
{
	char q[QMAX], path[QMAX + 16];

	q48(q, key, strlen(key));
	snprintf(path, sizeof(path), "%s.%s", obj, q);
	lose((struct losses *)arg, path);
}

void fwt_sfr_paths_free(char **paths, size_t n)
{
	size_t i;

	for (i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}

/* l, with what a CoRIM read held that the model did not keep (s->unkept)
 * added, handed out as *paths and *n. */
static fwt_err losses_out(fwt_ctx *ctx, const fwt_sfr *s, struct losses *l, char ***paths, size_t *n)
{
	size_t i;

	for (i = 0; i < s->n_unkept; i++)
		lose(l, s->unkept[i].path);
	if (l->oom) {
		fwt_sfr_paths_free(l->v, l->n);
		return fwt__error(ctx, FWT_ENOMEM, "out of memory");
	}
	*paths = l->v;
	*n = l->n;
	return FWT_OK;
}

fwt_err fwt_sfr_corim_losses(fwt_ctx *ctx, const fwt_sfr *s, char ***paths, size_t *n)
{
	static const fwt_sfr_field lost[] = { FWT_SFR_CATEGORY, FWT_SFR_METHODOLOGY, FWT_SFR_CVSS_VERSION };
	struct losses l = { NULL, 0, 0, 0 };
	size_t i, len;

	if (paths)
		*paths = NULL;
	if (n)
		*n = 0;
	if (!s || !paths || !n)
		return fwt__error(ctx, FWT_EINVAL, "fwt_sfr_corim_losses: NULL argument");
	for (i = 0; i < FWT_ARRAY_LEN(lost); i++) {
		if (!fwt_sfr_get(s, lost[i], &len) || !len)
			continue;
		if (lost[i] == FWT_SFR_CVSS_VERSION && fwt_sfr_issue_count(s))
			continue;
		lose(&l, fwt_sfr_field_path(s, lost[i]));
	}
	if (s->has_iat)
		lose(&l, "$.iat");
	if (s->has_nbf)
		lose(&l, "$.nbf");
	if (s->has_exp)
		lose(&l, "$.exp");
	foreach_unknown(s, lose_unknown, &l);
	/* read from a CoRIM: what the model did not keep is not written back */
	return losses_out(ctx, s, &l, paths, n);
}

fwt_err fwt_sfr_json_losses(fwt_ctx *ctx, const fwt_sfr *s, char ***paths, size_t *n)
{
	struct losses l = { NULL, 0, 0, 0 };

	if (paths)
		*paths = NULL;
	if (n)
		*n = 0;
	if (!s || !paths || !n)
		return fwt__error(ctx, FWT_EINVAL, "fwt_sfr_json_losses: NULL argument");
	return losses_out(ctx, s, &l, paths, n);
}

/* exp and nbf: verifiers refuse the report outside them (sfr verify, JWT
 * libraries), and the CoRIM form does not carry them: for that form they
 * are errors, since the signed report would outlive them. */
static void lint_validity(struct findings *fs, const fwt_sfr *s, int corim)
{
	fwt_sfr_severity sev = corim ? FWT_SFR_ERROR : FWT_SFR_WARNING;

	char t1[32], t2[32];

	if (s->has_exp)
		fwt_time_format_rfc3339(s->exp, t1);
	if (s->has_nbf)
		fwt_time_format_rfc3339(s->nbf, t2);
	if (s->has_exp && s->has_nbf && s->nbf >= s->exp) {
		add(fs, FWT_SFR_ERROR, "$.nbf", "nbf (%s) is not before exp (%s): the report is never valid", t2, t1);
		return;
	}
	if (s->has_exp)
		add(fs, sev, "$.exp", "the report expires at %s: verifiers refuse it from then on (the CoRIM "
		    "form does not carry exp)", t1);
	if (s->has_nbf)
		add(fs, sev, "$.nbf", "the report is not valid before %s (the CoRIM form does not carry nbf)",
		    t2);
}

fwt_err fwt_sfr_lint(fwt_ctx *ctx, const fwt_sfr *s, fwt_sfr_finding **out, size_t *n)
{
	return fwt_sfr_lint_format(ctx, s, FWT_SFR_FORMAT_JSON, out, n);
}

fwt_err fwt_sfr_lint_format(fwt_ctx *ctx, const fwt_sfr *s, fwt_sfr_format form, fwt_sfr_finding **out,
                            size_t *n)
{
	/* the CoRIM form has no place for category and methodology, nor for
	 * cvss_version but in each issue: not checked there */
	int corim = form == FWT_SFR_FORMAT_CORIM || form == FWT_SFR_FORMAT_COSE_SIGN1 ||
	            form == FWT_SFR_FORMAT_COSE_SIGN;
	struct findings fs = { NULL, 0, 0, 0 };
	const struct val *v;
	fwt_cvss_version cv = FWT_CVSS_V3_1;
	int ver = 0; /* the CVSS major version cvss_version gives: 3, 4, or 0 */
	long long scope;
	char q[QMAX];
	size_t i;

	if (!s || !out || !n || (unsigned)form > FWT_SFR_FORMAT_COSE_SIGN)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	*n = 0;
	/* review_framework_version */
	v = &s->f[FWT_SFR_FRAMEWORK_VERSION];
	lint_required(&fs, s, FWT_SFR_FRAMEWORK_VERSION, FWT_SFR_ERROR);
	if (v->len) {
		size_t k = 0, d1 = 0, d2 = 0;
		while (k < v->len && isdigit((unsigned char)v->s[k]))
			k++, d1++;
		if (k < v->len && v->s[k] == '.')
			for (k++; k < v->len && isdigit((unsigned char)v->s[k]); k++)
				d2++;
		q48(q, v->s, v->len);
		if (!d1 || !d2 || k != v->len)
			add(&fs, FWT_SFR_ERROR, fields[0].path, "review_framework_version '%s' is not a version (N.N)", q);
		else if (d1 > 1 || v->s[0] > '2')
			add(&fs, FWT_SFR_WARNING, fields[0].path, "review_framework_version '%s' is newer than fwtrail knows (0.x to 2.x)",
			    q);
	}
	/* device */
	lint_required(&fs, s, FWT_SFR_VENDOR, FWT_SFR_ERROR);
	lint_required(&fs, s, FWT_SFR_PRODUCT, FWT_SFR_ERROR);
	if (!corim)
		lint_required(&fs, s, FWT_SFR_CATEGORY, FWT_SFR_WARNING);
	lint_required(&fs, s, FWT_SFR_REPO_TAG, FWT_SFR_WARNING);
	lint_required(&fs, s, FWT_SFR_FW_VERSION, FWT_SFR_ERROR);
	lint_hashes(ctx, &fs, s);
	/* audit */
	lint_required(&fs, s, FWT_SFR_SRP, FWT_SFR_ERROR);
	if (!corim)
		lint_required(&fs, s, FWT_SFR_METHODOLOGY, FWT_SFR_ERROR);
	lint_required(&fs, s, FWT_SFR_REPORT_VERSION, FWT_SFR_ERROR);
	v = &s->f[FWT_SFR_COMPLETION_DATE];
	lint_required(&fs, s, FWT_SFR_COMPLETION_DATE, FWT_SFR_ERROR);
	if (v->len && fwt_sfr_date_valid(v->s, v->len) && !memcmp(v->s, "0000", 4)) {
		/* a day of the proleptic calendar, before any review was made */
		add(&fs, FWT_SFR_ERROR, fields[FWT_SFR_COMPLETION_DATE].path,
		    "completion_date '%.10s' is not a real date (the year 0000)", v->s);
	} else if (v->len && !fwt_sfr_date_valid(v->s, v->len)) {
		q48(q, v->s, v->len);
		add(&fs, FWT_SFR_ERROR, fields[FWT_SFR_COMPLETION_DATE].path,
		    "completion_date '%s' is not a date (YYYY-MM-DD)", q);
	} else if (completed_after(s, (int64_t)time(NULL))) {
		add(&fs, FWT_SFR_WARNING, fields[FWT_SFR_COMPLETION_DATE].path,
		    "completion_date %.10s is in the future: verifiers refuse the report until that day", v->s);
	}
	v = &s->f[FWT_SFR_SCOPE];
	if (s->scope_both)
		add(&fs, FWT_SFR_ERROR, "$.audit", "both scope and scope_number are given");
	if (s->scope_old)
		add(&fs, FWT_SFR_WARNING, "$.audit.scope", "'scope' is the old name of scope_number");
	if (!v->len) {
		const char *fv = s->f[FWT_SFR_FRAMEWORK_VERSION].s;
		add(&fs, fv && fv[0] >= '1' && fv[0] <= '9' ? FWT_SFR_ERROR : FWT_SFR_WARNING,
		    fwt_sfr_field_path(s, FWT_SFR_SCOPE), "scope_number is missing");
	} else if (fwt_sfr_scope(s, &scope) != FWT_OK) {
		/* named as the report names it: scope_number, or the old scope */
		const char *path = fwt_sfr_field_path(s, FWT_SFR_SCOPE);
		q48(q, v->s, v->len);
		add(&fs, FWT_SFR_ERROR, path, "%s '%s' is not a whole number", strrchr(path, '.') + 1, q);
	} else if (v->kind != FWT_SFR_INTEGER) {
		const char *path = fwt_sfr_field_path(s, FWT_SFR_SCOPE);
		add(&fs, FWT_SFR_WARNING, path, "%s should be an integer (%lld)", strrchr(path, '.') + 1, scope);
	}
	v = &s->f[FWT_SFR_CVSS_VERSION];
	if (corim && !s->nissues)
		; /* carried in the issues alone: with none, nothing to check */
	else if (corim && !v->len)
		ver = 3; /* an issue without cvss-version is CVSS 3.1, the profile's default */
	else
		lint_required(&fs, s, FWT_SFR_CVSS_VERSION, FWT_SFR_ERROR);
	if (v->len && (!corim || s->nissues)) {
		q48(q, v->s, v->len);
		if (fwt_cvss_version_parse(v->s, v->len, &cv) == FWT_OK)
			ver = 3;
		else if (v->len == 3 && !memcmp(v->s, "4.0", 3) && (ver = 4) != 0)
			add(&fs, FWT_SFR_WARNING, fields[FWT_SFR_CVSS_VERSION].path,
			    "cvss_version '%s': CVSS 4 vectors and scores are not checked", q);
		else
			add(&fs, FWT_SFR_ERROR, fields[FWT_SFR_CVSS_VERSION].path,
			    "cvss_version '%s' is not a CVSS version (3.0, 3.1, 4.0)", q);
	}
	if (s->issues_absent)
		add(&fs, FWT_SFR_ERROR, "$.audit.issues", "issues is missing (write [] when there are none)");
	for (i = 0; i < s->nissues; i++)
		lint_issue(ctx, &fs, s, i, ver, cv);
	if (s->has_iat && s->iat < 0)
		add(&fs, FWT_SFR_ERROR, "$.iat", "iat is negative");
	lint_validity(&fs, s, corim);
	lint_unknown(&fs, s);
	for (i = 0; i < s->n_unkept; i++)
		if (s->unkept[i].unknown)
			add(&fs, FWT_SFR_WARNING, s->unkept[i].path, "a key the OCP SAFE SFR profile does not define");
	if (fs.oom) {
		free(fs.v);
		return fwt__enomem(ctx);
	}
	*out = fs.v;
	*n = fs.n;
	return FWT_OK;
}

/* ---- checking report files ---- */

struct bind {
	int active;             /* --fw or --manifest given */
	int have[2];            /* SHA-384, SHA-512 known */
	unsigned char h[2][64];
	const fwt_manifest *m;  /* binding to a folder or archive */
	const char *name;
	int64_t at;             /* the check time, fixed for the run */
};

static const fwt_digest_alg fw_algs[2] = { FWT_DIGEST_SHA384, FWT_DIGEST_SHA512 };

/* The version o is read as: 0 (a zeroed struct) is the current one
 * (the rule in fwtrail/fwtrail.h). */
static unsigned sv(const fwt_sfr_verify_options *o)
{
	return o->version ? o->version : FWT_SFR_VERIFY_OPTIONS_VERSION;
}

static fwt_err make_bind(fwt_ctx *ctx, const fwt_sfr_verify_options *o, struct bind *b)
{
	size_t i;
	fwt_err err;

	memset(b, 0, sizeof(*b));
	if (o->version > FWT_SFR_VERIFY_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "SFR verify", o->version, FWT_SFR_VERIFY_OPTIONS_VERSION);
	if (sv(o) >= 3 && o->at)
		b->at = o->at;
	else if (o->trust && fwt_trust_time(o->trust))
		b->at = fwt_trust_time(o->trust);
	else
		b->at = (int64_t)time(NULL);
	if (o->manifest) {
		err = fwt_manifest_fw_hashes(o->manifest, b->h[0], b->h[1]);
		if (err)
			return fwt__error_prefix(ctx, "cannot hash the manifest of '%s'",
			                         o->manifest_name ? o->manifest_name : "manifest");
		b->have[0] = b->have[1] = 1;
		b->active = 1;
		b->m = o->manifest;
		b->name = o->manifest_name ? o->manifest_name : "the manifest";
	} else if (o->fw) {
		for (i = 0; i < 2; i++) {
			const unsigned char *d = fwt_digests_get(o->fw, fw_algs[i]);
			if (d) {
				memcpy(b->h[i], d, fwt_digest_size(fw_algs[i]));
				b->have[i] = 1;
			}
		}
		b->name = o->fw_name ? o->fw_name : "the firmware";
		b->active = 1;
		/* nothing to compare a report with: the caller's digests, not the
		 * report, lack what binds (never a "no") */
		if (!b->have[0] && !b->have[1])
			return fwt__error(ctx, FWT_EINVAL, "the digests of %s hold neither SHA-384 nor SHA-512: "
			                  "hash it with both to bind a report to it", b->name);
	}
	return FWT_OK;
}

static int cmp_ment(const void *a, const void *b)
{
	const struct mentry *x = *(const struct mentry *const *)a, *y = *(const struct mentry *const *)b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The first difference between the report's manifest and m, for messages. */
static void manifest_diff(const fwt_sfr *s, const fwt_manifest *m, char *out, size_t outlen)
{
	const struct mentry **r = malloc((s->nman + 1) * sizeof(*r));
	size_t nm = fwt_manifest_count(m), i = 0, j = 0, k;
	char q[QMAX];

	out[0] = '\0';
	if (!r)
		return;
	for (k = 0; k < s->nman; k++)
		r[k] = &s->man[k];
	qsort(r, s->nman, sizeof(*r), cmp_ment);
	/* fwt_manifest_build sorts bytewise; walk both in order */
	while (i < s->nman || j < nm) {
		const char *mn = j < nm ? fwt_manifest_name(m, j) : NULL;
		size_t ml = mn ? strlen(mn) : 0;
		int c;
		if (i == s->nman)
			c = 1;
		else if (j == nm)
			c = -1;
		else {
			c = memcmp(r[i]->name, mn, r[i]->len < ml ? r[i]->len : ml);
			if (!c)
				c = (r[i]->len > ml) - (r[i]->len < ml);
		}
		if (c < 0) {
			q48(q, r[i]->name, r[i]->len);
			snprintf(out, outlen, " ('%s' is in the report's manifest only)", q);
			break;
		}
		if (c > 0) {
			q48(q, mn, ml);
			snprintf(out, outlen, " ('%s' is not in the report's manifest)", q);
			break;
		}
		if (CRYPTO_memcmp(r[i]->hash, fwt_manifest_hash(m, j), 64)) {
			q48(q, mn, ml);
			snprintf(out, outlen, " ('%s' differs)", q);
			break;
		}
		i++;
		j++;
	}
	free(r);
}

/* The report's own manifest must give its fw hashes. */
static fwt_err check_own_manifest(fwt_ctx *ctx, const fwt_sfr *s)
{
	unsigned char mh[2][64], h[64];
	fwt_manifest *m = NULL;
	fwt_err err;
	size_t i;

	if (!s->has_manifest)
		return FWT_OK;
	err = fwt_sfr_manifest_get(ctx, s, &m);
	if (!err)
		err = fwt_manifest_fw_hashes(m, mh[0], mh[1]);
	fwt_manifest_free(m);
	if (err)
		return err;
	for (i = 0; i < 2; i++)
		if (fwt_sfr_fw_hash(s, fw_algs[i], h) == FWT_OK && CRYPTO_memcmp(h, mh[i], fwt_digest_size(fw_algs[i])))
			return fwt__error(ctx, FWT_EVERIFY, "%s does not match the report's own manifest",
			                  fields[i ? FWT_SFR_FW_HASH_SHA512 : FWT_SFR_FW_HASH_SHA384].key);
	return FWT_OK;
}

static fwt_err check_binding(fwt_ctx *ctx, const struct bind *b, const fwt_sfr *s, fwt_sfr_result *res)
{
	unsigned char h[64];
	char detail[QMAX + 64];
	size_t i, matched = 0;
	fwt_err rc;

	if (!b->active)
		return FWT_OK;
	for (i = 0; i < 2; i++) {
		const char *key = fields[i ? FWT_SFR_FW_HASH_SHA512 : FWT_SFR_FW_HASH_SHA384].key;
		rc = fwt_sfr_fw_hash(s, fw_algs[i], h);
		if (rc == FWT_ENOTFOUND)
			continue;
		if (rc)
			return fwt__error(ctx, FWT_EVERIFY, "%s in the report is not a %s digest, so it cannot match '%s'",
			                  key, fwt_digest_name(fw_algs[i]), b->name);
		if (!b->have[i])
			continue;
		if (CRYPTO_memcmp(h, b->h[i], fwt_digest_size(fw_algs[i]))) {
			detail[0] = '\0';
			if (b->m && s->has_manifest)
				manifest_diff(s, b->m, detail, sizeof(detail));
			return fwt__error(ctx, FWT_EVERIFY, "%s does not match '%s'%s", key, b->name, detail);
		}
		matched++;
	}
	if (!matched)
		return fwt__error(ctx, FWT_EVERIFY, "the report carries no firmware hash to compare with '%s'", b->name);
	res->bound = 1;
	return FWT_OK;
}

/* A verified JWS report's iat, exp and nbf at the check time, as JWT
 * verifiers read them (RFC 7519 4.1.4-6; PyJWT, OCP's reference verifier,
 * with no leeway): not yet valid when issued after the check time or before
 * nbf, expired at exp. */
static fwt_err check_claims(fwt_ctx *ctx, const fwt_sfr *s, int64_t at)
{
	char t1[48], t2[32];

	fwt_time_format_rfc3339(at, t2);
	/* iat as PyJWT compares it: 12:00:00.5 is after 12:00:00 */
	if (s->has_iat && (s->iat > at || (s->iat == at && s->iat_frac > 0))) {
		fwt_time_format_rfc3339(s->iat, t1);
		if (s->iat_frac > 0 && strlen(t1) == 20) { /* ...:SSZ becomes ...:SS.5Z */
			char fr[16];
			size_t n;
			snprintf(fr, sizeof(fr), "%.9f", s->iat_frac);
			if (fr[0] != '0')
				snprintf(fr, sizeof(fr), "0.999999999");
			for (n = strlen(fr); n > 3 && fr[n - 1] == '0'; n--)
				fr[n - 1] = '\0';
			snprintf(t1 + 19, sizeof(t1) - 19, "%sZ", fr + 1);
		}
		return fwt__error(ctx, FWT_EVERIFY, "the report is not valid before %s (its iat, the time it was issued), "
		                  "checked at %s", t1, t2);
	}
	if (s->has_nbf && s->nbf > at) {
		fwt_time_format_rfc3339(s->nbf, t1);
		return fwt__error(ctx, FWT_EVERIFY, "the report is not valid before %s (its nbf), checked at %s", t1, t2);
	}
	if (s->has_exp && at >= s->exp) {
		fwt_time_format_rfc3339(s->exp, t1);
		return fwt__error(ctx, FWT_EVERIFY, "the report expired at %s (its exp), checked at %s", t1, t2);
	}
	return FWT_OK;
}

static void set_message(fwt_ctx *ctx, fwt_sfr_result *res)
{
	const char *m = fwt_ctx_errmsg(ctx);
	snprintf(res->message, sizeof(res->message), "%s", *m ? m : fwt_err_name(res->err));
}

const char *fwt_sfr_format_name(fwt_sfr_format f)
{
	static const char *const names[] = { "json", "jws", "corim", "cose-sign1", "cose-sign" };

	return (unsigned)f < FWT_ARRAY_LEN(names) ? names[f] : "unknown";
}

/* The algorithms and key sizes of the SFR profile, for COSE as for JWS. */
#define SFR_COSE_ALGS ((1u << FWT_SIG_ES384) | (1u << FWT_SIG_ES512) | (1u << FWT_SIG_PS384) | (1u << FWT_SIG_PS512))

/* A COSE_Sign's headers beside its signers' algs, which the verification
 * does not read: a signer's protected content type, when it has one, is
 * the report's (FWT_EUNSUPPORTED otherwise, as for the body's).  After
 * signer `signer` verified with alg (inferred or not), an alg in the
 * body's protected header must be that alg (FWT_EVERIFY otherwise): a
 * signed statement that contradicts the verification is not ignored. */
static fwt_err sign_headers(fwt_ctx *ctx, const fwt_cose *m, int verified, size_t signer, fwt_sig_alg alg)
{
	const cbor_item_t *v;
	const char *ct;
	size_t k, ctl;
	int64_t id;
	fwt_sig_alg body;

	if (fwt_cose_get_kind(m) != FWT_COSE_SIGN)
		return FWT_OK;
	if (!verified) {
		for (k = 0; k < fwt_cose_signer_count(m); k++) {
			v = fwt__cbor_get(fwt__cose_header_map(m, k + 1, 1), 3);
			if (v && (!fwt__cbor_text(v, &ct, &ctl) || ctl != strlen(FWT_CORIM_CONTENT_TYPE) ||
			          memcmp(ct, FWT_CORIM_CONTENT_TYPE, ctl)))
				return fwt__error(ctx, FWT_EUNSUPPORTED, "signer %zu's protected content type is not "
				                  FWT_CORIM_CONTENT_TYPE, k + 1);
		}
		return FWT_OK;
	}
	v = fwt__cbor_get(fwt__cose_header_map(m, 0, 1), 1);
	if (v && (!fwt__cbor_int(v, &id) || fwt_sig_alg_from_cose_id(id, &body) != FWT_OK || body != alg))
		return fwt__error(ctx, FWT_EVERIFY, "the COSE_Sign's protected header names an alg that is not %s, "
		                  "which signer %zu verified with", fwt_sig_alg_name(alg), signer + 1);
	return FWT_OK;
}

/* A CoRIM report: unsigned, COSE_Sign1 or COSE_Sign.  FWT_OK, or the error
 * (the signature's in res->err with res->sfr kept, as for JWS). */
static fwt_err check_corim(fwt_ctx *ctx, const fwt_sfr_verify_options *o, const struct bind *b, const void *buf,
                           size_t len, fwt_sfr_result *res)
{
	fwt_cose_options co = FWT_COSE_OPTIONS_INIT;
	fwt_cose_result cr;
	const fwt_cose *m;
	const unsigned char *kid;
	fwt_corim *c = NULL;
	fwt_err err, sigerr;
	size_t kl;
	int64_t id;

	err = fwt_corim_parse(ctx, &c, buf, len, NULL);
	if (err)
		goto out;
	m = fwt_corim_cose(c);
	res->format = !m ? FWT_SFR_FORMAT_CORIM
	              : fwt_cose_get_kind(m) == FWT_COSE_SIGN1 ? FWT_SFR_FORMAT_COSE_SIGN1 : FWT_SFR_FORMAT_COSE_SIGN;
	if (!m) {
		err = fwt__sfr_from_corim(ctx, c, buf, len, &res->sfr);
		if (!err && o->require_signature)
			err = fwt__error(ctx, FWT_EVERIFY, "the report is not signed (an unsigned CoRIM, not COSE)");
		goto out;
	}
	res->is_signed = 1;
	{
		const char *ct;
		size_t ctl;
		uint64_t num;
		int t = fwt_cose_content_type(m, &ct, &ctl, &num);
		if (t == 2 || (t == 1 && (ctl != strlen(FWT_CORIM_CONTENT_TYPE) ||
		                          memcmp(ct, FWT_CORIM_CONTENT_TYPE, ctl)))) {
			err = fwt__error(ctx, FWT_EUNSUPPORTED, "the COSE content type is not " FWT_CORIM_CONTENT_TYPE);
			goto out;
		}
		if ((err = sign_headers(ctx, m, 0, 0, FWT_SIG_NONE)) != FWT_OK)
			goto out;
	}
	if (fwt_cose_alg_id(m, 0, &id) == 1 && fwt_sig_alg_from_cose_id(id, &res->alg) != FWT_OK)
		res->alg = FWT_SIG_NONE;
	if (o->trust) {
		res->sig_checked = 1;
		co.algs = SFR_COSE_ALGS;
		if (sv(o) >= 2 && (o->flags & FWT_SFR_VERIFY_STRICT)) {
			size_t k, with_alg = 0;
			co.flags |= FWT_COSE_STRICT;
			for (k = 0; k < fwt_cose_signer_count(m); k++)
				with_alg += fwt_cose_alg_id(m, k, &id) != 0;
			if (!with_alg) {
				res->sig_checked = 1;
				sigerr = fwt__error(ctx, FWT_EVERIFY, "no alg in the protected header, and strict mode does not "
				                    "infer it from the trusted key");
				goto sig_done;
			}
		}
		if (fwt_trust_has_kids(o->trust)) {
			/* as for JWS: with a kids.json, a signer's kid must be mapped */
			size_t k, mapped = 0;
			for (k = 0; k < fwt_cose_signer_count(m); k++) {
				kid = fwt_cose_kid(m, k, &kl);
				mapped += kid && fwt_trust_find_kid(o->trust, (const char *)kid, kl) != NULL;
			}
			if (!mapped) {
				char q[200];
				kid = fwt_cose_kid(m, 0, &kl);
				fwt__quote(q, sizeof(q), kid ? (const char *)kid : "", kid ? kl : 0);
				res->sig_checked = 1;
				sigerr = fwt__error(ctx, FWT_EVERIFY, "kid '%s' is not mapped in the trust store's kids.json", q);
				goto sig_done;
			}
		}
		memset(&cr, 0, sizeof(cr));
		sigerr = fwt_cose_verify_trust(ctx, m, o->trust, &co, &cr);
		/* an algorithm outside the profile's four fails the report, as a
		 * JWS's does (1), rather than passing for "cannot tell" (6) */
		if (sigerr == FWT_EUNSUPPORTED)
			sigerr = FWT_EVERIFY;
		if (!sigerr) /* the OCP key sizes (PS384 with RSA-3072, ...) as for JWS */
			sigerr = fwt_jws_check_key(ctx, cr.alg, cr.key, o->jws);
		if (!sigerr)
			sigerr = sign_headers(ctx, m, 1, cr.signer, cr.alg);
		if (!sigerr) {
			res->alg = cr.alg;
			res->alg_inferred = cr.alg_inferred;
			res->key = cr.key;
			if (fwt_pubkey_fingerprint(res->key, res->key_fingerprint) != FWT_OK)
				err = fwt__error(ctx, FWT_ECRYPTO, "cannot fingerprint key '%s'", fwt_pubkey_name(res->key));
		}
	} else {
		sigerr = FWT_OK;
		if (o->require_signature)
			err = fwt__error(ctx, FWT_EINVAL, "no trusted key given");
	}
sig_done:
	kid = fwt_cose_kid(m, sigerr || !o->trust ? 0 : cr.signer, &kl);
	if (kid && !(res->kid = fwt__strndup((const char *)kid, kl)))
		err = fwt__enomem(ctx);
	res->kid_len = kid ? kl : 0;
	if (!err && sigerr) {
		/* the signature decides; the report is kept for display when it reads */
		res->err = sigerr;
		set_message(ctx, res);
		if (fwt__sfr_from_corim(ctx, c, buf, len, &res->sfr) != FWT_OK)
			res->sfr = NULL;
		err = sigerr;
	} else if (!err) {
		err = fwt__sfr_from_corim(ctx, c, buf, len, &res->sfr);
		/* a verified report: its signed validity, as rim verify checks it */
		if (!err && o->trust)
			err = fwt_corim_check_validity(ctx, c, b->at, NULL, NULL);
	}
out:
	fwt_corim_free(c);
	return err;
}

fwt_err fwt_sfr_check_identity(fwt_ctx *ctx, const fwt_sfr *s)
{
	static const fwt_sfr_field need[2] = { FWT_SFR_VENDOR, FWT_SFR_PRODUCT };
	size_t i, n;

	if (!s)
		return FWT_EINVAL;
	for (i = 0; i < 2; i++)
		if (!fwt_sfr_get(s, need[i], &n) || !n)
			return fwt__error(ctx, FWT_EFORMAT, "%s: %s: a report names the device it reviewed (vendor and "
			                  "product)", fwt_sfr_field_path(s, need[i]),
			                  fwt_sfr_get(s, need[i], NULL) ? "empty" : "missing");
	return FWT_OK;
}

/* A verified report's audit.completion_date after the check time fails
 * (completed_after). */
static fwt_err check_completion(fwt_ctx *ctx, const fwt_sfr *s, int64_t at)
{
	const char *d = fwt_sfr_get(s, FWT_SFR_COMPLETION_DATE, NULL);
	char now[32];

	if (!completed_after(s, at))
		return FWT_OK;
	fwt_time_format_rfc3339(at, now);
	return fwt__error(ctx, FWT_EVERIFY, "the review completed on %.10s (its completion_date), after the check time %s",
	                  d, now);
}

static void drop_report(const fwt_sfr_verify_options *o, fwt_sfr_result *res)
{
	if (sv(o) >= 2 && (o->flags & FWT_SFR_VERIFY_NO_REPORT)) {
		fwt_sfr_free(res->sfr);
		res->sfr = NULL;
	}
}

/* buf looks like a compact JWS: base64url text with at least one dot,
 * white space allowed around it; or text that starts so, with a header
 * that starts as the base64url of a JSON object does ("ey", "ew"), and
 * has something after (a token with a line appended, say).  Anything else
 * (a firmware image, a text file, JSON that is no object) is no SFR, said
 * so rather than measured against the JWS syntax. */
static int looks_like_jws(const char *p, size_t len)
{
	size_t i = 0, start, dots = 0;

	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	for (start = i; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '.')
			dots++;
		else if (!isalnum(c) && c != '-' && c != '_')
			break;
	}
	if (!dots || i == start)
		return 0;
	return i == len || (len - start >= 2 && p[start] == 'e' && (p[start + 1] == 'y' || p[start + 1] == 'w'));
}

/* buf starts as a CoRIM can: a CBOR array or map (an untagged COSE
 * message or CoMID, refused with their reasons), or a COSE or CoRIM tag
 * (16 to 18 and 96 to 98; 500, 501, 502, 506, 571), in any length of head.
 * A file starting with another tag (a firmware image whose first byte
 * happens to be 0xc0 to 0xdb, say) is no SFR. */
static int corim_head(const unsigned char *p, size_t len)
{
	static const uint64_t tags[] = { 16, 17, 18, 96, 97, 98, 500, 501, 502, 506, 571 };
	uint64_t v = 0;
	size_t i, n;

	if (!len)
		return 0;
	if (p[0] >> 5 == 4 || p[0] >> 5 == 5)
		return 1;
	if (p[0] >> 5 != 6)
		return 0;
	n = (p[0] & 0x1f) < 24 ? 0 : (p[0] & 0x1f) <= 27 ? (size_t)1 << ((p[0] & 0x1f) - 24) : 9;
	if (n > 8 || len < 1 + n)
		return 0;
	v = n ? 0 : p[0] & 0x1f;
	for (i = 0; i < n; i++)
		v = v << 8 | p[1 + i];
	for (i = 0; i < FWT_ARRAY_LEN(tags); i++)
		if (v == tags[i])
			return 1;
	return 0;
}

static fwt_err check_core(fwt_ctx *ctx, const fwt_sfr_verify_options *o, const struct bind *b, const void *buf,
                          size_t len, const char *name, fwt_sfr_result *res)
{
	const char *p = buf;
	const unsigned char *payload;
	fwt_jws *j = NULL;
	fwt_err err, sigerr = FWT_OK;
	size_t i = 0, plen, kl;
	const char *kid;

	fwt_ctx_clear_error(ctx);
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < len && p[i] == '{') {
		err = fwt_sfr_from_json(ctx, &res->sfr, buf, len, name);
		if (err)
			goto done;
		if (o->require_signature) {
			err = fwt__error(ctx, FWT_EVERIFY, "the report is not signed (plain JSON, not a JWS)");
			goto done;
		}
	} else if (fwt_corim_sniff(buf, len) && corim_head(buf, len)) {
		err = check_corim(ctx, o, b, buf, len, res);
		if (err && res->sig_checked && res->err == err) { /* message set */
			fwt_ctx_clear_error(ctx);
			return err;
		}
		if (err)
			goto done;
	} else if (!looks_like_jws(buf, len)) {
		err = fwt__error(ctx, FWT_EFORMAT, "not an SFR (an OCP SAFE report as JSON, JWS, CoRIM or COSE)%s",
		                 i == len ? ": it is empty" : p[i] == '[' ? ": a JSON array, not an object" : "");
		goto done;
	} else {
		res->is_jws = 1;
		res->is_signed = 1;
		res->format = FWT_SFR_FORMAT_JWS;
		err = fwt_jws_parse(ctx, &j, buf, len, o->jws);
		if (err)
			goto done;
		res->alg = fwt_jws_alg(j);
		kid = fwt_jws_kid(j, &kl);
		res->kid = fwt__strndup(kid, kl);
		res->kid_len = kl;
		if (fwt_jws_typ(j))
			res->typ = fwt__strndup(fwt_jws_typ(j), strlen(fwt_jws_typ(j)));
		if (!res->kid || (fwt_jws_typ(j) && !res->typ)) {
			err = fwt__enomem(ctx);
			goto done;
		}
		if (o->trust) {
			res->sig_checked = 1;
			sigerr = fwt_jws_verify_trust(ctx, j, o->trust, o->jws, &res->key);
			if (sigerr) {
				res->err = sigerr;
				set_message(ctx, res);
			} else if (fwt_pubkey_fingerprint(res->key, res->key_fingerprint) != FWT_OK) {
				err = fwt__error(ctx, FWT_ECRYPTO, "cannot fingerprint key '%s'", fwt_pubkey_name(res->key));
				goto done;
			}
		}
		payload = fwt_jws_payload(j, &plen);
		if (plen >= 3 && !memcmp(payload, "\xef\xbb\xbf", 3)) /* named, never quoted raw */
			err = fwt__error(ctx, FWT_EFORMAT, "'payload' starts with a byte order mark (U+FEFF, bytes ef bb bf), "
			                 "which a JSON text may not (RFC 8259 8.1)");
		else
			err = fwt_sfr_from_json(ctx, &res->sfr, payload, plen, "payload");
		if (sigerr) {
			/* the signature decides; the payload is kept for display when it reads */
			fwt_jws_free(j);
			fwt_ctx_clear_error(ctx);
			return res->err;
		}
		if (err)
			goto done;
		if (o->require_signature && !o->trust) {
			err = fwt__error(ctx, FWT_EINVAL, "no trusted key given");
			goto done;
		}
		if (o->trust && (err = check_claims(ctx, res->sfr, b->at)) != FWT_OK)
			goto done;
	}
	err = check_own_manifest(ctx, res->sfr);
	if (!err && o->trust) /* a verified report: a draft without them is lint's business */
		err = fwt_sfr_check_identity(ctx, res->sfr);
	if (!err && o->trust && sv(o) >= 2 && (o->flags & FWT_SFR_VERIFY_COMPLETION))
		err = check_completion(ctx, res->sfr, b->at);
	if (!err)
		err = check_binding(ctx, b, res->sfr, res);
done:
	fwt_jws_free(j);
	res->err = err;
	if (err)
		set_message(ctx, res);
	fwt_ctx_clear_error(ctx);
	return err;
}

fwt_err fwt_sfr_check_buffer(fwt_ctx *ctx, const fwt_sfr_verify_options *opts, const void *buf, size_t len,
                             const char *name, fwt_sfr_result *res)
{
	struct bind b;
	size_t max;
	fwt_err err;

	if (!res)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	memset(res, 0, sizeof(*res));
	if (!name)
		name = "report";
	max = opts && opts->max_size ? opts->max_size : FWT_SFR_MAX_SIZE;
	if (!opts || (!buf && len))
		err = fwt__error(ctx, FWT_EINVAL, "bad arguments");
	else if (len > max)
		err = fwt__error(ctx, FWT_EFORMAT, "'%s' is larger than %zu bytes", name, max);
	else
		err = make_bind(ctx, opts, &b);
	if (err) {
		res->err = err;
		set_message(ctx, res);
		return err;
	}
	err = check_core(ctx, opts, &b, buf, len, name, res);
	drop_report(opts, res);
	if (err)
		fwt__error(ctx, err, "%s", res->message);
	return err;
}

static fwt_err check_path(fwt_ctx *ctx, const fwt_sfr_verify_options *o, const struct bind *b, const char *path,
                          fwt_sfr_result *res)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	memset(res, 0, sizeof(*res));
	fwt_ctx_clear_error(ctx);
	err = fwt_read_file(ctx, path, o->max_size ? o->max_size : FWT_SFR_MAX_SIZE, &buf, &len);
	if (err) {
		res->err = err;
		set_message(ctx, res);
		fwt_ctx_clear_error(ctx);
		return err;
	}
	err = check_core(ctx, o, b, buf, len, path, res);
	free(buf);
	drop_report(o, res);
	return err;
}

fwt_err fwt_sfr_check_file(fwt_ctx *ctx, const fwt_sfr_verify_options *opts, const char *path,
                           fwt_sfr_result *res)
{
	struct bind b;
	fwt_err err;

	if (!res)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	memset(res, 0, sizeof(*res));
	err = opts && path ? make_bind(ctx, opts, &b) : fwt__error(ctx, FWT_EINVAL, "bad arguments");
	if (err) {
		res->err = err;
		set_message(ctx, res);
		return err;
	}
	err = check_path(ctx, opts, &b, path, res);
	if (err)
		fwt__error(ctx, err, "%s", res->message);
	return err;
}

struct job {
	const fwt_sfr_verify_options *o;
	const struct bind *b;
	const char *const *paths;
	fwt_sfr_result *res;
	const unsigned char *done; /* checked before the workers started, or NULL */
	size_t n;
	size_t next; /* atomic */
};

static void run_jobs(struct job *jb, fwt_ctx *ctx)
{
	size_t i;

	while ((i = __atomic_fetch_add(&jb->next, 1, __ATOMIC_RELAXED)) < jb->n)
		if (!jb->done || !jb->done[i])
			(void)check_path(ctx, jb->o, jb->b, jb->paths[i], &jb->res[i]);
}

/* Inputs that are not files on disk (a pipe, /dev/stdin named twice as
 * /dev/fd/0) are read here, one after the other in the order given, so
 * that which name gets the data never depends on the threads.  NULL when
 * every input is a regular file, a folder or missing (the check says so). */
static unsigned char *check_streams(fwt_ctx *ctx, struct job *jb)
{
	unsigned char *done = NULL;
	struct stat st;
	size_t i;

	for (i = 0; i < jb->n; i++) {
		if (stat(jb->paths[i], &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
			continue;
		if (!done && !(done = calloc(jb->n, 1)))
			return NULL; /* then the workers take them as they come */
		(void)check_path(ctx, jb->o, jb->b, jb->paths[i], &jb->res[i]);
		done[i] = 1;
	}
	return done;
}

static void *worker(void *arg)
{
	fwt_ctx_options co = FWT_CTX_OPTIONS_INIT;
	fwt_ctx *ctx = NULL;

	co.threads = 1;
	if (fwt_ctx_new(&ctx, &co) != FWT_OK)
		return NULL; /* the other threads take this one's share */
	run_jobs(arg, ctx);
	fwt_ctx_free(ctx);
	return NULL;
}

fwt_err fwt_sfr_check_files(fwt_ctx *ctx, const fwt_sfr_verify_options *opts, const char *const *paths,
                            size_t n, fwt_sfr_result *res)
{
	pthread_t tid[64];
	size_t nt, started = 0, i;
	unsigned char *done;
	struct bind b;
	struct job jb;
	fwt_err err;

	if (!paths && n)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	if (!res && n)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	err = opts ? make_bind(ctx, opts, &b) : fwt__error(ctx, FWT_EINVAL, "bad arguments");
	if (err) {
		/* no report can be checked: each result says so, never OK */
		for (i = 0; i < n; i++) {
			memset(&res[i], 0, sizeof(res[i]));
			res[i].err = err;
			set_message(ctx, &res[i]);
		}
		return err;
	}
	/* each res[i] is cleared by the check that fills it (check_path) */
	nt = opts->threads ? opts->threads : fwt_ctx_threads(ctx);
	if (nt > FWT_ARRAY_LEN(tid))
		nt = FWT_ARRAY_LEN(tid);
	if (nt > n)
		nt = n;
	jb.o = opts;
	jb.b = &b;
	jb.paths = paths;
	jb.res = res;
	jb.n = n;
	jb.next = 0;
	jb.done = done = check_streams(ctx, &jb);
	for (i = 1; i < nt; i++)
		if (fwt__thread_start(&tid[started], worker, &jb, (unsigned)i) == 0)
			started++;
	run_jobs(&jb, ctx);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(done);
	return FWT_OK;
}

void fwt_sfr_result_clear(fwt_sfr_result *res)
{
	if (!res)
		return;
	free(res->kid);
	free(res->typ);
	fwt_sfr_free(res->sfr);
	memset(res, 0, sizeof(*res));
}
