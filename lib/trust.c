/* SPDX-License-Identifier: Apache-2.0 */
/* trust.c - trust store: keys and certificates from files and folders,
 * kids.json mappings, and X.509 chain validation. */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <fwtrail/cbor.h>
#include <fwtrail/hex.h>
#include <fwtrail/io.h>
#include <fwtrail/trust.h>
#include "internal.h"
#include "key_internal.h"
#include "sig_internal.h"
#include "banned.h"

#define TRUST_FILE_CAP (1u << 20)
#define MAX_TRUST_KEYS 10000
#define MAX_DEPTH 16
#define MAX_SEEN 4096 /* folders in one trust store */
#define MAX_REVOKED 100000

struct kid_map {
	char *kid;
	size_t kidlen;
	fwt_pubkey *key; /* borrowed from keys[] */
};

struct revoked {
	unsigned char fp[32];
	char *source; /* "'file' line n" */
};

struct fwt_trust {
	fwt_ctx *ctx;
	fwt_pubkey **keys;
	size_t n, cap;
	struct kid_map *kids;
	size_t nkids, sorted_kids; /* kids[0, sorted_kids) sorted by kid_cmp */
	int has_kids;
	int64_t at; /* 0: now */
	struct revoked *rev;
	size_t nrev, caprev;
};

fwt_err fwt_trust_new(fwt_ctx *ctx, fwt_trust **out)
{
	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_trust_new");
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return fwt__enomem(ctx);
	(*out)->ctx = ctx;
	return FWT_OK;
}

void fwt_trust_free(fwt_trust *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		fwt_pubkey_free(t->keys[i]);
	for (i = 0; i < t->nkids; i++)
		free(t->kids[i].kid);
	for (i = 0; i < t->nrev; i++)
		free(t->rev[i].source);
	free(t->rev);
	free(t->kids);
	free(t->keys);
	free(t);
}

static fwt_err push_key(fwt_trust *t, fwt_pubkey *k)
{
	fwt_pubkey **nk;

	if (t->n >= MAX_TRUST_KEYS) {
		fwt_pubkey_free(k);
		return fwt__error(t->ctx, FWT_EFORMAT, "trust store holds more than %d keys", MAX_TRUST_KEYS);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		nk = realloc(t->keys, cap * sizeof(*nk));
		if (!nk) {
			fwt_pubkey_free(k);
			return fwt__enomem(t->ctx);
		}
		t->keys = nk;
		t->cap = cap;
	}
	t->keys[t->n++] = k;
	return FWT_OK;
}

fwt_err fwt_trust_add_key(fwt_trust *t, fwt_pubkey *k)
{
	if (!t || !k)
		return t ? fwt__error(t->ctx, FWT_EINVAL, "bad arguments to fwt_trust_add_key") : FWT_EINVAL;
	return push_key(t, fwt_pubkey_ref(k));
}

fwt_err fwt_pubkey_parse_all(fwt_ctx *ctx, const void *buf, size_t len, const char *name,
                             fwt_pubkey ***out, size_t *n)
{
	fwt_pubkey **v = NULL, **nv, *k;
	size_t cnt = 0;
	const char *p = buf, *end = (const char *)buf + len, *b, *e;
	fwt_err err = FWT_OK;

	if (!out || !n || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_parse_all");
	*out = NULL;
	*n = 0;
	if (!buf || !len)
		return fwt__error(ctx, FWT_EFORMAT, "'%s' holds no key: it is empty", name ? name : "key");
	if (!memmem(buf, len, "-----BEGIN", 10)) {
		/* one DER object or one JWK */
		err = fwt_pubkey_parse(ctx, &k, buf, len, name);
		if (err == FWT_EINVAL) {
			/* a private key among the keys of a store or chain:
			 * the file is wrong, not the command line */
			char msg[1024];
			fwt__error_snapshot(ctx, &err, msg, sizeof(msg));
			return fwt__error(ctx, FWT_EFORMAT, "%s", msg);
		}
		if (err)
			return err;
		v = malloc(sizeof(*v));
		if (!v) {
			fwt_pubkey_free(k);
			return fwt__enomem(ctx);
		}
		v[0] = k;
		*out = v;
		*n = 1;
		return FWT_OK;
	}
	if (memmem(buf, len, "PRIVATE KEY-----", 16))
		return fwt__error(ctx, FWT_EFORMAT, "'%s' holds a private key; give the public key instead", name);
	while ((b = memmem(p, (size_t)(end - p), "-----BEGIN", 10)) != NULL) {
		e = memmem(b, (size_t)(end - b), "-----END", 8);
		if (!e) {
			err = fwt__error(ctx, FWT_EFORMAT, "'%s': unterminated PEM block", name);
			break;
		}
		e = memmem(e + 8, (size_t)(end - e - 8), "-----", 5);
		if (!e) {
			err = fwt__error(ctx, FWT_EFORMAT, "'%s': unterminated PEM block", name);
			break;
		}
		e += 5;
		err = fwt_pubkey_parse(ctx, &k, b, (size_t)(e - b), name);
		if (err)
			break;
		nv = realloc(v, (cnt + 1) * sizeof(*nv));
		if (!nv) {
			fwt_pubkey_free(k);
			err = fwt__enomem(ctx);
			break;
		}
		v = nv;
		v[cnt++] = k;
		p = e;
	}
	if (err) {
		while (cnt)
			fwt_pubkey_free(v[--cnt]);
		free(v);
		return err;
	}
	*out = v;
	*n = cnt;
	return FWT_OK;
}

fwt_err fwt_pubkey_load_all(fwt_ctx *ctx, const char *path, fwt_pubkey ***out, size_t *n)
{
	unsigned char *buf;
	size_t len;
	fwt_err err;

	if (!out || !n)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pubkey_load_all");
	*out = NULL;
	*n = 0;
	err = fwt_read_file(ctx, path, TRUST_FILE_CAP, &buf, &len);
	if (err)
		return err;
	if (fwt__p11_has_pin_value(path)) { /* never a PIN in a key's name */
		char hidden[1024];
		fwt__p11_hide_pin(hidden, sizeof(hidden), path);
		err = fwt_pubkey_parse_all(ctx, buf, len, hidden, out, n);
	} else {
		err = fwt_pubkey_parse_all(ctx, buf, len, path, out, n);
	}
	free(buf);
	return err;
}

static fwt_err add_file(fwt_trust *t, const char *path)
{
	fwt_pubkey **v;
	size_t n, i;
	fwt_err err;

	err = fwt_pubkey_load_all(t->ctx, path, &v, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		if (!err)
			err = push_key(t, v[i]);
		else
			fwt_pubkey_free(v[i]);
	}
	free(v);
	return err;
}

static int wanted_ext(const char *name)
{
	static const char *const exts[] = { ".pem", ".pub", ".crt", ".cer", ".der", ".jwk" };
	size_t n = strlen(name), i, l;

	for (i = 0; i < FWT_ARRAY_LEN(exts); i++) {
		l = strlen(exts[i]);
		if (n > l && !strcasecmp(name + n - l, exts[i])) /* V.PEM as v.pem */
			return 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk a folder in name order so that the store's order is stable.  A
 * revoked.txt at any depth is read (revocation only narrows trust, so its
 * scope is the whole store); a kids.json below the top is refused, since a
 * kid map binds kids across the whole store and one found in a subfolder
 * would otherwise be silently ignored. */
/* A revoked.txt or kids.json found in a trust folder is read only when it
 * is a regular file or a link to one: a FIFO would wait for ever for a
 * writer, and a link to nothing must not quietly mean "no such list" (no
 * kid map: every key tried).  0, or -1 with ctx's error set (exit 3). */
static int folder_list_ok(fwt_trust *t, const char *path)
{
	struct stat st;
	int e;

	if (stat(path, &st) != 0) {
		e = errno;
		fwt__error(t->ctx, FWT_EIO, "cannot read '%s': %s%s", path, strerror(e),
		           lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? " (a link to nothing)" : "");
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fwt__error(t->ctx, FWT_EIO, "'%s' in a trust folder is not a regular file", path);
		return -1;
	}
	return 0;
}

/* The folders a walk has entered, by identity: a folder reached again
 * through a link (a loop, or two links to one folder) is not read twice. */
struct seen {
	struct {
		dev_t dev;
		ino_t ino;
	} v[MAX_SEEN];
	size_t n;
};

/* 1 when dir was entered already, else recorded (0); -1 when there are
 * too many folders, with ctx's error set. */
static int seen_dir(fwt_trust *t, struct seen *s, const char *dir, const struct stat *st)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].dev == st->st_dev && s->v[i].ino == st->st_ino)
			return 1;
	if (s->n == MAX_SEEN) {
		fwt__error(t->ctx, FWT_EINVAL, "trust folder '%s': more than %d folders", dir, MAX_SEEN);
		return -1;
	}
	s->v[s->n].dev = st->st_dev;
	s->v[s->n].ino = st->st_ino;
	s->n++;
	return 0;
}

