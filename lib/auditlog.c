/* SPDX-License-Identifier: Apache-2.0 */
/* auditlog.c - the hash-chained audit log: locked atomic appends, the
 * chain and checkpoint verifier, and the history the rollback rule reads. */
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <fwtrail/auditlog.h>
#include <fwtrail/cbor.h>
#include <fwtrail/cose.h>
#include <fwtrail/digest.h>
#include <fwtrail/hex.h>
#include <fwtrail/json.h>
#include <fwtrail/policy.h>
#include <fwtrail/trust.h>
#include "cbor_internal.h"
#include "internal.h"
#include "banned.h"

#define CHUNK (64u * 1024u)
#define SERIAL_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(17))

struct fwt_auditlog {
	fwt_ctx *ctx;
	int fd;
	char *path;
	uint64_t seq;
	unsigned char prev[32];
	off_t size;
	int created;              /* by fwt_auditlog_create */
	int unnamed;              /* created as an O_TMPFILE: named at its first record */
};

static void qname(char *q, size_t cap, const char *name)
{
	fwt__quote(q, cap, name, strlen(name));
}

static fwt_err sha256(fwt_ctx *ctx, const void *p, size_t n, unsigned char out[32])
{
	return fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, p, n, out);
}

static int hex32(const char *s, unsigned char out[32])
{
	size_t n;

	return s && strlen(s) == 64 && fwt_hex_decode(out, 32, s, 64, &n) == FWT_OK && n == 32;
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int restart_flock(int fd, int op)
{
	int r;

	do
		r = flock(fd, op);
	while (r != 0 && errno == EINTR);
	return r;
}

/* How to wait for a lock another process holds: the caller is told once,
 * and gives up at the deadline, if any. */
struct lockwait {
	fwt_auditlog_wait_fn waiting;
	void *payload;
	const char *path;         /* as given, for waiting */
	unsigned timeout_ms;      /* 0: no limit */
	int told;
	struct timespec deadline; /* CLOCK_MONOTONIC, set when first waiting */
};

static int before_deadline(const struct timespec *d)
{
	struct timespec now;

	if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
		return 0;
	return now.tv_sec < d->tv_sec || (now.tv_sec == d->tv_sec && now.tv_nsec < d->tv_nsec);
}

/* Take the lock: at once when it is free; else say so (once), then wait,
 * as long as it takes or until the deadline (polled: flock has no timeout
 * of its own, and the library leaves signals alone). */
static fwt_err wait_lock(fwt_ctx *ctx, int fd, int op, const char *q, struct lockwait *lw)
{
	long pause_ns = 1000 * 1000;

	if (restart_flock(fd, op | LOCK_NB) == 0)
		return FWT_OK;
	if (errno != EWOULDBLOCK)
		return fwt__error(ctx, FWT_EIO, "cannot lock audit log '%s': %s", q, strerror(errno));
	if (lw && !lw->told) {
		lw->told = 1;
		if (lw->timeout_ms && clock_gettime(CLOCK_MONOTONIC, &lw->deadline) == 0) {
			lw->deadline.tv_sec += lw->timeout_ms / 1000;
			lw->deadline.tv_nsec += (long)(lw->timeout_ms % 1000) * 1000 * 1000;
			if (lw->deadline.tv_nsec >= 1000 * 1000 * 1000) {
				lw->deadline.tv_sec++;
				lw->deadline.tv_nsec -= 1000 * 1000 * 1000;
			}
		}
		if (lw->waiting)
			lw->waiting(lw->payload, lw->path);
	}
	if (!lw || !lw->timeout_ms) {
		if (restart_flock(fd, op) != 0)
			return fwt__error(ctx, FWT_EIO, "cannot lock audit log '%s': %s", q, strerror(errno));
		return FWT_OK;
	}
	for (;;) {
		if (!before_deadline(&lw->deadline))
			return fwt__error(ctx, FWT_EIO, "cannot lock audit log '%s': still held by another process after %g "
			                  "second%s", q, lw->timeout_ms / 1000.0, lw->timeout_ms == 1000 ? "" : "s");
		(void)nanosleep(&(struct timespec){ 0, pause_ns }, NULL);
		if (pause_ns < 50 * 1000 * 1000)
			pause_ns *= 2;
		if (restart_flock(fd, op | LOCK_NB) == 0)
			return FWT_OK;
		if (errno != EWOULDBLOCK)
			return fwt__error(ctx, FWT_EIO, "cannot lock audit log '%s': %s", q, strerror(errno));
	}
}

/* Lock fd (op: LOCK_SH or LOCK_EX), then see the file as an opener must.
 * A log is created by open (O_EXCL), then locked: an opener that locks in
 * between finds it empty for a moment, which is no cut log, so an empty
 * one is looked at again, unlocked in between, for up to a second.  A file
 * its creator removed again (nothing appended) is no log at all. */
static fwt_err open_regular(fwt_ctx *ctx, const char *path, int flags, int create, int *fdout);

/* Lock *fd (opened on path with flags) and settle: a log whose name now
 * stands for another file (rotated: moved away and a new one put in its
 * place, or replaced by a rename, as editors and restores do) is reopened
 * by its name and locked again, so that nothing is appended to, or read
 * from, a file that is no longer the log; one whose name is gone is an
 * error.  A log of no bytes is waited for a moment (its creator writes
 * its first record under the lock it takes at once). */
static fwt_err lock_and_settle(fwt_ctx *ctx, int *fd, const char *path, int flags, int op, const char *q,
                               struct stat *st, struct lockwait *lw)
{
	struct stat now;
	int tries, moved = 0;
	fwt_err err;

	for (tries = 0;; tries++) {
		if ((err = wait_lock(ctx, *fd, op, q, lw)) != FWT_OK)
			return err;
		if (fstat(*fd, st) != 0)
			return fwt__error(ctx, FWT_EIO, "cannot stat audit log '%s': %s", q, strerror(errno));
		if (stat(path, &now) != 0) {
			if (errno != ENOENT)
				return fwt__error(ctx, FWT_EIO, "cannot stat audit log '%s': %s", q, strerror(errno));
			return fwt__error(ctx, FWT_EIO, "cannot open audit log '%s': it does not exist (it was %s while "
			                  "this waited for its lock)", q, st->st_nlink ? "moved" : "removed");
		}
		if (now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
			/* another file has the name now: that one is the log */
			if (++moved > 20)
				return fwt__error(ctx, FWT_EIO, "cannot open audit log '%s': it is replaced again and again",
				                  q);
			(void)restart_flock(*fd, LOCK_UN);
			close(*fd);
			*fd = -1;
			if ((err = open_regular(ctx, path, flags, 0, fd)) != FWT_OK)
				return err;
			tries--;
			continue;
		}
		if (st->st_size != 0 || tries == 20)
			return FWT_OK;
		(void)restart_flock(*fd, LOCK_UN);
		(void)nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
}

/* ---- reading lines ---- */

struct src {
	int fd;                       /* -1: memory */
	const unsigned char *mem;
	size_t memlen, mempos;
	unsigned char *buf;
	size_t cap, start, end;
	uint64_t off;                 /* offset of buf[start] */
	int eof;
};

static fwt_err src_fill(fwt_ctx *ctx, struct src *s, const char *name)
{
	ssize_t r;
	size_t want;

	if (s->start) {
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
	}
	if (s->cap - s->end < CHUNK) {
		size_t ncap = s->cap ? s->cap * 2 : 2 * CHUNK;
		unsigned char *nb;
		if (ncap > FWT_AUDITLOG_LINE_MAX + 2 * CHUNK)
			ncap = FWT_AUDITLOG_LINE_MAX + 2 * CHUNK;
		if (ncap > s->cap) {
			nb = realloc(s->buf, ncap);
			if (!nb)
				return fwt__enomem(ctx);
			s->buf = nb;
			s->cap = ncap;
		}
	}
	want = s->cap - s->end;
	if (s->fd < 0) {
		size_t n = s->memlen - s->mempos < want ? s->memlen - s->mempos : want;
		memcpy(s->buf + s->end, s->mem + s->mempos, n);
		s->mempos += n;
		s->end += n;
		if (!n)
			s->eof = 1;
		return FWT_OK;
	}
	do
		r = read(s->fd, s->buf + s->end, want);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		char q[128 * 4 + 8];
		qname(q, sizeof(q), name);
		return fwt__error(ctx, FWT_EIO, "cannot read '%s': %s", q, strerror(errno));
	}
	if (!r)
		s->eof = 1;
	s->end += (size_t)r;
	return FWT_OK;
}

/* The next line, newline included when there is one.  *line points into
 * the buffer (valid until the next call); *toolong when a line passes the
 * limit.  *got is 0 at the end. */
static fwt_err src_line(fwt_ctx *ctx, struct src *s, const char *name, const unsigned char **line, size_t *len,
                        uint64_t *off, int *got, int *toolong)
{
	size_t scanned = 0;
	fwt_err err;

	*got = *toolong = 0;
	for (;;) {
		unsigned char *nl = s->end > s->start + scanned
		                            ? memchr(s->buf + s->start + scanned, '\n', s->end - s->start - scanned)
		                            : NULL;
		if (nl) {
			*line = s->buf + s->start;
			*len = (size_t)(nl - *line) + 1;
			*off = s->off;
			s->start += *len;
			s->off += *len;
			*got = 1;
			*toolong = *len > FWT_AUDITLOG_LINE_MAX;
			return FWT_OK;
		}
		scanned = s->end - s->start;
		if (scanned > FWT_AUDITLOG_LINE_MAX) {
			*line = s->buf + s->start;
			*len = scanned;
			*off = s->off;
			*got = *toolong = 1;
			return FWT_OK;
		}
		if (s->eof) {
			if (s->end == s->start)
				return FWT_OK;
			*line = s->buf + s->start;
			*len = s->end - s->start;
			*off = s->off;
			s->off += *len;
			s->start = s->end;
			*got = 1;
			return FWT_OK;
		}
		err = src_fill(ctx, s, name);
		if (err)
			return err;
	}
}

/* ---- verification ---- */

struct vst {
	fwt_ctx *ctx;
	const char *name;
	const fwt_auditlog_verify_options *o;
	uint64_t lineno, expect;
	unsigned char prev[32];
	uint64_t audits, checkpoints, cverified, unsigned_after;
	int head_found;
	char head_hex[65];
	unsigned char kfpr[32];
	json_t *first_bad;
	json_t *pending;         /* the last record read, not yet passed to o->record: */
	char pending_hex[65];    /* it is passed once the next line's prev matches its */
	int pending_bad;         /* hash, or at the end; never when that prev does not */
	int whole;               /* a walk from the file's first line (not tail_check) */
	int64_t prev_time;       /* the "time" of the record before (0: none read) */
	char prev_time_s[40];
	int64_t max_time;        /* the latest "time" of the records read, and its seq */
	char max_time_s[40];
	uint64_t max_time_seq;
	int64_t now;             /* o->now (version 2), else 0 */
};

/* Pass the pending record on to o->record (the walk stops at its error). */
static fwt_err flush_pending(struct vst *v)
{
	json_t *j = v->pending;
	fwt_err err = FWT_OK;

	v->pending = NULL;
	if (j && v->o->record) {
		/* a callback that says nothing of why it stopped the walk
		 * leaves no stale message behind its code (the context's
		 * message is kept: the walk may have named a bad record) */
		char before[256];
		snprintf(before, sizeof(before), "%s", fwt_ctx_errmsg(v->ctx));
		err = v->o->record(v->o->payload, j, v->pending_hex);
		if (err && !strncmp(before, fwt_ctx_errmsg(v->ctx), sizeof(before) - 1)) {
			json_t *seq = json_object_get(j, "seq");
			char q[128 * 4 + 8];
			qname(q, sizeof(q), v->name);
			err = fwt__error(v->ctx, err, "audit log '%s': the record callback stopped the walk at record "
			                 "%lld (%s)", q, json_is_integer(seq) ? (long long)json_integer_value(seq) : -1,
			                 fwt_err_name(err));
		}
	}
	json_decref(j);
	return err;
}

static fwt_err vbad(struct vst *v, uint64_t line, long long seq, uint64_t off, const char *problem, const char *fmt,
                    ...) FWT_FMT(6, 7);
static fwt_err vbad(struct vst *v, uint64_t line, long long seq, uint64_t off, const char *problem, const char *fmt,
                    ...)
{
	char msg[1024], q[128 * 4 + 8], where[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	qname(q, sizeof(q), v->name);
	if (seq >= 0)
		snprintf(where, sizeof(where), "line %llu (seq %lld)", (unsigned long long)line, seq);
	else
		snprintf(where, sizeof(where), "line %llu", (unsigned long long)line);
	json_decref(v->first_bad);
	v->first_bad = json_pack("{s:I, s:o, s:I, s:s, s:s}", "line", (json_int_t)line, "seq",
	                         seq >= 0 ? json_integer(seq) : json_null(), "offset", (json_int_t)off, "problem", problem,
	                         "message", msg);
	return fwt__error(v->ctx, FWT_EVERIFY, "'%s': %s: %s: %s", q, where, problem, msg);
}

static long long peek_seq(fwt_ctx *ctx, const unsigned char *line, size_t len)
{
	json_t *j = NULL, *s;
	long long r = -1;
	fwt_json_options jo = FWT_JSON_OPTIONS_INIT;

	jo.max_size = FWT_AUDITLOG_LINE_MAX;
	if (!line || !len || line[len - 1] != '\n' || fwt_json_parse(ctx, &j, line, len - 1, "next", &jo))
		return -1;
	s = json_object_get(j, "seq");
	if (json_is_integer(s))
		r = (long long)json_integer_value(s);
	json_decref(j);
	return r;
}

/* A line of nothing but blanks (spaces, tabs, CR) and its newline:
 * fwtrail writes none, so the log was edited. */
static int blank_line(const unsigned char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++)
		;
	return i + 1 == len && line[i] == '\n';
}

static int is_outcome(const char *s)
{
	return s && (!strcmp(s, "pass") || !strcmp(s, "warn") || !strcmp(s, "fail"));
}

static int time_ok(const char *s)
{
	int64_t t;

	return s && fwt_time_parse_rfc3339(s, strlen(s), &t) == FWT_OK;
}

/* An audit record's own shape; returns a complaint or NULL. */
static const char *audit_shape(const json_t *r)
{
	const json_t *pol = json_object_get(r, "policy"), *rules = json_object_get(r, "rules"), *e, *in;
	const char *verdict = jstr(r, "verdict");
	unsigned char h[32];
	int worst = 0;
	size_t i;

	if (!time_ok(jstr(r, "time")))
		return "\"time\" is not an RFC 3339 time";
	if (!json_is_string(json_object_get(r, "fwtrail_version")))
		return "no \"fwtrail_version\"";
	if (json_object_get(r, "host") && !json_is_string(json_object_get(r, "host")) &&
	    !json_is_null(json_object_get(r, "host")))
		return "\"host\" is not a string";
	if (!json_is_object(pol) || !hex32(jstr(pol, "sha256"), h))
		return "\"policy\" does not give the policy's SHA-256";
	in = json_object_get(r, "inputs");
	if (!json_is_array(in))
		return "no \"inputs\" list";
	json_array_foreach(in, i, e)
		if (!json_is_object(e) || !hex32(jstr(e, "sha256"), h))
			return "an input has no SHA-256";
	if (!json_is_array(rules) || !is_outcome(verdict))
		return "no \"rules\" or \"verdict\"";
	json_array_foreach(rules, i, e) {
		const char *oc = jstr(e, "outcome");
		if (!json_is_object(e) || !json_is_string(json_object_get(e, "id")) || !is_outcome(oc) ||
		    !json_is_array(json_object_get(e, "reasons")))
			return "a rule outcome is malformed";
		if (!strcmp(oc, "fail"))
			worst = 2;
		else if (!strcmp(oc, "warn") && worst < 1)
			worst = 1;
	}
	if (strcmp(verdict, worst == 2 ? "fail" : worst == 1 ? "warn" : "pass"))
		return "its verdict does not follow from its rule outcomes";
	if (json_object_get(r, "products") && !json_is_array(json_object_get(r, "products")))
		return "\"products\" is not a list";
	return NULL;
}

/* Checkpoints are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) and PS512
 * (RSA-4096): the algorithm follows from the key, as for every signature
 * fwtrail makes (fwtrail-sign(1), fwtrail-verify(1)). */
#define CHECKPOINT_ALGS "ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"

static int checkpoint_alg(fwt_sig_alg alg)
{
	return alg == FWT_SIG_ES384 || alg == FWT_SIG_ES512 || alg == FWT_SIG_PS384 || alg == FWT_SIG_PS512;
}

fwt_err fwt_auditlog_check_sign_key(fwt_ctx *ctx, fwt_key *key)
{
	if (!key)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_auditlog_check_sign_key");
	if (!checkpoint_alg(fwt_key_alg(key)))
		return fwt__error(ctx, FWT_EUNSUPPORTED, "key '%s' is %s: audit log checkpoints are signed with "
		                  CHECKPOINT_ALGS, fwt_key_name(key), fwt_pubkey_describe(fwt_key_pubkey(key)));
	return FWT_OK;
}

static fwt_err checkpoint_payload(fwt_ctx *ctx, uint64_t seq, const unsigned char head[32], const char *time,
                                  unsigned char **out, size_t *len)
{
	cbor_item_t *m = fwt__cb_map();
	fwt_err err;

	if (!m || !fwt__cb_put(m, fwt__cb_text("seq", 3), fwt__cb_uint(seq)) ||
	    !fwt__cb_put(m, fwt__cb_text("head", 4), fwt__cb_bytes(head, 32)) ||
	    !fwt__cb_put(m, fwt__cb_text("time", (size_t)-1), fwt__cb_text(time, (size_t)-1))) {
		fwt__cb_free(m);
		return fwt__enomem(ctx);
	}
	err = fwt__cbor_encode_alloc(ctx, m, out, len);
	fwt__cb_free(m);
	return err;
}

/* The COSE_Sign1 is a checkpoint, by the record's key: its protected
 * header carries exactly FWT_AUDITLOG_CHECKPOINT_TYPE (which sets it apart
 * from every other COSE_Sign1 the same key makes, such as a firmware
 * signature over the same bytes) and the kid fwtrail writes, the key's
 * 32-byte fingerprint, equal to the record's "key" byte for byte. */
static int checkpoint_headers(const fwt_cose *m, const unsigned char kf[32], char *msg, size_t cap)
{
	static const char want[] = FWT_AUDITLOG_CHECKPOINT_TYPE;
	const unsigned char *kid;
	const char *ct = NULL;
	char q[64 * 4 + 8];
	size_t ctlen = 0, kidlen = 0;
	uint64_t num = 0;
	int got = fwt_cose_protected_content_type(m, &ct, &ctlen, &num);

	if (got != 1 || ctlen != sizeof(want) - 1 || memcmp(ct, want, ctlen)) {
		if (got == 1)
			fwt__quote(q, sizeof(q), ct, ctlen > 64 ? 64 : ctlen);
		if (got == 1)
			snprintf(msg, cap, "its COSE_Sign1 is not a checkpoint (content type '%s'%s, not '%s')", q,
			         ctlen > 64 ? "..." : "", want);
		else if (got == 2)
			snprintf(msg, cap, "its COSE_Sign1 is not a checkpoint (content type %llu, not '%s')",
			         (unsigned long long)num, want);
		else
			snprintf(msg, cap, "its COSE_Sign1 is not a checkpoint (no content type in its protected header, "
			         "not '%s')", want);
		return 0;
	}
	if (fwt_cose_protected_bstr(m, 4, &kid, &kidlen) != FWT_OK) {
		snprintf(msg, cap, "its COSE_Sign1 names no key: no kid in its protected header (the checkpoint key's "
		         "SHA-256 fingerprint)");
		return 0;
	}
	if (kidlen != 32 || memcmp(kid, kf, 32)) {
		snprintf(msg, cap, "its COSE_Sign1's kid is not the record's \"key\" (the checkpoint key's SHA-256 "
		         "fingerprint)");
		return 0;
	}
	return 1;
}

/* Check a checkpoint record: the COSE message, its headers, its payload
 * against the record, and with a key its algorithm and signature.  Returns
 * a complaint (msg) and FWT_EVERIFY, or FWT_OK. */
static fwt_err checkpoint_check(struct vst *v, const json_t *r, uint64_t seq, char *msg, size_t cap)
{
	const char *b64 = jstr(r, "cose"), *time = jstr(r, "time"), *kfp = jstr(r, "key");
	unsigned char *cose = NULL, *want = NULL, kf[32];
	size_t clen = 0, wlen = 0, plen;
	const unsigned char *payload;
	fwt_cose *m = NULL;
	fwt_cose_options co = FWT_COSE_OPTIONS_INIT;
	fwt_err err, ret = FWT_EVERIFY;
	fwt_sig_alg alg;
	int64_t when, algid = 0;
	char q[128 * 4 + 8];

	if (!b64 || !time_ok(time) || !hex32(kfp, kf)) {
		snprintf(msg, cap, "a checkpoint needs \"cose\", \"time\" and \"key\"");
		return FWT_EVERIFY;
	}
	cose = malloc(strlen(b64) / 4 * 3 + 3);
	if (!cose)
		return fwt__enomem(v->ctx);
	if (fwt_b64_decode(cose, strlen(b64) / 4 * 3 + 3, b64, strlen(b64), &clen) != FWT_OK) {
		snprintf(msg, cap, "its \"cose\" is not base64");
		goto out;
	}
	if (fwt_cose_parse(v->ctx, &m, cose, clen, NULL) != FWT_OK || fwt_cose_get_kind(m) != FWT_COSE_SIGN1) {
		snprintf(msg, cap, "its \"cose\" is not a COSE_Sign1 message: %s", fwt_ctx_errmsg(v->ctx));
		goto out;
	}
	if (!checkpoint_headers(m, kf, msg, cap))
		goto out;
	/* fwtrail stamps a checkpoint with its audit's time: one dated before
	 * the record it signs is not what fwtrail wrote, and would have a
	 * certificate vouch for records written after it expired */
	if (fwt_time_parse_rfc3339(time, strlen(time), &when) != FWT_OK) {
		snprintf(msg, cap, "its \"time\" is not an RFC 3339 time");
		goto out;
	}
	if (v->prev_time && when < v->prev_time) {
		snprintf(msg, cap, "its \"time\" %s is before that of the record it signs (%s): a checkpoint is stamped "
		         "after the records it covers", time, v->prev_time_s);
		goto out;
	}
	/* a certificate vouches for a time inside its dates: one not yet
	 * come is no such time (a bare key has no dates: a clock that ran
	 * fast on the host that wrote the log is no tampering) */
	if (v->o->key && fwt_pubkey_has_cert(v->o->key) && v->now && when > v->now &&
	    when - v->now > FWT_AUDITLOG_CLOCK_SKEW) {
		char nows[32];
		fwt_time_format_rfc3339(v->now, nows);
		snprintf(msg, cap, "its \"time\" %s is after the time of this verification (%s)", time, nows);
		goto out;
	}
	payload = fwt_cose_payload(m, &plen);
	err = checkpoint_payload(v->ctx, seq - 1, v->prev, time, &want, &wlen);
	if (err) {
		ret = err;
		goto out;
	}
	if (!payload || plen != wlen || memcmp(payload, want, wlen)) {
		snprintf(msg, cap, "its signed payload is not {seq %llu, head = the hash of the record before, time %s}",
		         (unsigned long long)(seq - 1), time);
		goto out;
	}
	if (v->o->key) {
		if (memcmp(kf, v->kfpr, 32)) {
			snprintf(msg, cap, "signed by key %.16s..., not by the key given", kfp);
			goto out;
		}
		/* the algorithm is the key's own, one of the four: never
		 * PS256, RSA-2048, or PS512 by an RSA-3072 key */
		if (fwt_cose_alg_id(m, 0, &algid) != 1 || fwt_sig_alg_from_cose_id(algid, &alg) != FWT_OK) {
			snprintf(msg, cap, "its COSE_Sign1 has no supported alg in its protected header: checkpoints are "
			         CHECKPOINT_ALGS);
			goto out;
		}
		if (!checkpoint_alg(alg) || alg != fwt_pubkey_default_alg(v->o->key)) {
			qname(q, sizeof(q), fwt_pubkey_name(v->o->key));
			snprintf(msg, cap, "%s with key '%s' (%s) is not accepted: checkpoints are " CHECKPOINT_ALGS,
			         fwt_sig_alg_name(alg), q, fwt_pubkey_describe(v->o->key));
			goto out;
		}
		co.flags = FWT_COSE_STRICT;
		co.algs = 1u << FWT_SIG_ES384 | 1u << FWT_SIG_ES512 | 1u << FWT_SIG_PS384 | 1u << FWT_SIG_PS512;
		err = fwt_cose_verify(v->ctx, m, v->o->key, &co, NULL);
		if (err == FWT_EVERIFY || err == FWT_EUNSUPPORTED) {
			snprintf(msg, cap, "its signature does not verify with the key given");
			goto out;
		}
		if (err) {
			ret = err;
			goto out;
		}
		/* a certificate vouches for the checkpoint only as it would for
		 * any signature: not revoked, its key usage allowing signing, not
		 * a device identity, and valid at the checkpoint's own time.
		 * 0 would mean "now" to the trust check; no clock fwtrail reads
		 * stamps a checkpoint at the epoch or before it */
		if (when <= 0) {
			snprintf(msg, cap, "its \"time\" %s is not after 1970-01-01T00:00:00Z", time);
			goto out;
		}
		err = fwt_trust_check_key(v->ctx, NULL, v->o->key, when, NULL);
		if (err == FWT_EVERIFY) {
			snprintf(msg, cap, "the key given does not vouch for it: %s", fwt_ctx_errmsg(v->ctx));
			goto out;
		}
		/* nor for records written after it stopped vouching (a clock
		 * set back between two audits dates a record later than the
		 * checkpoint after it) */
		if (!err && v->max_time > when) {
			err = fwt_trust_check_key(v->ctx, NULL, v->o->key, v->max_time, NULL);
			if (err == FWT_EVERIFY) {
				snprintf(msg, cap, "the key given does not vouch for record %llu (time %s): %s",
				         (unsigned long long)v->max_time_seq, v->max_time_s, fwt_ctx_errmsg(v->ctx));
				goto out;
			}
		}
		if (err) {
			ret = err;
			goto out;
		}
		v->cverified++;
	}
	ret = FWT_OK;
out:
	fwt_cose_free(m);
	free(cose);
	free(want);
	return ret;
}

/*
 * Is a file's first line an audit log record at all (an object with a
 * "type", a "seq" and a "prev"), or one cut short?  A file whose first
 * line is not (a policy, an appraisal record, any text) is no audit log:
 * FWT_EFORMAT naming it, where an edit after a good first record is a
 * "no" (FWT_EVERIFY, "edited").  A log whose first line was overwritten
 * reads the same, and is refused all the same: both are failures.
 */
static fwt_err first_line_check(fwt_ctx *ctx, const char *name, const unsigned char *line, size_t len, int toolong)
{
	fwt_json_options jo = FWT_JSON_OPTIONS_INIT;
	int nl = len && line[len - 1] == '\n';
	char why[768], q[128 * 4 + 8];
	unsigned char p[32];
	json_t *j = NULL;
	const char *type;

	if (toolong) {
		snprintf(why, sizeof(why), "it is longer than the %u bytes of a record", FWT_AUDITLOG_LINE_MAX);
	} else if (blank_line(line, len)) {
		snprintf(why, sizeof(why), "it is a blank line");
	} else {
		jo.max_size = FWT_AUDITLOG_LINE_MAX;
		jo.max_depth = 16;
		if (fwt_json_parse(ctx, &j, line, nl ? len - 1 : len, "line 1", &jo) != FWT_OK) {
			/* the start of a record, cut: the walk says "truncated" */
			if (!nl && len >= 2 && line[0] == '{' && line[1] == '"')
				return FWT_OK;
			const char *m = fwt_ctx_errmsg(ctx);
			if (!strncmp(m, "'line 1': ", 10))
				m += 10;
			snprintf(why, sizeof(why), "%s", m);
		} else {
			type = jstr(j, "type");
			if (json_is_integer(json_object_get(j, "seq")) && hex32(jstr(j, "prev"), p) && type &&
			    (!strcmp(type, "audit") || !strcmp(type, "checkpoint"))) {
				json_decref(j);
				return FWT_OK;
			}
			json_decref(j);
			snprintf(why, sizeof(why), "a JSON object without the \"type\", \"seq\" and \"prev\" of a record");
		}
	}
	qname(q, sizeof(q), name);
	return fwt__error(ctx, FWT_EFORMAT,
	                  "'%s' is not an fwtrail audit log: line 1 is not an audit log record: %s (a log whose first "
	                  "record was overwritten reads the same)",
	                  q, why);
}

static fwt_err vline(struct vst *v, const unsigned char *line, size_t len, uint64_t off, int toolong,
                     const unsigned char *next, size_t nextlen)
{
	fwt_json_options jo = FWT_JSON_OPTIONS_INIT;
	unsigned char h[32], p[32];
	char hex[65], msg[768];
	const char *type, *why;
	json_t *j = NULL, *sj;
	long long seq;
	uint64_t ln = ++v->lineno;
	fwt_err err;

	if (ln == 1 && v->whole && (err = first_line_check(v->ctx, v->name, line, len, toolong)) != FWT_OK)
		return err;
	if (toolong)
		return vbad(v, ln, -1, off, "edited", "longer than %u bytes: not a record fwtrail wrote",
		            FWT_AUDITLOG_LINE_MAX);
	if (!len || line[len - 1] != '\n')
		return vbad(v, ln, -1, off, "truncated",
		            "incomplete: the log ends in the middle of a record (a crash during a write, or a cut)");
	if (blank_line(line, len))
		return vbad(v, ln, -1, off, "edited",
		            "a blank line where a record belongs: the log was edited (fwtrail writes no blank lines)");
	err = sha256(v->ctx, line, len, h);
	if (err)
		return err;
	fwt_hex_encode(hex, h, 32);
	jo.max_size = FWT_AUDITLOG_LINE_MAX;
	jo.max_depth = 16;
	if (fwt_json_parse(v->ctx, &j, line, len - 1, "record", &jo) != FWT_OK) {
		snprintf(msg, sizeof(msg), "%s", fwt_ctx_errmsg(v->ctx));
		return vbad(v, ln, -1, off, "edited", "not a valid record: %s", msg);
	}
	sj = json_object_get(j, "seq");
	type = jstr(j, "type");
	if (!json_is_integer(sj) || json_integer_value(sj) < 1 || !hex32(jstr(j, "prev"), p) || !type ||
	    (strcmp(type, "audit") && strcmp(type, "checkpoint"))) {
		json_decref(j);
		return vbad(v, ln, -1, off, "edited", "not a valid record: no \"type\", \"seq\" or \"prev\"");
	}
	seq = (long long)json_integer_value(sj);
	if (memcmp(p, v->prev, 32)) {
		long long e = (long long)v->expect;
		json_decref(j);
		if (seq == e && ln > 1) {
			v->pending_bad = 1; /* the line before is the one named: never shown */
			return vbad(v, ln - 1, e - 1, off, "edited",
			            "the SHA-256 of line %llu is not the prev of line %llu: line %llu (or the prev of line "
			            "%llu) was changed",
			            (unsigned long long)(ln - 1), (unsigned long long)ln, (unsigned long long)(ln - 1),
			            (unsigned long long)ln);
		}
		if (seq == e)
			return vbad(v, ln, seq, off, "edited", "the first record's prev is not the genesis value");
		if (seq > e && peek_seq(v->ctx, next, nextlen) == e)
			return vbad(v, ln, seq, off, "reordered", "holds seq %lld where seq %lld belongs: records were moved",
			            seq, e);
		if (seq > e)
			return vbad(v, ln, seq, off, "deleted",
			            "holds seq %lld where seq %lld belongs: %lld record%s before it %s deleted", seq, e, seq - e,
			            seq - e == 1 ? "" : "s", seq - e == 1 ? "was" : "were");
		return vbad(v, ln, seq, off, "inserted", "holds seq %lld, already used: a record was inserted or copied here",
		            seq);
	}
	/* this line's prev is the hash of the line before: that record holds */
	err = flush_pending(v);
	if (err) {
		json_decref(j);
		return err;
	}
	if (seq != (long long)v->expect) {
		json_decref(j);
		return vbad(v, ln, seq, off, "edited", "its seq was changed (seq %llu belongs here)",
		            (unsigned long long)v->expect);
	}
	if (!strcmp(type, "audit")) {
		if ((why = audit_shape(j)) != NULL) {
			json_decref(j);
			return vbad(v, ln, seq, off, "edited", "not a valid audit record: %s", why);
		}
		v->audits++;
		v->unsigned_after++;
	} else {
		err = checkpoint_check(v, j, (uint64_t)seq, msg, sizeof(msg));
		if (err == FWT_EVERIFY) {
			json_decref(j);
			return vbad(v, ln, seq, off, "bad_checkpoint", "%s", msg);
		}
		if (err) {
			json_decref(j);
			return err;
		}
		v->checkpoints++;
		v->unsigned_after = 0;
	}
	if (v->o->head && !strcmp(hex, v->head_hex))
		v->head_found = 1;
	{
		const char *t = jstr(j, "time"); /* checked by audit_shape and checkpoint_check */
		if (t && fwt_time_parse_rfc3339(t, strlen(t), &v->prev_time) == FWT_OK) {
			snprintf(v->prev_time_s, sizeof(v->prev_time_s), "%.39s", t);
			if (!v->max_time_seq || v->prev_time > v->max_time) {
				v->max_time = v->prev_time;
				v->max_time_seq = (uint64_t)seq;
				memcpy(v->max_time_s, v->prev_time_s, sizeof(v->max_time_s));
			}
		}
	}
	v->pending = j; /* passed on when the next line's prev matches, or at the end */
	memcpy(v->pending_hex, hex, sizeof(v->pending_hex));
	memcpy(v->prev, h, 32);
	v->expect++;
	return FWT_OK;
}

static fwt_err verify_src(fwt_ctx *ctx, struct src *s, const char *name, const fwt_auditlog_verify_options *o,
                          json_t **report)
{
	fwt_auditlog_verify_options defaults = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	struct vst v;
	unsigned char *cur = NULL, hb[32];
	const unsigned char *l1, *l2;
	size_t n1 = 0, n2 = 0;
	uint64_t off1 = 0, off2 = 0;
	int got1, got2, tl1, tl2;
	char hex[65];
	unsigned ver;
	fwt_err err;
	json_t *rep;

	if (report)
		*report = NULL;
	if (!o)
		o = &defaults;
	if ((err = fwt__opts_version(ctx, "audit log verify", o->version, FWT_AUDITLOG_VERIFY_OPTIONS_VERSION, &ver)))
		return err;
	memset(&v, 0, sizeof(v));
	v.ctx = ctx;
	v.name = name;
	v.o = o;
	v.expect = 1;
	v.whole = 1;
	if (ver >= 2)
		v.now = o->now;
	if (o->head) {
		if (!hex32(o->head, hb))
			return fwt__error(ctx, FWT_EINVAL, "a head is a SHA-256 in hex (64 digits)");
		fwt_hex_encode(v.head_hex, hb, 32);
	}
	if (o->key && (err = fwt_pubkey_fingerprint(o->key, v.kfpr)) != FWT_OK)
		return err;
	err = src_line(ctx, s, name, &l1, &n1, &off1, &got1, &tl1);
	while (!err && got1) {
		/* keep the current line while the next one is read (for reordering) */
		free(cur);
		cur = malloc(n1 ? n1 : 1);
		if (!cur) {
			err = fwt__enomem(ctx);
			break;
		}
		memcpy(cur, l1, n1);
		err = src_line(ctx, s, name, &l2, &n2, &off2, &got2, &tl2);
		if (err)
			break;
		err = vline(&v, cur, n1, off1, tl1, got2 ? l2 : NULL, got2 ? n2 : 0);
		if (err)
			break;
		l1 = l2;
		n1 = n2;
		off1 = off2;
		got1 = got2;
		tl1 = tl2;
	}
	free(cur);
	/* the last record read: good unless the line after it named it, and
	 * passed on before any error found after it (as it would have been
	 * had that line been good) unless the walk itself failed */
	if (v.pending && (!err || (err == FWT_EVERIFY && !v.pending_bad))) {
		fwt_err e2 = flush_pending(&v);
		if (e2)
			err = e2;
	}
	json_decref(v.pending);
	/* fwtrail never leaves a log without a record (fwt_auditlog_create
	 * removes it again): an empty one was cut to nothing, and is no log,
	 * as fwt_auditlog_open refuses it */
	if (!err && !v.lineno) {
		char q[128 * 4 + 8];
		qname(q, sizeof(q), name);
		return fwt__error(ctx, FWT_EFORMAT,
		                  "audit log '%s' is empty: its records were cut off, or it was never written (fwtrail "
		                  "never leaves a log without a record)",
		                  q);
	}
	if (!err && o->key && !v.checkpoints)
		err = vbad(&v, v.lineno, -1, s->off, "unsigned", "the log holds no checkpoint to verify with the key given");
	if (!err && o->head && !v.head_found)
		err = vbad(&v, v.lineno + 1, -1, s->off, "truncated",
		           "no record hashes to the head %.16s...: records were removed from the end of the log, or the last "
		           "one changed",
		           v.head_hex);
	if (err && err != FWT_EVERIFY) {
		json_decref(v.first_bad);
		return err;
	}
	if (report) {
		fwt_hex_encode(hex, v.prev, 32);
		rep = json_pack("{s:I, s:I, s:I, s:I, s:I}", "records", (json_int_t)(v.expect - 1), "audits",
		                (json_int_t)v.audits, "checkpoints", (json_int_t)v.checkpoints, "checkpoints_verified",
		                (json_int_t)v.cverified, "unsigned_after", (json_int_t)v.unsigned_after);
		if (!rep) {
			json_decref(v.first_bad);
			return fwt__enomem(ctx);
		}
		json_object_set_new(rep, "head", v.expect > 1 ? json_pack("{s:I, s:s}", "seq", (json_int_t)(v.expect - 1),
		                                                           "sha256", hex)
		                                              : json_null());
		if (v.first_bad)
			json_object_set_new(rep, "first_bad", v.first_bad), v.first_bad = NULL;
		*report = rep;
	}
	json_decref(v.first_bad);
	return err;
}

fwt_err fwt_auditlog_verify_buffer(fwt_ctx *ctx, const void *buf, size_t len, const char *name,
                                   const fwt_auditlog_verify_options *o, json_t **report)
{
	struct src s;
	fwt_err err;

	if (!buf && len)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_auditlog_verify_buffer");
	memset(&s, 0, sizeof(s));
	s.fd = -1;
	s.mem = buf;
	s.memlen = len;
	err = verify_src(ctx, &s, name ? name : "audit log", o, report);
	free(s.buf);
	return err;
}

/* Open path (a regular file, never through a symbolic link): an existing
 * one, or with create a new one (O_EXCL: never an existing one).  The open
 * does not wait (O_NONBLOCK): a FIFO with no writer would hold a read-only
 * open forever, before the file could be seen not to be a log. */
static fwt_err open_regular(fwt_ctx *ctx, const char *path, int flags, int create, int *fdout)
{
	char q[128 * 4 + 8];
	struct stat st;
	int fd, fl;

	fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | (create ? O_CREAT | O_EXCL : 0), 0666);
	qname(q, sizeof(q), path);
	if (fd < 0 && errno == ENOENT && !create)
		return fwt__error(ctx, FWT_EIO, "cannot open audit log '%s': it does not exist", q);
	if (fd < 0 && errno == EEXIST && create)
		return fwt__error(ctx, FWT_EIO, "cannot start audit log '%s': it already exists (made by another "
		                  "process meanwhile, or before); nothing was logged", q);
	if (fd < 0)
		return fwt__error(ctx, FWT_EIO, "cannot open audit log '%s': %s", q,
		                  errno == ELOOP ? "it is a symbolic link" : strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fwt__error(ctx, FWT_EIO, "audit log '%s' is not a regular file", q);
	}
	/* an input: no output of the same call may go over it */
	if (fwt__ctx_add_input_id(ctx, st.st_dev, st.st_ino) != FWT_OK) {
		close(fd);
		return fwt__enomem(ctx);
	}
	/* a regular file: reads and writes block as usual again */
	if ((fl = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		int saved = errno;
		close(fd);
		if (create)
			(void)unlink(path);
		return fwt__error(ctx, FWT_EIO, "cannot open audit log '%s': %s", q, strerror(saved));
	}
	*fdout = fd;
	return FWT_OK;
}

fwt_err fwt_auditlog_verify(fwt_ctx *ctx, const char *path, const fwt_auditlog_verify_options *o, json_t **report)
{
	struct src s;
	int fd;
	unsigned ver;
	fwt_err err;

	if (report)
		*report = NULL;
	if (!path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_auditlog_verify");
	/* options the library cannot read are refused before the file is
	 * touched (an open may block, a lock waits on writers) */
	if (o && (err = fwt__opts_version(ctx, "audit log verify", o->version, FWT_AUDITLOG_VERIFY_OPTIONS_VERSION,
	                                  &ver)) != FWT_OK)
		return err;
	err = open_regular(ctx, path, O_RDONLY, 0, &fd);
	if (err)
		return err;
	{
		char q[128 * 4 + 8];
		struct stat st;
		struct lockwait lw;
		memset(&lw, 0, sizeof(lw));
		lw.path = path;
		if (o && ver >= 3) {
			lw.waiting = o->waiting;
			lw.payload = o->waiting_payload;
			lw.timeout_ms = o->lock_timeout_ms;
		}
		qname(q, sizeof(q), path);
		if ((err = lock_and_settle(ctx, &fd, path, O_RDONLY, LOCK_SH, q, &st, &lw)) != FWT_OK) {
			if (fd >= 0)
				close(fd);
			return err;
		}
	}
	memset(&s, 0, sizeof(s));
	s.fd = fd;
	err = verify_src(ctx, &s, path, o, report);
	free(s.buf);
	close(fd);
	return err;
}

/* ---- appending ---- */

static fwt_err pread_all(fwt_ctx *ctx, int fd, void *buf, size_t n, off_t off, const char *path)
{
	unsigned char *p = buf;
	ssize_t r;

	while (n) {
		r = pread(fd, p, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			char q[128 * 4 + 8];
			qname(q, sizeof(q), path);
			return fwt__error(ctx, FWT_EIO, "cannot read audit log '%s': %s", q,
			                  r < 0 ? strerror(errno) : "it shrank while locked");
		}
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return FWT_OK;
}

/* The line that ends at end (just after its newline): [*start, end). */
static fwt_err line_before(fwt_ctx *ctx, int fd, off_t end, const char *path, off_t *start)
{
	unsigned char buf[4096];
	off_t pos = end - 1; /* the newline itself */
	fwt_err err;

	while (pos > 0) {
		size_t n = pos > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)pos;
		size_t i;
		if (end - pos > (off_t)FWT_AUDITLOG_LINE_MAX) {
			char q[128 * 4 + 8];
			qname(q, sizeof(q), path);
			return fwt__error(ctx, FWT_EFORMAT, "audit log '%s': a record is longer than %u bytes", q,
			                  FWT_AUDITLOG_LINE_MAX);
		}
		err = pread_all(ctx, fd, buf, n, pos - (off_t)n, path);
		if (err)
			return err;
		for (i = n; i > 0; i--) {
			if (buf[i - 1] == '\n') {
				*start = pos - (off_t)n + (off_t)i;
				return FWT_OK;
			}
		}
		pos -= (off_t)n;
	}
	*start = 0;
	return FWT_OK;
}

/* Read [start, end) of the log into a malloc'd buffer. */
static fwt_err read_range(fwt_ctx *ctx, int fd, off_t start, off_t end, const char *path, unsigned char **out)
{
	unsigned char *b = malloc((size_t)(end - start) + 1);
	fwt_err err;

	if (!b)
		return fwt__enomem(ctx);
	err = pread_all(ctx, fd, b, (size_t)(end - start), start, path);
	if (err) {
		free(b);
		return err;
	}
	*out = b;
	return FWT_OK;
}

static fwt_err tail_check(fwt_auditlog *log)
{
	fwt_ctx *ctx = log->ctx;
	off_t s1, s0 = 0;
	unsigned char *last = NULL, *before = NULL, c, h[32];
	char q[128 * 4 + 8];
	fwt_auditlog_verify_options vo = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	struct src s;
	struct vst v;
	fwt_err err;
	int got, tl;
	const unsigned char *l;
	size_t n;
	uint64_t off;

	qname(q, sizeof(q), log->path);
	log->seq = 0;
	if (hex32(FWT_AUDITLOG_GENESIS, log->prev) != 1)
		return fwt__error(ctx, FWT_EINTERNAL, "bad genesis value");
	if (log->size == 0)
		return FWT_OK;
	/* a file that is no log at all is said to be so, before its tail */
	memset(&s, 0, sizeof(s));
	s.fd = log->fd;
	if (lseek(log->fd, 0, SEEK_SET) != 0)
		return fwt__error(ctx, FWT_EIO, "cannot read audit log '%s': %s", q, strerror(errno));
	err = src_line(ctx, &s, log->path, &l, &n, &off, &got, &tl);
	if (!err && got)
		err = first_line_check(ctx, log->path, l, n, tl);
	free(s.buf);
	if (err)
		return err;
	err = pread_all(ctx, log->fd, &c, 1, log->size - 1, log->path);
	if (err)
		return err;
	if (c != '\n')
		return fwt__error(ctx, FWT_EFORMAT,
		                  "audit log '%s' ends in the middle of a record (a crash during a write, or a cut): refusing "
		                  "to append; run 'fwtrail audit log verify'",
		                  q);
	err = line_before(ctx, log->fd, log->size, log->path, &s1);
	if (!err && s1 > 0)
		err = line_before(ctx, log->fd, s1, log->path, &s0);
	if (err)
		return err;
	err = read_range(ctx, log->fd, s1 > 0 ? s0 : s1, log->size, log->path, &before);
	if (err)
		return err;
	last = before + (s1 - (s1 > 0 ? s0 : s1));
	if (blank_line(last, (size_t)(log->size - s1))) {
		free(before);
		return fwt__error(ctx, FWT_EFORMAT,
		                  "audit log '%s' ends in a blank line (fwtrail writes none: the log was edited): refusing to "
		                  "append; run 'fwtrail audit log verify'",
		                  q);
	}
	/* verify the last link: the record before the last one (if any) seeds
	 * the chain, then the last one must follow from it */
	memset(&v, 0, sizeof(v));
	memset(&s, 0, sizeof(s));
	v.ctx = ctx;
	v.name = log->path;
	v.o = &vo;
	s.fd = -1;
	s.mem = before;
	s.memlen = (size_t)(log->size - (s1 > 0 ? s0 : s1));
	if (s1 > 0) {
		json_t *j = NULL;
		fwt_json_options jo = FWT_JSON_OPTIONS_INIT;
		jo.max_size = FWT_AUDITLOG_LINE_MAX;
		err = src_line(ctx, &s, log->path, &l, &n, &off, &got, &tl);
		if (!err && (tl || fwt_json_parse(ctx, &j, l, n - 1, "record", &jo) ||
		             !json_is_integer(json_object_get(j, "seq")) || json_integer_value(json_object_get(j, "seq")) < 1))
			err = FWT_EVERIFY;
		if (!err) {
			v.expect = (uint64_t)json_integer_value(json_object_get(j, "seq")) + 1;
			v.lineno = v.expect - 2;
			err = sha256(ctx, l, n, v.prev);
		}
		json_decref(j);
	} else {
		v.expect = 1;
		memcpy(v.prev, log->prev, 32);
	}
	if (!err) {
		err = src_line(ctx, &s, log->path, &l, &n, &off, &got, &tl);
		if (!err)
			err = got ? vline(&v, l, n, (uint64_t)s1, tl, NULL, 0) : FWT_EINTERNAL;
	}
	json_decref(v.pending); /* no callback here: the record only had to verify */
	json_decref(v.first_bad);
	if (!err)
		err = sha256(ctx, last, (size_t)(log->size - s1), h);
	free(s.buf);
	free(before);
	if (err == FWT_EVERIFY || err == FWT_EINTERNAL)
		return fwt__error(ctx, FWT_EFORMAT,
		                  "audit log '%s': its last record does not follow from the one before it: refusing to "
		                  "append; run 'fwtrail audit log verify'",
		                  q);
	if (err)
		return err;
	log->seq = v.expect - 1;
	memcpy(log->prev, h, 32);
	return FWT_OK;
}

static void fsync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = fwt__strndup(".", 1);
	else
		dir = fwt__strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* A new log as a file without a name in path's folder (O_TMPFILE), which
 * its first record names (name_log): a process stopped before that record,
 * by a signal or a power cut, leaves nothing behind, never an empty log
 * that could be neither started again nor continued.  -1 when the
 * filesystem has no such files (the log is then created by name). */
static int unnamed_file(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? fwt__strndup(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
	int fd;

	if (slash && !dir)
		return -1;
	/* O_APPEND as a named log has: an append undone (cut back) leaves the
	 * next one at the end, not past a hole */
	fd = open(dir ? dir : ".", O_TMPFILE | O_RDWR | O_APPEND | O_CLOEXEC, 0666);
	free(dir);
	return fd;
}

/* Give the unnamed log its name, once it holds its first record: never
 * over a file another process created meanwhile. */
static fwt_err name_log(fwt_auditlog *log)
{
	char fdpath[64], q[128 * 4 + 8];
	int rc;

	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", log->fd);
	rc = linkat(AT_FDCWD, fdpath, AT_FDCWD, log->path, AT_SYMLINK_FOLLOW);
	if (rc != 0 && errno == ENOENT) /* no /proc: the privileged way */
		rc = linkat(log->fd, "", AT_FDCWD, log->path, AT_EMPTY_PATH);
	if (rc != 0) {
		int saved = errno;
		qname(q, sizeof(q), log->path);
		if (saved == EEXIST)
			return fwt__error(log->ctx, FWT_EIO, "cannot start audit log '%s': it already exists (created "
			                  "by another process meanwhile); nothing was logged", q);
		return fwt__error(log->ctx, FWT_EIO, "cannot start audit log '%s': %s; nothing was logged", q,
		                  strerror(saved));
	}
	log->unnamed = 0;
	fsync_dir(log->path);
	return FWT_OK;
}

static fwt_err open_log(fwt_ctx *ctx, fwt_auditlog **out, const char *path, int create, struct lockwait *lw)
{
	fwt_auditlog *log;
	struct stat st;
	char q[128 * 4 + 8];
	int fd = -1, unnamed = 0;
	fwt_err err;

	if (!out || !path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_auditlog_%s", create ? "create" : "open");
	*out = NULL;
	if (create && lstat(path, &st) != 0 && errno == ENOENT && (fd = unnamed_file(path)) >= 0)
		unnamed = 1;
	err = unnamed ? FWT_OK : open_regular(ctx, path, O_RDWR | O_APPEND, create, &fd);
	if (err)
		return err;
	log = calloc(1, sizeof(*log));
	if (!log || !(log->path = fwt__strndup(path, strlen(path)))) {
		free(log);
		close(fd);
		if (create)
			(void)unlink(path);
		return fwt__enomem(ctx);
	}
	log->ctx = ctx;
	log->fd = fd;
	log->created = create;
	log->unnamed = unnamed;
	qname(q, sizeof(q), path);
	if (create) {
		/* held by another only in the moment between a named
		 * file's creation and this lock */
		if ((err = wait_lock(ctx, fd, LOCK_EX, q, lw)) != FWT_OK)
			;
		else if (fstat(fd, &st) != 0)
			err = fwt__error(ctx, FWT_EIO, "cannot stat the audit log: %s", strerror(errno));
		if (!err && !unnamed)
			fsync_dir(path);
	} else {
		err = lock_and_settle(ctx, &log->fd, path, O_RDWR | O_APPEND, LOCK_EX, q, &st, lw);
	}
	if (err) {
		fwt_auditlog_close(log);
		return err;
	}
	log->size = st.st_size;
	/* a log holds its first record from the moment it is seen (create
	 * removes the file again when nothing was appended): an empty one was
	 * cut to nothing, and continuing it would reset the history (T2) */
	if (!create && log->size == 0) {
		fwt_auditlog_close(log);
		return fwt__error(ctx, FWT_EFORMAT,
		                  "audit log '%s' is empty: its records were cut off, or it was never written; "
		                  "refusing to start its history again",
		                  q);
	}
	err = tail_check(log);
	if (err) {
		fwt_auditlog_close(log);
		return err;
	}
	*out = log;
	return FWT_OK;
}

fwt_err fwt_auditlog_open(fwt_ctx *ctx, fwt_auditlog **out, const char *path)
{
	return open_log(ctx, out, path, 0, NULL);
}

fwt_err fwt_auditlog_create(fwt_ctx *ctx, fwt_auditlog **out, const char *path)
{
	return open_log(ctx, out, path, 1, NULL);
}

fwt_err fwt_auditlog_open_ext(fwt_ctx *ctx, fwt_auditlog **out, const char *path, const fwt_auditlog_open_options *o)
{
	struct lockwait lw;
	unsigned ver;
	fwt_err err;

	if (o && (err = fwt__opts_version(ctx, "audit log open", o->version, FWT_AUDITLOG_OPEN_OPTIONS_VERSION, &ver)) !=
	                 FWT_OK)
		return err;
	memset(&lw, 0, sizeof(lw));
	lw.path = path;
	if (o) {
		lw.waiting = o->waiting;
		lw.payload = o->waiting_payload;
		lw.timeout_ms = o->lock_timeout_ms;
	}
	return open_log(ctx, out, path, o && o->create, &lw);
}

void fwt_auditlog_close(fwt_auditlog *log)
{
	struct stat a, b;

	if (!log)
		return;
	/* a log created here that got no record goes away again (while still
	 * locked: an opener waiting for the lock then finds it empty) */
	if (log->created && !log->unnamed && log->size == 0 && log->fd >= 0 && fstat(log->fd, &a) == 0 &&
	    lstat(log->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino && unlink(log->path) == 0)
		fsync_dir(log->path);
	if (log->fd >= 0) {
		(void)restart_flock(log->fd, LOCK_UN);
		close(log->fd);
	}
	free(log->path);
	free(log);
}

uint64_t fwt_auditlog_last_seq(const fwt_auditlog *log)
{
	return log ? log->seq : 0;
}

/* ---- history ---- */

struct hist {
	fwt_ctx *ctx;
	json_t *hist;
};

/* Each audit that passed or warned adds its products (fwt_policy_history_add
 * keeps the history keyed, so that this is linear in the log's size). */
static fwt_err hist_record(void *payload, const json_t *r, const char *sha)
{
	struct hist *h = payload;
	const char *verdict = jstr(r, "verdict");

	(void)sha;
	if (strcmp(jstr(r, "type"), "audit") || !verdict || !strcmp(verdict, "fail"))
		return FWT_OK;
	return fwt_policy_history_add(h->ctx, h->hist, json_object_get(r, "products"),
	                              (int64_t)json_integer_value(json_object_get(r, "seq")));
}

fwt_err fwt_auditlog_history(fwt_auditlog *log, json_t **out)
{
	fwt_auditlog_verify_options vo = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	json_t *hist;
	struct hist h;
	struct src s;
	fwt_err err;

	if (!log || !out)
		return log ? fwt__error(log->ctx, FWT_EINVAL, "bad arguments to fwt_auditlog_history") : FWT_EINVAL;
	*out = NULL;
	hist = json_object();
	if (!hist)
		return fwt__enomem(log->ctx);
	/* a log just created holds nothing yet: its history is empty */
	if (log->size == 0) {
		*out = hist;
		return FWT_OK;
	}
	h.ctx = log->ctx;
	h.hist = hist;
	vo.record = hist_record;
	vo.payload = &h;
	memset(&s, 0, sizeof(s));
	s.fd = log->fd;
	if (lseek(log->fd, 0, SEEK_SET) != 0) {
		json_decref(hist);
		return fwt__error(log->ctx, FWT_EIO, "cannot read the audit log: %s", strerror(errno));
	}
	err = verify_src(log->ctx, &s, log->path, &vo, NULL);
	free(s.buf);
	if (err == FWT_ENOMEM) {
		err = fwt__enomem(log->ctx);
	} else if (err == FWT_EVERIFY) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", fwt_ctx_errmsg(log->ctx));
		err = fwt__error(log->ctx, FWT_EFORMAT, "the audit log does not verify: %s", msg);
	}
	if (err) {
		json_decref(hist);
		return err;
	}
	*out = hist;
	return FWT_OK;
}

/* ---- the record ---- */

static const char *role_of(const char *kind)
{
	if (!kind)
		return NULL;
	if (!strcmp(kind, "sfr"))
		return "reviewer";
	if (!strcmp(kind, "rim") || !strcmp(kind, "firmware") || !strcmp(kind, "spdm"))
		return "vendor";
	return NULL;
}

static json_t *hex_json(const unsigned char *p, size_t n)
{
	char h[2 * 64 + 1];

	fwt_hex_encode(h, p, n);
	return json_string(h);
}

/* s with each byte that is not part of well-formed UTF-8, and each
 * backslash (so that an escape is never ambiguous), written as \xNN:
 * text for the record that says what s was (malloc'd; NULL when out of
 * memory).  A host name is any bytes to the kernel, and a file name any
 * bytes to the file system. */
static char *escape_text(const char *s, size_t *outlen)
{
	static const char hexd[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, len;
	unsigned cp;
	char *out;

	if (n > (SIZE_MAX - 1) / 4 || !(out = malloc(4 * n + 1)))
		return NULL;
	while (i < n) {
		if (p[i] < 0x80 && p[i] != '\\') {
			out[o++] = (char)p[i++];
		} else if (p[i] >= 0x80 && (len = fwt_utf8_seq(p + i, n - i, &cp)) != 0) {
			memcpy(out + o, p + i, len);
			o += len;
			i += len;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hexd[p[i] >> 4];
			out[o++] = hexd[p[i] & 15];
			i++;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* *out: s escaped as escape_text does, as a JSON string (NULL for a NULL
 * s).  what names the value in the message when that fails. */
static fwt_err text_json(fwt_ctx *ctx, const char *s, const char *what, json_t **out)
{
	size_t n = 0;
	char *esc;

	*out = NULL;
	if (!s)
		return FWT_OK;
	esc = escape_text(s, &n);
	*out = esc ? json_stringn(esc, n) : NULL;
	free(esc);
	if (!*out)
		return fwt__error(ctx, FWT_ENOMEM, "cannot record the %s in the audit record: out of memory", what);
	return FWT_OK;
}

static fwt_err build_audit(fwt_auditlog *log, const fwt_audit_entry *e, const char *time, const unsigned char *kfpr,
                           json_t **out)
{
	fwt_ctx *ctx = log->ctx;
	json_t *r, *inputs, *keys, *prods, *x, *host = NULL, *ppath = NULL, *apath = NULL;
	unsigned char h[32];
	size_t i;
	fwt_err err;

	if ((err = text_json(ctx, e->host, "host name", &host)) != FWT_OK ||
	    (err = text_json(ctx, e->policy_path, "policy's file name", &ppath)) != FWT_OK ||
	    (err = text_json(ctx, e->appraisal_path, "appraisal record's file name", &apath)) != FWT_OK) {
		json_decref(host);
		json_decref(ppath);
		return err;
	}
	r = json_pack("{s:s, s:I, s:o, s:s, s:s, s:o}", "type", "audit", "seq", (json_int_t)(log->seq + 1), "prev",
	              hex_json(log->prev, 32), "time", time, "fwtrail_version", fwt_version(), "host",
	              host ? host : json_null());
	host = NULL; /* json_pack took it, or freed it on failure */
	inputs = json_array();
	keys = json_array();
	prods = json_array();
	if (!r || !inputs || !keys || !prods)
		goto oom;
	json_object_set_new(r, "inputs", inputs);
	json_object_set_new(r, "keys", keys);
	json_object_set_new(r, "products", prods);
	if ((err = sha256(ctx, e->policy, e->policy_len, h)) != FWT_OK)
		goto fail;
	x = json_pack("{s:o?, s:o}", "path", ppath, "sha256", hex_json(h, 32));
	ppath = NULL;
	if (json_object_set_new(r, "policy", x))
		goto oom;
	if (e->appraisal) {
		if ((err = sha256(ctx, e->appraisal, e->appraisal_len, h)) != FWT_OK)
			goto fail;
		x = json_pack("{s:o?, s:s, s:o}", "path", apath, "kind", "appraisal", "sha256", hex_json(h, 32));
		apath = NULL;
		if (json_array_append_new(inputs, x))
			goto oom;
	}
	json_array_foreach(json_object_get(e->record, "inputs"), i, x)
		if (json_array_append_new(inputs, json_pack("{s:O?, s:O?, s:O?}", "path", json_object_get(x, "path"), "kind",
		                                            json_object_get(x, "kind"), "sha256",
		                                            json_object_get(x, "sha256"))))
			goto oom;
	json_array_foreach(json_object_get(e->record, "signatures"), i, x) {
		if (!json_is_true(json_object_get(x, "verified")) || !jstr(x, "fingerprint"))
			continue;
		if (json_array_append_new(keys, json_pack("{s:O, s:s?, s:O?, s:O?}", "fingerprint",
		                                          json_object_get(x, "fingerprint"), "role", role_of(jstr(x, "kind")),
		                                          "kind", json_object_get(x, "kind"), "path",
		                                          json_object_get(x, "path"))))
			goto oom;
	}
	if (kfpr && json_array_append_new(keys, json_pack("{s:o, s:s}", "fingerprint", hex_json(kfpr, 32), "role",
	                                                  "checkpoint")))
		goto oom;
	json_array_foreach(json_object_get(e->record, "products"), i, x) {
		json_t *p;
		if (json_array_size(prods) >= FWT_AUDITLOG_PRODUCTS_MAX) {
			char qa[128 * 4 + 8];
			qname(qa, sizeof(qa), e->appraisal_path ? e->appraisal_path : "");
			err = fwt__error(ctx, FWT_EFORMAT, "%s%s%s lists more than %u products: an audit record holds at most %u",
			                 e->appraisal_path ? "appraisal record '" : "the appraisal", qa,
			                 e->appraisal_path ? "'" : "", FWT_AUDITLOG_PRODUCTS_MAX, FWT_AUDITLOG_PRODUCTS_MAX);
			goto fail;
		}
		/* an SFR that reviewed no component (in a record an older fwtrail
		 * wrote) must not raise the rollback mark */
		if (json_is_string(json_object_get(x, "source")) && !strcmp(jstr(x, "source"), "sfr") &&
		    !json_is_string(json_object_get(x, "component")))
			continue;
		p = json_pack("{s:O, s:O}", "vendor", json_object_get(x, "vendor"), "product",
		                      json_object_get(x, "product"));
		if (!p || json_array_append_new(prods, p))
			goto oom;
		if (json_is_string(json_object_get(x, "fw_version")))
			json_object_set(p, "fw_version", json_object_get(x, "fw_version"));
		if (json_is_string(json_object_get(x, "component")))
			json_object_set(p, "component", json_object_get(x, "component"));
		if (json_is_integer(json_object_get(x, "svn")))
			json_object_set(p, "svn", json_object_get(x, "svn"));
	}
	if (json_object_set(r, "rules", json_object_get(e->result, "rules")) ||
	    json_object_set(r, "verdict", json_object_get(e->result, "verdict")))
		goto oom;
	if (json_object_get(e->result, "at"))
		json_object_set(r, "at", json_object_get(e->result, "at"));
	json_decref(apath);
	*out = r;
	return FWT_OK;
oom:
	err = fwt__enomem(ctx);
fail:
	json_decref(ppath);
	json_decref(apath);
	json_decref(r);
	return err;
}

/* The products of an audit record that the rollback history keeps with a
 * fw_version it cannot order (fwt_policy_history_add's "unordered"): none
 * for a failed audit, whose products the history never takes.  *out is a
 * new array. */
static fwt_err unordered_products(fwt_ctx *ctx, const json_t *rec, json_t **out)
{
	const char *verdict = jstr(rec, "verdict"), *key;
	json_t *hist = NULL, *h, *list = json_array(), *u;
	fwt_err err = FWT_OK;

	*out = NULL;
	if (!list)
		return fwt__enomem(ctx);
	if (verdict && strcmp(verdict, "fail")) {
		if (!(hist = json_object())) {
			json_decref(list);
			return fwt__enomem(ctx);
		}
		err = fwt_policy_history_add(ctx, hist, json_object_get(rec, "products"),
		                             (int64_t)json_integer_value(json_object_get(rec, "seq")));
		json_object_foreach(hist, key, h) {
			if (err || !(u = json_object_get(h, "unordered")))
				continue;
			if (json_array_append_new(list, json_pack("{s:O, s:O, s:O*, s:O}", "vendor", json_object_get(h, "vendor"),
			                                          "product", json_object_get(h, "product"), "component",
			                                          json_object_get(h, "component"), "fw_version",
			                                          json_object_get(u, "version"))))
				err = fwt__enomem(ctx);
		}
		json_decref(hist);
	}
	if (err) {
		json_decref(list);
		return err;
	}
	*out = list;
	return FWT_OK;
}

/* Serialise a record as one line with its newline (malloc'd). */
static fwt_err serialise(fwt_ctx *ctx, const json_t *r, char **out, size_t *len)
{
	size_t n = json_dumpb(r, NULL, 0, SERIAL_FLAGS);
	char *s;

	if (!n)
		return fwt__error(ctx, FWT_EINTERNAL, "cannot serialise the audit record");
	if (n + 1 > FWT_AUDITLOG_LINE_MAX)
		return fwt__error(ctx, FWT_EFORMAT,
		                  "the audit record would be %zu bytes, more than the %u bytes a log line holds: the "
		                  "appraisal carries too much to log",
		                  n + 1, FWT_AUDITLOG_LINE_MAX);
	s = malloc(n + 1);
	if (!s)
		return fwt__enomem(ctx);
	if (json_dumpb(r, s, n, SERIAL_FLAGS) != n) {
		free(s);
		return fwt__error(ctx, FWT_EINTERNAL, "cannot serialise the audit record");
	}
	s[n] = '\n';
	*out = s;
	*len = n + 1;
	return FWT_OK;
}

static fwt_err build_checkpoint(fwt_auditlog *log, fwt_key *key, const unsigned char kfpr[32], uint64_t seq,
                                const unsigned char head[32], const char *time, json_t **out)
{
	fwt_cose_sign1_options so = FWT_COSE_SIGN1_OPTIONS_INIT;
	unsigned char *payload = NULL, *cose = NULL;
	size_t plen = 0, clen = 0;
	char *b64 = NULL;
	fwt_err err;

	err = checkpoint_payload(log->ctx, seq, head, time, &payload, &plen);
	if (err)
		return err;
	so.content_type = FWT_AUDITLOG_CHECKPOINT_TYPE;
	so.kid = kfpr;
	so.kid_len = 32;
	err = fwt_cose_sign1_create(log->ctx, key, payload, plen, &so, &cose, &clen);
	if (err)
		goto out;
	b64 = malloc(fwt_b64_encoded_len(clen) + 1);
	if (!b64) {
		err = fwt__enomem(log->ctx);
		goto out;
	}
	fwt_b64_encode(b64, cose, clen);
	*out = json_pack("{s:s, s:I, s:o, s:s, s:o, s:s}", "type", "checkpoint", "seq", (json_int_t)(seq + 1), "prev",
	                 hex_json(head, 32), "time", time, "key", hex_json(kfpr, 32), "cose", b64);
	if (!*out)
		err = fwt__enomem(log->ctx);
out:
	free(payload);
	free(cose);
	free(b64);
	return err;
}

fwt_err fwt_auditlog_append(fwt_auditlog *log, const fwt_audit_entry *e, json_t **out)
{
	fwt_ctx *ctx;
	json_t *rec = NULL, *cp = NULL, *unordered = NULL;
	char *l1 = NULL, *l2 = NULL, *buf = NULL, time[32], q[128 * 4 + 8], hex[65], hex2[65];
	size_t n1 = 0, n2 = 0, done;
	unsigned char h1[32], h2[32], kfpr[32];
	ssize_t w = 0;
	unsigned ver;
	fwt_err err;

	if (out)
		*out = NULL;
	if (!log)
		return FWT_EINVAL;
	ctx = log->ctx;
	if (e && (err = fwt__opts_version(ctx, "audit entry", e->version, FWT_AUDIT_ENTRY_VERSION, &ver)) != FWT_OK)
		return err;
	if (!e || !e->record || !e->result || (!e->policy && e->policy_len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_auditlog_append");
	/* the library reads no clock: a time left 0 (FWT_AUDIT_ENTRY_INIT)
	 * would log an audit at 1970-01-01 */
	if (e->time <= 0)
		return fwt__error(ctx, FWT_EINVAL, "an audit entry's time must be after 1970-01-01T00:00:00Z (seconds "
		                  "since the epoch: the library reads no clock)");
	qname(q, sizeof(q), log->path);
	fwt_time_format_rfc3339(e->time, time);
	if (e->sign_key && ((err = fwt_auditlog_check_sign_key(ctx, e->sign_key)) != FWT_OK ||
	                    (err = fwt_pubkey_fingerprint(fwt_key_pubkey(e->sign_key), kfpr)) != FWT_OK))
		return err;
	err = build_audit(log, e, time, e->sign_key ? kfpr : NULL, &rec);
	/* known before the write: no answer is lost once the record is in */
	if (!err && out)
		err = unordered_products(ctx, rec, &unordered);
	if (!err)
		err = serialise(ctx, rec, &l1, &n1);
	if (!err)
		err = sha256(ctx, l1, n1, h1);
	if (!err && e->sign_key) {
		err = build_checkpoint(log, e->sign_key, kfpr, log->seq + 1, h1, time, &cp);
		if (!err)
			err = serialise(ctx, cp, &l2, &n2);
		if (!err)
			err = sha256(ctx, l2, n2, h2);
	}
	if (err)
		goto out;
	buf = malloc(n1 + n2);
	if (!buf) {
		err = fwt__enomem(ctx);
		goto out;
	}
	memcpy(buf, l1, n1);
	if (n2)
		memcpy(buf + n1, l2, n2);
	/* a short write is carried on, so that a failure is told by the
	 * write that fails (EFBIG, EDQUOT, ENOSPC), not guessed */
	for (done = 0; done < n1 + n2; done += (size_t)w) {
		do
			w = write(log->fd, buf + done, n1 + n2 - done);
		while (w < 0 && errno == EINTR);
		if (w <= 0)
			break;
	}
	if (done != n1 + n2) {
		int saved = w < 0 ? errno : EIO;
		err = fwt__error(ctx, FWT_EIO, "cannot append to audit log '%s': %s%s", q, strerror(saved),
		                 done > 0 && ftruncate(log->fd, log->size) != 0 ? " (and cannot cut off the partial record)"
		                                                                : "");
		goto out;
	}
	if (fsync(log->fd) != 0) {
		int saved = errno;
		err = fwt__error(ctx, FWT_EIO, "cannot append to audit log '%s': fsync: %s%s", q, strerror(saved),
		                 ftruncate(log->fd, log->size) != 0 ? " (and cannot cut off the record)" : "");
		goto out;
	}
	/* a new log appears holding its first record, durable */
	if (log->unnamed && (err = name_log(log)) != FWT_OK) {
		if (ftruncate(log->fd, log->size) != 0) {
			/* unnamed, it goes with its descriptor anyway */
		}
		goto out;
	}
	log->size += (off_t)(n1 + n2);
	log->seq += e->sign_key ? 2 : 1;
	memcpy(log->prev, e->sign_key ? h2 : h1, 32);
	if (out) {
		fwt_hex_encode(hex, h1, 32);
		fwt_hex_encode(hex2, log->prev, 32);
		*out = json_pack("{s:I, s:s, s:{s:I, s:s}, s:b, s:o}", "seq", (json_int_t)(log->seq - (e->sign_key ? 1 : 0)),
		                 "sha256", hex, "head", "seq", (json_int_t)log->seq, "sha256", hex2, "checkpoint",
		                 e->sign_key != NULL, "unordered", unordered);
		unordered = NULL; /* json_pack took it, or freed it on failure */
		if (!*out)
			err = fwt__enomem(ctx);
	}
out:
	json_decref(rec);
	json_decref(cp);
	json_decref(unordered);
	free(l1);
	free(l2);
	free(buf);
	return err;
}
