/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_archive.c - fuzz the release manifest of an archive (tar, its
 * compressed forms, cpio, zip...): the input is written to a memory file and
 * fwt_manifest_build reads it as `sfr create --manifest` and
 * `sfr verify --manifest` do.  A manifest that is built must keep its
 * promises: canonical names without "..", each name once and never both a
 * file and a folder, and a JSON serialisation unless a name is not UTF-8. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <fwtrail/fwtrail.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int bad_name(const char *n)
{
	const char *c = n;
	size_t len;

	if (!*n || *n == '/')
		return 1;
	for (;;) {
		len = strcspn(c, "/");
		if (!len || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return 1;
		if (!c[len])
			return 0;
		c += len + 1;
	}
}

/* a is b's folder: b starts with a and a '/' */
static int is_parent(const char *a, const char *b)
{
	size_t n = strlen(a);

	return !strncmp(a, b, n) && b[n] == '/';
}

static void check(const fwt_manifest *m)
{
	size_t i, n = fwt_manifest_count(m);
	char *json = NULL;
	size_t len;
	fwt_err err;

	for (i = 0; i < n; i++) {
		const char *a = fwt_manifest_name(m, i);
		if (bad_name(a))
			abort();
		/* sorted bytewise: a parent sorts right before its children */
		if (i + 1 < n && (strcmp(a, fwt_manifest_name(m, i + 1)) >= 0 || is_parent(a, fwt_manifest_name(m, i + 1))))
			abort();
	}
	/* a name that is not UTF-8 is listed, and refused when written as JSON */
	err = fwt_manifest_serialize(m, &json, &len);
	if (err == FWT_OK ? strlen(json) != len || json[0] != '[' : err != FWT_EFORMAT)
		abort();
	free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fwt_manifest_options o = FWT_MANIFEST_OPTIONS_INIT;
	fwt_manifest *m = NULL;
	fwt_ctx *ctx = NULL;
	char path[64];
	fwt_err err;
	int fd;

	fd = memfd_create("fuzz_archive", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	o.follow = 1; /* the path is the kernel's link to the memory file */
	if (fwt_ctx_new(&ctx, NULL) == FWT_OK) {
		err = fwt_manifest_build(ctx, &m, path, &o);
		if (err == FWT_OK) {
			if (fwt_manifest_sort(m) != FWT_OK)
				abort();
			check(m);
		} else if (err != FWT_EFORMAT && err != FWT_EUNSUPPORTED && err != FWT_EIO && err != FWT_ENOMEM) {
			abort();
		}
		if (err != FWT_OK && m)
			abort();
	}
	fwt_manifest_free(m);
	fwt_ctx_free(ctx);
	close(fd);
	return 0;
}
