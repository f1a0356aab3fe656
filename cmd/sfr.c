/* SPDX-License-Identifier: Apache-2.0 */
/* sfr.c - `fwtrail sfr`: create, lint, sign, verify, show and convert OCP
 * SAFE Short Form Reports (JSON signed as JWS compact; CoRIM signed with
 * COSE). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

#define SHOW_MAX 200 /* bytes of one untrusted value shown on a line */

/* ---- helpers shared by the verbs ---- */

static void put_val(FILE *f, const char *s, size_t n)
{
	cli_put_safe(f, s, n > SHOW_MAX ? SHOW_MAX : n);
	if (n > SHOW_MAX)
		fputs("...", f);
}

static json_t *jstr(const char *s, size_t n)
{
	return s ? json_stringn(s, n) : json_null();
}

/* Load --trust paths, --key files and --revoked lists into one store whose
 * certificates must be valid at at (0: now, read once here).  Returns an
 * exit status, or -1 to go on. */
static int load_trust(struct cli *cli, const struct cli_list *trust, const struct cli_list *keys,
                      const struct cli_list *revoked, int64_t at, fwt_trust **out)
{
	fwt_pubkey *k;
	fwt_err err;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = cli_refuse_stdin_list(cli, "--trust", trust, CLI_WHY_TRUST)) >= 0 ||
	    (rc = cli_refuse_stdin_list(cli, "--key", keys, CLI_WHY_TRUST)) >= 0 ||
	    (revoked && (rc = cli_refuse_stdin_list(cli, "--revoked", revoked, "revocation lists are read from files")) >= 0))
		return rc;
	if (!trust->n && !keys->n)
		return -1;
	err = fwt_trust_new(cli->ctx, out);
	if (!err)
		fwt_trust_set_time(*out, at ? at : (int64_t)time(NULL));
	for (i = 0; !err && i < trust->n; i++)
		err = fwt_trust_add_path(*out, trust->v[i]);
	for (i = 0; !err && i < keys->n; i++) {
		err = fwt_pubkey_load(cli->ctx, &k, keys->v[i]);
		if (err == FWT_EFORMAT && cli_several_keys(cli, keys->v[i])) {
			fwt_trust_free(*out);
			*out = NULL;
			return EXIT_MALFORMED;
		}
		if (!err) {
			err = fwt_trust_add_key(*out, k);
			fwt_pubkey_free(k);
		}
	}
	for (i = 0; !err && revoked && i < revoked->n; i++)
		err = fwt_trust_add_revoked(*out, revoked->v[i]);
	if (!err && !fwt_trust_count(*out))
		return cli_usage_error(cli, "no public key or certificate found in the --trust paths");
	return err ? cli_exit(cli, err) : -1;
}

/* The --fw digests or --manifest of a folder or archive; a symbolic link
 * given as either is followed only when follow is set.  Returns an exit
 * status, or -1 to go on. */
static int load_binding(struct cli *cli, const char *fw, const char *man, int follow, fwt_digests *d,
                        fwt_manifest **m)
{
	fwt_manifest_options mo = FWT_MANIFEST_OPTIONS_INIT;
	fwt_digest_options o = FWT_DIGEST_OPTIONS_INIT;
	fwt_reader *r = NULL;
	fwt_err err;

	*m = NULL;
	if (fw && man)
		return cli_usage_error(cli, "give --fw or --manifest, not both");
	if (man && !strcmp(man, "-")) /* a stream's entries cannot be walked twice */
		return cli_usage_error(cli, "--manifest reads a folder or an archive file, not standard input ('-')");
	mo.follow = follow;
	if (man)
		return (err = fwt_manifest_build(cli->ctx, m, man, &mo)) ? cli_exit(cli, err) : -1;
	if (!fw)
		return -1;
	if (strcmp(fw, "-") && cli_is_folder(fw, follow))
		return cli_usage_error(cli, "'%s' is a folder (use --manifest for a folder or archive)", fw);
	/* "-": the image on standard input */
	err = strcmp(fw, "-") ? fwt_reader_open_file(cli->ctx, &r, fw, follow)
	                      : fwt_reader_from_fd(cli->ctx, &r, STDIN_FILENO, "-");
	if (!err)
		err = fwt_digest_reader(cli->ctx, r, &o, d);
	/* the firmware's digest: of a whole file, never of the rest of a
	 * standard input read in part before */
	if (!err)
		err = fwt_reader_check_whole(r);
	fwt_reader_free(r);
	return err ? cli_exit(cli, err) : -1;
}

static const char *status_name(fwt_err err)
{
	return err == FWT_OK ? "ok" : fwt_err_name(err);
}

/* One input's failure as every command's --json gives it ("error": code
 * and message; "status" and "reason" stay beside it). */
static json_t *item_error(fwt_err err, const char *msg)
{
	json_t *e = json_object();

	json_object_set_new(e, "code", json_string(status_name(err)));
	json_object_set_new(e, "message", cli_json_text(msg && *msg ? msg : fwt_err_name(err)));
	return e;
}

static void hex_fp(const unsigned char fp[32], char out[65])
{
	fwt_hex_encode(out, fp, 32);
}

/* ---- create ---- */

static json_t *dropped(struct cli *cli, const fwt_sfr *s, int corim);

static const char *const create_usage[] = {
	"fwtrail sfr create [--from report] [--vendor name] [--product name] [--category name] [--repo-tag tag] "
	"[--fw-version version] [--fw file | --manifest path | --fw-hash alg:hex ...] [--srp name] "
	"[--methodology name] [--completion-date date] [--report-version version] [--scope n] "
	"[--cvss-version version] [--framework-version version] [--issues file] [--format json | corim] [-o out] "
	"[--force] [--follow-symlinks] [--json]",
	NULL
};

/* --fw-hash sha384:HEX / sha512:HEX; the hash not given becomes "". */
static int set_fw_hashes(struct cli *cli, fwt_sfr *s, const struct cli_list *l)
{
	unsigned char d[FWT_DIGEST_MAX];
	unsigned seen = 0;
	fwt_digest_alg alg;
	char name[16];
	size_t i, n;

	for (i = 0; i < l->n; i++) {
		const char *spec = l->v[i], *colon = strchr(spec, ':');
		n = colon ? (size_t)(colon - spec) : 0;
		if (n && n < sizeof(name)) {
			memcpy(name, spec, n);
			name[n] = '\0';
		}
		if (!n || n >= sizeof(name) || fwt_digest_from_name(name, &alg) != FWT_OK ||
		    (alg != FWT_DIGEST_SHA384 && alg != FWT_DIGEST_SHA512) ||
		    fwt_hex_parse_digest(d, fwt_digest_size(alg), colon + 1, strlen(colon + 1)) != FWT_OK)
			return cli_usage_error(cli, "--fw-hash '%s' is not sha384:HEX (96 digits) or sha512:HEX (128 digits)",
			                       spec);
		if (seen & alg)
			return cli_usage_error(cli, "--fw-hash gives %s twice", fwt_digest_name(alg));
		seen |= alg;
		if (fwt_sfr_set_fw_hash(s, alg, d))
			return cli_exit(cli, FWT_ENOMEM);
	}
	if (!(seen & FWT_DIGEST_SHA384) && fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA384, NULL))
		return cli_exit(cli, FWT_ENOMEM);
	if (!(seen & FWT_DIGEST_SHA512) && fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA512, NULL))
		return cli_exit(cli, FWT_ENOMEM);
	return -1;
}

static json_t *findings_json(const fwt_sfr_finding *f, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "severity", json_string(f[i].severity == FWT_SFR_ERROR ? "error" : "warning"));
		json_object_set_new(o, "path", json_string(f[i].path));
		json_object_set_new(o, "message", json_string(f[i].message));
		json_array_append_new(a, o);
	}
	return a;
}


/* A report from a file or "-" (JSON, JWS, CoRIM, COSE; signature not
 * checked); *out owned.  A symbolic link at path is followed only when
 * follow is set (the commands that sign or build on the report refuse it
 * by default). */
/* The report at path, and (raw not NULL) the bytes it was read from, which
 * the caller frees. */
static fwt_err read_report_raw(struct cli *cli, const char *path, int follow, fwt_sfr **out, fwt_sfr_format *fmt,
                               unsigned char **raw, size_t *rawlen)
{
	fwt_sfr_verify_options vo = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_result res;
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	*out = NULL;
	*fmt = FWT_SFR_FORMAT_JSON;
	err = cli_read_input(cli, path, FWT_SFR_MAX_SIZE, follow, &buf, &len);
	if (err)
		return err;
	err = fwt_sfr_check_buffer(cli->ctx, &vo, buf, len, path, &res);
	if (raw && !err) {
		*raw = buf;
		*rawlen = len;
		buf = NULL;
	}
	free(buf);
	*out = res.sfr;
	*fmt = res.format;
	res.sfr = NULL;
	fwt_sfr_result_clear(&res);
	return err;
}

