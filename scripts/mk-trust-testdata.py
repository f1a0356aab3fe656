#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Make testdata/trust/: certificates for the p384 test key (testdata/keys)
with validity windows around now, for the trust store's certificate-date
checks (with an Authority Key Identifier, so that strict chain validation
takes them too).  Issued by the test CA with RSA PKCS#1 v1.5 (deterministic), so
running this again gives the same files.

Usage: scripts/mk-trust-testdata.py   (from anywhere)"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
KEYS = os.path.join(ROOT, "testdata", "keys")
OUT = os.path.join(ROOT, "testdata", "trust")

# DMTF SPDM responder authentication (DSP0274 id-DMTF-eku-responder-auth)
SPDM_RESPONDER = x509.ObjectIdentifier("1.3.6.1.4.1.412.274.3")

# name: (not before, not after, serial, extended key usages or None)
CERTS = {
    "p384-expired": (datetime.datetime(2020, 1, 1), datetime.datetime(2021, 1, 1), 100, None),
    "p384-future": (datetime.datetime(2040, 1, 1), datetime.datetime(2050, 1, 1), 101, None),
    "p384-current": (datetime.datetime(2026, 1, 1), datetime.datetime(2046, 1, 1), 102, None),
    "p384-spdm-eku": (datetime.datetime(2026, 1, 1), datetime.datetime(2046, 1, 1), 103, [SPDM_RESPONDER]),
}


def load(name):
    with open(os.path.join(KEYS, name), "rb") as f:
        data = f.read()
    if b"PRIVATE KEY" in data:
        return serialization.load_pem_private_key(data, None)
    return x509.load_pem_x509_certificate(data)


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
