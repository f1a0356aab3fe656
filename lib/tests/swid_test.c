/* SPDX-License-Identifier: Apache-2.0 */
/* swid_test.c - SWID RIMs: every tag of ../shared/corpora/rim-swid against
 * its EXPECTED.json outcome (strict and with white space stripped), the HIRS
 * .ci signers (tags signed here by the xmlsec1 CLI), the project's own
 * fixtures and their bad/ twins, one-character changes anywhere in a signed
 * element, truncation, size caps, threads, and silence on stderr. */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

extern char **environ;

#define TD "testdata/swid"
#define RS "../shared/corpora/rim-swid"
#define HIRS_RES RS "/hirs/tools/tcg_rim_tool/src/test/resources"
#define HIRS_CI RS "/hirs/.ci/tcg-rim-tool"
#define T_2020_01_01 1577836800LL
#define T_2024_06_01 1717200000LL
#define T_2026_01_01 1767225600LL
#define T_2030_01_01 1893456000LL
#define T_2050_01_01 2524608000LL

static fwt_ctx *new_ctx(void)
{
	fwt_ctx *ctx = NULL;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return NULL;
	return ctx;
}

static int have_corpus(void)
{
	return access(RS "/EXPECTED.json", R_OK) == 0;
}

/* Verify s with a key file and/or a trust path (either may be NULL). */
static fwt_err verify_with(fwt_ctx *ctx, fwt_swid *s, const char *key, const char *trust, int64_t at,
                           fwt_swid_verify_result *r)
{
	fwt_swid_verify_options o = FWT_SWID_VERIFY_OPTIONS_INIT;
	fwt_pubkey *k = NULL;
	fwt_trust *t = NULL;
	fwt_err err;

	if (key && fwt_pubkey_load(ctx, &k, key) != FWT_OK)
		return FWT_EINTERNAL;
	if (trust && (fwt_trust_new(ctx, &t) != FWT_OK || fwt_trust_add_path(t, trust) != FWT_OK)) {
		fwt_pubkey_free(k);
		fwt_trust_free(t);
		return FWT_EINTERNAL;
	}
	o.key = k;
	o.trust = t;
	o.at = at;
	err = fwt_swid_verify(ctx, s, &o, r);
	fwt_pubkey_free(k);
	fwt_trust_free(t);
	return err;
}

/* Remove white space between elements (what made the HIRS samples verify). */
static unsigned char *strip_ws(const unsigned char *in, size_t len, size_t *outlen)
{
	unsigned char *out = malloc(len + 1);
	size_t i = 0, o = 0, j;

	if (!out)
		return NULL;
	while (i < len) {
		out[o++] = in[i];
		if (in[i++] != '>')
			continue;
		for (j = i; j < len && strchr(" \t\r\n", in[j]); j++)
			;
		if (j < len && in[j] == '<')
			i = j;
	}
	*outlen = o;
	return out;
}

/* Run a command quietly; its exit status, or -1. */
static int run_quiet(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = -1;

	if (posix_spawn_file_actions_init(&fa))
		return -1;
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int has_xmlsec1(void)
{
	char *argv[] = { "xmlsec1", "--version", NULL };
	return run_quiet(argv) == 0;
}

/* ---- the public corpus ---- */

static int count_str(const unsigned char *buf, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;
	int c = 0;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(buf + i, needle, n))
			c++;
	return c;
}

struct keysel {
	const char *key;
	fwt_trust *trust;
	int64_t at;
};

static fwt_err verify_sel(fwt_ctx *ctx, fwt_swid *s, const struct keysel *ks, fwt_swid_verify_result *r)
{
	fwt_swid_verify_options o = FWT_SWID_VERIFY_OPTIONS_INIT;
	fwt_pubkey *k = NULL;
	fwt_err err;

	if (ks->key && fwt_pubkey_load(ctx, &k, ks->key) != FWT_OK)
		return FWT_EINTERNAL;
	o.key = k;
	o.trust = ks->trust;
	o.at = ks->at;
	err = fwt_swid_verify(ctx, s, &o, r);
	fwt_pubkey_free(k);
	return err;
}

/* Check one EXPECTED.json result object ("strict" or "whitespace_stripped")
 * against a verification; 0 when it matches.  signedinfo_verifies_with names
 * the tag's own keys that verify SignedInfo; verifies_with_repo_cert (given
 * once per tag) names the HIRS certificates that do once the white space is
 * gone: repo says whether there is one. */
static int check_expected(const json_t *exp, const fwt_swid *s, fwt_err err, const fwt_swid_verify_result *r,
                          int repo, const char *what)
{
	const fwt_swid_sig_info *g = fwt_swid_signature(s);
	int ref = json_is_true(json_object_get(exp, "reference_digest_ok"));
	int sig = json_array_size(json_object_get(exp, "signedinfo_verifies_with")) > 0 || repo;

	if (json_object_get(exp, "error")) {
		if (g->present || err != FWT_EVERIFY) {
			fprintf(stderr, "  %s: expected 'no Signature', got present=%d err=%d\n", what, g->present, err);
			return 1;
		}
		return 0;
	}
	if ((json_int_t)g->x509_count != json_integer_value(json_object_get(exp, "x509_count")) ||
	    strcmp(g->digest_method, json_string_value(json_object_get(exp, "digest_method"))) ||
	    strcmp(g->signature_method, json_string_value(json_object_get(exp, "signature_method")))) {
		fprintf(stderr, "  %s: methods or x509_count differ\n", what);
		return 1;
	}
	/* HIRS's signed-timestamp form (a second Reference to the timestamp
	 * in the Signature's ds:Object) is judged like the others; its
	 * timestamp is signed exactly when the whole verifies */
	if (g->references != 1 && (g->references != 2 || !fwt_swid_get_timestamp(s) ||
	                           fwt_swid_get_timestamp(s)->is_signed != (err == FWT_OK))) {
		fprintf(stderr, "  %s: %zu References, timestamp signed %d, err %d\n", what, g->references,
		        fwt_swid_get_timestamp(s) ? fwt_swid_get_timestamp(s)->is_signed : -1, err);
		return 1;
	}
	if (err != (ref && sig ? FWT_OK : FWT_EVERIFY) || r->reference_ok != ref || r->signature_ok != sig) {
		fprintf(stderr, "  %s: expected ref=%d sig=%d, got err=%d ref=%d sig=%d\n", what, ref, sig, err,
		        r->reference_ok, r->signature_ok);
		return 1;
	}
	return 0;
}

static void test_corpus_expected(void)
{
	json_t *root, *tags, *e, *pf;
	const char *rel;
	fwt_ctx *ctx;
	int bad = 0, count = 0;

	if (!have_corpus())
		T_SKIP("../shared/corpora/rim-swid is not there");
	ctx = new_ctx();
	T_ASSERT(ctx);
	root = json_load_file(RS "/EXPECTED.json", 0, NULL);
	T_ASSERT(root);
	tags = json_object_get(root, "swidtags");
	T_ASSERT(json_object_size(tags) >= 9);
	json_object_foreach(tags, rel, e) {
		char path[512];
		unsigned char *buf, *st;
		size_t len, slen, i, k;
		fwt_swid *s = NULL, *ss = NULL;
		fwt_swid_verify_result r;
		struct keysel ks = { HIRS_RES "/RimSignCert.pem", NULL, 0 };
		fwt_err err;

		snprintf(path, sizeof(path), RS "/%s", rel);
		buf = t_slurp(path, &len);
		if (!buf) {
			fprintf(stderr, "  %s: missing\n", rel);
			bad = 1;
			continue;
		}
		count++;
		if (fwt_swid_parse(ctx, &s, buf, len, rel) != FWT_OK) {
			fprintf(stderr, "  %s: parse: %s\n", rel, fwt_ctx_errmsg(ctx));
			bad = 1;
			free(buf);
			continue;
		}
		/* payload files with their SHA-256, in order */
		pf = json_object_get(e, "payload_files");
		for (i = 0, k = 0; i < fwt_swid_file_count(s); i++) {
			const fwt_swid_file *f = fwt_swid_file_get(s, i);
			const fwt_swid_hash *h = fwt_swid_file_hash(f, FWT_DIGEST_SHA256);
			char hex[65];
			json_t *want = json_array_get(pf, k);
			if (!h)
				continue;
			fwt_hex_encode(hex, h->value, h->len);
			if (!want || strcmp(f->name, json_string_value(json_array_get(want, 0))) ||
			    strcmp(hex, json_string_value(json_array_get(want, 1)))) {
				fprintf(stderr, "  %s: payload file %zu differs\n", rel, i);
				bad = 1;
			}
			k++;
		}
		if (k != json_array_size(pf)) {
			fprintf(stderr, "  %s: %zu payload files with sha256, expected %zu\n", rel, k, json_array_size(pf));
			bad = 1;
		}
		if (fwt_swid_get_identity(s)->supplemental !=
		    !strcmp(json_string_value(json_object_get(e, "supplemental")), "true")) {
			fprintf(stderr, "  %s: supplemental differs\n", rel);
			bad = 1;
		}
		/* NVIDIA: the operator pins NVIDIA's root (taken from the tag
		 * here) and checks at a time inside the leaf's validity */
		if (!strncmp(rel, "nvidia/", 7)) {
			size_t n = fwt_swid_signature(s)->x509_count;
			ks.key = NULL;
			ks.at = T_2024_06_01;
			if (n < 2 || fwt_trust_new(ctx, &ks.trust) != FWT_OK ||
			    fwt_trust_add_key(ks.trust, (fwt_pubkey *)fwt_swid_cert(s, n - 1)) != FWT_OK)
				bad = 1;
			/* measurements: one per Resource */
			if (fwt_swid_measurement_count(s) != (size_t)count_str(buf, len, "type=\"Measurement\"") ||
			    fwt_swid_measurement_count(s) == 0) {
				fprintf(stderr, "  %s: measurement count\n", rel);
				bad = 1;
			}
			if (!fwt_swid_meta(s, FWT_SWID_META_PLATFORM_MODEL) ||
			    strcmp(fwt_swid_meta(s, FWT_SWID_META_BINDING_SPEC), "RIMIM")) {
				fprintf(stderr, "  %s: RIM-IM Meta\n", rel);
				bad = 1;
			}
		}
		err = verify_sel(ctx, s, &ks, &r);
		bad |= check_expected(json_object_get(e, "strict"), s, err, &r, 0, rel);
		if (!err && !strncmp(rel, "nvidia/", 7)) {
			/* same chain after the leaf expired; and with no anchor */
			struct keysel late = ks;
			fwt_trust *empty = NULL;
			late.at = T_2030_01_01;
			if (verify_sel(ctx, s, &late, &r) != FWT_EVERIFY || r.chain_ok) {
				fprintf(stderr, "  %s: expired chain accepted\n", rel);
				bad = 1;
			}
			if (fwt_trust_new(ctx, &empty) == FWT_OK) {
				late.trust = empty;
				late.at = T_2024_06_01;
				if (verify_sel(ctx, s, &late, &r) != FWT_EVERIFY) {
					fprintf(stderr, "  %s: embedded chain trusted by itself\n", rel);
					bad = 1;
				}
				fwt_trust_free(empty);
			}
		}
		st = strip_ws(buf, len, &slen);
		if (!st || fwt_swid_parse(ctx, &ss, st, slen, rel) != FWT_OK) {
			bad = 1;
		} else {
			err = verify_sel(ctx, ss, &ks, &r);
			bad |= check_expected(json_object_get(e, "whitespace_stripped"), ss, err, &r,
			                      json_array_size(json_object_get(e, "verifies_with_repo_cert")) > 0, rel);
		}
		fwt_swid_free(ss);
		free(st);
		fwt_trust_free(ks.trust);
		fwt_swid_free(s);
		free(buf);
	}
	json_decref(root);
	fwt_ctx_free(ctx);
	T_ASSERT(!bad);
	T_ASSERT(count >= 9);
}

