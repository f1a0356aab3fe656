/* SPDX-License-Identifier: Apache-2.0 */
/* attest.c - `fwtrail attest check`: evidence (event logs, SPDM) against
 * RIMs and SFRs, component by component. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

static const char *const check_usage[] = {
	"fwtrail attest check (--evidence file | --local [--sysfs-root dir]) ... --rim rim ... [--sfr report] ... "
	"[--trust path] ... [--key key] ... [--at time] [--json]",
	NULL
};

/* One table cell: the text made safe (cli_put_safe), padded to width. */
static void cell(const char *s, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (m) {
		cli_puts_safe(m, s ? s : "");
		fclose(m);
	}
	printf("%-*s ", width, buf ? buf : "");
	free(buf);
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static const char *base(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

static void print_component(const json_t *c)
{
	const json_t *ref = json_object_get(c, "reference"), *rev = json_object_get(c, "review");
	const json_t *idx = json_object_get(c, "index"), *ev = json_object_get(c, "event");
	const char *src = str(c, "source"), *digest = str(c, "digest");
	char b[160];

	if (!strcmp(src, "eventlog"))
		snprintf(b, sizeof(b), json_is_integer(idx) ? "pcr%lld" : "pcr?", (long long)json_integer_value(idx));
	else
		snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(idx));
	printf("%-8s %-6s ", src, b);
	if (json_is_integer(ev))
		snprintf(b, sizeof(b), "#%lld ", (long long)json_integer_value(ev));
	else
		b[0] = '\0';
	snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s", str(c, "name") ? str(c, "name") : "-");
	cell(b, 34);
	if (!digest)
		digest = str(c, "value") ? str(c, "value") : "";
	snprintf(b, sizeof(b), "%s:%.16s%s", str(c, "alg"), digest, strlen(digest) > 16 ? "..." : "");
	printf("%-26s %-9s ", b, str(c, "status"));
	if (ref) {
		snprintf(b, sizeof(b), "%s %s", base(str(ref, "rim")), str(ref, "key") ? str(ref, "key") : "-");
		cell(b, 36);
	} else {
		cell("-", 36);
	}
	if (!strcmp(str(rev, "status"), "reviewed")) {
		const json_t *mx = json_object_get(rev, "max_cvss");
		snprintf(b, sizeof(b), "%s, %lld issue%s", str(rev, "srp") ? str(rev, "srp") : "?",
		         (long long)json_integer_value(json_object_get(rev, "open_issues")),
		         json_integer_value(json_object_get(rev, "open_issues")) == 1 ? "" : "s");
		if (mx && json_integer_value(json_object_get(rev, "open_issues")))
			snprintf(b + strlen(b), sizeof(b) - strlen(b), " (max CVSS %.1f)", json_real_value(mx));
		cli_puts_safe(stdout, b);
	} else {
		fputs("unreviewed", stdout);
	}
	fputc('\n', stdout);
}

/* The table, what did not verify, and the summary line. */
static void print_record(const json_t *rec)
{
	const json_t *comps = json_object_get(rec, "components"), *sum = json_object_get(rec, "summary"), *e;
	size_t i;

	printf("%-8s %-6s %-34s %-26s %-9s %-36s %s\n", "SOURCE", "INDEX", "COMPONENT", "DIGEST", "STATUS",
	       "REFERENCE", "REVIEW");
	json_array_foreach(comps, i, e)
		print_component(e);
	json_array_foreach(json_object_get(rec, "signatures"), i, e) {
		if (json_is_true(json_object_get(e, "verified")))
			continue;
		printf("%s '", str(e, "kind"));
		cli_puts_safe(stdout, str(e, "path"));
		printf("': not verified: ");
		cli_puts_safe(stdout, str(e, "error"));
		if (!strcmp(str(e, "kind"), "sfr"))
			printf(" (not counted as a review)");
		else if (json_is_false(json_object_get(e, "used")))
			printf(" (its references are not used)");
		fputc('\n', stdout);
	}
	json_array_foreach(json_object_get(rec, "conflicts"), i, e)
		printf("conflict: the RIMs disagree on the %s reference for SPDM index %lld\n", str(e, "alg"),
		       (long long)json_integer_value(json_object_get(e, "index")));
	json_array_foreach(json_object_get(rec, "inputs"), i, e) {
		const json_t *tpm = json_object_get(e, "tpm");
		if (!tpm)
			continue;
		printf("local event log: ");
		if (json_is_true(json_object_get(tpm, "compared")))
			printf("%s\n", json_is_true(json_object_get(tpm, "match")) ? "replays to the TPM's PCRs"
			                                                           : "does NOT replay to the TPM's PCRs");
		else
			cli_puts_safe(stdout, str(tpm, "error")), printf(" (PCRs not compared)\n");
	}
#define N(k) (long long)json_integer_value(json_object_get(sum, k))
	printf("%s: %lld components: %lld match, %lld mismatch, %lld unknown, %lld missing; %lld reviewed, "
	       "%lld unreviewed\n",
	       json_is_true(json_object_get(rec, "ok")) ? "ok" : "NOT OK", N("components"), N("match"), N("mismatch"),
	       N("unknown"), N("missing"), N("reviewed"), N("unreviewed"));
#undef N
}

static fwt_err load_trust(struct cli *cli, const struct cli_list *paths, const struct cli_list *keys,
                          fwt_trust **out)
{
	fwt_pubkey *k = NULL;
	fwt_err err;
	size_t i;

	*out = NULL;
	if (!paths->n && !keys->n)
		return FWT_OK;
	err = fwt_trust_new(cli->ctx, out);
	for (i = 0; !err && i < paths->n; i++)
		err = fwt_trust_add_path(*out, paths->v[i]);
	for (i = 0; !err && i < keys->n; i++) {
		err = fwt_pubkey_load(cli->ctx, &k, keys->v[i]);
		if (!err)
			err = fwt_trust_add_key(*out, k);
		fwt_pubkey_free(k);
		k = NULL;
	}
	return err;
}

static int attest_check(int argc, char **argv, struct cli *cli)
{
	struct check_opts {
		struct cli_list evidence, rim, sfr, trust, key;
		const char *at, *root;
		int local;
	} o = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, NULL, NULL, 0 };
	const struct cli_opt table[] = {
		{ 'e', "evidence", CLI_LIST, &o.evidence, "file", "an event log or SPDM evidence (transcript, Redfish)" },
		{ 0, "local", CLI_FLAG, &o.local, NULL, "this machine's event log, checked against its TPM's PCRs" },
		{ 0, "sysfs-root", CLI_STR, &o.root, "dir", "look for /sys under dir (with --local)" },
		{ 'r', "rim", CLI_LIST, &o.rim, "rim", "reference values: a CoRIM or a SWID RIM" },
		{ 's', "sfr", CLI_LIST, &o.sfr, "report", "an OCP SAFE SFR (JWS or JSON) giving review status" },
		{ 't', "trust", CLI_LIST, &o.trust, "path", "trusted keys for RIMs and SFRs: a file or a folder" },
		{ 'k', "key", CLI_LIST, &o.key, "key", "one trusted key: PEM public key, PEM certificate or JWK" },
		{ 0, "at", CLI_STR, &o.at, "time", "appraise at this RFC 3339 time instead of now" },
		CLI_OPT_END
	};
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise *a = NULL;
	fwt_trust *trust = NULL;
	json_t *rec = NULL, *j;
	fwt_err err = FWT_OK;
	size_t i;
	int rc;

	cli->usage = check_usage;
	cli->summary = "Check attestation evidence against RIMs and SFRs: per component match, mismatch,\n"
	               "unknown or missing, with the review status from the SFRs.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto done;
	rc = -1;
	ao.at = (int64_t)time(NULL);
	if (argc)
		rc = cli_usage_error(cli, "unexpected argument '%s' (give evidence with --evidence)", argv[0]);
	else if (!o.evidence.n && !o.local)
		rc = cli_usage_error(cli, "no evidence given (--evidence or --local)");
	else if (!o.rim.n)
		rc = cli_usage_error(cli, "no RIM given (--rim)");
	else if (o.root && !o.local)
		rc = cli_usage_error(cli, "--sysfs-root only applies to --local");
	else if (o.at && fwt_time_parse_rfc3339(o.at, strlen(o.at), &ao.at) != FWT_OK)
		rc = cli_usage_error(cli, "--at: '%s' is not an RFC 3339 time or date", o.at);
	else if (!cli_ctx(cli))
		rc = EXIT_INTERNAL;
	if (rc >= 0)
		goto done;
	err = load_trust(cli, &o.trust, &o.key, &trust);
	if (!err && trust && !fwt_trust_count(trust)) {
		rc = cli_usage_error(cli, "no trusted key found in --trust");
		goto done;
	}
	ao.trust = trust;
	if (!err)
		err = fwt_appraise_new(cli->ctx, &a, &ao);
	if (!err && o.local)
		err = fwt_appraise_add_local(a, o.root);
	for (i = 0; !err && i < o.evidence.n; i++)
		err = fwt_appraise_add_evidence_file(a, o.evidence.v[i]);
	for (i = 0; !err && i < o.rim.n; i++)
		err = fwt_appraise_add_rim_file(a, o.rim.v[i]);
	for (i = 0; !err && i < o.sfr.n; i++)
		err = fwt_appraise_add_sfr_file(a, o.sfr.v[i]);
	if (!err)
		err = fwt_appraise_run(a, &rec);
	if (rec && !trust)
		cli_warn(cli, "no --trust or --key: RIM signatures were not checked and SFRs do not count as reviews");
	if (cli->json) {
		j = cli_json_new(cli);
		if (j && rec)
			json_object_update(j, rec);
		cli_json_emit(cli, j, err);
	} else if (rec && !cli->quiet) {
		print_record(rec);
	}
	rc = cli_exit(cli, err);
done:
	json_decref(rec);
	fwt_appraise_free(a);
	fwt_trust_free(trust);
	free(o.evidence.v);
	free(o.rim.v);
	free(o.sfr.v);
	free(o.trust.v);
	free(o.key.v);
	return rc;
}

int cmd_attest(int argc, char **argv, struct cli *cli)
{
	static const struct cli_verb verbs[] = {
		{ "check", attest_check, "evidence against RIMs and SFRs: match, mismatch, unknown, missing; reviews" },
		{ NULL, NULL, NULL }
	};

	cli->summary = "Check attestation evidence against RIMs and SFRs.";
	return cli_dispatch(cli, verbs, argc, argv);
}
