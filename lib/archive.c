/* SPDX-License-Identifier: Apache-2.0 */
/* archive.c - walk a folder or an archive entry by entry (libarchive), and
 * the OCP SAFE manifest of its regular files. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include "lazy_archive.h"
#include <fwtrail/archive.h>
#include <fwtrail/hex.h>
#include "internal.h"
#include "banned.h"

#define MAX_ENTRIES 1000000u
#define MAX_PATH_LEN 4096u
#define READ_BLOCK 65536
#define QUOTE_LEN 1032 /* fwt__quote: up to 256 bytes of a name */

struct zent;
struct stream;

struct fwt_archive;
static void zip_free(struct fwt_archive *ar);
static void stream_free(struct fwt_archive *ar);

struct fwt_archive {
	fwt_ctx *ctx;
	struct archive *a;
	int is_dir;
	char *src;          /* path as opened */
	char *disk_prefix;  /* folders: the prefix libarchive puts on names */
	char *dir_name;     /* folders: the folder's own name */
	fwt_archive_entry cur;
	char *cur_path;
	char *cur_link;
	size_t count;
	int data_failed;    /* archive_read_data reported an error */
	char data_error[256];
	int fd;             /* archives: the file, opened here (-1: none) */
	struct stat st;     /* archives: as opened, to tell a change at the end */
	int entry_fd;       /* folders: the entry being read (-1: none) */
	const char *entry_src; /* folders: the entry's path on disk (libarchive's) */
	unsigned cur_mode;  /* the entry's file type bits (AE_IF*) */
	dev_t root_dev;     /* folders: the file system the folder is on */
	struct zent *zip;   /* zips: the central directory, checked */
	size_t nzip, zip_next;
	int zip_loaded;
	struct stream *stream; /* tars and others: the stream read, looked at again */
	int in_entry;       /* libarchive is at an entry (its data may be unread) */
	uint64_t data_total;   /* the declared sizes of the files so far */
	uint64_t data_given;   /* bytes of entry data given so far (holes too) */
	const char *view;      /* ISO 9660: libarchive's options for another tree */
	int iso_joliet;        /* ISO 9660: the image has a Joliet tree */
	uint64_t entry_read;   /* bytes of the current entry's data given so far */
	int entry_sparse;      /* its tar headers make it sparse (holes read as zeros) */
	const unsigned char *blk; /* libarchive's current data block of the entry */
	size_t blk_len;
	int64_t blk_off;          /* its offset in the entry */
	int blk_eof;              /* no block is left */
	int ar_symtab;         /* ar: the first member was a symbol table (skipped) */
	int ended;             /* 1: the end was reached and checked; -1: that check failed */
};

int fwt_path_is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A sparse file's holes are read as zeros, and compressed data may
 * decompress a thousandfold and more (an 852 KB tar.bz2 holds 1 TiB of
 * zeros): both cost hashing time but no bytes of the archive.  The files of
 * an archive may be DATA_MAX bytes long in all, or DATA_RATIO times the
 * archive's size when that is more (a 10 KiB tar declaring a 1 PiB file
 * would be hashed for weeks): by their declared sizes, checked at each
 * header before any data is read, and by the bytes actually given (for
 * entries whose size is not declared), and so is the zero padding read
 * after an archive's end. */
#define DATA_MAX (16ull << 30)
#define DATA_RATIO 1024u
#define DATA_RULE "16 GiB, or 1024 times the archive's size"

static uint64_t data_budget(const fwt_archive *ar)
{
	uint64_t size = ar->st.st_size > 0 ? (uint64_t)ar->st.st_size : 0;

	if (size > UINT64_MAX / DATA_RATIO)
		return UINT64_MAX;
	return size > DATA_MAX / DATA_RATIO ? size * DATA_RATIO : DATA_MAX;
}

static fwt_err ar_error(fwt_archive *ar, const char *what)
{
	const char *msg = archive_error_string(ar->a);
	return fwt__error(ar->ctx, FWT_EFORMAT, "corrupt archive '%s'%s%s: %s", ar->src,
	                  what ? " at entry " : "", what ? what : "", msg ? msg : "unknown error");
}

/* Strip trailing slashes (keeping a lone "/"). */
static char *trim_slashes(const char *p)
{
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		n--;
	return fwt__strndup(p, n);
}

/* The name a path's last real component has: without trailing "/" and "/."
 * components ("link/./" and "link//." are "link"; "." and "/" stay), which
 * resolve through that component (a symbolic link, say) to what it names. */
static char *last_component(const char *p)
{
	size_t n = strlen(p);

	for (;;) {
		if (n > 1 && p[n - 1] == '/')
			n--;
		else if (n > 2 && p[n - 1] == '.' && p[n - 2] == '/')
			n -= 2;
		else
			break;
	}
	return fwt__strndup(p, n);
}

static char *base_name_of(const char *path)
{
	char *real = realpath(path, NULL), *slash, *b;

	if (!real)
		return NULL;
	slash = strrchr(real, '/');
	b = strdup(slash ? slash + 1 : real);
	free(real);
	return b;
}

static fwt_err open_dir(fwt_archive *ar, const char *path, int follow, dev_t dev)
{
	int flags = ARCHIVE_READDISK_NO_XATTR | ARCHIVE_READDISK_NO_ACL | ARCHIVE_READDISK_NO_FFLAGS |
	            ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS;

	ar->is_dir = 1;
	ar->root_dev = dev;
	ar->disk_prefix = trim_slashes(path);
	ar->dir_name = base_name_of(path);
	if (!ar->disk_prefix || !ar->dir_name)
		return fwt__error(ar->ctx, FWT_EIO, "cannot open '%s': %s", path, strerror(errno));
	ar->a = archive_read_disk_new();
	if (!ar->a)
		return fwt__enomem(ar->ctx);
	/* hybrid: a link given as the folder itself is followed, none inside */
	if ((follow ? archive_read_disk_set_symlink_hybrid(ar->a) : archive_read_disk_set_symlink_physical(ar->a)) !=
	            ARCHIVE_OK ||
	    archive_read_disk_set_behavior(ar->a, flags) != ARCHIVE_OK ||
	    archive_read_disk_open(ar->a, ar->disk_prefix) != ARCHIVE_OK)
		return fwt__error(ar->ctx, FWT_EIO, "cannot open '%s': %s", path,
		                  archive_error_string(ar->a) ? archive_error_string(ar->a) : "error");
	return FWT_OK;
}

/* Built-in decompressors only (no external programs). */
static void add_filters(struct archive *a)
{
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_lzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_lz4(a);
	archive_read_support_filter_compress(a);
}

/* libarchive's read options, for reading an ISO 9660 image's other trees:
 * FWT_EUNSUPPORTED when they cannot be set (the image is then refused,
 * never taken for agreeing). */
static fwt_err set_view(fwt_archive *ar)
{
	if (archive_read_set_options(ar->a, ar->view) != ARCHIVE_OK)
		return fwt__error(ar->ctx, FWT_EUNSUPPORTED, "'%s': cannot read the other trees of the ISO 9660 image "
		                  "(libarchive option '%s')", ar->src, ar->view);
	return FWT_OK;
}

static fwt_err open_file(fwt_archive *ar, const char *path, int follow)
{
	struct archive *a;
	fwt_err err;

	/* opened here, so that the end can tell whether it changed meanwhile */
	ar->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (follow ? 0 : O_NOFOLLOW));
	if (ar->fd < 0 && errno == ELOOP && !follow)
		return fwt__error(ar->ctx, FWT_EINVAL, "'%s' is a symbolic link (not followed without "
		                  "--follow-symlinks)", path);
	if (ar->fd < 0 || fstat(ar->fd, &ar->st) != 0)
		return fwt__error(ar->ctx, FWT_EIO, "cannot open '%s': %s", path, strerror(errno));
	/* Input identity for the writer's "never over an input" rule. */
	err = fwt__ctx_add_input_id(ar->ctx, ar->st.st_dev, ar->st.st_ino);
	if (err)
		return err;
	ar->a = a = archive_read_new();
	if (!a)
		return fwt__enomem(ar->ctx);
	/* Formats that only read the bytes given.  mtree is left out: its
	 * entries can name other local files. */
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_ar(a);
	archive_read_support_format_iso9660(a);
	archive_read_support_format_xar(a);
	archive_read_support_format_cab(a);
	archive_read_support_format_lha(a);
	archive_read_support_format_rar(a);
	archive_read_support_format_rar5(a);
	add_filters(a);
	if (ar->view && (err = set_view(ar)) != FWT_OK)
		return err;
	if (archive_read_open_fd(a, ar->fd, READ_BLOCK) != ARCHIVE_OK) {
		const char *msg = archive_error_string(a);
		return fwt__error(ar->ctx, FWT_EFORMAT, "'%s' is not a readable archive: %s", path,
		                  msg ? msg : "unknown format");
	}
	return FWT_OK;
}

/* An archive read to its end: the file must be as it was when opened
 * (RELIABILITY O6: a manifest of bytes that were changing binds nothing). */
static fwt_err archive_unchanged(fwt_archive *ar)
{
	struct stat now;

	if (ar->fd < 0 || !S_ISREG(ar->st.st_mode))
		return FWT_OK;
	if (fstat(ar->fd, &now) != 0)
		return fwt__error(ar->ctx, FWT_EIO, "cannot stat '%s': %s", ar->src, strerror(errno));
	if (now.st_size != ar->st.st_size || now.st_mtim.tv_sec != ar->st.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != ar->st.st_mtim.tv_nsec || now.st_ctim.tv_sec != ar->st.st_ctim.tv_sec ||
	    now.st_ctim.tv_nsec != ar->st.st_ctim.tv_nsec)
		return fwt__error(ar->ctx, FWT_EIO, "'%s' changed while it was being read", ar->src);
	return FWT_OK;
}

static void close_entry(fwt_archive *ar)
{
	if (ar->entry_fd >= 0)
		close(ar->entry_fd);
	ar->entry_fd = -1;
}

/* follow: a symbolic link given as path is followed (a folder's own links
 * never are); otherwise it is FWT_EINVAL, also when written "link/" or
 * "link/.".  view: libarchive's read options for an ISO 9660 image's other
 * tree (NULL: none). */
static fwt_err archive_open(fwt_ctx *ctx, fwt_archive **out, const char *path, int follow, const char *view)
{
	fwt_archive *ar;
	struct stat st;
	char *bare;
	fwt_err err;
	int rc;

	if (!out || !path)
		return fwt__error(ctx, FWT_EINVAL, "no archive path");
	*out = NULL;
	if (follow) {
		rc = stat(path, &st);
	} else {
		bare = last_component(path);
		if (!bare)
			return fwt__enomem(ctx);
		rc = lstat(bare, &st);
		free(bare);
		if (rc == 0 && S_ISLNK(st.st_mode))
			return fwt__error(ctx, FWT_EINVAL, "'%s' is a symbolic link (not followed without "
			                  "--follow-symlinks)", path);
	}
	if (rc != 0)
		return fwt__error(ctx, FWT_EIO, "cannot open '%s': %s", path, strerror(errno));
	err = fwt__lazy_archive_load(ctx);
	if (err)
		return err;
	ar = calloc(1, sizeof(*ar));
	if (!ar)
		return fwt__enomem(ctx);
	ar->ctx = ctx;
	ar->fd = ar->entry_fd = -1;
	ar->view = view;
	ar->src = strdup(path);
	if (!ar->src) {
		free(ar);
		return fwt__enomem(ctx);
	}
	err = S_ISDIR(st.st_mode) ? open_dir(ar, path, follow, st.st_dev) : open_file(ar, path, follow);
	if (err) {
		fwt_archive_free(ar);
		return err;
	}
	*out = ar;
	return FWT_OK;
}

fwt_err fwt_archive_open(fwt_ctx *ctx, fwt_archive **out, const char *path)
{
	return archive_open(ctx, out, path, 1, NULL);
}

void fwt_archive_free(fwt_archive *ar)
{
	if (!ar)
		return;
	if (ar->a) {
		archive_read_close(ar->a);
		archive_read_free(ar->a);
	}
	close_entry(ar);
	if (ar->fd >= 0)
		close(ar->fd);
	zip_free(ar);
	stream_free(ar);
	free(ar->cur_path);
	free(ar->cur_link);
	free(ar->disk_prefix);
	free(ar->dir_name);
	free(ar->src);
	free(ar);
}

/* The canonical spelling of an entry name, as extractors resolve it: no
 * leading "/", no empty or "." components ("a//./b/" is "a/b"; "./" is "");
 * ".." components are kept (a manifest refuses them).  NULL on overlong
 * input. */
static char *normalise(const char *p)
{
	size_t n = strlen(p), o = 0, k;
	char *res;

	if (n > MAX_PATH_LEN * 4)
		return NULL;
	res = malloc(n + 1);
	if (!res)
		return NULL;
	while (*p) {
		while (*p == '/')
			p++;
		k = strcspn(p, "/");
		if (k && !(k == 1 && p[0] == '.')) {
			if (o)
				res[o++] = '/';
			memcpy(res + o, p, k);
			o += k;
		}
		p += k;
	}
	res[o] = '\0';
	if (o > MAX_PATH_LEN) {
		free(res);
		return NULL;
	}
	return res;
}

/* Folder entries: replace the prefix libarchive used with the folder name. */
static char *disk_name(fwt_archive *ar, const char *p)
{
	size_t plen = strlen(ar->disk_prefix), n;
	char *joined, *res;

	if (!strncmp(p, ar->disk_prefix, plen) && (p[plen] == '/' || p[plen] == '\0')) {
		p += plen;
	} else if (!strcmp(ar->disk_prefix, "/")) {
		p += 0;
	}
	n = strlen(ar->dir_name) + strlen(p) + 2;
	joined = malloc(n);
	if (!joined)
		return NULL;
	snprintf(joined, n, "%s%s%s", ar->dir_name, (*p && *p != '/') ? "/" : "", p);
	res = normalise(joined);
	free(joined);
	return res;
}

/* ---- what other readers would see: a zip's central directory ----
 *
 * libarchive lists a zip by its local headers; unzip, Python and 7-Zip by
 * its central directory.  A zip is accepted only when both tell the same
 * story: the end record ends the file, the central directory sits right
 * before it, the entries it lists follow one another from the first byte
 * of the file with nothing between them, each under the name its local
 * header gives, and libarchive reads them in that order. */

#define ZIP_EOCD_LEN 22u
#define ZIP_TAIL (65535u + ZIP_EOCD_LEN) /* an end record and the longest comment */
#define ZIP_NOVAL 0xffffffffu

struct zent {
	char *name;
	uint64_t off;    /* local header */
	uint64_t comp;   /* compressed size */
	uint64_t usize;
	uint32_t crc;
	uint16_t method;
};

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Exactly n bytes at off: 0, or -1 with errno set (EIO when short: the
 * file shrank, as every offset is checked against its size first). */
static int read_at(int fd, uint64_t off, void *buf, size_t n)
{
	unsigned char *b = buf;
	ssize_t k;

	while (n) {
		if (off > (uint64_t)INT64_MAX) {
			errno = EIO;
			return -1;
		}
		k = pread(fd, b, n, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (!k)
				errno = EIO;
			return -1;
		}
		b += k;
		n -= (size_t)k;
		off += (uint64_t)k;
	}
	return 0;
}

static fwt_err read_error(fwt_archive *ar)
{
	return fwt__error(ar->ctx, FWT_EIO, "cannot read '%s': %s", ar->src, strerror(errno));
}

