/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/sigfile.h - detached signature files over firmware: making them
 * (many files per call: each hashed once, signed on several sessions or
 * cores, written atomically) and verifying them.
 *
 * Formats:
 *   raw  the bare signature: DER ECDSA-Sig-Value (ES384, ES512) or the
 *        RSASSA-PSS block (PS384, PS512), as `openssl dgst -verify` takes;
 *   cms  detached CMS SignedData (RFC 5652) with signed attributes
 *        (contentType, messageDigest) and the signer's certificate, as
 *        `openssl cms -verify -binary -inform DER -content FILE` takes.
 * The algorithm follows from the key: P-384 ES384, P-521 ES512, RSA-3072
 * PS384, RSA-4096 PS512 (SHA-384/512, MGF1 with the same hash, salt = hash
 * length).  Signing refuses any other key with FWT_EUNSUPPORTED. */
#ifndef FWTRAIL_SIGFILE_H
#define FWTRAIL_SIGFILE_H

#include <stddef.h>
#include <stdint.h>
#include <fwtrail/ctx.h>
#include <fwtrail/digest.h>
#include <fwtrail/io.h>
#include <fwtrail/key.h>
#include <fwtrail/sig.h>
#include <fwtrail/trust.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fwt_sigfile_format {
	FWT_SIGFILE_AUTO = 0, /* verification: tell from the bytes */
	FWT_SIGFILE_RAW,
	FWT_SIGFILE_CMS,
	FWT_SIGFILE_COSE      /* detached COSE_Sign1 (RFC 9052): protected {alg, kid}, payload nil */
} fwt_sigfile_format;

/* "raw", "cms", "cose" (NULL for others). */
const char *fwt_sigfile_format_name(fwt_sigfile_format f);
/* FWT_EUNSUPPORTED for an unknown name. */
fwt_err fwt_sigfile_format_from_name(const char *name, fwt_sigfile_format *out);
/* Default file name suffix: ".sig", ".p7s", ".cose". */
const char *fwt_sigfile_suffix(fwt_sigfile_format f);

/*
 * Can k make fmt signatures?  FWT_EUNSUPPORTED for a key outside the four
 * algorithms above, FWT_ETOKEN when a token key may not sign, FWT_EINVAL
 * when cms has no certificate or cert is not k's.  cert: the signer's
 * certificate (cms only; NULL otherwise).
 */
fwt_err fwt_sigfile_check_key(fwt_ctx *ctx, fwt_key *k, fwt_sigfile_format fmt, const fwt_pubkey *cert);

/* One signature file's bytes over a digest of the key's hash (*out is
 * malloc'd).  The signature is verified with the public key first.  For
 * COSE the digest is of fwt_sigfile_cose_prefix() || content, not of the
 * content alone (the Sig_structure is what a COSE signature signs). */
fwt_err fwt_sigfile_make(fwt_ctx *ctx, fwt_key *k, fwt_sigfile_format fmt, const fwt_pubkey *cert,
                         const unsigned char *digest, size_t dlen, unsigned char **out, size_t *outlen);

/* The bytes a COSE signature by k hashes before content_len bytes of
 * content (its Sig_structure up to the payload); *out is malloc'd.  The kid
 * is the key's RFC 7638 thumbprint. */
fwt_err fwt_sigfile_cose_prefix(fwt_ctx *ctx, fwt_key *k, uint64_t content_len, unsigned char **out, size_t *outlen);

/* ---- many files ---- */

typedef struct fwt_sign_item {
	const char *input;       /* path (for messages too) */
	int fd;                  /* > 0: read this fd instead of opening input (not closed);
	                          * 0 (standard input) only when input is NULL or "-",
	                          * so that a zeroed item reads the file it names;
	                          * -1: open input */
	const char *output;      /* signature file; NULL: keep the bytes in sig */
	/* results */
	fwt_err err;             /* this item's failure, FWT_OK otherwise */
	int done;                /* the signature was made (and written when output is set) */
	uint64_t size;           /* the file's size (bytes read) */
	unsigned char digest[FWT_DIGEST_MAX]; /* the file's digest, with the key's hash: for
	                          * COSE too, whose signature covers a Sig_structure
	                          * around the file, not the file alone */
	size_t dlen;
	unsigned char *sig;      /* output == NULL: the signature file's bytes (malloc'd) */
	size_t siglen;
} fwt_sign_item;
#define FWT_SIGN_ITEM_INIT { NULL, -1, NULL, FWT_OK, 0, 0, { 0 }, 0, NULL, 0 }

#define FWT_SIGN_OPTIONS_VERSION 1
typedef struct fwt_sign_options {
	unsigned version;          /* FWT_SIGN_OPTIONS_VERSION */
	fwt_sigfile_format format; /* FWT_SIGFILE_RAW, FWT_SIGFILE_CMS or FWT_SIGFILE_COSE
	                            * (FWT_SIGFILE_AUTO, 0, is for verification only) */
	const fwt_pubkey *cert;    /* cms: the signer's certificate */
	int force;                 /* replace existing outputs */
	int follow;                /* follow a symbolic link given as input */
	unsigned jobs;             /* workers; 0: four per session the key signs on */
	const volatile int *cancel; /* stop when *cancel becomes non-zero (e.g. set by a signal handler) */
} fwt_sign_options;
#define FWT_SIGN_OPTIONS_INIT { FWT_SIGN_OPTIONS_VERSION, FWT_SIGFILE_RAW, NULL, 0, 0, 0, NULL }

