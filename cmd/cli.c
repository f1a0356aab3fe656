/* SPDX-License-Identifier: Apache-2.0 */
/* cli.c - option tables, messages, --json output, verbs, progress. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

int cli_global_json, cli_global_verbose, cli_global_quiet;
const char *cli_progname = "fwtrail";
char cli_running[128];
int cli_stdout_fd = STDOUT_FILENO;

int cli_exit_code(fwt_err err)
{
	switch (err) {
	case FWT_OK: return EXIT_OK;
	case FWT_EVERIFY: return EXIT_NO;
	case FWT_EINVAL: return EXIT_USAGE;
	case FWT_EIO: return EXIT_IO;
	case FWT_EFORMAT: return EXIT_MALFORMED;
	case FWT_ECRYPTO:
	case FWT_ETOKEN:
	case FWT_ENOTFOUND: return EXIT_CRYPTO;
	case FWT_EUNSUPPORTED: return EXIT_UNSUPPORTED;
	case FWT_ENOMEM:
	case FWT_EINTERNAL: return EXIT_INTERNAL;
	}
	return EXIT_INTERNAL;
}

/* ---- messages ---- */

static void put_msg(FILE *f, const struct cli *cli, const char *kind, const char *text)
{
	fprintf(f, "%s%s%s: %s", cli_progname, cli && cli->name && *cli->name ? " " : "",
	        cli && cli->name ? cli->name : "", kind);
	cli_puts_safe(f, text);
	fputc('\n', f);
}

static void vmsg(struct cli *cli, const char *kind, const char *fmt, va_list ap)
{
	char buf[2048], *line = NULL;
	size_t len = 0;
	FILE *m;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* the line is put together first and written at once: stderr is
	 * unbuffered, and byte by byte it would cost a system call a byte
	 * and mix with the messages of processes writing beside it */
	m = open_memstream(&line, &len);
	if (m)
		put_msg(m, cli, kind, buf);
	if (m && fclose(m) == 0)
		fwrite(line, 1, len, stderr);
	else
		put_msg(stderr, cli, kind, buf);
	free(line);
	if (cli && !*kind)
		snprintf(cli->last_error, sizeof(cli->last_error), "%s", buf);
}

void cli_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cli, "", fmt, ap);
	va_end(ap);
}

void cli_warn(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli && cli->quiet)
		return;
	va_start(ap, fmt);
	vmsg(cli, "warning: ", fmt, ap);
	va_end(ap);
}

void cli_info(struct cli *cli, int level, const char *fmt, ...)
{
	va_list ap;

	if (!cli || cli->quiet || cli->verbose < level)
		return;
	va_start(ap, fmt);
	vmsg(cli, "", fmt, ap);
	va_end(ap);
}

static void help_hint(struct cli *cli)
{
	fprintf(stderr, "Try '%s%s%s --help'.\n", cli_progname, cli && cli->name && *cli->name ? " " : "",
	        cli && cli->name ? cli->name : "");
}

static void usage_json(struct cli *cli, const char *msg)
{
	json_t *obj = cli_json_new(cli), *e = json_object();

	if (!obj || !e) {
		json_decref(obj);
		json_decref(e);
		return;
	}
	json_object_set_new(e, "code", json_string(fwt_err_name(FWT_EINVAL)));
	json_object_set_new(e, "message", cli_json_text(msg));
	json_object_set_new(obj, "error", e);
	cli_json_emit(cli, obj, FWT_EINVAL);
}

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cli_error(cli, "%s", buf);
	help_hint(cli);
	if (cli && cli->json)
		usage_json(cli, buf);
	return EXIT_USAGE;
}

/* A time option's value: an RFC 3339 time or date, after the epoch (a
 * time of 0 means "not given" to the library, so the epoch itself would
 * silently become "now"). -1 with *t set, or the usage error's code. */
int cli_parse_time(struct cli *cli, const char *opt, const char *s, int64_t *t)
{
	fwt_err err = fwt_time_parse_rfc3339_whole(s, strlen(s), t);

	/* times are compared to the second: 00:00:00.5 read as 00:00:00
	 * would be inside a validity period that ended at 00:00:00 */
	if (err == FWT_EUNSUPPORTED)
		return cli_usage_error(cli, "%s: '%s' has a fraction of a second or is a leap second: fwtrail compares "
		                       "times to the second", opt, s);
	if (err)
		return cli_usage_error(cli, "%s: '%s' is not an RFC 3339 time or date", opt, s);
	if (*t <= 0)
		return cli_usage_error(cli, "%s: '%s' is not after 1970-01-01T00:00:00Z", opt, s);
	return -1;
}

