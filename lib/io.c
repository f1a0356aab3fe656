/* SPDX-License-Identifier: Apache-2.0 */
/* io.c - bounded readers and the atomic writer. */
#define _GNU_SOURCE /* renameat2, O_TMPFILE, linkat */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fwtrail/io.h>
#include "internal.h"
#include "key_internal.h"
#include "banned.h"

struct fwt_reader {
	fwt_ctx *ctx;
	char *name;
	int fd;           /* -1 when not fd-backed */
	int own_fd;
	const unsigned char *mem;
	size_t memlen;
	fwt_read_fn fn;
	void *payload;
	struct stat st;   /* identity at open, when have_st */
	int have_st;
	uint64_t off;
	const volatile int *cancel; /* fwt_reader_set_cancel */
};

static fwt_err reader_alloc(fwt_ctx *ctx, fwt_reader **out, const char *name)
{
	fwt_reader *r;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return fwt__enomem(ctx);
	r->ctx = ctx;
	r->fd = -1;
	r->name = strdup(name ? name : "(input)");
	if (!r->name) {
		free(r);
		return fwt__enomem(ctx);
	}
	*out = r;
	return FWT_OK;
}

fwt_err fwt_reader_open_file(fwt_ctx *ctx, fwt_reader **out, const char *path, int follow)
{
	fwt_reader *r;
	fwt_err err;
	int fd, flags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
	char hidden[1024];
	const char *shown = path;

	if (!out || !path)
		return fwt__error(ctx, FWT_EINVAL, "no input path");
	*out = NULL;
	/* a key spec meant as a pkcs11: URI and taken for a file: the PIN
	 * in it appears in no message, nor in the reader's name */
	if (fwt__p11_has_pin_value(path)) {
		fwt__p11_hide_pin(hidden, sizeof(hidden), path);
		shown = hidden;
	}
	if (!follow)
		flags |= O_NOFOLLOW;
	fd = open(path, flags);
	if (fd < 0) {
		if (errno == ELOOP && !follow)
			return fwt__error(ctx, FWT_EINVAL, "'%s' is a symbolic link (not followed without "
			                  "--follow-symlinks)", shown);
		return fwt__error(ctx, FWT_EIO, "cannot open '%s': %s", shown, strerror(errno));
	}
	err = fwt_reader_from_fd(ctx, &r, fd, shown);
	if (err) {
		close(fd);
		return err;
	}
	r->own_fd = 1;
	if (r->have_st) {
		if (S_ISDIR(r->st.st_mode)) {
			fwt_reader_free(r);
			return fwt__error(ctx, FWT_EINVAL, "'%s' is a folder", shown);
		}
		if (!S_ISREG(r->st.st_mode) && !S_ISFIFO(r->st.st_mode) && !S_ISCHR(r->st.st_mode)) {
			fwt_reader_free(r);
			return fwt__error(ctx, FWT_EINVAL, "'%s' is not a regular file", shown);
		}
		if (S_ISREG(r->st.st_mode))
			(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	*out = r;
	return FWT_OK;
}

fwt_err fwt_reader_from_fd(fwt_ctx *ctx, fwt_reader **out, int fd, const char *name)
{
	fwt_reader *r;
	fwt_err err;

	if (!out || fd < 0) /* -1 would read as an empty memory reader */
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_reader_from_fd");
	err = reader_alloc(ctx, &r, name);
	if (err)
		return err;
	r->fd = fd;
	if (fstat(fd, &r->st) == 0)
		r->have_st = 1;
	/* a regular file is an input however it was opened (by name, or
	 * given as standard input): no writer on ctx may replace it */
	if (ctx && r->have_st && S_ISREG(r->st.st_mode)) {
		err = fwt__ctx_add_input_id(ctx, r->st.st_dev, r->st.st_ino);
		if (err) {
			fwt_reader_free(r);
			return err;
		}
	}
	*out = r;
	return FWT_OK;
}

fwt_err fwt_reader_from_memory(fwt_ctx *ctx, fwt_reader **out, const void *buf, size_t len,
                               const char *name)
{
	fwt_reader *r;
	fwt_err err;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_reader_from_memory");
	err = reader_alloc(ctx, &r, name);
	if (err)
		return err;
	r->mem = buf;
	r->memlen = len;
	*out = r;
	return FWT_OK;
}

fwt_err fwt_reader_from_callback(fwt_ctx *ctx, fwt_reader **out, fwt_read_fn fn, void *payload,
                                 const char *name)
{
	fwt_reader *r;
	fwt_err err;

	if (!out || !fn)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_reader_from_callback");
	err = reader_alloc(ctx, &r, name);
	if (err)
		return err;
	r->fn = fn;
	r->payload = payload;
	*out = r;
	return FWT_OK;
}

void fwt_reader_free(fwt_reader *r)
{
	if (!r)
		return;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	free(r->name);
	free(r);
}

const char *fwt_reader_name(const fwt_reader *r)
{
	return r ? r->name : "";
}

int64_t fwt_reader_size(const fwt_reader *r)
{
	if (!r)
		return -1;
	if (r->mem || (!r->fn && r->fd < 0))
		return (int64_t)r->memlen;
	if (r->have_st && S_ISREG(r->st.st_mode))
		return (int64_t)r->st.st_size;
	return -1;
}

uint64_t fwt_reader_offset(const fwt_reader *r)
{
	return r ? r->off : 0;
}

void fwt_reader_set_cancel(fwt_reader *r, const volatile int *flag)
{
	/* a regular file never keeps a read waiting */
	if (r && r->fd >= 0 && !(r->have_st && S_ISREG(r->st.st_mode)))
		r->cancel = flag;
}

/* Until r's descriptor has something to say (data, end, an error), looking
 * at the cancel flag at least every 200 ms: a signal that lands between
 * the look and the poll waits no longer than that. */
static fwt_err wait_readable(fwt_reader *r)
{
	struct pollfd pfd;
	int rc;

	for (;;) {
		if (*r->cancel)
			return fwt__error(r->ctx, FWT_EIO, "interrupted");
		pfd.fd = r->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = poll(&pfd, 1, 200);
		if (rc > 0)
			return FWT_OK;
		if (rc < 0 && errno != EINTR)
			return fwt__error(r->ctx, FWT_EIO, "cannot read '%s': %s", r->name, strerror(errno));
	}
}

fwt_err fwt_reader_read(fwt_reader *r, void *buf, size_t len, size_t *got)
{
	unsigned char *p = buf;
	size_t done = 0;
	ssize_t n;

	if (!r || (!buf && len))
		return r ? fwt__error(r->ctx, FWT_EINVAL, "bad arguments to fwt_reader_read") : FWT_EINVAL;
	if (r->fd < 0 && !r->fn) {
		size_t left = r->memlen - (size_t)r->off;
		done = len < left ? len : left;
		if (done)
			memcpy(p, r->mem + r->off, done);
		r->off += done;
		if (got)
			*got = done;
		return FWT_OK;
	}
	while (done < len) {
		if (!r->fn && r->cancel) {
			fwt_err err = wait_readable(r);
			if (err) {
				if (got)
					*got = done;
				return err;
			}
		}
		if (r->fn) {
			errno = 0;
			n = r->fn(r->payload, p + done, len - done);
		} else {
			n = read(r->fd, p + done, len - done);
		}
		if (n < 0 || (size_t)n > len - done) {
			int e = n < 0 ? errno : 0;
			if (e == EINTR)
				continue;
			if (got)
				*got = done;
			/* a callback's count past the room it was given, or a
			 * failure that set no errno, is the callback's to say */
			if (n > 0)
				return fwt__error(r->ctx, FWT_EIO, "cannot read '%s': its read callback returned %zd bytes "
				                  "for room for %zu", r->name, n, len - done);
			if (!e)
				return fwt__error(r->ctx, FWT_EIO, "cannot read '%s': its read callback failed", r->name);
			return fwt__error(r->ctx, FWT_EIO, "cannot read '%s': %s", r->name, strerror(e));
		}
		if (n == 0)
			break;
		done += (size_t)n;
		r->off += (uint64_t)n;
	}
	if (got)
		*got = done;
	return FWT_OK;
}

/* Large whole-file buffers are filled once, right away: aligned to and
 * advised for transparent huge pages, a 12 MiB log costs a handful of page
 * faults instead of three thousand (the read was 80% page faults). */
#define HUGE_MIN (4u << 20)
#define HUGE_ALIGN (2u << 20)
static void *big_alloc(size_t n)
{
	void *p = NULL;

	if (n < HUGE_MIN)
		return malloc(n);
	if (posix_memalign(&p, HUGE_ALIGN, n) != 0)
		return NULL;
	(void)madvise(p, n & ~(size_t)(HUGE_ALIGN - 1), MADV_HUGEPAGE);
	return p;
}

fwt_err fwt_reader_read_all(fwt_reader *r, size_t cap, unsigned char **out, size_t *len)
{
	unsigned char *buf = NULL, *nb;
	size_t size = 0, alloc = 0, got, want;
	int64_t hint;
	fwt_err err;

	if (!r || !out)
		return r ? fwt__error(r->ctx, FWT_EINVAL, "bad arguments to fwt_reader_read_all") : FWT_EINVAL;
	*out = NULL;
	if (len)
		*len = 0;
	/* SIZE_MAX ("no cap") must not wrap cap + 1 below to 0 */
	if (cap > SIZE_MAX / 2)
		cap = SIZE_MAX / 2;
	hint = fwt_reader_size(r);
	if (hint >= 0 && (uint64_t)hint > cap)
		return fwt__error(r->ctx, FWT_EFORMAT, "'%s' is larger than %zu bytes", r->name, cap);
	alloc = hint > 0 ? (size_t)hint + 1 : 65536;
	if (alloc > cap + 1)
		alloc = cap + 1;
	for (;;) {
		if (size == alloc) {
			size_t na = alloc > (cap + 1) / 2 ? cap + 1 : alloc * 2;
			nb = realloc(buf, na + 1);
			if (!nb) {
				free(buf);
				return fwt__enomem(r->ctx);
			}
			buf = nb;
			alloc = na;
		} else if (!buf) {
			buf = big_alloc(alloc + 1);
			if (!buf)
				return fwt__enomem(r->ctx);
		}
		want = alloc - size;
		err = fwt_reader_read(r, buf + size, want, &got);
		if (err) {
			free(buf);
			return err;
		}
		size += got;
		if (size > cap) {
			free(buf);
			return fwt__error(r->ctx, FWT_EFORMAT, "'%s' is larger than %zu bytes", r->name, cap);
		}
		if (got < want)
			break;
	}
	err = fwt_reader_check_unchanged(r);
	if (err) {
		free(buf);
		return err;
	}
	buf[size] = '\0';
	*out = buf;
	if (len)
		*len = size;
	return FWT_OK;
}

fwt_err fwt_reader_check_whole(fwt_reader *r)
{
	int64_t size = fwt_reader_size(r);
	uint64_t got = fwt_reader_offset(r);
	fwt_err err = fwt_reader_check_unchanged(r);

	if (err || !r || size < 0 || got == (uint64_t)size)
		return err;
	return fwt__error(r->ctx, FWT_EINVAL, "'%s' was not read from its start: %llu of its %lld bytes were read (a "
	                  "descriptor positioned past its start)", r->name, (unsigned long long)got, (long long)size);
}

fwt_err fwt_reader_check_unchanged(fwt_reader *r)
{
	struct stat now;

	if (!r || r->fd < 0 || !r->have_st || !S_ISREG(r->st.st_mode))
		return FWT_OK;
	if (fstat(r->fd, &now) != 0)
		return fwt__error(r->ctx, FWT_EIO, "cannot stat '%s': %s", r->name, strerror(errno));
	if (now.st_size != r->st.st_size || now.st_ino != r->st.st_ino ||
	    now.st_mtim.tv_sec != r->st.st_mtim.tv_sec || now.st_mtim.tv_nsec != r->st.st_mtim.tv_nsec ||
	    now.st_ctim.tv_sec != r->st.st_ctim.tv_sec || now.st_ctim.tv_nsec != r->st.st_ctim.tv_nsec)
		return fwt__error(r->ctx, FWT_EIO, "'%s' changed while it was being read", r->name);
	return FWT_OK;
}

int fwt__open_regular(const char *path)
{
	struct stat st;
	int fd, fl;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -2;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

fwt_err fwt_read_file(fwt_ctx *ctx, const char *path, size_t cap, unsigned char **out, size_t *len)
{
	return fwt_read_file_follow(ctx, path, cap, 1, out, len);
}

/* fwt_reader_read_all, then the reader freed. */
static fwt_err read_all_free(fwt_reader *r, size_t cap, unsigned char **out, size_t *len)
{
	fwt_err err = fwt_reader_read_all(r, cap, out, len);

	fwt_reader_free(r);
	return err;
}

fwt_err fwt_read_file_follow(fwt_ctx *ctx, const char *path, size_t cap, int follow, unsigned char **out,
                             size_t *len)
{
	fwt_reader *r;
	fwt_err err;

	if (out)
		*out = NULL;
	err = fwt_reader_open_file(ctx, &r, path, follow);
	return err ? err : read_all_free(r, cap, out, len);
}

fwt_err fwt_read_fd(fwt_ctx *ctx, int fd, const char *name, size_t cap, unsigned char **out, size_t *len)
{
	fwt_reader *r;
	fwt_err err;

	if (out)
		*out = NULL;
	err = fwt_reader_from_fd(ctx, &r, fd, name);
	return err ? err : read_all_free(r, cap, out, len);
}

/* ---- atomic writer ---- */

struct fwt_writer {
	fwt_ctx *ctx;
	char *path;
	char *dir;
	char *tmp;
	int fd;
	int force;
	int defer_dir_sync;
	mode_t mode;
	gid_t gid;     /* the replaced file's group, kept with its bits */
	int keep_gid;
	int failed;
	int sealed; /* fwt_writer_seal: mode set, closed, durable by the caller's fwt_fs_sync */
	int unnamed; /* an O_TMPFILE: no name until commit links it */
};

static pthread_mutex_t umask_mu = PTHREAD_MUTEX_INITIALIZER;

/* The umask as Linux (4.7 and later) shows it in /proc/self/status, or -1. */
static int umask_from_proc(void)
{
	char buf[4096], *p;
	ssize_t n;
	size_t got = 0;
	unsigned v = 0;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC), digits = 0;

	if (fd < 0)
		return -1;
	while (got < sizeof(buf) - 1 && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	p = strstr(buf, "\nUmask:");
	if (!p)
		return -1;
	for (p += 7; *p == ' ' || *p == '\t'; p++)
		;
	for (; *p >= '0' && *p <= '7' && digits < 5; p++, digits++)
		v = v * 8 + (unsigned)(*p - '0');
	return digits && *p == '\n' && v <= 0777 ? (int)v : -1;
}

unsigned fwt__default_mode(void)
{
	int um = umask_from_proc();

	/* Without /proc the umask can only be read by setting it, which every
	 * thread of the process sees for a moment: fwtrail's own threads wait
	 * for each other, a caller's cannot. */
	if (um < 0) {
		pthread_mutex_lock(&umask_mu);
		um = (int)umask(022);
		umask((mode_t)um);
		pthread_mutex_unlock(&umask_mu);
	}
	return 0666 & ~(unsigned)um;
}

/* FWT_EINVAL when path (itself, or what it points to) is a recorded input. */
static fwt_err check_not_input(fwt_ctx *ctx, const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && fwt__ctx_is_input(ctx, st.st_dev, st.st_ino))
		return fwt__error(ctx, FWT_EINVAL, "refusing to write '%s': it is one of the inputs", path);
	if (stat(path, &st) == 0 && fwt__ctx_is_input(ctx, st.st_dev, st.st_ino))
		return fwt__error(ctx, FWT_EINVAL, "refusing to write '%s': it points to one of the inputs",
		                  path);
	return FWT_OK;
}

fwt_err fwt_ctx_set_stdout_fd(fwt_ctx *ctx, int fd)
{
	struct stat st;

	if (!ctx)
		return FWT_EINVAL;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		fwt__ctx_set_stdout_id(ctx, 1, st.st_dev, st.st_ino);
	else
		fwt__ctx_set_stdout_id(ctx, 0, 0, 0);
	return FWT_OK;
}

fwt_err fwt_ctx_check_output_fd(fwt_ctx *ctx, int fd, const char *name)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fwt__ctx_is_input(ctx, st.st_dev, st.st_ino))
		return fwt__error(ctx, FWT_EINVAL, "refusing to write %s: it is one of the inputs",
		                  name ? name : "this output");
	return FWT_OK;
}

