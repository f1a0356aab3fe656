/* SPDX-License-Identifier: Apache-2.0 */
/* appraise.c - evidence (event logs, SPDM) against reference values (CoRIM,
 * SWID) and reviews (SFRs): the appraisal record.  The rules are written
 * out in fwtrail/appraise.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/crypto.h>
#include <fwtrail/appraise.h>
#include <fwtrail/cbor.h>
#include <fwtrail/cvss.h>
#include <fwtrail/hex.h>
#include <fwtrail/io.h>
#include <fwtrail/sfr.h>
#include <fwtrail/swid.h>
#include "internal.h"
#include "sfr_internal.h"
#include "banned.h"

#define NONE SIZE_MAX

/* The algorithms used to match, strongest first.  SHA-1 is kept for
 * display only. */
static const fwt_digest_alg match_algs[] = { FWT_DIGEST_SHA512, FWT_DIGEST_SHA384, FWT_DIGEST_SHA256 };

/* Every PCR bank fwtrail reads (a TPM's, a log's). */
#define ALL_BANKS (FWT_DIGEST_SHA1 | FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512)

struct dig {
	fwt_digest_alg alg;
	size_t len;
	unsigned char v[FWT_DIGEST_MAX];
};

enum input_kind { IN_EVENTLOG = 1, IN_SPDM, IN_RIM, IN_SFR };
static const char *const input_kind_names[] = { NULL, "eventlog", "spdm", "rim", "sfr" };

struct input {
	char *name;
	enum input_kind kind;
	int verified;             /* a RIM whose signature verified with the trust store */
	unsigned char sha256[32]; /* of its bytes: ties between reviews go to the lower */
	size_t first, events;     /* an event log: its events are comps[first, first + events) */
};

enum ref_kind { REF_SPDM = 1, REF_PCR, REF_ANY };

struct ref {
	enum ref_kind kind;
	uint64_t index;           /* SPDM index or PCR */
	size_t rim;               /* input index of its RIM */
	const char *format;       /* "corim" or "swid" */
	char *key;                /* printable measurement key, or NULL */
	char *name;               /* label or SWID measurement name, or NULL */
	char *vendor, *model, *class_id;
	struct dig *d;
	size_t nd;
	int alternatives;         /* several values of one algorithm are alternatives */
	unsigned char *raw, *mask;
	size_t raw_len, mask_len;
	char *version;
	int has_svn;
	uint64_t svn;
	int seen;                 /* matched, or compared with a measurement: paired with an
	                           * event, or an SPDM block of its index sharing an
	                           * algorithm (or a raw value) with it */
	unsigned algs;            /* the algorithms of d, as a bit set */
};

struct file_ref {
	const unsigned char *sha512;
	size_t pos;
};

struct sfr {
	size_t input;
	fwt_sfr *s;               /* verified reports only */
	json_t *issues;           /* its review's issue members, made once per run and
	                           * shared by the components it reviews */
	json_t *rejections;       /* reason -> {"report", "reason"}, shared likewise */
	struct file_ref *files;   /* its manifest's files by SHA-512 then position (run) */
	size_t nfiles;
	double worst;             /* its highest issue score (11: one does not read), */
	int have_worst;           /* once asked for: ties between reviews go to it */
};

static void sfr_clear(struct sfr *f)
{
	fwt_sfr_free(f->s);
	json_decref(f->issues);
	json_decref(f->rejections);
	free(f->files);
	memset(f, 0, sizeof(*f));
}

struct comp {
	fwt_appraise_source source;
	int has_index;
	unsigned index;
	long event;
	size_t evidence;          /* input index; NONE for "missing" */
	char *name;
	struct dig *d;            /* measured digests (known algorithms) */
	size_t nd;
	int raw;                  /* SPDM raw bit stream */
	fwt_digest_alg valg;      /* SPDM: the value's algorithm (0: raw or unknown) */
	unsigned char *value;     /* SPDM: the value as measured */
	size_t vlen;
	fwt_appraise_status status;
	size_t ref;               /* the reference, or NONE */
	fwt_digest_alg cmp_alg;   /* the algorithm compared (0: none, or raw) */
	unsigned unconfirmed;     /* a local log's event: its digests' banks the TPM did not
	                           * confirm (not in d) */
	char *note;
	size_t sfr;               /* the review, or NONE */
	const char *manifest_file;
	json_t *rejected;         /* SFRs that bind but were not accepted */
};

/* SPDM evidence kept for its signature check at run time (chains and
 * nonces may be given after it). */
struct spdm_ev {
	size_t input;
	fwt_spdm *s;
	unsigned char measured[32]; /* the indices of its blocks, as a bit set */
	size_t nblocks;
	size_t first;             /* its first component: its blocks are comps[first, first + nblocks) */
	unsigned char fp[32];     /* the verified leaf key's fingerprint (run) */
	int has_fp;
};

/* A responder's certificate chain, leaf first. */
struct chain {
	char *name;
	fwt_pubkey **k;
	size_t n;
};

/* The requester nonce SPDM evidence must answer: for the evidence named,
 * or (name NULL) for every SPDM evidence without its own. */
struct nonce {
	char *name;
	unsigned char v[FWT_SPDM_NONCE_SIZE];
	int used;
};

struct fwt_appraise {
	fwt_ctx *ctx;
	fwt_trust *trust;
	fwt_trust *spdm_trust;    /* anchors of SPDM device chains, when kept apart from trust */
	fwt_trust *sfr_trust;     /* review signers, when kept apart from trust */
	int signers_checked;      /* a RIM or SFR signer was checked against the chains */
	int64_t at;
	struct input *in;
	size_t nin, capin;
	struct ref *refs;
	size_t nrefs, caprefs;
	struct sfr *sfrs;
	size_t nsfrs, capsfrs;
	struct comp *comps;
	size_t ncomps, capcomps;
	struct spdm_ev *spdm;
	size_t nspdm, capspdm;
	struct chain *chains;
	size_t nchains, capchains;
	struct nonce *nonces;
	size_t nnonces, capnonces;
	size_t spdm_failed;       /* SPDM evidence checked that is a "no" */
	size_t spdm_unauth;       /* SPDM evidence unsigned, or signed with no chain given */
	json_t *inputs, *sigs, *products, *conflicts;
	json_t *product_set;      /* the products' compact JSON as keys: no pairwise comparison */
	json_t *unverifiable;     /* references that cannot be compared (never dropped silently) */
	size_t rims_failed;       /* RIMs that did not verify although a trust store was given */
	size_t local_bad;         /* local logs that disagree with their TPM */
	size_t local_nocommon;    /* local logs with no bank in common with their TPM's */
	size_t local_unread;      /* local logs whose TPM has banks whose PCRs could not be read */
	int ran;
	int done;                 /* the run produced a result (ok or not): components may be read */
};

/* ---- small helpers ---- */

const char *fwt_appraise_status_name(fwt_appraise_status s)
{
	switch (s) {
	case FWT_APPRAISE_MATCH: return "match";
	case FWT_APPRAISE_MISMATCH: return "mismatch";
	case FWT_APPRAISE_UNKNOWN: return "unknown";
	case FWT_APPRAISE_MISSING: return "missing";
	}
	return NULL;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *q;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	if (c < *cap || fwt__mul_ovf(c, size, &(size_t){ 0 }))
		return -1;
	q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static char *dupstr(const char *s)
{
	return s ? fwt__strndup(s, strlen(s)) : NULL;
}

static json_t *jhex(const unsigned char *p, size_t n)
{
	char *h = malloc(2 * n + 1);
	json_t *j;

	if (!h)
		return NULL;
	fwt_hex_encode(h, p, n);
	j = json_stringn(h, 2 * n);
	free(h);
	return j;
}

/* A JSON string from text that may not be UTF-8 (hostile RIM labels). */
static json_t *jstr(const char *s)
{
	return fwt__json_text(s);
}

static void jset(json_t *o, const char *k, json_t *v, int *oom)
{
	if (!v || json_object_set_new(o, k, v))
		*oom = 1;
}

static void jappend(json_t *a, json_t *v, int *oom)
{
	if (!v || json_array_append_new(a, v))
		*oom = 1;
}

static const struct dig *find_dig(const struct dig *d, size_t n, fwt_digest_alg alg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i].alg == alg)
			return &d[i];
	return NULL;
}

enum cmp { CMP_NONE = 0, CMP_DIFF, CMP_MATCH };

/*
 * Measured digests m against reference digests r: CMP_NONE when they share
 * no algorithm (SHA-256/384/512), CMP_MATCH when every shared algorithm has
 * a reference value equal to the measured one (full length), CMP_DIFF
 * otherwise.  *alg gets the strongest shared algorithm (a differing one
 * first, for a mismatch).
 */
static enum cmp cmp_digests(const struct dig *m, size_t nm, const struct dig *r, size_t nr, fwt_digest_alg *alg)
{
	fwt_digest_alg first = 0, bad = 0;
	size_t i, j;

	for (i = 0; i < FWT_ARRAY_LEN(match_algs); i++) {
		const struct dig *mv = find_dig(m, nm, match_algs[i]);
		int have = 0, eq = 0;
		if (!mv)
			continue;
		for (j = 0; j < nr; j++)
			if (r[j].alg == mv->alg && r[j].len == mv->len) {
				have = 1;
				if (!CRYPTO_memcmp(r[j].v, mv->v, mv->len))
					eq = 1;
			}
		if (!have)
			continue;
		if (!first)
			first = mv->alg;
		if (!eq && !bad)
			bad = mv->alg;
	}
	if (alg)
		*alg = bad ? bad : first;
	return !first ? CMP_NONE : bad ? CMP_DIFF : CMP_MATCH;
}

/* A raw SPDM value against a reference's raw value (and mask). */
static enum cmp cmp_raw(const struct comp *c, const struct ref *r)
{
	size_t i;

	if (!r->raw)
		return CMP_NONE;
	if (r->raw_len != c->vlen)
		return CMP_DIFF;
	if (r->mask) {
		if (r->mask_len != r->raw_len)
			return CMP_DIFF; /* refused with its RIM (corim_claims) */
		for (i = 0; i < c->vlen; i++)
			if ((c->value[i] & r->mask[i]) != (r->raw[i] & r->mask[i]))
				return CMP_DIFF;
		return CMP_MATCH;
	}
	return CRYPTO_memcmp(c->value, r->raw, c->vlen) ? CMP_DIFF : CMP_MATCH;
}

/* ---- the object ---- */

fwt_err fwt_appraise_new(fwt_ctx *ctx, fwt_appraise **out, const fwt_appraise_options *opts)
{
	fwt_appraise *a;
	unsigned ver = FWT_APPRAISE_OPTIONS_VERSION;
	fwt_err err;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	if (opts && (err = fwt__opts_version(ctx, "appraisal", opts->version, FWT_APPRAISE_OPTIONS_VERSION, &ver)))
		return err;
	a = calloc(1, sizeof(*a));
	if (!a)
		return fwt__enomem(ctx);
	a->ctx = ctx;
	if (opts) {
		a->trust = opts->trust;
		a->at = opts->at;
		if (ver >= 2)
			a->spdm_trust = opts->spdm_trust;
		if (ver >= 3)
			a->sfr_trust = opts->sfr_trust;
	}
	a->inputs = json_array();
	a->sigs = json_array();
	a->products = json_array();
	a->product_set = json_object();
	a->conflicts = json_array();
	a->unverifiable = json_array();
	if (!a->inputs || !a->sigs || !a->products || !a->product_set || !a->conflicts || !a->unverifiable) {
		fwt_appraise_free(a);
		return fwt__enomem(ctx);
	}
	*out = a;
	return FWT_OK;
}

static void ref_clear(struct ref *r)
{
	free(r->key);
	free(r->name);
	free(r->vendor);
	free(r->model);
	free(r->class_id);
	free(r->d);
	free(r->raw);
	free(r->mask);
	free(r->version);
}

static void comp_clear(struct comp *c)
{
	free(c->name);
	free(c->d);
	free(c->value);
	free(c->note);
	json_decref(c->rejected);
}

static void chain_clear(struct chain *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		fwt_pubkey_free(c->k[i]);
	free(c->k);
	free(c->name);
}

void fwt_appraise_free(fwt_appraise *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nin; i++)
		free(a->in[i].name);
	for (i = 0; i < a->nrefs; i++)
		ref_clear(&a->refs[i]);
	for (i = 0; i < a->nsfrs; i++)
		sfr_clear(&a->sfrs[i]);
	for (i = 0; i < a->ncomps; i++)
		comp_clear(&a->comps[i]);
	for (i = 0; i < a->nspdm; i++)
		fwt_spdm_free(a->spdm[i].s);
	for (i = 0; i < a->nchains; i++)
		chain_clear(&a->chains[i]);
	for (i = 0; i < a->nnonces; i++)
		free(a->nonces[i].name);
	free(a->spdm);
	free(a->chains);
	free(a->nonces);
	free(a->in);
	free(a->refs);
	free(a->sfrs);
	free(a->comps);
	json_decref(a->inputs);
	json_decref(a->sigs);
	json_decref(a->products);
	json_decref(a->product_set);
	json_decref(a->conflicts);
	json_decref(a->unverifiable);
	free(a);
}

/* Record an input: its name, kind and SHA-256.  *entry (borrowed) is its
 * "inputs" object, for extra members. */
static fwt_err add_input(fwt_appraise *a, const char *name, enum input_kind kind, const void *buf, size_t len,
                         size_t *idx, json_t **entry)
{
	unsigned char h[32];
	json_t *e;
	int oom = 0;
	fwt_err err;

	if (a->ran)
		return fwt__error(a->ctx, FWT_EINVAL, "the appraisal has already run");
	if (a->nin >= FWT_APPRAISE_MAX_INPUTS)
		return fwt__error(a->ctx, FWT_EINVAL, "more than %u inputs", FWT_APPRAISE_MAX_INPUTS);
	if (grow((void **)&a->in, &a->capin, a->nin, sizeof(*a->in)))
		return fwt__enomem(a->ctx);
	err = fwt_digest_oneshot(a->ctx, FWT_DIGEST_SHA256, buf, len, h);
	if (err)
		return err;
	a->in[a->nin].name = dupstr(name ? name : "-");
	a->in[a->nin].kind = kind;
	a->in[a->nin].verified = 0;
	memcpy(a->in[a->nin].sha256, h, sizeof(h));
	a->in[a->nin].first = a->in[a->nin].events = 0;
	if (!a->in[a->nin].name)
		return fwt__enomem(a->ctx);
	e = json_object();
	if (!e)
		return fwt__enomem(a->ctx);
	jset(e, "path", jstr(a->in[a->nin].name), &oom);
	jset(e, "kind", json_string(input_kind_names[kind]), &oom);
	jset(e, "sha256", jhex(h, sizeof(h)), &oom);
	jappend(a->inputs, e, &oom);
	if (oom)
		return fwt__enomem(a->ctx);
	*idx = a->nin++;
	if (entry)
		*entry = e;
	return FWT_OK;
}

/* The components one appraisal holds are bounded: with several evidences,
 * each accounts for every reference it does not measure, so a few tiny logs
 * against a large RIM would otherwise make their product. */
static fwt_err comps_full(fwt_appraise *a)
{
	return fwt__error(a->ctx, FWT_EUNSUPPORTED, "the appraisal would hold more than %u components (each evidence "
	                  "accounts for every reference it does not measure): appraise fewer evidences at once",
	                  (unsigned)FWT_APPRAISE_MAX_COMPONENTS);
}

/* Why new_comp gave NULL. */
static fwt_err comp_error(fwt_appraise *a)
{
	return a->ncomps >= FWT_APPRAISE_MAX_COMPONENTS ? comps_full(a) : fwt__enomem(a->ctx);
}

static struct comp *new_comp(fwt_appraise *a)
{
	struct comp *c;

	if (a->ncomps >= FWT_APPRAISE_MAX_COMPONENTS)
		return NULL;
	if (grow((void **)&a->comps, &a->capcomps, a->ncomps, sizeof(*a->comps)))
		return NULL;
	c = &a->comps[a->ncomps++];
	memset(c, 0, sizeof(*c));
	c->event = -1;
	c->evidence = NONE;
	c->ref = NONE;
	c->sfr = NONE;
	c->status = FWT_APPRAISE_UNKNOWN; /* until matched: a default fails closed */
	return c;
}

static struct ref *new_ref(fwt_appraise *a)
{
	struct ref *r;

	if (grow((void **)&a->refs, &a->caprefs, a->nrefs, sizeof(*a->refs)))
		return NULL;
	r = &a->refs[a->nrefs++];
	memset(r, 0, sizeof(*r));
	return r;
}

/* Drop the last reference (while it is being built). */
static void drop_ref(fwt_appraise *a)
{
	ref_clear(&a->refs[--a->nrefs]);
}

/* What an appraisal holds, to undo a failed add_* call: nothing of an
 * input that does not read is kept. */
struct mark {
	size_t nin, nrefs, nsfrs, ncomps, nspdm, inputs, sigs, products, unverifiable, rims_failed, local_bad,
	       local_nocommon, local_unread;
};

static void mark_get(const fwt_appraise *a, struct mark *m)
{
	m->nin = a->nin;
	m->nrefs = a->nrefs;
	m->nsfrs = a->nsfrs;
	m->ncomps = a->ncomps;
	m->nspdm = a->nspdm;
	m->inputs = json_array_size(a->inputs);
	m->sigs = json_array_size(a->sigs);
	m->products = json_array_size(a->products);
	m->unverifiable = json_array_size(a->unverifiable);
	m->rims_failed = a->rims_failed;
	m->local_bad = a->local_bad;
	m->local_nocommon = a->local_nocommon;
	m->local_unread = a->local_unread;
}

static fwt_err rollback(fwt_appraise *a, const struct mark *m, fwt_err err)
{
	if (!err || a->ran)
		return err;
	while (a->nin > m->nin)
		free(a->in[--a->nin].name);
	while (a->nrefs > m->nrefs)
		ref_clear(&a->refs[--a->nrefs]);
	while (a->nsfrs > m->nsfrs)
		sfr_clear(&a->sfrs[--a->nsfrs]);
	while (a->ncomps > m->ncomps)
		comp_clear(&a->comps[--a->ncomps]);
	while (a->nspdm > m->nspdm)
		fwt_spdm_free(a->spdm[--a->nspdm].s);
	while (json_array_size(a->inputs) > m->inputs)
		json_array_remove(a->inputs, json_array_size(a->inputs) - 1);
	while (json_array_size(a->sigs) > m->sigs)
		json_array_remove(a->sigs, json_array_size(a->sigs) - 1);
	while (json_array_size(a->products) > m->products) {
		char *key = json_dumps(json_array_get(a->products, json_array_size(a->products) - 1),
		                       JSON_COMPACT | JSON_SORT_KEYS);
		if (key)
			json_object_del(a->product_set, key);
		free(key);
		json_array_remove(a->products, json_array_size(a->products) - 1);
	}
	while (json_array_size(a->unverifiable) > m->unverifiable)
		json_array_remove(a->unverifiable, json_array_size(a->unverifiable) - 1);
	a->rims_failed = m->rims_failed;
	a->local_bad = m->local_bad;
	a->local_nocommon = m->local_nocommon;
	a->local_unread = m->local_unread;
	return err;
}

/* ---- evidence ---- */

/* The log's events as components; only the digests of banks are kept
 * (the others are recorded in the component's "unconfirmed"). */
static fwt_err add_eventlog(fwt_appraise *a, const fwt_eventlog *log, size_t input, json_t *entry, unsigned banks)
{
	fwt_eventlog_event ev;
	struct comp *c;
	size_t i, k, n = fwt_eventlog_count(log), used = 0;
	const char *tn;
	char buf[32];
	int oom = 0;

	jset(entry, "format", json_string(fwt_eventlog_get_format(log) == FWT_EVENTLOG_SHA1 ? "sha1" : "crypto_agile"),
	     &oom);
	a->in[input].first = a->ncomps;
	for (i = 0; i < n; i++) {
		if (fwt_eventlog_event_get(log, i, &ev) != FWT_OK)
			return fwt__error(a->ctx, FWT_EINTERNAL, "event %zu vanished", i);
		if (!ev.extends)
			continue;
		if (!(c = new_comp(a)))
			return comp_error(a);
		c->source = FWT_APPRAISE_EVENTLOG;
		c->has_index = 1;
		c->index = ev.pcr;
		c->event = (long)ev.index;
		c->evidence = input;
		tn = fwt_eventlog_type_name(ev.type);
		if (!tn) {
			snprintf(buf, sizeof(buf), "0x%08" PRIx32, ev.type);
			tn = buf;
		}
		c->name = dupstr(tn);
		c->d = calloc(ev.n_digests ? ev.n_digests : 1, sizeof(*c->d));
		if (!c->name || !c->d)
			return fwt__enomem(a->ctx);
		for (k = 0; k < ev.n_digests; k++) {
			fwt_digest_alg alg = ev.digests[k].alg;
			if (!alg || alg == FWT_DIGEST_SM3 || ev.digests[k].size != fwt_digest_size(alg))
				continue;
			if (!(alg & banks)) { /* a bank the TPM did not confirm */
				c->unconfirmed |= alg;
				continue;
			}
			c->d[c->nd].alg = alg;
			c->d[c->nd].len = ev.digests[k].size;
			memcpy(c->d[c->nd++].v, ev.digests[k].value, ev.digests[k].size);
		}
		used++;
	}
	a->in[input].events = used;
	jset(entry, "events", json_integer((json_int_t)used), &oom);
	return oom ? fwt__enomem(a->ctx) : FWT_OK;
}

static const char *spdm_format(const fwt_spdm *s)
{
	static const char *const sources[] = { NULL, "transcript", "redfish_component", "redfish_request" };
	int src = (int)fwt_spdm_get_source(s);

	return src >= 1 && src <= 3 ? sources[src] : "spdm";
}

