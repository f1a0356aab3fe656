/* SPDX-License-Identifier: Apache-2.0 */
/* sfr_corim.c - the CoRIM form of OCP SAFE Short Form Reports (the OCP SAFE
 * SFR CoRIM profile, see fwtrail/sfr.h): the report model to an unsigned
 * CoRIM in deterministic CBOR, back again on top of lib/corim's decoder, and
 * signing as COSE_Sign1. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/cbor.h>
#include <fwtrail/corim.h>
#include <fwtrail/hex.h>
#include <fwtrail/sfr.h>
#include "internal.h"
#include "cbor_internal.h"
#include "sfr_internal.h"
#include "banned.h"

#define KEY_SFR (-1) /* ocp-safe-sfr in measurement-values-map */

static const fwt_digest_alg fw_algs[2] = { FWT_DIGEST_SHA384, FWT_DIGEST_SHA512 };
static const int64_t fw_cose_ids[2] = { -43, -44 };

/* The profile as written (first) and every form read as the same profile:
 * the DER bytes the profile and the published reports use, encoding
 * 1.3.6.1.4.1.47639.1.1, and the 42623 its text names, each as DER and as
 * RFC 9090 content octets. */
static const struct {
	const char *b;
	size_t n;
} profiles[] = {
	{ FWT_SFR_CORIM_PROFILE_DER, FWT_SFR_CORIM_PROFILE_DER_LEN },
	{ "\x2b\x06\x01\x04\x01\x82\xf4\x17\x01\x01", 10 },
	{ "\x06\x0a\x2b\x06\x01\x04\x01\x82\xcc\x7f\x01\x01", 12 },
	{ "\x2b\x06\x01\x04\x01\x82\xcc\x7f\x01\x01", 10 },
};

/* ---- the report to CoRIM ---- */

/* A text field the profile requires: present (even empty). */
static fwt_err need_text(fwt_ctx *ctx, const fwt_sfr *s, fwt_sfr_field f, const char **v, size_t *n)
{
	*v = fwt_sfr_get(s, f, n);
	if (!*v)
		return fwt__error(ctx, FWT_EFORMAT, "the OCP SAFE CoRIM profile requires %s", fwt_sfr_field_path(s, f));
	return FWT_OK;
}

/* An optional text field: NULL when absent or empty. */
static const char *opt_text(const fwt_sfr *s, fwt_sfr_field f, size_t *n)
{
	const char *v = fwt_sfr_get(s, f, n);

	return v && *n ? v : NULL;
}

/* digests-type: [[-43, sha384], [-44, sha512]] for those present. */
static cbor_item_t *digest_list(const int have[2], unsigned char h[2][64])
{
	cbor_item_t *a = fwt__cb_array(), *d;
	int ok = a != NULL;
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!have[i])
			continue;
		d = fwt__cb_array();
		ok &= fwt__cb_push(d, fwt__cb_int(fw_cose_ids[i]));
		ok &= fwt__cb_push(d, fwt__cb_bytes(h[i], fwt_digest_size(fw_algs[i])));
		ok &= fwt__cb_push(a, d);
	}
	if (!ok) {
		fwt__cb_free(a);
		return NULL;
	}
	return a;
}

/* environment-map {0: {1: vendor, 2: model}} */
static cbor_item_t *env_item(const char *vendor, size_t vn, const char *product, size_t pn)
{
	cbor_item_t *env = fwt__cb_map(), *cls = fwt__cb_map();
	int ok = env && cls;

	if (vendor)
		ok &= fwt__cb_puti(cls, 1, fwt__cb_text(vendor, vn));
	if (product)
		ok &= fwt__cb_puti(cls, 2, fwt__cb_text(product, pn));
	ok &= fwt__cb_puti(env, 0, cls);
	if (!ok) {
		fwt__cb_free(env);
		return NULL;
	}
	return env;
}

/* [env, [{1: {key: value}}]]: a stateful-environment or endorsed-triple record. */
static cbor_item_t *record(cbor_item_t *env, int64_t key, cbor_item_t *value)
{
	cbor_item_t *rec = fwt__cb_array(), *list = fwt__cb_array(), *mm = fwt__cb_map(), *mv = fwt__cb_map();
	int ok = 1;

	ok &= fwt__cb_puti(mv, key, value);
	ok &= fwt__cb_puti(mm, 1, mv);
	ok &= fwt__cb_push(list, mm);
	ok &= fwt__cb_push(rec, env);
	ok &= fwt__cb_push(rec, list);
	if (!ok) {
		fwt__cb_free(rec);
		return NULL;
	}
	return rec;
}

static fwt_err issue_item(fwt_ctx *ctx, const fwt_sfr *s, size_t i, const char *cvss, size_t cvn,
                          cbor_item_t **out)
{
	static const struct {
		fwt_sfr_issue_field f;
		int64_t key; /* in issue-entry; 10 + n: n in the cvss map */
		int required;
	} map[] = {
		{ FWT_SFR_ISSUE_TITLE, 0, 1 },        { FWT_SFR_ISSUE_DESCRIPTION, 1, 1 },
		{ FWT_SFR_ISSUE_CVSS_SCORE, 10, 1 },  { FWT_SFR_ISSUE_CVSS_VECTOR, 11, 1 },
		{ FWT_SFR_ISSUE_CWE, 3, 0 },          { FWT_SFR_ISSUE_CVE, 4, 0 },
	};
	cbor_item_t *e = fwt__cb_map(), *a = fwt__cb_map();
	int ok = e && a;
	size_t k, n;

	*out = NULL;
	for (k = 0; k < FWT_ARRAY_LEN(map); k++) {
		const char *v = fwt_sfr_issue_get(s, i, map[k].f, &n);
		if (!v && map[k].required) {
			fwt__cb_free(e);
			fwt__cb_free(a);
			return fwt__error(ctx, FWT_EFORMAT, "the OCP SAFE CoRIM profile requires $.audit.issues[%zu].%s", i,
			                  fwt_sfr_issue_field_name(map[k].f));
		}
		if (!v)
			continue;
		if (map[k].key >= 10)
			ok &= fwt__cb_puti(a, map[k].key - 10, fwt__cb_text(v, n));
		else
			ok &= fwt__cb_puti(e, map[k].key, fwt__cb_text(v, n));
	}
	if (cvss)
		ok &= fwt__cb_puti(a, 2, fwt__cb_text(cvss, cvn));
	ok &= fwt__cb_puti(e, 2, a);
	if (!ok) {
		fwt__cb_free(e);
		return fwt__enomem(ctx);
	}
	*out = e;
	return FWT_OK;
}

/* fw-identifier: {0: {0: fw_version}, 1: digests | 3: src-manifest, 2: repo_tag};
 * *out NULL when it would be empty. */
