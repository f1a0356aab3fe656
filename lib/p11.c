/* SPDX-License-Identifier: Apache-2.0 */
/* p11.c - PKCS#11 keys through p11-kit: RFC 7512 URIs, modules, token and
 * key selection, PINs, a session pool so that several cores sign at once,
 * key listing and key generation. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <p11-kit/p11-kit.h>
#include <p11-kit/uri.h>
#include <fwtrail/hex.h>
#include <fwtrail/io.h>
#include <fwtrail/p11.h>
#include "bounded.h"
#include "der.h"
#include "internal.h"
#include "key_internal.h"
#include "lazy_p11kit.h"
#include "sig_internal.h"
#include "banned.h"

#define PIN_MAX 256          /* longest PIN accepted */
#define URI_MAX 4096         /* longest URI accepted */
#define ATTR_MAX (64u << 10) /* largest attribute value read */
#define FIND_MAX 4096        /* most objects one search returns */
#define SIG_BUF 1024         /* > any signature a supported key makes */

#ifndef CKA_PUBLIC_KEY_INFO
#define CKA_PUBLIC_KEY_INFO 0x129UL
#endif

/* ---- CKR names ---- */

#define R(x) { x, #x }
static const struct {
	CK_RV rv;
	const char *name;
} ckr_names[] = {
	R(CKR_OK), R(CKR_CANCEL), R(CKR_HOST_MEMORY), R(CKR_SLOT_ID_INVALID), R(CKR_GENERAL_ERROR),
	R(CKR_FUNCTION_FAILED), R(CKR_ARGUMENTS_BAD), R(CKR_NO_EVENT), R(CKR_NEED_TO_CREATE_THREADS),
	R(CKR_CANT_LOCK), R(CKR_ATTRIBUTE_READ_ONLY), R(CKR_ATTRIBUTE_SENSITIVE),
	R(CKR_ATTRIBUTE_TYPE_INVALID), R(CKR_ATTRIBUTE_VALUE_INVALID), R(CKR_DATA_INVALID),
	R(CKR_DATA_LEN_RANGE), R(CKR_DEVICE_ERROR), R(CKR_DEVICE_MEMORY), R(CKR_DEVICE_REMOVED),
	R(CKR_ENCRYPTED_DATA_INVALID), R(CKR_ENCRYPTED_DATA_LEN_RANGE), R(CKR_FUNCTION_CANCELED),
	R(CKR_FUNCTION_NOT_PARALLEL), R(CKR_FUNCTION_NOT_SUPPORTED), R(CKR_KEY_HANDLE_INVALID),
	R(CKR_KEY_SIZE_RANGE), R(CKR_KEY_TYPE_INCONSISTENT), R(CKR_KEY_FUNCTION_NOT_PERMITTED),
	R(CKR_MECHANISM_INVALID), R(CKR_MECHANISM_PARAM_INVALID), R(CKR_OBJECT_HANDLE_INVALID),
	R(CKR_OPERATION_ACTIVE), R(CKR_OPERATION_NOT_INITIALIZED), R(CKR_PIN_INCORRECT),
	R(CKR_PIN_INVALID), R(CKR_PIN_LEN_RANGE), R(CKR_PIN_EXPIRED), R(CKR_PIN_LOCKED),
	R(CKR_SESSION_CLOSED), R(CKR_SESSION_COUNT), R(CKR_SESSION_HANDLE_INVALID),
	R(CKR_SESSION_PARALLEL_NOT_SUPPORTED), R(CKR_SESSION_READ_ONLY), R(CKR_SESSION_EXISTS),
	R(CKR_SESSION_READ_ONLY_EXISTS), R(CKR_SESSION_READ_WRITE_SO_EXISTS), R(CKR_SIGNATURE_INVALID),
	R(CKR_SIGNATURE_LEN_RANGE), R(CKR_TEMPLATE_INCOMPLETE), R(CKR_TEMPLATE_INCONSISTENT),
	R(CKR_TOKEN_NOT_PRESENT), R(CKR_TOKEN_NOT_RECOGNIZED), R(CKR_TOKEN_WRITE_PROTECTED),
	R(CKR_USER_ALREADY_LOGGED_IN), R(CKR_USER_NOT_LOGGED_IN), R(CKR_USER_PIN_NOT_INITIALIZED),
	R(CKR_USER_TYPE_INVALID), R(CKR_USER_ANOTHER_ALREADY_LOGGED_IN), R(CKR_USER_TOO_MANY_TYPES),
	R(CKR_RANDOM_SEED_NOT_SUPPORTED), R(CKR_RANDOM_NO_RNG), R(CKR_DOMAIN_PARAMS_INVALID),
	R(CKR_CURVE_NOT_SUPPORTED), R(CKR_BUFFER_TOO_SMALL), R(CKR_SAVED_STATE_INVALID),
	R(CKR_INFORMATION_SENSITIVE), R(CKR_STATE_UNSAVEABLE), R(CKR_CRYPTOKI_NOT_INITIALIZED),
	R(CKR_CRYPTOKI_ALREADY_INITIALIZED), R(CKR_MUTEX_BAD), R(CKR_MUTEX_NOT_LOCKED),
	R(CKR_FUNCTION_REJECTED),
};
#undef R

/* The CKR_ name of rv; buf (24 bytes) holds the number for unknown codes. */
static const char *ckr(CK_RV rv, char buf[24])
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(ckr_names); i++)
		if (ckr_names[i].rv == rv)
			return ckr_names[i].name;
	snprintf(buf, 24, "CKR 0x%08lx", (unsigned long)rv);
	return buf;
}

#define CKR(rv) ckr((rv), ckrbuf)

/* A CK_UTF8CHAR[n] blank-padded field as a C string in out (n + 1 bytes). */
static char *field(char *out, const unsigned char *f, size_t n)
{
	while (n && (f[n - 1] == ' ' || f[n - 1] == '\0'))
		n--;
	memcpy(out, f, n);
	out[n] = '\0';
	return out;
}
#define FIELD(buf, f) field((buf), (f), sizeof(f))

/* ---- URIs ---- */

struct fwt_p11_uri {
	P11KitUri *uri;
	int names_token; /* a token or slot attribute is given */
};

static const char *const path_attrs[] = {
	"token", "manufacturer", "serial", "model", "library-manufacturer", "library-description",
	"library-version", "object", "type", "id", "slot-description", "slot-manufacturer", "slot-id",
};
static const char *const query_attrs[] = { "pin-source", "pin-value", "module-name", "module-path" };
/* the path attributes that pick a token (or its slot), not a module or an object */
static const char *const token_attrs[] = {
	"token", "manufacturer", "serial", "model", "slot-description", "slot-manufacturer", "slot-id",
};

/* The value of %XX (hex digits), or -1. */
static int pct(const char *p, const char *end)
{
	static const char hexd[] = "0123456789abcdef";
	const char *a, *b;

	if (end - p < 3 || p[0] != '%' || !p[1] || !p[2])
		return -1;
	a = strchr(hexd, p[1] | 0x20);
	b = strchr(hexd, p[2] | 0x20);
	return a && b ? (int)((a - hexd) << 4 | (b - hexd)) : -1;
}

/* When a pin-value attribute name and its '=' start at s (in any case,
 * any character of them percent-encoded), the bytes they take; else 0. */
static size_t pin_value_at(const char *s, const char *end)
{
	static const char want[] = "pin-value=";
	const char *p = s;
	size_t i;
	int c;

	for (i = 0; i < sizeof(want) - 1; i++) {
		if (p >= end)
			return 0;
		if ((c = pct(p, end)) >= 0)
			p += 3;
		else
			c = (unsigned char)*p++;
		if (want[i] == '=' ? c != '=' : (c | 0x20) != want[i])
			return 0;
	}
	return (size_t)(p - s);
}

int fwt__p11_has_pin_value(const char *s)
{
	const char *end = s + strlen(s);

	for (; s < end; s++)
		if (pin_value_at(s, end))
			return 1;
	return 0;
}

/* s (len bytes) quoted for a message into q, with the value of every
 * pin-value attribute shown as <hidden>: the PIN is never printed, even
 * from a URI that is malformed, has pin-value in the wrong part or
 * inside another name, or from a file name that merely looks like one.
 * A hidden value runs to the next ';' in the path and the next '&' in
 * the query, whatever it holds. */
static void quote_uri(char *q, size_t qlen, const char *s, size_t len)
{
	static const char hidden[] = "<hidden>";
	char red[URI_MAX + 1];
	const char *p = s, *end = s + len;
	size_t o = 0, n, h;
	int query = 0;

#define PUT(c)                                  \
	do {                                    \
		if (o < sizeof(red) - 1)        \
			red[o++] = (c);         \
	} while (0)
	while (p < end) {
		if ((n = pin_value_at(p, end)) == 0) {
			query |= *p == '?';
			PUT(*p);
			p++;
			continue;
		}
		for (h = 0; h < n; h++)
			PUT(p[h]);
		for (h = 0; h < sizeof(hidden) - 1; h++)
			PUT(hidden[h]);
		for (p += n; p < end && *p != (query ? '&' : ';'); p++)
			query |= *p == '?';
	}
#undef PUT
	fwt__quote(q, qlen, red, o);
}

void fwt__p11_hide_pin(char *q, size_t qlen, const char *s)
{
	quote_uri(q, qlen, s, strnlen(s, URI_MAX));
}

/* Does a percent-encoded value (n bytes) hold %00? */
static int has_nul(const char *s, size_t n)
{
	const char *end = s + n;

	for (; s < end; s++)
		if (*s == '%' && pct(s, end) == 0)
			return 1;
	return 0;
}

/* Check that every attribute name in one part (path: ';'-separated,
 * query: '&'-separated) is known and appears once; with no_nul, that no
 * value holds a NUL byte (a PIN or a path would be cut short there). */
static fwt_err check_names(fwt_ctx *ctx, const char *uri, const char *s, size_t len, char sep,
                           const char *const *known, size_t nknown, unsigned *seen, int no_nul)
{
	const char *p = s, *end = s + len, *e, *eq;
	char name[64], q[80];
	size_t i, n;

	while (p < end) {
		e = memchr(p, sep, (size_t)(end - p));
		if (!e)
			e = end;
		eq = memchr(p, '=', (size_t)(e - p));
		if (!eq) {
			quote_uri(q, sizeof(q), p, (size_t)(e - p));
			return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s': attribute '%s' has no value", uri, q);
		}
		n = (size_t)(eq - p);
		for (i = 0; i < nknown; i++)
			if (strlen(known[i]) == n && !memcmp(known[i], p, n))
				break;
		if (i == nknown || n >= sizeof(name)) {
			/* RFC 7512 puts each attribute on one side of the '?' */
			const char *const *other = sep == ';' ? query_attrs : path_attrs;
			size_t nother = sep == ';' ? FWT_ARRAY_LEN(query_attrs) : FWT_ARRAY_LEN(path_attrs);
			for (i = 0; i < nother; i++)
				if (strlen(other[i]) == n && !memcmp(other[i], p, n))
					break;
			fwt__quote(q, sizeof(q), p, n);
			return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s': %s attribute '%s'%s", uri,
			                  i < nother ? "misplaced" : "unknown", q,
			                  i == nother ? ""
			                  : sep == ';' ? " (a query attribute: put it after '?', as in pkcs11:token=T?module-name=M)"
			                               : " (a path attribute: put it before '?')");
		}
		if (*seen & (1u << i)) {
			fwt__quote(q, sizeof(q), p, n);
			return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s': attribute '%s' appears twice", uri, q);
		}
		if (no_nul && has_nul(eq + 1, (size_t)(e - eq - 1)))
			return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s': the value of '%s' holds a NUL byte (%%00)",
			                  uri, known[i]);
		*seen |= 1u << i;
		p = e + 1;
	}
	return FWT_OK;
}

fwt_err fwt__p11_uri_parse(fwt_ctx *ctx, const char *s, struct fwt_p11_uri **out)
{
	struct fwt_p11_uri *u;
	const char *path, *query, *src;
	unsigned seen_path = 0, seen_query = 0;
	size_t len;
	char q[1024];
	fwt_err err;
	int rc;

	*out = NULL;
	len = strnlen(s, URI_MAX + 1);
	quote_uri(q, sizeof(q), s, len);
	if (len > URI_MAX)
		return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s' is longer than %u bytes", q, URI_MAX);
	/* a scheme is case-insensitive (RFC 3986 3.1): PKCS11: is one too */
	if (strncasecmp(s, "pkcs11:", 7))
		return fwt__error(ctx, FWT_EINVAL, "'%s' is not a pkcs11: URI", q);
	path = s + 7;
	query = strchr(path, '?');
	err = check_names(ctx, q, path, query ? (size_t)(query - path) : strlen(path), ';', path_attrs,
	                  FWT_ARRAY_LEN(path_attrs), &seen_path, 0);
	if (!err && query)
		err = check_names(ctx, q, query + 1, strlen(query + 1), '&', query_attrs, FWT_ARRAY_LEN(query_attrs),
		                  &seen_query, 1);
	if (!err)
		err = fwt__lazy_p11kit_load(ctx);
	if (err)
		return err;
	u = calloc(1, sizeof(*u));
	if (!u || !(u->uri = p11_kit_uri_new())) {
		free(u);
		return fwt__enomem(ctx);
	}
	rc = p11_kit_uri_parse(s, P11_KIT_URI_FOR_ANY, u->uri);
	if (rc != P11_KIT_URI_OK) {
		fwt__p11_uri_free(u);
		return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s': %s", q, p11_kit_uri_message(rc));
	}
	if (p11_kit_uri_any_unrecognized(u->uri)) {
		fwt__p11_uri_free(u);
		return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s' has an attribute value p11-kit does not accept",
		                  q);
	}
	/* a value that holds a pin-value (\"module-name=m?pin-value=1234\", a
	 * '?' typed for '&') would be printed whole by every message naming
	 * the module or the PIN file: refused here, its PIN hidden */
	{
		const char *vals[] = { p11_kit_uri_get_module_name(u->uri), p11_kit_uri_get_module_path(u->uri),
			               p11_kit_uri_get_pin_source(u->uri) };
		for (size_t i = 0; i < FWT_ARRAY_LEN(vals); i++)
			if (vals[i] && fwt__p11_has_pin_value(vals[i])) {
				fwt__p11_uri_free(u);
				return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s': a query value holds pin-value= "
				                  "(separate query attributes with '&', not '?')", q);
			}
	}
	src = p11_kit_uri_get_pin_source(u->uri);
	if (src && src[0] != '/' && strncmp(src, "file:", 5)) {
		fwt__p11_uri_free(u);
		return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s': pin-source must be a file (file:/path), "
		                  "commands are never run", q);
	}
	if (src && !strncmp(src, "file:", 5) && src[5] != '/') {
		fwt__p11_uri_free(u);
		return fwt__error(ctx, FWT_EINVAL, "pkcs11: URI '%s': pin-source needs an absolute path", q);
	}
	/* the PIN file is an input from now on, whether or not it is read
	 * (--pin-file goes first): no output may be written over it */
	if (src && (err = fwt_ctx_add_input(ctx, !strncmp(src, "file:", 5) ? src + 5 : src)) != FWT_OK) {
		fwt__p11_uri_free(u);
		return err;
	}
	for (size_t i = 0; i < FWT_ARRAY_LEN(path_attrs); i++)
		for (size_t j = 0; (seen_path & (1u << i)) && j < FWT_ARRAY_LEN(token_attrs); j++)
			u->names_token |= !strcmp(path_attrs[i], token_attrs[j]);
	*out = u;
	return FWT_OK;
}

void fwt__p11_uri_free(struct fwt_p11_uri *u)
{
	if (!u)
		return;
	if (u->uri) {
		const char *pv = p11_kit_uri_get_pin_value(u->uri);
		if (pv)
			OPENSSL_cleanse((void *)pv, strlen(pv));
		p11_kit_uri_free(u->uri);
	}
	free(u);
}

