/* SPDX-License-Identifier: Apache-2.0 */
/* digest.c - `fwtrail digest`: SHA-256/384/512 of files in one read pass,
 * and the OCP SAFE manifest of a folder or archive. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static const char *const digest_usage[] = {
	"fwtrail digest [--alg list] [--follow-symlinks] [--json] path ...",
	"fwtrail digest --manifest [--strip n] [--follow-symlinks] [--json] dir | archive",
	NULL
};

static const fwt_digest_alg order[] = { FWT_DIGEST_SHA256, FWT_DIGEST_SHA384, FWT_DIGEST_SHA512 };

struct result {
	const char *path;
	fwt_digests d;
};

/* BSD-tagged line as coreutils (9.0 and later) writes it; names with a
 * newline, carriage return or backslash get the leading-backslash escape
 * that `cksum -c` understands. */
static void print_tagged(const char *tag, const char *path, const unsigned char *md, size_t n)
{
	char hex[2 * FWT_DIGEST_MAX + 1];
	int esc = strpbrk(path, "\n\r\\") != NULL;
	const char *p;

	fwt_hex_encode(hex, md, n);
	if (esc)
		fputc('\\', stdout);
	printf("%s (", tag);
	for (p = path; *p; p++) {
		if (esc && *p == '\n')
			fputs("\\n", stdout);
		else if (esc && *p == '\r')
			fputs("\\r", stdout);
		else if (esc && *p == '\\')
			fputs("\\\\", stdout);
		else
			fputc(*p, stdout);
	}
	printf(") = %s\n", hex);
}

static fwt_err digest_one(struct cli *cli, const char *path, unsigned algs, int follow, fwt_digests *out)
{
	fwt_digest_options o = FWT_DIGEST_OPTIONS_INIT;
	struct cli_progress prog;
	fwt_reader *r = NULL;
	fwt_err err;

	if (!strcmp(path, "-"))
		err = fwt_reader_from_fd(cli->ctx, &r, STDIN_FILENO, "-");
	else if (cli_is_folder(path, follow))
		return FWT_EINVAL; /* reported by the caller with a hint */
	else
		err = fwt_reader_open_file(cli->ctx, &r, path, follow);
	if (err)
		return err;
	cli_progress_init(&prog, cli, path, fwt_reader_size(r));
	o.algs = algs;
	o.progress = cli_progress_cb;
	o.progress_payload = &prog;
	err = fwt_digest_reader(cli->ctx, r, &o, out);
	cli_progress_end(&prog);
	fwt_reader_free(r);
	return err;
}

static int digest_files(struct cli *cli, unsigned algs, int follow, int argc, char **argv)
{
	struct result *res = calloc((size_t)argc, sizeof(*res));
	json_t *obj = NULL, *files;
	fwt_err err = FWT_OK;
	size_t k;
	int i;

	if (!res)
		return cli_exit(cli, FWT_ENOMEM);
	for (i = 0; i < argc; i++) {
		res[i].path = argv[i];
		err = digest_one(cli, argv[i], algs, follow, &res[i].d);
		if (err == FWT_EINVAL && cli_is_folder(argv[i], follow)) {
			free(res);
			return cli_usage_error(cli, "'%s' is a folder (use --manifest to digest the files in it)",
			                       argv[i]);
		}
		if (err)
			break;
	}
	if (cli->json) {
		obj = cli_json_new(cli);
		files = json_array();
		for (i = 0; !err && i < argc; i++) {
			json_t *f = json_object();
			cli_json_set_name(f, "path", res[i].path);
			json_object_set_new(f, "size", json_integer((json_int_t)res[i].d.bytes));
			for (k = 0; k < ARRAY_LEN(order); k++)
				if (algs & order[k])
					json_object_set_new(f, fwt_digest_name(order[k]),
					                    cli_json_hex(fwt_digests_get(&res[i].d, order[k]),
					                                 fwt_digest_size(order[k])));
			json_array_append_new(files, f);
		}
		json_object_set_new(obj, "files", files);
		cli_json_emit(cli, obj, err);
	} else if (!err) {
		for (i = 0; i < argc; i++)
			for (k = 0; k < ARRAY_LEN(order); k++)
				if (algs & order[k])
					print_tagged(fwt_digest_tag(order[k]), res[i].path,
					             fwt_digests_get(&res[i].d, order[k]), fwt_digest_size(order[k]));
	}
	free(res);
	return cli_exit(cli, err);
}

/* A manifest name as cli_put_safe shows it (a control character as \xNN),
 * its own backslashes doubled: a file named "tab\x09x" is never shown as
 * one with a tab in its name. */
static void put_name(const char *s)
{
	const char *b;

	while ((b = strchr(s, '\\')) != NULL) {
		cli_put_safe(stdout, s, (size_t)(b - s));
		fputs("\\\\", stdout);
		s = b + 1;
	}
	cli_puts_safe(stdout, s);
}

