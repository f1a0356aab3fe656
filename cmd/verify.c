/* SPDX-License-Identifier: Apache-2.0 */
/* verify.c - `fwtrail verify`: check detached signatures (raw, CMS or COSE,
 * told apart by their bytes) over files with one trusted key or certificate,
 * or with a certificate (given, or inside a CMS signature) that validates to
 * trusted roots; none revoked, nor a certificate outside its validity. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

static const char *const verify_usage[] = {
	"fwtrail verify (--key pub.pem | --cert cert.pem) [--revoked file] ... [--at time] [--json] "
	"sig file [sig file ...]",
	"fwtrail verify --trust roots.pem ... [--cert cert.pem] [--revoked file] ... [--at time] [--json] "
	"sig file [sig file ...]",
	NULL
};

/* Whether path, read as the signature, verifies the file sigpath with key
 * (both files, not standard input): asked when the pair's signature
 * operand is no signature, as the operands are then given the wrong way
 * round.  Only a signature that verifies says so: a file that merely
 * reads as one (any 512 bytes read as an RSA block) does not. */
static int swapped(struct cli *cli, const fwt_pubkey *key, const char *sigpath, const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_reader *r = NULL;
	int yes = 0;

	if (strcmp(path, "-") && strcmp(sigpath, "-") && cli_read_input(cli, path, 1u << 20, 1, &buf, &len) == FWT_OK &&
	    fwt_reader_open_file(cli->ctx, &r, sigpath, 1) == FWT_OK)
		yes = fwt_sigfile_verify(cli->ctx, key, buf, len, r, NULL) == FWT_OK;
	fwt_reader_free(r);
	free(buf);
	return yes;
}

/* The fingerprint of the key a pair was checked with, as key export prints
 * it, in fp (*has_fp 1): the signer that validated, else the key given
 * (--key, or --cert's), else the signer's certificate inside a CMS
 * signature; none when the check never came to a key (a malformed or
 * unreadable file, an algorithm not verified). */
static void pair_key_fingerprint(struct cli *cli, fwt_err err, const fwt_pubkey *signer, const fwt_pubkey *key,
                                 const unsigned char *sig, size_t siglen, unsigned char fp[32], int *has_fp)
{
	fwt_pubkey **cms = NULL;
	size_t n = 0;

	*has_fp = 0;
	if (err != FWT_OK && err != FWT_EVERIFY)
		return;
	if (signer || key) {
		*has_fp = fwt_pubkey_fingerprint(signer ? signer : key, fp) == FWT_OK;
		return;
	}
	/* --trust alone: a CMS signature's own signer, named by it whether or
	 * not it validated (none when no certificate matches its name) */
	if (sig && fwt_sigfile_signer_chain(cli->ctx, sig, siglen, &cms, &n) == FWT_OK && n)
		*has_fp = fwt_pubkey_fingerprint(cms[0], fp) == FWT_OK;
	while (n)
		fwt_pubkey_free(cms[--n]);
	free(cms);
}

/* 0 valid, 1 not, else an error, its message in msg (the context's, and
 * a hint when the signature and the signed file look swapped).  With topts
 * (--trust), the signer's certificate must validate to the roots: key, when
 * given (--cert), or else the one inside a CMS signature; *signer is then
 * the certificate trusted.  fp and *has_fp (--json only):
 * pair_key_fingerprint's. */
static fwt_err verify_pair(struct cli *cli, const fwt_trust *trust, const fwt_sigfile_trust_options *topts,
                           const fwt_pubkey *key, const char *sigpath, const char *path, fwt_sigfile_info *info,
                           fwt_pubkey **signer, char *msg, size_t msglen, unsigned char fp[32], int *has_fp)
{
	unsigned char *sig = NULL;
	size_t siglen = 0;
	fwt_reader *r = NULL;
	fwt_sigfile_format fmt;
	fwt_err err;

	/* either may be standard input, "-" (cli_stdin_once: not both) */
	err = cli_read_input(cli, sigpath, 1u << 20, 1, &sig, &siglen);
	/* only a CMS signature carries its signer's certificate */
	if (!err && topts && !key && fwt_sigfile_detect(sig, siglen, &fmt) == FWT_OK && fmt != FWT_SIGFILE_CMS) {
		snprintf(msg, msglen, "a %s signature names no signer: give the signer's certificate with --cert",
		         fmt == FWT_SIGFILE_RAW ? "raw" : "COSE");
		free(sig);
		return FWT_EINVAL;
	}
	if (!err)
		err = strcmp(path, "-") ? fwt_reader_open_file(cli->ctx, &r, path, 1)
		                        : fwt_reader_from_fd(cli->ctx, &r, STDIN_FILENO, "-");
	if (!err && topts)
		err = fwt_sigfile_verify_trusted(cli->ctx, topts, sig, siglen, r, info, signer);
	else if (!err)
		err = fwt_sigfile_verify(cli->ctx, key, sig, siglen, r, info);
	if (!err && !topts) /* a good signature by a revoked or out-of-date key is a no */
		err = fwt_trust_check_key(cli->ctx, trust, key, 0, NULL);
	fwt_reader_free(r);
	snprintf(msg, msglen, "%s", fwt_ctx_errmsg(cli->ctx));
	if (err == FWT_EFORMAT && key && fwt_sigfile_detect(sig, siglen, &fmt) != FWT_OK &&
	    swapped(cli, key, sigpath, path)) {
		size_t n = strlen(msg);
		snprintf(msg + n, msglen - n, "; '%s' is one: the order is SIG FILE (the signature, then the signed file)",
		         path);
	}
	if (cli->json)
		pair_key_fingerprint(cli, err, *signer, key, sig, siglen, fp, has_fp);
	free(sig);
	return err;
}

