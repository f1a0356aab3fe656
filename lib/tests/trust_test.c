/* SPDX-License-Identifier: Apache-2.0 */
/* trust_test.c - the trust store's revocation lists, certificate validity
 * windows, revoked keys in chains, the path a chain validates along, and
 * duplicate kids. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fwtrail/fwtrail.h>
#include "sig_internal.h"
#include "t.h"

#define KEYS "testdata/keys"
#define TRUST "testdata/trust"
/* the dates of testdata/trust/p384-expired.crt.pem and p384-future.crt.pem */
#define EXP_NB 1577836800LL /* 2020-01-01T00:00:00Z */
#define EXP_NA 1609459200LL /* 2021-01-01T00:00:00Z */
#define FUT_NB 2208988800LL /* 2040-01-01T00:00:00Z */
#define MID_2026 1782864000LL /* 2026-07-01: inside testdata/keys' 2026..2046 */
#define SPDM "testdata/evidence/spdm"

static fwt_ctx *ctx;
static char dir[256];

static void put(const char *name, const char *text, size_t len, char *path, size_t cap)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

static void fp_hex(const char *keyfile, char hex[65])
{
	fwt_pubkey *k = NULL;
	unsigned char fp[32];

	hex[0] = '\0';
	if (fwt_pubkey_load(ctx, &k, keyfile) == FWT_OK && fwt_pubkey_fingerprint(k, fp) == FWT_OK)
		fwt_hex_encode(hex, fp, 32);
	fwt_pubkey_free(k);
}

/* A store of the paths, or of the keys: NULL when any is refused. */
static fwt_trust *store_from(const char *const *paths, fwt_pubkey *const *keys, size_t n)
{
	fwt_trust *t = NULL;
	size_t i;

	if (fwt_trust_new(ctx, &t) != FWT_OK)
		return NULL;
	for (i = 0; i < n; i++)
		if ((paths ? fwt_trust_add_path(t, paths[i]) : fwt_trust_add_key(t, keys[i])) != FWT_OK) {
			fwt_trust_free(t);
			return NULL;
		}
	return t;
}

static fwt_trust *store(const char *const *paths, size_t n)
{
	return store_from(paths, NULL, n);
}

static fwt_trust *store_of(fwt_pubkey *const *keys, size_t n)
{
	return store_from(NULL, keys, n);
}

static void test_revocation_list_forms(void)
{
	char hex[65], up[65], text[1024], path[512];
	const char *p384 = KEYS "/p384.pub.pem";
	fwt_pubkey *k = NULL, *other = NULL;
	const fwt_pubkey *v = (const fwt_pubkey *)1;
	fwt_trust *t;
	size_t i;

	fp_hex(p384, hex);
	T_EQ_INT(strlen(hex), 64);
	for (i = 0; i < 65; i++)
		up[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 32 : hex[i]);
	/* comments, blank lines, CRLF, tabs, the prefix and either case */
	snprintf(text, sizeof(text), "# revoked after the 2026 incident\r\n\r\n \t\nsha256:%s  # lab key\r\n%s\n", up,
	         hex);
	put("rev.txt", text, strlen(text), path, sizeof(path));
	T_EQ_INT(fwt_pubkey_load(ctx, &k, p384), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &other, KEYS "/other-p384.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, k), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, other), FWT_OK);
	T_ASSERT(!fwt_trust_is_revoked(t, k));
	T_EQ_INT(fwt_trust_check_key(ctx, t, k, 0, &v), FWT_OK);
	T_ASSERT(v == k);
	T_EQ_INT(fwt_trust_add_revoked(t, path), FWT_OK);
	T_ASSERT(fwt_trust_is_revoked(t, k));
	T_ASSERT(!fwt_trust_is_revoked(t, other));
	T_EQ_INT(fwt_trust_check_key(ctx, t, k, 0, &v), FWT_EVERIFY);
	T_ASSERT(v == NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), hex) != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is revoked") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "rev.txt' line 4)") != NULL); /* the first listing */
	T_EQ_INT(fwt_trust_check_key(ctx, t, other, 0, NULL), FWT_OK);
	/* revoked whatever file the key came from: its certificate too */
	fwt_pubkey_free(k);
	k = NULL;
	T_EQ_INT(fwt_pubkey_load(ctx, &k, KEYS "/p384.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_trust_check_key(ctx, t, k, 0, NULL), FWT_EVERIFY);
	T_EQ_INT(fwt_trust_check_key(ctx, NULL, k, 0, NULL), FWT_OK); /* no store: no list */
	fwt_trust_free(t);
	fwt_pubkey_free(k);
	fwt_pubkey_free(other);
	/* an empty list revokes nothing */
	put("empty.txt", "", 0, path, sizeof(path));
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_revoked(t, path), FWT_OK);
	fwt_trust_free(t);
}

static void test_revocation_list_malformed(void)
{
	static const struct {
		const char *text;
		size_t len;
		const char *line;
	} bad[] = {
		{ "0123\n", 5, "line 1:" },
		{ "# ok\nsha256:\n", 13, "line 2:" },
		{ "\n\nSHA256:9a4e7de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c\n", 74, "line 3:" },
		{ "9a4e7de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c0\n", 66, "line 1:" },
		{ "9a4e7de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a74091g\n", 65, "line 1:" },
		{ "9a4e7de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c extra\n", 71, "line 1:" },
		{ "9a4e7de2 6084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c\n", 66, "line 1:" },
		{ "# x\n# y\n9a4e\0de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c\n", 73, "line 3: a NUL" },
		/* CR line ends: the comment would swallow the fingerprint */
		{ "# revoked\r9a4e7de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c\r", 75,
		  "line 1: a carriage return inside the line" },
		{ "\n# x\r9a4e7de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c\n", 70,
		  "line 2: a carriage return inside the line" },
		{ "9a4e7de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c\r\r\n", 67,
		  "line 1: a carriage return inside the line" },
		/* a CR that ends the file is no CR LF line end */
		{ "9a4e7de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c\r", 65,
		  "line 1: a carriage return at the end of the file, not followed by a line feed" },
		{ "# x\n9a4e7de26084d4da821b6ddc02183f1520041623e29f538dd4824fd4a740910c\r\n\r", 71,
		  "line 3: a carriage return at the end of the file" },
		{ "\r", 1, "line 1: a carriage return at the end of the file" },
	};
	char path[512];
	fwt_trust *t;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("bad.txt", bad[i].text, bad[i].len, path, sizeof(path));
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_revoked(t, path), FWT_EFORMAT);
		if (!strstr(fwt_ctx_errmsg(ctx), bad[i].line) || !strstr(fwt_ctx_errmsg(ctx), "bad.txt")) {
			fwt_trust_free(t);
			T_FAIL_("case %zu: '%s' does not say '%s'", i, fwt_ctx_errmsg(ctx), bad[i].line);
		}
		fwt_trust_free(t);
	}
	snprintf(path, sizeof(path), "%s/missing.txt", dir);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_revoked(t, path), FWT_EIO);
	fwt_trust_free(t);
}

/* A folder's kids.json and revoked.txt that are not regular files (a link
 * to nothing, a FIFO) fail the load at once; a link to a regular file is
 * read. */
