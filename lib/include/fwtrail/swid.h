/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/swid.h - TCG PC Client reference integrity manifests in their SWID
 * form (ISO/IEC 19770-2 XML tags signed with an enveloped XMLDSig
 * signature): strict parsing, the tag's model, signature verification and
 * the support-RIM hash check. */
#ifndef FWTRAIL_SWID_H
#define FWTRAIL_SWID_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>
#include <fwtrail/digest.h>
#include <fwtrail/io.h>
#include <fwtrail/sig.h>
#include <fwtrail/trust.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest tag accepted, in bytes (real ones are 3 to 25 KB). */
#define FWT_SWID_MAX_SIZE (2u << 20)
/* Deepest element nesting accepted (the root is depth 1). */
#define FWT_SWID_MAX_DEPTH 24
/* Attributes on one element, and namespace declarations in scope at one
 * element (its own and its ancestors'): beyond them libxml2's checks and
 * canonicalisation grow quadratic, so they are refused before it parses. */
#define FWT_SWID_MAX_ATTRS 256
#define FWT_SWID_MAX_NS_IN_SCOPE 16

typedef struct fwt_swid fwt_swid;

/* True when buf looks like an XML document (after an optional UTF-8 BOM and
 * white space it starts with '<'): how `rim` tells a SWID tag from CBOR. */
int fwt_swid_sniff(const void *buf, size_t len);

/*
 * Parse a tag.  Hostile input is refused before it can do harm: more than
 * FWT_SWID_MAX_SIZE bytes, any DOCTYPE (so no DTD, no entity of any kind),
 * an encoding other than UTF-8, XML or namespace well-formedness errors,
 * nesting deeper than FWT_SWID_MAX_DEPTH, more than FWT_SWID_MAX_ATTRS
 * attributes on an element or FWT_SWID_MAX_NS_IN_SCOPE namespace
 * declarations in scope at one, entity references, duplicate
 * Id/ID/xml:id values, a root other than SoftwareIdentity, a second
 * SoftwareIdentity or Payload, more than one ds:Signature, a ds:Signature
 * that is not a child of the root, xmldsig elements outside it, and model
 * fields of the wrong type (booleans, sizes, hash values).  The parser never
 * touches the network or the file system.  FWT_EFORMAT (with a line and
 * column, or a line and the element) or FWT_EUNSUPPORTED (UTF-16 or another
 * declared encoding, XML 1.1, a hash algorithm not listed below).  name
 * labels the tag in messages (may be NULL).
 */
fwt_err fwt_swid_parse(fwt_ctx *ctx, fwt_swid **out, const void *buf, size_t len, const char *name);
/* Read r whole (capped at FWT_SWID_MAX_SIZE) and parse it; the reader's
 * name labels the tag. */
fwt_err fwt_swid_read(fwt_ctx *ctx, fwt_swid **out, fwt_reader *r);
/* Open path, read and parse it. */
fwt_err fwt_swid_load(fwt_ctx *ctx, fwt_swid **out, const char *path);
void fwt_swid_free(fwt_swid *s);

/* Name given at parse (borrowed). */
const char *fwt_swid_name(const fwt_swid *s);

/* ---- the model; every string is borrowed, valid until fwt_swid_free, and
 * NULL when the attribute is absent.  Strings are the tag's own text:
 * print them through a safe printer. ---- */

typedef struct fwt_swid_identity {
	const char *name;
	const char *tag_id;
	const char *version;
	const char *version_scheme;
	const char *lang;          /* xml:lang */
	int64_t tag_version;       /* -1 when absent */
	int corpus, patch, supplemental; /* booleans; absent is false */
} fwt_swid_identity;
const fwt_swid_identity *fwt_swid_get_identity(const fwt_swid *s);

typedef struct fwt_swid_entity {
	const char *name;
	const char *regid;
	const char *role;          /* space-separated list, as written */
	const char *thumbprint;
} fwt_swid_entity;
size_t fwt_swid_entity_count(const fwt_swid *s);
const fwt_swid_entity *fwt_swid_entity_get(const fwt_swid *s, size_t i);

typedef struct fwt_swid_link {
	const char *href;
	const char *rel;
	const char *media;
	const char *use;
	const char *ownership;
	const char *artifact;
} fwt_swid_link;
size_t fwt_swid_link_count(const fwt_swid *s);
const fwt_swid_link *fwt_swid_link_get(const fwt_swid *s, size_t i);

/* An attribute as written: namespace URI (NULL for none), local name, value. */
typedef struct fwt_swid_attr {
	const char *ns;
	const char *name;
	const char *value;
} fwt_swid_attr;

