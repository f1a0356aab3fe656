/* SPDX-License-Identifier: Apache-2.0 */
/* key.c - `fwtrail key list|generate|export`: PKCS#11 tokens and keys by
 * pkcs11: URI, and public key export.  Also the PIN sources and the module
 * output guard that every command opening a key shares. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>
#include "cli.h"

/* ---- shared with sign: PIN sources ---- */

static volatile sig_atomic_t prompt_interrupted;

static void on_prompt_signal(int sig)
{
	(void)sig;
	prompt_interrupted = 1;
}

/* No-echo prompt on the controlling terminal (never on stdin/stdout).
 * Ctrl-C or SIGTERM while it waits gives up with the echo restored. */
static fwt_err tty_prompt(void *payload, const char *prompt, char *buf, size_t buflen)
{
	struct termios old, noecho;
	struct sigaction sa, old_int, old_term;
	size_t n = 0;
	ssize_t r;
	char c;
	int fd;

	(void)payload;
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return FWT_ETOKEN;
	if (tcgetattr(fd, &old) != 0) {
		close(fd);
		return FWT_ETOKEN;
	}
	noecho = old;
	noecho.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
	noecho.c_lflag |= ICANON;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_prompt_signal; /* no SA_RESTART: read() returns */
	sigemptyset(&sa.sa_mask);
	prompt_interrupted = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (write(fd, prompt, strlen(prompt)) < 0 || tcsetattr(fd, TCSAFLUSH, &noecho) != 0) {
		r = -1;
		goto out;
	}
	while ((r = read(fd, &c, 1)) == 1 || (r < 0 && errno == EINTR && !prompt_interrupted)) {
		if (r < 0)
			continue;
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < buflen)
			buf[n++] = c;
	}
	c = 0;
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* the PIN was read; a lost newline does not matter */
	}
out:
	buf[n] = '\0';
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	close(fd);
	if (prompt_interrupted) {
		explicit_bzero(buf, buflen);
		return FWT_ETOKEN;
	}
	return r < 0 ? FWT_ETOKEN : FWT_OK;
}

int cli_token_check(struct cli *cli, struct cli_token *t)
{
	const char *p = t->timeout;
	unsigned long long ms = 0;
	unsigned scale = 1000;
	int digits = 0, finer = 0;

	if (!p)
		return -1;
	for (; *p >= '0' && *p <= '9' && ms <= 86400000ULL; p++, digits++)
		ms = ms * 10 + (unsigned)(*p - '0') * 1000;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			if (scale /= 10)
				ms += (unsigned)(*p - '0') * scale;
			else
				finer |= *p != '0'; /* past the millisecond: 86400.0001 is over */
		}
	}
	if (*p || !digits || !ms || ms > 86400000ULL || (ms == 86400000ULL && finer))
		return cli_usage_error(cli, "--timeout '%s' is not a number of seconds from 0.001 to 86400", t->timeout);
	t->timeout_ms = (unsigned)ms;
	return -1;
}

void cli_key_options(struct cli *cli, fwt_key_options *o, const char *pin_file, struct cli_pin *pin,
                     const struct cli_token *t)
{
	char *env = getenv("FWTRAIL_PIN");

	(void)cli;
	memset(pin, 0, sizeof(*pin));
	o->pin_file = pin_file;
	if (t) {
		o->timeout_ms = t->timeout_ms;
		o->force_final_try = t->force_final_try;
	}
	if (env) {
		/* take it, then wipe it from our environment (it stays readable
		 * in /proc/PID/environ only to our own user until then); an
		 * overlong PIN is cut here and refused by the library */
		size_t n = strlen(env);
		memcpy(pin->buf, env, n < sizeof(pin->buf) ? n + 1 : sizeof(pin->buf) - 1);
		pin->buf[sizeof(pin->buf) - 1] = '\0';
		o->pin = pin->buf;
		explicit_bzero(env, n);
		unsetenv("FWTRAIL_PIN");
	}
	if (isatty(STDIN_FILENO))
		o->pin_prompt = tty_prompt;
}

