/* SPDX-License-Identifier: Apache-2.0 */
/* jws.c - JWS compact serialisation under the OCP SAFE SFR profile: strict
 * framing, a header allow-list, the algorithm bound to the trusted key, and
 * signatures checked only through fwt_sig_verify. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <fwtrail/hex.h>
#include <fwtrail/json.h>
#include <fwtrail/jws.h>
#include "internal.h"
#include "sig_internal.h"
#include "banned.h"

struct fwt_jws {
	fwt_sig_alg alg;
	char *kid;
	size_t kidlen;
	char *typ;
	char *header;           /* decoded protected header (JSON text) */
	unsigned char *payload; /* decoded, NUL-terminated */
	size_t plen;
	unsigned char *sig;
	size_t siglen;
	char *input;            /* the signing input: ASCII "header.payload" */
	size_t inlen;
};

void fwt_jws_free(fwt_jws *j)
{
	if (!j)
		return;
	free(j->kid);
	free(j->typ);
	free(j->header);
	free(j->payload);
	free(j->sig);
	free(j->input);
	free(j);
}

fwt_sig_alg fwt_jws_alg(const fwt_jws *j) { return j ? j->alg : FWT_SIG_NONE; }
const char *fwt_jws_typ(const fwt_jws *j) { return j ? j->typ : NULL; }
const char *fwt_jws_header_json(const fwt_jws *j) { return j ? j->header : NULL; }

const char *fwt_jws_kid(const fwt_jws *j, size_t *len)
{
	if (len)
		*len = j ? j->kidlen : 0;
	return j ? j->kid : NULL;
}

const unsigned char *fwt_jws_payload(const fwt_jws *j, size_t *len)
{
	if (len)
		*len = j ? j->plen : 0;
	return j ? j->payload : NULL;
}

static int profile_alg(fwt_sig_alg a)
{
	return a == FWT_SIG_ES384 || a == FWT_SIG_ES512 || a == FWT_SIG_PS384 || a == FWT_SIG_PS512;
}

/* Decode one base64url segment into a new buffer (NUL-terminated). */
static fwt_err segment(fwt_ctx *ctx, const char *what, const char *s, size_t n, size_t cap, unsigned char **out,
                       size_t *outlen)
{
	unsigned char *b;

	if (!n)
		return fwt__error(ctx, FWT_EFORMAT, "JWS %s is empty%s", what,
		                  !strcmp(what, "payload") ? " (detached content is not accepted)" : "");
	if (n / 4 * 3 > cap + 3)
		return fwt__error(ctx, FWT_EFORMAT, "JWS %s is larger than %zu bytes", what, cap);
	b = malloc(n / 4 * 3 + 4);
	if (!b)
		return fwt__enomem(ctx);
	if (fwt_b64url_decode(b, n / 4 * 3 + 3, s, n, outlen) != FWT_OK) {
		free(b);
		return fwt__error(ctx, FWT_EFORMAT, "JWS %s is not strict base64url (RFC 7515 section 2)", what);
	}
	if (*outlen > cap) {
		free(b);
		return fwt__error(ctx, FWT_EFORMAT, "JWS %s is larger than %zu bytes", what, cap);
	}
	b[*outlen] = '\0';
	*out = b;
	return FWT_OK;
}

/* The context's message again with every byte outside printable ASCII
 * escaped (\xNN): a JSON parser's error quotes the header's bytes near
 * the error as they are, and an invisible one (a byte order mark, a
 * zero-width space) would reach a terminal raw. */
static fwt_err escaped_error(fwt_ctx *ctx, fwt_err err)
{
	char msg[1024], q[1024];
	const char *m = fwt_ctx_errmsg(ctx);
	size_t i;

	for (i = 0; m[i]; i++)
		if ((unsigned char)m[i] < 0x20 || (unsigned char)m[i] >= 0x7f)
			break;
	if (!m[i])
		return err;
	snprintf(msg, sizeof(msg), "%s", m);
	fwt__quote(q, sizeof(q), msg, strlen(msg));
	return fwt__error(ctx, err, "%s", q);
}

