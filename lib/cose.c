/* SPDX-License-Identifier: Apache-2.0 */
/* cose.c - COSE_Sign1 and COSE_Sign (RFC 9052/9053) on the strict CBOR
 * layer.  The Sig_structure is always built from the protected-header
 * bytes and payload bytes as received (never a re-encoding), and every
 * signature goes through fwt_sig_verify. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/cose.h>
#include <fwtrail/hex.h>
#include "internal.h"
#include "cbor_internal.h"
#include "sig_internal.h"
#include "banned.h"

#define COSE_DEPTH 16

struct hdr {
	cbor_item_t *pmap;                /* decoded protected map; NULL for h'' */
	const unsigned char *praw;        /* protected bstr content as received */
	size_t plen;
	cbor_item_t *umap;                /* unprotected map (borrowed from root) */
};

struct signer {
	struct hdr h;                     /* COSE_Sign1: unused (the body's) */
	const unsigned char *sig;
	size_t siglen;
	int alg_state;                    /* 0 absent, 1 integer, -1 text */
	int64_t alg_id;
	const char *alg_text;
	size_t alg_tlen;
	const unsigned char *kid;
	size_t kidlen;
};

struct fwt_cose {
	fwt_ctx *ctx;
	cbor_item_t *root;
	fwt_cose_kind kind;
	int tagged;
	struct hdr body;
	const unsigned char *payload;
	size_t payload_len;
	int detached;
	struct signer *signers;
	size_t n;
};

static const struct hdr *signer_hdr(const fwt_cose *m, size_t i)
{
	return m->kind == FWT_COSE_SIGN1 ? &m->body : &m->signers[i].h;
}

/* ---- labels ---- */

/* An integer label of any size (RFC 9052: label = int / tstr, and a CBOR
 * int is major type 0 or 1, over 64 bits each): *neg and the argument n,
 * the value being n or -1-n. */
static int label_int(const cbor_item_t *k, int *neg, uint64_t *n)
{
	if (!k || (!cbor_isa_uint(k) && !cbor_isa_negint(k)))
		return 0;
	*neg = cbor_isa_negint(k);
	*n = cbor_get_int(k);
	return 1;
}

static int label_ok(const cbor_item_t *k)
{
	uint64_t n;
	int neg;
	const char *p;
	size_t len;

	return label_int(k, &neg, &n) || fwt__cbor_text(k, &p, &len);
}

static int label_eq(const cbor_item_t *a, const cbor_item_t *b)
{
	uint64_t x, y;
	int xn, yn;
	const char *p, *q;
	size_t n, o;

	if (label_int(a, &xn, &x) && label_int(b, &yn, &y))
		return xn == yn && x == y;
	if (fwt__cbor_text(a, &p, &n) && fwt__cbor_text(b, &q, &o))
		return n == o && !memcmp(p, q, n);
	return 0;
}

static const cbor_item_t *find_label(const cbor_item_t *map, const cbor_item_t *label)
{
	size_t i;

	for (i = 0; map && i < fwt__cbor_len(map); i++)
		if (label_eq(fwt__cbor_key(map, i), label))
			return fwt__cbor_val(map, i);
	return NULL;
}

static void label_str(const cbor_item_t *k, char *out, size_t cap)
{
	uint64_t v;
	int neg;
	const char *p;
	size_t n;

	if (label_int(k, &neg, &v) && neg && v == UINT64_MAX)
		snprintf(out, cap, "-18446744073709551616");
	else if (label_int(k, &neg, &v))
		snprintf(out, cap, "%s%" PRIu64, neg ? "-" : "", neg ? v + 1 : v);
	else if (fwt__cbor_text(k, &p, &n))
		fwt__quote(out, cap, p, n > 32 ? 32 : n);
	else
		snprintf(out, cap, "?");
}

static fwt_err check_bucket(fwt_ctx *ctx, const cbor_item_t *map, const char *where)
{
	size_t i;

	for (i = 0; i < fwt__cbor_len(map); i++)
		if (!label_ok(fwt__cbor_key(map, i)))
			return fwt__error(ctx, FWT_EFORMAT, "%s header has a label that is neither an integer nor text",
			                  where);
	return FWT_OK;
}

/* RFC 9052 section 3 rules for one protected/unprotected pair. */
static fwt_err check_headers(fwt_ctx *ctx, const struct hdr *h, const fwt_cose_options *o, const char *who)
{
	const cbor_item_t *v;
	fwt_err err;
	size_t i, n;
	char lab[160];

	err = check_bucket(ctx, h->pmap, "protected");
	if (!err)
		err = check_bucket(ctx, h->umap, "unprotected");
	if (err)
		return fwt__error_prefix(ctx, "%s", who);
	for (i = 0; i < fwt__cbor_len(h->umap); i++)
		if (find_label(h->pmap, fwt__cbor_key(h->umap, i))) {
			label_str(fwt__cbor_key(h->umap, i), lab, sizeof(lab));
			return fwt__error(ctx, FWT_EFORMAT, "%s: header label %s is in both the protected and the "
			                  "unprotected bucket", who, lab);
		}
	if (fwt__cbor_get(h->umap, FWT_COSE_ALG) && !(o && (o->flags & FWT_COSE_ALG_UNPROTECTED)))
		return fwt__error(ctx, FWT_EFORMAT, "%s: alg is in the unprotected header", who);
	if (fwt__cbor_get(h->umap, FWT_COSE_CRIT))
		return fwt__error(ctx, FWT_EFORMAT, "%s: crit is in the unprotected header", who);
	v = fwt__cbor_get(h->pmap, FWT_COSE_ALG);
	if (!v)
		v = fwt__cbor_get(h->umap, FWT_COSE_ALG);
	if (v && !label_ok(v))
		return fwt__error(ctx, FWT_EFORMAT, "%s: alg is neither an integer nor text", who);
	v = fwt__cbor_get(h->pmap, FWT_COSE_KID);
	if (!v)
		v = fwt__cbor_get(h->umap, FWT_COSE_KID);
	if (v && !cbor_isa_bytestring(v))
		return fwt__error(ctx, FWT_EFORMAT, "%s: kid is not a byte string", who);
	v = fwt__cbor_get(h->pmap, FWT_COSE_CONTENT_TYPE);
	if (!v)
		v = fwt__cbor_get(h->umap, FWT_COSE_CONTENT_TYPE);
	if (v && !cbor_isa_string(v) && !cbor_isa_uint(v))
		return fwt__error(ctx, FWT_EFORMAT, "%s: content type is neither text nor an unsigned integer", who);
	v = fwt__cbor_get(h->pmap, FWT_COSE_CRIT);
	if (!v)
		return FWT_OK;
	n = fwt__cbor_len(v);
	if (!cbor_isa_array(v) || n == 0)
		return fwt__error(ctx, FWT_EFORMAT, "%s: crit is not a non-empty array", who);
	for (i = 0; i < n; i++) {
		const cbor_item_t *c = fwt__cbor_at(v, i);
		int64_t l;
		size_t k;
		int known = 0;
		if (!label_ok(c))
			return fwt__error(ctx, FWT_EFORMAT, "%s: crit holds something that is not a label", who);
		label_str(c, lab, sizeof(lab));
		if (!find_label(h->pmap, c))
			return fwt__error(ctx, FWT_EFORMAT, "%s: crit names label %s, which the protected header "
			                  "does not hold", who, lab);
		if (fwt__cbor_int(c, &l)) {
			known = l == FWT_COSE_ALG || l == FWT_COSE_CONTENT_TYPE || l == FWT_COSE_KID;
			for (k = 0; o && k < o->n_crit_known; k++)
				known |= o->crit_known[k] == l;
		}
		if (!known)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "%s: critical header parameter %s is not understood",
			                  who, lab);
	}
	return FWT_OK;
}

