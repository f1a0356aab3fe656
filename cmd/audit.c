/* SPDX-License-Identifier: Apache-2.0 */
/* audit.c - `fwtrail audit`: a policy's verdict over an appraisal record,
 * recorded in a hash-chained audit log; `fwtrail audit log verify|show`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

static const char *const audit_usage[] = {
	"fwtrail audit --policy policy --appraisal record [--log log [--new-log] [--sign-key key] [--pin-file file] [--timeout seconds] [--force-final-try]] "
	"[--at time] [--format text|json|junit] [-o out] [--force]",
	"fwtrail audit --policy policy (--evidence file | --local [--sysfs-root dir]) ... --rim rim ... "
	"[--sfr report] ... [--trust path] ... [--key key] ... [--sfr-trust path] ... [--spdm-cert chain] ... "
	"[--spdm-trust path] ... "
	"[--spdm-nonce nonce] ... "
	"[--log log [--new-log] [--sign-key key] [--pin-file file] [--timeout seconds] [--force-final-try]] "
	"[--at time] [--format text|json|junit] [-o out] [--force]",
	"fwtrail audit log verify [--key pub] [--head sha256] [--timeout seconds] [--json] log",
	"fwtrail audit log show [--since date] [--timeout seconds] [--json] log",
	NULL
};

static const char *const verify_usage[] = {
	"fwtrail audit log verify [--key pub] [--head sha256] [--timeout seconds] [--json] log",
	NULL
};

static const char *const show_usage[] = {
	"fwtrail audit log show [--since date] [--timeout seconds] [--json] log",
	NULL
};

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* "1 record", "2 records" */
static const char *plural(long long n)
{
	return n == 1 ? "" : "s";
}

/* The library tries the log's lock first and calls this when another
 * process holds it: a command that waits without a word looks hung.  Said
 * once per command (show may read the log twice), and not with -q. */
struct lock_notice {
	struct cli *cli;
	const char *holder; /* who holds the lock, as the waiter sees it */
	int told;
};

static void lock_waiting(void *payload, const char *path)
{
	struct lock_notice *n = payload;
	char keep[sizeof(n->cli->last_error)];

	if (n->told++)
		return;
	/* a notice is no error: the message a failure would show stays */
	memcpy(keep, n->cli->last_error, sizeof(keep));
	cli_info(n->cli, 0, "waiting for the lock on '%s' (%s)", path, n->holder);
	memcpy(n->cli->last_error, keep, sizeof(keep));
}

/* A file name given as "": a usage error, not a file that cannot be
 * opened.  -1 when none is empty, else the status. */
static int empty_names(struct cli *cli, const char *const *names, const char *const *values)
{
	size_t i;

	for (i = 0; names[i]; i++)
		if (values[i] && !*values[i])
			return cli_usage_error(cli, "%s: the file name is empty", names[i]);
	return -1;
}

/* ---- rendering a verdict ---- */

static void render_text(FILE *f, const json_t *res, const char *policy, const char *appraisal, const json_t *logged)
{
	const json_t *rules = json_object_get(res, "rules"), *counts = json_object_get(res, "counts"), *r, *why;
	size_t i, j;

	fputs("audit of '", f);
	cli_puts_safe(f, appraisal);
	fputs("' against policy '", f);
	cli_puts_safe(f, policy);
	fprintf(f, "' at %s\n", jstr(res, "at"));
	json_array_foreach(rules, i, r) {
		const char *oc = jstr(r, "outcome");
		fprintf(f, "%-5s ", !strcmp(oc, "fail") ? "FAIL" : oc);
		int lacking = !strcmp(oc, "fail") && !strcmp(jstr(r, "level"), "warn");
		cli_puts_safe(f, jstr(r, "id"));
		/* a warn rule fails only when the record lacks what it needs */
		if (strcmp(jstr(r, "id"), jstr(r, "rule")) || lacking)
			fprintf(f, " (%s%s%s)", strcmp(jstr(r, "id"), jstr(r, "rule")) ? jstr(r, "rule") : "",
			        strcmp(jstr(r, "id"), jstr(r, "rule")) && lacking ? "; " : "",
			        lacking ? "level warn, failed: the record lacks what the rule needs" : "");
		fputc('\n', f);
		json_array_foreach(json_object_get(r, "reasons"), j, why) {
			fputs("      ", f);
			cli_puts_safe(f, json_string_value(why));
			fputc('\n', f);
		}
	}
	/* the head is the last line written: the checkpoint after the audit
	 * record when one was signed, so it is named by its own seq */
	if (logged) {
		const json_t *head = json_object_get(logged, "head");
		fprintf(f, "logged as record %lld; head: record %lld%s, sha256 %s\n",
		        (long long)json_integer_value(json_object_get(logged, "seq")),
		        (long long)json_integer_value(json_object_get(head, "seq")),
		        json_is_true(json_object_get(logged, "checkpoint")) ? " (checkpoint)" : "", jstr(head, "sha256"));
	}
	/* the one verdict line */
	fprintf(f, "verdict: %s (%lld failed, %lld warned, %lld passed)\n", jstr(res, "verdict"),
	        (long long)json_integer_value(json_object_get(counts, "fail")),
	        (long long)json_integer_value(json_object_get(counts, "warn")),
	        (long long)json_integer_value(json_object_get(counts, "pass")));
}

