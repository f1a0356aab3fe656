/* SPDX-License-Identifier: Apache-2.0 */
/* sign.c - `fwtrail sign`: detached signatures over firmware files with a
 * PKCS#11 or PEM key; many files per call, one login, every core. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

/* The algorithms firmware is signed with (OCP): --alg may name only these. */
static int firmware_alg(fwt_sig_alg a)
{
	return a == FWT_SIG_ES384 || a == FWT_SIG_ES512 || a == FWT_SIG_PS384 || a == FWT_SIG_PS512;
}

static const char *const sign_usage[] = {
	"fwtrail sign --key key [--format raw | cms | cose] [--cert cert.pem] [--alg alg] [--pin-file file] "
	"[--timeout seconds] [--force-final-try] "
	"[-o out | --out-dir dir] [--force] [--follow-symlinks] [--json] file ...",
	NULL
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	static const char msg[] = "fwtrail sign: interrupted again: not waiting for the token\n";

	if (interrupted) {
		/* the first one is waiting for a token call that does not return
		 * (no --timeout): end now, the default way */
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
			/* nothing to do about it */
		}
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	interrupted = 1;
}

/* SIGINT/SIGTERM only set a flag: the batch stops, nothing half-written
 * stays, and the modules are finalised on the way out.  A second one ends
 * the process at once, for a token that never answers. */
static void catch_signals(struct sigaction *old_int, struct sigaction *old_term)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old_int);
	sigaction(SIGTERM, &sa, old_term);
}

/* Where standard input is in the regular file it is redirected from (0
 * when it is not one): a file is signed whole, and a script that read a
 * header from it first would otherwise have the rest signed as the file. */
