/* SPDX-License-Identifier: Apache-2.0 */
/* policy.c - audit policies: strict loading of the policy and of the
 * appraisal record, and the rules evaluated over the record. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/cbor.h>
#include <fwtrail/hex.h>
#include <fwtrail/json.h>
#include <fwtrail/policy.h>
#include "internal.h"
#include "banned.h"

#define PATH_MAX_LEN 384
#define MAX_RULES 256
#define MAX_LIST 4096
#define MAX_PCR 1023      /* the PCR numbers a policy may list */
#define MAX_INDEX 255     /* the SPDM measurement indices a policy may list */
#define CLIP 120          /* bytes of an untrusted string kept in a reason */
#define REASON_MAX 1024   /* bytes of one reason */
#define REASONS_MAX 64    /* reasons kept per rule; the rest are counted */

const char *fwt_verdict_name(fwt_verdict v)
{
	switch (v) {
	case FWT_VERDICT_PASS: return "pass";
	case FWT_VERDICT_WARN: return "warn";
	case FWT_VERDICT_FAIL: return "fail";
	}
	return "fail";
}

/* ---- paths and messages ---- */

struct path {
	char s[PATH_MAX_LEN];
	size_t n;
};

static size_t path_push(struct path *p, const char *fmt, ...) FWT_FMT(2, 3);
static size_t path_push(struct path *p, const char *fmt, ...)
{
	size_t old = p->n;
	va_list ap;
	int k;

	if (p->n < sizeof(p->s)) {
		va_start(ap, fmt);
		k = vsnprintf(p->s + p->n, sizeof(p->s) - p->n, fmt, ap);
		va_end(ap);
		if (k > 0)
			p->n = p->n + (size_t)k < sizeof(p->s) ? p->n + (size_t)k : sizeof(p->s) - 1;
	}
	return old;
}

static void path_pop(struct path *p, size_t old)
{
	p->n = old;
	p->s[old] = '\0';
}

static void path_init(struct path *p)
{
	memcpy(p->s, "$", 2);
	p->n = 1;
}

static fwt_err perr(fwt_ctx *ctx, fwt_err code, const char *name, const struct path *p, const char *fmt, ...)
	FWT_FMT(5, 6);
