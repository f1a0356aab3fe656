#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A TPM2_Quote over the PCR values an event log replays to, for the tests of
`fwtrail eventlog replay --quote` that need no software TPM.  Built here from
the TPM 2.0 structures (TPMS_ATTEST, TPMT_SIGNATURE; TPM 2.0 Part 2) with
Debian's python3-cryptography, independently of fwtrail.

  mk-quote.py KEY.pem REPLAY.json SELECTION NONCE OUT.msg OUT.sig

KEY.pem is an EC private key (P-256: ECDSA with SHA-256; P-384: ECDSA with
SHA-384) or an RSA one (RSASSA-PKCS1-v1_5 with SHA-256).  REPLAY.json is `fwtrail eventlog replay --json` output: its
"banks" member gives the PCR values; a selected PCR it does not list counts
with the reset value, zeros.  SELECTION is BANK:PCRS[+BANK:PCRS...] as
tpm2_quote -l takes it, e.g. sha1:0-7+sha256:0,7.  NONCE is hex (the
quote's extraData)."""
import hashlib
import json
import struct
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ALGS = {"sha1": 0x0004, "sha256": 0x000B, "sha384": 0x000C, "sha512": 0x000D}
SIZES = {"sha1": 20, "sha256": 32, "sha384": 48, "sha512": 64}


def tpm2b(b):
    return struct.pack(">H", len(b)) + b


def pcr_list(text):
    out = set()
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return sorted(out)


def main(argv):
    if len(argv) != 7:
        sys.exit(__doc__)
    key = serialization.load_pem_private_key(open(argv[1], "rb").read(), None)
    banks = json.load(open(argv[2]))["banks"]
    nonce = bytes.fromhex(argv[4])
    is_ec = isinstance(key, ec.EllipticCurvePrivateKey)
    h = {256: ("sha256", hashes.SHA256()), 384: ("sha384", hashes.SHA384())}[key.curve.key_size if is_ec else 256]
    sel, values = b"", b""
    entries = [e.split(":", 1) for e in argv[3].split("+")]
    for bank, pcrs in entries:
        mask = 0
        for n in pcr_list(pcrs):
            mask |= 1 << n
            v = banks.get(bank, {}).get(str(n))
            values += bytes.fromhex(v) if v else bytes(SIZES[bank])
        sel += struct.pack(">HB", ALGS[bank], 3) + mask.to_bytes(3, "little")
    body = struct.pack(">IH", 0xFF544347, 0x8018)  # TPM_GENERATED_VALUE, TPM_ST_ATTEST_QUOTE
    body += tpm2b(b"\x00\x0b" + bytes(32))  # qualifiedSigner
    body += tpm2b(nonce)  # extraData
    body += struct.pack(">QIIBQ", 1000, 1, 0, 1, 0x0001000200030004)  # clockInfo, firmwareVersion
    body += struct.pack(">I", len(entries)) + sel
    body += tpm2b(hashlib.new(h[0], values).digest())
    if is_ec:
        r, s = decode_dss_signature(key.sign(body, ec.ECDSA(h[1])))
        n = (key.curve.key_size + 7) // 8
        sig = struct.pack(">HH", 0x0018, ALGS[h[0]]) + tpm2b(r.to_bytes(n, "big")) + tpm2b(s.to_bytes(n, "big"))
    else:
        sig = struct.pack(">HH", 0x0014, ALGS[h[0]]) + tpm2b(key.sign(body, padding.PKCS1v15(), h[1]))
    open(argv[5], "wb").write(body)
    open(argv[6], "wb").write(sig)


if __name__ == "__main__":
    main(sys.argv)
