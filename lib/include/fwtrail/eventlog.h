/* SPDX-License-Identifier: Apache-2.0 */
/* fwtrail/eventlog.h - TCG PC Client event logs (SHA-1 legacy and
 * crypto-agile), PCR replay, and PCR value sets to compare with. */
#ifndef FWTRAIL_EVENTLOG_H
#define FWTRAIL_EVENTLOG_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <fwtrail/ctx.h>
#include <fwtrail/digest.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Hard limits (RELIABILITY E2): inputs beyond them are malformed. */
#define FWT_EVENTLOG_MAX_SIZE (16u * 1024u * 1024u) /* bytes */
#define FWT_EVENTLOG_MAX_EVENTS 200000u
#define FWT_EVENTLOG_MAX_BANKS 8    /* algorithms in the Spec ID event */
#define FWT_PCR_COUNT 24            /* PCR indices 0..23 */

/* Event types (TCG PC Client PFP, section 10.4.1). */
#define FWT_EV_PREBOOT_CERT                    0x0u
#define FWT_EV_POST_CODE                       0x1u
#define FWT_EV_UNUSED                          0x2u
#define FWT_EV_NO_ACTION                       0x3u
#define FWT_EV_SEPARATOR                       0x4u
#define FWT_EV_ACTION                          0x5u
#define FWT_EV_EVENT_TAG                       0x6u
#define FWT_EV_S_CRTM_CONTENTS                 0x7u
#define FWT_EV_S_CRTM_VERSION                  0x8u
#define FWT_EV_CPU_MICROCODE                   0x9u
#define FWT_EV_PLATFORM_CONFIG_FLAGS           0xau
#define FWT_EV_TABLE_OF_DEVICES                0xbu
#define FWT_EV_COMPACT_HASH                    0xcu
#define FWT_EV_IPL                             0xdu
#define FWT_EV_IPL_PARTITION_DATA              0xeu
#define FWT_EV_NONHOST_CODE                    0xfu
#define FWT_EV_NONHOST_CONFIG                  0x10u
#define FWT_EV_NONHOST_INFO                    0x11u
#define FWT_EV_OMIT_BOOT_DEVICE_EVENTS         0x12u
#define FWT_EV_POST_CODE2                      0x13u
#define FWT_EV_EFI_VARIABLE_DRIVER_CONFIG      0x80000001u
#define FWT_EV_EFI_VARIABLE_BOOT               0x80000002u
#define FWT_EV_EFI_BOOT_SERVICES_APPLICATION   0x80000003u
#define FWT_EV_EFI_BOOT_SERVICES_DRIVER        0x80000004u
#define FWT_EV_EFI_RUNTIME_SERVICES_DRIVER     0x80000005u
#define FWT_EV_EFI_GPT_EVENT                   0x80000006u
#define FWT_EV_EFI_ACTION                      0x80000007u
#define FWT_EV_EFI_PLATFORM_FIRMWARE_BLOB      0x80000008u
#define FWT_EV_EFI_HANDOFF_TABLES              0x80000009u
#define FWT_EV_EFI_PLATFORM_FIRMWARE_BLOB2     0x8000000au
#define FWT_EV_EFI_HANDOFF_TABLES2             0x8000000bu
#define FWT_EV_EFI_VARIABLE_BOOT2              0x8000000cu
#define FWT_EV_EFI_GPT_EVENT2                  0x8000000du
#define FWT_EV_EFI_HCRTM_EVENT                 0x80000010u
#define FWT_EV_EFI_VARIABLE_AUTHORITY          0x800000e0u
#define FWT_EV_EFI_SPDM_FIRMWARE_BLOB          0x800000e1u
#define FWT_EV_EFI_SPDM_FIRMWARE_CONFIG        0x800000e2u
#define FWT_EV_EFI_SPDM_DEVICE_POLICY          0x800000e3u
#define FWT_EV_EFI_SPDM_DEVICE_AUTHORITY       0x800000e4u

/* "EV_SEPARATOR", ... (NULL for a type fwtrail does not name). */
const char *fwt_eventlog_type_name(uint32_t type);

typedef enum fwt_eventlog_format {
	FWT_EVENTLOG_SHA1 = 1,        /* TCG_PCR_EVENT records only (TPM 1.2 style) */
	FWT_EVENTLOG_CRYPTO_AGILE = 2 /* Spec ID Event03, then TCG_PCR_EVENT2 records */
} fwt_eventlog_format;

/* One algorithm of the log (from the Spec ID event; SHA-1 for legacy logs). */
typedef struct fwt_eventlog_alg {
	unsigned id;            /* TPM_ALG_ID */
	unsigned size;          /* digest size declared by the log */
	fwt_digest_alg alg;     /* 0 when fwtrail does not know the algorithm */
} fwt_eventlog_alg;

