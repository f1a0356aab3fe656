/* SPDX-License-Identifier: Apache-2.0 */
/* cli.h - what every command file shares: exit codes, the option-table
 * parser, messages, --json output and the verb dispatcher. */
#ifndef FWT_CLI_H
#define FWT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include <fwtrail/fwtrail.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Exit status: the one table, documented in fwtrail(1). */
enum {
	EXIT_OK = 0,          /* success; verification passed; policy satisfied */
	EXIT_NO = 1,          /* the answer is no */
	EXIT_USAGE = 2,       /* bad or missing option or argument, unknown command */
	EXIT_IO = 3,          /* cannot open, read or write (stdout included) */
	EXIT_MALFORMED = 4,   /* malformed input */
	EXIT_CRYPTO = 5,      /* key, token or crypto backend failure */
	EXIT_UNSUPPORTED = 6, /* unsupported algorithm, format, profile or version */
	EXIT_INTERNAL = 7     /* internal error */
};

/* The exit status for a library result. */
int cli_exit_code(fwt_err err);

/* One invocation of one (leaf) command. */
struct cli {
	const char *name;               /* "digest", "sfr verify" */
	const char *const *usage;       /* synopsis lines, without "usage: " */
	const char *summary;            /* one line */
	int json;                       /* --json */
	int verbose;                    /* -v count */
	int quiet;                      /* -q */
	int json_done;                  /* the one JSON object is on stdout */
	fwt_ctx *ctx;                   /* made by cli_ctx() */
	fwt_err last_err;               /* the last result cli_exit reported */
	char last_error[1024];          /* the last error line, without the prefix */
	/* what the command did that stands whatever becomes of its output (an
	 * audit record logged): warned of when standard output, held to the
	 * end, cannot be written then; empty: nothing */
	char kept_note[512];
};

enum cli_kind {
	CLI_FLAG,   /* int: set to 1 */
	CLI_COUNT,  /* int: incremented */
	CLI_STR,    /* const char *: last value wins */
	CLI_LIST,   /* struct cli_list: every value, in order */
	CLI_UINT    /* unsigned: decimal */
};

struct cli_list {
	const char **v;
	size_t n;
};

struct cli_opt {
	char shortname;         /* 0 for none */
	const char *longname;   /* without "--" */
	enum cli_kind kind;
	void *ptr;
	const char *arg;        /* argument name in help ("FILE", "raw|cms|cose") */
	const char *help;
};
#define CLI_OPT_END { 0, NULL, CLI_FLAG, NULL, NULL, NULL }

/*
 * Parse options in place, leaving the operands in argc and argv.  The table
 * gets -h/--help, -v/--verbose, -q/--quiet, --json and --completion-helper
 * added.  Returns -1 to go on, or an exit status to return now (0 after
 * --help, 2 after a usage error that was already reported).
 */
int cli_parse(struct cli *cli, const struct cli_opt *opts, int *argc, char ***argv);
void cli_print_help(struct cli *cli, const struct cli_opt *opts, FILE *f);

/* "fwtrail CMD: MESSAGE" + "Try 'fwtrail CMD --help'." on stderr; returns 2.
 * With --json, also the failure object (error code "usage") on stdout,
 * unless the command already printed its object. */