static fwt_err check_header(fwt_ctx *ctx, fwt_jws *j, json_t *h)
{
	static const char *const key_members[] = { "jwk", "jku", "x5c", "x5u", "x5t", "x5t#S256" };
	json_t *alg = json_object_get(h, "alg"), *kid = json_object_get(h, "kid"), *typ, *v;
	const char *name;
	char q[64 * 4 + 8];
	size_t i;

	if (!alg)
		return fwt__error(ctx, FWT_EFORMAT, "JWS header has no 'alg'");
	if (!json_is_string(alg))
		return fwt__error(ctx, FWT_EFORMAT, "JWS header 'alg' is not a string (%s)", fwt_json_type_name(alg));
	fwt__quote(q, sizeof(q), json_string_value(alg), json_string_length(alg));
	if (fwt_sig_alg_from_name(json_string_value(alg), json_string_length(alg), &j->alg) != FWT_OK ||
	    !profile_alg(j->alg))
		return fwt__error(ctx, FWT_EVERIFY,
		                  "JWS algorithm '%s' is not allowed (the SFR profile accepts ES384, ES512, PS384, PS512)", q);
	if (json_object_get(h, "crit"))
		return fwt__error(ctx, FWT_EVERIFY, "JWS header has 'crit': the SFR profile understands no extension");
	if (json_object_get(h, "b64"))
		return fwt__error(ctx, FWT_EVERIFY, "JWS header has 'b64' (RFC 7797): not accepted for SFRs");
	for (i = 0; i < FWT_ARRAY_LEN(key_members); i++)
		if (json_object_get(h, key_members[i]))
			return fwt__error(ctx, FWT_EVERIFY,
			                  "JWS header carries '%s': keys come only from the trust store, never from the token",
			                  key_members[i]);
	if (!kid)
		return fwt__error(ctx, FWT_EFORMAT, "JWS header has no 'kid'");
	if (!json_is_string(kid))
		return fwt__error(ctx, FWT_EFORMAT, "JWS header 'kid' is not a string (%s)", fwt_json_type_name(kid));
	if (!json_string_length(kid))
		return fwt__error(ctx, FWT_EFORMAT, "JWS header 'kid' is empty");
	if (json_string_length(kid) > FWT_JWS_KID_MAX)
		return fwt__error(ctx, FWT_EFORMAT, "JWS header 'kid' is longer than %d bytes", FWT_JWS_KID_MAX);
	typ = json_object_get(h, "typ");
	if (typ) {
		if (!json_is_string(typ))
			return fwt__error(ctx, FWT_EFORMAT, "JWS header 'typ' is not a string");
		if (json_string_length(typ) != 3 || strcasecmp(json_string_value(typ), "JWT")) {
			fwt__quote(q, sizeof(q), json_string_value(typ), json_string_length(typ));
			return fwt__error(ctx, FWT_EVERIFY, "JWS header 'typ' is '%s', not JWT", q);
		}
		j->typ = fwt__strndup(json_string_value(typ), 3);
		if (!j->typ)
			return fwt__enomem(ctx);
	}
	json_object_foreach(h, name, v) {
		if (strcmp(name, "alg") && strcmp(name, "kid") && strcmp(name, "typ")) {
			fwt__quote(q, sizeof(q), name, strlen(name));
			return fwt__error(ctx, FWT_EVERIFY, "JWS header member '%s' is not part of the SFR profile", q);
		}
	}
	j->kidlen = json_string_length(kid);
	j->kid = fwt__strndup(json_string_value(kid), j->kidlen);
	return j->kid ? FWT_OK : fwt__enomem(ctx);
}

