/* SPDX-License-Identifier: Apache-2.0 */
/* eventlog.c - `fwtrail eventlog show|replay`: read a TCG PC Client event
 * log, replay its PCRs, and compare them with known or live values. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static const char *const show_usage[] = {
	"fwtrail eventlog show [--pcrs list] [--json] log",
	NULL
};

static const char *const replay_usage[] = {
	"fwtrail eventlog replay [--bank alg] [--pcrs list] [--expect file] [--json] log",
	"fwtrail eventlog replay --quote msg --quote-sig sig --ak pub [--nonce hex] [--bank alg] [--pcrs list] "
	"[--expect file] [--json] log",
	"fwtrail eventlog replay --local [--sysfs-root dir] [--quote msg --quote-sig sig --ak pub [--nonce hex]] "
	"[--bank alg] [--pcrs list] [--json]",
	NULL
};

#define ALL_BANKS (FWT_DIGEST_SHA1 | FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512)
static const fwt_digest_alg bank_order[] = { FWT_DIGEST_SHA1, FWT_DIGEST_SHA256, FWT_DIGEST_SHA384,
	                                     FWT_DIGEST_SHA512 };

static const char *format_name(const fwt_eventlog *log)
{
	return fwt_eventlog_get_format(log) == FWT_EVENTLOG_CRYPTO_AGILE ? "crypto-agile" : "sha1-legacy";
}

/* The log named on the command line: standard input for "-". */
static fwt_err load_log(struct cli *cli, const char *path, fwt_eventlog **log, const fwt_eventlog_options *lo)
{
	if (!strcmp(path, "-"))
		return fwt_eventlog_load_fd(cli->ctx, log, STDIN_FILENO, "-", lo);
	return fwt_eventlog_load(cli->ctx, log, path, lo);
}

/* Known PCR values (--expect): standard input for "-". */
static fwt_err load_pcrs(struct cli *cli, const char *path, fwt_pcrs **p)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (strcmp(path, "-"))
		return fwt_pcrs_load(cli->ctx, p, path);
	err = cli_read_input(cli, path, FWT_PCRS_MAX_SIZE, 1, &buf, &len);
	if (!err)
		err = fwt_pcrs_parse(cli->ctx, p, buf, len, path);
	free(buf);
	return err;
}

static void warn_mismatches(struct cli *cli, const fwt_eventlog *log)
{
	size_t i;

	fwt_eventlog_event e;

	for (i = 0; fwt_eventlog_event_get(log, i, &e) == FWT_OK; i++) {
		const char *tn = fwt_eventlog_type_name(e.type);
		if (e.check == FWT_EVENT_CHECK_MISMATCH)
			cli_warn(cli, "event %zu (%s, PCR %u): digest does not match its data", i, tn ? tn : "?",
			         e.pcr);
	}
}

static json_t *log_json(struct cli *cli, const char *path, const fwt_eventlog *log)
{
	json_t *o = cli_json_new(cli), *a = json_array(), *m = json_array();
	int loc = fwt_eventlog_startup_locality(log);
	fwt_eventlog_event e;
	size_t i;

	cli_json_set_name(o, "path", path);
	json_object_set_new(o, "format", json_string(format_name(log)));
	for (i = 0; i < fwt_eventlog_alg_count(log); i++) {
		const fwt_eventlog_alg *al = fwt_eventlog_alg_at(log, i);
		char id[8];
		snprintf(id, sizeof(id), "0x%04x", al->id);
		json_array_append_new(a, json_string(al->alg ? fwt_digest_name(al->alg) : id));
	}
	json_object_set_new(o, "algorithms", a);
	json_object_set_new(o, "event_count", json_integer((json_int_t)fwt_eventlog_count(log)));
	json_object_set_new(o, "startup_locality", loc >= 0 ? json_integer(loc) : json_null());
	for (i = 0; fwt_eventlog_event_get(log, i, &e) == FWT_OK; i++)
		if (e.check == FWT_EVENT_CHECK_MISMATCH)
			json_array_append_new(m, json_integer((json_int_t)i));
	json_object_set_new(o, "digest_mismatches", m);
	return o;
}

struct show_events {
	const fwt_eventlog *log;
	uint32_t mask;
};

/* cli_json_emit_items' maker of show --json's events: those on --pcrs. */
static fwt_err show_event(void *arg, size_t i, json_t **v)
{
	const struct show_events *se = arg;
	fwt_eventlog_event ev;
	fwt_err err = fwt_eventlog_event_get(se->log, i, &ev);

	if (err || !(se->mask & (1u << ev.pcr)))
		return err;
	return fwt_eventlog_event_to_json(se->log, i, v);
}

