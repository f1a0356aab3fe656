/* SPDX-License-Identifier: Apache-2.0 */
/* p11_test.c - PKCS#11 keys: URI rules, r||s normalisation, and, against a
 * throwaway SoftHSM2 token reached through p11-kit's registry, key
 * selection, PINs, parallel signing, listing, generation and fork. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fwtrail/fwtrail.h>
#include "key_internal.h"
#include "t.h"

static fwt_ctx *ctx;
static char tokdir[64];
static int have_token;

#define TOKEN "pkcs11:token=fwtrail-test"
/* Most tests name the module: other registered modules may leak when they
 * fail to initialise (Debian's tpm2_pkcs11 without a TPM does), which
 * LeakSanitizer would blame on this test.  test_registry looks through
 * every registered module. */
#define MOD "?module-name=softhsm2"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define THIRD_PARTY_LEAKS_BEGIN() __lsan_disable()
#define THIRD_PARTY_LEAKS_END() __lsan_enable()
#else
#define THIRD_PARTY_LEAKS_BEGIN() ((void)0)
#define THIRD_PARTY_LEAKS_END() ((void)0)
#endif

static void setup_token(void)
{
	char cmd[256], conf[128];

	if (access("/usr/lib/softhsm/libsofthsm2.so", R_OK) != 0)
		return;
	snprintf(tokdir, sizeof(tokdir), "/tmp/fwtrail-p11-test-XXXXXX");
	if (!mkdtemp(tokdir))
		return;
	snprintf(cmd, sizeof(cmd), "scripts/softhsm-env.sh --faults --quick '%s' >/dev/null", tokdir);
	if (system(cmd) != 0)
		return;
	snprintf(conf, sizeof(conf), "%s/softhsm2.conf", tokdir);
	setenv("SOFTHSM2_CONF", conf, 1);
	/* keep the TPM2 stack of other registered modules quiet in the test log */
	setenv("TSS2_LOG", "all+NONE", 0);
	setenv("TPM2_PKCS11_LOG_LEVEL", "0", 0);
	have_token = 1;
}

static void teardown_token(void)
{
	char cmd[128];

	if (tokdir[0] && strlen(tokdir) > 20) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tokdir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tokdir);
	}
}

#define NEED_TOKEN()                                              \
	do {                                                      \
		if (!have_token)                                  \
			T_SKIP("SoftHSM2 is not installed");      \
	} while (0)

static fwt_err open_key(fwt_key **k, const char *uri, const char *pin)
{
	fwt_key_options o = FWT_KEY_OPTIONS_INIT;

	o.pin = pin;
	return fwt_key_open(ctx, k, uri, &o);
}

/* ---- without a token ---- */

static void test_uri_rules(void)
{
	struct fwt_p11_uri *u = NULL;
	char big[5000];
	char *s;

	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=a;object=b;type=private;id=%01", &u), FWT_OK);
	fwt__p11_uri_free(u);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:", &u), FWT_OK);
	fwt__p11_uri_free(u);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=a;foo=bar", &u), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "unknown attribute 'foo'"));
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=a;token=b", &u), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'token' appears twice"));
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=a?pin-source=|/bin/touch%20/tmp/x", &u), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "never run"));
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=a?pin-source=file:pin.txt", &u), FWT_EINVAL);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=a?pin-source=https://x/pin", &u), FWT_EINVAL);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=a?foo=1", &u), FWT_EINVAL);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token", &u), FWT_EINVAL);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=%zz", &u), FWT_EINVAL);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:type=nonsense", &u), FWT_EINVAL);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "file:/x", &u), FWT_EINVAL);
	memset(big, 'a', sizeof(big));
	memcpy(big, "pkcs11:token=", 13);
	big[sizeof(big) - 1] = '\0';
	T_EQ_INT(fwt__p11_uri_parse(ctx, big, &u), FWT_EINVAL);
	T_ASSERT(!u);
	T_EQ_INT(fwt_p11_uri_check(ctx, "pkcs11:object=a?module-name=softhsm2&pin-source=file:/run/pin"), FWT_OK);
	/* formatting keeps the module, drops the PIN */
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:object=k?module-name=softhsm2&pin-value=123456", &u), FWT_OK);
	s = fwt__p11_uri_format(u);
	T_ASSERT(s && strstr(s, "object=k") && strstr(s, "module-name=softhsm2") && !strstr(s, "123456"));
	free(s);
	fwt__p11_uri_free(u);
}

/* Whatever is wrong with a URI, its pin-value never reaches a message:
 * pin-value in the path (a common mistake), beside another error, twice,
 * in a URI p11-kit cannot decode, under an encoded name. */
