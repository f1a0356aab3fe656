/* SPDX-License-Identifier: Apache-2.0 */
/* corim.c - CoRIM and CoMID (draft-ietf-rats-corim) on the strict CBOR
 * and COSE layers: a decoder that checks every field the CDDL defines and
 * keeps the others (shown as extensions), the deterministic encoder of the
 * reference-value CoRIMs fwtrail creates, signing with corim-meta, and
 * verification of signature and validity. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/cbor.h>
#include <fwtrail/corim.h>
#include <fwtrail/digest.h>
#include <fwtrail/hex.h>
#include "internal.h"
#include "cbor_internal.h"
#include "banned.h"

/* ---- an arena: the model lives and dies with its fwt_corim ---- */

struct ablock {
	struct ablock *next;
	size_t used, cap;
	unsigned char data[];
};

struct fwt_corim {
	fwt_ctx *ctx;
	struct ablock *arena;
	fwt_corim_kind kind;
	fwt_cose *cose;
	int has_meta;
	fwt_corim_meta meta;
	fwt_corim_id id, profile;
	fwt_corim_validity rim_validity;
	fwt_corim_validity cwt_validity; /* CWT exp and nbf beside corim-meta */
	fwt_corim_entity *entities;
	size_t n_entities;
	fwt_comid *comids;
	size_t n_comids;
	size_t n_other_tags;
	const char *other;
	json_t *json;
};

static void *aalloc(fwt_corim *c, size_t n)
{
	struct ablock *b = c->arena;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!n)
		n = 16;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 4096 ? n : 4096;
		b = calloc(1, sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->next = c->arena;
		c->arena = b;
	}
	p = b->data + b->used;
	b->used += n;
	return p;
}