static fwt_err perr(fwt_ctx *ctx, fwt_err code, const char *name, const struct path *p, const char *fmt, ...)
{
	char msg[768], q[256 * 4 + 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a long file name ends in "...", never silently clipped */
	fwt__quote(q, sizeof(q), name, strlen(name));
	return fwt__error(ctx, code, "'%s': %s: %s", q, p->s, msg);
}

/* A short, safe rendering of an untrusted JSON value for messages. */
static void show_value(const json_t *v, char *out, size_t cap)
{
	if (json_is_string(v)) {
		char q[32 * 4 + 8];
		fwt__quote(q, sizeof(q), json_string_value(v),
		           json_string_length(v) > 32 ? 32 : json_string_length(v));
		snprintf(out, cap, "'%s'%s", q, json_string_length(v) > 32 ? "..." : "");
	} else if (json_is_integer(v)) {
		snprintf(out, cap, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		/* a real that looks integral keeps its point: "1.0", not "1" */
		snprintf(out, cap, "%.15g", json_real_value(v));
		if (!strpbrk(out, ".eEn"))
			snprintf(out + strlen(out), cap - strlen(out), ".0");
	} else {
		snprintf(out, cap, "%s", fwt_json_type_name(v));
	}
}

/* ---- UTF-8 aware clipping of untrusted strings ---- */

/* Length of the longest prefix of s[0..n) that ends on a character
 * boundary (s is valid UTF-8: jansson guarantees it). */
static size_t utf8_floor(const char *s, size_t n)
{
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* s clipped to CLIP bytes with "..." when longer, into buf (CLIP + 4). */
static const char *clip(char *buf, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!s)
		return "";
	if (n <= CLIP)
		return s;
	n = utf8_floor(s, CLIP);
	memcpy(buf, s, n);
	memcpy(buf + n, "...", 4);
	return buf;
}

/* Cut a formatted buffer back to a whole character. */
static void utf8_trim(char *s)
{
	size_t n = strlen(s), i = n, start;
	unsigned char c;
	size_t need;

	/* find the start of the last character */
	while (i && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (!i)
		return;
	start = i - 1;
	c = (unsigned char)s[start];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (n - start < need)
		s[start] = '\0';
}

/* ---- JSON helpers ---- */

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int jint(const json_t *o, const char *k, long long *v)
{
	json_t *x = json_object_get(o, k);

	if (!json_is_integer(x))
		return 0;
	*v = (long long)json_integer_value(x);
	return 1;
}

static int ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* An order in which two strings are equal exactly when ascii_ieq says
 * so: a list of names can be sorted once and searched. */
static int ascii_icmp(const char *a, const char *b)
{
	unsigned char x, y;

	for (;; a++, b++) {
		x = (unsigned char)(*a >= 'A' && *a <= 'Z' ? *a + 32 : *a);
		y = (unsigned char)(*b >= 'A' && *b <= 'Z' ? *b + 32 : *b);
		if (x != y || !x)
			return (x > y) - (x < y);
	}
}

static int is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return 1;
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* ---- the appraisal record: a small schema ---- */

enum { J_STR = 1, J_INT = 2, J_REAL = 4, J_BOOL = 8, J_NULL = 16, J_OBJ = 32, J_ARR = 64 };
#define J_NUM (J_INT | J_REAL)

typedef const char *(*check_fn)(const json_t *v);

struct field {
	const char *name;
	unsigned types;
	int required;
	const struct field *members; /* J_OBJ */
	unsigned elem;               /* J_ARR: element types */
	const struct field *elem_members;
	check_fn check;              /* scalars, or each scalar element */
};

static const char *const comp_status[] = { "match", "mismatch", "unknown", "missing", NULL };
static const char *const review_status[] = { "reviewed", "unreviewed", NULL };

static const char *chk_comp_status(const json_t *v)
{
	return in_list(json_string_value(v), comp_status) ? NULL : "must be one of match, mismatch, unknown, missing";
}

static const char *chk_review_status(const json_t *v)
{
	return in_list(json_string_value(v), review_status) ? NULL : "must be reviewed or unreviewed";
}

static const char *chk_hex(const json_t *v)
{
	size_t n = json_string_length(v);

	return n && n % 2 == 0 && n <= 256 && is_hex(json_string_value(v), n) ? NULL : "must be a digest in hex";
}

static const char *chk_sha256(const json_t *v)
{
	return json_string_length(v) == 64 && is_hex(json_string_value(v), 64) ? NULL
	                                                                         : "must be a SHA-256 in hex (64 digits)";
}

static const char *chk_date(const json_t *v)
{
	int64_t t;
	const char *s = json_string_value(v);

	return json_string_length(v) == 10 && fwt_time_parse_rfc3339(s, 10, &t) == FWT_OK ? NULL
	                                                                                  : "must be a date (YYYY-MM-DD)";
}

static const char *chk_time(const json_t *v)
{
	int64_t t;

	return fwt_time_parse_rfc3339(json_string_value(v), json_string_length(v), &t) == FWT_OK
	               ? NULL
	               : "must be an RFC 3339 time";
}

static const char *chk_nonneg(const json_t *v)
{
	return json_integer_value(v) >= 0 ? NULL : "must not be negative";
}

static const char *chk_cvss(const json_t *v)
{
	double d = json_number_value(v);

	return d >= 0.0 && d <= 10.0 ? NULL : "must be a CVSS score from 0 to 10";
}

static const struct field issue_fields[] = {
	{ "title", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "cvss_score", J_NUM | J_NULL, 0, NULL, 0, NULL, chk_cvss },
	{ "cwe", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "cve", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field rejected_fields[] = {
	{ "report", J_STR, 1, NULL, 0, NULL, NULL },
	{ "reason", J_STR, 1, NULL, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field review_fields[] = {
	{ "status", J_STR, 1, NULL, 0, NULL, chk_review_status },
	{ "report", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "srp", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "scope", J_INT | J_NULL, 0, NULL, 0, NULL, chk_nonneg },
	{ "report_version", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "completion_date", J_STR | J_NULL, 0, NULL, 0, NULL, chk_date },
	{ "vendor", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "product", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "fw_version", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "open_issues", J_INT | J_NULL, 0, NULL, 0, NULL, chk_nonneg },
	{ "max_cvss", J_NUM | J_NULL, 0, NULL, 0, NULL, chk_cvss },
	{ "cwes", J_ARR | J_NULL, 0, NULL, J_STR, NULL, NULL },
	{ "issues", J_ARR | J_NULL, 0, NULL, J_OBJ, issue_fields, NULL },
	{ "rejected", J_ARR | J_NULL, 0, NULL, J_OBJ, rejected_fields, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field reference_fields[] = {
	{ "rim", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "format", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "vendor", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "model", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "class_id", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "key", J_STR | J_INT | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "alg", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "digest", J_STR | J_NULL, 0, NULL, 0, NULL, chk_hex },
	{ "version", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "svn", J_INT | J_NULL, 0, NULL, 0, NULL, chk_nonneg },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field component_fields[] = {
	{ "source", J_STR, 1, NULL, 0, NULL, NULL },
	{ "index", J_INT | J_NULL, 0, NULL, 0, NULL, chk_nonneg },
	{ "name", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "event", J_INT | J_NULL, 0, NULL, 0, NULL, chk_nonneg },
	{ "alg", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "digest", J_STR | J_NULL, 0, NULL, 0, NULL, chk_hex },
	{ "status", J_STR, 1, NULL, 0, NULL, chk_comp_status },
	{ "reference", J_OBJ | J_NULL, 0, reference_fields, 0, NULL, NULL },
	{ "review", J_OBJ | J_NULL, 0, review_fields, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

/* A local event log's comparison with its TPM (inputs[].tpm). */
static const struct field pcr_mismatch_fields[] = {
	{ "bank", J_STR, 1, NULL, 0, NULL, NULL },
	{ "pcr", J_INT, 1, NULL, 0, NULL, chk_nonneg },
	{ "replayed", J_STR | J_NULL, 0, NULL, 0, NULL, chk_hex },
	{ "tpm", J_STR | J_NULL, 0, NULL, 0, NULL, chk_hex },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field unreplayable_fields[] = {
	{ "bank", J_STR, 1, NULL, 0, NULL, NULL },
	{ "event", J_INT | J_NULL, 0, NULL, 0, NULL, chk_nonneg },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field tpm_fields[] = {
	{ "compared", J_BOOL, 1, NULL, 0, NULL, NULL },
	{ "match", J_BOOL | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "error", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "banks", J_ARR | J_NULL, 0, NULL, J_STR, NULL, NULL },
	{ "mismatches", J_ARR | J_NULL, 0, NULL, J_OBJ, pcr_mismatch_fields, NULL },
	{ "unreplayable", J_ARR | J_NULL, 0, NULL, J_OBJ, unreplayable_fields, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field input_fields[] = {
	{ "path", J_STR, 1, NULL, 0, NULL, NULL },
	{ "kind", J_STR, 1, NULL, 0, NULL, NULL },
	{ "sha256", J_STR, 1, NULL, 0, NULL, chk_sha256 },
	{ "local", J_BOOL | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "tpm", J_OBJ | J_NULL, 0, tpm_fields, 0, NULL, NULL },
	{ "path_fingerprints", J_ARR | J_NULL, 0, NULL, J_STR, NULL, chk_sha256 },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

/* References of one SPDM index that disagree (conflicts[]). */
static const struct field conflict_ref_fields[] = {
	{ "rim", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "key", J_STR | J_INT | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "digests", J_ARR | J_NULL, 0, NULL, J_STR, NULL, chk_hex },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field conflict_fields[] = {
	{ "source", J_STR, 1, NULL, 0, NULL, NULL },
	{ "index", J_INT | J_NULL, 0, NULL, 0, NULL, chk_nonneg },
	{ "alg", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "references", J_ARR | J_NULL, 0, NULL, J_OBJ, conflict_ref_fields, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

/* References that cannot be compared with any evidence (unverifiable[]). */
static const struct field unverifiable_fields[] = {
	{ "source", J_STR, 1, NULL, 0, NULL, NULL },
	{ "index", J_INT | J_NULL, 0, NULL, 0, NULL, chk_nonneg },
	{ "rim", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "format", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "key", J_STR | J_INT | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "algs", J_ARR | J_NULL, 0, NULL, J_STR, NULL, NULL },
	{ "reason", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field signature_fields[] = {
	{ "path", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "kind", J_STR, 1, NULL, 0, NULL, NULL },
	{ "verified", J_BOOL, 1, NULL, 0, NULL, NULL },
	{ "key", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "fingerprint", J_STR | J_NULL, 0, NULL, 0, NULL, chk_sha256 },
	{ "error", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "signature_checked", J_BOOL | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "path_fingerprints", J_ARR | J_NULL, 0, NULL, J_STR, NULL, chk_sha256 },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field product_fields[] = {
	{ "vendor", J_STR, 1, NULL, 0, NULL, NULL },
	{ "product", J_STR, 1, NULL, 0, NULL, NULL },
	{ "fw_version", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "svn", J_INT | J_NULL, 0, NULL, 0, NULL, chk_nonneg },
	{ "source", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field record_fields[] = {
	{ "command", J_STR | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "ok", J_BOOL | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "at", J_STR | J_NULL, 0, NULL, 0, NULL, chk_time },
	{ "summary", J_OBJ | J_NULL, 0, NULL, 0, NULL, NULL },
	{ "components", J_ARR | J_NULL, 0, NULL, J_OBJ, component_fields, NULL },
	{ "inputs", J_ARR | J_NULL, 0, NULL, J_OBJ, input_fields, NULL },
	{ "signatures", J_ARR | J_NULL, 0, NULL, J_OBJ, signature_fields, NULL },
	{ "products", J_ARR | J_NULL, 0, NULL, J_OBJ, product_fields, NULL },
	{ "conflicts", J_ARR | J_NULL, 0, NULL, J_OBJ, conflict_fields, NULL },
	{ "unverifiable", J_ARR | J_NULL, 0, NULL, J_OBJ, unverifiable_fields, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static unsigned jtype(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: return J_STR;
	case JSON_INTEGER: return J_INT;
	case JSON_REAL: return J_REAL;
	case JSON_TRUE:
	case JSON_FALSE: return J_BOOL;
	case JSON_NULL: return J_NULL;
	case JSON_OBJECT: return J_OBJ;
	case JSON_ARRAY: return J_ARR;
	}
	return 0;
}

static void types_str(unsigned t, char *out, size_t cap)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { J_OBJ, "an object" }, { J_ARR, "an array" }, { J_STR, "a string" },
		      { J_NUM, "a number" },  { J_INT, "an integer" }, { J_BOOL, "true or false" },
		      { J_NULL, "null" } };
	size_t i, o = 0;
	int k = 0;

	out[0] = '\0';
	for (i = 0; i < FWT_ARRAY_LEN(names); i++) {
		if ((t & names[i].bit) != names[i].bit)
			continue;
		t &= ~names[i].bit;
		o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s", k++ ? " or " : "", names[i].name);
		if (o >= cap)
			return;
	}
}

struct rcheck {
	fwt_ctx *ctx;
	const char *name;
	struct path p;
	/* what check_consistent counts in its one walk of the components, for
	 * check_counts and appraisal_entries: each status, the reviews, and
	 * the first component without a review status or a status */
	size_t n[4], reviewed, unreviewed;
	size_t entry_at;
	const char *entry_bad; /* "review" or "status", or NULL */
	/* each distinct review of a component ("spdm:2\n" + report): the
	 * vendor, product and fw_version it gives, and where ("at"), for
	 * check_products */
	json_t *reviews;
};

/* ---- the record's components: its "components", or made one at a time ---- */

struct comps {
	const json_t *arr;                 /* the record's "components" (lazy NULL) */
	const fwt_policy_components *lazy; /* or these, made on demand */
};

static size_t comps_n(const struct comps *s)
{
	return s->lazy ? s->lazy->n : json_array_size(s->arr);
}

/* Component i of s as a new reference (the caller's, json_decref). */
static fwt_err comps_get(fwt_ctx *ctx, const struct comps *s, size_t i, json_t **out)
{
	fwt_err err;

	*out = NULL;
	if (!s->lazy) {
		*out = json_incref(json_array_get(s->arr, i));
		return FWT_OK;
	}
	err = s->lazy->get(s->lazy->payload, i, out);
	if (!err && *out)
		return FWT_OK;
	json_decref(*out);
	*out = NULL;
	if (!err || err == FWT_ENOMEM)
		return fwt__enomem(ctx);
	/* the maker's failure is the caller's fault, never the user's input
	 * (its FWT_EINVAL would read as a usage error) */
	return fwt__error(ctx, FWT_EINTERNAL, "cannot make component %zu of the appraisal record", i);
}

/* The components of record: comps when given, else its "components". */
static void comps_init(struct comps *s, const json_t *record, const fwt_policy_components *comps)
{
	s->lazy = comps;
	s->arr = comps ? NULL : json_object_get(record, "components");
}

static fwt_err check_members(struct rcheck *rc, const json_t *o, const struct field *fs);

static fwt_err check_value(struct rcheck *rc, const json_t *v, unsigned types, const struct field *members,
                           unsigned elem, const struct field *elem_members, check_fn check)
{
	char want[96], got[80];
	const char *why;
	size_t i, old;
	json_t *e;
	fwt_err err;

	if (!(jtype(v) & types)) {
		types_str(types, want, sizeof(want));
		return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "must be %s, not %s", want, fwt_json_type_name(v));
	}
	if (json_is_object(v) && members)
		return check_members(rc, v, members);
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			old = path_push(&rc->p, "[%zu]", i);
			err = check_value(rc, e, elem, elem_members, 0, NULL, check);
			if (err)
				return err;
			path_pop(&rc->p, old);
		}
		return FWT_OK;
	}
	if (check && !json_is_null(v) && (why = check(v)) != NULL) {
		show_value(v, got, sizeof(got));
		return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "%s, not %s", why, got);
	}
	return FWT_OK;
}

static fwt_err check_members(struct rcheck *rc, const json_t *o, const struct field *fs)
{
	const struct field *f;
	json_t *v;
	size_t old;
	fwt_err err;

	for (f = fs; f->name; f++) {
		v = json_object_get(o, f->name);
		old = path_push(&rc->p, ".%s", f->name);
		if (!v) {
			if (f->required)
				return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "missing");
		} else {
			err = check_value(rc, v, f->types, f->members, f->elem, f->elem_members, f->check);
			if (err)
				return err;
		}
		path_pop(&rc->p, old);
	}
	return FWT_OK;
}

static int parse_cwe(const char *s, size_t n, long *id);

static long tenths(double x)
{
	return (long)(x * 10.0 + 0.5);
}

/* The key a CWE is known by in a set: "CWE-<number>" for a CWE id (in
 * either case, leading zeros or not), else the text itself. */
static const char *cwe_key(const json_t *s, char *buf, size_t cap, size_t *len)
{
	long id;

	if (parse_cwe(json_string_value(s), json_string_length(s), &id)) {
		*len = (size_t)snprintf(buf, cap, "CWE-%ld", id);
		return buf;
	}
	*len = json_string_length(s);
	return json_string_value(s);
}

/* A review that gives both its issues and a summary of them ("open_issues",
 * "max_cvss", "cwes", as attest check writes them) must not contradict
 * itself: the rules would read one and not the other.  Checked per
 * component, so linear in the record's size. */
static fwt_err check_summary(struct rcheck *rc, const json_t *rv)
{
	const json_t *issues = json_object_get(rv, "issues"), *open = json_object_get(rv, "open_issues");
	const json_t *mx = json_object_get(rv, "max_cvss"), *cwes = json_object_get(rv, "cwes"), *is, *e;
	json_t *listed = NULL, *summed = NULL;
	char label[CLIP + 32], q[CLIP * 4 + 8], got[80], kb[32];
	const char *k, *rep = json_string_value(json_object_get(rv, "report"));
	size_t i, klen, unscored = 0;
	double top = 0;
	fwt_err err = FWT_OK;

	if (!json_is_array(issues))
		return FWT_OK;
	if (rep) {
		fwt__quote(q, sizeof(q), rep, strlen(rep) > CLIP ? CLIP : strlen(rep));
		snprintf(label, sizeof(label), "the review of SFR '%s%s'", q, strlen(rep) > CLIP ? "..." : "");
	} else {
		snprintf(label, sizeof(label), "the review");
	}
	if (json_is_integer(open) && (json_int_t)json_array_size(issues) != json_integer_value(open)) {
		path_push(&rc->p, ".open_issues");
		return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p,
		            "%s counts %lld open issues, but its \"issues\" lists %zu: a review must agree with its "
		            "own issues", label, (long long)json_integer_value(open), json_array_size(issues));
	}
	json_array_foreach(issues, i, is) {
		const json_t *sc = json_object_get(is, "cvss_score");
		if (!json_is_number(sc))
			unscored++;
		else if (json_number_value(sc) > top)
			top = json_number_value(sc);
	}
	if (json_is_number(mx) && (unscored ? tenths(json_number_value(mx)) < tenths(top)
	                                    : tenths(json_number_value(mx)) != tenths(top))) {
		path_push(&rc->p, ".max_cvss");
		show_value(mx, got, sizeof(got));
		if (!json_array_size(issues))
			return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "%s gives a highest CVSS score of %s, but its "
			            "\"issues\" lists none: a review must agree with its own issues", label, got);
		return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "%s gives a highest CVSS score of %s, but the "
		            "highest in its \"issues\" is %.1f%s: a review must agree with its own issues", label, got, top,
		            unscored ? " (and some have none)" : "");
	}
	if (!json_is_array(cwes))
		return FWT_OK;
	/* the CWEs the issues carry, and those the summary lists: one set */
	listed = json_object();
	summed = json_object();
	if (!listed || !summed) {
		err = fwt__enomem(rc->ctx);
		goto out;
	}
	json_array_foreach(issues, i, is) {
		e = json_object_get(is, "cwe");
		if (!json_is_string(e) || !json_string_length(e))
			continue;
		k = cwe_key(e, kb, sizeof(kb), &klen);
		if (json_object_setn_new_nocheck(listed, k, klen, json_true())) {
			err = fwt__enomem(rc->ctx);
			goto out;
		}
	}
	json_array_foreach(cwes, i, e) {
		k = cwe_key(e, kb, sizeof(kb), &klen);
		if (!json_object_getn(listed, k, klen)) {
			path_push(&rc->p, ".cwes[%zu]", i);
			show_value(e, got, sizeof(got));
			err = perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "%s lists %s, but no issue in its \"issues\" "
			           "has it: a review must agree with its own issues", label, got);
			goto out;
		}
		if (json_object_setn_new_nocheck(summed, k, klen, json_true())) {
			err = fwt__enomem(rc->ctx);
			goto out;
		}
	}
	json_array_foreach(issues, i, is) {
		e = json_object_get(is, "cwe");
		if (!json_is_string(e) || !json_string_length(e))
			continue;
		k = cwe_key(e, kb, sizeof(kb), &klen);
		if (!json_object_getn(summed, k, klen)) {
			path_push(&rc->p, ".cwes");
			show_value(e, got, sizeof(got));
			err = perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "%s leaves out %s, which issue %zu of its "
			           "\"issues\" has: a review must agree with its own issues", label, got, i);
			goto out;
		}
	}
out:
	json_decref(listed);
	json_decref(summed);
	return err;
}

/* The hex digit d's value (d is a hex digit: chk_hex). */
static unsigned hexval(char d)
{
	return d <= '9' ? (unsigned)(d - '0') : (unsigned)((d | 0x20) - 'a' + 10);
}

/* Do hex strings a and b hold the same bytes, where mask (hex, or NULL)
 * has bits set?  All of one length; not hex at all: no.  Two empty
 * strings are the same only where empty is a value (a raw value of no
 * bytes), never for a digest. */
static int hex_same(const char *a, const char *b, const char *mask, int empty_ok)
{
	size_t n = a ? strlen(a) : 0, i;

	if (!n && empty_ok && b && !*b && (!mask || !*mask))
		return 1;
	if (!n || n % 2 || !b || strlen(b) != n || !is_hex(a, n) || !is_hex(b, n) ||
	    (mask && (strlen(mask) != n || !is_hex(mask, n))))
		return 0;
	for (i = 0; i < n; i++)
		if ((hexval(a[i]) & (mask ? hexval(mask[i]) : 0xf)) != (hexval(b[i]) & (mask ? hexval(mask[i]) : 0xf)))
			return 0;
	return 1;
}

/* A component "match" says its measurement equals its reference: the
 * record must show it (the rules read the status, a reader the values).
 * The reference gives the value that matched: a digest, which the
 * component has in that algorithm ("digests", or its own "alg" and
 * "digest"), or a raw value, which the component's "value" equals where
 * the reference's "mask" has bits set. */
static fwt_err check_match(struct rcheck *rc, const json_t *c)
{
	const json_t *ref = json_object_get(c, "reference");
	const char *ralg = jstr(ref, "alg"), *calg = jstr(c, "alg"), *mine;
	char a[48];

	if (!json_is_object(ref))
		return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "a component whose status is \"match\" has no "
		            "reference: nothing was compared with it");
	if (ralg && !strcmp(ralg, "raw")) {
		if (calg && !strcmp(calg, "raw") && hex_same(jstr(c, "value"), jstr(ref, "value"), jstr(ref, "mask"), 1))
			return FWT_OK;
		return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "a component whose status is \"match\" has a "
		            "\"value\" other than its reference's: a record must agree with itself");
	}
	mine = ralg ? jstr(json_object_get(c, "digests"), ralg) : NULL;
	if (!mine && ralg && calg && !strcmp(ralg, calg))
		mine = jstr(c, "digest");
	if (hex_same(mine, jstr(ref, "digest"), NULL, 0))
		return FWT_OK;
	fwt__quote(a, sizeof(a), ralg ? ralg : "", ralg ? strlen(ralg) : 0);
	return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "a component whose status is \"match\" %s: a record "
	            "must agree with itself", !ralg ? "has a reference without an algorithm"
	            : mine ? "has another digest than its reference" : "has no digest in its reference's algorithm");
}

/* The summary's counts, where given, are the components' (a reader of
 * the record, or of the audit log, sees those first). */
static fwt_err check_counts(struct rcheck *rc, const json_t *record, const struct comps *comps)
{
	static const char *const st[] = { "match", "mismatch", "unknown", "missing" };
	const json_t *sum = json_object_get(record, "summary");
	size_t k;
	long long v;

	if (!json_is_object(sum) || (!comps->lazy && !json_is_array(comps->arr)))
		return FWT_OK;
	if (jint(sum, "components", &v) && (v < 0 || (size_t)v != comps_n(comps))) {
		path_push(&rc->p, ".summary.components");
		return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "the summary counts %lld component%s, but the record "
		            "lists %zu: a record must agree with itself", v, v == 1 ? "" : "s", comps_n(comps));
	}
	for (k = 0; k < 4; k++)
		if (jint(sum, st[k], &v) && (v < 0 || (size_t)v != rc->n[k])) {
			path_push(&rc->p, ".summary.%s", st[k]);
			return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "the summary counts %lld component%s \"%s\", but "
			            "%zu of the record's %s: a record must agree with itself", v, v == 1 ? "" : "s", st[k],
			            rc->n[k], rc->n[k] == 1 ? "is" : "are");
		}
	return FWT_OK;
}

/* What attest check never writes, and the rules would read one way: a
 * review its own issues contradict, a "match" its own values contradict,
 * counts other than the components', a signature both verified and
 * failed. */
/* One component: its types when made apart from the record (those in the
 * record were checked with it), its review and match; then what
 * check_counts and appraisal_entries need of it is counted. */
/* The products entry attest check writes for a reviewed component is
 * named by its component, "spdm:2" or "eventlog:pcr0" (only for a
 * component with an index, and a review naming vendor and product). */
static int review_key(const json_t *c, const json_t *rv, char *key, size_t cap)
{
	const char *src = jstr(c, "source"), *status = jstr(rv, "status"), *report = jstr(rv, "report");
	long long idx;
	int n;

	if (!src || !status || strcmp(status, "reviewed") || !report || !jstr(rv, "vendor") || !jstr(rv, "product") ||
	    !jint(c, "index", &idx))
		return 0;
	if (!strcmp(src, "spdm"))
		n = snprintf(key, cap, "spdm:%lld\n%s", idx, report);
	else if (!strcmp(src, "eventlog"))
		n = snprintf(key, cap, "eventlog:pcr%lld\n%s", idx, report);
	else
		return 0;
	return n > 0 && (size_t)n < cap;
}

/* What the review of component i gives its products entry, once per
 * component and report (check_products compares them). */
static fwt_err note_review(struct rcheck *rc, const json_t *c, const json_t *rv, size_t i)
{
	char key[64 + 4 * 1024];
	json_t *e;
	int oom = 0;

	if (!rc->reviews || !json_is_object(rv) || !review_key(c, rv, key, sizeof(key)) ||
	    json_object_get(rc->reviews, key))
		return FWT_OK;
	if (!(e = json_object()))
		return fwt__enomem(rc->ctx);
	oom |= json_object_set(e, "vendor", json_object_get(rv, "vendor"));
	oom |= json_object_set(e, "product", json_object_get(rv, "product"));
	if (json_object_get(rv, "fw_version") && !json_is_null(json_object_get(rv, "fw_version")))
		oom |= json_object_set(e, "fw_version", json_object_get(rv, "fw_version"));
	oom |= json_object_set_new(e, "at", json_integer((json_int_t)i));
	oom |= json_object_set_new_nocheck(rc->reviews, key, e);
	return oom ? fwt__enomem(rc->ctx) : FWT_OK;
}

static fwt_err check_component(struct rcheck *rc, const json_t *c, size_t i, int lazy)
{
	static const char *const st[] = { "match", "mismatch", "unknown", "missing" };
	const json_t *rv;
	size_t old, k;
	fwt_err err = FWT_OK;

	old = path_push(&rc->p, ".components[%zu]", i);
	if (lazy)
		err = check_value(rc, c, J_OBJ, component_fields, 0, NULL, NULL);
	if (!err && json_is_object(rv = json_object_get(c, "review"))) {
		size_t o2 = path_push(&rc->p, ".review");
		err = check_summary(rc, rv);
		path_pop(&rc->p, o2);
	}
	if (!err && !strcmp(jstr(c, "status"), "match"))
		err = check_match(rc, c);
	if (err)
		return err;
	path_pop(&rc->p, old);
	for (k = 0; k < 4; k++)
		if (!strcmp(jstr(c, "status"), st[k]))
			rc->n[k]++;
	rv = json_object_get(c, "review");
	if (!rc->entry_bad && (!json_is_object(rv) || !jstr(rv, "status") || !jstr(c, "status"))) {
		rc->entry_bad = !json_is_object(rv) || !jstr(rv, "status") ? "review" : "status";
		rc->entry_at = i;
	}
	if (json_is_object(rv) && jstr(rv, "status")) {
		rc->reviewed += !strcmp(jstr(rv, "status"), "reviewed");
		rc->unreviewed += strcmp(jstr(rv, "status"), "reviewed") != 0;
	}
	return note_review(rc, c, rv, i);
}

/* "products" derive from the reviews (fwtrail-policy(5)): attest check
 * writes one SFR entry per report and component it reviewed, with the
 * report's vendor, product and fw_version, which the component's review
 * gives too.  An entry no review gives, or that disagrees with its review,
 * has been edited (the rollback rule reads only "products"); so has a
 * reviewed component without its entry, in a record whose SFR entries name
 * their components (one of an older fwtrail names none, and is not
 * compared: fwtrail-policy(5)). */
static fwt_err check_products(struct rcheck *rc, const json_t *record)
{
	static const char *const fields[] = { "vendor", "product", "fw_version" };
	const json_t *p, *r, *pv, *rv;
	char key[64 + 4 * 1024], got[80], want[80], b1[CLIP + 4], b2[CLIP + 4];
	const char *k, *nl;
	size_t i, f, first = (size_t)-1;
	int any = 0;

	json_array_foreach(json_object_get(record, "products"), i, p) {
		const char *src = jstr(p, "source"), *comp = jstr(p, "component"), *path = jstr(p, "path");
		if (!src || strcmp(src, "sfr") || !comp)
			continue;
		any = 1;
		snprintf(key, sizeof(key), "%s\n%s", comp, path ? path : "");
		if (!(r = json_object_get(rc->reviews, key))) {
			path_push(&rc->p, ".products[%zu].component", i);
			return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "no component %s reviewed by '%s' in the record: "
			            "a record must agree with itself", clip(b1, comp), clip(b2, path ? path : ""));
		}
		for (f = 0; f < FWT_ARRAY_LEN(fields); f++) {
			pv = json_object_get(p, fields[f]);
			rv = json_object_get(r, fields[f]);
			if (pv && json_is_null(pv))
				pv = NULL;
			if (pv == rv || (pv && rv && json_equal(pv, rv)))
				continue;
			if (pv)
				show_value(pv, got, sizeof(got));
			if (rv)
				show_value(rv, want, sizeof(want));
			path_push(&rc->p, ".products[%zu].%s", i, fields[f]);
			return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "%s, but the review of %s by '%s' "
			            "($.components[%lld].review) gives %s: a record must agree with itself",
			            pv ? got : "none", clip(b1, comp), clip(b2, path ? path : ""),
			            (long long)json_integer_value(json_object_get(r, "at")), rv ? want : "none");
		}
		if (json_object_set_new(json_object_get(rc->reviews, key), "seen", json_true()))
			return fwt__enomem(rc->ctx);
	}
	if (!any)
		return FWT_OK;
	json_object_foreach(rc->reviews, k, r)
		if (!json_object_get(r, "seen") && (size_t)json_integer_value(json_object_get(r, "at")) < first) {
			first = (size_t)json_integer_value(json_object_get(r, "at"));
			snprintf(key, sizeof(key), "%s", k);
		}
	if (first == (size_t)-1)
		return FWT_OK;
	nl = strchr(key, '\n');
	path_push(&rc->p, ".components[%zu].review", first);
	return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "reviewed by '%s', but \"products\" has no entry for it "
	            "and component %.*s: a record must agree with itself", clip(b1, nl + 1), (int)(nl - key), key);
}

static fwt_err check_consistent(struct rcheck *rc, const json_t *record, const struct comps *comps)
{
	const json_t *c;
	json_t *made;
	size_t i, n = comps->lazy || json_is_array(comps->arr) ? comps_n(comps) : 0;
	fwt_err err = FWT_OK;

	if (!(rc->reviews = json_object()))
		return fwt__enomem(rc->ctx);
	for (i = 0; i < n && !err; i++) {
		if ((err = comps_get(rc->ctx, comps, i, &made)) != FWT_OK)
			break;
		err = check_component(rc, made, i, comps->lazy != NULL);
		json_decref(made);
	}
	if (!err)
		err = check_products(rc, record);
	json_decref(rc->reviews);
	rc->reviews = NULL;
	if (err)
		return err;
	json_array_foreach(json_object_get(record, "signatures"), i, c)
		if (json_is_true(json_object_get(c, "verified")) && json_is_string(json_object_get(c, "error"))) {
			path_push(&rc->p, ".signatures[%zu].error", i);
			return perr(rc->ctx, FWT_EFORMAT, rc->name, &rc->p, "a signature both verified and failed (an "
			            "\"error\" with \"verified\": true): a record must agree with itself");
		}
	return check_counts(rc, record, comps);
}

/* fwt_policy_record_check, with lazy as the components (NULL: the
 * record's own); rc is left with what check_consistent counted. */
static fwt_err record_check(struct rcheck *rc, fwt_ctx *ctx, const json_t *record,
                            const fwt_policy_components *lazy, const char *name)
{
	struct comps comps;
	json_t *schema;
	char got[80];
	fwt_err err;

	memset(rc, 0, sizeof(*rc));
	rc->ctx = ctx;
	rc->name = name ? name : "appraisal record";
	path_init(&rc->p);
	if (!json_is_object(record))
		return perr(ctx, FWT_EFORMAT, rc->name, &rc->p, "an appraisal record is a JSON object");
	schema = json_object_get(record, "schema");
	if (!schema) {
		path_push(&rc->p, ".schema");
		return perr(ctx, FWT_EFORMAT, rc->name, &rc->p, "missing: not an appraisal record");
	}
	if (!json_is_integer(schema) || json_integer_value(schema) != 1) {
		path_push(&rc->p, ".schema");
		show_value(schema, got, sizeof(got));
		return perr(ctx, json_is_integer(schema) ? FWT_EUNSUPPORTED : FWT_EFORMAT, rc->name, &rc->p,
		            "appraisal record schema %s is not supported (this fwtrail reads schema 1)", got);
	}
	err = check_members(rc, record, record_fields);
	if (err)
		return err;
	/* the components made apart stand for the record's, which are none */
	if (lazy && json_array_size(json_object_get(record, "components")))
		return fwt__error(ctx, FWT_EINVAL, "the appraisal record's components are given apart, but its "
		                  "\"components\" is not empty");
	comps_init(&comps, record, lazy);
	return check_consistent(rc, record, &comps);
}

fwt_err fwt_policy_record_check(fwt_ctx *ctx, const json_t *record, const char *name)
{
	struct rcheck rc;

	return record_check(&rc, ctx, record, NULL, name);
}

/* A record read as JSON (bounded), then checked by check. */
static fwt_err parse_record(fwt_ctx *ctx, json_t **out, const void *buf, size_t len, const char *name,
                            fwt_err (*check)(fwt_ctx *, const json_t *, const char *))
{
	fwt_json_options jo = FWT_JSON_OPTIONS_INIT;
	json_t *j = NULL;
	fwt_err err;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to the appraisal record parser");
	*out = NULL;
	jo.max_size = FWT_POLICY_RECORD_MAX_SIZE;
	jo.max_depth = 16;
	err = fwt_json_parse(ctx, &j, buf, len, name, &jo);
	if (err)
		return err;
	err = check(ctx, j, name);
	if (err) {
		json_decref(j);
		return err;
	}
	*out = j;
	return FWT_OK;
}

fwt_err fwt_policy_record_parse(fwt_ctx *ctx, json_t **out, const void *buf, size_t len, const char *name)
{
	return parse_record(ctx, out, buf, len, name, fwt_policy_record_check);
}

/* What `attest check --json` always writes beside "command" and "schema"
 * (fwtrail-attest-check(1)): a record without one has been edited, and an
 * absent member would read as "nothing wrong" (no conflicts, say). */
static const char *const appraisal_members[] = { "ok", "at", "summary", "components", "inputs", "signatures",
	                                         "products", "conflicts", "unverifiable", NULL };

/* The members attest check writes in each entry of a list, and the
 * summary's counts of them: a record without them is refused, since the
 * rules would read their absence as "nothing to say".  Returns the
 * member's name when one is missing or the counts disagree, else NULL. */
static const char *appraisal_entries(const json_t *record, const struct rcheck *rc, char *where, size_t cap)
{
	const json_t *sum = json_object_get(record, "summary"), *e;
	long long v;
	size_t i, reviewed = rc->reviewed, unreviewed = rc->unreviewed;

	/* the components' entries, as record_check walked them */
	if (rc->entry_bad) {
		snprintf(where, cap, "components[%zu]", rc->entry_at);
		return rc->entry_bad;
	}
	json_array_foreach(json_object_get(record, "signatures"), i, e) {
		snprintf(where, cap, "signatures[%zu]", i);
		if (!jstr(e, "kind") || !json_is_boolean(json_object_get(e, "verified")))
			return !jstr(e, "kind") ? "kind" : "verified";
		if (!strcmp(jstr(e, "kind"), "spdm") && (!json_is_boolean(json_object_get(e, "signature_checked")) ||
		                                          !jstr(e, "authentication")))
			return json_is_boolean(json_object_get(e, "signature_checked")) ? "authentication" : "signature_checked";
	}
	json_array_foreach(json_object_get(record, "inputs"), i, e) {
		snprintf(where, cap, "inputs[%zu]", i);
		if (json_is_true(json_object_get(e, "local")) && !json_is_object(json_object_get(e, "tpm")))
			return "tpm";
	}
	snprintf(where, cap, "summary");
	if (!jint(sum, "conflicts", &v) || v < 0 || (size_t)v != json_array_size(json_object_get(record, "conflicts")))
		return "conflicts";
	if (!jint(sum, "unverifiable", &v) || v < 0 ||
	    (size_t)v != json_array_size(json_object_get(record, "unverifiable")))
		return "unverifiable";
	if (!jint(sum, "reviewed", &v) || v < 0 || (size_t)v != reviewed)
		return "reviewed";
	if (!jint(sum, "unreviewed", &v) || v < 0 || (size_t)v != unreviewed)
		return "unreviewed";
	return NULL;
}

static fwt_err appraisal_check(fwt_ctx *ctx, const json_t *record, const fwt_policy_components *lazy,
                               const char *name)
{
	const json_t *cmd, *schema, *e, *m;
	char q[256 * 4 + 8], what[40 * 4 + 8], why[128 * 4 + 8];
	struct rcheck rc;
	size_t i;

	name = name ? name : "appraisal record";
	fwt__quote(q, sizeof(q), name, strlen(name));
	if (!json_is_object(record))
		return fwt__error(ctx, FWT_EFORMAT, "'%s' is not an appraisal record of 'attest check': it is a JSON %s, "
		                  "not an object", q, fwt_json_type_name(record));
	/* the output of another command: named, whatever else it holds */
	cmd = json_object_get(record, "command");
	if (json_is_string(cmd) && strcmp(json_string_value(cmd), "attest check")) {
		fwt__quote(what, sizeof(what), json_string_value(cmd), json_string_length(cmd));
		return fwt__error(ctx, FWT_EFORMAT, "'%s' is not an appraisal record of 'attest check': it is the output "
		                  "of 'fwtrail %s'", q, what);
	}
	/* a schema this fwtrail does not read is said as such (exit 6) */
	schema = json_object_get(record, "schema");
	if (schema && (!json_is_integer(schema) || json_integer_value(schema) != 1))
		return record_check(&rc, ctx, record, lazy, name);
	if (!json_is_string(cmd))
		return fwt__error(ctx, FWT_EFORMAT, "'%s' is not an appraisal record of 'attest check': it has no "
		                  "\"command\" naming the command that wrote it", q);
	/* attest check's failure object: the run stopped before appraising */
	e = json_object_get(record, "error");
	m = json_object_get(e, "message");
	if (!json_object_get(record, "components") && json_is_string(m)) {
		fwt__quote(why, sizeof(why), json_string_value(m), json_string_length(m));
		return fwt__error(ctx, FWT_EFORMAT, "'%s' is not an appraisal record of 'attest check': it is the failure "
		                  "report of an 'attest check' that appraised nothing: %s", q, why);
	}
	for (i = 0; appraisal_members[i]; i++)
		if (!json_object_get(record, appraisal_members[i]) || json_is_null(json_object_get(record, appraisal_members[i])))
			return fwt__error(ctx, FWT_EFORMAT, "'%s' is not an appraisal record of 'attest check': it has no "
			                  "\"%s\"", q, appraisal_members[i]);
	{
		char where[64];
		const char *bad;
		fwt_err err = record_check(&rc, ctx, record, lazy, name);
		if (err)
			return err;
		if ((bad = appraisal_entries(record, &rc, where, sizeof(where))) != NULL)
			return fwt__error(ctx, FWT_EFORMAT, "'%s': $.%s: \"%s\" is missing or does not agree with the "
			                  "record, as attest check writes it: an edited record", q, where, bad);
	}
	return FWT_OK;
}

fwt_err fwt_policy_appraisal_check(fwt_ctx *ctx, const json_t *record, const char *name)
{
	return appraisal_check(ctx, record, NULL, name);
}

fwt_err fwt_policy_appraisal_check_components(fwt_ctx *ctx, const json_t *record, const fwt_policy_components *comps,
                                              const char *name)
{
	if (!comps || (comps->n && !comps->get))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_policy_appraisal_check_components");
	return appraisal_check(ctx, record, comps, name);
}

fwt_err fwt_policy_appraisal_parse(fwt_ctx *ctx, json_t **out, const void *buf, size_t len, const char *name)
{
	return parse_record(ctx, out, buf, len, name, fwt_policy_appraisal_check);
}

/* ---- the policy ---- */

enum rule_kind { R_SIGNATURES, R_MEASUREMENTS, R_REVIEW, R_AGE, R_CVSS, R_CWE, R_ROLLBACK, R_REFERENCES };

struct pcheck {
	fwt_ctx *ctx;
	const char *name;
	struct path p;
	json_t *rule; /* the normalised copy being built */
};

typedef fwt_err (*param_fn)(struct pcheck *pc, const json_t *v);

struct param {
	const char *name;
	param_fn check;
};

struct rule_def {
	const char *name;
	enum rule_kind kind;
	const struct param *params;
	const char *required; /* a parameter that must be given, or NULL */
};

static fwt_err bad(struct pcheck *pc, const json_t *v, const char *what)
{
	char got[80];

	show_value(v, got, sizeof(got));
	return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "%s, not %s", what, got);
}

static fwt_err e_cwe(struct pcheck *pc, const json_t *e, const char *what);

/* Two entries of a list say the same when they are CWE ids of one number
 * (CWE-787 and cwe-0787), strings equal without regard to ASCII case
 * (fingerprints, names), or equal as JSON (PCR numbers, selectors).  A
 * list may hold MAX_LIST entries and a policy hundreds of lists, so
 * repeats are found by sorting the entries, never by comparing each pair
 * (4096-entry lists in a policy of 1 MiB took seconds that way). */
struct entry_at {
	const json_t *e;
	long id; /* a CWE list: the entry's number */
	size_t i;
};

/* A member of a selector: absent first, then by type, then by value as
 * json_equal compares them (strings exactly). */
static int member_cmp(const json_t *x, const json_t *y)
{
	if (!x || !y)
		return !!x - !!y;
	if (json_typeof(x) != json_typeof(y))
		return json_typeof(x) < json_typeof(y) ? -1 : 1;
	if (json_is_string(x))
		return strcmp(json_string_value(x), json_string_value(y));
	if (json_is_integer(x))
		return (json_integer_value(x) > json_integer_value(y)) - (json_integer_value(x) < json_integer_value(y));
	return 0;
}

/* An order of the entries of a list whose equality is "says the same".
 * Each entry was read: a string, an integer, or a selector of "source",
 * "index" and "name" only (JSON strings hold no NUL). */
static int entry_cmp(const struct entry_at *p, const struct entry_at *q, int cwe)
{
	static const char *const members[] = { "source", "index", "name", "vendor", "model", "class_id" };
	const json_t *a = p->e, *b = q->e;
	size_t k;
	int d;

	if (cwe)
		return (p->id > q->id) - (p->id < q->id);
	if (json_typeof(a) != json_typeof(b))
		return json_typeof(a) < json_typeof(b) ? -1 : 1;
	if (json_is_string(a))
		return ascii_icmp(json_string_value(a), json_string_value(b));
	if (json_is_object(a)) {
		for (k = 0; k < FWT_ARRAY_LEN(members); k++)
			if ((d = member_cmp(json_object_get(a, members[k]), json_object_get(b, members[k]))) != 0)
				return d;
		return 0;
	}
	return member_cmp(a, b);
}

static int entry_at_cmp(const void *x, const void *y)
{
	const struct entry_at *p = x, *q = y;
	int d = entry_cmp(p, q, 0);

	return d ? d : (p->i > q->i) - (p->i < q->i);
}

static int cwe_at_cmp(const void *x, const void *y)
{
	const struct entry_at *p = x, *q = y;
	int d = entry_cmp(p, q, 1);

	return d ? d : (p->i > q->i) - (p->i < q->i);
}

/* Entries [0, n) of list v (each already read) without repeats: the first
 * entry that repeats an earlier one is named, with the first entry it
 * repeats, as a walk comparing each entry with those before it would. */
static fwt_err list_repeats(struct pcheck *pc, const json_t *v, size_t n, int cwe)
{
	size_t i, at = SIZE_MAX, first = 0, old;
	struct entry_at *a = malloc((n ? n : 1) * sizeof(*a));
	const json_t *e;
	fwt_err err = FWT_OK;

	if (!a)
		return fwt__enomem(pc->ctx);
	for (i = 0; i < n; i++) {
		e = json_array_get(v, i);
		a[i].e = e;
		a[i].i = i;
		a[i].id = 0;
		if (cwe && !parse_cwe(json_string_value(e), json_string_length(e), &a[i].id))
			a[i].id = -1 - (long)i; /* cannot happen: each was read */
	}
	qsort(a, n, sizeof(*a), cwe ? cwe_at_cmp : entry_at_cmp);
	for (i = 1; i < n; i++) /* in a run of equal entries, the second is the first repeat */
		if (!entry_cmp(&a[i], &a[i - 1], cwe) && (i < 2 || entry_cmp(&a[i - 2], &a[i], cwe)) && a[i].i < at) {
			at = a[i].i;
			first = a[i - 1].i;
		}
	if (at != SIZE_MAX) {
		old = path_push(&pc->p, "[%zu]", at);
		err = perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "repeats entry [%zu]", first);
		path_pop(&pc->p, old);
	}
	free(a);
	return err;
}

/* A list: an array of 1..MAX_LIST (or 0.. when may_be_empty) elements,
 * each checked by elem (with the path extended), without repeats.  The
 * first entry that is bad or repeats an earlier one is named, whichever
 * comes first; a list of CWE ids names a bad entry before any repeat. */
static fwt_err check_list(struct pcheck *pc, const json_t *v, int may_be_empty, const char *what,
                          fwt_err (*elem)(struct pcheck *, const json_t *, const char *))
{
	size_t i, old = 0;
	json_t *e;
	fwt_err err = FWT_OK, rep;

	if (!json_is_array(v))
		return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "must be an array of %s, not %s", what,
		            fwt_json_type_name(v));
	if (!json_array_size(v) && !may_be_empty)
		return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "must not be an empty list: give one or more %s", what);
	if (json_array_size(v) > MAX_LIST)
		return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "more than %d entries", MAX_LIST);
	json_array_foreach(v, i, e) {
		old = path_push(&pc->p, "[%zu]", i);
		err = elem(pc, e, what);
		if (err)
			break; /* i: the bad entry */
		path_pop(&pc->p, old);
	}
	if (elem == e_cwe)
		return err ? err : list_repeats(pc, v, i, 1);
	if (!err)
		return list_repeats(pc, v, i, 0);
	/* a repeat among the entries before the bad one comes first */
	path_pop(&pc->p, old);
	rep = list_repeats(pc, v, i, 0);
	return rep ? rep : err;
}

static const char *const sig_kinds[] = { "firmware", "rim", "sfr", "spdm", NULL };
static const char *const sources[] = { "eventlog", "spdm", NULL };
static const char *const compares[] = { "fw_version", "svn", NULL };

static fwt_err e_oneof(struct pcheck *pc, const json_t *e, const char *const *set, const char *what)
{
	if (!json_is_string(e) || !in_list(json_string_value(e), set))
		return bad(pc, e, what);
	return FWT_OK;
}

static fwt_err e_kind(struct pcheck *pc, const json_t *e, const char *what)
{
	return e_oneof(pc, e, sig_kinds, "must be one of firmware, rim, sfr, spdm");
}

static fwt_err e_source(struct pcheck *pc, const json_t *e, const char *what)
{
	return e_oneof(pc, e, sources, "must be eventlog or spdm");
}

static fwt_err e_compare(struct pcheck *pc, const json_t *e, const char *what)
{
	return e_oneof(pc, e, compares, "must be fw_version or svn");
}

static fwt_err e_fpr(struct pcheck *pc, const json_t *e, const char *what)
{
	if (!json_is_string(e) || json_string_length(e) != 64 || !is_hex(json_string_value(e), 64))
		return bad(pc, e, "must be a key fingerprint: the SHA-256 of its SubjectPublicKeyInfo, 64 hex digits");
	return FWT_OK;
}

static fwt_err e_pcr(struct pcheck *pc, const json_t *e, const char *what)
{
	if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > MAX_PCR)
		return bad(pc, e, "must be a PCR number from 0 to 1023");
	return FWT_OK;
}