char *fwt__p11_uri_format(const struct fwt_p11_uri *u)
{
	P11KitUri *c;
	CK_ATTRIBUTE *attrs;
	CK_ULONG n;
	char *s = NULL, *r;

	if (!u || !(c = p11_kit_uri_new()))
		return NULL;
	memcpy(p11_kit_uri_get_token_info(c), p11_kit_uri_get_token_info(u->uri), sizeof(CK_TOKEN_INFO));
	memcpy(p11_kit_uri_get_module_info(c), p11_kit_uri_get_module_info(u->uri), sizeof(CK_INFO));
	memcpy(p11_kit_uri_get_slot_info(c), p11_kit_uri_get_slot_info(u->uri), sizeof(CK_SLOT_INFO));
	p11_kit_uri_set_slot_id(c, p11_kit_uri_get_slot_id(u->uri));
	attrs = p11_kit_uri_get_attributes(u->uri, &n);
	p11_kit_uri_set_attributes(c, attrs, n);
	p11_kit_uri_set_module_name(c, p11_kit_uri_get_module_name(u->uri));
	p11_kit_uri_set_module_path(c, p11_kit_uri_get_module_path(u->uri));
	if (p11_kit_uri_format(c, P11_KIT_URI_FOR_ANY, &s) != P11_KIT_URI_OK)
		s = NULL;
	p11_kit_uri_free(c);
	r = s ? strdup(s) : NULL;
	free(s);
	return r;
}

fwt_err fwt_p11_uri_check(fwt_ctx *ctx, const char *uri)
{
	struct fwt_p11_uri *u;
	fwt_err err;

	if (!uri)
		return fwt__error(ctx, FWT_EINVAL, "no pkcs11: URI");
	err = fwt__p11_uri_parse(ctx, uri, &u);
	fwt__p11_uri_free(u);
	return err;
}

/* ---- modules ---- */

struct p11_mod {
	CK_FUNCTION_LIST *f;
	char *name;
	int ok;        /* initialised by us */
	CK_INFO info;
};

struct p11_set {
	fwt_ctx *ctx;
	CK_FUNCTION_LIST **kit;   /* registered modules (p11_kit_modules_load) */
	CK_FUNCTION_LIST *single; /* one module by path */
	struct p11_mod *mods;
	size_t n;
	pid_t pid;
};

static void set_free(struct p11_set *set)
{
	size_t i;

	if (!set)
		return;
	/* in a child after fork(), the parent's modules are not ours to touch */
	if (set->pid == getpid()) {
		for (i = 0; i < set->n; i++)
			if (set->mods[i].ok)
				p11_kit_module_finalize(set->mods[i].f);
		if (set->kit)
			p11_kit_modules_release(set->kit);
		if (set->single)
			p11_kit_module_release(set->single);
	}
	for (i = 0; i < set->n; i++)
		free(set->mods[i].name);
	free(set->mods);
	memset(set, 0, sizeof(*set));
}

/* The modules of a key whose token stopped answering (--timeout): a
 * thread is still inside one, and C_CloseSession or C_Finalize would wait
 * for it, so they stay loaded and are never called again, kept here for
 * the life of the process. */
struct abandoned {
	struct p11_set set;
	struct abandoned *next;
};
static struct abandoned *abandoned_sets;
static pthread_mutex_t abandoned_mu = PTHREAD_MUTEX_INITIALIZER;

static void set_abandon(struct p11_set *set)
{
	struct abandoned *a = malloc(sizeof(*a));

	if (a) {
		a->set = *set;
		pthread_mutex_lock(&abandoned_mu);
		a->next = abandoned_sets;
		abandoned_sets = a;
		pthread_mutex_unlock(&abandoned_mu);
	}
	memset(set, 0, sizeof(*set));
}

static void mod_init(struct p11_set *set, struct p11_mod *m)
{
	char ckrbuf[24];
	CK_RV rv;

	rv = p11_kit_module_initialize(m->f);
	if (rv != CKR_OK) {
		const char *msg = p11_kit_message();
		fwt__log(set->ctx, FWT_LOG_INFO, "PKCS#11 module '%s' is skipped: it failed to initialise: %s%s%s",
		         m->name, CKR(rv), msg ? ": " : "", msg ? msg : "");
		return;
	}
	m->ok = 1;
	rv = m->f->C_GetInfo(&m->info);
	if (rv != CKR_OK) {
		fwt__log(set->ctx, FWT_LOG_INFO, "PKCS#11 module '%s': C_GetInfo failed: %s", m->name, CKR(rv));
		memset(&m->info, 0, sizeof(m->info));
	}
}

/* Load and initialise: the one module at path, the registered module
 * called name, or every registered module. */
static fwt_err set_load(fwt_ctx *ctx, struct p11_set *set, const char *name, const char *path)
{
	size_t i, n = 0, usable = 0;

	memset(set, 0, sizeof(*set));
	set->ctx = ctx;
	set->pid = getpid();
	if (fwt__lazy_p11kit_load(ctx))
		return fwt_ctx_errcode(ctx);
	p11_kit_be_quiet(); /* p11-kit's messages come through our log instead */
	if (path) {
		/* p11-kit looks for a relative path in its own module folder:
		 * one with a slash (./x.so, lib/x.so) means the file from here */
		char abs[PATH_MAX];
		const char *load = path;
		if (path[0] != '/' && strchr(path, '/')) {
			if (!realpath(path, abs))
				return fwt__error(ctx, FWT_ETOKEN, "cannot load PKCS#11 module '%s': %s", path,
				                  strerror(errno));
			load = abs;
		}
		set->single = p11_kit_module_load(load, 0);
		if (!set->single) {
			const char *msg = p11_kit_message();
			return fwt__error(ctx, FWT_ETOKEN, "cannot load PKCS#11 module '%s'%s%s", path, msg ? ": " : "",
			                  msg ? msg : "");
		}
		set->mods = calloc(1, sizeof(*set->mods));
		if (!set->mods || !(set->mods[0].name = strdup(path))) {
			set_free(set);
			return fwt__enomem(ctx);
		}
		set->mods[0].f = set->single;
		set->n = 1;
		mod_init(set, &set->mods[0]);
		if (!set->mods[0].ok) {
			set_free(set);
			return fwt__error(ctx, FWT_ETOKEN, "PKCS#11 module '%s' failed to initialise", path);
		}
		return FWT_OK;
	}
	set->kit = p11_kit_modules_load(NULL, 0);
	if (!set->kit) {
		const char *msg = p11_kit_message();
		return fwt__error(ctx, FWT_ETOKEN, "cannot load the PKCS#11 modules registered with p11-kit%s%s",
		                  msg ? ": " : "", msg ? msg : "");
	}
	while (set->kit[n])
		n++;
	set->mods = calloc(n ? n : 1, sizeof(*set->mods));
	if (!set->mods) {
		set_free(set);
		return fwt__enomem(ctx);
	}
	for (i = 0; i < n; i++) {
		struct p11_mod *m = &set->mods[set->n];
		char *mn = p11_kit_module_get_name(set->kit[i]);
		if (name && (!mn || strcmp(mn, name))) {
			free(mn);
			continue;
		}
		m->f = set->kit[i];
		m->name = mn ? mn : strdup("(unnamed)");
		set->n++;
		if (!m->name) {
			set_free(set);
			return fwt__enomem(ctx);
		}
		mod_init(set, m);
		usable += m->ok;
	}
	if (name && !set->n) {
		set_free(set);
		return fwt__error(ctx, FWT_ENOTFOUND, "no PKCS#11 module named '%s' is registered with p11-kit", name);
	}
	if (name && !usable) {
		set_free(set);
		return fwt__error(ctx, FWT_ETOKEN, "PKCS#11 module '%s' failed to initialise", name);
	}
	fwt__log(ctx, FWT_LOG_DEBUG, "%zu PKCS#11 module%s loaded, %zu usable", set->n, set->n == 1 ? "" : "s",
	         usable);
	return FWT_OK;
}

/* ---- tokens ---- */

struct p11_tok {
	struct p11_mod *mod;
	CK_SLOT_ID slot;
	CK_SLOT_INFO si;
	CK_TOKEN_INFO ti;
};

/* Initialised tokens of the loaded modules that uri (may be NULL) matches. */
static fwt_err find_tokens(struct p11_set *set, P11KitUri *uri, struct p11_tok **out, size_t *nout)
{
	struct p11_tok *toks = NULL, *nt;
	size_t n = 0, i, j;
	CK_SLOT_ID want_slot = uri ? p11_kit_uri_get_slot_id(uri) : (CK_SLOT_ID)-1;
	char ckrbuf[24], lbl[33];

	*out = NULL;
	*nout = 0;
	for (i = 0; i < set->n; i++) {
		struct p11_mod *m = &set->mods[i];
		CK_SLOT_ID *slots = NULL;
		CK_ULONG ns = 0;
		CK_RV rv;

		if (!m->ok)
			continue;
		if (uri && !p11_kit_uri_match_module_info(uri, &m->info))
			continue;
		rv = m->f->C_GetSlotList(CK_TRUE, NULL, &ns);
		if (rv == CKR_OK && ns > 0 && ns <= 4096) {
			slots = calloc(ns, sizeof(*slots));
			if (!slots) {
				free(toks);
				return fwt__enomem(set->ctx);
			}
			rv = m->f->C_GetSlotList(CK_TRUE, slots, &ns);
		}
		if (rv != CKR_OK) {
			fwt__log(set->ctx, FWT_LOG_INFO, "PKCS#11 module '%s': C_GetSlotList failed: %s", m->name,
			         CKR(rv));
			free(slots);
			continue;
		}
		if (!ns)
			fwt__log(set->ctx, FWT_LOG_INFO, "PKCS#11 module '%s' has no token", m->name);
		for (j = 0; slots && j < ns; j++) {
			struct p11_tok t;
			memset(&t, 0, sizeof(t));
			t.mod = m;
			t.slot = slots[j];
			if (want_slot != (CK_SLOT_ID)-1 && want_slot != t.slot)
				continue;
			if ((rv = m->f->C_GetSlotInfo(t.slot, &t.si)) != CKR_OK ||
			    (rv = m->f->C_GetTokenInfo(t.slot, &t.ti)) != CKR_OK) {
				fwt__log(set->ctx, FWT_LOG_INFO, "PKCS#11 module '%s', slot %lu: %s", m->name,
				         (unsigned long)t.slot, CKR(rv));
				continue;
			}
			if (!(t.ti.flags & CKF_TOKEN_INITIALIZED)) {
				fwt__log(set->ctx, FWT_LOG_DEBUG, "PKCS#11 module '%s', slot %lu: token not initialised",
				         m->name, (unsigned long)t.slot);
				continue;
			}
			if (uri && (!p11_kit_uri_match_slot_info(uri, &t.si) ||
			            !p11_kit_uri_match_token_info(uri, &t.ti)))
				continue;
			nt = realloc(toks, (n + 1) * sizeof(*toks));
			if (!nt) {
				free(slots);
				free(toks);
				return fwt__enomem(set->ctx);
			}
			toks = nt;
			toks[n++] = t;
			fwt__log(set->ctx, FWT_LOG_DEBUG, "token '%s' in module '%s' matches", FIELD(lbl, t.ti.label),
			         m->name);
		}
		free(slots);
	}
	*out = toks;
	*nout = n;
	return FWT_OK;
}

/* pkcs11:model=..;manufacturer=..;serial=..;token=..[;object=..;id=..;type=..][?module-...] */
static char *make_uri(const struct p11_tok *t, const unsigned char *label, size_t llen, const unsigned char *id,
                      size_t idlen, CK_OBJECT_CLASS cls, int with_object, const char *module_name,
                      const char *module_path)
{
	P11KitUri *u = p11_kit_uri_new();
	CK_ATTRIBUTE a;
	char *s = NULL, *r;

	if (!u)
		return NULL;
	memcpy(p11_kit_uri_get_token_info(u), &t->ti, sizeof(t->ti));
	if (with_object) {
		if (llen) {
			a = (CK_ATTRIBUTE){ CKA_LABEL, (void *)label, llen };
			p11_kit_uri_set_attribute(u, &a);
		}
		if (idlen) {
			a = (CK_ATTRIBUTE){ CKA_ID, (void *)id, idlen };
			p11_kit_uri_set_attribute(u, &a);
		}
		a = (CK_ATTRIBUTE){ CKA_CLASS, &cls, sizeof(cls) };
		p11_kit_uri_set_attribute(u, &a);
	}
	if (module_name)
		p11_kit_uri_set_module_name(u, module_name);
	if (module_path)
		p11_kit_uri_set_module_path(u, module_path);
	if (p11_kit_uri_format(u, with_object ? P11_KIT_URI_FOR_OBJECT_ON_TOKEN : P11_KIT_URI_FOR_TOKEN, &s) !=
	    P11_KIT_URI_OK)
		s = NULL;
	p11_kit_uri_free(u);
	r = s ? strdup(s) : NULL;
	free(s);
	return r;
}

static char *token_uri(const struct p11_tok *t)
{
	return make_uri(t, NULL, 0, NULL, 0, 0, 0, NULL, NULL);
}

/* ---- attributes ---- */

/* One attribute into a malloc'd buffer (NUL-terminated for convenience).
 * Returns the CKR; *out is NULL when the attribute is absent or empty. */
static CK_RV get_attr(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type,
                      unsigned char **out, size_t *len)
{
	CK_ATTRIBUTE a = { type, NULL, 0 };
	unsigned char *buf;
	CK_RV rv;

	*out = NULL;
	*len = 0;
	rv = f->C_GetAttributeValue(s, o, &a, 1);
	if (rv != CKR_OK)
		return rv;
	if (a.ulValueLen == (CK_ULONG)-1)
		return CKR_ATTRIBUTE_TYPE_INVALID;
	if (a.ulValueLen == 0)
		return CKR_OK;
	if (a.ulValueLen > ATTR_MAX)
		return CKR_DATA_LEN_RANGE;
	buf = malloc(a.ulValueLen + 1);
	if (!buf)
		return CKR_HOST_MEMORY;
	a.pValue = buf;
	rv = f->C_GetAttributeValue(s, o, &a, 1);
	if (rv != CKR_OK || a.ulValueLen == (CK_ULONG)-1) {
		free(buf);
		return rv != CKR_OK ? rv : CKR_ATTRIBUTE_TYPE_INVALID;
	}
	buf[a.ulValueLen] = 0;
	*out = buf;
	*len = a.ulValueLen;
	return CKR_OK;
}

static int get_bool(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type,
                    int def)
{
	CK_BBOOL v = CK_FALSE;
	CK_ATTRIBUTE a = { type, &v, sizeof(v) };

	if (f->C_GetAttributeValue(s, o, &a, 1) != CKR_OK || a.ulValueLen != sizeof(v))
		return def;
	return v == CK_TRUE;
}

static int get_ulong(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type,
                     CK_ULONG *out)
{
	CK_ATTRIBUTE a = { type, out, sizeof(*out) };

	return f->C_GetAttributeValue(s, o, &a, 1) == CKR_OK && a.ulValueLen == sizeof(*out);
}

/* Every object matching tmpl (at most FIND_MAX). */
static CK_RV find_objects(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl, CK_ULONG nt,
                          CK_OBJECT_HANDLE **out, size_t *n)
{
	CK_OBJECT_HANDLE batch[64], *all = NULL, *na;
	CK_ULONG got;
	CK_RV rv;
	size_t total = 0;

	*out = NULL;
	*n = 0;
	rv = f->C_FindObjectsInit(s, tmpl, nt);
	if (rv != CKR_OK)
		return rv;
	for (;;) {
		got = 0;
		rv = f->C_FindObjects(s, batch, FWT_ARRAY_LEN(batch), &got);
		if (rv != CKR_OK || got == 0)
			break;
		if (got > FWT_ARRAY_LEN(batch) || total + got > FIND_MAX) {
			rv = CKR_DATA_LEN_RANGE;
			break;
		}
		na = realloc(all, (total + got) * sizeof(*all));
		if (!na) {
			rv = CKR_HOST_MEMORY;
			break;
		}
		all = na;
		memcpy(all + total, batch, got * sizeof(*all));
		total += got;
	}
	f->C_FindObjectsFinal(s);
	if (rv != CKR_OK) {
		free(all);
		return rv;
	}
	*out = all;
	*n = total;
	return CKR_OK;
}

