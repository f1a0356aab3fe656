#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Make testdata/sfr deterministically: test keys (EC and RSA, derived from
fixed labels), reports, issue lists and a kids.json trust folder.

Every key is derived from SHA-512 in counter mode over its label, so running
this again gives the same bytes.  These keys are public test material: never
use them for anything else.

Usage: scripts/mk-sfr-testdata.py [OUTDIR]   (default: testdata/sfr)
"""
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def stream(label, n):
    out, i = bytearray(), 0
    while len(out) < n:
        out += hashlib.sha512(label.encode() + i.to_bytes(8, "big")).digest()
        i += 1
    return bytes(out[:n])


class Prng:
    """SHA-512 counter mode, for reproducible prime search."""

    def __init__(self, label):
        self.label, self.i = label.encode(), 0

    def bits(self, n):
        nbytes = (n + 7) // 8
        out = bytearray()
        while len(out) < nbytes:
            out += hashlib.sha512(self.label + self.i.to_bytes(8, "big")).digest()
            self.i += 1
        return int.from_bytes(out[:nbytes], "big") >> (8 * nbytes - n)


def is_probable_prime(n, prng):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _ in range(40):
        a = 2 + prng.bits(n.bit_length()) % (n - 3)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def prime(prng, bits, e):
    while True:
        c = prng.bits(bits) | (3 << (bits - 2)) | 1  # top two bits set: the product has full size
        if c % e != 1 and is_probable_prime(c, prng):
            return c


def rsa_key(label, bits):
    prng, e = Prng(label), 65537
    p = prime(prng, bits // 2, e)
    q = prime(prng, bits // 2, e)
    while q == p:
        q = prime(prng, bits // 2, e)
    if p < q:
        p, q = q, p
    n, phi = p * q, (p - 1) * (q - 1)
    d = pow(e, -1, phi)
    priv = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                 rsa.RSAPublicNumbers(e, n))
    return priv.private_key()


CURVES = {"p256": ec.SECP256R1(), "p384": ec.SECP384R1(), "p521": ec.SECP521R1()}
ORDERS = {
    "p256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "p384": int("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
                "581a0db248b0a77aecec196accc52973", 16),
    "p521": int("01" + "ff" * 32 + "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409", 16),
}


def ec_key(label, curve):
    # OpenSSL 3.0 cannot PEM-encode some scalars shorter than the order
    # ("buffer too small"): take the next counter value for those.
    n = 0
    while True:
        d = int.from_bytes(stream(f"{label}#{n}", 80), "big") % (ORDERS[curve] - 1) + 1
        if d.bit_length() > ORDERS[curve].bit_length() - 8:
            return ec.derive_private_key(d, CURVES[curve])
        n += 1


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "w" if isinstance(data, str) else "wb"
    with open(path, mode) as f:
        f.write(data)


def save_key(out, name, key):
    write(f"{out}/keys/{name}.key.pem", key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    write(f"{out}/keys/{name}.pub.pem", key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))


def sha(data, alg):
    return hashlib.new(alg, data).hexdigest()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "testdata/sfr"
    keys = {
        "es384": ec_key("fwtrail-sfr-es384", "p384"),
        "es512": ec_key("fwtrail-sfr-es512", "p521"),
        "ps384": rsa_key("fwtrail-sfr-ps384", 3072),
        "ps512": rsa_key("fwtrail-sfr-ps512", 4096),
        "other-es512": ec_key("fwtrail-sfr-other-es512", "p521"),
        "p256": ec_key("fwtrail-sfr-p256", "p256"),
        "rsa2048": rsa_key("fwtrail-sfr-rsa2048", 2048),
    }
    for name, key in keys.items():
        save_key(out, name, key)

    # trust folder with a kids.json mapping (two SRPs)
    for name in ("es384", "es512"):
        write(f"{out}/trust-kids/{name}.pub", keys[name].public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    write(f"{out}/trust-kids/kids.json",
          json.dumps({"ACME Review Lab": "es512.pub", "Road Runner Audits": "es384.pub"}, indent=2) + "\n")

    with open("testdata/firmware/bmc-1.2.3.bin", "rb") as f:
        fw = f.read()
    report = {
        "review_framework_version": "1.1",
        "device": {
            "vendor": "ACME Inc",
            "product": "ACME BMC",
            "category": "BMC",
            "repo_tag": "release_v1_2_3",
            "fw_version": "1.2.3",
            "fw_hash_sha2_384": sha(fw, "sha384"),
            "fw_hash_sha2_512": sha(fw, "sha512"),
        },
        "audit": {
            "srp": "ACME Review Lab",
            "methodology": "whitebox",
            "completion_date": "2026-03-14",
            "report_version": "1.0",
            "scope_number": 1,
            "cvss_version": "3.1",
            "issues": [
                {"title": "Stack overflow in the IPMI parser", "cvss_score": "7.8",
                 "cvss_vector": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "cwe": "CWE-121",
                 "description": "A long field overflows a stack buffer.", "cve": "CVE-2026-10001"},
                {"title": "Debug UART left enabled", "cvss_score": "4.3",
                 "cvss_vector": "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L", "cwe": "CWE-1191",
                 "description": "The UART console accepts commands.", "cve": None},
            ],
        },
    }
    write(f"{out}/bmc-report.json", json.dumps(report, indent=4) + "\n")
    # the same report with lint errors (bad date, score not matching the vector)
    bad = json.loads(json.dumps(report))
    bad["audit"]["completion_date"] = "2026-02-30"
    bad["audit"]["issues"][0]["cvss_score"] = "9.9"
    write(f"{out}/bad/bmc-report-lint-errors.json", json.dumps(bad, indent=4) + "\n")

    issues = report["audit"]["issues"]
    write(f"{out}/issues.json", json.dumps(issues, indent=2) + "\n")
    lines = ["title,cvss_score,cvss_vector,cwe,description,cve"]
    for i in issues:
        desc = '"' + i["description"].replace('"', '""') + ', with a comma"'
        lines.append(",".join([i["title"], i["cvss_score"], i["cvss_vector"], i["cwe"], desc, i["cve"] or ""]))
    write(f"{out}/issues.csv", "\r\n".join(lines) + "\r\n")


if __name__ == "__main__":
    main()
