/* SPDX-License-Identifier: Apache-2.0 */
/* lazy_test.c - libarchive, libxml2, xmlsec and p11-kit loaded on first
 * use: a library that is not installed is a clear FWT_EUNSUPPORTED naming
 * it, every time, from any thread; one that is installed works as if
 * linked.  lazy.c is built in here with absent libarchive and p11-kit
 * SONAMEs (the linker then leaves libfwtrail.a's own copy out). */
#undef FWT_LIBARCHIVE_SONAME
#define FWT_LIBARCHIVE_SONAME "libfwtrail-absent-archive.so.0"
#undef FWT_LIBP11KIT_SONAME
#define FWT_LIBP11KIT_SONAME "libfwtrail-absent-p11kit.so.0"
#include "../lazy.c"
#include <stdlib.h>
#include <fwtrail/archive.h>
#include <fwtrail/key.h>
#include <fwtrail/p11.h>
#include <fwtrail/swid.h>
#include "t.h"

static fwt_ctx *ctx;

static void test_absent_library(void)
{
	fwt_archive *ar = (fwt_archive *)1;
	int i;

	for (i = 0; i < 2; i++) { /* the same answer the second time */
		T_EQ_INT(fwt_archive_open(ctx, &ar, "testdata/firmware/release/acme-bmc"), FWT_EUNSUPPORTED);
		T_ASSERT(ar == NULL);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "cannot read archives: libfwtrail-absent-archive.so.0 is not "
		                                     "installed") == fwt_ctx_errmsg(ctx));
	}
}

/* without p11-kit a pkcs11: URI is refused, naming the library; nothing
 * else is touched (no module list, no crash on the unfilled pointers) */
static void test_absent_p11kit(void)
{
	fwt_p11_listing *l = (fwt_p11_listing *)1;
	int i;

	for (i = 0; i < 2; i++) {
		T_EQ_INT(fwt_p11_uri_check(ctx, "pkcs11:token=t;object=k"), FWT_EUNSUPPORTED);
		T_EQ_STR(fwt_ctx_errmsg(ctx), "cannot use PKCS#11 tokens: libfwtrail-absent-p11kit.so.0 is not "
		                              "installed (libfwtrail-absent-p11kit.so.0: cannot open shared object "
		                              "file: No such file or directory)");
		T_EQ_INT(fwt_p11_list(ctx, &l, NULL), FWT_EUNSUPPORTED);
		T_ASSERT(l == NULL);
	}
	/* a URI p11-kit is not needed to refuse is refused as before */
	T_EQ_INT(fwt_p11_uri_check(ctx, "file:x"), FWT_EINVAL);
}

static void *parse_one(void *arg)
{
	static const char tag[] = "<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\" "
	                          "name=\"x\" tagId=\"t\" version=\"1\"><Entity name=\"e\" role=\"tagCreator\" "
	                          "regid=\"example.com\"/></SoftwareIdentity>";
	fwt_ctx *c = NULL;
	fwt_swid *s = NULL;
	long ok;

	(void)arg;
	if (fwt_ctx_new(&c, NULL) != FWT_OK)
		return (void *)0;
	ok = fwt_swid_parse(c, &s, tag, sizeof(tag) - 1, "t.swidtag") == FWT_OK && s &&
	     !strcmp(fwt_swid_get_identity(s)->name, "x");
	fwt_swid_free(s);
	fwt_ctx_free(c);
	return (void *)ok;
}

static void test_present_library_from_threads(void)
{
	pthread_t t[4];
	void *r;
	int i, good = 0;

	for (i = 0; i < 4; i++)
		T_ASSERT(pthread_create(&t[i], NULL, parse_one, NULL) == 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		good += r != NULL;
	}
	T_EQ_INT(good, 4);
	T_ASSERT(fwt_lazy_xml.xmlCreateMemoryParserCtxt != NULL);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_absent_library);
	T_RUN(test_present_library_from_threads);
	T_RUN(test_absent_p11kit);
	fwt_ctx_free(ctx);
	return t_done();
}
