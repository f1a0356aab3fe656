/* SPDX-License-Identifier: Apache-2.0 */
/* rim.c - `fwtrail rim`: create, sign, verify and show Reference Integrity
 * Manifests (CoRIM). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

static const char *const create_usage[] = {
	"fwtrail rim create --vendor name --model name [--class-id id] [--tag-id id] [--alg list] "
	"[--hash-ids cose | named-info] --measurement key=source ... [-o file] [--force]",
	NULL
};
static const char *const sign_usage[] = {
	"fwtrail rim sign --key key [--pin-file file] [--kid kid] [--signer name] [--signer-uri uri] "
	"[--not-before date] [--not-after date] -o file [--force] rim",
	NULL
};
static const char *const verify_usage[] = {
	"fwtrail rim verify --trust path | --key key [--at time] rim ...",
	NULL
};
static const char *const show_usage[] = {
	"fwtrail rim show [--json | --diag] rim",
	NULL
};

/* ---- shared pieces ---- */

static fwt_err read_input(struct cli *cli, const char *path, unsigned char **buf, size_t *len)
{
	fwt_reader *r = NULL;
	fwt_err err;

	if (strcmp(path, "-"))
		return fwt_read_file(cli->ctx, path, FWT_READ_CAP_DEFAULT, buf, len);
	err = fwt_reader_from_fd(cli->ctx, &r, STDIN_FILENO, "-");
	if (!err)
		err = fwt_reader_read_all(r, FWT_READ_CAP_DEFAULT, buf, len);
	fwt_reader_free(r);
	return err;
}

/* A failure about one input: "fwtrail rim show: 'x': <why>". */
static int fail_on(struct cli *cli, const char *path, fwt_err err)
{
	const char *msg = fwt_ctx_errmsg(cli->ctx);

	if (err == FWT_OK)
		return EXIT_OK;
	cli_error(cli, "'%s': %s", path, *msg ? msg : fwt_err_name(err));
	return cli_exit_code(err);
}

static int parse_time(struct cli *cli, const char *opt, const char *s, int64_t *t)
{
	if (fwt_time_parse_rfc3339(s, strlen(s), t) != FWT_OK)
		return cli_usage_error(cli, "%s: '%s' is not an RFC 3339 time or date", opt, s);
	return -1;
}

/* Binary CBOR goes to a file, or to stdout when it is not a terminal. */
static int write_cbor(struct cli *cli, const char *out, int force, const unsigned char *b, size_t n)
{
	struct cli_out o;
	fwt_err err;

	if ((!out || !strcmp(out, "-")) && isatty(STDOUT_FILENO))
		return cli_usage_error(cli, "refusing to write binary CBOR to a terminal (use -o)");
	err = cli_out_open(&o, cli, out, force);
	if (!err)
		err = cli_out_write(&o, b, n);
	if (!err)
		err = cli_out_commit(&o);
	else
		cli_out_abort(&o);
	if (!err && cli->json) {
		json_t *j = cli_json_new(cli);
		json_object_set_new(j, "output", json_string(out ? out : "-"));
		json_object_set_new(j, "size", json_integer((json_int_t)n));
		cli_json_emit(cli, j, FWT_OK);
	}
	return cli_exit(cli, err);
}

/* ---- create ---- */

/* KEY=FILE or KEY=ALG:HEX into one reference value.  Reference values from
 * golden evidence (event logs, SPDM transcripts) are appended to the same
 * array by their own options. */