char *fwt__dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return fwt__strndup(path, (size_t)(slash - path));
}

void fwt__warn_unsafe_dir(fwt_ctx *ctx, const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		fwt__log(ctx, FWT_LOG_WARN, "folder '%s' is writable by anyone and not sticky: others can replace "
		                            "what is written there", dir);
}

/* What a file that is not a regular file is, for messages. */
static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISFIFO(m))
		return "a pipe";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* Whether a folder's real path is /proc, /dev or under one. */
static int in_proc_or_dev(const char *dir)
{
	char *real = realpath(dir, NULL);
	int in;

	if (!real)
		return 0;
	in = !strcmp(real, "/proc") || !strncmp(real, "/proc/", 6) || !strcmp(real, "/dev") ||
	     !strncmp(real, "/dev/", 5);
	free(real);
	return in;
}

/*
 * Whether the symbolic link at path leads, through any number of links,
 * to or through /proc or /dev: a magic link there (/proc/self/fd/1,
 * /dev/stdout, /dev/fd/N) names whatever a descriptor is open on, a pipe
 * or terminal or a regular file alike, and is a stream to write to, never
 * a file to put a new one in place of.  Each link's own folder is taken
 * at its real path, so that a folder link (/dev/fd) counts as where it
 * leads.
 */