void cli_key_wipe(struct cli_pin *pin)
{
	explicit_bzero(pin->buf, sizeof(pin->buf));
}

/* ---- shared with sign: module output guard ---- */

/*
 * PKCS#11 modules print to our stdout and stderr as they please (Debian's
 * tpm2_pkcs11 logs a screenful when there is no TPM).  While modules load,
 * initialise and finalise, fds 1 and 2 go to a memory file; afterwards our
 * own lines ("fwtrail ...") are passed on and the rest is shown with -vv.
 */
void cli_quiet_begin(struct cli_quiet *q, struct cli *cli)
{
	memset(q, 0, sizeof(*q));
	q->cli = cli;
	q->fd = -1;
	fflush(stdout);
	fflush(stderr);
	q->fd = memfd_create("fwtrail-module-output", MFD_CLOEXEC);
	if (q->fd < 0)
		return;
	q->out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	q->err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (q->out < 0 || q->err < 0 || dup2(q->fd, STDOUT_FILENO) < 0 || dup2(q->fd, STDERR_FILENO) < 0) {
		if (q->out >= 0) {
			dup2(q->out, STDOUT_FILENO);
			close(q->out);
		}
		if (q->err >= 0) {
			dup2(q->err, STDERR_FILENO);
			close(q->err);
		}
		close(q->fd);
		q->fd = -1;
	}
}

void cli_quiet_end(struct cli_quiet *q)
{
	char *buf, *line, *nl;
	size_t cap = 1u << 20, len = 0;
	ssize_t n;

	if (q->fd < 0)
		return;
	fflush(stdout);
	fflush(stderr);
	dup2(q->out, STDOUT_FILENO);
	dup2(q->err, STDERR_FILENO);
	close(q->out);
	close(q->err);
	buf = malloc(cap + 1);
	if (buf && lseek(q->fd, 0, SEEK_SET) == 0) {
		while (len < cap && ((n = read(q->fd, buf + len, cap - len)) > 0 || (n < 0 && errno == EINTR)))
			if (n > 0)
				len += (size_t)n;
		buf[len] = '\0';
		for (line = buf; line < buf + len; line = nl + 1) {
			nl = memchr(line, '\n', (size_t)(buf + len - line));
			if (!nl)
				nl = buf + len;
			*nl = '\0';
			if (!strncmp(line, cli_progname, strlen(cli_progname)) && line[strlen(cli_progname)] == ' ')
				fprintf(stderr, "%s\n", line); /* our own message, written while fd 2 was captured */
			else if (*line)
				cli_info(q->cli, 2, "module output: %s", line);
		}
	}
	free(buf);
	close(q->fd);
	q->fd = -1;
}

fwt_err cli_key_open(struct cli *cli, fwt_key **out, const char *spec, const fwt_key_options *o)
{
	struct cli_quiet q;
	fwt_err err;

	cli_quiet_begin(&q, cli);
	err = fwt_key_open(cli->ctx, out, spec, o);
	cli_quiet_end(&q);
	return err;
}

void cli_key_close(struct cli *cli, fwt_key *k)
{
	struct cli_quiet q;

	if (!k)
		return;
	cli_quiet_begin(&q, cli);
	fwt_key_free(k);
	cli_quiet_end(&q);
}

/* ---- key list ---- */

static const char *const list_usage[] = { "fwtrail key list [--module name] [--token uri] [--pin-file file] [--timeout seconds] [--force-final-try] [--json]",
	                                  NULL };