/* A passing audit logged a product version the rollback rule cannot
 * order: fine to log (many vendors' versions are not dotted numbers), but
 * from now on a rollback rule comparing fw_version stops on that
 * product's history, so say so now rather than at a later audit. */
static void warn_unordered(struct cli *cli, const char *log, const json_t *logged)
{
	const json_t *u;
	size_t i;

	json_array_foreach(json_object_get(logged, "unordered"), i, u) {
		const char *comp = json_string_value(json_object_get(u, "component"));
		cli_warn(cli,
		         "record %" JSON_INTEGER_FORMAT " of '%s' logs fw_version '%s' of '%s' '%s'%s%s%s, which cannot be "
		         "ordered: a rollback rule comparing fw_version will stop (exit 4) on this product's history; "
		         "comparing svn only (\"compare\": [\"svn\"]) avoids it",
		         json_integer_value(json_object_get(logged, "seq")), log, jstr(u, "fw_version"), jstr(u, "vendor"),
		         jstr(u, "product"), comp ? " component '" : "", comp ? comp : "", comp ? "'" : "");
	}
}

/* ---- fwtrail audit ---- */

struct eval_opts {
	const char *policy, *appraisal, *log, *sign_key, *pin_file, *at, *format, *out;
	int force, new_log;
	struct cli_token tok;
};

/* fwt_policy_components' maker of the record's components. */
static fwt_err component_item(void *arg, size_t i, json_t **v)
{
	return fwt_appraise_component_json(arg, i, v);
}

/* The appraisal record: read from --appraisal, or made here from the
 * inputs of `attest check` (then *bytes stays NULL: the record's own
 * "inputs" carry the digests of what was appraised, and its components
 * are made one at a time from kept->a through *comps, the policy reading
 * each in turn: as one JSON tree, the components of a long event log take
 * twenty times the log's size).  -1 and *err, or an exit status for a
 * usage error. */
static int load_record(struct cli *cli, const struct eval_opts *o, const struct cli_appraise_inputs *in,
                       int64_t at, json_t **record, unsigned char **bytes, size_t *len,
                       struct cli_appraisal *kept, fwt_policy_components *comps, fwt_err *err)
{
	int rc;

	if (o->appraisal) {
		/* "-": standard input, so that attest check can pipe into audit;
		 * the bytes read are what the log's digest is of */
		*err = cli_read_input(cli, o->appraisal, FWT_POLICY_RECORD_MAX_SIZE, 1, bytes, len);
		if (!*err)
			*err = fwt_policy_appraisal_parse(cli->ctx, record, *bytes, *len, o->appraisal);
		return -1;
	}
	rc = cli_appraise_record(cli, in, at, record, err, kept);
	if (rc >= 0)
		return rc;
	/* a "no" from the appraisal is input to the policy, not a failure here */
	if (*err == FWT_EVERIFY)
		*err = FWT_OK;
	if (!*err && *record) {
		comps->n = fwt_appraise_count(kept->a);
		comps->get = component_item;
		comps->payload = kept->a;
		*err = fwt_policy_appraisal_check_components(cli->ctx, *record, comps, "attest check");
	}
	return -1;
}

