/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/appraise.h - attestation appraisal: what a machine measured (TCG
 * event log events, SPDM measurement blocks) against what its vendors
 * published (CoRIM and SWID RIMs) and what reviewers reported (OCP SAFE
 * SFRs), component by component, as the appraisal record that
 * `fwtrail attest check --json` prints and `fwtrail audit` reads. */
#ifndef FWTRAIL_APPRAISE_H
#define FWTRAIL_APPRAISE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>
#include <fwtrail/corim.h>
#include <fwtrail/digest.h>
#include <fwtrail/eventlog.h>
#include <fwtrail/spdm.h>
#include <fwtrail/trust.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWT_APPRAISE_MAX_INPUT (16u * 1024u * 1024u) /* bytes read from one input file */
#define FWT_APPRAISE_MAX_INPUTS 4096                 /* evidence, RIM and SFR inputs in one run */
#define FWT_APPRAISE_MAX_REFS 65536                  /* RIM measurements taken in one run (FWT_EFORMAT past it) */
#define FWT_APPRAISE_MAX_COMPONENTS (1u << 20)      /* components of one run: measured and missing
                                                     * (FWT_EUNSUPPORTED past it) */

/*
 * The rules (fwtrail-attest-check(1) says the same for users):
 *
 * Evidence.  Each input is recognised by content: a TCG PC Client event log
 * (binary, first record on a PCR below 24), or SPDM evidence (a transcript in
 * binary or hex, a Redfish ComponentIntegrity resource or
 * SPDMGetSignedMeasurements response).  Every extending event of a log
 * (EV_NO_ACTION never extends) and every SPDM measurement block is one
 * measured component.
 *
 * References.  CoRIM reference-value triples (of a CoRIM without a
 * profile: one of a profile fwtrail does not know is never used, trust
 * store or not, and the record is not ok), and NVIDIA SWID RIMs' active
 * Measurement resources (a TCG PC Client base SWID RIM's Payload Files name
 * support RIMs, reference event logs fwtrail does not read: each is
 * listed in "unverifiable", and the record is not ok).  What a reference applies to comes from its
 * measurement key:
 *   - an unsigned integer N: SPDM measurement index N (the published vendor
 *     CoRIM convention); NVIDIA SWID index i is SPDM index i+1;
 *   - a text label "pcrN" or "pcrN:<anything>" (N = 0..23): an event on
 *     PCR N (`rim create --from-eventlog` writes "pcrN:evM", M the event
 *     number in the golden log, for information only);
 *   - a text label that starts with "pcr" in any case but is not one of
 *     those ("pcr00:x", "PCR0:x", "pcr0 :x", "pcr24"): no reference at all,
 *     never one for any PCR; it is listed in "unverifiable" (its reason
 *     names the label) and the record is not ok;
 *   - any other key (another label, a UUID or OID, none): an event on any
 *     PCR, by digest alone.
 * References come only from RIMs that may be used: with a trust store,
 * those whose signature (and validity at the given time) verified; without
 * one, every RIM (reported as not verified).  Signer roles: a device's own
 * key never vouches for reference values or reviews, so a RIM or SFR whose
 * signature verified is still refused (not verified, with the reason) when
 * its key is one of a certificate of an SPDM chain given, when its
 * certificate carries a DMTF SPDM extended key usage (responder or
 * requester authentication), or, with spdm_trust, when its certificate
 * chain validates against spdm_trust and not against the trust store.  A reference of a usable RIM
 * that fwtrail cannot compare with any evidence (its only digests are SHA-1
 * or another algorithm than SHA-256/384/512, or it gives only a version,
 * SVN or flags; a SWID entry of such an algorithm, of the wrong size, or
 * beyond SPDM's indices) is never dropped silently: it is listed in
 * "unverifiable" (source, index, rim, format, key, algs, reason) and the
 * record is not ok.
 *
 * Comparison (RELIABILITY E8).  Digests are (algorithm, full bytes) pairs:
 * a measurement and a reference match when they share at least one
 * algorithm among SHA-256/384/512 and agree on every shared one (a SWID
 * entry's alternatives: any of them).  SHA-1 is never used to match.  No
 * prefix and no cross-algorithm comparison exists.  A raw-value SPDM block
 * matches a reference's raw value (under its mask, when given) byte for
 * byte.
 *
 * Status of a measured component:
 *   - SPDM block i: "match" when a reference for index i matches; else
 *     "mismatch" when some reference for index i has a digest of the same
 *     algorithm (or a raw value); else "unknown".
 *   - event on PCR p: "match" when a reference bound to PCR p, or a
 *     PCR-less one, matches (each reference bound to a PCR is first paired
 *     with one event; a repeated measurement may match a reference already
 *     paired; PCR-less references are a set: each is seen once any event
 *     matches it); else "mismatch" when references bound to PCR p share an
 *     algorithm with the event (the event is paired with one no event
 *     matched, which is then not "missing"); else "unknown".
 * Each usable reference that no component matched or was paired with gives
 * a "missing" component.  An SPDM block stands against a reference of its
 * index only when they can be compared (a digest algorithm in common, or
 * both raw values): a reference of a measured index in another algorithm
 * (a second RIM's, say), or a digest where the block is a raw value (or the
 * reverse), is "missing", with a note saying the index was measured.  References for one SPDM index that disagree (two
 * RIMs or two measurement maps with different digests of one algorithm;
 * SWID alternatives excepted) are reported as conflicts.
 *
 * Reviews.  A component is "reviewed" by an SFR whose signature verified
 * (an SFR is never counted without a trust store), whose firmware hashes
 * (fw_hash_sha2_384/512, 0x and either case accepted) share at least one
 * algorithm with the measured digests and agree on all shared ones, or
 * whose manifest lists a file whose SHA-512 equals the measured SHA-512;
 * which was not completed after the appraisal time; and whose device
 * (vendor, product) is, byte for byte, the environment (vendor, model) of
 * the reference the component matched or was paired with (RELIABILITY T3),
 * from a RIM whose signature verified.  What cannot be cross-checked is no
 * review: a component with no reference, whose reference's environment
 * lacks a vendor or model, or whose reference comes from a RIM that was
 * not verified (without a trust store every RIM is used unverified, and
 * its environment says whatever its author wrote), is reviewed by no SFR
 * (the component's "rejected" list says why), even with sfr_trust.  An SFR
 * without device.vendor or device.product is malformed (FWT_EFORMAT from
 * fwt_appraise_add_sfr), signed or not.  Of several, the latest
 * completion date wins; of one date, the one with the worse issue (the
 * highest score), then more issues, then more distinct CWEs and CVEs, then
 * the lower SHA-256 of the report's bytes: never the order given.
 *
 * SPDM signatures (RELIABILITY S4).  Each SPDM evidence is authenticated
 * when the appraisal runs, with the responder certificate chains given
 * (fwt_appraise_add_spdm_chain): the chain whose leaf verifies the
 * transcript's signature (fwt_spdm_verify) is used; it must also validate
 * against the certificates of spdm_trust when given, else of the trust
 * store when given, and with a nonce (fwt_appraise_set_spdm_nonce) the
 * last request must carry it.  The
 * outcome ("authentication"):
 *   - "verified": the signature verified (and the chain, the nonce when
 *     given); the "fingerprint" is the leaf's SubjectPublicKeyInfo SHA-256;
 *   - "unauthenticated": unsigned evidence (a transcript whose last request
 *     asked for no signature, a Redfish ComponentIntegrity resource), or a
 *     signed transcript with no chain given: nothing was checked;
 *   - "failed": the signature was checked and is a "no": no chain's leaf
 *     verifies it, the nonce is stale, or the chain does not validate; or
 *     a nonce applies and the evidence, unsigned or with no chain given,
 *     does not carry it (another nonce, or none): the nonce is read from
 *     the evidence before and apart from any signature check; or its
 *     measurements are not of the running state (fwt_spdm_check_state),
 *     signed or not, found before any chain is tried.  "signature_checked"
 *     is true for "verified" and "failed" evidence, false only for
 *     "unauthenticated" evidence, which nothing could decide.
 * Every SPDM evidence gets a "signatures" entry of kind "spdm" (verified,
 * fingerprint, error, signature_checked, authentication, chain, signer,
 * chain_validated, nonce_checked), and the same members in its "inputs"
 * entry.  "failed" makes the record not ok; "unauthenticated" does not (a
 * policy decides: the signatures rule with require "spdm").
 *
 * Several SPDM evidences (devices) in one appraisal: one device's evidence
 * never stands in for another's, so an evidence verified with the same
 * leaf key (fingerprint) as an earlier one is "failed" (checked, not
 * verified; its error names the earlier input).  Each accounts for
 * every SPDM reference on its own, so a reference one of them did not
 * measure is "missing" for it (the component's evidence names it), whatever
 * the others measured; an SPDM evidence without a block makes the record
 * not ok, even beside other evidence.  Several event logs (hosts, or the
 * local log beside a log file) likewise: references are matched and
 * paired with each log's events afresh, each log accounts for every
 * event-log reference (bound to a PCR or not) on its own, one it did not
 * match or pair is "missing" for it (named), and a log without an
 * extending event makes the record not ok, even beside other evidence.
 *
 * "ok" is true when every component is "match" and nothing is missing,
 * and also at least one component was compared (empty evidence is never
 * ok, nor is SPDM evidence without a block or an event log without an
 * extending event), no reference is unverifiable, no conflict was found, no RIM failed
 * verification when a trust store was given, no SPDM evidence "failed",
 * and no local event log disagrees with its TPM, has no bank in common
 * with it, or has a TPM whose PCRs could not be read.
 */