static json_t *token_json(const fwt_p11_token *t)
{
	const char *names[32];
	size_t n = fwt_p11_token_flag_names(t->flags, names, 32), i;
	json_t *o = json_object(), *fl = json_array();

	for (i = 0; i < n; i++)
		json_array_append_new(fl, json_string(names[i]));
	/* what a token or module says of itself need not be UTF-8: such a
	 * name is kept, as text with U+FFFD and as *_hex */
	json_object_set_new(o, "uri", json_string(t->uri));
	cli_json_set_name(o, "module", t->module);
	cli_json_set_name(o, "label", t->label);
	cli_json_set_name(o, "manufacturer", t->manufacturer);
	cli_json_set_name(o, "model", t->model);
	cli_json_set_name(o, "serial", t->serial);
	json_object_set_new(o, "flags", fl);
	json_object_set_new(o, "logged_in", json_boolean(t->logged_in));
	json_object_set_new(o, "keys", json_array());
	return o;
}

static json_t *object_json(const fwt_p11_object *k)
{
	json_t *o = json_object();

	json_object_set_new(o, "uri", json_string(k->uri));
	cli_json_set_name(o, "label", k->label);
	json_object_set_new(o, "id", json_string(k->id_hex));
	json_object_set_new(o, "class", json_string(k->is_private ? "private" : "public"));
	json_object_set_new(o, "type", json_string(k->type));
	json_object_set_new(o, "bits", json_integer(k->bits));
	json_object_set_new(o, "can_sign", json_boolean(k->can_sign));
	if (k->is_private) {
		json_object_set_new(o, "always_authenticate", json_boolean(k->always_authenticate));
		json_object_set_new(o, "sensitive", json_boolean(k->sensitive));
		json_object_set_new(o, "extractable", json_boolean(k->extractable));
	}
	return o;
}

static void print_listing(const fwt_p11_listing *l)
{
	size_t i, j, n, f;
	const char *names[32];

	for (i = 0; i < fwt_p11_listing_ntokens(l); i++) {
		const fwt_p11_token *t = fwt_p11_listing_token(l, i);
		/* a PIN given (in the options or the URI) but not used, as several
		 * tokens want one: the way to a login is then to name the token */
		const char *how = t->pin_unused ? "name this token with --token to log in to it"
		                                : "give --pin-file or FWTRAIL_PIN";
		size_t shown = 0;
		printf("%stoken '", i ? "\n" : "");
		cli_puts_safe(stdout, t->label);
		printf("' (");
		cli_puts_safe(stdout, t->manufacturer);
		printf(", ");
		cli_puts_safe(stdout, t->model);
		printf(", serial ");
		cli_puts_safe(stdout, t->serial);
		printf(") in module ");
		cli_puts_safe(stdout, t->module);
		printf("\n  ");
		cli_puts_safe(stdout, t->uri);
		n = fwt_p11_token_flag_names(t->flags, names, 32);
		printf("\n  flags:");
		for (f = 0; f < n; f++)
			printf(" %s", names[f]);
		printf("\n");
		for (j = 0; j < fwt_p11_listing_nobjects(l); j++) {
			const fwt_p11_object *k = fwt_p11_listing_object(l, j);
			if (k->token != i)
				continue;
			shown++;
			printf("  %-7s %-9s %-8s ", k->is_private ? "private" : "public", k->type,
			       k->is_private ? (k->can_sign ? "sign" : "no-sign") : "verify");
			cli_puts_safe(stdout, k->uri);
			printf("\n");
		}
		if (!shown && (t->logged_in || !t->login_required))
			printf("  (no keys)\n");
		else if (!shown)
			printf("  (no keys visible without a login: %s)\n", how);
		else if (!t->logged_in && t->login_required)
			printf("  (private keys show after a login: %s)\n", how);
	}
}