/* The HIRS tags as the .ci configuration describes them, their support RIM,
 * and the embedded certificate against the HIRS CA. */
static void test_corpus_hirs_model(void)
{
	json_t *cfg, *o, *v;
	const char *key;
	fwt_ctx *ctx;
	fwt_swid *s = NULL, *ss = NULL;
	fwt_swid_verify_result r;
	const fwt_swid_identity *id;
	const fwt_swid_file *f;
	unsigned char *buf, *st;
	size_t len, slen, i, nchain = 0;
	fwt_pubkey **chain = NULL;
	fwt_trust *t = NULL;
	char role[128], hex[65];

	if (!have_corpus())
		T_SKIP("../shared/corpora/rim-swid is not there");
	ctx = new_ctx();
	T_ASSERT(ctx);
	T_EQ_INT(fwt_swid_load(ctx, &s, HIRS_RES "/generated_user_cert.swidtag"), FWT_OK);
	cfg = json_load_file(HIRS_CI "/configs/Base_Rim_Config.json", 0, NULL);
	T_ASSERT(cfg);
	id = fwt_swid_get_identity(s);
	o = json_object_get(cfg, "SoftwareIdentity");
	T_EQ_STR(id->name, json_string_value(json_object_get(o, "name")));
	T_EQ_STR(id->version, json_string_value(json_object_get(o, "version")));
	T_EQ_STR(id->tag_id, json_string_value(json_object_get(o, "tagId")));
	T_EQ_INT(id->tag_version, atoi(json_string_value(json_object_get(o, "tagVersion"))));
	T_EQ_INT(id->patch, json_is_true(json_object_get(o, "patch")));
	T_EQ_INT(id->supplemental, json_is_true(json_object_get(o, "supplemental")));
	T_EQ_STR(id->lang, "en");
	o = json_object_get(cfg, "Entity");
	T_EQ_INT(fwt_swid_entity_count(s), 1);
	T_EQ_STR(fwt_swid_entity_get(s, 0)->name, json_string_value(json_object_get(o, "name")));
	T_EQ_STR(fwt_swid_entity_get(s, 0)->regid, json_string_value(json_object_get(o, "regid")));
	snprintf(role, sizeof(role), "%s", json_string_value(json_object_get(o, "role")));
	for (i = 0; role[i]; i++)
		if (role[i] == ',')
			role[i] = ' ';
	T_EQ_STR(fwt_swid_entity_get(s, 0)->role, role);
	o = json_object_get(cfg, "Link");
	T_EQ_STR(fwt_swid_link_get(s, 0)->href, json_string_value(json_object_get(o, "href")));
	T_EQ_STR(fwt_swid_link_get(s, 0)->rel, json_string_value(json_object_get(o, "rel")));
	/* every Meta field of the configuration, by its TCG name */
	o = json_object_get(cfg, "Meta");
	T_ASSERT(json_object_size(o) >= 17);
	json_object_foreach(o, key, v) {
		int mf, found = 0;
		for (mf = 0; mf < FWT_SWID_META_COUNT; mf++)
			if (!strcasecmp(key, fwt_swid_meta_field_name((fwt_swid_meta_field)mf))) {
				T_EQ_STR(fwt_swid_meta(s, (fwt_swid_meta_field)mf), json_string_value(v));
				found = 1;
			}
		T_ASSERT(found);
	}
	/* the File: size and hash as configured, in Directory "rim" */
	o = json_object_get(json_object_get(json_object_get(cfg, "Payload"), "Directory"), "File");
	o = json_array_get(o, 0);
	T_EQ_INT(fwt_swid_file_count(s), 1);
	f = fwt_swid_file_get(s, 0);
	T_EQ_STR(f->directory, "rim");
	T_ASSERT(f->has_size);
	T_EQ_INT(f->size, atoll(json_string_value(json_object_get(o, "size"))));
	fwt_hex_encode(hex, fwt_swid_file_hash(f, FWT_DIGEST_SHA256)->value, 32);
	T_EQ_STR(hex, json_string_value(json_object_get(o, "hash")));
	json_decref(cfg);
	/* the support RIM binding: the original log, the .ci copy, the altered one */
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, HIRS_RES "/TpmLog.bin"), FWT_OK);
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, HIRS_CI "/eventlogs/TpmLog.bin"), FWT_OK);
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, HIRS_RES "/TPMLog_Altered.bin"), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "sha256 does not match"));
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, HIRS_RES "/no-such.rimel"), FWT_EIO);
	fwt_swid_free(s);

	/* generated_user_cert_embed: the embedded signer certificate chains to
	 * the HIRS example CA once the white space is gone */
	buf = t_slurp(HIRS_RES "/generated_user_cert_embed.swidtag", &len);
	T_ASSERT(buf);
	st = strip_ws(buf, len, &slen);
	free(buf);
	T_ASSERT(st);
	T_EQ_INT(fwt_swid_parse(ctx, &ss, st, slen, "embed"), FWT_OK);
	free(st);
	T_EQ_INT(fwt_pubkey_load_all(ctx, HIRS_RES "/RimCertChain.pem", &chain, &nchain), FWT_OK);
	T_EQ_INT(nchain, 2);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, chain[0]), FWT_OK); /* ExampleCA only */
	{
		fwt_swid_verify_options opt = FWT_SWID_VERIFY_OPTIONS_INIT;
		opt.trust = t;
		opt.at = T_2026_01_01;
		T_EQ_INT(fwt_swid_verify(ctx, ss, &opt, &r), FWT_OK);
		T_ASSERT(r.chain_ok && r.reference_ok && r.signature_ok);
		T_ASSERT(r.signer == fwt_swid_cert(ss, 0));
		opt.at = T_2050_01_01;
		T_EQ_INT(fwt_swid_verify(ctx, ss, &opt, &r), FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "not trusted"));
	}
	for (i = 0; i < nchain; i++)
		fwt_pubkey_free(chain[i]);
	free(chain);
	fwt_trust_free(t);
	fwt_swid_free(ss);
	fwt_ctx_free(ctx);
}

/* Tags signed here with the HIRS .ci signers (RSA-3072/SHA-384 and
 * P-521/ECDSA-SHA-384) and checked against their certificate chains. */
