/* SPDX-License-Identifier: Apache-2.0 */
/* rim.c - `fwtrail rim`: create, sign, verify and show Reference Integrity
 * Manifests (CoRIM; TCG PC Client SWID tags are shown and verified). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"

static const char *const create_usage[] = {
	"fwtrail rim create --vendor name --model name [--class-id id] [--tag-id id] [--alg list] "
	"[--hash-ids cose | named-info] [--measurement key=source] ... [--from-eventlog log [--pcrs list]] "
	"[--from-spdm input] [-o file] [--force] [--follow-symlinks] [--json]",
	NULL
};
static const char *const sign_usage[] = {
	"fwtrail rim sign --key key [--pin-file file] [--timeout seconds] [--force-final-try] [--kid kid] [--signer name] [--signer-uri uri] "
	"[--not-before date] [--not-after date] -o file [--force] [--follow-symlinks] [--json] rim",
	NULL
};
static const char *const verify_usage[] = {
	"fwtrail rim verify (--trust path ... | --key key) [--revoked file] ... [--at time] [--support file] [--json] "
	"rim ...",
	NULL
};
static const char *const show_usage[] = {
	"fwtrail rim show [--json | --diag] rim",
	NULL
};

/* ---- shared pieces ---- */

/* RFC 3986 in outline: a scheme (a letter, then letters, digits, "+",
 * "-" or "."), a colon, and printable ASCII without blanks: what CBOR tag
 * 32 claims the signer URI is. */
static int is_uri(const char *s)
{
	const char *p = s;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	for (p++; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '+' ||
	          *p == '-' || *p == '.';
	     p++)
		;
	if (*p++ != ':' || !*p)
		return 0;
	for (; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return 0;
	return 1;
}

/* "fwtrail rim show: 'x': <why>", unless the library's message names the
 * input already (SWID messages do). */
static void error_on(struct cli *cli, const char *path, fwt_err err)
{
	const char *msg = fwt_ctx_errmsg(cli->ctx);
	size_t n = strlen(path);

	if (*msg == '\'' && !strncmp(msg + 1, path, n) && msg[n + 1] == '\'' && msg[n + 2] == ':')
		cli_error(cli, "%s", msg);
	else
		cli_error(cli, "'%s': %s", path, *msg ? msg : fwt_err_name(err));
}

/* A failure about one input. */
static int fail_on(struct cli *cli, const char *path, fwt_err err)
{
	if (err == FWT_OK)
		return EXIT_OK;
	error_on(cli, path, err);
	return cli_exit_code(err);
}

/* What rim create and rim sign say when the CoRIM went to a file. */
struct written {
	const char *what;         /* "CoRIM for", "COSE_Sign1 by" */
	const char *a, *b;        /* vendor and model; key and signer */
	const char *alg, *fp;     /* rim sign: the algorithm and key fingerprint */
	size_t count;             /* rim create: reference values */
};

static void quoted(const char *s)
{
	cli_put_quoted(stdout, s, s ? strlen(s) : 0);
}

/* "FILE: CoRIM for 'VENDOR' 'MODEL', N reference values" or
 * "FILE: ES384 COSE_Sign1 by 'KEY' (sha256:FP), signer 'NAME'" */
static void say_written(const char *out, const struct written *w)
{
	cli_puts_safe(stdout, out);
	fputs(": ", stdout);
	if (w->alg) {
		printf("%s %s ", w->alg, w->what);
		quoted(w->a);
		printf(" (sha256:%s)", w->fp);
		if (w->b) {
			fputs(", signer ", stdout);
			quoted(w->b);
		}
	} else {
		printf("%s ", w->what);
		quoted(w->a);
		fputc(' ', stdout);
		quoted(w->b);
		printf(", %zu reference value%s", w->count, w->count == 1 ? "" : "s");
	}
	fputc('\n', stdout);
}

/* Binary CBOR goes to a file, or to stdout when it is not a terminal; to a
 * file, one line says what was written (w), unless -q or --json. */
static int write_cbor(struct cli *cli, const char *out, int force, const unsigned char *b, size_t n,
                      const struct written *w)
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
		cli_json_set_name(j, "output", out ? out : "-");
		json_object_set_new(j, "size", json_integer((json_int_t)n));
		cli_json_emit(cli, j, FWT_OK);
	} else if (!err && !cli->quiet && out && strcmp(out, "-")) {
		say_written(out, w);
	}
	return cli_exit(cli, err);
}

/* ---- create ---- */

/* Open an input of rim create (a measured file, a golden capture), which
 * must be a regular file: a FIFO is opened without waiting for a writer
 * and, like a device or a socket, refused before anything is read (a
 * reference value is of a file that stays, and /dev/zero never ends).
 * Returns -1 with *fd open, or with *fd -1 when the library is to open
 * path itself and say why it cannot (missing, a symbolic link not
 * followed, a folder); otherwise the exit status, the message printed. */