static fwt_err zip_bad(fwt_archive *ar, const char *fmt, ...) FWT_FMT(2, 3);
static fwt_err zip_bad(fwt_archive *ar, const char *fmt, ...)
{
	char why[2400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return fwt__error(ar->ctx, FWT_EFORMAT, "corrupt archive '%s': %s", ar->src, why);
}

/* The last zip end-of-central-directory record in the final 64 KiB + 22
 * bytes of the file, where unzip and Python look for it: *pos its offset,
 * or -1.  Any whole record counts, even one whose comment length runs past
 * the end of the file: Python does not check it, unzip only warns. */
static fwt_err zip_find_end(fwt_archive *ar, int64_t *pos, unsigned char rec[ZIP_EOCD_LEN])
{
	uint64_t size = (uint64_t)ar->st.st_size, start;
	unsigned char *t;
	size_t len, i;

	*pos = -1;
	if (size < ZIP_EOCD_LEN)
		return FWT_OK;
	len = size < ZIP_TAIL ? (size_t)size : ZIP_TAIL;
	start = size - len;
	t = malloc(len);
	if (!t)
		return fwt__enomem(ar->ctx);
	if (read_at(ar->fd, start, t, len) != 0) {
		free(t);
		return read_error(ar);
	}
	for (i = len - ZIP_EOCD_LEN + 1; i-- > 0;) {
		if (memcmp(t + i, "PK\5\6", 4))
			continue;
		memcpy(rec, t + i, ZIP_EOCD_LEN);
		*pos = (int64_t)(start + i);
		break;
	}
	free(t);
	return FWT_OK;
}

/* An entry's extra field: the ZIP64 values for the fields the header left
 * at 0xffffffff (in the order the format gives them), and no second name
 * (an Info-ZIP Unicode Path field naming it otherwise). */
static fwt_err zip_extra(fwt_archive *ar, const unsigned char *x, size_t xl, const char *name, size_t nl,
                         uint64_t *usize, uint64_t *comp, uint64_t *off)
{
	uint64_t *want[3] = { usize, comp, off };
	char q[QUOTE_LEN], u[QUOTE_LEN];
	size_t id, len, i, k;

	while (xl >= 4) {
		id = le16(x);
		len = le16(x + 2);
		if (len > xl - 4)
			return zip_bad(ar, "zip entry '%s' has a malformed extra field", (fwt__quote(q, sizeof(q), name, nl), q));
		if (id == 0x0001) {
			for (i = 0, k = 0; i < 3; i++) {
				if (!want[i] || *want[i] != ZIP_NOVAL)
					continue;
				if (k + 8 > len)
					return zip_bad(ar, "zip entry '%s' has a short ZIP64 field",
					               (fwt__quote(q, sizeof(q), name, nl), q));
				*want[i] = le64(x + 4 + k);
				k += 8;
			}
		} else if (id == 0x7075 && (len < 5 || len - 5 != nl || memcmp(x + 9, name, nl))) {
			fwt__quote(q, sizeof(q), name, nl);
			fwt__quote(u, sizeof(u), len >= 5 ? (const char *)x + 9 : "", len >= 5 ? len - 5 : 0);
			return zip_bad(ar, "zip entry '%s' also carries the name '%s' (an Info-ZIP Unicode Path field)",
			               q, u);
		}
		x += 4 + len;
		xl -= 4 + len;
	}
	return FWT_OK;
}

/* A name that is not ASCII must be flagged as UTF-8 (general purpose bit
 * 11), in the central directory and in the local header: without it,
 * Python decodes it as CP437 (APPNOTE 4.4.4), so that the two bytes of a
 * UTF-8 "e acute" are two other characters to it, while libarchive, bsdtar
 * and unzip take the bytes as they are. */
static fwt_err zip_name_flag(fwt_archive *ar, const char *name, size_t nl, unsigned flags)
{
	char q[QUOTE_LEN];
	size_t i;

	if (flags & 0x800)
		return FWT_OK;
	for (i = 0; i < nl && !((unsigned char)name[i] & 0x80); i++)
		;
	if (i == nl)
		return FWT_OK;
	fwt__quote(q, sizeof(q), name, nl);
	return zip_bad(ar, "zip entry '%s' has a name that is not ASCII and not flagged as UTF-8 (zip readers "
	               "disagree on its name: Python reads it as CP437)", q);
}

static void zip_free(fwt_archive *ar)
{
	size_t i;

	for (i = 0; i < ar->nzip; i++)
		free(ar->zip[i].name);
	free(ar->zip);
	ar->zip = NULL;
	ar->nzip = 0;
}

/* Where the central directory is, from the end record (and the ZIP64 one
 * when a locator precedes it): *cd_off, *cd_size, *count; *cd_end where
 * the central directory must end. */
static fwt_err zip_locate(fwt_archive *ar, uint64_t *cd_off, uint64_t *cd_size, uint64_t *count, uint64_t *cd_end)
{
	unsigned char e[ZIP_EOCD_LEN], l[20], z[56];
	uint64_t size = (uint64_t)ar->st.st_size, eocd, z64;
	int64_t at;
	fwt_err err;

	err = zip_find_end(ar, &at, e);
	if (err)
		return err;
	if (at < 0)
		return zip_bad(ar, "no zip end of central directory record in its last 64 KiB");
	eocd = (uint64_t)at;
	if (eocd + ZIP_EOCD_LEN + le16(e + 20) != size)
		return zip_bad(ar, "the zip end of central directory record does not end the file (other data after it, "
		               "or a second record in its comment)");
	if (le16(e + 4) || le16(e + 6) || le16(e + 8) != le16(e + 10))
		return zip_bad(ar, "a zip split across disks");
	*count = le16(e + 10);
	*cd_size = le32(e + 12);
	*cd_off = le32(e + 16);
	*cd_end = eocd;
	if (eocd < sizeof(l))
		return FWT_OK;
	if (read_at(ar->fd, eocd - sizeof(l), l, sizeof(l)) != 0)
		return read_error(ar);
	if (memcmp(l, "PK\6\7", 4))
		return FWT_OK;
	z64 = le64(l + 8);
	if (le32(l + 4) || le32(l + 16) > 1)
		return zip_bad(ar, "a zip split across disks");
	if (z64 > eocd - sizeof(l) || eocd - sizeof(l) - z64 < sizeof(z))
		return zip_bad(ar, "the ZIP64 end record is not where its locator says");
	if (read_at(ar->fd, z64, z, sizeof(z)) != 0)
		return read_error(ar);
	if (memcmp(z, "PK\6\6", 4) || le64(z + 4) != eocd - sizeof(l) - z64 - 12)
		return zip_bad(ar, "the ZIP64 end record is not where its locator says");
	if (le32(z + 16) || le32(z + 20) || le64(z + 24) != le64(z + 32))
		return zip_bad(ar, "a zip split across disks");
	*count = le64(z + 32);
	*cd_size = le64(z + 40);
	*cd_off = le64(z + 48);
	*cd_end = z64;
	return FWT_OK;
}

/* Read the central directory into ar->zip (name, local header offset,
 * sizes). */
static fwt_err zip_read_cd(fwt_archive *ar, uint64_t pos, uint64_t end, uint64_t count)
{
	unsigned char h[46], *var;
	struct zent *z;
	char q[QUOTE_LEN];
	size_t nl, xl, cl, cap = 0;
	fwt_err err = FWT_OK;

	var = malloc(2 * 65535u);
	if (!var)
		return fwt__enomem(ar->ctx);
	while (pos < end) {
		if (ar->nzip >= count || ar->nzip >= MAX_ENTRIES) {
			err = zip_bad(ar, "the zip central directory holds more entries than its end record says (%llu)",
			              (unsigned long long)count);
			break;
		}
		if (end - pos < sizeof(h)) {
			err = zip_bad(ar, "truncated zip central directory");
			break;
		}
		if (read_at(ar->fd, pos, h, sizeof(h)) != 0) {
			err = read_error(ar);
			break;
		}
		nl = le16(h + 28);
		xl = le16(h + 30);
		cl = le16(h + 32);
		if (memcmp(h, "PK\1\2", 4) || end - pos - sizeof(h) < nl + xl + cl) {
			err = zip_bad(ar, "malformed zip central directory entry %zu", ar->nzip + 1);
			break;
		}
		if (read_at(ar->fd, pos + sizeof(h), var, nl + xl) != 0) {
			err = read_error(ar);
			break;
		}
		if (ar->nzip == cap) {
			cap = cap ? cap * 2 : 64;
			z = realloc(ar->zip, cap * sizeof(*z));
			if (!z) {
				err = fwt__enomem(ar->ctx);
				break;
			}
			ar->zip = z;
		}
		z = &ar->zip[ar->nzip];
		memset(z, 0, sizeof(*z));
		z->usize = le32(h + 24);
		z->comp = le32(h + 20);
		z->off = le32(h + 42);
		z->crc = le32(h + 16);
		z->method = le16(h + 10);
		err = zip_extra(ar, var + nl, xl, (const char *)var, nl, &z->usize, &z->comp, &z->off);
		if (err)
			break;
		if (memchr(var, '\0', nl)) {
			fwt__quote(q, sizeof(q), (const char *)var, nl);
			err = zip_bad(ar, "zip entry name '%s' holds a NUL byte", q);
			break;
		}
		err = zip_name_flag(ar, (const char *)var, nl, le16(h + 8));
		if (err)
			break;
		if (le16(h + 34) && le16(h + 34) != 0xffff) {
			err = zip_bad(ar, "a zip split across disks");
			break;
		}
		/* a DOS volume label (attribute 0x08, made on FAT, HPFS or NTFS,
		 * as unzip reads it): unzip skips it, Python and libarchive
		 * extract a file */
		if ((h[5] == 0 || h[5] == 6 || h[5] == 11) && (le32(h + 38) & 0x08)) {
			fwt__quote(q, sizeof(q), (const char *)var, nl);
			err = zip_bad(ar, "zip entry '%s' is a DOS volume label (zip readers disagree on it: unzip skips "
			              "it, others extract it as a file)", q);
			break;
		}
		z->name = fwt__strndup((const char *)var, nl);
		if (!z->name) {
			err = fwt__enomem(ar->ctx);
			break;
		}
		ar->nzip++;
		pos += sizeof(h) + nl + xl + cl;
	}
	free(var);
	if (!err && ar->nzip != count)
		err = zip_bad(ar, "the zip central directory holds %zu entries, its end record says %llu", ar->nzip,
		              (unsigned long long)count);
	return err;
}

/* The bytes after an entry's data, up to the next header: nothing, or
 * (flag bit 3) only the data descriptor, with the central directory's CRC
 * and sizes; too short to hide a local header either way. */
static fwt_err zip_after_data(fwt_archive *ar, const struct zent *z, unsigned flags, uint64_t end, uint64_t gap)
{
	unsigned char d[24], *p = d;
	char q[QUOTE_LEN];
	size_t n = (size_t)gap;

	fwt__quote(q, sizeof(q), z->name, strlen(z->name));
	if (!gap && !(flags & 8))
		return FWT_OK;
	if (!(flags & 8) || gap < 12 || gap > sizeof(d))
		return zip_bad(ar, "%llu bytes of other data after zip entry '%s'", (unsigned long long)gap, q);
	if (read_at(ar->fd, end, d, n) != 0)
		return read_error(ar);
	if (!memcmp(d, "PK\7\10", 4)) {
		p += 4;
		n -= 4;
	}
	if (!(n == 12 && le32(p) == z->crc && le32(p + 4) == z->comp && le32(p + 8) == z->usize) &&
	    !(n == 20 && le32(p) == z->crc && le64(p + 4) == z->comp && le64(p + 12) == z->usize))
		return zip_bad(ar, "the data descriptor of zip entry '%s' disagrees with the central directory", q);
	return FWT_OK;
}

/* Each entry's local header, in the order of the central directory: the
 * first at offset 0, each right after the one before, under the same name,
 * method, sizes and CRC; the last ending where the directory starts. */
static fwt_err zip_check_local(fwt_archive *ar, uint64_t cd_off)
{
	unsigned char h[30], *var;
	char q[QUOTE_LEN], c[QUOTE_LEN];
	uint64_t start, end, next, usize, comp;
	size_t i, nl, xl;
	unsigned flags;
	fwt_err err = FWT_OK;

	for (i = 1; i < ar->nzip; i++) {
		if (ar->zip[i].off <= ar->zip[i - 1].off) {
			fwt__quote(q, sizeof(q), ar->zip[i - 1].name, strlen(ar->zip[i - 1].name));
			fwt__quote(c, sizeof(c), ar->zip[i].name, strlen(ar->zip[i].name));
			return zip_bad(ar, "the zip central directory lists '%s' before '%s', in another order than "
			               "the entries", q, c);
		}
	}
	if (ar->nzip && ar->zip[0].off)
		return zip_bad(ar, "%llu bytes of other data before the first zip entry",
		               (unsigned long long)ar->zip[0].off);
	var = malloc(2 * 65535u);
	if (!var)
		return fwt__enomem(ar->ctx);
	for (i = 0; !err && i < ar->nzip; i++) {
		const struct zent *z = &ar->zip[i];
		fwt__quote(c, sizeof(c), z->name, strlen(z->name));
		start = z->off;
		if (start > cd_off || cd_off - start < sizeof(h)) {
			err = zip_bad(ar, "zip entry '%s' is not before the central directory", c);
			break;
		}
		if (read_at(ar->fd, start, h, sizeof(h)) != 0) {
			err = read_error(ar);
			break;
		}
		nl = le16(h + 26);
		xl = le16(h + 28);
		if (memcmp(h, "PK\3\4", 4) || cd_off - start - sizeof(h) < nl + xl) {
			err = zip_bad(ar, "no local header for zip entry '%s'", c);
			break;
		}
		if (read_at(ar->fd, start + sizeof(h), var, nl + xl) != 0) {
			err = read_error(ar);
			break;
		}
		fwt__quote(q, sizeof(q), (const char *)var, nl);
		if (nl != strlen(z->name) || memcmp(var, z->name, nl)) {
			err = zip_bad(ar, "zip entry '%s' is named '%s' in the central directory", q, c);
			break;
		}
		flags = le16(h + 6);
		usize = le32(h + 22);
		comp = le32(h + 18);
		err = zip_extra(ar, var + nl, xl, (const char *)var, nl, &usize, &comp, NULL);
		if (!err)
			err = zip_name_flag(ar, (const char *)var, nl, flags);
		if (err)
			break;
		if (le16(h + 8) != z->method ||
		    (!(flags & 8) && (comp != z->comp || usize != z->usize || le32(h + 14) != z->crc))) {
			err = zip_bad(ar, "zip entry '%s' has another method, size or CRC in the central directory", c);
			break;
		}
		end = start + sizeof(h) + nl + xl;
		next = i + 1 < ar->nzip ? ar->zip[i + 1].off : cd_off;
		if (z->comp > cd_off - end || next < end + z->comp) {
			err = zip_bad(ar, "zip entry '%s' overlaps the %s", c, i + 1 < ar->nzip ? "next" : "central directory");
			break;
		}
		end += z->comp;
		err = zip_after_data(ar, z, flags, end, next - end);
	}
	free(var);
	return err;
}

/* Read and check the central directory of the zip being read. */
static fwt_err zip_load(fwt_archive *ar)
{
	uint64_t cd_off = 0, cd_size = 0, count = 0, cd_end = 0;
	unsigned char sig[4];
	fwt_err err;

	ar->zip_loaded = 1;
	if (ar->fd < 0 || !S_ISREG(ar->st.st_mode))
		return fwt__error(ar->ctx, FWT_EUNSUPPORTED, "'%s': a zip is read from a regular file only (its "
		                  "central directory is checked against its entries)", ar->src);
	err = zip_locate(ar, &cd_off, &cd_size, &count, &cd_end);
	if (err)
		return err;
	if (cd_size > cd_end)
		return zip_bad(ar, "the zip central directory is not where its end record says");
	if (cd_off != cd_end - cd_size) {
		/* all offsets shifted by what precedes the zip: unzip's "extra
		 * bytes at beginning", as a zip appended to another file has */
		if (cd_off < cd_end - cd_size && read_at(ar->fd, cd_end - cd_size, sig, 4) == 0 &&
		    (!memcmp(sig, "PK\1\2", 4) || !count))
			return zip_bad(ar, "%llu bytes of other data before the first zip entry",
			               (unsigned long long)(cd_end - cd_size - cd_off));
		return zip_bad(ar, "the zip central directory is not where its end record says");
	}
	err = zip_read_cd(ar, cd_off, cd_end, count);
	if (!err)
		err = zip_check_local(ar, cd_off);
	return err;
}

/* libarchive's entry, named path, is the next one of the central
 * directory. */
static fwt_err zip_entry(fwt_archive *ar, const char *path)
{
	char q[QUOTE_LEN], c[QUOTE_LEN];

	fwt__quote(q, sizeof(q), path, strlen(path));
	if (ar->zip_next >= ar->nzip)
		return zip_bad(ar, "an entry '%s' that the zip central directory does not list", q);
	if (strcmp(path, ar->zip[ar->zip_next].name)) {
		fwt__quote(c, sizeof(c), ar->zip[ar->zip_next].name, strlen(ar->zip[ar->zip_next].name));
		return zip_bad(ar, "zip entry '%s' is read as '%s'", c, q);
	}
	ar->zip_next++;
	return FWT_OK;
}

static int is_tar(fwt_archive *ar)
{
	return (archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR;
}

/* A stream offset rounded up to the next tar block. */
static uint64_t block_up(la_int64_t off)
{
	return off <= 0 ? 0 : ((uint64_t)off + 511) / 512 * 512;
}

/* ---- the stream an archive was read from, read again ----
 *
 * libarchive does not say what it skipped or what lies past the end it
 * found: the bytes it read (the file itself, or the decompressed stream of
 * a compressed one, through a second reading with the same filters) are
 * looked at here, forward only. */

struct stream {
	fwt_archive *ar;
	struct archive *raw;      /* compressed: the decompressed stream */
	uint64_t pos;             /* compressed: bytes of it consumed */
	uint64_t file_off;        /* compressed: bytes of the file read */
	unsigned char buf[READ_BLOCK];
};

static la_ssize_t stream_read(struct archive *a, void *payload, const void **out)
{
	struct stream *s = payload;
	ssize_t k;

	(void)a;
	do
		k = pread(s->ar->fd, s->buf, sizeof(s->buf), (off_t)s->file_off);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return -1;
	s->file_off += (uint64_t)k;
	*out = s->buf;
	return k;
}

static void stream_free(fwt_archive *ar)
{
	if (ar->stream && ar->stream->raw) {
		archive_read_close(ar->stream->raw);
		archive_read_free(ar->stream->raw);
	}
	free(ar->stream);
	ar->stream = NULL;
}

/* The stream libarchive read the archive from: the file itself, or (when
 * it was compressed) a second reading of it through the same filters.  A
 * file that is not a regular one cannot be read again: FWT_EUNSUPPORTED,
 * saying why it is read again. */
static fwt_err stream_open(fwt_archive *ar, const char *why)
{
	struct archive_entry *e;
	struct stream *s;
	struct archive *a;

	if (ar->fd < 0 || !S_ISREG(ar->st.st_mode))
		return fwt__error(ar->ctx, FWT_EUNSUPPORTED, "'%s': %s", ar->src, why);
	s = ar->stream = calloc(1, sizeof(*s));
	if (!s)
		return fwt__enomem(ar->ctx);
	s->ar = ar;
	if (archive_filter_count(ar->a) <= 1)
		return FWT_OK;
	s->raw = a = archive_read_new();
	if (!a)
		return fwt__enomem(ar->ctx);
	archive_read_support_format_raw(a);
	add_filters(a);
	if (archive_read_open(a, s, NULL, stream_read, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK)
		return fwt__error(ar->ctx, FWT_EIO, "cannot read '%s' again: %s", ar->src,
		                  archive_error_string(a) ? archive_error_string(a) : "error");
	return FWT_OK;
}

/* Up to n bytes of the stream at off (never before what was read last):
 * *got is less than n only where the stream ends. */
static fwt_err stream_get(fwt_archive *ar, uint64_t off, unsigned char *b, size_t n, size_t *got)
{
	struct stream *s = ar->stream;
	unsigned char skip[4096];
	uint64_t size = (uint64_t)ar->st.st_size;
	la_ssize_t k;
	size_t want;

	*got = 0;
	if (!s->raw) {
		if (off >= size)
			return FWT_OK;
		if (size - off < n)
			n = (size_t)(size - off);
		if (read_at(ar->fd, off, b, n) != 0)
			return read_error(ar);
		*got = n;
		return FWT_OK;
	}
	if (off < s->pos)
		return fwt__error(ar->ctx, FWT_EINTERNAL, "'%s': archive stream read out of order", ar->src);
	while (s->pos < off || *got < n) {
		if (s->pos < off) {
			want = off - s->pos < sizeof(skip) ? (size_t)(off - s->pos) : sizeof(skip);
			k = archive_read_data(s->raw, skip, want);
		} else {
			k = archive_read_data(s->raw, b + *got, n - *got);
		}
		if (k < 0)
			return fwt__error(ar->ctx, FWT_EFORMAT, "corrupt archive '%s': %s", ar->src,
			                  archive_error_string(s->raw) ? archive_error_string(s->raw) : "read error");
		if (k == 0)
			return FWT_OK;
		if (s->pos >= off)
			*got += (size_t)k;
		s->pos += (uint64_t)k;
	}
	return FWT_OK;
}

/* ---- what other readers would see: a tar's header chains ----
 *
 * An entry may carry its name in a GNU long name record ('L', 'K' for a
 * link target) and in a pax extended header ('x': path, linkpath, and
 * GNU.sparse.name, which GNU tar writes for a sparse file).  libarchive and
 * Python take one when both are there, GNU tar the other (libarchive and GNU
 * tar take GNU.sparse.name over path, Python the record that comes last),
 * and libarchive does not say that there were two.  Each entry's chain of
 * headers is walked here (a few 512-byte blocks from where libarchive found
 * it, in the decompressed stream), and one with two name sources is
 * refused.  So is an entry's own header where readers part ways on what it
 * is: a folder that carries data (libarchive skips it as a folder's, Python
 * extracts a GNU dumpdir ('D') as a file holding it), and an old GNU header
 * ("ustar  " magic) with bytes in the ustar prefix field (libarchive and GNU
 * tar ignore them, Python puts them before the name).  So is a size read
 * otherwise by other readers: a header's size field that is not octal
 * digits padded with NULs or spaces, a pax number record that is not plain
 * decimal digits, a size in a global pax header.  At the end,
 * everything after the end-of-archive blocks must be zeros: a reader that
 * goes on past them would find more entries. */

#define TAR_BLOCK 512u
#define TAR_CHAIN_MAX 16          /* headers before an entry's own */
#define TAR_EXT_MAX (1u << 20)    /* an extended header's body */
#define TAR_REGULAR "a tar is read from a regular file only (its headers are checked)"
#define TAR_PREFIX 345u           /* ustar: the name's prefix; old GNU: atime */

#define TAR_SIZE 124u                /* a header's size field, 12 bytes */

/* A header's size field as every reader takes it alike: octal digits after
 * spaces, padded with NULs or spaces to its end, or GNU's base-256 form
 * (0x80, then 11 bytes big-endian); -1 for anything else.  libarchive
 * reads "0000002000x" as 1024, Python takes it for a bad header and ends
 * the archive there, GNU tar skips to the next header. */
static int64_t tar_num(const unsigned char *f)
{
	uint64_t v = 0;
	size_t i = 0;

	if (f[0] & 0x80) {
		if (f[0] != 0x80) /* negative (0xff), or bits libarchive reads and Python does not */
			return -1;
		for (i = 1; i < 12; i++) {
			if (v >> 55)
				return -1;
			v = v << 8 | f[i];
		}
		return v > (uint64_t)INT64_MAX ? -1 : (int64_t)v;
	}
	while (i < 12 && f[i] == ' ')
		i++;
	for (; i < 12 && f[i] >= '0' && f[i] <= '7'; i++)
		v = v << 3 | (uint64_t)(f[i] - '0');
	for (; i < 12; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	return (int64_t)v;
}

static int64_t tar_size(const unsigned char *h)
{
	return tar_num(h + TAR_SIZE);
}

/* A size field, quoted for a message: its bytes up to the NULs that end it. */
static void tar_size_quote(char *q, size_t qn, const unsigned char *h)
{
	size_t n = 12;

	while (n && !h[TAR_SIZE + n - 1])
		n--;
	fwt__quote(q, qn, (const char *)h + TAR_SIZE, n);
}

/* A GNU sparse map, checked as its segments are read: in order, without
 * overlap, every segment before the last whole 512-byte blocks (GNU tar
 * reads each segment from a block of its own, libarchive and Python read
 * the stored bytes one after another: they agree only then). */
struct sparse_map {
	uint64_t segs, sum, end;
	int part;           /* a segment so far was not whole blocks */
	int bad;            /* 1: malformed or out of order; 2: data after a segment not whole blocks */
};

/* (GNU tar ends a map with a segment of no bytes at the file's end: it
 * may follow a last segment that is not whole blocks.) */
static void sparse_seg(struct sparse_map *m, uint64_t off, uint64_t num)
{
	if (m->part && num)
		m->bad |= 2;
	if (num % TAR_BLOCK)
		m->part = 1;
	if (off < m->end || num > UINT64_MAX - off || m->sum > UINT64_MAX - num)
		m->bad |= 1;
	else {
		m->end = off + num;
		m->sum += num;
	}
	m->segs++;
}

/* What the pax extended headers of an entry say of it. */
struct pax_keys {
	int path, link;     /* path, linkpath records */
	int sparse_name;    /* GNU.sparse.name records */
	int sparse;         /* any GNU.sparse.* or SUN.holesdata record */
	int sparse_map;     /* a sparse map: GNU.sparse.map, .offset/.numbytes, .major (1.0:
	                     * the map in the data), or SUN.holesdata */
	int sparse_size;    /* GNU.sparse.size or .realsize */
	int schily_realsize; /* SCHILY.realsize (star's sparse size) */
	int size;           /* size records */
	char bad[200];      /* the first number record that is not a plain decimal
	                     * number, quoted ("" when none) */
	int bad_size;       /* ... and it gives a size (else a sparse map) */
	char path_val[4096]; /* the path record's value (NUL-terminated), when it fits */
	int path_long;       /* ... it did not fit */
	char sname_val[4096]; /* the GNU.sparse.name record's, likewise */
	int sname_long;
	/* the GNU sparse formats 0.0 (GNU.sparse.offset and .numbytes
	 * records, in pairs) and 0.1 (GNU.sparse.map), and 1.0's version */
	struct sparse_map map;
	int map_records;    /* GNU.sparse.map records */
	int pair_records;   /* GNU.sparse.offset records */
	int off_pending;    /* an offset waits for its numbytes */
	uint64_t off;
	int has_major, has_minor;
	uint64_t major, minor;
	int has_real;       /* GNU.sparse.size or .realsize: the file's size */
	uint64_t real;
	int has_size;       /* a size record: the stored bytes */
	uint64_t size_val;
};

static int key_is(const unsigned char *k, size_t n, const char *name);

/* A value pax_decimal accepted (at most 19 digits: it fits). */
static uint64_t pax_u64(const unsigned char *v, size_t n)
{
	uint64_t x = 0;

	while (n--)
		x = x * 10 + (uint64_t)(*v++ - '0');
	return x;
}

/* A number record's value, v (n bytes, already found well formed), into
 * what keys says of the entry's sparse map and sizes. */
static void pax_number_record(struct pax_keys *keys, const unsigned char *k, size_t kn, const unsigned char *v,
                              size_t n)
{
	const unsigned char *c;
	uint64_t x, off = 0;
	int odd = 0;

	if (key_is(k, kn, "GNU.sparse.map")) {
		keys->map_records++;
		for (;;) {
			c = memchr(v, ',', n);
			x = pax_u64(v, c ? (size_t)(c - v) : n);
			if (odd)
				sparse_seg(&keys->map, off, x);
			off = x;
			odd = !odd;
			if (!c)
				break;
			n -= (size_t)(c - v) + 1;
			v = c + 1;
		}
		if (odd)
			keys->map.bad |= 1; /* an offset without its size */
		return;
	}
	x = pax_u64(v, n);
	if (key_is(k, kn, "GNU.sparse.offset")) {
		keys->pair_records++;
		if (keys->off_pending)
			keys->map.bad |= 1;
		keys->off_pending = 1;
		keys->off = x;
	} else if (key_is(k, kn, "GNU.sparse.numbytes")) {
		if (!keys->off_pending)
			keys->map.bad |= 1;
		else
			sparse_seg(&keys->map, keys->off, x);
		keys->off_pending = 0;
	} else if (key_is(k, kn, "GNU.sparse.major")) {
		keys->has_major++;
		keys->major = x;
	} else if (key_is(k, kn, "GNU.sparse.minor")) {
		keys->has_minor++;
		keys->minor = x;
	} else if (key_is(k, kn, "GNU.sparse.size") || key_is(k, kn, "GNU.sparse.realsize")) {
		keys->has_real++;
		keys->real = x;
	} else if (key_is(k, kn, "size")) {
		keys->has_size = 1;
		keys->size_val = x;
	}
}

static int key_is(const unsigned char *k, size_t n, const char *name)
{
	return n == strlen(name) && !memcmp(k, name, n);
}

/* A number as every reader takes it alike: 1 to 19 ASCII digits.
 * libarchive reads "1024x" or "+1024" as 1024, Python's int() takes "+1024"
 * and fails on "1024x" (size 0), GNU tar refuses both records (size 0). */
static int pax_decimal(const unsigned char *v, size_t n)
{
	size_t i;

	if (n < 1 || n > 19)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

/* The pax records whose value is a number (GNU.sparse.map: a list of them,
 * comma-separated): 1 for a size, 2 for another number, 3 for a list, else 0. */
static int pax_number_key(const unsigned char *k, size_t n)
{
	static const char *const sparse[] = { "GNU.sparse.size", "GNU.sparse.realsize", "GNU.sparse.numblocks",
	                                      "GNU.sparse.offset", "GNU.sparse.numbytes", "GNU.sparse.major",
	                                      "GNU.sparse.minor" };
	size_t i;

	if (key_is(k, n, "size"))
		return 1;
	if (key_is(k, n, "GNU.sparse.map"))
		return 3;
	for (i = 0; i < sizeof(sparse) / sizeof(*sparse); i++)
		if (key_is(k, n, sparse[i]))
			return i < 2 ? 1 : 2;
	return 0;
}

/* A number record's value (v, n bytes) is as every reader takes it. */
static int pax_number_ok(int kind, const unsigned char *v, size_t n)
{
	const unsigned char *c;

	if (kind != 3)
		return pax_decimal(v, n);
	while ((c = memchr(v, ',', n)) != NULL) {
		if (!pax_decimal(v, (size_t)(c - v)))
			return 0;
		n -= (size_t)(c - v) + 1;
		v = c + 1;
	}
	return pax_decimal(v, n);
}

/* The records of a pax extended header, counted into *keys: 0, or -1 when
 * they are malformed. */
static int pax_names(const unsigned char *p, size_t n, struct pax_keys *keys)
{
	size_t len, i, k;
	int num;

	while (n) {
		for (len = 0, i = 0; i < n && p[i] >= '0' && p[i] <= '9' && len < TAR_EXT_MAX; i++)
			len = len * 10 + (size_t)(p[i] - '0');
		if (!i || i >= n || p[i] != ' ' || len <= i + 1 || len > n || p[len - 1] != '\n')
			return -1;
		for (k = i + 1; k < len - 1 && p[k] != '='; k++)
			;
		if (k >= len - 1)
			return -1;
		if (key_is(p + i + 1, k - i - 1, "path")) {
			size_t vn = len - 1 - (k + 1);
			keys->path++;
			keys->path_long = vn >= sizeof(keys->path_val) || memchr(p + k + 1, '\0', vn);
			if (!keys->path_long) {
				memcpy(keys->path_val, p + k + 1, vn);
				keys->path_val[vn] = '\0';
			}
		}
		else if (key_is(p + i + 1, k - i - 1, "linkpath"))
			keys->link++;
		else if (key_is(p + i + 1, k - i - 1, "GNU.sparse.name")) {
			size_t vn = len - 1 - (k + 1);
			keys->sparse_name++;
			keys->sname_long = vn >= sizeof(keys->sname_val) || memchr(p + k + 1, '\0', vn);
			if (!keys->sname_long) {
				memcpy(keys->sname_val, p + k + 1, vn);
				keys->sname_val[vn] = '\0';
			}
		}
		if ((k - i - 1 >= 11 && !memcmp(p + i + 1, "GNU.sparse.", 11)) ||
		    key_is(p + i + 1, k - i - 1, "SUN.holesdata"))
			keys->sparse = 1;
		if (key_is(p + i + 1, k - i - 1, "GNU.sparse.map") || key_is(p + i + 1, k - i - 1, "GNU.sparse.offset") ||
		    key_is(p + i + 1, k - i - 1, "GNU.sparse.numbytes") ||
		    key_is(p + i + 1, k - i - 1, "GNU.sparse.major") || key_is(p + i + 1, k - i - 1, "SUN.holesdata"))
			keys->sparse_map = 1;
		if (key_is(p + i + 1, k - i - 1, "GNU.sparse.size") || key_is(p + i + 1, k - i - 1, "GNU.sparse.realsize"))
			keys->sparse_size = 1;
		keys->schily_realsize |= key_is(p + i + 1, k - i - 1, "SCHILY.realsize");
		keys->size += key_is(p + i + 1, k - i - 1, "size");
		num = pax_number_key(p + i + 1, k - i - 1);
		if (num && !pax_number_ok(num, p + k + 1, len - 1 - (k + 1))) {
			if (!keys->bad[0]) {
				fwt__quote(keys->bad, sizeof(keys->bad), (const char *)p + i + 1, len - 1 - (i + 1));
				keys->bad_size = num == 1;
			}
		} else if (num) {
			pax_number_record(keys, p + i + 1, k - i - 1, p + k + 1, len - 1 - (k + 1));
		}
		p += len;
		n -= len;
	}
	return 0;
}

/* An old GNU sparse header ('S', own at stream offset at): its map must
 * say what its data is, or readers part ways (an empty map: libarchive
 * takes the stored bytes as the file, GNU tar and Python an empty one).
 * The map's segments (4 in the header, 21 in each extension block while
 * the "isextended" byte is set; at least one: a file all hole has one of
 * no bytes at its end) must be in order, not overlap, hold exactly the
 * stored bytes (the size field), end at the real size (GNU tar writes a
 * file that ends where the map does, the others one of the real size),
 * and hold no
 * data after a segment that is not whole blocks (struct sparse_map).
 * NULL, or why not. */
#define TAR_SPARSE_EXT_MAX 64 /* extension blocks */
static const char *tar_old_sparse(fwt_archive *ar, uint64_t at, const unsigned char *h, int64_t stored)
{
	unsigned char x[TAR_BLOCK];
	const unsigned char *map = h + 386, *ext = h + 482;
	int64_t real = tar_num(h + 483), end = 0, sum = 0, off, num;
	size_t got, i, n = 4, blocks = 0, segs = 0;
	int part = 0;

	if (real < 0)
		return "an old GNU sparse header whose real size is not an octal number";
	for (;;) {
		for (i = 0; i < n; i++, map += 24) {
			if (!map[0] && !map[12])
				break; /* the map ends */
			off = tar_num(map);
			num = tar_num(map + 12);
			if (off < 0 || num < 0 || off < end || num > INT64_MAX - off)
				return "an old GNU sparse map that is malformed or out of order";
			if (part && num)
				return "an old GNU sparse map with data after a segment that is not whole 512-byte blocks "
				       "(GNU tar reads each segment from a block of its own)";
			part |= num % TAR_BLOCK != 0;
			end = off + num;
			sum += num;
			segs++;
			if (sum < 0 || sum > stored)
				return "an old GNU sparse map that holds more than its stored data";
		}
		if (i < n || !*ext)
			break;
		if (++blocks > TAR_SPARSE_EXT_MAX)
			return "an old GNU sparse map of more than 64 extension blocks";
		if (stream_get(ar, at + blocks * TAR_BLOCK, x, sizeof(x), &got) != FWT_OK || got < sizeof(x))
			return "an old GNU sparse map cut short";
		map = x;
		ext = x + 504;
		n = 21;
	}
	if (!segs || sum != stored || end != real)
		return "an old GNU sparse map that does not account for its data and real size";
	return NULL;
}

/* A GNU pax sparse map (x: the entry's pax records; its own header at
 * stream offset at, stored its size field): formats 0.0 and 0.1 hold the
 * map in pax records, 1.0 in decimal lines at the start of the data,
 * padded to whole blocks.  As tar_old_sparse's, the map must hold
 * exactly the stored bytes and end at the real size, and no data may
 * follow a segment that is not whole blocks (see struct sparse_map).
 * NULL, or why not. */
static const char *tar_pax_sparse(fwt_archive *ar, uint64_t at, struct pax_keys *x, int64_t stored)
{
	unsigned char b[TAR_BLOCK];
	uint64_t have, pos = 0, val = 0, want = 0, got_n = 0, off = 0, data;
	size_t got, i, digits = 0;
	struct sparse_map *m = &x->map;

	if (x->has_major > 1 || x->has_minor > 1 || x->has_real > 1 || x->map_records > 1 ||
	    (x->map_records && x->pair_records) || x->off_pending)
		return "a GNU sparse map given twice or in parts";
	if (x->has_size)
		stored = x->size_val > INT64_MAX ? -1 : (int64_t)x->size_val;
	if (stored < 0)
		return "a GNU sparse map that does not account for its data and real size";
	data = (uint64_t)stored;
	if ((x->has_major || x->has_minor) &&
	    (!x->has_major || !x->has_minor || x->major > 1 || x->minor > 1 || (x->major == 1 && x->minor == 1)))
		return "a GNU sparse format other than 0.0, 0.1 and 1.0";
	if (x->has_major && x->major == 1) {
		if (x->map_records || x->pair_records)
			return "a GNU sparse map both in its pax header and in its data";
		/* 1.0: "count\n" then "offset\nnumbytes\n" count times */
		for (;;) {
			if (pos % TAR_BLOCK == 0) {
				if (pos >= TAR_EXT_MAX || pos >= data)
					return "a GNU sparse 1.0 map that is cut short or over 1 MiB";
				if (stream_get(ar, at + TAR_BLOCK + pos, b, sizeof(b), &got) != FWT_OK || got < sizeof(b))
					return "a GNU sparse 1.0 map that is cut short or over 1 MiB";
			}
			i = (size_t)(pos++ % TAR_BLOCK);
			if (b[i] >= '0' && b[i] <= '9' && digits < 19) {
				val = val * 10 + (uint64_t)(b[i] - '0');
				digits++;
				continue;
			}
			if (b[i] != '\n' || !digits)
				return "a GNU sparse 1.0 map that is malformed";
			if (!got_n++) {
				want = val;
				if (want > TAR_EXT_MAX / 4)
					return "a GNU sparse 1.0 map that is cut short or over 1 MiB";
			} else if (got_n % 2 == 0) {
				off = val;
			} else {
				sparse_seg(m, off, val);
			}
			val = 0;
			digits = 0;
			if (got_n == 2 * want + 1)
				break;
		}
		have = (pos + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
		if (have > data)
			return "a GNU sparse 1.0 map that is cut short or over 1 MiB";
		data -= have;
	}
	if (m->bad & 1)
		return "a GNU sparse map that is malformed or out of order";
	if (m->bad & 2)
		return "a GNU sparse map with data after a segment that is not whole 512-byte blocks (GNU tar "
		       "reads each segment from a block of its own)";
	/* a map that ends short of the real size: GNU tar writes a file that
	 * ends where the map does, libarchive and Python one of the real size
	 * (GNU tar ends its maps with a segment of no bytes at the file's end);
	 * a map past it is refused as the data is read */
	if (!m->segs || m->sum != data || !x->has_real || m->end < x->real)
		return "a GNU sparse map that does not account for its data and real size";
	return NULL;
}

/* An entry's own header, after its extended ones, as tar_chain found it. */
struct tar_own {
	int found;          /* the header was read */
	int64_t size;       /* its size field (-1: malformed, refused) */
	int sparse;         /* a sparse file: libarchive fills its holes with zeros */
};

/* The chain of headers libarchive read for the entry named name, from
 * stream offset at; *own says what its own header holds. */
static fwt_err tar_chain(fwt_archive *ar, uint64_t at, const char *name, struct tar_own *own)
{
	unsigned char h[TAR_BLOCK], *body = NULL;
	int n_long = 0, n_longlink = 0, n_pax = 0, i;
	struct pax_keys x, g;
	size_t got;
	char q[QUOTE_LEN], whybuf[300], fq[64];
	const char *why = NULL, *on = "its name";
	int64_t size;
	fwt_err err = FWT_OK;

	memset(own, 0, sizeof(*own));
	memset(&x, 0, sizeof(x));
	memset(&g, 0, sizeof(g));
	fwt__quote(q, sizeof(q), name, strlen(name));
	for (i = 0; i <= TAR_CHAIN_MAX; i++) {
		err = stream_get(ar, at, h, sizeof(h), &got);
		if (err || got < sizeof(h))
			break;
		/* a GNU volume label: GNU tar and libarchive skip it, Python
		 * extracts it as an empty file of that name */
		if (h[156] == 'V') {
			why = "a GNU volume label (Python extracts it as a file, GNU tar skips it)";
			break;
		}
		/* a Solaris ACL: libarchive applies it to the entry after it,
		 * GNU tar and Python extract it as a file of its own */
		if (h[156] == 'A') {
			why = "a Solaris ACL header ('A': libarchive reads it as the next entry's ACL, GNU tar and "
			      "Python extract it as a file)";
			on = "its entries";
			break;
		}
		if (!strchr("LKxXg", h[156]) || !h[156]) {
			own->found = 1;
			own->size = tar_size(h);
			break;
		}
		if (i == TAR_CHAIN_MAX) {
			why = "more than 16 extended headers";
			break;
		}
		size = tar_size(h);
		if (size < 0) {
			tar_size_quote(fq, sizeof(fq), h);
			snprintf(whybuf, sizeof(whybuf), "an extended header whose size field '%s' is not an "
			         "octal number", fq);
			why = whybuf;
			on = "its headers";
			break;
		}
		if (size > (int64_t)TAR_EXT_MAX) {
			why = "an extended header over 1 MiB";
			break;
		}
		if (h[156] == 'L')
			n_long++;
		else if (h[156] == 'K')
			n_longlink++;
		else {
			free(body);
			body = malloc((size_t)size + 1);
			if (!body) {
				err = fwt__enomem(ar->ctx);
				break;
			}
			err = stream_get(ar, at + TAR_BLOCK, body, (size_t)size, &got);
			if (err || got < (size_t)size)
				break;
			if (h[156] == 'g' ? pax_names(body, (size_t)size, &g) :
			                    (n_pax++, pax_names(body, (size_t)size, &x))) {
				why = "a malformed pax header";
				break;
			}
		}
		at += TAR_BLOCK + ((uint64_t)size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	}
	free(body);
	if (err)
		return err;
	/* sparse only with a map: a sparse size alone (or star's realsize)
	 * is read as the size by libarchive and ignored by GNU tar and Python */
	own->sparse = x.sparse_map || g.sparse_map || (own->found && h[156] == 'S');
	if (!why && own->found && own->size < 0) {
		tar_size_quote(fq, sizeof(fq), h);
		snprintf(whybuf, sizeof(whybuf), "a size field '%s' that is not an octal number", fq);
		why = whybuf;
		on = "its size";
	} else if (!why && (x.bad[0] || g.bad[0])) {
		snprintf(whybuf, sizeof(whybuf), "a pax record '%s' that is not a decimal number",
		         x.bad[0] ? x.bad : g.bad);
		why = whybuf;
		on = (x.bad[0] ? x.bad_size : g.bad_size) ? "its size" : "its content";
	} else if (!why && g.size) {
		/* GNU tar applies it to the entries that follow, libarchive
		 * ignores global headers */
		why = "a global pax header that gives a size";
		on = "its size";
	}
	if (!why) {
		if (g.path || g.link || g.sparse_name)
			why = "a global pax header that names entries";
		else if (n_long > 1 || n_longlink > 1 || n_pax > 1)
			why = "two GNU long name records or two pax headers";
		else if (x.path > 1 || x.link > 1 || x.sparse_name > 1)
			why = "a pax header with two paths";
		else if ((n_long && x.path) || (n_longlink && x.link))
			why = "both a GNU long name record and a pax path";
		else if (x.sparse_name && x.path)
			why = "both a pax path and a GNU.sparse.name";
		else if (x.schily_realsize || g.schily_realsize)
			why = "a SCHILY.realsize record", on = "its size";
		else if ((x.sparse_size || g.sparse_size) && !own->sparse)
			why = "a GNU sparse size without a sparse map", on = "its size";
		else if (x.sparse_name && n_long)
			why = "both a GNU long name record and a GNU.sparse.name";
		else if (own->found && !memcmp(h + 257, "ustar  ", 8) && h[TAR_PREFIX] &&
		         (!h[156] || !strchr("LKS", h[156])))
			why = "an old GNU header whose ustar prefix field is not empty";
		else if (own->found && h[156] == 'S' && (why = tar_old_sparse(ar, at, h, own->size)) != NULL)
			on = "its content";
		else if (g.map_records || g.pair_records || g.has_major || g.has_minor)
			why = "a global pax header that gives a sparse map", on = "its content";
		else if (own->found && h[156] != 'S' &&
		         (x.map_records || x.pair_records || x.has_major || x.has_minor || x.map.bad) &&
		         (why = tar_pax_sparse(ar, at, &x, own->size)) != NULL)
			on = "its content";
		/* libarchive reads a pax path through its character set
		 * conversion (an NFD name came out NFC); GNU tar and Python
		 * keep its bytes */
		else if (x.path == 1 && (x.path_long || strcmp(x.path_val, name)))
			why = "a pax path that libarchive reads otherwise than its bytes";
		else if (x.sparse_name == 1 && (x.sname_long || strcmp(x.sname_val, name)))
			why = "a GNU.sparse.name that libarchive reads otherwise than its bytes";
	}
	if (why)
		return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds an entry '%s' with %s (tar readers "
		                  "disagree on %s)", ar->src, q, why, on);
	return FWT_OK;
}

/* From at to the end of the stream, only zeros: *bad is the offset of the
 * first other byte, or UINT64_MAX. */
static fwt_err stream_zeros(fwt_archive *ar, uint64_t at, uint64_t *bad)
{
	unsigned char b[4096];
	uint64_t from = at;
	size_t i, got;
	fwt_err err;

	*bad = UINT64_MAX;
	do {
		if (at - from > data_budget(ar))
			return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds more than %llu bytes of zeros after "
			                  "its end, the data budget of an archive of %llu bytes (" DATA_RULE ")",
			                  ar->src, (unsigned long long)data_budget(ar), (unsigned long long)ar->st.st_size);
		err = stream_get(ar, at, b, sizeof(b), &got);
		if (err)
			return err;
		for (i = 0; i < got && !b[i]; i++)
			;
		if (i < got) {
			*bad = at + i;
			return FWT_OK;
		}
		at += got;
	} while (got == sizeof(b));
	return FWT_OK;
}

/* A compressed stream read to its end (stream_zeros) ends the file, but
 * for zeros (padding, as gzip takes it): a decompressor stops at what is
 * not another member (gzip, bzip2, lz4 say nothing), while GNU tar and
 * gzip -t refuse the file. */
static fwt_err after_compressed(fwt_archive *ar)
{
	unsigned char b[4096];
	la_int64_t used;
	uint64_t size = (uint64_t)ar->st.st_size, pos;
	size_t i, got;

	if (!ar->stream->raw)
		return FWT_OK;
	used = archive_filter_bytes(ar->stream->raw, -1);
	for (pos = used < 0 ? size : (uint64_t)used; pos < size; pos += got) {
		got = size - pos < sizeof(b) ? (size_t)(size - pos) : sizeof(b);
		if (read_at(ar->fd, pos, b, got) != 0)
			return read_error(ar);
		for (i = 0; i < got && !b[i]; i++)
			;
		if (i < got)
			return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds other data after the end of its "
			                  "compressed stream (at byte %llu of the file)", ar->src,
			                  (unsigned long long)(pos + i));
	}
	return FWT_OK;
}

/* A tar header block: its checksum (the unsigned sum of its bytes, the
 * checksum field taken as spaces) is the octal number the field holds. */
static int tar_header_block(const unsigned char *h)
{
	unsigned sum = 0, want = 0;
	size_t i;

	for (i = 0; i < TAR_BLOCK; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	for (i = 148; i < 156 && h[i] == ' '; i++)
		;
	if (i == 156 || h[i] < '0' || h[i] > '7')
		return 0;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
		want = want * 8 + (unsigned)(h[i] - '0');
	return sum == want;
}

/* From the end-of-archive blocks on, the tar stream holds only zeros, and
 * the compressed stream ends the file. */
static fwt_err tar_trailer(fwt_archive *ar, uint64_t at)
{
	unsigned char h[TAR_BLOCK];
	uint64_t bad;
	size_t got;
	char type[QUOTE_LEN];
	fwt_err err = stream_zeros(ar, at, &bad);

	/* a tar ends with two zero blocks: without them it may have been cut
	 * at an entry's end (a download stopped there), which every reader
	 * takes for a whole archive */
	if (!err && bad == UINT64_MAX && stream_get(ar, at, h, sizeof(h), &got) == FWT_OK &&
	    (got < sizeof(h) || stream_get(ar, at + TAR_BLOCK, h, sizeof(h), &got) != FWT_OK || got < sizeof(h)))
		fwt__log(ar->ctx, FWT_LOG_WARN, "release '%s' ends without the two zero blocks that end a tar: it may "
		         "have been cut short after its last entry", ar->src);
	if (err || bad == UINT64_MAX)
		return err ? err : after_compressed(ar);
	/* a header where libarchive saw the end: one it stopped at (a
	 * malformed pax global header, say), which GNU tar reads or refuses */
	if (bad == at && stream_get(ar, at, h, sizeof(h), &got) == FWT_OK && got == sizeof(h) &&
	    tar_header_block(h)) {
		fwt__quote(type, sizeof(type), (const char *)h + 156, 1);
		return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds a tar header (type '%s') that libarchive "
		                  "stops at, at byte %llu of the tar stream (tar readers disagree on what follows)",
		                  ar->src, type, (unsigned long long)bad);
	}
	return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds other data after the end of the tar "
	                  "(at byte %llu of the tar stream)", ar->src, (unsigned long long)bad);
}

/* ---- what follows the end of other archives ----
 *
 * libarchive stops at an archive's end (a cpio's TRAILER!!!, a rar's end
 * block, an ar's last member, an ISO 9660 image's volume) and says nothing of
 * what follows, while other readers go on: the Linux initramfs unpacker
 * extracts every cpio archive put one after the other, the members of a
 * gzip'd one being one stream to it.  As after a tar, only zeros may
 * follow, in the (decompressed) stream and after the compressed one.  A
 * zip is read by its central directory instead (zip_load), and a xar by
 * its table of contents, which places each file's data in a heap that
 * libarchive's own writer leaves unused bytes at the end of: neither is
 * looked at here. */

#define ISO_PVD 32768u /* an ISO 9660 image's primary volume descriptor */
#define ISO_MAX_VD 64u  /* volume descriptors looked at, the primary's first */

/* The name of a format whose end is checked here, or NULL. */
static const char *trailer_format(fwt_archive *ar)
{
	switch (archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK) {
	case ARCHIVE_FORMAT_CPIO:
		return "cpio archive";
	case ARCHIVE_FORMAT_AR:
		return "ar archive";
	case ARCHIVE_FORMAT_ISO9660:
		return "ISO 9660 image";
	case ARCHIVE_FORMAT_7ZIP:
		return "7-Zip archive";
	case ARCHIVE_FORMAT_CAB:
		return "cab archive";
	case ARCHIVE_FORMAT_LHA:
		return "lha archive";
	case ARCHIVE_FORMAT_RAR:
	case ARCHIVE_FORMAT_RAR_V5:
		return "rar archive";
	default:
		return NULL;
	}
}

/* Where libarchive stopped is where the archive ends, once every entry's
 * data was read: a cab or an ISO 9660 image whose last entry was skipped
 * ends earlier for it.  Not so for a 7-Zip archive, read from its end. */
static int ends_where_read(fwt_archive *ar)
{
	return trailer_format(ar) && (archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_7ZIP;
}

/* Read the rest of the entry libarchive is at (see ends_where_read). */
static fwt_err finish_entry(fwt_archive *ar)
{
	unsigned char b[16384];
	la_ssize_t k;

	while ((k = archive_read_data(ar->a, b, sizeof(b))) > 0)
		;
	return k < 0 ? ar_error(ar, ar->cur_path ? ar->cur_path : "(unnamed)") : FWT_OK;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

/* A RAR5 block at b (n bytes there): its length when it is a whole
 * end-of-archive block (header type 5, its CRC-32 right), else 0. */
static size_t rar5_end_block(const unsigned char *b, size_t n)
{
	uint64_t size = 0;
	size_t i, v;

	for (i = 4, v = 0; i < n && i < 7; i++, v += 7) {
		size |= (uint64_t)(b[i] & 0x7f) << v;
		if (!(b[i] & 0x80))
			break;
	}
	if (i >= n || i >= 7 || size < 2 || size > n - i - 1 || b[i + 1] != 5)
		return 0;
	return crc32_of(b + 4, i - 4 + 1 + (size_t)size) == le32(b) ? i + 1 + (size_t)size : 0;
}

/* Where the archive ends in its stream (*end); *next is where the stream
 * is still to be looked at from (bytes up to it were read here already,
 * and *bad is the first of them after *end that is not zero, or
 * UINT64_MAX). */
static fwt_err trailer_start(fwt_archive *ar, uint64_t *end, uint64_t *next, uint64_t *bad)
{
	static const unsigned char sig7z[6] = { '7', 'z', 0xbc, 0xaf, 0x27, 0x1c };
	unsigned fmt = (unsigned)archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK;
	la_int64_t pos = archive_filter_bytes(ar->a, 0);
	unsigned char b[48], vd[136];
	uint64_t off, len, at;
	size_t got, n, back, i;
	fwt_err err;

	*bad = UINT64_MAX;
	if (fmt == ARCHIVE_FORMAT_7ZIP) {
		/* the signature header at the start gives the place and size
		 * of the header at the end, which the archive ends with */
		err = stream_get(ar, 0, b, 32, &got);
		if (err)
			return err;
		if (got < 32 || memcmp(b, sig7z, sizeof(sig7z)))
			return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds other data before its 7-Zip "
			                  "signature header (as a self-extracting archive does)", ar->src);
		off = le64(b + 12);
		len = le64(b + 20);
		if (off > UINT64_MAX - 32 || len > UINT64_MAX - 32 - off)
			return fwt__error(ar->ctx, FWT_EFORMAT, "corrupt archive '%s': 7-Zip header beyond any "
			                  "file", ar->src);
		*end = *next = 32 + off + len;
		return FWT_OK;
	}
	if (pos < 0)
		return fwt__error(ar->ctx, FWT_EINTERNAL, "'%s': libarchive gives no position", ar->src);
	*end = *next = (uint64_t)pos;
	if (fmt == ARCHIVE_FORMAT_ISO9660 && *end >= ISO_PVD + sizeof(vd)) {
		/* an image ends with its volume, as its primary volume
		 * descriptor gives it: what no directory names may be in it
		 * (xorriso's checksum tags, say), but not after it */
		err = stream_get(ar, ISO_PVD, vd, sizeof(vd), &got);
		if (err)
			return err;
		if (got == sizeof(vd) && vd[0] == 1 && !memcmp(vd + 1, "CD001", 5) &&
		    (uint64_t)le32(vd + 80) * le16(vd + 128) > *end)
			*end = *next = (uint64_t)le32(vd + 80) * le16(vd + 128);
		/* a Joliet tree (a supplementary volume descriptor with a UCS-2
		 * escape sequence, before the set terminator): Windows and
		 * 7-Zip read it, libarchive the Rock Ridge one (iso_trees) */
		for (i = 1; i < ISO_MAX_VD && ISO_PVD + i * 2048u + sizeof(vd) <= *end; i++) {
			err = stream_get(ar, ISO_PVD + i * 2048u, vd, sizeof(vd), &got);
			if (err)
				return err;
			if (got < sizeof(vd) || vd[0] == 255)
				break;
			if (vd[0] == 2 && !memcmp(vd + 1, "CD001", 5) && vd[88] == '%' && vd[89] == '/' &&
			    (vd[90] == '@' || vd[90] == 'C' || vd[90] == 'E'))
				ar->iso_joliet = 1;
		}
		return FWT_OK;
	}
	if (fmt != ARCHIVE_FORMAT_RAR_V5)
		return FWT_OK;
	/* libarchive (3.6) leaves a RAR5 archive somewhere in or just past
	 * its end-of-archive block, depending on what follows it: the archive
	 * ends after that block, found from 16 bytes before (a block that
	 * only looks like one, in the data before, ends the archive too
	 * early: the real one is then refused as other data) */
	back = *end >= 16 ? 16 : (size_t)*end;
	at = *end - back;
	err = stream_get(ar, at, b, sizeof(b), &got);
	if (err)
		return err;
	for (i = 0; i <= back && i < got; i++) {
		n = rar5_end_block(b + i, got - i);
		if (n) {
			*end = at + i + n;
			break;
		}
	}
	for (i = (size_t)(*end - at); i < got && !b[i]; i++)
		;
	if (i < got)
		*bad = at + i;
	*next = at + got;
	return FWT_OK;
}

/* After the archive's end, only zeros in its stream; after a compressed
 * stream, only zeros in the file. */
static fwt_err archive_trailer(fwt_archive *ar, const char *what)
{
	char why[160];
	uint64_t end = 0, next = 0, bad = UINT64_MAX;
	fwt_err err;

	snprintf(why, sizeof(why), "%s %s is read from a regular file only (what follows its end is checked)",
	         strchr("aeiouAEIOU", what[0]) ? "an" : "a", what);
	err = ar->stream ? FWT_OK : stream_open(ar, why);
	if (!err)
		err = trailer_start(ar, &end, &next, &bad);
	if (!err && bad == UINT64_MAX)
		err = stream_zeros(ar, next, &bad);
	if (!err && bad != UINT64_MAX)
		return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds other data after the end of the %s "
		                  "(at byte %llu%s)", ar->src, what, (unsigned long long)bad,
		                  ar->stream->raw ? " of the decompressed stream" : "");
	return err ? err : after_compressed(ar);
}

/* ---- the end of an archive ---- */

/* A file read as anything but a zip must not be one to zip readers too:
 * unzip and Python look for the end record in the last 64 KiB, and take
 * the file for the zip it describes (a tar with a zip appended, or one
 * whose last member is a zip), whatever its comment length says. */
static fwt_err not_a_zip_too(fwt_archive *ar)
{
	unsigned char e[ZIP_EOCD_LEN];
	const char *fmt;
	int64_t at;
	fwt_err err;

	if (ar->fd < 0 || !S_ISREG(ar->st.st_mode))
		return FWT_OK;
	err = zip_find_end(ar, &at, e);
	if (err || at < 0)
		return err;
	fmt = archive_format_name(ar->a);
	return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' is read as %s, but zip readers would read it as a "
	                  "zip: it ends with a zip end of central directory record (at byte %lld)", ar->src,
	                  fmt ? fmt : "an archive", (long long)at);
}

/* At the end: a zip's every entry was read; nothing else is a zip too; the
 * file did not change. */
static fwt_err archive_end(fwt_archive *ar)
{
	fwt_err err = FWT_OK;

	if (!ar->is_dir) {
		if (!ar->zip_loaded && (archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP)
			err = zip_load(ar);
		if (!err && ar->zip_loaded && ar->zip_next != ar->nzip)
			err = zip_bad(ar, "the zip central directory lists %zu entries, %zu were read", ar->nzip,
			              ar->zip_next);
		if (!err && !ar->zip_loaded)
			err = not_a_zip_too(ar);
		if (!err && is_tar(ar) && !ar->stream)
			err = stream_open(ar, TAR_REGULAR);
		if (!err && is_tar(ar))
			err = tar_trailer(ar, block_up(archive_read_header_position(ar->a)));
		else if (!err && !ar->zip_loaded && trailer_format(ar))
			err = archive_trailer(ar, trailer_format(ar));
	}
	return err ? err : archive_unchanged(ar);
}

/* What the entry libarchive is at holds, as other readers see it too: a
 * folder carries no data, however its size is given (Python extracts a GNU
 * dumpdir that does as a file; a pax size libarchive skips as the folder's
 * data is the next header to GNU tar and Python); its declared size keeps
 * the files within the archive's data budget, a sparse file's (as its tar
 * headers say: libarchive makes no other format's entries sparse) too. */
static fwt_err entry_kind(fwt_archive *ar, mode_t type, const struct tar_own *own)
{
	char q[QUOTE_LEN];
	uint64_t size = ar->cur.size > 0 ? (uint64_t)ar->cur.size : 0;

	fwt__quote(q, sizeof(q), ar->cur_path, strlen(ar->cur_path));
	/* its own header's size field, or a pax size record: GNU tar and
	 * Python give a folder no data and read it as the next header */
	if (type == AE_IFDIR && own->found && (own->size != 0 || ar->cur.size > 0))
		return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds a folder '%s' whose tar header carries "
		                  "data (tar readers disagree on whether it is a folder or a file)", ar->src, q);
	/* a folder of another format may declare data all the same, which
	 * libarchive decompresses to skip it: it counts like a file's */
	if (size > data_budget(ar) - ar->data_total && type == AE_IFREG && own->sparse)
		return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds a sparse file '%s' of %llu bytes: the "
		                  "files of an archive of %llu bytes may be %llu bytes long in all (" DATA_RULE ")",
		                  ar->src, q, (unsigned long long)size, (unsigned long long)ar->st.st_size,
		                  (unsigned long long)data_budget(ar));
	if (size > data_budget(ar) - ar->data_total)
		return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds a %s '%s' of %llu bytes past its data "
		                  "budget: the files of an archive of %llu bytes may be %llu bytes long in all ("
		                  DATA_RULE ")", ar->src, type == AE_IFDIR ? "folder" : "file", q,
		                  (unsigned long long)size, (unsigned long long)ar->st.st_size,
		                  (unsigned long long)data_budget(ar));
	ar->data_total += size;
	return FWT_OK;
}

/* An ar archive's symbol table or GNU long-name table, which `ar x` does
 * not extract (libarchive lists them): a symbol table ("/", "/SYM64/",
 * BSD's "__.SYMDEF") as the first member, "//" as the first or right after
 * the symbol table, where binutils and ranlib put them.  Elsewhere binutils
 * takes them for members: a "/" or "//" there has an empty name to it and
 * is refused as such, a "__.SYMDEF" is extracted and so listed. */
static int ar_table(fwt_archive *ar, const char *path)
{
	if ((archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_AR)
		return 0;
	if (ar->count == 1 && (!strcmp(path, "/") || !strcmp(path, "/SYM64/") || !strcmp(path, "__.SYMDEF"))) {
		ar->ar_symtab = 1;
		return 1;
	}
	return !strcmp(path, "//") && (ar->count == 1 || (ar->count == 2 && ar->ar_symtab));
}

static fwt_err mount_point(fwt_archive *ar)
{
	char q[QUOTE_LEN];

	fwt__quote(q, sizeof(q), ar->cur_path, strlen(ar->cur_path));
	return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds a mount point '%s' (a manifest does not "
	                  "cross file systems)", ar->src, q);
}

fwt_err fwt_archive_next(fwt_archive *ar, const fwt_archive_entry **entry)
{
	struct archive_entry *e;
	struct tar_own own;
	const char *path, *link;
	int rc;
	mode_t type;

	if (!ar || !entry)
		return ar ? fwt__error(ar->ctx, FWT_EINVAL, "bad arguments to fwt_archive_next") : FWT_EINVAL;
	*entry = NULL;
	/* after the end, the end again (libarchive would call its reader's
	 * state an internal error, said as a corrupt archive) */
	if (ar->ended)
		return ar->ended > 0 ? FWT_OK : fwt__error(ar->ctx, FWT_EINVAL, "'%s': read past its end, which was "
		                                                                 "refused", ar->src);
	if (ar->in_entry && ends_where_read(ar)) {
		fwt_err err = finish_entry(ar);
		if (err)
			return err;
	}
	ar->in_entry = 0;
	for (;;) {
		free(ar->cur_path);
		free(ar->cur_link);
		ar->cur_path = ar->cur_link = NULL;
		close_entry(ar);
		rc = archive_read_next_header(ar->a, &e);
		if (rc == ARCHIVE_EOF) {
			fwt_err err = archive_end(ar);
			ar->ended = err ? -1 : 1;
			return err;
		}
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			if (ar->is_dir)
				return fwt__error(ar->ctx, FWT_EIO, "cannot read folder '%s': %s", ar->src,
				                  archive_error_string(ar->a) ? archive_error_string(ar->a) : "error");
			return ar_error(ar, NULL);
		}
		if (++ar->count > MAX_ENTRIES)
			return fwt__error(ar->ctx, FWT_EFORMAT, "'%s' has more than %u entries", ar->src,
			                  MAX_ENTRIES);
		/* a zip's central directory first: it says why a name may not
		 * be readable (not flagged as UTF-8, say) */
		if (!ar->is_dir && !ar->zip_loaded &&
		    (archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP) {
			fwt_err err = zip_load(ar);
			if (err)
				return err;
		}
		path = archive_entry_pathname(e);
		if (!path)
			return ar_error(ar, "(unnamed)");
		if (!ar->is_dir && ar_table(ar, path))
			continue;
		if (ar->zip_loaded) {
			fwt_err err = zip_entry(ar, path);
			if (err)
				return err;
		}
		memset(&own, 0, sizeof(own));
		if (!ar->is_dir && is_tar(ar)) {
			fwt_err err = ar->stream ? FWT_OK : stream_open(ar, TAR_REGULAR);
			if (!err)
				err = tar_chain(ar, block_up(archive_read_header_position(ar->a)), path, &own);
			if (err)
				return err;
		}
		ar->cur_path = ar->is_dir ? disk_name(ar, path) : normalise(path);
		if (!ar->cur_path)
			return fwt__error(ar->ctx, FWT_EFORMAT, "'%s': entry name too long", ar->src);
		type = archive_entry_filetype(e);
		/* binutils' ar (deterministic, its default) stores a mode of
		 * 644 without file type bits: `ar x` writes a regular file */
		if (!type && !ar->is_dir &&
		    (archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_AR)
			type = AE_IFREG;
		/* libarchive does not go into a folder on another file system
		 * (NO_TRAVERSE_MOUNTS), but tar does: say so rather than list
		 * less than extracting the folder's tarball gives */
		if (ar->is_dir && type == AE_IFDIR && archive_entry_dev(e) != ar->root_dev)
			return mount_point(ar);
		if (ar->is_dir && type == AE_IFDIR)
			archive_read_disk_descend(ar->a);
		link = archive_entry_hardlink(e);
		if (!*ar->cur_path) {
			if (type == AE_IFDIR && !link)
				continue; /* the archive's own root ("./") */
			return fwt__error(ar->ctx, FWT_EFORMAT, "corrupt archive '%s': an entry that is not a "
			                  "folder has an empty name", ar->src);
		}
		memset(&ar->cur, 0, sizeof(ar->cur));
		ar->cur.path = ar->cur_path;
		ar->cur.size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
		ar->entry_read = 0;
		ar->entry_sparse = 0;
		ar->blk = NULL;
		ar->blk_len = 0;
		ar->blk_off = 0;
		ar->blk_eof = 0;
		if (!ar->is_dir) {
			fwt_err err = entry_kind(ar, type, &own);
			if (err)
				return err;
			ar->entry_sparse = own.sparse;
		}
		ar->cur_mode = (unsigned)type;
		ar->entry_src = ar->is_dir ? archive_entry_sourcepath(e) : NULL;
		if (link && !ar->is_dir) {
			ar->cur.type = FWT_ENTRY_HARDLINK;
			ar->cur_link = normalise(link);
			if (!ar->cur_link)
				return fwt__error(ar->ctx, FWT_EFORMAT, "'%s': entry '%s': link target too long",
				                  ar->src, ar->cur_path);
		} else if (type == AE_IFREG) {
			ar->cur.type = FWT_ENTRY_FILE;
		} else if (type == AE_IFDIR) {
			ar->cur.type = FWT_ENTRY_DIR;
		} else if (type == AE_IFLNK) {
			ar->cur.type = FWT_ENTRY_SYMLINK;
			link = archive_entry_symlink(e);
			ar->cur_link = strdup(link ? link : "");
		} else {
			ar->cur.type = FWT_ENTRY_OTHER;
		}
		if ((ar->cur.type == FWT_ENTRY_HARDLINK || ar->cur.type == FWT_ENTRY_SYMLINK) && !ar->cur_link)
			return fwt__enomem(ar->ctx);
		ar->cur.link_target = ar->cur_link;
		ar->in_entry = !ar->is_dir;
		*entry = &ar->cur;
		return FWT_OK;
	}
}

static ssize_t entry_fail(fwt_archive *ar, const char *fmt, ...) FWT_FMT(2, 3);
static ssize_t entry_fail(fwt_archive *ar, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ar->data_error, sizeof(ar->data_error), fmt, ap);
	va_end(ap);
	ar->data_failed = 1;
	errno = EIO;
	return -1;
}

/* The entry's data by libarchive's blocks and their offsets, as extractors
 * write it: a gap between blocks is a hole of zeros, and so is the end of a
 * sparse file after its last block (libarchive's archive_read_data stops
 * there, and repeats bytes across xar entries).  Never more than the entry's
 * size; a block that overlaps what was given is malformed, and so is data
 * that ends before the size of an entry that is not sparse. */
static ssize_t entry_read(void *payload, void *buf, size_t len)
{
	fwt_archive *ar = payload;
	uint64_t pos = ar->entry_read, size = ar->cur.size >= 0 ? (uint64_t)ar->cur.size : UINT64_MAX;
	size_t n;

	for (;;) {
		if (ar->blk && (uint64_t)ar->blk_off + ar->blk_len > pos) {
			if ((uint64_t)ar->blk_off > pos) { /* a hole before the block */
				n = (uint64_t)ar->blk_off - pos < len ? (size_t)((uint64_t)ar->blk_off - pos) : len;
				memset(buf, 0, n);
			} else {
				size_t at = (size_t)(pos - (uint64_t)ar->blk_off);
				n = ar->blk_len - at < len ? ar->blk_len - at : len;
				memcpy(buf, ar->blk + at, n);
			}
			break;
		}
		if (ar->blk_eof) {
			if (pos >= size || ar->cur.size < 0)
				return 0;
			if (!ar->entry_sparse)
				return entry_fail(ar, "its data ends before its size of %lld bytes", (long long)ar->cur.size);
			/* a sparse file ending in a hole */
			n = size - pos < len ? (size_t)(size - pos) : len;
			memset(buf, 0, n);
			break;
		}
		{
			const void *b = NULL;
			size_t bl = 0;
			la_int64_t off = 0;
			int rc = archive_read_data_block(ar->a, &b, &bl, &off);
			if (rc == ARCHIVE_EOF) {
				ar->blk = NULL;
				ar->blk_eof = 1;
				continue;
			}
			/* ARCHIVE_WARN too: zip, 7-Zip and lha report a bad CRC or a
			 * wrong size that way, with the last block (archive_read_data
			 * made it an error, as extractors do) */
			if (rc != ARCHIVE_OK) {
				const char *msg = archive_error_string(ar->a);
				ar->data_failed = 1;
				snprintf(ar->data_error, sizeof(ar->data_error), "%s", msg ? msg : "read error");
				errno = EIO;
				return -1;
			}
			if (off < 0 || (uint64_t)off < pos || (ar->blk && off < ar->blk_off + (la_int64_t)ar->blk_len))
				return entry_fail(ar, "its data blocks overlap (at byte %lld)", (long long)off);
			if ((uint64_t)off > size || bl > size - (uint64_t)off)
				return entry_fail(ar, "its data runs past its size of %lld bytes", (long long)ar->cur.size);
			ar->blk = b;
			ar->blk_len = bl;
			ar->blk_off = off;
		}
	}
	if (n > data_budget(ar) - ar->data_given)
		return entry_fail(ar, "its data takes the files past %llu bytes in all, the data budget of an archive "
		                  "of %llu bytes (" DATA_RULE ")", (unsigned long long)data_budget(ar),
		                  (unsigned long long)ar->st.st_size);
	ar->data_given += n;
	ar->entry_read += n;
	return (ssize_t)n;
}

/* Read the entry from fd, an open regular file whose identity is st: it
 * counts as an input (no output may replace it), and the archive closes it
 * with the entry.  fd is closed on failure. */
static fwt_err adopt_entry_fd(fwt_archive *ar, int fd, const struct stat *st, fwt_reader **out)
{
	fwt_err err = fwt__ctx_add_input_id(ar->ctx, st->st_dev, st->st_ino);

	if (!err)
		err = fwt_reader_from_fd(ar->ctx, out, fd, ar->entry_src);
	if (err) {
		close(fd);
		return err;
	}
	ar->entry_fd = fd;
	return FWT_OK;
}

/* A folder's file is read through a descriptor of its own, opened without
 * following links or blocking, which must still be a regular file: the
 * reader then tells when it changes while being read, as for a lone file,
 * and the file is recorded as an input (no output may be written over it). */
static fwt_err open_entry(fwt_archive *ar, fwt_reader **out)
{
	struct stat st;
	int fd;

	if (!ar->entry_src)
		return fwt__error(ar->ctx, FWT_EINTERNAL, "'%s': no path for entry '%s'", ar->src, ar->cur_path);
	fd = open(ar->entry_src, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno == ELOOP)
		return fwt__error(ar->ctx, FWT_EIO, "'%s' changed while it was being read (now a symbolic link)",
		                  ar->entry_src);
	if (fd < 0)
		return fwt__error(ar->ctx, FWT_EIO, "cannot open '%s': %s", ar->entry_src, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fwt__error(ar->ctx, FWT_EIO, "'%s' changed while it was being read (no longer a regular file)",
		                  ar->entry_src);
	}
	return adopt_entry_fd(ar, fd, &st, out);
}

fwt_err fwt_archive_entry_reader(fwt_archive *ar, fwt_reader **out)
{
	if (!ar || !out || !ar->cur_path || ar->cur.type != FWT_ENTRY_FILE)
		return fwt__error(ar ? ar->ctx : NULL, FWT_EINVAL, "no regular file entry to read");
	ar->data_failed = 0;
	if (ar->is_dir) {
		close_entry(ar);
		return open_entry(ar, out);
	}
	return fwt_reader_from_callback(ar->ctx, out, entry_read, ar, ar->cur_path);
}

/* ---- manifest ---- */

struct mentry {
	char *name;
	unsigned char hash[64];
};

struct fwt_manifest {
	fwt_ctx *ctx;
	struct mentry *v;
	size_t n, cap;
};

fwt_err fwt_manifest_new(fwt_ctx *ctx, fwt_manifest **out)
{
	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_manifest_new");
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return fwt__enomem(ctx);
	(*out)->ctx = ctx;
	return FWT_OK;
}

void fwt_manifest_free(fwt_manifest *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	free(m);
}

fwt_err fwt_manifest_add(fwt_manifest *m, const char *name, size_t namelen, const unsigned char hash[64])
{
	struct mentry *nv;
	char *copy;

	if (!m || !name || !hash)
		return m ? fwt__error(m->ctx, FWT_EINVAL, "bad arguments to fwt_manifest_add") : FWT_EINVAL;
	if (memchr(name, '\0', namelen))
		return fwt__error(m->ctx, FWT_EFORMAT, "file name contains a NUL byte");
	copy = fwt__strndup(name, namelen);
	if (!copy)
		return fwt__enomem(m->ctx);
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		nv = realloc(m->v, cap * sizeof(*nv));
		if (!nv) {
			free(copy);
			return fwt__enomem(m->ctx);
		}
		m->v = nv;
		m->cap = cap;
	}
	m->v[m->n].name = copy;
	memcpy(m->v[m->n].hash, hash, 64);
	m->n++;
	return FWT_OK;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct mentry *)a)->name, ((const struct mentry *)b)->name);
}