static int add_measurement(struct cli *cli, const char *spec, unsigned algs, fwt_corim_refval *rv)
{
	const char *eq = strchr(spec, '='), *src, *colon;
	static const fwt_digest_alg order[] = { FWT_DIGEST_SHA256, FWT_DIGEST_SHA384, FWT_DIGEST_SHA512 };
	char name[32];
	fwt_digest_alg a;
	size_t i;

	if (!eq || eq == spec || !eq[1])
		return cli_usage_error(cli, "--measurement: '%s' is not key=file or key=alg:hex", spec);
	rv->key = strndup(spec, (size_t)(eq - spec));
	if (!rv->key)
		return cli_exit(cli, FWT_ENOMEM);
	src = eq + 1;
	colon = strchr(src, ':');
	if (colon && (size_t)(colon - src) < sizeof(name)) {
		memcpy(name, src, (size_t)(colon - src));
		name[colon - src] = '\0';
		if (fwt_digest_from_name(name, &a) == FWT_OK) {
			if (a != FWT_DIGEST_SHA256 && a != FWT_DIGEST_SHA384 && a != FWT_DIGEST_SHA512)
				return cli_usage_error(cli, "--measurement: '%s': use sha256, sha384 or sha512", name);
			if (fwt_hex_parse_digest(rv->digests[0].value, fwt_digest_size(a), colon + 1, strlen(colon + 1)))
				return cli_usage_error(cli, "--measurement: '%s' is not a %s digest in hex", colon + 1,
				                       fwt_digest_name(a));
			rv->digests[0].alg = a;
			rv->n_digests = 1;
			return -1;
		}
	}
	{
		fwt_digest_options o = FWT_DIGEST_OPTIONS_INIT;
		fwt_reader *r = NULL;
		fwt_digests d;
		fwt_err err = fwt_reader_open_file(cli->ctx, &r, src, 1);
		o.algs = algs;
		if (!err)
			err = fwt_digest_reader(cli->ctx, r, &o, &d);
		fwt_reader_free(r);
		if (err)
			return cli_exit(cli, err);
		for (i = 0; i < ARRAY_LEN(order); i++)
			if (algs & order[i]) {
				rv->digests[rv->n_digests].alg = order[i];
				memcpy(rv->digests[rv->n_digests++].value, fwt_digests_get(&d, order[i]),
				       fwt_digest_size(order[i]));
			}
	}
	return -1;
}

static int rim_create(int argc, char **argv, struct cli *cli)
{
	struct create_opts {
		const char *vendor, *model, *class_id, *tag_id, *alg, *out, *hash_ids;
		struct cli_list m;
		int force;
	} opts = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, { NULL, 0 }, 0 };
	const struct cli_opt table[] = {
		{ 0, "vendor", CLI_STR, &opts.vendor, "name", "the environment's vendor" },
		{ 0, "model", CLI_STR, &opts.model, "name", "the environment's model" },
		{ 0, "class-id", CLI_STR, &opts.class_id, "id", "class-id: a UUID or a dotted OID" },
		{ 0, "tag-id", CLI_STR, &opts.tag_id, "id", "CoMID tag-id (default: a UUID derived from the content)" },
		{ 'a', "alg", CLI_STR, &opts.alg, "list", "digests of each file: sha256,sha384,sha512 (default: sha384)" },
		{ 0, "hash-ids", CLI_STR, &opts.hash_ids, "cose|named-info",
		  "digest algorithm ids: COSE (-16/-43/-44, default) or Named Information (1/7/8)" },
		{ 'm', "measurement", CLI_LIST, &opts.m, "key=source", "a reference value: key=file or key=alg:hex" },
		{ 'o', "output", CLI_STR, &opts.out, "file", "write the CoRIM here (default: stdout)" },
		{ 0, "force", CLI_FLAG, &opts.force, NULL, "replace an existing output file" },
		CLI_OPT_END
	};
	fwt_corim_create_options co = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_corim_refval *rv = NULL;
	unsigned algs = FWT_DIGEST_SHA384;
	unsigned char *out = NULL;
	size_t len = 0, i;
	char bad[32];
	int rc;

	cli->usage = create_usage;
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto done;
	rc = EXIT_USAGE;
	if (argc)
		rc = cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	else if (!opts.vendor || !opts.model)
		rc = cli_usage_error(cli, "--vendor and --model are needed");
	else if (!opts.m.n)
		rc = cli_usage_error(cli, "at least one --measurement is needed");
	else if (opts.alg && fwt_digest_parse_list(opts.alg, &algs, bad, sizeof(bad)) != FWT_OK)
		rc = cli_usage_error(cli, "unknown digest algorithm '%s' (use sha256, sha384, sha512)", bad);
	else if (algs & ~(unsigned)(FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512))
		rc = cli_usage_error(cli, "--alg: use sha256, sha384 and sha512");
	else if (opts.hash_ids && strcmp(opts.hash_ids, "cose") && strcmp(opts.hash_ids, "named-info"))
		rc = cli_usage_error(cli, "--hash-ids: use 'cose' or 'named-info'");
	else if (cli->json && (!opts.out || !strcmp(opts.out, "-")))
		rc = cli_usage_error(cli, "--json needs -o (the CoRIM cannot share stdout)");
	else if (!cli_ctx(cli))
		rc = EXIT_INTERNAL;
	else if (!(rv = calloc(opts.m.n, sizeof(*rv))))
		rc = cli_exit(cli, FWT_ENOMEM);
	else
		rc = -1;
	for (i = 0; rc < 0 && i < opts.m.n; i++)
		rc = add_measurement(cli, opts.m.v[i], algs, &rv[i]);
	if (rc < 0) {
		co.vendor = opts.vendor;
		co.model = opts.model;
		co.class_id = opts.class_id;
		co.tag_id = opts.tag_id;
		co.cose_digest_ids = !opts.hash_ids || !strcmp(opts.hash_ids, "cose");
		co.refvals = rv;
		co.n_refvals = opts.m.n;
		fwt_err err = fwt_corim_create(cli->ctx, &co, &out, &len);
		rc = err == FWT_EINVAL ? cli_usage_error(cli, "%s", fwt_ctx_errmsg(cli->ctx))
		     : err             ? cli_exit(cli, err)
		                       : write_cbor(cli, opts.out, opts.force, out, len);
	}
	for (i = 0; rv && i < opts.m.n; i++)
		free((char *)rv[i].key);
	free(rv);
	free(out);
