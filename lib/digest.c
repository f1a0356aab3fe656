/* SPDX-License-Identifier: Apache-2.0 */
/* digest.c - SHA-1/256/384/512 over one read pass.  Large inputs with more
 * than one algorithm are hashed by one worker thread per algorithm while the
 * calling thread reads, through a small ring of buffers (memory is bounded
 * by RING_SLOTS * CHUNK whatever the input size). */
/* The SHA functions below the EVP layer (deprecated in OpenSSL 3.0, not
 * removed): the default provider runs the same code, but a first EVP fetch
 * fills the library context's name map from every algorithm OpenSSL knows,
 * about 3.5 million instructions, more than replaying a whole event log. */
#define OPENSSL_API_COMPAT 10101
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <fwtrail/digest.h>
#include "internal.h"
#include "banned.h"

#define CHUNK (1u << 20)          /* bytes per ring slot */
#define RING_SLOTS 8
#define SOLO_CHUNK (256u << 10)   /* read size when hashing on one thread */
#define THREAD_MIN (8u << 20)     /* inputs smaller than this stay on one thread */

static const struct alg_info {
	fwt_digest_alg alg;
	const char *name, *tag, *ossl;
	size_t size;
	int cose;
	unsigned tcg;
} algs[] = {
	{ FWT_DIGEST_SHA256, "sha256", "SHA256", "SHA2-256", 32, -16, 0x000b },
	{ FWT_DIGEST_SHA384, "sha384", "SHA384", "SHA2-384", 48, -43, 0x000c },
	{ FWT_DIGEST_SHA512, "sha512", "SHA512", "SHA2-512", 64, -44, 0x000d },
	{ FWT_DIGEST_SHA1, "sha1", "SHA1", "SHA1", 20, 0, 0x0004 },
	{ FWT_DIGEST_SM3, "sm3", "SM3", "SM3", 32, 0, 0x0012 },
};

static const struct alg_info *info(fwt_digest_alg alg)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(algs); i++)
		if (algs[i].alg == alg)
			return &algs[i];
	return NULL;
}

size_t fwt_digest_size(fwt_digest_alg alg)
{
	const struct alg_info *a = info(alg);
	return a ? a->size : 0;
}

const char *fwt_digest_name(fwt_digest_alg alg)
{
	const struct alg_info *a = info(alg);
	return a ? a->name : NULL;
}

const char *fwt_digest_tag(fwt_digest_alg alg)
{
	const struct alg_info *a = info(alg);
	return a ? a->tag : NULL;
}

fwt_err fwt_digest_from_name(const char *name, fwt_digest_alg *out)
{
	char norm[16];
	size_t i, n = 0;

	if (!name || !out)
		return FWT_EINVAL;
	/* fold case and drop '-' and '_', then accept "sha2NNN" as "shaNNN" */
	for (i = 0; name[i] && n + 1 < sizeof(norm); i++) {
		if (name[i] == '-' || name[i] == '_')
			continue;
		norm[n++] = (char)tolower((unsigned char)name[i]);
	}
	if (name[i])
		return FWT_EUNSUPPORTED;
	norm[n] = '\0';
	if (!strncmp(norm, "sha2", 4) && strlen(norm) == 7)
		memmove(norm + 3, norm + 4, 4);
	for (i = 0; i < FWT_ARRAY_LEN(algs); i++) {
		if (algs[i].alg == FWT_DIGEST_SM3)
			continue;
		if (!strcmp(norm, algs[i].name)) {
			*out = algs[i].alg;
			return FWT_OK;
		}
	}
	return FWT_EUNSUPPORTED;
}

fwt_err fwt_digest_parse_list(const char *list, unsigned *mask, char *bad, size_t badlen)
{
	const char *p = list, *comma;
	char item[32];
	fwt_digest_alg a;
	size_t n;

	unsigned m = 0;

	if (!list || !mask)
		return FWT_EINVAL;
	for (;;) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n >= sizeof(item) ||
		    (memcpy(item, p, n), item[n] = '\0', fwt_digest_from_name(item, &a) != FWT_OK)) {
			if (bad && badlen) {
				size_t c = n < badlen - 1 ? n : badlen - 1;
				memmove(bad, p, c);
				bad[c] = '\0';
			}
			return FWT_EUNSUPPORTED;
		}
		m |= (unsigned)a;
		if (!comma)
			break;
		p = comma + 1;
	}
	*mask = m; /* only on success */
	return FWT_OK;
}

int fwt_digest_cose_id(fwt_digest_alg alg)
{
	const struct alg_info *a = info(alg);
	return a ? a->cose : 0;
}

fwt_err fwt_digest_from_cose_id(long long id, fwt_digest_alg *out)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(algs); i++)
		if (algs[i].cose && algs[i].cose == id) {
			*out = algs[i].alg;
			return FWT_OK;
		}
	return FWT_EUNSUPPORTED;
}