static void test_folder_lists_not_files(void)
{
	const char *names[] = { "kids.json", "revoked.txt", "sub/revoked.txt" };
	const char *lists[] = { "revoked.txt", "sub/revoked.txt" };
	char d[512], p[600], cmd[1400];
	size_t i;
	fwt_trust *t;

	snprintf(d, sizeof(d), "%s/odd-lists", dir);
	mkdir(d, 0755);
	snprintf(p, sizeof(p), "%s/sub", d);
	mkdir(p, 0755);
	snprintf(cmd, sizeof(cmd), "cp " KEYS "/p384.pub.pem '%s/'", d);
	T_ASSERT(system(cmd) == 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", d, names[i]);
		T_ASSERT(symlink("nowhere", p) == 0);
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_path(t, d), FWT_EIO);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "(a link to nothing)") != NULL);
		fwt_trust_free(t);
		T_ASSERT(unlink(p) == 0);
		T_ASSERT(mkfifo(p, 0600) == 0);
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_path(t, d), FWT_EIO);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "in a trust folder is not a regular file") != NULL);
		fwt_trust_free(t);
		T_ASSERT(unlink(p) == 0);
	}
	/* a folder named revoked.txt is no list (it was walked as a folder, so
	 * that the revocations meant were quietly lost), nor a link to one */
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", d, lists[i]);
		T_ASSERT(mkdir(p, 0755) == 0);
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_path(t, d), FWT_EIO);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "in a trust folder is not a regular file") != NULL);
		fwt_trust_free(t);
		T_ASSERT(rmdir(p) == 0);
		T_ASSERT(symlink(dir, p) == 0);
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_path(t, d), FWT_EIO);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "in a trust folder is not a regular file") != NULL);
		fwt_trust_free(t);
		T_ASSERT(unlink(p) == 0);
	}
	/* the list's name in another case is still the list (revocation only
	 * narrows trust); a kid map's is refused, never taken as no map; a
	 * folder named kids.json below the top is refused like the file */
	{
		char fp[65], text[80];
		fwt_pubkey *pk = NULL;
		fp_hex(KEYS "/p384.pub.pem", fp);
		snprintf(text, sizeof(text), "%s\n", fp);
		put("odd-lists/REVOKED.TXT", text, strlen(text), p, sizeof(p));
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_path(t, d), FWT_OK);
		T_EQ_INT(fwt_pubkey_load(ctx, &pk, KEYS "/p384.pub.pem"), FWT_OK);
		T_ASSERT(fwt_trust_is_revoked(t, pk));
		fwt_pubkey_free(pk);
		fwt_trust_free(t);
		T_ASSERT(unlink(p) == 0);
		put("odd-lists/Kids.Json", "{}", 2, p, sizeof(p));
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_path(t, d), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "Kids.Json': a kid map is read only as 'kids.json', in lower case") != NULL);
		fwt_trust_free(t);
		T_ASSERT(unlink(p) == 0);
		snprintf(p, sizeof(p), "%s/sub/kids.json", d);
		T_ASSERT(mkdir(p, 0755) == 0);
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_path(t, d), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is below the --trust folder") != NULL);
		fwt_trust_free(t);
		T_ASSERT(rmdir(p) == 0);
	}
	/* a link to an empty, regular revocation list */
	snprintf(p, sizeof(p), "%s/empty.txt", dir);
	fclose(fopen(p, "w"));
	snprintf(cmd, sizeof(cmd), "%s/revoked.txt", d);
	T_ASSERT(symlink(p, cmd) == 0);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_OK);
	T_EQ_INT(fwt_trust_count(t), 1);
	fwt_trust_free(t);
}

/* Links in a trust folder: a key link is its key, a folder link is read
 * once however many links (loops included) lead to it, a key link to
 * nothing fails the load; kids.json paths with "." and "//" resolve,
 * ".." does not. */
static void test_folder_links(void)
{
	char d[512], real[512], p[700], cmd[1400], abs[4096], top[4096];
	const char *kids;
	fwt_trust *t;

	snprintf(d, sizeof(d), "%s/links", dir);
	snprintf(real, sizeof(real), "%s/links-real", dir);
	T_ASSERT(mkdir(d, 0755) == 0 && mkdir(real, 0755) == 0);
	snprintf(cmd, sizeof(cmd), "cp " KEYS "/p384.pub.pem '%s/k.pem' && cp " KEYS "/p521.pub.pem '%s/K2.PEM'", real,
	         real);
	T_ASSERT(system(cmd) == 0);
	T_ASSERT(realpath(real, abs) != NULL);
	snprintf(p, sizeof(p), "%s/k.pem", abs);
	snprintf(cmd, sizeof(cmd), "%s/key.pem", d);
	T_ASSERT(symlink(p, cmd) == 0);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_OK);
	T_EQ_INT(fwt_trust_count(t), 1);
	fwt_trust_free(t);
	/* the real folder twice and a loop back to the top: each read once */
	snprintf(cmd, sizeof(cmd), "%s/a", d);
	T_ASSERT(symlink(abs, cmd) == 0);
	snprintf(cmd, sizeof(cmd), "%s/b", d);
	T_ASSERT(symlink(abs, cmd) == 0);
	snprintf(cmd, sizeof(cmd), "%s/up", real);
	T_ASSERT(realpath(d, top) != NULL && symlink(top, cmd) == 0);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_OK);
	T_EQ_INT(fwt_trust_count(t), 3); /* key.pem, a/k.pem, a/K2.PEM */
	fwt_trust_free(t);
	/* kids.json by relative paths */
	kids = "{\"k1\": \"./a//k.pem\", \"k2\": \"a/./K2.PEM\"}";
	put("links/kids.json", kids, strlen(kids), p, sizeof(p));
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_OK);
	T_ASSERT(fwt_trust_find_kid(t, "k1", 2) != NULL && fwt_trust_find_kid(t, "k2", 2) != NULL);
	fwt_trust_free(t);
	kids = "{\"k1\": \"a/../key.pem\"}";
	put("links/kids.json", kids, strlen(kids), p, sizeof(p));
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_EFORMAT);
	fwt_trust_free(t);
	T_ASSERT(unlink(p) == 0);
	/* a key link to nothing */
	snprintf(cmd, sizeof(cmd), "%s/dead.pub", d);
	T_ASSERT(symlink("nowhere.pub", cmd) == 0);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "dead.pub' in trust folder") != NULL);
	fwt_trust_free(t);
}

/* A trust folder's revoked.txt is loaded with it; a broken one fails the
 * load. */
static void test_revoked_in_folder(void)
{
	char hex[65], d[512], p[600], cmd[1400];
	const char *paths[1];
	fwt_pubkey *k = NULL;
	fwt_trust *t;
	FILE *f;

	fp_hex(KEYS "/p384.pub.pem", hex);
	snprintf(d, sizeof(d), "%s/folder", dir);
	mkdir(d, 0755);
	snprintf(cmd, sizeof(cmd), "cp " KEYS "/p384.pub.pem " KEYS "/p521.pub.pem '%s/'", d);
	T_ASSERT(system(cmd) == 0);
	paths[0] = d;
	t = store(paths, 1);
	T_ASSERT(t != NULL);
	T_EQ_INT(fwt_trust_count(t), 2);
	T_ASSERT(!fwt_trust_is_revoked(t, fwt_trust_key(t, 0)));
	fwt_trust_free(t);
	snprintf(p, sizeof(p), "%s/revoked.txt", d);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fprintf(f, "sha256:%s\n", hex);
	fclose(f);
	t = store(paths, 1);
	T_ASSERT(t != NULL);
	T_EQ_INT(fwt_trust_count(t), 2); /* the list is not a key file */
	T_EQ_INT(fwt_pubkey_load(ctx, &k, KEYS "/p384.pub.pem"), FWT_OK);
	T_ASSERT(fwt_trust_is_revoked(t, k));
	T_EQ_INT(fwt_trust_check_key(ctx, t, fwt_trust_find_key(t, k), 0, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "revoked.txt' line 1") != NULL);
	fwt_pubkey_free(k);
	fwt_trust_free(t);
	f = fopen(p, "a");
	T_ASSERT(f != NULL);
	fputs("not a fingerprint\n", f);
	fclose(f);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "line 2") != NULL);
	fwt_trust_free(t);
}