static void test_uri_pin_never_shown(void)
{
	static const char *const bad[] = {
		"pkcs11:token=t;object=k;pin-value=s3cr3t",
		"pkcs11:token=t;object=k;pin-value=s3cr3t?module-name=x",
		"pkcs11:token=t;object=k;foo=bar?pin-value=s3cr3t",
		"pkcs11:token=t?pin-value=s3cr3t&pin-value=s3cr3t",
		"pkcs11:token=t;id=%zz?pin-value=s3cr3t",
		"pkcs11:token=t?pin-value=s3cr3t&pin-source=|/bin/true",
		"pkcs11:token=t?pin-value=s3;cr3t&foo=1",
		"pkcs11:token=t;PIN-%56alue=s3cr3t",
		"pkcs11:token=t?pin-value=s3cr3t%00",
		"PKCS11:token=t;foo=1?pin-value=s3cr3t",
		"pkcs11 :token=t?pin-value=s3cr3t",
		"pkcs12:token=t?pin-value=s3cr3t",
	};
	struct fwt_p11_uri *u = NULL;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		T_EQ_INT(fwt__p11_uri_parse(ctx, bad[i], &u), FWT_EINVAL);
		T_ASSERT(!u);
		T_ASSERT(!strstr(fwt_ctx_errmsg(ctx), "s3") && !strstr(fwt_ctx_errmsg(ctx), "cr3t"));
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "=<hidden>"));
	}
	T_EQ_INT(fwt__p11_uri_parse(ctx, bad[0], &u), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx),
	         "pkcs11: URI 'pkcs11:token=t;object=k;pin-value=<hidden>': misplaced attribute 'pin-value' (a query "
	         "attribute: put it after '?', as in pkcs11:token=T?module-name=M)");
	/* and the other way: a path attribute in the query */
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:object=k?token=t", &u), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx),
	         "pkcs11: URI 'pkcs11:object=k?token=t': misplaced attribute 'token' (a path attribute: put it before '?')");
}

/* A key spec that only looks like a URI (a file name, a mistyped scheme)
 * has its pin-value hidden as well, wherever it stands. */
static void test_hide_pin(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ " pkcs11:token=t?pin-value=s3cr3t", " pkcs11:token=t?pin-value=<hidden>" },
		{ "PKCS11:token=t?pin-value=s3cr3t&module-name=m", "PKCS11:token=t?pin-value=<hidden>&module-name=m" },
		{ "keys/pin-value=s3cr3t.pem", "keys/pin-value=<hidden>" },
		{ "a b PIN-Value=s3cr3t;c", "a b PIN-Value=<hidden>;c" },
		{ "x?y;pin%2dvalue=s3;cr3t&z", "x?y;pin%2dvalue=<hidden>&z" },
		{ "pkcs11:token=t", "pkcs11:token=t" },
	};
	char q[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fwt__p11_hide_pin(q, sizeof(q), cases[i].in);
		T_EQ_STR(q, cases[i].want);
		T_EQ_INT(fwt__p11_has_pin_value(cases[i].in), i + 1 < sizeof(cases) / sizeof(cases[0]));
	}
}

/* The scheme is case-insensitive (RFC 3986 3.1). */
static void test_uri_scheme_case(void)
{
	struct fwt_p11_uri *u = NULL;
	char *s;

	T_EQ_INT(fwt__p11_uri_parse(ctx, "PKCS11:token=a;object=b?pin-value=s3cr3t", &u), FWT_OK);
	s = fwt__p11_uri_format(u);
	T_ASSERT(s && strstr(s, "token=a") && strstr(s, "object=b") && !strstr(s, "s3cr3t"));
	free(s);
	fwt__p11_uri_free(u);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "Pkcs11:", &u), FWT_OK);
	fwt__p11_uri_free(u);
}

/* A URI's pin-source file is an input as soon as the URI is parsed, read
 * or not (--pin-file goes first): no output may replace it. */
static void test_pin_source_is_input(void)
{
	char path[] = "/tmp/fwtrail-pinsrc-XXXXXX", uri[128];
	struct fwt_p11_uri *u = NULL;
	struct stat st;
	fwt_ctx *c = NULL;
	int fd;

	fd = mkstemp(path);
	T_ASSERT(fd >= 0);
	close(fd);
	T_EQ_INT(stat(path, &st), 0);
	T_EQ_INT(fwt_ctx_new(&c, NULL), FWT_OK);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	T_EQ_INT(fwt_ctx_check_output_fd(c, fd, path), FWT_OK);
	close(fd);
	snprintf(uri, sizeof(uri), "pkcs11:token=t?pin-source=file:%s", path);
	T_EQ_INT(fwt__p11_uri_parse(c, uri, &u), FWT_OK);
	fwt__p11_uri_free(u);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	T_EQ_INT(fwt_ctx_check_output_fd(c, fd, path), FWT_EINVAL);
	close(fd);
	fwt_ctx_free(c);
	/* the same through fwt_key_open, with a PIN file option that wins */
	T_EQ_INT(fwt_ctx_new(&c, NULL), FWT_OK);
	{
		fwt_key_options o = FWT_KEY_OPTIONS_INIT;
		fwt_key *k = NULL;
		snprintf(uri, sizeof(uri), "pkcs11:token=no-such-token?module-name=no-such-module&pin-source=%s", path);
		o.pin_file = "/nonexistent/pin";
		T_ASSERT(fwt_key_open(c, &k, uri, &o) != FWT_OK);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		T_EQ_INT(fwt_ctx_check_output_fd(c, fd, path), FWT_EINVAL);
		close(fd);
	}
	fwt_ctx_free(c);
	unlink(path);
}

/* %00 would cut a PIN or a path short where a C string ends: refused. */
static void test_uri_nul(void)
{
	struct fwt_p11_uri *u = NULL;

	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=t?pin-value=123456%00anything", &u), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "pkcs11: URI 'pkcs11:token=t?pin-value=<hidden>': the value of 'pin-value' "
	                              "holds a NUL byte (%00)");
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=t?pin-source=file:/run/pin%00.x", &u), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "the value of 'pin-source' holds a NUL byte"));
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=t?module-path=/m.so%00x", &u), FWT_EINVAL);
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=t?module-name=a%00", &u), FWT_EINVAL);
	/* an encoded '%' followed by "00" is no NUL */
	T_EQ_INT(fwt__p11_uri_parse(ctx, "pkcs11:token=t?pin-source=file:/run/pin%2500", &u), FWT_OK);
	fwt__p11_uri_free(u);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A FIFO as PIN file is refused at once (open() would wait for a writer);
 * a 255-byte PIN on the first line is taken whatever ends the line. */
