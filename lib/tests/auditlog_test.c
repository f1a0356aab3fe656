/* SPDX-License-Identifier: Apache-2.0 */
/* auditlog_test.c - the audit log: appends, the chain, checkpoints, every
 * single-record edit, deletion, swap, insertion and truncation of a
 * 100-record log detected and named, crash leftovers refused, and eight
 * processes appending at once. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

#define TD "testdata/audit/"
#define KD "testdata/keys/"
#define NLINES 100

static fwt_ctx *ctx;
static char dir[64];
static fwt_policy *pol;
static json_t *rec, *res;
static unsigned char *pbuf;
static size_t plen;

static void path_in(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

static int write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(p, 1, n, f) == n;

	if (f)
		fclose(f);
	return ok;
}

/* append one audit to the log at path: an existing log, or with create a
 * new one */
/* the time appends are stamped with */
#define APPEND_TIME 1795366800 /* 2026-11-22T17:00:00Z */
static int64_t append_time = APPEND_TIME;

/* append one audit to an open log */
static fwt_err append_log(fwt_auditlog *log, const char *host, fwt_key *key)
{
	fwt_audit_entry e = FWT_AUDIT_ENTRY_INIT;

	e.time = append_time;
	e.host = host;
	e.policy_path = "policies/nolog.json";
	e.policy = pbuf;
	e.policy_len = plen;
	e.appraisal_path = "records/good.json";
	e.appraisal = "{}";
	e.appraisal_len = 2;
	e.record = rec;
	e.result = res;
	e.sign_key = key;
	return fwt_auditlog_append(log, &e, NULL);
}

static fwt_err append_to(fwt_ctx *c, const char *path, const char *host, fwt_key *key, int create)
{
	fwt_auditlog *log = NULL;
	fwt_err err = create ? fwt_auditlog_create(c, &log, path) : fwt_auditlog_open(c, &log, path);

	if (!err)
		err = append_log(log, host, key);
	fwt_auditlog_close(log);
	return err;
}

static fwt_err append(fwt_ctx *c, const char *path, const char *host, fwt_key *key)
{
	return append_to(c, path, host, key, 0);
}

/* verify a buffer; *problem and *line from first_bad */
static fwt_err vbuf(const void *b, size_t n, const fwt_pubkey *key, const char *head, const char **problem,
                    long long *line)
{
	fwt_auditlog_verify_options o = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	static char prob[32];
	json_t *rep = NULL, *fb;
	fwt_err err;

	o.key = key;
	o.head = head;
	err = fwt_auditlog_verify_buffer(ctx, b, n, "t.jsonl", &o, &rep);
	fb = json_object_get(rep, "first_bad");
	snprintf(prob, sizeof(prob), "%s", fb ? json_string_value(json_object_get(fb, "problem")) : "");
	if (problem)
		*problem = prob;
	if (line)
		*line = fb ? (long long)json_integer_value(json_object_get(fb, "line")) : 0;
	json_decref(rep);
	return err;
}

static void test_reads_a_log_written_by_another_program(void)
{
	fwt_auditlog_verify_options o = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	size_t n = 0;
	char *head = (char *)t_slurp(TD "logs/history.head", &n);
	json_t *rep = NULL;

	T_ASSERT(head && n == 65);
	head[64] = '\0';
	o.head = head;
	T_EQ_INT(fwt_auditlog_verify(ctx, TD "logs/history.jsonl", &o, &rep), FWT_OK);
	T_EQ_INT(json_integer_value(json_object_get(rep, "records")), 5);
	T_EQ_STR(json_string_value(json_object_get(json_object_get(rep, "head"), "sha256")), head);
	json_decref(rep);
	free(head);
}

/* Library red team (stop 36): a record callback that stopped the walk
 * left an empty message (or a stale one) behind its code. */
static fwt_err stop_at_two(void *payload, const json_t *record, const char *sha256)
{
	(void)payload;
	(void)sha256;
	return json_integer_value(json_object_get(record, "seq")) == 2 ? FWT_EIO : FWT_OK;
}

static void test_record_callback_stop_is_said(void)
{
	fwt_auditlog_verify_options o = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	json_t *rep = NULL;

	o.record = stop_at_two;
	/* a message from an earlier failure is not left behind */
	T_EQ_INT(fwt_auditlog_verify(ctx, "/nonexistent/log.jsonl", NULL, NULL), FWT_EIO);
	T_EQ_INT(fwt_auditlog_verify(ctx, TD "logs/history.jsonl", &o, &rep), FWT_EIO);
	T_ASSERT(rep == NULL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "audit log '" TD "logs/history.jsonl': the record callback stopped the walk "
	                              "at record 2 (io)");
}

/* Library red team (stop 36): an entry whose time was left 0 (as
 * FWT_AUDIT_ENTRY_INIT leaves it) was logged at 1970-01-01. */
static void test_entry_time_required(void)
{
	char p[512];
	fwt_auditlog *log = NULL;
	struct stat st;

	path_in(p, sizeof(p), "notime.jsonl");
	T_EQ_INT(fwt_auditlog_create(ctx, &log, p), FWT_OK);
	append_time = 0;
	T_EQ_INT(append_log(log, "h", NULL), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "an audit entry's time must be after 1970-01-01T00:00:00Z (seconds since the "
	                              "epoch: the library reads no clock)");
	append_time = -5;
	T_EQ_INT(append_log(log, "h", NULL), FWT_EINVAL);
	append_time = APPEND_TIME;
	fwt_auditlog_close(log);
	/* nothing appended: the log created here goes away again */
	T_ASSERT(stat(p, &st) != 0);
}

static void test_history_counts_passing_audits_only(void)
{
	char p[128];
	size_t n = 0;
	unsigned char *b = t_slurp(TD "logs/history.jsonl", &n);
	fwt_auditlog *log = NULL;
	json_t *h = NULL, *bmc = NULL, *e;
	size_t i;

	path_in(p, sizeof(p), "history.jsonl");
	T_ASSERT(b && write_bytes(p, b, n));
	free(b);
	T_EQ_INT(fwt_auditlog_open(ctx, &log, p), FWT_OK);
	T_EQ_INT(fwt_auditlog_last_seq(log), 5);
	T_EQ_INT(fwt_auditlog_history(log, &h), FWT_OK);
	fwt_auditlog_close(log);
	T_EQ_INT(json_object_size(h), 3); /* BMC, BIOS, NIC (from a warn) */
	bmc = json_object_get(h, "[\"ACME\",\"BMC\",null]");
	T_ASSERT(bmc);
	/* 9.9.9 / SVN 99 came from a failed audit: not a high-water mark */
	T_EQ_STR(json_string_value(json_object_get(bmc, "fw_version")), "1.2.3");
	T_EQ_INT(json_integer_value(json_object_get(bmc, "fw_version_seq")), 3);
	T_EQ_INT(json_integer_value(json_object_get(bmc, "svn")), 5);
	T_EQ_INT(json_integer_value(json_object_get(bmc, "svn_seq")), 3);
	(void)e;
	(void)i;
	json_decref(h);
}

/* An SFR that reviewed no component (listed by records of older fwtrail
 * versions) is not recorded: it must not raise the rollback mark (T5). */
static void test_unbound_sfr_products_are_not_recorded(void)
{
	char p[128];
	fwt_audit_entry e = FWT_AUDIT_ENTRY_INIT;
	fwt_auditlog *log = NULL;
	json_error_t je;
	json_t *r = json_loads("{\"schema\":1,\"products\":["
	                       "{\"source\":\"sfr\",\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"999\"},"
	                       "{\"source\":\"sfr\",\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"1.3\","
	                       "\"component\":\"spdm:2\"},"
	                       "{\"source\":\"rim\",\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"1.2\"}]}",
	                       0, &je);
	json_t *h = NULL, *x;
	size_t i;

	T_ASSERT(r != NULL);
	path_in(p, sizeof(p), "unbound.jsonl");
	T_EQ_INT(fwt_auditlog_create(ctx, &log, p), FWT_OK);
	e.time = 1795366800;
	e.policy = pbuf;
	e.policy_len = plen;
	e.record = r;
	e.result = res;
	T_EQ_INT(fwt_auditlog_append(log, &e, NULL), FWT_OK);
	T_EQ_INT(fwt_auditlog_history(log, &h), FWT_OK);
	fwt_auditlog_close(log);
	T_EQ_INT(json_object_size(h), 2); /* (ACME, BMC) and (ACME, BMC, spdm:2) */
	x = json_object_get(h, "[\"ACME\",\"BMC\",null]");
	T_EQ_STR(json_string_value(json_object_get(x, "fw_version")), "1.2");
	x = json_object_get(h, "[\"ACME\",\"BMC\",\"spdm:2\"]");
	T_EQ_STR(json_string_value(json_object_get(x, "fw_version")), "1.3");
	(void)i;
	json_decref(h);
	json_decref(r);
}