/* Files and processes red team (stop 36): a revoked.txt in a hidden
 * folder (.lists/) was skipped with every hidden entry, and one whose path
 * was cut at PATH_MAX too: the revoked key verified.  Hidden entries are
 * still not read (no key, and no walk into .git or a link to /), but a
 * hidden folder that holds a revocation list is refused; a path too long
 * is an error. */
static void test_revoked_hidden_and_long(void)
{
	char hex[65], d[512], p[600], cmd[1400], name[256];
	const char *paths[1];
	fwt_trust *t;
	int i, top;
	FILE *f;

	fp_hex(KEYS "/p384.pub.pem", hex);
	snprintf(d, sizeof(d), "%s/hidden", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/.lists' '%s/.keys' && cp " KEYS "/p384.pub.pem '%s/' && cp "
	         KEYS "/p521.pub.pem '%s/.keys/' && cp " KEYS "/p521.pub.pem '%s/.p521.pub.pem' && ln -s / '%s/.root'",
	         d, d, d, d, d, d);
	T_ASSERT(system(cmd) == 0);
	paths[0] = d;
	t = store(paths, 1);
	T_ASSERT(t != NULL);
	T_EQ_INT(fwt_trust_count(t), 1); /* the hidden keys are not read, nor / walked */
	fwt_trust_free(t);
	snprintf(p, sizeof(p), "%s/.lists/REVOKED.TXT", d);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fprintf(f, "%s\n", hex);
	fclose(f);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_EFORMAT);
	snprintf(p, sizeof(p), "'%s/.lists' holds a revocation list, but a hidden folder of the trust folder '%s' is not "
	         "read: move the list out of it (a revocation must not go unread)", d, d);
	T_EQ_STR(fwt_ctx_errmsg(ctx), p);
	fwt_trust_free(t);
	/* a list deeper than PATH_MAX: an error, never skipped */
	snprintf(d, sizeof(d), "%s/long", dir);
	T_ASSERT(mkdir(d, 0755) == 0);
	snprintf(cmd, sizeof(cmd), "cp " KEYS "/p384.pub.pem '%s/'", d);
	T_ASSERT(system(cmd) == 0);
	memset(name, 'a', 255);
	name[255] = '\0';
	top = open(".", O_RDONLY);
	T_ASSERT(top >= 0 && chdir(d) == 0);
	for (i = 0; i < 16; i++) /* within the 16 levels a store may have */
		T_ASSERT(mkdir(name, 0755) == 0 && chdir(name) == 0);
	f = fopen("revoked.txt", "w");
	T_ASSERT(f != NULL);
	fprintf(f, "%s\n", hex);
	fclose(f);
	T_ASSERT(fchdir(top) == 0);
	close(top);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_EIO);
	snprintf(p, sizeof(p), "cannot read trust folder '%s': a path in it, 16 folders down, is longer than 4095 "
	         "bytes", d);
	T_EQ_STR(fwt_ctx_errmsg(ctx), p);
	fwt_trust_free(t);
}

static void test_certificate_window(void)
{
	fwt_pubkey *exp = NULL, *fut = NULL, *good = NULL;
	fwt_trust *t;

	T_EQ_INT(fwt_pubkey_load(ctx, &exp, TRUST "/p384-expired.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &fut, TRUST "/p384-future.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &good, KEYS "/p384.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, exp), FWT_OK);
	/* now (the store has no time of its own) */
	T_EQ_INT(fwt_trust_time(t), 0);
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, 0, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "p384-expired.crt.pem' (") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "CN = fwtrail test signer p384-expired") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired on 2021-01-01T00:00:00Z, checked at ") != NULL);
	/* both edges are included */
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, EXP_NB, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, EXP_NA, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, EXP_NA + 1, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "checked at 2021-01-01T00:00:01Z") != NULL);
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, EXP_NB - 1, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is not valid before 2020-01-01T00:00:00Z, checked at "
	                                     "2019-12-31T23:59:59Z") != NULL);
	/* the store's time when the caller gives none; the caller's wins */
	fwt_trust_set_time(t, EXP_NA - 86400);
	T_EQ_INT(fwt_trust_time(t), EXP_NA - 86400);
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, 0, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, EXP_NA + 86400, NULL), FWT_EVERIFY);
	fwt_trust_set_time(t, 0);
	/* not yet valid */
	T_EQ_INT(fwt_trust_check_key(ctx, NULL, fut, 0, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is not valid before 2040-01-01T00:00:00Z") != NULL);
	T_EQ_INT(fwt_trust_check_key(ctx, NULL, fut, FUT_NB + 1, NULL), FWT_OK);
	/* valid */
	T_EQ_INT(fwt_trust_check_key(ctx, NULL, good, 0, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_check_key(ctx, NULL, good, MID_2026, NULL), FWT_OK);
	fwt_trust_free(t);
	fwt_pubkey_free(exp);
	fwt_pubkey_free(fut);
	fwt_pubkey_free(good);
}

/* The same key trusted through another entry: a bare key has no window, and
 * a valid certificate of the same key vouches for it; the entry that
 * vouches is the one named. */
static void test_window_other_entry(void)
{
	fwt_pubkey *exp = NULL, *fut = NULL, *bare = NULL, *other = NULL;
	const fwt_pubkey *v = NULL;
	fwt_trust *t;

	T_EQ_INT(fwt_pubkey_load(ctx, &exp, TRUST "/p384-expired.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &fut, TRUST "/p384-future.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &bare, KEYS "/p384.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &other, KEYS "/other-p384.pub.pem"), FWT_OK);
	/* expired and future certificates of one key, and another key bare */
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, exp), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, fut), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, other), FWT_OK);
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, 0, &v), FWT_EVERIFY);
	T_ASSERT(v == NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired on") != NULL); /* the key asked about */
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, FUT_NB, &v), FWT_OK);
	T_ASSERT(v == fut);
	T_EQ_INT(fwt_trust_add_key(t, bare), FWT_OK);
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, 0, &v), FWT_OK);
	T_ASSERT(v == bare);
	T_EQ_INT(fwt_trust_check_key(ctx, t, bare, 0, &v), FWT_OK);
	T_ASSERT(v == bare);
	fwt_trust_free(t);
	fwt_pubkey_free(exp);
	fwt_pubkey_free(fut);
	fwt_pubkey_free(bare);
	fwt_pubkey_free(other);
}

/* A JWS by the p384 key through a store that holds only an expired or
 * revoked entry for it is a no, with that reason. */
