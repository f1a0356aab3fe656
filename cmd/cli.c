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

static void vmsg(struct cli *cli, const char *kind, const char *fmt, va_list ap)
{
	char buf[2048];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "%s%s%s: %s", cli_progname, cli && cli->name && *cli->name ? " " : "",
	        cli && cli->name ? cli->name : "", kind);
	cli_puts_safe(stderr, buf);
	fputc('\n', stderr);
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

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cli, "", fmt, ap);
	va_end(ap);
	help_hint(cli);
	return EXIT_USAGE;
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
		if (len && !(cp >= 0x80 && cp < 0xa0)) { /* C1 controls move terminals too */
			fwrite(p + i, 1, len, f);
			i += len;
			continue;
		}
		fprintf(f, "\\x%02x", c);
		i++;
	}
}

void cli_puts_safe(FILE *f, const char *s)
{
	cli_put_safe(f, s, strlen(s));
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
	}
	return cli->ctx;
}

void cli_done(struct cli *cli)
{
	fwt_ctx_free(cli->ctx);
	cli->ctx = NULL;
}

int cli_exit(struct cli *cli, fwt_err err)
{
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
		json_object_set_new(e, "message", json_string(*msg ? msg : fwt_err_name(err)));
		json_object_set_new(obj, "error", e);
	}
}

void cli_json_emit(struct cli *cli, json_t *obj, fwt_err err)
{
	if (!obj)
		obj = cli_json_new(cli);
	if (!obj)
		return;
	cli_json_finish(cli, obj, err);
	json_dumpf(obj, stdout, JSON_SORT_KEYS | JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(obj);
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

	for (t = 0; t < 2; t++)
		for (o = tables[t]; o && o->longname; o++)
			printf("--%s%s%s\n", o->longname, opt_takes_arg(o->kind) ? "=" : "",
			       opt_takes_arg(o->kind) && o->arg ? o->arg : "");
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

int cli_parse(struct cli *cli, const struct cli_opt *opts, int *argc, char ***argv)
{
	struct option lopts[96];
	char shorts[192];
	const struct cli_opt *map[96];
	size_t n = 0, s = 0, i;
	int help = 0, compl = 0, c, idx, rc;
	const struct cli_opt *o;

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
			if (optopt)
				return cli_usage_error(cli, "unknown option '-%c'", optopt);
			return cli_usage_error(cli, "unknown option '%s'", (*argv)[optind - 1]);
		case ':':
			if (optopt >= 1000)
				return cli_usage_error(cli, "option '--%s' needs a value", map[optopt - 1000]->longname);
			if (optopt)
				return cli_usage_error(cli, "option '-%c' needs a value", optopt);
			return cli_usage_error(cli, "option '%s' needs a value", (*argv)[optind - 1]);
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
	return -1;
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

int cli_dispatch(struct cli *parent, const struct cli_verb *verbs, int argc, char **argv)
{
	const struct cli_verb *v;
	struct cli child;
	char name[128];
	int rc;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		print_verbs(parent, verbs, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "--completion-helper")) {
		for (v = verbs; v->name; v++)
			printf("%s\n", v->name);
		return EXIT_OK;
	}
	for (v = verbs; v->name; v++)
		if (!strcmp(v->name, argv[1]))
			break;
	if (!v->name) {
		cli_error(parent, "'%s' is not a %s verb. See '%s %s --help'.", argv[1], parent->name,
		          cli_progname, parent->name);
		return EXIT_USAGE;
	}
	memset(&child, 0, sizeof(child));
	snprintf(name, sizeof(name), "%s%s%s", parent->name, *parent->name ? " " : "", v->name);
	child.name = name;
	child.summary = v->summary;
	rc = v->fn(argc - 1, argv + 1, &child);
	cli_done(&child);
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
		return FWT_OK;
	wo.force = force;
	return fwt_writer_open(cli_ctx(cli), &o->w, o->path, &wo);
}

fwt_err cli_out_write(struct cli_out *o, const void *buf, size_t len)
{
	if (o->w)
		return fwt_writer_write(o->w, buf, len);
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
