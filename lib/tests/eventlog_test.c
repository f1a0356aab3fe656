/* SPDX-License-Identifier: Apache-2.0 */
/* eventlog_test.c - TCG event log parsing, replay, reference values:
 * every corpus log against EXPECTED_PCRS.json, truncation at every offset
 * (exact-size buffers, so ASan sees any over-read), hostile fields. */
#include <stdint.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fwtrail/fwtrail.h>
#include "t.h"

static fwt_ctx *ctx;

/* ---- a tiny log builder ---- */

struct buf {
	unsigned char b[8192];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}
static void put32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	put(b, x, 4);
}
static void put16(struct buf *b, unsigned v)
{
	unsigned char x[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	put(b, x, 2);
}

/* Spec ID Event03 header with sha1 + sha256. */
static void header(struct buf *b)
{
	static const unsigned char zero[20];
	put32(b, 0);
	put32(b, FWT_EV_NO_ACTION);
	put(b, zero, 20);
	put32(b, 16 + 8 + 4 + 8 + 1);
	put(b, "Spec ID Event03", 16);
	put32(b, 0);
	put32(b, 0x02000200); /* minor 0, major 2, errata 0, uintn 2 */
	put32(b, 2);
	put16(b, 0x0004);
	put16(b, 20);
	put16(b, 0x000b);
	put16(b, 32);
	b->b[b->n++] = 0;
}

/* A crypto-agile event whose digests are H(data) (or zero for EV_NO_ACTION). */
static void event(struct buf *b, uint32_t pcr, uint32_t type, const void *data, size_t len)
{
	unsigned char d1[20] = { 0 }, d2[32] = { 0 };

	if (type != FWT_EV_NO_ACTION) {
		T_ASSERT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA1, data, len, d1) == FWT_OK);
		T_ASSERT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, data, len, d2) == FWT_OK);
	}
	put32(b, pcr);
	put32(b, type);
	put32(b, 2);
	put16(b, 0x0004);
	put(b, d1, 20);
	put16(b, 0x000b);
	put(b, d2, 32);
	put32(b, (uint32_t)len);
	put(b, data, len);
}

/* Event i of log (a copy). */
static fwt_eventlog_event ev_at(const fwt_eventlog *log, size_t i)
{
	fwt_eventlog_event e;
	memset(&e, 0, sizeof(e));
	fwt_eventlog_event_get(log, i, &e);
	return e;
}

static fwt_err parse(const struct buf *b, fwt_eventlog **out)
{
	/* an exact-size copy, so that ASan catches reads past the end */
	unsigned char *p = malloc(b->n ? b->n : 1);
	fwt_err err;

	memcpy(p, b->b, b->n);
	err = fwt_eventlog_parse(ctx, out, p, b->n, NULL);
	free(p);
	return err;
}

static void test_minimal(void)
{
	struct buf b = { .n = 0 };
	fwt_eventlog *log = NULL;
	fwt_pcrs *p = NULL;
	unsigned char want[32], cat[64];
	static const unsigned char sep[4];

	header(&b);
	event(&b, 7, FWT_EV_SEPARATOR, sep, 4);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_INT(fwt_eventlog_get_format(log), FWT_EVENTLOG_CRYPTO_AGILE);
	T_EQ_INT(fwt_eventlog_count(log), 2);
	T_EQ_INT(fwt_eventlog_alg_count(log), 2);
	T_EQ_INT(ev_at(log, 1).check, FWT_EVENT_CHECK_OK);
	T_EQ_INT(ev_at(log, 0).extends, 0);
	T_EQ_INT(fwt_eventlog_replay(ctx, log, &p), FWT_OK);
	/* PCR7 = sha256(0^32 || sha256(00000000)) */
	memset(cat, 0, 32);
	T_ASSERT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, sep, 4, cat + 32) == FWT_OK);
	T_ASSERT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, cat, 64, want) == FWT_OK);
	T_EQ_MEM(fwt_pcrs_get(p, FWT_DIGEST_SHA256, 7), want, 32);
	T_EQ_INT(fwt_pcrs_selected(p, FWT_DIGEST_SHA256), 1u << 7);
	T_EQ_INT(fwt_pcrs_banks(p), FWT_DIGEST_SHA1 | FWT_DIGEST_SHA256);
	fwt_pcrs_free(p);
	fwt_eventlog_free(log);
}

static void test_startup_locality(void)
{
	struct buf b = { .n = 0 };
	fwt_eventlog *log = NULL;
	fwt_pcrs *p = NULL;
	fwt_eventlog_options o = FWT_EVENTLOG_OPTIONS_INIT;
	unsigned char cat[64], want[32];
	const unsigned char *v;

	header(&b);
	event(&b, 0, FWT_EV_NO_ACTION, "StartupLocality\0\3", 17);
	event(&b, 0, FWT_EV_EFI_ACTION, "x", 1);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_INT(fwt_eventlog_startup_locality(log), 3);
	T_EQ_INT(fwt_eventlog_replay(ctx, log, &p), FWT_OK);
	memset(cat, 0, 32);
	cat[31] = 3;
	T_ASSERT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, "x", 1, cat + 32) == FWT_OK);
	T_ASSERT(fwt_digest_oneshot(ctx, FWT_DIGEST_SHA256, cat, 64, want) == FWT_OK);
	T_EQ_MEM(fwt_pcrs_get(p, FWT_DIGEST_SHA256, 0), want, 32);
	/* PCRs 17-22 reset to all ones, the others to zero */
	v = fwt_pcrs_get(p, FWT_DIGEST_SHA256, 17);
	T_ASSERT(v[0] == 0xff && v[31] == 0xff);
	T_ASSERT(fwt_pcrs_get(p, FWT_DIGEST_SHA256, 23)[0] == 0);
	fwt_pcrs_free(p);
	fwt_eventlog_free(log);

	/* a policy that only allows locality 0 */
	o.localities = 1u << 0;
	{
		unsigned char *c = malloc(b.n);
		memcpy(c, b.b, b.n);
		T_EQ_INT(fwt_eventlog_parse(ctx, &log, c, b.n, &o), FWT_EFORMAT);
		free(c);
	}
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "StartupLocality 3 is not allowed") != NULL);

	/* late: after a PCR0 extend */
	b.n = 0;
	header(&b);
	event(&b, 0, FWT_EV_EFI_ACTION, "x", 1);
	event(&b, 0, FWT_EV_NO_ACTION, "StartupLocality\0\3", 17);
	T_EQ_INT(parse(&b, &log), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "after PCR 0 was extended") != NULL);
	/* an extend of another PCR does not make it late */
	b.n = 0;
	header(&b);
	event(&b, 1, FWT_EV_EFI_ACTION, "x", 1);
	event(&b, 0, FWT_EV_NO_ACTION, "StartupLocality\0\0", 17);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_INT(fwt_eventlog_startup_locality(log), 0);
	fwt_eventlog_free(log);
}