static fwt_err read_report(struct cli *cli, const char *path, int follow, fwt_sfr **out, fwt_sfr_format *fmt)
{
	return read_report_raw(cli, path, follow, out, fmt, NULL, NULL);
}

/* A report that could not be read: "fwtrail sfr X: 'path': <why>", unless
 * the library's message names it already (I/O and JSON errors do), as rim
 * names its inputs.  Returns the exit status. */
static int report_error(struct cli *cli, const char *path, fwt_err err)
{
	const char *msg = fwt_ctx_errmsg(cli->ctx);
	size_t n = strlen(path);
	char *q = malloc(n + 3);

	cli->last_err = err;
	if (q)
		snprintf(q, n + 3, "'%s'", path);
	if (!*msg)
		cli_error(cli, "'%s': %s", path, fwt_err_name(err));
	else if (!q || strstr(msg, q))
		cli_error(cli, "%s", msg);
	else
		cli_error(cli, "'%s': %s", path, msg);
	free(q);
	return cli_exit_code(err);
}

static int is_signed(fwt_sfr_format f)
{
	return f == FWT_SFR_FORMAT_JWS || f == FWT_SFR_FORMAT_COSE_SIGN1 || f == FWT_SFR_FORMAT_COSE_SIGN;
}

/* After a report was written to the file out (not standard output, where
 * the report is the output): "OUT: SFR (JSON) for 'VENDOR' 'PRODUCT',
 * firmware 'VERSION'", the names safely printed; nothing with -q or
 * --json. */
static void say_report(struct cli *cli, const fwt_sfr *s, int corim, const char *out)
{
	static const fwt_sfr_field f[] = { FWT_SFR_VENDOR, FWT_SFR_PRODUCT, FWT_SFR_FW_VERSION };
	const char *v;
	size_t i, n;

	if (cli->json || cli->quiet || !out || !strcmp(out, "-"))
		return;
	cli_puts_safe(stdout, out);
	printf(": SFR (%s) for", corim ? "CoRIM" : "JSON");
	for (i = 0; i < ARRAY_LEN(f); i++) {
		v = fwt_sfr_get(s, f[i], &n);
		if (f[i] == FWT_SFR_FW_VERSION && (!v || !n))
			break;
		fputs(f[i] == FWT_SFR_FW_VERSION ? ", firmware " : " ", stdout);
		cli_put_quoted(stdout, v, v ? n : 0);
	}
	fputc('\n', stdout);
}

/* Write a report in one form: pretty JSON text, or binary CoRIM (to a file,
 * or to stdout when it is not a terminal). */
static fwt_err write_report(struct cli *cli, const fwt_sfr *s, int corim, const char *path, int force, size_t *size)
{
	struct cli_out out;
	unsigned char *buf = NULL;
	char *text = NULL;
	size_t len = 0;
	fwt_err err;

	if (corim)
		err = fwt_sfr_to_corim(cli->ctx, s, NULL, &buf, &len);
	else
		err = fwt_sfr_serialize(cli->ctx, s, 1, &text, &len);
	if (!err)
		err = cli_out_open(&out, cli, path, force);
	if (!err) {
		err = cli_out_write(&out, corim ? (const void *)buf : text, len);
		if (!err)
			err = cli_out_commit(&out);
		else
			cli_out_abort(&out);
	}
	if (size)
		*size = len;
	free(buf);
	free(text);
	return err;
}

/* Binary output needs a file or a pipe. */
static int binary_to_terminal(const char *out)
{
	return (!out || !strcmp(out, "-")) && isatty(STDOUT_FILENO);
}

