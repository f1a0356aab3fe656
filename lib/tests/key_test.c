/* SPDX-License-Identifier: Apache-2.0 */
/* key_test.c - the signing-key abstraction with PEM keys (the PKCS#11
 * backend is in p11_test.c): algorithms bound to keys, self-verified
 * signatures, passphrases, bad files, several threads at once. */
#include <pthread.h>
#include <unistd.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

#define KEYS "testdata/keys/"

static fwt_ctx *ctx;

static fwt_key *open_key(const char *path, const fwt_key_options *o)
{
	fwt_key *k = NULL;

	if (fwt_key_open(ctx, &k, path, o) != FWT_OK) {
		fprintf(stderr, "  open %s: %s\n", path, fwt_ctx_errmsg(ctx));
		return NULL;
	}
	return k;
}

static void test_algorithms_follow_the_key(void)
{
	static const struct {
		const char *name;
		fwt_sig_alg alg;
	} cases[] = {
		{ KEYS "p384.key.pem", FWT_SIG_ES384 },   { KEYS "p521.key.pem", FWT_SIG_ES512 },
		{ KEYS "rsa3072.key.pem", FWT_SIG_PS384 }, { KEYS "rsa4096.key.pem", FWT_SIG_PS512 },
		{ KEYS "p256.key.pem", FWT_SIG_ES256 },    { KEYS "rsa2048.key.pem", FWT_SIG_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fwt_key *k = open_key(cases[i].name, NULL);
		T_ASSERT(k);
		T_EQ_INT(fwt_key_alg(k), cases[i].alg);
		T_ASSERT(!fwt_key_is_pkcs11(k));
		T_EQ_INT(fwt_key_can_sign(k), cases[i].alg != FWT_SIG_NONE);
		T_ASSERT(!*fwt_key_cannot_sign_reason(k) == (cases[i].alg != FWT_SIG_NONE));
		T_EQ_STR(fwt_key_name(k), cases[i].name);
		T_ASSERT(fwt_key_parallelism(k) >= 1);
		fwt_key_free(k);
	}
}

static void test_sign_and_verify(void)
{
	static const char *const names[] = { KEYS "p384.key.pem", KEYS "p521.key.pem", KEYS "rsa3072.key.pem",
		                             KEYS "rsa4096.key.pem" };
	static const char msg[] = "firmware image";
	unsigned char sig[FWT_SIG_MAX], d[FWT_DIGEST_MAX];
	size_t i, n;

	for (i = 0; i < 4; i++) {
		fwt_key *k = open_key(names[i], NULL);
		fwt_sig_alg alg;
		T_ASSERT(k);
		alg = fwt_key_alg(k);
		T_EQ_INT(fwt_key_sign(k, msg, sizeof(msg), sig, &n), FWT_OK);
		if (fwt_sig_alg_is_ecdsa(alg))
			T_EQ_INT(n, fwt_sig_alg_ecdsa_size(alg)); /* raw r||s, full length */
		else
			T_EQ_INT(n, fwt_pubkey_bits(fwt_key_pubkey(k)) / 8);
		T_EQ_INT(fwt_sig_verify(ctx, fwt_key_pubkey(k), alg, FWT_SIG_RAW, msg, sizeof(msg), sig, n), FWT_OK);
		/* the same over a digest */
		T_EQ_INT(fwt_digest_oneshot(ctx, fwt_sig_alg_digest(alg), msg, sizeof(msg), d), FWT_OK);
		T_EQ_INT(fwt_key_sign_digest(k, d, fwt_digest_size(fwt_sig_alg_digest(alg)), sig, &n), FWT_OK);
		T_EQ_INT(fwt_sig_verify_digest(ctx, fwt_key_pubkey(k), alg, FWT_SIG_RAW, d,
		                               fwt_digest_size(fwt_sig_alg_digest(alg)), sig, n), FWT_OK);
		/* a digest of the wrong length is refused, nothing signed */
		T_EQ_INT(fwt_key_sign_digest(k, d, 20, sig, &n), FWT_EINVAL);
		T_EQ_INT(n, 0);
		fwt_key_free(k);
	}
}

/* The rsa3072 test key retyped RSA-PSS with its own parameters (hash,
 * MGF1 digest or NULL: SHA-1 by default, least salt), written as PKCS#8 to
 * path: 0 on success. */
static int pss_typed(const char *path, const char *md, const char *mgf1, int saltlen)
{
	const char *const names[] = { OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
		                      OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
		                      OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
		                      OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1 };
	BIGNUM *bn[8] = { NULL };
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pc = NULL;
	EVP_PKEY *rsa = NULL, *pss = NULL;
	FILE *f = fopen(KEYS "rsa3072.key.pem", "r");
	size_t i;
	int rc = -1;

	if (f) {
		rsa = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	for (i = 0; rsa && bld && i < 8; i++)
		if (!EVP_PKEY_get_bn_param(rsa, names[i], &bn[i]) || !OSSL_PARAM_BLD_push_BN(bld, names[i], bn[i]))
			goto out;
	if (!rsa || !bld || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_RSA_DIGEST, md, 0) ||
	    (mgf1 && !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_RSA_MGF1_DIGEST, mgf1, 0)) ||
	    !OSSL_PARAM_BLD_push_int(bld, OSSL_PKEY_PARAM_RSA_PSS_SALTLEN, saltlen) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) || !(pc = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL)) ||
	    EVP_PKEY_fromdata_init(pc) <= 0 || EVP_PKEY_fromdata(pc, &pss, EVP_PKEY_KEYPAIR, params) <= 0)
		goto out;
	if ((f = fopen(path, "w")) != NULL) {
		rc = PEM_write_PrivateKey(f, pss, NULL, NULL, 0, NULL, NULL) == 1 ? 0 : -1;
		if (fclose(f) != 0)
			rc = -1;
	}