static void test_pin_file_kinds(void)
{
	char dir[] = "/tmp/fwtrail-pinf-XXXXXX", path[64], pin[256], want[256];
	struct sigaction sa, old;
	const char *ends[] = { "", "\n", "\r\n", "\nmore\n" };
	size_t i;
	FILE *f;

	T_ASSERT(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	T_EQ_INT(mkfifo(path, 0600), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: a blocked open() fails with EINTR */
	sigaction(SIGALRM, &sa, &old);
	alarm(3);
	T_EQ_INT(fwt__read_pin_file(ctx, path, pin, sizeof(pin)), FWT_EINVAL);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is not a regular file"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/pin", dir);
	memset(want, '7', 255);
	want[255] = '\0';
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		f = fopen(path, "w");
		T_ASSERT(f && fchmod(fileno(f), 0600) == 0);
		fprintf(f, "%s%s", want, ends[i]);
		fclose(f);
		T_EQ_INT(fwt__read_pin_file(ctx, path, pin, sizeof(pin)), FWT_OK);
		T_EQ_STR(pin, want);
	}
	/* 256 bytes before the line ends: too long */
	f = fopen(path, "w");
	T_ASSERT(f);
	fprintf(f, "%s8\n", want);
	fclose(f);
	T_EQ_INT(fwt__read_pin_file(ctx, path, pin, sizeof(pin)), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "the PIN is longer than 255 bytes"));
	/* 255 bytes and a lone CR: more of the line follows, too long (the
	 * CR that fills the buffer is a line end only before an LF) */
	f = fopen(path, "w");
	T_ASSERT(f);
	fprintf(f, "%s\rBBBB\n", want);
	fclose(f);
	T_EQ_INT(fwt__read_pin_file(ctx, path, pin, sizeof(pin)), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "the PIN is longer than 255 bytes"));
	f = fopen(path, "w");
	T_ASSERT(f);
	fprintf(f, "%s\r", want);
	fclose(f);
	T_EQ_INT(fwt__read_pin_file(ctx, path, pin, sizeof(pin)), FWT_EINVAL);
	/* a short PIN, CRLF */
	f = fopen(path, "w");
	T_ASSERT(f);
	fputs("123456\r\n", f);
	fclose(f);
	T_EQ_INT(fwt__read_pin_file(ctx, path, pin, sizeof(pin)), FWT_OK);
	T_EQ_STR(pin, "123456");
	/* a NUL or a lone CR in the first line would cut the PIN short:
	 * refused, the buffer wiped */
	{
		static const char *const cut[] = { "123456\0junk\n", "12\r3456\n", "123456\r\r\n" };
		static const size_t cutlen[] = { 12, 8, 9 };
		static const char *const what[] = { "holds a NUL (byte 7)", "holds a CR (byte 3)", "holds a CR (byte 7)" };
		for (i = 0; i < 3; i++) {
			f = fopen(path, "w");
			T_ASSERT(f);
			fwrite(cut[i], 1, cutlen[i], f);
			fclose(f);
			memset(pin, 'x', sizeof(pin));
			T_EQ_INT(fwt__read_pin_file(ctx, path, pin, sizeof(pin)), FWT_EINVAL);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), what[i]) != NULL);
			T_EQ_INT(pin[0], 0);
		}
	}
	unlink(path);
	rmdir(dir);
	/* a PIN given as a string (FWTRAIL_PIN) with a control character:
	 * refused and wiped before any login */
	snprintf(pin, sizeof(pin), "123456\r");
	T_EQ_INT(fwt__pin_check(ctx, pin, sizeof(pin), "t"), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "the PIN for token 't' holds a control character (0x0d, byte 7): refused before "
	                              "any login, since a wrong PIN uses up a try");
	T_EQ_INT(pin[0], 0);
	snprintf(pin, sizeof(pin), "12 3456\xc3\xa9");
	T_EQ_INT(fwt__pin_check(ctx, pin, sizeof(pin), NULL), FWT_OK);
	T_EQ_STR(pin, "12 3456\xc3\xa9");
}

static void test_normalise(void)
{
	unsigned char in[140], out[132];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i + 1);
	/* 65 + 65 from a module that dropped the leading zero of each half */
	T_EQ_INT(fwt__p11_ecdsa_normalise(in, 130, 66, out), 0);
	T_EQ_INT(out[0], 0);
	T_EQ_MEM(out + 1, in, 65);
	T_EQ_INT(out[66], 0);
	T_EQ_MEM(out + 67, in + 65, 65);
	/* full length passes through */
	T_EQ_INT(fwt__p11_ecdsa_normalise(in, 132, 66, out), 0);
	T_EQ_MEM(out, in, 132);
	T_EQ_INT(fwt__p11_ecdsa_normalise(in, 96, 48, out), 0);
	T_EQ_MEM(out, in, 96);
	/* odd, empty, too long */
	T_EQ_INT(fwt__p11_ecdsa_normalise(in, 131, 66, out), -1);
	T_EQ_INT(fwt__p11_ecdsa_normalise(in, 0, 66, out), -1);
	T_EQ_INT(fwt__p11_ecdsa_normalise(in, 134, 66, out), -1);
	T_EQ_INT(fwt__p11_ecdsa_normalise(in, 98, 48, out), -1);
}