/* ---- public keys from token attributes ---- */

static const unsigned char oid_ec_public_key[] = { 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const unsigned char oid_rsa_alg[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
	                                     0x05, 0x00 };
static const unsigned char oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const unsigned char oid_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const unsigned char oid_p521[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23 };

/* Field size in bytes of the curve CKA_EC_PARAMS names; 0 when unknown. */
static size_t curve_bytes(const unsigned char *p, size_t n, const char **name)
{
	if (n == sizeof(oid_p256) && !memcmp(p, oid_p256, n)) {
		*name = "ec-p256";
		return 32;
	}
	if (n == sizeof(oid_p384) && !memcmp(p, oid_p384, n)) {
		*name = "ec-p384";
		return 48;
	}
	if (n == sizeof(oid_p521) && !memcmp(p, oid_p521, n)) {
		*name = "ec-p521";
		return 66;
	}
	*name = "ec";
	return 0;
}

/* SubjectPublicKeyInfo from CKA_EC_PARAMS and CKA_EC_POINT (a DER OCTET
 * STRING around the point, or, from some modules, the bare point). */
/* The public key from a SubjectPublicKeyInfo built in d (which is freed). */
static fwt_err spki_finish(fwt_ctx *ctx, struct fwt_der *d, const char *name, fwt_pubkey **out)
{
	fwt_err err;

	if (d->failed) {
		fwt__der_free(d);
		return fwt__enomem(ctx);
	}
	err = fwt_pubkey_from_spki(ctx, out, d->p, d->len, name);
	fwt__der_free(d);
	if (err)
		return fwt__error(ctx, FWT_ETOKEN, "the public key of '%s' on the token is not valid: %s", name,
		                  fwt_ctx_errmsg(ctx));
	return FWT_OK;
}

static fwt_err ec_spki(fwt_ctx *ctx, const unsigned char *params, size_t plen, const unsigned char *point,
                       size_t ptlen, const char *name, fwt_pubkey **out)
{
	struct fwt_der_in in = { point, point + ptlen }, c;
	struct fwt_der d;
	const char *cn;
	size_t fb = curve_bytes(params, plen, &cn), m1, m2;

	if (fwt__der_expect(&in, DER_OCTETSTRING, &c, NULL) == 0 && fwt__der_empty(&in) &&
	    fwt__der_left(&c) > 0 && c.p[0] == 0x04) {
		point = c.p;
		ptlen = fwt__der_left(&c);
	}
	if (!ptlen || point[0] != 0x04 || (fb && ptlen != 2 * fb + 1))
		return fwt__error(ctx, FWT_ETOKEN, "key '%s' has a malformed CKA_EC_POINT", name);
	fwt__der_init(&d);
	m1 = fwt__der_begin(&d, DER_SEQUENCE);
	m2 = fwt__der_begin(&d, DER_SEQUENCE);
	fwt__der_raw(&d, oid_ec_public_key, sizeof(oid_ec_public_key));
	fwt__der_raw(&d, params, plen);
	fwt__der_end(&d, m2);
	m2 = fwt__der_begin(&d, DER_BITSTRING);
	fwt__der_raw(&d, "", 1);
	fwt__der_raw(&d, point, ptlen);
	fwt__der_end(&d, m2);
	fwt__der_end(&d, m1);
	return spki_finish(ctx, &d, name, out);
}

static fwt_err rsa_spki(fwt_ctx *ctx, const unsigned char *n, size_t nlen, const unsigned char *e, size_t elen,
                        const char *name, fwt_pubkey **out)
{
	struct fwt_der d;
	size_t m1, m2, m3;

	fwt__der_init(&d);
	m1 = fwt__der_begin(&d, DER_SEQUENCE);
	m2 = fwt__der_begin(&d, DER_SEQUENCE);
	fwt__der_raw(&d, oid_rsa_alg, sizeof(oid_rsa_alg));
	fwt__der_end(&d, m2);
	m2 = fwt__der_begin(&d, DER_BITSTRING);
	fwt__der_raw(&d, "", 1);
	m3 = fwt__der_begin(&d, DER_SEQUENCE);
	fwt__der_uint(&d, n, nlen);
	fwt__der_uint(&d, e, elen);
	fwt__der_end(&d, m3);
	fwt__der_end(&d, m2);
	fwt__der_end(&d, m1);
	return spki_finish(ctx, &d, name, out);
}

/* The public key of object o (a public key, or a private key that carries
 * its public parts). FWT_ENOTFOUND when the attributes are not there. */
static fwt_err pubkey_of(fwt_ctx *ctx, CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                         CK_KEY_TYPE kt, const char *name, fwt_pubkey **out)
{
	unsigned char *a = NULL, *b = NULL;
	size_t al, bl;
	fwt_err err = FWT_ENOTFOUND;

	*out = NULL;
	if (get_attr(f, s, o, CKA_PUBLIC_KEY_INFO, &a, &al) == CKR_OK && a) {
		err = fwt_pubkey_from_spki(ctx, out, a, al, name);
		free(a);
		if (err)
			return fwt__error(ctx, FWT_ETOKEN, "the public key of '%s' on the token is not valid: %s", name,
			                  fwt_ctx_errmsg(ctx));
		return FWT_OK;
	}
	free(a);
	a = NULL;
	if (kt == CKK_EC) {
		if (get_attr(f, s, o, CKA_EC_PARAMS, &a, &al) == CKR_OK && a &&
		    get_attr(f, s, o, CKA_EC_POINT, &b, &bl) == CKR_OK && b)
			err = ec_spki(ctx, a, al, b, bl, name, out);
	} else if (kt == CKK_RSA) {
		if (get_attr(f, s, o, CKA_MODULUS, &a, &al) == CKR_OK && a &&
		    get_attr(f, s, o, CKA_PUBLIC_EXPONENT, &b, &bl) == CKR_OK && b)
			err = rsa_spki(ctx, a, al, b, bl, name, out);
	}
	free(a);
	free(b);
	return err;
}

/* The CKK_ name of a key type, for messages; buf (40 bytes) holds the
 * number of an unknown one. */
static const char *key_type_name(CK_KEY_TYPE kt, char buf[40])
{
	switch (kt) {
	case CKK_RSA: return "CKK_RSA";
	case CKK_DSA: return "CKK_DSA";
	case CKK_DH: return "CKK_DH";
	case CKK_EC: return "CKK_EC";
	case CKK_X9_42_DH: return "CKK_X9_42_DH";
	case CKK_GOSTR3410: return "CKK_GOSTR3410";
	case 0x40: return "CKK_EC_EDWARDS (Ed25519 or Ed448)";
	case 0x41: return "CKK_EC_MONTGOMERY (X25519 or X448)";
	default: snprintf(buf, 40, "key type 0x%lx", (unsigned long)kt); return buf;
	}
}

/* Key type name and size of a key object, for listings and messages. */
static void describe(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_KEY_TYPE kt,
                     const char **type, unsigned *bits)
{
	unsigned char *a = NULL;
	size_t al = 0;
	CK_ULONG mb = 0;

	*type = "other";
	*bits = 0;
	if (kt == CKK_EC) {
		if (get_attr(f, s, o, CKA_EC_PARAMS, &a, &al) == CKR_OK && a)
			*bits = (unsigned)(curve_bytes(a, al, type) == 66 ? 521 : curve_bytes(a, al, type) * 8);
		else
			*type = "ec";
		free(a);
	} else if (kt == CKK_RSA) {
		*type = "rsa";
		if (get_ulong(f, s, o, CKA_MODULUS_BITS, &mb) && mb) {
			*bits = (unsigned)mb;
		} else if (get_attr(f, s, o, CKA_MODULUS, &a, &al) == CKR_OK && a) {
			size_t i = 0;
			while (i < al && a[i] == 0)
				i++;
			*bits = (unsigned)((al - i) * 8);
			if (i < al)
				for (unsigned char top = a[i]; !(top & 0x80); top = (unsigned char)(top << 1))
					(*bits)--;
		}
		free(a);
	}
}

/* ---- PINs ---- */

/* The first line of a PIN file that only its owner can read.  The file is
 * opened without waiting (a FIFO would block open() until a writer came)
 * and refused unless it is a regular file. */
fwt_err fwt__read_pin_file(fwt_ctx *ctx, const char *path, char *buf, size_t len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0, line;
	int fd, fl;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fwt__error(ctx, FWT_EIO, "cannot open PIN file '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fwt__error(ctx, FWT_EINVAL, "PIN file '%s' is not a regular file", path);
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		int e = errno;
		close(fd);
		return fwt__error(ctx, FWT_EIO, "cannot read PIN file '%s': %s", path, strerror(e));
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return fwt__error(ctx, FWT_EINVAL, "PIN file '%s' belongs to another user", path);
	}
	if (st.st_mode & 077) {
		close(fd);
		return fwt__error(ctx, FWT_EINVAL, "PIN file '%s' can be read by others (mode %04o; chmod 600 it)",
		                  path, (unsigned)(st.st_mode & 07777));
	}
	/* an input like any other: no output may be written over it */
	if (fwt__ctx_add_input_id(ctx, st.st_dev, st.st_ino) != FWT_OK) {
		close(fd);
		return fwt__enomem(ctx);
	}
	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			OPENSSL_cleanse(buf, len);
			return fwt__error(ctx, FWT_EIO, "cannot read PIN file '%s': %s", path, strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	/* the PIN is the first line (its LF or CR LF not part of it) among the
	 * bytes read; a full buffer without one is a PIN of len bytes or more,
	 * unless it ends in the CR of a CR LF: the byte after it says */
	for (line = 0; line < got && buf[line] != '\n'; line++)
		;
	if (line == len && buf[len - 1] == '\r') {
		char next = 0;
		while ((n = read(fd, &next, 1)) < 0 && errno == EINTR)
			;
		if (n != 1 || next != '\n')
			line = len + 1; /* a lone CR, or more of the line: too long */
	}
	close(fd);
	if (line > len || (line == len && buf[len - 1] != '\r')) {
		OPENSSL_cleanse(buf, len);
		return fwt__error(ctx, FWT_EINVAL, "PIN file '%s': the PIN is longer than %zu bytes", path, len - 1);
	}
	if (line && buf[line - 1] == '\r')
		line--; /* CR LF, or a CR that fills the buffer, its LF beyond */
	/* a NUL or a lone CR would cut the PIN short, and a wrong PIN uses
	 * up a try: refused, never guessed at */
	for (n = 0; (size_t)n < line; n++)
		if (buf[n] == '\0' || buf[n] == '\r') {
			const char *what = buf[n] ? "CR" : "NUL";
			OPENSSL_cleanse(buf, len);
			return fwt__error(ctx, FWT_EINVAL, "PIN file '%s': its first line holds a %s (byte %zd): a PIN "
			                  "is the whole first line, without control characters", path, what, n + 1);
		}
	OPENSSL_cleanse(buf + line, len - line);
	return FWT_OK;
}

fwt_err fwt__pin_check(fwt_ctx *ctx, char *pin, size_t len, const char *label)
{
	size_t i;

	/* a line end from FWTRAIL_PIN="$(cat file)" of a CR LF file, say:
	 * a PIN with it would be wrong, and a wrong PIN uses up a try */
	for (i = 0; pin[i]; i++)
		if ((unsigned char)pin[i] < 0x20 || pin[i] == 0x7f) {
			unsigned c = (unsigned char)pin[i];
			OPENSSL_cleanse(pin, len);
			return fwt__error(ctx, FWT_EINVAL, "the PIN %s%s%s holds a control character (0x%02x, byte %zu): "
			                  "refused before any login, since a wrong PIN uses up a try", label ? "for token '" : "",
			                  label ? label : "", label ? "'" : "", c, i + 1);
		}
	return FWT_OK;
}

/* A PIN for token label, from (in order) the pin_file option, the URI's
 * pin-source, the URI's pin-value, the pin option, the prompt. */
static fwt_err get_pin(fwt_ctx *ctx, P11KitUri *uri, const fwt_key_options *o, const char *label, int prompt,
                       char *buf, size_t len)
{
	const char *src = uri ? p11_kit_uri_get_pin_source(uri) : NULL;
	const char *val = uri ? p11_kit_uri_get_pin_value(uri) : NULL;
	char text[200], q[160];
	fwt_err err;

	buf[0] = '\0';
	if (o && o->pin_file) {
		err = fwt__read_pin_file(ctx, o->pin_file, buf, len);
	} else if (src) {
		err = fwt__read_pin_file(ctx, !strncmp(src, "file:", 5) ? src + 5 : src, buf, len);
	} else if (val) {
		fwt__log(ctx, FWT_LOG_WARN, "the PIN comes from the URI's pin-value: anyone who sees the URI "
		                            "knows it (use pin-source=file:... instead)");
		if (strlen(val) >= len)
			return fwt__error(ctx, FWT_EINVAL, "the PIN is longer than %d bytes", PIN_MAX - 1);
		snprintf(buf, len, "%s", val);
		err = FWT_OK;
	} else if (o && o->pin) {
		if (strlen(o->pin) >= len)
			return fwt__error(ctx, FWT_EINVAL, "the PIN is longer than %d bytes", PIN_MAX - 1);
		snprintf(buf, len, "%s", o->pin);
		err = FWT_OK;
	} else if (prompt && o && o->pin_prompt) {
		/* the label is the token's to choose: made safe for a terminal */
		fwt__quote(q, sizeof(q), label, strlen(label));
		snprintf(text, sizeof(text), "PIN for token '%s': ", q);
		err = o->pin_prompt(o->pin_payload, text, buf, len);
		buf[len - 1] = '\0';
		if (err) {
			OPENSSL_cleanse(buf, len);
			return fwt__error(ctx, err, "no PIN for token '%s' (the prompt gave none)", label);
		}
	} else {
		return fwt__error(ctx, FWT_ETOKEN, "token '%s' needs a PIN and none was given (--pin-file, "
		                  "FWTRAIL_PIN, the URI's pin-source, or a terminal to ask on)", label);
	}
	if (err)
		return err;
	if (!buf[0])
		return fwt__error(ctx, FWT_ETOKEN, "refusing an empty PIN for token '%s'", label);
	return fwt__pin_check(ctx, buf, len, label);
}

static int pin_available(P11KitUri *uri, const fwt_key_options *o)
{
	return (o && (o->pin_file || o->pin)) ||
	       (uri && (p11_kit_uri_get_pin_source(uri) || p11_kit_uri_get_pin_value(uri)));
}

/* Log in as the user on t (once per process and token: the login holds for
 * every session).  A copy of the PIN is left in keep (when non-NULL and
 * the PIN was asked for) for context-specific logins. */
static fwt_err login(fwt_ctx *ctx, struct p11_tok *t, CK_SESSION_HANDLE s, P11KitUri *uri,
                     const fwt_key_options *o, int prompt, char *keep, size_t keeplen, int *did)
{
	CK_FUNCTION_LIST *f = t->mod->f;
	CK_TOKEN_INFO now;
	char pin[PIN_MAX], lbl[33], ckrbuf[24];
	fwt_err err;
	CK_RV rv;

	FIELD(lbl, t->ti.label);
	if (!(t->ti.flags & CKF_LOGIN_REQUIRED))
		return FWT_OK;
	if (t->ti.flags & CKF_USER_PIN_LOCKED)
		return fwt__error(ctx, FWT_ETOKEN, "the user PIN of token '%s' is locked (CKF_USER_PIN_LOCKED)", lbl);
	if ((t->ti.flags & CKF_USER_PIN_FINAL_TRY) && !(o && o->force_final_try))
		return fwt__error(ctx, FWT_ETOKEN, "the user PIN of token '%s' has one try left "
		                  "(CKF_USER_PIN_FINAL_TRY): refusing to risk locking it; log in once with the "
		                  "token's own tool to reset the counter, or allow this one try "
		                  "(--force-final-try)", lbl);
	if (t->ti.flags & CKF_USER_PIN_FINAL_TRY)
		fwt__log(ctx, FWT_LOG_WARN, "the user PIN of token '%s' has one try left (CKF_USER_PIN_FINAL_TRY); "
		         "trying it once, as asked: a wrong PIN now locks the token", lbl);
	if (t->ti.flags & CKF_PROTECTED_AUTHENTICATION_PATH) {
		rv = f->C_Login(s, CKU_USER, NULL, 0);
	} else {
		err = get_pin(ctx, uri, o, lbl, prompt, pin, sizeof(pin));
		if (err) {
			OPENSSL_cleanse(pin, sizeof(pin));
			return err;
		}
		rv = f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin));
		if (keep && (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN))
			snprintf(keep, keeplen, "%s", pin);
		OPENSSL_cleanse(pin, sizeof(pin));
	}
	if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
		if (did)
			*did = rv == CKR_OK; /* someone else's login is not ours to end */
		fwt__log(ctx, FWT_LOG_DEBUG, "logged in to token '%s'%s", lbl,
		         rv == CKR_OK ? "" : " (already logged in)");
		return FWT_OK;
	}
	/* never retried: a retry could lock the PIN */
	if (f->C_GetTokenInfo(t->slot, &now) == CKR_OK &&
	    (now.flags & (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED)))
		return fwt__error(ctx, FWT_ETOKEN, "cannot log in to token '%s': %s (%s)", lbl, CKR(rv),
		                  now.flags & CKF_USER_PIN_LOCKED     ? "the PIN is now locked"
		                  : now.flags & CKF_USER_PIN_FINAL_TRY ? "one try left before the PIN locks"
		                                                       : "few tries left before the PIN locks");
	return fwt__error(ctx, FWT_ETOKEN, "cannot log in to token '%s': %s", lbl, CKR(rv));
}

