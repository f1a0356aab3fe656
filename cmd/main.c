/* SPDX-License-Identifier: Apache-2.0 */
/* main.c - global options, the command table, and the checked exit. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

/* Every command, alphabetically. */
static const struct cli_verb commands[] = {
	{ "attest", cmd_attest, "check attestation evidence against RIMs and SFRs, component by component" },
	{ "audit", cmd_audit, "policy verdicts over appraisal records; the hash-chained audit log" },
	{ "digest", cmd_digest, "SHA-256/384/512 of files, folders and archives; the OCP SAFE manifest" },
	{ "eventlog", cmd_eventlog, "TCG PC Client event logs: show the events, replay and compare the PCRs" },
	{ "key", cmd_key, "PKCS#11 tokens and keys by pkcs11: URI; public key export" },
	{ "rim", cmd_rim, "create, sign, verify and show RIMs (CoRIM)" },
	{ "sfr", cmd_sfr, "OCP SAFE Short Form Reports: create, lint, sign, verify, show" },
	{ "sign", cmd_sign, "detached signatures over firmware files (raw, CMS or COSE); many files, one login" },
	{ "spdm", cmd_spdm, "SPDM measurement evidence: show the blocks, verify the signed transcript" },
	{ "verify", cmd_verify, "verify detached signatures with a public key or certificate" },
	{ NULL, NULL, NULL }
};

static const char *const main_usage[] = {
	"fwtrail [-v | -q] [--json] command [args]",
	"fwtrail help command",
	"fwtrail --version",
	NULL
};

static void print_main_help(FILE *f)
{
	const struct cli_verb *c;
	size_t i;

	for (i = 0; main_usage[i]; i++)
		fprintf(f, "%s %s\n", i ? "   or:" : "usage:", main_usage[i]);
	fprintf(f, "\nKeep the supply-chain paper trail of firmware: sign it, publish and verify\n"
	           "OCP SAFE reports and RIMs, check attestation evidence, audit the result.\n\n"
	           "commands:\n");
	for (c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nglobal options:\n"
	           "  -v, --verbose            say more (twice: debug)\n"
	           "  -q, --quiet              print only errors\n"
	           "      --json               print one JSON object on stdout\n"
	           "  -h, --help               show this help and exit\n"
	           "      --version            print the version and exit\n"
	           "\nRun 'fwtrail <command> --help' for a command's options; see fwtrail(1).\n");
}

static const struct cli_verb *find_command(const char *name)
{
	const struct cli_verb *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Set when fd 1 was closed when fwtrail started: its write errors say so
 * rather than blame the disk. */
static int stdout_was_closed;

/* Make sure fds 0-2 are open, so that a file we open never becomes stdout.
 * A closed stdout becomes /dev/full: writing results there must fail.  A
 * closed stdin becomes /dev/null opened for writing only: reading '-' then
 * fails (EBADF, as from the closed descriptor, exit 3) rather than reading
 * as empty input. */
static void sanitise_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			if (fd == 1)
				stdout_was_closed = 1;
			int n = open(fd == 1 ? "/dev/full" : "/dev/null", O_WRONLY);
			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
	}
}

static void stdout_error(void)
{
	fprintf(stderr, "%s%s%s: write error on standard output: %s\n", cli_progname, *cli_running ? " " : "",
	        cli_running, stdout_was_closed ? "it was closed when fwtrail started" : strerror(errno));
}

/* git's run_builtin: a command's output is only good if it reached stdout. */
static int finish_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			stdout_error();
		return rc ? rc : EXIT_IO;
	}
	if (fclose(stdout) != 0) {
		if (errno != EPIPE)
			stdout_error();
		return rc ? rc : EXIT_IO;
	}
	return rc;
}

/*
 * Standard output on a regular file may be one of the command's inputs
 * ("fwtrail key export k.pem 1<> k.pem", "sfr sign --json r.json >> r.json"),
 * and which files are inputs is known only once they are read.  So while a
 * command runs, what it prints goes to an anonymous file; the file is
 * copied to standard output at the end, or, when standard output turns out
 * to be an input, dropped with the refusal: an input is never written, not
 * even a byte of a failure's JSON.  Pipes and terminals are not held back.
 */
static int stdout_real = -1, stdout_held = -1;