static void test_keygen_names(void)
{
	fwt_p11_keygen t;

	T_EQ_INT(fwt_p11_keygen_from_name("ec-p384", &t), FWT_OK);
	T_EQ_INT(t, FWT_P11_KEYGEN_EC_P384);
	T_EQ_INT(fwt_p11_keygen_from_name("rsa-4096", &t), FWT_OK);
	T_EQ_INT(t, FWT_P11_KEYGEN_RSA_4096);
	T_EQ_INT(fwt_p11_keygen_from_name("ec-p256", &t), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_p11_keygen_from_name("rsa-2048", &t), FWT_EUNSUPPORTED);
}

static void test_flag_names(void)
{
	const char *names[32];

	T_EQ_INT(fwt_p11_token_flag_names(0x4 | 0x400, names, 32), 2); /* login-required, token-initialized */
	T_EQ_STR(names[0], "login-required");
	T_EQ_STR(names[1], "token-initialized");
	T_EQ_INT(fwt_p11_token_flag_names(0x4 | 0x400, names, 1), 1);
}

/* ---- SoftHSM2 ---- */

static void sign_verify(fwt_key *k, int *ok)
{
	fwt_sig_alg alg = fwt_key_alg(k);
	size_t dl = fwt_digest_size(fwt_sig_alg_digest(alg)), n = 0;
	unsigned char d[64], sig[FWT_SIG_MAX];

	*ok = 0;
	memset(d, 0x5a, sizeof(d));
	if (fwt_key_sign_digest(k, d, dl, sig, &n) != FWT_OK) {
		fprintf(stderr, "  sign: %s\n", fwt_ctx_errmsg(ctx));
		return;
	}
	if (fwt_sig_alg_is_ecdsa(alg) && n != fwt_sig_alg_ecdsa_size(alg))
		return;
	*ok = fwt_sig_verify_digest(ctx, fwt_key_pubkey(k), alg, FWT_SIG_RAW, d, dl, sig, n) == FWT_OK;
}

static void test_open_and_sign(void)
{
	static const struct {
		const char *uri;
		fwt_sig_alg alg;
	} cases[] = {
		{ TOKEN ";object=p384" MOD, FWT_SIG_ES384 },
		{ TOKEN ";object=p521" MOD, FWT_SIG_ES512 },
		{ TOKEN ";object=rsa3072" MOD, FWT_SIG_PS384 },
		{ TOKEN ";id=%01;type=private" MOD, FWT_SIG_ES384 },
		{ "pkcs11:object=p521?module-name=softhsm2", FWT_SIG_ES512 },
	};
	size_t i;
	int ok;

	NEED_TOKEN();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fwt_key *k = NULL;
		T_EQ_INT(open_key(&k, cases[i].uri, "123456"), FWT_OK);
		T_ASSERT(fwt_key_is_pkcs11(k));
		T_EQ_INT(fwt_key_alg(k), cases[i].alg);
		T_ASSERT(strstr(fwt_key_name(k), "token=fwtrail-test") && strstr(fwt_key_name(k), "type=private") &&
		         strstr(fwt_key_name(k), "serial=") && strstr(fwt_key_name(k), "model=SoftHSM"));
		sign_verify(k, &ok);
		T_ASSERT(ok);
		fwt_key_free(k);
	}
}

struct worker {
	fwt_key *k;
	int ok;
};

static void *sign_many(void *arg)
{
	struct worker *w = arg;
	int i, ok;

	w->ok = 1;
	for (i = 0; i < 20; i++) {
		sign_verify(w->k, &ok);
		w->ok &= ok;
	}
	return NULL;
}