/* The TCG RIM fields of Meta.  They are matched by local name, ignoring
 * case (HIRS writes rim:platformModel, NVIDIA ns1:PlatformModel), in no
 * namespace, the NIST SWID extension namespace or either TCG RIM
 * namespace.  The same field given twice is FWT_EFORMAT. */
typedef enum fwt_swid_meta_field {
	FWT_SWID_META_COLLOQUIAL_VERSION = 0,
	FWT_SWID_META_EDITION,
	FWT_SWID_META_PRODUCT,
	FWT_SWID_META_REVISION,
	FWT_SWID_META_PAYLOAD_TYPE,
	FWT_SWID_META_BINDING_SPEC,
	FWT_SWID_META_BINDING_SPEC_VERSION,
	FWT_SWID_META_PLATFORM_MANUFACTURER_STR,
	FWT_SWID_META_PLATFORM_MANUFACTURER_ID,
	FWT_SWID_META_PLATFORM_MODEL,
	FWT_SWID_META_PLATFORM_VERSION,
	FWT_SWID_META_FIRMWARE_MANUFACTURER_STR,
	FWT_SWID_META_FIRMWARE_MANUFACTURER_ID,
	FWT_SWID_META_FIRMWARE_MANUFACTURER, /* NVIDIA's spelling, kept apart */
	FWT_SWID_META_FIRMWARE_MODEL,
	FWT_SWID_META_FIRMWARE_VERSION,
	FWT_SWID_META_PC_URI_LOCAL,
	FWT_SWID_META_PC_URI_GLOBAL,
	FWT_SWID_META_RIM_LINK_HASH,
	FWT_SWID_META_COUNT
} fwt_swid_meta_field;
/* The value of a field, or NULL. */
const char *fwt_swid_meta(const fwt_swid *s, fwt_swid_meta_field f);
/* "colloquialVersion", ... (the TCG spelling) and "colloquial_version", ...
 * (the JSON key); NULL for an unknown value. */
const char *fwt_swid_meta_field_name(fwt_swid_meta_field f);
const char *fwt_swid_meta_field_key(fwt_swid_meta_field f);
/* Every Meta attribute, known or not, in document order. */
size_t fwt_swid_meta_attr_count(const fwt_swid *s);
const fwt_swid_attr *fwt_swid_meta_attr_get(const fwt_swid *s, size_t i);
/* Every attribute of the Payload element (supportRIMFormat, ...). */
size_t fwt_swid_payload_attr_count(const fwt_swid *s);
const fwt_swid_attr *fwt_swid_payload_attr_get(const fwt_swid *s, size_t i);

/* A hash from the tag, parsed and length-checked. */
typedef struct fwt_swid_hash {
	fwt_digest_alg alg;
	size_t len;
	unsigned char value[FWT_DIGEST_MAX];
} fwt_swid_hash;

/* A Payload File (HIRS writes Directory and File without a namespace; both
 * spellings are accepted).  Hashes come from attributes named "hash" whose
 * namespace names the algorithm (xmlenc#sha256, xmldsig-more#sha384,
 * xmlenc#sha384, xmlenc#sha512): lowercase hex of exactly the digest
 * length. */
typedef struct fwt_swid_file {
	const char *name;          /* as written (may hold '/' or '..') */
	const char *directory;     /* enclosing Directory names joined with '/'; NULL at Payload level */
	const char *version;
	int has_size;
	uint64_t size;             /* at most 2^53 */
	size_t nhashes;
	fwt_swid_hash hashes[3];   /* at most one per algorithm */
} fwt_swid_file;
size_t fwt_swid_file_count(const fwt_swid *s);
const fwt_swid_file *fwt_swid_file_get(const fwt_swid *s, size_t i);
/* The hash of algorithm alg of file f, or NULL. */
const fwt_swid_hash *fwt_swid_file_hash(const fwt_swid_file *f, fwt_digest_alg alg);

/* An NVIDIA measurement: Payload Resource type="Measurement" with index,
 * active, alternatives and Hash0..Hash<alternatives-1>. */
typedef struct fwt_swid_measurement {
	const char *name;
	uint32_t index;
	int active;
	fwt_digest_alg alg;
	size_t size;               /* digest length in bytes */
	size_t alternatives;       /* 1..FWT_SWID_MAX_ALTERNATIVES */
	const unsigned char *values; /* alternatives * size bytes */
} fwt_swid_measurement;
#define FWT_SWID_MAX_ALTERNATIVES 64
size_t fwt_swid_measurement_count(const fwt_swid *s);
const fwt_swid_measurement *fwt_swid_measurement_get(const fwt_swid *s, size_t i);

/* ---- the signature ---- */

/* What the ds:Signature says, as written (read leniently at parse time; the
 * profile is enforced by fwt_swid_verify). */