static fwt_err fwid_item(fwt_ctx *ctx, const fwt_sfr *s, const int have[2], unsigned char h[2][64],
                         cbor_item_t **out)
{
	cbor_item_t *id = fwt__cb_map();
	const char *v;
	size_t n, i;
	int ok = id != NULL;

	*out = NULL;
	if ((v = opt_text(s, FWT_SFR_FW_VERSION, &n)) != NULL) {
		cbor_item_t *vm = fwt__cb_map();
		ok &= fwt__cb_puti(vm, 0, fwt__cb_text(v, n));
		ok &= fwt__cb_puti(id, 0, vm);
	}
	if (!fwt_sfr_has_manifest(s)) {
		ok &= fwt__cb_puti(id, 1, digest_list(have, h));
	} else if (fwt_sfr_manifest_count(s)) {
		/* the hashes are the manifest's, not a file's */
		cbor_item_t *src = fwt__cb_map(), *list = fwt__cb_array();
		ok &= fwt__cb_puti(src, 0, digest_list(have, h));
		for (i = 0; i < fwt_sfr_manifest_count(s); i++) {
			cbor_item_t *e = fwt__cb_map(), *d = fwt__cb_array(), *dl = fwt__cb_array();
			const char *name = fwt_sfr_manifest_name(s, i, &n);
			ok &= fwt__cb_puti(e, 0, fwt__cb_text(name, n));
			ok &= fwt__cb_push(d, fwt__cb_int(-44));
			ok &= fwt__cb_push(d, fwt__cb_bytes(fwt_sfr_manifest_hash(s, i), 64));
			ok &= fwt__cb_push(dl, d);
			ok &= fwt__cb_puti(e, 1, dl);
			ok &= fwt__cb_push(list, e);
		}
		ok &= fwt__cb_puti(src, 1, list);
		ok &= fwt__cb_puti(id, 3, src);
	}
	if ((v = opt_text(s, FWT_SFR_REPO_TAG, &n)) != NULL)
		ok &= fwt__cb_puti(id, 2, fwt__cb_text(v, n));
	if (!ok) {
		fwt__cb_free(id);
		return fwt__enomem(ctx);
	}
	if (!fwt__cbor_len(id))
		fwt__cb_free(id);
	else
		*out = id;
	return FWT_OK;
}

/* The ocp-safe-sfr-map, and the firmware hashes for the condition. */
static fwt_err sfr_map(fwt_ctx *ctx, const fwt_sfr *s, int have[2], unsigned char h[2][64], cbor_item_t **out)
{
	cbor_item_t *m = fwt__cb_map(), *id = NULL, *list;
	const char *v, *cvss;
	size_t n, cvn, i;
	long long scope;
	int64_t t;
	int ok = m != NULL;
	fwt_err err;

	*out = NULL;
	if ((err = need_text(ctx, s, FWT_SFR_FRAMEWORK_VERSION, &v, &n)))
		goto out;
	ok &= fwt__cb_puti(m, 0, fwt__cb_text(v, n));
	if ((err = need_text(ctx, s, FWT_SFR_REPORT_VERSION, &v, &n)))
		goto out;
	ok &= fwt__cb_puti(m, 1, fwt__cb_text(v, n));
	if ((err = need_text(ctx, s, FWT_SFR_COMPLETION_DATE, &v, &n)))
		goto out;
	/* a date, as the JSON form writes it: a time of day (and its offset)
	 * would be dropped, or move the date, without a word */
	if (n != 10 || fwt_time_parse_rfc3339(v, n, &t) != FWT_OK) {
		char q[200];
		fwt__quote(q, sizeof(q), v, n);
		err = fwt__error(ctx, FWT_EFORMAT, "%s '%s' is not a date (YYYY-MM-DD), which the CoRIM form needs",
		                 fwt_sfr_field_path(s, FWT_SFR_COMPLETION_DATE), q);
		goto out;
	}
	ok &= fwt__cb_puti(m, 2, fwt__cb_tag(1, fwt__cb_int(t)));
	err = fwt_sfr_scope(s, &scope);
	if (err) {
		err = fwt__error(ctx, FWT_EFORMAT, err == FWT_ENOTFOUND ? "the OCP SAFE CoRIM profile requires %s"
		                                                       : "%s is not a whole number, which the CoRIM form needs",
		                 fwt_sfr_field_path(s, FWT_SFR_SCOPE));
		goto out;
	}
	ok &= fwt__cb_puti(m, 3, fwt__cb_int((int64_t)scope));
	for (i = 0; i < 2; i++) {
		fwt_sfr_field f = i ? FWT_SFR_FW_HASH_SHA512 : FWT_SFR_FW_HASH_SHA384;
		err = fwt_sfr_fw_hash(s, fw_algs[i], h[i]);
		have[i] = err == FWT_OK;
		if (err == FWT_ENOTFOUND)
			err = FWT_OK;
		if (err) {
			err = fwt__error(ctx, FWT_EFORMAT, "%s is not a %s digest in hex", fwt_sfr_field_path(s, f),
			                 fwt_digest_name(fw_algs[i]));
			goto out;
		}
	}
	if (!have[0] && !have[1]) {
		err = fwt__error(ctx, FWT_EFORMAT, "the OCP SAFE CoRIM profile requires a firmware hash "
		                 "($.device.fw_hash_sha2_384 or fw_hash_sha2_512): they are its condition");
		goto out;
	}
	if ((err = fwid_item(ctx, s, have, h, &id)))
		goto out;
	if (id) {
		list = fwt__cb_array();
		ok &= fwt__cb_push(list, id);
		ok &= fwt__cb_puti(m, 4, list);
	}
	cvss = opt_text(s, FWT_SFR_CVSS_VERSION, &cvn);
	if (fwt_sfr_issue_count(s)) {
		list = fwt__cb_array();
		for (i = 0; i < fwt_sfr_issue_count(s); i++) {
			cbor_item_t *e;
			if ((err = issue_item(ctx, s, i, cvss, cvn, &e))) {
				fwt__cb_free(list);
				goto out;
			}
			ok &= fwt__cb_push(list, e);
		}
		ok &= fwt__cb_puti(m, 5, list);
	}
	if (!ok) {
		err = fwt__enomem(ctx);
		goto out;
	}
	*out = m;
	m = NULL;
out:
	fwt__cb_free(m);
	return err;
}