static void test_hostile_fields(void)
{
	struct buf b = { .n = 0 }, c;
	fwt_eventlog *log = NULL;
	static const unsigned char sep[4];

	/* EventSize far beyond the log */
	header(&b);
	event(&b, 7, FWT_EV_SEPARATOR, sep, 4);
	c = b;
	c.b[c.n - 8] = 0x47, c.b[c.n - 7] = 0xef, c.b[c.n - 6] = 0xbf, c.b[c.n - 5] = 0xbd;
	T_EQ_INT(parse(&c, &log), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "EventSize 3183472455 exceeds") != NULL);
	/* digest count beyond the algorithm table */
	c = b;
	c.b[69 + 8] = 0xff;
	T_EQ_INT(parse(&c, &log), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "offset 69") != NULL);
	/* numberOfAlgorithms huge */
	c = b;
	c.b[32 + 24] = c.b[32 + 25] = c.b[32 + 26] = c.b[32 + 27] = 0xff;
	T_EQ_INT(parse(&c, &log), FWT_EFORMAT);
	/* PCR index 0xffffffff */
	c = b;
	memset(c.b + 69, 0xff, 4);
	T_EQ_INT(parse(&c, &log), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "PCR index 4294967295") != NULL);
	/* trailing bytes */
	c = b;
	put(&c, "\0\0\0", 3);
	T_EQ_INT(parse(&c, &log), FWT_EFORMAT);
	/* empty, tiny */
	c.n = 0;
	T_EQ_INT(parse(&c, &log), FWT_EFORMAT);
	c.n = 7;
	T_EQ_INT(parse(&c, &log), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "offset 0") != NULL);
	/* oversize */
	T_EQ_INT(fwt_eventlog_parse(ctx, &log, b.b, (size_t)FWT_EVENTLOG_MAX_SIZE + 1, NULL), FWT_EFORMAT);
	T_ASSERT(log == NULL);
}

static void test_data_checks(void)
{
	struct buf b = { .n = 0 };
	fwt_eventlog *log = NULL;
	json_t *j = NULL;
	char *desc = NULL;
	static const unsigned char ff[4] = { 0xff, 0xff, 0xff, 0xff };
	unsigned char var[64];
	size_t off;

	header(&b);
	event(&b, 7, FWT_EV_SEPARATOR, ff, 4);
	off = b.n - 4;
	memset(b.b + off, 0, 4); /* the data now says 0, the digest is of ffffffff */
	/* an EFI variable whose name length lies */
	memset(var, 0, sizeof(var));
	var[16] = 0xff, var[23] = 0x7f;
	event(&b, 7, FWT_EV_EFI_VARIABLE_DRIVER_CONFIG, var, sizeof(var));
	/* EV_EFI_HCRTM_EVENT shorter than its usual 5 bytes */
	event(&b, 0, FWT_EV_EFI_HCRTM_EVENT, "HC", 2);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_INT(ev_at(log, 1).check, FWT_EVENT_CHECK_MISMATCH);
	T_EQ_INT(fwt_eventlog_mismatch_count(log), 1);
	T_EQ_INT(fwt_eventlog_event_describe(log, 1, &desc), FWT_OK);
	T_ASSERT(strstr(desc, "unverified") != NULL);
	free(desc);
	T_EQ_INT(fwt_eventlog_event_to_json(log, 2, &j), FWT_OK);
	T_ASSERT(json_is_true(json_object_get(json_object_get(j, "data"), "unparsed")));
	json_decref(j);
	T_EQ_INT(fwt_eventlog_event_to_json(log, 3, &j), FWT_OK);
	T_EQ_STR(json_string_value(json_object_get(json_object_get(j, "data"), "text")), "HC");
	json_decref(j);
	fwt_eventlog_free(log);
}

/* JSON member k of event i's data, as text ("" when absent). */
static const char *data_str(json_t **hold, const fwt_eventlog *log, size_t i, const char *k)
{
	const char *v;
	json_decref(*hold);
	*hold = NULL;
	if (fwt_eventlog_event_to_json(log, i, hold) != FWT_OK)
		return "(event_to_json failed)";
	v = json_string_value(json_object_get(json_object_get(*hold, "data"), k));
	return v ? v : "";
}

static void put64(struct buf *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	put32(b, (uint32_t)(v >> 32));
}

static void put_u16s(struct buf *b, const char *ascii, int nul)
{
	while (*ascii)
		put16(b, (unsigned char)*ascii++);
	if (nul)
		put16(b, 0);
}

/* Decoding differences tpm2_eventlog found (cmd/tests/eventlog-diff.bats):
 * bytes after a structure's declared lengths, UTF-16 text with a stray NUL
 * byte, a FilePathList of two device paths, BBS and IPv4 nodes. */
static void test_decode_like_tpm2(void)
{
	struct buf b = { .n = 0 }, d;
	fwt_eventlog *log = NULL;
	json_t *j = NULL;
	static const unsigned char guid[16] = { 0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
		                                0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c };
	static const unsigned char end[4] = { 0x7f, 0xff, 4, 0 };
	static const unsigned char ipv4[27] = { 3, 12, 27, 0, 10, 0, 0, 2, 192, 168, 0, 1, 0, 0, 0, 0, 17, 0, 0,
		                                10, 0, 0, 1, 255, 255, 255, 0 };
	static const unsigned char bbs[13] = { 5, 1, 13, 0, 2, 0, 0, 0, 'D', 'i', 's', 'k', 0 };
	static const unsigned char ven[20] = { 1, 4, 20, 0 };

	header(&b);
	/* 1: an image load event with 8 bytes after its device path */
	d.n = 0;
	put64(&d, 0x7c9ce018);
	put64(&d, 4096);
	put64(&d, 0);
	put64(&d, 4);
	put(&d, end, 4);
	put64(&d, 0);
	event(&b, 4, FWT_EV_EFI_BOOT_SERVICES_APPLICATION, d.b, d.n);
	/* 2: an EFI variable with 2 bytes after VariableData */
	d.n = 0;
	put(&d, guid, 16);
	put64(&d, 4);
	put64(&d, 1);
	put_u16s(&d, "Shim", 0);
	put(&d, "\x01\x00\xaf", 3);
	event(&b, 7, FWT_EV_EFI_VARIABLE_AUTHORITY, d.b, d.n);
	/* 3: UTF-16LE text followed by one NUL byte (odd length) */
	d.n = 0;
	put_u16s(&d, "initrd=\\x", 1);
	d.b[d.n++] = 0;
	event(&b, 8, FWT_EV_IPL, d.b, d.n);
	/* 4: Boot0002 whose FilePathList holds three device paths */
	d.n = 0;
	put(&d, guid, 16);
	put64(&d, 8);
	put64(&d, 4 + 2 + 6 + 20 + 4 + 27 + 4 + 13 + 4);
	put_u16s(&d, "Boot0002", 0);
	put32(&d, 1);
	put16(&d, 20 + 4 + 27 + 4 + 13 + 4);
	put_u16s(&d, "OS", 1);
	put(&d, ven, 20);
	put(&d, end, 4);
	put(&d, ipv4, 27);
	put(&d, end, 4);
	put(&d, bbs, 13);
	put(&d, end, 4);
	event(&b, 1, FWT_EV_EFI_VARIABLE_BOOT, d.b, d.n);
	/* 5: Boot0003 with a BBS node */
	d.n = 0;
	put(&d, guid, 16);
	put64(&d, 8);
	put64(&d, 4 + 2 + 2 + 13 + 4);
	put_u16s(&d, "Boot0003", 0);
	put32(&d, 1);
	put16(&d, 13 + 4);
	put16(&d, 0);
	put(&d, bbs, 13);
	put(&d, end, 4);
	event(&b, 1, FWT_EV_EFI_VARIABLE_BOOT, d.b, d.n);
	/* 6: shim's "Shim" authority: a certificate, no signature owner */
	d.n = 0;
	put(&d, guid, 16);
	put64(&d, 4);
	put64(&d, 20);
	put_u16s(&d, "Shim", 0);
	put(&d, "\x30\x82\x03\x94\x30\x82\x02\x7c\xa0\x03\x02\x01\x02\x02\x09\x00\x83\x73\x0d\x2b", 20);
	event(&b, 7, FWT_EV_EFI_VARIABLE_AUTHORITY, d.b, d.n);
	T_EQ_INT(parse(&b, &log), FWT_OK);

	T_EQ_STR(data_str(&j, log, 1, "image_base"), "0x7c9ce018");
	T_EQ_STR(data_str(&j, log, 1, "device_path"), "");
	T_EQ_STR(data_str(&j, log, 1, "trailing"), "0000000000000000");
	T_ASSERT(!json_object_get(json_object_get(j, "data"), "unparsed"));
	T_EQ_STR(data_str(&j, log, 2, "name"), "Shim");
	T_EQ_STR(data_str(&j, log, 2, "data"), "01");
	T_EQ_STR(data_str(&j, log, 2, "trailing"), "00af");
	T_EQ_STR(data_str(&j, log, 3, "text"), "initrd=\\\\x");
	T_EQ_STR(data_str(&j, log, 3, "encoding"), "utf-16le");
	T_EQ_STR(data_str(&j, log, 4, "device_path"), "VenHw(00000000-0000-0000-0000-000000000000)");
	{
		json_t *more = json_object_get(json_object_get(j, "data"), "more_device_paths");
		T_ASSERT(json_array_size(more) == 2);
		T_EQ_STR(json_string_value(json_array_get(more, 0)),
		         "IPv4(192.168.0.1,UDP,DHCP,10.0.0.2,10.0.0.1,255.255.255.0)");
		T_EQ_STR(json_string_value(json_array_get(more, 1)), "BBS(HD,Disk,0x0)");
	}
	T_ASSERT(!json_object_get(json_object_get(j, "data"), "unparsed"));
	T_EQ_STR(data_str(&j, log, 5, "device_path"), "BBS(HD,Disk,0x0)");
	T_EQ_STR(data_str(&j, log, 6, "name"), "Shim");
	T_EQ_STR(data_str(&j, log, 6, "signature_owner"), "");
	json_decref(j);
	fwt_eventlog_free(log);
}