fwt_err fwt_manifest_sort(fwt_manifest *m)
{
	size_t i;
	char q[300];

	if (!m)
		return FWT_EINVAL;
	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), cmp_entry);
	for (i = 1; i < m->n; i++) {
		if (!strcmp(m->v[i - 1].name, m->v[i].name)) {
			fwt__quote(q, sizeof(q), m->v[i].name, strlen(m->v[i].name));
			return fwt__error(m->ctx, FWT_EFORMAT, "duplicate file name '%s'", q);
		}
	}
	return FWT_OK;
}

size_t fwt_manifest_count(const fwt_manifest *m)
{
	return m ? m->n : 0;
}

const char *fwt_manifest_name(const fwt_manifest *m, size_t i)
{
	return m && i < m->n ? m->v[i].name : NULL;
}

const unsigned char *fwt_manifest_hash(const fwt_manifest *m, size_t i)
{
	return m && i < m->n ? m->v[i].hash : NULL;
}

/* Drop the first n path components; NULL when nothing is left. */
static const char *strip_components(const char *p, unsigned n)
{
	while (n--) {
		const char *s = strchr(p, '/');
		if (!s)
			return NULL;
		p = s + 1;
		while (*p == '/')
			p++;
	}
	return *p ? p : NULL;
}

/* The components of a canonical name ("a/b/c": 3). */
static size_t components_of(const char *p)
{
	size_t n = 1;

	for (; *p; p++)
		n += *p == '/';
	return n;
}