/* An append says which products it logged with a fw_version the rollback
 * rule cannot order: logged all the same (many vendors' versions are no
 * dotted numbers), but a rollback rule comparing fw_version refuses that
 * product's history from then on, so the caller must be able to say so.
 * Only a record that passed or warned counts: a failed one never joins
 * the history. */
static void test_append_names_unordered_versions(void)
{
	char p[128];
	fwt_audit_entry e = FWT_AUDIT_ENTRY_INIT;
	fwt_auditlog *log = NULL;
	json_error_t je;
	json_t *r = json_loads("{\"schema\":1,\"products\":["
	                       "{\"source\":\"rim\",\"vendor\":\"ACME\",\"product\":\"BMC\",\"fw_version\":\"1.2.3-rc1\",\"svn\":5},"
	                       "{\"source\":\"sfr\",\"vendor\":\"ACME\",\"product\":\"GPU\",\"fw_version\":\"00.36.00.3c\","
	                       "\"component\":\"spdm:2\"},"
	                       "{\"source\":\"rim\",\"vendor\":\"ACME\",\"product\":\"BIOS\",\"fw_version\":\"V4.1.0\"},"
	                       "{\"source\":\"rim\",\"vendor\":\"ACME\",\"product\":\"NIC\"}]}",
	                       0, &je);
	json_t *failed = json_deep_copy(res), *out = NULL, *u, *x;

	T_ASSERT(r && failed);
	json_object_set_new(failed, "verdict", json_string("fail"));
	json_object_set_new(json_array_get(json_object_get(failed, "rules"), 0), "outcome", json_string("fail"));
	path_in(p, sizeof(p), "unordered.jsonl");
	T_EQ_INT(fwt_auditlog_create(ctx, &log, p), FWT_OK);
	e.time = append_time;
	e.policy = pbuf;
	e.policy_len = plen;
	e.record = r;
	e.result = res;
	T_EQ_INT(fwt_auditlog_append(log, &e, &out), FWT_OK);
	u = json_object_get(out, "unordered");
	T_EQ_INT(json_array_size(u), 2); /* not V4.1.0, nor the NIC without a version */
	x = json_array_get(u, 0);
	if (strcmp(json_string_value(json_object_get(x, "product")), "BMC"))
		x = json_array_get(u, 1);
	T_EQ_STR(json_string_value(json_object_get(x, "vendor")), "ACME");
	T_EQ_STR(json_string_value(json_object_get(x, "product")), "BMC");
	T_EQ_STR(json_string_value(json_object_get(x, "fw_version")), "1.2.3-rc1");
	T_ASSERT(json_object_get(x, "component") == NULL);
	x = json_array_get(u, x == json_array_get(u, 0) ? 1 : 0);
	T_EQ_STR(json_string_value(json_object_get(x, "product")), "GPU");
	T_EQ_STR(json_string_value(json_object_get(x, "component")), "spdm:2");
	T_EQ_STR(json_string_value(json_object_get(x, "fw_version")), "00.36.00.3c");
	T_EQ_INT(json_integer_value(json_object_get(out, "seq")), 1);
	json_decref(out);
	/* a failed audit: its products are never compared with */
	e.result = failed;
	T_EQ_INT(fwt_auditlog_append(log, &e, &out), FWT_OK);
	T_ASSERT(json_is_array(json_object_get(out, "unordered")));
	T_EQ_INT(json_array_size(json_object_get(out, "unordered")), 0);
	json_decref(out);
	/* versions that order: nothing to say */
	e.result = res;
	e.record = rec;
	T_EQ_INT(fwt_auditlog_append(log, &e, &out), FWT_OK);
	T_EQ_INT(json_array_size(json_object_get(out, "unordered")), 0);
	T_EQ_INT(json_integer_value(json_object_get(out, "seq")), 3);
	json_decref(out);
	/* and what the append said is what the rollback history holds */
	{
		json_t *h = NULL;
		T_EQ_INT(fwt_auditlog_history(log, &h), FWT_OK);
		x = json_object_get(json_object_get(h, "[\"ACME\",\"BMC\",null]"), "unordered");
		T_EQ_STR(json_string_value(json_object_get(x, "version")), "1.2.3-rc1");
		T_EQ_INT(json_integer_value(json_object_get(x, "seq")), 1);
		json_decref(h);
	}
	fwt_auditlog_close(log);
	json_decref(failed);
	json_decref(r);
}

/* A record with many products: FWT_AUDITLOG_PRODUCTS_MAX is logged, one
 * more is refused with nothing written, and the history of a log holding
 * 4 x 4096 products is built and compared in linear time (pairwise, this
 * took minutes: every product of the log against every other). */
static json_t *many_products(size_t n, const char *prefix, const char *version)
{
	json_t *r = json_pack("{s:i, s:[]}", "schema", 1, "products"), *prods = json_object_get(r, "products");
	char name[64];
	size_t i;

	for (i = 0; r && i < n; i++) {
		snprintf(name, sizeof(name), "%s-%05zu", prefix, i);
		if (json_array_append_new(prods, json_pack("{s:s, s:s, s:s, s:s, s:i}", "vendor", "V", "product", name,
		                                           "fw_version", version, "source", "rim", "svn", (int)(i % 7))))
			return NULL;
	}
	return r;
}

static void test_many_products(void)
{
	static const char rb[] = "{\"fwtrail_policy\":1,\"rules\":[{\"rule\":\"rollback\"}]}";
	fwt_policy_eval_options o = FWT_POLICY_EVAL_OPTIONS_INIT;
	fwt_audit_entry e = FWT_AUDIT_ENTRY_INIT;
	fwt_auditlog *log = NULL;
	fwt_policy *p = NULL;
	json_t *r, *h = NULL, *out = NULL, *x;
	fwt_verdict v;
	struct stat st;
	off_t size;
	char path[128], pre[8];
	int k;

	path_in(path, sizeof(path), "many.jsonl");
	e.time = 1795366800;
	e.policy = pbuf;
	e.policy_len = plen;
	e.result = res;
	for (k = 0; k < 4; k++) {
		snprintf(pre, sizeof(pre), "P%d", k);
		r = many_products(FWT_AUDITLOG_PRODUCTS_MAX, pre, "2.0");
		T_ASSERT(r != NULL);
		e.record = r;
		T_EQ_INT(k ? fwt_auditlog_open(ctx, &log, path) : fwt_auditlog_create(ctx, &log, path), FWT_OK);
		T_EQ_INT(fwt_auditlog_append(log, &e, NULL), FWT_OK);
		fwt_auditlog_close(log);
		json_decref(r);
	}
	/* one product more than a record holds: refused, nothing written */
	T_ASSERT(stat(path, &st) == 0);
	size = st.st_size;
	r = many_products(FWT_AUDITLOG_PRODUCTS_MAX + 1, "Q", "1.0");
	e.record = r;
	T_EQ_INT(fwt_auditlog_open(ctx, &log, path), FWT_OK);
	T_EQ_INT(fwt_auditlog_append(log, &e, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "more than 4096 products") != NULL);
	T_EQ_INT(fwt_auditlog_history(log, &h), FWT_OK);
	fwt_auditlog_close(log);
	json_decref(r);
	T_ASSERT(stat(path, &st) == 0 && st.st_size == size);
	T_EQ_INT(json_object_size(h), 4 * FWT_AUDITLOG_PRODUCTS_MAX);
	x = json_object_get(h, "[\"V\",\"P3-04095\",null]");
	T_EQ_STR(json_string_value(json_object_get(x, "fw_version")), "2.0");
	T_EQ_INT(json_integer_value(json_object_get(x, "fw_version_seq")), 4);
	/* every one of 4096 products of a new record compared with it */
	r = many_products(FWT_AUDITLOG_PRODUCTS_MAX, "P2", "1.9");
	T_EQ_INT(fwt_policy_parse(ctx, &p, rb, sizeof(rb) - 1, "rb.json"), FWT_OK);
	o.at = 1795366800;
	o.history = h;
	T_EQ_INT(fwt_policy_eval(ctx, p, r, &o, &v, &out), FWT_EVERIFY);
	T_EQ_INT(v, FWT_VERDICT_FAIL);
	x = json_array_get(json_object_get(out, "rules"), 0);
	T_EQ_STR(json_string_value(json_array_get(json_object_get(x, "reasons"), 0)),
	         "'V' 'P2-00000': fw_version 1.9 is below 2.0, recorded in audit log record 3");
	json_decref(out);
	fwt_policy_free(p);
	json_decref(r);
	json_decref(h);
}

