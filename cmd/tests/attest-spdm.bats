#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# SPDM signatures in attest check and audit (RELIABILITY S4): the NVIDIA H100
# transcript with its real certificate chain (verified, unauthenticated,
# forged, stale), the synthetic server's BMC transcript with its chain, and
# the policy signatures rule with require "spdm" and vendor fingerprints.

load helpers

S="$TESTDATA/server"
SP="$TESTDATA/evidence/spdm"
NV="$CORPORA/spdm/nvidia"
H100="$NV/hopperAttestationReport.txt"
NONCE=931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb
AT=2026-11-01T00:00:00Z

setup() {
	T=$BATS_TEST_TMPDIR
}

# A signed CoRIM of the H100's own measurements ($T/h100.signed.corim, by the
# server's vendor key), and the chain's root ($T/nvroot.pem, its last
# certificate): the root as the SPDM device root (--spdm-trust) and the
# vendor key as the RIM signer (--trust), only the SPDM signature decides.
h100_setup() {
	need_corpus spdm/nvidia
	awk '/BEGIN CERT/ { n++ } n == 5' "$NV/hopperCertChain.txt" > "$T/nvroot.pem"
	fwtrail rim create --vendor NVIDIA --model GH100 --from-spdm "$H100" -o "$T/h100.corim"
	fwtrail rim sign --key "$S/keys/vendor.pem" --signer "ACME test" --not-before 2024-01-01 --not-after 2036-01-01 \
		-o "$T/h100.signed.corim" "$T/h100.corim"
	BASE=(--evidence "$H100" --rim "$T/h100.signed.corim" --spdm-trust "$T/nvroot.pem" --trust "$S/trust/vendor.pub"
		--at "$AT")
}

# The SHA-256 of the leaf certificate's SubjectPublicKeyInfo, by Python.
leaf_fp() {
	$PY - "$1" <<'EOF'
import hashlib, sys
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
c = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
print(hashlib.sha256(c.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)).hexdigest())
EOF
}

# The transcript with one bit flipped: in its signature (the last hex
# digit), or in block 2's digest (hex offset of byte 37 + 8 + 51 + 4).
h100_flip() { # where out
	$PY - "$H100" "$1" "$2" <<'EOF'
import sys
h = "".join(open(sys.argv[1]).read().split())
b = bytearray(bytes.fromhex(h))
if sys.argv[2] == "signature":
    b[-1] ^= 0x01
else:
    # request 37 bytes, response header 8, block 1 (4 + 3 + 48 bytes), block 2 header 4 + 3
    b[37 + 8 + 55 + 7] ^= 0x01
open(sys.argv[3], "w").write(b.hex() + "\n")
EOF
}

@test "the H100 with its chain, its root trusted and its nonce: verified, exit 0" {
	h100_setup
	run --separate-stderr -0 fwtrail attest check "${BASE[@]}" --spdm-cert "$NV/hopperCertChain.txt" \
		--spdm-nonce "$NONCE"
	assert_line "spdm '$H100': signature verified with '$NV/hopperCertChain.txt' (serialNumber = 53C22BA15E5D68088282DA074ED9FB37AA585771, C = US, O = NVIDIA Corporation, CN = GH100 A01 GSP FMC LF); chain validated; nonce as expected"
	assert_line 'ok: 64 components: 64 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 64 unreviewed'
	assert_equal "$stderr" ""
	run --separate-stderr -0 fwtrail attest check --json "${BASE[@]}" --spdm-cert "$NV/hopperCertChain.txt" \
		--spdm-nonce "$H100=$NONCE"
	printf '%s' "$output" > "$T/rec.json"
	fp=$(leaf_fp "$NV/hopperCertChain.txt")
	$PY - "$T/rec.json" "$H100" "$fp" <<'EOF'
import json, sys
d, path, fp = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
[s] = [x for x in d["signatures"] if x["kind"] == "spdm"]
assert s["path"] == path and s["format"] == "transcript" and s["signed"] is True
assert (s["verified"], s["signature_checked"], s["authentication"]) == (True, True, "verified"), s
assert s["fingerprint"] == fp and s["error"] is None and s["key"].endswith("hopperCertChain.txt")
assert s["chain_validated"] is True and s["nonce_checked"] is True and "GH100 A01 GSP FMC LF" in s["signer"]
[i] = [x for x in d["inputs"] if x["kind"] == "spdm"]
assert (i["verified"], i["authentication"], i["fingerprint"], i["nonce_checked"]) == (True, "verified", fp, True), i
assert d["summary"]["spdm_not_verified"] == 0 and d["summary"]["spdm_unauthenticated"] == 0 and d["ok"] is True
EOF
}

@test "the H100 chain in DSP0274 order (root first): the leaf is still the signer named and fingerprinted" {
	h100_setup
	$PY - "$NV/hopperCertChain.txt" "$T/rootfirst.pem" <<'EOF'
import re, sys
blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n?", open(sys.argv[1]).read(), re.S)
open(sys.argv[2], "w").write("".join(reversed(blocks)))
EOF
	run --separate-stderr -0 fwtrail attest check "${BASE[@]}" --spdm-cert "$T/rootfirst.pem" --spdm-nonce "$NONCE"
	assert_line --partial "CN = GH100 A01 GSP FMC LF); chain validated; nonce as expected"
	run --separate-stderr -0 fwtrail attest check --json "${BASE[@]}" --spdm-cert "$T/rootfirst.pem" --spdm-nonce "$NONCE"
	fp=$(leaf_fp "$NV/hopperCertChain.txt")
	$PY -c 'import json,sys; d=json.load(sys.stdin); [s]=[x for x in d["signatures"] if x["kind"]=="spdm"]; assert s["verified"] and s["fingerprint"]==sys.argv[1] and "GH100 A01 GSP FMC LF" in s["signer"], s' "$fp" <<< "$output"
}

@test "the device root in --trust still anchors the chain (compatibility), with a warning; --spdm-trust wins" {
	h100_setup
	run --separate-stderr -0 fwtrail attest check --evidence "$H100" --rim "$T/h100.signed.corim" \
		--trust "$T/nvroot.pem" --trust "$S/trust/vendor.pub" --at "$AT" --spdm-cert "$NV/hopperCertChain.txt" \
		--spdm-nonce "$NONCE"
	assert_line --partial "chain validated; nonce as expected"
	assert_line 'ok: 64 components: 64 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 64 unreviewed'
	assert_equal "$stderr" "fwtrail attest check: warning: --trust anchors both the SPDM device chains and the RIM and SFR signers: give the device roots with --spdm-trust"
	# with --spdm-trust, --trust no longer anchors SPDM chains: the NVIDIA root there does not count
	awk '/BEGIN CERT/ { n++ } n == 2' "$S/evidence/bmc-chain.pem" > "$T/bmcroot.pem"
	run --separate-stderr -1 fwtrail attest check --evidence "$H100" --rim "$T/h100.signed.corim" \
		--trust "$T/nvroot.pem" --trust "$S/trust/vendor.pub" --spdm-trust "$T/bmcroot.pem" --at "$AT" \
		--spdm-cert "$NV/hopperCertChain.txt"
	assert_line --partial "spdm '$H100': signature NOT verified: certificate chain does not validate"
	# a store without any key is a usage error, as for --trust
	mkdir -p "$T/empty"
	run --separate-stderr -2 fwtrail attest check --evidence "$H100" --rim "$T/h100.signed.corim" --spdm-trust "$T/empty" \
		--trust "$S/trust/vendor.pub" --spdm-cert "$NV/hopperCertChain.txt"
	assert_equal "${stderr%%$'\n'*}" "fwtrail attest check: no trusted key found in --spdm-trust"
}

@test "the H100 without a chain: unauthenticated, said so, and not a failure on its own" {
	h100_setup
	run --separate-stderr -0 fwtrail attest check "${BASE[@]}"
	assert_line "spdm '$H100': unauthenticated: no responder certificate chain given (--spdm-cert)"
	assert_line 'ok: 64 components: 64 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 64 unreviewed'
	run --separate-stderr -0 fwtrail attest check --json "${BASE[@]}"
	printf '%s' "$output" > "$T/rec.json"
	run -0 $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
[s] = [x for x in d["signatures"] if x["kind"] == "spdm"]
assert (s["signed"], s["signature_checked"], s["verified"], s["authentication"]) == (True, False, False, "unauthenticated")
assert s["fingerprint"] is None and s["error"] == "unauthenticated: no responder certificate chain given"
assert d["summary"]["spdm_unauthenticated"] == 1' "$T/rec.json"
}