static int links_into_proc_or_dev(const char *path)
{
	char *cur = strdup(path), *dir, *next, target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int hops, found = 0;

	for (hops = 0; cur && hops < 40 && !found; hops++) {
		dir = fwt__dir_of(cur);
		if (!dir)
			break;
		found = in_proc_or_dev(dir);
		if (found || lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode) ||
		    (n = readlink(cur, target, sizeof(target) - 1)) <= 0) {
			free(dir);
			break;
		}
		target[n] = '\0';
		if (target[0] == '/') {
			next = strdup(target);
		} else {
			size_t len = strlen(dir) + 1 + (size_t)n + 1;
			next = malloc(len);
			if (next)
				snprintf(next, len, "%s/%s", dir, target);
		}
		free(dir);
		free(cur);
		cur = next;
	}
	free(cur);
	return found;
}

/* 1 when path's folder is in /proc or /dev (as /dev/fd/1 is). */
static int folder_in_proc_or_dev(const char *path)
{
	char *copy = strdup(path);
	int in;

	if (!copy)
		return 0;
	in = in_proc_or_dev(dirname(copy));
	free(copy);
	return in;
}

/* FWT_EINVAL when path is a symbolic link that stands for a stream: into
 * /proc or /dev, to something other than a regular file, or to the file
 * standard output goes to; with force or without, such a link is never
 * replaced by a regular file. */
