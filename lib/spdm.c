/* SPDX-License-Identifier: Apache-2.0 */
/* spdm.c - SPDM GET_MEASUREMENTS transcripts (DSP0274 1.0 to 1.3), Redfish
 * ComponentIntegrity measurement sets, and signature verification over the
 * transcript.
 *
 * A transcript is read message by message; the size of each message follows
 * from its code, its version and, for MEASUREMENTS, the request it answers.
 * Every length is compared with what is left before it is used (RELIABILITY
 * S1-S4). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/x509v3.h>
#include <fwtrail/hex.h>
#include <fwtrail/io.h>
#include <fwtrail/spdm.h>
#include "cbor_internal.h"
#include "internal.h"
#include "sig_internal.h"
#include "banned.h"

/* Request and response codes. */
#define GET_VERSION 0x84
#define VERSION 0x04
#define GET_CAPABILITIES 0xe1
#define CAPABILITIES 0x61
#define NEGOTIATE_ALGORITHMS 0xe3
#define ALGORITHMS 0x63
#define GET_MEASUREMENTS 0xe0
#define MEASUREMENTS 0x60

#define ATTR_SIGNATURE 0x01
#define ATTR_NEW_MEASUREMENT 0x04 /* 1.3+: NewMeasurementRequested */
#define CONTENT_CHANGED 1         /* MEASUREMENTS Param2 bits 5:4 (1.2+): changes detected */
#define MAX_OPAQUE 1024

/* BaseAsymAlgo bits. */
#define ASYM_RSASSA_2048 0x001
#define ASYM_RSAPSS_2048 0x002
#define ASYM_RSASSA_3072 0x004
#define ASYM_RSAPSS_3072 0x008
#define ASYM_ECDSA_P256 0x010
#define ASYM_RSASSA_4096 0x020
#define ASYM_RSAPSS_4096 0x040
#define ASYM_ECDSA_P384 0x080
#define ASYM_ECDSA_P521 0x100
#define ASYM_SM2_P256 0x200
#define ASYM_ED25519 0x400
#define ASYM_ED448 0x800

struct msg {
	size_t off, len;
	uint8_t ver, code, p1, p2;
};

struct fwt_spdm {
	fwt_ctx *ctx;
	fwt_spdm_source source;
	unsigned char *buf;          /* transcript bytes, or decoded Redfish values */
	size_t len;
	struct msg msg[FWT_SPDM_MAX_MESSAGES];
	size_t nmsg;
	unsigned version;
	int vca, has_algorithms;
	unsigned meas_spec, other_params;
	uint32_t meas_hash, base_asym, base_hash;
	size_t first_meas_off;       /* where the measurement messages start */
	/* the last GET_MEASUREMENTS exchange */
	int have_exchange, is_signed, slot;
	unsigned attributes, operation, total;
	const unsigned char *req_nonce, *rsp_nonce, *req_ctx, *rsp_ctx;
	const unsigned char *opaque;
	size_t opaque_len, rsp_off, rsp_len;
	const unsigned char *sig;
	size_t sig_len, sig_off;
	unsigned content_changed;
	size_t exchanges;
	int new_measurement;         /* a 1.3+ request set NewMeasurementRequested */
	fwt_spdm_block *blocks;
	size_t nblocks, capblocks;
	/* Redfish */
	json_t *redfish;             /* extra fields shown by to_json */
	unsigned char rf_nonce[FWT_SPDM_NONCE_SIZE];
	int rf_has_nonce;
};

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd24(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16; }
static uint32_t rd32(const unsigned char *p) { return rd24(p) | (uint32_t)p[3] << 24; }

static const char *const type_names[] = {
	"immutable_rom", "mutable_firmware", "hardware_config", "firmware_config", "measurement_manifest",
	"device_mode", "version", "svn", "hash_extend", "informational", "structured_manifest"
};

const char *fwt_spdm_type_name(int type)
{
	return type >= 0 && (size_t)type < FWT_ARRAY_LEN(type_names) ? type_names[type] : NULL;
}

static const char *code_name(unsigned code)
{
	switch (code) {
	case GET_VERSION: return "GET_VERSION";
	case VERSION: return "VERSION";
	case GET_CAPABILITIES: return "GET_CAPABILITIES";
	case CAPABILITIES: return "CAPABILITIES";
	case NEGOTIATE_ALGORITHMS: return "NEGOTIATE_ALGORITHMS";
	case ALGORITHMS: return "ALGORITHMS";
	case GET_MEASUREMENTS: return "GET_MEASUREMENTS";
	case MEASUREMENTS: return "MEASUREMENTS";
	default: return NULL;
	}
}

/* Signature size of one BaseAsymAlgo bit (0: unknown or several bits). */
static size_t asym_sig_size(uint32_t a)
{
	switch (a) {
	case ASYM_RSASSA_2048: case ASYM_RSAPSS_2048: return 256;
	case ASYM_RSASSA_3072: case ASYM_RSAPSS_3072: return 384;
	case ASYM_RSASSA_4096: case ASYM_RSAPSS_4096: return 512;
	case ASYM_ECDSA_P256: case ASYM_SM2_P256: case ASYM_ED25519: return 64;
	case ASYM_ECDSA_P384: return 96;
	case ASYM_ECDSA_P521: return 132;
	case ASYM_ED448: return 114;
	default: return 0;
	}
}

static const char *asym_name(uint32_t a)
{
	switch (a) {
	case ASYM_RSASSA_2048: return "rsassa_2048";
	case ASYM_RSAPSS_2048: return "rsapss_2048";
	case ASYM_RSASSA_3072: return "rsassa_3072";
	case ASYM_RSAPSS_3072: return "rsapss_3072";
	case ASYM_ECDSA_P256: return "ecdsa_p256";
	case ASYM_RSASSA_4096: return "rsassa_4096";
	case ASYM_RSAPSS_4096: return "rsapss_4096";
	case ASYM_ECDSA_P384: return "ecdsa_p384";
	case ASYM_ECDSA_P521: return "ecdsa_p521";
	case ASYM_SM2_P256: return "sm2_p256";
	case ASYM_ED25519: return "ed25519";
	case ASYM_ED448: return "ed448";
	default: return NULL;
	}
}

/* BaseHashAlgo (bit 0 SHA-256 ...) to a digest algorithm; 0 if unknown. */
static fwt_digest_alg base_hash_alg(uint32_t h)
{
	switch (h) {
	case 0x01: return FWT_DIGEST_SHA256;
	case 0x02: return FWT_DIGEST_SHA384;
	case 0x04: return FWT_DIGEST_SHA512;
	default: return 0;
	}
}

/* MeasurementHashAlgo (bit 0 raw only, bit 1 SHA-256 ...): digest size, or 0. */
static size_t meas_hash_size(uint32_t h, fwt_digest_alg *alg)
{
	*alg = 0;
	switch (h) {
	case 0x02: *alg = FWT_DIGEST_SHA256; return 32;
	case 0x04: *alg = FWT_DIGEST_SHA384; return 48;
	case 0x08: *alg = FWT_DIGEST_SHA512; return 64;
	case 0x10: return 32; /* SHA3-256 */
	case 0x20: return 48; /* SHA3-384 */
	case 0x40: return 64; /* SHA3-512 */
	case 0x80: return 32; /* SM3-256 */
	default: return 0;
	}
}

static int one_bit(uint32_t v) { return v && !(v & (v - 1)); }

/* ---- transcript parsing ---- */

