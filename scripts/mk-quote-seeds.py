#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write the seeds of fuzz_tpm_quote under testdata/fuzz/fuzz_tpm_quote/.

Each seed is key (1 byte: bit 0 = RSA-2048, else P-256; bit 1 = ask for
PCRs 0 and 7), the TPMS_ATTEST's length (2 bytes, big-endian), the
TPMS_ATTEST, then the TPMT_SIGNATURE, as lib/tests/fuzz_tpm_quote.c reads
them.  Quotes are built here from the TPM 2.0 structures and signed with
testdata/keys/p256.key.pem (ECDSA with the nonce k derived from the key
and the message by HMAC-SHA-256, computed here: Debian's python3-cryptography
and openssl 3.0 only sign with random k) and testdata/keys/rsa2048.key.pem
(RSASSA-PKCS1-v1_5), so every run writes the same bytes.  The PCR values are the fuzz target's: PCR n holds n in its
first byte, zeros after.  One valid quote per scheme, then one that breaks
each check (magic, type, nonce, selection, bank, digest, signature) and a
few malformed shapes."""
import hashlib
import hmac
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "testdata", "fuzz", "fuzz_tpm_quote")
NONCE = bytes.fromhex("5ca1ab1e")
SHA256, SHA384, SHA512 = 0x000B, 0x000C, 0x000D
SIZES = {SHA256: 32, SHA384: 48, SHA512: 64}
HASHES = {SHA256: hashlib.sha256, SHA384: hashlib.sha384}


def key(name):
    with open(os.path.join(ROOT, "testdata", "keys", name), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def tpm2b(b):
    return struct.pack(">H", len(b)) + b


def pcr(n, size):
    return bytes([n]) + bytes(size - 1)


def attest(sel=((SHA256, 0x81),), magic=0xFF544347, typ=0x8018, extra=NONCE, digest_hash=SHA256, bad_digest=False):
    body = struct.pack(">IH", magic, typ) + tpm2b(b"\x00\x0b" + bytes(range(32)))
    body += tpm2b(extra) + struct.pack(">QIIBQ", 0x1122334455667788, 3, 0, 1, 0x2019102300163636)
    if typ != 0x8018:
        return body
    body += struct.pack(">I", len(sel))
    cat = b""
    for h, mask in sel:
        body += struct.pack(">HB", h, 3) + bytes([mask & 0xFF, (mask >> 8) & 0xFF, (mask >> 16) & 0xFF])
        cat += b"".join(pcr(n, SIZES[h]) for n in range(24) if mask >> n & 1)
    d = bytearray(HASHES[digest_hash](cat).digest())
    if bad_digest:
        d[0] ^= 1
    return body + tpm2b(bytes(d))


# NIST P-256 (scripts/ecmath.py)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecmath import P256  # noqa: E402

N, G = P256.n, P256.G
point_mul = P256.mul


def sign_ecdsa(msg):
    priv = key("p256.key.pem")
    d = priv.private_numbers().private_value
    e = int.from_bytes(hashlib.sha256(msg).digest(), "big")
    k = int.from_bytes(hmac.new(d.to_bytes(32, "big"), msg, hashlib.sha256).digest(), "big") % N
    r = point_mul(k, G)[0] % N
    s = pow(k, -1, N) * (e + r * d) % N
    assert r and s
    # a signature OpenSSL accepts
    priv.public_key().verify(encode_dss_signature(r, s), msg, ec.ECDSA(hashes.SHA256()))
    return struct.pack(">HH", 0x0018, SHA256) + tpm2b(r.to_bytes(32, "big")) + tpm2b(s.to_bytes(32, "big"))


def sign_rsassa(msg, h=SHA256):
    alg = hashes.SHA256() if h == SHA256 else hashes.SHA384()
    sig = key("rsa2048.key.pem").sign(msg, padding.PKCS1v15(), alg)
    return struct.pack(">HH", 0x0014, h) + tpm2b(sig)


def seed(name, keysel, msg, sig):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes([keysel]) + struct.pack(">H", len(msg)) + msg + sig)


def main():
    os.makedirs(OUT, exist_ok=True)
    good = attest()
    seed("ecdsa-good", 2, good, sign_ecdsa(good))
    seed("rsassa-good", 3, good, sign_rsassa(good))
    two = attest(sel=((SHA384, 0xFFFFFF), (SHA256, 0x81)), digest_hash=SHA384)
    seed("rsassa-sha384-two-banks", 1, two, sign_rsassa(two, SHA384))
    for name, msg in [
        ("magic", attest(magic=0xFF544348)),
        ("type-certify", attest(typ=0x8017)),
        ("nonce", attest(extra=b"\x5c\xa1\xab\x1f")),
        ("selection", attest(sel=((SHA256, 0x01),))),
        ("bank-sha512", attest(sel=((SHA512, 0x81),))),
        ("digest", attest(bad_digest=True)),
    ]:
        seed("ecdsa-" + name, 2, msg, sign_ecdsa(msg))
    bad = bytearray(sign_ecdsa(good))
    bad[10] ^= 0x40
    seed("ecdsa-bad-signature", 2, good, bytes(bad))
    seed("truncated-message", 2, good[:50], sign_ecdsa(good))
    seed("oversize-signer", 2, good[:6] + b"\xff\xff" + good[8:], sign_ecdsa(good))
    seed("schnorr", 2, good, b"\x00\x1c" + sign_ecdsa(good)[2:])
    seed("empty", 0, b"", b"")
    # the AK's public area as tpm2_createak -u writes it (TPM2B_PUBLIC): a
    # restricted ECDSA P-256 signing key, the p256 test key's point; the
    # target parses the whole input as one too
    n = key("p256.key.pem").public_key().public_numbers()
    tpmt = (struct.pack(">HHI", 0x0023, 0x000B, 0x00050072) + tpm2b(b"")
            + struct.pack(">HHHHH", 0x0010, 0x0018, 0x000B, 0x0003, 0x0010)
            + tpm2b(n.x.to_bytes(32, "big")) + tpm2b(n.y.to_bytes(32, "big")))
    with open(os.path.join(OUT, "ak-tpm2b-public-p256"), "wb") as f:
        f.write(tpm2b(tpmt))


if __name__ == "__main__":
    main()