static void test_sessions_in_parallel(void)
{
	fwt_key_options o = FWT_KEY_OPTIONS_INIT;
	struct worker w[4];
	pthread_t t[4];
	fwt_key *k = NULL;
	int i;

	NEED_TOKEN();
	o.pin = "123456";
	o.sessions = 2;
	T_EQ_INT(fwt_key_open(ctx, &k, TOKEN ";object=p384" MOD, &o), FWT_OK);
	T_EQ_INT(fwt_key_parallelism(k), 2);
	for (i = 0; i < 4; i++) {
		w[i].k = k;
		T_ASSERT(pthread_create(&t[i], NULL, sign_many, &w[i]) == 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 4; i++)
		T_ASSERT(w[i].ok);
	fwt_key_free(k);
}

static void test_selection_errors(void)
{
	fwt_key *k = NULL;
	const char *m;

	NEED_TOKEN();
	T_EQ_INT(open_key(&k, "pkcs11:token=no-such-token" MOD, "123456"), FWT_ENOTFOUND);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no PKCS#11 token matches 'pkcs11:token=no-such-token?module-name=softhsm2'"));
	T_EQ_INT(open_key(&k, TOKEN ";object=no-such-key" MOD, "123456"), FWT_ENOTFOUND);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no private key matches"));
	T_EQ_INT(open_key(&k, TOKEN ";object=dup" MOD, "123456"), FWT_ETOKEN);
	m = fwt_ctx_errmsg(ctx);
	T_ASSERT(strstr(m, "matches 2 private keys") && strstr(m, "id=%05") && strstr(m, "id=%06"));
	T_EQ_INT(open_key(&k, TOKEN ";object=dup;id=%05" MOD, "123456"), FWT_OK);
	fwt_key_free(k);
	k = NULL;
	T_EQ_INT(open_key(&k, TOKEN ";object=p384;type=public" MOD, "123456"), FWT_EINVAL);
	T_EQ_INT(open_key(&k, "pkcs11:object=p384?module-name=no-such-module", "123456"), FWT_ENOTFOUND);
	T_ASSERT(!k);
}

struct prompt_state {
	int calls;
	const char *answer;
};

static fwt_err prompt(void *payload, const char *text, char *buf, size_t len);

/* A URI that names no token logs in only to a token that shows, before a
 * login, a public key or certificate it matches: a PIN is never tried on
 * a token that visibly lacks the key (it may be someone else's card). */
static void test_no_login_without_token(void)
{
	fwt_key_options o = FWT_KEY_OPTIONS_INIT;
	struct prompt_state ps = { 0, "000000" };
	fwt_p11_list_options lo = FWT_P11_LIST_OPTIONS_INIT;
	fwt_p11_listing *l = NULL;
	fwt_key *k = NULL;
	const char *m;

	NEED_TOKEN();
	o.pin_prompt = prompt;
	o.pin_payload = &ps;
	o.pin = "000000";
	T_EQ_INT(fwt_key_open(ctx, &k, "pkcs11:object=no-such-key" MOD, &o), FWT_ETOKEN);
	m = fwt_ctx_errmsg(ctx);
	T_ASSERT(strstr(m, "no token shows a key matching 'pkcs11:object=no-such-key?module-name=softhsm2' without "
	                   "a login") && strstr(m, "not logging in to token 'fwtrail-test'") &&
	         strstr(m, "name the token (token=... or serial=...)"));
	T_ASSERT(!strstr(m, "CKR_PIN_INCORRECT"));
	T_EQ_INT(fwt_key_open(ctx, &k, "pkcs11:id=%7f;type=private" MOD, &o), FWT_ETOKEN);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not logging in"));
	T_EQ_INT(ps.calls, 0);
	/* no wrong PIN reached the token: its counter is untouched */
	lo.module = "softhsm2";
	T_EQ_INT(fwt_p11_list(ctx, &l, &lo), FWT_OK);
	T_ASSERT(!(fwt_p11_listing_token(l, 0)->flags & 0x00010000UL)); /* CKF_USER_PIN_COUNT_LOW */
	fwt_p11_listing_free(l);
	/* with the token named, the login happens (and the wrong PIN fails) */
	T_EQ_INT(fwt_key_open(ctx, &k, TOKEN ";object=no-such-key" MOD, &o), FWT_ETOKEN);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "CKR_PIN_INCORRECT"));
	/* a key whose public half shows is found without naming the token */
	T_EQ_INT(open_key(&k, "pkcs11:object=p384" MOD, "123456"), FWT_OK);
	fwt_key_free(k);
	k = NULL;
	T_EQ_INT(open_key(&k, "pkcs11:id=%02" MOD, "123456"), FWT_OK);
	T_EQ_INT(fwt_key_alg(k), FWT_SIG_ES512);
	fwt_key_free(k);
}

static fwt_err prompt(void *payload, const char *text, char *buf, size_t len)
{
	struct prompt_state *p = payload;

	p->calls++;
	if (!strstr(text, "fwtrail-test"))
		return FWT_ETOKEN;
	snprintf(buf, len, "%s", p->answer);
	return FWT_OK;
}

static void test_pins(void)
{
	fwt_key_options o = FWT_KEY_OPTIONS_INIT;
	struct prompt_state ps = { 0, "123456" };
	char path[] = "/tmp/fwtrail-pin-XXXXXX", uri[160];
	fwt_key *k = NULL;
	FILE *f;
	int fd;

	NEED_TOKEN();
	T_EQ_INT(open_key(&k, TOKEN ";object=p384" MOD, "000000"), FWT_ETOKEN);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "CKR_PIN_INCORRECT"));
	T_EQ_INT(open_key(&k, TOKEN ";object=p384" MOD, ""), FWT_ETOKEN);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "empty PIN"));
	T_EQ_INT(open_key(&k, TOKEN ";object=p384" MOD, NULL), FWT_ETOKEN);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "needs a PIN"));
	/* the prompt, once */
	o.pin_prompt = prompt;
	o.pin_payload = &ps;
	T_EQ_INT(fwt_key_open(ctx, &k, TOKEN ";object=p384" MOD, &o), FWT_OK);
	T_EQ_INT(ps.calls, 1);
	fwt_key_free(k);
	k = NULL;
	/* a PIN file, only when nobody else can read it */
	fd = mkstemp(path);
	T_ASSERT(fd >= 0);
	f = fdopen(fd, "w");
	fputs("123456\n", f);
	fclose(f);
	o = (fwt_key_options)FWT_KEY_OPTIONS_INIT;
	o.pin_file = path;
	T_EQ_INT(chmod(path, 0644), 0);
	T_EQ_INT(fwt_key_open(ctx, &k, TOKEN ";object=p384" MOD, &o), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "can be read by others"));
	T_EQ_INT(chmod(path, 0600), 0);
	T_EQ_INT(fwt_key_open(ctx, &k, TOKEN ";object=p384" MOD, &o), FWT_OK);
	fwt_key_free(k);
	k = NULL;
	/* pin-source in the URI; pin-value works too */
	snprintf(uri, sizeof(uri), TOKEN ";object=p384" MOD "&pin-source=file:%s", path);
	T_EQ_INT(open_key(&k, uri, NULL), FWT_OK);
	fwt_key_free(k);
	k = NULL;
	T_EQ_INT(open_key(&k, TOKEN ";object=p384" MOD "&pin-value=123456", NULL), FWT_OK);
	fwt_key_free(k);
	unlink(path);
}

static void test_cannot_sign(void)
{
	unsigned char d[48] = { 1 }, sig[FWT_SIG_MAX];
	fwt_key *k = NULL;
	size_t n;

	NEED_TOKEN();
	T_EQ_INT(open_key(&k, TOKEN ";object=nosign" MOD, "123456"), FWT_OK);
	T_ASSERT(!fwt_key_can_sign(k));
	T_ASSERT(strstr(fwt_key_cannot_sign_reason(k), "CKA_SIGN"));
	T_EQ_INT(fwt_key_sign_digest(k, d, sizeof(d), sig, &n), FWT_ETOKEN);
	fwt_key_free(k);
}