static fwt_err bad(fwt_spdm *s, size_t off, const char *fmt, ...) FWT_FMT(3, 4);
static fwt_err bad(fwt_spdm *s, size_t off, const char *fmt, ...)
{
	char m[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	return fwt__error(s->ctx, FWT_EFORMAT, "offset %zu: %s", off, m);
}

static fwt_err need(fwt_spdm *s, size_t off, size_t n, const char *what)
{
	if (s->len - off < n)
		return bad(s, off, "%s is truncated: it needs %zu bytes, %zu are left", what, n, s->len - off);
	return FWT_OK;
}

static fwt_err add_block(fwt_spdm *s, const fwt_spdm_block *b)
{
	if (s->nblocks == s->capblocks) {
		size_t cap = s->capblocks ? s->capblocks * 2 : 64;
		fwt_spdm_block *nb = realloc(s->blocks, cap * sizeof(*nb));
		if (!nb)
			return fwt__enomem(s->ctx);
		s->blocks = nb;
		s->capblocks = cap;
	}
	s->blocks[s->nblocks++] = *b;
	return FWT_OK;
}

/* The measurement record of a MEASUREMENTS response (RELIABILITY S1, S2). */
static fwt_err parse_record(fwt_spdm *s, size_t off, size_t rlen, unsigned nblocks, unsigned op)
{
	size_t p = off, end = off + rlen, k, count = 0, dsize = 0;
	fwt_digest_alg dalg = 0;
	fwt_err err;

	if (s->has_algorithms)
		dsize = meas_hash_size(s->meas_hash, &dalg);
	while (p < end) {
		fwt_spdm_block b;
		size_t msize, vsize;
		unsigned vtype;
		if (end - p < 4)
			return bad(s, p, "measurement block header is truncated: %zu bytes left in the record", end - p);
		memset(&b, 0, sizeof(b));
		b.index = s->buf[p];
		b.spec = s->buf[p + 1];
		msize = rd16(s->buf + p + 2);
		if (msize > end - p - 4)
			return bad(s, p, "MeasurementSize %zu of block %u exceeds the %zu bytes left in the record", msize,
			           b.index, end - p - 4);
		if (b.index == 0 || b.index == 0xff)
			return bad(s, p, "measurement block with index %u", b.index);
		if (b.spec != 0x01)
			return bad(s, p, "block %u: MeasurementSpecification 0x%02x is not DMTF", b.index, b.spec);
		if (s->has_algorithms && s->meas_spec != 0x01)
			return bad(s, p, "block %u: DMTF measurements, but ALGORITHMS selected specification 0x%02x",
			           b.index, s->meas_spec);
		if (op >= 1 && op <= 0xfe && b.index != op)
			return bad(s, p, "block %u in the response to a request for index %u", b.index, op);
		for (k = 0; k < s->nblocks; k++)
			if (s->blocks[k].index == b.index)
				return bad(s, p, "measurement index %u given twice", b.index);
		if (msize < 3)
			return bad(s, p, "block %u: MeasurementSize %zu is too small for the DMTF header", b.index, msize);
		vtype = s->buf[p + 4];
		vsize = rd16(s->buf + p + 5);
		if (vsize != msize - 3)
			return bad(s, p, "block %u: DMTFSpecMeasurementValueSize %zu does not fit its MeasurementSize %zu",
			           b.index, vsize, msize);
		b.type = (int)(vtype & 0x7f);
		b.raw = (vtype & 0x80) != 0;
		b.value = s->buf + p + 7;
		b.size = vsize;
		b.response = s->exchanges;
		if (!b.raw) {
			if (s->has_algorithms && s->meas_hash == 0x01)
				return bad(s, p, "block %u is a digest, but ALGORITHMS selected raw bit streams only", b.index);
			if (dsize && vsize != dsize)
				return bad(s, p, "block %u: a %zu-byte digest, the negotiated measurement hash gives %zu",
				           b.index, vsize, dsize);
			if (!dsize) {
				if (vsize != 32 && vsize != 48 && vsize != 64)
					return bad(s, p, "block %u: a %zu-byte digest fits no hash", b.index, vsize);
				dsize = vsize;
				dalg = vsize == 32 ? FWT_DIGEST_SHA256 : vsize == 48 ? FWT_DIGEST_SHA384 : FWT_DIGEST_SHA512;
			}
			b.alg = dalg;
		}
		err = add_block(s, &b);
		if (err)
			return err;
		count++;
		p += 4 + msize;
	}
	if (count != nblocks)
		return bad(s, off - 4, "NumberOfBlocks is %u but the record holds %zu blocks", nblocks, count);
	/* Blocks of earlier responses with the same digest size: keep one
	 * algorithm per transcript. */
	for (k = 0; k < s->nblocks; k++)
		if (!s->blocks[k].raw && s->blocks[k].size != dsize && dsize)
			return bad(s, off, "digests of %zu and %zu bytes in one transcript", s->blocks[k].size, dsize);
	return FWT_OK;
}

/* GET_MEASUREMENTS at off (the header is known to be there). */
static fwt_err parse_get_measurements(fwt_spdm *s, size_t off, struct msg *m)
{
	unsigned v = m->ver;
	size_t n = 4;
	fwt_err err;

	if (m->p1 & ATTR_SIGNATURE)
		n += FWT_SPDM_NONCE_SIZE + (v >= 0x11 ? 1 : 0);
	if (v >= 0x13)
		n += FWT_SPDM_CONTEXT_SIZE;
	err = need(s, off, n, "GET_MEASUREMENTS");
	if (err)
		return err;
	m->len = n;
	/* 1.3 defines bit 2: the measurements that take effect after the next
	 * reset, not the running ones (reserved before 1.3) */
	if (v >= 0x13 && (m->p1 & ATTR_NEW_MEASUREMENT))
		s->new_measurement = 1;
	return FWT_OK;
}

/* Without ALGORITHMS the signature's size is all that says its algorithm,
 * and a tail of an allowed size may still be a shorter signature followed
 * by other bytes.  The sizes only one algorithm has and whose encoding has
 * fixed bits tell the two apart: an ES512 signature's r and s are at most
 * 521 bits (each 66-byte half's first byte 0 or 1); an Ed448 signature's R
 * is a point encoding (bits 448-454 clear) and its S is below the group
 * order (last byte 0).  A tail that breaks these is no one signature. */
static fwt_err check_bare_sig(fwt_spdm *s, size_t p, size_t siglen)
{
	const unsigned char *t = s->buf + p;
	const char *alg = NULL;

	if (siglen == 132 && (t[0] > 1 || t[66] > 1))
		alg = "ES512 (its r and s are at most 521 bits)";
	else if (siglen == 114 && ((t[56] & 0x7f) || t[113]))
		alg = "Ed448 (its R and S are 448-bit encodings)";
	if (!alg)
		return FWT_OK;
	return bad(s, p, "the %zu bytes after the measurements are not the one SPDM signature of that size, %s: "
	           "ambiguous without ALGORITHMS, a shorter signature followed by other bytes?", siglen, alg);
}

static fwt_err parse_measurements(fwt_spdm *s, size_t off, struct msg *m, const struct msg *req)
{
	const unsigned char *b = s->buf;
	unsigned op = req->p2, sigreq = req->p1 & ATTR_SIGNATURE, nb;
	size_t p, rlen, olen, siglen = 0;
	fwt_err err;

	err = need(s, off, 8, "MEASUREMENTS");
	if (err)
		return err;
	if (m->ver != req->ver)
		return bad(s, off, "MEASUREMENTS version 0x%02x answers a 0x%02x request", m->ver, req->ver);
	nb = b[off + 4];
	rlen = rd24(b + off + 5);
	p = off + 8;
	if (rlen > s->len - p)
		return bad(s, off + 5, "MeasurementRecordLength %zu exceeds the %zu bytes left", rlen, s->len - p);
	/* the measurement operation decides what the response may hold (S3) */
	if (op == 0) {
		if (nb != 0 || rlen != 0)
			return bad(s, off, "a response to the total-number query carries %u blocks", nb);
		if (m->p1 == 0 || m->p1 == 0xff)
			return bad(s, off, "total number of measurements %u", m->p1);
	} else if (op == 0xff) {
		if (nb == 0 || nb == 0xff)
			return bad(s, off, "NumberOfBlocks %u in the response to a request for all measurements", nb);
	} else if (nb != 1) {
		return bad(s, off, "%u blocks in the response to a request for index %u", nb, op);
	}
	err = parse_record(s, p, rlen, nb, op);
	if (err)
		return err;
	p += rlen;
	err = need(s, p, FWT_SPDM_NONCE_SIZE + 2, "MEASUREMENTS nonce and OpaqueDataLength");
	if (err)
		return err;
	s->rsp_nonce = b + p;
	p += FWT_SPDM_NONCE_SIZE;
	olen = rd16(b + p);
	p += 2;
	if (olen > MAX_OPAQUE)
		return bad(s, p - 2, "OpaqueDataLength %zu exceeds %d", olen, MAX_OPAQUE);
	if (olen > s->len - p)
		return bad(s, p - 2, "OpaqueDataLength %zu exceeds the %zu bytes left", olen, s->len - p);
	if (olen && s->has_algorithms && m->ver >= 0x12 && !(s->other_params & 0x0f))
		return bad(s, p - 2, "opaque data, but ALGORITHMS selected no opaque data format");
	s->opaque = b + p;
	s->opaque_len = olen;
	p += olen;
	if (m->ver >= 0x13) {
		err = need(s, p, FWT_SPDM_CONTEXT_SIZE, "MEASUREMENTS RequesterContext");
		if (err)
			return err;
		s->rsp_ctx = b + p;
		if (memcmp(s->rsp_ctx, b + req->off + req->len - FWT_SPDM_CONTEXT_SIZE, FWT_SPDM_CONTEXT_SIZE))
			return bad(s, p, "RequesterContext differs from the request's");
		p += FWT_SPDM_CONTEXT_SIZE;
	}
	if (m->ver >= 0x11 && sigreq && (m->p2 & 0x0f) != (b[req->off + 4 + FWT_SPDM_NONCE_SIZE] & 0x0f))
		return bad(s, off + 3, "response from slot %u to a request for slot %u", m->p2 & 0x0f,
		           b[req->off + 4 + FWT_SPDM_NONCE_SIZE] & 0x0f);
	if (m->ver >= 0x12 && !sigreq && (m->p2 & 0x30))
		return bad(s, off + 3, "an unsigned response reports content changes");
	if (sigreq) {
		if (s->has_algorithms) {
			siglen = asym_sig_size(s->base_asym);
			if (s->len - p < siglen)
				return bad(s, p, "signature of %zu bytes, %s needs %zu", s->len - p, asym_name(s->base_asym),
				           siglen);
			if (s->len - p > siglen)
				return bad(s, p + siglen, "%zu bytes after the signature (a signed response ends the transcript)",
				           s->len - p - siglen);
		} else {
			siglen = s->len - p;
			if (siglen != 64 && siglen != 96 && siglen != 132 && siglen != 114 && siglen != 256 &&
			    siglen != 384 && siglen != 512)
				return bad(s, p, "signature of %zu bytes fits no SPDM algorithm", siglen);
			err = check_bare_sig(s, p, siglen);
			if (err)
				return err;
		}
		s->sig = b + p;
		s->sig_off = p;
		s->sig_len = siglen;
		s->is_signed = 1;
		s->slot = m->p2 & 0x0f;
		s->content_changed = (m->p2 >> 4) & 3;
	} else {
		s->is_signed = 0;
		s->sig = NULL;
		s->sig_len = 0;
	}
	m->len = p + siglen - off;
	s->req_nonce = sigreq ? b + req->off + 4 : NULL;
	s->req_ctx = m->ver >= 0x13 ? b + req->off + req->len - FWT_SPDM_CONTEXT_SIZE : NULL;
	s->attributes = req->p1;
	s->operation = op;
	s->total = op == 0 ? m->p1 : 0;
	s->rsp_off = off;
	s->rsp_len = m->len;
	s->have_exchange = 1;
	s->exchanges++;
	return FWT_OK;
}

/* Phase of the transcript: VCA messages in order, then measurements. */
enum { PH_START, PH_VERSION, PH_CAPS, PH_ALGS, PH_MEAS };

static fwt_err parse_transcript(fwt_spdm *s)
{
	size_t off = 0;
	int phase = PH_START;
	struct msg *req = NULL;
	fwt_err err;

	if (s->len == 0)
		return fwt__error(s->ctx, FWT_EFORMAT, "empty SPDM transcript");
	while (off < s->len) {
		struct msg *m;
		size_t n;
		if (s->nmsg == FWT_SPDM_MAX_MESSAGES)
			return bad(s, off, "more than %d SPDM messages", FWT_SPDM_MAX_MESSAGES);
		err = need(s, off, 4, "SPDM message header");
		if (err)
			return err;
		m = &s->msg[s->nmsg];
		memset(m, 0, sizeof(*m));
		m->off = off;
		m->ver = s->buf[off];
		m->code = s->buf[off + 1];
		m->p1 = s->buf[off + 2];
		m->p2 = s->buf[off + 3];
		if ((m->ver >> 4) != 1 || (m->ver & 0x0f) > 3)
			return bad(s, off, "SPDMVersion 0x%02x is not 1.0 to 1.3", m->ver);
		if (!code_name(m->code))
			return fwt__error(s->ctx, FWT_EUNSUPPORTED,
			                  "offset %zu: SPDM message 0x%02x is not part of a measurement transcript", off,
			                  m->code);
		if (m->code & 0x80) { /* a request */
			if (req)
				return bad(s, off, "%s after a request without response", code_name(m->code));
			req = m;
		} else {
			if (!req || req->code != (m->code | 0x80))
				return bad(s, off, "%s without its request", code_name(m->code));
		}
		/* order and version */
		if (m->code == GET_VERSION || m->code == VERSION) {
			if (phase > PH_VERSION || (m->code == GET_VERSION && phase == PH_VERSION))
				return bad(s, off, "%s out of order", code_name(m->code));
			if (m->ver != 0x10)
				return bad(s, off, "%s with version 0x%02x (always 1.0)", code_name(m->code), m->ver);
			phase = PH_VERSION;
			s->vca = 1;
		} else {
			int ph = m->code == GET_CAPABILITIES || m->code == CAPABILITIES           ? PH_CAPS
			         : m->code == NEGOTIATE_ALGORITHMS || m->code == ALGORITHMS ? PH_ALGS
			                                                                      : PH_MEAS;
			if (ph < phase || (ph == phase && ph != PH_MEAS && (m->code & 0x80)))
				return bad(s, off, "%s out of order", code_name(m->code));
			phase = ph;
			if (ph != PH_MEAS)
				s->vca = 1;
			if (!s->version)
				s->version = m->ver;
			else if (m->ver != s->version)
				return bad(s, off, "%s with version 0x%02x in a 0x%02x transcript", code_name(m->code), m->ver,
				           s->version);
		}
		switch (m->code) {
		case GET_VERSION:
			n = 4;
			break;
		case VERSION: {
			size_t i, cnt;
			err = need(s, off, 6, "VERSION");
			if (err)
				return err;
			cnt = s->buf[off + 5];
			err = need(s, off, 6 + 2 * cnt, "VERSION");
			if (err)
				return err;
			n = 6 + 2 * cnt;
			for (i = 0; i < cnt; i++) {
				uint16_t e = rd16(s->buf + off + 6 + 2 * i);
				if ((e >> 12) != 1)
					return bad(s, off + 6 + 2 * i, "version entry 0x%04x", e);
			}
			break;
		}
		case GET_CAPABILITIES:
			n = m->ver == 0x10 ? 4 : m->ver == 0x11 ? 12 : 20;
			if (m->ver >= 0x13 && (m->p1 & 0x01))
				return fwt__error(s->ctx, FWT_EUNSUPPORTED,
				                  "offset %zu: GET_CAPABILITIES asking for the supported algorithms", off);
			break;
		case CAPABILITIES:
			n = m->ver <= 0x11 ? 12 : 20;
			break;
		case NEGOTIATE_ALGORITHMS:
			err = need(s, off, 6, "NEGOTIATE_ALGORITHMS");
			if (err)
				return err;
			n = rd16(s->buf + off + 4);
			if (n < 32)
				return bad(s, off + 4, "NEGOTIATE_ALGORITHMS Length %zu is below 32", n);
			break;
		case ALGORITHMS:
			err = need(s, off, 36, "ALGORITHMS");
			if (err)
				return err;
			n = rd16(s->buf + off + 4);
			if (n < 36)
				return bad(s, off + 4, "ALGORITHMS Length %zu is below 36", n);
			s->has_algorithms = 1;
			s->meas_spec = s->buf[off + 6];
			s->other_params = s->buf[off + 7];
			s->meas_hash = rd32(s->buf + off + 8);
			s->base_asym = rd32(s->buf + off + 12);
			s->base_hash = rd32(s->buf + off + 16);
			if (s->meas_hash && !one_bit(s->meas_hash))
				return bad(s, off + 8, "MeasurementHashAlgo 0x%08x selects more than one", s->meas_hash);
			if (!one_bit(s->base_asym) || !asym_sig_size(s->base_asym))
				return bad(s, off + 12, "BaseAsymSel 0x%08x is not one known algorithm", s->base_asym);
			if (!one_bit(s->base_hash))
				return bad(s, off + 16, "BaseHashSel 0x%08x is not one algorithm", s->base_hash);
			break;
		case GET_MEASUREMENTS:
			err = parse_get_measurements(s, off, m);
			if (err)
				return err;
			n = m->len;
			break;
		default: /* MEASUREMENTS */
			err = parse_measurements(s, off, m, req);
			if (err)
				return err;
			n = m->len;
			break;
		}
		if (n > s->len - off)
			return bad(s, off, "%s is truncated: it needs %zu bytes, %zu are left", code_name(m->code), n,
			           s->len - off);
		m->len = n;
		if (!(m->code & 0x80))
			req = NULL;
		s->nmsg++;
		off += n;
	}
	if (req)
		return bad(s, req->off, "the transcript ends after a %s request", code_name(req->code));
	if (!s->have_exchange)
		return bad(s, off, "the transcript ends without a MEASUREMENTS response");
	/* the VERSION response must offer the version used */
	if (s->nmsg > 1 && s->msg[1].code == VERSION && s->version) {
		size_t i, cnt = s->buf[s->msg[1].off + 5];
		for (i = 0; i < cnt; i++) {
			uint16_t e = rd16(s->buf + s->msg[1].off + 6 + 2 * i);
			if (((e >> 8) & 0xff) == s->version)
				break;
		}
		if (i == cnt)
			return bad(s, s->msg[1].off, "VERSION does not offer the version 0x%02x used", s->version);
	}
	/* L1/L2 of 1.0/1.1 starts at the first GET_MEASUREMENTS (there is one:
	 * a MEASUREMENTS response was seen) */
	{
		size_t i;
		for (i = 0; s->msg[i].code != GET_MEASUREMENTS; i++)
			;
		s->first_meas_off = s->msg[i].off;
	}
	return FWT_OK;
}

/* ---- Redfish JSON ---- */

static const struct {
	const char *name;
	int type;
} redfish_types[] = {
	{ "ImmutableROM", FWT_SPDM_IMMUTABLE_ROM },
	{ "MutableFirmware", FWT_SPDM_MUTABLE_FIRMWARE },
	{ "HardwareConfiguration", FWT_SPDM_HARDWARE_CONFIG },
	{ "FirmwareConfiguration", FWT_SPDM_FIRMWARE_CONFIG },
	{ "MeasurementManifest", FWT_SPDM_MEASUREMENT_MANIFEST },
	{ "MutableFirmwareVersion", FWT_SPDM_VERSION },
	{ "MutableFirmwareSecurityVersionNumber", FWT_SPDM_SVN },
};

static fwt_err json_bad(fwt_spdm *s, const char *path, const char *what)
{
	return fwt__error(s->ctx, FWT_EFORMAT, "%s: %s", path, what);
}

/* A SignedMeasurements response's algorithm names (DSP2046: TCG algorithm
 * registry names), which are shown as fact, must be the transcript's as
 * its Version must.  With ALGORITHMS in the transcript the algorithms are
 * known exactly: each name must be theirs.  Without, the signature's size
 * and the blocks' digests tell a name's size only; a TCG name fwtrail does
 * not know is then shown as it is.  Anything that is no TCG name (not a
 * string, empty, "MD5") is malformed. */
static const struct redfish_alg {
	const char *name;
	uint32_t bit; /* BaseAsymAlgo / BaseHashAlgo */
	size_t len;   /* signature or digest size */
} redfish_sigs[] = {
	{ "TPM_ALG_RSASSA_2048", ASYM_RSASSA_2048, 256 },   { "TPM_ALG_RSAPSS_2048", ASYM_RSAPSS_2048, 256 },
	{ "TPM_ALG_RSASSA_3072", ASYM_RSASSA_3072, 384 },   { "TPM_ALG_RSAPSS_3072", ASYM_RSAPSS_3072, 384 },
	{ "TPM_ALG_ECDSA_ECC_NIST_P256", ASYM_ECDSA_P256, 64 }, { "TPM_ALG_RSASSA_4096", ASYM_RSASSA_4096, 512 },
	{ "TPM_ALG_RSAPSS_4096", ASYM_RSAPSS_4096, 512 },   { "TPM_ALG_ECDSA_ECC_NIST_P384", ASYM_ECDSA_P384, 96 },
	{ "TPM_ALG_ECDSA_ECC_NIST_P521", ASYM_ECDSA_P521, 132 }, { "TPM_ALG_SM2", ASYM_SM2_P256, 64 },
	{ "TPM_ALG_EDDSA_ED25519", ASYM_ED25519, 64 },      { "TPM_ALG_EDDSA_ED448", ASYM_ED448, 114 },
	{ NULL, 0, 0 }
}, redfish_hashes[] = {
	{ "TPM_ALG_SHA_256", 0x01, 32 },  { "TPM_ALG_SHA_384", 0x02, 48 },  { "TPM_ALG_SHA_512", 0x04, 64 },
	{ "TPM_ALG_SHA3_256", 0x08, 32 }, { "TPM_ALG_SHA3_384", 0x10, 48 }, { "TPM_ALG_SHA3_512", 0x20, 64 },
	{ "TPM_ALG_SM3_256", 0x40, 32 },  { NULL, 0, 0 }
};

/* 0 when the name v (at path) can be the transcript's algorithm: bit, when
 * known (else 0), or else len (0: not known either). */
static fwt_err redfish_alg_agrees(fwt_spdm *s, const json_t *v, const char *path, const struct redfish_alg *t,
                                  uint32_t bit, size_t len, const char *what)
{
	const char *n = json_string_value(v);
	const struct redfish_alg *e;

	if (!v)
		return FWT_OK;
	if (!n || strncmp(n, "TPM_ALG_", 8) || !n[8] || strlen(n) != json_string_length(v))
		return json_bad(s, path, "not a TCG algorithm name (such as TPM_ALG_SHA_384)");
	for (e = t; e->name && strcmp(e->name, n); e++)
		;
	if ((bit && (!e->name || e->bit != bit)) || (!bit && e->name && len && e->len != len))
		return json_bad(s, path, what);
	return FWT_OK;
}

static fwt_err redfish_algs_agree(fwt_spdm *s, const json_t *root)
{
	size_t i, want = 0;
	fwt_err err;

	err = redfish_alg_agrees(s, json_object_get(root, "SigningAlgorithm"), "$.SigningAlgorithm", redfish_sigs,
	                         s->is_signed && s->has_algorithms ? s->base_asym : 0, s->is_signed ? s->sig_len : 0,
	                         "not the algorithm of the SignedMeasurements' signature");
	if (err)
		return err;
	for (i = 0; !s->has_algorithms && !want && i < s->nblocks; i++)
		if (!s->blocks[i].raw && s->blocks[i].alg)
			want = fwt_digest_size(s->blocks[i].alg);
	return redfish_alg_agrees(s, json_object_get(root, "HashingAlgorithm"), "$.HashingAlgorithm", redfish_hashes,
	                          s->has_algorithms ? s->base_hash : 0, want, "not the hash of the SignedMeasurements");
}

/* Strict base64 of a JSON string into a new buffer. */
static fwt_err b64_value(fwt_spdm *s, json_t *v, const char *path, unsigned char **out, size_t *len)
{
	const char *t = json_string_value(v);
	size_t n;

	*out = NULL;
	if (!t)
		return json_bad(s, path, "not a string");
	n = json_string_length(v);
	if (n > FWT_SPDM_MAX_INPUT)
		return json_bad(s, path, "too large");
	*out = malloc(n / 4 * 3 + 3);
	if (!*out)
		return fwt__enomem(s->ctx);
	if (fwt_b64_decode(*out, n / 4 * 3 + 3, t, n, len) != FWT_OK) {
		free(*out);
		*out = NULL;
		return json_bad(s, path, "not base64");
	}
	return FWT_OK;
}

static fwt_err parse_component(fwt_spdm *s, json_t *root)
{
	json_t *t = json_object_get(root, "ComponentIntegrityType"), *ms, *list, *e;
	size_t i, total = 0, k;
	fwt_err err = FWT_OK;
	unsigned char **vals = NULL;
	size_t *lens = NULL;

	if (!json_is_string(t))
		return json_bad(s, "$.ComponentIntegrityType", "not a string");
	if (strcmp(json_string_value(t), "SPDM")) {
		char q[64];
		fwt__quote(q, sizeof(q), json_string_value(t), json_string_length(t));
		return fwt__error(s->ctx, FWT_EUNSUPPORTED, "$.ComponentIntegrityType: '%s' is not SPDM", q);
	}
	s->source = FWT_SPDM_REDFISH_COMPONENT;
	s->redfish = json_object();
	json_object_set(s->redfish, "id", json_object_get(root, "Id") ? json_object_get(root, "Id") : json_null());
	json_object_set(s->redfish, "enabled", json_is_boolean(json_object_get(root, "ComponentIntegrityEnabled"))
	                                            ? json_object_get(root, "ComponentIntegrityEnabled")
	                                            : json_null());
	json_object_set(s->redfish, "type_version", json_is_string(json_object_get(root, "ComponentIntegrityTypeVersion"))
	                                                 ? json_object_get(root, "ComponentIntegrityTypeVersion")
	                                                 : json_null());
	ms = json_object_get(json_object_get(root, "SPDM"), "MeasurementSet");
	if (!ms)
		return FWT_OK; /* SPDM disabled: no measurements */
	if (!json_is_object(ms))
		return json_bad(s, "$.SPDM.MeasurementSet", "not an object");
	if (json_is_string(json_object_get(ms, "MeasurementSpecification")) &&
	    strcmp(json_string_value(json_object_get(ms, "MeasurementSpecification")), "DMTF"))
		return fwt__error(s->ctx, FWT_EUNSUPPORTED, "$.SPDM.MeasurementSet.MeasurementSpecification: not DMTF");
	list = json_object_get(ms, "Measurements");
	if (!list)
		return FWT_OK;
	if (!json_is_array(list) || json_array_size(list) > 255)
		return json_bad(s, "$.SPDM.MeasurementSet.Measurements", "not an array of at most 255 entries");
	vals = calloc(json_array_size(list) + 1, sizeof(*vals));
	lens = calloc(json_array_size(list) + 1, sizeof(*lens));
	if (!vals || !lens) {
		err = fwt__enomem(s->ctx);
		goto out;
	}
	json_array_foreach(list, i, e) {
		char path[96];
		json_t *idx = json_object_get(e, "MeasurementIndex"), *alg = json_object_get(e, "MeasurementHashAlgorithm");
		fwt_digest_alg a = 0;
		snprintf(path, sizeof(path), "$.SPDM.MeasurementSet.Measurements[%zu]", i);
		if (!json_is_object(e)) {
			err = json_bad(s, path, "not an object");
			goto out;
		}
		if (!json_is_integer(idx) || json_integer_value(idx) < 1 || json_integer_value(idx) > 254) {
			snprintf(path + strlen(path), sizeof(path) - strlen(path), ".MeasurementIndex");
			err = json_bad(s, path, "not an index from 1 to 254");
			goto out;
		}
		if (json_is_string(alg)) {
			const char *an = json_string_value(alg);
			if (!strncmp(an, "TPM_ALG_", 8))
				an += 8;
			if (fwt_digest_from_name(an, &a) != FWT_OK || a == FWT_DIGEST_SHA1 || a == FWT_DIGEST_SM3) {
				snprintf(path + strlen(path), sizeof(path) - strlen(path), ".MeasurementHashAlgorithm");
				err = fwt__error(s->ctx, FWT_EUNSUPPORTED, "%s: unsupported hash algorithm", path);
				goto out;
			}
		}
		snprintf(path + strlen(path), sizeof(path) - strlen(path), ".Measurement");
		err = b64_value(s, json_object_get(e, "Measurement"), path, &vals[i], &lens[i]);
		if (err)
			goto out;
		if (a && lens[i] != fwt_digest_size(a)) {
			err = json_bad(s, path, "not the size of its MeasurementHashAlgorithm");
			goto out;
		}
		total += lens[i];
	}
	s->buf = malloc(total ? total : 1);
	if (!s->buf) {
		err = fwt__enomem(s->ctx);
		goto out;
	}
	s->len = total;
	total = 0;
	json_array_foreach(list, i, e) {
		fwt_spdm_block b;
		json_t *mt = json_object_get(e, "MeasurementType"), *alg = json_object_get(e, "MeasurementHashAlgorithm");
		memset(&b, 0, sizeof(b));
		b.index = (unsigned)json_integer_value(json_object_get(e, "MeasurementIndex"));
		b.spec = 1;
		b.type = -1;
		for (k = 0; json_is_string(mt) && k < FWT_ARRAY_LEN(redfish_types); k++)
			if (!strcmp(json_string_value(mt), redfish_types[k].name))
				b.type = redfish_types[k].type;
		if (json_is_string(alg)) {
			const char *an = json_string_value(alg);
			fwt_digest_from_name(!strncmp(an, "TPM_ALG_", 8) ? an + 8 : an, &b.alg);
		}
		memcpy(s->buf + total, vals[i], lens[i]);
		b.value = s->buf + total;
		b.size = lens[i];
		total += lens[i];
		for (k = 0; k < s->nblocks; k++)
			if (s->blocks[k].index == b.index) {
				char path[96];
				snprintf(path, sizeof(path), "$.SPDM.MeasurementSet.Measurements[%zu].MeasurementIndex", i);
				err = json_bad(s, path, "index given twice");
				goto out;
			}
		err = add_block(s, &b);
		if (err)
			goto out;
	}
	if (json_is_string(json_object_get(ms, "MeasurementSummary")))
		json_object_set(s->redfish, "measurement_summary", json_object_get(ms, "MeasurementSummary"));
	if (json_is_string(json_object_get(ms, "MeasurementSummaryHashAlgorithm")))
		json_object_set(s->redfish, "measurement_summary_hash_algorithm",
		                json_object_get(ms, "MeasurementSummaryHashAlgorithm"));
out:
	for (i = 0; vals && i < json_array_size(list); i++)
		free(vals[i]);
	free(vals);
	free(lens);
	return err;
}

static fwt_err parse_redfish_request(fwt_spdm *s, json_t *root)
{
	json_t *n = json_object_get(root, "Nonce"), *slot = json_object_get(root, "SlotId"),
	       *idx = json_object_get(root, "MeasurementIndices"), *v;
	size_t i;

	s->source = FWT_SPDM_REDFISH_REQUEST;
	s->redfish = json_object();
	if (n) {
		if (!json_is_string(n) || fwt_hex_parse_digest(s->rf_nonce, FWT_SPDM_NONCE_SIZE, json_string_value(n),
		                                               json_string_length(n)) != FWT_OK ||
		    json_string_length(n) != 64)
			return json_bad(s, "$.Nonce", "not 64 hex digits");
		s->rf_has_nonce = 1;
	}
	if (slot && (!json_is_integer(slot) || json_integer_value(slot) < 0 || json_integer_value(slot) > 15))
		return json_bad(s, "$.SlotId", "not a slot from 0 to 15");
	json_object_set_new(s->redfish, "slot", json_integer(slot ? json_integer_value(slot) : 0));
	if (idx) {
		json_t *a = json_array();
		if (!json_is_array(idx) || json_array_size(idx) > 255) {
			json_decref(a);
			return json_bad(s, "$.MeasurementIndices", "not an array of at most 255 indices");
		}
		json_array_foreach(idx, i, v) {
			if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 255) {
				json_decref(a);
				return json_bad(s, "$.MeasurementIndices", "not an index from 0 to 255");
			}
			json_array_append(a, v);
		}
		json_object_set_new(s->redfish, "measurement_indices", a);
	}
	return FWT_OK;
}