static int cmd_eventlog_show(int argc, char **argv, struct cli *cli)
{
	const char *pcrs = NULL;
	const struct cli_opt table[] = {
		{ 0, "pcrs", CLI_STR, &pcrs, "list", "only events on these PCRs (\"0-7,14\")" },
		CLI_OPT_END
	};
	fwt_eventlog_options lo = FWT_EVENTLOG_OPTIONS_INIT;
	fwt_eventlog *log = NULL;
	fwt_eventlog_event ev;
	uint32_t mask = 0xffffffffu;
	json_t *obj = NULL;
	fwt_err err;
	size_t i, k;
	int rc;

	cli->usage = show_usage;
	cli->summary = "Show the events of a TCG PC Client event log (SHA-1 or crypto-agile), with\n"
	               "their digests and decoded data.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (pcrs && fwt_pcr_list_parse(pcrs, &mask) != FWT_OK)
		return cli_usage_error(cli, "--pcrs: '%s' is not a PCR list (like 0-7,14)", pcrs);
	if (argc != 1)
		return cli_usage_error(cli, argc ? "only one log at a time" : "no event log given");
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	err = load_log(cli, argv[0], &log, &lo);
	if (!err)
		warn_mismatches(cli, log);
	if (cli->json) {
		/* written one event at a time: a log of 200000 events would take
		 * half a gigabyte as one JSON tree */
		struct show_events se = { log, mask };
		obj = err ? cli_json_new(cli) : log_json(cli, argv[0], log);
		err = cli_json_emit_items(cli, obj, err, "events", err ? 0 : fwt_eventlog_count(log), show_event, &se);
	} else if (!err) {
		int loc = fwt_eventlog_startup_locality(log);
		cli_puts_safe(stdout, argv[0]);
		printf(": %s, %zu events, banks", format_name(log), fwt_eventlog_count(log));
		for (i = 0; i < fwt_eventlog_alg_count(log); i++) {
			const fwt_eventlog_alg *al = fwt_eventlog_alg_at(log, i);
			if (al->alg)
				printf(" %s", fwt_digest_name(al->alg));
			else
				printf(" 0x%04x", al->id);
		}
		if (loc >= 0)
			printf(", StartupLocality %d", loc);
		printf("\n");
		for (i = 0; !err && fwt_eventlog_event_get(log, i, &ev) == FWT_OK; i++) {
			const fwt_eventlog_event *e = &ev;
			const char *tn = fwt_eventlog_type_name(e->type);
			char *desc = NULL, hex[2 * FWT_DIGEST_MAX + 1];
			if (!(mask & (1u << e->pcr)))
				continue;
			err = fwt_eventlog_event_describe(log, i, &desc);
			if (err)
				break;
			if (tn)
				printf("event %zu  PCR %u  %s  ", i, e->pcr, tn);
			else
				printf("event %zu  PCR %u  0x%08x  ", i, e->pcr, e->type);
			cli_puts_safe(stdout, desc);
			fputc('\n', stdout);
			free(desc);
			for (k = 0; k < e->n_digests; k++) {
				fwt_hex_encode(hex, e->digests[k].value, e->digests[k].size);
				if (e->digests[k].alg)
					printf("  %-7s %s\n", fwt_digest_name(e->digests[k].alg), hex);
				else
					printf("  0x%04x  %s\n", e->digests[k].alg_id, hex);
			}
		}
	}
	fwt_eventlog_free(log);
	return cli_exit(cli, err);
}

/* The PCRs shown of bank alg: those the log extends, within mask and,
 * with a verified quote (only non-NULL), within what the quote signs. */
static int bank_shown(const fwt_pcrs *p, unsigned banks, const fwt_pcr_scope *only, fwt_digest_alg alg)
{
	return (banks & fwt_pcrs_banks(p) & alg) && (!only || fwt_pcr_scope_get(only, alg));
}

static uint32_t shown_pcrs(const fwt_pcrs *p, uint32_t mask, const fwt_pcr_scope *only, fwt_digest_alg alg)
{
	return fwt_pcrs_selected(p, alg) & mask & (only ? fwt_pcr_scope_get(only, alg) : 0xffffffffu);
}

static json_t *pcrs_json(const fwt_pcrs *p, unsigned banks, uint32_t mask, const fwt_pcr_scope *only)
{
	json_t *o = json_object();
	size_t i;
	unsigned pcr;
	char num[4];

	for (i = 0; i < ARRAY_LEN(bank_order); i++) {
		json_t *b;
		uint32_t sel = shown_pcrs(p, mask, only, bank_order[i]);
		if (!bank_shown(p, banks, only, bank_order[i]))
			continue;
		b = json_object();
		for (pcr = 0; pcr < FWT_PCR_COUNT; pcr++) {
			if (!(sel & (1u << pcr)))
				continue;
			snprintf(num, sizeof(num), "%u", pcr);
			json_object_set_new(b, num, cli_json_hex(fwt_pcrs_get(p, bank_order[i], pcr),
			                                        fwt_digest_size(bank_order[i])));
		}
		json_object_set_new(o, fwt_digest_name(bank_order[i]), b);
	}
	return o;
}

