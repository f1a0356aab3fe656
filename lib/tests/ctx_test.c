/* SPDX-License-Identifier: Apache-2.0 */
/* ctx_test.c - the library context, and fwt_standalone_init: OpenSSL's
 * default context no longer reads openssl.cnf, and libfwtrail's own
 * context never did.  Each case runs in a child process, since the choice
 * is process-wide and one-way. */
#include <stdlib.h>
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

int main(void)
{
	if (write_conf() != 0) {
		perror("ctx_test: cannot write a configuration file");
		return 1;
	}
	T_RUN(test_config_read_without_init);
	T_RUN(test_config_skipped_after_init);
	unlink(conf);
	return t_done();
}
