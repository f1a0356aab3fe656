/* SPDX-License-Identifier: Apache-2.0 */
/* archive_test.c - the archive walker and the OCP SAFE manifest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

static fwt_ctx *ctx;
static char dir[256];

struct member {
	const char *name;
	const char *data;     /* NULL for a directory */
	const char *hardlink; /* hard link to an earlier member */
	const char *symlink;
};

/* Write a gzip'd pax tar with the given members. */
static int make_tar(const char *path, const struct member *m, size_t n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	size_t i;

	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_gzip(a);
	if (archive_write_open_filename(a, path) != ARCHIVE_OK)
		return -1;
	for (i = 0; i < n; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_perm(e, 0644);
		if (m[i].hardlink) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, m[i].hardlink);
			archive_entry_set_size(e, 0);
		} else if (m[i].symlink) {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, m[i].symlink);
		} else if (!m[i].data) {
			archive_entry_set_filetype(e, AE_IFDIR);
		} else {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)strlen(m[i].data));
		}
		archive_write_header(a, e);
		if (m[i].data && !m[i].hardlink)
			archive_write_data(a, m[i].data, strlen(m[i].data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return 0;
}

static void test_walk_tar(void)
{
	static const struct member m[] = {
		{ "./", NULL, NULL, NULL },
		{ "./pkg/", NULL, NULL, NULL },
		{ "./pkg/a.bin", "aaa", NULL, NULL },
		{ "./pkg/link", NULL, NULL, "a.bin" },
		{ "/abs/b.bin", "bb", NULL, NULL },
	};
	char p[512];
	fwt_archive *a;
	const fwt_archive_entry *e;
	fwt_reader *r;
	unsigned char buf[8];
	size_t got;
	int files = 0, links = 0, dirs = 0;

	snprintf(p, sizeof(p), "%s/walk.tgz", dir);
	T_EQ_INT(make_tar(p, m, 5), 0);
	T_EQ_INT(fwt_archive_open(ctx, &a, p), FWT_OK);
	for (;;) {
		T_EQ_INT(fwt_archive_next(a, &e), FWT_OK);
		if (!e)
			break;
		if (e->type == FWT_ENTRY_FILE) {
			files++;
			T_ASSERT(!strcmp(e->path, "pkg/a.bin") || !strcmp(e->path, "abs/b.bin"));
			T_EQ_INT(fwt_archive_entry_reader(a, &r), FWT_OK);
			T_EQ_INT(fwt_reader_read(r, buf, sizeof(buf), &got), FWT_OK);
			T_EQ_INT(got, e->size);
			fwt_reader_free(r);
		} else if (e->type == FWT_ENTRY_SYMLINK) {
			links++;
			T_EQ_STR(e->link_target, "a.bin");
			T_EQ_INT(fwt_archive_entry_reader(a, &r), FWT_EINVAL);
		} else if (e->type == FWT_ENTRY_DIR) {
			dirs++;
			T_EQ_STR(e->path, "pkg");
		}
	}
	fwt_archive_free(a);
	T_EQ_INT(files, 2);
	T_EQ_INT(links, 1);
	T_EQ_INT(dirs, 1);
}

static void test_manifest_hardlink_and_strip(void)
{
	static const struct member m[] = {
		{ "top/x/one", "same", NULL, NULL },
		{ "top/x/two", "same", "top/x/one", NULL },
		{ "top/y", "other", NULL, NULL },
	};
	char p[512];
	fwt_manifest *mf;
	fwt_manifest_options o = FWT_MANIFEST_OPTIONS_INIT;

	snprintf(p, sizeof(p), "%s/hl.tgz", dir);
	T_EQ_INT(make_tar(p, m, 3), 0);
	T_EQ_INT(fwt_manifest_build(ctx, &mf, p, NULL), FWT_OK);
	T_EQ_INT(fwt_manifest_count(mf), 3);
	T_EQ_STR(fwt_manifest_name(mf, 0), "top/x/one");
	T_EQ_STR(fwt_manifest_name(mf, 1), "top/x/two");
	T_EQ_MEM(fwt_manifest_hash(mf, 0), fwt_manifest_hash(mf, 1), 64);
	fwt_manifest_free(mf);
	o.strip = 2;
	T_EQ_INT(fwt_manifest_build(ctx, &mf, p, &o), FWT_OK);
	T_EQ_INT(fwt_manifest_count(mf), 2); /* top/y has too few components */
	T_EQ_STR(fwt_manifest_name(mf, 0), "one");
	T_EQ_STR(fwt_manifest_name(mf, 1), "two");
	fwt_manifest_free(mf);
}

static void test_manifest_duplicate(void)
{
	static const struct member m[] = {
		{ "a/f", "1", NULL, NULL },
		{ "./a/f", "2", NULL, NULL },
	};
	char p[512];
	fwt_manifest *mf;

	snprintf(p, sizeof(p), "%s/dup.tgz", dir);
	T_EQ_INT(make_tar(p, m, 2), 0);
	T_EQ_INT(fwt_manifest_build(ctx, &mf, p, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "duplicate file name 'a/f'") != NULL);
}

/* The serialisation must equal Python's json.dumps(..., separators=(",",
 * ":")) with ensure_ascii: these expected strings were produced by it. */
static void test_serialise_like_python(void)
{
	fwt_manifest *m;
	unsigned char h[64];
	char *s;
	size_t n;
	const char *expect =
	    "[{\"file_name\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\",\"file_hash\":\"" 
	    "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\"},"
	    "{\"file_name\":\"caf\\u00e9/\\u20ac/\\ud83d\\ude00\",\"file_hash\":\""
	    "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\"}]";

	memset(h, 0, sizeof(h));
	T_EQ_INT(fwt_manifest_new(ctx, &m), FWT_OK);
	T_EQ_INT(fwt_manifest_add(m, "caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80", 14, h), FWT_OK);
	T_EQ_INT(fwt_manifest_add(m, "a\"b\\c\n\t\x01\x7f", 9, h), FWT_OK);
	T_EQ_INT(fwt_manifest_sort(m), FWT_OK);
	T_EQ_INT(fwt_manifest_serialize(m, &s, &n), FWT_OK);
	T_EQ_STR(s, expect);
	T_EQ_INT(n, strlen(expect));
	free(s);
	/* invalid UTF-8 in a name cannot be serialised */
	T_EQ_INT(fwt_manifest_add(m, "bad\xc3(", 5, h), FWT_OK);
	T_EQ_INT(fwt_manifest_serialize(m, &s, &n), FWT_EFORMAT);
	T_EQ_INT(fwt_manifest_add(m, "nul\0x", 5, h), FWT_EFORMAT);
	fwt_manifest_free(m);
}

static void test_not_an_archive(void)
{
	char p[512];
	FILE *f;
	fwt_archive *a;

	snprintf(p, sizeof(p), "%s/plain.txt", dir);
	f = fopen(p, "w");
	fputs("just text, not an archive\n", f);
	fclose(f);
	T_EQ_INT(fwt_archive_open(ctx, &a, p), FWT_EFORMAT);
	snprintf(p, sizeof(p), "%s/none", dir);
	T_EQ_INT(fwt_archive_open(ctx, &a, p), FWT_EIO);
}

static void test_truncated_archive(void)
{
	static char big[200000];
	struct member m[] = { { "t/blob", big, NULL, NULL } };
	char p[512], q[512];
	unsigned char *buf;
	size_t len, i;
	fwt_manifest *mf;
	FILE *f;

	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + (i * 7919 % 26));
	snprintf(p, sizeof(p), "%s/t.tgz", dir);
	T_EQ_INT(make_tar(p, m, 1), 0);
	T_EQ_INT(fwt_read_file(ctx, p, 1 << 20, &buf, &len), FWT_OK);
	snprintf(q, sizeof(q), "%s/cut.tgz", dir);
	f = fopen(q, "wb");
	fwrite(buf, 1, len / 2, f);
	fclose(f);
	free(buf);
	T_EQ_INT(fwt_manifest_build(ctx, &mf, q, NULL), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "t/blob") != NULL);
}

