/* SPDX-License-Identifier: Apache-2.0 */
/* io_test.c - bounded readers and the atomic writer. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fwtrail/fwtrail.h>
#include "internal.h"
#include "t.h"

static fwt_ctx *ctx;
static char dir[256];

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void put(const char *name, const char *content)
{
	char p[512];
	FILE *f;

	path_in(p, sizeof(p), name);
	f = fopen(p, "wb");
	fputs(content, f);
	fclose(f);
}

/* Entries in dir other than those given (temporary files left behind). */
static int stray_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)) != NULL)
		if (!strncmp(de->d_name, ".fwtrail-tmp-", 13))
			n++;
	closedir(d);
	return n;
}

static void test_memory_reader(void)
{
	fwt_reader *r;
	unsigned char buf[8];
	size_t got;

	T_EQ_INT(fwt_reader_from_memory(ctx, &r, "abcdef", 6, "mem"), FWT_OK);
	T_EQ_INT(fwt_reader_size(r), 6);
	T_EQ_INT(fwt_reader_read(r, buf, 4, &got), FWT_OK);
	T_EQ_INT(got, 4);
	T_EQ_INT(fwt_reader_read(r, buf, 8, &got), FWT_OK);
	T_EQ_INT(got, 2);
	T_EQ_MEM(buf, "ef", 2);
	T_EQ_INT(fwt_reader_read(r, buf, 8, &got), FWT_OK);
	T_EQ_INT(got, 0);
	T_EQ_INT(fwt_reader_offset(r), 6);
	fwt_reader_free(r);
}

static void test_read_all_cap(void)
{
	char p[512];
	unsigned char *buf;
	size_t len;

	put("ten", "0123456789");
	path_in(p, sizeof(p), "ten");
	T_EQ_INT(fwt_read_file(ctx, p, 10, &buf, &len), FWT_OK);
	T_EQ_INT(len, 10);
	T_ASSERT(buf[10] == '\0');
	free(buf);
	T_EQ_INT(fwt_read_file(ctx, p, 9, &buf, &len), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "larger than 9 bytes") != NULL);
	T_ASSERT(buf == NULL);
}

/* a pipe has no size: the cap must still hold without buffering it all */
static ssize_t endless(void *payload, void *buf, size_t len)
{
	(void)payload;
	memset(buf, 'x', len);
	return (ssize_t)len;
}

/* cap SIZE_MAX is no cap: the data comes back (it looped for ever once,
 * cap + 1 wrapping to 0) */
static void test_read_all_no_cap(void)
{
	fwt_reader *r = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	char p[512];

	T_EQ_INT(fwt_reader_from_memory(ctx, &r, "abc", 3, "m"), FWT_OK);
	T_EQ_INT(fwt_reader_read_all(r, SIZE_MAX, &buf, &len), FWT_OK);
	T_EQ_INT(len, 3);
	T_EQ_MEM(buf, "abc", 3);
	free(buf);
	fwt_reader_free(r);
	put("nocap", "hello\n");
	path_in(p, sizeof(p), "nocap");
	T_EQ_INT(fwt_read_file(ctx, p, SIZE_MAX, &buf, &len), FWT_OK);
	T_EQ_INT(len, 6);
	free(buf);
	T_EQ_INT(fwt_read_file(ctx, "/dev/null", SIZE_MAX, &buf, &len), FWT_OK);
	T_EQ_INT(len, 0);
	free(buf);
}

static void test_read_all_stream_cap(void)
{
	fwt_reader *r;
	unsigned char *buf;
	size_t len;

	T_EQ_INT(fwt_reader_from_callback(ctx, &r, endless, NULL, "endless"), FWT_OK);
	T_EQ_INT(fwt_reader_size(r), -1);
	T_EQ_INT(fwt_reader_read_all(r, 100000, &buf, &len), FWT_EFORMAT);
	T_ASSERT(fwt_reader_offset(r) <= 200001);
	fwt_reader_free(r);
}

static void test_open_errors(void)
{
	fwt_reader *r;
	char p[512], l[512];

	path_in(p, sizeof(p), "missing");
	T_EQ_INT(fwt_reader_open_file(ctx, &r, p, 1), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "No such file") != NULL);
	T_EQ_INT(fwt_reader_open_file(ctx, &r, dir, 1), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is a folder") != NULL);
	put("target", "t");
	path_in(p, sizeof(p), "target");
	path_in(l, sizeof(l), "link");
	T_ASSERT(symlink(p, l) == 0);
	T_EQ_INT(fwt_reader_open_file(ctx, &r, l, 0), FWT_EINVAL);
	T_EQ_INT(fwt_reader_open_file(ctx, &r, l, 1), FWT_OK);
	fwt_reader_free(r);
}

/* fwt_read_file follows a link at the path; fwt_read_file_follow only when
 * asked (RELIABILITY O7), and a refusal hands nothing back. */