static void test_jws_through_store(void)
{
	fwt_key *sk = NULL;
	fwt_pubkey *exp = NULL, *good = NULL;
	const fwt_pubkey *used = NULL;
	fwt_jws *j = NULL;
	fwt_trust *t;
	unsigned char fp[32];
	char *tok = NULL;
	size_t toklen = 0;

	T_EQ_INT(fwt_key_open(ctx, &sk, KEYS "/p384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_jws_sign(ctx, sk, "lab", 3, "{\"a\":1}", 7, &tok, &toklen), FWT_OK);
	fwt_key_free(sk);
	T_EQ_INT(fwt_jws_parse(ctx, &j, tok, toklen, NULL), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &exp, TRUST "/p384-expired.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &good, KEYS "/p384.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, exp), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &used), FWT_EVERIFY);
	T_ASSERT(used == NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired on 2021-01-01T00:00:00Z") != NULL);
	fwt_trust_set_time(t, EXP_NA - 1);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &used), FWT_OK);
	T_ASSERT(used == exp);
	fwt_trust_set_time(t, 0);
	T_EQ_INT(fwt_trust_add_key(t, good), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &used), FWT_OK);
	T_ASSERT(used == good); /* the entry that is valid is named */
	T_EQ_INT(fwt_pubkey_fingerprint(good, fp), FWT_OK);
	T_EQ_INT(fwt_trust_revoke(t, fp, "incident 7"), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &used), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is revoked (incident 7)") != NULL);
	fwt_trust_free(t);
	fwt_pubkey_free(exp);
	fwt_pubkey_free(good);
	fwt_jws_free(j);
	free(tok);
}

/* A certificate with the DMTF SPDM EKU is a device's identity: it vouches
 * for no signature over firmware, a report or reference values, however
 * valid; the same key through a signer's certificate does. */
static void test_spdm_identity_signs_nothing(void)
{
	fwt_pubkey *dev = NULL, *signer = NULL;
	const fwt_pubkey *used = NULL;
	fwt_key *sk = NULL;
	fwt_jws *j = NULL;
	fwt_trust *t;
	char *tok = NULL;
	size_t toklen = 0;

	T_EQ_INT(fwt_pubkey_load(ctx, &dev, TRUST "/p384-spdm-eku.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &signer, TRUST "/p384-current.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_trust_spdm_identity(dev), 1);
	T_EQ_INT(fwt_trust_spdm_identity(signer), 0);
	T_EQ_INT(fwt_trust_check_key(ctx, NULL, dev, MID_2026, &used), FWT_EVERIFY);
	T_ASSERT(used == NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "p384-spdm-eku.crt.pem' (O = fwtrail tests, CN = fwtrail test signer "
	                                     "p384-spdm-eku) is an SPDM device identity") != NULL);
	T_EQ_INT(fwt_trust_check_key(ctx, NULL, signer, MID_2026, &used), FWT_OK);
	T_ASSERT(used == signer);
	/* through a verifier: a JWS by the key, the device certificate alone trusted */
	T_EQ_INT(fwt_key_open(ctx, &sk, KEYS "/p384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_jws_sign(ctx, sk, "dev", 3, "{\"a\":1}", 7, &tok, &toklen), FWT_OK);
	fwt_key_free(sk);
	T_EQ_INT(fwt_jws_parse(ctx, &j, tok, toklen, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, dev), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &used), FWT_EVERIFY);
	T_ASSERT(used == NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "SPDM device identity") != NULL);
	fwt_trust_free(t);
	fwt_pubkey_free(dev);
	fwt_pubkey_free(signer);
	fwt_jws_free(j);
	free(tok);
}

/* testdata/trust/p384-current.crt.pem issued by testdata/keys/ca.crt.pem: a
 * revoked leaf or anchor fails the validated chain; the store's time
 * applies. */
/* One key in two files, RSA-PSS-typed and rsaEncryption: a line naming
 * the hash of the PSS-typed file revokes the key, whichever file is asked
 * about (the one that verified may be either). */
static void test_revoked_twin_encoding(void)
{
	fwt_pubkey *typed = NULL, *plain = NULL;
	unsigned char fp[32], canon[32], enc[32];
	fwt_trust *t;
	size_t i;

	T_EQ_INT(fwt_pubkey_load(ctx, &typed, TRUST "/rsa-pss-typed.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &plain, TRUST "/rsa-pss-plain.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(plain, canon), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(typed, fp), FWT_OK);
	T_ASSERT(!memcmp(fp, canon, 32)); /* one key */
	T_ASSERT(fwt__pubkey_fingerprint_as_encoded(typed, enc));
	T_ASSERT(memcmp(enc, canon, 32) != 0); /* the typed file's own hash */
	for (i = 0; i < 2; i++) { /* either file first in the store */
		T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
		T_EQ_INT(fwt_trust_add_path(t, i ? TRUST "/rsa-pss-plain.pub.pem" : TRUST "/rsa-pss-typed.pub.pem"), FWT_OK);
		T_EQ_INT(fwt_trust_add_path(t, i ? TRUST "/rsa-pss-typed.pub.pem" : TRUST "/rsa-pss-plain.pub.pem"), FWT_OK);
		T_EQ_INT(fwt_trust_revoke(t, enc, "rev.txt line 1"), FWT_OK);
		T_EQ_INT(fwt_trust_check_key(ctx, t, fwt_trust_key(t, 0), 0, NULL), FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is revoked (rev.txt line 1)") != NULL);
		T_EQ_INT(fwt_trust_check_key(ctx, t, fwt_trust_key(t, 1), 0, NULL), FWT_EVERIFY);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is revoked (rev.txt line 1)") != NULL);
		T_ASSERT(fwt_trust_is_revoked(t, plain));
		fwt_trust_free(t);
	}
	fwt_pubkey_free(typed);
	fwt_pubkey_free(plain);
}

/* A store made on one context, used from another: the reason for a
 * refused chain reaches the caller's context, and the store's stays clear. */
static void test_chain_message_to_caller(void)
{
	fwt_pubkey *ca = NULL, *leaf = NULL, *chain[1];
	fwt_ctx *other;
	fwt_trust *t;

	T_EQ_INT(fwt_ctx_new(&other, NULL), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &ca, KEYS "/other-p384.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &leaf, TRUST "/p384-current.crt.pem"), FWT_OK);
	chain[0] = leaf;
	T_EQ_INT(fwt_trust_new(other, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, ca), FWT_OK);
	fwt_ctx_clear_error(ctx);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, MID_2026), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "certificate chain does not validate") != NULL);
	/* it names the certificate it stopped at, as verify --cert does */
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), ": certificate '") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "' (depth 0)") != NULL);
	T_EQ_STR(fwt_ctx_errmsg(other), "");
	fwt_trust_free(t);
	fwt_pubkey_free(ca); /* the store took a reference of its own */
	fwt_pubkey_free(leaf);
	fwt_ctx_free(other);
}

static void test_chain_revoked(void)
{
	fwt_pubkey *ca = NULL, *leaf = NULL, *chain[1];
	unsigned char fp[32];
	fwt_trust *t;

	T_EQ_INT(fwt_pubkey_load(ctx, &ca, KEYS "/ca.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &leaf, TRUST "/p384-current.crt.pem"), FWT_OK);
	chain[0] = leaf;
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, ca), FWT_OK);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, MID_2026), FWT_OK);
	fwt_trust_set_time(t, 2400000000LL); /* 2046-01-20: after both */
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, 0), FWT_EVERIFY);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, MID_2026), FWT_OK); /* the caller's time wins */
	fwt_trust_set_time(t, MID_2026);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, 0), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(ca, fp), FWT_OK);
	T_EQ_INT(fwt_trust_revoke(t, fp, "ca.txt line 1"), FWT_OK);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, 0), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "fwtrail test CA' (depth 1") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is revoked (ca.txt line 1)") != NULL);
	fwt_trust_free(t);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_key(t, ca), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(leaf, fp), FWT_OK);
	T_EQ_INT(fwt_trust_revoke(t, fp, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, MID_2026), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "(depth 0") != NULL);
	fwt_trust_free(t);
	fwt_pubkey_free(ca);
	fwt_pubkey_free(leaf);
}