/* A hidden folder (a name that starts with '.') is not read, as .git is
 * not: but one that holds a revocation list at its top is refused, so that
 * a list kept there (.lists/revoked.txt) never goes unread while the keys
 * it revokes verify.  Its names only are looked at, one level, links not
 * followed into it.  0 when it holds none, else -1 with the error set. */
static int hidden_list(fwt_trust *t, const char *top, const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int found = 0;

	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || !(d = opendir(path)))
		return 0;
	while (!found && (de = readdir(d)) != NULL)
		found = !strcasecmp(de->d_name, "revoked.txt");
	closedir(d);
	if (!found)
		return 0;
	fwt__error(t->ctx, FWT_EFORMAT, "'%s' holds a revocation list, but a hidden folder of the trust folder '%s' is "
	           "not read: move the list out of it (a revocation must not go unread)", path, top);
	return -1;
}

static fwt_err add_dir(fwt_trust *t, const char *top, const char *dir, int depth, struct seen *seen)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char **names = NULL, **nn, path[PATH_MAX];
	size_t n = 0, i;
	fwt_err err = FWT_OK;
	int r, dangling;

	if (depth > MAX_DEPTH)
		return fwt__error(t->ctx, FWT_EINVAL, "trust folder '%s' is nested too deep", dir);
	if (stat(dir, &st) != 0)
		return fwt__error(t->ctx, FWT_EIO, "cannot open trust folder '%s': %s", dir, strerror(errno));
	if ((r = seen_dir(t, seen, dir, &st)) != 0)
		return r < 0 ? fwt_ctx_errcode(t->ctx) : FWT_OK;
	d = opendir(dir);
	if (!d)
		return fwt__error(t->ctx, FWT_EIO, "cannot open trust folder '%s': %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*nn));
		if (!nn || !(nn[n] = strdup(de->d_name))) {
			names = nn ? nn : names;
			err = fwt__enomem(t->ctx);
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (!err && n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; !err && i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path)) {
			err = fwt__error(t->ctx, FWT_EIO, "cannot read trust folder '%s': a path in it, %d folders down, is "
			                 "longer than %d bytes", top, depth + 1, PATH_MAX - 1);
			break;
		}
		/* hidden entries are not read (see hidden_list) */
		if (names[i][0] == '.') {
			if (hidden_list(t, top, path) < 0)
				err = fwt_ctx_errcode(t->ctx);
			continue;
		}
		if (lstat(path, &st) != 0) {
			err = fwt__error(t->ctx, FWT_EIO, "cannot read '%s' in trust folder '%s': %s", path, top,
			                 strerror(errno));
			break;
		}
		/* a link is taken for what it leads to (stores of links, as
		 * c_rehash makes, are common); one that leads nowhere is an
		 * error, never a key quietly missing from the store */
		dangling = S_ISLNK(st.st_mode) && stat(path, &st) != 0;
		/* the lists by name first: a folder named revoked.txt is not a
		 * list, and must not quietly stand for an empty one.  The name in
		 * any case, as key files' extensions are (REVOKED.TXT from a FAT
		 * medium): revocation only narrows trust */
		if (!strcasecmp(names[i], "revoked.txt"))
			err = folder_list_ok(t, path) ? fwt_ctx_errcode(t->ctx) : fwt_trust_add_revoked(t, path);
		else if (!strcasecmp(names[i], "kids.json") && strcmp(names[i], "kids.json"))
			/* a kid map is read by its exact name: another spelling
			 * would be no map at all (every key tried for every kid) */
			err = fwt__error(t->ctx, FWT_EFORMAT, "'%s': a kid map is read only as 'kids.json', in lower case; "
			                 "rename it", path);
		else if (depth > 0 && !strcmp(names[i], "kids.json")) /* a folder of that name too */
			err = fwt__error(t->ctx, FWT_EFORMAT, "'%s' is below the --trust folder '%s': a kid map applies to "
			                 "a whole trust store; move it to the top or give its folder as --trust", path, top);
		else if (!dangling && S_ISDIR(st.st_mode))
			err = add_dir(t, top, path, depth + 1, seen);
		else if (dangling && wanted_ext(names[i]))
			err = fwt__error(t->ctx, FWT_EIO, "cannot read '%s' in trust folder '%s': a link to nothing", path,
			                 top);
		else if (!dangling && S_ISREG(st.st_mode) && wanted_ext(names[i]))
			err = add_file(t, path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

/* dir/rel as the folder walk names its files: "." and empty components
 * dropped ("./a.pem", "sub//a.pem"); 0 for ".." or a path too long. */
static int rel_path(const char *dir, const char *rel, char *out, size_t cap)
{
	size_t len = (size_t)snprintf(out, cap, "%s", dir), n;
	const char *p = rel, *e;

	if (len >= cap)
		return 0;
	while (*p) {
		e = strchr(p, '/');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		if (n && !(n == 1 && p[0] == '.')) {
			if (len + 1 + n >= cap)
				return 0;
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
			out[len] = '\0';
		}
		p += n + (e ? 1 : 0);
	}
	return len > strlen(dir);
}

/* Keys by file name, for kids.json: sorted once per file read (a store
 * of thousands of keys and a kids.json of thousands of kids stay
 * n log n); the first key of a name in the store's order. */
struct named {
	const char *name;
	size_t i;
};

static int named_cmp(const void *x, const void *y)
{
	const struct named *p = x, *q = y;
	int c = strcmp(p->name, q->name);

	return c ? c : p->i < q->i ? -1 : p->i > q->i;
}

static fwt_pubkey *find_by_name(fwt_trust *t, const struct named *idx, const char *path)
{
	size_t lo = 0, hi = t->n, mid;

	while (lo < hi) { /* the first entry not below path */
		mid = lo + (hi - lo) / 2;
		if (strcmp(idx[mid].name, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && !strcmp(idx[lo].name, path) ? t->keys[idx[lo].i] : NULL;
}

/* kids sorted by length then bytes: looked up by binary search */
static int kid_cmp(const void *x, const void *y)
{
	const struct kid_map *p = x, *q = y;

	if (p->kidlen != q->kidlen)
		return p->kidlen < q->kidlen ? -1 : 1;
	return memcmp(p->kid, q->kid, p->kidlen);
}

static fwt_err load_kids(fwt_trust *t, const char *dir, const char *file)
{
	unsigned char *buf;
	size_t len, i = 0, count;
	json_error_t jerr;
	json_t *o = NULL, *v;
	const char *kid;
	char path[PATH_MAX];
	fwt_pubkey *k;
	struct kid_map *nk;
	struct named *names;
	fwt_err err;

	err = fwt_read_file(t->ctx, file, TRUST_FILE_CAP, &buf, &len);
	if (err)
		return err;
	o = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		return fwt__error(t->ctx, FWT_EFORMAT, "'%s' is not a JSON object of kid to key file: %s", file,
		                  o ? "wrong type" : jerr.text);
	}
	count = json_object_size(o);
	nk = realloc(t->kids, (t->nkids + count) * sizeof(*nk));
	if (!nk && count) {
		json_decref(o);
		return fwt__enomem(t->ctx);
	}
	t->kids = nk;
	names = malloc((t->n ? t->n : 1) * sizeof(*names));
	if (!names) {
		json_decref(o);
		return fwt__enomem(t->ctx);
	}
	for (i = 0; i < t->n; i++) {
		names[i].name = fwt_pubkey_name(t->keys[i]);
		names[i].i = i;
	}
	qsort(names, t->n, sizeof(*names), named_cmp);
	json_object_foreach(o, kid, v) {
		const char *rel = json_string_value(v);
		size_t kl = strlen(kid);
		(void)i;
		if (!rel || !*rel || rel[0] == '/' || !rel_path(dir, rel, path, sizeof(path))) {
			err = fwt__error(t->ctx, FWT_EFORMAT, "'%s': kid '%s' must map to a file inside the folder, by "
			                 "a relative path without '..'", file, kid);
			break;
		}
		k = find_by_name(t, names, path);
		if (!k) {
			err = fwt__error(t->ctx, FWT_EFORMAT, "'%s': kid '%s' maps to '%s', which is no key file the "
			                 "folder holds (keys are read from *.pem, *.pub, *.crt, *.cer, *.der, *.jwk)",
			                 file, kid, rel);
			break;
		}
		/* one file's kids are told apart by the JSON reader (duplicate
		 * keys refused); another file's, once sorted below */
		if (fwt_trust_find_kid(t, kid, kl)) {
			err = fwt__error(t->ctx, FWT_EFORMAT, "'%s': kid '%s' is mapped twice", file, kid);
			break;
		}
		t->kids[t->nkids].kid = fwt__strndup(kid, kl);
		if (!t->kids[t->nkids].kid) {
			err = fwt__enomem(t->ctx);
			break;
		}
		t->kids[t->nkids].kidlen = kl;
		t->kids[t->nkids].key = k;
		t->nkids++;
	}
	json_decref(o);
	free(names);
	t->has_kids = 1;
	qsort(t->kids, t->nkids, sizeof(*t->kids), kid_cmp);
	t->sorted_kids = t->nkids;
	return err;
}

fwt_err fwt_trust_add_path(fwt_trust *t, const char *path)
{
	struct seen *seen;
	struct stat st;
	char kids[PATH_MAX], dir[PATH_MAX];
	size_t n;
	fwt_err err;

	if (!t || !path)
		return t ? fwt__error(t->ctx, FWT_EINVAL, "bad arguments to fwt_trust_add_path") : FWT_EINVAL;
	if (stat(path, &st) != 0) {
		char shown[1024];
		fwt_key_spec_shown(path, shown, sizeof(shown)); /* a pkcs11: URI given by mistake: no PIN shown */
		return fwt__error(t->ctx, FWT_EIO, "cannot open trust path '%s': %s", shown, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(t, path);
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
	seen = calloc(1, sizeof(*seen));
	if (!seen)
		return fwt__enomem(t->ctx);
	err = add_dir(t, dir, dir, 0, seen);
	free(seen);
	if (err)
		return err;
	snprintf(kids, sizeof(kids), "%s/kids.json", dir);
	if (lstat(kids, &st) != 0)
		return FWT_OK;
	return folder_list_ok(t, kids) ? fwt_ctx_errcode(t->ctx) : load_kids(t, dir, kids);
}

/* ---- revocation ---- */

fwt_err fwt_trust_revoke(fwt_trust *t, const unsigned char fp[32], const char *source)
{
	struct revoked *nr;

	if (!t || !fp)
		return t ? fwt__error(t->ctx, FWT_EINVAL, "bad arguments to fwt_trust_revoke") : FWT_EINVAL;
	if (t->nrev >= MAX_REVOKED)
		return fwt__error(t->ctx, FWT_EFORMAT, "more than %d revoked keys", MAX_REVOKED);
	if (t->nrev == t->caprev) {
		size_t cap = t->caprev ? t->caprev * 2 : 16;
		nr = realloc(t->rev, cap * sizeof(*nr));
		if (!nr)
			return fwt__enomem(t->ctx);
		t->rev = nr;
		t->caprev = cap;
	}
	memcpy(t->rev[t->nrev].fp, fp, 32);
	t->rev[t->nrev].source = fwt__strndup(source ? source : "revoked by the caller",
	                                            strlen(source ? source : "revoked by the caller"));
	if (!t->rev[t->nrev].source)
		return fwt__enomem(t->ctx);
	t->nrev++;
	return FWT_OK;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

fwt_err fwt_trust_add_revoked(fwt_trust *t, const char *path)
{
	unsigned char *buf, fp[32];
	const char *p, *end, *nl, *b, *e;
	char src[PATH_MAX + 32];
	size_t len, line = 0, got;
	fwt_err err;

	if (!t || !path)
		return t ? fwt__error(t->ctx, FWT_EINVAL, "bad arguments to fwt_trust_add_revoked") : FWT_EINVAL;
	err = fwt_read_file(t->ctx, path, TRUST_FILE_CAP, &buf, &len);
	if (err)
		return err;
	p = (const char *)buf;
	end = p + len;
	while (!err && p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		b = p;
		e = nl ? nl : end;
		p = nl ? nl + 1 : end;
		if (memchr(b, '\0', (size_t)(e - b))) {
			err = fwt__error(t->ctx, FWT_EFORMAT, "revocation list '%s' line %zu: a NUL byte", path, line);
			break;
		}
		/* CR LF ends a line; a CR that ends the file without an LF does
		 * not: it is a lone CR like the others */
		if (nl && e > b && e[-1] == '\r')
			e--;
		/* CR line ends are not read as line ends: a lone CR would make
		 * a comment swallow the fingerprints after it, and on a terminal
		 * hides what comes before it */
		if (!nl && e > b && e[-1] == '\r' && !memchr(b, '\r', (size_t)(e - 1 - b))) {
			err = fwt__error(t->ctx, FWT_EFORMAT,
			                 "revocation list '%s' line %zu: a carriage return at the end of the file, not "
			                 "followed by a line feed (lines end in LF or CR LF)", path, line);
			break;
		}
		if (memchr(b, '\r', (size_t)(e - b))) {
			err = fwt__error(t->ctx, FWT_EFORMAT,
			                 "revocation list '%s' line %zu: a carriage return inside the line (lines end in LF "
			                 "or CR LF)", path, line);
			break;
		}
		if ((nl = memchr(b, '#', (size_t)(e - b))) != NULL)
			e = nl;
		while (b < e && is_blank(*b))
			b++;
		while (e > b && is_blank(e[-1]))
			e--;
		if (b == e)
			continue;
		if (e - b > 7 && !memcmp(b, "sha256:", 7))
			b += 7;
		if (e - b != 64 || fwt_hex_decode(fp, sizeof(fp), b, 64, &got) != FWT_OK || got != 32) {
			err = fwt__error(t->ctx, FWT_EFORMAT,
			                 "revocation list '%s' line %zu: not a SHA-256 key fingerprint "
			                 "(64 hex digits, optionally after 'sha256:')", path, line);
			break;
		}
		snprintf(src, sizeof(src), "'%s' line %zu", path, line);
		err = fwt_trust_revoke(t, fp, src);
	}
	free(buf);
	return err;
}

static const struct revoked *find_revoked(const fwt_trust *t, const unsigned char fp[32])
{
	size_t i;

	for (i = 0; t && i < t->nrev; i++)
		if (!CRYPTO_memcmp(t->rev[i].fp, fp, 32))
			return &t->rev[i];
	return NULL;
}

/* k's entry in the revocation list, by its fingerprint or, for an
 * RSA-PSS-typed key, by the hash of its own rsassaPss SPKI as well (what
 * `openssl pkey -pubin -outform DER | sha256sum` gives for such a file);
 * fp is left holding the hash that matched (or the fingerprint). */
/* The store may hold one key in two encodings (an RSA-PSS-typed SPKI and
 * the rsaEncryption one): a line naming either file's own hash revokes the
 * key, whichever of the two files verified.  canon is the canonical
 * fingerprint; on a hit, out gets the hash the line names. */
static const struct revoked *twin_revoked(const fwt_trust *t, const unsigned char canon[32], unsigned char out[32])
{
	unsigned char enc[32], o[32];
	const struct revoked *r;
	size_t i;

	for (i = 0; t && t->nrev && i < t->n; i++) {
		if (!fwt__pubkey_fingerprint_as_encoded(t->keys[i], enc) ||
		    fwt_pubkey_fingerprint(t->keys[i], o) != FWT_OK || CRYPTO_memcmp(o, canon, 32))
			continue;
		if ((r = find_revoked(t, enc)) != NULL) {
			memcpy(out, enc, 32);
			return r;
		}
	}
	return NULL;
}

static const struct revoked *key_revoked(const fwt_trust *t, const fwt_pubkey *k, unsigned char fp[32])
{
	unsigned char enc[32];
	const struct revoked *r;

	if (fwt_pubkey_fingerprint(k, fp) != FWT_OK)
		return NULL;
	if ((r = find_revoked(t, fp)) != NULL)
		return r;
	if (fwt__pubkey_fingerprint_as_encoded(k, enc) && (r = find_revoked(t, enc)) != NULL) {
		memcpy(fp, enc, 32);
		return r;
	}
	if ((r = twin_revoked(t, fp, enc)) != NULL) {
		memcpy(fp, enc, 32);
		return r;
	}
	return NULL;
}

int fwt_trust_is_revoked(const fwt_trust *t, const fwt_pubkey *k)
{
	unsigned char fp[32];

	return t && k && t->nrev && key_revoked(t, k, fp) != NULL;
}

/* ---- validity windows ---- */

void fwt_trust_set_time(fwt_trust *t, int64_t at)
{
	if (t)
		t->at = at;
}

int64_t fwt_trust_time(const fwt_trust *t) { return t ? t->at : 0; }

static int64_t check_time(const fwt_trust *t, int64_t at)
{
	if (at)
		return at;
	if (t && t->at)
		return t->at;
	return (int64_t)time(NULL);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int asn1_epoch(const ASN1_TIME *a, int64_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!a || ASN1_TIME_to_tm(a, &tm) != 1)
		return 0;
	*out = days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) * 86400 +
	       tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return 1;
}

enum window { W_NONE, W_INSIDE, W_BEFORE, W_AFTER, W_UNREADABLE };

/* Where at falls in k's certificate's notBefore..notAfter (both included). */
static enum window cert_window(const fwt_pubkey *k, int64_t at, int64_t *nb, int64_t *na)
{
	X509 *x = fwt__pubkey_x509(k);

	if (!x)
		return W_NONE;
	if (!asn1_epoch(X509_get0_notBefore(x), nb) || !asn1_epoch(X509_get0_notAfter(x), na))
		return W_UNREADABLE;
	if (at < *nb)
		return W_BEFORE;
	if (at > *na)
		return W_AFTER;
	return W_INSIDE;
}

/* May entry e vouch, at time when, for a signature of algorithm alg
 * (FWT_SIG_NONE: not known) that k verified?  Its key is not revoked (the
 * caller checks).  Silent when ctx is NULL. */
static fwt_err entry_vouches(fwt_ctx *ctx, const fwt_pubkey *e, fwt_sig_alg alg, const fwt_pubkey *k,
                             int64_t when)
{
	char t1[32], t2[32];
	const char *subj = fwt_pubkey_cert_subject(e);
	int64_t nb = 0, na = 0;
	enum window w;

	/* a device's identity does not vouch: whatever signs firmware,
	 * reports or reference values is not the device they are about */
	if (fwt_trust_spdm_identity(e))
		return fwt__error(ctx, FWT_EVERIFY, "certificate '%s' (%s) is an SPDM device identity (DMTF SPDM "
		                  "extended key usage): a device's own key signs no firmware, report or reference "
		                  "values", fwt_pubkey_name(e), subj ? subj : "");
	/* nor does an entry that limits its key to other uses */
	if (fwt__pubkey_may_sign(ctx, e) != FWT_OK)
		return FWT_EVERIFY;
	if (fwt__pubkey_alg_like(ctx, e, alg, k) != FWT_OK)
		return FWT_EVERIFY;
	w = cert_window(e, when, &nb, &na);
	if (w == W_NONE || w == W_INSIDE)
		return FWT_OK;
	fwt_time_format_rfc3339(when, t2);
	if (w == W_UNREADABLE)
		return fwt__error(ctx, FWT_EVERIFY, "certificate '%s' (%s): its validity dates cannot be read",
		                  fwt_pubkey_name(e), subj ? subj : "");
	fwt_time_format_rfc3339(w == W_AFTER ? na : nb, t1);
	return fwt__error(ctx, FWT_EVERIFY, "certificate '%s' (%s) %s %s, checked at %s", fwt_pubkey_name(e),
	                  subj ? subj : "", w == W_AFTER ? "expired on" : "is not valid before", t1, t2);
}

fwt_err fwt_trust_check_key_alg(fwt_ctx *ctx, const fwt_trust *t, const fwt_pubkey *k, fwt_sig_alg alg,
                                int64_t at, const fwt_pubkey **vouch)
{
	unsigned char fp[32], o[32];
	const struct revoked *r;
	char hex[65];
	int64_t when;
	size_t i;

	if (vouch)
		*vouch = NULL;
	if (!k)
		return fwt__error(ctx, FWT_EINVAL, "no key to check");
	if (fwt_pubkey_fingerprint(k, fp) != FWT_OK)
		return fwt__error(ctx, FWT_ECRYPTO, "cannot fingerprint key '%s'", fwt_pubkey_name(k));
	if ((r = key_revoked(t, k, fp)) != NULL) {
		fwt_hex_encode(hex, fp, 32);
		return fwt__error(ctx, FWT_EVERIFY, "key '%s' (sha256:%s) is revoked (%s)", fwt_pubkey_name(k), hex,
		                  r->source);
	}
	when = check_time(t, at);
	/* one entry for the key, k or another (bare, or another certificate
	 * or JWK), that may vouch on every count at once: which entry
	 * verified, and so file names and order, do not change the answer */
	if (entry_vouches(NULL, k, alg, k, when) == FWT_OK) {
		if (vouch)
			*vouch = k;
		return FWT_OK;
	}
	for (i = 0; t && i < t->n; i++) {
		if (t->keys[i] == k || fwt_pubkey_fingerprint(t->keys[i], o) != FWT_OK || CRYPTO_memcmp(fp, o, 32))
			continue;
		if (entry_vouches(NULL, t->keys[i], alg, k, when) == FWT_OK) {
			if (vouch)
				*vouch = t->keys[i];
			return FWT_OK;
		}
	}
	/* none may: say why the key that verified may not */
	return entry_vouches(ctx, k, alg, k, when);
}

fwt_err fwt_trust_check_key(fwt_ctx *ctx, const fwt_trust *t, const fwt_pubkey *k, int64_t at,
                            const fwt_pubkey **vouch)
{
	return fwt_trust_check_key_alg(ctx, t, k, FWT_SIG_NONE, at, vouch);
}

size_t fwt_trust_count(const fwt_trust *t) { return t ? t->n : 0; }
const fwt_pubkey *fwt_trust_key(const fwt_trust *t, size_t i) { return t && i < t->n ? t->keys[i] : NULL; }
int fwt_trust_has_kids(const fwt_trust *t) { return t && t->has_kids; }

const fwt_pubkey *fwt_trust_find_kid(const fwt_trust *t, const char *kid, size_t kidlen)
{
	struct kid_map want, *hit;

	if (!t || !kid || !t->nkids)
		return NULL;
	want.kid = (char *)kid;
	want.kidlen = kidlen;
	hit = bsearch(&want, t->kids, t->sorted_kids, sizeof(*t->kids), kid_cmp);
	return hit ? hit->key : NULL;
}

const fwt_pubkey *fwt_trust_find_key(const fwt_trust *t, const fwt_pubkey *k)
{
	unsigned char a[32], b[32];
	size_t i;

	if (!t || !k || fwt_pubkey_fingerprint(k, a) != FWT_OK)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (fwt_pubkey_fingerprint(t->keys[i], b) == FWT_OK && !CRYPTO_memcmp(a, b, 32))
			return t->keys[i];
	return NULL;
}

/* FWT_EVERIFY when a certificate of a validated chain has a revoked key;
 * depth[i] is the depth the message gives chain's i-th certificate. */
static fwt_err chain_revoked(fwt_ctx *ctx, fwt_trust *t, STACK_OF(X509) *chain, const int *depth)
{
	unsigned char *der = NULL, fp[32];
	const struct revoked *r;
	char hex[65];
	int i, n;
	fwt_err err;

	for (i = 0; i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		der = NULL;
		n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
		if (n <= 0)
			return fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot encode the key of chain certificate %d", i);
		err = fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, der, (size_t)n, fp);
		OPENSSL_free(der);
		if (err)
			return err;
		r = find_revoked(t, fp);
		/* also by its canonical fingerprint, the one `fwtrail key export`
		 * prints (an RSA-PSS-typed key as rsaEncryption, a compressed EC
		 * point uncompressed), as key_revoked does */
		/* (an EC key's SPKI as the certificate holds it: its length tells
		 * the canonical form, uncompressed on a named curve, from others;
		 * the key object itself may have been made canonical on loading) */
		if (!r && (EVP_PKEY_is_a(X509_get0_pubkey(x), "RSA-PSS") ||
		           (EVP_PKEY_is_a(X509_get0_pubkey(x), "EC") && n != 91 && n != 120 && n != 158))) {
			err = fwt__canonical_fingerprint(ctx, X509_get0_pubkey(x), fp);
			if (err)
				return err;
			r = find_revoked(t, fp);
		}
		/* and by the hash of a store file holding it in another encoding */
		if (!r)
			r = twin_revoked(t, fp, fp);
		if (r) {
			char *subj = fwt__x509_subject(x);
			fwt_hex_encode(hex, fp, 32);
			err = fwt__error(ctx, FWT_EVERIFY,
			                 "certificate chain does not validate: the key of '%s' (depth %d, sha256:%s) "
			                 "is revoked (%s)", subj ? subj : "", depth[i], hex, r->source);
			free(subj);
			return err;
		}
	}
	return FWT_OK;
}

/* The DMTF SPDM purposes (DSP0274) in x's extended key usage. */
enum { SPDM_RESPONDER = 1, SPDM_REQUESTER = 2 };

static int spdm_eku(X509 *x)
{
	EXTENDED_KEY_USAGE *eku;
	char oid[64];
	int i, found = 0;

	if (!x || !(eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL))) {
		ERR_clear_error();
		return 0;
	}
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		if (OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1) <= 0)
			continue;
		if (!strcmp(oid, "1.3.6.1.4.1.412.274.3"))
			found |= SPDM_RESPONDER;
		else if (!strcmp(oid, "1.3.6.1.4.1.412.274.4"))
			found |= SPDM_REQUESTER;
	}
	EXTENDED_KEY_USAGE_free(eku);
	ERR_clear_error();
	return found;
}

/* The leaf of a chain signs data: when its certificate limits its key's
 * uses, digitalSignature must be among them (RFC 5280 4.2.1.3; a key for
 * keyCertSign and cRLSign alone signs certificates, not evidence or RIMs).
 * A signer's leaf (end_entity 0) is held to the rules of
 * fwt__pubkey_may_sign too: no critical extension left unhandled, and an
 * extended key usage, when present, that allows signing data.
 * end_entity: the leaf is an SPDM responder's, whose purposes DSP0274 sets:
 * it must not be a CA (basicConstraints cA), and an extended key usage with
 * the DMTF requester-authentication purpose but not the responder one makes
 * it a requester's certificate.  Real RIM signers are not held to the CA
 * rule: the TCG reference RIMs (HIRS) are signed by CA certificates that
 * also carry digitalSignature. */
static fwt_err check_leaf(fwt_ctx *ctx, fwt_trust *t, X509 *x, int end_entity)
{
	int use = fwt__x509_signs_data(x, !end_entity);
	char what[256];

	if (use == FWT_X509_BAD_EXTENSION)
		return fwt__error(ctx, FWT_EVERIFY, "the signing certificate has an invalid extension");
	if (end_entity && (X509_get_extension_flags(x) & EXFLAG_CA))
		return fwt__error(ctx, FWT_EVERIFY, "the signing certificate is a CA certificate "
		                  "(basicConstraints cA), not an end-entity one");
	if (use == FWT_X509_UNHANDLED_CRITICAL) {
		fwt__x509_critical_text(x, what, sizeof(what));
		return fwt__error(ctx, FWT_EVERIFY, "the signing certificate has a critical extension fwtrail does "
		                  "not handle (%s)", what);
	}
	if (use == FWT_X509_NO_DIGITAL_SIGNATURE)
		return fwt__error(ctx, FWT_EVERIFY, "the signing certificate's key usage does not include "
		                  "digitalSignature");
	if (use == FWT_X509_EKU) {
		fwt__x509_eku_text(x, what, sizeof(what));
		return fwt__error(ctx, FWT_EVERIFY, "the signing certificate's extended key usage allows only %s "
		                  "(not codeSigning, documentSigning or anyExtendedKeyUsage)", what);
	}
	if (end_entity && spdm_eku(x) == SPDM_REQUESTER)
		return fwt__error(ctx, FWT_EVERIFY, "the leaf is an SPDM requester certificate, not a responder's "
		                  "(its extended key usage has the DMTF requester-authentication purpose "
		                  "1.3.6.1.4.1.412.274.4 and not the responder one, 1.3.6.1.4.1.412.274.3)");
	return FWT_OK;
}

static fwt_err verify_chain(fwt_ctx *ctx, fwt_trust *t, fwt_pubkey *const *chain, size_t n, int64_t at, int end_entity,
                            fwt_trust_path *path);

int fwt_trust_spdm_identity(const fwt_pubkey *k)
{
	return spdm_eku(k ? fwt__pubkey_x509(k) : NULL) != 0;
}

fwt_err fwt_trust_verify_chain(fwt_ctx *ctx, fwt_trust *t, fwt_pubkey *const *chain, size_t n, int64_t at)
{
	return verify_chain(ctx, t, chain, n, at, 0, NULL);
}

fwt_err fwt_trust_verify_chain_path(fwt_ctx *ctx, fwt_trust *t, fwt_pubkey *const *chain, size_t n, int64_t at,
                                    fwt_trust_path *path)
{
	return verify_chain(ctx, t, chain, n, at, 0, path);
}

fwt_err fwt__trust_verify_chain_ee(fwt_ctx *ctx, fwt_trust *t, fwt_pubkey *const *chain, size_t n, int64_t at,
                                   fwt_trust_path *path)
{
	return verify_chain(ctx, t, chain, n, at, 1, path);
}

/* The fingerprints of the validated path, leaf to anchor (see
 * fwt_trust_path); a path too long to hold is left unknown (n 0), so
 * that no certificate above the leaf is taken to vouch for it. */
static fwt_err path_fingerprints(fwt_ctx *ctx, STACK_OF(X509) *chain, fwt_trust_path *path)
{
	int i, n = sk_X509_num(chain);
	fwt_err err;

	path->n = 0;
	if (n <= 0 || n > FWT_TRUST_PATH_MAX)
		return FWT_OK;
	for (i = 0; i < n; i++) {
		EVP_PKEY *k = X509_get0_pubkey(sk_X509_value(chain, i));
		if (!k)
			return fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot read the key of chain certificate %d", i);
		err = fwt__canonical_fingerprint(ctx, k, path->fp[i]);
		if (err)
			return err;
	}
	path->n = (size_t)n;
	return FWT_OK;
}

/* 1 if y issued x: its subject and key identifier fit x's issuer, and its
 * key verifies x's signature. */
static int issued_by(X509 *x, X509 *y)
{
	EVP_PKEY *k = X509_get0_pubkey(y);
	int ok = X509_check_issued(y, x) == X509_V_OK && k && X509_verify(x, k) == 1;

	ERR_clear_error();
	return ok;
}

static int in_stack(STACK_OF(X509) *s, X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(s); i++)
		if (!X509_cmp(sk_X509_value(s, i), x))
			return 1;
	return 0;
}

/*
 * Revocation covers the path OpenSSL built, anchor included, and what
 * stands above it.  With a partial chain allowed, validation stops at the
 * first certificate of the store, often an intermediate CA the store holds
 * beside its root: the root's key, revoked, would never be looked at.  So
 * the keys checked are the path's, then those of every certificate of the
 * store that issued the anchor, or one of those, up to the roots.  A
 * certificate given with the chain that the path does not use vouches for
 * nothing, and its key is not looked at.  Each is named by its depth: its
 * place on the path, and above the anchor one more than the certificate it
 * issued.
 */
static fwt_err revoked_above(fwt_ctx *ctx, fwt_trust *t, STACK_OF(X509) *path)
{
	STACK_OF(X509) *all = sk_X509_dup(path);
	unsigned char *taken = calloc(t->n ? t->n : 1, 1);
	int *depth = NULL;
	size_t i;
	int j, npath = sk_X509_num(path);
	fwt_err err;

	/* the depths: the path's, then at most one more a store certificate */
	if (!all || !taken || npath <= 0 || !(depth = calloc((size_t)npath + t->n, sizeof(*depth))))
		goto oom;
	for (j = 0; j < npath; j++)
		depth[j] = j;
	/* a store certificate is taken once: flagged by its place in the
	 * store (one that is already on the path from the start), never
	 * looked up in the worklist, which may grow to the store's size */
	for (i = 0; i < t->n; i++) {
		X509 *y = fwt__pubkey_x509(t->keys[i]);
		taken[i] = !y || in_stack(all, y);
	}
	/* a worklist from the anchor up: each certificate taken in is matched
	 * once against the store's, so the cost is store x store at most,
	 * whatever the order */
	for (j = npath - 1; j < sk_X509_num(all); j++) {
		X509 *x = sk_X509_value(all, j);
		for (i = 0; i < t->n; i++) {
			X509 *y = fwt__pubkey_x509(t->keys[i]);
			/* taken first, then the names (cheap), then the signature */
			if (taken[i] || X509_check_issued(y, x) != X509_V_OK || !issued_by(x, y))
				continue;
			if (!sk_X509_push(all, y))
				goto oom;
			depth[sk_X509_num(all) - 1] = depth[j] + 1;
			taken[i] = 1;
		}
	}
	err = chain_revoked(ctx, t, all, depth);
	sk_X509_free(all);
	free(taken);
	free(depth);
	return err;
oom:
	sk_X509_free(all);
	free(taken);
	free(depth);
	return fwt__enomem(ctx);
}

/* RFC 5280 4.1.2.5: a certificate is valid from notBefore to notAfter,
 * both included, as fwt_trust_check_key holds it.  OpenSSL takes a
 * notAfter equal to the check time for expired: that one instant is
 * accepted here (the check time is always set, see verify_chain). */
static int verify_cb(int ok, X509_STORE_CTX *sc)
{
	X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(sc);
	X509 *x = X509_STORE_CTX_get_current_cert(sc);

	if (!ok && X509_STORE_CTX_get_error(sc) == X509_V_ERR_CERT_HAS_EXPIRED && x &&
	    (X509_VERIFY_PARAM_get_flags(param) & X509_V_FLAG_USE_CHECK_TIME) &&
	    ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), X509_VERIFY_PARAM_get_time(param)) == 0) {
		X509_STORE_CTX_set_error(sc, X509_V_OK);
		return 1;
	}
	return ok;
}