static const unsigned char tpm_magic[4] = { 0xff, 0x54, 0x43, 0x47 }; /* TPM_GENERATED_VALUE, big-endian */

static fwt_err parse_json(fwt_spdm *s, const char *t, size_t len)
{
	json_error_t je;
	json_t *root, *v, *ot;
	fwt_err err;

	root = json_loadb(t, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return fwt__error(s->ctx, FWT_EFORMAT, "not JSON: %s at line %d, column %d", je.text, je.line, je.column);
	if (!json_is_object(root)) {
		err = json_bad(s, "$", "not an object");
		goto out;
	}
	ot = json_object_get(root, "@odata.type");
	if ((json_is_string(ot) && strstr(json_string_value(ot), "TPMGetSignedMeasurements")) ||
	    json_object_get(root, "PCRSelection") || json_object_get(root, "Scheme")) {
		err = fwt__error(s->ctx, FWT_EUNSUPPORTED, "TPM signed measurements are not SPDM evidence");
		goto out;
	}
	if ((v = json_object_get(root, "SignedMeasurements")) != NULL) {
		json_t *ver = json_object_get(root, "Version");
		err = b64_value(s, v, "$.SignedMeasurements", &s->buf, &s->len);
		if (err)
			goto out;
		/* a TPMGetSignedMeasurements response has only this member too
		 * (DSP2046): TPM2_Quote's quoted (TPM2B_ATTEST: size, then magic
		 * TPM_GENERATED_VALUE) and signature, where SPDM has SPDMVersion */
		if ((s->len >= 6 && (s->buf[0] & 0xf0) != 0x10 && !memcmp(s->buf + 2, tpm_magic, 4)) ||
		    (s->len >= 4 && !memcmp(s->buf, tpm_magic, 4))) {
			err = fwt__error(s->ctx, FWT_EUNSUPPORTED, "$.SignedMeasurements: a TPM quote (TPMS_ATTEST): TPM "
			                 "signed measurements are not SPDM evidence");
			goto out;
		}
		s->source = FWT_SPDM_TRANSCRIPT;
		err = parse_transcript(s);
		if (!err && ver && !json_is_string(ver))
			err = json_bad(s, "$.Version", "not a string");
		if (!err && json_is_string(ver)) {
			char want[8];
			snprintf(want, sizeof(want), "%u.%u", s->version >> 4, s->version & 15);
			if (strcmp(json_string_value(ver), want))
				err = json_bad(s, "$.Version", "not the version of the SignedMeasurements");
		}
		if (!err)
			err = redfish_algs_agree(s, root);
		if (!err) {
			s->redfish = json_object();
			if (json_is_string(json_object_get(root, "SigningAlgorithm")))
				json_object_set(s->redfish, "signing_algorithm", json_object_get(root, "SigningAlgorithm"));
			if (json_is_string(json_object_get(root, "HashingAlgorithm")))
				json_object_set(s->redfish, "hashing_algorithm", json_object_get(root, "HashingAlgorithm"));
		}
	} else if (json_object_get(root, "ComponentIntegrityType")) {
		err = parse_component(s, root);
	} else if (json_object_get(root, "Nonce") || json_object_get(root, "MeasurementIndices")) {
		err = parse_redfish_request(s, root);
	} else {
		err = fwt__error(s->ctx, FWT_EUNSUPPORTED,
		                 "JSON that is neither a Redfish ComponentIntegrity resource nor an "
		                 "SPDMGetSignedMeasurements request or response");
	}
out:
	json_decref(root);
	return err;
}

/* ---- entry points ---- */

static int is_hex_text(const unsigned char *p, size_t n)
{
	size_t i, digits = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
			digits++;
		else if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return 0;
	}
	return digits > 0;
}