@test "the H100 with its signature forged: not verified, exit 1, while every measurement matches" {
	h100_setup
	h100_flip signature "$T/forged.txt"
	run --separate-stderr -1 fwtrail attest check --evidence "$T/forged.txt" --rim "$T/h100.signed.corim" \
		--spdm-trust "$T/nvroot.pem" --trust "$S/trust/vendor.pub" --at "$AT" --spdm-cert "$NV/hopperCertChain.txt"
	assert_line "spdm '$T/forged.txt': signature NOT verified: the ES384 signature of the measurements does not verify with serialNumber = 53C22BA15E5D68088282DA074ED9FB37AA585771, C = US, O = NVIDIA Corporation, CN = GH100 A01 GSP FMC LF"
	assert_line 'NOT OK: 64 components: 64 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 64 unreviewed'
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 SPDM signature not verified (of 64 components)"
}

@test "the H100 with a measurement changed: the signature no longer verifies, and block 2 mismatches" {
	h100_setup
	h100_flip measurement "$T/changed.txt"
	run --separate-stderr -1 fwtrail attest check --json --evidence "$T/changed.txt" --rim "$T/h100.signed.corim" \
		--spdm-trust "$T/nvroot.pem" --trust "$S/trust/vendor.pub" --at "$AT" --spdm-cert "$NV/hopperCertChain.txt"
	printf '%s' "$output" > "$T/rec.json"
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 mismatch, 1 SPDM signature not verified (of 64 components)"
	run -0 $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert [(c["index"], c["status"]) for c in d["components"] if c["status"] != "match"] == [(2, "mismatch")]
[s] = [x for x in d["signatures"] if x["kind"] == "spdm"]
assert (s["verified"], s["authentication"], s["fingerprint"]) == (False, "failed", None), s
assert "does not verify" in s["error"]' "$T/rec.json"
}

@test "the H100 with a stale nonce, or a chain its root does not anchor: failed, exit 1" {
	h100_setup
	run --separate-stderr -1 fwtrail attest check "${BASE[@]}" --spdm-cert "$NV/hopperCertChain.txt" \
		--spdm-nonce 4cff7f5380ead8fad8ec2c531c110aca4302a88f603792801a8ca29ee151af2e
	assert_line --partial "signature NOT verified: stale evidence: the request's nonce $NONCE is not the one expected"
	# the server's SPDM test root is not the H100's
	awk '/BEGIN CERT/ { n++ } n == 2' "$S/evidence/bmc-chain.pem" > "$T/bmcroot.pem"
	run --separate-stderr -1 fwtrail attest check --evidence "$H100" --rim "$T/h100.signed.corim" \
		--spdm-trust "$T/bmcroot.pem" --trust "$S/trust/vendor.pub" --at "$AT" --spdm-cert "$NV/hopperCertChain.txt"
	assert_line --partial "spdm '$H100': signature NOT verified: "
	assert_line --partial "chain"
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 SPDM signature not verified (of 64 components)"
	# trusted keys but no certificate: a chain cannot be validated, which is a "no"
	run --separate-stderr -1 fwtrail attest check --evidence "$H100" --rim "$T/h100.signed.corim" \
		--trust "$S/trust/vendor.pub" --at "$AT" --spdm-cert "$NV/hopperCertChain.txt"
	assert_line --partial "signature NOT verified: cannot validate the responder's chain: the trust store holds no certificate"
}

@test "several devices, several chains: each evidence is verified by the chain whose leaf signed it" {
	need_corpus spdm/nvidia
	run --separate-stderr fwtrail attest check --json --evidence "$H100" --evidence "$S/evidence/bmc.spdm" \
		--evidence "$SP/unsigned12.bin" --rim "$S/rim/vendor.corim" \
		--spdm-cert "$S/evidence/bmc-chain.pem" --spdm-cert "$NV/hopperCertChain.txt" \
		--spdm-nonce "$H100=$NONCE" --spdm-nonce 80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb
	printf '%s' "$output" > "$T/rec.json"
	fp_nv=$(leaf_fp "$NV/hopperCertChain.txt")
	fp_bmc=$(leaf_fp "$S/evidence/bmc-chain.pem")
	run -0 $PY - "$T/rec.json" "$fp_nv" "$fp_bmc" <<'EOF'
import json, sys
d, fp_nv, fp_bmc = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
s = {x["path"].rsplit("/", 1)[1]: x for x in d["signatures"] if x["kind"] == "spdm"}
h, b, u = s["hopperAttestationReport.txt"], s["bmc.spdm"], s["unsigned12.bin"]
assert (h["verified"], h["fingerprint"], h["nonce_checked"]) == (True, fp_nv, True), h
assert h["chain"].endswith("hopperCertChain.txt")
# the nonce for all applies to the BMC (it is the one its request carries)
assert (b["verified"], b["fingerprint"], b["nonce_checked"]) == (True, fp_bmc, True), b
assert b["chain"].endswith("bmc-chain.pem") and b["chain_validated"] is False
# the nonce for all applies to the unsigned transcript too, whose request carries none: stale
assert (u["signed"], u["verified"], u["authentication"], u["signature_checked"]) == (False, False, "failed", True), u
assert u["error"] == "stale evidence: the last GET_MEASUREMENTS request carries no nonce, not the one expected"
EOF
}

# A RIM of spdm11.bin's blocks ($T/v11.corim), and an unsigned 1.1
# transcript of the same blocks, whose request carries no nonce ($T/unsigned11.bin).
v11_setup() {
	fwtrail rim create --vendor ACME --model DEV --from-spdm "$SP/spdm11.bin" -o "$T/v11.corim"
	with_generator gen-spdm.py "$T/unsigned11.bin" <<'EOF'
req = g.get_measurements(0x11, 0, 0xFF)
open(sys.argv[2], "wb").write(req + g.measurements(0x11, 0, 0, g.blocks_v11(), g.RSP_NONCE, b""))
EOF
}

@test "--spdm-nonce is compared without a chain, signed or not: stale evidence is not ok (exit 1)" {
	v11_setup
	other=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
	theirs=80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb
	# signed, no --spdm-cert: the nonce is read from the transcript all the same
	run --separate-stderr -1 fwtrail attest check --evidence "$SP/spdm11.bin" --rim "$T/v11.corim" --spdm-nonce "$other"
	assert_line "spdm '$SP/spdm11.bin': signature NOT verified: stale evidence: the request's nonce $theirs is not the one expected"
	assert_line 'NOT OK: 5 components: 5 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 5 unreviewed'
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 SPDM signature not verified (of 5 components)"
	# a device root given changes nothing: there is still no chain
	run --separate-stderr -1 fwtrail attest check --evidence "$SP/spdm11.bin" --rim "$T/v11.corim" \
		--spdm-trust "$SP/root.pem" --spdm-nonce "$SP/spdm11.bin=$other"
	assert_line --partial "signature NOT verified: stale evidence: the request's nonce $theirs"
	# unsigned: its request carries no nonce at all
	run --separate-stderr -1 fwtrail attest check --json --evidence "$T/unsigned11.bin" --rim "$T/v11.corim" \
		--spdm-nonce "$theirs"
	$PY -c 'import json, sys
d = json.load(sys.stdin)
[s] = [x for x in d["signatures"] if x["kind"] == "spdm"]
assert (s["signed"], s["signature_checked"], s["verified"], s["authentication"]) == (False, True, False, "failed"), s
assert s["error"] == "stale evidence: the last GET_MEASUREMENTS request carries no nonce, not the one expected", s
assert d["ok"] is False and d["summary"]["spdm_not_verified"] == 1 and d["summary"]["spdm_unauthenticated"] == 0
assert d["summary"]["match"] == 5 and d["error"]["message"] == "not ok: 1 SPDM signature not verified (of 5 components)"' <<< "$output"
	# the nonce the request carries: fresh, still unauthenticated without a chain, and ok
	run --separate-stderr -0 fwtrail attest check --evidence "$SP/spdm11.bin" --rim "$T/v11.corim" --spdm-nonce "$theirs"
	assert_line "spdm '$SP/spdm11.bin': unauthenticated: no responder certificate chain given (--spdm-cert)"
	assert_line 'ok: 5 components: 5 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 5 unreviewed'
	# with its chain, the nonce is compared after the signature, in the same words
	run --separate-stderr -1 fwtrail attest check --evidence "$SP/spdm11.bin" --rim "$T/v11.corim" \
		--spdm-cert "$SP/chain.pem" --spdm-nonce "$other"
	assert_line "spdm '$SP/spdm11.bin': signature NOT verified: stale evidence: the request's nonce $theirs is not the one expected"
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 SPDM signature not verified (of 5 components)"
}