static void print_pcrs(const fwt_pcrs *p, unsigned banks, uint32_t mask, const fwt_pcr_scope *only)
{
	char hex[2 * FWT_DIGEST_MAX + 1];
	size_t i;
	unsigned pcr;

	for (i = 0; i < ARRAY_LEN(bank_order); i++) {
		uint32_t sel = shown_pcrs(p, mask, only, bank_order[i]);
		if (!bank_shown(p, banks, only, bank_order[i]))
			continue;
		printf("%s:\n", fwt_digest_name(bank_order[i]));
		for (pcr = 0; pcr < FWT_PCR_COUNT; pcr++) {
			if (!(sel & (1u << pcr)))
				continue;
			fwt_hex_encode(hex, fwt_pcrs_get(p, bank_order[i], pcr), fwt_digest_size(bank_order[i]));
			printf("  %2u: %s\n", pcr, hex);
		}
	}
}

/* Replayed banks a verified quote does not sign: not shown, since their
 * values are only the log's claim (a bit set of fwt_digest_alg). */
static unsigned unsigned_banks(const fwt_pcrs *p, unsigned banks, const fwt_pcr_scope *only)
{
	unsigned out = 0;
	size_t i;

	for (i = 0; only && i < ARRAY_LEN(bank_order); i++)
		if (bank_shown(p, banks, NULL, bank_order[i]) && !bank_shown(p, banks, only, bank_order[i]))
			out |= bank_order[i];
	return out;
}

/* The banks asked for must be replayable (exit 1 naming the event). */
static fwt_err check_banks(struct cli *cli, const fwt_eventlog *log, unsigned want)
{
	size_t i;
	fwt_err err;

	for (i = 0; i < ARRAY_LEN(bank_order); i++)
		if ((want & bank_order[i]) && (err = fwt_eventlog_bank_check(cli->ctx, log, bank_order[i])) != FWT_OK)
			return err;
	return FWT_OK;
}

/* Banks the log declares that fwtrail can replay (SHA-1, SHA-2). */
static unsigned declared_banks(const fwt_eventlog *log)
{
	unsigned m = 0;
	size_t i;

	for (i = 0; i < fwt_eventlog_alg_count(log); i++) {
		const fwt_eventlog_alg *al = fwt_eventlog_alg_at(log, i);
		if (al->alg && al->alg != FWT_DIGEST_SM3)
			m |= al->alg;
	}
	return m;
}

/* A declared bank the replay left out, because some event lacks its digest,
 * is never dropped silently (RELIABILITY E4): a warning names it and the
 * event, unless it is about to be an error. */
static void warn_unreplayable(struct cli *cli, const fwt_eventlog *log, unsigned skip)
{
	size_t i, ev;

	for (i = 0; i < ARRAY_LEN(bank_order); i++)
		if ((declared_banks(log) & bank_order[i]) && !(skip & bank_order[i]) &&
		    fwt_eventlog_bank_missing(log, bank_order[i], &ev))
			cli_warn(cli, "bank %s cannot be replayed: event %zu has no %s digest",
			         fwt_digest_name(bank_order[i]), ev, fwt_digest_name(bank_order[i]));
}

static json_t *unreplayable_json(const fwt_eventlog *log)
{
	json_t *o = json_object();
	size_t i, ev;

	for (i = 0; i < ARRAY_LEN(bank_order); i++)
		if ((declared_banks(log) & bank_order[i]) && fwt_eventlog_bank_missing(log, bank_order[i], &ev))
			json_object_set_new(o, fwt_digest_name(bank_order[i]), json_integer((json_int_t)ev));
	return o;
}

/* "0-7,14" (empty for none). */
static void pcr_list(char *out, size_t cap, uint32_t mask)
{
	size_t w = 0;
	unsigned a, b;

	out[0] = 0;
	for (a = 0; a < 32 && w < cap; a++) {
		if (!(mask & (1u << a)))
			continue;
		for (b = a; b + 1 < 32 && (mask & (1u << (b + 1))); b++)
			;
		if (b > a + 1)
			w += (size_t)snprintf(out + w, cap - w, "%s%u-%u", w ? "," : "", a, b);
		else if (b == a + 1)
			w += (size_t)snprintf(out + w, cap - w, "%s%u,%u", w ? "," : "", a, b);
		else
			w += (size_t)snprintf(out + w, cap - w, "%s%u", w ? "," : "", a);
		a = b;
	}
}