out:
	for (i = 0; i < 8; i++)
		BN_free(bn[i]);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(pc);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(pss);
	return rc;
}

/* A key typed RSA-PSS whose own parameters forbid the one RSA-PSS fwtrail
 * uses (PS384 for 3072 bits: SHA-384, MGF1 SHA-384, 48-byte salt) is
 * unsupported, for signing at open and for verifying; one that allows it
 * signs, and its signature verifies with the plain RSA key. */
static void test_pss_typed_keys(void)
{
	static const char msg[] = "firmware image";
	char dir[] = "/tmp/fwtrail-pss-XXXXXX", path[64];
	unsigned char sig[FWT_SIG_MAX];
	fwt_key *k = NULL, *plain = open_key(KEYS "rsa3072.key.pem", NULL);
	size_t n = 0;

	T_ASSERT(mkdtemp(dir) && plain);
	snprintf(path, sizeof(path), "%s/k.pem", dir);
	T_EQ_INT(pss_typed(path, "SHA256", "SHA256", 32), 0);
	T_EQ_INT(fwt_key_open(ctx, &k, path, NULL), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is an RSA-PSS key restricted to SHA-256 by its own parameters") != NULL);
	T_ASSERT(k == NULL);
	/* verifying with its public half: unsupported too, not a failure */
	T_EQ_INT(fwt_key_open_public(ctx, &k, path, NULL), FWT_OK);
	T_EQ_INT(fwt_key_sign(plain, msg, sizeof(msg), sig, &n), FWT_OK);
	T_EQ_INT(fwt_sig_verify(ctx, fwt_key_pubkey(k), FWT_SIG_PS384, FWT_SIG_RAW, msg, sizeof(msg), sig, n),
	         FWT_EUNSUPPORTED);
	fwt_key_free(k);
	k = NULL;
	/* a least salt past the hash's length */
	T_EQ_INT(pss_typed(path, "SHA384", "SHA384", 64), 0);
	T_EQ_INT(fwt_key_open(ctx, &k, path, NULL), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "ask a salt of at least 64 bytes") != NULL);
	/* SHA-384 throughout with a 48-byte salt: PS384 itself */
	/* SHA-384 but MGF1 left at its default, SHA-1, which OpenSSL does not
	 * report as a parameter */
	T_EQ_INT(pss_typed(path, "SHA384", NULL, 48), 0);
	T_EQ_INT(fwt_key_open(ctx, &k, path, NULL), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "(SHA-1 where they name none) forbid RSA-PSS with SHA-384") != NULL);
	T_EQ_INT(pss_typed(path, "SHA384", "SHA384", 48), 0);
	T_ASSERT((k = open_key(path, NULL)) != NULL);
	T_EQ_INT(fwt_key_sign(k, msg, sizeof(msg), sig, &n), FWT_OK);
	T_EQ_INT(fwt_sig_verify(ctx, fwt_key_pubkey(plain), FWT_SIG_PS384, FWT_SIG_RAW, msg, sizeof(msg), sig, n),
	         FWT_OK);
	fwt_key_free(k);
	fwt_key_free(plain);
	unlink(path);
	rmdir(dir);
}