void fwt_spdm_free(fwt_spdm *s)
{
	if (!s)
		return;
	json_decref(s->redfish);
	free(s->blocks);
	free(s->buf);
	free(s);
}

fwt_err fwt_spdm_parse(fwt_ctx *ctx, fwt_spdm **out, const void *buf, size_t len, const char *name)
{
	const unsigned char *p = buf;
	fwt_spdm *s;
	size_t i;
	fwt_err err;
	char q[1040];

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_spdm_parse");
	*out = NULL;
	if (!name)
		name = "-";
	fwt__quote(q, sizeof(q), name, strlen(name));
	if (len > FWT_SPDM_MAX_INPUT)
		return fwt__error(ctx, FWT_EFORMAT, "'%s': larger than %u bytes", q, FWT_SPDM_MAX_INPUT);
	s = calloc(1, sizeof(*s));
	if (!s)
		return fwt__enomem(ctx);
	s->ctx = ctx;
	for (i = 0; i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'); i++)
		;
	if (i < len && p[i] == '{') {
		err = parse_json(s, buf, len);
	} else if (is_hex_text(p, len)) {
		size_t k = 0, digits = 0;
		for (i = 0; i < len; i++)
			digits += p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n';
		if (digits % 2) {
			err = fwt__error(ctx, FWT_EFORMAT, "an odd number of hex digits");
		} else {
			s->buf = malloc(digits / 2 ? digits / 2 : 1);
			if (!s->buf) {
				err = fwt__enomem(ctx);
			} else {
				char two[2];
				size_t n2 = 0, got;
				for (i = 0; i < len; i++) {
					if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
						continue;
					two[n2++] = (char)p[i];
					if (n2 == 2) {
						fwt_hex_decode(s->buf + k++, 1, two, 2, &got);
						n2 = 0;
					}
				}
				s->len = k;
				s->source = FWT_SPDM_TRANSCRIPT;
				err = parse_transcript(s);
			}
		}
	} else {
		/* exactly len bytes: a read past the end is a bug ASan sees */
		s->buf = malloc(len ? len : 1);
		if (!s->buf) {
			err = fwt__enomem(ctx);
		} else {
			memcpy(s->buf, buf, len);
			s->len = len;
			s->source = FWT_SPDM_TRANSCRIPT;
			err = parse_transcript(s);
		}
	}
	if (err) {
		fwt_spdm_free(s);
		return fwt__error_prefix(ctx, "'%s'", q);
	}
	*out = s;
	return FWT_OK;
}

fwt_err fwt_spdm_load(fwt_ctx *ctx, fwt_spdm **out, const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (!out || !path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_spdm_load");
	*out = NULL;
	err = fwt_read_file(ctx, path, FWT_SPDM_MAX_INPUT, &buf, &len);
	if (err)
		return err;
	err = fwt_spdm_parse(ctx, out, buf, len, path);
	free(buf);
	return err;
}

fwt_err fwt_spdm_load_fd(fwt_ctx *ctx, fwt_spdm **out, int fd, const char *name)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (!out || !name || fd < 0)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_spdm_load_fd");
	*out = NULL;
	err = fwt_read_fd(ctx, fd, name, FWT_SPDM_MAX_INPUT, &buf, &len);
	if (!err)
		err = fwt_spdm_parse(ctx, out, buf, len, name);
	free(buf);
	return err;
}

fwt_spdm_source fwt_spdm_get_source(const fwt_spdm *s) { return s ? s->source : 0; }
unsigned fwt_spdm_version(const fwt_spdm *s) { return s ? s->version : 0; }
int fwt_spdm_is_signed(const fwt_spdm *s) { return s ? s->is_signed : 0; }
size_t fwt_spdm_block_count(const fwt_spdm *s) { return s ? s->nblocks : 0; }

fwt_err fwt_spdm_block_get(const fwt_spdm *s, size_t i, fwt_spdm_block *out)
{
	if (!s || !out || i >= s->nblocks)
		return s ? fwt__error(s->ctx, FWT_EINVAL, "bad arguments to fwt_spdm_block_get") : FWT_EINVAL;
	*out = s->blocks[i];
	return FWT_OK;
}

const unsigned char *fwt_spdm_requester_nonce(const fwt_spdm *s)
{
	if (!s)
		return NULL;
	if (s->source == FWT_SPDM_REDFISH_REQUEST)
		return s->rf_has_nonce ? s->rf_nonce : NULL;
	return s->req_nonce;
}

const unsigned char *fwt_spdm_responder_nonce(const fwt_spdm *s) { return s ? s->rsp_nonce : NULL; }

const unsigned char *fwt_spdm_opaque(const fwt_spdm *s, size_t *len)
{
	if (len)
		*len = s ? s->opaque_len : 0;
	return s && s->opaque_len ? s->opaque : NULL;
}

/* ---- JSON view ---- */

static json_t *hexj(const unsigned char *p, size_t n)
{
	char *t = malloc(2 * n + 1);
	json_t *j;

	if (!t)
		return NULL;
	fwt_hex_encode(t, p, n);
	j = json_string(t);
	free(t);
	return j;
}

/* Printable ASCII with trailing NULs, as a JSON string; NULL otherwise. */
static json_t *textj(const unsigned char *p, size_t n)
{
	char buf[300];
	size_t i;

	while (n && p[n - 1] == 0)
		n--;
	if (!n || n >= sizeof(buf))
		return NULL;
	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e)
			return NULL;
		buf[i] = (char)p[i];
	}
	buf[n] = '\0';
	return json_string(buf);
}

