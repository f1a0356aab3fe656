#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen-eventlog.py - deterministic synthetic TCG PC Client event logs.

Writes, under testdata/evidence/eventlog (or --out DIR):
  agile.bin          crypto-agile log (sha1, sha256, sha384), every common event type
  locality3.bin      the same with a StartupLocality 3 event
  legacy-sha1.bin    a SHA-1 (TCG_PCR_EVENT) log
  *.expected.json    the PCRs each replays to, in fwtrail's JSON ({"banks": ...})
  agile.pcrread.yaml the same values as tpm2_pcrread prints them
  cases/*.bin        hostile variants (RELIABILITY E1-E5, E7), described in cases.json
  quote/*.msg, *.sig TPM2_Quote attestations over selections of agile.bin's PCRs
                     (RELIABILITY E6), signed with testdata/keys/rsa2048.key.pem
  ../sysfs/          a fake /sys with agile.bin and the matching PCR files
and fuzz seeds under testdata/fuzz/fuzz_tcg_eventlog.

The PCR values are computed here, independently of fwtrail.  Nothing is
random: running the script twice gives the same bytes.

  --large N FILE   write one crypto-agile log of N events to FILE (benchmarks)
"""
import argparse
import hashlib
import json
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

EV_POST_CODE = 0x1
EV_NO_ACTION = 0x3
EV_SEPARATOR = 0x4
EV_S_CRTM_VERSION = 0x8
EV_IPL = 0xd
EV_EFI_VARIABLE_DRIVER_CONFIG = 0x80000001
EV_EFI_VARIABLE_BOOT = 0x80000002
EV_EFI_BOOT_SERVICES_APPLICATION = 0x80000003
EV_EFI_GPT_EVENT = 0x80000006
EV_EFI_ACTION = 0x80000007
EV_EFI_PLATFORM_FIRMWARE_BLOB = 0x80000008
EV_EFI_HANDOFF_TABLES = 0x80000009
EV_EFI_HCRTM_EVENT = 0x80000010
EV_EFI_VARIABLE_AUTHORITY = 0x800000e0

ALGS = {
    "sha1": (0x0004, hashlib.sha1),
    "sha256": (0x000B, hashlib.sha256),
    "sha384": (0x000C, hashlib.sha384),
    "sha512": (0x000D, hashlib.sha512),
}

EFI_GLOBAL = bytes.fromhex("61dfe48bca93d211aa0d00e098032b8c")  # 8be4df61-93ca-11d2-aa0d-00e098032b8c
EFI_IMAGE_SECURITY_DB = bytes.fromhex("cbb219d73a3d9645a3bcdad00e67656f")
EFI_CERT_X509 = bytes.fromhex("a159c0a5e494a74a87b5ab155c2bf072")
EFI_CERT_SHA256 = bytes.fromhex("2616c4c14c509240aca941f936934328")
OWNER = bytes.fromhex("77fa9abd0359b4f4a4a80bc9d5b0e1f0")


def filler(label, n):
    """n deterministic bytes derived from a label."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%s/%d" % (label.encode(), i)).digest()
        i += 1
    return out[:n]


def utf16(s, nul=True):
    return s.encode("utf-16-le") + (b"\0\0" if nul else b"")


def efi_var(guid, name, data):
    n = name.encode("utf-16-le")
    return guid + struct.pack("<QQ", len(name), len(data)) + n + data


def sig_list(sigtype, sigs, sigsize=None):
    size = sigsize if sigsize is not None else 16 + len(sigs[0])
    body = b"".join(OWNER + s for s in sigs)
    return sigtype + struct.pack("<III", 28 + len(body), 0, size) + body


def dp_node(t, s, body):
    return struct.pack("<BBH", t, s, 4 + len(body)) + body


def device_path(file_path):
    return (dp_node(0x02, 0x01, struct.pack("<II", 0x0A0341D0, 0))
            + dp_node(0x01, 0x01, bytes([0, 3]))
            + dp_node(0x03, 0x12, struct.pack("<HHH", 0, 0xFFFF, 0))
            + dp_node(0x04, 0x01, struct.pack("<IQQ", 1, 2048, 204800) + filler("disk-part", 16) + bytes([2, 2]))
            + dp_node(0x04, 0x04, utf16(file_path))
            + dp_node(0x7F, 0xFF, b""))


def gpt_data():
    hdr = bytearray(92)
    hdr[0:8] = b"EFI PART"
    struct.pack_into("<IIIIQQQQ", hdr, 8, 0x10000, 92, 0, 0, 1, 0x3FFFFF, 34, 0x3FFFDE)
    hdr[56:72] = filler("disk-guid", 16)
    struct.pack_into("<QIII", hdr, 72, 2, 128, 128, 0)
    parts = b""
    for i, (name, first, last) in enumerate([("EFI System", 2048, 206847), ("root", 206848, 0x3FFFDE)]):
        e = bytearray(128)
        e[0:16] = filler("type%d" % i, 16)
        e[16:32] = filler("uniq%d" % i, 16)
        struct.pack_into("<QQQ", e, 32, first, last, 0)
        n = utf16(name, nul=False)
        e[56:56 + len(n)] = n
        parts += bytes(e)
    return bytes(hdr) + struct.pack("<Q", 2) + parts


def image_load(path, image_len, dp=None):
    dp = device_path(path) if dp is None else dp
    return struct.pack("<QQQQ", 0x7F000018, image_len, 0, len(dp)) + dp


class Ev:
    """One event: data, and what its digest covers (None: the data)."""

    def __init__(self, pcr, etype, data, measured=None, digests=None):
        self.pcr, self.type, self.data = pcr, etype, data
        self.measured = measured
        self.digests = digests  # explicit {alg: bytes} (EV_NO_ACTION, mutations)

    def digest(self, alg):
        if self.digests is not None:
            return self.digests.get(alg)
        if self.type == EV_NO_ACTION:
            return bytes(ALGS[alg][1]().digest_size)
        return ALGS[alg][1](self.data if self.measured is None else self.measured).digest()


def spec_id_data(algs, uintn=2, vendor=b"", count=None, sizes=None):
    d = b"Spec ID Event03\0" + struct.pack("<IBBBB", 0, 0, 2, 0, uintn)
    d += struct.pack("<I", len(algs) if count is None else count)
    for a in algs:
        aid = ALGS[a][0] if a in ALGS else a[0]
        size = (sizes or {}).get(a, ALGS[a][1]().digest_size if a in ALGS else a[1])
        d += struct.pack("<HH", aid, size)
    return d + bytes([len(vendor)]) + vendor


def legacy_record(pcr, etype, digest, data, size=None):
    return struct.pack("<II", pcr, etype) + digest + struct.pack("<I", len(data) if size is None else size) + data


def agile_record(ev, algs, size=None):
    ds = []
    for a in algs:
        d = ev.digest(a) if a in ALGS else ev.digests.get(a)
        if d is not None:
            ds.append((ALGS[a][0] if a in ALGS else a[0], d))
    r = struct.pack("<III", ev.pcr, ev.type, len(ds))
    for aid, d in ds:
        r += struct.pack("<H", aid) + d
    return r + struct.pack("<I", len(ev.data) if size is None else size) + ev.data


def agile_log(events, algs, header=None):
    head = header if header is not None else legacy_record(0, EV_NO_ACTION, bytes(20), spec_id_data(algs))
    return head + b"".join(agile_record(e, algs) for e in events)


def replay(events, algs, locality=0):
    """PCR values per bank for the PCRs the events extend."""
    out = {}
    for a in algs:
        if a not in ALGS:
            continue
        size = ALGS[a][1]().digest_size
        pcrs = {}
        for e in events:
            if e.type == EV_NO_ACTION:
                continue
            cur = pcrs.get(e.pcr)
            if cur is None:
                cur = bytes(size - 1) + bytes([locality if e.pcr == 0 else 0])
                if 17 <= e.pcr <= 22:
                    cur = b"\xff" * size
            pcrs[e.pcr] = ALGS[a][1](cur + e.digest(a)).digest()
        out[a] = {str(p): v.hex() for p, v in sorted(pcrs.items())}
    return out


def base_events():
    fw = filler("firmware-volume", 4096)
    pe = filler("shimx64.efi", 8192)
    db_cert = filler("db-certificate", 700)
    return [
        Ev(0, EV_S_CRTM_VERSION, utf16("fwtrail test firmware 1.0")),
        Ev(0, EV_EFI_PLATFORM_FIRMWARE_BLOB, struct.pack("<QQ", 0xFFC00000, len(fw)), measured=fw),
        Ev(0, EV_POST_CODE, b"POST CODE", measured=filler("post", 64)),
        Ev(7, EV_EFI_VARIABLE_DRIVER_CONFIG, efi_var(EFI_GLOBAL, "SecureBoot", b"\x01")),
        Ev(7, EV_EFI_VARIABLE_DRIVER_CONFIG, efi_var(EFI_GLOBAL, "PK", sig_list(EFI_CERT_X509, [filler("pk", 600)]))),
        Ev(7, EV_EFI_VARIABLE_DRIVER_CONFIG, efi_var(EFI_IMAGE_SECURITY_DB, "db", sig_list(EFI_CERT_X509, [db_cert]))),
        Ev(7, EV_EFI_VARIABLE_DRIVER_CONFIG,
           efi_var(EFI_IMAGE_SECURITY_DB, "dbx", sig_list(EFI_CERT_SHA256, [filler("r1", 32), filler("r2", 32)]))),
        Ev(7, EV_SEPARATOR, bytes(4)),
        Ev(1, EV_EFI_VARIABLE_BOOT, efi_var(EFI_GLOBAL, "BootOrder", struct.pack("<HH", 1, 0)),
           measured=struct.pack("<HH", 1, 0)),
        Ev(1, EV_EFI_VARIABLE_BOOT,
           efi_var(EFI_GLOBAL, "Boot0001",
                   struct.pack("<IH", 1, len(device_path("\\EFI\\test\\shimx64.efi"))) + utf16("fwtrail test")
                   + device_path("\\EFI\\test\\shimx64.efi"))),
        Ev(1, EV_EFI_HANDOFF_TABLES, struct.pack("<Q", 1) + filler("smbios-guid", 16) + struct.pack("<Q", 0x7F6A1000),
           measured=filler("smbios", 256)),
        Ev(4, EV_EFI_ACTION, b"Calling EFI Application from Boot Option"),
    ] + [Ev(p, EV_SEPARATOR, bytes(4)) for p in range(7)] + [
        Ev(5, EV_EFI_GPT_EVENT, gpt_data()),
        Ev(4, EV_EFI_BOOT_SERVICES_APPLICATION, image_load("\\EFI\\test\\shimx64.efi", len(pe)), measured=pe),
        Ev(7, EV_EFI_VARIABLE_AUTHORITY, efi_var(EFI_IMAGE_SECURITY_DB, "db", OWNER + db_cert)),
        Ev(0, EV_NO_ACTION, b"SP800-155 Event\0" + filler("rim-ref", 40)),
        Ev(8, EV_IPL, b"grub_cmd: linux /vmlinuz root=/dev/sda2\0", measured=b"linux /vmlinuz root=/dev/sda2"),
        Ev(5, EV_EFI_ACTION, b"Exit Boot Services Invocation"),
        Ev(5, EV_EFI_ACTION, b"Exit Boot Services Returned with Success"),
    ]


AGILE_ALGS = ["sha1", "sha256", "sha384"]


def pcrread_yaml(banks):
    lines = []
    for a in ("sha1", "sha256", "sha384", "sha512"):
        if a not in banks:
            continue
        lines.append("  %s:" % a)
        for p, v in sorted(banks[a].items(), key=lambda kv: int(kv[0])):
            lines.append("    %-2s: 0x%s" % (p, v.upper()))
    return "\n".join(lines) + "\n"


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def jdump(obj):
    return json.dumps(obj, indent=2, sort_keys=True) + "\n"


def cases(evs):
    """Hostile variants: (name, bytes, expectation)."""
    out = []
    good = agile_log(evs, AGILE_ALGS)
    head = legacy_record(0, EV_NO_ACTION, bytes(20), spec_id_data(AGILE_ALGS))
    recs = [agile_record(e, AGILE_ALGS) for e in evs]

    def with_rec(i, rec):
        return head + b"".join(rec if k == i else r for k, r in enumerate(recs))

    def fail(name, data, msg):
        out.append((name, data, {"exit": 4, "error": msg}))

    # E1 truncation and trailing bytes
    off = len(head) + sum(len(r) for r in recs[:5])
    fail("trunc-mid-event", good[:off + 21], "offset %d" % off)
    fail("trunc-mid-header", good[:off + 3], "is truncated")
    fail("trailing-garbage", good + b"garbage!", "offset %d" % len(good))
    fail("trailing-zeros", good + bytes(7), "offset %d" % len(good))
    boundary = head + b"".join(recs[:12])
    out.append(("trunc-boundary", boundary,
                {"exit": 0, "banks": replay(evs[:12], AGILE_ALGS), "differs_from": "agile.expected.json"}))
    # E2 huge sizes and counts
    r = bytearray(recs[3])
    struct.pack_into("<I", r, len(r) - len(evs[3].data) - 4, 0xBDBFEF47)
    fail("eventsize-huge", with_rec(3, bytes(r)), "EventSize 3183472455 exceeds")
    r = bytearray(recs[3])
    struct.pack_into("<I", r, 8, 0xFFFFFFFF)
    fail("digest-count-huge", with_rec(3, bytes(r)), "4294967295 digests")
    fail("numalgs-huge", legacy_record(0, EV_NO_ACTION, bytes(20), spec_id_data(AGILE_ALGS, count=0xFFFFFFFF))
         + b"".join(recs), "numberOfAlgorithms 4294967295")
    fail("unknown-alg-size-ffff",
         legacy_record(0, EV_NO_ACTION, bytes(20), spec_id_data(AGILE_ALGS + [(0x0099, 0xFFFF)])) + b"".join(recs),
         "digest size 65535")
    fail("vendorinfo-beyond-event",
         legacy_record(0, EV_NO_ACTION, bytes(20), spec_id_data(AGILE_ALGS, vendor=b"\xde\xad\xbe\xef")[:-4])
         + b"\xde\xad\xbe\xef" + b"".join(recs), "vendorInfoSize 4 exceeds")
    huge_sl = efi_var(EFI_GLOBAL, "PK", sig_list(EFI_CERT_X509, [filler("pk", 600)], sigsize=0xFFFFFFFF))
    e2 = list(evs)
    e2[4] = Ev(7, EV_EFI_VARIABLE_DRIVER_CONFIG, huge_sl)
    out.append(("siglist-size-huge", agile_log(e2, AGILE_ALGS),
                {"exit": 0, "banks": replay(e2, AGILE_ALGS), "unparsed": [5]}))
    e2 = list(evs)
    img = bytearray(evs[20].data)
    struct.pack_into("<Q", img, 24, 0xFFFFFFFFFFFF)
    e2[20] = Ev(4, EV_EFI_BOOT_SERVICES_APPLICATION, bytes(img), measured=filler("shimx64.efi", 8192))
    out.append(("devicepath-length-huge", agile_log(e2, AGILE_ALGS),
                {"exit": 0, "banks": replay(e2, AGILE_ALGS), "unparsed": [21]}))
    e2 = list(evs)
    var = bytearray(evs[3].data)
    struct.pack_into("<Q", var, 16, 0x4000000000000000)
    e2[3] = Ev(7, EV_EFI_VARIABLE_DRIVER_CONFIG, bytes(var))
    out.append(("efivar-name-length-huge", agile_log(e2, AGILE_ALGS),
                {"exit": 0, "banks": replay(e2, AGILE_ALGS), "unparsed": [4]}))
    # E3 Spec ID event
    fail("specid-pcr1", legacy_record(1, EV_NO_ACTION, bytes(20), spec_id_data(AGILE_ALGS)) + b"".join(recs),
         "Spec ID event on PCR 1")
    fail("specid-nonzero-digest", legacy_record(0, EV_NO_ACTION, b"\x01" * 20, spec_id_data(AGILE_ALGS))
         + b"".join(recs), "non-zero digest")
    fail("specid00-agile-records", legacy_record(0, EV_NO_ACTION, bytes(20),
                                                 b"Spec ID Event00" + spec_id_data(AGILE_ALGS)[15:]) + b"".join(recs),
         "event 1")
    fail("numalgs-zero", legacy_record(0, EV_NO_ACTION, bytes(20), spec_id_data([])) + b"".join(recs),
         "numberOfAlgorithms 0")
    fail("duplicate-alg", legacy_record(0, EV_NO_ACTION, bytes(20), spec_id_data(["sha1", "sha256", "sha1"]))
         + b"".join(recs), "listed twice")
    fail("sha256-size-20", legacy_record(0, EV_NO_ACTION, bytes(20),
                                         spec_id_data(AGILE_ALGS, sizes={"sha256": 20})) + b"".join(recs),
         "sha256 declared with digest size 20")
    fail("uintn-3", legacy_record(0, EV_NO_ACTION, bytes(20), spec_id_data(AGILE_ALGS, uintn=3)) + b"".join(recs),
         "uintnSize 3")
    fail("second-specid", head + b"".join(recs[:2]) + agile_record(Ev(0, EV_NO_ACTION, spec_id_data(AGILE_ALGS)),
                                                                   AGILE_ALGS) + b"".join(recs[2:]),
         "Spec ID event after the first event")
    unk = (0x0099, 7)
    e3 = [Ev(e.pcr, e.type, e.data, e.measured,
             {**{a: e.digest(a) for a in AGILE_ALGS},
              unk: bytes(7) if e.type == EV_NO_ACTION else filler("unk%d" % i, 7)}) for i, e in enumerate(evs)]
    out.append(("unknown-alg-skipped", agile_log(e3, AGILE_ALGS + [unk]),
                {"exit": 0, "banks": replay(evs, AGILE_ALGS)}))
    short = [Ev(0, EV_NO_ACTION, b"abc")] + evs
    out.append(("short-no-action", agile_log(short, AGILE_ALGS), {"exit": 0, "banks": replay(short, AGILE_ALGS)}))
    # E4 digest lists
    e4 = Ev(evs[3].pcr, evs[3].type, evs[3].data, digests={"sha1": evs[3].digest("sha1"),
                                                            "sha256": evs[3].digest("sha256")})
    bad = bytearray(agile_record(e4, ["sha1", "sha256"]))
    struct.pack_into("<H", bad, 12, 0x0012)  # sm3 is not declared
    fail("undeclared-alg", with_rec(3, bytes(bad)), "0x0012 is not declared")
    dup = struct.pack("<III", 7, evs[3].type, 2) + struct.pack("<H", 0x0004) + evs[3].digest("sha1") \
        + struct.pack("<H", 0x0004) + evs[3].digest("sha1") + struct.pack("<I", len(evs[3].data)) + evs[3].data
    fail("duplicate-alg-in-event", with_rec(3, dup), "two digests for algorithm 0x0004")
    rev = struct.pack("<III", evs[3].pcr, evs[3].type, 3)
    for a in reversed(AGILE_ALGS):
        rev += struct.pack("<H", ALGS[a][0]) + evs[3].digest(a)
    rev += struct.pack("<I", len(evs[3].data)) + evs[3].data
    out.append(("reordered-digests", with_rec(3, rev), {"exit": 0, "banks": replay(evs, AGILE_ALGS)}))
    e4 = list(evs)
    e4[4] = Ev(evs[4].pcr, evs[4].type, evs[4].data,
               digests={a: evs[4].digest(a) for a in ("sha1", "sha256")})
    banks = replay(e4, ["sha1", "sha256"])
    out.append(("missing-sha384", agile_log(e4, AGILE_ALGS),
                {"exit": 0, "banks": banks, "bank_missing": {"sha384": 5}}))
    e4 = list(evs)
    e4[1] = Ev(evs[1].pcr, evs[1].type, evs[1].data, digests={})
    # a log no bank of which replays: nothing was replayed, never a yes
    fail("zero-digests", agile_log(e4, AGILE_ALGS), "no bank can be replayed")
    # E5 EV_NO_ACTION and StartupLocality
    loc = lambda v, pcr=0: Ev(pcr, EV_NO_ACTION, b"StartupLocality\0" + bytes([v]))
    fail("locality-second", agile_log([loc(3), loc(3)] + evs, AGILE_ALGS), "a second StartupLocality")
    fail("locality-late", agile_log(evs[:2] + [loc(3)] + evs[2:], AGILE_ALGS), "after PCR 0 was extended")
    fail("locality-4", agile_log([loc(4)] + evs, AGILE_ALGS), "StartupLocality 4 is not allowed")
    fail("locality-255", agile_log([loc(255)] + evs, AGILE_ALGS), "StartupLocality 255 is not allowed")
    fail("locality-pcr1", agile_log([loc(3, pcr=1)] + evs, AGILE_ALGS), "StartupLocality on PCR 1")
    fail("locality-short", agile_log([Ev(0, EV_NO_ACTION, b"StartupLocality\0")] + evs, AGILE_ALGS),
         "malformed StartupLocality")
    nz = Ev(0, EV_NO_ACTION, b"NvIndexInstance\0" + bytes(8), digests={a: b"\x01" * ALGS[a][1]().digest_size
                                                                      for a in AGILE_ALGS})
    fail("noaction-nonzero-digest", agile_log(evs[:3] + [nz] + evs[3:], AGILE_ALGS), "EV_NO_ACTION with a non-zero")
    fail("pcr-24", agile_log(evs[:3] + [Ev(24, EV_EFI_ACTION, b"x")] + evs[3:], AGILE_ALGS), "PCR index 24")
    # E7 data vs digest
    e7 = list(evs)
    e7[7] = Ev(7, EV_SEPARATOR, bytes(4), measured=b"\xff\xff\xff\xff")
    out.append(("separator-mismatch", agile_log(e7, AGILE_ALGS),
                {"exit": 0, "banks": replay(e7, AGILE_ALGS), "mismatches": [8]}))
    e7 = list(evs)
    e7[11] = Ev(4, EV_EFI_ACTION, b"Calling EFI Application from Boot Option", measured=b"something else")
    out.append(("efi-action-mismatch", agile_log(e7, AGILE_ALGS),
                {"exit": 0, "banks": replay(e7, AGILE_ALGS), "mismatches": [12]}))
    e7 = evs[:1] + [Ev(0, EV_EFI_HCRTM_EVENT, b"HCR"), Ev(0, EV_POST_CODE, filler("lenovo", 9))] + evs[1:]
    out.append(("hcrtm-short-postcode-9", agile_log(e7, AGILE_ALGS), {"exit": 0, "banks": replay(e7, AGILE_ALGS)}))
    return out


QUOTE_NONCE = bytes.fromhex("5ca1ab1e0ddba11fee1d")
TCG_ALG = {"sha1": 0x0004, "sha256": 0x000B, "sha384": 0x000C}


def tpm2b(b):
    return struct.pack(">H", len(b)) + b


def quote_attest(banks, sel):
    """A TPMS_ATTEST of TPM2_Quote (TPM 2.0 Part 2, 10.12.12) over the PCRs
    sel = [(bank, [pcr, ...]), ...] of the replayed banks; a PCR the log never
    extends has its reset value (zeros; all ones for 17-22)."""
    body = struct.pack(">IH", 0xFF544347, 0x8018) + tpm2b(b"\x00\x0b" + filler("qualified-signer", 32))
    body += tpm2b(QUOTE_NONCE) + struct.pack(">QIIBQ", 0x1234, 1, 0, 1, 0x2000)
    body += struct.pack(">I", len(sel))
    cat = b""
    for bank, pcrs in sel:
        mask = sum(1 << p for p in pcrs)
        body += struct.pack(">HB", TCG_ALG[bank], 3) + mask.to_bytes(3, "little")
        size = ALGS[bank][1]().digest_size
        for p in sorted(pcrs):
            reset = "ff" * size if 17 <= p <= 22 else "00" * size
            cat += bytes.fromhex(banks[bank].get(str(p), reset))
    return body + tpm2b(hashlib.sha256(cat).digest())


def write_quotes(root, d, banks):
    """Quotes signed with the RSA-2048 test key (RSASSA-PKCS1-v1_5 with
    SHA-256 is deterministic, so a re-run gives the same bytes)."""
    with open(os.path.join(root, "testdata", "keys", "rsa2048.key.pem"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    quotes = {
        "sha256-0": [("sha256", [0])],
        "sha256-0-7": [("sha256", [0, 7])],
        "sha256-0-10": [("sha256", [0, 10])],
        "multi": [("sha1", [0, 4]), ("sha256", [0, 7]), ("sha384", [7])],
    }
    for name, sel in quotes.items():
        msg = quote_attest(banks, sel)
        sig = key.sign(msg, padding.PKCS1v15(), hashes.SHA256())
        key.public_key().verify(sig, msg, padding.PKCS1v15(), hashes.SHA256())
        write(os.path.join(d, "quote", name + ".msg"), msg)
        write(os.path.join(d, "quote", name + ".sig"), struct.pack(">HH", 0x0014, 0x000B) + tpm2b(sig))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=None, help="output folder (default: testdata/evidence)")
    ap.add_argument("--large", nargs=2, metavar=("N", "FILE"), help="write one log of N events to FILE")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    if args.large:
        n, path = int(args.large[0]), args.large[1]
        base = base_events()
        evs = []
        i = 0
        while len(evs) < n:
            e = base[i % len(base)]
            evs.append(Ev(e.pcr, e.type, e.data, e.measured, e.digests))
            i += 1
        write(path, agile_log(evs, ["sha1", "sha256"]))
        return 0

    out = args.out or os.path.join(root, "testdata", "evidence")
    d = os.path.join(out, "eventlog")
    evs = base_events()
    agile = agile_log(evs, AGILE_ALGS)
    write(os.path.join(d, "agile.bin"), agile)
    banks = replay(evs, AGILE_ALGS)
    write(os.path.join(d, "agile.expected.json"), jdump({"banks": banks}))
    write(os.path.join(d, "agile.pcrread.yaml"), pcrread_yaml(banks))
    lev = [Ev(0, EV_NO_ACTION, b"StartupLocality\0\x03")] + evs
    write(os.path.join(d, "locality3.bin"), agile_log(lev, AGILE_ALGS))
    write(os.path.join(d, "locality3.expected.json"), jdump({"banks": replay(lev, AGILE_ALGS, locality=3)}))
    legacy = [e for e in evs if e.type != EV_NO_ACTION]
    write(os.path.join(d, "legacy-sha1.bin"),
          b"".join(legacy_record(e.pcr, e.type, e.digest("sha1"), e.data) for e in legacy))
    write(os.path.join(d, "legacy-sha1.expected.json"), jdump({"banks": replay(legacy, ["sha1"])}))

    index = []
    for name, data, exp in cases(evs):
        write(os.path.join(d, "cases", name + ".bin"), data)
        exp = dict(exp, name=name, file="cases/%s.bin" % name)
        index.append(exp)
    write(os.path.join(d, "cases.json"), jdump(index))
    write_quotes(root, d, banks)

    # A fake /sys: the log, and every PCR of the sha1 and sha256 banks (a TPM
    # without a sha384 bank, so that --local compares the banks in common).
    sysfs = os.path.join(out, "sysfs", "sys")
    write(os.path.join(sysfs, "kernel", "security", "tpm0", "binary_bios_measurements"), agile)
    for a in ("sha1", "sha256"):
        size = ALGS[a][1]().digest_size
        for p in range(24):
            v = banks[a].get(str(p), ("ff" * size) if 17 <= p <= 22 else ("00" * size))
            write(os.path.join(sysfs, "class", "tpm", "tpm0", "pcr-" + a, str(p)), v.upper() + "\n")

    seeds = os.path.join(root, "testdata", "fuzz", "fuzz_tcg_eventlog")
    write(os.path.join(seeds, "agile"), agile)
    write(os.path.join(seeds, "pcrread.yaml"), pcrread_yaml(banks))
    write(os.path.join(seeds, "expected.json"), jdump({"banks": banks}))
    write(os.path.join(seeds, "locality3"), agile_log(lev, AGILE_ALGS))
    write(os.path.join(seeds, "legacy-sha1"),
          b"".join(legacy_record(e.pcr, e.type, e.digest("sha1"), e.data) for e in legacy))
    for name, data, _ in cases(evs):
        if name in ("trunc-mid-event", "eventsize-huge", "unknown-alg-skipped", "missing-sha384",
                    "siglist-size-huge", "devicepath-length-huge", "locality-late", "short-no-action"):
            write(os.path.join(seeds, name), data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
