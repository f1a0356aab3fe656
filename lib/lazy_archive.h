/* SPDX-License-Identifier: Apache-2.0 */
/* lazy_archive.h - libarchive, loaded on first use. */
#ifndef FWT_LAZY_ARCHIVE_H
#define FWT_LAZY_ARCHIVE_H

#include <archive.h>
#include <archive_entry.h>
#include <fwtrail/ctx.h>

/* What lib/ uses of libarchive, as pointers that fwt__lazy_archive_load()
 * fills (data as pointers to it).  The library is not linked, so that
 * commands that never need it do not pay for loading it: a call added in
 * lib/ without its line here fails to link.  Include this header after
 * the library's own. */
#define FWT_LAZY_ARCHIVE_FUNCS(X) \
	X(archive_entry_dev) \
	X(archive_entry_filetype) \
	X(archive_entry_hardlink) \
	X(archive_entry_pathname) \
	X(archive_entry_size) \
	X(archive_entry_size_is_set) \
	X(archive_entry_sourcepath) \
	X(archive_entry_symlink) \
	X(archive_error_string) \
	X(archive_filter_bytes) \
	X(archive_filter_count) \
	X(archive_format) \
	X(archive_format_name) \
	X(archive_read_close) \
	X(archive_read_data) \
	X(archive_read_data_block) \
	X(archive_read_disk_descend) \
	X(archive_read_disk_new) \
	X(archive_read_disk_open) \
	X(archive_read_disk_set_behavior) \
	X(archive_read_disk_set_symlink_hybrid) \
	X(archive_read_disk_set_symlink_physical) \
	X(archive_read_free) \
	X(archive_read_new) \
	X(archive_read_header_position) \
	X(archive_read_next_header) \
	X(archive_read_open) \
	X(archive_read_open_fd) \
	X(archive_read_set_options) \
	X(archive_read_support_filter_bzip2) \
	X(archive_read_support_filter_compress) \
	X(archive_read_support_filter_gzip) \
	X(archive_read_support_filter_lz4) \
	X(archive_read_support_filter_lzip) \
	X(archive_read_support_filter_lzma) \
	X(archive_read_support_filter_xz) \
	X(archive_read_support_filter_zstd) \
	X(archive_read_support_format_7zip) \
	X(archive_read_support_format_ar) \
	X(archive_read_support_format_cab) \
	X(archive_read_support_format_cpio) \
	X(archive_read_support_format_gnutar) \
	X(archive_read_support_format_iso9660) \
	X(archive_read_support_format_lha) \
	X(archive_read_support_format_rar) \
	X(archive_read_support_format_raw) \
	X(archive_read_support_format_rar5) \
	X(archive_read_support_format_tar) \
	X(archive_read_support_format_xar) \
	X(archive_read_support_format_zip)

#define FWT__LAZY_PTR(f) __typeof__(&f) f;
extern struct fwt_lazy_archive {
	FWT_LAZY_ARCHIVE_FUNCS(FWT__LAZY_PTR)
} fwt_lazy_archive;
#undef FWT__LAZY_PTR

/* Load libarchive once and fill the pointers: FWT_OK, or FWT_EUNSUPPORTED
 * naming what is missing. */
fwt_err fwt__lazy_archive_load(fwt_ctx *ctx);