static unsigned char *log_bytes;
static size_t log_len;
static size_t starts[NLINES + 1]; /* line i is [starts[i], starts[i+1]) */
static fwt_pubkey *logpub;
static char head[65];

static void build_log(void)
{
	char p[128], host[32];
	fwt_key *k = NULL;
	size_t i, n = 0;
	json_t *rep = NULL;
	fwt_auditlog_verify_options o = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;

	path_in(p, sizeof(p), "hundred.jsonl");
	T_EQ_INT(fwt_key_open(ctx, &k, KD "p384.key.pem", NULL), FWT_OK);
	for (i = 0; i < NLINES - 2; i++) {
		snprintf(host, sizeof(host), "host-%03zu", i);
		T_EQ_INT(append_to(ctx, p, host, NULL, i == 0), FWT_OK);
	}
	T_EQ_INT(append(ctx, p, "host-last", k), FWT_OK); /* an audit and its checkpoint */
	fwt_key_free(k);
	log_bytes = t_slurp(p, &log_len);
	T_ASSERT(log_bytes);
	for (i = 0; i < log_len; i++)
		if (!i || log_bytes[i - 1] == '\n')
			starts[n++] = i;
	T_EQ_INT(n, NLINES);
	starts[NLINES] = log_len;
	T_EQ_INT(fwt_pubkey_load(ctx, &logpub, KD "p384.pub.pem"), FWT_OK);
	o.key = logpub;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, &rep), FWT_OK);
	T_EQ_INT(json_integer_value(json_object_get(rep, "records")), NLINES);
	T_EQ_INT(json_integer_value(json_object_get(rep, "checkpoints_verified")), 1);
	snprintf(head, sizeof(head), "%s", json_string_value(json_object_get(json_object_get(rep, "head"), "sha256")));
	json_decref(rep);
	T_EQ_INT(vbuf(log_bytes, log_len, logpub, head, NULL, NULL), FWT_OK);
}

/* a copy of the log with line a replaced by [p, p+n) (n == 0: deleted) */
static unsigned char *splice(size_t a, const void *p, size_t n, size_t *outlen)
{
	size_t before = starts[a], after = log_len - starts[a + 1];
	unsigned char *b = malloc(before + n + after + 1);

	memcpy(b, log_bytes, before);
	if (n)
		memcpy(b + before, p, n);
	memcpy(b + before + n, log_bytes + starts[a + 1], after);
	*outlen = before + n + after;
	return b;
}

/* a copy of the log with one character of line a changed, in a field no
 * chain member covers by itself (an audit's host, the checkpoint's time) */
static unsigned char *edited(size_t a, size_t *outlen)
{
	size_t ln = starts[a + 1] - starts[a];
	unsigned char *l = malloc(ln + 1), *b;
	char *at;

	memcpy(l, log_bytes + starts[a], ln);
	l[ln] = '\0';
	at = strstr((char *)l, a < NLINES - 1 ? "\"host\":\"host-" : "\"time\":\"2026");
	if (at) /* else the copy is unchanged: test_every_edit_is_found fails */
		at[a < NLINES - 1 ? 13 : 11] ^= 1;
	b = splice(a, l, ln, outlen);
	free(l);
	return b;
}

static void test_every_edit_is_found(void)
{
	size_t i, n;
	const char *prob;
	long long line;

	for (i = 0; i < NLINES; i++) {
		unsigned char *b = edited(i, &n);
		if (vbuf(b, n, logpub, head, &prob, &line) != FWT_EVERIFY || line != (long long)i + 1 ||
		    strcmp(prob, i < NLINES - 1 ? "edited" : "bad_checkpoint"))
			T_FAIL_("edit of line %zu: %s at line %lld", i + 1, prob, line);
		/* without the key and head, only the last line can hide */
		if (i < NLINES - 2 && vbuf(b, n, NULL, NULL, NULL, NULL) != FWT_EVERIFY)
			T_FAIL_("edit of line %zu: the chain alone missed it", i + 1);
		free(b);
	}
}

struct passed {
	long long seqs[NLINES + 2];
	size_t n;
	int out_of_order;
};

static fwt_err note_record(void *payload, const json_t *r, const char *sha)
{
	struct passed *p = payload;
	long long seq = (long long)json_integer_value(json_object_get(r, "seq"));

	(void)sha;
	if (p->n < NLINES + 2) {
		p->out_of_order |= p->n ? seq != p->seqs[p->n - 1] + 1 : seq != 1;
		p->seqs[p->n++] = seq;
	}
	return FWT_OK;
}

/* The walk passes on exactly the records before the line it names: a
 * record whose hash the next line's prev does not match (edited) never
 * reaches the caller, and a log that verifies passes every record. */
static void check_passed(const unsigned char *b, size_t n, const char *what, size_t i)
{
	fwt_auditlog_verify_options o = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	struct passed p;
	json_t *rep = NULL, *fb;
	fwt_err err;
	long long bad;

	memset(&p, 0, sizeof(p));
	o.record = note_record;
	o.payload = &p;
	err = fwt_auditlog_verify_buffer(ctx, b, n, "t.jsonl", &o, &rep);
	fb = json_object_get(rep, "first_bad");
	bad = fb ? (long long)json_integer_value(json_object_get(fb, "line")) : 0;
	if (err == FWT_OK && (fb || p.n != (size_t)json_integer_value(json_object_get(rep, "records"))))
		T_FAIL_("%s %zu: a log that verifies passed %zu records", what, i + 1, p.n);
	if (err == FWT_EVERIFY && (bad < 1 || p.n != (size_t)(bad - 1)))
		T_FAIL_("%s %zu: first bad line %lld, but %zu records passed on", what, i + 1, bad, p.n);
	if (err != FWT_OK && err != FWT_EVERIFY && err != FWT_EFORMAT)
		T_FAIL_("%s %zu: error %d", what, i + 1, (int)err);
	if (p.out_of_order)
		T_FAIL_("%s %zu: records passed out of order", what, i + 1);
	json_decref(rep);
}

static void test_only_good_records_are_passed_on(void)
{
	size_t i, n;

	check_passed(log_bytes, log_len, "the whole log", 0);
	T_ASSERT(log_len > 0);
	for (i = 0; i < NLINES; i++) {
		unsigned char *b = edited(i, &n);
		check_passed(b, n, "edit of line", i);
		free(b);
		b = splice(i, NULL, 0, &n);
		check_passed(b, n, "deletion of line", i);
		free(b);
		check_passed(log_bytes, starts[i] + (starts[i + 1] - starts[i]) / 2, "cut inside line", i);
	}
}

static void test_every_deletion_is_found(void)
{
	size_t i, n;
	const char *prob;
	long long line;

	for (i = 0; i < NLINES; i++) {
		unsigned char *b = splice(i, NULL, 0, &n);
		fwt_err err = vbuf(b, n, logpub, head, &prob, &line);
		if (err != FWT_EVERIFY)
			T_FAIL_("deletion of line %zu not found", i + 1);
		if (i < NLINES - 1 && (strcmp(prob, "deleted") || line != (long long)i + 1))
			T_FAIL_("deletion of line %zu: %s at line %lld", i + 1, prob, line);
		free(b);
	}
}

static void test_every_swap_and_insertion_is_found(void)
{
	size_t i, n;
	const char *prob;
	long long line;

	for (i = 0; i + 1 < NLINES; i++) {
		size_t l1 = starts[i + 1] - starts[i], l2 = starts[i + 2] - starts[i + 1];
		unsigned char *b = malloc(log_len);
		memcpy(b, log_bytes, log_len);
		memcpy(b + starts[i], log_bytes + starts[i + 1], l2);
		memcpy(b + starts[i] + l2, log_bytes + starts[i], l1);
		if (vbuf(b, log_len, logpub, head, &prob, &line) != FWT_EVERIFY || strcmp(prob, "reordered") ||
		    line != (long long)i + 1)
			T_FAIL_("swap of lines %zu and %zu: %s at line %lld", i + 1, i + 2, prob, line);
		free(b);
		/* line i copied in again after itself */
		{
			unsigned char *dup = malloc(2 * l1);
			memcpy(dup, log_bytes + starts[i], l1);
			memcpy(dup + l1, log_bytes + starts[i], l1);
			b = splice(i, dup, 2 * l1, &n);
			if (vbuf(b, n, logpub, head, &prob, &line) != FWT_EVERIFY || strcmp(prob, "inserted") ||
			    line != (long long)i + 2)
				T_FAIL_("copy of line %zu: %s at line %lld", i + 1, prob, line);
			free(b);
			free(dup);
		}
	}
}

