#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail spdm show|verify: the NVIDIA H100 transcript and chain, the Redfish
# mockups, generated SPDM 1.1-1.3 transcripts and their hostile variants
# (RELIABILITY S1-S4).

load helpers

SP="$TESTDATA/evidence/spdm"
NV="$CORPORA/spdm/nvidia"
RF="$CORPORA/spdm/redfish/mockups"

setup() {
	T=$BATS_TEST_TMPDIR
}

# The root certificate of the H100 chain (its last certificate).
nv_root() {
	awk '/BEGIN CERT/ { n++ } n == 5' "$NV/hopperCertChain.txt" > "$T/nvroot.pem"
}

@test "the H100 transcript verifies with its chain, against its root, with its nonce" {
	need_corpus spdm/nvidia
	nv_root
	run --separate-stderr -0 fwtrail spdm verify --cert "$NV/hopperCertChain.txt" --trust "$T/nvroot.pem" \
		--nonce 931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb "$NV/hopperAttestationReport.txt"
	assert_output --partial "verified: SPDM 1.1 measurements (64 blocks) signed by '"
	assert_output --partial "CN = GH100 A01 GSP FMC LF' (ES384); chain validated; nonce as expected"
	assert_equal "$stderr" ""
}

@test "the H100 transcript shows exactly the blocks, nonces and sizes EXPECTED.json lists" {
	need_corpus spdm/nvidia
	run --separate-stderr -0 fwtrail spdm show --json "$NV/hopperAttestationReport.txt"
	printf '%s' "$output" > "$T/show.json"
	$PY - "$T/show.json" "$NV/EXPECTED.json" <<'EOF'
import json, sys
o, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert o["ok"] and o["command"] == "spdm show" and o["version"] == "1.1" and o["signed"]
got = [(b["index"], b["type_id"], b["spec"], b["digest"]) for b in o["blocks"]]
want = [(b["index"], b["dmtf_value_type"], b["spec"], b["value"]) for b in e["blocks"]]
assert got == want, (got[:3], want[:3])
assert all(b["type"] == "mutable_firmware" and b["alg"] == "sha384" and "value" not in b for b in o["blocks"])
assert o["request"]["nonce"] == e["request"]["nonce"] and o["request"]["slot"] == e["request"]["slot"]
assert o["response"]["nonce"] == e["response"]["nonce"]
assert o["opaque"]["size"] == e["response"]["opaque_length"]
assert len(o["signature"]) == 2 * e["response"]["signature_len"]
nv = {t["name"]: t for t in o["opaque"]["nvidia"]}
assert nv["driver_version"]["text"] == "550.90.07" and nv["vbios_version"]["text"] == "96.00.9F.00.01"
assert nv["chip_sku"]["text"] == "882" and nv["project"]["text"] == "1010" and nv["project_sku"]["text"] == "0200"
EOF
}

@test "the H100 transcript: text show lists the NVIDIA fields and the 64 blocks" {
	need_corpus spdm/nvidia
	run --separate-stderr -0 fwtrail spdm show "$NV/hopperAttestationReport.txt"
	assert_line --index 0 "$NV/hopperAttestationReport.txt: SPDM 1.1 transcript, 2 messages, signed, 64 measurement blocks"
	assert_line "requester nonce: 931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb"
	assert_line "opaque data: 422 bytes (NVIDIA fields)"
	assert_line "  driver_version           550.90.07"
	assert_line "  vbios_version            96.00.9F.00.01"
	assert_line "    2  mutable_firmware     sha384 8048dfd18fe229bf16eb9d30cca0f11a24dafe6eb731de1462984645a0b189b77c4e4e17de727a5e19e3d07de51da338"
	[ "$(grep -c '^ *[0-9]*  mutable_firmware' <<< "$output")" -eq 64 ]
}

@test "the H100 transcript: a stale nonce, a changed byte, a foreign root or a wrong leaf exit 1" {
	need_corpus spdm/nvidia
	nv_root
	# the test-mode nonce of NVIDIA's verifier is not the one in the report
	run --separate-stderr -1 fwtrail spdm verify --cert "$NV/hopperCertChain.txt" \
		--nonce 4cff7f5380ead8fad8ec2c531c110aca4302a88f603792801a8ca29ee151af2e "$NV/hopperAttestationReport.txt"
	[[ $stderr == *"stale evidence: the request's nonce 931d8dd0"* ]]
	assert_equal "$output" ""
	# one hex digit of block 2's digest
	sed 's/8048dfd18fe2/8048dfd18fe3/' "$NV/hopperAttestationReport.txt" > "$T/tampered.txt"
	run --separate-stderr -1 fwtrail spdm verify --cert "$NV/hopperCertChain.txt" "$T/tampered.txt"
	[[ $stderr == *"the ES384 signature of the measurements does not verify with "*"GH100 A01 GSP FMC LF"* ]]
	run --separate-stderr -1 fwtrail spdm verify --cert "$NV/hopperCertChain.txt" --trust "$SP/root.pem" \
		"$NV/hopperAttestationReport.txt"
	[[ $stderr == *"certificate chain does not validate"* ]]
	awk '/BEGIN CERT/ { n++ } n >= 2' "$NV/hopperCertChain.txt" > "$T/noleaf.pem"
	run --separate-stderr -1 fwtrail spdm verify --cert "$T/noleaf.pem" "$NV/hopperAttestationReport.txt"
	[[ $stderr == *"does not verify with"*"GH100 A01 GSP BROM"* ]]
}

@test "the H100 transcript cut at 30 offsets: exit 1 or 4, never a crash" {
	need_corpus spdm/nvidia
	f="$NV/hopperAttestationReport.txt"
	for off in $($PY -c 'import random; r=random.Random(11); print(*sorted(r.sample(range(1, 4117), 30)))'); do
		head -c $((2 * off)) "$f" > "$T/cut.txt"
		run_limited "$FWTRAIL" spdm verify --cert "$NV/hopperCertChain.txt" "$T/cut.txt" >/dev/null 2>"$T/err" && st=0 || st=$?
		[ "$st" -eq 1 ] || [ "$st" -eq 4 ] || fail "offset $off: exit $st: $(cat "$T/err")"
	done
}

