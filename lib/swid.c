/* SPDX-License-Identifier: Apache-2.0 */
/* swid.c - TCG PC Client RIMs as SWID tags: a hostile-input-proof libxml2
 * parse, the tag's model, the enveloped XMLDSig check (xmlsec, restricted to
 * one profile, with a key we supply), and the support-RIM hash binding. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/io.h>
#include <xmlsec/keys.h>
#include <xmlsec/nodeset.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/openssl/evp.h>
#include "lazy_xml.h"
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <fwtrail/cbor.h>
#include <fwtrail/hex.h>
#include <fwtrail/swid.h>
#include "internal.h"
#include "sig_internal.h"
#include "banned.h"

#define NS_SWID "http://standards.iso.org/iso/19770/-2/2015/schema.xsd"
#define NS_DSIG "http://www.w3.org/2000/09/xmldsig#"
#define NS_DSIG11 "http://www.w3.org/2009/xmldsig11#"
#define NS_XML "http://www.w3.org/XML/1998/namespace"

#define URI_ENVELOPED "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

#define MAX_NODES 200000
#define MAX_ENTRIES 4096
#define MAX_CERTS 16
#define MAX_CERT_TEXT 65536
#define MAX_SIZE_ATTR (1ull << 53)
/* FWT_SWID_MAX_ATTRS and FWT_SWID_MAX_NS_IN_SCOPE are checked on the bytes
 * before libxml2 sees them (prescan): its duplicate attribute check is
 * quadratic in an element's attributes (2.9), and C14N in each element's
 * namespace declarations in scope.  Real RIMs use at most about 20
 * attributes on an element and 7 declarations. */

/* ---- the profile: what a signature may use ---- */

enum c14n_kind { C14N_10, C14N_11, C14N_EXC };
static const struct c14n_info {
	const char *uri;
	enum c14n_kind kind;
} c14ns[] = {
	{ "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", C14N_10 },
	{ "http://www.w3.org/2006/12/xml-c14n11", C14N_11 },
	{ "http://www.w3.org/2001/10/xml-exc-c14n#", C14N_EXC },
};

static const struct sigm_info {
	const char *uri;
	int ecdsa;
	fwt_digest_alg md;
} sigms[] = {
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", 0, FWT_DIGEST_SHA256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", 0, FWT_DIGEST_SHA384 },
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", 0, FWT_DIGEST_SHA512 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", 1, FWT_DIGEST_SHA256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", 1, FWT_DIGEST_SHA384 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", 1, FWT_DIGEST_SHA512 },
};

static const struct dm_info {
	const char *uri;
	fwt_digest_alg md;
} dms[] = {
	{ "http://www.w3.org/2001/04/xmlenc#sha256", FWT_DIGEST_SHA256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#sha384", FWT_DIGEST_SHA384 },
	{ "http://www.w3.org/2001/04/xmlenc#sha512", FWT_DIGEST_SHA512 },
};

/* Namespaces naming the algorithm of a Payload hash attribute. */
static const struct dm_info hash_ns[] = {
	{ "http://www.w3.org/2001/04/xmlenc#sha256", FWT_DIGEST_SHA256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#sha384", FWT_DIGEST_SHA384 },
	{ "http://www.w3.org/2001/04/xmlenc#sha384", FWT_DIGEST_SHA384 }, /* NVIDIA */
	{ "http://www.w3.org/2001/04/xmlenc#sha512", FWT_DIGEST_SHA512 },
};

static const char *const meta_ns[] = {
	"http://csrc.nist.gov/ns/swid/2015-extensions/1.0",
	"https://trustedcomputinggroup.org/wp-content/uploads/TCG_RIM_Model",
	"https://trustedcomputinggroup.org/resource/tcg-reference-integrity-manifest-rim-information-model/",
};

static const struct meta_info {
	const char *name;
	const char *key;
} metas[FWT_SWID_META_COUNT] = {
	{ "colloquialVersion", "colloquial_version" },
	{ "edition", "edition" },
	{ "product", "product" },
	{ "revision", "revision" },
	{ "PayloadType", "payload_type" },
	{ "bindingSpec", "binding_spec" },
	{ "bindingSpecVersion", "binding_spec_version" },
	{ "platformManufacturerStr", "platform_manufacturer_str" },
	{ "platformManufacturerId", "platform_manufacturer_id" },
	{ "platformModel", "platform_model" },
	{ "platformVersion", "platform_version" },
	{ "firmwareManufacturerStr", "firmware_manufacturer_str" },
	{ "firmwareManufacturerId", "firmware_manufacturer_id" },
	{ "FirmwareManufacturer", "firmware_manufacturer" },
	{ "firmwareModel", "firmware_model" },
	{ "firmwareVersion", "firmware_version" },
	{ "pcURIlocal", "pc_uri_local" },
	{ "pcURIGlobal", "pc_uri_global" },
	{ "rimLinkHash", "rim_link_hash" },
};

/* ---- the object ---- */

struct attr_vec {
	fwt_swid_attr *v;
	size_t n, cap;
};

struct verification {
	int done, ok, checked, reference_ok, signature_ok, chain_ok, timestamp_ok;
	char signer[256];
};

struct pooled {
	void *p;
	int xml; /* xmlFree, not free */
};

struct fwt_swid {
	fwt_ctx *ctx;
	char *name;
	xmlDocPtr doc;
	xmlNodePtr root, sig_node;
	struct pooled *pool;       /* what the model's pointers point into */
	size_t npool, cappool;
	fwt_swid_identity id;
	fwt_swid_entity *entities;
	size_t nentities;
	fwt_swid_link *links;
	size_t nlinks;
	struct attr_vec meta_attrs, payload_attrs;
	const char *meta[FWT_SWID_META_COUNT];
	fwt_swid_file *files;
	size_t nfiles;
	fwt_swid_measurement *meas;
	size_t nmeas;
	int payloads;
	fwt_swid_sig_info sig;
	int has_ts;
	fwt_swid_timestamp ts;
	fwt_pubkey *certs[MAX_CERTS];
	size_t ncerts;
	struct verification ver;
};

/* ---- global setup and error capture ---- */

/* What libxml2 and xmlsec report while one of our calls runs on this
 * thread: kept here, turned into the ctx message, never printed. */
struct sink {
	int nerr;
	int line, col;
	char msg[160];
	char xmlsec[200];
	int xmlsec_reason; /* the first one's XMLSEC_ERRORS_R_* */
};
static _Thread_local struct sink *tls_sink;

static void one_line_copy(char *dst, size_t cap, const char *src)
{
	size_t i;

	snprintf(dst, cap, "%s", src ? src : "");
	for (i = 0; dst[i]; i++)
		if ((unsigned char)dst[i] < 0x20)
			dst[i] = ' ';
	while (i > 0 && dst[i - 1] == ' ')
		dst[--i] = '\0';
}

static void on_xml_error(void *data, xmlErrorPtr e)
{
	struct sink *k = tls_sink;

	(void)data;
	if (!k || !e || e->level < XML_ERR_ERROR)
		return;
	if (k->nerr++ == 0) {
		k->line = e->line;
		k->col = e->int2;
		one_line_copy(k->msg, sizeof(k->msg), e->message ? e->message : "XML error");
	}
}

static void on_xml_generic(void *data, const char *fmt, ...)
{
	(void)data;
	(void)fmt;
}

static const char *xmlsec_reason(int reason)
{
	xmlSecSize i;
	const char *m;

	for (i = 0; (m = xmlSecErrorsGetMsg(i)) != NULL; i++)
		if (xmlSecErrorsGetCode(i) == reason)
			return m;
	return "xmlsec error";
}

static void on_xmlsec_error(const char *file, int line, const char *func, const char *object,
                            const char *subject, int reason, const char *msg)
{
	struct sink *k = tls_sink;
	char buf[sizeof(k->xmlsec)];

	(void)file;
	(void)line;
	(void)func;
	(void)object;
	if (!k || k->xmlsec[0])
		return;
	k->xmlsec_reason = reason;
	snprintf(buf, sizeof(buf), "%s%s%s%s%s", xmlsec_reason(reason), subject ? " in " : "",
	         subject ? subject : "", msg && *msg ? ": " : "", msg ? msg : "");
	one_line_copy(k->xmlsec, sizeof(k->xmlsec), buf);
}

static xmlParserInputPtr no_external_entities(const char *url, const char *id, xmlParserCtxtPtr c)
{
	(void)url;
	(void)id;
	(void)c;
	return NULL;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_failed;

static void global_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(no_external_entities);
	xmlSecErrorsSetCallback(on_xmlsec_error);
	xmlSecErrorsDefaultCallbackEnableOutput(0);
	if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1) {
		init_failed = 1;
		return;
	}
	xmlSecErrorsSetCallback(on_xmlsec_error);
	/* xmlsec may never open a URI: no file, http or ftp resolvers */
	xmlSecIOCleanupCallbacks();
	if (xmlSecCryptoAppInit(NULL) < 0 || xmlSecCryptoInit() < 0)
		init_failed = 1;
	xmlSecErrorsSetCallback(on_xmlsec_error);
}

struct guard {
	xmlGenericErrorFunc gen;
	void *genctx;
	xmlStructuredErrorFunc st;
	void *stctx;
	struct sink *prev;
};

static void guard_enter(struct guard *g, struct sink *k)
{
	memset(k, 0, sizeof(*k));
	g->gen = xmlGenericError;
	g->genctx = xmlGenericErrorContext;
	g->st = xmlStructuredError;
	g->stctx = xmlStructuredErrorContext;
	g->prev = tls_sink;
	tls_sink = k;
	xmlSetGenericErrorFunc(NULL, on_xml_generic);
	xmlSetStructuredErrorFunc(NULL, on_xml_error);
}

static void guard_leave(struct guard *g)
{
	xmlSetGenericErrorFunc(g->genctx, g->gen);
	xmlSetStructuredErrorFunc(g->stctx, g->st);
	tls_sink = g->prev;
}

static fwt_err ensure_init(fwt_ctx *ctx)
{
	fwt_err err = fwt__lazy_xml_load(ctx);

	if (err)
		return err;
	if (pthread_once(&init_once, global_init) != 0 || init_failed)
		return fwt__error(ctx, FWT_ECRYPTO, "cannot initialise xmlsec with its OpenSSL backend");
	return FWT_OK;
}

/* ---- small helpers ---- */

/* Keep p until fwt_swid_free (xml: it came from libxml2).  -1 when out of
 * memory (p is not kept then). */
static int keep(fwt_swid *s, void *p, int xml)
{
	struct pooled *np;

	if (s->npool == s->cappool) {
		size_t cap = s->cappool ? s->cappool * 2 : 64;
		np = realloc(s->pool, cap * sizeof(*np));
		if (!np)
			return -1;
		s->pool = np;
		s->cappool = cap;
	}
	s->pool[s->npool].p = p;
	s->pool[s->npool++].xml = xml;
	return 0;
}

/* Keep a string from libxml2; NULL stays NULL, *oom is set on failure. */
static const char *keep_x(fwt_swid *s, xmlChar *p, int *oom)
{
	if (!p)
		return NULL;
	if (keep(s, p, 1)) {
		xmlFree(p);
		*oom = 1;
		return NULL;
	}
	return (const char *)p;
}

static int is_el(xmlNodePtr n, const char *local, const char *ns)
{
	if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, local))
		return 0;
	if (!ns)
		return n->ns == NULL;
	return n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns);
}

/* A SWID element: in the SWID namespace or, as HIRS writes Directory and
 * File, in none. */
static int is_swid(xmlNodePtr n, const char *local)
{
	return is_el(n, local, NS_SWID) || is_el(n, local, NULL);
}

static int in_ns(xmlNodePtr n, const char *ns)
{
	return n && n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns);
}

static const char *ns_of(xmlAttrPtr a)
{
	return a->ns && a->ns->href ? (const char *)a->ns->href : NULL;
}

/* An untrusted string made printable for a message (buf: 4*40+8 bytes). */
#define QS_LEN (4 * 40 + 8)
static const char *qs(char *buf, const char *v)
{
	fwt__quote(buf, QS_LEN, v ? v : "", v ? strlen(v) : 0);
	return buf;
}

static fwt_err at_node(fwt_swid *s, xmlNodePtr n, fwt_err code, const char *fmt, ...) FWT_FMT(4, 5);
static fwt_err at_node(fwt_swid *s, xmlNodePtr n, fwt_err code, const char *fmt, ...)
{
	char what[512], name[4 * 32 + 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!n)
		return fwt__error(s->ctx, code, "'%s': %s", s->name, what);
	fwt__quote(name, sizeof(name), (const char *)n->name, strlen((const char *)n->name));
	return fwt__error(s->ctx, code, "'%s': line %ld: element '%s': %s", s->name, xmlGetLineNo(n), name,
	                  what);
}

/* Attribute without a namespace, or NULL. */
static const char *getattr(fwt_swid *s, xmlNodePtr n, const char *name, int *oom)
{
	return keep_x(s, xmlGetNoNsProp(n, (const xmlChar *)name), oom);
}