void cli_put_safe(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	unsigned cp;

	while (i < n) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x7f) {
			fputc(c, f);
			i++;
			continue;
		}
		len = fwt_utf8_seq(p + i, n - i, &cp);
		/* bidirectional controls reorder what follows them on screen
		 * ("Trojan Source", CVE-2021-42574), and the line and paragraph
		 * separators end a line in some viewers: shown by code point */
		if (len && (cp == 0x61c || cp == 0x200e || cp == 0x200f || cp == 0x2028 || cp == 0x2029 ||
		            (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))) {
			fprintf(f, "\\u%04x", cp);
			i += len;
			continue;
		}
		if (len && !(cp >= 0x80 && cp < 0xa0)) { /* C1 controls move terminals too */
			fwrite(p + i, 1, len, f);
			i += len;
			continue;
		}
		fprintf(f, "\\x%02x", c);
		i++;
	}
}

void cli_put_quoted(FILE *f, const char *s, size_t n)
{
	size_t i, from = 0;

	fputc('\'', f);
	for (i = 0; s && i < n; i++) {
		if (s[i] != '\'' && s[i] != '\\')
			continue;
		cli_put_safe(f, s + from, i - from);
		fputc('\\', f);
		fputc(s[i], f);
		from = i + 1;
	}
	if (s)
		cli_put_safe(f, s + from, n - from);
	fputc('\'', f);
}

void cli_puts_safe(FILE *f, const char *s)
{
	cli_put_safe(f, s, strlen(s));
}

fwt_err cli_read_input(struct cli *cli, const char *path, size_t cap, int follow, unsigned char **buf, size_t *len)
{
	if (strcmp(path, "-"))
		return fwt_read_file_follow(cli->ctx, path, cap, follow, buf, len);
	return fwt_read_fd(cli->ctx, STDIN_FILENO, "-", cap, buf, len);
}

int cli_stdin_once(struct cli *cli, const char *const *in, size_t n)
{
	size_t i, dashes = 0;

	for (i = 0; i < n; i++)
		dashes += !strcmp(in[i], "-");
	return dashes > 1 ? cli_usage_error(cli, "'-' (standard input) is given %zu times: it can be read once", dashes)
	                  : -1;
}

int cli_stdin_once_named(struct cli *cli, const char *const *names, const char *const *values, size_t n)
{
	size_t i, first = n;

	for (i = 0; i < n; i++) {
		if (!values[i] || strcmp(values[i], "-"))
			continue;
		if (first == n) {
			first = i;
		} else if (!strcmp(names[first], names[i])) {
			return cli_usage_error(cli, "%s is '-' twice: standard input can be read once", names[i]);
		} else {
			return cli_usage_error(cli, "%s and %s are both '-': standard input can be read once", names[first],
			                       names[i]);
		}
	}
	return -1;
}

int cli_refuse_stdin(struct cli *cli, const char *opt, const char *value, const char *why)
{
	if (!value || strcmp(value, "-"))
		return -1;
	return cli_usage_error(cli, "%s%s%s, not standard input ('-')", opt ? opt : "", opt ? ": " : "", why);
}

int cli_refuse_stdin_list(struct cli *cli, const char *opt, const struct cli_list *l, const char *why)
{
	size_t i;
	int rc = -1;

	for (i = 0; rc < 0 && i < l->n; i++)
		rc = cli_refuse_stdin(cli, opt, l->v[i], why);
	return rc;
}

int cli_is_folder(const char *path, int follow)
{
	struct stat st;

	if (!follow)
		return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
	return fwt_path_is_dir(path);
}

/* ---- context ---- */

static void log_sink(void *payload, fwt_log_level level, const char *msg)
{
	struct cli *cli = payload;

	if (level <= FWT_LOG_WARN)
		cli_warn(cli, "%s", msg);
	else
		cli_info(cli, level == FWT_LOG_INFO ? 1 : 2, "%s", msg);
}

fwt_ctx *cli_ctx(struct cli *cli)
{
	fwt_ctx_options o = FWT_CTX_OPTIONS_INIT;

	if (cli->ctx)
		return cli->ctx;
	o.log = log_sink;
	o.log_payload = cli;
	o.log_level = cli->verbose >= 2 ? FWT_LOG_DEBUG : cli->verbose ? FWT_LOG_INFO : FWT_LOG_WARN;
	if (fwt_ctx_new(&cli->ctx, &o) != FWT_OK) {
		cli_error(cli, "cannot initialise the crypto library");
		cli->ctx = NULL;
	} else {
		/* -o naming a link to the file stdout goes to is refused */
		fwt_ctx_set_stdout_fd(cli->ctx, cli_stdout_fd);
	}
	return cli->ctx;
}