static fwt_err parse_hdr(fwt_ctx *ctx, const cbor_item_t *prot, const cbor_item_t *unprot,
                         const fwt_cose_options *o, const char *who, struct hdr *h)
{
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	char what[64];
	fwt_err err;

	if (!fwt__cbor_bytes(prot, &h->praw, &h->plen))
		return fwt__error(ctx, FWT_EFORMAT, "%s: the protected header is not a byte string", who);
	if (!unprot || !cbor_isa_map(unprot))
		return fwt__error(ctx, FWT_EFORMAT, "%s: the unprotected header is not a map", who);
	h->umap = (cbor_item_t *)unprot;
	if (h->plen) {
		co.flags = FWT_CBOR_NO_INDEFINITE | (o && (o->flags & FWT_COSE_STRICT) ? FWT_CBOR_SHORTEST : 0);
		co.max_depth = COSE_DEPTH;
		snprintf(what, sizeof(what), "the %s protected header", who);
		err = fwt__cbor_decode(ctx, h->praw, h->plen, &co, what, &h->pmap, NULL);
		if (err)
			return err;
		if (!cbor_isa_map(h->pmap))
			return fwt__error(ctx, FWT_EFORMAT, "%s: the protected header is not a map", who);
	}
	return check_headers(ctx, h, o, who);
}

static void signer_params(struct signer *s, const struct hdr *h)
{
	const cbor_item_t *v = fwt__cbor_get(h->pmap, FWT_COSE_ALG);

	if (!v) /* only there when the caller allows it (checked) */
		v = fwt__cbor_get(h->umap, FWT_COSE_ALG);

	if (v && fwt__cbor_int(v, &s->alg_id))
		s->alg_state = 1;
	else if (v && fwt__cbor_text(v, &s->alg_text, &s->alg_tlen))
		s->alg_state = -1;
	else if (v) /* an integer beyond int64: no algorithm */
		s->alg_state = -1, s->alg_text = "", s->alg_tlen = 0;
	v = fwt__cbor_get(h->pmap, FWT_COSE_KID);
	if (!v)
		v = fwt__cbor_get(h->umap, FWT_COSE_KID);
	if (v)
		fwt__cbor_bytes(v, &s->kid, &s->kidlen);
}

void fwt_cose_free(fwt_cose *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		fwt__cb_free(m->signers[i].h.pmap);
	free(m->signers);
	fwt__cb_free(m->body.pmap);
	fwt__cb_free(m->root);
	free(m);
}