static void test_always_authenticate(void)
{
	fwt_key *k = NULL;
	int ok;

	NEED_TOKEN();
	T_EQ_INT(open_key(&k, TOKEN ";object=always" MOD, "123456"), FWT_OK);
	sign_verify(k, &ok);
	T_ASSERT(ok);
	sign_verify(k, &ok);
	T_ASSERT(ok);
	fwt_key_free(k);
}

static void test_listing(void)
{
	fwt_p11_list_options lo = FWT_P11_LIST_OPTIONS_INIT;
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	fwt_p11_listing *l = NULL;
	size_t i, privs = 0, pubs = 0;
	int seen_nosign = 0, seen_always = 0;

	NEED_TOKEN();
	lo.module = "softhsm2";
	T_EQ_INT(fwt_p11_list(ctx, &l, &lo), FWT_OK);
	T_EQ_INT(fwt_p11_listing_ntokens(l), 1);
	T_EQ_STR(fwt_p11_listing_token(l, 0)->label, "fwtrail-test");
	T_ASSERT(!fwt_p11_listing_token(l, 0)->logged_in);
	for (i = 0; i < fwt_p11_listing_nobjects(l); i++)
		T_ASSERT(!fwt_p11_listing_object(l, i)->is_private); /* hidden before a login */
	fwt_p11_listing_free(l);
	l = NULL;
	ko.pin = "123456";
	lo.pin = &ko;
	lo.token_uri = TOKEN MOD;
	T_EQ_INT(fwt_p11_list(ctx, &l, &lo), FWT_OK);
	T_ASSERT(fwt_p11_listing_token(l, 0)->logged_in);
	T_ASSERT(!fwt_p11_listing_token(l, 0)->pin_unused); /* used: one token wanted it */
	for (i = 0; i < fwt_p11_listing_nobjects(l); i++) {
		const fwt_p11_object *o = fwt_p11_listing_object(l, i);
		privs += o->is_private;
		pubs += !o->is_private;
		if (o->is_private && !strcmp(o->label, "nosign"))
			seen_nosign = !o->can_sign;
		if (o->is_private && !strcmp(o->label, "always"))
			seen_always = o->always_authenticate && o->can_sign;
		if (o->is_private && !strcmp(o->label, "p384"))
			T_ASSERT(!strcmp(o->type, "ec-p384") && o->bits == 384 && o->sensitive && !o->extractable &&
			         !strcmp(o->id_hex, "01") && strstr(o->uri, "type=private"));
		if (o->is_private && !strcmp(o->label, "rsa3072"))
			T_ASSERT(!strcmp(o->type, "rsa-3072") && o->bits == 3072);
	}
	T_EQ_INT(privs, 9);
	T_EQ_INT(pubs, 9);
	T_ASSERT(seen_nosign && seen_always);
	fwt_p11_listing_free(l);
	l = NULL;
	/* a module option and the URI's module that disagree: neither wins */
	lo.pin = NULL;
	lo.module = "softhsm2";
	lo.token_uri = TOKEN "?module-name=opensc-pkcs11";
	T_EQ_INT(fwt_p11_list(ctx, &l, &lo), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "--module 'softhsm2' and the token URI's module-name 'opensc-pkcs11' name "
	                              "different modules: give one of them");
	lo.token_uri = TOKEN "?module-path=/usr/lib/softhsm/libsofthsm2.so";
	T_EQ_INT(fwt_p11_list(ctx, &l, &lo), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "module-path '/usr/lib/softhsm/libsofthsm2.so'"));
	lo.module = "/usr/lib/softhsm/libsofthsm2.so";
	lo.token_uri = TOKEN MOD;
	T_EQ_INT(fwt_p11_list(ctx, &l, &lo), FWT_EINVAL);
	T_ASSERT(!l);
	/* the same module twice is no conflict */
	lo.module = "softhsm2";
	T_EQ_INT(fwt_p11_list(ctx, &l, &lo), FWT_OK);
	T_EQ_INT(fwt_p11_listing_ntokens(l), 1);
	fwt_p11_listing_free(l);
}

static void test_generate(void)
{
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	unsigned char id[2] = { 0x42, 0x43 };
	fwt_pubkey *pub = NULL;
	fwt_key *k = NULL;
	char *uri = NULL;
	int ok;

	NEED_TOKEN();
	ko.pin = "123456";
	T_EQ_INT(fwt_p11_generate(ctx, TOKEN MOD, FWT_P11_KEYGEN_EC_P521, "gen521", id, 2, &ko, &uri, &pub), FWT_OK);
	T_ASSERT(uri && strstr(uri, "object=gen521") && strstr(uri, "id=%42%43"));
	T_EQ_INT(fwt_pubkey_type(pub), FWT_KEY_EC_P521);
	T_EQ_INT(open_key(&k, uri, "123456"), FWT_OK);
	sign_verify(k, &ok);
	T_ASSERT(ok);
	fwt_key_free(k);
	fwt_pubkey_free(pub);
	free(uri);
	/* the label and the id are taken now */
	T_EQ_INT(fwt_p11_generate(ctx, TOKEN MOD, FWT_P11_KEYGEN_EC_P384, "gen521", NULL, 0, &ko, NULL, NULL), FWT_EINVAL);
	T_EQ_INT(fwt_p11_generate(ctx, TOKEN MOD, FWT_P11_KEYGEN_EC_P384, "other", id, 2, &ko, NULL, NULL), FWT_EINVAL);
	T_EQ_INT(fwt_p11_generate(ctx, TOKEN ";object=x" MOD, FWT_P11_KEYGEN_EC_P384, "x", NULL, 0, &ko, NULL, NULL),
	         FWT_EINVAL);
	T_EQ_INT(fwt_p11_generate(ctx, "pkcs11:token=nope" MOD, FWT_P11_KEYGEN_EC_P384, "x", NULL, 0, &ko, NULL, NULL),
	         FWT_ENOTFOUND);
	ko.pin = "000000";
	T_EQ_INT(fwt_p11_generate(ctx, TOKEN MOD, FWT_P11_KEYGEN_EC_P384, "x", NULL, 0, &ko, NULL, NULL), FWT_ETOKEN);
}

