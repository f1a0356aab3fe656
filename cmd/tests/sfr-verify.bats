#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail sfr verify: the published reports, the samples, firmware binding,
# mutations, and the RELIABILITY.md J cases through the command.

load helpers

K="$TESTDATA/sfr/keys"
REPORT="$TESTDATA/sfr/bmc-report.json"
FW="$TESTDATA/firmware/bmc-1.2.3.bin"
SFR="$CORPORA/sfr"
SAMPLES="$SFR/shortform_report-main/samples"

setup() {
	T=$BATS_TEST_TMPDIR
}

# forge KEY HEADER PAYLOAD [SIGMODE]: a compact JWS as an attacker or a
# careless signer would make it.  SIGMODE: sign (default), der, zero, empty,
# hmac (HMAC-SHA256 keyed with the public key PEM).
forge() {
	$PY - "$@" <<'PY'
import base64, hashlib, hmac, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
keyfile, header, payload = sys.argv[1:4]
mode = sys.argv[4] if len(sys.argv) > 4 else "sign"
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
key = serialization.load_pem_private_key(open(keyfile, "rb").read(), None)
tbs = (b64(header.encode()) + "." + b64(payload.encode())).encode()
if isinstance(key, ec.EllipticCurvePrivateKey):
    h = {384: hashes.SHA384(), 521: hashes.SHA512()}[key.curve.key_size]
    der = key.sign(tbs, ec.ECDSA(h))
    n = (key.curve.key_size + 7) // 8
    r, s = utils.decode_dss_signature(der)
    sig = r.to_bytes(n, "big") + s.to_bytes(n, "big")
else:
    h = {3072: hashes.SHA384(), 4096: hashes.SHA512()}.get(key.key_size, hashes.SHA384())
    der = sig = key.sign(tbs, padding.PSS(padding.MGF1(h), h.digest_size), h)
if mode == "der":
    sig = der
elif mode == "zero":
    sig = bytes(len(sig))
elif mode == "empty":
    sig = b""
elif mode == "hmac":
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    sig = hmac.new(pub, tbs, hashlib.sha256).digest()
sys.stdout.write(tbs.decode() + "." + b64(sig))
PY
}

@test "every published report verifies with exactly the key EXPECTED.json names" {
	need_corpus sfr
	cd "$SFR"
	mapfile -t reports < <($PY -c 'import json; d=json.load(open("EXPECTED.json")); [print(k) for k,v in sorted(d.items()) if v.get("expected")=="valid" and k.startswith("Reports/")]')
	[ "${#reports[@]}" -ge 30 ]
	run -0 fwtrail sfr verify --json --trust SRP_certificates "${reports[@]}"
	printf '%s' "$output" > "$T/out.json"
	$PY - "$T/out.json" <<'PY'
import json, sys
exp = json.load(open("EXPECTED.json"))
o = json.load(open(sys.argv[1]))
assert o["ok"] and o["failed"] == 0, o["failed"]
for r in o["reports"]:
    want = [k for k in exp[r["report"]]["verifies_with_key"] if k.startswith("SRP_certificates/")]
    assert r["ok"] and [r["key"]] == want, (r["report"], r["key"], want)
    assert r["alg"] == "ES512" and r["kid"] == exp[r["report"]]["jws_header"]["kid"]
    assert len(r["key_fingerprint"]) == 64
print(len(o["reports"]), "reports")
PY
	# text form: one OK line each, naming the key file
	run -0 fwtrail sfr verify --trust SRP_certificates "${reports[@]}"
	assert_equal "${#lines[@]}" "${#reports[@]}"
	refute_line --regexp '^FAIL'
	assert_line --regexp "^OK Reports/.*: ES512 signature by 'SRP_certificates/Active/NCC_Group/ocp_safe_ncc_group_ecdsa_p521.pub' \(sha256:[0-9a-f]{64}\); firmware not checked \(no --fw or --manifest\)$"
}

@test "a published report with another provider's key alone fails" {
	need_corpus sfr
	r="$SFR/Reports/SK_hynix/2023/PE9x10/SK_hynix-PE9x10-4109CA30-Threat_Modeling.jws"
	run -0 fwtrail sfr verify --key "$SFR/SRP_certificates/Active/IOActive/ioactive-ocp-safe-ecdsa-p521-pub.pem" "$r"
	run -1 fwtrail sfr verify --key "$SFR/SRP_certificates/Active/NCC_Group/ocp_safe_ncc_group_ecdsa_p521.pub" "$r"
	assert_output --partial "FAIL $r: ES512 signature does not verify with the trusted key"
	run -1 fwtrail sfr verify --key "$SFR/SRP_certificates/Active/Trail_of_Bits/trail_of_bits_ocp_safe_ecdsa_p384.pem" "$r"
	assert_output --partial "no trusted key fits ES512"
	# both keys in one file: --key trusts one, and says where such a file goes
	cd "$T"
	cat "$SFR/SRP_certificates/Active/IOActive/ioactive-ocp-safe-ecdsa-p521-pub.pem" \
		"$SFR/SRP_certificates/Active/NCC_Group/ocp_safe_ncc_group_ecdsa_p521.pub" > two.pem
	run --separate-stderr -4 fwtrail sfr verify --key two.pem "$r"
	assert_equal "$stderr" "fwtrail sfr verify: 'two.pem' holds 2 keys or certificates, and --key trusts one: give the file with --trust"
	assert_equal "$output" ""
	run --separate-stderr -4 fwtrail sfr show --key two.pem "$r"
	assert_equal "$stderr" "fwtrail sfr show: 'two.pem' holds 2 keys or certificates, and --key trusts one: give the file with --trust"
	run -0 fwtrail sfr verify --trust two.pem "$r"
	# a file that is no key keeps its own message
	run --separate-stderr -4 fwtrail sfr verify --key "$r" "$r"
	[[ "$stderr" != *"--key trusts one"* ]] || fail "$stderr"
}

@test "the samples verify with their own test keys; the manifest sample binds to myapp/ and a tar.gz of it" {
	need_corpus sfr
	run -0 fwtrail sfr verify --key "$SAMPLES/testkey_ecdsa_p521.pub" "$SAMPLES/helloworld.jws"
	run -0 fwtrail sfr verify --key "$SAMPLES/manifest/testkey_ecdsa_p521.pub" --manifest "$SAMPLES/manifest/myapp" "$SAMPLES/manifest/manifest.jws"
	assert_output --partial "; firmware '$SAMPLES/manifest/myapp' matches"
	tar -C "$SAMPLES/manifest" -czf "$T/myapp.tar.gz" myapp
	run -0 fwtrail sfr verify --key "$SAMPLES/manifest/testkey_ecdsa_p521.pub" --manifest "$T/myapp.tar.gz" "$SAMPLES/manifest/manifest.jws"
	# a release with one file changed does not match, and says which
	cp -r "$SAMPLES/manifest/myapp" "$T/myapp" && chmod -R u+w "$T/myapp"
	printf 'x' >> "$T/myapp/make.sh"
	run -1 fwtrail sfr verify --key "$SAMPLES/manifest/testkey_ecdsa_p521.pub" --manifest "$T/myapp" "$SAMPLES/manifest/manifest.jws"
	assert_output --partial "does not match '$T/myapp' ('myapp/make.sh' differs)"
	run -1 fwtrail sfr verify --key "$SAMPLES/testkey_ecdsa_p521.pub" "$SAMPLES/manifest/manifest.jws"
}