fwt_err fwt_cose_parse(fwt_ctx *ctx, fwt_cose **out, const void *buf, size_t len, const fwt_cose_options *opts)
{
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	unsigned flags = opts ? opts->flags : 0;
	cbor_item_t *arr, *sigs;
	uint64_t tag;
	fwt_cose *m;
	fwt_err err;
	size_t i;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if (opts && opts->version > FWT_COSE_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "COSE", opts->version, FWT_COSE_OPTIONS_VERSION);
	m = calloc(1, sizeof(*m));
	if (!m)
		return fwt__enomem(ctx);
	m->ctx = ctx;
	co.flags = FWT_CBOR_NO_INDEFINITE | (flags & FWT_COSE_STRICT ? FWT_CBOR_SHORTEST : 0);
	co.max_depth = COSE_DEPTH;
	err = fwt__cbor_decode(ctx, buf, len, &co, "the COSE message", &m->root, NULL);
	if (err)
		goto fail;
	arr = m->root;
	if (fwt__cbor_tag(m->root, &tag, &arr)) {
		m->tagged = 1;
		if (tag == FWT_COSE_SIGN1 || tag == FWT_COSE_SIGN) {
			m->kind = (fwt_cose_kind)tag;
		} else if (tag == 16 || tag == 17 || tag == 96 || tag == 97) {
			err = fwt__error(ctx, FWT_EUNSUPPORTED, "COSE_%s (tag %" PRIu64 ") is not a signature",
			                 tag == 16 ? "Encrypt0" : tag == 17 ? "Mac0" : tag == 96 ? "Encrypt" : "Mac", tag);
			goto fail;
		} else {
			err = fwt__error(ctx, FWT_EFORMAT, "unexpected tag %" PRIu64
			                 ": a COSE_Sign1 is tag 18, a COSE_Sign tag 98", tag);
			goto fail;
		}
	} else if (flags & (FWT_COSE_UNTAGGED_SIGN1 | FWT_COSE_UNTAGGED_SIGN)) {
		cbor_item_t *last = fwt__cbor_at(arr, 3);
		if ((flags & FWT_COSE_UNTAGGED_SIGN1) && (flags & FWT_COSE_UNTAGGED_SIGN))
			m->kind = last && cbor_isa_array(last) ? FWT_COSE_SIGN : FWT_COSE_SIGN1;
		else
			m->kind = flags & FWT_COSE_UNTAGGED_SIGN1 ? FWT_COSE_SIGN1 : FWT_COSE_SIGN;
	} else {
		err = fwt__error(ctx, FWT_EFORMAT, "not a tagged COSE message (COSE_Sign1 is tag 18, COSE_Sign tag 98)");
		goto fail;
	}
	if (!cbor_isa_array(arr) || fwt__cbor_len(arr) != 4) {
		err = fwt__error(ctx, FWT_EFORMAT, "a %s must be an array of 4 items",
		                 m->kind == FWT_COSE_SIGN1 ? "COSE_Sign1" : "COSE_Sign");
		goto fail;
	}
	err = parse_hdr(ctx, fwt__cbor_at(arr, 0), fwt__cbor_at(arr, 1), opts,
	                m->kind == FWT_COSE_SIGN1 ? "COSE_Sign1" : "COSE_Sign", &m->body);
	if (err)
		goto fail;
	if (fwt__cbor_is_null(fwt__cbor_at(arr, 2))) {
		m->detached = 1;
	} else if (!fwt__cbor_bytes(fwt__cbor_at(arr, 2), &m->payload, &m->payload_len)) {
		err = fwt__error(ctx, FWT_EFORMAT, "the payload is neither a byte string nor nil");
		goto fail;
	}
	if (m->kind == FWT_COSE_SIGN1) {
		m->signers = calloc(1, sizeof(*m->signers));
		if (!m->signers) {
			err = fwt__enomem(ctx);
			goto fail;
		}
		m->n = 1;
		if (!fwt__cbor_bytes(fwt__cbor_at(arr, 3), &m->signers[0].sig, &m->signers[0].siglen)) {
			err = fwt__error(ctx, FWT_EFORMAT, "the COSE_Sign1 signature is not a byte string");
			goto fail;
		}
		signer_params(&m->signers[0], &m->body);
	} else {
		sigs = fwt__cbor_at(arr, 3);
		if (!cbor_isa_array(sigs) || fwt__cbor_len(sigs) == 0) {
			err = fwt__error(ctx, FWT_EFORMAT, "the COSE_Sign signatures are not a non-empty array");
			goto fail;
		}
		/* each signer may be tried with every trusted key: bounded */
		if (fwt__cbor_len(sigs) > FWT_COSE_MAX_SIGNERS) {
			err = fwt__error(ctx, FWT_EFORMAT, "the COSE_Sign has %zu signers; at most %d are read",
			                 fwt__cbor_len(sigs), FWT_COSE_MAX_SIGNERS);
			goto fail;
		}
		m->signers = calloc(fwt__cbor_len(sigs), sizeof(*m->signers));
		if (!m->signers) {
			err = fwt__enomem(ctx);
			goto fail;
		}
		for (i = 0; i < fwt__cbor_len(sigs); i++) {
			cbor_item_t *s = fwt__cbor_at(sigs, i);
			char who[48];
			m->n = i + 1;
			snprintf(who, sizeof(who), "COSE_Signature %zu", i + 1);
			if (!cbor_isa_array(s) || fwt__cbor_len(s) != 3) {
				err = fwt__error(ctx, FWT_EFORMAT, "%s is not an array of 3 items", who);
				goto fail;
			}
			err = parse_hdr(ctx, fwt__cbor_at(s, 0), fwt__cbor_at(s, 1), opts, who, &m->signers[i].h);
			if (err)
				goto fail;
			if (!fwt__cbor_bytes(fwt__cbor_at(s, 2), &m->signers[i].sig, &m->signers[i].siglen)) {
				err = fwt__error(ctx, FWT_EFORMAT, "%s: the signature is not a byte string", who);
				goto fail;
			}
			signer_params(&m->signers[i], &m->signers[i].h);
		}
	}
	*out = m;
	return FWT_OK;
fail:
	fwt_cose_free(m);
	return err;
}

/* ---- accessors ---- */

fwt_cose_kind fwt_cose_get_kind(const fwt_cose *m) { return m->kind; }
int fwt_cose_is_tagged(const fwt_cose *m) { return m->tagged; }
size_t fwt_cose_signer_count(const fwt_cose *m) { return m->n; }

const unsigned char *fwt_cose_payload(const fwt_cose *m, size_t *len)
{
	if (len)
		*len = m->detached ? 0 : m->payload_len;
	return m->detached ? NULL : m->payload;
}

int fwt_cose_alg_id(const fwt_cose *m, size_t signer, int64_t *id)
{
	if (signer >= m->n)
		return 0;
	if (m->signers[signer].alg_state == 1 && id)
		*id = m->signers[signer].alg_id;
	return m->signers[signer].alg_state;
}

const unsigned char *fwt_cose_kid(const fwt_cose *m, size_t signer, size_t *len)
{
	if (signer >= m->n || !m->signers[signer].kid)
		return NULL;
	if (len)
		*len = m->signers[signer].kidlen;
	return m->signers[signer].kid;
}

static int content_type_of(const cbor_item_t *v, const char **text, size_t *tlen, uint64_t *num)
{
	if (v && fwt__cbor_text(v, text, tlen))
		return 1;
	if (v && fwt__cbor_uint(v, num))
		return 2;
	return 0;
}

int fwt_cose_content_type(const fwt_cose *m, const char **text, size_t *tlen, uint64_t *num)
{
	const cbor_item_t *v = fwt__cbor_get(m->body.pmap, FWT_COSE_CONTENT_TYPE);

	if (!v)
		v = fwt__cbor_get(m->body.umap, FWT_COSE_CONTENT_TYPE);
	return content_type_of(v, text, tlen, num);
}