int cli_usage_error(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A time option (--at, --not-before): -1 with *t set, or a usage error (2). */
int cli_parse_time(struct cli *cli, const char *opt, const char *s, int64_t *t);
/* "fwtrail CMD: MESSAGE" on stderr. */
void cli_error(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_warn(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Only with -v (level 1) or -vv (level 2). */
void cli_info(struct cli *cli, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The library context for this command (created on first use; NULL and an
 * error message when it cannot be made). */
fwt_ctx *cli_ctx(struct cli *cli);
void cli_done(struct cli *cli);

/* Report err (the ctx's message, prefixed "fwtrail CMD: ") unless it is
 * FWT_OK, and return its exit status.  In --json mode the message goes to
 * stderr all the same; the JSON object is the command's business. */
int cli_exit(struct cli *cli, fwt_err err);

/* How every JSON object reaches stdout: sorted keys, indented by two. */
#define CLI_JSON_FLAGS (JSON_SORT_KEYS | JSON_INDENT(2))

/* --json: a new object with "command" and "schema" set. */
json_t *cli_json_new(struct cli *cli);
/* Set "ok" (and "error" {code, message} when err != FWT_OK, message from the
 * ctx), print the object (sorted keys, indent 2, newline), free it.  Only
 * the first object of a command reaches stdout: a later one is dropped. */
void cli_json_emit(struct cli *cli, json_t *obj, fwt_err err);
/* cli_json_emit for an object whose array member `key` may be too large to
 * hold: obj gets an empty array there, and item(arg, i, &v) makes each
 * element for i = 0 .. n-1 (v NULL: none at i), written and freed one at a
 * time, byte for byte as cli_json_emit would write them.  "ok" is set from
 * err before any item is made; an item's failure cuts the output short
 * (the JSON is then incomplete, never wrong).  Returns the item's failure,
 * or else err. */
fwt_err cli_json_emit_items(struct cli *cli, json_t *obj, fwt_err err, const char *key, size_t n,
                            fwt_err (*item)(void *arg, size_t i, json_t **v), void *arg);
/* The same, pushed: begin writes obj up to its array member key (set
 * "ok" from err first); each item writes one element (borrowed); end
 * closes the object, or with complete 0 leaves it cut short. */
struct cli_json_stream {
	char *text, *at;
	size_t wrote;
};
fwt_err cli_json_stream_begin(struct cli *cli, struct cli_json_stream *st, json_t *obj, fwt_err err,
                              const char *key);
void cli_json_stream_item(struct cli_json_stream *st, const json_t *v);
void cli_json_stream_end(struct cli_json_stream *st, int complete);
/* After a command: with --json, a failure that printed no object yet gets
 * one (the last error line, the code of exit status rc). */
void cli_json_failed(struct cli *cli, int rc);
/* Only set "ok" and "error" as cli_json_emit does (for objects written
 * elsewhere than stdout); obj stays the caller's. */
void cli_json_finish(struct cli *cli, json_t *obj, fwt_err err);
/* Hex string value. */
json_t *cli_json_hex(const unsigned char *p, size_t n);
/* String value for text that may not be UTF-8 (file names, messages): each
 * byte that is not part of well-formed UTF-8 becomes U+FFFD. */
json_t *cli_json_text(const char *s);
/* obj[key] = name as cli_json_text does; when name is not valid UTF-8, also
 * obj[key + "_hex"] = its exact bytes in hex, so that no name is lost.
 * A NULL name gives null. */
void cli_json_set_name(json_t *obj, const char *key, const char *name);

/* Write text for a terminal or a log: control characters (C0, C1, DEL) and
 * invalid UTF-8 are shown as \xHH, so untrusted strings cannot forge lines
 * or drive the terminal. */
void cli_put_safe(FILE *f, const char *s, size_t n);
void cli_puts_safe(FILE *f, const char *s);
/* The same between single quotes, a quote or backslash inside given a
 * backslash ('it\'s'): a name cannot end its quotes and fake the words
 * after it.  s may be NULL (''). */
void cli_put_quoted(FILE *f, const char *s, size_t n);

/* The bytes of an input named on the command line: standard input, read
 * to its end, for "-"; else the file (a symbolic link followed only when
 * follow is set).  At most cap bytes (FWT_EFORMAT "larger than" past it). */
fwt_err cli_read_input(struct cli *cli, const char *path, size_t cap, int follow, unsigned char **buf, size_t *len);
/* After fwt_pubkey_load of a --key file failed with FWT_EFORMAT: 1 when the
 * file holds several keys (said, pointing to --trust), else 0. */
int cli_several_keys(struct cli *cli, const char *path);

/* Standard input can be read once: "-" at most once among the n inputs.
 * Returns an exit status (a usage error), or -1 to go on. */
int cli_stdin_once(struct cli *cli, const char *const *in, size_t n);

/* The same for inputs given with options: names[i] ("--evidence") took
 * values[i] (NULL: not given).  Two "-" are a usage error naming both
 * options ("--evidence and --rim are both '-'"); -1 to go on. */
int cli_stdin_once_named(struct cli *cli, const char *const *names, const char *const *values, size_t n);
/* "-" where a file is really needed (a key, a log that is locked): the
 * usage error "OPT: WHY, not standard input ('-')" (opt NULL: for an
 * operand), or -1 when value is not "-" (or NULL). */
int cli_refuse_stdin(struct cli *cli, const char *opt, const char *value, const char *why);
int cli_refuse_stdin_list(struct cli *cli, const char *opt, const struct cli_list *l, const char *why);
/* The usual reasons. */
#define CLI_WHY_KEY "keys are read from files or pkcs11: URIs"
#define CLI_WHY_TRUST "trusted keys are read from files or folders"
#define CLI_WHY_PIN "the PIN is read from a file (or FWTRAIL_PIN, or a prompt)"

/* path names a folder; a symbolic link to one counts only when follow is set
 * (unfollowed, the reader's "is a symbolic link" is the better message). */
int cli_is_folder(const char *path, int follow);

/* Nested verbs. */
struct cli_verb {
	const char *name;
	int (*fn)(int argc, char **argv, struct cli *cli);
	const char *summary;
};
/* Whether a is a global option (-v, -q, bundled as "-qv", --verbose,
 * --quiet, --json), taking its effect when apply is set: given between a
 * command and its verb ("fwtrail sfr --json verify"), it counts as if
 * given before the command. */
int cli_global_flag(const char *a, int apply);
/* Run argv[0] from the table ("fwtrail key list ...").  parent is the
 * command's cli ("key"). */
int cli_dispatch(struct cli *parent, const struct cli_verb *verbs, int argc, char **argv);

/* Progress bar on stderr for long operations (only when stderr is a
 * terminal, not in --json or -q mode, and the input is over 64 MiB). */
struct cli_progress {
	struct cli *cli;
	const char *label;
	int active;
	int64_t last_shown;
	uint64_t last_ms;
};
void cli_progress_init(struct cli_progress *p, struct cli *cli, const char *label, int64_t total);
void cli_progress_cb(void *payload, uint64_t done, int64_t total);
void cli_progress_end(struct cli_progress *p);

/* Output: "-" or NULL means stdout.  Files go through the atomic writer. */
struct cli_out {
	struct cli *cli;
	fwt_writer *w;     /* NULL for stdout */
	const char *path;
};
fwt_err cli_out_open(struct cli_out *o, struct cli *cli, const char *path, int force);
fwt_err cli_out_write(struct cli_out *o, const void *buf, size_t len);
fwt_err cli_out_commit(struct cli_out *o);
void cli_out_abort(struct cli_out *o);

/* Global state set by main.c from options given before the command. */
extern int cli_global_json, cli_global_verbose, cli_global_quiet;
extern const char *cli_progname;
/* The (leaf) command being run, "rim create", for the message main.c
 * prints when standard output fails at exit. */
extern char cli_running[128];
/* The descriptor standard output really goes to: STDOUT_FILENO, or, while
 * a command runs with standard output on a regular file, a copy of it
 * (main.c holds the command's output back until it knows that file is
 * none of the command's inputs). */
extern int cli_stdout_fd;
/* Set by cli_done when a command read the file cli_stdout_fd writes to. */
extern int cli_stdout_input;

/* Keys (cmd/key.c), shared by every command that opens a signing key:
 * PIN sources (--pin-file, FWTRAIL_PIN, a no-echo prompt on /dev/tty when
 * stdin is a terminal; never argv), and a guard that keeps what PKCS#11
 * modules print off our stdout and stderr (shown with -vv). */
struct cli_pin {
	char buf[1024];
};
/* --timeout and --force-final-try, on every command that opens a token:
 * CLI_TOKEN_OPTS(t) expands to their option-table entries; cli_token_check
 * validates them after parsing (-1 when fine, else the exit code of the
 * usage error it printed). */
struct cli_token {
	const char *timeout;
	int force_final_try;
	unsigned timeout_ms; /* set by cli_token_check */
};
#define CLI_TOKEN_OPTS(t)                                                                                       \
	{ 0, "timeout", CLI_STR, &(t).timeout, "seconds",                                                       \
	  "give up on a token that has not answered within this long (network HSMs)" },                         \
	{ 0, "force-final-try", CLI_FLAG, &(t).force_final_try, NULL,                                             \
	  "log in even when the token has one PIN try left" }
int cli_token_check(struct cli *cli, struct cli_token *t);
void cli_key_options(struct cli *cli, fwt_key_options *o, const char *pin_file, struct cli_pin *pin,
                     const struct cli_token *t);
void cli_key_wipe(struct cli_pin *pin);
struct cli_quiet {
	struct cli *cli;
	int fd, out, err;
};
void cli_quiet_begin(struct cli_quiet *q, struct cli *cli);
void cli_quiet_end(struct cli_quiet *q);
fwt_err cli_key_open(struct cli *cli, fwt_key **out, const char *spec, const fwt_key_options *o);
void cli_key_close(struct cli *cli, fwt_key *k);

/* The inputs of an appraisal (cmd/attest.c), shared by `attest check` and
 * `audit`: CLI_APPRAISE_OPTS(in) expands to their option-table entries. */
struct cli_appraise_inputs {
	struct cli_list evidence, rim, sfr, trust, key, sfr_trust, spdm_cert, spdm_trust, spdm_nonce;
	const char *root;
	int local;
};
#define CLI_APPRAISE_OPTS(in)                                                                                 \
	{ 'e', "evidence", CLI_LIST, &(in).evidence, "file", "an event log or SPDM evidence (transcript, Redfish)" }, \
	{ 0, "local", CLI_FLAG, &(in).local, NULL, "this machine's event log, checked against its TPM's PCRs" },   \
	{ 0, "sysfs-root", CLI_STR, &(in).root, "dir", "look for /sys under dir (with --local)" },               \
	{ 'r', "rim", CLI_LIST, &(in).rim, "rim", "reference values: a CoRIM or a SWID RIM" },                   \
	{ 's', "sfr", CLI_LIST, &(in).sfr, "report", "an OCP SAFE SFR (JWS, JSON or CoRIM/COSE) giving review status" },     \
	{ 't', "trust", CLI_LIST, &(in).trust, "path", "trusted keys for RIMs (and SFRs without --sfr-trust): a file or a folder" }, \
	{ 'k', "key", CLI_LIST, &(in).key, "key", "one trusted key: PEM public key, PEM certificate or JWK" },   \
	{ 0, "sfr-trust", CLI_LIST, &(in).sfr_trust, "path", "keys of SFR (review) signers, never RIM signers" }, \
	{ 0, "spdm-cert", CLI_LIST, &(in).spdm_cert, "chain", "an SPDM responder's certificate chain (PEM), leaf first or root first" }, \
	{ 0, "spdm-trust", CLI_LIST, &(in).spdm_trust, "path", "roots of SPDM responder chains (device identity), never RIM signers" }, \
	{ 0, "spdm-nonce", CLI_LIST, &(in).spdm_nonce, "nonce",                                                \
	  "the requester nonce SPDM evidence must answer: hex, or evidence=hex for one file" }
/* Any appraisal input given? */
int cli_appraise_given(const struct cli_appraise_inputs *in);
/* Usage checks: -1 when fine, else the exit status (message printed). */
int cli_appraise_check(struct cli *cli, const struct cli_appraise_inputs *in);
/* Standard input ("-") at most once among --evidence, --rim, --sfr and
 * the command's own input name (value NULL: none): -1, or the status of
 * the usage error naming two of them.  cli_appraise_check calls it with
 * none. */
int cli_appraise_stdin_once(struct cli *cli, const struct cli_appraise_inputs *in, const char *name,
                            const char *value);
/* An appraisal kept after its record, with the trust stores it borrows. */
struct cli_appraisal {
	fwt_appraise *a;
	fwt_trust *trust[3];
};
void cli_appraisal_free(struct cli_appraisal *k);
/* Appraise at time at: -1 and *err (with *rec when it ran), or an exit
 * status for a usage error (message printed).  keep NULL: *rec is whole;
 * else its "components" are left to fwt_appraise_component_json on
 * keep->a (NULL when it did not run); cli_appraisal_free(keep) after. */
int cli_appraise_record(struct cli *cli, const struct cli_appraise_inputs *in, int64_t at, json_t **rec,
                        fwt_err *err, struct cli_appraisal *keep);
void cli_appraise_free(struct cli_appraise_inputs *in);

/* Commands (one file each). */
int cmd_attest(int argc, char **argv, struct cli *cli);
int cmd_audit(int argc, char **argv, struct cli *cli);
int cmd_digest(int argc, char **argv, struct cli *cli);
int cmd_eventlog(int argc, char **argv, struct cli *cli);
int cmd_key(int argc, char **argv, struct cli *cli);
int cmd_rim(int argc, char **argv, struct cli *cli);
int cmd_sfr(int argc, char **argv, struct cli *cli);
int cmd_sign(int argc, char **argv, struct cli *cli);
int cmd_spdm(int argc, char **argv, struct cli *cli);
int cmd_verify(int argc, char **argv, struct cli *cli);

#endif