/* xsd:boolean, strictly; -1 when malformed.  NVIDIA writes True/False. */
static int parse_bool(const char *v, int nvidia)
{
	if (!strcmp(v, "true") || !strcmp(v, "1") || (nvidia && !strcmp(v, "True")))
		return 1;
	if (!strcmp(v, "false") || !strcmp(v, "0") || (nvidia && !strcmp(v, "False")))
		return 0;
	return -1;
}

/* Decimal digits only, at most max; -1 when malformed or too large. */
static int parse_u64(const char *v, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (!v || !*v || strlen(v) > 20)
		return -1;
	for (i = 0; v[i]; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		if (x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	if (i > 1 && v[0] == '0')
		return -1;
	if (x > max)
		return -1;
	*out = x;
	return 0;
}

/* Lowercase hex of exactly n bytes. */
static int parse_hash(const char *v, unsigned char *out, size_t n)
{
	size_t i, len = strlen(v);

	if (len != 2 * n)
		return -1;
	for (i = 0; i < len; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
			return -1;
	return fwt_hex_decode(out, n, v, len, &i) == FWT_OK && i == n ? 0 : -1;
}

static int hash_alg_of_ns(const char *ns, fwt_digest_alg *alg)
{
	size_t i;

	for (i = 0; ns && i < FWT_ARRAY_LEN(hash_ns); i++)
		if (!strcmp(ns, hash_ns[i].uri)) {
			*alg = hash_ns[i].md;
			return 0;
		}
	return -1;
}

static fwt_err push_attr(fwt_swid *s, struct attr_vec *v, xmlAttrPtr a)
{
	fwt_swid_attr *nv;
	int oom = 0;

	if (v->n >= MAX_ENTRIES)
		return fwt__error(s->ctx, FWT_EFORMAT, "'%s': more than %d attributes", s->name, MAX_ENTRIES);
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		nv = realloc(v->v, cap * sizeof(*nv));
		if (!nv)
			return fwt__enomem(s->ctx);
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n].ns = ns_of(a);
	v->v[v->n].name = (const char *)a->name;
	v->v[v->n].value = keep_x(s, xmlNodeGetContent((xmlNodePtr)a), &oom);
	if (oom)
		return fwt__enomem(s->ctx);
	if (!v->v[v->n].value)
		v->v[v->n].value = "";
	v->n++;
	return FWT_OK;
}

static void *grow(void *p, size_t n, size_t size)
{
	return realloc(p, (n + 1) * size);
}

/* ---- the hostile-input scan: node kinds, depth, ids, signature place ---- */

struct scan {
	size_t nodes;
	size_t signatures;
	size_t identities;
	xmlNodePtr signature;
	xmlChar **ids;
	size_t nids, capids;
	int oom;
};

static int is_id_attr(xmlAttrPtr a)
{
	const char *n = (const char *)a->name;

	if (!a->ns)
		return !strcmp(n, "Id") || !strcmp(n, "ID") || !strcmp(n, "id");
	return !strcmp(n, "id") && a->ns->href && !strcmp((const char *)a->ns->href, NS_XML);
}

static fwt_err scan_node(fwt_swid *s, struct scan *sc, xmlNodePtr n, int depth)
{
	xmlNodePtr c;
	xmlAttrPtr a;
	fwt_err err;

	for (; n; n = n->next) {
		if (++sc->nodes > MAX_NODES)
			return fwt__error(s->ctx, FWT_EFORMAT, "'%s': more than %d XML nodes", s->name, MAX_NODES);
		switch (n->type) {
		case XML_ELEMENT_NODE:
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
		case XML_COMMENT_NODE:
		case XML_PI_NODE:
			continue;
		case XML_ENTITY_REF_NODE:
			return at_node(s, n->parent, FWT_EFORMAT, "entity references are not allowed");
		default:
			return at_node(s, n->parent, FWT_EFORMAT, "unexpected XML node type %d", (int)n->type);
		}
		if (depth > FWT_SWID_MAX_DEPTH)
			return at_node(s, n, FWT_EFORMAT, "nested deeper than %d elements", FWT_SWID_MAX_DEPTH);
		if (in_ns(n, NS_DSIG) && !strcmp((const char *)n->name, "Signature")) {
			if (++sc->signatures > 1)
				return at_node(s, n, FWT_EFORMAT, "more than one ds:Signature (signature wrapping?)");
			sc->signature = n;
		} else if (in_ns(n, NS_DSIG) || in_ns(n, NS_DSIG11)) {
			/* xmldsig elements belong inside the one Signature */
			for (c = n->parent; c && c->type == XML_ELEMENT_NODE; c = c->parent)
				if (c == sc->signature)
					break;
			if (!c || c->type != XML_ELEMENT_NODE)
				return at_node(s, n, FWT_EFORMAT, "xmldsig element outside ds:Signature");
		}
		if (is_el(n, "SoftwareIdentity", NS_SWID) && ++sc->identities > 1)
			return at_node(s, n, FWT_EFORMAT, "a second SoftwareIdentity (signature wrapping?)");
		for (a = n->properties; a; a = a->next) {
			if (!is_id_attr(a))
				continue;
			if (sc->nids == sc->capids) {
				size_t cap = sc->capids ? sc->capids * 2 : 16;
				xmlChar **ni = realloc(sc->ids, cap * sizeof(*ni));
				if (!ni) {
					sc->oom = 1;
					return fwt__enomem(s->ctx);
				}
				sc->ids = ni;
				sc->capids = cap;
			}
			sc->ids[sc->nids] = xmlNodeGetContent((xmlNodePtr)a);
			if (!sc->ids[sc->nids])
				return fwt__enomem(s->ctx);
			sc->nids++;
		}
		if (n->children) {
			err = scan_node(s, sc, n->children, depth + 1);
			if (err)
				return err;
		}
	}
	return FWT_OK;
}

static int cmp_xstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static fwt_err scan_doc(fwt_swid *s)
{
	struct scan sc;
	xmlNodePtr n;
	fwt_err err;
	size_t i;

	memset(&sc, 0, sizeof(sc));
	for (n = s->doc->children; n; n = n->next)
		if (n->type != XML_ELEMENT_NODE && n->type != XML_COMMENT_NODE && n->type != XML_PI_NODE &&
		    n->type != XML_TEXT_NODE)
			return fwt__error(s->ctx, FWT_EFORMAT, "'%s': unexpected node before or after the root (a DTD?)",
			                  s->name);
	err = scan_node(s, &sc, s->root, 1);
	if (!err && sc.nids > 1) {
		qsort(sc.ids, sc.nids, sizeof(*sc.ids), cmp_xstr);
		for (i = 1; i < sc.nids; i++)
			if (!strcmp((const char *)sc.ids[i - 1], (const char *)sc.ids[i])) {
				char q[QS_LEN];
				err = fwt__error(s->ctx, FWT_EFORMAT, "'%s': Id '%s' is used twice (signature wrapping?)",
				                 s->name, qs(q, (const char *)sc.ids[i]));
				break;
			}
	}
	for (i = 0; i < sc.nids; i++)
		xmlFree(sc.ids[i]);
	free(sc.ids);
	if (err)
		return err;
	if (sc.signature && sc.signature->parent != s->root)
		return at_node(s, sc.signature, FWT_EFORMAT,
		               "ds:Signature is not a child of the root SoftwareIdentity (signature wrapping?)");
	s->sig_node = sc.signature;
	return FWT_OK;
}

/* ---- the model ---- */

static fwt_err parse_identity(fwt_swid *s)
{
	xmlNodePtr r = s->root;
	static const char *const bools[] = { "corpus", "patch", "supplemental" };
	int *dst[3];
	const char *v;
	uint64_t tv;
	int oom = 0, b;
	size_t i;

	dst[0] = &s->id.corpus;
	dst[1] = &s->id.patch;
	dst[2] = &s->id.supplemental;
	s->id.name = getattr(s, r, "name", &oom);
	s->id.tag_id = getattr(s, r, "tagId", &oom);
	s->id.version = getattr(s, r, "version", &oom);
	s->id.version_scheme = getattr(s, r, "versionScheme", &oom);
	s->id.lang = keep_x(s, xmlGetNsProp(r, (const xmlChar *)"lang", (const xmlChar *)NS_XML), &oom);
	s->id.tag_version = -1;
	v = getattr(s, r, "tagVersion", &oom);
	if (v) {
		if (parse_u64(v, INT32_MAX, &tv))
			return at_node(s, r, FWT_EFORMAT, "tagVersion is not a non-negative integer");
		s->id.tag_version = (int64_t)tv;
	}
	for (i = 0; i < 3; i++) {
		v = getattr(s, r, bools[i], &oom);
		if (!v)
			continue;
		b = parse_bool(v, 0);
		if (b < 0)
			return at_node(s, r, FWT_EFORMAT, "%s is not a boolean", bools[i]);
		*dst[i] = b;
	}
	return oom ? fwt__enomem(s->ctx) : FWT_OK;
}

static fwt_err parse_entity(fwt_swid *s, xmlNodePtr n)
{
	fwt_swid_entity *e;
	int oom = 0;

	if (s->nentities >= MAX_ENTRIES)
		return at_node(s, n, FWT_EFORMAT, "too many entities");
	e = grow(s->entities, s->nentities, sizeof(*e));
	if (!e)
		return fwt__enomem(s->ctx);
	s->entities = e;
	e = &s->entities[s->nentities++];
	memset(e, 0, sizeof(*e));
	e->name = getattr(s, n, "name", &oom);
	e->regid = getattr(s, n, "regid", &oom);
	e->role = getattr(s, n, "role", &oom);
	e->thumbprint = getattr(s, n, "thumbprint", &oom);
	return oom ? fwt__enomem(s->ctx) : FWT_OK;
}

static fwt_err parse_link(fwt_swid *s, xmlNodePtr n)
{
	fwt_swid_link *l;
	int oom = 0;

	if (s->nlinks >= MAX_ENTRIES)
		return at_node(s, n, FWT_EFORMAT, "too many links");
	l = grow(s->links, s->nlinks, sizeof(*l));
	if (!l)
		return fwt__enomem(s->ctx);
	s->links = l;
	l = &s->links[s->nlinks++];
	memset(l, 0, sizeof(*l));
	l->href = getattr(s, n, "href", &oom);
	l->rel = getattr(s, n, "rel", &oom);
	l->media = getattr(s, n, "media", &oom);
	l->use = getattr(s, n, "use", &oom);
	l->ownership = getattr(s, n, "ownership", &oom);
	l->artifact = getattr(s, n, "artifact", &oom);
	return oom ? fwt__enomem(s->ctx) : FWT_OK;
}

static int meta_ns_known(const char *ns)
{
	size_t i;

	if (!ns)
		return 1;
	for (i = 0; i < FWT_ARRAY_LEN(meta_ns); i++)
		if (!strcmp(ns, meta_ns[i]))
			return 1;
	return 0;
}

static fwt_err parse_meta(fwt_swid *s, xmlNodePtr n)
{
	xmlAttrPtr a;
	fwt_err err;
	size_t f;

	for (a = n->properties; a; a = a->next) {
		err = push_attr(s, &s->meta_attrs, a);
		if (err)
			return err;
		if (!meta_ns_known(ns_of(a)))
			continue;
		for (f = 0; f < FWT_SWID_META_COUNT; f++) {
			if (strcasecmp((const char *)a->name, metas[f].name))
				continue;
			if (s->meta[f])
				return at_node(s, n, FWT_EFORMAT, "Meta field %s is given twice", metas[f].name);
			s->meta[f] = s->meta_attrs.v[s->meta_attrs.n - 1].value;
		}
	}
	return FWT_OK;
}

static fwt_err parse_file(fwt_swid *s, xmlNodePtr n, const char *dir)
{
	fwt_swid_file *f;
	xmlAttrPtr a;
	const char *v;
	fwt_digest_alg alg;
	uint64_t size;
	size_t i;
	int oom = 0;

	if (s->nfiles >= MAX_ENTRIES)
		return at_node(s, n, FWT_EFORMAT, "more than %d File entries", MAX_ENTRIES);
	f = grow(s->files, s->nfiles, sizeof(*f));
	if (!f)
		return fwt__enomem(s->ctx);
	s->files = f;
	f = &s->files[s->nfiles];
	memset(f, 0, sizeof(*f));
	f->directory = dir;
	f->name = getattr(s, n, "name", &oom);
	f->version = getattr(s, n, "version", &oom);
	v = getattr(s, n, "size", &oom);
	if (oom)
		return fwt__enomem(s->ctx);
	if (!f->name || !*f->name)
		return at_node(s, n, FWT_EFORMAT, "File without a name");
	if (v) {
		if (parse_u64(v, MAX_SIZE_ATTR, &size))
			return at_node(s, n, FWT_EFORMAT, "size is not an integer of at most 2^53");
		f->has_size = 1;
		f->size = size;
	}
	for (a = n->properties; a; a = a->next) {
		char *hv;
		int bad;

		if (strcmp((const char *)a->name, "hash"))
			continue;
		if (hash_alg_of_ns(ns_of(a), &alg)) {
			char q[QS_LEN];
			return at_node(s, n, FWT_EUNSUPPORTED, "hash algorithm '%s' is not supported",
			               qs(q, ns_of(a) ? ns_of(a) : "(no namespace)"));
		}
		if (fwt_swid_file_hash(f, alg))
			return at_node(s, n, FWT_EFORMAT, "two %s hashes", fwt_digest_name(alg));
		hv = (char *)xmlNodeGetContent((xmlNodePtr)a);
		if (!hv)
			return fwt__enomem(s->ctx);
		f->hashes[f->nhashes].alg = alg;
		f->hashes[f->nhashes].len = fwt_digest_size(alg);
		bad = parse_hash(hv, f->hashes[f->nhashes].value, f->hashes[f->nhashes].len);
		xmlFree(hv);
		if (bad)
			return at_node(s, n, FWT_EFORMAT, "%s hash is not %zu lowercase hex characters",
			               fwt_digest_name(alg), 2 * fwt_digest_size(alg));
		f->nhashes++;
	}
	for (i = 0; i < s->nfiles; i++) {
		const fwt_swid_file *o = &s->files[i];
		char q[QS_LEN];
		if (!strcmp(o->name, f->name) && ((!o->directory && !dir) ||
		                                  (o->directory && dir && !strcmp(o->directory, dir))))
			return at_node(s, n, FWT_EFORMAT, "File '%s' is listed twice", qs(q, f->name));
	}
	s->nfiles++;
	return FWT_OK;
}

static fwt_err parse_measurement(fwt_swid *s, xmlNodePtr n)
{
	fwt_swid_measurement *m;
	unsigned char *vals = NULL;
	unsigned char seen[FWT_SWID_MAX_ALTERNATIVES];
	xmlAttrPtr a;
	const char *v, *sz;
	uint64_t x;
	size_t i, dsize = 0, nseen = 0;
	fwt_digest_alg alg = 0;
	fwt_err err;
	int oom = 0, b;

	if (s->nmeas >= MAX_ENTRIES)
		return at_node(s, n, FWT_EFORMAT, "more than %d measurements", MAX_ENTRIES);
	m = grow(s->meas, s->nmeas, sizeof(*m));
	if (!m)
		return fwt__enomem(s->ctx);
	s->meas = m;
	m = &s->meas[s->nmeas];
	memset(m, 0, sizeof(*m));
	m->name = getattr(s, n, "name", &oom);
	v = getattr(s, n, "index", &oom);
	if (oom)
		return fwt__enomem(s->ctx);
	if (!v || parse_u64(v, UINT32_MAX, &x))
		return at_node(s, n, FWT_EFORMAT, "measurement index is missing or not an integer");
	m->index = (uint32_t)x;
	v = getattr(s, n, "active", &oom);
	if (!v || (b = parse_bool(v, 1)) < 0)
		return at_node(s, n, FWT_EFORMAT, "measurement active is missing or not a boolean");
	m->active = b;
	v = getattr(s, n, "alternatives", &oom);
	if (!v || parse_u64(v, FWT_SWID_MAX_ALTERNATIVES, &x) || x == 0)
		return at_node(s, n, FWT_EFORMAT, "measurement alternatives is not 1 to %d",
		               FWT_SWID_MAX_ALTERNATIVES);
	m->alternatives = (size_t)x;
	sz = getattr(s, n, "size", &oom);
	if (oom)
		return fwt__enomem(s->ctx);
	memset(seen, 0, sizeof(seen));
	for (a = n->properties; a; a = a->next) {
		const char *an = (const char *)a->name;
		char q[QS_LEN];
		fwt_digest_alg al;
		char *hv;
		int bad;

		if (strncmp(an, "Hash", 4))
			continue;
		if (hash_alg_of_ns(ns_of(a), &al)) {
			err = at_node(s, n, FWT_EUNSUPPORTED, "measurement %s has no known hash algorithm namespace",
			              qs(q, an));
			goto fail;
		}
		if (alg && al != alg) {
			err = at_node(s, n, FWT_EFORMAT, "measurement mixes hash algorithms");
			goto fail;
		}
		if (!alg) {
			alg = al;
			dsize = fwt_digest_size(alg);
			vals = calloc(m->alternatives, dsize);
			if (!vals)
				return fwt__enomem(s->ctx);
		}
		if (parse_u64(an + 4, m->alternatives - 1, &x) || seen[x]) {
			err = at_node(s, n, FWT_EFORMAT, "measurement attribute %s does not fit alternatives=\"%zu\"",
			              qs(q, an), m->alternatives);
			goto fail;
		}
		seen[x] = 1;
		nseen++;
		hv = (char *)xmlNodeGetContent((xmlNodePtr)a);
		if (!hv) {
			err = fwt__enomem(s->ctx);
			goto fail;
		}
		bad = parse_hash(hv, vals + x * dsize, dsize);
		xmlFree(hv);
		if (bad) {
			err = at_node(s, n, FWT_EFORMAT, "measurement %s is not %zu lowercase hex characters",
			              qs(q, an), 2 * dsize);
			goto fail;
		}
	}
	if (nseen != m->alternatives) {
		err = at_node(s, n, FWT_EFORMAT, "measurement has %zu of its %zu hashes", nseen, m->alternatives);
		goto fail;
	}
	if (sz && (parse_u64(sz, UINT32_MAX, &x) || x != dsize)) {
		err = at_node(s, n, FWT_EFORMAT, "measurement size is not the %s length %zu", fwt_digest_name(alg),
		              dsize);
		goto fail;
	}
	for (i = 0; i < s->nmeas; i++)
		if (s->meas[i].index == m->index) {
			err = at_node(s, n, FWT_EFORMAT, "measurement index %u is listed twice", m->index);
			goto fail;
		}
	if (keep(s, vals, 0)) {
		err = fwt__enomem(s->ctx);
		goto fail;
	}
	m->alg = alg;
	m->size = dsize;
	m->values = vals;
	s->nmeas++;
	return FWT_OK;
fail:
	free(vals); /* every exit before keep() owns it */
	return err;
}

static fwt_err parse_payload_children(fwt_swid *s, xmlNodePtr n, const char *dir)
{
	xmlNodePtr c;
	fwt_err err;

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_swid(c, "Directory")) {
			int oom = 0;
			const char *name = getattr(s, c, "name", &oom);
			char *path;
			size_t len;
			if (oom)
				return fwt__enomem(s->ctx);
			if (!name || !*name)
				return at_node(s, c, FWT_EFORMAT, "Directory without a name");
			len = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
			path = malloc(len);
			if (!path || keep(s, path, 0)) {
				free(path);
				return fwt__enomem(s->ctx);
			}
			snprintf(path, len, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
			err = parse_payload_children(s, c, path);
		} else if (is_swid(c, "File")) {
			err = parse_file(s, c, dir);
		} else if (is_swid(c, "Resource")) {
			xmlChar *type = xmlGetNoNsProp(c, (const xmlChar *)"type");
			int meas = type && !strcmp((const char *)type, "Measurement");
			xmlFree(type);
			err = meas ? parse_measurement(s, c) : FWT_OK;
		} else if (is_swid(c, "Process")) {
			err = FWT_OK;
		} else if (in_ns(c, NS_SWID) || !c->ns) {
			err = at_node(s, c, FWT_EFORMAT, "unexpected element in Payload");
		} else {
			err = FWT_OK; /* an extension in another namespace */
		}
		if (err)
			return err;
	}
	return FWT_OK;
}

static fwt_err parse_payload(fwt_swid *s, xmlNodePtr n)
{
	xmlAttrPtr a;
	fwt_err err;

	if (++s->payloads > 1)
		return at_node(s, n, FWT_EFORMAT, "a second Payload (signature wrapping?)");
	for (a = n->properties; a; a = a->next) {
		err = push_attr(s, &s->payload_attrs, a);
		if (err)
			return err;
	}
	return parse_payload_children(s, n, NULL);
}

static xmlNodePtr first_el(xmlNodePtr n, const char *local, const char *ns)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (is_el(n, local, ns))
			return n;
	return NULL;
}