static void test_read_file_follow(void)
{
	char p[512], l[512];
	unsigned char *buf = (unsigned char *)"stale";
	size_t len = 99;

	put("real", "content");
	path_in(p, sizeof(p), "real");
	path_in(l, sizeof(l), "real-link");
	T_ASSERT(symlink(p, l) == 0);
	T_EQ_INT(fwt_read_file_follow(ctx, l, 100, 0, &buf, &len), FWT_EINVAL);
	T_ASSERT(buf == NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is a symbolic link (not followed without --follow-symlinks)") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), l) != NULL);
	T_EQ_INT(fwt_read_file_follow(ctx, l, 100, 1, &buf, &len), FWT_OK);
	T_EQ_INT(len, 7);
	T_EQ_MEM(buf, "content", 7);
	free(buf);
	T_EQ_INT(fwt_read_file_follow(ctx, p, 100, 0, &buf, &len), FWT_OK);
	T_EQ_INT(len, 7);
	free(buf);
	T_EQ_INT(fwt_read_file(ctx, l, 100, &buf, &len), FWT_OK);
	T_EQ_INT(len, 7);
	free(buf);
	/* the cap and a folder still hold without following */
	T_EQ_INT(fwt_read_file_follow(ctx, p, 6, 0, &buf, &len), FWT_EFORMAT);
	T_ASSERT(buf == NULL);
	T_EQ_INT(fwt_read_file_follow(ctx, dir, 100, 0, &buf, &len), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is a folder") != NULL);
}

/* fwt__open_regular: a FIFO (with no writer) and a folder are refused at
 * once on the open descriptor, a link to a regular file is followed. */
static void test_open_regular(void)
{
	char p[512], f[512], l[512], m[512];
	char b[8];
	int fd;

	put("plain", "abc");
	path_in(p, sizeof(p), "plain");
	path_in(f, sizeof(f), "regular-fifo");
	path_in(l, sizeof(l), "regular-fifo-link");
	path_in(m, sizeof(m), "missing");
	T_ASSERT(mkfifo(f, 0600) == 0);
	T_ASSERT(symlink(f, l) == 0);
	fd = fwt__open_regular(p);
	T_ASSERT(fd >= 0);
	T_ASSERT(!(fcntl(fd, F_GETFL) & O_NONBLOCK)); /* reads block as usual */
	T_EQ_INT(read(fd, b, sizeof(b)), 3);
	close(fd);
	T_EQ_INT(fwt__open_regular(f), -2);
	T_EQ_INT(fwt__open_regular(l), -2);
	T_EQ_INT(fwt__open_regular(dir), -2);
	errno = 0;
	T_EQ_INT(fwt__open_regular(m), -1);
	T_EQ_INT(errno, ENOENT);
}

static void test_changed_while_read(void)
{
	fwt_reader *r;
	unsigned char buf[4];
	size_t got;
	char p[512];
	FILE *f;

	put("changing", "abcd");
	path_in(p, sizeof(p), "changing");
	T_EQ_INT(fwt_reader_open_file(ctx, &r, p, 1), FWT_OK);
	T_EQ_INT(fwt_reader_read(r, buf, 4, &got), FWT_OK);
	f = fopen(p, "ab");
	fputs("more", f);
	fclose(f);
	T_EQ_INT(fwt_reader_check_unchanged(r), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "changed while it was being read") != NULL);
	fwt_reader_free(r);
}

static void test_writer_commit(void)
{
	char p[512], *c;
	size_t len;
	struct stat st;

	path_in(p, sizeof(p), "out.txt");
	T_EQ_INT(fwt_write_file(ctx, p, "hello", 5, NULL), FWT_OK);
	T_EQ_INT(fwt_read_file(ctx, p, 100, (unsigned char **)&c, &len), FWT_OK);
	T_EQ_STR(c, "hello");
	free(c);
	T_ASSERT(stat(p, &st) == 0 && (st.st_mode & 0777) == (0666 & ~022u));
	T_EQ_INT(stray_files(), 0);
}

static void test_writer_refuses_existing(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	char p[512], *c;
	size_t len;

	put("exists", "old");
	path_in(p, sizeof(p), "exists");
	T_EQ_INT(fwt_write_file(ctx, p, "new", 3, NULL), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "already exists") != NULL);
	o.force = 1;
	T_EQ_INT(fwt_write_file(ctx, p, "new", 3, &o), FWT_OK);
	T_EQ_INT(fwt_read_file(ctx, p, 100, (unsigned char **)&c, &len), FWT_OK);
	T_EQ_STR(c, "new");
	free(c);
	T_EQ_INT(stray_files(), 0);
}

/* A file replaced with force keeps its permission bits, not its set-id
 * bits; a new file, or a symbolic link replaced, gets 0666 & ~umask; an
 * explicit mode wins. */