static int sfr_create(int argc, char **argv, struct cli *cli)
{
	struct create_opts {
		const char *from, *fw, *manifest, *issues, *out, *scope, *format;
		const char *v[FWT_SFR_FIELD_COUNT];
		struct cli_list fw_hash;
		int force, follow;
	} o;
	static const fwt_sfr_field required[] = { FWT_SFR_VENDOR, FWT_SFR_PRODUCT, FWT_SFR_REPO_TAG, FWT_SFR_FW_VERSION,
		                                  FWT_SFR_FW_HASH_SHA384, FWT_SFR_FW_HASH_SHA512, FWT_SFR_SRP,
		                                  FWT_SFR_METHODOLOGY, FWT_SFR_COMPLETION_DATE, FWT_SFR_REPORT_VERSION };
	memset(&o, 0, sizeof(o));
	const struct cli_opt table[] = {
		{ 0, "from", CLI_STR, &o.from, "report", "start from this report (JSON, JWS or CoRIM); options override" },
		{ 0, "vendor", CLI_STR, &o.v[FWT_SFR_VENDOR], "name", "device.vendor" },
		{ 0, "product", CLI_STR, &o.v[FWT_SFR_PRODUCT], "name", "device.product" },
		{ 0, "category", CLI_STR, &o.v[FWT_SFR_CATEGORY], "name", "device.category" },
		{ 0, "repo-tag", CLI_STR, &o.v[FWT_SFR_REPO_TAG], "tag", "device.repo_tag" },
		{ 0, "fw-version", CLI_STR, &o.v[FWT_SFR_FW_VERSION], "version", "device.fw_version" },
		{ 0, "fw", CLI_STR, &o.fw, "file", "firmware image: its SHA-384 and SHA-512" },
		{ 0, "manifest", CLI_STR, &o.manifest, "path", "folder or archive: its OCP manifest and hashes" },
		{ 0, "fw-hash", CLI_LIST, &o.fw_hash, "alg:hex", "sha384:HEX and/or sha512:HEX (repeatable)" },
		{ 0, "srp", CLI_STR, &o.v[FWT_SFR_SRP], "name", "audit.srp (security review provider)" },
		{ 0, "methodology", CLI_STR, &o.v[FWT_SFR_METHODOLOGY], "name", "audit.methodology" },
		{ 0, "completion-date", CLI_STR, &o.v[FWT_SFR_COMPLETION_DATE], "date", "audit.completion_date (YYYY-MM-DD)" },
		{ 0, "report-version", CLI_STR, &o.v[FWT_SFR_REPORT_VERSION], "version", "audit.report_version" },
		{ 0, "scope", CLI_STR, &o.scope, "n", "audit.scope_number" },
		{ 0, "cvss-version", CLI_STR, &o.v[FWT_SFR_CVSS_VERSION], "version", "audit.cvss_version (default 3.1)" },
		{ 0, "framework-version", CLI_STR, &o.v[FWT_SFR_FRAMEWORK_VERSION], "version",
		  "review_framework_version (default 1.1)" },
		{ 0, "issues", CLI_STR, &o.issues, "file", "audit.issues from a JSON array or a CSV file" },
		{ 0, "format", CLI_STR, &o.format, "json|corim", "write JSON (default) or the OCP SAFE CoRIM form (CBOR)" },
		{ 'o', "output", CLI_STR, &o.out, "out", "write the report here (default: standard output)" },
		{ 0, "force", CLI_FLAG, &o.force, NULL, "replace an existing output file" },
		{ 0, "follow-symlinks", CLI_FLAG, &o.follow, NULL,
		  "read --from, --fw, --manifest and --issues through symbolic links (refused otherwise)" },
		CLI_OPT_END
	};
	fwt_sfr_finding *fnd = NULL;
	fwt_manifest *man = NULL;
	json_t *lost = NULL;
	fwt_sfr_format from_fmt;
	fwt_digests dg;
	fwt_sfr *s = NULL;
	unsigned char *buf = NULL;
	size_t len, nf = 0, i;
	fwt_err err = FWT_OK;
	int rc, corim;

	cli->usage = create_usage;
	cli->summary = "Build an unsigned OCP SAFE Short Form Report (JSON or CoRIM) from options, a\n"
	               "firmware image or release, an issue list, or an earlier report.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto out_rc;
	if (argc)
		return cli_usage_error(cli, "unexpected argument '%s' (use --from to start from a report)", argv[0]);
	if ((o.fw != NULL) + (o.manifest != NULL) + (o.fw_hash.n > 0) > 1) {
		rc = cli_usage_error(cli, "give one of --fw, --manifest and --fw-hash");
		goto out_rc;
	}
	if (o.scope && (!*o.scope || strspn(o.scope, "0123456789") != strlen(o.scope) || strlen(o.scope) > 9 ||
	                (o.scope[0] == '0' && o.scope[1]))) {
		rc = cli_usage_error(cli, "--scope '%s' is not a whole number", o.scope);
		goto out_rc;
	}
	if (o.v[FWT_SFR_COMPLETION_DATE] &&
	    !fwt_sfr_date_valid(o.v[FWT_SFR_COMPLETION_DATE], strlen(o.v[FWT_SFR_COMPLETION_DATE]))) {
		rc = cli_usage_error(cli, "--completion-date '%s' is not a date (YYYY-MM-DD)", o.v[FWT_SFR_COMPLETION_DATE]);
		goto out_rc;
	}
	corim = o.format && !strcmp(o.format, "corim");
	if (o.format && !corim && strcmp(o.format, "json")) {
		rc = cli_usage_error(cli, "--format '%s': use json or corim", o.format);
		goto out_rc;
	}
	{
		const char *const names[] = { "--from", "--issues", "--fw" }, *const values[] = { o.from, o.issues, o.fw };
		if ((rc = cli_stdin_once_named(cli, names, values, ARRAY_LEN(names))) >= 0)
			goto out_rc;
	}
	if (o.manifest && !strcmp(o.manifest, "-")) {
		rc = cli_usage_error(cli, "--manifest reads a folder or an archive file, not standard input ('-')");
		goto out_rc;
	}
	if (corim && binary_to_terminal(o.out)) {
		rc = cli_usage_error(cli, "refusing to write binary CBOR to a terminal (use -o)");
		goto out_rc;
	}
	if (corim && cli->json && (!o.out || !strcmp(o.out, "-"))) {
		rc = cli_usage_error(cli, "--json with --format corim needs -o (the CoRIM cannot share stdout)");
		goto out_rc;
	}
	if (cli->json && o.out && !strcmp(o.out, "-"))
		o.out = NULL; /* stdout holds the JSON object alone: the report goes inside it */
	if (!cli_ctx(cli)) {
		rc = EXIT_INTERNAL;
		goto out_rc;
	}
	/* an output that cannot be written (existing, without --force) is
	 * said before any work or lint finding; written, it is checked again */
	if (o.out && strcmp(o.out, "-") && (err = fwt_writer_check(cli->ctx, o.out, o.force)) != FWT_OK)
		goto out;
	if (o.from) {
		err = read_report(cli, o.from, o.follow, &s, &from_fmt);
		if (err) {
			rc = report_error(cli, o.from, err);
			goto out_rc;
		}
		if (is_signed(from_fmt))
			cli_warn(cli, "'%s' is signed: its signature is neither checked nor kept", o.from);
	} else {
		/* in the CoRIM form cvss_version lives in the issues: its default
		 * is set below when there are some, not dropped when there are none */
		if (fwt_sfr_new(&s) || fwt_sfr_set(s, FWT_SFR_FRAMEWORK_VERSION, "1.1", 3) ||
		    (!corim && fwt_sfr_set(s, FWT_SFR_CVSS_VERSION, "3.1", 3))) {
			err = FWT_ENOMEM;
			goto out;
		}
		for (i = 0; i < ARRAY_LEN(required); i++)
			if (fwt_sfr_set(s, required[i], "", 0)) {
				err = FWT_ENOMEM;
				goto out;
			}
	}
	for (i = 0; i < FWT_SFR_FIELD_COUNT; i++) {
		if (o.v[i] && fwt_sfr_set(s, (fwt_sfr_field)i, o.v[i], strlen(o.v[i]))) {
			rc = cli_usage_error(cli, "the value for %s is not valid UTF-8", fwt_sfr_field_path(s, (fwt_sfr_field)i));
			goto out_rc;
		}
	}
	if (o.scope && fwt_sfr_set(s, FWT_SFR_SCOPE, o.scope, strlen(o.scope))) {
		err = FWT_ENOMEM;
		goto out;
	}
	if (o.fw || o.manifest) {
		rc = load_binding(cli, o.fw, o.manifest, o.follow, &dg, &man);
		if (rc >= 0)
			goto out_rc;
		err = fwt_sfr_set_manifest(cli->ctx, s, man, 1);
		if (!err && o.fw && (fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA384, dg.sha384) ||
		                     fwt_sfr_set_fw_hash(s, FWT_DIGEST_SHA512, dg.sha512)))
			err = FWT_ENOMEM;
		if (err)
			goto out;
	} else if (o.fw_hash.n) {
		if ((err = fwt_sfr_set_manifest(cli->ctx, s, NULL, 0)) != FWT_OK)
			goto out;
		rc = set_fw_hashes(cli, s, &o.fw_hash);
		if (rc >= 0)
			goto out_rc;
	}
	if (o.issues) {
		err = cli_read_input(cli, o.issues, FWT_SFR_MAX_SIZE, o.follow, &buf, &len);
		if (!err)
			err = fwt_sfr_issues_load(cli->ctx, s, buf, len, o.issues);
		if (err)
			goto out;
	}
	if (corim && !o.from && !o.v[FWT_SFR_CVSS_VERSION] && fwt_sfr_issue_count(s) &&
	    fwt_sfr_set(s, FWT_SFR_CVSS_VERSION, "3.1", 3)) {
		err = FWT_ENOMEM;
		goto out;
	}
	/* the findings about the form written: the CoRIM form has no place for
	 * some fields, which are named as dropped instead, as convert names them */
	err = fwt_sfr_lint_format(cli->ctx, s, corim ? FWT_SFR_FORMAT_CORIM : FWT_SFR_FORMAT_JSON, &fnd, &nf);
	if (err)
		goto out;
	if (!(lost = dropped(cli, s, corim))) {
		err = FWT_ENOMEM;
		goto out;
	}
	if (!corim && !json_array_size(lost)) { /* JSON from JSON: "dropped" only when something was */
		json_decref(lost);
		lost = NULL;
	}
	for (i = 0; !cli->json && !cli->quiet && i < nf; i++) { /* findings, not failures: -q drops them */
		if (fnd[i].severity == FWT_SFR_ERROR)
			cli_error(cli, "error: %s: %s", fnd[i].path, fnd[i].message);
		else
			cli_warn(cli, "%s: %s", fnd[i].path, fnd[i].message);
	}
	if (!cli->json || o.out)
		err = write_report(cli, s, corim, o.out, o.force, NULL);
	if (!err)
		say_report(cli, s, corim, o.out);
	for (i = 0; !err && !cli->json && i < json_array_size(lost); i++)
		cli_warn(cli, "the %s form does not carry %s", corim ? "CoRIM" : "JSON",
		         json_string_value(json_array_get(lost, i)));
	if (cli->json) {
		json_t *obj = cli_json_new(cli), *tree = NULL;
		if (!err && !o.out && fwt_sfr_to_json(cli->ctx, s, &tree) == FWT_OK)
			json_object_set_new(obj, "report", tree);
		json_object_set_new(obj, "format", json_string(corim ? "corim" : "json"));
		cli_json_set_name(obj, "output", o.out);
		json_object_set_new(obj, "findings", findings_json(fnd, nf));
		if (lost)
			json_object_set_new(obj, "dropped", json_incref(lost));
		cli_json_emit(cli, obj, err);
	}
out:
	rc = cli_exit(cli, err);
out_rc:
	json_decref(lost);
	free(fnd);
	free(buf);
	fwt_manifest_free(man);
	fwt_sfr_free(s);
	free(o.fw_hash.v);
	return rc;
}

/* ---- lint ---- */

static const char *const lint_usage[] = {
	"fwtrail sfr lint [--strict] [--json] report ...",
	NULL
};