@test "the Redfish mockups parse: SPDM measurement sets, a disabled SPDM, a request; TPM is refused" {
	need_corpus spdm/redfish
	for srv in public-rackmount1 public-liquid-cooled-server; do
		for id in SS-SPDM-0 SS-SPDM-1; do
			run --separate-stderr -0 fwtrail spdm show --json "$RF/$srv/ComponentIntegrity/$id/index.json"
			$PY -c '
import base64, json, sys
o = json.loads(sys.stdin.read())
src = json.load(open(sys.argv[1]))["SPDM"]["MeasurementSet"]["Measurements"]
assert o["source"] == "redfish_component_integrity" and not o["signed"]
assert [b["index"] for b in o["blocks"]] == [1, 3, 150]
for b, m in zip(o["blocks"], src):
    assert b["digest"] == base64.b64decode(m["Measurement"]).hex() and b["alg"] == "sha512" and b["size"] == 64' \
				"$RF/$srv/ComponentIntegrity/$id/index.json" <<< "$output"
		done
		run -0 fwtrail spdm show "$RF/$srv/ComponentIntegrity/USB-Integrity/index.json"
		assert_output --partial "0 measurement blocks, disabled"
		run --separate-stderr -6 fwtrail spdm show "$RF/$srv/ComponentIntegrity/TPM-0/index.json"
		[[ $stderr == *"\$.ComponentIntegrityType: 'TPM' is not SPDM"* ]]
		run -6 fwtrail spdm show "$RF/$srv/ComponentIntegrity/index.json"
	done
	run -0 fwtrail spdm show "$RF/public-rackmount1/ComponentIntegrity/SS-SPDM-0/index.json"
	assert_line "    3  immutable_rom        sha512 e30105d679ee6f6a33b984d6ca3caf146ad89d29f47a2772e78b9a2185e3a7f1ca441c9a728f54b4265ec8d7c0deb43762c443ffa72c2dca86c3d35df7f1cf03"
	D="$RF/DSP2046-examples"
	run -0 fwtrail spdm show "$D/ComponentIntegrity-v1-SPDMGetSignedMeasurements-request-example.json"
	assert_output --partial "SPDMGetSignedMeasurements request, slot 0, nonce 4f2359ee609824d33d35c2968b6c56b702a692ab0d8a441f25c7d81fbe833a78, indices 0,1,2"
	# the published response example is literally truncated ("... TRUNCATED")
	run --separate-stderr -4 fwtrail spdm show "$D/ComponentIntegrity-v1-SPDMGetSignedMeasurements-response-example.json"
	[[ $stderr == *"\$.SignedMeasurements: not base64"* ]]
	run -6 fwtrail spdm show "$D/ComponentIntegrity-v1-TPMGetSignedMeasurements-request-example.json"
	run -6 fwtrail spdm show "$D/ComponentIntegrity-v1-example.json"
	# a measurement set is not signed evidence
	run --separate-stderr -1 fwtrail spdm verify --cert "$SP/chain.pem" "$RF/public-rackmount1/ComponentIntegrity/SS-SPDM-0/index.json"
	[[ $stderr == *"unauthenticated"* ]]
}

@test "generated SPDM 1.1, 1.2 and 1.3 transcripts (binary, hex, Redfish JSON) verify and show their blocks" {
	nonce=$($PY -c 'import json; print(json.load(open("'"$SP"'/expected.json"))["spdm12.bin"]["request_nonce"])')
	for f in spdm11.bin spdm11.hex spdm12.bin spdm13.bin spdm12-redfish.json; do
		run --separate-stderr -0 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" --nonce "$nonce" "$SP/$f"
		assert_output --partial "chain validated; nonce as expected"
	done
	run -0 fwtrail spdm verify --cert "$SP/chain.pem" "$SP/spdm13.bin"
	assert_output --partial "(ES384, 1.2+ signing context); chain not validated (no --trust); nonce not checked (no --nonce)"
	for f in spdm11.bin spdm12.bin spdm13.bin; do
		run --separate-stderr -0 fwtrail spdm show --json "$SP/$f"
		$PY -c '
import json, sys
o = json.loads(sys.stdin.read()); e = json.load(open(sys.argv[1]))[sys.argv[2]]
assert o["version"] == e["version"] and o["request"]["nonce"] == e["request_nonce"]
got = [{k: b[k] for k in ("index", "type_id", "digest", "value") if k in b} for b in o["blocks"]]
assert got == e["blocks"], got' "$SP/expected.json" "$f" <<< "$output"
	done
	run -0 fwtrail spdm show "$SP/spdm13.bin"
	assert_line "algorithms: ecdsa_p384, sha384, measurements sha384"
	assert_line '    6  version              value  6677747261696c2d7465737420312e322e33  "fwtrail-test 1.2.3"'
	assert_line "    7  svn                  value  0500000000000000  (SVN 5)"
}

@test "verify --json: the verdict, the signer and the blocks in one object" {
	run --separate-stderr -0 fwtrail spdm verify --json --cert "$SP/chain.pem" --trust "$SP/root.pem" "$SP/spdm12.bin"
	$PY -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["ok"] and o["command"] == "spdm verify" and o["schema"] == 1
v = o["verify"]
assert v == {"verified": True, "alg": "ES384", "signer": v["signer"], "signing_context": True,
             "chain_validated": True, "nonce_checked": False}, v
assert "fwtrail test SPDM responder" in v["signer"] and len(o["blocks"]) == 8
assert o["opaque"]["elements"][0]["data"] == "68656c6c6f"' <<< "$output"
	run --separate-stderr -1 fwtrail spdm verify --json --cert "$SP/other-chain.pem" "$SP/spdm12.bin"
	$PY -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["ok"] is False and o["verify"]["verified"] is False and o["error"]["code"] == "verify_failed"' <<< "$output"
}