/* A chain is valid at its certificates' notAfter, as fwt_trust_check_key
 * holds a certificate (RFC 5280 4.1.2.5: both ends included), at depth 0
 * and 1 alike (the CA and the leaf end at the same second). */
static void test_chain_window_ends(void)
{
	fwt_pubkey *ca = NULL, *leaf = NULL, *chain[1];
	fwt_trust *t;
	const int64_t nb = 1767225600LL, na = 2398377600LL; /* 2026-01-01, 2046-01-01 */

	T_EQ_INT(fwt_pubkey_load(ctx, &ca, KEYS "/ca.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &leaf, TRUST "/p384-current.crt.pem"), FWT_OK);
	chain[0] = leaf;
	t = store_of(&ca, 1);
	T_ASSERT(t != NULL);
	T_EQ_INT(fwt_trust_check_key(ctx, t, leaf, na, NULL), FWT_OK);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, na), FWT_OK);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, nb), FWT_OK);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, na + 1), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired on 2046-01-01T00:00:00Z, checked at 2046-01-01T00:00:01Z") != NULL);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, nb - 1), FWT_EVERIFY);
	/* the store's time, when the call gives none */
	fwt_trust_set_time(t, na);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 1, 0), FWT_OK);
	fwt_trust_free(t);
	fwt_pubkey_free(ca);
	fwt_pubkey_free(leaf);
}

/* Revocation looks at the path OpenSSL built, not at a certificate given
 * with the chain that the path does not use. */
static void test_chain_revoked_off_path(void)
{
	fwt_pubkey **given = NULL, *root = NULL, *other = NULL, *chain[3];
	unsigned char fp[32];
	fwt_trust *t;
	size_t n = 0, i;

	T_EQ_INT(fwt_pubkey_load_all(ctx, SPDM "/chain.pem", &given, &n), FWT_OK);
	T_ASSERT(n >= 1);
	T_EQ_INT(fwt_pubkey_load(ctx, &root, SPDM "/root.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &other, SPDM "/other-root.pem"), FWT_OK);
	chain[0] = given[0];
	chain[1] = other;
	chain[2] = root;
	t = store_of(&root, 1);
	T_ASSERT(t != NULL);
	T_EQ_INT(fwt_pubkey_fingerprint(other, fp), FWT_OK);
	T_EQ_INT(fwt_trust_revoke(t, fp, "other.txt line 1"), FWT_OK);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 3, MID_2026), FWT_OK);
	/* the anchor, on the path, still counts: at its depth there */
	T_EQ_INT(fwt_pubkey_fingerprint(root, fp), FWT_OK);
	T_EQ_INT(fwt_trust_revoke(t, fp, "root.txt line 1"), FWT_OK);
	T_EQ_INT(fwt_trust_verify_chain(ctx, t, chain, 3, MID_2026), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "(depth 1, sha256:") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is revoked (root.txt line 1)") != NULL);
	fwt_trust_free(t);
	for (i = 0; i < n; i++)
		fwt_pubkey_free(given[i]);
	free(given);
	fwt_pubkey_free(root);
	fwt_pubkey_free(other);
}

/* RELIABILITY T5: duplicate kids fail the load, within one kids.json and
 * across two folders. */
static void test_duplicate_kids(void)
{
	char a[512], b[512], p[600], cmd[1400];
	const char *paths[2];
	fwt_trust *t;
	FILE *f;

	snprintf(a, sizeof(a), "%s/kids-a", dir);
	snprintf(b, sizeof(b), "%s/kids-b", dir);
	mkdir(a, 0755);
	mkdir(b, 0755);
	snprintf(cmd, sizeof(cmd), "cp " KEYS "/p384.pub.pem '%s/' && cp " KEYS "/p521.pub.pem '%s/'", a, b);
	T_ASSERT(system(cmd) == 0);
	snprintf(p, sizeof(p), "%s/kids.json", a);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fputs("{\"srp-1\": \"p384.pub.pem\", \"srp-1\": \"p384.pub.pem\"}", f);
	fclose(f);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, a), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "kids.json") != NULL);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "duplicate") != NULL);
	fwt_trust_free(t);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fputs("{\"srp-1\": \"p384.pub.pem\"}", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/kids.json", b);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fputs("{\"srp-2\": \"p521.pub.pem\", \"srp-1\": \"p521.pub.pem\"}", f);
	fclose(f);
	paths[0] = a;
	T_ASSERT((t = store(paths, 1)) != NULL);
	T_ASSERT(fwt_trust_find_kid(t, "srp-1", 5) != NULL);
	T_EQ_INT(fwt_trust_add_path(t, b), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "kid 'srp-1' is mapped twice") != NULL);
	fwt_trust_free(t);
	/* distinct kids across folders are fine */
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fputs("{\"srp-2\": \"p521.pub.pem\"}", f);
	fclose(f);
	paths[1] = b;
	T_ASSERT((t = store(paths, 2)) != NULL);
	T_ASSERT(fwt_trust_find_kid(t, "srp-1", 5) != fwt_trust_find_kid(t, "srp-2", 5));
	fwt_trust_free(t);
}

/* Many kids, looked up by binary search after sorting: each finds the key
 * its file holds, a prefix or an extension of a kid finds none, and kids
 * of a second folder join the first's. */