static char *astrn(fwt_corim *c, const char *s, size_t n)
{
	char *p = aalloc(c, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void fwt_corim_free(fwt_corim *c)
{
	if (!c)
		return;
	while (c->arena) {
		struct ablock *n = c->arena->next;
		free(c->arena);
		c->arena = n;
	}
	fwt_cose_free(c->cose);
	json_decref(c->json);
	free(c);
}

/* ---- the decoder's state: the path of the field being read ---- */

struct dec {
	fwt_ctx *ctx;
	fwt_corim *c;
	unsigned cflags;  /* CBOR flags for embedded documents (CoMIDs, corim-meta) */
	int lenient;      /* FWT_CORIM_LENIENT_CBOR: older encodings read, to be shown */
	size_t items_left; /* of the one item budget of the whole file, embedded CBOR included */
	int oom;
	char path[400];
	size_t plen;
};

static fwt_err bad(struct dec *d, const char *fmt, ...) FWT_FMT(2, 3);
static fwt_err bad(struct dec *d, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return fwt__error(d->ctx, FWT_EFORMAT, "malformed CoRIM at %s: %s", d->plen ? d->path : "/", why);
}

/* Decode CBOR embedded in a byte string (a CoMID, the signed payload,
 * corim-meta).  Its items count against the budget of the whole file, so
 * that many byte strings of many items each cannot multiply the memory and
 * time a decoding takes; past it the file is malformed. */
static fwt_err dec_embedded(struct dec *d, const unsigned char *b, size_t n, const char *what, cbor_item_t **out)
{
	fwt_cbor_options co = FWT_CBOR_OPTIONS_INIT;
	fwt_cbor_info info;
	fwt_err err;

	*out = NULL;
	co.flags = d->cflags;
	co.max_depth = FWT_CORIM_DEPTH;
	/* checked without allocating first, against the default budget, so that
	 * a well-formed item over what is left is named as such */
	err = fwt_cbor_check(d->ctx, b, n, &co, &info);
	if (!err && info.items > d->items_left)
		return fwt__error(d->ctx, FWT_EFORMAT, "malformed CBOR in %s: more than %u data items in the "
		                  "whole file, embedded CBOR included", what, FWT_CBOR_ITEMS_DEFAULT);
	err = fwt__cbor_decode(d->ctx, b, n, &co, what, out, NULL);
	if (!err)
		d->items_left -= info.items;
	return err;
}

static size_t push(struct dec *d, const char *fmt, ...) FWT_FMT(2, 3);
static size_t push(struct dec *d, const char *fmt, ...)
{
	size_t old = d->plen;
	va_list ap;
	int n;

	if (d->plen + 2 < sizeof(d->path)) {
		d->path[d->plen++] = '/';
		va_start(ap, fmt);
		n = vsnprintf(d->path + d->plen, sizeof(d->path) - d->plen, fmt, ap);
		va_end(ap);
		if (n > 0)
			d->plen += (size_t)n < sizeof(d->path) - d->plen ? (size_t)n : sizeof(d->path) - d->plen - 1;
	}
	return old;
}

static void pop(struct dec *d, size_t old)
{
	d->plen = old;
	d->path[old] = '\0';
}

static void jset(struct dec *d, json_t *obj, const char *key, json_t *val)
{
	if (!obj || !val || json_object_set_new(obj, key, val))
		d->oom = 1;
}

static void jpush(struct dec *d, json_t *arr, json_t *val)
{
	if (!arr || !val || json_array_append_new(arr, val))
		d->oom = 1;
}

static json_t *jhex(const unsigned char *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	json_t *j;

	if (!s)
		return NULL;
	fwt_hex_encode(s, p, n);
	j = json_string(s);
	free(s);
	return j;
}

static char *ahex(fwt_corim *c, const unsigned char *p, size_t n)
{
	char *s = aalloc(c, 2 * n + 1);

	if (s)
		fwt_hex_encode(s, p, n);
	return s;
}

static json_t *jtime(int64_t t)
{
	char s[32];

	fwt_time_format_rfc3339(t, s);
	return json_string(s);
}

/* Diagnostic notation of a tree, in the arena. */
static const char *adiag(struct dec *d, const cbor_item_t *it)
{
	char *s = NULL;
	const char *r;

	if (fwt__cbor_item_diag(NULL, it, 0, &s) != FWT_OK) {
		d->oom = 1;
		return NULL;
	}
	r = astrn(d->c, s, strlen(s));
	free(s);
	if (!r)
		d->oom = 1;
	return r;
}

/* Entries of map whose keys are not among the integers known[], as a new
 * map (NULL when there are none). */
static cbor_item_t *unknown_entries(struct dec *d, const cbor_item_t *map, const int64_t *known, size_t nk)
{
	cbor_item_t *ext = NULL;
	size_t i, k;
	int64_t v;

	for (i = 0; i < fwt__cbor_len(map); i++) {
		cbor_item_t *key = fwt__cbor_key(map, i);
		int hit = 0;
		if (fwt__cbor_int(key, &v))
			for (k = 0; k < nk; k++)
				hit |= known[k] == v;
		if (hit)
			continue;
		if (!ext && !(ext = fwt__cb_map())) {
			d->oom = 1;
			return NULL;
		}
		if (!cbor_map_add(ext, (struct cbor_pair){ .key = key, .value = fwt__cbor_val(map, i) }))
			d->oom = 1;
	}
	return ext;
}

/* Record the extensions of map in json "extensions" and return their
 * diagnostic notation (NULL when none). */
static const char *extensions(struct dec *d, const cbor_item_t *map, const int64_t *known, size_t nk, json_t *j)
{
	cbor_item_t *ext = unknown_entries(d, map, known, nk);
	const char *s;

	if (!ext)
		return NULL;
	jset(d, j, "extensions", fwt__cbor_item_json(ext));
	s = adiag(d, ext);
	fwt__cb_free(ext);
	return s;
}

/* ---- scalar fields ---- */

static fwt_err need_map(struct dec *d, const cbor_item_t *it, int nonempty)
{
	if (!it || !cbor_isa_map(it))
		return bad(d, "not a map");
	if (nonempty && !fwt__cbor_len(it))
		return bad(d, "an empty map where the CDDL needs at least one entry");
	return FWT_OK;
}

static fwt_err need_array(struct dec *d, const cbor_item_t *it, int nonempty)
{
	if (!it || !cbor_isa_array(it))
		return bad(d, "not an array");
	if (nonempty && !fwt__cbor_len(it))
		return bad(d, "an empty array where the CDDL needs at least one item");
	return FWT_OK;
}

/* Text the model keeps becomes a C string: a NUL inside would cut it short
 * (a vendor "ACME Inc\0 - actually Evil Corp" read as "ACME Inc" by every
 * strcmp after it), so it is malformed here, at the path of the field (name
 * appended when not empty), with the offset of the NUL in the text. */
static fwt_err no_nul(struct dec *d, const char *p, size_t n, const char *name)
{
	const char *z = n ? memchr(p, '\0', n) : NULL;
	size_t old;
	fwt_err err;

	if (!z)
		return FWT_OK;
	old = *name ? push(d, "%s", name) : d->plen;
	err = bad(d, "text holds a NUL character at byte %zu", (size_t)(z - p));
	pop(d, old);
	return err;
}

static fwt_err get_text(struct dec *d, const cbor_item_t *it, const char *name, const char **out, json_t *j)
{
	const char *p;
	size_t n;
	size_t old = *name ? push(d, "%s", name) : d->plen;
	fwt_err err;

	if (!fwt__cbor_text(it, &p, &n)) {
		err = bad(d, "not text");
		pop(d, old);
		return err;
	}
	pop(d, old);
	if ((err = no_nul(d, p, n, name)) != FWT_OK)
		return err;
	*out = astrn(d->c, p, n);
	if (!*out)
		d->oom = 1;
	if (j)
		jset(d, j, name, json_stringn(p, n));
	return FWT_OK;
}

static fwt_err get_uint(struct dec *d, const cbor_item_t *it, const char *name, uint64_t *out, json_t *j)
{
	size_t old = push(d, "%s", name);

	if (!fwt__cbor_uint(it, out)) {
		fwt_err err = bad(d, "not an unsigned integer");
		pop(d, old);
		return err;
	}
	pop(d, old);
	if (j)
		jset(d, j, name, fwt__json_u64(*out));
	return FWT_OK;
}

/* A URI: tag 32 or plain text (reg-id, signer-uri, profile). */
static int uri_text(const cbor_item_t *it, const char **p, size_t *n)
{
	uint64_t tag;
	cbor_item_t *in;

	if (fwt__cbor_tag(it, &tag, &in) && tag == 32)
		return fwt__cbor_text(in, p, n);
	return fwt__cbor_text(it, p, n);
}

/* A number (int / float) as whole seconds: a CWT's exp and nbf (RFC 8392
 * NumericDate, untagged).  A fraction narrows the bound it is: a start
 * (not-before, nbf) rounds up, an end (not-after, exp) down, so that no
 * second before the instant signed counts as inside. */
static int get_number(const cbor_item_t *it, int start, int64_t *t)
{
	if (fwt__cbor_int(it, t))
		return 1;
	if (it && cbor_isa_float_ctrl(it) && cbor_float_get_width(it) != CBOR_FLOAT_0) {
		double v = cbor_float_get_float(it);
		if (!(v > -9.2e18 && v < 9.2e18))
			return 0;
		*t = (int64_t)v; /* toward zero */
		if (start && (double)*t < v)
			(*t)++;
		else if (!start && (double)*t > v)
			(*t)--;
		return 1;
	}
	return 0;
}

/* The CDDL's time: #6.1(number), seconds since the epoch tagged 1.  An
 * untagged number or a tag 0 text date is some other type, read only when
 * lenient (rim show), never for what is verified, signed or appraised. */
static int get_time(const struct dec *d, const cbor_item_t *it, int start, int64_t *t)
{
	uint64_t tag;
	cbor_item_t *in = NULL;
	const char *p;
	size_t n;

	if (!fwt__cbor_tag(it, &tag, &in))
		return d->lenient && get_number(it, start, t);
	if (tag == 0)
		return d->lenient && fwt__cbor_text(in, &p, &n) && fwt_time_parse_rfc3339(p, n, t) == FWT_OK;
	return tag == 1 && get_number(in, start, t);
}

static fwt_err dec_validity(struct dec *d, const cbor_item_t *it, fwt_corim_validity *v, json_t **jout)
{
	const cbor_item_t *nb, *na;
	json_t *j = json_object();
	fwt_err err;

	*jout = j;
	if ((err = need_map(d, it, 0)))
		return err;
	nb = fwt__cbor_get(it, 0);
	na = fwt__cbor_get(it, 1);
	if (nb) {
		if (!get_time(d, nb, 1, &v->not_before))
			return bad(d, "not-before is not a time (#6.1(number))");
		v->has_not_before = 1;
		jset(d, j, "not_before", jtime(v->not_before));
	}
	if (!na)
		return bad(d, "no not-after");
	if (!get_time(d, na, 0, &v->not_after))
		return bad(d, "not-after is not a time (#6.1(number))");
	v->has_not_after = 1;
	jset(d, j, "not_after", jtime(v->not_after));
	if (nb && v->not_before > v->not_after)
		return bad(d, "not-before is after not-after");
	return FWT_OK;
}

/* ---- typed identifiers ---- */

enum {
	ID_TEXT = 1u << 0, ID_UINT = 1u << 1, ID_UUID = 1u << 2, ID_OID = 1u << 3, ID_BYTES = 1u << 4,
	ID_UEID = 1u << 5, ID_OTHER = 1u << 6, ID_BARE_UUID = 1u << 7 /* uuid-type: a 16-byte bstr */
};

static const char *const id_names[] = { "none", "text", "uint", "uuid", "oid", "bytes", "ueid", "other" };

static void uuid_str(const unsigned char *u, char out[37])
{
	static const char hx[] = "0123456789abcdef";
	size_t i, k = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hx[u[i] >> 4];
		out[k++] = hx[u[i] & 15];
	}
	out[k] = '\0';
}

/* Why DER OID content octets (X.690 8.19) are no OID, or NULL when they
 * are one: at least one arc, each arc's base-128 digits minimal (no
 * leading 0x80 byte) and ended (the last byte of each without bit 8). */
static const char *oid_bad(const unsigned char *p, size_t n)
{
	size_t i;

	if (!n)
		return "it has no arc";
	for (i = 0; i < n; i++)
		if (p[i] == 0x80 && (i == 0 || !(p[i - 1] & 0x80)))
			return "an arc is not minimally encoded (it starts with a 0x80 byte)";
	if (p[n - 1] & 0x80)
		return "its last arc is cut short";
	return NULL;
}

/* Arcs longer than this many base-128 bytes (896 bits) are not written in
 * decimal: their conversion grows with the square of their length. */
#define OID_ARC_MAX 128

/* One arc of k base-128 bytes at p in decimal at w (cap bytes, room for
 * 3 * k digits and a NUL), less sub (40 or 80 for the first arc of a 1.x
 * or 2.x OID); returns the characters written.  Arcs of up to 63 bits
 * take a uint64_t, longer ones (2.25.<a UUID as an integer>, X.667)
 * base-10^9 limbs. */
static size_t oid_arc(char *w, size_t cap, const unsigned char *p, size_t k, unsigned sub)
{
	uint32_t limb[OID_ARC_MAX * 7 / 29 + 2];
	size_t nl = 1, i, j, o;
	uint64_t v = 0;

	if (k <= 9) {
		for (i = 0; i < k; i++)
			v = v << 7 | (p[i] & 0x7f);
		return (size_t)snprintf(w, cap, "%" PRIu64, v - sub);
	}
	limb[0] = 0;
	for (i = 0; i < k; i++) {
		uint64_t carry = p[i] & 0x7f;
		for (j = 0; j < nl; j++) {
			uint64_t t = (uint64_t)limb[j] * 128 + carry;
			limb[j] = (uint32_t)(t % 1000000000u);
			carry = t / 1000000000u;
		}
		if (carry)
			limb[nl++] = (uint32_t)carry;
	}
	/* at least 2^63 here: sub borrows from the higher limbs only when the
	 * lowest is below it */
	for (j = 0; sub && j < nl; j++) {
		if (limb[j] >= sub) {
			limb[j] -= sub;
			sub = 0;
		} else {
			limb[j] = (uint32_t)(limb[j] + 1000000000u - sub);
			sub = 1;
		}
	}
	while (nl > 1 && !limb[nl - 1])
		nl--;
	o = (size_t)snprintf(w, cap, "%" PRIu32, limb[nl - 1]);
	for (j = nl - 1; j-- > 0 && o < cap;)
		o += (size_t)snprintf(w + o, cap - o, "%09" PRIu32, limb[j]);
	return o;
}

/* Dotted form of DER OID content octets; NULL when they are not a valid
 * OID or hold an arc longer than OID_ARC_MAX bytes (then the caller shows
 * hex). */
static char *oid_str(fwt_corim *c, const unsigned char *p, size_t n)
{
	char *s;
	size_t i, start, o = 0, cap = 4 * n + 8;
	int first = 1;

	if (oid_bad(p, n))
		return NULL;
	/* an arc of k bytes is at most 3 * k digits, and a dot */
	s = aalloc(c, cap);
	if (!s)
		return NULL;
	for (start = i = 0; i < n; i++) {
		size_t k = i - start + 1;
		if (p[i] & 0x80)
			continue;
		if (k > OID_ARC_MAX)
			return NULL;
		if (first) {
			/* the first arc is 40 * x + y: x is 0 or 1 below 80 */
			uint64_t v = 0;
			size_t b;
			unsigned top = 2;
			if (k <= 9) {
				for (b = 0; b < k; b++)
					v = v << 7 | (p[b] & 0x7f);
				top = v < 40 ? 0 : v < 80 ? 1 : 2;
			}
			o += (size_t)snprintf(s + o, cap - o, "%u.", top);
			o += oid_arc(s + o, cap - o, p, k, 40 * top);
			first = 0;
		} else {
			s[o++] = '.';
			o += oid_arc(s + o, cap - o, p + start, k, 0);
		}
		start = i + 1;
	}
	s[o] = '\0';
	return s;
}

static fwt_err dec_id(struct dec *d, const cbor_item_t *it, unsigned allowed, fwt_corim_id *id, json_t **jout)
{
	const unsigned char *b;
	const char *t;
	size_t n;
	uint64_t tag, u;
	cbor_item_t *in;
	char buf[40];
	json_t *v = NULL;

	memset(id, 0, sizeof(*id));
	if ((allowed & ID_TEXT) && uri_text(it, &t, &n)) {
		fwt_err err = no_nul(d, t, n, "");
		if (err)
			return err;
		id->type = FWT_CORIM_ID_TEXT;
		id->text = astrn(d->c, t, n);
		v = json_stringn(t, n);
	} else if ((allowed & ID_UINT) && fwt__cbor_uint(it, &u)) {
		id->type = FWT_CORIM_ID_UINT;
		id->num = u;
		snprintf(buf, sizeof(buf), "%" PRIu64, u);
		id->text = astrn(d->c, buf, strlen(buf));
		v = fwt__json_u64(u);
	} else if ((allowed & ID_BARE_UUID) && fwt__cbor_bytes(it, &b, &n)) {
		if (n != 16)
			return bad(d, "a uuid must be 16 bytes, not %zu", n);
		id->type = FWT_CORIM_ID_UUID;
	} else if (fwt__cbor_tag(it, &tag, &in) && fwt__cbor_bytes(in, &b, &n) &&
	           ((tag == 37 && (allowed & ID_UUID)) || (tag == 111 && (allowed & ID_OID)) ||
	            (tag == 560 && (allowed & ID_BYTES)) || (tag == 550 && (allowed & ID_UEID)))) {
		if (tag == 37 && n != 16)
			return bad(d, "a tagged uuid must be 16 bytes, not %zu", n);
		if (tag == 550 && (n < 7 || n > 33))
			return bad(d, "a ueid must be 7 to 33 bytes, not %zu", n);
		/* what is verified, signed or appraised holds OIDs as RFC 9090
		 * says (or a whole DER OID, as OCP SFRs write); rim show
		 * shows any other bytes in hex */
		if (tag == 111 && !d->lenient && oid_bad(b, n) &&
		    !(n > 2 && b[0] == 0x06 && b[1] == n - 2 && !oid_bad(b + 2, n - 2)))
			return bad(d, "not an OID (tag 111 holds DER content octets): %s", oid_bad(b, n));
		id->type = tag == 37 ? FWT_CORIM_ID_UUID : tag == 111 ? FWT_CORIM_ID_OID
		           : tag == 560 ? FWT_CORIM_ID_BYTES : FWT_CORIM_ID_UEID;
	} else if ((allowed & ID_OTHER) && fwt__cbor_tag(it, &tag, &in)) {
		id->type = FWT_CORIM_ID_OTHER;
		id->text = adiag(d, it);
		v = fwt__cbor_item_json(it);
	} else {
		return bad(d, "not one of the types the CDDL allows here");
	}
	if (id->type == FWT_CORIM_ID_UUID || id->type == FWT_CORIM_ID_OID || id->type == FWT_CORIM_ID_BYTES ||
	    id->type == FWT_CORIM_ID_UEID) {
		id->bytes = aalloc(d->c, n);
		if (id->bytes)
			memcpy((unsigned char *)id->bytes, b, n);
		id->len = n;
		if (id->type == FWT_CORIM_ID_UUID) {
			uuid_str(b, buf);
			id->text = astrn(d->c, buf, 36);
		} else if (id->type == FWT_CORIM_ID_OID && n > 2 && b[0] == 0x06 && b[1] == n - 2 &&
		           (id->text = oid_str(d->c, b + 2, n - 2)) != NULL) {
			/* a whole DER OID where RFC 9090 puts only its content (seen in OCP SFRs) */
			char *w = aalloc(d->c, strlen(id->text) + 12);
			if (w)
				snprintf(w, strlen(id->text) + 12, "%s (DER)", id->text);
			id->text = w;
		} else if (id->type == FWT_CORIM_ID_OID && (id->text = oid_str(d->c, b, n)) != NULL) {
			/* dotted */
		} else {
			id->text = ahex(d->c, b, n);
		}
		v = json_string(id->text ? id->text : "");
	}
	if (!id->text)
		d->oom = 1;
	*jout = v ? json_pack("{s:s, s:o}", "type", id_names[id->type], "value", v) : NULL;
	if (!*jout)
		d->oom = 1;
	return FWT_OK;
}

/* ---- digests ---- */

static const struct hashinfo {
	int64_t id;
	const char *name;
	fwt_digest_alg alg;
	size_t len;
} hashes[] = {
	/* IANA Named Information Hash Algorithm Registry */
	{ 1, "sha-256", FWT_DIGEST_SHA256, 32 }, { 2, "sha-256-128", 0, 16 }, { 3, "sha-256-120", 0, 15 },
	{ 4, "sha-256-96", 0, 12 }, { 5, "sha-256-64", 0, 8 }, { 6, "sha-256-32", 0, 4 },
	{ 7, "sha-384", FWT_DIGEST_SHA384, 48 }, { 8, "sha-512", FWT_DIGEST_SHA512, 64 },
	{ 9, "sha3-224", 0, 28 }, { 10, "sha3-256", 0, 32 }, { 11, "sha3-384", 0, 48 }, { 12, "sha3-512", 0, 64 },
	/* COSE Algorithms (RFC 9054) */
	{ -14, "sha-1", 0, 20 }, { -15, "sha-256/64", 0, 8 }, { -16, "sha-256", FWT_DIGEST_SHA256, 32 },
	{ -17, "sha-512/256", 0, 32 }, { -18, "shake128", 0, 32 }, { -43, "sha-384", FWT_DIGEST_SHA384, 48 },
	{ -44, "sha-512", FWT_DIGEST_SHA512, 64 }, { -45, "shake256", 0, 64 },
};

/* A digest of a registered algorithm h (by id or by name): its length is
 * the algorithm's. */
static fwt_err registered(struct dec *d, const struct hashinfo *h, size_t vl, fwt_corim_digest *dg)
{
	if (vl != h->len)
		return bad(d, "a %s digest is %zu bytes, not %zu", h->name, vl, h->len);
	dg->alg_name = h->name;
	dg->alg = h->alg;
	return FWT_OK;
}

static fwt_err dec_digests(struct dec *d, const cbor_item_t *it, const fwt_corim_digest **out, size_t *nout,
                           json_t **jout)
{
	fwt_corim_digest *dg;
	json_t *arr = json_array();
	size_t i, k, n = fwt__cbor_len(it);
	fwt_err err;

	*jout = arr;
	if ((err = need_array(d, it, 1)))
		return err;
	dg = aalloc(d->c, n * sizeof(*dg));
	if (!dg)
		return fwt__enomem(d->ctx);
	for (i = 0; i < n; i++) {
		const cbor_item_t *e = fwt__cbor_at(it, i), *a = fwt__cbor_at(e, 0);
		const unsigned char *v;
		const char *t;
		size_t vl, tl, old = push(d, "%zu", i);
		char buf[32];
		json_t *j = json_object();
		if (!cbor_isa_array(e) || fwt__cbor_len(e) != 2 || !fwt__cbor_bytes(fwt__cbor_at(e, 1), &v, &vl)) {
			err = bad(d, "a digest is [alg, bytes]");
			pop(d, old);
			json_decref(j);
			return err;
		}
		/* by id, or by name (the Named Information registry's): a name
		 * is the algorithm its id is, with the same length rule and
		 * the same comparison ("sha-384" beside 7 is one algorithm) */
		k = FWT_ARRAY_LEN(hashes);
		if (fwt__cbor_int(a, &dg[i].alg_id)) {
			for (k = 0; k < FWT_ARRAY_LEN(hashes) && hashes[k].id != dg[i].alg_id; k++)
				;
			if (k == FWT_ARRAY_LEN(hashes)) {
				snprintf(buf, sizeof(buf), "alg(%" PRId64 ")", dg[i].alg_id);
				dg[i].alg_name = astrn(d->c, buf, strlen(buf));
			}
			jset(d, j, "alg_id", json_integer(dg[i].alg_id));
		} else if (fwt__cbor_text(a, &t, &tl)) {
			err = no_nul(d, t, tl, "");
			for (k = 0; k < FWT_ARRAY_LEN(hashes) && (strlen(hashes[k].name) != tl || memcmp(hashes[k].name, t, tl));
			     k++)
				;
			if (!err && k == FWT_ARRAY_LEN(hashes)) {
				/* another name: shown as unknown, never as one of ours */
				char *q = malloc(tl + 8);
				if (q) {
					memcpy(q, "alg(\"", 5);
					memcpy(q + 5, t, tl);
					memcpy(q + 5 + tl, "\")", 3);
					dg[i].alg_name = astrn(d->c, q, tl + 7);
					free(q);
				}
			}
		} else {
			err = bad(d, "a digest algorithm is an integer or text");
		}
		if (!err && k < FWT_ARRAY_LEN(hashes))
			err = registered(d, &hashes[k], vl, &dg[i]);
		if (err) {
			pop(d, old);
			json_decref(j);
			return err;
		}
		pop(d, old);
		dg[i].value = aalloc(d->c, vl);
		if (!dg[i].value || !dg[i].alg_name)
			d->oom = 1;
		else
			memcpy((unsigned char *)dg[i].value, v, vl);
		dg[i].len = vl;
		jset(d, j, "alg", json_string(dg[i].alg_name ? dg[i].alg_name : ""));
		jset(d, j, "value", jhex(v, vl));
		jpush(d, arr, j);
	}
	*out = dg;
	*nout = n;
	return FWT_OK;
}

/* ---- measurements ---- */

static const char *const flag_names[] = {
	"is_configured", "is_secure", "is_recovery", "is_debug", "is_replay_protected", "is_integrity_protected",
	"is_runtime_meas", "is_immutable", "is_tcb", "is_confidentiality_protected", "is_runtime_updatable"
};

static fwt_err dec_flags(struct dec *d, const cbor_item_t *it, fwt_corim_measurement *m, json_t **jout)
{
	static const int64_t known[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	json_t *j = json_object();
	size_t i;
	fwt_err err;

	*jout = j;
	if ((err = need_map(d, it, 1)))
		return err;
	for (i = 0; i < FWT_ARRAY_LEN(known); i++) {
		const cbor_item_t *v = fwt__cbor_get(it, (int64_t)i);
		int b;
		if (!v)
			continue;
		if (!fwt__cbor_bool(v, &b))
			return bad(d, "%s is not a boolean", flag_names[i]);
		m->flags_set |= 1u << i;
		if (b)
			m->flags_true |= 1u << i;
		jset(d, j, flag_names[i], json_boolean(b));
	}
	extensions(d, it, known, FWT_ARRAY_LEN(known), j);
	return FWT_OK;
}

static const char *scheme_name(int64_t s)
{
	switch (s) {
	case 1: return "multipartnumeric";
	case 2: return "multipartnumeric+suffix";
	case 3: return "alphanumeric";
	case 4: return "decimal";
	case 16384: return "semver";
	default: return NULL;
	}
}

static fwt_err dec_version(struct dec *d, const cbor_item_t *it, fwt_corim_measurement *m, json_t **jout)
{
	const cbor_item_t *s;
	json_t *j = json_object();
	int64_t v;
	const char *t;
	size_t n;
	char buf[24];
	fwt_err err;

	*jout = j;
	if ((err = need_map(d, it, 1)))
		return err;
	if ((err = get_text(d, fwt__cbor_get(it, 0), "version", &m->version, j)))
		return err;
	s = fwt__cbor_get(it, 1);
	if (s && fwt__cbor_int(s, &v)) {
		t = scheme_name(v);
		if (!t) {
			snprintf(buf, sizeof(buf), "%" PRId64, v);
			t = buf;
		}
		m->version_scheme = astrn(d->c, t, strlen(t));
		jset(d, j, "scheme", t == buf ? json_integer(v) : json_string(t));
	} else if (s && fwt__cbor_text(s, &t, &n)) {
		if ((err = no_nul(d, t, n, "version-scheme")) != FWT_OK)
			return err;
		m->version_scheme = astrn(d->c, t, n);
		jset(d, j, "scheme", json_stringn(t, n));
	} else if (s) {
		return bad(d, "version-scheme is neither an integer nor text");
	}
	return FWT_OK;
}

/* Keys of measurement-values-map fwtrail names; the rest are extensions. */
static const int64_t mval_known[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15 };

/* A measurement by its key, for messages: "measurement 7", "measurement
 * 'pcr0:ev1'", or "the measurement" when it has none. */
static const char *mkey_name(const fwt_corim_id *k, char *out, size_t cap)
{
	char q[72];

	if (k->type == FWT_CORIM_ID_NONE || !k->text) {
		snprintf(out, cap, "the measurement");
	} else if (k->type == FWT_CORIM_ID_TEXT) {
		fwt__quote(q, sizeof(q), k->text, strlen(k->text));
		snprintf(out, cap, "measurement '%s'", q);
	} else {
		snprintf(out, cap, "measurement %.60s", k->text);
	}
	return out;
}

static fwt_err dec_mval(struct dec *d, const cbor_item_t *mv, fwt_corim_measurement *m, json_t *j,
                        cbor_item_t *rest)
{
	const cbor_item_t *v;
	const unsigned char *b;
	size_t n, i, old;
	uint64_t tag, u;
	cbor_item_t *in;
	json_t *x;
	char kn[96];
	fwt_err err = FWT_OK;

	if ((err = need_map(d, mv, 1)))
		return err;
#define FIELD(key, name) (old = push(d, "%s", name), v = fwt__cbor_get(mv, key))
	if (FIELD(0, "version") && (err = dec_version(d, v, m, &x)) == FWT_OK)
		jset(d, j, "version", x);
	else if (v)
		json_decref(x);
	pop(d, old);
	if (err)
		return err;
	if (FIELD(1, "svn")) {
		if (fwt__cbor_tag(v, &tag, &in) && (tag == 552 || tag == 553) && fwt__cbor_uint(in, &u))
			m->svn_min = tag == 553;
		else if (!fwt__cbor_uint(v, &u))
			err = bad(d, "svn is not an unsigned integer, 552(uint) or 553(uint)");
		/* the appraisal record and the rollback rule hold an SVN as a
		 * signed 64-bit integer: a larger one is refused here, where
		 * every command reads it, not by attest check alone */
		if (!err && u > INT64_MAX)
			err = fwt__error(d->ctx, FWT_EUNSUPPORTED, "CoRIM at %s: the SVN of %s, %" PRIu64 ", is above "
			                 "2^63-1, the largest fwtrail compares", d->plen ? d->path : "/",
			                 mkey_name(&m->key, kn, sizeof(kn)), u);
		m->has_svn = !err;
		m->svn = u;
		if (!err)
			jset(d, j, "svn", json_pack("{s:o, s:s}", "value", fwt__json_u64(u),
			                            "kind", m->svn_min ? "min" : "exact"));
	}
	pop(d, old);
	if (err)
		return err;
	if (FIELD(2, "digests") && (err = dec_digests(d, v, &m->digests, &m->n_digests, &x)) == FWT_OK)
		jset(d, j, "digests", x);
	else if (v)
		json_decref(x);
	pop(d, old);
	if (err)
		return err;
	if (FIELD(3, "flags") && (err = dec_flags(d, v, m, &x)) == FWT_OK)
		jset(d, j, "flags", x);
	else if (v)
		json_decref(x);
	pop(d, old);
	if (err)
		return err;
	if (FIELD(4, "raw-value")) {
		cbor_item_t *pair;
		const unsigned char *mk;
		size_t ml;
		if (fwt__cbor_tag(v, &tag, &in) && tag == 560 && fwt__cbor_bytes(in, &b, &n)) {
			m->raw_value = b;
			m->raw_len = n;
		} else if (fwt__cbor_tag(v, &tag, &pair) && tag == 563 && fwt__cbor_len(pair) == 2 &&
		           cbor_isa_array(pair) && fwt__cbor_bytes(fwt__cbor_at(pair, 0), &b, &n) &&
		           fwt__cbor_bytes(fwt__cbor_at(pair, 1), &mk, &ml)) {
			m->raw_value = b;
			m->raw_len = n;
			m->raw_mask = mk;
			m->mask_len = ml;
			/* each bit of the mask says whether the value's bit counts */
			if (ml != n)
				err = bad(d, "the raw value of %s is %zu bytes but its mask %zu: a mask is as long as its "
				          "value", mkey_name(&m->key, kn, sizeof(kn)), n, ml);
		} else {
			err = bad(d, "raw-value is neither 560(bytes) nor 563([bytes, bytes])");
		}
	}
	pop(d, old);
	if (err)
		return err;
	if (FIELD(5, "raw-value-mask")) {
		/* two masks would be two meanings of one signed value */
		if (m->raw_mask)
			err = bad(d, "a raw value given as 563([value, mask]) may not also have the deprecated "
			          "raw-value-mask (key 5)");
		else if (!fwt__cbor_bytes(v, &m->raw_mask, &m->mask_len))
			err = bad(d, "not a byte string");
		else if (m->raw_value && m->mask_len != m->raw_len)
			err = bad(d, "the raw value of %s is %zu bytes but its mask %zu: a mask is as long as its value",
			          mkey_name(&m->key, kn, sizeof(kn)), m->raw_len, m->mask_len);
	}
	pop(d, old);
	if (err)
		return err;
	if (m->raw_value) {
		unsigned char *p = aalloc(d->c, m->raw_len + m->mask_len + 1);
		if (!p)
			return fwt__enomem(d->ctx);
		memcpy(p, m->raw_value, m->raw_len);
		x = json_pack("{s:o}", "value", jhex(m->raw_value, m->raw_len));
		if (m->raw_mask) {
			memcpy(p + m->raw_len, m->raw_mask, m->mask_len);
			jset(d, x, "mask", jhex(m->raw_mask, m->mask_len));
			m->raw_mask = p + m->raw_len;
		}
		m->raw_value = p;
		jset(d, j, "raw_value", x);
	} else if (m->raw_mask) {
		return bad(d, "raw-value-mask without raw-value");
	}
	if (FIELD(6, "mac-addr")) {
		if (!fwt__cbor_bytes(v, &b, &n) || (n != 6 && n != 8))
			err = bad(d, "a mac-addr is 6 or 8 bytes");
		else
			jset(d, j, "mac_addr", jhex(b, n));
	}
	pop(d, old);
	if (err)
		return err;
	if (FIELD(7, "ip-addr")) {
		if (!fwt__cbor_bytes(v, &b, &n) || (n != 4 && n != 16))
			err = bad(d, "an ip-addr is 4 or 16 bytes");
		else
			jset(d, j, "ip_addr", jhex(b, n));
	}
	pop(d, old);
	if (err)
		return err;
	if (FIELD(8, "serial-number"))
		err = get_text(d, v, "", &m->serial_number, NULL);
	if (!err && v)
		jset(d, j, "serial_number", json_string(m->serial_number ? m->serial_number : ""));
	pop(d, old);
	if (err)
		return err;
	if (FIELD(9, "ueid")) {
		if (!fwt__cbor_bytes(v, &b, &n) || n < 7 || n > 33)
			err = bad(d, "a ueid is 7 to 33 bytes");
		else
			jset(d, j, "ueid", jhex(b, n));
	}
	pop(d, old);
	if (err)
		return err;
	if (FIELD(10, "uuid")) {
		char us[37];
		if (!fwt__cbor_bytes(v, &b, &n) || n != 16) {
			err = bad(d, "a uuid is 16 bytes");
		} else {
			uuid_str(b, us);
			jset(d, j, "uuid", json_string(us));
		}
	}
	pop(d, old);
	if (err)
		return err;
	if (FIELD(11, "name"))
		err = get_text(d, v, "", &m->name, NULL);
	if (!err && v)
		jset(d, j, "name", json_string(m->name ? m->name : ""));
	pop(d, old);
	if (err)
		return err;
	if (FIELD(13, "cryptokeys")) {
		err = need_array(d, v, 1);
		if (!err)
			jset(d, j, "cryptokeys", fwt__cbor_item_json(v));
	}
	pop(d, old);
	if (err)
		return err;
	if (FIELD(14, "integrity-registers")) {
		json_t *regs = json_object();
		err = need_map(d, v, 1);
		for (i = 0; !err && i < fwt__cbor_len(v); i++) {
			const cbor_item_t *k = fwt__cbor_key(v, i);
			const fwt_corim_digest *dg;
			size_t nd, o2;
			const char *t;
			size_t tl;
			char name[64];
			if (fwt__cbor_uint(k, &u))
				snprintf(name, sizeof(name), "%" PRIu64, u);
			else if (fwt__cbor_text(k, &t, &tl)) {
				if ((err = no_nul(d, t, tl, "")) != FWT_OK)
					break;
				snprintf(name, sizeof(name), "%.*s", (int)(tl > 60 ? 60 : tl), t);
			} else {
				err = bad(d, "a register id is an unsigned integer or text");
				break;
			}
			o2 = push(d, "%s", name);
			err = dec_digests(d, fwt__cbor_val(v, i), &dg, &nd, &x);
			pop(d, o2);
			if (!err)
				jset(d, regs, name, x);
			else
				json_decref(x);
		}
		if (!err)
			jset(d, j, "integrity_registers", regs);
		else
			json_decref(regs);
	}
	pop(d, old);
	if (err)
		return err;
	if (FIELD(15, "int-range")) {
		int64_t iv;
		cbor_item_t *pair;
		if (fwt__cbor_int(v, &iv)) {
			jset(d, j, "int_range", json_integer(iv));
		} else if (fwt__cbor_tag(v, &tag, &pair) && tag == 564 && cbor_isa_array(pair) &&
		           fwt__cbor_len(pair) == 2 &&
		           (fwt__cbor_int(fwt__cbor_at(pair, 0), &iv) || fwt__cbor_is_null(fwt__cbor_at(pair, 0))) &&
		           (fwt__cbor_int(fwt__cbor_at(pair, 1), &iv) || fwt__cbor_is_null(fwt__cbor_at(pair, 1)))) {
			jset(d, j, "int_range", fwt__cbor_item_json(pair));
		} else {
			err = bad(d, "int-range is an integer or 564([min, max])");
		}
	}
	pop(d, old);
	if (err)
		return err;
#undef FIELD
	/* fields the model does not hold go to "other" */
	for (i = 0; i < fwt__cbor_len(mv); i++) {
		static const int64_t modelled[] = { 0, 1, 2, 3, 4, 5, 8, 11 };
		int64_t key;
		size_t k;
		int hit = 0;
		if (fwt__cbor_int(fwt__cbor_key(mv, i), &key))
			for (k = 0; k < FWT_ARRAY_LEN(modelled); k++)
				hit |= modelled[k] == key;
		if (!hit && !cbor_map_add(rest, (struct cbor_pair){ .key = fwt__cbor_key(mv, i),
		                                                   .value = fwt__cbor_val(mv, i) }))
			d->oom = 1;
	}
	extensions(d, mv, mval_known, FWT_ARRAY_LEN(mval_known), j);
	return FWT_OK;
}

static fwt_err dec_measurement(struct dec *d, const cbor_item_t *mm, fwt_corim_measurement *m, json_t **jout)
{
	static const int64_t known[] = { 0, 1, 2 };
	const cbor_item_t *v;
	json_t *j = json_object(), *x;
	cbor_item_t *rest = fwt__cb_map(), *ext;
	size_t old;
	fwt_err err;

	*jout = j;
	if (!rest)
		return fwt__enomem(d->ctx);
	if ((err = need_map(d, mm, 0)))
		goto out;
	if ((v = fwt__cbor_get(mm, 0)) != NULL) {
		old = push(d, "mkey");
		err = dec_id(d, v, ID_UINT | ID_TEXT | ID_UUID | ID_OID, &m->key, &x);
		pop(d, old);
		if (err)
			goto out;
		jset(d, j, "key", x);
	}
	old = push(d, "mval");
	v = fwt__cbor_get(mm, 1);
	err = v ? dec_mval(d, v, m, j, rest) : bad(d, "missing");
	pop(d, old);
	if (err)
		goto out;
	if ((v = fwt__cbor_get(mm, 2)) != NULL) {
		old = push(d, "authorized-by");
		err = need_array(d, v, 1);
		pop(d, old);
		if (err)
			goto out;
		jset(d, j, "authorized_by", fwt__cbor_item_json(v));
		{
			cbor_item_t *k2 = fwt__cb_uint(2);
			if (!k2 || !cbor_map_add(rest, (struct cbor_pair){ .key = k2, .value = (cbor_item_t *)v }))
				d->oom = 1;
			fwt__cb_free(k2);
		}
	}
	ext = unknown_entries(d, mm, known, FWT_ARRAY_LEN(known));
	if (ext) {
		json_t *e = json_object_get(j, "extensions");
		size_t i;
		for (i = 0; i < fwt__cbor_len(ext); i++)
			if (!cbor_map_add(rest, (struct cbor_pair){ .key = fwt__cbor_key(ext, i), .value = fwt__cbor_val(ext, i) }))
				d->oom = 1;
		if (!e) {
			e = json_object();
			jset(d, j, "extensions", e);
		}
		if (json_object_update(e, x = fwt__cbor_item_json(ext)))
			d->oom = 1;
		json_decref(x);
		fwt__cb_free(ext);
	}
	if (fwt__cbor_len(rest))
		m->other = adiag(d, rest);
out:
	fwt__cb_free(rest);
	return err;
}

/* ---- environments and triples ---- */

static fwt_err dec_env(struct dec *d, const cbor_item_t *env, fwt_corim_env *e, json_t **jout)
{
	static const int64_t known[] = { 0, 1, 2 }, cknown[] = { 0, 1, 2, 3, 4 };
	const cbor_item_t *cl, *v;
	json_t *j = json_object(), *jc, *x;
	size_t old = push(d, "environment"), o2;
	fwt_err err;

	*jout = j;
	if ((err = need_map(d, env, 1)))
		goto out;
	if ((cl = fwt__cbor_get(env, 0)) != NULL) {
		o2 = push(d, "class");
		jc = json_object();
		jset(d, j, "class", jc);
		e->has_class = 1;
		err = need_map(d, cl, 1);
		if (!err && (v = fwt__cbor_get(cl, 0)) != NULL) {
			size_t o3 = push(d, "class-id");
			err = dec_id(d, v, ID_OID | ID_UUID | ID_BYTES, &e->class_id, &x);
			pop(d, o3);
			if (!err)
				jset(d, jc, "class_id", x);
		}
		if (!err && (v = fwt__cbor_get(cl, 1)) != NULL)
			err = get_text(d, v, "vendor", &e->vendor, jc);
		if (!err && (v = fwt__cbor_get(cl, 2)) != NULL)
			err = get_text(d, v, "model", &e->model, jc);
		if (!err && (v = fwt__cbor_get(cl, 3)) != NULL) {
			err = get_uint(d, v, "layer", &e->layer, jc);
			e->has_layer = !err;
		}
		if (!err && (v = fwt__cbor_get(cl, 4)) != NULL) {
			err = get_uint(d, v, "index", &e->index, jc);
			e->has_index = !err;
		}
		if (!err)
			e->other = extensions(d, cl, cknown, FWT_ARRAY_LEN(cknown), jc);
		pop(d, o2);
		if (err)
			goto out;
	}
	if ((v = fwt__cbor_get(env, 1)) != NULL) {
		o2 = push(d, "instance");
		err = dec_id(d, v, ID_UEID | ID_UUID | ID_BYTES | ID_OTHER, &e->instance, &x);
		pop(d, o2);
		if (err)
			goto out;
		jset(d, j, "instance", x);
	}
	if ((v = fwt__cbor_get(env, 2)) != NULL) {
		o2 = push(d, "group");
		err = dec_id(d, v, ID_UUID | ID_BYTES, &e->group, &x);
		pop(d, o2);
		if (err)
			goto out;
		jset(d, j, "group", x);
	}
	{
		const char *o = extensions(d, env, known, FWT_ARRAY_LEN(known), j);
		if (o)
			e->other = o; /* class extensions are rare; environment ones win the line */
	}
out:
	pop(d, old);
	return err;
}

/* [environment-map, [+ measurement-map]] */
static fwt_err dec_claims(struct dec *d, const cbor_item_t *rec, fwt_corim_claims *cl, json_t **jout)
{
	const cbor_item_t *list;
	json_t *j = json_object(), *x, *arr;
	size_t i, old;
	fwt_err err;

	*jout = j;
	if (!cbor_isa_array(rec) || fwt__cbor_len(rec) != 2)
		return bad(d, "not an [environment, [measurements]] pair");
	err = dec_env(d, fwt__cbor_at(rec, 0), &cl->env, &x);
	jset(d, j, "environment", x);
	if (err)
		return err;
	list = fwt__cbor_at(rec, 1);
	old = push(d, "measurements");
	if ((err = need_array(d, list, 1))) {
		pop(d, old);
		return err;
	}
	cl->n = fwt__cbor_len(list);
	cl->m = aalloc(d->c, cl->n * sizeof(*cl->m));
	if (!cl->m) {
		pop(d, old);
		return fwt__enomem(d->ctx);
	}
	memset((void *)cl->m, 0, cl->n * sizeof(*cl->m));
	arr = json_array();
	jset(d, j, "measurements", arr);
	for (i = 0; i < cl->n && !err; i++) {
		size_t o2 = push(d, "%zu", i);
		err = dec_measurement(d, fwt__cbor_at(list, i), (fwt_corim_measurement *)&cl->m[i], &x);
		jpush(d, arr, x);
		pop(d, o2);
	}
	pop(d, old);
	return err;
}

static fwt_err dec_claims_list(struct dec *d, const cbor_item_t *list, const char *name,
                               const fwt_corim_claims **out, size_t *nout, json_t **jout)
{
	fwt_corim_claims *cl;
	json_t *arr = json_array(), *x;
	size_t i, n, old = push(d, "%s", name);
	fwt_err err;

	*jout = arr;
	if ((err = need_array(d, list, 1))) {
		pop(d, old);
		return err;
	}
	n = fwt__cbor_len(list);
	cl = aalloc(d->c, n * sizeof(*cl));
	if (!cl) {
		pop(d, old);
		return fwt__enomem(d->ctx);
	}
	memset(cl, 0, n * sizeof(*cl));
	for (i = 0; i < n && !err; i++) {
		size_t o2 = push(d, "%zu", i);
		err = dec_claims(d, fwt__cbor_at(list, i), &cl[i], &x);
		jpush(d, arr, x);
		pop(d, o2);
	}
	pop(d, old);
	*out = cl;
	*nout = n;
	return err;
}

static const struct {
	int64_t key;
	const char *cddl, *json;
} triple_kinds[] = {
	{ 0, "reference-triples", "reference_triples" },
	{ 1, "endorsed-triples", "endorsed_triples" },
	{ 10, "conditional-endorsement-triples", "conditional_endorsement_triples" },
	{ 2, "identity-triples", "identity_triples" },
	{ 3, "attest-key-triples", "attest_key_triples" },
	{ 4, "dependency-triples", "dependency_triples" },
	{ 5, "membership-triples", "membership_triples" },
	{ 6, "coswid-triples", "coswid_triples" },
	{ 8, "conditional-endorsement-series-triples", "conditional_endorsement_series_triples" },
};

static fwt_err dec_triples(struct dec *d, const cbor_item_t *tm, fwt_comid *cm, json_t *jc)
{
	static const int64_t known[] = { 0, 1, 2, 3, 4, 5, 6, 8, 10 };
	fwt_corim_triple *tr;
	size_t i, k, n = 0, total = 0, old = push(d, "triples");
	fwt_err err;

	if ((err = need_map(d, tm, 1)))
		goto out;
	for (k = 0; k < 3; k++)
		total += fwt__cbor_len(fwt__cbor_get(tm, triple_kinds[k].key));
	tr = aalloc(d->c, total * sizeof(*tr));
	if (!tr) {
		err = fwt__enomem(d->ctx);
		goto out;
	}
	memset(tr, 0, total * sizeof(*tr));
	cm->triples = tr;
	for (k = 0; k < FWT_ARRAY_LEN(triple_kinds) && !err; k++) {
		const cbor_item_t *list = fwt__cbor_get(tm, triple_kinds[k].key);
		size_t o2;
		json_t *arr;
		if (!list)
			continue;
		o2 = push(d, "%s", triple_kinds[k].cddl);
		err = need_array(d, list, 1);
		if (err) {
			pop(d, o2);
			break;
		}
		if (k >= 3) { /* kinds fwtrail does not model: shown as they are */
			jset(d, jc, triple_kinds[k].json, fwt__cbor_item_json(list));
			cm->n_other_triples += fwt__cbor_len(list);
			pop(d, o2);
			continue;
		}
		arr = json_array();
		jset(d, jc, triple_kinds[k].json, arr);
		for (i = 0; i < fwt__cbor_len(list) && !err; i++) {
			const cbor_item_t *rec = fwt__cbor_at(list, i);
			fwt_corim_triple *t = &tr[n++];
			size_t o3 = push(d, "%zu", i);
			json_t *x;
			t->type = (fwt_corim_triple_type)triple_kinds[k].key;
			if (k < 2) {
				fwt_corim_claims *cl = aalloc(d->c, sizeof(*cl));
				if (!cl) {
					err = fwt__enomem(d->ctx);
				} else {
					memset(cl, 0, sizeof(*cl));
					t->claims = cl;
					t->n_claims = 1;
					err = dec_claims(d, rec, cl, &x);
					jpush(d, arr, x);
				}
			} else {
				json_t *jt = json_object(), *y;
				jpush(d, arr, jt);
				if (!cbor_isa_array(rec) || fwt__cbor_len(rec) != 2) {
					err = bad(d, "not a [conditions, endorsements] pair");
				} else {
					err = dec_claims_list(d, fwt__cbor_at(rec, 0), "conditions", &t->conditions,
					                      &t->n_conditions, &y);
					jset(d, jt, "conditions", y);
					if (!err) {
						err = dec_claims_list(d, fwt__cbor_at(rec, 1), "endorsements", &t->claims,
						                      &t->n_claims, &y);
						jset(d, jt, "endorsements", y);
					}
				}
			}
			pop(d, o3);
		}
		pop(d, o2);
	}
	cm->n_triples = n;
	if (!err) {
		json_t *ext = json_object();
		const char *o = extensions(d, tm, known, FWT_ARRAY_LEN(known), ext);
		if (o) {
			cm->other = o;
			jset(d, jc, "triples_extensions", json_incref(json_object_get(ext, "extensions")));
		}
		json_decref(ext);
	}
out:
	pop(d, old);
	return err;
}

static const char *const comid_roles[] = { "tag-creator", "creator", "maintainer" };
static const char *const corim_roles[] = { NULL, "manifest-creator", "manifest-signer" };

static fwt_err dec_entities(struct dec *d, const cbor_item_t *list, const char *const *roles, size_t nroles,
                            const fwt_corim_entity **out, size_t *nout, json_t **jout)
{
	static const int64_t known[] = { 0, 1, 2 };
	fwt_corim_entity *es;
	json_t *arr = json_array();
	size_t i, k, n, old = push(d, "entities");
	fwt_err err;

	*jout = arr;
	if ((err = need_array(d, list, 1))) {
		pop(d, old);
		return err;
	}
	n = fwt__cbor_len(list);
	es = aalloc(d->c, n * sizeof(*es));
	if (!es) {
		pop(d, old);
		return fwt__enomem(d->ctx);
	}
	memset(es, 0, n * sizeof(*es));
	for (i = 0; i < n && !err; i++) {
		const cbor_item_t *e = fwt__cbor_at(list, i), *v;
		json_t *j = json_object(), *jr = json_array();
		char rs[256];
		size_t rl = 0, o2 = push(d, "%zu", i);
		const char *t;
		size_t tl;
		jpush(d, arr, j);
		err = need_map(d, e, 0);
		if (!err)
			err = get_text(d, fwt__cbor_get(e, 0), "entity-name", &es[i].name, NULL);
		if (!err)
			jset(d, j, "name", json_string(es[i].name ? es[i].name : ""));
		if (!err && (v = fwt__cbor_get(e, 1)) != NULL) {
			if (!uri_text(v, &t, &tl)) {
				err = bad(d, "reg-id is not a URI");
			} else if ((err = no_nul(d, t, tl, "reg-id")) == FWT_OK) {
				es[i].reg_id = astrn(d->c, t, tl);
				jset(d, j, "reg_id", json_stringn(t, tl));
			}
		}
		v = fwt__cbor_get(e, 2);
		if (!err && (!v || !cbor_isa_array(v) || !fwt__cbor_len(v)))
			err = bad(d, "role is not a non-empty array");
		rs[0] = '\0';
		for (k = 0; !err && k < fwt__cbor_len(v); k++) {
			uint64_t r;
			const char *name;
			char num[24];
			if (!fwt__cbor_uint(fwt__cbor_at(v, k), &r)) {
				err = bad(d, "a role is not an unsigned integer");
				break;
			}
			name = r < nroles ? roles[r] : NULL;
			if (!name) {
				snprintf(num, sizeof(num), "%" PRIu64, r);
				name = num;
			}
			rl += (size_t)snprintf(rs + rl, sizeof(rs) - rl, "%s%s", k ? ", " : "", name);
			if (rl >= sizeof(rs))
				rl = sizeof(rs) - 1;
			jpush(d, jr, name == num ? json_integer((json_int_t)r) : json_string(name));
		}
		jset(d, j, "roles", jr);
		es[i].roles = astrn(d->c, rs, strlen(rs));
		if (!err)
			extensions(d, e, known, FWT_ARRAY_LEN(known), j);
		pop(d, o2);
	}
	pop(d, old);
	*out = es;
	*nout = n;
	return err;
}

/* ---- a CoMID ---- */

static fwt_err dec_comid_map(struct dec *d, const cbor_item_t *m, fwt_comid *cm, json_t *j)
{
	static const int64_t known[] = { 0, 1, 2, 3, 4 };
	const cbor_item_t *ti, *v;
	json_t *x;
	size_t old;
	fwt_err err;

	if ((err = need_map(d, m, 0)))
		return err;
	jset(d, j, "type", json_string("comid"));
	if ((v = fwt__cbor_get(m, 0)) != NULL && (err = get_text(d, v, "language", &cm->language, j)))
		return err;
	old = push(d, "tag-identity");
	ti = fwt__cbor_get(m, 1);
	err = ti ? need_map(d, ti, 0) : bad(d, "missing");
	if (!err) {
		size_t o2 = push(d, "tag-id");
		v = fwt__cbor_get(ti, 0);
		err = v ? dec_id(d, v, ID_TEXT | ID_BARE_UUID, &cm->tag_id, &x) : bad(d, "missing");
		pop(d, o2);
		if (!err)
			jset(d, j, "tag_id", x);
	}
	if (!err && (v = fwt__cbor_get(ti, 1)) != NULL)
		err = get_uint(d, v, "tag-version", &cm->tag_version, NULL);
	pop(d, old);
	if (err)
		return err;
	jset(d, j, "tag_version", fwt__json_u64(cm->tag_version));
	if ((v = fwt__cbor_get(m, 2)) != NULL) {
		err = dec_entities(d, v, comid_roles, FWT_ARRAY_LEN(comid_roles), &cm->entities, &cm->n_entities, &x);
		jset(d, j, "entities", x);
		if (err)
			return err;
	}
	if ((v = fwt__cbor_get(m, 3)) != NULL) {
		size_t i;
		json_t *arr = json_array();
		old = push(d, "linked-tags");
		jset(d, j, "linked_tags", arr);
		err = need_array(d, v, 1);
		for (i = 0; !err && i < fwt__cbor_len(v); i++) {
			const cbor_item_t *lt = fwt__cbor_at(v, i);
			fwt_corim_id lid = { FWT_CORIM_ID_NONE, NULL, NULL, 0, 0 };
			uint64_t rel = 0;
			size_t o2 = push(d, "%zu", i);
			err = need_map(d, lt, 0);
			if (!err) {
				const cbor_item_t *lv = fwt__cbor_get(lt, 0);
				err = lv ? dec_id(d, lv, ID_TEXT | ID_BARE_UUID, &lid, &x) : bad(d, "no linked-tag-id");
			}
			if (!err && !fwt__cbor_uint(fwt__cbor_get(lt, 1), &rel))
				err = bad(d, "tag-rel is not an unsigned integer");
			if (!err)
				jpush(d, arr, json_pack("{s:o, s:o}", "tag_id", x, "rel",
				                        rel == 0 ? json_string("supplements") : rel == 1 ? json_string("replaces")
				                                                              : json_integer((json_int_t)rel)));
			else if (lid.type)
				json_decref(x);
			pop(d, o2);
		}
		pop(d, old);
		if (err)
			return err;
	}
	v = fwt__cbor_get(m, 4);
	if (!v) {
		old = push(d, "triples");
		err = bad(d, "missing");
		pop(d, old);
		return err;
	}
	err = dec_triples(d, v, cm, j);
	if (!err) {
		const char *o = extensions(d, m, known, FWT_ARRAY_LEN(known), j);
		if (o && cm->other) { /* both the CoMID and its triples-map have some */
			size_t n = strlen(o) + strlen(cm->other) + 16;
			char *both = aalloc(d->c, n);
			if (both)
				snprintf(both, n, "%s, triples %s", o, cm->other);
			cm->other = both;
		} else if (o) {
			cm->other = o;
		} else if (cm->other) {
			size_t n = strlen(cm->other) + 16;
			char *t = aalloc(d->c, n);
			if (t)
				snprintf(t, n, "triples %s", cm->other);
			cm->other = t;
		}
	}
	return err;
}

/* 506(bstr .cbor concise-mid-tag); the map itself in the tag, as older
 * encoders wrote it, only with FWT_CORIM_LENIENT_CBOR (rim show): a CoRIM
 * that is verified, signed or appraised has the CDDL's types */
static fwt_err dec_comid(struct dec *d, const cbor_item_t *content, fwt_comid *cm, json_t *j)
{
	const unsigned char *b;
	cbor_item_t *m = NULL;
	size_t n;
	fwt_err err;

	if (cbor_isa_map(content) && d->lenient)
		return dec_comid_map(d, content, cm, j);
	if (cbor_isa_map(content))
		return bad(d, "a CoMID is 506(bytes .cbor concise-mid-tag), not 506(map) as older encoders wrote it");
	if (!fwt__cbor_bytes(content, &b, &n))
		return bad(d, "a CoMID is 506(bytes .cbor concise-mid-tag)");
	err = dec_embedded(d, b, n, "a CoMID", &m);
	if (err)
		return fwt__error_prefix(d->ctx, "at %s", d->plen ? d->path : "/");
	err = dec_comid_map(d, m, cm, j);
	fwt__cb_free(m);
	return err;
}

/* ---- the corim-map ---- */

static fwt_err dec_corim_map(struct dec *d, const cbor_item_t *m, json_t *j)
{
	static const int64_t known[] = { 0, 1, 2, 3, 4, 5 };
	fwt_corim *c = d->c;
	const cbor_item_t *v, *tags;
	json_t *x, *jtags;
	size_t i, k, old;
	fwt_err err;

	if ((err = need_map(d, m, 0)))
		return err;
	jset(d, j, "type", json_string("corim"));
	old = push(d, "id");
	v = fwt__cbor_get(m, 0);
	err = v ? dec_id(d, v, ID_TEXT | ID_BARE_UUID, &c->id, &x) : bad(d, "missing");
	pop(d, old);
	if (err)
		return err;
	jset(d, j, "id", x);
	if ((v = fwt__cbor_get(m, 3)) != NULL) {
		old = push(d, "profile");
		err = dec_id(d, v, ID_TEXT | ID_OID, &c->profile, &x);
		pop(d, old);
		if (err)
			return err;
		jset(d, j, "profile", x);
	}
	if ((v = fwt__cbor_get(m, 4)) != NULL) {
		old = push(d, "rim-validity");
		err = dec_validity(d, v, &c->rim_validity, &x);
		pop(d, old);
		jset(d, j, "rim_validity", x);
		if (err)
			return err;
	}
	if ((v = fwt__cbor_get(m, 5)) != NULL) {
		err = dec_entities(d, v, corim_roles, FWT_ARRAY_LEN(corim_roles), (const fwt_corim_entity **)&c->entities,
		                   &c->n_entities, &x);
		jset(d, j, "entities", x);
		if (err)
			return err;
	}
	if ((v = fwt__cbor_get(m, 2)) != NULL) {
		old = push(d, "dependent-rims");
		err = need_array(d, v, 1);
		pop(d, old);
		if (err)
			return err;
		jset(d, j, "dependent_rims", fwt__cbor_item_json(v));
	}
	old = push(d, "tags");
	tags = fwt__cbor_get(m, 1);
	err = tags ? need_array(d, tags, 1) : bad(d, "missing");
	if (err) {
		pop(d, old);
		return err;
	}
	for (i = 0; i < fwt__cbor_len(tags); i++) {
		uint64_t tag;
		if (fwt__cbor_tag(fwt__cbor_at(tags, i), &tag, NULL) && tag == 506)
			c->n_comids++;
	}
	c->comids = aalloc(c, c->n_comids * sizeof(*c->comids));
	if (!c->comids) {
		pop(d, old);
		return fwt__enomem(d->ctx);
	}
	memset(c->comids, 0, c->n_comids * sizeof(*c->comids));
	jtags = json_array();
	jset(d, j, "tags", jtags);
	for (i = k = 0; i < fwt__cbor_len(tags) && !err; i++) {
		const cbor_item_t *t = fwt__cbor_at(tags, i);
		cbor_item_t *content;
		json_t *jt = json_object();
		uint64_t tag;
		size_t o2 = push(d, "%zu", i);
		jpush(d, jtags, jt);
		if (!fwt__cbor_tag(t, &tag, &content)) {
			err = bad(d, "a tag is not a tagged CoMID, CoSWID or CoTL");
		} else if (tag == 506) {
			err = dec_comid(d, content, &c->comids[k++], jt);
		} else {
			/* CoSWID (505), CoTL (508) or unknown: shown as they are */
			const unsigned char *b;
			size_t n;
			cbor_item_t *inner = NULL;
			c->n_other_tags++;
			jset(d, jt, "type", json_string(tag == 505 ? "coswid" : tag == 508 ? "cotl" : "unknown"));
			jset(d, jt, "tag", json_integer((json_int_t)tag));
			if (fwt__cbor_bytes(content, &b, &n) && (tag == 505 || tag == 508)) {
				err = dec_embedded(d, b, n, "an embedded tag", &inner);
				if (err)
					fwt__error_prefix(d->ctx, "at %s", d->path);
				else
					jset(d, jt, "value", fwt__cbor_item_json(inner));
				fwt__cb_free(inner);
			} else {
				jset(d, jt, "value", fwt__cbor_item_json(content));
			}
		}
		pop(d, o2);
	}
	pop(d, old);
	if (!err)
		c->other = extensions(d, m, known, FWT_ARRAY_LEN(known), j);
	return err;
}

/* ---- signed CoRIMs: corim-meta and CWT claims ---- */

#define KEY_STR 96

/* A map key that is not an integer, for a message: text quoted ('exp'),
 * anything else in diagnostic notation, cut to fit out. */
static const char *key_str(const cbor_item_t *k, char *out, size_t cap)
{
	const char *t;
	char *s = NULL;
	size_t n, max = cap > 8 ? cap - 8 : 0;

	if (fwt__cbor_text(k, &t, &n)) {
		char q[KEY_STR - 8];
		fwt__quote(q, sizeof(q), t, n);
		snprintf(out, cap, "'%s'", q);
	} else if (fwt__cbor_item_diag(NULL, k, 0, &s) == FWT_OK) {
		snprintf(out, cap, "%.*s%s", (int)max, s, strlen(s) > max ? "..." : "");
	} else {
		snprintf(out, cap, "?");
	}
	free(s);
	return out;
}

static fwt_err dec_meta(struct dec *d, json_t *j)
{
	static const int64_t sknown[] = { 0, 1 };
	fwt_corim *c = d->c;
	const unsigned char *b;
	cbor_item_t *m = NULL, *cwt;
	const cbor_item_t *s, *v;
	const char *t;
	size_t n, old;
	json_t *jm = json_object(), *x;
	char kb[KEY_STR];
	fwt_err err;

	err = fwt_cose_protected_bstr(c->cose, 8, &b, &n);
	if (err == FWT_EFORMAT) {
		json_decref(jm);
		return bad(d, "corim-meta (protected header 8) is not a byte string");
	}
	if (err == FWT_OK) {
		err = dec_embedded(d, b, n, "corim-meta", &m);
		if (err) {
			json_decref(jm);
			return err;
		}
		old = push(d, "corim-meta");
		c->meta.source = "corim-meta";
		err = need_map(d, m, 0);
		/* corim-meta-map has no extension socket: signer and
		 * signature-validity only */
		for (n = 0; !err && n < fwt__cbor_len(m); n++) {
			int64_t k;
			if (!fwt__cbor_int(fwt__cbor_key(m, n), &k))
				err = bad(d, "key %s is not an integer (corim-meta-map takes 0 and 1 only)",
				          key_str(fwt__cbor_key(m, n), kb, sizeof(kb)));
			else if (k != 0 && k != 1)
				err = bad(d, "unknown key %" PRId64 " (corim-meta-map takes 0 and 1 only)", k);
		}
		s = fwt__cbor_get(m, 0);
		if (!err && !s)
			err = bad(d, "no signer");
		if (!err)
			err = need_map(d, s, 0);
		if (!err)
			err = get_text(d, fwt__cbor_get(s, 0), "signer-name", &c->meta.signer_name, NULL);
		if (!err && (v = fwt__cbor_get(s, 1)) != NULL) {
			uint64_t ut;
			/* the CDDL's uri is #6.32(tstr): plain text only when
			 * lenient (rim show) */
			if (!d->lenient && !(fwt__cbor_tag(v, &ut, NULL) && ut == 32)) {
				size_t o2 = push(d, "signer-uri");
				err = bad(d, "not a URI: the CDDL's uri is #6.32(tstr), text tagged 32");
				pop(d, o2);
			} else if (uri_text(v, &t, &n)) {
				if ((err = no_nul(d, t, n, "signer-uri")) == FWT_OK)
					c->meta.signer_uri = astrn(c, t, n);
			} else {
				err = bad(d, "signer-uri is not a URI");
			}
		}
		if (!err) {
			json_t *js = json_object();
			jset(d, js, "name", json_string(c->meta.signer_name));
			if (c->meta.signer_uri)
				jset(d, js, "uri", json_string(c->meta.signer_uri));
			extensions(d, s, sknown, FWT_ARRAY_LEN(sknown), js);
			jset(d, jm, "signer", js);
		}
		if (!err && (v = fwt__cbor_get(m, 1)) != NULL) {
			size_t o2 = push(d, "signature-validity");
			err = dec_validity(d, v, &c->meta.validity, &x);
			jset(d, jm, "signature_validity", x);
			pop(d, o2);
		}
		pop(d, old);
		fwt__cb_free(m);
		if (err) {
			json_decref(jm);
			return err;
		}
		c->has_meta = 1;
	}
	cwt = fwt__cbor_get(fwt__cose_protected_map(c->cose), 15);
	if (cwt) { /* CWT claims (RFC 8392): iss 1, exp 4, nbf 5 */
		/* with corim-meta as well, the signer is corim-meta's, but exp and
		 * nbf are signed bounds too: kept apart, and enforced with it */
		fwt_corim_validity *cv = c->has_meta ? &c->cwt_validity : &c->meta.validity;
		const char *iss = NULL;
		int64_t k;
		old = push(d, "CWT-claims");
		err = need_map(d, cwt, 0);
		/* cwt-claims: int keys only (a text "exp" is no exp, and would be
		 * a bound nobody applies), iss (1) a tstr, sub (2) a tstr */
		for (n = 0; !err && n < fwt__cbor_len(cwt); n++)
			if (!fwt__cbor_int(fwt__cbor_key(cwt, n), &k))
				err = bad(d, "claim key %s is not an integer (CWT claims take integer keys only)",
				          key_str(fwt__cbor_key(cwt, n), kb, sizeof(kb)));
		if (!err && !(v = fwt__cbor_get(cwt, 1)))
			err = bad(d, "no iss (1)");
		if (!err)
			err = get_text(d, v, "iss", &iss, NULL);
		if (!err && !c->has_meta)
			c->meta.signer_name = iss;
		if (!err && (v = fwt__cbor_get(cwt, 2)) != NULL && !fwt__cbor_text(v, &t, &n))
			err = bad(d, "sub is not text");
		if (!err && (v = fwt__cbor_get(cwt, 5)) != NULL) {
			cv->has_not_before = get_number(v, 1, &cv->not_before);
			if (!cv->has_not_before)
				err = bad(d, "nbf is not a number (int / float)");
		}
		if (!err && (v = fwt__cbor_get(cwt, 4)) != NULL) {
			cv->has_not_after = get_number(v, 0, &cv->not_after);
			if (!cv->has_not_after)
				err = bad(d, "exp is not a number (int / float)");
		}
		pop(d, old);
		if (err) {
			json_decref(jm);
			return err;
		}
		if (!c->has_meta && c->meta.signer_name)
			jset(d, jm, "signer", json_pack("{s:s}", "name", c->meta.signer_name));
		if (cv->has_not_after || cv->has_not_before) {
			x = json_object();
			if (cv->has_not_before)
				jset(d, x, "not_before", jtime(cv->not_before));
			if (cv->has_not_after)
				jset(d, x, "not_after", jtime(cv->not_after));
			jset(d, jm, c->has_meta ? "cwt_validity" : "signature_validity", x);
		}
		if (!c->has_meta)
			c->meta.source = "CWT claims";
		c->has_meta = 1;
	}
	if (c->has_meta) {
		jset(d, jm, "source", json_string(c->meta.source));
		jset(d, j, "meta", jm);
	} else {
		json_decref(jm);
	}
	return FWT_OK;
}

/* ---- entry points ---- */

int fwt_corim_sniff(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	unsigned m;

	if (!p || !len)
		return 0;
	m = p[0] >> 5;
	return m == 4 || m == 5 || m == 6; /* an array, map or tag: never XML's '<' or a BOM */
}

fwt_text_kind fwt_corim_text_kind(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i, n = len, dots = 0, jws = 1;
	int blank = 0;

	if (!p || !len)
		return FWT_TEXT_NONE;
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) /* a UTF-8 byte order mark */
		p += 3, len -= 3, n = len, blank = 1;
	for (i = 0; i < len; i++) {
		unsigned cp;
		size_t k;
		if (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')
			blank = 1;
		else if (p[i] >= 0x80 && (k = fwt_utf8_seq(p + i, len - i, &cp)) > 1 && cp >= 0xa0)
			i += k - 1; /* well-formed UTF-8 beyond ASCII (no C1 control) */
		else if (p[i] < 0x20 || p[i] > 0x7e)
			return FWT_TEXT_NONE;
	}
	if (!blank && len < 32)
		return FWT_TEXT_NONE;
	while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	for (i = 0; i < n && jws; i++) {
		if (p[i] == '.')
			dots++;
		else if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
		           p[i] == '-' || p[i] == '_'))
			jws = 0;
	}
	if (jws && dots == 2)
		return FWT_TEXT_JWS;
	for (i = 0; i < len && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'); i++)
		;
	return i < len && (p[i] == '{' || p[i] == '[') ? FWT_TEXT_JSON : FWT_TEXT_OTHER;
}

static fwt_err parse_signed(struct dec *d, const void *buf, size_t len, const fwt_corim_options *o, json_t *j)
{
	static const int64_t crit_known[] = { 8, 15 };
	fwt_cose_options co = FWT_COSE_OPTIONS_INIT;
	fwt_corim *c = d->c;
	const unsigned char *p;
	cbor_item_t *root = NULL, *content;
	size_t n;
	uint64_t tag;
	json_t *js;
	fwt_err err;

	co.flags = o && (o->flags & FWT_CORIM_LENIENT_CBOR) ? 0 : FWT_COSE_STRICT;
	co.crit_known = crit_known;
	co.n_crit_known = FWT_ARRAY_LEN(crit_known);
	err = fwt_cose_parse(d->ctx, &c->cose, buf, len, &co);
	if (err)
		return err;
	c->kind = fwt_cose_get_kind(c->cose) == FWT_COSE_SIGN1 ? FWT_CORIM_SIGNED : FWT_CORIM_COSE_SIGN;
	js = fwt_cose_to_json(c->cose);
	jset(d, j, "signature", js);
	/* validity is read from the body's protected header: corim-meta or CWT
	 * claims anywhere else would be a bound nobody applies (a signer's
	 * own, signed, or an unprotected one, signed by nobody) */
	for (n = 0; n <= (c->kind == FWT_CORIM_COSE_SIGN ? fwt_cose_signer_count(c->cose) : 0); n++) {
		int prot;
		for (prot = 0; prot < 2; prot++) {
			const cbor_item_t *h = n || !prot ? fwt__cose_header_map(c->cose, n, prot) : NULL;
			if (h && (fwt__cbor_get(h, 8) || fwt__cbor_get(h, 15)))
				return fwt__error(d->ctx, FWT_EFORMAT, "%s%s header carries %s: fwtrail reads a signed "
				                  "CoRIM's validity from the body's protected header only",
				                  n ? "a COSE_Sign signer's " : "the ", prot ? "protected" : "unprotected",
				                  fwt__cbor_get(h, 8) ? "corim-meta (8)" : "CWT claims (15)");
		}
	}
	err = dec_meta(d, js);
	if (err)
		return err;
	p = fwt_cose_payload(c->cose, &n);
	if (!p)
		return fwt__error(d->ctx, FWT_EUNSUPPORTED, "the signed CoRIM's payload is detached (nil): fwtrail "
		                  "reads CoRIMs that carry their payload");
	if (fwt_cose_protected_bstr(c->cose, 258, &p, &n) != FWT_ENOTFOUND ||
	    fwt__cbor_get(fwt__cose_protected_map(c->cose), 259))
		return fwt__error(d->ctx, FWT_EUNSUPPORTED, "hash-envelope CoRIMs (payload_hash_alg) are not supported");
	p = fwt_cose_payload(c->cose, &n);
	err = dec_embedded(d, p, n, "the COSE payload", &root);
	if (err)
		return err;
	if (!fwt__cbor_tag(root, &tag, &content) || tag != 501)
		err = fwt__error(d->ctx, FWT_EFORMAT, "the signed payload is not an unsigned CoRIM (tag 501)");
	else
		err = dec_corim_map(d, content, j);
	fwt__cb_free(root);
	return err;
}

/* The length of a self-described CBOR tag (55799, RFC 8949 3.4.6) that
 * starts p, in any of its encodings, or 0. */
static size_t self_described(const unsigned char *p, size_t len)
{
	size_t h, i;
	uint64_t v = 0;

	if (!len || p[0] < 0xd9 || p[0] > 0xdb)
		return 0;
	h = p[0] == 0xd9 ? 3 : p[0] == 0xda ? 5 : 9;
	if (len < h)
		return 0;
	for (i = 1; i < h; i++)
		v = v << 8 | p[i];
	return v == 55799 ? h : 0;
}

fwt_err fwt_corim_parse(fwt_ctx *ctx, fwt_corim **out, const void *buf, size_t len, const fwt_corim_options *opts)
{
	fwt_cbor_options cb = FWT_CBOR_OPTIONS_INIT;
	fwt_cbor_info info;
	struct dec d;
	fwt_corim *c;
	cbor_item_t *root = NULL, *content;
	uint64_t tag;
	fwt_err err;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if (opts && opts->version > FWT_CORIM_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "CoRIM", opts->version, FWT_CORIM_OPTIONS_VERSION);
	/* "this is CBOR" before the document says nothing of it: one such tag
	 * is skipped (a signed CoRIM's signature covers what follows it) */
	if (buf) {
		size_t h = self_described(buf, len);
		buf = (const unsigned char *)buf + h;
		len -= h;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return fwt__enomem(ctx);
	c->ctx = ctx;
	c->json = json_object();
	memset(&d, 0, sizeof(d));
	d.ctx = ctx;
	d.c = c;
	d.cflags = opts && (opts->flags & FWT_CORIM_LENIENT_CBOR) ? 0 : FWT_CBOR_NO_INDEFINITE | FWT_CBOR_SHORTEST;
	d.lenient = opts && (opts->flags & FWT_CORIM_LENIENT_CBOR);
	cb.flags = d.cflags;
	cb.max_depth = FWT_CORIM_DEPTH;
	err = fwt__cbor_decode(ctx, buf, len, &cb, NULL, &root, &info);
	if (err)
		goto out;
	d.items_left = FWT_CBOR_ITEMS_DEFAULT - info.items;
	if (!fwt__cbor_tag(root, &tag, &content)) {
		if (cbor_isa_map(root)) {
			c->kind = FWT_CORIM_COMID;
		} else {
			err = fwt__error(ctx, FWT_EFORMAT, "not a CoRIM: expected a tag (18, 98, 501, 506) or a CoMID map");
			goto out;
		}
		content = root;
		tag = 506;
	}
	switch (tag) {
	case 18:
	case 98:
		fwt__cb_free(root);
		root = NULL;
		err = parse_signed(&d, buf, len, opts, c->json);
		jset(&d, c->json, "signed", json_true());
		break;
	case 501:
		c->kind = FWT_CORIM_UNSIGNED;
		err = dec_corim_map(&d, content, c->json);
		jset(&d, c->json, "signed", json_false());
		break;
	case 506:
		c->kind = FWT_CORIM_COMID;
		c->comids = aalloc(c, sizeof(*c->comids));
		if (!c->comids) {
			err = fwt__enomem(ctx);
			break;
		}
		memset(c->comids, 0, sizeof(*c->comids));
		c->n_comids = 1;
		/* an untagged concise-mid-tag is the map; tagged, its bytes */
		err = content == root && !cbor_isa_tag(root) ? dec_comid_map(&d, content, c->comids, c->json)
		                                             : dec_comid(&d, content, c->comids, c->json);
		jset(&d, c->json, "signed", json_false());
		break;
	case 500:
	case 502:
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "legacy CoRIM tag %" PRIu64 " (the current draft uses 501, "
		                 "and COSE_Sign1 tag 18 when signed)", tag);
		break;
	case 571:
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "concise evidence (tag 571) is evidence, not a RIM");
		break;
	default:
		err = fwt__error(ctx, FWT_EFORMAT, "not a CoRIM: unexpected tag %" PRIu64
		                 " (expected 18, 98, 501 or 506)", tag);
	}
	if (!err && (d.oom || !c->json))
		err = fwt__enomem(ctx);
out:
	fwt__cb_free(root);
	if (err) {
		fwt_corim_free(c);
		return err;
	}
	*out = c;
	return FWT_OK;
}