static void test_corpus_ci_signers(void)
{
	static const struct {
		const char *name, *method, *chain;
		fwt_err want;
	} cases[] = {
		{ "PC_OEM1_rim_signer_rsa_3k_sha384", "rsa-sha384", "PC_OEM1_RSA_Cert_Chain", FWT_OK },
		{ "PC_OEM1_rim_signer_ecc_512_sha384", "ecdsa-sha384", "PC_OEM1_ecc_Cert_Chain", FWT_OK },
		{ "COMP_OEM1_rim_signer_rsa_3k_sha384", "rsa-sha384", "COMP_OEM1_Cert_Chain", FWT_OK },
		/* other PKI: the chain does not lead to these anchors */
		{ "PC_OEM1_rim_signer_ecc_512_sha384", "ecdsa-sha384", "COMP_OEM1_Cert_Chain", FWT_EVERIFY },
		/* the .ci key file for PC_OEM2 is PC_OEM1's key: the certificate
		 * chains, the signature does not match it */
		{ "PC_OEM2_rim_signer_rsa_3k_sha384", "rsa-sha384", "PC_OEM2_Cert_Chain", FWT_EVERIFY },
	};
	char dir[] = "/tmp/swid-test-XXXXXX", tmpl[300], out[300], keyspec[900], chain[300];
	fwt_ctx *ctx;
	size_t i;

	if (!have_corpus())
		T_SKIP("../shared/corpora/rim-swid is not there");
	if (!has_xmlsec1())
		T_SKIP("xmlsec1 is not installed");
	ctx = new_ctx();
	T_ASSERT(ctx && mkdtemp(dir));
	snprintf(tmpl, sizeof(tmpl), "%s/tmpl.xml", dir);
	snprintf(out, sizeof(out), "%s/signed.swidtag", dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *fp = fopen(tmpl, "w");
		fwt_swid *s = NULL;
		fwt_swid_verify_result r;
		fwt_err err;
		char *argv[] = { "xmlsec1", "--sign", "--privkey-pem", keyspec, "--output", out, tmpl, NULL };

		T_ASSERT(fp);
		fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		            "<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\" "
		            "name=\"Example.com BIOS\" tagId=\"ci-%zu\" version=\"01\">\n  <Payload>\n"
		            "    <File xmlns:SHA256=\"http://www.w3.org/2001/04/xmlenc#sha256\" "
		            "SHA256:hash=\"4479ca722623f8c47b703996ced3cbd981b06b1ae8a897db70137e0b7c546848\" "
		            "name=\"TpmLog.bin\" size=\"7549\"/>\n  </Payload>\n"
		            "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>"
		            "<CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
		            "<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#%s\"/>"
		            "<Reference URI=\"\"><Transforms><Transform "
		            "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></Transforms>"
		            "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#sha384\"/><DigestValue/>"
		            "</Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>"
		            "</SoftwareIdentity>\n",
		        i, cases[i].method);
		fclose(fp);
		snprintf(keyspec, sizeof(keyspec), HIRS_CI "/keys/%s.key," HIRS_CI "/certs/%s.pem", cases[i].name,
		         cases[i].name);
		snprintf(chain, sizeof(chain), HIRS_CI "/certs/%s.pem", cases[i].chain);
		T_EQ_INT(run_quiet(argv), 0);
		T_EQ_INT(fwt_swid_load(ctx, &s, out), FWT_OK);
		T_EQ_INT(fwt_swid_signature(s)->x509_count, 1);
		err = verify_with(ctx, s, NULL, chain, T_2026_01_01, &r);
		if (err != cases[i].want)
			fprintf(stderr, "  %s / %s: %s\n", cases[i].name, cases[i].chain, fwt_ctx_errmsg(ctx));
		T_EQ_INT(err, cases[i].want);
		if (i == 4)
			T_ASSERT(r.chain_ok && r.reference_ok && !r.signature_ok);
		/* the support RIM of the .ci configuration */
		T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, HIRS_CI "/eventlogs/TpmLog2.bin"), FWT_OK);
		fwt_swid_free(s);
	}
	unlink(tmpl);
	unlink(out);
	rmdir(dir);
	fwt_ctx_free(ctx);
}

/* ---- the project's fixtures ---- */

static void test_good_fixtures(void)
{
	static const struct {
		const char *file, *key, *trust;
		int chain;
	} cases[] = {
		{ "base-rsa-sha256", NULL, TD "/keys/ca.pem", 1 },
		{ "base-rsa-sha256", TD "/keys/rsa-signer.pem", NULL, 0 },
		{ "base-rsa-sha256", TD "/keys/rsa-signer.pub", NULL, 0 },
		{ "base-rsa-sha256", NULL, TD "/keys/rsa-signer.pem", 1 }, /* the leaf certificate as anchor */
		{ "base-rsa-sha256", NULL, TD "/keys/rsa-signer.pub", 0 }, /* the leaf's key pinned */
		{ "rsa-sha384-c14n11", TD "/keys/rsa-signer.pub", NULL, 0 },
		{ "rsa-sha384-c14n11", NULL, TD "/keys/rsa-signer.pub", 0 }, /* a trusted bare key */
		{ "rsa-sha512-exc", NULL, TD "/keys/ca.pem", 1 },
		{ "rsa-sha512-exc", NULL, TD "/keys", 1 },
		{ "ecdsa-p256-sha256", NULL, TD "/keys/ca.pem", 1 },
		{ "ecdsa-p256-sha256", TD "/keys/ec-p256-signer.pem", NULL, 0 },
		{ "ecdsa-p384-nvidia-like", NULL, TD "/keys/ca.pem", 1 },
		{ "ecdsa-p384-nvidia-like", NULL, TD "/keys/intermediate.pem", 1 },
		{ "ecdsa-p521-sha512-supplemental", NULL, TD "/keys/chain.pem", 1 },
		{ "timestamp-rfc3339", NULL, TD "/keys/ca.pem", 1 },
		{ "timestamp-rfc3339", TD "/keys/rsa-signer.pub", NULL, 0 },
		{ "timestamp-rfc3852", NULL, TD "/keys/ca.pem", 1 },
	};
	fwt_ctx *ctx = new_ctx();
	size_t i;

	T_ASSERT(ctx);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[256];
		fwt_swid *s = NULL;
		fwt_swid_verify_result r;
		fwt_err err;

		snprintf(path, sizeof(path), TD "/good/%s.swidtag", cases[i].file);
		T_EQ_INT(fwt_swid_load(ctx, &s, path), FWT_OK);
		err = verify_with(ctx, s, cases[i].key, cases[i].trust, 0, &r);
		if (err)
			fprintf(stderr, "  case %zu: %s\n", i, fwt_ctx_errmsg(ctx));
		T_EQ_INT(err, FWT_OK);
		T_ASSERT(r.reference_ok && r.signature_ok && r.signer);
		T_EQ_INT(r.chain_ok, cases[i].chain);
		fwt_swid_free(s);
	}
	fwt_ctx_free(ctx);
}

/* The signed timestamp (HIRS's form): read into the model, signed only once
 * verified, and refused in every other shape, each for its own reason. */
static void test_timestamp(void)
{
	static const struct {
		const char *file;
		const char *why;
	} refused[] = {
		{ "ts-ref-to-root", "a second Reference may only sign the timestamp's SignatureProperty '#TST', not '#root'" },
		{ "ts-second-object", "not allowed here by the signature profile" },
		{ "ts-object-extra", "ds:Object may hold only one ds:SignatureProperties" },
		{ "ts-property-extra", "a signed SignatureProperty may hold one TimeStamp element only" },
		{ "ts-wrong-target", "Target 'Elsewhere' does not name this Signature" },
		{ "ts-enveloped-transform", "one canonicalization transform only, not enveloped-signature" },
		{ "ts-with-comments", "one canonicalization transform only" },
		{ "ts-unsigned-object", "a ds:Object that no Reference signs" },
		{ "ts-foreign-outside", "may only sign the timestamp's SignatureProperty '#TS2', not '#TST'" },
		{ "ts-outside-signature", "xmldsig element outside ds:Signature" },
		{ "ts-duplicate-id", "Id 'TST' is used twice" },
		{ "ts-tampered", "the signed timestamp's digest does not match the signed one (it was changed after signing)" },
	};
	fwt_ctx *ctx = new_ctx();
	const fwt_swid_timestamp *t;
	fwt_swid_verify_result r;
	fwt_swid *s = NULL;
	json_t *j;
	size_t i;

	T_ASSERT(ctx);
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/good/timestamp-rfc3339.swidtag"), FWT_OK);
	t = fwt_swid_get_timestamp(s);
	T_ASSERT(t && !t->is_signed);
	T_EQ_STR(t->id, "TST");
	T_EQ_STR(t->target, "RimSignature");
	T_EQ_STR(t->format, "rfc3339");
	T_EQ_STR(t->value, "2026-01-15T12:00:00Z");
	T_ASSERT(t->has_time && t->time == 1768478400);
	T_EQ_INT(fwt_swid_signature(s)->references, 2);
	T_EQ_INT(verify_with(ctx, s, NULL, TD "/keys/ca.pem", 0, &r), FWT_OK);
	T_ASSERT(fwt_swid_get_timestamp(s)->is_signed);
	j = fwt_swid_to_json(s);
	T_ASSERT(j);
	T_EQ_STR(json_string_value(json_object_get(json_object_get(json_object_get(j, "signature"), "timestamp"), "time")),
	         "2026-01-15T12:00:00Z");
	T_ASSERT(json_is_true(json_object_get(json_object_get(j, "verification"), "timestamp_ok")));
	json_decref(j);
	/* a wrong key afterwards: no longer signed */
	T_EQ_INT(verify_with(ctx, s, TD "/keys/ec-p256-signer.pem", NULL, 0, &r), FWT_EVERIFY);
	T_ASSERT(!fwt_swid_get_timestamp(s)->is_signed);
	fwt_swid_free(s);
	s = NULL;
	/* exclusive C14N on the timestamp's Reference: its unused xmlns:r
	 * declaration is not signed, so it gives no format, and rewriting it
	 * leaves the signature good and the format unknown */
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/good/timestamp-rfc3852.swidtag"), FWT_OK);
	t = fwt_swid_get_timestamp(s);
	T_ASSERT(t && !t->has_time);
	T_ASSERT(t->format == NULL);
	T_EQ_STR(t->value, "dGVzdAo=");
	fwt_swid_free(s);
	s = NULL;
	{
		static const char from[] = "xmlns:r=\"https://www.ietf.org/rfc/rfc3852.txt\"";
		static const char flip[] = "xmlns:r=\"https://www.ietf.org/rfc/rfc3339.txt\"";
		static const char own[] = "xmlns=\"https://www.ietf.org/rfc/rfc3852.txt\"  ";
		size_t len;
		unsigned char *b = t_slurp(TD "/good/timestamp-rfc3852.swidtag", &len);
		char *at = b ? strstr((char *)b, from) : NULL;

		T_ASSERT(at && sizeof(from) == sizeof(flip) && sizeof(from) == sizeof(own));
		memcpy(at, flip, sizeof(flip) - 1);
		T_EQ_INT(fwt_swid_parse(ctx, &s, b, len, "ts-flip"), FWT_OK);
		T_EQ_INT(verify_with(ctx, s, NULL, TD "/keys/ca.pem", 0, &r), FWT_OK);
		t = fwt_swid_get_timestamp(s);
		T_ASSERT(t && t->is_signed && t->format == NULL);
		fwt_swid_free(s);
		s = NULL;
		/* the TimeStamp element's own namespace is what every C14N signs */
		memcpy(at, own, sizeof(own) - 1);
		T_EQ_INT(fwt_swid_parse(ctx, &s, b, len, "ts-own-ns"), FWT_OK);
		T_EQ_STR(fwt_swid_get_timestamp(s)->format, "rfc3852");
		fwt_swid_free(s);
		s = NULL;
		free(b);
	}
	/* tags without one */
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/good/base-rsa-sha256.swidtag"), FWT_OK);
	T_ASSERT(fwt_swid_get_timestamp(s) == NULL);
	fwt_swid_free(s);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char path[256];
		fwt_err err;
		s = NULL;
		snprintf(path, sizeof(path), TD "/bad/%s.swidtag", refused[i].file);
		err = fwt_swid_load(ctx, &s, path);
		if (!err)
			err = verify_with(ctx, s, NULL, TD "/keys/ca.pem", 0, &r);
		if (!err || !strstr(fwt_ctx_errmsg(ctx), refused[i].why))
			fprintf(stderr, "  %s: %s\n", refused[i].file, fwt_ctx_errmsg(ctx));
		T_ASSERT(err != FWT_OK);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), refused[i].why) != NULL);
		T_ASSERT(!s || !fwt_swid_get_timestamp(s) || !fwt_swid_get_timestamp(s)->is_signed);
		fwt_swid_free(s);
	}
	/* the HIRS samples once their white space is gone */
	if (have_corpus()) {
		static const char *const hirs[][3] = {
			{ "generated_timestamp_rfc3339", "rfc3339", "2023-01-01T00:00:00Z" },
			{ "generated_timestamp_rfc3852", "rfc3852", "dGVzdAo=" },
		};
		for (i = 0; i < 2; i++) {
			char path[256];
			unsigned char *buf, *st;
			size_t len, slen;
			snprintf(path, sizeof(path), HIRS_RES "/%s.swidtag", hirs[i][0]);
			buf = t_slurp(path, &len);
			T_ASSERT(buf);
			st = strip_ws(buf, len, &slen);
			s = NULL;
			T_EQ_INT(fwt_swid_parse(ctx, &s, st, slen, hirs[i][0]), FWT_OK);
			T_EQ_INT(verify_with(ctx, s, HIRS_RES "/RimSignCert.pem", NULL, 0, &r), FWT_OK);
			t = fwt_swid_get_timestamp(s);
			T_ASSERT(t && t->is_signed);
			T_EQ_STR(t->format, hirs[i][1]);
			T_EQ_STR(t->value, hirs[i][2]);
			fwt_swid_free(s);
			free(st);
			free(buf);
		}
	}
	fwt_ctx_free(ctx);
}

