/* SPDX-License-Identifier: Apache-2.0 */
/* eventlog.c - `fwtrail eventlog show|replay`: read a TCG PC Client event
 * log, replay its PCRs, and compare them with known or live values. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char *const show_usage[] = {
	"fwtrail eventlog show [--pcrs list] [--json] log",
	NULL
};

static const char *const replay_usage[] = {
	"fwtrail eventlog replay [--bank alg] [--pcrs list] [--expect file] [--json] log",
	"fwtrail eventlog replay --local [--sysfs-root dir] [--bank alg] [--pcrs list] [--json]",
	NULL
};

static const fwt_digest_alg bank_order[] = { FWT_DIGEST_SHA1, FWT_DIGEST_SHA256, FWT_DIGEST_SHA384,
	                                     FWT_DIGEST_SHA512 };

static const char *format_name(const fwt_eventlog *log)
{
	return fwt_eventlog_get_format(log) == FWT_EVENTLOG_CRYPTO_AGILE ? "crypto-agile" : "sha1-legacy";
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

	json_object_set_new(o, "path", json_string(path));
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
	json_t *obj = NULL, *evs;
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
	err = fwt_eventlog_load(cli->ctx, &log, argv[0], &lo);
	if (!err)
		warn_mismatches(cli, log);
	if (cli->json) {
		obj = err ? cli_json_new(cli) : log_json(cli, argv[0], log);
		evs = json_array();
		for (i = 0; !err && fwt_eventlog_event_get(log, i, &ev) == FWT_OK; i++) {
			json_t *e = NULL;
			if (!(mask & (1u << ev.pcr)))
				continue;
			err = fwt_eventlog_event_to_json(log, i, &e);
			json_array_append_new(evs, e);
		}
		json_object_set_new(obj, "events", evs);
		cli_json_emit(cli, obj, err);
	} else if (!err) {
		int loc = fwt_eventlog_startup_locality(log);
		printf("%s: %s, %zu events, banks", argv[0], format_name(log), fwt_eventlog_count(log));
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

static json_t *pcrs_json(const fwt_pcrs *p, unsigned banks, uint32_t mask)
{
	json_t *o = json_object();
	size_t i;
	unsigned pcr;
	char num[4];

	for (i = 0; i < ARRAY_LEN(bank_order); i++) {
		json_t *b;
		uint32_t sel = fwt_pcrs_selected(p, bank_order[i]) & mask;
		if (!(banks & bank_order[i]) || !(fwt_pcrs_banks(p) & bank_order[i]))
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

static void print_pcrs(const fwt_pcrs *p, unsigned banks, uint32_t mask)
{
	char hex[2 * FWT_DIGEST_MAX + 1];
	size_t i;
	unsigned pcr;

	for (i = 0; i < ARRAY_LEN(bank_order); i++) {
		uint32_t sel = fwt_pcrs_selected(p, bank_order[i]) & mask;
		if (!(banks & bank_order[i]) || !(fwt_pcrs_banks(p) & bank_order[i]))
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

static int cmd_eventlog_replay(int argc, char **argv, struct cli *cli)
{
	struct replay_opts {
		const char *bank, *pcrs, *expect, *root;
		int local;
	} o = { NULL, NULL, NULL, NULL, 0 };
	const struct cli_opt table[] = {
		{ 0, "bank", CLI_STR, &o.bank, "alg", "only these banks (sha1,sha256,sha384,sha512)" },
		{ 0, "pcrs", CLI_STR, &o.pcrs, "list", "only these PCRs (\"0-7,14\")" },
		{ 0, "expect", CLI_STR, &o.expect, "file", "compare with PCRs from tpm2_pcrread YAML or fwtrail JSON" },
		{ 0, "local", CLI_FLAG, &o.local, NULL, "this machine's log, compared with its live PCRs" },
		{ 0, "sysfs-root", CLI_STR, &o.root, "dir", "look for /sys under dir (with --local)" },
		CLI_OPT_END
	};
	fwt_eventlog_options lo = FWT_EVENTLOG_OPTIONS_INIT;
	fwt_eventlog *log = NULL;
	fwt_pcrs *p = NULL, *want = NULL;
	fwt_pcr_mismatch *mm = NULL;
	unsigned banks = 0, compared = 0;
	uint32_t mask = 0xffffffffu, cmpmask = 0;
	size_t nm = 0, i;
	const char *src = NULL, *path;
	json_t *obj = NULL;
	fwt_err err, verdict = FWT_OK;
	char bad[32], hg[2 * FWT_DIGEST_MAX + 1], hw[2 * FWT_DIGEST_MAX + 1];
	int rc;

	cli->usage = replay_usage;
	cli->summary = "Replay the PCR values of a TCG PC Client event log, and compare them with\n"
	               "known values (--expect) or with this machine's TPM (--local).";
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
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	path = o.local ? "(local)" : argv[0];
	err = o.local ? fwt_eventlog_load_local(cli->ctx, &log, o.root, &lo)
	              : fwt_eventlog_load(cli->ctx, &log, argv[0], &lo);
	if (!err) {
		warn_mismatches(cli, log);
		err = fwt_eventlog_replay(cli->ctx, log, &p);
	}
	if (!err && banks)
		err = check_banks(cli, log, banks);
	if (!err && !banks)
		banks = fwt_pcrs_banks(p);
	if (!err && o.expect) {
		src = o.expect;
		err = fwt_pcrs_load(cli->ctx, &want, o.expect);
	} else if (!err && o.local) {
		uint32_t live = cmpmask;
		for (i = 0; !live && i < ARRAY_LEN(bank_order); i++)
			live |= fwt_pcrs_selected(p, bank_order[i]);
		src = "the TPM";
		err = fwt_pcrs_read_sysfs(cli->ctx, &want, o.root, banks, live);
	}
	if (!err && want) {
		verdict = fwt_pcrs_compare(cli->ctx, p, want, o.bank ? banks : 0, cmpmask, &mm, &nm, &compared);
		for (i = 0; i < nm; i++) {
			fwt_hex_encode(hg, mm[i].got, mm[i].size);
			fwt_hex_encode(hw, mm[i].want, mm[i].size);
			if (mm[i].missing)
				cli_error(cli, "%s PCR %u: replayed %s, not given in '%s'", fwt_digest_name(mm[i].alg),
				          mm[i].pcr, hg, src);
			else
				cli_error(cli, "%s PCR %u differs: replayed %s, %s %s", fwt_digest_name(mm[i].alg),
				          mm[i].pcr, hg, o.local ? "TPM" : "expected", hw);
		}
	}
	if (cli->json) {
		obj = log ? log_json(cli, path, log) : cli_json_new(cli);
		if (p && !err)
			json_object_set_new(obj, "banks", pcrs_json(p, banks, mask));
		if (want && !err) {
			json_t *e = json_object(), *a = json_array();
			for (i = 0; i < nm; i++) {
				json_t *m = json_object();
				json_object_set_new(m, "bank", json_string(fwt_digest_name(mm[i].alg)));
				json_object_set_new(m, "pcr", json_integer(mm[i].pcr));
				json_object_set_new(m, "replayed", cli_json_hex(mm[i].got, mm[i].size));
				json_object_set_new(m, "expected", mm[i].missing ? json_null() : cli_json_hex(mm[i].want, mm[i].size));
				json_array_append_new(a, m);
			}
			json_object_set_new(e, "source", json_string(o.local ? "tpm" : src));
			json_object_set_new(e, "match", json_boolean(!verdict));
			json_object_set_new(e, "mismatches", a);
			json_object_set_new(obj, "expect", e);
		}
		cli_json_emit(cli, obj, err ? err : verdict);
	} else if (!err) {
		print_pcrs(p, banks, mask);
		if (want && !verdict && !cli->quiet) {
			printf("all replayed PCRs match %s%s%s (", o.local ? "" : "'", src, o.local ? "" : "'");
			const char *sep = "";
			for (i = 0; i < ARRAY_LEN(bank_order); i++)
				if (compared & bank_order[i]) {
					printf("%s%s", sep, fwt_digest_name(bank_order[i]));
					sep = ", ";
				}
			printf(")\n");
		}
	}
	free(mm);
	fwt_pcrs_free(want);
	fwt_pcrs_free(p);
	fwt_eventlog_free(log);
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
