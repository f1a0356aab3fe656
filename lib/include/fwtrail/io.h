/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/io.h - bounded readers and the atomic writer. */
#ifndef FWTRAIL_IO_H
#define FWTRAIL_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <fwtrail/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Default cap for inputs that are read whole (reports, RIMs, logs). */
#define FWT_READ_CAP_DEFAULT (16u * 1024u * 1024u)

/*
 * A reader is a byte stream with a name (for messages).  Readers made from a
 * path or fd remember the file's identity at open time so that
 * fwt_reader_check_unchanged() can tell whether it changed while being read.
 */
typedef struct fwt_reader fwt_reader;

/* Read callback: up to len bytes into buf; returns the count, 0 at end of
 * input, or -1 with errno set. */
typedef ssize_t (*fwt_read_fn)(void *payload, void *buf, size_t len);

/* Open path for reading (O_NOFOLLOW unless follow is set; a folder or other
 * non-regular, non-FIFO, non-character file is refused with FWT_EINVAL).
 * The file is recorded on ctx as an input, so that no writer on ctx will
 * replace it. */
fwt_err fwt_reader_open_file(fwt_ctx *ctx, fwt_reader **out, const char *path, int follow);
/* Wrap an open fd (not closed by fwt_reader_free; FWT_EINVAL below 0).  name is for messages.
 * When fd is a regular file (standard input redirected from one, say), it
 * is recorded on ctx as an input, as fwt_reader_open_file records it. */
fwt_err fwt_reader_from_fd(fwt_ctx *ctx, fwt_reader **out, int fd, const char *name);
/* Wrap a buffer (borrowed: it must outlive the reader). */
fwt_err fwt_reader_from_memory(fwt_ctx *ctx, fwt_reader **out, const void *buf, size_t len,
                               const char *name);
fwt_err fwt_reader_from_callback(fwt_ctx *ctx, fwt_reader **out, fwt_read_fn fn, void *payload,
                                 const char *name);
void fwt_reader_free(fwt_reader *r);

/* Let *flag (set by a signal handler, say) end a read that waits on a pipe,
 * FIFO, socket or terminal: while no data comes it is looked at at least
 * every 200 ms, and once set the read fails with FWT_EIO, "interrupted".
 * Regular files, memory and callbacks are read as before.  flag must
 * outlive the reader. */
void fwt_reader_set_cancel(fwt_reader *r, const volatile int *flag);
/* Read up to len bytes, looping over short reads; *got < len only at end of
 * input.  FWT_EIO with a message on a read error. */
fwt_err fwt_reader_read(fwt_reader *r, void *buf, size_t len, size_t *got);
/* Read everything, refusing more than cap bytes (FWT_EFORMAT, "larger than
 * N bytes") without buffering the rest.  *out is malloc'd, NUL-terminated
 * (the NUL is not counted in *len); the caller frees it. */
fwt_err fwt_reader_read_all(fwt_reader *r, size_t cap, unsigned char **out, size_t *len);
/* FWT_EIO when the underlying file changed (size, mtime, ctime, inode) since
 * the reader was opened; FWT_OK for streams without an identity. */
fwt_err fwt_reader_check_unchanged(fwt_reader *r);
/* Once r was read to its end: fwt_reader_check_unchanged, and a regular
 * file was read whole, from its first byte (FWT_EINVAL otherwise: a
 * descriptor positioned past its start, such as a standard input read in
 * part before, gives only the rest, which must not be taken for the file). */
fwt_err fwt_reader_check_whole(fwt_reader *r);
/* Name given at open (borrowed). */
const char *fwt_reader_name(const fwt_reader *r);
/* Size of a regular file, or -1 when unknown (pipes, memory is known). */
int64_t fwt_reader_size(const fwt_reader *r);
/* Bytes consumed so far. */
uint64_t fwt_reader_offset(const fwt_reader *r);

/* Convenience: open, read whole (capped), close.  A symbolic link at path is
 * followed. */
fwt_err fwt_read_file(fwt_ctx *ctx, const char *path, size_t cap, unsigned char **out, size_t *len);
/* The same, following a symbolic link at path only when follow is set (else
 * FWT_EINVAL, "'path' is a symbolic link (not followed)"), as
 * fwt_reader_open_file. */
fwt_err fwt_read_file_follow(fwt_ctx *ctx, const char *path, size_t cap, int follow, unsigned char **out,
                             size_t *len);
/* The same for an open descriptor (standard input, a pipe), read to its
 * end; name is for messages; fd stays open. */
fwt_err fwt_read_fd(fwt_ctx *ctx, int fd, const char *name, size_t cap, unsigned char **out, size_t *len);

/* Record path as an input of the current operation, so writers refuse it.
 * Paths that do not exist are ignored. */