static int sfr_lint(int argc, char **argv, struct cli *cli)
{
	int strict = 0, rc, worst = EXIT_OK;
	fwt_sfr_format fmt;
	const struct cli_opt table[] = {
		{ 0, "strict", CLI_FLAG, &strict, NULL, "warnings fail too (exit 1)" },
		CLI_OPT_END
	};
	json_t *obj = NULL, *reports = NULL;
	size_t errors = 0, warnings = 0, i, nf, unread = 0, failing = 0;
	fwt_err worst_err = FWT_OK;
	int a;

	cli->usage = lint_usage;
	cli->summary = "Check reports before publishing: required fields, date, hashes, manifest, CVSS\n"
	               "vectors and scores, CWE and CVE ids.  One line per finding.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (argc < 1)
		return cli_usage_error(cli, "no report given");
	if ((rc = cli_stdin_once(cli, (const char *const *)argv, (size_t)argc)) >= 0)
		return rc;
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	if (cli->json) {
		obj = cli_json_new(cli);
		reports = json_array();
	}
	for (a = 0; a < argc; a++) {
		fwt_sfr_finding *f = NULL;
		fwt_sfr *s = NULL;
		size_t e = 0, w = 0;
		fwt_err err = read_report(cli, argv[a], 1, &s, &fmt);
		if (!err) /* in the form read: the CoRIM form has no place for some fields */
			err = fwt_sfr_lint_format(cli->ctx, s, fmt, &f, &nf);
		if (err) {
			int code = report_error(cli, argv[a], err);
			if (code > worst)
				worst = code, worst_err = err;
			/* a "no" while reading (hashes that contradict the report's own
			 * manifest) fails the lint; anything else is a report unread */
			if (err == FWT_EVERIFY)
				failing++;
			else
				unread++;
			if (reports) {
				json_t *r = json_object();
				cli_json_set_name(r, "report", argv[a]);
				json_object_set_new(r, "ok", json_false());
				json_object_set_new(r, "status", json_string(status_name(err)));
				json_object_set_new(r, "reason", cli_json_text(fwt_ctx_errmsg(cli->ctx)));
				json_object_set_new(r, "error", item_error(err, fwt_ctx_errmsg(cli->ctx)));
				json_array_append_new(reports, r);
			}
			fwt_sfr_free(s);
			continue;
		}
		for (i = 0; i < nf; i++) {
			if (f[i].severity == FWT_SFR_ERROR)
				e++;
			else
				w++;
			if (!cli->json) {
				cli_puts_safe(stdout, argv[a]);
				printf(": %s: ", f[i].severity == FWT_SFR_ERROR ? "error" : "warning");
				cli_puts_safe(stdout, f[i].path);
				fputs(": ", stdout);
				cli_puts_safe(stdout, f[i].message);
				fputc('\n', stdout);
			}
		}
		if (!nf && !cli->json && !cli->quiet) {
			cli_puts_safe(stdout, argv[a]);
			fputs(": no findings\n", stdout);
		}
		if (reports) {
			json_t *r = json_object();
			cli_json_set_name(r, "report", argv[a]);
			json_object_set_new(r, "ok", json_boolean(!e && !(strict && w)));
			json_object_set_new(r, "findings", findings_json(f, nf));
			json_array_append_new(reports, r);
		}
		if ((e || (strict && w)) && worst < EXIT_NO)
			worst = EXIT_NO, worst_err = FWT_EVERIFY;
		if (e || (strict && w))
			failing++;
		errors += e;
		warnings += w;
		free(f);
		fwt_sfr_free(s);
	}
	if (obj) {
		json_object_set_new(obj, "reports", reports);
		json_object_set_new(obj, "errors", json_integer((json_int_t)errors));
		json_object_set_new(obj, "warnings", json_integer((json_int_t)warnings));
		json_object_set_new(obj, "ok", json_boolean(worst == EXIT_OK));
		if (worst != EXIT_OK) {
			/* as every command's failure object: what decided the status */
			char msg[128];
			json_t *ej = json_object();
			if (worst_err == FWT_EVERIFY)
				snprintf(msg, sizeof(msg), "%zu of %d report%s %s findings that fail the lint", failing, argc,
				         argc == 1 ? "" : "s", failing == 1 ? "has" : "have");
			else
				snprintf(msg, sizeof(msg), "%zu of %d report%s could not be linted", unread, argc,
				         argc == 1 ? "" : "s");
			json_object_set_new(ej, "code", json_string(status_name(worst_err)));
			json_object_set_new(ej, "message", json_string(msg));
			json_object_set_new(obj, "error", ej);
		}
		json_dumpf(obj, stdout, CLI_JSON_FLAGS);
		fputc('\n', stdout);
		json_decref(obj);
		cli->json_done = 1;
	}
	return worst;
}

/* ---- sign ---- */

static const char *const sign_usage[] = {
	"fwtrail sfr sign --key key --kid kid [--pin-file file] [--timeout seconds] [--force-final-try] [--format jws | cose] [-o out] [--force] "
	"[--follow-symlinks] [--json] report",
	NULL
};