static int open_input(struct cli *cli, const char *path, int follow, int *fd)
{
	struct stat st;
	int fl;

	*fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (follow ? 0 : O_NOFOLLOW));
	if (*fd < 0)
		return -1;
	if (fstat(*fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		close(*fd);
		*fd = -1;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(*fd);
		*fd = -1;
		cli_error(cli, "'%s' is not a regular file", path);
		return EXIT_IO;
	}
	if ((fl = fcntl(*fd, F_GETFL)) < 0 || fcntl(*fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		close(*fd);
		*fd = -1;
	}
	return -1;
}

/* Reference values from a golden capture: digests appended to *rv (*n
 * entries), SPDM raw values to *raw (*nraw).  A symbolic link given as the
 * capture is read only when follow is set. */
static int add_golden(struct cli *cli, const char *log, const char *pcrs, const char *spdm, int follow,
                      fwt_corim_refval **rv, size_t *n, fwt_corim_rawval **raw, size_t *nraw)
{
	fwt_eventlog_options lo = FWT_EVENTLOG_OPTIONS_INIT;
	fwt_eventlog *el = NULL;
	fwt_spdm *sp = NULL;
	fwt_corim_refval *g = NULL, *all;
	fwt_corim_rawval *w = NULL, *allw;
	size_t ng = 0, nw = 0, skipped = 0, len = 0;
	unsigned char *buf = NULL;
	uint32_t mask = 0;
	int fd, rc;
	fwt_err err;

	if (pcrs && fwt_pcr_list_parse(pcrs, &mask) != FWT_OK)
		return cli_usage_error(cli, "--pcrs: '%s' is not a PCR list (like 0-7,14)", pcrs);
	/* read here rather than by fwt_eventlog_load/fwt_spdm_load, which
	 * follow; "-": standard input */
	if (!strcmp(log ? log : spdm, "-"))
		fd = -2;
	else if ((rc = open_input(cli, log ? log : spdm, follow, &fd)) >= 0)
		return rc;
	if (fd == -2) {
		err = cli_read_input(cli, "-", log ? FWT_EVENTLOG_MAX_SIZE : FWT_SPDM_MAX_INPUT, 1, &buf, &len);
	} else if (fd >= 0) {
		err = fwt_read_fd(cli->ctx, fd, log ? log : spdm, log ? FWT_EVENTLOG_MAX_SIZE : FWT_SPDM_MAX_INPUT,
		                  &buf, &len);
		close(fd);
	} else {
		err = fwt_read_file_follow(cli->ctx, log ? log : spdm, log ? FWT_EVENTLOG_MAX_SIZE : FWT_SPDM_MAX_INPUT,
		                           follow, &buf, &len);
	}
	if (err)
		return cli_exit(cli, err);
	if (log) {
		err = fwt_eventlog_parse(cli->ctx, &el, buf, len, &lo);
		if (!err)
			err = fwt_appraise_refvals_from_eventlog(cli->ctx, el, mask, &g, &ng);
		fwt_eventlog_free(el);
	} else {
		err = fwt_spdm_parse(cli->ctx, &sp, buf, len, spdm);
		/* measurements of pending firmware, or that changed during the
		 * transcript, are no reading of the running state: no golden
		 * values (spdm verify and attest check refuse them too) */
		if (!err && fwt_spdm_check_state(cli->ctx, sp) == FWT_EVERIFY) {
			char why[1024];
			snprintf(why, sizeof(why), "%s", fwt_ctx_errmsg(cli->ctx));
			cli_error(cli, "'%s': no reference values from these measurements: %s", spdm, why);
			fwt_spdm_free(sp);
			free(buf);
			return EXIT_MALFORMED;
		}
		if (!err)
			err = fwt_appraise_rawvals_from_spdm(cli->ctx, sp, &w, &nw);
		if (!err) {
			err = fwt_appraise_refvals_from_spdm(cli->ctx, sp, &g, &ng, &skipped);
			if (err == FWT_EUNSUPPORTED && nw) /* raw values only: a RIM of them is one */
				err = FWT_OK;
		}
		fwt_spdm_free(sp);
		/* skipped counts the raw blocks too, which are recorded */
		if (!err && skipped > nw)
			cli_warn(cli, "'%s': %zu measurement block%s with a digest other than SHA-256, SHA-384 or SHA-512 "
			         "not recorded", spdm, skipped - nw, skipped - nw == 1 ? "" : "s");
	}
	free(buf);
	if (err) {
		fwt_appraise_rawvals_free(w, nw);
		return fail_on(cli, log ? log : spdm, err);
	}
	if (ng) {
		if (!(all = realloc(*rv, (*n + ng) * sizeof(**rv)))) {
			fwt_appraise_refvals_free(g, ng);
			fwt_appraise_rawvals_free(w, nw);
			return cli_exit(cli, FWT_ENOMEM);
		}
		memcpy(all + *n, g, ng * sizeof(*g));
		*rv = all;
		*n += ng;
	}
	free(g); /* the keys now belong to *rv */
	if (nw) {
		if (!(allw = realloc(*raw, (*nraw + nw) * sizeof(**raw)))) {
			fwt_appraise_rawvals_free(w, nw);
			return cli_exit(cli, FWT_ENOMEM);
		}
		memcpy(allw + *nraw, w, nw * sizeof(*w));
		*raw = allw;
		*nraw += nw;
	}
	free(w); /* the keys and values now belong to *raw */
	return -1;
}

/* KEY=FILE, KEY=ALG:HEX or KEY=raw:HEX into one reference value: a digest
 * appended to rv (*n entries), a raw value to raw (*nraw).  Both arrays
 * have room for every --measurement.  Reference values from golden
 * evidence (event logs, SPDM transcripts) are appended by their own
 * options. */
static int add_measurement(struct cli *cli, const char *spec, unsigned algs, int follow, fwt_corim_refval *rv,
                           size_t *n, fwt_corim_rawval *raw, size_t *nraw)
{
	const char *eq = strchr(spec, '='), *src, *colon;
	static const fwt_digest_alg order[] = { FWT_DIGEST_SHA256, FWT_DIGEST_SHA384, FWT_DIGEST_SHA512 };
	char name[32];
	fwt_digest_alg a;
	size_t i;

	if (!eq || eq == spec || !eq[1])
		return cli_usage_error(cli, "--measurement: '%s' is not key=file, key=alg:hex or key=raw:hex", spec);
	src = eq + 1;
	if (!strncmp(src, "raw:", 4)) {
		const char *hex = src + 4;
		fwt_corim_rawval *w = &raw[(*nraw)++];
		unsigned char *v;
		unsigned long idx;
		char *end;
		if (!(w->key = strndup(spec, (size_t)(eq - spec))) || !(w->value = v = malloc(strlen(hex) / 2 + 1)))
			return cli_exit(cli, FWT_ENOMEM);
		/* compared with an SPDM measurement block by its index, and with
		 * nothing else: a label or UUID would never be */
		idx = w->key[0] >= '1' && w->key[0] <= '9' ? strtoul(w->key, &end, 10) : 0;
		if (!idx || *end || idx > 254)
			return cli_usage_error(cli, "--measurement: '%s': a raw value is compared with the SPDM measurement "
			                       "block of its index: give the index (1 to 254) as the key", w->key);
		if (!*hex)
			return cli_usage_error(cli, "--measurement: '%s': no raw value (give at least one byte in hex)", spec);
		if (fwt_hex_decode(v, strlen(hex) / 2 + 1, hex, strlen(hex), &w->len) != FWT_OK)
			return cli_usage_error(cli, "--measurement: '%s' is not a raw value in hex (an even number of hex "
			                       "digits)", hex);
		return -1;
	}
	rv = &rv[(*n)++];
	rv->key = strndup(spec, (size_t)(eq - spec));
	if (!rv->key)
		return cli_exit(cli, FWT_ENOMEM);
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
		fwt_err err;
		int fd = -1, rc, in = !strcmp(src, "-"); /* "-": the digest of standard input */
		if (!in && (rc = open_input(cli, src, follow, &fd)) >= 0)
			return rc;
		err = in        ? fwt_reader_from_fd(cli->ctx, &r, STDIN_FILENO, "-")
		      : fd >= 0 ? fwt_reader_from_fd(cli->ctx, &r, fd, src)
		                : fwt_reader_open_file(cli->ctx, &r, src, follow);
		o.algs = algs;
		if (!err)
			err = fwt_digest_reader(cli->ctx, r, &o, &d);
		/* a reference value is the digest of a whole file: never of
		 * the rest of a standard input read in part before */
		if (!err)
			err = fwt_reader_check_whole(r);
		fwt_reader_free(r);
		if (fd >= 0)
			close(fd);
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

/* Standard input is read once: "-" for one --measurement (key=-),
 * --from-eventlog or --from-spdm.  -1, or the usage error's status. */
static int stdin_once_create(struct cli *cli, const struct cli_list *m, const char *log, const char *spdm)
{
	const char *names[3], *values[3];
	size_t i, n = 0;

	for (i = 0; n < 2 && i < m->n; i++) {
		const char *eq = strchr(m->v[i], '=');
		if (eq && !strcmp(eq + 1, "-"))
			names[n] = "--measurement", values[n++] = "-";
	}
	names[n] = "--from-eventlog", values[n++] = log;
	if (n < 3)
		names[n] = "--from-spdm", values[n++] = spdm;
	return cli_stdin_once_named(cli, names, values, n);
}

static int rim_create(int argc, char **argv, struct cli *cli)
{
	struct create_opts {
		const char *vendor, *model, *class_id, *tag_id, *alg, *out, *hash_ids, *from_log, *pcrs, *from_spdm;
		struct cli_list m;
		int force, follow;
	} opts = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, { NULL, 0 }, 0, 0 };
	const struct cli_opt table[] = {
		{ 0, "vendor", CLI_STR, &opts.vendor, "name", "the environment's vendor" },
		{ 0, "model", CLI_STR, &opts.model, "name", "the environment's model" },
		{ 0, "class-id", CLI_STR, &opts.class_id, "id", "class-id: a UUID or a dotted OID" },
		{ 0, "tag-id", CLI_STR, &opts.tag_id, "id", "CoMID tag-id (default: a UUID derived from the content)" },
		{ 'a', "alg", CLI_STR, &opts.alg, "list", "digests of each file: sha256,sha384,sha512 (default: sha384)" },
		{ 0, "hash-ids", CLI_STR, &opts.hash_ids, "cose|named-info",
		  "digest algorithm ids: COSE (-16/-43/-44, default) or Named Information (1/7/8)" },
		{ 'm', "measurement", CLI_LIST, &opts.m, "key=source",
		  "a reference value: key=file, key=alg:hex (a digest) or key=raw:hex (raw bytes)" },
		{ 0, "from-eventlog", CLI_STR, &opts.from_log, "log",
		  "one reference value per event of a golden TCG event log (keys pcrN:evM)" },
		{ 0, "pcrs", CLI_STR, &opts.pcrs, "list", "with --from-eventlog: only events on these PCRs (\"0-7\")" },
		{ 0, "from-spdm", CLI_STR, &opts.from_spdm, "input",
		  "one reference value per block of golden SPDM evidence, digest or raw value (keys: the indices)" },
		{ 'o', "output", CLI_STR, &opts.out, "file", "write the CoRIM here (default: stdout)" },
		{ 0, "force", CLI_FLAG, &opts.force, NULL, "replace an existing output file" },
		{ 0, "follow-symlinks", CLI_FLAG, &opts.follow, NULL,
		  "read measured files and captures through symbolic links (refused otherwise)" },
		CLI_OPT_END
	};
	fwt_corim_create_options co = FWT_CORIM_CREATE_OPTIONS_INIT;
	fwt_corim_refval *rv = NULL;
	fwt_corim_rawval *raw = NULL;
	unsigned algs = FWT_DIGEST_SHA384;
	unsigned char *out = NULL;
	size_t len = 0, i, nrv = 0, nraw = 0;
	char bad[32];
	int rc;

	cli->usage = create_usage;
	cli->summary = "Make a CoRIM of reference values (unsigned) from files, digests, an event log or\n"
	               "SPDM evidence; sign it with 'fwtrail rim sign'.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto done;
	rc = EXIT_USAGE;
	if (argc)
		rc = cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	else if (!opts.vendor || !opts.model)
		rc = cli_usage_error(cli, "--vendor and --model are needed");
	else if (!*opts.vendor || !*opts.model)
		rc = cli_usage_error(cli, "--%s is empty (the environment is named by its vendor and model)",
		                     *opts.vendor ? "model" : "vendor");
	else if (opts.tag_id && !*opts.tag_id)
		rc = cli_usage_error(cli, "--tag-id is empty (leave it out for a UUID derived from the content)");
	else if (!opts.m.n && !opts.from_log && !opts.from_spdm)
		rc = cli_usage_error(cli, "at least one --measurement, --from-eventlog or --from-spdm is required");
	else if (opts.pcrs && !opts.from_log)
		rc = cli_usage_error(cli, "--pcrs only applies to --from-eventlog");
	else if (opts.alg && fwt_digest_parse_list(opts.alg, &algs, bad, sizeof(bad)) != FWT_OK)
		rc = cli_usage_error(cli, "unknown digest algorithm '%s' (use sha256, sha384, sha512)", bad);
	else if (algs & ~(unsigned)(FWT_DIGEST_SHA256 | FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512))
		rc = cli_usage_error(cli, "--alg: use sha256, sha384 and sha512");
	else if (opts.hash_ids && strcmp(opts.hash_ids, "cose") && strcmp(opts.hash_ids, "named-info"))
		rc = cli_usage_error(cli, "--hash-ids: use 'cose' or 'named-info'");
	else if (cli->json && (!opts.out || !strcmp(opts.out, "-")))
		rc = cli_usage_error(cli, "--json needs -o (the CoRIM cannot share stdout)");
	else if ((rc = stdin_once_create(cli, &opts.m, opts.from_log, opts.from_spdm)) >= 0)
		;
	else if (!cli_ctx(cli))
		rc = EXIT_INTERNAL;
	else if (!(rv = calloc(opts.m.n ? opts.m.n : 1, sizeof(*rv))) ||
	         !(raw = calloc(opts.m.n ? opts.m.n : 1, sizeof(*raw))))
		rc = cli_exit(cli, FWT_ENOMEM);
	else
		rc = -1;
	for (i = 0; rc < 0 && i < opts.m.n; i++)
		rc = add_measurement(cli, opts.m.v[i], algs, opts.follow, rv, &nrv, raw, &nraw);
	if (rc < 0 && opts.from_log)
		rc = add_golden(cli, opts.from_log, opts.pcrs, NULL, opts.follow, &rv, &nrv, &raw, &nraw);
	if (rc < 0 && opts.from_spdm)
		rc = add_golden(cli, NULL, NULL, opts.from_spdm, opts.follow, &rv, &nrv, &raw, &nraw);
	if (rc < 0) {
		co.vendor = opts.vendor;
		co.model = opts.model;
		co.class_id = opts.class_id;
		co.tag_id = opts.tag_id;
		co.cose_digest_ids = !opts.hash_ids || !strcmp(opts.hash_ids, "cose");
		co.refvals = rv;
		co.n_refvals = nrv;
		co.rawvals = raw;
		co.n_rawvals = nraw;
		struct written w = { "CoRIM for", opts.vendor, opts.model, NULL, NULL, nrv + nraw };
		fwt_err err = fwt_corim_create(cli->ctx, &co, &out, &len);
		rc = err == FWT_EINVAL ? cli_usage_error(cli, "%s", fwt_ctx_errmsg(cli->ctx))
		     : err             ? cli_exit(cli, err)
		                       : write_cbor(cli, opts.out, opts.force, out, len, &w);
	}
	fwt_appraise_refvals_free(rv, nrv);
	fwt_appraise_rawvals_free(raw, nraw);
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
		int force, follow;
	} opts = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0 };
	struct cli_token tok = { NULL, 0, 0 };
	const struct cli_opt table[] = {
		{ 'k', "key", CLI_STR, &opts.key, "key", "signing key: a pkcs11: URI or a PEM private key" },
		{ 0, "pin-file", CLI_STR, &opts.pin_file, "file", "read the token PIN or key passphrase from a file" },
		CLI_TOKEN_OPTS(tok),
		{ 0, "kid", CLI_STR, &opts.kid, "kid", "key identifier for the protected header" },
		{ 0, "signer", CLI_STR, &opts.signer, "name", "signer name (default: the key certificate's subject)" },
		{ 0, "signer-uri", CLI_STR, &opts.signer_uri, "uri", "signer URI" },
		{ 0, "not-before", CLI_STR, &opts.not_before, "date", "start of validity (default: now)" },
		{ 0, "not-after", CLI_STR, &opts.not_after, "date", "end of validity" },
		{ 'o', "output", CLI_STR, &opts.out, "file", "write the signed CoRIM here" },
		{ 0, "force", CLI_FLAG, &opts.force, NULL, "replace an existing output file" },
		{ 0, "follow-symlinks", CLI_FLAG, &opts.follow, NULL, "sign a RIM given as a symbolic link" },
		CLI_OPT_END
	};
	fwt_corim_sign_options so = FWT_CORIM_SIGN_OPTIONS_INIT;
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	struct cli_pin pin;
	fwt_key *key = NULL;
	const char *subject;
	unsigned char *in = NULL, *out = NULL;
	size_t inlen = 0, outlen = 0;
	fwt_err err;
	int rc;

	cli->usage = sign_usage;
	cli->summary = "Sign a CoRIM as a COSE_Sign1 with corim-meta (signer and validity period).";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	rc = cli_token_check(cli, &tok);
	if (rc >= 0)
		return rc;
	if (argc != 1)
		return cli_usage_error(cli, argc ? "give exactly one RIM" : "no RIM given");
	if (!opts.key)
		return cli_usage_error(cli, "--key is required");
	if (!opts.out)
		return cli_usage_error(cli, "-o is required");
	if (cli->json && !strcmp(opts.out, "-"))
		return cli_usage_error(cli, "--json needs -o file (the CoRIM cannot share stdout)");
	if ((rc = cli_refuse_stdin(cli, "--key", opts.key, CLI_WHY_KEY)) >= 0 ||
	    (rc = cli_refuse_stdin(cli, "--pin-file", opts.pin_file, CLI_WHY_PIN)) >= 0)
		return rc;
	if (opts.not_before && !opts.not_after) /* a CoRIM validity-map always has an end */
		return cli_usage_error(cli, "--not-before needs --not-after (a CoRIM validity period has an end)");
	so.has_not_before = 1;
	so.not_before = (int64_t)time(NULL);
	if (opts.not_before && (rc = cli_parse_time(cli, "--not-before", opts.not_before, &so.not_before)) >= 0)
		return rc;
	if (opts.not_after && (rc = cli_parse_time(cli, "--not-after", opts.not_after, &so.not_after)) >= 0)
		return rc;
	so.has_not_after = opts.not_after != NULL;
	if (so.has_not_after && so.not_before > so.not_after)
		return cli_usage_error(cli, "--not-after is before --not-before (or before now)");
	if (opts.kid && !*opts.kid)
		return cli_usage_error(cli, "--kid is empty (leave it out for no kid)");
	if (opts.signer && !*opts.signer)
		return cli_usage_error(cli, "--signer is empty");
	if (opts.signer_uri && !is_uri(opts.signer_uri))
		return cli_usage_error(cli, "--signer-uri: '%s' is not a URI (scheme:rest, as https://example.com/signing)",
		                       opts.signer_uri);
	if (opts.kid) {
		so.kid = (const unsigned char *)opts.kid;
		so.kid_len = strlen(opts.kid);
	}
	so.signer_name = opts.signer;
	so.signer_uri = opts.signer_uri;
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	cli_key_options(cli, &ko, opts.pin_file, &pin, &tok);
	err = cli_read_input(cli, argv[0], FWT_READ_CAP_DEFAULT, opts.follow, &in, &inlen);
	if (!err && fwt_swid_sniff(in, inlen)) {
		/* told apart before any key or PIN is touched */
		cli_key_wipe(&pin);
		cli_error(cli, "'%s': a TCG SWID tag (XML), not a CoRIM: rim sign signs CoRIMs only; "
		          "sign a SWID tag with an XMLDSig tool such as xmlsec1", argv[0]);
		rc = EXIT_UNSUPPORTED;
		goto out;
	}
	if (!err)
		err = cli_key_open(cli, &key, opts.key, &ko);
	cli_key_wipe(&pin);
	if (err) {
		rc = cli_exit(cli, err);
		goto out;
	}
	err = fwt_corim_sign(cli->ctx, key, in, inlen, &so, &out, &outlen);
	subject = fwt_pubkey_cert_subject(fwt_key_pubkey(key));
	if (err == FWT_EINVAL && !opts.signer && (!subject || !*subject) &&
	    !strncmp(fwt_ctx_errmsg(cli->ctx), "no signer name", 14))
		rc = cli_usage_error(cli, "%s; give it with --signer NAME", fwt_ctx_errmsg(cli->ctx));
	else if (err == FWT_EINVAL)
		rc = cli_usage_error(cli, "%s", fwt_ctx_errmsg(cli->ctx));
	else if (err)
		rc = fail_on(cli, argv[0], err);
	else {
		unsigned char fpb[32];
		char fp[65] = "";
		struct written w = { "COSE_Sign1 by", fwt_key_name(key), opts.signer ? opts.signer : subject,
			             fwt_sig_alg_name(fwt_key_alg(key)), fp, 0 };
		if (fwt_pubkey_fingerprint(fwt_key_pubkey(key), fpb) == FWT_OK)
			fwt_hex_encode(fp, fpb, sizeof(fpb));
		rc = write_cbor(cli, opts.out, opts.force, out, outlen, &w);
	}
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
	const fwt_pubkey *key;  /* --key (also in trust) */
	const char *support;    /* --support: a SWID tag's support RIM */
};