static fwt_err e_index(struct pcheck *pc, const json_t *e, const char *what)
{
	if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > MAX_INDEX)
		return bad(pc, e, "must be an SPDM measurement index from 0 to 255");
	return FWT_OK;
}

static fwt_err e_name(struct pcheck *pc, const json_t *e, const char *what)
{
	if (!json_is_string(e) || !json_string_length(e) || json_string_length(e) > 256)
		return bad(pc, e, "must be a non-empty string of at most 256 bytes");
	return FWT_OK;
}

/* "CWE-<1 to 7 digits>" (the prefix in either case); *id gets the number. */
static int parse_cwe(const char *s, size_t n, long *id)
{
	size_t i;
	long v = 0;

	if (n < 5 || n > 11 || !(s[0] == 'C' || s[0] == 'c') || !(s[1] == 'W' || s[1] == 'w') ||
	    !(s[2] == 'E' || s[2] == 'e') || s[3] != '-')
		return 0;
	for (i = 4; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*id = v;
	return 1;
}

static fwt_err e_cwe(struct pcheck *pc, const json_t *e, const char *what)
{
	long id;

	if (!json_is_string(e) || !parse_cwe(json_string_value(e), json_string_length(e), &id))
		return bad(pc, e, "must be a CWE id such as \"CWE-787\"");
	return FWT_OK;
}

static fwt_err e_selector(struct pcheck *pc, const json_t *e, const char *what)
{
	const char *k;
	json_t *v;
	size_t old;
	fwt_err err;

	if (!json_is_object(e))
		return bad(pc, e, "must be an object {\"source\", \"index\", \"name\"}");
	if (!json_object_get(e, "source"))
		return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "a component needs a \"source\"");
	json_object_foreach((json_t *)e, k, v) {
		old = path_push(&pc->p, ".%s", k);
		if (!strcmp(k, "source"))
			err = e_source(pc, v, NULL);
		else if (!strcmp(k, "index"))
			err = json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 1023
			              ? FWT_OK
			              : bad(pc, v, "must be an index or PCR number from 0 to 1023");
		else if (!strcmp(k, "name"))
			err = e_name(pc, v, NULL);
		else
			err = perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "unknown member (a component has source, index, name)");
		if (err)
			return err;
		path_pop(&pc->p, old);
	}
	return FWT_OK;
}