static const char *alg_attr(fwt_swid *s, xmlNodePtr n, int *oom)
{
	return n ? getattr(s, n, "Algorithm", oom) : NULL;
}

static fwt_err parse_cert(fwt_swid *s, xmlNodePtr n)
{
	xmlChar *text = xmlNodeGetContent(n);
	char *clean = NULL, label[64];
	unsigned char *der = NULL;
	size_t i, j = 0, len, dlen;
	fwt_pubkey *k = NULL;
	fwt_err err;

	if (!text)
		return fwt__enomem(s->ctx);
	len = strlen((const char *)text);
	if (len > MAX_CERT_TEXT) {
		xmlFree(text);
		return at_node(s, n, FWT_EFORMAT, "certificate larger than %d characters", MAX_CERT_TEXT);
	}
	clean = malloc(len + 1);
	der = malloc(len + 1);
	if (!clean || !der) {
		err = fwt__enomem(s->ctx);
		goto out;
	}
	for (i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]))
			clean[j++] = (char)text[i];
	if (fwt_b64_decode(der, len + 1, clean, j, &dlen) != FWT_OK) {
		err = at_node(s, n, FWT_EFORMAT, "X509Certificate is not base64");
		goto out;
	}
	snprintf(label, sizeof(label), "KeyInfo certificate %zu", s->ncerts + 1);
	{
		/* Untrusted until a chain check says otherwise: decoded strictly
		 * (the whole element is one DER certificate) but without the
		 * costly key sanity checks fwt_pubkey_parse makes on keys an
		 * operator supplies; the signature check refuses bad keys. */
		const unsigned char *p = der;
		X509 *x = X509_new_ex(fwt__libctx(s->ctx), fwt__propq(s->ctx));
		EVP_PKEY *pk = NULL;
		if (!x || !d2i_X509(&x, &p, (long)dlen) || p != der + dlen || !(pk = X509_get_pubkey(x))) {
			X509_free(x);
			ERR_clear_error();
			err = at_node(s, n, FWT_EFORMAT, "X509Certificate does not hold one DER certificate");
			goto out;
		}
		err = fwt__pubkey_wrap(s->ctx, &k, pk, x, label);
		if (!err)
			s->certs[s->ncerts++] = k;
	}
out:
	xmlFree(text);
	free(clean);
	free(der);
	return err;
}

/* The SignatureProperty of the Signature's first Object, and its TimeStamp,
 * as written (the profile is checked by fwt_swid_verify). */
static xmlNodePtr timestamp_property(fwt_swid *s)
{
	return first_el(first_el(first_el(s->sig_node, "Object", NS_DSIG), "SignatureProperties", NS_DSIG),
	                "SignatureProperty", NS_DSIG);
}

static const struct c14n_info *find_c14n(const char *uri);

/* True when the Reference that names the timestamp's SignatureProperty
 * canonicalises it inclusively (no transform, or C14N 1.0 or 1.1): every
 * namespace declaration in scope is then signed, not only those the
 * element or its attributes use, as under exclusive C14N. */
static int ts_ref_inclusive(fwt_swid *s, const char *id, int *oom)
{
	xmlNodePtr si = first_el(s->sig_node, "SignedInfo", NS_DSIG), ref, tr;
	const struct c14n_info *c;
	const char *uri;

	for (ref = si ? si->children : NULL; ref && id; ref = ref->next) {
		if (!is_el(ref, "Reference", NS_DSIG))
			continue;
		uri = getattr(s, ref, "URI", oom);
		if (!uri || uri[0] != '#' || strcmp(uri + 1, id))
			continue;
		for (tr = first_el(first_el(ref, "Transforms", NS_DSIG), "Transform", NS_DSIG); tr; tr = tr->next) {
			if (!is_el(tr, "Transform", NS_DSIG))
				continue;
			uri = getattr(s, tr, "Algorithm", oom);
			c = uri ? find_c14n(uri) : NULL;
			if (!c || c->kind == C14N_EXC)
				return 0;
		}
		return 1;
	}
	return 0;
}

/* "rfc3339" or "rfc3852" when a namespace URI names one, else NULL. */
static const char *ts_format(const xmlChar *href)
{
	if (href && strstr((const char *)href, "rfc3339"))
		return "rfc3339";
	if (href && strstr((const char *)href, "rfc3852"))
		return "rfc3852";
	return NULL;
}

/* The format comes only from what the timestamp's Reference signs: the
 * TimeStamp element's own namespace (which every canonicalisation keeps),
 * or, as HIRS writes it, a declaration on it that names neither element
 * nor attribute, only when the Reference canonicalises inclusively;
 * exclusive C14N drops such a declaration, so it could be rewritten. */
static void parse_timestamp(fwt_swid *s, int *oom)
{
	fwt_swid_timestamp *t = &s->ts;
	xmlNodePtr sp = timestamp_property(s), c;
	xmlNsPtr ns;
	int incl;

	if (!sp)
		return;
	s->has_ts = 1;
	t->id = getattr(s, sp, "Id", oom);
	t->target = getattr(s, sp, "Target", oom);
	for (c = sp->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "TimeStamp"))
			continue;
		t->value = getattr(s, c, "dateTime", oom);
		t->format = c->ns ? ts_format(c->ns->href) : NULL;
		incl = !t->format && ts_ref_inclusive(s, t->id, oom);
		for (ns = c->nsDef; ns && incl && !t->format; ns = ns->next)
			t->format = ts_format(ns->href);
		if (t->value && fwt_time_parse_rfc3339(t->value, strlen(t->value), &t->time) == FWT_OK)
			t->has_time = 1;
		break;
	}
}