typedef struct fwt_swid_sig_info {
	int present;
	const char *c14n_method;
	const char *signature_method;
	const char *digest_method;
	const char *reference_uri; /* NULL when the attribute is absent */
	size_t references;         /* count of Reference elements */
	size_t ntransforms;
	const char *transforms[4]; /* the first four Transform algorithms */
	size_t x509_count;         /* X509Certificate elements in KeyInfo */
	const char *key_value;     /* "rsa", "ec", "other" or NULL */
	const char *key_name;
} fwt_swid_sig_info;
const fwt_swid_sig_info *fwt_swid_signature(const fwt_swid *s);

/* A signature timestamp, as HIRS's tcg_rim_tool writes one: the
 * ds:Signature's one ds:Object holds one ds:SignatureProperties holding one
 * ds:SignatureProperty (Id, Target naming the Signature) whose one element
 * is a TimeStamp with a dateTime attribute, and a second Reference
 * URI="#<that Id>" signs it. */
typedef struct fwt_swid_timestamp {
	const char *id;            /* the SignatureProperty's Id, as written */
	const char *target;        /* its Target, as written (or NULL) */
	const char *format;        /* "rfc3339" or "rfc3852", from the TimeStamp's own namespace
	                            * or, when its Reference signs them (no transform or an
	                            * inclusive one), the declarations on it; else NULL */
	const char *value;         /* dateTime as written: an RFC 3339 time, or (RFC 3852) a
	                            * base64 counter-signature; NULL when absent */
	int has_time;              /* value read as an RFC 3339 time */
	int64_t time;              /* seconds since the epoch */
	int is_signed;             /* its Reference verified (set by fwt_swid_verify) */
} fwt_swid_timestamp;
/* The timestamp (read leniently at parse time, like the signature info), or
 * NULL when the signature has no ds:SignatureProperty.  Untrusted unless
 * is_signed. */
const fwt_swid_timestamp *fwt_swid_get_timestamp(const fwt_swid *s);
/* The i-th X509Certificate of KeyInfo (borrowed).  Untrusted: for display
 * and for chain validation only. */
const fwt_pubkey *fwt_swid_cert(const fwt_swid *s, size_t i);

#define FWT_SWID_VERIFY_OPTIONS_VERSION 1
typedef struct fwt_swid_verify_options {
	unsigned version;          /* FWT_SWID_VERIFY_OPTIONS_VERSION */
	const fwt_pubkey *key;     /* the signer's key (public key or certificate) */
	fwt_trust *trust;          /* used when key is NULL; its revocations always */
	int64_t at;                /* time for certificate validity; 0 for now */
} fwt_swid_verify_options;
#define FWT_SWID_VERIFY_OPTIONS_INIT { FWT_SWID_VERIFY_OPTIONS_VERSION, NULL, NULL, 0 }

typedef struct fwt_swid_verify_result {
	int reference_ok;          /* the Reference digest matched */
	int signature_ok;          /* SignatureValue verified over SignedInfo */
	int chain_ok;              /* the embedded chain validated against trust */
	const fwt_pubkey *signer;  /* the key that verified (borrowed from the
	                            * options, the trust store or the tag), or NULL */
	int checked;               /* the Reference digest and signature were computed with a
	                            * key (reference_ok and signature_ok are the answers); 0
	                            * when verification stopped before (no signature, outside
	                            * the profile, the chain not trusted, no key that fits) */
} fwt_swid_verify_result;

/*
 * Verify the enveloped signature.  The profile: one Reference with URI="",
 * transforms enveloped-signature then at most one of inclusive C14N 1.0,
 * C14N 1.1 or exclusive C14N 1.0 (never #WithComments, no
 * InclusiveNamespaces), the same choice of canonicalisation for SignedInfo,
 * SignatureMethod RSA-SHA256/384/512 (RSA >= 2048 bits) or
 * ECDSA-SHA256/384/512 (P-256/384/521), DigestMethod SHA-256/384/512, no
 * Manifest, KeyInfo holding only KeyName, KeyValue or X509Data.  The one
 * exception: the signed timestamp described for fwt_swid_timestamp, whose
 * second Reference is URI="#id" of exactly that SignatureProperty inside
 * this Signature's only ds:Object, with no transform or one
 * canonicalisation of the same list and a DigestMethod of the same list;
 * no other ds:Object, Reference or content of the Object is allowed.
 * Anything else is FWT_EUNSUPPORTED (or FWT_EFORMAT when the structure is
 * broken).  The XMLDSig processing itself is xmlsec's (its
 * OpenSSL backend), restricted to exactly these transforms and to an empty
 * Reference URI, with the key supplied here: KeyInfo never selects a key.
 *
 * The key: opts->key when given (the tag's KeyInfo is then ignored);
 * otherwise the tag's X509Certificate chain (the first is the signer)
 * validated with fwt_trust_verify_chain against the certificates of
 * opts->trust at opts->at (a trusted bare public key equal to the signer's
 * pins it instead), or, when the tag carries no certificate, each key of
 * opts->trust in turn.  An embedded key or chain is never trusted by
 * itself, and KeyValue is never used.  The key that verifies must then pass
 * fwt_trust_check_key(opts->trust, key, opts->at): not revoked in
 * opts->trust (also when opts->key is used), and not a certificate outside
 * its validity unless the store trusts the same key otherwise.
 *
 * FWT_OK; FWT_EVERIFY (not signed, chain not trusted, digest or signature
 * wrong, the key does not fit the method; res says which); FWT_EINVAL (no
 * key and no trust); FWT_ECRYPTO when the crypto backend could not check at
 * all (never a "no").  xmlsec 1.2 cannot be given a library context, so the
 * XMLDSig step runs in OpenSSL's default one: a program whose openssl.cnf
 * removes SHA-2 or RSA/ECDSA there (a FIPS-only configuration without the
 * FIPS provider, say) gets FWT_ECRYPTO.  The fwtrail command calls
 * fwt_standalone_init, which keeps openssl.cnf out.  The outcome is also kept on s for fwt_swid_to_json.
 * The model read by the accessors is the same DOM the signature covers.
 */