@test "generated hostile transcripts (S1-S4): the exit status and message each case expects" {
	run $PY - "$SP" "$FWTRAIL" <<'EOF'
import json, subprocess, sys
sp, fw = sys.argv[1], sys.argv[2]
bad = 0
for c in json.load(open(sp + "/cases.json")):
    cmd = [fw, "spdm", c["verb"]]
    if c["verb"] == "verify":
        cmd += ["--cert", sp + "/" + c["cert"]]
        if "trust" in c:
            cmd += ["--trust", sp + "/" + c["trust"]]
        if "nonce" in c:
            cmd += ["--nonce", c["nonce"]]
    r = subprocess.run(cmd + [sp + "/" + c["file"]], capture_output=True, text=True)
    ok = r.returncode == c["exit"] and c["error"] in r.stderr
    if c["exit"] == 4:
        ok = ok and ("offset " in r.stderr or "$." in r.stderr)
    if not ok:
        bad += 1
        print("FAIL", c["name"], r.returncode, r.stderr.strip())
print(bad, "failed")
sys.exit(1 if bad else 0)
EOF
	[ "$status" -eq 0 ] || fail "$output"
}

@test "usage errors exit 2; unreadable inputs exit 3; --json failures keep the exit status" {
	run --separate-stderr -2 fwtrail spdm verify "$SP/spdm11.bin"
	[[ $stderr == *"--cert is required"* ]]
	run --separate-stderr -2 fwtrail spdm verify --cert "$SP/chain.pem" --nonce abcd "$SP/spdm11.bin"
	[[ $stderr == *"--nonce: 'abcd' is not 64 hex digits"* ]]
	run -2 fwtrail spdm show
	run -2 fwtrail spdm show "$SP/spdm11.bin" "$SP/spdm12.bin"
	run -2 fwtrail spdm
	run --separate-stderr -3 fwtrail spdm show "$T/none.bin"
	[[ $stderr == "fwtrail spdm show: cannot open '$T/none.bin': No such file or directory" ]]
	run -3 fwtrail spdm verify --cert "$T/none.pem" "$SP/spdm11.bin"
	run -3 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$T/none" "$SP/spdm11.bin"
	run --separate-stderr -4 fwtrail spdm show --json "$SP/cases/nblocks-more.bin"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["ok"] is False and o["error"]["code"] == "malformed" and "offset 41" in o["error"]["message"]' <<< "$output"
	printf '\x11' > "$T/one.bin"
	run -4 fwtrail spdm show "$T/one.bin"
	: > "$T/empty.bin"
	run -4 fwtrail spdm show "$T/empty.bin"
}

@test "--revoked: a chain with a revoked key in it, leaf or root, fails validation (exit 1)" {
	fp() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64; }
	awk '/BEGIN CERT/ { n++ } n == 1' "$SP/chain.pem" > "$T/leaf.pem"
	printf '# leaf\nsha256:%s\n' "$(fp "$T/leaf.pem")" > "$T/revoked.txt"
	run --separate-stderr -1 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" \
		--revoked "$T/revoked.txt" "$SP/spdm12.bin"
	[[ $stderr == *"is revoked ('$T/revoked.txt' line 2)"* ]]
	printf '%s\n' "$(fp "$SP/root.pem")" > "$T/revoked.txt"
	run -1 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" --revoked "$T/revoked.txt" "$SP/spdm12.bin"
	# a revoked.txt in the trust folder counts the same
	mkdir "$T/roots"
	cp "$SP/root.pem" "$T/revoked.txt" "$T/roots/"
	run -1 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$T/roots" "$SP/spdm12.bin"
	printf 'not a fingerprint\n' > "$T/bad.txt"
	run --separate-stderr -4 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" --revoked "$T/bad.txt" \
		"$SP/spdm12.bin"
	[[ $stderr == *"'$T/bad.txt' line 1"* ]]
	run -2 fwtrail spdm verify --cert "$SP/chain.pem" --revoked "$T/revoked.txt" "$SP/spdm12.bin"
	run -0 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" "$SP/spdm12.bin"
}

# The keys above a chain were collected by looking each store certificate
# up in the growing list of those already taken: cubic in the store (1500
# certificates that all issued the root: 28 s).  Each is flagged by its
# place in the store.  Review round 18.
@test "--revoked: a store of 1500 certificates that each issued the root is walked in seconds; their key revoked is a no" {
	skip_if_sanitized "timing"
	$PY - "$SP/root.pem" "$T/store.pem" <<'EOF'
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
root = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
signer = ec.generate_private_key(ec.SECP256R1())
skid = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
pems = []
for i in range(1500):  # the root's name and key, each certificate distinct
    b = (x509.CertificateBuilder().subject_name(root.subject).issuer_name(root.subject)
         .public_key(root.public_key()).serial_number(1000 + i)
         .not_valid_before(datetime.datetime(2024, 1, 1)).not_valid_after(datetime.datetime(2049, 1, 1))
         .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
         .add_extension(skid, critical=False))
    pems.append(b.sign(signer, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))
open(sys.argv[2], "wb").write(b"".join(pems))
EOF
	echo 0000000000000000000000000000000000000000000000000000000000000000 > "$T/none.txt"
	run -0 timeout 8 "$FWTRAIL" spdm verify --cert "$SP/chain.pem" --trust "$T/store.pem" --trust "$SP/root.pem" \
		--revoked "$T/none.txt" "$SP/spdm12.bin"
	# the key they all hold (the root's), revoked through the last of them
	awk '/BEGIN CERT/ { n++ } n == 1500' "$T/store.pem" > "$T/last.pem"
	openssl x509 -in "$T/last.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64 > "$T/last.txt"
	run --separate-stderr -1 timeout 8 "$FWTRAIL" spdm verify --cert "$SP/chain.pem" --trust "$T/store.pem" \
		--trust "$SP/root.pem" --revoked "$T/last.txt" "$SP/spdm12.bin"
	[[ $stderr == *"is revoked ('$T/last.txt' line 1)"* ]] || fail "$stderr"
}

