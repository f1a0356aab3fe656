/* SPDX-License-Identifier: Apache-2.0 */
/* hex.c - strict hex, base64 and base64url codecs. */
#include <string.h>
#include <fwtrail/hex.h>
#include "internal.h"
#include "banned.h"

static const char hex_digits[] = "0123456789abcdef";
static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t fwt_hex_encode(char *out, const void *in, size_t len)
{
	const unsigned char *p = in;
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex_digits[p[i] >> 4];
		out[2 * i + 1] = hex_digits[p[i] & 15];
	}
	out[2 * len] = '\0';
	return 2 * len;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

fwt_err fwt_hex_decode(unsigned char *out, size_t outcap, const char *in, size_t inlen,
                       size_t *outlen)
{
	size_t i;

	if (inlen % 2)
		return FWT_EFORMAT;
	if (inlen / 2 > outcap)
		return FWT_EINVAL;
	for (i = 0; i < inlen; i += 2) {
		int hi = hexval((unsigned char)in[i]), lo = hexval((unsigned char)in[i + 1]);
		if (hi < 0 || lo < 0)
			return FWT_EFORMAT;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	if (outlen)
		*outlen = inlen / 2;
	return FWT_OK;
}

fwt_err fwt_hex_parse_digest(unsigned char *out, size_t want, const char *in, size_t inlen)
{
	size_t got;

	if (inlen >= 2 && in[0] == '0' && (in[1] == 'x' || in[1] == 'X')) {
		in += 2;
		inlen -= 2;
	}
	if (inlen != 2 * want)
		return FWT_EFORMAT;
	if (fwt_hex_decode(out, want, in, inlen, &got) != FWT_OK || got != want)
		return FWT_EFORMAT;
	return FWT_OK;
}

/* ---- base64 (shared core) ---- */

static size_t b64_encode(char *out, const void *in, size_t len, const char *alpha, int pad)
{
	const unsigned char *p = in;
	size_t i, o = 0;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		out[o++] = alpha[v & 63];
	}
	if (len - i == 1) {
		unsigned v = (unsigned)p[i] << 16;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		if (pad) {
			out[o++] = '=';
			out[o++] = '=';
		}
	} else if (len - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		out[o++] = alpha[v >> 18 & 63];
		out[o++] = alpha[v >> 12 & 63];
		out[o++] = alpha[v >> 6 & 63];
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

static int b64val(unsigned char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

/* Decode unpadded groups; the tail (len % 4 of 2 or 3) must have zero unused
 * bits.  len % 4 == 1 is never valid. */
static fwt_err b64_decode_core(unsigned char *out, size_t outcap, const char *in, size_t len,
                               int url, size_t *outlen)
{
	size_t i, o = 0, need, rem = len % 4;
	unsigned v;
	int k, d;

	if (rem == 1)
		return FWT_EFORMAT;
	need = len / 4 * 3 + (rem ? rem - 1 : 0);
	if (need > outcap)
		return FWT_EINVAL;
	for (i = 0; i + 4 <= len; i += 4) {
		v = 0;
		for (k = 0; k < 4; k++) {
			d = b64val((unsigned char)in[i + k], url);
			if (d < 0)
				return FWT_EFORMAT;
			v = v << 6 | (unsigned)d;
		}
		out[o++] = (unsigned char)(v >> 16);
		out[o++] = (unsigned char)(v >> 8);
		out[o++] = (unsigned char)v;
	}
	if (rem) {
		v = 0;
		for (k = 0; k < (int)rem; k++) {
			d = b64val((unsigned char)in[i + (size_t)k], url);
			if (d < 0)
				return FWT_EFORMAT;
			v = v << 6 | (unsigned)d;
		}
		if (rem == 2) {
			if (v & 0xf)
				return FWT_EFORMAT;
			out[o++] = (unsigned char)(v >> 4);
		} else {
			if (v & 0x3)
				return FWT_EFORMAT;
			out[o++] = (unsigned char)(v >> 10);
			out[o++] = (unsigned char)(v >> 2);
		}
	}
	if (outlen)
		*outlen = o;
	return FWT_OK;
}

size_t fwt_b64url_encoded_len(size_t len)
{
	return len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0);
}

size_t fwt_b64url_encode(char *out, const void *in, size_t len)
{
	return b64_encode(out, in, len, b64_url, 0);
}

fwt_err fwt_b64url_decode(unsigned char *out, size_t outcap, const char *in, size_t inlen,
                          size_t *outlen)
{
	return b64_decode_core(out, outcap, in, inlen, 1, outlen);
}

size_t fwt_b64_encoded_len(size_t len)
{
	return (len + 2) / 3 * 4;
}

size_t fwt_b64_encode(char *out, const void *in, size_t len)
{
	return b64_encode(out, in, len, b64_std, 1);
}

fwt_err fwt_b64_decode(unsigned char *out, size_t outcap, const char *in, size_t inlen,
                       size_t *outlen)
{
	size_t pad = 0;

	if (inlen % 4)
		return FWT_EFORMAT;
	if (inlen && in[inlen - 1] == '=')
		pad++;
	if (inlen > 1 && in[inlen - 2] == '=')
		pad++;
	if (pad && memchr(in, '=', inlen - pad))
		return FWT_EFORMAT;
	return b64_decode_core(out, outcap, in, inlen - pad, 0, outlen);
}

size_t fwt_utf8_seq(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned char c = n ? p[0] : 0;
	size_t need = c >= 0xf0 && c < 0xf5 ? 3 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : 0;
	unsigned v;
	size_t k;

	if (!need || need >= n)
		return 0;
	v = c & (need == 1 ? 0x1f : need == 2 ? 0x0f : 0x07);
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[k] & 0x3f);
	}
	if (v < (need == 1 ? 0x80u : need == 2 ? 0x800u : 0x10000u) || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return need + 1;
}

int fwt__has_control(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] == 0x7f || (s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f))
			return 1;
	return 0;
}