unsigned fwt_digest_tcg_id(fwt_digest_alg alg)
{
	const struct alg_info *a = info(alg);
	return a ? a->tcg : 0;
}

fwt_err fwt_digest_from_tcg_id(unsigned id, fwt_digest_alg *out)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(algs); i++)
		if (algs[i].tcg == id) {
			*out = algs[i].alg;
			return FWT_OK;
		}
	return FWT_EUNSUPPORTED;
}

static unsigned char *slot_of(fwt_digests *d, fwt_digest_alg alg)
{
	switch (alg) {
	case FWT_DIGEST_SHA256: return d->sha256;
	case FWT_DIGEST_SHA384: return d->sha384;
	case FWT_DIGEST_SHA512: return d->sha512;
	case FWT_DIGEST_SHA1: return d->sha1;
	default: return NULL;
	}
}

const unsigned char *fwt_digests_get(const fwt_digests *d, fwt_digest_alg alg)
{
	if (!d || !(d->mask & (unsigned)alg))
		return NULL;
	return slot_of((fwt_digests *)d, alg);
}

/* ---- single-algorithm streaming ---- */

struct fwt_hash {
	fwt_ctx *ctx;
	fwt_digest_alg alg;
	union {
		SHA_CTX sha1;
		SHA256_CTX sha256;
		SHA512_CTX sha512;
	} u;
};

/* Start (or restart) h; 1 on success, as OpenSSL's functions answer. */
static int hash_init(fwt_hash *h)
{
	switch (h->alg) {
	case FWT_DIGEST_SHA1: return SHA1_Init(&h->u.sha1);
	case FWT_DIGEST_SHA256: return SHA256_Init(&h->u.sha256);
	case FWT_DIGEST_SHA384: return SHA384_Init(&h->u.sha512);
	case FWT_DIGEST_SHA512: return SHA512_Init(&h->u.sha512);
	default: return 0;
	}
}

static int hash_update(fwt_hash *h, const void *buf, size_t len)
{
	switch (h->alg) {
	case FWT_DIGEST_SHA1: return SHA1_Update(&h->u.sha1, buf, len);
	case FWT_DIGEST_SHA256: return SHA256_Update(&h->u.sha256, buf, len);
	case FWT_DIGEST_SHA384: return SHA384_Update(&h->u.sha512, buf, len);
	case FWT_DIGEST_SHA512: return SHA512_Update(&h->u.sha512, buf, len);
	default: return 0;
	}
}

static int hash_final(fwt_hash *h, unsigned char *out)
{
	switch (h->alg) {
	case FWT_DIGEST_SHA1: return SHA1_Final(out, &h->u.sha1);
	case FWT_DIGEST_SHA256: return SHA256_Final(out, &h->u.sha256);
	case FWT_DIGEST_SHA384: return SHA384_Final(out, &h->u.sha512);
	case FWT_DIGEST_SHA512: return SHA512_Final(out, &h->u.sha512);
	default: return 0;
	}
}

fwt_err fwt_hash_new(fwt_ctx *ctx, fwt_hash **out, fwt_digest_alg alg)
{
	const struct alg_info *a = info(alg);
	fwt_hash *h;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_hash_new");
	*out = NULL;
	if (!a || alg == FWT_DIGEST_SM3)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "unsupported digest algorithm");
	h = calloc(1, sizeof(*h));
	if (!h)
		return fwt__enomem(ctx);
	h->ctx = ctx;
	h->alg = alg;
	if (!hash_init(h)) {
		fwt_hash_free(h);
		return fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot start %s", a->name);
	}
	*out = h;
	return FWT_OK;
}

fwt_err fwt_hash_update(fwt_hash *h, const void *buf, size_t len)
{
	if (!h)
		return FWT_EINVAL;
	if (!hash_update(h, buf, len))
		return fwt__error_ossl(h->ctx, FWT_ECRYPTO, "%s failed", fwt_digest_name(h->alg));
	return FWT_OK;
}

fwt_err fwt_hash_final(fwt_hash *h, unsigned char *out)
{
	if (!h || !out)
		return h ? fwt__error(h->ctx, FWT_EINVAL, "bad arguments to fwt_hash_final") : FWT_EINVAL;
	if (!hash_final(h, out) || !hash_init(h))
		return fwt__error_ossl(h->ctx, FWT_ECRYPTO, "%s failed", fwt_digest_name(h->alg));
	return FWT_OK;
}

void fwt_hash_free(fwt_hash *h)
{
	if (!h)
		return;
	OPENSSL_cleanse(h, sizeof(*h));
	free(h);
}