static long long stdin_offset(void)
{
	struct stat st;
	off_t at;

	if (fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	at = lseek(STDIN_FILENO, 0, SEEK_CUR);
	return at > 0 ? (long long)at : 0;
}

/* Where the signature of in goes. */
static char *out_name(const char *in, const char *out, const char *dir, const char *suffix)
{
	const char *base = strrchr(in, '/');
	size_t n;
	char *s;

	if (out)
		return strdup(out);
	base = base ? base + 1 : in;
	n = (dir ? strlen(dir) + 1 + strlen(base) : strlen(in)) + strlen(suffix) + 1;
	s = malloc(n);
	if (s && dir)
		snprintf(s, n, "%s%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", base, suffix);
	else if (s)
		snprintf(s, n, "%s%s", in, suffix);
	return s;
}

static void report(struct cli *cli, fwt_key *k, fwt_sigfile_format fmt, fwt_sign_item *it, size_t n, fwt_err err)
{
	fwt_digest_alg md = fwt_sig_alg_digest(fwt_key_alg(k));
	size_t i, done = 0;
	json_t *obj, *files;

	for (i = 0; i < n; i++)
		done += it[i].done != 0;
	if (cli->json) {
		obj = cli_json_new(cli);
		cli_json_set_name(obj, "key", fwt_key_name(k));
		json_object_set_new(obj, "alg", json_string(fwt_sig_alg_name(fwt_key_alg(k))));
		json_object_set_new(obj, "format", json_string(fwt_sigfile_format_name(fmt)));
		json_object_set_new(obj, "signed", json_integer((json_int_t)done));
		files = json_array();
		for (i = 0; i < n; i++) {
			json_t *f = json_object();
			cli_json_set_name(f, "input", it[i].input);
			cli_json_set_name(f, "output", it[i].output ? it[i].output : "-");
			json_object_set_new(f, "signed", json_boolean(it[i].done));
			if (it[i].dlen) {
				json_object_set_new(f, fwt_digest_name(md), cli_json_hex(it[i].digest, it[i].dlen));
				json_object_set_new(f, "size", json_integer((json_int_t)it[i].size));
			}
			json_array_append_new(files, f);
		}
		json_object_set_new(obj, "files", files);
		cli_json_emit(cli, obj, err);
		return;
	}
	for (i = 0; i < n && cli->verbose; i++)
		if (it[i].done && it[i].output)
			cli_info(cli, 1, "signed '%s' -> '%s'", it[i].input, it[i].output);
	if (!err && !cli->quiet && (n > 1 || it[0].output))
		printf("signed %zu file%s with %s (%s %s)\n", n, n == 1 ? "" : "s", fwt_key_name(k),
		       fwt_sig_alg_name(fwt_key_alg(k)), fwt_sigfile_format_name(fmt));
}

/* After the error line: which files were signed before a failure. */
static void report_partial(struct cli *cli, fwt_sign_item *it, size_t n)
{
	char list[1024] = "";
	size_t i, done = 0, listed = 0, l;

	for (i = 0; i < n; i++) {
		if (!it[i].done)
			continue;
		done++;
		l = strlen(list);
		if (listed++ < 8)
			snprintf(list + l, sizeof(list) - l, "%s'%s'", listed > 1 ? ", " : "", it[i].output);
	}
	if (done == n) /* stopped (a signal) as the last one was written */
		cli_error(cli, "%s %zu file%s %s signed before it stopped: %s%s; each signature is whole",
		          n == 1 ? "the" : "all", n, n == 1 ? "" : "s", n == 1 ? "was" : "were", list,
		          listed > 8 ? ", ..." : "");
	else if (done)
		cli_error(cli, "%zu of %zu files %s signed before the failure: %s%s; no other file was written", done, n,
		          done == 1 ? "was" : "were", list, listed > 8 ? ", ..." : "");
}

int cmd_sign(int argc, char **argv, struct cli *cli)
{
	struct sign_opts {
		const char *key, *format, *cert, *alg, *pin_file, *out, *out_dir;
		int force, follow;
	} opts = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0 };
	struct cli_token tok = { NULL, 0, 0 };
	const struct cli_opt table[] = {
		{ 'k', "key", CLI_STR, &opts.key, "key", "a pkcs11: URI or a PEM private key file" },
		{ 'f', "format", CLI_STR, &opts.format, "raw|cms|cose", "raw signature (default), detached CMS or detached COSE_Sign1" },
		{ 0, "cert", CLI_STR, &opts.cert, "cert.pem", "the signer's certificate (cms)" },
		{ 0, "alg", CLI_STR, &opts.alg, "alg", "ES384, ES512, PS384 or PS512: must be the key's" },
		{ 0, "pin-file", CLI_STR, &opts.pin_file, "file", "the token's PIN is in this file (mode 0600)" },
		CLI_TOKEN_OPTS(tok),
		{ 'o', "output", CLI_STR, &opts.out, "out", "the signature file (one input; - for stdout)" },
		{ 0, "out-dir", CLI_STR, &opts.out_dir, "dir", "write FILE.sig, FILE.p7s or FILE.cose into this folder" },
		{ 0, "force", CLI_FLAG, &opts.force, NULL, "replace existing signature files" },
		{ 0, "follow-symlinks", CLI_FLAG, &opts.follow, NULL, "sign through symbolic links given as files" },
		CLI_OPT_END
	};
	fwt_sign_options so = FWT_SIGN_OPTIONS_INIT;
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	struct sigaction old_int, old_term;
	fwt_sign_item *items = NULL;
	fwt_pubkey *cert = NULL;
	fwt_key *k = NULL;
	struct cli_pin pin;
	struct cli_out o;
	struct stat st;
	fwt_sig_alg want;
	fwt_err err = FWT_OK;
	long long at;
	int rc, i, to_stdout;

	cli->usage = sign_usage;
	cli->summary = "Sign firmware files with a key on a PKCS#11 token or in a PEM file: one\n"
	               "detached signature per file, raw (DER ECDSA / RSA-PSS), CMS or COSE_Sign1,\n"
	               "written atomically beside each file (FILE.sig, FILE.p7s, FILE.cose) unless\n"
	               "-o or --out-dir.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	rc = cli_token_check(cli, &tok);
	if (rc >= 0)
		return rc;
	if (!opts.key)
		return cli_usage_error(cli, "--key is required");
	if (argc < 1)
		return cli_usage_error(cli, "no file to sign");
	if (fwt_sigfile_format_from_name(opts.format ? opts.format : "raw", &so.format) != FWT_OK)
		return cli_usage_error(cli, "--format must be raw, cms or cose");
	if (so.format == FWT_SIGFILE_CMS && !opts.cert)
		return cli_usage_error(cli, "--format cms needs --cert (the signer's certificate)");
	if (so.format != FWT_SIGFILE_CMS && opts.cert)
		return cli_usage_error(cli, "--cert goes with --format cms");
	if (opts.alg && (fwt_sig_alg_from_name(opts.alg, strlen(opts.alg), &want) != FWT_OK || !firmware_alg(want)))
		return cli_usage_error(cli, "unknown --alg '%s' (ES384, ES512, PS384, PS512)", opts.alg);
	if (opts.out && opts.out_dir)
		return cli_usage_error(cli, "-o and --out-dir exclude each other");
	if (opts.out && argc != 1)
		return cli_usage_error(cli, "-o takes one file to sign (use --out-dir for several)");
	/* a folder that is not there is an I/O error, as -o's is; a file
	 * named where a folder goes is a usage error */
	if (opts.out_dir && stat(opts.out_dir, &st) != 0) {
		cli_error(cli, "cannot write into folder '%s' (--out-dir): %s", opts.out_dir, strerror(errno));
		return EXIT_IO;
	}
	if (opts.out_dir && !S_ISDIR(st.st_mode))
		return cli_usage_error(cli, "--out-dir '%s' is not a folder", opts.out_dir);
	to_stdout = opts.out && !strcmp(opts.out, "-");
	if (to_stdout && cli->json)
		return cli_usage_error(cli, "--json needs -o file, not -o - (the signature cannot share stdout)");
	if (to_stdout && isatty(STDOUT_FILENO) && !opts.force)
		return cli_usage_error(cli, "not writing a binary signature to a terminal (use --force)");
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-"))
			continue;
		if (!opts.out)
			return cli_usage_error(cli, "standard input needs -o");
		if ((at = stdin_offset()) > 0)
			return cli_usage_error(cli, "standard input is a regular file read from byte %lld, not from its "
			                       "start: name the file to sign it whole", at);
	}
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	items = calloc((size_t)argc, sizeof(*items));
	if (!items)
		return cli_exit(cli, FWT_ENOMEM);
	for (i = 0; i < argc; i++) {
		items[i].input = argv[i];
		items[i].fd = strcmp(argv[i], "-") ? -1 : STDIN_FILENO;
		if (!to_stdout) {
			items[i].output = out_name(argv[i], opts.out, opts.out_dir, fwt_sigfile_suffix(so.format));
			if (!items[i].output) {
				err = FWT_ENOMEM;
				goto out;
			}
		}
	}
	if (opts.cert) {
		err = fwt_pubkey_load_cert(cli->ctx, &cert, opts.cert);
		if (!err && !fwt_pubkey_has_cert(cert)) {
			rc = cli_usage_error(cli, "'%s' is not a certificate", opts.cert);
			goto out_rc;
		}
		if (err)
			goto out;
	}
	cli_key_options(cli, &ko, opts.pin_file, &pin, &tok);
	err = cli_key_open(cli, &k, opts.key, &ko);
	cli_key_wipe(&pin);
	if (err)
		goto out;
	/* a key fwtrail does not sign firmware with is refused below, as
	 * unsupported (exit 6), whatever --alg says */
	if (opts.alg && firmware_alg(fwt_key_alg(k)) && want != fwt_key_alg(k)) {
		cli_error(cli, "key '%s' signs with %s, not %s (--alg only confirms the key's algorithm)", fwt_key_name(k),
		          fwt_key_alg(k) ? fwt_sig_alg_name(fwt_key_alg(k)) : "no supported algorithm", opts.alg);
		rc = EXIT_USAGE;
		goto out_rc;
	}
	/* a certificate that fwtrail verify --cert would refuse now (key
	 * usage, extended key usage, dates) makes signatures no verifier
	 * takes: said, though they are written (the mismatched key is the
	 * library's to refuse) */
	if (cert) {
		unsigned char f1[32], f2[32];
		if (fwt_pubkey_fingerprint(cert, f1) == FWT_OK && fwt_pubkey_fingerprint(fwt_key_pubkey(k), f2) == FWT_OK &&
		    !memcmp(f1, f2, 32) &&
		    fwt_trust_check_key_alg(cli->ctx, NULL, cert, fwt_key_alg(k), (int64_t)time(NULL), NULL) != FWT_OK)
			cli_warn(cli, "%s: 'fwtrail verify --cert' refuses the signatures it makes", fwt_ctx_errmsg(cli->ctx));
	}
	so.cert = cert;
	so.force = opts.force;
	so.follow = opts.follow;
	so.cancel = (const volatile int *)&interrupted;
	catch_signals(&old_int, &old_term);
	err = fwt_sign_files(cli->ctx, k, &so, items, (size_t)argc);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (!err && to_stdout) {
		err = cli_out_open(&o, cli, NULL, 0);
		if (!err)
			err = cli_out_write(&o, items[0].sig, items[0].siglen);
		if (err == FWT_EIO)
			err = FWT_OK; /* reported by the checked exit */
	}
	report(cli, k, so.format, items, (size_t)argc, err);
out:
	rc = cli_exit(cli, err);
	if (err && items && !cli->json && !to_stdout) /* to stdout: no file is written */
		report_partial(cli, items, (size_t)argc);
out_rc:
	if (items) {
		fwt_sign_items_clear(items, (size_t)argc);
		for (i = 0; i < argc && !to_stdout; i++)
			free((char *)items[i].output);
	}
	free(items);
	fwt_pubkey_free(cert);
	cli_key_close(cli, k);
	return rc;
}
