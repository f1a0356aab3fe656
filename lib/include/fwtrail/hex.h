/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/hex.h - strict hex, base64 and base64url codecs. */
#ifndef FWTRAIL_HEX_H
#define FWTRAIL_HEX_H

#include <stddef.h>
#include <fwtrail/err.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Lowercase hex of in[0..len) into out, which must hold 2*len+1 bytes.
 * Returns 2*len. */
size_t fwt_hex_encode(char *out, const void *in, size_t len);
/* Strict decode: an even number of hex digits (either case), nothing else.
 * FWT_EFORMAT on a bad digit or odd length, FWT_EINVAL when outcap is too
 * small. */
fwt_err fwt_hex_decode(unsigned char *out, size_t outcap, const char *in, size_t inlen,
                       size_t *outlen);
/* Parse a digest written as hex, with an optional "0x"/"0X" prefix and
 * either case (the spellings found in published SFRs), into exactly want
 * bytes.  FWT_EFORMAT otherwise. */
fwt_err fwt_hex_parse_digest(unsigned char *out, size_t want, const char *in, size_t inlen);

/* Size of the base64url encoding (no padding) of len bytes, without NUL. */
size_t fwt_b64url_encoded_len(size_t len);
/* base64url without padding (RFC 7515 section 2).  out must hold
 * fwt_b64url_encoded_len(len)+1 bytes.  Returns the length written. */
size_t fwt_b64url_encode(char *out, const void *in, size_t len);
/* Strict base64url decode: alphabet A-Z a-z 0-9 - _, no padding, no
 * whitespace, length % 4 != 1, unused trailing bits zero.  out must hold
 * (inlen*3)/4 bytes.  FWT_EFORMAT on any violation. */
fwt_err fwt_b64url_decode(unsigned char *out, size_t outcap, const char *in, size_t inlen,
                          size_t *outlen);

/* Standard base64 with padding (RFC 4648 section 4). */
size_t fwt_b64_encoded_len(size_t len);
size_t fwt_b64_encode(char *out, const void *in, size_t len);
/* Strict: padded to a multiple of 4, canonical trailing bits, no whitespace. */
fwt_err fwt_b64_decode(unsigned char *out, size_t outcap, const char *in, size_t inlen,
                       size_t *outlen);

/* The length (2 to 4) of the well-formed multi-byte UTF-8 sequence that
 * starts p (n bytes available), its code point in *cp; 0 when there is
 * none: ASCII, a stray continuation byte, an overlong form, a surrogate,
 * beyond U+10FFFF, or cut short.  For printing untrusted text safely. */
size_t fwt_utf8_seq(const unsigned char *p, size_t n, unsigned *cp);

#ifdef __cplusplus
}
#endif
#endif