/* ---- the key ---- */

enum sess_state { S_EMPTY = 0, S_FREE, S_BUSY };

struct fwt_p11_key {
	fwt_ctx *ctx;
	struct p11_set set;
	struct p11_tok tok;
	CK_FUNCTION_LIST *f;
	CK_OBJECT_HANDLE obj;
	CK_KEY_TYPE kt;
	char *uri;
	const char *cannot_sign; /* NULL when it can */
	char reason[200];
	int always_auth;
	char pin[PIN_MAX];       /* kept only for CKA_ALWAYS_AUTHENTICATE keys */
	CK_RV pin_refused;       /* that PIN's context login failed: never tried again */
	int logged_in;
	size_t rsa_bytes;
	/* session pool */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	CK_SESSION_HANDLE *sess;
	unsigned char *state;
	size_t max;
	int cant_grow;
	pid_t pid;
	unsigned timeout_ms;     /* 0: no bound on a signature */
	int hung;                /* a call timed out: never call the module again */
};

unsigned fwt__p11_key_parallelism(const struct fwt_p11_key *k)
{
	return k ? (unsigned)k->max : 1;
}

const char *fwt__p11_key_cannot_sign(const struct fwt_p11_key *k)
{
	return k ? k->cannot_sign : "no key";
}

static int cmp_str(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	return strcmp(x ? x : "", y ? y : "");
}

/* The end of a message about a URI that matches several tokens (toks,
 * those of them that need a login when login_only): the token attributes
 * the URI does not give yet that tell those tokens apart, each alone
 * ("add serial= to pick one"), or together when none does alone ("add
 * token= and serial="). */
static const char *pick_hint(const struct fwt_p11_uri *pu, const struct p11_tok *toks, size_t ntok, int login_only,
                             char *buf, size_t n)
{
	static const CK_TOKEN_INFO zero;
	static const char *const attr[4] = { "token=", "serial=", "model=", "manufacturer=" };
	const CK_TOKEN_INFO *ti = p11_kit_uri_get_token_info(pu->uri);
	const char *names[4];
	size_t k = 0, i, j, f, used;
	int differ[4] = { 0, 0, 0, 0 }, unique[4] = { 1, 1, 1, 1 }, any_unique = 0;

	for (i = 0; i < ntok; i++) {
		if (login_only && !(toks[i].ti.flags & CKF_LOGIN_REQUIRED))
			continue;
		for (j = i + 1; j < ntok; j++) {
			const CK_TOKEN_INFO *a = &toks[i].ti, *b = &toks[j].ti;
			int d[4];
			if (login_only && !(b->flags & CKF_LOGIN_REQUIRED))
				continue;
			d[0] = memcmp(a->label, b->label, sizeof(a->label)) != 0;
			d[1] = memcmp(a->serialNumber, b->serialNumber, sizeof(a->serialNumber)) != 0;
			d[2] = memcmp(a->model, b->model, sizeof(a->model)) != 0;
			d[3] = memcmp(a->manufacturerID, b->manufacturerID, sizeof(a->manufacturerID)) != 0;
			for (f = 0; f < 4; f++) {
				differ[f] |= d[f];
				unique[f] &= d[f];
			}
		}
	}
	for (f = 0; f < 4; f++) {
		int given = f == 0 ? memcmp(ti->label, zero.label, sizeof(zero.label)) != 0 :
		            f == 1 ? memcmp(ti->serialNumber, zero.serialNumber, sizeof(zero.serialNumber)) != 0 :
		            f == 2 ? memcmp(ti->model, zero.model, sizeof(zero.model)) != 0 :
		                     memcmp(ti->manufacturerID, zero.manufacturerID, sizeof(zero.manufacturerID)) != 0;
		differ[f] &= !given;
		unique[f] &= differ[f];
		any_unique |= unique[f];
	}
	for (f = 0; f < 4; f++)
		if (any_unique ? unique[f] : differ[f])
			names[k++] = attr[f];
	if (!k) {
		snprintf(buf, n, "their token attributes are alike: add module-name= or module-path= to pick one");
		return buf;
	}
	used = (size_t)snprintf(buf, n, "add ");
	for (i = 0; i < k && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", names[i],
		                         i + 1 == k ? "" : i + 2 == k ? (any_unique ? " or " : " and ") : ", ");
	if (used < n)
		snprintf(buf + used, n - used, " to pick one");
	return buf;
}

/* A URI candidate list for a message: "uri1, uri2, ..." sorted (malloc'd). */
static char *join_uris(char **uris, size_t n)
{
	size_t len = 1, i;
	char *s;

	qsort(uris, n, sizeof(*uris), cmp_str);
	for (i = 0; i < n; i++)
		len += strlen(uris[i] ? uris[i] : "?") + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t l = strlen(s);
		snprintf(s + l, len - l, "%s%s", i ? ", " : "", uris[i] ? uris[i] : "?");
	}
	return s;
}