/* Usage checks of the evaluation form: -1 when fine, else the status. */
static int eval_checks(struct cli *cli, struct eval_opts *o, const struct cli_appraise_inputs *in, int argc,
                       char **argv)
{
	const char *const names[] = { "--policy", "--appraisal", "--log", "--pin-file", NULL };
	const char *const values[] = { o->policy, o->appraisal, o->log, o->pin_file };
	int rc;

	/* --format json promises what --json does: one object, failures too
	 * (main's safety net prints the failure object for a JSON command) */
	if (o->format && !strcmp(o->format, "json"))
		cli->json = 1;
	if (argc)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = empty_names(cli, names, values)) >= 0)
		return rc;
	if (!o->policy)
		return cli_usage_error(cli, "--policy is required");
	if (o->appraisal && cli_appraise_given(in))
		return cli_usage_error(cli, "give --appraisal, or the inputs of 'attest check', not both");
	if (!o->appraisal && !cli_appraise_given(in))
		return cli_usage_error(cli, "--appraisal, or evidence (--evidence, --local) and --rim, are required");
	if (!o->appraisal && cli_appraise_check(cli, in) >= 0)
		return EXIT_USAGE;
	/* the policy and the record are read once, either from standard
	 * input; the log is locked and appended to, which a pipe cannot be */
	if (o->appraisal && o->policy && !strcmp(o->policy, "-") && !strcmp(o->appraisal, "-"))
		return cli_usage_error(cli, "--policy and --appraisal are both '-': standard input can be read once");
	if ((rc = cli_appraise_stdin_once(cli, in, "--policy", o->policy)) >= 0 ||
	    (rc = cli_refuse_stdin(cli, "--log", o->log, "the audit log is locked and appended to: give a file")) >= 0 ||
	    (rc = cli_refuse_stdin(cli, "--sign-key", o->sign_key, CLI_WHY_KEY)) >= 0 ||
	    (rc = cli_refuse_stdin(cli, "--pin-file", o->pin_file, CLI_WHY_PIN)) >= 0)
		return rc;
	if (!o->format)
		o->format = cli->json ? "json" : "text";
	if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "junit"))
		return cli_usage_error(cli, "--format: '%s' is not text, json or junit", o->format);
	/* standard output holds the one JSON object: another format of the
	 * report goes to a file, and the object says where */
	if (cli->json && strcmp(o->format, "json") && (!o->out || !strcmp(o->out, "-")))
		return cli_usage_error(cli, "--json with --format %s needs -o (standard output holds the JSON object)",
		                       o->format);
	if (o->new_log && !o->log)
		return cli_usage_error(cli, "--new-log starts the log given with --log: it needs --log");
	if (o->sign_key && !o->log)
		return cli_usage_error(cli, "--sign-key signs the log's checkpoint: it needs --log");
	if (o->pin_file && !o->sign_key)
		return cli_usage_error(cli, "--pin-file is for --sign-key");
	/* --timeout bounds the token's answers, and the wait for the log's lock */
	if (o->tok.timeout && !o->sign_key && !o->log)
		return cli_usage_error(cli, "--timeout is for --sign-key or --log");
	if (o->tok.force_final_try && !o->sign_key)
		return cli_usage_error(cli, "--force-final-try is for --sign-key");
	return cli_token_check(cli, &o->tok);
}

/* The log is the rollback rule's state (RELIABILITY T2): a missing one is
 * never made anew by accident, and --new-log never resets an existing one.
 * Checked before any work, with a hint; the library enforces the same when
 * it opens or creates the log.  -1 when fine, else the status. */
/* The folder of path (dev, ino) and where its last component starts. */
static int dir_id(const char *path, struct stat *st, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc;

	*base = slash ? slash + 1 : path;
	dir = slash ? (slash == path ? strdup("/") : strndup(path, (size_t)(slash - path))) : strdup(".");
	if (!dir)
		return -1;
	rc = stat(dir, st);
	free(dir);
	return rc;
}

