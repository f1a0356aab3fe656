/* SPDX-License-Identifier: Apache-2.0 */
/* sigfile_test.c - detached signature files: making raw and CMS signatures,
 * verifying them (and OpenSSL-made ones), forgeries, malformed and
 * truncated files, and the many-files signer's output rules. */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/cms.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

#define KEYS "testdata/keys/"

static fwt_ctx *ctx;
static const char content[] = "firmware image bytes\n";

static fwt_key *key(const char *name)
{
	char path[128];
	fwt_key *k = NULL;

	snprintf(path, sizeof(path), KEYS "%s.key.pem", name);
	if (fwt_key_open(ctx, &k, path, NULL) != FWT_OK)
		return NULL;
	return k;
}

static fwt_pubkey *pub(const char *file)
{
	char path[128];
	fwt_pubkey *p = NULL;

	snprintf(path, sizeof(path), KEYS "%s", file);
	if (fwt_pubkey_load(ctx, &p, path) != FWT_OK)
		return NULL;
	return p;
}

/* verify sig over buf with the public key in file */
static fwt_err check(const char *keyfile, const unsigned char *sig, size_t len, const void *buf, size_t blen,
                     fwt_sigfile_info *info)
{
	fwt_pubkey *p = pub(keyfile);
	fwt_reader *r = NULL;
	fwt_err err;

	if (!p || fwt_reader_from_memory(ctx, &r, buf, blen, "content") != FWT_OK) {
		fwt_pubkey_free(p);
		return FWT_EINTERNAL;
	}
	err = fwt_sigfile_verify(ctx, p, sig, len, r, info);
	fwt_reader_free(r);
	fwt_pubkey_free(p);
	return err;
}

static fwt_err make(const char *name, fwt_sigfile_format fmt, unsigned char **out, size_t *len)
{
	char certfile[64];
	fwt_key *k = key(name);
	fwt_pubkey *cert = NULL;
	unsigned char d[FWT_DIGEST_MAX];
	fwt_digest_alg md;
	fwt_err err;

	if (!k)
		return FWT_EINTERNAL;
	snprintf(certfile, sizeof(certfile), "%s.crt.pem", name);
	if (fmt == FWT_SIGFILE_CMS)
		cert = pub(certfile);
	md = fwt_sig_alg_digest(fwt_key_alg(k));
	err = fwt_digest_oneshot(ctx, md, content, sizeof(content) - 1, d);
	if (!err)
		err = fwt_sigfile_check_key(ctx, k, fmt, cert);
	if (!err)
		err = fwt_sigfile_make(ctx, k, fmt, cert, d, fwt_digest_size(md), out, len);
	fwt_pubkey_free(cert);
	fwt_key_free(k);
	return err;
}

static void test_names(void)
{
	fwt_sigfile_format f;

	T_EQ_STR(fwt_sigfile_format_name(FWT_SIGFILE_RAW), "raw");
	T_EQ_STR(fwt_sigfile_format_name(FWT_SIGFILE_CMS), "cms");
	T_ASSERT(!fwt_sigfile_format_name(FWT_SIGFILE_AUTO));
	T_EQ_STR(fwt_sigfile_suffix(FWT_SIGFILE_RAW), ".sig");
	T_EQ_STR(fwt_sigfile_suffix(FWT_SIGFILE_CMS), ".p7s");
	T_EQ_INT(fwt_sigfile_format_from_name("cms", &f), FWT_OK);
	T_EQ_INT(f, FWT_SIGFILE_CMS);
	T_EQ_INT(fwt_sigfile_format_from_name("cose", &f), FWT_OK);
	T_EQ_INT(f, FWT_SIGFILE_COSE);
	T_EQ_STR(fwt_sigfile_suffix(FWT_SIGFILE_COSE), ".cose");
	T_EQ_INT(fwt_sigfile_format_from_name("jws", &f), FWT_EUNSUPPORTED);
	T_EQ_INT(fwt_sigfile_format_from_name("RAW", &f), FWT_EUNSUPPORTED);
}

static void test_check_key(void)
{
	fwt_key *k;
	fwt_pubkey *c;

	k = key("p256");
	T_EQ_INT(fwt_sigfile_check_key(ctx, k, FWT_SIGFILE_RAW, NULL), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "ec-p256"));
	fwt_key_free(k);
	k = key("rsa2048");
	T_EQ_INT(fwt_sigfile_check_key(ctx, k, FWT_SIGFILE_RAW, NULL), FWT_EUNSUPPORTED);
	fwt_key_free(k);
	k = key("p384");
	T_EQ_INT(fwt_sigfile_check_key(ctx, k, FWT_SIGFILE_RAW, NULL), FWT_OK);
	T_EQ_INT(fwt_sigfile_check_key(ctx, k, FWT_SIGFILE_CMS, NULL), FWT_EINVAL);
	c = pub("p521.crt.pem");
	T_EQ_INT(fwt_sigfile_check_key(ctx, k, FWT_SIGFILE_CMS, c), FWT_EINVAL); /* another key's certificate */
	fwt_pubkey_free(c);
	c = pub("p384.pub.pem");
	T_EQ_INT(fwt_sigfile_check_key(ctx, k, FWT_SIGFILE_CMS, c), FWT_EINVAL); /* not a certificate */
	fwt_pubkey_free(c);
	c = pub("p384.crt.pem");
	T_EQ_INT(fwt_sigfile_check_key(ctx, k, FWT_SIGFILE_CMS, c), FWT_OK);
	fwt_pubkey_free(c);
	fwt_key_free(k);
}

static void test_roundtrip(void)
{
	static const struct {
		const char *name;
		fwt_sig_alg alg;
	} keys[] = { { "p384", FWT_SIG_ES384 }, { "p521", FWT_SIG_ES512 }, { "rsa3072", FWT_SIG_PS384 },
		     { "rsa4096", FWT_SIG_PS512 } };
	fwt_sigfile_format fmts[2] = { FWT_SIGFILE_RAW, FWT_SIGFILE_CMS }, f;
	fwt_sigfile_info info;
	char pubfile[64], other[] = "firmware image bytes!";
	unsigned char *sig;
	size_t i, j, len;

	for (i = 0; i < 4; i++) {
		snprintf(pubfile, sizeof(pubfile), "%s.pub.pem", keys[i].name);
		for (j = 0; j < 2; j++) {
			sig = NULL;
			T_EQ_INT(make(keys[i].name, fmts[j], &sig, &len), FWT_OK);
			T_EQ_INT(fwt_sigfile_detect(sig, len, &f), FWT_OK);
			T_EQ_INT(f, fmts[j]);
			T_EQ_INT(check(pubfile, sig, len, content, sizeof(content) - 1, &info), FWT_OK);
			T_EQ_INT(info.alg, keys[i].alg);
			T_EQ_INT(info.format, fmts[j]);
			if (fmts[j] == FWT_SIGFILE_CMS) {
				T_ASSERT(info.signed_attrs);
				T_ASSERT(strstr(info.signer, keys[i].name));
			}
			/* another file, another key: no */
			T_EQ_INT(check(pubfile, sig, len, other, sizeof(other) - 1, &info), FWT_EVERIFY);
			T_EQ_INT(check("other-p384.pub.pem", sig, len, content, sizeof(content) - 1, &info),
			         /* ES512 under a P-384 key: raw has no hash to tell, so "no";
			          * CMS names SHA-512, a pairing fwtrail does not verify */
			         i == 1 && fmts[j] == FWT_SIGFILE_CMS ? FWT_EUNSUPPORTED : FWT_EVERIFY);
			free(sig);
		}
	}
}

static void test_cms_forgeries_and_truncation(void)
{
	unsigned char *sig = NULL, *p, d[48];
	fwt_sigfile_info info;
	size_t len, i;
	fwt_err err;

	T_EQ_INT(make("p384", FWT_SIGFILE_CMS, &sig, &len), FWT_OK);
	/* every truncation is malformed, never valid */
	for (i = 0; i < len; i++) {
		err = check("p384.pub.pem", sig, i, content, sizeof(content) - 1, &info);
		if (err != FWT_EFORMAT)
			T_FAIL_("truncated to %zu bytes: %d", i, err);
	}
	/* trailing bytes too */
	p = malloc(len + 1);
	memcpy(p, sig, len);
	p[len] = 0;
	T_EQ_INT(check("p384.pub.pem", p, len + 1, content, sizeof(content) - 1, &info), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "at byte"));
	/* a changed messageDigest or signature is a no; any flipped bit is never a yes outside the
	 * certificate the verifier does not use */
	T_EQ_INT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA384, content, sizeof(content) - 1, d), FWT_OK);
	memcpy(p, sig, len);
	T_ASSERT(memmem(p, len, d, 48));
	((unsigned char *)memmem(p, len, d, 48))[10] ^= 1;
	T_EQ_INT(check("p384.pub.pem", p, len, content, sizeof(content) - 1, &info), FWT_EVERIFY);
	for (i = len - 60; i < len; i++) {
		memcpy(p, sig, len);
		p[i] ^= 0x40;
		err = check("p384.pub.pem", p, len, content, sizeof(content) - 1, &info);
		if (err == FWT_OK)
			T_FAIL_("bit flip at %zu verified", i);
	}
	for (i = 0; i < len; i++) {
		memcpy(p, sig, len);
		p[i] ^= 0xff;
		err = check("p384.pub.pem", p, len, content, sizeof(content) - 1, &info);
		if (err != FWT_OK && err != FWT_EVERIFY && err != FWT_EFORMAT && err != FWT_EUNSUPPORTED)
			T_FAIL_("byte %zu: unexpected %d", i, err);
	}
	free(p);
	free(sig);
}