/* CoRIM: shown leniently (what is there), verified strictly. */
static fwt_err corim_show(struct cli *cli, const char *path, const unsigned char *buf, size_t len, json_t *j)
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

/* A result's "key_fingerprint": the SHA-256 of the SubjectPublicKeyInfo of
 * the key that verified the RIM, as key export prints it (verify_one sets
 * it null first, for a RIM no key verified). */
static void set_key_fingerprint(json_t *r, const fwt_pubkey *k)
{
	unsigned char fp[32];

	if (fwt_pubkey_fingerprint(k, fp) == FWT_OK)
		json_object_set_new(r, "key_fingerprint", cli_json_hex(fp, sizeof(fp)));
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
		if (!err && res.cose.key) /* the key file's name, exactly */
			cli_json_set_name(r, "key", fwt_pubkey_name(res.cose.key));
		/* the key that verified the signature, an expired RIM's too */
		if (res.signature_ok && res.cose.key)
			set_key_fingerprint(r, res.cose.key);
	}
	if (!err && !cli->json && !cli->quiet) {
		fputs("OK ", stdout);
		put(path);
		printf(" (%s, key '", fwt_sig_alg_name(res.cose.alg));
		put(fwt_pubkey_name(res.cose.key));
		printf("'");
		if (res.window.has_not_after)
			fwt_time_format_rfc3339(res.window.not_after, t), printf(", valid until %s", t);
		printf(")\n");
	}
	fwt_corim_free(c);
	return err;
}