static fwt_err check_link(fwt_ctx *ctx, const char *path)
{
	char target[PATH_MAX] = "";
	struct stat st;
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	target[n > 0 ? n : 0] = '\0';
	if (links_into_proc_or_dev(path)) {
		/* /dev/fd/1 itself: what its magic link names is fwtrail's own
		 * (the anonymous file standard output is held in), not the user's */
		if (folder_in_proc_or_dev(path))
			return fwt__error(ctx, FWT_EINVAL, "cannot write '%s': it stands for a stream, descriptor or "
			                  "device, not a file to replace (use -o - for standard output)", path);
		return fwt__error(ctx, FWT_EINVAL, "cannot write '%s': it points to '%s', a stream or device, not a "
		                  "file to replace (use -o - for standard output)", path, target);
	}
	if (stat(path, &st) != 0)
		return FWT_OK; /* a dangling link: replaced with force, as before */
	if (!S_ISREG(st.st_mode))
		return fwt__error(ctx, FWT_EINVAL, "cannot write '%s': it points to %s%s", path, kind_of(st.st_mode),
		                  S_ISDIR(st.st_mode) ? "" : " (use -o - for standard output)");
	if (fwt__ctx_is_stdout(ctx, st.st_dev, st.st_ino))
		return fwt__error(ctx, FWT_EINVAL, "cannot write '%s': it points to '%s', the file standard output "
		                  "goes to (use -o - for standard output)", path, target);
	return FWT_OK;
}