fwt_err fwt_sfr_to_corim(fwt_ctx *ctx, const fwt_sfr *s, const fwt_sfr_corim_options *o, unsigned char **out,
                         size_t *len)
{
	cbor_item_t *sfr = NULL, *triples = NULL, *comid = NULL, *corim = NULL, *root = NULL, *x, *y;
	unsigned char h[2][64], *tb = NULL, *cb = NULL, sum[32];
	char hex[17], corim_id[40], tag_id[40];
	const char *vendor, *product, *srp;
	size_t vn, pn, sn, tlen = 0, clen = 0;
	int have[2] = { 0, 0 }, ok = 1;
	fwt_err err;

	if (!s || !out || !len)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	*len = 0;
	if (o && o->version > FWT_SFR_CORIM_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "SFR CoRIM", o->version, FWT_SFR_CORIM_OPTIONS_VERSION);
	/* a CoRIM without issues says there are none: a report that does
	 * not record them would come back from it as a clean one */
	if (!fwt_sfr_issues_recorded(s))
		return fwt__error(ctx, FWT_EFORMAT, "$.audit.issues is missing, and a CoRIM without issues says there "
		                  "are none (write [] when there are none)");
	vendor = opt_text(s, FWT_SFR_VENDOR, &vn);
	product = opt_text(s, FWT_SFR_PRODUCT, &pn);
	if (!vendor && !product)
		return fwt__error(ctx, FWT_EFORMAT, "the OCP SAFE CoRIM profile requires $.device.vendor or "
		                  "$.device.product (the environment)");
	if ((err = sfr_map(ctx, s, have, h, &sfr)))
		return err;
	/* triples: {10: [[[condition], [endorsement]]]} */
	{
		cbor_item_t *cond = fwt__cb_array(), *endo = fwt__cb_array(), *cet = fwt__cb_array(),
		            *list = fwt__cb_array();
		ok &= fwt__cb_push(cond, record(env_item(vendor, vn, product, pn), 2, digest_list(have, h)));
		ok &= fwt__cb_push(endo, record(env_item(vendor, vn, product, pn), KEY_SFR, sfr));
		sfr = NULL;
		ok &= fwt__cb_push(cet, cond);
		ok &= fwt__cb_push(cet, endo);
		ok &= fwt__cb_push(list, cet);
		triples = fwt__cb_map();
		ok &= fwt__cb_puti(triples, 10, list);
	}
	if (!ok) {
		err = fwt__enomem(ctx);
		goto out;
	}
	/* ids derived from the content, so the same report gives the same bytes */
	if ((err = fwt__cbor_encode_alloc(ctx, triples, &tb, &tlen)) ||
	    (err = fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, tb, tlen, sum)))
		goto out;
	fwt_hex_encode(hex, sum, 8);
	snprintf(corim_id, sizeof(corim_id), "ocp-safe-sfr-corim-%s", hex);
	snprintf(tag_id, sizeof(tag_id), "ocp-safe-sfr-comid-%s", hex);
	comid = fwt__cb_map();
	x = fwt__cb_map();
	ok &= fwt__cb_puti(x, 0, fwt__cb_text(o && o->tag_id ? o->tag_id : tag_id, (size_t)-1));
	ok &= fwt__cb_puti(comid, 1, x);
	ok &= fwt__cb_puti(comid, 4, triples);
	triples = NULL;
	if (!ok) {
		err = fwt__enomem(ctx);
		goto out;
	}
	if ((err = fwt__cbor_encode_alloc(ctx, comid, &cb, &clen)))
		goto out;
	corim = fwt__cb_map();
	ok &= fwt__cb_puti(corim, 0, fwt__cb_text(o && o->corim_id ? o->corim_id : corim_id, (size_t)-1));
	x = fwt__cb_array();
	ok &= fwt__cb_push(x, fwt__cb_tag(506, fwt__cb_bytes(cb, clen)));
	ok &= fwt__cb_puti(corim, 1, x);
	ok &= fwt__cb_puti(corim, 3, fwt__cb_tag(111, fwt__cb_bytes(FWT_SFR_CORIM_PROFILE_DER,
	                                                              FWT_SFR_CORIM_PROFILE_DER_LEN)));
	if ((srp = opt_text(s, FWT_SFR_SRP, &sn)) != NULL) {
		/* the review provider: manifest-creator (1) */
		x = fwt__cb_array();
		y = fwt__cb_map();
		ok &= fwt__cb_puti(y, 0, fwt__cb_text(srp, sn));
		{
			cbor_item_t *roles = fwt__cb_array();
			ok &= fwt__cb_push(roles, fwt__cb_uint(1));
			ok &= fwt__cb_puti(y, 2, roles);
		}
		ok &= fwt__cb_push(x, y);
		ok &= fwt__cb_puti(corim, 5, x);
	}
	root = fwt__cb_tag(501, corim);
	corim = NULL;
	if (!ok || !root) {
		err = fwt__enomem(ctx);
		goto out;
	}
	err = fwt__cbor_encode_alloc(ctx, root, out, len);
	if (!err)
		err = fwt__sfr_size_check(ctx, out, *len);
out:
	fwt__cb_free(sfr);
	fwt__cb_free(triples);
	fwt__cb_free(comid);
	fwt__cb_free(corim);
	fwt__cb_free(root);
	free(tb);
	free(cb);
	return err;
}

/* ---- CoRIM to the report ---- */

struct rd {
	fwt_ctx *ctx;
	char path[256];
	size_t plen;
};

static fwt_err bad(struct rd *r, fwt_err code, const char *fmt, ...) FWT_FMT(3, 4);
static fwt_err bad(struct rd *r, fwt_err code, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (code == FWT_EUNSUPPORTED)
		return fwt__error(r->ctx, code, "unsupported SFR CoRIM at %s: %s", r->plen ? r->path : "/", why);
	return fwt__error(r->ctx, code, "malformed SFR CoRIM at %s: %s", r->plen ? r->path : "/", why);
}