/* -o and --log naming one file, however spelled: the report would replace
 * the log (a new log does not exist yet, so it is not a recorded input). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	const char *ba, *bb;

	if (dir_id(a, &sa, &ba) != 0 || dir_id(b, &sb, &bb) != 0)
		return !strcmp(a, b);
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && !strcmp(ba, bb);
}

static int log_checks(struct cli *cli, const struct eval_opts *o)
{
	struct stat st;

	if (!o->log)
		return -1;
	if (o->out && strcmp(o->out, "-") && same_file(o->log, o->out))
		return cli_usage_error(cli, "-o and --log name the same file");
	if (lstat(o->log, &st) == 0 && o->new_log) {
		cli_error(cli, "cannot start audit log '%s': it already exists (drop --new-log to append to it)", o->log);
		return EXIT_IO;
	}
	if (lstat(o->log, &st) != 0 && errno == ENOENT && !o->new_log) {
		cli_error(cli, "cannot open audit log '%s': it does not exist (start a new log with --new-log)", o->log);
		return EXIT_IO;
	}
	return -1;
}

static int audit_eval(int argc, char **argv, struct cli *cli)
{
	struct eval_opts o;
	struct cli_appraise_inputs in;
	const struct cli_opt table[] = {
		{ 0, "policy", CLI_STR, &o.policy, "policy", "the policy to evaluate (see fwtrail-policy(5))" },
		{ 0, "appraisal", CLI_STR, &o.appraisal, "record", "the appraisal record 'fwtrail attest check --json' printed ('-': standard input)" },
		CLI_APPRAISE_OPTS(in),
		{ 0, "log", CLI_STR, &o.log, "log", "append the audit to this hash-chained log, which must exist" },
		{ 0, "new-log", CLI_FLAG, &o.new_log, NULL, "start the --log file with this audit: it must not exist yet" },
		{ 0, "sign-key", CLI_STR, &o.sign_key, "key", "sign a checkpoint of the log: a pkcs11: URI or a PEM private key" },
		{ 0, "pin-file", CLI_STR, &o.pin_file, "file", "read the PIN or passphrase of --sign-key from this file" },
		{ 0, "timeout", CLI_STR, &o.tok.timeout, "seconds",
		  "give up on a token that has not answered, or on the log's lock, within this long" },
		{ 0, "force-final-try", CLI_FLAG, &o.tok.force_final_try, NULL, "log in even when the token has one PIN try left" },
		{ 0, "at", CLI_STR, &o.at, "time", "evaluate at this RFC 3339 time instead of now" },
		{ 0, "format", CLI_STR, &o.format, "text|json|junit", "output format (default: text, or json with --json)" },
		{ 'o', "output", CLI_STR, &o.out, "out", "write the report here (default: standard output)" },
		{ 0, "force", CLI_FLAG, &o.force, NULL, "replace an existing output file" },
		CLI_OPT_END
	};
	fwt_policy_eval_options eo = FWT_POLICY_EVAL_OPTIONS_INIT;
	fwt_policy_components comps = { 0, NULL, NULL };
	struct cli_appraisal kept = { NULL, { NULL, NULL, NULL } };
	fwt_audit_entry entry = FWT_AUDIT_ENTRY_INIT;
	fwt_auditlog_open_options lo = FWT_AUDITLOG_OPEN_OPTIONS_INIT;
	struct lock_notice notice = { cli, "another fwtrail is writing or reading it", 0 };
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	struct cli_pin pin;
	fwt_policy *pol = NULL;
	fwt_auditlog *log = NULL;
	fwt_key *key = NULL;
	json_t *record = NULL, *hist = NULL, *res = NULL, *logged = NULL;
	unsigned char *pbuf = NULL, *abuf = NULL;
	size_t plen = 0, alen = 0, olen = 0;
	char host[256], vmsg[1024], *obuf = NULL;
	struct cli_out out;
	fwt_verdict verdict;
	fwt_err err, verr = FWT_OK;
	int64_t at = 0;
	int rc, out_open = 0, stdout_errno = 0, werrno = 0;

	memset(&o, 0, sizeof(o));
	memset(&in, 0, sizeof(in));
	cli->usage = audit_usage;
	cli->summary = "Evaluate a policy over an appraisal record: each rule passes, warns or fails\n"
	               "with its reasons; exit 0 for pass and warn, 1 for fail.  With --log, append\n"
	               "the audit to a hash-chained log ('fwtrail audit log verify|show'); the first\n"
	               "audit starts it with --new-log.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc < 0)
		rc = eval_checks(cli, &o, &in, argc, argv);
	if (rc < 0)
		rc = log_checks(cli, &o);
	if (rc >= 0) {
		cli_appraise_free(&in);
		return rc;
	}
	if (o.at && (rc = cli_parse_time(cli, "--at", o.at, &at)) >= 0) {
		cli_appraise_free(&in);
		return rc;
	}
	if (!o.at)
		at = (int64_t)time(NULL);
	if (!cli_ctx(cli)) {
		cli_appraise_free(&in);
		return EXIT_INTERNAL;
	}
	rc = -1;
	err = cli_read_input(cli, o.policy, FWT_POLICY_MAX_SIZE, 1, &pbuf, &plen);
	if (!err)
		err = fwt_policy_parse(cli->ctx, &pol, pbuf, plen, o.policy);
	if (!err && (rc = load_record(cli, &o, &in, at, &record, &abuf, &alen, &kept, &comps, &err)) >= 0)
		goto out;
	if (!err && o.sign_key) {
		cli_key_options(cli, &ko, o.pin_file, &pin, &o.tok);
		err = cli_key_open(cli, &key, o.sign_key, &ko);
		cli_key_wipe(&pin);
		/* refused before the log is touched */
		if (!err)
			err = fwt_auditlog_check_sign_key(cli->ctx, key);
	}
	if (!err && o.log)
		err = fwt_ctx_add_input(cli->ctx, o.log);
	/* the output is opened before the log is touched, so that a bad -o
	 * (an input, the log itself, an existing file) leaves no record */
	if (!err && (strcmp(o.format, "text") || !cli->quiet || o.out)) {
		err = cli_out_open(&out, cli, o.out, o.force);
		if (!err)
			out_open = 1;
	}
	if (err)
		goto out;

	/* the log stays locked from reading its history to the append */
	if (o.log) {
		lo.create = o.new_log;
		lo.waiting = lock_waiting;
		lo.waiting_payload = &notice;
		lo.lock_timeout_ms = o.tok.timeout_ms;
		err = fwt_auditlog_open_ext(cli->ctx, &log, o.log, &lo);
		if (!err && fwt_policy_needs_history(pol))
			err = fwt_auditlog_history(log, &hist);
		if (err)
			goto out;
	}
	eo.at = at;
	eo.history = hist;
	eo.name = o.appraisal ? o.appraisal : "attest check";
	eo.components = o.appraisal ? NULL : &comps;
	verr = fwt_policy_eval(cli->ctx, pol, record, &eo, &verdict, &res);
	if (verr != FWT_OK && verr != FWT_EVERIFY) {
		err = verr;
		goto out;
	}
	/* keep the verdict's message: appending may set others on the ctx */
	snprintf(vmsg, sizeof(vmsg), "%s", verr ? fwt_ctx_errmsg(cli->ctx) : "");
	if (log) {
		if (gethostname(host, sizeof(host)) != 0)
			host[0] = '\0';
		host[sizeof(host) - 1] = '\0';
		entry.time = (int64_t)time(NULL);
		entry.host = host[0] ? host : NULL;
		entry.policy_path = o.policy;
		entry.policy = pbuf;
		entry.policy_len = plen;
		entry.appraisal_path = o.appraisal;
		entry.appraisal = abuf;
		entry.appraisal_len = alen;
		entry.record = record;
		entry.result = res;
		entry.sign_key = key;
		err = fwt_auditlog_append(log, &entry, &logged);
		fwt_auditlog_close(log);
		log = NULL;
		if (err)
			goto out;
		warn_unordered(cli, o.log, logged);
		/* should the report not reach standard output at exit (main.c) */
		snprintf(cli->kept_note, sizeof(cli->kept_note),
		         "the audit was logged before the failure: record %" JSON_INTEGER_FORMAT " of '%s', head %s",
		         json_integer_value(json_object_get(logged, "seq")), o.log,
		         json_string_value(json_object_get(json_object_get(logged, "head"), "sha256")));
	}
	if (out_open) {
		FILE *m = open_memstream(&obuf, &olen);
		if (!m) {
			err = FWT_ENOMEM;
			goto out;
		}
		if (!strcmp(o.format, "json")) {
			json_t *obj = cli_json_new(cli);
			json_object_update(obj, res);
			/* file names are any bytes: never a member lost for it */
			cli_json_set_name(obj, "policy", o.policy);
			if (o.appraisal)
				cli_json_set_name(obj, "appraisal", o.appraisal);
			else
				json_object_set_new(obj, "appraisal", json_null());
			json_object_set_new(obj, "log", logged ? json_pack("{s:o, s:O, s:O, s:O}", "path", cli_json_text(o.log),
			                                                   "seq", json_object_get(logged, "seq"), "sha256",
			                                                   json_object_get(logged, "sha256"), "head",
			                                                   json_object_get(logged, "head"))
			                                       : json_null());
			if (verr)
				json_object_set_new(obj, "error", json_pack("{s:s, s:s}", "code", fwt_err_name(verr), "message",
				                                            vmsg));
			cli_json_finish(cli, obj, verr);
			json_dumpf(obj, m, CLI_JSON_FLAGS);
			fputc('\n', m);
			json_decref(obj);
		} else if (!strcmp(o.format, "junit")) {
			char *x = NULL;
			size_t xl = 0;
			err = fwt_policy_result_junit(cli->ctx, res, o.policy, eo.name, &x, &xl);
			if (!err)
				fwrite(x, 1, xl, m);
			free(x);
			if (err) {
				fclose(m);
				goto out;
			}
		} else {
			render_text(m, res, o.policy, eo.name, logged);
		}
		if (fclose(m) != 0) {
			err = FWT_ENOMEM;
			goto out;
		}
		errno = 0;
		err = cli_out_write(&out, obuf, olen);
		werrno = err ? errno : 0; /* a failed write to standard output says why */
		out_open = 0;
		if (!err)
			err = cli_out_commit(&out);
		else
			cli_out_abort(&out);
		if (!err && cli->json && o.out && strcmp(o.out, "-")) {
			/* the report is in the file: stdout says where, as for
			 * every command with --json and -o */
			json_t *obj = cli_json_new(cli);
			cli_json_set_name(obj, "output", o.out);
			json_object_set_new(obj, "size", json_integer((json_int_t)olen));
			json_object_set_new(obj, "format", json_string(o.format));
			json_object_set_new(obj, "verdict", json_string(fwt_verdict_name(verdict)));
			if (verr)
				json_object_set_new(obj, "error", json_pack("{s:s, s:s}", "code", fwt_err_name(verr), "message",
				                                            vmsg));
			cli_json_emit(cli, obj, verr);
		} else if (!err) {
			cli->json_done = 1; /* the report is the command's one object */
		}
	}
	/* with the audit in the log, standard output is checked here rather
	 * than at exit, so that a failed write says the record was logged */
	if (logged && (!err || err == FWT_EIO) && (fflush(stdout) != 0 ? (werrno = errno, 1) : ferror(stdout))) {
		stdout_errno = werrno ? werrno : EIO;
		clearerr(stdout); /* said here, once: the buffer is gone */
		err = FWT_EIO;
	}
	if (!err && verr) {
		cli_error(cli, "%s", vmsg);
		rc = cli_exit_code(verr);
		err = FWT_OK;
	} else {
		rc = -1;
	}