static void test_raw_malformed(void)
{
	static const unsigned char tiny[] = { 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01 };
	unsigned char junk[17] = { 1, 2, 3 }, rsa[384] = { 0 }, *sig = NULL;
	fwt_sigfile_info info;
	fwt_sigfile_format f;
	size_t len;

	T_EQ_INT(check("p384.pub.pem", junk, 0, content, sizeof(content) - 1, &info), FWT_EFORMAT);
	T_EQ_INT(check("p384.pub.pem", junk, sizeof(junk), content, sizeof(content) - 1, &info), FWT_EFORMAT);
	T_EQ_INT(fwt_sigfile_detect(junk, sizeof(junk), &f), FWT_EFORMAT);
	/* well-formed but wrong: a no */
	T_EQ_INT(check("p384.pub.pem", tiny, sizeof(tiny), content, sizeof(content) - 1, &info), FWT_EVERIFY);
	T_EQ_INT(check("rsa3072.pub.pem", rsa, sizeof(rsa), content, sizeof(content) - 1, &info), FWT_EVERIFY);
	/* an ECDSA signature against an RSA key, and the other way round */
	T_EQ_INT(make("p384", FWT_SIGFILE_RAW, &sig, &len), FWT_OK);
	T_EQ_INT(check("rsa3072.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EVERIFY);
	T_EQ_INT(check("rsa2048.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	free(sig);
	sig = NULL;
	T_EQ_INT(make("rsa3072", FWT_SIGFILE_RAW, &sig, &len), FWT_OK);
	T_EQ_INT(check("p384.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EVERIFY);
	/* a certificate is only a key here */
	T_EQ_INT(check("rsa3072.crt.pem", sig, len, content, sizeof(content) - 1, &info), FWT_OK);
	free(sig);
}

/* A CMS made by OpenSSL's own CMS code, with flags and options. */
static unsigned char *openssl_cms(const char *name, unsigned flags, int pss_salt, int second, size_t *len)
{
	char path[96];
	FILE *f;
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	BIO *in = BIO_new_mem_buf(content, sizeof(content) - 1);
	unsigned char *der = NULL;
	int n;

	snprintf(path, sizeof(path), KEYS "%s.crt.pem", name);
	if ((f = fopen(path, "r"))) {
		x = PEM_read_X509(f, NULL, NULL, NULL);
		fclose(f);
	}
	snprintf(path, sizeof(path), KEYS "%s.key.pem", name);
	if ((f = fopen(path, "r"))) {
		k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_PARTIAL | CMS_BINARY | flags);
	si = cms && x && k ? CMS_add1_signer(cms, x, k, EVP_sha384(),
	                                                   CMS_BINARY | (flags & CMS_NOATTR) | (pss_salt ? CMS_KEY_PARAM : 0))
	                   : NULL;
	if (si && pss_salt) {
		EVP_PKEY_CTX *pc = CMS_SignerInfo_get0_pkey_ctx(si);
		EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, pss_salt);
	}
	if (si && second) {
		/* a second signer: the other-p384 key and certificate */
		X509 *x2 = NULL;
		EVP_PKEY *k2 = NULL;
		if ((f = fopen(KEYS "other-p384.crt.pem", "r"))) {
			x2 = PEM_read_X509(f, NULL, NULL, NULL);
			fclose(f);
		}
		if ((f = fopen(KEYS "other-p384.key.pem", "r"))) {
			k2 = PEM_read_PrivateKey(f, NULL, NULL, NULL);
			fclose(f);
		}
		si = x2 && k2 ? CMS_add1_signer(cms, x2, k2, EVP_sha384(), CMS_BINARY) : NULL;
		X509_free(x2);
		EVP_PKEY_free(k2);
	}
	if (!si || !CMS_final(cms, in, NULL, CMS_BINARY | flags) || (n = i2d_CMS_ContentInfo(cms, &der)) <= 0) {
		der = NULL;
		n = 0;
	}
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	X509_free(x);
	EVP_PKEY_free(k);
	*len = (size_t)n;
	return der;
}

static void test_openssl_made(void)
{
	fwt_sigfile_info info;
	unsigned char *der;
	size_t len;

	der = openssl_cms("p384", CMS_DETACHED, 0, 0, &len);
	T_ASSERT(der);
	T_EQ_INT(check("p384.pub.pem", der, len, content, sizeof(content) - 1, &info), FWT_OK);
	OPENSSL_free(der);
	der = openssl_cms("p384", CMS_DETACHED | CMS_NOATTR, 0, 0, &len);
	T_EQ_INT(check("p384.pub.pem", der, len, content, sizeof(content) - 1, &info), FWT_OK);
	T_ASSERT(!info.signed_attrs);
	OPENSSL_free(der);
	der = openssl_cms("rsa3072", CMS_DETACHED, 48, 0, &len);
	T_EQ_INT(check("rsa3072.pub.pem", der, len, content, sizeof(content) - 1, &info), FWT_OK);
	T_EQ_INT(info.alg, FWT_SIG_PS384);
	OPENSSL_free(der);
	/* refused: PSS with another salt, PKCS#1 v1.5, attached content, two signers */
	der = openssl_cms("rsa3072", CMS_DETACHED, 32, 0, &len);
	T_EQ_INT(check("rsa3072.pub.pem", der, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	OPENSSL_free(der);
	der = openssl_cms("rsa3072", CMS_DETACHED, 0, 0, &len);
	T_EQ_INT(check("rsa3072.pub.pem", der, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "PKCS#1 v1.5"));
	OPENSSL_free(der);
	der = openssl_cms("p384", 0, 0, 0, &len);
	T_EQ_INT(check("p384.pub.pem", der, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	OPENSSL_free(der);
	der = openssl_cms("p384", CMS_DETACHED, 0, 1, &len);
	T_ASSERT(der);
	T_EQ_INT(check("p384.pub.pem", der, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	OPENSSL_free(der);
	/* another eContentType than id-data (1.2.840.113549.1.7.1, here the
	 * only one: no signed attributes) is CMS, but no signature of data */
	der = openssl_cms("p384", CMS_DETACHED | CMS_NOATTR, 0, 0, &len);
	T_ASSERT(der);
	{
		static const unsigned char id_data[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
		size_t i, hits = 0;
		for (i = 0; i + sizeof(id_data) <= len; i++)
			if (!memcmp(der + i, id_data, sizeof(id_data))) {
				der[i + sizeof(id_data) - 1] = 0x04; /* id-envelopedData... any other */
				hits++;
			}
		T_EQ_INT(hits, 1);
	}
	T_EQ_INT(check("p384.pub.pem", der, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "eContentType is not id-data"));
	OPENSSL_free(der);
}

/* A raw signature made by OpenSSL with the key KEYS/<name>.key.pem: RSA
 * PKCS#1 v1.5 (OpenSSL's default for RSA) over content with md. */
static unsigned char *openssl_raw_v15(const char *name, const EVP_MD *md, size_t *len)
{
	char path[96];
	FILE *f;
	EVP_PKEY *k = NULL;
	EVP_MD_CTX *mc = EVP_MD_CTX_new();
	unsigned char *sig = NULL;

	*len = 0;
	snprintf(path, sizeof(path), KEYS "%s.key.pem", name);
	if ((f = fopen(path, "r"))) {
		k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	if (k && mc && EVP_DigestSignInit(mc, NULL, md, NULL, k) > 0 &&
	    EVP_DigestSign(mc, NULL, len, (const unsigned char *)content, sizeof(content) - 1) > 0 &&
	    (sig = malloc(*len)) != NULL &&
	    EVP_DigestSign(mc, sig, len, (const unsigned char *)content, sizeof(content) - 1) <= 0) {
		free(sig);
		sig = NULL;
	}
	EVP_MD_CTX_free(mc);
	EVP_PKEY_free(k);
	return sig;
}

/* A raw RSA PKCS#1 v1.5 signature by the key is an algorithm fwtrail does
 * not verify (as in CMS), never "does not match"; by another key, a no. */
static void test_raw_pkcs1_v15(void)
{
	fwt_sigfile_info info;
	unsigned char *sig;
	size_t len;

	sig = openssl_raw_v15("rsa3072", EVP_sha384(), &len);
	T_ASSERT(sig && len == 384);
	T_EQ_INT(check("rsa3072.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "the signature is RSA PKCS#1 v1.5, by key '" KEYS "rsa3072.pub.pem': fwtrail "
	                              "accepts RSA signatures only as RSA-PSS");
	T_EQ_INT(info.alg, 0);
	T_EQ_INT(check("rsa3072.crt.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	/* another file: still this key's PKCS#1 v1.5, which fwtrail cannot check */
	T_EQ_INT(check("rsa3072.pub.pem", sig, len, "other", 5, &info), FWT_EUNSUPPORTED);
	T_EQ_INT(check("ca.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not verify with key"));
	sig[100] ^= 1; /* no longer a block the key made */
	T_EQ_INT(check("rsa3072.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EVERIFY);
	free(sig);
	sig = openssl_raw_v15("rsa4096", EVP_sha256(), &len);
	T_ASSERT(sig && len == 512);
	T_EQ_INT(check("rsa4096.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	free(sig);
}

/* A raw RSA-PSS signature by KEYS/<name>.key.pem over content with md and
 * MGF1 with mgf, salt of md's length. */
static unsigned char *openssl_raw_pss(const char *name, const EVP_MD *md, const EVP_MD *mgf, size_t *len)
{
	char path[96];
	FILE *f;
	EVP_PKEY *k = NULL;
	EVP_PKEY_CTX *pc = NULL;
	EVP_MD_CTX *mc = EVP_MD_CTX_new();
	unsigned char *sig = NULL;

	*len = 0;
	snprintf(path, sizeof(path), KEYS "%s.key.pem", name);
	if ((f = fopen(path, "r"))) {
		k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	if (k && mc && EVP_DigestSignInit(mc, &pc, md, NULL, k) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) > 0 && EVP_PKEY_CTX_set_rsa_mgf1_md(pc, mgf) > 0 &&
	    EVP_DigestSign(mc, NULL, len, (const unsigned char *)content, sizeof(content) - 1) > 0 &&
	    (sig = malloc(*len)) != NULL &&
	    EVP_DigestSign(mc, sig, len, (const unsigned char *)content, sizeof(content) - 1) <= 0) {
		free(sig);
		sig = NULL;
	}
	EVP_MD_CTX_free(mc);
	EVP_PKEY_free(k);
	return sig;
}

/* A raw RSA-PSS signature by the key over SHA-1, or with MGF1 over another
 * hash than the message's: parameters fwtrail does not verify (exit 6, as
 * CMS), never "does not match"; the key's own PS384 over other bytes, a no. */
static void test_raw_pss_other_params(void)
{
	fwt_sigfile_info info;
	unsigned char *sig;
	size_t len;

	sig = openssl_raw_pss("rsa3072", EVP_sha384(), EVP_sha512(), &len);
	T_ASSERT(sig && len == 384);
	T_EQ_INT(check("rsa3072.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "the signature is RSA-PSS with SHA-384 and MGF1 with SHA-512 by key '" KEYS
	                "rsa3072.pub.pem' (rsa-3072), parameters fwtrail does not verify") != NULL);
	T_EQ_INT(info.alg, 0);
	sig[100] ^= 1; /* no longer a block the key made */
	T_EQ_INT(check("rsa3072.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EVERIFY);
	free(sig);
	sig = openssl_raw_pss("rsa3072", EVP_sha1(), EVP_sha1(), &len);
	T_ASSERT(sig && len == 384);
	T_EQ_INT(check("rsa3072.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "RSA-PSS with SHA-1 and MGF1 with SHA-1 by key") != NULL);
	free(sig);
	sig = openssl_raw_pss("rsa3072", EVP_sha384(), EVP_sha384(), &len);
	T_ASSERT(sig && len == 384);
	T_EQ_INT(check("rsa3072.pub.pem", sig, len, content, sizeof(content) - 1, &info), FWT_OK);
	T_EQ_INT(check("rsa3072.pub.pem", sig, len, "other", 5, &info), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not verify with key"));
	free(sig);
}

/* The algorithm follows from the key in every format; one key per key file;
 * a certificate's key usage; a raw RSA block that starts like COSE. */
static void test_key_rules(void)
{
	static const char d284_content[] = "firmware image\n";
	fwt_sigfile_info info;
	unsigned char *der, *sig = NULL, *two = NULL, fp[32];
	size_t len, siglen = 0, n1, n2;
	fwt_pubkey *p = NULL;
	fwt_reader *r = NULL;
	char *a = NULL, *b = NULL;

	/* CMS by P-256 (ES256) and by RSA-4096 with SHA-384: unsupported */
	der = openssl_cms("p256", CMS_DETACHED, 0, 0, &len);
	T_ASSERT(der);
	T_EQ_INT(check("p256.pub.pem", der, len, content, sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "firmware signatures are ES384"));
	OPENSSL_free(der);
	/* raw P-256: no firmware algorithm */
	T_EQ_INT(check("p256.pub.pem", (const unsigned char *)"\x30\x06\x02\x01\x01\x02\x01\x01", 8, content,
	               sizeof(content) - 1, &info), FWT_EUNSUPPORTED);
	/* two keys in one file are refused; a single one of them loads */
	T_EQ_INT(fwt_read_file(ctx, KEYS "p384.pub.pem", 1 << 16, (unsigned char **)&a, &n1), FWT_OK);
	T_EQ_INT(fwt_read_file(ctx, KEYS "p521.crt.pem", 1 << 16, (unsigned char **)&b, &n2), FWT_OK);
	two = malloc(n1 + n2);
	T_ASSERT(two);
	memcpy(two, a, n1);
	memcpy(two + n1, b, n2);
	T_EQ_INT(fwt_pubkey_parse(ctx, &p, two, n1 + n2, "two.pem"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "holds 2 keys or certificates"));
	T_ASSERT(!p);
	T_EQ_INT(fwt_pubkey_parse(ctx, &p, two, n1, "one.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(p, fp), FWT_OK);
	fwt_pubkey_free(p);
	p = NULL;
	free(two);
	free(a);
	free(b);
	/* the test CA's certificate (keyCertSign, cRLSign) may not sign data;
	 * its bare key may: the signature is good, and the key's trust check
	 * (as verify, sfr and rim make it) says no for the certificate */
	T_EQ_INT(make("ca", FWT_SIGFILE_RAW, &der, &len), FWT_OK);
	T_EQ_INT(check("ca.crt.pem", der, len, content, sizeof(content) - 1, &info), FWT_OK);
	p = pub("ca.crt.pem");
	T_EQ_INT(fwt_trust_check_key(ctx, NULL, p, 0, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "its key usage does not include digitalSignature"));
	fwt_pubkey_free(p);
	p = pub("ca.pub.pem");
	T_EQ_INT(fwt_trust_check_key(ctx, NULL, p, 0, NULL), FWT_OK);
	fwt_pubkey_free(p);
	p = NULL;
	free(der);
	/* a raw PS384 block that starts d2 84, with the RSA key it belongs to */
	T_EQ_INT(fwt_read_file(ctx, "testdata/sig-d284/d284.sig", 1 << 16, &sig, &siglen), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &p, "testdata/sig-d284/rsa3072-hi.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_reader_from_memory(ctx, &r, d284_content, sizeof(d284_content) - 1, "content"), FWT_OK);
	T_EQ_INT(fwt_sigfile_verify(ctx, p, sig, siglen, r, &info), FWT_OK);
	T_EQ_INT(info.format, FWT_SIGFILE_RAW);
	T_EQ_INT(info.alg, FWT_SIG_PS384);
	fwt_reader_free(r);
	fwt_pubkey_free(p);
	free(sig);
}

/* ---- many files ---- */

static char dir[64];

static int count_files(const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (strlen(e->d_name) > strlen(suffix) &&
		    !strcmp(e->d_name + strlen(e->d_name) - strlen(suffix), suffix))
			n++;
	if (d)
		closedir(d);
	return n;
}

static int count_all(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.' || strncmp(e->d_name, ".fwtrail-tmp", 12) == 0;
	if (d)
		closedir(d);
	return n;
}

static void test_sign_files(void)
{
	enum { N = 12 };
	fwt_sign_options o = FWT_SIGN_OPTIONS_INIT;
	fwt_sign_item it[N];
	char in[N][96], out[N][100];
	fwt_key *k = key("p384");
	fwt_pubkey *p = pub("p384.pub.pem");
	volatile int cancel = 0;
	unsigned char *sig;
	size_t len = 0;
	int i, before;

	snprintf(dir, sizeof(dir), "/tmp/fwtrail-sigfile-XXXXXX");
	T_ASSERT(k && p && mkdtemp(dir));
	memset(it, 0, sizeof(it));
	for (i = 0; i < N; i++) {
		FILE *f;
		snprintf(in[i], sizeof(in[i]), "%s/fw%02d.bin", dir, i);
		snprintf(out[i], sizeof(out[i]), "%s.sig", in[i]);
		f = fopen(in[i], "w");
		fprintf(f, "image %d\n", i);
		fclose(f);
		it[i].input = in[i];
		it[i].output = out[i];
		it[i].fd = -1;
	}
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, N), FWT_OK);
	T_EQ_INT(count_files(".sig"), N);
	for (i = 0; i < N; i++) {
		char buf[32];
		fwt_sigfile_info info;
		T_ASSERT(it[i].done && it[i].dlen == 48 && it[i].size == strlen("image 0\n") + (i >= 10));
		snprintf(buf, sizeof(buf), "image %d\n", i);
		sig = t_slurp(out[i], &len);
		T_EQ_INT(check("p384.pub.pem", sig, len, buf, strlen(buf), &info), FWT_OK);
		free(sig);
	}
	before = count_all();
	/* existing outputs need force; nothing changes */
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, N), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "already exists"));
	T_ASSERT(!it[0].done);
	o.force = 1;
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, N), FWT_OK);
	T_EQ_INT(count_all(), before);
	/* an output that is an input, or two inputs to one output */
	it[3].output = in[2];
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, N), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "one of the inputs"));
	it[3].output = out[2];
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, N), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "both be written"));
	it[3].output = out[3];
	/* a missing input: refused before anything is signed */
	for (i = 0; i < N; i++)
		unlink(out[i]);
	it[7].input = "/nonexistent/fw.bin";
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, N), FWT_EIO);
	T_EQ_INT(count_files(".sig"), 0);
	it[7].input = in[7];
	/* an output folder that does not exist */
	it[5].output = "/nonexistent/dir/fw.sig";
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, N), FWT_EIO);
	T_EQ_INT(count_files(".sig"), 0);
	it[5].output = out[5];
	/* cancelled: nothing written, no temporary file left */
	cancel = 1;
	o.cancel = &cancel;
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, N), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "interrupted"));
	T_EQ_INT(count_all(), N);
	o.cancel = NULL;
	/* keep the bytes instead of writing */
	it[0].output = NULL;
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, 1), FWT_OK);
	T_ASSERT(it[0].sig && it[0].siglen > 64);
	T_EQ_INT(check("p384.pub.pem", it[0].sig, it[0].siglen, "image 0\n", 8, NULL), FWT_OK);
	fwt_sign_items_clear(it, 1);
	T_ASSERT(!it[0].sig);
	/* an unsupported key: nothing at all */
	fwt_key_free(k);
	k = key("p256");
	it[0].output = out[0];
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, N), FWT_EUNSUPPORTED);
	T_EQ_INT(count_files(".sig"), 0);
	for (i = 0; i < N; i++)
		unlink(in[i]);
	rmdir(dir);
	fwt_key_free(k);
	fwt_pubkey_free(p);
}

/* The digest a signer reports and a verifier gives back is the file's in
 * every format: for COSE not that of the Sig_structure it signs. */
static void test_file_digest_every_format(void)
{
	static const fwt_sigfile_format fmts[] = { FWT_SIGFILE_RAW, FWT_SIGFILE_CMS, FWT_SIGFILE_COSE };
	static const char *const names[] = { "p384", "p521" };
	fwt_sign_options o = FWT_SIGN_OPTIONS_INIT;
	unsigned char want[FWT_DIGEST_MAX];
	fwt_sigfile_info info;
	fwt_sign_item it;
	fwt_pubkey *cert;
	fwt_digest_alg md;
	char path[160], crt[64], pubf[64];
	size_t f, n, dl;
	fwt_key *k;
	FILE *fp;

	snprintf(dir, sizeof(dir), "/tmp/fwtrail-sigfile-XXXXXX");
	T_ASSERT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/fw.bin", dir);
	fp = fopen(path, "w");
	T_ASSERT(fp != NULL);
	fputs(content, fp);
	fclose(fp);
	for (n = 0; n < 2; n++) {
		k = key(names[n]);
		T_ASSERT(k != NULL);
		md = fwt_sig_alg_digest(fwt_key_alg(k));
		dl = fwt_digest_size(md);
		T_EQ_INT(fwt_digest_oneshot(ctx, md, content, sizeof(content) - 1, want), FWT_OK);
		snprintf(crt, sizeof(crt), "%s.crt.pem", names[n]);
		snprintf(pubf, sizeof(pubf), "%s.pub.pem", names[n]);
		cert = pub(crt);
		for (f = 0; f < 3; f++) {
			memset(&it, 0, sizeof(it));
			it.input = path;
			it.fd = -1;
			o.format = fmts[f];
			o.cert = fmts[f] == FWT_SIGFILE_CMS ? cert : NULL;
			T_EQ_INT(fwt_sign_files(ctx, k, &o, &it, 1), FWT_OK);
			T_ASSERT(it.done && it.dlen == dl && it.size == sizeof(content) - 1);
			T_EQ_MEM(it.digest, want, dl);
			memset(&info, 0, sizeof(info));
			T_EQ_INT(check(pubf, it.sig, it.siglen, content, sizeof(content) - 1, &info), FWT_OK);
			T_ASSERT(info.format == fmts[f] && info.digest == md);
			T_EQ_MEM(info.content_digest, want, dl);
			fwt_sign_items_clear(&it, 1);
		}
		fwt_pubkey_free(cert);
		fwt_key_free(k);
	}
	unlink(path);
	rmdir(dir);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* A writer of content into path, from another process: opens at once (and
 * waits there for a reader), writes after delay_ms, or never (-1). */
static pid_t fifo_writer(const char *path, long delay_ms)
{
	pid_t pid = fork();
	int fd;

	if (pid != 0)
		return pid;
	alarm(20);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		_exit(3);
	if (delay_ms < 0)
		_exit(0);
	sleep_ms(delay_ms);
	_exit(write(fd, content, strlen(content)) == (ssize_t)strlen(content) ? 0 : 4);
}

static void *cancel_later(void *arg)
{
	sleep_ms(300);
	*(volatile int *)arg = 1;
	return NULL;
}

/* A FIFO is opened once, by the pre-check, without waiting for a writer,
 * and read through that descriptor: a slow writer is read to its end (not
 * hung up on), a FIFO with no writer neither holds up the pre-check nor
 * outlasts a cancel. */
static void test_sign_fifo(void)
{
	fwt_sign_options o = FWT_SIGN_OPTIONS_INIT;
	fwt_sign_item it[2];
	fwt_key *k = key("p384");
	char fifo[96];
	volatile int cancel = 0;
	pthread_t t;
	pid_t w;
	int status;

	snprintf(dir, sizeof(dir), "/tmp/fwtrail-sigfifo-XXXXXX");
	T_ASSERT(k && mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/p", dir);
	T_ASSERT(mkfifo(fifo, 0600) == 0);
	alarm(60); /* a hang fails the test instead of the run */
	memset(it, 0, sizeof(it));
	it[0].input = fifo;
	it[0].fd = it[1].fd = -1;
	w = fifo_writer(fifo, 300);
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, 1), FWT_OK);
	T_ASSERT(waitpid(w, &status, 0) == w && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	T_ASSERT(it[0].done && it[0].size == strlen(content));
	T_EQ_INT(check("p384.pub.pem", it[0].sig, it[0].siglen, content, strlen(content), NULL), FWT_OK);
	fwt_sign_items_clear(it, 1);
	/* a writer that goes away without writing: an empty input */
	w = fifo_writer(fifo, -1);
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, 1), FWT_OK);
	T_ASSERT(waitpid(w, &status, 0) == w && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	T_ASSERT(it[0].done && it[0].size == 0);
	fwt_sign_items_clear(it, 1);
	/* no writer at all, and a missing input after it: refused at once */
	it[1].input = "/nonexistent/fw.bin";
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, 2), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "/nonexistent/fw.bin"));
	/* no writer at all: the wait ends with the cancel */
	o.cancel = &cancel;
	T_ASSERT(pthread_create(&t, NULL, cancel_later, (void *)&cancel) == 0);
	T_EQ_INT(fwt_sign_files(ctx, k, &o, it, 1), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "interrupted"));
	T_ASSERT(!it[0].done);
	pthread_join(t, NULL);
	alarm(0);
	unlink(fifo);
	rmdir(dir);
	fwt_key_free(k);
}