int cli_stdout_input;

void cli_done(struct cli *cli)
{
	/* the file standard output goes to was read as an input (main.c
	 * drops what the command printed): seen here, while the command's
	 * context still knows its inputs */
	if (cli->ctx && cli_stdout_fd != STDOUT_FILENO && !cli_stdout_input &&
	    fwt_ctx_check_output_fd(cli->ctx, cli_stdout_fd, "standard output") != FWT_OK)
		cli_stdout_input = 1;
	fwt_ctx_free(cli->ctx);
	cli->ctx = NULL;
}

int cli_exit(struct cli *cli, fwt_err err)
{
	cli->last_err = err;
	if (err != FWT_OK) {
		const char *msg = cli->ctx ? fwt_ctx_errmsg(cli->ctx) : "";
		cli_error(cli, "%s", *msg ? msg : fwt_err_name(err));
	}
	return cli_exit_code(err);
}

/* ---- JSON ---- */

json_t *cli_json_new(struct cli *cli)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "command", json_string(cli->name));
	json_object_set_new(o, "schema", json_integer(1));
	return o;
}

void cli_json_finish(struct cli *cli, json_t *obj, fwt_err err)
{
	if (!obj)
		return;
	json_object_set_new(obj, "ok", json_boolean(err == FWT_OK));
	if (err != FWT_OK && !json_object_get(obj, "error")) {
		const char *msg = cli->ctx ? fwt_ctx_errmsg(cli->ctx) : "";
		json_t *e = json_object();
		json_object_set_new(e, "code", json_string(fwt_err_name(err)));
		json_object_set_new(e, "message", cli_json_text(*msg ? msg : fwt_err_name(err)));
		json_object_set_new(obj, "error", e);
	}
}

void cli_json_emit(struct cli *cli, json_t *obj, fwt_err err)
{
	if (cli->json_done) { /* one object per command, never two */
		json_decref(obj);
		return;
	}
	if (!obj)
		obj = cli_json_new(cli);
	if (!obj)
		return;
	cli_json_finish(cli, obj, err);
	json_dumpf(obj, stdout, CLI_JSON_FLAGS);
	fputc('\n', stdout);
	json_decref(obj);
	cli->json_done = 1;
}

/* json_dump_callback's sink for an element of a top-level array member:
 * each line break indented by the four columns it would have there. */
static int dump_nested(const char *buf, size_t size, void *data)
{
	const char *nl;

	(void)data;
	while (size && (nl = memchr(buf, '\n', size))) {
		size_t k = (size_t)(nl - buf);
		if (fwrite(buf, 1, k, stdout) != k || fputs("\n    ", stdout) == EOF)
			return -1;
		buf += k + 1;
		size -= k + 1;
	}
	return size && fwrite(buf, 1, size, stdout) != size ? -1 : 0;
}

fwt_err cli_json_stream_begin(struct cli *cli, struct cli_json_stream *st, json_t *obj, fwt_err err,
                              const char *key)
{
	char marker[64];

	memset(st, 0, sizeof(*st));
	if (cli->json_done) {
		json_decref(obj);
		return FWT_OK; /* items and end write nothing */
	}
	if (!obj || json_object_set_new(obj, key, json_array()) < 0 ||
	    (size_t)snprintf(marker, sizeof(marker), "\n  \"%s\": []", key) >= sizeof(marker)) {
		json_decref(obj);
		return FWT_ENOMEM;
	}
	cli_json_finish(cli, obj, err);
	st->text = json_dumps(obj, CLI_JSON_FLAGS);
	json_decref(obj);
	/* a line break is only ever layout (strings escape theirs), and only a
	 * top-level member's line is indented by exactly two columns */
	st->at = st->text ? strstr(st->text, marker) : NULL;
	if (!st->at) {
		free(st->text);
		st->text = NULL;
		return FWT_ENOMEM;
	}
	st->at += strlen(marker) - 1; /* at the ']' */
	fwrite(st->text, 1, (size_t)(st->at - st->text), stdout);
	cli->json_done = 1;
	return FWT_OK;
}