static void test_unsupported_key_refuses(void)
{
	unsigned char sig[FWT_SIG_MAX], d[64] = { 0 };
	size_t n = 1;
	fwt_key *k = open_key(KEYS "rsa2048.key.pem", NULL);

	T_ASSERT(k);
	/* can_sign says so before any work (it said yes once) */
	T_ASSERT(!fwt_key_can_sign(k));
	T_ASSERT(strstr(fwt_key_cannot_sign_reason(k), "no signature algorithm fwtrail makes"));
	T_EQ_INT(fwt_key_sign_digest(k, d, 48, sig, &n), FWT_EUNSUPPORTED);
	T_EQ_INT(n, 0);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "rsa-2048"));
	fwt_key_free(k);
	k = open_key(KEYS "p256.key.pem", NULL);
	T_ASSERT(k && fwt_key_can_sign(k)); /* ES256 (RIMs) */
	T_EQ_STR(fwt_key_cannot_sign_reason(k), "");
	fwt_key_free(k);
}

static void test_bad_files(void)
{
	fwt_key *k = NULL;

	/* a public key where the private key goes: the wrong key given */
	T_EQ_INT(fwt_key_open(ctx, &k, KEYS "p384.pub.pem", NULL), FWT_EINVAL);
	T_ASSERT(!k);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "holds a public key or certificate; give the private key") != NULL);
	T_EQ_INT(fwt_key_open(ctx, &k, KEYS "p384.crt.pem", NULL), FWT_EINVAL);
	T_ASSERT(!k);
	T_EQ_INT(fwt_key_open(ctx, &k, KEYS "no-such-key.pem", NULL), FWT_EIO);
	T_EQ_INT(fwt_key_open(ctx, &k, "", NULL), FWT_EINVAL);
	T_EQ_INT(fwt_key_open(ctx, &k, KEYS "README.md", NULL), FWT_EFORMAT);
}

/* A private key file that also holds public keys or certificates: with
 * its own certificate (a key and its chain) it opens; with another key's
 * only, the file would pass another key off as this one's, and is refused. */
static void test_key_bundles(void)
{
	static const struct {
		const char *parts[3];
		fwt_err want;
	} cases[] = {
		{ { "p384.key.pem", "p384.crt.pem", NULL }, FWT_OK },
		{ { "p384.key.pem", "other-p384.pub.pem", "p384.crt.pem" }, FWT_OK },
		{ { "other-p384.pub.pem", "p384.key.pem", NULL }, FWT_EFORMAT },
		{ { "p384.key.pem", "other-p384.crt.pem", NULL }, FWT_EFORMAT },
		/* openssl ecparam -genkey writes the curve's parameters first */
		{ { "@ecparams", "p384.key.pem", "p384.crt.pem" }, FWT_OK },
	};
	char dir[] = "/tmp/fwtrail-bundle-XXXXXX", path[128], src[128];
	unsigned char *b;
	size_t i, j, n;
	fwt_key *k;
	FILE *f;

	T_ASSERT(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bundle.pem", dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = fopen(path, "wb");
		T_ASSERT(f != NULL);
		for (j = 0; j < 3 && cases[i].parts[j]; j++) {
			if (!strcmp(cases[i].parts[j], "@ecparams")) {
				fputs("-----BEGIN EC PARAMETERS-----\nBgUrgQQAIg==\n-----END EC PARAMETERS-----\n", f);
				continue;
			}
			snprintf(src, sizeof(src), KEYS "%s", cases[i].parts[j]);
			b = t_slurp(src, &n);
			T_ASSERT(b != NULL);
			fwrite(b, 1, n, f);
			free(b);
		}
		fclose(f);
		k = NULL;
		if (fwt_key_open(ctx, &k, path, NULL) != cases[i].want)
			T_FAIL_("case %zu: %s", i, fwt_ctx_errmsg(ctx));
		if (cases[i].want == FWT_EFORMAT)
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "holds a private key and public keys or certificates of other "
			                                     "keys only") != NULL);
		fwt_key_free(k);
	}
	unlink(path);
	rmdir(dir);
}

/* fwt_key_open_public: a public key or a certificate opens as a key that
 * makes no signature, with the same public key as the private key's. */