/* The round 5 review's finding 6: a descriptor positioned past the start
 * of a regular file (standard input after a script read a header from it)
 * gave only the rest: raw signed and verified the tail as if it were the
 * file, COSE said the file had changed.  Refused, in both directions. */
/* Library red team (stop 36): a zeroed fwt_sign_item (calloc, = { 0 },
 * designated initialisers) had fd 0 and signed standard input under the
 * name of the file it gave, with FWT_OK.  fd 0 is standard input only for
 * an item named "-" or unnamed; FWT_SIGN_ITEM_INIT sets fd -1.  A zeroed
 * fwt_sign_options (format AUTO) is told to choose a format. */
static void test_zeroed_item(void)
{
	char path[128], other[128], out[140];
	fwt_sign_item it = { .input = path, .output = out };
	fwt_sign_item init = FWT_SIGN_ITEM_INIT;
	fwt_sign_options o = FWT_SIGN_OPTIONS_INIT, zero;
	fwt_pubkey *p = pub("p384.pub.pem");
	fwt_key *k = key("p384");
	fwt_reader *r = NULL;
	unsigned char *sig = NULL;
	size_t len = 0;
	int saved, fd;
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/fwtrail-sigfile-XXXXXX");
	T_ASSERT(p && k && mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fw.bin", dir);
	snprintf(other, sizeof(other), "%s/other.bin", dir);
	snprintf(out, sizeof(out), "%s/fw.sig", dir);
	f = fopen(path, "w");
	T_ASSERT(f != NULL);
	fputs("the firmware named\n", f);
	T_EQ_INT(fclose(f), 0);
	f = fopen(other, "w");
	T_ASSERT(f != NULL);
	fputs("what standard input holds\n", f);
	T_EQ_INT(fclose(f), 0);
	T_EQ_INT(init.fd, -1);
	/* standard input is another file: the named one is signed */
	saved = dup(STDIN_FILENO);
	fd = open(other, O_RDONLY);
	T_ASSERT(saved >= 0 && fd >= 0 && dup2(fd, STDIN_FILENO) == STDIN_FILENO);
	close(fd);
	T_EQ_INT(fwt_sign_files(ctx, k, &o, &it, 1), FWT_OK);
	T_ASSERT(dup2(saved, STDIN_FILENO) == STDIN_FILENO);
	close(saved);
	T_ASSERT(it.done && it.size == strlen("the firmware named\n"));
	T_EQ_INT(fwt_read_file(ctx, out, 1 << 20, &sig, &len), FWT_OK);
	T_EQ_INT(fwt_reader_open_file(ctx, &r, path, 0), FWT_OK);
	T_EQ_INT(fwt_sigfile_verify(ctx, p, sig, len, r, NULL), FWT_OK);
	fwt_reader_free(r);
	fwt_sign_items_clear(&it, 1);
	unlink(out);
	/* a zeroed options struct: no format to sign in */
	memset(&zero, 0, sizeof(zero));
	it.done = 0;
	T_EQ_INT(fwt_sign_files(ctx, k, &zero, &it, 1), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "no signature format to sign in (FWT_SIGFILE_AUTO is for verification): choose "
	                              "raw, cms or cose");
	T_ASSERT(!it.done && access(out, F_OK) != 0);
	free(sig);
	unlink(path);
	unlink(other);
	rmdir(dir);
	fwt_key_free(k);
	fwt_pubkey_free(p);
}

static void test_descriptor_offset(void)
{
	static const char hdr[] = "HEADER-16-BYTES!";
	char path[128], out[140];
	unsigned char *raw = NULL, *cose = NULL;
	size_t rawlen = 0, coselen = 0;
	fwt_pubkey *p = pub("p384.pub.pem");
	fwt_key *k = key("p384");
	fwt_sign_options o = FWT_SIGN_OPTIONS_INIT;
	fwt_sign_item it;
	fwt_reader *r = NULL;
	char want[300];
	FILE *f;
	int fd;

	snprintf(dir, sizeof(dir), "/tmp/fwtrail-sigfile-XXXXXX");
	T_ASSERT(p && k && mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fw.bin", dir);
	snprintf(out, sizeof(out), "%s/fw.sig", dir);
	f = fopen(path, "w");
	T_ASSERT(f != NULL);
	fputs(hdr, f);
	fputs(content, f);
	T_EQ_INT(fclose(f), 0);
	/* signatures over the tail (content) alone */
	T_EQ_INT(make("p384", FWT_SIGFILE_RAW, &raw, &rawlen), FWT_OK);
	T_EQ_INT(make("p384", FWT_SIGFILE_COSE, &cose, &coselen), FWT_OK);
	snprintf(want, sizeof(want), "'%s' was not read from its start: %zu of its %zu bytes were read (a descriptor "
	         "positioned past its start)", path, sizeof(content) - 1, sizeof(hdr) - 1 + sizeof(content) - 1);
	fd = open(path, O_RDONLY);
	T_ASSERT(fd >= 0);
	T_EQ_INT(lseek(fd, 16, SEEK_SET), 16);
	T_EQ_INT(fwt_reader_from_fd(ctx, &r, fd, path), FWT_OK);
	T_EQ_INT(fwt_sigfile_verify(ctx, p, raw, rawlen, r, NULL), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), want);
	fwt_reader_free(r);
	T_EQ_INT(lseek(fd, 16, SEEK_SET), 16);
	T_EQ_INT(fwt_reader_from_fd(ctx, &r, fd, path), FWT_OK);
	T_EQ_INT(fwt_sigfile_verify(ctx, p, cose, coselen, r, NULL), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), want);
	fwt_reader_free(r);
	/* signing through it: refused before anything is read or written */
	T_EQ_INT(lseek(fd, 16, SEEK_SET), 16);
	memset(&it, 0, sizeof(it));
	it.input = "-";
	it.fd = fd;
	it.output = out;
	T_EQ_INT(fwt_sign_files(ctx, k, &o, &it, 1), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "'-' is a regular file read from byte 16, not from its start: a signature "
	                              "covers a whole file");
	T_ASSERT(!it.done && access(out, F_OK) != 0);
	/* at its start, the whole file is signed and verifies */
	T_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	T_EQ_INT(fwt_sign_files(ctx, k, &o, &it, 1), FWT_OK);
	T_ASSERT(it.done && it.size == sizeof(hdr) - 1 + sizeof(content) - 1);
	close(fd);
	fwt_sign_items_clear(&it, 1);
	unlink(out);
	unlink(path);
	rmdir(dir);
	free(raw);
	free(cose);
	fwt_key_free(k);
	fwt_pubkey_free(p);
}