void cli_json_stream_item(struct cli_json_stream *st, const json_t *v)
{
	if (!st->text || !v)
		return;
	fputs(st->wrote++ ? ",\n    " : "\n    ", stdout);
	json_dump_callback(v, dump_nested, NULL, CLI_JSON_FLAGS);
}

void cli_json_stream_end(struct cli_json_stream *st, int complete)
{
	if (st->text && complete) {
		if (st->wrote)
			fputs("\n  ", stdout);
		fputs(st->at, stdout);
		fputc('\n', stdout);
	}
	free(st->text);
	memset(st, 0, sizeof(*st));
}

fwt_err cli_json_emit_items(struct cli *cli, json_t *obj, fwt_err err, const char *key, size_t n,
                            fwt_err (*item)(void *arg, size_t i, json_t **v), void *arg)
{
	struct cli_json_stream st;
	fwt_err ierr = cli_json_stream_begin(cli, &st, obj, err, key);
	size_t i;

	for (i = 0; !ierr && st.text && i < n; i++) {
		json_t *v = NULL;
		if ((ierr = item(arg, i, &v)) == FWT_OK)
			cli_json_stream_item(&st, v);
		json_decref(v);
	}
	cli_json_stream_end(&st, !ierr);
	return ierr ? ierr : err;
}

void cli_json_failed(struct cli *cli, int rc)
{
	static const fwt_err by_status[] = { FWT_OK, FWT_EVERIFY, FWT_EINVAL, FWT_EIO, FWT_EFORMAT, FWT_ECRYPTO,
	                                     FWT_EUNSUPPORTED, FWT_EINTERNAL };
	fwt_err err;
	json_t *obj, *e;

	if (!cli->json || cli->json_done || rc == EXIT_OK)
		return;
	err = cli->last_err != FWT_OK && cli_exit_code(cli->last_err) == rc ? cli->last_err
	      : rc > 0 && (size_t)rc < sizeof(by_status) / sizeof(by_status[0]) ? by_status[rc] : FWT_EINTERNAL;
	obj = cli_json_new(cli);
	e = json_object();
	if (!obj || !e) {
		json_decref(obj);
		json_decref(e);
		return;
	}
	json_object_set_new(e, "code", json_string(fwt_err_name(err)));
	json_object_set_new(e, "message", cli_json_text(*cli->last_error ? cli->last_error : fwt_err_name(err)));
	json_object_set_new(obj, "error", e);
	cli_json_emit(cli, obj, err);
}

json_t *cli_json_hex(const unsigned char *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	json_t *j;

	if (!s)
		return NULL;
	fwt_hex_encode(s, p, n);
	j = json_string(s);
	free(s);
	return j;
}

/* Bytes of s before the first one that is not part of well-formed UTF-8. */
static size_t utf8_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0, len;
	unsigned cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		len = fwt_utf8_seq(s + i, n - i, &cp);
		if (!len)
			break;
		i += len;
	}
	return i;
}

json_t *cli_json_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k = 0, ok;
	char *buf;
	json_t *j;

	if (utf8_prefix(p, n) == n)
		return json_string(s);
	buf = malloc(3 * n + 1);
	if (!buf)
		return NULL;
	while (i < n) {
		ok = utf8_prefix(p + i, n - i);
		memcpy(buf + k, p + i, ok);
		k += ok;
		i += ok;
		if (i < n) { /* U+FFFD REPLACEMENT CHARACTER */
			memcpy(buf + k, "\xef\xbf\xbd", 3);
			k += 3;
			i++;
		}
	}
	j = json_stringn(buf, k);
	free(buf);
	return j;
}

void cli_json_set_name(json_t *obj, const char *key, const char *name)
{
	size_t n = name ? strlen(name) : 0;
	char hkey[64];

	if (!name) {
		json_object_set_new(obj, key, json_null());
		return;
	}
	json_object_set_new(obj, key, cli_json_text(name));
	if (utf8_prefix((const unsigned char *)name, n) == n)
		return;
	snprintf(hkey, sizeof(hkey), "%s_hex", key);
	json_object_set_new(obj, hkey, cli_json_hex((const unsigned char *)name, n));
}

/* ---- option parsing ---- */

static int opt_takes_arg(enum cli_kind k)
{
	return k == CLI_STR || k == CLI_LIST || k == CLI_UINT;
}

static const struct cli_opt builtin_opts[] = {
	{ 'h', "help", CLI_FLAG, NULL, NULL, "show this help and exit" },
	{ 'v', "verbose", CLI_COUNT, NULL, NULL, "say more (twice: debug)" },
	{ 'q', "quiet", CLI_FLAG, NULL, NULL, "print only errors" },
	{ 0, "json", CLI_FLAG, NULL, NULL, "print one JSON object on stdout" },
	CLI_OPT_END
};