static fwt_err parse_signature_info(fwt_swid *s)
{
	xmlNodePtr si, ref, c, ki;
	fwt_swid_sig_info *g = &s->sig;
	int oom = 0;
	fwt_err err;

	if (!s->sig_node)
		return FWT_OK;
	g->present = 1;
	si = first_el(s->sig_node, "SignedInfo", NS_DSIG);
	g->c14n_method = alg_attr(s, first_el(si, "CanonicalizationMethod", NS_DSIG), &oom);
	g->signature_method = alg_attr(s, first_el(si, "SignatureMethod", NS_DSIG), &oom);
	ref = first_el(si, "Reference", NS_DSIG);
	for (c = si ? si->children : NULL; c; c = c->next)
		if (is_el(c, "Reference", NS_DSIG))
			g->references++;
	if (ref) {
		g->reference_uri = getattr(s, ref, "URI", &oom);
		g->digest_method = alg_attr(s, first_el(ref, "DigestMethod", NS_DSIG), &oom);
		for (c = first_el(first_el(ref, "Transforms", NS_DSIG), "Transform", NS_DSIG); c; c = c->next) {
			if (!is_el(c, "Transform", NS_DSIG))
				continue;
			if (g->ntransforms < FWT_ARRAY_LEN(g->transforms))
				g->transforms[g->ntransforms] = alg_attr(s, c, &oom);
			g->ntransforms++;
		}
	}
	parse_timestamp(s, &oom);
	ki = first_el(s->sig_node, "KeyInfo", NS_DSIG);
	for (c = ki ? ki->children : NULL; c; c = c->next) {
		xmlNodePtr x;
		if (is_el(c, "KeyName", NS_DSIG) && !g->key_name) {
			g->key_name = keep_x(s, xmlNodeGetContent(c), &oom);
		} else if (is_el(c, "KeyValue", NS_DSIG) && !g->key_value) {
			g->key_value = first_el(c, "RSAKeyValue", NS_DSIG) ? "rsa" :
			               first_el(c, "ECKeyValue", NS_DSIG11) ? "ec" : "other";
		} else if (is_el(c, "X509Data", NS_DSIG)) {
			for (x = c->children; x; x = x->next) {
				if (!is_el(x, "X509Certificate", NS_DSIG))
					continue;
				if (s->ncerts >= MAX_CERTS)
					return at_node(s, x, FWT_EFORMAT, "more than %d certificates", MAX_CERTS);
				g->x509_count++;
				err = parse_cert(s, x);
				if (err)
					return err;
			}
		}
	}
	return oom ? fwt__enomem(s->ctx) : FWT_OK;
}

static fwt_err parse_model(fwt_swid *s)
{
	xmlNodePtr c;
	fwt_err err;
	int evidence = 0;

	if (!is_el(s->root, "SoftwareIdentity", NS_SWID))
		return at_node(s, s->root, FWT_EFORMAT, "the root is not a SWID SoftwareIdentity (namespace %s)",
		               NS_SWID);
	err = parse_identity(s);
	for (c = s->root->children; !err && c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || c == s->sig_node)
			continue;
		if (is_swid(c, "Entity"))
			err = parse_entity(s, c);
		else if (is_swid(c, "Link"))
			err = parse_link(s, c);
		else if (is_swid(c, "Meta"))
			err = parse_meta(s, c);
		else if (is_swid(c, "Payload"))
			err = parse_payload(s, c);
		else if (is_swid(c, "Evidence"))
			err = ++evidence > 1 ? at_node(s, c, FWT_EFORMAT, "a second Evidence") : FWT_OK;
		else if (in_ns(c, NS_SWID) || !c->ns)
			err = at_node(s, c, FWT_EFORMAT, "unexpected element in SoftwareIdentity");
	}
	if (!err && evidence && s->payloads)
		err = at_node(s, s->root, FWT_EFORMAT, "both Payload and Evidence");
	if (!err)
		err = parse_signature_info(s);
	return err;
}

/* ---- parse ---- */

struct pstate {
	int doctype;
};

static void on_doctype(void *data, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr c = data;

	(void)name;
	(void)ext;
	(void)sys;
	((struct pstate *)c->_private)->doctype = 1;
	xmlStopParser(c);
}

int fwt_swid_sniff(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i = 0;

	if (!p)
		return 0;
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < len && p[i] == '<';
}