static void test_every_truncation_is_found(void)
{
	size_t i;
	const char *prob;
	long long line;

	for (i = 0; i < NLINES; i++) {
		/* cut at a record boundary: only the head (or the key) can tell;
		 * cut to nothing, it is no log at all */
		if (vbuf(log_bytes, starts[i], logpub, head, &prob, &line) != (i ? FWT_EVERIFY : FWT_EFORMAT))
			T_FAIL_("cut before line %zu not found", i + 1);
		if (i && (vbuf(log_bytes, starts[i], NULL, head, &prob, &line) != FWT_EVERIFY || strcmp(prob, "truncated")))
			T_FAIL_("cut before line %zu: %s", i + 1, prob);
		/* cut inside a record: always found, even without key or head */
		if (vbuf(log_bytes, starts[i] + (starts[i + 1] - starts[i]) / 2, NULL, NULL, &prob, &line) != FWT_EVERIFY ||
		    strcmp(prob, "truncated") || line != (long long)i + 1)
			T_FAIL_("cut inside line %zu: %s at %lld", i + 1, prob, line);
		if (vbuf(log_bytes, starts[i + 1] - 1, NULL, NULL, &prob, &line) != FWT_EVERIFY)
			T_FAIL_("newline of line %zu cut off: not found", i + 1);
	}
}

static void test_checkpoints_need_the_right_key(void)
{
	fwt_pubkey *other = NULL;
	const char *prob;
	long long line;

	T_EQ_INT(fwt_pubkey_load(ctx, &other, KD "other-p384.pub.pem"), FWT_OK);
	T_EQ_INT(vbuf(log_bytes, log_len, other, NULL, &prob, &line), FWT_EVERIFY);
	T_EQ_STR(prob, "bad_checkpoint");
	T_EQ_INT(line, NLINES);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not by the key given"));
	/* without a key the checkpoint's form is still checked */
	T_EQ_INT(vbuf(log_bytes, log_len, NULL, NULL, NULL, NULL), FWT_OK);
	/* a log without checkpoints cannot satisfy --key */
	T_EQ_INT(vbuf(log_bytes, starts[NLINES - 1], logpub, NULL, &prob, &line), FWT_EVERIFY);
	T_EQ_STR(prob, "unsigned");
	/* an empty log is no log, whatever is asked of it (as for appends) */
	T_EQ_INT(vbuf("", 0, logpub, NULL, &prob, &line), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'t.jsonl' is empty: its records were cut off, or it was never written"));
	T_EQ_INT(vbuf("", 0, NULL, NULL, NULL, NULL), FWT_EFORMAT);
	T_EQ_INT(vbuf("", 0, NULL, head, NULL, NULL), FWT_EFORMAT);
	fwt_pubkey_free(other);
}

/* A checkpoint's time: never before the record it signs (the bats tests
 * craft one), never after the verification's time (with a key), and a
 * certificate must vouch at the latest time of the records it covers too:
 * here a record of 2047, after the certificate's notAfter (2046), then,
 * the clock set back, a signed audit of 2040. */
static void test_checkpoint_times(void)
{
	fwt_auditlog_verify_options o = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	fwt_pubkey *cert = NULL;
	fwt_key *k = NULL;
	json_t *rep = NULL;
	char p[128];
	const int64_t late = 2442960000, early = 2208988800; /* 2047-06-01, 2040-01-01 */

	path_in(p, sizeof(p), "times.jsonl");
	T_EQ_INT(fwt_key_open(ctx, &k, KD "p384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &cert, KD "p384.crt.pem"), FWT_OK);
	append_time = late;
	T_EQ_INT(append_to(ctx, p, "host-a", NULL, 1), FWT_OK);
	append_time = early;
	T_EQ_INT(append(ctx, p, "host-b", k), FWT_OK);
	append_time = APPEND_TIME;
	/* no key, or the bare key: the checkpoint holds */
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, NULL), FWT_OK);
	o.key = logpub;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, NULL), FWT_OK);
	/* the certificate was valid in 2040, not in 2047 */
	o.key = cert;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, &rep), FWT_EVERIFY);
	T_EQ_STR(json_string_value(json_object_get(json_object_get(rep, "first_bad"), "problem")), "bad_checkpoint");
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "line 3 (seq 3): bad_checkpoint: the key given does not vouch for record 1 "
	                                     "(time 2047-06-01T00:00:00Z): certificate"));
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired on 2046-01-01T00:00:00Z, checked at 2047-06-01T00:00:00Z"));
	json_decref(rep);
	/* a verification before the checkpoint's time, with a certificate:
	 * beyond the skew allowed, bad (within it, the record of 2047 is) */
	o.now = early - FWT_AUDITLOG_CLOCK_SKEW - 1;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "bad_checkpoint: its \"time\" 2040-01-01T00:00:00Z is after the time of "
	                                     "this verification (2039-12-31T23:54:59Z)"));
	o.now = early - FWT_AUDITLOG_CLOCK_SKEW;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not vouch for record 1"));
	/* a bare key has no dates: a log written on a host whose clock ran
	 * fast is no tampering */
	o.key = logpub;
	o.now = early - FWT_AUDITLOG_CLOCK_SKEW - 1;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, NULL), FWT_OK);
	/* without a key the checkpoint is not vouched for, nor dated */
	o.key = NULL;
	o.now = 1;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, NULL), FWT_OK);
	/* version 1 options have no now */
	o.version = 1;
	o.key = logpub;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, NULL), FWT_OK);
	fwt_pubkey_free(cert);
	fwt_key_free(k);
}

/* The log with its last line, the checkpoint, made again: its payload
 * signed by k with content type ct and kid (each may be NULL), and its
 * "key" the fingerprint of k when rekey (n: the new length). */
static unsigned char *resigned(fwt_key *k, const char *ct, const unsigned char *kid, size_t kidlen, int rekey,
                               size_t *n)
{
	fwt_cose_sign1_options so = FWT_COSE_SIGN1_OPTIONS_INIT;
	fwt_cose *m = NULL;
	unsigned char *cose = NULL, *sig = NULL, *b = NULL, fp[32];
	size_t clen = 0, slen = 0, paylen, pre, post;
	const unsigned char *payload;
	char *line = (char *)log_bytes + starts[NLINES - 1], *v, *e, *b64 = NULL, *kf, hex[65];

	v = strstr(line, "\"cose\":\"") + 8;
	e = strchr(v, '"');
	cose = malloc((size_t)(e - v));
	if (fwt_b64_decode(cose, (size_t)(e - v), v, (size_t)(e - v), &clen) != FWT_OK ||
	    fwt_cose_parse(ctx, &m, cose, clen, NULL) != FWT_OK)
		goto out;
	payload = fwt_cose_payload(m, &paylen);
	so.content_type = ct;
	so.kid = kid;
	so.kid_len = kidlen;
	if (fwt_cose_sign1_create(ctx, k, payload, paylen, &so, &sig, &slen) != FWT_OK)
		goto out;
	b64 = malloc(fwt_b64_encoded_len(slen) + 1);
	fwt_b64_encode(b64, sig, slen);
	pre = (size_t)(v - (char *)log_bytes);
	post = log_len - (size_t)(e - (char *)log_bytes);
	*n = pre + strlen(b64) + post;
	b = malloc(*n);
	memcpy(b, log_bytes, pre);
	memcpy(b + pre, b64, strlen(b64));
	memcpy(b + pre + strlen(b64), e, post);
	if (rekey) { /* "key":"<64 hex digits>" sorts before "prev" in the line */
		kf = strstr((char *)b + starts[NLINES - 1], "\"key\":\"") + 7;
		if (fwt_pubkey_fingerprint(fwt_key_pubkey(k), fp) != FWT_OK) {
			free(b);
			b = NULL;
			goto out;
		}
		fwt_hex_encode(hex, fp, 32);
		memcpy(kf, hex, 64);
	}
out:
	free(b64);
	free(sig);
	free(cose);
	fwt_cose_free(m);
	return b;
}

static void test_forged_checkpoint(void)
{
	fwt_key *other = NULL;
	unsigned char *b, fp[32];
	size_t n = 0;
	const char *prob;
	long long line_no;

	/* the checkpoint's own payload and headers, signed again by another key */
	T_EQ_INT(fwt_pubkey_fingerprint(logpub, fp), FWT_OK);
	T_EQ_INT(fwt_key_open(ctx, &other, KD "other-p384.key.pem", NULL), FWT_OK);
	b = resigned(other, FWT_AUDITLOG_CHECKPOINT_TYPE, fp, 32, 0, &n);
	T_ASSERT(b != NULL);
	T_EQ_INT(vbuf(b, n, logpub, NULL, &prob, &line_no), FWT_EVERIFY);
	T_EQ_STR(prob, "bad_checkpoint");
	T_EQ_INT(line_no, NLINES);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not verify"));
	/* well formed, so without a key it passes the form checks */
	T_EQ_INT(vbuf(b, n, NULL, NULL, NULL, NULL), FWT_OK);
	free(b);
	fwt_key_free(other);
}