typedef struct fwt_appraise fwt_appraise;

typedef enum fwt_appraise_source {
	FWT_APPRAISE_EVENTLOG = 1,
	FWT_APPRAISE_SPDM = 2
} fwt_appraise_source;

typedef enum fwt_appraise_status {
	FWT_APPRAISE_MATCH = 0,
	FWT_APPRAISE_MISMATCH,
	FWT_APPRAISE_UNKNOWN,
	FWT_APPRAISE_MISSING
} fwt_appraise_status;

/* "match", "mismatch", "unknown", "missing" (NULL for another value). */
const char *fwt_appraise_status_name(fwt_appraise_status s);

#define FWT_APPRAISE_OPTIONS_VERSION 3
typedef struct fwt_appraise_options {
	unsigned version;  /* FWT_APPRAISE_OPTIONS_VERSION (1: without spdm_trust,
	                    * 2: without sfr_trust) */
	fwt_trust *trust;  /* trusted keys for RIMs and SFRs (borrowed; must outlive the
	                    * appraisal); NULL: nothing is verified */
	int64_t at;        /* the appraisal time, seconds since the epoch (the library
	                    * never reads the clock): validity windows, SFR dates */
	fwt_trust *spdm_trust; /* the roots of SPDM responder chains, kept apart from
	                    * trust (borrowed); NULL: trust anchors them too */
	fwt_trust *sfr_trust; /* the keys of SFR (review) signers, kept apart from
	                    * trust (borrowed): SFRs are verified against it alone,
	                    * and trust then vouches for RIMs only (a review
	                    * still needs a RIM verified with trust); NULL:
	                    * trust verifies SFRs too */
} fwt_appraise_options;
#define FWT_APPRAISE_OPTIONS_INIT { FWT_APPRAISE_OPTIONS_VERSION, NULL, 0, NULL, NULL }