out:
	if (out_open)
		cli_out_abort(&out);
	if (err && logged) {
		/* the record is in the log already (the report could not be
		 * written after it): say so, so that the audit is not run again
		 * to log it twice, and give the head to pin */
		if (stdout_errno) {
			/* standard output is what failed: no object can reach it */
			cli->json_done = 1;
			cli->last_err = err;
			if (stdout_errno != EPIPE)
				cli_error(cli, "write error on standard output: %s", strerror(stdout_errno));
			rc = cli_exit_code(err);
		} else if (cli->json) {
			json_t *obj = cli_json_new(cli);
			json_object_set_new(obj, "log", json_pack("{s:o, s:O, s:O, s:O}", "path", cli_json_text(o.log), "seq",
			                                          json_object_get(logged, "seq"), "sha256",
			                                          json_object_get(logged, "sha256"), "head",
			                                          json_object_get(logged, "head")));
			cli_json_emit(cli, obj, err);
		}
		if (!stdout_errno)
			rc = cli_exit(cli, err);
		cli_warn(cli, "%s", cli->kept_note);
		cli->kept_note[0] = '\0'; /* said */
		err = FWT_OK;
	}
	fwt_auditlog_close(log);
	cli_key_close(cli, key);
	fwt_policy_free(pol);
	json_decref(record);
	cli_appraisal_free(&kept);
	json_decref(hist);
	json_decref(res);
	json_decref(logged);
	free(pbuf);
	free(abuf);
	free(obuf);
	cli_appraise_free(&in);
	return err || rc < 0 ? cli_exit(cli, err) : rc;
}