static fwt_err add_spdm(fwt_appraise *a, fwt_spdm **sp, size_t input, json_t *entry)
{
	const fwt_spdm *s = *sp;
	fwt_spdm_block b;
	struct spdm_ev *e;
	struct comp *c;
	size_t i, n = fwt_spdm_block_count(s);
	unsigned v = fwt_spdm_version(s);
	char vs[8];
	int oom = 0, src = (int)fwt_spdm_get_source(s);

	if (src >= 1 && src <= 3)
		jset(entry, "format", json_string(spdm_format(s)), &oom);
	if (v) {
		snprintf(vs, sizeof(vs), "%u.%u", v >> 4, v & 15);
		jset(entry, "version", json_string(vs), &oom);
	}
	jset(entry, "signed", json_boolean(fwt_spdm_is_signed(s)), &oom);
	/* the signature is checked when the appraisal runs (check_spdm) */
	jset(entry, "signature_checked", json_false(), &oom);
	jset(entry, "blocks", json_integer((json_int_t)n), &oom);
	if (grow((void **)&a->spdm, &a->capspdm, a->nspdm, sizeof(*a->spdm)))
		return fwt__enomem(a->ctx);
	e = &a->spdm[a->nspdm++];
	memset(e, 0, sizeof(*e));
	e->input = input;
	e->s = *sp;
	e->nblocks = n;
	e->first = a->ncomps;
	*sp = NULL;
	for (i = 0; i < n; i++) {
		if (fwt_spdm_block_get(s, i, &b) != FWT_OK)
			return fwt__error(a->ctx, FWT_EINTERNAL, "block %zu vanished", i);
		if (b.index < 256)
			e->measured[b.index / 8] |= (unsigned char)(1u << (b.index % 8));
		if (!(c = new_comp(a)))
			return comp_error(a);
		c->source = FWT_APPRAISE_SPDM;
		c->has_index = 1;
		c->index = b.index;
		c->evidence = input;
		c->raw = b.raw;
		c->value = malloc(b.size ? b.size : 1);
		if (!c->value)
			return fwt__enomem(a->ctx);
		memcpy(c->value, b.value, b.size);
		c->vlen = b.size;
		if (b.type >= 0 && fwt_spdm_type_name(b.type) && !(c->name = dupstr(fwt_spdm_type_name(b.type))))
			return fwt__enomem(a->ctx);
		if (!b.raw && b.alg && b.alg != FWT_DIGEST_SM3 && b.size == fwt_digest_size(b.alg)) {
			c->valg = b.alg;
			if (!(c->d = calloc(1, sizeof(*c->d))))
				return fwt__enomem(a->ctx);
			c->d[0].alg = b.alg;
			c->d[0].len = b.size;
			memcpy(c->d[0].v, b.value, b.size);
			c->nd = 1;
		}
	}
	return oom ? fwt__enomem(a->ctx) : FWT_OK;
}

/* An event log starts with a record on a PCR (a little-endian 32-bit index
 * below 24); SPDM binary starts with a version byte 0x10-0x13, and its text
 * forms (hex, JSON) with a printable character: none of them fits. */
static int looks_like_eventlog(const unsigned char *b, size_t len)
{
	return len >= 32 && b[0] < FWT_PCR_COUNT && !b[1] && !b[2] && !b[3];
}

/* extra_local: the members of a local log's "inputs" entry (NULL for a
 * file); banks: the banks whose event digests count (those the TPM
 * confirmed; every bank for a file). */
static fwt_err parse_evidence(fwt_appraise *a, const unsigned char *buf, size_t len, const char *name,
                              json_t *extra_local, unsigned banks)
{
	fwt_eventlog_options lo = FWT_EVENTLOG_OPTIONS_INIT;
	fwt_eventlog *log = NULL;
	fwt_spdm *s = NULL;
	json_t *entry = NULL;
	size_t idx;
	fwt_err err;

	if (looks_like_eventlog(buf, len)) {
		err = fwt_eventlog_parse(a->ctx, &log, buf, len, &lo);
		if (err)
			return fwt__error_prefix(a->ctx, "'%s'", name);
		err = add_input(a, name, IN_EVENTLOG, buf, len, &idx, &entry);
		if (!err)
			err = add_eventlog(a, log, idx, entry, banks);
		if (!err && extra_local) {
			json_object_set(entry, "local", json_true());
			if (json_object_update(entry, extra_local))
				err = fwt__enomem(a->ctx);
		}
		fwt_eventlog_free(log);
		return err;
	}
	err = fwt_spdm_parse(a->ctx, &s, buf, len, name);
	if (err == FWT_EFORMAT || err == FWT_EUNSUPPORTED) {
		fwt_err code = err;
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", fwt_ctx_errmsg(a->ctx));
		return fwt__error(a->ctx, code, "'%s': not an event log or SPDM evidence fwtrail reads: %s", name, msg);
	}
	if (err)
		return err;
	err = add_input(a, name, IN_SPDM, buf, len, &idx, &entry);
	if (!err)
		err = add_spdm(a, &s, idx, entry);
	fwt_spdm_free(s);
	return err;
}

fwt_err fwt_appraise_add_evidence(fwt_appraise *a, const void *buf, size_t len, const char *name)
{
	struct mark m;

	if (!a || (!buf && len))
		return a ? fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_add_evidence") : FWT_EINVAL;
	mark_get(a, &m);
	return rollback(a, &m, parse_evidence(a, buf, len, name ? name : "-", NULL, ALL_BANKS));
}

static fwt_err read_input(fwt_appraise *a, const char *path, size_t cap, unsigned char **buf, size_t *len)
{
	fwt_err err = fwt_read_file(a->ctx, path, cap, buf, len);

	if (err == FWT_EFORMAT) /* too large: name the file */
		return fwt__error_prefix(a->ctx, "'%s'", path);
	return err;
}

fwt_err fwt_appraise_add_evidence_file(fwt_appraise *a, const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (!a || !path)
		return a ? fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_add_evidence_file") : FWT_EINVAL;
	err = read_input(a, path, FWT_APPRAISE_MAX_INPUT, &buf, &len);
	if (!err)
		err = fwt_appraise_add_evidence(a, buf, len, path);
	free(buf);
	return err;
}

static int known_alg(fwt_digest_alg alg);

/* The names of the banks in mask, ", " between them ("sha1, sha256"). */
static void bank_names(unsigned mask, char *buf, size_t cap)
{
	static const fwt_digest_alg order[] = { FWT_DIGEST_SHA1, FWT_DIGEST_SHA256, FWT_DIGEST_SHA384,
		                                FWT_DIGEST_SHA512 };
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < FWT_ARRAY_LEN(order); i++)
		if ((mask & order[i]) && o < cap)
			o += (size_t)snprintf(buf + o, cap - o, "%s%s", o ? ", " : "", fwt_digest_name(order[i]));
}

/*
 * The live PCRs against the replay of the local log: {"compared", "match",
 * "banks", "mismatches", "unreplayable"?, "unconfirmed"?, "error"?} or, when
 * the TPM exposes no PCR bank at all, {"compared": false, "error"}.  Only
 * that probe may say "not compared": once the TPM has banks, a PCR file
 * that cannot be read or parsed is a failed comparison ("compared" true,
 * "match" false, the error recorded), never the log counted as --evidence.
 * *bad: 1 when the log does not replay to the TPM, 2 when no bank could be
 * compared although the TPM has some (none of the log's), 3 when the TPM's
 * PCRs could not be read.  *confirmed: the banks compared with the TPM,
 * whose digests alone may be compared with references; every bank when
 * the TPM has none.  *out gets the object; errors are those of the replay
 * and of memory.
 */
static fwt_err local_pcrs(fwt_appraise *a, const fwt_eventlog *log, const char *root, int *bad,
                          unsigned *confirmed, json_t **out)
{
	static const fwt_digest_alg banks[] = { FWT_DIGEST_SHA1, FWT_DIGEST_SHA256, FWT_DIGEST_SHA384,
		                                FWT_DIGEST_SHA512 };
	fwt_pcrs *got = NULL, *want = NULL, *probe = NULL;
	fwt_pcr_mismatch *mm = NULL;
	size_t nm = 0, i;
	unsigned compared = 0, tpm = 0, declared = 0;
	uint32_t mask = 0;
	json_t *o = json_object(), *b = json_array(), *m = json_array(), *u = NULL, *x;
	unsigned unrep = 0;
	char have[64], replays[64], why[768];
	fwt_err err = FWT_OK;
	int oom = !o || !b || !m, nocommon = 0, unread = 0;

	*out = NULL;
	*confirmed = ALL_BANKS; /* nothing compared: the log counts as --evidence would */
	why[0] = '\0';
	if (oom)
		goto out;
	err = fwt_eventlog_replay(a->ctx, log, &got);
	if (err) /* the log parsed: only memory or the hash backend fail here */
		goto out;
	/* PCRs 0-7 are the firmware's: only its event log explains them, so
	 * they are always read and compared, extended by the log or not (a log
	 * stripped of every event of one of them must not replay to the TPM);
	 * and every PCR the log extends */
	mask = 0xff;
	for (i = 0; i < FWT_ARRAY_LEN(banks); i++)
		mask |= fwt_pcrs_selected(got, banks[i]);
	/* banks the log declares but cannot replay (an event lacks its digest):
	 * read from the TPM too, so that one it has is never dropped silently
	 * (RELIABILITY E4) */
	for (i = 0; i < fwt_eventlog_alg_count(log); i++) {
		fwt_digest_alg alg = fwt_eventlog_alg_at(log, i)->alg;
		if (known_alg(alg))
			declared |= alg;
		if (known_alg(alg) && !(fwt_pcrs_banks(got) & alg))
			unrep |= alg;
	}
	/* which banks the TPM exposes (no PCR is read yet): none at all
	 * (FWT_EIO) is no comparison, the only one; some, but none of the
	 * log's, is a failed one */
	err = fwt_pcrs_read_sysfs(a->ctx, &probe, root, ALL_BANKS, 0);
	if (err == FWT_EIO) {
		jset(o, "compared", json_false(), &oom);
		jset(o, "error", jstr(fwt_ctx_errmsg(a->ctx)), &oom);
		fwt_ctx_clear_error(a->ctx);
		err = FWT_OK;
		goto out;
	}
	if (err)
		goto out;
	tpm = fwt_pcrs_banks(probe);
	if (!(tpm & (fwt_pcrs_banks(got) | unrep)))
		nocommon = 1;
	else
		err = fwt_pcrs_read_sysfs(a->ctx, &want, root, fwt_pcrs_banks(got) | unrep, mask);
	/* FWT_EVERIFY with no difference: no bank in common (the TPM has only
	 * banks the log cannot replay, which "unreplayable" names) */
	if (!err && want)
		err = fwt_pcrs_compare(a->ctx, got, want, 0, mask, &mm, &nm, &compared);
	if (err == FWT_ENOMEM)
		goto out;
	/* the TPM has banks, but a PCR file of them does not read (missing,
	 * unreadable, not a digest): nothing is confirmed, and it is a no */
	if (err && err != FWT_EVERIFY) {
		snprintf(why, sizeof(why), "the TPM's PCRs could not be read: %s: no PCR could be compared",
		         fwt_ctx_errmsg(a->ctx));
		unread = 1;
		compared = 0;
		nm = 0;
		err = FWT_EVERIFY;
	}
	for (i = 0; i < FWT_ARRAY_LEN(banks) && want && !unread; i++) {
		size_t ev;
		if (!(unrep & fwt_pcrs_banks(want) & banks[i]) || !fwt_eventlog_bank_missing(log, banks[i], &ev))
			continue;
		x = json_object();
		if (x) {
			jset(x, "bank", json_string(fwt_digest_name(banks[i])), &oom);
			jset(x, "event", json_integer((json_int_t)ev), &oom);
		}
		if (!u && !(u = json_array()))
			oom = 1;
		jappend(u, x, &oom);
		err = FWT_EVERIFY;
	}
	if (nocommon)
		err = FWT_EVERIFY;
	jset(o, "compared", json_true(), &oom);
	jset(o, "match", json_boolean(err == FWT_OK), &oom);
	for (i = 0; i < FWT_ARRAY_LEN(banks); i++)
		if (compared & banks[i])
			jappend(b, json_string(fwt_digest_name(banks[i])), &oom);
	for (i = 0; i < nm; i++) {
		x = json_object();
		if (x) {
			jset(x, "bank", json_string(fwt_digest_name(mm[i].alg)), &oom);
			jset(x, "pcr", json_integer(mm[i].pcr), &oom);
			jset(x, "replayed", jhex(mm[i].got, mm[i].size), &oom);
			jset(x, "tpm", mm[i].missing ? json_null() : jhex(mm[i].want, mm[i].size), &oom);
		}
		jappend(m, x, &oom);
	}
	jset(o, "banks", b, &oom);
	jset(o, "mismatches", m, &oom);
	if (u) /* only when there are any: the TPM has them, the log cannot replay them */
		jset(o, "unreplayable", u, &oom);
	b = m = u = NULL;
	/* the log's banks the TPM did not confirm: their digests are no
	 * evidence of what booted, and are not compared with references */
	if ((declared & ~compared) && !(x = json_array()))
		oom = 1;
	else if (declared & ~compared) {
		for (i = 0; i < FWT_ARRAY_LEN(banks); i++)
			if (declared & ~compared & banks[i])
				jappend(x, json_string(fwt_digest_name(banks[i])), &oom);
		jset(o, "unconfirmed", x, &oom);
	}
	if (!compared && !unread) {
		bank_names(tpm, have, sizeof(have));
		bank_names(fwt_pcrs_banks(got), replays, sizeof(replays));
		snprintf(why, sizeof(why), "the TPM's PCR banks (%s) are none of those the log replays (%s): no PCR "
		         "could be compared", have, *replays ? replays : "none");
	}
	if (*why)
		jset(o, "error", jstr(why), &oom);
	*confirmed = compared;
	if (err == FWT_EVERIFY)
		*bad = unread ? 3 : compared ? 1 : 2;
	fwt_ctx_clear_error(a->ctx);
	err = FWT_OK;
out:
	json_decref(b);
	json_decref(m);
	json_decref(u);
	free(mm);
	fwt_pcrs_free(got);
	fwt_pcrs_free(want);
	fwt_pcrs_free(probe);
	if (oom)
		err = fwt__enomem(a->ctx);
	if (err) {
		json_decref(o);
		return err;
	}
	*out = o;
	return FWT_OK;
}

fwt_err fwt_appraise_add_local(fwt_appraise *a, const char *root)
{
	fwt_eventlog_options lo = FWT_EVENTLOG_OPTIONS_INIT;
	fwt_eventlog *log = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	char path[4096];
	struct stat st;
	json_t *extra = NULL, *tpm;
	struct mark m;
	unsigned confirmed = ALL_BANKS;
	int bad = 0;
	fwt_err err;

	if (!a)
		return FWT_EINVAL;
	mark_get(a, &m);
	if ((size_t)snprintf(path, sizeof(path), "%s/sys/kernel/security/tpm0/binary_bios_measurements",
	                     root && *root ? root : "") >= sizeof(path))
		return fwt__error(a->ctx, FWT_EINVAL, "the sysfs root is too long");
	if (stat(path, &st) != 0)
		return fwt__error(a->ctx, FWT_EIO, "no TPM event log at '%s' (no TPM, or securityfs not mounted): %s",
		                  path, strerror(errno));
	err = read_input(a, path, FWT_EVENTLOG_MAX_SIZE, &buf, &len);
	if (!err && fwt_eventlog_parse(a->ctx, &log, buf, len, &lo) != FWT_OK)
		err = fwt__error_prefix(a->ctx, "'%s'", path);
	if (!err)
		err = local_pcrs(a, log, root, &bad, &confirmed, &tpm);
	if (!err && (!(extra = json_object()) || json_object_set_new(extra, "tpm", tpm)))
		err = fwt__enomem(a->ctx);
	fwt_eventlog_free(log);
	if (!err)
		err = parse_evidence(a, buf, len, path, extra, confirmed);
	if (!err && bad == 3)
		a->local_unread++;
	else if (!err && bad == 2)
		a->local_nocommon++;
	else if (!err && bad)
		a->local_bad++;
	json_decref(extra);
	free(buf);
	return rollback(a, &m, err);
}

/* ---- references ---- */

/* "pcrN" or "pcrN:..." with N 0..23 (decimal, no leading zero). */
static int pcr_label(const char *s, unsigned *pcr)
{
	unsigned n = 0;
	size_t i = 3;

	if (!s || strncmp(s, "pcr", 3) || s[3] < '0' || s[3] > '9')
		return 0;
	if (s[3] == '0' && s[4] >= '0' && s[4] <= '9')
		return 0;
	while (s[i] >= '0' && s[i] <= '9' && i < 6)
		n = n * 10 + (unsigned)(s[i++] - '0');
	if ((s[i] && s[i] != ':') || n >= FWT_PCR_COUNT)
		return 0;
	*pcr = n;
	return 1;
}

static int known_alg(fwt_digest_alg alg)
{
	return alg == FWT_DIGEST_SHA256 || alg == FWT_DIGEST_SHA384 || alg == FWT_DIGEST_SHA512 ||
	       alg == FWT_DIGEST_SHA1;
}

/* A signatures entry. */
static fwt_err add_sig(fwt_appraise *a, size_t input, const char *format, int is_signed, int verified,
                       const fwt_pubkey *key, const unsigned char *fp, const char *error, int used, json_t **out)
{
	json_t *e = json_object();
	unsigned char f[32];
	int oom = !e;

	if (oom)
		return fwt__enomem(a->ctx);
	if (key && !fp) {
		if (fwt_pubkey_fingerprint(key, f) != FWT_OK) {
			json_decref(e);
			return fwt__error(a->ctx, FWT_ECRYPTO, "cannot fingerprint key '%s'", fwt_pubkey_name(key));
		}
		fp = f;
	}
	jset(e, "path", jstr(a->in[input].name), &oom);
	jset(e, "kind", json_string(input_kind_names[a->in[input].kind]), &oom);
	jset(e, "format", json_string(format), &oom);
	jset(e, "signed", json_boolean(is_signed), &oom);
	jset(e, "verified", json_boolean(verified), &oom);
	jset(e, "key", key ? jstr(fwt_pubkey_name(key)) : json_null(), &oom);
	jset(e, "fingerprint", key ? jhex(fp, 32) : json_null(), &oom);
	jset(e, "error", error ? jstr(error) : json_null(), &oom);
	if (a->in[input].kind == IN_RIM)
		jset(e, "used", json_boolean(used), &oom);
	jappend(a->sigs, e, &oom);
	if (oom)
		return fwt__enomem(a->ctx);
	if (out)
		*out = e;
	return FWT_OK;
}

/* A products entry, unless the same one is there already. */
static fwt_err add_product(fwt_appraise *a, const char *vendor, const char *product, const char *version,
                           int has_svn, uint64_t svn, const char *source, size_t input)
{
	json_t *e;
	char *key;
	int oom = 0;

	if (!vendor || !product) /* a product is named by both */
		return FWT_OK;
	e = json_object();
	if (!e)
		return fwt__enomem(a->ctx);
	if (vendor)
		jset(e, "vendor", jstr(vendor), &oom);
	if (product)
		jset(e, "product", jstr(product), &oom);
	if (version)
		jset(e, "fw_version", jstr(version), &oom);
	if (has_svn)
		jset(e, "svn", json_integer((json_int_t)svn), &oom);
	jset(e, "source", json_string(source), &oom);
	jset(e, "path", jstr(a->in[input].name), &oom);
	/* an SFR's input itself, not its name (a library caller's inputs may
	 * share one): products_json matches reviews by it, then drops it */
	if (!strcmp(source, "sfr"))
		jset(e, "_input", json_integer((json_int_t)input), &oom);
	/* each product once: its canonical JSON is the key (a hostile RIM may
	 * name many environments; comparing each with every other was quadratic) */
	key = oom ? NULL : json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
	if (!key) {
		json_decref(e);
		return fwt__enomem(a->ctx);
	}
	if (json_object_get(a->product_set, key)) {
		json_decref(e);
	} else {
		if (json_object_set_new(a->product_set, key, json_true()))
			oom = 1;
		jappend(a->products, e, &oom);
	}
	free(key);
	return oom ? fwt__enomem(a->ctx) : FWT_OK;
}

/* What a reference applies to, for messages: "SPDM index 1", "PCR 0 (key
 * 'pcr0:bios')", "key 'image'", "a measurement without a key". */
static void ref_what(char *buf, size_t cap, enum ref_kind kind, uint64_t index, const char *key)
{
	if (kind == REF_SPDM)
		snprintf(buf, cap, "SPDM index %" PRIu64, index);
	else if (kind == REF_PCR)
		snprintf(buf, cap, "PCR %" PRIu64 " (key '%.64s%s')", index, key ? key : "",
		         key && strlen(key) > 64 ? "..." : "");
	else if (key)
		snprintf(buf, cap, "key '%.64s%s'", key, strlen(key) > 64 ? "..." : "");
	else
		snprintf(buf, cap, "a measurement without a key");
}

/* Each RIM measurement taken costs a reference or an "unverifiable" entry:
 * FWT_APPRAISE_MAX_REFS of them at most in one appraisal, so that a hostile
 * RIM cannot hold the run or its memory (a few hundred bytes each) for long. */
static fwt_err refs_full(fwt_appraise *a, size_t input)
{
	if (a->nrefs + json_array_size(a->unverifiable) < FWT_APPRAISE_MAX_REFS)
		return FWT_OK;
	return fwt__error(a->ctx, FWT_EFORMAT, "'%s': more than %u reference values in one appraisal",
	                  a->in[input].name, (unsigned)FWT_APPRAISE_MAX_REFS);
}

/*
 * A reference value fwtrail cannot compare with any evidence (only SHA-1 or
 * another algorithm, only a version or SVN): it is not dropped silently but
 * listed in "unverifiable", with the reason, and the record is not ok.
 * kind REF_SPDM with has_index 0: an index outside SPDM's.
 */
static fwt_err add_unverifiable(fwt_appraise *a, size_t input, const char *format, enum ref_kind kind,
                                int has_index, uint64_t index, const char *key, json_t *algs, const char *reason)
{
	json_t *e = json_object();
	int oom = !e;

	if (e) {
		jset(e, "source", json_string(kind == REF_SPDM ? "spdm" : "eventlog"), &oom);
		jset(e, "index", has_index && kind != REF_ANY && index <= INT64_MAX ? json_integer((json_int_t)index)
		                                                                    : json_null(), &oom);
		jset(e, "rim", jstr(a->in[input].name), &oom);
		jset(e, "format", json_string(format), &oom);
		jset(e, "key", key ? jstr(key) : json_null(), &oom);
		jset(e, "algs", algs ? json_incref(algs) : json_array(), &oom);
		jset(e, "reason", jstr(reason), &oom);
	}
	jappend(a->unverifiable, e, &oom);
	return oom ? fwt__enomem(a->ctx) : FWT_OK;
}

/* Record why CoRIM measurement m (as reference r) cannot be compared: it
 * holds no SHA-256/384/512 digest and no raw value.  "algs" names the
 * algorithms of the digests it does hold. */