@test "--revoked: a revoked root counts when the trust store also holds its intermediate, which anchors the chain" {
	(cd "$T" && with_generator gen-spdm.py <<'PY'
import os
rk, ik, lk = g.Key("three-level root"), g.Key("three-level intermediate"), g.Key("three-level leaf")
root = g.make_cert("three-level root", rk, None, rk, 11, True)
inter = g.make_cert("three-level intermediate", ik, root.subject, rk, 12, True, rk.pub)
leaf = g.make_cert("three-level leaf", lk, inter.subject, ik, 13, False, ik.pub)
os.makedirs("store", exist_ok=True)
open("store/root.pem", "wb").write(g.pem(root))
open("store/inter.pem", "wb").write(g.pem(inter))
open("leaf-inter.pem", "wb").write(g.pem(leaf) + g.pem(inter))
open("leaf-only.pem", "wb").write(g.pem(leaf))
open("t.bin", "wb").write(g.transcript12(lk))
PY
	)
	run -0 fwtrail spdm verify --cert "$T/leaf-inter.pem" --trust "$T/store" "$T/t.bin"
	openssl x509 -in "$T/store/root.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64 > "$T/revoked.txt"
	# the root is in neither chain file: only the store issues it
	for c in leaf-inter.pem leaf-only.pem; do
		run --separate-stderr -1 fwtrail spdm verify --cert "$T/$c" --trust "$T/store" --revoked "$T/revoked.txt" "$T/t.bin"
		[[ $stderr == *"the key of 'O = fwtrail tests, CN = three-level root' (depth 2, sha256:"*"is revoked ('$T/revoked.txt' line 1)"* ]]
		assert_output ""
	done
	# the same from a revoked.txt in the store's folder, and with the
	# intermediate alone as the store (the root is then unknown: still valid)
	cp "$T/revoked.txt" "$T/store/"
	run -1 fwtrail spdm verify --cert "$T/leaf-inter.pem" --trust "$T/store" "$T/t.bin"
	run -0 fwtrail spdm verify --cert "$T/leaf-inter.pem" --trust "$T/store/inter.pem" --revoked "$T/revoked.txt" "$T/t.bin"
}

# leaf_case CA|NOSIG: a chain under the test root whose leaf is an
# intermediate CA (CA:TRUE, keyCertSign) or an end-entity certificate
# whose key usage lacks digitalSignature, and a transcript its key signs.
leaf_case() {
	(cd "$T" && with_generator gen-spdm.py "$1" <<'PY'
root_key = g.Key("fwtrail spdm test root")
root = g.make_cert("fwtrail test SPDM root", root_key, None, root_key, 1, True)
key = g.Key("fwtrail spdm odd leaf")
if sys.argv[2] == "CA":
    leaf = g.make_cert("fwtrail test SPDM intermediate CA", key, root.subject, root_key, 77, True, root_key.pub)
else:
    leaf = g.make_cert("fwtrail test SPDM leaf, no signing", key, root.subject, root_key, 78, False, root_key.pub,
                       digital_signature=False)
open("odd-chain.pem", "wb").write(g.pem(leaf) + g.pem(root))
open("odd.bin", "wb").write(g.transcript12(key))
PY
	)
}

@test "a leaf that is a CA, or whose key usage lacks digitalSignature, does not vouch for a signature (exit 1)" {
	leaf_case CA
	openssl x509 -in "$T/odd-chain.pem" -noout -ext basicConstraints | grep -q 'CA:TRUE'
	run --separate-stderr -1 fwtrail spdm verify --cert "$T/odd-chain.pem" --trust "$SP/root.pem" "$T/odd.bin"
	[[ $stderr == *"the signing certificate is a CA certificate (basicConstraints cA), not an end-entity one"* ]]
	[[ $output != *verified* ]]
	leaf_case NOSIG
	openssl x509 -in "$T/odd-chain.pem" -noout -ext keyUsage | grep -q 'Key Encipherment'
	run --separate-stderr -1 fwtrail spdm verify --cert "$T/odd-chain.pem" --trust "$SP/root.pem" "$T/odd.bin"
	[[ $stderr == *"key usage does not include digitalSignature"* ]]
	# the signature itself is good: without --trust (no chain validation) it verifies
	run -0 fwtrail spdm verify --cert "$T/odd-chain.pem" "$T/odd.bin"
}

@test "without ALGORITHMS, a signature shorter than the leaf key makes is a no (exit 1); a longer one, trailing bytes (exit 4)" {
	# spdm11.bin: SPDM 1.1, no VCA, a 96-byte ES384 signature; with a P-256
	# leaf that is a 64-byte signature followed by 32 trailing bytes
	run --separate-stderr -4 fwtrail spdm verify --cert "$TESTDATA/keys/p256.crt.pem" "$SP/spdm11.bin"
	assert_equal "$stderr" "fwtrail spdm verify: offset 514: 32 bytes after the signature (an ES256 signature by the leaf certificate's ec-p256 key is 64 bytes, and a signed response ends the transcript)"
	run --separate-stderr -1 fwtrail spdm verify --json --cert "$TESTDATA/keys/p521.crt.pem" "$SP/spdm11.bin"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["ok"] is False and o["error"]["code"] == "verify_failed" and o["verify"]["verified"] is False, o' <<< "$output"
	# a P-256 responder's 64-byte signature checked with the P-384 test chain
	$PY - "$T/p256.bin" <<'PY'
import struct, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
def block(i, v):
    dm = bytes([1]) + struct.pack("<H", len(v)) + v
    return bytes([i, 1]) + struct.pack("<H", len(dm)) + dm
req = bytes([0x11, 0xE0, 0x01, 0xFF]) + bytes(range(32)) + bytes([0])
rec = block(1, bytes(48)) + block(2, b"\x22" * 48)
rsp = bytes([0x11, 0x60, 0, 0, 2]) + struct.pack("<I", len(rec))[:3] + rec + bytes(range(32, 64)) + bytes(2)
k = ec.derive_private_key(4242, ec.SECP256R1())
r, s = utils.decode_dss_signature(k.sign(req + rsp, ec.ECDSA(hashes.SHA256())))
open(sys.argv[1], "wb").write(req + rsp + r.to_bytes(32, "big") + s.to_bytes(32, "big"))
PY
	run -0 fwtrail spdm show "$T/p256.bin"
	run --separate-stderr -1 fwtrail spdm verify --cert "$SP/chain.pem" "$T/p256.bin"
	[[ $stderr == *"the signature is not by the leaf certificate's key: it is 64 bytes, and an ES384 signature by its ec-p384 key is 96" ]] || fail "$stderr"
}