int fwt_cose_protected_content_type(const fwt_cose *m, const char **text, size_t *tlen, uint64_t *num)
{
	return content_type_of(fwt__cbor_get(m->body.pmap, FWT_COSE_CONTENT_TYPE), text, tlen, num);
}

fwt_err fwt_cose_protected_bstr(const fwt_cose *m, int64_t label, const unsigned char **val, size_t *len)
{
	const cbor_item_t *v = fwt__cbor_get(m->body.pmap, label);

	/* a lookup, used to probe: it sets no message, which would hide the
	 * one a caller is about to report */
	if (!v)
		return FWT_ENOTFOUND;
	return fwt__cbor_bytes(v, val, len) ? FWT_OK : FWT_EFORMAT;
}

cbor_item_t *fwt__cose_protected_map(const fwt_cose *m)
{
	return m->body.pmap;
}

cbor_item_t *fwt__cose_header_map(const fwt_cose *m, size_t which, int prot)
{
	const struct hdr *h;

	if (!m || (which && (m->kind != FWT_COSE_SIGN || which > m->n)))
		return NULL;
	h = which ? &m->signers[which - 1].h : &m->body;
	return prot ? h->pmap : h->umap;
}

/* A header map as JSON, named from its CBOR labels: integer labels 1-4 as
 * "alg", "crit", "content_type", "kid", other integers in decimal, and
 * any other label (a text "alg" among them, which COSE does not read as
 * the algorithm) in diagnostic notation, quotes included, so that it never
 * takes an integer label's name; "alg_name" only for an integer label 1. */
static json_t *hdr_json(const cbor_item_t *map)
{
	static const char *const names[] = { "alg", "crit", "content_type", "kid" };
	json_t *j = json_object(), *v;
	size_t i, n;

	if (!j || !map)
		return j;
	n = cbor_map_size(map);
	for (i = 0; i < n; i++) {
		const cbor_item_t *key = cbor_map_handle(map)[i].key, *val = cbor_map_handle(map)[i].value;
		char num[24], *diag = NULL;
		const char *name;
		int64_t label, id;
		int is_int = fwt__cbor_int(key, &label);
		fwt_sig_alg a;

		if (is_int && label >= 1 && label <= 4) {
			name = names[label - 1];
		} else if (is_int) {
			snprintf(num, sizeof(num), "%" PRId64, label);
			name = num;
		} else if (fwt__cbor_item_diag(NULL, key, 0, &diag) == FWT_OK) {
			name = diag;
		} else {
			json_decref(j);
			return NULL;
		}
		v = fwt__cbor_item_json(val);
		if (!v || json_object_set_new(j, name, v)) {
			free(diag);
			json_decref(j);
			return NULL;
		}
		free(diag);
		if (is_int && label == 1 && fwt__cbor_int(val, &id) && fwt_sig_alg_from_cose_id(id, &a) == FWT_OK)
			json_object_set_new(j, "alg_name", json_string(fwt_sig_alg_name(a)));
	}
	return j;
}

json_t *fwt_cose_to_json(const fwt_cose *m)
{
	json_t *j = json_object(), *arr;
	size_t i;

	if (!j)
		return NULL;
	json_object_set_new(j, "type", json_string(m->kind == FWT_COSE_SIGN1 ? "COSE_Sign1" : "COSE_Sign"));
	json_object_set_new(j, "tagged", json_boolean(m->tagged));
	json_object_set_new(j, "protected", hdr_json(m->body.pmap));
	json_object_set_new(j, "unprotected", hdr_json(m->body.umap));
	if (m->detached)
		json_object_set_new(j, "detached", json_true());
	else
		json_object_set_new(j, "payload_size", json_integer((json_int_t)m->payload_len));
	if (m->kind == FWT_COSE_SIGN1) {
		json_object_set_new(j, "signature_size", json_integer((json_int_t)m->signers[0].siglen));
		return j;
	}
	arr = json_array();
	for (i = 0; arr && i < m->n; i++)
		json_array_append_new(arr, json_pack("{s:o, s:o, s:I}", "protected", hdr_json(m->signers[i].h.pmap),
		                                     "unprotected", hdr_json(m->signers[i].h.umap), "signature_size",
		                                     (json_int_t)m->signers[i].siglen));
	json_object_set_new(j, "signers", arr);
	return j;
}

/* ---- Sig_structure ---- */

static int is_empty_map(const struct hdr *h)
{
	return h->plen == 1 && h->praw[0] == 0xa0;
}

/* The Sig_structure of signer i; with prefix_only, everything before the
 * payload's bytes for a detached payload of content_len bytes (the signed
 * bytes are then prefix || content). */
static fwt_err tbs_core(fwt_ctx *ctx, const fwt_cose *m, size_t i, const fwt_cose_options *o, int zero_a0,
                        int prefix_only, uint64_t content_len, struct fwt__enc *e)
{
	const unsigned char *payload = m->payload;
	size_t plen = m->payload_len;
	const struct hdr *b = &m->body;

	if (prefix_only) {
		if (!m->detached)
			return fwt__error(ctx, FWT_EFORMAT, "the message carries its payload: it is not detached");
	} else if (m->detached) {
		if (!o || !o->payload)
			return fwt__error(ctx, FWT_EFORMAT, "the payload is detached (nil) and none was given");
		payload = o->payload;
		plen = o->payload_len;
	} else if (o && o->payload) {
		return fwt__error(ctx, FWT_EINVAL, "a detached payload was given but the message carries its own");
	}
	e->len = 0;
	fwt__enc_head(e, 4, m->kind == FWT_COSE_SIGN1 ? 4 : 5);
	if (m->kind == FWT_COSE_SIGN1)
		fwt__enc_text(e, "Signature1", 10);
	else
		fwt__enc_text(e, "Signature", 9);
	fwt__enc_bytes(e, b->praw, zero_a0 && is_empty_map(b) ? 0 : b->plen);
	if (m->kind == FWT_COSE_SIGN) {
		const struct hdr *s = &m->signers[i].h;
		fwt__enc_bytes(e, s->praw, zero_a0 && is_empty_map(s) ? 0 : s->plen);
	}
	fwt__enc_bytes(e, o ? o->external_aad : NULL, o && o->external_aad ? o->external_aad_len : 0);
	if (prefix_only)
		fwt__enc_head(e, 2, content_len);
	else
		fwt__enc_bytes(e, payload, plen);
	return e->oom ? fwt__enomem(ctx) : FWT_OK;
}