static fwt_err corim_unverifiable(fwt_appraise *a, size_t input, const fwt_corim_measurement *m,
                                  const struct ref *r, const char *conditions)
{
	char what[160], list[256], reason[512];
	json_t *algs = json_array();
	size_t k, j, n = 0, o = 0;
	fwt_err err;
	int oom = !algs;

	list[0] = '\0';
	for (k = 0; algs && k < m->n_digests; k++) {
		const fwt_corim_digest *d = &m->digests[k];
		int sha1 = d->alg == FWT_DIGEST_SHA1 || (d->alg_name && !strcmp(d->alg_name, "sha-1"));
		const char *name = sha1 ? "sha1" : d->alg ? fwt_digest_name(d->alg) : d->alg_name;
		if (!name)
			name = "unknown";
		for (j = 0; j < json_array_size(algs); j++)
			if (!strcmp(json_string_value(json_array_get(algs, j)), name))
				break;
		if (j < json_array_size(algs))
			continue;
		jappend(algs, jstr(name), &oom);
		if (o < sizeof(list))
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%.40s", n++ ? " and " : "",
			                      sha1 ? "SHA-1" : name);
	}
	ref_what(what, sizeof(what), r->kind, r->index, r->key);
	if (conditions)
		snprintf(reason, sizeof(reason), "the RIM's reference for %s also requires %s, which fwtrail cannot "
		         "compare with the evidence", what, conditions);
	else if (m->n_digests)
		snprintf(reason, sizeof(reason), "the RIM gives only %s%s reference%s for %s, which fwtrail does not accept",
		         n == 1 ? "a " : "", list, n == 1 ? "" : "s", what);
	else if (m->version || m->has_svn || m->flags_set)
		snprintf(reason, sizeof(reason), "the RIM gives no digest for %s, only %s%s%s%s%s, which fwtrail cannot "
		         "compare with the evidence", what, m->version ? "a version" : "",
		         m->version && m->has_svn ? " and " : "", m->has_svn ? "an SVN" : "",
		         (m->version || m->has_svn) && m->flags_set ? " and " : "", m->flags_set ? "flags" : "");
	else
		snprintf(reason, sizeof(reason), "the RIM gives no digest and no raw value for %s: fwtrail cannot compare "
		         "it with the evidence", what);
	err = oom ? fwt__enomem(a->ctx)
	          : add_unverifiable(a, input, "corim", r->kind, 1, r->index, r->key, algs, reason);
	json_decref(algs);
	return err;
}

/* Record that reference r's label looks like a PCR binding ("pcr" in any
 * case first) but is not "pcrN" or "pcrN:..." (N 0 to 23, no leading
 * zero): which PCR it is for is not known, so it is compared with nothing. */
static fwt_err pcr_label_unverifiable(fwt_appraise *a, size_t input, const struct ref *r, const char *label)
{
	char q[200], reason[512];
	json_t *algs = json_array();
	size_t k;
	int oom = !algs;
	fwt_err err;

	for (k = 0; algs && k < r->nd; k++)
		jappend(algs, jstr(r->d[k].alg == FWT_DIGEST_SHA1 ? "sha1" : fwt_digest_name(r->d[k].alg)), &oom);
	fwt__quote(q, sizeof(q), label, strlen(label));
	snprintf(reason, sizeof(reason), "the RIM's label '%s' looks like a PCR binding but is not one (\"pcrN\" or "
	         "\"pcrN:...\", N 0 to 23 without a leading zero): fwtrail cannot tell which PCR it is for", q);
	err = oom ? fwt__enomem(a->ctx) : add_unverifiable(a, input, "corim", REF_ANY, 0, 0, label, algs, reason);
	json_decref(algs);
	return err;
}

/* What a reference value asks beyond a digest or a raw value, which
 * fwtrail cannot compare with the evidence (into out, "" when nothing).
 * CoRIM matches a reference only when every claim of it does: flags, a
 * minimum SVN, a serial number, other claims (authorised-by, registers,
 * UEID, MAC address, integer ranges, keys, ...), a digest and a raw value
 * together (the evidence gives one of them), and an environment narrowed
 * to one instance or group of devices.  A version and an exact SVN
 * describe the firmware (the record's products), a name labels it. */
static void corim_conditions(const fwt_corim_env *env, const fwt_corim_measurement *m, char *out, size_t cap)
{
	const char *c[8];
	size_t n = 0, i, o = 0;

	if (m->flags_set)
		c[n++] = "flags";
	if (m->has_svn && m->svn_min)
		c[n++] = "a minimum SVN";
	if (m->serial_number)
		c[n++] = "a serial number";
	if (m->other)
		c[n++] = "other claims";
	if (m->raw_value && m->n_digests)
		c[n++] = "a raw value beside its digests";
	if (env->instance.type != FWT_CORIM_ID_NONE)
		c[n++] = "one device instance";
	if (env->group.type != FWT_CORIM_ID_NONE)
		c[n++] = "one group of devices";
	if (env->other)
		c[n++] = "other environment claims";
	out[0] = '\0';
	for (i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? (i + 1 == n ? " and " : ", ") : "", c[i]);
}

/* The path of the i-th CoMID of c, as the decoder gives paths: "" for a
 * bare CoMID, /tags/N for the CoMID at N in the tags (CoSWIDs and CoTLs
 * among them counted). */
static void corim_comid_path(const fwt_corim *c, size_t i, char *out, size_t cap)
{
	json_t *j;
	size_t n, k = 0;

	out[0] = '\0';
	if (fwt_corim_get_kind(c) == FWT_CORIM_COMID)
		return;
	snprintf(out, cap, "/tags/?");
	j = fwt_corim_to_json(c);
	for (n = 0; n < json_array_size(json_object_get(j, "tags")); n++) {
		const json_t *e = json_array_get(json_object_get(j, "tags"), n);
		const char *type = json_string_value(json_object_get(e, "type"));
		if (type && !strcmp(type, "comid") && k++ == i) {
			snprintf(out, cap, "/tags/%zu", n);
			break;
		}
	}
	json_decref(j);
}

/* Where a reference triple is: its CoRIM, its CoMID's index among the
 * CoMIDs, its own among the reference triples. */
struct corim_at {
	const fwt_corim *c;
	size_t comid, triple;
};

/* A measurement of a CoRIM for a message (only ever on the way to an
 * error): the path of its measurement map at path, as the decoder gives
 * paths, and its key at name ("measurement 7", "measurement 'x'"). */
static void corim_mwhere(const struct corim_at *at, size_t i, const fwt_corim_measurement *m, char *path,
                         size_t pcap, char *name, size_t ncap)
{
	char q[72], tag[48];

	corim_comid_path(at->c, at->comid, tag, sizeof(tag));
	snprintf(path, pcap, "%s/triples/reference-triples/%zu/measurements/%zu", tag, at->triple, i);
	if (m->key.type == FWT_CORIM_ID_NONE || !m->key.text) {
		snprintf(name, ncap, "the measurement");
	} else if (m->key.type == FWT_CORIM_ID_TEXT) {
		fwt__quote(q, sizeof(q), m->key.text, strlen(m->key.text));
		snprintf(name, ncap, "measurement '%s'", q);
	} else {
		snprintf(name, ncap, "measurement %.60s", m->key.text);
	}
}

/* The reference values of one environment of a CoRIM, the reference
 * triple at. */
static fwt_err corim_claims(fwt_appraise *a, size_t input, const fwt_corim_claims *cl, const struct corim_at *at,
                            size_t *skipped)
{
	const fwt_corim_env *env = &cl->env;
	const char *version = NULL;
	int has_svn = 0;
	uint64_t svn = 0;
	struct ref *r;
	size_t i, k;
	unsigned pcr;
	char num[24], conds[256], mw[160], mk[96];
	fwt_err err;

	for (i = 0; i < cl->n; i++) {
		const fwt_corim_measurement *m = &cl->m[i];
		/* the appraisal record carries an SVN as a JSON integer, which
		 * the rollback rule compares: one it cannot hold exactly is
		 * refused, never wrapped to a negative number (the decoder
		 * refuses it first; this holds whatever it lets through) */
		if (m->has_svn && m->svn > INT64_MAX) {
			corim_mwhere(at, i, m, mw, sizeof(mw), mk, sizeof(mk));
			return fwt__error(a->ctx, FWT_EUNSUPPORTED, "'%s': CoRIM at %s/mval/svn: the SVN of %s, %" PRIu64
			                  ", is above 2^63-1, the largest fwtrail compares", a->in[input].name, mw, mk,
			                  m->svn);
		}
		if (!version && m->version)
			version = m->version;
		if (!has_svn && m->has_svn && !m->svn_min) {
			has_svn = 1;
			svn = m->svn;
		}
		if ((err = refs_full(a, input)))
			return err;
		if (!(r = new_ref(a)))
			return fwt__enomem(a->ctx);
		r->rim = input;
		r->format = "corim";
		switch (m->key.type) {
		case FWT_CORIM_ID_UINT:
			r->kind = REF_SPDM;
			r->index = m->key.num;
			snprintf(num, sizeof(num), "%" PRIu64, m->key.num);
			r->key = dupstr(num);
			break;
		case FWT_CORIM_ID_NONE:
			r->kind = REF_ANY;
			break;
		default:
			r->kind = m->key.type == FWT_CORIM_ID_TEXT && pcr_label(m->key.text, &pcr) ? REF_PCR : REF_ANY;
			if (r->kind == REF_PCR)
				r->index = pcr;
			r->key = dupstr(m->key.text ? m->key.text : "");
			break;
		}
		if (m->key.type == FWT_CORIM_ID_TEXT && !(r->name = dupstr(m->key.text)))
			goto oom;
		if (m->key.type != FWT_CORIM_ID_NONE && !r->key)
			goto oom;
		if ((env->vendor && !(r->vendor = dupstr(env->vendor))) || (env->model && !(r->model = dupstr(env->model))))
			goto oom;
		if (env->has_class && env->class_id.type != FWT_CORIM_ID_NONE && env->class_id.text &&
		    !(r->class_id = dupstr(env->class_id.text)))
			goto oom;
		if ((m->version && !(r->version = dupstr(m->version))))
			goto oom;
		r->has_svn = m->has_svn && !m->svn_min;
		r->svn = m->svn;
		r->d = calloc(m->n_digests ? m->n_digests : 1, sizeof(*r->d));
		if (!r->d)
			goto oom;
		for (k = 0; k < m->n_digests; k++) {
			const fwt_corim_digest *d = &m->digests[k];
			if (!known_alg(d->alg))
				continue;
			if (d->len != fwt_digest_size(d->alg)) {
				corim_mwhere(at, i, m, mw, sizeof(mw), mk, sizeof(mk));
				return fwt__error(a->ctx, FWT_EFORMAT, "'%s': malformed CoRIM at %s/mval/digests/%zu: the "
				                  "%s digest of %s is %zu bytes, not %zu", a->in[input].name, mw, k,
				                  fwt_digest_name(d->alg), mk, d->len, fwt_digest_size(d->alg));
			}
			r->d[r->nd].alg = d->alg;
			r->d[r->nd].len = d->len;
			memcpy(r->d[r->nd++].v, d->value, d->len);
		}
		/* a mask of another length than its value (CoRIM's masked raw
		 * values are as long as their masks) compares with nothing: the
		 * RIM is malformed, as with a digest of the wrong length */
		if (m->raw_value && m->raw_mask && m->mask_len != m->raw_len) {
			corim_mwhere(at, i, m, mw, sizeof(mw), mk, sizeof(mk));
			return fwt__error(a->ctx, FWT_EFORMAT, "'%s': malformed CoRIM at %s/mval/raw-value: the raw value "
			                  "of %s is %zu bytes but its mask %zu: a mask is as long as its value",
			                  a->in[input].name, mw, mk, m->raw_len, m->mask_len);
		}
		if (m->raw_value) {
			r->raw = malloc(m->raw_len ? m->raw_len : 1);
			if (!r->raw)
				goto oom;
			memcpy(r->raw, m->raw_value, m->raw_len);
			r->raw_len = m->raw_len;
			if (m->raw_mask) {
				r->mask = malloc(m->mask_len ? m->mask_len : 1);
				if (!r->mask)
					goto oom;
				memcpy(r->mask, m->raw_mask, m->mask_len);
				r->mask_len = m->mask_len;
			}
		}
		/* a label that reads like a PCR binding but is not one
		 * ("pcr00:x", "PCR0:x", "pcr0 :x") never becomes a reference
		 * for any PCR: fwtrail cannot tell which PCR it meant */
		if (r->kind == REF_ANY && m->key.type == FWT_CORIM_ID_TEXT && m->key.text &&
		    (m->key.text[0] | 0x20) == 'p' &&
		    (m->key.text[1] | 0x20) == 'c' && (m->key.text[2] | 0x20) == 'r') {
			err = pcr_label_unverifiable(a, input, r, m->key.text);
			drop_ref(a);
			if (err)
				return err;
			(*skipped)++;
			continue;
		}
		/* a reference with conditions fwtrail cannot check is no
		 * reference it may match on: unverifiable, as below */
		corim_conditions(env, m, conds, sizeof(conds));
		if (conds[0]) {
			err = corim_unverifiable(a, input, m, r, conds);
			drop_ref(a);
			if (err)
				return err;
			(*skipped)++;
			continue;
		}
		/* nothing fwtrail can compare (SHA-1 only, another algorithm, only
		 * a version or flags): no reference value to match, but never
		 * dropped silently: "unverifiable" says so, and the record is not ok */
		if (!r->raw && !find_dig(r->d, r->nd, FWT_DIGEST_SHA256) && !find_dig(r->d, r->nd, FWT_DIGEST_SHA384) &&
		    !find_dig(r->d, r->nd, FWT_DIGEST_SHA512)) {
			err = corim_unverifiable(a, input, m, r, NULL);
			drop_ref(a);
			if (err)
				return err;
			(*skipped)++;
		}
	}
	return add_product(a, env->vendor, env->model, version, has_svn, svn, "rim", input);
oom:
	return fwt__enomem(a->ctx);
}

/* The outcome of a signed RIM's check (err from its verifier): *verified
 * when it verified; a signature that fails, or a signed RIM that breaks the
 * signing rules, is no error here but *error (copied into msg), and its
 * references are not used; any other failure is returned, prefixed with the
 * RIM's name. */
static fwt_err rim_sig_outcome(fwt_appraise *a, fwt_err err, const char *name, char *msg, size_t cap, int *verified,
                               const char **error)
{
	if (!err) {
		*verified = 1;
		return FWT_OK;
	}
	if (err == FWT_EVERIFY || err == FWT_EUNSUPPORTED || err == FWT_EFORMAT) {
		snprintf(msg, cap, "%s", fwt_ctx_errmsg(a->ctx));
		*error = msg;
		fwt_ctx_clear_error(a->ctx);
		return FWT_OK;
	}
	return fwt__error_prefix(a->ctx, "'%s'", name);
}

/*
 * May the key that verified a RIM or an SFR sign one?  Not a device's own
 * key: one of an SPDM chain given (the device whose measurements are being
 * judged could vouch for them), a certificate with a DMTF SPDM EKU, or, with
 * an SPDM trust store apart, a certificate (chain: the signer's, leaf first,
 * as the document carries it) that chains to an SPDM device root and not to
 * a RIM signer's anchor.  0 when it may; 1 and why (in msg) when not.
 */
static int signer_refused(fwt_appraise *a, const fwt_pubkey *key, fwt_pubkey *const *chain, size_t n, char *msg,
                          size_t cap)
{
	const char *subj = fwt_pubkey_cert_subject(key);
	unsigned char fp[32], other[32];
	size_t i, j;

	/* one key, however encoded: the fingerprint is of its canonical form */
	if (fwt_pubkey_fingerprint(key, fp) == FWT_OK)
		for (i = 0; i < a->nchains; i++)
			for (j = 0; j < a->chains[i].n; j++)
				if (fwt_pubkey_fingerprint(a->chains[i].k[j], other) == FWT_OK && !memcmp(fp, other, 32)) {
					snprintf(msg, cap, "signed by %s%.200s%s, a key of the SPDM responder chain '%.300s': "
					         "a device's own key does not sign reference values", subj ? "'" : "a trusted key",
					         subj ? subj : "", subj ? "'" : "", a->chains[i].name);
					return 1;
				}
	if (fwt_trust_spdm_identity(key)) {
		snprintf(msg, cap, "signed by '%.300s', whose certificate is an SPDM device identity (DMTF SPDM "
		         "extended key usage): a device's own key does not sign reference values", subj ? subj : "?");
		return 1;
	}
	if (a->spdm_trust && chain && n && fwt_pubkey_has_cert(chain[0]) &&
	    fwt_trust_verify_chain(a->ctx, a->spdm_trust, chain, n, a->at) == FWT_OK &&
	    (!a->trust || fwt_trust_verify_chain(a->ctx, a->trust, chain, n, a->at) != FWT_OK)) {
		fwt_ctx_clear_error(a->ctx);
		snprintf(msg, cap, "signed by '%.300s', whose certificate chains to an SPDM device root and not to a "
		         "trusted RIM or SFR signer: a device's identity does not sign reference values",
		         subj ? subj : "?");
		return 1;
	}
	fwt_ctx_clear_error(a->ctx);
	return 0;
}

/* A RIM's signatures entry; *used says whether its references count (all of
 * them without a trust store, only a verified RIM's with one, and never
 * those of an input that is no RIM at all or whose meaning fwtrail does not
 * know, an unknown CoRIM profile's: not_rim, which also makes the record
 * not ok, trust store or not). */
static fwt_err add_rim_sig(fwt_appraise *a, size_t idx, const char *format, int is_signed, int verified,
                           const fwt_pubkey *key, const char *error, int not_rim, int *used)
{
	*used = !not_rim && (a->trust ? verified : 1);
	a->in[idx].verified = !not_rim && verified;
	if ((a->trust || not_rim) && !verified)
		a->rims_failed++;
	if (verified) /* its signer was checked against the SPDM chains given */
		a->signers_checked = 1;
	return add_sig(a, idx, format, is_signed, verified, key, NULL, error, *used, NULL);
}

static fwt_err add_corim(fwt_appraise *a, const unsigned char *buf, size_t len, const char *name)
{
	fwt_corim_verify_result res;
	fwt_corim *c = NULL;
	fwt_corim_kind kind;
	const fwt_pubkey *key = NULL;
	const char *error = NULL;
	char msg[1024];
	json_t *entry = NULL;
	size_t idx, i, t, skipped = 0;
	int is_signed, verified = 0, used, sfr_profile, refused = 0;
	fwt_err err;

	err = fwt_corim_parse(a->ctx, &c, buf, len, NULL);
	if (err)
		return fwt__error_prefix(a->ctx, "'%s'", name);
	err = add_input(a, name, IN_RIM, buf, len, &idx, &entry);
	if (err)
		goto out;
	kind = fwt_corim_get_kind(c);
	is_signed = kind == FWT_CORIM_SIGNED || kind == FWT_CORIM_COSE_SIGN;
	sfr_profile = fwt__sfr_corim_profile(c);
	if (sfr_profile) {
		/* a review's signer vouches for no reference values */
		error = "an OCP SAFE SFR (the CoRIM's profile), not reference values: give it with --sfr";
	} else if (fwt_corim_get_profile(c) && fwt_corim_get_profile(c)->type != FWT_CORIM_ID_NONE) {
		/* a profile may give the claims other meanings than the base
		 * CoRIM's, which are the only ones fwtrail knows */
		char q[200];
		const char *pt = fwt_corim_get_profile(c)->text;
		fwt__quote(q, sizeof(q), pt ? pt : "?", pt ? strlen(pt) : 1);
		snprintf(msg, sizeof(msg), "a CoRIM profile fwtrail does not know ('%s'), which may give its claims "
		         "other meanings", q);
		error = msg;
		refused = 1; /* never used, with or without a trust store */
	} else if (!a->trust && fwt_corim_check_validity(a->ctx, c, a->at, NULL, NULL) != FWT_OK) {
		/* its own dates bind it, whether its signature is checked or
		 * not: never used out of them (with a trust store,
		 * fwt_corim_verify says it) */
		snprintf(msg, sizeof(msg), "%s", fwt_ctx_errmsg(a->ctx));
		error = msg;
		refused = 1;
	} else if (!a->trust) {
		error = is_signed ? "not checked: no trusted key given" : "not signed";
	} else if (!is_signed) {
		error = "not signed";
	} else {
		memset(&res, 0, sizeof(res));
		err = fwt_corim_verify(a->ctx, c, a->trust, a->at, &res);
		err = rim_sig_outcome(a, err, name, msg, sizeof(msg), &verified, &error);
		if (err)
			goto out;
		if (verified)
			key = res.cose.key;
		if (verified && signer_refused(a, key, (fwt_pubkey *const *)&key, 1, msg, sizeof(msg))) {
			verified = 0;
			error = msg;
			key = NULL;
		}
	}
	err = add_rim_sig(a, idx, "corim", is_signed, verified, key, error, sfr_profile || refused, &used);
	for (i = 0; !err && used && i < fwt_corim_comid_count(c); i++) {
		const fwt_comid *m = fwt_corim_comid(c, i);
		for (t = 0; !err && t < m->n_triples; t++) {
			/* reference triples come first, in their order */
			struct corim_at at = { c, i, t };
			if (m->triples[t].type == FWT_CORIM_TRIPLE_REFERENCE && m->triples[t].n_claims == 1)
				err = corim_claims(a, idx, m->triples[t].claims, &at, &skipped);
		}
	}
	if (!err) {
		int oom = 0;
		jset(entry, "format", json_string("corim"), &oom);
		if (skipped)
			jset(entry, "skipped_measurements", json_integer((json_int_t)skipped), &oom);
		if (oom)
			err = fwt__enomem(a->ctx);
	}
out:
	fwt_corim_free(c);
	return err;
}

static const char *swid_first(const fwt_swid *s, const fwt_swid_meta_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fwt_swid_meta(s, f[i]) && *fwt_swid_meta(s, f[i]))
			return fwt_swid_meta(s, f[i]);
	return NULL;
}

/* Why an active SWID measurement cannot be compared. */
static fwt_err swid_unverifiable(fwt_appraise *a, size_t input, const fwt_swid_measurement *m)
{
	const char *alg = m->alg == FWT_DIGEST_SHA1 ? "SHA-1" : m->alg ? fwt_digest_name(m->alg) : NULL;
	char reason[512], key[16];
	json_t *algs = json_array();
	int oom = !algs;
	fwt_err err;

	if (algs)
		jappend(algs, json_string(m->alg == FWT_DIGEST_SHA1 ? "sha1" : alg ? alg : "unknown"), &oom);
	snprintf(key, sizeof(key), "%" PRIu32, m->index);
	if (m->index >= 254)
		snprintf(reason, sizeof(reason), "the RIM's measurement %" PRIu32 " is beyond the SPDM measurement "
		         "indices (SWID index 0 to 253 is SPDM index 1 to 254): fwtrail cannot compare it", m->index);
	else if (m->alg != FWT_DIGEST_SHA256 && m->alg != FWT_DIGEST_SHA384 && m->alg != FWT_DIGEST_SHA512)
		snprintf(reason, sizeof(reason), "the RIM gives only a%s %s reference for SPDM index %" PRIu32 ", which "
		         "fwtrail does not accept", alg ? "" : "n", alg ? alg : "unknown algorithm's",
		         m->index + 1);
	else
		snprintf(reason, sizeof(reason), "the RIM's %s reference for SPDM index %" PRIu32 " is %zu bytes, "
		         "not %zu: fwtrail cannot compare it", alg, m->index + 1, m->size, fwt_digest_size(m->alg));
	err = oom ? fwt__enomem(a->ctx)
	          : add_unverifiable(a, input, "swid", REF_SPDM, m->index < 254, (uint64_t)m->index + 1, key, algs,
	                             reason);
	json_decref(algs);
	return err;
}