@test "SPDM 1.3 measurements of pending firmware (NewMeasurementRequested): failed before any chain, not ok (exit 1)" {
	v11_setup
	f="$SP/cases/new-measurement-v13.bin"
	# its blocks are spdm11.bin's: every one matches, and its signature would verify with chain.pem
	run --separate-stderr -1 fwtrail attest check --evidence "$f" --rim "$T/v11.corim" \
		--spdm-cert "$SP/other-chain.pem" --spdm-cert "$SP/chain.pem" --spdm-trust "$SP/root.pem" \
		--spdm-nonce 80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb
	assert_line "spdm '$f': signature NOT verified: measurements of pending firmware, not of the running state: a GET_MEASUREMENTS request sets NewMeasurementRequested, which asks for the measurements that take effect at the next reset"
	assert_line 'NOT OK: 5 components: 5 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 5 unreviewed'
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 SPDM signature not verified (of 5 components)"
	# unsigned or without a chain, it is no more the running state
	run --separate-stderr -1 fwtrail attest check --json --evidence "$f" --rim "$T/v11.corim"
	$PY -c 'import json, sys
d = json.load(sys.stdin)
[s] = [x for x in d["signatures"] if x["kind"] == "spdm"]
assert (s["authentication"], s["signature_checked"], s["verified"]) == ("failed", True, False), s
assert s["error"].startswith("measurements of pending firmware") and d["summary"]["spdm_not_verified"] == 1, s' <<< "$output"
}

@test "SPDM 1.2 ContentChanged 01b after several exchanges: failed, not ok (exit 1); after one exchange: ok" {
	v11_setup
	f="$SP/cases/content-changed-v12.bin"
	run --separate-stderr -1 fwtrail attest check --evidence "$f" --rim "$T/v11.corim" \
		--spdm-cert "$SP/chain.pem" --spdm-trust "$SP/root.pem"
	assert_line "spdm '$f': signature NOT verified: the responder detected measurement changes during the transcript: measure again"
	assert_line 'NOT OK: 5 components: 5 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 5 unreviewed'
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 SPDM signature not verified (of 5 components)"
	run --separate-stderr -0 fwtrail attest check --evidence "$SP/cases/content-changed-single-v12.bin" \
		--rim "$T/v11.corim" --spdm-cert "$SP/chain.pem" --spdm-trust "$SP/root.pem"
	assert_line --partial "': signature verified with '$SP/chain.pem'"
	assert_line 'ok: 5 components: 5 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 5 unreviewed'
}

# Two more devices of spdm11.bin's product, signed by other-chain.pem's
# leaf: devB.bin asked for indices 1 to 4 only, one by one, the last signed;
# devC.bin holds only a signed count query, no block at all.
devices_setup() {
	v11_setup
	cat "$SP/root.pem" "$SP/other-root.pem" > "$T/roots.pem"
	with_generator gen-spdm.py "$T" <<'EOF'
other, b = g.Key("fwtrail other responder"), g.blocks_v11()
t = b""
for i in range(1, 5):
    t += g.get_measurements(0x11, 1 if i == 4 else 0, i, g.REQ_NONCE if i == 4 else b"", 0)
    t += g.measurements(0x11, 0, 0, [b[i - 1]], g.RSP_NONCE, b"")
open(sys.argv[2] + "/devB.bin", "wb").write(t + other.sign(t))
t = g.get_measurements(0x11, 1, 0, g.REQ_NONCE, 0) + g.measurements(0x11, 5, 0, [], g.RSP_NONCE, b"")
open(sys.argv[2] + "/devC.bin", "wb").write(t + other.sign(t))
EOF
	DEV=(--rim "$T/v11.corim" --spdm-cert "$SP/chain.pem" --spdm-cert "$SP/other-chain.pem" --spdm-trust "$T/roots.pem"
		--spdm-nonce 80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb)
}

@test "several devices in one run: each accounts for every SPDM reference; one that measured nothing is not ok" {
	devices_setup
	# device B alone: index 5 missing, as before
	run --separate-stderr -1 fwtrail attest check --evidence "$T/devB.bin" "${DEV[@]}"
	assert_line --regexp '^spdm +5 +- +sha384:b26fc793ce1c6644\.\.\. missing +v11\.corim 5 '
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 missing (of 5 components)"
	# with device A, which measured index 5: still missing, for B
	run --separate-stderr -1 fwtrail attest check --evidence "$SP/spdm11.bin" --evidence "$T/devB.bin" "${DEV[@]}"
	assert_line --regexp '^spdm +5 +- \(.*/devB\.bin\) +sha384:b26fc793ce1c6644\.\.\. missing +v11\.corim 5 '
	assert_line --partial "- ($T/devB.bin) "
	assert_line 'NOT OK: 10 components: 9 match, 0 mismatch, 0 unknown, 1 missing; 0 reviewed, 10 unreviewed'
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 missing (of 10 components)"
	run --separate-stderr -1 fwtrail attest check --json --evidence "$SP/spdm11.bin" --evidence "$T/devB.bin" "${DEV[@]}"
	$PY -c 'import json, sys
d = json.load(sys.stdin)
m = [c for c in d["components"] if c["status"] == "missing"]
assert [(c["index"], c["evidence"]) for c in m] == [(5, sys.argv[1])], m
assert all(s["verified"] for s in d["signatures"] if s["kind"] == "spdm")' "$T/devB.bin" <<< "$output"
	# with device C, which measured nothing: every reference missing for it, and said so
	run --separate-stderr -1 fwtrail attest check --evidence "$SP/spdm11.bin" --evidence "$T/devC.bin" "${DEV[@]}"
	assert_line "spdm '$T/devC.bin': no measurement block: this evidence measures nothing"
	[ "$(grep -F " ($T/devC.bin) " <<< "$output" | grep -c ' missing ')" -eq 5 ]
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 5 missing, SPDM evidence '$T/devC.bin' measures nothing (of 10 components)"
	# one device twice (binary and hex): the second stands in for no other device, not ok
	run --separate-stderr -1 fwtrail attest check --evidence "$SP/spdm11.bin" --evidence "$SP/spdm11.hex" "${DEV[@]}"
	# (a long path is shortened inside the line: matched by its ends)
	assert_line --regexp "^spdm '$SP/spdm11\.hex': signature NOT verified: signed by the same responder key as '.*spdm11\.b.*': one device's evidence cannot stand in for another's: give one evidence per device\$"
	assert_line 'NOT OK: 10 components: 10 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 10 unreviewed'
}

@test "usage: --spdm-nonce must be 64 hex digits, for an --evidence file; a missing chain file is I/O" {
	cd "$S"
	run --separate-stderr -2 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.corim --spdm-nonce abcd
	assert_equal "${stderr%%$'\n'*}" "fwtrail attest check: --spdm-nonce: 'abcd' is not 64 hex digits, or evidence=64 hex digits"
	run --separate-stderr -2 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.corim \
		--spdm-nonce other.spdm=80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb
	assert_equal "${stderr%%$'\n'*}" "fwtrail attest check: --spdm-nonce: 'other.spdm' is not an --evidence file"
	run --separate-stderr -2 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.corim \
		--spdm-nonce "=80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb"
	# the nonce of an event log: not SPDM evidence
	run --separate-stderr -2 fwtrail attest check --evidence evidence/host.log --rim rim/vendor.corim \
		--spdm-nonce evidence/host.log=80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb
	assert_equal "${stderr%%$'\n'*}" "fwtrail attest check: a nonce is given for 'evidence/host.log', which is not SPDM evidence here"
	run --separate-stderr -3 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.corim \
		--spdm-cert "$T/none.pem"
	run --separate-stderr -2 fwtrail audit --policy policy.json --evidence evidence/bmc.spdm --rim rim/vendor.corim \
		--spdm-nonce xyz
	[[ $stderr == *"--spdm-nonce: 'xyz' is not 64 hex digits"* ]]
}