static void test_open_public(void)
{
	static const char *const files[] = { KEYS "p384.pub.pem", KEYS "p384.crt.pem" };
	unsigned char d[48] = { 0 }, sig[FWT_SIG_MAX], *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0, siglen = 0, i;
	fwt_key *priv = NULL, *k = NULL;

	T_EQ_INT(fwt_key_open(ctx, &priv, KEYS "p384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_pubkey_spki(fwt_key_pubkey(priv), &a, &alen), FWT_OK);
	for (i = 0; i < 2; i++) {
		T_EQ_INT(fwt_key_open_public(ctx, &k, files[i], NULL), FWT_OK);
		T_EQ_STR(fwt_key_name(k), files[i]);
		T_EQ_INT(fwt_key_alg(k), FWT_SIG_ES384);
		T_ASSERT(!fwt_key_is_pkcs11(k) && !fwt_key_can_sign(k));
		T_EQ_STR(fwt_key_cannot_sign_reason(k), "a public key alone makes no signature");
		T_EQ_INT(fwt_pubkey_spki(fwt_key_pubkey(k), &b, &blen), FWT_OK);
		T_ASSERT(alen == blen && !memcmp(a, b, alen));
		free(b);
		b = NULL;
		T_EQ_INT(fwt_key_sign_digest(k, d, sizeof(d), sig, &siglen), FWT_EINVAL);
		T_ASSERT(siglen == 0 && strstr(fwt_ctx_errmsg(ctx), "is a public key: it makes no signature") != NULL);
		fwt_key_free(k);
		k = NULL;
		/* fwt_key_open keeps refusing it: a signer wants the private key */
		T_EQ_INT(fwt_key_open(ctx, &k, files[i], NULL), FWT_EINVAL);
	}
	/* a private key opens as it does with fwt_key_open, and signs */
	T_EQ_INT(fwt_key_open_public(ctx, &k, KEYS "p384.key.pem", NULL), FWT_OK);
	T_ASSERT(fwt_key_can_sign(k));
	T_EQ_INT(fwt_key_sign_digest(k, d, sizeof(d), sig, &siglen), FWT_OK);
	fwt_key_free(k);
	k = NULL;
	T_EQ_INT(fwt_key_open_public(ctx, &k, KEYS "README.md", NULL), FWT_EFORMAT);
	T_ASSERT(!k);
	/* a JWK public key opens as its PEM does; one with private members not */
	{
		char path[] = "/tmp/fwtrail-key-test-XXXXXX", *jwk = NULL;
		int fd = mkstemp(path);
		T_ASSERT(fd >= 0);
		T_EQ_INT(fwt_pubkey_jwk(fwt_key_pubkey(priv), &jwk), FWT_OK);
		T_ASSERT(write(fd, jwk, strlen(jwk)) == (ssize_t)strlen(jwk));
		T_EQ_INT(fwt_key_open_public(ctx, &k, path, NULL), FWT_OK);
		T_EQ_INT(fwt_key_alg(k), FWT_SIG_ES384);
		T_ASSERT(!fwt_key_can_sign(k));
		T_EQ_INT(fwt_pubkey_spki(fwt_key_pubkey(k), &b, &blen), FWT_OK);
		T_ASSERT(alen == blen && !memcmp(a, b, alen));
		free(b);
		fwt_key_free(k);
		k = NULL;
		T_ASSERT(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
		T_ASSERT(write(fd, "{\"d\":\"AA\",", 10) == 10 && write(fd, jwk + 1, strlen(jwk) - 1) > 0);
		T_EQ_INT(fwt_key_open_public(ctx, &k, path, NULL), FWT_EINVAL);
		T_ASSERT(!k && strstr(fwt_ctx_errmsg(ctx), "holds a private key (member 'd')") != NULL);
		/* one that may not verify: its PEM would drop the restriction */
		T_ASSERT(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
		T_ASSERT(write(fd, "{\"use\":\"enc\",", 13) == 13 && write(fd, jwk + 1, strlen(jwk) - 1) > 0);
		T_EQ_INT(fwt_key_open_public(ctx, &k, path, NULL), FWT_EUNSUPPORTED);
		T_ASSERT(!k && strstr(fwt_ctx_errmsg(ctx), "may not verify signatures: its JWK 'use' is 'enc'") != NULL);
		close(fd);
		unlink(path);
		free(jwk);
	}
	free(a);
	fwt_key_free(priv);
}

/* A certificate option given a private key: told to give the certificate;
 * given a public key or a certificate: loaded, has_cert telling which. */
static void test_load_cert(void)
{
	fwt_pubkey *p = NULL;

	T_EQ_INT(fwt_pubkey_load_cert(ctx, &p, KEYS "p384.key.pem"), FWT_EINVAL);
	T_ASSERT(!p);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "'" KEYS "p384.key.pem' holds a private key; give the certificate instead");
	T_EQ_INT(fwt_pubkey_load_cert(ctx, &p, KEYS "p384.crt.pem"), FWT_OK);
	T_ASSERT(p && fwt_pubkey_has_cert(p));
	fwt_pubkey_free(p);
	p = NULL;
	T_EQ_INT(fwt_pubkey_load_cert(ctx, &p, KEYS "p384.pub.pem"), FWT_OK);
	T_ASSERT(p && !fwt_pubkey_has_cert(p));
	fwt_pubkey_free(p);
	p = NULL;
	T_EQ_INT(fwt_pubkey_load_cert(ctx, &p, KEYS "no-such.crt.pem"), FWT_EIO);
	/* fwt_pubkey_load keeps its own advice */
	T_EQ_INT(fwt_pubkey_load(ctx, &p, KEYS "p384.key.pem"), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "give the public key instead") != NULL);
}

/* A spec that is no URI but holds a pin-value (a stray space before the
 * scheme, a file name like one) is a file to fwt_key_open: no message
 * about it shows the PIN, and a usable key file gets the hidden name. */
static void test_pin_value_never_shown(void)
{
	static const char *const specs[] = {
		" pkcs11:token=t;object=k?pin-value=s3cr3t",
		"pkcs11 :token=t?pin-value=s3cr3t",
		"no-such-folder/PIN-VALUE=s3cr3t.pem",
		"x;pin-value=s3cr3t\001",
	};
	char dir[] = "/tmp/fwtrail-keyname-XXXXXX", path[128], cmd[256];
	fwt_key *k = NULL;
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		T_EQ_INT(fwt_key_open(ctx, &k, specs[i], NULL), FWT_EIO);
		T_ASSERT(!strstr(fwt_ctx_errmsg(ctx), "s3cr3t"));
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "=<hidden>"));
	}
	T_EQ_INT(fwt_key_open(ctx, &k, specs[0], NULL), FWT_EIO);
	T_EQ_STR(fwt_ctx_errmsg(ctx),
	         "cannot open ' pkcs11:token=t;object=k?pin-value=<hidden>': No such file or directory");
	/* a key file with such a name opens, and is named without the value */
	T_ASSERT(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pin-value=s3cr3t.pem", dir);
	snprintf(cmd, sizeof(cmd), "cp " KEYS "p384.key.pem '%s'", path);
	T_EQ_INT(system(cmd), 0);
	T_EQ_INT(fwt_key_open(ctx, &k, path, NULL), FWT_OK);
	T_ASSERT(strstr(fwt_key_name(k), "pin-value=<hidden>") && !strstr(fwt_key_name(k), "s3cr3t"));
	fwt_key_free(k);
	unlink(path);
	rmdir(dir);
}