/* UTF-16 text follows the escaping rules of ASCII text: a logged "\x0a"
 * and a real newline differ, a quote and a backslash are escaped, and a
 * character outside ASCII is \uHHHH; "hex" keeps the raw bytes. */
static void test_utf16_escaping(void)
{
	struct buf b = { .n = 0 }, d;
	fwt_eventlog *log = NULL;
	json_t *j = NULL;
	char *desc = NULL;
	static const unsigned char guid[16] = { 0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
		                                0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c };

	header(&b);
	/* 1: a\<LF>b"c as UTF-16 */
	d.n = 0;
	put_u16s(&d, "a\nb\"c\\", 1);
	event(&b, 8, FWT_EV_IPL, d.b, d.n);
	/* 2: the literal text a\x0ab */
	d.n = 0;
	put_u16s(&d, "a\\x0ab", 1);
	event(&b, 8, FWT_EV_IPL, d.b, d.n);
	/* 3: an EFI variable named S<U+0435>cureBoot (a Cyrillic e) */
	d.n = 0;
	put(&d, guid, 16);
	put64(&d, 10);
	put64(&d, 1);
	put_u16s(&d, "S", 0);
	put16(&d, 0x0435);
	put_u16s(&d, "cureBoot", 0);
	d.b[d.n++] = 1;
	event(&b, 7, FWT_EV_EFI_VARIABLE_DRIVER_CONFIG, d.b, d.n);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_STR(data_str(&j, log, 1, "text"), "a\\x0ab\\x22c\\\\");
	T_EQ_STR(data_str(&j, log, 1, "hex"), "61000a00620022006300" "5c000000");
	T_EQ_STR(data_str(&j, log, 2, "text"), "a\\\\x0ab");
	T_EQ_INT(fwt_eventlog_event_describe(log, 1, &desc), FWT_OK);
	T_EQ_STR(desc, "[unverified] \"a\\x0ab\\x22c\\\\\"");
	free(desc);
	T_EQ_INT(fwt_eventlog_event_describe(log, 2, &desc), FWT_OK);
	T_EQ_STR(desc, "[unverified] \"a\\\\x0ab\"");
	free(desc);
	T_EQ_STR(data_str(&j, log, 3, "name"), "S\\u0435cureBoot");
	T_ASSERT(!json_object_get(json_object_get(j, "data"), "value"));
	json_decref(j);
	fwt_eventlog_free(log);
}

/* Random bytes are not UTF-16 text: a 16-byte S-CRTM version that is not
 * text is a GUID; a UCS-2 version string stays text. */
static void test_crtm_version_guid(void)
{
	struct buf b = { .n = 0 }, d;
	fwt_eventlog *log = NULL;
	json_t *j = NULL;
	char *desc = NULL;
	/* event-uefi-sha1-log.bin's event 0, which read as CJK text */
	static const unsigned char g[16] = { 0x1e, 0xfb, 0x6b, 0x54, 0x0c, 0x1d, 0x55, 0x40,
		                             0xa4, 0xad, 0x4e, 0xf4, 0xbf, 0x17, 0xb8, 0x3a };

	header(&b);
	event(&b, 0, FWT_EV_S_CRTM_VERSION, g, 16);
	d.n = 0;
	put_u16s(&d, "1.00", 1);
	event(&b, 0, FWT_EV_S_CRTM_VERSION, d.b, d.n);
	/* 16 bytes of an IPL event: not text either, so raw */
	event(&b, 8, FWT_EV_IPL, g, 16);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_STR(data_str(&j, log, 1, "kind"), "guid");
	T_EQ_STR(data_str(&j, log, 1, "guid"), "546bfb1e-1d0c-4055-a4ad-4ef4bf17b83a");
	T_EQ_STR(data_str(&j, log, 1, "hex"), "1efb6b540c1d5540a4ad4ef4bf17b83a");
	T_EQ_INT(fwt_eventlog_event_describe(log, 1, &desc), FWT_OK);
	T_EQ_STR(desc, "GUID {546bfb1e-1d0c-4055-a4ad-4ef4bf17b83a}");
	free(desc);
	T_EQ_STR(data_str(&j, log, 2, "text"), "1.00");
	T_EQ_STR(data_str(&j, log, 2, "encoding"), "utf-16le");
	T_EQ_STR(data_str(&j, log, 2, "hex"), "31002e00300030000000");
	T_EQ_STR(data_str(&j, log, 3, "kind"), "raw");
	json_decref(j);
	fwt_eventlog_free(log);
}

/* A NUL inside a variable name with an explicit length does not cut it;
 * a malformed device path is said to be malformed. */