static const char *const nv_names[] = {
	NULL, "cert_issuer_name", "cert_authority_key_identifier", "driver_version", "gpu_info", "sku",
	"vbios_version", "manufacturer_id", "tamper_detection", "smc", "vpr", "nvdec0_status", "msrscnt",
	"cprinfo", "board_id", "chip_sku", "chip_sku_mod", "project", "project_sku", "project_sku_mod", "fwid",
	"protected_pcie_status"
};

/* NVIDIA's opaque data: {u16 type, u16 size, value} records filling it
 * exactly, with types NVIDIA names.  NULL when it is not that. */
static json_t *nvidia_tlvs(const unsigned char *p, size_t n)
{
	size_t off = 0;
	json_t *a;

	while (off < n) {
		unsigned t;
		size_t l;
		if (n - off < 4)
			return NULL;
		t = rd16(p + off);
		l = rd16(p + off + 2);
		if (l > n - off - 4 || t == 0 || (t >= FWT_ARRAY_LEN(nv_names) && t != 255))
			return NULL;
		off += 4 + l;
	}
	a = json_array();
	for (off = 0; off < n;) {
		unsigned t = rd16(p + off);
		size_t l = rd16(p + off + 2);
		const unsigned char *v = p + off + 4;
		json_t *o = json_object(), *txt = NULL;
		json_object_set_new(o, "type", json_integer(t));
		json_object_set_new(o, "name", json_string(t < FWT_ARRAY_LEN(nv_names) ? nv_names[t] : "invalid"));
		json_object_set_new(o, "value", hexj(v, l));
		if (t == 6 && l == 8) {
			char vb[32];
			uint32_t h1 = rd32(v), h2 = rd32(v + 4);
			snprintf(vb, sizeof(vb), "%02X.%02X.%02X.%02X.%02X", h1 >> 24, (h1 >> 16) & 0xff, (h1 >> 8) & 0xff,
			         h1 & 0xff, h2 & 0xff);
			txt = json_string(vb);
		} else if (t == 3 || (t >= 14 && t <= 19) || t == 5 || t == 1) {
			txt = textj(v, l);
		}
		if (txt)
			json_object_set_new(o, "text", txt);
		json_array_append_new(a, o);
		off += 4 + l;
	}
	return a;
}