static int key_list(int argc, char **argv, struct cli *cli)
{
	struct {
		const char *module, *token, *pin_file;
	} opts = { NULL, NULL, NULL };
	struct cli_token tok = { NULL, 0, 0 };
	const struct cli_opt table[] = {
		{ 'm', "module", CLI_STR, &opts.module, "name", "only this p11-kit module (a name, or a path)" },
		{ 't', "token", CLI_STR, &opts.token, "uri", "only tokens matching this pkcs11: URI" },
		{ 0, "pin-file", CLI_STR, &opts.pin_file, "file", "log in with the PIN in this file (mode 0600)" },
		CLI_TOKEN_OPTS(tok),
		CLI_OPT_END
	};
	fwt_p11_list_options lo = FWT_P11_LIST_OPTIONS_INIT;
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	fwt_p11_listing *l = NULL;
	struct cli_quiet q;
	struct cli_pin pin;
	json_t *obj, *toks;
	size_t i;
	fwt_err err;
	int rc;

	cli->usage = list_usage;
	cli->summary = "List the PKCS#11 tokens of the modules registered with p11-kit and the keys on\n"
	               "each, with the full pkcs11: URI that names every key.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	rc = cli_token_check(cli, &tok);
	if (rc >= 0)
		return rc;
	if (argc)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_refuse_stdin(cli, "--pin-file", opts.pin_file, CLI_WHY_PIN)) >= 0)
		return rc;
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	cli_key_options(cli, &ko, opts.pin_file, &pin, &tok);
	ko.pin_prompt = NULL; /* listing never asks */
	lo.module = opts.module;
	lo.token_uri = opts.token;
	lo.pin = &ko;
	lo.timeout_ms = tok.timeout_ms;
	cli_quiet_begin(&q, cli);
	err = fwt_p11_list(cli->ctx, &l, &lo);
	cli_quiet_end(&q);
	cli_key_wipe(&pin);
	/* a token asked for by name that is not there is a failure, as when a
	 * key is chosen by its URI; a machine without tokens is a listing */
	if (!err && opts.token && !fwt_p11_listing_ntokens(l)) {
		fwt_p11_listing_free(l);
		cli_error(cli, "no initialised PKCS#11 token matches '%s'", opts.token);
		cli->last_err = FWT_ENOTFOUND;
		return cli_exit_code(FWT_ENOTFOUND);
	}
	if (cli->json) {
		obj = cli_json_new(cli);
		toks = json_array();
		for (i = 0; !err && i < fwt_p11_listing_ntokens(l); i++)
			json_array_append_new(toks, token_json(fwt_p11_listing_token(l, i)));
		for (i = 0; !err && i < fwt_p11_listing_nobjects(l); i++) {
			const fwt_p11_object *k = fwt_p11_listing_object(l, i);
			json_array_append_new(json_object_get(json_array_get(toks, k->token), "keys"), object_json(k));
		}
		json_object_set_new(obj, "tokens", toks);
		cli_json_emit(cli, obj, err);
	} else if (!err) {
		if (!fwt_p11_listing_ntokens(l))
			cli_warn(cli, "no initialised PKCS#11 token found");
		print_listing(l);
	}
	fwt_p11_listing_free(l);
	return cli_exit(cli, err);
}

/* ---- key generate ---- */

static const char *const generate_usage[] = {
	"fwtrail key generate --type ec-p384 | ec-p521 | rsa-3072 | rsa-4096 --label label [--id hex] "
	"--token uri [--pin-file file] [--timeout seconds] [--force-final-try] [--json]",
	NULL
};

static void print_pub_facts(const fwt_pubkey *pub, json_t *obj)
{
	unsigned char fp[32];
	char tp[44], hex[65];

	if (fwt_pubkey_fingerprint(pub, fp) != FWT_OK || fwt_pubkey_jwk_thumbprint(pub, tp) != FWT_OK)
		return;
	fwt_hex_encode(hex, fp, 32);
	if (obj) {
		json_object_set_new(obj, "sha256_fingerprint", json_string(hex));
		json_object_set_new(obj, "jwk_thumbprint", json_string(tp));
	} else {
		printf("sha256-fingerprint: %s\njwk-thumbprint: %s\n", hex, tp);
	}
}

