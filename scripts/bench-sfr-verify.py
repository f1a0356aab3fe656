#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Reference for `make bench`: verify OCP SAFE SFR JWS files with Python's
jwt module the way the OCP tooling does it: load every public key under the
trust folders, then for each report try each key with the SFR algorithms
until one verifies.  Exit 0 when every report verified.

Usage: bench-sfr-verify.py TRUST[,TRUST...] REPORT...
"""
import os
import sys

import jwt
from cryptography.hazmat.primitives import serialization

ALGS = ["ES384", "ES512", "PS384", "PS512"]


def keys(paths):
    out = []
    for top in paths.split(","):
        files = [top] if os.path.isfile(top) else [
            os.path.join(d, f) for d, _, fs in sorted(os.walk(top)) for f in sorted(fs)
            if f.endswith((".pem", ".pub"))]
        for f in files:
            out.append(serialization.load_pem_public_key(open(f, "rb").read()))
    return out


def main():
    ks = keys(sys.argv[1])
    bad = 0
    for path in sys.argv[2:]:
        tok = open(path).read().strip()
        for k in ks:
            try:
                jwt.decode(tok, k, algorithms=ALGS)
                break
            except jwt.exceptions.PyJWTError:
                continue
        else:
            bad += 1
            print("FAIL", path)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