static void test_name_nul_bad_device_path(void)
{
	struct buf b = { .n = 0 }, d;
	fwt_eventlog *log = NULL;
	json_t *j = NULL;
	char *desc = NULL;
	static const unsigned char guid[16] = { 0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
		                                0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c };
	static const unsigned char node[6] = { 4, 4, 2, 0, 0, 0 }; /* length 2 < 4 */

	header(&b);
	d.n = 0;
	put(&d, guid, 16);
	put64(&d, 15);
	put64(&d, 1);
	put_u16s(&d, "SecureBoot", 1);
	put_u16s(&d, "Evil", 0);
	d.b[d.n++] = 1;
	event(&b, 7, FWT_EV_EFI_VARIABLE_DRIVER_CONFIG, d.b, d.n);
	d.n = 0;
	put64(&d, 0x1000);
	put64(&d, 4096);
	put64(&d, 0);
	put64(&d, sizeof(node));
	put(&d, node, sizeof(node));
	event(&b, 4, FWT_EV_EFI_BOOT_SERVICES_APPLICATION, d.b, d.n);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_STR(data_str(&j, log, 1, "name"), "SecureBoot\\x00Evil");
	T_ASSERT(!json_object_get(json_object_get(j, "data"), "value"));
	T_EQ_INT(fwt_eventlog_event_describe(log, 1, &desc), FWT_OK);
	T_EQ_STR(desc, "SecureBoot\\x00Evil {8be4df61-93ca-11d2-aa0d-00e098032b8c}, 1 bytes");
	free(desc);
	T_EQ_INT(fwt_eventlog_event_describe(log, 2, &desc), FWT_OK);
	T_EQ_STR(desc, "[unverified] image at 0x1000, 4096 bytes, malformed device path of 6 bytes (unparsed)");
	free(desc);
	json_decref(j);
	fwt_eventlog_free(log);
}

/* The markers of fwt_eventlog_event_describe (RELIABILITY E7). */
static void test_describe_markers(void)
{
	struct buf b = { .n = 0 };
	fwt_eventlog *log = NULL;
	char *desc = NULL;
	json_t *j = NULL;
	static const unsigned char sep[4];
	/* UEFI_VARIABLE_DATA: GUID, 4 name chars "Boot", 2 data bytes, "Boot", 01 00 */
	unsigned char var[16 + 16 + 8 + 2] = { 0x61, 0xdf, 0xe4, 0x8b };
	static const char ipl[] = "grub_cmd: linux /vmlinuz root=/dev/EVIL";
	size_t vd;

	var[16] = 4;
	var[24] = 2;
	memcpy(var + 32, "B\0o\0o\0t\0", 8);
	var[40] = 1;
	header(&b);
	event(&b, 7, FWT_EV_SEPARATOR, sep, 4);
	event(&b, 8, FWT_EV_IPL, ipl, sizeof(ipl));
	/* an EV_EFI_VARIABLE_BOOT whose digests are of VariableData only */
	event(&b, 1, FWT_EV_EFI_VARIABLE_BOOT, var + 40, 2);
	vd = b.n - 6; /* EventSize, then the 2 bytes */
	b.n = vd;
	put32(&b, sizeof(var));
	put(&b, var, sizeof(var));
	/* the same with 4 bytes after the value, which no digest covers */
	event(&b, 1, FWT_EV_EFI_VARIABLE_BOOT, var + 40, 2);
	b.n -= 6;
	put32(&b, sizeof(var) + 4);
	put(&b, var, sizeof(var));
	put(&b, "EVIL", 4);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_INT(ev_at(log, 4).check, FWT_EVENT_CHECK_PARTIAL);
	T_EQ_INT(fwt_eventlog_event_describe(log, 4, &desc), FWT_OK);
	T_ASSERT(strncmp(desc, "[name and bytes after the value unverified] Boot {8be4df61-", 59) == 0);
	free(desc);
	T_EQ_INT(ev_at(log, 1).check, FWT_EVENT_CHECK_OK);
	T_EQ_INT(ev_at(log, 2).check, FWT_EVENT_CHECK_NA);
	T_EQ_INT(ev_at(log, 3).check, FWT_EVENT_CHECK_PARTIAL);
	T_EQ_INT(fwt_eventlog_mismatch_count(log), 0);
	T_EQ_INT(fwt_eventlog_event_describe(log, 1, &desc), FWT_OK);
	T_EQ_STR(desc, "separator 0x00000000");
	free(desc);
	T_EQ_INT(fwt_eventlog_event_describe(log, 2, &desc), FWT_OK);
	T_EQ_STR(desc, "[unverified] \"grub_cmd: linux /vmlinuz root=/dev/EVIL\"");
	free(desc);
	T_EQ_INT(fwt_eventlog_event_describe(log, 3, &desc), FWT_OK);
	T_ASSERT(strncmp(desc, "[name unverified] Boot {8be4df61-", 33) == 0);
	free(desc);
	T_EQ_INT(fwt_eventlog_event_describe(log, 0, &desc), FWT_OK);
	T_ASSERT(strncmp(desc, "[unverified] Spec ID Event03", 28) == 0);
	free(desc);
	T_EQ_INT(fwt_eventlog_event_to_json(log, 3, &j), FWT_OK);
	T_EQ_STR(json_string_value(json_object_get(j, "digest_check")), "variable_data_only");
	json_decref(j);
	fwt_eventlog_free(log);
}

/* A literal backslash in logged text is doubled, so that it cannot pass
 * for one of the \xHH escapes fwtrail writes for other bytes. */
static void test_describe_backslash(void)
{
	struct buf b = { .n = 0 };
	fwt_eventlog *log = NULL;
	char *desc = NULL;
	static const char ipl[] = "grub_cmd: echo \\x41 \"quoted\"";

	header(&b);
	event(&b, 8, FWT_EV_IPL, ipl, sizeof(ipl));
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_INT(fwt_eventlog_event_describe(log, 1, &desc), FWT_OK);
	T_EQ_STR(desc, "[unverified] \"grub_cmd: echo \\\\x41 \\x22quoted\\x22\"");
	free(desc);
	fwt_eventlog_free(log);
}

/* Spec ID event errors name the event and its offset (and the field's). */
static void test_spec_id_where(void)
{
	struct buf b = { .n = 0 }, c;
	fwt_eventlog *log = NULL;

	header(&b);
	c = b;
	c.b[32 + 32] = 0x04, c.b[32 + 34] = 20; /* sha256 -> sha1 again */
	T_EQ_INT(parse(&c, &log), FWT_EFORMAT);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "event 0 at offset 0: Spec ID event: algorithm 0x0004 listed twice (at byte 64)");
	c = b;
	c.b[c.n - 1] = 4; /* vendorInfoSize 4, nothing after it */
	T_EQ_INT(parse(&c, &log), FWT_EFORMAT);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "event 0 at offset 0: Spec ID event: vendorInfoSize 4 exceeds the 0 bytes left in "
	                              "the event");
}