/* ---- fwtrail audit log verify ---- */

/* The log is read under its lock, which standard input cannot take. */
#define LOCK_TIMEOUT_HELP "give up waiting for the log's lock after this long (exit 3)"
#define LOG_NOT_STDIN "the audit log is read under a lock: give a file"

static int audit_log_verify(int argc, char **argv, struct cli *cli)
{
	struct verify_opts {
		const char *key, *head;
		struct cli_token tok;
	} o = { NULL, NULL, { NULL, 0, 0 } };
	const struct cli_opt table[] = {
		{ 0, "key", CLI_STR, &o.key, "pub", "verify every checkpoint's signature with this public key" },
		{ 0, "head", CLI_STR, &o.head, "sha256", "a head seen earlier (SHA-256 of a record line) the log must hold" },
		{ 0, "timeout", CLI_STR, &o.tok.timeout, "seconds", LOCK_TIMEOUT_HELP },
		CLI_OPT_END
	};
	fwt_auditlog_verify_options vo = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	struct lock_notice notice = { cli, "another fwtrail audit is writing it", 0 };
	fwt_pubkey *pk = NULL;
	json_t *rep = NULL;
	fwt_err err;
	int rc;

	cli->usage = verify_usage;
	cli->summary = "Check an audit log: every record complete and chained to the one before,\n"
	               "nothing edited, deleted, reordered or inserted; with --head, nothing cut\n"
	               "from its end or changed in its last record; with --key, every signed\n"
	               "checkpoint.  Names the first bad record (exit 1).";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (argc != 1)
		return cli_usage_error(cli, argc ? "give exactly one log" : "no log given");
	if (!*argv[0] || (o.key && !*o.key))
		return cli_usage_error(cli, *argv[0] ? "--key: the file name is empty" : "the log's file name is empty");
	if ((rc = cli_refuse_stdin(cli, NULL, argv[0], LOG_NOT_STDIN)) >= 0 ||
	    (rc = cli_refuse_stdin(cli, "--key", o.key, "the checkpoints' key is read from a file")) >= 0 ||
	    (rc = cli_token_check(cli, &o.tok)) >= 0)
		return rc;
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	err = o.key ? fwt_pubkey_load(cli->ctx, &pk, o.key) : FWT_OK;
	if (!err) {
		vo.waiting = lock_waiting;
		vo.waiting_payload = &notice;
		vo.key = pk;
		vo.head = o.head;
		vo.now = (int64_t)time(NULL); /* no checkpoint is dated after the verification */
		vo.lock_timeout_ms = o.tok.timeout_ms;
		err = fwt_auditlog_verify(cli->ctx, argv[0], &vo, &rep);
	}
	if (cli->json) {
		json_t *obj = cli_json_new(cli);
		if (rep)
			json_object_update(obj, rep);
		cli_json_set_name(obj, "path", argv[0]);
		if (o.key) {
			char shown[1024];
			fwt_key_spec_shown(o.key, shown, sizeof(shown)); /* never a PIN */
			cli_json_set_name(obj, "key", shown);
		}
		else
			json_object_set_new(obj, "key", json_null());
		cli_json_emit(cli, obj, err);
	} else if (!err && !cli->quiet) {
		const json_t *head = json_object_get(rep, "head");
		long long nr = (long long)json_integer_value(json_object_get(rep, "records"));
		long long na = (long long)json_integer_value(json_object_get(rep, "audits"));
		long long nc = (long long)json_integer_value(json_object_get(rep, "checkpoints"));
		long long nu = (long long)json_integer_value(json_object_get(rep, "unsigned_after"));
		cli_puts_safe(stdout, argv[0]);
		printf(": %lld record%s (%lld audit%s, %lld checkpoint%s), chain intact", nr, plural(nr), na, plural(na), nc,
		       plural(nc));
		if (json_is_object(head))
			printf("; head: record %lld, sha256 %s", (long long)json_integer_value(json_object_get(head, "seq")),
			       jstr(head, "sha256"));
		printf("\n");
		if (pk) {
			printf("checkpoints verified with '");
			cli_puts_safe(stdout, o.key);
			printf("': %lld", (long long)json_integer_value(json_object_get(rep, "checkpoints_verified")));
			if (nu == 1)
				printf(" (the last record is after the last checkpoint)");
			else if (nu)
				printf(" (the last %lld records are after the last checkpoint)", nu);
			printf("\n");
		} else if (nc) { /* a chain anyone can extend: say what was not checked */
			cli_warn(cli, "the checkpoints' signatures were not verified: no --key given");
		}
	}
	json_decref(rep);
	fwt_pubkey_free(pk);
	return cli_exit(cli, err);
}

