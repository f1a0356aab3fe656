/* SPDX-License-Identifier: Apache-2.0 */
/* hex_test.c - hex, base64 and base64url codecs. */
#include <fwtrail/hex.h>
#include "t.h"

static void test_hex_roundtrip(void)
{
	unsigned char in[4] = { 0x00, 0xab, 0x7f, 0xff }, out[4];
	char s[9];
	size_t n;

	T_EQ_INT(fwt_hex_encode(s, in, 4), 8);
	T_EQ_STR(s, "00ab7fff");
	T_EQ_INT(fwt_hex_decode(out, sizeof(out), "00AB7fff", 8, &n), FWT_OK);
	T_EQ_INT(n, 4);
	T_EQ_MEM(in, out, 4);
}

static void test_hex_strict(void)
{
	unsigned char out[8];
	size_t n;

	T_EQ_INT(fwt_hex_decode(out, sizeof(out), "abc", 3, &n), FWT_EFORMAT);   /* odd */
	T_EQ_INT(fwt_hex_decode(out, sizeof(out), "zz", 2, &n), FWT_EFORMAT);    /* bad digit */
	T_EQ_INT(fwt_hex_decode(out, sizeof(out), "a b0", 4, &n), FWT_EFORMAT);  /* space */
	T_EQ_INT(fwt_hex_decode(out, 1, "abcd", 4, &n), FWT_EINVAL);             /* too small */
}

static void test_hex_digest(void)
{
	unsigned char out[4];

	T_EQ_INT(fwt_hex_parse_digest(out, 4, "0xDEADbeef", 10), FWT_OK);
	T_ASSERT(out[0] == 0xde && out[3] == 0xef);
	T_EQ_INT(fwt_hex_parse_digest(out, 4, "deadbeef", 8), FWT_OK);
	T_EQ_INT(fwt_hex_parse_digest(out, 4, "deadbe", 6), FWT_EFORMAT);       /* short */
	T_EQ_INT(fwt_hex_parse_digest(out, 4, "deadbeef00", 10), FWT_EFORMAT);  /* long */
	T_EQ_INT(fwt_hex_parse_digest(out, 4, "0x", 2), FWT_EFORMAT);
	T_EQ_INT(fwt_hex_parse_digest(out, 4, " deadbee", 8), FWT_EFORMAT);
}

