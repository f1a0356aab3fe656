#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Detached signatures with one rule bent, for fwtrail verify's tests. Made
with Debian's python3-cryptography, python3-asn1crypto and python3-cbor2,
independently of fwtrail.

  craft-sig.py cms KEY.pem CERT.pem FILE OUT [dig=H] [sh=H] [sd_dig=H]
      a detached CMS SignedData with signed attributes: dig is the
      SignerInfo digestAlgorithm (and the messageDigest's hash), sh the hash
      the signature is made with, sd_dig the SignedData digestAlgorithms
      entry (H: sha256, sha384 or sha512; each defaults to dig, sha384)
  craft-sig.py cose KEY.pem ALG FILE OUT [attached=1] [hash_alg=H]
      a COSE_Sign1 over FILE (detached unless attached=1) with the COSE
      algorithm ALG (-7 ES256, -35 ES384, -36 ES512, -37 PS256, -38 PS384,
      -39 PS512) in its protected header; with hash_alg, a COSE hash
      envelope (draft-ietf-cose-hash-envelope): payload_hash_alg (label
      258) = H in the protected header and the payload the hash of FILE
      (H: -43 SHA-384, -44 SHA-512)
  craft-sig.py pss-typed IN.pem OUT.pem
      the same RSA key (private PKCS#8 or public SubjectPublicKeyInfo) with
      the id-RSASSA-PSS algorithm identifier instead of rsaEncryption
"""
import hashlib
import sys

import cbor2
from asn1crypto import cms, keys, pem, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

HASHES = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}
COSE_HASH = {-7: "sha256", -35: "sha384", -36: "sha512", -37: "sha256", -38: "sha384", -39: "sha512"}


def load_key(path):
    return serialization.load_pem_private_key(open(path, "rb").read(), None)


def sign(key, tbs, hname):
    h = HASHES[hname]
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(tbs, ec.ECDSA(h))
    return key.sign(tbs, padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), h)


def craft_cms(key_path, cert_path, file_path, out, opts):
    key = load_key(key_path)
    der = open(cert_path, "rb").read()
    if pem.detect(der):
        der = pem.unarmor(der)[2]
    cert = x509.Certificate.load(der)
    data = open(file_path, "rb").read()
    dig = opts.get("dig", "sha384")
    sh = opts.get("sh", dig)
    attrs = cms.CMSAttributes([
        {"type": "content_type", "values": ["data"]},
        {"type": "message_digest", "values": [hashlib.new(dig, data).digest()]},
    ])
    sig = sign(key, attrs.dump(force=True), sh)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        sigalg = {"algorithm": sh + "_ecdsa"}
    else:
        sigalg = {"algorithm": "rsassa_pss", "parameters": {
            "hash_algorithm": {"algorithm": sh},
            "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": sh}},
            "salt_length": HASHES[sh].digest_size, "trailer_field": "trailer_field_bc"}}
    signer = {
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
            "issuer": cert.issuer, "serial_number": cert.serial_number}}),
        "digest_algorithm": {"algorithm": dig},
        "signed_attrs": attrs,
        "signature_algorithm": sigalg,
        "signature": sig,
    }
    sd = {"version": "v1", "digest_algorithms": [{"algorithm": opts.get("sd_dig", dig)}],
          "encap_content_info": {"content_type": "data"}, "certificates": [cert], "signer_infos": [signer]}
    open(out, "wb").write(cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump())


def craft_cose(key_path, alg, file_path, out, opts):
    key = load_key(key_path)
    data = open(file_path, "rb").read()
    hdr = {1: alg}
    if "hash_alg" in opts:
        h = int(opts["hash_alg"])
        hdr[258] = h
        data = {-43: hashlib.sha384, -44: hashlib.sha512}[h](data).digest()
    prot = cbor2.dumps(hdr)
    tbs = cbor2.dumps(["Signature1", prot, b"", data])
    sig = sign(key, tbs, COSE_HASH[alg])
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = utils.decode_dss_signature(sig)
        n = (key.curve.key_size + 7) // 8
        sig = r.to_bytes(n, "big") + s.to_bytes(n, "big")
    payload = data if opts.get("attached") == "1" else None
    open(out, "wb").write(cbor2.dumps(cbor2.CBORTag(18, [prot, {}, payload, sig])))


def pss_typed(src, out):
    text = open(src, "rb").read()
    name, _, der = pem.unarmor(text)
    if name == "PRIVATE KEY":
        info = keys.PrivateKeyInfo.load(der)
        new = keys.PrivateKeyInfo({"version": 0, "private_key_algorithm": {"algorithm": "rsassa_pss"},
                                   "private_key": info["private_key"]})
    elif name == "PUBLIC KEY":
        info = keys.PublicKeyInfo.load(der)
        new = keys.PublicKeyInfo({"algorithm": {"algorithm": "rsassa_pss"}, "public_key": info["public_key"]})
    else:
        sys.exit("pss-typed: %s holds a %s, not a PRIVATE KEY or PUBLIC KEY" % (src, name))
    open(out, "wb").write(pem.armor(name, new.dump()))


def main(argv):
    if len(argv) >= 6 and argv[1] == "cms":
        craft_cms(argv[2], argv[3], argv[4], argv[5], dict(a.split("=", 1) for a in argv[6:]))
    elif len(argv) >= 6 and argv[1] == "cose":
        craft_cose(argv[2], int(argv[3]), argv[4], argv[5], dict(a.split("=", 1) for a in argv[6:]))
    elif len(argv) == 4 and argv[1] == "pss-typed":
        pss_typed(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