/* Wrong keys, keys of the wrong kind, certificate validity, no key at all. */
static void test_forged_and_wrong_keys(void)
{
	static const struct {
		const char *file, *key, *trust;
		int64_t at;
		fwt_err want;
	} cases[] = {
		{ "base-rsa-sha256", TD "/keys/attacker.pem", NULL, 0, FWT_EVERIFY },
		{ "base-rsa-sha256", TD "/keys/ec-p384-signer.pem", NULL, 0, FWT_EVERIFY },
		{ "base-rsa-sha256", NULL, TD "/keys/attacker.pem", 0, FWT_EVERIFY },
		{ "base-rsa-sha256", NULL, TD "/keys/ca.pem", T_2050_01_01, FWT_EVERIFY },
		{ "base-rsa-sha256", NULL, TD "/keys/ca.pem", T_2020_01_01, FWT_EVERIFY },
		{ "base-rsa-sha256", NULL, TD "/keys/ca.pem", T_2030_01_01, FWT_OK },
		{ "rsa-sha384-c14n11", NULL, TD "/keys/ca.pem", 0, FWT_EVERIFY },
		{ "rsa-sha384-c14n11", NULL, TD "/keys/ec-p256-signer.pem", 0, FWT_EVERIFY },
		{ "ecdsa-p384-nvidia-like", TD "/keys/ec-p256-signer.pem", NULL, 0, FWT_EVERIFY },
		{ "ecdsa-p384-nvidia-like", TD "/keys/rsa-signer.pem", NULL, 0, FWT_EVERIFY },
		{ "ecdsa-p521-sha512-supplemental", TD "/keys/weak-rsa1024.pem", NULL, 0, FWT_EVERIFY },
		{ "base-rsa-sha256", TD "/keys/weak-rsa1024.pem", NULL, 0, FWT_EUNSUPPORTED },
	};
	fwt_swid_verify_options none = FWT_SWID_VERIFY_OPTIONS_INIT;
	fwt_swid_verify_result r;
	fwt_ctx *ctx = new_ctx();
	fwt_swid *s = NULL;
	size_t i;

	T_ASSERT(ctx);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[256];
		fwt_err err;

		snprintf(path, sizeof(path), TD "/good/%s.swidtag", cases[i].file);
		T_EQ_INT(fwt_swid_load(ctx, &s, path), FWT_OK);
		err = verify_with(ctx, s, cases[i].key, cases[i].trust, cases[i].at, &r);
		if (err != cases[i].want)
			fprintf(stderr, "  case %zu: %d %s\n", i, err, fwt_ctx_errmsg(ctx));
		T_EQ_INT(err, cases[i].want);
		if (err)
			T_ASSERT(r.signer == NULL);
		fwt_swid_free(s);
		s = NULL;
	}
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/good/base-rsa-sha256.swidtag"), FWT_OK);
	T_EQ_INT(fwt_swid_verify(ctx, s, &none, &r), FWT_EINVAL);
	none.version = 99;
	T_EQ_INT(fwt_swid_verify(ctx, s, &none, &r), FWT_EINVAL);
	T_EQ_INT(fwt_swid_verify(ctx, s, NULL, &r), FWT_EINVAL);
	fwt_swid_free(s);
	fwt_ctx_free(ctx);
}

static fwt_err err_by_name(const char *n)
{
	static const fwt_err all[] = { FWT_OK, FWT_EVERIFY, FWT_EINVAL, FWT_EIO, FWT_EFORMAT, FWT_ECRYPTO,
		                       FWT_ETOKEN, FWT_EUNSUPPORTED, FWT_ENOTFOUND, FWT_ENOMEM };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(fwt_err_name(all[i]), n))
			return all[i];
	return FWT_EINTERNAL;
}

/* Every bad/ twin gives the result bad/EXPECTED.tsv states, never a yes. */
static void test_bad_fixtures(void)
{
	FILE *f = fopen(TD "/bad/EXPECTED.tsv", "r");
	char line[512], listed[128][80];
	size_t nlisted = 0, i;
	fwt_ctx *ctx = new_ctx();
	DIR *d;
	struct dirent *de;
	int bad = 0;

	T_ASSERT(f && ctx);
	while (fgets(line, sizeof(line), f)) {
		char file[80], stage[16], res[32], with[128], path[256];
		fwt_swid *s = NULL;
		fwt_swid_verify_result r;
		fwt_err err, want;

		if (line[0] == '#')
			continue;
		T_EQ_INT(sscanf(line, "%79s %15s %31s %127s", file, stage, res, with), 4);
		T_ASSERT(nlisted < 128);
		snprintf(listed[nlisted++], sizeof(listed[0]), "%s", file);
		want = err_by_name(res);
		T_ASSERT(want != FWT_EINTERNAL && want != FWT_OK);
		snprintf(path, sizeof(path), TD "/bad/%s", file);
		err = fwt_swid_load(ctx, &s, path);
		if (!strcmp(stage, "parse")) {
			if (err != want) {
				fprintf(stderr, "  %s: parse gave %s, expected %s (%s)\n", file, fwt_err_name(err), res,
				        fwt_ctx_errmsg(ctx));
				bad = 1;
			}
			T_ASSERT(s == NULL || err == FWT_OK);
			fwt_swid_free(s);
		} else {
			char kp[256];
			json_t *j, *ok;
			if (err) {
				fprintf(stderr, "  %s: parse failed: %s\n", file, fwt_ctx_errmsg(ctx));
				bad = 1;
				continue;
			}
			snprintf(kp, sizeof(kp), TD "/%s", strchr(with, ':') ? strchr(with, ':') + 1 : with);
			err = verify_with(ctx, s, !strncmp(with, "key:", 4) ? kp : NULL,
			                  !strncmp(with, "trust:", 6) ? kp : NULL, 0, &r);
			if (err != want) {
				fprintf(stderr, "  %s: verify gave %s, expected %s (%s)\n", file, fwt_err_name(err), res,
				        fwt_ctx_errmsg(ctx));
				bad = 1;
			}
			if (r.signer)
				bad = 1;
			/* the JSON rendering says no as well */
			j = fwt_swid_to_json(s);
			ok = json_object_get(json_object_get(j, "verification"), "ok");
			if (!j || !json_is_false(ok))
				bad = 1;
			json_decref(j);
			fwt_swid_free(s);
		}
	}
	fclose(f);
	/* nothing in bad/ escapes the table */
	d = opendir(TD "/bad");
	T_ASSERT(d);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		int found = 0;
		if (l < 8 || strcmp(de->d_name + l - 8, ".swidtag"))
			continue;
		for (i = 0; i < nlisted; i++)
			found |= !strcmp(listed[i], de->d_name);
		if (!found) {
			fprintf(stderr, "  %s is not in EXPECTED.tsv\n", de->d_name);
			bad = 1;
		}
	}
	closedir(d);
	fwt_ctx_free(ctx);
	T_ASSERT(nlisted >= 60);
	T_ASSERT(!bad);
}

/* What the KeyInfo says never decides: a swapped certificate keeps the
 * digest (KeyInfo is not signed), verifies with the right key given, and
 * fails against the trust store; nor does it name the signer. */