/* ---- fwtrail audit log show ---- */

struct show {
	struct cli *cli;
	int64_t since;
	int header;
	/* --json, in two walks: the first notes each shown record's hash (the
	 * object's "ok" and "first_bad" come before its records), the second
	 * writes them one at a time, the log being the same */
	int json_pass;              /* 1, 2; 0 for text */
	char (*sha)[65];
	size_t n, cap, k;
	int changed, past;
	struct cli_json_stream st;
};

static void show_paths(const json_t *inputs)
{
	size_t i, n = json_array_size(inputs);
	json_t *in;

	json_array_foreach(inputs, i, in) {
		if (i == 3) {
			printf(" (+%zu more)", n - 3);
			break;
		}
		fputs(i ? ", " : "", stdout);
		cli_puts_safe(stdout, jstr(in, "path"));
	}
}

static fwt_err show_record(void *payload, const json_t *r, const char *sha256)
{
	struct show *s = payload;
	const char *t = jstr(r, "time");
	int64_t when;
	size_t i, nf = 0;
	json_t *rule;

	if (s->since && (fwt_time_parse_rfc3339(t, strlen(t), &when) != FWT_OK || when < s->since))
		return FWT_OK;
	if (s->json_pass == 1) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 1024;
			char(*grown)[65] = realloc(s->sha, cap * sizeof(*grown));
			if (!grown)
				return FWT_ENOMEM;
			s->sha = grown;
			s->cap = cap;
		}
		snprintf(s->sha[s->n++], sizeof(s->sha[0]), "%s", sha256);
		return FWT_OK;
	}
	if (s->json_pass == 2) {
		json_t *c;
		if (s->k >= s->n) { /* appended since: the records of the first walk are all out */
			s->past = 1;
			return FWT_ENOTFOUND;
		}
		if (strcmp(s->sha[s->k], sha256)) {
			s->changed = 1;
			return FWT_EIO;
		}
		s->k++;
		if (!(c = json_deep_copy(r)) || json_object_set_new(c, "sha256", json_string(sha256))) {
			json_decref(c);
			return FWT_ENOMEM;
		}
		cli_json_stream_item(&s->st, c);
		json_decref(c);
		return FWT_OK;
	}
	if (s->cli->quiet)
		return FWT_OK;
	if (!s->header++)
		printf("%6s  %-20s  %-10s  %s\n", "seq", "time", "verdict", "policy: inputs");
	printf("%6lld  %-20s  ", (long long)json_integer_value(json_object_get(r, "seq")), t);
	if (!strcmp(jstr(r, "type"), "checkpoint")) {
		printf("%-10s  head record %lld %.16s..., key %.16s...\n", "checkpoint",
		       (long long)json_integer_value(json_object_get(r, "seq")) - 1, jstr(r, "prev"), jstr(r, "key"));
		return FWT_OK;
	}
	printf("%-10s  ", jstr(r, "verdict"));
	cli_puts_safe(stdout, jstr(json_object_get(r, "policy"), "path"));
	fputs(": ", stdout);
	show_paths(json_object_get(r, "inputs"));
	json_array_foreach(json_object_get(r, "rules"), i, rule) {
		if (strcmp(jstr(rule, "outcome"), "pass")) {
			fputs(nf++ ? ", " : "; not passed: ", stdout);
			cli_puts_safe(stdout, jstr(rule, "id"));
			printf(" (%s)", jstr(rule, "outcome"));
		}
	}
	if (json_is_string(json_object_get(r, "host"))) {
		fputs("; host ", stdout);
		cli_puts_safe(stdout, jstr(r, "host"));
	}
	fputc('\n', stdout);
	return FWT_OK;
}