done:
	free(opts.m.v);
	return rc;
}

/* ---- sign ---- */

static int rim_sign(int argc, char **argv, struct cli *cli)
{
	struct sign_opts {
		const char *key, *pin_file, *kid, *signer, *signer_uri, *not_before, *not_after, *out;
		int force;
	} opts = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 };
	const struct cli_opt table[] = {
		{ 'k', "key", CLI_STR, &opts.key, "key", "signing key: a pkcs11: URI or a PEM private key" },
		{ 0, "pin-file", CLI_STR, &opts.pin_file, "file", "read the token PIN or key passphrase from a file" },
		{ 0, "kid", CLI_STR, &opts.kid, "kid", "key identifier for the protected header" },
		{ 0, "signer", CLI_STR, &opts.signer, "name", "signer name (default: the key certificate's subject)" },
		{ 0, "signer-uri", CLI_STR, &opts.signer_uri, "uri", "signer URI" },
		{ 0, "not-before", CLI_STR, &opts.not_before, "date", "start of validity (default: now)" },
		{ 0, "not-after", CLI_STR, &opts.not_after, "date", "end of validity" },
		{ 'o', "output", CLI_STR, &opts.out, "file", "write the signed CoRIM here" },
		{ 0, "force", CLI_FLAG, &opts.force, NULL, "replace an existing output file" },
		CLI_OPT_END
	};
	fwt_corim_sign_options so = FWT_CORIM_SIGN_OPTIONS_INIT;
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	fwt_key *key = NULL;
	unsigned char *in = NULL, *out = NULL;
	size_t inlen = 0, outlen = 0;
	fwt_err err;
	int rc;

	cli->usage = sign_usage;
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (argc != 1)
		return cli_usage_error(cli, argc ? "give exactly one RIM" : "no RIM given");
	if (!opts.key)
		return cli_usage_error(cli, "--key is needed");
	if (!opts.out)
		return cli_usage_error(cli, "-o is needed");
	if (cli->json && !strcmp(opts.out, "-"))
		return cli_usage_error(cli, "--json needs -o file (the CoRIM cannot share stdout)");
	so.has_not_before = 1;
	so.not_before = (int64_t)time(NULL);
	if (opts.not_before && (rc = parse_time(cli, "--not-before", opts.not_before, &so.not_before)) >= 0)
		return rc;
	if (opts.not_after && (rc = parse_time(cli, "--not-after", opts.not_after, &so.not_after)) >= 0)
		return rc;
	so.has_not_after = opts.not_after != NULL;
	if (so.has_not_after && so.not_before > so.not_after)
		return cli_usage_error(cli, "--not-after is before --not-before (or before now)");
	if (opts.kid) {
		so.kid = (const unsigned char *)opts.kid;
		so.kid_len = strlen(opts.kid);
	}
	so.signer_name = opts.signer;
	so.signer_uri = opts.signer_uri;
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	ko.pin_file = opts.pin_file;
	err = read_input(cli, argv[0], &in, &inlen);
	if (!err)
		err = cli_key_open(cli, &key, opts.key, &ko);
	if (err) {
		rc = cli_exit(cli, err);
		goto out;
	}
	err = fwt_corim_sign(cli->ctx, key, in, inlen, &so, &out, &outlen);
	if (err == FWT_EINVAL)
		rc = cli_usage_error(cli, "%s", fwt_ctx_errmsg(cli->ctx));
	else if (err)
		rc = fail_on(cli, argv[0], err);
	else
		rc = write_cbor(cli, opts.out, opts.force, out, outlen);