static void test_many_kids(void)
{
	char a[512], b[512], p[600], cmd[1400], kid[32];
	const char *paths[2];
	const fwt_pubkey *k384, *k521;
	fwt_trust *t;
	FILE *f;
	int i;

	snprintf(a, sizeof(a), "%s/many-a", dir);
	snprintf(b, sizeof(b), "%s/many-b", dir);
	mkdir(a, 0755);
	mkdir(b, 0755);
	snprintf(cmd, sizeof(cmd), "cp " KEYS "/p384.pub.pem " KEYS "/p521.pub.pem '%s/' && cp " KEYS
	         "/p256.pub.pem '%s/'", a, b);
	T_ASSERT(system(cmd) == 0);
	snprintf(p, sizeof(p), "%s/kids.json", a);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fputs("{", f);
	for (i = 0; i < 5000; i++) /* in an order unlike the sorted one */
		fprintf(f, "%s\"k%d\": \"%s\"", i ? ", " : "", (i * 7919) % 5000,
		        i % 2 ? "p521.pub.pem" : "p384.pub.pem");
	fputs("}", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/kids.json", b);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fputs("{\"k5000\": \"p256.pub.pem\"}", f);
	fclose(f);
	paths[0] = a;
	paths[1] = b;
	T_ASSERT((t = store(paths, 2)) != NULL);
	k384 = fwt_trust_find_kid(t, "k0", 2);
	T_ASSERT(k384 != NULL && fwt_pubkey_type(k384) == FWT_KEY_EC_P384);
	for (i = 0; i < 5000; i++) {
		int n = snprintf(kid, sizeof(kid), "k%d", (i * 7919) % 5000);
		k521 = fwt_trust_find_kid(t, kid, (size_t)n);
		T_ASSERT(k521 != NULL);
		T_EQ_INT(fwt_pubkey_type(k521), i % 2 ? FWT_KEY_EC_P521 : FWT_KEY_EC_P384);
	}
	T_ASSERT(fwt_trust_find_kid(t, "k5000", 5) != NULL);
	T_EQ_INT(fwt_pubkey_type(fwt_trust_find_kid(t, "k5000", 5)), FWT_KEY_EC_P256);
	T_ASSERT(fwt_trust_find_kid(t, "k", 1) == NULL);
	T_ASSERT(fwt_trust_find_kid(t, "k50000", 6) == NULL);
	T_ASSERT(fwt_trust_find_kid(t, "k0\0", 3) == NULL);
	fwt_trust_free(t);
}

/* Every revoked.txt of a --trust folder is read, at any depth; a kids.json
 * below the top is refused (a kid map applies to a whole store). */
static void test_folder_lists_below_top(void)
{
	char hex[65], d[512], sub[600], p[700], cmd[1400], want[2000];
	const char *paths[1];
	fwt_pubkey *k = NULL, *other = NULL;
	fwt_trust *t;
	FILE *f;

	fp_hex(KEYS "/p384.pub.pem", hex);
	snprintf(d, sizeof(d), "%s/srp", dir);
	snprintf(sub, sizeof(sub), "%s/Active/TestLab", d);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s/Active/Other' && cp " KEYS "/p384.pub.pem '%s/' && cp "
	         KEYS "/p521.pub.pem '%s/Active/Other/'", sub, d, sub, d);
	T_ASSERT(system(cmd) == 0);
	snprintf(p, sizeof(p), "%s/revoked.txt", sub);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fprintf(f, "# TestLab's own list\nsha256:%s\n", hex);
	fclose(f);
	paths[0] = d;
	T_ASSERT((t = store(paths, 1)) != NULL);
	T_EQ_INT(fwt_trust_count(t), 2);
	T_EQ_INT(fwt_pubkey_load(ctx, &k, KEYS "/p384.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &other, KEYS "/p521.pub.pem"), FWT_OK);
	T_ASSERT(fwt_trust_is_revoked(t, k));
	T_ASSERT(!fwt_trust_is_revoked(t, other));
	T_EQ_INT(fwt_trust_check_key(ctx, t, fwt_trust_find_key(t, k), 0, NULL), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "srp/Active/TestLab/revoked.txt' line 2)") != NULL);
	fwt_trust_free(t);
	/* a malformed one below the top fails the load, naming it */
	f = fopen(p, "a");
	T_ASSERT(f != NULL);
	fputs("not a fingerprint\n", f);
	fclose(f);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "Active/TestLab/revoked.txt' line 3") != NULL);
	fwt_trust_free(t);
	remove(p);
	/* kids.json: at the top it maps keys below; below the top it is refused */
	snprintf(p, sizeof(p), "%s/kids.json", d);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fputs("{\"Test Lab\": \"Active/TestLab/p384.pub.pem\"}", f);
	fclose(f);
	T_ASSERT((t = store(paths, 1)) != NULL);
	T_ASSERT(fwt_trust_find_kid(t, "Test Lab", 8) != NULL);
	fwt_trust_free(t);
	remove(p);
	snprintf(p, sizeof(p), "%s/kids.json", sub);
	f = fopen(p, "w");
	T_ASSERT(f != NULL);
	fputs("{\"Test Lab\": \"p384.pub.pem\"}", f);
	fclose(f);
	T_EQ_INT(fwt_trust_new(ctx, &t), FWT_OK);
	T_EQ_INT(fwt_trust_add_path(t, d), FWT_EFORMAT);
	snprintf(want, sizeof(want), "'%s' is below the --trust folder '%s': a kid map applies to a whole trust "
	         "store; move it to the top or give its folder as --trust", p, d);
	T_EQ_STR(fwt_ctx_errmsg(ctx), want);
	fwt_trust_free(t);
	paths[0] = sub; /* that folder itself: its map */
	T_ASSERT((t = store(paths, 1)) != NULL);
	T_ASSERT(fwt_trust_find_kid(t, "Test Lab", 8) != NULL);
	fwt_trust_free(t);
	fwt_pubkey_free(k);
	fwt_pubkey_free(other);
}

/* DSP0274: a leaf whose extended key usage has the DMTF requester purpose
 * and not the responder one is a requester's (a BMC's or host's) identity,
 * and authenticates no responder's measurements. */
static void test_spdm_requester_leaf(void)
{
	fwt_pubkey *root = NULL, **chain = NULL;
	fwt_trust *t;
	size_t n = 0, i;

	T_EQ_INT(fwt_pubkey_load(ctx, &root, SPDM "/root.pem"), FWT_OK);
	T_ASSERT((t = store_of(&root, 1)) != NULL);
	T_EQ_INT(fwt_pubkey_load_all(ctx, TRUST "/spdm/requester-chain.pem", &chain, &n), FWT_OK);
	T_EQ_INT(n, 2);
	T_EQ_INT(fwt__trust_verify_chain_ee(ctx, t, chain, n, 0, NULL), FWT_EVERIFY);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "the leaf is an SPDM requester certificate, not a responder's (its extended "
	                              "key usage has the DMTF requester-authentication purpose 1.3.6.1.4.1.412.274.4 "
	                              "and not the responder one, 1.3.6.1.4.1.412.274.3)");
	for (i = 0; i < n; i++)
		fwt_pubkey_free(chain[i]);
	free(chain);
	/* both purposes: a responder that is also a requester */
	T_EQ_INT(fwt_pubkey_load_all(ctx, TRUST "/spdm/both-chain.pem", &chain, &n), FWT_OK);
	T_EQ_INT(fwt__trust_verify_chain_ee(ctx, t, chain, n, 0, NULL), FWT_OK);
	for (i = 0; i < n; i++)
		fwt_pubkey_free(chain[i]);
	free(chain);
	/* the responder leaf without an extended key usage */
	T_EQ_INT(fwt_pubkey_load_all(ctx, SPDM "/chain.pem", &chain, &n), FWT_OK);
	T_EQ_INT(fwt__trust_verify_chain_ee(ctx, t, chain, n, 0, NULL), FWT_OK);
	for (i = 0; i < n; i++)
		fwt_pubkey_free(chain[i]);
	free(chain);
	fwt_trust_free(t);
	fwt_pubkey_free(root);
}

/* RFC 5280 4.2 and 4.2.1.12: a certificate with a critical extension
 * nobody handles, or whose extended key usage leaves out codeSigning,
 * documentSigning (RFC 9336) and anyExtendedKeyUsage, vouches for no
 * signature over data, and as a signer's leaf its chain does not
 * validate. */
