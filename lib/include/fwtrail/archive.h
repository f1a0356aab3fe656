/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/archive.h - walk a folder or an archive entry by entry, and the OCP
 * SAFE manifest built from it. */
#ifndef FWTRAIL_ARCHIVE_H
#define FWTRAIL_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <fwtrail/ctx.h>
#include <fwtrail/io.h>
#include <fwtrail/digest.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fwt_entry_type {
	FWT_ENTRY_FILE = 0,
	FWT_ENTRY_DIR,
	FWT_ENTRY_SYMLINK,
	FWT_ENTRY_HARDLINK,  /* archive member sharing an earlier member's content */
	FWT_ENTRY_OTHER      /* device, FIFO, socket */
} fwt_entry_type;

typedef struct fwt_archive_entry {
	const char *path;        /* canonical: no leading "/", no empty or "."
	                          * components ("./a//b/" is "a/b") */
	fwt_entry_type type;
	int64_t size;            /* regular files; -1 when unknown */
	const char *link_target; /* hard links: canonical as path; symbolic links:
	                          * as stored; else NULL */
} fwt_archive_entry;

typedef struct fwt_archive fwt_archive;

/* True when path names a folder (following symlinks). */
int fwt_path_is_dir(const char *path);

/*
 * Open a folder (walked without following symlinks; entry names start with
 * the folder's own name, as `tar -C parent -c name` would store them; a
 * symbolic link given as path itself is followed) or an
 * archive (tar and its compressed forms, zip, cpio, 7z, ar, iso9660, ...;
 * formats that could read other local files, and filters that run external
 * programs, are not enabled).
 */
fwt_err fwt_archive_open(fwt_ctx *ctx, fwt_archive **out, const char *path);
/* Next entry (borrowed until the following call), or *entry = NULL at the
 * end.  A corrupt archive gives FWT_EFORMAT naming the entry; so does an
 * entry other than a folder whose name is empty once canonical ("./"), and
 * a folder's folder on another file system (a mount point).  At the end,
 * what the file holds besides its entries is checked (a zip's two
 * directories, other data after a tar, cpio and so on: see
 * fwt_manifest_build), whether or not each entry's data was read. */
fwt_err fwt_archive_next(fwt_archive *a, const fwt_archive_entry **entry);
/* A reader over the current regular file's content; valid until the next
 * fwt_archive_next.  Free it with fwt_reader_free. */
fwt_err fwt_archive_entry_reader(fwt_archive *a, fwt_reader **out);
void fwt_archive_free(fwt_archive *a);

/*
 * OCP SAFE manifest: every regular file as {file_name, file_hash = SHA-512
 * hex}, sorted by file_name (bytewise).  A hard link of an archive is listed
 * with the content of the earlier file it names.  fw_hash_sha2_384/512 are the
 * SHA-384/512 of the list serialised as compact JSON exactly as OCP's
 * reference library writes it (keys file_name then file_hash, separators ","
 * and ":", non-ASCII escaped as \uXXXX).
 */
typedef struct fwt_manifest fwt_manifest;

#define FWT_MANIFEST_OPTIONS_VERSION 2
typedef struct fwt_manifest_options {
	unsigned version;          /* FWT_MANIFEST_OPTIONS_VERSION (1: no follow, and
	                            * a link at path is followed) */
	unsigned strip;            /* drop this many leading path components */
	fwt_progress_fn progress;  /* bytes hashed so far; may be NULL */
	void *progress_payload;
	int follow;                /* version 2: follow a symbolic link given as path,
	                            * and list a link inside a folder as the regular
	                            * file it points to */
} fwt_manifest_options;
#define FWT_MANIFEST_OPTIONS_INIT { FWT_MANIFEST_OPTIONS_VERSION, 0, NULL, NULL, 0 }