#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* Content that is another format's signing input is never signed: a raw
 * signature over it would verify as that format's signature by the key. */
/* Contents that are what another format signs, and contents that only
 * look so at a glance. */
static const struct { const char *bytes; size_t len; const char *kind; } signing_inputs[] = {
	{ "\x84\x6aSignature1\x40\x40\x41x", 15, "a COSE Sig_structure" },
	{ "\x85\x69Signature\x40\x40\x40\x41x", 15, "a COSE Sig_structure" },
	{ "\x84\x70" "CounterSignature\x40\x40\x41x", 21, "a COSE Sig_structure" },
	{ "eyJhbGciOiJFUzM4NCJ9.eyJ4IjoxfQ", 31, "a JWS signing input" },
	{ "IHsiYWxnIjoiRVMzODQifQ.e30", 26, "a JWS signing input" }, /* " {" header */
	{ "\x31\x11\x30\x0f\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04\x31\x02\x04\x00", 19,
	  "CMS signed attributes" },
	{ "\xffTCG\x80\x18", 6, "a TPM attestation structure" },
	{ "<ds:SignedInfo xmlns:ds=\"x\"/>", 29, "an XML-DSig SignedInfo" },
	{ "<SignedInfo>", 12, "an XML-DSig SignedInfo" },
	{ "dmtf-spdm-v1.2.*dmtf-spdm-v1.2.*", 32, "an SPDM signing input" },
	/* SPDM 1.1: GET_MEASUREMENTS with a nonce and slot (37 bytes), then MEASUREMENTS */
	{ "\x11\xe0\x01\x00" "0123456789abcdef0123456789abcdef" "\x00" "\x11\x60\x00\x00", 41,
	  "an SPDM signing input" },
	{ "\x10\xe0\x00\x00\x10\x60\x00\x00", 8, "an SPDM signing input" },
};
static const struct { const char *bytes; size_t len; } not_signing_inputs[] = {
	{ "1.2", 3 },           /* a version: decodes to no JSON object */
	{ "a.b", 3 },
	{ "hello.world\n", 12 },
	{ "\x84\x66Signed\x40\x40\x41x", 11 }, /* an array of 4 led by other text */
	{ "<SignedInfoX>", 13 },
	{ "\x31\x03\x02\x01\x00", 5 }, /* a DER SET of no attribute */
	{ "\x10\xe0\x00\x00\xff\xff\xff\xff", 8 }, /* looks like a request, no response */
	{ "\x31\x05\x30\x03\x06\x01\x2a\x00", 8 }, /* a SET that is not the whole file */
	{ "example.com", 11 },   /* base64url and one dot, decoding to no JSON object */
	{ "e1000e.ko", 9 },
	{ "<a", 2 },             /* a whole file that is no SignedInfo */
	{ "<\x0f\x7f\xc8\x01\x02\x03\x04", 8 }, /* a digest that starts with '<' */
};