/*
 * A manifest accounts for every entry of a release, or refuses it: an
 * entry it cannot list as a file (a symbolic link, a device, a FIFO, a
 * socket), a name that appears twice or both as a file and as a folder, a
 * '..' in a name, or a hard link it cannot resolve to an earlier file would
 * let the release extract to something other than what the manifest lists.
 * The walk records every entry under its canonical name; the checks run
 * once the walk is over, on the records sorted so that a name's descendants
 * follow it directly.
 */
enum rec_kind { REC_DIR, REC_FILE, REC_HARDLINK };

struct rec {
	char *name;         /* canonical, before opts->strip */
	char *target;       /* hard links: the canonical target */
	size_t seq;         /* position in the release */
	size_t hash;        /* files and resolved hard links: index in walk.h */
	enum rec_kind kind;
	int empty;          /* a file of no bytes (a cpio link set's placeholder) */
	int dataful;        /* a cpio hard link carrying the set's data (hash set) */
};

struct walk {
	fwt_ctx *ctx;
	const char *src;    /* the release, as named by the caller */
	struct rec *r;
	size_t n, cap;
	unsigned char (*h)[64];
	size_t nh, caph;
};

#define NO_HASH ((size_t)-1)

static void walk_free(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->r[i].name);
		free(w->r[i].target);
	}
	free(w->r);
	free(w->h);
}