/* DSP0274 general opaque data (OpaqueDataFmt1); NULL when it does not parse. */
static json_t *general_opaque(const unsigned char *p, size_t n)
{
	size_t off = 4, i, total;
	json_t *a;

	if (n < 4 || p[0] == 0)
		return NULL;
	total = p[0];
	for (i = 0; i < total; i++) {
		size_t vl, dl, el;
		if (n - off < 2)
			return NULL;
		vl = p[off + 1];
		if (n - off - 2 < vl + 2)
			return NULL;
		dl = rd16(p + off + 2 + vl);
		el = 2 + vl + 2 + dl;
		el = (el + 3) & ~(size_t)3;
		if (el > n - off)
			return NULL;
		off += el;
	}
	if (off != n)
		return NULL;
	a = json_array();
	for (off = 4, i = 0; i < total; i++) {
		size_t vl = p[off + 1], dl = rd16(p + off + 2 + vl);
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(p[off]));
		json_object_set_new(o, "vendor_id", hexj(p + off + 2, vl));
		json_object_set_new(o, "data", hexj(p + off + 4 + vl, dl));
		json_array_append_new(a, o);
		off += (2 + vl + 2 + dl + 3) & ~(size_t)3;
	}
	return a;
}

static json_t *block_json(const fwt_spdm_block *b)
{
	json_t *o = json_object();
	const char *tn = fwt_spdm_type_name(b->type);

	json_object_set_new(o, "index", json_integer(b->index));
	json_object_set_new(o, "spec", json_integer(b->spec));
	if (b->type < 0) {
		json_object_set_new(o, "type", json_null());
	} else {
		char t[16];
		snprintf(t, sizeof(t), "type_0x%02x", (unsigned)b->type);
		json_object_set_new(o, "type", json_string(tn ? tn : t));
		json_object_set_new(o, "type_id", json_integer(b->type));
	}
	json_object_set_new(o, "size", json_integer((json_int_t)b->size));
	if (b->raw) {
		json_t *txt;
		json_object_set_new(o, "value", hexj(b->value, b->size));
		if (b->type == FWT_SPDM_VERSION && (txt = textj(b->value, b->size)) != NULL)
			json_object_set_new(o, "text", txt);
		/* all 64 bits: above INT64_MAX a decimal string, as CoRIM's uints */
		if (b->type == FWT_SPDM_SVN && b->size == 8)
			json_object_set_new(o, "svn", fwt__json_u64((uint64_t)rd32(b->value) |
			                                            (uint64_t)rd32(b->value + 4) << 32));
	} else {
		json_object_set_new(o, "digest", hexj(b->value, b->size));
		if (b->alg)
			json_object_set_new(o, "alg", json_string(fwt_digest_name(b->alg)));
	}
	return o;
}