@test "one-byte mutations of header, payload and signature are rejected (exit 1 or 4)" {
	need_corpus sfr
	src="$SAMPLES/manifest/manifest.jws"
	$PY - "$src" "$T/m" <<'PY'
import os, sys
tok = open(sys.argv[1], "rb").read().strip()
os.makedirs(sys.argv[2])
d1, d2 = tok.index(b"."), tok.rindex(b".")
positions = sorted(set(list(range(0, d1, max(1, d1 // 20))) + list(range(d1 + 1, d2, max(1, (d2 - d1) // 40))) +
                       list(range(d2 + 1, len(tok), max(1, (len(tok) - d2) // 30))) + [d1, d2, len(tok) - 1]))
n = 0
for p in positions:
    for new in {tok[p] ^ 1, ord("A") if tok[p] != ord("A") else ord("B")}:
        m = bytearray(tok)
        m[p] = new
        open(os.path.join(sys.argv[2], "m%04d-%03d.jws" % (p, new)), "wb").write(bytes(m))
        n += 1
print(n)
PY
	set -- "$T"/m/*.jws
	[ "$#" -ge 150 ]
	run --separate-stderr fwtrail sfr verify --json --key "$SAMPLES/manifest/testkey_ecdsa_p521.pub" "$@"
	[[ $status -eq 1 || $status -eq 4 ]]
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["passed"]==0 and o["failed"]==len(o["reports"]) and all(r["status"] in ("verify_failed","malformed") for r in o["reports"])' <<<"$output"
}

@test "firmware binding: the right image passes, another image fails; 0x and case are normalised" {
	fwtrail sfr sign --key "$K/es384.key.pem" --kid lab -o "$T/r.jws" "$REPORT"
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" --fw "$FW" "$T/r.jws"
	assert_output --partial "; firmware '$FW' matches"
	run -1 fwtrail sfr verify --key "$K/es384.pub.pem" --fw "$TESTDATA/firmware/bios-4.1.0.bin" "$T/r.jws"
	assert_output --partial "fw_hash_sha2_384 does not match"
	h384=$(sha384sum < "$FW" | cut -d' ' -f1)
	fwtrail sfr create --from "$REPORT" --fw-hash "sha384:${h384}" -o "$T/only384.json"
	sed -i "s/\"$h384\"/\"0X${h384^^}\"/" "$T/only384.json"
	fwtrail sfr sign --key "$K/es384.key.pem" --kid lab -o "$T/o.jws" "$T/only384.json"
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" --fw "$FW" "$T/o.jws"
	run -2 fwtrail sfr verify --key "$K/es384.pub.pem" --fw "$FW" --manifest "$TESTDATA/firmware/release" "$T/o.jws"
	run -2 fwtrail sfr verify --key "$K/es384.pub.pem" --fw "$TESTDATA/firmware/release" "$T/o.jws"
}

@test "exit status: all pass 0, any failure 1, any malformed 4, unreadable 3; unsigned JSON fails" {
	fwtrail sfr sign --key "$K/es512.key.pem" --kid lab -o "$T/good.jws" "$REPORT"
	fwtrail sfr sign --key "$K/other-es512.key.pem" --kid lab -o "$T/other.jws" "$REPORT"
	printf 'not.a.jws' > "$T/bad.jws"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/good.jws" "$T/good.jws"
	run --separate-stderr -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/good.jws" "$T/other.jws"
	assert_line --index 0 --regexp '^OK '
	assert_line --index 1 --regexp '^FAIL '
	[[ $stderr == *"1 of 2 reports failed"* ]]
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/good.jws" "$T/other.jws" "$T/bad.jws"
	run -3 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/good.jws" "$T/missing.jws"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$REPORT"
	assert_output --partial "not signed"
	run -2 fwtrail sfr verify "$T/good.jws"
	run -2 fwtrail sfr verify --key "$K/es512.pub.pem"
	run -2 fwtrail sfr verify --trust "$T" "$T/good.jws"   # a folder without keys
	run -1 fwtrail sfr verify --json --key "$K/es512.pub.pem" "$T/other.jws"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert not o["ok"] and o["error"]["code"]=="verify_failed" and o["failed"]==1' <<<"$output"
}

@test "kids.json: the mapped key only; an unmapped kid fails" {
	fwtrail sfr sign --key "$K/es512.key.pem" --kid 'ACME Review Lab' -o "$T/a.jws" "$REPORT"
	fwtrail sfr sign --key "$K/es512.key.pem" --kid 'Someone Else' -o "$T/b.jws" "$REPORT"
	fwtrail sfr sign --key "$K/es512.key.pem" --kid 'Road Runner Audits' -o "$T/c.jws" "$REPORT"
	run -0 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/a.jws"
	assert_output --partial "trust-kids/es512.pub'"
	run -1 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/b.jws"
	assert_output --partial "kid 'Someone Else' is not mapped"
	run -1 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/c.jws"
}

@test "J1-J3: alg none, HMAC with the public key, algorithms outside the profile, alg/key binding" {
	p='{"device":{"vendor":"V","product":"P"},"audit":{}}'
	for h in '{"alg":"none","kid":"k"}' '{"alg":"None","kid":"k"}' '{"alg":"RS384","kid":"k"}' \
	         '{"alg":"ES256","kid":"k"}' '{"alg":"PS256","kid":"k"}' '{"alg":"ES512 ","kid":"k"}'; do
		forge "$K/es512.key.pem" "$h" "$p" > "$T/t.jws"
		run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
		assert_output --partial "is not allowed"
	done
	for a in HS256 HS384 HS512; do
		forge "$K/es512.key.pem" "{\"alg\":\"$a\",\"kid\":\"k\"}" "$p" hmac > "$T/t.jws"
		run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
	done
	forge "$K/es512.key.pem" '{"alg":"ES512","kid":"k"}' "$p" empty > "$T/t.jws"
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
	forge "$K/es512.key.pem" '{"kid":"k"}' "$p" > "$T/t.jws"
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
	# alg/key matrix: only the diagonal verifies
	for a in es384 es512 ps384 ps512; do
		forge "$K/$a.key.pem" "{\"alg\":\"${a^^}\",\"kid\":\"k\"}" "$p" > "$T/$a.jws"
		for k in p256 es384 es512 rsa2048 ps384 ps512; do
			if [ "$k" = "$a" ]; then want=0; else want=1; fi
			run -$want fwtrail sfr verify --key "$K/$k.pub.pem" "$T/$a.jws"
		done
	done
	# a P-521 signature that claims ES384
	forge "$K/es512.key.pem" '{"alg":"ES384","kid":"k"}' "$p" > "$T/t.jws"
	run -1 fwtrail sfr verify --key "$K/es384.pub.pem" --key "$K/es512.pub.pem" "$T/t.jws"
}

@test "J4-J6: zero and DER ECDSA signatures; RSA-PSS salt must equal the hash length" {
	p='{"device":{"vendor":"V","product":"P"},"audit":{}}'
	forge "$K/es384.key.pem" '{"alg":"ES384","kid":"k"}' "$p" zero > "$T/t.jws"
	run -1 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/t.jws"
	assert_output --partial "out of range"
	forge "$K/es384.key.pem" '{"alg":"ES384","kid":"k"}' "$p" der > "$T/t.jws"
	run -1 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/t.jws"
	# PS512 made by openssl dgst: salt 64 verifies, salt 32 does not
	hp=$($PY -c 'import base64,sys; b=lambda s: base64.urlsafe_b64encode(s.encode()).rstrip(b"=").decode(); print(b(sys.argv[1])+"."+b(sys.argv[2]))' '{"alg":"PS512","kid":"k"}' "$p")
	for salt in 64 32; do
		printf '%s' "$hp" | openssl dgst -sha512 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:$salt \
			-sigopt rsa_mgf1_md:sha512 -sign "$K/ps512.key.pem" -out "$T/sig"
		printf '%s.%s' "$hp" "$(base64 -w0 < "$T/sig" | tr '+/' '-_' | tr -d '=')" > "$T/pss$salt.jws"
	done
	run -0 fwtrail sfr verify --key "$K/ps512.pub.pem" "$T/pss64.jws"
	run -1 fwtrail sfr verify --key "$K/ps512.pub.pem" "$T/pss32.jws"
}

@test "J7-J9: embedded keys, crit, b64 are refused even when correctly signed" {
	p='{"device":{"vendor":"V","product":"P"},"audit":{}}'
	for h in '{"alg":"ES512","kid":"k","jwk":{"kty":"EC"}}' '{"alg":"ES512","kid":"k","jku":"https://x/"}' \
	         '{"alg":"ES512","kid":"k","x5u":"https://x/"}' '{"alg":"ES512","kid":"k","x5c":["MII"]}' \
	         '{"alg":"ES512","kid":"k","x5t":"x"}' '{"alg":"ES512","kid":"k","crit":["x-unknown"]}' \
	         '{"alg":"ES512","kid":"k","crit":[]}' '{"alg":"ES512","kid":"k","crit":["alg"]}' \
	         '{"alg":"ES512","kid":"k","crit":["b64"],"b64":false}' '{"alg":"ES512","kid":"k","b64":false}'; do
		forge "$K/es512.key.pem" "$h" "$p" > "$T/t.jws"
		run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
	done
	for h in '{"alg":"ES512"}' '{"alg":"ES512","kid":""}' '{"alg":"ES512","kid":123}' '{"alg":"ES512","kid":{}}' \
	         '{"alg":"ES512","kid":"k1\u0000evil"}'; do
		forge "$K/es512.key.pem" "$h" "$p" > "$T/t.jws"
		run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
	done
	if command -v strace >/dev/null; then
		forge "$K/es512.key.pem" '{"alg":"ES512","kid":"../../kid-probe"}' "$p" > "$T/t.jws"
		strace_fwtrail -f -e trace=openat,connect -o "$T/trace" "$FWTRAIL" sfr verify --key "$K/es512.pub.pem" "$T/t.jws" >/dev/null
		! grep -q 'kid-probe' "$T/trace"
		! grep -q 'connect(' "$T/trace"
	fi
}

@test "J10-J12: duplicates, NUL, UTF-8, depth, framing and size limits are malformed (exit 4)" {
	r=$(tr -d '\n' < "$REPORT")
	for pl in '{"device":{},"device":{},"audit":{}}' '{"device":{"vendor":"a","vendor":"b"},"audit":{}}' \
	          '{"device":{},"audit":{"issues":[{"title":"a","title":"b"}]}}' \
	          '{"device":{"vendor":"ACME\u0000Evil"},"audit":{}}' '{"device":{},"audit":{}} {}' \
	          '{"device":{},"audit":{},"x":[[[[[[[[[1]]]]]]]]]}' '{"device":{"vendor":"\ud800"},"audit":{}}' \
	          '[1]' '{"device":{},"audit":{},"n":1e400}'; do
		forge "$K/es512.key.pem" '{"alg":"ES512","kid":"k"}' "$pl" > "$T/t.jws"
		run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
	done
	forge "$K/es512.key.pem" '{"alg":"ES512","alg":"ES512","kid":"k"}' "$r" > "$T/t.jws"
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
	forge "$K/es512.key.pem" '{"alg":"ES512","kid":"k"}' "$r" > "$T/good.jws"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/good.jws"
	tok=$(cat "$T/good.jws")
	for v in "${tok}." "${tok%.*}" "${tok}=" " ${tok}" "${tok/./.. }" "$(printf '%s' "$tok" | tr '_-' '/+')x" \
	         '{"payload":"e30","signatures":[{"protected":"e30","signature":"AA"}]}'; do
		printf '%s' "$v" > "$T/t.jws"
		run fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
		[[ $status -eq 4 || $status -eq 1 ]]
		[ "$status" -ne 0 ]
	done
	head -c 1048576 /dev/zero | tr '\0' '.' > "$T/dots.jws"
	run -4 run_limited "$FWTRAIL" sfr verify --key "$K/es512.pub.pem" "$T/dots.jws"
	{ printf '%s' "${tok%%.*}."; head -c 2000000 /dev/zero | tr '\0' 'A'; printf '.AA'; } > "$T/big.jws"
	run -4 run_limited "$FWTRAIL" sfr verify --key "$K/es512.pub.pem" "$T/big.jws"
	assert_output --partial "larger than"
	# invalid UTF-8 in the payload, a BOM
	$PY - "$K/es512.key.pem" "$T/u.jws" <<'PY'
import base64, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
b = lambda x: base64.urlsafe_b64encode(x).rstrip(b"=").decode()
tbs = (b(b'{"alg":"ES512","kid":"k"}') + "." + b(b'\xef\xbb\xbf{"device":{"vendor":"\xc0\xaf"},"audit":{}}')).encode()
r, s = utils.decode_dss_signature(key.sign(tbs, ec.ECDSA(hashes.SHA512())))
open(sys.argv[2], "w").write(tbs.decode() + "." + b(r.to_bytes(66, "big") + s.to_bytes(66, "big")))
PY
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/u.jws"
}

@test "T4: a trusted certificate counts only inside its validity (now or --at), JWS and COSE alike" {
	local KEYS="$TESTDATA/keys" TR="$TESTDATA/trust" f
	# a review completed in 2020, checked at --at 2020-06-01 below
	sed 's/"completion_date": "2026-03-14"/"completion_date": "2020-03-14"/' "$REPORT" > "$T/r.json"
	fwtrail sfr sign --key "$KEYS/p384.key.pem" --kid lab -o "$T/a.jws" "$T/r.json"
	fwtrail sfr sign --key "$KEYS/p384.key.pem" --kid lab --format cose -o "$T/a.cbor" "$T/r.json"
	mkdir "$T/trust"
	cp "$TR/p384-expired.crt.pem" "$T/trust/"
	for f in "$T/a.jws" "$T/a.cbor"; do
		run -1 fwtrail sfr verify --key "$TR/p384-expired.crt.pem" "$f"
		assert_output --regexp "^FAIL $f: certificate '$TR/p384-expired.crt.pem' \(O = fwtrail tests, CN = fwtrail test signer p384-expired\) expired on 2021-01-01T00:00:00Z, checked at 20[0-9-]{8}T[0-9:]{8}Z$"
		run -1 fwtrail sfr verify --trust "$T/trust" "$f"
		assert_output --partial "certificate '$T/trust/p384-expired.crt.pem' (O = fwtrail tests, CN = fwtrail test signer p384-expired) expired on"
		run -0 fwtrail sfr verify --trust "$T/trust" --at 2020-06-01T00:00:00Z "$f"
		assert_output --partial "signature by '$T/trust/p384-expired.crt.pem'"
		run -1 fwtrail sfr verify --trust "$T/trust" --at 2021-01-01T00:00:01Z "$f"
		run -1 fwtrail sfr verify --key "$TR/p384-future.crt.pem" "$f"
		assert_output --partial "is not valid before 2040-01-01T00:00:00Z"
		run -0 fwtrail sfr verify --key "$TR/p384-future.crt.pem" --at 2041-01-01 "$f"
		run -0 fwtrail sfr verify --key "$KEYS/p384.crt.pem" "$f"
		run -1 fwtrail sfr verify --key "$KEYS/p384.crt.pem" --at 2047-01-01 "$f"
	done
	run -2 fwtrail sfr verify --key "$KEYS/p384.crt.pem" --at soon "$T/a.jws"
	# the same key also trusted bare, or by a valid certificate: that entry vouches and is named
	cp "$KEYS/p384.pub.pem" "$T/trust/"
	run -0 fwtrail sfr verify --trust "$T/trust" "$T/a.jws" "$T/a.cbor"
	assert_line --index 0 --partial "signature by '$T/trust/p384.pub.pem'"
	assert_line --index 1 --partial "signature by '$T/trust/p384.pub.pem'"
	run -0 fwtrail sfr verify --key "$TR/p384-expired.crt.pem" --key "$TR/p384-current.crt.pem" "$T/a.jws"
	assert_output --partial "signature by '$TR/p384-current.crt.pem'"
	# with a kids.json naming the expired certificate
	printf '{"lab": "p384-expired.crt.pem"}\n' > "$T/trust/kids.json"
	rm "$T/trust/p384.pub.pem"
	run -1 fwtrail sfr verify --trust "$T/trust" "$T/a.jws"
	assert_output --partial "expired on 2021-01-01T00:00:00Z"
	run --separate-stderr -1 fwtrail sfr verify --json --trust "$T/trust" "$T/a.jws"
	echo "$output" | $PY -c 'import json,sys; o=json.load(sys.stdin); r=o["reports"][0]; assert not r["ok"] and "expired on" in r["reason"] and o["failed"]==1, o'
}

@test "T5: a signature by a revoked key fails: --revoked and a trust folder's revoked.txt; a malformed list is exit 4" {
	local KEYS="$TESTDATA/keys" f fp
	fwtrail sfr sign --key "$KEYS/p384.key.pem" --kid lab -o "$T/a.jws" "$REPORT"
	fwtrail sfr sign --key "$KEYS/p384.key.pem" --kid lab --format cose -o "$T/a.cbor" "$REPORT"
	fwtrail sfr sign --key "$K/es512.key.pem" --kid other -o "$T/b.jws" "$REPORT"
	fp=$(fwtrail key export --json "$KEYS/p384.key.pem" | jq -r .sha256_fingerprint)
	mkdir "$T/trust"
	cp "$KEYS/p384.pub.pem" "$K/es512.pub.pem" "$T/trust/"
	printf 'sha256:%s\n' "$fp" > "$T/rev.txt"
	for f in "$T/a.jws" "$T/a.cbor"; do
		run -0 fwtrail sfr verify --trust "$T/trust" "$f"
		run -1 fwtrail sfr verify --trust "$T/trust" --revoked "$T/rev.txt" "$f"
		assert_output "FAIL $f: key '$T/trust/p384.pub.pem' (sha256:$fp) is revoked ('$T/rev.txt' line 1)"
		run -1 fwtrail sfr verify --key "$KEYS/p384.crt.pem" --revoked "$T/rev.txt" "$f"
	done
	run -0 fwtrail sfr verify --trust "$T/trust" --revoked "$T/rev.txt" "$T/b.jws"   # other keys still count
	# the list inside the trust folder
	printf '# revoked 2026-11-20\n%s # lab\n' "$fp" > "$T/trust/revoked.txt"
	run --separate-stderr -1 fwtrail sfr verify --trust "$T/trust" "$T/a.jws" "$T/b.jws"
	assert_line --index 0 "FAIL $T/a.jws: key '$T/trust/p384.pub.pem' (sha256:$fp) is revoked ('$T/trust/revoked.txt' line 2)"
	assert_line --index 1 --partial "OK $T/b.jws"
	assert_equal "$stderr" "fwtrail sfr verify: 1 of 2 reports failed"
	# and for 'sfr show' through the same store
	run -1 fwtrail sfr show --trust "$T/trust" "$T/a.jws"
	assert_output --partial "is revoked"
	printf 'sha256:%s\nsha256:%s\n' "$fp" "xyz" > "$T/trust/revoked.txt"
	run --separate-stderr -4 fwtrail sfr verify --trust "$T/trust" "$T/b.jws"
	assert_equal "$stderr" "fwtrail sfr verify: revocation list '$T/trust/revoked.txt' line 2: not a SHA-256 key fingerprint (64 hex digits, optionally after 'sha256:')"
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" --revoked "$T/trust/revoked.txt" "$T/b.jws"
	run -3 fwtrail sfr verify --key "$K/es512.pub.pem" --revoked "$T/missing.txt" "$T/b.jws"
}

@test "T5: a key revoked by its RSA-PSS-typed file's hash fails even when its rsaEncryption twin in the store verifies" {
	local f kid
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:3072 -out "$T/pss.key" 2> /dev/null
	mkdir "$T/tr"
	openssl pkey -in "$T/pss.key" -pubout -out "$T/tr/lab-pss.pub"
	fwtrail -q key export -o "$T/tr/lab-plain.pub" "$T/pss.key"
	printf 'sha256:%s # lab key compromised\n' "$(openssl pkey -pubin -in "$T/tr/lab-pss.pub" -outform DER | sha256sum | cut -c1-64)" \
		> "$T/tr/revoked.txt"
	for kid in pss plain; do # the signer's kid decides which file is tried first
		fwtrail sfr sign --key "$T/pss.key" --kid "$kid" -o "$T/$kid.jws" "$REPORT"
		run -1 fwtrail sfr verify --trust "$T/tr" "$T/$kid.jws"
		assert_output --partial "is revoked ('$T/tr/revoked.txt' line 1)"
	done
	fwtrail sfr sign --key "$T/pss.key" --kid ACME --format cose -o "$T/r.cose" "$REPORT"
	for f in "$T/pss.jws" "$T/r.cose"; do
		run -1 fwtrail sfr verify --key "$T/tr/lab-plain.pub" --key "$T/tr/lab-pss.pub" --revoked "$T/tr/revoked.txt" "$f"
		run -1 fwtrail sfr verify --key "$T/tr/lab-pss.pub" --key "$T/tr/lab-plain.pub" --revoked "$T/tr/revoked.txt" "$f"
	done
}

@test "T5: duplicate kids fail the trust-store load (exit 4): in one kids.json and across folders" {
	fwtrail sfr sign --key "$K/es512.key.pem" --kid 'ACME Review Lab' -o "$T/a.jws" "$REPORT"
	mkdir "$T/one" "$T/two"
	cp "$K/es512.pub.pem" "$T/one/"
	cp "$K/es512.pub.pem" "$T/two/"
	printf '{"ACME Review Lab": "es512.pub.pem", "ACME Review Lab": "es512.pub.pem"}\n' > "$T/one/kids.json"
	run --separate-stderr -4 fwtrail sfr verify --trust "$T/one" "$T/a.jws"
	assert_equal "$output" ""
	[[ $stderr == *"$T/one/kids.json"*"duplicate"* ]] || fail "stderr: $stderr"
	printf '{"ACME Review Lab": "es512.pub.pem"}\n' > "$T/one/kids.json"
	printf '{"ACME Review Lab": "es512.pub.pem"}\n' > "$T/two/kids.json"
	run -0 fwtrail sfr verify --trust "$T/one" "$T/a.jws"
	run --separate-stderr -4 fwtrail sfr verify --trust "$T/one" --trust "$T/two" "$T/a.jws"
	assert_equal "$stderr" "fwtrail sfr verify: '$T/two/kids.json': kid 'ACME Review Lab' is mapped twice"
}

@test "T3: a signed report must name its device: no or empty vendor or product is malformed (exit 4)" {
	for drop in vendor product both empty; do
		$PY - "$REPORT" "$drop" > "$T/p.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
d = r["device"]
if sys.argv[2] in ("vendor", "both"):
    del d["vendor"]
if sys.argv[2] in ("product", "both"):
    del d["product"]
if sys.argv[2] == "empty":
    d["product"] = ""
print(json.dumps(r, separators=(",", ":")))
PY
		forge "$K/es512.key.pem" '{"alg":"ES512","kid":"k"}' "$(cat "$T/p.json")" > "$T/t.jws"
		run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/t.jws"
		assert_output --regexp '\$\.device\.(vendor|product): (missing|empty): a report names the device it reviewed \(vendor and product\)'
	done
	# a draft without them is lint's to report, not a parse failure
	run -1 fwtrail sfr lint "$T/p.json"
	assert_output --partial "product is empty"
}

@test "a release whose manifest cannot be hashed fails every report, one line for the cause (never OK)" {
	mkdir -p "$T/rel"
	printf 'fw' > "$T/rel/fw.bin"
	printf 'x' > "$T/rel/$(printf 'note\377.txt')"
	tar -cf "$T/release.tar" -C "$T" rel
	echo 'this is not a report' > "$T/garbage.jws"
	fwtrail sfr sign -q --key "$K/es384.key.pem" --kid k -o "$T/good.jws" "$REPORT"
	for m in "$T/rel" "$T/release.tar"; do
		run --separate-stderr -4 fwtrail sfr verify --key "$K/es384.pub.pem" --manifest "$m" "$T/garbage.jws" "$T/good.jws"
		[ -z "$output" ]
		[[ $stderr == *"cannot hash the manifest of '$m': file name 'rel/note\\xff.txt' is not valid UTF-8"* ]]
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
		run --separate-stderr -4 fwtrail sfr verify --json --key "$K/es384.pub.pem" --manifest "$m" "$T/good.jws"
		[[ $output != *'"ok": true'* ]]
	done
	# the report itself is good: without the manifest it verifies
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/good.jws"
}

# with_claims CLAIMS: the sample report with CLAIMS (JSON members, as text)
# added at its top level, written as given (1e400 stays 1e400).
with_claims() {
	$PY - "$REPORT" "$1" <<'PY'
import sys
# completed in 2000: checked at --at times of 2001 to 2004, the review is past
t = open(sys.argv[1]).read().rstrip().replace('"completion_date": "2026-03-14"', '"completion_date": "2000-06-01"')
assert t.endswith("}") and "2000-06-01" in t
sys.stdout.write(t[:-1].rstrip() + ",\n    " + sys.argv[2] + "\n}\n")
PY
}

@test "JWT exp and nbf: a signed report past its exp or before its nbf fails (exit 1), at --at or now" {
	local H='{"alg":"ES512","kid":"ACME Review Lab","typ":"JWT"}'
	forge "$K/es512.key.pem" "$H" "$(with_claims '"exp": 1000000000')" > "$T/exp.jws"
	# the review's finding: exit 0 before; expired on 2001-09-09 as PyJWT says
	run -1 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" --fw "$FW" "$T/exp.jws"
	assert_output --regexp "^FAIL $T/exp.jws: the report expired at 2001-09-09T01:46:40Z \(its exp\), checked at 20[0-9-]{8}T[0-9:]{8}Z$"
	run -0 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" --fw "$FW" --at 2001-09-09T01:46:39Z "$T/exp.jws"
	assert_output --regexp "^OK $T/exp.jws: ES512 signature by .*; firmware '.*' matches$"
	# at exp itself the report has expired (RFC 7519: on or after)
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2001-09-09T01:46:40Z "$T/exp.jws"
	assert_output "FAIL $T/exp.jws: the report expired at 2001-09-09T01:46:40Z (its exp), checked at 2001-09-09T01:46:40Z"
	run -1 --separate-stderr fwtrail --json sfr verify --key "$K/es512.pub.pem" "$T/exp.jws"
	run -0 jq -c '.reports[0] | [.ok, .status, (.reason | startswith("the report expired at 2001-09-09T01:46:40Z")), .key != null]' <<< "$output"
	assert_output '[false,"verify_failed",true,true]'
	# nbf in the future; both edges of a window
	forge "$K/es512.key.pem" "$H" "$(with_claims '"nbf": 4102444800')" > "$T/nbf.jws"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/nbf.jws"
	assert_output --regexp "^FAIL $T/nbf.jws: the report is not valid before 2100-01-01T00:00:00Z \(its nbf\), checked at "
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2100-01-01T00:00:00Z "$T/nbf.jws"
	forge "$K/es512.key.pem" "$H" "$(with_claims '"nbf": 1000000000, "exp": 1100000000')" > "$T/win.jws"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2001-09-09T01:46:39Z "$T/win.jws"
	assert_output --partial "not valid before 2001-09-09T01:46:40Z"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2001-09-09T01:46:40Z "$T/win.jws"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2004-11-09T11:33:19Z "$T/win.jws"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2004-11-09T11:33:20Z "$T/win.jws"
	assert_output --partial "expired at 2004-11-09T11:33:20Z"
	# numbers as JWT libraries read them: whole seconds toward zero, any size a double holds
	forge "$K/es512.key.pem" "$H" "$(with_claims '"exp": 1000000000.9')" > "$T/real.jws"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2001-09-09T01:46:40Z "$T/real.jws"
	forge "$K/es512.key.pem" "$H" "$(with_claims '"exp": -1.5')" > "$T/neg.jws"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 1970-01-01T00:00:01Z "$T/neg.jws"
	assert_output --partial "expired at 1969-12-31T23:59:59Z"
	forge "$K/es512.key.pem" "$H" "$(with_claims '"exp": 1e300, "nbf": -1e300')" > "$T/far.jws"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/far.jws"
	# sfr show with a key says the same, exit 1; without a key it only shows
	run -1 fwtrail sfr show --key "$K/es512.pub.pem" "$T/exp.jws"
	assert_output --partial "the report expired at 2001-09-09T01:46:40Z"
	assert_line "vendor:       ACME Inc"
	run -0 fwtrail sfr show "$T/exp.jws"
}

@test "JWT iat: a report issued after the check time is not yet valid (exit 1), as PyJWT decides" {
	local H='{"alg":"ES512","kid":"ACME Review Lab","typ":"JWT"}'
	forge "$K/es512.key.pem" "$H" "$(with_claims '"iat": 4102444800')" > "$T/iat.jws"
	# before: exit 0 (review finding); jwt.decode refuses it as ImmatureSignatureError
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/iat.jws"
	assert_output --regexp "^FAIL $T/iat.jws: the report is not valid before 2100-01-01T00:00:00Z \(its iat, the time it was issued\), checked at 20[0-9-]{8}T[0-9:]{8}Z$"
	# at iat itself it is valid (PyJWT: iat > now refuses)
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2100-01-01T00:00:00Z "$T/iat.jws"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2099-12-31T23:59:59Z "$T/iat.jws"
	assert_output "FAIL $T/iat.jws: the report is not valid before 2100-01-01T00:00:00Z (its iat, the time it was issued), checked at 2099-12-31T23:59:59Z"
	# without a key nothing is decided: show only shows
	run -0 fwtrail sfr show "$T/iat.jws"
	run -1 fwtrail sfr show --key "$K/es512.pub.pem" "$T/iat.jws"
	assert_output --partial "(its iat, the time it was issued)"
}

@test "JWT iat: a real number is a NumericDate, compared with its fraction as PyJWT compares it" {
	local H='{"alg":"ES512","kid":"ACME Review Lab","typ":"JWT"}' c
	# before: "$.iat is a real number, not an integer" (exit 4) in verify, lint and show
	forge "$K/es512.key.pem" "$H" "$(with_claims '"iat": 1000000000.5')" > "$T/frac.jws"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2001-09-09T01:46:41Z "$T/frac.jws"
	# PyJWT refuses iat > now: 01:46:40.5 is after 01:46:40
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2001-09-09T01:46:40Z "$T/frac.jws"
	assert_output "FAIL $T/frac.jws: the report is not valid before 2001-09-09T01:46:40.5Z (its iat, the time it was issued), checked at 2001-09-09T01:46:40Z"
	for c in 1000000000.0 1e9 1.0e+9; do
		forge "$K/es512.key.pem" "$H" "$(with_claims "\"iat\": $c")" > "$T/real.jws"
		run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2001-09-09T01:46:40Z "$T/real.jws"
		run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2001-09-09T01:46:39Z "$T/real.jws"
		assert_output --partial "not valid before 2001-09-09T01:46:40Z (its iat"
		run -0 fwtrail sfr show --key "$K/es512.pub.pem" "$T/real.jws"
		run -0 fwtrail sfr lint "$T/real.jws"
	done
	# the report keeps it as written
	with_claims '"iat": 1000000000.5' > "$T/frac.json"
	run -0 fwtrail sfr lint "$T/frac.json"
	run -0 --separate-stderr fwtrail sfr convert --to json -o - "$T/frac.json"
	run -0 jq -c .iat <<< "$output"
	assert_output 1000000000.5
	# anything but a number is still malformed
	forge "$K/es512.key.pem" "$H" "$(with_claims '"iat": "1000000000"')" > "$T/str.jws"
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/str.jws"
	assert_output "FAIL $T/str.jws: 'payload': \$.iat is a string, not a number (seconds since the epoch)"
}

@test "sfr show --key: a good signature on a report that fails is shown as good, and what failed is named" {
	local H='{"alg":"ES512","kid":"ACME Review Lab","typ":"JWT"}'
	# before: "signature:    FAIL: the report is not valid before ..." for a signature that verified
	forge "$K/es512.key.pem" "$H" "$(with_claims '"iat": 4102444800')" > "$T/iat.jws"
	run -1 --separate-stderr fwtrail sfr show --key "$K/es512.pub.pem" "$T/iat.jws"
	assert_line --index 2 --regexp "^signature:    verified with '.*/es512.pub.pem' \(sha256:[0-9a-f]{64}\)$"
	assert_line --index 3 --regexp "^validity:     FAIL: the report is not valid before 2100-01-01T00:00:00Z \(its iat, the time it was issued\), checked at 20"
	assert_line "vendor:       ACME Inc"
	refute_output --partial "signature:    FAIL"
	$PY -c 'import sys; sys.stdout.write(open(sys.argv[1]).read().replace("2026-03-14", "2099-12-31"))' "$REPORT" > "$T/future.json"
	forge "$K/es512.key.pem" "$H" "$(cat "$T/future.json")" > "$T/future.jws"
	run -1 --separate-stderr fwtrail sfr show --key "$K/es512.pub.pem" "$T/future.jws"
	assert_line --index 3 --regexp "^validity:     FAIL: the review completed on 2099-12-31 \(its completion_date\), after the check time 20"
	run -1 --separate-stderr fwtrail sfr show --json --key "$K/es512.pub.pem" "$T/future.jws"
	run -0 jq -c '[.ok, .signature.checked, .signature.verified, .failed, .error.code]' <<< "$output"
	assert_output '[false,true,true,"validity","verify_failed"]'
	# a report at odds with its own manifest: not its validity
	$PY -c 'import json, sys; r = json.load(open(sys.argv[1])); r["device"]["manifest"] = [{"file_name": "a", "file_hash": "0" * 128}]; print(json.dumps(r))' "$REPORT" > "$T/man.json"
	forge "$K/es512.key.pem" "$H" "$(cat "$T/man.json")" > "$T/man.jws"
	run -1 --separate-stderr fwtrail sfr show --key "$K/es512.pub.pem" "$T/man.jws"
	assert_line --index 2 --partial "signature:    verified with '"
	assert_line --index 3 --regexp "^consistency: +FAIL: .*does not match the report's own manifest"
	# the wrong key: the signature fails, and nothing else is judged
	run -1 --separate-stderr fwtrail sfr show --key "$K/other-es512.pub.pem" "$T/future.jws"
	assert_line --index 2 --partial "signature:    FAIL: "
	refute_output --partial "validity:"
	run -1 --separate-stderr fwtrail sfr show --json --key "$K/other-es512.pub.pem" "$T/future.jws"
	run -0 jq -c '[.signature.verified, .failed]' <<< "$output"
	assert_output '[false,null]'
}

# es512_jwk MEMBERS: the es512 test key as a JWK, with MEMBERS (JSON, as a
# Python dict's items) added.
es512_jwk() {
	$PY - "$K/es512.pub.pem" "$1" <<'PY'
import base64, json, sys
from cryptography.hazmat.primitives.serialization import load_pem_public_key
n = load_pem_public_key(open(sys.argv[1], "rb").read()).public_numbers()
b = lambda v: base64.urlsafe_b64encode(v.to_bytes(66, "big")).rstrip(b"=").decode()
print(json.dumps(dict({"kty": "EC", "crv": "P-521", "x": b(n.x), "y": b(n.y)}, **json.loads("{" + sys.argv[2] + "}"))))
PY
}

@test "--key, --trust: a JWK Set is said to be one, with what to give instead (exit 4)" {
	local H='{"alg":"ES512","kid":"ACME Review Lab","typ":"JWT"}'
	forge "$K/es512.key.pem" "$H" "$(cat "$REPORT")" > "$T/r.jws"
	es512_jwk '"alg": "ES512", "use": "sig"' > "$T/k.jwk"
	run -0 fwtrail sfr verify --key "$T/k.jwk" "$T/r.jws"
	# before: "JWK '...ks.jwk' has no 'kty'"
	$PY -c 'import json, sys; print(json.dumps({"keys": [json.load(open(sys.argv[1]))]}))' "$T/k.jwk" > "$T/ks.jwk"
	run -4 --separate-stderr fwtrail sfr verify --key "$T/ks.jwk" "$T/r.jws"
	assert_equal "$stderr" "fwtrail sfr verify: '$T/ks.jwk' is a JWK Set (1 key under \"keys\"), not a JWK: give each key as a JWK in a file of its own"
	mkdir "$T/store" && cp "$T/ks.jwk" "$T/store/"
	run -4 --separate-stderr fwtrail sfr verify --trust "$T/store" "$T/r.jws"
	assert_output ""
	[[ $stderr == *"is a JWK Set (1 key under \"keys\")"* ]]
}

@test "--key: a JWK whose alg is no JOSE algorithm name is refused when loaded (exit 4), as a wrong one is" {
	local H='{"alg":"ES512","kid":"ACME Review Lab","typ":"JWT"}'
	forge "$K/es512.key.pem" "$H" "$(cat "$REPORT")" > "$T/r.jws"
	# before: "es512" loaded as a key for nothing, and every report failed (exit 1)
	es512_jwk '"alg": "es512"' > "$T/lower.jwk"
	run -4 --separate-stderr fwtrail sfr verify --key "$T/lower.jwk" "$T/r.jws"
	assert_equal "$stderr" "fwtrail sfr verify: JWK '$T/lower.jwk': its 'alg' 'es512' is not a JOSE algorithm name (names are case-sensitive: 'ES512'?)"
	es512_jwk '"alg": "ECDSA-P521"' > "$T/odd.jwk"
	run -4 --separate-stderr fwtrail sfr verify --key "$T/odd.jwk" "$T/r.jws"
	assert_equal "$stderr" "fwtrail sfr verify: JWK '$T/odd.jwk': its 'alg' 'ECDSA-P521' is not a JOSE algorithm name (RFC 7518)"
	run -4 fwtrail sfr show --key "$T/lower.jwk" "$T/r.jws"
	# a registered alg of the wrong key, as before
	es512_jwk '"alg": "ES384"' > "$T/wrong.jwk"
	run -4 --separate-stderr fwtrail sfr verify --key "$T/wrong.jwk" "$T/r.jws"
	assert_equal "$stderr" "fwtrail sfr verify: JWK '$T/wrong.jwk': its 'alg' ES384 does not fit its key (ec-p521)"
}

@test "a byte order mark before a JWS header or payload is named (exit 4), never printed raw" {
	local bom=$'\xef\xbb\xbf'
	# before: "... '[' or '{' expected near '<the BOM's three bytes>'", invisible on a terminal
	forge "$K/es512.key.pem" "$bom"'{"alg":"ES512","kid":"k"}' "$(cat "$REPORT")" > "$T/h.jws"
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/h.jws"
	assert_output "FAIL $T/h.jws: 'JWS header' starts with a byte order mark (U+FEFF, bytes ef bb bf), which a JSON text may not (RFC 8259 8.1)"
	run -4 --separate-stderr fwtrail sfr show "$T/h.jws"
	[[ $stderr != *"$bom"* ]]
	assert_equal "$stderr" "fwtrail sfr show: '$T/h.jws': 'JWS header' starts with a byte order mark (U+FEFF, bytes ef bb bf), which a JSON text may not (RFC 8259 8.1)"
	forge "$K/es512.key.pem" '{"alg":"ES512","kid":"k"}' "$bom$(cat "$REPORT")" > "$T/p.jws"
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/p.jws"
	assert_output "FAIL $T/p.jws: 'payload' starts with a byte order mark (U+FEFF, bytes ef bb bf), which a JSON text may not (RFC 8259 8.1)"
}

@test "JWT exp and nbf: any type but a number is malformed (exit 4), wherever the report is read" {
	local H='{"alg":"ES512","kid":"ACME Review Lab","typ":"JWT"}' c
	while IFS='|' read -r c want; do
		forge "$K/es512.key.pem" "$H" "$(with_claims "$c")" > "$T/bad.jws"
		run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/bad.jws"
		assert_output --partial "$want"
		with_claims "$c" > "$T/bad.json"
		run -4 fwtrail sfr lint "$T/bad.json"
		assert_output --partial "$want"
	done <<'CASES'
"exp": "1000000000"|$.exp is a string, not a number
"nbf": {}|$.nbf is an object, not a number
"exp": null|$.exp is null, not a number
"exp": true|$.exp is true, not a number
"nbf": [1]|$.nbf is an array, not a number
"exp": 1e400|($.exp): real number overflow
"exp": 99999999999999999999999|($.exp): too big integer
CASES
}

@test "JWT exp and nbf in lint: known members, warned about; never valid is an error that sign refuses" {
	with_claims '"nbf": 1000000000, "exp": 2000000000' > "$T/dated.json"
	run -0 fwtrail sfr lint "$T/dated.json"
	assert_line "$T/dated.json: warning: \$.exp: the report expires at 2033-05-18T03:33:20Z: verifiers refuse it from then on (the CoRIM form does not carry exp)"
	assert_line "$T/dated.json: warning: \$.nbf: the report is not valid before 2001-09-09T01:46:40Z (the CoRIM form does not carry nbf)"
	refute_output --partial "unknown member"
	with_claims '"nbf": 2000000000, "exp": 2000000000' > "$T/never.json"
	run -1 fwtrail sfr lint "$T/never.json"
	assert_output --partial "error: \$.nbf: nbf (2033-05-18T03:33:20Z) is not before exp (2033-05-18T03:33:20Z): the report is never valid"
	mkdir "$T/out"
	snapshot_out "$T/out/never.jws"
	run -1 fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o "$T/out/never.jws" "$T/never.json"
	assert_output --partial "refusing to sign"
	assert_nothing_written
	# signed with exp, the JWS keeps it: verify then judges it
	run -0 fwtrail sfr sign -q --key "$K/es512.key.pem" --kid k -o "$T/dated.jws" "$T/dated.json"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2020-01-01 "$T/dated.jws"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2040-01-01 "$T/dated.jws"
	assert_output --partial "the report expired at 2033-05-18T03:33:20Z (its exp), checked at 2040-01-01T00:00:00Z"
}

@test "manifest entries are taken only as hashed: file_name then file_hash, bare lower-case hex (exit 4)" {
	# each report is correctly signed, and its fw_hash values are those OCP's
	# reference verifier computes over the manifest as written; fwtrail
	# refuses what it would not hash the same way
	$PY - "$REPORT" "$T" <<'PY'
import hashlib, json, sys
rep = json.load(open(sys.argv[1]))
h = hashlib.sha512(b"fw").hexdigest()
cases = {
    "good": [{"file_name": "rel/fw.bin", "file_hash": h}],
    "extra": [{"file_name": "rel/fw.bin", "file_hash": h, "size": 2}],
    "order": [{"file_hash": h, "file_name": "rel/fw.bin"}],
    "upper": [{"file_name": "rel/fw.bin", "file_hash": h.upper()}],
    "0x": [{"file_name": "rel/fw.bin", "file_hash": "0x" + h}],
}
for name, m in cases.items():
    r = json.loads(json.dumps(rep))
    r["device"]["manifest"] = m
    t = json.dumps(m, separators=(",", ":")).encode()
    r["device"]["fw_hash_sha2_384"] = hashlib.sha384(t).hexdigest()
    r["device"]["fw_hash_sha2_512"] = hashlib.sha512(t).hexdigest()
    open(f"{sys.argv[2]}/{name}.json", "w").write(json.dumps(r, separators=(",", ":")))
PY
	for c in good extra order upper 0x; do
		forge "$K/es384.key.pem" '{"alg":"ES384","kid":"k","typ":"JWT"}' "$(cat "$T/$c.json")" > "$T/$c.jws"
	done
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/good.jws"
	run --separate-stderr -4 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/extra.jws"
	[[ $output == *'$.device.manifest[0] must hold file_name then file_hash and nothing else, as the manifest hashes are computed over it'* ]]
	run -4 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/order.jws"
	[[ $output == *'must hold file_name then file_hash'* ]]
	for c in upper 0x; do
		run -4 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/$c.jws"
		[[ $output == *'$.device.manifest[0].file_hash must be bare lower-case hex (no 0x, no capitals)'* ]]
	done
	# lint refuses them too, so sfr sign never signs one
	run -4 fwtrail sfr lint "$T/extra.json"
	run -4 fwtrail sfr sign --key "$K/es384.key.pem" --kid k -o "$T/x.jws" "$T/upper.json"
	[ ! -e "$T/x.jws" ]
}

@test "--json: error.code names the failure the exit status reports, not the first report's" {
	fwtrail sfr sign -q --key "$K/es384.key.pem" --kid k -o "$T/good.jws" "$REPORT"
	fwtrail sfr sign -q --key "$K/es512.key.pem" --kid k -o "$T/other.jws" "$REPORT"
	echo 'not a report' > "$T/garbage.jws"
	run --separate-stderr -4 fwtrail sfr verify --json --key "$K/es384.pub.pem" "$T/other.jws" "$T/garbage.jws" "$T/good.jws"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["error"]["code"]=="malformed" and o["failed"]==2, o' <<< "$output"
	run --separate-stderr -1 fwtrail sfr verify --json --key "$K/es384.pub.pem" "$T/good.jws" "$T/other.jws"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["error"]["code"]=="verify_failed" and o["failed"]==1, o' <<< "$output"
}

@test "--json: a report path that is not UTF-8 keeps its report member, with the exact bytes in report_hex" {
	name="$T/$(printf 'r\377.jws')"
	fwtrail sfr sign -q --key "$K/es384.key.pem" --kid k -o "$name" "$REPORT"
	run --separate-stderr -1 fwtrail sfr verify --json --key "$K/es512.pub.pem" "$name"
	$PY -c 'import json,sys; r=json.load(sys.stdin)["reports"][0]; assert r["report"].endswith("r\ufffd.jws") and r["report_hex"].endswith("72ff2e6a7773") and r["reason"], r' <<< "$output"
	run --separate-stderr -0 fwtrail sfr lint --json "$name"
	$PY -c 'import json,sys; r=json.load(sys.stdin)["reports"][0]; assert r["report_hex"].endswith("72ff2e6a7773"), r' <<< "$output"
}

@test "a private key inside a --trust folder makes the store malformed (exit 4), not a usage error" {
	mkdir "$T/store"
	cp "$K/es384.pub.pem" "$K/es512.key.pem" "$T/store/"
	fwtrail sfr sign -q --key "$K/es384.key.pem" --kid k -o "$T/r.jws" "$REPORT"
	run --separate-stderr -4 fwtrail sfr verify --trust "$T/store" "$T/r.jws"
	assert_equal "$stderr" "fwtrail sfr verify: '$T/store/es512.key.pem' holds a private key; give the public key instead"
}

@test "a certificate whose key usage leaves out digitalSignature does not vouch for a report (exit 1)" {
	fwtrail sfr sign -q --key "$K/es384.key.pem" --kid k -o "$T/r.jws" "$REPORT"
	openssl req -x509 -new -key "$K/es384.key.pem" -subj '/CN=tls only' -days 3650 \
		-addext 'keyUsage=critical,keyAgreement' -out "$T/tls.crt.pem"
	openssl req -x509 -new -key "$K/es384.key.pem" -subj '/CN=signer' -days 3650 \
		-addext 'keyUsage=critical,digitalSignature' -out "$T/ok.crt.pem"
	run -1 fwtrail sfr verify --key "$T/tls.crt.pem" "$T/r.jws"
	assert_output --partial "certificate '$T/tls.crt.pem' may not sign data: its key usage does not include digitalSignature"
	mkdir "$T/store" && cp "$T/tls.crt.pem" "$T/store/"
	run -1 fwtrail sfr verify --trust "$T/store" "$T/r.jws"
	run -0 fwtrail sfr verify --key "$T/ok.crt.pem" "$T/r.jws"
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/r.jws"
}

@test "a certificate with the DMTF SPDM EKU (a device identity) does not vouch for a report (exit 1)" {
	fwtrail sfr sign -q --key "$K/es384.key.pem" --kid k -o "$T/r.jws" "$REPORT"
	openssl req -x509 -new -key "$K/es384.key.pem" -subj '/CN=device' -days 3650 \
		-addext 'keyUsage=critical,digitalSignature' -addext 'extendedKeyUsage=1.3.6.1.4.1.412.274.3' \
		-out "$T/dev.crt.pem"
	run -1 fwtrail sfr verify --key "$T/dev.crt.pem" "$T/r.jws"
	assert_output --partial "certificate '$T/dev.crt.pem' (CN = device) is an SPDM device identity (DMTF SPDM extended key usage)"
	mkdir "$T/store" && cp "$T/dev.crt.pem" "$T/store/"
	run -1 fwtrail sfr verify --trust "$T/store" "$T/r.jws"
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/r.jws"
}

@test "T4: a review completed after the check time (its completion_date) is a no (1); lint reports a bad date" {
	sed 's/"completion_date": "2026-03-14"/"completion_date": "2099-12-31"/' "$REPORT" > "$T/future.json"
	fwtrail sfr sign -q --key "$K/es512.key.pem" --kid k -o "$T/future.jws" "$T/future.json"
	fwtrail sfr sign -q --key "$K/es512.key.pem" --kid k --format cose -o "$T/future.cbor" "$T/future.json"
	for f in "$T/future.jws" "$T/future.cbor"; do
		run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$f"
		assert_output --regexp "^FAIL $f: the review completed on 2099-12-31 \(its completion_date\), after the check time 20[0-9-]{8}T[0-9:]{8}Z$"
		run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2099-12-31 "$f"
		run -1 fwtrail sfr show --key "$K/es512.pub.pem" "$f"
	done
	# the date is a day anywhere on Earth: at 10:00 UTC it is already the next day in UTC+14
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2099-12-30T09:59:59Z "$T/future.jws"
	assert_output "FAIL $T/future.jws: the review completed on 2099-12-31 (its completion_date), after the check time 2099-12-30T09:59:59Z"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --at 2099-12-30T10:00:00Z "$T/future.jws"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --fw "$FW" "$T/future.jws" --at 2100-01-01
	# lint (which sign runs) warns; a date that is not a day is lint's error
	# alone, as OCP's own sample signs "None"
	run -0 fwtrail sfr lint "$T/future.json"
	assert_output --partial "warning: \$.audit.completion_date: completion_date 2099-12-31 is in the future: verifiers refuse the report until that day"
}

@test "a piped report named three times: read once, by the first name, whatever the threads do" {
	[ -d "$SFR/Reports" ] || skip "corpus missing: $SFR"
	r="$SFR/Reports/CHIPS_Alliance/2023/Caliptra/OCP_SAFE_-_caliptra_-_ROM.jws"
	for i in $(seq 30); do
		bash -c 'cat "$1" | "$2" sfr verify --trust "$3" /dev/stdin /dev/fd/0 /proc/self/fd/0 "$1" 2> /dev/null
			echo "rc=$?"' _ "$r" "$FWTRAIL" "$SFR/SRP_certificates" | cut -d: -f1 | tr '\n' ' '
		echo
	done > "$T/runs.txt"
	# the same lines in every run: the stream went to /dev/stdin, the file is read as itself
	[ "$(sort -u "$T/runs.txt" | wc -l)" -eq 1 ]
	assert_equal "$(head -1 "$T/runs.txt")" "OK /dev/stdin FAIL /dev/fd/0 FAIL /proc/self/fd/0 OK $r rc=4 "
}

@test "T1: every hash given must match, at least one given; 0x and case accepted, any other spelling or length fails (exit 1)" {
	local h384 h512 c v384 v512 want pub=$K/es384.pub.pem
	h384=$(sha384sum < "$FW" | cut -d' ' -f1)
	h512=$(sha512sum < "$FW" | cut -d' ' -f1)
	# mk NAME V384 V512: the report with these two values, signed by sfr sign
	# when lint lets it, otherwise by forge with sfr sign's own header, so that
	# only the hash differs
	mk() {
		jq --arg a "$2" --arg b "$3" '.device.fw_hash_sha2_384 = $a | .device.fw_hash_sha2_512 = $b' "$REPORT" > "$T/$1.json"
		fwtrail sfr sign --key "$K/es384.key.pem" --kid k -o "$T/$1.jws" "$T/$1.json" > /dev/null 2> "$T/$1.sign-err" ||
			forge "$K/es384.key.pem" '{"alg":"ES384","kid":"k","typ":"JWT"}' "$(jq -c . "$T/$1.json")" > "$T/$1.jws"
	}
	ok() { assert_output "OK $T/$1.jws: ES384 signature by '$pub' (sha256:ca6c729e8f205ec8eb7076eefefc28d24e92c7b46057ea17840fe3c32d16bdd8); firmware '$FW' matches"; }

	# an empty value counts as not given: the other one binds
	mk e384 "" "$h512"
	mk e512 "$h384" ""
	for c in e384 e512; do
		run --separate-stderr -0 fwtrail sfr verify --key "$pub" --fw "$FW" "$T/$c.jws"
		ok "$c"
	done
	# both empty: lint refuses to sign it; signed anyway, it binds to nothing
	mk both "" ""
	assert_equal "$(head -n 1 "$T/both.sign-err")" "fwtrail sfr sign: '$T/both.json': \$.device: the report carries no firmware hash (fw_hash_sha2_384 and fw_hash_sha2_512 are both empty)"
	run --separate-stderr -1 fwtrail sfr verify --key "$pub" --fw "$FW" "$T/both.jws"
	assert_output "FAIL $T/both.jws: the report carries no firmware hash to compare with '$FW'"
	# one matches, the other does not: every hash given must match
	mk wrong512 "$h384" "${h512:0:127}0"
	mk wrong384 "${h384:0:95}0" "$h512"
	for c in 512 384; do
		run --separate-stderr -1 fwtrail sfr verify --key "$pub" --fw "$FW" "$T/wrong$c.jws"
		assert_output "FAIL $T/wrong$c.jws: fw_hash_sha2_$c does not match '$FW'"
	done
	# the documented normalisation (fwtrail-sfr-verify(1), item 6): a 0x
	# prefix and upper-case digits are accepted; fwtrail-sfr-lint(1) warns
	mk 0x "0x$h384" "0x$h512"
	mk upper "${h384^^}" "${h512^^}"
	mk 0xupper "0x${h384^^}" "$h512"
	mk mixed "$(tr a-f A-F <<< "${h384:0:48}")${h384:48}" "${h512:0:64}$(tr a-f A-F <<< "${h512:64}")"
	for c in 0x upper 0xupper mixed; do
		run --separate-stderr -0 fwtrail sfr verify --key "$pub" --fw "$FW" "$T/$c.jws"
		ok "$c"
	done
	# (lint's findings are its output, on standard output)
	run --separate-stderr -0 fwtrail sfr lint "$T/0x.json"
	assert_output "$T/0x.json: warning: \$.device.fw_hash_sha2_384: fw_hash_sha2_384 has a 0x prefix; write bare lowercase hex
$T/0x.json: warning: \$.device.fw_hash_sha2_512: fw_hash_sha2_512 has a 0x prefix; write bare lowercase hex"
	run --separate-stderr -0 fwtrail sfr lint "$T/upper.json"
	assert_output "$T/upper.json: warning: \$.device.fw_hash_sha2_384: fw_hash_sha2_384 has upper-case hex digits; write lowercase
$T/upper.json: warning: \$.device.fw_hash_sha2_512: fw_hash_sha2_512 has upper-case hex digits; write lowercase"
	# anything else is no digest: lint refuses to sign it, and signed anyway it
	# cannot match (a failed binding, exit 1; the other hash is right)
	declare -A bad=(
		[0x0x]="0x0x$h384" [space]="${h384:0:40} ${h384:40}" [lead-space]=" $h384" [tab]="${h384:0:40}	${h384:40}"
		[sha512-in-384]="$h512" [47-bytes]="${h384:0:94}" [0x47-bytes]="0x${h384:0:94}" [odd]="${h384:0:95}"
	)
	for c in "${!bad[@]}"; do
		mk "$c" "${bad[$c]}" "$h512"
		[[ "$(head -n 1 "$T/$c.sign-err")" == "fwtrail sfr sign: '$T/$c.json': \$.device.fw_hash_sha2_384: fw_hash_sha2_384 "*@(" is not hex"|" hex digits; a sha384 digest has 96") ]] ||
			fail "$c: sfr sign did not refuse: $(cat "$T/$c.sign-err")"
		run --separate-stderr -1 fwtrail sfr verify --key "$pub" --fw "$FW" "$T/$c.jws"
		assert_output "FAIL $T/$c.jws: fw_hash_sha2_384 in the report is not a sha384 digest, so it cannot match '$FW'"
	done
	# a 47-byte SHA-384 with no SHA-512 beside it fails the same way
	mk 47-alone "${h384:0:94}" ""
	run --separate-stderr -1 fwtrail sfr verify --key "$pub" --fw "$FW" "$T/47-alone.jws"
	assert_output "FAIL $T/47-alone.jws: fw_hash_sha2_384 in the report is not a sha384 digest, so it cannot match '$FW'"
}

@test "verify --fw - hashes standard input; with a report given as '-' too, a usage error (exit 2)" {
	fwtrail sfr sign -q --key "$K/es384.key.pem" --kid k -o "$T/r.jws" "$REPORT"
	run --separate-stderr -0 fwtrail sfr verify --key "$K/es384.pub.pem" --fw - "$T/r.jws" < "$FW"
	assert_output --partial "firmware '-' matches"
	head -c 100 "$FW" > "$T/cut.bin"
	run --separate-stderr -1 fwtrail sfr verify --key "$K/es384.pub.pem" --fw - "$T/r.jws" < "$T/cut.bin"
	assert_output --partial "does not match '-'"
	run --separate-stderr -2 fwtrail sfr verify --key "$K/es384.pub.pem" --fw - - < "$T/r.jws"
	assert_equal "${stderr%%$'\n'*}" "fwtrail sfr verify: --fw and a report are both '-': standard input can be read once"
	run --separate-stderr -2 fwtrail sfr verify --trust - "$T/r.jws" < "$K/es384.pub.pem"
	assert_equal "${stderr%%$'\n'*}" "fwtrail sfr verify: --trust: trusted keys are read from files or folders, not standard input ('-')"
	run --separate-stderr -2 fwtrail sfr verify --key "$K/es384.pub.pem" --revoked - "$T/r.jws" < /dev/null
	assert_equal "${stderr%%$'\n'*}" "fwtrail sfr verify: --revoked: revocation lists are read from files, not standard input ('-')"
	run --separate-stderr -2 fwtrail sfr verify --key "$K/es384.pub.pem" --manifest - "$T/r.jws" < "$FW"
	assert_equal "${stderr%%$'\n'*}" "fwtrail sfr verify: --manifest reads a folder or an archive file, not standard input ('-')"
}