static size_t push(struct rd *r, const char *fmt, ...) FWT_FMT(2, 3);
static size_t push(struct rd *r, const char *fmt, ...)
{
	size_t old = r->plen;
	va_list ap;
	int n;

	if (r->plen + 2 >= sizeof(r->path))
		return old;
	r->path[r->plen++] = '/';
	va_start(ap, fmt);
	n = vsnprintf(r->path + r->plen, sizeof(r->path) - r->plen, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->plen += (size_t)n < sizeof(r->path) - r->plen ? (size_t)n : sizeof(r->path) - r->plen - 1;
	return old;
}

static void pop(struct rd *r, size_t old)
{
	r->plen = old;
	r->path[old] = '\0';
}

/* A model value from CoRIM text (NUL is the one thing UTF-8 text may hold
 * that the model refuses). */
static fwt_err set_field(struct rd *r, fwt_sfr *s, fwt_sfr_field f, const char *v, size_t n)
{
	fwt_err err = fwt_sfr_set(s, f, v ? v : "", v ? n : 0);

	if (err == FWT_EINVAL)
		return bad(r, FWT_EFORMAT, "text holds a NUL character");
	return err ? fwt__enomem(r->ctx) : FWT_OK;
}

/* Note in s that the CoRIM held what, below the current path: a key the
 * profile does not define (unknown), or a value the model has no place for. */
static fwt_err unkept(struct rd *r, fwt_sfr *s, const char *what, int unknown)
{
	char p[sizeof(r->path) + 80];

	snprintf(p, sizeof(p), "%s/%s", r->plen ? r->path : "", what);
	return fwt__sfr_unkept(s, p, unknown) ? fwt__enomem(r->ctx) : FWT_OK;
}

/* Each key of map m other than the integers known[]: noted as unknown. */
static fwt_err unknown_keys(struct rd *r, fwt_sfr *s, const cbor_item_t *m, const int64_t *known, size_t nk)
{
	size_t i, k, tn;
	const char *t;
	int64_t v;
	char name[80];
	fwt_err err;

	for (i = 0; i < fwt__cbor_len(m); i++) {
		const cbor_item_t *key = fwt__cbor_key(m, i);
		if (fwt__cbor_int(key, &v)) {
			for (k = 0; k < nk && known[k] != v; k++)
				;
			if (k < nk)
				continue;
			snprintf(name, sizeof(name), "%" PRId64, v);
		} else if (fwt__cbor_text(key, &t, &tn)) {
			size_t j, o = 0;
			name[o++] = '"';
			for (j = 0; j < tn && o < 40; j++)
				name[o++] = (unsigned char)t[j] >= 0x20 && (unsigned char)t[j] < 0x7f && t[j] != '"' ? t[j] : '?';
			if (j < tn) {
				memcpy(name + o, "...", 3);
				o += 3;
			}
			name[o++] = '"';
			name[o] = '\0';
		} else {
			snprintf(name, sizeof(name), "(a key neither integer nor text)");
		}
		if ((err = unkept(r, s, name, 1)))
			return err;
	}
	return FWT_OK;
}

/* Text at key of map m: *p NULL when absent and optional. */
static fwt_err rd_text(struct rd *r, const cbor_item_t *m, int64_t key, const char *name, int required,
                       const char **p, size_t *n)
{
	const cbor_item_t *v = fwt__cbor_get(m, key);
	const char *z;
	size_t old;
	fwt_err err = FWT_OK;

	*p = NULL;
	*n = 0;
	if (!v)
		return required ? bad(r, FWT_EFORMAT, "%s (key %" PRId64 ") is missing", name, key) : FWT_OK;
	old = push(r, "%s", name);
	if (!fwt__cbor_text(v, p, n))
		err = bad(r, FWT_EFORMAT, "not text");
	else if (*n && (z = memchr(*p, '\0', *n)) != NULL)
		err = bad(r, FWT_EFORMAT, "text holds a NUL character at byte %zu", (size_t)(z - *p));
	pop(r, old);
	return err;
}

static fwt_err need_map(struct rd *r, const cbor_item_t *v, int nonempty)
{
	if (!v || !cbor_isa_map(v))
		return bad(r, FWT_EFORMAT, "not a map");
	if (nonempty && !fwt__cbor_len(v))
		return bad(r, FWT_EFORMAT, "an empty map where the CDDL wants at least one entry");
	return FWT_OK;
}

static fwt_err need_list(struct rd *r, const cbor_item_t *v)
{
	if (!v || !cbor_isa_array(v))
		return bad(r, FWT_EFORMAT, "not an array");
	if (!fwt__cbor_len(v))
		return bad(r, FWT_EFORMAT, "an empty array where the CDDL wants at least one element");
	return FWT_OK;
}

/* Which of SHA-384 (0) and SHA-512 (1) a digest algorithm is, by COSE id,
 * Named Information id or name; -1 for another known or unknown one. */
static int which_alg(const cbor_item_t *a, int *ok)
{
	int64_t id;
	const char *t;
	size_t n;

	*ok = 1;
	if (fwt__cbor_int(a, &id))
		return id == -43 || id == 7 ? 0 : id == -44 || id == 8 ? 1 : -1;
	if (fwt__cbor_text(a, &t, &n))
		return n == 7 && !memcmp(t, "sha-384", 7) ? 0 : n == 7 && !memcmp(t, "sha-512", 7) ? 1 : -1;
	*ok = 0;
	return -1;
}

/* digests-type = [+ [alg, bytes]]: SHA-384 and SHA-512 into h; other
 * algorithms are skipped (the JSON form has no place for them). */
static fwt_err rd_digests(struct rd *r, const cbor_item_t *v, int have[2], unsigned char h[2][64])
{
	size_t i, n, old;
	fwt_err err;

	have[0] = have[1] = 0;
	if ((err = need_list(r, v)))
		return err;
	for (i = 0; i < fwt__cbor_len(v) && !err; i++) {
		const cbor_item_t *d = fwt__cbor_at(v, i);
		const unsigned char *b;
		int k, ok;
		old = push(r, "%zu", i);
		if (!cbor_isa_array(d) || fwt__cbor_len(d) != 2) {
			err = bad(r, FWT_EFORMAT, "a digest is [alg, value]");
		} else if (k = which_alg(fwt__cbor_at(d, 0), &ok), !ok) {
			err = bad(r, FWT_EFORMAT, "a digest algorithm is an integer or text");
		} else if (!fwt__cbor_bytes(fwt__cbor_at(d, 1), &b, &n)) {
			err = bad(r, FWT_EFORMAT, "a digest value is a byte string");
		} else if (k >= 0 && n != fwt_digest_size(fw_algs[k])) {
			err = bad(r, FWT_EFORMAT, "a %s digest is %zu bytes, not %zu", fwt_digest_name(fw_algs[k]), n,
			          fwt_digest_size(fw_algs[k]));
		} else if (k >= 0 && have[k]) {
			err = bad(r, FWT_EFORMAT, "a second %s digest", fwt_digest_name(fw_algs[k]));
		} else if (k >= 0) {
			memcpy(h[k], b, n);
			have[k] = 1;
		}
		pop(r, old);
	}
	return err;
}

/* Add digests found at the current path to the report's firmware hashes:
 * the same algorithm must give the same bytes everywhere. */
static fwt_err merge(struct rd *r, int have[2], unsigned char h[2][64], const int nh[2], unsigned char n[2][64])
{
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!nh[i])
			continue;
		if (have[i] && memcmp(h[i], n[i], fwt_digest_size(fw_algs[i])))
			return bad(r, FWT_EFORMAT, "the %s digest differs from the condition's firmware digest",
			           fwt_digest_name(fw_algs[i]));
		memcpy(h[i], n[i], fwt_digest_size(fw_algs[i]));
		have[i] = 1;
	}
	return FWT_OK;
}