/* TCG PC Client SWID RIMs: XML tags with an enveloped XMLDSig signature. */
static const char *swid_kind(const fwt_swid_identity *id)
{
	return id->corpus ? "corpus" : id->patch ? "patch" : id->supplemental ? "supplemental" : "base";
}

static void swid_kv(int indent, const char *label, const char *v)
{
	printf("%*s%s: ", indent, "", label);
	put(v ? v : "-");
	putchar('\n');
}

static void swid_text(const fwt_swid *s)
{
	const fwt_swid_identity *id = fwt_swid_get_identity(s);
	const fwt_swid_sig_info *g = fwt_swid_signature(s);
	const fwt_swid_timestamp *ts = fwt_swid_get_timestamp(s);
	char hex[2 * FWT_DIGEST_MAX + 1], t[32];
	size_t i, j;

	fputs("SWID tag '", stdout);
	put(id->name);
	fputs("' version '", stdout);
	put(id->version);
	printf("' (%s RIM), tagId '", swid_kind(id));
	put(id->tag_id);
	puts("'");
	for (i = 0; i < fwt_swid_entity_count(s); i++) {
		const fwt_swid_entity *e = fwt_swid_entity_get(s, i);
		fputs("  entity: '", stdout);
		put(e->name);
		fputs("' ", stdout);
		put(e->regid ? e->regid : "-");
		fputs(": ", stdout);
		put(e->role);
		putchar('\n');
	}
	for (i = 0; i < fwt_swid_link_count(s); i++) {
		const fwt_swid_link *l = fwt_swid_link_get(s, i);
		fputs("  link: ", stdout);
		put(l->href);
		fputs(" (", stdout);
		put(l->rel);
		puts(")");
	}
	for (i = 0; i < FWT_SWID_META_COUNT; i++)
		if (fwt_swid_meta(s, (fwt_swid_meta_field)i))
			swid_kv(2, fwt_swid_meta_field_name((fwt_swid_meta_field)i), fwt_swid_meta(s, (fwt_swid_meta_field)i));
	for (i = 0; i < fwt_swid_file_count(s); i++) {
		const fwt_swid_file *f = fwt_swid_file_get(s, i);
		fputs("  file: ", stdout);
		if (f->directory)
			put(f->directory), putchar('/');
		put(f->name);
		if (f->has_size)
			printf(", %llu bytes", (unsigned long long)f->size);
		putchar('\n');
		for (j = 0; j < f->nhashes; j++) {
			fwt_hex_encode(hex, f->hashes[j].value, f->hashes[j].len);
			printf("    %-8s %s\n", fwt_digest_name(f->hashes[j].alg), hex);
		}
	}
	for (i = 0; i < fwt_swid_measurement_count(s); i++) {
		const fwt_swid_measurement *m = fwt_swid_measurement_get(s, i);
		printf("  measurement %u '", (unsigned)m->index);
		put(m->name);
		printf("' %s %s\n", m->active ? "active" : "inactive", fwt_digest_name(m->alg));
		for (j = 0; j < m->alternatives; j++) {
			fwt_hex_encode(hex, m->values + j * m->size, m->size);
			printf("    %s\n", hex);
		}
	}
	if (!g->present) {
		puts("  signature: none (an unsigned tag)");
		return;
	}
	swid_kv(2, "signature", g->signature_method);
	swid_kv(4, "canonicalization", g->c14n_method);
	swid_kv(4, "digest", g->digest_method);
	printf("    references: %zu\n", g->references);
	if (g->key_name)
		swid_kv(4, "key name", g->key_name);
	if (g->key_value)
		swid_kv(4, "key value", g->key_value);
	for (i = 0; i < g->x509_count; i++) {
		printf("    certificate %zu: ", i + 1);
		put(fwt_pubkey_cert_subject(fwt_swid_cert(s, i)));
		putchar('\n');
	}
	if (ts) {
		fputs("    timestamp: ", stdout);
		if (ts->has_time)
			fwt_time_format_rfc3339(ts->time, t), fputs(t, stdout);
		else
			put(ts->value ? ts->value : "-");
		printf(" (%s, %s)\n", ts->format ? ts->format : "unknown format",
		       ts->is_signed ? "signed" : "not verified");
	}
}