fwt_err fwt_spdm_to_json(const fwt_spdm *s, json_t **out)
{
	json_t *o, *a;
	size_t i;
	char v[8];

	if (!s || !out)
		return s ? fwt__error(s->ctx, FWT_EINVAL, "bad arguments to fwt_spdm_to_json") : FWT_EINVAL;
	o = json_object();
	if (!o)
		return fwt__enomem(s->ctx);
	json_object_set_new(o, "source", json_string(s->source == FWT_SPDM_TRANSCRIPT          ? "transcript"
	                                             : s->source == FWT_SPDM_REDFISH_COMPONENT ? "redfish_component_integrity"
	                                                                                       : "redfish_request"));
	if (s->version) {
		snprintf(v, sizeof(v), "%u.%u", s->version >> 4, s->version & 15);
		json_object_set_new(o, "version", json_string(v));
	} else {
		json_object_set_new(o, "version", json_null());
	}
	json_object_set_new(o, "signed", json_boolean(s->is_signed));
	a = json_array();
	for (i = 0; i < s->nblocks; i++)
		json_array_append_new(a, block_json(&s->blocks[i]));
	json_object_set_new(o, "blocks", a);
	if (s->redfish)
		json_object_set(o, "redfish", s->redfish);
	if (s->source == FWT_SPDM_REDFISH_REQUEST && s->rf_has_nonce)
		json_object_set_new(o, "request", json_pack("{s:o}", "nonce", hexj(s->rf_nonce, FWT_SPDM_NONCE_SIZE)));
	if (s->source != FWT_SPDM_TRANSCRIPT) {
		*out = o;
		return FWT_OK;
	}
	{
		json_t *req = json_object(), *rsp = json_object(), *m = json_array();
		json_object_set_new(req, "attributes", json_integer(s->attributes));
		json_object_set_new(req, "signature_requested", json_boolean(s->attributes & ATTR_SIGNATURE));
		json_object_set_new(req, "operation", s->operation == 0xff ? json_string("all")
		                                      : s->operation == 0  ? json_string("count")
		                                                           : json_integer(s->operation));
		json_object_set_new(req, "nonce", s->req_nonce ? hexj(s->req_nonce, FWT_SPDM_NONCE_SIZE) : json_null());
		if (s->req_ctx)
			json_object_set_new(req, "requester_context", hexj(s->req_ctx, FWT_SPDM_CONTEXT_SIZE));
		if (s->is_signed || (s->version >= 0x11 && s->req_nonce))
			json_object_set_new(req, "slot", json_integer(s->slot));
		if (s->version >= 0x13)
			json_object_set_new(req, "new_measurement_requested", json_boolean(s->new_measurement));
		json_object_set_new(o, "request", req);
		json_object_set_new(rsp, "nonce", hexj(s->rsp_nonce, FWT_SPDM_NONCE_SIZE));
		json_object_set_new(rsp, "offset", json_integer((json_int_t)s->rsp_off));
		json_object_set_new(rsp, "size", json_integer((json_int_t)s->rsp_len));
		if (s->operation == 0)
			json_object_set_new(rsp, "total_measurements", json_integer(s->total));
		if (s->version >= 0x12 && s->is_signed)
			json_object_set_new(rsp, "content_changed", json_integer(s->content_changed));
		json_object_set_new(o, "response", rsp);
		json_object_set_new(o, "exchanges", json_integer((json_int_t)s->exchanges));
		json_object_set_new(o, "vca", json_boolean(s->vca));
		if (s->has_algorithms) {
			json_t *al = json_object();
			static const char *const mh[] = { "raw_bit_stream", "sha256", "sha384", "sha512",
				                          "sha3_256", "sha3_384", "sha3_512", "sm3_256" };
			for (i = 0; i < 8 && s->meas_hash != (1u << i); i++)
				;
			json_object_set_new(al, "measurement_hash", i < 8 ? json_string(mh[i]) : json_null());
			json_object_set_new(al, "base_asym", json_string(asym_name(s->base_asym)));
			for (i = 0; i < 7 && s->base_hash != (1u << i); i++)
				;
			json_object_set_new(al, "base_hash", i < 7 ? json_string(mh[i + 1]) : json_null());
			json_object_set_new(al, "measurement_specification", json_integer(s->meas_spec));
			json_object_set_new(o, "algorithms", al);
			/* 1.0/1.1 sign only the measurement messages (L1/L2): the
			 * ALGORITHMS before them, and the block "alg" labels taken
			 * from it, are not covered by the signature */
			json_object_set_new(o, "algorithms_signed", json_boolean(s->is_signed && s->version >= 0x12));
		}
		if (s->opaque_len) {
			json_t *op = json_object(), *t;
			json_object_set_new(op, "size", json_integer((json_int_t)s->opaque_len));
			json_object_set_new(op, "hex", hexj(s->opaque, s->opaque_len));
			if ((t = nvidia_tlvs(s->opaque, s->opaque_len)) != NULL)
				json_object_set_new(op, "nvidia", t);
			else if ((t = general_opaque(s->opaque, s->opaque_len)) != NULL)
				json_object_set_new(op, "elements", t);
			json_object_set_new(o, "opaque", op);
		} else {
			json_object_set_new(o, "opaque", json_null());
		}
		json_object_set_new(o, "signature", s->is_signed ? hexj(s->sig, s->sig_len) : json_null());
		for (i = 0; i < s->nmsg; i++)
			json_array_append_new(m, json_pack("{s:s,s:I,s:I}", "code", code_name(s->msg[i].code), "offset",
			                                   (json_int_t)s->msg[i].off, "size", (json_int_t)s->msg[i].len));
		json_object_set_new(o, "messages", m);
	}
	*out = o;
	return FWT_OK;
}

/* ---- verification ---- */

/* The signature algorithm for the leaf key, the negotiated algorithms and
 * the signature size. */
static fwt_err pick_alg(fwt_ctx *ctx, const fwt_spdm *s, const fwt_pubkey *k, fwt_sig_alg *out)
{
	fwt_key_type kt = fwt_pubkey_type(k);
	fwt_digest_alg h = s->has_algorithms ? base_hash_alg(s->base_hash) : 0;
	uint32_t want = 0;
	fwt_sig_alg alg = FWT_SIG_NONE;

	switch (kt) {
	case FWT_KEY_EC_P256: alg = FWT_SIG_ES256; want = ASYM_ECDSA_P256; break;
	case FWT_KEY_EC_P384: alg = FWT_SIG_ES384; want = ASYM_ECDSA_P384; break;
	case FWT_KEY_EC_P521: alg = FWT_SIG_ES512; want = ASYM_ECDSA_P521; break;
	case FWT_KEY_RSA:
		want = fwt_pubkey_bits(k) == 2048 ? ASYM_RSAPSS_2048 : fwt_pubkey_bits(k) == 3072 ? ASYM_RSAPSS_3072
		       : fwt_pubkey_bits(k) == 4096                  ? ASYM_RSAPSS_4096
		                                                     : 0;
		if (!s->has_algorithms)
			return fwt__error(ctx, FWT_EUNSUPPORTED,
			                  "an RSA key, but the transcript has no ALGORITHMS to say which RSA scheme and hash");
		if (s->base_asym & (ASYM_RSASSA_2048 | ASYM_RSASSA_3072 | ASYM_RSASSA_4096))
			return fwt__error(ctx, FWT_EUNSUPPORTED, "RSASSA-PKCS1-v1_5 SPDM signatures are not supported");
		alg = h == FWT_DIGEST_SHA256 ? FWT_SIG_PS256 : h == FWT_DIGEST_SHA384 ? FWT_SIG_PS384
		      : h == FWT_DIGEST_SHA512                                        ? FWT_SIG_PS512
		                                                                      : FWT_SIG_NONE;
		break;
	default:
		return fwt__error(ctx, FWT_EUNSUPPORTED, "the leaf certificate's key (%s) is not one SPDM verification "
		                  "supports", fwt_pubkey_describe(k));
	}
	if (s->has_algorithms) {
		if (!want || s->base_asym != want)
			return fwt__error(ctx, FWT_EVERIFY, "the leaf certificate's key is %s, but the responder signs with %s",
			                  fwt_pubkey_describe(k), asym_name(s->base_asym));
		if (!h)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "BaseHashSel 0x%08x is not supported", s->base_hash);
		if (fwt_sig_alg_is_ecdsa(alg) && fwt_sig_alg_digest(alg) != h)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "%s with %s is not supported", fwt_sig_alg_name(alg),
			                  fwt_digest_name(h));
	}
	if (alg == FWT_SIG_NONE)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "no signature algorithm fits the key and the transcript");
	/* without ALGORITHMS the parser took the rest of the transcript as the
	 * signature: longer than the leaf key's signatures, it is one followed
	 * by trailing bytes (a signed response ends the transcript); shorter,
	 * it is another signer's, a "no"; with ALGORITHMS the size was checked
	 * against BaseAsymSel, which names the leaf's key type here */
	if (fwt_sig_alg_is_ecdsa(alg) && s->sig_len > fwt_sig_alg_ecdsa_size(alg) && !s->has_algorithms)
		return fwt__error(ctx, FWT_EFORMAT, "offset %zu: %zu bytes after the signature (an %s signature by the "
		                  "leaf certificate's %s key is %zu bytes, and a signed response ends the transcript)",
		                  s->sig_off + fwt_sig_alg_ecdsa_size(alg), s->sig_len - fwt_sig_alg_ecdsa_size(alg),
		                  fwt_sig_alg_name(alg), fwt_pubkey_describe(k), fwt_sig_alg_ecdsa_size(alg));
	if (fwt_sig_alg_is_ecdsa(alg) && s->sig_len != fwt_sig_alg_ecdsa_size(alg) && !s->has_algorithms)
		return fwt__error(ctx, FWT_EVERIFY, "the signature is not by the leaf certificate's key: it is %zu bytes, "
		                  "and an %s signature by its %s key is %zu", s->sig_len, fwt_sig_alg_name(alg),
		                  fwt_pubkey_describe(k), fwt_sig_alg_ecdsa_size(alg));
	if (fwt_sig_alg_is_ecdsa(alg) && s->sig_len != fwt_sig_alg_ecdsa_size(alg))
		return fwt__error(ctx, FWT_EFORMAT, "the %zu-byte signature is not an %s signature (%zu bytes)", s->sig_len,
		                  fwt_sig_alg_name(alg), fwt_sig_alg_ecdsa_size(alg));
	if (!fwt_sig_alg_is_ecdsa(alg) && s->sig_len != fwt_pubkey_bits(k) / 8)
		return fwt__error(ctx, FWT_EFORMAT, "the %zu-byte signature does not fit the %u-bit RSA key", s->sig_len,
		                  fwt_pubkey_bits(k));
	*out = alg;
	return FWT_OK;
}