static fwt_err tbs_build(fwt_ctx *ctx, const fwt_cose *m, size_t i, const fwt_cose_options *o, int zero_a0,
                         struct fwt__enc *e)
{
	return tbs_core(ctx, m, i, o, zero_a0, 0, 0, e);
}

fwt_err fwt_cose_detached_prefix(fwt_ctx *ctx, const fwt_cose *m, size_t signer, const fwt_cose_options *opts,
                                 uint64_t content_len, unsigned char **out, size_t *len)
{
	struct fwt__enc e = { NULL, 0, 0, 0 };
	fwt_err err;

	if (!m || signer >= m->n || !out || !len)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	if (opts && opts->version > FWT_COSE_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "COSE", opts->version, FWT_COSE_OPTIONS_VERSION);
	err = tbs_core(ctx, m, signer, opts, 0, 1, content_len, &e);
	if (err) {
		fwt__enc_free(&e);
		return err;
	}
	*out = e.p;
	*len = e.len;
	return FWT_OK;
}

fwt_err fwt_cose_sig_structure(fwt_ctx *ctx, const fwt_cose *m, size_t signer, const fwt_cose_options *opts,
                               unsigned char **out, size_t *len)
{
	struct fwt__enc e = { NULL, 0, 0, 0 };
	fwt_err err;

	if (!m || signer >= m->n || !out || !len)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	if (opts && opts->version > FWT_COSE_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "COSE", opts->version, FWT_COSE_OPTIONS_VERSION);
	err = tbs_build(ctx, m, signer, opts, 0, &e);
	if (err) {
		fwt__enc_free(&e);
		return err;
	}
	*out = e.p;
	*len = e.len;
	return FWT_OK;
}

/* ---- verification ---- */

/* The algorithm signer s uses with key k: FWT_OK and *alg, or an error
 * (silent when ctx is NULL). */
static fwt_err signer_alg(fwt_ctx *ctx, const struct signer *s, const fwt_pubkey *k, const fwt_cose_options *o,
                          fwt_sig_alg *alg, int *inferred)
{
	char q[160];

	*inferred = 0;
	if (s->alg_state == -1) {
		fwt__quote(q, sizeof(q), s->alg_text, s->alg_tlen > 32 ? 32 : s->alg_tlen);
		return fwt__error(ctx, FWT_EUNSUPPORTED, "COSE algorithm %s is not supported", q);
	}
	if (s->alg_state == 1) {
		if (fwt_sig_alg_from_cose_id(s->alg_id, alg) != FWT_OK)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "COSE algorithm %" PRId64 " is not supported", s->alg_id);
	} else {
		if (o && (o->flags & FWT_COSE_STRICT))
			return fwt__error(ctx, FWT_EVERIFY, "no alg in the protected header (required in strict mode)");
		/* a JWK's own alg, else the one OCP binds to the key */
		*alg = fwt__pubkey_jwk_alg(k) != FWT_SIG_NONE ? fwt__pubkey_jwk_alg(k) : fwt_pubkey_default_alg(k);
		if (*alg == FWT_SIG_NONE)
			return fwt__error(ctx, FWT_EVERIFY, "no alg in the protected header, and none follows from key "
			                  "'%s' (%s)", fwt_pubkey_name(k), fwt_pubkey_describe(k));
		*inferred = 1;
	}
	if (o && o->algs && !(o->algs & (1u << *alg)))
		return fwt__error(ctx, FWT_EVERIFY, "algorithm %s is not allowed here", fwt_sig_alg_name(*alg));
	return FWT_OK;
}

static int any_curve(const fwt_cose_options *o, fwt_sig_alg alg, const fwt_pubkey *k)
{
	fwt_key_type t = fwt_pubkey_type(k);

	return o && (o->flags & FWT_COSE_ECDSA_ANY_CURVE) && fwt_sig_alg_is_ecdsa(alg) &&
	       (t == FWT_KEY_EC_P256 || t == FWT_KEY_EC_P384 || t == FWT_KEY_EC_P521);
}

/* The algorithm is bound to the key: an EC key's curve, and an RSA key's
 * size as fwtrail signs, PS384 for RSA-3072 and PS512 for RSA-4096 (PS256,
 * or PS384 by RSA-2048, verifies with OpenSSL but is no signature fwtrail
 * or the OCP profiles make), unless the caller allows any curve or size. */
static int key_fits(const fwt_cose_options *o, fwt_sig_alg alg, const fwt_pubkey *k)
{
	if (any_curve(o, alg, k))
		return 1;
	if (fwt_pubkey_check_alg(NULL, k, alg) != FWT_OK)
		return 0;
	return fwt_pubkey_type(k) != FWT_KEY_RSA || (o && (o->flags & FWT_COSE_RSA_ANY_SIZE)) ||
	       fwt_pubkey_default_alg(k) == alg;
}