fwt_corim_kind fwt_corim_get_kind(const fwt_corim *c) { return c->kind; }
const fwt_cose *fwt_corim_cose(const fwt_corim *c) { return c->cose; }
const fwt_corim_meta *fwt_corim_get_meta(const fwt_corim *c) { return c->has_meta ? &c->meta : NULL; }
const fwt_corim_id *fwt_corim_get_id(const fwt_corim *c) { return &c->id; }
const fwt_corim_id *fwt_corim_get_profile(const fwt_corim *c) { return &c->profile; }
const fwt_corim_validity *fwt_corim_rim_validity(const fwt_corim *c) { return &c->rim_validity; }
size_t fwt_corim_comid_count(const fwt_corim *c) { return c->n_comids; }
size_t fwt_corim_other_tag_count(const fwt_corim *c) { return c->n_other_tags; }
const char *fwt_corim_other(const fwt_corim *c) { return c->other; }

const fwt_comid *fwt_corim_comid(const fwt_corim *c, size_t i)
{
	return i < c->n_comids ? &c->comids[i] : NULL;
}

const fwt_corim_entity *fwt_corim_entities(const fwt_corim *c, size_t *n)
{
	*n = c->n_entities;
	return c->entities;
}

json_t *fwt_corim_to_json(const fwt_corim *c)
{
	return json_deep_copy(c->json);
}