static size_t line_at(const unsigned char *buf, size_t off)
{
	size_t line = 1, i;

	for (i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

static const unsigned char *find_bytes(const unsigned char *p, const unsigned char *end, const char *what)
{
	size_t n = strlen(what);

	for (; (size_t)(end - p) >= n; p++)
		if (*p == (unsigned char)what[0] && !memcmp(p, what, n))
			return p;
	return NULL;
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * One linear pass over the bytes, before libxml2 parses them, to bound the
 * work hostile markup can cause: refuse a start tag with more than
 * FWT_SWID_MAX_ATTRS attributes ('=' outside quoted values), an element
 * with more than FWT_SWID_MAX_NS_IN_SCOPE namespace declarations
 * (attribute names starting "xmlns") on it and its ancestors, and nesting
 * deeper than FWT_SWID_MAX_DEPTH.  Comments, CDATA sections and processing
 * instructions are skipped; anything else is read as markup (a DOCTYPE's
 * content too: it is refused anyway), so on a well-formed tag the counts
 * are exact.  Malformed markup is left to the parser.
 */
static fwt_err prescan(fwt_swid *s, const unsigned char *buf, size_t len)
{
	const unsigned char *p = buf, *end = buf + len, *tag;
	unsigned decls[FWT_SWID_MAX_DEPTH];
	size_t attrs, ns, inscope = 0, depth = 0;
	unsigned char q, last;

	while ((p = memchr(p, '<', (size_t)(end - p)))) {
		tag = p++;
		if (p < end && *p == '!') {
			if (end - p >= 3 && !memcmp(p, "!--", 3))
				p = find_bytes(p + 3, end, "-->");
			else if (end - p >= 8 && !memcmp(p, "![CDATA[", 8))
				p = find_bytes(p + 8, end, "]]>");
			if (!p)
				break;
			continue;
		}
		if (p < end && *p == '?') {
			if (!(p = find_bytes(p + 1, end, "?>")))
				break;
			continue;
		}
		if (p < end && *p == '/') {
			if (depth)
				inscope -= decls[--depth];
			continue;
		}
		attrs = ns = 0;
		q = last = 0;
		for (; p < end && (q || *p != '>'); p++) {
			if (q) {
				q = *p == q ? 0 : q;
				continue;
			}
			if (*p == '"' || *p == '\'')
				q = *p;
			else if (*p == '=')
				attrs++;
			else if (is_blank(*p) && end - p > 6 && !memcmp(p + 1, "xmlns", 5) &&
			         (p[6] == '=' || p[6] == ':' || is_blank(p[6])))
				ns++;
			if (!is_blank(*p))
				last = *p;
		}
		if (attrs > FWT_SWID_MAX_ATTRS)
			return fwt__error(s->ctx, FWT_EFORMAT,
			                  "'%s': an element at line %zu has %zu attributes; the limit is %d", s->name,
			                  line_at(buf, (size_t)(tag - buf)), attrs, FWT_SWID_MAX_ATTRS);
		if (inscope + ns > FWT_SWID_MAX_NS_IN_SCOPE)
			return fwt__error(s->ctx, FWT_EFORMAT,
			                  "'%s': an element at line %zu has %zu namespace declarations in scope; the "
			                  "limit is %d", s->name, line_at(buf, (size_t)(tag - buf)), inscope + ns,
			                  FWT_SWID_MAX_NS_IN_SCOPE);
		if (p < end && last == '/')
			continue; /* <empty/> */
		if (depth == FWT_SWID_MAX_DEPTH)
			return fwt__error(s->ctx, FWT_EFORMAT, "'%s': an element at line %zu is nested deeper than %d elements",
			                  s->name, line_at(buf, (size_t)(tag - buf)), FWT_SWID_MAX_DEPTH);
		decls[depth++] = (unsigned)ns;
		inscope += ns;
	}
	return FWT_OK;
}

static fwt_err parse_xml(fwt_swid *s, const unsigned char *buf, size_t len)
{
	xmlParserCtxtPtr pc = NULL;
	struct pstate ps = { 0 };
	struct sink k;
	struct guard g;
	fwt_err err = FWT_OK;
	int wf;

	/* Only UTF-8: refuse UTF-16/32 byte-order marks and zero bytes up front */
	if (len >= 2 && ((buf[0] == 0xfe && buf[1] == 0xff) || (buf[0] == 0xff && buf[1] == 0xfe)))
		return fwt__error(s->ctx, FWT_EUNSUPPORTED, "'%s': UTF-16 is not supported; RIMs are UTF-8", s->name);
	if (memchr(buf, 0, len))
		return fwt__error(s->ctx, FWT_EFORMAT, "'%s': NUL byte at offset %zu", s->name,
		                  (size_t)((const unsigned char *)memchr(buf, 0, len) - buf));
	err = prescan(s, buf, len);
	if (err)
		return err;
	guard_enter(&g, &k);
	pc = xmlCreateMemoryParserCtxt((const char *)buf, (int)len);
	if (!pc) {
		guard_leave(&g);
		return fwt__enomem(s->ctx);
	}
	xmlCtxtUseOptions(pc, XML_PARSE_NONET);
	pc->_private = &ps;
	pc->sax->internalSubset = on_doctype;
	pc->sax->externalSubset = NULL;
	pc->sax->entityDecl = NULL;
	pc->sax->resolveEntity = NULL;
	pc->sax->serror = NULL;
	pc->loadsubset = 0;
	pc->replaceEntities = 0;
	pc->validate = 0;
	xmlParseDocument(pc);
	wf = pc->wellFormed && pc->nsWellFormed;
	s->doc = pc->myDoc;
	pc->myDoc = NULL;
	xmlFreeParserCtxt(pc);
	guard_leave(&g);
	if (ps.doctype)
		return fwt__error(s->ctx, FWT_EFORMAT, "'%s': a DOCTYPE is not allowed (no DTD, no entities)", s->name);
	if (!wf || k.nerr || !s->doc)
		return fwt__error(s->ctx, FWT_EFORMAT, "'%s': malformed XML at line %d, column %d: %s", s->name,
		                  k.nerr ? k.line : 0, k.nerr ? k.col : 0, k.nerr ? k.msg : "not well-formed");
	if (s->doc->intSubset || s->doc->extSubset)
		return fwt__error(s->ctx, FWT_EFORMAT, "'%s': a DOCTYPE is not allowed (no DTD, no entities)", s->name);
	if (s->doc->encoding && strcasecmp((const char *)s->doc->encoding, "UTF-8"))
		return fwt__error(s->ctx, FWT_EUNSUPPORTED, "'%s': encoding is not UTF-8", s->name);
	if (!s->doc->version || strcmp((const char *)s->doc->version, "1.0"))
		return fwt__error(s->ctx, FWT_EUNSUPPORTED, "'%s': only XML 1.0 is supported", s->name);
	s->root = xmlDocGetRootElement(s->doc);
	if (!s->root)
		return fwt__error(s->ctx, FWT_EFORMAT, "'%s': no root element", s->name);
	return err;
}

fwt_err fwt_swid_parse(fwt_ctx *ctx, fwt_swid **out, const void *buf, size_t len, const char *name)
{
	fwt_swid *s;
	fwt_err err;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_swid_parse");
	*out = NULL;
	if (!name)
		name = "(swid)";
	if (len > FWT_SWID_MAX_SIZE)
		return fwt__error(ctx, FWT_EFORMAT, "'%s': larger than %u bytes", name, FWT_SWID_MAX_SIZE);
	if (!len)
		return fwt__error(ctx, FWT_EFORMAT, "'%s': empty", name);
	err = ensure_init(ctx);
	if (err)
		return err;
	s = calloc(1, sizeof(*s));
	if (!s)
		return fwt__enomem(ctx);
	s->ctx = ctx;
	s->name = strdup(name);
	if (!s->name) {
		fwt_swid_free(s);
		return fwt__enomem(ctx);
	}
	err = parse_xml(s, buf, len);
	if (!err)
		err = scan_doc(s);
	if (!err)
		err = parse_model(s);
	if (err) {
		fwt_swid_free(s);
		return err;
	}
	*out = s;
	return FWT_OK;
}

fwt_err fwt_swid_read(fwt_ctx *ctx, fwt_swid **out, fwt_reader *r)
{
	unsigned char *buf;
	size_t len;
	fwt_err err;

	if (!out || !r)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_swid_read");
	*out = NULL;
	err = fwt_reader_read_all(r, FWT_SWID_MAX_SIZE, &buf, &len);
	if (err)
		return err;
	err = fwt_swid_parse(ctx, out, buf, len, fwt_reader_name(r));
	free(buf);
	return err;
}

fwt_err fwt_swid_load(fwt_ctx *ctx, fwt_swid **out, const char *path)
{
	fwt_reader *r;
	fwt_err err;

	if (!out || !path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_swid_load");
	*out = NULL;
	err = fwt_reader_open_file(ctx, &r, path, 1);
	if (err)
		return err;
	err = fwt_swid_read(ctx, out, r);
	fwt_reader_free(r);
	return err;
}

void fwt_swid_free(fwt_swid *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->npool; i++) {
		if (s->pool[i].xml)
			xmlFree(s->pool[i].p);
		else
			free(s->pool[i].p);
	}
	for (i = 0; i < s->ncerts; i++)
		fwt_pubkey_free(s->certs[i]);
	free(s->pool);
	free(s->entities);
	free(s->links);
	free(s->meta_attrs.v);
	free(s->payload_attrs.v);
	free(s->files);
	free(s->meas);
	xmlFreeDoc(s->doc);
	free(s->name);
	free(s);
}

/* ---- accessors ---- */

const char *fwt_swid_name(const fwt_swid *s) { return s ? s->name : NULL; }
const fwt_swid_identity *fwt_swid_get_identity(const fwt_swid *s) { return s ? &s->id : NULL; }
size_t fwt_swid_entity_count(const fwt_swid *s) { return s ? s->nentities : 0; }
const fwt_swid_entity *fwt_swid_entity_get(const fwt_swid *s, size_t i)
{
	return s && i < s->nentities ? &s->entities[i] : NULL;
}
size_t fwt_swid_link_count(const fwt_swid *s) { return s ? s->nlinks : 0; }
const fwt_swid_link *fwt_swid_link_get(const fwt_swid *s, size_t i)
{
	return s && i < s->nlinks ? &s->links[i] : NULL;
}
const char *fwt_swid_meta(const fwt_swid *s, fwt_swid_meta_field f)
{
	return s && (unsigned)f < FWT_SWID_META_COUNT ? s->meta[f] : NULL;
}
const char *fwt_swid_meta_field_name(fwt_swid_meta_field f)
{
	return (unsigned)f < FWT_SWID_META_COUNT ? metas[f].name : NULL;
}
const char *fwt_swid_meta_field_key(fwt_swid_meta_field f)
{
	return (unsigned)f < FWT_SWID_META_COUNT ? metas[f].key : NULL;
}
size_t fwt_swid_meta_attr_count(const fwt_swid *s) { return s ? s->meta_attrs.n : 0; }
const fwt_swid_attr *fwt_swid_meta_attr_get(const fwt_swid *s, size_t i)
{
	return s && i < s->meta_attrs.n ? &s->meta_attrs.v[i] : NULL;
}
size_t fwt_swid_payload_attr_count(const fwt_swid *s) { return s ? s->payload_attrs.n : 0; }
const fwt_swid_attr *fwt_swid_payload_attr_get(const fwt_swid *s, size_t i)
{
	return s && i < s->payload_attrs.n ? &s->payload_attrs.v[i] : NULL;
}
size_t fwt_swid_file_count(const fwt_swid *s) { return s ? s->nfiles : 0; }
const fwt_swid_file *fwt_swid_file_get(const fwt_swid *s, size_t i)
{
	return s && i < s->nfiles ? &s->files[i] : NULL;
}
const fwt_swid_hash *fwt_swid_file_hash(const fwt_swid_file *f, fwt_digest_alg alg)
{
	size_t i;

	for (i = 0; f && i < f->nhashes; i++)
		if (f->hashes[i].alg == alg)
			return &f->hashes[i];
	return NULL;
}
size_t fwt_swid_measurement_count(const fwt_swid *s) { return s ? s->nmeas : 0; }
const fwt_swid_measurement *fwt_swid_measurement_get(const fwt_swid *s, size_t i)
{
	return s && i < s->nmeas ? &s->meas[i] : NULL;
}
const fwt_swid_sig_info *fwt_swid_signature(const fwt_swid *s) { return s ? &s->sig : NULL; }
const fwt_swid_timestamp *fwt_swid_get_timestamp(const fwt_swid *s) { return s && s->has_ts ? &s->ts : NULL; }
const fwt_pubkey *fwt_swid_cert(const fwt_swid *s, size_t i)
{
	return s && i < s->ncerts ? s->certs[i] : NULL;
}

/* ---- verification ---- */

struct profile {
	const struct c14n_info *si_c14n;  /* SignedInfo */
	const struct c14n_info *ref_c14n; /* Reference transform, or NULL */
	const struct sigm_info *sigm;
	const struct dm_info *dm;
	/* the signed timestamp: its Reference's transform and digest, and the
	 * Id attribute of the SignatureProperty it names */
	int ts;
	const struct c14n_info *ts_c14n;
	const struct dm_info *ts_dm;
	xmlAttrPtr ts_id;
};

static xmlSecTransformId c14n_id(const struct c14n_info *c)
{
	switch (c->kind) {
	case C14N_10: return xmlSecTransformInclC14NId;
	case C14N_11: return xmlSecTransformInclC14N11Id;
	default: return xmlSecTransformExclC14NId;
	}
}

static xmlSecTransformId sigm_id(const struct sigm_info *m)
{
	switch (m->md) {
	case FWT_DIGEST_SHA256: return m->ecdsa ? xmlSecTransformEcdsaSha256Id : xmlSecTransformRsaSha256Id;
	case FWT_DIGEST_SHA384: return m->ecdsa ? xmlSecTransformEcdsaSha384Id : xmlSecTransformRsaSha384Id;
	default: return m->ecdsa ? xmlSecTransformEcdsaSha512Id : xmlSecTransformRsaSha512Id;
	}
}

static xmlSecTransformId dm_id(const struct dm_info *d)
{
	switch (d->md) {
	case FWT_DIGEST_SHA256: return xmlSecTransformSha256Id;
	case FWT_DIGEST_SHA384: return xmlSecTransformSha384Id;
	default: return xmlSecTransformSha512Id;
	}
}

static const char *short_uri(const char *u)
{
	const char *h;

	if (!u)
		return "(none)";
	h = strrchr(u, '#');
	return h && h[1] ? h + 1 : u;
}

/* Element children of n must be exactly the names given, in order (a name
 * ending in '?' is optional); no text other than white space. */
static fwt_err expect_children(fwt_swid *s, xmlNodePtr n, const char *const *names, size_t count,
                               xmlNodePtr *found)
{
	xmlNodePtr c;
	size_t i = 0;
	char want[40];

	for (c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			const xmlChar *t;
			for (t = c->content; t && *t; t++)
				if (!strchr(" \t\r\n", *t))
					return at_node(s, n, FWT_EFORMAT, "unexpected text");
			continue;
		}
		if (c->type == XML_COMMENT_NODE)
			continue;
		if (c->type != XML_ELEMENT_NODE)
			return at_node(s, n, FWT_EFORMAT, "unexpected content");
		for (;;) {
			size_t l;
			int opt;
			if (i >= count)
				return at_node(s, c, FWT_EUNSUPPORTED, "not allowed here by the signature profile");
			l = strlen(names[i]);
			opt = names[i][l - 1] == '?';
			snprintf(want, sizeof(want), "%.*s", (int)(opt ? l - 1 : l), names[i]);
			if (is_el(c, want, NS_DSIG)) {
				found[i++] = c;
				break;
			}
			if (!opt)
				return at_node(s, c, in_ns(c, NS_DSIG) ? FWT_EUNSUPPORTED : FWT_EFORMAT,
				               "expected ds:%s", want);
			found[i++] = NULL;
		}
	}
	for (; i < count; i++) {
		size_t l = strlen(names[i]);
		if (names[i][l - 1] != '?')
			return at_node(s, n, FWT_EFORMAT, "ds:%s is missing", names[i]);
		found[i] = NULL;
	}
	return FWT_OK;
}

/* Attributes of n: none except those named in allowed. */
static fwt_err only_attrs(fwt_swid *s, xmlNodePtr n, const char *const *allowed, size_t count)
{
	xmlAttrPtr a;
	size_t i;

	for (a = n->properties; a; a = a->next) {
		for (i = 0; i < count; i++)
			if (!a->ns && !strcmp((const char *)a->name, allowed[i]))
				break;
		if (i == count)
		{
			char q[QS_LEN];
			return at_node(s, n, FWT_EUNSUPPORTED, "attribute '%s' is not allowed by the signature profile",
			               qs(q, (const char *)a->name));
		}
	}
	return FWT_OK;
}

static const char *const attr_alg[] = { "Algorithm" };
static const char *const attr_id[] = { "Id" };
static const char *const attr_uri[] = { "URI" };

/* The Algorithm of a method or transform element (checked against an
 * allow-list by the caller, then no_params). */
static fwt_err method_node(fwt_swid *s, xmlNodePtr n, const char **uri)
{
	fwt_err err = only_attrs(s, n, attr_alg, 1);
	int oom = 0;

	if (err)
		return err;
	*uri = getattr(s, n, "Algorithm", &oom);
	if (oom)
		return fwt__enomem(s->ctx);
	if (!*uri)
		return at_node(s, n, FWT_EFORMAT, "Algorithm is missing");
	return FWT_OK;
}

/* No parameters (HMACOutputLength, InclusiveNamespaces, XPath, ...). */
static fwt_err no_params(fwt_swid *s, xmlNodePtr n)
{
	xmlNodePtr c;

	for (c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			return at_node(s, c, FWT_EUNSUPPORTED, "parameters are not allowed by the signature profile");
		if (c->type == XML_TEXT_NODE && c->content && strspn((const char *)c->content, " \t\r\n") !=
		                                                  strlen((const char *)c->content))
			return at_node(s, n, FWT_EFORMAT, "unexpected text");
	}
	return FWT_OK;
}

static const struct c14n_info *find_c14n(const char *uri)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(c14ns); i++)
		if (!strcmp(uri, c14ns[i].uri))
			return &c14ns[i];
	return NULL;
}

static const struct dm_info *find_dm(const char *uri)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(dms); i++)
		if (!strcmp(uri, dms[i].uri))
			return &dms[i];
	return NULL;
}

/* The only element child of n is ds:<local> (white space and comments
 * aside); anything else is outside the profile. */
static fwt_err one_child(fwt_swid *s, xmlNodePtr n, const char *local, xmlNodePtr *out)
{
	xmlNodePtr c;

	*out = NULL;
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE || (c->type == XML_TEXT_NODE && c->content &&
		                                    strspn((const char *)c->content, " \t\r\n") ==
		                                        strlen((const char *)c->content)))
			continue;
		if (c->type != XML_ELEMENT_NODE || !is_el(c, local, NS_DSIG) || *out)
			return at_node(s, c->type == XML_ELEMENT_NODE ? c : n, FWT_EUNSUPPORTED,
			               "ds:%s may hold only one ds:%s (a signed timestamp)", (const char *)n->name, local);
		*out = c;
	}
	if (!*out)
		return at_node(s, n, FWT_EUNSUPPORTED, "ds:%s holds no ds:%s", (const char *)n->name, local);
	return FWT_OK;
}

/*
 * The signed timestamp (HIRS): Object, SignatureProperties and
 * SignatureProperty each with exactly one element child, the property's Id
 * named by the second Reference and its Target naming this Signature, a
 * TimeStamp inside; the Reference with no transform or one
 * canonicalisation, and an allowed digest.  Nothing else may be referenced.
 */
