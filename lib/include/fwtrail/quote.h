/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/quote.h - TPM 2.0 quotes: the signed TPMS_ATTEST and the
 * TPMT_SIGNATURE tpm2_quote writes (-m, -s), and their check against PCR
 * values replayed from an event log (RELIABILITY E6). */
#ifndef FWTRAIL_QUOTE_H
#define FWTRAIL_QUOTE_H

#include <stddef.h>
#include <stdint.h>
#include <fwtrail/ctx.h>
#include <fwtrail/digest.h>
#include <fwtrail/eventlog.h>
#include <fwtrail/sig.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWT_TPM_GENERATED_VALUE 0xff544347u /* TPMS_ATTEST.magic */
#define FWT_TPM_ST_ATTEST_QUOTE 0x8018u     /* TPMS_ATTEST.type of TPM2_Quote */
#define FWT_TPM_QUOTE_MAX_SIZE 4096u        /* larger message or signature files are malformed */
#define FWT_TPM_QUOTE_MAX_BANKS 8u          /* TPML_PCR_SELECTION.count */
#define FWT_TPM_SELECT_MAX 4u               /* TPMS_PCR_SELECTION.sizeofSelect (32 PCRs) */

/* TPM_ALG_ID values of signature schemes. */
#define FWT_TPM_ALG_RSASSA 0x0014u
#define FWT_TPM_ALG_RSAPSS 0x0016u
#define FWT_TPM_ALG_ECDSA 0x0018u
/* TPM_ALG_ID values of object types, and of "no scheme". */
#define FWT_TPM_ALG_RSA 0x0001u
#define FWT_TPM_ALG_ECC 0x0023u
#define FWT_TPM_ALG_NULL 0x0010u
/* TPM_ECC_CURVE values fwtrail reads. */
#define FWT_TPM_ECC_NIST_P256 0x0003u
#define FWT_TPM_ECC_NIST_P384 0x0004u
/* TPMA_OBJECT bits an attestation key must have, or must not (decrypt). */
#define FWT_TPMA_OBJECT_FIXEDTPM 0x00000002u
#define FWT_TPMA_OBJECT_RESTRICTED 0x00010000u
#define FWT_TPMA_OBJECT_DECRYPT 0x00020000u
#define FWT_TPMA_OBJECT_SIGN 0x00040000u
#define FWT_TPM_PUBLIC_MAX_SIZE 4096u /* a larger TPM2B_PUBLIC or TPMT_PUBLIC is malformed */

/* One TPMS_PCR_SELECTION. */
typedef struct fwt_tpm_pcr_selection {
	unsigned hash_id;        /* TPM_ALG_ID */
	fwt_digest_alg alg;      /* 0 when fwtrail does not know the hash */
	unsigned size_of_select; /* 0..FWT_TPM_SELECT_MAX */
	uint32_t mask;           /* bit n: PCR n */
} fwt_tpm_pcr_selection;

/* A TPMS_ATTEST.  Fields after "type" that only a quote has are valid when
 * is_quote is 1 (type == FWT_TPM_ST_ATTEST_QUOTE). */
typedef struct fwt_tpm_attest {
	uint32_t magic;
	unsigned type;
	unsigned char signer[66];  /* qualifiedSigner (TPM2B_NAME) */
	size_t signer_len;
	unsigned char extra[64];   /* extraData (TPM2B_DATA): the nonce */
	size_t extra_len;
	uint64_t clock;            /* TPMS_CLOCK_INFO */
	uint32_t reset_count, restart_count;
	int safe;
	uint64_t firmware_version;
	int is_quote;
	size_t n_sel;              /* TPMS_QUOTE_INFO.pcrSelect */
	fwt_tpm_pcr_selection sel[FWT_TPM_QUOTE_MAX_BANKS];
	unsigned char pcr_digest[FWT_DIGEST_MAX];
	size_t pcr_digest_len;
} fwt_tpm_attest;

/*
 * Parse the TPMS_ATTEST of `tpm2_quote -m`.  Strict and bounded: every size
 * is checked against the bytes left and the structure's maximum, safe must be
 * 0 or 1, and nothing may follow the structure.  A type other than a quote
 * is not an error here (is_quote 0, the rest unread): fwt_tpm_quote_verify
 * says no.  FWT_EFORMAT with the byte offset of the first problem.
 */
fwt_err fwt_tpm_attest_parse(fwt_ctx *ctx, const void *buf, size_t len, fwt_tpm_attest *out);

/* A TPMT_SIGNATURE (tpm2_quote -s, the default "tss" format). */
typedef struct fwt_tpm_signature {
	unsigned sig_alg;          /* FWT_TPM_ALG_RSASSA, _RSAPSS or _ECDSA */
	unsigned hash_id;          /* TPM_ALG_ID of the scheme's hash */
	fwt_digest_alg hash;       /* 0 when fwtrail does not know it */
	unsigned char r[66], s[66];/* ECDSA, as given (TPM2B_ECC_PARAMETER) */
	size_t r_len, s_len;
	unsigned char rsa[512];    /* RSASSA / RSAPSS (TPM2B_PUBLIC_KEY_RSA) */
	size_t rsa_len;
} fwt_tpm_signature;