/*
 * Build the manifest of a folder or archive (opts NULL: the defaults of
 * FWT_MANIFEST_OPTIONS_INIT).  A symbolic link given as path, unless
 * opts->follow: FWT_EINVAL, "'path' is a symbolic link (not followed)".
 *
 * The manifest accounts for every entry of the release, or refuses it (the
 * list must be what extracting the release gives): FWT_EFORMAT naming the
 * entry when the release holds
 *  - an entry that is not a regular file, a folder or (archives) a hard
 *    link: a symbolic link, a device, a FIFO, a socket.  In a folder a
 *    symbolic link is accepted only with opts->follow (version 2), and
 *    listed under its own name with the content of the regular file it
 *    points to; a link to anything else (a folder, a device...), a dangling
 *    link or a loop is refused.  FIFOs and devices are never opened;
 *  - two entries whose names are the same once canonical (no leading "/",
 *    no empty or "." components), or a name used both as a file and as a
 *    folder (as an entry or as the parent of one);
 *  - a name with a ".." component;
 *  - a hard link that does not name an earlier file of the archive, or that
 *    carries data of its own (extractors disagree on such a link);
 *  - in a folder, a folder on another file system (a mount point): the
 *    manifest does not cross file systems, nor leaves out what tar stores;
 *  - a zip whose central directory (what unzip and Python read) and local
 *    headers (what libarchive reads) disagree on the entries, their names,
 *    order, sizes or method, or with data before the first entry, between
 *    entries or after the end record (a zip not in a regular file:
 *    FWT_EUNSUPPORTED);
 *  - a file read as another format whose last 64 KiB + 22 bytes hold a zip
 *    end of central directory record (zip readers would read it as a zip);
 *  - a tar entry named by two of its headers (a GNU long name or link
 *    record and a pax path or linkpath, two of either, a global pax path),
 *    or a tar stream with anything but zeros after its end-of-archive
 *    blocks (a tar not in a regular file: FWT_EUNSUPPORTED);
 *  - a cpio, ar, 7-Zip, rar, lha or cab archive or an ISO 9660 image with
 *    anything but zeros after its end (a cpio's TRAILER!!!, a rar's end
 *    block, the last member, a 7-Zip archive's end header, which must be
 *    located by a signature header at byte 0, an ISO 9660 volume as its
 *    primary volume descriptor sizes it) in its stream, such as a second
 *    archive; not in a regular file: FWT_EUNSUPPORTED.  A xar is not
 *    checked (its table of contents places its files);
 *  - a compressed tar or other archive with anything but zeros after the
 *    compressed stream (after the last gzip member, say);
 *  - an archive whose files (sparse or not) are longer than 16 GiB in all,
 *    or 1024 times the archive's size when that is more: by the sizes its
 *    headers declare (refused at the header, before any data is read), by
 *    the bytes read of an entry of undeclared size, and by the zeros read
 *    after its end;
 *  - an ISO 9660 image with a Joliet tree whose Joliet tree does not give
 *    exactly the same names, folders and contents as its Rock Ridge (or
 *    primary) tree, or whose primary tree gives other folders or contents
 *    under names that are the others' in upper case (it is then read two
 *    more times; an image without a Joliet tree, once).
 * Names differing only in ASCII case are listed, with a FWT_LOG_WARN
 * message through the context's log callback for each pair.
 * Names are checked before opts->strip; names left with no component by it
 * are not listed.
 */
fwt_err fwt_manifest_build(fwt_ctx *ctx, fwt_manifest **out, const char *path,
                           const fwt_manifest_options *opts);
/* An empty manifest to fill with fwt_manifest_add (e.g. from a report). */
fwt_err fwt_manifest_new(fwt_ctx *ctx, fwt_manifest **out);
/* Append an entry (name is copied; hash is 64 bytes).  Entries are kept in
 * insertion order until sorted. */
fwt_err fwt_manifest_add(fwt_manifest *m, const char *name, size_t namelen,
                         const unsigned char hash[64]);
/* Sort by file_name (bytewise); FWT_EFORMAT when a name appears twice. */
fwt_err fwt_manifest_sort(fwt_manifest *m);
size_t fwt_manifest_count(const fwt_manifest *m);
/* Borrowed; valid until m is freed. */
const char *fwt_manifest_name(const fwt_manifest *m, size_t i);
const unsigned char *fwt_manifest_hash(const fwt_manifest *m, size_t i);
/* The compact JSON serialisation (malloc'd, NUL-terminated; caller frees);
 * FWT_EFORMAT when a name is not valid UTF-8. */
fwt_err fwt_manifest_serialize(const fwt_manifest *m, char **out, size_t *len);
/* SHA-384 and SHA-512 of the serialisation (in its current order). */
fwt_err fwt_manifest_fw_hashes(const fwt_manifest *m, unsigned char sha384[48],
                               unsigned char sha512[64]);
void fwt_manifest_free(fwt_manifest *m);

#ifdef __cplusplus
}
#endif
#endif