out:
	cli_key_close(cli, key);
	free(in);
	free(out);
	return rc;
}

/* ---- show and verify ---- */

static void put(const char *s)
{
	cli_puts_safe(stdout, s ? s : "");
}

/* Text from the library, one line at a time through the safe printer. */
static void put_lines(const char *text)
{
	const char *nl;

	while (text && *text) {
		nl = strchr(text, '\n');
		cli_put_safe(stdout, text, nl ? (size_t)(nl - text) : strlen(text));
		fputc('\n', stdout);
		text = nl ? nl + 1 : NULL;
	}
}

/* ---- RIM formats: detected by content ---- */

struct verify_ctx {
	fwt_trust *trust;
	int64_t now;
};

/* CoRIM: shown leniently (what is there), verified strictly. */
static fwt_err corim_show(struct cli *cli, const unsigned char *buf, size_t len, json_t *j)
{
	fwt_corim_options co = FWT_CORIM_OPTIONS_INIT;
	fwt_corim *c = NULL;
	char *text = NULL;
	fwt_err err;

	co.flags = FWT_CORIM_LENIENT_CBOR;
	err = fwt_corim_parse(cli->ctx, &c, buf, len, &co);
	if (!err && j) {
		json_object_set_new(j, "rim", fwt_corim_to_json(c));
	} else if (!err) {
		err = fwt_corim_to_text(c, &text);
		put_lines(text);
		free(text);
	}
	fwt_corim_free(c);
	return err;
}

static fwt_err corim_verify(struct cli *cli, const char *path, const unsigned char *buf, size_t len,
                            const struct verify_ctx *v, json_t *r)
{
	fwt_corim_verify_result res;
	fwt_corim *c = NULL;
	json_t *x;
	char t[32];
	fwt_err err = fwt_corim_parse(cli->ctx, &c, buf, len, NULL);

	if (!err) {
		err = fwt_corim_verify(cli->ctx, c, v->trust, v->now, &res);
		x = fwt_corim_result_json(&res, v->now);
		json_object_update_missing(r, x);
		json_decref(x);
	}
	if (!err && !cli->json && !cli->quiet) {
		put(path);
		printf(": OK (%s, key '", fwt_sig_alg_name(res.cose.alg));
		put(fwt_pubkey_name(res.cose.key));
		printf("'");
		if (res.window.has_not_after)
			fwt_time_format_rfc3339(res.window.not_after, t), printf(", valid until %s", t);
		printf(")\n");
	}
	fwt_corim_free(c);
	return err;
}

struct rim_format {
	const char *name;
	int (*sniff)(const void *buf, size_t len);
	/* text on stdout, or the "rim" member of j */
	fwt_err (*show)(struct cli *cli, const unsigned char *buf, size_t len, json_t *j);
	/* the verdict; result members in r; one line on stdout when it passes */
	fwt_err (*verify)(struct cli *cli, const char *path, const unsigned char *buf, size_t len,
	                  const struct verify_ctx *v, json_t *r);
};

/* TCG PC Client SWID RIMs (XML) join this table with their own sniff,
 * show and verify functions. */
static const struct rim_format formats[] = {
	{ "corim", fwt_corim_sniff, corim_show, corim_verify },
};