/* ---- text ---- */

struct tbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void tadd(struct tbuf *t, const char *s, size_t n)
{
	if (t->oom || !n)
		return;
	if (t->cap - t->len <= n) {
		size_t cap = t->cap ? t->cap : 1024;
		char *np;
		while (cap - t->len <= n)
			cap *= 2;
		np = realloc(t->p, cap);
		if (!np) {
			t->oom = 1;
			return;
		}
		t->p = np;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void tf(struct tbuf *t, const char *fmt, ...) FWT_FMT(2, 3);
static void tf(struct tbuf *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		tadd(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* An untrusted string (valid UTF-8, checked by the CBOR layer): C0 and C1
 * controls and DEL as \xHH. */
static void ts(struct tbuf *t, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	char esc[8];

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)) {
			if (*p == 0xc2)
				p++;
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
			tadd(t, esc, 4);
		} else {
			tadd(t, (const char *)p, 1);
		}
	}
}

static void tid(struct tbuf *t, const fwt_corim_id *id)
{
	if (id->type == FWT_CORIM_ID_TEXT)
		tf(t, "'"), ts(t, id->text), tf(t, "'");
	else
		ts(t, id->text);
	if (id->type == FWT_CORIM_ID_BYTES || id->type == FWT_CORIM_ID_UEID)
		tf(t, " (%s)", id->type == FWT_CORIM_ID_BYTES ? "bytes" : "ueid");
}

static void tenv(struct tbuf *t, const fwt_corim_env *e)
{
	const char *sep = "";

	if (e->vendor)
		tf(t, "vendor '"), ts(t, e->vendor), tf(t, "'"), sep = ", ";
	if (e->model)
		tf(t, "%smodel '", sep), ts(t, e->model), tf(t, "'"), sep = ", ";
	if (e->class_id.type)
		tf(t, "%sclass-id ", sep), tid(t, &e->class_id), sep = ", ";
	if (e->has_layer)
		tf(t, "%slayer %" PRIu64, sep, e->layer), sep = ", ";
	if (e->has_index)
		tf(t, "%sindex %" PRIu64, sep, e->index), sep = ", ";
	if (e->instance.type)
		tf(t, "%sinstance ", sep), tid(t, &e->instance), sep = ", ";
	if (e->group.type)
		tf(t, "%sgroup ", sep), tid(t, &e->group), sep = ", ";
	if (e->other)
		tf(t, "%sother ", sep), ts(t, e->other);
	tf(t, ":\n");
}

static void trow(struct tbuf *t, const char *indent, const char *key, const char *what, const char *value)
{
	size_t kl = strlen(key);

	tf(t, "%s", indent);
	ts(t, key);
	tf(t, "%*s  %-8s ", (int)(kl < 36 ? 36 - kl : 0), "", what);
	ts(t, value);
	tf(t, "\n");
}

/* Bytes on a row: whole up to 64 bytes; longer ones cut after 32 with
 * their length and SHA-256, so that two values that differ past the cut
 * never read the same.  note (or NULL) follows in parentheses. */
#define TBYTES_WHOLE 64
#define TBYTES_CUT 32
static void tbytes(struct tbuf *t, fwt_ctx *ctx, const char *indent, const char *key, const char *what,
                   const unsigned char *p, size_t n, const char *note)
{
	char v[2 * TBYTES_WHOLE + 2 * FWT_DIGEST_MAX + 64];
	unsigned char h[FWT_DIGEST_MAX];
	size_t l;

	if (n == 0) {
		l = (size_t)snprintf(v, sizeof(v), "(0 bytes)");
	} else if (n <= TBYTES_WHOLE) {
		l = fwt_hex_encode(v, p, n);
	} else {
		if (fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, p, n, h) != FWT_OK) {
			t->oom = 1; /* only OpenSSL's allocations can fail here */
			return;
		}
		l = fwt_hex_encode(v, p, TBYTES_CUT);
		l += (size_t)snprintf(v + l, sizeof(v) - l, "... (%zu bytes, sha-256 ", n);
		l += fwt_hex_encode(v + l, h, 32);
		l += (size_t)snprintf(v + l, sizeof(v) - l, ")");
	}
	if (note)
		snprintf(v + l, sizeof(v) - l, " (%s)", note);
	trow(t, indent, key, what, v);
}