fwt_err fwt_jws_parse(fwt_ctx *ctx, fwt_jws **out, const void *buf, size_t len, const fwt_jws_options *opts)
{
	fwt_jws_options defaults = FWT_JWS_OPTIONS_INIT;
	fwt_json_options jo = FWT_JSON_OPTIONS_INIT;
	const char *p = buf, *d1 = NULL, *d2 = NULL;
	size_t i, dots = 0, cap, hlen;
	unsigned char *hdr = NULL;
	json_t *h = NULL;
	fwt_jws *j;
	fwt_err err;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to JWS parsing");
	*out = NULL;
	if (opts && opts->version > FWT_JWS_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "JWS", opts->version, FWT_JWS_OPTIONS_VERSION);
	if (!opts)
		opts = &defaults;
	cap = opts->max_size ? opts->max_size : FWT_JWS_MAX_SIZE_DEFAULT;
	if (len > cap)
		return fwt__error(ctx, FWT_EFORMAT, "JWS is larger than %zu bytes", cap);
	if (len && p[len - 1] == '\n') {
		len--;
		if (len && p[len - 1] == '\r')
			len--;
	}
	if (!len)
		return fwt__error(ctx, FWT_EFORMAT, "JWS is empty");
	if (p[0] == '{')
		return fwt__error(ctx, FWT_EFORMAT, "the JWS JSON serialization is not accepted: use the compact form");
	/* count every dot before splitting anything */
	for (i = 0; i < len; i++) {
		if (p[i] == '.') {
			if (++dots == 1)
				d1 = p + i;
			else if (dots == 2)
				d2 = p + i;
		}
	}
	if (dots != 2)
		return fwt__error(ctx, FWT_EFORMAT, "a compact JWS has three parts separated by two dots, not %zu dot%s",
		                  dots, dots == 1 ? "" : "s");
	j = calloc(1, sizeof(*j));
	if (!j)
		return fwt__enomem(ctx);
	err = segment(ctx, "header", p, (size_t)(d1 - p), FWT_JWS_HEADER_MAX, &hdr, &hlen);
	if (!err)
		err = segment(ctx, "payload", d1 + 1, (size_t)(d2 - d1 - 1), cap, &j->payload, &j->plen);
	if (!err)
		err = segment(ctx, "signature", d2 + 1, (size_t)(p + len - d2 - 1), FWT_SIG_MAX * 2, &j->sig,
		              &j->siglen);
	if (err)
		goto fail;
	j->header = (char *)hdr;
	jo.max_size = FWT_JWS_HEADER_MAX;
	jo.max_depth = 8;
	if (hlen >= 3 && !memcmp(hdr, "\xef\xbb\xbf", 3)) {
		err = fwt__error(ctx, FWT_EFORMAT, "'JWS header' starts with a byte order mark (U+FEFF, bytes ef bb bf), "
		                 "which a JSON text may not (RFC 8259 8.1)");
		goto fail;
	}
	err = fwt_json_parse(ctx, &h, hdr, hlen, "JWS header", &jo);
	if (err == FWT_EFORMAT)
		err = escaped_error(ctx, err);
	if (!err)
		err = check_header(ctx, j, h);
	json_decref(h);
	if (err)
		goto fail;
	j->inlen = (size_t)(d2 - p);
	j->input = fwt__strndup(p, j->inlen);
	if (!j->input) {
		err = fwt__enomem(ctx);
		goto fail;
	}
	*out = j;
	return FWT_OK;
fail:
	if (!j->header)
		free(hdr);
	fwt_jws_free(j);
	return err;
}

/* Does alg fit k under the profile?  Fills why (for messages) when not. */
static int key_fits(fwt_sig_alg alg, const fwt_pubkey *k, const fwt_jws_options *opts, const char **why)
{
	fwt_key_type t = fwt_pubkey_type(k);
	unsigned bits = fwt_pubkey_bits(k);
	int any = opts && opts->any_rsa_size;

	switch (alg) {
	case FWT_SIG_ES384:
		*why = "a P-384 key";
		return t == FWT_KEY_EC_P384;
	case FWT_SIG_ES512:
		*why = "a P-521 key";
		return t == FWT_KEY_EC_P521;
	case FWT_SIG_PS384:
		*why = any ? "an RSA key of 2048 bits or more" : "an RSA-3072 key";
		return t == FWT_KEY_RSA && (any ? bits >= 2048 : bits == 3072);
	case FWT_SIG_PS512:
		*why = any ? "an RSA key of 2048 bits or more" : "an RSA-4096 key";
		return t == FWT_KEY_RSA && (any ? bits >= 2048 : bits == 4096);
	default:
		*why = "an algorithm of the SFR profile";
		return 0;
	}
}

fwt_err fwt_jws_check_key(fwt_ctx *ctx, fwt_sig_alg alg, const fwt_pubkey *k, const fwt_jws_options *opts)
{
	const char *why;

	if (!k)
		return fwt__error(ctx, FWT_EINVAL, "no key given");
	if (opts && opts->version > FWT_JWS_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "JWS", opts->version, FWT_JWS_OPTIONS_VERSION);
	if (!key_fits(alg, k, opts, &why))
		return fwt__error(ctx, FWT_EVERIFY, "%s needs %s; key '%s' is %s",
		                  fwt_sig_alg_name(alg) ? fwt_sig_alg_name(alg) : "this algorithm", why, fwt_pubkey_name(k),
		                  fwt_pubkey_describe(k));
	return FWT_OK;
}