/* With a timeout the token work runs on a helper thread: what it finds
 * (the key, its public half, the listing, a new key's URI), its errors and
 * its log lines reach the caller as without one; a prompt does not count
 * against the bound.  The hangs themselves are in cmd/tests (the shim). */
static fwt_err slow_prompt(void *payload, const char *text, char *buf, size_t len)
{
	struct timespec ts = { 0, 300 * 1000000L };

	nanosleep(&ts, NULL);
	return prompt(payload, text, buf, len);
}

struct lines {
	int key_lines;
};

static void count_key_lines(void *payload, fwt_log_level level, const char *msg)
{
	(void)level;
	if (!strncmp(msg, "key pkcs11:", 11))
		((struct lines *)payload)->key_lines++;
}

static void test_timeout_in_time(void)
{
	fwt_ctx_options co = FWT_CTX_OPTIONS_INIT;
	fwt_p11_list_options lo = FWT_P11_LIST_OPTIONS_INIT;
	fwt_key_options o = FWT_KEY_OPTIONS_INIT;
	struct prompt_state ps = { 0, "123456" };
	struct lines seen = { 0 };
	fwt_p11_listing *l = NULL;
	fwt_pubkey *pub = NULL;
	fwt_ctx *lctx = NULL;
	fwt_key *k = NULL;
	char *uri = NULL;
	int ok;

	NEED_TOKEN();
	co.log = count_key_lines;
	co.log_payload = &seen;
	co.log_level = FWT_LOG_INFO;
	T_EQ_INT(fwt_ctx_new(&lctx, &co), FWT_OK);
	o.timeout_ms = 20000;
	o.pin = "123456";
	T_EQ_INT(fwt_key_open(lctx, &k, TOKEN ";object=p384" MOD, &o), FWT_OK);
	T_EQ_INT(seen.key_lines, 1);
	T_EQ_INT(fwt_key_alg(k), FWT_SIG_ES384);
	T_ASSERT(strstr(fwt_key_name(k), "type=private"));
	sign_verify(k, &ok);
	T_ASSERT(ok);
	fwt_key_free(k);
	k = NULL;
	/* the helper's error, word for word */
	o.pin = "000000";
	T_EQ_INT(fwt_key_open(lctx, &k, TOKEN ";object=p384" MOD, &o), FWT_ETOKEN);
	T_ASSERT(strstr(fwt_ctx_errmsg(lctx), "CKR_PIN_INCORRECT"));
	T_ASSERT(!k);
	/* 300 ms at a prompt against a 100 ms bound: the person is not the token */
	o.pin = NULL;
	o.timeout_ms = 100;
	o.pin_prompt = slow_prompt;
	o.pin_payload = &ps;
	T_EQ_INT(fwt_key_open(lctx, &k, TOKEN ";object=p521" MOD, &o), FWT_OK);
	T_EQ_INT(ps.calls, 1);
	sign_verify(k, &ok);
	T_ASSERT(ok);
	fwt_key_free(k);
	/* listing and generating */
	o.pin_prompt = NULL;
	o.pin = "123456";
	o.timeout_ms = 20000;
	lo.token_uri = TOKEN MOD;
	lo.pin = &o;
	lo.timeout_ms = 20000;
	T_EQ_INT(fwt_p11_list(lctx, &l, &lo), FWT_OK);
	T_EQ_INT(fwt_p11_listing_ntokens(l), 1);
	T_ASSERT(fwt_p11_listing_token(l, 0)->logged_in);
	T_ASSERT(fwt_p11_listing_nobjects(l) >= 18);
	fwt_p11_listing_free(l);
	T_EQ_INT(fwt_p11_generate(lctx, TOKEN MOD, FWT_P11_KEYGEN_EC_P384, "gen-bounded", NULL, 0, &o, &uri, &pub),
	         FWT_OK);
	T_ASSERT(uri && strstr(uri, "object=gen-bounded"));
	T_EQ_INT(fwt_pubkey_type(pub), FWT_KEY_EC_P384);
	T_EQ_INT(fwt_p11_generate(lctx, TOKEN MOD, FWT_P11_KEYGEN_EC_P384, "gen-bounded", NULL, 0, &o, NULL, NULL),
	         FWT_EINVAL); /* taken now, and said so through the helper */
	T_ASSERT(strstr(fwt_ctx_errmsg(lctx), "gen-bounded"));
	fwt_pubkey_free(pub);
	free(uri);
	fwt_ctx_free(lctx);
}