fwt_err fwt_writer_check(fwt_ctx *ctx, const char *path, int force)
{
	struct stat st;
	fwt_err err;

	if (!path || !*path)
		return fwt__error(ctx, FWT_EINVAL, "no output path");
	if (path[strlen(path) - 1] == '/') {
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return fwt__error(ctx, FWT_EINVAL, "cannot write '%s': is a folder", path);
		return fwt__error(ctx, FWT_EINVAL, "cannot write '%s': a file name must not end in '/'", path);
	}
	err = check_not_input(ctx, path);
	if (err)
		return err;
	if (lstat(path, &st) != 0)
		return FWT_OK;
	if (S_ISDIR(st.st_mode))
		return fwt__error(ctx, FWT_EINVAL, "cannot write '%s': is a folder", path);
	/* a pipe, terminal or device (or a link to one, /dev/stdout) is not a
	 * file to replace, even with force: renaming over it would put a
	 * regular file where the stream was */
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return fwt__error(ctx, FWT_EINVAL, "cannot write '%s': it is %s (use -o - for standard output)", path,
		                  kind_of(st.st_mode));
	if (S_ISLNK(st.st_mode) && (err = check_link(ctx, path)) != FWT_OK)
		return err;
	if (!force && S_ISLNK(st.st_mode) && stat(path, &st) != 0 && errno == ENOENT)
		return fwt__error(ctx, FWT_EINVAL, "'%s' already exists, a symbolic link to nothing (use --force to "
		                  "replace the link)", path);
	if (!force)
		return fwt__error(ctx, FWT_EINVAL, "'%s' already exists (use --force to replace it)", path);
	return FWT_OK;
}