/* The verifying side of the same rule: a raw signature (made here by
 * OpenSSL, as fwtrail-sign(1) would refuse to) over another format's
 * signing input is a "no", however good; over the look-alikes a yes. */
static void test_verify_refuses_signing_inputs(void)
{
	unsigned char sig[256];
	size_t i, siglen;
	FILE *fp = fopen(KEYS "p384.key.pem", "r");
	EVP_PKEY *pk = fp ? PEM_read_PrivateKey(fp, NULL, NULL, NULL) : NULL;

	if (fp)
		fclose(fp);
	T_ASSERT(pk != NULL);
	for (i = 0; i < N_(signing_inputs) + N_(not_signing_inputs); i++) {
		int bad = i < N_(signing_inputs);
		const char *b = bad ? signing_inputs[i].bytes : not_signing_inputs[i - N_(signing_inputs)].bytes;
		size_t bl = bad ? signing_inputs[i].len : not_signing_inputs[i - N_(signing_inputs)].len;
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		fwt_err err;
		siglen = sizeof(sig);
		T_ASSERT(md && EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, pk) == 1 &&
		         EVP_DigestSign(md, sig, &siglen, (const unsigned char *)b, bl) == 1);
		EVP_MD_CTX_free(md);
		err = check("p384.pub.pem", sig, siglen, b, bl, NULL);
		if (err != (bad ? FWT_EVERIFY : FWT_OK))
			T_FAIL_("input %zu: %d: %s", i, err, fwt_ctx_errmsg(ctx));
		if (bad)
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), signing_inputs[i].kind) != NULL &&
			         strstr(fwt_ctx_errmsg(ctx), "a signature over it is a signature of that format"));
	}
	EVP_PKEY_free(pk);
}