/* What a raw-value mask lets through, for its row. */
static void mask_note(const fwt_corim_measurement *m, char *out, size_t cap)
{
	size_t i, ones = 0, bits = 8 * m->mask_len;

	for (i = 0; i < m->mask_len; i++) {
		unsigned b = m->raw_mask[i];
		for (; b; b &= b - 1)
			ones++;
	}
	if (m->mask_len != m->raw_len)
		snprintf(out, cap, "%zu bytes for a %zu-byte value", m->mask_len, m->raw_len);
	else if (ones == bits)
		snprintf(out, cap, "every bit compared");
	else if (ones == 0)
		snprintf(out, cap, "no bit compared: any %zu-byte value matches", m->raw_len);
	else
		snprintf(out, cap, "%zu of %zu bits compared", ones, bits);
}

static void tclaims(struct tbuf *t, fwt_ctx *ctx, const char *indent, const fwt_corim_claims *cl)
{
	char buf[2 * FWT_DIGEST_MAX + 64], key[300];
	size_t i, k;

	tf(t, "%sKEY%33s  %-8s VALUE\n", indent, "", "ALG");
	for (i = 0; i < cl->n; i++) {
		const fwt_corim_measurement *m = &cl->m[i];
		if (m->key.type == FWT_CORIM_ID_TEXT)
			snprintf(key, sizeof(key), "'%s'", m->key.text);
		else
			snprintf(key, sizeof(key), "%s", m->key.type ? m->key.text : "-");
		for (k = 0; k < m->n_digests; k++) {
			char *hex = malloc(2 * m->digests[k].len + 1);
			if (!hex) {
				t->oom = 1;
				return;
			}
			fwt_hex_encode(hex, m->digests[k].value, m->digests[k].len);
			trow(t, indent, key, m->digests[k].alg_name, hex);
			free(hex);
			key[0] = '\0';
		}
		if (m->version) {
			snprintf(buf, sizeof(buf), "%s%s%s%s", m->version, m->version_scheme ? " (" : "",
			         m->version_scheme ? m->version_scheme : "", m->version_scheme ? ")" : "");
			trow(t, indent, key, "version", buf);
			key[0] = '\0';
		}
		if (m->has_svn) {
			snprintf(buf, sizeof(buf), "%s%" PRIu64, m->svn_min ? ">= " : "", m->svn);
			trow(t, indent, key, "svn", buf);
			key[0] = '\0';
		}
		if (m->raw_value) {
			tbytes(t, ctx, indent, key, "raw", m->raw_value, m->raw_len, NULL);
			key[0] = '\0';
			if (m->raw_mask) {
				mask_note(m, buf, sizeof(buf));
				tbytes(t, ctx, indent, key, "mask", m->raw_mask, m->mask_len, buf);
			}
		}
		if (m->flags_set) {
			size_t f, bl = 0;
			buf[0] = '\0';
			for (f = 0; f < FWT_ARRAY_LEN(flag_names); f++)
				if (m->flags_set & (1u << f))
					bl += (size_t)snprintf(buf + bl, sizeof(buf) - bl, "%s%s%s", bl ? " " : "",
					                       m->flags_true & (1u << f) ? "" : "!", flag_names[f] + 3);
			trow(t, indent, key, "flags", buf);
			key[0] = '\0';
		}
		if (m->name) {
			trow(t, indent, key, "name", m->name);
			key[0] = '\0';
		}
		if (m->serial_number) {
			trow(t, indent, key, "serial", m->serial_number);
			key[0] = '\0';
		}
		if (m->other)
			trow(t, indent, key, "other", m->other);
	}
}