static fwt_err rd_manifest(struct rd *r, const cbor_item_t *src, int have[2], unsigned char h[2][64],
                           fwt_manifest *man)
{
	unsigned char d[2][64];
	const cbor_item_t *list;
	int dh[2];
	size_t i, old, o2;
	fwt_err err;

	if ((err = need_map(r, src, 0)))
		return err;
	old = push(r, "manifest-digest");
	err = fwt__cbor_get(src, 0) ? rd_digests(r, fwt__cbor_get(src, 0), dh, d) : bad(r, FWT_EFORMAT, "missing");
	if (!err)
		err = merge(r, have, h, dh, d);
	pop(r, old);
	if (err)
		return err;
	old = push(r, "manifest");
	list = fwt__cbor_get(src, 1);
	err = list ? need_list(r, list) : bad(r, FWT_EFORMAT, "missing");
	for (i = 0; !err && i < fwt__cbor_len(list); i++) {
		const cbor_item_t *e = fwt__cbor_at(list, i);
		const char *name;
		size_t n;
		o2 = push(r, "%zu", i);
		err = need_map(r, e, 0);
		if (!err)
			err = rd_text(r, e, 0, "filename", 1, &name, &n);
		if (!err) {
			size_t o3 = push(r, "file-hash");
			err = fwt__cbor_get(e, 1) ? rd_digests(r, fwt__cbor_get(e, 1), dh, d)
			                          : bad(r, FWT_EFORMAT, "missing");
			if (!err && !dh[1])
				err = bad(r, FWT_EUNSUPPORTED, "no SHA-512 digest (the JSON form's manifest holds SHA-512)");
			pop(r, o3);
		}
		if (!err && fwt_manifest_add(man, name, n, d[1]) != FWT_OK)
			err = bad(r, FWT_EFORMAT, "'%.*s' cannot be a manifest entry: %s", (int)(n > 64 ? 64 : n), name,
			          fwt_ctx_errmsg(r->ctx));
		pop(r, o2);
	}
	pop(r, old);
	return err;
}

static fwt_err rd_fwid(struct rd *r, fwt_sfr *s, const cbor_item_t *ids, int have[2], unsigned char h[2][64],
                       fwt_manifest **man)
{
	const cbor_item_t *id, *v;
	const char *t = NULL, *tag = NULL;
	unsigned char d[2][64];
	size_t n = 0, tn = 0, old;
	int dh[2];
	fwt_err err;

	if ((err = need_list(r, ids)))
		return err;
	if (fwt__cbor_len(ids) > 1)
		return bad(r, FWT_EUNSUPPORTED, "%zu fw-identifiers: the JSON form describes one firmware",
		           fwt__cbor_len(ids));
	old = push(r, "0");
	id = fwt__cbor_at(ids, 0);
	if ((err = need_map(r, id, 1)))
		goto out;
	if ((v = fwt__cbor_get(id, 0)) != NULL) {
		size_t o2 = push(r, "fw-version");
		const cbor_item_t *sch = fwt__cbor_get(v, 1);
		const char *st;
		size_t sn;
		int64_t si;
		err = need_map(r, v, 0);
		if (!err)
			err = rd_text(r, v, 0, "version", 1, &t, &n);
		if (!err && sch && !fwt__cbor_int(sch, &si) && !fwt__cbor_text(sch, &st, &sn))
			err = bad(r, FWT_EFORMAT, "version-scheme is neither an integer nor text");
		if (!err && sch)
			err = unkept(r, s, "version-scheme", 0);
		if (!err) {
			static const int64_t known[] = { 0, 1 };
			err = unknown_keys(r, s, v, known, FWT_ARRAY_LEN(known));
		}
		pop(r, o2);
		if (err)
			goto out;
	}
	if ((v = fwt__cbor_get(id, 1)) != NULL) {
		size_t o2 = push(r, "fw-file-digests");
		err = rd_digests(r, v, dh, d);
		if (!err)
			err = merge(r, have, h, dh, d);
		pop(r, o2);
		if (err)
			goto out;
	}
	if ((err = rd_text(r, id, 2, "repo-tag", 0, &tag, &tn)))
		goto out;
	if ((v = fwt__cbor_get(id, 3)) != NULL) {
		size_t o2 = push(r, "src-manifest");
		err = fwt_manifest_new(r->ctx, man);
		if (!err)
			err = rd_manifest(r, v, have, h, *man);
		pop(r, o2);
		if (err)
			goto out;
	}
	if ((err = set_field(r, s, FWT_SFR_FW_VERSION, t, n)) || (err = set_field(r, s, FWT_SFR_REPO_TAG, tag, tn)))
		goto out;
	{
		static const int64_t known[] = { 0, 1, 2, 3 };
		err = unknown_keys(r, s, id, known, FWT_ARRAY_LEN(known));
	}
out:
	pop(r, old);
	return err;
}