static void test_folder_names(void)
{
	char p[512], q[512];
	fwt_manifest *mf;
	FILE *f;

	snprintf(p, sizeof(p), "%s/rel/sub", dir);
	T_ASSERT(system("true") == 0);
	snprintf(q, sizeof(q), "mkdir -p '%s'", p);
	T_ASSERT(system(q) == 0);
	snprintf(q, sizeof(q), "%s/rel/sub/f.bin", dir);
	f = fopen(q, "w");
	fputs("x", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/rel//", dir);
	T_EQ_INT(fwt_manifest_build(ctx, &mf, p, NULL), FWT_OK);
	T_EQ_INT(fwt_manifest_count(mf), 1);
	T_EQ_STR(fwt_manifest_name(mf, 0), "rel/sub/f.bin");
	fwt_manifest_free(mf);
	T_ASSERT(fwt_path_is_dir(p));
	T_ASSERT(!fwt_path_is_dir(q));
}

static void put(const char *path, const char *data, const char *mode)
{
	FILE *f = fopen(path, mode);

	T_ASSERT(f != NULL);
	fputs(data, f);
	T_EQ_INT(fclose(f), 0);
}

/* RELIABILITY O6 for folders and archives: a file that changes while it is
 * hashed, or is swapped for a link between the walk and the read, is an
 * I/O error (exit 3), never a manifest of bytes that were moving; every
 * file read is an input no output may replace. */
static void test_changed_while_read(void)
{
	struct member m[] = { { "d/x.bin", "payload", NULL, NULL } };
	fwt_digest_options dopts = FWT_DIGEST_OPTIONS_INIT;
	fwt_writer_options wo = FWT_WRITER_OPTIONS_INIT;
	const fwt_archive_entry *e;
	char d[512], p[512], q[512];
	unsigned char buf[4];
	size_t got;
	fwt_manifest *mf;
	fwt_archive *a;
	fwt_reader *r;
	fwt_writer *w;
	fwt_digests dg;
	fwt_err err;

	snprintf(d, sizeof(d), "%s/moving", dir);
	T_EQ_INT(mkdir(d, 0755), 0);
	snprintf(p, sizeof(p), "%s/a.bin", d);
	put(p, "first bytes of a", "w");
	/* grows while read */
	T_EQ_INT(fwt_archive_open(ctx, &a, d), FWT_OK);
	do
		T_EQ_INT(fwt_archive_next(a, &e), FWT_OK);
	while (e && e->type != FWT_ENTRY_FILE);
	T_ASSERT(e != NULL);
	T_EQ_INT(fwt_archive_entry_reader(a, &r), FWT_OK);
	T_EQ_INT(fwt_reader_read(r, buf, sizeof(buf), &got), FWT_OK);
	put(p, " and more", "a");
	dopts.algs = FWT_DIGEST_SHA512;
	T_EQ_INT(fwt_digest_reader(ctx, r, &dopts, &dg), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "changed while it was being read") != NULL);
	fwt_reader_free(r);
	fwt_archive_free(a);
	/* swapped for a symbolic link after the walk saw a file */
	T_EQ_INT(fwt_archive_open(ctx, &a, d), FWT_OK);
	do
		T_EQ_INT(fwt_archive_next(a, &e), FWT_OK);
	while (e && e->type != FWT_ENTRY_FILE);
	T_ASSERT(e != NULL);
	snprintf(q, sizeof(q), "%s/elsewhere", dir);
	put(q, "other", "w");
	T_EQ_INT(unlink(p), 0);
	T_EQ_INT(symlink(q, p), 0);
	T_EQ_INT(fwt_archive_entry_reader(a, &r), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "symbolic link") != NULL);
	fwt_archive_free(a);
	T_EQ_INT(unlink(p), 0);
	put(p, "steady", "w");
	/* every file hashed is an input */
	T_EQ_INT(fwt_manifest_build(ctx, &mf, d, NULL), FWT_OK);
	fwt_manifest_free(mf);
	wo.force = 1;
	T_EQ_INT(fwt_writer_open(ctx, &w, p, &wo), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "one of the inputs") != NULL);
	/* an archive that grows while read */
	snprintf(p, sizeof(p), "%s/moving.tgz", dir);
	T_EQ_INT(make_tar(p, m, 1), 0);
	T_EQ_INT(fwt_archive_open(ctx, &a, p), FWT_OK);
	T_EQ_INT(fwt_archive_next(a, &e), FWT_OK);
	put(p, "trailing junk", "a");
	while ((err = fwt_archive_next(a, &e)) == FWT_OK && e)
		;
	T_EQ_INT(err, FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "changed while it was being read") != NULL);
	fwt_archive_free(a);
}