static int key_generate(int argc, char **argv, struct cli *cli)
{
	struct {
		const char *type, *label, *id, *token, *pin_file;
	} opts = { NULL, NULL, NULL, NULL, NULL };
	struct cli_token tok = { NULL, 0, 0 };
	const struct cli_opt table[] = {
		{ 0, "type", CLI_STR, &opts.type, "ec-p384|ec-p521|rsa-3072|rsa-4096", "the key type" },
		{ 0, "label", CLI_STR, &opts.label, "label", "the key's label (CKA_LABEL, object= in URIs)" },
		{ 0, "id", CLI_STR, &opts.id, "hex", "the key's id (CKA_ID; default: 8 random bytes)" },
		{ 0, "token", CLI_STR, &opts.token, "uri", "the token, as a pkcs11: URI" },
		{ 0, "pin-file", CLI_STR, &opts.pin_file, "file", "the PIN is in this file (mode 0600)" },
		CLI_TOKEN_OPTS(tok),
		CLI_OPT_END
	};
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	fwt_p11_keygen type;
	unsigned char id[64];
	size_t idlen = 0;
	struct cli_quiet q;
	struct cli_pin pin;
	fwt_pubkey *pub = NULL;
	char *uri = NULL, *pem = NULL;
	json_t *obj;
	fwt_err err;
	int rc;

	cli->usage = generate_usage;
	cli->summary = "Generate a key pair on a PKCS#11 token: the private key is sensitive, cannot\n"
	               "leave the token, and may only sign.  Prints the new key's pkcs11: URI.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	rc = cli_token_check(cli, &tok);
	if (rc >= 0)
		return rc;
	if (argc)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	if (!opts.type || fwt_p11_keygen_from_name(opts.type, &type) != FWT_OK)
		return cli_usage_error(cli, "--type must be ec-p384, ec-p521, rsa-3072 or rsa-4096");
	if (!opts.label)
		return cli_usage_error(cli, "--label is required");
	if (!*opts.label)
		return cli_usage_error(cli, "--label is empty (the key is found by its label: object= in its URI)");
	if (!opts.token)
		return cli_usage_error(cli, "--token is required (see 'fwtrail key list')");
	if ((rc = cli_refuse_stdin(cli, "--pin-file", opts.pin_file, CLI_WHY_PIN)) >= 0)
		return rc;
	if (opts.id && (fwt_hex_decode(id, sizeof(id), opts.id, strlen(opts.id), &idlen) != FWT_OK || !idlen))
		return cli_usage_error(cli, "--id '%s' is not 1 to 64 bytes of hex", opts.id);
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	cli_key_options(cli, &ko, opts.pin_file, &pin, &tok);
	cli_quiet_begin(&q, cli);
	err = fwt_p11_generate(cli->ctx, opts.token, type, opts.label, id, idlen, &ko, &uri, &pub);
	cli_quiet_end(&q);
	cli_key_wipe(&pin);
	if (!err)
		err = fwt_pubkey_pem(pub, &pem, NULL);
	if (cli->json) {
		obj = cli_json_new(cli);
		if (!err) {
			json_object_set_new(obj, "uri", json_string(uri));
			json_object_set_new(obj, "type", json_string(fwt_pubkey_describe(pub)));
			json_object_set_new(obj, "public_key", json_string(pem));
			print_pub_facts(pub, obj);
		}
		cli_json_emit(cli, obj, err);
	} else if (!err) {
		printf("%s\n", uri);
		if (cli->verbose)
			print_pub_facts(pub, NULL);
	}
	free(pem);
	free(uri);
	fwt_pubkey_free(pub);
	return cli_exit(cli, err);
}

/* ---- key export ---- */

/*
 * A token's public key is not proof of itself: an object of its own (its
 * name is then not the key's URI) shares no more than an id or a label
 * with the private key, and the private key's own CKA_PUBLIC_KEY_INFO is
 * an attribute anyone with the user PIN may set.  Before it is shown as
 * the key's, a signature made with the private key must verify with it:
 * fwt_key_sign_digest checks every signature it makes.  The signature,
 * over a digest of a fixed text, is thrown away.  On a failure, why gets
 * the message.
 */