static const struct rim_format *detect(const unsigned char *buf, size_t len)
{
	size_t i;

	if (!len) /* empty: malformed whatever the format; the CoRIM parser says so */
		return &formats[0];
	for (i = 0; i < ARRAY_LEN(formats); i++)
		if (formats[i].sniff(buf, len))
			return &formats[i];
	return NULL;
}

#define UNKNOWN_FORMAT "not a RIM fwtrail reads (a CoRIM is CBOR; TCG SWID RIMs are not supported yet)"

static json_t *unknown_format(struct cli *cli, const char *path)
{
	cli_error(cli, "'%s': " UNKNOWN_FORMAT, path);
	return json_pack("{s:s, s:s}", "code", fwt_err_name(FWT_EUNSUPPORTED), "message", UNKNOWN_FORMAT);
}

/* ---- show ---- */

static int rim_show(int argc, char **argv, struct cli *cli)
{
	int diag = 0, rc;
	const struct cli_opt table[] = {
		{ 0, "diag", CLI_FLAG, &diag, NULL, "print the whole RIM in CBOR diagnostic notation" },
		CLI_OPT_END
	};
	fwt_cbor_options cb = FWT_CBOR_OPTIONS_INIT;
	const struct rim_format *fmt;
	unsigned char *buf = NULL;
	size_t len = 0;
	char *d = NULL;
	json_t *j = NULL, *e;
	fwt_err err;

	cli->usage = show_usage;
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (argc != 1)
		return cli_usage_error(cli, argc ? "give exactly one RIM" : "no RIM given");
	if (diag && cli->json)
		return cli_usage_error(cli, "--json and --diag do not go together");
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	err = read_input(cli, argv[0], &buf, &len);
	if (err) { /* the message names the file */
		if (cli->json) {
			j = cli_json_new(cli);
			json_object_set_new(j, "path", json_string(argv[0]));
			cli_json_emit(cli, j, err);
		}
		return cli_exit(cli, err);
	}
	if (diag) { /* any CBOR at all */
		cb.max_depth = FWT_CBOR_DEPTH_MAX;
		err = fwt_cbor_diag(cli->ctx, buf, len, &cb, FWT_CBOR_DIAG_PRETTY | FWT_CBOR_DIAG_EMBEDDED, &d);
		if (!err)
			printf("%s\n", d);
		free(d);
		free(buf);
		return fail_on(cli, argv[0], err);
	}
	if (cli->json) {
		j = cli_json_new(cli);
		json_object_set_new(j, "path", json_string(argv[0]));
	}
	fmt = detect(buf, len);
	if (!fmt) {
		e = unknown_format(cli, argv[0]);
		err = FWT_EUNSUPPORTED;
		if (j)
			json_object_set_new(j, "error", e);
		else
			json_decref(e);
	} else {
		if (j)
			json_object_set_new(j, "format", json_string(fmt->name));
		err = fmt->show(cli, buf, len, j);
		if (err)
			fail_on(cli, argv[0], err);
	}
	if (j)
		cli_json_emit(cli, j, err);
	free(buf);
	return cli_exit_code(err);
}

/* ---- verify ---- */

/* One RIM: FWT_OK or why not; its JSON result in r. */
static fwt_err verify_one(struct cli *cli, const char *path, const struct verify_ctx *v, json_t *r)
{
	const struct rim_format *fmt = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	json_object_set_new(r, "path", json_string(path));
	err = read_input(cli, path, &buf, &len);
	if (err) {
		cli_error(cli, "%s", fwt_ctx_errmsg(cli->ctx)); /* it names the file */
	} else if (!(fmt = detect(buf, len))) {
		err = FWT_EUNSUPPORTED;
		json_object_set_new(r, "error", unknown_format(cli, path));
	} else {
		json_object_set_new(r, "format", json_string(fmt->name));
		err = fmt->verify(cli, path, buf, len, v, r);
		if (err)
			cli_error(cli, "'%s': %s", path, fwt_ctx_errmsg(cli->ctx));
	}
	json_object_set_new(r, "ok", json_boolean(err == FWT_OK));
	if (err && !json_object_get(r, "error"))
		json_object_set_new(r, "error", json_pack("{s:s, s:s}", "code", fwt_err_name(err), "message",
		                                          fwt_ctx_errmsg(cli->ctx)));
	free(buf);
	return err;
}