/* "sha1 0; sha256 0,7" */
static void scope_text(char *out, size_t cap, const fwt_pcr_scope *sc)
{
	char list[96];
	size_t i, w = 0;

	out[0] = 0;
	for (i = 0; i < ARRAY_LEN(bank_order) && w < cap; i++) {
		uint32_t m = fwt_pcr_scope_get(sc, bank_order[i]);
		if (!m)
			continue;
		pcr_list(list, sizeof(list), m);
		w += (size_t)snprintf(out + w, cap - w, "%s%s %s", w ? "; " : "", fwt_digest_name(bank_order[i]), list);
	}
}

static json_t *scope_json(const fwt_pcr_scope *sc)
{
	json_t *o = json_object();
	size_t i;
	unsigned pcr;

	for (i = 0; i < ARRAY_LEN(bank_order); i++) {
		uint32_t m = fwt_pcr_scope_get(sc, bank_order[i]);
		json_t *a;
		if (!m)
			continue;
		a = json_array();
		for (pcr = 0; pcr < 32; pcr++)
			if (m & (1u << pcr))
				json_array_append_new(a, json_integer(pcr));
		json_object_set_new(o, fwt_digest_name(bank_order[i]), a);
	}
	return o;
}

/* Whether the reference gives a PCR, in a bank the quote signs, that the
 * quote does not sign. */
static int unsigned_reference(const fwt_pcr_scope *signed_sel, const fwt_pcrs *want)
{
	uint32_t sel;
	size_t i;

	for (i = 0; want && i < ARRAY_LEN(bank_order); i++)
		if ((sel = fwt_pcr_scope_get(signed_sel, bank_order[i])) != 0 &&
		    (fwt_pcrs_selected(want, bank_order[i]) & ~sel))
			return 1;
	return 0;
}

struct quote_args {
	const char *msg, *sig, *ak, *nonce;
};

/* Check the quote against the replay p.  FWT_EVERIFY is reported here (its
 * message printed); other errors are returned for cli_exit. */
static fwt_err verify_quote(struct cli *cli, const struct quote_args *q, const fwt_pcrs *p, unsigned banks,
                            uint32_t need, int whole_log, fwt_quote_result *res, fwt_pubkey **ak, int *ran)
{
	fwt_quote_options qo = FWT_QUOTE_OPTIONS_INIT;
	unsigned char *msg = NULL, *sig = NULL, nonce[64];
	size_t msglen = 0, siglen = 0, nlen = 0;
	fwt_tpm_public akpub;
	fwt_err err;

	if (q->nonce) {
		(void)fwt_hex_decode(nonce, sizeof(nonce), q->nonce, strlen(q->nonce), &nlen);
		qo.nonce = nonce;
		qo.nonce_len = nlen;
	}
	qo.msg_name = q->msg;
	qo.sig_name = q->sig;
	qo.need_pcrs = need;
	qo.need_extended = whole_log;
	qo.banks = banks;
	err = fwt_tpm_ak_load(cli->ctx, ak, &akpub, q->ak);
	if (!err && akpub.type)
		qo.ak_public = &akpub;
	if (!err)
		err = fwt_read_file(cli->ctx, q->msg, FWT_TPM_QUOTE_MAX_SIZE, &msg, &msglen);
	if (!err)
		err = fwt_read_file(cli->ctx, q->sig, FWT_TPM_QUOTE_MAX_SIZE, &sig, &siglen);
	if (!err) {
		*ran = 1;
		err = fwt_tpm_quote_verify(cli->ctx, msg, msglen, sig, siglen, *ak, p, &qo, res);
	}
	if (err == FWT_EVERIFY)
		cli_error(cli, "quote '%s': %s%s", q->msg, fwt_ctx_errmsg(cli->ctx),
		          /* a PCR missing (not an empty selection or a --bank bank) */
		          whole_log && res->failed == FWT_QUOTE_SELECTION && res->banks && !(banks & ~res->banks)
		                  ? " (--pcrs decides on fewer PCRs)" : "");
	free(msg);
	free(sig);
	return err;
}