static int sfr_sign(int argc, char **argv, struct cli *cli)
{
	struct sign_opts {
		const char *key, *kid, *pin_file, *out, *format;
		int force, follow;
	} o = { NULL, NULL, NULL, NULL, NULL, 0, 0 };
	struct cli_token token = { NULL, 0, 0 };
	const struct cli_opt table[] = {
		{ 'k', "key", CLI_STR, &o.key, "key", "signing key: a pkcs11: URI or a PEM private key file" },
		{ 0, "kid", CLI_STR, &o.kid, "kid", "key id for the JWS or COSE header (free text)" },
		{ 0, "pin-file", CLI_STR, &o.pin_file, "file", "read the PIN or passphrase from this file" },
		CLI_TOKEN_OPTS(token),
		{ 0, "format", CLI_STR, &o.format, "jws|cose",
		  "a JWS of the JSON or a COSE_Sign1 of the CoRIM form (default: the form the report is in)" },
		{ 'o', "output", CLI_STR, &o.out, "out", "write the signed report here (default: standard output)" },
		{ 0, "force", CLI_FLAG, &o.force, NULL, "replace an existing output file" },
		{ 0, "follow-symlinks", CLI_FLAG, &o.follow, NULL, "sign a report given as a symbolic link (refused otherwise)" },
		CLI_OPT_END
	};
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	struct cli_pin pin;
	fwt_sfr_finding *f = NULL;
	fwt_sfr_format fmt;
	fwt_sfr *s = NULL;
	json_t *lost = NULL;
	fwt_key *key = NULL;
	fwt_jws *check = NULL;
	fwt_cose *ccheck = NULL;
	struct cli_out out;
	char *payload = NULL, *tok = NULL, fp[65];
	unsigned char fpb[32], *cose = NULL, *raw = NULL;
	size_t plen, tlen, nf = 0, i, errors = 0, nvalidity = 0, unheld = 0, rawlen = 0;
	fwt_err err;
	int rc, use_cose;

	cli->usage = sign_usage;
	cli->summary = "Sign a report as a JWS (compact, header {\"alg\",\"kid\",\"typ\":\"JWT\"}) or its\n"
	               "CoRIM form as a COSE_Sign1, after linting it; a report with lint errors is refused.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	rc = cli_token_check(cli, &token);
	if (rc >= 0)
		return rc;
	if (!o.key)
		return cli_usage_error(cli, "--key is required");
	if (!o.kid)
		return cli_usage_error(cli, "--kid is required");
	if (argc != 1)
		return cli_usage_error(cli, argc ? "give exactly one report" : "no report given");
	if ((rc = cli_refuse_stdin(cli, "--key", o.key, CLI_WHY_KEY)) >= 0 ||
	    (rc = cli_refuse_stdin(cli, "--pin-file", o.pin_file, CLI_WHY_PIN)) >= 0)
		return rc;
	if (o.format && strcmp(o.format, "cose") && strcmp(o.format, "jws"))
		return cli_usage_error(cli, "--format '%s': use jws or cose", o.format);
	if (o.format && !strcmp(o.format, "cose") && !cli->json && binary_to_terminal(o.out))
		return cli_usage_error(cli, "refusing to write binary CBOR to a terminal (use -o)");
	if (cli->json && o.out && !strcmp(o.out, "-"))
		o.out = NULL; /* stdout holds the JSON object alone: the token goes inside it */
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	err = read_report_raw(cli, argv[0], o.follow, &s, &fmt, &raw, &rawlen);
	if (err) {
		rc = report_error(cli, argv[0], err);
		goto done;
	}
	if (is_signed(fmt)) {
		fwt_sfr_free(s);
		free(raw);
		return cli_usage_error(cli, "'%s' is already signed (%s); sign the unsigned report", argv[0],
		                       fwt_sfr_format_name(fmt));
	}
	/* without --format, the form the report is in: a CoRIM-form report is
	 * signed as COSE, so that what lint said of it holds */
	use_cose = o.format ? !strcmp(o.format, "cose") : fmt == FWT_SFR_FORMAT_CORIM;
	if (use_cose && !o.format && !cli->json && binary_to_terminal(o.out)) {
		rc = cli_usage_error(cli, "refusing to write binary CBOR to a terminal (use -o)");
		goto done;
	}
	/* the findings about the form signed: in the CoRIM form, the fields it
	 * has no place for are named as dropped instead, and exp and nbf are
	 * errors (a COSE report would outlive the expiry its author set) */
	err = fwt_sfr_lint_format(cli->ctx, s, use_cose ? FWT_SFR_FORMAT_CORIM : FWT_SFR_FORMAT_JSON, &f, &nf);
	if (err)
		goto out;
	for (i = 0; i < nf; i++) {
		if (f[i].severity != FWT_SFR_ERROR)
			continue;
		errors++;
		nvalidity += use_cose && (!strcmp(f[i].path, "$.exp") || !strcmp(f[i].path, "$.nbf"));
		unheld += !use_cose && fmt == FWT_SFR_FORMAT_CORIM &&
		          (!strcmp(f[i].path, "$.audit.methodology") || !strcmp(f[i].path, "$.audit.cvss_version"));
		if (!cli->json)
			cli_error(cli, "'%s': %s: %s", argv[0], f[i].path, f[i].message);
	}
	if (errors) {
		err = FWT_EVERIFY;
		if (cli->json) {
			/* the code every "no" has (exit 1), as sfr lint gives it */
			json_t *obj = cli_json_new(cli), *e = json_object();
			json_object_set_new(obj, "findings", findings_json(f, nf));
			json_object_set_new(e, "code", json_string(status_name(FWT_EVERIFY)));
			json_object_set_new(e, "message", json_string("the report has lint errors"));
			json_object_set_new(obj, "error", e);
			cli_json_emit(cli, obj, err);
		}
		cli_error(cli, "refusing to sign '%s': %zu lint error%s%s", argv[0], errors, errors == 1 ? "" : "s",
		          nvalidity ? " (with --format cose, exp and nbf are errors: the CoRIM form cannot carry them, "
		                      "and the report would never expire; sign it as JWS, or remove them)"
		          : unheld ? " (a JWS carries the JSON form, which has fields the CoRIM form has no place for: "
		                     "sign it as COSE, or convert it to JSON and fill them in)"
		                   : " (see 'fwtrail sfr lint')");
		rc = EXIT_NO;
		goto done;
	}
	/* a CoRIM-form report signed as COSE keeps its bytes: nothing dropped */
	lost = use_cose && fmt == FWT_SFR_FORMAT_CORIM ? json_array() : dropped(cli, s, use_cose);
	if (!lost) {
		err = FWT_ENOMEM;
		goto out;
	}
	if (!use_cose && !json_array_size(lost)) {
		json_decref(lost);
		lost = NULL;
	}
	cli_key_options(cli, &ko, o.pin_file, &pin, &token);
	err = cli_key_open(cli, &key, o.key, &ko);
	cli_key_wipe(&pin);
	if (!err && use_cose) {
		fwt_cose_result cr;
		/* a CoRIM-form report is signed as it was written: the model has
		 * no place for its rim-validity or extensions */
		if (fmt == FWT_SFR_FORMAT_CORIM)
			err = fwt_sfr_sign_cose_corim(cli->ctx, key, raw, rawlen, (const unsigned char *)o.kid,
			                              strlen(o.kid), &cose, &tlen);
		else
			err = fwt_sfr_sign_cose(cli->ctx, key, s, (const unsigned char *)o.kid, strlen(o.kid), &cose,
			                        &tlen);
		/* what we publish must pass our own verifier */
		if (!err && (fwt_cose_parse(cli->ctx, &ccheck, cose, tlen, NULL) != FWT_OK ||
		             fwt_cose_verify(cli->ctx, ccheck, fwt_key_pubkey(key), NULL, &cr) != FWT_OK))
			err = FWT_EINTERNAL;
	} else if (!err) {
		err = fwt_sfr_serialize(cli->ctx, s, 0, &payload, &plen);
		if (!err)
			err = fwt_jws_sign(cli->ctx, key, o.kid, strlen(o.kid), payload, plen, &tok, &tlen);
		if (!err && tlen <= FWT_SFR_MAX_SIZE &&
		    (fwt_jws_parse(cli->ctx, &check, tok, tlen, NULL) != FWT_OK ||
		     fwt_jws_verify(cli->ctx, check, fwt_key_pubkey(key), NULL) != FWT_OK))
			err = FWT_EINTERNAL;
	}
	if (!err && tlen > FWT_SFR_MAX_SIZE) {
		/* a JWS is a third larger than its payload: past the cap, no
		 * reader (fwtrail's included) would take it */
		cli_error(cli, "refusing to write the signed report: %zu bytes, more than the %u bytes a report may be "
		          "(fwtrail refuses to read it back)", tlen, FWT_SFR_MAX_SIZE);
		rc = EXIT_MALFORMED;
		goto done;
	}
	if (!err && (!cli->json || o.out)) {
		err = cli_out_open(&out, cli, o.out, o.force);
		if (!err)
			err = cli_out_write(&out, use_cose ? (const void *)cose : tok, tlen);
		if (!err && !out.w && !use_cose)
			err = cli_out_write(&out, "\n", 1);
		if (!err)
			err = cli_out_commit(&out);
		else
			cli_out_abort(&out);
	}
	for (i = 0; !err && !cli->json && i < json_array_size(lost); i++)
		cli_warn(cli, "the %s form does not carry %s", use_cose ? "CoRIM" : "JSON",
		         json_string_value(json_array_get(lost, i)));
	if (!err && fwt_pubkey_fingerprint(fwt_key_pubkey(key), fpb) == FWT_OK)
		hex_fp(fpb, fp);
	else
		fp[0] = '\0';
	if (cli->json) {
		json_t *obj = cli_json_new(cli);
		if (!err) {
			json_object_set_new(obj, "alg", json_string(fwt_sig_alg_name(fwt_key_alg(key))));
			json_object_set_new(obj, "kid", json_string(o.kid));
			cli_json_set_name(obj, "key", fwt_key_name(key));
			json_object_set_new(obj, "key_fingerprint", json_string(fp));
			json_object_set_new(obj, "format", json_string(use_cose ? "cose-sign1" : "jws"));
			cli_json_set_name(obj, "output", o.out);
			if (lost)
				json_object_set_new(obj, "dropped", json_incref(lost));
			if (!o.out && use_cose)
				json_object_set_new(obj, "cose", cli_json_hex(cose, tlen));
			else if (!o.out)
				json_object_set_new(obj, "jws", json_string(tok));
		}
		cli_json_emit(cli, obj, err);
	} else if (!err && o.out && strcmp(o.out, "-") && !cli->quiet) {
		/* to standard output the signed report is the output: nothing
		 * is said after it */
		printf("%s: %s %s signature by '%s' (sha256:%s)\n", o.out, fwt_sig_alg_name(fwt_key_alg(key)),
		       use_cose ? "COSE_Sign1" : "JWS", fwt_key_name(key), fp);
	}
out:
	rc = cli_exit(cli, err);
done:
	fwt_jws_free(check);
	fwt_cose_free(ccheck);
	free(cose);
	free(tok);
	free(payload);
	cli_key_close(cli, key);
	json_decref(lost);
	free(f);
	free(raw);
	fwt_sfr_free(s);
	return rc;
}

/* ---- verify ---- */

static const char *const verify_usage[] = {
	"fwtrail sfr verify (--trust path | --key pub) ... [--revoked file] ... [--at time] "
	"[--fw file | --manifest dir | archive] [--strict] [--json] report ...",
	NULL
};

static json_t *alg_json(fwt_sig_alg alg)
{
	return alg == FWT_SIG_NONE ? json_null() : json_string(fwt_sig_alg_name(alg));
}

/* "COSE_Sign " before the algorithm of a COSE report, "" for JWS. */
static const char *envelope(fwt_sfr_format f)
{
	return f == FWT_SFR_FORMAT_COSE_SIGN1 ? "COSE_Sign1 " : f == FWT_SFR_FORMAT_COSE_SIGN ? "COSE_Sign " : "";
}

#define INFERRED "alg inferred from the trusted key"

static json_t *result_json(const char *path, const fwt_sfr_result *r)
{
	json_t *o = json_object();
	char fp[65], thumb[44];
	size_t n;

	cli_json_set_name(o, "report", path);
	json_object_set_new(o, "ok", json_boolean(r->err == FWT_OK));
	json_object_set_new(o, "status", json_string(status_name(r->err)));
	if (r->err) {
		json_object_set_new(o, "reason", cli_json_text(r->message));
		json_object_set_new(o, "error", item_error(r->err, r->message));
	}
	json_object_set_new(o, "signed", json_boolean(r->is_signed));
	/* a file that could not be read has no format */
	if (r->err != FWT_EIO)
		json_object_set_new(o, "format", json_string(fwt_sfr_format_name(r->format)));
	if (r->is_signed) {
		json_object_set_new(o, "alg", alg_json(r->alg));
		json_object_set_new(o, "kid", jstr(r->kid, r->kid_len));
	}
	if (r->is_jws)
		json_object_set_new(o, "typ", r->typ ? json_string(r->typ) : json_null());
	if (r->format == FWT_SFR_FORMAT_COSE_SIGN1 || r->format == FWT_SFR_FORMAT_COSE_SIGN)
		json_object_set_new(o, "alg_inferred", json_boolean(r->alg_inferred));
	if (r->key) {
		hex_fp(r->key_fingerprint, fp);
		cli_json_set_name(o, "key", fwt_pubkey_name(r->key));
		json_object_set_new(o, "key_fingerprint", json_string(fp));
		if (fwt_pubkey_jwk_thumbprint(r->key, thumb) == FWT_OK)
			json_object_set_new(o, "jwk_thumbprint", json_string(thumb));
	}
	json_object_set_new(o, "firmware_bound", json_boolean(r->bound));
	if (r->sfr) {
		const char *v;
		v = fwt_sfr_get(r->sfr, FWT_SFR_VENDOR, &n);
		json_object_set_new(o, "vendor", jstr(v, n));
		v = fwt_sfr_get(r->sfr, FWT_SFR_PRODUCT, &n);
		json_object_set_new(o, "product", jstr(v, n));
		v = fwt_sfr_get(r->sfr, FWT_SFR_FW_VERSION, &n);
		json_object_set_new(o, "fw_version", jstr(v, n));
		v = fwt_sfr_get(r->sfr, FWT_SFR_SRP, &n);
		json_object_set_new(o, "srp", jstr(v, n));
	}
	return o;
}