static void test_writer_force_keeps_mode(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	char p[512], q[512];
	struct stat st;

	o.force = 1;
	put("kept", "old");
	path_in(p, sizeof(p), "kept");
	T_ASSERT(chmod(p, 0640) == 0);
	T_EQ_INT(fwt_write_file(ctx, p, "new", 3, &o), FWT_OK);
	T_ASSERT(stat(p, &st) == 0 && (st.st_mode & 07777) == 0640);
	T_ASSERT(chmod(p, 04750) == 0);
	T_EQ_INT(fwt_write_file(ctx, p, "newer", 5, &o), FWT_OK);
	T_ASSERT(stat(p, &st) == 0 && (st.st_mode & 07777) == 0750);
	/* its group too (root here can give any) */
	T_ASSERT(chown(p, (uid_t)-1, 12345) == 0 || geteuid() != 0);
	T_ASSERT(stat(p, &st) == 0);
	{
		gid_t g = st.st_gid;
		T_EQ_INT(fwt_write_file(ctx, p, "again", 5, &o), FWT_OK);
		T_ASSERT(stat(p, &st) == 0 && st.st_gid == g && (st.st_mode & 07777) == 0750);
	}
	o.mode = 0600;
	T_EQ_INT(fwt_write_file(ctx, p, "newest", 6, &o), FWT_OK);
	T_ASSERT(stat(p, &st) == 0 && (st.st_mode & 07777) == 0600);
	o.mode = 0;
	/* a link replaced: its target's bits are not the link's */
	path_in(q, sizeof(q), "kept.link");
	T_ASSERT(symlink(p, q) == 0);
	T_EQ_INT(fwt_write_file(ctx, q, "x", 1, &o), FWT_OK);
	T_ASSERT(lstat(q, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == (0666 & ~022u));
	T_ASSERT(unlink(q) == 0 && unlink(p) == 0);
	T_EQ_INT(stray_files(), 0);
}

static void test_writer_abort_leaves_old(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	fwt_writer *w;
	char p[512], *c;
	size_t len;

	put("keep", "old content");
	path_in(p, sizeof(p), "keep");
	o.force = 1;
	T_EQ_INT(fwt_writer_open(ctx, &w, p, &o), FWT_OK);
	/* an unnamed file (O_TMPFILE) where the filesystem has them, else a
	 * named temporary one */
	T_ASSERT(stray_files() <= 1);
	T_EQ_INT(fwt_writer_write(w, "partial", 7), FWT_OK);
	fwt_writer_free(w); /* failure path: no commit */
	T_EQ_INT(stray_files(), 0);
	T_EQ_INT(fwt_read_file(ctx, p, 100, (unsigned char **)&c, &len), FWT_OK);
	T_EQ_STR(c, "old content");
	free(c);
}

/* The batch protocol: sealed files keep their temporary names (final mode
 * already set) until commit; a sealed writer freed instead leaves nothing. */
static void test_writer_seal_batch(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	fwt_writer *a, *b;
	char pa[512], pb[512], *c;
	struct stat st;
	size_t len;
	int dfd;

	path_in(pa, sizeof(pa), "sealed-a");
	path_in(pb, sizeof(pb), "sealed-b");
	o.mode = 0640;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	T_ASSERT(dfd >= 0);
	T_EQ_INT(fwt_writer_open(ctx, &a, pa, &o), FWT_OK);
	T_EQ_INT(fwt_writer_open(ctx, &b, pb, &o), FWT_OK);
	T_EQ_INT(fwt_writer_write(a, "first", 5), FWT_OK);
	T_EQ_INT(fwt_writer_write(b, "second", 6), FWT_OK);
	T_EQ_INT(fwt_writer_seal(a), FWT_OK);
	T_EQ_INT(fwt_writer_seal(a), FWT_OK); /* twice is harmless */
	T_EQ_INT(fwt_writer_seal(b), FWT_OK);
	T_EQ_INT(fwt_writer_write(a, "more", 4), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "already sealed") != NULL);
	T_EQ_INT(stray_files(), 2);
	T_ASSERT(stat(pa, &st) != 0 && errno == ENOENT); /* not visible before commit */
	T_EQ_INT(fwt_fs_sync(ctx, dfd, dir), FWT_OK);
	T_EQ_INT(fwt_writer_commit(a), FWT_OK);
	fwt_writer_free(b); /* the batch failed after b was sealed */
	T_EQ_INT(stray_files(), 0);
	T_EQ_INT(fwt_dir_sync(ctx, pa), FWT_OK);
	T_EQ_INT(fwt_read_file(ctx, pa, 100, (unsigned char **)&c, &len), FWT_OK);
	T_EQ_STR(c, "first");
	free(c);
	T_ASSERT(stat(pa, &st) == 0 && (st.st_mode & 0777) == 0640);
	T_ASSERT(stat(pb, &st) != 0 && errno == ENOENT);
	close(dfd);
	/* a descriptor that is not open is an error with the folder's name */
	T_EQ_INT(fwt_fs_sync(ctx, dfd, dir), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "cannot sync the file system of") != NULL);
	T_EQ_INT(fwt_writer_seal(NULL), FWT_EINVAL);
}

