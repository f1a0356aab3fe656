#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Make testdata/trust/: certificates for the p384 test key (testdata/keys)
with validity windows around now, for the trust store's certificate-date
checks (with an Authority Key Identifier, so that strict chain validation
takes them too), and with the key usages, extended key usages and critical
extensions the trust store's "may this key sign data" rules look at.
Issued by the test CA with RSA PKCS#1 v1.5 (deterministic), so running this
again gives the same files.

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
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
KEYS = os.path.join(ROOT, "testdata", "keys")
OUT = os.path.join(ROOT, "testdata", "trust")

# DMTF SPDM responder and requester authentication (DSP0274
# id-DMTF-eku-responder-auth, id-DMTF-eku-requester-auth)
SPDM_RESPONDER = x509.ObjectIdentifier("1.3.6.1.4.1.412.274.3")
SPDM_REQUESTER = x509.ObjectIdentifier("1.3.6.1.4.1.412.274.4")
# id-kp-documentSigning (RFC 9336)
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
# an extension no verifier knows, marked critical
UNKNOWN_CRITICAL = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"),
                                              b"\x0c\x0clab-use-only")

NOW = (datetime.datetime(2026, 1, 1), datetime.datetime(2046, 1, 1))
SIGNER = "signer"  # key usage digitalSignature, not a CA
CA_ONLY = "ca"     # key usage keyCertSign and cRLSign, a CA

# name: (not before, not after, serial, key usage, extended key usages or None
#        [critical when the list is a tuple], an extra critical extension or None)
CERTS = {
    "p384-expired": (datetime.datetime(2020, 1, 1), datetime.datetime(2021, 1, 1), 100, SIGNER, None, None),
    "p384-future": (datetime.datetime(2040, 1, 1), datetime.datetime(2050, 1, 1), 101, SIGNER, None, None),
    "p384-current": (*NOW, 102, SIGNER, None, None),
    "p384-spdm-eku": (*NOW, 103, SIGNER, [SPDM_RESPONDER], None),
    "p384-ca-usage": (*NOW, 104, CA_ONLY, None, None),
    "p384-eku-tls": (*NOW, 105, SIGNER, (ExtendedKeyUsageOID.SERVER_AUTH,), None),
    "p384-eku-code": (*NOW, 106, SIGNER, [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CODE_SIGNING], None),
    "p384-eku-doc": (*NOW, 107, SIGNER, [DOCUMENT_SIGNING], None),
    "p384-eku-any": (*NOW, 108, SIGNER, [ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE], None),
    "p384-critical-ext": (*NOW, 109, SIGNER, None, UNKNOWN_CRITICAL),
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


def p384_certs():
    ca_key = load("ca.key.pem")
    ca = load("ca.crt.pem")
    pub = load("p384.key.pem").public_key()
    for name, (nb, na, serial, usage, eku, extra) in CERTS.items():
        subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fwtrail tests"),
                             x509.NameAttribute(NameOID.COMMON_NAME, f"fwtrail test signer {name}")])
        c = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca.subject).public_key(pub)
             .serial_number(serial).not_valid_before(nb).not_valid_after(na)
             .add_extension(x509.BasicConstraints(ca=usage == CA_ONLY, path_length=None), critical=True)
             .add_extension(key_usage(usage == SIGNER), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
        if eku:
            c = c.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=isinstance(eku, tuple))
        if extra:
            c = c.add_extension(extra, critical=True)
        c = c.sign(ca_key, hashes.SHA256())
        write(os.path.join(OUT, f"{name}.crt.pem"), c.public_bytes(serialization.Encoding.PEM))


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
    p384_certs()
    spdm_chains()
    return 0


if __name__ == "__main__":
    sys.exit(main())