static json_t *quote_json(const struct quote_args *q, const fwt_quote_result *r, const fwt_pubkey *ak, fwt_err err)
{
	json_t *o = json_object(), *a = json_object(), *sel = json_object();
	char hex[65];
	size_t i;
	unsigned pcr;

	cli_json_set_name(o, "message", q->msg);
	cli_json_set_name(o, "signature", q->sig);
	json_object_set_new(o, "verified", json_boolean(err == FWT_OK));
	json_object_set_new(o, "failed", r->failed ? json_string(fwt_quote_check_name(r->failed)) : json_null());
	fwt_hex_encode(hex, r->ak_fp, 32);
	cli_json_set_name(a, "path", q->ak);
	json_object_set_new(a, "type", json_string(fwt_pubkey_describe(ak)));
	json_object_set_new(a, "sha256_fingerprint", json_string(hex));
	/* null: a PEM key, certificate or JWK, whose attributes are not known */
	json_object_set_new(a, "restricted", r->ak_restricted < 0 ? json_null() : json_boolean(r->ak_restricted));
	if (r->ak_restricted < 0) {
		json_object_set_new(a, "object_attributes", json_null());
	} else {
		char attrs[11];
		snprintf(attrs, sizeof(attrs), "0x%08x", (unsigned)r->ak_attributes);
		json_object_set_new(a, "object_attributes", json_string(attrs));
	}
	json_object_set_new(o, "ak", a);
	json_object_set_new(o, "alg", r->alg ? json_string(fwt_sig_alg_name(r->alg)) : json_null());
	json_object_set_new(o, "nonce_checked", json_boolean(r->nonce_checked));
	json_object_set_new(o, "extra_data", cli_json_hex(r->attest.extra, r->attest.extra_len));
	/* a bank may be selected twice: its PCRs are those of both */
	for (i = 0; r->attest.is_quote && i < r->attest.n_sel; i++) {
		const fwt_tpm_pcr_selection *s = &r->attest.sel[i];
		json_t *l = json_array();
		uint32_t mask = 0;
		size_t j;
		char id[8];
		for (j = 0; j < r->attest.n_sel; j++)
			if (r->attest.sel[j].hash_id == s->hash_id)
				mask |= r->attest.sel[j].mask;
		for (pcr = 0; pcr < 32; pcr++)
			if (mask & (1u << pcr))
				json_array_append_new(l, json_integer(pcr));
		snprintf(id, sizeof(id), "0x%04x", s->hash_id);
		json_object_set_new(sel, s->alg ? fwt_digest_name(s->alg) : id, l);
	}
	json_object_set_new(o, "selection", sel);
	json_object_set_new(o, "pcr_digest", r->attest.is_quote ? cli_json_hex(r->attest.pcr_digest,
	                                                                      r->attest.pcr_digest_len) : json_null());
	json_object_set_new(o, "replayed_digest", r->digest_len ? cli_json_hex(r->digest, r->digest_len) : json_null());
	json_object_set_new(o, "reset_count", json_integer(r->attest.reset_count));
	json_object_set_new(o, "restart_count", json_integer(r->attest.restart_count));
	return o;
}

static void print_quote(const struct quote_args *q, const fwt_quote_result *r)
{
	char hex[65], list[96];
	const char *sep = "";
	size_t i;

	fwt_hex_encode(hex, r->ak_fp, 32);
	printf("quote '");
	cli_puts_safe(stdout, q->msg);
	printf("' verified: AK sha256:%s (%s, %s), PCRs", hex, fwt_sig_alg_name(r->alg),
	       r->ak_restricted > 0 ? "restricted" : "attributes not checked");
	for (i = 0; i < r->attest.n_sel; i++) {
		if (!r->attest.sel[i].mask)
			continue;
		pcr_list(list, sizeof(list), r->attest.sel[i].mask);
		printf("%s %s:%s", sep, fwt_digest_name(r->attest.sel[i].alg), list);
		sep = ",";
	}
	if (!*sep)
		printf(" none");
	printf(", %s\n", r->nonce_checked ? "nonce checked" : "nonce NOT checked (no --nonce)");
}