static fwt_err swid_show(struct cli *cli, const char *path, const unsigned char *buf, size_t len, json_t *j)
{
	fwt_swid *s = NULL;
	fwt_err err = fwt_swid_parse(cli->ctx, &s, buf, len, path);

	if (!err && j)
		json_object_set_new(j, "rim", fwt_swid_to_json(s));
	else if (!err)
		swid_text(s);
	fwt_swid_free(s);
	return err;
}

/* The support RIM at path as a TCG event log, for the result: FWT_OK
 * (parsed, or not an event log and not declared one), FWT_EFORMAT when the
 * Payload declares an event log that does not parse. */
static fwt_err swid_eventlog(struct cli *cli, const fwt_swid *s, const char *path, json_t *jf, char *note,
                             size_t notelen)
{
	fwt_eventlog *log = NULL;
	json_t *e = json_object(), *algs = json_array();
	int declared = 0;
	size_t i;
	fwt_err err;

	for (i = 0; i < fwt_swid_payload_attr_count(s); i++) {
		const fwt_swid_attr *a = fwt_swid_payload_attr_get(s, i);
		declared |= !strcmp(a->name, "supportRIMFormat") && strstr(a->value, "EventLog");
	}
	json_object_set_new(jf, "eventlog", e);
	err = fwt_eventlog_load(cli->ctx, &log, path, NULL);
	if (err) {
		json_object_set_new(e, "parsed", json_false());
		json_object_set_new(e, "reason", json_string(fwt_ctx_errmsg(cli->ctx)));
		json_decref(algs);
		snprintf(note, notelen, "not a TCG event log");
		if (err == FWT_EFORMAT && declared)
			return err; /* declared an event log, and it is not one */
		fwt_ctx_clear_error(cli->ctx);
		return FWT_OK;
	}
	for (i = 0; i < fwt_eventlog_alg_count(log); i++) {
		const fwt_eventlog_alg *a = fwt_eventlog_alg_at(log, i);
		json_array_append_new(algs, a->alg ? json_string(fwt_digest_name(a->alg)) : json_integer(a->id));
	}
	json_object_set_new(e, "parsed", json_true());
	json_object_set_new(e, "format",
	                    json_string(fwt_eventlog_get_format(log) == FWT_EVENTLOG_CRYPTO_AGILE ? "crypto-agile" : "sha1"));
	json_object_set_new(e, "events", json_integer((json_int_t)fwt_eventlog_count(log)));
	json_object_set_new(e, "algorithms", algs);
	json_object_set_new(e, "data_mismatches", json_integer((json_int_t)fwt_eventlog_mismatch_count(log)));
	snprintf(note, notelen, "TCG event log, %zu events", fwt_eventlog_count(log));
	fwt_eventlog_free(log);
	return FWT_OK;
}