/* A COSE_Sign1 by the log's own key over the right payload is a checkpoint
 * only with the checkpoint content type and the record's key as kid: the
 * same key may sign firmware (no content type) or RIMs with the same
 * bytes.  Checked with and without a key. */
static void test_checkpoint_is_a_checkpoint(void)
{
	static const struct {
		const char *ct;
		int kid;           /* 0 none, 1 the log key's, 2 another key's, 3 too short */
		const char *why;
	} cases[] = {
		{ NULL, 1, "is not a checkpoint (no content type in its protected header, not "
		           "'application/vnd.fwtrail.audit-checkpoint+cbor')" },
		{ "application/rim+cbor", 1, "is not a checkpoint (content type 'application/rim+cbor', not "
		                             "'application/vnd.fwtrail.audit-checkpoint+cbor')" },
		{ FWT_AUDITLOG_CHECKPOINT_TYPE "; v=2", 1, "is not a checkpoint (content type" },
		{ "APPLICATION/VND.FWTRAIL.AUDIT-CHECKPOINT+CBOR", 1, "is not a checkpoint (content type" },
		{ FWT_AUDITLOG_CHECKPOINT_TYPE, 0, "names no key: no kid in its protected header" },
		{ FWT_AUDITLOG_CHECKPOINT_TYPE, 2, "kid is not the record's \"key\"" },
		{ FWT_AUDITLOG_CHECKPOINT_TYPE, 3, "kid is not the record's \"key\"" },
	};
	fwt_key *k = NULL;
	fwt_pubkey *other = NULL;
	unsigned char *b, fp[32], ofp[32];
	size_t i, n = 0;
	const char *prob;
	long long line_no;

	T_EQ_INT(fwt_key_open(ctx, &k, KD "p384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &other, KD "other-p384.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(logpub, fp), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(other, ofp), FWT_OK);
	fwt_pubkey_free(other);
	/* made the way fwtrail makes it: a checkpoint */
	b = resigned(k, FWT_AUDITLOG_CHECKPOINT_TYPE, fp, 32, 0, &n);
	T_ASSERT(b != NULL);
	T_EQ_INT(vbuf(b, n, logpub, NULL, NULL, NULL), FWT_OK);
	free(b);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b = resigned(k, cases[i].ct, cases[i].kid == 2 ? ofp : cases[i].kid ? fp : NULL,
		             cases[i].kid == 3 ? 31 : cases[i].kid ? 32 : 0, 0, &n);
		T_ASSERT(b != NULL);
		if (vbuf(b, n, logpub, NULL, &prob, &line_no) != FWT_EVERIFY || strcmp(prob, "bad_checkpoint") ||
		    line_no != NLINES || !strstr(fwt_ctx_errmsg(ctx), cases[i].why))
			T_FAIL_("case %zu with the key: %s", i, fwt_ctx_errmsg(ctx));
		if (vbuf(b, n, NULL, NULL, &prob, &line_no) != FWT_EVERIFY || strcmp(prob, "bad_checkpoint") ||
		    !strstr(fwt_ctx_errmsg(ctx), cases[i].why))
			T_FAIL_("case %zu without a key: %s", i, fwt_ctx_errmsg(ctx));
		free(b);
	}
	fwt_key_free(k);
}

/* The algorithm of a checkpoint is the one bound to the key: ES384, ES512,
 * PS384 or PS512 (as for every signature fwtrail makes).  A P-256 or
 * RSA-2048 key does not sign checkpoints, and an ES256 checkpoint (which
 * earlier versions made) does not verify with --key. */
static void test_checkpoint_alg_is_the_keys(void)
{
	static const struct {
		const char *key;
		fwt_err want;
	} keys[] = {
		{ KD "p256.key.pem", FWT_EUNSUPPORTED }, { KD "rsa2048.key.pem", FWT_EUNSUPPORTED },
		{ KD "p384.key.pem", FWT_OK },           { KD "p521.key.pem", FWT_OK },
		{ KD "rsa3072.key.pem", FWT_OK },        { KD "rsa4096.key.pem", FWT_OK },
	};
	fwt_key *k = NULL;
	fwt_pubkey *pub = NULL;
	unsigned char *b, fp[32];
	char p[128];
	size_t i, n = 0;
	struct stat st;
	const char *prob;
	long long line_no;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		T_EQ_INT(fwt_key_open(ctx, &k, keys[i].key, NULL), FWT_OK);
		if (fwt_auditlog_check_sign_key(ctx, k) != keys[i].want)
			T_FAIL_("%s: %s", keys[i].key, fwt_ctx_errmsg(ctx));
		fwt_key_free(k);
		k = NULL;
	}
	/* refused with nothing written: a new log is not left behind */
	T_EQ_INT(fwt_key_open(ctx, &k, KD "p256.key.pem", NULL), FWT_OK);
	path_in(p, sizeof(p), "p256.jsonl");
	T_EQ_INT(append_to(ctx, p, "h", k, 1), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is ec-p256: audit log checkpoints are signed with ES384 (P-384), ES512 "
	                                     "(P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"));
	T_ASSERT(stat(p, &st) != 0 && errno == ENOENT);
	/* an ES256 checkpoint by a P-256 key, in every other way right */
	T_EQ_INT(fwt_pubkey_fingerprint(fwt_key_pubkey(k), fp), FWT_OK);
	b = resigned(k, FWT_AUDITLOG_CHECKPOINT_TYPE, fp, 32, 1, &n);
	T_ASSERT(b != NULL);
	T_EQ_INT(fwt_pubkey_load(ctx, &pub, KD "p256.pub.pem"), FWT_OK);
	T_EQ_INT(vbuf(b, n, pub, NULL, &prob, &line_no), FWT_EVERIFY);
	T_EQ_STR(prob, "bad_checkpoint");
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "ES256 with key '" KD "p256.pub.pem' (ec-p256) is not accepted: "
	                                     "checkpoints are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 "
	                                     "(RSA-4096)"));
	/* its chain and form still verify without a key: such a log takes
	 * appends, and only --key says no */
	T_EQ_INT(vbuf(b, n, NULL, NULL, NULL, NULL), FWT_OK);
	free(b);
	fwt_pubkey_free(pub);
	fwt_key_free(k);
}

/* A file whose first line is no audit log record (a policy, an appraisal
 * record, text) is no audit log: FWT_EFORMAT saying so, where an edit
 * after a good first record is a "no" (FWT_EVERIFY, "edited").  A log
 * whose first line was overwritten is refused the same way: a failure
 * either way, never a pass. */