fwt_err fwt_writer_open(fwt_ctx *ctx, fwt_writer **out, const char *path, const fwt_writer_options *opts)
{
	fwt_writer_options defaults = FWT_WRITER_OPTIONS_INIT;
	fwt_writer *w;
	unsigned ver;
	fwt_err err;
	size_t n;

	if (!out || !path || !*path)
		return fwt__error(ctx, FWT_EINVAL, "no output path");
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((err = fwt__opts_version(ctx, "writer", opts->version, FWT_WRITER_OPTIONS_VERSION, &ver)))
		return err;
	err = fwt_writer_check(ctx, path, opts->force);
	if (err)
		return err;
	w = calloc(1, sizeof(*w));
	if (!w)
		return fwt__enomem(ctx);
	w->ctx = ctx;
	w->fd = -1;
	w->force = opts->force;
	w->defer_dir_sync = ver >= 2 && opts->defer_dir_sync;
	w->mode = opts->mode ? (mode_t)opts->mode & 07777 : (mode_t)fwt__default_mode();
	/* a file replaced (--force) keeps its permissions, as cp and sed -i
	 * keep them: a report kept 0640 does not become world-readable.  Its
	 * group goes with them (the bits were given for it): when the new file
	 * cannot be given that group, its group bits are dropped.  Set-id and
	 * sticky bits are not kept (nor the owner, which only root could
	 * give); a symbolic link replaced is not a file to take them from. */
	if (!opts->mode && opts->force) {
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			w->mode = st.st_mode & 0777;
			w->gid = st.st_gid;
			w->keep_gid = 1;
		}
	}
	w->path = strdup(path);
	w->dir = fwt__dir_of(path);
	if (!w->path || !w->dir) {
		fwt_writer_free(w);
		return fwt__enomem(ctx);
	}
	if (!w->defer_dir_sync) /* a batch warns once per folder itself */
		fwt__warn_unsafe_dir(ctx, w->dir);
	/* Data written, synced and given its mode in a file without a name
	 * (O_TMPFILE), which commit names: a process stopped on the way (a
	 * signal, SIGKILL, a power cut) leaves nothing in the folder.  A
	 * batch whose files are sealed (closed before commit) and a
	 * filesystem without such files, or without /proc to name one by,
	 * get a named temporary file instead. */
	if (!w->defer_dir_sync && access("/proc/self/fd", X_OK) == 0) {
		w->fd = open(w->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
		if (w->fd >= 0) {
			w->unnamed = 1;
			*out = w;
			return FWT_OK;
		}
	}
	n = strlen(w->dir) + sizeof("/.fwtrail-tmp-XXXXXX");
	w->tmp = malloc(n);
	if (!w->tmp) {
		fwt_writer_free(w);
		return fwt__enomem(ctx);
	}
	snprintf(w->tmp, n, "%s/.fwtrail-tmp-XXXXXX", w->dir);
	w->fd = mkostemp(w->tmp, O_CLOEXEC);
	if (w->fd < 0) {
		err = fwt__error(ctx, FWT_EIO, "cannot write '%s': %s", path, strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		fwt_writer_free(w);
		return err;
	}
	*out = w;
	return FWT_OK;
}

fwt_err fwt_writer_write(fwt_writer *w, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	if (!w)
		return FWT_EINVAL;
	if (w->failed)
		return fwt__error(w->ctx, FWT_EIO, "cannot write '%s': an earlier write to it failed", w->path);
	if (w->sealed)
		return fwt__error(w->ctx, FWT_EINVAL, "cannot write '%s': already sealed", w->path);
	while (len) {
		n = write(w->fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			w->failed = 1;
			return fwt__error(w->ctx, FWT_EIO, "cannot write '%s': %s", w->path, strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return FWT_OK;
}

static fwt_err sync_dir(fwt_writer *w)
{
	int dfd = open(w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return fwt__error(w->ctx, FWT_EIO, "cannot open folder '%s': %s", w->dir, strerror(errno));
	if (fsync(dfd) != 0 && errno != EINVAL && errno != EROFS) {
		int e = errno;
		close(dfd);
		return fwt__error(w->ctx, FWT_EIO, "cannot sync folder '%s': %s", w->dir, strerror(e));
	}
	close(dfd);
	return FWT_OK;
}

/* Give the temporary file its final mode and close it; fsync first unless
 * the caller syncs the file system (seal).  An unnamed one stays open: it
 * would vanish with its last descriptor. */
static fwt_err finish_data(fwt_writer *w, int sync)
{
	int fd;

	if (w->failed)
		return fwt__error(w->ctx, FWT_EIO, "cannot write '%s': an earlier write to it failed", w->path);
	if (sync && fsync(w->fd) != 0)
		return fwt__error(w->ctx, FWT_EIO, "cannot write '%s': %s", w->path, strerror(errno));
	if (w->keep_gid) {
		struct stat st;
		if (fstat(w->fd, &st) != 0 || (st.st_gid != w->gid && fchown(w->fd, (uid_t)-1, w->gid) != 0))
			w->mode &= (mode_t)~070;
	}
	if (fchmod(w->fd, w->mode) != 0)
		return fwt__error(w->ctx, FWT_EIO, "cannot write '%s': %s", w->path, strerror(errno));
	if (w->unnamed)
		return FWT_OK;
	fd = w->fd;
	w->fd = -1;
	if (close(fd) != 0)
		return fwt__error(w->ctx, FWT_EIO, "cannot write '%s': %s", w->path, strerror(errno));
	return FWT_OK;
}

/* Give the unnamed file a temporary name in its folder (w->tmp): it is
 * then the named temporary file of a writer opened the other way. */
static fwt_err name_temporary(fwt_writer *w)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char fdpath[64], *tmp;
	unsigned char rnd[6];
	size_t n = strlen(w->dir) + sizeof("/.fwtrail-tmp-") + sizeof(rnd), i, l;
	int tries, saved = EEXIST;

	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", w->fd);
	tmp = malloc(n);
	if (!tmp)
		return fwt__enomem(w->ctx);
	for (tries = 0; tries < 100 && saved == EEXIST; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			saved = errno;
			break;
		}
		l = (size_t)snprintf(tmp, n, "%s/.fwtrail-tmp-", w->dir);
		for (i = 0; i < sizeof(rnd); i++)
			tmp[l++] = digits[rnd[i] % (sizeof(digits) - 1)];
		tmp[l] = '\0';
		if (linkat(AT_FDCWD, fdpath, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
			w->tmp = tmp;
			w->unnamed = 0;
			return FWT_OK;
		}
		saved = errno;
	}
	free(tmp);
	return fwt__error(w->ctx, FWT_EIO, "cannot write '%s': %s", w->path, strerror(saved));
}

/* Name the unnamed file at its path when nothing may be replaced (linkat
 * never replaces); otherwise a temporary name first, renamed over the
 * path by the caller (the only moment a temporary name exists). */
static fwt_err link_unnamed(fwt_writer *w)
{
	char fdpath[64];

	if (w->force)
		return name_temporary(w);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", w->fd);
	if (linkat(AT_FDCWD, fdpath, AT_FDCWD, w->path, AT_SYMLINK_FOLLOW) == 0)
		return FWT_OK;
	if (errno == EEXIST)
		return fwt__error(w->ctx, FWT_EINVAL, "'%s' already exists (use --force to replace it)", w->path);
	return fwt__error(w->ctx, FWT_EIO, "cannot write '%s': %s", w->path, strerror(errno));
}

fwt_err fwt_writer_seal(fwt_writer *w)
{
	fwt_err err;

	if (!w)
		return FWT_EINVAL;
	if (w->sealed)
		return FWT_OK;
	/* only a named file can be closed before its commit */
	err = w->unnamed ? name_temporary(w) : FWT_OK;
	if (!err)
		err = finish_data(w, 0);
	if (err)
		w->failed = 1;
	else
		w->sealed = 1;
	return err;
}

fwt_err fwt_writer_commit(fwt_writer *w)
{
	fwt_err err = FWT_OK;
	int rc;

	if (!w)
		return FWT_EINVAL;
	if (!w->sealed) {
		err = finish_data(w, 1);
		if (err)
			goto out;
	}
	err = check_not_input(w->ctx, w->path);
	if (err)
		goto out;
	if (w->unnamed && (err = link_unnamed(w)) != FWT_OK)
		goto out;
	if (w->unnamed) { /* named at its path */
		rc = 0;
	} else if (w->force) {
		rc = rename(w->tmp, w->path);
	} else {
		rc = renameat2(AT_FDCWD, w->tmp, AT_FDCWD, w->path, RENAME_NOREPLACE);
		if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* file system without RENAME_NOREPLACE: link refuses to replace */
			rc = link(w->tmp, w->path);
			if (rc == 0)
				unlink(w->tmp);
		}
	}
	if (rc != 0) {
		if (errno == EEXIST)
			err = fwt__error(w->ctx, FWT_EINVAL, "'%s' already exists (use --force to replace it)",
			                 w->path);
		else
			err = fwt__error(w->ctx, FWT_EIO, "cannot write '%s': %s", w->path, strerror(errno));
		goto out;
	}
	free(w->tmp);
	w->tmp = NULL;
	if (!w->defer_dir_sync)
		err = sync_dir(w);
out:
	fwt_writer_free(w);
	return err;
}

void fwt_writer_free(fwt_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	free(w->dir);
	free(w->path);
	free(w);
}

fwt_err fwt_dir_sync(fwt_ctx *ctx, const char *path)
{
	fwt_writer w;
	fwt_err err;

	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.path = (char *)path;
	w.dir = fwt__dir_of(path);
	if (!w.dir)
		return fwt__enomem(ctx);
	err = sync_dir(&w);
	free(w.dir);
	return err;
}

fwt_err fwt_fs_sync(fwt_ctx *ctx, int dirfd, const char *dir)
{
	if (syncfs(dirfd) != 0)
		return fwt__error(ctx, FWT_EIO, "cannot sync the file system of '%s': %s", dir, strerror(errno));
	return FWT_OK;
}

fwt_err fwt_write_file(fwt_ctx *ctx, const char *path, const void *buf, size_t len,
                       const fwt_writer_options *opts)
{
	fwt_writer *w;
	fwt_err err;

	err = fwt_writer_open(ctx, &w, path, opts);
	if (err)
		return err;
	err = fwt_writer_write(w, buf, len);
	if (err) {
		fwt_writer_free(w);
		return err;
	}
	return fwt_writer_commit(w);
}