fwt_err fwt_appraise_new(fwt_ctx *ctx, fwt_appraise **out, const fwt_appraise_options *opts);
void fwt_appraise_free(fwt_appraise *a);

/*
 * Add inputs (buffers are copied or parsed at once; name labels the input
 * in the record and in messages).  Malformed input is FWT_EFORMAT with the
 * parser's message (byte offset or JSON path) prefixed by the name; evidence
 * that is neither an event log nor SPDM evidence is FWT_EFORMAT too.  A
 * signature that does not verify is not an error: it is recorded.  The
 * _file variants read at most FWT_APPRAISE_MAX_INPUT bytes (FWT_EIO,
 * FWT_EFORMAT when larger).
 */
fwt_err fwt_appraise_add_evidence(fwt_appraise *a, const void *buf, size_t len, const char *name);
fwt_err fwt_appraise_add_evidence_file(fwt_appraise *a, const char *path);
/* The running machine's event log, <root>/sys/kernel/security/tpm0/
 * binary_bios_measurements (root NULL or "" for "/"), replayed and compared
 * with the TPM's PCRs in <root>/sys/class/tpm/tpm0/pcr-<bank>/ when the
 * kernel exposes them (the record's "tpm" says whether they were compared
 * and how it went).  The PCRs compared are 0-7 (the firmware's, which only
 * its event log explains: one the log never extends must be at its reset
 * value) and every PCR the log extends.  Only the digests of banks compared
 * with the TPM are kept as the events' (the others are listed in the
 * record's "tpm" as "unconfirmed"); a TPM with PCR banks none of which the
 * log replays, or whose PCR files (once it is found to have banks) cannot
 * all be read or parsed, is a failed comparison ("compared" true, "match"
 * false, "error" saying why; the record is not ok); only a TPM without any
 * PCR bank is no comparison ("compared": false), and every digest is
 * kept.  FWT_EIO when there is no log. */