static int cmd_eventlog_replay(int argc, char **argv, struct cli *cli)
{
	struct replay_opts {
		const char *bank, *pcrs, *expect, *root;
		int local;
		struct quote_args q;
	} o = { NULL, NULL, NULL, NULL, 0, { NULL, NULL, NULL, NULL } };
	const struct cli_opt table[] = {
		{ 0, "bank", CLI_STR, &o.bank, "alg", "only these banks (sha1,sha256,sha384,sha512)" },
		{ 0, "pcrs", CLI_STR, &o.pcrs, "list", "only these PCRs (\"0-7,14\")" },
		{ 0, "expect", CLI_STR, &o.expect, "file", "compare with PCRs from tpm2_pcrread YAML or fwtrail JSON" },
		{ 0, "local", CLI_FLAG, &o.local, NULL, "this machine's log, compared with its live PCRs" },
		{ 0, "sysfs-root", CLI_STR, &o.root, "dir", "look for /sys under dir (with --local)" },
		{ 0, "quote", CLI_STR, &o.q.msg, "msg", "check a TPM quote (TPMS_ATTEST, tpm2_quote -m) against the replay" },
		{ 0, "quote-sig", CLI_STR, &o.q.sig, "sig", "the quote's signature (TPMT_SIGNATURE, tpm2_quote -s)" },
		{ 0, "ak", CLI_STR, &o.q.ak, "pub", "the attestation key that signed the quote (TPM2B_PUBLIC or PEM public key)" },
		{ 0, "nonce", CLI_STR, &o.q.nonce, "hex", "the nonce the quote must carry (tpm2_quote -q)" },
		CLI_OPT_END
	};
	fwt_eventlog_options lo = FWT_EVENTLOG_OPTIONS_INIT;
	fwt_eventlog *log = NULL;
	fwt_pcrs *p = NULL, *want = NULL;
	fwt_pcr_mismatch *mm = NULL;
	fwt_pcr_scope signed_sel, compared;
	const fwt_pcr_scope *only;
	unsigned banks = 0, unrep = 0;
	uint32_t mask = 0xffffffffu, cmpmask = 0;
	size_t nm = 0, i;
	const char *src = NULL, *path;
	json_t *obj = NULL;
	fwt_err err, verdict = FWT_OK, qverdict = FWT_OK;
	int hint_pcrs;
	fwt_quote_result qres;
	fwt_pubkey *ak = NULL;
	char bad[32], hg[2 * FWT_DIGEST_MAX + 1], hw[2 * FWT_DIGEST_MAX + 1], what[160];
	unsigned char nb[64];
	size_t nlen;
	int rc, qran = 0, scoped, compared_ran = 0;

	cli->usage = replay_usage;
	cli->summary = "Replay the PCR values of a TCG PC Client event log, and compare them with\n"
	               "known values (--expect), with this machine's TPM (--local), or with a TPM\n"
	               "quote signed by an attestation key (--quote).";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (o.bank && (fwt_digest_parse_list(o.bank, &banks, bad, sizeof(bad)) != FWT_OK || (banks & FWT_DIGEST_SM3)))
		return cli_usage_error(cli, "--bank: unknown bank '%s' (use sha1, sha256, sha384, sha512)",
		                       o.bank && *bad ? bad : o.bank);
	if (o.pcrs && fwt_pcr_list_parse(o.pcrs, &mask) != FWT_OK)
		return cli_usage_error(cli, "--pcrs: '%s' is not a PCR list (like 0-7,14)", o.pcrs);
	if (o.pcrs)
		cmpmask = mask;
	if (o.root && !o.local)
		return cli_usage_error(cli, "--sysfs-root only applies to --local");
	if (o.local && (argc || o.expect))
		return cli_usage_error(cli, "--local reads this machine's log: give no log and no --expect");
	if (!o.local && argc != 1)
		return cli_usage_error(cli, argc ? "only one log at a time" : "no event log given");
	if (o.expect && !strcmp(o.expect, "-") && !strcmp(argv[0], "-"))
		return cli_usage_error(cli, "standard input ('-') is either the log or --expect, not both");
	if ((o.q.msg || o.q.sig || o.q.ak || o.q.nonce) && !(o.q.msg && o.q.sig && o.q.ak))
		return cli_usage_error(cli, "--quote, --quote-sig and --ak go together%s",
		                       o.q.nonce ? " (--nonce needs them)" : "");
	if (o.q.nonce && (fwt_hex_decode(nb, sizeof(nb), o.q.nonce, strlen(o.q.nonce), &nlen) != FWT_OK || !nlen))
		return cli_usage_error(cli, "--nonce: '%s' is not 1 to 64 bytes in hex", o.q.nonce);
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	memset(&qres, 0, sizeof(qres));
	memset(&signed_sel, 0, sizeof(signed_sel));
	memset(&compared, 0, sizeof(compared));
	/* with a quote (and known values, not the live TPM) only the PCRs the
	 * TPM signed are decided on (RELIABILITY E6) */
	scoped = o.q.msg && !o.local;
	path = o.local ? "(local)" : argv[0];
	err = o.local ? fwt_eventlog_load_local(cli->ctx, &log, o.root, &lo) : load_log(cli, argv[0], &log, &lo);
	if (!err) {
		warn_mismatches(cli, log);
		/* replayed values alone are the answer: a replay of no bank is
		 * none (exit 4 or 6), never an empty success; a comparison or a
		 * --bank says no (exit 1) naming the event (RELIABILITY E4) */
		if (!o.bank && !o.expect && !o.local && !o.q.msg)
			err = fwt_eventlog_replay_check(cli->ctx, log);
		if (!err)
			err = fwt_eventlog_replay(cli->ctx, log, &p);
	}
	if (!err && banks)
		err = check_banks(cli, log, banks);
	if (!err && o.q.msg) {
		/* alone or with --local, the quote is what vouches for the
		 * PCRs: it must sign every PCR the log extends and PCRs 0-7, as
		 * --local compares them, unless --pcrs says which (a quote of
		 * PCR 23 proves nothing of the firmware's; with --expect only
		 * the signed PCRs are decided on, and the output says which) */
		err = verify_quote(cli, &o.q, p, o.bank ? banks : 0, cmpmask, !o.pcrs && !o.expect, &qres, &ak, &qran);
		if (err == FWT_EVERIFY) {
			qverdict = err;
			err = FWT_OK;
		} else if (!err) {
			err = fwt_tpm_quote_scope(&qres, &signed_sel);
		}
	}
	/* once a quote has verified, what is shown is what it signs */
	only = qran && !qverdict && scoped && !err ? &signed_sel : NULL;
	if (!err)
		unrep = declared_banks(log) & ~fwt_pcrs_banks(p);
	if (!err && !banks)
		banks = fwt_pcrs_banks(p);
	if (!err && o.expect) {
		src = o.expect;
		err = load_pcrs(cli, o.expect, &want);
	} else if (!err && o.local) {
		/* the PCRs the log extends, and always the firmware's PCRs 0-7,
		 * which only this log explains: a log stripped of a PCR's events
		 * must not replay to the TPM */
		uint32_t live = cmpmask;
		for (i = 0; !cmpmask && i < ARRAY_LEN(bank_order); i++)
			live |= 0xffu | fwt_pcrs_selected(p, bank_order[i]);
		unsigned ask = o.bank ? banks : banks | unrep;
		fwt_pcrs *probe = NULL;
		src = "the TPM";
		/* no bank at all is no TPM; a TPM without the banks asked for
		 * is a "no", as "no PCR bank in common" */
		err = fwt_pcrs_read_sysfs(cli->ctx, &probe, o.root, ALL_BANKS, 0);
		if (!err && (fwt_pcrs_banks(probe) & ask))
			err = fwt_pcrs_read_sysfs(cli->ctx, &want, o.root, ask, live);
		else if (!err)
			err = fwt_pcrs_new(cli->ctx, &want);
		fwt_pcrs_free(probe);
	}
	/* a declared bank the reference gives but the log cannot replay is a no
	 * (RELIABILITY E4); --bank banks were checked above */
	if (!err && want && !scoped && !o.bank)
		err = check_banks(cli, log, unrep & fwt_pcrs_banks(want));
	if (p)
		warn_unreplayable(cli, log, o.bank ? banks : (want && !scoped) ? fwt_pcrs_banks(want) : 0);
	if (!err && want && (!scoped || !qverdict)) {
		compared_ran = 1;
		verdict = fwt_pcrs_compare_scope(cli->ctx, p, want, scoped ? &signed_sel : NULL, o.bank ? banks : 0,
		                                 cmpmask, &mm, &nm, &compared);
		for (i = 0; i < nm; i++) {
			fwt_hex_encode(hg, mm[i].got, mm[i].size);
			fwt_hex_encode(hw, mm[i].want, mm[i].size);
			if (mm[i].missing && o.local)
				cli_error(cli, "%s PCR %u: replayed %s, the TPM gives no %s value for it",
				          fwt_digest_name(mm[i].alg), mm[i].pcr, hg, fwt_digest_name(mm[i].alg));
			else if (mm[i].missing)
				cli_error(cli, "%s PCR %u: replayed %s, not given in '%s'", fwt_digest_name(mm[i].alg),
				          mm[i].pcr, hg, src);
			else if (!(fwt_pcrs_selected(p, mm[i].alg) & (1u << mm[i].pcr)))
				cli_error(cli, "%s PCR %u differs: the log never extends it (reset value %s), %s %s",
				          fwt_digest_name(mm[i].alg), mm[i].pcr, hg, o.local ? "TPM" : "expected", hw);
			else
				cli_error(cli, "%s PCR %u differs: replayed %s, %s %s", fwt_digest_name(mm[i].alg),
				          mm[i].pcr, hg, o.local ? "TPM" : "expected", hw);
		}
	}
	/* --local: what is shown is what the TPM confirmed; a bank the TPM
	 * does not have is only the log's claim (a log may carry true SHA-1
	 * digests and forged SHA-256 ones) */
	if (o.local && compared_ran && !err)
		for (i = 0; i < ARRAY_LEN(bank_order) && !only; i++)
			if (fwt_pcr_scope_get(&compared, bank_order[i])) /* a TPM with no bank in common: a no, said */
				only = &compared;
	if (cli->json) {
		obj = log ? log_json(cli, path, log) : cli_json_new(cli);
		if (log)
			json_object_set_new(obj, "unreplayable_banks", unreplayable_json(log));
		if (p && !err) {
			json_t *u = json_array();
			unsigned not_signed = unsigned_banks(p, banks, only);
			json_object_set_new(obj, "banks", pcrs_json(p, banks, mask, only));
			for (i = 0; i < ARRAY_LEN(bank_order); i++)
				if (not_signed & bank_order[i])
					json_array_append_new(u, json_string(fwt_digest_name(bank_order[i])));
			json_object_set_new(obj, "banks_not_signed", u);
		}
		if (compared_ran && !err) {
			json_t *e = json_object(), *a = json_array();
			for (i = 0; i < nm; i++) {
				json_t *m = json_object();
				json_object_set_new(m, "bank", json_string(fwt_digest_name(mm[i].alg)));
				json_object_set_new(m, "pcr", json_integer(mm[i].pcr));
				json_object_set_new(m, "replayed", cli_json_hex(mm[i].got, mm[i].size));
				json_object_set_new(m, "expected", mm[i].missing ? json_null() : cli_json_hex(mm[i].want, mm[i].size));
				json_array_append_new(a, m);
			}
			cli_json_set_name(e, "source", o.local ? "tpm" : src);
			json_object_set_new(e, "match", json_boolean(!verdict));
			json_object_set_new(e, "mismatches", a);
			json_object_set_new(e, "compared", scope_json(&compared));
			json_object_set_new(e, "quote_signed_only", json_boolean(scoped));
			json_object_set_new(obj, "expect", e);
		}
		if (qran && !err)
			json_object_set_new(obj, "quote", quote_json(&o.q, &qres, ak, qverdict));
		cli_json_emit(cli, obj, err ? err : verdict ? verdict : qverdict);
	} else if (!err) {
		unsigned not_signed = unsigned_banks(p, banks, only);
		print_pcrs(p, banks, mask, only);
		/* with --expect the comparison's line says what the quote signs */
		for (i = 0; !o.expect && i < ARRAY_LEN(bank_order); i++)
			if ((not_signed & bank_order[i]) && o.local)
				cli_warn(cli, "%s: not shown: the TPM has no such bank to compare it with, so its replayed "
				         "values are only the log's claim (--bank %s requires it compared)",
				         fwt_digest_name(bank_order[i]), fwt_digest_name(bank_order[i]));
			else if (not_signed & bank_order[i])
				cli_warn(cli, "%s: not shown: the quote does not sign this bank, so its replayed values are "
				         "only the log's claim (--bank %s requires it signed)", fwt_digest_name(bank_order[i]),
				         fwt_digest_name(bank_order[i]));
		if (compared_ran && !verdict && !cli->quiet) {
			scope_text(what, sizeof(what), &compared);
			if (!scoped) {
				const char *sep = "";
				printf("all replayed PCRs match %s", o.local ? "" : "'");
				cli_puts_safe(stdout, src);
				printf("%s (", o.local ? "" : "'");
				for (i = 0; i < ARRAY_LEN(bank_order); i++)
					if (fwt_pcr_scope_get(&compared, bank_order[i])) {
						printf("%s%s", sep, fwt_digest_name(bank_order[i]));
						sep = ", ";
					}
				printf(")\n");
			} else if (!memcmp(&compared, &signed_sel, sizeof(compared))) {
				printf("all PCRs the quote signs match '");
				cli_puts_safe(stdout, src);
				printf("' (%s)\n", what);
			} else {
				char rest[160];
				fwt_pcr_scope left = signed_sel;
				for (i = 0; i < FWT_PCR_SCOPE_BANKS; i++)
					left.pcrs[i] &= ~compared.pcrs[i];
				scope_text(rest, sizeof(rest), &left);
				printf("the PCRs compared, all signed by the quote, match '");
				cli_puts_safe(stdout, src);
				printf("' (%s); signed but not compared: %s\n", what, rest);
			}
		}
		if (qran && !qverdict && !cli->quiet)
			print_quote(&o.q, &qres);
	}
	hint_pcrs = !err && verdict == FWT_EVERIFY && scoped && !o.pcrs && !nm && unsigned_reference(&signed_sel, want);
	fwt_pubkey_free(ak);
	free(mm);
	fwt_pcrs_free(want);
	fwt_pcrs_free(p);
	fwt_eventlog_free(log);
	/* a failed quote was reported where it was checked */
	if (!err && !verdict && qverdict)
		return cli_exit_code(qverdict);
	/* a reference PCR the quote does not sign: say how to decide on fewer */
	if (hint_pcrs) {
		cli_error(cli, "%s (--pcrs decides on fewer PCRs)", fwt_ctx_errmsg(cli->ctx));
		return cli_exit_code(verdict);
	}
	return cli_exit(cli, err ? err : verdict);
}

static const struct cli_verb eventlog_verbs[] = {
	{ "replay", cmd_eventlog_replay, "replay the PCRs of an event log; compare with known or live values" },
	{ "show", cmd_eventlog_show, "show the events of a TCG PC Client event log" },
	{ NULL, NULL, NULL }
};

int cmd_eventlog(int argc, char **argv, struct cli *cli)
{
	return cli_dispatch(cli, eventlog_verbs, argc, argv);
}