/* A detached COSE_Sign1 over content by p384.key.pem whose protected header
 * is prot (plen bytes), with a good signature: into out (at most 512),
 * its length in *outlen. */
static void cose_with_header(EVP_PKEY *pk, const unsigned char *prot, size_t plen, unsigned char *out, size_t *outlen)
{
	unsigned char tbs[256], der[128], *o = out;
	const unsigned char *dp = der;
	size_t n = 0, dl = sizeof(der), cl = sizeof(content) - 1;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ECDSA_SIG *es;

	/* Sig_structure: ["Signature1", prot, h'', content] */
	tbs[n++] = 0x84;
	tbs[n++] = 0x6a;
	memcpy(tbs + n, "Signature1", 10);
	n += 10;
	tbs[n++] = (unsigned char)(0x40 + plen);
	memcpy(tbs + n, prot, plen);
	n += plen;
	tbs[n++] = 0x40;
	tbs[n++] = (unsigned char)(0x40 + cl);
	memcpy(tbs + n, content, cl);
	n += cl;
	T_ASSERT(md && EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, pk) == 1 &&
	         EVP_DigestSign(md, der, &dl, tbs, n) == 1);
	EVP_MD_CTX_free(md);
	es = d2i_ECDSA_SIG(NULL, &dp, (long)dl);
	T_ASSERT(es != NULL);
	*o++ = 0xd2; /* tag 18 */
	*o++ = 0x84;
	*o++ = (unsigned char)(0x40 + plen);
	memcpy(o, prot, plen);
	o += plen;
	*o++ = 0xa0; /* {} */
	*o++ = 0xf6; /* nil: detached */
	*o++ = 0x58;
	*o++ = 96;
	BN_bn2binpad(ECDSA_SIG_get0_r(es), o, 48);
	BN_bn2binpad(ECDSA_SIG_get0_s(es), o + 48, 48);
	o += 96;
	ECDSA_SIG_free(es);
	*outlen = (size_t)(o - out);
}

/* A COSE_Sign1 whose protected header marks another format (a content
 * type, corim-meta, CWT claims) signs a RIM, report or checkpoint: lifted
 * beside its payload, it is a no, however good its signature. */
static void test_verify_refuses_other_cose(void)
{
	static const unsigned char plain[] = { 0xa1, 0x01, 0x38, 0x22 },                  /* {1: -35} */
		ct[] = { 0xa2, 0x01, 0x38, 0x22, 0x03, 0x6a, 't', 'e', 'x', 't', '/', 'p', 'l', 'a', 'i', 'n' },
		meta[] = { 0xa2, 0x01, 0x38, 0x22, 0x08, 0x41, 0xa0 },                        /* 8: h'a0' */
		cwt[] = { 0xa2, 0x01, 0x38, 0x22, 0x0f, 0xa1, 0x01, 0x61, 'x' };               /* 15: {1: "x"} */
	static const struct {
		const unsigned char *h;
		size_t n;
		const char *what;
	} cases[] = { { ct, sizeof(ct), "a content type" },
		      { meta, sizeof(meta), "corim-meta (label 8)" },
		      { cwt, sizeof(cwt), "CWT claims (label 15)" } };
	unsigned char sig[512];
	size_t i, n = 0;
	FILE *fp = fopen(KEYS "p384.key.pem", "r");
	EVP_PKEY *pk = fp ? PEM_read_PrivateKey(fp, NULL, NULL, NULL) : NULL;

	if (fp)
		fclose(fp);
	T_ASSERT(pk != NULL);
	cose_with_header(pk, plain, sizeof(plain), sig, &n);
	T_EQ_INT(check("p384.pub.pem", sig, n, content, sizeof(content) - 1, NULL), FWT_OK);
	for (i = 0; i < N_(cases); i++) {
		cose_with_header(pk, cases[i].h, cases[i].n, sig, &n);
		T_EQ_INT(check("p384.pub.pem", sig, n, content, sizeof(content) - 1, NULL), FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), cases[i].what) != NULL);
	}
	EVP_PKEY_free(pk);
}

static void test_refuses_signing_inputs(void)
{
	char path[128], out[140];
	fwt_key *k = key("p384");
	fwt_sign_options o = FWT_SIGN_OPTIONS_INIT;
	fwt_sign_item it;
	size_t i, f;
	FILE *fp;

	snprintf(dir, sizeof(dir), "/tmp/fwtrail-sigfile-XXXXXX");
	T_ASSERT(k && mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fw.bin", dir);
	snprintf(out, sizeof(out), "%s/fw.sig", dir);
	for (f = 0; f < 3; f++) { /* raw, cms, cose */
		o.format = f == 0 ? FWT_SIGFILE_RAW : f == 1 ? FWT_SIGFILE_CMS : FWT_SIGFILE_COSE;
		o.cert = NULL;
		for (i = 0; i < N_(signing_inputs) + N_(not_signing_inputs); i++) {
			int bad = i < N_(signing_inputs);
			fp = fopen(path, "w");
			T_ASSERT(fp != NULL);
			T_EQ_INT(fwrite(bad ? signing_inputs[i].bytes : not_signing_inputs[i - N_(signing_inputs)].bytes, 1, bad ? signing_inputs[i].len : not_signing_inputs[i - N_(signing_inputs)].len, fp),
			         bad ? signing_inputs[i].len : not_signing_inputs[i - N_(signing_inputs)].len);
			T_EQ_INT(fclose(fp), 0);
			memset(&it, 0, sizeof(it));
			it.input = path;
			it.fd = -1;
			it.output = out;
			if (f == 1)
				o.cert = pub("p384.crt.pem");
			/* only a raw signature covers the bytes as they are: CMS
			 * signs attributes, COSE a Sig_structure */
			if (bad && f == 0) {
				if (fwt_sign_files(ctx, k, &o, &it, 1) != FWT_EINVAL)
					T_FAIL_("format %zu signed input %zu", f, i);
				T_ASSERT(strstr(fwt_ctx_errmsg(ctx), signing_inputs[i].kind) != NULL);
				T_ASSERT(!it.done && access(out, F_OK) != 0);
			} else {
				if (fwt_sign_files(ctx, k, &o, &it, 1) != FWT_OK)
					T_FAIL_("format %zu refused input %zu: %s", f, i - N_(signing_inputs), fwt_ctx_errmsg(ctx));
				unlink(out);
			}
			fwt_pubkey_free((fwt_pubkey *)o.cert);
			o.cert = NULL;
			fwt_sign_items_clear(&it, 1);
		}
	}
	/* an unsigned CoRIM is refused as COSE (a signed CoRIM once its
	 * payload is attached), signed as raw or CMS */
	fp = fopen(path, "w");
	T_ASSERT(fp != NULL);
	T_EQ_INT(fwrite("\xd9\x01\xf5\xa1\x00\x61\x43", 1, 7, fp), 7);
	T_EQ_INT(fclose(fp), 0);
	for (f = 0; f < 3; f++) {
		memset(&it, 0, sizeof(it));
		it.input = path;
		it.fd = -1;
		it.output = out;
		o.format = f == 0 ? FWT_SIGFILE_RAW : f == 1 ? FWT_SIGFILE_CMS : FWT_SIGFILE_COSE;
		o.cert = f == 1 ? pub("p384.crt.pem") : NULL;
		T_EQ_INT(fwt_sign_files(ctx, k, &o, &it, 1), f == 2 ? FWT_EINVAL : FWT_OK);
		if (f == 2)
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "it is a CoRIM (tag 501)") != NULL);
		unlink(out);
		fwt_pubkey_free((fwt_pubkey *)o.cert);
		o.cert = NULL;
		fwt_sign_items_clear(&it, 1);
	}
	/* past the 4 KiB the check keeps: a set of attributes of any length,
	 * an XML prefix of any length, a name that runs past the head */
	{
		static unsigned char big[6000];
		const size_t lens[] = { sizeof(big), 5000, 5000 };
		for (f = 0; f < 3; f++) {
			memset(big, 0, sizeof(big));
			if (f == 0) {
				/* 31 82 176c { 30 03 {06 01 2a} 30 82 1763 {06 01 2a 04 82 175c ...} } */
				memcpy(big, "\x31\x82\x17\x6c\x30\x03\x06\x01\x2a"
				            "\x30\x82\x17\x63\x06\x01\x2a\x04\x82\x17\x5c", 20);
			} else if (f == 1) {
				big[0] = '<';
				memset(big + 1, 'd', 300);
				memcpy(big + 301, ":SignedInfo xmlns:d=\"x\"/>", 26);
			} else {
				big[0] = '<';
				memset(big + 1, 'a', 4999);
			}
			fp = fopen(path, "w");
			T_ASSERT(fp != NULL);
			T_EQ_INT(fwrite(big, 1, lens[f], fp), lens[f]);
			T_EQ_INT(fclose(fp), 0);
			memset(&it, 0, sizeof(it));
			it.input = path;
			it.fd = -1;
			it.output = out;
			o.format = FWT_SIGFILE_RAW;
			if (fwt_sign_files(ctx, k, &o, &it, 1) != FWT_EINVAL)
				T_FAIL_("signed large input %zu", f);
			T_ASSERT(access(out, F_OK) != 0);
			fwt_sign_items_clear(&it, 1);
		}
	}
	unlink(path);
	rmdir(dir);
	fwt_key_free(k);
}