@test "without ALGORITHMS, bytes after a 1.1 signature are malformed (exit 4), not a longer signature" {
	# spdm11.bin: its 96-byte ES384 signature starts at offset 450
	$PY -c 'import sys; d=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(d+bytes(36)); open(sys.argv[3],"wb").write(d+bytes(160))' \
		"$SP/spdm11.bin" "$T/app36.bin" "$T/app160.bin"
	# 132 bytes are the size of ES512 only, and these are no ES512 signature
	run --separate-stderr -4 fwtrail spdm show "$T/app36.bin"
	assert_equal "$stderr" "fwtrail spdm show: '$T/app36.bin': offset 450: the 132 bytes after the measurements are not the one SPDM signature of that size, ES512 (its r and s are at most 521 bits): ambiguous without ALGORITHMS, a shorter signature followed by other bytes?"
	assert_equal "$output" ""
	run --separate-stderr -4 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" "$T/app36.bin"
	[[ $stderr == *"offset 450: the 132 bytes after the measurements are not the one SPDM signature of that size"* ]] || fail "$stderr"
	# 256 bytes (an RSA size): the leaf's P-384 key says the signature ends at 546
	run --separate-stderr -4 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" "$T/app160.bin"
	assert_equal "$stderr" "fwtrail spdm verify: offset 546: 160 bytes after the signature (an ES384 signature by the leaf certificate's ec-p384 key is 96 bytes, and a signed response ends the transcript)"
	[[ $output != *verified* ]]
}

@test "--cert: the chain leaf first (NVIDIA) or root first and leaf last (DSP0274 GET_CERTIFICATE) both verify" {
	awk '/BEGIN CERT/ { n++ } { print > ("'"$T"'/c" n ".pem") }' "$SP/chain.pem"
	cat "$T/c2.pem" "$T/c1.pem" > "$T/root-first.pem"
	for c in "$SP/chain.pem" "$T/root-first.pem"; do
		run --separate-stderr -0 fwtrail spdm verify --cert "$c" --trust "$SP/root.pem" "$SP/spdm12.bin"
		assert_output "verified: SPDM 1.2 measurements (8 blocks) signed by 'O = fwtrail tests, CN = fwtrail test SPDM responder' (ES384, 1.2+ signing context); chain validated; nonce not checked (no --nonce)"
	done
	# a chain of CAs only (the leaf left out): the message says what to give
	run --separate-stderr -1 fwtrail spdm verify --cert "$T/c2.pem" --trust "$SP/root.pem" "$SP/spdm12.bin"
	assert_equal "$stderr" "fwtrail spdm verify: the ES384 signature of the measurements does not verify with O = fwtrail tests, CN = fwtrail test SPDM root (the first certificate is a CA: give the leaf first, or the chain in DSP0274 order, root first and leaf last)"
	# root first under another root still fails validation
	run --separate-stderr -1 fwtrail spdm verify --cert "$T/root-first.pem" --trust "$SP/other-root.pem" "$SP/spdm12.bin"
	[[ $stderr == *"certificate chain does not validate"* ]] || fail "$stderr"
}

@test "--cert: the H100 chain in DSP0274 order (root first) verifies as NVIDIA's leaf-first file does" {
	need_corpus spdm/nvidia
	nv_root
	awk '/BEGIN CERT/ { n++ } n { print > ("'"$T"'/nv" n ".pem") }' "$NV/hopperCertChain.txt"
	cat "$T/nv5.pem" "$T/nv4.pem" "$T/nv3.pem" "$T/nv2.pem" "$T/nv1.pem" > "$T/nv-root-first.pem"
	run --separate-stderr -0 fwtrail spdm verify --cert "$T/nv-root-first.pem" --trust "$T/nvroot.pem" \
		--nonce 931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb "$NV/hopperAttestationReport.txt"
	assert_output --partial "CN = GH100 A01 GSP FMC LF' (ES384); chain validated; nonce as expected"
	# the intermediates alone, root first: no leaf to verify with
	cat "$T/nv5.pem" "$T/nv4.pem" > "$T/nv-cas.pem"
	run --separate-stderr -1 fwtrail spdm verify --cert "$T/nv-cas.pem" "$NV/hopperAttestationReport.txt"
	[[ $stderr == *"(the first certificate is a CA: give the leaf first, or the chain in DSP0274 order, root first and leaf last)" ]] || fail "$stderr"
}

@test "a Redfish TPMGetSignedMeasurements response (only SignedMeasurements, a TPM quote) is unsupported (exit 6)" {
	Q="$TESTDATA/evidence/eventlog/quote"
	# DSP2046's shape: base64 of TPM2_Quote's quoted (TPM2B_ATTEST) and signature
	$PY - "$Q/sha256-0-7.msg" "$Q/sha256-0-7.sig" "$T" <<'PY'
import base64, json, struct, sys
msg, sig = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
for name, blob in (("tpm2b", struct.pack(">H", len(msg)) + msg + sig), ("bare", msg + sig)):
    json.dump({"SignedMeasurements": base64.b64encode(blob).decode()}, open(f"{sys.argv[3]}/{name}.json", "w"))
PY
	for f in tpm2b bare; do
		run --separate-stderr -6 fwtrail spdm show "$T/$f.json"
		assert_equal "$stderr" "fwtrail spdm show: '$T/$f.json': \$.SignedMeasurements: a TPM quote (TPMS_ATTEST): TPM signed measurements are not SPDM evidence"
		run --separate-stderr -6 fwtrail spdm verify --cert "$SP/chain.pem" "$T/$f.json"
	done
	run --separate-stderr -6 fwtrail spdm show --json "$T/tpm2b.json"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["ok"] is False and o["error"]["code"] == "unsupported", o' <<< "$output"
}