# ---- the server fixture and its policy ----

# policy.json, with "spdm" required and the BMC responder's leaf allowed as
# a vendor key ($T/policy-spdm.json).
spdm_policy() {
	$PY - "$S/policy.json" "$(leaf_fp "$S/evidence/bmc-chain.pem")" "$T/policy-spdm.json" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
r = [x for x in p["rules"] if x["rule"] == "signatures"][0]
r["require"] = sorted(set(r["require"]) | {"spdm"})
r["vendor"].append(sys.argv[2])
json.dump(p, open(sys.argv[3], "w"), indent=2)
EOF
}

# policy.json without "spdm" in require ($T/policy-nospdm.json): where
# unauthenticated evidence is let through, to show what else still fails it.
nospdm_policy() {
	$PY - "$S/policy.json" "$T/policy-nospdm.json" <<'EOF3'
import json, sys
p = json.load(open(sys.argv[1]))
r = [x for x in p["rules"] if x["rule"] == "signatures"][0]
r["require"] = [x for x in r["require"] if x != "spdm"]
json.dump(p, open(sys.argv[2], "w"), indent=2)
EOF3
}

GOOD=(--log "$BATS_TEST_TMPDIR/a.jsonl" --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim
	--sfr sfr/bios-2.0.sfr.jws --sfr sfr/bmc-3.1.sfr.jws --sfr sfr/boot.sfr.jws --trust trust/vendor.pub --sfr-trust trust/reviewer.pub)

rule() { # json-file rule-name -> outcome and reasons, one line
	$PY -c 'import json,sys
[r] = [x for x in json.load(open(sys.argv[1]))["rules"] if x["rule"] == sys.argv[2]]
print(r["outcome"], json.dumps(r["reasons"]))' "$1" "$2"
}

@test "audit, the server: require spdm passes with the BMC's chain and root, fails without the chain, naming the file" {
	cd "$S"
	spdm_policy
	awk '/BEGIN CERT/ { n++ } n == 2' evidence/bmc-chain.pem > "$T/bmcroot.pem"
	run --separate-stderr -0 fwtrail audit --policy "$T/policy-spdm.json" "${GOOD[@]}" --new-log --spdm-trust "$T/bmcroot.pem" \
		--spdm-cert evidence/bmc-chain.pem --spdm-nonce 80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb \
		--at "$AT"
	assert_line --regexp '^pass +signatures'
	run --separate-stderr -1 fwtrail audit --policy "$T/policy-spdm.json" "${GOOD[@]}" --at "$AT" --json
	printf '%s' "$output" > "$T/o.json"
	run -0 rule "$T/o.json" signatures
	assert_output --partial "fail "
	assert_output --partial "'evidence/bmc.spdm' (spdm): signature not verified: unauthenticated: no responder certificate chain given"
	assert_output --partial "no verified spdm signature in the record (required)"
	# a policy that does not require spdm: unauthenticated evidence passes it
	nospdm_policy
	run --separate-stderr -0 fwtrail audit --policy "$T/policy-nospdm.json" "${GOOD[@]}" --at "$AT"
	assert_line --regexp '^pass +signatures'
	# policy.json itself requires it
	run --separate-stderr -1 fwtrail audit --policy policy.json "${GOOD[@]}" --at "$AT"
	assert_line --regexp '^FAIL +signatures'
}

@test "audit, the server: a forged BMC signature fails the signatures rule even when spdm is not required" {
	cd "$S"
	awk '/BEGIN CERT/ { n++ } n == 2' evidence/bmc-chain.pem > "$T/bmcroot.pem"
	$PY -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[-1] ^= 1; open(sys.argv[2], "wb").write(b)' \
		evidence/bmc.spdm "$T/bmc-forged.spdm"
	run --separate-stderr -1 fwtrail audit --policy policy.json --evidence evidence/host.log \
		--evidence "$T/bmc-forged.spdm" --rim rim/vendor.signed.corim --trust trust --trust "$T/bmcroot.pem" \
		--spdm-cert evidence/bmc-chain.pem --at "$AT" --json
	printf '%s' "$output" > "$T/o.json"
	run -0 rule "$T/o.json" signatures
	assert_output --partial "fail "
	assert_output --partial "'$T/bmc-forged.spdm' (spdm): signature not verified: the ES384 signature of the measurements does not verify"
	# the verified leaf is checked against the vendor list: here, the RIM key alone
	$PY -c 'import json, sys
p = json.load(open(sys.argv[1]))
[r] = [x for x in p["rules"] if x["rule"] == "signatures"]
r["vendor"] = r["vendor"][:1]
json.dump(p, open(sys.argv[2], "w"))' policy.json "$T/policy-rim-only.json"
	run --separate-stderr -1 fwtrail audit --policy "$T/policy-rim-only.json" "${GOOD[@]}" --new-log --trust "$T/bmcroot.pem" \
		--spdm-cert evidence/bmc-chain.pem --at "$AT" --json
	printf '%s' "$output" > "$T/o.json"
	run -0 rule "$T/o.json" signatures
	assert_output --partial "'evidence/bmc.spdm' (spdm): signed by key "
	assert_output --partial "which is not an allowed vendor key"
}

@test "audit, the server: stale SPDM evidence without a chain fails the signatures rule even when spdm is not required" {
	cd "$S"
	# the policy does not require spdm, and no chain is given: only the nonce decides
	nospdm_policy
	run --separate-stderr -1 fwtrail audit --policy "$T/policy-nospdm.json" "${GOOD[@]}" --new-log --at "$AT" --json \
		--spdm-nonce 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
	printf '%s' "$output" > "$T/o.json"
	run -0 rule "$T/o.json" signatures
	assert_output --partial "fail "
	assert_output --partial "'evidence/bmc.spdm' (spdm): signature not verified: stale evidence: the request's nonce 80c04061aa1646d6"
	# the nonce it carries: unauthenticated, which this policy lets pass
	run --separate-stderr -0 fwtrail audit --policy "$T/policy-nospdm.json" "${GOOD[@]}" --at "$AT" \
		--spdm-nonce 80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb
	assert_line --regexp '^pass +signatures'
}

# policy.json with require "spdm" and the vendor list the RIM key and
# $1... ($T/policy-v.json; policy.json's own device root left out).
vendor_policy() {
	$PY - "$S/policy.json" "$T/policy-v.json" "$@" <<'EOF2'
import json, sys
p = json.load(open(sys.argv[1]))
r = [x for x in p["rules"] if x["rule"] == "signatures"][0]
r["require"] = sorted(set(r["require"]) | {"spdm"})
r["vendor"] = r["vendor"][:1] + sys.argv[3:]
json.dump(p, open(sys.argv[2], "w"), indent=2)
EOF2
}

# What `fwtrail key export` prints as the fingerprint of $1.
export_fp() {
	fwtrail key export "$1" | sed -n 's/^sha256-fingerprint: //p'
}

@test "audit, the server: the BMC chain's root in the vendor list admits its per-device leaf, when the chain validated" {
	cd "$S"
	awk '/BEGIN CERT/ { n++ } n == 2' evidence/bmc-chain.pem > "$T/bmcroot.pem"
	root=$(export_fp "$T/bmcroot.pem")
	leaf=$(leaf_fp evidence/bmc-chain.pem)
	vendor_policy "$root"
	rm -f "$T/a.jsonl"
	run --separate-stderr -0 fwtrail audit --policy "$T/policy-v.json" "${GOOD[@]}" --new-log --at "$AT" \
		--spdm-cert evidence/bmc-chain.pem --spdm-trust "$T/bmcroot.pem"
	assert_line --regexp '^pass +signatures'
	# the record carries the validated path, leaf to anchor, in the signature and the input
	run --separate-stderr -1 fwtrail attest check --json --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--trust trust --spdm-cert evidence/bmc-chain.pem --spdm-trust "$T/bmcroot.pem" --at "$AT"
	$PY -c 'import json, sys
d = json.load(sys.stdin)
[s] = [s for s in d["signatures"] if s["kind"] == "spdm"]
[i] = [i for i in d["inputs"] if i["kind"] == "spdm"]
assert s["path_fingerprints"] == i["path_fingerprints"] == sys.argv[1:], (s, i)' "$leaf" "$root" <<< "$output"
	# the leaf listed: passes as before
	vendor_policy "$leaf"
	rm -f "$T/a.jsonl"
	run --separate-stderr -0 fwtrail audit --policy "$T/policy-v.json" "${GOOD[@]}" --new-log --at "$AT" \
		--spdm-cert evidence/bmc-chain.pem --spdm-trust "$T/bmcroot.pem"
	assert_line --regexp '^pass +signatures'
}