fwt_err fwt_digest_oneshot(fwt_ctx *ctx, fwt_digest_alg alg, const void *buf, size_t len,
                           unsigned char *out)
{
	fwt_hash *h;
	fwt_err err;

	err = fwt_hash_new(ctx, &h, alg);
	if (err)
		return err;
	err = fwt_hash_update(h, buf, len);
	if (!err)
		err = fwt_hash_final(h, out);
	fwt_hash_free(h);
	return err;
}

/* ---- the multi-algorithm pass ---- */

struct set {
	size_t n;
	fwt_digest_alg alg[5];
	fwt_hash *h[5];
};

static void set_free(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		fwt_hash_free(s->h[i]);
	s->n = 0;
}

static fwt_err set_init(fwt_ctx *ctx, struct set *s, unsigned mask)
{
	size_t i;
	fwt_err err;

	memset(s, 0, sizeof(*s));
	if (!mask)
		return fwt__error(ctx, FWT_EINVAL, "no digest algorithm selected");
	/* fixed order: sha256, sha384, sha512, sha1 */
	for (i = 0; i < FWT_ARRAY_LEN(algs); i++) {
		if (!(mask & (unsigned)algs[i].alg))
			continue;
		err = fwt_hash_new(ctx, &s->h[s->n], algs[i].alg);
		if (err) {
			set_free(s);
			return err;
		}
		s->alg[s->n++] = algs[i].alg;
	}
	if (mask & ~(unsigned)(FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512 | FWT_DIGEST_SHA1)) {
		set_free(s);
		return fwt__error(ctx, FWT_EUNSUPPORTED, "unsupported digest algorithm");
	}
	return FWT_OK;
}

static fwt_err set_final(struct set *s, fwt_digests *out)
{
	size_t i;
	fwt_err err;

	for (i = 0; i < s->n; i++) {
		err = fwt_hash_final(s->h[i], slot_of(out, s->alg[i]));
		if (err)
			return err;
		out->mask |= (unsigned)s->alg[i];
	}
	return FWT_OK;
}

struct ring {
	pthread_mutex_t mu;
	pthread_cond_t data_cv;   /* workers wait for data */
	pthread_cond_t space_cv;  /* the reader waits for a free slot */
	unsigned char *buf[RING_SLOTS];
	size_t len[RING_SLOTS];
	uint64_t produced;        /* chunks filled */
	int eof;
	int failed;               /* a worker's hash failed, or the reader stopped */
	size_t nworkers;
	uint64_t consumed[5];     /* chunks each worker has finished */
};

struct worker {
	struct ring *ring;
	size_t idx;
	fwt_hash *h;
};

static uint64_t min_consumed(const struct ring *r)
{
	uint64_t m = UINT64_MAX;
	size_t i;

	for (i = 0; i < r->nworkers; i++)
		if (r->consumed[i] < m)
			m = r->consumed[i];
	return m;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct ring *r = w->ring;
	uint64_t seq = 0;
	size_t slot;

	for (;;) {
		pthread_mutex_lock(&r->mu);
		while (seq >= r->produced && !r->eof && !r->failed)
			pthread_cond_wait(&r->data_cv, &r->mu);
		if (r->failed || seq >= r->produced) {
			pthread_mutex_unlock(&r->mu);
			break;
		}
		pthread_mutex_unlock(&r->mu);
		slot = (size_t)(seq % RING_SLOTS);
		/* no ctx access here: errors are reported by the reader thread */
		if (!hash_update(w->h, r->buf[slot], r->len[slot])) {
			pthread_mutex_lock(&r->mu);
			r->failed = 1;
			pthread_cond_broadcast(&r->space_cv);
			pthread_cond_broadcast(&r->data_cv);
			pthread_mutex_unlock(&r->mu);
			break;
		}
		seq++;
		pthread_mutex_lock(&r->mu);
		r->consumed[w->idx] = seq;
		pthread_cond_signal(&r->space_cv);
		pthread_mutex_unlock(&r->mu);
	}
	return NULL;
}

static fwt_err digest_threaded(fwt_ctx *ctx, fwt_reader *rd, const fwt_digest_options *o,
                               struct set *s, uint64_t *total)
{
	struct ring r;
	struct worker w[5];
	pthread_t tid[5];
	size_t i, started = 0, got, slot;
	int64_t size = fwt_reader_size(rd);
	fwt_err err = FWT_OK;