/* FWT_EFORMAT with the byte offset; FWT_EUNSUPPORTED for a scheme other than
 * RSASSA, RSAPSS and ECDSA (whose layout fwtrail does not read). */
fwt_err fwt_tpm_signature_parse(fwt_ctx *ctx, const void *buf, size_t len, fwt_tpm_signature *out);

/* The public area of a TPM key (TPMT_PUBLIC): what the TPM says of it
 * besides the key itself. */
typedef struct fwt_tpm_public {
	unsigned type;           /* FWT_TPM_ALG_ECC or FWT_TPM_ALG_RSA */
	int sized;               /* 1: read as a TPM2B_PUBLIC, 0: a bare TPMT_PUBLIC */
	unsigned name_alg;       /* TPM_ALG_ID */
	uint32_t attributes;     /* objectAttributes (TPMA_OBJECT) */
	unsigned scheme;         /* the key's signing scheme, FWT_TPM_ALG_NULL when it names none */
	unsigned scheme_hash;    /* TPM_ALG_ID of its hash (0 with FWT_TPM_ALG_NULL) */
	unsigned curve;          /* ECC: TPM_ECC_CURVE */
	unsigned bits;           /* the key's size in bits */
	unsigned char fp[32];    /* SHA-256 of the key's SubjectPublicKeyInfo (its fingerprint) */
} fwt_tpm_public;

/*
 * Parse the public area of a TPM key as tpm2_createak -u, tpm2_create -u
 * and tpm2_readpublic -o write it: a TPM2B_PUBLIC (the default "tss"
 * format: a 16-bit size, then a TPMT_PUBLIC) or, when the first two bytes
 * are an object type, a bare TPMT_PUBLIC (tpm2_readpublic -f tpmt).  ECC
 * keys on NIST P-256 or P-384 and RSA keys of 2048, 3072 or 4096 bits
 * (exponent 0 meaning 65537).  Strict and bounded: every size is checked
 * against the bytes left and the field's maximum, nothing may follow, and
 * the key must be a valid public key.  *out (a new public key, named name)
 * and pub are set on FWT_OK.  FWT_EFORMAT with the byte offset of the first
 * problem; FWT_EUNSUPPORTED for another object type, curve, key size,
 * scheme, symmetric algorithm or KDF.
 */
fwt_err fwt_tpm_public_parse(fwt_ctx *ctx, fwt_pubkey **out, fwt_tpm_public *pub, const void *buf, size_t len,
                             const char *name);

/*
 * Load an attestation key from a file: its TPM public area as
 * fwt_tpm_public_parse reads it (a file whose first byte is 0x00 to 0x02,
 * which no PEM, DER or JSON key begins with), else as fwt_pubkey_load
 * (PEM or DER public key or certificate, JWK).  pub->type is 0 when the
 * file was not a TPM public area (the key's attributes are then unknown).
 */
fwt_err fwt_tpm_ak_load(fwt_ctx *ctx, fwt_pubkey **out, fwt_tpm_public *pub, const char *path);

/* What failed (first failure in the order checked). */
typedef enum fwt_quote_check {
	FWT_QUOTE_OK = 0,
	FWT_QUOTE_SIGNATURE, /* not signed by the AK */
	FWT_QUOTE_MAGIC,     /* magic is not TPM_GENERATED_VALUE: not made by a TPM */
	FWT_QUOTE_TYPE,      /* not a TPM2_Quote attestation */
	FWT_QUOTE_NONCE,     /* extraData is not the nonce: a replayed quote */
	FWT_QUOTE_SELECTION, /* a PCR needed lies outside the signed selection */
	FWT_QUOTE_BANK,      /* the quote selects a bank the replay lacks */
	FWT_QUOTE_DIGEST,    /* pcrDigest differs from the replayed values */
	FWT_QUOTE_AK         /* the AK does not vouch: its certificate (dates,
	                      * key usage, a device identity), or its TPM
	                      * public area (not a restricted signing key
	                      * fixed to its TPM, or of another scheme than
	                      * the signature's); checked right after the
	                      * signature */
} fwt_quote_check;

/* "signature", "magic", "type", "nonce", "selection", "bank", "digest",
 * "ak" ("ok" for FWT_QUOTE_OK). */
const char *fwt_quote_check_name(fwt_quote_check c);