static int audit_log_show(int argc, char **argv, struct cli *cli)
{
	struct show_opts {
		const char *since;
		struct cli_token tok;
	} o = { NULL, { NULL, 0, 0 } };
	const struct cli_opt table[] = {
		{ 0, "since", CLI_STR, &o.since, "date", "only records from this date or RFC 3339 time on" },
		{ 0, "timeout", CLI_STR, &o.tok.timeout, "seconds", LOCK_TIMEOUT_HELP },
		CLI_OPT_END
	};
	fwt_auditlog_verify_options vo = FWT_AUDITLOG_VERIFY_OPTIONS_INIT;
	struct lock_notice notice = { cli, "another fwtrail audit is writing it", 0 };
	struct show s;
	json_t *rep = NULL;
	fwt_err err;
	int rc;

	cli->usage = show_usage;
	cli->summary = "Print the audit history: time, verdict, policy and inputs of each record,\n"
	               "and the checkpoints.  The chain is verified on the way; a bad record stops\n"
	               "the listing (exit 1).";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (argc != 1)
		return cli_usage_error(cli, argc ? "give exactly one log" : "no log given");
	if (!*argv[0])
		return cli_usage_error(cli, "the log's file name is empty");
	if ((rc = cli_refuse_stdin(cli, NULL, argv[0], LOG_NOT_STDIN)) >= 0 || (rc = cli_token_check(cli, &o.tok)) >= 0)
		return rc;
	memset(&s, 0, sizeof(s));
	s.cli = cli;
	if (o.since && fwt_time_parse_rfc3339_whole(o.since, strlen(o.since), &s.since) != FWT_OK)
		return cli_usage_error(cli, "--since: '%s' is not a date (YYYY-MM-DD) or an RFC 3339 time in whole "
		                       "seconds", o.since);
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	s.json_pass = cli->json;
	vo.record = show_record;
	vo.payload = &s;
	vo.waiting = lock_waiting; /* told once, though the log may be walked twice */
	vo.lock_timeout_ms = o.tok.timeout_ms; /* for each walk */
	vo.waiting_payload = &notice;
	err = fwt_auditlog_verify(cli->ctx, argv[0], &vo, &rep);
	if (cli->json) {
		/* the records a second time, written as they are read: a long
		 * log never lies in memory as one JSON tree */
		json_t *obj = cli_json_new(cli), *rep2 = NULL;
		int walk = err == FWT_OK || err == FWT_EVERIFY; /* else nothing was shown */
		fwt_err err2;
		cli_json_set_name(obj, "path", argv[0]);
		if (json_object_get(rep, "first_bad"))
			json_object_set(obj, "first_bad", json_object_get(rep, "first_bad"));
		if (cli_json_stream_begin(cli, &s.st, obj, err, "records") != FWT_OK) {
			err = FWT_ENOMEM;
		} else if (!walk) {
			cli_json_stream_end(&s.st, 1);
		} else {
			s.json_pass = 2;
			err2 = fwt_auditlog_verify(cli->ctx, argv[0], &vo, &rep2);
			json_decref(rep2);
			if (s.past && err2 == FWT_ENOTFOUND)
				err2 = err;
			/* the same records and outcome, or the log changed between
			 * the walks: the object is then left cut short */
			cli_json_stream_end(&s.st, !s.changed && s.k == s.n && err2 == err);
			if (err2 == FWT_ENOMEM) {
				err = FWT_ENOMEM;
			} else if (s.changed || s.k != s.n || err2 != err) {
				cli_error(cli, "'%s' changed while it was read", argv[0]);
				cli->last_err = FWT_EIO;
				free(s.sha);
				json_decref(rep);
				return EXIT_IO;
			}
		}
	} else if (!err && !s.header && !cli->quiet) {
		printf("no records%s\n", o.since ? " since then" : "");
	}
	free(s.sha);
	json_decref(rep);
	return cli_exit(cli, err);
}

int cmd_audit(int argc, char **argv, struct cli *cli)
{
	static const struct cli_verb log_verbs[] = {
		{ "show", audit_log_show, "print the audit history" },
		{ "verify", audit_log_verify, "check the hash chain and the signed checkpoints" },
		{ NULL, NULL, NULL }
	};
	struct cli logcli;
	int rc, i, k;

	/* global options before the sub-verb, as between any command and its
	 * verb ("fwtrail audit --json log verify") */
	for (i = 1; i < argc && cli_global_flag(argv[i], 0); i++)
		;
	if (i > 1 && i < argc && !strcmp(argv[i], "log")) {
		for (k = 1; k < i; k++)
			cli_global_flag(argv[k], 1);
		argv[i - 1] = argv[0];
		argv += i - 1;
		argc -= i - 1;
	}
	if (argc >= 2 && !strcmp(argv[1], "log")) {
		memset(&logcli, 0, sizeof(logcli));
		logcli.name = "audit log";
		logcli.summary = "The hash-chained audit log that 'fwtrail audit --log' appends to.";
		rc = cli_dispatch(&logcli, log_verbs, argc - 1, argv + 1);
		cli_done(&logcli);
		return rc;
	}
	/* the completion helper lists the sub-verb beside the options */
	if (argc == 2 && !strcmp(argv[1], "--completion-helper"))
		printf("log\n");
	return audit_eval(argc, argv, cli);
}
