/* SPDX-License-Identifier: Apache-2.0 */
/* attest.c - `fwtrail attest check`: evidence (event logs, SPDM) against
 * RIMs and SFRs, component by component. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

static const char *const check_usage[] = {
	"fwtrail attest check (--evidence file | --local [--sysfs-root dir]) ... --rim rim ... [--sfr report] ... "
	"[--trust path] ... [--key key] ... [--sfr-trust path] ... [--spdm-cert chain] ... [--spdm-trust path] ... "
	"[--spdm-nonce nonce] ... "
	"[--at time] [--json]",
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
	/* several devices or logs: the one that did not measure a reference,
	 * by its path as given (gpu0/bmc.spdm and gpu1/bmc.spdm differ) */
	if (!strcmp(str(c, "status"), "missing") && str(c, "evidence")) {
		size_t len = strlen(b) + strlen(str(c, "evidence")) + 4;
		char *w = malloc(len);
		if (w)
			snprintf(w, len, "%s (%s)", b, str(c, "evidence"));
		cell(w ? w : b, 34);
		free(w);
	} else {
		cell(b, 34);
	}
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

/* How an SPDM evidence was authenticated (every one gets a line). */
static void print_spdm_sig(const json_t *e)
{
	const char *auth = str(e, "authentication") ? str(e, "authentication") : "unauthenticated";

	printf("spdm '");
	cli_puts_safe(stdout, str(e, "path"));
	if (!strcmp(auth, "verified")) {
		printf("': signature verified with '");
		cli_puts_safe(stdout, str(e, "chain"));
		printf("' (");
		cli_puts_safe(stdout, str(e, "signer") ? str(e, "signer") : "?");
		printf("); chain %s; nonce %s\n",
		       json_is_true(json_object_get(e, "chain_validated")) ? "validated" : "not validated (no --trust)",
		       json_is_true(json_object_get(e, "nonce_checked")) ? "as expected" : "not checked (no --spdm-nonce)");
		return;
	}
	const char *why = str(e, "error") ? str(e, "error") : "?";
	if (!strncmp(why, "unauthenticated: ", 17))
		why += 17;
	printf("': %s: ", !strcmp(auth, "failed") ? "signature NOT verified" : "unauthenticated");
	cli_puts_safe(stdout, why);
	if (!strcmp(auth, "unauthenticated") && json_is_true(json_object_get(e, "signed")))
		printf(" (--spdm-cert)");
	fputc('\n', stdout);
}