static void test_writer_write_error(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	fwt_writer *w;

	/* /dev/full cannot be a writer target (not a regular file) */
	o.force = 1;
	T_EQ_INT(fwt_writer_open(ctx, &w, "/dev/full", &o), FWT_EINVAL);
	/* an unwritable folder */
	T_EQ_INT(fwt_writer_open(ctx, &w, "/proc/fwtrail-no/out", &o), FWT_EIO);
}

static void test_writer_refuses_inputs(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	fwt_reader *r;
	char p[512], hl[512], sl[512], dotted[600], *c;
	size_t len;

	put("input.bin", "firmware");
	path_in(p, sizeof(p), "input.bin");
	T_EQ_INT(fwt_reader_open_file(ctx, &r, p, 1), FWT_OK);
	fwt_reader_free(r);
	o.force = 1;
	T_EQ_INT(fwt_write_file(ctx, p, "sig", 3, &o), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "one of the inputs") != NULL);
	/* another spelling, a hard link and a symbolic link */
	snprintf(dotted, sizeof(dotted), "%s/./input.bin", dir);
	T_EQ_INT(fwt_write_file(ctx, dotted, "sig", 3, &o), FWT_EINVAL);
	path_in(hl, sizeof(hl), "hard.bin");
	T_ASSERT(link(p, hl) == 0);
	T_EQ_INT(fwt_write_file(ctx, hl, "sig", 3, &o), FWT_EINVAL);
	path_in(sl, sizeof(sl), "soft.bin");
	T_ASSERT(symlink(p, sl) == 0);
	T_EQ_INT(fwt_write_file(ctx, sl, "sig", 3, &o), FWT_EINVAL);
	T_EQ_INT(fwt_read_file(ctx, p, 100, (unsigned char **)&c, &len), FWT_OK);
	T_EQ_STR(c, "firmware");
	free(c);
	T_EQ_INT(stray_files(), 0);
}

/* A regular file given as a descriptor (standard input redirected from
 * it) is an input as much as one opened by name; a pipe has no name to
 * protect and records nothing. */
static void test_writer_refuses_fd_inputs(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	fwt_reader *r;
	fwt_ctx *c;
	char p[512], other[512], *buf;
	size_t len;
	int fd, pfd[2];

	T_ASSERT(fwt_ctx_new(&c, NULL) == FWT_OK);
	put("stdin.bin", "firmware");
	path_in(p, sizeof(p), "stdin.bin");
	path_in(other, sizeof(other), "other.bin");
	fd = open(p, O_RDONLY);
	T_ASSERT(fd >= 0);
	T_EQ_INT(fwt_reader_from_fd(c, &r, fd, "-"), FWT_OK);
	fwt_reader_free(r);
	close(fd);
	o.force = 1;
	T_EQ_INT(fwt_write_file(c, p, "sig", 3, &o), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(c), "stdin.bin': it is one of the inputs") != NULL);
	T_EQ_INT(fwt_read_file(c, p, 100, (unsigned char **)&buf, &len), FWT_OK);
	T_EQ_STR(buf, "firmware");
	free(buf);
	/* a pipe: nothing recorded, other files are written as before */
	T_ASSERT(pipe(pfd) == 0);
	T_EQ_INT(fwt_reader_from_fd(c, &r, pfd[0], "-"), FWT_OK);
	fwt_reader_free(r);
	close(pfd[0]);
	close(pfd[1]);
	T_EQ_INT(fwt_write_file(c, other, "sig", 3, &o), FWT_OK);
	/* an output descriptor on the input (>> stdin.bin) is refused, one on
	 * another file or a pipe is not */
	fd = open(p, O_WRONLY | O_APPEND);
	T_EQ_INT(fwt_ctx_check_output_fd(c, fd, "standard output"), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(c), "refusing to write standard output: it is one of the inputs") != NULL);
	close(fd);
	fd = open(other, O_WRONLY | O_APPEND);
	T_EQ_INT(fwt_ctx_check_output_fd(c, fd, "standard output"), FWT_OK);
	close(fd);
	T_ASSERT(pipe(pfd) == 0);
	T_EQ_INT(fwt_ctx_check_output_fd(c, pfd[1], "standard output"), FWT_OK);
	close(pfd[0]);
	close(pfd[1]);
	/* and a context of none (a fuzzer's) wraps a file without failing */
	fd = open(p, O_RDONLY);
	T_EQ_INT(fwt_reader_from_fd(NULL, &r, fd, "-"), FWT_OK);
	fwt_reader_free(r);
	close(fd);
	fwt_ctx_free(c);
	T_EQ_INT(stray_files(), 0);
}