static fwt_err verify_signer(fwt_ctx *ctx, const fwt_cose *m, size_t i, const fwt_pubkey *k,
                             const fwt_cose_options *o, fwt_cose_result *r, size_t *computed)
{
	struct fwt__enc e = { NULL, 0, 0, 0 };
	const struct signer *s = &m->signers[i];
	fwt_sig_alg alg = FWT_SIG_NONE;
	int inferred, zero;
	fwt_err err;

	err = signer_alg(ctx, s, k, o, &alg, &inferred);
	if (err)
		return err;
	if (!key_fits(o, alg, k))
		return fwt__error(ctx, FWT_EVERIFY, "algorithm %s does not fit key '%s' (%s)", fwt_sig_alg_name(alg),
		                  fwt_pubkey_name(k), fwt_pubkey_describe(k));
	for (zero = 0; zero < 2; zero++) {
		/* RFC 9052 4.4: no protected attributes is a zero-length bstr in
		 * the Sig_structure; senders disagree on h'a0', so both are tried */
		if (zero && !is_empty_map(&m->body) && !is_empty_map(signer_hdr(m, i)))
			break;
		err = tbs_build(ctx, m, i, o, zero, &e);
		if (err)
			break;
		if (any_curve(o, alg, k))
			err = fwt_sig_verify_ecdsa(ctx, k, alg, FWT_SIG_RAW, e.p, e.len, s->sig, s->siglen);
		else
			err = fwt_sig_verify(ctx, k, alg, FWT_SIG_RAW, e.p, e.len, s->sig, s->siglen);
		if (err == FWT_OK || err == FWT_EVERIFY)
			(*computed)++;
		if (err != FWT_EVERIFY)
			break;
	}
	fwt__enc_free(&e);
	if (err == FWT_OK && r) {
		r->signer = i;
		r->alg = alg;
		r->alg_inferred = inferred;
		r->empty_protected_as_zero_length = zero;
		r->key = k;
	}
	return err;
}

fwt_err fwt_cose_verify_digest(fwt_ctx *ctx, const fwt_cose *m, const fwt_pubkey *key, const fwt_cose_options *opts,
                               const unsigned char *digest, size_t dlen, fwt_cose_result *res)
{
	const struct signer *s;
	fwt_sig_alg alg = FWT_SIG_NONE;
	int inferred;
	fwt_err err;

	if (!m || !key || !digest)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	if (opts && opts->version > FWT_COSE_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "COSE", opts->version, FWT_COSE_OPTIONS_VERSION);
	if (m->kind != FWT_COSE_SIGN1 || !m->detached)
		return fwt__error(ctx, FWT_EFORMAT, "only a detached COSE_Sign1 is verified over a digest");
	if (opts && (opts->flags & FWT_COSE_ECDSA_ANY_CURVE))
		return fwt__error(ctx, FWT_EINVAL, "a digest cannot be verified with ECDSA on any curve");
	if (opts && (opts->flags & FWT_COSE_RSA_ANY_SIZE))
		return fwt__error(ctx, FWT_EINVAL, "a digest cannot be verified with RSA-PSS of any size");
	s = &m->signers[0];
	err = signer_alg(ctx, s, key, opts, &alg, &inferred);
	if (err)
		return err;
	if (!key_fits(opts, alg, key))
		return fwt__error(ctx, FWT_EVERIFY, "algorithm %s does not fit key '%s' (%s)", fwt_sig_alg_name(alg),
		                  fwt_pubkey_name(key), fwt_pubkey_describe(key));
	if (dlen != fwt_digest_size(fwt_sig_alg_digest(alg)))
		return fwt__error(ctx, FWT_EINVAL, "the digest does not fit %s", fwt_sig_alg_name(alg));
	err = fwt_sig_verify_digest(ctx, key, alg, FWT_SIG_RAW, digest, dlen, s->sig, s->siglen);
	if (err == FWT_OK && res) {
		memset(res, 0, sizeof(*res));
		res->alg = alg;
		res->alg_inferred = inferred;
		res->key = key;
		res->verified = 1;
	}
	if (res && (err == FWT_OK || err == FWT_EVERIFY))
		res->computed = 1;
	return err;
}

struct keysrc {
	const fwt_pubkey *one;
	const fwt_trust *trust;
};

/* Candidate keys for a signer: the mapped key for its kid; with no kids.json,
 * every key.  Once a kids.json binds kids to keys, a signer whose kid is
 * absent or unmapped has no candidate: falling back to every key would let
 * a key sign under a name the operator never gave it. */
static size_t candidates(const fwt_cose *m, size_t i, const struct keysrc *src, const fwt_pubkey **mapped)
{
	const struct signer *s = &m->signers[i];

	*mapped = NULL;
	if (src->one)
		return 1;
	if (!fwt_trust_has_kids(src->trust))
		return fwt_trust_count(src->trust);
	if (s->kid)
		*mapped = fwt_trust_find_kid(src->trust, (const char *)s->kid, s->kidlen);
	return *mapped ? 1 : 0;
}

static fwt_err verify_keys(fwt_ctx *ctx, const fwt_cose *m, const struct keysrc *src, const fwt_cose_options *o,
                           fwt_cose_result *res, size_t *computed);

/* verify_keys, and in res->computed (also on failure) how many signatures
 * were computed: a "no" with none is a signature never checked */
static fwt_err verify_any(fwt_ctx *ctx, const fwt_cose *m, const struct keysrc *src, const fwt_cose_options *o,
                          fwt_cose_result *res)
{
	fwt_err err;
	size_t computed = 0;

	err = verify_keys(ctx, m, src, o, res, &computed);
	if (res)
		res->computed = computed;
	return err;
}