static fwt_err check_pair(struct cli *cli, fwt_key *k, char *why, size_t whylen)
{
	static const char text[] = "fwtrail key export: does the public key pair with the private key?";
	const char *pub = fwt_pubkey_name(fwt_key_pubkey(k)), *priv = fwt_key_name(k);
	fwt_digest_alg md = fwt_sig_alg_digest(fwt_key_alg(k));
	unsigned char d[FWT_DIGEST_MAX], sig[FWT_SIG_MAX];
	size_t n;
	fwt_err err;

	if (!fwt_key_is_pkcs11(k))
		return FWT_OK;
	if (!md || !fwt_key_can_sign(k)) {
		if (!strcmp(pub, priv))
			cli_warn(cli, "cannot prove that the public key read from '%s' belongs to it: the key makes no "
			         "signature to test it with", priv);
		else
			cli_warn(cli, "cannot prove that '%s' belongs to the private key: '%s' makes no signature to test "
			         "it with", pub, priv);
		return FWT_OK;
	}
	err = fwt_digest_oneshot(cli->ctx, md, text, sizeof(text) - 1, d);
	if (!err)
		err = fwt_key_sign_digest(k, d, fwt_digest_size(md), sig, &n);
	/* the library's message names both objects when they do not pair */
	if (err)
		snprintf(why, whylen, "%s%s%s%s", err == FWT_ETOKEN ? "" : "cannot prove that '",
		         err == FWT_ETOKEN ? "" : pub, err == FWT_ETOKEN ? "" : "' belongs to the private key: ",
		         fwt_ctx_errmsg(cli->ctx));
	return err;
}

static const char *const export_usage[] = { "fwtrail key export [-o file] [--force] [--pin-file file] [--timeout seconds] [--force-final-try] [--json] key",
	                                    NULL };