@test "SPDM 1.0/1.1: ALGORITHMS, which the signature does not cover, is marked not signed; 1.2+ signs it" {
	(cd "$T" && with_generator gen-spdm.py <<'PY'
import struct
leaf = g.Key("fwtrail spdm test responder")  # the key of testdata/evidence/spdm/chain.pem
req = g.get_measurements(0x11, 1, 0xFF, g.REQ_NONCE, 0)
rsp = g.measurements(0x11, 0, 0, g.blocks_v11(), g.RSP_NONCE, b"")
vca = g.vca(0x11)
open("v11.bin", "wb").write(b"".join(vca) + req + rsp + leaf.sign(req + rsp))
a = bytearray(vca[5])
a[8:12] = struct.pack("<I", 0x20)  # MeasurementHashAlgo: SHA3-384 instead of SHA-384
open("v11-edited.bin", "wb").write(b"".join(vca[:5]) + bytes(a) + req + rsp + leaf.sign(req + rsp))
PY
	)
	for f in v11 v11-edited; do
		run --separate-stderr -0 fwtrail spdm show "$T/$f.bin"
		assert_line --regexp "^algorithms: ecdsa_p384, sha384, measurements sha3?_?384 \(not signed: SPDM 1.0 and 1.1 sign only the measurement messages\)$"
		# the signature still verifies: the edit is outside it, and said so
		run --separate-stderr -0 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" "$T/$f.bin"
		assert_output --partial "(ES384); chain validated; nonce not checked (no --nonce); algorithms not signed (SPDM 1.0/1.1)"
		run --separate-stderr -0 fwtrail spdm verify --json --cert "$SP/chain.pem" --trust "$SP/root.pem" "$T/$f.bin"
		$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["verify"]["verified"] is True and o["algorithms_signed"] is False, o' <<< "$output"
	done
	# 1.2 and 1.3 sign the VCA: no note
	for f in spdm12.bin spdm13.bin; do
		run --separate-stderr -0 fwtrail spdm verify --cert "$SP/chain.pem" "$SP/$f"
		refute_output --partial "not signed"
		run --separate-stderr -0 fwtrail spdm show --json "$SP/$f"
		$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["algorithms_signed"] is True, o' <<< "$output"
	done
	run -0 fwtrail spdm show "$SP/spdm13.bin"
	assert_line "algorithms: ecdsa_p384, sha384, measurements sha384"
	# no ALGORITHMS at all: no key
	run --separate-stderr -0 fwtrail spdm show --json "$SP/spdm11.bin"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert "algorithms" not in o and "algorithms_signed" not in o, o' <<< "$output"
}

@test "SPDM 1.3 NewMeasurementRequested: measurements of pending firmware are a no (exit 1); show names the bit" {
	f="$SP/cases/new-measurement-v13.bin"
	nonce=80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb
	run --separate-stderr -1 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" --nonce "$nonce" "$f"
	assert_equal "$stderr" "fwtrail spdm verify: measurements of pending firmware, not of the running state: a GET_MEASUREMENTS request sets NewMeasurementRequested, which asks for the measurements that take effect at the next reset"
	assert_equal "$output" ""
	# the signature, chain and nonce did verify: the verdict says so, and "verified" is false
	run --separate-stderr -1 fwtrail spdm verify --json --cert "$SP/chain.pem" --trust "$SP/root.pem" --nonce "$nonce" "$f"
	$PY -c 'import json, sys
o = json.loads(sys.stdin.read())
v = o["verify"]
assert o["ok"] is False and o["error"]["code"] == "verify_failed" and "pending firmware" in o["error"]["message"], o
assert (v["verified"], v["alg"], v["chain_validated"], v["nonce_checked"]) == (False, "ES384", True, True), v
assert o["request"]["new_measurement_requested"] is True and o["request"]["attributes"] == 5' <<< "$output"
	# an earlier, unsigned request of the transcript sets it: its block is pending firmware too
	run --separate-stderr -1 fwtrail spdm verify --cert "$SP/chain.pem" "$SP/cases/new-measurement-earlier-v13.bin"
	[[ $stderr == *"measurements of pending firmware"* ]]
	run --separate-stderr -0 fwtrail spdm show "$f"
	assert_line "new measurement requested: the measurements are of pending firmware (those that take effect at the next reset), not of the running state"
	run --separate-stderr -0 fwtrail spdm show --json "$f"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); assert o["request"]["new_measurement_requested"] is True, o' <<< "$output"
	# 1.3 without it: false, and no line; before 1.3 the bit is reserved: no member, and left as it was
	run --separate-stderr -0 fwtrail spdm show --json "$SP/spdm13.bin"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); assert o["request"]["new_measurement_requested"] is False, o' <<< "$output"
	run --separate-stderr -0 fwtrail spdm show "$SP/spdm13.bin"
	refute_output --partial "new measurement requested"
	run --separate-stderr -0 fwtrail spdm show --json "$SP/cases/new-measurement-bit-v12.bin"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); assert "new_measurement_requested" not in o["request"] and o["request"]["attributes"] == 5, o' <<< "$output"
	run --separate-stderr -0 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" "$SP/cases/new-measurement-bit-v12.bin"
	assert_output --partial "verified: SPDM 1.2 measurements (5 blocks)"
}

@test "ContentChanged 01b in the last signed MEASUREMENTS: a no after several exchanges (exit 1), allowed after one; show says it" {
	f="$SP/cases/content-changed-v12.bin"
	run --separate-stderr -1 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" "$f"
	assert_equal "$stderr" "fwtrail spdm verify: the responder detected measurement changes during the transcript: measure again"
	run --separate-stderr -0 fwtrail spdm show "$f"
	assert_line "content changed: the responder detected measurement changes during the transcript: the earlier responses may be stale"
	run --separate-stderr -0 fwtrail spdm show --json "$f"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); assert o["response"]["content_changed"] == 1 and o["exchanges"] == 6, o' <<< "$output"
	f="$SP/cases/content-changed-single-v12.bin"
	run --separate-stderr -0 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" "$f"
	assert_output --partial "verified: SPDM 1.2 measurements (5 blocks)"
	run --separate-stderr -0 fwtrail spdm show "$f"
	assert_line "content changed: the responder detected measurement changes before this transcript's only exchange"
	# 10b, no change detected: no line
	run --separate-stderr -0 fwtrail spdm show "$SP/spdm12.bin"
	refute_output --partial "content changed"
}