static void test_a_file_that_is_no_log(void)
{
	static const char *const nologs[] = {
		"{\n  \"fwtrail_policy\": 1,\n  \"rules\": [{\"rule\": \"measurements\"}]\n}\n",
		"{\"fwtrail_policy\": 1, \"rules\": [{\"rule\": \"measurements\"}]}\n",
		"{\"type\": \"audit\", \"seq\": 1}\n",
		"[1, 2]\n",
		"\n",
		"hello",
		"hello\nworld\n",
	};
	const char *prob;
	long long line;
	unsigned char *b, *big;
	size_t i, n;
	char p[128];
	struct stat st;

	for (i = 0; i < sizeof(nologs) / sizeof(nologs[0]); i++) {
		if (vbuf(nologs[i], strlen(nologs[i]), NULL, NULL, NULL, NULL) != FWT_EFORMAT ||
		    !strstr(fwt_ctx_errmsg(ctx), "'t.jsonl' is not an fwtrail audit log: line 1 is not an audit log record: "))
			T_FAIL_("no log %zu: %s", i, fwt_ctx_errmsg(ctx));
		/* nor is it appended to: the file stays as it was */
		path_in(p, sizeof(p), "nolog.jsonl");
		T_ASSERT(write_bytes(p, nologs[i], strlen(nologs[i])));
		if (append(ctx, p, "h", NULL) != FWT_EFORMAT || !strstr(fwt_ctx_errmsg(ctx), "is not an fwtrail audit log"))
			T_FAIL_("no log %zu appended to: %s", i, fwt_ctx_errmsg(ctx));
		T_ASSERT(stat(p, &st) == 0 && (size_t)st.st_size == strlen(nologs[i]));
	}
	/* the why is said: a JSON error, or the members a record has */
	T_EQ_INT(vbuf(nologs[0], strlen(nologs[0]), NULL, NULL, NULL, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "line 1 is not an audit log record: JSON error at byte 1"));
	T_EQ_INT(vbuf(nologs[1], strlen(nologs[1]), NULL, NULL, NULL, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "without the \"type\", \"seq\" and \"prev\" of a record"));
	/* a first line longer than a record */
	big = malloc(FWT_AUDITLOG_LINE_MAX + 2);
	T_ASSERT(big);
	memset(big, 'x', FWT_AUDITLOG_LINE_MAX + 1);
	big[FWT_AUDITLOG_LINE_MAX + 1] = '\n';
	T_EQ_INT(vbuf(big, FWT_AUDITLOG_LINE_MAX + 2, NULL, NULL, NULL, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "longer than the 4194304 bytes of a record"));
	free(big);
	/* a real log whose first line was overwritten: refused, not a pass */
	b = splice(0, "garbage\n", 8, &n);
	T_EQ_INT(vbuf(b, n, logpub, head, NULL, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is not an fwtrail audit log"));
	path_in(p, sizeof(p), "garbled.jsonl");
	T_ASSERT(write_bytes(p, b, n));
	T_EQ_INT(append(ctx, p, "h", NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is not an fwtrail audit log"));
	T_ASSERT(stat(p, &st) == 0 && (size_t)st.st_size == n);
	free(b);
	/* ... while a good first record followed by a bad line is "edited" */
	b = splice(1, "garbage\n", 8, &n);
	T_EQ_INT(vbuf(b, n, NULL, NULL, &prob, &line), FWT_EVERIFY);
	T_EQ_STR(prob, "edited");
	T_EQ_INT(line, 2);
	free(b);
	b = splice(1, "{\"fwtrail_policy\": 1}\n", 22, &n);
	T_EQ_INT(vbuf(b, n, NULL, NULL, &prob, &line), FWT_EVERIFY);
	T_EQ_STR(prob, "edited");
	T_EQ_INT(line, 2);
	free(b);
}

static void test_crash_leftovers_are_refused(void)
{
	char p[128];
	unsigned char *after;
	size_t n = 0;
	struct stat st;

	/* a record cut short by a crash: the next append refuses, and leaves
	 * the file as it is */
	path_in(p, sizeof(p), "cut.jsonl");
	T_ASSERT(write_bytes(p, log_bytes, starts[10] + 40));
	T_EQ_INT(append(ctx, p, "h", NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "ends in the middle of a record"));
	T_ASSERT(stat(p, &st) == 0 && (size_t)st.st_size == starts[10] + 40);
	/* a last record that does not follow from the one before */
	{
		size_t l1 = starts[10] - starts[9], l2 = starts[11] - starts[10];
		unsigned char *b = malloc(starts[11]);
		memcpy(b, log_bytes, starts[9]);
		memcpy(b + starts[9], log_bytes + starts[10], l2);
		memcpy(b + starts[9] + l2, log_bytes + starts[9], l1);
		T_ASSERT(write_bytes(p, b, starts[11]));
		free(b);
	}
	T_EQ_INT(append(ctx, p, "h", NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not follow"));
	/* an intact prefix takes appends: the chain goes on from its tail */
	T_ASSERT(write_bytes(p, log_bytes, starts[10]));
	T_EQ_INT(append(ctx, p, "h", NULL), FWT_OK);
	after = t_slurp(p, &n);
	T_EQ_INT(vbuf(after, n, NULL, NULL, NULL, NULL), FWT_OK);
	T_ASSERT(!memcmp(after, log_bytes, starts[10]));
	free(after);
	/* a one-record log */
	T_ASSERT(write_bytes(p, log_bytes, starts[1]));
	T_EQ_INT(append(ctx, p, "h", NULL), FWT_OK);
	after = t_slurp(p, &n);
	T_EQ_INT(vbuf(after, n, NULL, NULL, NULL, NULL), FWT_OK);
	free(after);
}

static void test_refuses_links_and_folders(void)
{
	char p[128], l[128];
	fwt_auditlog *log = NULL;
	json_t *rep = NULL;

	path_in(p, sizeof(p), "real.jsonl");
	path_in(l, sizeof(l), "link.jsonl");
	T_ASSERT(write_bytes(p, "", 0));
	T_ASSERT(symlink("real.jsonl", l) == 0);
	T_EQ_INT(fwt_auditlog_open(ctx, &log, l), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "symbolic link"));
	T_EQ_INT(fwt_auditlog_verify(ctx, l, NULL, &rep), FWT_EIO);
	T_EQ_INT(fwt_auditlog_open(ctx, &log, dir), FWT_EIO);
	path_in(p, sizeof(p), "absent.jsonl");
	T_EQ_INT(fwt_auditlog_verify(ctx, p, NULL, &rep), FWT_EIO);
	T_ASSERT(rep == NULL);
	T_ASSERT(log == NULL);
}

/* A FIFO at the log's path is refused at once: a read-only open of a FIFO
 * with no writer used to wait for one forever (audit log verify and show
 * hung).  The alarm ends the test if it does not return. */
static void test_fifo_refused_at_once(void)
{
	char p[128];
	fwt_auditlog *log = NULL;
	json_t *rep = NULL;

	path_in(p, sizeof(p), "fifo.jsonl");
	T_ASSERT(mkfifo(p, 0600) == 0);
	alarm(20);
	T_EQ_INT(fwt_auditlog_verify(ctx, p, NULL, &rep), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "fifo.jsonl' is not a regular file"));
	T_ASSERT(rep == NULL);
	T_EQ_INT(fwt_auditlog_open(ctx, &log, p), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "fifo.jsonl' is not a regular file"));
	alarm(0);
	T_ASSERT(log == NULL);
}

/* A host name is any bytes to the kernel, a file name any bytes to the file
 * system: the record keeps them, each byte that is not UTF-8 (and each
 * backslash) as \xNN, and is valid JSON.  Such a name once made every
 * logged audit fail with "out of memory". */
static void test_names_that_are_not_utf8(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "rack7-\xe9tage2", "rack7-\\xe9tage2" },                /* Latin-1 */
		{ "rack7-\xc3\xa9tage2", "rack7-\xc3\xa9tage2" },          /* UTF-8: kept */
		{ "\xe2\x82", "\\xe2\\x82" },                            /* cut short */
		{ "a\xc0\xaf" "b", "a\\xc0\\xaf" "b" },                   /* overlong '/' */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },                  /* a surrogate */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },        /* past U+10FFFF */
		{ "\x80\xbf", "\\x80\\xbf" },                            /* stray continuations */
		{ "back\\slash\\xe9", "back\\x5cslash\\x5cxe9" },        /* never ambiguous */
		{ "\xf0\x9f\x94\x92 tab\there", "\xf0\x9f\x94\x92 tab\there" }, /* UTF-8 and a control */
	};
	fwt_audit_entry e = FWT_AUDIT_ENTRY_INIT;
	fwt_auditlog *log = NULL;
	char p[128];
	unsigned char *b;
	size_t i, n = 0;
	json_t *r, *last = NULL;
	json_error_t je;

	path_in(p, sizeof(p), "names.jsonl");
	e.time = 1795366800;
	e.policy = pbuf;
	e.policy_len = plen;
	e.appraisal = "{}";
	e.appraisal_len = 2;
	e.record = rec;
	e.result = res;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e.host = cases[i].in;
		e.policy_path = cases[i].in;
		e.appraisal_path = cases[i].in;
		T_EQ_INT(i ? fwt_auditlog_open(ctx, &log, p) : fwt_auditlog_create(ctx, &log, p), FWT_OK);
		if (fwt_auditlog_append(log, &e, NULL) != FWT_OK)
			T_FAIL_("case %zu: %s", i, fwt_ctx_errmsg(ctx));
		fwt_auditlog_close(log);
		log = NULL;
	}
	b = t_slurp(p, &n);
	T_ASSERT(b != NULL);
	T_EQ_INT(vbuf(b, n, NULL, NULL, NULL, NULL), FWT_OK);
	/* every line is ASCII JSON that says what the name was */
	for (i = 0; i < n; i++)
		T_ASSERT(b[i] < 0x80);
	{
		char *line = (char *)b, *nl;
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			nl = strchr(line, '\n');
			T_ASSERT(nl != NULL);
			r = json_loadb(line, (size_t)(nl - line), 0, &je);
			T_ASSERT(r != NULL);
			if (strcmp(json_string_value(json_object_get(r, "host")), cases[i].out) ||
			    strcmp(json_string_value(json_object_get(json_object_get(r, "policy"), "path")), cases[i].out) ||
			    strcmp(json_string_value(json_object_get(json_array_get(json_object_get(r, "inputs"), 0), "path")),
			           cases[i].out))
				T_FAIL_("case %zu: host '%s'", i, json_string_value(json_object_get(r, "host")));
			json_decref(last);
			last = r;
			line = nl + 1;
		}
	}
	json_decref(last);
	free(b);
}