static void test_keyinfo_never_selects(void)
{
	fwt_ctx *ctx = new_ctx();
	fwt_swid *s = NULL;
	fwt_swid_verify_result r;

	T_ASSERT(ctx);
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/bad/keyinfo-swapped-cert.swidtag"), FWT_OK);
	T_EQ_INT(verify_with(ctx, s, TD "/keys/rsa-signer.pem", NULL, 0, &r), FWT_OK);
	T_EQ_INT(verify_with(ctx, s, NULL, TD "/keys/ca.pem", 0, &r), FWT_EVERIFY);
	T_EQ_INT(verify_with(ctx, s, NULL, TD "/keys/attacker.pem", 0, &r), FWT_EVERIFY);
	T_ASSERT(r.reference_ok && !r.signature_ok);
	fwt_swid_free(s);
	s = NULL;
	/* a trusted bare key pins the signer and names it: the subject of the
	 * KeyInfo certificate carrying that key is unsigned and unvalidated;
	 * a chain to a trusted certificate makes the leaf's subject the name */
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/good/base-rsa-sha256.swidtag"), FWT_OK);
	{
		static const char *const trust[][2] = {
			{ TD "/keys/rsa-signer.pub", TD "/keys/rsa-signer.pub" },
			{ TD "/keys/ca.pem", "O = fwtrail test, CN = fwtrail test RIM signer rsa-3072" },
			{ TD "/keys/rsa-signer.pem", "O = fwtrail test, CN = fwtrail test RIM signer rsa-3072" },
		};
		size_t i;
		for (i = 0; i < 3; i++) {
			json_t *j;
			T_EQ_INT(verify_with(ctx, s, NULL, trust[i][0], 0, &r), FWT_OK);
			T_EQ_INT(r.chain_ok, i > 0);
			j = fwt_swid_to_json(s);
			T_ASSERT(j);
			T_EQ_STR(json_string_value(json_object_get(json_object_get(j, "verification"), "signer")), trust[i][1]);
			json_decref(j);
		}
	}
	fwt_swid_free(s);
	fwt_ctx_free(ctx);
}

static void test_model_and_json(void)
{
	fwt_ctx *ctx = new_ctx();
	fwt_swid *s = NULL;
	const fwt_swid_file *f;
	const fwt_swid_measurement *m;
	unsigned char buf[64], *rimel;
	size_t len, i;
	char *p = NULL, hex[129];
	json_t *j;
	fwt_swid_verify_result r;

	T_ASSERT(ctx);
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/good/base-rsa-sha256.swidtag"), FWT_OK);
	T_EQ_STR(fwt_swid_name(s), TD "/good/base-rsa-sha256.swidtag");
	T_EQ_STR(fwt_swid_get_identity(s)->tag_id, "acme-bios-4.1.0-base");
	T_EQ_STR(fwt_swid_get_identity(s)->version_scheme, "multipartnumeric");
	T_EQ_INT(fwt_swid_get_identity(s)->corpus, 0);
	T_EQ_STR(fwt_swid_entity_get(s, 0)->role, "softwareCreator tagCreator");
	T_ASSERT(fwt_swid_entity_get(s, 1) == NULL);
	T_EQ_STR(fwt_swid_link_get(s, 0)->rel, "installationmedia");
	T_EQ_STR(fwt_swid_meta(s, FWT_SWID_META_PLATFORM_MODEL), "Board-1");
	T_EQ_STR(fwt_swid_meta(s, FWT_SWID_META_COLLOQUIAL_VERSION), "BIOS_2026");
	T_EQ_STR(fwt_swid_meta(s, FWT_SWID_META_PC_URI_LOCAL), "/boot/tcg/manifest/swidtag/");
	T_ASSERT(fwt_swid_meta(s, FWT_SWID_META_RIM_LINK_HASH) == NULL);
	T_ASSERT(fwt_swid_meta(s, FWT_SWID_META_COUNT) == NULL);
	T_EQ_INT(fwt_swid_meta_attr_count(s), 17);
	T_EQ_STR(fwt_swid_meta_attr_get(s, 0)->ns, "http://csrc.nist.gov/ns/swid/2015-extensions/1.0");
	T_EQ_STR(fwt_swid_meta_field_key(FWT_SWID_META_PLATFORM_MANUFACTURER_STR), "platform_manufacturer_str");
	T_EQ_INT(fwt_swid_file_count(s), 1);
	f = fwt_swid_file_get(s, 0);
	T_EQ_STR(f->name, "acme-bios.rimel");
	T_EQ_STR(f->directory, "rim");
	rimel = t_slurp(TD "/good/acme-bios.rimel", &len);
	T_ASSERT(rimel);
	T_EQ_INT(f->size, len);
	T_EQ_INT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, rimel, len, buf), FWT_OK);
	free(rimel);
	T_EQ_MEM(fwt_swid_file_hash(f, FWT_DIGEST_SHA256)->value, buf, 32);
	T_ASSERT(fwt_swid_file_hash(f, FWT_DIGEST_SHA384) == NULL);
	T_EQ_INT(fwt_swid_find_file(s, "acme-bios.rimel"), 0);
	T_EQ_INT(fwt_swid_find_file(s, "other"), -1);
	/* the support RIM beside the tag */
	T_EQ_INT(fwt_swid_support_path(ctx, s, 0, TD "/good/base-rsa-sha256.swidtag", &p), FWT_OK);
	T_EQ_STR(p, TD "/good/acme-bios.rimel");
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, p), FWT_OK);
	free(p);
	T_EQ_INT(fwt_swid_support_path(ctx, s, 0, "tag.swidtag", &p), FWT_OK);
	T_EQ_STR(p, "acme-bios.rimel");
	free(p);
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, TD "/support/acme-bios-altered.rimel"), FWT_EVERIFY);
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, TD "/good/multi.bin"), FWT_EVERIFY);
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 5, TD "/good/multi.bin"), FWT_EINVAL);
	/* every File at once: beside the tag, or given */
	T_EQ_INT(fwt_swid_check_support(ctx, s, TD "/good/base-rsa-sha256.swidtag", NULL, &len), FWT_OK);
	T_EQ_INT(len, 1);
	T_EQ_INT(fwt_swid_check_support(ctx, s, NULL, TD "/good/acme-bios.rimel", &len), FWT_OK);
	T_EQ_INT(fwt_swid_check_support(ctx, s, NULL, TD "/support/acme-bios-altered.rimel", &len), FWT_EVERIFY);
	T_EQ_INT(len, 0);
	T_EQ_INT(fwt_swid_check_support(ctx, s, NULL, NULL, &len), FWT_EINVAL);
	T_EQ_INT(fwt_swid_check_support(ctx, s, TD "/bad/base-rsa-sha256.swidtag", NULL, &len), FWT_EIO);
	/* JSON before and after verification */
	j = fwt_swid_to_json(s);
	T_ASSERT(j);
	T_EQ_STR(json_string_value(json_object_get(j, "format")), "swid");
	T_ASSERT(json_object_get(j, "verification") == NULL);
	T_EQ_STR(json_string_value(json_object_get(json_object_get(j, "meta"), "platform_model")), "Board-1");
	fwt_hex_encode(hex, buf, 32);
	T_EQ_STR(json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(
	             json_object_get(j, "payload"), "files"), 0), "hashes"), "sha256")), hex);
	T_EQ_INT(json_array_size(json_object_get(json_object_get(json_object_get(j, "signature"), "key_info"),
	                                         "x509_certificates")), 2);
	json_decref(j);
	T_EQ_INT(verify_with(ctx, s, NULL, TD "/keys/ca.pem", 0, &r), FWT_OK);
	j = fwt_swid_to_json(s);
	T_ASSERT(j);
	T_ASSERT(json_is_true(json_object_get(json_object_get(j, "verification"), "ok")));
	T_ASSERT(strstr(json_string_value(json_object_get(json_object_get(j, "verification"), "signer")),
	                "fwtrail test RIM signer rsa-3072"));
	json_decref(j);
	fwt_swid_free(s);
	s = NULL;

	/* a File with three hashes */
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/good/rsa-sha512-exc.swidtag"), FWT_OK);
	f = fwt_swid_file_get(s, 0);
	T_EQ_INT(f->nhashes, 3);
	T_ASSERT(f->directory == NULL);
	T_EQ_STR(f->version, "2");
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, TD "/good/multi.bin"), FWT_OK);
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, TD "/good/acme-bios.rimel"), FWT_EVERIFY);
	T_EQ_INT(fwt_swid_check_support(ctx, s, TD "/good/rsa-sha512-exc.swidtag", NULL, NULL), FWT_OK);
	fwt_swid_free(s);
	s = NULL;

	/* NVIDIA-shaped measurements: no File, nothing to bind */
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/good/ecdsa-p384-nvidia-like.swidtag"), FWT_OK);
	T_EQ_INT(fwt_swid_measurement_count(s), 4);
	T_EQ_INT(fwt_swid_file_count(s), 0);
	T_EQ_INT(fwt_swid_check_support(ctx, s, NULL, NULL, &len), FWT_OK);
	T_EQ_INT(len, 0);
	m = fwt_swid_measurement_get(s, 2);
	T_EQ_INT(m->index, 2);
	T_EQ_INT(m->active, 1);
	T_EQ_INT(m->alternatives, 2);
	T_EQ_INT(m->alg, FWT_DIGEST_SHA384);
	T_EQ_INT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA384, "acme gpu vbios 2b", 17, buf), FWT_OK);
	T_EQ_MEM(m->values + 48, buf, 48);
	T_EQ_INT(fwt_swid_measurement_get(s, 0)->active, 0);
	T_ASSERT(fwt_swid_measurement_get(s, 4) == NULL);
	T_EQ_STR(fwt_swid_meta(s, FWT_SWID_META_FIRMWARE_MANUFACTURER), "Acme GPU Corp");
	T_EQ_STR(fwt_swid_meta(s, FWT_SWID_META_BINDING_SPEC), "RIMIM");
	T_EQ_STR(fwt_swid_signature(s)->transforms[1], "http://www.w3.org/2006/12/xml-c14n11");
	T_EQ_INT(fwt_swid_signature(s)->x509_count, 2);
	j = fwt_swid_to_json(s);
	T_ASSERT(j);
	T_EQ_INT(json_array_size(json_object_get(json_object_get(j, "payload"), "measurements")), 4);
	fwt_hex_encode(hex, buf, 48);
	T_EQ_STR(json_string_value(json_array_get(json_object_get(json_array_get(json_object_get(
	             json_object_get(j, "payload"), "measurements"), 2), "values"), 1)), hex);
	json_decref(j);
	fwt_swid_free(s);
	s = NULL;

	/* supplemental */
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/good/ecdsa-p521-sha512-supplemental.swidtag"), FWT_OK);
	T_EQ_INT(fwt_swid_get_identity(s)->supplemental, 1);
	T_EQ_INT(fwt_swid_get_identity(s)->tag_version, 1);
	fwt_swid_free(s);
	s = NULL;
	/* File names that are no plain names are never looked up beside the tag */
	{
		static const char *const names[] = { "../eventlogs/TpmLog.bin", "/etc/passwd", "..", "a\\b" };
		for (i = 0; i < 4; i++) {
			char doc[600];
			snprintf(doc, sizeof(doc),
			         "<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\">"
			         "<Payload><File name=\"%s\"/></Payload></SoftwareIdentity>", names[i]);
			T_EQ_INT(fwt_swid_parse(ctx, &s, doc, strlen(doc), "names"), FWT_OK);
			T_EQ_INT(fwt_swid_support_path(ctx, s, 0, "dir/tag.swidtag", &p), FWT_EINVAL);
			T_ASSERT(p == NULL);
			T_EQ_INT(fwt_swid_find_file(s, i == 0 ? "TpmLog.bin" : names[i]), 0);
			/* no hash: nothing to bind */
			T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, TD "/good/multi.bin"), FWT_EVERIFY);
			fwt_swid_free(s);
			s = NULL;
		}
	}
	fwt_ctx_free(ctx);
}