static fwt_err swid_verify(struct cli *cli, const char *path, const unsigned char *buf, size_t len,
                           const struct verify_ctx *v, json_t *r)
{
	fwt_swid_verify_options o = FWT_SWID_VERIFY_OPTIONS_INIT;
	fwt_swid_verify_result res;
	const fwt_swid_timestamp *ts;
	const char *tag_path = strcmp(path, "-") ? path : NULL;
	fwt_swid *s = NULL;
	json_t *sup = json_array(), *x;
	char note[96], t[32];
	size_t i, checked = 0;
	char **seen = NULL;
	fwt_err err;

	json_object_set_new(r, "support", sup);
	note[0] = '\0';
	err = fwt_swid_parse(cli->ctx, &s, buf, len, path);
	if (err)
		goto out;
	o.key = v->key;
	o.trust = v->trust; /* with --key: its revocations only */
	o.at = v->now;
	err = fwt_swid_verify(cli->ctx, s, &o, &res);
	if (res.signature_ok && res.signer)
		set_key_fingerprint(r, res.signer);
	x = fwt_swid_to_json(s);
	json_object_set(r, "verification", json_object_get(x, "verification"));
	/* "invalid" only for a signature computed and found wrong */
	json_object_set_new(r, "signature", json_string(!err ? "valid" : res.checked ? "invalid" : "not_checked"));
	ts = fwt_swid_get_timestamp(s);
	json_object_set_new(r, "timestamp", ts ? json_incref(json_object_get(json_object_get(x, "signature"), "timestamp"))
	                                       : json_null());
	json_decref(x);
	if (err)
		goto out;
	/* then each Payload File against its support RIM, and its content */
	err = fwt_swid_check_support(cli->ctx, s, tag_path, v->support, &checked);
	seen = calloc(fwt_swid_file_count(s) ? fwt_swid_file_count(s) : 1, sizeof(*seen));
	if (!seen && !err)
		err = FWT_ENOMEM;
	for (i = 0; seen && i < fwt_swid_file_count(s); i++) {
		json_t *jf = json_object();
		size_t j;
		json_object_set_new(jf, "file", json_string(fwt_swid_file_get(s, i)->name));
		json_array_append_new(sup, jf);
		if (fwt_swid_support_locate(cli->ctx, s, i, tag_path, v->support, &seen[i]) != FWT_OK)
			break;
		cli_json_set_name(jf, "path", seen[i]);
		json_object_set_new(jf, "ok", json_boolean(i < checked));
		/* a support RIM named by several Files is read as a log once */
		for (j = 0; j < i && strcmp(seen[j], seen[i]); j++)
			;
		if (!err && j < i)
			json_object_set_new(jf, "eventlog",
			                    json_deep_copy(json_object_get(json_array_get(sup, j), "eventlog")));
		else if (!err)
			err = swid_eventlog(cli, s, seen[i], jf, note, sizeof(note));
	}
	for (i = 0; seen && i < fwt_swid_file_count(s); i++)
		free(seen[i]);
	free(seen);
	if (err)
		goto out;
	if (!cli->json && !cli->quiet) {
		const char *m = fwt_swid_signature(s)->signature_method, *h = m ? strrchr(m, '#') : NULL;
		fputs("OK ", stdout);
		put(path);
		printf(" (%s by '", h ? h + 1 : m ? m : "?");
		put(res.signer ? (fwt_pubkey_cert_subject(res.signer) ? fwt_pubkey_cert_subject(res.signer)
		                                                     : fwt_pubkey_name(res.signer)) : "?");
		printf("'%s", res.chain_ok ? ", chain trusted" : "");
		if (checked)
			printf("; %zu support RIM%s match%s%s%s", checked, checked == 1 ? "" : "s", checked == 1 ? "es" : "",
			       *note ? ": " : "", note);
		if (ts && ts->has_time)
			fwt_time_format_rfc3339(ts->time, t), printf("; signed timestamp %s", t);
		else if (ts)
			printf("; signed timestamp (%s)", ts->format ? ts->format : "unknown format");
		puts(")");
	}
out:
	fwt_swid_free(s);
	return err;
}