@test "audit --appraisal, the server: the root listed does not admit a chain that was not validated (no trust given)" {
	cd "$S"
	awk '/BEGIN CERT/ { n++ } n == 2' evidence/bmc-chain.pem > "$T/bmcroot.pem"
	root=$(export_fp "$T/bmcroot.pem")
	leaf=$(leaf_fp evidence/bmc-chain.pem)
	# no trust store at all: the leaf verifies the transcript, its chain is not validated, and no path is recorded
	run --separate-stderr -1 fwtrail attest check --json --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--spdm-cert evidence/bmc-chain.pem --at "$AT"
	printf '%s' "$output" > "$T/rec.json"
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
[s] = [s for s in d["signatures"] if s["kind"] == "spdm"]
assert s["verified"] is True and s["chain_validated"] is False, s
assert not any("path_fingerprints" in e for e in d["signatures"] + d["inputs"]), d' "$T/rec.json"
	printf '{"fwtrail_policy": 1, "rules": [{"rule": "signatures", "require": ["spdm"], "vendor": ["%s"]}]}' "$root" \
		> "$T/p.json"
	run --separate-stderr -1 fwtrail audit --policy "$T/p.json" --appraisal "$T/rec.json" --at "$AT" --json
	printf '%s' "$output" > "$T/o.json"
	run -0 rule "$T/o.json" signatures
	assert_output --partial "fail "
	assert_output --partial "'evidence/bmc.spdm' (spdm): signed by key ${leaf:0:16}... ('evidence/bmc-chain.pem'), which is not an allowed vendor key\""
	# the leaf listed: the SPDM signature passes the vendor check (the unverified RIM still fails the rule)
	printf '{"fwtrail_policy": 1, "rules": [{"rule": "signatures", "require": ["spdm"], "vendor": ["%s"]}]}' "$leaf" \
		> "$T/p.json"
	run --separate-stderr -1 fwtrail audit --policy "$T/p.json" --appraisal "$T/rec.json" --at "$AT" --json
	printf '%s' "$output" > "$T/o.json"
	run -0 rule "$T/o.json" signatures
	refute_output --partial "'evidence/bmc.spdm'"
}

@test "audit, the server: a vendor CA appended to the chain file but not on the validated path admits nothing" {
	cd "$S"
	awk '/BEGIN CERT/ { n++ } n == 2' evidence/bmc-chain.pem > "$T/bmcroot.pem"
	cat evidence/bmc-chain.pem "$SP/other-root.pem" > "$T/chain+ca.pem"
	vendor_policy "$(export_fp "$SP/other-root.pem")"
	root=$(export_fp "$T/bmcroot.pem")
	# the other CA trusted too: the path OpenSSL builds still ends at the BMC's root
	for trust in "$T/bmcroot.pem" "$T/roots.pem"; do
		cat "$T/bmcroot.pem" "$SP/other-root.pem" > "$T/roots.pem"
		rm -f "$T/a.jsonl"
		run --separate-stderr -1 fwtrail audit --policy "$T/policy-v.json" "${GOOD[@]}" --new-log --at "$AT" --json \
			--spdm-cert "$T/chain+ca.pem" --spdm-trust "$trust"
		printf '%s' "$output" > "$T/o.json"
		run -0 rule "$T/o.json" signatures
		assert_output --partial "fail "
		assert_output --partial "which is not an allowed vendor key, nor is any certificate of its validated chain (anchor ${root:0:16}...)"
	done
}

@test "audit --appraisal: the record of attest check carries the SPDM verdict to the policy" {
	h100_setup
	# require a RIM and an SPDM signature, by the RIM key and the H100's leaf
	$PY - "$T/p.json" "$S/trust/vendor.pub" "$NV/hopperCertChain.txt" <<'EOF'
import hashlib, json, sys
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_public_key, Encoding, PublicFormat
spki = lambda k: hashlib.sha256(k.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)).hexdigest()
rim = spki(load_pem_public_key(open(sys.argv[2], "rb").read()))
leaf = spki(x509.load_pem_x509_certificate(open(sys.argv[3], "rb").read()).public_key())
json.dump({"fwtrail_policy": 1, "rules": [{"rule": "signatures", "require": ["rim", "spdm"], "vendor": [rim, leaf]},
                                          {"rule": "measurements"}]}, open(sys.argv[1], "w"))
EOF
	fwtrail attest check --json "${BASE[@]}" --spdm-cert "$NV/hopperCertChain.txt" > "$T/good.json"
	run --separate-stderr -0 fwtrail audit --policy "$T/p.json" --appraisal "$T/good.json" --at "$AT"
	assert_line --regexp '^pass +signatures'
	assert_line --regexp '^pass +measurements'
	fwtrail attest check --json "${BASE[@]}" > "$T/unauth.json"
	run --separate-stderr -1 fwtrail audit --policy "$T/p.json" --appraisal "$T/unauth.json" --at "$AT"
	assert_line --regexp '^FAIL +signatures'
	assert_output --partial "'$H100' (spdm): signature not verified: unauthenticated: no responder certificate chain given"
}

# ---- signer roles: a device's own key never signs its reference values ----

BMC_NONCE=80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb

# Keys and certificates in $T (scripts/gen-spdm.py derives the BMC chain's
# keys from fixed labels, so its responder key can be had): bmcroot.pem;
# leaf.key.pem, the BMC responder's key (leaf.pem its certificate); other.*,
# another leaf under the SPDM root; rimca.pem and eku.*, a RIM signer CA
# and a leaf it issued with the DMTF SPDM responder EKU.
roles_keys() {
	awk '/BEGIN CERT/ { n++ } n == 1' "$S/evidence/bmc-chain.pem" > "$T/leaf.pem"
	awk '/BEGIN CERT/ { n++ } n == 2' "$S/evidence/bmc-chain.pem" > "$T/bmcroot.pem"
	$PY - "$ROOT/scripts/gen-spdm.py" "$T" <<'EOF'
import datetime, importlib.util, sys
from cryptography import x509
from cryptography.x509.oid import NameOID, ObjectIdentifier
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
spec = importlib.util.spec_from_file_location("gsp", sys.argv[1])
gsp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gsp)
out = sys.argv[2]
def save_key(k, name):
    open(f"{out}/{name}", "wb").write(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
def cert(cn, pub, issuer, issuer_key, ca, eku=None):
    n = lambda c: x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fwtrail tests"),
                             x509.NameAttribute(NameOID.COMMON_NAME, c)])
    b = (x509.CertificateBuilder().subject_name(n(cn)).issuer_name(n(issuer)).public_key(pub)
         .serial_number(x509.random_serial_number()).not_valid_before(datetime.datetime(2024, 1, 1))
         .not_valid_after(datetime.datetime(2049, 1, 1))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                                      encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False))
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage([ObjectIdentifier(eku)]), critical=False)
    return b.sign(issuer_key, hashes.SHA384()).public_bytes(serialization.Encoding.PEM)
root = gsp.Key("fwtrail spdm test root").priv
save_key(gsp.Key("fwtrail spdm test responder").priv, "leaf.key.pem")
other = ec.generate_private_key(ec.SECP384R1())
save_key(other, "other.key.pem")
open(f"{out}/other.pem", "wb").write(cert("another responder", other.public_key(), "fwtrail test SPDM root", root, False))
ca, eku = ec.generate_private_key(ec.SECP384R1()), ec.generate_private_key(ec.SECP384R1())
open(f"{out}/rimca.pem", "wb").write(cert("RIM CA", ca.public_key(), "RIM CA", ca, True))
save_key(eku, "eku.key.pem")
open(f"{out}/eku.pem", "wb").write(cert("device with an SPDM EKU", eku.public_key(), "RIM CA", ca, False,
                                        "1.3.6.1.4.1.412.274.3"))
EOF
}