/* A product of the references rule: {"vendor", "model", "class_id"}, at
 * least one of them, each a name. */
static fwt_err e_product(struct pcheck *pc, const json_t *e, const char *what)
{
	const char *k;
	json_t *v;
	size_t old;
	fwt_err err;

	if (!json_is_object(e))
		return bad(pc, e, "must be an object {\"vendor\", \"model\", \"class_id\", \"keys\"}");
	if (!json_object_get(e, "vendor") && !json_object_get(e, "model") && !json_object_get(e, "class_id"))
		return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p,
		            "a product needs at least one of \"vendor\", \"model\", \"class_id\"");
	json_object_foreach((json_t *)e, k, v) {
		old = path_push(&pc->p, ".%s", k);
		if (!strcmp(k, "vendor") || !strcmp(k, "model") || !strcmp(k, "class_id"))
			err = e_name(pc, v, NULL);
		else if (!strcmp(k, "keys"))
			err = check_list(pc, v, 0, "key fingerprints", e_fpr);
		else
			err = perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p,
			           "unknown member (a product has vendor, model, class_id, keys)");
		if (err)
			return err;
		path_pop(&pc->p, old);
	}
	return FWT_OK;
}

static fwt_err p_require(struct pcheck *pc, const json_t *v) { return check_list(pc, v, 1, "signature kinds", e_kind); }
static fwt_err p_fprs(struct pcheck *pc, const json_t *v) { return check_list(pc, v, 0, "key fingerprints", e_fpr); }
static fwt_err p_sources(struct pcheck *pc, const json_t *v) { return check_list(pc, v, 0, "sources", e_source); }
static fwt_err p_pcrs(struct pcheck *pc, const json_t *v) { return check_list(pc, v, 0, "PCR numbers", e_pcr); }
static fwt_err p_indices(struct pcheck *pc, const json_t *v) { return check_list(pc, v, 0, "measurement indices", e_index); }
/* A reviewers entry: a name, or {"name", "keys"}: the name, and the
 * fingerprints of the keys that may sign its reviews (1 or more). */
static fwt_err e_reviewer(struct pcheck *pc, const json_t *e, const char *what)
{
	const char *k;
	json_t *v;
	size_t old;
	fwt_err err;

	if (json_is_string(e))
		return e_name(pc, e, what);
	if (!json_is_object(e))
		return bad(pc, e, "must be a reviewer's name, or an object {\"name\", \"keys\"}");
	if (!json_object_get(e, "name") || !json_object_get(e, "keys"))
		return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "a reviewer object needs \"name\" and \"keys\"");
	json_object_foreach((json_t *)e, k, v) {
		old = path_push(&pc->p, ".%s", k);
		if (!strcmp(k, "name"))
			err = e_name(pc, v, NULL);
		else if (!strcmp(k, "keys"))
			err = check_list(pc, v, 0, "key fingerprints", e_fpr);
		else
			err = perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "unknown member (a reviewer has name, keys)");
		if (err)
			return err;
		path_pop(&pc->p, old);
	}
	return FWT_OK;
}

/* The name of a reviewers entry (a string, or an object's "name"). */
static const char *reviewer_name(const json_t *e)
{
	return json_is_string(e) ? json_string_value(e) : jstr(e, "name");
}

static int reviewer_at_cmp(const void *x, const void *y)
{
	const struct entry_at *p = x, *q = y;
	int d = ascii_icmp(reviewer_name(p->e), reviewer_name(q->e));

	return d ? d : (p->i > q->i) - (p->i < q->i);
}

/* Names are compared without regard to ASCII case, so one reviewer may be
 * listed once, as a name or with its keys: never both ways (which form
 * would hold?). */
static fwt_err p_reviewers(struct pcheck *pc, const json_t *v)
{
	struct entry_at *a;
	size_t n, i, old;
	fwt_err err = check_list(pc, v, 0, "reviewer names", e_reviewer);

	if (err || (n = json_array_size(v)) < 2)
		return err;
	if (!(a = malloc(n * sizeof(*a))))
		return fwt__enomem(pc->ctx);
	for (i = 0; i < n; i++) {
		a[i].e = json_array_get(v, i);
		a[i].id = 0;
		a[i].i = i;
	}
	qsort(a, n, sizeof(*a), reviewer_at_cmp);
	for (i = 1; i < n && !err; i++)
		if (!ascii_icmp(reviewer_name(a[i - 1].e), reviewer_name(a[i].e))) {
			old = path_push(&pc->p, "[%zu]", a[i].i);
			err = perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "names the reviewer of entry [%zu] again",
			           a[i - 1].i);
			path_pop(&pc->p, old);
		}
	free(a);
	return err;
}
static fwt_err p_components(struct pcheck *pc, const json_t *v) { return check_list(pc, v, 0, "components", e_selector); }
static fwt_err p_cwes(struct pcheck *pc, const json_t *v) { return check_list(pc, v, 0, "CWE ids", e_cwe); }
static fwt_err p_compare(struct pcheck *pc, const json_t *v) { return check_list(pc, v, 0, "fields", e_compare); }
static fwt_err p_products(struct pcheck *pc, const json_t *v) { return check_list(pc, v, 0, "products", e_product); }

static fwt_err p_min_scope(struct pcheck *pc, const json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100)
		return bad(pc, v, "must be a scope number from 0 to 100");
	return FWT_OK;
}

static fwt_err p_max_days(struct pcheck *pc, const json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 36500)
		return bad(pc, v, "must be a number of days from 0 to 36500");
	return FWT_OK;
}

/* CVSS scores have one decimal, and the rule compares in tenths: a
 * threshold with more (4.35) would be applied as another (4.4), so it is
 * refused rather than rounded. */
static fwt_err p_threshold(struct pcheck *pc, const json_t *v)
{
	double t;

	if (!json_is_number(v) || json_number_value(v) < 0.0 || json_number_value(v) > 10.0)
		return bad(pc, v, "must be a number from 0 to 10");
	t = json_number_value(v) * 10.0 - (double)tenths(json_number_value(v));
	if (t > 1e-6 || t < -1e-6)
		return bad(pc, v, "must be a CVSS score, with at most one decimal");
	return FWT_OK;
}

static const struct param sig_params[] = {
	{ "require", p_require }, { "vendor", p_fprs }, { "reviewer", p_fprs }, { NULL, NULL }
};
static const struct param meas_params[] = {
	{ "sources", p_sources }, { "pcrs", p_pcrs }, { "indices", p_indices }, { NULL, NULL }
};
static const struct param review_params[] = {
	{ "min_scope", p_min_scope }, { "reviewers", p_reviewers }, { "components", p_components }, { NULL, NULL }
};
static const struct param age_params[] = { { "max_days", p_max_days }, { NULL, NULL } };
static const struct param cvss_params[] = { { "threshold", p_threshold }, { NULL, NULL } };
static const struct param cwe_params[] = { { "cwes", p_cwes }, { NULL, NULL } };
static const struct param rollback_params[] = { { "compare", p_compare }, { NULL, NULL } };
static const struct param references_params[] = { { "products", p_products }, { NULL, NULL } };

static const struct rule_def rule_defs[] = {
	{ "signatures", R_SIGNATURES, sig_params, NULL },
	{ "measurements", R_MEASUREMENTS, meas_params, NULL },
	{ "review-coverage", R_REVIEW, review_params, NULL },
	{ "sfr-age", R_AGE, age_params, "max_days" },
	{ "max-cvss", R_CVSS, cvss_params, "threshold" },
	{ "forbidden-cwe", R_CWE, cwe_params, "cwes" },
	{ "rollback", R_ROLLBACK, rollback_params, NULL },
	{ "references", R_REFERENCES, references_params, "products" },
};

struct rule {
	const struct rule_def *def;
	json_t *obj; /* normalised: id, rule, level and defaults filled in (owned by doc) */
	int warn;
};

struct fwt_policy {
	json_t *doc;
	char *name;
	struct rule *rules;
	size_t n;
	int needs_history;
};

static int id_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

static json_t *str_array(const char *const *v)
{
	json_t *a = json_array();

	for (; a && *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static int list_has_str(const json_t *list, const char *s);

/* A measurements rule's "pcrs" scope event-log components and its
 * "indices" SPDM ones: "sources" leaving out that kind would leave them
 * nothing to scope (and the rule would check none of them), so the two
 * contradict each other. */
static fwt_err meas_params_agree(struct pcheck *pc, const json_t *rule)
{
	static const struct {
		const char *param, *src, *what;
	} need[] = { { "pcrs", "eventlog", "PCRs" }, { "indices", "spdm", "SPDM indices" } };
	const json_t *srcs = json_object_get(rule, "sources");
	size_t i, old;
	fwt_err err;

	for (i = 0; srcs && i < FWT_ARRAY_LEN(need); i++)
		if (json_object_get(rule, need[i].param) && !list_has_str(srcs, need[i].src)) {
			old = path_push(&pc->p, ".%s", need[i].param);
			err = perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p,
			           "names %s, but \"sources\" leaves out %s (the rule would check none of them)",
			           need[i].what, need[i].src);
			path_pop(&pc->p, old);
			return err;
		}
	return FWT_OK;
}

static fwt_err parse_rule(struct pcheck *pc, const json_t *in, struct rule *r)
{
	static const char *const def_require[] = { "rim", "sfr", NULL };
	const struct rule_def *def = NULL;
	const struct param *pp;
	const char *k, *name;
	json_t *v, *out;
	size_t i, old;
	fwt_err err;

	if (!json_is_object(in))
		return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "a rule is an object, not %s", fwt_json_type_name(in));
	v = json_object_get(in, "rule");
	if (!v)
		return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "a rule needs a \"rule\" member naming it");
	old = path_push(&pc->p, ".rule");
	if (!json_is_string(v))
		return bad(pc, v, "must be a rule name");
	name = json_string_value(v);
	for (i = 0; i < FWT_ARRAY_LEN(rule_defs); i++)
		if (!strcmp(rule_defs[i].name, name))
			def = &rule_defs[i];
	if (!def)
		return bad(pc, v,
		           "unknown rule (known: signatures, measurements, review-coverage, sfr-age, max-cvss, "
		           "forbidden-cwe, rollback, references)");
	path_pop(&pc->p, old);
	out = json_object();
	if (!out)
		return fwt__enomem(pc->ctx);
	pc->rule = out;
	json_object_foreach((json_t *)in, k, v) {
		old = path_push(&pc->p, ".%s", k);
		err = FWT_OK;
		if (!strcmp(k, "rule")) {
			/* checked above */
		} else if (!strcmp(k, "id")) {
			if (!json_is_string(v) || !id_ok(json_string_value(v), json_string_length(v)))
				err = bad(pc, v, "must be 1 to 64 letters, digits, '-', '_' or '.'");
		} else if (!strcmp(k, "level")) {
			if (!json_is_string(v) || (strcmp(json_string_value(v), "fail") && strcmp(json_string_value(v), "warn")))
				err = bad(pc, v, "must be \"fail\" or \"warn\"");
		} else if (!strcmp(k, "description")) {
			if (!json_is_string(v) || json_string_length(v) > 1024)
				err = bad(pc, v, "must be a string of at most 1024 bytes");
		} else {
			for (pp = def->params; pp->name; pp++)
				if (!strcmp(pp->name, k))
					break;
			if (!pp->name)
				err = perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "unknown parameter for rule '%s'", def->name);
			else
				err = pp->check(pc, v);
		}
		if (err) {
			json_decref(out);
			return err;
		}
		json_object_set_new(out, k, json_deep_copy(v));
		path_pop(&pc->p, old);
	}
	if (def->kind == R_MEASUREMENTS && (err = meas_params_agree(pc, out)) != FWT_OK) {
		json_decref(out);
		return err;
	}
	if (def->required && !json_object_get(in, def->required)) {
		json_decref(out);
		return perr(pc->ctx, FWT_EFORMAT, pc->name, &pc->p, "rule '%s' needs the parameter \"%s\"", def->name,
		            def->required);
	}
	if (!json_object_get(out, "id"))
		json_object_set_new(out, "id", json_string(def->name));
	if (!json_object_get(out, "level"))
		json_object_set_new(out, "level", json_string("fail"));
	if (def->kind == R_SIGNATURES && !json_object_get(out, "require"))
		json_object_set_new(out, "require", str_array(def_require));
	if (def->kind == R_ROLLBACK && !json_object_get(out, "compare"))
		json_object_set_new(out, "compare", str_array(compares));
	r->def = def;
	r->obj = out;
	r->warn = !strcmp(jstr(out, "level"), "warn");
	return FWT_OK;
}

fwt_err fwt_policy_parse(fwt_ctx *ctx, fwt_policy **out, const void *buf, size_t len, const char *name)
{
	fwt_json_options jo = FWT_JSON_OPTIONS_INIT;
	struct pcheck pc;
	fwt_policy *p = NULL;
	json_t *in = NULL, *v, *rules, *doc_rules;
	const char *k;
	size_t i, j, old;
	fwt_err err;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_policy_parse");
	*out = NULL;
	if (!name)
		name = "policy";
	jo.max_size = FWT_POLICY_MAX_SIZE;
	jo.max_depth = 8;
	err = fwt_json_parse(ctx, &in, buf, len, name, &jo);
	if (err)
		return err;
	memset(&pc, 0, sizeof(pc));
	pc.ctx = ctx;
	pc.name = name;
	path_init(&pc.p);
	json_object_foreach(in, k, v) {
		if (strcmp(k, "fwtrail_policy") && strcmp(k, "rules") && strcmp(k, "description")) {
			path_push(&pc.p, ".%s", k);
			err = perr(ctx, FWT_EFORMAT, name, &pc.p,
			           "unknown member (a policy has fwtrail_policy, rules and description)");
			goto fail;
		}
	}
	v = json_object_get(in, "fwtrail_policy");
	if (!v) {
		err = perr(ctx, FWT_EFORMAT, name, &pc.p, "not a fwtrail policy: no \"fwtrail_policy\" member");
		goto fail;
	}
	old = path_push(&pc.p, ".fwtrail_policy");
	if (!json_is_integer(v)) {
		err = bad(&pc, v, "must be the policy format version, 1");
		goto fail;
	}
	if (json_integer_value(v) != 1) {
		err = perr(ctx, FWT_EUNSUPPORTED, name, &pc.p, "policy format version %lld is not supported (this fwtrail reads 1)",
		           (long long)json_integer_value(v));
		goto fail;
	}
	path_pop(&pc.p, old);
	v = json_object_get(in, "description");
	if (v && (!json_is_string(v) || json_string_length(v) > 4096)) {
		path_push(&pc.p, ".description");
		err = bad(&pc, v, "must be a string of at most 4096 bytes");
		goto fail;
	}
	rules = json_object_get(in, "rules");
	if (!rules) {
		err = perr(ctx, FWT_EFORMAT, name, &pc.p, "no \"rules\" member");
		goto fail;
	}
	old = path_push(&pc.p, ".rules");
	if (!json_is_array(rules) || !json_array_size(rules) || json_array_size(rules) > MAX_RULES) {
		err = json_is_array(rules) ? perr(ctx, FWT_EFORMAT, name, &pc.p, "must hold 1 to %d rules", MAX_RULES)
		                           : bad(&pc, rules, "must be an array of rules");
		goto fail;
	}
	p = calloc(1, sizeof(*p));
	if (!p || !(p->rules = calloc(json_array_size(rules), sizeof(*p->rules))) || !(p->name = fwt__strndup(name, strlen(name))) ||
	    !(p->doc = json_object()) || !(doc_rules = json_array())) {
		err = fwt__enomem(ctx);
		goto fail;
	}
	json_object_set_new(p->doc, "fwtrail_policy", json_integer(1));
	if ((v = json_object_get(in, "description")) != NULL)
		json_object_set(p->doc, "description", v);
	json_object_set_new(p->doc, "rules", doc_rules);
	for (i = 0; i < json_array_size(rules); i++) {
		size_t o2 = path_push(&pc.p, "[%zu]", i);
		err = parse_rule(&pc, json_array_get(rules, i), &p->rules[i]);
		if (err)
			goto fail;
		json_array_append_new(doc_rules, p->rules[i].obj);
		p->n++;
		for (j = 0; j < i; j++) {
			if (!strcmp(jstr(p->rules[j].obj, "id"), jstr(p->rules[i].obj, "id"))) {
				path_push(&pc.p, ".id");
				err = perr(ctx, FWT_EFORMAT, name, &pc.p,
				           "rule id '%s' is already used by $.rules[%zu]: give each rule of the same kind its own \"id\"",
				           jstr(p->rules[i].obj, "id"), j);
				goto fail;
			}
		}
		if (p->rules[i].def->kind == R_ROLLBACK)
			p->needs_history = 1;
		path_pop(&pc.p, o2);
	}
	path_pop(&pc.p, old);
	json_decref(in);
	*out = p;
	return FWT_OK;
fail:
	json_decref(in);
	fwt_policy_free(p);
	return err;
}

void fwt_policy_free(fwt_policy *p)
{
	if (!p)
		return;
	json_decref(p->doc);
	free(p->rules);
	free(p->name);
	free(p);
}

size_t fwt_policy_rule_count(const fwt_policy *p) { return p ? p->n : 0; }
int fwt_policy_needs_history(const fwt_policy *p) { return p && p->needs_history; }
const json_t *fwt_policy_json(const fwt_policy *p) { return p ? p->doc : NULL; }

/* ---- versions ---- */

#define VER_PARTS 16

static int ver_parse(const char *s, size_t n, unsigned long long parts[VER_PARTS], size_t *np)
{
	size_t i = 0, k = 0, digits;

	if (n && (s[0] == 'v' || s[0] == 'V'))
		i = 1;
	if (i >= n)
		return 0;
	for (;;) {
		unsigned long long v = 0;
		digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (++digits > 18)
				return 0;
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		if (!digits || k >= VER_PARTS)
			return 0;
		parts[k++] = v;
		if (i == n)
			break;
		if (s[i] != '.')
			return 0;
		i++;
	}
	*np = k;
	return 1;
}