static int digest_manifest(struct cli *cli, const char *path, unsigned strip, int follow)
{
	fwt_manifest_options mo = FWT_MANIFEST_OPTIONS_INIT;
	struct cli_progress prog;
	fwt_manifest *m = NULL;
	unsigned char h384[48], h512[64];
	char hex[129];
	json_t *obj, *list;
	size_t i, n;
	fwt_err err;

	cli_progress_init(&prog, cli, path, -1);
	mo.strip = strip;
	mo.follow = follow;
	mo.progress = cli_progress_cb;
	mo.progress_payload = &prog;
	err = fwt_manifest_build(cli->ctx, &m, path, &mo);
	cli_progress_end(&prog);
	if (!err)
		err = fwt_manifest_fw_hashes(m, h384, h512);
	n = fwt_manifest_count(m);
	if (cli->json) {
		obj = cli_json_new(cli);
		if (!err) {
			list = json_array();
			for (i = 0; i < n; i++) {
				json_t *e = json_object();
				json_object_set_new(e, "file_name", json_string(fwt_manifest_name(m, i)));
				json_object_set_new(e, "file_hash", cli_json_hex(fwt_manifest_hash(m, i), 64));
				json_array_append_new(list, e);
			}
			json_object_set_new(obj, "manifest", list);
			json_object_set_new(obj, "fw_hash_sha2_384", cli_json_hex(h384, 48));
			json_object_set_new(obj, "fw_hash_sha2_512", cli_json_hex(h512, 64));
			cli_json_set_name(obj, "path", path);
		}
		cli_json_emit(cli, obj, err);
	} else if (!err) {
		fwt_hex_encode(hex, h384, 48);
		printf("fw_hash_sha2_384: %s\n", hex);
		fwt_hex_encode(hex, h512, 64);
		printf("fw_hash_sha2_512: %s\n", hex);
		printf("manifest: %zu file%s\n", n, n == 1 ? "" : "s");
		for (i = 0; i < n; i++) {
			fwt_hex_encode(hex, fwt_manifest_hash(m, i), 64);
			printf("  %s  ", hex);
			put_name(fwt_manifest_name(m, i));
			fputc('\n', stdout);
		}
	}
	fwt_manifest_free(m);
	return cli_exit(cli, err);
}

int cmd_digest(int argc, char **argv, struct cli *cli)
{
	struct digest_opts {
		const char *alg;
		int manifest;
		unsigned strip;
		int strip_set;
		int follow;
	} opts = { NULL, 0, 0, 0, 0 };
	const char *strip_str = NULL;
	const struct cli_opt table[] = {
		{ 'a', "alg", CLI_STR, &opts.alg, "list", "sha256,sha384,sha512 (default: sha384,sha512)" },
		{ 'm', "manifest", CLI_FLAG, &opts.manifest, NULL, "the OCP SAFE manifest of a folder or archive" },
		{ 0, "strip", CLI_STR, &strip_str, "n", "drop n leading path components (with --manifest)" },
		{ 0, "follow-symlinks", CLI_FLAG, &opts.follow, NULL,
		  "read through symbolic links given as paths (refused otherwise)" },
		CLI_OPT_END
	};
	unsigned algs = FWT_DIGEST_DEFAULT;
	char bad[32];
	int rc;

	cli->usage = digest_usage;
	cli->summary = "Compute SHA-256/384/512 digests of files in one read pass, or the OCP SAFE\n"
	               "manifest (and its fw_hash_sha2_384/512) of a folder or archive.";
	rc = cli_parse(cli, table, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (strip_str) {
		char *end;
		unsigned long v = strtoul(strip_str, &end, 10);
		if (!*strip_str || *end || strip_str[0] == '-')
			return cli_usage_error(cli, "--strip: '%s' is not a number of path components", strip_str);
		if (v > 1024)
			return cli_usage_error(cli, "--strip: '%s' is over the limit of 1024 path components", strip_str);
		opts.strip = (unsigned)v;
		opts.strip_set = 1;
	}
	if (opts.alg && fwt_digest_parse_list(opts.alg, &algs, bad, sizeof(bad)) != FWT_OK)
		return cli_usage_error(cli, "unknown digest algorithm '%s' (use sha256, sha384, sha512)", bad);
	if (algs & FWT_DIGEST_SHA1)
		return cli_usage_error(cli, "sha1 is not offered for firmware digests");
	if (argc < 1)
		return cli_usage_error(cli, "no input given");
	if (!cli_ctx(cli))
		return EXIT_INTERNAL;
	if (opts.manifest) {
		if (opts.alg)
			return cli_usage_error(cli, "--alg does not apply to --manifest (the manifest is SHA-512)");
		if (argc != 1)
			return cli_usage_error(cli, "--manifest takes exactly one folder or archive");
		if (!strcmp(argv[0], "-")) /* a stream's headers cannot be checked twice */
			return cli_usage_error(cli, "--manifest reads a folder or an archive file, not standard input: "
			                            "give its path");
		return digest_manifest(cli, argv[0], opts.strip, opts.follow);
	}
	if (opts.strip_set)
		return cli_usage_error(cli, "--strip only applies to --manifest");
	/* a second "-" would be the digest of nothing, said as a file's */
	if ((rc = cli_stdin_once(cli, (const char *const *)argv, (size_t)argc)) >= 0)
		return rc;
	return digest_files(cli, algs, opts.follow, argc, argv);
}
