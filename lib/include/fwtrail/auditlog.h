/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/auditlog.h - the audit log: an append-only JSON Lines file whose
 * records are hash-chained, appended atomically by several writers at
 * once, and optionally checkpointed with COSE_Sign1 signatures. */
#ifndef FWTRAIL_AUDITLOG_H
#define FWTRAIL_AUDITLOG_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>
#include <fwtrail/key.h>
#include <fwtrail/sig.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Format (fwtrail-audit(1) describes it in full).  One JSON object per line,
 * ASCII only, ending in "\n".  Every record has "type" ("audit" or
 * "checkpoint"), "seq" (1 for the first record, then +1) and "prev": the
 * SHA-256, in hex, of the previous record's line as stored, newline
 * included (the first record's prev is FWT_AUDITLOG_GENESIS).  A checkpoint
 * record carries "cose": a base64 COSE_Sign1 whose payload is the CBOR map
 * {"seq": seq of the previous record, "head": its 32-byte SHA-256, "time":
 * the record's time}, signed by the key whose SPKI SHA-256 is "key", with
 * protected headers {alg, content type FWT_AUDITLOG_CHECKPOINT_TYPE, kid:
 * those 32 bytes}.  The algorithm is bound to the key: ES384 (P-384), ES512
 * (P-521), PS384 (RSA-3072) or PS512 (RSA-4096).
 */
#define FWT_AUDITLOG_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define FWT_AUDITLOG_LINE_MAX (4u << 20) /* longest record line */
#define FWT_AUDITLOG_PRODUCTS_MAX 4096u  /* products one audit record holds */
#define FWT_AUDITLOG_CHECKPOINT_TYPE "application/vnd.fwtrail.audit-checkpoint+cbor"

typedef struct fwt_auditlog fwt_auditlog;

/*
 * Called once, before waiting, when the log's lock is held by another
 * process (a writer; for an append, also a reader): the lock is first
 * tried without waiting, so that a caller can say why it waits.  path is
 * the log as given.
 */
typedef void (*fwt_auditlog_wait_fn)(void *payload, const char *path);

/*
 * Open an existing log for appending; symbolic links are not followed and
 * only a regular file is accepted.  A log is never created here (its
 * history is the rollback rule's state, RELIABILITY T2): an absent file is
 * FWT_EIO.  Takes an exclusive lock (flock) held until fwt_auditlog_close,
 * then checks the file: an empty one (cut to nothing), one whose first
 * line is not an audit log record (no log at all, as fwt_auditlog_verify
 * says), a last line without its newline (a crash or a cut) or a last
 * record that does not follow from the one before it is FWT_EFORMAT, and
 * nothing will be appended.  Blocks while another process holds the lock
 * (fwt_auditlog_open_ext: says so, and may give up).
 */
fwt_err fwt_auditlog_open(fwt_ctx *ctx, fwt_auditlog **out, const char *path);
/*
 * Start a new log at path (mode 0666 & ~umask), locked like
 * fwt_auditlog_open: FWT_EIO when path exists, whatever it is (an existing
 * log is never reset or reused).  Closing it before a record was appended
 * removes the file again, so that a log on disk always holds a record.
 */
fwt_err fwt_auditlog_create(fwt_ctx *ctx, fwt_auditlog **out, const char *path);
/* How fwt_auditlog_open_ext opens a log, and waits for its lock. */
#define FWT_AUDITLOG_OPEN_OPTIONS_VERSION 1
typedef struct fwt_auditlog_open_options {
	unsigned version;             /* FWT_AUDITLOG_OPEN_OPTIONS_VERSION */
	int create;                   /* start a new log, as fwt_auditlog_create; else as fwt_auditlog_open */
	fwt_auditlog_wait_fn waiting; /* called once when the lock is held by another process (NULL: not told) */
	void *waiting_payload;
	/* give up waiting for the lock after this many milliseconds: FWT_EIO
	 * ("... still held by another process after N seconds"), nothing
	 * done; 0: wait as long as it takes */
	unsigned lock_timeout_ms;
} fwt_auditlog_open_options;
#define FWT_AUDITLOG_OPEN_OPTIONS_INIT { FWT_AUDITLOG_OPEN_OPTIONS_VERSION, 0, NULL, NULL, 0 }
/* fwt_auditlog_open or fwt_auditlog_create, as o says (NULL: open, with
 * the defaults). */
fwt_err fwt_auditlog_open_ext(fwt_ctx *ctx, fwt_auditlog **out, const char *path, const fwt_auditlog_open_options *o);

/* Unlock and close.  NULL-safe. */
void fwt_auditlog_close(fwt_auditlog *log);
/* Seq of the last record (0 for an empty log). */
uint64_t fwt_auditlog_last_seq(const fwt_auditlog *log);

/*
 * The products recorded by earlier audits whose verdict was pass or warn
 * (what the rollback rule compares with), read from the whole log, whose
 * chain is verified on the way (FWT_EFORMAT naming the first bad record).
 * *out (the caller's) is the object fwt_policy_history_add builds: per
 * (vendor, product, component), the highest version and SVN and the
 * records that hold them.  Linear in the size of the log.
 */
fwt_err fwt_auditlog_history(fwt_auditlog *log, json_t **out);

/* FWT_OK when key can sign checkpoints: its algorithm is ES384, ES512,
 * PS384 or PS512 (a P-384, P-521, RSA-3072 or RSA-4096 key); otherwise
 * FWT_EUNSUPPORTED, as fwt_auditlog_append would refuse it. */
fwt_err fwt_auditlog_check_sign_key(fwt_ctx *ctx, fwt_key *key);

/* What one audit appends. */
#define FWT_AUDIT_ENTRY_VERSION 1
typedef struct fwt_audit_entry {
	unsigned version;            /* FWT_AUDIT_ENTRY_VERSION (0: this one; see fwtrail.h) */
	int64_t time;                /* when, seconds since the epoch: after it (0, as
	                              * FWT_AUDIT_ENTRY_INIT leaves it, is FWT_EINVAL); the
	                              * log does not order times, so a time before the last
	                              * record's is logged as given */
	const char *host;            /* host name (may be NULL): any bytes; see fwt_auditlog_append */
	const char *policy_path;     /* the policy: its name and bytes (hashed) */
	const void *policy;
	size_t policy_len;
	const char *appraisal_path;  /* the appraisal record file and its bytes, or */
	const void *appraisal;       /* NULL when the record was built in memory */
	size_t appraisal_len;
	const json_t *record;        /* the appraisal record: its inputs, keys and products */
	const json_t *result;        /* fwt_policy_eval's result: rule outcomes, verdict */
	fwt_key *sign_key;           /* add a signed checkpoint after the record, or NULL */
} fwt_audit_entry;
#define FWT_AUDIT_ENTRY_INIT { FWT_AUDIT_ENTRY_VERSION, 0, NULL, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL }

/*
 * Append one audit record (and, with sign_key, a checkpoint record after
 * it) with a single write(), then fsync.  A record whose appraisal lists
 * more than FWT_AUDITLOG_PRODUCTS_MAX products, or whose line would pass
 * FWT_AUDITLOG_LINE_MAX, is FWT_EFORMAT and nothing is written: one record
 * must neither make the history of every later audit expensive nor be a
 * line the log cannot hold.  sign_key must pass
 * fwt_auditlog_check_sign_key (FWT_EUNSUPPORTED).  The host name and the
 * policy and appraisal file names are recorded as given, except that each
 * byte that is not part of well-formed UTF-8, and each backslash, is
 * written as \xNN (two lowercase hex digits): the record stays valid JSON
 * and still says what the name was.  A failed or short write is
 * undone (the file is cut back to its size before) under the lock.
 * *out (optional, the caller's): {"seq": the audit record's seq,
 * "sha256": its line's hash, "head": {"seq", "sha256"} of the last line
 * written, "checkpoint": true|false, "unordered": [{"vendor", "product",
 * "component"?, "fw_version"}, ...]}.  "unordered" lists the products of
 * a record that passed or warned (whose products the rollback rule
 * compares with from now on) with a fw_version that cannot be ordered
 * (fwt_policy_version_cmp): a rollback rule comparing fw_version refuses
 * such a history (FWT_EFORMAT) on every later audit of that product, so a
 * caller should say so.  Empty when there is none.
 */
fwt_err fwt_auditlog_append(fwt_auditlog *log, const fwt_audit_entry *e, json_t **out) FWT_MUST_CHECK;

/* Called for each record that verified, in order; sha256 is the hex hash of
 * its line.  A record is passed on once it is known good: when the next
 * line's prev has matched its hash, or at the end of the walk; never when
 * the walk names it as the first bad record (the next line's prev does not
 * match: "edited").  A non-OK return stops the walk and is returned. */
typedef fwt_err (*fwt_auditlog_record_fn)(void *payload, const json_t *record, const char *sha256);

#define FWT_AUDITLOG_VERIFY_OPTIONS_VERSION 3
typedef struct fwt_auditlog_verify_options {
	unsigned version;             /* FWT_AUDITLOG_VERIFY_OPTIONS_VERSION (1: without now;
	                               * 2: without waiting and lock_timeout_ms) */
	const fwt_pubkey *key;        /* verify every checkpoint's signature with this key */
	const char *head;             /* hex SHA-256 of a record line the log must still hold */
	fwt_auditlog_record_fn record;
	void *payload;
	/* version 2: the time of the verification (the library never reads
	 * the clock); with a key that is a certificate, a checkpoint dated
	 * more than FWT_AUDITLOG_CLOCK_SKEW seconds after it is bad.  0: not
	 * checked. */
	int64_t now;
	/* version 3: as in fwt_auditlog_open_options, for fwt_auditlog_verify's
	 * shared lock, which waits while a writer holds the log */
	fwt_auditlog_wait_fn waiting;
	void *waiting_payload;
	unsigned lock_timeout_ms;
} fwt_auditlog_verify_options;
#define FWT_AUDITLOG_VERIFY_OPTIONS_INIT { FWT_AUDITLOG_VERIFY_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0 }
#define FWT_AUDITLOG_CLOCK_SKEW 300

/*
 * Verify a whole log (under a shared lock, so that no append is seen half
 * done): every line complete and a valid record, seq consecutive from 1,
 * every prev the hash of the line before, audit verdicts consistent with
 * their rules, checkpoints well formed and naming the record before them
 * (the COSE_Sign1's protected content type exactly
 * FWT_AUDITLOG_CHECKPOINT_TYPE, its kid the record's "key");
 * with o->key every checkpoint's algorithm is the one bound to the key
 * (ES384, ES512, PS384 or PS512, as fwt_auditlog_check_sign_key), its
 * signature verifies with it (and there is
 * at least one) and fwt_trust_check_key accepts it at the checkpoint's own
 * "time" and at the latest "time" of the records it covers (a certificate:
 * inside its dates, its key usage allowing signing, no SPDM identity), and
 * with a certificate and o->now the checkpoint is not dated after it; with
 * o->head some line hashes to it.  A checkpoint is never dated before the record it
 * signs (fwtrail stamps it with its audit's time).
 *
 * FWT_OK, or FWT_EVERIFY naming the first bad record and why: "edited",
 * "deleted", "reordered", "inserted", "truncated", "bad_checkpoint".
 * FWT_EIO when it cannot be read, or is not a regular file (a FIFO is
 * refused at once, never waited on).  FWT_EFORMAT when it is empty, or
 * its first line is not an audit log record at all (not JSON, or an
 * object without "type", "seq" and "prev": "'x' is not an fwtrail audit
 * log"); a log whose first line was overwritten so is refused the same
 * way, while a first line that is a record, changed, is "edited".  *report (optional, the caller's, set
 * for FWT_OK and FWT_EVERIFY): {"records", "audits", "checkpoints",
 * "checkpoints_verified", "unsigned_after": records after the last
 * checkpoint, "head": {"seq", "sha256"} or null, "first_bad": {"line",
 * "seq", "offset", "problem", "message"} when it failed}.
 */
fwt_err fwt_auditlog_verify(fwt_ctx *ctx, const char *path, const fwt_auditlog_verify_options *o,
                            json_t **report) FWT_MUST_CHECK;
/* The same over a buffer; name labels it in messages. */
fwt_err fwt_auditlog_verify_buffer(fwt_ctx *ctx, const void *buf, size_t len, const char *name,
                                   const fwt_auditlog_verify_options *o, json_t **report) FWT_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