/* Whether an event's data was checked against its digests.  Only data
 * checked OK is what was measured; the rest is the log's unverified claim. */
typedef enum fwt_eventlog_check {
	FWT_EVENT_CHECK_NA = 0,       /* the digest is not H(data) for this type */
	FWT_EVENT_CHECK_OK = 1,       /* every known digest equals H(data) */
	FWT_EVENT_CHECK_MISMATCH = 2, /* some digest differs: the data is not what was measured */
	FWT_EVENT_CHECK_PARTIAL = 3   /* EV_EFI_VARIABLE_BOOT whose digests are H(VariableData):
	                               * the variable's name and GUID are not covered */
} fwt_eventlog_check;

typedef struct fwt_eventlog_digest {
	unsigned alg_id;              /* TPM_ALG_ID */
	fwt_digest_alg alg;           /* 0 when unknown to fwtrail */
	const unsigned char *value;   /* borrowed from the log */
	size_t size;
} fwt_eventlog_digest;

/* One event, as fwt_eventlog_event_get fills it.  Every pointer is borrowed
 * from the log. */
typedef struct fwt_eventlog_event {
	size_t index;                 /* position in the log, from 0 */
	uint64_t offset;              /* byte offset of the record */
	uint32_t pcr;
	uint32_t type;
	size_t n_digests;
	fwt_eventlog_digest digests[FWT_EVENTLOG_MAX_BANKS];
	const unsigned char *data;    /* the event data (EventSize bytes) */
	size_t data_len;
	fwt_eventlog_check check;
	int extends;                  /* 0 for EV_NO_ACTION (never extends) */
} fwt_eventlog_event;

typedef struct fwt_eventlog fwt_eventlog;

#define FWT_EVENTLOG_OPTIONS_VERSION 1
typedef struct fwt_eventlog_options {
	unsigned version;             /* FWT_EVENTLOG_OPTIONS_VERSION */
	unsigned localities;          /* StartupLocality values honoured, as a bit set
	                               * (bit n: locality n); 0 means {0, 3} */
} fwt_eventlog_options;
#define FWT_EVENTLOG_OPTIONS_INIT { FWT_EVENTLOG_OPTIONS_VERSION, 0 }

/*
 * Parse a log held in memory (copied; buf may be freed afterwards).  Every
 * length is checked against the bytes left before it is used.  A log cut in
 * the middle of an event, trailing bytes, an inconsistent Spec ID event or
 * digest list, a misplaced or repeated StartupLocality, an EV_NO_ACTION with
 * non-zero digests: FWT_EFORMAT with the event index and byte offset in the
 * message.  Event data whose digest should be H(data) is checked (see
 * fwt_eventlog_event.check); mismatches are recorded, not errors.  ctx must
 * outlive the log.
 */
fwt_err fwt_eventlog_parse(fwt_ctx *ctx, fwt_eventlog **out, const void *buf, size_t len,
                           const fwt_eventlog_options *opts);
/* Read path whole (at most FWT_EVENTLOG_MAX_SIZE bytes) and parse it. */
fwt_err fwt_eventlog_load(fwt_ctx *ctx, fwt_eventlog **out, const char *path,
                          const fwt_eventlog_options *opts);
/* The same for an open file descriptor read to its end (a pipe, standard
 * input), the messages naming it name; fd stays open. */
fwt_err fwt_eventlog_load_fd(fwt_ctx *ctx, fwt_eventlog **out, int fd, const char *name,
                             const fwt_eventlog_options *opts);
/* The running machine's log: <root>/sys/kernel/security/tpm0/
 * binary_bios_measurements (root NULL or "" for "/").  FWT_EIO naming the
 * path when there is none (no TPM, or securityfs not mounted). */
fwt_err fwt_eventlog_load_local(fwt_ctx *ctx, fwt_eventlog **out, const char *root,
                                const fwt_eventlog_options *opts);
void fwt_eventlog_free(fwt_eventlog *log);

fwt_eventlog_format fwt_eventlog_get_format(const fwt_eventlog *log);
size_t fwt_eventlog_count(const fwt_eventlog *log);
/* Fill *out with event i (its pointers borrow from the log).  FWT_EINVAL
 * past the end. */
fwt_err fwt_eventlog_event_get(const fwt_eventlog *log, size_t i, fwt_eventlog_event *out);
size_t fwt_eventlog_alg_count(const fwt_eventlog *log);
const fwt_eventlog_alg *fwt_eventlog_alg_at(const fwt_eventlog *log, size_t i);
/* The StartupLocality honoured (0..4), or -1 when the log has none. */
int fwt_eventlog_startup_locality(const fwt_eventlog *log);
/* Number of events with FWT_EVENT_CHECK_MISMATCH. */
size_t fwt_eventlog_mismatch_count(const fwt_eventlog *log);
/* 1 when some extending event has no digest for alg (the bank cannot be
 * replayed), with the index of the first such event in *event. */
