/* SPDX-License-Identifier: Apache-2.0 */
/* attest.c - `fwtrail attest check`: evidence (event logs, SPDM) against
 * RIMs and SFRs, component by component. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "attest.h"

static const char *const check_usage[] = {
	"fwtrail attest check (--evidence file | --local [--sysfs-root dir]) ... --rim rim ... [--sfr report] ... "
	"[--trust path] ... [--key key] ... [--sfr-trust path] ... [--spdm-cert chain] ... [--spdm-trust path] ... "
	"[--spdm-nonce nonce] ... "
	"[--at time] [--json]",
	NULL
};

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

/* Standard input, read once, for an --evidence, --rim or --sfr given as
 * "-" (cli_appraise_check saw to one "-" at most); else the file. */
static fwt_err add_input(struct cli *cli, fwt_appraise *a, const char *path,
                         fwt_err (*add)(fwt_appraise *, const void *, size_t, const char *),
                         fwt_err (*add_file)(fwt_appraise *, const char *))
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (strcmp(path, "-"))
		return add_file(a, path);
	err = cli_read_input(cli, "-", FWT_APPRAISE_MAX_INPUT, 1, &buf, &len);
	if (!err)
		err = add(a, buf, len, "-");
	free(buf);
	return err;
}

int cli_appraise_check(struct cli *cli, const struct cli_appraise_inputs *in)
{
	unsigned char nonce[32];
	char *ev;
	size_t i, j;
	int rc;

	if (!in->evidence.n && !in->local)
		return cli_usage_error(cli, "no evidence given (--evidence or --local)");
	if (!in->rim.n)
		return cli_usage_error(cli, "no RIM given (--rim)");
	if (in->root && !in->local)
		return cli_usage_error(cli, "--sysfs-root only applies to --local");
	if ((rc = cli_refuse_stdin_list(cli, "--trust", &in->trust, CLI_WHY_TRUST)) >= 0 ||
	    (rc = cli_refuse_stdin_list(cli, "--key", &in->key, CLI_WHY_TRUST)) >= 0 ||
	    (rc = cli_refuse_stdin_list(cli, "--sfr-trust", &in->sfr_trust, CLI_WHY_TRUST)) >= 0 ||
	    (rc = cli_refuse_stdin_list(cli, "--spdm-trust", &in->spdm_trust, CLI_WHY_TRUST)) >= 0 ||
	    (rc = cli_refuse_stdin_list(cli, "--spdm-cert", &in->spdm_cert,
	                                "certificate chains are read from files")) >= 0)
		return rc;
	if ((rc = cli_appraise_stdin_once(cli, in, NULL, NULL)) >= 0)
		return rc;
	for (i = 0; i < in->spdm_nonce.n; i++) {
		if (parse_nonce(in->spdm_nonce.v[i], &ev, nonce))
			return cli_usage_error(cli, "--spdm-nonce: '%s' is not 64 hex digits, or evidence=64 hex digits",
			                       in->spdm_nonce.v[i]);
		for (j = 0; ev && j < in->evidence.n && strcmp(ev, in->evidence.v[j]); j++)
			;
		if (ev && j == in->evidence.n) {
			rc = cli_usage_error(cli, "--spdm-nonce: '%s' is not an --evidence file", ev);
			free(ev);
			return rc;
		}
		free(ev);
	}
	return -1;
}

int cli_appraise_stdin_once(struct cli *cli, const struct cli_appraise_inputs *in, const char *name,
                            const char *value)
{
	const struct cli_list *lists[] = { &in->evidence, &in->rim, &in->sfr };
	const char *const opt[] = { "--evidence", "--rim", "--sfr" };
	const char *names[2], *values[2];
	size_t i, j, n = 0;

	if (name && value && !strcmp(value, "-"))
		names[n] = name, values[n++] = value;
	for (i = 0; n < 2 && i < ARRAY_LEN(lists); i++)
		for (j = 0; n < 2 && j < lists[i]->n; j++)
			if (!strcmp(lists[i]->v[j], "-"))
				names[n] = opt[i], values[n++] = "-";
	return cli_stdin_once_named(cli, names, values, n);
}