/* Standard input ("-") checked as fwt_sfr_check_files checks a file: a
 * read failure is that report's result, not the run's. */
static void check_stdin(struct cli *cli, const fwt_sfr_verify_options *vo, fwt_sfr_result *res)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	memset(res, 0, sizeof(*res));
	err = cli_read_input(cli, "-", vo->max_size ? vo->max_size : FWT_SFR_MAX_SIZE, 1, &buf, &len);
	if (err) {
		res->err = err;
		snprintf(res->message, sizeof(res->message), "%s", fwt_ctx_errmsg(cli->ctx));
	} else {
		(void)fwt_sfr_check_buffer(cli->ctx, vo, buf, len, "-", res);
	}
	free(buf);
	fwt_ctx_clear_error(cli->ctx);
}

static int sfr_verify(int argc, char **argv, struct cli *cli)
{
	struct verify_opts {
		struct cli_list trust, keys, revoked;
		const char *fw, *manifest, *at;
		int strict;
	} o;
	memset(&o, 0, sizeof(o));
	const struct cli_opt table[] = {
		{ 't', "trust", CLI_LIST, &o.trust, "path", "trusted keys: a PEM file or a folder (repeatable)" },
		{ 'k', "key", CLI_LIST, &o.keys, "pub", "a trusted public key: PEM, certificate or JWK (repeatable)" },
		{ 0, "revoked", CLI_LIST, &o.revoked, "file", "revoked keys: SHA-256 fingerprints, one a line (repeatable)" },
		{ 0, "at", CLI_STR, &o.at, "time", "certificates and reports must be valid at this RFC 3339 time, not now" },
		{ 0, "fw", CLI_STR, &o.fw, "file", "the reports must describe this firmware image" },
		{ 0, "manifest", CLI_STR, &o.manifest, "path", "... or this release folder or archive" },
		{ 0, "strict", CLI_FLAG, &o.strict, NULL, "COSE reports must name their alg (never inferred from the key)" },
		CLI_OPT_END
	};
	fwt_sfr_verify_options vo = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_result *res = NULL;
	fwt_trust *trust = NULL;
	fwt_manifest *man = NULL;
	fwt_digests dg;
	size_t failed = 0;
	char fp[65];
	int64_t at = 0;
	fwt_err err;
	int rc, i, dash, worst = EXIT_OK;
	fwt_err worst_err = FWT_OK;

	cli->usage = verify_usage;
	cli->summary = "Verify signed reports (JWS, COSE_Sign1 or COSE_Sign): the signature against the\n"
	               "trusted keys, the report's content, and its binding to a firmware image.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto out;
	if (!o.trust.n && !o.keys.n) {
		rc = cli_usage_error(cli, "give the keys to trust with --trust or --key");
		goto out;
	}
	if (argc < 1) {
		rc = cli_usage_error(cli, "no report given");
		goto out;
	}
	if ((rc = cli_stdin_once(cli, (const char *const *)argv, (size_t)argc)) >= 0)
		goto out;
	for (dash = 0; dash < argc && strcmp(argv[dash], "-"); dash++)
		;
	if (dash < argc && o.fw && !strcmp(o.fw, "-")) {
		rc = cli_usage_error(cli, "--fw and a report are both '-': standard input can be read once");
		goto out;
	}

	if (o.at && (rc = cli_parse_time(cli, "--at", o.at, &at)) >= 0)
		goto out;
	if (!cli_ctx(cli)) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	if ((rc = load_trust(cli, &o.trust, &o.keys, &o.revoked, at, &trust)) >= 0 ||
	    (rc = load_binding(cli, o.fw, o.manifest, 1, &dg, &man)) >= 0)
		goto out;
	vo.trust = trust;
	vo.at = fwt_trust_time(trust); /* --at, or now read once: the certificates' time and the reports' */
	vo.require_signature = 1;
	vo.flags = (o.strict ? FWT_SFR_VERIFY_STRICT : 0) | FWT_SFR_VERIFY_COMPLETION;
	if (!cli->json) /* the text lines name no report field: keep none of the reports */
		vo.flags |= FWT_SFR_VERIFY_NO_REPORT;
	vo.fw = o.fw ? &dg : NULL;
	vo.fw_name = o.fw;
	vo.manifest = man;
	vo.manifest_name = o.manifest;
	res = calloc((size_t)argc, sizeof(*res));
	if (!res) {
		rc = cli_exit(cli, FWT_ENOMEM);
		goto out;
	}
	/* the files before and after "-" on threads; standard input, read here,
	 * in its place */
	err = fwt_sfr_check_files(cli->ctx, &vo, (const char *const *)argv, (size_t)dash, res);
	if (!err && dash < argc)
		check_stdin(cli, &vo, &res[dash]);
	if (!err && dash + 1 < argc)
		err = fwt_sfr_check_files(cli->ctx, &vo, (const char *const *)argv + dash + 1, (size_t)(argc - dash - 1),
		                          res + dash + 1);
	if (err) { /* nothing was checked: one line for the cause, not one per report */
		rc = cli_exit(cli, err);
		goto out;
	}
	for (i = 0; i < argc; i++) {
		int code = cli_exit_code(res[i].err);
		if (code > worst) /* the JSON error names the failure the exit status reports */
			worst_err = res[i].err;
		worst = code > worst ? code : worst;
		failed += res[i].err != FWT_OK;
		if (cli->json)
			continue;
		if (res[i].err) {
			fputs("FAIL ", stdout);
			cli_puts_safe(stdout, argv[i]);
			fputs(": ", stdout);
			cli_puts_safe(stdout, res[i].message);
			fputc('\n', stdout);
			continue;
		}
		if (cli->quiet)
			continue;
		hex_fp(res[i].key_fingerprint, fp);
		fputs("OK ", stdout);
		cli_puts_safe(stdout, argv[i]);
		printf(": %s %ssignature by '", fwt_sig_alg_name(res[i].alg), envelope(res[i].format));
		cli_puts_safe(stdout, fwt_pubkey_name(res[i].key));
		printf("' (sha256:%s)", fp);
		if (res[i].alg_inferred)
			fputs("; " INFERRED, stdout);
		if (res[i].bound) {
			fputs("; firmware '", stdout);
			cli_puts_safe(stdout, o.fw ? o.fw : o.manifest);
			fputs("' matches", stdout);
		} else {
			/* a report not bound to these bytes says nothing of them */
			fputs("; firmware not checked (no --fw or --manifest)", stdout);
		}
		if (cli->verbose) {
			fputs("; kid '", stdout);
			put_val(stdout, res[i].kid, res[i].kid_len);
			fputc('\'', stdout);
		}
		fputc('\n', stdout);
	}
	if (cli->json) {
		json_t *obj = cli_json_new(cli), *arr = json_array();
		for (i = 0; i < argc; i++)
			json_array_append_new(arr, result_json(argv[i], &res[i]));
		json_object_set_new(obj, "reports", arr);
		json_object_set_new(obj, "passed", json_integer((json_int_t)((size_t)argc - failed)));
		json_object_set_new(obj, "failed", json_integer((json_int_t)failed));
		if (failed) {
			json_t *e = json_object();
			char msg[96];
			snprintf(msg, sizeof(msg), "%zu of %d report%s failed", failed, argc, argc == 1 ? "" : "s");
			json_object_set_new(e, "code", json_string(status_name(worst_err ? worst_err : FWT_EVERIFY)));
			json_object_set_new(e, "message", json_string(msg));
			json_object_set_new(obj, "error", e);
		}
		cli_json_emit(cli, obj, failed ? FWT_EVERIFY : FWT_OK);
	}
	if (failed && argc > 1)
		cli_error(cli, "%zu of %d reports failed", failed, argc);
	rc = worst;
out:
	for (i = 0; res && i < argc; i++)
		fwt_sfr_result_clear(&res[i]);
	free(res);
	fwt_manifest_free(man);
	fwt_trust_free(trust);
	free(o.trust.v);
	free(o.keys.v);
	free(o.revoked.v);
	return rc;
}

/* ---- show ---- */

static const char *const show_usage[] = {
	"fwtrail sfr show [--trust path | --key pub] ... [--json] report",
	NULL
};

static void line(const char *label, const char *v, size_t n)
{
	printf("%-14s", label);
	if (v)
		put_val(stdout, v, n);
	else
		fputs("-", stdout);
	fputc('\n', stdout);
}

static void show_field(const fwt_sfr *s, const char *label, fwt_sfr_field f)
{
	size_t n;
	const char *v = fwt_sfr_get(s, f, &n);

	line(label, v, n);
}

struct issue_view {
	size_t i;
	unsigned score;
	int scored;
};