int fwt_eventlog_bank_missing(const fwt_eventlog *log, fwt_digest_alg alg, size_t *event);
/* FWT_OK when bank alg can be replayed; FWT_EVERIFY with a message naming
 * the first event without its digest, or saying the log has no such bank. */
fwt_err fwt_eventlog_bank_check(fwt_ctx *ctx, const fwt_eventlog *log, fwt_digest_alg alg);
/* FWT_OK when fwt_eventlog_replay would replay at least one bank.  When
 * none can be (a replay of nothing vouches for nothing): FWT_EFORMAT
 * naming, for each bank fwtrail can hash, the first extending event (index
 * and offset) without its digest, as the PC Client profile requires every
 * event to carry a digest for each algorithm of the Spec ID event; or
 * FWT_EUNSUPPORTED when the log declares no algorithm fwtrail can hash. */
fwt_err fwt_eventlog_replay_check(fwt_ctx *ctx, const fwt_eventlog *log);

/*
 * The decoded data of event i as a JSON object: "kind" names the structure
 * ("spec_id", "startup_locality", "efi_variable", "efi_image_load",
 * "firmware_blob", "string", "separator", "gpt", "handoff_tables", "raw",
 * ...), the decoded fields follow, and "unparsed": true marks nested data
 * that did not decode (shown as "hex").  The caller json_decref()s it.
 */
fwt_err fwt_eventlog_event_to_json(const fwt_eventlog *log, size_t i, json_t **out);
/* The same as one line of text for a terminal (malloc'd; caller frees).
 * Data the digest does not vouch for starts with a marker (RELIABILITY E7):
 * "[digest does not match: data unverified] " (FWT_EVENT_CHECK_MISMATCH),
 * "[name unverified] " (FWT_EVENT_CHECK_PARTIAL) or "[unverified] "
 * (FWT_EVENT_CHECK_NA); data checked OK has none. */
fwt_err fwt_eventlog_event_describe(const fwt_eventlog *log, size_t i, char **out);

/* ---- PCR values ---- */

/* A set of PCR values per bank: replayed from a log, read from a file or
 * from the running TPM.  Each bank holds all 24 PCRs; "selected" says which
 * of them the source actually gave (for a replay: which were extended). */
typedef struct fwt_pcrs fwt_pcrs;

fwt_err fwt_pcrs_new(fwt_ctx *ctx, fwt_pcrs **out);
void fwt_pcrs_free(fwt_pcrs *p);
/* Set (and select) one PCR; len must be alg's digest size. */
fwt_err fwt_pcrs_set(fwt_pcrs *p, fwt_digest_alg alg, unsigned pcr, const unsigned char *v, size_t len);
/* Bit set of the banks present (fwt_digest_alg values). */
unsigned fwt_pcrs_banks(const fwt_pcrs *p);
/* Bit set of the selected PCRs of a bank (0 when the bank is absent). */
uint32_t fwt_pcrs_selected(const fwt_pcrs *p, fwt_digest_alg alg);
/* The value of a PCR of a present bank (borrowed; for a replay, PCRs never
 * extended hold their reset value), or NULL when the bank is absent. */
const unsigned char *fwt_pcrs_get(const fwt_pcrs *p, fwt_digest_alg alg, unsigned pcr);

/*
 * Replay the log: for every bank the log carries and fwtrail can hash
 * (SHA-1/256/384/512), start each PCR from its reset value (0; 0xff.. for
 * PCRs 17-22; PCR0 from the StartupLocality) and extend it with the digest
 * of every event on it except EV_NO_ACTION.  Banks that some extending event
 * lacks a digest for are left out (see fwt_eventlog_bank_missing).
 */
fwt_err fwt_eventlog_replay(fwt_ctx *ctx, const fwt_eventlog *log, fwt_pcrs **out);

/* The largest known-values file (tpm2_eventlog's whole output included). */
#define FWT_PCRS_MAX_SIZE ((size_t)64 << 20)
/*
 * Known PCR values from a file: the YAML tpm2_pcrread prints ("sha256:" then
 * "  0 : 0x..." lines), tpm2_eventlog's whole output (its top-level "pcrs:"
 * section is read, and nothing else may hold values: other lines at column
 * 0 before it, or any after it but "...", are refused) or fwtrail's own
 * JSON ({"banks": {"sha256": {"0": "<hex>", ...}}}).  Strict and bounded
 * (FWT_PCRS_MAX_SIZE): FWT_EFORMAT with the line or JSON path of the first
 * problem.
 */