static fwt_err rd_issues(struct rd *r, fwt_sfr *s, const cbor_item_t *list)
{
	const char *cvss = NULL, *v;
	size_t cvn = 0, i, n, old, idx;
	int some_default = 0;
	fwt_err err;

	if ((err = need_list(r, list)))
		return err;
	for (i = 0; !err && i < fwt__cbor_len(list); i++) {
		const cbor_item_t *e = fwt__cbor_at(list, i), *a;
		static const struct {
			int64_t key;
			const char *name;
			fwt_sfr_issue_field f;
			int required;
		} fields[] = {
			{ 0, "title", FWT_SFR_ISSUE_TITLE, 1 },
			{ 1, "description", FWT_SFR_ISSUE_DESCRIPTION, 1 },
			{ 3, "cwe", FWT_SFR_ISSUE_CWE, 0 },
			{ 4, "cve", FWT_SFR_ISSUE_CVE, 0 },
			{ 10, "cvss-score", FWT_SFR_ISSUE_CVSS_SCORE, 1 },
			{ 11, "cvss-vector", FWT_SFR_ISSUE_CVSS_VECTOR, 1 },
		};
		size_t k;
		old = push(r, "%zu", i);
		if ((err = need_map(r, e, 0)) || (err = fwt_sfr_issue_add(s, &idx))) {
			pop(r, old);
			return err == FWT_ENOMEM ? fwt__enomem(r->ctx) : err;
		}
		a = fwt__cbor_get(e, 2);
		if (!a) {
			err = bad(r, FWT_EFORMAT, "assessment (key 2) is missing");
		} else {
			size_t o2 = push(r, "assessment");
			err = need_map(r, a, 0);
			pop(r, o2);
		}
		for (k = 0; !err && k < FWT_ARRAY_LEN(fields); k++) {
			size_t o2 = fields[k].key >= 10 ? push(r, "assessment") : r->plen;
			err = rd_text(r, fields[k].key >= 10 ? a : e, fields[k].key % 10, fields[k].name, fields[k].required,
			              &v, &n);
			if (!err && v && fwt_sfr_issue_set(s, idx, fields[k].f, v, n))
				err = fwt__enomem(r->ctx);
			if (!err && !v && fields[k].f == FWT_SFR_ISSUE_CVE && fwt_sfr_issue_set(s, idx, fields[k].f, NULL, 0))
				err = fwt__enomem(r->ctx);
			pop(r, o2);
		}
		if (!err) {
			size_t o2 = push(r, "assessment");
			err = rd_text(r, a, 2, "cvss-version", 0, &v, &n);
			if (!err && !v) {
				some_default = 1;
			} else if (!err && !cvss) {
				cvss = v;
				cvn = n;
			} else if (!err && (n != cvn || memcmp(v, cvss, n))) {
				err = bad(r, FWT_EUNSUPPORTED, "issues use different CVSS versions: the JSON form has one "
				          "cvss_version");
			}
			if (!err) {
				static const int64_t known[] = { 0, 1, 2 };
				err = unknown_keys(r, s, a, known, FWT_ARRAY_LEN(known));
			}
			pop(r, o2);
		}
		if (!err) {
			static const int64_t known[] = { 0, 1, 2, 3, 4 };
			err = unknown_keys(r, s, e, known, FWT_ARRAY_LEN(known));
		}
		pop(r, old);
	}
	if (err)
		return err;
	/* an issue without cvss-version is CVSS 3.1 (the profile's default) */
	if (cvss && some_default && (cvn != 3 || memcmp(cvss, "3.1", 3)))
		return bad(r, FWT_EUNSUPPORTED, "issues use different CVSS versions: the JSON form has one cvss_version");
	return cvss ? set_field(r, s, FWT_SFR_CVSS_VERSION, cvss, cvn) : FWT_OK;
}