void cli_print_help(struct cli *cli, const struct cli_opt *opts, FILE *f)
{
	const struct cli_opt *tables[2] = { opts, builtin_opts }, *o;
	size_t i, t;
	char left[64];

	for (i = 0; cli->usage && cli->usage[i]; i++)
		fprintf(f, "%s %s\n", i ? "   or:" : "usage:", cli->usage[i]);
	if (cli->summary)
		fprintf(f, "\n%s\n", cli->summary);
	fprintf(f, "\noptions:\n");
	for (t = 0; t < 2; t++) {
		for (o = tables[t]; o && o->longname; o++) {
			if (o->shortname)
				snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shortname, o->longname,
				         o->arg ? " " : "", o->arg ? o->arg : "");
			else
				snprintf(left, sizeof(left), "    --%s%s%s", o->longname, o->arg ? " " : "",
				         o->arg ? o->arg : "");
			if (strlen(left) <= 24)
				fprintf(f, "  %-24s %s\n", left, o->help ? o->help : "");
			else
				fprintf(f, "  %s\n  %-24s %s\n", left, "", o->help ? o->help : "");
		}
	}
	/* the page of a nested verb is fwtrail-<cmd>-<verb>(1) */
	fprintf(f, "\nSee fwtrail-");
	for (i = 0; cli->name[i]; i++)
		fputc(cli->name[i] == ' ' ? '-' : cli->name[i], f);
	fprintf(f, "(1) for details.\n");
}

static void print_completion(const struct cli_opt *opts)
{
	const struct cli_opt *tables[2] = { opts, builtin_opts }, *o;
	size_t t;

	/* each option long, then its short alias the same way ("-f=a|b") */
	for (t = 0; t < 2; t++)
		for (o = tables[t]; o && o->longname; o++) {
			printf("--%s%s%s\n", o->longname, opt_takes_arg(o->kind) ? "=" : "",
			       opt_takes_arg(o->kind) && o->arg ? o->arg : "");
			if (o->shortname)
				printf("-%c%s%s\n", o->shortname, opt_takes_arg(o->kind) ? "=" : "",
				       opt_takes_arg(o->kind) && o->arg ? o->arg : "");
		}
}

static int store(struct cli *cli, const struct cli_opt *o, const char *val)
{
	char *end;
	unsigned long v;
	struct cli_list *l;
	const char **nv;

	switch (o->kind) {
	case CLI_FLAG:
		*(int *)o->ptr = 1;
		return 0;
	case CLI_COUNT:
		(*(int *)o->ptr)++;
		return 0;
	case CLI_STR:
		*(const char **)o->ptr = val;
		return 0;
	case CLI_LIST:
		l = o->ptr;
		nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
		if (!nv) {
			cli_error(cli, "out of memory");
			return EXIT_INTERNAL;
		}
		l->v = nv;
		l->v[l->n++] = val;
		return 0;
	case CLI_UINT:
		errno = 0;
		v = strtoul(val, &end, 10);
		if (!*val || *end || errno || val[0] == '-' || v > 0xffffffffUL)
			return cli_usage_error(cli, "--%s: '%s' is not a number", o->longname, val);
		*(unsigned *)o->ptr = (unsigned)v;
		return 0;
	}
	return EXIT_INTERNAL;
}

/* Does the command line ask for --json?  A first pass of getopt over a copy
 * of argv, so that a usage error in an option before --json (or in its
 * value) is still reported as the JSON object, and an option's value that
 * happens to read "--json" is not taken for it. */
static int wants_json(int argc, char **argv, const char *shorts, const struct option *lopts)
{
	char **copy = calloc((size_t)argc + 1, sizeof(*copy));
	int c, idx, json = 0;

	if (!copy)
		return 0;
	memcpy(copy, argv, (size_t)argc * sizeof(*copy));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, copy, shorts, lopts, &idx)) != -1)
		if (c == 2001)
			json = 1;
	free(copy);
	return json;
}

/* The long option that getopt reports by its val (for an option given a
 * value it does not take, optopt is that val, not a character). */
static const char *long_name(const struct option *lopts, int val)
{
	for (; lopts->name; lopts++)
		if (lopts->val == val)
			return lopts->name;
	return NULL;
}

