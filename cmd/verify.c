/* SPDX-License-Identifier: Apache-2.0 */
/* verify.c - `fwtrail verify`: check detached signatures (raw, CMS or COSE,
 * told apart by their bytes) over files with one trusted key or certificate,
 * which must not be revoked, nor a certificate outside its validity. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

static const char *const verify_usage[] = {
	"fwtrail verify (--key pub.pem | --cert cert.pem) [--revoked file] ... [--at time] [--json] "
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

/* 0 valid, 1 not, else an error, its message in msg (the context's, and
 * a hint when the signature and the signed file look swapped). */
static fwt_err verify_pair(struct cli *cli, const fwt_trust *trust, const fwt_pubkey *key, const char *sigpath,
                           const char *path, fwt_sigfile_info *info, char *msg, size_t msglen)
{
	unsigned char *sig = NULL;
	size_t siglen = 0;
	fwt_reader *r = NULL;
	fwt_sigfile_format fmt;
	fwt_err err;

	/* either may be standard input, "-" (cli_stdin_once: not both) */
	err = cli_read_input(cli, sigpath, 1u << 20, 1, &sig, &siglen);
	if (!err)
		err = strcmp(path, "-") ? fwt_reader_open_file(cli->ctx, &r, path, 1)
		                        : fwt_reader_from_fd(cli->ctx, &r, STDIN_FILENO, "-");
	if (!err)
		err = fwt_sigfile_verify(cli->ctx, key, sig, siglen, r, info);
	if (!err) /* a good signature by a revoked or out-of-date key is a no */
		err = fwt_trust_check_key(cli->ctx, trust, key, 0, NULL);
	fwt_reader_free(r);
	snprintf(msg, msglen, "%s", fwt_ctx_errmsg(cli->ctx));
	if (err == FWT_EFORMAT && fwt_sigfile_detect(sig, siglen, &fmt) != FWT_OK && swapped(cli, key, sigpath, path)) {
		size_t n = strlen(msg);
		snprintf(msg + n, msglen - n, "; '%s' is one: the order is SIG FILE (the signature, then the signed file)",
		         path);
	}
	free(sig);
	return err;
}

int cmd_verify(int argc, char **argv, struct cli *cli)
{
	struct verify_opts {
		const char *key, *cert, *at;
		struct cli_list revoked;
	} opts = { NULL, NULL, NULL, { NULL, 0 } };
	const struct cli_opt table[] = {
		{ 'k', "key", CLI_STR, &opts.key, "pub.pem", "the signer's public key (PEM, DER or JWK)" },
		{ 0, "cert", CLI_STR, &opts.cert, "cert.pem", "the signer's certificate (its key is trusted)" },
		{ 0, "revoked", CLI_LIST, &opts.revoked, "file", "revoked keys: SHA-256 fingerprints, one a line (repeatable)" },
		{ 0, "at", CLI_STR, &opts.at, "time", "a certificate must be valid at this RFC 3339 time, not now" },
		CLI_OPT_END
	};
	fwt_pubkey *key = NULL;
	fwt_trust *trust = NULL;
	int64_t at = 0;
	size_t j;
	json_t *obj = NULL, *results = NULL;
	fwt_err err, worst = FWT_OK, gravest = FWT_OK;
	int rc, i;

	cli->usage = verify_usage;
	cli->summary = "Verify detached signatures made by 'fwtrail sign' (or by openssl): raw DER\n"
	               "ECDSA / RSA-PSS, CMS or COSE; the format is told from the signature.  Each pair\n"
	               "is the signature, then the file it signs.  Exit 0 when every signature is\n"
	               "valid, 1 when one is not, 4 for a malformed signature file.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto done;
	rc = -1;
	if (!opts.key == !opts.cert)
		rc = cli_usage_error(cli, "give one of --key and --cert");
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
	err = opts.key ? fwt_pubkey_load(cli->ctx, &key, opts.key) : fwt_pubkey_load_cert(cli->ctx, &key, opts.cert);
	if (!err && opts.cert && !fwt_pubkey_has_cert(key)) {
		rc = cli_usage_error(cli, "'%s' is not a certificate (use --key for a public key)", opts.cert);
		goto done;
	}
	/* the key in a store of its own, for its revocations and validity */
	if (!err)
		err = fwt_trust_new(cli->ctx, &trust);
	if (!err) {
		fwt_trust_set_time(trust, at ? at : (int64_t)time(NULL));
		err = fwt_trust_add_key(trust, key);
	}
	for (j = 0; !err && j < opts.revoked.n; j++)
		err = fwt_trust_add_revoked(trust, opts.revoked.v[j]);
	if (err) {
		rc = cli_exit(cli, err);
		goto done;
	}
	if (cli->json) {
		obj = cli_json_new(cli);
		results = json_array();
		cli_json_set_name(obj, "key", fwt_pubkey_name(key));
	}
	for (i = 0; i < argc; i += 2) {
		fwt_sigfile_info info;
		const char *sigpath = argv[i], *path = argv[i + 1];
		char msg[2048];

		memset(&info, 0, sizeof(info)); /* a pair that fails before the check leaves it unset */
		fwt_ctx_clear_error(cli->ctx);
		err = verify_pair(cli, trust, key, sigpath, path, &info, msg, sizeof(msg));
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
	free(opts.revoked.v);
	return rc;
}
