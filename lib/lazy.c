/* SPDX-License-Identifier: Apache-2.0 */
/* lazy.c - libarchive, libxml2, xmlsec and p11-kit are loaded when first
 * needed.
 *
 * Linked, they cost every fwtrail process about ten milliseconds before
 * main (twenty libraries, ICU's C++ among them, relocated at start-up),
 * though most commands never read an archive or a SWID tag, and p11-kit
 * with libffi another millisecond, though most never open a token.  Their
 * functions are reached through the pointers filled here instead, once,
 * from the library's SONAME found at build time. */
#define FWT_LAZY_NO_REDIRECT
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "lazy_archive.h"
#include "lazy_xml.h"
#include "lazy_p11kit.h"
#include "internal.h"
#include "banned.h"

#ifndef FWT_LIBARCHIVE_SONAME
#define FWT_LIBARCHIVE_SONAME "libarchive.so.13"
#endif
#ifndef FWT_LIBP11KIT_SONAME
#define FWT_LIBP11KIT_SONAME "libp11-kit.so.0"
#endif
#ifndef FWT_LIBXMLSEC_SONAME
#define FWT_LIBXMLSEC_SONAME "libxmlsec1-openssl.so.1"
#endif

struct fwt_lazy_archive fwt_lazy_archive;
struct fwt_lazy_xml fwt_lazy_xml;
struct fwt_lazy_p11kit fwt_lazy_p11kit;

struct sym {
	const char *name;
	size_t off;
};

#define ARCHIVE_SYM(f) { #f, offsetof(struct fwt_lazy_archive, f) },
static const struct sym archive_syms[] = { FWT_LAZY_ARCHIVE_FUNCS(ARCHIVE_SYM) };
#define XML_SYM(f) { #f, offsetof(struct fwt_lazy_xml, f) },
static const struct sym xml_syms[] = { FWT_LAZY_XML_FUNCS(XML_SYM) };
#define P11KIT_SYM(f) { #f, offsetof(struct fwt_lazy_p11kit, f) },
static const struct sym p11kit_syms[] = { FWT_LAZY_P11KIT_FUNCS(P11KIT_SYM) };

struct lib {
	const char *soname, *what;
	const struct sym *syms;
	size_t n;
	void *table;
	pthread_once_t once;
	char why[256]; /* empty once loaded */
};

static struct lib libs[] = {
	{ FWT_LIBARCHIVE_SONAME, "read archives", archive_syms, FWT_ARRAY_LEN(archive_syms), &fwt_lazy_archive,
	  PTHREAD_ONCE_INIT, "" },
	{ FWT_LIBXMLSEC_SONAME, "read SWID tags", xml_syms, FWT_ARRAY_LEN(xml_syms), &fwt_lazy_xml, PTHREAD_ONCE_INIT,
	  "" },
	{ FWT_LIBP11KIT_SONAME, "use PKCS#11 tokens", p11kit_syms, FWT_ARRAY_LEN(p11kit_syms), &fwt_lazy_p11kit,
	  PTHREAD_ONCE_INIT, "" },
};

static void load(struct lib *l)
{
	const char *e;
	void *h, *p;
	size_t i;

	h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		e = dlerror();
		snprintf(l->why, sizeof(l->why), "cannot %s: %s is not installed (%s)", l->what, l->soname,
		         e ? e : "dlopen failed");
		return;
	}
	for (i = 0; i < l->n; i++) {
		p = dlsym(h, l->syms[i].name);
		if (!p) {
			snprintf(l->why, sizeof(l->why), "cannot %s: %s lacks %s", l->what, l->soname,
			         l->syms[i].name);
			return; /* h stays open: it may be in use elsewhere in the process */
		}
		memcpy((char *)l->table + l->syms[i].off, &p, sizeof(p));
	}
}

static void load_archive(void) { load(&libs[0]); }
static void load_xml(void) { load(&libs[1]); }
static void load_p11kit(void) { load(&libs[2]); }

static fwt_err loaded(fwt_ctx *ctx, struct lib *l, void (*fn)(void))
{
	if (pthread_once(&l->once, fn) != 0)
		return fwt__error(ctx, FWT_EINTERNAL, "cannot load %s", l->soname);
	if (l->why[0])
		return fwt__error(ctx, FWT_EUNSUPPORTED, "%s", l->why);
	return FWT_OK;
}

fwt_err fwt__lazy_archive_load(fwt_ctx *ctx)
{
	return loaded(ctx, &libs[0], load_archive);
}

fwt_err fwt__lazy_xml_load(fwt_ctx *ctx)
{
	return loaded(ctx, &libs[1], load_xml);
}

fwt_err fwt__lazy_p11kit_load(fwt_ctx *ctx)
{
	return loaded(ctx, &libs[2], load_p11kit);
}