static void hold_stdout(void)
{
	struct stat st;
	int real, held;

	if (fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	real = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	held = memfd_create("fwtrail-stdout", MFD_CLOEXEC);
	if (real < 0 || held < 0 || dup2(held, STDOUT_FILENO) < 0) {
		if (real >= 0)
			close(real);
		if (held >= 0)
			close(held);
		return; /* unheld: the commands' own checks still refuse artefacts */
	}
	stdout_real = real;
	stdout_held = held;
	cli_stdout_fd = real;
}

static int release_stdout(int rc, struct cli *cli)
{
	char buf[65536];
	ssize_t n, w, off;
	int bad = 0;

	if (stdout_real < 0)
		return rc;
	fflush(stdout);
	if (cli_stdout_input) {
		/* the command may have refused already, saying so */
		if (rc != EXIT_USAGE)
			fprintf(stderr, "%s %s: refusing to write standard output: it is one of the inputs\n", cli_progname,
			        cli_running);
		rc = EXIT_USAGE;
	} else if (lseek(stdout_held, 0, SEEK_SET) == 0) {
		while (!bad && (n = read(stdout_held, buf, sizeof(buf))) != 0) {
			if (n < 0) {
				bad = errno != EINTR;
				continue;
			}
			for (off = 0; off < n && !bad; off += w > 0 ? w : 0)
				if ((w = write(stdout_real, buf + off, (size_t)(n - off))) < 0)
					bad = errno != EINTR;
		}
		if (bad) {
			stdout_error();
			rc = rc ? rc : EXIT_IO;
			if (cli && cli->kept_note[0]) /* so that the command is not run again for it */
				cli_warn(cli, "%s", cli->kept_note);
		}
	}
	dup2(stdout_real, STDOUT_FILENO);
	close(stdout_real);
	close(stdout_held);
	stdout_real = stdout_held = -1;
	cli_stdout_fd = STDOUT_FILENO;
	return rc;
}

static int run_command(const struct cli_verb *c, int argc, char **argv)
{
	struct cli cli;
	int rc;

	memset(&cli, 0, sizeof(cli));
	cli.name = c->name;
	snprintf(cli_running, sizeof(cli_running), "%s", c->name);
	cli.summary = c->summary;
	hold_stdout();
	rc = c->fn(argc, argv, &cli);
	cli_json_failed(&cli, rc);
	cli_done(&cli);
	return release_stdout(rc, &cli);
}

/* The global options before the command: -v, -q and -h may be bundled
 * ("-qv", "-vv").  Returns the index of the command, or -1 - the exit
 * status when done (help, version) or refused. */
static int global_options(struct cli *top, int argc, char **argv)
{
	static const char *const flags[] = { "verbose", "quiet", "json", "help", "version", "list-commands" };
	const struct cli_verb *c;
	const char *p;
	size_t k, len;
	int i;

	/* a refusal (of an option, of the command) is still JSON when --json
	 * follows, even after the command */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			top->json = 1;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (a[1] && a[1] != '-') {
			for (p = a + 1; *p; p++) {
				if (*p == 'v') {
					cli_global_verbose++;
				} else if (*p == 'q') {
					cli_global_quiet = 1;
				} else if (*p == 'h') {
					print_main_help(stdout);
					return -1 - finish_stdout(EXIT_OK);
				} else {
					return -1 - cli_usage_error(top, "unknown option '-%c'", *p);
				}
			}
		} else if (!strcmp(a, "--verbose")) {
			cli_global_verbose++;
		} else if (!strcmp(a, "--quiet")) {
			cli_global_quiet = 1;
		} else if (!strcmp(a, "--json")) {
			cli_global_json = 1;
		} else if (!strcmp(a, "--help")) {
			print_main_help(stdout);
			return -1 - finish_stdout(EXIT_OK);
		} else if (!strcmp(a, "--version")) {
			printf("fwtrail %s\n", fwt_version());
			return -1 - finish_stdout(EXIT_OK);
		} else if (!strcmp(a, "--list-commands")) {
			for (c = commands; c->name; c++)
				printf("%s\n", c->name);
			return -1 - finish_stdout(EXIT_OK);
		} else {
			len = a[1] == '-' ? strcspn(a + 2, "=") : 0;
			for (k = 0; a[1] == '-' && a[2 + len] == '=' && k < ARRAY_LEN(flags); k++)
				if (strlen(flags[k]) == len && !strncmp(flags[k], a + 2, len))
					return -1 - cli_usage_error(top, "option '--%s' takes no value", flags[k]);
			if (a[1] == '-' && a[2])
				return -1 - cli_usage_error(top, "unknown option '--%.*s'", (int)len, a + 2);
			return -1 - cli_usage_error(top, "unknown option '%s'", a);
		}
	}
	return i;
}