# A SWID RIM whose reference values are the measurements of evidence $1,
# signed with key $2 and certificate $3 by xmlsec1, in $4.
swid_of() {
	local d
	d=($(fwtrail --json spdm show "$1" | jq -r '.blocks[].digest'))
	cat > "$T/tmpl.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<SoftwareIdentity xmlns="http://standards.iso.org/iso/19770/-2/2015/schema.xsd" xmlns:h="http://www.w3.org/2001/04/xmlenc#sha384" name="X1 server" tagId="self-signed" version="3.1" tagVersion="0" corpus="false" patch="false" supplemental="false"><Entity name="ACME" role="softwareCreator tagCreator"/><Payload><Resource type="Measurement" index="0" active="True" alternatives="1" h:Hash0="${d[0]}" name="rom" size="48"/><Resource type="Measurement" index="1" active="True" alternatives="1" h:Hash0="${d[1]}" name="fw" size="48"/><Resource type="Measurement" index="2" active="True" alternatives="1" h:Hash0="${d[2]}" name="hw" size="48"/><Resource type="Measurement" index="3" active="True" alternatives="1" h:Hash0="${d[3]}" name="cfg" size="48"/></Payload><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#sha384"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate></ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature></SoftwareIdentity>
XML
	xmlsec1 --sign --privkey-pem "$2,$3" --output "$4" "$T/tmpl.xml" 2>/dev/null
}

@test "roles: a SWID RIM signed by the attested BMC's own SPDM key is refused (1), with or without --spdm-trust" {
	command -v xmlsec1 >/dev/null || skip "xmlsec1 not installed"
	roles_keys
	swid_of "$S/evidence/bmc-tampered.spdm" "$T/leaf.key.pem" "$T/leaf.pem" "$T/forged.swidtag"
	why="rim '$T/forged.swidtag': not verified: signed by 'O = fwtrail tests, CN = fwtrail test SPDM responder', a key of the SPDM responder chain '$S/evidence/bmc-chain.pem': a device's own key does not sign reference values (its references are not used)"
	# the man page's old advice: the device root in --trust beside the vendor key
	run --separate-stderr -1 fwtrail attest check --evidence "$S/evidence/bmc-tampered.spdm" --rim "$T/forged.swidtag" \
		--spdm-cert "$S/evidence/bmc-chain.pem" --trust "$T/bmcroot.pem" --trust "$S/trust/vendor.pub" \
		--spdm-nonce "$BMC_NONCE" --at "$AT"
	assert_line "$why"
	assert_line 'NOT OK: 4 components: 0 match, 0 mismatch, 4 unknown, 0 missing; 0 reviewed, 4 unreviewed'
	[[ $stderr == "fwtrail attest check: warning: --trust anchors both the SPDM device chains and the RIM and SFR signers"* ]]
	# the device root where it belongs
	run --separate-stderr -1 fwtrail attest check --evidence "$S/evidence/bmc-tampered.spdm" --rim "$T/forged.swidtag" \
		--spdm-cert "$S/evidence/bmc-chain.pem" --spdm-trust "$T/bmcroot.pem" --trust "$S/trust/vendor.pub" \
		--spdm-nonce "$BMC_NONCE" --at "$AT"
	assert_line "$why"
	assert_equal "$stderr" "fwtrail attest check: not ok: 4 unknown, 1 RIM not verified (of 4 components)"
	# audit takes the same inputs and decides the same
	run --separate-stderr -1 fwtrail audit --policy "$S/policy.json" --evidence "$S/evidence/bmc-tampered.spdm" \
		--rim "$T/forged.swidtag" --spdm-cert "$S/evidence/bmc-chain.pem" --spdm-trust "$T/bmcroot.pem" \
		--trust "$S/trust/vendor.pub" --spdm-nonce "$BMC_NONCE" --at "$AT" --json
	printf '%s' "$output" > "$T/o.json"
	run -0 rule "$T/o.json" signatures
	assert_output --partial "fail "
	assert_output --partial "(rim): signature not verified: signed by 'O = fwtrail tests, CN = fwtrail test SPDM responder', a key of the SPDM responder chain"
	# the genuine case still passes: the BMC's measurements against the vendor's CoRIM, with the host's log
	run --separate-stderr -0 fwtrail attest check --evidence "$S/evidence/host.log" --evidence "$S/evidence/bmc.spdm" \
		--rim "$S/rim/vendor.signed.corim" --spdm-cert "$S/evidence/bmc-chain.pem" --spdm-trust "$T/bmcroot.pem" \
		--trust "$S/trust/vendor.pub" --spdm-nonce "$BMC_NONCE" --at "$AT"
	assert_line --partial "chain validated; nonce as expected"
	assert_line --regexp '^ok: '
	assert_equal "$stderr" ""
}

@test "roles: another key under the SPDM root, or a certificate with the SPDM EKU, signs no RIM (1)" {
	command -v xmlsec1 >/dev/null || skip "xmlsec1 not installed"
	roles_keys
	# a leaf of the device PKI that is not in the chain given: it chains to an --spdm-trust root only
	swid_of "$S/evidence/bmc-tampered.spdm" "$T/other.key.pem" "$T/other.pem" "$T/other.swidtag"
	run --separate-stderr -1 fwtrail attest check --evidence "$S/evidence/bmc-tampered.spdm" --rim "$T/other.swidtag" \
		--spdm-cert "$S/evidence/bmc-chain.pem" --spdm-trust "$T/bmcroot.pem" --trust "$S/trust/vendor.pub" \
		--trust "$T/rimca.pem" --at "$AT"
	assert_line "rim '$T/other.swidtag': not verified: signed by 'O = fwtrail tests, CN = another responder', whose certificate chains to an SPDM device root and not to a trusted RIM or SFR signer: a device's identity does not sign reference values (its references are not used)"
	# a certificate for SPDM responder authentication, issued by a trusted RIM CA: still a device
	swid_of "$S/evidence/bmc-tampered.spdm" "$T/eku.key.pem" "$T/eku.pem" "$T/eku.swidtag"
	run --separate-stderr -1 fwtrail attest check --evidence "$S/evidence/bmc-tampered.spdm" --rim "$T/eku.swidtag" \
		--trust "$T/rimca.pem" --at "$AT"
	assert_line "rim '$T/eku.swidtag': not verified: signed by 'O = fwtrail tests, CN = device with an SPDM EKU', whose certificate is an SPDM device identity (DMTF SPDM extended key usage): a device's own key does not sign reference values (its references are not used)"
	# the same CA's signer without the EKU is a RIM signer: the tampered measurements then match
	run --separate-stderr -0 fwtrail attest check --evidence "$S/evidence/bmc-tampered.spdm" --rim "$T/other.swidtag" \
		--trust "$T/bmcroot.pem" --at "$AT"
	assert_line --regexp '^ok: 4 components: 4 match'
}

@test "roles: the library wants the SPDM chains before the RIMs whose signers it checks" {
	roles_keys
	# attest check adds them first whatever the order on the command line
	run --separate-stderr -0 fwtrail attest check --rim "$S/rim/vendor.signed.corim" --evidence "$S/evidence/host.log" \
		--evidence "$S/evidence/bmc.spdm" --trust "$S/trust/vendor.pub" --spdm-nonce "$BMC_NONCE" \
		--spdm-trust "$T/bmcroot.pem" --spdm-cert "$S/evidence/bmc-chain.pem" --at "$AT"
	assert_line --partial "chain validated; nonce as expected"
}