fwt_err fwt_corim_to_text(const fwt_corim *c, char **out)
{
	struct tbuf t = { NULL, 0, 0, 0 };
	char t1[32], t2[32];
	size_t i, j, k;

	if (!c || !out)
		return c ? fwt__error(c->ctx, FWT_EINVAL, "bad arguments to fwt_corim_to_text") : FWT_EINVAL;
	*out = NULL;
	if (c->kind != FWT_CORIM_COMID) {
		tf(&t, "CoRIM ");
		tid(&t, &c->id);
		if (c->cose) {
			int64_t id;
			size_t kl;
			const unsigned char *kid = fwt_cose_kid(c->cose, 0, &kl);
			int st = fwt_cose_alg_id(c->cose, 0, &id);
			fwt_sig_alg a;
			tf(&t, " (signed: %s", c->kind == FWT_CORIM_SIGNED ? "COSE_Sign1" : "COSE_Sign");
			if (st == 1 && fwt_sig_alg_from_cose_id(id, &a) == FWT_OK)
				tf(&t, " %s", fwt_sig_alg_name(a));
			else
				tf(&t, " %s", st ? "with an unknown alg" : "without alg");
			if (kid) {
				/* a kid of printable ASCII as text, quoted (as sfr
				 * show prints it), any other in hex */
				char *hex = malloc(2 * kl + 1);
				size_t pr;
				for (pr = 0; pr < kl && kid[pr] >= 0x20 && kid[pr] < 0x7f; pr++)
					;
				if (hex && kl && pr == kl) {
					memcpy(hex, kid, kl);
					hex[kl] = '\0';
					tf(&t, ", kid '"), ts(&t, hex), tf(&t, "'");
				} else if (hex) {
					fwt_hex_encode(hex, kid, kl);
					tf(&t, ", kid "), ts(&t, hex);
				}
				free(hex);
			}
			tf(&t, ")\n");
		} else {
			tf(&t, " (unsigned)\n");
		}
		if (c->has_meta && c->meta.signer_name) {
			tf(&t, "  signer: "), ts(&t, c->meta.signer_name);
			if (c->meta.signer_uri)
				tf(&t, " <"), ts(&t, c->meta.signer_uri), tf(&t, ">");
			tf(&t, "\n");
		}
		if (c->has_meta && c->meta.validity.has_not_after) {
			fwt_time_format_rfc3339(c->meta.validity.not_before, t1);
			fwt_time_format_rfc3339(c->meta.validity.not_after, t2);
			tf(&t, "  signature validity: %s to %s\n", c->meta.validity.has_not_before ? t1 : "-", t2);
		}
		if (c->cwt_validity.has_not_before || c->cwt_validity.has_not_after) {
			fwt_time_format_rfc3339(c->cwt_validity.not_before, t1);
			fwt_time_format_rfc3339(c->cwt_validity.not_after, t2);
			tf(&t, "  CWT validity: %s to %s\n", c->cwt_validity.has_not_before ? t1 : "-",
			   c->cwt_validity.has_not_after ? t2 : "-");
		}
		if (c->rim_validity.has_not_after) {
			fwt_time_format_rfc3339(c->rim_validity.not_before, t1);
			fwt_time_format_rfc3339(c->rim_validity.not_after, t2);
			tf(&t, "  rim validity: %s to %s\n", c->rim_validity.has_not_before ? t1 : "-", t2);
		}
		if (c->profile.type)
			tf(&t, "  profile: "), tid(&t, &c->profile), tf(&t, "\n");
		for (i = 0; i < c->n_entities; i++)
			tf(&t, "  entity: "), ts(&t, c->entities[i].name), tf(&t, " ("), ts(&t, c->entities[i].roles),
			        tf(&t, ")\n");
		if (c->other)
			tf(&t, "  extensions: "), ts(&t, c->other), tf(&t, "\n");
		if (c->n_other_tags)
			tf(&t, "  %zu other tag%s (CoSWID, CoTL): see --json\n", c->n_other_tags,
			   c->n_other_tags == 1 ? "" : "s");
	}
	for (i = 0; i < c->n_comids; i++) {
		const fwt_comid *cm = &c->comids[i];
		tf(&t, "CoMID "), tid(&t, &cm->tag_id);
		tf(&t, " (version %" PRIu64, cm->tag_version);
		if (cm->language)
			tf(&t, ", "), ts(&t, cm->language);
		tf(&t, ")\n");
		for (j = 0; j < cm->n_entities; j++)
			tf(&t, "  entity: "), ts(&t, cm->entities[j].name), tf(&t, " ("), ts(&t, cm->entities[j].roles),
			        tf(&t, ")\n");
		for (j = 0; j < cm->n_triples; j++) {
			const fwt_corim_triple *tr = &cm->triples[j];
			if (tr->type != FWT_CORIM_TRIPLE_CONDITIONAL) {
				tf(&t, "  %s values for ", tr->type == FWT_CORIM_TRIPLE_REFERENCE ? "reference" : "endorsed");
				tenv(&t, &tr->claims[0].env);
				tclaims(&t, c->ctx, "    ", &tr->claims[0]);
				continue;
			}
			tf(&t, "  conditional endorsement:\n");
			for (k = 0; k < tr->n_conditions; k++) {
				tf(&t, "    if ");
				tenv(&t, &tr->conditions[k].env);
				tclaims(&t, c->ctx, "      ", &tr->conditions[k]);
			}
			for (k = 0; k < tr->n_claims; k++) {
				tf(&t, "    then endorse for ");
				tenv(&t, &tr->claims[k].env);
				tclaims(&t, c->ctx, "      ", &tr->claims[k]);
			}
		}
		if (cm->n_other_triples)
			tf(&t, "  %zu other triple%s (identity, attest-key, dependency, ...): see --json\n",
			   cm->n_other_triples, cm->n_other_triples == 1 ? "" : "s");
		if (cm->other)
			tf(&t, "  extensions: "), ts(&t, cm->other), tf(&t, "\n");
	}
	if (t.oom) {
		free(t.p);
		return fwt__enomem(c->ctx);
	}
	*out = t.p ? t.p : fwt__strndup("", 0);
	return *out ? FWT_OK : fwt__enomem(c->ctx);
}