static fwt_err verify_keys(fwt_ctx *ctx, const fwt_cose *m, const struct keysrc *src, const fwt_cose_options *o,
                           fwt_cose_result *res, size_t *computed)
{
	fwt_cose_result r, first;
	fwt_err err, hard = FWT_OK;
	size_t i, j, n, tried_total = 0, verified = 0;
	const char *what = m->kind == FWT_COSE_SIGN1 ? "COSE_Sign1" : "COSE_Sign";
	char msg[512], distrust[512];

	msg[0] = distrust[0] = '\0';
	if (o && o->version > FWT_COSE_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "COSE", o->version, FWT_COSE_OPTIONS_VERSION);
	memset(&first, 0, sizeof(first));
	for (i = 0; i < m->n; i++) {
		const fwt_pubkey *mapped;
		int ok = 0;
		n = candidates(m, i, src, &mapped);
		for (j = 0; j < n && !ok; j++) {
			const fwt_pubkey *k = src->one ? src->one : mapped ? mapped : fwt_trust_key(src->trust, j);
			fwt_sig_alg alg;
			int inf;
			if (!src->one && !mapped) { /* skip keys that cannot be meant */
				if (signer_alg(NULL, &m->signers[i], k, o, &alg, &inf) == FWT_OK &&
				    (!key_fits(o, alg, k) || fwt__pubkey_alg_allowed(NULL, k, alg) != FWT_OK))
					continue;
				if (m->signers[i].alg_state == 0 && fwt_pubkey_default_alg(k) == FWT_SIG_NONE &&
				    fwt__pubkey_jwk_alg(k) == FWT_SIG_NONE)
					continue;
			}
			tried_total++;
			memset(&r, 0, sizeof(r));
			err = verify_signer(ctx, m, i, k, o, &r, computed);
			/* a trusted key that verifies may be revoked or out of date */
			if (err == FWT_OK && src->trust &&
			    fwt_trust_check_key_alg(ctx, src->trust, k, r.alg, o ? o->at : 0, &r.key) != FWT_OK) {
				snprintf(distrust, sizeof(distrust), "%s", fwt_ctx_errmsg(ctx));
				break;
			}
			if (err == FWT_OK) {
				ok = 1;
				if (!verified++)
					first = r;
			} else if (err == FWT_EVERIFY) {
				snprintf(msg, sizeof(msg), "%s", fwt_ctx_errmsg(ctx));
			} else if (!hard) {
				hard = err;
				snprintf(msg, sizeof(msg), "%s", fwt_ctx_errmsg(ctx));
			}
		}
		if (!ok && o && (o->flags & FWT_COSE_ALL_SIGNERS))
			break;
		if (ok && !(o && (o->flags & FWT_COSE_ALL_SIGNERS)))
			break; /* one is enough: the others are not tried against every key */
	}
	if (verified && (!(o && (o->flags & FWT_COSE_ALL_SIGNERS)) || verified == m->n)) {
		fwt_ctx_clear_error(ctx);
		first.verified = verified;
		if (res)
			*res = first;
		return FWT_OK;
	}
	if (hard)
		return fwt__error(ctx, hard, "%s", msg);
	if (distrust[0])
		return fwt__error(ctx, FWT_EVERIFY, "%s", distrust);
	if (!tried_total && src->trust && fwt_trust_count(src->trust) == 1) {
		const fwt_pubkey *k = fwt_trust_key(src->trust, 0);
		fwt_sig_alg alg;
		int inf;
		if (m->n == 1 && signer_alg(NULL, &m->signers[0], k, o, &alg, &inf) == FWT_OK)
			return fwt__error(ctx, FWT_EVERIFY, "algorithm %s does not fit key '%s' (%s)",
			                  fwt_sig_alg_name(alg), fwt_pubkey_name(k), fwt_pubkey_describe(k));
	}
	if (!tried_total && src->trust && fwt_trust_has_kids(src->trust)) {
		char q[200];
		const struct signer *s = &m->signers[0];
		if (m->n > 1)
			return fwt__error(ctx, FWT_EVERIFY, "no %s signer's kid is mapped in the trust store's kids.json",
			                  what);
		if (!s->kid)
			return fwt__error(ctx, FWT_EVERIFY, "the %s signer has no kid, and the trust store's kids.json "
			                  "binds keys to kids", what);
		fwt__quote(q, sizeof(q), (const char *)s->kid, s->kidlen);
		return fwt__error(ctx, FWT_EVERIFY, "kid '%s' is not mapped in the trust store's kids.json", q);
	}
	if (!tried_total)
		return fwt__error(ctx, FWT_EVERIFY, "no trusted key fits the %s signature%s", what,
		                  m->n > 1 ? "s" : "");
	if (verified)
		return fwt__error(ctx, FWT_EVERIFY, "%zu of %zu COSE_Sign signers verify; all must", verified, m->n);
	if (tried_total == 1)
		return fwt__error(ctx, FWT_EVERIFY, "%s", msg);
	return fwt__error(ctx, FWT_EVERIFY, "%s signature does not verify with any of %zu trusted keys", what,
	                  tried_total);
}

fwt_err fwt_cose_verify(fwt_ctx *ctx, const fwt_cose *m, const fwt_pubkey *key, const fwt_cose_options *opts,
                        fwt_cose_result *res)
{
	struct keysrc src = { key, NULL };

	if (!m || !key)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	return verify_any(ctx, m, &src, opts, res);
}

fwt_err fwt_cose_verify_trust(fwt_ctx *ctx, const fwt_cose *m, const fwt_trust *trust,
                              const fwt_cose_options *opts, fwt_cose_result *res)
{
	struct keysrc src = { NULL, trust };

	if (!m || !trust)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	if (!fwt_trust_count(trust))
		return fwt__error(ctx, FWT_EINVAL, "no trusted keys");
	return verify_any(ctx, m, &src, opts, res);
}

/* ---- creation ---- */