/* The ocp-safe-sfr-map into s. */
static fwt_err rd_sfr_map(struct rd *r, fwt_sfr *s, const cbor_item_t *m, int have[2], unsigned char h[2][64],
                          fwt_manifest **man)
{
	const cbor_item_t *v, *in;
	const char *t;
	size_t n, old;
	uint64_t tag;
	int64_t when, scope;
	double frac = 0; /* of a float time: the fraction of a second the date drops */
	char buf[32];
	fwt_err err;

	if ((err = need_map(r, m, 0)))
		return err;
	if ((err = rd_text(r, m, 0, "review-framework-version", 1, &t, &n)) ||
	    (err = set_field(r, s, FWT_SFR_FRAMEWORK_VERSION, t, n)))
		return err;
	if ((err = rd_text(r, m, 1, "report-version", 1, &t, &n)) ||
	    (err = set_field(r, s, FWT_SFR_REPORT_VERSION, t, n)))
		return err;
	old = push(r, "completion-date");
	v = fwt__cbor_get(m, 2);
	if (!v) {
		err = bad(r, FWT_EFORMAT, "missing");
	} else if (!fwt__cbor_tag(v, &tag, (cbor_item_t **)&in) || tag != 1) {
		err = bad(r, FWT_EFORMAT, "not a time (tag 1)");
	} else if (fwt__cbor_int(in, &when)) {
		/* seconds */
	} else if (cbor_isa_float_ctrl(in) && !cbor_float_ctrl_is_ctrl(in) && cbor_float_get_float(in) > -1e15 &&
	           cbor_float_get_float(in) < 1e15) { /* NaN fails both */
		double d = cbor_float_get_float(in);
		when = (int64_t)d;
		if ((double)when > d) /* floor */
			when--;
		frac = d - (double)when;
	} else {
		err = bad(r, FWT_EFORMAT, "a time is 1(seconds)");
	}
	/* a date of four-digit years: a longer year cut to ten bytes would be
	 * no date, and skip the completion check */
	if (!err && (when < -62167219200LL || when > 253402300799LL))
		err = bad(r, FWT_EFORMAT, "1(%" PRId64 ") is outside the years 0000 to 9999", when);
	pop(r, old);
	if (err)
		return err;
	fwt_time_format_rfc3339(when, buf);
	if ((err = set_field(r, s, FWT_SFR_COMPLETION_DATE, buf, 10)))
		return err;
	if (strcmp(buf + 10, "T00:00:00Z") || frac > 0) { /* the JSON form holds a date */
		char what[80], fr[16] = "";
		if (frac > 0) { /* 00:00:00Z becomes 00:00:00.5Z */
			size_t k;
			snprintf(fr, sizeof(fr), "%.9f", frac);
			if (fr[0] != '0')
				snprintf(fr, sizeof(fr), "0.999999999");
			for (k = strlen(fr); k > 3 && fr[k - 1] == '0'; k--)
				fr[k - 1] = '\0';
		}
		snprintf(what, sizeof(what), "completion-date (its time of day, %.8s%sZ)", buf + 11, frac > 0 ? fr + 1 : "");
		if ((err = unkept(r, s, what, 0)))
			return err;
	}
	old = push(r, "scope-number");
	v = fwt__cbor_get(m, 3);
	err = !v ? bad(r, FWT_EFORMAT, "missing") : !fwt__cbor_int(v, &scope) ? bad(r, FWT_EFORMAT, "not an integer")
	                                                                     : FWT_OK;
	/* the profile's "integer" numbers a review scope (1, 2, ...): a
	 * negative one is malformed, as $.audit.scope_number is in JSON */
	if (!err && scope < 0)
		err = bad(r, FWT_EFORMAT, "negative (%" PRId64 ")", scope);
	pop(r, old);
	if (err)
		return err;
	snprintf(buf, sizeof(buf), "%" PRId64, scope);
	if ((err = set_field(r, s, FWT_SFR_SCOPE, buf, strlen(buf))))
		return err;
	if ((v = fwt__cbor_get(m, 4)) != NULL) {
		old = push(r, "fw-identifiers");
		err = rd_fwid(r, s, v, have, h, man);
		pop(r, old);
		if (err)
			return err;
	} else if ((err = set_field(r, s, FWT_SFR_FW_VERSION, NULL, 0)) ||
	           (err = set_field(r, s, FWT_SFR_REPO_TAG, NULL, 0))) {
		return err;
	}
	if ((v = fwt__cbor_get(m, 5)) != NULL) {
		old = push(r, "issues");
		err = rd_issues(r, s, v);
		pop(r, old);
		if (err)
			return err;
	}
	if ((v = fwt__cbor_get(m, 6)) != NULL) {
		old = push(r, "solid-version");
		if (!fwt__cbor_text(v, &t, &n))
			err = bad(r, FWT_EFORMAT, "not text");
		pop(r, old);
		if (!err)
			err = unkept(r, s, "solid-version", 0);
	}
	if (!err) {
		static const int64_t known[] = { 0, 1, 2, 3, 4, 5, 6 };
		err = unknown_keys(r, s, m, known, FWT_ARRAY_LEN(known));
	}
	return err;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Is "manifest-creator" one of the comma-separated roles? */
static int creator(const char *roles)
{
	const char *p = roles;
	size_t n = strlen("manifest-creator");

	while (p && *p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!strncmp(p, "manifest-creator", n) && (p[n] == ',' || !p[n]))
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

/* The SFR map in the CoMID tree: 4 -> 10 -> [0] -> endorsements [0] ->
 * measurements [0] -> mval -> -1 (lib/corim checked the shape). */
static const cbor_item_t *find_sfr(const cbor_item_t *comid)
{
	const cbor_item_t *v = fwt__cbor_get(fwt__cbor_get(comid, 4), 10);

	v = fwt__cbor_at(fwt__cbor_at(fwt__cbor_at(v, 0), 1), 0);
	v = fwt__cbor_at(fwt__cbor_at(v, 1), 0);
	return fwt__cbor_get(fwt__cbor_get(v, 1), KEY_SFR);
}

int fwt__sfr_corim_profile(const fwt_corim *c)
{
	const fwt_corim_id *prof = c ? fwt_corim_get_profile(c) : NULL;
	size_t i;

	for (i = 0; prof && prof->type == FWT_CORIM_ID_OID && i < FWT_ARRAY_LEN(profiles); i++)
		if (prof->len == profiles[i].n && !memcmp(prof->bytes, profiles[i].b, prof->len))
			return 1;
	return 0;
}

fwt_err fwt__sfr_from_corim(fwt_ctx *ctx, const fwt_corim *c, const void *buf, size_t len, fwt_sfr **out)
{
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	const fwt_corim_id *prof = fwt_corim_get_profile(c);
	const fwt_comid *cm;
	const fwt_corim_triple *tr;
	const fwt_corim_claims *cond, *endo;
	const fwt_corim_entity *ents;
	const unsigned char *p = buf;
	const char *srp = NULL;
	cbor_item_t *root = NULL, *tree = NULL, *content, *tags, *inner;
	unsigned char h[2][64];
	int have[2] = { 0, 0 };
	fwt_manifest *man = NULL;
	fwt_sfr *s = NULL;
	struct rd r;
	size_t i, ne, n = len;
	uint64_t tag;
	fwt_err err;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	if (fwt_corim_get_kind(c) == FWT_CORIM_COMID)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "a bare CoMID is not an SFR (the SFR form is a CoRIM with the OCP "
		                  "SAFE SFR profile)");
	for (i = 0; prof->type == FWT_CORIM_ID_OID && i < FWT_ARRAY_LEN(profiles); i++)
		if (prof->len == profiles[i].n && !memcmp(prof->bytes, profiles[i].b, prof->len))
			break;
	if (prof->type != FWT_CORIM_ID_OID || i == FWT_ARRAY_LEN(profiles))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "not an OCP SAFE SFR: the CoRIM's profile is %s%s%s, not "
		                  "1.3.6.1.4.1.42623.1.1", prof->type ? "'" : "", prof->type ? prof->text : "absent",
		                  prof->type ? "'" : "");
	if (fwt_corim_comid_count(c) != 1 || fwt_corim_other_tag_count(c))
		return bad(&r, FWT_EFORMAT, "an SFR CoRIM holds exactly one CoMID, not %zu tags",
		           fwt_corim_comid_count(c) + fwt_corim_other_tag_count(c));
	cm = fwt_corim_comid(c, 0);
	push(&r, "tags/0/triples");
	if (cm->n_triples != 1 || cm->n_other_triples || cm->triples[0].type != FWT_CORIM_TRIPLE_CONDITIONAL) {
		err = bad(&r, FWT_EFORMAT, "an SFR CoMID holds exactly one conditional-endorsement triple");
		goto out;
	}
	tr = &cm->triples[0];
	if (tr->n_conditions != 1 || tr->n_claims != 1) {
		err = bad(&r, FWT_EFORMAT, "the SFR triple has %zu conditions and %zu endorsements, not one each",
		          tr->n_conditions, tr->n_claims);
		goto out;
	}
	cond = &tr->conditions[0];
	endo = &tr->claims[0];
	if (cond->n != 1 || endo->n != 1) {
		err = bad(&r, FWT_EFORMAT, "the condition and the endorsement hold one measurement each");
		goto out;
	}
	if (!same(cond->env.vendor, endo->env.vendor) || !same(cond->env.model, endo->env.model)) {
		err = bad(&r, FWT_EFORMAT, "the condition and the endorsement name different environments");
		goto out;
	}
	for (i = 0; i < cond->m[0].n_digests; i++) {
		const fwt_corim_digest *d = &cond->m[0].digests[i];
		int k = d->alg == FWT_DIGEST_SHA384 ? 0 : d->alg == FWT_DIGEST_SHA512 ? 1 : -1;
		/* the condition is what binds the report to firmware: a digest
		 * fwtrail does not check against the image would leave it bound by
		 * the others alone, while an appraiser that matches on it binds
		 * the report to other bytes (exit 6: cannot tell) */
		if (k < 0) {
			err = bad(&r, FWT_EUNSUPPORTED, "the condition carries a firmware digest of another algorithm "
			          "than SHA-384 or SHA-512 (%s), which fwtrail does not check against the firmware",
			          d->alg_name ? d->alg_name : "unknown");
			goto out;
		}
		if (have[k] || d->len != fwt_digest_size(fw_algs[k])) {
			err = bad(&r, FWT_EFORMAT, "the condition's %s digest is repeated or of the wrong size",
			          fwt_digest_name(fw_algs[k]));
			goto out;
		}
		memcpy(h[k], d->value, d->len);
		have[k] = 1;
	}
	if (!have[0] && !have[1]) {
		err = bad(&r, FWT_EFORMAT, "the condition carries no SHA-384 or SHA-512 firmware digest");
		goto out;
	}
	pop(&r, 0);
	ents = fwt_corim_entities(c, &ne);
	for (i = 0; i < ne && !srp; i++)
		if (ents[i].roles && creator(ents[i].roles))
			srp = ents[i].name;
	/* the SFR map itself, from the same bytes lib/corim decoded */
	if (fwt_corim_cose(c))
		p = fwt_cose_payload(fwt_corim_cose(c), &n);
	co.flags = FWT_CBOR_NO_INDEFINITE | FWT_CBOR_SHORTEST;
	co.max_depth = FWT_CORIM_DEPTH;
	if ((err = fwt__cbor_decode(ctx, p, n, &co, "the CoRIM", &root, NULL)))
		goto out;
	tags = fwt__cbor_tag(root, &tag, &content) && tag == 501 ? fwt__cbor_get(content, 1) : NULL;
	for (i = 0, inner = NULL; i < fwt__cbor_len(tags) && !inner; i++)
		if (fwt__cbor_tag(fwt__cbor_at(tags, i), &tag, &inner) && tag != 506)
			inner = NULL;
	if (inner && !cbor_isa_map(inner)) {
		const unsigned char *b;
		size_t bn;
		if (!fwt__cbor_bytes(inner, &b, &bn) || (err = fwt__cbor_decode(ctx, b, bn, &co, "a CoMID", &tree, NULL)))
			goto out;
		inner = tree;
	}
	push(&r, "ocp-safe-sfr");
	if (!inner || !find_sfr(inner)) {
		err = bad(&r, FWT_EFORMAT, "the endorsement carries no ocp-safe-sfr map (measurement-values key -1)");
		goto out;
	}
	if (fwt_sfr_new(&s)) {
		err = fwt__enomem(ctx);
		goto out;
	}
	err = rd_sfr_map(&r, s, find_sfr(inner), have, h, &man);
	pop(&r, 0);
	/* the corim-map's own: a validity the JSON form has no place for */
	if (!err && fwt__cbor_get(content, 2))
		err = unkept(&r, s, "corim-map/dependent-rims", 0);
	if (!err && fwt__cbor_get(content, 4))
		err = unkept(&r, s, "corim-map/rim-validity", 0);
	if (!err)
		err = set_field(&r, s, FWT_SFR_VENDOR, cond->env.vendor, cond->env.vendor ? strlen(cond->env.vendor) : 0);
	if (!err)
		err = set_field(&r, s, FWT_SFR_PRODUCT, cond->env.model, cond->env.model ? strlen(cond->env.model) : 0);
	if (!err)
		err = set_field(&r, s, FWT_SFR_SRP, srp, srp ? strlen(srp) : 0);
	for (i = 0; !err && i < 2; i++)
		if (fwt_sfr_set_fw_hash(s, fw_algs[i], have[i] ? h[i] : NULL))
			err = fwt__enomem(ctx);
	if (!err && man)
		err = fwt_sfr_set_manifest(ctx, s, man, 0);
	if (!err) {
		*out = s;
		s = NULL;
	}
out:
	fwt_manifest_free(man);
	fwt_sfr_free(s);
	fwt__cb_free(tree);
	fwt__cb_free(root);
	return err;
}