/* True when the store holds a certificate, an anchor for a chain. */
static int store_has_cert(const fwt_trust *t)
{
	size_t i;

	for (i = 0; i < fwt_trust_count(t); i++)
		if (fwt_pubkey_has_cert(fwt_trust_key(t, i)))
			return 1;
	return 0;
}

/* The --trust paths, quoted, comma-separated, cut short to fit buf. */
static const char *trust_names(const struct cli_list *l, char *buf, size_t cap)
{
	size_t i, n = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < l->n && n < cap; i++) {
		w = snprintf(buf + n, cap - n, "%s'%s'", i ? ", " : "", l->v[i]);
		if (w < 0 || (size_t)w >= cap - n) {
			snprintf(buf + (cap > 5 ? cap - 5 : 0), cap > 5 ? 5 : cap, "...");
			break;
		}
		n += (size_t)w;
	}
	return buf;
}

/* {"subject", "sha256" (of the certificate, as openssl x509 -fingerprint
 * -sha256 gives it), "key_fingerprint" (of its key, as fwtrail key export
 * and --revoked take it)} of a signer's certificate. */
static json_t *signer_json(fwt_ctx *ctx, const fwt_pubkey *cert)
{
	json_t *o = json_object();
	unsigned char *der = NULL, d[32];
	size_t len = 0;

	json_object_set_new(o, "subject", cli_json_text(fwt_pubkey_cert_subject(cert)));
	if (fwt_pubkey_cert_der(cert, &der, &len) == FWT_OK &&
	    fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, der, len, d) == FWT_OK)
		json_object_set_new(o, "sha256", cli_json_hex(d, sizeof(d)));
	if (fwt_pubkey_fingerprint(cert, d) == FWT_OK)
		json_object_set_new(o, "key_fingerprint", cli_json_hex(d, sizeof(d)));
	free(der);
	return o;
}