fwt_err fwt_pcrs_parse(fwt_ctx *ctx, fwt_pcrs **out, const void *buf, size_t len, const char *name);
fwt_err fwt_pcrs_load(fwt_ctx *ctx, fwt_pcrs **out, const char *path);
/* The live PCRs of the banks in algs and the PCRs in mask from
 * <root>/sys/class/tpm/tpm0/pcr-<bank>/<n>.  Banks the TPM does not expose
 * are left out; FWT_EIO when no bank is exposed at all. */
fwt_err fwt_pcrs_read_sysfs(fwt_ctx *ctx, fwt_pcrs **out, const char *root, unsigned algs, uint32_t mask);

/* One difference found by fwt_pcrs_compare. */
typedef struct fwt_pcr_mismatch {
	fwt_digest_alg alg;
	unsigned pcr;
	int missing;                        /* the reference does not give this PCR */
	unsigned char got[FWT_DIGEST_MAX];  /* replayed */
	unsigned char want[FWT_DIGEST_MAX]; /* reference (zero when missing) */
	size_t size;
} fwt_pcr_mismatch;

/*
 * Compare got (a replay) with want (reference values).  Banks compared: those
 * in algs, or when algs is 0 every bank present in both.  PCRs compared: those
 * in mask, or when mask is 0 the PCRs selected in got or in want (a PCR got
 * never extends is compared at its reset value).  Returns FWT_OK when every
 * compared PCR matches; FWT_EVERIFY with the differences in *out (malloc'd
 * array of *n; the caller frees it) otherwise, or when no bank or no PCR
 * could be compared (*n is then 0).  *banks gets the banks compared.
 */
fwt_err fwt_pcrs_compare(fwt_ctx *ctx, const fwt_pcrs *got, const fwt_pcrs *want, unsigned algs,
                         uint32_t mask, fwt_pcr_mismatch **out, size_t *n, unsigned *banks) FWT_MUST_CHECK;

/* A set of (bank, PCR) pairs, such as the PCRs a TPM quote signs (see
 * fwt_tpm_quote_scope) or the PCRs a comparison looked at.  pcrs[k] holds
 * the PCRs of the bank whose fwt_digest_alg is 1u << k.  Zero it to start. */
#define FWT_PCR_SCOPE_BANKS 5
typedef struct fwt_pcr_scope {
	uint32_t pcrs[FWT_PCR_SCOPE_BANKS];
} fwt_pcr_scope;

/* The PCRs of bank alg in s (0 for none, or for an alg that is not one bank). */
uint32_t fwt_pcr_scope_get(const fwt_pcr_scope *s, fwt_digest_alg alg);
/* Add the PCRs in mask to bank alg of s (FWT_EINVAL for an alg that is not
 * one bank). */
fwt_err fwt_pcr_scope_add(fwt_pcr_scope *s, fwt_digest_alg alg, uint32_t mask);
/* Bit set of the banks of s with at least one PCR. */
unsigned fwt_pcr_scope_banks(const fwt_pcr_scope *s);

/*
 * Compare got (a replay) with want (reference values), deciding only on the
 * (bank, PCR) pairs of scope when it is not NULL (RELIABILITY E6: with a TPM
 * quote, scope is the quote's signed selection, and no PCR is decided on that
 * the TPM did not sign for).
 *
 * Without scope: as fwt_pcrs_compare.
 *
 * With scope: the banks compared are those of algs, or when algs is 0 the
 * banks scope selects that want gives; in each, the PCRs of mask, or when
 * mask is 0 exactly the PCRs scope selects in that bank.  A selected PCR the
 * log never extends is compared with its reset value, as got holds it.  A
 * bank of algs that scope does not select, a PCR of mask outside scope's
 * selection of a compared bank, or a compared bank got lacks: FWT_EVERIFY
 * naming the bank (and PCR), and nothing is compared.  No bank to compare:
 * FWT_EVERIFY.
 *
 * Either way a PCR want does not give counts as a difference (missing).
 * Returns FWT_OK when every compared PCR matches; FWT_EVERIFY with the
 * differences in *out (malloc'd array of *n; the caller frees it)
 * otherwise.  *compared (when not NULL) gets the pairs compared.
 */
fwt_err fwt_pcrs_compare_scope(fwt_ctx *ctx, const fwt_pcrs *got, const fwt_pcrs *want,
                               const fwt_pcr_scope *scope, unsigned algs, uint32_t mask,
                               fwt_pcr_mismatch **out, size_t *n, fwt_pcr_scope *compared) FWT_MUST_CHECK;

/* A PCR list: "0,2,7", "0-7,14", "all".  FWT_EINVAL on anything else or a
 * PCR above 23. */
fwt_err fwt_pcr_list_parse(const char *s, uint32_t *mask);

#ifdef __cplusplus
}
#endif
#endif