static int key_export(int argc, char **argv, struct cli *cli)
{
	struct {
		const char *out, *pin_file;
		int force;
	} opts = { NULL, NULL, 0 };
	struct cli_token tok = { NULL, 0, 0 };
	const struct cli_opt table[] = {
		{ 'o', "output", CLI_STR, &opts.out, "file", "write the PEM public key here (atomically)" },
		{ 0, "force", CLI_FLAG, &opts.force, NULL, "replace an existing output file" },
		{ 0, "pin-file", CLI_STR, &opts.pin_file, "file", "the token's PIN is in this file (mode 0600)" },
		CLI_TOKEN_OPTS(tok),
		CLI_OPT_END
	};
	fwt_key_options ko = FWT_KEY_OPTIONS_INIT;
	struct cli_quiet q;
	struct cli_pin pin;
	struct cli_out o;
	fwt_key *k = NULL;
	char *pem = NULL, why[2048] = "";
	size_t pemlen = 0;
	json_t *obj;
	fwt_err err;
	int rc, to_file;

	cli->usage = export_usage;
	cli->summary = "Export the public key of a signing key (a pkcs11: URI or a PEM private key),\n"
	               "or of a PEM public key, certificate or JWK public key, as PEM\n"
	               "SubjectPublicKeyInfo, with its SHA-256 fingerprint and RFC 7638 JWK thumbprint\n"
	               "(a good kid).";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	rc = cli_token_check(cli, &tok);
	if (rc >= 0)
		return rc;
	if (argc != 1)
		return cli_usage_error(cli, argc ? "give one key" : "no key given");
	if ((rc = cli_refuse_stdin(cli, NULL, argv[0], CLI_WHY_KEY)) >= 0 ||
	    (rc = cli_refuse_stdin(cli, "--pin-file", opts.pin_file, CLI_WHY_PIN)) >= 0)
		return rc;
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	to_file = opts.out && strcmp(opts.out, "-");
	if (cli->json && opts.out && !to_file)
		return cli_usage_error(cli, "--json prints to standard output; give -o a file");
	cli_key_options(cli, &ko, opts.pin_file, &pin, &tok);
	ko.sessions = 1;
	/* a public key or certificate file too: its fingerprint and kid are
	 * what a policy author has to write down */
	cli_quiet_begin(&q, cli);
	err = fwt_key_open_public(cli->ctx, &k, argv[0], &ko);
	cli_quiet_end(&q);
	if (!err && fwt_key_alg(k) == FWT_SIG_NONE) {
		/* as a token's key of such a type is refused when opened */
		snprintf(why, sizeof(why), "key '%s' is %s: fwtrail's keys are ES384 (P-384), ES512 (P-521), "
		         "PS384 (RSA-3072) or PS512 (RSA-4096)", fwt_key_name(k),
		         fwt_pubkey_describe(fwt_key_pubkey(k)));
		err = FWT_EUNSUPPORTED;
	}
	if (!err)
		err = check_pair(cli, k, why, sizeof(why));
	cli_key_wipe(&pin);
	if (!err)
		err = fwt_pubkey_pem(fwt_key_pubkey(k), &pem, &pemlen);
	if (!err && (to_file || !cli->json)) {
		if (!to_file && !cli->json && !cli->quiet)
			print_pub_facts(fwt_key_pubkey(k), NULL); /* explanatory text before the PEM */
		err = cli_out_open(&o, cli, to_file ? opts.out : NULL, opts.force);
		if (!err)
			err = cli_out_write(&o, pem, pemlen);
		if (!err)
			err = cli_out_commit(&o);
		else
			cli_out_abort(&o);
		if (err == FWT_EIO && !to_file)
			err = FWT_OK; /* a failed stdout is reported at exit */
		if (!err && to_file && !cli->json && !cli->quiet) {
			printf("wrote '%s'\n", opts.out);
			print_pub_facts(fwt_key_pubkey(k), NULL);
		}
	}
	if (cli->json) {
		obj = cli_json_new(cli);
		if (!err) {
			cli_json_set_name(obj, "key", fwt_key_name(k));
			json_object_set_new(obj, "type", json_string(fwt_pubkey_describe(fwt_key_pubkey(k))));
			json_object_set_new(obj, "public_key", json_string(pem));
			if (to_file)
				cli_json_set_name(obj, "output", opts.out);
			print_pub_facts(fwt_key_pubkey(k), obj);
			/* the name every command gives a key's fingerprint;
			 * sha256_fingerprint is kept for existing readers */
			json_object_set(obj, "key_fingerprint", json_object_get(obj, "sha256_fingerprint"));
		} else if (why[0] && obj) {
			json_t *e = json_object();
			json_object_set_new(e, "code", json_string(fwt_err_name(err)));
			json_object_set_new(e, "message", cli_json_text(why));
			json_object_set_new(obj, "error", e);
		}
		cli_json_emit(cli, obj, err);
	}
	free(pem);
	cli_key_close(cli, k);
	if (why[0]) {
		cli_error(cli, "%s", why);
		return cli_exit_code(err);
	}
	return cli_exit(cli, err);
}

int cmd_key(int argc, char **argv, struct cli *cli)
{
	static const struct cli_verb verbs[] = {
		{ "export", key_export, "a key's or certificate's public key as PEM, with fingerprint and JWK thumbprint" },
		{ "generate", key_generate, "generate a key pair on a PKCS#11 token" },
		{ "list", key_list, "PKCS#11 tokens and the keys on them, with their pkcs11: URIs" },
		{ NULL, NULL, NULL }
	};

	cli->summary = "PKCS#11 tokens and keys, named by RFC 7512 pkcs11: URIs.";
	return cli_dispatch(cli, verbs, argc, argv);
}