static int cmp_issue(const void *a, const void *b)
{
	const struct issue_view *x = a, *y = b;

	if (x->scored != y->scored)
		return y->scored - x->scored;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->i < y->i ? -1 : 1;
}

/* An untrusted value in a column of width w ("-" when empty). */
static void column(const char *t, size_t len, size_t w)
{
	if (!t || !len)
		t = "-", len = 1;
	if (len > 24)
		len = 24;
	cli_put_safe(stdout, t, len);
	printf("%*s", (int)(len < w ? w - len : 0) + 2, "");
}

/* Issues by severity with the highest score (text or JSON). */
static json_t *issue_summary(const fwt_sfr *s, int print)
{
	size_t n = fwt_sfr_issue_count(s), i, k, len;
	struct issue_view *v = calloc(n + 1, sizeof(*v));
	size_t by[5] = { 0 }, unscored = 0;
	unsigned best = 0;
	int any = 0;
	json_t *o;
	const char *t;

	if (!v)
		return NULL;
	for (i = 0; i < n; i++) {
		v[i].i = i;
		t = fwt_sfr_issue_get(s, i, FWT_SFR_ISSUE_CVSS_SCORE, &len);
		if (t && fwt_cvss_score_parse(t, len, &v[i].score) == FWT_OK) {
			v[i].scored = 1;
			by[fwt_cvss_severity_of(v[i].score)]++;
			if (!any || v[i].score > best)
				best = v[i].score;
			any = 1;
		} else {
			unscored++;
		}
	}
	qsort(v, n, sizeof(*v), cmp_issue);
	o = json_object();
	json_object_set_new(o, "count", json_integer((json_int_t)n));
	for (k = 0; k < 5; k++)
		json_object_set_new(o, fwt_cvss_severity_name((fwt_cvss_severity)k), json_integer((json_int_t)by[k]));
	json_object_set_new(o, "unscored", json_integer((json_int_t)unscored));
	if (any) {
		char b[8];
		snprintf(b, sizeof(b), "%u.%u", best / 10, best % 10);
		json_object_set_new(o, "highest_cvss", json_string(b));
	} else {
		json_object_set_new(o, "highest_cvss", json_null());
	}
	if (print) {
		printf("%-14s%zu (critical %zu, high %zu, medium %zu, low %zu, none %zu", "issues:", n, by[4], by[3], by[2],
		       by[1], by[0]);
		if (unscored)
			printf(", unscored %zu", unscored);
		fputc(')', stdout);
		if (any)
			printf("; highest CVSS %u.%u", best / 10, best % 10);
		fputc('\n', stdout);
		for (i = 0; i < n; i++) {
			const char *sev = v[i].scored ? fwt_cvss_severity_name(fwt_cvss_severity_of(v[i].score)) : "?";
			if (v[i].scored)
				printf("  %4u.%u %-8s ", v[i].score / 10, v[i].score % 10, sev);
			else
				printf("  %6s %-8s ", "-", sev);
			t = fwt_sfr_issue_get(s, v[i].i, FWT_SFR_ISSUE_CWE, &len);
			column(t, len, 10);
			t = fwt_sfr_issue_get(s, v[i].i, FWT_SFR_ISSUE_CVE, &len);
			column(t, len, 16);
			t = fwt_sfr_issue_get(s, v[i].i, FWT_SFR_ISSUE_TITLE, &len);
			put_val(stdout, t ? t : "", t ? len : 0);
			fputc('\n', stdout);
		}
	}
	free(v);
	return o;
}

/* What failed in a report whose signature verified (show's label). */
enum after_sig { AFTER_SIG_OK, AFTER_SIG_VALIDITY, AFTER_SIG_REPORT };

static void show_text(const char *path, const fwt_sfr_result *r, int checked_asked, enum after_sig after)
{
	const fwt_sfr *s = r->sfr;
	char fp[65];
	long long scope;

	line("report:", path, strlen(path));
	if (r->is_signed) {
		printf("%-14s%s", "format:", r->is_jws ? "JWS " : r->format == FWT_SFR_FORMAT_COSE_SIGN1
		                                                         ? "CoRIM in COSE_Sign1, "
		                                                         : "CoRIM in COSE_Sign, ");
		if (r->alg == FWT_SIG_NONE)
			fputs("no alg", stdout);
		else
			printf("%s%s", fwt_sig_alg_name(r->alg), r->alg_inferred ? " (" INFERRED ")" : "");
		fputs(", kid '", stdout);
		put_val(stdout, r->kid, r->kid_len);
		fputs("'\n", stdout);
	} else {
		printf("%-14s%s (unsigned)\n", "format:", r->format == FWT_SFR_FORMAT_CORIM ? "CoRIM" : "JSON");
	}
	if (!r->is_signed) {
		printf("%-14snone (an unsigned report)\n", "signature:");
	} else if (!checked_asked) {
		printf("%-14snot checked (give --trust or --key to check it)\n", "signature:");
	} else if (r->key && r->sig_checked && (r->err != FWT_EVERIFY || after != AFTER_SIG_OK)) {
		hex_fp(r->key_fingerprint, fp);
		printf("%-14sverified with '", "signature:");
		cli_puts_safe(stdout, fwt_pubkey_name(r->key));
		printf("' (sha256:%s)\n", fp);
		if (r->err == FWT_EVERIFY) { /* the signature is good; the report fails */
			printf("%-14sFAIL: ", after == AFTER_SIG_VALIDITY ? "validity:" : "consistency:");
			put_val(stdout, r->message, strlen(r->message));
			fputc('\n', stdout);
		}
	} else {
		printf("%-14sFAIL: ", "signature:");
		put_val(stdout, r->message, strlen(r->message));
		fputc('\n', stdout);
	}
	show_field(s, "framework:", FWT_SFR_FRAMEWORK_VERSION);
	show_field(s, "vendor:", FWT_SFR_VENDOR);
	show_field(s, "product:", FWT_SFR_PRODUCT);
	show_field(s, "category:", FWT_SFR_CATEGORY);
	show_field(s, "repo tag:", FWT_SFR_REPO_TAG);
	show_field(s, "fw version:", FWT_SFR_FW_VERSION);
	show_field(s, "fw sha384:", FWT_SFR_FW_HASH_SHA384);
	show_field(s, "fw sha512:", FWT_SFR_FW_HASH_SHA512);
	if (fwt_sfr_has_manifest(s))
		printf("%-14s%zu file%s\n", "manifest:", fwt_sfr_manifest_count(s),
		       fwt_sfr_manifest_count(s) == 1 ? "" : "s");
	show_field(s, "srp:", FWT_SFR_SRP);
	show_field(s, "methodology:", FWT_SFR_METHODOLOGY);
	show_field(s, "date:", FWT_SFR_COMPLETION_DATE);
	show_field(s, "report ver:", FWT_SFR_REPORT_VERSION);
	if (fwt_sfr_scope(s, &scope) == FWT_OK)
		printf("%-14s%lld\n", "scope:", scope);
	else
		show_field(s, "scope:", FWT_SFR_SCOPE);
	show_field(s, "cvss version:", FWT_SFR_CVSS_VERSION);
	json_decref(issue_summary(s, 1));
}

