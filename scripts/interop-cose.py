#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""An independent check of fwtrail's CoRIM and COSE output, with Debian's
python3-cbor2 and python3-cryptography only (no code shared with fwtrail).

  interop-cose.py verify SIGNED PUBKEY.pem   verify a signed CoRIM: structure,
                                             protected header, Sig_structure
                                             and signature; prints a JSON summary
  interop-cose.py canonical FILE             the file and every embedded CBOR
                                             document (protected header,
                                             corim-meta, payload, CoMIDs) are in
                                             deterministic encoding
  interop-cose.py check-corim FILE           an unsigned CoRIM as fwtrail rim
                                             create writes it has the keys the
                                             CDDL requires; prints its reference
                                             values as JSON
  interop-cose.py verify-detached SIG FILE PUBKEY.pem
                                             verify a detached COSE_Sign1 over a
                                             firmware file (fwtrail sign --format
                                             cose); prints alg and kid as JSON
  interop-cose.py sign-detached FILE KEY.pem OUT
                                             make one here, for fwtrail verify
  interop-cose.py sign CORIM KEY.pem OUT     sign a CoRIM as COSE_Sign1 here, for
                                             fwtrail to verify
  interop-cose.py mk-bad GOOD KEYDIR OUTDIR  the bad twins of a signed CoRIM,
                                             each correctly signed so that only
                                             one rule is broken