static void test_missing_bank(void)
{
	struct buf b = { .n = 0 };
	fwt_eventlog *log = NULL;
	fwt_pcrs *p = NULL;
	unsigned char d1[20] = { 1 };
	size_t ev = 0;

	header(&b);
	event(&b, 1, FWT_EV_EFI_ACTION, "a", 1);
	/* an event with only its sha1 digest */
	put32(&b, 2);
	put32(&b, FWT_EV_EFI_ACTION);
	put32(&b, 1);
	put16(&b, 0x0004);
	put(&b, d1, 20);
	put32(&b, 1);
	put(&b, "b", 1);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_INT(fwt_eventlog_bank_missing(log, FWT_DIGEST_SHA256, &ev), 1);
	T_EQ_INT(ev, 2);
	T_EQ_INT(fwt_eventlog_bank_check(ctx, log, FWT_DIGEST_SHA256), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "event 2 has no sha256 digest") != NULL);
	T_EQ_INT(fwt_eventlog_bank_check(ctx, log, FWT_DIGEST_SHA384), FWT_EVERIFY);
	T_EQ_INT(fwt_eventlog_bank_check(ctx, log, FWT_DIGEST_SHA1), FWT_OK);
	T_EQ_INT(fwt_eventlog_replay_check(ctx, log), FWT_OK);
	T_EQ_INT(fwt_eventlog_replay(ctx, log, &p), FWT_OK);
	T_EQ_INT(fwt_pcrs_banks(p), FWT_DIGEST_SHA1);
	fwt_pcrs_free(p);
	fwt_eventlog_free(log);
}

/* A log no bank of which can be replayed is malformed, not an empty yes. */
static void test_no_bank_replayable(void)
{
	struct buf b = { .n = 0 };
	fwt_eventlog *log = NULL;

	header(&b);
	/* the only extending event, without any digest */
	put32(&b, 0);
	put32(&b, FWT_EV_EFI_ACTION);
	put32(&b, 0);
	put32(&b, 1);
	put(&b, "b", 1);
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_INT(fwt_eventlog_replay_check(ctx, log), FWT_EFORMAT);
	T_EQ_STR(fwt_ctx_errmsg(ctx), "no bank can be replayed: event 1 at offset 69 has no sha1 digest, "
	                              "event 1 at offset 69 has no sha256 digest");
	fwt_eventlog_free(log);
	/* only an algorithm fwtrail cannot hash (SM3) */
	b.n = 0;
	header(&b);
	b.b[32 + 28] = 0x12, b.b[32 + 30] = 32; /* sha1 -> sm3_256 */
	b.b[32 + 32] = 0x13, b.b[32 + 34] = 20; /* sha256 -> an unknown algorithm */
	T_EQ_INT(parse(&b, &log), FWT_OK);
	T_EQ_INT(fwt_eventlog_replay_check(ctx, log), FWT_EUNSUPPORTED);
	fwt_eventlog_free(log);
}

/* Every prefix of a log parses or is FWT_EFORMAT; prefixes that end on an
 * event boundary parse to exactly the events before it. */
static void truncate_all(const unsigned char *full, size_t len, const char *name)
{
	fwt_eventlog *whole = NULL, *log = NULL;
	size_t n, ev = 0, count;
	uint64_t next;

	if (fwt_eventlog_parse(ctx, &whole, full, len, NULL) != FWT_OK)
		whole = NULL;
	count = fwt_eventlog_count(whole);
	next = count > 1 ? ev_at(whole, 1).offset : len;
	for (n = 0; n < len; n++) {
		unsigned char *p = malloc(n ? n : 1);
		fwt_err err;
		memcpy(p, full, n);
		err = fwt_eventlog_parse(ctx, &log, p, n, NULL);
		free(p);
		if (err != FWT_OK && err != FWT_EFORMAT) {
			fprintf(stderr, "  %s: prefix %zu: error %d\n", name, n, err);
			T_ASSERT(0);
		}
		if (whole && n == next && ev + 1 < count) {
			/* a boundary: events 0..ev+1 */
			if (err != FWT_OK || fwt_eventlog_count(log) != ev + 1) {
				fprintf(stderr, "  %s: boundary %zu did not parse\n", name, n);
				T_ASSERT(0);
			}
			ev++;
			next = ev + 1 < count ? ev_at(whole, ev + 1).offset : len;
		} else if (whole && err == FWT_OK) {
			fprintf(stderr, "  %s: prefix %zu parsed but is not a boundary\n", name, n);
			T_ASSERT(0);
		}
		if (err == FWT_EFORMAT && n > 0)
			T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "offset") != NULL || strstr(fwt_ctx_errmsg(ctx), "Spec ID") != NULL);
		fwt_eventlog_free(log);
		log = NULL;
	}
	fwt_eventlog_free(whole);
}

static void test_corpus(void)
{
	const char *c = t_corpora();
	char path[1024];
	json_t *exp, *v;
	const char *key;
	json_error_t je;
	int files = 0;

	if (!c)
		T_SKIP("../shared/corpora not found");
	snprintf(path, sizeof(path), "%s/eventlog/EXPECTED_PCRS.json", c);
	exp = json_load_file(path, 0, &je);
	if (!exp)
		T_SKIP("corpus eventlog/EXPECTED_PCRS.json not found");
	json_object_foreach(exp, key, v) {
		unsigned char *buf;
		size_t len = 0;
		fwt_eventlog *log = NULL;
		fwt_pcrs *p = NULL;
		fwt_err err;
		if (key[0] == '_')
			continue;
		snprintf(path, sizeof(path), "%s/eventlog/%s", c, key);
		buf = t_slurp(path, &len);
		if (!buf)
			continue; /* a corpus subset may be absent */
		files++;
		err = fwt_eventlog_parse(ctx, &log, buf, len, NULL);
		if (json_object_get(v, "parse_error")) {
			T_EQ_INT(err, FWT_EFORMAT);
		} else {
			json_t *banks = json_object_get(v, "pcrs"), *bv;
			const char *bank;
			T_EQ_INT(err, FWT_OK);
			T_EQ_INT(fwt_eventlog_count(log), json_integer_value(json_object_get(v, "events")));
			T_EQ_INT(fwt_eventlog_replay(ctx, log, &p), FWT_OK);
			json_object_foreach(banks, bank, bv) {
				fwt_digest_alg alg;
				const char *pk;
				json_t *pv;
				uint32_t sel = 0;
				T_EQ_INT(fwt_digest_from_name(bank, &alg), FWT_OK);
				json_object_foreach(bv, pk, pv) {
					unsigned pcr = (unsigned)atoi(pk);
					unsigned char want[64];
					T_EQ_INT(fwt_hex_parse_digest(want, fwt_digest_size(alg), json_string_value(pv),
					                              strlen(json_string_value(pv))), FWT_OK);
					if (memcmp(fwt_pcrs_get(p, alg, pcr), want, fwt_digest_size(alg))) {
						fprintf(stderr, "  %s: %s PCR %u differs\n", key, bank, pcr);
						T_ASSERT(0);
					}
					sel |= 1u << pcr;
				}
				T_EQ_INT(fwt_pcrs_selected(p, alg), sel);
			}
			if (json_integer_value(json_object_get(v, "startup_locality")) == 3)
				T_EQ_INT(fwt_eventlog_startup_locality(log), 3);
		}
		fwt_pcrs_free(p);
		fwt_eventlog_free(log);
		truncate_all(buf, len, key);
		free(buf);
	}
	json_decref(exp);
	T_ASSERT(files > 0);
}

static void test_generated(void)
{
	static const char *const files[] = { "agile.bin", "locality3.bin", "legacy-sha1.bin" };
	size_t i, len;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256];
		unsigned char *buf;
		snprintf(path, sizeof(path), "testdata/evidence/eventlog/%s", files[i]);
		buf = t_slurp(path, &len);
		T_ASSERT(buf != NULL);
		truncate_all(buf, len, files[i]);
		free(buf);
	}
}

