/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/spdm.h - SPDM GET_MEASUREMENTS transcripts (DSP0274 1.0-1.3) and
 * Redfish ComponentIntegrity measurements: parsing, measurement blocks, and
 * signature verification over the transcript. */
#ifndef FWTRAIL_SPDM_H
#define FWTRAIL_SPDM_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>
#include <fwtrail/digest.h>
#include <fwtrail/sig.h>
#include <fwtrail/trust.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWT_SPDM_MAX_INPUT (16u * 1024u * 1024u) /* bytes, whatever the encoding */
#define FWT_SPDM_MAX_MESSAGES 64                 /* messages in one transcript */
#define FWT_SPDM_NONCE_SIZE 32
#define FWT_SPDM_CONTEXT_SIZE 8                  /* RequesterContext (1.3) */

/* DMTF measurement value types (DSP0274 "DMTFSpecMeasurementValueType",
 * bits 6:0). */
enum {
	FWT_SPDM_IMMUTABLE_ROM = 0,
	FWT_SPDM_MUTABLE_FIRMWARE = 1,
	FWT_SPDM_HARDWARE_CONFIG = 2,
	FWT_SPDM_FIRMWARE_CONFIG = 3,
	FWT_SPDM_MEASUREMENT_MANIFEST = 4,
	FWT_SPDM_DEVICE_MODE = 5,
	FWT_SPDM_VERSION = 6,
	FWT_SPDM_SVN = 7,
	FWT_SPDM_HASH_EXTEND = 8,
	FWT_SPDM_INFORMATIONAL = 9,
	FWT_SPDM_STRUCTURED_MANIFEST = 10
};
/* "immutable_rom", "mutable_firmware", ... (NULL for a value DSP0274 does
 * not name). */
const char *fwt_spdm_type_name(int type);

/* Where the measurements came from. */
typedef enum fwt_spdm_source {
	FWT_SPDM_TRANSCRIPT = 1,           /* SPDM messages: binary, hex text, or the base64
	                                    * SignedMeasurements of a Redfish response */
	FWT_SPDM_REDFISH_COMPONENT = 2,    /* a Redfish ComponentIntegrity resource (unsigned) */
	FWT_SPDM_REDFISH_REQUEST = 3       /* a Redfish SPDMGetSignedMeasurements request */
} fwt_spdm_source;

/* One measurement block (pointers borrowed from the fwt_spdm). */
typedef struct fwt_spdm_block {
	unsigned index;                 /* 1..254 */
	unsigned spec;                  /* MeasurementSpecification: 1 for DMTF */
	int type;                       /* DMTF value type 0..127, -1 when not given (Redfish) */
	int raw;                        /* 1: raw bit stream ("value"); 0: a digest */
	fwt_digest_alg alg;             /* the digest's algorithm when known, else 0 */
	const unsigned char *value;
	size_t size;
	size_t response;                /* which MEASUREMENTS response, from 0 */
} fwt_spdm_block;

typedef struct fwt_spdm fwt_spdm;

/*
 * Parse SPDM evidence.  The encoding is recognised: JSON (a Redfish
 * ComponentIntegrity resource, an SPDMGetSignedMeasurements response whose
 * SignedMeasurements is base64, or such a request), hex text (whitespace
 * allowed), or binary.  A transcript is a sequence of SPDM messages: an
 * optional VCA (GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS and their
 * responses), then GET_MEASUREMENTS requests each followed by its MEASUREMENTS
 * response; only the last response may be signed, and its signature ends the
 * input.  Every length is bounded by what is left; record, block, operation
 * (DSP0274 Table "measurement operation"), slot, nonce-context and version
 * inconsistencies are FWT_EFORMAT with the byte offset (or JSON path); other
 * SPDM messages are FWT_EUNSUPPORTED.  name labels messages.
 */
fwt_err fwt_spdm_parse(fwt_ctx *ctx, fwt_spdm **out, const void *buf, size_t len, const char *name);
fwt_err fwt_spdm_load(fwt_ctx *ctx, fwt_spdm **out, const char *path);
/* The same for an open file descriptor read to its end (at most
 * FWT_SPDM_MAX_INPUT bytes), labelled name; fd stays open. */
fwt_err fwt_spdm_load_fd(fwt_ctx *ctx, fwt_spdm **out, int fd, const char *name);
void fwt_spdm_free(fwt_spdm *s);

fwt_spdm_source fwt_spdm_get_source(const fwt_spdm *s);
/* The SPDM version as 0x10..0x13 (0 when the source does not say). */
unsigned fwt_spdm_version(const fwt_spdm *s);
/* 1 when the last MEASUREMENTS response carries a signature. */
int fwt_spdm_is_signed(const fwt_spdm *s);
size_t fwt_spdm_block_count(const fwt_spdm *s);
fwt_err fwt_spdm_block_get(const fwt_spdm *s, size_t i, fwt_spdm_block *out);
/* The nonce of the last (signed) GET_MEASUREMENTS request, or of a Redfish
 * request; NULL when there is none.  32 bytes, borrowed. */