/* "--name=value" or "--name" as typed: how many long options it may mean. */
static int long_matches(const struct option *lopts, const char *arg, size_t len)
{
	int n = 0;

	for (; lopts->name; lopts++) {
		if (strlen(lopts->name) == len && !strncmp(lopts->name, arg, len))
			return 1;
		n += !strncmp(lopts->name, arg, len);
	}
	return n;
}

static int option_error(struct cli *cli, const struct option *lopts, const char *arg, int c)
{
	const char *name;
	size_t len;

	if (c == '?') {
		/* a long option given a value: optopt is its val, which is
		 * never an unknown short option ('h', 'v', 'q' are known) */
		if (optopt && (name = long_name(lopts, optopt)) != NULL)
			return cli_usage_error(cli, "option '--%s' takes no value", name);
		if (optopt)
			return cli_usage_error(cli, "unknown option '-%c'", optopt);
		if (arg && !strncmp(arg, "--", 2)) {
			len = strcspn(arg + 2, "=");
			if (long_matches(lopts, arg + 2, len) > 1)
				return cli_usage_error(cli, "option '--%.*s' is ambiguous", (int)len, arg + 2);
			return cli_usage_error(cli, "unknown option '--%.*s'", (int)len, arg + 2);
		}
		return cli_usage_error(cli, "unknown option '%s'", arg ? arg : "");
	}
	if (optopt && (name = long_name(lopts, optopt)) != NULL && optopt >= 1000)
		return cli_usage_error(cli, "option '--%s' needs a value", name);
	if (optopt)
		return cli_usage_error(cli, "option '-%c' needs a value", optopt);
	return cli_usage_error(cli, "option '%s' needs a value", arg ? arg : "");
}

/* Is path the file standard output goes to (held by main.c)? */
static int is_stdout_file(const char *path, const struct stat *out)
{
	struct stat st;

	return path && *path && stat(path, &st) == 0 && st.st_dev == out->st_dev && st.st_ino == out->st_ino;
}

/*
 * Standard output on a regular file that the command line names as an
 * input (an operand, or an option's value): refused before any work, so
 * that no signature is written and no key made on a token by a command
 * that then refuses (exit 2).  Files found later, inside a folder, are
 * refused at the end, when the command's inputs are all known (main.c).
 */
static int stdout_named(struct cli *cli, const struct cli_opt *opts, int argc, char **argv)
{
	const struct cli_opt *o;
	struct stat out;
	size_t j;
	int i;

	if (cli_stdout_fd == STDOUT_FILENO || fstat(cli_stdout_fd, &out) != 0 || !S_ISREG(out.st_mode))
		return -1;
	for (i = 0; i < argc && !cli_stdout_input; i++)
		cli_stdout_input = is_stdout_file(argv[i], &out);
	for (o = opts; o && o->longname && !cli_stdout_input; o++) {
		/* the outputs' own checks say what is wrong with those */
		if (!strcmp(o->longname, "output") || !strcmp(o->longname, "out-dir"))
			continue;
		if (o->kind == CLI_STR)
			cli_stdout_input = is_stdout_file(*(const char **)o->ptr, &out);
		for (j = 0; o->kind == CLI_LIST && j < ((struct cli_list *)o->ptr)->n && !cli_stdout_input; j++)
			cli_stdout_input = is_stdout_file(((struct cli_list *)o->ptr)->v[j], &out);
	}
	if (!cli_stdout_input)
		return -1;
	/* nothing of this command reaches that file, its failure object
	 * neither (main.c drops what is held) */
	cli->last_err = FWT_EINVAL;
	cli_error(cli, "refusing to write standard output: it is one of the inputs");
	return EXIT_USAGE;
}