fwt_err fwt_jws_verify(fwt_ctx *ctx, const fwt_jws *j, const fwt_pubkey *k, const fwt_jws_options *opts)
{
	fwt_err err;

	if (!j || !k)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to JWS verification");
	err = fwt_jws_check_key(ctx, j->alg, k, opts);
	if (err)
		return err;
	return fwt_sig_verify(ctx, k, j->alg, FWT_SIG_RAW, j->input, j->inlen, j->sig, j->siglen);
}

/* How many words of the kid (3+ letters or digits) the key's file name
 * holds: only used to try likely keys first. */
static unsigned kid_score(const char *kid, size_t kidlen, const char *name)
{
	char low[512], word[64];
	size_t n = strlen(name), i, w = 0;
	unsigned score = 0;

	if (n >= sizeof(low))
		name += n - (sizeof(low) - 1), n = sizeof(low) - 1;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[n] = '\0';
	for (i = 0; i <= kidlen && i < 4096; i++) {
		unsigned char c = i < kidlen ? (unsigned char)kid[i] : 0;
		if (isalnum(c) && c < 0x80) {
			if (w < sizeof(word) - 1)
				word[w++] = (char)tolower(c);
			continue;
		}
		if (w >= 3) {
			word[w] = '\0';
			if (strstr(low, word))
				score++;
		}
		w = 0;
	}
	return score;
}