/* A log is never created by opening it, nor reset by starting it again
 * (T2: a missing or cut state file fails closed). */
/* One options-version rule (fwtrail.h) for the audit entry and the log
 * verifier by path: 0 is the current version, a newer one is refused
 * before the log is opened (a FIFO or a locked log would hold the call). */
static void test_entry_and_verify_versions(void)
{
	fwt_auditlog_verify_options o = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	fwt_audit_entry e = FWT_AUDIT_ENTRY_INIT;
	fwt_auditlog *log = NULL;
	char p[128];
	unsigned char *b;
	size_t n = 0;

	path_in(p, sizeof(p), "versions.jsonl");
	T_EQ_INT(fwt_auditlog_create(ctx, &log, p), FWT_OK);
	e.time = append_time;
	e.policy_path = "policies/nolog.json";
	e.policy = pbuf;
	e.policy_len = plen;
	e.record = rec;
	e.result = res;
	e.version = FWT_AUDIT_ENTRY_VERSION + 1;
	T_EQ_INT(fwt_auditlog_append(log, &e, NULL), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "audit entry options version 2 is newer than this library's (1)");
	e.version = 0;
	T_EQ_INT(fwt_auditlog_append(log, &e, NULL), FWT_OK);
	fwt_auditlog_close(log);
	b = t_slurp(p, &n);
	T_EQ_INT(vbuf(b, n, NULL, NULL, NULL, NULL), FWT_OK);
	free(b);
	o.version = FWT_AUDITLOG_VERIFY_OPTIONS_VERSION + 1;
	path_in(p, sizeof(p), "absent-versions.jsonl");
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &o, NULL), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "audit log verify options version") != NULL);
}

static void test_missing_and_existing_logs(void)
{
	char p[128];
	fwt_auditlog *log = NULL;
	unsigned char *b;
	size_t n = 0;
	struct stat st;

	/* absent: open fails and creates nothing */
	path_in(p, sizeof(p), "absent.jsonl");
	T_EQ_INT(append(ctx, p, "h", NULL), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not exist"));
	T_ASSERT(stat(p, &st) != 0 && errno == ENOENT);
	/* started: one record, the chain from genesis */
	T_EQ_INT(append_to(ctx, p, "h", NULL, 1), FWT_OK);
	b = t_slurp(p, &n);
	T_EQ_INT(vbuf(b, n, NULL, NULL, NULL, NULL), FWT_OK);
	T_ASSERT(b && memchr(b, '\n', n) == (void *)(b + n - 1));
	/* started again: refused, the log untouched */
	T_EQ_INT(append_to(ctx, p, "h", NULL, 1), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "already exists"));
	T_ASSERT(stat(p, &st) == 0 && (size_t)st.st_size == n);
	free(b);
	/* an existing empty file is no new log either */
	path_in(p, sizeof(p), "empty.jsonl");
	T_ASSERT(write_bytes(p, "", 0));
	T_EQ_INT(append_to(ctx, p, "h", NULL, 1), FWT_EIO);
	/* and, being empty, it does not take appends: it was cut to nothing */
	T_EQ_INT(append(ctx, p, "h", NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is empty"));
	T_ASSERT(stat(p, &st) == 0 && st.st_size == 0);
	/* a new log appears holding its first record: started and closed
	 * with none (or stopped by a signal before it), there is no file */
	path_in(p, sizeof(p), "unused.jsonl");
	T_EQ_INT(fwt_auditlog_create(ctx, &log, p), FWT_OK);
	T_ASSERT(stat(p, &st) != 0 && errno == ENOENT);
	fwt_auditlog_close(log);
	T_ASSERT(stat(p, &st) != 0 && errno == ENOENT);
	/* a file another program put in its place meanwhile is kept, and the
	 * record is not logged (never over it) */
	T_EQ_INT(fwt_auditlog_create(ctx, &log, p), FWT_OK);
	T_ASSERT(write_bytes(p, "x", 1));
	T_EQ_INT(append_log(log, "h", NULL), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "created by another process meanwhile") != NULL);
	fwt_auditlog_close(log);
	T_ASSERT(stat(p, &st) == 0 && st.st_size == 1);
}

/* An append that fails (EFBIG here, as ENOSPC or EDQUOT would) is undone,
 * and the next one follows the last good record: in a log created here
 * (an O_TMPFILE named at its first record) as in one opened. */
static void test_append_after_failed_append(void)
{
	static const int create[] = { 1, 0 };
	char p[128], big[3000];
	struct rlimit rl, small;
	struct stat st;
	fwt_auditlog *log;
	unsigned char *b;
	size_t i, n;
	void (*old)(int);

	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 2; i++) {
		path_in(p, sizeof(p), create[i] ? "failed-new.jsonl" : "failed-old.jsonl");
		if (!create[i])
			T_EQ_INT(append_to(ctx, p, "zeroth", NULL, 1), FWT_OK);
		log = NULL;
		T_EQ_INT(create[i] ? fwt_auditlog_create(ctx, &log, p) : fwt_auditlog_open(ctx, &log, p), FWT_OK);
		T_EQ_INT(append_log(log, "first", NULL), FWT_OK);
		T_ASSERT(stat(p, &st) == 0);
		/* room for less than the next record: a short write, undone */
		old = signal(SIGXFSZ, SIG_IGN);
		T_ASSERT(getrlimit(RLIMIT_FSIZE, &rl) == 0);
		small = rl;
		small.rlim_cur = (rlim_t)st.st_size + 100;
		T_ASSERT(setrlimit(RLIMIT_FSIZE, &small) == 0);
		T_EQ_INT(append_log(log, big, NULL), FWT_EIO);
		T_ASSERT(setrlimit(RLIMIT_FSIZE, &rl) == 0);
		signal(SIGXFSZ, old);
		T_EQ_INT(append_log(log, "third", NULL), FWT_OK);
		fwt_auditlog_close(log);
		b = t_slurp(p, &n);
		T_ASSERT(b != NULL);
		T_ASSERT(memchr(b, '\0', n) == NULL); /* no hole where the undone record was */
		T_EQ_INT(vbuf(b, n, NULL, NULL, NULL, NULL), FWT_OK);
		free(b);
	}
}

/* Eight processes, 200 appends each, all at once. */
/* A blank line (fwtrail writes none) is named as one, still "edited":
 * not "'record' is empty".  At the end of a log an append refuses it the
 * same way, and as the first line it is no log. */
static void test_blank_lines_are_named(void)
{
	static const char *const blanks[] = { "\n", " \t\r\n" };
	size_t i, k, n;
	const char *prob;
	long long line;
	char p[128];
	fwt_auditlog *log = NULL;

	for (k = 0; k < 2; k++) {
		size_t bl = strlen(blanks[k]);
		for (i = 0; i < 3; i++) {
			size_t at = i == 0 ? starts[50] : i == 1 ? log_len : 0;
			unsigned char *b = malloc(log_len + bl);
			memcpy(b, log_bytes, at);
			memcpy(b + at, blanks[k], bl);
			memcpy(b + at + bl, log_bytes + at, log_len - at);
			n = log_len + bl;
			if (i < 2) {
				T_EQ_INT(vbuf(b, n, NULL, NULL, &prob, &line), FWT_EVERIFY);
				T_EQ_STR(prob, "edited");
				T_EQ_INT(line, i == 0 ? 51 : NLINES + 1);
				T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "a blank line where a record belongs") != NULL);
			} else {
				T_EQ_INT(vbuf(b, n, NULL, NULL, NULL, NULL), FWT_EFORMAT);
				T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "line 1 is not an audit log record: it is a blank line") != NULL);
			}
			if (i == 1) {
				path_in(p, sizeof(p), "blank-end.jsonl");
				T_ASSERT(write_bytes(p, b, n));
				T_EQ_INT(fwt_auditlog_open(ctx, &log, p), FWT_EFORMAT);
				T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "ends in a blank line") != NULL);
				T_ASSERT(log == NULL);
			}
			free(b);
		}
	}
}

/* A copy of the first size bytes of full in a block of exactly that size. */
static void *older_struct(const void *full, size_t size)
{
	void *p = malloc(size);

	if (p)
		memcpy(p, full, size);
	return p;
}

struct waits {
	int n;
	char path[128];
};

static void note_wait(void *payload, const char *path)
{
	struct waits *w = payload;

	w->n++;
	snprintf(w->path, sizeof(w->path), "%s", path);
}

/* A process holding the log's lock: it takes it (op), says so on ready,
 * and lets it go delay_ms after a byte comes on go. */