static const char sign_context[] = "responder-measurements signing";

/* A certificate whose basicConstraints say cA. */
static int is_ca(const fwt_pubkey *k)
{
	X509 *x = fwt__pubkey_x509(k);
	return x && (X509_get_extension_flags(x) & EXFLAG_CA);
}

/* The leaf of the chain: the first certificate (leaf first, as NVIDIA's
 * tools write it), or the last when the first is a CA and the last is not
 * (DSP0274's certificate chain format and GET_CERTIFICATE: root first). */
static size_t leaf_index(const fwt_spdm_verify_options *o)
{
	return o->chain_len > 1 && is_ca(o->chain[0]) && !is_ca(o->chain[o->chain_len - 1]) ? o->chain_len - 1 : 0;
}

/* A "no" with a CA as the leaf: say what the chain's order should be. */
static fwt_err ca_leaf_hint(fwt_ctx *ctx, fwt_err err, const fwt_pubkey *leaf)
{
	char msg[768];

	if (err != FWT_EVERIFY || !is_ca(leaf))
		return err;
	snprintf(msg, sizeof(msg), "%s", fwt_ctx_errmsg(ctx));
	return fwt__error(ctx, FWT_EVERIFY, "%s (the first certificate is a CA: give the leaf first, or the chain in "
	                  "DSP0274 order, root first and leaf last)", msg);
}

/* The chain with its leaf first, as chain validation takes it. */
static fwt_err validate_chain(fwt_ctx *ctx, const fwt_spdm_verify_options *o, size_t leaf, fwt_trust_path *path)
{
	fwt_pubkey **ord;
	size_t i;
	fwt_err err;

	if (!leaf)
		return fwt__trust_verify_chain_ee(ctx, o->trust, o->chain, o->chain_len, o->at, path);
	ord = malloc(o->chain_len * sizeof(*ord));
	if (!ord)
		return fwt__enomem(ctx);
	ord[0] = o->chain[leaf];
	for (i = 0; i < leaf; i++)
		ord[i + 1] = o->chain[i];
	err = fwt__trust_verify_chain_ee(ctx, o->trust, ord, o->chain_len, o->at, path);
	free(ord);
	return err;
}

fwt_err fwt_spdm_check_state(fwt_ctx *ctx, const fwt_spdm *s)
{
	if (!s)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_spdm_check_state");
	if (s->source != FWT_SPDM_TRANSCRIPT)
		return FWT_OK;
	if (s->new_measurement)
		return fwt__error(ctx, FWT_EVERIFY, "measurements of pending firmware, not of the running state: a "
		                  "GET_MEASUREMENTS request sets NewMeasurementRequested, which asks for the measurements "
		                  "that take effect at the next reset");
	/* 01b in the last, signed response: the records of the earlier
	 * responses changed after they were read; with one exchange there is
	 * no earlier response it could be about */
	if (s->version >= 0x12 && s->is_signed && s->exchanges > 1 && s->content_changed == CONTENT_CHANGED)
		return fwt__error(ctx, FWT_EVERIFY,
		                  "the responder detected measurement changes during the transcript: measure again");
	return FWT_OK;
}

fwt_err fwt_spdm_verify(fwt_ctx *ctx, const fwt_spdm *s, const fwt_spdm_verify_options *o, fwt_spdm_verdict *vd)
{
	fwt_spdm_verdict local;
	fwt_trust_path *path;
	const fwt_pubkey *leaf;
	const unsigned char *l1l2;
	size_t l1l2_len;
	unsigned ver;
	fwt_err err;

	if (!vd)
		vd = &local;
	memset(vd, 0, sizeof(*vd));
	if (!s || !o)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to SPDM verification");
	if ((err = fwt__opts_version(ctx, "SPDM verify", o->version, FWT_SPDM_VERIFY_OPTIONS_VERSION, &ver)))
		return err;
	if (!o->chain || !o->chain_len)
		return fwt__error(ctx, FWT_EINVAL, "no certificate chain to verify SPDM evidence with");
	path = ver >= 2 ? o->path : NULL; /* version 1 has no path member */
	if (path)
		path->n = 0;
	vd->leaf_index = leaf_index(o);
	leaf = o->chain[vd->leaf_index];
	if (fwt_pubkey_cert_subject(leaf))
		snprintf(vd->signer, sizeof(vd->signer), "%s", fwt_pubkey_cert_subject(leaf));
	if (s->source != FWT_SPDM_TRANSCRIPT)
		return fwt__error(ctx, FWT_EVERIFY, "unauthenticated: a Redfish %s carries no signed transcript",
		                  s->source == FWT_SPDM_REDFISH_COMPONENT ? "ComponentIntegrity resource" : "request");
	if (!s->is_signed)
		return fwt__error(ctx, FWT_EVERIFY,
		                  "unauthenticated: the last GET_MEASUREMENTS request did not ask for a signature");
	if (o->nonce) {
		if (CRYPTO_memcmp(o->nonce, s->req_nonce, FWT_SPDM_NONCE_SIZE)) {
			char h[2 * FWT_SPDM_NONCE_SIZE + 1];
			fwt_hex_encode(h, s->req_nonce, FWT_SPDM_NONCE_SIZE);
			return fwt__error(ctx, FWT_EVERIFY, "stale evidence: the request's nonce %s is not the one expected", h);
		}
		vd->nonce_checked = 1;
	}
	err = pick_alg(ctx, s, leaf, &vd->alg);
	if (err)
		return ca_leaf_hint(ctx, err, leaf);
	if (s->version >= 0x12) {
		/* M = combined prefix (4 x "dmtf-spdm-v1.N.*", zero padding, context)
		 * || H(L1/L2), where L1/L2 runs from the start of the VCA */
		unsigned char m[100 + FWT_DIGEST_MAX];
		fwt_digest_alg h = s->has_algorithms ? base_hash_alg(s->base_hash) : fwt_sig_alg_digest(vd->alg);
		size_t i, clen = sizeof(sign_context) - 1;
		for (i = 0; i < 4; i++) {
			memcpy(m + 16 * i, "dmtf-spdm-v1.0.*", 16);
			m[16 * i + 11] = (unsigned char)('0' + (s->version >> 4));
			m[16 * i + 13] = (unsigned char)('0' + (s->version & 15));
		}
		memset(m + 64, 0, 36 - clen);
		memcpy(m + 100 - clen, sign_context, clen);
		err = fwt_digest_oneshot(ctx, h, s->buf, s->sig_off, m + 100);
		if (err)
			return err;
		vd->prefixed = 1;
		err = fwt_sig_verify(ctx, leaf, vd->alg, FWT_SIG_RAW, m, 100 + fwt_digest_size(h), s->sig, s->sig_len);
	} else {
		/* 1.0/1.1: L1/L2 is the GET_MEASUREMENTS and MEASUREMENTS messages */
		l1l2 = s->buf + s->first_meas_off;
		l1l2_len = s->sig_off - s->first_meas_off;
		err = fwt_sig_verify(ctx, leaf, vd->alg, FWT_SIG_RAW, l1l2, l1l2_len, s->sig, s->sig_len);
	}
	if (err == FWT_EVERIFY)
		return ca_leaf_hint(ctx, fwt__error(ctx, FWT_EVERIFY, "the %s signature of the measurements does not verify "
		                                    "with %s", fwt_sig_alg_name(vd->alg),
		                                    vd->signer[0] ? vd->signer : fwt_pubkey_name(leaf)), leaf);
	if (err)
		return err;
	if (o->trust) {
		err = validate_chain(ctx, o, vd->leaf_index, path);
		if (err)
			return err;
		vd->chain_checked = 1;
	}
	/* signed and fresh, but perhaps not a reading of the running state */
	return fwt_spdm_check_state(ctx, s);
}