fwt_err fwt_policy_version_cmp(const char *a, size_t alen, const char *b, size_t blen, int *cmp)
{
	unsigned long long pa[VER_PARTS], pb[VER_PARTS];
	size_t na, nb, i;

	if (!a || !b || !cmp || !ver_parse(a, alen, pa, &na) || !ver_parse(b, blen, pb, &nb))
		return FWT_EFORMAT;
	for (i = 0; i < na || i < nb; i++) {
		unsigned long long x = i < na ? pa[i] : 0, y = i < nb ? pb[i] : 0;
		if (x != y) {
			*cmp = x < y ? -1 : 1;
			return FWT_OK;
		}
	}
	*cmp = 0;
	return FWT_OK;
}

/* ---- evaluation ---- */

/*
 * A rule's reasons are of two kinds.  reason(): a problem the record
 * shows (a mismatch, a signature that failed, a CVSS at the threshold),
 * which gives the rule its level, fail or warn.  lack(): the rule needs
 * something the record does not say (no SFR to read issues from, no log,
 * no reference value, nothing measured), which fails it whatever its
 * level: nothing passes, not even with a warning, for want of information.
 */
struct reasons {
	json_t *arr;
	size_t extra;
	int oom;
	int lacking;    /* a lack() reason was given: the rule fails */
};

static void vreason(struct reasons *r, const char *fmt, va_list ap) FWT_FMT(2, 0);
static void vreason(struct reasons *r, const char *fmt, va_list ap)
{
	char buf[REASON_MAX];
	json_t *s;

	if (json_array_size(r->arr) >= REASONS_MAX) {
		r->extra++;
		return;
	}
	vsnprintf(buf, sizeof(buf), fmt, ap);
	utf8_trim(buf);
	s = json_string(buf);
	if (!s || json_array_append_new(r->arr, s))
		r->oom = 1;
}

static void reason(struct reasons *r, const char *fmt, ...) FWT_FMT(2, 3);
static void reason(struct reasons *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreason(r, fmt, ap);
	va_end(ap);
}

static void lack(struct reasons *r, const char *fmt, ...) FWT_FMT(2, 3);
static void lack(struct reasons *r, const char *fmt, ...)
{
	va_list ap;

	r->lacking = 1;
	va_start(ap, fmt);
	vreason(r, fmt, ap);
	va_end(ap);
}

struct review_ref;

struct ev {
	fwt_ctx *ctx;
	const json_t *rec;
	struct comps comps; /* the record's components */
	const fwt_policy_eval_options *o;
	const char *name;
	/* the record's reviews, one per report, collected once for all the
	 * SFR rules (collect_reviews) */
	struct review_ref *reviews;
	size_t nreviews;
	int reviews_done;
};

/* "spdm index 2 'BMC firmware'", "eventlog PCR 0 event 17 'EV_POST_CODE'" */
static void comp_label(const json_t *c, char *out, size_t cap)
{
	char b1[CLIP + 4], b2[CLIP + 4];
	const char *src = jstr(c, "source"), *name = jstr(c, "name");
	long long idx = -1, ev = -1;
	size_t o;

	jint(c, "index", &idx);
	jint(c, "event", &ev);
	if (src && !strcmp(src, "eventlog"))
		o = (size_t)snprintf(out, cap, "eventlog PCR %lld", idx);
	else
		o = (size_t)snprintf(out, cap, "%s index %lld", clip(b1, src), idx);
	if (ev >= 0 && o < cap)
		o += (size_t)snprintf(out + o, cap - o, " event %lld", ev);
	if (name && o < cap)
		snprintf(out + o, cap - o, " '%s'", clip(b2, name));
}

static const struct comps *components(const struct ev *ev, struct reasons *r)
{
	if (!ev->comps.lazy && !json_is_array(ev->comps.arr)) {
		lack(r, "the record does not list the measured components");
		return NULL;
	}
	return &ev->comps;
}

static int list_has_str(const json_t *list, const char *s)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
		if (json_is_string(e) && s && ascii_ieq(json_string_value(e), s))
			return 1;
	return 0;
}

/* A policy's list of names (key fingerprints, reviewers) sorted by
 * ascii_icmp, so that a name is found by binary search with list_has_str's
 * equality: the list may hold thousands and the record a hundred thousand
 * names to look up (v NULL: no list). */
struct name_set {
	const char **v;
	size_t n;
};

static int name_cmp(const void *x, const void *y)
{
	return ascii_icmp(*(const char *const *)x, *(const char *const *)y);
}

/* 0: out of memory. */
static int name_set_init(struct name_set *s, const json_t *list)
{
	const json_t *e;
	size_t i;

	s->v = NULL;
	s->n = 0;
	if (!list)
		return 1;
	s->v = malloc((json_array_size(list) ? json_array_size(list) : 1) * sizeof(*s->v));
	if (!s->v)
		return 0;
	json_array_foreach(list, i, e)
		if (reviewer_name(e)) /* a name; a reviewer object's name */
			s->v[s->n++] = reviewer_name(e);
	qsort(s->v, s->n, sizeof(*s->v), name_cmp);
	return 1;
}

static int name_set_has(const struct name_set *s, const char *name)
{
	return name && bsearch(&name, s->v, s->n, sizeof(*s->v), name_cmp) != NULL;
}

static const char *role_of(const char *kind)
{
	if (!strcmp(kind, "sfr"))
		return "reviewer";
	if (!strcmp(kind, "rim") || !strcmp(kind, "firmware") || !strcmp(kind, "spdm"))
		return "vendor";
	return NULL;
}

/* The last fingerprint of an SPDM signature's validated path (its trust
 * anchor), and through *listed whether any of the path is in allowed.
 * NULL when the record gives no path: an old record, or a chain that was
 * not validated (the path of an unvalidated chain never counts). */
static const char *spdm_path(const json_t *s, const struct name_set *allowed, int *listed)
{
	const json_t *p = json_object_get(s, "path_fingerprints"), *e;
	size_t i;

	*listed = 0;
	if (!json_is_true(json_object_get(s, "chain_validated")) || !json_array_size(p))
		return NULL;
	json_array_foreach(p, i, e)
		if (name_set_has(allowed, json_string_value(e)))
			*listed = 1;
	return json_string_value(json_array_get(p, json_array_size(p) - 1));
}

/* "verified" holds at the record's own time: signatures and validity
 * windows were checked then.  A record of another time (one kept and
 * audited later: a RIM may have expired since, a certificate been revoked)
 * says nothing of them at the evaluation time.  Every rule that reads a
 * signature's "verified" asks this. */
static int record_of_another_time(const struct ev *ev)
{
	const char *at = jstr(ev->rec, "at");
	int64_t t;

	return at && fwt_time_parse_rfc3339(at, strlen(at), &t) == FWT_OK &&
	       (t > ev->o->at ? t - ev->o->at : ev->o->at - t) > FWT_POLICY_RECORD_SKEW;
}

static void stale_record(const struct ev *ev, struct reasons *r)
{
	char eval[32], b1[CLIP + 4];

	fwt_time_format_rfc3339(ev->o->at, eval);
	lack(r, "the record's signatures were checked at %s (its \"at\"), not at the evaluation time %s: appraise "
	     "again, or evaluate at the record's time with --at", clip(b1, jstr(ev->rec, "at")), eval);
}

static fwt_err rule_signatures(struct ev *ev, const json_t *rule, struct reasons *r)
{
	const json_t *sigs = json_object_get(ev->rec, "signatures"), *req = json_object_get(rule, "require"), *s, *k;
	char b1[CLIP + 4], b2[CLIP + 4], b3[CLIP + 4];
	struct name_set vendor, reviewer;
	size_t i, j;
	int on_path;

	if (!json_is_array(sigs)) {
		lack(r, "the record does not list the signatures of its inputs");
		return FWT_OK;
	}
	if (record_of_another_time(ev))
		stale_record(ev, r);
	if (!name_set_init(&vendor, json_object_get(rule, "vendor")) ||
	    !name_set_init(&reviewer, json_object_get(rule, "reviewer"))) {
		free(vendor.v);
		return fwt__enomem(ev->ctx);
	}
	json_array_foreach(sigs, i, s) {
		const char *path = jstr(s, "path"), *kind = jstr(s, "kind"), *fpr = jstr(s, "fingerprint");
		const char *role = role_of(kind), *anchor;
		const struct name_set *allowed = !role ? NULL : !strcmp(role, "vendor") ? &vendor : &reviewer;
		if (!json_is_true(json_object_get(s, "verified"))) {
			const char *why = jstr(s, "error");
			/* SPDM evidence nobody could authenticate (unsigned, or no
			 * chain given) is the business of require "spdm"; a signature
			 * that was checked and failed is a "no" either way */
			/* checked and failed: signature_checked, or authentication
			 * "failed" (either says it); unchecked only when the record
			 * says so, never for want of the member */
			const json_t *sc = json_object_get(s, "signature_checked");
			const char *auth = jstr(s, "authentication");
			int failed = json_is_true(sc) || (auth && !strcmp(auth, "failed"));
			int unchecked = !strcmp(kind, "spdm") && !failed;
			if (unchecked && !json_is_false(sc)) {
				lack(r, "'%s' (spdm): the record does not say whether its signature was checked",
				     clip(b1, path ? path : "?"));
				continue;
			}
			if (unchecked && !list_has_str(req, "spdm"))
				continue;
			/* evidence nobody authenticated is not known to be genuine:
			 * with require "spdm" the rule fails, whatever its level */
			(unchecked ? lack : reason)(r, "'%s' (%s): signature not verified%s%s", clip(b1, path ? path : "?"),
			                            clip(b2, kind), why ? ": " : "", why ? clip(b3, why) : "");
			continue;
		}
		if (!role && (json_object_get(rule, "vendor") || json_object_get(rule, "reviewer"))) {
			lack(r, "'%s': signature kind '%s' has no role (vendor or reviewer) to check its key against",
			       clip(b1, path ? path : "?"), clip(b2, kind));
			continue;
		}
		if (!allowed || !allowed->v)
			continue;
		if (!fpr) {
			lack(r, "'%s' (%s): verified, but the record does not say by which key", clip(b1, path ? path : "?"),
			       kind);
			continue;
		}
		if (name_set_has(allowed, fpr))
			continue;
		/* SPDM: a per-device leaf is vouched for by the CAs its chain
		 * validated through, a vendor's among them */
		anchor = !strcmp(kind, "spdm") ? spdm_path(s, allowed, &on_path) : NULL;
		if (anchor && on_path)
			continue;
		if (anchor)
			reason(r, "'%s' (%s): signed by key %.16s... ('%s'), which is not an allowed %s key, nor is any "
			       "certificate of its validated chain (anchor %.16s...)", clip(b1, path ? path : "?"), kind, fpr,
			       clip(b2, jstr(s, "key") ? jstr(s, "key") : "?"), role, anchor);
		else
			reason(r, "'%s' (%s): signed by key %.16s... ('%s'), which is not an allowed %s key",
			       clip(b1, path ? path : "?"), kind, fpr, clip(b2, jstr(s, "key") ? jstr(s, "key") : "?"), role);
	}
	free(vendor.v);
	free(reviewer.v);
	/* every RIM, SFR and SPDM evidence among the inputs (attest check
	 * lists SPDM evidence whether or not it was authenticated), and
	 * every RIM a reference comes from, has its entry: one left out is
	 * not a verified one */
	{
		json_t *listed = json_object();
		const json_t *in;
		if (!listed)
			return fwt__enomem(ev->ctx);
		json_array_foreach(sigs, i, s)
			if (jstr(s, "path") && json_object_set_new_nocheck(listed, jstr(s, "path"), json_true())) {
				json_decref(listed);
				return fwt__enomem(ev->ctx);
			}
		json_array_foreach(json_object_get(ev->rec, "inputs"), i, in) {
			const char *kind = jstr(in, "kind"), *path = jstr(in, "path");
			if ((!strcmp(kind, "rim") || !strcmp(kind, "sfr") || !strcmp(kind, "spdm")) &&
			    !json_object_get(listed, path)) {
				lack(r, "'%s' (%s): an input whose signature the record does not list", clip(b1, path), kind);
				if (json_object_set_new_nocheck(listed, path, json_true())) /* said once */
					break;
			}
		}
		for (i = 0; i < comps_n(&ev->comps); i++) {
			const char *rim, *rep;
			json_t *c;
			int stop = 0;
			fwt_err err = comps_get(ev->ctx, &ev->comps, i, &c);
			if (err) {
				json_decref(listed);
				return err;
			}
			rim = jstr(json_object_get(c, "reference"), "rim");
			if (rim && !json_object_get(listed, rim)) {
				lack(r, "'%s' (rim): references come from it, but the record does not list its signature",
				       clip(b1, rim));
				stop = json_object_set_new_nocheck(listed, rim, json_true()) != 0; /* said once */
			}
			/* the same for the report a review comes from: a review
			 * citing an SFR without a signature entry is not known to
			 * come from a verified report */
			rep = jstr(json_object_get(c, "review"), "report");
			if (!stop && rep && !json_object_get(listed, rep)) {
				lack(r, "'%s' (sfr): a review cites it, but the record does not list its signature",
				       clip(b1, rep));
				stop = json_object_set_new_nocheck(listed, rep, json_true()) != 0; /* said once */
			}
			json_decref(c);
			if (stop)
				break;
		}
		json_decref(listed);
	}
	json_array_foreach(req, j, k) {
		const char *want = json_string_value(k);
		int found = 0, checked = 0;
		json_array_foreach(sigs, i, s) {
			if (strcmp(jstr(s, "kind"), want))
				continue;
			if (json_is_true(json_object_get(s, "verified")))
				found = 1;
			else if (strcmp(want, "spdm") || json_is_true(json_object_get(s, "signature_checked")) ||
			         (jstr(s, "authentication") && !strcmp(jstr(s, "authentication"), "failed")))
				checked = 1;
		}
		/* one that was checked and failed is a problem the record shows
		 * (and is named above); none at all, or only unauthenticated
		 * evidence, is one the rule cannot see: it fails */
		if (!found)
			(checked ? reason : lack)(r, "no verified %s signature in the record (required)", want);
	}
	return FWT_OK;
}

/* PCR numbers (0..MAX_PCR) and SPDM indices (0..MAX_INDEX) as sets: a
 * rule may list a thousand and a record hold a hundred thousand
 * components, so neither is scanned for each of the other. */
struct numset {
	unsigned char pcr[MAX_PCR + 1], idx[MAX_INDEX + 1];
};

static int in_numset(const unsigned char *set, long long max, long long v)
{
	return v >= 0 && v <= max && set[v];
}

static void numset_add(unsigned char *set, long long max, long long v)
{
	if (v >= 0 && v <= max)
		set[v] = 1;
}

/* The scope of a measurements rule: "sources" as given (two names at
 * most), "pcrs" and "indices" as sets (NULL lists: not scoped by them). */
struct meas_scope {
	const json_t *srcs, *pcrs, *idxs;
	struct numset listed;
};

static void meas_scope_init(struct meas_scope *m, const json_t *rule)
{
	const json_t *e;
	size_t i;

	memset(m, 0, sizeof(*m));
	m->srcs = json_object_get(rule, "sources");
	m->pcrs = json_object_get(rule, "pcrs");
	m->idxs = json_object_get(rule, "indices");
	json_array_foreach(m->pcrs, i, e) /* each read as 0..MAX_PCR */
		numset_add(m->listed.pcr, MAX_PCR, (long long)json_integer_value(e));
	json_array_foreach(m->idxs, i, e) /* each read as 0..MAX_INDEX */
		numset_add(m->listed.idx, MAX_INDEX, (long long)json_integer_value(e));
}

/* Does the measurements rule cover source src at index idx (has_idx 0:
 * none)?  "sources", "pcrs" and "indices" scope it. */
static int meas_covers(const struct meas_scope *m, const char *src, int has_idx, long long idx)
{
	if (!src || (m->srcs && !list_has_str(m->srcs, src)))
		return 0;
	if (m->pcrs && !strcmp(src, "eventlog") && (!has_idx || !in_numset(m->listed.pcr, MAX_PCR, idx)))
		return 0;
	if (m->idxs && !strcmp(src, "spdm") && (!has_idx || !in_numset(m->listed.idx, MAX_INDEX, idx)))
		return 0;
	return 1;
}

/* "SPDM index 2", "PCR 0", "eventlog, no index" */
static void where_label(const char *src, int has_idx, long long idx, char *out, size_t cap)
{
	char b1[CLIP + 4];

	if (!has_idx)
		snprintf(out, cap, "%s, no index", clip(b1, src));
	else if (!strcmp(src, "spdm"))
		snprintf(out, cap, "SPDM index %lld", idx);
	else if (!strcmp(src, "eventlog"))
		snprintf(out, cap, "PCR %lld", idx);
	else
		snprintf(out, cap, "%s index %lld", clip(b1, src), idx);
}

/* 1 when a conflict's references all come from one RIM (which then gives
 * two values for one measurement), not from RIMs that disagree. */
static int conflict_in_one_rim(const json_t *e)
{
	const json_t *q;
	const char *first = NULL, *rim;
	size_t j;

	json_array_foreach(json_object_get(e, "references"), j, q) {
		rim = jstr(q, "rim");
		/* "-": a RIM without a name, which another may share */
		if (!rim || !strcmp(rim, "-") || (first && strcmp(first, rim)))
			return 0;
		first = rim;
	}
	return first != NULL;
}

/* References of one index that disagree: the evidence cannot be judged
 * against them (attest check says "conflict" and is not ok). */