static void test_writer_replaces_symlink_not_target(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	char victim[512], l[512], *c;
	size_t len;
	struct stat st;

	put("victim", "precious");
	path_in(victim, sizeof(victim), "victim");
	path_in(l, sizeof(l), "out.sig");
	T_ASSERT(symlink(victim, l) == 0);
	o.force = 1;
	T_EQ_INT(fwt_write_file(ctx, l, "sig", 3, &o), FWT_OK);
	T_ASSERT(lstat(l, &st) == 0 && S_ISREG(st.st_mode));
	T_EQ_INT(fwt_read_file(ctx, victim, 100, (unsigned char **)&c, &len), FWT_OK);
	T_EQ_STR(c, "precious");
	free(c);
}

/* A link to a pipe or a device (/dev/stdout is one) is not a file to
 * replace: refused with or without force, suggesting -o -, and left as it
 * is.  A link to a regular file is still replaced as a link. */
static void test_writer_refuses_link_to_stream(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	fwt_writer *w = NULL;
	char fifo[512], l[512], nl[512], dl[512];
	struct stat st;
	int force;

	path_in(fifo, sizeof(fifo), "fifo");
	path_in(l, sizeof(l), "to-fifo");
	path_in(nl, sizeof(nl), "to-null");
	path_in(dl, sizeof(dl), "to-dir");
	T_ASSERT(mkfifo(fifo, 0600) == 0);
	T_ASSERT(symlink(fifo, l) == 0);
	T_ASSERT(symlink("/dev/null", nl) == 0);
	T_ASSERT(symlink(dir, dl) == 0);
	for (force = 0; force < 2; force++) {
		o.force = force;
		T_EQ_INT(fwt_writer_open(ctx, &w, l, &o), FWT_EINVAL);
		T_ASSERT(w == NULL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "it points to a pipe (use -o - for standard output)") != NULL);
		T_EQ_INT(fwt_writer_open(ctx, &w, nl, &o), FWT_EINVAL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "it points to '/dev/null', a stream or device, not a file to "
		                                     "replace (use -o - for standard output)") != NULL);
		T_EQ_INT(fwt_writer_check(ctx, nl, force), FWT_EINVAL);
		T_EQ_INT(fwt_writer_open(ctx, &w, dl, &o), FWT_EINVAL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "it points to a folder") != NULL);
		/* the stream itself, not through a link */
		T_EQ_INT(fwt_writer_open(ctx, &w, fifo, &o), FWT_EINVAL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "it is a pipe (use -o - for standard output)") != NULL);
		T_EQ_INT(fwt_writer_open(ctx, &w, "/dev/null", &o), FWT_EINVAL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "it is a character device") != NULL);
	}
	T_ASSERT(lstat(l, &st) == 0 && S_ISLNK(st.st_mode));
	T_ASSERT(lstat(nl, &st) == 0 && S_ISLNK(st.st_mode));
	T_ASSERT(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	T_EQ_INT(stray_files(), 0);
	unlink(l);
	unlink(nl);
	unlink(dl);
	unlink(fifo);
}

/* A link into /proc or /dev stands for whatever a descriptor is open on
 * (/proc/self/fd/N, /dev/fd/N, /dev/stdout), a regular file too: refused
 * with or without force, through a chain of links as well, and left as it
 * is.  So is a link to the file fwt_ctx_set_stdout_fd named; a link to
 * another regular file is still replaced as a link, its target kept. */
