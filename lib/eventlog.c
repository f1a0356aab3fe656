/* SPDX-License-Identifier: Apache-2.0 */
/* eventlog.c - TCG PC Client event logs: strict parsing (SHA-1 legacy and
 * crypto-agile), event data decoding, digest-of-data checks and PCR replay.
 *
 * The log is copied into one buffer and every event points into it.  Each
 * length read from the log is compared with the bytes left before it is
 * used, in size_t arithmetic that cannot wrap (RELIABILITY E1-E5, E7). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fwtrail/eventlog.h>
#include <fwtrail/hex.h>
#include <fwtrail/io.h>
#include "internal.h"
#include "banned.h"

#define LEGACY_HDR 32u      /* TCG_PCR_EVENT without its data */
#define SHA1_SIZE 20u

/* One event, compactly: offsets into the buffer (below 16 MiB, so 24 bits)
 * and its digests as entries of log->dig: offset | (algorithm index << 24),
 * index SHA1_IDX for the SHA-1 digest of a TCG_PCR_EVENT header. */
struct rec {
	uint32_t off, type, data_off, data_len, dig;
	uint8_t pcr, n_digests, check, extends;
};
#define SHA1_IDX 0xffu

struct fwt_eventlog {
	fwt_ctx *ctx;
	unsigned char *buf;
	size_t len;
	fwt_eventlog_format format;
	fwt_eventlog_alg algs[FWT_EVENTLOG_MAX_BANKS];
	size_t n_algs;
	struct rec *rec;
	size_t n, cap;
	uint32_t *dig;
	size_t ndig, digcap;
	int locality;
	unsigned allowed_localities;
	size_t mismatches;
	int pcr0_extended;
	fwt_hash *hash[5];      /* digest-of-data checks, by algorithm slot */
};

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const unsigned char *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* ---- names ---- */

static const struct {
	uint32_t type;
	const char *name;
} type_names[] = {
	{ FWT_EV_PREBOOT_CERT, "EV_PREBOOT_CERT" },
	{ FWT_EV_POST_CODE, "EV_POST_CODE" },
	{ FWT_EV_UNUSED, "EV_UNUSED" },
	{ FWT_EV_NO_ACTION, "EV_NO_ACTION" },
	{ FWT_EV_SEPARATOR, "EV_SEPARATOR" },
	{ FWT_EV_ACTION, "EV_ACTION" },
	{ FWT_EV_EVENT_TAG, "EV_EVENT_TAG" },
	{ FWT_EV_S_CRTM_CONTENTS, "EV_S_CRTM_CONTENTS" },
	{ FWT_EV_S_CRTM_VERSION, "EV_S_CRTM_VERSION" },
	{ FWT_EV_CPU_MICROCODE, "EV_CPU_MICROCODE" },
	{ FWT_EV_PLATFORM_CONFIG_FLAGS, "EV_PLATFORM_CONFIG_FLAGS" },
	{ FWT_EV_TABLE_OF_DEVICES, "EV_TABLE_OF_DEVICES" },
	{ FWT_EV_COMPACT_HASH, "EV_COMPACT_HASH" },
	{ FWT_EV_IPL, "EV_IPL" },
	{ FWT_EV_IPL_PARTITION_DATA, "EV_IPL_PARTITION_DATA" },
	{ FWT_EV_NONHOST_CODE, "EV_NONHOST_CODE" },
	{ FWT_EV_NONHOST_CONFIG, "EV_NONHOST_CONFIG" },
	{ FWT_EV_NONHOST_INFO, "EV_NONHOST_INFO" },
	{ FWT_EV_OMIT_BOOT_DEVICE_EVENTS, "EV_OMIT_BOOT_DEVICE_EVENTS" },
	{ FWT_EV_POST_CODE2, "EV_POST_CODE2" },
	{ FWT_EV_EFI_VARIABLE_DRIVER_CONFIG, "EV_EFI_VARIABLE_DRIVER_CONFIG" },
	{ FWT_EV_EFI_VARIABLE_BOOT, "EV_EFI_VARIABLE_BOOT" },
	{ FWT_EV_EFI_BOOT_SERVICES_APPLICATION, "EV_EFI_BOOT_SERVICES_APPLICATION" },
	{ FWT_EV_EFI_BOOT_SERVICES_DRIVER, "EV_EFI_BOOT_SERVICES_DRIVER" },
	{ FWT_EV_EFI_RUNTIME_SERVICES_DRIVER, "EV_EFI_RUNTIME_SERVICES_DRIVER" },
	{ FWT_EV_EFI_GPT_EVENT, "EV_EFI_GPT_EVENT" },
	{ FWT_EV_EFI_ACTION, "EV_EFI_ACTION" },
	{ FWT_EV_EFI_PLATFORM_FIRMWARE_BLOB, "EV_EFI_PLATFORM_FIRMWARE_BLOB" },
	{ FWT_EV_EFI_HANDOFF_TABLES, "EV_EFI_HANDOFF_TABLES" },
	{ FWT_EV_EFI_PLATFORM_FIRMWARE_BLOB2, "EV_EFI_PLATFORM_FIRMWARE_BLOB2" },
	{ FWT_EV_EFI_HANDOFF_TABLES2, "EV_EFI_HANDOFF_TABLES2" },
	{ FWT_EV_EFI_VARIABLE_BOOT2, "EV_EFI_VARIABLE_BOOT2" },
	{ FWT_EV_EFI_GPT_EVENT2, "EV_EFI_GPT_EVENT2" },
	{ FWT_EV_EFI_HCRTM_EVENT, "EV_EFI_HCRTM_EVENT" },
	{ FWT_EV_EFI_VARIABLE_AUTHORITY, "EV_EFI_VARIABLE_AUTHORITY" },
	{ FWT_EV_EFI_SPDM_FIRMWARE_BLOB, "EV_EFI_SPDM_FIRMWARE_BLOB" },
	{ FWT_EV_EFI_SPDM_FIRMWARE_CONFIG, "EV_EFI_SPDM_FIRMWARE_CONFIG" },
	{ FWT_EV_EFI_SPDM_DEVICE_POLICY, "EV_EFI_SPDM_DEVICE_POLICY" },
	{ FWT_EV_EFI_SPDM_DEVICE_AUTHORITY, "EV_EFI_SPDM_DEVICE_AUTHORITY" },
};

const char *fwt_eventlog_type_name(uint32_t type)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(type_names); i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	return NULL;
}

/* Digest algorithms fwtrail can hash, as slots of log->hash[]. */
static int hash_slot(fwt_digest_alg alg)
{
	switch (alg) {
	case FWT_DIGEST_SHA1: return 0;
	case FWT_DIGEST_SHA256: return 1;
	case FWT_DIGEST_SHA384: return 2;
	case FWT_DIGEST_SHA512: return 3;
	default: return -1;
	}
}

/* ---- a small string builder ---- */

/* One character of logged text: printable ASCII kept, a backslash doubled
 * (so that a literal "\x41" in the log cannot pass for an escaped byte), a
 * double quote (which ends the quoted text of a description) and any other
 * character below 0x80 as \xHH. */
static void sb_ascii(struct fwt__sb *s, unsigned c)
{
	char ch = (char)c;

	if (c == '\\')
		fwt__sb_add(s, "\\\\", 2);
	else if (c >= 0x20 && c < 0x7f && c != '"')
		fwt__sb_add(s, &ch, 1);
	else
		fwt__sb_fmt(s, "\\x%02x", c);
}

/* Bytes as text, by the rules of sb_ascii (bytes from 0x80 as \xHH too). */
static void sb_bytes(struct fwt__sb *s, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sb_ascii(s, p[i]);
}

/* UTF-16LE text, n code units, all of them (a NUL is \x00): ASCII by the
 * rules of sb_ascii, any other character as \uHHHH (\UHHHHHHHH past
 * U+FFFF; an unpaired surrogate as its code unit), so that a name spelt
 * with look-alike letters, or control characters, cannot pass for another
 * text.  Callers drop the NULs that pad or end a field. */
static void sb_utf16(struct fwt__sb *s, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t c = rd16(p + 2 * i);
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && rd16(p + 2 * i + 2) >= 0xdc00 &&
		    rd16(p + 2 * i + 2) < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (rd16(p + 2 * i + 2) - 0xdc00u);
			i++;
		}
		if (c < 0x80)
			sb_ascii(s, c);
		else if (c < 0x10000)
			fwt__sb_fmt(s, "\\u%04x", (unsigned)c);
		else
			fwt__sb_fmt(s, "\\U%08x", (unsigned)c);
	}
}

/* The code units of a UTF-16LE field of n units without the NULs that end
 * or pad it. */
static size_t utf16_trim(const unsigned char *p, size_t n)
{
	while (n > 0 && rd16(p + 2 * (n - 1)) == 0)
		n--;
	return n;
}