	memset(&r, 0, sizeof(r));
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.data_cv, NULL);
	pthread_cond_init(&r.space_cv, NULL);
	for (i = 0; i < RING_SLOTS; i++) {
		r.buf[i] = malloc(CHUNK);
		if (!r.buf[i]) {
			err = fwt__enomem(ctx);
			goto out;
		}
	}
	r.nworkers = s->n;
	for (i = 0; i < s->n; i++) {
		w[i].ring = &r;
		w[i].idx = i;
		w[i].h = s->h[i];
		if (fwt__thread_start(&tid[i], worker_main, &w[i], (unsigned)i + 1) != 0) {
			err = fwt__error(ctx, FWT_EINTERNAL, "cannot start a hashing thread");
			goto stop;
		}
		started++;
	}
	for (;;) {
		pthread_mutex_lock(&r.mu);
		while (r.produced - min_consumed(&r) >= RING_SLOTS && !r.failed)
			pthread_cond_wait(&r.space_cv, &r.mu);
		if (r.failed) {
			pthread_mutex_unlock(&r.mu);
			err = fwt__error(ctx, FWT_ECRYPTO, "hashing failed");
			break;
		}
		slot = (size_t)(r.produced % RING_SLOTS);
		pthread_mutex_unlock(&r.mu);
		err = fwt_reader_read(rd, r.buf[slot], CHUNK, &got);
		if (err)
			break;
		if (got == 0)
			break;
		*total += got;
		pthread_mutex_lock(&r.mu);
		r.len[slot] = got;
		r.produced++;
		pthread_cond_broadcast(&r.data_cv);
		pthread_mutex_unlock(&r.mu);
		if (o->progress)
			o->progress(o->progress_payload, *total, size);
		if (got < CHUNK)
			break;
	}
stop:
	pthread_mutex_lock(&r.mu);
	r.eof = 1;
	if (err)
		r.failed = 1;
	pthread_cond_broadcast(&r.data_cv);
	pthread_mutex_unlock(&r.mu);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	if (!err && r.failed)
		err = fwt__error(ctx, FWT_ECRYPTO, "hashing failed");
out:
	for (i = 0; i < RING_SLOTS; i++)
		free(r.buf[i]);
	pthread_cond_destroy(&r.space_cv);
	pthread_cond_destroy(&r.data_cv);
	pthread_mutex_destroy(&r.mu);
	return err;
}

static fwt_err digest_solo(fwt_ctx *ctx, fwt_reader *rd, const fwt_digest_options *o,
                           struct set *s, uint64_t *total)
{
	unsigned char *buf = malloc(SOLO_CHUNK);
	int64_t size = fwt_reader_size(rd);
	size_t got, i;
	fwt_err err = FWT_OK;

	if (!buf)
		return fwt__enomem(ctx);
	for (;;) {
		err = fwt_reader_read(rd, buf, SOLO_CHUNK, &got);
		if (err || got == 0)
			break;
		*total += got;
		for (i = 0; i < s->n && !err; i++)
			err = fwt_hash_update(s->h[i], buf, got);
		if (err)
			break;
		if (o->progress)
			o->progress(o->progress_payload, *total, size);
		if (got < SOLO_CHUNK)
			break;
	}
	free(buf);
	return err;
}

fwt_err fwt_digest_reader(fwt_ctx *ctx, fwt_reader *rd, const fwt_digest_options *opts,
                          fwt_digests *out)
{
	fwt_digest_options defaults = FWT_DIGEST_OPTIONS_INIT;
	struct set s;
	int64_t size;
	uint64_t total = 0;
	fwt_err err;

	if (!rd || !out)
		return fwt__error(ctx, FWT_EINVAL, "no input");
	if (opts && opts->version > FWT_DIGEST_OPTIONS_VERSION)
		return fwt__opts_newer(ctx, "digest", opts->version, FWT_DIGEST_OPTIONS_VERSION);
	if (!opts)
		opts = &defaults;
	memset(out, 0, sizeof(*out));
	err = set_init(ctx, &s, opts->algs);
	if (err)
		return err;
	size = fwt_reader_size(rd);
	if (s.n > 1 && fwt_ctx_threads(ctx) > 1 && (size < 0 || size >= (int64_t)THREAD_MIN))
		err = digest_threaded(ctx, rd, opts, &s, &total);
	else
		err = digest_solo(ctx, rd, opts, &s, &total);
	if (!err)
		err = fwt_reader_check_unchanged(rd);
	if (!err)
		err = set_final(&s, out);
	out->bytes = total;
	set_free(&s);
	if (err)
		memset(out, 0, sizeof(*out));
	return err;
}

fwt_err fwt_digest_buffer(fwt_ctx *ctx, unsigned mask, const void *buf, size_t len, fwt_digests *out)
{
	struct set s;
	size_t i;
	fwt_err err;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_digest_buffer");
	memset(out, 0, sizeof(*out));
	err = set_init(ctx, &s, mask);
	if (err)
		return err;
	for (i = 0; i < s.n && !err; i++)
		err = fwt_hash_update(s.h[i], buf, len);
	if (!err)
		err = set_final(&s, out);
	out->bytes = len;
	set_free(&s);
	return err;
}