int cli_parse(struct cli *cli, const struct cli_opt *opts, int *argc, char ***argv)
{
	struct option lopts[96];
	char shorts[192];
	const struct cli_opt *map[96];
	size_t n = 0, s = 0, i;
	int help = 0, compl = 0, c, idx, rc;
	const struct cli_opt *o;
	unsigned char seen[96] = { 0 };

	cli->json = cli_global_json;
	cli->verbose = cli_global_verbose;
	cli->quiet = cli_global_quiet;
	shorts[s++] = ':';
	for (o = opts; o && o->longname && n < 90; o++) {
		lopts[n].name = o->longname;
		lopts[n].has_arg = opt_takes_arg(o->kind) ? required_argument : no_argument;
		lopts[n].flag = NULL;
		lopts[n].val = 1000 + (int)n;
		map[n++] = o;
		if (o->shortname) {
			shorts[s++] = o->shortname;
			if (opt_takes_arg(o->kind))
				shorts[s++] = ':';
		}
	}
	/* built-ins */
	lopts[n] = (struct option){ "help", no_argument, NULL, 'h' };
	map[n++] = NULL;
	lopts[n] = (struct option){ "verbose", no_argument, NULL, 'v' };
	map[n++] = NULL;
	lopts[n] = (struct option){ "quiet", no_argument, NULL, 'q' };
	map[n++] = NULL;
	lopts[n] = (struct option){ "json", no_argument, NULL, 2001 };
	map[n++] = NULL;
	lopts[n] = (struct option){ "completion-helper", no_argument, NULL, 2002 };
	map[n++] = NULL;
	lopts[n] = (struct option){ NULL, 0, NULL, 0 };
	memcpy(shorts + s, "hvq", 3);
	s += 3;
	shorts[s] = '\0';

	if (!cli->json)
		cli->json = wants_json(*argc, *argv, shorts, lopts);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(*argc, *argv, shorts, lopts, &idx)) != -1) {
		switch (c) {
		case 'h': help = 1; continue;
		case 'v': cli->verbose++; continue;
		case 'q': cli->quiet = 1; continue;
		case 2001: cli->json = 1; continue;
		case 2002: compl = 1; continue;
		case '?':
		case ':':
			return option_error(cli, lopts, optind > 0 && optind <= *argc ? (*argv)[optind - 1] : NULL, c);
		default:
			break;
		}
		if (c >= 1000 && c < 1000 + (int)n && map[c - 1000]) {
			o = map[c - 1000];
		} else {
			for (o = opts; o && o->longname; o++)
				if (o->shortname == c)
					break;
			if (!o || !o->longname)
				return cli_usage_error(cli, "unknown option");
		}
		/* an option of one value given twice would lose the first in
		 * silence (a second golden capture, a second PCR list) */
		if ((o->kind == CLI_STR || o->kind == CLI_UINT) && (size_t)(o - opts) < sizeof(seen)) {
			if (seen[o - opts])
				return cli_usage_error(cli, "--%s is given twice: it takes one value", o->longname);
			seen[o - opts] = 1;
		}
		rc = store(cli, o, optarg);
		if (rc)
			return rc;
	}
	if (compl) {
		print_completion(opts);
		return EXIT_OK;
	}
	if (help) {
		cli_print_help(cli, opts, stdout);
		return EXIT_OK;
	}
	*argc -= optind;
	*argv += optind;
	(void)i;
	return stdout_named(cli, opts, *argc, *argv);
}

/* ---- verbs ---- */

static void print_verbs(struct cli *parent, const struct cli_verb *verbs, FILE *f)
{
	const struct cli_verb *v;

	fprintf(f, "usage: %s %s <verb> [options] [args]\n", cli_progname, parent->name);
	if (parent->summary)
		fprintf(f, "\n%s\n", parent->summary);
	fprintf(f, "\nverbs:\n");
	for (v = verbs; v->name; v++)
		fprintf(f, "  %-12s %s\n", v->name, v->summary);
	fprintf(f, "\nRun '%s %s <verb> --help' for a verb's options.\n", cli_progname, parent->name);
}

int cli_global_flag(const char *a, int apply)
{
	const char *p;

	if (!strcmp(a, "--verbose")) {
		cli_global_verbose += apply;
		return 1;
	}
	if (!strcmp(a, "--quiet") || !strcmp(a, "--json")) {
		if (apply)
			*(a[2] == 'q' ? &cli_global_quiet : &cli_global_json) = 1;
		return 1;
	}
	if (a[0] != '-' || !a[1] || a[strspn(a + 1, "vq") + 1])
		return 0;
	for (p = a + 1; apply && *p; p++)
		if (*p == 'v')
			cli_global_verbose++;
		else
			cli_global_quiet = 1;
	return 1;
}