fwt_err fwt_appraise_add_local(fwt_appraise *a, const char *root);
/* A CoRIM (signed or not) or a SWID RIM, recognised by content. */
fwt_err fwt_appraise_add_rim(fwt_appraise *a, const void *buf, size_t len, const char *name);
fwt_err fwt_appraise_add_rim_file(fwt_appraise *a, const char *path);
/* An SFR: JWS compact or plain JSON (whatever fwt_sfr_check_buffer reads). */
fwt_err fwt_appraise_add_sfr(fwt_appraise *a, const void *buf, size_t len, const char *name);
fwt_err fwt_appraise_add_sfr_file(fwt_appraise *a, const char *path);

/*
 * A responder's certificate chain for SPDM evidence, leaf first (new
 * references are taken; name labels it, e.g. its file).  Chains may be
 * added before or after the evidence, but before any RIM or SFR whose
 * signer is checked against them (FWT_EINVAL once one was accepted).  The
 * _file variant reads a PEM chain file (fwt_pubkey_load_all).
 */
fwt_err fwt_appraise_add_spdm_chain(fwt_appraise *a, fwt_pubkey *const *chain, size_t n, const char *name);
fwt_err fwt_appraise_add_spdm_chain_file(fwt_appraise *a, const char *path);
/*
 * The requester nonce (FWT_SPDM_NONCE_SIZE bytes) that the SPDM evidence
 * named evidence (its name as added) must answer; evidence NULL: every
 * SPDM evidence without a nonce of its own.  FWT_EINVAL for a second nonce
 * for the same evidence; fwt_appraise_run fails with FWT_EINVAL when a
 * named nonce names no SPDM evidence.
 */
fwt_err fwt_appraise_set_spdm_nonce(fwt_appraise *a, const char *evidence, const unsigned char *nonce);

/*
 * Appraise everything added: fill the components and build the record
 * (the appraisal contract: "command" "attest check", "schema" 1, "ok",
 * "at", "summary", "components", "inputs", "signatures", "products",
 * "conflicts", "unverifiable"; summary counts "spdm_not_verified",
 * "spdm_unauthenticated" and "unverifiable").  FWT_OK when "ok" is true; FWT_EVERIFY (with a one-line
 * message counting what is wrong) when it is false; other codes when the
 * record could not be made.  *out (may be NULL) gets the record either way
 * when the code is FWT_OK or FWT_EVERIFY; the caller json_decref()s it.
 * Run once per appraisal.
 */
fwt_err fwt_appraise_run(fwt_appraise *a, json_t **out) FWT_MUST_CHECK;

/*
 * fwt_appraise_run with the record's "components" left empty: each is
 * made on demand by fwt_appraise_component_json, so that a record of many
 * components can be written in little memory (held as one JSON tree, the
 * 200000 components of a long event log take most of a gigabyte).
 * Everything else, the return code and the summary included, is as
 * fwt_appraise_run's.
 */
fwt_err fwt_appraise_run_lazy(fwt_appraise *a, json_t **out) FWT_MUST_CHECK;

