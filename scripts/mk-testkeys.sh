#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Make testdata/keys/ (test-only keys and certificates, derived
# deterministically from their names) and the fuzz seeds that use them
# (testdata/fuzz/fuzz_sigfile/, testdata/fuzz/fuzz_pkcs11_uri/).
# Usage: scripts/mk-testkeys.sh [keys|seeds]   (default: both)
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3

make_keys() {
	d=testdata/keys
	rm -rf "$d"
	mkdir -p "$d"
	"$PY" - "$d" <<'PY'
import datetime, hashlib, sys
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

out = sys.argv[1]

def stream(label):
    i = 0
    while True:
        yield from hashlib.sha512(b"fwtrail-testkey:" + label.encode() + i.to_bytes(8, "big")).digest()
        i += 1

def bits_from(g, bits):
    n = (bits + 7) // 8
    return int.from_bytes(bytes(next(g) for _ in range(n)), "big") >> (8 * n - bits)

SMALL = [p for p in range(3, 20000, 2) if all(p % q for q in range(3, int(p ** 0.5) + 1, 2))]

def probable_prime(n, g):
    if any(n % p == 0 for p in SMALL):
        return n in SMALL
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _ in range(40):
        a = 2 + bits_from(g, n.bit_length() - 1) % (n - 3)
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

def prime(g, bits, e=65537):
    while True:
        p = bits_from(g, bits) | (3 << (bits - 2)) | 1
        if (p - 1) % e and probable_prime(p, g):
            return p

def rsa_key(label, bits):
    g = stream(label)
    e = 65537
    p = prime(g, bits // 2)
    q = prime(g, bits // 2)
    assert p != q and (p * q).bit_length() == bits
    d = pow(e, -1, (p - 1) * (q - 1))
    pub = rsa.RSAPublicNumbers(e, p * q)
    return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), pub).private_key()

ORDERS = {
    "secp256r1": 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551,
    "secp384r1": 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973,
    "secp521r1": 0x01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409,
}
CURVES = {"secp256r1": ec.SECP256R1(), "secp384r1": ec.SECP384R1(), "secp521r1": ec.SECP521R1()}

def ec_key(label, curve):
    g = stream(label)
    n = ORDERS[curve]
    return ec.derive_private_key(1 + bits_from(g, n.bit_length() + 64) % (n - 1), CURVES[curve])

def write(name, data):
    with open(f"{out}/{name}", "wb") as f:
        f.write(data)

def save(name, key):
    write(f"{name}.key.pem", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    write(f"{name}.pub.pem", key.public_key().public_bytes(serialization.Encoding.PEM,
                                                           serialization.PublicFormat.SubjectPublicKeyInfo))

NB = datetime.datetime(2026, 1, 1)
NA = datetime.datetime(2046, 1, 1)

def cert(subject, pub, issuer, ca_key, serial, is_ca):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(serial).not_valid_before(NB).not_valid_after(NA)
         .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=not is_ca, content_commitment=False, key_encipherment=False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=is_ca,
                                      crl_sign=is_ca, encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False))
    # RSA PKCS#1 v1.5 signatures are deterministic, so the files are too
    return b.sign(ca_key, hashes.SHA256())

def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fwtrail tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])

ca = rsa_key("ca", 3072)
save("ca", ca)
ca_name = name("fwtrail test CA")
write("ca.crt.pem", cert(ca_name, ca.public_key(), ca_name, ca, 1, True).public_bytes(serialization.Encoding.PEM))
keys = [("p384", ec_key("p384", "secp384r1")), ("p521", ec_key("p521", "secp521r1")),
        ("rsa3072", rsa_key("rsa3072", 3072)), ("rsa4096", rsa_key("rsa4096", 4096)),
        ("p256", ec_key("p256", "secp256r1")), ("rsa2048", rsa_key("rsa2048", 2048)),
        ("other-p384", ec_key("other-p384", "secp384r1"))]
for serial, (label, key) in enumerate(keys, start=2):
    save(label, key)
    c = cert(name(f"fwtrail test signer {label}"), key.public_key(), ca_name, ca, serial, False)
    write(f"{label}.crt.pem", c.public_bytes(serialization.Encoding.PEM))
PY
	cat > "$d/README.md" <<'MD'
# testdata/keys

Test-only keys and certificates, made by `scripts/mk-testkeys.sh keys`.
**Never use them for anything real: the private keys are public.**

Every key is derived from its name: EC private scalars and the RSA primes
come from SHA-512 in counter mode over `fwtrail-testkey:<name>` (RSA primes
by Miller-Rabin over that stream), so running the script again gives the
same files. Certificates are signed by the RSA-3072 test CA with
sha256WithRSAEncryption (deterministic), valid 2026-01-01 to 2046-01-01.