static void test_purpose_rules(void)
{
	static const struct {
		const char *file;
		fwt_err want;
		const char *msg, *chain_msg;
	} c[] = {
		{ TRUST "/p384-eku-tls.crt.pem", FWT_EVERIFY,
		  "certificate '" TRUST "/p384-eku-tls.crt.pem' may not sign data: its extended key usage allows only "
		  "serverAuth (not codeSigning, documentSigning or anyExtendedKeyUsage)",
		  "the signing certificate's extended key usage allows only serverAuth (not codeSigning, "
		  "documentSigning or anyExtendedKeyUsage)" },
		{ TRUST "/p384-critical-ext.crt.pem", FWT_EVERIFY,
		  "certificate '" TRUST "/p384-critical-ext.crt.pem' may not sign data: it has a critical extension "
		  "fwtrail does not handle (1.3.6.1.4.1.99999.1)",
		  "unhandled critical extension" },
		{ TRUST "/p384-ca-usage.crt.pem", FWT_EVERIFY,
		  "certificate '" TRUST "/p384-ca-usage.crt.pem' may not sign data: its key usage does not include "
		  "digitalSignature", "key usage does not include digitalSignature" },
		{ TRUST "/p384-eku-code.crt.pem", FWT_OK, NULL, NULL },
		{ TRUST "/p384-eku-doc.crt.pem", FWT_OK, NULL, NULL },
		{ TRUST "/p384-eku-any.crt.pem", FWT_OK, NULL, NULL },
		{ TRUST "/p384-current.crt.pem", FWT_OK, NULL, NULL },
	};
	fwt_pubkey *ca = NULL, *k;
	fwt_trust *t;
	size_t i;

	T_EQ_INT(fwt_pubkey_load(ctx, &ca, KEYS "/ca.crt.pem"), FWT_OK);
	T_ASSERT((t = store_of(&ca, 1)) != NULL);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		k = NULL;
		T_EQ_INT(fwt_pubkey_load(ctx, &k, c[i].file), FWT_OK);
		T_EQ_INT(fwt_trust_check_key(ctx, NULL, k, MID_2026, NULL), c[i].want);
		if (c[i].msg)
			T_EQ_STR(fwt_ctx_errmsg(ctx), c[i].msg);
		T_EQ_INT(fwt_trust_verify_chain(ctx, t, &k, 1, MID_2026), c[i].want);
		if (c[i].chain_msg)
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), c[i].chain_msg) != NULL);
		fwt_pubkey_free(k);
	}
	fwt_trust_free(t);
	fwt_pubkey_free(ca);
}

/* A key is vouched for when one entry for it passes every check at once:
 * an expired certificate is not rescued by a certificate of the same key
 * that may not vouch (a CA's, a device identity's, a TLS server's), in
 * whichever order they are, nor through a JWS whose kid favours one file;
 * a bare key or a valid signer's certificate rescues it. */
static void test_vouch_every_check(void)
{
	static const char *const other[] = { TRUST "/p384-spdm-eku.crt.pem", TRUST "/p384-ca-usage.crt.pem",
		                             TRUST "/p384-eku-tls.crt.pem", TRUST "/p384-critical-ext.crt.pem" };
	static const char *const kids[] = { "expired", "spdm eku", "ca usage", "eku tls", "critical ext" };
	fwt_pubkey *exp = NULL, *cur = NULL, *bare = NULL, *o, *v2[2], *v3[3];
	const fwt_pubkey *v = NULL;
	fwt_key *sk = NULL;
	fwt_jws *j = NULL;
	fwt_trust *t;
	char *tok = NULL;
	size_t toklen = 0, i, order, kid;

	T_EQ_INT(fwt_pubkey_load(ctx, &exp, TRUST "/p384-expired.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &cur, TRUST "/p384-current.crt.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &bare, KEYS "/p384.pub.pem"), FWT_OK);
	T_EQ_INT(fwt_key_open(ctx, &sk, KEYS "/p384.key.pem", NULL), FWT_OK);
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		o = NULL;
		T_EQ_INT(fwt_pubkey_load(ctx, &o, other[i]), FWT_OK);
		for (order = 0; order < 2; order++) {
			v2[order] = exp;
			v2[1 - order] = o;
			T_ASSERT((t = store_of(v2, 2)) != NULL);
			T_EQ_INT(fwt_trust_check_key(ctx, t, exp, MID_2026, &v), FWT_EVERIFY);
			T_ASSERT(v == NULL);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "p384-expired.crt.pem' (O = fwtrail tests, CN = fwtrail test "
			                                     "signer p384-expired) expired on 2021-01-01T00:00:00Z") != NULL);
			T_EQ_INT(fwt_trust_check_key(ctx, t, o, MID_2026, &v), FWT_EVERIFY);
			T_ASSERT(v == NULL);
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), other[i]) != NULL); /* the entry that verified */
			/* through a verifier, whatever entry the kid makes it try first */
			for (kid = 0; kid < sizeof(kids) / sizeof(kids[0]); kid++) {
				T_EQ_INT(fwt_jws_sign(ctx, sk, kids[kid], strlen(kids[kid]), "{\"a\":1}", 7, &tok, &toklen),
				         FWT_OK);
				T_EQ_INT(fwt_jws_parse(ctx, &j, tok, toklen, NULL), FWT_OK);
				fwt_trust_set_time(t, MID_2026);
				T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &v), FWT_EVERIFY);
				fwt_jws_free(j);
				j = NULL;
				free(tok);
				tok = NULL;
			}
			fwt_trust_free(t);
			/* a valid signer's certificate, or the key bare, vouches */
			v3[0] = v2[0];
			v3[1] = v2[1];
			v3[2] = order ? cur : bare;
			T_ASSERT((t = store_of(v3, 3)) != NULL);
			T_EQ_INT(fwt_trust_check_key(ctx, t, exp, MID_2026, &v), FWT_OK);
			T_ASSERT(v == v3[2]);
			T_EQ_INT(fwt_trust_check_key(ctx, t, o, MID_2026, &v), FWT_OK);
			T_ASSERT(v == v3[2]);
			fwt_trust_free(t);
		}
		fwt_pubkey_free(o);
	}
	fwt_key_free(sk);
	fwt_pubkey_free(exp);
	fwt_pubkey_free(cur);
	fwt_pubkey_free(bare);
}

/* A JWK of the p384 key with members added in front. */
static fwt_pubkey *p384_jwk(const char *members, const char *name)
{
	fwt_pubkey *k = NULL, *out = NULL;
	char *j = NULL, buf[1024];

	if (fwt_pubkey_load(ctx, &k, KEYS "/p384.pub.pem") == FWT_OK && fwt_pubkey_jwk(k, &j) == FWT_OK) {
		snprintf(buf, sizeof(buf), "{%s,%s", members, j + 1);
		if (fwt_pubkey_from_jwk(ctx, &out, buf, strlen(buf), name) != FWT_OK)
			out = NULL;
	}
	free(j);
	fwt_pubkey_free(k);
	return out;
}

/* RFC 7517: a trusted JWK vouches only for what its "use", "key_ops" and
 * "alg" allow; another entry for the same key may vouch in its place. */