static fwt_err check_timestamp(fwt_swid *s, struct profile *p, xmlNodePtr obj, xmlNodePtr ref)
{
	static const char *const ref_kids[] = { "Transforms?", "DigestMethod", "DigestValue" };
	static const char *const attr_prop[] = { "Id", "Target" };
	xmlNodePtr ok[1], sk[1], rk[3], ts = NULL, c;
	const char *uri, *id, *target, *sig_id;
	char q[QS_LEN];
	int oom = 0, nt = 0;
	fwt_err err;

	if (!obj || !ref)
		return at_node(s, obj ? obj : ref ? ref : s->sig_node, FWT_EUNSUPPORTED,
		               obj ? "a ds:Object that no Reference signs" : "a second Reference without the ds:Object "
		                                                             "of a signed timestamp");
	if ((err = only_attrs(s, obj, attr_id, 1)) || (err = one_child(s, obj, "SignatureProperties", ok)) ||
	    (err = only_attrs(s, ok[0], attr_id, 1)) || (err = one_child(s, ok[0], "SignatureProperty", sk)) ||
	    (err = only_attrs(s, sk[0], attr_prop, 2)))
		return err;
	for (c = sk[0]->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content &&
		    strspn((const char *)c->content, " \t\r\n") == strlen((const char *)c->content))
			continue;
		if (c->type == XML_COMMENT_NODE)
			continue;
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "TimeStamp") || ts)
			return at_node(s, sk[0], FWT_EUNSUPPORTED,
			               "a signed SignatureProperty may hold one TimeStamp element only");
		ts = c;
	}
	if (!ts)
		return at_node(s, sk[0], FWT_EUNSUPPORTED, "the signed SignatureProperty holds no TimeStamp");
	id = getattr(s, sk[0], "Id", &oom);
	target = getattr(s, sk[0], "Target", &oom);
	sig_id = getattr(s, s->sig_node, "Id", &oom);
	uri = getattr(s, ref, "URI", &oom);
	if (oom)
		return fwt__enomem(s->ctx);
	if (!id || !*id)
		return at_node(s, sk[0], FWT_EFORMAT, "the SignatureProperty has no Id");
	/* the Target names this Signature ("#id" or, as HIRS writes it, "id") */
	if (!target || !sig_id || !*sig_id || (strcmp(target, sig_id) && (target[0] != '#' || strcmp(target + 1, sig_id))))
		return at_node(s, sk[0], FWT_EUNSUPPORTED, "the SignatureProperty's Target '%s' does not name this Signature",
		               qs(q, target ? target : ""));
	if ((err = only_attrs(s, ref, attr_uri, 1)))
		return err;
	if (!uri || uri[0] != '#' || strcmp(uri + 1, id))
		return at_node(s, ref, FWT_EUNSUPPORTED,
		               "a second Reference may only sign the timestamp's SignatureProperty '#%s', not '%s'",
		               id, qs(q, uri ? uri : "(no URI)"));
	if ((err = expect_children(s, ref, ref_kids, 3, rk)))
		return err;
	if (rk[0]) {
		if ((err = only_attrs(s, rk[0], NULL, 0)))
			return err;
		for (c = rk[0]->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			if (!is_el(c, "Transform", NS_DSIG))
				return at_node(s, c, FWT_EUNSUPPORTED, "not allowed in Transforms");
			if ((err = method_node(s, c, &uri)))
				return err;
			if (nt++ || !(p->ts_c14n = find_c14n(uri)))
				return at_node(s, c, FWT_EUNSUPPORTED,
				               "the timestamp's Reference may have one canonicalization transform only, not %s",
				               short_uri(uri));
			if ((err = no_params(s, c)))
				return err;
		}
	}
	if ((err = method_node(s, rk[1], &uri)))
		return err;
	if (!(p->ts_dm = find_dm(uri)))
		return at_node(s, rk[1], FWT_EUNSUPPORTED, "digest method %s is not allowed", short_uri(uri));
	if ((err = no_params(s, rk[1])) || (err = only_attrs(s, rk[2], NULL, 0)))
		return err;
	p->ts = 1;
	p->ts_id = xmlHasProp(sk[0], (const xmlChar *)"Id");
	return FWT_OK;
}

static fwt_err check_profile(fwt_swid *s, struct profile *p)
{
	static const char *const sig_kids[] = { "SignedInfo", "SignatureValue", "KeyInfo?", "Object?" };
	static const char *const si_kids[] = { "CanonicalizationMethod", "SignatureMethod", "Reference", "Reference?" };
	static const char *const ref_kids[] = { "Transforms", "DigestMethod", "DigestValue" };
	xmlNodePtr sk[4], sik[4], rk[3], c;
	const char *uri;
	size_t i, nt = 0;
	fwt_err err;

	memset(p, 0, sizeof(*p));
	if (s->sig.references != 1 && s->sig.references != 2)
		return fwt__error(s->ctx, FWT_EUNSUPPORTED,
		                  "'%s': the signature has %zu References; the profile allows one, URI=\"\" (and one "
		                  "for a signed timestamp)", s->name, s->sig.references);
	if ((err = only_attrs(s, s->sig_node, attr_id, 1)) ||
	    (err = expect_children(s, s->sig_node, sig_kids, 4, sk)) ||
	    (err = only_attrs(s, sk[0], attr_id, 1)) || (err = only_attrs(s, sk[1], attr_id, 1)) ||
	    (err = expect_children(s, sk[0], si_kids, 4, sik)))
		return err;
	if ((sk[3] || sik[3]) && (err = check_timestamp(s, p, sk[3], sik[3])))
		return err;
	/* SignedInfo canonicalisation */
	if ((err = method_node(s, sik[0], &uri)))
		return err;
	p->si_c14n = find_c14n(uri);
	if (!p->si_c14n)
		return at_node(s, sik[0], FWT_EUNSUPPORTED, "canonicalization %s is not allowed", short_uri(uri));
	if ((err = no_params(s, sik[0])))
		return err;
	/* SignatureMethod */
	if ((err = method_node(s, sik[1], &uri)))
		return err;
	for (i = 0; i < FWT_ARRAY_LEN(sigms); i++)
		if (!strcmp(uri, sigms[i].uri))
			p->sigm = &sigms[i];
	if (!p->sigm)
		return at_node(s, sik[1], FWT_EUNSUPPORTED, "signature method %s is not allowed", short_uri(uri));
	if ((err = no_params(s, sik[1])))
		return err;
	/* the one Reference, URI="" */
	if ((err = only_attrs(s, sik[2], attr_uri, 1)))
		return err;
	if (!xmlHasProp(sik[2], (const xmlChar *)"URI") || !s->sig.reference_uri || s->sig.reference_uri[0])
		return at_node(s, sik[2], FWT_EUNSUPPORTED,
		               "the Reference must have URI=\"\" (the whole document, enveloped)");
	if ((err = expect_children(s, sik[2], ref_kids, 3, rk)) || (err = only_attrs(s, rk[0], NULL, 0)))
		return err;
	for (c = rk[0]->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is_el(c, "Transform", NS_DSIG))
			return at_node(s, c, FWT_EUNSUPPORTED, "not allowed in Transforms");
		if ((err = method_node(s, c, &uri)))
			return err;
		if (nt == 0 && strcmp(uri, URI_ENVELOPED))
			return at_node(s, c, FWT_EUNSUPPORTED, "the first transform must be enveloped-signature, not %s",
			               short_uri(uri));
		if (nt == 1 && !(p->ref_c14n = find_c14n(uri)))
			return at_node(s, c, FWT_EUNSUPPORTED, "transform %s is not allowed", short_uri(uri));
		if (nt >= 2)
			return at_node(s, c, FWT_EUNSUPPORTED, "more than two transforms");
		if ((err = no_params(s, c)))
			return err;
		nt++;
	}
	if (nt == 0)
		return at_node(s, rk[0], FWT_EUNSUPPORTED, "the enveloped-signature transform is missing");
	if ((err = method_node(s, rk[1], &uri)))
		return err;
	p->dm = find_dm(uri);
	if (!p->dm)
		return at_node(s, rk[1], FWT_EUNSUPPORTED, "digest method %s is not allowed", short_uri(uri));
	if ((err = no_params(s, rk[1])))
		return err;
	if ((err = only_attrs(s, rk[2], NULL, 0)))
		return err;
	/* KeyInfo: only what we can show; it never selects the key */
	for (c = sk[2] ? sk[2]->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is_el(c, "KeyName", NS_DSIG) && !is_el(c, "KeyValue", NS_DSIG) && !is_el(c, "X509Data", NS_DSIG))
			return at_node(s, c, FWT_EUNSUPPORTED, "KeyInfo may hold only KeyName, KeyValue and X509Data");
	}
	return FWT_OK;
}

/* Whether key k can make signatures of method m (FWT_OK), is the wrong kind
 * of key (FWT_EVERIFY), or is too weak (FWT_EUNSUPPORTED). */
static fwt_err key_fits(fwt_swid *s, const fwt_pubkey *k, const struct sigm_info *m)
{
	fwt_key_type t = fwt_pubkey_type(k);

	if (m->ecdsa) {
		if (t == FWT_KEY_EC_P256 || t == FWT_KEY_EC_P384 || t == FWT_KEY_EC_P521)
			return FWT_OK;
		return fwt__error(s->ctx, FWT_EVERIFY, "'%s': key '%s' (%s) cannot verify an %s signature", s->name,
		                  fwt_pubkey_name(k), fwt_pubkey_describe(k), short_uri(m->uri));
	}
	if (t != FWT_KEY_RSA)
		return fwt__error(s->ctx, FWT_EVERIFY, "'%s': key '%s' (%s) cannot verify an %s signature", s->name,
		                  fwt_pubkey_name(k), fwt_pubkey_describe(k), short_uri(m->uri));
	if (fwt_pubkey_bits(k) < 2048)
		return fwt__error(s->ctx, FWT_EUNSUPPORTED, "'%s': key '%s' (%s) is shorter than 2048 bits", s->name,
		                  fwt_pubkey_name(k), fwt_pubkey_describe(k));
	return FWT_OK;
}

static xmlSecKeyPtr make_key(const fwt_pubkey *k)
{
	EVP_PKEY *pk = fwt__pubkey_evp(k);
	xmlSecKeyDataPtr d;
	xmlSecKeyPtr key;

	if (!pk || !EVP_PKEY_up_ref(pk))
		return NULL;
	d = xmlSecOpenSSLEvpKeyAdopt(pk);
	if (!d) {
		EVP_PKEY_free(pk);
		return NULL;
	}
	key = xmlSecKeyCreate();
	if (!key || xmlSecKeySetValue(key, d) < 0) {
		xmlSecKeyDataDestroy(d);
		xmlSecKeyDestroy(key);
		return NULL;
	}
	return key;
}

/* SignedInfo alone (c14n, then the signature method over it): told apart
 * from the Reference only to report which of the two failed. */
static int signedinfo_verifies(fwt_swid *s, const struct profile *p, xmlSecKeyPtr key)
{
	xmlNodePtr si = first_el(s->sig_node, "SignedInfo", NS_DSIG);
	xmlNodePtr sv = first_el(s->sig_node, "SignatureValue", NS_DSIG);
	xmlSecTransformCtxPtr tc;
	xmlSecTransformPtr sig;
	xmlSecNodeSetPtr ns = NULL;
	int ok = 0;

	tc = xmlSecTransformCtxCreate();
	if (!tc)
		return 0;
	if (!xmlSecTransformCtxCreateAndAppend(tc, c14n_id(p->si_c14n)))
		goto out;
	sig = xmlSecTransformCtxCreateAndAppend(tc, sigm_id(p->sigm));
	if (!sig)
		goto out;
	sig->operation = xmlSecTransformOperationVerify;
	if (xmlSecTransformSetKey(sig, key) < 0)
		goto out;
	ns = xmlSecNodeSetGetChildren(s->doc, si, 1, 0);
	if (!ns || xmlSecTransformCtxXmlExecute(tc, ns) < 0)
		goto out;
	if (xmlSecTransformVerifyNodeContent(sig, sv, tc) < 0)
		goto out;
	ok = sig->status == xmlSecTransformStatusOk;
out:
	if (ns)
		xmlSecNodeSetDestroy(ns);
	xmlSecTransformCtxDestroy(tc);
	return ok;
}

/* One xmlsec run with key k: FWT_OK, FWT_EVERIFY (with ref/sig set), or an
 * error. */
