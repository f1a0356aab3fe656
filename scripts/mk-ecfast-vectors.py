#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""P-384 and P-521 ECDSA signatures at the edges of the verify equation,
for lib/tests/ecfast_test.c: the key, digest (48 bytes on P-384 as SHA-384
gives, 64 on P-521 as SHA-512 gives) and signature of each are built with
plain curve arithmetic here, each with the verdict the construction means,
which OpenSSL (asked through Python's cryptography) must give too or the
script stops.

  python3 scripts/mk-ecfast-vectors.py > testdata/ecfast/edge-cases.txt

One case a line: tag (the curve, then the case), the key's uncompressed
point, the digest, r || s (48 or 66 bytes each), and 1 (valid) or 0, in
hex.  The seeds are fixed: the file is the same on every run.
"""
import os
import random
import sys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecmath import P384, P521  # noqa: E402

lines = []


def cases(tag, cv, ossl_curve, md, size, seed):
    N, P, G = cv.n, cv.p, cv.G
    add, mul, neg = cv.add, cv.mul, cv.neg
    dlen = md.digest_size
    rnd = random.Random(seed)

    def openssl(q, dg, r, s):
        if not (0 < r < N and 0 < s < N):
            return 0
        pub = ec.EllipticCurvePublicNumbers(q[0], q[1], ossl_curve).public_key()
        try:
            pub.verify(utils.encode_dss_signature(r, s), dg, ec.ECDSA(utils.Prehashed(md)))
            return 1
        except InvalidSignature:
            return 0

    def emit(name, q, dg, r, s, want):
        got = openssl(q, dg, r, s)
        assert got == want, (tag, name, got, want)
        pt = b"\x04" + q[0].to_bytes(size, "big") + q[1].to_bytes(size, "big")
        sig = r.to_bytes(size, "big") + s.to_bytes(size, "big")
        lines.append("%s-%s %s %s %s %d" % (tag, name, pt.hex(), dg.hex(), sig.hex(), got))

    def sign(d, e, k):
        r = mul(k, G)[0] % N
        return r, pow(k, -1, N) * (e + r * d) % N

    def digest():
        return int.from_bytes(rnd.randbytes(dlen), "big")

    # x(R) >= n: R chosen with such an x, the key made to fit (Q = u2^-1 (R - u1 G))
    for i in range(4):
        R = None
        while R is None:
            x = rnd.randrange(N, P)
            R = cv.lift_x(x)
        r = x % N
        e = digest()
        s = rnd.randrange(1, N)
        w = pow(s, -1, N)
        u1, u2 = e * w % N, r * w % N
        Q = mul(pow(u2, -1, N), add(R, neg(mul(u1, G))))
        dg = e.to_bytes(dlen, "big")
        emit("x_at_least_n", Q, dg, r, s, 1)
        emit("x_at_least_n_twin", Q, dg, r, N - s, 1)
        emit("x_at_least_n_r_plus_1", Q, dg, (r + 1) % N, s, 0)
        emit("x_not_reduced", Q, dg, x, s, 0)  # x itself is >= n: out of range
    # u1*G = u2*Q: the key made so that e = r*d, and the sum is a doubling
    for i in range(4):
        k = rnd.randrange(1, N)
        r = mul(k, G)[0] % N
        e = digest()
        d = e * pow(r, -1, N) % N
        s = pow(k, -1, N) * 2 * e % N
        Q = mul(d, G)
        assert mul(e * pow(s, -1, N), G) == mul(r * pow(s, -1, N), Q)
        emit("doubling", Q, e.to_bytes(dlen, "big"), r, s, 1)
        emit("doubling_s_plus_1", Q, e.to_bytes(dlen, "big"), r, (s + 1) % N, 0)
    # u1*G = -u2*Q: the key made so that e = -r*d, and the sum is the point at infinity
    for i in range(4):
        r, s = rnd.randrange(1, N), rnd.randrange(1, N)
        e = digest()
        d = (-e) * pow(r, -1, N) % N
        assert add(mul(e * pow(s, -1, N), G), mul(r * pow(s, -1, N), mul(d, G))) is None
        emit("infinity", mul(d, G), e.to_bytes(dlen, "big"), r, s, 0)
    # keys at special multiples of G (the top bit, and a 96-bit piece
    # boundary), and a zero digest (u1 = 0)
    top = N.bit_length() - 1
    for name, d in (("key_g", 1), ("key_minus_g", N - 1), ("key_2g", 2), ("key_2_%d_g" % top, 2**top),
                    ("key_2_96_g", 2**96), ("key_half_n", N // 2)):
        Q = mul(d, G)
        e = digest()
        r, s = sign(d, e, rnd.randrange(1, N))
        emit(name, Q, e.to_bytes(dlen, "big"), r, s, 1)
        emit(name + "_bad", Q, e.to_bytes(dlen, "big"), r, s ^ 1, 0)
    d = rnd.randrange(1, N)
    r, s = sign(d, 0, rnd.randrange(1, N))
    emit("zero_digest", mul(d, G), bytes(dlen), r, s, 1)
    emit("zero_digest_twin", mul(d, G), bytes(dlen), r, N - s, 1)


cases("p384", P384, ec.SECP384R1(), hashes.SHA384(), 48, 20261125)
cases("p521", P521, ec.SECP521R1(), hashes.SHA512(), 66, 20261124)
sys.stdout.write("\n".join(lines) + "\n")