/* ---- verification through a certificate authority ---- */

/* A P-384 certificate for key, named CN=cn, issued by issuer with ikey
 * (NULL: self-signed), with subject and authority key identifiers (strict
 * validation wants them); ca: a CA's extensions, else a signer's, with
 * eku (NULL: none).  Valid from an hour ago for days days. */
static X509 *mk_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *ikey, long serial, int ca,
                     const char *eku, long days)
{
	X509 *x = X509_new();
	X509_NAME *n;
	X509V3_CTX v;
	struct {
		int nid;
		const char *value;
	} ext[] = {
		{ NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE" },
		{ NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature" },
		{ NID_subject_key_identifier, "hash" },
		{ NID_authority_key_identifier, "keyid:always" },
		{ NID_ext_key_usage, eku },
	};
	size_t i;
	int ok;

	if (!x)
		return NULL;
	n = X509_get_subject_name(x);
	ok = X509_set_version(x, 2) && ASN1_INTEGER_set(X509_get_serialNumber(x), serial) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), -3600) && X509_gmtime_adj(X509_getm_notAfter(x), 86400L * days) &&
	     X509_set_pubkey(x, key) &&
	     X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) &&
	     X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509V3_set_ctx(&v, issuer ? issuer : x, x, NULL, NULL, 0);
	for (i = 0; ok && i < sizeof(ext) / sizeof(ext[0]); i++) {
		X509_EXTENSION *e;
		if (!ext[i].value)
			continue;
		e = X509V3_EXT_conf_nid(NULL, &v, ext[i].nid, ext[i].value);
		ok = e && X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	if (!ok || !X509_sign(x, ikey ? ikey : key, EVP_sha384())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static fwt_pubkey *cert_pub(X509 *x, const char *name)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	fwt_pubkey *p = NULL;

	if (n <= 0 || fwt_pubkey_parse(ctx, &p, der, (size_t)n, name) != FWT_OK)
		p = NULL;
	OPENSSL_free(der);
	return p;
}

/* A detached CMS over content by signer (key k), with extra certificates,
 * its SignerIdentifier by subject key identifier when keyid. */
static unsigned char *cms_by(X509 *signer, EVP_PKEY *k, X509 *extra1, X509 *extra2, int keyid, size_t *len)
{
	BIO *in = BIO_new_mem_buf(content, sizeof(content) - 1);
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_PARTIAL | CMS_BINARY | CMS_DETACHED);
	unsigned char *der = NULL;
	int n = 0;

	*len = 0;
	if (cms && extra1)
		CMS_add1_cert(cms, extra1);
	if (cms && extra2)
		CMS_add1_cert(cms, extra2);
	if (!cms || !CMS_add1_signer(cms, signer, k, EVP_sha384(), CMS_BINARY | (keyid ? CMS_USE_KEYID : 0)) ||
	    !CMS_final(cms, in, NULL, CMS_BINARY | CMS_DETACHED) || (n = i2d_CMS_ContentInfo(cms, &der)) <= 0)
		der = NULL;
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	*len = der ? (size_t)n : 0;
	return der;
}

struct pki {
	EVP_PKEY *rk, *ik, *lk, *ok, *tk;
	X509 *root, *inter, *leaf, *other_root, *twin, *tls;
};

static void pki_free(struct pki *p)
{
	EVP_PKEY_free(p->rk);
	EVP_PKEY_free(p->ik);
	EVP_PKEY_free(p->lk);
	EVP_PKEY_free(p->ok);
	EVP_PKEY_free(p->tk);
	X509_free(p->root);
	X509_free(p->inter);
	X509_free(p->leaf);
	X509_free(p->other_root);
	X509_free(p->twin);
	X509_free(p->tls);
}

/* root -> intermediate -> leaf (codeSigning); another root; a twin of
 * the leaf (same issuer and serial, another key); a TLS server leaf. */
static int pki_make(struct pki *p)
{
	memset(p, 0, sizeof(*p));
	p->rk = EVP_EC_gen("P-384");
	p->ik = EVP_EC_gen("P-384");
	p->lk = EVP_EC_gen("P-384");
	p->ok = EVP_EC_gen("P-384");
	p->tk = EVP_EC_gen("P-384");
	if (!p->rk || !p->ik || !p->lk || !p->ok || !p->tk)
		return 0;
	p->root = mk_cert(p->rk, "root", NULL, NULL, 1, 1, NULL, 3650);
	p->inter = p->root ? mk_cert(p->ik, "inter", p->root, p->rk, 2, 1, NULL, 3000) : NULL;
	p->leaf = p->inter ? mk_cert(p->lk, "leaf", p->inter, p->ik, 3, 0, "codeSigning", 365) : NULL;
	p->twin = p->inter ? mk_cert(p->ok, "leaf", p->inter, p->ik, 3, 0, "codeSigning", 365) : NULL;
	p->tls = p->inter ? mk_cert(p->tk, "tls", p->inter, p->ik, 4, 0, "serverAuth", 365) : NULL;
	p->other_root = mk_cert(p->ok, "other root", NULL, NULL, 1, 1, NULL, 3650);
	return p->leaf && p->twin && p->tls && p->other_root;
}

static void free_chain(fwt_pubkey **v, size_t n)
{
	while (n)
		fwt_pubkey_free(v[--n]);
	free(v);
}

static void test_signer_chain(void)
{
	struct pki p;
	unsigned char *sig = NULL, *der = NULL, *raw;
	fwt_pubkey **v = NULL;
	size_t len, n = 0, i, dl;
	fwt_err err;

	if (!pki_make(&p)) {
		pki_free(&p);
		T_FAIL_("cannot make the test PKI");
	}
	/* the signer first, whatever the order inside; by issuer and serial or
	 * by subject key identifier */
	sig = cms_by(p.leaf, p.lk, p.inter, NULL, 0, &len);
	T_ASSERT(sig);
	T_EQ_INT(fwt_sigfile_signer_chain(ctx, sig, len, &v, &n), FWT_OK);
	T_EQ_INT(n, 2);
	T_EQ_STR(fwt_pubkey_cert_subject(v[0]), "CN = leaf");
	T_EQ_STR(fwt_pubkey_cert_subject(v[1]), "CN = inter");
	free_chain(v, n);
	/* every truncation is malformed, never a chain */
	for (i = 0; i < len; i++) {
		v = NULL;
		err = fwt_sigfile_signer_chain(ctx, sig, i, &v, &n);
		if (err != FWT_EFORMAT || v || n)
			T_FAIL_("truncated to %zu bytes: %d", i, err);
	}
	OPENSSL_free(sig);
	sig = cms_by(p.leaf, p.lk, p.inter, NULL, 1, &len);
	T_EQ_INT(fwt_sigfile_signer_chain(ctx, sig, len, &v, &n), FWT_OK);
	T_EQ_INT(n, 2);
	T_EQ_STR(fwt_pubkey_cert_subject(v[0]), "CN = leaf");
	free_chain(v, n);
	/* the signer's certificate turned into another type ([1]): not there */
	dl = (size_t)i2d_X509(p.leaf, &der);
	raw = memmem(sig, len, der, dl);
	T_ASSERT(raw && raw[0] == 0x30);
	raw[0] = 0xa1;
	T_EQ_INT(fwt_sigfile_signer_chain(ctx, sig, len, &v, &n), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not carry its signer's certificate"));
	T_ASSERT(!v && !n);
	OPENSSL_free(sig);
	OPENSSL_free(der);
	/* two different certificates that match the signer identifier */
	sig = cms_by(p.leaf, p.lk, p.twin, NULL, 0, &len);
	T_EQ_INT(fwt_sigfile_signer_chain(ctx, sig, len, &v, &n), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "two different certificates"));
	OPENSSL_free(sig);
	/* no certificate at all; then not CMS */
	{
		BIO *in = BIO_new_mem_buf(content, sizeof(content) - 1);
		CMS_ContentInfo *c = CMS_sign(p.leaf, p.lk, NULL, in, CMS_BINARY | CMS_DETACHED | CMS_NOCERTS);
		int dn;
		der = NULL;
		dn = c ? i2d_CMS_ContentInfo(c, &der) : 0;
		CMS_ContentInfo_free(c);
		BIO_free(in);
		T_ASSERT(dn > 0);
		T_EQ_INT(fwt_sigfile_signer_chain(ctx, der, (size_t)dn, &v, &n), FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "none of its 0 certificates"));
		OPENSSL_free(der);
	}
	T_EQ_INT(make("p384", FWT_SIGFILE_RAW, &sig, &len), FWT_OK);
	T_EQ_INT(fwt_sigfile_signer_chain(ctx, sig, len, &v, &n), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "a raw signature names no signer"));
	free(sig);
	T_EQ_INT(make("p384", FWT_SIGFILE_COSE, &sig, &len), FWT_OK);
	T_EQ_INT(fwt_sigfile_signer_chain(ctx, sig, len, &v, &n), FWT_EINVAL);
	free(sig);
	T_EQ_INT(fwt_sigfile_signer_chain(ctx, (const unsigned char *)"junk", 4, &v, &n), FWT_EFORMAT);
	T_EQ_INT(fwt_sigfile_signer_chain(ctx, NULL, 0, &v, &n), FWT_EFORMAT);
	T_EQ_INT(fwt_sigfile_signer_chain(ctx, NULL, 0, NULL, &n), FWT_EINVAL);
	pki_free(&p);
}