struct prompt_state {
	int calls;
	const char *answer;
};

static fwt_err prompt(void *payload, const char *text, char *buf, size_t len)
{
	struct prompt_state *p = payload;

	p->calls++;
	if (!p->answer)
		return FWT_ETOKEN;
	snprintf(buf, len, "%s", p->answer);
	(void)text;
	return FWT_OK;
}

static void test_encrypted_pem(void)
{
	char path[] = "/tmp/fwtrail-key-test-XXXXXX";
	fwt_key_options o = FWT_KEY_OPTIONS_INIT;
	struct prompt_state ps = { 0, NULL };
	EVP_PKEY *pk = NULL;
	fwt_key *k = NULL;
	FILE *f, *in;
	int fd;

	in = fopen(KEYS "p384.key.pem", "r");
	T_ASSERT(in);
	pk = PEM_read_PrivateKey(in, NULL, NULL, NULL);
	fclose(in);
	T_ASSERT(pk);
	fd = mkstemp(path);
	T_ASSERT(fd >= 0);
	f = fdopen(fd, "w");
	T_ASSERT(f && PEM_write_PKCS8PrivateKey(f, pk, EVP_aes_256_cbc(), NULL, 0, NULL, "s3cret"));
	fclose(f);
	EVP_PKEY_free(pk);

	o.pin = "s3cret";
	T_EQ_INT(fwt_key_open(ctx, &k, path, &o), FWT_OK);
	T_EQ_INT(fwt_key_alg(k), FWT_SIG_ES384);
	fwt_key_free(k);
	o.pin = "wrong";
	T_EQ_INT(fwt_key_open(ctx, &k, path, &o), FWT_ETOKEN);
	o.pin = NULL;
	o.pin_prompt = prompt;
	o.pin_payload = &ps;
	T_EQ_INT(fwt_key_open(ctx, &k, path, &o), FWT_ETOKEN); /* the prompt gave up */
	T_EQ_INT(ps.calls, 1);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no passphrase for key '") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "' (the prompt gave none)") != NULL);
	ps.answer = "s3cret";
	T_EQ_INT(fwt_key_open(ctx, &k, path, &o), FWT_OK);
	T_EQ_INT(ps.calls, 2);
	fwt_key_free(k);
	o.pin_prompt = NULL;
	T_EQ_INT(fwt_key_open(ctx, &k, path, &o), FWT_ETOKEN); /* no passphrase at all */
	/* said so, with the ways to give one: nothing was "cancelled" */
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is encrypted and needs a passphrase: none was given (--pin-file, "
	                                     "FWTRAIL_PIN, or a terminal to ask on)") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "cancelled") == NULL);
	/* from a file, first of all sources, and recorded as an input */
	{
		char pass[] = "/tmp/fwtrail-key-pass-XXXXXX";
		int pfd = mkstemp(pass);
		struct stat st;
		fwt_writer_options wo = FWT_WRITER_OPTIONS_INIT;
		fwt_writer *w = NULL;
		T_ASSERT(pfd >= 0);
		T_EQ_INT(write(pfd, "s3cret\n", 7), 7);
		o.pin_file = pass;
		o.pin = "wrong";
		T_EQ_INT(fwt_key_open(ctx, &k, path, &o), FWT_OK);
		fwt_key_free(k);
		T_ASSERT(fstat(pfd, &st) == 0);
		wo.force = 1;
		T_EQ_INT(fwt_writer_open(ctx, &w, pass, &wo), FWT_EINVAL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "one of the inputs") != NULL);
		T_EQ_INT(ftruncate(pfd, 0), 0);
		T_EQ_INT(fwt_key_open(ctx, &k, path, &o), FWT_ETOKEN); /* empty: refused */
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "refusing an empty passphrase") != NULL);
		T_EQ_INT(fchmod(pfd, 0644), 0);
		T_EQ_INT(fwt_key_open(ctx, &k, path, &o), FWT_EINVAL); /* readable by others */
		close(pfd);
		unlink(pass);
		o.pin_file = NULL;
		o.pin = NULL;
	}
	unlink(path);
}