/* ---- verification ---- */

json_t *fwt_corim_result_json(const fwt_corim_verify_result *r, int64_t now)
{
	json_t *j = json_object(), *v;
	char t[32];

	if (!j)
		return NULL;
	json_object_set_new(j, "signature", json_string(r->signature_ok        ? "valid"
	                                                : r->signature_checked ? "invalid"
	                                                                       : "not_checked"));
	if (!r->signature_ok)
		return j;
	json_object_set_new(j, "alg", json_string(fwt_sig_alg_name(r->cose.alg)));
	if (r->cose.key)
		json_object_set_new(j, "key", fwt__json_text(fwt_pubkey_name(r->cose.key)));
	v = json_object();
	json_object_set_new(v, "status", json_string(r->status == FWT_CORIM_TIME_EXPIRED ? "expired"
	                                             : r->status == FWT_CORIM_TIME_NOT_YET_VALID ? "not_yet_valid"
	                                                                                        : "valid"));
	if (r->window.has_not_before)
		fwt_time_format_rfc3339(r->window.not_before, t), json_object_set_new(v, "not_before", json_string(t));
	if (r->window.has_not_after)
		fwt_time_format_rfc3339(r->window.not_after, t), json_object_set_new(v, "not_after", json_string(t));
	fwt_time_format_rfc3339(now, t);
	json_object_set_new(v, "at", json_string(t));
	json_object_set_new(j, "validity", v);
	return j;
}

static void intersect(fwt_corim_validity *w, const fwt_corim_validity *v)
{
	if (v->has_not_before && (!w->has_not_before || v->not_before > w->not_before)) {
		w->has_not_before = 1;
		w->not_before = v->not_before;
	}
	if (v->has_not_after && (!w->has_not_after || v->not_after < w->not_after)) {
		w->has_not_after = 1;
		w->not_after = v->not_after;
	}
}

static void cwt_last_second(fwt_corim_validity *v)
{
	if (v->has_not_after && v->not_after > INT64_MIN)
		v->not_after--;
}

/* Every signed bound of c (corim-meta's signature-validity or the CWT
 * claims' nbf and exp, both when both are given, and the corim-map's
 * rim-validity) intersected into *w, and where at falls: both edges are
 * inside. */
static fwt_corim_time_status window_at(const fwt_corim *c, int64_t at, fwt_corim_validity *w)
{
	fwt_corim_validity m = c->meta.validity, cw = c->cwt_validity;

	memset(w, 0, sizeof(*w));
	/* a CWT is not accepted on or after its exp (RFC 8392 3.1.4): its last
	 * second is exp - 1, an inclusive bound like the others */
	if (c->meta.source && !strcmp(c->meta.source, "CWT claims"))
		cwt_last_second(&m);
	cwt_last_second(&cw);
	intersect(w, &m);
	intersect(w, &cw);
	intersect(w, &c->rim_validity);
	if (w->has_not_after && at > w->not_after)
		return FWT_CORIM_TIME_EXPIRED;
	if (w->has_not_before && at < w->not_before)
		return FWT_CORIM_TIME_NOT_YET_VALID;
	return FWT_CORIM_TIME_VALID;
}

/* FWT_EVERIFY naming the bound and both dates when st is not VALID. */
static fwt_err time_error(fwt_ctx *ctx, fwt_corim_time_status st, const fwt_corim_validity *w, int64_t at)
{
	char t1[32], t2[32];

	fwt_time_format_rfc3339(at, t2);
	if (st == FWT_CORIM_TIME_EXPIRED) {
		fwt_time_format_rfc3339(w->not_after, t1);
		return fwt__error(ctx, FWT_EVERIFY, "expired: valid until %s, checked at %s", t1, t2);
	}
	if (st == FWT_CORIM_TIME_NOT_YET_VALID) {
		fwt_time_format_rfc3339(w->not_before, t1);
		return fwt__error(ctx, FWT_EVERIFY, "not yet valid: valid from %s, checked at %s", t1, t2);
	}
	return FWT_OK;
}

fwt_err fwt_corim_check_validity(fwt_ctx *ctx, const fwt_corim *c, int64_t at, fwt_corim_validity *window,
                                 fwt_corim_time_status *status)
{
	fwt_corim_validity w;
	fwt_corim_time_status st;

	if (!c)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	st = window_at(c, at, &w);
	if (window)
		*window = w;
	if (status)
		*status = st;
	return time_error(ctx, st, &w, at);
}

fwt_err fwt_corim_verify(fwt_ctx *ctx, const fwt_corim *c, const fwt_trust *trust, int64_t now,
                         fwt_corim_verify_result *res)
{
	static const int64_t crit_known[] = { 8, 15 };
	fwt_cose_options co = FWT_COSE_OPTIONS_INIT;
	fwt_corim_verify_result r;
	const char *ct;
	size_t ctl;
	uint64_t num;
	fwt_err err;

	memset(&r, 0, sizeof(r));
	if (res)
		*res = r;
	if (!c || !trust)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	if (c->kind == FWT_CORIM_UNSIGNED || c->kind == FWT_CORIM_COMID)
		return fwt__error(ctx, FWT_EVERIFY, "not signed (an unsigned %s)",
		                  c->kind == FWT_CORIM_COMID ? "CoMID" : "CoRIM");
	if (c->kind == FWT_CORIM_COSE_SIGN)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "signed with COSE_Sign (tag 98): a signed CoRIM is a "
		                  "COSE_Sign1 (tag 18)");
	/* label 3 binds the signed bytes to "this is a RIM": only the protected
	 * header counts, since anyone can add or strip an unprotected one */
	if (fwt_cose_protected_content_type(c->cose, &ct, &ctl, &num) == 0 &&
	    fwt_cose_content_type(c->cose, &ct, &ctl, &num) != 0)
		return fwt__error(ctx, FWT_EFORMAT, "the content type is in the unprotected header: a signed CoRIM "
		                  "must carry %s in the protected header", FWT_CORIM_CONTENT_TYPE);
	if (fwt_cose_protected_content_type(c->cose, &ct, &ctl, &num) != 1 ||
	    ctl != strlen(FWT_CORIM_CONTENT_TYPE) || memcmp(ct, FWT_CORIM_CONTENT_TYPE, ctl))
		return fwt__error(ctx, FWT_EFORMAT, "the protected header's content type is not %s",
		                  FWT_CORIM_CONTENT_TYPE);
	if (!c->has_meta)
		return fwt__error(ctx, FWT_EFORMAT, "the protected header has neither corim-meta (8) nor CWT claims (15)");
	co.flags = FWT_COSE_STRICT; /* alg required: never inferred for a RIM */
	co.crit_known = crit_known;
	co.n_crit_known = FWT_ARRAY_LEN(crit_known);
	co.at = now; /* a trusted certificate must be valid then too */
	err = fwt_cose_verify_trust(ctx, c->cose, trust, &co, &r.cose);
	r.signature_ok = err == FWT_OK;
	/* checked: computed with a key at least once, right or wrong */
	r.signature_checked = err == FWT_OK || r.cose.computed > 0;
	r.status = window_at(c, now, &r.window);
	if (res)
		*res = r;
	if (err)
		return err;
	return time_error(ctx, r.status, &r.window, now);
}

/* ---- creation ---- */

static int parse_uuid(const char *s, unsigned char out[16])
{
	size_t i, k = 0;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
			continue;
		}
		if (fwt_hex_decode(out + k / 2, 1, s + i, 2, NULL) != FWT_OK)
			return 0;
		i++;
		k += 2;
	}
	return k == 32;
}

/* The base-128 digits (X.690 8.19) of the decimal arc at p (nd digits, no
 * leading zero) plus add, appended at out + *k (cap bytes in all).  Arcs
 * beyond 64 bits are allowed (2.25.<a UUID as an integer>, X.667); 0 when
 * the arc has more than 200 digits or out is full. */
static int arc_b128(const char *p, size_t nd, unsigned add, unsigned char *out, size_t cap, size_t *k)
{
	uint32_t v[22] = { 0 }; /* little-endian 32-bit limbs: 704 bits, 200 digits need 665 */
	size_t nl = 1, i, j, bits, groups;

	if (!nd || nd > 200)
		return 0;
	for (i = 0; i <= nd; i++) {
		uint64_t carry = i < nd ? (uint64_t)(p[i] - '0') : add;
		uint64_t mul = i < nd ? 10 : 1;
		for (j = 0; j < nl; j++) {
			uint64_t t = (uint64_t)v[j] * mul + carry;
			v[j] = (uint32_t)t;
			carry = t >> 32;
		}
		if (carry)
			v[nl++] = (uint32_t)carry;
	}
	while (nl > 1 && !v[nl - 1])
		nl--;
	for (bits = 32 * nl; bits > 1 && !(v[(bits - 1) / 32] >> ((bits - 1) % 32) & 1); bits--)
		;
	groups = (bits + 6) / 7;
	if (*k + groups > cap)
		return 0;
	for (i = groups; i-- > 0;) {
		unsigned g = 0, b;
		for (b = 0; b < 7; b++) {
			size_t bit = 7 * i + b;
			if (bit < 32 * nl && (v[bit / 32] >> (bit % 32) & 1))
				g |= 1u << b;
		}
		out[(*k)++] = (unsigned char)(g | (i ? 0x80 : 0));
	}
	return 1;
}

/* Dotted OID to DER content octets. */
static int parse_oid(const char *s, unsigned char *out, size_t cap, size_t *n)
{
	size_t na = 0, k = 0, nd;
	const char *p = s;
	unsigned top = 0;

	while (*p) {
		if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
			return 0;
		for (nd = 0; p[nd] >= '0' && p[nd] <= '9'; nd++)
			;
		if (na == 0) { /* 0, 1 or 2: one digit */
			if (nd != 1 || *p > '2')
				return 0;
			top = (unsigned)(*p - '0');
		} else if (na == 1 && top < 2 && (nd > 2 || (nd == 2 && (p[0] - '0') * 10 + (p[1] - '0') > 39))) {
			return 0;
		} else if (!arc_b128(p, nd, na == 1 ? 40 * top : 0, out, cap, &k)) {
			return 0;
		}
		na++;
		p += nd;
		if (*p == '.' && p[1])
			p++;
		else if (*p)
			return 0;
	}
	if (na < 2)
		return 0;
	*n = k;
	return 1;
}

/* s is well-formed UTF-8 (RFC 8949 3.1: a CBOR text string must be). */
static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;
	unsigned cp;

	while (n) {
		k = *p < 0x80 ? 1 : fwt_utf8_seq(p, n, &cp);
		if (!k)
			return 0;
		p += k;
		n -= k;
	}
	return 1;
}

/* The first of the named texts that is not UTF-8 (NULLs skipped), with
 * ctx's error set; FWT_OK when all are. */
static fwt_err texts_utf8(fwt_ctx *ctx, const char *const *v, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] && !utf8_ok(v[i]))
			return fwt__error(ctx, FWT_EINVAL, "the %s is not valid UTF-8 (a CBOR text string must be)",
			                  names[i]);
	return FWT_OK;
}

/* text, or a UUID as a 16-byte bstr */
static cbor_item_t *text_or_uuid(const char *s)
{
	unsigned char u[16];

	return parse_uuid(s, u) ? fwt__cb_bytes(u, 16) : fwt__cb_text(s, (size_t)-1);
}

/* A version 8 UUID (RFC 9562) from the SHA-256 of label || data. */
static fwt_err derived_uuid(fwt_ctx *ctx, const char *label, const unsigned char *data, size_t n,
                            unsigned char out[16])
{
	unsigned char md[32], *buf = malloc(strlen(label) + n + 1);
	fwt_err err;

	if (!buf)
		return fwt__enomem(ctx);
	memcpy(buf, label, strlen(label));
	if (n)
		memcpy(buf + strlen(label), data, n);
	err = fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, buf, strlen(label) + n, md);
	free(buf);
	if (err)
		return err;
	memcpy(out, md, 16);
	out[6] = (unsigned char)((out[6] & 0x0f) | 0x80);
	out[8] = (unsigned char)((out[8] & 0x3f) | 0x80);
	return FWT_OK;
}