/* Whether the command may load a PKCS#11 module: `key`, or a command line
 * with a pkcs11: URI anywhere (an argument, or an option's value). */
static int may_open_token(int argc, char **argv)
{
	int i;

	if (argc > 0 && !strcmp(argv[0], "key"))
		return 1;
	for (i = 0; i < argc; i++) { /* the scheme in any case (RFC 3986 3.1) */
		const char *p;
		for (p = argv[i]; (p = strchr(p, ':')) != NULL; p++)
			if (p - argv[i] >= 6 && !strncasecmp(p - 6, "pkcs11", 6))
				return 1;
	}
	return 0;
}

static int run_main(int argc, char **argv)
{
	const struct cli_verb *c;
	struct cli top;
	int i;

	sanitise_fds();
	signal(SIGPIPE, SIG_IGN);
	/* a write past the file size limit (ulimit -f, systemd's LimitFSIZE=)
	 * fails with EFBIG, which every writer handles (an audit log append is
	 * cut back, a batch's temporary files removed), rather than killing
	 * the process half-way through a record */
	signal(SIGXFSZ, SIG_IGN);
	/* options may follow operands whatever the environment says: under
	 * POSIXLY_CORRECT, getopt would take "--revoked list" after the files
	 * for two more files, and verify the pairs before it without the list */
	unsetenv("POSIXLY_CORRECT");
	/* File names inside archives are bytes, but a zip entry flagged UTF-8
	 * (and a pax path) is converted by libarchive to the locale's charset,
	 * which in the "C" locale cannot hold a non-ASCII name. Character
	 * types are UTF-8 whatever the environment says (C.UTF-8 is built
	 * into glibc); numbers, messages and collation stay "C". */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	memset(&top, 0, sizeof(top));
	top.name = "";

	i = global_options(&top, argc, argv);
	if (i < 0)
		return -1 - i;
	/* libfwtrail does its crypto in a context of its own: OpenSSL's
	 * default one need not read openssl.cnf, unless a PKCS#11 module,
	 * which does its own crypto there, may be loaded */
	if (!may_open_token(argc - i, argv + i))
		(void)fwt_standalone_init();
	if (i >= argc) {
		print_main_help(stderr);
		if (top.json)
			return cli_usage_error(&top, "no command given");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		char *help_argv[3] = { NULL, "--help", NULL };
		/* "help", "help help" and "help --help": the main help */
		if (i + 1 >= argc || (i + 2 == argc && (!strcmp(argv[i + 1], "help") || !strcmp(argv[i + 1], "--help") ||
		                                        !strcmp(argv[i + 1], "-h")))) {
			print_main_help(stdout);
			return finish_stdout(EXIT_OK);
		}
		c = find_command(argv[i + 1]);
		if (!c)
			return cli_usage_error(&top, "unknown command '%s'", argv[i + 1]);
		help_argv[0] = argv[i + 1];
		/* "fwtrail help sfr verify" and "fwtrail help audit log verify"
		 * show the verb's help: every word, then --help */
		if (i + 2 < argc) {
			char *verb_argv[8];
			int k, n = argc - (i + 1);
			if (n > 6)
				return cli_usage_error(&top, "help: too many words");
			for (k = 0; k < n; k++) {
				/* words only: an option (or "--", after which --help
				 * would be an operand) would run the command */
				if (argv[i + 1 + k][0] == '-')
					return cli_usage_error(&top, "help: '%s' is not a command or verb", argv[i + 1 + k]);
				verb_argv[k] = argv[i + 1 + k];
			}
			verb_argv[n] = "--help";
			verb_argv[n + 1] = NULL;
			return finish_stdout(run_command(c, n + 1, verb_argv));
		}
		return finish_stdout(run_command(c, 2, help_argv));
	}
	c = find_command(argv[i]);
	if (!c)
		return cli_usage_error(&top, "unknown command '%s'", argv[i]);
	return finish_stdout(run_command(c, argc - i, argv + i));
}

int main(int argc, char **argv)
{
	int rc = run_main(argc, argv);

	/* a token given up on (--timeout) keeps a thread inside its module:
	 * exit()'s handlers would destroy the module's state under it, so the
	 * process ends here, its output already flushed (finish_stdout) */
	if (fwt_work_abandoned()) {
		fflush(stderr);
		_exit(rc);
	}
	return rc;
}
