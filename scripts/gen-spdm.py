#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen-spdm.py - deterministic synthetic SPDM GET_MEASUREMENTS transcripts.

Writes, under testdata/evidence/spdm (or --out DIR):
  root.pem, chain.pem            a P-384 test CA and responder chain (leaf first)
  other-root.pem, other-chain.pem  an unrelated CA and responder (wrong key, wrong root)
  spdm11.bin, spdm11.hex         SPDM 1.1: GET_MEASUREMENTS + signed MEASUREMENTS,
                                 NVIDIA-style opaque TLVs, no signing prefix
  spdm12.bin, spdm13.bin         SPDM 1.2 / 1.3: VCA, a count query, then a signed
                                 request for all blocks (1.2+ signing context; 1.3
                                 RequesterContext)
  spdm12-redfish.json            spdm12.bin as a Redfish SPDMGetSignedMeasurements response
  unsigned12.bin                 1.2 transcript whose last request asks for no signature
  component.json                 a Redfish ComponentIntegrity resource
  expected.json                  blocks and nonces of the transcripts above
  cases/*, cases.json            hostile variants (RELIABILITY S1-S4) and what each must give,
                                 and measurements that are not of the running state
                                 (new-measurement-*: 1.3 NewMeasurementRequested;
                                 content-changed-*: ContentChanged 01b)
and fuzz seeds under testdata/fuzz/fuzz_spdm_measurements.

Keys are derived from fixed labels and every ECDSA signature (transcripts and
certificates) uses RFC 6979 nonces, computed here: running the script twice
gives the same bytes.  The cryptography module checks each signature made.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.x509.oid import NameOID

# ---- P-384 arithmetic (scripts/ecmath.py) and RFC 6979 ECDSA (signing only; verified below) ----

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecmath import P384  # noqa: E402

N, G = P384.n, P384.G
ec_mul = P384.mul


def rfc6979_k(x, h):
    xb = x.to_bytes(48, "big")
    hb = (int.from_bytes(h, "big") % N).to_bytes(48, "big")
    v, k = b"\x01" * 48, b"\x00" * 48
    k = hmac.new(k, v + b"\x00" + xb + hb, hashlib.sha384).digest()
    v = hmac.new(k, v, hashlib.sha384).digest()
    k = hmac.new(k, v + b"\x01" + xb + hb, hashlib.sha384).digest()
    v = hmac.new(k, v, hashlib.sha384).digest()
    while True:
        v = hmac.new(k, v, hashlib.sha384).digest()
        t = int.from_bytes(v, "big")
        if 1 <= t < N:
            return t
        k = hmac.new(k, v + b"\x00", hashlib.sha384).digest()
        v = hmac.new(k, v, hashlib.sha384).digest()


class Key:
    def __init__(self, label):
        self.d = int.from_bytes(hashlib.sha384(label.encode()).digest(), "big") % (N - 1) + 1
        self.priv = ec.derive_private_key(self.d, ec.SECP384R1())
        self.pub = self.priv.public_key()

    def sign(self, msg):
        """ECDSA P-384/SHA-384 over msg, raw r||s."""
        h = hashlib.sha384(msg).digest()
        e = int.from_bytes(h, "big")
        k = rfc6979_k(self.d, h)
        r = ec_mul(k, G)[0] % N
        s = pow(k, -1, N) * (e + r * self.d) % N
        sig = r.to_bytes(48, "big") + s.to_bytes(48, "big")
        self.pub.verify(utils.encode_dss_signature(r, s), msg, ec.ECDSA(hashes.SHA384()))
        return sig


# ---- DER, just enough to re-sign a certificate's TBS ----

def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def der_int(v):
    b = v.to_bytes((v.bit_length() + 8) // 8, "big")
    return der_tlv(0x02, b)


def der_split(b):
    """The TLVs inside a DER SEQUENCE."""
    assert b[0] == 0x30
    i, out = 1, []
    n = b[i]
    i += 1
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    end = i + n
    while i < end:
        s = i
        i += 1
        n = b[i]
        i += 1
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(b[i:i + k], "big")
            i += k
        i += n
        out.append(b[s:i])
    return out


def make_cert(subject, key, issuer_name, issuer_key, serial, ca, issuer_pub=None, digital_signature=None):
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fwtrail tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer_name or name)
         .public_key(key.pub).serial_number(serial)
         .not_valid_before(datetime.datetime(2024, 1, 1))
         .not_valid_after(datetime.datetime(2049, 12, 31, 23, 59, 59))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=(not ca) if digital_signature is None else digital_signature,
                                      content_commitment=False, key_encipherment=not ca and digital_signature is False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                      crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.pub), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_pub or key.pub), critical=False))
    tmp = b.sign(issuer_key.priv, hashes.SHA384())
    tbs, algid, _ = der_split(tmp.public_bytes(serialization.Encoding.DER))
    sig = issuer_key.sign(tbs)
    sigder = der_tlv(0x30, der_int(int.from_bytes(sig[:48], "big")) + der_int(int.from_bytes(sig[48:], "big")))
    der = der_tlv(0x30, tbs + algid + der_tlv(0x03, b"\x00" + sigder))
    cert = x509.load_der_x509_certificate(der)
    (issuer_pub or key.pub).verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(hashes.SHA384()))
    return cert


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


# ---- SPDM messages ----

def u16(v):
    return struct.pack("<H", v)


def u24(v):
    return struct.pack("<I", v)[:3]


def u32(v):
    return struct.pack("<I", v)


def label(s, n):
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%s/%d" % (s.encode(), i)).digest()
        i += 1
    return out[:n]


def get_measurements(v, attrs, op, nonce=b"", slot=0, ctx=b""):
    m = bytes([v, 0xE0, attrs, op])
    if attrs & 1:
        m += nonce + (bytes([slot]) if v >= 0x11 else b"")
    if v >= 0x13:
        m += ctx
    return m


def block(index, vtype, value, spec=1, vsize=None, msize=None):
    dm = bytes([vtype]) + u16(len(value) if vsize is None else vsize) + value
    return bytes([index, spec]) + u16(len(dm) if msize is None else msize) + dm


def measurements(v, p1, p2, blocks, nonce, opaque=b"", ctx=b"", nblocks=None, reclen=None, olen=None):
    rec = b"".join(blocks)
    return (bytes([v, 0x60, p1, p2, len(blocks) if nblocks is None else nblocks])
            + u24(len(rec) if reclen is None else reclen) + rec + nonce
            + u16(len(opaque) if olen is None else olen) + opaque + (ctx if v >= 0x13 else b""))


def vca(v):
    versions = [0x1000, 0x1100, 0x1200, 0x1300]
    msgs = [bytes([0x10, 0x84, 0, 0]),
            bytes([0x10, 0x04, 0, 0, 0, len(versions)]) + b"".join(u16(x) for x in versions)]
    caps_tail = bytes([0, 12]) + u16(0) + u32(0x00000012) + (u32(4096) + u32(65536) if v >= 0x12 else b"")
    msgs.append(bytes([v, 0xE1, 0, 0]) + caps_tail)
    msgs.append(bytes([v, 0x61, 0, 0]) + bytes([0, 12]) + u16(0) + u32(0x00000016)
                + (u32(4096) + u32(65536) if v >= 0x12 else b""))
    other = 0x02 if v >= 0x12 else 0x00  # OpaqueDataFmt1
    msgs.append(bytes([v, 0xE3, 0, 0]) + u16(32) + bytes([0x01, other]) + u32(0x80) + u32(0x02) + bytes(12)
                + bytes([0, 0]) + u16(0))
    msgs.append(bytes([v, 0x63, 0, 0]) + u16(36) + bytes([0x01, other]) + u32(0x04) + u32(0x80) + u32(0x02)
                + bytes(12) + bytes([0, 0]) + u16(0))
    return msgs


def nvidia_opaque():
    def tlv(t, v):
        return u16(t) + u16(len(v)) + v
    return (tlv(3, b"570.00.01\x00") + tlv(6, bytes([0x00, 0x11, 0x00, 0x96, 0x02, 0, 0, 0]))
            + tlv(17, b"1234\x00") + tlv(18, b"0001\x00") + tlv(20, label("fwid", 48)))


def general_opaque():
    el = bytes([0x01, 0x02]) + b"\x12\x34" + u16(5) + b"hello"
    el += bytes((-len(el)) % 4)
    return bytes([1, 0, 0, 0]) + el


def blocks_v11():
    return [block(1, 0x00, label("rom", 48)), block(2, 0x01, label("fw", 48)), block(3, 0x02, label("hw", 48)),
            block(4, 0x03, label("fwcfg", 48)), block(5, 0x01, label("fw2", 48))]


def blocks_v12():
    return blocks_v11() + [block(6, 0x86, b"fwtrail-test 1.2.3"), block(7, 0x87, struct.pack("<Q", 5)),
                           block(8, 0x84, label("manifest", 40))]


REQ_NONCE = label("requester nonce", 32)
RSP_NONCE = label("responder nonce", 32)
CTX = label("requester context", 8)


def transcript11(key, blocks=None, nonce=REQ_NONCE, slot=0, rsp_p2=None, opaque=None, **kw):
    req = get_measurements(0x11, 0x01, 0xFF, nonce, slot)
    rsp = measurements(0x11, 0, slot if rsp_p2 is None else rsp_p2, blocks_v11() if blocks is None else blocks,
                       RSP_NONCE, nvidia_opaque() if opaque is None else opaque, **kw)
    return req + rsp + key.sign(req + rsp)


def prefix(v):
    ctxs = b"responder-measurements signing"
    p = b"".join(b"dmtf-spdm-v%d.%d.*" % (v >> 4, v & 15) for _ in range(4))
    return p + bytes(36 - len(ctxs)) + ctxs


def transcript12(key, v=0x12, blocks=None, sign=True, prefixed=True, rsp_ctx=None, sign_as=None):
    msgs = vca(v)
    msgs.append(get_measurements(v, 0x00, 0x00, ctx=CTX))
    msgs.append(measurements(v, len(blocks_v12()), 0, [], RSP_NONCE, ctx=CTX))
    msgs.append(get_measurements(v, 0x01 if sign else 0x00, 0xFF, REQ_NONCE, 0, ctx=CTX))
    msgs.append(measurements(v, 0, 0x20 if sign else 0, blocks_v12() if blocks is None else blocks, RSP_NONCE,
                             general_opaque(), ctx=rsp_ctx or CTX))
    t = b"".join(msgs)
    if not sign:
        return t
    if prefixed:
        return t + key.sign(prefix(sign_as or v) + hashlib.sha384(t).digest())
    return t + key.sign(t)


def transcript_exchanges(key, v, exchanges):
    """A 1.2+ transcript: the VCA, then one GET_MEASUREMENTS exchange per
    (attributes, operation, blocks, response Param1, response Param2); the
    last one is signed when its attributes ask for it."""
    msgs = vca(v)
    for attrs, op, blocks, p1, p2 in exchanges:
        msgs.append(get_measurements(v, attrs, op, REQ_NONCE, 0, ctx=CTX))
        msgs.append(measurements(v, p1, p2, blocks, RSP_NONCE, general_opaque(), ctx=CTX))
    t = b"".join(msgs)
    if exchanges[-1][0] & 1:
        t += key.sign(prefix(v) + hashlib.sha384(t).digest())
    return t


def blocks_json(blocks_bytes):
    """Parse our own block list back for expected.json."""
    out = []
    for b in blocks_bytes:
        idx, vtype, value = b[0], b[4], b[7:]
        e = {"index": idx, "type_id": vtype & 0x7F}
        e["value" if vtype & 0x80 else "digest"] = value.hex()
        out.append(e)
    return out


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def jdump(o):
    return json.dumps(o, indent=2, sort_keys=True) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=None, help="output folder (default: testdata/evidence)")
    args = ap.parse_args()
    root_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    d = os.path.join(args.out or os.path.join(root_dir, "testdata", "evidence"), "spdm")

    root_key, leaf_key = Key("fwtrail spdm test root"), Key("fwtrail spdm test responder")
    other_root_key, other_leaf_key = Key("fwtrail other root"), Key("fwtrail other responder")
    root = make_cert("fwtrail test SPDM root", root_key, None, root_key, 1, True)
    leaf = make_cert("fwtrail test SPDM responder", leaf_key, root.subject, root_key, 2, False, root_key.pub)
    oroot = make_cert("fwtrail other root", other_root_key, None, other_root_key, 3, True)
    oleaf = make_cert("fwtrail other responder", other_leaf_key, oroot.subject, other_root_key, 4, False,
                      other_root_key.pub)
    write(os.path.join(d, "root.pem"), pem(root))
    write(os.path.join(d, "chain.pem"), pem(leaf) + pem(root))
    write(os.path.join(d, "other-root.pem"), pem(oroot))
    write(os.path.join(d, "other-chain.pem"), pem(oleaf) + pem(oroot))

    t11 = transcript11(leaf_key)
    t12 = transcript12(leaf_key)
    t13 = transcript12(leaf_key, v=0x13)
    write(os.path.join(d, "spdm11.bin"), t11)
    hx = t11.hex()
    write(os.path.join(d, "spdm11.hex"), "\n".join(hx[i:i + 64] for i in range(0, len(hx), 64)) + "\n")
    write(os.path.join(d, "spdm12.bin"), t12)
    write(os.path.join(d, "spdm13.bin"), t13)
    write(os.path.join(d, "unsigned12.bin"), transcript12(leaf_key, sign=False))
    write(os.path.join(d, "spdm12-redfish.json"), jdump({
        "@odata.type": "#ComponentIntegrity.v1_0_0.SPDMGetSignedMeasurementsResponse",
        "Version": "1.2", "HashingAlgorithm": "TPM_ALG_SHA_384", "SigningAlgorithm": "TPM_ALG_ECDSA_ECC_NIST_P384",
        "SignedMeasurements": base64.b64encode(t12).decode()}))
    comp = {"@odata.type": "#ComponentIntegrity.v1_3_2.ComponentIntegrity", "Id": "fwtrail-test",
            "ComponentIntegrityType": "SPDM", "ComponentIntegrityTypeVersion": "1.2.0",
            "ComponentIntegrityEnabled": True,
            "SPDM": {"MeasurementSet": {"MeasurementSpecification": "DMTF", "Measurements": [
                {"MeasurementIndex": 1, "MeasurementType": "ImmutableROM", "MeasurementHashAlgorithm": "TPM_ALG_SHA_384",
                 "Measurement": base64.b64encode(label("rom", 48)).decode()},
                {"MeasurementIndex": 2, "MeasurementType": "MutableFirmware", "MeasurementHashAlgorithm": "TPM_ALG_SHA_384",
                 "Measurement": base64.b64encode(label("fw", 48)).decode()}]}}}
    write(os.path.join(d, "component.json"), jdump(comp))
    write(os.path.join(d, "expected.json"), jdump({
        "spdm11.bin": {"version": "1.1", "request_nonce": REQ_NONCE.hex(), "blocks": blocks_json(blocks_v11())},
        "spdm12.bin": {"version": "1.2", "request_nonce": REQ_NONCE.hex(), "blocks": blocks_json(blocks_v12())},
        "spdm13.bin": {"version": "1.3", "request_nonce": REQ_NONCE.hex(), "blocks": blocks_json(blocks_v12())},
    }))

    # ---- hostile variants ----
    cases = []

    def case(name, data, exit, error, verb="show", **opts):
        ext = ".json" if isinstance(data, str) else ".bin"
        write(os.path.join(d, "cases", name + ext), data)
        cases.append(dict({"name": name, "file": "cases/" + name + ext, "verb": verb, "exit": exit, "error": error},
                          **opts))

    req11 = get_measurements(0x11, 0x01, 0xFF, REQ_NONCE, 0)
    b11 = blocks_v11()
    # S1 lengths and record consistency
    case("record-length-beyond", transcript11(leaf_key, reclen=0x7FFFFF), 4, "MeasurementRecordLength 8388607 exceeds")
    case("nblocks-more", transcript11(leaf_key, nblocks=6), 4, "NumberOfBlocks is 6 but the record holds 5")
    case("nblocks-fewer", transcript11(leaf_key, nblocks=4), 4, "NumberOfBlocks is 4 but the record holds 5")
    case("record-has-extra-bytes", transcript11(leaf_key, blocks=b11 + [b"\x00\x00"]), 4,
         "measurement block header is truncated")
    case("msize-exceeds-record", transcript11(leaf_key, blocks=b11[:4] + [block(5, 1, label("fw2", 48), msize=200)]),
         4, "MeasurementSize 200 of block 5 exceeds")
    case("vsize-mismatch", transcript11(leaf_key, blocks=b11[:4] + [block(5, 1, label("fw2", 48), vsize=40)]), 4,
         "DMTFSpecMeasurementValueSize 40 does not fit")
    case("opaque-length-beyond", req11 + measurements(0x11, 0, 0, b11, RSP_NONCE, b"\x01\x02", olen=0x300), 4,
         "OpaqueDataLength 768 exceeds")
    case("opaque-too-large", transcript11(leaf_key, opaque=bytes(1025)), 4, "OpaqueDataLength 1025 exceeds 1024")
    case("signature-short", t11[:-1], 4, "signature of 95 bytes fits no SPDM algorithm")
    case("signature-long-v12", t12 + b"\x00", 4, "1 bytes after the signature")
    case("response-truncated", req11 + measurements(0x11, 0, 0, b11, RSP_NONCE)[:6], 4, "MEASUREMENTS is truncated")
    # S2 block semantics
    case("duplicate-index", transcript11(leaf_key, blocks=b11 + [block(2, 1, label("x", 48))]), 4,
         "measurement index 2 given twice")
    case("index-0", transcript11(leaf_key, blocks=[block(0, 1, label("x", 48))] + b11[1:]), 4,
         "measurement block with index 0")
    case("index-255", transcript11(leaf_key, blocks=b11[:4] + [block(255, 1, label("x", 48))]), 4,
         "measurement block with index 255")
    case("spec-not-dmtf", transcript11(leaf_key, blocks=b11[:4] + [block(5, 1, label("x", 48), spec=2)]), 4,
         "MeasurementSpecification 0x02 is not DMTF")
    case("digest-size-mismatch", transcript12(leaf_key, blocks=blocks_v12()[:7] + [block(8, 0x01, label("x", 32))]), 4,
         "a 32-byte digest, the negotiated measurement hash gives 48")
    case("unknown-value-type", transcript11(leaf_key, blocks=b11[:4] + [block(5, 0x0B, label("x", 48))]), 0, "",
         verb="verify", cert="chain.pem", trust="root.pem")
    # S3 operation-specific responses
    def exch(op, blocks, nb=None):
        rq = get_measurements(0x11, 0x01, op, REQ_NONCE, 0)
        rs = measurements(0x11, 9 if op == 0 else 0, 0, blocks, RSP_NONCE, nblocks=nb)
        return rq + rs + leaf_key.sign(rq + rs)
    case("count-query-with-records", exch(0, b11[:1]), 4, "a response to the total-number query carries 1 blocks")
    case("single-index-other-block", exch(2, [b11[2]]), 4, "block 3 in the response to a request for index 2")
    case("single-index-two-blocks", exch(2, b11[1:3]), 4, "2 blocks in the response to a request for index 2")
    case("all-with-zero-blocks", exch(0xFF, []), 4, "NumberOfBlocks 0 in the response to a request for all")
    # S4 signature, transcript, freshness
    case("stale-nonce", t11, 1, "stale evidence", verb="verify", cert="chain.pem", nonce="00" * 32)
    bad = bytearray(t11)
    bad[4] ^= 1
    case("nonce-tampered", bytes(bad), 1, "does not verify", verb="verify", cert="chain.pem")
    bad = bytearray(t11)
    bad[len(req11) + 8 + 7 + 8] ^= 0x80  # inside block 1's digest
    case("measurement-tampered", bytes(bad), 1, "does not verify", verb="verify", cert="chain.pem")
    # a response signed the 1.2 way, presented as a 1.1 exchange
    case("downgrade-to-1.1", transcript12(leaf_key, v=0x11, blocks=b11, sign_as=0x12), 1, "does not verify",
         verb="verify", cert="chain.pem")
    t12l = bytearray(t12)
    t12l[t12.rfind(b"\x12\x60\x00\x20")] = 0x11
    case("version-mismatch", bytes(t12l), 4, "MEASUREMENTS with version 0x11 in a 0x12 transcript")
    case("slot-mismatch", transcript11(leaf_key, rsp_p2=1), 4, "response from slot 1 to a request for slot 0")
    case("appended-bytes-v11", t11 + b"\x00\x00", 4, "fits no SPDM algorithm")
    case("unsigned", transcript12(leaf_key, sign=False), 1, "unauthenticated", verb="verify", cert="chain.pem")
    case("wrong-key", t11, 1, "does not verify with", verb="verify", cert="other-chain.pem")
    case("untrusted-root", t11, 1, "certificate chain does not validate", verb="verify", cert="chain.pem", trust="other-root.pem")
    case("response-without-request", t11[len(req11):], 4, "MEASUREMENTS without its request")
    case("request-without-response", req11, 4, "the transcript ends after a GET_MEASUREMENTS request")
    case("no-signing-prefix-v12", transcript12(leaf_key, prefixed=False), 1, "does not verify", verb="verify",
         cert="chain.pem")
    case("context-mismatch-v13", transcript12(leaf_key, v=0x13, rsp_ctx=label("other", 8)), 4,
         "RequesterContext differs")
    case("vca-out-of-order", vca(0x12)[2] + vca(0x12)[3] + t12, 4, "GET_VERSION out of order")
    case("unsupported-message", bytes([0x11, 0x81, 0, 0]) + t11, 6, "SPDM message 0x81 is not part of")
    case("redfish-not-base64", jdump({"SignedMeasurements": "not base64!"}), 4, "$.SignedMeasurements: not base64")
    case("redfish-version-mismatch", jdump({"Version": "1.3", "SignedMeasurements": base64.b64encode(t12).decode()}),
         4, "$.Version: not the version")
    case("redfish-component-dup", jdump(dict(comp, SPDM={"MeasurementSet": {"Measurements": [
        comp["SPDM"]["MeasurementSet"]["Measurements"][0]] * 2}})), 4, "index given twice")
    case("redfish-component-verify", jdump(comp), 1, "unauthenticated", verb="verify", cert="chain.pem")
    # measurements of the running state only: 1.3 NewMeasurementRequested
    # (request attribute bit 2) asks for those of the pending firmware
    case("new-measurement-v13", transcript_exchanges(leaf_key, 0x13, [(0x05, 0xFF, b11, 0, 0x20)]), 1,
         "measurements of pending firmware", verb="verify", cert="chain.pem", trust="root.pem")
    case("new-measurement-earlier-v13", transcript_exchanges(
        leaf_key, 0x13, [(0x04 if i == 1 else 0x00, i, [b11[i - 1]], 0, 0) for i in range(1, 5)]
        + [(0x01, 5, [b11[4]], 0, 0x20)]), 1, "measurements of pending firmware", verb="verify", cert="chain.pem")
    # bit 2 is reserved before 1.3: left as it was
    case("new-measurement-bit-v12", transcript_exchanges(leaf_key, 0x12, [(0x05, 0xFF, b11, 0, 0x20)]), 0, "",
         verb="verify", cert="chain.pem", trust="root.pem")
    # ContentChanged 01b (Param2 0x10) in the last, signed response: the
    # earlier responses of the transcript no longer describe the device; with
    # a single exchange there is no earlier response, and it verifies
    case("content-changed-v12", transcript_exchanges(
        leaf_key, 0x12, [(0x00, 0x00, [], len(b11), 0)] + [(0x00, i, [b11[i - 1]], 0, 0) for i in range(1, 5)]
        + [(0x01, 5, [b11[4]], 0, 0x10)]), 1, "the responder detected measurement changes during the transcript",
         verb="verify", cert="chain.pem", trust="root.pem")
    case("content-changed-single-v12", transcript_exchanges(leaf_key, 0x12, [(0x01, 0xFF, b11, 0, 0x10)]), 0, "",
         verb="verify", cert="chain.pem", trust="root.pem")
    write(os.path.join(d, "cases.json"), jdump(cases))

    seeds = os.path.join(root_dir, "testdata", "fuzz", "fuzz_spdm_measurements")
    for name, data in (("spdm11", t11), ("spdm12", t12), ("spdm13", t13), ("spdm11.hex", hx + "\n"),
                       ("redfish-response.json", jdump({"Version": "1.2", "SignedMeasurements": base64.b64encode(t12).decode()})),
                       ("component.json", jdump(comp)),
                       ("request.json", jdump({"Nonce": REQ_NONCE.hex(), "SlotId": 0, "MeasurementIndices": [1, 2]})),
                       ("count-query", exch(0, b11[:1])), ("msize", transcript11(leaf_key, blocks=b11[:4] + [
                           block(5, 1, label("fw2", 48), msize=200)]))):
        write(os.path.join(seeds, name), data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
