/* SPDX-License-Identifier: Apache-2.0 */
/* mutation_test.c - every published OCP SAFE report verifies as received,
 * and one-byte mutants of it never do: each byte of the header, payload,
 * signature and the dots between them is replaced by another base64url
 * character (a plausible forgery that still decodes) and by a byte outside
 * the alphabet (framing).  Two workers share the load. */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

#define MAX_REPORTS 512

static fwt_trust *trust;
static char *paths[MAX_REPORTS];
static size_t n_paths;

struct job {
	size_t first, step;
	unsigned long mutants, accepted, originals_failed;
	char failure[512];
};

static void find_reports(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	char p[4096];

	while (d && (de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			find_reports(p);
		else if (n > 4 && !strcmp(de->d_name + n - 4, ".jws") && n_paths < MAX_REPORTS)
			paths[n_paths++] = strdup(p);
	}
	if (d)
		closedir(d);
}

/* 0: verified, 1: refused, -1: error outside the verdict codes.  With
 * *key NULL the whole trust store is searched and *key set to the key that
 * verified; otherwise only *key is used (a mutant must not verify with the
 * very key that signed the original). */
static int verify(fwt_ctx *ctx, const unsigned char *tok, size_t len, const fwt_pubkey **key)
{
	fwt_jws *j = NULL;
	fwt_err err = fwt_jws_parse(ctx, &j, tok, len, NULL);

	if (!err)
		err = *key ? fwt_jws_verify(ctx, j, *key, NULL) : fwt_jws_verify_trust(ctx, j, trust, NULL, key);
	fwt_jws_free(j);
	if (err == FWT_OK)
		return 0;
	return err == FWT_EVERIFY || err == FWT_EFORMAT || err == FWT_EUNSUPPORTED ? 1 : -1;
}

static void *worker(void *arg)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	struct job *jb = arg;
	fwt_ctx *ctx = NULL;
	size_t r, i, len;
	unsigned char *tok;
	const fwt_pubkey *key;
	int v;

	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return NULL;
	for (r = jb->first; r < n_paths; r += jb->step) {
		tok = t_slurp(paths[r], &len);
		if (!tok)
			continue;
		while (len && (tok[len - 1] == '\n' || tok[len - 1] == '\r'))
			len--;
		key = NULL;
		if (verify(ctx, tok, len, &key) != 0) {
			jb->originals_failed++;
			snprintf(jb->failure, sizeof(jb->failure), "original %s: %s", paths[r], fwt_ctx_errmsg(ctx));
			free(tok);
			continue;
		}
		for (i = 0; i < len; i++) {
			unsigned char orig = tok[i];
			/* another character of the alphabet, chosen by position */
			unsigned char sub = (unsigned char)alphabet[(i * 7 + 13) % 64];
			if (sub == orig)
				sub = (unsigned char)alphabet[(i * 7 + 14) % 64];
			tok[i] = sub;
			v = verify(ctx, tok, len, &key);
			jb->mutants++;
			if (v != 1 && !jb->accepted++)
				snprintf(jb->failure, sizeof(jb->failure), "%s byte %zu '%c'->'%c': %s", paths[r], i, orig,
				         sub, v == 0 ? "ACCEPTED" : fwt_ctx_errmsg(ctx));
			/* framing: a byte outside the alphabet (every 5th position) */
			if (i % 5 == 0) {
				tok[i] = (unsigned char)"=+/ .\n\0"[i % 7];
				if (tok[i] == orig)
					tok[i] = '!';
				v = verify(ctx, tok, len, &key);
				jb->mutants++;
				if (v != 1 && !jb->accepted++)
					snprintf(jb->failure, sizeof(jb->failure), "%s byte %zu framing: %s", paths[r], i,
					         v == 0 ? "ACCEPTED" : fwt_ctx_errmsg(ctx));
			}
			tok[i] = orig;
		}
		free(tok);
	}
	fwt_ctx_free(ctx);
	return NULL;
}

static void test_published_report_mutants(void)
{
	const char *c = t_corpora();
	char p[1024];
	fwt_ctx *ctx;
	pthread_t tid[2];
	struct job jobs[2];
	unsigned long mutants = 0, accepted = 0, orig_failed = 0;
	size_t i;

	if (!c)
		T_SKIP("../shared/corpora not found");
	T_EQ_INT(fwt_ctx_new(&ctx, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &trust), FWT_OK);
	snprintf(p, sizeof(p), "%s/sfr/SRP_certificates", c);
	T_EQ_INT(fwt_trust_add_path(trust, p), FWT_OK);
	/* the samples' own test key signs the two samples */
	snprintf(p, sizeof(p), "%s/sfr/shortform_report-main/samples/testkey_ecdsa_p521.pub", c);
	T_EQ_INT(fwt_trust_add_path(trust, p), FWT_OK);
	snprintf(p, sizeof(p), "%s/sfr/shortform_report-main/samples/manifest/testkey_ecdsa_p521.pub", c);
	T_EQ_INT(fwt_trust_add_path(trust, p), FWT_OK);
	snprintf(p, sizeof(p), "%s/sfr", c);
	find_reports(p);
	T_ASSERT(n_paths >= 10);
	for (i = 0; i < 2; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].first = i;
		jobs[i].step = 2;
		T_ASSERT(pthread_create(&tid[i], NULL, worker, &jobs[i]) == 0);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(tid[i], NULL);
		mutants += jobs[i].mutants;
		accepted += jobs[i].accepted;
		orig_failed += jobs[i].originals_failed;
		if (jobs[i].failure[0])
			fprintf(stderr, "  %s\n", jobs[i].failure);
	}
	fprintf(stderr, "  mutation: %zu published reports, %lu one-byte mutants, %lu not refused\n", n_paths, mutants,
	        accepted);
	T_EQ_INT(orig_failed, 0);
	T_EQ_INT(accepted, 0);
	T_ASSERT(mutants > 20000);
	fwt_trust_free(trust);
	fwt_ctx_free(ctx);
	for (i = 0; i < n_paths; i++)
		free(paths[i]);
}

int main(void)
{
	T_RUN(test_published_report_mutants);
	return t_done();
}