| name | key | signs as | files |
|---|---|---|---|
| ca | RSA 3072 | test CA (certificates only) | ca.key.pem, ca.pub.pem, ca.crt.pem |
| p384 | EC P-384 | ES384 | p384.key.pem, .pub.pem, .crt.pem |
| p521 | EC P-521 | ES512 | p521.* |
| rsa3072 | RSA 3072 | PS384 | rsa3072.* |
| rsa4096 | RSA 4096 | PS512 | rsa4096.* |
| p256 | EC P-256 | (refused for firmware signing) | p256.* |
| rsa2048 | RSA 2048 | (refused for firmware signing) | rsa2048.* |
| other-p384 | EC P-384 | ES384, a second key for wrong-key tests | other-p384.* |

`*.key.pem` is PKCS#8, `*.pub.pem` SubjectPublicKeyInfo, `*.crt.pem` an
X.509 certificate (CN "fwtrail test signer <name>", key usage
digitalSignature) issued by `ca.crt.pem`.
MD
}

make_seeds() {
	k=testdata/keys
	d=testdata/fuzz/fuzz_sigfile
	rm -rf "$d"
	mkdir -p "$d"
	t=$(mktemp -d)
	trap 'rm -rf "$t"' EXIT
	# the content the fuzz target verifies against (see lib/tests/fuzz_sigfile.c)
	printf 'fwtrail fuzz content\n' > "$t/content"
	openssl dgst -sha384 -sign "$k/p384.key.pem" -out "$d/raw-es384.sig" "$t/content"
	openssl cms -sign -binary -in "$t/content" -signer "$k/p384.crt.pem" -inkey "$k/p384.key.pem" \
		-outform DER -md sha384 -nosmimecap -out "$d/cms-es384.p7s"
	openssl cms -sign -binary -noattr -in "$t/content" -signer "$k/p384.crt.pem" -inkey "$k/p384.key.pem" \
		-outform DER -md sha384 -out "$d/cms-es384-noattr.p7s"
	openssl cms -sign -binary -in "$t/content" -signer "$k/rsa3072.crt.pem" -inkey "$k/rsa3072.key.pem" \
		-outform DER -md sha384 -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:48 -nosmimecap \
		-out "$d/cms-ps384.p7s"
	head -c 100 "$d/cms-es384.p7s" > "$d/cms-truncated.p7s"
	printf '\060\200\006\011\052\206\110\206\367\015\001\007\002\000\000' > "$d/cms-indefinite.p7s"
	printf '\060\006\002\001\001\002\001\001' > "$d/raw-tiny.sig"
	: > "$d/empty"
	u=testdata/fuzz/fuzz_pkcs11_uri
	rm -rf "$u"
	mkdir -p "$u"
	printf 'pkcs11:token=fwtrail-test;object=p384;type=private' > "$u/object"
	printf 'pkcs11:model=SoftHSM%%20v2;manufacturer=SoftHSM%%20project;serial=1;token=t;id=%%01%%02;object=k;type=private' > "$u/full"
	printf 'pkcs11:token=t?pin-source=file:/run/pin&module-name=softhsm2' > "$u/query"
	printf 'pkcs11:token=t;token=u' > "$u/duplicate"
	printf 'pkcs11:foo=bar' > "$u/unknown"
	printf 'pkcs11:token=%%zz' > "$u/bad-escape"
	printf 'pkcs11:object=a?pin-source=|/bin/true' > "$u/pin-command"
	printf 'pkcs11:slot-id=18446744073709551616;library-version=1.x' > "$u/numbers"
	cat > "$d/README.md" <<'MD'
# testdata/fuzz/fuzz_sigfile

Seeds for `lib/tests/fuzz_sigfile.c` (`make check` replays every file here,
this one included): signature files over the content `fwtrail fuzz
content\n`, made by `scripts/mk-testkeys.sh seeds` with the openssl CLI and
`testdata/keys/p384` and `rsa3072`: raw ES384, CMS ES384 with and without
signed attributes, CMS PS384; plus truncated, indefinite-length (BER) and
empty inputs. ECDSA and PSS signatures are randomised, so running the
script again changes their bytes, not their meaning.
MD
	cat > "$u/README.md" <<'MD'
# testdata/fuzz/fuzz_pkcs11_uri

Seeds for `lib/tests/fuzz_pkcs11_uri.c`, written by `scripts/mk-testkeys.sh
seeds`: pkcs11: URIs fwtrail accepts (object, full key URI, query
attributes) and ones it refuses (repeated or unknown attributes, a bad
percent escape, a pin-source command, out-of-range numbers).
MD
}

case "${1:-all}" in
keys) make_keys ;;
seeds) make_seeds ;;
all) make_keys; make_seeds ;;
*) echo "usage: $0 [keys|seeds]" >&2; exit 2 ;;
esac