@test "--revoked: a chain CA whose EC key its certificate writes compressed is revoked by its fingerprint (exit 1)" {
	cd "$T"
	openssl ecparam -name secp384r1 -genkey -noout -out root.key 2> /dev/null
	openssl req -x509 -new -key root.key -subj /CN=root -days 3650 -out root.pem \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2> /dev/null
	openssl ecparam -name secp384r1 -genkey -noout -out inter.key 2> /dev/null
	openssl ec -in inter.key -conv_form compressed -out inter-c.key 2> /dev/null
	openssl req -new -key inter-c.key -subj /CN=compromised-intermediate -out inter.csr 2> /dev/null
	printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n' > ca.ext
	openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3650 -extfile ca.ext \
		-out inter.pem 2> /dev/null
	# 72 bytes: the compressed point
	[ "$(openssl x509 -in inter.pem -noout -pubkey | openssl pkey -pubin -outform DER | wc -c)" -eq 72 ]
	openssl req -new -key "$TESTDATA/keys/p384.key.pem" -subj /CN=responder -out leaf.csr 2> /dev/null
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' > leaf.ext
	openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter-c.key -CAcreateserial -days 3650 -extfile leaf.ext \
		-out leaf.pem 2> /dev/null
	cat leaf.pem inter.pem root.pem > chain.pem
	# an SPDM 1.1 transcript signed by the leaf's key
	"$PY" - "$TESTDATA/keys/p384.key.pem" <<-'PY'
	import struct, sys
	from cryptography.hazmat.primitives import serialization, hashes
	from cryptography.hazmat.primitives.asymmetric import ec
	from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
	u16 = lambda v: struct.pack("<H", v)
	dm = bytes([0]) + u16(48) + b"\x11" * 48
	rec = bytes([1, 1]) + u16(len(dm)) + dm
	req = bytes([0x11, 0xE0, 0x01, 0xFF]) + bytes(range(32)) + bytes([0])
	rsp = bytes([0x11, 0x60, 0, 0, 1]) + struct.pack("<I", len(rec))[:3] + rec + bytes(32) + u16(0)
	k = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
	r, s = decode_dss_signature(k.sign(req + rsp, ec.ECDSA(hashes.SHA384())))
	open("t.bin", "wb").write(req + rsp + r.to_bytes(48, "big") + s.to_bytes(48, "big"))
	PY
	run -0 fwtrail spdm verify --cert chain.pem --trust root.pem t.bin
	# the documented fingerprint: that of the plain (uncompressed) form key export prints
	printf 'sha256:%s\n' "$(fwtrail --json key export inter.key | jq -r .sha256_fingerprint)" > revoked.txt
	run --separate-stderr -1 fwtrail spdm verify --cert chain.pem --trust root.pem --revoked revoked.txt t.bin
	[[ $stderr == *"the key of 'CN = compromised-intermediate' (depth 1, "*"is revoked ('revoked.txt' line 1)"* ]] || fail "$stderr"
}

@test "a SignedMeasurements response whose HashingAlgorithm, SigningAlgorithm or Version is not the transcript's is malformed (exit 4)" {
	# the server's BMC transcript: SHA-384, an ECDSA P-384 signature
	$PY - "$TESTDATA/server/evidence/bmc.spdm" "$BATS_TEST_TMPDIR" <<'PY'
import base64, json, sys
t = base64.b64encode(open(sys.argv[1], "rb").read()).decode()
for name, h, s in (("ok", "TPM_ALG_SHA_384", "TPM_ALG_ECDSA_ECC_NIST_P384"), ("hash", "TPM_ALG_SHA_256", "TPM_ALG_ECDSA_ECC_NIST_P384"),
                   ("sig", "TPM_ALG_SHA_384", "TPM_ALG_RSASSA_2048"), ("other", "TPM_ALG_SM3_256", "TPM_ALG_SM2"),
                   ("sha3", "TPM_ALG_SHA3_384", "TPM_ALG_ECDSA_ECC_NIST_P384"), ("md5", "MD5", "TPM_ALG_ECDSA_ECC_NIST_P384"),
                   ("empty", "TPM_ALG_SHA_384", ""), ("number", 11, "TPM_ALG_ECDSA_ECC_NIST_P384")):
    json.dump({"@odata.type": "#ComponentIntegrity.v1_0_0.SPDMGetSignedMeasurementsResponse", "Version": "1.1",
               "HashingAlgorithm": h, "SigningAlgorithm": s, "SignedMeasurements": t},
              open("%s/%s.json" % (sys.argv[2], name), "w"))
PY
	$PY -c 'import json, sys; d = json.load(open(sys.argv[1])); d["Version"] = 1.1; json.dump(d, open(sys.argv[2], "w"))' \
		"$BATS_TEST_TMPDIR/ok.json" "$BATS_TEST_TMPDIR/version.json"
	run -0 fwtrail spdm show --json "$BATS_TEST_TMPDIR/ok.json"
	run --separate-stderr -4 fwtrail spdm show "$BATS_TEST_TMPDIR/hash.json"
	[[ $stderr == *"\$.HashingAlgorithm: not the hash of the SignedMeasurements"* ]] || fail "$stderr"
	run --separate-stderr -4 fwtrail spdm show "$BATS_TEST_TMPDIR/sig.json"
	[[ $stderr == *"\$.SigningAlgorithm: not the algorithm of the SignedMeasurements' signature"* ]] || fail "$stderr"
	# this transcript has no ALGORITHMS: the sizes tell SM3-256 and SM2 from
	# its SHA-384 digests and P-384 signature, but not SHA3-384 from SHA-384
	run --separate-stderr -4 fwtrail spdm show "$BATS_TEST_TMPDIR/other.json"
	[[ $stderr == *"not the "*"of the SignedMeasurements"* ]] || fail "$stderr"
	run --separate-stderr -0 fwtrail spdm show "$BATS_TEST_TMPDIR/sha3.json"
	# with ALGORITHMS (SPDM 1.2) the names are known exactly: SHA3-384 is not SHA-384
	local r="$TESTDATA/evidence/spdm/spdm12-redfish.json"
	run -0 fwtrail spdm verify --cert "$TESTDATA/evidence/spdm/chain.pem" "$r"
	$PY -c 'import json, sys; d = json.load(open(sys.argv[1])); d["HashingAlgorithm"] = "TPM_ALG_SHA3_384"; json.dump(d, open(sys.argv[2], "w"))' \
		"$r" "$BATS_TEST_TMPDIR/r-sha3.json"
	run --separate-stderr -4 fwtrail spdm verify --cert "$TESTDATA/evidence/spdm/chain.pem" "$BATS_TEST_TMPDIR/r-sha3.json"
	[[ $stderr == *"\$.HashingAlgorithm: not the hash of the SignedMeasurements"* ]] || fail "$stderr"
	$PY -c 'import json, sys; d = json.load(open(sys.argv[1])); d["SigningAlgorithm"] = "TPM_ALG_SM2"; json.dump(d, open(sys.argv[2], "w"))' \
		"$r" "$BATS_TEST_TMPDIR/r-sm2.json"
	run --separate-stderr -4 fwtrail spdm verify --cert "$TESTDATA/evidence/spdm/chain.pem" "$BATS_TEST_TMPDIR/r-sm2.json"
	[[ $stderr == *"\$.SigningAlgorithm: not the algorithm of the SignedMeasurements' signature"* ]] || fail "$stderr"
	# and what is no TCG algorithm name at all is malformed
	for f in md5 empty number; do
		run --separate-stderr -4 fwtrail spdm show "$BATS_TEST_TMPDIR/$f.json"
		[[ $stderr == *"not a TCG algorithm name (such as TPM_ALG_SHA_384)"* ]] || fail "$f: $stderr"
	done
	run --separate-stderr -4 fwtrail spdm show "$BATS_TEST_TMPDIR/version.json"
	[[ $stderr == *"\$.Version: not a string"* ]] || fail "$stderr"
}