static cbor_item_t *mkey_item(const char *k)
{
	unsigned char u[16];
	uint64_t v = 0;
	const char *p;

	if (parse_uuid(k, u))
		return fwt__cb_tag(37, fwt__cb_bytes(u, 16));
	for (p = k; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			break;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (!*p && p != k && (k[0] != '0' || !k[1]))
		return fwt__cb_uint(v);
	return fwt__cb_text(k, (size_t)-1);
}

static int64_t digest_id(fwt_digest_alg a, int cose)
{
	switch (a) {
	case FWT_DIGEST_SHA256: return cose ? -16 : 1;
	case FWT_DIGEST_SHA384: return cose ? -43 : 7;
	case FWT_DIGEST_SHA512: return cose ? -44 : 8;
	default: return 0;
	}
}

/* A measurement key as mkey_item writes it: a UUID in either letter case
 * is its 16 bytes; an index or a label is its text, which is written as
 * given ("01" is a label, not index 1). */
struct key_at {
	const char *key;
	size_t i;
	int is_uuid;
	unsigned char uuid[16];
};

static int key_cmp(const struct key_at *p, const struct key_at *q)
{
	if (p->is_uuid != q->is_uuid)
		return p->is_uuid ? -1 : 1;
	return p->is_uuid ? memcmp(p->uuid, q->uuid, 16) : strcmp(p->key, q->key);
}

static int key_at_cmp(const void *x, const void *y)
{
	const struct key_at *p = x, *q = y;
	int c = key_cmp(p, q);

	return c ? c : p->i < q->i ? -1 : p->i > q->i;
}

/* The first measurement whose key an earlier one has too, counting the
 * refvals first, then the raw values (nr + j for raw[j]); SIZE_MAX: none
 * (keys NULL or empty are refused elsewhere).  Sorted once, not compared
 * pairwise, since a RIM may list many. */
static fwt_err first_repeated_key(fwt_ctx *ctx, const fwt_corim_refval *rv, size_t nr, const fwt_corim_rawval *raw,
                                  size_t nw, size_t *at)
{
	struct key_at *k;
	size_t i, m = 0;

	*at = SIZE_MAX;
	if (nr > SIZE_MAX / sizeof(*k) - 1 || nw > SIZE_MAX / sizeof(*k) - 1 - nr)
		return fwt__enomem(ctx);
	if (!(k = malloc((nr + nw + 1) * sizeof(*k))))
		return fwt__enomem(ctx);
	for (i = 0; i < nr + nw; i++) {
		const char *key = i < nr ? rv[i].key : raw[i - nr].key;
		if (key && *key) {
			k[m].key = key;
			k[m].i = i;
			k[m].is_uuid = parse_uuid(key, k[m].uuid);
			m++;
		}
	}
	qsort(k, m, sizeof(*k), key_at_cmp);
	for (i = 1; i < m; i++)
		if (!key_cmp(&k[i - 1], &k[i]) && k[i].i < *at)
			*at = k[i].i;
	free(k);
	return FWT_OK;
}

/* A measurement key: present, not empty, UTF-8, and not one given before. */
static fwt_err check_key(fwt_ctx *ctx, const char *key, int repeated)
{
	if (!key || !*key)
		return fwt__error(ctx, FWT_EINVAL, "a measurement key is empty");
	if (!utf8_ok(key))
		return fwt__error(ctx, FWT_EINVAL, "a measurement key is not valid UTF-8 (a CBOR text string must be)");
	if (repeated)
		return fwt__error(ctx, FWT_EINVAL, "measurement key '%s' given twice", key);
	return FWT_OK;
}

fwt_err fwt_corim_create(fwt_ctx *ctx, const fwt_corim_create_options *o, unsigned char **out, size_t *len)
{
	cbor_item_t *cls = NULL, *env = NULL, *list = NULL, *triple = NULL, *refs = NULL, *triples = NULL;
	cbor_item_t *comid = NULL, *ident = NULL, *tags = NULL, *corim = NULL, *root = NULL;
	unsigned char *tbytes = NULL, *cbytes = NULL, u[16], oid[256];
	size_t tlen = 0, clen = 0, i, k, j, on, repeated, nw = 0;
	const fwt_corim_rawval *raw = NULL;
	fwt_err err = FWT_OK;
	unsigned ver = FWT_CORIM_CREATE_OPTIONS_VERSION;
	int ok = 1;

	if (out)
		*out = NULL;
	if (o && (err = fwt__opts_version(ctx, "CoRIM create", o->version, FWT_CORIM_CREATE_OPTIONS_VERSION, &ver)))
		return err;
	if (o && ver >= 2) { /* a version-1 struct ends at n_refvals */
		raw = o->rawvals;
		nw = o->n_rawvals;
	}
	if (!o || !out || !len || (!o->n_refvals && !nw))
		return fwt__error(ctx, FWT_EINVAL, "no reference values");
	if (o->n_refvals && !o->refvals)
		return fwt__error(ctx, FWT_EINVAL, "refvals is NULL but n_refvals is %zu", o->n_refvals);
	if (nw && !raw)
		return fwt__error(ctx, FWT_EINVAL, "rawvals is NULL but n_rawvals is %zu", nw);
	if (!o->vendor && !o->model && !o->class_id)
		return fwt__error(ctx, FWT_EINVAL, "an environment needs a vendor, a model or a class-id");
	{
		const char *const v[] = { o->vendor, o->model, o->class_id, o->tag_id, o->corim_id };
		static const char *const names[] = { "vendor", "model", "class-id", "tag-id", "CoRIM id" };
		if ((err = texts_utf8(ctx, v, names, 5)))
			return err;
	}
	if (o->tag_id && !*o->tag_id)
		return fwt__error(ctx, FWT_EINVAL, "the tag-id is empty");
	if ((err = first_repeated_key(ctx, o->refvals, o->n_refvals, raw, nw, &repeated)))
		return err;
	for (i = 0; i < o->n_refvals; i++) {
		const fwt_corim_refval *r = &o->refvals[i];
		if ((err = check_key(ctx, r->key, i == repeated)))
			return err;
		if (!r->n_digests || r->n_digests > FWT_CORIM_MAX_DIGESTS)
			return fwt__error(ctx, FWT_EINVAL, "measurement '%s' has no digest", r->key);
		for (k = 0; k < r->n_digests; k++) {
			if (!digest_id(r->digests[k].alg, 0))
				return fwt__error(ctx, FWT_EINVAL, "measurement '%s': only sha256, sha384 and sha512 digests",
				                  r->key);
			for (j = 0; j < k; j++)
				if (r->digests[j].alg == r->digests[k].alg)
					return fwt__error(ctx, FWT_EINVAL, "measurement '%s': %s given twice", r->key,
					                  fwt_digest_name(r->digests[k].alg));
		}
	}
	for (i = 0; i < nw; i++) {
		if ((err = check_key(ctx, raw[i].key, o->n_refvals + i == repeated)))
			return err;
		if (!raw[i].value && raw[i].len)
			return fwt__error(ctx, FWT_EINVAL, "measurement '%s': the raw value is NULL but its length is %zu",
			                  raw[i].key, raw[i].len);
		if (raw[i].len > FWT_CORIM_MAX_RAW_VALUE)
			return fwt__error(ctx, FWT_EINVAL, "measurement '%s': a raw value of %zu bytes, more than the %u "
			                  "allowed", raw[i].key, raw[i].len, (unsigned)FWT_CORIM_MAX_RAW_VALUE);
	}
	/* environment: {0: {0: class-id, 1: vendor, 2: model}} */
	cls = fwt__cb_map();
	if (o->class_id) {
		if (parse_uuid(o->class_id, u))
			ok = fwt__cb_puti(cls, 0, fwt__cb_tag(37, fwt__cb_bytes(u, 16)));
		else if (parse_oid(o->class_id, oid, sizeof(oid), &on))
			ok = fwt__cb_puti(cls, 0, fwt__cb_tag(111, fwt__cb_bytes(oid, on)));
		else {
			err = fwt__error(ctx, FWT_EINVAL, "class-id '%s' is neither a UUID nor a dotted OID", o->class_id);
			goto out;
		}
	}
	if (o->vendor)
		ok = ok && fwt__cb_puti(cls, 1, fwt__cb_text(o->vendor, (size_t)-1));
	if (o->model)
		ok = ok && fwt__cb_puti(cls, 2, fwt__cb_text(o->model, (size_t)-1));
	env = fwt__cb_map();
	ok = ok && fwt__cb_puti(env, 0, cls);
	cls = NULL;
	/* measurements: {0: mkey, 1: {2: [[alg, digest], ...]}}, digests by algorithm */
	list = fwt__cb_array();
	for (i = 0; ok && i < o->n_refvals; i++) {
		const fwt_corim_refval *r = &o->refvals[i];
		static const fwt_digest_alg order[] = { FWT_DIGEST_SHA256, FWT_DIGEST_SHA384, FWT_DIGEST_SHA512 };
		cbor_item_t *mm = fwt__cb_map(), *mv = fwt__cb_map(), *dl = fwt__cb_array();
		for (j = 0; j < FWT_ARRAY_LEN(order); j++)
			for (k = 0; k < r->n_digests; k++)
				if (r->digests[k].alg == order[j]) {
					cbor_item_t *dg = fwt__cb_array();
					ok = ok && fwt__cb_push(dg, fwt__cb_int(digest_id(order[j], o->cose_digest_ids))) &&
					     fwt__cb_push(dg, fwt__cb_bytes(r->digests[k].value, fwt_digest_size(order[j])));
					ok = fwt__cb_push(dl, dg) && ok;
				}
		ok = fwt__cb_puti(mv, 2, dl) && ok;
		ok = fwt__cb_puti(mm, 0, mkey_item(r->key)) && ok;
		ok = fwt__cb_puti(mm, 1, mv) && ok;
		ok = fwt__cb_push(list, mm) && ok;
	}
	/* raw values after them: {0: mkey, 1: {4: 560(bytes)}} */
	for (i = 0; ok && i < nw; i++) {
		cbor_item_t *mm = fwt__cb_map(), *mv = fwt__cb_map();
		ok = fwt__cb_puti(mv, 4, fwt__cb_tag(560, fwt__cb_bytes(raw[i].value, raw[i].len)));
		ok = fwt__cb_puti(mm, 0, mkey_item(raw[i].key)) && ok;
		ok = fwt__cb_puti(mm, 1, mv) && ok;
		ok = fwt__cb_push(list, mm) && ok;
	}
	triple = fwt__cb_array();
	ok = ok && fwt__cb_push(triple, env);
	env = NULL;
	ok = ok && fwt__cb_push(triple, list);
	list = NULL;
	refs = fwt__cb_array();
	ok = ok && fwt__cb_push(refs, triple);
	triple = NULL;
	triples = fwt__cb_map();
	ok = ok && fwt__cb_puti(triples, 0, refs);
	refs = NULL;
	if (!ok) {
		err = fwt__enomem(ctx);
		goto out;
	}
	/* the CoMID: {1: {0: tag-id}, 4: triples} */
	err = fwt__cbor_encode_alloc(ctx, triples, &tbytes, &tlen);
	if (err)
		goto out;
	ident = fwt__cb_map();
	if (o->tag_id) {
		ok = fwt__cb_puti(ident, 0, text_or_uuid(o->tag_id));
	} else {
		err = derived_uuid(ctx, "fwtrail CoMID tag-id\n", tbytes, tlen, u);
		ok = !err && fwt__cb_puti(ident, 0, fwt__cb_bytes(u, 16));
	}
	comid = fwt__cb_map();
	ok = ok && fwt__cb_puti(comid, 1, ident) && fwt__cb_puti(comid, 4, triples);
	ident = triples = NULL;
	if (err || !ok) {
		err = err ? err : fwt__enomem(ctx);
		goto out;
	}
	err = fwt__cbor_encode_alloc(ctx, comid, &cbytes, &clen);
	if (err)
		goto out;
	/* the CoRIM: 501({0: id, 1: [506(<<comid>>)]}) */
	corim = fwt__cb_map();
	if (o->corim_id) {
		ok = fwt__cb_puti(corim, 0, text_or_uuid(o->corim_id));
	} else {
		err = derived_uuid(ctx, "fwtrail CoRIM id\n", cbytes, clen, u);
		ok = !err && fwt__cb_puti(corim, 0, fwt__cb_bytes(u, 16));
	}
	tags = fwt__cb_array();
	ok = ok && fwt__cb_push(tags, fwt__cb_tag(506, fwt__cb_bytes(cbytes, clen)));
	ok = ok && fwt__cb_puti(corim, 1, tags);
	tags = NULL;
	root = fwt__cb_tag(501, corim);
	corim = NULL;
	if (err || !ok || !root) {
		err = err ? err : fwt__enomem(ctx);
		goto out;
	}
	err = fwt__cbor_encode_alloc(ctx, root, out, len);
	if (!err) {
		/* what is made must be what readers take: fwtrail's own limits
		 * (items, nesting, size) apply to it as to any CoRIM */
		fwt_corim *chk = NULL;
		err = fwt_corim_parse(ctx, &chk, *out, *len, NULL);
		fwt_corim_free(chk);
		if (err) {
			char why[512];
			free(*out);
			*out = NULL;
			*len = 0;
			snprintf(why, sizeof(why), "%s", fwt_ctx_errmsg(ctx));
			if (err != FWT_ENOMEM)
				err = fwt__error(ctx, FWT_EINVAL, "the CoRIM made would not be read back (%s)", why);
		}
	}
out:
	fwt__cb_free(cls);
	fwt__cb_free(env);
	fwt__cb_free(list);
	fwt__cb_free(triple);
	fwt__cb_free(refs);
	fwt__cb_free(triples);
	fwt__cb_free(ident);
	fwt__cb_free(comid);
	fwt__cb_free(tags);
	fwt__cb_free(corim);
	fwt__cb_free(root);
	free(tbytes);
	free(cbytes);
	return err;
}

/* ---- signing ---- */

fwt_err fwt_corim_sign(fwt_ctx *ctx, fwt_key *key, const void *buf, size_t len,
                       const fwt_corim_sign_options *o, unsigned char **out, size_t *outlen)
{
	fwt_cose_sign1_options so = FWT_COSE_SIGN1_OPTIONS_INIT;
	fwt_cose_param meta;
	struct fwt__enc mb = { NULL, 0, 0, 0 };
	cbor_item_t *m = NULL, *signer = NULL, *val = NULL;
	unsigned char *enc = NULL;
	size_t elen = 0;
	const char *name = o ? o->signer_name : NULL;
	fwt_corim *c = NULL;
	fwt_err err;
	int ok;

	if (!key || !out || !outlen)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if (o && o->version > FWT_CORIM_SIGN_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "CoRIM signing", o->version, FWT_CORIM_SIGN_OPTIONS_VERSION);
	if (o) {
		const char *const v[] = { o->signer_name, o->signer_uri };
		static const char *const names[] = { "signer name", "signer URI" };
		if ((err = texts_utf8(ctx, v, names, 2)))
			return err;
	}
	err = fwt_corim_parse(ctx, &c, buf, len, NULL);
	if (err)
		return err;
	/* the payload is the CoRIM the parse read, without a self-described
	 * tag before it (the payload of a signed CoRIM is a tag-501 item) */
	if (buf) {
		size_t h = self_described(buf, len);
		buf = (const unsigned char *)buf + h;
		len -= h;
	}
	if (c->kind != FWT_CORIM_UNSIGNED) { /* well formed, of another kind: as for a SWID tag */
		fwt_corim_kind kind = c->kind;
		fwt_corim_free(c);
		if (kind == FWT_CORIM_COMID)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "a CoMID on its own, not a CoRIM: only an unsigned CoRIM "
			                  "(tag 501) can be signed; put the CoMID in one first");
		return fwt__error(ctx, FWT_EUNSUPPORTED, "already signed (%s): only an unsigned CoRIM (tag 501) can be "
		                  "signed; sign the unsigned CoRIM it was made from",
		                  kind == FWT_CORIM_COSE_SIGN ? "COSE_Sign" : "COSE_Sign1");
	}
	fwt_corim_free(c);
	if (!name)
		name = fwt_pubkey_cert_subject(fwt_key_pubkey(key));
	if (!name || !*name)
		return fwt__error(ctx, FWT_EINVAL, "no signer name: the key '%s' has no certificate to take it from",
		                  fwt_key_name(key));
	if (o && o->has_not_before && o->has_not_after && o->not_before > o->not_after)
		return fwt__error(ctx, FWT_EINVAL, "not-before is after not-after");
	/* corim-meta: {0: {0: signer-name, 1: 32(signer-uri)}, 1: {0: 1(nb), 1: 1(na)}} */
	signer = fwt__cb_map();
	ok = fwt__cb_puti(signer, 0, fwt__cb_text(name, (size_t)-1));
	if (o && o->signer_uri)
		ok = ok && fwt__cb_puti(signer, 1, fwt__cb_tag(32, fwt__cb_text(o->signer_uri, (size_t)-1)));
	m = fwt__cb_map();
	ok = ok && fwt__cb_puti(m, 0, signer);
	signer = NULL;
	if (ok && o && o->has_not_after) {
		val = fwt__cb_map();
		if (o->has_not_before)
			ok = fwt__cb_puti(val, 0, fwt__cb_tag(1, fwt__cb_int(o->not_before)));
		ok = ok && fwt__cb_puti(val, 1, fwt__cb_tag(1, fwt__cb_int(o->not_after)));
		ok = ok && fwt__cb_puti(m, 1, val);
		val = NULL;
	}
	if (!ok) {
		err = fwt__enomem(ctx);
		goto out;
	}
	err = fwt__cbor_encode_alloc(ctx, m, &enc, &elen);
	if (err)
		goto out;
	fwt__enc_bytes(&mb, enc, elen); /* corim-meta is bstr .cbor corim-meta-map */
	if (mb.oom) {
		err = fwt__enomem(ctx);
		goto out;
	}
	meta.label = 8;
	meta.value = mb.p;
	meta.len = mb.len;
	so.content_type = FWT_CORIM_CONTENT_TYPE;
	so.kid = o ? o->kid : NULL;
	so.kid_len = o && o->kid ? o->kid_len : 0;
	so.params = &meta;
	so.n_params = 1;
	err = fwt_cose_sign1_create(ctx, key, buf, len, &so, out, outlen);
out:
	fwt__cb_free(signer);
	fwt__cb_free(val);
	fwt__cb_free(m);
	free(enc);
	fwt__enc_free(&mb);
	return err;
}