static fwt_err add_swid(fwt_appraise *a, const unsigned char *buf, size_t len, const char *name)
{
	static const fwt_swid_meta_field vendor_f[] = { FWT_SWID_META_FIRMWARE_MANUFACTURER_STR,
		                                        FWT_SWID_META_FIRMWARE_MANUFACTURER,
		                                        FWT_SWID_META_PLATFORM_MANUFACTURER_STR };
	static const fwt_swid_meta_field model_f[] = { FWT_SWID_META_PLATFORM_MODEL, FWT_SWID_META_FIRMWARE_MODEL,
		                                       FWT_SWID_META_PRODUCT };
	static const fwt_swid_meta_field version_f[] = { FWT_SWID_META_FIRMWARE_VERSION,
		                                         FWT_SWID_META_COLLOQUIAL_VERSION };
	fwt_swid_verify_options vo = FWT_SWID_VERIFY_OPTIONS_INIT;
	fwt_swid_verify_result res;
	const fwt_swid_identity *id;
	const char *vendor, *model, *version, *error = NULL;
	const fwt_pubkey *key = NULL;
	fwt_swid *s = NULL;
	json_t *entry = NULL;
	struct ref *r;
	fwt_pubkey *chain[16];
	size_t idx, i, k, skipped = 0, nchain = 0;
	char msg[1024], num[16];
	int is_signed, verified = 0, used, oom = 0;
	fwt_err err;

	err = fwt_swid_parse(a->ctx, &s, buf, len, name); /* its messages name the tag */
	if (err)
		return err;
	err = add_input(a, name, IN_RIM, buf, len, &idx, &entry);
	if (err)
		goto out;
	is_signed = fwt_swid_signature(s)->present;
	if (!a->trust) {
		error = is_signed ? "not checked: no trusted key given" : "not signed";
	} else if (!is_signed) {
		error = "not signed";
	} else {
		vo.trust = a->trust;
		vo.at = a->at;
		memset(&res, 0, sizeof(res));
		err = fwt_swid_verify(a->ctx, s, &vo, &res);
		err = rim_sig_outcome(a, err, name, msg, sizeof(msg), &verified, &error);
		if (err)
			goto out;
		if (verified)
			key = res.signer;
		/* the tag's certificates, leaf first: the signer's chain */
		for (nchain = 0; nchain < FWT_ARRAY_LEN(chain) && fwt_swid_cert(s, nchain); nchain++)
			chain[nchain] = (fwt_pubkey *)fwt_swid_cert(s, nchain);
		if (verified && signer_refused(a, key, chain, nchain, msg, sizeof(msg))) {
			verified = 0;
			error = msg;
			key = NULL;
		} else if (!verified && nchain && signer_refused(a, chain[0], chain, nchain, msg, sizeof(msg))) {
			error = msg; /* not trusted anyway: say plainly that a device signed it */
		}
	}
	err = add_rim_sig(a, idx, "swid", is_signed, verified, key, error, 0, &used);
	if (err)
		goto out;
	id = fwt_swid_get_identity(s);
	vendor = swid_first(s, vendor_f, FWT_ARRAY_LEN(vendor_f));
	model = swid_first(s, model_f, FWT_ARRAY_LEN(model_f));
	if (!model)
		model = id->name;
	version = swid_first(s, version_f, FWT_ARRAY_LEN(version_f));
	if (!version)
		version = id->version;
	for (i = 0; used && i < fwt_swid_measurement_count(s); i++) {
		const fwt_swid_measurement *m = fwt_swid_measurement_get(s, i);
		if (!m->active)
			continue;
		if ((err = refs_full(a, idx)))
			goto out;
		if ((m->alg != FWT_DIGEST_SHA256 && m->alg != FWT_DIGEST_SHA384 && m->alg != FWT_DIGEST_SHA512) ||
		    m->size != fwt_digest_size(m->alg) || m->index >= 254) {
			/* never dropped silently: "unverifiable", and not ok */
			err = swid_unverifiable(a, idx, m);
			if (err)
				goto out;
			skipped++;
			continue;
		}
		if (!(r = new_ref(a)))
			goto oom;
		r->kind = REF_SPDM;
		r->index = (uint64_t)m->index + 1; /* NVIDIA: RIM index i is SPDM block i+1 */
		r->rim = idx;
		r->format = "swid";
		r->alternatives = 1;
		snprintf(num, sizeof(num), "%" PRIu32, m->index);
		r->key = dupstr(num);
		r->name = dupstr(m->name);
		r->vendor = dupstr(vendor);
		r->model = dupstr(model);
		r->version = dupstr(version);
		r->d = calloc(m->alternatives ? m->alternatives : 1, sizeof(*r->d));
		if (!r->key || (m->name && !r->name) || (vendor && !r->vendor) || (model && !r->model) ||
		    (version && !r->version) || !r->d)
			goto oom;
		for (k = 0; k < m->alternatives; k++) {
			r->d[k].alg = m->alg;
			r->d[k].len = m->size;
			memcpy(r->d[k].v, m->values + k * m->size, m->size);
		}
		r->nd = m->alternatives;
	}
	/* a TCG PC Client base RIM's Payload Files name support RIMs
	 * (reference event logs), which attest check does not read: never
	 * taken as nothing to compare, each is "unverifiable", and not ok */
	for (i = 0; used && !err && i < fwt_swid_file_count(s); i++) {
		const fwt_swid_file *f = fwt_swid_file_get(s, i);
		json_t *algs = json_array();
		char q[200], reason[512];
		if (!algs)
			goto oom;
		for (k = 0; k < f->nhashes; k++)
			jappend(algs, jstr(fwt_digest_name(f->hashes[k].alg)), &oom);
		fwt__quote(q, sizeof(q), f->name ? f->name : "", f->name ? strlen(f->name) : 0);
		snprintf(reason, sizeof(reason), "the RIM's Payload File '%s' is a support RIM (a reference event log), "
		         "which attest check does not read: its reference values are not used", q);
		err = oom ? fwt__enomem(a->ctx)
		          : add_unverifiable(a, idx, "swid", REF_ANY, 0, 0, f->name ? f->name : "", algs, reason);
		json_decref(algs);
		skipped++;
	}
	if (err)
		goto out;
	if (used)
		err = add_product(a, vendor, model, version, 0, 0, "rim", idx);
	jset(entry, "format", json_string("swid"), &oom);
	if (skipped)
		jset(entry, "skipped_measurements", json_integer((json_int_t)skipped), &oom);
	if (!err && oom)
		goto oom;
out:
	fwt_swid_free(s);
	return err;
oom:
	fwt_swid_free(s);
	return fwt__enomem(a->ctx);
}

#define NOT_A_RIM "not a RIM fwtrail reads (a CoRIM is CBOR, a TCG SWID tag is XML)"

fwt_err fwt_appraise_add_rim(fwt_appraise *a, const void *buf, size_t len, const char *name)
{
	struct mark m;

	if (!a || (!buf && len))
		return a ? fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_add_rim") : FWT_EINVAL;
	if (!name)
		name = "-";
	mark_get(a, &m);
	if (len && fwt_swid_sniff(buf, len))
		return rollback(a, &m, add_swid(a, buf, len, name));
	/* text, which no CoRIM is: refused as rim verify refuses it */
	switch (fwt_corim_text_kind(buf, len)) {
	case FWT_TEXT_NONE:
		break;
	case FWT_TEXT_JWS:
		return fwt__error(a->ctx, FWT_EUNSUPPORTED, "'%s': " NOT_A_RIM ": it is a compact JWS, as a signed OCP "
		                  "SAFE SFR is (give SFRs with --sfr)", name);
	case FWT_TEXT_JSON:
		return fwt__error(a->ctx, FWT_EUNSUPPORTED, "'%s': " NOT_A_RIM ": it is JSON, as an unsigned OCP SAFE "
		                  "SFR is (give SFRs with --sfr)", name);
	default:
		return fwt__error(a->ctx, FWT_EUNSUPPORTED, "'%s': " NOT_A_RIM, name);
	}
	return rollback(a, &m, add_corim(a, buf, len, name));
}

fwt_err fwt_appraise_add_rim_file(fwt_appraise *a, const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (!a || !path)
		return a ? fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_add_rim_file") : FWT_EINVAL;
	err = read_input(a, path, FWT_APPRAISE_MAX_INPUT, &buf, &len);
	if (!err)
		err = fwt_appraise_add_rim(a, buf, len, path);
	free(buf);
	return err;
}

/* ---- SPDM signatures ---- */

fwt_err fwt_appraise_add_spdm_chain(fwt_appraise *a, fwt_pubkey *const *chain, size_t n, const char *name)
{
	struct chain *c;
	size_t i;

	if (!a || !chain || !n)
		return a ? fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_add_spdm_chain") : FWT_EINVAL;
	if (a->ran)
		return fwt__error(a->ctx, FWT_EINVAL, "the appraisal has already run");
	if (a->signers_checked) /* a signer already accepted may be a key of this chain */
		return fwt__error(a->ctx, FWT_EINVAL, "SPDM chains must be added before the RIMs and SFRs whose "
		                  "signers are checked against them");
	for (i = 0; i < n; i++)
		if (!chain[i])
			return fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_add_spdm_chain");
	if (grow((void **)&a->chains, &a->capchains, a->nchains, sizeof(*a->chains)))
		return fwt__enomem(a->ctx);
	c = &a->chains[a->nchains];
	memset(c, 0, sizeof(*c));
	c->name = dupstr(name ? name : fwt_pubkey_name(chain[0]));
	c->k = calloc(n, sizeof(*c->k));
	if (!c->name || !c->k) {
		chain_clear(c);
		return fwt__enomem(a->ctx);
	}
	for (i = 0; i < n; i++)
		c->k[c->n++] = fwt_pubkey_ref(chain[i]);
	a->nchains++;
	return FWT_OK;
}

fwt_err fwt_appraise_add_spdm_chain_file(fwt_appraise *a, const char *path)
{
	fwt_pubkey **k = NULL;
	size_t n = 0, i;
	fwt_err err;

	if (!a || !path)
		return a ? fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_add_spdm_chain_file") : FWT_EINVAL;
	err = fwt_pubkey_load_all(a->ctx, path, &k, &n);
	if (!err && !n)
		err = fwt__error(a->ctx, FWT_EFORMAT, "'%s': no certificate in the chain file", path);
	if (!err)
		err = fwt_appraise_add_spdm_chain(a, k, n, path);
	for (i = 0; i < n; i++)
		fwt_pubkey_free(k[i]);
	free(k);
	return err;
}

fwt_err fwt_appraise_set_spdm_nonce(fwt_appraise *a, const char *evidence, const unsigned char *nonce)
{
	struct nonce *x;
	size_t i;

	if (!a || !nonce)
		return a ? fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_set_spdm_nonce") : FWT_EINVAL;
	if (a->ran)
		return fwt__error(a->ctx, FWT_EINVAL, "the appraisal has already run");
	for (i = 0; i < a->nnonces; i++)
		if ((!evidence && !a->nonces[i].name) ||
		    (evidence && a->nonces[i].name && !strcmp(evidence, a->nonces[i].name)))
			return fwt__error(a->ctx, FWT_EINVAL, "two nonces given for %s%s%s", evidence ? "'" : "",
			                  evidence ? evidence : "all SPDM evidence", evidence ? "'" : "");
	if (grow((void **)&a->nonces, &a->capnonces, a->nnonces, sizeof(*a->nonces)))
		return fwt__enomem(a->ctx);
	x = &a->nonces[a->nnonces];
	memset(x, 0, sizeof(*x));
	if (evidence && !(x->name = dupstr(evidence)))
		return fwt__enomem(a->ctx);
	memcpy(x->v, nonce, FWT_SPDM_NONCE_SIZE);
	a->nnonces++;
	return FWT_OK;
}

/* The nonce evidence name must answer: its own, else the one for all. */
static struct nonce *nonce_for(fwt_appraise *a, const char *name)
{
	struct nonce *all = NULL;
	size_t i;

	for (i = 0; i < a->nnonces; i++) {
		if (!a->nonces[i].name)
			all = &a->nonces[i];
		else if (!strcmp(a->nonces[i].name, name))
			return &a->nonces[i];
	}
	return all;
}

/* 1 when the evidence does not answer the nonce expected (it carries
 * another, or none), with the "stale evidence" message in msg. */
static int stale(const fwt_spdm *s, const struct nonce *n, char *msg, size_t cap)
{
	const unsigned char *got = fwt_spdm_requester_nonce(s);
	char h[2 * FWT_SPDM_NONCE_SIZE + 1];

	if (!got) {
		snprintf(msg, cap, "stale evidence: %s no nonce, not the one expected",
		         fwt_spdm_get_source(s) == FWT_SPDM_TRANSCRIPT ? "the last GET_MEASUREMENTS request carries"
		                                                       : "the Redfish measurements carry");
		return 1;
	}
	if (!CRYPTO_memcmp(got, n->v, FWT_SPDM_NONCE_SIZE))
		return 0;
	fwt_hex_encode(h, got, FWT_SPDM_NONCE_SIZE);
	snprintf(msg, cap, "stale evidence: the request's nonce %s is not the one expected", h);
	return 1;
}

/* What fwt_spdm_verify says "no" with: this chain does not fit; other
 * codes (memory, the crypto backend) stop the appraisal. */
static int spdm_no(fwt_err err)
{
	return err == FWT_EVERIFY || err == FWT_EUNSUPPORTED || err == FWT_EFORMAT || err == FWT_EINVAL;
}

/*
 * Check the signature of one SPDM evidence with the chains given: the
 * chain whose leaf verifies the transcript is the one used (signature
 * only, through fwt_spdm_verify); then that chain is checked again with the
 * trust store (chain validation) and the nonce, when given.  Unsigned
 * evidence, or signed evidence with no chain given, is "unauthenticated"
 * (but an unsigned transcript when chains were given is "failed": they
 * were given to authenticate it);
 * a signature checked that does not verify (no chain fits, a stale nonce,
 * a chain that does not validate) is "failed".  Evidence that does not
 * answer the nonce expected is "failed" too when there is no signature to
 * check (unsigned, or no chain given): the nonce is read from the
 * transcript, and no signature would make it fresh.  So is evidence whose
 * measurements are not of the running state (fwt_spdm_check_state), signed
 * or not, before any chain is tried.  Either way the evidence was checked
 * ("signature_checked"), and the answer is no: only "unauthenticated"
 * evidence, which nothing could decide, leaves it false, and a policy reads
 * it so (fwtrail-policy(5), the signatures rule).
 */
static fwt_err check_spdm(fwt_appraise *a, struct spdm_ev *e)
{
	fwt_spdm_verify_options vo = FWT_SPDM_VERIFY_OPTIONS_INIT;
	fwt_spdm_verdict vd;
	fwt_trust_path path = { 0 };
	fwt_pubkey *leaf;
	const char *name = a->in[e->input].name, *auth, *error = NULL;
	struct nonce *nonce = nonce_for(a, name);
	json_t *entry = NULL, *sig = NULL;
	size_t i, found = NONE;
	unsigned char fp[32];
	char msg[1024], first[768];
	int is_signed = fwt_spdm_is_signed(e->s), checked = 0, verified = 0, oom = 0;
	fwt_err err;

	memset(&vd, 0, sizeof(vd));
	first[0] = '\0';
	if (nonce)
		nonce->used = 1;
	err = fwt_spdm_check_state(a->ctx, e->s);
	if (err == FWT_EVERIFY) {
		/* whoever signed it: every chain would say no for this reason */
		snprintf(msg, sizeof(msg), "%s", fwt_ctx_errmsg(a->ctx));
		fwt_ctx_clear_error(a->ctx);
		error = msg;
		checked = 1;
	} else if (err) {
		return fwt__error_prefix(a->ctx, "'%s'", name);
	} else if (nonce && (!is_signed || !a->nchains) && stale(e->s, nonce, msg, sizeof(msg))) {
		/* with a chain, fwt_spdm_verify compares it after the signature */
		error = msg;
		checked = 1;
	} else if (!is_signed && a->nchains && fwt_spdm_get_source(e->s) == FWT_SPDM_TRANSCRIPT) {
		/* a responder chain was given to authenticate it: a transcript
		 * that asked for no signature is what a responder that stopped
		 * signing would send, with whatever digests it likes */
		error = "the measurements are not signed, though a responder certificate chain was given to "
		        "authenticate them";
		checked = 1;
	} else if (!is_signed) {
		error = fwt_spdm_get_source(e->s) == FWT_SPDM_TRANSCRIPT
		                ? "unauthenticated: the measurements are not signed"
		                : "unauthenticated: Redfish measurements carry no signature";
	} else if (!a->nchains) {
		error = "unauthenticated: no responder certificate chain given";
	} else {
		checked = 1;
		vo.at = a->at;
		for (i = 0; i < a->nchains && found == NONE; i++) {
			vo.chain = a->chains[i].k;
			vo.chain_len = a->chains[i].n;
			err = fwt_spdm_verify(a->ctx, e->s, &vo, &vd);
			if (!err) {
				found = i;
			} else if (spdm_no(err)) {
				if (!first[0])
					snprintf(first, sizeof(first), "%s", fwt_ctx_errmsg(a->ctx));
				fwt_ctx_clear_error(a->ctx);
			} else {
				return fwt__error_prefix(a->ctx, "'%s'", name);
			}
		}
		if (found == NONE) {
			if (a->nchains == 1)
				snprintf(msg, sizeof(msg), "%s", first);
			else
				snprintf(msg, sizeof(msg), "the signature does not verify with the leaf of any of the %zu chains "
				         "given ('%s': %s)", a->nchains, a->chains[0].name, first);
			error = msg;
		} else if (a->spdm_trust || a->trust || nonce) {
			vo.chain = a->chains[found].k;
			vo.chain_len = a->chains[found].n;
			/* the device roots, apart when given; else the one store */
			vo.trust = a->spdm_trust ? a->spdm_trust : a->trust;
			vo.nonce = nonce ? nonce->v : NULL;
			vo.path = &path;
			err = fwt_spdm_verify(a->ctx, e->s, &vo, &vd);
			if (!err) {
				verified = 1;
			} else if (spdm_no(err)) {
				/* the one store of RIM and review signers holds no
				 * device root, most often: say where it goes */
				snprintf(msg, sizeof(msg), "%s%s%s", err == FWT_EINVAL ? "cannot validate the responder's chain: " : "",
				         fwt_ctx_errmsg(a->ctx),
				         err == FWT_EINVAL && !a->spdm_trust ? " (give the device's root as the SPDM trust store, "
				                                                "apart from the RIM signers)" : "");
				fwt_ctx_clear_error(a->ctx);
				error = msg;
			} else {
				return fwt__error_prefix(a->ctx, "'%s'", name);
			}
		} else {
			verified = 1;
		}
	}
	/* the signer is the chain's leaf: first, or last in DSP0274 order */
	leaf = verified ? a->chains[found].k[vd.leaf_index] : NULL;
	if (verified && fwt_pubkey_fingerprint(leaf, fp) != FWT_OK)
		return fwt__error(a->ctx, FWT_ECRYPTO, "cannot fingerprint the leaf of '%s'", a->chains[found].name);
	e->has_fp = 0;
	if (verified) {
		/* one device's evidence never stands in for another's: a second
		 * evidence signed by a responder key already seen (the same
		 * transcript given twice, say) is checked and a "no" */
		const struct spdm_ev *o;
		for (o = a->spdm; o < e; o++)
			if (o->has_fp && !memcmp(o->fp, fp, 32))
				break;
		if (o < e) {
			char q[200];
			const char *on = a->in[o->input].name;
			fwt__quote(q, sizeof(q), on, strlen(on));
			snprintf(msg, sizeof(msg), "signed by the same responder key as '%s': one device's evidence cannot "
			         "stand in for another's: give one evidence per device", q);
			error = msg;
			verified = 0;
			leaf = NULL;
		} else {
			memcpy(e->fp, fp, 32);
			e->has_fp = 1;
		}
	}
	auth = verified ? "verified" : checked ? "failed" : "unauthenticated";
	if (checked && !verified)
		a->spdm_failed++;
	else if (!checked)
		a->spdm_unauth++;
	err = add_sig(a, e->input, spdm_format(e->s), is_signed, verified, leaf, verified ? fp : NULL, error, 0, &sig);
	if (err)
		return err;
	entry = json_array_get(a->inputs, e->input); /* one "inputs" entry per input, in order */
	/* the same facts in the signatures entry and in the evidence's input */
	for (i = 0; i < 2; i++) {
		json_t *o = i ? entry : sig;
		if (!o)
			continue;
		if (i) {
			jset(o, "verified", json_boolean(verified), &oom);
			jset(o, "fingerprint", verified ? jhex(fp, 32) : json_null(), &oom);
			jset(o, "error", error ? jstr(error) : json_null(), &oom);
		}
		jset(o, "signature_checked", json_boolean(checked), &oom);
		jset(o, "authentication", json_string(auth), &oom);
		jset(o, "chain", found != NONE ? jstr(a->chains[found].name) : json_null(), &oom);
		jset(o, "signer", found != NONE && vd.signer[0] ? jstr(vd.signer) : json_null(), &oom);
		jset(o, "chain_validated", json_boolean(verified && vd.chain_checked), &oom);
		jset(o, "nonce_checked", json_boolean(verified && vd.nonce_checked), &oom);
		/* the certificates the validated chain went through, leaf to
		 * anchor: a policy's vendor key may be one of them */
		if (verified && vd.chain_checked && path.n) {
			json_t *p = json_array();
			size_t j;
			for (j = 0; p && j < path.n; j++)
				jappend(p, jhex(path.fp[j], 32), &oom);
			jset(o, "path_fingerprints", p, &oom);
		}
	}
	return oom ? fwt__enomem(a->ctx) : FWT_OK;
}

static fwt_err check_spdm_all(fwt_appraise *a)
{
	size_t i;
	fwt_err err;

	for (i = 0; i < a->nspdm; i++)
		if ((err = check_spdm(a, &a->spdm[i])) != FWT_OK)
			return err;
	for (i = 0; i < a->nnonces; i++)
		if (a->nonces[i].name && !a->nonces[i].used)
			return fwt__error(a->ctx, FWT_EINVAL, "a nonce is given for '%s', which is not SPDM evidence here",
			                  a->nonces[i].name);
	return FWT_OK;
}

/* ---- SFRs ---- */