/* Why a chain did not validate, naming the certificate as 'verify --cert'
 * does: its subject, and for a date failure the date and the time used. */
static fwt_err chain_error(fwt_ctx *ctx, X509_STORE_CTX *sc, int64_t at)
{
	int e = X509_STORE_CTX_get_error(sc), depth = X509_STORE_CTX_get_error_depth(sc);
	X509 *x = X509_STORE_CTX_get_current_cert(sc);
	char *name = fwt__x509_subject(x), t1[32], t2[32];
	const char *subj = name && *name ? name : x ? "(no subject)" : "(unknown)";
	int64_t when;
	fwt_err err;

	if (x && (e == X509_V_ERR_CERT_HAS_EXPIRED || e == X509_V_ERR_CERT_NOT_YET_VALID) &&
	    asn1_epoch(e == X509_V_ERR_CERT_HAS_EXPIRED ? X509_get0_notAfter(x) : X509_get0_notBefore(x), &when)) {
		fwt_time_format_rfc3339(when, t1);
		fwt_time_format_rfc3339(at ? at : (int64_t)time(NULL), t2);
		err = fwt__error(ctx, FWT_EVERIFY, "certificate chain does not validate: certificate '%s' (depth %d) "
		                 "%s %s, checked at %s", subj, depth,
		                 e == X509_V_ERR_CERT_HAS_EXPIRED ? "expired on" : "is not valid before", t1, t2);
	} else {
		err = fwt__error(ctx, FWT_EVERIFY, "certificate chain does not validate: %s: certificate '%s' (depth %d)",
		                 X509_verify_cert_error_string(e), subj, depth);
	}
	free(name);
	return err;
}