/* ---- one character changed anywhere inside a signed element ---- */

/* The signed region: from the root's '<' to the end of its end tag, minus
 * the Signature element. */
static int signed_region(const unsigned char *b, size_t *start, size_t *end, size_t *sig0, size_t *sig1)
{
	const char *s = (const char *)b, *p, *q, *e, *n;

	p = s;
	while ((p = strchr(p, '<')) && (p[1] == '?' || p[1] == '!'))
		p++;
	if (!p)
		return -1;
	*start = (size_t)(p - s);
	e = strrchr(s, '>');
	if (!e)
		return -1;
	*end = (size_t)(e - s) + 1;
	q = strstr(s, "Signature xmlns");
	if (!q)
		return -1;
	while (q > s && *q != '<')
		q--;
	*sig0 = (size_t)(q - s);
	e = strstr(q, "Signature>");
	while (e && (n = strstr(e + 1, "Signature>")) && n < s + *end - 20)
		e = n;
	if (!e)
		return -1;
	*sig1 = (size_t)(e - s) + 10;
	return 0;
}

static int mutate_all(fwt_ctx *ctx, const char *path, const char *key, int64_t at, size_t stride, size_t *tried)
{
	unsigned char *b, *m;
	size_t len, start, end, s0, s1, i;
	fwt_swid_verify_options o = FWT_SWID_VERIFY_OPTIONS_INIT;
	fwt_pubkey *k = NULL;
	fwt_swid *s = NULL;
	int fails = 0;

	b = t_slurp(path, &len);
	if (!b || signed_region(b, &start, &end, &s0, &s1) || !(m = malloc(len + 1))) {
		free(b);
		return 1;
	}
	if (fwt_pubkey_load(ctx, &k, key)) {
		free(m);
		free(b);
		return 1;
	}
	o.key = k;
	o.at = at; /* a certificate as the key must be valid then */
	/* the file as it is verifies: the loop below means something */
	if (fwt_swid_parse(ctx, &s, b, len, path) || fwt_swid_verify(ctx, s, &o, NULL))
		fails++;
	fwt_swid_free(s);
	for (i = start; i < end; i += stride) {
		if (i >= s0 && i < s1)
			continue;
		s = NULL;
		memcpy(m, b, len + 1);
		m[i] = b[i] == 'a' ? 'b' : 'a';
		(*tried)++;
		if (fwt_swid_parse(ctx, &s, m, len, "mutant") == FWT_OK && fwt_swid_verify(ctx, s, &o, NULL) == FWT_OK) {
			fprintf(stderr, "  %s: changing offset %zu ('%c') still verifies\n", path, i, b[i]);
			fails++;
		}
		fwt_swid_free(s);
	}
	fwt_pubkey_free(k);
	free(m);
	free(b);
	return fails;
}

static void test_one_char_changes(void)
{
	/* every position of four tags, every second or third of the others
	 * (where each check costs a P-384 or P-521 verification) */
	static const struct {
		const char *file, *key;
		size_t stride;
	} fixtures[] = {
		{ "base-rsa-sha256", "rsa-signer.pem", 1 },
		{ "rsa-sha384-c14n11", "rsa-signer.pub", 1 },
		{ "rsa-sha512-exc", "rsa-signer.pem", 1 },
		{ "ecdsa-p256-sha256", "ec-p256-signer.pem", 1 },
		{ "ecdsa-p384-nvidia-like", "ec-p384-signer.pem", 2 },
		{ "ecdsa-p521-sha512-supplemental", "ec-p521-signer.pem", 3 },
	};
	fwt_ctx *ctx = new_ctx();
	size_t i, tried = 0;
	int fails = 0;

	T_ASSERT(ctx);
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		char path[256], key[256];
		snprintf(path, sizeof(path), TD "/good/%s.swidtag", fixtures[i].file);
		snprintf(key, sizeof(key), TD "/keys/%s", fixtures[i].key);
		fails += mutate_all(ctx, path, key, 0, fixtures[i].stride, &tried);
	}
	if (have_corpus()) {
		/* a real NVIDIA RIM, every 31st position (64 near-identical
		 * Resource lines), with its signer's certificate as the key */
		char leaf[] = "/tmp/swid-nvleaf-XXXXXX";
		fwt_swid *s = NULL;
		unsigned char *der = NULL;
		size_t dlen = 0;
		int fd = mkstemp(leaf);
		T_ASSERT(fd >= 0);
		T_EQ_INT(fwt_swid_load(ctx, &s, RS "/nvidia/Driver_RIM_test_no_gpu.swidtag"), FWT_OK);
		T_EQ_INT(fwt_pubkey_cert_der(fwt_swid_cert(s, 0), &der, &dlen), FWT_OK);
		T_EQ_INT(write(fd, der, dlen), (long)dlen);
		close(fd);
		free(der);
		fwt_swid_free(s);
		fails += mutate_all(ctx, RS "/nvidia/Driver_RIM_test_no_gpu.swidtag", leaf,
		                    1717200000 /* 2024-06-01, inside the leaf's validity */, 31, &tried);
		unlink(leaf);
	}
	fwt_ctx_free(ctx);
	T_ASSERT(tried > 3500);
	T_EQ_INT(fails, 0);
}

/* ---- bounds ---- */

static void test_truncation(void)
{
	fwt_ctx *ctx = new_ctx();
	unsigned char *b;
	size_t len, n, last;
	fwt_swid *s = NULL;
	int bad = 0;

	T_ASSERT(ctx);
	b = t_slurp(TD "/good/ecdsa-p384-nvidia-like.swidtag", &len);
	T_ASSERT(b);
	last = (size_t)((const unsigned char *)strrchr((const char *)b, '>') - b) + 1;
	for (n = 0; n < len; n++) {
		fwt_err err = fwt_swid_parse(ctx, &s, b, n, "truncated");
		if ((n < last && err != FWT_EFORMAT) || (n >= last && err != FWT_OK)) {
			fprintf(stderr, "  prefix %zu: %s\n", n, fwt_err_name(err));
			bad = 1;
		}
		fwt_swid_free(s);
		s = NULL;
	}
	free(b);
	fwt_ctx_free(ctx);
	T_ASSERT(!bad);
}

static void test_size_cap(void)
{
	fwt_ctx *ctx = new_ctx();
	unsigned char *b, *big;
	size_t len;
	fwt_swid *s = NULL;
	fwt_swid_verify_result r;
	fwt_reader *rd = NULL;

	T_ASSERT(ctx);
	b = t_slurp(TD "/good/base-rsa-sha256.swidtag", &len);
	big = malloc(FWT_SWID_MAX_SIZE + 1);
	T_ASSERT(b && big);
	memcpy(big, b, len);
	memset(big + len, '\n', FWT_SWID_MAX_SIZE + 1 - len);
	/* white space after the root is not signed content: exactly at the cap it verifies */
	T_EQ_INT(fwt_swid_parse(ctx, &s, big, FWT_SWID_MAX_SIZE, "at-cap"), FWT_OK);
	T_EQ_INT(verify_with(ctx, s, NULL, TD "/keys/ca.pem", 0, &r), FWT_OK);
	fwt_swid_free(s);
	s = NULL;
	T_EQ_INT(fwt_swid_parse(ctx, &s, big, FWT_SWID_MAX_SIZE + 1, "over-cap"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "larger than"));
	T_ASSERT(s == NULL);
	/* the reader path refuses too */
	T_EQ_INT(fwt_reader_from_memory(ctx, &rd, big, FWT_SWID_MAX_SIZE + 1, "big"), FWT_OK);
	T_EQ_INT(fwt_swid_read(ctx, &s, rd), FWT_EFORMAT);
	fwt_reader_free(rd);
	T_EQ_INT(fwt_swid_parse(ctx, &s, big, 0, "empty"), FWT_EFORMAT);
	T_EQ_INT(fwt_swid_parse(ctx, &s, NULL, 3, "null"), FWT_EINVAL);
	T_EQ_INT(fwt_swid_load(ctx, &s, TD "/no-such.swidtag"), FWT_EIO);
	free(big);
	free(b);
	fwt_ctx_free(ctx);
}

/* A tag of n elements under Payload, each "<tag attrs/>", in memory. */
static char *mk_tag(size_t n, const char *root_attrs, const char *el, size_t *len)
{
	size_t cap = 300 + strlen(root_attrs) + n * (strlen(el) + 1), o;
	char *d = malloc(cap);
	size_t i;

	if (!d)
		return NULL;
	o = (size_t)snprintf(d, cap, "<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\""
	                             " name=\"m\" tagId=\"m\"%s><Payload>", root_attrs);
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(d + o, cap - o, "%s", el);
	o += (size_t)snprintf(d + o, cap - o, "</Payload></SoftwareIdentity>");
	*len = o;
	return d;
}