/*
 * Sign n files: before any work, every output is checked (never an input,
 * never twice, not existing unless force, its folder writable); then each
 * input is read once through one descriptor and hashed (a file that
 * changes while read fails; a FIFO or device is opened once, by those
 * checks, without waiting for a writer, and its turn waits for one until
 * the batch stops or *cancel is set), the digests are signed on the key's sessions
 * or cores at once, and each signature file is written atomically.  The
 * first failure stops the batch: no new file is started, nothing half
 * written is left, items[i].done says which files were signed, and the
 * failure (the first one) is the result and the context's message.
 */
fwt_err fwt_sign_files(fwt_ctx *ctx, fwt_key *k, const fwt_sign_options *opts, fwt_sign_item *items, size_t n);
/* Free the kept signature bytes of n items. */
void fwt_sign_items_clear(fwt_sign_item *items, size_t n);

/* ---- verification ---- */

typedef struct fwt_sigfile_info {
	fwt_sigfile_format format;
	fwt_sig_alg alg;           /* the algorithm verified with */
	fwt_digest_alg digest;     /* the content's hash */
	unsigned char content_digest[FWT_DIGEST_MAX]; /* the content's (the file's) digest, in
	                            * every format: for COSE not that of the
	                            * Sig_structure the signature covers */
	int signed_attrs;          /* cms: signed attributes present */
	char signer[256];          /* cms: subject of the embedded signer certificate, or "" */
} fwt_sigfile_info;

/* Tell the format of a signature file's bytes (FWT_EFORMAT when it is
 * neither). */
fwt_err fwt_sigfile_detect(const unsigned char *sig, size_t len, fwt_sigfile_format *out);

/*
 * Verify a detached signature (bytes sig) over the content r yields, with
 * key k (its certificate, if any, is only a key here).  The format is
 * detected.  FWT_OK: valid; FWT_EVERIFY: not a signature by k over this
 * content, or a signature over the content's bytes as they are (raw, CMS
 * without signed attributes) where the content is another format's signing
 * input (what fwt_sign_files refuses to sign raw); FWT_EFORMAT: the signature file is malformed (message with the
 * byte offset); FWT_EUNSUPPORTED: an algorithm fwtrail does not verify.
 * info (may be NULL) is filled as far as the file was understood.
 */
fwt_err fwt_sigfile_verify(fwt_ctx *ctx, const fwt_pubkey *k, const unsigned char *sig, size_t siglen,
                           fwt_reader *r, fwt_sigfile_info *info) FWT_MUST_CHECK;

/* ---- verification through a certificate authority ---- */

/*
 * The certificates a CMS signature carries, as keys: first the signer's,
 * the one its SignerIdentifier names (issuerAndSerialNumber or
 * subjectKeyIdentifier), then the others in their order (candidate
 * intermediates; one that does not load as a certificate is left out).
 * None is trusted for being there.  *out is a malloc'd array of *n keys:
 * free each, then the array.  FWT_EINVAL for a raw or COSE signature,
 * which carries no certificate (nor names its signer); FWT_EFORMAT for a
 * malformed CMS signature (with the byte offset) or a signer's certificate
 * that cannot be read; FWT_EVERIFY when no certificate matches the
 * SignerIdentifier, or two different ones do.
 */
fwt_err fwt_sigfile_signer_chain(fwt_ctx *ctx, const unsigned char *sig, size_t siglen, fwt_pubkey ***out,
                                 size_t *n);

#define FWT_SIGFILE_TRUST_OPTIONS_VERSION 1
typedef struct fwt_sigfile_trust_options {
	unsigned version;         /* FWT_SIGFILE_TRUST_OPTIONS_VERSION (see fwtrail.h) */
	fwt_trust *trust;         /* the trust anchors (root or intermediate certificates) and
	                           * revocations; only read, see fwt_trust_verify_chain */
	fwt_pubkey *const *chain; /* the signer's certificate, then intermediates (borrowed);
	                           * NULL: the signer's certificate and intermediates are those of
	                           * the CMS signature (fwt_sigfile_signer_chain) */
	size_t chain_len;
	int64_t at;               /* the time certificates must be valid at (seconds since the
	                           * epoch); 0: the store's (fwt_trust_set_time), else now */
} fwt_sigfile_trust_options;
#define FWT_SIGFILE_TRUST_OPTIONS_INIT { FWT_SIGFILE_TRUST_OPTIONS_VERSION, NULL, NULL, 0, 0 }

/*
 * Verify a detached signature, as fwt_sigfile_verify, with the key of a
 * certificate that must validate to the store's certificates: the signer's
 * certificate of opts->chain, or else of the CMS signature.  In order: the
 * signature is verified with the certificate's key (as fwt_sigfile_verify,
 * whose answers it gives); then the chain (the given one, followed for a
 * CMS signature by the certificates inside it) is validated by
 * fwt_trust_verify_chain at opts->at: FWT_EVERIFY with OpenSSL's reason and
 * the certificate's subject when it does not, when a key on it is revoked,
 * or when the signer's certificate may not sign data; last, the signer's
 * certificate is held to fwt_trust_check_key_alg's rules (an SPDM device
 * identity signs no firmware).  No opts->chain and a raw or COSE signature:
 * FWT_EINVAL, as fwt_sigfile_signer_chain.  On FWT_OK, *signer (when not
 * NULL) is a new reference to the signer's certificate (fwt_pubkey_free);
 * otherwise NULL.  info as fwt_sigfile_verify fills it.
 */
fwt_err fwt_sigfile_verify_trusted(fwt_ctx *ctx, const fwt_sigfile_trust_options *opts, const unsigned char *sig,
                                   size_t siglen, fwt_reader *r, fwt_sigfile_info *info,
                                   fwt_pubkey **signer) FWT_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