static pid_t hold_lock(const char *path, int op, int ready[2], int go[2], int delay_ms)
{
	pid_t kid;
	char c;

	if (pipe(ready) != 0 || pipe(go) != 0)
		return -1;
	kid = fork();
	if (kid == 0) {
		int fd = open(path, O_RDONLY);
		if (fd < 0 || flock(fd, op) != 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		usleep((useconds_t)delay_ms * 1000);
		_exit(0);
	}
	if (kid > 0 && read(ready[0], &c, 1) != 1)
		return -1;
	return kid;
}

static void let_go(int go[2])
{
	if (write(go[1], "g", 1) != 1)
		T_FAIL_("cannot tell the lock holder to go");
}

static void reap(pid_t kid, int ready[2], int go[2])
{
	int status;

	T_ASSERT(waitpid(kid, &status, 0) == kid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* The lock is tried first: the caller is told, once, when another process
 * holds it, never when it is free, and may give up after a time (EIO,
 * nothing done) instead of waiting without end. */
static void test_lock_wait_is_told_and_bounded(void)
{
	fwt_auditlog_open_options oo = FWT_AUDITLOG_OPEN_OPTIONS_INIT;
	fwt_auditlog_verify_options vo = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	fwt_auditlog *log = NULL;
	struct waits w;
	int ready[2], go[2];
	char p[128], want[256];
	unsigned char *before, *after;
	size_t nb = 0, na = 0;
	pid_t kid;

	memset(&w, 0, sizeof(w));
	path_in(p, sizeof(p), "locked.jsonl");
	T_EQ_INT(append_to(ctx, p, "first", NULL, 1), FWT_OK);
	oo.waiting = note_wait;
	oo.waiting_payload = &w;
	vo.waiting = note_wait;
	vo.waiting_payload = &w;
	/* free: not told */
	T_EQ_INT(fwt_auditlog_open_ext(ctx, &log, p, &oo), FWT_OK);
	fwt_auditlog_close(log);
	log = NULL;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &vo, NULL), FWT_OK);
	T_EQ_INT(w.n, 0);

	/* a writer holds it: an append and a verification give up in time */
	kid = hold_lock(p, LOCK_EX, ready, go, 0);
	T_ASSERT(kid > 0);
	oo.lock_timeout_ms = 100;
	T_EQ_INT(fwt_auditlog_open_ext(ctx, &log, p, &oo), FWT_EIO);
	T_ASSERT(log == NULL);
	snprintf(want, sizeof(want), "cannot lock audit log '%s': still held by another process after 0.1 seconds", p);
	T_EQ_STR(fwt_ctx_errmsg(ctx), want);
	T_EQ_INT(w.n, 1);
	T_EQ_STR(w.path, p);
	vo.lock_timeout_ms = 50;
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &vo, NULL), FWT_EIO);
	T_EQ_INT(w.n, 2);
	let_go(go);
	reap(kid, ready, go);

	/* without a limit: told once, then it waits for the holder, which
	 * lets go 300 ms after it is told to */
	oo.lock_timeout_ms = 0;
	kid = hold_lock(p, LOCK_EX, ready, go, 300);
	T_ASSERT(kid > 0);
	let_go(go);
	before = t_slurp(p, &nb);
	T_EQ_INT(fwt_auditlog_open_ext(ctx, &log, p, &oo), FWT_OK);
	T_EQ_INT(w.n, 3);
	T_EQ_INT(append_log(log, "after the wait", NULL), FWT_OK);
	fwt_auditlog_close(log);
	log = NULL;
	reap(kid, ready, go);
	after = t_slurp(p, &na);
	T_ASSERT(before && after && na > nb);
	free(before);
	free(after);

	/* a reader holds it: another reader is not held up, a writer is */
	kid = hold_lock(p, LOCK_SH, ready, go, 0);
	T_ASSERT(kid > 0);
	T_EQ_INT(fwt_auditlog_verify(ctx, p, &vo, NULL), FWT_OK);
	T_EQ_INT(w.n, 3);
	oo.lock_timeout_ms = 20;
	T_EQ_INT(fwt_auditlog_open_ext(ctx, &log, p, &oo), FWT_EIO);
	T_EQ_INT(w.n, 4);
	let_go(go);
	reap(kid, ready, go);

	/* a version 2 options struct (before waiting), allocated at its own
	 * size, still verifies: nothing past it is read (ASan) */
	{
		fwt_auditlog_verify_options full = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
		void *v2;
		full.version = 2;
		v2 = older_struct(&full, offsetof(fwt_auditlog_verify_options, waiting));
		T_ASSERT(v2 != NULL);
		T_EQ_INT(fwt_auditlog_verify(ctx, p, v2, NULL), FWT_OK);
		free(v2);
	}
	oo.version = FWT_AUDITLOG_OPEN_OPTIONS_VERSION + 1;
	T_EQ_INT(fwt_auditlog_open_ext(ctx, &log, p, &oo), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "audit log open options version") != NULL);
}

static void test_concurrent_appends(void)
{
	char p[128];
	pid_t kids[8];
	int i, status, bad = 0;
	json_t *rep = NULL;

	path_in(p, sizeof(p), "concurrent.jsonl");
	T_EQ_INT(append_to(ctx, p, "first", NULL, 1), FWT_OK);
	for (i = 0; i < 8; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			fwt_ctx *c = NULL;
			char host[32];
			int j, rc = 0;
			if (fwt_ctx_new(&c, NULL) != FWT_OK)
				_exit(2);
			for (j = 0; j < 200 && !rc; j++) {
				snprintf(host, sizeof(host), "writer-%d-%d", i, j);
				rc = append(c, p, host, NULL) != FWT_OK;
			}
			fwt_ctx_free(c);
			_exit(rc);
		}
		T_ASSERT(kids[i] > 0);
	}
	for (i = 0; i < 8; i++)
		if (waitpid(kids[i], &status, 0) != kids[i] || !WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	T_EQ_INT(bad, 0);
	T_EQ_INT(fwt_auditlog_verify(ctx, p, NULL, &rep), FWT_OK);
	T_EQ_INT(json_integer_value(json_object_get(rep, "records")), 1601);
	json_decref(rep);
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

int main(void)
{
	fwt_policy_eval_options o = FWT_POLICY_EVAL_OPTIONS_INIT;
	fwt_verdict v;
	size_t n = 0;
	unsigned char *b;

	/* tmpfs when there is one: the tests are about locking and the chain,
	 * and 1,800 fsyncs on a disk would make them slow */
	snprintf(dir, sizeof(dir), "%s/fwt-auditlog-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir) || fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	pbuf = t_slurp(TD "policies/nolog.json", &plen);
	b = t_slurp(TD "records/good.json", &n);
	o.at = 1795366800;
	if (!pbuf || !b || fwt_policy_parse(ctx, &pol, pbuf, plen, "nolog.json") ||
	    fwt_policy_record_parse(ctx, &rec, b, n, "good.json") || fwt_policy_eval(ctx, pol, rec, &o, &v, &res)) {
		fprintf(stderr, "cannot set up: %s\n", fwt_ctx_errmsg(ctx));
		return 1;
	}
	free(b);
	T_RUN(test_reads_a_log_written_by_another_program);
	T_RUN(test_history_counts_passing_audits_only);
	T_RUN(test_unbound_sfr_products_are_not_recorded);
	T_RUN(test_append_names_unordered_versions);
	T_RUN(test_many_products);
	T_RUN(build_log);
	if (log_bytes) {
		T_RUN(test_every_edit_is_found);
		T_RUN(test_only_good_records_are_passed_on);
		T_RUN(test_every_deletion_is_found);
		T_RUN(test_every_swap_and_insertion_is_found);
		T_RUN(test_every_truncation_is_found);
		T_RUN(test_checkpoints_need_the_right_key);
	T_RUN(test_checkpoint_times);
		T_RUN(test_forged_checkpoint);
		T_RUN(test_checkpoint_is_a_checkpoint);
		T_RUN(test_checkpoint_alg_is_the_keys);
		T_RUN(test_crash_leftovers_are_refused);
		T_RUN(test_a_file_that_is_no_log);
		T_RUN(test_blank_lines_are_named);
	}
	T_RUN(test_refuses_links_and_folders);
	T_RUN(test_fifo_refused_at_once);
	T_RUN(test_names_that_are_not_utf8);
	T_RUN(test_missing_and_existing_logs);
	T_RUN(test_entry_and_verify_versions);
	T_RUN(test_append_after_failed_append);
	T_RUN(test_lock_wait_is_told_and_bounded);
	T_RUN(test_concurrent_appends);
	T_RUN(test_record_callback_stop_is_said);
	T_RUN(test_entry_time_required);
	free(log_bytes);
	fwt_pubkey_free(logpub);
	json_decref(rec);
	json_decref(res);
	fwt_policy_free(pol);
	free(pbuf);
	fwt_ctx_free(ctx);
	cleanup();
	return t_done();
}