static fwt_err add_sfr(fwt_appraise *a, const void *buf, size_t len, const char *name)
{
	fwt_sfr_verify_options vo = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_result res;
	const char *error = NULL;
	json_t *entry = NULL;
	size_t idx;
	char msg[1024];
	int verified, oom = 0;
	fwt_err err;

	memset(&res, 0, sizeof(res));
	vo.trust = a->sfr_trust ? a->sfr_trust : a->trust;
	vo.require_signature = vo.trust != NULL;
	/* JSON, JWS, and the CoRIM form (unsigned, COSE_Sign1, COSE_Sign) */
	err = fwt_sfr_check_buffer(a->ctx, &vo, buf, len, name, &res);
	if (err && err != FWT_EVERIFY && err != FWT_EUNSUPPORTED && err != FWT_ENOTFOUND) {
		/* malformed, unreadable, or the crypto backend failed */
		err = fwt__error(a->ctx, err, "'%s': %s", name, res.message);
		fwt_sfr_result_clear(&res);
		return err;
	}
	if (err && !res.sfr) {
		err = fwt__error(a->ctx, FWT_EFORMAT, "'%s': %s", name, res.message);
		fwt_sfr_result_clear(&res);
		return err;
	}
	/* device.vendor and device.product are required (OCP SAFE; `sfr lint`
	 * says so too): a report that does not say what it reviewed cannot be
	 * cross-checked with the RIM's environment (T3), so it is malformed,
	 * signed or not */
	if (fwt_sfr_check_identity(a->ctx, res.sfr) != FWT_OK) {
		err = fwt__error_prefix(a->ctx, "'%s'", name);
		fwt_sfr_result_clear(&res);
		return err;
	}
	verified = !err && res.is_signed && res.sig_checked;
	if (verified && signer_refused(a, res.key, (fwt_pubkey *const *)&res.key, 1, msg, sizeof(msg))) {
		verified = 0;
		error = msg;
	} else if (verified) {
		a->signers_checked = 1;
	} else if (err)
		error = res.message;
	else if (!res.is_signed)
		error = "not signed";
	else if (!res.sig_checked)
		error = "not checked: no trusted key given";
	err = add_input(a, name, IN_SFR, buf, len, &idx, &entry);
	if (!err)
		err = add_sig(a, idx, fwt_sfr_format_name(res.format), res.is_signed, verified, verified ? res.key : NULL,
		              verified ? res.key_fingerprint : NULL, error, 0, NULL);
	if (!err) {
		jset(entry, "format", json_string(fwt_sfr_format_name(res.format)), &oom);
		if (res.alg_inferred)
			jset(entry, "alg_inferred", json_true(), &oom);
		if (oom)
			err = fwt__enomem(a->ctx);
	}
	if (!err && verified) {
		if (grow((void **)&a->sfrs, &a->capsfrs, a->nsfrs, sizeof(*a->sfrs))) {
			err = fwt__enomem(a->ctx);
		} else {
			memset(&a->sfrs[a->nsfrs], 0, sizeof(a->sfrs[a->nsfrs]));
			a->sfrs[a->nsfrs].input = idx;
			a->sfrs[a->nsfrs++].s = res.sfr;
			res.sfr = NULL;
			err = add_product(a, fwt_sfr_get(a->sfrs[a->nsfrs - 1].s, FWT_SFR_VENDOR, NULL),
			                  fwt_sfr_get(a->sfrs[a->nsfrs - 1].s, FWT_SFR_PRODUCT, NULL),
			                  fwt_sfr_get(a->sfrs[a->nsfrs - 1].s, FWT_SFR_FW_VERSION, NULL), 0, 0, "sfr", idx);
		}
	}
	fwt_sfr_result_clear(&res);
	return err;
}

fwt_err fwt_appraise_add_sfr(fwt_appraise *a, const void *buf, size_t len, const char *name)
{
	struct mark m;

	if (!a || (!buf && len))
		return a ? fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_add_sfr") : FWT_EINVAL;
	mark_get(a, &m);
	return rollback(a, &m, add_sfr(a, buf, len, name ? name : "-"));
}

fwt_err fwt_appraise_add_sfr_file(fwt_appraise *a, const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (!a || !path)
		return a ? fwt__error(a->ctx, FWT_EINVAL, "bad arguments to fwt_appraise_add_sfr_file") : FWT_EINVAL;
	err = read_input(a, path, FWT_SFR_MAX_SIZE, &buf, &len);
	if (!err)
		err = fwt_appraise_add_sfr(a, buf, len, path);
	free(buf);
	return err;
}

/* ---- matching ---- */

/* Does ref r hold value v of algorithm alg? */
static int ref_has(const struct ref *r, fwt_digest_alg alg, const unsigned char *v, size_t len)
{
	size_t i;

	for (i = 0; i < r->nd; i++)
		if (r->d[i].alg == alg && r->d[i].len == len && !memcmp(r->d[i].v, v, len))
			return 1;
	return 0;
}

/* Is every alg value of p also one of q's? */
static int subset(const struct ref *p, const struct ref *q, fwt_digest_alg alg)
{
	size_t i;

	for (i = 0; i < p->nd; i++)
		if (p->d[i].alg == alg && !ref_has(q, alg, p->d[i].v, p->d[i].len))
			return 0;
	return 1;
}

/* Distinct values of algorithm alg in r. */
static size_t count_values(const struct ref *r, fwt_digest_alg alg)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->nd; i++) {
		if (r->d[i].alg != alg)
			continue;
		for (j = 0; j < i; j++)
			if (r->d[j].alg == alg && !memcmp(r->d[j].v, r->d[i].v, r->d[i].len))
				break;
		n += j == i;
	}
	return n;
}

/* The SPDM references grouped by index: their positions sorted by (index,
 * position), so each index's references are one run, in input order.
 * Built once, O(n log n); conflicts and matching then read one run per
 * index instead of scanning every reference (a hostile RIM may hold many). */
struct spdm_key {
	uint64_t index;
	size_t ref;
};

/* For matching a block: the references of an index that can be compared
 * with it, by kind (a match algorithm, or 0: a raw value), in input order;
 * and every digest value, sorted, so that the first reference holding the
 * block's value is found by binary search.  marked: the range starting
 * there has been marked "seen" (done once, whatever the blocks). */
struct spdm_cmp {
	uint64_t index;
	unsigned kind;
	size_t ref;
};

struct spdm_val {
	uint64_t index;
	fwt_digest_alg alg;
	const unsigned char *v;
	size_t len, ref;
};

struct spdmindex {
	struct spdm_key *k;
	size_t n;
	struct spdm_cmp *cmp;
	unsigned char *marked;
	size_t ncmp;
	struct spdm_val *val;
	size_t nval;
};

static void spdmindex_free(struct spdmindex *x)
{
	free(x->k);
	free(x->cmp);
	free(x->marked);
	free(x->val);
	memset(x, 0, sizeof(*x));
}

static int spdm_cmp_cmp(const void *x, const void *y)
{
	const struct spdm_cmp *p = x, *q = y;

	if (p->index != q->index)
		return p->index < q->index ? -1 : 1;
	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	return p->ref < q->ref ? -1 : p->ref > q->ref;
}

static int spdm_val_key(const struct spdm_val *p, const struct spdm_val *q)
{
	if (p->index != q->index)
		return p->index < q->index ? -1 : 1;
	if (p->alg != q->alg)
		return p->alg < q->alg ? -1 : 1;
	if (p->len != q->len)
		return p->len < q->len ? -1 : 1;
	return memcmp(p->v, q->v, p->len);
}

static int spdm_val_cmp(const void *x, const void *y)
{
	const struct spdm_val *p = x, *q = y;
	int c = spdm_val_key(p, q);

	return c ? c : p->ref < q->ref ? -1 : p->ref > q->ref;
}

static int spdm_key_cmp(const void *x, const void *y)
{
	const struct spdm_key *p = x, *q = y;

	if (p->index != q->index)
		return p->index < q->index ? -1 : 1;
	return p->ref < q->ref ? -1 : p->ref > q->ref;
}

/* Is d a value of a match algorithm, of its full length? */
static unsigned match_kind(const struct dig *d)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(match_algs); i++)
		if (d->alg == match_algs[i] && d->len == fwt_digest_size(d->alg))
			return (unsigned)d->alg;
	return 0;
}

static fwt_err spdmindex_build(fwt_appraise *a, struct spdmindex *x)
{
	size_t i, k, nd = 0;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < a->nrefs; i++)
		if (a->refs[i].kind == REF_SPDM)
			nd += a->refs[i].nd + 1;
	x->k = malloc((a->nrefs ? a->nrefs : 1) * sizeof(*x->k));
	x->cmp = malloc((nd ? nd : 1) * sizeof(*x->cmp));
	x->marked = calloc(nd ? nd : 1, 1);
	x->val = malloc((nd ? nd : 1) * sizeof(*x->val));
	if (!x->k || !x->cmp || !x->marked || !x->val) {
		spdmindex_free(x);
		return fwt__enomem(a->ctx);
	}
	for (i = 0; i < a->nrefs; i++) {
		const struct ref *r = &a->refs[i];
		unsigned kinds = 0, kind;
		if (r->kind != REF_SPDM)
			continue;
		x->k[x->n].index = r->index;
		x->k[x->n++].ref = i;
		if (r->raw)
			x->cmp[x->ncmp++] = (struct spdm_cmp){ r->index, 0, i };
		for (k = 0; k < r->nd; k++) {
			if (!(kind = match_kind(&r->d[k])))
				continue;
			x->val[x->nval++] = (struct spdm_val){ r->index, r->d[k].alg, r->d[k].v, r->d[k].len, i };
			if (!(kinds & kind))
				x->cmp[x->ncmp++] = (struct spdm_cmp){ r->index, kind, i };
			kinds |= kind;
		}
	}
	qsort(x->k, x->n, sizeof(*x->k), spdm_key_cmp);
	qsort(x->cmp, x->ncmp, sizeof(*x->cmp), spdm_cmp_cmp);
	qsort(x->val, x->nval, sizeof(*x->val), spdm_val_cmp);
	return FWT_OK;
}

/* The references of c's index that can be compared with c (cmp_raw or
 * cmp_digests would not give CMP_NONE): [*lo, return value) in x->cmp, in input order. */
static size_t spdm_comparable(const struct spdmindex *x, const struct comp *c, size_t *lo)
{
	struct spdm_cmp key = { c->index, 0, 0 };
	size_t l = 0, h = x->ncmp, e;

	*lo = 0;
	if (!c->raw && !(c->nd == 1 && (key.kind = match_kind(&c->d[0]))))
		return 0; /* a digest no reference can be compared with */
	while (l < h) { /* the first entry not below (index, kind) */
		size_t m = l + (h - l) / 2;
		if (x->cmp[m].index < key.index || (x->cmp[m].index == key.index && x->cmp[m].kind < key.kind))
			l = m + 1;
		else
			h = m;
	}
	for (e = l; e < x->ncmp && x->cmp[e].index == key.index && x->cmp[e].kind == key.kind; e++)
		;
	*lo = l;
	return e;
}

/* The first reference (in input order) of c's index holding c's digest,
 * or NONE. */
static size_t spdm_first_equal(const struct spdmindex *x, const struct comp *c)
{
	struct spdm_val key = { c->index, c->d[0].alg, c->d[0].v, c->d[0].len, 0 };
	size_t l = 0, h = x->nval;

	while (l < h) {
		size_t m = l + (h - l) / 2;
		if (spdm_val_key(&x->val[m], &key) < 0)
			l = m + 1;
		else
			h = m;
	}
	return l < x->nval && !spdm_val_key(&x->val[l], &key) ? x->val[l].ref : NONE;
}

/* The run of references for SPDM index idx: [*lo, return value). */
static size_t spdmindex_run(const struct spdmindex *x, uint64_t idx, size_t *lo)
{
	size_t l = 0, h = x->n, e;

	while (l < h) { /* the first key >= idx */
		size_t m = l + (h - l) / 2;
		if (x->k[m].index < idx)
			l = m + 1;
		else
			h = m;
	}
	for (e = l; e < x->n && x->k[e].index == idx; e++)
		;
	*lo = l;
	return e;
}

/* A conflict entry for SPDM index index and algorithm alg ("raw" for raw
 * values), and in *list the array for its references; NULL when out of
 * memory. */
static json_t *conflict_new(uint64_t index, const char *alg, json_t **list, int *oom)
{
	json_t *c = json_object();

	*list = json_array();
	if (!c || !*list) {
		json_decref(c);
		json_decref(*list);
		*list = NULL;
		return NULL;
	}
	jset(c, "source", json_string("spdm"), oom);
	jset(c, "index", index <= INT64_MAX ? json_integer((json_int_t)index) : json_null(), oom);
	jset(c, "alg", json_string(alg), oom);
	return c;
}

/* Whether two references' raw values (and masks) are the same. */
static int same_raw(const struct ref *p, const struct ref *q)
{
	return p->raw_len == q->raw_len && !memcmp(p->raw, q->raw, p->raw_len) && !p->mask == !q->mask &&
	       (!p->mask || (p->mask_len == q->mask_len && !memcmp(p->mask, q->mask, p->mask_len)));
}

/* The references of one SPDM index that give a raw value (a version, an
 * SVN) must give the same one: two releases' RIMs disagreeing on it are a
 * conflict, as for digests, or the older would match a rolled-back device. */
static fwt_err raw_conflicts(fwt_appraise *a, const struct spdmindex *x, size_t lo, size_t hi)
{
	uint64_t index = x->k[lo].index;
	const struct ref *first = NULL;
	int conflict = 0, oom = 0;
	json_t *c, *list;
	size_t j;

	for (j = lo; j < hi; j++) {
		const struct ref *q = &a->refs[x->k[j].ref];
		if (!q->raw)
			continue;
		if (!first)
			first = q;
		else if (!same_raw(first, q))
			conflict = 1;
	}
	if (!conflict)
		return FWT_OK;
	if (!(c = conflict_new(index, "raw", &list, &oom)))
		return fwt__enomem(a->ctx);
	for (j = lo; j < hi; j++) {
		const struct ref *q = &a->refs[x->k[j].ref];
		json_t *e;
		if (!q->raw)
			continue;
		if (!(e = json_object())) {
			oom = 1;
			break;
		}
		jset(e, "rim", jstr(a->in[q->rim].name), &oom);
		jset(e, "key", jstr(q->key), &oom);
		jset(e, "raw", jhex(q->raw, q->raw_len), &oom);
		if (q->mask)
			jset(e, "mask", jhex(q->mask, q->mask_len), &oom);
		jappend(list, e, &oom);
	}
	jset(c, "references", list, &oom);
	jappend(a->conflicts, c, &oom);
	return oom ? fwt__enomem(a->ctx) : FWT_OK;
}

/* The conflicts of one SPDM index, whose references are the run [lo, hi). */
static fwt_err index_conflicts(fwt_appraise *a, const struct spdmindex *x, size_t lo, size_t hi)
{
	uint64_t index = x->k[lo].index;
	size_t j, k, v;
	int oom = 0;

	for (k = 0; k < FWT_ARRAY_LEN(match_algs); k++) {
		fwt_digest_alg alg = match_algs[k];
		const struct ref *first = NULL;
		int conflict = 0;
		json_t *c, *list;
		for (j = lo; j < hi; j++) {
			const struct ref *q = &a->refs[x->k[j].ref];
			size_t nv = count_values(q, alg);
			if (!nv)
				continue;
			if (!q->alternatives && nv > 1)
				conflict = 1;
			if (!first)
				first = q;
			else if (!subset(first, q, alg) || !subset(q, first, alg))
				conflict = 1;
		}
		if (!conflict)
			continue;
		if (!(c = conflict_new(index, fwt_digest_name(alg), &list, &oom)))
			return fwt__enomem(a->ctx);
		for (j = lo; j < hi; j++) {
			const struct ref *q = &a->refs[x->k[j].ref];
			json_t *e, *ds;
			if (!count_values(q, alg))
				continue;
			e = json_object();
			ds = json_array();
			if (!e || !ds) {
				json_decref(e);
				json_decref(ds);
				oom = 1;
				break;
			}
			jset(e, "rim", jstr(a->in[q->rim].name), &oom);
			jset(e, "key", jstr(q->key), &oom);
			for (v = 0; v < q->nd; v++)
				if (q->d[v].alg == alg)
					jappend(ds, jhex(q->d[v].v, q->d[v].len), &oom);
			jset(e, "digests", ds, &oom);
			jappend(list, e, &oom);
		}
		jset(c, "references", list, &oom);
		jappend(a->conflicts, c, &oom);
		if (oom)
			return fwt__enomem(a->ctx);
	}
	return raw_conflicts(a, x, lo, hi);
}

/* The references for one SPDM index must agree on each algorithm: the same
 * set of values (SWID alternatives are one set), and one value per
 * measurement map otherwise.  Disagreements go to "conflicts", each index
 * in the order of its first reference. */
static fwt_err find_conflicts(fwt_appraise *a, const struct spdmindex *x)
{
	size_t *first, i, lo, hi;
	fwt_err err = FWT_OK;

	/* first[r]: where the run of reference r starts, when r is the first
	 * reference of its index; NONE otherwise */
	first = malloc((a->nrefs ? a->nrefs : 1) * sizeof(*first));
	if (!first)
		return fwt__enomem(a->ctx);
	for (i = 0; i < a->nrefs; i++)
		first[i] = NONE;
	for (lo = 0; lo < x->n; lo = hi) {
		for (hi = lo + 1; hi < x->n && x->k[hi].index == x->k[lo].index; hi++)
			;
		first[x->k[lo].ref] = lo;
	}
	for (i = 0; !err && i < a->nrefs; i++) {
		if (first[i] == NONE)
			continue;
		lo = first[i];
		for (hi = lo + 1; hi < x->n && x->k[hi].index == x->k[lo].index; hi++)
			;
		err = index_conflicts(a, x, lo, hi);
	}
	free(first);
	return err;
}

/* An SPDM block against the references of its index: the first (in input
 * order) that matches, else the first it can be compared with (a
 * mismatch), else unknown.  Every reference it can be compared with is
 * "seen" (not missing); a range is marked once, so many blocks of one
 * index and many references for it stay linear. */
static void match_spdm(fwt_appraise *a, struct spdmindex *x, struct comp *c)
{
	size_t j, lo, hi, best = NONE, any;
	fwt_digest_alg alg = c->raw ? 0 : c->valg;

	hi = spdm_comparable(x, c, &lo);
	if (lo < hi && !x->marked[lo]) {
		for (j = lo; j < hi; j++)
			a->refs[x->cmp[j].ref].seen = 1;
		x->marked[lo] = 1;
	}
	if (lo < hi && c->raw) { /* masks: compared one by one */
		for (j = lo; j < hi && best == NONE; j++)
			if (cmp_raw(c, &a->refs[x->cmp[j].ref]) == CMP_MATCH)
				best = x->cmp[j].ref;
	} else if (lo < hi) {
		best = spdm_first_equal(x, c);
	}
	if (best != NONE) {
		c->status = FWT_APPRAISE_MATCH;
		c->ref = best;
		c->cmp_alg = alg;
	} else if (lo < hi) {
		c->status = FWT_APPRAISE_MISMATCH;
		c->ref = x->cmp[lo].ref;
		c->cmp_alg = alg;
	} else {
		c->status = FWT_APPRAISE_UNKNOWN;
		if (spdmindex_run(x, c->index, &any) > any)
			c->note = dupstr(c->raw ? "the references for this index hold no raw value"
			                        : "the references for this index hold no digest of this algorithm");
	}
}

/*
 * The event-log references, indexed for matching.  An event matches a
 * reference when, for every algorithm both hold (SHA-256/384/512), one of
 * the reference's values is the event's (cmp_digests).  Which algorithms
 * those are depends on the reference's own set (its "shape"), so each
 * reference is filed under one key per non-empty subset S of its shape:
 * (shape, S, one value per algorithm of S); with alternatives, one key per
 * combination.  An event then looks up, for each shape present, the one
 * key (shape, shape & its algorithms, its values): every reference filed
 * there matches it, and no other does.  Keys are kept sorted and found by
 * binary search (no hash an input could flood).  References of one key
 * form a class; within it, one run per binding (a PCR, or none), in input
 * order, with a cursor that skips those already seen, so that many equal
 * references and events stay linear.  Per PCR, the references bound to it
 * in order, for pass 2.
 */
#define N_MATCH FWT_ARRAY_LEN(match_algs)
#define KEYS_PER_REF 1024u        /* alternative combinations one reference may make */
#define KEYS_MAX (1u << 20)       /* and all of them */

struct dkey {
	unsigned shape, set;        /* bits over match_algs: the reference's algorithms, S */
	const unsigned char *v[N_MATCH]; /* the value of each algorithm of S */
	size_t len[N_MATCH];
};

struct dsub {
	unsigned binding;           /* the PCR, or FWT_PCR_COUNT: bound to none */
	size_t start, end, cur;     /* in members; before cur: all seen */
};

struct dgroup {
	struct dkey key;
	size_t sub, nsub;           /* in subs, by binding */
};

struct evindex {
	struct dgroup *groups;      /* the classes, sorted by key */
	size_t ngroups;
	unsigned shapes;            /* bit s set: a reference has shape s */
	struct dsub *subs;
	size_t nsubs;
	size_t *members;            /* references by class, binding, input order */
	size_t *pcr[FWT_PCR_COUNT]; /* reference indices bound to each PCR */
	size_t npcr[FWT_PCR_COUNT];
	/* pass 2, by PCR and by the algorithms of the event (dig_algs: 4
	 * bits): every reference before cursor is paired or shares none of
	 * them; fallback, once looked up (+1, 0: not yet), the first that
	 * shares one */
	size_t cursor[FWT_PCR_COUNT][32], fallback[FWT_PCR_COUNT][32];
};

static unsigned dig_algs(const struct dig *d, size_t n)
{
	unsigned m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i].alg != FWT_DIGEST_SHA1)
			m |= d[i].alg;
	return m;
}

static void evindex_free(struct evindex *x)
{
	size_t p;

	free(x->groups);
	free(x->subs);
	free(x->members);
	for (p = 0; p < FWT_PCR_COUNT; p++)
		free(x->pcr[p]);
}

static int dkey_cmp(const struct dkey *p, const struct dkey *q)
{
	size_t i;
	int c;

	if (p->shape != q->shape)
		return p->shape < q->shape ? -1 : 1;
	if (p->set != q->set)
		return p->set < q->set ? -1 : 1;
	for (i = 0; i < N_MATCH; i++)
		if ((p->set & (1u << i)) && (c = memcmp(p->v[i], q->v[i], p->len[i])) != 0)
			return c;
	return 0;
}

static unsigned ref_binding(const struct ref *r)
{
	return r->kind == REF_PCR ? r->index : FWT_PCR_COUNT;
}

struct member {
	struct dkey key;
	size_t ref;
	unsigned binding;
};

static int member_cmp(const void *x, const void *y)
{
	const struct member *p = x, *q = y;
	int c = dkey_cmp(&p->key, &q->key);

	if (c)
		return c;
	if (p->binding != q->binding)
		return p->binding < q->binding ? -1 : 1;
	return p->ref < q->ref ? -1 : p->ref > q->ref;
}

/* The values of each match algorithm in r (full length), as positions
 * into r->d: vals[i][0..nv[i]).  Returns the shape. */
static unsigned ref_shape(const struct ref *r, size_t **vals, size_t *nv)
{
	unsigned shape = 0;
	size_t i, k;

	for (i = 0; i < N_MATCH; i++) {
		nv[i] = 0;
		for (k = 0; k < r->nd; k++)
			if (r->d[k].alg == match_algs[i] && r->d[k].len == fwt_digest_size(match_algs[i]))
				vals[i][nv[i]++] = k;
		if (nv[i])
			shape |= 1u << i;
	}
	return shape;
}

/* The keys reference i makes, appended to mem (*nm of them, room for
 * KEYS_MAX): FWT_EUNSUPPORTED when there are too many. */