static void test_writer_refuses_magic_links(void)
{
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	fwt_writer *w = NULL;
	char file[512], fdl[512], chain[512], devfd[512], shm[512], same[512], other[512], procfd[64], *c;
	const char *links[] = { fdl, chain, devfd, shm };
	struct stat st;
	size_t i, len;
	int fd, force;

	put("stdout-file", "what stdout got");
	put("other-file", "kept");
	path_in(file, sizeof(file), "stdout-file");
	path_in(other, sizeof(other), "to-other");
	fd = open(file, O_WRONLY | O_APPEND | O_CLOEXEC);
	T_ASSERT(fd >= 0);
	/* a regular file behind the magic link: it is not the link's to replace */
	snprintf(procfd, sizeof(procfd), "/proc/self/fd/%d", fd);
	path_in(fdl, sizeof(fdl), "to-proc-fd");
	path_in(chain, sizeof(chain), "to-to-proc-fd");
	path_in(devfd, sizeof(devfd), "to-dev-fd");
	path_in(shm, sizeof(shm), "to-dev-shm");
	path_in(same, sizeof(same), "to-stdout-file");
	T_ASSERT(symlink(procfd, fdl) == 0);
	T_ASSERT(symlink("to-proc-fd", chain) == 0); /* relative, one more hop */
	T_ASSERT(symlink("/dev/fd/0", devfd) == 0);
	T_ASSERT(symlink("/dev/shm/fwtrail-no-such-file", shm) == 0);
	T_ASSERT(symlink("stdout-file", same) == 0);
	T_ASSERT(symlink("other-file", other) == 0);
	T_EQ_INT(fwt_ctx_set_stdout_fd(ctx, fd), FWT_OK);
	for (force = 0; force < 2; force++) {
		o.force = force;
		for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
			T_EQ_INT(fwt_writer_open(ctx, &w, links[i], &o), FWT_EINVAL);
			T_ASSERT(w == NULL);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "a stream or device, not a file to replace (use -o - for "
			                                     "standard output)") != NULL);
			T_EQ_INT(fwt_writer_check(ctx, links[i], force), FWT_EINVAL);
			T_ASSERT(lstat(links[i], &st) == 0 && S_ISLNK(st.st_mode));
		}
		T_EQ_INT(fwt_writer_open(ctx, &w, same, &o), FWT_EINVAL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "it points to 'stdout-file', the file standard output goes to (use "
		                                     "-o - for standard output)") != NULL);
	}
	T_ASSERT(lstat(same, &st) == 0 && S_ISLNK(st.st_mode));
	/* the file standard output went to is no longer it: replaced as a link */
	T_EQ_INT(fwt_ctx_set_stdout_fd(ctx, -1), FWT_OK);
	o.force = 1;
	T_EQ_INT(fwt_write_file(ctx, same, "sig", 3, &o), FWT_OK);
	T_ASSERT(lstat(same, &st) == 0 && S_ISREG(st.st_mode));
	T_EQ_INT(fwt_write_file(ctx, other, "sig", 3, &o), FWT_OK);
	T_ASSERT(lstat(other, &st) == 0 && S_ISREG(st.st_mode));
	T_EQ_INT(fwt_read_file(ctx, file, 100, (unsigned char **)&c, &len), FWT_OK);
	T_EQ_STR(c, "what stdout got");
	free(c);
	close(fd);
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		unlink(links[i]);
	unlink(same);
	unlink(other);
	unlink(file);
	path_in(file, sizeof(file), "other-file");
	unlink(file);
	T_EQ_INT(stray_files(), 0);
}

/* A name ending in '/' is a folder when one exists, and otherwise a file
 * name that must not end in '/' (not "is a folder" for a missing one). */
static void test_writer_trailing_slash(void)
{
	fwt_writer *w = NULL;
	char p[512];

	path_in(p, sizeof(p), "newdir/");
	T_EQ_INT(fwt_writer_open(ctx, &w, p, NULL), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "a file name must not end in '/'") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is a folder") == NULL);
	T_EQ_INT(fwt_writer_check(ctx, p, 1), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "a file name must not end in '/'") != NULL);
	snprintf(p, sizeof(p), "%s/", dir);
	T_EQ_INT(fwt_writer_open(ctx, &w, p, NULL), FWT_EINVAL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is a folder") != NULL);
	T_ASSERT(w == NULL);
	T_EQ_INT(stray_files(), 0);
}

static void count_warnings(void *payload, fwt_log_level level, const char *msg)
{
	if (level == FWT_LOG_WARN && strstr(msg, "writable by anyone"))
		++*(int *)payload;
}

/* O7: a folder anyone may write to, without the sticky bit, is warned about
 * (another user could replace what was written); a sticky one is not. */
static void test_writer_warns_open_folder(void)
{
	fwt_ctx_options co = FWT_CTX_OPTIONS_INIT;
	fwt_writer_options o = FWT_WRITER_OPTIONS_INIT;
	fwt_ctx *c = NULL;
	char d[512], p[600];
	int warned = 0;

	co.log = count_warnings;
	co.log_payload = &warned;
	T_EQ_INT(fwt_ctx_new(&c, &co), FWT_OK);
	path_in(d, sizeof(d), "open");
	T_EQ_INT(mkdir(d, 0700), 0);
	T_EQ_INT(chmod(d, 0777), 0);
	snprintf(p, sizeof(p), "%s/a.sig", d);
	T_EQ_INT(fwt_write_file(c, p, "sig", 3, &o), FWT_OK);
	T_EQ_INT(warned, 1);
	T_EQ_INT(chmod(d, 01777), 0);
	snprintf(p, sizeof(p), "%s/b.sig", d);
	T_EQ_INT(fwt_write_file(c, p, "sig", 3, &o), FWT_OK);
	T_EQ_INT(warned, 1);
	fwt_ctx_free(c);
}

static volatile int stop_flag;

static void *raise_flag(void *arg)
{
	struct timespec ts = { 0, 150 * 1000 * 1000 };

	(void)arg;
	nanosleep(&ts, NULL);
	stop_flag = 1;
	return NULL;
}

/* A pipe whose writer stays open but silent: the read gives up once the
 * flag is set (and not before: the first bytes arrive); a regular file is
 * read whatever the flag says. */