static void test_pcrs_yaml_json(void)
{
	static const char yaml[] =
		"  sha1:\n    0 : 0x0000000000000000000000000000000000000001\n"
		"    7 : 0xABCDEF0000000000000000000000000000000000\n"
		"  sha256:\n    0 : 0x0000000000000000000000000000000000000000000000000000000000000002\n";
	static const char json[] =
		"{\"banks\": {\"sha256\": {\"0\": \"0000000000000000000000000000000000000000000000000000000000000002\"}},"
		" \"command\": \"eventlog replay\"}";
	fwt_pcrs *p = NULL;

	T_EQ_INT(fwt_pcrs_parse(ctx, &p, yaml, strlen(yaml), "y"), FWT_OK);
	T_EQ_INT(fwt_pcrs_banks(p), FWT_DIGEST_SHA1 | FWT_DIGEST_SHA256);
	T_EQ_INT(fwt_pcrs_selected(p, FWT_DIGEST_SHA1), (1u << 0) | (1u << 7));
	T_EQ_INT(fwt_pcrs_get(p, FWT_DIGEST_SHA1, 7)[0], 0xab);
	fwt_pcrs_free(p);
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, json, strlen(json), "j"), FWT_OK);
	T_EQ_INT(fwt_pcrs_get(p, FWT_DIGEST_SHA256, 0)[31], 2);
	fwt_pcrs_free(p);
	/* strictness */
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "  sha1:\n    0 : 0x00\n", 21, "y"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "line 2") != NULL);
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "    0 : 0x00\n", 13, "y"), FWT_EFORMAT);
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "md5:\n", 5, "y"), FWT_EFORMAT);
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "sha1:\n  24 : 0x00\n", 18, "y"), FWT_EFORMAT);
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "sha1:\n  hello\n", 14, "y"), FWT_EFORMAT);
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "", 0, "y"), FWT_EFORMAT);
	{
		static const char dup[] = "sha1:\n 1 : 0x0000000000000000000000000000000000000001\n"
		                          " 1 : 0x0000000000000000000000000000000000000001\n";
		T_EQ_INT(fwt_pcrs_parse(ctx, &p, dup, strlen(dup), "y"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "given twice") != NULL);
	}
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "{\"banks\": {\"sha256\": {\"07\": \"00\"}}}", 35, "j"), FWT_EFORMAT);
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "{\"banks\": {\"sha256\": {\"7\": 1}}}", 31, "j"), FWT_EFORMAT);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "$.banks.sha256.7") != NULL);
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "{\"banks\": {}, \"banks\": {}}", 26, "j"), FWT_EFORMAT);
	T_EQ_INT(fwt_pcrs_parse(ctx, &p, "{\"pcrs\": {}}", 12, "j"), FWT_EFORMAT);
	{
		/* tpm2_eventlog's output: bank-like lines among the events are
		 * not read, the section ends at the next column-0 line, and
		 * only a document end may follow it */
		static const char tool[] =
			"---\nversion: 2\nevents:\n- EventNum: 0\n  Digests:\n  sha1:\n    9 : 0x00\n"
			"pcrs:\n  sha1:\n    7 : 0xABCDEF0000000000000000000000000000000000\n...\n";
		static const char bad[] = "---\nevents:\n- EventNum: 0\npcrs:\n  sha1:\n    7 : 0xAB\n";
		static const char after[] = "---\nevents:\npcrs:\n  sha1:\n    7 : 0xABCDEF0000000000000000000000000000000000\n"
		                            "other:\n  sha256:\n    0 : 0x00\n";
		static const char before[] = "sha256:\n  0 : 0x00\n---\nevents:\npcrs:\n  sha1:\n"
		                             "    7 : 0xABCDEF0000000000000000000000000000000000\n";
		T_EQ_INT(fwt_pcrs_parse(ctx, &p, tool, strlen(tool), "t"), FWT_OK);
		T_EQ_INT(fwt_pcrs_banks(p), FWT_DIGEST_SHA1);
		T_EQ_INT(fwt_pcrs_selected(p, FWT_DIGEST_SHA1), 1u << 7);
		fwt_pcrs_free(p);
		T_EQ_INT(fwt_pcrs_parse(ctx, &p, bad, strlen(bad), "t"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "line 6") != NULL);
		T_EQ_INT(fwt_pcrs_parse(ctx, &p, after, strlen(after), "t"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "line 6: after tpm2_eventlog's 'pcrs:' section") != NULL);
		T_EQ_INT(fwt_pcrs_parse(ctx, &p, before, strlen(before), "t"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "line 1: not tpm2_eventlog output before") != NULL);
		/* without a "pcrs:" line the whole text is read */
		T_EQ_INT(fwt_pcrs_parse(ctx, &p, "---\nversion: 2\n", 15, "t"), FWT_EFORMAT);
		T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "line 1") != NULL);
	}
}

static void test_compare(void)
{
	fwt_pcrs *got = NULL, *want = NULL;
	fwt_pcr_mismatch *m = NULL;
	unsigned char a[32] = { 1 }, b[32] = { 2 };
	size_t n = 0;
	unsigned banks = 0;

	T_EQ_INT(fwt_pcrs_new(ctx, &got), FWT_OK);
	T_EQ_INT(fwt_pcrs_new(ctx, &want), FWT_OK);
	T_EQ_INT(fwt_pcrs_set(got, FWT_DIGEST_SHA256, 0, a, 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_set(got, FWT_DIGEST_SHA256, 7, a, 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, 0, a, 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, 7, a, 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare(ctx, got, want, 0, 0, &m, &n, &banks), FWT_OK);
	T_EQ_INT(banks, FWT_DIGEST_SHA256);
	/* a PCR the reference gives and the log never extends (IMA's, or one a
	 * stripped log leaves out) is compared at its reset value: a no ... */
	T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, 10, b, 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare(ctx, got, want, 0, 0, &m, &n, &banks), FWT_EVERIFY);
	T_EQ_INT(n, 1);
	T_EQ_INT(m[0].pcr, 10);
	T_EQ_INT(m[0].missing, 0);
	T_EQ_INT(fwt_pcrs_selected(got, FWT_DIGEST_SHA256) & (1u << 10), 0);
	T_EQ_MEM(m[0].want, b, 32);
	free(m);
	/* ... unless the mask leaves it out */
	T_EQ_INT(fwt_pcrs_compare(ctx, got, want, 0, 0x81, &m, &n, &banks), FWT_OK);
	/* and one at its reset value matches */
	{
		unsigned char z[32] = { 0 };
		T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, 10, z, 32), FWT_OK);
		T_EQ_INT(fwt_pcrs_compare(ctx, got, want, 0, 0, &m, &n, &banks), FWT_OK);
	}
	/* a difference */
	T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, 7, b, 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare(ctx, got, want, 0, 0, &m, &n, &banks), FWT_EVERIFY);
	T_EQ_INT(n, 1);
	T_EQ_INT(m[0].pcr, 7);
	T_EQ_INT(m[0].missing, 0);
	T_EQ_MEM(m[0].want, b, 32);
	free(m);
	/* an explicit PCR the reference lacks */
	T_EQ_INT(fwt_pcrs_compare(ctx, got, want, 0, 1u << 3, &m, &n, &banks), FWT_EVERIFY);
	T_EQ_INT(n, 1);
	T_EQ_INT(m[0].missing, 1);
	free(m);
	/* no bank in common */
	T_EQ_INT(fwt_pcrs_compare(ctx, got, want, FWT_DIGEST_SHA1, 0, &m, &n, &banks), FWT_EVERIFY);
	fwt_pcrs_free(want);
	T_EQ_INT(fwt_pcrs_new(ctx, &want), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare(ctx, got, want, 0, 0, &m, &n, &banks), FWT_EVERIFY);
	T_EQ_INT(n, 0);
	fwt_pcrs_free(want);
	fwt_pcrs_free(got);
	/* nothing extended, nothing given: nothing to compare is not a yes */
	T_EQ_INT(fwt_pcrs_parse(ctx, &got, "{\"banks\": {\"sha256\": {}}}", 25, "got"), FWT_OK);
	T_EQ_INT(fwt_pcrs_parse(ctx, &want, "{\"banks\": {\"sha256\": {}}}", 25, "want"), FWT_OK);
	T_EQ_INT(fwt_pcrs_banks(got), FWT_DIGEST_SHA256);
	T_EQ_INT(fwt_pcrs_compare(ctx, got, want, 0, 0, &m, &n, &banks), FWT_EVERIFY);
	T_EQ_INT(n, 0);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no PCR to compare") != NULL);
	fwt_pcrs_free(want);
	fwt_pcrs_free(got);
}