static fwt_err run_dsig(fwt_swid *s, const struct profile *p, const fwt_pubkey *k, int *ref_ok, int *sig_ok)
{
	xmlSecDSigCtxPtr dc = NULL;
	xmlSecPtrListPtr refl = NULL;
	xmlSecKeyPtr key;
	struct sink sk;
	struct guard g;
	fwt_err err = FWT_OK;
	int rc;

	*ref_ok = *sig_ok = 0;
	guard_enter(&g, &sk);
	key = make_key(k);
	if (!key) {
		guard_leave(&g);
		ERR_clear_error();
		return fwt__error(s->ctx, FWT_ECRYPTO, "'%s': xmlsec cannot use key '%s': %s", s->name,
		                  fwt_pubkey_name(k), sk.xmlsec[0] ? sk.xmlsec : "unknown reason");
	}
	dc = xmlSecDSigCtxCreate(NULL);
	refl = xmlSecPtrListCreate(xmlSecTransformIdListId);
	if (!dc || !refl) {
		xmlSecKeyDestroy(key);
		err = fwt__enomem(s->ctx);
		goto out;
	}
	dc->signKey = key; /* owned by dc from here */
	dc->flags = XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS | XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES;
	dc->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
	if (p->ts) {
		/* "#id" resolves through the document's ID table, where only the
		 * timestamp's SignatureProperty is registered (check_timestamp
		 * made sure the Reference names it and nothing else) */
		xmlChar *id = xmlNodeGetContent((xmlNodePtr)p->ts_id);
		xmlAttrPtr have = id ? xmlGetID(s->doc, id) : NULL;
		if (!id || (have && have != p->ts_id) || (!have && !xmlAddID(NULL, s->doc, id, p->ts_id))) {
			xmlFree(id);
			xmlSecKeyDestroy(key);
			dc->signKey = NULL;
			err = fwt__error(s->ctx, FWT_EFORMAT, "'%s': the timestamp's Id cannot be registered", s->name);
			goto out;
		}
		xmlFree(id);
		dc->enabledReferenceUris |= xmlSecTransformUriTypeSameDocument;
	}
	dc->keyInfoReadCtx.maxRetrievalMethodLevel = 0;
	if (xmlSecPtrListAdd(refl, (void *)xmlSecTransformEnvelopedId) < 0 ||
	    xmlSecPtrListAdd(refl, (void *)xmlSecTransformInclC14NId) < 0 ||
	    (p->ref_c14n && p->ref_c14n->kind != C14N_10 &&
	     xmlSecPtrListAdd(refl, (void *)c14n_id(p->ref_c14n)) < 0) ||
	    xmlSecPtrListAdd(refl, (void *)dm_id(p->dm)) < 0 ||
	    (p->ts && xmlSecPtrListAdd(refl, (void *)xmlSecTransformXPointerId) < 0) ||
	    (p->ts_c14n && xmlSecPtrListAdd(refl, (void *)c14n_id(p->ts_c14n)) < 0) ||
	    (p->ts_dm && p->ts_dm != p->dm && xmlSecPtrListAdd(refl, (void *)dm_id(p->ts_dm)) < 0) ||
	    xmlSecDSigCtxEnableSignatureTransform(dc, c14n_id(p->si_c14n)) < 0 ||
	    xmlSecDSigCtxEnableSignatureTransform(dc, sigm_id(p->sigm)) < 0) {
		err = fwt__enomem(s->ctx);
		goto out;
	}
	dc->enabledReferenceTransforms = refl;
	rc = xmlSecDSigCtxVerify(dc, s->sig_node);
	if (rc < 0) {
		/* the backend failing is no answer, never a "no" */
		err = fwt__error(s->ctx,
		                 sk.xmlsec_reason == XMLSEC_ERRORS_R_CRYPTO_FAILED ? FWT_ECRYPTO :
		                 sk.xmlsec_reason == XMLSEC_ERRORS_R_MALLOC_FAILED ? FWT_ENOMEM : FWT_EVERIFY,
		                 "'%s': the signature cannot be checked: %s", s->name,
		                 sk.xmlsec[0] ? sk.xmlsec : "xmlsec failed");
	} else if (dc->status == xmlSecDSigStatusSucceeded &&
	           xmlSecPtrListGetSize(&dc->signedInfoReferences) == (p->ts ? 2u : 1u)) {
		*ref_ok = *sig_ok = 1;
	} else {
		size_t nr = xmlSecPtrListGetSize(&dc->signedInfoReferences), i, good = 0;
		xmlSecDSigReferenceCtxPtr r0 = nr ? xmlSecPtrListGetItem(&dc->signedInfoReferences, 0) : NULL;
		for (i = 0; i < nr; i++) {
			xmlSecDSigReferenceCtxPtr r = xmlSecPtrListGetItem(&dc->signedInfoReferences, i);
			good += r && r->status == xmlSecDSigStatusSucceeded;
		}
		*ref_ok = nr == (p->ts ? 2u : 1u) && good == nr;
		*sig_ok = *ref_ok ? 0 : signedinfo_verifies(s, p, dc->signKey);
		if (!*ref_ok && r0 && r0->status == xmlSecDSigStatusSucceeded)
			err = fwt__error(s->ctx, FWT_EVERIFY,
			                 "'%s': the signed timestamp's digest does not match the signed one (%s)", s->name,
			                 *sig_ok ? "it was changed after signing" :
			                           "and SignedInfo does not verify with this key either");
		else if (!*ref_ok)
			err = fwt__error(s->ctx, FWT_EVERIFY,
			                 "'%s': the document's digest does not match the signed one (%s)", s->name,
			                 *sig_ok ? "the content was changed after signing" :
			                           "and SignedInfo does not verify with this key either");
		else
			err = fwt__error(s->ctx, FWT_EVERIFY, "'%s': signature does not verify with key '%s': made by "
			                 "another key, or over another document", s->name, fwt_pubkey_name(k));
	}
out:
	if (dc) {
		dc->enabledReferenceTransforms = NULL;
		xmlSecDSigCtxDestroy(dc);
	}
	if (refl)
		xmlSecPtrListDestroy(refl);
	guard_leave(&g);
	ERR_clear_error();
	return err;
}

static void set_signer(fwt_swid *s, const fwt_pubkey *k)
{
	const char *subj = fwt_pubkey_cert_subject(k);

	snprintf(s->ver.signer, sizeof(s->ver.signer), "%s", subj ? subj : fwt_pubkey_name(k));
}

static fwt_err try_key(fwt_swid *s, const struct profile *p, const fwt_pubkey *k, fwt_swid_verify_result *r)
{
	fwt_err err = key_fits(s, k, p->sigm);

	if (err)
		return err;
	err = run_dsig(s, p, k, &r->reference_ok, &r->signature_ok);
	/* FWT_EVERIFY from run_dsig: computed, and the answer is no */
	r->checked = !err || err == FWT_EVERIFY;
	if (!err)
		r->signer = k;
	return err;
}

fwt_err fwt_swid_verify(fwt_ctx *ctx, fwt_swid *s, const fwt_swid_verify_options *opts,
                        fwt_swid_verify_result *res)
{
	fwt_swid_verify_result r;
	struct profile p;
	unsigned ver;
	fwt_err err;
	size_t i;

	memset(&r, 0, sizeof(r));
	if (res)
		*res = r;
	if (!s || !opts)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to SWID verification");
	if ((err = fwt__opts_version(ctx, "SWID verify", opts->version, FWT_SWID_VERIFY_OPTIONS_VERSION, &ver)))
		return err;
	s->ctx = ctx;
	memset(&s->ver, 0, sizeof(s->ver));
	s->ts.is_signed = 0;
	if (!opts->key && !opts->trust)
		return fwt__error(ctx, FWT_EINVAL, "no key and no trust store to verify '%s' with", s->name);
	err = ensure_init(ctx);
	if (err)
		return err;
	s->ver.done = 1;
	if (!s->sig_node) {
		err = fwt__error(ctx, FWT_EVERIFY, "'%s': not signed (no ds:Signature)", s->name);
		goto out;
	}
	err = check_profile(s, &p);
	if (err)
		goto out;
	if (opts->key) {
		err = try_key(s, &p, opts->key, &r);
	} else if (s->ncerts) {
		/* a bare trusted key equal to the signer's pins it, and names
		 * the signer: the embedded certificate that carries it is
		 * unsigned and unvalidated, so its subject is not reported.  A
		 * trusted certificate (the leaf's own or a CA's) anchors the
		 * chain, whose dates are checked at opts->at; only then does
		 * the leaf's subject name the signer */
		const fwt_pubkey *pinned = fwt_trust_find_key(opts->trust, s->certs[0]);
		if (pinned && !fwt_pubkey_has_cert(pinned)) {
			err = try_key(s, &p, pinned, &r);
		} else {
			err = fwt_trust_verify_chain(ctx, opts->trust, s->certs, s->ncerts, opts->at);
			if (err) {
				char why[512], q[QS_LEN];
				snprintf(why, sizeof(why), "%s", fwt_ctx_errmsg(ctx));
				err = fwt__error(ctx, err == FWT_EVERIFY || err == FWT_EINVAL ? FWT_EVERIFY : err,
				                 "'%s': the signer's certificate '%s' is not trusted: %s", s->name,
				                 qs(q, fwt_pubkey_cert_subject(s->certs[0])), why);
				goto out;
			}
			r.chain_ok = 1;
			err = try_key(s, &p, s->certs[0], &r);
		}
	} else {
		size_t n = fwt_trust_count(opts->trust), tried = 0;
		err = FWT_EVERIFY;
		for (i = 0; i < n && err; i++) {
			const fwt_pubkey *k = fwt_trust_key(opts->trust, i);
			fwt_swid_verify_result one;
			memset(&one, 0, sizeof(one));
			if (key_fits(s, k, p.sigm))
				continue;
			tried++;
			err = try_key(s, &p, k, &one);
			if (!err || one.reference_ok || !r.checked)
				r = one; /* report the closest miss */
			if (err && err != FWT_EVERIFY)
				goto out;
		}
		if (err && !tried)
			err = fwt__error(ctx, FWT_EVERIFY,
			                 "'%s': no certificate in the tag, and no trusted key fits its %s signature", s->name,
			                 short_uri(p.sigm->uri));
		else if (err)
			err = fwt__error(ctx, FWT_EVERIFY, "'%s': signature does not verify with any of the %zu trusted "
			                 "keys%s", s->name, tried, r.reference_ok ? "" : " (and the document's digest differs)");
	}
	/* the key that verified: revoked, or only an out-of-date certificate
	 * (a chain's dates were checked above), is a no */
	if (!err && r.signer) {
		err = fwt_trust_check_key(ctx, opts->trust, r.signer, opts->at, NULL);
		if (err) {
			char why[512];
			snprintf(why, sizeof(why), "%s", fwt_ctx_errmsg(ctx));
			err = fwt__error(ctx, err, "'%s': %s", s->name, why);
		}
	}
out:
	s->ver.ok = err == FWT_OK;
	s->ver.checked = r.checked;
	s->ver.reference_ok = r.reference_ok;
	s->ver.signature_ok = r.signature_ok;
	s->ver.chain_ok = r.chain_ok;
	s->ver.timestamp_ok = !err && s->has_ts;
	s->ts.is_signed = s->ver.timestamp_ok;
	if (!err && r.signer)
		set_signer(s, r.signer);
	if (err)
		r.signer = NULL;
	if (res)
		*res = r;
	return err;
}

/* ---- support RIMs ---- */

long fwt_swid_find_file(const fwt_swid *s, const char *name)
{
	size_t i;

	for (i = 0; s && name && i < s->nfiles; i++) {
		const char *n = s->files[i].name, *b = strrchr(n, '/');
		if (!strcmp(n, name) || (b && !strcmp(b + 1, name)))
			return (long)i;
	}
	return -1;
}