static void free_strs(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

struct cand {
	size_t tok;
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE o;
};

/* The full URI of private key o on t. */
static char *key_uri(const struct p11_tok *t, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_OBJECT_CLASS cls,
                     const char *module_name, const char *module_path)
{
	unsigned char *label = NULL, *id = NULL;
	size_t ll = 0, il = 0;
	char *u;

	get_attr(t->mod->f, s, o, CKA_LABEL, &label, &ll);
	get_attr(t->mod->f, s, o, CKA_ID, &id, &il);
	u = make_uri(t, label, ll, id, il, cls, 1, module_name, module_path);
	free(label);
	free(id);
	return u;
}


/* The public key that goes with private key o: on the object itself (RSA,
 * or CKA_PUBLIC_KEY_INFO), else the one public key, else the one
 * certificate, with the same CKA_ID (or, without an id, the same label).
 * A public key found as an object of its own is named by that object's
 * URI (fwt_pubkey_name), the private key's otherwise: only the private
 * key's own attributes say for sure that the two pair. */
/*
 * The token's certificate for the key *out (found by sel, the key's id or
 * label, as by): when exactly one certificate with it holds the same public
 * key, *out becomes that certificate's key, under the same name, so that
 * what needs the certificate (the signer name of rim sign) has it.  A key
 * read from its own attributes or a public key object has none otherwise.
 * Any other case leaves *out as it is: a certificate is extra here.
 */
static void attach_cert(fwt_ctx *ctx, CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_ATTRIBUTE_TYPE by,
                        unsigned char *sel, size_t sl, fwt_pubkey **out)
{
	CK_OBJECT_CLASS ccls = CKO_CERTIFICATE;
	CK_ATTRIBUTE t[2] = { { CKA_CLASS, &ccls, sizeof(ccls) }, { by, sel, sl } };
	CK_OBJECT_HANDLE *objs = NULL;
	unsigned char want[32], fp[32], *cert = NULL;
	fwt_pubkey *found = NULL, *k;
	size_t n = 0, cl, i, same = 0;

	if (fwt_pubkey_has_cert(*out) || fwt_pubkey_fingerprint(*out, want) != FWT_OK ||
	    find_objects(f, s, t, 2, &objs, &n) != CKR_OK)
		goto out;
	for (i = 0; i < n && same < 2; i++) {
		k = NULL;
		if (get_attr(f, s, objs[i], CKA_VALUE, &cert, &cl) == CKR_OK && cert &&
		    fwt_pubkey_parse(ctx, &k, cert, cl, fwt_pubkey_name(*out)) == FWT_OK &&
		    fwt_pubkey_fingerprint(k, fp) == FWT_OK && !memcmp(fp, want, sizeof(fp))) {
			same++;
			fwt_pubkey_free(found);
			found = k;
			k = NULL;
		}
		fwt_pubkey_free(k);
		free(cert);
		cert = NULL;
	}
	if (same == 1) {
		fwt_pubkey_free(*out);
		*out = found;
		found = NULL;
	}
out:
	fwt_pubkey_free(found);
	free(objs);
	fwt_ctx_clear_error(ctx); /* nothing here is an error of the caller's */
}

static fwt_err find_pubkey(fwt_ctx *ctx, const struct p11_tok *tok, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                           CK_KEY_TYPE kt, const char *name, const char *mname, const char *mpath,
                           fwt_pubkey **out)
{
	CK_FUNCTION_LIST *f = tok->mod->f;
	CK_OBJECT_CLASS pcls = CKO_PUBLIC_KEY, ccls = CKO_CERTIFICATE;
	CK_ATTRIBUTE t[3];
	CK_OBJECT_HANDLE *objs = NULL;
	unsigned char *sel = NULL, *cert = NULL;
	size_t sl = 0, n = 0, cl = 0;
	CK_ATTRIBUTE_TYPE by = CKA_ID;
	char *pname = NULL;
	fwt_err err;

	err = pubkey_of(ctx, f, s, o, kt, name, out);
	if (err != FWT_OK && err != FWT_ENOTFOUND)
		return err;
	if (get_attr(f, s, o, CKA_ID, &sel, &sl) != CKR_OK || !sel) {
		free(sel);
		by = CKA_LABEL;
		if (get_attr(f, s, o, CKA_LABEL, &sel, &sl) != CKR_OK || !sel) {
			free(sel);
			if (!err)
				return FWT_OK; /* nothing to find its certificate by */
			return fwt__error(ctx, FWT_ETOKEN, "cannot find the public key of '%s': the key has no id and "
			                  "no label to pair it by", name);
		}
	}
	if (!err) {
		attach_cert(ctx, f, s, by, sel, sl, out);
		free(sel);
		return FWT_OK;
	}
	t[0] = (CK_ATTRIBUTE){ CKA_CLASS, &pcls, sizeof(pcls) };
	t[1] = (CK_ATTRIBUTE){ by, sel, sl };
	t[2] = (CK_ATTRIBUTE){ CKA_KEY_TYPE, &kt, sizeof(kt) };
	if (find_objects(f, s, t, 3, &objs, &n) == CKR_OK && n == 1) {
		pname = key_uri(tok, s, objs[0], CKO_PUBLIC_KEY, mname, mpath);
		err = pname ? pubkey_of(ctx, f, s, objs[0], kt, pname, out) : fwt__enomem(ctx);
		if (!err)
			attach_cert(ctx, f, s, by, sel, sl, out);
	} else if (n > 1) {
		err = fwt__error(ctx, FWT_ETOKEN, "cannot tell the public key of '%s': %zu public keys share its %s",
		                 name, n, by == CKA_ID ? "id" : "label");
	} else {
		free(objs);
		objs = NULL;
		t[0] = (CK_ATTRIBUTE){ CKA_CLASS, &ccls, sizeof(ccls) };
		if (find_objects(f, s, t, 2, &objs, &n) == CKR_OK && n == 1 &&
		    get_attr(f, s, objs[0], CKA_VALUE, &cert, &cl) == CKR_OK && cert) {
			pname = key_uri(tok, s, objs[0], CKO_CERTIFICATE, mname, mpath);
			err = pname ? fwt_pubkey_parse(ctx, out, cert, cl, pname) : fwt__enomem(ctx);
		} else if (n > 1) {
			err = fwt__error(ctx, FWT_ETOKEN, "cannot tell the public key of '%s': %zu certificates share its %s",
			                 name, n, by == CKA_ID ? "id" : "label");
		} else {
			err = FWT_ENOTFOUND;
		}
	}
	free(pname);
	free(cert);
	free(objs);
	free(sel);
	if (err == FWT_ENOTFOUND)
		return fwt__error(ctx, FWT_ETOKEN, "cannot find the public key of '%s' (no public key or "
		                  "certificate with the same %s on the token)", name, by == CKA_ID ? "id" : "label");
	return err;
}

/* Does token t show, without a login, a public key or a certificate that
 * the object attributes of tmpl (nt of them, no CKA_CLASS) match? */
static int shows_key(const struct p11_tok *t, CK_SESSION_HANDLE s, const CK_ATTRIBUTE *tmpl, CK_ULONG nt)
{
	static const CK_OBJECT_CLASS classes[] = { CKO_PUBLIC_KEY, CKO_CERTIFICATE };
	CK_ATTRIBUTE *want = calloc(nt + 1, sizeof(*want));
	CK_OBJECT_CLASS cls;
	CK_OBJECT_HANDLE *objs;
	size_t i, n = 0;
	CK_RV rv;

	if (!want)
		return 0;
	if (nt)
		memcpy(want, tmpl, nt * sizeof(*want));
	for (i = 0; i < FWT_ARRAY_LEN(classes) && !n; i++) {
		cls = classes[i];
		want[nt] = (CK_ATTRIBUTE){ CKA_CLASS, &cls, sizeof(cls) };
		rv = find_objects(t->mod->f, s, want, nt + 1, &objs, &n);
		free(objs);
		if (rv != CKR_OK)
			n = 0;
	}
	free(want);
	return n > 0;
}

/* The URI as shown in messages: as given, unless it carries a PIN. */
static char *display_uri(const struct fwt_p11_uri *u, const char *given)
{
	char q[1024];

	if (!fwt__p11_has_pin_value(given)) {
		fwt__quote(q, sizeof(q), given, strlen(given));
		return strdup(q);
	}
	return fwt__p11_uri_format(u);
}

int fwt__p11_ecdsa_normalise(const unsigned char *in, size_t len, size_t n, unsigned char *out)
{
	size_t half;

	if (!len || len % 2 || len > 2 * n)
		return -1;
	half = len / 2;
	memset(out, 0, 2 * n);
	memcpy(out + (n - half), in, half);
	memcpy(out + n + (n - half), in + half, half);
	return 0;
}

static void key_close_sessions(struct fwt_p11_key *k)
{
	size_t i;
	int out = 0;

	if (!k->sess || k->pid != getpid())
		return;
	for (i = 0; i < k->max; i++) {
		if (k->state[i] == S_EMPTY)
			continue;
		if (k->logged_in && !out) {
			k->f->C_Logout(k->sess[i]);
			out = 1;
		}
		k->f->C_CloseSession(k->sess[i]);
		k->state[i] = S_EMPTY;
	}
}

void fwt__p11_key_free(struct fwt_p11_key *k)
{
	if (!k)
		return;
	if (!k->hung) {
		key_close_sessions(k);
		set_free(&k->set);
	} else {
		set_abandon(&k->set);
	}
	OPENSSL_cleanse(k->pin, sizeof(k->pin));
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	free(k->sess);
	free(k->state);
	free(k->uri);
	free(k);
}

/* Decide whether the key can sign and with which mechanism. */
static void check_signing(struct fwt_p11_key *k, CK_SESSION_HANDLE s, const fwt_pubkey *pub)
{
	CK_MECHANISM_INFO mi;
	CK_MECHANISM_TYPE mech = k->kt == CKK_EC ? CKM_ECDSA : CKM_RSA_PKCS_PSS;
	const char *mname = k->kt == CKK_EC ? "CKM_ECDSA" : "CKM_RSA_PKCS_PSS";
	char ckrbuf[24];
	CK_RV rv;

	if (!get_bool(k->f, s, k->obj, CKA_SIGN, 0)) {
		snprintf(k->reason, sizeof(k->reason), "CKA_SIGN is false");
		k->cannot_sign = k->reason;
		return;
	}
	if (k->kt != CKK_EC && k->kt != CKK_RSA)
		return; /* no fwtrail algorithm: refused as unsupported when signing */
	if (fwt_pubkey_default_alg(pub) == FWT_SIG_NONE)
		return;
	rv = k->f->C_GetMechanismInfo(k->tok.slot, mech, &mi);
	if (rv != CKR_OK || !(mi.flags & CKF_SIGN)) {
		snprintf(k->reason, sizeof(k->reason), "the token does not offer %s for signing%s%s", mname,
		         rv != CKR_OK ? ": " : "", rv != CKR_OK ? CKR(rv) : "");
		k->cannot_sign = k->reason;
	}
}

/* Count token t as left unsearched; the first one is named (by its label,
 * or its serial when the label is blank: token= cannot pick a blank label)
 * in name, and why in why (why1 then why2, and a closing parenthesis when
 * why1 opens one). */
static void skip_token(const struct p11_tok *t, size_t *skipped, char *name, size_t nlen, char *why, size_t wlen,
                       const char *why1, const char *why2)
{
	char lbl[33], sn[17];

	if ((*skipped)++)
		return;
	FIELD(lbl, t->ti.label);
	if (lbl[0])
		snprintf(name, nlen, "token '%s'", lbl);
	else
		snprintf(name, nlen, "the token of serial '%s'", FIELD(sn, t->ti.serialNumber));
	snprintf(why, wlen, "%s%s%s", why1, why2, strchr(why1, '(') ? ")" : "");
}

static fwt_err key_open_now(fwt_ctx *ctx, struct fwt_p11_key **out, const char *uristr,
                            const fwt_key_options *opts, fwt_pubkey **pub, char **name)
{
	struct fwt_p11_uri *pu = NULL;
	struct fwt_p11_key *k = NULL;
	struct p11_tok *toks = NULL;
	CK_SESSION_HANDLE *sess = NULL;
	struct cand *cands = NULL, *nc;
	size_t ntok = 0, ncand = 0, nlogin = 0, i, j, nobj;
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE *ua, *tmpl = NULL;
	CK_ULONG nua, nt;
	CK_OBJECT_HANDLE *objs;
	char *disp = NULL, *list = NULL, ckrbuf[24], unasked[80] = "", skip_why[120] = "", hint[120];
	size_t skipped = 0;
	int skip_login = 0; /* the first token left unsearched was for want of a login */
	char **uris;
	fwt_err err;
	CK_RV rv;

	*out = NULL;
	*pub = NULL;
	*name = NULL;
	err = fwt__p11_uri_parse(ctx, uristr, &pu);
	if (err)
		return err;
	disp = display_uri(pu, uristr);
	if (!disp) {
		err = fwt__enomem(ctx);
		goto out;
	}
	ua = p11_kit_uri_get_attribute(pu->uri, CKA_CLASS);
	if (ua && (ua->ulValueLen != sizeof(CK_OBJECT_CLASS) || *(CK_OBJECT_CLASS *)ua->pValue != CKO_PRIVATE_KEY)) {
		err = fwt__error(ctx, FWT_EINVAL, "'%s' names an object that is not a private key (use type=private "
		                 "or leave type out)", disp);
		goto out;
	}
	k = calloc(1, sizeof(*k));
	if (!k) {
		err = fwt__enomem(ctx);
		goto out;
	}
	k->ctx = ctx;
	k->pid = getpid();
	k->timeout_ms = opts->timeout_ms;
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	err = set_load(ctx, &k->set, p11_kit_uri_get_module_name(pu->uri), p11_kit_uri_get_module_path(pu->uri));
	if (err)
		goto out;
	err = find_tokens(&k->set, pu->uri, &toks, &ntok);
	if (err)
		goto out;
	if (!ntok) {
		err = fwt__error(ctx, FWT_ENOTFOUND, "no PKCS#11 token matches '%s'", disp);
		goto out;
	}
	for (i = 0; i < ntok; i++)
		nlogin += (toks[i].ti.flags & CKF_LOGIN_REQUIRED) != 0;
	if (nlogin > 1) {
		uris = calloc(ntok, sizeof(*uris));
		for (i = 0, j = 0; uris && i < ntok; i++)
			if (toks[i].ti.flags & CKF_LOGIN_REQUIRED)
				uris[j++] = token_uri(&toks[i]);
		list = uris ? join_uris(uris, j) : NULL;
		free_strs(uris, ntok);
		err = fwt__error(ctx, FWT_ETOKEN, "'%s' matches %zu tokens that need a PIN: %s; %s", disp, nlogin,
		                 list ? list : "(out of memory)", pick_hint(pu, toks, ntok, 1, hint, sizeof(hint)));
		goto out;
	}
	/* the search template: the URI's object attributes, private keys only */
	ua = p11_kit_uri_get_attributes(pu->uri, &nua);
	tmpl = calloc(nua + 1, sizeof(*tmpl));
	sess = calloc(ntok, sizeof(*sess));
	if (!tmpl || !sess) {
		err = fwt__enomem(ctx);
		goto out;
	}
	for (i = 0, nt = 0; i < nua; i++)
		if (ua[i].type != CKA_CLASS)
			tmpl[nt++] = ua[i];
	tmpl[nt++] = (CK_ATTRIBUTE){ CKA_CLASS, &cls, sizeof(cls) };
	for (i = 0; i < ntok; i++) {
		struct p11_tok *t = &toks[i];
		char lbl[33];
		rv = t->mod->f->C_OpenSession(t->slot, CKF_SERIAL_SESSION, NULL, NULL, &sess[i]);
		if (rv != CKR_OK) {
			sess[i] = CK_INVALID_HANDLE;
			if (ntok == 1) {
				err = fwt__error(ctx, FWT_ETOKEN, "cannot open a session on token '%s': %s",
				                 FIELD(lbl, t->ti.label), CKR(rv));
				goto out;
			}
			/* it may hold a matching key: unsearched, never passed over */
			snprintf(ckrbuf, sizeof(ckrbuf), "%s", CKR(rv));
			skip_token(t, &skipped, unasked, sizeof(unasked), skip_why, sizeof(skip_why),
			           "which could not be opened (C_OpenSession: ", ckrbuf);
			fwt__log(ctx, FWT_LOG_INFO, "%s skipped: C_OpenSession: %s", unasked, ckrbuf);
			continue;
		}
		/* A URI that names no token may reach a token that is not the
		 * signer's at all (a card left in a reader): a PIN tried there
		 * is someone else's and may use up one of its tries.  Such a
		 * token is logged in to only when it shows, before any login,
		 * a public key or certificate the URI matches. */
		if ((t->ti.flags & CKF_LOGIN_REQUIRED) && !pu->names_token &&
		    !shows_key(t, sess[i], tmpl, nt - 1)) {
			skip_login |= !skipped;
			skip_token(t, &skipped, unasked, sizeof(unasked), skip_why, sizeof(skip_why),
			           "which needs a PIN and was not searched (the URI names no token", "");
			fwt__log(ctx, FWT_LOG_INFO, "not logging in to %s: the URI names no token and none of its "
			         "public keys or certificates matches '%s'", unasked, disp);
			continue;
		}
		if (t->ti.flags & CKF_LOGIN_REQUIRED) {
			err = login(ctx, t, sess[i], pu->uri, opts, 1, k->pin, sizeof(k->pin), &k->logged_in);
			if (err)
				goto out;
		}
		rv = find_objects(t->mod->f, sess[i], tmpl, nt, &objs, &nobj);
		if (rv != CKR_OK) {
			err = fwt__error(ctx, FWT_ETOKEN, "cannot search token '%s': %s", FIELD(lbl, t->ti.label),
			                 CKR(rv));
			goto out;
		}
		/* a token that needs no login but keeps its private keys from a
		 * session without one, and shows the URI's public key: its key
		 * was never seen, so it counts as unsearched */
		if (!nobj && !(t->ti.flags & CKF_LOGIN_REQUIRED) && shows_key(t, sess[i], tmpl, nt - 1))
			skip_token(t, &skipped, unasked, sizeof(unasked), skip_why, sizeof(skip_why),
			           "which shows a matching public key but no private key without a login", "");
		nc = nobj ? realloc(cands, (ncand + nobj) * sizeof(*cands)) : cands;
		if (nobj && !nc) {
			free(objs);
			err = fwt__enomem(ctx);
			goto out;
		}
		cands = nc;
		for (j = 0; j < nobj; j++)
			cands[ncand++] = (struct cand){ i, sess[i], objs[j] };
		free(objs);
	}
	/* a token left unsearched may hold a matching key too: never pick
	 * the one found elsewhere (exactly one key must match the URI) */
	if (skipped && !ncand && skip_login && skipped == 1) {
		err = fwt__error(ctx, FWT_ETOKEN, "no token shows a key matching '%s' without a login, and the URI "
		                 "names no token: not logging in to %s, whose PIN may not be this one (a wrong PIN "
		                 "uses up a try); name the token (token=... or serial=...) to allow a login", disp,
		                 unasked);
		goto out;
	}
	if (skipped) {
		err = fwt__error(ctx, FWT_ETOKEN, "'%s' %s, but %s, %s, may hold one: name the token (token=... or "
		                 "serial=...)", disp, ncand ? "matches a key on another token" : "matches no key searched",
		                 unasked, skip_why);
		goto out;
	}
	if (!ncand) {
		err = fwt__error(ctx, FWT_ENOTFOUND, "no private key matches '%s'", disp);
		goto out;
	}
	if (ncand > 1) {
		uris = calloc(ncand, sizeof(*uris));
		for (i = 0; uris && i < ncand; i++)
			uris[i] = key_uri(&toks[cands[i].tok], cands[i].s, cands[i].o, CKO_PRIVATE_KEY,
			                  p11_kit_uri_get_module_name(pu->uri), p11_kit_uri_get_module_path(pu->uri));
		list = uris ? join_uris(uris, ncand) : NULL;
		free_strs(uris, ncand);
		err = fwt__error(ctx, FWT_ETOKEN, "'%s' matches %zu private keys: %s; add object= or id= to pick one",
		                 disp, ncand, list ? list : "(out of memory)");
		goto out;
	}
	/* the one key */
	k->tok = toks[cands[0].tok];
	k->f = k->tok.mod->f;
	k->obj = cands[0].o;
	for (i = 0; i < ntok; i++) {
		if (i != cands[0].tok && sess[i] != CK_INVALID_HANDLE)
			toks[i].mod->f->C_CloseSession(sess[i]);
		if (i != cands[0].tok)
			sess[i] = CK_INVALID_HANDLE;
	}
	k->uri = key_uri(&k->tok, cands[0].s, k->obj, CKO_PRIVATE_KEY, p11_kit_uri_get_module_name(pu->uri),
	                 p11_kit_uri_get_module_path(pu->uri));
	k->max = opts && opts->sessions ? opts->sessions : fwt_ctx_threads(ctx);
	if (k->max > 64)
		k->max = 64;
	k->sess = calloc(k->max, sizeof(*k->sess));
	k->state = calloc(k->max, 1);
	if (!k->uri || !k->sess || !k->state) {
		err = fwt__enomem(ctx);
		goto out;
	}
	/* the search session becomes the pool's first */
	k->sess[0] = cands[0].s;
	k->state[0] = S_FREE;
	sess[cands[0].tok] = CK_INVALID_HANDLE;
	if (!get_ulong(k->f, k->sess[0], k->obj, CKA_KEY_TYPE, &k->kt)) {
		err = fwt__error(ctx, FWT_ETOKEN, "cannot read the key type of '%s'", k->uri);
		goto out;
	}
	if (k->kt != CKK_EC && k->kt != CKK_RSA) {
		char kb[40];
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "key '%s' is a %s key: fwtrail signs with EC (CKK_EC) and "
		                 "RSA (CKK_RSA) keys only", k->uri, key_type_name(k->kt, kb));
		goto out;
	}
	err = find_pubkey(ctx, &k->tok, k->sess[0], k->obj, k->kt, k->uri, p11_kit_uri_get_module_name(pu->uri),
	                  p11_kit_uri_get_module_path(pu->uri), pub);
	if (err)
		goto out;
	k->rsa_bytes = (fwt_pubkey_bits(*pub) + 7) / 8;
	check_signing(k, k->sess[0], *pub);
	if (get_bool(k->f, k->sess[0], k->obj, CKA_EXTRACTABLE, 0) ||
	    !get_bool(k->f, k->sess[0], k->obj, CKA_SENSITIVE, 1))
		fwt__log(ctx, FWT_LOG_WARN, "key '%s' can leave the token (CKA_EXTRACTABLE or not CKA_SENSITIVE)",
		         k->uri);
	k->always_auth = get_bool(k->f, k->sess[0], k->obj, CKA_ALWAYS_AUTHENTICATE, 0);
	if (k->always_auth && !k->pin[0] && !(k->tok.ti.flags & CKF_PROTECTED_AUTHENTICATION_PATH)) {
		char lbl[33];
		err = get_pin(ctx, pu->uri, opts, FIELD(lbl, k->tok.ti.label), 1, k->pin, sizeof(k->pin));
		if (err)
			goto out;
	}
	if (!k->always_auth)
		OPENSSL_cleanse(k->pin, sizeof(k->pin));
	/* A login for every signature: one session, so that a PIN the user
	 * login did not check (a token already logged in by another
	 * application answers CKR_USER_ALREADY_LOGGED_IN) is tried once, not
	 * once per session at the same time, which could lock the token. */
	if (k->always_auth)
		k->max = 1;
	fwt__log(ctx, FWT_LOG_INFO, "key %s (%s%s)", k->uri, fwt_pubkey_describe(*pub),
	         k->always_auth ? ", a login for every signature" : "");
	*name = strdup(k->uri);
	if (!*name) {
		err = fwt__enomem(ctx);
		goto out;
	}
	*out = k;
	k = NULL;
out:
	if (sess && k && k->pid == getpid()) {
		for (i = 0; i < ntok; i++)
			if (sess[i] != CK_INVALID_HANDLE)
				toks[i].mod->f->C_CloseSession(sess[i]);
	}
	if (err) {
		fwt_pubkey_free(*pub);
		*pub = NULL;
	}
	fwt__p11_key_free(k);
	free(sess);
	free(tmpl);
	free(cands);
	free(toks);
	free(list);
	free(disp);
	fwt__p11_uri_free(pu);
	return err;
}

/* ---- --timeout: opening, listing and generating on a helper thread ---- */

/* Say how long ms is, for messages: "2 s", "1.5 s", "250 ms". */
static const char *span(char buf[24], unsigned ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, 24, "%u s", ms / 1000);
	else if (ms > 1000)
		snprintf(buf, 24, "%u.%03u s", ms / 1000, ms % 1000);
	else
		snprintf(buf, 24, "%u ms", ms);
	return buf;
}

/* Key options a helper thread can keep after its caller has gone: its own
 * copies of the PIN and the PIN file name, and the prompt wrapped so that
 * the clock stops while a person types. */
struct opts_copy {
	fwt_key_options o;
	struct fwt__bounded *b;
	fwt_pin_fn prompt;
	void *payload;
	char *pin, *pin_file;
};