static void check_conflicts(struct ev *ev, const struct meas_scope *m, struct reasons *r)
{
	const json_t *e, *q;
	char where[CLIP + 48], refs[600], b1[CLIP + 4], b2[CLIP + 4], b3[CLIP + 4];
	size_t i, j, o;
	long long idx = -1;

	json_array_foreach(json_object_get(ev->rec, "conflicts"), i, e) {
		int has = jint(e, "index", &idx);
		if (!meas_covers(m, jstr(e, "source"), has, idx))
			continue;
		where_label(jstr(e, "source"), has, idx, where, sizeof(where));
		refs[0] = '\0';
		o = 0;
		json_array_foreach(json_object_get(e, "references"), j, q) {
			const json_t *k = json_object_get(q, "key");
			char key[CLIP + 16];
			if (j == 4) {
				o += (size_t)snprintf(refs + o, sizeof(refs) - o, ", ...");
				break;
			}
			if (json_is_integer(k))
				snprintf(key, sizeof(key), " key %lld", (long long)json_integer_value(k));
			else if (json_is_string(k))
				snprintf(key, sizeof(key), " key %s", clip(b3, json_string_value(k)));
			else
				key[0] = '\0';
			o += (size_t)snprintf(refs + o, sizeof(refs) - o, "%s'%s'%s", j ? ", " : ": ",
			                      clip(b1, jstr(q, "rim") ? jstr(q, "rim") : "?"), key);
			if (o >= sizeof(refs))
				break;
		}
		utf8_trim(refs);
		reason(r, conflict_in_one_rim(e) ? "conflict: one RIM gives two different %s references for %s%s"
		                                 : "conflict: the RIMs disagree on the %s reference for %s%s",
		       jstr(e, "alg") ? clip(b2, jstr(e, "alg")) : "?", where, refs);
	}
}

/* References no evidence can be compared with (only SHA-1, only a version):
 * attest check lists them as "unverifiable" and is not ok. */
static void check_unverifiable(struct ev *ev, const struct meas_scope *m, struct reasons *r)
{
	const json_t *e;
	char where[CLIP + 48], b1[CLIP + 4], b2[CLIP + 4];
	size_t i;
	long long idx = -1;

	json_array_foreach(json_object_get(ev->rec, "unverifiable"), i, e) {
		int has = jint(e, "index", &idx);
		if (!meas_covers(m, jstr(e, "source"), has, idx))
			continue;
		where_label(jstr(e, "source"), has, idx, where, sizeof(where));
		if (jstr(e, "reason"))
			lack(r, "unverifiable: '%s': %s", clip(b1, jstr(e, "rim") ? jstr(e, "rim") : "?"),
			       clip(b2, jstr(e, "reason")));
		else
			lack(r, "unverifiable: '%s': a reference value for %s that fwtrail cannot compare",
			       clip(b1, jstr(e, "rim") ? jstr(e, "rim") : "?"), where);
	}
}

/* SPDM evidence without a measurement block says nothing of its device, even
 * when other evidence in the record does (attest check is not ok then):
 * every "spdm" input whose "blocks" is 0. */
static void check_empty_evidence(struct ev *ev, const struct meas_scope *m, struct reasons *r)
{
	const json_t *srcs = m->srcs, *in;
	char b1[CLIP + 4];
	long long n;
	size_t i;

	json_array_foreach(json_object_get(ev->rec, "inputs"), i, in) {
		const char *kind = jstr(in, "kind");
		if (!kind || (srcs && !list_has_str(srcs, kind)))
			continue;
		if (!strcmp(kind, "spdm") && jint(in, "blocks", &n) && !n)
			lack(r, "SPDM evidence '%s' measures nothing (no measurement block)",
			       jstr(in, "path") ? clip(b1, jstr(in, "path")) : "?");
		else if (!strcmp(kind, "eventlog") && jint(in, "events", &n) && !n)
			lack(r, "event log '%s' measures nothing (no extending event)",
			       jstr(in, "path") ? clip(b1, jstr(in, "path")) : "?");
	}
}

/* A local event log that does not replay to its TPM's PCRs is no account
 * of what booted (attest check --local is not ok): every input whose
 * "tpm" was compared and did not match, or that has a TPM bank the log
 * cannot replay.  With "pcrs", only differences on those PCRs count (a
 * bank that cannot be replayed always does). */
static void check_tpm(struct ev *ev, const struct meas_scope *ms, struct reasons *r)
{
	const json_t *in, *tpm, *m, *u;
	char list[600], b1[CLIP + 4], b2[CLIP + 4];
	size_t i, j, o, listed, shown;
	long long pcr, event;

	if (ms->srcs && !list_has_str(ms->srcs, "eventlog"))
		return;
	json_array_foreach(json_object_get(ev->rec, "inputs"), i, in) {
		const char *path = jstr(in, "path") ? clip(b1, jstr(in, "path")) : "?";
		tpm = json_object_get(in, "tpm");
		if (!json_is_object(tpm) || !json_is_true(json_object_get(tpm, "compared")))
			continue;
		json_array_foreach(json_object_get(tpm, "unreplayable"), j, u) {
			const char *bank = jstr(u, "bank") ? clip(b2, jstr(u, "bank")) : "?";
			if (jint(u, "event", &event))
				lack(r, "local event log '%s': the TPM has a %s bank the log cannot replay (event %lld has "
				       "no %s digest)", path, bank, event, bank);
			else
				lack(r, "local event log '%s': the TPM has a %s bank the log cannot replay", path, bank);
		}
		list[0] = '\0';
		o = listed = shown = 0;
		json_array_foreach(json_object_get(tpm, "mismatches"), j, m) {
			listed++;
			if (!jint(m, "pcr", &pcr) || (ms->pcrs && !in_numset(ms->listed.pcr, MAX_PCR, pcr)))
				continue;
			if (shown++ == 8) {
				if (o < sizeof(list))
					snprintf(list + o, sizeof(list) - o, ", ...");
				break;
			}
			if (o < sizeof(list))
				o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s PCR %lld", shown > 1 ? ", " : "",
				                      jstr(m, "bank") ? clip(b2, jstr(m, "bank")) : "?", pcr);
		}
		utf8_trim(list);
		if (shown)
			reason(r, "local event log '%s': does not replay to the TPM's PCRs (%s)", path, list);
		else if (!listed && !json_array_size(json_object_get(tpm, "unreplayable")) &&
		         !json_is_true(json_object_get(tpm, "match")) && jstr(tpm, "error"))
			/* no bank in common, or PCRs that did not read: nothing was
			 * compared, so the log is not known to be what booted */
			lack(r, "local event log '%s': not compared with the TPM's PCRs: %s", path,
			     clip(b2, jstr(tpm, "error")));
		else if (!listed && !json_array_size(json_object_get(tpm, "unreplayable")) &&
		         !json_is_true(json_object_get(tpm, "match")))
			reason(r, "local event log '%s': does not replay to the TPM's PCRs", path);
	}
}

/* The record's components, one pass: each covered one that is not a
 * "match" is a reason; then each listed PCR and index the record does not
 * hold at all. */
/* One component for rule_measurements: the PCR or index it holds, and a
 * reason when the rule covers it and it is not a "match". */
static void measure_one(const struct meas_scope *ms, const json_t *c, struct numset *held, size_t *considered,
                        struct reasons *r)
{
	const char *src = jstr(c, "source"), *st = jstr(c, "status");
	const json_t *ref = json_object_get(c, "reference");
	char label[512], b1[CLIP + 4];
	long long idx = -1;
	int has = jint(c, "index", &idx);

	if (has && !strcmp(src, "eventlog"))
		numset_add(held->pcr, MAX_PCR, idx);
	else if (has && !strcmp(src, "spdm"))
		numset_add(held->idx, MAX_INDEX, idx);
	if (!meas_covers(ms, src, has, idx))
		return;
	(*considered)++;
	if (!strcmp(st, "match"))
		return;
	comp_label(c, label, sizeof(label));
	if (!strcmp(st, "mismatch")) {
		/* a raw value is in "value", a digest in "digest" */
		const char *m = "digest", *alg = jstr(c, "alg");
		if (alg && !strcmp(alg, "raw"))
			m = "value";
		reason(r, "%s: mismatch: measured %s:%.24s..., reference %.24s... in '%s'", label,
		       alg ? clip(b1, alg) : "?", jstr(c, m) ? jstr(c, m) : "?", jstr(ref, m) ? jstr(ref, m) : "?",
		       jstr(ref, "rim") ? jstr(ref, "rim") : "?");
	}
	else if (!strcmp(st, "unknown"))
		reason(r, "%s: unknown: no reference value for it", label);
	else
		reason(r, "%s: missing: the reference value in '%s' was not measured", label,
		       jstr(ref, "rim") ? clip(b1, jstr(ref, "rim")) : "?");
}

static fwt_err rule_measurements(struct ev *ev, const json_t *rule, struct reasons *r)
{
	const struct comps *comps = components(ev, r);
	const json_t *e;
	json_t *c;
	struct meas_scope ms;
	struct numset held; /* the PCRs and SPDM indices the record holds */
	size_t i, j, considered = 0;
	fwt_err err;

	if (!comps)
		return FWT_OK;
	memset(&held, 0, sizeof(held));
	meas_scope_init(&ms, rule);
	for (i = 0; i < comps_n(comps); i++) {
		if ((err = comps_get(ev->ctx, comps, i, &c)) != FWT_OK)
			return err;
		measure_one(&ms, c, &held, &considered, r);
		json_decref(c);
	}
	/* what attest check also counts against "ok": RIMs that disagree,
	 * references it cannot compare, a local log its TPM contradicts */
	check_conflicts(ev, &ms, r);
	check_unverifiable(ev, &ms, r);
	check_tpm(ev, &ms, r);
	check_empty_evidence(ev, &ms, r);
	if (!comps_n(comps))
		lack(r, "no component was compared: the record holds no measured component");
	else if (!considered)
		lack(r, "no measured component of the record is covered by this rule");
	json_array_foreach(ms.pcrs, j, e)
		if (!in_numset(held.pcr, MAX_PCR, (long long)json_integer_value(e)))
			lack(r, "PCR %lld: not in the record", (long long)json_integer_value(e));
	json_array_foreach(ms.idxs, j, e)
		if (!in_numset(held.idx, MAX_INDEX, (long long)json_integer_value(e)))
			lack(r, "SPDM measurement index %lld: not in the record", (long long)json_integer_value(e));
	return FWT_OK;
}

/* What review-coverage asks of a review: "min_scope" (or NULL), and the
 * "reviewers" (who.v NULL: any reviewer). */
struct review_want {
	const json_t *min;
	struct name_set who;
	json_t *keys_of;  /* reviewers with keys: lowercase name -> "keys" (NULL: none) */
	json_t *sfr_fpr;  /* verified SFR signatures: path -> fingerprint, or null when two differ */
	int stale;        /* the record is of another time: its "verified" says nothing now */
};

/* ASCII-lowercase copy of s into buf (cap), or NULL when it does not fit. */
static const char *lower_key(char *buf, size_t cap, const char *s)
{
	size_t i, n = strlen(s);

	if (n >= cap)
		return NULL;
	for (i = 0; i <= n; i++)
		buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	return buf;
}

/* What review-coverage needs beyond the names: the keys of the reviewers
 * listed with keys, and which key signed each SFR of the record. */
/* The keys that signed the record's inputs of a kind ("sfr", "rim"), as
 * verified: path -> fingerprint, or null when two of one path differ (NULL
 * when out of memory). */
static json_t *signer_fprs(const struct ev *ev, const char *want)
{
	const json_t *sigs = json_object_get(ev->rec, "signatures"), *sg, *old;
	json_t *m = json_object();
	size_t i;

	json_array_foreach(sigs, i, sg) {
		const char *path = jstr(sg, "path"), *fpr = jstr(sg, "fingerprint"), *kind = jstr(sg, "kind");
		if (!m || !path || !fpr || !kind || strcmp(kind, want) || !json_is_true(json_object_get(sg, "verified")))
			continue;
		old = json_object_get(m, path);
		if ((old && !(json_is_string(old) && !ascii_icmp(json_string_value(old), fpr)) &&
		     json_object_set_new(m, path, json_null())) ||
		    (!old && json_object_set_new(m, path, json_string(fpr)))) {
			json_decref(m);
			return NULL;
		}
	}
	return m;
}

static fwt_err review_want_keys(struct ev *ev, const json_t *reviewers, struct review_want *w)
{
	const json_t *e;
	char buf[300];
	size_t i;

	w->keys_of = w->sfr_fpr = NULL;
	w->stale = record_of_another_time(ev);
	json_array_foreach(reviewers, i, e) {
		if (!json_is_object(e))
			continue;
		if ((!w->keys_of && !(w->keys_of = json_object())) ||
		    json_object_set(w->keys_of, lower_key(buf, sizeof(buf), jstr(e, "name")), json_object_get(e, "keys")))
			return fwt__enomem(ev->ctx);
	}
	if (!w->keys_of)
		return FWT_OK;
	return (w->sfr_fpr = signer_fprs(ev, "sfr")) ? FWT_OK : fwt__enomem(ev->ctx);
}

static void review_want_free(struct review_want *w)
{
	free(w->who.v);
	json_decref(w->keys_of);
	json_decref(w->sfr_fpr);
}

/* A reviewer listed with keys: the review's report must be signed by one
 * of them, or anyone trusted to sign SFRs could publish under its name. */
static void check_reviewer_key(const json_t *rv, const char *srp, const struct review_want *w, const char *label,
                               struct reasons *r)
{
	char buf[300], b1[CLIP + 4], b2[CLIP + 4];
	const char *rep = jstr(rv, "report"), *lk = lower_key(buf, sizeof(buf), srp);
	const json_t *keys = w->keys_of && lk ? json_object_get(w->keys_of, lk) : NULL, *fpr, *k;
	size_t i;

	if (!keys)
		return; /* listed by name alone */
	if (w->stale) {
		lack(r, "%s: SFR '%s' names reviewer '%s', but the record's signatures were not checked at the evaluation "
		     "time", label, clip(b1, rep ? rep : "?"), clip(b2, srp));
		return;
	}
	fpr = rep ? json_object_get(w->sfr_fpr, rep) : NULL;
	if (!json_is_string(fpr)) {
		lack(r, "%s: SFR '%s' names reviewer '%s', but the record does not show %s", label, clip(b1, rep ? rep : "?"),
		     clip(b2, srp), json_is_null(fpr) ? "which of two keys signed it" : "the key that signed it");
		return;
	}
	json_array_foreach(keys, i, k)
		if (!ascii_icmp(json_string_value(k), json_string_value(fpr)))
			return;
	reason(r, "%s: SFR '%s' names reviewer '%s' but is signed by key %.16s..., not one of that reviewer's keys",
	       label, clip(b1, rep), clip(b2, srp), json_string_value(fpr));
}

static void check_review(const json_t *c, const struct review_want *w, struct reasons *r)
{
	const json_t *rv = json_object_get(c, "review"), *min = w->min;
	char label[512], b1[CLIP + 4], b2[CLIP + 4];
	long long scope;

	comp_label(c, label, sizeof(label));
	if (!json_is_object(rv) || !jstr(rv, "status")) {
		/* not "unreviewed": not said at all */
		lack(r, "%s: the record does not say whether an SFR reviews it", label);
		return;
	}
	if (strcmp(jstr(rv, "status"), "reviewed")) {
		/* an SFR that binds but was not accepted says why (T3) */
		const json_t *rej = json_array_get(json_object_get(rv, "rejected"), 0);
		if (json_is_object(rej) && jstr(rej, "report") && jstr(rej, "reason"))
			reason(r, "%s: no SFR counts: '%s' covers its digest but is not accepted: %s", label,
			       clip(b1, jstr(rej, "report")), clip(b2, jstr(rej, "reason")));
		else
			reason(r, "%s: no SFR covers its digest", label);
		return;
	}
	if (min) {
		if (!jint(rv, "scope", &scope))
			lack(r, "%s: the scope of SFR '%s' is not recorded", label, clip(b1, jstr(rv, "report")));
		else if (scope < json_integer_value(min))
			reason(r, "%s: SFR '%s' has scope %lld, below min_scope %lld", label, clip(b1, jstr(rv, "report")), scope,
			       (long long)json_integer_value(min));
	}
	if (w->who.v) {
		const char *srp = jstr(rv, "srp");
		if (!srp)
			lack(r, "%s: the reviewer of SFR '%s' is not recorded", label, clip(b1, jstr(rv, "report")));
		else if (!name_set_has(&w->who, srp))
			reason(r, "%s: reviewed by '%s', not an allowed reviewer", label, clip(b2, srp));
		else
			check_reviewer_key(rv, srp, w, label, r);
	}
}

/* A selector of review-coverage's "components" and its place j in the
 * list.  It matches a component of its source (compared exactly) whose
 * index and name are those it gives; one that gives neither matches every
 * component of its source. */
struct sel_at {
	const char *source, *name; /* name NULL: any name */
	long long index;
	int has_index;             /* 0: any index */
	size_t j;
};