/* " p0=\"\" p1=\"\" ..." (n of them; prefix "xmlns:p" makes declarations). */
static char *mk_attrs(size_t n, const char *prefix)
{
	size_t cap = 1 + n * (strlen(prefix) + 24), o = 0, i;
	char *a = malloc(cap);

	if (!a)
		return NULL;
	a[0] = 0;
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(a + o, cap - o, " %s%zu=\"u:%zu\"", prefix, i, i);
	return a;
}

/* Work bounded before libxml2 parses: more than 256 attributes on an
 * element, or more than 16 namespace declarations in scope, is refused at
 * once (libxml2 2.9 checks attributes pairwise, C14N walks the in-scope
 * declarations per element: a 1.5 MB tag took minutes). */
static void test_markup_limits(void)
{
	fwt_ctx *ctx = new_ctx();
	fwt_swid *s = NULL;
	char *a, *el, *d;
	size_t len, n;
	clock_t t0 = clock();

	T_ASSERT(ctx);
	/* 100000 attributes on one File, under the size cap */
	a = mk_attrs(100000, "a");
	el = malloc(strlen(a) + 32);
	T_ASSERT(a && el);
	snprintf(el, strlen(a) + 32, "<File name=\"f\"%s/>", a);
	d = mk_tag(1, "", el, &len);
	T_ASSERT(d && len < FWT_SWID_MAX_SIZE);
	T_EQ_INT(fwt_swid_parse(ctx, &s, d, len, "attrs"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'attrs': an element at line 1 has 100001 attributes; the limit is 256"));
	free(d);
	free(el);
	free(a);
	/* exactly at the limit (name + 255) it parses; one more does not */
	for (n = 255; n <= 256; n++) {
		a = mk_attrs(n, "a");
		el = malloc(strlen(a) + 32);
		T_ASSERT(a && el);
		snprintf(el, strlen(a) + 32, "<File name=\"f\"%s/>", a);
		d = mk_tag(1, "", el, &len);
		T_ASSERT(d);
		T_EQ_INT(fwt_swid_parse(ctx, &s, d, len, "attrs"), n == 255 ? FWT_OK : FWT_EFORMAT);
		fwt_swid_free(s);
		s = NULL;
		free(d);
		free(el);
		free(a);
	}
	/* '=', '>' and xmlns inside quoted values, comments, CDATA and
	 * processing instructions are not markup */
	a = mk_attrs(300, "a");
	el = malloc(3 * strlen(a) + 200);
	T_ASSERT(a && el);
	snprintf(el, 3 * strlen(a) + 200, "<File name=\"f\" x='>%s' y=\" xmlns:q='' \"/><!--<a%s>-->"
	         "<?pi%s?><Process name=\"p\"/>", a, a, a);
	d = mk_tag(1, "", el, &len);
	T_ASSERT(d);
	T_EQ_INT(fwt_swid_parse(ctx, &s, d, len, "quoted"), FWT_OK);
	fwt_swid_free(s);
	s = NULL;
	free(d);
	free(el);
	free(a);
	/* namespace declarations on the root, in scope of every element
	 * (C14N's cost grows with their square): 20000 hit the attribute
	 * limit, 250 the declaration limit */
	a = mk_attrs(20000, "xmlns:p");
	d = a ? mk_tag(200, a, "<Process name=\"p\"/>", &len) : NULL;
	T_ASSERT(d);
	T_EQ_INT(fwt_swid_parse(ctx, &s, d, len, "ns"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'ns': an element at line 1 has 20003 attributes; the limit is 256"));
	free(d);
	free(a);
	a = mk_attrs(250, "xmlns:p");
	d = a ? mk_tag(200, a, "<Process name=\"p\"/>", &len) : NULL;
	T_ASSERT(d);
	T_EQ_INT(fwt_swid_parse(ctx, &s, d, len, "ns"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "'ns': an element at line 1 has 251 namespace declarations in scope; "
	                                     "the limit is 16"));
	free(d);
	free(a);
	/* 15 on the root plus the default one: 16 in scope parses; one more
	 * on a child does not; 15 on each of many siblings is never in scope
	 * together, and parses */
	a = mk_attrs(15, "xmlns:p");
	d = a ? mk_tag(1, a, "<Process name=\"p\"/>", &len) : NULL;
	T_ASSERT(d);
	T_EQ_INT(fwt_swid_parse(ctx, &s, d, len, "ns16"), FWT_OK);
	fwt_swid_free(s);
	s = NULL;
	free(d);
	d = mk_tag(1, a, "<Process xmlns:x=\"u:x\" name=\"p\"/>", &len);
	T_ASSERT(d);
	T_EQ_INT(fwt_swid_parse(ctx, &s, d, len, "ns17"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "has 17 namespace declarations in scope"));
	free(d);
	el = malloc(strlen(a) + 40);
	T_ASSERT(el);
	snprintf(el, strlen(a) + 40, "<Process name=\"p\"%s/>", a);
	d = mk_tag(1000, "", el, &len);
	T_ASSERT(d);
	T_EQ_INT(fwt_swid_parse(ctx, &s, d, len, "siblings"), FWT_OK);
	fwt_swid_free(s);
	s = NULL;
	free(d);
	free(el);
	free(a);
	/* all of it at once, well within a second of CPU (it took minutes) */
	T_ASSERT(clock() - t0 < 5 * CLOCKS_PER_SEC);
	fwt_ctx_free(ctx);
}

/* Nesting is bounded, and so is libxml2's own recursion (a 10000-deep
 * document is refused without a crash). */
static void test_depth(void)
{
	fwt_ctx *ctx = new_ctx();
	size_t n = 10000, i, o = 0;
	char *doc = malloc(n * 40 + 200);
	fwt_swid *s = NULL;

	T_ASSERT(ctx && doc);
	o += (size_t)snprintf(doc, 200, "<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/"
	                                "schema.xsd\"><Payload>");
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(doc + o, 40, "<Directory name=\"d\">");
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(doc + o, 40, "</Directory>");
	o += (size_t)snprintf(doc + o, 40, "</Payload></SoftwareIdentity>");
	T_EQ_INT(fwt_swid_parse(ctx, &s, doc, o, "deep"), FWT_EFORMAT);
	free(doc);
	fwt_ctx_free(ctx);
}

static void test_sniff(void)
{
	T_ASSERT(fwt_swid_sniff("<?xml", 5));
	T_ASSERT(fwt_swid_sniff("\xef\xbb\xbf \n<a/>", 9));
	T_ASSERT(!fwt_swid_sniff("\xd9\x01\xf5", 3));
	T_ASSERT(!fwt_swid_sniff("   ", 3));
	T_ASSERT(!fwt_swid_sniff(NULL, 0));
}

/* ---- the library never prints, and works from several threads ---- */

static void *verify_thread(void *arg)
{
	static const char *const files[] = { "base-rsa-sha256", "ecdsa-p384-nvidia-like", "rsa-sha512-exc",
		                             "ecdsa-p256-sha256" };
	long id = (long)arg, i, fails = 0;
	fwt_ctx *ctx = new_ctx();
	fwt_swid_verify_options o = FWT_SWID_VERIFY_OPTIONS_INIT;

	if (!ctx || fwt_trust_new(ctx, &o.trust) || fwt_trust_add_path(o.trust, TD "/keys/ca.pem"))
		fails++;
	for (i = 0; !fails && i < 20; i++) {
		char path[256];
		fwt_swid *s = NULL;
		snprintf(path, sizeof(path), TD "/good/%s.swidtag", files[(id + i) % 4]);
		if (fwt_swid_load(ctx, &s, path) || fwt_swid_verify(ctx, s, &o, NULL))
			fails++;
		fwt_swid_free(s);
		s = NULL;
		if (fwt_swid_load(ctx, &s, TD "/bad/xxe-file-entity.swidtag") != FWT_EFORMAT ||
		    !strstr(fwt_ctx_errmsg(ctx), "DOCTYPE"))
			fails++;
		if (fwt_swid_load(ctx, &s, TD "/bad/tampered-hash.swidtag") ||
		    fwt_swid_verify(ctx, s, &o, NULL) != FWT_EVERIFY)
			fails++;
		fwt_swid_free(s);
	}
	fwt_trust_free(o.trust);
	fwt_ctx_free(ctx);
	return (void *)fails;
}

static void test_threads(void)
{
	pthread_t th[4];
	long i, fails = 0;
	void *rv;

	for (i = 0; i < 4; i++)
		T_EQ_INT(pthread_create(&th[i], NULL, verify_thread, (void *)i), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], &rv);
		fails += (long)rv;
	}
	T_EQ_INT(fails, 0);
}

static void test_silent(void)
{
	char tmp[] = "/tmp/swid-stderr-XXXXXX";
	int fd = mkstemp(tmp), saved, yes = 0;
	struct stat st;
	DIR *d;
	struct dirent *de;
	fwt_ctx *ctx = new_ctx();

	T_ASSERT(fd >= 0 && ctx);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	d = opendir(TD "/bad");
	while (d && (de = readdir(d)) != NULL) {
		char path[300];
		fwt_swid *s = NULL;
		fwt_swid_verify_result r;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), TD "/bad/%s", de->d_name);
		if (fwt_swid_load(ctx, &s, path) == FWT_OK) {
			yes += verify_with(ctx, s, NULL, TD "/keys/ca.pem", 0, &r) == FWT_OK;
			fwt_swid_free(s);
		}
	}
	if (d)
		closedir(d);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	T_EQ_INT(fstat(fd, &st), 0);
	close(fd);
	unlink(tmp);
	fwt_ctx_free(ctx);
	T_EQ_INT(st.st_size, 0);
	T_EQ_INT(yes, 0);
}

/* ---- no network, no file beyond the inputs (X1) ---- */