@test "'-' reads the evidence from standard input, for show and verify" {
	need_corpus spdm/nvidia
	run --separate-stderr -0 fwtrail spdm show --json "$NV/hopperAttestationReport.txt"
	local want=$($PY -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["blocks"]))' <<< "$output")
	run --separate-stderr -0 bash -c '"$FWTRAIL" spdm show --json - < "$1"' _ "$NV/hopperAttestationReport.txt"
	assert_equal "$($PY -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["blocks"]))' <<< "$output")" "$want"
	run --separate-stderr -0 bash -c 'cat "$2" | "$FWTRAIL" spdm verify --cert "$1" -' _ "$NV/hopperCertChain.txt" \
		"$NV/hopperAttestationReport.txt"
	assert_output --partial "verified: SPDM 1.1 measurements (64 blocks) signed by '"
	# one hex digit of block 2's digest changed, through the pipe: still a no
	run --separate-stderr -1 bash -c 'sed s/8048dfd18fe2/8048dfd18fe3/ "$2" | "$FWTRAIL" spdm verify --cert "$1" -' _ \
		"$NV/hopperCertChain.txt" "$NV/hopperAttestationReport.txt"
	[[ $stderr == *"the ES384 signature of the measurements does not verify with "* ]] || fail "$stderr"
	run --separate-stderr -4 bash -c 'head -c 100 "$1" | "$FWTRAIL" spdm show -' _ "$NV/hopperAttestationReport.txt"
	[[ $stderr == "fwtrail spdm show: '-': "* ]] || fail "$stderr"
}

# Evidence kept from an earlier audit is checked again with the chain as it
# was then: the test chain is valid from 2024-01-01 to 2049-12-31.  --at was
# missing from spdm verify, though fwtrail(1) gives it to every command that
# checks validity periods and attest check passes it to the same library call.
@test "--at: the chain is validated at that time; before or after its dates is a no (exit 1); needs --trust" {
	run --separate-stderr -0 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" \
		--at 2030-01-01T00:00:00Z "$SP/spdm12.bin"
	assert_output --partial "chain validated"
	run --separate-stderr -1 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" \
		--at 2023-06-01T00:00:00Z "$SP/spdm12.bin"
	assert_equal "$stderr" "fwtrail spdm verify: certificate chain does not validate: certificate 'O = fwtrail tests, CN = fwtrail test SPDM root' (depth 1) is not valid before 2024-01-01T00:00:00Z, checked at 2023-06-01T00:00:00Z"
	# a date is midnight UTC; --json says no the same way
	run --separate-stderr -1 fwtrail spdm verify --json --cert "$SP/chain.pem" --trust "$SP/root.pem" \
		--at 2050-01-01 "$SP/spdm12.bin"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["verify"]["chain_validated"] is False and o["verify"]["verified"] is False; assert "expired on 2049-12-31T23:59:59Z, checked at 2050-01-01T00:00:00Z" in o["error"]["message"]' <<< "$output"
	run --separate-stderr -2 fwtrail spdm verify --cert "$SP/chain.pem" --at 2030-01-01 "$SP/spdm12.bin"
	[[ $stderr == "fwtrail spdm verify: --at needs --trust (it is the time the chain is validated at)"* ]] || fail "$stderr"
	run --separate-stderr -2 fwtrail spdm verify --cert "$SP/chain.pem" --trust "$SP/root.pem" --at yesterday "$SP/spdm12.bin"
	[[ $stderr == "fwtrail spdm verify: --at: 'yesterday' is not an RFC 3339 time or date"* ]] || fail "$stderr"
}