static void test_b64url(void)
{
	/* RFC 4648 section 10 vectors, unpadded url alphabet */
	static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const enc[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
	unsigned char out[16];
	char s[16];
	size_t i, n;

	for (i = 0; i < 7; i++) {
		fwt_b64url_encode(s, plain[i], strlen(plain[i]));
		T_EQ_STR(s, enc[i]);
		T_EQ_INT(fwt_b64url_encoded_len(strlen(plain[i])), strlen(enc[i]));
		T_EQ_INT(fwt_b64url_decode(out, sizeof(out), enc[i], strlen(enc[i]), &n), FWT_OK);
		T_EQ_INT(n, strlen(plain[i]));
		T_EQ_MEM(out, plain[i], n);
	}
	/* url alphabet */
	{
		unsigned char b[3] = { 0xfb, 0xff, 0xbf };
		fwt_b64url_encode(s, b, 3);
		T_EQ_STR(s, "-_-_");
	}
}

static void test_b64url_strict(void)
{
	unsigned char out[16];
	size_t n;

	T_EQ_INT(fwt_b64url_decode(out, sizeof(out), "Zg==", 4, &n), FWT_EFORMAT);  /* padding */
	T_EQ_INT(fwt_b64url_decode(out, sizeof(out), "Zm+v", 4, &n), FWT_EFORMAT);  /* std alphabet */
	T_EQ_INT(fwt_b64url_decode(out, sizeof(out), "Zm/v", 4, &n), FWT_EFORMAT);
	T_EQ_INT(fwt_b64url_decode(out, sizeof(out), "Zm9 v", 5, &n), FWT_EFORMAT); /* space */
	T_EQ_INT(fwt_b64url_decode(out, sizeof(out), "Zm9vY", 5, &n), FWT_EFORMAT); /* len % 4 == 1 */
	T_EQ_INT(fwt_b64url_decode(out, sizeof(out), "Zh", 2, &n), FWT_EFORMAT);    /* unused bits set */
	T_EQ_INT(fwt_b64url_decode(out, sizeof(out), "Zm9", 3, &n), FWT_EFORMAT);   /* unused bits set */
	T_EQ_INT(fwt_b64url_decode(out, 2, "Zm9v", 4, &n), FWT_EINVAL);             /* buffer too small */
}

static void test_b64_std(void)
{
	unsigned char out[16];
	char s[16];
	size_t n;

	fwt_b64_encode(s, "fo", 2);
	T_EQ_STR(s, "Zm8=");
	T_EQ_INT(fwt_b64_decode(out, sizeof(out), "Zm8=", 4, &n), FWT_OK);
	T_EQ_INT(n, 2);
	T_EQ_INT(fwt_b64_decode(out, sizeof(out), "Zg==", 4, &n), FWT_OK);
	T_EQ_INT(n, 1);
	T_EQ_INT(fwt_b64_decode(out, sizeof(out), "Zm8", 3, &n), FWT_EFORMAT);   /* unpadded */
	T_EQ_INT(fwt_b64_decode(out, sizeof(out), "Z=8=", 4, &n), FWT_EFORMAT);  /* inner pad */
	T_EQ_INT(fwt_b64_decode(out, sizeof(out), "Zh==", 4, &n), FWT_EFORMAT);  /* bits */
	T_EQ_INT(fwt_b64_decode(out, sizeof(out), "Zm-_", 4, &n), FWT_EFORMAT);  /* url alphabet */
}

static void test_utf8_seq(void)
{
	static const struct {
		const char *bytes;
		size_t len, want;
		unsigned cp;
	} cases[] = {
		{ "\xc3\xa9", 2, 2, 0xe9 },              /* e acute */
		{ "\xe2\x82\xac", 3, 3, 0x20ac },        /* euro */
		{ "\xf0\x9f\x94\x92", 4, 4, 0x1f512 },  /* lock */
		{ "\xc2\x85", 2, 2, 0x85 },              /* C1 NEL: well-formed (callers refuse it) */
		{ "A", 1, 0, 0 },                       /* ASCII is not a multi-byte sequence */
		{ "\x80", 1, 0, 0 },                    /* stray continuation */
		{ "\xc0\xaf", 2, 0, 0 },                /* overlong '/' */
		{ "\xe0\x80\xaf", 3, 0, 0 },            /* overlong, 3 bytes */
		{ "\xed\xa0\x80", 3, 0, 0 },            /* surrogate D800 */
		{ "\xf4\x90\x80\x80", 4, 0, 0 },        /* beyond U+10FFFF */
		{ "\xf5\x80\x80\x80", 4, 0, 0 },        /* no such lead byte */
		{ "\xe2\x82", 2, 0, 0 },                /* cut short */
		{ "\xe2\x82\xac", 2, 0, 0 },            /* cut by n, not by the bytes */
		{ "\xe2\x28\xac", 3, 0, 0 },            /* a non-continuation inside */
	};
	size_t i;
	unsigned cp;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cp = 0;
		T_EQ_INT(fwt_utf8_seq((const unsigned char *)cases[i].bytes, cases[i].len, &cp), cases[i].want);
		if (cases[i].want)
			T_EQ_INT(cp, cases[i].cp);
	}
	T_EQ_INT(fwt_utf8_seq((const unsigned char *)"", 0, &cp), 0);
}

int main(void)
{
	T_RUN(test_hex_roundtrip);
	T_RUN(test_hex_strict);
	T_RUN(test_hex_digest);
	T_RUN(test_b64url);
	T_RUN(test_b64url_strict);
	T_RUN(test_b64_std);
	T_RUN(test_utf8_seq);
	return t_done();
}