static const char *const hostile[] = {
	"xxe-file-entity", "xxe-parameter-entity-http", "billion-laughs", "doctype-only", "xinclude",
	"schema-location", "keyinfo-retrieval-method", "ref-by-id", "ref-into-object", "xpath-transform",
};

/* Run as a child under strace: parse and verify every hostile twin. */
static int hostile_run(void)
{
	fwt_ctx *ctx = new_ctx();
	size_t i;
	int yes = 0;

	for (i = 0; ctx && i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char path[256];
		fwt_swid *s = NULL;
		fwt_swid_verify_result r;
		snprintf(path, sizeof(path), TD "/bad/%s.swidtag", hostile[i]);
		if (fwt_swid_load(ctx, &s, path) != FWT_OK)
			continue;
		yes += verify_with(ctx, s, TD "/keys/rsa-signer.pem", NULL, 0, &r) == FWT_OK;
		yes += verify_with(ctx, s, NULL, TD "/keys/ca.pem", 0, &r) == FWT_OK;
		fwt_swid_free(s);
	}
	fwt_ctx_free(ctx);
	return ctx && !yes ? 0 : 1;
}

static void test_no_fetch(void)
{
	char log[] = "/tmp/swid-strace-XXXXXX", self[4096], line[4096];
	char *argv[] = { "strace", "-f", "-qq", "-e", "trace=connect,open,openat,socket", "-o", log, self,
		         "--hostile", NULL };
	char *vers[] = { "strace", "-V", NULL };
	ssize_t n;
	int fd, opens = 0, bad = 0;
	FILE *f;

	if (run_quiet(vers) != 0)
		T_SKIP("strace is not installed");
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	T_ASSERT(n > 0);
	self[n] = '\0';
	fd = mkstemp(log);
	T_ASSERT(fd >= 0);
	close(fd);
	/* LeakSanitizer cannot run under ptrace: off in the traced child */
	{
		const char *old = getenv("ASAN_OPTIONS");
		char opts[512];
		snprintf(opts, sizeof(opts), "%s%sdetect_leaks=0", old ? old : "", old && *old ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
	}
	T_EQ_INT(run_quiet(argv), 0);
	f = fopen(log, "r");
	T_ASSERT(f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "open"))
			opens++;
		if (strstr(line, "connect(") || strstr(line, "socket(") || strstr(line, "/etc/passwd") ||
		    strstr(line, "evil.dtd") || strstr(line, "swid.xsd") || strstr(line, "key.xml")) {
			fprintf(stderr, "  %s", line);
			bad = 1;
		}
	}
	fclose(f);
	unlink(log);
	T_ASSERT(opens > 10); /* the trace did record the run */
	T_ASSERT(!bad);
}

/* ---- a crypto backend that cannot check is no "no" ---- */

/* Run as a child under a FIPS-only openssl.cnf and no FIPS provider: the
 * XMLDSig step (OpenSSL's default context) can fetch nothing. */
static int fips_only_run(void)
{
	fwt_ctx *ctx = new_ctx();
	fwt_swid *s = NULL;
	fwt_swid_verify_result r;
	fwt_err err;

	if (!ctx || fwt_swid_load(ctx, &s, TD "/good/base-rsa-sha256.swidtag") != FWT_OK)
		return 2;
	err = verify_with(ctx, s, NULL, TD "/keys/ca.pem", 0, &r);
	fwt_swid_free(s);
	fwt_ctx_free(ctx);
	return err == FWT_ECRYPTO ? 0 : err == FWT_OK ? 3 : 1;
}

static void test_backend_failure_is_no_answer(void)
{
	static const char text[] = "openssl_conf = openssl_init\n[openssl_init]\nalg_section = algs\n"
	                           "[algs]\ndefault_properties = fips=yes\n";
	char conf[] = "/tmp/swid-fips-XXXXXX", self[4096];
	char *argv[] = { self, "--fips-only", NULL };
	ssize_t n;
	int fd, rc;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	T_ASSERT(n > 0);
	self[n] = '\0';
	fd = mkstemp(conf);
	T_ASSERT(fd >= 0);
	T_ASSERT(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(fd);
	setenv("OPENSSL_CONF", conf, 1);
	rc = run_quiet(argv);
	unsetenv("OPENSSL_CONF");
	unlink(conf);
	T_EQ_INT(rc, 0); /* FWT_ECRYPTO, not FWT_EVERIFY (1) */
}

/* Two Files of one name in two Directories name one support RIM beside
 * the tag: both are checked (read once when they claim the same), and a
 * second File claiming another hash is still a mismatch. */
static void test_support_named_twice(void)
{
	size_t len, n, checked = 0;
	char *tag = (char *)t_slurp(TD "/good/base-rsa-sha256.swidtag", &len), *a, *e, *text;
	const char *tail;
	fwt_swid *s = NULL;
	fwt_ctx *ctx = new_ctx();
	int pass;

	T_ASSERT(tag && ctx);
	a = strstr(tag, "<File ");
	T_ASSERT(a != NULL);
	e = strstr(a, "/>");
	T_ASSERT(e != NULL);
	e += 2;
	for (pass = 0; pass < 2; pass++) {
		/* ... <File/></Directory><Directory name="other"><File/> ... */
		static const char mid[] = "</Directory><Directory name=\"other\">";
		n = (size_t)(e - tag) + sizeof(mid) - 1 + (size_t)(e - a) + strlen(e);
		text = malloc(n + 1);
		T_ASSERT(text != NULL);
		memcpy(text, tag, (size_t)(e - tag));
		memcpy(text + (e - tag), mid, sizeof(mid) - 1);
		memcpy(text + (e - tag) + sizeof(mid) - 1, a, (size_t)(e - a));
		tail = e;
		memcpy(text + (e - tag) + sizeof(mid) - 1 + (e - a), tail, strlen(tail) + 1);
		if (pass) { /* the second File's hash, one digit changed */
			char *h = strstr(text + (e - tag) + sizeof(mid) - 1, "hash=\"");
			T_ASSERT(h != NULL);
			h[6] = h[6] == '0' ? '1' : '0';
		}
		T_EQ_INT(fwt_swid_parse(ctx, &s, text, n, "twice"), FWT_OK);
		T_EQ_INT(fwt_swid_file_count(s), 2);
		T_EQ_INT(fwt_swid_check_support(ctx, s, TD "/good/base-rsa-sha256.swidtag", NULL, &checked),
		         pass ? FWT_EVERIFY : FWT_OK);
		T_EQ_INT(checked, pass ? 1 : 2);
		fwt_swid_free(s);
		s = NULL;
		free(text);
	}
	free(tag);
	fwt_ctx_free(ctx);
}

/* A stream of zeros that ends only after 1 MiB; counts what it gave. */
static size_t zeros_given;
static ssize_t zeros_read(void *payload, void *buf, size_t len)
{
	(void)payload;
	if (zeros_given >= (1u << 20))
		return 0;
	if (len > (1u << 20) - zeros_given)
		len = (1u << 20) - zeros_given;
	memset(buf, 0, len);
	zeros_given += len;
	return (ssize_t)len;
}

/* A support RIM is read no further than its File's size (plus one byte to
 * tell it is longer), and only a regular file is opened by path: a FIFO or
 * /dev/zero beside the tag would otherwise be read for ever. */
static void test_support_bounded(void)
{
	fwt_ctx *ctx = new_ctx();
	fwt_swid *s = NULL;
	fwt_reader *r = NULL;
	unsigned char *tag;
	char dir[] = "/tmp/fwt-swid-XXXXXX", fifo[64];
	size_t len;

	T_ASSERT(ctx);
	tag = t_slurp(TD "/good/base-rsa-sha256.swidtag", &len);
	T_ASSERT(tag);
	T_EQ_INT(fwt_swid_parse(ctx, &s, tag, len, "base"), FWT_OK);
	free(tag);
	T_EQ_INT(fwt_swid_file_get(s, 0)->size, 4096);
	zeros_given = 0;
	T_EQ_INT(fwt_reader_from_callback(ctx, &r, zeros_read, NULL, "zeros"), FWT_OK);
	T_EQ_INT(fwt_swid_check_file(ctx, s, 0, r), FWT_EVERIFY);
	fwt_reader_free(r);
	T_ASSERT(zeros_given < 4096 + 65536);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "more than the 4096 bytes File 'acme-bios.rimel'") != NULL);
	/* by path: not a regular file, refused before a byte is read */
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, "/dev/zero"), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "support RIM '/dev/zero' is not a regular file") != NULL);
	T_ASSERT(mkdtemp(dir) != NULL);
	snprintf(fifo, sizeof(fifo), "%s/acme-bios.rimel", dir);
	T_EQ_INT(mkfifo(fifo, 0600), 0);
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, fifo), FWT_EIO);
	T_EQ_INT(fwt_swid_check_file_path(ctx, s, 0, dir), FWT_EIO);
	unlink(fifo);
	rmdir(dir);
	fwt_swid_free(s);
	fwt_ctx_free(ctx);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--hostile"))
		return hostile_run();
	if (argc > 1 && !strcmp(argv[1], "--fips-only"))
		return fips_only_run();
	T_RUN(test_corpus_expected);
	T_RUN(test_corpus_hirs_model);
	T_RUN(test_corpus_ci_signers);
	T_RUN(test_good_fixtures);
	T_RUN(test_forged_and_wrong_keys);
	T_RUN(test_bad_fixtures);
	T_RUN(test_timestamp);
	T_RUN(test_keyinfo_never_selects);
	T_RUN(test_model_and_json);
	T_RUN(test_backend_failure_is_no_answer);
	T_RUN(test_one_char_changes);
	T_RUN(test_truncation);
	T_RUN(test_size_cap);
	T_RUN(test_depth);
	T_RUN(test_markup_limits);
	T_RUN(test_sniff);
	T_RUN(test_threads);
	T_RUN(test_silent);
	T_RUN(test_no_fetch);
	T_RUN(test_support_named_twice);
	T_RUN(test_support_bounded);
	return t_done();
}