static int sel_key_cmp(const struct sel_at *a, const struct sel_at *b)
{
	int d = strcmp(a->source, b->source);

	if (d)
		return d;
	if (a->has_index != b->has_index)
		return a->has_index - b->has_index;
	if (a->has_index && a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (!a->name || !b->name)
		return !!a->name - !!b->name;
	return strcmp(a->name, b->name);
}

static int sel_at_cmp(const void *x, const void *y)
{
	const struct sel_at *a = x, *b = y;
	int d = sel_key_cmp(a, b);

	return d ? d : (a->j > b->j) - (a->j < b->j);
}

/* A component i that selector j matches. */
struct sel_hit {
	size_t j, i;
};

static int sel_hit_cmp(const void *x, const void *y)
{
	const struct sel_hit *a = x, *b = y;

	if (a->j != b->j)
		return a->j < b->j ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* The selectors in order, each with the components it matches in the
 * record's order (a reason for each that matches none).  A component is
 * matched by at most four shapes of selector: its source alone, with its
 * index, with its name, with both; each shape is looked up in the sorted
 * selectors, so that the cost is the components times log(selectors)
 * plus the matches, not the components times the selectors. */
static fwt_err review_selected(struct ev *ev, const json_t *sel, const struct comps *comps,
                               const struct review_want *w, struct reasons *r)
{
	size_t ns = json_array_size(sel), nh = 0, caph = 0, i, j, k, lo, hi;
	struct sel_at *a = malloc((ns ? ns : 1) * sizeof(*a)), key;
	struct sel_hit *h = NULL, *t;
	const json_t *s;
	json_t *c;
	char b1[CLIP + 4];
	unsigned shape;
	fwt_err err;

	if (!a)
		return fwt__enomem(ev->ctx);
	json_array_foreach(sel, j, s) {
		a[j].source = jstr(s, "source");
		a[j].name = jstr(s, "name");
		a[j].has_index = jint(s, "index", &a[j].index);
		a[j].j = j;
	}
	qsort(a, ns, sizeof(*a), sel_at_cmp);
	for (i = 0; i < comps_n(comps); i++) {
		if ((err = comps_get(ev->ctx, comps, i, &c)) != FWT_OK) {
			free(h);
			free(a);
			return err;
		}
		for (shape = 0; shape < 4; shape++) {
			key.source = jstr(c, "source");
			key.has_index = 0;
			key.index = 0;
			key.name = NULL;
			if ((shape & 1) && !(key.has_index = jint(c, "index", &key.index)))
				continue;
			if ((shape & 2) && !(key.name = jstr(c, "name")))
				continue;
			for (lo = 0, hi = ns; lo < hi;) { /* the first selector not below key */
				k = lo + (hi - lo) / 2;
				if (sel_key_cmp(&a[k], &key) < 0)
					lo = k + 1;
				else
					hi = k;
			}
			for (k = lo; k < ns && !sel_key_cmp(&a[k], &key); k++) {
				if (nh == caph) {
					caph = caph ? 2 * caph : 64;
					t = realloc(h, caph * sizeof(*h));
					if (!t) {
						json_decref(c);
						free(h);
						free(a);
						return fwt__enomem(ev->ctx);
					}
					h = t;
				}
				h[nh].j = a[k].j;
				h[nh].i = i;
				nh++;
			}
		}
		json_decref(c);
	}
	free(a);
	if (nh) /* h is NULL when nothing matched */
		qsort(h, nh, sizeof(*h), sel_hit_cmp);
	k = 0;
	json_array_foreach(sel, j, s) {
		if (k < nh && h[k].j == j) {
			for (; k < nh && h[k].j == j; k++) {
				if ((err = comps_get(ev->ctx, comps, h[k].i, &c)) != FWT_OK) {
					free(h);
					return err;
				}
				check_review(c, w, r);
				json_decref(c);
			}
		} else {
			long long idx = -1;
			char sel_desc[64];
			sel_desc[0] = '\0';
			if (jint(s, "index", &idx))
				snprintf(sel_desc, sizeof(sel_desc), " index %lld", idx);
			lack(r, "no component of the record matches source %s%s%s%s%s", jstr(s, "source"), sel_desc,
			       jstr(s, "name") ? " name '" : "", jstr(s, "name") ? clip(b1, jstr(s, "name")) : "",
			       jstr(s, "name") ? "'" : "");
		}
	}
	free(h);
	return FWT_OK;
}

static fwt_err rule_review(struct ev *ev, const json_t *rule, struct reasons *r)
{
	const struct comps *comps = components(ev, r);
	const json_t *sel = json_object_get(rule, "components");
	json_t *c;
	struct review_want w;
	size_t i, considered = 0;
	fwt_err err;

	if (!comps)
		return FWT_OK;
	w.min = json_object_get(rule, "min_scope");
	w.keys_of = w.sfr_fpr = NULL;
	if (!name_set_init(&w.who, json_object_get(rule, "reviewers")))
		return fwt__enomem(ev->ctx);
	if ((err = review_want_keys(ev, json_object_get(rule, "reviewers"), &w)) != FWT_OK) {
		review_want_free(&w);
		return err;
	}
	if (sel) {
		err = review_selected(ev, sel, comps, &w, r);
		review_want_free(&w);
		return err;
	}
	for (i = 0; i < comps_n(comps); i++) {
		if ((err = comps_get(ev->ctx, comps, i, &c)) != FWT_OK) {
			review_want_free(&w);
			return err;
		}
		if (strcmp(jstr(c, "status"), "missing")) {
			considered++;
			check_review(c, &w, r);
		}
		json_decref(c);
	}
	if (!considered)
		lack(r, "the record holds no measured component");
	review_want_free(&w);
	return FWT_OK;
}

/* The reviews of the record, each distinct one once (reviewed ones only). */
struct review_ref {
	const json_t *review; /* in comp */
	json_t *comp;         /* a reference of the evaluation's */
};

static void review_refs_free(struct review_ref *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		json_decref(v[i].comp);
	free(v);
}

/* The reports seen so far are kept in a JSON object, a hash table (with a
 * random seed, so that no record can make its names collide): linear in
 * the number of components, where comparing each review with every one
 * kept took minutes on a record of 100,000 reports. */
static fwt_err collect_reviews(struct ev *ev, struct reasons *r, const struct review_ref **out, size_t *n)
{
	const struct comps *comps = components(ev, r);
	const json_t *rv, *rep;
	struct review_ref *v;
	json_t *seen, *c;
	size_t i, k = 0;
	fwt_err err;

	*out = NULL;
	*n = 0;
	if (!comps)
		return FWT_OK;
	if (ev->reviews_done)
		goto done;
	v = calloc(comps_n(comps) + 1, sizeof(*v));
	seen = json_object();
	if (!v || !seen) {
		free(v);
		json_decref(seen);
		return fwt__enomem(ev->ctx);
	}
	for (i = 0; i < comps_n(comps); i++) {
		if ((err = comps_get(ev->ctx, comps, i, &c)) != FWT_OK) {
			review_refs_free(v, k);
			json_decref(seen);
			return err;
		}
		rv = json_object_get(c, "review");
		if (!json_is_object(rv) || strcmp(jstr(rv, "status"), "reviewed")) {
			json_decref(c);
			continue;
		}
		/* one entry per review: components that cite one report share
		 * it, but two that cite one name with different contents (two
		 * reports both read as '-', or a name reused) are each judged;
		 * a review naming no report is its own.  What a review says of
		 * its component alone (the manifest file it matched, the other
		 * reports rejected for it) is not the report's: left out, or a
		 * report whose manifest lists each of 3000 measured files was
		 * judged 3000 times, its issues said 3000 times over */
		rep = json_object_get(rv, "report");
		if (json_is_string(rep)) {
			json_t *own = json_copy((json_t *)rv);
			char *key = NULL;
			int dup;
			if (own) {
				json_object_del(own, "manifest_file");
				json_object_del(own, "rejected");
				key = json_dumps(own, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
				json_decref(own);
			}
			dup = key && json_object_get(seen, key) != NULL;
			if (!key || (!dup && json_object_set_new_nocheck(seen, key, json_true()))) {
				free(key);
				json_decref(c);
				review_refs_free(v, k);
				json_decref(seen);
				return fwt__enomem(ev->ctx);
			}
			free(key);
			if (dup) {
				json_decref(c);
				continue;
			}
		}
		v[k].review = rv;
		v[k].comp = c; /* kept: made anew, it would be another object */
		k++;
	}
	json_decref(seen);
	ev->reviews = v;
	ev->nreviews = k;
	ev->reviews_done = 1;
done:
	if (!ev->nreviews)
		lack(r, "no SFR in the record: no measured component is reviewed");
	*out = ev->reviews;
	*n = ev->nreviews;
	return FWT_OK;
}

static void review_label(const struct review_ref *rr, char *out, size_t cap)
{
	char b1[CLIP + 4], label[512];

	if (jstr(rr->review, "report")) {
		snprintf(out, cap, "SFR '%s'", clip(b1, jstr(rr->review, "report")));
	} else {
		comp_label(rr->comp, label, sizeof(label));
		snprintf(out, cap, "the SFR of %s", label);
	}
}

static fwt_err rule_age(struct ev *ev, const json_t *rule, struct reasons *r)
{
	long long max = (long long)json_integer_value(json_object_get(rule, "max_days"));
	const struct review_ref *v;
	char label[640];
	size_t n, i;
	fwt_err err = collect_reviews(ev, r, &v, &n);

	if (err)
		return err;
	for (i = 0; i < n; i++) {
		const char *d = jstr(v[i].review, "completion_date");
		int64_t t;
		review_label(&v[i], label, sizeof(label));
		if (!d || fwt_time_parse_rfc3339(d, strlen(d), &t)) {
			lack(r, "%s: completion date not recorded", label);
			continue;
		}
		if (t > ev->o->at) {
			reason(r, "%s: completed on %s, after the evaluation time", label, d);
			continue;
		}
		if ((ev->o->at - t) / 86400 > max)
			reason(r, "%s: completed on %s, %lld day%s ago, more than max_days %lld", label, d,
			       (long long)((ev->o->at - t) / 86400), (ev->o->at - t) / 86400 == 1 ? "" : "s", max);
	}
	return FWT_OK;
}

/*
 * The issue rules (max-cvss, forbidden-cwe) judge a review by each of its
 * issues when it lists them, else by the summary it gives instead
 * (max_cvss, cwes), else fail it unless it says it has no open issues.
 */
struct issue_rule {
	const char *summary;    /* the review's summary field */
	const char *unrecorded; /* the reason when the review has neither */
	/* one listed issue */
	void (*issue)(const struct issue_rule *ir, const char *label, const json_t *issue, struct reasons *r);
	/* the summary: 0 when it is not of the type the rule reads */
	int (*summed)(const struct issue_rule *ir, const char *label, const json_t *summary, struct reasons *r);
	double threshold;        /* max-cvss */
	const long *forbidden;   /* forbidden-cwe: the CWE ids, sorted (looked up, not scanned:
	                          * the rule and the record may each hold thousands) */
	size_t nforbidden;
};

static fwt_err judge_issues(struct ev *ev, const struct issue_rule *ir, struct reasons *r)
{
	const struct review_ref *v;
	char label[640];
	size_t n, i, j;
	json_t *is;
	fwt_err err = collect_reviews(ev, r, &v, &n);

	if (err)
		return err;
	for (i = 0; i < n; i++) {
		const json_t *issues = json_object_get(v[i].review, "issues");
		long long open = -1;

		review_label(&v[i], label, sizeof(label));
		jint(v[i].review, "open_issues", &open);
		if (json_is_array(issues)) {
			json_array_foreach(issues, j, is)
				ir->issue(ir, label, is, r);
		} else if (!ir->summed(ir, label, json_object_get(v[i].review, ir->summary), r) && open != 0) {
			lack(r, "%s: %s", label, ir->unrecorded);
		}
	}
	return FWT_OK;
}

static void cvss_issue(const struct issue_rule *ir, const char *label, const json_t *is, struct reasons *r)
{
	const json_t *sc = json_object_get(is, "cvss_score");
	const char *title = jstr(is, "title"), *cve = jstr(is, "cve");
	char b1[CLIP + 4], b2[CLIP + 4];

	if (!json_is_number(sc))
		lack(r, "%s: open issue '%s' has no CVSS score", label, clip(b1, title ? title : "?"));
	else if (tenths(json_number_value(sc)) >= tenths(ir->threshold))
		reason(r, "%s: open issue '%s'%s%s%s has CVSS %.1f, at or above %.1f", label, clip(b1, title ? title : "?"),
		       cve ? " (" : "", cve ? clip(b2, cve) : "", cve ? ")" : "", json_number_value(sc), ir->threshold);
}

static int cvss_summed(const struct issue_rule *ir, const char *label, const json_t *mx, struct reasons *r)
{
	if (!json_is_number(mx))
		return 0;
	if (tenths(json_number_value(mx)) >= tenths(ir->threshold))
		reason(r, "%s: an open issue has CVSS %.1f, at or above %.1f", label, json_number_value(mx), ir->threshold);
	return 1;
}

static fwt_err rule_cvss(struct ev *ev, const json_t *rule, struct reasons *r)
{
	struct issue_rule ir = { "max_cvss", "its open issues are not recorded", cvss_issue, cvss_summed,
		                 json_number_value(json_object_get(rule, "threshold")), NULL, 0 };

	return judge_issues(ev, &ir, r);
}

static int long_cmp(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;

	return a < b ? -1 : a > b;
}

static void cwe_check(const char *label, const char *title, const char *cwe, const struct issue_rule *ir,
                      struct reasons *r)
{
	char b1[CLIP + 4], b2[CLIP + 4];
	long id;

	if (!parse_cwe(cwe, strlen(cwe), &id)) {
		lack(r, "%s: open issue '%s' has CWE '%s', which is not a CWE id", label, clip(b1, title ? title : "?"),
		       clip(b2, cwe));
		return;
	}
	if (!ir->nforbidden || !bsearch(&id, ir->forbidden, ir->nforbidden, sizeof(long), long_cmp))
		return;
	if (title)
		reason(r, "%s: open issue '%s' is CWE-%ld, which the policy forbids", label, clip(b1, title), id);
	else
		reason(r, "%s: an open issue is CWE-%ld, which the policy forbids", label, id);
}

static void cwe_issue(const struct issue_rule *ir, const char *label, const json_t *is, struct reasons *r)
{
	if (jstr(is, "cwe"))
		cwe_check(label, jstr(is, "title") ? jstr(is, "title") : "?", jstr(is, "cwe"), ir, r);
}

static int cwe_summed(const struct issue_rule *ir, const char *label, const json_t *cwes, struct reasons *r)
{
	size_t j;
	json_t *e;

	if (!json_is_array(cwes))
		return 0;
	json_array_foreach(cwes, j, e)
		cwe_check(label, NULL, json_string_value(e), ir, r);
	return 1;
}

static fwt_err rule_cwe(struct ev *ev, const json_t *rule, struct reasons *r)
{
	struct issue_rule ir = { "cwes", "the CWEs of its open issues are not recorded", cwe_issue, cwe_summed, 0,
		                 NULL, 0 };
	const json_t *cwes = json_object_get(rule, "cwes"), *f;
	long *ids = malloc((json_array_size(cwes) ? json_array_size(cwes) : 1) * sizeof(*ids));
	size_t i, n = 0;
	fwt_err err;

	if (!ids)
		return fwt__enomem(ev->ctx);
	json_array_foreach(cwes, i, f) /* checked when the policy was read */
		if (parse_cwe(json_string_value(f), json_string_length(f), &ids[n]))
			n++;
	qsort(ids, n, sizeof(*ids), long_cmp);
	ir.forbidden = ids;
	ir.nforbidden = n;
	err = judge_issues(ev, &ir, r);
	free(ids);
	return err;
}

/* ---- the rollback history ---- */

/* The history is one JSON object keyed by (vendor, product, component): a
 * product is often many firmware components, each with its own version
 * line.  The key is the compact ASCII JSON text of [vendor, product,
 * component or null], so that looking a product up costs one hash lookup,
 * never a walk over every product the log has seen (malloc'd; NULL when
 * out of memory). */
static char *history_key(const char *vendor, const char *product, const char *component)
{
	json_t *a = json_pack("[s, s, s?]", vendor, product, component);
	char *k = a ? json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

	json_decref(a);
	return k;
}

static const json_t *history_for(const json_t *hist, const char *vendor, const char *product,
                                 const char *component, fwt_err *err)
{
	char *key = history_key(vendor, product, component);
	const json_t *h;

	*err = key ? FWT_OK : FWT_ENOMEM;
	h = key ? json_object_get(hist, key) : NULL;
	free(key);
	return json_is_object(h) ? h : NULL;
}

/* entry[name] = v and entry[name_seq] = seq */
static int history_set(json_t *h, const char *name, json_t *v, const char *seqname, int64_t seq)
{
	return json_object_set_new(h, name, v) || json_object_set_new(h, seqname, json_integer((json_int_t)seq));
}

fwt_err fwt_policy_history_add(fwt_ctx *ctx, json_t *hist, const json_t *products, int64_t seq)
{
	const json_t *p;
	size_t i;
	int c;

	if (!json_is_object(hist))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_policy_history_add");
	json_array_foreach(products, i, p) {
		const char *vendor = jstr(p, "vendor"), *product = jstr(p, "product"), *ver = jstr(p, "fw_version");
		const char *component = jstr(p, "component"), *best;
		const json_t *svn = json_object_get(p, "svn"), *hsvn;
		json_t *h;
		char *key;

		if (!vendor || !product)
			continue;
		key = history_key(vendor, product, component);
		if (!key)
			return fwt__enomem(ctx);
		h = json_object_get(hist, key);
		if (!h) {
			h = json_pack("{s:s, s:s, s:n, s:n, s:n, s:n}", "vendor", vendor, "product", product, "fw_version",
			              "fw_version_seq", "svn", "svn_seq");
			if (h && component && json_object_set_new(h, "component", json_string(component))) {
				json_decref(h);
				h = NULL;
			}
			if (!h || json_object_set_new(hist, key, h)) {
				free(key);
				return fwt__enomem(ctx);
			}
		}
		free(key);
		if (ver && fwt_policy_version_cmp(ver, strlen(ver), "0", 1, &c) != FWT_OK) {
			/* kept (the first one) for the rule to refuse, as it
			 * refuses such a version in the record */
			if (!json_object_get(h, "unordered") &&
			    json_object_set_new(h, "unordered", json_pack("{s:s, s:I}", "version", ver, "seq", (json_int_t)seq)))
				return fwt__enomem(ctx);
		} else if (ver) {
			/* only the highest is kept, with the first record that
			 * holds it ("1.2" and "1.2.0" are one version) */
			best = jstr(h, "fw_version");
			if ((!best || (fwt_policy_version_cmp(ver, strlen(ver), best, strlen(best), &c) == FWT_OK && c > 0)) &&
			    history_set(h, "fw_version", json_string(ver), "fw_version_seq", seq))
				return fwt__enomem(ctx);
		}
		hsvn = json_object_get(h, "svn");
		if (json_is_integer(svn) && (!json_is_integer(hsvn) || json_integer_value(svn) > json_integer_value(hsvn)) &&
		    history_set(h, "svn", json_integer(json_integer_value(svn)), "svn_seq", seq))
			return fwt__enomem(ctx);
	}
	return FWT_OK;
}

/* A products entry of an SFR that reviewed no component (records from
 * older fwtrail versions list them): a report bound to no measured
 * firmware says nothing about this machine and is never compared
 * (RELIABILITY T5). */
static int unbound_sfr(const json_t *p)
{
	const char *src = jstr(p, "source");

	return src && !strcmp(src, "sfr") && !json_is_string(json_object_get(p, "component"));
}

/*
 * references: every reference value the record compared with must come
 * from a RIM of one of the listed products.  A vendor's key signs the
 * RIMs of all its products; this keeps another product's firmware, with
 * its own genuine RIM, off a server.  A product matches a reference when
 * each member it gives equals the reference's (exact strings); one that
 * would match if the reference said more (the RIM names no model, say) is
 * want of information, not a problem.
 */
static int product_fits(const json_t *prod, const json_t *ref, const json_t *signer, int stale, int *could)
{
	static const char *const members[] = { "vendor", "model", "class_id" };
	const json_t *keys = json_object_get(prod, "keys"), *kv;
	size_t k;
	int fits = 1, known = 1;

	for (k = 0; k < FWT_ARRAY_LEN(members); k++) {
		const char *want = jstr(prod, members[k]), *have = jstr(ref, members[k]);
		if (!want)
			continue;
		if (!have)
			known = 0;
		else if (k == 2 ? ascii_icmp(want, have) : strcmp(want, have)) /* a class id is hex in either case */
			fits = 0;
	}
	/* a product listed with keys: the names are the RIM's claim, and
	 * only its signer's key says whose RIM it is */
	if (fits && keys) {
		if (stale || !json_is_string(signer)) {
			known = 0;
		} else {
			int ok = 0;
			json_array_foreach(keys, k, kv)
				ok |= !ascii_icmp(json_string_value(kv), json_string_value(signer));
			fits = ok;
		}
	}
	if (fits && !known)
		*could = 1;
	return fits && known;
}

/* "vendor 'ACME', model 'X1', class 4c1e..." of the members a reference has */
static void product_label(const json_t *ref, char *out, size_t cap)
{
	static const char *const members[] = { "vendor", "model", "class" };
	static const char *const keys[] = { "vendor", "model", "class_id" };
	char b1[CLIP + 4];
	size_t k, o = 0;

	out[0] = '\0';
	for (k = 0; k < FWT_ARRAY_LEN(keys) && o < cap; k++)
		if (jstr(ref, keys[k]))
			o += (size_t)snprintf(out + o, cap - o, "%s%s '%s'", o ? ", " : "", members[k],
			                      clip(b1, jstr(ref, keys[k])));
	if (!o)
		snprintf(out, cap, "no vendor, model or class");
}

static fwt_err rule_references(struct ev *ev, const json_t *rule, struct reasons *r)
{
	const struct comps *comps = components(ev, r);
	const json_t *prods = json_object_get(rule, "products"), *prod, *ref, *signer;
	char label[512], what[3 * (CLIP + 16) + 48], b1[CLIP + 4];
	struct fwt__sb key;
	json_t *seen, *c, *rim_fpr = NULL;
	size_t i, j, referenced = 0;
	int stale = record_of_another_time(ev), keyed = 0;
	fwt_err err = FWT_OK;

	if (!comps)
		return FWT_OK;
	json_array_foreach(prods, j, prod)
		keyed |= json_object_get(prod, "keys") != NULL;
	if (keyed && !(rim_fpr = signer_fprs(ev, "rim")))
		return fwt__enomem(ev->ctx);
	if (!(seen = json_object())) {
		json_decref(rim_fpr);
		return fwt__enomem(ev->ctx);
	}
	for (i = 0; i < comps_n(comps); i++) {
		int fits = 0, could = 0;
		if ((err = comps_get(ev->ctx, comps, i, &c)) != FWT_OK)
			break;
		ref = json_object_get(c, "reference");
		signer = rim_fpr && jstr(ref, "rim") ? json_object_get(rim_fpr, jstr(ref, "rim")) : NULL;
		if (json_is_object(ref)) {
			referenced++;
			json_array_foreach(prods, j, prod)
				fits |= product_fits(prod, ref, signer, stale, &could);
		}
		if (!json_is_object(ref) || fits) {
			json_decref(c);
			continue;
		}
		/* one reason per RIM and product, not one per component: a RIM
		 * holds hundreds of reference values */
		/* the whole strings: labels are cut, and two long names alike
		 * in their first bytes are two products */
		memset(&key, 0, sizeof(key));
		fwt__sb_fmt(&key, "%s\n%s\n%s\n%s", jstr(ref, "rim") ? jstr(ref, "rim") : "",
		            jstr(ref, "vendor") ? jstr(ref, "vendor") : "", jstr(ref, "model") ? jstr(ref, "model") : "",
		            jstr(ref, "class_id") ? jstr(ref, "class_id") : "");
		product_label(ref, what, sizeof(what));
		if (json_is_string(signer))
			snprintf(what + strlen(what), sizeof(what) - strlen(what), ", signed by key %.16s...",
			         json_string_value(signer));
		if (key.oom || (!json_object_get(seen, key.p) && json_object_set_new(seen, key.p, json_true()))) {
			free(key.p);
			json_decref(c);
			err = fwt__enomem(ev->ctx);
			break;
		}
		if (json_is_true(json_object_get(seen, key.p))) {
			if (json_object_set_new(seen, key.p, json_false())) { /* said */
				free(key.p);
				json_decref(c);
				err = fwt__enomem(ev->ctx);
				break;
			}
			comp_label(c, label, sizeof(label));
			if (could)
				lack(r, "'%s' (%s) does not say enough of its product to match an allowed one; first used for %s",
				     clip(b1, jstr(ref, "rim") ? jstr(ref, "rim") : "?"), what, label);
			else
				reason(r, "'%s' (%s) is not an allowed product; first used for %s",
				       clip(b1, jstr(ref, "rim") ? jstr(ref, "rim") : "?"), what, label);
		}
		free(key.p);
		json_decref(c);
	}
	json_decref(seen);
	json_decref(rim_fpr);
	if (!err && !referenced)
		lack(r, "no component of the record has a reference value");
	return err;
}

static fwt_err rule_rollback(struct ev *ev, const json_t *rule, struct reasons *r)
{
	const json_t *prods = json_object_get(ev->rec, "products"), *cmp = json_object_get(rule, "compare"), *p, *h;
	char b1[CLIP + 4], b2[CLIP + 4], b3[CLIP + 4], b4[CLIP + 4], q[64 * 4 + 8];
	struct path path;
	size_t i;
	int c, any_compared = 0;
	fwt_err err;

	if (!ev->o->history) {
		lack(r, "no audit log to compare with: rollback needs --log");
		return FWT_OK;
	}
	if (!json_is_array(prods) || !json_array_size(prods)) {
		lack(r, "the record lists no products (vendor, product, fw_version, svn)");
		return FWT_OK;
	}
	json_array_foreach(prods, i, p) {
		const char *vendor = jstr(p, "vendor"), *product = jstr(p, "product"), *ver = jstr(p, "fw_version");
		long long svn = -1, best_svn;
		int compared = 0;
		const char *component = jstr(p, "component");
		char pl[2 * CLIP + 8];
		if (unbound_sfr(p) || !vendor || !product)
			continue;
		h = history_for(ev->o->history, vendor, product, component, &err);
		if (err)
			return fwt__enomem(ev->ctx);
		snprintf(pl, sizeof(pl), component ? "%s' component '%s" : "%s", clip(b2, product), component);
		if (list_has_str(cmp, "fw_version") && ver) {
			const char *best = jstr(h, "fw_version");
			const json_t *u = json_object_get(h, "unordered");
			long long best_seq = 0;
			compared = 1;
			if (fwt_policy_version_cmp(ver, strlen(ver), "0", 1, &c)) {
				path_init(&path);
				path_push(&path, ".products[%zu].fw_version", i);
				fwt__quote(q, sizeof(q), ver, strlen(ver));
				return perr(ev->ctx, FWT_EFORMAT, ev->name, &path,
				            "rollback: cannot order version '%s' (versions are numbers separated by dots)", q);
			}
			if (u) {
				const char *hv = jstr(u, "version");
				long long seq = 0;
				jint(u, "seq", &seq);
				fwt__quote(q, sizeof(q), hv ? hv : "", hv ? strlen(hv) : 0);
				return fwt__error(ev->ctx, FWT_EFORMAT,
				                  "rollback: audit log record %lld holds fw_version '%s' for this product, "
				                  "which cannot be ordered",
				                  seq, q);
			}
			jint(h, "fw_version_seq", &best_seq);
			if (best && fwt_policy_version_cmp(ver, strlen(ver), best, strlen(best), &c) == FWT_OK && c < 0)
				reason(r, "'%s' '%s': fw_version %s is below %s, recorded in audit log record %lld", clip(b1, vendor),
				       pl, clip(b3, ver), clip(b4, best), best_seq);
		}
		if (list_has_str(cmp, "svn") && jint(p, "svn", &svn)) {
			compared = 1;
			if (h && jint(h, "svn", &best_svn) && svn < best_svn) {
				long long seq = 0;
				jint(h, "svn_seq", &seq);
				reason(r, "'%s' '%s': SVN %lld is below %lld, recorded in audit log record %lld", clip(b1, vendor),
				       pl, svn, best_svn, seq);
			}
		}
		/* an entry with nothing to compare (a RIM naming the product
		 * without a version) is skipped; a record with none is a failure */
		any_compared |= compared;
	}
	if (!any_compared)
		lack(r, "the record gives no %s to compare for any product",
		       json_array_size(cmp) == 2 ? "fw_version or svn" : json_string_value(json_array_get(cmp, 0)));
	return FWT_OK;
}

fwt_err fwt_policy_eval(fwt_ctx *ctx, const fwt_policy *p, const json_t *record, const fwt_policy_eval_options *o,
                        fwt_verdict *verdict, json_t **result)
{
	struct ev ev;
	json_t *res = NULL, *rules = NULL, *counts;
	size_t i, nfail = 0, nwarn = 0, npass = 0;
	char at[32], failed[256];
	size_t fo = 0;
	fwt_err err = FWT_OK;
	unsigned ver;

	if (!p || !record || !o || !verdict || !result)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_policy_eval");
	if ((err = fwt__opts_version(ctx, "policy evaluation", o->version, FWT_POLICY_EVAL_OPTIONS_VERSION, &ver)))
		return err;
	if (ver >= 2 && o->components && o->components->n && !o->components->get)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_policy_eval");
	*result = NULL;
	*verdict = FWT_VERDICT_FAIL;
	memset(&ev, 0, sizeof(ev));
	ev.ctx = ctx;
	ev.rec = record;
	comps_init(&ev.comps, record, ver >= 2 ? o->components : NULL);
	ev.o = o;
	ev.name = o->name ? o->name : "appraisal record";
	res = json_object();
	rules = json_array();
	if (!res || !rules) {
		err = fwt__enomem(ctx);
		goto out;
	}
	failed[0] = '\0';
	for (i = 0; i < p->n; i++) {
		const struct rule *ru = &p->rules[i];
		struct reasons r = { json_array(), 0, 0, 0 };
		fwt_verdict outcome;
		json_t *entry;

		if (!r.arr) {
			err = fwt__enomem(ctx);
			goto out;
		}
		switch (ru->def->kind) {
		case R_SIGNATURES: err = rule_signatures(&ev, ru->obj, &r); break;
		case R_MEASUREMENTS: err = rule_measurements(&ev, ru->obj, &r); break;
		case R_REVIEW: err = rule_review(&ev, ru->obj, &r); break;
		case R_AGE: err = rule_age(&ev, ru->obj, &r); break;
		case R_CVSS: err = rule_cvss(&ev, ru->obj, &r); break;
		case R_CWE: err = rule_cwe(&ev, ru->obj, &r); break;
		case R_ROLLBACK: err = rule_rollback(&ev, ru->obj, &r); break;
		case R_REFERENCES: err = rule_references(&ev, ru->obj, &r); break;
		}
		if (!err && r.extra) {
			char more[64];
			snprintf(more, sizeof(more), "... and %zu more", r.extra);
			if (json_array_append_new(r.arr, json_string(more)))
				r.oom = 1;
		}
		if (!err && r.oom)
			err = fwt__enomem(ctx);
		if (err) {
			json_decref(r.arr);
			goto out;
		}
		/* a rule that lacks what it needs fails, whatever its level */
		outcome = !json_array_size(r.arr) ? FWT_VERDICT_PASS
		          : ru->warn && !r.lacking ? FWT_VERDICT_WARN
		                                  : FWT_VERDICT_FAIL;
		if (outcome == FWT_VERDICT_FAIL) {
			nfail++;
			if (fo < sizeof(failed))
				fo += (size_t)snprintf(failed + fo, sizeof(failed) - fo, "%s'%s'", nfail > 1 ? ", " : "",
				                       jstr(ru->obj, "id"));
		} else if (outcome == FWT_VERDICT_WARN) {
			nwarn++;
		} else {
			npass++;
		}
		entry = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", jstr(ru->obj, "id"), "rule", ru->def->name, "level",
		                  jstr(ru->obj, "level"), "outcome", fwt_verdict_name(outcome), "reasons", r.arr);
		if (!entry || json_array_append_new(rules, entry)) {
			err = fwt__enomem(ctx);
			goto out;
		}
		if (jstr(ru->obj, "description"))
			json_object_set(entry, "description", json_object_get(ru->obj, "description"));
	}
	*verdict = nfail ? FWT_VERDICT_FAIL : nwarn ? FWT_VERDICT_WARN : FWT_VERDICT_PASS;
	fwt_time_format_rfc3339(o->at, at);
	counts = json_pack("{s:i, s:i, s:i}", "pass", (json_int_t)npass, "warn", (json_int_t)nwarn, "fail",
	                   (json_int_t)nfail);
	if (!counts || json_object_set_new(res, "counts", counts) ||
	    json_object_set_new(res, "verdict", json_string(fwt_verdict_name(*verdict))) ||
	    json_object_set_new(res, "at", json_string(at)) || json_object_set(res, "rules", rules)) {
		err = fwt__enomem(ctx);
		goto out;
	}
	*result = res;
	res = NULL;
	if (nfail) {
		char q[256 * 4 + 8];
		fwt__quote(q, sizeof(q), p->name, strlen(p->name));
		err = fwt__error(ctx, FWT_EVERIFY, "policy '%s' not satisfied: %s %s failed", q, nfail == 1 ? "rule" : "rules",
		                 failed);
	}
out:
	review_refs_free(ev.reviews, ev.nreviews);
	json_decref(rules);
	json_decref(res);
	return err;
}

/* ---- JUnit XML ---- */

static const char *jstr0(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* XML character data (attr: an attribute value in double quotes).  Markup
 * characters become entities; characters XML 1.0 cannot carry (C0 controls
 * but tab and newline, DEL, C1, U+FFFE/U+FFFF) and bytes that are not UTF-8
 * are written as the text \xHH, as fwtrail shows them on a terminal. */
static void xml_put(FILE *f, const char *s, int attr)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, len;
	unsigned cp;

	while (i < n) {
		unsigned char c = p[i];
		switch (c) {
		case '&': fputs("&amp;", f); i++; continue;
		case '<': fputs("&lt;", f); i++; continue;
		case '>': fputs("&gt;", f); i++; continue;
		case '"': fputs(attr ? "&quot;" : "\"", f); i++; continue;
		case '\'': fputs(attr ? "&apos;" : "'", f); i++; continue;
		case '\n': fputs(attr ? "&#10;" : "\n", f); i++; continue;
		case '\t': fputs(attr ? "&#9;" : "\t", f); i++; continue;
		default: break;
		}
		if (c >= 0x20 && c < 0x7f) {
			fputc(c, f);
			i++;
			continue;
		}
		len = fwt_utf8_seq(p + i, n - i, &cp);
		if (len && !(cp >= 0x80 && cp < 0xa0) && cp != 0xfffe && cp != 0xffff) { /* XML 1.0 Char */
			fwrite(p + i, 1, len, f);
			i += len;
			continue;
		}
		fprintf(f, "\\x%02x", c);
		i++;
	}
}

static void render_junit(FILE *f, const json_t *res, const char *policy, const char *appraisal)
{
	const json_t *rules = json_object_get(res, "rules"), *r, *why;
	long long fails = json_integer_value(json_object_get(json_object_get(res, "counts"), "fail"));
	size_t i, j, n = json_array_size(rules);

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"fwtrail audit\" tests=\"%zu\" failures=\"%lld\" errors=\"0\">\n", n, fails);
	fputs("  <testsuite name=\"", f);
	xml_put(f, policy, 1);
	fprintf(f, "\" tests=\"%zu\" failures=\"%lld\" errors=\"0\" skipped=\"0\" timestamp=\"", n, fails);
	xml_put(f, jstr0(res, "at"), 1);
	fputs("\">\n    <properties>\n      <property name=\"verdict\" value=\"", f);
	xml_put(f, jstr0(res, "verdict"), 1);
	fputs("\"/>\n      <property name=\"appraisal\" value=\"", f);
	xml_put(f, appraisal, 1);
	fputs("\"/>\n    </properties>\n", f);
	json_array_foreach(rules, i, r) {
		const char *oc = jstr0(r, "outcome");
		const json_t *reasons = json_object_get(r, "reasons");
		fputs("    <testcase name=\"", f);
		xml_put(f, jstr0(r, "id"), 1);
		fputs("\" classname=\"fwtrail.audit.", f);
		xml_put(f, jstr0(r, "rule"), 1);
		fputs("\"", f);
		if (!strcmp(oc, "pass")) {
			fputs("/>\n", f);
			continue;
		}
		fputs(">\n", f);
		if (!strcmp(oc, "fail")) {
			fputs("      <failure type=\"", f);
			xml_put(f, jstr0(r, "rule"), 1);
			fputs("\" message=\"", f);
			xml_put(f, json_string_value(json_array_get(reasons, 0)), 1);
			fputs("\">", f);
		} else {
			fputs("      <system-out>", f);
		}
		json_array_foreach(reasons, j, why) {
			if (!strcmp(oc, "warn"))
				fputs("warning: ", f);
			xml_put(f, json_string_value(why), 0);
			fputc('\n', f);
		}
		fputs(!strcmp(oc, "fail") ? "</failure>\n" : "</system-out>\n", f);
		fputs("    </testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
}

fwt_err fwt_policy_result_junit(fwt_ctx *ctx, const json_t *result, const char *suite, const char *appraisal,
                                char **out, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	if (!result || !out || !len)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_policy_result_junit");
	*out = NULL;
	*len = 0;
	f = open_memstream(&buf, &n);
	if (!f)
		return fwt__enomem(ctx);
	render_junit(f, result, suite ? suite : "policy", appraisal ? appraisal : "");
	if (fclose(f) != 0) {
		free(buf);
		return fwt__enomem(ctx);
	}
	*out = buf;
	*len = n;
	return FWT_OK;
}