static void test_reader_cancel(void)
{
	char buf[64], path[300];
	fwt_reader *r;
	pthread_t t;
	size_t got = 99;
	int p[2], fd;

	T_ASSERT(pipe(p) == 0);
	T_ASSERT(write(p[1], "abc", 3) == 3);
	stop_flag = 0;
	T_EQ_INT(fwt_reader_from_fd(ctx, &r, p[0], "pipe"), FWT_OK);
	fwt_reader_set_cancel(r, &stop_flag);
	T_ASSERT(pthread_create(&t, NULL, raise_flag, NULL) == 0);
	T_EQ_INT(fwt_reader_read(r, buf, sizeof(buf), &got), FWT_EIO);
	pthread_join(t, NULL);
	T_EQ_INT(got, 3);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "interrupted");
	fwt_reader_free(r);
	close(p[0]);
	close(p[1]);

	snprintf(path, sizeof(path), "%s/cancel.txt", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	T_ASSERT(fd >= 0 && write(fd, "regular", 7) == 7 && close(fd) == 0);
	stop_flag = 1;
	T_EQ_INT(fwt_reader_open_file(ctx, &r, path, 0), FWT_OK);
	fwt_reader_set_cancel(r, &stop_flag);
	T_EQ_INT(fwt_reader_read(r, buf, sizeof(buf), &got), FWT_OK);
	T_EQ_INT(got, 7);
	fwt_reader_free(r);
}

static volatile int race_stop;

static void *open_writers(void *arg)
{
	fwt_ctx *c;
	fwt_writer *w;

	if (fwt_ctx_new(&c, NULL) != FWT_OK)
		return NULL;
	while (!race_stop)
		if (fwt_writer_open(c, &w, (const char *)arg, NULL) == FWT_OK)
			fwt_writer_free(w);
	fwt_ctx_free(c);
	return NULL;
}

/* The writer learns the umask without setting it: a caller's thread that
 * creates its own files meanwhile always gets the caller's umask. */
static void test_writer_leaves_umask_alone(void)
{
	char p[512], q[512];
	pthread_t t;
	struct stat st;
	int i, fd, wrong = 0;

	path_in(p, sizeof(p), "race.out");
	path_in(q, sizeof(q), "caller.out");
	umask(077);
	T_EQ_INT(fwt_write_file(ctx, p, "x", 1, NULL), FWT_OK);
	T_ASSERT(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
	T_ASSERT(unlink(p) == 0);
	race_stop = 0;
	T_ASSERT(pthread_create(&t, NULL, open_writers, p) == 0);
	for (i = 0; i < 20000; i++) {
		fd = open(q, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
		if (fd < 0 || fstat(fd, &st) != 0) {
			wrong++;
			break;
		}
		wrong += (st.st_mode & 0777) != 0600;
		close(fd);
		unlink(q);
	}
	race_stop = 1;
	pthread_join(t, NULL);
	umask(022);
	T_EQ_INT(wrong, 0);
	T_EQ_INT(stray_files(), 0);
}

/* fwt_read_fd: a pipe read to its end, capped, the descriptor left open. */
static void test_read_fd(void)
{
	unsigned char *b = NULL;
	size_t n = 0;
	int p[2];

	T_ASSERT(pipe(p) == 0);
	T_ASSERT(write(p[1], "hello", 5) == 5);
	close(p[1]);
	T_EQ_INT(fwt_read_fd(ctx, p[0], "-", 5, &b, &n), FWT_OK);
	T_EQ_INT(n, 5);
	T_EQ_MEM(b, "hello", 5);
	T_EQ_INT(b[5], 0);
	free(b);
	T_ASSERT(fcntl(p[0], F_GETFD) != -1);
	close(p[0]);
	T_ASSERT(pipe(p) == 0);
	T_ASSERT(write(p[1], "hello!", 6) == 6);
	close(p[1]);
	b = (unsigned char *)"x";
	T_EQ_INT(fwt_read_fd(ctx, p[0], "-", 5, &b, &n), FWT_EFORMAT);
	T_ASSERT(b == NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "larger than 5 bytes") != NULL);
	close(p[0]);
	T_EQ_INT(fwt_read_fd(ctx, -1, "-", 5, &b, &n), FWT_EINVAL);
}

/* Library red team (stop 36): a read callback that returned more than
 * the room it was given made fwt_reader_read_all write past its buffer;
 * one that failed without errno said "Success". */
static ssize_t cb_too_many(void *payload, void *buf, size_t len)
{
	(void)payload;
	memset(buf, 'x', len);
	return (ssize_t)len + 100;
}

static ssize_t cb_fail_quietly(void *payload, void *buf, size_t len)
{
	(void)payload;
	(void)buf;
	(void)len;
	errno = 0;
	return -1;
}

/* Files red team (stop 36): a dangling link at the output, without
 * force, was said to be a file that exists. */
static void test_writer_dangling_link_named(void)
{
	char l[512], want[700];
	fwt_ctx *c; /* its own: the shared one remembers inputs of earlier
	             * tests, deleted since, whose inode the link may get */

	T_EQ_INT(fwt_ctx_new(&c, NULL), FWT_OK);
	path_in(l, sizeof(l), "dangling.sig");
	T_EQ_INT(symlink("no-such-target", l), 0);
	T_EQ_INT(fwt_writer_check(c, l, 0), FWT_EINVAL);
	snprintf(want, sizeof(want), "'%s' already exists, a symbolic link to nothing (use --force to replace the "
	         "link)", l);
	T_EQ_STR(fwt_ctx_errmsg(c), want);
	T_EQ_INT(fwt_writer_check(c, l, 1), FWT_OK);
	unlink(l);
	fwt_ctx_free(c);
}

/* Review (stop 36): a digest of standard input read in part before was
 * taken for the file's; fwt_reader_check_whole says so. */
static void test_check_whole(void)
{
	char p[512];
	fwt_reader *r = NULL;
	unsigned char buf[64];
	size_t got;
	int fd;
	FILE *f;

	path_in(p, sizeof(p), "whole.bin");
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fputs("0123456789", f);
	fclose(f);
	fd = open(p, O_RDONLY);
	T_ASSERT(fd >= 0 && lseek(fd, 4, SEEK_SET) == 4);
	T_EQ_INT(fwt_reader_from_fd(ctx, &r, fd, "-"), FWT_OK);
	T_EQ_INT(fwt_reader_read(r, buf, sizeof(buf), &got), FWT_OK);
	T_EQ_INT(got, 6);
	T_EQ_INT(fwt_reader_check_whole(r), FWT_EINVAL);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "'-' was not read from its start: 6 of its 10 bytes were read (a descriptor "
	                              "positioned past its start)");
	fwt_reader_free(r);
	T_ASSERT(lseek(fd, 0, SEEK_SET) == 0);
	T_EQ_INT(fwt_reader_from_fd(ctx, &r, fd, "-"), FWT_OK);
	T_EQ_INT(fwt_reader_read(r, buf, sizeof(buf), &got), FWT_OK);
	T_EQ_INT(fwt_reader_check_whole(r), FWT_OK);
	fwt_reader_free(r);
	close(fd);
	unlink(p);
}