struct cand {
	const fwt_pubkey *k;
	unsigned score;
	size_t order;
	unsigned char fp[32];
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

fwt_err fwt_jws_verify_trust(fwt_ctx *ctx, const fwt_jws *j, const fwt_trust *t, const fwt_jws_options *opts,
                             const fwt_pubkey **used)
{
	struct cand stack[16], *c = stack;
	size_t n, i, m = 0, tried = 0, d;
	const fwt_pubkey *k, *other_alg = NULL;
	const char *why = "";
	char q[64 * 4 + 8];
	fwt_err err = FWT_EVERIFY;

	if (used)
		*used = NULL;
	if (!j || !t)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to JWS verification");
	if (opts && opts->version > FWT_JWS_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "JWS", opts->version, FWT_JWS_OPTIONS_VERSION);
	if (fwt_trust_has_kids(t)) {
		k = fwt_trust_find_kid(t, j->kid, j->kidlen);
		if (!k) {
			fwt__quote(q, sizeof(q), j->kid, j->kidlen);
			return fwt__error(ctx, FWT_EVERIFY, "kid '%s' is not mapped to a key in kids.json, and with a kid "
			                  "map no other trusted key is tried", q);
		}
		err = fwt_jws_verify(ctx, j, k, opts);
		if (!err)
			err = fwt_trust_check_key_alg(ctx, t, k, j->alg, 0, used);
		return err;
	}
	n = fwt_trust_count(t);
	if (n > FWT_ARRAY_LEN(stack)) {
		c = calloc(n, sizeof(*c));
		if (!c)
			return fwt__enomem(ctx);
	}
	for (i = 0; i < n; i++) {
		k = fwt_trust_key(t, i);
		if (!key_fits(j->alg, k, opts, &why))
			continue;
		/* a JWK for another algorithm is not meant either (and is
		 * left out before duplicates of its key are) */
		if (fwt__pubkey_alg_allowed(NULL, k, j->alg) != FWT_OK) {
			other_alg = k;
			continue;
		}
		c[m].k = k;
		c[m].order = i;
		c[m].score = kid_score(j->kid, j->kidlen, fwt_pubkey_name(k));
		if (fwt_pubkey_fingerprint(k, c[m].fp) != FWT_OK) {
			err = fwt__error(ctx, FWT_ECRYPTO, "cannot fingerprint key '%s'", fwt_pubkey_name(k));
			goto out;
		}
		m++;
	}
	if (!m && other_alg) {
		err = fwt__pubkey_alg_allowed(ctx, other_alg, j->alg);
		goto out;
	}
	if (!m) {
		key_fits(j->alg, NULL, opts, &why);
		err = fwt__error(ctx, FWT_EVERIFY, "no trusted key fits %s (it needs %s; %zu key%s trusted)",
		                 fwt_sig_alg_name(j->alg), why, n, n == 1 ? "" : "s");
		goto out;
	}
	qsort(c, m, sizeof(*c), cmp_cand);
	for (i = 0; i < m; i++) {
		for (d = 0; d < i; d++)
			if (!memcmp(c[d].fp, c[i].fp, 32))
				break;
		if (d < i)
			continue; /* the same key from another file */
		tried++;
		err = fwt_sig_verify(ctx, c[i].k, j->alg, FWT_SIG_RAW, j->input, j->inlen, j->sig, j->siglen);
		if (err == FWT_OK) {
			/* the signer: revoked, or only an out-of-date certificate, is a no */
			err = fwt_trust_check_key_alg(ctx, t, c[i].k, j->alg, 0, used);
			goto out;
		}
		if (err != FWT_EVERIFY)
			goto out;
	}
	/* a signature of the wrong shape (length, r or s out of range) is
	 * wrong for every key: keep fwt_sig_verify's reason then */
	if (strstr(fwt_ctx_errmsg(ctx), "does not verify with key") == NULL)
		err = FWT_EVERIFY;
	else if (tried == 1)
		err = fwt__error(ctx, FWT_EVERIFY, "%s signature does not verify with the trusted key '%s': made by "
		                 "another key, or over other data", fwt_sig_alg_name(j->alg), fwt_pubkey_name(c[0].k));
	else
		err = fwt__error(ctx, FWT_EVERIFY, "%s signature does not verify with any of the %zu trusted keys that fit "
		                 "it: made by another key, or over other data", fwt_sig_alg_name(j->alg), tried);
out:
	if (c != stack)
		free(c);
	return err;
}

fwt_err fwt_jws_sign(fwt_ctx *ctx, fwt_key *key, const char *kid, size_t kidlen, const void *payload, size_t len,
                     char **out, size_t *outlen)
{
	unsigned char sig[FWT_SIG_MAX];
	size_t siglen = 0, hlen = 0, n, o;
	fwt_sig_alg alg;
	const char *why;
	char *hjson = NULL, *tok = NULL;
	json_t *h = NULL, *ks;
	fwt_err err;

	if (!out || !key || !kid || (!payload && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to JWS signing");
	*out = NULL;
	if (!len)
		return fwt__error(ctx, FWT_EINVAL, "nothing to sign: the payload is empty");
	alg = fwt_key_alg(key);
	if (!profile_alg(alg) || !key_fits(alg, fwt_key_pubkey(key), NULL, &why))
		return fwt__error(ctx, FWT_EUNSUPPORTED,
		                  "key '%s' (%s) has no SFR algorithm: use P-384 (ES384), P-521 (ES512), RSA-3072 (PS384) "
		                  "or RSA-4096 (PS512)",
		                  fwt_key_name(key), fwt_pubkey_describe(fwt_key_pubkey(key)));
	if (!kidlen || kidlen > FWT_JWS_KID_MAX)
		return fwt__error(ctx, FWT_EINVAL, "the kid must be 1 to %d bytes", FWT_JWS_KID_MAX);
	if (fwt__has_control((const unsigned char *)kid, kidlen))
		return fwt__error(ctx, FWT_EINVAL, "the kid must not hold control characters");
	ks = json_stringn(kid, kidlen);
	if (!ks)
		return fwt__error(ctx, FWT_EINVAL, "the kid is not valid UTF-8");
	h = json_object();
	if (!h || json_object_set_new(h, "alg", json_string(fwt_sig_alg_name(alg))) ||
	    json_object_set_new(h, "kid", ks) || json_object_set_new(h, "typ", json_string("JWT"))) {
		json_decref(h);
		return fwt__enomem(ctx);
	}
	err = fwt_json_dump_compact(ctx, h, &hjson, &hlen);
	json_decref(h);
	if (err)
		return err;
	n = fwt_b64url_encoded_len(hlen) + 1 + fwt_b64url_encoded_len(len) + 1 +
	    fwt_b64url_encoded_len(FWT_SIG_MAX) + 1;
	tok = malloc(n);
	if (!tok) {
		free(hjson);
		return fwt__enomem(ctx);
	}
	o = fwt_b64url_encode(tok, hjson, hlen);
	tok[o++] = '.';
	o += fwt_b64url_encode(tok + o, payload, len);
	free(hjson);
	err = fwt_key_sign(key, tok, o, sig, &siglen);
	if (err) {
		free(tok);
		return fwt__error_prefix(ctx, "cannot sign with key '%s'", fwt_key_name(key));
	}
	tok[o++] = '.';
	o += fwt_b64url_encode(tok + o, sig, siglen);
	tok[o] = '\0';
	*out = tok;
	if (outlen)
		*outlen = o;
	return FWT_OK;
}