static fwt_err rec_add(struct walk *w, const char *name, enum rec_kind kind, const char *target,
                       const unsigned char *hash)
{
	struct rec *r;

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		r = realloc(w->r, cap * sizeof(*r));
		if (!r)
			return fwt__enomem(w->ctx);
		w->r = r;
		w->cap = cap;
	}
	if (hash && w->nh == w->caph) {
		size_t cap = w->caph ? w->caph * 2 : 64;
		unsigned char (*h)[64] = realloc(w->h, cap * sizeof(*h));
		if (!h)
			return fwt__enomem(w->ctx);
		w->h = h;
		w->caph = cap;
	}
	r = &w->r[w->n];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	r->target = target ? strdup(target) : NULL;
	if (!r->name || (target && !r->target)) {
		free(r->name);
		free(r->target);
		return fwt__enomem(w->ctx);
	}
	r->seq = w->n;
	r->kind = kind;
	r->hash = NO_HASH;
	if (hash) {
		memcpy(w->h[w->nh], hash, 64);
		r->hash = w->nh++;
	}
	w->n++;
	return FWT_OK;
}

/* Bytewise, except that '/' sorts before every other byte: a name's
 * descendants ("a/...") then come right after it, before "a-b" or "a.b". */
static int cmp_path(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	if (*p == *q)
		return 0;
	if (!*p || !*q)
		return *p ? 1 : -1;
	if (*p == '/' || *q == '/')
		return *p == '/' ? -1 : 1;
	return *p < *q ? -1 : 1;
}

