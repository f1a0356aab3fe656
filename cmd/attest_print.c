/* SPDX-License-Identifier: Apache-2.0 */
/* attest_print.c - the text form of `fwtrail attest check`'s appraisal
 * record: the component table, what did not verify or measures nothing,
 * the local log's comparison with its TPM, and the summary line. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "attest.h"

/* The component table.  Its column widths come from the first
 * TABLE_SIZING_ROWS rows (held until then), so that memory stays bounded
 * however many components there are; a cell wider than CELL_MAX, or a
 * later row wider than the first ones, pushes only its own row right. */
enum { COL_SOURCE, COL_INDEX, COL_COMPONENT, COL_DIGEST, COL_STATUS, COL_REFERENCE, COL_REVIEW, NCOLS };
#define TABLE_SIZING_ROWS 1024
#define CELL_MAX 80

struct table {
	char **held;          /* NCOLS cells a row, for the rows not yet printed */
	size_t nheld;
	int width[NCOLS];
	int sized;            /* widths fixed and the heading printed */
	int many_spdm, many_logs; /* several evidences of the kind: rows name theirs */
};

static const char *const heading[NCOLS] = { "SOURCE", "INDEX", "COMPONENT", "DIGEST", "STATUS", "REFERENCE",
	                                    "REVIEW" };

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static const char *base(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

/* s made safe for a terminal (cli_puts_safe), in memory of its own. */
static char *safe_dup(const char *s)
{
	const unsigned char *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	for (p = (const unsigned char *)s; *p >= 0x20 && *p < 0x7f; p++)
		;
	if (!*p)
		return strdup(s);
	if (!(m = open_memstream(&buf, &len)))
		return NULL;
	cli_puts_safe(m, s);
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Columns on screen: safe text is printable ASCII and well-formed UTF-8,
 * one column a code point. */
static int columns(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The cells of component c, each made safe; 0, or -1 out of memory. */
static int row_cells(const struct table *t, const json_t *c, char *cell[NCOLS])
{
	const json_t *ref = json_object_get(c, "reference"), *rev = json_object_get(c, "review");
	const json_t *idx = json_object_get(c, "index"), *ev = json_object_get(c, "event");
	const char *src = str(c, "source"), *digest = str(c, "digest");
	char b[160], *w = NULL;
	int k;

	cell[COL_SOURCE] = safe_dup(src);
	if (!strcmp(src, "eventlog"))
		snprintf(b, sizeof(b), json_is_integer(idx) ? "pcr%lld" : "pcr?", (long long)json_integer_value(idx));
	else
		snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(idx));
	cell[COL_INDEX] = safe_dup(b);
	if (json_is_integer(ev))
		snprintf(b, sizeof(b), "#%lld ", (long long)json_integer_value(ev));
	else
		b[0] = '\0';
	snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s", str(c, "name") ? str(c, "name") : "-");
	/* several devices or logs: each row names its evidence, by its path
	 * as given (gpu0/bmc.spdm and gpu1/bmc.spdm differ); a missing one
	 * names the evidence that did not measure the reference */
	if (str(c, "evidence") && (!strcmp(str(c, "status"), "missing") || (!strcmp(src, "spdm") && t->many_spdm) ||
	                           (!strcmp(src, "eventlog") && t->many_logs))) {
		size_t len = strlen(b) + strlen(str(c, "evidence")) + 4;
		if ((w = malloc(len)))
			snprintf(w, len, "%s (%s)", b, str(c, "evidence"));
	}
	cell[COL_COMPONENT] = safe_dup(w ? w : b);
	free(w);
	if (!digest)
		digest = str(c, "value") ? str(c, "value") : "";
	snprintf(b, sizeof(b), "%s:%.16s%s", str(c, "alg"), digest, strlen(digest) > 16 ? "..." : "");
	cell[COL_DIGEST] = safe_dup(b);
	cell[COL_STATUS] = safe_dup(str(c, "status"));
	if (ref)
		snprintf(b, sizeof(b), "%s %s", base(str(ref, "rim")), str(ref, "key") ? str(ref, "key") : "-");
	else
		snprintf(b, sizeof(b), "-");
	cell[COL_REFERENCE] = safe_dup(b);
	if (!strcmp(str(rev, "status"), "reviewed")) {
		const json_t *mx = json_object_get(rev, "max_cvss");
		if (!json_is_integer(json_object_get(rev, "open_issues"))) /* the report does not record them */
			snprintf(b, sizeof(b), "%s, issues not recorded", str(rev, "srp") ? str(rev, "srp") : "?");
		else
			snprintf(b, sizeof(b), "%s, %lld issue%s", str(rev, "srp") ? str(rev, "srp") : "?",
			         (long long)json_integer_value(json_object_get(rev, "open_issues")),
			         json_integer_value(json_object_get(rev, "open_issues")) == 1 ? "" : "s");
		if (mx && json_integer_value(json_object_get(rev, "open_issues")))
			snprintf(b + strlen(b), sizeof(b) - strlen(b), " (max CVSS %.1f)", json_real_value(mx));
		cell[COL_REVIEW] = safe_dup(b);
	} else {
		cell[COL_REVIEW] = safe_dup("unreviewed");
	}
	for (k = 0; k < NCOLS; k++)
		if (!cell[k]) {
			for (k = 0; k < NCOLS; k++)
				free(cell[k]), cell[k] = NULL;
			return -1;
		}
	return 0;
}

/* One row, every column but the last padded to its width. */
static void put_row(const struct table *t, char *const cell[NCOLS])
{
	int k, pad;

	for (k = 0; k < NCOLS; k++) {
		fputs(cell[k], stdout);
		if (k == NCOLS - 1)
			break;
		for (pad = t->width[k] - columns(cell[k]); pad > 0; pad--)
			fputc(' ', stdout);
		fputc(' ', stdout);
	}
	fputc('\n', stdout);
}

/* Fix the widths from the rows held, print the heading and those rows. */
static void table_size(struct table *t)
{
	size_t r;
	int k, w;

	for (k = 0; k < NCOLS; k++)
		t->width[k] = columns(heading[k]);
	for (r = 0; r < t->nheld; r++)
		for (k = 0; k < NCOLS; k++)
			if ((w = columns(t->held[r * NCOLS + k])) > t->width[k])
				t->width[k] = w < CELL_MAX ? w : CELL_MAX;
	put_row(t, (char *const *)heading);
	for (r = 0; r < t->nheld * NCOLS; r++) {
		if (r % NCOLS == 0)
			put_row(t, t->held + r);
		free(t->held[r]);
	}
	free(t->held);
	t->held = NULL;
	t->nheld = 0;
	t->sized = 1;
}

/* Add component c's row: held while the widths are not fixed. */
static fwt_err table_add(struct table *t, const json_t *c)
{
	char *cell[NCOLS] = { NULL };
	int k;

	if (row_cells(t, c, cell))
		return FWT_ENOMEM;
	if (t->sized) {
		put_row(t, cell);
		for (k = 0; k < NCOLS; k++)
			free(cell[k]);
		return FWT_OK;
	}
	if (!t->held && !(t->held = malloc(sizeof(*t->held) * NCOLS * TABLE_SIZING_ROWS))) {
		for (k = 0; k < NCOLS; k++)
			free(cell[k]);
		return FWT_ENOMEM;
	}
	memcpy(t->held + t->nheld * NCOLS, cell, sizeof(cell));
	if (++t->nheld == TABLE_SIZING_ROWS)
		table_size(t);
	return FWT_OK;
}

static void table_free(struct table *t)
{
	size_t r;

	for (r = 0; r < t->nheld * NCOLS; r++)
		free(t->held[r]);
	free(t->held);
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
		       json_is_true(json_object_get(e, "chain_validated")) ? "validated" : "not validated (no --spdm-trust)",
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

/* Note the reports that bind to component c but do not count, each report
 * and reason once: said is the set of "report\nreason" keys, rejected
 * their {report, reason} in the order first seen. */
static void note_rejected(const json_t *c, json_t *said, json_t *rejected)
{
	const json_t *r;
	size_t k;

	json_array_foreach(json_object_get(json_object_get(c, "review"), "rejected"), k, r) {
		const char *rp = str(r, "report") ? str(r, "report") : "", *rs = str(r, "reason") ? str(r, "reason") : "";
		size_t len = strlen(rp) + strlen(rs) + 2;
		char *key = malloc(len);
		if (key)
			snprintf(key, len, "%s\n%s", rp, rs);
		if (key && json_object_get(said, key)) {
			free(key);
			continue;
		}
		if (key)
			json_object_set_new(said, key, json_true());
		free(key);
		json_array_append(rejected, (json_t *)r);
	}
}

/* The table, what did not verify, and the summary line. */
fwt_err attest_print_record(const json_t *rec, const fwt_appraise *a, fwt_err err)
{
	const json_t *sum = json_object_get(rec, "summary"), *e;
	json_t *said = json_object(), *rejected = json_array(), *c;
	size_t i, n, ncomps = fwt_appraise_count(a);
	struct table t = { NULL, 0, { 0 }, 0, 0, 0 };
	int nspdm = 0, nlogs = 0;
	long long miss_spdm = 0, miss_logs = 0;
	fwt_err cerr;

	if (!said || !rejected) {
		json_decref(said);
		json_decref(rejected);
		return FWT_ENOMEM;
	}
	json_array_foreach(json_object_get(rec, "inputs"), i, e) {
		nspdm += !strcmp(str(e, "kind") ? str(e, "kind") : "", "spdm");
		nlogs += !strcmp(str(e, "kind") ? str(e, "kind") : "", "eventlog");
	}
	t.many_spdm = nspdm > 1;
	t.many_logs = nlogs > 1;
	for (i = 0; i < ncomps; i++) {
		if ((cerr = fwt_appraise_component_json(a, i, &c)) == FWT_OK) {
			if (!strcmp(str(c, "status"), "missing"))
				(!strcmp(str(c, "source"), "spdm") ? &miss_spdm : &miss_logs)[0]++;
			cerr = table_add(&t, c);
			note_rejected(c, said, rejected);
			json_decref(c);
		}
		if (cerr != FWT_OK) {
			table_free(&t);
			json_decref(said);
			json_decref(rejected);
			return cerr;
		}
	}
	if (!t.sized)
		table_size(&t);
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
	json_array_foreach(rejected, i, e) {
		printf("sfr '");
		cli_puts_safe(stdout, str(e, "report"));
		printf("': not counted as a review: ");
		cli_puts_safe(stdout, str(e, "reason"));
		fputc('\n', stdout);
	}
	json_decref(said);
	json_decref(rejected);
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
	json_array_foreach(json_object_get(rec, "conflicts"), i, e) {
		/* references all from one RIM: it gives two values, no RIMs disagree */
		const json_t *q, *refs = json_object_get(e, "references");
		const char *one = json_array_size(refs) ? str(json_array_get(refs, 0), "rim") : "";
		size_t j;
		json_array_foreach(refs, j, q)
			if (strcmp(str(q, "rim"), one) || !strcmp(one, "-")) /* "-": unnamed, maybe two */
				one = "";
		if (*one) {
			printf("conflict: RIM '");
			cli_puts_safe(stdout, one);
			printf("' gives two different %s references for SPDM index %lld\n", str(e, "alg"),
			       (long long)json_integer_value(json_object_get(e, "index")));
		} else {
			printf("conflict: the RIMs disagree on the %s reference for SPDM index %lld\n", str(e, "alg"),
			       (long long)json_integer_value(json_object_get(e, "index")));
		}
	}
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
	/* references of a kind of evidence not given at all (a BMC checked
	 * alone against a whole server's RIM): missing, and said why */
	if (miss_logs && !nlogs)
		printf("eventlog: no event log given: the RIMs' %lld event-log reference%s %s missing (give the host's "
		       "log with --evidence, or --local)\n", miss_logs, miss_logs == 1 ? "" : "s",
		       miss_logs == 1 ? "is" : "are");
	if (miss_spdm && !nspdm)
		printf("spdm: no SPDM evidence given: the RIMs' %lld SPDM reference%s %s missing\n", miss_spdm,
		       miss_spdm == 1 ? "" : "s", miss_spdm == 1 ? "is" : "are");
	if (!ncomps)
		printf("no component was compared: the evidence measures nothing\n");
#define N(k) (long long)json_integer_value(json_object_get(sum, k))
	printf("%s: %lld components: %lld match, %lld mismatch, %lld unknown, %lld missing; %lld reviewed, "
	       "%lld unreviewed\n",
	       json_is_true(json_object_get(rec, "ok")) ? "ok" : "NOT OK", N("components"), N("match"), N("mismatch"),
	       N("unknown"), N("missing"), N("reviewed"), N("unreviewed"));
#undef N
	return err;
}