static void sb_guid(struct fwt__sb *s, const unsigned char *g)
{
	fwt__sb_fmt(s, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", rd32(g), rd16(g + 4), rd16(g + 6), g[8],
	        g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static void sb_hex(struct fwt__sb *s, const unsigned char *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	size_t i;
	char two[2];

	for (i = 0; i < n; i++) {
		two[0] = d[p[i] >> 4];
		two[1] = d[p[i] & 15];
		fwt__sb_add(s, two, 2);
	}
}

static json_t *json_sb(struct fwt__sb *s)
{
	json_t *j = json_string(s->oom ? "" : (s->p ? s->p : ""));
	free(s->p);
	memset(s, 0, sizeof(*s));
	return j;
}

static json_t *json_hexstr(const unsigned char *p, size_t n)
{
	struct fwt__sb s = { 0 };
	fwt__sb_str(&s, "");
	sb_hex(&s, p, n);
	return json_sb(&s);
}

static json_t *json_guid(const unsigned char *g)
{
	struct fwt__sb s = { 0 };
	sb_guid(&s, g);
	return json_sb(&s);
}

static json_t *json_u64hex(uint64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	return json_string(b);
}

/* ---- parsing ---- */

static fwt_err trunc_error(fwt_eventlog *log, size_t idx, size_t off, size_t need)
{
	return fwt__error(log->ctx, FWT_EFORMAT,
	                  "event %zu at offset %zu is truncated: it needs %zu bytes, %zu are left", idx, off,
	                  need, log->len - off);
}

static int alg_index(const fwt_eventlog *log, unsigned id)
{
	size_t j;
	for (j = 0; j < log->n_algs; j++)
		if (log->algs[j].id == id)
			return (int)j;
	return -1;
}

/* Store a checked event (e->index == log->n). */
static fwt_err push_event(fwt_eventlog *log, const fwt_eventlog_event *e)
{
	struct rec *r;
	size_t k;

	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 64;
		struct rec *nv;
		if (cap > FWT_EVENTLOG_MAX_EVENTS)
			cap = FWT_EVENTLOG_MAX_EVENTS;
		nv = realloc(log->rec, cap * sizeof(*nv));
		if (!nv)
			return fwt__enomem(log->ctx);
		log->rec = nv;
		log->cap = cap;
	}
	if (log->digcap - log->ndig < e->n_digests) {
		size_t cap = log->digcap ? log->digcap * 2 : 256;
		uint32_t *nd;
		while (cap - log->ndig < e->n_digests)
			cap *= 2;
		nd = realloc(log->dig, cap * sizeof(*nd));
		if (!nd)
			return fwt__enomem(log->ctx);
		log->dig = nd;
		log->digcap = cap;
	}
	r = &log->rec[log->n];
	r->off = (uint32_t)e->offset;
	r->type = e->type;
	r->data_off = (uint32_t)(e->data - log->buf);
	r->data_len = (uint32_t)e->data_len;
	r->dig = (uint32_t)log->ndig;
	r->pcr = (uint8_t)e->pcr;
	r->n_digests = (uint8_t)e->n_digests;
	r->check = (uint8_t)e->check;
	r->extends = (uint8_t)e->extends;
	for (k = 0; k < e->n_digests; k++) {
		int j = e->digests[k].alg_id == 0x0004 && e->digests[k].size == SHA1_SIZE && log->format != FWT_EVENTLOG_CRYPTO_AGILE
		                ? 0
		                : alg_index(log, e->digests[k].alg_id);
		uint32_t idx = (log->format == FWT_EVENTLOG_CRYPTO_AGILE && e->index == 0) || j < 0 ? SHA1_IDX : (uint32_t)j;
		log->dig[log->ndig++] = (uint32_t)(e->digests[k].value - log->buf) | idx << 24;
	}
	log->n++;
	return FWT_OK;
}

/* The public view of event i (pointers into the log). */
static void view(const fwt_eventlog *log, size_t i, fwt_eventlog_event *e)
{
	const struct rec *r = &log->rec[i];
	size_t k;

	memset(e, 0, sizeof(*e));
	e->index = i;
	e->offset = r->off;
	e->pcr = r->pcr;
	e->type = r->type;
	e->n_digests = r->n_digests;
	for (k = 0; k < r->n_digests; k++) {
		uint32_t v = log->dig[r->dig + k], idx = v >> 24;
		e->digests[k].value = log->buf + (v & 0xffffffu);
		if (idx == SHA1_IDX) {
			e->digests[k].alg_id = 0x0004;
			e->digests[k].alg = FWT_DIGEST_SHA1;
			e->digests[k].size = SHA1_SIZE;
		} else {
			e->digests[k].alg_id = log->algs[idx].id;
			e->digests[k].alg = log->algs[idx].alg;
			e->digests[k].size = log->algs[idx].size;
		}
	}
	e->data = log->buf + r->data_off;
	e->data_len = r->data_len;
	e->check = (fwt_eventlog_check)r->check;
	e->extends = r->extends;
}

/* A TCG_PCR_EVENT (SHA-1) record at off. */
static fwt_err parse_legacy(fwt_eventlog *log, size_t off, size_t *next, fwt_eventlog_event *e)
{
	uint32_t esize;

	if (log->len - off < LEGACY_HDR)
		return trunc_error(log, log->n, off, LEGACY_HDR);
	esize = rd32(log->buf + off + 28);
	if (esize > log->len - off - LEGACY_HDR)
		return fwt__error(log->ctx, FWT_EFORMAT,
		                  "event %zu at offset %zu: EventSize %u exceeds the %zu bytes left", log->n, off,
		                  esize, log->len - off - LEGACY_HDR);
	memset(e, 0, sizeof(*e));
	e->index = log->n;
	e->offset = off;
	e->pcr = rd32(log->buf + off);
	e->type = rd32(log->buf + off + 4);
	e->n_digests = 1;
	e->digests[0].alg_id = 0x0004;
	e->digests[0].alg = FWT_DIGEST_SHA1;
	e->digests[0].value = log->buf + off + 8;
	e->digests[0].size = SHA1_SIZE;
	e->data = log->buf + off + LEGACY_HDR;
	e->data_len = esize;
	*next = off + LEGACY_HDR + esize;
	return FWT_OK;
}

/* A TCG_PCR_EVENT2 (crypto-agile) record at off. */
static fwt_err parse_agile(fwt_eventlog *log, size_t off, size_t *next, fwt_eventlog_event *e)
{
	const unsigned char *b = log->buf;
	uint32_t count, esize, i;
	unsigned seen = 0;
	size_t p, j;

	if (log->len - off < 12)
		return trunc_error(log, log->n, off, 12);
	count = rd32(b + off + 8);
	if (count > log->n_algs)
		return fwt__error(log->ctx, FWT_EFORMAT,
		                  "event %zu at offset %zu: %u digests, but the Spec ID event declares %zu "
		                  "algorithms", log->n, off, count, log->n_algs);
	memset(e, 0, sizeof(*e));
	e->index = log->n;
	e->offset = off;
	e->pcr = rd32(b + off);
	e->type = rd32(b + off + 4);
	p = off + 12;
	for (i = 0; i < count; i++) {
		unsigned id;
		if (log->len - p < 2)
			goto trunc;
		id = rd16(b + p);
		for (j = 0; j < log->n_algs && log->algs[j].id != id; j++)
			;
		if (j == log->n_algs)
			return fwt__error(log->ctx, FWT_EFORMAT,
			                  "event %zu at offset %zu: digest algorithm 0x%04x is not declared in the "
			                  "Spec ID event", log->n, off, id);
		if (seen & (1u << j))
			return fwt__error(log->ctx, FWT_EFORMAT,
			                  "event %zu at offset %zu: two digests for algorithm 0x%04x", log->n,
			                  off, id);
		seen |= 1u << j;
		if (log->len - p - 2 < log->algs[j].size)
			goto trunc;
		e->digests[i].alg_id = id;
		e->digests[i].alg = log->algs[j].alg;
		e->digests[i].value = b + p + 2;
		e->digests[i].size = log->algs[j].size;
		p += 2 + log->algs[j].size;
	}
	e->n_digests = count;
	if (log->len - p < 4)
		goto trunc;
	esize = rd32(b + p);
	p += 4;
	if (esize > log->len - p)
		return fwt__error(log->ctx, FWT_EFORMAT,
		                  "event %zu at offset %zu: EventSize %u exceeds the %zu bytes left", log->n,
		                  off, esize, log->len - p);
	e->data = b + p;
	e->data_len = esize;
	*next = p + esize;
	return FWT_OK;
trunc:
	return fwt__error(log->ctx, FWT_EFORMAT, "event %zu at offset %zu is truncated in its digest list",
	                  log->n, off);
}

static const char spec03[16] = "Spec ID Event03";

/* The Spec ID Event03 data of the first event: the algorithm table. */
static fwt_err parse_spec_id(fwt_eventlog *log, const fwt_eventlog_event *e)
{
	const unsigned char *d = e->data;
	size_t n = e->data_len, p, i, k;
	uint32_t nalg;
	unsigned vlen;

	if (e->pcr != 0)
		return fwt__error(log->ctx, FWT_EFORMAT, "Spec ID event on PCR %u (must be PCR 0)", e->pcr);
	for (i = 0; i < SHA1_SIZE; i++)
		if (e->digests[0].value[i])
			return fwt__error(log->ctx, FWT_EFORMAT, "Spec ID event with a non-zero digest");
	if (n < 29)
		return fwt__error(log->ctx, FWT_EFORMAT,
		                  "Spec ID event: %zu bytes of data, too short (at least 29)", n);
	if (d[23] != 1 && d[23] != 2)
		return fwt__error(log->ctx, FWT_EFORMAT, "Spec ID event: uintnSize %u (must be 1 or 2)", d[23]);
	nalg = rd32(d + 24);
	if (nalg == 0 || nalg > FWT_EVENTLOG_MAX_BANKS)
		return fwt__error(log->ctx, FWT_EFORMAT,
		                  "Spec ID event: numberOfAlgorithms %u (must be 1 to %u)", nalg,
		                  FWT_EVENTLOG_MAX_BANKS);
	p = 28;
	if ((n - p) / 4 < nalg)
		return fwt__error(log->ctx, FWT_EFORMAT,
		                  "Spec ID event: %u algorithms do not fit in its %zu bytes", nalg, n);
	for (i = 0; i < nalg; i++, p += 4) {
		unsigned id = rd16(d + p), size = rd16(d + p + 2);
		fwt_digest_alg alg = 0;
		for (k = 0; k < i; k++)
			if (log->algs[k].id == id)
				return fwt__error(log->ctx, FWT_EFORMAT,
				                  "Spec ID event: algorithm 0x%04x listed twice (at byte %zu)", id,
				                  (size_t)LEGACY_HDR + p);
		if (fwt_digest_from_tcg_id(id, &alg) == FWT_OK) {
			if (size != fwt_digest_size(alg))
				return fwt__error(log->ctx, FWT_EFORMAT,
				                  "Spec ID event: %s declared with digest size %u (it is %zu; at byte %zu)",
				                  fwt_digest_name(alg), size, fwt_digest_size(alg), (size_t)LEGACY_HDR + p + 2);
		} else {
			alg = 0;
			if (size == 0 || size > FWT_DIGEST_MAX)
				return fwt__error(log->ctx, FWT_EFORMAT,
				                  "Spec ID event: algorithm 0x%04x with digest size %u (must be 1 to %d; at "
				                  "byte %zu)", id, size, FWT_DIGEST_MAX, (size_t)LEGACY_HDR + p + 2);
		}
		log->algs[i].id = id;
		log->algs[i].size = size;
		log->algs[i].alg = alg;
	}
	log->n_algs = nalg;
	if (p >= n)
		return fwt__error(log->ctx, FWT_EFORMAT, "Spec ID event: vendorInfoSize is missing");
	vlen = d[p++];
	if (vlen > n - p)
		return fwt__error(log->ctx, FWT_EFORMAT,
		                  "Spec ID event: vendorInfoSize %u exceeds the %zu bytes left in the event", vlen,
		                  n - p);
	if (vlen != n - p)
		return fwt__error(log->ctx, FWT_EFORMAT,
		                  "Spec ID event: %zu bytes after vendorInfo inside the event", n - p - vlen);
	return FWT_OK;
}

static int all_zero(const unsigned char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* EV_NO_ACTION rules and StartupLocality (PFP 10.4.5.3; RELIABILITY E5). */
static fwt_err check_event(fwt_eventlog *log, fwt_eventlog_event *e)
{
	size_t i;

	if (e->pcr >= FWT_PCR_COUNT)
		return fwt__error(log->ctx, FWT_EFORMAT, "event %zu at offset %llu: PCR index %u (must be 0 to 23)",
		                  e->index, (unsigned long long)e->offset, e->pcr);
	if (e->type != FWT_EV_NO_ACTION) {
		e->extends = 1;
		if (e->pcr == 0)
			log->pcr0_extended = 1;
		return FWT_OK;
	}
	e->extends = 0;
	for (i = 0; i < e->n_digests; i++)
		if (!all_zero(e->digests[i].value, e->digests[i].size))
			return fwt__error(log->ctx, FWT_EFORMAT,
			                  "event %zu at offset %llu: EV_NO_ACTION with a non-zero digest", e->index,
			                  (unsigned long long)e->offset);
	if (e->index > 0 && e->data_len >= 13 && !memcmp(e->data, "Spec ID Event", 13))
		return fwt__error(log->ctx, FWT_EFORMAT,
		                  "event %zu at offset %llu: a Spec ID event after the first event", e->index,
		                  (unsigned long long)e->offset);
	if (e->data_len >= 15 && !memcmp(e->data, "StartupLocality", 15)) {
		unsigned loc;
		if (e->data_len != 17 || e->data[15] != 0)
			return fwt__error(log->ctx, FWT_EFORMAT,
			                  "event %zu at offset %llu: malformed StartupLocality event (%zu bytes)",
			                  e->index, (unsigned long long)e->offset, e->data_len);
		if (e->pcr != 0)
			return fwt__error(log->ctx, FWT_EFORMAT,
			                  "event %zu at offset %llu: StartupLocality on PCR %u (only PCR 0)", e->index,
			                  (unsigned long long)e->offset, e->pcr);
		if (log->locality >= 0)
			return fwt__error(log->ctx, FWT_EFORMAT,
			                  "event %zu at offset %llu: a second StartupLocality event", e->index,
			                  (unsigned long long)e->offset);
		if (log->pcr0_extended)
			return fwt__error(log->ctx, FWT_EFORMAT,
			                  "event %zu at offset %llu: StartupLocality after PCR 0 was extended",
			                  e->index, (unsigned long long)e->offset);
		loc = e->data[16];
		if (loc >= 32 || !(log->allowed_localities & (1u << loc)))
			return fwt__error(log->ctx, FWT_EFORMAT,
			                  "event %zu at offset %llu: StartupLocality %u is not allowed", e->index,
			                  (unsigned long long)e->offset, loc);
		log->locality = (int)loc;
	}
	return FWT_OK;
}

/* ---- digest-of-data checks (RELIABILITY E7) ---- */

/* The UEFI_VARIABLE_DATA layout of data, or 0 when its lengths exceed the
 * event.  Bytes after VariableData (some shim versions log a few) are left
 * for the caller to see: *vdata_off + *vdata_len may be below n. */
static int efi_var_layout(const unsigned char *d, size_t n, size_t *name_chars, size_t *vdata_off, size_t *vdata_len)
{
	uint64_t nl, dl;

	if (n < 32)
		return 0;
	nl = rd64(d + 16);
	dl = rd64(d + 24);
	if (nl > (n - 32) / 2)
		return 0;
	if (dl > n - 32 - 2 * nl)
		return 0;
	*name_chars = (size_t)nl;
	*vdata_off = 32 + 2 * (size_t)nl;
	*vdata_len = (size_t)dl;
	return 1;
}

static fwt_err hash_of(fwt_eventlog *log, fwt_digest_alg alg, const unsigned char *p, size_t n, unsigned char *out)
{
	int slot = hash_slot(alg);
	fwt_err err;

	if (!log->hash[slot]) {
		err = fwt_hash_new(log->ctx, &log->hash[slot], alg);
		if (err)
			return err;
	}
	err = fwt_hash_update(log->hash[slot], p, n);
	if (!err)
		err = fwt_hash_final(log->hash[slot], out);
	return err;
}

static fwt_err check_data(fwt_eventlog *log, fwt_eventlog_event *e)
{
	const unsigned char *tgt[2];
	size_t tlen[2], nt = 0, i, k, nc, vo, vl;
	unsigned char h[FWT_DIGEST_MAX];
	int checked = 0, bad = 0, part = 0;
	fwt_err err;

	switch (e->type) {
	case FWT_EV_SEPARATOR:
	case FWT_EV_ACTION:
	case FWT_EV_EFI_ACTION:
	case FWT_EV_S_CRTM_VERSION:
	case FWT_EV_EFI_VARIABLE_DRIVER_CONFIG:
	case FWT_EV_EFI_VARIABLE_BOOT2:
	case FWT_EV_EFI_VARIABLE_AUTHORITY:
	case FWT_EV_EFI_GPT_EVENT:
	case FWT_EV_EFI_GPT_EVENT2:
		tgt[nt] = e->data;
		tlen[nt++] = e->data_len;
		break;
	case FWT_EV_EFI_VARIABLE_BOOT:
		/* PFP: the digest of VariableData; some firmware hashes the whole
		 * UEFI_VARIABLE_DATA.  Either is what was measured. */
		tgt[nt] = e->data;
		tlen[nt++] = e->data_len;
		if (efi_var_layout(e->data, e->data_len, &nc, &vo, &vl)) {
			tgt[nt] = e->data + vo;
			tlen[nt++] = vl;
		}
		break;
	default:
		e->check = FWT_EVENT_CHECK_NA;
		return FWT_OK;
	}
	for (i = 0; i < e->n_digests; i++) {
		const fwt_eventlog_digest *d = &e->digests[i];
		int match = 0;
		if (hash_slot(d->alg) < 0)
			continue;
		for (k = 0; k < nt && !match; k++) {
			err = hash_of(log, d->alg, tgt[k], tlen[k], h);
			if (err)
				return err;
			match = !memcmp(h, d->value, d->size);
			if (match && k > 0) /* VariableData only: the name and GUID are not covered */
				part = 1;
		}
		checked = 1;
		if (!match)
			bad = 1;
	}
	e->check = !checked ? FWT_EVENT_CHECK_NA
	           : bad    ? FWT_EVENT_CHECK_MISMATCH
	           : part   ? FWT_EVENT_CHECK_PARTIAL
	                    : FWT_EVENT_CHECK_OK;
	if (bad) {
		log->mismatches++;
		fwt__log(log->ctx, FWT_LOG_INFO, "event %zu (%s, PCR %u): digest does not match its data", e->index,
		         fwt_eventlog_type_name(e->type) ? fwt_eventlog_type_name(e->type) : "?", e->pcr);
	}
	return FWT_OK;
}

void fwt_eventlog_free(fwt_eventlog *log)
{
	size_t i;

	if (!log)
		return;
	for (i = 0; i < FWT_ARRAY_LEN(log->hash); i++)
		fwt_hash_free(log->hash[i]);
	free(log->rec);
	free(log->dig);
	free(log->buf);
	free(log);
}

/* Parse buf (malloc'd, len bytes; taken over, freed on failure). */
static fwt_err parse_owned(fwt_ctx *ctx, fwt_eventlog **out, unsigned char *buf, size_t len,
                           const fwt_eventlog_options *opts)
{
	fwt_eventlog *log;
	fwt_eventlog_event e;
	size_t off = 0, next, i;
	fwt_err err;

	log = calloc(1, sizeof(*log));
	if (!log) {
		free(buf);
		return fwt__enomem(ctx);
	}
	log->ctx = ctx;
	log->locality = -1;
	log->allowed_localities = opts && opts->localities ? opts->localities : (1u << 0 | 1u << 3);
	log->buf = buf;
	log->len = len;
	/* Every record takes at least 16 bytes: room for all of them at once
	 * (pages never touched cost nothing). */
	log->cap = len / 16 + 1 < FWT_EVENTLOG_MAX_EVENTS ? len / 16 + 1 : FWT_EVENTLOG_MAX_EVENTS;
	log->rec = malloc(log->cap * sizeof(*log->rec));
	if (!log->rec) {
		fwt_eventlog_free(log);
		return fwt__enomem(ctx);
	}

	/* The first record is always in the SHA-1 format. */
	err = parse_legacy(log, 0, &next, &e);
	if (err)
		goto fail;
	if (e.type == FWT_EV_NO_ACTION && e.data_len >= 16 && !memcmp(e.data, spec03, 16)) {
		log->format = FWT_EVENTLOG_CRYPTO_AGILE;
		err = parse_spec_id(log, &e);
		if (err) {
			/* the man page promises the event and its offset */
			fwt__error_prefix(ctx, "event 0 at offset 0");
			goto fail;
		}
		e.extends = 0;
	} else {
		log->format = FWT_EVENTLOG_SHA1;
		log->algs[0].id = 0x0004;
		log->algs[0].size = SHA1_SIZE;
		log->algs[0].alg = FWT_DIGEST_SHA1;
		log->n_algs = 1;
		err = check_event(log, &e);
	}
	if (!err)
		err = push_event(log, &e);
	for (off = next; !err && off < len; off = next) {
		if (log->n >= FWT_EVENTLOG_MAX_EVENTS) {
			err = fwt__error(ctx, FWT_EFORMAT, "more than %u events", FWT_EVENTLOG_MAX_EVENTS);
			break;
		}
		if (log->format == FWT_EVENTLOG_CRYPTO_AGILE)
			err = parse_agile(log, off, &next, &e);
		else
			err = parse_legacy(log, off, &next, &e);
		if (!err)
			err = check_event(log, &e);
		if (!err)
			err = push_event(log, &e);
	}
	if (err)
		goto fail;
	for (i = 0; i < log->n; i++) {
		view(log, i, &e);
		err = check_data(log, &e);
		if (err)
			goto fail;
		log->rec[i].check = (uint8_t)e.check;
	}
	*out = log;
	return FWT_OK;
fail:
	fwt_eventlog_free(log);
	return err;
}

static fwt_err check_args(fwt_ctx *ctx, size_t len, const fwt_eventlog_options *opts)
{
	unsigned ver;
	fwt_err err;

	if (opts && (err = fwt__opts_version(ctx, "event log", opts->version, FWT_EVENTLOG_OPTIONS_VERSION, &ver)))
		return err;
	if (len == 0)
		return fwt__error(ctx, FWT_EFORMAT, "empty event log");
	if (len > FWT_EVENTLOG_MAX_SIZE)
		return fwt__error(ctx, FWT_EFORMAT, "event log of %zu bytes is larger than the %u byte limit", len,
		                  FWT_EVENTLOG_MAX_SIZE);
	return FWT_OK;
}

fwt_err fwt_eventlog_parse(fwt_ctx *ctx, fwt_eventlog **out, const void *buf, size_t len,
                           const fwt_eventlog_options *opts)
{
	unsigned char *copy;
	fwt_err err;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_eventlog_parse");
	*out = NULL;
	err = check_args(ctx, len, opts);
	if (err)
		return err;
	copy = malloc(len); /* exactly len: reads past the end are bugs ASan sees */
	if (!copy)
		return fwt__enomem(ctx);
	memcpy(copy, buf, len);
	return parse_owned(ctx, out, copy, len, opts);
}

/* Parse the bytes read from name (buf is taken), the errors naming it. */
static fwt_err load_read(fwt_ctx *ctx, fwt_eventlog **out, const char *name, unsigned char *buf, size_t len,
                         const fwt_eventlog_options *opts)
{
	fwt_err err = check_args(ctx, len, opts);

	if (err)
		free(buf);
	else
		err = parse_owned(ctx, out, buf, len, opts);
	if (err) {
		char q[1040];
		fwt__quote(q, sizeof(q), name, strlen(name));
		return fwt__error_prefix(ctx, "'%s'", q);
	}
	return FWT_OK;
}

fwt_err fwt_eventlog_load(fwt_ctx *ctx, fwt_eventlog **out, const char *path, const fwt_eventlog_options *opts)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (!out || !path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_eventlog_load");
	*out = NULL;
	err = fwt_read_file(ctx, path, FWT_EVENTLOG_MAX_SIZE, &buf, &len);
	return err ? err : load_read(ctx, out, path, buf, len, opts);
}

fwt_err fwt_eventlog_load_fd(fwt_ctx *ctx, fwt_eventlog **out, int fd, const char *name,
                             const fwt_eventlog_options *opts)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (!out || !name || fd < 0)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_eventlog_load_fd");
	*out = NULL;
	err = fwt_read_fd(ctx, fd, name, FWT_EVENTLOG_MAX_SIZE, &buf, &len);
	return err ? err : load_read(ctx, out, name, buf, len, opts);
}

fwt_err fwt_eventlog_load_local(fwt_ctx *ctx, fwt_eventlog **out, const char *root, const fwt_eventlog_options *opts)
{
	char path[4096];
	fwt_err err;
	int fd;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_eventlog_load_local");
	*out = NULL;
	if ((size_t)snprintf(path, sizeof(path), "%s/sys/kernel/security/tpm0/binary_bios_measurements",
	                     root && *root ? root : "") >= sizeof(path))
		return fwt__error(ctx, FWT_EINVAL, "--sysfs-root is too long");
	/* securityfs shows the log as a regular file: a FIFO would wait for
	 * a writer for ever, and a folder is no log */
	fd = fwt__open_regular(path);
	if (fd == -2)
		return fwt__error(ctx, FWT_EIO, "'%s' is not a regular file", path);
	if (fd < 0)
		return fwt__error(ctx, FWT_EIO, "no TPM event log at '%s' (no TPM, or securityfs not mounted): %s",
		                  path, strerror(errno));
	err = fwt_eventlog_load_fd(ctx, out, fd, path, opts);
	close(fd);
	return err;
}

fwt_eventlog_format fwt_eventlog_get_format(const fwt_eventlog *log) { return log ? log->format : 0; }
size_t fwt_eventlog_count(const fwt_eventlog *log) { return log ? log->n : 0; }
fwt_err fwt_eventlog_event_get(const fwt_eventlog *log, size_t i, fwt_eventlog_event *out)
{
	if (!log || !out || i >= log->n)
		return FWT_EINVAL; /* past the end is how a caller finds it: no message */
	view(log, i, out);
	return FWT_OK;
}
size_t fwt_eventlog_alg_count(const fwt_eventlog *log) { return log ? log->n_algs : 0; }
const fwt_eventlog_alg *fwt_eventlog_alg_at(const fwt_eventlog *log, size_t i)
{
	return log && i < log->n_algs ? &log->algs[i] : NULL;
}
int fwt_eventlog_startup_locality(const fwt_eventlog *log) { return log ? log->locality : -1; }
size_t fwt_eventlog_mismatch_count(const fwt_eventlog *log) { return log ? log->mismatches : 0; }

int fwt_eventlog_bank_missing(const fwt_eventlog *log, fwt_digest_alg alg, size_t *event)
{
	size_t i, k, j;

	if (!log)
		return 0;
	for (j = 0; j < log->n_algs && log->algs[j].alg != alg; j++)
		;
	for (i = 0; i < log->n; i++) {
		const struct rec *r = &log->rec[i];
		if (!r->extends)
			continue;
		for (k = 0; k < r->n_digests && log->dig[r->dig + k] >> 24 != j; k++)
			;
		if (k == r->n_digests) {
			if (event)
				*event = i;
			return 1;
		}
	}
	return 0;
}

fwt_err fwt_eventlog_bank_check(fwt_ctx *ctx, const fwt_eventlog *log, fwt_digest_alg alg)
{
	size_t i, ev;

	if (!log || !fwt_digest_name(alg))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_eventlog_bank_check");
	for (i = 0; i < log->n_algs && log->algs[i].alg != alg; i++)
		;
	if (i == log->n_algs)
		return fwt__error(ctx, FWT_EVERIFY, "the log has no %s bank", fwt_digest_name(alg));
	if (hash_slot(alg) < 0)
		return fwt__error(ctx, FWT_EUNSUPPORTED, "cannot replay the %s bank", fwt_digest_name(alg));
	if (fwt_eventlog_bank_missing(log, alg, &ev))
		return fwt__error(ctx, FWT_EVERIFY, "bank %s cannot be replayed: event %zu has no %s digest",
		                  fwt_digest_name(alg), ev, fwt_digest_name(alg));
	return FWT_OK;
}

fwt_err fwt_eventlog_replay_check(fwt_ctx *ctx, const fwt_eventlog *log)
{
	char why[512];
	size_t a, ev, w = 0;

	if (!log)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_eventlog_replay_check");
	why[0] = '\0';
	for (a = 0; a < log->n_algs; a++) {
		fwt_digest_alg alg = log->algs[a].alg;
		if (hash_slot(alg) < 0)
			continue;
		if (!fwt_eventlog_bank_missing(log, alg, &ev))
			return FWT_OK;
		if (w < sizeof(why))
			w += (size_t)snprintf(why + w, sizeof(why) - w, "%sevent %zu at offset %u has no %s digest",
			                      w ? ", " : "", ev, log->rec[ev].off, fwt_digest_name(alg));
	}
	if (!w)
		return fwt__error(ctx, FWT_EUNSUPPORTED,
		                  "no bank can be replayed: the log's algorithms are none fwtrail can hash");
	return fwt__error(ctx, FWT_EFORMAT, "no bank can be replayed: %s", why);
}

/* ---- event data decoding ---- */

/* Printable ASCII with optional trailing NULs (at least one character). */
static int is_ascii_text(const unsigned char *p, size_t n, size_t *tlen)
{
	size_t i, t = n;

	while (t > 0 && p[t - 1] == 0)
		t--;
	if (t == 0)
		return 0;
	for (i = 0; i < t; i++)
		if (!((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
			return 0;
	*tlen = t;
	return 1;
}

/* UTF-16LE text of printable ASCII characters (and tab, LF, CR) with
 * optional trailing NULs.  Only ASCII: any even-length data without a small
 * code unit or a surrogate would pass for text otherwise (three random
 * 16-byte GUIDs in four), shown as CJK characters. */
static int is_utf16_text(const unsigned char *p, size_t n, size_t *chars)
{
	size_t i, t;

	if (n % 2 && p[n - 1] == 0) /* a stray NUL byte after the text (systemd-boot) */
		n--;
	if (n < 2 || n % 2)
		return 0;
	t = n / 2;
	while (t > 0 && rd16(p + 2 * (t - 1)) == 0)
		t--;
	if (t == 0)
		return 0;
	for (i = 0; i < t; i++) {
		uint16_t c = rd16(p + 2 * i);
		if ((c < 0x20 || c >= 0x7f) && c != '\t' && c != '\n' && c != '\r')
			return 0;
	}
	*chars = t;
	return 1;
}

static json_t *decode_text(const unsigned char *d, size_t n)
{
	struct fwt__sb s = { 0 };
	json_t *o;
	size_t t;

	if (is_ascii_text(d, n, &t)) {
		o = json_object();
		json_object_set_new(o, "kind", json_string("string"));
		sb_bytes(&s, d, t);
		json_object_set_new(o, "text", json_sb(&s));
		json_object_set_new(o, "hex", json_hexstr(d, n));
		return o;
	}
	if (is_utf16_text(d, n, &t)) {
		o = json_object();
		json_object_set_new(o, "kind", json_string("string"));
		json_object_set_new(o, "encoding", json_string("utf-16le"));
		fwt__sb_str(&s, "");
		sb_utf16(&s, d, t);
		json_object_set_new(o, "text", json_sb(&s));
		json_object_set_new(o, "hex", json_hexstr(d, n));
		return o;
	}
	return NULL;
}

static json_t *raw_json(const unsigned char *d, size_t n)
{
	json_t *o = json_object();

	json_object_set_new(o, "kind", json_string(n ? "raw" : "empty"));
	if (n)
		json_object_set_new(o, "hex", json_hexstr(d, n));
	return o;
}

static void mark_unparsed(json_t *o, const unsigned char *d, size_t n)
{
	json_object_set_new(o, "unparsed", json_true());
	json_object_set_new(o, "hex", json_hexstr(d, n));
}

/* UEFI device path to text in the spirit of the UEFI shell.  Every node
 * length is checked against what is left; malformed paths return 0. */
static int device_path_text(struct fwt__sb *s, const unsigned char *p, size_t n)
{
	size_t off = 0, nodes = 0;

	while (off < n) {
		const unsigned char *q = p + off;
		unsigned type, sub;
		size_t len, b;
		if (n - off < 4)
			return 0;
		type = q[0];
		sub = q[1];
		len = rd16(q + 2);
		if (len < 4 || len > n - off)
			return 0;
		b = len - 4;
		q += 4;
		if (type == 0x7f && sub == 0xff)
			return off + len == n;
		if (nodes++)
			fwt__sb_str(s, type == 0x7f ? "," : "/");
		if (type == 0x7f && sub == 0x01) {
			nodes = 0;
		} else if (type == 0x01 && sub == 0x01 && b == 2) {
			fwt__sb_fmt(s, "Pci(0x%x,0x%x)", q[1], q[0]);
		} else if (type == 0x01 && sub == 0x04 && b >= 16) {
			fwt__sb_str(s, "VenHw(");
			sb_guid(s, q);
			fwt__sb_str(s, ")");
		} else if (type == 0x02 && sub == 0x01 && b == 8) {
			uint32_t hid = rd32(q), uid = rd32(q + 4);
			if (hid == 0x0a0341d0)
				fwt__sb_fmt(s, "PciRoot(0x%x)", uid);
			else if (hid == 0x0a0841d0)
				fwt__sb_fmt(s, "PcieRoot(0x%x)", uid);
			else
				fwt__sb_fmt(s, "Acpi(0x%08x,0x%x)", hid, uid);
		} else if (type == 0x03 && sub == 0x02 && b == 4) {
			fwt__sb_fmt(s, "Scsi(0x%x,0x%x)", rd16(q), rd16(q + 2));
		} else if (type == 0x03 && sub == 0x05 && b == 2) {
			fwt__sb_fmt(s, "USB(0x%x,0x%x)", q[0], q[1]);
		} else if (type == 0x03 && sub == 0x0b && b >= 32) {
			fwt__sb_str(s, "MAC(");
			sb_hex(s, q, 6);
			fwt__sb_fmt(s, ",0x%x)", q[32 < b ? 32 : b - 1]);
		} else if (type == 0x03 && sub == 0x12 && b == 6) {
			fwt__sb_fmt(s, "Sata(0x%x,0x%x,0x%x)", rd16(q), rd16(q + 2), rd16(q + 4));
		} else if (type == 0x03 && sub == 0x17 && b == 12) {
			fwt__sb_fmt(s, "NVMe(0x%x,", rd32(q));
			sb_hex(s, q + 4, 8);
			fwt__sb_str(s, ")");
		} else if (type == 0x03 && sub == 0x0c && b == 23) {
			/* IPv4(RemoteIp,Protocol,Static|DHCP,LocalIp,GatewayIp,SubnetMask) */
			unsigned proto = rd16(q + 12);
			fwt__sb_fmt(s, "IPv4(%u.%u.%u.%u,", q[4], q[5], q[6], q[7]);
			if (proto == 6 || proto == 17)
				fwt__sb_str(s, proto == 6 ? "TCP" : "UDP");
			else
				fwt__sb_fmt(s, "%u", proto);
			fwt__sb_fmt(s, ",%s,%u.%u.%u.%u,%u.%u.%u.%u,%u.%u.%u.%u)", q[14] ? "Static" : "DHCP", q[0], q[1],
			            q[2], q[3], q[15], q[16], q[17], q[18], q[19], q[20], q[21], q[22]);
		} else if (type == 0x05 && sub == 0x01 && b >= 5 && memchr(q + 4, 0, b - 4)) {
			/* BBS(Type,Description,StatusFlag) */
			static const char *const bbs[] = { NULL, "Floppy", "HD", "CDROM", "PCMCIA", "USB", "Network" };
			unsigned t = rd16(q);
			fwt__sb_str(s, "BBS(");
			if (t >= 1 && t <= 6)
				fwt__sb_str(s, bbs[t]);
			else
				fwt__sb_fmt(s, "0x%x", t);
			fwt__sb_str(s, ",");
			sb_bytes(s, q + 4, strlen((const char *)q + 4));
			fwt__sb_fmt(s, ",0x%x)", rd16(q + 2));
		} else if (type == 0x03 && sub == 0x0a && b >= 16) {
			fwt__sb_str(s, "VenMsg(");
			sb_guid(s, q);
			fwt__sb_str(s, ")");
		} else if (type == 0x04 && sub == 0x01 && b == 38) {
			fwt__sb_fmt(s, "HD(%u,", rd32(q));
			if (q[37] == 0x02) {
				fwt__sb_str(s, "GPT,");
				sb_guid(s, q + 20);
			} else if (q[37] == 0x01) {
				fwt__sb_fmt(s, "MBR,0x%08x", rd32(q + 20));
			} else {
				fwt__sb_fmt(s, "%u,", q[37]);
				sb_hex(s, q + 20, 16);
			}
			fwt__sb_fmt(s, ",0x%llx,0x%llx)", (unsigned long long)rd64(q + 4), (unsigned long long)rd64(q + 12));
		} else if (type == 0x04 && sub == 0x02 && b == 20) {
			fwt__sb_fmt(s, "CDROM(0x%x,0x%llx,0x%llx)", rd32(q), (unsigned long long)rd64(q + 4),
			        (unsigned long long)rd64(q + 12));
		} else if (type == 0x04 && sub == 0x03 && b >= 16) {
			fwt__sb_str(s, "VenMedia(");
			sb_guid(s, q);
			fwt__sb_str(s, ")");
		} else if (type == 0x04 && sub == 0x04 && b % 2 == 0) {
			sb_utf16(s, q, utf16_trim(q, b / 2));
		} else if (type == 0x04 && sub == 0x06 && b == 16) {
			fwt__sb_str(s, "FvFile(");
			sb_guid(s, q);
			fwt__sb_str(s, ")");
		} else if (type == 0x04 && sub == 0x07 && b == 16) {
			fwt__sb_str(s, "Fv(");
			sb_guid(s, q);
			fwt__sb_str(s, ")");
		} else if (type == 0x04 && sub == 0x08 && b == 20) {
			fwt__sb_fmt(s, "Offset(0x%llx,0x%llx)", (unsigned long long)rd64(q + 4),
			        (unsigned long long)rd64(q + 12));
		} else {
			fwt__sb_fmt(s, "Path(%u,%u,", type, sub);
			sb_hex(s, q, b);
			fwt__sb_str(s, ")");
		}
		off += len;
	}
	return 1;
}

/* The length of the first device path instance of a FilePathList (up to
 * and including its End Entire node), or 0 when it has no end. */
static size_t device_path_first(const unsigned char *p, size_t n)
{
	size_t off = 0, len;

	while (n - off >= 4) {
		len = rd16(p + off + 2);
		if (len < 4 || len > n - off)
			return 0;
		off += len;
		if (p[off - len] == 0x7f && p[off - len + 1] == 0xff)
			return off;
	}
	return 0;
}

/* A Boot#### FilePathList: the boot device path ("device_path"), then the
 * optional ones (an initrd, another form of the same file), in order, in
 * "more_device_paths".  0, and neither set, when one does not decode. */
static int file_path_list(json_t *o, const unsigned char *p, size_t n)
{
	struct fwt__sb s = { 0 };
	json_t *more = NULL;
	size_t off = 0, len;

	while (off < n || !off) {
		len = device_path_first(p + off, n - off);
		fwt__sb_str(&s, "");
		if (!len || !device_path_text(&s, p + off, len) || (off && !more && !(more = json_array()))) {
			free(s.p);
			json_decref(more);
			json_object_del(o, "device_path");
			return 0;
		}
		if (!off)
			json_object_set_new(o, "device_path", json_sb(&s));
		else
			json_array_append_new(more, json_sb(&s));
		off += len;
	}
	if (more)
		json_object_set_new(o, "more_device_paths", more);
	return 1;
}

static const unsigned char guid_cert_x509[16] = { 0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
	                                          0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72 };
static const unsigned char guid_cert_sha256[16] = { 0x26, 0x16, 0xc4, 0xc1, 0x4c, 0x50, 0x92, 0x40,
	                                            0xac, 0xa9, 0x41, 0xf9, 0x36, 0x93, 0x43, 0x28 };

/* EFI_SIGNATURE_LIST array (db, dbx, KEK, PK); 0 when malformed. */
static int signature_lists(json_t *arr, const unsigned char *p, size_t n)
{
	size_t off = 0;

	while (off < n) {
		const unsigned char *q = p + off;
		uint32_t lsize, hsize, ssize;
		size_t body;
		json_t *o;
		if (n - off < 28)
			return 0;
		lsize = rd32(q + 16);
		hsize = rd32(q + 20);
		ssize = rd32(q + 24);
		if (lsize < 28 || lsize > n - off || hsize > lsize - 28 || ssize < 16)
			return 0;
		body = lsize - 28 - hsize;
		if (body % ssize)
			return 0;
		o = json_object();
		if (!memcmp(q, guid_cert_x509, 16))
			json_object_set_new(o, "type", json_string("x509"));
		else if (!memcmp(q, guid_cert_sha256, 16))
			json_object_set_new(o, "type", json_string("sha256"));
		else
			json_object_set_new(o, "type", json_guid(q));
		json_object_set_new(o, "count", json_integer((json_int_t)(body / ssize)));
		json_object_set_new(o, "signature_size", json_integer(ssize));
		json_array_append_new(arr, o);
		off += lsize;
	}
	return 1;
}

static int name_is(const unsigned char *u16, size_t chars, const char *ascii)
{
	size_t i, n = strlen(ascii);

	if (chars != n)
		return 0;
	for (i = 0; i < n; i++)
		if (rd16(u16 + 2 * i) != (unsigned char)ascii[i])
			return 0;
	return 1;
}

static int is_boot_nnnn(const unsigned char *u16, size_t chars)
{
	size_t i;

	if (chars != 8 || !name_is(u16, 4, "Boot"))
		return 0;
	for (i = 4; i < 8; i++) {
		uint16_t c = rd16(u16 + 2 * i);
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

static json_t *decode_efi_variable(const fwt_eventlog_event *e)
{
	const unsigned char *d = e->data;
	size_t nc, vo, vl;
	json_t *o = json_object();
	struct fwt__sb s = { 0 };

	json_object_set_new(o, "kind", json_string("efi_variable"));
	if (!efi_var_layout(d, e->data_len, &nc, &vo, &vl)) {
		mark_unparsed(o, d, e->data_len);
		return o;
	}
	json_object_set_new(o, "guid", json_guid(d));
	fwt__sb_str(&s, "");
	sb_utf16(&s, d + 32, nc);
	json_object_set_new(o, "name", json_sb(&s));
	json_object_set_new(o, "data_size", json_integer((json_int_t)vl));
	json_object_set_new(o, "data", json_hexstr(d + vo, vl));
	if (vo + vl < e->data_len)
		json_object_set_new(o, "trailing", json_hexstr(d + vo + vl, e->data_len - vo - vl));
	d += vo;
	if (name_is(e->data + 32, nc, "BootOrder")) {
		json_t *a = json_array();
		size_t i;
		if (vl % 2) {
			json_object_set_new(o, "unparsed", json_true());
		} else {
			for (i = 0; i < vl / 2; i++) {
				char b[16];
				snprintf(b, sizeof(b), "Boot%04X", rd16(d + 2 * i));
				json_array_append_new(a, json_string(b));
			}
		}
		json_object_set_new(o, "boot_order", a);
	} else if (is_boot_nnnn(e->data + 32, nc)) {
		/* EFI_LOAD_OPTION: Attributes, FilePathListLength, Description, FilePathList */
		size_t i, dl, fl;
		int ok = 0;
		if (vl >= 6) {
			fl = rd16(d + 4);
			for (i = 6; i + 1 < vl && rd16(d + i); i += 2)
				;
			if (i + 1 < vl) {
				dl = (i - 6) / 2;
				i += 2;
				if (fl <= vl - i) {
					fwt__sb_str(&s, "");
					sb_utf16(&s, d + 6, dl);
					json_object_set_new(o, "description", json_sb(&s));
					json_object_set_new(o, "attributes", json_integer(rd32(d)));
					ok = file_path_list(o, d + i, fl);
				}
			}
		}
		if (!ok)
			json_object_set_new(o, "unparsed", json_true());
	} else if (vl == 1 && (name_is(e->data + 32, nc, "SecureBoot") || name_is(e->data + 32, nc, "AuditMode") ||
	                       name_is(e->data + 32, nc, "DeployedMode") || name_is(e->data + 32, nc, "SetupMode"))) {
		json_object_set_new(o, "value", json_integer(d[0]));
	} else if (e->type == FWT_EV_EFI_VARIABLE_DRIVER_CONFIG &&
	           (name_is(e->data + 32, nc, "PK") || name_is(e->data + 32, nc, "KEK") ||
	            name_is(e->data + 32, nc, "db") || name_is(e->data + 32, nc, "dbx") ||
	            name_is(e->data + 32, nc, "dbt") || name_is(e->data + 32, nc, "dbr"))) {
		json_t *a = json_array();
		if (!signature_lists(a, d, vl)) {
			json_decref(a);
			json_object_set_new(o, "unparsed", json_true());
		} else {
			json_object_set_new(o, "signature_lists", a);
		}
	} else if (e->type == FWT_EV_EFI_VARIABLE_AUTHORITY && vl >= 16 &&
	           (name_is(e->data + 32, nc, "db") || name_is(e->data + 32, nc, "vendor_db") ||
	            name_is(e->data + 32, nc, "MokList"))) {
		/* EFI_SIGNATURE_DATA: SignatureOwner, then the certificate.  (Shim's
		 * "Shim" events hold its built-in certificate alone, no owner.) */
		json_object_set_new(o, "signature_owner", json_guid(d));
	}
	return o;
}

static json_t *decode_image_load(const fwt_eventlog_event *e)
{
	const unsigned char *d = e->data;
	json_t *o = json_object();
	struct fwt__sb s = { 0 };
	uint64_t dpl;

	json_object_set_new(o, "kind", json_string("efi_image_load"));
	/* Some firmware logs bytes after the device path: decoded as far as
	 * LengthOfDevicePath goes, the rest shown as "trailing". */
	if (e->data_len < 32 || (dpl = rd64(d + 24)) > e->data_len - 32) {
		mark_unparsed(o, d, e->data_len);
		return o;
	}
	if (dpl < e->data_len - 32)
		json_object_set_new(o, "trailing", json_hexstr(d + 32 + dpl, e->data_len - 32 - (size_t)dpl));
	json_object_set_new(o, "image_base", json_u64hex(rd64(d)));
	json_object_set_new(o, "image_length", json_integer((json_int_t)rd64(d + 8)));
	json_object_set_new(o, "link_time_address", json_u64hex(rd64(d + 16)));
	fwt__sb_str(&s, "");
	if (dpl == 0 || device_path_text(&s, d + 32, (size_t)dpl)) {
		json_object_set_new(o, "device_path", json_sb(&s));
	} else {
		free(s.p);
		json_object_set_new(o, "device_path_unparsed", json_true());
		json_object_set_new(o, "unparsed", json_true());
		json_object_set_new(o, "hex", json_hexstr(d + 32, (size_t)dpl));
	}
	return o;
}

static json_t *decode_gpt(const fwt_eventlog_event *e)
{
	const unsigned char *d = e->data;
	size_t n = e->data_len, i;
	uint64_t count;
	uint32_t esz;
	json_t *o = json_object(), *a;

	json_object_set_new(o, "kind", json_string("gpt"));
	if (n < 100 || memcmp(d, "EFI PART", 8)) {
		mark_unparsed(o, d, n);
		return o;
	}
	esz = rd32(d + 84);
	count = rd64(d + 92);
	if (esz < 128 || esz > 4096 || count > (n - 100) / esz || 100 + count * esz != n) {
		mark_unparsed(o, d, n);
		return o;
	}
	json_object_set_new(o, "disk_guid", json_guid(d + 56));
	a = json_array();
	for (i = 0; i < count; i++) {
		const unsigned char *q = d + 100 + i * esz;
		json_t *p = json_object();
		struct fwt__sb s = { 0 };
		json_object_set_new(p, "type_guid", json_guid(q));
		json_object_set_new(p, "unique_guid", json_guid(q + 16));
		json_object_set_new(p, "first_lba", json_integer((json_int_t)rd64(q + 32)));
		json_object_set_new(p, "last_lba", json_integer((json_int_t)rd64(q + 40)));
		json_object_set_new(p, "attributes", json_u64hex(rd64(q + 48)));
		fwt__sb_str(&s, "");
		sb_utf16(&s, q + 56, utf16_trim(q + 56, 36));
		json_object_set_new(p, "name", json_sb(&s));
		json_array_append_new(a, p);
	}
	json_object_set_new(o, "partitions", a);
	return o;
}

static json_t *decode_handoff(const fwt_eventlog_event *e, int v2)
{
	const unsigned char *d = e->data;
	size_t n = e->data_len, off = 0, i;
	uint64_t count;
	json_t *o = json_object(), *a;
	struct fwt__sb s = { 0 };

	json_object_set_new(o, "kind", json_string("handoff_tables"));
	if (v2) {
		if (n < 1 || d[0] > n - 1) {
			mark_unparsed(o, d, n);
			return o;
		}
		sb_bytes(&s, d + 1, d[0]);
		json_object_set_new(o, "description", json_sb(&s));
		off = 1 + (size_t)d[0];
	}
	if (n - off < 8 || (count = rd64(d + off)) > (n - off - 8) / 24 || count * 24 != n - off - 8) {
		mark_unparsed(o, d, n);
		return o;
	}
	off += 8;
	a = json_array();
	for (i = 0; i < count; i++, off += 24) {
		json_t *t = json_object();
		json_object_set_new(t, "guid", json_guid(d + off));
		json_object_set_new(t, "address", json_u64hex(rd64(d + off + 16)));
		json_array_append_new(a, t);
	}
	json_object_set_new(o, "tables", a);
	return o;
}

static json_t *decode_blob(const fwt_eventlog_event *e)
{
	const unsigned char *d = e->data;
	size_t n = e->data_len;
	json_t *o;
	struct fwt__sb s = { 0 };

	if (e->type == FWT_EV_EFI_PLATFORM_FIRMWARE_BLOB2) {
		o = json_object();
		json_object_set_new(o, "kind", json_string("firmware_blob"));
		if (n < 1 || (size_t)d[0] + 17 != n) {
			mark_unparsed(o, d, n);
			return o;
		}
		sb_bytes(&s, d + 1, d[0]);
		json_object_set_new(o, "description", json_sb(&s));
		json_object_set_new(o, "base", json_u64hex(rd64(d + 1 + d[0])));
		json_object_set_new(o, "length", json_integer((json_int_t)rd64(d + 9 + d[0])));
		return o;
	}
	if (n == 16) {
		o = json_object();
		json_object_set_new(o, "kind", json_string("firmware_blob"));
		json_object_set_new(o, "base", json_u64hex(rd64(d)));
		json_object_set_new(o, "length", json_integer((json_int_t)rd64(d + 8)));
		return o;
	}
	o = decode_text(d, n);
	return o ? o : raw_json(d, n);
}

static json_t *decode_spec_id(const fwt_eventlog *log, const fwt_eventlog_event *e)
{
	const unsigned char *d = e->data;
	json_t *o = json_object(), *a;
	struct fwt__sb s = { 0 };
	char v[16];
	size_t i, p;

	json_object_set_new(o, "kind", json_string("spec_id"));
	sb_bytes(&s, d, 15);
	json_object_set_new(o, "signature", json_sb(&s));
	json_object_set_new(o, "platform_class", json_integer(rd32(d + 16)));
	snprintf(v, sizeof(v), "%u.%u", d[21], d[20]);
	json_object_set_new(o, "spec_version", json_string(v));
	json_object_set_new(o, "spec_errata", json_integer(d[22]));
	json_object_set_new(o, "uintn_size", json_integer(d[23]));
	a = json_array();
	for (i = 0; i < log->n_algs; i++) {
		json_t *t = json_object();
		char id[8];
		snprintf(id, sizeof(id), "0x%04x", log->algs[i].id);
		json_object_set_new(t, "id", json_string(id));
		json_object_set_new(t, "name", log->algs[i].alg ? json_string(fwt_digest_name(log->algs[i].alg)) : json_null());
		json_object_set_new(t, "size", json_integer(log->algs[i].size));
		json_array_append_new(a, t);
	}
	json_object_set_new(o, "algorithms", a);
	p = 28 + 4 * log->n_algs;
	json_object_set_new(o, "vendor_info", json_hexstr(d + p + 1, d[p]));
	return o;
}

static json_t *decode_no_action(const fwt_eventlog *log, const fwt_eventlog_event *e)
{
	const unsigned char *d = e->data;
	size_t n = e->data_len, t;
	json_t *o;
	struct fwt__sb s = { 0 };

	if (e->index == 0 && log->format == FWT_EVENTLOG_CRYPTO_AGILE)
		return decode_spec_id(log, e);
	if (n == 17 && !memcmp(d, "StartupLocality", 16)) {
		o = json_object();
		json_object_set_new(o, "kind", json_string("startup_locality"));
		json_object_set_new(o, "locality", json_integer(d[16]));
		return o;
	}
	/* Other EV_NO_ACTION events start with a NUL-terminated 16-byte signature
	 * ("Spec ID Event00", "SP800-155 Event", "NvIndexInstance", ...). */
	if (n >= 16 && d[15] == 0 && is_ascii_text(d, 16, &t)) {
		o = json_object();
		json_object_set_new(o, "kind", json_string("no_action"));
		sb_bytes(&s, d, t);
		json_object_set_new(o, "signature", json_sb(&s));
		json_object_set_new(o, "hex", json_hexstr(d + 16, n - 16));
		return o;
	}
	return raw_json(d, n);
}

static json_t *decode_event(const fwt_eventlog *log, const fwt_eventlog_event *e)
{
	const unsigned char *d = e->data;
	size_t n = e->data_len;
	json_t *o = NULL;

	switch (e->type) {
	case FWT_EV_NO_ACTION:
		return decode_no_action(log, e);
	case FWT_EV_SEPARATOR:
		if (n == 4) {
			char v[16];
			o = json_object();
			json_object_set_new(o, "kind", json_string("separator"));
			snprintf(v, sizeof(v), "0x%08x", rd32(d));
			json_object_set_new(o, "value", json_string(v));
			json_object_set_new(o, "error", json_boolean(rd32(d) != 0));
			return o;
		}
		break;
	case FWT_EV_EFI_VARIABLE_DRIVER_CONFIG:
	case FWT_EV_EFI_VARIABLE_BOOT:
	case FWT_EV_EFI_VARIABLE_BOOT2:
	case FWT_EV_EFI_VARIABLE_AUTHORITY:
		return decode_efi_variable(e);
	case FWT_EV_EFI_BOOT_SERVICES_APPLICATION:
	case FWT_EV_EFI_BOOT_SERVICES_DRIVER:
	case FWT_EV_EFI_RUNTIME_SERVICES_DRIVER:
		return decode_image_load(e);
	case FWT_EV_EFI_GPT_EVENT:
	case FWT_EV_EFI_GPT_EVENT2:
		return decode_gpt(e);
	case FWT_EV_EFI_HANDOFF_TABLES:
		return decode_handoff(e, 0);
	case FWT_EV_EFI_HANDOFF_TABLES2:
		return decode_handoff(e, 1);
	case FWT_EV_POST_CODE:
	case FWT_EV_S_CRTM_CONTENTS:
	case FWT_EV_EFI_PLATFORM_FIRMWARE_BLOB:
	case FWT_EV_EFI_PLATFORM_FIRMWARE_BLOB2:
		return decode_blob(e);
	case FWT_EV_S_CRTM_VERSION:
		/* a UCS-2 version string, or a GUID (PC Client PFP) */
		o = decode_text(d, n);
		if (!o && n == 16) {
			o = json_object();
			json_object_set_new(o, "kind", json_string("guid"));
			json_object_set_new(o, "guid", json_guid(d));
			json_object_set_new(o, "hex", json_hexstr(d, n));
		}
		break;
	case FWT_EV_ACTION:
	case FWT_EV_EFI_ACTION:
	case FWT_EV_IPL:
	case FWT_EV_EVENT_TAG:
	case FWT_EV_PLATFORM_CONFIG_FLAGS:
	case FWT_EV_COMPACT_HASH:
	case FWT_EV_OMIT_BOOT_DEVICE_EVENTS:
	case FWT_EV_EFI_HCRTM_EVENT:
	case FWT_EV_POST_CODE2:
	case FWT_EV_NONHOST_INFO:
		o = decode_text(d, n);
		break;
	default:
		break;
	}
	return o ? o : raw_json(d, n);
}

fwt_err fwt_eventlog_event_to_json(const fwt_eventlog *log, size_t i, json_t **out)
{
	fwt_eventlog_event ev;
	const fwt_eventlog_event *e;
	json_t *o, *dg, *data;
	const char *tn;
	size_t k;
	char id[16];

	if (!out || !log || i >= log->n)
		return FWT_EINVAL; /* past the end is how a caller finds it: no message */
	*out = NULL;
	view(log, i, &ev);
	e = &ev;
	o = json_object();
	if (!o)
		return fwt__enomem(log->ctx);
	json_object_set_new(o, "index", json_integer((json_int_t)e->index));
	json_object_set_new(o, "offset", json_integer((json_int_t)e->offset));
	json_object_set_new(o, "pcr", json_integer(e->pcr));
	tn = fwt_eventlog_type_name(e->type);
	snprintf(id, sizeof(id), "0x%08x", e->type);
	json_object_set_new(o, "type", json_string(tn ? tn : id));
	json_object_set_new(o, "type_id", json_string(id));
	dg = json_object();
	for (k = 0; k < e->n_digests; k++) {
		snprintf(id, sizeof(id), "0x%04x", e->digests[k].alg_id);
		json_object_set_new(dg, e->digests[k].alg ? fwt_digest_name(e->digests[k].alg) : id,
		                    json_hexstr(e->digests[k].value, e->digests[k].size));
	}
	json_object_set_new(o, "digests", dg);
	json_object_set_new(o, "event_size", json_integer((json_int_t)e->data_len));
	json_object_set_new(o, "extends", json_boolean(e->extends));
	json_object_set_new(o, "digest_check", json_string(e->check == FWT_EVENT_CHECK_OK         ? "ok"
	                                                   : e->check == FWT_EVENT_CHECK_MISMATCH ? "mismatch"
	                                                   : e->check == FWT_EVENT_CHECK_PARTIAL  ? "variable_data_only"
	                                                                                          : "not_applicable"));
	data = decode_event(log, e);
	if (!data) {
		json_decref(o);
		return fwt__enomem(log->ctx);
	}
	json_object_set_new(o, "data", data);
	*out = o;
	return FWT_OK;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

fwt_err fwt_eventlog_event_describe(const fwt_eventlog *log, size_t i, char **out)
{
	fwt_eventlog_event ev;
	const fwt_eventlog_event *e;
	json_t *d;
	const char *kind;
	struct fwt__sb s = { 0 };
	size_t k;

	if (!out || !log || i >= log->n)
		return FWT_EINVAL; /* past the end is how a caller finds it: no message */
	*out = NULL;
	view(log, i, &ev);
	e = &ev;
	d = decode_event(log, e);
	if (!d)
		return fwt__enomem(log->ctx);
	kind = jstr(d, "kind");
	fwt__sb_str(&s, "");
	/* RELIABILITY E7: what the digest does not vouch for is marked */
	if (e->check == FWT_EVENT_CHECK_MISMATCH)
		fwt__sb_str(&s, "[digest does not match: data unverified] ");
	else if (e->check == FWT_EVENT_CHECK_PARTIAL) /* bytes after the value are not measured either */
		fwt__sb_str(&s, json_object_get(d, "trailing") ? "[name and bytes after the value unverified] "
		                                               : "[name unverified] ");
	else if (e->check == FWT_EVENT_CHECK_NA)
		fwt__sb_str(&s, "[unverified] ");
	if (!strcmp(kind, "spec_id")) {
		json_t *a = json_object_get(d, "algorithms");
		fwt__sb_fmt(&s, "%s: ", jstr(d, "signature"));
		for (k = 0; k < json_array_size(a); k++) {
			json_t *n = json_object_get(json_array_get(a, k), "name");
			fwt__sb_fmt(&s, "%s%s", k ? ", " : "",
			        json_is_string(n) ? json_string_value(n) : jstr(json_array_get(a, k), "id"));
		}
		fwt__sb_fmt(&s, " (spec %s)", jstr(d, "spec_version"));
	} else if (!strcmp(kind, "guid")) {
		fwt__sb_fmt(&s, "GUID {%s}", jstr(d, "guid"));
	} else if (!strcmp(kind, "startup_locality")) {
		fwt__sb_fmt(&s, "StartupLocality %lld", (long long)json_integer_value(json_object_get(d, "locality")));
	} else if (!strcmp(kind, "no_action")) {
		fwt__sb_str(&s, jstr(d, "signature"));
	} else if (!strcmp(kind, "string")) {
		fwt__sb_fmt(&s, "\"%s\"", jstr(d, "text"));
	} else if (!strcmp(kind, "separator")) {
		fwt__sb_fmt(&s, "separator %s%s", jstr(d, "value"),
		        json_is_true(json_object_get(d, "error")) ? " (error)" : "");
	} else if (!strcmp(kind, "firmware_blob") && json_object_get(d, "base")) {
		if (json_object_get(d, "description"))
			fwt__sb_fmt(&s, "\"%s\" ", jstr(d, "description"));
		fwt__sb_fmt(&s, "blob at %s, %lld bytes", jstr(d, "base"),
		        (long long)json_integer_value(json_object_get(d, "length")));
	} else if (!strcmp(kind, "efi_variable") && json_object_get(d, "name")) {
		fwt__sb_fmt(&s, "%s {%s}", jstr(d, "name"), jstr(d, "guid"));
		if (json_object_get(d, "boot_order")) {
			json_t *a = json_object_get(d, "boot_order");
			fwt__sb_str(&s, " =");
			for (k = 0; k < json_array_size(a); k++)
				fwt__sb_fmt(&s, "%s%s", k ? "," : " ", json_string_value(json_array_get(a, k)));
		} else if (json_object_get(d, "description")) {
			fwt__sb_fmt(&s, " = \"%s\" %s", jstr(d, "description"), jstr(d, "device_path"));
		} else if (json_object_get(d, "value")) {
			fwt__sb_fmt(&s, " = %lld", (long long)json_integer_value(json_object_get(d, "value")));
		} else {
			fwt__sb_fmt(&s, ", %lld bytes", (long long)json_integer_value(json_object_get(d, "data_size")));
		}
	} else if (!strcmp(kind, "efi_image_load") && json_object_get(d, "image_base")) {
		const char *dp = jstr(d, "device_path");
		long long il = (long long)json_integer_value(json_object_get(d, "image_length"));
		if (*dp)
			fwt__sb_fmt(&s, "%s (image at %s, %lld bytes)", dp, jstr(d, "image_base"), il);
		else if (json_is_true(json_object_get(d, "device_path_unparsed")))
			fwt__sb_fmt(&s, "image at %s, %lld bytes, malformed device path of %zu bytes", jstr(d, "image_base"),
			            il, strlen(jstr(d, "hex")) / 2);
		else
			fwt__sb_fmt(&s, "image at %s, %lld bytes, no device path", jstr(d, "image_base"), il);
	} else if (!strcmp(kind, "gpt") && json_object_get(d, "disk_guid")) {
		fwt__sb_fmt(&s, "GPT disk {%s}, %zu partitions", jstr(d, "disk_guid"),
		        json_array_size(json_object_get(d, "partitions")));
	} else if (!strcmp(kind, "handoff_tables") && json_object_get(d, "tables")) {
		json_t *a = json_object_get(d, "tables");
		fwt__sb_fmt(&s, "%zu table%s", json_array_size(a), json_array_size(a) == 1 ? "" : "s");
		for (k = 0; k < json_array_size(a); k++)
			fwt__sb_fmt(&s, "%s{%s}", k ? ", " : ": ", jstr(json_array_get(a, k), "guid"));
	} else if (!strcmp(kind, "empty")) {
		fwt__sb_str(&s, "(no data)");
	} else {
		const char *hex = jstr(d, "hex");
		size_t hl = strlen(hex);
		fwt__sb_fmt(&s, "%zu bytes: ", e->data_len);
		fwt__sb_add(&s, hex, hl > 64 ? 64 : hl);
		if (hl > 64)
			fwt__sb_str(&s, "...");
	}
	if (json_object_get(d, "trailing"))
		fwt__sb_fmt(&s, " (%zu bytes after it)", strlen(jstr(d, "trailing")) / 2);
	if (json_is_true(json_object_get(d, "unparsed")) && strcmp(kind, "raw"))
		fwt__sb_str(&s, " (unparsed)");
	json_decref(d);
	if (s.oom) {
		free(s.p);
		return fwt__enomem(log->ctx);
	}
	*out = s.p;
	return FWT_OK;
}

/* ---- PCR sets ---- */

struct bank {
	fwt_digest_alg alg;
	size_t size;
	uint32_t sel;
	unsigned char v[FWT_PCR_COUNT][FWT_DIGEST_MAX];
};

struct fwt_pcrs {
	fwt_ctx *ctx;
	struct bank b[5];
	size_t n;
};

fwt_err fwt_pcrs_new(fwt_ctx *ctx, fwt_pcrs **out)
{
	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pcrs_new");
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return fwt__enomem(ctx);
	(*out)->ctx = ctx;
	return FWT_OK;
}

void fwt_pcrs_free(fwt_pcrs *p) { free(p); }

static struct bank *find_bank(const fwt_pcrs *p, fwt_digest_alg alg)
{
	size_t i;
	for (i = 0; p && i < p->n; i++)
		if (p->b[i].alg == alg)
			return (struct bank *)&p->b[i];
	return NULL;
}

static struct bank *add_bank(fwt_pcrs *p, fwt_digest_alg alg)
{
	struct bank *b = find_bank(p, alg);

	if (b)
		return b;
	if (p->n >= FWT_ARRAY_LEN(p->b) || !fwt_digest_size(alg))
		return NULL;
	b = &p->b[p->n++];
	memset(b, 0, sizeof(*b));
	b->alg = alg;
	b->size = fwt_digest_size(alg);
	return b;
}

fwt_err fwt_pcrs_set(fwt_pcrs *p, fwt_digest_alg alg, unsigned pcr, const unsigned char *v, size_t len)
{
	struct bank *b;

	if (!p || !v || pcr >= FWT_PCR_COUNT || len != fwt_digest_size(alg) || !len)
		return p ? fwt__error(p->ctx, FWT_EINVAL, "bad arguments to fwt_pcrs_set") : FWT_EINVAL;
	b = add_bank(p, alg);
	if (!b)
		return fwt__error(p->ctx, FWT_EUNSUPPORTED, "unsupported PCR bank");
	memcpy(b->v[pcr], v, len);
	b->sel |= 1u << pcr;
	return FWT_OK;
}

unsigned fwt_pcrs_banks(const fwt_pcrs *p)
{
	unsigned m = 0;
	size_t i;
	for (i = 0; p && i < p->n; i++)
		m |= p->b[i].alg;
	return m;
}

uint32_t fwt_pcrs_selected(const fwt_pcrs *p, fwt_digest_alg alg)
{
	struct bank *b = find_bank(p, alg);
	return b ? b->sel : 0;
}

const unsigned char *fwt_pcrs_get(const fwt_pcrs *p, fwt_digest_alg alg, unsigned pcr)
{
	struct bank *b = find_bank(p, alg);
	return b && pcr < FWT_PCR_COUNT ? b->v[pcr] : NULL;
}

static void reset_bank(struct bank *b, int locality)
{
	unsigned i;

	memset(b->v, 0, sizeof(b->v));
	for (i = 17; i <= 22; i++)
		memset(b->v[i], 0xff, b->size);
	if (locality > 0)
		b->v[0][b->size - 1] = (unsigned char)locality;
	b->sel = 0;
}

fwt_err fwt_eventlog_replay(fwt_ctx *ctx, const fwt_eventlog *log, fwt_pcrs **out)
{
	fwt_pcrs *p = NULL;
	fwt_hash *h = NULL;
	size_t a, i, miss;
	fwt_err err;

	if (!out || !log)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_eventlog_replay");
	*out = NULL;
	err = fwt_pcrs_new(ctx, &p);
	if (err)
		return err;
	for (a = 0; a < log->n_algs; a++) {
		fwt_digest_alg alg = log->algs[a].alg;
		struct bank *b;
		if (hash_slot(alg) < 0 || fwt_eventlog_bank_missing(log, alg, &miss))
			continue;
		b = add_bank(p, alg);
		if (!b) {
			err = fwt__error(ctx, FWT_EINTERNAL, "too many PCR banks");
			goto fail;
		}
		reset_bank(b, log->locality);
		err = fwt_hash_new(ctx, &h, alg);
		if (err)
			goto fail;
		for (i = 0; i < log->n; i++) {
			const struct rec *r = &log->rec[i];
			size_t k;
			if (!r->extends)
				continue;
			for (k = 0; log->dig[r->dig + k] >> 24 != a; k++)
				; /* present: fwt_eventlog_bank_missing said so */
			if ((err = fwt_hash_update(h, b->v[r->pcr], b->size)) != FWT_OK ||
			    (err = fwt_hash_update(h, log->buf + (log->dig[r->dig + k] & 0xffffffu), b->size)) != FWT_OK ||
			    (err = fwt_hash_final(h, b->v[r->pcr])) != FWT_OK)
				goto fail;
			b->sel |= 1u << r->pcr;
		}
		fwt_hash_free(h);
		h = NULL;
	}
	*out = p;
	return FWT_OK;
fail:
	fwt_hash_free(h);
	fwt_pcrs_free(p);
	return err;
}

/* ---- reference values: tpm2_pcrread YAML or fwtrail JSON ---- */


static fwt_err parse_pcr_value(fwt_pcrs *p, fwt_digest_alg alg, unsigned pcr, const char *v, size_t vlen,
                               const char *where)
{
	unsigned char d[FWT_DIGEST_MAX];
	struct bank *b = find_bank(p, alg);

	if (b && (b->sel & (1u << pcr)))
		return fwt__error(p->ctx, FWT_EFORMAT, "%s: PCR %u of %s given twice", where, pcr, fwt_digest_name(alg));
	if (fwt_hex_parse_digest(d, fwt_digest_size(alg), v, vlen) != FWT_OK)
		return fwt__error(p->ctx, FWT_EFORMAT, "%s: not a %s value (%zu hex digits expected)", where,
		                  fwt_digest_name(alg), 2 * fwt_digest_size(alg));
	return fwt_pcrs_set(p, alg, pcr, d, fwt_digest_size(alg));
}

static int parse_pcr_index(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	if (n == 0 || n > 2 || (n == 2 && s[0] == '0'))
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v >= FWT_PCR_COUNT)
		return 0;
	*out = v;
	return 1;
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* Where tpm2_eventlog(1)'s output keeps its replayed values: the offset
 * of a "pcrs:" line at column 0 (after "---", "version:" and "events:"),
 * and the number of lines before it; 0 when there is no such line. */
static int pcrs_section(const char *t, size_t len, size_t *off, size_t *line)
{
	size_t o = 0, ln = 0, n;

	while (o < len) {
		const char *l = t + o, *nl = memchr(l, '\n', len - o);
		n = nl ? (size_t)(nl - l) : len - o;
		while (n && (l[n - 1] == '\r' || is_space(l[n - 1])))
			n--;
		if (n == 5 && !memcmp(l, "pcrs:", 5)) {
			*off = o;
			*line = ln;
			return 1;
		}
		o += (nl ? (size_t)(nl - l) + 1 : len - o);
		ln++;
	}
	return 0;
}

/* tpm2_eventlog output before its "pcrs:" section: at column 0 only the
 * document start, "version:", "events:", the events' "- " items and
 * comments; anything else (a PCR bank, say) would be values that are not
 * read, and is refused.  0, or the 1-based number of the first other line. */
static size_t before_section(const char *t, size_t end)
{
	static const char *const ok[] = { "---", "version:", "events:", "- ", "#" };
	size_t off = 0, line = 0, n, k;

	while (off < end) {
		const char *l = t + off, *nl = memchr(l, '\n', end - off);
		n = nl ? (size_t)(nl - l) : end - off;
		line++;
		off += n + (nl ? 1 : 0);
		while (n && (l[n - 1] == '\r' || is_space(l[n - 1])))
			n--;
		if (!n || is_space(l[0]) || (n == 1 && l[0] == '-'))
			continue;
		for (k = 0; k < sizeof(ok) / sizeof(ok[0]); k++)
			if (n >= strlen(ok[k]) && !memcmp(l, ok[k], strlen(ok[k])))
				break;
		if (k == sizeof(ok) / sizeof(ok[0]))
			return line;
	}
	return 0;
}

static fwt_err parse_yaml(fwt_pcrs *p, const char *t, size_t len)
{
	size_t off = 0, line = 0, bad;
	fwt_digest_alg bank = 0;
	char where[32];
	/* in tpm2_eventlog output, only the "pcrs:" section counts: it ends
	 * at the next line that starts at column 0, and only a document end
	 * may follow it */
	int section = pcrs_section(t, len, &off, &line), first = 1, ended = 0;

	if (section && (bad = before_section(t, off)) != 0)
		return fwt__error(p->ctx, FWT_EFORMAT, "line %zu: not tpm2_eventlog output before its 'pcrs:' section "
		                  "(PCR values there would not be read)", bad);

	while (off < len) {
		const char *l = t + off, *nl = memchr(l, '\n', len - off);
		size_t n = nl ? (size_t)(nl - l) : len - off, a, b, c;
		off += n + (nl ? 1 : 0);
		line++;
		snprintf(where, sizeof(where), "line %zu", line);
		if (n && l[n - 1] == '\r')
			n--;
		for (a = 0; a < n && is_space(l[a]); a++)
			;
		while (n > a && is_space(l[n - 1]))
			n--;
		if (a == n || l[a] == '#')
			continue;
		if (section && a == 0 && !first)
			ended = 1;
		if (ended) {
			if (n - a == 3 && !memcmp(l + a, "...", 3))
				continue;
			return fwt__error(p->ctx, FWT_EFORMAT, "%s: after tpm2_eventlog's 'pcrs:' section (PCR values there "
			                  "would not be read)", where);
		}
		first = 0;
		if (l[n - 1] == ':') {
			/* "sha256:" opens a bank; "pcrs:" is tpm2_eventlog's container */
			char name[16];
			fwt_digest_alg alg;
			b = n - 1;
			while (b > a && is_space(l[b - 1]))
				b--;
			if (b - a == 4 && !memcmp(l + a, "pcrs", 4))
				continue;
			if (b - a == 0 || b - a >= sizeof(name))
				return fwt__error(p->ctx, FWT_EFORMAT, "%s: not tpm2_pcrread YAML", where);
			memcpy(name, l + a, b - a);
			name[b - a] = '\0';
			if (fwt_digest_from_name(name, &alg) != FWT_OK || alg == FWT_DIGEST_SM3)
				return fwt__error(p->ctx, FWT_EFORMAT, "%s: unknown PCR bank", where);
			if (find_bank(p, alg))
				return fwt__error(p->ctx, FWT_EFORMAT, "%s: bank %s given twice", where, name);
			if (!add_bank(p, alg))
				return fwt__error(p->ctx, FWT_EFORMAT, "%s: too many banks", where);
			bank = alg;
			continue;
		}
		/* "  7 : 0x..." */
		{
			unsigned pcr;
			for (b = a; b < n && l[b] >= '0' && l[b] <= '9'; b++)
				;
			if (!parse_pcr_index(l + a, b - a, &pcr))
				return fwt__error(p->ctx, FWT_EFORMAT, "%s: not tpm2_pcrread YAML", where);
			for (c = b; c < n && is_space(l[c]); c++)
				;
			if (c >= n || l[c] != ':')
				return fwt__error(p->ctx, FWT_EFORMAT, "%s: not tpm2_pcrread YAML", where);
			for (c++; c < n && is_space(l[c]); c++)
				;
			if (!bank)
				return fwt__error(p->ctx, FWT_EFORMAT, "%s: PCR value before any bank name", where);
			{
				fwt_err err = parse_pcr_value(p, bank, pcr, l + c, n - c, where);
				if (err)
					return err;
			}
		}
	}
	if (!p->n)
		return fwt__error(p->ctx, FWT_EFORMAT, "no PCR bank found");
	return FWT_OK;
}

static fwt_err parse_json_pcrs(fwt_pcrs *p, const char *t, size_t len)
{
	json_error_t je;
	json_t *root, *banks, *v, *pv;
	const char *k, *pk;
	fwt_err err = FWT_OK;
	char where[96];

	root = json_loadb(t, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return fwt__error(p->ctx, FWT_EFORMAT, "not JSON: %s at line %d", je.text, je.line);
	banks = json_object_get(root, "banks");
	if (!json_is_object(root) || !json_is_object(banks)) {
		err = fwt__error(p->ctx, FWT_EFORMAT, "$.banks: missing or not an object");
		goto out;
	}
	json_object_foreach(banks, k, v) {
		fwt_digest_alg alg;
		char q[40];
		fwt__quote(q, sizeof(q), k, strlen(k));
		if (fwt_digest_from_name(k, &alg) != FWT_OK || alg == FWT_DIGEST_SM3) {
			err = fwt__error(p->ctx, FWT_EFORMAT, "$.banks.%s: unknown PCR bank", q);
			goto out;
		}
		if (!json_is_object(v)) {
			err = fwt__error(p->ctx, FWT_EFORMAT, "$.banks.%s: not an object", q);
			goto out;
		}
		if (find_bank(p, alg)) {
			err = fwt__error(p->ctx, FWT_EFORMAT, "$.banks.%s: bank given twice", q);
			goto out;
		}
		if (!add_bank(p, alg)) {
			err = fwt__error(p->ctx, FWT_EFORMAT, "$.banks: too many banks");
			goto out;
		}
		json_object_foreach(v, pk, pv) {
			unsigned pcr;
			char pq[16];
			fwt__quote(pq, sizeof(pq), pk, strlen(pk));
			snprintf(where, sizeof(where), "$.banks.%s.%s", q, pq);
			if (!parse_pcr_index(pk, strlen(pk), &pcr)) {
				err = fwt__error(p->ctx, FWT_EFORMAT, "%s: not a PCR number (0 to 23)", where);
				goto out;
			}
			if (!json_is_string(pv)) {
				err = fwt__error(p->ctx, FWT_EFORMAT, "%s: not a string", where);
				goto out;
			}
			err = parse_pcr_value(p, alg, pcr, json_string_value(pv), json_string_length(pv), where);
			if (err)
				goto out;
		}
	}
	if (!p->n)
		err = fwt__error(p->ctx, FWT_EFORMAT, "$.banks: no PCR bank");
out:
	json_decref(root);
	return err;
}

fwt_err fwt_pcrs_parse(fwt_ctx *ctx, fwt_pcrs **out, const void *buf, size_t len, const char *name)
{
	const char *t = buf;
	fwt_pcrs *p;
	size_t i;
	fwt_err err;

	if (!out || (!buf && len))
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pcrs_parse");
	*out = NULL;
	if (len > FWT_PCRS_MAX_SIZE)
		return fwt__error(ctx, FWT_EFORMAT, "'%s': larger than %u bytes", name ? name : "-", (unsigned)FWT_PCRS_MAX_SIZE);
	for (i = 0; i < len; i++)
		if (!t[i])
			return fwt__error(ctx, FWT_EFORMAT, "'%s': NUL byte at offset %zu", name ? name : "-", i);
	err = fwt_pcrs_new(ctx, &p);
	if (err)
		return err;
	for (i = 0; i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'); i++)
		;
	err = i < len && t[i] == '{' ? parse_json_pcrs(p, t, len) : parse_yaml(p, t, len);
	if (err) {
		char q[1040];
		fwt__quote(q, sizeof(q), name ? name : "-", strlen(name ? name : "-"));
		fwt_pcrs_free(p);
		return fwt__error_prefix(ctx, "'%s'", q);
	}
	*out = p;
	return FWT_OK;
}

fwt_err fwt_pcrs_load(fwt_ctx *ctx, fwt_pcrs **out, const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	fwt_err err;

	if (!out || !path)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pcrs_load");
	*out = NULL;
	err = fwt_read_file(ctx, path, FWT_PCRS_MAX_SIZE, &buf, &len);
	if (err)
		return err;
	err = fwt_pcrs_parse(ctx, out, buf, len, path);
	free(buf);
	return err;
}

fwt_err fwt_pcrs_read_sysfs(fwt_ctx *ctx, fwt_pcrs **out, const char *root, unsigned algs, uint32_t mask)
{
	static const fwt_digest_alg order[] = { FWT_DIGEST_SHA1, FWT_DIGEST_SHA256, FWT_DIGEST_SHA384,
		                                FWT_DIGEST_SHA512 };
	fwt_pcrs *p;
	char path[4096];
	struct stat st;
	size_t i;
	unsigned pcr;
	int fd;
	fwt_err err;

	if (!out)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pcrs_read_sysfs");
	*out = NULL;
	if (!root)
		root = "";
	err = fwt_pcrs_new(ctx, &p);
	if (err)
		return err;
	for (i = 0; i < FWT_ARRAY_LEN(order); i++) {
		if (!(algs & order[i]))
			continue;
		snprintf(path, sizeof(path), "%s/sys/class/tpm/tpm0/pcr-%s", root, fwt_digest_name(order[i]));
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		add_bank(p, order[i]);
		for (pcr = 0; pcr < FWT_PCR_COUNT; pcr++) {
			unsigned char *buf = NULL;
			size_t len = 0, n;
			char where[4200];
			if (!(mask & (1u << pcr)))
				continue;
			if ((size_t)snprintf(path, sizeof(path), "%s/sys/class/tpm/tpm0/pcr-%s/%u", root,
			                     fwt_digest_name(order[i]), pcr) >= sizeof(path)) {
				err = fwt__error(ctx, FWT_EINVAL, "--sysfs-root is too long");
				goto fail;
			}
			/* sysfs attributes are regular files: a FIFO would wait */
			fd = fwt__open_regular(path);
			if (fd < 0) {
				err = fd == -2 ? fwt__error(ctx, FWT_EIO, "'%s' is not a regular file", path)
				               : fwt__error(ctx, FWT_EIO, "cannot open '%s': %s", path, strerror(errno));
				goto fail;
			}
			err = fwt_read_fd(ctx, fd, path, 256, &buf, &len);
			close(fd);
			if (err)
				goto fail;
			n = len;
			while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
				n--;
			snprintf(where, sizeof(where), "'%s'", path);
			err = parse_pcr_value(p, order[i], pcr, (const char *)buf, n, where);
			free(buf);
			if (err)
				goto fail;
		}
	}
	if (!p->n) {
		err = fwt__error(ctx, FWT_EIO, "no PCR bank under '%s/sys/class/tpm/tpm0' (no TPM 2.0, or a kernel "
		                 "without PCR files in sysfs)", root);
		goto fail;
	}
	*out = p;
	return FWT_OK;
fail:
	fwt_pcrs_free(p);
	return err;
}

/* The banks an unscoped comparison looks at: those of algs that got has, or
 * (algs 0) those got and want both have. */
static unsigned compared_any(const fwt_pcrs *got, const fwt_pcrs *want, unsigned algs)
{
	unsigned m = 0;
	size_t i;

	for (i = 0; i < got->n; i++)
		if (algs ? (algs & got->b[i].alg) != 0 : find_bank(want, got->b[i].alg) != NULL)
			m |= got->b[i].alg;
	return m;
}

static int scope_slot(fwt_digest_alg alg)
{
	int k;

	if (!alg || (alg & (alg - 1)))
		return -1;
	k = __builtin_ctz((unsigned)alg);
	return k < FWT_PCR_SCOPE_BANKS ? k : -1;
}

uint32_t fwt_pcr_scope_get(const fwt_pcr_scope *s, fwt_digest_alg alg)
{
	int k = scope_slot(alg);
	return s && k >= 0 ? s->pcrs[k] : 0;
}

fwt_err fwt_pcr_scope_add(fwt_pcr_scope *s, fwt_digest_alg alg, uint32_t mask)
{
	int k = scope_slot(alg);

	if (!s || k < 0)
		return FWT_EINVAL;
	s->pcrs[k] |= mask;
	return FWT_OK;
}

unsigned fwt_pcr_scope_banks(const fwt_pcr_scope *s)
{
	unsigned m = 0;
	int k;

	for (k = 0; s && k < FWT_PCR_SCOPE_BANKS; k++)
		if (s->pcrs[k])
			m |= 1u << k;
	return m;
}

static const fwt_digest_alg compare_order[] = { FWT_DIGEST_SHA1, FWT_DIGEST_SHA256, FWT_DIGEST_SHA384,
	                                        FWT_DIGEST_SHA512 };

/* Whether the plan selects any PCR. */
static int plan_any(const fwt_pcr_scope *plan)
{
	size_t i;

	for (i = 0; i < FWT_ARRAY_LEN(compare_order); i++)
		if (fwt_pcr_scope_get(plan, compare_order[i]))
			return 1;
	return 0;
}

/* The banks to compare and the PCRs of each, when scope (a quote's signed
 * selection) bounds what may be decided on.  FWT_EVERIFY naming the first
 * bank or PCR asked for outside it. */
static fwt_err scope_plan(fwt_ctx *ctx, const fwt_pcrs *got, const fwt_pcrs *want, const fwt_pcr_scope *scope,
                          unsigned algs, uint32_t mask, fwt_pcr_scope *plan)
{
	size_t i;
	unsigned pcr;

	for (i = 0; i < FWT_ARRAY_LEN(compare_order); i++) {
		fwt_digest_alg alg = compare_order[i];
		uint32_t sel = fwt_pcr_scope_get(scope, alg), use;
		if (algs ? !(algs & alg) : !sel || !find_bank(want, alg))
			continue;
		if (!sel)
			return fwt__error(ctx, FWT_EVERIFY, "the quote does not sign any PCR of the %s bank",
			                  fwt_digest_name(alg));
		/* what --pcrs asks for, or else every PCR signed and every PCR
		 * the reference gives: a reference value the quote does not
		 * vouch for is not "matched" by the log's word alone */
		use = mask ? mask : sel | fwt_pcrs_selected(want, alg);
		if (use & ~sel) {
			for (pcr = 0; !(use & ~sel & (1u << pcr)); pcr++)
				;
			return fwt__error(ctx, FWT_EVERIFY, "%s PCR %u%s is not in the quote's signed selection",
			                  fwt_digest_name(alg), pcr, mask ? "" : ", which the reference values give,");
		}
		if (use >> FWT_PCR_COUNT)
			return fwt__error(ctx, FWT_EUNSUPPORTED, "the quote signs %s PCRs above %u, which fwtrail "
			                  "cannot replay", fwt_digest_name(alg), FWT_PCR_COUNT - 1);
		if (!find_bank(got, alg))
			return fwt__error(ctx, FWT_EVERIFY, "the quote signs %s PCRs but the log has no replayable %s bank",
			                  fwt_digest_name(alg), fwt_digest_name(alg));
		(void)fwt_pcr_scope_add(plan, alg, use);
	}
	if (!fwt_pcr_scope_banks(plan))
		return fwt__error(ctx, FWT_EVERIFY, "no PCR bank the quote signs is in the reference values");
	return FWT_OK;
}

fwt_err fwt_pcrs_compare_scope(fwt_ctx *ctx, const fwt_pcrs *got, const fwt_pcrs *want, const fwt_pcr_scope *scope,
                               unsigned algs, uint32_t mask, fwt_pcr_mismatch **out, size_t *n,
                               fwt_pcr_scope *compared)
{
	fwt_pcr_mismatch *m = NULL;
	fwt_pcr_scope plan;
	size_t nm = 0, i;
	unsigned pcr;
	fwt_err err;

	if (!got || !want || !out || !n)
		return fwt__error(ctx, FWT_EINVAL, "bad arguments to fwt_pcrs_compare_scope");
	*out = NULL;
	*n = 0;
	memset(&plan, 0, sizeof(plan));
	if (compared)
		memset(compared, 0, sizeof(*compared));
	if (scope) {
		err = scope_plan(ctx, got, want, scope, algs, mask, &plan);
		if (err)
			return err;
	} else {
		/* every PCR the log extends and every PCR the reference gives:
		 * one the log never extends is compared at its reset value, so a
		 * log stripped of a PCR's events does not pass */
		for (i = 0; i < got->n; i++) {
			const struct bank *g = &got->b[i], *w = find_bank(want, g->alg);
			if (algs ? !(algs & g->alg) : !w)
				continue;
			(void)fwt_pcr_scope_add(&plan, g->alg, mask ? mask : g->sel | (w ? w->sel : 0));
		}
	}
	m = calloc((size_t)FWT_PCR_COUNT * FWT_ARRAY_LEN(got->b), sizeof(*m));
	if (!m)
		return fwt__enomem(ctx);
	for (i = 0; i < got->n; i++) {
		const struct bank *g = &got->b[i], *w = find_bank(want, g->alg);
		uint32_t sel = fwt_pcr_scope_get(&plan, g->alg);
		for (pcr = 0; pcr < FWT_PCR_COUNT; pcr++) {
			if (!(sel & (1u << pcr)))
				continue;
			if (w && (w->sel & (1u << pcr)) && !memcmp(g->v[pcr], w->v[pcr], g->size))
				continue;
			m[nm].alg = g->alg;
			m[nm].pcr = pcr;
			m[nm].size = g->size;
			memcpy(m[nm].got, g->v[pcr], g->size);
			if (w && (w->sel & (1u << pcr)))
				memcpy(m[nm].want, w->v[pcr], g->size);
			else
				m[nm].missing = 1;
			nm++;
		}
	}
	if (compared)
		*compared = plan;
	if (!scope && !compared_any(got, want, algs)) {
		free(m);
		return fwt__error(ctx, FWT_EVERIFY, "no PCR bank in common with the reference values");
	}
	if (!nm && !plan_any(&plan)) {
		free(m);
		return fwt__error(ctx, FWT_EVERIFY, "no PCR to compare: the log extends none and the reference gives "
		                  "none");
	}
	if (!nm) {
		free(m);
		return FWT_OK;
	}
	*out = m;
	*n = nm;
	return fwt__error(ctx, FWT_EVERIFY, "%zu PCR value%s differ%s from the reference", nm, nm == 1 ? "" : "s",
	                  nm == 1 ? "s" : "");
}

fwt_err fwt_pcrs_compare(fwt_ctx *ctx, const fwt_pcrs *got, const fwt_pcrs *want, unsigned algs, uint32_t mask,
                         fwt_pcr_mismatch **out, size_t *n, unsigned *banks)
{
	fwt_err err;

	if (banks)
		*banks = 0;
	err = fwt_pcrs_compare_scope(ctx, got, want, NULL, algs, mask, out, n, NULL);
	if (banks && got && want && out && n)
		*banks = compared_any(got, want, algs);
	return err;
}

fwt_err fwt_pcr_list_parse(const char *s, uint32_t *mask)
{
	uint32_t m = 0;
	const char *p = s;

	if (!s || !mask)
		return FWT_EINVAL;
	if (!strcmp(s, "all")) {
		*mask = (1u << FWT_PCR_COUNT) - 1;
		return FWT_OK;
	}
	for (;;) {
		unsigned a, b;
		const char *q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (!parse_pcr_index(p, (size_t)(q - p), &a))
			return FWT_EINVAL;
		b = a;
		if (*q == '-') {
			p = q + 1;
			q = p;
			while (*q >= '0' && *q <= '9')
				q++;
			if (!parse_pcr_index(p, (size_t)(q - p), &b) || b < a)
				return FWT_EINVAL;
		}
		for (; a <= b; a++)
			m |= 1u << a;
		if (*q == '\0')
			break;
		if (*q != ',')
			return FWT_EINVAL;
		p = q + 1;
	}
	*mask = m;
	return FWT_OK;
}