static void test_callback_counts(void)
{
	fwt_reader *r = NULL;
	unsigned char *all = NULL, small[8];
	size_t len = 0, got = 99;

	T_EQ_INT(fwt_reader_from_callback(ctx, &r, cb_too_many, NULL, "cb"), FWT_OK);
	T_EQ_INT(fwt_reader_read_all(r, 1 << 20, &all, &len), FWT_EIO);
	T_ASSERT(all == NULL && len == 0);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "cannot read 'cb': its read callback returned 65636 bytes for room for 65536");
	T_EQ_INT(fwt_reader_read(r, small, sizeof(small), &got), FWT_EIO);
	T_EQ_INT(got, 0);
	fwt_reader_free(r);
	T_EQ_INT(fwt_reader_from_callback(ctx, &r, cb_fail_quietly, NULL, "cb"), FWT_OK);
	T_EQ_INT(fwt_reader_read(r, small, sizeof(small), &got), FWT_EIO);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "cannot read 'cb': its read callback failed");
	fwt_reader_free(r);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fwt-io-test.XXXXXX");
	if (!mkdtemp(dir) || fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 2;
	umask(022);
	T_RUN(test_memory_reader);
	T_RUN(test_read_all_cap);
	T_RUN(test_read_all_stream_cap);
	T_RUN(test_read_all_no_cap);
	T_RUN(test_open_errors);
	T_RUN(test_read_file_follow);
	T_RUN(test_open_regular);
	T_RUN(test_changed_while_read);
	T_RUN(test_reader_cancel);
	T_RUN(test_writer_commit);
	T_RUN(test_writer_leaves_umask_alone);
	T_RUN(test_writer_refuses_existing);
	T_RUN(test_writer_abort_leaves_old);
	T_RUN(test_writer_force_keeps_mode);
	T_RUN(test_writer_seal_batch);
	T_RUN(test_writer_write_error);
	T_RUN(test_writer_refuses_inputs);
	T_RUN(test_writer_refuses_fd_inputs);
	T_RUN(test_writer_replaces_symlink_not_target);
	T_RUN(test_writer_refuses_link_to_stream);
	T_RUN(test_writer_refuses_magic_links);
	T_RUN(test_read_fd);
	T_RUN(test_writer_trailing_slash);
	T_RUN(test_writer_warns_open_folder);
	T_RUN(test_callback_counts);
	T_RUN(test_writer_dangling_link_named);
	T_RUN(test_check_whole);
	fwt_ctx_free(ctx);
	{
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", dir);
	}
	return t_done();
}