static void test_jwk_vouch(void)
{
	static const struct {
		const char *members;
		fwt_err want;
		const char *msg;
	} c[] = {
		{ "\"use\":\"enc\"", FWT_EVERIFY, "key 'lab.jwk' may not verify signatures: its JWK 'use' is 'enc', not 'sig'" },
		{ "\"key_ops\":[\"encrypt\",\"wrapKey\"]", FWT_EVERIFY,
		  "key 'lab.jwk' may not verify signatures: its JWK 'key_ops' does not include 'verify'" },
		{ "\"key_ops\":[]", FWT_EVERIFY, "its JWK 'key_ops' does not include 'verify'" },
		{ "\"use\":\"sig\"", FWT_OK, NULL },
		{ "\"key_ops\":[\"sign\",\"verify\"]", FWT_OK, NULL },
		{ "\"alg\":\"ES384\"", FWT_OK, NULL },
	};
	fwt_pubkey *k, *exp = NULL, *v2[2];
	const fwt_pubkey *v = NULL;
	fwt_key *sk = NULL;
	fwt_jws *j = NULL;
	fwt_trust *t;
	char *tok = NULL;
	size_t toklen = 0, i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		T_ASSERT((k = p384_jwk(c[i].members, "lab.jwk")) != NULL);
		T_EQ_INT(fwt_trust_check_key(ctx, NULL, k, 0, &v), c[i].want);
		if (c[i].msg)
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), c[i].msg) != NULL);
		fwt_pubkey_free(k);
	}
	/* "alg": the algorithm of the signature, not only the key's type */
	T_ASSERT((k = p384_jwk("\"alg\":\"ES384\"", "lab.jwk")) != NULL);
	T_EQ_INT(fwt_trust_check_key_alg(ctx, NULL, k, FWT_SIG_ES384, 0, &v), FWT_OK);
	T_EQ_INT(fwt_trust_check_key_alg(ctx, NULL, k, FWT_SIG_ES512, 0, &v), FWT_EVERIFY);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "key 'lab.jwk' may not verify ES512 signatures: its JWK 'alg' is 'ES384'");
	/* an expired certificate of the key, and the JWK: the JWK vouches
	 * for an ES384 signature, and when the algorithm is not told, for
	 * none made by the certificate's entry */
	T_EQ_INT(fwt_pubkey_load(ctx, &exp, TRUST "/p384-expired.crt.pem"), FWT_OK);
	v2[0] = exp;
	v2[1] = k;
	T_ASSERT((t = store_of(v2, 2)) != NULL);
	T_EQ_INT(fwt_trust_check_key_alg(ctx, t, exp, FWT_SIG_ES384, MID_2026, &v), FWT_OK);
	T_ASSERT(v == k);
	T_EQ_INT(fwt_trust_check_key(ctx, t, exp, MID_2026, &v), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "expired on") != NULL);
	T_EQ_INT(fwt_trust_check_key(ctx, t, k, MID_2026, &v), FWT_OK);
	T_ASSERT(v == k);
	fwt_trust_free(t);
	fwt_pubkey_free(k);
	/* a JWK with "use": "enc" next to the expired certificate: no entry
	 * vouches, through a JWS either */
	T_ASSERT((k = p384_jwk("\"use\":\"enc\"", "lab.jwk")) != NULL);
	v2[1] = k;
	T_ASSERT((t = store_of(v2, 2)) != NULL);
	fwt_trust_set_time(t, MID_2026);
	T_EQ_INT(fwt_key_open(ctx, &sk, KEYS "/p384.key.pem", NULL), FWT_OK);
	T_EQ_INT(fwt_jws_sign(ctx, sk, "lab", 3, "{\"a\":1}", 7, &tok, &toklen), FWT_OK);
	T_EQ_INT(fwt_jws_parse(ctx, &j, tok, toklen, NULL), FWT_OK);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &v), FWT_EVERIFY);
	fwt_trust_free(t);
	fwt_pubkey_free(k);
	/* a JWK for ES384 alone vouches for an ES384 JWS */
	T_ASSERT((k = p384_jwk("\"alg\":\"ES384\"", "lab.jwk")) != NULL);
	T_ASSERT((t = store_of(&k, 1)) != NULL);
	T_EQ_INT(fwt_jws_verify_trust(ctx, j, t, NULL, &v), FWT_OK);
	T_ASSERT(v == k);
	fwt_trust_free(t);
	fwt_pubkey_free(k);
	fwt_jws_free(j);
	free(tok);
	fwt_key_free(sk);
	fwt_pubkey_free(exp);
}

/* The path a chain validated along, by fingerprint, leaf to anchor: a
 * certificate given with the chain but not needed is not on it, and a
 * chain that does not validate has no path. */
static void test_chain_path(void)
{
	fwt_pubkey **given = NULL, *root = NULL, *other = NULL, *chain[3];
	unsigned char leaf_fp[32], root_fp[32], other_fp[32];
	fwt_trust_path path;
	fwt_trust *t;
	size_t n = 0, i;

	T_EQ_INT(fwt_pubkey_load_all(ctx, SPDM "/chain.pem", &given, &n), FWT_OK);
	T_ASSERT(n >= 1);
	T_EQ_INT(fwt_pubkey_load(ctx, &root, SPDM "/root.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_load(ctx, &other, SPDM "/other-root.pem"), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(given[0], leaf_fp), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(root, root_fp), FWT_OK);
	T_EQ_INT(fwt_pubkey_fingerprint(other, other_fp), FWT_OK);
	t = store_of(&root, 1);
	T_ASSERT(t != NULL);
	/* the leaf alone: leaf, then the anchor from the store */
	chain[0] = given[0];
	memset(&path, 0xff, sizeof(path));
	T_EQ_INT(fwt_trust_verify_chain_path(ctx, t, chain, 1, MID_2026, &path), FWT_OK);
	T_EQ_INT(path.n, 2);
	T_ASSERT(!memcmp(path.fp[0], leaf_fp, 32));
	T_ASSERT(!memcmp(path.fp[1], root_fp, 32));
	/* another CA appended to the chain: not on the path OpenSSL built */
	chain[1] = other;
	chain[2] = root;
	T_EQ_INT(fwt_trust_verify_chain_path(ctx, t, chain, 3, MID_2026, &path), FWT_OK);
	T_EQ_INT(path.n, 2);
	for (i = 0; i < path.n; i++)
		T_ASSERT(memcmp(path.fp[i], other_fp, 32) != 0);
	T_ASSERT(!memcmp(path.fp[1], root_fp, 32));
	fwt_trust_free(t);
	/* anchored only by the other root: no path */
	t = store_of(&other, 1);
	T_ASSERT(t != NULL);
	path.n = 7;
	T_EQ_INT(fwt_trust_verify_chain_path(ctx, t, chain, 3, MID_2026, &path), FWT_EVERIFY);
	T_EQ_INT(path.n, 0);
	fwt_trust_free(t);
	for (i = 0; i < n; i++)
		fwt_pubkey_free(given[i]);
	free(given);
	fwt_pubkey_free(root);
	fwt_pubkey_free(other);
}

int main(void)
{
	char cmd[300];

	snprintf(dir, sizeof(dir), "/tmp/fwt-trust-test.XXXXXX");
	if (!mkdtemp(dir) || fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 2;
	T_RUN(test_revocation_list_forms);
	T_RUN(test_revocation_list_malformed);
	T_RUN(test_revoked_in_folder);
	T_RUN(test_revoked_hidden_and_long);
	T_RUN(test_folder_lists_not_files);
	T_RUN(test_folder_links);
	T_RUN(test_certificate_window);
	T_RUN(test_window_other_entry);
	T_RUN(test_jws_through_store);
	T_RUN(test_chain_revoked);
	T_RUN(test_chain_message_to_caller);
	T_RUN(test_chain_path);
	T_RUN(test_chain_window_ends);
	T_RUN(test_chain_revoked_off_path);
	T_RUN(test_revoked_twin_encoding);
	T_RUN(test_duplicate_kids);
	T_RUN(test_spdm_identity_signs_nothing);
	T_RUN(test_purpose_rules);
	T_RUN(test_vouch_every_check);
	T_RUN(test_jwk_vouch);
	T_RUN(test_folder_lists_below_top);
	T_RUN(test_many_kids);
	T_RUN(test_spdm_requester_leaf);
	fwt_ctx_free(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return t_done();
}