fwt_err fwt_ctx_add_input(fwt_ctx *ctx, const char *path);
/* FWT_EINVAL, with a message naming name, when fd is open on a regular file
 * recorded as an input (standard output redirected onto the firmware, say:
 * `>> fw.bin` or `1<> fw.bin`); FWT_OK for anything else. */
fwt_err fwt_ctx_check_output_fd(fwt_ctx *ctx, int fd, const char *name);
/* Tell ctx which descriptor the caller's standard output is (-1: none):
 * when it is on a regular file, a writer refuses a symbolic link to that
 * file as a destination (see fwt_writer_options.force).  It stays what it
 * was when this is called. */
fwt_err fwt_ctx_set_stdout_fd(fwt_ctx *ctx, int fd);

/*
 * The atomic writer: a temporary file is created beside the destination
 * (mode 0600), written in full, fsync'd, given its final mode, renamed over
 * the destination, and the directory is fsync'd.  Where the filesystem
 * allows, the temporary file has no name (O_TMPFILE) until commit links it
 * (at the destination itself without force, which never replaces; with
 * force under a temporary name renamed at once), so that a process stopped
 * on the way, even by SIGKILL, leaves nothing in the folder; otherwise, and
 * for a writer opened with defer_dir_sync or sealed, it is a named file
 * (O_EXCL|O_NOFOLLOW).  On any failure, or when freed without commit, the
 * temporary file is removed and the destination is untouched.  The destination may never be one of the
 * inputs recorded on ctx (checked at open and again at commit: FWT_EINVAL).
 */
typedef struct fwt_writer fwt_writer;

#define FWT_WRITER_OPTIONS_VERSION 2
typedef struct fwt_writer_options {
	unsigned version;    /* FWT_WRITER_OPTIONS_VERSION (1: no defer_dir_sync) */
	int force;           /* replace an existing regular file, or a
	                      * symbolic link to one (the link, not its
	                      * target); a pipe, device or folder is refused
	                      * all the same, and so is a link that stands for
	                      * a stream: one to a pipe, device or folder, one
	                      * that leads to or through /proc or /dev (a
	                      * magic link such as /dev/stdout, /dev/fd/N or
	                      * /proc/self/fd/N, whatever it is open on), and
	                      * one to the file fwt_ctx_set_stdout_fd named */
	unsigned mode;       /* final mode; 0: the permission bits and group
	                      * of the regular file force replaces (not its
	                      * set-id or sticky bits; without its group when
	                      * that cannot be given: then no group bits),
	                      * else 0666 & ~umask */
	int defer_dir_sync;  /* version 2: commit does not fsync the folder; the
	                      * caller calls fwt_dir_sync() once for many files
	                      * before it reports any of them written */
} fwt_writer_options;
#define FWT_WRITER_OPTIONS_INIT { FWT_WRITER_OPTIONS_VERSION, 0, 0, 0 }

/* The checks fwt_writer_open makes before it creates anything, for a
 * caller that vets many destinations first (a signing batch): FWT_EINVAL,
 * with a message, for a path ending in '/', a folder, one of the inputs,
 * an existing destination without force, or one that is not a file to
 * replace (see force). */
fwt_err fwt_writer_check(fwt_ctx *ctx, const char *path, int force);
fwt_err fwt_writer_open(fwt_ctx *ctx, fwt_writer **out, const char *path, const fwt_writer_options *opts);
fwt_err fwt_writer_write(fwt_writer *w, const void *buf, size_t len);
/* Make the file visible under its final name.  The writer is freed whether
 * or not this succeeds. */
fwt_err fwt_writer_commit(fwt_writer *w);
/* Discard: remove the temporary file.  NULL-safe. */
void fwt_writer_free(fwt_writer *w);

/* fsync the folder that holds path (the rename of a file committed with
 * defer_dir_sync is durable only after this). */
fwt_err fwt_dir_sync(fwt_ctx *ctx, const char *path);

/*
 * Batches of many small files, where an fsync per file would cost more than
 * the work: open a descriptor on each output folder first, then for each
 * file open, write and fwt_writer_seal() it (final mode, closed, still under
 * its temporary name); then fwt_fs_sync() each distinct file system once;
 * only then fwt_writer_commit() each sealed writer (it does not fsync again)
 * and fwt_dir_sync() each folder.  A crash leaves each destination old or
 * whole, as with a single writer.
 */
fwt_err fwt_writer_seal(fwt_writer *w);
/* syncfs: everything written on the file system that holds the folder open
 * as dirfd (named dir in messages) is durable, or FWT_EIO.  Opened before
 * the batch writes, dirfd also reports a writeback error of its files. */
fwt_err fwt_fs_sync(fwt_ctx *ctx, int dirfd, const char *dir);

/* Convenience: open, write, commit. */
fwt_err fwt_write_file(fwt_ctx *ctx, const char *path, const void *buf, size_t len,
                       const fwt_writer_options *opts);

#ifdef __cplusplus
}
#endif
#endif