/* fwt_pcrs_compare_scope: only the (bank, PCR) pairs of the scope decide. */
static void test_compare_scope(void)
{
	fwt_pcrs *got = NULL, *want = NULL;
	fwt_pcr_mismatch *m = NULL;
	fwt_pcr_scope sc, cmp;
	unsigned char a[48] = { 1 }, b[48] = { 2 }, zero[48] = { 0 };
	size_t n = 0;
	unsigned pcr;

	memset(&sc, 0, sizeof(sc));
	T_EQ_INT(fwt_pcr_scope_add(&sc, FWT_DIGEST_SHA256, 0x81), FWT_OK);
	T_EQ_INT(fwt_pcr_scope_add(&sc, FWT_DIGEST_SHA256 | FWT_DIGEST_SHA1, 1), FWT_EINVAL);
	T_EQ_INT(fwt_pcr_scope_add(&sc, 0, 1), FWT_EINVAL);
	T_EQ_INT(fwt_pcr_scope_get(&sc, FWT_DIGEST_SHA256 | FWT_DIGEST_SHA1), 0);
	T_EQ_INT(fwt_pcr_scope_banks(&sc), FWT_DIGEST_SHA256);
	T_EQ_INT(fwt_pcr_scope_banks(NULL), 0);

	T_EQ_INT(fwt_pcrs_new(ctx, &got), FWT_OK);
	T_EQ_INT(fwt_pcrs_new(ctx, &want), FWT_OK);
	for (pcr = 0; pcr < 8; pcr++) {
		T_EQ_INT(fwt_pcrs_set(got, FWT_DIGEST_SHA256, pcr, a, 32), FWT_OK);
		T_EQ_INT(fwt_pcrs_set(got, FWT_DIGEST_SHA1, pcr, a, 20), FWT_OK);
		/* the reference differs everywhere but sha256 PCRs 0 and 7 */
		T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, pcr, pcr == 0 || pcr == 7 ? a : b, 32), FWT_OK);
		T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA1, pcr, b, 20), FWT_OK);
	}
	/* the log alone: 14 differences; within the scope: a match */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, NULL, 0, 0, &m, &n, &cmp), FWT_EVERIFY);
	T_EQ_INT(n, 14);
	T_EQ_INT(fwt_pcr_scope_banks(&cmp), FWT_DIGEST_SHA1 | FWT_DIGEST_SHA256);
	free(m);
	/* a reference PCR of a signed bank outside the scope: the log alone
	 * does not vouch for it, nothing is compared */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0, &m, &n, &cmp), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "sha256 PCR 1, which the reference values give, is not in the quote's "
	                                     "signed selection") != NULL);
	T_EQ_INT(n, 0);
	T_ASSERT(m == NULL);
	/* a reference of the signed PCRs (and an unsigned bank, left aside) */
	fwt_pcrs_free(want);
	want = NULL;
	T_EQ_INT(fwt_pcrs_new(ctx, &want), FWT_OK);
	for (pcr = 0; pcr < 8; pcr++) {
		if (pcr == 0 || pcr == 7)
			T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, pcr, a, 32), FWT_OK);
		T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA1, pcr, b, 20), FWT_OK);
	}
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0, &m, &n, &cmp), FWT_OK);
	T_EQ_INT(n, 0);
	T_EQ_INT(fwt_pcr_scope_banks(&cmp), FWT_DIGEST_SHA256);
	T_EQ_INT(fwt_pcr_scope_get(&cmp, FWT_DIGEST_SHA256), 0x81);
	/* compared is optional */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0, &m, &n, NULL), FWT_OK);
	/* narrowing: still inside; outside is refused, nothing compared */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0x80, &m, &n, &cmp), FWT_OK);
	T_EQ_INT(fwt_pcr_scope_get(&cmp, FWT_DIGEST_SHA256), 0x80);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0x82, &m, &n, &cmp), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "sha256 PCR 1 is not in the quote's signed selection") != NULL);
	T_EQ_INT(n, 0);
	T_ASSERT(m == NULL);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, FWT_DIGEST_SHA1 | FWT_DIGEST_SHA256, 0, &m, &n, &cmp),
	         FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "does not sign any PCR of the sha1 bank") != NULL);
	/* a signed PCR got holds no value for is compared with what got holds
	 * (for a replay: its reset value); the reference must give it */
	T_EQ_INT(fwt_pcr_scope_add(&sc, FWT_DIGEST_SHA256, 1u << 10), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0, &m, &n, &cmp), FWT_EVERIFY);
	T_EQ_INT(n, 1);
	T_ASSERT(m[0].missing);
	T_EQ_INT(m[0].pcr, 10);
	free(m);
	T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, 10, zero, 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0, &m, &n, &cmp), FWT_OK);
	T_EQ_INT(fwt_pcr_scope_get(&cmp, FWT_DIGEST_SHA256), 0x481);
	T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA256, 10, b, 32), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0, &m, &n, &cmp), FWT_EVERIFY);
	T_EQ_INT(n, 1);
	T_EQ_INT(m[0].missing, 0);
	free(m);
	/* a signed bank the replay lacks (a log that cannot replay it) */
	memset(&sc, 0, sizeof(sc));
	T_EQ_INT(fwt_pcr_scope_add(&sc, FWT_DIGEST_SHA384, 1), FWT_OK);
	T_EQ_INT(fwt_pcrs_set(want, FWT_DIGEST_SHA384, 0, a, 48), FWT_OK);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0, &m, &n, &cmp), FWT_EVERIFY);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no replayable sha384 bank") != NULL);
	/* a PCR above 23 cannot be compared */
	T_EQ_INT(fwt_pcr_scope_add(&sc, FWT_DIGEST_SHA256, (1u << 24) | 0x481), FWT_OK); /* and the reference's */
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, FWT_DIGEST_SHA256, 0, &m, &n, &cmp), FWT_EUNSUPPORTED);
	/* an empty scope decides nothing */
	memset(&sc, 0, sizeof(sc));
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, got, want, &sc, 0, 0, &m, &n, &cmp), FWT_EVERIFY);
	T_EQ_INT(fwt_pcrs_compare_scope(ctx, NULL, want, &sc, 0, 0, &m, &n, &cmp), FWT_EINVAL);
	fwt_pcrs_free(want);
	fwt_pcrs_free(got);
}