struct worker {
	fwt_key *k;
	int ok;
};

static void *sign_many(void *arg)
{
	struct worker *w = arg;
	unsigned char d[48], sig[FWT_SIG_MAX];
	size_t n, i;

	w->ok = 1;
	for (i = 0; i < 25; i++) {
		memset(d, (int)i, sizeof(d));
		d[0] = (unsigned char)(uintptr_t)w;
		if (fwt_key_sign_digest(w->k, d, sizeof(d), sig, &n) != FWT_OK ||
		    fwt_sig_verify_digest(ctx, fwt_key_pubkey(w->k), FWT_SIG_ES384, FWT_SIG_RAW, d, sizeof(d), sig, n) !=
		            FWT_OK)
			w->ok = 0;
	}
	return NULL;
}

static void test_threads(void)
{
	struct worker w[4];
	pthread_t t[4];
	fwt_key *k = open_key(KEYS "p384.key.pem", NULL);
	int i;

	T_ASSERT(k);
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

static void test_options_version(void)
{
	fwt_key_options o = FWT_KEY_OPTIONS_INIT;
	fwt_key *k = NULL;

	o.version = 99;
	T_EQ_INT(fwt_key_open(ctx, &k, KEYS "p384.key.pem", &o), FWT_EINVAL);
	T_ASSERT(!k);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_algorithms_follow_the_key);
	T_RUN(test_sign_and_verify);
	T_RUN(test_unsupported_key_refuses);
	T_RUN(test_pss_typed_keys);
	T_RUN(test_bad_files);
	T_RUN(test_key_bundles);
	T_RUN(test_load_cert);
	T_RUN(test_open_public);
	T_RUN(test_pin_value_never_shown);
	T_RUN(test_encrypted_pem);
	T_RUN(test_threads);
	T_RUN(test_options_version);
	fwt_ctx_free(ctx);
	return t_done();
}