static int rim_verify(int argc, char **argv, struct cli *cli)
{
	struct verify_opts {
		struct cli_list trust;
		const char *key, *at;
	} opts = { { NULL, 0 }, NULL, NULL };
	const struct cli_opt table[] = {
		{ 't', "trust", CLI_LIST, &opts.trust, "path", "trusted keys and certificates: a file or a folder" },
		{ 'k', "key", CLI_STR, &opts.key, "key", "one trusted key: PEM public key, PEM certificate or JWK" },
		{ 0, "at", CLI_STR, &opts.at, "time", "check validity at this RFC 3339 time instead of now" },
		CLI_OPT_END
	};
	struct verify_ctx v = { NULL, 0 };
	fwt_pubkey *k = NULL;
	json_t *obj = NULL, *results = NULL;
	fwt_err err = FWT_OK, worst = FWT_OK, e;
	size_t i;
	int rc;

	cli->usage = verify_usage;
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto done;
	rc = -1;
	v.now = (int64_t)time(NULL);
	if (!argc)
		rc = cli_usage_error(cli, "no RIM given");
	else if (!opts.trust.n == !opts.key)
		rc = cli_usage_error(cli, "give either --trust or --key");
	else if (opts.at)
		rc = parse_time(cli, "--at", opts.at, &v.now);
	if (rc >= 0)
		goto done;
	if (!cli_ctx(cli)) {
		rc = EXIT_INTERNAL;
		goto done;
	}
	err = fwt_trust_new(cli->ctx, &v.trust);
	for (i = 0; !err && i < opts.trust.n; i++)
		err = fwt_trust_add_path(v.trust, opts.trust.v[i]);
	if (!err && opts.key) {
		err = fwt_pubkey_load(cli->ctx, &k, opts.key);
		if (!err)
			err = fwt_trust_add_key(v.trust, k);
	}
	if (!err && !fwt_trust_count(v.trust))
		err = FWT_EINVAL;
	if (err) {
		if (err == FWT_EINVAL && !*fwt_ctx_errmsg(cli->ctx))
			rc = cli_usage_error(cli, "no trusted key found in --trust");
		else
			rc = cli_exit(cli, err);
		goto done;
	}
	if (cli->json) {
		obj = cli_json_new(cli);
		results = json_array();
		json_object_set_new(obj, "results", results);
	}
	for (i = 0; i < (size_t)argc; i++) {
		json_t *r = json_object();
		e = verify_one(cli, argv[i], &v, r);
		if (results)
			json_array_append(results, r);
		json_decref(r);
		/* "could not tell" outranks "no", and the first of each is kept */
		if (e && (worst == FWT_OK || (worst == FWT_EVERIFY && e != FWT_EVERIFY)))
			worst = e;
	}
	if (obj) {
		if (worst)
			json_object_set_new(obj, "error", json_pack("{s:s, s:s}", "code", fwt_err_name(worst), "message",
			                                            argc == 1 ? fwt_ctx_errmsg(cli->ctx)
			                                                      : "not every RIM verified"));
		cli_json_emit(cli, obj, worst);
	}
	rc = cli_exit_code(worst);
done:
	fwt_pubkey_free(k);
	fwt_trust_free(v.trust);
	free(opts.trust.v);
	return rc;
}

int cmd_rim(int argc, char **argv, struct cli *cli)
{
	static const struct cli_verb verbs[] = {
		{ "create", rim_create, "make a CoRIM of reference values from files or digests" },
		{ "show", rim_show, "print a RIM as a table, JSON or CBOR diagnostic notation" },
		{ "sign", rim_sign, "sign a CoRIM as COSE_Sign1 with corim-meta" },
		{ "verify", rim_verify, "check a signed RIM's signature and validity" },
		{ NULL, NULL, NULL }
	};

	cli->summary = "Create, sign, verify and show Reference Integrity Manifests (CoRIM).";
	return cli_dispatch(cli, verbs, argc, argv);
}