/* The protected header key and opts give, deterministically encoded. */
static fwt_err sign1_protected(fwt_ctx *ctx, fwt_key *key, const fwt_cose_sign1_options *opts, unsigned char **out,
                               size_t *outlen)
{
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	unsigned char *prot = NULL;
	size_t plen = 0, i, j;
	fwt_sig_alg alg;
	cbor_item_t *pm = NULL;
	fwt_err err = FWT_OK;
	int ok;

	/* every signing entry point passes through here first */
	if (opts && opts->version > FWT_COSE_SIGN1_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "COSE signing", opts->version, FWT_COSE_SIGN1_OPTIONS_VERSION);
	alg = fwt_key_alg(key);
	if (alg == FWT_SIG_NONE)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "key '%s' (%s) has no COSE signature algorithm",
		                  fwt_key_name(key), fwt_pubkey_describe(fwt_key_pubkey(key)));
	pm = fwt__cb_map();
	ok = fwt__cb_puti(pm, FWT_COSE_ALG, fwt__cb_int(fwt_sig_alg_cose_id(alg)));
	if (opts && opts->content_type)
		ok = ok && fwt__cb_puti(pm, FWT_COSE_CONTENT_TYPE, fwt__cb_text(opts->content_type, (size_t)-1));
	if (opts && opts->kid)
		ok = ok && fwt__cb_puti(pm, FWT_COSE_KID, fwt__cb_bytes(opts->kid, opts->kid_len));
	co.flags = FWT_CBOR_DETERMINISTIC;
	co.max_depth = COSE_DEPTH;
	for (i = 0; ok && opts && i < opts->n_params; i++) {
		const fwt_cose_param *p = &opts->params[i];
		cbor_item_t *v = NULL;
		if (p->label >= FWT_COSE_ALG && p->label <= FWT_COSE_KID) {
			err = fwt__error(ctx, FWT_EINVAL, "protected parameter %" PRId64 " is set by fwtrail", p->label);
			goto out;
		}
		for (j = 0; j < i; j++)
			if (opts->params[j].label == p->label) {
				err = fwt__error(ctx, FWT_EINVAL, "protected parameter %" PRId64 " given twice", p->label);
				goto out;
			}
		err = fwt__cbor_decode(ctx, p->value, p->len, &co, "a protected parameter", &v, NULL);
		if (err)
			goto out;
		ok = fwt__cb_puti(pm, p->label, v);
	}
	if (!ok) {
		err = fwt__enomem(ctx);
		goto out;
	}
	err = fwt__cbor_encode_alloc(ctx, pm, &prot, &plen);
	if (err)
		goto out;
	*out = prot;
	*outlen = plen;
out:
	fwt__cb_free(pm);
	return err;
}

/* The message: tag 18 (unless untagged), [protected, {}, payload or nil, sig]. */
static fwt_err sign1_assemble(fwt_ctx *ctx, const fwt_cose_sign1_options *opts, const unsigned char *prot,
                              size_t plen, const void *payload, size_t len, const unsigned char *sig, size_t siglen,
                              unsigned char **out, size_t *outlen)
{
	struct fwt__enc msg = { NULL, 0, 0, 0 };

	if (!(opts && opts->untagged))
		fwt__enc_head(&msg, 6, FWT_COSE_SIGN1);
	fwt__enc_head(&msg, 4, 4);
	fwt__enc_bytes(&msg, prot, plen);
	fwt__enc_head(&msg, 5, 0);
	if (opts && opts->detached)
		fwt__enc_head(&msg, 7, 22);
	else
		fwt__enc_bytes(&msg, payload, len);
	fwt__enc_bytes(&msg, sig, siglen);
	if (msg.oom) {
		fwt__enc_free(&msg);
		return fwt__enomem(ctx);
	}
	*out = msg.p;
	*outlen = msg.len;
	return FWT_OK;
}

fwt_err fwt_cose_sign1_detached_prefix(fwt_ctx *ctx, fwt_key *key, const fwt_cose_sign1_options *opts,
                                       uint64_t content_len, unsigned char **out, size_t *outlen)
{
	struct fwt__enc tbs = { NULL, 0, 0, 0 };
	unsigned char *prot = NULL;
	size_t plen = 0;
	fwt_err err;

	if (!key || !out || !outlen)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	err = sign1_protected(ctx, key, opts, &prot, &plen);
	if (err)
		return err;
	fwt__enc_head(&tbs, 4, 4);
	fwt__enc_text(&tbs, "Signature1", 10);
	fwt__enc_bytes(&tbs, prot, plen);
	fwt__enc_bytes(&tbs, opts ? opts->external_aad : NULL, opts && opts->external_aad ? opts->external_aad_len : 0);
	fwt__enc_head(&tbs, 2, content_len);
	free(prot);
	if (tbs.oom) {
		fwt__enc_free(&tbs);
		return fwt__enomem(ctx);
	}
	*out = tbs.p;
	*outlen = tbs.len;
	return FWT_OK;
}

fwt_err fwt_cose_sign1_detached_finish(fwt_ctx *ctx, fwt_key *key, const fwt_cose_sign1_options *opts,
                                       const unsigned char *digest, size_t dlen, unsigned char **out, size_t *outlen)
{
	fwt_cose_sign1_options o = FWT_COSE_SIGN1_OPTIONS_INIT;
	unsigned char sig[FWT_SIG_MAX], *prot = NULL;
	size_t siglen = 0, plen = 0;
	fwt_err err;

	if (!key || !digest || !out || !outlen)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if (opts)
		o = *opts;
	o.detached = 1;
	err = sign1_protected(ctx, key, &o, &prot, &plen);
	if (!err)
		err = fwt_key_sign_digest(key, digest, dlen, sig, &siglen);
	if (!err)
		err = sign1_assemble(ctx, &o, prot, plen, NULL, 0, sig, siglen, out, outlen);
	free(prot);
	return err;
}

fwt_err fwt_cose_sign1_create(fwt_ctx *ctx, fwt_key *key, const void *payload, size_t len,
                              const fwt_cose_sign1_options *opts, unsigned char **out, size_t *outlen)
{
	struct fwt__enc tbs = { NULL, 0, 0, 0 };
	unsigned char sig[FWT_SIG_MAX], *prot = NULL;
	size_t siglen = 0, plen = 0;
	fwt_err err = FWT_OK;

	if (!key || !out || !outlen || (!payload && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	err = sign1_protected(ctx, key, opts, &prot, &plen);
	if (err)
		return err;
	fwt__enc_head(&tbs, 4, 4);
	fwt__enc_text(&tbs, "Signature1", 10);
	fwt__enc_bytes(&tbs, prot, plen);
	fwt__enc_bytes(&tbs, opts ? opts->external_aad : NULL, opts && opts->external_aad ? opts->external_aad_len : 0);
	fwt__enc_bytes(&tbs, payload, len);
	if (tbs.oom) {
		err = fwt__enomem(ctx);
		goto out;
	}
	err = fwt_key_sign(key, tbs.p, tbs.len, sig, &siglen);
	if (!err)
		err = sign1_assemble(ctx, opts, prot, plen, payload, len, sig, siglen, out, outlen);
out:
	free(prot);
	fwt__enc_free(&tbs);
	return err;
}