static fwt_err paused_prompt(void *payload, const char *prompt, char *buf, size_t len)
{
	struct opts_copy *oc = payload;
	fwt_err err = FWT_ETOKEN;

	if (!fwt__bounded_pause(oc->b, 1)) /* not once the caller has given up */
		err = oc->prompt(oc->payload, prompt, buf, len);
	fwt__bounded_pause(oc->b, 0);
	return err;
}

static int opts_copy(struct opts_copy *oc, struct fwt__bounded *b, const fwt_key_options *o)
{
	oc->b = b;
	oc->o = *o;
	oc->o.pin = oc->o.pin_file = NULL;
	if (o->pin && !(oc->o.pin = oc->pin = strdup(o->pin)))
		return -1;
	if (o->pin_file && !(oc->o.pin_file = oc->pin_file = strdup(o->pin_file)))
		return -1;
	if (o->pin_prompt) {
		oc->prompt = o->pin_prompt;
		oc->payload = o->pin_payload;
		oc->o.pin_prompt = paused_prompt;
		oc->o.pin_payload = oc;
	}
	return 0;
}

static void opts_wipe(struct opts_copy *oc)
{
	if (oc->pin)
		OPENSSL_clear_free(oc->pin, strlen(oc->pin));
	free(oc->pin_file);
	oc->pin = oc->pin_file = NULL;
}

/* What every helper job has: the bound, a context of its own whose log
 * lines and error reach the caller only if it finished in time, and the
 * options. */
struct p11_job {
	struct fwt__bounded b; /* first */
	fwt_ctx *child;
	struct fwt__bounded_log *log;
	struct opts_copy oc;
	/* open */
	char *uri;
	struct fwt_p11_key *key;
	fwt_pubkey *pub;
	char *name;
	/* list */
	fwt_p11_list_options lo;
	char *module, *token_uri;
	fwt_p11_listing *listing;
	/* generate */
	fwt_p11_keygen type;
	char *label;
	unsigned char id[256];
	size_t idlen;
};

static void job_free(struct fwt__bounded *b)
{
	struct p11_job *j = (struct p11_job *)b;

	fwt__p11_key_free(j->key);
	fwt_pubkey_free(j->pub);
	free(j->name);
	fwt_p11_listing_free(j->listing);
	free(j->module);
	free(j->token_uri);
	free(j->label);
	free(j->uri);
	opts_wipe(&j->oc);
	fwt__bounded_ctx_free(j->child, j->log);
	free(j);
}

static struct p11_job *job_new(fwt_ctx *ctx, fwt_err (*run)(struct fwt__bounded *), const fwt_key_options *o)
{
	struct p11_job *j = calloc(1, sizeof(*j));

	if (!j) {
		fwt__enomem(ctx);
		return NULL;
	}
	fwt__bounded_init(&j->b, run, job_free);
	if (fwt__bounded_ctx_new(ctx, &j->child, &j->log)) {
		fwt__bounded_release(&j->b);
		return NULL;
	}
	if (o && opts_copy(&j->oc, &j->b, o)) {
		fwt__bounded_release(&j->b);
		fwt__enomem(ctx);
		return NULL;
	}
	return j;
}

/* Run j within ms; what = what the modules were doing, for the message.
 * The job's results are the caller's to take when this returns FWT_OK. */
static fwt_err job_wait(fwt_ctx *ctx, struct p11_job *j, unsigned ms, const char *what)
{
	char t[24];
	int done = fwt__bounded_wait(&j->b, ms);

	if (done == 1)
		return fwt__bounded_ctx_replay(ctx, j->child, j->log, j->b.err);
	if (done < 0)
		return fwt__error(ctx, FWT_ENOMEM, "cannot start a thread for the PKCS#11 modules");
	return fwt__error(ctx, FWT_ETOKEN, "the PKCS#11 module did not answer within %s while %s (--timeout); "
	                  "giving up on it", span(t, ms), what);
}

static fwt_err open_job_run(struct fwt__bounded *b)
{
	struct p11_job *j = (struct p11_job *)b;

	return key_open_now(j->child, &j->key, j->uri, &j->oc.o, &j->pub, &j->name);
}

fwt_err fwt__p11_key_open(fwt_ctx *ctx, struct fwt_p11_key **out, const char *uristr,
                          const fwt_key_options *opts, fwt_pubkey **pub, char **name)
{
	struct fwt_p11_uri *pu = NULL;
	struct p11_job *j;
	char what[1100], *disp;
	fwt_err err;

	if (!opts->timeout_ms)
		return key_open_now(ctx, out, uristr, opts, pub, name);
	*out = NULL;
	*pub = NULL;
	*name = NULL;
	err = fwt__p11_uri_parse(ctx, uristr, &pu);
	if (err)
		return err;
	disp = display_uri(pu, uristr);
	fwt__p11_uri_free(pu);
	snprintf(what, sizeof(what), "opening '%s'", disp ? disp : "the key");
	free(disp);
	j = job_new(ctx, open_job_run, opts);
	if (!j)
		return fwt_ctx_errcode(ctx) ? fwt_ctx_errcode(ctx) : FWT_ENOMEM;
	if (!(j->uri = strdup(uristr))) {
		fwt__bounded_release(&j->b);
		return fwt__enomem(ctx);
	}
	err = job_wait(ctx, j, opts->timeout_ms, what);
	if (!err) {
		*out = j->key;
		*pub = j->pub;
		*name = j->name;
		j->key = NULL;
		j->pub = NULL;
		j->name = NULL;
		(*out)->ctx = ctx; /* the helper's context dies with the job */
		(*out)->set.ctx = ctx;
		fwt__pubkey_set_ctx(*pub, ctx);
	}
	fwt__bounded_release(&j->b);
	return err;
}

/* Once one signature timed out, every caller gets the same message (in a
 * batch, whichever thread reports first). */
static fwt_err hung_error(struct fwt_p11_key *k)
{
	char t[24];

	return fwt__error(k->ctx, FWT_ETOKEN, "the token did not return a signature with '%s' within %s "
	                  "(--timeout); giving up on it", k->uri, span(t, k->timeout_ms));
}

/* A free session of the pool, opening another when all are busy and the
 * pool may grow. */
static fwt_err acquire(struct fwt_p11_key *k, size_t *idx)
{
	CK_SESSION_HANDLE s;
	char ckrbuf[24];
	size_t i, live, empty;
	CK_RV rv;

	pthread_mutex_lock(&k->mu);
	for (;;) {
		if (k->hung) {
			pthread_mutex_unlock(&k->mu);
			return hung_error(k);
		}
		live = 0;
		empty = k->max;
		for (i = 0; i < k->max; i++) {
			if (k->state[i] == S_FREE) {
				k->state[i] = S_BUSY;
				pthread_mutex_unlock(&k->mu);
				*idx = i;
				return FWT_OK;
			}
			if (k->state[i] != S_EMPTY)
				live++;
			else if (empty == k->max)
				empty = i;
		}
		if (empty < k->max && (!k->cant_grow || !live)) {
			k->state[empty] = S_BUSY;
			pthread_mutex_unlock(&k->mu);
			rv = k->f->C_OpenSession(k->tok.slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
			pthread_mutex_lock(&k->mu);
			if (rv == CKR_OK) {
				k->sess[empty] = s;
				pthread_mutex_unlock(&k->mu);
				*idx = empty;
				return FWT_OK;
			}
			k->state[empty] = S_EMPTY;
			if (!live) {
				pthread_cond_broadcast(&k->cv);
				pthread_mutex_unlock(&k->mu);
				return fwt__error(k->ctx, FWT_ETOKEN, "cannot open a session for '%s': %s", k->uri, CKR(rv));
			}
			k->cant_grow = 1; /* e.g. CKR_SESSION_COUNT: make do with what we have */
			continue;
		}
		pthread_cond_wait(&k->cv, &k->mu);
	}
}

static void release(struct fwt_p11_key *k, size_t i, int broken)
{
	CK_SESSION_HANDLE s = k->sess[i];

	pthread_mutex_lock(&k->mu);
	if (broken) {
		k->state[i] = S_EMPTY;
		k->sess[i] = CK_INVALID_HANDLE;
	} else {
		k->state[i] = S_FREE;
	}
	pthread_cond_broadcast(&k->cv);
	pthread_mutex_unlock(&k->mu);
	if (broken)
		k->f->C_CloseSession(s);
}

static int session_gone(CK_RV rv)
{
	return rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED || rv == CKR_DEVICE_REMOVED ||
	       rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_DEVICE_ERROR || rv == CKR_BUFFER_TOO_SMALL;
}

/* One signature's calls, on copies of what they need (so that a helper
 * thread abandoned by --timeout holds nothing of the key's). */
struct sign_call {
	CK_FUNCTION_LIST *f;
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE obj;
	CK_MECHANISM mech;
	CK_RSA_PKCS_PSS_PARAMS pss;
	const char *pin;         /* CKA_ALWAYS_AUTHENTICATE keys only */
	unsigned char digest[64];
	size_t dlen;
	unsigned char buf[SIG_BUF];
	CK_ULONG len;
	const char *step;
	int broken;
	CK_RV rv;
};

static void sign_call(struct sign_call *c)
{
	c->step = "C_SignInit";
	c->rv = c->f->C_SignInit(c->s, &c->mech, c->obj);
	if (c->rv == CKR_OK && c->pin) {
		/* CKA_ALWAYS_AUTHENTICATE: the login must come right after C_SignInit */
		c->step = "C_Login (CKU_CONTEXT_SPECIFIC)";
		c->rv = c->f->C_Login(c->s, CKU_CONTEXT_SPECIFIC, c->pin[0] ? (CK_UTF8CHAR_PTR)c->pin : NULL,
		                      strlen(c->pin));
		c->broken = c->rv != CKR_OK; /* the signing operation is still active */
	}
	if (c->rv == CKR_OK) {
		c->step = "C_Sign";
		c->rv = c->f->C_Sign(c->s, c->digest, c->dlen, c->buf, &c->len);
	}
}

struct sign_job {
	struct fwt__bounded b; /* first */
	struct sign_call c;
	char pin[PIN_MAX];
};

static fwt_err sign_job_run(struct fwt__bounded *b)
{
	sign_call(&((struct sign_job *)b)->c);
	return FWT_OK;
}

static void sign_job_free(struct fwt__bounded *b)
{
	OPENSSL_cleanse(b, sizeof(struct sign_job));
	free(b);
}

/* sign_call on a helper, waited for at most k->timeout_ms.  On expiry the
 * session stays marked busy, the key hung, and the caller gets the error. */
static fwt_err sign_bounded(struct fwt_p11_key *k, size_t idx, struct sign_call *c)
{
	struct sign_job *j = calloc(1, sizeof(*j));
	int done;

	if (!j) {
		release(k, idx, 0);
		return fwt__enomem(k->ctx);
	}
	fwt__bounded_init(&j->b, sign_job_run, sign_job_free);
	j->c = *c;
	j->c.mech.pParameter = c->mech.pParameter ? &j->c.pss : NULL;
	if (c->pin) {
		snprintf(j->pin, sizeof(j->pin), "%s", c->pin);
		j->c.pin = j->pin;
	}
	done = fwt__bounded_wait(&j->b, k->timeout_ms);
	if (done == 1) {
		*c = j->c;
		c->mech.pParameter = c->mech.pParameter ? &c->pss : NULL;
		c->pin = NULL;
	}
	fwt__bounded_release(&j->b);
	if (done == 1)
		return FWT_OK;
	if (done < 0) {
		release(k, idx, 0);
		return fwt__error(k->ctx, FWT_ENOMEM, "cannot start a thread to sign with '%s'", k->uri);
	}
	pthread_mutex_lock(&k->mu);
	k->hung = 1; /* session idx stays busy: a thread is still in it */
	pthread_cond_broadcast(&k->cv);
	pthread_mutex_unlock(&k->mu);
	return hung_error(k);
}

fwt_err fwt__p11_sign_digest(struct fwt_p11_key *k, fwt_sig_alg alg, const unsigned char *digest,
                             size_t dlen, unsigned char *sig, size_t *siglen)
{
	fwt_ctx *ctx = k->ctx;
	CK_RSA_PKCS_PSS_PARAMS pss = { 0, 0, 0 };
	CK_MECHANISM mech;
	unsigned char buf[SIG_BUF];
	struct sign_call c;
	CK_ULONG len;
	const char *step;
	char ckrbuf[24];
	size_t idx = 0, n;
	int broken;
	fwt_err err;
	CK_RV rv;

	memset(&c, 0, sizeof(c));
	*siglen = 0;
	if (k->pid != getpid())
		return fwt__error(ctx, FWT_ETOKEN, "PKCS#11 key '%s' was opened before fork(); open it again in this "
		                  "process", k->uri);
	if (k->cannot_sign)
		return fwt__error(ctx, strstr(k->reason, "CKA_SIGN") ? FWT_ETOKEN : FWT_EUNSUPPORTED,
		                  "key '%s' cannot sign: %s", k->uri, k->reason);
	if (fwt_sig_alg_is_ecdsa(alg)) {
		if (k->kt != CKK_EC)
			return fwt__error(ctx, FWT_EINVAL, "%s needs an EC key", fwt_sig_alg_name(alg));
		mech = (CK_MECHANISM){ CKM_ECDSA, NULL, 0 };
	} else {
		if (k->kt != CKK_RSA)
			return fwt__error(ctx, FWT_EINVAL, "%s needs an RSA key", fwt_sig_alg_name(alg));
		switch (fwt_sig_alg_digest(alg)) {
		case FWT_DIGEST_SHA256: pss = (CK_RSA_PKCS_PSS_PARAMS){ CKM_SHA256, CKG_MGF1_SHA256, 32 }; break;
		case FWT_DIGEST_SHA384: pss = (CK_RSA_PKCS_PSS_PARAMS){ CKM_SHA384, CKG_MGF1_SHA384, 48 }; break;
		case FWT_DIGEST_SHA512: pss = (CK_RSA_PKCS_PSS_PARAMS){ CKM_SHA512, CKG_MGF1_SHA512, 64 }; break;
		default: return fwt__error(ctx, FWT_EUNSUPPORTED, "no RSA-PSS parameters for %s", fwt_sig_alg_name(alg));
		}
		mech = (CK_MECHANISM){ CKM_RSA_PKCS_PSS, &pss, sizeof(pss) };
	}
	if (dlen > sizeof(c.digest))
		return fwt__error(ctx, FWT_EINVAL, "a %zu-byte digest is too long to sign", dlen);
	err = acquire(k, &idx);
	if (err)
		return err;
	/* looked at once the session is ours: a signature that waited for it
	 * sees the refusal of the one before */
	pthread_mutex_lock(&k->mu);
	rv = k->pin_refused;
	pthread_mutex_unlock(&k->mu);
	if (rv != CKR_OK) {
		release(k, idx, 0);
		/* the same words as the refusal itself, whichever a batch reports */
		return fwt__error(ctx, FWT_ETOKEN, "C_Login (CKU_CONTEXT_SPECIFIC) with '%s' failed: %s", k->uri,
		                  CKR(rv));
	}
	c.f = k->f;
	c.s = k->sess[idx];
	c.obj = k->obj;
	c.mech = mech;
	c.pss = pss;
	c.mech.pParameter = c.mech.pParameter ? &c.pss : NULL;
	c.pin = k->always_auth ? k->pin : NULL;
	memcpy(c.digest, digest, dlen);
	c.dlen = dlen;
	c.len = sizeof(c.buf);
	if (k->timeout_ms) {
		err = sign_bounded(k, idx, &c);
		if (err)
			return err;
	} else {
		sign_call(&c);
	}
	rv = c.rv;
	step = c.step;
	if (k->always_auth && step && !strncmp(step, "C_Login", 7) &&
	    (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LOCKED || rv == CKR_PIN_EXPIRED || rv == CKR_PIN_LEN_RANGE ||
	     rv == CKR_PIN_INVALID)) {
		pthread_mutex_lock(&k->mu);
		k->pin_refused = rv;
		pthread_mutex_unlock(&k->mu);
	}
	broken = c.broken | session_gone(rv);
	release(k, idx, broken);
	len = c.len;
	if (rv == CKR_OK && len <= sizeof(buf))
		memcpy(buf, c.buf, len);
	OPENSSL_cleanse(&c, sizeof(c));
	if (rv == CKR_MECHANISM_PARAM_INVALID || rv == CKR_MECHANISM_INVALID)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "the token refused %s for '%s'%s: %s",
		                  mech.mechanism == CKM_ECDSA ? "CKM_ECDSA" : "CKM_RSA_PKCS_PSS", k->uri,
		                  mech.mechanism == CKM_ECDSA ? ""
		                  : pss.sLen == 48          ? " with SHA-384, MGF1-SHA-384, salt 48"
		                  : pss.sLen == 64          ? " with SHA-512, MGF1-SHA-512, salt 64"
		                                            : " with SHA-256, MGF1-SHA-256, salt 32",
		                  CKR(rv));
	if (rv == CKR_USER_NOT_LOGGED_IN)
		return fwt__error(ctx, FWT_ETOKEN, "%s with '%s' failed: %s (the token wants a login first; a key with "
		                  "CKA_ALWAYS_AUTHENTICATE needs one for every signature)", step, k->uri, CKR(rv));
	if (rv != CKR_OK)
		return fwt__error(ctx, FWT_ETOKEN, "%s with '%s' failed: %s", step, k->uri, CKR(rv));
	if (len > sizeof(buf))
		return fwt__error(ctx, FWT_ETOKEN, "the token claims a %lu-byte signature", (unsigned long)len);
	if (fwt_sig_alg_is_ecdsa(alg)) {
		n = fwt_sig_alg_ecdsa_size(alg) / 2;
		if (fwt__p11_ecdsa_normalise(buf, len, n, sig)) {
			OPENSSL_cleanse(buf, sizeof(buf));
			return fwt__error(ctx, FWT_ETOKEN, "the token returned a %lu-byte ECDSA signature for '%s'; %s "
			                  "takes r||s in two equal halves of at most %zu bytes", (unsigned long)len,
			                  k->uri, fwt_sig_alg_name(alg), n);
		}
		*siglen = 2 * n;
	} else {
		if (!len || len > k->rsa_bytes || k->rsa_bytes > FWT_SIG_MAX) {
			OPENSSL_cleanse(buf, sizeof(buf));
			return fwt__error(ctx, FWT_ETOKEN, "the token returned a %lu-byte RSA signature for a %zu-byte "
			                  "modulus ('%s')", (unsigned long)len, k->rsa_bytes, k->uri);
		}
		memset(sig, 0, k->rsa_bytes - len);
		memcpy(sig + (k->rsa_bytes - len), buf, len);
		*siglen = k->rsa_bytes;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return FWT_OK;
}

/* ---- listing ---- */

struct fwt_p11_listing {
	fwt_p11_token *toks;
	size_t ntok;
	fwt_p11_object *objs;
	size_t nobj;
	char **strs;
	size_t nstr, capstr;
	int failed;
};

/* Keep s (malloc'd) for the listing's lifetime; "" on failure. */
static const char *keep(fwt_p11_listing *l, char *s)
{
	char **n;

	if (!s) {
		l->failed = 1;
		return "";
	}
	if (l->nstr == l->capstr) {
		size_t cap = l->capstr ? l->capstr * 2 : 64;
		n = realloc(l->strs, cap * sizeof(*n));
		if (!n) {
			free(s);
			l->failed = 1;
			return "";
		}
		l->strs = n;
		l->capstr = cap;
	}
	l->strs[l->nstr++] = s;
	return s;
}

static char *dup_field(const unsigned char *f, size_t n)
{
	char buf[65];

	if (n > 64)
		n = 64;
	return strdup(field(buf, f, n));
}

void fwt_p11_listing_free(fwt_p11_listing *l)
{
	if (!l)
		return;
	free_strs(l->strs, l->nstr);
	free(l->toks);
	free(l->objs);
	free(l);
}

size_t fwt_p11_listing_ntokens(const fwt_p11_listing *l) { return l ? l->ntok : 0; }
size_t fwt_p11_listing_nobjects(const fwt_p11_listing *l) { return l ? l->nobj : 0; }

const fwt_p11_token *fwt_p11_listing_token(const fwt_p11_listing *l, size_t i)
{
	return l && i < l->ntok ? &l->toks[i] : NULL;
}

const fwt_p11_object *fwt_p11_listing_object(const fwt_p11_listing *l, size_t i)
{
	return l && i < l->nobj ? &l->objs[i] : NULL;
}

static const struct {
	unsigned long flag;
	const char *name;
} token_flags[] = {
	{ CKF_RNG, "rng" },
	{ CKF_WRITE_PROTECTED, "write-protected" },
	{ CKF_LOGIN_REQUIRED, "login-required" },
	{ CKF_USER_PIN_INITIALIZED, "user-pin-initialized" },
	{ CKF_RESTORE_KEY_NOT_NEEDED, "restore-key-not-needed" },
	{ CKF_CLOCK_ON_TOKEN, "clock-on-token" },
	{ CKF_PROTECTED_AUTHENTICATION_PATH, "protected-authentication-path" },
	{ CKF_DUAL_CRYPTO_OPERATIONS, "dual-crypto-operations" },
	{ CKF_TOKEN_INITIALIZED, "token-initialized" },
	{ CKF_SECONDARY_AUTHENTICATION, "secondary-authentication" },
	{ CKF_USER_PIN_COUNT_LOW, "user-pin-count-low" },
	{ CKF_USER_PIN_FINAL_TRY, "user-pin-final-try" },
	{ CKF_USER_PIN_LOCKED, "user-pin-locked" },
	{ CKF_USER_PIN_TO_BE_CHANGED, "user-pin-to-be-changed" },
	{ CKF_SO_PIN_COUNT_LOW, "so-pin-count-low" },
	{ CKF_SO_PIN_FINAL_TRY, "so-pin-final-try" },
	{ CKF_SO_PIN_LOCKED, "so-pin-locked" },
	{ CKF_SO_PIN_TO_BE_CHANGED, "so-pin-to-be-changed" },
};

size_t fwt_p11_token_flag_names(unsigned long flags, const char **names, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < FWT_ARRAY_LEN(token_flags); i++)
		if ((flags & token_flags[i].flag) && n < max)
			names[n++] = token_flags[i].name;
	return n;
}

