#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Make the CoRIM/COSE fixtures under testdata/rim/.
#   scripts/mk-rim-testdata.sh keys   new test keys (random: run once, commit)
#   scripts/mk-rim-testdata.sh rims   RIMs from those keys (needs build/fwtrail)
#   scripts/mk-rim-testdata.sh fuzz   seed corpora of the CBOR, COSE and CoRIM fuzz targets
# Without an argument: rims (keys are kept, so the committed RIMs stay
# reproducible apart from the ECDSA signatures, which are randomised).
set -eu
cd "$(dirname "$0")/.."
K=testdata/rim/keys
PY=/usr/bin/python3

make_keys() {
	mkdir -p "$K"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/ec-p256.pem" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$K/ec-p384.pem" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out "$K/ec-p521.pem" 2>/dev/null
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$K/rsa-3072.pem" 2>/dev/null
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$K/rsa-2048.pem" 2>/dev/null
	for k in ec-p256 ec-p384 ec-p521 rsa-3072 rsa-2048; do
		openssl pkey -in "$K/$k.pem" -pubout -out "$K/$k.pub"
	done
	# a certificate for ec-p384, so that rim sign can take the signer name from it
	openssl req -new -x509 -key "$K/ec-p384.pem" -subj "/O=ACME Inc./CN=ACME Firmware Signing" \
		-days 7300 -sha384 -out "$K/ec-p384.crt" 2>/dev/null
	# the P-256 public key as a JWK, the form veraison publishes its keys in
	$PY - "$K/ec-p256.pub" > "$K/ec-p256.jwk" <<'PY'
import base64, json, sys
from cryptography.hazmat.primitives.serialization import load_pem_public_key
k = load_pem_public_key(open(sys.argv[1], "rb").read()).public_numbers()
b = lambda n: base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()
print(json.dumps({"kty": "EC", "crv": "P-256", "x": b(k.x), "y": b(k.y)}, indent=2))
PY
}

# The RIMs: made by fwtrail itself from testdata/firmware, then the bad
# twins by scripts/interop-cose.py (cbor2 + cryptography), each correctly
# signed so that only one rule is broken.
make_rims() {
	F=build/fwtrail
	[ -x "$F" ] || { echo "$0: build fwtrail first (make)" >&2; exit 1; }
	R=testdata/rim
	rm -rf "$R/bad" "$R"/*.corim
	mkdir -p "$R/bad"
	$F rim create --vendor 'ACME Inc.' --model 'NIC 7' --class-id 67b28b6c-34cc-40a1-9117-ab5b05911e37 \
		--alg sha384,sha512 --measurement 1=testdata/firmware/nic-7.0.2.bin \
		--measurement 2=testdata/firmware/rot-rom-1.0.bin \
		--measurement firmware-version=sha256:8a8bd0a3b2a4c6bb6b1b0c1f2fbd6b4b2d1bd9e1c3a0e2a1f1e0d0c0b0a09080 \
		-o "$R/nic.corim"
	$F rim sign --key "$K/ec-p384.pem" --kid acme-2026 --signer 'ACME Firmware Signing' \
		--signer-uri https://acme.example --not-before 2026-01-01 --not-after 2036-01-01 \
		-o "$R/nic.signed.corim" "$R/nic.corim"
	$F rim sign --key "$K/ec-p384.pem" --signer 'ACME Firmware Signing' \
		--not-before 2019-01-01 --not-after 2020-01-01 -o "$R/bad/expired.corim" "$R/nic.corim"
	$F rim sign --key "$K/ec-p384.pem" --signer 'ACME Firmware Signing' \
		--not-before 2090-01-01 --not-after 2099-01-01 -o "$R/bad/not-yet-valid.corim" "$R/nic.corim"
	$PY scripts/interop-cose.py mk-bad "$R/nic.signed.corim" "$K" "$R/bad"
}

make_fuzz() {
	rm -rf testdata/fuzz/fuzz_cbor_decode testdata/fuzz/fuzz_cose_sign1 testdata/fuzz/fuzz_corim
	$PY scripts/mk-fuzz-seeds.py cbor cose
	mkdir -p testdata/fuzz/fuzz_corim
	cp testdata/rim/nic.corim testdata/rim/nic.signed.corim testdata/fuzz/fuzz_corim/
	for f in indefinite-payload payload-comid cose-sign crit-unknown; do
		cp "testdata/rim/bad/$f.corim" testdata/fuzz/fuzz_corim/
	done
	$PY scripts/mk-fuzz-seeds.py corim
}

case "${1:-rims}" in
keys) make_keys ;;
rims) make_rims ;;
fuzz) make_fuzz ;;
*) echo "usage: $0 [keys|rims|fuzz]" >&2; exit 2 ;;
esac
