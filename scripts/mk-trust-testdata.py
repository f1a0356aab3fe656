#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Make testdata/trust/: certificates for the p384 test key (testdata/keys)
with validity windows around now, for the trust store's certificate-date
checks (with an Authority Key Identifier, so that strict chain validation
takes them too).  Issued by the test CA with RSA PKCS#1 v1.5 (deterministic), so
running this again gives the same files.

testdata/trust/spdm/: SPDM responder chains under the SPDM test root of
testdata/evidence/spdm whose leaf carries DMTF SPDM extended key usages, and
a GET_MEASUREMENTS transcript signed by each leaf's key.  Made with
scripts/gen-spdm.py's keys, certificate re-signing and transcripts (RFC 6979
nonces): deterministic too.

Usage: scripts/mk-trust-testdata.py   (from anywhere)"""
import datetime
import importlib.util
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
KEYS = os.path.join(ROOT, "testdata", "keys")
OUT = os.path.join(ROOT, "testdata", "trust")

# DMTF SPDM responder and requester authentication (DSP0274
# id-DMTF-eku-responder-auth, id-DMTF-eku-requester-auth)
SPDM_RESPONDER = x509.ObjectIdentifier("1.3.6.1.4.1.412.274.3")
SPDM_REQUESTER = x509.ObjectIdentifier("1.3.6.1.4.1.412.274.4")

# name: (not before, not after, serial, extended key usages or None)
CERTS = {
    "p384-expired": (datetime.datetime(2020, 1, 1), datetime.datetime(2021, 1, 1), 100, None),
    "p384-future": (datetime.datetime(2040, 1, 1), datetime.datetime(2050, 1, 1), 101, None),
    "p384-current": (datetime.datetime(2026, 1, 1), datetime.datetime(2046, 1, 1), 102, None),
    "p384-spdm-eku": (datetime.datetime(2026, 1, 1), datetime.datetime(2046, 1, 1), 103, [SPDM_RESPONDER]),
}

# testdata/trust/spdm: leaf name: (label of its gen-spdm key, serial, EKUs)
SPDM_LEAVES = {
    "requester": ("fwtrail spdm test requester", 20, [SPDM_REQUESTER]),
    "both": ("fwtrail spdm test responder and requester", 21, [SPDM_RESPONDER, SPDM_REQUESTER]),
}


def load(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        data = f.read()
    if b"PRIVATE KEY" in data:
        return serialization.load_pem_private_key(data, None)
    return x509.load_pem_x509_certificate(data)


def key_usage(signer):
    return x509.KeyUsage(digital_signature=signer, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=not signer,
                         crl_sign=not signer, encipher_only=False, decipher_only=False)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def spdm_leaf(g, name, key, serial, eku, root, root_key):
    """gen-spdm.py's make_cert, with an extended key usage."""
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fwtrail tests"),
                         x509.NameAttribute(NameOID.COMMON_NAME, f"fwtrail test SPDM {name}")])
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(root.subject)
         .public_key(key.pub).serial_number(serial)
         .not_valid_before(datetime.datetime(2024, 1, 1))
         .not_valid_after(datetime.datetime(2049, 12, 31, 23, 59, 59))
         .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
         .add_extension(key_usage(True), critical=True)
         .add_extension(x509.ExtendedKeyUsage(eku), critical=False)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.pub), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.pub), critical=False))
    # re-signed with RFC 6979 ECDSA, as gen-spdm.py does, for the same bytes each run
    tmp = b.sign(root_key.priv, hashes.SHA384())
    tbs, algid, _ = g.der_split(tmp.public_bytes(serialization.Encoding.DER))
    sig = root_key.sign(tbs)
    sigder = g.der_tlv(0x30, g.der_int(int.from_bytes(sig[:48], "big")) + g.der_int(int.from_bytes(sig[48:], "big")))
    cert = x509.load_der_x509_certificate(g.der_tlv(0x30, tbs + algid + g.der_tlv(0x03, b"\x00" + sigder)))
    root_key.pub.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(hashes.SHA384()))
    return cert


def spdm_chains():
    spec = importlib.util.spec_from_file_location("gen_spdm", os.path.join(ROOT, "scripts", "gen-spdm.py"))
    g = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(g)
    root_key = g.Key("fwtrail spdm test root")
    with open(os.path.join(ROOT, "testdata", "evidence", "spdm", "root.pem"), "rb") as f:
        root = x509.load_pem_x509_certificate(f.read())
    assert root.public_key().public_numbers() == root_key.pub.public_numbers()
    for name, (label, serial, eku) in SPDM_LEAVES.items():
        key = g.Key(label)
        leaf = spdm_leaf(g, name, key, serial, eku, root, root_key)
        write(os.path.join(OUT, "spdm", f"{name}-chain.pem"), g.pem(leaf) + g.pem(root))
        write(os.path.join(OUT, "spdm", f"{name}.bin"), g.transcript11(key))


def main():
    ca_key = load("ca.key.pem")
    ca = load("ca.crt.pem")
    pub = load("p384.key.pem").public_key()
    os.makedirs(OUT, exist_ok=True)
    for name, (nb, na, serial, eku) in CERTS.items():
        subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fwtrail tests"),
                             x509.NameAttribute(NameOID.COMMON_NAME, f"fwtrail test signer {name}")])
        c = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca.subject).public_key(pub)
             .serial_number(serial).not_valid_before(nb).not_valid_after(na)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                          data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                          crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
        if eku:
            c = c.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
        c = c.sign(ca_key, hashes.SHA256())
        with open(os.path.join(OUT, f"{name}.crt.pem"), "wb") as f:
            f.write(c.public_bytes(serialization.Encoding.PEM))
    spdm_chains()
    return 0


if __name__ == "__main__":
    sys.exit(main())