/* The default: every module registered with p11-kit, no module named. */
static void test_registry(void)
{
	fwt_p11_listing *l = NULL;
	fwt_key *k = NULL;
	size_t i, found = 0;
	int ok = 0;

	NEED_TOKEN();
	THIRD_PARTY_LEAKS_BEGIN();
	T_EQ_INT(open_key(&k, TOKEN ";object=p384", "123456"), FWT_OK);
	if (k)
		sign_verify(k, &ok);
	fwt_key_free(k);
	T_EQ_INT(fwt_p11_list(ctx, &l, NULL), FWT_OK);
	for (i = 0; i < fwt_p11_listing_ntokens(l); i++)
		found += !strcmp(fwt_p11_listing_token(l, i)->label, "fwtrail-test");
	fwt_p11_listing_free(l);
	THIRD_PARTY_LEAKS_END();
	T_ASSERT(ok);
	T_EQ_INT(found, 1);
}

static void test_fork(void)
{
	unsigned char d[48] = { 7 }, sig[FWT_SIG_MAX];
	fwt_key *k = NULL;
	size_t n;
	pid_t pid;
	int st = 0, ok;

	NEED_TOKEN();
	T_EQ_INT(open_key(&k, TOKEN ";object=p384" MOD, "123456"), FWT_OK);
	pid = fork();
	T_ASSERT(pid >= 0);
	if (pid == 0) {
		/* the child must not use the parent's sessions: a clean refusal */
		fwt_err err = fwt_key_sign_digest(k, d, sizeof(d), sig, &n);
		int good = err == FWT_ETOKEN && strstr(fwt_ctx_errmsg(ctx), "fork");
		fwt_key_free(k);
		_exit(good ? 0 : 1);
	}
	T_ASSERT(waitpid(pid, &st, 0) == pid);
	T_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	sign_verify(k, &ok); /* the parent goes on */
	T_ASSERT(ok);
	fwt_key_free(k);
}

/* A key's certificate on the token, beside its public key object, comes
 * with its public key (the signer name of rim sign is its subject); one
 * of another key with the same id does not. */
static void test_certificate_beside(void)
{
	char cmd[1024], pem[] = "/tmp/fwtrail-p11-cert-XXXXXX";
	fwt_key *k = NULL;
	char *pub = NULL;
	size_t len;
	FILE *f;
	int fd;

	NEED_TOKEN();
	T_EQ_INT(open_key(&k, TOKEN ";object=p384" MOD, "123456"), FWT_OK);
	T_ASSERT(!fwt_pubkey_has_cert(fwt_key_pubkey(k)));
	T_EQ_INT(fwt_pubkey_pem(fwt_key_pubkey(k), &pub, &len), FWT_OK);
	fwt_key_free(k);
	k = NULL;
	fd = mkstemp(pem);
	T_ASSERT(fd >= 0 && (f = fdopen(fd, "w")) != NULL);
	T_ASSERT(fwrite(pub, 1, len, f) == len);
	fclose(f);
	free(pub);
	/* a certificate of the token's p384 key at id 01, and the same
	 * certificate at id 02, the p521 key's */
	snprintf(cmd, sizeof(cmd),
	         "openssl req -new -key testdata/keys/ca.key.pem -subj /CN=x -out %s.csr 2>/dev/null && "
	         "openssl x509 -req -in %s.csr -CA testdata/keys/ca.crt.pem -CAkey testdata/keys/ca.key.pem "
	         "-set_serial 7 -days 2 -force_pubkey %s -subj '/CN=unit p384' -outform DER -out %s.der 2>/dev/null && "
	         "for id in 01 02; do pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label fwtrail-test "
	         "--login --pin 123456 --write-object %s.der --type cert --id $id --label cert$id >/dev/null 2>&1 "
	         "|| exit 1; done",
	         pem, pem, pem, pem, pem);
	T_ASSERT(system(cmd) == 0);
	T_EQ_INT(open_key(&k, TOKEN ";object=p384" MOD, "123456"), FWT_OK);
	T_ASSERT(fwt_pubkey_has_cert(fwt_key_pubkey(k)));
	T_EQ_STR(fwt_pubkey_cert_subject(fwt_key_pubkey(k)), "CN = unit p384");
	T_ASSERT(strstr(fwt_pubkey_name(fwt_key_pubkey(k)), "type=") != NULL);
	fwt_key_free(k);
	k = NULL;
	T_EQ_INT(open_key(&k, TOKEN ";object=p521" MOD, "123456"), FWT_OK);
	T_ASSERT(!fwt_pubkey_has_cert(fwt_key_pubkey(k)));
	fwt_key_free(k);
	snprintf(cmd, sizeof(cmd), "rm -f %s %s.csr %s.der", pem, pem, pem);
	T_ASSERT(system(cmd) == 0);
}

int main(void)
{
	int rc;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_uri_rules);
	T_RUN(test_uri_pin_never_shown);
	T_RUN(test_uri_nul);
	T_RUN(test_hide_pin);
	T_RUN(test_uri_scheme_case);
	T_RUN(test_pin_source_is_input);
	T_RUN(test_pin_file_kinds);
	T_RUN(test_normalise);
	T_RUN(test_keygen_names);
	T_RUN(test_flag_names);
	setup_token();
	T_RUN(test_open_and_sign);
	T_RUN(test_sessions_in_parallel);
	T_RUN(test_selection_errors);
	T_RUN(test_pins);
	T_RUN(test_no_login_without_token);
	T_RUN(test_cannot_sign);
	T_RUN(test_always_authenticate);
	T_RUN(test_listing);
	T_RUN(test_generate);
	T_RUN(test_timeout_in_time);
	T_RUN(test_registry);
	T_RUN(test_fork);
	T_RUN(test_certificate_beside); /* last: it adds certificates to the token */
	teardown_token();
	fwt_ctx_free(ctx);
	rc = t_done();
	return rc;
}
