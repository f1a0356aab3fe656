/* SPDX-License-Identifier: Apache-2.0 */
/* ctx_test.c - the library context, and fwt_standalone_init: OpenSSL's
 * default context no longer reads openssl.cnf, and libfwtrail's own
 * context never did.  Each case runs in a child process, since the choice
 * is process-wide and one-way.  And the last error: every failing call
 * leaves its own code and message, never an earlier failure's. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

static char conf[64];

/* A configuration that no default-context fetch survives: every algorithm
 * must come from a FIPS provider, and none is loaded. */
static int write_conf(void)
{
	static const char text[] = "openssl_conf = openssl_init\n"
	                           "[openssl_init]\n"
	                           "alg_section = algs\n"
	                           "[algs]\n"
	                           "default_properties = fips=yes\n";
	int fd;

	snprintf(conf, sizeof(conf), "/tmp/fwtrail-ctx-test.XXXXXX");
	fd = mkstemp(conf);
	if (fd < 0)
		return -1;
	if (write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* 1 when the default context can fetch SHA-256, 0 when not, in a child
 * that calls fwt_standalone_init first when standalone is set; the child
 * also hashes through libfwtrail, which must work either way. */
static int default_ctx_fetches(int standalone)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		static const unsigned char sha256_abc[4] = { 0xba, 0x78, 0x16, 0xbf };
		fwt_ctx *ctx = NULL;
		fwt_digests d;
		EVP_MD *md;
		int code;

		if (standalone && fwt_standalone_init() != 0)
			_exit(10);
		setenv("OPENSSL_CONF", conf, 1);
		if (fwt_ctx_new(&ctx, NULL) != FWT_OK || fwt_digest_buffer(ctx, FWT_DIGEST_SHA256, "abc", 3, &d) ||
		    memcmp(d.sha256, sha256_abc, sizeof(sha256_abc)))
			_exit(11);
		fwt_ctx_free(ctx);
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
		code = md ? 1 : 0;
		EVP_MD_free(md);
		_exit(code);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_config_read_without_init(void)
{
	/* the control: the configuration is read, and bites */
	T_EQ_INT(default_ctx_fetches(0), 0);
}

static void test_config_skipped_after_init(void)
{
	T_EQ_INT(default_ctx_fetches(1), 1);
}

/* ---- the last error is the failing call's own ---- */

static fwt_ctx *ectx;

/* An unrelated failure first (malformed JSON), so that a call that sets
 * nothing shows it. */
static void earlier_failure(void)
{
	json_t *j = NULL;

	if (fwt_json_parse(ectx, &j, "{", 1, "earlier", NULL) != FWT_EFORMAT)
		abort();
}

#define T_SAYS(call, code, text)                                                 \
	do {                                                                     \
		earlier_failure();                                               \
		T_EQ_INT((call), (code));                                        \
		T_EQ_INT(fwt_ctx_errcode(ectx), (code));                          \
		T_ASSERT(strstr(fwt_ctx_errmsg(ectx), (text)) != NULL);          \
	} while (0)

static void test_failures_say_why(void)
{
	fwt_swid_verify_options so = FWT_SWID_VERIFY_OPTIONS_INIT;
	unsigned char sig[512], h[64] = { 0 };
	size_t siglen = sizeof(sig);
	fwt_reader *r = NULL;
	fwt_key *k = NULL;
	fwt_pubkey *pk = NULL;
	fwt_trust *t = NULL;
	fwt_swid *sw = NULL;
	fwt_manifest *m = NULL;
	fwt_eventlog *log = NULL;
	fwt_spdm *sp = NULL;
	fwt_appraise *a = NULL;
	fwt_cose *cm = NULL;
	const unsigned char *v;
	unsigned char *spki = NULL;
	size_t vlen;

	T_ASSERT(fwt_ctx_new(&ectx, NULL) == FWT_OK);
	T_EQ_INT(fwt_key_open(ectx, &k, "testdata/keys/p384.key.pem", NULL), FWT_OK);
	T_SAYS(fwt_key_sign_digest(k, NULL, 48, sig, &siglen), FWT_EINVAL, "bad arguments to fwt_key_sign_digest");
	T_SAYS(fwt_reader_from_fd(ectx, &r, -1, "x"), FWT_EINVAL, "bad arguments to fwt_reader_from_fd");
	T_SAYS(fwt_reader_from_callback(ectx, &r, NULL, NULL, "x"), FWT_EINVAL,
	       "bad arguments to fwt_reader_from_callback");
	T_SAYS(fwt_eventlog_load_fd(ectx, &log, -1, "x", NULL), FWT_EINVAL, "bad arguments to fwt_eventlog_load_fd");
	T_SAYS(fwt_spdm_load_fd(ectx, &sp, -1, "x"), FWT_EINVAL, "bad arguments to fwt_spdm_load_fd");
	T_EQ_INT(fwt_swid_load(ectx, &sw, "testdata/fuzz/fuzz_swid_xml/good-base-rsa-sha256.swidtag"), FWT_OK);
	so.version = FWT_SWID_VERIFY_OPTIONS_VERSION + 1;
	T_SAYS(fwt_swid_verify(ectx, sw, &so, NULL), FWT_EINVAL, "is newer than this library's");
	T_SAYS(fwt_swid_verify(ectx, sw, NULL, NULL), FWT_EINVAL, "bad arguments to SWID verification");
	T_EQ_INT(fwt_trust_new(ectx, &t), FWT_OK);
	T_SAYS(fwt_trust_add_key(t, NULL), FWT_EINVAL, "bad arguments to fwt_trust_add_key");
	T_EQ_INT(fwt_pubkey_load(ectx, &pk, "testdata/keys/p384.pub.pem"), FWT_OK);
	T_SAYS(fwt_pubkey_spki(pk, NULL, &vlen), FWT_EINVAL, "bad arguments to fwt_pubkey_spki");
	T_EQ_INT(fwt_manifest_new(ectx, &m), FWT_OK);
	T_SAYS(fwt_manifest_add(m, NULL, 0, h), FWT_EINVAL, "bad arguments to fwt_manifest_add");
	T_EQ_INT(fwt_appraise_new(ectx, &a, NULL), FWT_OK);
	T_SAYS(fwt_appraise_add_rim(a, NULL, 5, "x"), FWT_EINVAL, "bad arguments to fwt_appraise_add_rim");
	/* COSE_Sign1, protected {1: -35}, detached payload: no label 4 */
	T_EQ_INT(fwt_cose_parse(ectx, &cm, "\xd2\x84\x44\xa1\x01\x38\x22\xa0\xf6\x40", 10, NULL), FWT_OK);
	/* lookups callers probe with keep the message of the failure being
	 * reported: they set none of their own */
	earlier_failure();
	T_EQ_INT(fwt_cose_protected_bstr(cm, 4, &v, &vlen), FWT_ENOTFOUND);
	T_EQ_INT(fwt_cose_protected_bstr(cm, 1, &v, &vlen), FWT_EFORMAT);
	T_ASSERT(fwt_ctx_errcode(ectx) == FWT_EFORMAT && strstr(fwt_ctx_errmsg(ectx), "earlier"));
	T_EQ_INT(fwt_pubkey_spki(pk, &spki, &vlen), FWT_OK);
	free(spki);
	fwt_cose_free(cm);
	fwt_appraise_free(a);
	fwt_manifest_free(m);
	fwt_pubkey_free(pk);
	fwt_trust_free(t);
	fwt_swid_free(sw);
	fwt_key_free(k);
	fwt_ctx_free(ectx);
}

/* A write that failed (past RLIMIT_FSIZE, in a child), an unrelated
 * failure, then the commit: it says why it fails, not the other failure. */
static void test_commit_after_failed_write(void)
{
	pid_t pid;
	int st;

	pid = fork();
	T_ASSERT(pid >= 0);
	if (pid == 0) {
		static char buf[8192];
		struct rlimit rl = { 1024, 1024 };
		fwt_writer *w = NULL;
		fwt_err err;

		signal(SIGXFSZ, SIG_IGN);
		if (fwt_ctx_new(&ectx, NULL) || setrlimit(RLIMIT_FSIZE, &rl))
			_exit(2);
		if (fwt_writer_open(ectx, &w, "/tmp/fwtrail-ctx-test.out", NULL))
			_exit(3);
		if (fwt_writer_write(w, buf, sizeof(buf)) != FWT_EIO)
			_exit(4);
		earlier_failure();
		if (fwt_writer_write(w, buf, 1) != FWT_EIO || fwt_ctx_errcode(ectx) != FWT_EIO ||
		    !strstr(fwt_ctx_errmsg(ectx), "an earlier write to it failed"))
			_exit(5);
		earlier_failure();
		err = fwt_writer_commit(w);
		if (err != FWT_EIO || fwt_ctx_errcode(ectx) != FWT_EIO ||
		    !strstr(fwt_ctx_errmsg(ectx), "an earlier write to it failed"))
			_exit(6);
		fwt_ctx_free(ectx);
		_exit(0);
	}
	T_ASSERT(waitpid(pid, &st, 0) == pid);
	T_ASSERT(WIFEXITED(st));
	T_EQ_INT(WEXITSTATUS(st), 0);
}

int main(void)
{
	if (write_conf() != 0) {
		perror("ctx_test: cannot write a configuration file");
		return 1;
	}
	T_RUN(test_config_read_without_init);
	T_RUN(test_config_skipped_after_init);
	T_RUN(test_failures_say_why);
	T_RUN(test_commit_after_failed_write);
	unlink(conf);
	return t_done();
}
