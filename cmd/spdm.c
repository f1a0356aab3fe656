/* SPDX-License-Identifier: Apache-2.0 */
/* spdm.c - `fwtrail spdm show|verify`: SPDM GET_MEASUREMENTS transcripts and
 * Redfish ComponentIntegrity measurements, and their signatures. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static const char *const show_usage[] = {
	"fwtrail spdm show [--json] input",
	NULL
};

static const char *const verify_usage[] = {
	"fwtrail spdm verify --cert chain [--trust roots] ... [--revoked file] ... [--at time] [--nonce hex] [--json] input",
	NULL
};

/* The evidence named on the command line: standard input for "-". */
static fwt_err load_spdm(struct cli *cli, const char *path, fwt_spdm **s)
{
	if (!strcmp(path, "-"))
		return fwt_spdm_load_fd(cli->ctx, s, STDIN_FILENO, "-");
	return fwt_spdm_load(cli->ctx, s, path);
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void print_blocks(json_t *blocks)
{
	size_t i;
	json_t *b;

	json_array_foreach(blocks, i, b) {
		json_t *t = json_object_get(b, "type");
		int raw = json_object_get(b, "value") != NULL;
		printf("  %3lld  %-20s %-6s ", (long long)json_integer_value(json_object_get(b, "index")),
		       json_is_string(t) ? json_string_value(t) : "-", raw ? "value" : jstr(b, "alg")[0] ? jstr(b, "alg") : "digest");
		fputs(raw ? jstr(b, "value") : jstr(b, "digest"), stdout);
		if (json_object_get(b, "text")) {
			fputs("  \"", stdout);
			cli_puts_safe(stdout, jstr(b, "text"));
			fputc('"', stdout);
		}
		if (json_is_integer(json_object_get(b, "svn")))
			printf("  (SVN %lld)", (long long)json_integer_value(json_object_get(b, "svn")));
		else if (json_is_string(json_object_get(b, "svn"))) /* above INT64_MAX */
			printf("  (SVN %s)", jstr(b, "svn"));
		fputc('\n', stdout);
	}
}

static void print_show(const char *path, json_t *o)
{
	const char *src = jstr(o, "source");
	json_t *blocks = json_object_get(o, "blocks"), *rf = json_object_get(o, "redfish"), *op, *a, *e;
	size_t n = json_array_size(blocks), i;

	cli_puts_safe(stdout, path);
	if (!strcmp(src, "redfish_request")) {
		json_t *idx = json_object_get(rf, "measurement_indices");
		printf(": Redfish SPDMGetSignedMeasurements request, slot %lld",
		       (long long)json_integer_value(json_object_get(rf, "slot")));
		if (json_object_get(o, "request"))
			printf(", nonce %s", jstr(json_object_get(o, "request"), "nonce"));
		if (json_array_size(idx)) {
			printf(", indices");
			json_array_foreach(idx, i, e)
				printf("%s%lld", i ? "," : " ", (long long)json_integer_value(e));
		}
		printf("\n");
		return;
	}
	if (!strcmp(src, "redfish_component_integrity")) {
		printf(": Redfish ComponentIntegrity '");
		cli_puts_safe(stdout, jstr(rf, "id"));
		printf("' (SPDM%s", jstr(rf, "type_version")[0] ? " " : "");
		cli_puts_safe(stdout, jstr(rf, "type_version"));
		printf(", unsigned), %zu measurement block%s%s\n", n, n == 1 ? "" : "s",
		       json_is_false(json_object_get(rf, "enabled")) ? ", disabled" : "");
		print_blocks(blocks);
		return;
	}
	printf(": SPDM %s transcript, %zu messages, %s, %zu measurement block%s\n", jstr(o, "version"),
	       json_array_size(json_object_get(o, "messages")), json_is_true(json_object_get(o, "signed")) ? "signed" : "unsigned",
	       n, n == 1 ? "" : "s");
	if (json_is_string(json_object_get(json_object_get(o, "request"), "nonce")))
		printf("requester nonce: %s\n", jstr(json_object_get(o, "request"), "nonce"));
	printf("responder nonce: %s\n", jstr(json_object_get(o, "response"), "nonce"));
	if (json_is_true(json_object_get(json_object_get(o, "request"), "new_measurement_requested")))
		printf("new measurement requested: the measurements are of pending firmware (those that take effect at "
		       "the next reset), not of the running state\n");
	if (json_integer_value(json_object_get(json_object_get(o, "response"), "content_changed")) == 1)
		printf("content changed: %s\n", json_integer_value(json_object_get(o, "exchanges")) > 1
		       ? "the responder detected measurement changes during the transcript: the earlier responses "
		         "may be stale"
		       : "the responder detected measurement changes before this transcript's only exchange");
	if ((a = json_object_get(o, "algorithms")) != NULL)
		printf("algorithms: %s, %s, measurements %s%s\n", jstr(a, "base_asym"), jstr(a, "base_hash"),
		       jstr(a, "measurement_hash"),
		       json_is_true(json_object_get(o, "signed")) && json_is_false(json_object_get(o, "algorithms_signed"))
		               ? " (not signed: SPDM 1.0 and 1.1 sign only the measurement messages)" : "");
	if ((op = json_object_get(o, "opaque")) && json_is_object(op)) {
		a = json_object_get(op, "nvidia");
		printf("opaque data: %lld bytes%s\n", (long long)json_integer_value(json_object_get(op, "size")),
		       a ? " (NVIDIA fields)" : json_object_get(op, "elements") ? " (DMTF general opaque data)" : "");
		json_array_foreach(a, i, e) {
			const char *v = jstr(e, "value");
			printf("  %-24s ", jstr(e, "name"));
			if (json_object_get(e, "text"))
				cli_puts_safe(stdout, jstr(e, "text"));
			else
				printf("%.64s%s", v, strlen(v) > 64 ? "..." : "");
			fputc('\n', stdout);
		}
	}
	if (json_is_string(json_object_get(o, "signature")))
		printf("signature: %zu bytes (slot %lld)\n", strlen(jstr(o, "signature")) / 2,
		       (long long)json_integer_value(json_object_get(json_object_get(o, "request"), "slot")));
	print_blocks(blocks);
}

static int cmd_spdm_show(int argc, char **argv, struct cli *cli)
{
	const struct cli_opt table[] = { CLI_OPT_END };
	fwt_spdm *s = NULL;
	json_t *o = NULL;
	fwt_err err;
	int rc;

	cli->usage = show_usage;
	cli->summary = "Show the measurement blocks, nonces, opaque data and signature of SPDM\n"
	               "GET_MEASUREMENTS evidence: a binary or hex transcript, or Redfish JSON.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (argc != 1)
		return cli_usage_error(cli, argc ? "only one input at a time" : "no input given");
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	err = load_spdm(cli, argv[0], &s);
	if (!err)
		err = fwt_spdm_to_json(s, &o);
	if (cli->json) {
		json_t *obj = cli_json_new(cli);
		if (o)
			json_object_update(obj, o);
		cli_json_set_name(obj, "path", argv[0]);
		cli_json_emit(cli, obj, err);
	} else if (!err) {
		print_show(argv[0], o);
	}
	json_decref(o);
	fwt_spdm_free(s);
	return cli_exit(cli, err);
}

static int cmd_spdm_verify(int argc, char **argv, struct cli *cli)
{
	struct verify_opts {
		const char *cert, *nonce, *at;
		struct cli_list trust, revoked;
	} o = { NULL, NULL, NULL, { NULL, 0 }, { NULL, 0 } };
	const struct cli_opt table[] = {
		{ 0, "cert", CLI_STR, &o.cert, "chain", "the responder's certificate chain (PEM), leaf first or root first" },
		{ 0, "trust", CLI_LIST, &o.trust, "roots", "validate the chain against these roots (repeatable)" },
		{ 0, "revoked", CLI_LIST, &o.revoked, "file",
		  "revoked keys: SHA-256 fingerprints, one a line; none may be in the chain (repeatable)" },
		{ 0, "at", CLI_STR, &o.at, "time", "validate the chain at this RFC 3339 time instead of now (needs --trust)" },
		{ 0, "nonce", CLI_STR, &o.nonce, "hex", "the requester nonce the evidence must answer (64 hex digits)" },
		CLI_OPT_END
	};
	fwt_spdm_verify_options vo = FWT_SPDM_VERIFY_OPTIONS_INIT;
	fwt_spdm_verdict vd;
	fwt_spdm *s = NULL;
	fwt_pubkey **chain = NULL;
	fwt_trust *trust = NULL;
	unsigned char nonce[32];
	int64_t at = 0;
	size_t n = 0, i;
	json_t *j = NULL;
	fwt_err err;
	int rc;

	cli->usage = verify_usage;
	cli->summary = "Verify the signature of SPDM GET_MEASUREMENTS evidence over its transcript with\n"
	               "the leaf of a certificate chain; validate the chain and the nonce when asked.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto out_rc;
	rc = EXIT_USAGE;
	if (!o.cert) {
		rc = cli_usage_error(cli, "--cert is required");
		goto out_rc;
	}
	if (o.nonce && (strlen(o.nonce) != 64 || fwt_hex_parse_digest(nonce, 32, o.nonce, 64) != FWT_OK)) {
		rc = cli_usage_error(cli, "--nonce: '%s' is not 64 hex digits", o.nonce);
		goto out_rc;
	}
	if (argc != 1) {
		rc = cli_usage_error(cli, argc ? "only one input at a time" : "no input given");
		goto out_rc;
	}
	if (o.revoked.n && !o.trust.n) {
		rc = cli_usage_error(cli, "--revoked needs --trust (revocation is checked while the chain is validated)");
		goto out_rc;
	}
	if (o.at && !o.trust.n) {
		rc = cli_usage_error(cli, "--at needs --trust (it is the time the chain is validated at)");
		goto out_rc;
	}
	if (o.at && (rc = cli_parse_time(cli, "--at", o.at, &at)) >= 0)
		goto out_rc;
	if (!cli_ctx(cli)) {
		rc = EXIT_INTERNAL;
		goto out_rc;
	}
	memset(&vd, 0, sizeof(vd));
	err = fwt_pubkey_load_all(cli->ctx, o.cert, &chain, &n);
	if (!err && o.trust.n) {
		err = fwt_trust_new(cli->ctx, &trust);
		for (i = 0; !err && i < o.trust.n; i++)
			err = fwt_trust_add_path(trust, o.trust.v[i]);
		for (i = 0; !err && i < o.revoked.n; i++)
			err = fwt_trust_add_revoked(trust, o.revoked.v[i]);
	}
	if (!err)
		err = load_spdm(cli, argv[0], &s);
	if (!err) {
		vo.chain = chain;
		vo.chain_len = n;
		vo.trust = trust;
		vo.at = at;
		vo.nonce = o.nonce ? nonce : NULL;
		err = fwt_spdm_verify(cli->ctx, s, &vo, &vd);
	}
	if (cli->json) {
		json_t *obj = cli_json_new(cli), *v = json_object();
		if (s && fwt_spdm_to_json(s, &j) == FWT_OK)
			json_object_update(obj, j);
		cli_json_set_name(obj, "path", argv[0]);
		json_object_set_new(v, "verified", json_boolean(err == FWT_OK));
		json_object_set_new(v, "alg", vd.alg ? json_string(fwt_sig_alg_name(vd.alg)) : json_null());
		json_object_set_new(v, "signer", vd.signer[0] ? json_string(vd.signer) : json_null());
		json_object_set_new(v, "signing_context", json_boolean(vd.prefixed));
		json_object_set_new(v, "chain_validated", json_boolean(vd.chain_checked));
		json_object_set_new(v, "nonce_checked", json_boolean(vd.nonce_checked));
		json_object_set_new(obj, "verify", v);
		cli_json_emit(cli, obj, err);
	} else if (!err && !cli->quiet) {
		printf("verified: SPDM %u.%u measurements (%zu blocks) signed by '", fwt_spdm_version(s) >> 4,
		       fwt_spdm_version(s) & 15, fwt_spdm_block_count(s));
		cli_puts_safe(stdout, vd.signer[0] ? vd.signer : o.cert);
		printf("' (%s%s); chain %s; nonce %s%s\n", fwt_sig_alg_name(vd.alg),
		       vd.prefixed ? ", 1.2+ signing context" : "", vd.chain_checked ? "validated" : "not validated (no --trust)",
		       vd.nonce_checked ? "as expected" : "not checked (no --nonce)",
		       fwt_spdm_to_json(s, &j) == FWT_OK && json_is_false(json_object_get(j, "algorithms_signed"))
		               ? "; algorithms not signed (SPDM 1.0/1.1)" : "");
	}
	rc = cli_exit(cli, err);
out_rc:
	json_decref(j);
	fwt_spdm_free(s);
	fwt_trust_free(trust);
	for (i = 0; i < n; i++)
		fwt_pubkey_free(chain[i]);
	free(chain);
	free(o.trust.v);
	free(o.revoked.v);
	return rc;
}

static const struct cli_verb spdm_verbs[] = {
	{ "show", cmd_spdm_show, "show SPDM measurement evidence (transcript or Redfish JSON)" },
	{ "verify", cmd_spdm_verify, "verify the signature of an SPDM measurement transcript" },
	{ NULL, NULL, NULL }
};

int cmd_spdm(int argc, char **argv, struct cli *cli)
{
	return cli_dispatch(cli, spdm_verbs, argc, argv);
}