static void manifest_of(const char *path, int version, int follow, fwt_err want, char *names, size_t n)
{
	fwt_manifest_options o = FWT_MANIFEST_OPTIONS_INIT;
	fwt_manifest *mf = NULL;
	size_t i, used = 0;

	o.version = (unsigned)version;
	o.follow = follow;
	names[0] = '\0';
	T_EQ_INT(fwt_manifest_build(ctx, &mf, path, &o), want);
	for (i = 0; i < fwt_manifest_count(mf); i++)
		used += (size_t)snprintf(names + used, n - used, "%s%s", i ? " " : "", fwt_manifest_name(mf, i));
	fwt_manifest_free(mf);
}

/* RELIABILITY O7: a symbolic link given as the folder or archive is refused
 * unless followed (with or without a trailing slash); followed, the
 * manifest is the real one, named after the real folder; links inside a
 * folder stay unfollowed either way. */
static void test_manifest_symlinked_path(void)
{
	struct member m[] = { { "t/x.bin", "x", NULL, NULL } };
	char d[512], l[512], p[512], q[512], names[512];
	fwt_manifest *mf;

	snprintf(d, sizeof(d), "%s/realdir", dir);
	T_EQ_INT(mkdir(d, 0755), 0);
	snprintf(p, sizeof(p), "%s/a.bin", d);
	put(p, "a", "w");
	snprintf(q, sizeof(q), "%s/inner-link", d);
	T_EQ_INT(symlink(p, q), 0);
	snprintf(l, sizeof(l), "%s/dirlink", dir);
	T_EQ_INT(symlink(d, l), 0);
	manifest_of(l, FWT_MANIFEST_OPTIONS_VERSION, 0, FWT_EINVAL, names, sizeof(names));
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is a symbolic link (not followed)") != NULL);
	T_EQ_INT(fwt_manifest_build(ctx, &mf, l, NULL), FWT_EINVAL);
	T_ASSERT(mf == NULL);
	snprintf(p, sizeof(p), "%s/dirlink//", dir);
	manifest_of(p, FWT_MANIFEST_OPTIONS_VERSION, 0, FWT_EINVAL, names, sizeof(names));
	manifest_of(d, FWT_MANIFEST_OPTIONS_VERSION, 0, FWT_OK, names, sizeof(names));
	T_EQ_STR(names, "realdir/a.bin");
	manifest_of(l, FWT_MANIFEST_OPTIONS_VERSION, 1, FWT_OK, names, sizeof(names));
	T_EQ_STR(names, "realdir/a.bin");
	manifest_of(p, FWT_MANIFEST_OPTIONS_VERSION, 1, FWT_OK, names, sizeof(names));
	T_EQ_STR(names, "realdir/a.bin");
	/* version 1 callers keep the old behaviour: followed */
	manifest_of(l, 1, 0, FWT_OK, names, sizeof(names));
	T_EQ_STR(names, "realdir/a.bin");
	manifest_of(l, 3, 1, FWT_EINVAL, names, sizeof(names));
	/* an archive through a link */
	snprintf(p, sizeof(p), "%s/real.tgz", dir);
	T_EQ_INT(make_tar(p, m, 1), 0);
	snprintf(l, sizeof(l), "%s/tgzlink", dir);
	T_EQ_INT(symlink(p, l), 0);
	manifest_of(l, FWT_MANIFEST_OPTIONS_VERSION, 0, FWT_EINVAL, names, sizeof(names));
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "tgzlink' is a symbolic link (not followed)") != NULL);
	manifest_of(l, FWT_MANIFEST_OPTIONS_VERSION, 1, FWT_OK, names, sizeof(names));
	T_EQ_STR(names, "t/x.bin");
	/* a dangling link is a symbolic link too, and a missing path I/O */
	snprintf(l, sizeof(l), "%s/dangling", dir);
	T_EQ_INT(symlink("/nonexistent/fwtrail", l), 0);
	manifest_of(l, FWT_MANIFEST_OPTIONS_VERSION, 0, FWT_EINVAL, names, sizeof(names));
	manifest_of(l, FWT_MANIFEST_OPTIONS_VERSION, 1, FWT_EIO, names, sizeof(names));
}

int main(void)
{
	char cmd[300];

	snprintf(dir, sizeof(dir), "/tmp/fwt-archive-test.XXXXXX");
	if (!mkdtemp(dir) || fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 2;
	T_RUN(test_walk_tar);
	T_RUN(test_manifest_hardlink_and_strip);
	T_RUN(test_manifest_duplicate);
	T_RUN(test_serialise_like_python);
	T_RUN(test_not_an_archive);
	T_RUN(test_truncated_archive);
	T_RUN(test_folder_names);
	T_RUN(test_changed_while_read);
	T_RUN(test_manifest_symlinked_path);
	fwt_ctx_free(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return t_done();
}