fwt_err fwt_swid_verify(fwt_ctx *ctx, fwt_swid *s, const fwt_swid_verify_options *opts,
                        fwt_swid_verify_result *res) FWT_MUST_CHECK;

/* ---- support RIMs ---- */

/* Index of the File whose name (or the part after its last '/') equals
 * name, or -1. */
long fwt_swid_find_file(const fwt_swid *s, const char *name);
/*
 * The path where File i is expected beside the tag: the folder of tag_path
 * joined with the File's name.  Refused (FWT_EINVAL) when the name is empty,
 * absolute, or holds '/' or '\\', or is "." or "..": such a support RIM must
 * be given explicitly.  *out is malloc'd.
 */
fwt_err fwt_swid_support_path(fwt_ctx *ctx, const fwt_swid *s, size_t i, const char *tag_path, char **out);
/*
 * Check the support RIM read from r against File i: every hash the File
 * carries, and its size when given.  FWT_OK, FWT_EVERIFY (a mismatch, or a
 * File without any hash), FWT_EIO.  Only the binding is checked here; the
 * support RIM's own content (a TCG event log) is for the event-log parser.
 */
fwt_err fwt_swid_check_file(fwt_ctx *ctx, const fwt_swid *s, size_t i, fwt_reader *r) FWT_MUST_CHECK;
/* The same on a path. */
fwt_err fwt_swid_check_file_path(fwt_ctx *ctx, const fwt_swid *s, size_t i, const char *path) FWT_MUST_CHECK;

/*
 * Check every Payload File, in order: against support when given (the File
 * whose name or last path part equals support's base name, or else the only
 * File), every other one at fwt_swid_support_path beside tag_path (which may
 * be NULL when the tag came from a stream: then support must cover all).
 * FWT_OK when every File is bound (also when there is none; *checked, if
 * given, counts them); FWT_EVERIFY on the first mismatch; FWT_EIO when a
 * support RIM cannot be read; FWT_EINVAL when a File cannot be located.
 */
fwt_err fwt_swid_check_support(fwt_ctx *ctx, const fwt_swid *s, const char *tag_path, const char *support,
                               size_t *checked) FWT_MUST_CHECK;

/* Where fwt_swid_check_support reads File i from: support when it is that
 * File's (its base name matches, or the tag has one File), otherwise the
 * File's name beside tag_path (fwt_swid_support_path).  *out is malloc'd.
 * FWT_EINVAL as for fwt_swid_check_support. */
fwt_err fwt_swid_support_locate(fwt_ctx *ctx, const fwt_swid *s, size_t i, const char *tag_path,
                                const char *support, char **out);

/* ---- rendering ---- */

/*
 * The tag as a JSON object for `rim show --json` / `rim verify --json`:
 * "format": "swid", "software_identity", "entities", "links", "meta" (the
 * known fields by JSON key), "meta_attributes" (all of them), "payload"
 * {"attributes", "files", "measurements"}, "signature" (methods, transforms,
 * key_info with the certificates' subjects) and, after fwt_swid_verify,
 * "verification" {"ok", "checked", "reference_ok", "signature_ok",
 * "chain_ok", "signer"}; reference_ok and signature_ok are null when
 * checked is false (nothing was computed, so neither is a "no").  Digests are lowercase hex.  NULL on allocation failure; the
 * caller json_decref()s it.
 */
json_t *fwt_swid_to_json(const fwt_swid *s);

#ifdef __cplusplus
}
#endif
#endif