#ifndef FWT_LAZY_NO_REDIRECT
#define archive_entry_dev (fwt_lazy_archive.archive_entry_dev)
#define archive_entry_filetype (fwt_lazy_archive.archive_entry_filetype)
#define archive_entry_hardlink (fwt_lazy_archive.archive_entry_hardlink)
#define archive_entry_pathname (fwt_lazy_archive.archive_entry_pathname)
#define archive_entry_size (fwt_lazy_archive.archive_entry_size)
#define archive_entry_size_is_set (fwt_lazy_archive.archive_entry_size_is_set)
#define archive_entry_sourcepath (fwt_lazy_archive.archive_entry_sourcepath)
#define archive_entry_symlink (fwt_lazy_archive.archive_entry_symlink)
#define archive_error_string (fwt_lazy_archive.archive_error_string)
#define archive_filter_bytes (fwt_lazy_archive.archive_filter_bytes)
#define archive_filter_count (fwt_lazy_archive.archive_filter_count)
#define archive_read_header_position (fwt_lazy_archive.archive_read_header_position)
#define archive_read_open (fwt_lazy_archive.archive_read_open)
#define archive_read_support_format_raw (fwt_lazy_archive.archive_read_support_format_raw)
#define archive_format (fwt_lazy_archive.archive_format)
#define archive_format_name (fwt_lazy_archive.archive_format_name)
#define archive_read_close (fwt_lazy_archive.archive_read_close)
#define archive_read_data (fwt_lazy_archive.archive_read_data)
#define archive_read_data_block (fwt_lazy_archive.archive_read_data_block)
#define archive_read_disk_descend (fwt_lazy_archive.archive_read_disk_descend)
#define archive_read_disk_new (fwt_lazy_archive.archive_read_disk_new)
#define archive_read_disk_open (fwt_lazy_archive.archive_read_disk_open)
#define archive_read_disk_set_behavior (fwt_lazy_archive.archive_read_disk_set_behavior)
#define archive_read_disk_set_symlink_hybrid (fwt_lazy_archive.archive_read_disk_set_symlink_hybrid)
#define archive_read_disk_set_symlink_physical (fwt_lazy_archive.archive_read_disk_set_symlink_physical)
#define archive_read_free (fwt_lazy_archive.archive_read_free)
#define archive_read_new (fwt_lazy_archive.archive_read_new)
#define archive_read_next_header (fwt_lazy_archive.archive_read_next_header)
#define archive_read_open_fd (fwt_lazy_archive.archive_read_open_fd)
#define archive_read_set_options (fwt_lazy_archive.archive_read_set_options)
#define archive_read_support_filter_bzip2 (fwt_lazy_archive.archive_read_support_filter_bzip2)
#define archive_read_support_filter_compress (fwt_lazy_archive.archive_read_support_filter_compress)
#define archive_read_support_filter_gzip (fwt_lazy_archive.archive_read_support_filter_gzip)
#define archive_read_support_filter_lz4 (fwt_lazy_archive.archive_read_support_filter_lz4)
#define archive_read_support_filter_lzip (fwt_lazy_archive.archive_read_support_filter_lzip)
#define archive_read_support_filter_lzma (fwt_lazy_archive.archive_read_support_filter_lzma)
#define archive_read_support_filter_xz (fwt_lazy_archive.archive_read_support_filter_xz)
#define archive_read_support_filter_zstd (fwt_lazy_archive.archive_read_support_filter_zstd)
#define archive_read_support_format_7zip (fwt_lazy_archive.archive_read_support_format_7zip)
#define archive_read_support_format_ar (fwt_lazy_archive.archive_read_support_format_ar)
#define archive_read_support_format_cab (fwt_lazy_archive.archive_read_support_format_cab)
#define archive_read_support_format_cpio (fwt_lazy_archive.archive_read_support_format_cpio)
#define archive_read_support_format_gnutar (fwt_lazy_archive.archive_read_support_format_gnutar)
#define archive_read_support_format_iso9660 (fwt_lazy_archive.archive_read_support_format_iso9660)
#define archive_read_support_format_lha (fwt_lazy_archive.archive_read_support_format_lha)
#define archive_read_support_format_rar (fwt_lazy_archive.archive_read_support_format_rar)
#define archive_read_support_format_rar5 (fwt_lazy_archive.archive_read_support_format_rar5)
#define archive_read_support_format_tar (fwt_lazy_archive.archive_read_support_format_tar)
#define archive_read_support_format_xar (fwt_lazy_archive.archive_read_support_format_xar)
#define archive_read_support_format_zip (fwt_lazy_archive.archive_read_support_format_zip)
#endif

#endif