static fwt_err ref_keys(fwt_appraise *a, size_t i, size_t **vals, struct member *mem, size_t *nm)
{
	const struct ref *r = &a->refs[i];
	size_t nv[N_MATCH], total = 0, c, k, idx[N_MATCH];
	unsigned shape = ref_shape(r, vals, nv), set;

	for (set = 1; set < 1u << N_MATCH; set++) {
		size_t combos = 1;
		if ((set & shape) != set)
			continue;
		for (k = 0; k < N_MATCH; k++)
			if (set & (1u << k))
				combos *= nv[k];
		total += combos;
	}
	if (total > KEYS_PER_REF || *nm + total > KEYS_MAX)
		return fwt__error(a->ctx, FWT_EUNSUPPORTED, "'%s': the event-log references hold too many alternative "
		                  "digests to compare (%zu combinations%s; at most %u per reference, %u in all)",
		                  a->in[r->rim].name, total, total > KEYS_PER_REF ? " in one reference" : "",
		                  KEYS_PER_REF, KEYS_MAX);
	for (set = 1; set < 1u << N_MATCH; set++) {
		if ((set & shape) != set)
			continue;
		memset(idx, 0, sizeof(idx));
		for (;;) { /* every combination: idx counts in mixed radix nv */
			struct member *m = &mem[(*nm)++];
			memset(&m->key, 0, sizeof(m->key));
			m->key.shape = shape;
			m->key.set = set;
			for (k = 0; k < N_MATCH; k++)
				if (set & (1u << k)) {
					m->key.v[k] = r->d[vals[k][idx[k]]].v;
					m->key.len[k] = r->d[vals[k][idx[k]]].len;
				}
			m->ref = i;
			m->binding = ref_binding(r);
			for (c = 0; c < N_MATCH; c++) {
				if (!(set & (1u << c)))
					continue;
				if (++idx[c] < nv[c])
					break;
				idx[c] = 0;
			}
			if (c == N_MATCH)
				break;
		}
	}
	return FWT_OK;
}

/* The event-log references of the index: those of one RIM (its input
 * index), or of every RIM (rim NONE). */
static int in_index(const struct ref *r, size_t rim)
{
	return r->kind != REF_SPDM && (rim == NONE || r->rim == rim);
}

static fwt_err evindex_build(fwt_appraise *a, struct evindex *x, size_t rim)
{
	size_t i, k, n = 0, nm = 0, o = 0, maxd = 1, *vals[N_MATCH] = { NULL, NULL, NULL };
	struct member *mem = NULL;
	fwt_err err = FWT_OK;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < a->nrefs; i++) {
		struct ref *r = &a->refs[i];
		r->algs = dig_algs(r->d, r->nd);
		if (!in_index(r, rim))
			continue;
		n++;
		maxd = r->nd > maxd ? r->nd : maxd;
		if (r->kind == REF_PCR)
			x->npcr[r->index]++;
	}
	/* room for the keys: 7 per reference without alternatives, and
	 * the array grows for those with them */
	for (k = 0; k < N_MATCH; k++)
		if (!(vals[k] = malloc(maxd * sizeof(size_t)))) {
			err = fwt__enomem(a->ctx);
			goto out;
		}
	for (k = 0; k < FWT_PCR_COUNT; k++) {
		if (x->npcr[k] && !(x->pcr[k] = malloc(x->npcr[k] * sizeof(size_t)))) {
			err = fwt__enomem(a->ctx);
			goto out;
		}
		x->npcr[k] = 0;
	}
	{
		size_t cap = 0;
		for (i = 0; i < a->nrefs; i++) {
			const struct ref *r = &a->refs[i];
			if (!in_index(r, rim))
				continue;
			if (r->kind == REF_PCR)
				x->pcr[r->index][x->npcr[r->index]++] = i;
			if (nm + KEYS_PER_REF > cap) {
				size_t want = cap ? cap * 2 : (n < KEYS_MAX / 8 ? 8 * n : KEYS_MAX) + KEYS_PER_REF;
				struct member *t;
				want = want > KEYS_MAX + KEYS_PER_REF ? KEYS_MAX + KEYS_PER_REF : want;
				if (want <= cap || !(t = realloc(mem, want * sizeof(*mem)))) {
					err = fwt__enomem(a->ctx);
					goto out;
				}
				mem = t;
				cap = want;
			}
			if ((err = ref_keys(a, i, vals, mem, &nm)) != FWT_OK)
				goto out;
		}
	}
	if (nm)
		qsort(mem, nm, sizeof(*mem), member_cmp);
	x->groups = malloc((nm ? nm : 1) * sizeof(*x->groups));
	x->subs = malloc((nm ? nm : 1) * sizeof(*x->subs));
	x->members = malloc((nm ? nm : 1) * sizeof(*x->members));
	if (!x->groups || !x->subs || !x->members) {
		err = fwt__enomem(a->ctx);
		goto out;
	}
	for (i = 0; i < nm; i++) {
		int new_class = !i || dkey_cmp(&mem[i].key, &mem[i - 1].key);
		if (!new_class && mem[i].ref == mem[i - 1].ref)
			continue; /* a value repeated among alternatives */
		x->members[o] = mem[i].ref;
		if (new_class) {
			struct dgroup *g = &x->groups[x->ngroups++];
			g->key = mem[i].key;
			g->sub = x->nsubs;
			g->nsub = 0;
			x->shapes |= 1u << mem[i].key.shape;
		}
		if (new_class || mem[i].binding != mem[i - 1].binding) {
			struct dsub *sb = &x->subs[x->nsubs++];
			x->groups[x->ngroups - 1].nsub++;
			sb->binding = mem[i].binding;
			sb->start = sb->cur = o;
		}
		x->subs[x->nsubs - 1].end = ++o;
	}
out:
	free(mem);
	for (k = 0; k < N_MATCH; k++)
		free(vals[k]);
	return err;
}

/* "seen" starts afresh: every cursor back to its start */
static void evindex_rewind(struct evindex *x)
{
	size_t i;

	for (i = 0; i < x->nsubs; i++)
		x->subs[i].cur = x->subs[i].start;
	memset(x->cursor, 0, sizeof(x->cursor)); /* the fallbacks do not depend on "seen" */
}

/* The classes of references an event matches, one after the other (at
 * most one per shape): start with *shape = 0; NULL at the end, *alg the
 * algorithm compared (the strongest both hold). */
