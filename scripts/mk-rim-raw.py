#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Make testdata/rim/raw/: unsigned CoRIMs whose reference values are raw
SPDM values (CoRIM raw-value, tag 560) for blocks 6 (a version string) and 7
(an SVN) of testdata/evidence/spdm/spdm12.bin, environment vendor "ACME",
model "DEV".  Deterministic (canonical CBOR): running it again gives the same
bytes.

Usage: scripts/mk-rim-raw.py   (from anywhere)"""
import os
import sys

import cbor2

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "rim", "raw")
T = cbor2.CBORTag


def corim(cid, meas):
    comid = {1: {0: "tag-" + cid}, 4: {0: [[{0: {1: "ACME", 2: "DEV"}}, meas]]}}
    return cbor2.dumps(T(501, {0: cid, 1: [T(506, cbor2.dumps(comid, canonical=True))]}), canonical=True)


def raw(index, value):
    return {0: index, 1: {4: T(560, value)}}


SETS = {
    # what the device of spdm12.bin reports: version 1.2.3, SVN 5
    "old": [raw(6, b"fwtrail-test 1.2.3"), raw(7, (5).to_bytes(8, "little"))],
    # a newer release: version 2.0.0, SVN 6
    "new": [raw(6, b"fwtrail-test 2.0.0"), raw(7, (6).to_bytes(8, "little"))],
    # one RIM giving two values for block 6
    "two": [raw(6, b"fwtrail-test 1.2.3"), raw(6, b"anything else")],
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, meas in SETS.items():
        with open(os.path.join(OUT, name + ".corim"), "wb") as f:
            f.write(corim(name, meas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