int cmd_verify(int argc, char **argv, struct cli *cli)
{
	struct verify_opts {
		const char *key, *cert, *at;
		struct cli_list revoked, trust;
	} opts = { NULL, NULL, NULL, { NULL, 0 }, { NULL, 0 } };
	const struct cli_opt table[] = {
		{ 'k', "key", CLI_STR, &opts.key, "pub.pem", "the signer's public key (PEM, DER or JWK)" },
		{ 0, "cert", CLI_STR, &opts.cert, "cert.pem",
		  "the signer's certificate (its key is trusted; with --trust, validated, intermediates after it)" },
		{ 't', "trust", CLI_LIST, &opts.trust, "roots.pem",
		  "trusted root or intermediate certificates: a PEM file or a folder (repeatable)" },
		{ 0, "revoked", CLI_LIST, &opts.revoked, "file", "revoked keys: SHA-256 fingerprints, one a line (repeatable)" },
		{ 0, "at", CLI_STR, &opts.at, "time", "a certificate must be valid at this RFC 3339 time, not now" },
		CLI_OPT_END
	};
	fwt_sigfile_trust_options to = FWT_SIGFILE_TRUST_OPTIONS_INIT;
	fwt_pubkey *key = NULL, **chain = NULL;
	fwt_trust *trust = NULL;
	size_t nchain = 0;
	int64_t at = 0;
	size_t j;
	char msgbuf[1024];
	json_t *obj = NULL, *results = NULL;
	fwt_err err, worst = FWT_OK, gravest = FWT_OK;
	int rc, i;

	cli->usage = verify_usage;
	cli->summary = "Verify detached signatures made by 'fwtrail sign' (or by openssl): raw DER\n"
	               "ECDSA / RSA-PSS, CMS or COSE; the format is told from the signature.  Each pair\n"
	               "is the signature, then the file it signs.  The signer is one trusted key or\n"
	               "certificate, or, with --trust, a certificate (--cert, or the one inside a CMS\n"
	               "signature) that validates to the trusted roots.  Exit 0 when every signature\n"
	               "is valid, 1 when one is not, 4 for a malformed signature file.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto done;
	rc = -1;
	if (opts.key && opts.trust.n)
		rc = cli_usage_error(cli, "--key does not go with --trust: a key is trusted as it is; give the signer's "
		                     "certificate with --cert, or none for a CMS signature");
	else if (opts.key && opts.cert)
		rc = cli_usage_error(cli, "give one of --key and --cert");
	else if (!opts.key && !opts.cert && !opts.trust.n)
		rc = cli_usage_error(cli, "give --key, --cert or --trust");
	else if (argc < 2 || argc % 2)
		rc = cli_usage_error(cli, "give pairs of signature file and signed file");
	else if ((rc = cli_stdin_once(cli, (const char *const *)argv, (size_t)argc)) >= 0)
		;
	else if (opts.at && (rc = cli_parse_time(cli, "--at", opts.at, &at)) >= 0)
		;
	else if (!cli_ctx(cli))
		rc = EXIT_INTERNAL;
	if (rc >= 0)
		goto done;
	err = FWT_OK;
	if (opts.key)
		err = fwt_pubkey_load(cli->ctx, &key, opts.key);
	else if (opts.cert)
		err = fwt_pubkey_load_cert(cli->ctx, &key, opts.cert);
	/* with --trust, the certificate file may go on with intermediates */
	if (err == FWT_EFORMAT && opts.cert && opts.trust.n) {
		err = fwt_pubkey_load_all(cli->ctx, opts.cert, &chain, &nchain);
		if (!err && nchain)
			key = fwt_pubkey_ref(chain[0]);
	} else if (!err && opts.cert) {
		chain = malloc(sizeof(*chain));
		if (!chain) {
			rc = EXIT_INTERNAL;
			goto done;
		}
		chain[nchain++] = fwt_pubkey_ref(key);
	}
	/* with --trust, a bare key is no use (it anchors nothing, and
	 * --key does not go with --trust): the item is named in a chain */
	for (j = 0; !err && opts.cert && j < (nchain ? nchain : 1); j++)
		if (!nchain || !fwt_pubkey_has_cert(chain[j])) {
			if (nchain > 1)
				rc = cli_usage_error(cli, "'%s': item %zu of %zu is not a certificate: the file holds the "
				                     "signer's certificate, then its intermediates", opts.cert, j + 1,
				                     nchain);
			else if (opts.trust.n)
				rc = cli_usage_error(cli, "'%s' is not a certificate: with --trust, give the signer's "
				                     "certificate", opts.cert);
			else
				rc = cli_usage_error(cli, "'%s' is not a certificate (use --key for a public key)",
				                     opts.cert);
			goto done;
		}
	/* the roots, or else the key in a store of its own, for its
	 * revocations and validity */
	if (!err)
		err = fwt_trust_new(cli->ctx, &trust);
	if (!err)
		fwt_trust_set_time(trust, at ? at : (int64_t)time(NULL));
	for (j = 0; !err && j < opts.trust.n; j++)
		err = fwt_trust_add_path(trust, opts.trust.v[j]);
	/* roots that are no certificate anchor no chain: said once, not
	 * for every pair */
	if (!err && opts.trust.n && !store_has_cert(trust)) {
		rc = cli_usage_error(cli, "no certificate in --trust %s: a chain validates to a certificate (bare "
		                     "public keys anchor none)", trust_names(&opts.trust, msgbuf, sizeof(msgbuf)));
		goto done;
	}
	if (!err && !opts.trust.n)
		err = fwt_trust_add_key(trust, key);
	for (j = 0; !err && j < opts.revoked.n; j++)
		err = fwt_trust_add_revoked(trust, opts.revoked.v[j]);
	if (err) {
		rc = cli_exit(cli, err);
		goto done;
	}
	if (cli->json) {
		obj = cli_json_new(cli);
		results = json_array();
		if (key)
			cli_json_set_name(obj, "key", fwt_pubkey_name(key));
	}
	if (opts.trust.n) {
		to.trust = trust;
		to.chain = chain;
		to.chain_len = nchain;
	}
	for (i = 0; i < argc; i += 2) {
		fwt_sigfile_info info;
		const char *sigpath = argv[i], *path = argv[i + 1];
		fwt_pubkey *signer = NULL;
		unsigned char fp[32];
		int has_fp = 0;
		char msg[2048];

		memset(&info, 0, sizeof(info)); /* a pair that fails before the check leaves it unset */
		fwt_ctx_clear_error(cli->ctx);
		err = verify_pair(cli, trust, opts.trust.n ? &to : NULL, key, sigpath, path, &info, &signer, msg,
		                  sizeof(msg), fp, &has_fp);
		if (results) {
			json_t *r = json_object();
			/* names as given, kept when they are not UTF-8 (with *_hex) */
			cli_json_set_name(r, "signature", sigpath);
			cli_json_set_name(r, "file", path);
			json_object_set_new(r, "valid", err == FWT_OK ? json_true() : err == FWT_EVERIFY ? json_false()
			                                                                                 : json_null());
			/* each result's verdict as sfr verify and rim verify name it */
			json_object_set_new(r, "ok", json_boolean(err == FWT_OK));
			if (info.format)
				json_object_set_new(r, "format", json_string(fwt_sigfile_format_name(info.format)));
			if (info.alg)
				json_object_set_new(r, "alg", json_string(fwt_sig_alg_name(info.alg)));
			if (info.digest && (err == FWT_OK || err == FWT_EVERIFY))
				json_object_set_new(r, fwt_digest_name(info.digest),
				                    cli_json_hex(info.content_digest, fwt_digest_size(info.digest)));
			if (info.signer[0])
				json_object_set_new(r, "embedded_signer", cli_json_text(info.signer)); /* untrusted: informative */
			/* the key that verified or refused it, named as every
			 * command names a signing key's fingerprint */
			json_object_set_new(r, "key_fingerprint", has_fp ? cli_json_hex(fp, sizeof(fp)) : json_null());
			if (signer) /* validated to --trust */
				json_object_set_new(r, "signer", signer_json(cli->ctx, signer));
			if (err) {
				json_t *e = json_object();
				json_object_set_new(e, "code", json_string(fwt_err_name(err)));
				json_object_set_new(e, "message", cli_json_text(msg));
				json_object_set_new(r, "error", e);
			}
			json_array_append_new(results, r);
		}
		if (err == FWT_OK) {
			if (!cli->json && !cli->quiet) {
				printf("OK ");
				cli_puts_safe(stdout, path);
				printf(" (%s %s signature '", fwt_sig_alg_name(info.alg), fwt_sigfile_format_name(info.format));
				cli_puts_safe(stdout, sigpath);
				if (signer) {
					printf("' by '");
					cli_puts_safe(stdout, fwt_pubkey_cert_subject(signer));
				}
				printf("')\n");
			}
		} else if (err == FWT_EVERIFY) {
			if (!cli->json) {
				printf("FAIL ");
				cli_puts_safe(stdout, path);
				printf(" (signature '");
				cli_puts_safe(stdout, sigpath);
				printf("'): ");
				cli_puts_safe(stdout, msg);
				printf("\n");
			}
			if (!worst)
				worst = FWT_EVERIFY;
		} else {
			/* the pair is named by its signature, unless the message
			 * does already ("cannot open 'fw.sig'") */
			char q[4100]; /* a longer name keeps the prefix */
			snprintf(q, sizeof(q), "'%s'", sigpath);
			if (*msg && strstr(msg, q))
				cli_error(cli, "%s", msg);
			else
				cli_error(cli, "'%s': %s", sigpath, *msg ? msg : fwt_err_name(err));
			/* the most serious, whatever the order of the inputs */
			if (!gravest || cli_exit_code(err) > cli_exit_code(gravest))
				gravest = err;
		}
		fwt_pubkey_free(signer);
	}
	/* "could not tell" is never reported as a plain "no" */
	if (gravest)
		worst = gravest;
	if (obj) {
		json_object_set_new(obj, "results", results);
		json_object_set_new(obj, "ok", json_boolean(worst == FWT_OK));
		if (worst) {
			json_t *e = json_object();
			json_object_set_new(e, "code", json_string(fwt_err_name(worst)));
			json_object_set_new(e, "message", json_string(worst == FWT_EVERIFY ? "a signature is not valid"
			                                                                   : "a signature could not be checked"));
			json_object_set_new(obj, "error", e);
		}
		cli_json_emit(cli, obj, worst);
	}
	rc = cli_exit_code(worst);
done:
	fwt_trust_free(trust);
	fwt_pubkey_free(key);
	while (nchain)
		fwt_pubkey_free(chain[--nchain]);
	free(chain);
	free(opts.revoked.v);
	free(opts.trust.v);
	return rc;
}
