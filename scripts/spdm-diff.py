#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A second decoder for SPDM GET_MEASUREMENTS transcripts, written from
DSP0274 (1.0 to 1.3) without fwtrail's code, to check 'fwtrail spdm show'.

  spdm-diff.py facts FILE     facts decoded here from a transcript (binary or
                              hex text) or a Redfish ComponentIntegrity JSON
  spdm-diff.py show-facts     the same facts from 'fwtrail spdm show --json'
                              on stdin
  spdm-diff.py mutate FILE OUT WHAT
                              copy a binary or hex transcript with one field
                              changed (digest, index, type, nonce, opaque),
                              lengths kept, to prove the comparison catches it

Facts, one per line: version, whether signed, the request's attributes,
operation, nonce and slot, each block (index, specification, value type,
digest or raw, size, value), the response nonce, the opaque data and the
signature (its length follows from ALGORITHMS' BaseAsymSel when the
transcript has one, else it is what is left)."""
import base64
import json
import sys

SIG_SIZE = {  # BaseAsymAlgo bit: signature bytes (DSP0274 table "BaseAsymAlgo")
    0x001: 256, 0x002: 256, 0x004: 384, 0x008: 384, 0x010: 64, 0x020: 512, 0x040: 512,
    0x080: 96, 0x100: 132, 0x200: 64, 0x400: 64, 0x800: 114,
}
MEAS_HASH = {0x02: 32, 0x04: 48, 0x08: 64, 0x10: 32, 0x20: 48, 0x40: 64, 0x80: 32}


def die(msg):
    sys.stderr.write("spdm-diff.py: %s\n" % msg)
    sys.exit(2)


def le(b):
    return int.from_bytes(b, "little")


class Reader:
    def __init__(self, data):
        self.d, self.p = data, 0

    def take(self, n, what):
        if self.p + n > len(self.d):
            die("%s truncated at %d" % (what, self.p))
        b = self.d[self.p:self.p + n]
        self.p += n
        return b


def load(path):
    raw = open(path, "rb").read()
    text = raw.strip()
    if text[:1] == b"{":
        return "json", json.loads(raw)
    try:
        h = b"".join(text.split())
        if h and all(c in b"0123456789abcdefABCDEF" for c in h):
            return "bin", bytes.fromhex(h.decode())
    except ValueError:
        pass
    return "bin", raw


def transcript_facts(data, out):
    r = Reader(data)
    algs = None
    req = None
    blocks = []
    while r.p < len(data):
        ver, code, p1, p2 = r.take(4, "header")
        if code == 0x84:  # GET_VERSION
            continue
        if code == 0x04:  # VERSION: reserved, count, entries
            _, n = r.take(2, "VERSION")
            r.take(2 * n, "VERSION entries")
        elif code == 0xE1:  # GET_CAPABILITIES: 1.0 header only; 1.1 +8; 1.2 +16
            r.take({0x10: 0, 0x11: 8}.get(ver, 16), "GET_CAPABILITIES")
        elif code == 0x61:  # CAPABILITIES: 1.0/1.1 12 bytes in all, 1.2+ 20
            r.take(8 if ver <= 0x11 else 16, "CAPABILITIES")
        elif code == 0xE3:  # NEGOTIATE_ALGORITHMS: Length at 4
            r.p -= 4
            n = le(data[r.p + 4:r.p + 6])
            r.take(n, "NEGOTIATE_ALGORITHMS")
        elif code == 0x63:  # ALGORITHMS
            r.p -= 4
            n = le(data[r.p + 4:r.p + 6])
            m = r.take(n, "ALGORITHMS")
            algs = {"spec": m[6], "meas_hash": le(m[8:12]), "asym": le(m[12:16]), "hash": le(m[16:20])}
        elif code == 0xE0:  # GET_MEASUREMENTS
            req = {"ver": ver, "attr": p1, "op": p2, "nonce": None, "slot": None, "ctx": None}
            if p1 & 1:
                req["nonce"] = r.take(32, "nonce").hex()
                if ver >= 0x11:
                    req["slot"] = r.take(1, "SlotIDParam")[0] & 0x0F
            if ver >= 0x13:
                req["ctx"] = r.take(8, "RequesterContext").hex()
        elif code == 0x60:  # MEASUREMENTS
            nblocks = r.take(1, "NumberOfBlocks")[0]
            rlen = le(r.take(3, "MeasurementRecordLength"))
            rec = Reader(r.take(rlen, "MeasurementRecord"))
            for _ in range(nblocks):
                idx, spec = rec.take(2, "block")
                msize = le(rec.take(2, "MeasurementSize"))
                body = rec.take(msize, "Measurement")
                vtype, vsize = body[0], le(body[1:3])
                blocks.append((idx, spec, vtype & 0x7F, bool(vtype & 0x80), vsize, body[3:3 + vsize].hex()))
            if rec.p != rlen:
                die("record has %d bytes after its blocks" % (rlen - rec.p))
            rsp_nonce = r.take(32, "response nonce").hex()
            olen = le(r.take(2, "OpaqueDataLength"))
            opaque = r.take(olen, "OpaqueData").hex()
            if ver >= 0x13:
                r.take(8, "RequesterContext")
            sig = None
            if req["attr"] & 1:
                n = SIG_SIZE[algs["asym"]] if algs else len(data) - r.p
                sig = r.take(n, "signature").hex()
            last = (req, p1, p2, rsp_nonce, olen, opaque, sig, ver)
        else:
            die("message 0x%02x not expected" % code)
    req, p1, p2, rsp_nonce, olen, opaque, sig, ver = last
    out.append("version %d.%d" % (ver >> 4, ver & 15))
    out.append("signed %s" % ("yes" if sig else "no"))
    out.append("request.attributes %d" % req["attr"])
    out.append("request.operation %s" % {0: "count", 0xFF: "all"}.get(req["op"], req["op"]))
    out.append("request.nonce %s" % req["nonce"])
    if req["slot"] is not None:
        out.append("request.slot %d" % req["slot"])
    if req["ctx"]:
        out.append("request.context %s" % req["ctx"])
    if req["op"] == 0:
        out.append("response.total %d" % p1)
    block_facts(out, blocks, algs)
    out.append("response.nonce %s" % rsp_nonce)
    out.append("opaque %d %s" % (olen, opaque))
    out.append("signature %s" % sig)
    if algs:
        out.append("algorithms.asym 0x%03x" % algs["asym"])
        out.append("algorithms.meas_hash 0x%02x" % algs["meas_hash"])


DIGEST_BY_SIZE = {32: "sha256", 48: "sha384", 64: "sha512"}
HASH_BY_BIT = {0x02: "sha256", 0x04: "sha384", 0x08: "sha512"}


def block_facts(out, blocks, algs):
    for idx, spec, vtype, raw, size, value in blocks:
        kind = "raw" if raw else "digest"
        alg = ""
        if not raw:
            if algs:
                alg = " " + HASH_BY_BIT.get(algs["meas_hash"], "?")
            else:
                alg = " " + DIGEST_BY_SIZE.get(size, "?")
        out.append("block %d spec=%d type=%s %s%s size=%d %s" % (idx, spec, vtype, kind, alg, size, value))
        if raw and vtype == 7 and size == 8:
            out.append("block %d svn %d" % (idx, le(bytes.fromhex(value))))


REDFISH_TYPES = ["ImmutableROM", "MutableFirmware", "HardwareConfiguration", "FirmwareConfiguration",
                 "MeasurementManifest", None, "MutableFirmwareVersion", "MutableFirmwareSecurityVersionNumber"]


def redfish_facts(doc, out):
    ms = doc.get("SPDM", {}).get("MeasurementSet", {})
    out.append("signed no")
    blocks = []
    for m in ms.get("Measurements", []):
        val = base64.b64decode(m["Measurement"])
        t = m.get("MeasurementType")
        # (a mockup misspells the key "MeasurmentType": unknown, as the schema says)
        vtype = REDFISH_TYPES.index(t) if t and t in REDFISH_TYPES else None
        alg = m.get("MeasurementHashAlgorithm", "").replace("TPM_ALG_", "").replace("_", "").lower()
        out.append("block %d spec=1 type=%s digest %s size=%d %s" % (m["MeasurementIndex"], vtype, alg, len(val),
                                                                      val.hex()))
    return blocks


def cmd_facts(path):
    kind, data = load(path)
    out = []
    if kind == "json":
        if "ComponentIntegrityType" not in data:
            die("not a ComponentIntegrity resource")
        redfish_facts(data, out)
    else:
        transcript_facts(data, out)
    sys.stdout.write("".join(line + "\n" for line in out))


def cmd_show_facts():
    doc = json.load(sys.stdin)
    if not doc.get("ok"):
        die("fwtrail failed: %s" % doc.get("error", {}).get("message"))
    out = []
    if doc["source"] == "transcript":
        out.append("version %s" % doc["version"])
    out.append("signed %s" % ("yes" if doc["signed"] else "no"))
    if doc["source"] == "transcript":
        req = doc["request"]
        out.append("request.attributes %d" % req["attributes"])
        out.append("request.operation %s" % req["operation"])
        out.append("request.nonce %s" % req["nonce"])
        if "slot" in req:
            out.append("request.slot %d" % req["slot"])
        if "requester_context" in req:
            out.append("request.context %s" % req["requester_context"])
        if "total_measurements" in doc["response"]:
            out.append("response.total %d" % doc["response"]["total_measurements"])
    for b in doc["blocks"]:
        raw = "value" in b
        alg = "" if raw else " " + b.get("alg", "?")
        out.append("block %d spec=%d type=%s %s%s size=%d %s" % (
            b["index"], b["spec"], b.get("type_id"), "raw" if raw else "digest", alg, b["size"],
            b["value"] if raw else b["digest"]))
        if "svn" in b:
            out.append("block %d svn %s" % (b["index"], b["svn"]))
    if doc["source"] == "transcript":
        out.append("response.nonce %s" % doc["response"]["nonce"])
        op = doc.get("opaque")
        out.append("opaque %d %s" % ((op["size"], op["hex"]) if op else (0, "")))
        out.append("signature %s" % doc["signature"])
        al = doc.get("algorithms")
        if al:
            names = {v: k for k, v in {
                0x001: "rsassa_2048", 0x002: "rsapss_2048", 0x004: "rsassa_3072", 0x008: "rsapss_3072",
                0x010: "ecdsa_p256", 0x020: "rsassa_4096", 0x040: "rsapss_4096", 0x080: "ecdsa_p384",
                0x100: "ecdsa_p521", 0x200: "sm2_p256", 0x400: "ed25519", 0x800: "ed448"}.items()}
            out.append("algorithms.asym 0x%03x" % names[al["base_asym"]])
            mh = {"raw_bit_stream": 1, "sha256": 2, "sha384": 4, "sha512": 8, "sha3_256": 0x10,
                  "sha3_384": 0x20, "sha3_512": 0x40, "sm3_256": 0x80}
            out.append("algorithms.meas_hash 0x%02x" % mh.get(al["measurement_hash"], 0))
    sys.stdout.write("".join(line + "\n" for line in out))


def cmd_mutate(path, outpath, what):
    kind, data = load(path)
    if kind != "bin":
        die("mutate needs a transcript")
    d = bytearray(data)
    # find the MEASUREMENTS response: the last 0x60 message after a GET_MEASUREMENTS
    i = d.rfind(bytes([0xE0]))  # crude but enough for the test transcripts
    i = d.find(bytes([0x60]), i)
    while d[i - 1] not in (0x10, 0x11, 0x12, 0x13):
        i = d.find(bytes([0x60]), i + 1)
    rsp = i - 1
    first = rsp + 8  # first block
    if what == "digest":
        d[first + 7] ^= 1
    elif what == "index":
        d[first] = 0xFE  # not used by the test transcripts
    elif what == "type":
        d[first + 4] ^= 0x02
    elif what == "nonce":
        rlen = le(d[rsp + 5:rsp + 8])
        d[rsp + 8 + rlen] ^= 1
    elif what == "opaque":
        rlen = le(d[rsp + 5:rsp + 8])
        olen = le(d[rsp + 8 + rlen + 32:rsp + 8 + rlen + 34])
        if not olen:
            die("no opaque data")
        d[rsp + 8 + rlen + 34] ^= 1
    else:
        die("unknown mutation '%s'" % what)
    open(outpath, "wb").write(bytes(d))


def main(argv):
    if len(argv) == 3 and argv[1] == "facts":
        cmd_facts(argv[2])
    elif len(argv) == 2 and argv[1] == "show-facts":
        cmd_show_facts()
    elif len(argv) == 5 and argv[1] == "mutate":
        cmd_mutate(argv[2], argv[3], argv[4])
    else:
        die("usage: see the comment at the top of this script")


if __name__ == "__main__":
    main(sys.argv)