const unsigned char *fwt_spdm_requester_nonce(const fwt_spdm *s);
const unsigned char *fwt_spdm_responder_nonce(const fwt_spdm *s);
/* The opaque data of the last response (borrowed; *len 0 when none). */
const unsigned char *fwt_spdm_opaque(const fwt_spdm *s, size_t *len);

/* Everything parsed, as `fwtrail spdm show --json` prints it ("source",
 * "version", "signed", "request", "response", "algorithms" and
 * "algorithms_signed" (false for 1.0/1.1, whose signature does not cover the
 * VCA, and for unsigned transcripts), for 1.3+ "request"
 * "new_measurement_requested" (true when any GET_MEASUREMENTS request of the
 * transcript sets it), for a signed 1.2+ transcript "response"
 * "content_changed" (MEASUREMENTS Param2 bits 5:4), "exchanges", "blocks" with
 * "index", "type", "digest" or "value", "opaque" with NVIDIA's TLVs decoded
 * when the opaque data is made of them, "signature", "messages").  The caller
 * json_decref()s it. */
fwt_err fwt_spdm_to_json(const fwt_spdm *s, json_t **out);

#define FWT_SPDM_VERIFY_OPTIONS_VERSION 2
typedef struct fwt_spdm_verify_options {
	unsigned version;               /* FWT_SPDM_VERIFY_OPTIONS_VERSION (1: without path) */
	fwt_pubkey *const *chain;       /* the responder's chain (required): leaf first, or
	                                 * root first and leaf last (DSP0274 order), taken so
	                                 * when the first is a CA and the last is not */
	size_t chain_len;
	fwt_trust *trust;               /* NULL: the chain is not validated */
	int64_t at;                     /* validation time (0: now) */
	const unsigned char *nonce;     /* 32 bytes: the requester nonce expected, or NULL */
	fwt_trust_path *path;           /* out, or NULL: when the chain was validated, the
	                                 * path it validated along, leaf to anchor, by key
	                                 * fingerprint (path->n 0 otherwise, or when too
	                                 * long to hold); certificates given with the chain
	                                 * but not on it are not there */
} fwt_spdm_verify_options;
#define FWT_SPDM_VERIFY_OPTIONS_INIT { FWT_SPDM_VERIFY_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, NULL }

/* What verification found (filled as far as it got). */
typedef struct fwt_spdm_verdict {
	fwt_sig_alg alg;                /* the signature algorithm used */
	int prefixed;                   /* 1.2+ signing context prefix applied */
	int chain_checked;              /* the chain was validated against the trust store */
	int nonce_checked;              /* the requester nonce equals opts->nonce */
	char signer[256];               /* the leaf certificate's subject */
	size_t leaf_index;              /* the leaf's place in opts->chain (0, or the last) */
} fwt_spdm_verdict;

/*
 * Whether the measurements are one reading of the device's running state:
 * FWT_OK, or FWT_EVERIFY with the reason when a 1.3+ GET_MEASUREMENTS
 * request of the transcript sets NewMeasurementRequested (it asks for the
 * measurements of the firmware that takes effect at the next reset), or
 * when the last, signed MEASUREMENTS of a transcript with more than one
 * GET_MEASUREMENTS exchange reports ContentChanged 01b (the responder
 * detected changes during the transcript: the earlier responses no longer
 * describe it; with one exchange it is allowed).  Redfish evidence says
 * neither: FWT_OK.
 */
fwt_err fwt_spdm_check_state(fwt_ctx *ctx, const fwt_spdm *s) FWT_MUST_CHECK;

/*
 * Verify the last MEASUREMENTS response's signature over the transcript (L1/L2:
 * the measurement messages for 1.0/1.1; the VCA too for 1.2+, where the signed
 * message is the "dmtf-spdm-v1.x.*" combined prefix, the "responder-measurements
 * signing" context and the hash of L1/L2) with the leaf of opts->chain, through
 * fwt_sig_verify.  Validates the chain against opts->trust when given and the
 * requester nonce against opts->nonce when given; then fwt_spdm_check_state.
 * FWT_OK, or FWT_EVERIFY with the reason: unsigned ("unauthenticated")
 * evidence, a stale nonce, a key that does not fit the negotiated algorithm,
 * a bad signature, an untrusted chain, measurements that are not of the
 * running state (the verdict is then filled: the signature verified); with
 * a CA as the leaf, the message says to give the leaf first.
 */
fwt_err fwt_spdm_verify(fwt_ctx *ctx, const fwt_spdm *s, const fwt_spdm_verify_options *opts,
                        fwt_spdm_verdict *verdict) FWT_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