fwt_err fwt_swid_support_path(fwt_ctx *ctx, const fwt_swid *s, size_t i, const char *tag_path, char **out)
{
	const fwt_swid_file *f = fwt_swid_file_get(s, i);
	const char *slash;
	size_t dl, len;

	if (!out || !f || !tag_path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_swid_support_path");
	*out = NULL;
	if (!*f->name || strchr(f->name, '/') || strchr(f->name, '\\') || !strcmp(f->name, ".") ||
	    !strcmp(f->name, ".."))
		return fwt__error(ctx, FWT_EINVAL, "File name in '%s' is not a plain file name; give the support RIM",
		                  s->name);
	slash = strrchr(tag_path, '/');
	dl = slash ? (size_t)(slash - tag_path) + 1 : 0;
	len = dl + strlen(f->name) + 1;
	*out = malloc(len);
	if (!*out)
		return fwt__enomem(ctx);
	snprintf(*out, len, "%.*s%s", (int)dl, tag_path, f->name);
	return FWT_OK;
}

/* A reader that yields at most left bytes of r, then looks for one more:
 * a support RIM longer than its File says is a mismatch found after size +
 * 1 bytes, never a read without end (a FIFO, /dev/zero). */
struct capped {
	fwt_ctx *ctx;
	fwt_reader *r;
	uint64_t left;
	int over;
	fwt_err err;    /* the inner reader's failure, its message kept */
	char msg[512];
};

static ssize_t capped_read(void *payload, void *buf, size_t len)
{
	struct capped *c = payload;
	unsigned char probe;
	size_t got = 0;
	fwt_err err;

	if (c->over)
		return 0;
	if (!c->left) {
		err = fwt_reader_read(c->r, &probe, 1, &got);
		len = 0;
	} else {
		if ((uint64_t)len > c->left)
			len = (size_t)c->left;
		err = fwt_reader_read(c->r, buf, len, &got);
	}
	if (err) {
		c->err = err;
		snprintf(c->msg, sizeof(c->msg), "%s", fwt_ctx_errmsg(c->ctx));
		errno = EIO;
		return -1;
	}
	if (!len) {
		c->over = got != 0;
		return 0;
	}
	c->left -= got;
	return (ssize_t)got;
}

fwt_err fwt_swid_check_file(fwt_ctx *ctx, const fwt_swid *s, size_t i, fwt_reader *r)
{
	const fwt_swid_file *f = fwt_swid_file_get(s, i);
	fwt_digest_options o = FWT_DIGEST_OPTIONS_INIT;
	struct capped cap;
	fwt_reader *cr = NULL;
	fwt_digests d;
	int64_t have;
	char q[QS_LEN];
	fwt_err err;
	size_t j;

	if (!f || !r)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_swid_check_file");
	if (!f->nhashes)
		return fwt__error(ctx, FWT_EVERIFY, "'%s': File '%s' carries no hash to check", s->name, qs(q, f->name));
	o.algs = 0;
	for (j = 0; j < f->nhashes; j++)
		o.algs |= f->hashes[j].alg;
	/* a declared size bounds the read: a longer support RIM is a mismatch
	 * after size + 1 bytes, known at once for a regular file */
	have = fwt_reader_size(r);
	if (f->has_size && have >= 0 && (uint64_t)have != f->size)
		return fwt__error(ctx, FWT_EVERIFY, "support RIM '%s': %llu bytes, File '%s' in '%s' says %llu",
		                  fwt_reader_name(r), (unsigned long long)have, qs(q, f->name), s->name,
		                  (unsigned long long)f->size);
	if (f->has_size) {
		memset(&cap, 0, sizeof(cap));
		cap.ctx = ctx;
		cap.r = r;
		cap.left = f->size;
		err = fwt_reader_from_callback(ctx, &cr, capped_read, &cap, fwt_reader_name(r));
		if (err)
			return err;
		err = fwt_digest_reader(ctx, cr, &o, &d);
		fwt_reader_free(cr);
		if (cap.err)
			return fwt__error(ctx, cap.err, "%s", cap.msg);
		if (!err)
			err = fwt_reader_check_unchanged(r);
		if (!err && cap.over)
			return fwt__error(ctx, FWT_EVERIFY, "support RIM '%s': more than the %llu bytes File '%s' in '%s' says",
			                  fwt_reader_name(r), (unsigned long long)f->size, qs(q, f->name), s->name);
	} else {
		err = fwt_digest_reader(ctx, r, &o, &d);
	}
	if (err)
		return err;
	for (j = 0; j < f->nhashes; j++) {
		const unsigned char *got = fwt_digests_get(&d, f->hashes[j].alg);
		if (!got || CRYPTO_memcmp(got, f->hashes[j].value, f->hashes[j].len))
			return fwt__error(ctx, FWT_EVERIFY, "support RIM '%s': %s does not match File '%s' in '%s'",
			                  fwt_reader_name(r), fwt_digest_name(f->hashes[j].alg), qs(q, f->name), s->name);
	}
	if (f->has_size && d.bytes != f->size)
		return fwt__error(ctx, FWT_EVERIFY, "support RIM '%s': %llu bytes, File '%s' in '%s' says %llu",
		                  fwt_reader_name(r), (unsigned long long)d.bytes, qs(q, f->name), s->name,
		                  (unsigned long long)f->size);
	return FWT_OK;
}

fwt_err fwt_swid_check_file_path(fwt_ctx *ctx, const fwt_swid *s, size_t i, const char *path)
{
	fwt_reader *r;
	fwt_err err;
	int fd;

	if (!path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_swid_check_file_path");
	/* a support RIM is a file: a FIFO, a device (/dev/zero) or a folder is
	 * refused before anything is read, and opening never waits */
	fd = fwt__open_regular(path);
	if (fd == -2)
		return fwt__error(ctx, FWT_EIO, "support RIM '%s' is not a regular file", path);
	if (fd < 0)
		return fwt__error(ctx, FWT_EIO, "cannot open support RIM '%s': %s", path, strerror(errno));
	err = fwt_reader_from_fd(ctx, &r, fd, path);
	if (!err) {
		err = fwt_swid_check_file(ctx, s, i, r);
		fwt_reader_free(r);
	}
	close(fd);
	return err;
}

fwt_err fwt_swid_support_locate(fwt_ctx *ctx, const fwt_swid *s, size_t i, const char *tag_path,
                                const char *support, char **out)
{
	const char *base;
	long given = -1;
	char q[QS_LEN];

	if (!s || !out || i >= s->nfiles)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_swid_support_locate");
	*out = NULL;
	if (support) {
		base = strrchr(support, '/') ? strrchr(support, '/') + 1 : support;
		given = fwt_swid_find_file(s, base);
		if (given < 0 && s->nfiles == 1)
			given = 0;
		if (given < 0)
			return fwt__error(ctx, FWT_EINVAL, "support RIM '%s' matches no File of '%s'", support, s->name);
	}
	if ((long)i == given) {
		*out = fwt__strndup(support, strlen(support));
		return *out ? FWT_OK : fwt__enomem(ctx);
	}
	if (!tag_path)
		return fwt__error(ctx, FWT_EINVAL, "'%s': give the support RIM for File '%s'", s->name,
		                  qs(q, s->files[i].name));
	return fwt_swid_support_path(ctx, s, i, tag_path, out);
}

/* Do Files a and b claim the same: sizes and every hash? */
static int same_file_claims(const fwt_swid_file *a, const fwt_swid_file *b)
{
	size_t k;

	if (a->has_size != b->has_size || (a->has_size && a->size != b->size) || a->nhashes != b->nhashes)
		return 0;
	for (k = 0; k < a->nhashes; k++)
		if (a->hashes[k].alg != b->hashes[k].alg || a->hashes[k].len != b->hashes[k].len ||
		    memcmp(a->hashes[k].value, b->hashes[k].value, a->hashes[k].len))
			return 0;
	return 1;
}

fwt_err fwt_swid_check_support(fwt_ctx *ctx, const fwt_swid *s, const char *tag_path, const char *support,
                               size_t *checked)
{
	size_t i, j = 0;
	char **paths;
	fwt_err err = FWT_OK;

	if (checked)
		*checked = 0;
	if (!s)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_swid_check_support");
	if (support && !s->nfiles)
		return fwt__error(ctx, FWT_EINVAL, "support RIM '%s' given, but '%s' has no Payload File", support,
		                  s->name);
	paths = calloc(s->nfiles ? s->nfiles : 1, sizeof(*paths));
	if (!paths)
		return fwt__enomem(ctx);
	for (i = 0; !err && i < s->nfiles; i++) {
		err = fwt_swid_support_locate(ctx, s, i, tag_path, support, &paths[i]);
		/* Files that name one support RIM (--support, or one name in
		 * several Directories) with the same hashes and size are one
		 * check: the file is read once, not once for each */
		for (j = 0; !err && j < i; j++)
			if (!strcmp(paths[j], paths[i]) && same_file_claims(&s->files[j], &s->files[i]))
				break;
		if (!err && j == i)
			err = fwt_swid_check_file_path(ctx, s, i, paths[i]);
		if (!err && checked)
			(*checked)++;
	}
	for (i = 0; i < s->nfiles; i++)
		free(paths[i]);
	free(paths);
	return err;
}

/* ---- JSON ---- */

static int jset(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v ? v : json_null());
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jhex(const unsigned char *b, size_t n)
{
	char buf[2 * FWT_DIGEST_MAX + 1];

	if (n > FWT_DIGEST_MAX)
		return NULL;
	fwt_hex_encode(buf, b, n);
	return json_string(buf);
}

static json_t *attrs_json(const struct attr_vec *v)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; a && i < v->n; i++) {
		o = json_object();
		if (!o || jset(o, "namespace", jstr(v->v[i].ns)) || jset(o, "name", jstr(v->v[i].name)) ||
		    jset(o, "value", jstr(v->v[i].value)) || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *fwt_swid_to_json(const fwt_swid *s)
{
	json_t *o = json_object(), *id, *arr, *x, *pl, *sg, *ki;
	size_t i, j;
	int bad = !o;

	if (!s || !o) {
		json_decref(o);
		return NULL;
	}
	bad |= jset(o, "format", json_string("swid"));
	id = json_object();
	bad |= !id || jset(o, "software_identity", id);
	if (id) {
		bad |= jset(id, "name", jstr(s->id.name)) | jset(id, "tag_id", jstr(s->id.tag_id)) |
		       jset(id, "version", jstr(s->id.version)) |
		       jset(id, "version_scheme", jstr(s->id.version_scheme)) | jset(id, "lang", jstr(s->id.lang)) |
		       jset(id, "tag_version", s->id.tag_version >= 0 ? json_integer(s->id.tag_version) : NULL) |
		       jset(id, "corpus", json_boolean(s->id.corpus)) | jset(id, "patch", json_boolean(s->id.patch)) |
		       jset(id, "supplemental", json_boolean(s->id.supplemental));
	}
	arr = json_array();
	bad |= !arr || jset(o, "entities", arr);
	for (i = 0; arr && i < s->nentities; i++) {
		const fwt_swid_entity *e = &s->entities[i];
		x = json_object();
		bad |= !x || json_array_append_new(arr, x);
		if (x)
			bad |= jset(x, "name", jstr(e->name)) | jset(x, "regid", jstr(e->regid)) |
			       jset(x, "role", jstr(e->role)) | jset(x, "thumbprint", jstr(e->thumbprint));
	}
	arr = json_array();
	bad |= !arr || jset(o, "links", arr);
	for (i = 0; arr && i < s->nlinks; i++) {
		const fwt_swid_link *l = &s->links[i];
		x = json_object();
		bad |= !x || json_array_append_new(arr, x);
		if (x)
			bad |= jset(x, "href", jstr(l->href)) | jset(x, "rel", jstr(l->rel)) |
			       jset(x, "media", jstr(l->media)) | jset(x, "use", jstr(l->use)) |
			       jset(x, "ownership", jstr(l->ownership)) | jset(x, "artifact", jstr(l->artifact));
	}
	x = json_object();
	bad |= !x || jset(o, "meta", x);
	for (i = 0; x && i < FWT_SWID_META_COUNT; i++)
		if (s->meta[i])
			bad |= jset(x, metas[i].key, json_string(s->meta[i]));
	arr = attrs_json(&s->meta_attrs);
	bad |= !arr || jset(o, "meta_attributes", arr);

	pl = json_object();
	bad |= !pl || jset(o, "payload", pl);
	if (pl) {
		arr = attrs_json(&s->payload_attrs);
		bad |= !arr || jset(pl, "attributes", arr);
		arr = json_array();
		bad |= !arr || jset(pl, "files", arr);
		for (i = 0; arr && i < s->nfiles; i++) {
			const fwt_swid_file *f = &s->files[i];
			json_t *h = json_object();
			x = json_object();
			bad |= !x || json_array_append_new(arr, x);
			if (!x || !h) {
				json_decref(h);
				bad = 1;
				continue;
			}
			bad |= jset(x, "name", jstr(f->name)) | jset(x, "directory", jstr(f->directory)) |
			       jset(x, "version", jstr(f->version)) |
			       jset(x, "size", f->has_size ? json_integer((json_int_t)f->size) : NULL) |
			       jset(x, "hashes", h);
			for (j = 0; j < f->nhashes; j++)
				bad |= jset(h, fwt_digest_name(f->hashes[j].alg), jhex(f->hashes[j].value, f->hashes[j].len));
		}
		arr = json_array();
		bad |= !arr || jset(pl, "measurements", arr);
		for (i = 0; arr && i < s->nmeas; i++) {
			const fwt_swid_measurement *m = &s->meas[i];
			json_t *v = json_array();
			x = json_object();
			bad |= !x || json_array_append_new(arr, x);
			if (!x || !v) {
				json_decref(v);
				bad = 1;
				continue;
			}
			bad |= jset(x, "name", jstr(m->name)) | jset(x, "index", json_integer(m->index)) |
			       jset(x, "active", json_boolean(m->active)) | jset(x, "alg", json_string(fwt_digest_name(m->alg))) |
			       jset(x, "values", v);
			for (j = 0; j < m->alternatives; j++)
				bad |= json_array_append_new(v, jhex(m->values + j * m->size, m->size));
		}
	}

	sg = json_object();
	bad |= !sg || jset(o, "signature", sg);
	if (sg) {
		const fwt_swid_sig_info *g = &s->sig;
		bad |= jset(sg, "present", json_boolean(g->present));
		if (g->present) {
			arr = json_array();
			for (i = 0; arr && i < g->ntransforms && i < FWT_ARRAY_LEN(g->transforms); i++)
				bad |= json_array_append_new(arr, jstr(g->transforms[i]));
			bad |= jset(sg, "canonicalization", jstr(g->c14n_method)) |
			       jset(sg, "signature_method", jstr(g->signature_method)) |
			       jset(sg, "digest_method", jstr(g->digest_method)) |
			       jset(sg, "reference_uri", jstr(g->reference_uri)) |
			       jset(sg, "references", json_integer((json_int_t)g->references)) | !arr |
			       jset(sg, "transforms", arr);
			ki = json_object();
			bad |= !ki || jset(sg, "key_info", ki);
			if (ki) {
				arr = json_array();
				bad |= !arr || jset(ki, "x509_certificates", arr);
				for (i = 0; arr && i < s->ncerts; i++)
					bad |= json_array_append_new(arr, jstr(fwt_pubkey_cert_subject(s->certs[i])));
				bad |= jset(ki, "key_value", jstr(g->key_value)) | jset(ki, "key_name", jstr(g->key_name));
			}
			if (s->has_ts) {
				const fwt_swid_timestamp *t = &s->ts;
				char tb[32];
				x = json_object();
				bad |= !x || jset(sg, "timestamp", x);
				if (t->has_time)
					fwt_time_format_rfc3339(t->time, tb);
				if (x)
					bad |= jset(x, "id", jstr(t->id)) | jset(x, "target", jstr(t->target)) |
					       jset(x, "format", jstr(t->format)) | jset(x, "value", jstr(t->value)) |
					       jset(x, "time", t->has_time ? json_string(tb) : NULL) |
					       jset(x, "signed", json_boolean(t->is_signed));
			}
		}
	}
	if (s->ver.done) {
		x = json_object();
		bad |= !x || jset(o, "verification", x);
		if (x)
			bad |= jset(x, "ok", json_boolean(s->ver.ok)) |
			       jset(x, "checked", json_boolean(s->ver.checked)) |
			       jset(x, "reference_ok", s->ver.checked ? json_boolean(s->ver.reference_ok) : NULL) |
			       jset(x, "signature_ok", s->ver.checked ? json_boolean(s->ver.signature_ok) : NULL) |
			       jset(x, "chain_ok", json_boolean(s->ver.chain_ok)) |
			       jset(x, "timestamp_ok", s->has_ts ? json_boolean(s->ver.timestamp_ok) : NULL) |
			       jset(x, "signer", s->ver.ok ? json_string(s->ver.signer) : NULL);
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