struct rim_format {
	const char *name;
	int (*sniff)(const void *buf, size_t len);
	/* text on stdout, or the "rim" member of j */
	fwt_err (*show)(struct cli *cli, const char *path, const unsigned char *buf, size_t len, json_t *j);
	/* the verdict; result members in r; one line on stdout when it passes */
	fwt_err (*verify)(struct cli *cli, const char *path, const unsigned char *buf, size_t len,
	                  const struct verify_ctx *v, json_t *r);
};

static const struct rim_format formats[] = {
	{ "corim", fwt_corim_sniff, corim_show, corim_verify },
	{ "swid", fwt_swid_sniff, swid_show, swid_verify },
};

/* The format of a RIM.  Binary that is neither is read as CBOR, so that
 * broken CBOR is "malformed" (exit 4, with the offset; RELIABILITY C1),
 * not "unknown"; only text that is not XML is not a RIM (NULL). */
static const struct rim_format *detect(const unsigned char *buf, size_t len)
{
	size_t i;

	if (!len) /* empty: malformed whatever the format; the CoRIM parser says so */
		return &formats[0];
	for (i = 0; i < ARRAY_LEN(formats); i++)
		if (formats[i].sniff(buf, len))
			return &formats[i];
	/* UTF-16 or UTF-32 (XML in another encoding) is not a format fwtrail reads */
	if (len >= 2 && ((buf[0] == 0xff && buf[1] == 0xfe) || (buf[0] == 0xfe && buf[1] == 0xff)))
		return NULL;
	if (len >= 4 && !buf[0] && !buf[1] && buf[2] == 0xfe && buf[3] == 0xff)
		return NULL;
	return fwt_corim_text_kind(buf, len) ? NULL : &formats[0];
}