int cli_dispatch(struct cli *parent, const struct cli_verb *verbs, int argc, char **argv)
{
	const struct cli_verb *v;
	struct cli child;
	char name[128];
	int rc, i;

	while (argc > 1 && cli_global_flag(argv[1], 1)) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	parent->json = cli_global_json;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			parent->json = 1;
	if (argc < 2) {
		print_verbs(parent, verbs, stderr);
		if (parent->json)
			return cli_usage_error(parent, "no verb given");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		print_verbs(parent, verbs, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--completion-helper")) {
		for (v = verbs; v->name; v++)
			printf("%s\n", v->name);
		return EXIT_OK;
	}
	for (v = verbs; v->name; v++)
		if (!strcmp(v->name, argv[1]))
			break;
	if (!v->name)
		return cli_usage_error(parent, "unknown verb '%s'", argv[1]);
	memset(&child, 0, sizeof(child));
	snprintf(name, sizeof(name), "%s%s%s", parent->name, *parent->name ? " " : "", v->name);
	snprintf(cli_running, sizeof(cli_running), "%s", name);
	child.name = name;
	child.summary = v->summary;
	rc = v->fn(argc - 1, argv + 1, &child);
	cli_json_failed(&child, rc);
	cli_done(&child);
	parent->json_done = 1; /* the verb answered for the command */
	return rc;
}

/* ---- progress ---- */

#define PROGRESS_MIN (64ll << 20)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void cli_progress_init(struct cli_progress *p, struct cli *cli, const char *label, int64_t total)
{
	memset(p, 0, sizeof(*p));
	p->cli = cli;
	p->label = label;
	p->active = !cli->json && !cli->quiet && isatty(STDERR_FILENO) && (total < 0 || total > PROGRESS_MIN);
	p->last_ms = now_ms();
}

void cli_progress_cb(void *payload, uint64_t done, int64_t total)
{
	struct cli_progress *p = payload;
	uint64_t t;

	if (!p->active || done < (uint64_t)PROGRESS_MIN)
		return;
	t = now_ms();
	if (t - p->last_ms < 200)
		return;
	p->last_ms = t;
	p->last_shown = 1;
	if (total > 0)
		fprintf(stderr, "\r%s: %3d%% (%llu of %llu MiB)", p->label, (int)(done * 100 / (uint64_t)total),
		        (unsigned long long)(done >> 20), (unsigned long long)((uint64_t)total >> 20));
	else
		fprintf(stderr, "\r%s: %llu MiB", p->label, (unsigned long long)(done >> 20));
	fflush(stderr);
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->active && p->last_shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	p->last_shown = 0;
}

/* ---- output ---- */

fwt_err cli_out_open(struct cli_out *o, struct cli *cli, const char *path, int force)
{
	fwt_writer_options wo = FWT_WRITER_OPTIONS_INIT;

	memset(o, 0, sizeof(*o));
	o->cli = cli;
	o->path = path && strcmp(path, "-") ? path : NULL;
	if (!o->path)
		return fwt_ctx_check_output_fd(cli_ctx(cli), cli_stdout_fd, "standard output");
	wo.force = force;
	return fwt_writer_open(cli_ctx(cli), &o->w, o->path, &wo);
}

fwt_err cli_out_write(struct cli_out *o, const void *buf, size_t len)
{
	fwt_err err;

	if (o->w)
		return fwt_writer_write(o->w, buf, len);
	/* inputs read since the open count too */
	if ((err = fwt_ctx_check_output_fd(cli_ctx(o->cli), cli_stdout_fd, "standard output")))
		return err;
	if (len && fwrite(buf, 1, len, stdout) != len)
		return FWT_EIO;
	return FWT_OK;
}

fwt_err cli_out_commit(struct cli_out *o)
{
	fwt_err err = FWT_OK;

	if (o->w) {
		err = fwt_writer_commit(o->w);
		o->w = NULL;
	}
	return err;
}

void cli_out_abort(struct cli_out *o)
{
	fwt_writer_free(o->w);
	o->w = NULL;
}

/* After fwt_pubkey_load refused path (FWT_EFORMAT) given to --key: --key
 * trusts one key, and a file of several is what --trust is for.  Says so
 * and returns 1 when the file holds several; otherwise returns 0.  The
 * file is counted in a context of its own, so that the caller's keeps the
 * load's message and no second read of the file is needed to restore it. */
int cli_several_keys(struct cli *cli, const char *path)
{
	fwt_ctx *probe = NULL;
	fwt_pubkey **keys = NULL;
	size_t n = 0, i;

	if (fwt_ctx_new(&probe, NULL) != FWT_OK)
		return 0;
	if (fwt_pubkey_load_all(probe, path, &keys, &n) != FWT_OK)
		n = 0;
	for (i = 0; i < n; i++)
		fwt_pubkey_free(keys[i]);
	free(keys);
	fwt_ctx_free(probe);
	if (n < 2)
		return 0;
	cli_error(cli, "'%s' holds %zu keys or certificates, and --key trusts one: give the file with --trust", path, n);
	return 1;
}