static const struct dgroup *next_match(const struct evindex *x, const struct comp *c, unsigned *shape,
                                       fwt_digest_alg *alg)
{
	struct dkey key;
	unsigned have = 0;
	size_t i, lo, hi;

	memset(&key, 0, sizeof(key));
	for (i = 0; i < N_MATCH; i++) {
		const struct dig *d = find_dig(c->d, c->nd, match_algs[i]);
		if (d) {
			have |= 1u << i;
			key.v[i] = d->v;
			key.len[i] = d->len;
		}
	}
	for (; *shape < 1u << N_MATCH; (*shape)++) {
		if (!(x->shapes & (1u << *shape)) || !(*shape & have))
			continue;
		key.shape = *shape;
		key.set = *shape & have;
		for (lo = 0, hi = x->ngroups; lo < hi;) {
			size_t mid = lo + (hi - lo) / 2;
			int cmp = dkey_cmp(&x->groups[mid].key, &key);
			if (!cmp) {
				for (i = 0; !(key.set & (1u << i)); i++)
					;
				*alg = match_algs[i];
				(*shape)++;
				return &x->groups[mid];
			}
			if (cmp < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

/* Pass 1: an event matches a reference on its PCR or a PCR-less one.
 * Unpaired references first, those bound to the PCR before PCR-less ones,
 * then the first in input order.  Only references holding the event's
 * digests can match: the index gives their classes, and in each class the
 * cursor of a binding gives its first unpaired reference. */
static size_t match_ref(fwt_appraise *a, struct evindex *x, const struct comp *c, fwt_digest_alg *best_alg)
{
	const struct dgroup *g;
	size_t s, best = NONE, cand;
	unsigned shape = 0;
	int rank, best_rank = 4;
	fwt_digest_alg alg;

	while ((g = next_match(x, c, &shape, &alg)) != NULL) {
		for (s = g->sub; s < g->sub + g->nsub; s++) {
			struct dsub *sb = &x->subs[s];
			if (sb->binding != c->index && sb->binding != FWT_PCR_COUNT)
				continue;
			while (sb->cur < sb->end && a->refs[x->members[sb->cur]].seen)
				sb->cur++;
			rank = sb->binding == FWT_PCR_COUNT ? 1 : 0;
			if (sb->cur < sb->end) {
				cand = x->members[sb->cur];
			} else {
				cand = x->members[sb->start];
				rank += 2;
			}
			if (rank < best_rank || (rank == best_rank && cand < best)) {
				best_rank = rank;
				best = cand;
				*best_alg = alg;
			}
		}
	}
	if (best == NONE)
		return NONE;
	a->refs[best].seen = 1;
	/* PCR-less references are a set of digests: every one the event
	 * matches has been seen (bound to none sorts last in a class) */
	shape = 0;
	while ((g = next_match(x, c, &shape, &alg)) != NULL) {
		struct dsub *sb = &x->subs[g->sub + g->nsub - 1];
		if (g->nsub && sb->binding == FWT_PCR_COUNT)
			for (; sb->cur < sb->end; sb->cur++)
				a->refs[x->members[sb->cur]].seen = 1;
	}
	return best;
}

static int match_event(fwt_appraise *a, struct evindex *x, struct comp *c)
{
	fwt_digest_alg alg = 0;
	size_t best = match_ref(a, x, c, &alg);

	if (best == NONE)
		return 0;
	c->status = FWT_APPRAISE_MATCH;
	c->ref = best;
	c->cmp_alg = alg;
	return 1;
}

/*
 * With several RIMs, each is a whole account of what a log should hold
 * (a platform RIM and an update RIM may both name the boot loader).  The
 * pairing above gives each event one reference, so a reference of one RIM
 * equal to another RIM's can be left unseen though the event it describes
 * is there.  Each RIM with a reference left unseen is then matched again
 * against the log's events on its own: what matches there is not missing.
 * The components keep the pairing above.  keep: room for a->nrefs flags.
 */
static fwt_err match_each_rim(fwt_appraise *a, const struct input *in, unsigned char *keep)
{
	size_t i, j, r, nrims = 0;
	fwt_err err = FWT_OK;

	for (r = 0; r < a->nin; r++)
		keep[r] = 0; /* 1: a RIM with event-log references; 2: one of them unseen */
	for (i = 0; i < a->nrefs; i++)
		if (a->refs[i].kind != REF_SPDM) {
			size_t k = a->refs[i].rim;
			nrims += !keep[k];
			keep[k] |= 1 | (a->refs[i].seen ? 0 : 2);
		}
	if (nrims < 2)
		return FWT_OK;
	for (r = 0; r < a->nin; r++) {
		struct evindex x;
		unsigned char *mark = keep + a->nin;
		if (!(keep[r] & 2))
			continue;
		for (i = 0; i < a->nrefs; i++)
			if (a->refs[i].kind != REF_SPDM && a->refs[i].rim == r) {
				mark[i] = (unsigned char)a->refs[i].seen;
				a->refs[i].seen = 0;
			}
		if ((err = evindex_build(a, &x, r)) == FWT_OK)
			for (j = in->first; j < in->first + in->events; j++) {
				fwt_digest_alg alg;
				match_ref(a, &x, &a->comps[j], &alg);
			}
		evindex_free(&x);
		for (i = 0; i < a->nrefs; i++)
			if (a->refs[i].kind != REF_SPDM && a->refs[i].rim == r)
				a->refs[i].seen |= mark[i];
		if (err)
			break;
	}
	return err;
}

/* Pass 2, for events that matched nothing: a mismatch when references on
 * the PCR share an algorithm with the event (paired with one no event
 * matched, when there is one left); unknown otherwise. */
static void pair_event(fwt_appraise *a, struct evindex *x, struct comp *c)
{
	const size_t *b = x->pcr[c->index];
	size_t n = x->npcr[c->index], i, first = NONE;
	unsigned algs = dig_algs(c->d, c->nd) & 31;
	size_t *cur = &x->cursor[c->index][algs], *fb = &x->fallback[c->index][algs];
	fwt_digest_alg alg;

	/* each cursor only moves on: linear in the references of the PCR
	 * for all its events, whatever their algorithms */
	while (*cur < n && (a->refs[b[*cur]].seen || !(a->refs[b[*cur]].algs & algs)))
		(*cur)++;
	if (*cur < n) {
		first = b[*cur];
		a->refs[first].seen = 1;
	}
	if (first == NONE && !*fb) {
		for (i = 0; i < n && !(a->refs[b[i]].algs & algs); i++)
			;
		*fb = i < n ? b[i] + 1 : SIZE_MAX;
	}
	if (first == NONE && *fb != SIZE_MAX)
		first = *fb - 1;
	if (first != NONE) {
		c->status = FWT_APPRAISE_MISMATCH;
		c->ref = first;
		cmp_digests(c->d, c->nd, a->refs[first].d, a->refs[first].nd, &alg);
		c->cmp_alg = alg;
		return;
	}
	c->status = FWT_APPRAISE_UNKNOWN;
	if (c->unconfirmed & (FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512)) {
		char names[64], note[256];
		bank_names(c->unconfirmed & ~FWT_DIGEST_SHA1, names, sizeof(names));
		snprintf(note, sizeof(note), "its %s digest%s %s in no PCR bank the TPM confirmed: not compared%s", names,
		         strchr(names, ',') ? "s" : "", strchr(names, ',') ? "are" : "is",
		         n ? "; the references for this PCR hold no digest of its other algorithms" : "");
		c->note = dupstr(note);
	} else if (n) {
		c->note = dupstr("the references for this PCR hold no digest of the event's algorithms");
	}
}

/* A "missing" component for reference i, which evidence (an input, or
 * NONE: all of it) did not measure; measured: the evidence measured the
 * reference's SPDM index, but nothing it gives compares with the block. */
static fwt_err missing_comp(fwt_appraise *a, size_t i, size_t evidence, int measured)
{
	const struct ref *r = &a->refs[i];
	struct comp *c = new_comp(a);

	if (!c)
		return comp_error(a);
	c->source = r->kind == REF_SPDM ? FWT_APPRAISE_SPDM : FWT_APPRAISE_EVENTLOG;
	c->has_index = r->kind != REF_ANY;
	c->index = r->index > UINT32_MAX ? UINT32_MAX : (unsigned)r->index;
	c->status = FWT_APPRAISE_MISSING;
	c->ref = i;
	c->evidence = evidence;
	if (r->name && !(c->name = dupstr(r->name)))
		return fwt__enomem(a->ctx);
	if (measured && !(c->note = dupstr("the evidence measured this index, but in no form this reference can be "
	                                   "compared with (no digest algorithm in common, or a raw value against a "
	                                   "digest)")))
		return fwt__enomem(a->ctx);
	return FWT_OK;
}

static int spdm_measured(const struct spdm_ev *e, uint64_t index)
{
	return index < 256 && (e->measured[index / 8] >> (index % 8) & 1);
}

/* A reference missing for one SPDM evidence (k: its place in a->spdm), or
 * for one event log (k: its input index). */
struct miss {
	size_t ref, k;
};

static int miss_cmp(const void *x, const void *y)
{
	const struct miss *p = x, *q = y;

	if (p->ref != q->ref)
		return p->ref < q->ref ? -1 : 1;
	return p->k < q->k ? -1 : p->k > q->k;
}

/* With several SPDM evidences: in *out (malloc'd, *n of them, sorted by
 * reference then evidence) each SPDM reference that one evidence's blocks
 * did not compare with, for that evidence. */
static fwt_err spdm_missing(fwt_appraise *a, const struct spdmindex *x, struct miss **out, size_t *n)
{
	size_t *stamp, j, k, lo, hi, cap = 0;
	struct miss *m = NULL;

	*out = NULL;
	*n = 0;
	if (!(stamp = calloc(a->nrefs ? a->nrefs : 1, sizeof(*stamp))))
		return fwt__enomem(a->ctx);
	for (k = 0; k < a->nspdm; k++) {
		const struct spdm_ev *e = &a->spdm[k];
		for (j = e->first; j < e->first + e->nblocks; j++)
			for (hi = spdm_comparable(x, &a->comps[j], &lo); lo < hi; lo++)
				stamp[x->cmp[lo].ref] = k + 1;
		for (j = 0; j < x->n; j++) {
			if (stamp[x->k[j].ref] == k + 1)
				continue;
			if (a->ncomps + *n >= FWT_APPRAISE_MAX_COMPONENTS || grow((void **)&m, &cap, *n, sizeof(*m))) {
				fwt_err err = a->ncomps + *n >= FWT_APPRAISE_MAX_COMPONENTS ? comps_full(a) : fwt__enomem(a->ctx);
				free(m);
				free(stamp);
				*n = 0;
				return err;
			}
			m[*n].ref = x->k[j].ref;
			m[(*n)++].k = k;
		}
	}
	free(stamp);
	if (*n)
		qsort(m, *n, sizeof(*m), miss_cmp);
	*out = m;
	return FWT_OK;
}

static size_t count_logs(const fwt_appraise *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->nin; i++)
		n += a->in[i].kind == IN_EVENTLOG;
	return n;
}

/*
 * Match and pair the events of each event log.  With several logs (hosts,
 * or --local beside a log file) each accounts for every event-log
 * reference on its own, as SPDM evidences do: the pairing ("seen") starts
 * afresh for each log, so one log's events never stand in for another's,
 * and in *out (malloc'd, *n of them, sorted by reference then log) each
 * event-log reference one log neither matched nor paired, for that log (k:
 * its input index).  With one log, "seen" says it, as before.
 */
static fwt_err match_logs(fwt_appraise *a, struct evindex *x, struct miss **out, size_t *n)
{
	size_t i, j, l, cap = 0, nlogs = count_logs(a);
	struct miss *m = NULL;
	unsigned char *keep;
	fwt_err err;

	*out = NULL;
	*n = 0;
	if (!(keep = malloc(a->nin + a->nrefs + 1)))
		return fwt__enomem(a->ctx);
	for (l = 0; l < a->nin; l++) {
		const struct input *in = &a->in[l];
		if (in->kind != IN_EVENTLOG)
			continue;
		if (nlogs > 1) {
			for (i = 0; i < a->nrefs; i++)
				if (a->refs[i].kind != REF_SPDM)
					a->refs[i].seen = 0;
			evindex_rewind(x);
		}
		for (j = in->first; j < in->first + in->events; j++)
			if (!match_event(a, x, &a->comps[j]))
				a->comps[j].status = FWT_APPRAISE_UNKNOWN, a->comps[j].ref = NONE;
		for (j = in->first; j < in->first + in->events; j++)
			if (a->comps[j].ref == NONE)
				pair_event(a, x, &a->comps[j]);
		if ((err = match_each_rim(a, in, keep)) != FWT_OK) {
			free(keep);
			free(m);
			*n = 0;
			return err;
		}
		for (i = 0; nlogs > 1 && i < a->nrefs; i++) {
			if (a->refs[i].kind == REF_SPDM || a->refs[i].seen)
				continue;
			if (a->ncomps + *n >= FWT_APPRAISE_MAX_COMPONENTS || grow((void **)&m, &cap, *n, sizeof(*m))) {
				err = a->ncomps + *n >= FWT_APPRAISE_MAX_COMPONENTS ? comps_full(a) : fwt__enomem(a->ctx);
				free(keep);
				free(m);
				*n = 0;
				return err;
			}
			m[*n].ref = i;
			m[(*n)++].k = l;
		}
	}
	free(keep);
	if (*n)
		qsort(m, *n, sizeof(*m), miss_cmp);
	*out = m;
	return FWT_OK;
}

/*
 * The references nothing measured: no component matched one or was
 * compared with it ("seen").  A block of a reference's SPDM index that
 * shares no digest algorithm with it (or is a raw value where it gives a
 * digest, or the reverse) was never compared with it: the reference is
 * missing, as if the index had not been measured, so that a second RIM's
 * reference in another algorithm never vanishes.  With several SPDM
 * evidences (devices) in one run, each must account for every SPDM
 * reference on its own: one device's block does not stand in for
 * another's, so a reference that one evidence did not compare with is
 * missing for that evidence, which the component names.  With one, "seen"
 * says it.  Several event logs likewise: em (nem of them, from match_logs)
 * lists the event-log references each did not account for.
 */
static fwt_err add_missing(fwt_appraise *a, const struct spdmindex *x, const struct miss *em, size_t nem)
{
	size_t i, j = 0, k, e = 0, nm = 0, n = a->nrefs, nlogs = count_logs(a);
	struct miss *m = NULL;
	fwt_err err = FWT_OK;

	if (a->nspdm > 1 && (err = spdm_missing(a, x, &m, &nm)) != FWT_OK)
		return err;
	for (i = 0; !err && i < n; i++) {
		const struct ref *r = &a->refs[i];
		if (r->kind == REF_SPDM && a->nspdm > 1) {
			for (; !err && j < nm && m[j].ref == i; j++)
				err = missing_comp(a, i, a->spdm[m[j].k].input, spdm_measured(&a->spdm[m[j].k], r->index));
			continue;
		}
		if (r->kind != REF_SPDM && nlogs > 1) {
			for (; !err && e < nem && em[e].ref == i; e++)
				err = missing_comp(a, i, em[e].k, 0);
			continue;
		}
		if (r->seen)
			continue;
		for (k = 0; r->kind == REF_SPDM && k < a->nspdm && !spdm_measured(&a->spdm[k], r->index); k++)
			;
		err = missing_comp(a, i, NONE, r->kind == REF_SPDM && k < a->nspdm);
	}
	free(m);
	return err;
}

/* ---- reviews ---- */

/* The SFR's firmware hashes or one of its manifest files bind to the
 * measured digests (T1: every shared algorithm equal, one at least). */
/* The digest of c in alg a review may bind by.  For a component that
 * matched its reference, only one the reference vouches for (it holds
 * that very value): an event's other banks were compared with nothing,
 * and a log may give one event the BIOS's SHA-384 and another image's
 * SHA-512, to borrow that image's clean review. */
static const struct dig *bind_dig(const fwt_appraise *a, const struct comp *c, fwt_digest_alg alg)
{
	const struct dig *m = find_dig(c->d, c->nd, alg);
	const struct ref *r;
	size_t i;

	if (!m || c->status != FWT_APPRAISE_MATCH)
		return m;
	if (c->ref == NONE)
		return NULL;
	r = &a->refs[c->ref];
	for (i = 0; i < r->nd; i++)
		if (r->d[i].alg == alg && r->d[i].len == m->len && !CRYPTO_memcmp(r->d[i].v, m->v, m->len))
			return m;
	return NULL;
}

/* The manifest files of an SFR, sorted by SHA-512 and then position, so
 * that a component finds its file by binary search (a report may list
 * thousands of files, and a log hold thousands of events). */
static int file_cmp(const void *x, const void *y)
{
	const struct file_ref *p = x, *q = y;
	int c = memcmp(p->sha512, q->sha512, 64);

	return c ? c : p->pos < q->pos ? -1 : p->pos > q->pos;
}

static int sort_files(struct sfr *f)
{
	size_t i, n = fwt_sfr_manifest_count(f->s);

	if (!fwt_sfr_has_manifest(f->s) || !n || f->files)
		return 0;
	if (!(f->files = malloc(n * sizeof(*f->files))))
		return -1;
	for (i = 0; i < n; i++) {
		f->files[i].sha512 = fwt_sfr_manifest_hash(f->s, i);
		f->files[i].pos = i;
	}
	qsort(f->files, n, sizeof(*f->files), file_cmp);
	f->nfiles = n;
	return 0;
}

/* The first file (by position) of f's manifest whose SHA-512 is v, or NONE. */
static size_t find_file(const struct sfr *f, const unsigned char *v)
{
	size_t lo = 0, hi = f->nfiles;

	while (lo < hi) { /* the first entry not below v */
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(f->files[mid].sha512, v, 64) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->nfiles && !memcmp(f->files[lo].sha512, v, 64) ? f->files[lo].pos : NONE;
}

static int sfr_binds(const fwt_appraise *a, const struct sfr *f, const struct comp *c, const char **file)
{
	const fwt_sfr *s = f->s;
	static const fwt_digest_alg fw[] = { FWT_DIGEST_SHA384, FWT_DIGEST_SHA512 };
	unsigned char h[FWT_DIGEST_MAX];
	const struct dig *m;
	size_t i, common = 0, bad = 0;

	*file = NULL;
	for (i = 0; i < FWT_ARRAY_LEN(fw); i++) {
		fwt_err herr = fwt_sfr_fw_hash(s, fw[i], h);
		/* a hash given that is not one (not hex, another length) agrees
		 * with nothing: the report binds to nothing, by either hash or
		 * its manifest */
		if (herr == FWT_EFORMAT)
			return 0;
		if (herr != FWT_OK || !(m = bind_dig(a, c, fw[i])))
			continue;
		common++;
		if (CRYPTO_memcmp(h, m->v, m->len))
			bad++;
	}
	if (common && !bad)
		return 1;
	/* a release's report hashes its manifest: a file of it is found by
	 * the file's own SHA-512 */
	if ((m = bind_dig(a, c, FWT_DIGEST_SHA512)) && fwt_sfr_has_manifest(s) && (i = find_file(f, m->v)) != NONE) {
		*file = fwt_sfr_manifest_name(s, i, NULL);
		return 1;
	}
	return 0;
}

/* A real day as YYYY-MM-DD: compared as text afterwards, so 2026-02-99
 * would sort after every real day of February (and win as the latest
 * review), and 2026-13-45 after the appraisal time. */
static int is_date(const char *d)
{
	static const unsigned char mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y, m, day;
	size_t i;

	if (!d || strlen(d) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : (d[i] < '0' || d[i] > '9'))
			return 0;
	y = (unsigned)((d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0'));
	m = (unsigned)((d[5] - '0') * 10 + (d[6] - '0'));
	day = (unsigned)((d[8] - '0') * 10 + (d[9] - '0'));
	if (m < 1 || m > 12 || day < 1 || day > mdays[m - 1])
		return 0;
	return !(m == 2 && day == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

/* Why a binding SFR is not accepted for c, or NULL. */
static const char *sfr_reject(const fwt_appraise *a, const fwt_sfr *s, const struct comp *c, const char *today,
                              char *buf, size_t len)
{
	const char *date = fwt_sfr_get(s, FWT_SFR_COMPLETION_DATE, NULL);
	const char *v = fwt_sfr_get(s, FWT_SFR_VENDOR, NULL), *p = fwt_sfr_get(s, FWT_SFR_PRODUCT, NULL);
	const struct ref *r = c->ref != NONE ? &a->refs[c->ref] : NULL;

	if (!is_date(date))
		return "its completion_date is not a YYYY-MM-DD date (a real day)";
	if (strcmp(date, today) > 0)
		return "it was completed after the appraisal time";
	/* T3: the report's device must be the reference's environment, byte
	 * for byte; what cannot be cross-checked is no review */
	if (!v || !*v || !p || !*p)
		return "it names no device (vendor, product) to cross-check with the reference";
	if (!r)
		return "no reference value matched the component: its device (vendor, product) cannot be cross-checked";
	/* a RIM used unverified (no trust store) says whatever its author
	 * wrote: its environment vouches for no report's device */
	if (!a->in[r->rim].verified) {
		snprintf(buf, len, "the reference's RIM '%.100s%s' was not verified: its environment (vendor, model) "
		         "cannot vouch for the report's device", a->in[r->rim].name,
		         strlen(a->in[r->rim].name) > 100 ? "..." : "");
		return buf;
	}
	if (!r->vendor || !r->model) {
		snprintf(buf, len, "the reference's environment in '%s' names no %s: its device (vendor, product) cannot be "
		         "cross-checked", a->in[r->rim].name, !r->vendor ? "vendor" : "model");
		return buf;
	}
	if (strcmp(v, r->vendor) || strcmp(p, r->model)) {
		snprintf(buf, len, "its device (vendor, product) is not the reference's environment (vendor, model)");
		return buf;
	}
	return NULL;
}

/* A CVSS base score as written in a report ("7.9"): 0.0-10.0 with at most
 * one decimal, or -1. */
static double cvss_value(const char *s)
{
	double v = 0;
	size_t i = 0, d = 0;

	if (!s || !*s)
		return -1;
	while (s[i] >= '0' && s[i] <= '9' && d < 2)
		v = v * 10 + (s[i++] - '0'), d++;
	if (!d)
		return -1;
	if (s[i] == '.') {
		i++;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v += (s[i++] - '0') / 10.0;
		while (s[i] == '0')
			i++;
	}
	return s[i] || v > 10.0 ? -1 : v;
}

/* One {"report", "reason"} per SFR and reason, shared by every component
 * it was rejected for (a new reference). */
static json_t *rejection(const fwt_appraise *a, struct sfr *f, const char *reason, int *oom)
{
	json_t *e;

	if (!f->rejections && !(f->rejections = json_object())) {
		*oom = 1;
		return NULL;
	}
	if ((e = json_object_get(f->rejections, reason)) != NULL)
		return json_incref(e);
	if (!(e = json_object())) {
		*oom = 1;
		return NULL;
	}
	jset(e, "report", jstr(a->in[f->input].name), oom);
	jset(e, "reason", jstr(reason), oom); /* may hold a file name */
	if (json_object_set_nocheck(f->rejections, reason, e))
		*oom = 1;
	return e;
}

/* Issue i's score as the rules read it: the one the report states, or its
 * CVSS 3 vector's base score when that is higher, so that a report that
 * understates its own vector (which sfr lint and sign refuse) is not read
 * at the lower score.  -1 when the stated score does not read. */
static double issue_score(fwt_ctx *ctx, const fwt_sfr *s, size_t i)
{
	double v = cvss_value(fwt_sfr_issue_get(s, i, FWT_SFR_ISSUE_CVSS_SCORE, NULL));
	size_t vl = 0, rl = 0;
	const char *vec = fwt_sfr_issue_get(s, i, FWT_SFR_ISSUE_CVSS_VECTOR, &vl);
	const char *ver = fwt_sfr_get(s, FWT_SFR_CVSS_VERSION, &rl);
	fwt_cvss_version dflt = FWT_CVSS_V3_1;
	fwt_cvss c;
	size_t k;

	if (v < 0 || !vec || !vl)
		return v;
	/* a CVSS 3 vector by its own prefix, or by the report's cvss_version
	 * (absent: the profile's 3.1); CVSS 4 vectors are not scored here */
	if (ver && rl && fwt_cvss_version_parse(ver, rl, &dflt) != FWT_OK &&
	    !(vl >= 7 && !memcmp(vec, "CVSS:3.", 7)))
		return v;
	/* a vector of another version by its own prefix (CVSS:4.0/...) is
	 * not scored either, nor one without a prefix that is no CVSS 3
	 * vector (a CVSS 2 "AV:N/AC:L/Au:N/..." has Au) */
	if (vl >= 5 && !memcmp(vec, "CVSS:", 5) && !(vl >= 7 && !memcmp(vec, "CVSS:3.", 7)))
		return v;
	for (k = 0; k + 4 <= vl; k++)
		if (!memcmp(vec + k, "/Au:", 4))
			return v;
	if (fwt_cvss_parse(ctx, &c, vec, vl, dflt) == FWT_OK) {
		double b = fwt_cvss_base_score(&c) / 10.0;
		if (b > v)
			v = b;
	} else {
		/* a CVSS 3 vector that does not read (a final '/', a metric
		 * twice, lower case: errors to sfr lint) cannot show the stated
		 * score is not understated: the score is not known */
		v = -1;
	}
	fwt_ctx_clear_error(ctx);
	return v;
}

/* The highest issue score of f's report, 11 when one does not read, -1
 * with no issue: of two reports of one completion date, the worse is the
 * review (never the order the reports were given in). */
static double sfr_worst(fwt_ctx *ctx, struct sfr *f)
{
	size_t i, n = fwt_sfr_issue_count(f->s);
	double v;

	if (!f->have_worst) {
		f->worst = fwt_sfr_issues_recorded(f->s) ? -1 : 11; /* issues not recorded: not known better */
		for (i = 0; i < n; i++) {
			v = issue_score(ctx, f->s, i);
			if (v < 0)
				v = 11;
			if (v > f->worst)
				f->worst = v;
		}
		f->have_worst = 1;
	}
	return f->worst;
}

/* The distinct CWEs and CVEs among s's issues, counted together. */
static size_t sfr_distinct_ids(const fwt_sfr *s, int *oom)
{
	json_t *seen = json_object();
	size_t i, k, n = fwt_sfr_issue_count(s);

	if (!seen) {
		*oom = 1;
		return 0;
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < 2; k++) {
			const char *id = fwt_sfr_issue_get(s, i, k ? FWT_SFR_ISSUE_CVE : FWT_SFR_ISSUE_CWE, NULL);
			char key[300];
			if (!id || !*id)
				continue;
			snprintf(key, sizeof(key), "%s:%.290s", k ? "cve" : "cwe", id);
			if (!json_object_get(seen, key) && json_object_set_new(seen, key, json_true()) != 0)
				*oom = 1;
		}
	n = json_object_size(seen);
	json_decref(seen);
	return n;
}

/* Of two reports of one completion date, which is the review (never the
 * order they were given in): the one with the worse issue, then more
 * issues, then more distinct CWEs and CVEs, then the lower SHA-256 of its
 * bytes.  > 0 when j wins over k; *by says which rule decided (0 none: the
 * same bytes, 1 the issues, 2 the SHA-256). */
static int sfr_tie(fwt_appraise *a, size_t j, size_t k, int *by, int *oom)
{
	struct sfr *f = &a->sfrs[j], *g = &a->sfrs[k];
	double w = sfr_worst(a->ctx, f), bw = sfr_worst(a->ctx, g);
	size_t n = fwt_sfr_issue_count(f->s), bn = fwt_sfr_issue_count(g->s);
	int c;

	*by = 1;
	if (w != bw)
		return w > bw ? 1 : -1;
	if (n != bn)
		return n > bn ? 1 : -1;
	n = sfr_distinct_ids(f->s, oom);
	bn = sfr_distinct_ids(g->s, oom);
	if (n != bn)
		return n > bn ? 1 : -1;
	c = memcmp(a->in[g->input].sha256, a->in[f->input].sha256, 32);
	*by = c ? 2 : 0;
	return c;
}

/* A review's issue members: "open_issues", "max_cvss" (unless a score
 * does not read), "cwes" (each once, in the order first seen) and
 * "issues". */
static json_t *issues_json(fwt_ctx *ctx, const fwt_sfr *s, int *oom)
{
	json_t *o = json_object(), *cwes = json_array(), *issues = json_array(), *seen = json_object();
	double max = 0, v;
	int unparsed = 0;
	size_t i, n = fwt_sfr_issue_count(s);

	if (!o || !cwes || !issues || !seen) {
		json_decref(o);
		json_decref(cwes);
		json_decref(issues);
		json_decref(seen);
		*oom = 1;
		return NULL;
	}
	/* a report without its issues records neither them nor a summary:
	 * unknown, never "none" (the policy's issue rules fail for want of it) */
	if (!fwt_sfr_issues_recorded(s)) {
		json_decref(cwes);
		json_decref(issues);
		json_decref(seen);
		return o;
	}
	for (i = 0; i < n; i++) {
		const char *cwe = fwt_sfr_issue_get(s, i, FWT_SFR_ISSUE_CWE, NULL);
		const char *cve = fwt_sfr_issue_get(s, i, FWT_SFR_ISSUE_CVE, NULL);
		const char *title = fwt_sfr_issue_get(s, i, FWT_SFR_ISSUE_TITLE, NULL);
		json_t *e = json_object();
		v = issue_score(ctx, s, i);
		if (v < 0)
			unparsed = 1;
		else if (v > max)
			max = v;
		if (e) {
			jset(e, "title", jstr(title ? title : ""), oom);
			jset(e, "cvss_score", v < 0 ? json_null() : json_real(v), oom);
			jset(e, "cwe", cwe ? jstr(cwe) : json_null(), oom);
			jset(e, "cve", cve ? jstr(cve) : json_null(), oom);
		}
		jappend(issues, e, oom);
		/* each CWE once, in the order first seen: looked up in a
		 * set, as a report may list a great many issues */
		if (cwe && *cwe && !json_object_get(seen, cwe)) {
			if (json_object_set_new_nocheck(seen, cwe, json_true()) != 0)
				*oom = 1;
			jappend(cwes, jstr(cwe), oom);
		}
	}
	json_decref(seen);
	jset(o, "open_issues", json_integer((json_int_t)n), oom);
	/* a score that does not read leaves the highest unknown */
	if (!unparsed)
		jset(o, "max_cvss", json_real(max), oom);
	jset(o, "cwes", cwes, oom);
	jset(o, "issues", issues, oom);
	return o;
}

/* f binds to c but does not count, for reason: c's "rejected" says so. */
static void reject_for(const fwt_appraise *a, struct comp *c, struct sfr *f, const char *reason, int *oom)
{
	json_t *e = rejection(a, f, reason, oom);

	if (!c->rejected && !(c->rejected = json_array()))
		*oom = 1;
	if (c->rejected)
		jappend(c->rejected, e, oom);
	else
		json_decref(e);
}

static fwt_err find_reviews(fwt_appraise *a)
{
	char today[32], why[256];
	const char *file, *reason;
	size_t i, j;
	int oom = 0;

	fwt_time_format_rfc3339(a->at, today);
	today[10] = '\0';
	for (j = 0; j < a->nsfrs; j++)
		if (sort_files(&a->sfrs[j]))
			return fwt__enomem(a->ctx);
	for (i = 0; i < a->ncomps; i++) {
		struct comp *c = &a->comps[i];
		const char *best_date = NULL;
		int cmp, by;
		if (c->status == FWT_APPRAISE_MISSING || !c->nd)
			continue;
		for (j = 0; j < a->nsfrs; j++) {
			const fwt_sfr *s = a->sfrs[j].s;
			if (!sfr_binds(a, &a->sfrs[j], c, &file))
				continue;
			reason = sfr_reject(a, s, c, today, why, sizeof(why));
			if (reason) {
				reject_for(a, c, &a->sfrs[j], reason, &oom);
				continue;
			}
			/* the latest review; of one date, sfr_tie's, whatever the
			 * order they were given in */
			cmp = best_date ? strcmp(fwt_sfr_get(s, FWT_SFR_COMPLETION_DATE, NULL), best_date) : 1;
			if (!cmp)
				cmp = sfr_tie(a, j, c->sfr, &by, &oom);
			if (cmp > 0) {
				best_date = fwt_sfr_get(s, FWT_SFR_COMPLETION_DATE, NULL);
				c->sfr = j;
				c->manifest_file = file;
			}
		}
		/* the reports the review displaced are said, never gone without
		 * a trace (an older one's open issues among them) */
		for (j = 0; c->sfr != NONE && j < a->nsfrs; j++) {
			const fwt_sfr *s = a->sfrs[j].s;
			char sup[400], q[200];
			const char *rn = a->in[a->sfrs[c->sfr].input].name;
			if (j == c->sfr || !strcmp(a->in[a->sfrs[j].input].name, rn) ||
			    !sfr_binds(a, &a->sfrs[j], c, &file) || sfr_reject(a, s, c, today, why, sizeof(why)))
				continue;
			fwt__quote(q, sizeof(q), rn, strlen(rn));
			by = 1;
			if (!strcmp(fwt_sfr_get(s, FWT_SFR_COMPLETION_DATE, NULL), best_date))
				(void)sfr_tie(a, c->sfr, j, &by, &oom);
			snprintf(sup, sizeof(sup), "superseded by '%s', %s", q,
			         strcmp(fwt_sfr_get(s, FWT_SFR_COMPLETION_DATE, NULL), best_date)
			                 ? "the later review of this firmware"
			         : by == 2 ? "a review of this firmware of the same date with as grave, as many and as "
			                     "varied issues, whose bytes have the lower SHA-256 (the rule for such a tie)"
			         : by == 0 ? "a review of this firmware of the same date with the same bytes"
			                   : "a review of this firmware of the same date whose issues are no milder");
			reject_for(a, c, &a->sfrs[j], sup, &oom);
		}
	}
	/* the issues of a review once, however many components it covers */
	for (i = 0; !oom && i < a->ncomps; i++) {
		struct sfr *f = a->comps[i].sfr == NONE ? NULL : &a->sfrs[a->comps[i].sfr];
		if (f && !f->issues)
			f->issues = issues_json(a->ctx, f->s, &oom);
	}
	return oom ? fwt__enomem(a->ctx) : FWT_OK;
}

/* ---- the record ---- */

static const char *alg_label(fwt_digest_alg alg)
{
	return alg ? fwt_digest_name(alg) : "unknown";
}

/* The digest a component shows: the one compared, else the strongest. */
static const struct dig *shown_dig(const struct comp *c)
{
	static const fwt_digest_alg order[] = { FWT_DIGEST_SHA512, FWT_DIGEST_SHA384, FWT_DIGEST_SHA256,
		                                FWT_DIGEST_SHA1 };
	const struct dig *d;
	size_t i;

	if (c->cmp_alg && (d = find_dig(c->d, c->nd, c->cmp_alg)))
		return d;
	for (i = 0; i < FWT_ARRAY_LEN(order); i++)
		if ((d = find_dig(c->d, c->nd, order[i])))
			return d;
	return NULL;
}

/* The reference value shown: for a match, the value that matched; else the
 * compared algorithm's first value; else the strongest. */
static const struct dig *ref_dig(const struct ref *r, const struct comp *c)
{
	const struct dig *m = c->nd ? shown_dig(c) : NULL;
	size_t i, k;

	if (m && c->cmp_alg)
		for (i = 0; i < r->nd; i++)
			if (r->d[i].alg == m->alg && !memcmp(r->d[i].v, m->v, m->len))
				return &r->d[i];
	if (c->cmp_alg)
		for (i = 0; i < r->nd; i++)
			if (r->d[i].alg == c->cmp_alg)
				return &r->d[i];
	for (k = 0; k < FWT_ARRAY_LEN(match_algs); k++)
		for (i = 0; i < r->nd; i++)
			if (r->d[i].alg == match_algs[k])
				return &r->d[i];
	return NULL;
}

static json_t *reference_json(const fwt_appraise *a, const struct comp *c, int *oom)
{
	const struct ref *r = &a->refs[c->ref];
	const struct dig *d = ref_dig(r, c);
	json_t *o = json_object();

	if (!o) {
		*oom = 1;
		return NULL;
	}
	jset(o, "rim", jstr(a->in[r->rim].name), oom);
	jset(o, "format", json_string(r->format), oom);
	if (r->vendor)
		jset(o, "vendor", jstr(r->vendor), oom);
	if (r->model)
		jset(o, "model", jstr(r->model), oom);
	if (r->class_id)
		jset(o, "class_id", jstr(r->class_id), oom);
	jset(o, "key", r->key ? jstr(r->key) : json_null(), oom);
	if (r->name)
		jset(o, "name", jstr(r->name), oom);
	if (d && !(c->raw && r->raw)) {
		jset(o, "alg", json_string(fwt_digest_name(d->alg)), oom);
		jset(o, "digest", jhex(d->v, d->len), oom);
	} else if (r->raw) {
		/* a raw value is no digest: "value", and "digest" null */
		jset(o, "alg", json_string("raw"), oom);
		jset(o, "digest", json_null(), oom);
		jset(o, "value", jhex(r->raw, r->raw_len), oom);
		if (r->mask)
			jset(o, "mask", jhex(r->mask, r->mask_len), oom);
	}
	if (r->alternatives && r->nd > 1)
		jset(o, "alternatives", json_integer((json_int_t)r->nd), oom);
	if (r->version)
		jset(o, "version", jstr(r->version), oom);
	if (r->has_svn)
		jset(o, "svn", json_integer((json_int_t)r->svn), oom);
	return o;
}

/* "products": an SFR entry once per component it reviewed, with
 * "component" naming it ("spdm:2", "eventlog:pcr0"), because one product
 * (vendor, product) is often many firmware components, each with its own
 * version line (the rollback rule compares like with like); RIM entries as
 * they are.  An SFR that reviewed nothing (bound to no measured firmware, or
 * rejected) claims nothing about this machine: its version must not raise
 * the rollback mark (RELIABILITY T5), so it has no entry. */
static json_t *products_json(const fwt_appraise *a, int *oom)
{
	json_t *out = json_array(), *p, *e, *by_input = NULL;
	size_t i, j, k;
	char comp[48];

	if (!out) {
		*oom = 1;
		return NULL;
	}
	/* the distinct components each SFR input reviewed, in component
	 * order: one pass over the components, a set for "seen" */
	{
		json_t *seen = json_object();
		if (!(by_input = json_object()) || !seen)
			*oom = 1;
		for (j = 0; !*oom && j < a->ncomps; j++) {
			const struct comp *c = &a->comps[j];
			char key[80], in_key[24];
			json_t *list;
			if (c->sfr == NONE || !c->has_index)
				continue;
			snprintf(comp, sizeof(comp), "%s:%s%u", c->source == FWT_APPRAISE_SPDM ? "spdm" : "eventlog",
			         c->source == FWT_APPRAISE_SPDM ? "" : "pcr", c->index);
			snprintf(in_key, sizeof(in_key), "%zu", a->sfrs[c->sfr].input);
			snprintf(key, sizeof(key), "%s\n%s", in_key, comp);
			if (json_object_get(seen, key))
				continue;
			if (json_object_set_new(seen, key, json_true()))
				*oom = 1;
			if (!(list = json_object_get(by_input, in_key))) {
				list = json_array();
				if (json_object_set_new(by_input, in_key, list))
					*oom = 1;
			}
			jappend(list, json_string(comp), oom);
		}
		json_decref(seen);
	}
	/* one entry per distinct component and review */
	json_array_foreach(a->products, i, p) {
		const char *src = json_string_value(json_object_get(p, "source"));
		json_int_t in = json_integer_value(json_object_get(p, "_input"));
		json_t *list, *v;
		char in_key[24];
		if (*oom)
			break;
		if (!src || strcmp(src, "sfr")) {
			jappend(out, json_deep_copy(p), oom);
			continue;
		}
		snprintf(in_key, sizeof(in_key), "%lld", (long long)in);
		list = json_incref(json_object_get(by_input, in_key));
		json_object_del(by_input, in_key); /* a second product of the input adds nothing new */
		json_array_foreach(list, k, v) {
			e = json_deep_copy(p);
			jset(e, "component", json_incref(v), oom);
			jappend(out, e, oom);
		}
		json_decref(list);
	}
	json_decref(by_input);
	/* without the inputs, each entry once (two inputs of one name and
	 * content say the same) */
	{
		json_t *seen = json_object(), *kept = json_array();
		if (!seen || !kept) {
			*oom = 1;
		} else {
			json_array_foreach(out, i, e) {
				char *key;
				json_object_del(e, "_input");
				key = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
				if (!key) {
					*oom = 1;
					break;
				}
				if (!json_object_get(seen, key)) {
					if (json_object_set_new(seen, key, json_true()))
						*oom = 1;
					jappend(kept, json_incref(e), oom);
				}
				free(key);
			}
		}
		json_decref(seen);
		json_decref(out);
		out = kept;
	}
	return out;
}

static json_t *review_json(const fwt_appraise *a, const struct comp *c, int *oom)
{
	static const struct {
		const char *key;
		fwt_sfr_field f;
	} text[] = {
		{ "srp", FWT_SFR_SRP },
		{ "report_version", FWT_SFR_REPORT_VERSION },
		{ "completion_date", FWT_SFR_COMPLETION_DATE },
		{ "vendor", FWT_SFR_VENDOR },
		{ "product", FWT_SFR_PRODUCT },
		{ "fw_version", FWT_SFR_FW_VERSION },
		{ "methodology", FWT_SFR_METHODOLOGY },
	};
	json_t *o = json_object();
	const fwt_sfr *s;
	long long scope;
	size_t i;

	if (!o) {
		*oom = 1;
		return NULL;
	}
	if (c->sfr == NONE) {
		jset(o, "status", json_string("unreviewed"), oom);
		if (c->rejected)
			jset(o, "rejected", json_incref(c->rejected), oom);
		return o;
	}
	s = a->sfrs[c->sfr].s;
	jset(o, "status", json_string("reviewed"), oom);
	jset(o, "report", jstr(a->in[a->sfrs[c->sfr].input].name), oom);
	for (i = 0; i < FWT_ARRAY_LEN(text); i++)
		if (fwt_sfr_get(s, text[i].f, NULL))
			jset(o, text[i].key, jstr(fwt_sfr_get(s, text[i].f, NULL)), oom);
	if (fwt_sfr_scope(s, &scope) == FWT_OK)
		jset(o, "scope", json_integer((json_int_t)scope), oom);
	if (c->manifest_file)
		jset(o, "manifest_file", jstr(c->manifest_file), oom);
	if (c->rejected)
		jset(o, "rejected", json_incref(c->rejected), oom);
	if (json_object_update(o, a->sfrs[c->sfr].issues))
		*oom = 1;
	return o;
}

static json_t *component_json(const fwt_appraise *a, const struct comp *c, int *oom)
{
	json_t *o = json_object(), *ds;
	const struct dig *d;
	size_t i;

	if (!o) {
		*oom = 1;
		return NULL;
	}
	jset(o, "source", json_string(c->source == FWT_APPRAISE_SPDM ? "spdm" : "eventlog"), oom);
	jset(o, "index", c->has_index ? json_integer(c->index) : json_null(), oom);
	if (c->name)
		jset(o, "name", jstr(c->name), oom);
	if (c->event >= 0)
		jset(o, "event", json_integer(c->event), oom);
	if (c->evidence != NONE)
		jset(o, "evidence", jstr(a->in[c->evidence].name), oom);
	if (c->status == FWT_APPRAISE_MISSING) {
		/* nothing was measured: the expected value stands in */
		const struct ref *r = &a->refs[c->ref];
		d = ref_dig(r, c);
		if (d) {
			jset(o, "alg", json_string(fwt_digest_name(d->alg)), oom);
			jset(o, "digest", jhex(d->v, d->len), oom);
		} else {
			jset(o, "alg", json_string("raw"), oom);
			jset(o, "digest", json_null(), oom);
			jset(o, "value", jhex(r->raw, r->raw_len), oom);
		}
	} else if (c->raw) {
		jset(o, "alg", json_string("raw"), oom);
		jset(o, "digest", json_null(), oom);
		jset(o, "value", jhex(c->value, c->vlen), oom);
	} else if (c->source == FWT_APPRAISE_SPDM) {
		jset(o, "alg", json_string(alg_label(c->valg)), oom);
		jset(o, "digest", jhex(c->value, c->vlen), oom);
	} else {
		d = shown_dig(c);
		jset(o, "alg", json_string(d ? fwt_digest_name(d->alg) : "unknown"), oom);
		jset(o, "digest", d ? jhex(d->v, d->len) : json_null(), oom);
		if ((ds = json_object())) {
			for (i = 0; i < c->nd; i++)
				jset(ds, fwt_digest_name(c->d[i].alg), jhex(c->d[i].v, c->d[i].len), oom);
			jset(o, "digests", ds, oom);
		} else {
			*oom = 1;
		}
	}
	jset(o, "status", json_string(fwt_appraise_status_name(c->status)), oom);
	if (c->ref != NONE)
		jset(o, "reference", reference_json(a, c, oom), oom);
	if (c->note)
		jset(o, "note", json_string(c->note), oom);
	jset(o, "review", review_json(a, c, oom), oom);
	return o;
}

static fwt_err run(fwt_appraise *a, json_t **out, int lazy)
{
	struct spdmindex sx;
	struct evindex x;
	struct miss *em = NULL;
	size_t i, n, count[4] = { 0 }, reviewed = 0, nev = 0, empty = 0, first_empty = NONE, nem = 0;
	size_t empty_logs = 0, first_empty_log = NONE;
	json_t *rec = NULL, *comps, *sum;
	char at[32], msg[512];
	int oom = 0, ok;
	fwt_err err;

	if (out)
		*out = NULL;
	if (!a)
		return FWT_EINVAL;
	if (a->ran)
		return fwt__error(a->ctx, FWT_EINVAL, "the appraisal has already run");
	a->ran = 1;
	memset(&sx, 0, sizeof(sx));
	err = check_spdm_all(a);
	if (!err)
		err = spdmindex_build(a, &sx);
	if (!err)
		err = find_conflicts(a, &sx);
	if (err) {
		spdmindex_free(&sx);
		return err;
	}
	n = a->ncomps;
	err = evindex_build(a, &x, NONE);
	for (i = 0; !err && i < n; i++)
		if (a->comps[i].source == FWT_APPRAISE_SPDM)
			match_spdm(a, &sx, &a->comps[i]);
	if (!err)
		err = match_logs(a, &x, &em, &nem);
	evindex_free(&x);
	if (!err)
		err = add_missing(a, &sx, em, nem);
	free(em);
	spdmindex_free(&sx);
	if (!err)
		err = find_reviews(a);
	if (err)
		return err;

	rec = json_object();
	comps = json_array();
	sum = json_object();
	if (!rec || !comps || !sum) {
		json_decref(rec);
		json_decref(comps);
		json_decref(sum);
		return fwt__enomem(a->ctx);
	}
	for (i = 0; i < a->ncomps; i++) {
		count[a->comps[i].status]++;
		reviewed += a->comps[i].sfr != NONE;
		if (!lazy)
			jappend(comps, component_json(a, &a->comps[i], &oom), &oom);
	}
	/* SPDM evidence without a block measures nothing of its device, even
	 * when other evidence in the run does */
	for (i = 0; i < a->nin; i++)
		nev += a->in[i].kind == IN_EVENTLOG || a->in[i].kind == IN_SPDM;
	for (i = 0; i < a->nspdm; i++)
		if (!a->spdm[i].nblocks && !empty++)
			first_empty = a->spdm[i].input;
	/* so does an event log without an extending event */
	for (i = 0; i < a->nin; i++)
		if (a->in[i].kind == IN_EVENTLOG && !a->in[i].events && !empty_logs++)
			first_empty_log = i;
	/* empty evidence is never ok: at least one component was compared (and
	 * matched), and no reference was left that cannot be compared */
	ok = !count[FWT_APPRAISE_MISMATCH] && !count[FWT_APPRAISE_UNKNOWN] && !count[FWT_APPRAISE_MISSING] &&
	     count[FWT_APPRAISE_MATCH] && !json_array_size(a->unverifiable) &&
	     !json_array_size(a->conflicts) && !a->rims_failed && !a->local_bad && !a->local_nocommon &&
	     !a->local_unread &&
	     !a->spdm_failed && !empty && !empty_logs;
	fwt_time_format_rfc3339(a->at, at);
	jset(sum, "components", json_integer((json_int_t)a->ncomps), &oom);
	jset(sum, "match", json_integer((json_int_t)count[FWT_APPRAISE_MATCH]), &oom);
	jset(sum, "mismatch", json_integer((json_int_t)count[FWT_APPRAISE_MISMATCH]), &oom);
	jset(sum, "unknown", json_integer((json_int_t)count[FWT_APPRAISE_UNKNOWN]), &oom);
	jset(sum, "missing", json_integer((json_int_t)count[FWT_APPRAISE_MISSING]), &oom);
	jset(sum, "reviewed", json_integer((json_int_t)reviewed), &oom);
	jset(sum, "unreviewed", json_integer((json_int_t)(a->ncomps - reviewed)), &oom);
	jset(sum, "conflicts", json_integer((json_int_t)json_array_size(a->conflicts)), &oom);
	jset(sum, "unverifiable", json_integer((json_int_t)json_array_size(a->unverifiable)), &oom);
	jset(sum, "rims_not_verified", json_integer((json_int_t)a->rims_failed), &oom);
	jset(sum, "spdm_not_verified", json_integer((json_int_t)a->spdm_failed), &oom);
	jset(sum, "spdm_unauthenticated", json_integer((json_int_t)a->spdm_unauth), &oom);
	jset(rec, "command", json_string("attest check"), &oom);
	jset(rec, "schema", json_integer(1), &oom);
	jset(rec, "ok", json_boolean(ok), &oom);
	jset(rec, "at", json_string(at), &oom);
	jset(rec, "summary", sum, &oom);
	jset(rec, "components", comps, &oom);
	jset(rec, "inputs", json_incref(a->inputs), &oom);
	jset(rec, "signatures", json_incref(a->sigs), &oom);
	jset(rec, "products", products_json(a, &oom), &oom);
	jset(rec, "conflicts", json_incref(a->conflicts), &oom);
	jset(rec, "unverifiable", json_incref(a->unverifiable), &oom);
	if (oom) {
		json_decref(rec);
		return fwt__enomem(a->ctx);
	}
	if (out)
		*out = rec;
	else
		json_decref(rec);
	a->done = 1;
	if (ok)
		return FWT_OK;
	{
		static const char *const what[] = { NULL, "mismatch", "unknown", "missing" };
		const char *sep = "";
		size_t k, len = 0;
		msg[0] = '\0';
#define ADD(...) (len += (size_t)snprintf(msg + len, sizeof(msg) - len, __VA_ARGS__), \
		  len = len < sizeof(msg) ? len : sizeof(msg) - 1, sep = ", ")
		for (k = 1; k < 4; k++)
			if (count[k])
				ADD("%s%zu %s", sep, count[k], what[k]);
		if (json_array_size(a->conflicts))
			ADD("%s%zu conflicting reference%s", sep, json_array_size(a->conflicts),
			    json_array_size(a->conflicts) == 1 ? "" : "s");
		if (json_array_size(a->unverifiable))
			ADD("%s%zu reference%s that cannot be compared", sep, json_array_size(a->unverifiable),
			    json_array_size(a->unverifiable) == 1 ? "" : "s");
		if (a->rims_failed)
			ADD("%s%zu RIM%s not verified", sep, a->rims_failed, a->rims_failed == 1 ? "" : "s");
		if (a->spdm_failed)
			ADD("%s%zu SPDM signature%s not verified", sep, a->spdm_failed, a->spdm_failed == 1 ? "" : "s");
		/* as the only evidence, "no component was compared" or its
		 * missing references say it already */
		if (empty == 1 && nev > 1)
			ADD("%sSPDM evidence '%s' measures nothing", sep, a->in[first_empty].name);
		else if (empty > 1 && nev > 1)
			ADD("%s%zu SPDM evidence measure nothing", sep, empty);
		if (empty_logs == 1 && nev > 1)
			ADD("%sevent log '%s' measures nothing", sep, a->in[first_empty_log].name);
		else if (empty_logs > 1 && nev > 1)
			ADD("%s%zu event logs measure nothing", sep, empty_logs);
		if (a->local_bad)
			ADD("%sthe local event log does not replay to the TPM's PCRs", sep);
		if (a->local_nocommon)
			ADD("%sthe local event log has no PCR bank in common with the TPM (nothing could be compared)", sep);
		if (a->local_unread)
			ADD("%sthe TPM's PCRs could not be read (the local event log could not be compared)", sep);
		if (!a->ncomps)
			ADD("%sno component was compared (the evidence measures nothing)", sep);
#undef ADD
	}
	if (!a->ncomps)
		return fwt__error(a->ctx, FWT_EVERIFY, "not ok: %s", msg);
	return fwt__error(a->ctx, FWT_EVERIFY, "not ok: %s (of %zu components)", msg, a->ncomps);
}

fwt_err fwt_appraise_run(fwt_appraise *a, json_t **out)
{
	return run(a, out, 0);
}

fwt_err fwt_appraise_run_lazy(fwt_appraise *a, json_t **out)
{
	return run(a, out, 1);
}

fwt_err fwt_appraise_component_json(const fwt_appraise *a, size_t i, json_t **out)
{
	int oom = 0;

	if (!out)
		return FWT_EINVAL; /* past the end is how a caller finds it: no message */
	*out = NULL;
	if (!a || !a->done || i >= a->ncomps)
		return FWT_EINVAL; /* past the end is how a caller finds it: no message */
	*out = component_json(a, &a->comps[i], &oom);
	if (oom) {
		json_decref(*out);
		*out = NULL;
		return fwt__enomem(a->ctx);
	}
	return FWT_OK;
}

size_t fwt_appraise_count(const fwt_appraise *a)
{
	return a && a->done ? a->ncomps : 0;
}

fwt_err fwt_appraise_get(const fwt_appraise *a, size_t i, fwt_appraise_component *out)
{
	const struct comp *c;
	const struct ref *r;
	const struct dig *d;

	if (!a || !out || !a->done || i >= a->ncomps)
		return FWT_EINVAL; /* past the end is how a caller finds it: no message */
	c = &a->comps[i];
	r = c->ref != NONE ? &a->refs[c->ref] : NULL;
	memset(out, 0, sizeof(*out));
	out->source = c->source;
	out->has_index = c->has_index;
	out->index = c->index;
	out->event = c->event;
	out->evidence = c->evidence != NONE ? a->in[c->evidence].name : NULL;
	out->name = c->name;
	out->status = c->status;
	if (c->status == FWT_APPRAISE_MISSING) {
		if ((d = ref_dig(r, c))) {
			out->alg = d->alg;
			out->digest = d->v;
			out->len = d->len;
		} else {
			out->digest = r->raw;
			out->len = r->raw_len;
		}
	} else if (c->source == FWT_APPRAISE_SPDM) {
		out->alg = c->valg;
		out->digest = c->value;
		out->len = c->vlen;
	} else if ((d = shown_dig(c))) {
		out->alg = d->alg;
		out->digest = d->v;
		out->len = d->len;
	}
	out->rim = r ? a->in[r->rim].name : NULL;
	out->key = r ? r->key : NULL;
	out->reviewed = c->sfr != NONE;
	if (out->reviewed) {
		out->report = a->in[a->sfrs[c->sfr].input].name;
		out->srp = fwt_sfr_get(a->sfrs[c->sfr].s, FWT_SFR_SRP, NULL);
	}
	return FWT_OK;
}

/* ---- reference values from golden evidence ---- */

void fwt_appraise_refvals_free(fwt_corim_refval *rv, size_t n)
{
	size_t i;

	for (i = 0; rv && i < n; i++)
		free((char *)rv[i].key);
	free(rv);
}

void fwt_appraise_rawvals_free(fwt_corim_rawval *rv, size_t n)
{
	size_t i;

	for (i = 0; rv && i < n; i++) {
		free((char *)rv[i].key);
		free((unsigned char *)rv[i].value);
	}
	free(rv);
}

fwt_err fwt_appraise_refvals_from_eventlog(fwt_ctx *ctx, const fwt_eventlog *log, uint32_t pcrs,
                                           fwt_corim_refval **out, size_t *n)
{
	fwt_eventlog_event ev;
	fwt_corim_refval *rv = NULL;
	size_t i, k, cnt = 0, total;
	unsigned banks = 0;
	char key[48];

	if (!out || !n || !log)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	*out = NULL;
	*n = 0;
	for (i = 0; i < fwt_eventlog_alg_count(log); i++)
		banks |= fwt_eventlog_alg_at(log, i)->alg;
	if (!(banks & (FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512)))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "the log has no SHA-256, SHA-384 or SHA-512 bank "
		                                         "(SHA-1 digests are not used as reference values)");
	total = fwt_eventlog_count(log);
	rv = calloc(total ? total : 1, sizeof(*rv));
	if (!rv)
		return fwt__enomem(ctx);
	for (i = 0; i < total; i++) {
		if (fwt_eventlog_event_get(log, i, &ev) != FWT_OK) {
			fwt_appraise_refvals_free(rv, cnt);
			return fwt__error(ctx, FWT_EINTERNAL, "event %zu vanished", i);
		}
		if (!ev.extends || (pcrs && !(pcrs & (1u << ev.pcr))))
			continue;
		for (k = 0; k < ev.n_digests && rv[cnt].n_digests < FWT_CORIM_MAX_DIGESTS; k++) {
			fwt_digest_alg alg = ev.digests[k].alg;
			if (alg != FWT_DIGEST_SHA256 && alg != FWT_DIGEST_SHA384 && alg != FWT_DIGEST_SHA512)
				continue;
			if (ev.digests[k].size != fwt_digest_size(alg))
				continue;
			rv[cnt].digests[rv[cnt].n_digests].alg = alg;
			memcpy(rv[cnt].digests[rv[cnt].n_digests++].value, ev.digests[k].value, ev.digests[k].size);
		}
		if (!rv[cnt].n_digests) {
			fwt_appraise_refvals_free(rv, cnt + 1);
			return fwt__error(ctx, FWT_EUNSUPPORTED, "event %zu (PCR %" PRIu32 ") has no SHA-256, SHA-384 "
			                  "or SHA-512 digest", ev.index, ev.pcr);
		}
		snprintf(key, sizeof(key), "pcr%" PRIu32 ":ev%zu", ev.pcr, ev.index);
		if (!(rv[cnt].key = dupstr(key))) {
			fwt_appraise_refvals_free(rv, cnt + 1);
			return fwt__enomem(ctx);
		}
		cnt++;
	}
	if (!cnt) {
		free(rv);
		return fwt__error(ctx, FWT_EINVAL, "no event of the log extends the PCRs selected");
	}
	*out = rv;
	*n = cnt;
	return FWT_OK;
}

/* The reference values of golden SPDM evidence: its digest blocks (of
 * SHA-256/384/512) into rv, its raw blocks into w, each keyed by its
 * index; the others counted in *skipped (raw blocks too, when w is not
 * asked for).  Either array may be NULL (not wanted). */
static fwt_err spdm_values(fwt_ctx *ctx, const fwt_spdm *s, fwt_corim_refval **rv_out, size_t *nrv,
                           size_t *skipped, fwt_corim_rawval **w_out, size_t *nw)
{
	fwt_corim_refval *rv = NULL;
	fwt_corim_rawval *w = NULL;
	fwt_spdm_block b;
	size_t i, total = fwt_spdm_block_count(s), skip = 0;
	char key[16];
	int dig;

	if ((rv_out && !(rv = calloc(total ? total : 1, sizeof(*rv)))) ||
	    (w_out && !(w = calloc(total ? total : 1, sizeof(*w)))))
		goto oom;
	for (i = 0; i < total; i++) {
		if (fwt_spdm_block_get(s, i, &b) != FWT_OK) {
			fwt_appraise_refvals_free(rv, *nrv);
			fwt_appraise_rawvals_free(w, *nw);
			return fwt__error(ctx, FWT_EINTERNAL, "block %zu vanished", i);
		}
		dig = !b.raw && (b.alg == FWT_DIGEST_SHA256 || b.alg == FWT_DIGEST_SHA384 || b.alg == FWT_DIGEST_SHA512) &&
		      b.size == fwt_digest_size(b.alg);
		snprintf(key, sizeof(key), "%u", b.index);
		if (dig && rv) {
			fwt_corim_refval *r = &rv[(*nrv)++];
			if (!(r->key = dupstr(key)))
				goto oom;
			r->n_digests = 1;
			r->digests[0].alg = b.alg;
			memcpy(r->digests[0].value, b.value, b.size);
		} else if (b.raw && w) {
			fwt_corim_rawval *x = &w[(*nw)++];
			unsigned char *v = malloc(b.size ? b.size : 1);
			x->value = v;
			x->len = b.size;
			if (!(x->key = dupstr(key)) || !v)
				goto oom;
			if (b.size)
				memcpy(v, b.value, b.size);
		} else if (!dig) {
			skip++;
		}
	}
	if (skipped)
		*skipped = skip;
	if (rv_out && *nrv)
		*rv_out = rv;
	else
		free(rv);
	if (w_out && *nw)
		*w_out = w;
	else
		free(w);
	return FWT_OK;
oom:
	fwt_appraise_refvals_free(rv, rv ? *nrv : 0);
	fwt_appraise_rawvals_free(w, w ? *nw : 0);
	if (nrv)
		*nrv = 0;
	if (nw)
		*nw = 0;
	return fwt__enomem(ctx);
}

fwt_err fwt_appraise_refvals_from_spdm(fwt_ctx *ctx, const fwt_spdm *s, fwt_corim_refval **out, size_t *n,
                                       size_t *skipped)
{
	fwt_err err;

	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!out || !n || !s)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	err = spdm_values(ctx, s, out, n, skipped, NULL, NULL);
	if (!err && !*n)
		err = fwt__error(ctx, FWT_EUNSUPPORTED, "no measurement block holds a SHA-256, SHA-384 or SHA-512 digest");
	return err;
}

fwt_err fwt_appraise_rawvals_from_spdm(fwt_ctx *ctx, const fwt_spdm *s, fwt_corim_rawval **out, size_t *n)
{
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!out || !n || !s)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments");
	return spdm_values(ctx, s, NULL, NULL, NULL, out, n);
}
