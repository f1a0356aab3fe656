# SPDX-License-Identifier: Apache-2.0
"""ecmath.py - affine point arithmetic on the NIST prime curves
(y^2 = x^3 - 3x + b), for the fixture makers that need what OpenSSL will not
do for them: ECDSA with a nonce of their choosing (so that every run writes
the same bytes), and keys and signatures built to land on chosen points.
Not constant-time, and slow: public test data only.

The generator of each curve is OpenSSL's (through cryptography); p, n and b
are checked against it when this module loads."""
from cryptography.hazmat.primitives.asymmetric import ec


class Curve:
    def __init__(self, ossl_curve, p, n, b):
        self.p, self.n, self.b = p, n, b
        g = ec.derive_private_key(1, ossl_curve).public_key().public_numbers()
        self.G = (g.x, g.y)
        assert self.on_curve(self.G), "p or b is not the curve's"
        m = ec.derive_private_key(n - 1, ossl_curve).public_key().public_numbers()
        assert (m.x, m.y) == self.neg(self.G), "n is not the curve's order"

    def on_curve(self, pt):
        x, y = pt
        return (y * y - (x * x * x - 3 * x + self.b)) % self.p == 0

    def neg(self, pt):
        return None if pt is None else (pt[0], (-pt[1]) % self.p)

    def add(self, a, b):
        p = self.p
        if a is None:
            return b
        if b is None:
            return a
        if a[0] == b[0]:
            if (a[1] + b[1]) % p == 0:
                return None
            lam = (3 * a[0] * a[0] - 3) * pow(2 * a[1], -1, p) % p
        else:
            lam = (b[1] - a[1]) * pow(b[0] - a[0], -1, p) % p
        x = (lam * lam - a[0] - b[0]) % p
        return (x, (lam * (a[0] - x) - a[1]) % p)

    def mul(self, k, pt):
        acc = None
        k %= self.n  # every point of these curves has order n
        while k:
            if k & 1:
                acc = self.add(acc, pt)
            pt = self.add(pt, pt)
            k >>= 1
        return acc

    def lift_x(self, x):
        """A point with this x (the even or odd root, whichever the square
        root gives), or None when there is none (p = 3 mod 4 on all three)."""
        y2 = (x * x * x - 3 * x + self.b) % self.p
        y = pow(y2, (self.p + 1) // 4, self.p)
        return (x, y) if y * y % self.p == y2 else None


P256 = Curve(ec.SECP256R1(), 2**256 - 2**224 + 2**192 + 2**96 - 1,
             0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
             0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B)
P384 = Curve(ec.SECP384R1(), 2**384 - 2**128 - 2**96 + 2**32 - 1,
             0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973,
             0xB3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF)
P521 = Curve(ec.SECP521R1(), 2**521 - 1,
             int("01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f96"
                 "6b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409", 16),
             int("0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e93"
                 "7b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00", 16))