@test "roles: with --sfr-trust a review signer defines no good firmware, nor a vendor its own review" {
	roles_keys
	local common=(--spdm-cert "$S/evidence/bmc-chain.pem" --spdm-trust "$T/bmcroot.pem" --spdm-nonce "$BMC_NONCE"
		--at "$AT")
	# the reviewer's key signs the tampered BMC's digests as a RIM
	fwtrail rim create --vendor ACME --model 'X1 server' --from-spdm "$S/evidence/bmc-tampered.spdm" -o "$T/r.corim"
	fwtrail rim sign --key "$S/keys/reviewer.pem" --signer 'ACME Firmware Signing' --not-before 2026-01-01 \
		--not-after 2035-01-01 -o "$T/r.signed.corim" "$T/r.corim"
	# one store for both roles: it is believed, and a warning says why it can be
	run --separate-stderr -0 fwtrail attest check --evidence "$S/evidence/bmc-tampered.spdm" --rim "$T/r.signed.corim" \
		--sfr "$S/sfr/bmc-3.1.sfr.jws" --trust "$S/trust" "${common[@]}"
	assert_line --regexp '^ok: 4 components: 4 match'
	[[ $stderr == *"warning: --trust vouches for both the RIM signers and the SFR (review) signers: give the review signers with --sfr-trust"* ]]
	# the roles apart: the reviewer's RIM is not verified, the tampered firmware is not ok
	run --separate-stderr -1 fwtrail attest check --evidence "$S/evidence/bmc-tampered.spdm" --rim "$T/r.signed.corim" \
		--sfr "$S/sfr/bmc-3.1.sfr.jws" --trust "$S/trust/vendor.pub" --sfr-trust "$S/trust/reviewer.pub" "${common[@]}"
	assert_line --partial "rim '$T/r.signed.corim': not verified"
	refute_line --partial 'warning:'
	[[ $stderr != *warning* ]]
	# the vendor signs a "review" of its own firmware: not a review with the roles apart
	fwtrail sfr sign --key "$S/keys/vendor.pem" --kid 'Road Runner Audits' -o "$T/self.jws" "$S/sfr/bmc-3.1.unsigned.json"
	local ev=(--evidence "$S/evidence/bmc.spdm" --evidence "$S/evidence/host.log" --rim "$S/rim/vendor.signed.corim")
	run --separate-stderr fwtrail attest check --json "${ev[@]}" --sfr "$T/self.jws" --trust "$S/trust/vendor.pub" \
		--sfr-trust "$S/trust/reviewer.pub" "${common[@]}"
	$PY -c 'import json,sys; s = json.loads(sys.argv[1])["summary"]; assert s["reviewed"] == 0 and s["match"] > 0, s' "$output"
	# the real review, by the reviewer, still counts
	run --separate-stderr -0 fwtrail attest check --json "${ev[@]}" --sfr "$S/sfr/bmc-3.1.sfr.jws" \
		--trust "$S/trust/vendor.pub" --sfr-trust "$S/trust/reviewer.pub" "${common[@]}"
	$PY -c 'import json,sys; s = json.loads(sys.argv[1])["summary"]; assert s["reviewed"] > 0, s' "$output"
}

@test "roles: an OCP SAFE SFR given as a RIM is a review, not reference values (1)" {
	roles_keys
	# the SFR in its CoRIM form, signed by the vendor key that --trust holds for RIMs
	fwtrail sfr create --from "$S/sfr/bmc-3.1.unsigned.json" --format corim -o "$T/sfr.corim"
	fwtrail rim sign --key "$S/keys/vendor.pem" --signer 'ACME Firmware Signing' -o "$T/sfr.signed.corim" "$T/sfr.corim"
	run --separate-stderr -1 fwtrail attest check --evidence "$S/evidence/bmc.spdm" --rim "$T/sfr.signed.corim" \
		--trust "$S/trust/vendor.pub" --spdm-cert "$S/evidence/bmc-chain.pem" --spdm-trust "$T/bmcroot.pem" \
		--spdm-nonce "$BMC_NONCE" --at "$AT"
	assert_line "rim '$T/sfr.signed.corim': not verified: an OCP SAFE SFR (the CoRIM's profile), not reference values: give it with --sfr (its references are not used)"
}

@test "a RIM digest whose algorithm is given by name (\"sha-384\") is that algorithm: a second value under it is a conflict" {
	# the CoRIM CDDL allows digest = [alg: int / text, val]: "sha-384" is 7
	# is -43; one RIM giving index 1 the device's digest under 7 and another
	# value under "sha-384" disagrees with itself, as it does under -43
	$PY - "$SP/spdm12.bin" "$TESTDATA/rim/keys/ec-p384.pem" "$T" <<'PY'
import cbor2, subprocess, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
T = cbor2.CBORTag
key = serialization.load_pem_private_key(open(sys.argv[2], "rb").read(), None)
out = sys.argv[3]
blocks = [bytes.fromhex(x) for x in (
    "178d5dc3201bb088b629243619203297524f08e549654fad3fa9c68d3f5af501e23bbc40e5ce7b71391f9088c4140061",
    "bc14b13a3096b7a38c8c10dd327f131391ba4ebb5bde0da3a800edb75cf986675e185fd9ecf559013934fa1f1ab81230")]
def signed(second, cid):
    ms = [{0: i + 1, 1: {2: [[7, b]]}} for i, b in enumerate(blocks)]
    if second is not None:
        ms[0][1][2].append([second, b"\xab" * 48])
    comid = {1: {0: "tag-" + cid}, 4: {0: [[{0: {1: "ACME", 2: "DEV"}}, ms]]}}
    payload = cbor2.dumps(T(501, {0: cid, 1: [T(506, cbor2.dumps(comid, canonical=True))]}), canonical=True)
    meta = cbor2.dumps({0: {0: "ACME Firmware Signing"}, 1: {0: T(1, 1767225600), 1: T(1, 2082758400)}}, canonical=True)
    prot = cbor2.dumps({1: -35, 3: "application/rim+cbor", 8: meta}, canonical=True)
    r, s = decode_dss_signature(key.sign(cbor2.dumps(["Signature1", prot, b"", payload]), ec.ECDSA(hashes.SHA384())))
    open("%s/%s.corim" % (out, cid), "wb").write(
        cbor2.dumps(T(18, [prot, {}, payload, r.to_bytes(48, "big") + s.to_bytes(48, "big")])))
signed(None, "plain")
signed(-43, "cose-id")
signed("sha-384", "named")
PY
	local args=(--key "$TESTDATA/rim/keys/ec-p384.pub" -e "$SP/spdm12.bin" --spdm-cert "$SP/chain.pem" --spdm-trust "$SP/root.pem" --at 2027-01-01T00:00:00Z)
	# blocks 1 and 2 match; the others have no reference (unknown): not ok
	# either way, so the conflict lines decide
	run -1 fwtrail attest check "${args[@]}" --rim "$T/plain.corim"
	refute_output --partial "conflict"
	assert_line --regexp '^spdm +1 .* match '
	run -1 fwtrail attest check "${args[@]}" --rim "$T/cose-id.corim"
	assert_line "conflict: RIM '$T/cose-id.corim' gives two different sha384 references for SPDM index 1"
	run -1 fwtrail attest check "${args[@]}" --rim "$T/named.corim"
	assert_line "conflict: RIM '$T/named.corim' gives two different sha384 references for SPDM index 1"
	# and rim show names it as the algorithm it is
	run -0 fwtrail rim show --json "$T/named.corim"
	$PY -c 'import json,sys; d=json.load(sys.stdin); s=json.dumps(d); assert "\"alg\": \"sha-384\"" in s and "alg(" not in s, s' <<< "$output"
}

# Each SPDM block was compared with every reference of its index (64001
# references for index 1 against 4000 devices: 19 s).  The references an index can compare with are a range, marked
# "seen" once, and the matching one is found by binary search.  Review
# round 18.
@test "many references for one SPDM index against many devices: in seconds" {
	skip_if_sanitized "timing"
	$PY - "$T" <<'EOF'
import base64, cbor2, hashlib, json, os, sys
T = cbor2.CBORTag
out = sys.argv[1]
for r in range(8):  # 8 x 8000 references for index 1 (a CoMID holds at most 262144 CBOR items)
    meas = [{0: 1, 1: {2: [[-43, hashlib.sha384(b"r%d.%d" % (r, i)).digest()]]}} for i in range(8000)]
    if r == 7:
        meas.append({0: 1, 1: {2: [[-43, hashlib.sha384(b"e7").digest()]]}})  # device 7's image
    comid = {1: {0: "tag%d" % r}, 4: {0: [[{0: {1: "ACME", 2: "X1"}}, meas]]}}
    open("%s/r%d.corim" % (out, r), "wb").write(cbor2.dumps(T(501, {0: "c%d" % r, 1: [T(506, cbor2.dumps(comid))]})))
os.makedirs(out + "/ev")
for e in range(4000):
    m = [{"Measurement": base64.b64encode(hashlib.sha384(b"e%d" % e).digest()).decode(),
          "MeasurementHashAlgorithm": "TPM_ALG_SHA_384", "MeasurementIndex": 1, "MeasurementType": "MutableFirmware"}]
    json.dump({"ComponentIntegrityType": "SPDM", "Id": "e%d" % e,
               "SPDM": {"MeasurementSet": {"MeasurementSpecification": "DMTF", "Measurements": m}}},
              open("%s/ev/e%d.json" % (out, e), "w"))
EOF
	args=()
	for e in $(seq 0 3999); do args+=(--evidence "$T/ev/e$e.json"); done
	for r in $(seq 0 7); do args+=(--rim "$T/r$r.corim"); done
	run --separate-stderr -1 timeout 8 "$FWTRAIL" attest check --json "${args[@]}"
	$PY -c 'import json, sys
d = json.loads(sys.stdin.read())
s = d["summary"]
assert (s["components"], s["match"], s["mismatch"], s["missing"]) == (4000, 1, 3999, 0), s
[m] = [c for c in d["components"] if c["status"] == "match"]
assert m["evidence"].endswith("/ev/e7.json") and m["reference"]["key"] == "1" and m["reference"]["rim"].endswith("r7.corim"), m
# a mismatch stands against the first reference of the index
assert all(c["reference"]["digest"] == d["components"][0]["reference"]["digest"] for c in d["components"] if c["status"] == "mismatch")
' <<<"$output"
}