int cli_appraise_record(struct cli *cli, const struct cli_appraise_inputs *in, int64_t at, json_t **rec,
                        fwt_err *errp, struct cli_appraisal *keep)
{
	static const struct cli_list none = { NULL, 0 };
	fwt_appraise_options ao = FWT_APPRAISE_OPTIONS_INIT;
	fwt_appraise *a = NULL;
	fwt_trust *trust = NULL, *spdm_trust = NULL, *sfr_trust = NULL;
	fwt_err err;
	size_t i;

	*rec = NULL;
	if (keep)
		memset(keep, 0, sizeof(*keep));
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
		err = add_input(cli, a, in->evidence.v[i], fwt_appraise_add_evidence, fwt_appraise_add_evidence_file);
	for (i = 0; !err && i < in->rim.n; i++)
		err = add_input(cli, a, in->rim.v[i], fwt_appraise_add_rim, fwt_appraise_add_rim_file);
	for (i = 0; !err && i < in->sfr.n; i++)
		err = add_input(cli, a, in->sfr.v[i], fwt_appraise_add_sfr, fwt_appraise_add_sfr_file);
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
		err = keep ? fwt_appraise_run_lazy(a, rec) : fwt_appraise_run(a, rec);
	/* with --sfr-trust the SFRs verify, but a review's device is
	 * cross-checked with the RIM's environment, which is only vouched for
	 * by a RIM that verified: none did */
	if (*rec && !trust && sfr_trust)
		cli_warn(cli, "no --trust or --key: RIM signatures were not checked, so SFRs do not count as reviews (a "
		         "report's device is cross-checked with a verified RIM's environment only)");
	else if (*rec && !trust)
		cli_warn(cli, "no --trust or --key: RIM signatures were not checked and SFRs do not count as reviews");
	*errp = err;
	if (keep && *rec) { /* the appraisal borrows the stores */
		*keep = (struct cli_appraisal){ a, { trust, spdm_trust, sfr_trust } };
		return -1;
	}
	fwt_appraise_free(a);
	fwt_trust_free(trust);
	fwt_trust_free(spdm_trust);
	fwt_trust_free(sfr_trust);
	return -1;
}

void cli_appraisal_free(struct cli_appraisal *k)
{
	size_t i;

	fwt_appraise_free(k->a);
	for (i = 0; i < sizeof(k->trust) / sizeof(k->trust[0]); i++)
		fwt_trust_free(k->trust[i]);
	memset(k, 0, sizeof(*k));
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

/* cli_json_emit_items' maker of the record's components. */
static fwt_err component_item(void *arg, size_t i, json_t **v)
{
	return fwt_appraise_component_json(arg, i, v);
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
	struct cli_appraisal kept = { NULL, { NULL, NULL, NULL } };
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
	rc = cli_appraise_record(cli, &in, at, &rec, &err, &kept);
	if (rc >= 0)
		goto done;
	/* the components one at a time: a log of 200000 events would take
	 * most of a gigabyte as one JSON tree */
	if (cli->json) {
		j = cli_json_new(cli);
		if (j && rec) {
			json_t *s;
			size_t k;
			json_object_update(j, rec);
			/* key_fingerprint, the name every command gives a key's
			 * fingerprint; "fingerprint" is kept (the audit policy
			 * and existing readers take it) */
			json_array_foreach(json_object_get(j, "signatures"), k, s)
				if (json_object_get(s, "fingerprint"))
					json_object_set(s, "key_fingerprint", json_object_get(s, "fingerprint"));
		}
		if (!rec) /* no appraisal: no components either */
			cli_json_emit(cli, j, err);
		else
			err = cli_json_emit_items(cli, j, err, "components", fwt_appraise_count(kept.a),
			                          component_item, kept.a);
	} else if (rec && !cli->quiet) {
		err = attest_print_record(rec, kept.a, err);
	}
	rc = cli_exit(cli, err);
done:
	cli_appraisal_free(&kept);
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