#define FWT_QUOTE_OPTIONS_VERSION 3
typedef struct fwt_quote_options {
	unsigned version;            /* FWT_QUOTE_OPTIONS_VERSION (1: without need_extended,
	                              * 2: without ak_public) */
	const unsigned char *nonce;  /* expected extraData; NULL: not checked */
	size_t nonce_len;
	/* PCRs the caller decides on: each must lie inside the signed selection
	 * of every bank in banks, or (banks 0) of at least one bank; and every
	 * bank in banks must have a PCR selected. */
	uint32_t need_pcrs;
	unsigned banks;              /* bit set of fwt_digest_alg; 0: any */
	const char *msg_name;        /* the message and signature in messages */
	const char *sig_name;        /* (NULL: "quote", "signature") */
	/* 1: the quote vouches for the whole log, so the PCRs needed in a bank
	 * are also PCRs 0 to 7 (the firmware's, which a log stripped of their
	 * events would otherwise leave unchecked) and every PCR the replay
	 * pcrs extends in that bank (fwt_pcrs_selected).  0: need_pcrs only. */
	int need_extended;
	/* The AK's TPM public area (fwt_tpm_public_parse or fwt_tpm_ak_load),
	 * of the same key as ak; NULL: the AK's attributes are not known, and
	 * not checked (a PEM key, certificate or JWK cannot tell). */
	const fwt_tpm_public *ak_public;
} fwt_quote_options;
#define FWT_QUOTE_OPTIONS_INIT { FWT_QUOTE_OPTIONS_VERSION, NULL, 0, 0, 0, NULL, NULL, 0, NULL }

typedef struct fwt_quote_result {
	fwt_quote_check failed;      /* FWT_QUOTE_OK when the quote verified */
	fwt_sig_alg alg;             /* the signature algorithm used */
	unsigned char ak_fp[32];     /* SHA-256 of the AK's SubjectPublicKeyInfo */
	int nonce_checked;
	unsigned banks;              /* banks the quote selects (fwt_digest_alg bits) */
	uint32_t pcrs[FWT_TPM_QUOTE_MAX_BANKS]; /* PCRs selected, per entry of attest.sel */
	unsigned char digest[FWT_DIGEST_MAX];   /* pcrDigest recomputed from the replay */
	size_t digest_len;
	fwt_tpm_attest attest;       /* the parsed message */
	/* 1: opts->ak_public shows a restricted signing key (sign and
	 * restricted set, decrypt clear) fixed to its TPM (fixedTPM); 0: it
	 * does not; -1: no ak_public, so not known */
	int ak_restricted;
	uint32_t ak_attributes;      /* its objectAttributes (0 without ak_public) */
} fwt_quote_result;

/*
 * Verify a quote: msg (TPMS_ATTEST, as received) and sig (TPMT_SIGNATURE)
 * against the attestation key ak and the replayed PCR values pcrs.  In this
 * order: the signature over msg with ak (ECDSA P-256/SHA-256 as ES256,
 * P-384/SHA-384 as ES384; RSA-PSS SHA-256/384 as PS256/PS384 with salt =
 * hash length; RSASSA-PKCS1-v1_5 SHA-256/384), then the AK: with
 * opts->ak_public a restricted signing key fixed to its TPM, whose scheme,
 * when it names one, is the signature's scheme and hash (the magic proves
 * the TPM made the message only when a restricted key signed it: any other
 * TPM signing key signs any digest); an AK that is a certificate by
 * fwt_trust_check_key at the current time; then magic, type, nonce
 * (when opts->nonce), the coverage of opts->banks and opts->need_pcrs
 * (and with opts->need_extended of PCRs 0-7 and the PCRs pcrs extends),
 * and pcrDigest = H(the selected PCR values of pcrs, banks in list order,
 * PCRs ascending) with the signature's hash.  A selected PCR the log never extends counts
 * with its reset value, as the replay holds it.  A quote whose selection
 * is empty vouches for nothing: always FWT_EVERIFY (FWT_QUOTE_SELECTION).
 * Returns FWT_OK; FWT_EVERIFY with res->failed and a message naming what
 * failed; FWT_EFORMAT (malformed msg or sig, with the byte offset);
 * FWT_EUNSUPPORTED (a scheme, hash, curve or PCR index fwtrail cannot check);
 * FWT_EINVAL when opts->ak_public is of another key than ak.
 */
fwt_err fwt_tpm_quote_verify(fwt_ctx *ctx, const void *msg, size_t msglen, const void *sig, size_t siglen,
                             const fwt_pubkey *ak, const fwt_pcrs *pcrs, const fwt_quote_options *opts,
                             fwt_quote_result *res) FWT_MUST_CHECK;

/*
 * The (bank, PCR) pairs the quote of res signs (its pcrSelect), for
 * fwt_pcrs_compare_scope.  res must come from a fwt_tpm_quote_verify that
 * returned FWT_OK: FWT_EINVAL otherwise (an unverified selection is no one's
 * signed statement).  FWT_EUNSUPPORTED for a selected bank fwtrail does not
 * know or a PCR above 23.
 */
fwt_err fwt_tpm_quote_scope(const fwt_quote_result *res, fwt_pcr_scope *out) FWT_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