@test "a RIM whose reference asks more than a digest, names one device, or has an unknown profile matches nothing" {
	K="$TESTDATA/rim/keys"
	fwtrail -q rim create --vendor ACME --model DEV --from-spdm "$SP/spdm12.bin" -o "$T/gold.corim"
	A=(-e "$SP/spdm12.bin" --spdm-cert "$SP/chain.pem" --spdm-trust "$SP/root.pem" --trust "$K/ec-p384.pub")
	fwtrail -q rim sign --key "$K/ec-p384.pem" --signer t --not-after 2030-01-01 -o "$T/s-gold.corim" "$T/gold.corim"
	run --separate-stderr -0 fwtrail attest check "${A[@]}" -r "$T/s-gold.corim"
	# each variant of the golden RIM, signed by the same trusted key
	$PY - "$T/gold.corim" "$T" <<'PY'
import cbor2, sys
src, out = sys.argv[1], sys.argv[2]
def variant(name, edit):
    g = cbor2.loads(open(src, "rb").read())
    cm = cbor2.loads(g.value[1][0].value)
    edit(g, cm)
    g.value[1] = [cbor2.CBORTag(506, cbor2.dumps(cm))]
    open("%s/%s.corim" % (out, name), "wb").write(cbor2.dumps(g))
ms = lambda cm: cm[4][0][0][1]
# index 2 good only if configured and not in debug mode
variant("flags", lambda g, cm: ms(cm)[1][1].__setitem__(3, {0: True, 3: False}))
# the environment narrowed to one device (a UEID)
variant("instance", lambda g, cm: cm[4][0][0][0].__setitem__(1, cbor2.CBORTag(550, b"\x01" + b"\x22" * 16)))
# a profile fwtrail does not know
variant("profile", lambda g, cm: g.value.__setitem__(3, cbor2.CBORTag(111, bytes.fromhex("2b0601040182379901"))))
PY
	for v in flags instance profile; do
		fwtrail -q rim sign --key "$K/ec-p384.pem" --signer t --not-after 2030-01-01 -o "$T/s-$v.corim" "$T/$v.corim"
		run --separate-stderr -1 fwtrail attest check "${A[@]}" -r "$T/s-$v.corim"
		assert_line --partial "NOT OK"
	done
	run --separate-stderr -1 fwtrail attest check --json "${A[@]}" -r "$T/s-flags.corim"
	$PY -c 'import json,sys; o=json.load(sys.stdin); r=[u["reason"] for u in o["unverifiable"]]; assert r == ["the RIM'"'"'s reference for SPDM index 2 also requires flags, which fwtrail cannot compare with the evidence"], r' <<< "$output"
	run --separate-stderr -1 fwtrail attest check --json "${A[@]}" -r "$T/s-instance.corim"
	$PY -c 'import json,sys; o=json.load(sys.stdin); r={u["reason"] for u in o["unverifiable"]}; assert all("also requires one device instance" in x for x in r) and r, r' <<< "$output"
	run --separate-stderr -1 fwtrail attest check --json "${A[@]}" -r "$T/s-profile.corim"
	$PY -c 'import json,sys; o=json.load(sys.stdin); s=[x for x in o["signatures"] if x["kind"]=="rim"][0]; assert s["error"].startswith("a CoRIM profile fwtrail does not know ("), s' <<< "$output"
}

@test "a RIM of an unknown CoRIM profile is never used, even without --trust: its events unknown, not ok (exit 1)" {
	fwtrail -q rim create --vendor ACME --model DEV --from-spdm "$SP/spdm12.bin" -o "$T/gold.corim"
	$PY - "$T/gold.corim" "$T/oid.corim" <<'PY'
import cbor2, sys
g = cbor2.loads(open(sys.argv[1], "rb").read())
g.value[3] = cbor2.CBORTag(111, bytes.fromhex("2a030405"))
open(sys.argv[2], "wb").write(cbor2.dumps(g))
PY
	run --separate-stderr -0 fwtrail attest check -e "$SP/spdm12.bin" -r "$T/gold.corim"
	run --separate-stderr -1 fwtrail attest check -e "$SP/spdm12.bin" -r "$T/oid.corim"
	assert_line "rim '$T/oid.corim': not verified: a CoRIM profile fwtrail does not know ('1.2.3.4.5'), which may give its claims other meanings (its references are not used)"
	assert_line --regexp '^NOT OK: [0-9]+ components: 0 match, 0 mismatch, [0-9]+ unknown, 0 missing'
	[ "$(grep -c 'not used' <<<"$output")" -eq 1 ]
	# with a trust store: the same, the reason said once
	run --separate-stderr -1 fwtrail attest check -e "$SP/spdm12.bin" -r "$T/oid.corim" --trust "$S/trust/vendor.pub"
	assert_line "rim '$T/oid.corim': not verified: a CoRIM profile fwtrail does not know ('1.2.3.4.5'), which may give its claims other meanings (its references are not used)"
	run --separate-stderr -1 fwtrail attest check --json -e "$SP/spdm12.bin" -r "$T/oid.corim"
	$PY -c 'import json,sys; o=json.load(sys.stdin); s=[x for x in o["signatures"] if x["kind"]=="rim"][0]; assert s["used"] is False and o["ok"] is False, s; assert all(c["status"] == "unknown" for c in o["components"]), o["components"]' <<< "$output"
}

@test "one device's signed evidence given for two devices: the second is not verified, naming the first (exit 1)" {
	fwtrail -q rim create --vendor ACME --model DEV --from-spdm "$SP/spdm12.bin" -o "$T/gold.corim"
	fwtrail rim sign --key "$S/keys/vendor.pem" --signer "ACME test" --not-before 2024-01-01 --not-after 2036-01-01 \
		-o "$T/gold.signed.corim" "$T/gold.corim"
	mkdir -p "$T/gpu0" "$T/gpu1"
	cp "$SP/spdm12.bin" "$T/gpu0/ev.bin"
	cp "$SP/spdm12.bin" "$T/gpu1/ev.bin"
	N=$($PY -c "import json;print(json.load(open('$SP/expected.json'))['spdm12.bin']['request_nonce'])")
	A=(--rim "$T/gold.signed.corim" --trust "$S/trust/vendor.pub" --spdm-cert "$SP/chain.pem" --spdm-trust "$SP/root.pem"
		--spdm-nonce "$N")
	run --separate-stderr -0 fwtrail attest check --evidence "$T/gpu0/ev.bin" "${A[@]}"
	run --separate-stderr -1 fwtrail attest check --evidence "$T/gpu0/ev.bin" --evidence "$T/gpu1/ev.bin" "${A[@]}"
	assert_line --partial "spdm '$T/gpu0/ev.bin': signature verified with"
	assert_line "spdm '$T/gpu1/ev.bin': signature NOT verified: signed by the same responder key as '$T/gpu0/ev.bin': one device's evidence cannot stand in for another's: give one evidence per device"
	assert_line --regexp '^NOT OK: '
	[[ $stderr == *"not ok: 1 SPDM signature not verified"* ]] || fail "$stderr"
	run --separate-stderr -1 fwtrail attest check --json --evidence "$T/gpu0/ev.bin" --evidence "$T/gpu1/ev.bin" "${A[@]}"
	$PY -c 'import json,sys; o=json.load(sys.stdin); s=[x for x in o["signatures"] if x["kind"]=="spdm"]; assert [x["authentication"] for x in s] == ["verified", "failed"], s; assert s[1]["signature_checked"] is True and s[1]["fingerprint"] is None and o["ok"] is False, s' <<< "$output"
}