/* The table, what did not verify, and the summary line. */
static void print_record(const json_t *rec)
{
	const json_t *comps = json_object_get(rec, "components"), *sum = json_object_get(rec, "summary"), *e;
	json_t *said;
	size_t i, n;

	printf("%-8s %-6s %-34s %-26s %-9s %-36s %s\n", "SOURCE", "INDEX", "COMPONENT", "DIGEST", "STATUS",
	       "REFERENCE", "REVIEW");
	json_array_foreach(comps, i, e)
		print_component(e);
	json_array_foreach(json_object_get(rec, "signatures"), i, e) {
		if (!strcmp(str(e, "kind"), "spdm")) {
			print_spdm_sig(e);
			continue;
		}
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
	/* reports that bind to a component but do not count, and why: each
	 * report and reason once (a set of "report\nreason" keys) */
	said = json_object();
	json_array_foreach(comps, i, e) {
		const json_t *r;
		size_t k;
		json_array_foreach(json_object_get(json_object_get(e, "review"), "rejected"), k, r) {
			const char *rp = str(r, "report") ? str(r, "report") : "", *rs = str(r, "reason") ? str(r, "reason") : "";
			size_t len = strlen(rp) + strlen(rs) + 2;
			char *key = malloc(len);
			if (key)
				snprintf(key, len, "%s\n%s", rp, rs);
			if (said && key && json_object_get(said, key)) {
				free(key);
				continue;
			}
			if (said && key)
				json_object_set_new(said, key, json_true());
			free(key);
			printf("sfr '");
			cli_puts_safe(stdout, str(r, "report"));
			printf("': not counted as a review: ");
			cli_puts_safe(stdout, str(r, "reason"));
			fputc('\n', stdout);
		}
	}
	json_decref(said);
	/* evidence without a block or an extending event, beside other
	 * evidence: said apart */
	n = 0;
	json_array_foreach(json_object_get(rec, "inputs"), i, e)
		n += !strcmp(str(e, "kind"), "spdm") || !strcmp(str(e, "kind"), "eventlog");
	json_array_foreach(json_object_get(rec, "inputs"), i, e) {
		int spdm = !strcmp(str(e, "kind"), "spdm");
		if (n < 2 || (!spdm && strcmp(str(e, "kind"), "eventlog")) ||
		    json_integer_value(json_object_get(e, spdm ? "blocks" : "events")))
			continue;
		printf("%s '", spdm ? "spdm" : "eventlog");
		cli_puts_safe(stdout, str(e, "path"));
		printf("': %s: this evidence measures nothing\n", spdm ? "no measurement block" : "no extending event");
	}
	json_array_foreach(json_object_get(rec, "conflicts"), i, e)
		printf("conflict: the RIMs disagree on the %s reference for SPDM index %lld\n", str(e, "alg"),
		       (long long)json_integer_value(json_object_get(e, "index")));
	/* references that cannot be compared are never dropped silently */
	json_array_foreach(json_object_get(rec, "unverifiable"), i, e) {
		printf("unverifiable: '");
		cli_puts_safe(stdout, str(e, "rim"));
		printf("': ");
		cli_puts_safe(stdout, str(e, "reason"));
		fputc('\n', stdout);
	}
	json_array_foreach(json_object_get(rec, "inputs"), i, e) {
		const json_t *tpm = json_object_get(e, "tpm");
		if (!tpm)
			continue;
		const json_t *u;
		size_t k;
		printf("local event log: ");
		if (json_is_true(json_object_get(tpm, "compared"))) {
			printf("%s\n", json_is_true(json_object_get(tpm, "match")) ? "replays to the TPM's PCRs"
			                                                           : "does NOT replay to the TPM's PCRs");
			json_array_foreach(json_object_get(tpm, "mismatches"), k, u) {
				const char *tv = str(u, "tpm");
				printf("local event log: %s PCR %lld: replayed %.16s..., the TPM has %.16s%s\n", str(u, "bank"),
				       (long long)json_integer_value(json_object_get(u, "pcr")), str(u, "replayed"),
				       tv ? tv : "nothing", tv ? "..." : "");
			}
			json_array_foreach(json_object_get(tpm, "unreplayable"), k, u)
				printf("local event log: the TPM has a %s bank the log cannot replay: event %lld has no %s "
				       "digest\n", str(u, "bank"), (long long)json_integer_value(json_object_get(u, "event")),
				       str(u, "bank"));
			if (str(tpm, "error")) /* no bank in common, or PCRs that do not read */
				printf("local event log: "), cli_puts_safe(stdout, str(tpm, "error")), fputc('\n', stdout);
			if (json_array_size(json_object_get(tpm, "unconfirmed"))) {
				printf("local event log: the TPM did not confirm the log's");
				json_array_foreach(json_object_get(tpm, "unconfirmed"), k, u)
					printf("%s %s", k ? "," : "", json_string_value(u));
				printf(" digests: they are not compared with the references\n");
			}
		} else
			cli_puts_safe(stdout, str(tpm, "error")), printf(" (PCRs not compared)\n");
	}
	if (!json_array_size(comps))
		printf("no component was compared: the evidence measures nothing\n");
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

/* ---- the inputs of an appraisal, shared with `fwtrail audit` ---- */

int cli_appraise_given(const struct cli_appraise_inputs *in)
{
	return in->evidence.n || in->local || in->rim.n || in->sfr.n || in->trust.n || in->key.n || in->root ||
	       in->sfr_trust.n || in->spdm_cert.n || in->spdm_trust.n || in->spdm_nonce.n;
}

/* An --spdm-nonce value: "hex" (evidence NULL) or "evidence=hex" (64 hex
 * digits after the last '='). */
static int parse_nonce(const char *v, char **evidence, unsigned char nonce[32])
{
	const char *eq = strrchr(v, '='), *h = eq ? eq + 1 : v;

	*evidence = NULL;
	if (strlen(h) != 64 || fwt_hex_parse_digest(nonce, 32, h, 64) != FWT_OK || (eq && eq == v))
		return -1;
	if (eq && !(*evidence = strndup(v, (size_t)(eq - v))))
		return -1;
	return 0;
}

int cli_appraise_check(struct cli *cli, const struct cli_appraise_inputs *in)
{
	unsigned char nonce[32];
	char *ev;
	size_t i, j;

	if (!in->evidence.n && !in->local)
		return cli_usage_error(cli, "no evidence given (--evidence or --local)");
	if (!in->rim.n)
		return cli_usage_error(cli, "no RIM given (--rim)");
	if (in->root && !in->local)
		return cli_usage_error(cli, "--sysfs-root only applies to --local");
	for (i = 0; i < in->spdm_nonce.n; i++) {
		if (parse_nonce(in->spdm_nonce.v[i], &ev, nonce))
			return cli_usage_error(cli, "--spdm-nonce: '%s' is not 64 hex digits, or evidence=64 hex digits",
			                       in->spdm_nonce.v[i]);
		for (j = 0; ev && j < in->evidence.n && strcmp(ev, in->evidence.v[j]); j++)
			;
		if (ev && j == in->evidence.n) {
			int rc = cli_usage_error(cli, "--spdm-nonce: '%s' is not an --evidence file", ev);
			free(ev);
			return rc;
		}
		free(ev);
	}
	return -1;
}

int cli_appraise_record(struct cli *cli, const struct cli_appraise_inputs *in, int64_t at, json_t **rec,
                        fwt_err *errp)
{
	static const struct cli_list none = { NULL, 0 };
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise *a = NULL;
	fwt_trust *trust = NULL, *spdm_trust = NULL, *sfr_trust = NULL;
	fwt_err err;
	size_t i;

	*rec = NULL;
	err = load_trust(cli, &in->trust, &in->key, &trust);
	if (!err)
		err = load_trust(cli, &in->spdm_trust, &none, &spdm_trust);
	if (!err)
		err = load_trust(cli, &in->sfr_trust, &none, &sfr_trust);
	if (!err && ((trust && !fwt_trust_count(trust)) || (spdm_trust && !fwt_trust_count(spdm_trust)) ||
	             (sfr_trust && !fwt_trust_count(sfr_trust)))) {
		int rc = cli_usage_error(cli, "no trusted key found in %s", trust && !fwt_trust_count(trust) ? "--trust"
		                                                        : spdm_trust && !fwt_trust_count(spdm_trust)
		                                                            ? "--spdm-trust" : "--sfr-trust");
		fwt_trust_free(trust);
		fwt_trust_free(spdm_trust);
		fwt_trust_free(sfr_trust);
		return rc;
	}
	if (trust) /* certificates' dates are checked at --at too */
		fwt_trust_set_time(trust, at);
	if (spdm_trust)
		fwt_trust_set_time(spdm_trust, at);
	if (sfr_trust)
		fwt_trust_set_time(sfr_trust, at);
	/* one store for vendors and reviewers: a reviewer's key could vouch for
	 * reference values, and a vendor's could publish its own review */
	if (!err && trust && in->sfr.n && !sfr_trust)
		cli_warn(cli, "--trust vouches for both the RIM signers and the SFR (review) signers: give the review "
		         "signers with --sfr-trust");
	/* one store for device roots and RIM signers: a device's own key could
	 * vouch for its measurements unless the library refuses it, which it
	 * does only for the chains given and SPDM-purpose certificates */
	if (!err && trust && in->spdm_cert.n && !spdm_trust)
		cli_warn(cli, "--trust anchors both the SPDM device chains and the RIM and SFR signers: give the "
		         "device roots with --spdm-trust");
	ao.trust = trust;
	ao.spdm_trust = spdm_trust;
	ao.sfr_trust = sfr_trust;
	ao.at = at;
	if (!err)
		err = fwt_appraise_new(cli->ctx, &a, &ao);
	/* the chains first: RIM and SFR signers are checked against them */
	for (i = 0; !err && i < in->spdm_cert.n; i++)
		err = fwt_appraise_add_spdm_chain_file(a, in->spdm_cert.v[i]);
	if (!err && in->local)
		err = fwt_appraise_add_local(a, in->root);
	for (i = 0; !err && i < in->evidence.n; i++)
		err = fwt_appraise_add_evidence_file(a, in->evidence.v[i]);
	for (i = 0; !err && i < in->rim.n; i++)
		err = fwt_appraise_add_rim_file(a, in->rim.v[i]);
	for (i = 0; !err && i < in->sfr.n; i++)
		err = fwt_appraise_add_sfr_file(a, in->sfr.v[i]);
	for (i = 0; !err && i < in->spdm_nonce.n; i++) {
		unsigned char nonce[32];
		char *ev = NULL;
		if (parse_nonce(in->spdm_nonce.v[i], &ev, nonce)) /* checked by cli_appraise_check */
			err = FWT_ENOMEM;
		else
			err = fwt_appraise_set_spdm_nonce(a, ev, nonce);
		free(ev);
	}
	if (!err)
		err = fwt_appraise_run(a, rec);
	/* with --sfr-trust the SFRs verify, but a review's device is
	 * cross-checked with the RIM's environment, which is only vouched for
	 * by a RIM that verified: none did */
	if (*rec && !trust && sfr_trust)
		cli_warn(cli, "no --trust or --key: RIM signatures were not checked, so SFRs do not count as reviews (a "
		         "report's device is cross-checked with a verified RIM's environment only)");
	else if (*rec && !trust)
		cli_warn(cli, "no --trust or --key: RIM signatures were not checked and SFRs do not count as reviews");
	fwt_appraise_free(a);
	fwt_trust_free(trust);
	fwt_trust_free(spdm_trust);
	fwt_trust_free(sfr_trust);
	*errp = err;
	return -1;
}

void cli_appraise_free(struct cli_appraise_inputs *in)
{
	free(in->evidence.v);
	free(in->rim.v);
	free(in->sfr.v);
	free(in->trust.v);
	free(in->key.v);
	free(in->spdm_cert.v);
	free(in->spdm_trust.v);
	free(in->sfr_trust.v);
	free(in->spdm_nonce.v);
	memset(in, 0, sizeof(*in));
}

static int attest_check(int argc, char **argv, struct cli *cli)
{
	struct cli_appraise_inputs in;
	const char *at_str = NULL;
	const struct cli_opt table[] = {
		CLI_APPRAISE_OPTS(in),
		{ 0, "at", CLI_STR, &at_str, "time", "appraise at this RFC 3339 time instead of now" },
		CLI_OPT_END
	};
	json_t *rec = NULL, *j;
	fwt_err err = FWT_OK;
	int64_t at;
	int rc;

	memset(&in, 0, sizeof(in));
	cli->usage = check_usage;
	cli->summary = "Check attestation evidence against RIMs and SFRs: per component match, mismatch,\n"
	               "unknown or missing, with the review status from the SFRs.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto done;
	at = (int64_t)time(NULL);
	if (argc)
		rc = cli_usage_error(cli, "unexpected argument '%s' (give evidence with --evidence)", argv[0]);
	else if ((rc = cli_appraise_check(cli, &in)) >= 0)
		;
	else if (at_str && (rc = cli_parse_time(cli, "--at", at_str, &at)) >= 0)
		;
	else if (!cli_ctx(cli))
		rc = EXIT_INTERNAL;
	if (rc >= 0)
		goto done;
	rc = cli_appraise_record(cli, &in, at, &rec, &err);
	if (rc >= 0)
		goto done;
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
	cli_appraise_free(&in);
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