static int sfr_show(int argc, char **argv, struct cli *cli)
{
	struct show_opts {
		struct cli_list trust, keys;
	} o;
	memset(&o, 0, sizeof(o));
	const struct cli_opt table[] = {
		{ 't', "trust", CLI_LIST, &o.trust, "path", "check the signature with these trusted keys (repeatable)" },
		{ 'k', "key", CLI_LIST, &o.keys, "pub", "check the signature with this public key (repeatable)" },
		CLI_OPT_END
	};
	fwt_sfr_verify_options vo = FWT_SFR_VERIFY_OPTIONS_INIT;
	fwt_sfr_result res;
	fwt_trust *trust = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	enum after_sig after = AFTER_SIG_OK;
	fwt_err err;
	int rc;

	memset(&res, 0, sizeof(res));
	cli->usage = show_usage;
	cli->summary = "Summarise a report (JSON, JWS, CoRIM, COSE): device, hashes, review, issues.\n"
	               "The signature is checked only when --trust or --key is given.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto out;
	if (argc != 1) {
		rc = cli_usage_error(cli, argc ? "give exactly one report" : "no report given");
		goto out;
	}
	if (!cli_ctx(cli)) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	if ((rc = load_trust(cli, &o.trust, &o.keys, NULL, 0, &trust)) >= 0)
		goto out;
	vo.trust = trust;
	vo.require_signature = trust != NULL;
	vo.flags = FWT_SFR_VERIFY_COMPLETION; /* a verdict as sfr verify gives it */
	if ((err = cli_read_input(cli, argv[0], FWT_SFR_MAX_SIZE, 1, &buf, &len)) != FWT_OK) {
		rc = report_error(cli, argv[0], err);
		goto out;
	}
	fwt_sfr_check_buffer(cli->ctx, &vo, buf, len, argv[0], &res);
	if (!res.sfr) {
		rc = report_error(cli, argv[0], res.err);
		goto out;
	}
	if (res.err == FWT_EVERIFY && res.key && res.sig_checked) {
		/* the signature verified and the report fails: its validity
		 * (exp, nbf, iat, completion_date, a COSE report's signed
		 * validity: checked only for a signed report) when the same
		 * report passes unsigned, or else the report itself */
		fwt_sfr_verify_options uo = FWT_SFR_VERIFY_OPTIONS_INIT;
		fwt_sfr_result ur;
		uo.flags = FWT_SFR_VERIFY_NO_REPORT;
		after = fwt_sfr_check_buffer(cli->ctx, &uo, buf, len, argv[0], &ur) == FWT_OK ? AFTER_SIG_VALIDITY
		                                                                               : AFTER_SIG_REPORT;
		fwt_sfr_result_clear(&ur);
	}
	if (cli->json) {
		json_t *obj = cli_json_new(cli), *sig = json_object(), *payload = NULL;
		cli_json_set_name(obj, "report", argv[0]);
		json_object_set_new(obj, "format", json_string(fwt_sfr_format_name(res.format)));
		json_object_set_new(sig, "checked", json_boolean(trust != NULL));
		if (trust)
			json_object_set_new(sig, "verified", json_boolean(res.key && res.sig_checked));
		if (after != AFTER_SIG_OK)
			json_object_set_new(obj, "failed", json_string(after == AFTER_SIG_VALIDITY ? "validity"
			                                                                           : "consistency"));
		if (res.is_signed) {
			json_object_set_new(sig, "alg", alg_json(res.alg));
			json_object_set_new(sig, "kid", jstr(res.kid, res.kid_len));
		}
		if (res.format == FWT_SFR_FORMAT_COSE_SIGN1 || res.format == FWT_SFR_FORMAT_COSE_SIGN)
			json_object_set_new(sig, "alg_inferred", json_boolean(res.alg_inferred));
		if (res.key) {
			char fp[65];
			hex_fp(res.key_fingerprint, fp);
			cli_json_set_name(sig, "key", fwt_pubkey_name(res.key));
			json_object_set_new(sig, "key_fingerprint", json_string(fp));
		}
		json_object_set_new(obj, "signature", sig);
		if (fwt_sfr_to_json(cli->ctx, res.sfr, &payload) == FWT_OK)
			json_object_set_new(obj, "payload", payload);
		json_object_set_new(obj, "issues", issue_summary(res.sfr, 0));
		if (res.err) {
			json_t *e = json_object();
			json_object_set_new(e, "code", json_string(status_name(res.err)));
			json_object_set_new(e, "message", json_string(res.message));
			json_object_set_new(obj, "error", e);
		}
		cli_json_emit(cli, obj, res.err);
	} else {
		show_text(argv[0], &res, trust != NULL, after);
	}
	if (res.err)
		cli_error(cli, "'%s': %s", argv[0], res.message);
	rc = cli_exit_code(res.err);
out:
	free(buf);
	fwt_sfr_result_clear(&res);
	fwt_trust_free(trust);
	free(o.trust.v);
	free(o.keys.v);
	return rc;
}

/* ---- convert ---- */

static const char *const convert_usage[] = {
	"fwtrail sfr convert --to corim | json [-o out] [--force] [--json] report",
	NULL
};

/* The paths of values the form written (the CoRIM form when corim is set,
 * else JSON) does not carry, as an array (json_decref'd by the caller), or
 * NULL with the error in cli->ctx. */
static json_t *dropped(struct cli *cli, const fwt_sfr *s, int corim)
{
	char **paths;
	size_t i, n;
	json_t *a;

	if ((corim ? fwt_sfr_corim_losses : fwt_sfr_json_losses)(cli->ctx, s, &paths, &n) != FWT_OK)
		return NULL;
	a = json_array();
	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(paths[i]));
	fwt_sfr_paths_free(paths, n);
	return a;
}

static int sfr_convert(int argc, char **argv, struct cli *cli)
{
	struct convert_opts {
		const char *to, *out;
		int force;
	} o = { NULL, NULL, 0 };
	const struct cli_opt table[] = {
		{ 0, "to", CLI_STR, &o.to, "corim|json", "the form to write: the OCP SAFE CoRIM (CBOR) or JSON" },
		{ 'o', "output", CLI_STR, &o.out, "out", "write the report here (default: standard output)" },
		{ 0, "force", CLI_FLAG, &o.force, NULL, "replace an existing output file" },
		CLI_OPT_END
	};
	fwt_sfr_format from = FWT_SFR_FORMAT_JSON;
	fwt_sfr *s = NULL;
	json_t *lost = NULL;
	size_t size = 0, i;
	fwt_err err;
	int rc, corim;

	cli->usage = convert_usage;
	cli->summary = "Convert a report (JSON, JWS, CoRIM or COSE) to JSON or to the OCP SAFE CoRIM form.\n"
	               "A signature is neither checked nor kept: sign the result again.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (!o.to)
		return cli_usage_error(cli, "--to is required (corim or json)");
	corim = !strcmp(o.to, "corim");
	if (!corim && strcmp(o.to, "json"))
		return cli_usage_error(cli, "--to '%s': use corim or json", o.to);
	if (argc != 1)
		return cli_usage_error(cli, argc ? "give exactly one report" : "no report given");
	if (corim && cli->json && (!o.out || !strcmp(o.out, "-")))
		return cli_usage_error(cli, "--json with --to corim needs -o (the CoRIM cannot share stdout)");
	if (corim && !cli->json && binary_to_terminal(o.out))
		return cli_usage_error(cli, "refusing to write binary CBOR to a terminal (use -o)");
	if (cli->json && o.out && !strcmp(o.out, "-"))
		o.out = NULL; /* stdout holds the JSON object alone: the report goes inside it */
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	err = read_report(cli, argv[0], 1, &s, &from);
	if (err) {
		rc = report_error(cli, argv[0], err);
		fwt_sfr_free(s);
		return rc;
	}
	if (is_signed(from))
		cli_warn(cli, "'%s' is signed (%s): its signature is neither checked nor kept", argv[0],
		         fwt_sfr_format_name(from));
	if (!(lost = dropped(cli, s, corim))) {
		err = FWT_ENOMEM;
		goto out;
	}
	if (!corim && !json_array_size(lost)) {
		json_decref(lost);
		lost = NULL;
	}
	if (!cli->json || o.out)
		err = write_report(cli, s, corim, o.out, o.force, &size);
	if (!err)
		say_report(cli, s, corim, o.out);
	for (i = 0; !err && !cli->json && i < json_array_size(lost); i++)
		cli_warn(cli, "the %s form does not carry %s", corim ? "CoRIM" : "JSON",
		         json_string_value(json_array_get(lost, i)));
	if (cli->json) {
		json_t *obj = cli_json_new(cli), *tree = NULL;
		json_object_set_new(obj, "input_format", json_string(fwt_sfr_format_name(from)));
		json_object_set_new(obj, "format", json_string(corim ? "corim" : "json"));
		cli_json_set_name(obj, "output", o.out);
		if (o.out && !err)
			json_object_set_new(obj, "size", json_integer((json_int_t)size));
		if (!err && !o.out && fwt_sfr_to_json(cli->ctx, s, &tree) == FWT_OK)
			json_object_set_new(obj, "report", tree);
		if (lost)
			json_object_set_new(obj, "dropped", json_incref(lost));
		cli_json_emit(cli, obj, err);
	}
out:
	if (err == FWT_EFORMAT && s) { /* the report lacks what the profile requires */
		cli_error(cli, "cannot convert '%s' to the CoRIM form: %s", argv[0], fwt_ctx_errmsg(cli->ctx));
		rc = cli_exit_code(err);
	} else {
		rc = cli_exit(cli, err);
	}
	json_decref(lost);
	fwt_sfr_free(s);
	return rc;
}

/* ---- the command ---- */

int cmd_sfr(int argc, char **argv, struct cli *cli)
{
	static const struct cli_verb verbs[] = {
		{ "convert", sfr_convert, "convert a report between JSON and the CoRIM form" },
		{ "create", sfr_create, "build an unsigned report (JSON or CoRIM)" },
		{ "lint", sfr_lint, "check a report before publishing it" },
		{ "show", sfr_show, "summarise a report (JSON, JWS, CoRIM or COSE)" },
		{ "sign", sfr_sign, "sign a report as a JWS, or its CoRIM form as COSE_Sign1" },
		{ "verify", sfr_verify, "verify signed reports against trusted keys and firmware" },
		{ NULL, NULL, NULL }
	};

	cli->summary = "OCP SAFE Short Form Reports: create, lint, sign, verify, show and convert them.";
	return cli_dispatch(cli, verbs, argc, argv);
}