Exit 0 when the check holds, 1 when it does not (the reason on stderr)."""
import hashlib
import json
import sys

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

ALGS = {  # COSE id: (name, hash, ECDSA coordinate size or None for RSA-PSS)
    -7: ("ES256", hashes.SHA256, 32), -35: ("ES384", hashes.SHA384, 48), -36: ("ES512", hashes.SHA512, 66),
    -37: ("PS256", hashes.SHA256, None), -38: ("PS384", hashes.SHA384, None), -39: ("PS512", hashes.SHA512, None),
}
CURVES = {"secp256r1": -7, "secp384r1": -35, "secp521r1": -36}


def fail(why):
    print("interop: " + why, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path, "rb") as f:
        return f.read()


def sig_structure(protected, payload, aad=b""):
    # RFC 9052 section 4.4, encoded by cbor2 (definite lengths, shortest heads)
    return cbor2.dumps(["Signature1", protected, aad, payload])


def verify_sig(pub, alg, tbs, sig):
    name, h, size = ALGS[alg]
    if size:
        if not isinstance(pub, ec.EllipticCurvePublicKey) or CURVES.get(pub.curve.name) != alg:
            fail("%s does not fit the key" % name)
        if len(sig) != 2 * size:
            fail("%s signature is %d bytes, not %d" % (name, len(sig), 2 * size))
        der = encode_dss_signature(int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big"))
        pub.verify(der, tbs, ec.ECDSA(h()))
    else:
        if not isinstance(pub, rsa.RSAPublicKey):
            fail("%s needs an RSA key" % name)
        pub.verify(sig, tbs, padding.PSS(mgf=padding.MGF1(h()), salt_length=h().digest_size), h())


def cmd_verify(path, pubpath):
    data = load(path)
    msg = cbor2.loads(data)
    if not isinstance(msg, cbor2.CBORTag) or msg.tag != 18:
        fail("not a COSE_Sign1 (tag 18)")
    if len(msg.value) != 4:
        fail("COSE_Sign1 is not an array of 4")
    protected, unprotected, payload, sig = msg.value
    if cbor2.dumps(msg) != data:
        fail("the message does not re-encode to the same bytes")
    hdr = cbor2.loads(protected)
    if not isinstance(hdr, dict) or not isinstance(unprotected, dict):
        fail("header buckets are not maps")
    alg = hdr.get(1)
    if alg not in ALGS:
        fail("protected alg %r is not one of the six" % (alg,))
    if hdr.get(3) != "application/rim+cbor":
        fail("content type is %r" % (hdr.get(3),))
    meta = cbor2.loads(hdr[8])
    signer = meta[0]
    if not isinstance(signer.get(0), str):
        fail("corim-meta has no signer name")
    corim = cbor2.loads(payload)
    if not isinstance(corim, cbor2.CBORTag) or corim.tag != 501:
        fail("payload is not tag 501")
    pub = serialization.load_pem_public_key(load(pubpath))
    tbs = sig_structure(protected, payload)
    try:
        verify_sig(pub, alg, tbs, sig)
    except InvalidSignature:
        fail("signature does not verify")
    out = {"alg": ALGS[alg][0], "kid": hdr.get(4, b"").hex(), "signer": signer.get(0),
           "tbs_sha256": hashlib.sha256(tbs).hexdigest()}
    if 1 in meta:  # cbor2 turns tag 1 into a datetime
        out["not_after"] = int(meta[1][1].timestamp())
        if 0 in meta[1]:
            out["not_before"] = int(meta[1][0].timestamp())
    print(json.dumps(out, sort_keys=True))


def cmd_verify_detached(sigpath, filepath, pubpath):
    data = load(sigpath)
    msg = cbor2.loads(data)
    if not isinstance(msg, cbor2.CBORTag) or msg.tag != 18 or len(msg.value) != 4:
        fail("not a COSE_Sign1 (tag 18, four members)")
    protected, unprotected, payload, sig = msg.value
    if payload is not None:
        fail("the payload is not detached (nil)")
    hdr = cbor2.loads(protected)
    alg = hdr.get(1)
    if alg not in ALGS:
        fail("protected alg %r is not one of the six" % (alg,))
    pub = serialization.load_pem_public_key(load(pubpath))
    try:
        verify_sig(pub, alg, sig_structure(protected, load(filepath)), sig)
    except InvalidSignature:
        fail("signature does not verify")
    print(json.dumps({"alg": ALGS[alg][0], "kid": hdr.get(4, b"").decode()}, sort_keys=True))


def cmd_sign_detached(filepath, keypath, out):
    key = serialization.load_pem_private_key(load(keypath), password=None)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        alg = CURVES[key.curve.name]
    else:
        alg = {3072: -38, 4096: -39}[key.key_size]
    name, h, size = ALGS[alg]
    protected = cbor2.dumps({1: alg})
    tbs = sig_structure(protected, load(filepath))
    if size:
        r, s = decode_dss_signature(key.sign(tbs, ec.ECDSA(h())))
        sig = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    else:
        sig = key.sign(tbs, padding.PSS(mgf=padding.MGF1(h()), salt_length=h().digest_size), h())
    with open(out, "wb") as f:
        f.write(cbor2.dumps(cbor2.CBORTag(18, [protected, {}, None, sig])))


def bytewise_sorted(obj, where):
    # RFC 8949 4.2.1: keys in bytewise order of their encodings (cbor2's
    # canonical mode sorts length-first, which agrees for one-byte keys only)
    if isinstance(obj, dict):
        keys = [cbor2.dumps(k, canonical=True) for k in obj]
        if keys != sorted(keys):
            fail("%s: map keys not in bytewise order" % where)
        for v in obj.values():
            bytewise_sorted(v, where)
    elif isinstance(obj, list):
        for v in obj:
            bytewise_sorted(v, where)
    elif isinstance(obj, cbor2.CBORTag):
        bytewise_sorted(obj.value, where)


def canonical(data, where):
    obj = cbor2.loads(data)
    # cbor2 reads tag 1 as a datetime: write it back as tag 1, not tag 0
    if cbor2.dumps(obj, canonical=True, datetime_as_timestamp=True) != data:
        fail("%s: not in canonical encoding" % where)
    bytewise_sorted(obj, where)
    return obj


def cmd_canonical(path):
    obj = canonical(load(path), path)
    docs = 1
    if isinstance(obj, cbor2.CBORTag) and obj.tag == 18:
        canonical(obj.value[0], "protected header")
        meta = cbor2.loads(obj.value[0]).get(8)
        if meta is not None:
            canonical(meta, "corim-meta")
            docs += 1
        obj = canonical(obj.value[2], "payload")
        docs += 2
    if isinstance(obj, cbor2.CBORTag) and obj.tag == 501:
        for i, t in enumerate(obj.value[1]):
            if isinstance(t, cbor2.CBORTag) and t.tag == 506:
                canonical(t.value, "tags[%d]" % i)
                docs += 1
    print(json.dumps({"canonical_documents": docs}))


def cmd_check_corim(path):
    obj = cbor2.loads(load(path))
    if not isinstance(obj, cbor2.CBORTag) or obj.tag != 501:
        fail("not tag 501")
    m = obj.value
    if set(m) - {0, 1, 2, 3, 4, 5} or 0 not in m or not m.get(1):
        fail("corim-map keys %r" % sorted(m))
    if not isinstance(m[0], (str, bytes)) or (isinstance(m[0], bytes) and len(m[0]) != 16):
        fail("corim id is neither text nor a 16-byte uuid")
    out = []
    for t in m[1]:
        if not isinstance(t, cbor2.CBORTag) or t.tag != 506 or not isinstance(t.value, bytes):
            fail("a tag is not 506(bstr)")
        comid = cbor2.loads(t.value)
        if 1 not in comid or 0 not in comid[1] or 4 not in comid:
            fail("CoMID lacks tag-identity/tag-id or triples")
        for env, mms in comid[4][0]:
            cls = env[0]
            if not cls or set(cls) - {0, 1, 2, 3, 4}:
                fail("class-map keys %r" % sorted(cls))
            for mm in mms:
                if 1 not in mm or 2 not in mm[1] or not mm[1][2]:
                    fail("a measurement has no digests")
                key = mm.get(0)
                if isinstance(key, cbor2.CBORTag):
                    key = "uuid:" + key.value.hex()
                out.append({"vendor": cls.get(1), "model": cls.get(2), "key": key,
                            "digests": [[a, v.hex()] for a, v in mm[1][2]]})
    print(json.dumps(out, sort_keys=True))


def load_key(path):
    return serialization.load_pem_private_key(load(path), None)


def key_alg(key):
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return CURVES[key.curve.name]
    return {3072: -38, 4096: -39}.get(key.key_size, -37)


def raw_sign(key, alg, tbs):
    name, h, size = ALGS[alg]
    if size:
        r, s = decode_dss_signature(key.sign(tbs, ec.ECDSA(h())))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return key.sign(tbs, padding.PSS(mgf=padding.MGF1(h()), salt_length=h().digest_size), h())


def meta(nb=1767225600, na=2082758400):  # 2026-01-01 .. 2036-01-01
    return cbor2.dumps({0: {0: "interop signer", 1: cbor2.CBORTag(32, "https://signer.example")},
                        1: {0: cbor2.CBORTag(1, nb), 1: cbor2.CBORTag(1, na)}}, canonical=True)


def sign1(payload, key, prot=None, raw_prot=None, unprot=None, alg=None, tag=18):
    alg = key_alg(key) if alg is None else alg
    if raw_prot is None:
        if prot is None:
            prot = {1: alg, 3: "application/rim+cbor", 8: meta()}
        raw_prot = cbor2.dumps(prot, canonical=True)
    sig = raw_sign(key, key_alg(key), sig_structure(raw_prot, payload))
    arr = [raw_prot, unprot or {}, payload, sig]
    return cbor2.dumps(cbor2.CBORTag(tag, arr) if tag else arr)


def cmd_sign(corim, keypath, out):
    with open(out, "wb") as f:
        f.write(sign1(load(corim), load_key(keypath)))


def cmd_mk_bad(good, keydir, outdir):
    data = load(good)
    msg = cbor2.loads(data)
    payload = msg.value[2]
    p384 = load_key(keydir + "/ec-p384.pem")
    p256 = load_key(keydir + "/ec-p256.pem")
    corim = cbor2.loads(payload)
    m = meta()
    # the payload again with an indefinite-length corim-map: d9 01f5 bf ... ff
    inner = cbor2.dumps(corim.value, canonical=True)
    indef = b"\xd9\x01\xf5\xbf" + inner[1:] + b"\xff"
    # the payload with one head in a longer form than needed: tag 501 as d9 01f5 is
    # minimal, so stretch the map head a4/a2 into b8 NN
    nonshort = b"\xd9\x01\xf5" + bytes([0xb8, inner[0] & 0x1f]) + inner[1:]
    bad = {
        "forged-signature": data[:-1] + bytes([data[-1] ^ 1]),
        "truncated": data[: len(data) // 2],
        "wrong-key": sign1(payload, p256),
        "alg-mismatch": sign1(payload, p384, prot={1: -7, 3: "application/rim+cbor", 8: m}),
        "no-alg": sign1(payload, p384, prot={3: "application/rim+cbor", 8: m}),
        "alg-unprotected": sign1(payload, p384, prot={3: "application/rim+cbor", 8: m}, unprot={1: -35}),
        "content-type": sign1(payload, p384, prot={1: -35, 3: "application/cbor", 8: m}),
        "no-content-type": sign1(payload, p384, prot={1: -35, 8: m}),
        "no-corim-meta": sign1(payload, p384, prot={1: -35, 3: "application/rim+cbor"}),
        "dup-protected": sign1(payload, p384, raw_prot=bytes.fromhex("a30138220138220374") +
                               b"application/rim+cbor"),
        "nonshortest-protected": sign1(payload, p384, raw_prot=bytes.fromhex("a3013900220374") +
                                       b"application/rim+cbor" + b"\x08" + cbor2.dumps(m)),
        "crit-unknown": sign1(payload, p384, prot={1: -35, 2: [99], 3: "application/rim+cbor", 8: m, 99: 0}),
        "indefinite-payload": sign1(indef, p384),
        "nonshortest-payload": sign1(nonshort, p384),
        "payload-comid": sign1(cbor2.dumps(corim.value[1][0], canonical=True), p384),
        "trailing-byte": data + b"\x00",
        "two-messages": data + data,
        "cose-sign": cbor2.dumps(cbor2.CBORTag(98, [b"", {}, payload, [[b"", {4: b"k"}, raw_sign(
            p384, -35, cbor2.dumps(["Signature", b"", b"", b"", payload]))]]])),
        "legacy-502": cbor2.dumps(cbor2.CBORTag(502, msg.value)),
        "untagged": cbor2.dumps(msg.value),
        "not-cbor": b"<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\"/>\n",
    }
    for name, blob in bad.items():
        with open("%s/%s.corim" % (outdir, name), "wb") as f:
            f.write(blob)


if __name__ == "__main__":
    cmds = {"verify": (cmd_verify, 2), "verify-detached": (cmd_verify_detached, 3),
            "sign-detached": (cmd_sign_detached, 3), "canonical": (cmd_canonical, 1), "check-corim": (cmd_check_corim, 1),
            "sign": (cmd_sign, 3), "mk-bad": (cmd_mk_bad, 3)}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds or len(sys.argv) != 2 + cmds[sys.argv[1]][1]:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cmds[sys.argv[1]][0](*sys.argv[2:])