static int cmp_obj(const void *a, const void *b)
{
	const fwt_p11_object *x = a, *y = b;
	int c;

	if (x->token != y->token)
		return x->token < y->token ? -1 : 1;
	if ((c = strcmp(x->id_hex, y->id_hex)) != 0)
		return c;
	if ((c = strcmp(x->label, y->label)) != 0)
		return c;
	return y->is_private - x->is_private;
}

static fwt_err list_token(fwt_ctx *ctx, fwt_p11_listing *l, size_t ti, struct p11_tok *t, CK_SESSION_HANDLE s,
                          const char *module_name, const char *module_path)
{
	static const CK_OBJECT_CLASS classes[2] = { CKO_PRIVATE_KEY, CKO_PUBLIC_KEY };
	CK_FUNCTION_LIST *f = t->mod->f;
	CK_OBJECT_HANDLE *objs;
	CK_ATTRIBUTE tmpl;
	CK_OBJECT_CLASS cls;
	fwt_p11_object *no;
	size_t c, i, n;
	char ckrbuf[24], lbl[33];
	CK_RV rv;

	for (c = 0; c < 2; c++) {
		cls = classes[c];
		tmpl = (CK_ATTRIBUTE){ CKA_CLASS, &cls, sizeof(cls) };
		rv = find_objects(f, s, &tmpl, 1, &objs, &n);
		if (rv != CKR_OK) {
			fwt__log(ctx, FWT_LOG_WARN, "cannot list the keys on token '%s': %s", FIELD(lbl, t->ti.label),
			         CKR(rv));
			return FWT_OK;
		}
		no = n ? realloc(l->objs, (l->nobj + n) * sizeof(*no)) : l->objs;
		if (n && !no) {
			free(objs);
			return fwt__enomem(ctx);
		}
		l->objs = no;
		for (i = 0; i < n; i++) {
			fwt_p11_object *o = &l->objs[l->nobj++];
			unsigned char *label = NULL, *id = NULL;
			size_t ll = 0, il = 0;
			CK_KEY_TYPE kt = (CK_KEY_TYPE)-1;
			char *hex;
			const char *type;

			memset(o, 0, sizeof(*o));
			o->token = ti;
			o->is_private = cls == CKO_PRIVATE_KEY;
			get_attr(f, s, objs[i], CKA_LABEL, &label, &ll);
			get_attr(f, s, objs[i], CKA_ID, &id, &il);
			o->uri = keep(l, make_uri(t, label, ll, id, il, cls, 1, module_name, module_path));
			o->label = keep(l, label ? fwt__strndup((char *)label, strnlen((char *)label, ll)) : strdup(""));
			hex = malloc(2 * il + 1);
			if (hex)
				fwt_hex_encode(hex, id ? id : (const unsigned char *)"", il);
			o->id_hex = keep(l, hex);
			free(label);
			free(id);
			get_ulong(f, s, objs[i], CKA_KEY_TYPE, &kt);
			describe(f, s, objs[i], kt, &type, &o->bits);
			if (!strcmp(type, "rsa") && o->bits) {
				char rs[24];
				snprintf(rs, sizeof(rs), "rsa-%u", o->bits);
				o->type = keep(l, strdup(rs));
			} else {
				o->type = type;
			}
			if (o->is_private) {
				o->can_sign = get_bool(f, s, objs[i], CKA_SIGN, 0);
				o->always_authenticate = get_bool(f, s, objs[i], CKA_ALWAYS_AUTHENTICATE, 0);
				o->sensitive = get_bool(f, s, objs[i], CKA_SENSITIVE, 0);
				o->extractable = get_bool(f, s, objs[i], CKA_EXTRACTABLE, 0);
			}
		}
		free(objs);
	}
	return l->failed ? fwt__enomem(ctx) : FWT_OK;
}