/* A log read from a descriptor: a regular file or a pipe, named in the
 * messages as given; the descriptor stays open. */
static void test_load_fd(void)
{
	static const char path[] = "testdata/evidence/eventlog/agile.bin";
	fwt_eventlog *a = NULL, *b = NULL;
	unsigned char cut[100];
	int fd, pfd[2];
	FILE *f;

	T_EQ_INT(fwt_eventlog_load(ctx, &a, path, NULL), FWT_OK);
	fd = open(path, O_RDONLY);
	T_ASSERT(fd >= 0);
	T_EQ_INT(fwt_eventlog_load_fd(ctx, &b, fd, "-", NULL), FWT_OK);
	T_EQ_INT(fwt_eventlog_count(b), fwt_eventlog_count(a));
	T_ASSERT(fcntl(fd, F_GETFD) != -1);
	close(fd);
	fwt_eventlog_free(a);
	fwt_eventlog_free(b);
	/* the first 100 bytes, through a pipe: cut, and named */
	f = fopen(path, "rb");
	T_ASSERT(f && fread(cut, 1, sizeof(cut), f) == sizeof(cut));
	fclose(f);
	T_ASSERT(pipe(pfd) == 0);
	T_ASSERT(write(pfd[1], cut, sizeof(cut)) == (ssize_t)sizeof(cut));
	close(pfd[1]);
	b = (fwt_eventlog *)1;
	T_EQ_INT(fwt_eventlog_load_fd(ctx, &b, pfd[0], "-", NULL), FWT_EFORMAT);
	T_ASSERT(b == NULL);
	T_ASSERT(!strncmp(fwt_ctx_errmsg(ctx), "'-': ", 5));
	close(pfd[0]);
	T_EQ_INT(fwt_eventlog_load_fd(ctx, &b, -1, "-", NULL), FWT_EINVAL);
	T_EQ_INT(fwt_eventlog_load_fd(ctx, &b, 0, NULL, NULL), FWT_EINVAL);
}

static void test_pcr_list(void)
{
	uint32_t m = 0;

	T_EQ_INT(fwt_pcr_list_parse("0-7,14", &m), FWT_OK);
	T_EQ_INT(m, 0x40ff);
	T_EQ_INT(fwt_pcr_list_parse("all", &m), FWT_OK);
	T_EQ_INT(m, 0xffffff);
	T_EQ_INT(fwt_pcr_list_parse("23", &m), FWT_OK);
	T_EQ_INT(fwt_pcr_list_parse("24", &m), FWT_EINVAL);
	T_EQ_INT(fwt_pcr_list_parse("7-3", &m), FWT_EINVAL);
	T_EQ_INT(fwt_pcr_list_parse("1,,2", &m), FWT_EINVAL);
	T_EQ_INT(fwt_pcr_list_parse("", &m), FWT_EINVAL);
	T_EQ_INT(fwt_pcr_list_parse("01", &m), FWT_EINVAL);
	T_EQ_INT(fwt_pcr_list_parse("1-", &m), FWT_EINVAL);
}

static void test_sysfs(void)
{
	char root[] = "/tmp/fwt-sysfs-XXXXXX", path[256];
	fwt_pcrs *p = NULL;
	fwt_eventlog *log = NULL;
	FILE *f;

	T_ASSERT(mkdtemp(root) != NULL);
	/* no TPM at all */
	T_EQ_INT(fwt_eventlog_load_local(ctx, &log, root, NULL), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "no TPM event log") != NULL);
	T_EQ_INT(fwt_pcrs_read_sysfs(ctx, &p, root, FWT_DIGEST_SHA256, 1), FWT_EIO);
	snprintf(path, sizeof(path), "mkdir -p %s/sys/class/tpm/tpm0/pcr-sha256", root);
	T_EQ_INT(system(path), 0);
	snprintf(path, sizeof(path), "%s/sys/class/tpm/tpm0/pcr-sha256/0", root);
	f = fopen(path, "w");
	fputs("00000000000000000000000000000000000000000000000000000000000000AB\n", f);
	fclose(f);
	T_EQ_INT(fwt_pcrs_read_sysfs(ctx, &p, root, FWT_DIGEST_SHA256 | FWT_DIGEST_SHA1, 1), FWT_OK);
	T_EQ_INT(fwt_pcrs_banks(p), FWT_DIGEST_SHA256);
	T_EQ_INT(fwt_pcrs_get(p, FWT_DIGEST_SHA256, 0)[31], 0xab);
	fwt_pcrs_free(p);
	/* a PCR file that is missing, or not a digest */
	T_EQ_INT(fwt_pcrs_read_sysfs(ctx, &p, root, FWT_DIGEST_SHA256, 3), FWT_EIO);
	f = fopen(path, "w");
	fputs("zz\n", f);
	fclose(f);
	T_EQ_INT(fwt_pcrs_read_sysfs(ctx, &p, root, FWT_DIGEST_SHA256, 1), FWT_EFORMAT);
	/* a FIFO where sysfs has a file is refused at once, never waited on;
	 * so is a FIFO or a folder as the log */
	T_EQ_INT(unlink(path), 0);
	T_EQ_INT(mkfifo(path, 0600), 0);
	T_EQ_INT(fwt_pcrs_read_sysfs(ctx, &p, root, FWT_DIGEST_SHA256, 1), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "is not a regular file") != NULL);
	snprintf(path, sizeof(path), "mkdir -p %s/sys/kernel/security/tpm0/binary_bios_measurements", root);
	T_EQ_INT(system(path), 0);
	T_EQ_INT(fwt_eventlog_load_local(ctx, &log, root, NULL), FWT_EIO);
	T_ASSERT(strstr(fwt_ctx_errmsg(ctx), "binary_bios_measurements' is not a regular file") != NULL);
	snprintf(path, sizeof(path), "%s/sys/kernel/security/tpm0/binary_bios_measurements", root);
	T_EQ_INT(rmdir(path), 0);
	T_EQ_INT(mkfifo(path, 0600), 0);
	T_EQ_INT(fwt_eventlog_load_local(ctx, &log, root, NULL), FWT_EIO);
	snprintf(path, sizeof(path), "rm -rf %s", root);
	T_EQ_INT(system(path), 0);
}

int main(void)
{
	if (fwt_ctx_new(&ctx, NULL) != FWT_OK)
		return 1;
	T_RUN(test_minimal);
	T_RUN(test_startup_locality);
	T_RUN(test_hostile_fields);
	T_RUN(test_data_checks);
	T_RUN(test_describe_markers);
	T_RUN(test_describe_backslash);
	T_RUN(test_decode_like_tpm2);
	T_RUN(test_missing_bank);
	T_RUN(test_no_bank_replayable);
	T_RUN(test_utf16_escaping);
	T_RUN(test_crtm_version_guid);
	T_RUN(test_name_nul_bad_device_path);
	T_RUN(test_spec_id_where);
	T_RUN(test_pcrs_yaml_json);
	T_RUN(test_compare);
	T_RUN(test_compare_scope);
	T_RUN(test_load_fd);
	T_RUN(test_pcr_list);
	T_RUN(test_sysfs);
	T_RUN(test_generated);
	T_RUN(test_corpus);
	fwt_ctx_free(ctx);
	return t_done();
}