/* fwt_sigfile_verify_trusted over content, with the store's certificates */
static fwt_err trusted(X509 *a1, X509 *a2, const fwt_sigfile_trust_options *base, const unsigned char *sig,
                       size_t len, fwt_pubkey **signer)
{
	fwt_sigfile_trust_options o = *base;
	fwt_trust *t = NULL;
	fwt_pubkey *k1 = a1 ? cert_pub(a1, "a1") : NULL, *k2 = a2 ? cert_pub(a2, "a2") : NULL;
	fwt_reader *r = NULL;
	fwt_err err = fwt_trust_new(ctx, &t);

	if (!err && k1)
		err = fwt_trust_add_key(t, k1);
	if (!err && k2)
		err = fwt_trust_add_key(t, k2);
	if (!err)
		err = fwt_reader_from_memory(ctx, &r, content, sizeof(content) - 1, "content");
	o.trust = t;
	if (!err)
		err = fwt_sigfile_verify_trusted(ctx, &o, sig, len, r, NULL, signer);
	fwt_reader_free(r);
	fwt_trust_free(t);
	fwt_pubkey_free(k1);
	fwt_pubkey_free(k2);
	return err;
}

static void test_verify_trusted(void)
{
	fwt_sigfile_trust_options o = FWT_SIGFILE_TRUST_OPTIONS_INIT;
	struct pki p;
	unsigned char *sig, *bare, *raw = NULL;
	size_t len, blen, rlen = 0;
	fwt_pubkey *signer = NULL, *leaf = NULL, *chain[2];
	fwt_trust *t = NULL;
	fwt_reader *r = NULL;
	fwt_sigfile_info info;
	unsigned char fp[32];
	EVP_MD_CTX *mc;

	if (!pki_make(&p)) {
		pki_free(&p);
		T_FAIL_("cannot make the test PKI");
	}
	sig = cms_by(p.leaf, p.lk, p.inter, NULL, 0, &len);
	bare = cms_by(p.leaf, p.lk, NULL, NULL, 1, &blen);
	T_ASSERT(sig && bare);
	/* good: the intermediate inside the signature, or among the anchors */
	T_EQ_INT(trusted(p.root, NULL, &o, sig, len, &signer), FWT_OK);
	T_ASSERT(signer);
	T_EQ_STR(fwt_pubkey_cert_subject(signer), "CN = leaf");
	fwt_pubkey_free(signer);
	T_EQ_INT(trusted(p.root, p.inter, &o, bare, blen, &signer), FWT_OK);
	fwt_pubkey_free(signer);
	/* the intermediate missing; another root; expired at o.at */
	T_EQ_INT(trusted(p.root, NULL, &o, bare, blen, &signer), FWT_EVERIFY);
	T_ASSERT(!signer);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "unable to get local issuer certificate: certificate 'CN = leaf'"));
	T_EQ_INT(trusted(p.other_root, NULL, &o, sig, len, NULL), FWT_EVERIFY);
	o.at = (int64_t)time(NULL) + 2 * 365 * 86400L;
	T_EQ_INT(trusted(p.root, NULL, &o, sig, len, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired on"));
	o.at = 0;
	/* a changed signature value (the last bytes) */
	sig[len - 3] ^= 1;
	T_EQ_INT(trusted(p.root, NULL, &o, sig, len, NULL), FWT_EVERIFY);
	sig[len - 3] ^= 1;
	/* a leaf for TLS servers */
	{
		size_t tl;
		unsigned char *ts = cms_by(p.tls, p.tk, p.inter, NULL, 0, &tl);
		T_EQ_INT(trusted(p.root, NULL, &o, ts, tl, NULL), FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "extended key usage allows only serverAuth"));
		OPENSSL_free(ts);
	}
	/* options: a newer version is refused, 0 is the current one */
	o.version = FWT_SIGFILE_TRUST_OPTIONS_VERSION + 1;
	T_EQ_INT(trusted(p.root, NULL, &o, sig, len, NULL), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is newer than this library's"));
	o.version = 0;
	T_EQ_INT(trusted(p.root, NULL, &o, sig, len, NULL), FWT_OK);
	o.version = FWT_SIGFILE_TRUST_OPTIONS_VERSION;
	/* revoked: the leaf's key in the caller's store */
	leaf = cert_pub(p.leaf, "leaf.pem");
	T_ASSERT(leaf);
	{
		fwt_pubkey *root = cert_pub(p.root, "root.pem");
		T_ASSERT(root);
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_key(t, root), FWT_OK);
		fwt_pubkey_free(root);
	}
	T_EQ_INT(fwt_pubkey_fingerprint(leaf, fp), FWT_OK);
	T_EQ_INT(fwt_trust_revoke(t, fp, "test"), FWT_OK);
	o.trust = t;
	T_EQ_INT(fwt_reader_from_memory(ctx, &r, content, sizeof(content) - 1, "content"), FWT_OK);
	T_EQ_INT(fwt_sigfile_verify_trusted(ctx, &o, sig, len, r, &info, &signer), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is revoked (test)"));
	T_EQ_INT(info.format, FWT_SIGFILE_CMS);
	fwt_reader_free(r);
	fwt_trust_free(t);
	o.trust = NULL;
	/* a raw signature: with the signer's certificate given, and its
	 * intermediate; without one it names no signer */
	mc = EVP_MD_CTX_new();
	T_ASSERT(mc && EVP_DigestSignInit(mc, NULL, EVP_sha384(), NULL, p.lk) > 0 &&
	         EVP_DigestSign(mc, NULL, &rlen, (const unsigned char *)content, sizeof(content) - 1) > 0 &&
	         (raw = malloc(rlen)) != NULL &&
	         EVP_DigestSign(mc, raw, &rlen, (const unsigned char *)content, sizeof(content) - 1) > 0);
	EVP_MD_CTX_free(mc);
	T_EQ_INT(trusted(p.root, NULL, &o, raw, rlen, NULL), FWT_EINVAL);
	chain[0] = leaf;
	chain[1] = cert_pub(p.inter, "inter.pem");
	o.chain = chain;
	o.chain_len = 2;
	T_EQ_INT(trusted(p.root, NULL, &o, raw, rlen, &signer), FWT_OK);
	T_ASSERT(signer == leaf);
	fwt_pubkey_free(signer);
	o.chain_len = 1;
	T_EQ_INT(trusted(p.root, NULL, &o, raw, rlen, NULL), FWT_EVERIFY);
	/* the CMS signature's intermediate completes a chain given without it */
	T_EQ_INT(trusted(p.root, NULL, &o, sig, len, NULL), FWT_OK);
	/* a chain element that is no certificate */
	{
		fwt_pubkey *k = pub("p384.pub.pem");
		fwt_pubkey_free(chain[1]);
		chain[1] = k;
		o.chain_len = 2;
		T_EQ_INT(trusted(p.root, NULL, &o, raw, rlen, NULL), FWT_EINVAL);
		fwt_pubkey_free(k);
	}
	free(raw);
	fwt_pubkey_free(leaf);
	OPENSSL_free(sig);
	OPENSSL_free(bare);
	pki_free(&p);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_names);
	T_RUN(test_check_key);
	T_RUN(test_roundtrip);
	T_RUN(test_cms_forgeries_and_truncation);
	T_RUN(test_raw_malformed);
	T_RUN(test_raw_pkcs1_v15);
	T_RUN(test_raw_pss_other_params);
	T_RUN(test_openssl_made);
	T_RUN(test_key_rules);
	T_RUN(test_sign_files);
	T_RUN(test_file_digest_every_format);
	T_RUN(test_sign_fifo);
	T_RUN(test_descriptor_offset);
	T_RUN(test_refuses_signing_inputs);
	T_RUN(test_verify_refuses_signing_inputs);
	T_RUN(test_verify_refuses_other_cose);
	T_RUN(test_signer_chain);
	T_RUN(test_verify_trusted);
	T_RUN(test_zeroed_item);
	fwt_ctx_free(ctx);
	return t_done();
}