static int cmp_rec(const void *a, const void *b)
{
	return cmp_path(((const struct rec *)a)->name, ((const struct rec *)b)->name);
}

static int cmp_rec_seq(const void *a, const void *b)
{
	size_t x = (*(struct rec *const *)a)->seq, y = (*(struct rec *const *)b)->seq;

	return x < y ? -1 : x > y;
}

static const char *type_name(unsigned mode)
{
	switch (mode & AE_IFMT) {
	case AE_IFLNK: return "a symbolic link";
	case AE_IFCHR: return "a character device";
	case AE_IFBLK: return "a block device";
	case AE_IFIFO: return "a FIFO";
	case AE_IFSOCK: return "a socket";
	case AE_IFDIR: return "a folder";
	case AE_IFREG: return "a regular file";
	default: return "an entry of unknown type";
	}
}

static int has_dotdot(const char *p)
{
	for (;;) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2]))
			return 1;
		p = strchr(p, '/');
		if (!p)
			return 0;
		p++;
	}
}

/* A symbolic link in a folder, followed: the regular file it points to,
 * opened without blocking (never a FIFO or a device) and checked to be the
 * file that was looked at. */
static fwt_err open_link_target(fwt_archive *ar, const char *rel, fwt_reader **out)
{
	char q[QUOTE_LEN], t[QUOTE_LEN];
	struct stat st, fst;
	int fd;

	fwt__quote(q, sizeof(q), ar->cur_path, strlen(ar->cur_path));
	fwt__quote(t, sizeof(t), ar->cur_link ? ar->cur_link : "", ar->cur_link ? strlen(ar->cur_link) : 0);
	if (!ar->entry_src)
		return fwt__error(ar->ctx, FWT_EINTERNAL, "'%s': no path for entry '%s'", ar->src, q);
	if (stat(ar->entry_src, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds a symbolic link '%s' to '%s', "
			                  "which does not exist", rel, q, t);
		if (errno == ELOOP)
			return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds a symbolic link '%s' that loops "
			                  "(too many levels of links)", rel, q);
		return fwt__error(ar->ctx, FWT_EIO, "cannot follow '%s': %s", ar->entry_src, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return fwt__error(ar->ctx, FWT_EFORMAT, "release '%s' holds a symbolic link '%s' to %s (a manifest "
		                  "covers regular files only)", rel, q, type_name((unsigned)(st.st_mode & S_IFMT)));
	fd = open(ar->entry_src, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fwt__error(ar->ctx, FWT_EIO, "cannot open '%s': %s", ar->entry_src, strerror(errno));
	if (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode) || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
		close(fd);
		return fwt__error(ar->ctx, FWT_EIO, "'%s' changed while it was being read (no longer the file "
		                  "its link pointed to)", ar->entry_src);
	}
	return adopt_entry_fd(ar, fd, &st, out);
}

/* Every name of r (n records, sorted here) once; no file is also a folder
 * (an extractor would replace one by the other, or write beneath a file).
 * strip: the names are the release's with that many leading components
 * dropped (as tar --strip-components extracts them), where two folders of
 * one name are one folder. */
static fwt_err check_names(struct walk *w, struct rec *r, size_t nr, unsigned strip)
{
	char q[QUOTE_LEN], how[80] = "";
	size_t i, n;

	if (strip)
		snprintf(how, sizeof(how), " once %u leading name component%s %s stripped", strip,
		         strip == 1 ? "" : "s", strip == 1 ? "is" : "are");
	if (nr > 1)
		qsort(r, nr, sizeof(*r), cmp_rec);
	for (i = 1; i < nr; i++) {
		const struct rec *a = &r[i - 1], *b = &r[i];
		n = strlen(a->name);
		if (!strcmp(a->name, b->name)) {
			fwt__quote(q, sizeof(q), a->name, n);
			if ((a->kind == REC_DIR) != (b->kind == REC_DIR))
				return fwt__error(w->ctx, FWT_EFORMAT, "release '%s' holds '%s' both as a file "
				                  "and as a folder%s", w->src, q, how);
			if (strip && a->kind == REC_DIR)
				continue;
			return fwt__error(w->ctx, FWT_EFORMAT, "release '%s' holds '%s' twice%s (a manifest "
			                  "needs one entry per name)", w->src, q, how);
		}
		if (a->kind != REC_DIR && !strncmp(a->name, b->name, n) && b->name[n] == '/') {
			fwt__quote(q, sizeof(q), a->name, n);
			return fwt__error(w->ctx, FWT_EFORMAT, "release '%s' holds '%s' both as a file and as a "
			                  "folder%s", w->src, q, how);
		}
	}
	return FWT_OK;
}

/* The same checks on the names --strip leaves (files with fewer components
 * are not extracted): a/x (a file) and b/x/y are 'x' and 'x/y', which tar
 * extracts as x/y alone.  Runs after resolve_links (w->r is left as is). */
static fwt_err check_stripped_names(struct walk *w, unsigned strip)
{
	struct rec *s;
	size_t i, n = 0;
	fwt_err err;

	if (!strip || !w->n)
		return FWT_OK;
	s = calloc(w->n, sizeof(*s));
	if (!s)
		return fwt__enomem(w->ctx);
	for (i = 0; i < w->n; i++) {
		const char *name = strip_components(w->r[i].name, strip);
		if (!name)
			continue;
		s[n] = w->r[i];
		s[n].name = (char *)name; /* borrowed from w->r[i] */
		s[n].target = NULL;
		n++;
	}
	err = check_names(w, s, n, strip);
	free(s);
	return err;
}

/* A hard link shares the content of an earlier file of the release (as tar
 * extracts it: the target must already be there); links are resolved in
 * release order, so a link to an earlier link works too.  Runs after
 * check_names (w->r sorted, names unique). */
static fwt_err resolve_links(struct walk *w)
{
	char q[QUOTE_LEN], t[QUOTE_LEN];
	struct rec **links, key, *tr;
	size_t i, nl = 0;
	fwt_err err = FWT_OK;

	for (i = 0; i < w->n; i++)
		nl += w->r[i].kind == REC_HARDLINK;
	if (!nl)
		return FWT_OK;
	links = malloc(nl * sizeof(*links));
	if (!links)
		return fwt__enomem(w->ctx);
	for (i = 0, nl = 0; i < w->n; i++)
		if (w->r[i].kind == REC_HARDLINK)
			links[nl++] = &w->r[i];
	qsort(links, nl, sizeof(*links), cmp_rec_seq);
	/* first the cpio links that carry their set's data: the file they
	 * link to holds it too (it was an empty placeholder, or the same data) */
	for (i = 0; i < nl; i++) {
		if (!links[i]->dataful)
			continue;
		memset(&key, 0, sizeof(key));
		key.name = links[i]->target;
		tr = bsearch(&key, w->r, w->n, sizeof(*w->r), cmp_rec);
		fwt__quote(q, sizeof(q), links[i]->name, strlen(links[i]->name));
		fwt__quote(t, sizeof(t), links[i]->target, strlen(links[i]->target));
		if (!tr || tr->seq >= links[i]->seq || tr->kind != REC_FILE) {
			err = fwt__error(w->ctx, FWT_EFORMAT, "release '%s' holds a hard link '%s' to '%s', which "
			                 "is not an earlier file of the release", w->src, q, t);
			break;
		}
		if (tr->empty) {
			tr->hash = links[i]->hash;
			tr->empty = 0;
		} else if (memcmp(w->h[tr->hash], w->h[links[i]->hash], 64)) {
			err = fwt__error(w->ctx, FWT_EFORMAT, "release '%s' holds a hard link '%s' to '%s' carrying "
			                 "other data than it (cpio readers disagree on the file)", w->src, q, t);
			break;
		}
	}
	for (i = 0; !err && i < nl; i++) {
		if (links[i]->dataful)
			continue;
		memset(&key, 0, sizeof(key));
		key.name = links[i]->target;
		tr = bsearch(&key, w->r, w->n, sizeof(*w->r), cmp_rec);
		if (!tr || tr->seq >= links[i]->seq || tr->kind == REC_DIR || tr->hash == NO_HASH) {
			fwt__quote(q, sizeof(q), links[i]->name, strlen(links[i]->name));
			fwt__quote(t, sizeof(t), links[i]->target, strlen(links[i]->target));
			err = fwt__error(w->ctx, FWT_EFORMAT, "release '%s' holds a hard link '%s' to '%s', which "
			                 "is not an earlier file of the release", w->src, q, t);
			break;
		}
		links[i]->hash = tr->hash;
	}
	free(links);
	return err;
}

/* Walk the release ar is open on into w (follow_inner: list a folder's
 * symbolic links as the files they point to; progress may be NULL). */
static fwt_err walk_release(struct walk *w, fwt_archive *ar, int follow_inner, fwt_progress_fn progress,
                            void *progress_payload)
{
	fwt_digest_options dopts = FWT_DIGEST_OPTIONS_INIT;
	const fwt_archive_entry *e;
	fwt_ctx *ctx = w->ctx;
	const char *path = w->src;
	fwt_reader *r = NULL;
	fwt_digests d;
	char q[QUOTE_LEN];
	uint64_t done = 0;
	fwt_err err = FWT_OK;

	dopts.algs = FWT_DIGEST_SHA512;
	while (!err) {
		err = fwt_archive_next(ar, &e);
		if (err || !e)
			return err;
		fwt__quote(q, sizeof(q), e->path, strlen(e->path));
		if (has_dotdot(e->path)) {
			err = fwt__error(ctx, FWT_EFORMAT, "release '%s' holds an entry '%s' whose name has a '..' "
			                 "component", path, q);
			break;
		}
		if (e->type == FWT_ENTRY_DIR) {
			err = rec_add(w, e->path, REC_DIR, NULL, NULL);
			continue;
		}
		if (e->type == FWT_ENTRY_HARDLINK && e->size > 0 && !ar->is_dir &&
		    (archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_CPIO) {
			/* cpio keeps a set of links with the data on one member
			 * (newc: the last; odc: every one): the set's names all
			 * hold it, as cpio and bsdtar extract them */
			ar->cur.type = FWT_ENTRY_FILE;
			err = fwt_archive_entry_reader(ar, &r);
			ar->cur.type = FWT_ENTRY_HARDLINK;
			if (!err)
				err = fwt_digest_reader(ctx, r, &dopts, &d);
			fwt_reader_free(r);
			r = NULL;
			if (err && ar->data_failed)
				err = fwt__error(ctx, FWT_EFORMAT, "corrupt archive '%s' at entry '%s': %s", path, q,
				                 ar->data_error);
			if (!err)
				err = rec_add(w, e->path, REC_HARDLINK, e->link_target, d.sha512);
			if (!err) {
				w->r[w->n - 1].dataful = 1;
				done += d.bytes;
			}
			continue;
		}
		if (e->type == FWT_ENTRY_HARDLINK) {
			if (e->size > 0)
				err = fwt__error(ctx, FWT_EFORMAT, "release '%s' holds a hard link '%s' that carries "
				                 "data of its own (a manifest covers links to an earlier file "
				                 "only)", path, q);
			else
				err = rec_add(w, e->path, REC_HARDLINK, e->link_target, NULL);
			continue;
		}
		if (e->type == FWT_ENTRY_FILE)
			err = fwt_archive_entry_reader(ar, &r);
		else if (e->type == FWT_ENTRY_SYMLINK && ar->is_dir && follow_inner)
			err = open_link_target(ar, path, &r);
		else if (e->type == FWT_ENTRY_SYMLINK && ar->is_dir)
			err = fwt__error(ctx, FWT_EFORMAT, "release '%s' holds a symbolic link '%s' (not followed; "
			                 "a manifest covers regular files only)", path, q);
		else
			err = fwt__error(ctx, FWT_EFORMAT, "release '%s' holds %s '%s' (a manifest covers regular "
			                 "files only)", path, type_name(ar->cur_mode), q);
		if (err)
			break;
		err = fwt_digest_reader(ctx, r, &dopts, &d);
		fwt_reader_free(r);
		r = NULL;
		if (err) {
			if (ar->data_failed)
				err = fwt__error(ctx, FWT_EFORMAT, "corrupt archive '%s' at entry '%s': %s", path,
				                 q, ar->data_error);
			else
				fwt__error_prefix(ctx, "entry '%s'", q);
			break;
		}
		done += d.bytes;
		if (progress)
			progress(progress_payload, done, -1);
		err = rec_add(w, e->path, REC_FILE, NULL, d.sha512);
		if (!err)
			w->r[w->n - 1].empty = d.bytes == 0;
	}
	return err;
}

/* ---- an ISO 9660 image's other trees ----
 *
 * An image may name its files three times: in its primary tree (8.3 names
 * in upper case), in the Rock Ridge entries of the same records (what
 * libarchive, Linux and bsdtar read), and in a separate Joliet tree (UCS-2
 * names, what Windows and 7-Zip read), whose records may point to other
 * data under the same names.  An image with a Joliet tree is read again as
 * Joliet readers see it, which must give the same names, folders and
 * contents, and as readers of the primary tree alone see it, which must
 * give the same folders and contents where its names are the others' in
 * upper case (elsewhere they cannot carry the same names, and are not
 * compared).  An image without a Joliet tree is read once. */

struct named {
	char *name;          /* ASCII upper-cased (primary tree) or as read */
	const struct rec *r;
};

static int cmp_named(const void *a, const void *b)
{
	return cmp_path(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static void named_free(struct named *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i].name);
	free(v);
}

/* w's records by name (upper-cased when fold), sorted: NULL on ENOMEM. */
static struct named *named_of(const struct walk *w, int fold)
{
	struct named *v = calloc(w->n ? w->n : 1, sizeof(*v));
	size_t i;
	char *c;

	for (i = 0; v && i < w->n; i++) {
		v[i].r = &w->r[i];
		v[i].name = strdup(w->r[i].name);
		if (!v[i].name) {
			named_free(v, i);
			return NULL;
		}
		for (c = v[i].name; fold && *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
	}
	if (v && w->n > 1)
		qsort(v, w->n, sizeof(*v), cmp_named);
	return v;
}

/* a (what libarchive reads) and b (another tree, named other) agree: the
 * same names (upper-cased when fold: else, when they differ, the trees
 * cannot carry the same names and are not compared), folders and contents. */
static fwt_err trees_agree(const struct walk *a, const struct walk *b, int fold, const char *other)
{
	const char *main_tree = fold ? "its Rock Ridge or Joliet tree" : "its Rock Ridge tree";
	struct named *x = named_of(a, fold), *y = named_of(b, fold);
	char q[QUOTE_LEN];
	fwt_err err = FWT_OK;
	size_t i = 0, j = 0;
	int c;

	if (!x || !y) {
		named_free(x, x ? a->n : 0);
		named_free(y, y ? b->n : 0);
		return fwt__enomem(a->ctx);
	}
	if (fold) {
		int same = a->n == b->n;
		for (i = 0; same && i < a->n; i++)
			same = !strcmp(x[i].name, y[i].name) && (i == 0 || strcmp(x[i - 1].name, x[i].name));
		if (!same)
			goto out;
	}
	for (i = 0, j = 0; i < a->n || j < b->n;) {
		c = i == a->n ? 1 : j == b->n ? -1 : cmp_path(x[i].name, y[j].name);
		if (c) {
			const char *n = c < 0 ? x[i].name : y[j].name, *base = strrchr(n, '/');
			/* the hint only for a name a Joliet writer would change
			 * (a file hidden from one tree is missing as it is) */
			int joliet = !fold && (strpbrk(n, ":;*?\\") || strlen(base ? base + 1 : n) > 64);
			fwt__quote(q, sizeof(q), n, strlen(n));
			err = fwt__error(a->ctx, FWT_EFORMAT, "release '%s' is an ISO 9660 image whose trees disagree: "
			                 "'%s' is in %s but not in %s%s", a->src, q, c < 0 ? main_tree : other,
			                 c < 0 ? other : main_tree,
			                 !joliet ? "" : " (a Joliet tree cannot carry every name: its writers replace "
			                                "characters such as : ; * ? \\ and cut names at 64 characters, so "
			                                "Windows and 7-Zip would extract another name)");
			break;
		}
		fwt__quote(q, sizeof(q), x[i].r->name, strlen(x[i].r->name));
		if ((x[i].r->kind == REC_DIR) != (y[j].r->kind == REC_DIR)) {
			err = fwt__error(a->ctx, FWT_EFORMAT, "release '%s' is an ISO 9660 image whose trees disagree: "
			                 "'%s' is a %s in %s and a %s in %s", a->src, q,
			                 x[i].r->kind == REC_DIR ? "folder" : "file", main_tree,
			                 y[j].r->kind == REC_DIR ? "folder" : "file", other);
			break;
		}
		if (x[i].r->kind != REC_DIR &&
		    (x[i].r->hash == NO_HASH || y[j].r->hash == NO_HASH ||
		     memcmp(a->h[x[i].r->hash], b->h[y[j].r->hash], 64))) {
			err = fwt__error(a->ctx, FWT_EFORMAT, "release '%s' is an ISO 9660 image whose trees disagree: "
			                 "'%s' has other content in %s than in %s", a->src, q, other, main_tree);
			break;
		}
		i++;
		j++;
	}
out:
	named_free(x, a->n);
	named_free(y, b->n);
	return err;
}

/* The Joliet and primary trees of the image ar was (w: as libarchive
 * read it, checked and its links resolved), when it has a Joliet tree. */
static fwt_err iso_trees(struct walk *w, fwt_archive *ar, int follow_path)
{
	static const struct {
		const char *opts, *name;
		int fold;
	} views[] = {
		{ "iso9660:!rockridge", "its Joliet tree (read by Windows and 7-Zip)", 0 },
		{ "iso9660:!rockridge,iso9660:!joliet", "its primary tree (8.3 names, read where Rock Ridge and Joliet "
		                                        "are not)", 1 },
	};
	size_t i;
	fwt_err err = FWT_OK;

	if (ar->is_dir || (archive_format(ar->a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_ISO9660 ||
	    !ar->iso_joliet)
		return FWT_OK;
	for (i = 0; !err && i < sizeof(views) / sizeof(*views); i++) {
		struct walk v = { 0 };
		fwt_archive *o = NULL;

		v.ctx = w->ctx;
		v.src = w->src;
		err = archive_open(w->ctx, &o, w->src, follow_path, views[i].opts);
		if (!err)
			err = walk_release(&v, o, 0, NULL, NULL);
		if (!err)
			err = check_names(&v, v.r, v.n, 0);
		if (!err)
			err = resolve_links(&v);
		/* a tree libarchive cannot read (genisoimage's Joliet tree
		 * beside relocated deep folders, say) may be sound: that it
		 * agrees cannot be checked, which is no "yes" and no "corrupt" */
		if (err == FWT_EFORMAT) {
			char why[512];
			snprintf(why, sizeof(why), "%s", fwt_ctx_errmsg(w->ctx));
			err = fwt__error(w->ctx, FWT_EUNSUPPORTED, "release '%s' is an ISO 9660 image whose %s cannot be "
			                 "read here (%s): whether it gives the same files as its Rock Ridge tree cannot be "
			                 "checked", w->src, views[i].name + 4, why);
		} else if (err && err != FWT_ENOMEM && err != FWT_EIO) {
			fwt__error_prefix(w->ctx, "in %s", views[i].name);
		}
		if (!err)
			err = trees_agree(w, &v, views[i].fold, views[i].name);
		fwt_archive_free(o);
		walk_free(&v);
	}
	return err;
}

/* Names that differ only in ASCII case are two files here and one on a
 * case-insensitive file system (macOS, Windows): said, not refused. */
static int cmp_fold(const void *a, const void *b)
{
	const unsigned char *p = *(const unsigned char *const *)a, *q = *(const unsigned char *const *)b;
	int x, y;

	for (;; p++, q++) {
		x = *p >= 'A' && *p <= 'Z' ? *p + 32 : *p;
		y = *q >= 'A' && *q <= 'Z' ? *q + 32 : *q;
		if (x != y || !x)
			return x - y;
	}
}

static void warn_case(struct walk *w)
{
	char q1[QUOTE_LEN], q2[QUOTE_LEN];
	const char **v;
	size_t i, said = 0, more = 0;

	if (w->n < 2 || !fwt__log_enabled(w->ctx, FWT_LOG_WARN))
		return;
	v = malloc(w->n * sizeof(*v));
	if (!v)
		return;
	for (i = 0; i < w->n; i++)
		v[i] = w->r[i].name;
	qsort(v, w->n, sizeof(*v), cmp_fold);
	for (i = 1; i < w->n; i++) {
		if (cmp_fold(&v[i - 1], &v[i]))
			continue;
		if (said++ == 8) {
			more++;
			said--;
			continue;
		}
		fwt__quote(q1, sizeof(q1), v[i - 1], strlen(v[i - 1]));
		fwt__quote(q2, sizeof(q2), v[i], strlen(v[i]));
		fwt__log(w->ctx, FWT_LOG_WARN, "release '%s' holds '%s' and '%s', which differ only in case: a "
		         "case-insensitive file system (macOS, Windows) extracts one of them", w->src, q1, q2);
	}
	if (more)
		fwt__log(w->ctx, FWT_LOG_WARN, "release '%s' holds %zu more names that differ only in case", w->src,
		         more);
	free(v);
}

fwt_err fwt_manifest_build(fwt_ctx *ctx, fwt_manifest **out, const char *path,
                           const fwt_manifest_options *opts)
{
	fwt_manifest_options defaults = FWT_MANIFEST_OPTIONS_INIT;
	struct walk w = { 0 };
	fwt_archive *ar = NULL;
	fwt_manifest *m = NULL;
	const char *name;
	size_t nfiles, deepest;
	char q[QUOTE_LEN];
	fwt_err err;
	int follow_path, follow_inner;
	unsigned ver;
	size_t i;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_manifest_build");
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((err = fwt__opts_version(ctx, "manifest", opts->version, FWT_MANIFEST_OPTIONS_VERSION, &ver)))
		return err;
	/* version 1 had no choice: a link given as path was followed, and none
	 * inside a folder */
	follow_path = ver >= 2 ? opts->follow : 1;
	follow_inner = ver >= 2 ? opts->follow : 0;
	w.ctx = ctx;
	w.src = path;
	err = archive_open(ctx, &ar, path, follow_path, NULL);
	if (!err)
		err = walk_release(&w, ar, follow_inner, opts->progress, opts->progress_payload);
	if (!err)
		err = check_names(&w, w.r, w.n, 0);
	if (!err)
		err = resolve_links(&w);
	if (!err)
		err = iso_trees(&w, ar, follow_path);
	if (!err)
		warn_case(&w);
	if (!err)
		err = check_stripped_names(&w, opts->strip);
	if (!err)
		err = fwt_manifest_new(ctx, &m);
	for (i = 0, nfiles = 0, deepest = 0; !err && i < w.n; i++) {
		if (w.r[i].kind == REC_DIR)
			continue;
		nfiles++;
		if (components_of(w.r[i].name) > deepest)
			deepest = components_of(w.r[i].name);
		name = strip_components(w.r[i].name, opts->strip);
		if (name)
			err = fwt_manifest_add(m, name, strlen(name), w.h[w.r[i].hash]);
	}
	/* a strip that leaves nothing is a mistake in the strip, not a
	 * release without files: never the hash of an empty manifest */
	if (!err && nfiles && !fwt_manifest_count(m)) {
		fwt__quote(q, sizeof(q), path, strlen(path));
		err = fwt__error(ctx, FWT_EINVAL, "'%s': stripping %u leading name component%s leaves none of its %zu "
		                 "file%s (the deepest name has %zu)", q, opts->strip, opts->strip == 1 ? "" : "s", nfiles,
		                 nfiles == 1 ? "" : "s", deepest);
	}
	/* nor is a release without files hashed: "[]" is the manifest of any
	 * empty folder or archive (a file of zero bytes reads as an empty tar),
	 * so a report bound to it would be bound to nothing */
	if (!err && !nfiles) {
		fwt__quote(q, sizeof(q), path, strlen(path));
		err = fwt__error(ctx, FWT_EFORMAT, "'%s' holds no regular file: a release without files has no "
		                 "manifest to hash", q);
	}
	if (!err)
		err = fwt_manifest_sort(m);
	/* a file that changed while it was read is that (exit 3), not the
	 * corrupt archive a cut or rewritten file reads as */
	if (err && err != FWT_EIO && ar && archive_unchanged(ar) != FWT_OK)
		err = FWT_EIO;
	fwt_archive_free(ar);
	walk_free(&w);
	if (err) {
		fwt_manifest_free(m);
		return err;
	}
	*out = m;
	return FWT_OK;
}

/* ---- serialisation, byte for byte as Python's json.dumps(separators=(",",
 * ":")) with its default ensure_ascii writes it ---- */

/* Decode one UTF-8 sequence (strict); returns its length or 0. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	return fwt_utf8_seq(s, n, cp);
}

static int json_string(struct fwt__sb *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;
	unsigned cp;
	char u[16];

	fwt__sb_add(b, "\"", 1);
	while (n) {
		k = utf8_decode(p, n, &cp);
		if (!k)
			return -1;
		switch (cp) {
		case '"': fwt__sb_str(b, "\\\""); break;
		case '\\': fwt__sb_str(b, "\\\\"); break;
		case '\n': fwt__sb_str(b, "\\n"); break;
		case '\r': fwt__sb_str(b, "\\r"); break;
		case '\t': fwt__sb_str(b, "\\t"); break;
		case '\b': fwt__sb_str(b, "\\b"); break;
		case '\f': fwt__sb_str(b, "\\f"); break;
		default:
			if (cp >= 0x20 && cp < 0x7f) {
				char c = (char)cp;
				fwt__sb_add(b, &c, 1);
			} else if (cp < 0x10000) {
				snprintf(u, sizeof(u), "\\u%04x", cp);
				fwt__sb_str(b, u);
			} else {
				unsigned v = cp - 0x10000;
				snprintf(u, sizeof(u), "\\u%04x\\u%04x", 0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
				fwt__sb_str(b, u);
			}
		}
		p += k;
		n -= k;
	}
	fwt__sb_add(b, "\"", 1);
	return 0;
}

fwt_err fwt_manifest_serialize(const fwt_manifest *m, char **out, size_t *len)
{
	struct fwt__sb b = { 0 };
	char hex[129];
	size_t i;

	if (!m || !out)
		return m ? fwt__error(m->ctx, FWT_EINVAL, "bad arguments to fwt_manifest_serialize") : FWT_EINVAL;
	*out = NULL;
	fwt__sb_add(&b, "[", 1);
	for (i = 0; i < m->n; i++) {
		if (i)
			fwt__sb_add(&b, ",", 1);
		fwt__sb_str(&b, "{\"file_name\":");
		if (json_string(&b, m->v[i].name) != 0) {
			char q[300];
			free(b.p);
			fwt__quote(q, sizeof(q), m->v[i].name, strlen(m->v[i].name));
			return fwt__error(m->ctx, FWT_EFORMAT, "file name '%s' is not valid UTF-8", q);
		}
		fwt_hex_encode(hex, m->v[i].hash, 64);
		fwt__sb_str(&b, ",\"file_hash\":\"");
		fwt__sb_str(&b, hex);
		fwt__sb_str(&b, "\"}");
	}
	fwt__sb_add(&b, "]", 1);
	if (b.oom) {
		free(b.p);
		return fwt__enomem(m->ctx);
	}
	*out = b.p;
	if (len)
		*len = b.len;
	return FWT_OK;
}

fwt_err fwt_manifest_fw_hashes(const fwt_manifest *m, unsigned char sha384[48], unsigned char sha512[64])
{
	fwt_digests d;
	char *s;
	size_t n;
	fwt_err err;

	if (!m || !sha384 || !sha512)
		return m ? fwt__error(m->ctx, FWT_EINVAL, "bad arguments to fwt_manifest_fw_hashes") : FWT_EINVAL;
	err = fwt_manifest_serialize(m, &s, &n);
	if (err)
		return err;
	err = fwt_digest_buffer(m->ctx, FWT_DIGEST_SHA384 | FWT_DIGEST_SHA512, s, n, &d);
	free(s);
	if (err)
		return err;
	memcpy(sha384, d.sha384, 48);
	memcpy(sha512, d.sha512, 64);
	return FWT_OK;
}