fwt_err fwt_sfr_from_corim(fwt_ctx *ctx, fwt_sfr **out, const void *buf, size_t len, const char *name)
{
	fwt_corim *c = NULL;
	fwt_err err;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	err = fwt_corim_parse(ctx, &c, buf, len, NULL);
	if (!err)
		err = fwt__sfr_from_corim(ctx, c, buf, len, out);
	fwt_corim_free(c);
	if (err && name)
		fwt__error_prefix(ctx, "'%s'", name);
	return err;
}

/* ---- signing ---- */

/* The kid and key checks both signing functions make. */
static fwt_err sign_checks(fwt_ctx *ctx, fwt_key *key, const unsigned char *kid, size_t kid_len)
{
	/* the kid as for JWS: free text that verifiers look up */
	if (kid && (!kid_len || kid_len > FWT_JWS_KID_MAX))
		return fwt__error(ctx, FWT_EINVAL, "the kid must be 1 to %d bytes", FWT_JWS_KID_MAX);
	if (kid && fwt__has_control(kid, kid_len))
		return fwt__error(ctx, FWT_EINVAL, "the kid must not hold control characters");
	return fwt_jws_check_key(ctx, fwt_key_alg(key), fwt_key_pubkey(key), NULL);
}

/* corim (the unsigned CoRIM form of s) signed, the signer named audit.srp. */
static fwt_err sign_corim(fwt_ctx *ctx, fwt_key *key, const fwt_sfr *s, const unsigned char *corim, size_t len,
                          const unsigned char *kid, size_t kid_len, unsigned char **out, size_t *outlen)
{
	fwt_corim_sign_options so = FWT_CORIM_SIGN_OPTIONS_INIT;
	const char *srp;
	char *name = NULL;
	size_t n;
	fwt_err err;

	if ((srp = opt_text(s, FWT_SFR_SRP, &n)) != NULL && !(name = fwt__strndup(srp, n)))
		return fwt__enomem(ctx);
	so.kid = kid;
	so.kid_len = kid ? kid_len : 0;
	so.signer_name = name; /* the review provider; NULL: the key certificate's subject */
	err = fwt_corim_sign(ctx, key, corim, len, &so, out, outlen);
	free(name);
	return err;
}

fwt_err fwt_sfr_sign_cose(fwt_ctx *ctx, fwt_key *key, const fwt_sfr *s, const unsigned char *kid, size_t kid_len,
                          unsigned char **out, size_t *outlen)
{
	unsigned char *corim = NULL;
	size_t len = 0;
	fwt_err err;

	if (!key || !s || !out || !outlen || (!kid && kid_len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if ((err = sign_checks(ctx, key, kid, kid_len)))
		return err;
	err = fwt_sfr_to_corim(ctx, s, NULL, &corim, &len);
	if (!err)
		err = sign_corim(ctx, key, s, corim, len, kid, kid_len, out, outlen);
	free(corim);
	return err;
}

fwt_err fwt_sfr_sign_cose_corim(fwt_ctx *ctx, fwt_key *key, const void *corim, size_t len, const unsigned char *kid,
                                size_t kid_len, unsigned char **out, size_t *outlen)
{
	fwt_corim *c = NULL;
	fwt_sfr *s = NULL;
	fwt_err err;

	if (!key || !corim || !out || !outlen || (!kid && kid_len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if ((err = sign_checks(ctx, key, kid, kid_len)))
		return err;
	/* what is signed must read back as an unsigned SFR: the same bytes,
	 * so that what the author put in (rim-validity, extensions) stays */
	err = fwt_corim_parse(ctx, &c, corim, len, NULL);
	if (!err && fwt_corim_cose(c))
		err = fwt__error(ctx, FWT_EINVAL, "the CoRIM is signed already");
	if (!err)
		err = fwt__sfr_from_corim(ctx, c, corim, len, &s);
	if (!err)
		err = sign_corim(ctx, key, s, corim, len, kid, kid_len, out, outlen);
	fwt_sfr_free(s);
	fwt_corim_free(c);
	return err;
}