/* Why text is not a RIM, and what it may be instead. */
static json_t *unknown_format(struct cli *cli, const char *path, const unsigned char *buf, size_t len)
{
	static const char why[] = "not a RIM fwtrail reads (a CoRIM is CBOR, a TCG SWID tag is XML)";
	const char *what = "";
	char msg[256];

	switch (fwt_corim_text_kind(buf, len)) {
	case FWT_TEXT_JWS: what = ": it is a compact JWS, as a signed OCP SAFE SFR is (see fwtrail sfr verify)"; break;
	case FWT_TEXT_JSON: what = ": it is JSON, as an unsigned OCP SAFE SFR is (see fwtrail sfr lint)"; break;
	default: break;
	}
	snprintf(msg, sizeof(msg), "%s%s", why, what);
	cli_error(cli, "'%s': %s", path, msg);
	return json_pack("{s:s, s:s}", "code", fwt_err_name(FWT_EUNSUPPORTED), "message", msg);
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
	cli->summary = "Print a RIM (CoRIM, signed or not, or a SWID tag) as text, JSON or CBOR diagnostic\n"
	               "notation; no signature is checked.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (argc != 1)
		return cli_usage_error(cli, argc ? "give exactly one RIM" : "no RIM given");
	if (diag && cli->json)
		return cli_usage_error(cli, "--json and --diag do not go together");
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	err = cli_read_input(cli, argv[0], FWT_READ_CAP_DEFAULT, 1, &buf, &len);
	if (err) { /* the message names the file */
		if (cli->json) {
			j = cli_json_new(cli);
			cli_json_set_name(j, "path", argv[0]);
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
		cli_json_set_name(j, "path", argv[0]);
	}
	fmt = detect(buf, len);
	if (!fmt) {
		e = unknown_format(cli, argv[0], buf, len);
		err = FWT_EUNSUPPORTED;
		if (j)
			json_object_set_new(j, "error", e);
		else
			json_decref(e);
	} else {
		if (j)
			json_object_set_new(j, "format", json_string(fmt->name));
		err = fmt->show(cli, argv[0], buf, len, j);
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

	cli_json_set_name(r, "path", path);
	json_object_set_new(r, "key_fingerprint", json_null()); /* until a key verifies it */
	err = cli_read_input(cli, path, FWT_READ_CAP_DEFAULT, 1, &buf, &len);
	if (err) {
		cli_error(cli, "%s", fwt_ctx_errmsg(cli->ctx)); /* it names the file */
	} else if (!(fmt = detect(buf, len))) {
		err = FWT_EUNSUPPORTED;
		json_object_set_new(r, "error", unknown_format(cli, path, buf, len));
	} else if (v->support && fmt->verify != swid_verify) {
		/* --support checks a SWID tag's Files: never quietly unused */
		static const char why[] = "--support names a SWID tag's support RIM, and a CoRIM has none";
		err = FWT_EINVAL;
		cli_error(cli, "'%s': %s", path, why);
		json_object_set_new(r, "format", json_string(fmt->name));
		json_object_set_new(r, "error", json_pack("{s:s, s:s}", "code", fwt_err_name(err), "message", why));
	} else {
		json_object_set_new(r, "format", json_string(fmt->name));
		err = fmt->verify(cli, path, buf, len, v, r);
		if (err == FWT_EVERIFY && !cli->json) {
			/* a "no" is a verdict line on stdout, as verify and sfr
			 * verify write theirs; what could not be told, an error */
			const char *msg = fwt_ctx_errmsg(cli->ctx);
			size_t n = strlen(path);
			if (*msg == '\'' && !strncmp(msg + 1, path, n) && msg[n + 1] == '\'' && msg[n + 2] == ':')
				msg += n + 3 + (msg[n + 3] == ' ');
			fputs("FAIL ", stdout);
			put(path);
			fputs(": ", stdout);
			cli_puts_safe(stdout, *msg ? msg : fwt_err_name(err));
			fputc('\n', stdout);
		} else if (err) {
			error_on(cli, path, err);
		}
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
		struct cli_list trust, revoked;
		const char *key, *at, *support;
	} opts = { { NULL, 0 }, { NULL, 0 }, NULL, NULL, NULL };
	const struct cli_opt table[] = {
		{ 't', "trust", CLI_LIST, &opts.trust, "path", "trusted keys and certificates: a file or a folder" },
		{ 'k', "key", CLI_STR, &opts.key, "key", "one trusted key: PEM public key, PEM certificate or JWK" },
		{ 0, "revoked", CLI_LIST, &opts.revoked, "file", "revoked keys: SHA-256 fingerprints, one a line (repeatable)" },
		{ 0, "at", CLI_STR, &opts.at, "time", "check validity at this RFC 3339 time instead of now" },
		{ 0, "support", CLI_STR, &opts.support, "file", "a SWID tag's support RIM (default: beside the tag)" },
		CLI_OPT_END
	};
	struct verify_ctx v = { NULL, 0, NULL, NULL };
	fwt_pubkey *k = NULL;
	json_t *obj = NULL, *results = NULL;
	fwt_err err = FWT_OK, worst = FWT_OK, e;
	size_t i;
	int rc;

	cli->usage = verify_usage;
	cli->summary = "Check signed RIMs (CoRIM or SWID): the signature against the trusted keys, the\n"
	               "validity period, and a SWID tag's payload files against their support RIMs.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		goto done;
	rc = -1;
	v.now = (int64_t)time(NULL);
	if (!argc)
		rc = cli_usage_error(cli, "no RIM given");
	else if ((rc = cli_stdin_once(cli, (const char *const *)argv, (size_t)argc)) >= 0)
		;
	else if (!opts.trust.n && !opts.key)
		rc = cli_usage_error(cli, "give the keys to trust with --trust or --key");
	else if (opts.trust.n && opts.key)
		rc = cli_usage_error(cli, "--trust and --key cannot be combined (a key file can be given to --trust)");
	else if ((rc = cli_refuse_stdin_list(cli, "--trust", &opts.trust, CLI_WHY_TRUST)) >= 0 ||
	         (rc = cli_refuse_stdin(cli, "--key", opts.key, CLI_WHY_TRUST)) >= 0 ||
	         (rc = cli_refuse_stdin_list(cli, "--revoked", &opts.revoked, "revocation lists are read from files")) >= 0 ||
	         (rc = cli_refuse_stdin(cli, "--support", opts.support, "the support RIM is read from a file")) >= 0)
		;
	else if (opts.at)
		rc = cli_parse_time(cli, "--at", opts.at, &v.now);
	if (rc >= 0)
		goto done;
	if (!cli_ctx(cli)) {
		rc = EXIT_INTERNAL;
		goto done;
	}
	err = fwt_trust_new(cli->ctx, &v.trust);
	if (!err)
		fwt_trust_set_time(v.trust, v.now); /* trusted certificates must be valid then */
	for (i = 0; !err && i < opts.trust.n; i++)
		err = fwt_trust_add_path(v.trust, opts.trust.v[i]);
	if (!err && opts.key) {
		err = fwt_pubkey_load(cli->ctx, &k, opts.key);
		if (err == FWT_EFORMAT && cli_several_keys(cli, opts.key)) {
			rc = EXIT_MALFORMED;
			goto done;
		}
		if (!err)
			err = fwt_trust_add_key(v.trust, k);
		v.key = k;
	}
	for (i = 0; !err && i < opts.revoked.n; i++)
		err = fwt_trust_add_revoked(v.trust, opts.revoked.v[i]);
	v.support = opts.support;
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
		/* "could not tell" outranks "no", and the most serious of them
		 * wins, whatever the order of the RIMs */
		if (e && (worst == FWT_OK || cli_exit_code(e) > cli_exit_code(worst)))
			worst = e;
	}
	if (obj) {
		/* one RIM: its own message, which some failures (not a RIM,
		 * --support with a CoRIM) never put in the context */
		json_t *m = json_object_get(json_object_get(json_array_get(results, 0), "error"), "message");
		if (worst)
			json_object_set_new(obj, "error", json_pack("{s:s, s:s}", "code", fwt_err_name(worst), "message",
			                                            argc != 1 ? "not every RIM verified"
			                                            : json_is_string(m) ? json_string_value(m)
			                                                                : fwt_ctx_errmsg(cli->ctx)));
		cli_json_emit(cli, obj, worst);
	}
	rc = cli_exit_code(worst);
done:
	fwt_pubkey_free(k);
	fwt_trust_free(v.trust);
	free(opts.trust.v);
	free(opts.revoked.v);
	return rc;
}

int cmd_rim(int argc, char **argv, struct cli *cli)
{
	static const struct cli_verb verbs[] = {
		{ "create", rim_create, "make a CoRIM of reference values from files or digests" },
		{ "show", rim_show, "print a RIM (CoRIM or SWID) as text, JSON or CBOR diagnostic notation" },
		{ "sign", rim_sign, "sign a CoRIM as COSE_Sign1 with corim-meta" },
		{ "verify", rim_verify, "check a signed RIM's signature, validity and support RIMs" },
		{ NULL, NULL, NULL }
	};

	cli->summary = "Create, sign, verify and show Reference Integrity Manifests (CoRIM).";
	return cli_dispatch(cli, verbs, argc, argv);
}