/* Component i of the record (0 <= i < fwt_appraise_count), exactly as
 * fwt_appraise_run puts it in "components"; the caller json_decref()s
 * *out.  FWT_EINVAL before a run or out of range. */
fwt_err fwt_appraise_component_json(const fwt_appraise *a, size_t i, json_t **out);

/* One component of the result (after fwt_appraise_run).  Pointers are
 * borrowed from the appraisal. */
typedef struct fwt_appraise_component {
	fwt_appraise_source source;
	int has_index;                 /* 0 only for a "missing" PCR-less reference */
	unsigned index;                /* SPDM measurement index or PCR */
	long event;                    /* event number in the log; -1 for SPDM and "missing" */
	const char *evidence;          /* the evidence input's name; for "missing", NULL, or
	                                * with several SPDM evidences (several event logs)
	                                * the one that did not measure the reference */
	const char *name;              /* event type, block type or reference label; or NULL */
	fwt_digest_alg alg;            /* 0 for a raw value or an algorithm fwtrail does not know */
	const unsigned char *digest;   /* the measured value (for "missing": the expected one) */
	size_t len;
	fwt_appraise_status status;
	const char *rim;               /* the reference's RIM, NULL when "unknown" */
	const char *key;               /* the reference's measurement key, or NULL */
	int reviewed;
	const char *report;            /* the SFR that reviewed it, or NULL */
	const char *srp;               /* its security review provider, or NULL */
} fwt_appraise_component;

/* The components of the result, once fwt_appraise_run made one (FWT_OK or
 * FWT_EVERIFY): before that, and after a run that failed otherwise,
 * count is 0 and get is FWT_EINVAL. */
size_t fwt_appraise_count(const fwt_appraise *a);
fwt_err fwt_appraise_get(const fwt_appraise *a, size_t i, fwt_appraise_component *out);

/* ---- reference values from golden evidence (`rim create --from-...`) ---- */

/*
 * One reference value per extending event on the PCRs in pcrs (a bit set;
 * 0 means all), in log order, keyed "pcrN:evM" (PCR N, event number M), with
 * the event's SHA-256/384/512 digests (SHA-1 is not recorded).
 * FWT_EUNSUPPORTED when the log has none of those banks; FWT_EINVAL
 * when no event is selected.  *out is a malloc'd array of *n; free it with
 * fwt_appraise_refvals_free.
 */
fwt_err fwt_appraise_refvals_from_eventlog(fwt_ctx *ctx, const fwt_eventlog *log, uint32_t pcrs,
                                           fwt_corim_refval **out, size_t *n);
/*
 * One reference value per SPDM measurement block holding a SHA-256/384/512
 * digest, keyed by its index ("2").  *skipped (when given) counts every
 * other block: the raw values, which fwt_appraise_rawvals_from_spdm
 * returns, and the digests of other algorithms (SHA3, SM3), which a CoRIM
 * made here cannot carry; it is set on FWT_EUNSUPPORTED too.
 * FWT_EUNSUPPORTED when no block holds such a digest (a capture of raw
 * values only is one: take its fwt_appraise_rawvals_from_spdm alone).
 */
fwt_err fwt_appraise_refvals_from_spdm(fwt_ctx *ctx, const fwt_spdm *s, fwt_corim_refval **out, size_t *n,
                                       size_t *skipped);
void fwt_appraise_refvals_free(fwt_corim_refval *rv, size_t n);
/*
 * One raw value per SPDM measurement block of raw type (a version, an SVN,
 * a manifest: DMTF value type bit 7), in block order, keyed by its index
 * ("6"), its value copied.  *n may be 0 (FWT_OK, *out NULL): a capture of
 * digests only.  *out is a malloc'd array of *n; free it with
 * fwt_appraise_rawvals_free, which frees each key and value too.
 */
fwt_err fwt_appraise_rawvals_from_spdm(fwt_ctx *ctx, const fwt_spdm *s, fwt_corim_rawval **out, size_t *n);
void fwt_appraise_rawvals_free(fwt_corim_rawval *rv, size_t n);

#ifdef __cplusplus
}
#endif
#endif