static fwt_err list_now(fwt_ctx *ctx, fwt_p11_listing **out, const fwt_p11_list_options *opts)
{
	fwt_p11_list_options defaults = FWT_P11_LIST_OPTIONS_INIT;
	struct fwt_p11_uri *pu = NULL;
	struct p11_set set;
	struct p11_tok *toks = NULL;
	fwt_p11_listing *l;
	size_t ntok = 0, i, nlogin = 0, first = 0;
	const char *mname = NULL, *mpath = NULL;
	char ckrbuf[24], lbl[33];
	int do_login, pin_unused;
	fwt_err err;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_p11_list");
	*out = NULL;
	if (!opts) /* else a whole current struct (fwt_p11_list) */
		opts = &defaults;
	memset(&set, 0, sizeof(set));
	if (opts->token_uri) {
		err = fwt__p11_uri_parse(ctx, opts->token_uri, &pu);
		if (err)
			return err;
		mname = p11_kit_uri_get_module_name(pu->uri);
		mpath = p11_kit_uri_get_module_path(pu->uri);
	}
	if (opts->module) {
		/* two choices of module that disagree: neither silently wins */
		int is_path = strchr(opts->module, '/') != NULL;
		const char *other = mpath ? mpath : mname;
		if (other && (!is_path != !mpath || strcmp(other, opts->module))) {
			char q[160], qo[160];
			fwt__quote(q, sizeof(q), opts->module, strlen(opts->module));
			fwt__quote(qo, sizeof(qo), other, strlen(other));
			fwt__p11_uri_free(pu);
			return fwt__error(ctx, FWT_EINVAL, "--module '%s' and the token URI's %s '%s' name different "
			                  "modules: give one of them", q, mpath ? "module-path" : "module-name", qo);
		}
		if (is_path)
			mpath = opts->module;
		else
			mname = opts->module;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		fwt__p11_uri_free(pu);
		return fwt__enomem(ctx);
	}
	err = set_load(ctx, &set, mname, mpath);
	if (!err)
		err = find_tokens(&set, pu ? pu->uri : NULL, &toks, &ntok);
	if (err)
		goto out;
	l->toks = calloc(ntok ? ntok : 1, sizeof(*l->toks));
	if (!l->toks) {
		err = fwt__enomem(ctx);
		goto out;
	}
	for (i = 0; i < ntok; i++)
		if (toks[i].ti.flags & CKF_LOGIN_REQUIRED) {
			if (!nlogin++)
				first = i;
		}
	do_login = opts->pin && pin_available(pu ? pu->uri : NULL, opts->pin);
	pin_unused = do_login && nlogin > 1;
	if (pin_unused) {
		fwt__log(ctx, FWT_LOG_WARN, "not logging in: %zu tokens need a PIN; pick one with a token URI to list "
		                            "its private keys", nlogin);
		do_login = 0;
	}
	for (i = 0; i < ntok; i++) {
		struct p11_tok *t = &toks[i];
		fwt_p11_token *o = &l->toks[l->ntok++];
		CK_SESSION_HANDLE s;
		int logout = 0;
		CK_RV rv;

		o->uri = keep(l, token_uri(t));
		o->module = t->mod->name;
		o->label = keep(l, dup_field(t->ti.label, sizeof(t->ti.label)));
		o->manufacturer = keep(l, dup_field(t->ti.manufacturerID, sizeof(t->ti.manufacturerID)));
		o->model = keep(l, dup_field(t->ti.model, sizeof(t->ti.model)));
		o->serial = keep(l, dup_field(t->ti.serialNumber, sizeof(t->ti.serialNumber)));
		o->flags = t->ti.flags;
		o->login_required = (t->ti.flags & CKF_LOGIN_REQUIRED) != 0;
		o->pin_unused = pin_unused && o->login_required;
		rv = t->mod->f->C_OpenSession(t->slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
		if (rv != CKR_OK) {
			fwt__log(ctx, FWT_LOG_WARN, "cannot open a session on token '%s': %s", FIELD(lbl, t->ti.label),
			         CKR(rv));
			continue;
		}
		if (do_login && i == first) {
			int did = 0;
			err = login(ctx, t, s, pu ? pu->uri : NULL, opts->pin, 0, NULL, 0, &did);
			if (err) {
				t->mod->f->C_CloseSession(s);
				goto out;
			}
			o->logged_in = 1;
			logout = did;
		}
		/* a registered module is found again without its name; a path is kept */
		err = list_token(ctx, l, i, t, s, NULL, mpath);
		if (logout)
			t->mod->f->C_Logout(s);
		t->mod->f->C_CloseSession(s);
		if (err)
			goto out;
	}
	if (l->failed) {
		err = fwt__enomem(ctx);
		goto out;
	}
	/* module names live in set; copy them before it goes */
	for (i = 0; i < l->ntok; i++)
		l->toks[i].module = keep(l, strdup(l->toks[i].module));
	if (l->failed) {
		err = fwt__enomem(ctx);
		goto out;
	}
	if (l->nobj > 1)
		qsort(l->objs, l->nobj, sizeof(*l->objs), cmp_obj);
	*out = l;
	l = NULL;
out:
	fwt_p11_listing_free(l);
	free(toks);
	set_free(&set);
	fwt__p11_uri_free(pu);
	return err;
}

/* ---- key generation ---- */

fwt_err fwt_p11_keygen_from_name(const char *name, fwt_p11_keygen *out)
{
	static const struct {
		const char *name;
		fwt_p11_keygen t;
	} names[] = {
		{ "ec-p384", FWT_P11_KEYGEN_EC_P384 },
		{ "ec-p521", FWT_P11_KEYGEN_EC_P521 },
		{ "rsa-3072", FWT_P11_KEYGEN_RSA_3072 },
		{ "rsa-4096", FWT_P11_KEYGEN_RSA_4096 },
	};
	size_t i;

	for (i = 0; name && i < FWT_ARRAY_LEN(names); i++)
		if (!strcmp(name, names[i].name)) {
			*out = names[i].t;
			return FWT_OK;
		}
	return FWT_EUNSUPPORTED;
}

/* Any object on the token with attribute type = v? */
static int token_has(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_ATTRIBUTE_TYPE type, const void *v, size_t n)
{
	CK_ATTRIBUTE t = { type, (void *)v, n };
	CK_OBJECT_HANDLE *objs = NULL;
	size_t cnt = 0;

	if (find_objects(f, s, &t, 1, &objs, &cnt) != CKR_OK)
		return -1;
	free(objs);
	return cnt > 0;
}

static fwt_err generate_now(fwt_ctx *ctx, const char *token_uri_str, fwt_p11_keygen type, const char *label,
                            const unsigned char *id_in, size_t idlen, const fwt_key_options *opts,
                            char **uri_out, fwt_pubkey **pub_out)
{
	struct fwt_p11_uri *pu = NULL;
	struct p11_set set;
	struct p11_tok *toks = NULL, *t = NULL;
	size_t ntok = 0, i;
	CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
	CK_OBJECT_HANDLE pubh = CK_INVALID_HANDLE, privh = CK_INVALID_HANDLE;
	CK_MECHANISM mech;
	CK_MECHANISM_INFO mi;
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_ULONG bits = 0;
	CK_KEY_TYPE kt;
	unsigned char id[64], e65537[3] = { 0x01, 0x00, 0x01 };
	const unsigned char *params = NULL;
	size_t plen = 0;
	char *disp = NULL, *uri = NULL, *list = NULL, **uris, ckrbuf[24], lbl[33], hint[120];
	fwt_pubkey *pub = NULL;
	const char *kept = NULL;
	int logged_in = 0, has;
	fwt_err err;
	CK_RV rv;

	if (uri_out)
		*uri_out = NULL;
	if (pub_out)
		*pub_out = NULL;
	memset(&set, 0, sizeof(set));
	if (!label || !*label || strlen(label) > 128)
		return fwt__error(ctx, FWT_EINVAL, "a key label of 1 to 128 bytes is needed");
	if (idlen > sizeof(id))
		return fwt__error(ctx, FWT_EINVAL, "a key id is at most %zu bytes", sizeof(id));
	switch (type) {
	case FWT_P11_KEYGEN_EC_P384: kt = CKK_EC; params = oid_p384; plen = sizeof(oid_p384); break;
	case FWT_P11_KEYGEN_EC_P521: kt = CKK_EC; params = oid_p521; plen = sizeof(oid_p521); break;
	case FWT_P11_KEYGEN_RSA_3072: kt = CKK_RSA; bits = 3072; break;
	case FWT_P11_KEYGEN_RSA_4096: kt = CKK_RSA; bits = 4096; break;
	default: return fwt__error(ctx, FWT_EUNSUPPORTED, "unsupported key type");
	}
	err = fwt__p11_uri_parse(ctx, token_uri_str ? token_uri_str : "", &pu);
	if (err)
		return err;
	disp = display_uri(pu, token_uri_str);
	if (!disp) {
		err = fwt__enomem(ctx);
		goto out;
	}
	if (p11_kit_uri_get_attribute(pu->uri, CKA_LABEL) || p11_kit_uri_get_attribute(pu->uri, CKA_ID) ||
	    p11_kit_uri_get_attribute(pu->uri, CKA_CLASS)) {
		err = fwt__error(ctx, FWT_EINVAL, "'%s' names an object; give a token URI (the key's label and id "
		                 "are given apart)", disp);
		goto out;
	}
	err = set_load(ctx, &set, p11_kit_uri_get_module_name(pu->uri), p11_kit_uri_get_module_path(pu->uri));
	if (!err)
		err = find_tokens(&set, pu->uri, &toks, &ntok);
	if (err)
		goto out;
	if (ntok != 1) {
		if (!ntok) {
			err = fwt__error(ctx, FWT_ENOTFOUND, "no PKCS#11 token matches '%s'", disp);
			goto out;
		}
		uris = calloc(ntok, sizeof(*uris));
		for (i = 0; uris && i < ntok; i++)
			uris[i] = token_uri(&toks[i]);
		list = uris ? join_uris(uris, ntok) : NULL;
		free_strs(uris, ntok);
		err = fwt__error(ctx, FWT_ETOKEN, "'%s' matches %zu tokens: %s; %s", disp, ntok,
		                 list ? list : "(out of memory)", pick_hint(pu, toks, ntok, 0, hint, sizeof(hint)));
		goto out;
	}
	t = &toks[0];
	FIELD(lbl, t->ti.label);
	if (t->ti.flags & CKF_WRITE_PROTECTED) {
		err = fwt__error(ctx, FWT_ETOKEN, "token '%s' is write-protected", lbl);
		goto out;
	}
	mech = (CK_MECHANISM){ kt == CKK_EC ? CKM_EC_KEY_PAIR_GEN : CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0 };
	rv = t->mod->f->C_GetMechanismInfo(t->slot, mech.mechanism, &mi);
	if (rv != CKR_OK || !(mi.flags & CKF_GENERATE_KEY_PAIR) ||
	    (kt == CKK_RSA && mi.ulMaxKeySize && mi.ulMaxKeySize < bits)) {
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "token '%s' cannot generate %s key pairs", lbl,
		                 kt == CKK_EC ? "EC" : "RSA of this size");
		goto out;
	}
	rv = t->mod->f->C_OpenSession(t->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
	if (rv != CKR_OK) {
		s = CK_INVALID_HANDLE;
		err = fwt__error(ctx, FWT_ETOKEN, "cannot open a read-write session on token '%s': %s", lbl, CKR(rv));
		goto out;
	}
	err = login(ctx, t, s, pu->uri, opts, 1, NULL, 0, &logged_in);
	if (err)
		goto out;
	has = token_has(t->mod->f, s, CKA_LABEL, label, strlen(label));
	if (has) {
		err = has < 0 ? fwt__error(ctx, FWT_ETOKEN, "cannot search token '%s'", lbl)
		              : fwt__error(ctx, FWT_EINVAL, "token '%s' already holds an object labelled '%s'; "
		                           "pick another label", lbl, label);
		goto out;
	}
	if (idlen) {
		memcpy(id, id_in, idlen);
		has = token_has(t->mod->f, s, CKA_ID, id, idlen);
		if (has) {
			char hex[2 * sizeof(id) + 1];
			fwt_hex_encode(hex, id, idlen);
			err = has < 0 ? fwt__error(ctx, FWT_ETOKEN, "cannot search token '%s'", lbl)
			              : fwt__error(ctx, FWT_EINVAL, "token '%s' already holds an object with id %s; "
			                           "pick another id", lbl, hex);
			goto out;
		}
	} else {
		idlen = 8;
		for (i = 0; i < 8; i++) {
			if (RAND_bytes(id, (int)idlen) != 1) {
				err = fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot make a key id");
				goto out;
			}
			if (token_has(t->mod->f, s, CKA_ID, id, idlen) == 0)
				break;
		}
	}
	{
		/*
		 * The private key's flags make the pair sign-only.  The public
		 * key's CKA_VERIFY and CKA_ENCRYPT are left to the token: we
		 * never use them (signatures are checked locally), and tokens
		 * that derive them from the private key's usage refuse a
		 * template that disagrees (tpm2-pkcs11 reads a TPM signing key
		 * as CKA_VERIFY false, CKA_ENCRYPT true, and fails with
		 * CKR_GENERAL_ERROR).
		 */
		CK_ATTRIBUTE pubt[] = {
			{ CKA_TOKEN, &yes, sizeof(yes) },       { CKA_PRIVATE, &no, sizeof(no) },
			{ CKA_WRAP, &no, sizeof(no) },          { CKA_LABEL, (void *)label, strlen(label) },
			{ CKA_ID, id, idlen },                  { 0, NULL, 0 },
			{ 0, NULL, 0 },
		};
		CK_ATTRIBUTE privt[] = {
			{ CKA_TOKEN, &yes, sizeof(yes) },       { CKA_PRIVATE, &yes, sizeof(yes) },
			{ CKA_SENSITIVE, &yes, sizeof(yes) },   { CKA_EXTRACTABLE, &no, sizeof(no) },
			{ CKA_SIGN, &yes, sizeof(yes) },        { CKA_DECRYPT, &no, sizeof(no) },
			{ CKA_UNWRAP, &no, sizeof(no) },        { CKA_DERIVE, &no, sizeof(no) },
			{ CKA_LABEL, (void *)label, strlen(label) }, { CKA_ID, id, idlen },
		};
		CK_ULONG np = 5;
		if (kt == CKK_EC) {
			pubt[np++] = (CK_ATTRIBUTE){ CKA_EC_PARAMS, (void *)params, plen };
		} else {
			pubt[np++] = (CK_ATTRIBUTE){ CKA_MODULUS_BITS, &bits, sizeof(bits) };
			pubt[np++] = (CK_ATTRIBUTE){ CKA_PUBLIC_EXPONENT, e65537, sizeof(e65537) };
		}
		rv = t->mod->f->C_GenerateKeyPair(s, &mech, pubt, np, privt, FWT_ARRAY_LEN(privt), &pubh, &privh);
	}
	if (rv != CKR_OK) {
		err = fwt__error(ctx, FWT_ETOKEN, "token '%s' could not generate the key pair: %s", lbl, CKR(rv));
		goto out;
	}
	/* a token may make session objects whatever the template says: they
	 * vanish with the session, and the URI printed would name nothing;
	 * and a key it let out or may not sign with is no signing key */
	if (!get_bool(t->mod->f, s, privh, CKA_TOKEN, 0) || !get_bool(t->mod->f, s, pubh, CKA_TOKEN, 0) ||
	    !get_bool(t->mod->f, s, privh, CKA_PRIVATE, 0))
		kept = "the new key pair on the token (CKA_TOKEN) with the private key behind the PIN (CKA_PRIVATE)";
	else if (!get_bool(t->mod->f, s, privh, CKA_SENSITIVE, 0) || get_bool(t->mod->f, s, privh, CKA_EXTRACTABLE, 1) ||
	         !get_bool(t->mod->f, s, privh, CKA_SIGN, 0))
		kept = "the new key sensitive, unextractable and for signing";
	if (kept) {
		t->mod->f->C_DestroyObject(s, privh);
		t->mod->f->C_DestroyObject(s, pubh);
		err = fwt__error(ctx, FWT_ETOKEN, "token '%s' did not keep %s; it was deleted", lbl, kept);
		goto out;
	}
	uri = key_uri(t, s, privh, CKO_PRIVATE_KEY, p11_kit_uri_get_module_name(pu->uri),
	              p11_kit_uri_get_module_path(pu->uri));
	if (!uri) {
		err = fwt__enomem(ctx);
		goto out;
	}
	err = pubkey_of(ctx, t->mod->f, s, pubh, kt, uri, &pub);
	if (err == FWT_ENOTFOUND)
		err = fwt__error(ctx, FWT_ETOKEN, "cannot read the public key of the new key '%s'", uri);
	if (err) {
		/* a key nobody can verify is of no use: do not leave it behind */
		t->mod->f->C_DestroyObject(s, privh);
		t->mod->f->C_DestroyObject(s, pubh);
		fwt__error_prefix(ctx, "token '%s' made a key pair whose public key is unusable; it was deleted", lbl);
		goto out;
	}
	fwt__log(ctx, FWT_LOG_INFO, "generated %s on token '%s'", fwt_pubkey_describe(pub), lbl);
	if (uri_out) {
		*uri_out = uri;
		uri = NULL;
	}
	if (pub_out) {
		*pub_out = pub;
		pub = NULL;
	}
out:
	if (s != CK_INVALID_HANDLE) {
		if (logged_in)
			t->mod->f->C_Logout(s);
		toks[0].mod->f->C_CloseSession(s);
	}
	fwt_pubkey_free(pub);
	free(uri);
	free(list);
	free(disp);
	free(toks);
	set_free(&set);
	fwt__p11_uri_free(pu);
	return err;
}

static fwt_err list_job_run(struct fwt__bounded *b)
{
	struct p11_job *j = (struct p11_job *)b;

	return list_now(j->child, &j->listing, &j->lo);
}

fwt_err fwt_p11_list(fwt_ctx *ctx, fwt_p11_listing **out, const fwt_p11_list_options *given)
{
	fwt_p11_list_options lo = FWT_P11_LIST_OPTIONS_INIT;
	const fwt_p11_list_options *opts = &lo;
	fwt_key_options pin;
	struct p11_job *j;
	unsigned ver;
	fwt_err err;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_p11_list");
	*out = NULL;
	/* read as fwtrail.h says: version 1 ended at pin */
	if (given) {
		if ((err = fwt__opts_version(ctx, "PKCS#11 listing", given->version, FWT_P11_LIST_OPTIONS_VERSION, &ver)))
			return err;
		lo.module = given->module;
		lo.token_uri = given->token_uri;
		if (given->pin) {
			if ((err = fwt__key_options_norm(ctx, given->pin, &pin)))
				return err;
			lo.pin = &pin;
		}
		if (ver >= 2)
			lo.timeout_ms = given->timeout_ms;
	}
	if (!opts->timeout_ms)
		return list_now(ctx, out, opts);
	*out = NULL;
	j = job_new(ctx, list_job_run, opts->pin);
	if (!j)
		return fwt_ctx_errcode(ctx) ? fwt_ctx_errcode(ctx) : FWT_ENOMEM;
	j->lo = *opts;
	j->lo.pin = opts->pin ? &j->oc.o : NULL;
	j->lo.module = j->module = opts->module ? strdup(opts->module) : NULL;
	j->lo.token_uri = j->token_uri = opts->token_uri ? strdup(opts->token_uri) : NULL;
	if ((opts->module && !j->module) || (opts->token_uri && !j->token_uri)) {
		fwt__bounded_release(&j->b);
		return fwt__enomem(ctx);
	}
	err = job_wait(ctx, j, opts->timeout_ms, "listing tokens");
	if (!err) {
		*out = j->listing;
		j->listing = NULL;
	}
	fwt__bounded_release(&j->b);
	return err;
}

static fwt_err generate_job_run(struct fwt__bounded *b)
{
	struct p11_job *j = (struct p11_job *)b;

	return generate_now(j->child, j->token_uri, j->type, j->label, j->idlen ? j->id : NULL, j->idlen, &j->oc.o,
	                    &j->name, &j->pub);
}

fwt_err fwt_p11_generate(fwt_ctx *ctx, const char *token_uri, fwt_p11_keygen type, const char *label,
                         const unsigned char *id, size_t idlen, const fwt_key_options *opts, char **uri_out,
                         fwt_pubkey **pub_out)
{
	fwt_key_options ko;
	struct p11_job *j;
	fwt_err err;

	if (opts) {
		if ((err = fwt__key_options_norm(ctx, opts, &ko)))
			return err;
		opts = &ko;
	}
	if (!opts || !opts->timeout_ms || !token_uri || !label || idlen > sizeof(j->id) ||
	    (idlen && !id))
		return generate_now(ctx, token_uri, type, label, id, idlen, opts, uri_out, pub_out);
	if (uri_out)
		*uri_out = NULL;
	if (pub_out)
		*pub_out = NULL;
	j = job_new(ctx, generate_job_run, opts);
	if (!j)
		return fwt_ctx_errcode(ctx) ? fwt_ctx_errcode(ctx) : FWT_ENOMEM;
	j->type = type;
	j->token_uri = strdup(token_uri);
	j->label = strdup(label);
	if (idlen)
		memcpy(j->id, id, idlen);
	j->idlen = idlen;
	if (!j->token_uri || !j->label) {
		fwt__bounded_release(&j->b);
		return fwt__enomem(ctx);
	}
	err = job_wait(ctx, j, opts->timeout_ms, "generating a key pair");
	if (!err) {
		if (uri_out) {
			*uri_out = j->name;
			j->name = NULL;
		}
		if (pub_out) {
			*pub_out = j->pub;
			j->pub = NULL;
			fwt__pubkey_set_ctx(*pub_out, ctx);
		}
	}
	fwt__bounded_release(&j->b);
	return err;
}