static fwt_err verify_chain(fwt_ctx *ctx, fwt_trust *t, fwt_pubkey *const *chain, size_t n, int64_t at, int end_entity,
                            fwt_trust_path *path)
{
	X509_STORE *store = NULL;
	X509_STORE_CTX *sc = NULL;
	STACK_OF(X509) *untrusted = NULL, *anchors = NULL;
	X509_VERIFY_PARAM *param;
	size_t i;
	fwt_err err = FWT_OK;
	int rc;

	if (path)
		path->n = 0;
	if (!t || !chain || !n || !fwt__pubkey_x509(chain[0]))
		return fwt__error(ctx, FWT_EINVAL, "no certificate chain to validate");
	/* the anchors as a stack, not added to an X509_STORE: OpenSSL 3.0
	 * sorts a store again at each add, which made every chain cost
	 * O(n^2 log n) in the trust store's size */
	store = X509_STORE_new();
	untrusted = sk_X509_new_null();
	anchors = sk_X509_new_null();
	if (!store || !untrusted || !anchors) {
		err = fwt__enomem(ctx);
		goto out;
	}
	for (i = 0; i < t->n; i++) {
		X509 *x = fwt__pubkey_x509(t->keys[i]);
		if (x && !sk_X509_push(anchors, x)) {
			err = fwt__enomem(ctx);
			goto out;
		}
	}
	if (!sk_X509_num(anchors)) {
		err = fwt__error(ctx, FWT_EINVAL, "the trust store holds no certificate to anchor a chain");
		goto out;
	}
	for (i = 1; i < n; i++) {
		X509 *x = fwt__pubkey_x509(chain[i]);
		if (!x) {
			err = fwt__error(ctx, FWT_EFORMAT, "chain element %zu is not a certificate", i);
			goto out;
		}
		if (!sk_X509_push(untrusted, x)) {
			err = fwt__enomem(ctx);
			goto out;
		}
	}
	sc = X509_STORE_CTX_new_ex(fwt__libctx(ctx), fwt__propq(ctx));
	if (!sc || !X509_STORE_CTX_init(sc, store, fwt__pubkey_x509(chain[0]), untrusted)) {
		err = fwt__error_ossl(ctx, FWT_ECRYPTO, "cannot set up chain validation");
		goto out;
	}
	X509_STORE_CTX_set0_trusted_stack(sc, anchors);
	param = X509_STORE_CTX_get0_param(sc);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_X509_STRICT);
	if (!at)
		at = t->at;
	if (!at)
		at = (int64_t)time(NULL);
	X509_VERIFY_PARAM_set_time(param, (time_t)at);
	X509_STORE_CTX_set_verify_cb(sc, verify_cb);
	rc = X509_verify_cert(sc);
	if (rc != 1)
		err = chain_error(ctx, sc, at);
	else {
		err = check_leaf(ctx, t, fwt__pubkey_x509(chain[0]), end_entity);
		if (!err && t->nrev)
			err = revoked_above(ctx, t, X509_STORE_CTX_get0_chain(sc));
		/* the path OpenSSL built, never the certificates merely given */
		if (!err && path)
			err = path_fingerprints(ctx, X509_STORE_CTX_get0_chain(sc), path);
	}
	ERR_clear_error();
out:
	X509_STORE_CTX_free(sc);
	sk_X509_free(untrusted);
	sk_X509_free(anchors);
	X509_STORE_free(store);
	return err;
}
