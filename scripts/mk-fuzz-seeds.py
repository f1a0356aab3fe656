#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write the seed corpora of fuzz_cbor_decode and fuzz_cose_sign1 under
testdata/fuzz/ (called by scripts/mk-rim-testdata.sh fuzz).

CBOR seeds: every RFC 8949 Appendix A example (testdata/cbor), a few
not-well-formed ones and strictness cases.  COSE seeds: COSE_Sign1 and
COSE_Sign messages built here with cbor2 and signed with the test keys in
testdata/rim/keys (valid ones and ones that break one rule each).  ECDSA
signatures are randomised, so the COSE seeds differ run to run."""
import os
import sys

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def out(target, name, data):
    d = os.path.join(ROOT, "testdata", "fuzz", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def cbor_seeds():
    path = os.path.join(ROOT, "testdata", "cbor", "rfc8949-appendix-a.txt")
    n = 0
    for line in open(path, encoding="ascii"):
        if line.startswith("#") or not line.strip():
            continue
        out("fuzz_cbor_decode", "a%02d.cbor" % n, bytes.fromhex(line.split(" ", 1)[0]))
        n += 1
    extra = {
        "dup-key.cbor": "a201000100",
        "nonshortest.cbor": "a1183801390022",
        "nested-tags.cbor": "d818d818d81841a0",
        "embedded.cbor": "d28443a10126a10442313154546869732069732074686520636f6e74656e742e40",
        "indef-chunks.cbor": "bf617f7f6161ff5f4101ffff",
        "bomb.cbor": "9affffffff",
        "deep.cbor": "81" * 20 + "00",
    }
    for name, h in extra.items():
        out("fuzz_cbor_decode", name, bytes.fromhex(h))


def key(name):
    with open(os.path.join(ROOT, "testdata", "rim", "keys", name + ".pem"), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def es256(k, msg):
    r, s = decode_dss_signature(k.sign(msg, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def sign1(prot, unprot, payload, k, tag=True, raw_prot=None):
    p = raw_prot if raw_prot is not None else (cbor2.dumps(prot) if prot else b"")
    tbs = cbor2.dumps(["Signature1", p, b"", payload if payload is not None else b"detached"])
    m = [p, unprot, payload, es256(k, tbs)]
    return cbor2.dumps(cbor2.CBORTag(18, m) if tag else m)


def cose_seeds():
    k = key("ec-p256")
    pl = b"\xd9\x01\xf5\xa1\x00\x61\x78"  # 501({0: "x"})
    seeds = {
        "sign1.cose": sign1({1: -7, 3: "application/rim+cbor"}, {4: b"k1"}, pl, k),
        "sign1-untagged.cose": sign1({1: -7}, {}, pl, k, tag=False),
        "sign1-detached.cose": sign1({1: -7}, {}, None, k),
        "sign1-crit.cose": sign1({1: -7, 2: [8], 8: b"\xa0"}, {}, pl, k),
        "sign1-empty-map.cose": sign1(None, {}, pl, k, raw_prot=b"\xa0"),
        "sign1-nonminimal.cose": sign1(None, {}, pl, k, raw_prot=bytes.fromhex("a1013806")),
        "sign1-dup.cose": sign1(None, {}, pl, k, raw_prot=bytes.fromhex("a201260126")),
        "sign1-alg-unprotected.cose": sign1(None, {1: -7}, pl, k),
        "sign1-kid-text.cose": sign1({1: -7}, {4: "k1"}, pl, k),
    }
    body = b""
    sigs = []
    for prot in ({1: -7}, {1: -7, 4: b"two"}):
        p = cbor2.dumps(prot)
        tbs = cbor2.dumps(["Signature", body, p, b"", pl])
        sigs.append([p, {}, es256(k, tbs)])
    seeds["sign-two.cose"] = cbor2.dumps(cbor2.CBORTag(98, [body, {}, pl, sigs]))
    tbs = cbor2.dumps(["Signature", b"", b"", b"", pl])
    seeds["sign-no-alg.cose"] = cbor2.dumps(cbor2.CBORTag(98, [b"", {}, pl, [[b"", {4: b"k"}, es256(k, tbs)]]]))
    for name, data in seeds.items():
        out("fuzz_cose_sign1", name, data)


def corim_seeds():
    # small CoMIDs and CoRIMs exercising every decoded field; the RIMs made by
    # fwtrail and some bad twins are copied by mk-rim-testdata.sh
    env = {0: {0: cbor2.CBORTag(37, bytes(range(16))), 1: "ACME", 2: "NIC", 3: 1, 4: 0},
           1: cbor2.CBORTag(550, b"\x01" * 17), 2: cbor2.CBORTag(560, b"g")}
    mval = {0: {0: "1.0.0", 1: 16384}, 1: cbor2.CBORTag(553, 2), 2: [[7, b"\x11" * 48], ["x", b"\x01"]],
            3: {0: True, 3: False, 11: True}, 4: cbor2.CBORTag(563, [b"\x00\x01", b"\xff\x00"]),
            6: b"\x00\x11\x22\x33\x44\x55", 7: b"\x0a\x00\x00\x01", 8: "SN1", 9: b"\x01" * 7,
            10: b"\x02" * 16, 11: "name", 13: [cbor2.CBORTag(554, "key")], 14: {0: [[1, b"\x00" * 32]]},
            15: cbor2.CBORTag(564, [None, 5]), -1: {"ext": 1}}
    mm = [{0: 3, 1: mval}, {0: "label", 1: {1: 7}, 2: [cbor2.CBORTag(560, b"k")]},
          {0: cbor2.CBORTag(111, b"\x2b\x06\x01"), 1: {2: [[-44, b"\x22" * 64]]}}]
    comid = {0: "en", 1: {0: "tag", 1: 2}, 2: [{0: "ACME", 1: cbor2.CBORTag(32, "https://a.example"), 2: [0, 1, 2]}],
             3: [{0: b"\x05" * 16, 1: 0}],
             4: {0: [[env, mm]], 1: [[{0: {1: "E"}}, [{1: {1: 1}}]]],
                 10: [[[[env, mm[:1]]], [[{0: {2: "M"}}, [{1: {-1: {0: "x"}}}]]]]], 4: [[env, [env]]], -7: 1},
             -3: "comid ext"}
    corim = cbor2.CBORTag(501, {0: b"\x09" * 16, 1: [cbor2.CBORTag(506, cbor2.dumps(comid, canonical=True)),
                                                      cbor2.CBORTag(505, cbor2.dumps({0: "swid"}))],
                                3: cbor2.CBORTag(111, b"\x06\x03\x2b\x06\x01"),
                                4: {0: cbor2.CBORTag(1, 0), 1: cbor2.CBORTag(1, 2000000000)},
                                5: [{0: "Signer", 2: [1, 2]}], -1: "x"})
    out("fuzz_corim", "comid-all-fields.cbor", cbor2.dumps(comid, canonical=True))
    out("fuzz_corim", "comid-tagged.cbor", cbor2.dumps(cbor2.CBORTag(506, cbor2.dumps(comid, canonical=True))))
    out("fuzz_corim", "corim-all-fields.cbor", cbor2.dumps(corim, canonical=True))
    k = key("ec-p256")
    payload = cbor2.dumps(corim, canonical=True)
    cwt = {1: -7, 3: "application/rim+cbor", 15: {1: "issuer", 4: 2000000000, 5: 0}}
    out("fuzz_corim", "signed-cwt.cbor", sign1(cwt, {}, payload, k))


if __name__ == "__main__":
    which = sys.argv[1:] or ["cbor", "cose", "corim"]
    if "cbor" in which:
        cbor_seeds()
    if "cose" in which:
        cose_seeds()
    if "corim" in which:
        corim_seeds()
