#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail audit straight from the inputs of attest check, on the synthetic
# server of testdata/server: the same verdicts as through --appraisal, each
# rule failing on the tampered variants, the log across runs, and audit
# agreeing with attest check about what is not ok.

load helpers

S="$TESTDATA/server"
AT=2026-11-01T00:00:00Z

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$S"
}

# the BMC's SPDM evidence authenticated, as policy.json requires
GOOD=(--evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim
	--sfr sfr/bios-2.0.sfr.jws --sfr sfr/bmc-3.1.sfr.jws --sfr sfr/boot.sfr.jws --trust trust
	--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem)

# audit_bmc_review SFR: the server's policy over its evidence with SFR as
# the BMC's review (the BIOS and boot reviews beside it), a no expected;
# the JSON result in $T/o.json
audit_bmc_review() {
	run --separate-stderr -1 fwtrail audit --policy policy.json --evidence evidence/host.log --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --sfr sfr/bios-2.0.sfr.jws --sfr "$1" --sfr sfr/boot.sfr.jws --trust trust \
		--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem --at "$AT" --json
	printf '%s' "$output" > "$T/o.json"
}

rule_outcome() { # json-file rule-id-or-name -> outcome
	$PY -c 'import json,sys
r=[x for x in json.load(open(sys.argv[1]))["rules"] if x.get("id")==sys.argv[2] or x["rule"]==sys.argv[2]]
print(r[0]["outcome"])' "$1" "$2"
}

@test "the untouched server passes its policy, with a warning for a high CVSS (exit 0)" {
	run --separate-stderr -0 fwtrail audit --policy policy.json "${GOOD[@]}" --at "$AT" --log "$T/a.jsonl" --new-log
	assert_line --regexp '^pass +measurements'
	assert_line --regexp '^pass +review-coverage'
	assert_line --regexp '^warn +no-high \(max-cvss\)'
	assert_line --regexp '^verdict: warn \(0 failed, 1 warned, [0-9]+ passed\)$'
	[ "$(grep -c '^verdict:' <<<"$output")" -eq 1 ]
}

@test "direct inputs and --appraisal of attest check --json give the same outcomes" {
	fwtrail audit --policy policy.json "${GOOD[@]}" --at "$AT" --json --log "$T/1.jsonl" --new-log > "$T/direct.json"
	fwtrail attest check --json "${GOOD[@]}" --at "$AT" > "$T/rec.json"
	fwtrail audit --policy policy.json --appraisal "$T/rec.json" --at "$AT" --json --log "$T/2.jsonl" --new-log > "$T/file.json"
	run -0 $PY -c 'import json,sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
strip = lambda o: [(r["rule"], r.get("id"), r["outcome"], r["reasons"]) for r in o["rules"]]
assert strip(a) == strip(b), (strip(a), strip(b))
assert a["verdict"] == b["verdict"] == "warn"
assert a["appraisal"] is None and b["appraisal"].endswith("rec.json")' "$T/direct.json" "$T/file.json"
}

@test "warn rules that lack what they need fail: max-cvss without an SFR, rollback without a log (exit 1)" {
	# the BMC's evidence and the vendor's RIM only: no SFR reviewed anything
	run --separate-stderr -1 fwtrail attest check --json --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub
	printf '%s' "$output" > "$T/app.json"
	echo '{"fwtrail_policy":1,"rules":[{"rule":"max-cvss","level":"warn","threshold":7.0},{"rule":"rollback","level":"warn"}]}' > "$T/p.json"
	run --separate-stderr -1 fwtrail audit --policy "$T/p.json" --appraisal "$T/app.json"
	assert_line "FAIL  max-cvss (level warn, failed: the record lacks what the rule needs)"
	assert_line "      no SFR in the record: no measured component is reviewed"
	assert_line "FAIL  rollback (level warn, failed: the record lacks what the rule needs)"
	assert_line "      no audit log to compare with: rollback needs --log"
	assert_line "verdict: fail (2 failed, 0 warned, 0 passed)"
	assert_equal "$stderr" "fwtrail audit: policy '$T/p.json' not satisfied: rules 'max-cvss', 'rollback' failed"
	# and the same piped from attest check, the record read from standard input
	run --separate-stderr -1 bash -c '"$FWTRAIL" attest check --json --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub | "$FWTRAIL" audit --policy "$1" --appraisal -' _ "$T/p.json"
	[[ ${lines[0]} == "audit of '-' against policy '$T/p.json' at "* ]] || fail "${lines[0]}"
	assert_line "verdict: fail (2 failed, 0 warned, 0 passed)"
}

@test "attest check piped into audit --appraisal -: the same outcomes as from a file" {
	fwtrail attest check --json "${GOOD[@]}" --at "$AT" > "$T/rec.json"
	fwtrail audit --policy policy.json --appraisal "$T/rec.json" --at "$AT" --json --log "$T/1.jsonl" --new-log > "$T/file.json"
	run -0 bash -c '"$FWTRAIL" attest check --json "${@:3}" --at "$1" | "$FWTRAIL" audit --policy policy.json \
		--appraisal - --at "$1" --json --log "$2" --new-log > "$2.out"' _ "$AT" "$T/2.jsonl" "${GOOD[@]}"
	run -0 $PY -c 'import json,sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda o: [(r["rule"], r.get("id"), r["outcome"], r["reasons"]) for r in o["rules"]]
assert strip(a) == strip(b) and a["verdict"] == b["verdict"] == "warn", (strip(a), strip(b))
assert b["appraisal"] == "-", b["appraisal"]
# the log holds the digest of the bytes attest check wrote
rec = json.loads(open(sys.argv[3]).readline())
import hashlib
assert rec["inputs"][0]["path"] == "-" and rec["inputs"][0]["kind"] == "appraisal", rec["inputs"][0]
assert rec["inputs"][0]["sha256"] == hashlib.sha256(open(sys.argv[4], "rb").read()).hexdigest()' \
		"$T/file.json" "$T/2.jsonl.out" "$T/2.jsonl" "$T/rec.json"
}

@test "a changed BMC image fails measurements and review coverage (exit 1)" {
	run --separate-stderr -1 fwtrail audit --policy policy.json --evidence evidence/host.log \
		--evidence evidence/bmc-tampered.spdm --rim rim/vendor.signed.corim \
		--sfr sfr/bios-2.0.sfr.jws --sfr sfr/bmc-3.1.sfr.jws --trust trust --at "$AT" --json \
		--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem
	printf '%s' "$output" > "$T/o.json"
	[ "$(rule_outcome "$T/o.json" measurements)" = fail ]
	[ "$(rule_outcome "$T/o.json" review-coverage)" = fail ]
	[ "$(rule_outcome "$T/o.json" signatures)" = pass ]
	[[ $stderr == *"not satisfied"* ]]
}

@test "the policy requires authenticated SPDM: unsigned or chainless BMC evidence fails signatures, golden digests or not" {
	# a GET_MEASUREMENTS that asks for no signature and reports the
	# published digests: what a compromised BMC that stops signing says
	$PY - "$T/unsigned.spdm" <<'PY'
import hashlib, struct, sys
f = lambda p: hashlib.sha384(open("firmware/" + p, "rb").read()).digest()
hw = bytes.fromhex("fabcddeabf5e3e41a310a16e31a2997b33d19b39a2900b989006d19b50d2c336a0b9b190700ce062822ca1de1ac07e8c")
blk = lambda i, t, d: bytes([i, 1]) + struct.pack("<H", 3 + len(d)) + bytes([t]) + struct.pack("<H", len(d)) + d
rec = blk(1, 0, f("rot-rom-1.0.bin")) + blk(2, 1, f("bmc-3.1.bin")) + blk(3, 2, hw) + blk(4, 3, f("bmc-config.bin"))
open(sys.argv[1], "wb").write(bytes([0x11, 0xE0, 0, 0xFF, 0x11, 0x60, 0, 0, 4]) + len(rec).to_bytes(3, "little") + rec + bytes(34))
PY
	# attest check itself: a chain given to authenticate it, and no signature
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --evidence "$T/unsigned.spdm" \
		--rim rim/vendor.signed.corim --trust trust --spdm-cert evidence/bmc-chain.pem \
		--spdm-trust evidence/bmc-root.pem --at "$AT"
	assert_output --partial "signature NOT verified: the measurements are not signed, though a responder certificate chain was given to authenticate them"
	[[ "$stderr" == *"1 SPDM signature not verified"* ]] || fail "$stderr"
	for ev in "$T/unsigned.spdm" evidence/bmc.spdm; do
		chain=(--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem)
		[ "$ev" = evidence/bmc.spdm ] && chain=()
		run --separate-stderr -1 fwtrail audit --policy policy.json --evidence evidence/host.log --evidence "$ev" \
			--rim rim/vendor.signed.corim --sfr sfr/bios-2.0.sfr.jws --sfr sfr/bmc-3.1.sfr.jws --sfr sfr/boot.sfr.jws \
			--trust trust "${chain[@]}" --at "$AT" --json
		printf '%s' "$output" > "$T/o.json"
		[ "$(rule_outcome "$T/o.json" measurements)" = pass ] || fail "$ev: measurements"
		[ "$(rule_outcome "$T/o.json" signatures)" = fail ] || fail "$ev: signatures"
	done
}

@test "a forged RIM and an SFR by an unknown key fail the signatures rule" {
	run --separate-stderr -1 fwtrail audit --policy policy.json --evidence evidence/host.log --evidence evidence/bmc.spdm \
		--rim rim/vendor.forged.corim --sfr sfr/bmc-3.1-other-key.sfr.jws --trust trust --at "$AT" --json
	printf '%s' "$output" > "$T/o.json"
	[ "$(rule_outcome "$T/o.json" signatures)" = fail ]
}

@test "reviews too old for sfr-age at a later date (exit 1)" {
	run --separate-stderr -1 fwtrail audit --policy policy.json "${GOOD[@]}" --at 2029-01-01T00:00:00Z --json
	printf '%s' "$output" > "$T/o.json"
	[ "$(rule_outcome "$T/o.json" sfr-age)" = fail ]
}

@test "the log across runs: rollback compares each component with itself" {
	run -0 fwtrail audit --policy policy.json "${GOOD[@]}" --at "$AT" --log "$T/audit.jsonl" --new-log
	run -0 fwtrail audit --policy policy.json "${GOOD[@]}" --at "$AT" --log "$T/audit.jsonl"
	assert_line --regexp '^pass +rollback'
	run -0 fwtrail audit log verify "$T/audit.jsonl"
	run -0 fwtrail audit log show --json "$T/audit.jsonl"
	run -0 $PY -c 'import json,sys
recs=[json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2
comps = sorted(p.get("component","") for p in recs[0]["products"] if p.get("fw_version"))
assert "spdm:2" in comps and "eventlog:pcr0" in comps, comps' "$T/audit.jsonl"
	# the BIOS at 2.0 next to the BMC at 3.1 is no rollback (other component);
	# the BMC's component going back to 3.0 is
	# (the products entry and the review it derives from, both edited: one
	# without the other is an edited record, refused below)
	fwtrail attest check --json "${GOOD[@]}" --at "$AT" > "$T/rec.json" || true
	$PY -c 'import json,sys
d=json.load(open(sys.argv[1]))
for p in d["products"]:
    if p.get("component") == "spdm:2":
        p["fw_version"] = "3.0"
json.dump(d, open(sys.argv[2], "w"))
for c in d["components"]:
    if c["source"] == "spdm" and c.get("index") == 2 and c["review"]["status"] == "reviewed":
        c["review"]["fw_version"] = "3.0"
json.dump(d, open(sys.argv[3], "w"))' "$T/rec.json" "$T/products-only.json" "$T/older.json"
	run --separate-stderr -4 fwtrail audit --policy policy.json --appraisal "$T/products-only.json" --at "$AT" --log "$T/audit.jsonl"
	[[ $stderr == "fwtrail audit: '$T/products-only.json': \$.products["*"].fw_version: '3.0', but the review of spdm:2 by "*" gives '3.1': a record must agree with itself" ]] || fail "$stderr"
	run -1 fwtrail audit --policy policy.json --appraisal "$T/older.json" --at "$AT" --log "$T/audit.jsonl"
	assert_line --partial "'ACME' 'X1 server' component 'spdm:2': fw_version 3.0 is below 3.1"
	refute_line --partial "eventlog:pcr0': fw_version"
	run -0 fwtrail audit log verify "$T/audit.jsonl"
}

@test "T5: a signed SFR that binds to no measured firmware never raises the rollback mark" {
	# a validly signed report for the BMC at version 999, hashes of nothing
	resign sfr/bmc-3.1.sfr.jws "$T/v999.jws" '
import hashlib
p["device"]["fw_version"] = "999"
p["device"]["fw_hash_sha2_384"] = hashlib.sha384(b"nothing").hexdigest()
p["device"]["fw_hash_sha2_512"] = hashlib.sha512(b"nothing").hexdigest()'
	run -0 fwtrail sfr verify --trust trust "$T/v999.jws"
	run -0 fwtrail audit --policy policy.json "${GOOD[@]}" --sfr "$T/v999.jws" --at "$AT" --log "$T/a.jsonl" --new-log
	# it reviewed nothing: no products entry in the record, none in the log
	fwtrail attest check --json "${GOOD[@]}" --sfr "$T/v999.jws" --at "$AT" > "$T/rec.json"
	run -0 $PY -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert all(p.get("fw_version") != "999" for p in d["products"]), d["products"]
assert all(p["source"] == "rim" or p.get("component") for p in d["products"]), d["products"]
for l in open(sys.argv[2]):
    assert all(p.get("fw_version") != "999" for p in json.loads(l)["products"]), l' "$T/rec.json" "$T/a.jsonl"
	# so the next audit, with the previous BMC report (which binds to
	# nothing either), is no rollback
	run -0 fwtrail audit --policy policy.json "${GOOD[@]}" --sfr sfr/bmc-3.0.sfr.jws --at "$AT" --log "$T/a.jsonl"
	assert_line --regexp '^pass +rollback'
	refute_output --partial 'below 999'
	# a record from an older fwtrail listing the unbound report is not
	# compared and not recorded either
	$PY -c 'import json,sys
d = json.load(open(sys.argv[1]))
d["products"].append({"source": "sfr", "vendor": "ACME", "product": "X1 server", "fw_version": "999", "path": "v999.jws"})
json.dump(d, open(sys.argv[2], "w"))' "$T/rec.json" "$T/old.json"
	run -0 fwtrail audit --policy policy.json --appraisal "$T/old.json" --at "$AT" --log "$T/a.jsonl"
	run -0 fwtrail audit --policy policy.json "${GOOD[@]}" --at "$AT" --log "$T/a.jsonl"
	assert_line --regexp '^pass +rollback'
	run -1 grep -F '"999"' "$T/a.jsonl"
}

@test "T5: an SFR that binds to the measured firmware does feed the mark" {
	run -0 fwtrail audit --policy policy.json "${GOOD[@]}" --at "$AT" --log "$T/a.jsonl" --new-log
	# the same BMC image reviewed again as version 999: this one binds
	resign sfr/bmc-3.1.sfr.jws "$T/v999.jws" 'p["device"]["fw_version"] = "999"; p["audit"]["completion_date"] = "2026-09-01"'
	run -0 fwtrail audit --policy policy.json "${GOOD[@]}" --sfr "$T/v999.jws" --at "$AT" --log "$T/a.jsonl"
	run -1 fwtrail audit --policy policy.json "${GOOD[@]}" --at "$AT" --log "$T/a.jsonl"
	assert_line --partial "'ACME' 'X1 server' component 'spdm:2': fw_version 3.1 is below 999, recorded in audit log record 2"
}

@test "T3: an SFR for another product is not a review, and review-coverage says why" {
	run --separate-stderr -1 fwtrail audit --policy policy.json --evidence evidence/host.log --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --sfr sfr/bios-2.0.sfr.jws --sfr sfr/boot.sfr.jws \
		--sfr sfr/bmc-3.1-other-product.sfr.jws --trust trust --at "$AT"
	assert_line --regexp '^FAIL +review-coverage$'
	assert_line --partial "'sfr/bmc-3.1-other-product.sfr.jws' covers its digest but is not accepted: its device (vendor, product) is not the reference's environment (vendor, model)"
}

@test "usage: --appraisal and direct inputs together, or neither, are exit 2" {
	run -2 fwtrail audit --policy policy.json --appraisal x.json --evidence evidence/host.log --rim rim/vendor.corim
	run -2 fwtrail audit --policy policy.json
	run -2 fwtrail audit --policy policy.json --evidence evidence/host.log
	run -3 fwtrail audit --policy policy.json --evidence nope.log --rim rim/vendor.corim
}

# ---- audit agrees with attest check about what is not ok (security review
# B, findings 2-4): RIMs that disagree, a local event log the TPM
# contradicts (also one stripped of every event of a firmware PCR),
# references fwtrail cannot compare, and evidence that measures nothing.
# Each was a "yes" from audit (or from both) before.

# $T/policy.json: only the signatures and measurements rules
agree_policy() {
	printf '%s\n' '{"fwtrail_policy": 1, "rules": [{"rule": "signatures", "require": ["rim"]}, {"rule": "measurements"}]}' \
		> "$T/policy.json"
}

# audit_no ARGS...: audit with $T/policy.json (only the signatures and
# measurements rules) is exit 1, failing only the measurements rule; its
# text output stays in $output
audit_no() {
	agree_policy
	run --separate-stderr -1 fwtrail audit --policy "$T/policy.json" "$@"
	assert_line --regexp '^pass +signatures$'
	assert_line --regexp '^FAIL +measurements$'
	assert_line 'verdict: fail (1 failed, 0 warned, 1 passed)'
	assert_equal "$stderr" "fwtrail audit: policy '$T/policy.json' not satisfied: rule 'measurements' failed"
}

# strip_pcr IN OUT PCR: the crypto-agile log IN without any event on PCR
# (Python reads the algorithm sizes from the Spec ID event)
strip_pcr() {
	$PY - "$@" <<'EOF'
import struct, sys
src, out, drop = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = open(src, "rb").read()
hdr = 32 + struct.unpack_from("<I", b, 28)[0]
spec = b[32:hdr]
assert spec[:16] == b"Spec ID Event03\0"
n = struct.unpack_from("<I", spec, 24)[0]
size = dict(struct.unpack_from("<HH", spec, 28 + 4 * i) for i in range(n))
keep, o, dropped = [b[:hdr]], hdr, 0
while o < len(b):
    start = o
    pcr, _, cnt = struct.unpack_from("<III", b, o)
    o += 12
    for _ in range(cnt):
        o += 2 + size[struct.unpack_from("<H", b, o)[0]]
    o += 4 + struct.unpack_from("<I", b, o)[0]
    if pcr == drop:
        dropped += 1
    else:
        keep.append(b[start:o])
assert o == len(b) and dropped >= 2, (o, len(b), dropped)
open(out, "wb").write(b"".join(keep))
EOF
}

# A CoRIM (cbor2) for ACME / X1 server whose only reference value is a
# SHA-1 digest (COSE alg -14) for SPDM index 1, signed by the vendor.
sha1_rim() {
	$PY - "$T/sha1.corim" <<'EOF'
import cbor2, hashlib, sys
comid = {1: {0: bytes(range(16))},
         4: {0: [[{0: {1: "ACME", 2: "X1 server"}},
                  [{0: 1, 1: {2: [[-14, hashlib.sha1(b"rom").digest()]]}}]]]}}
corim = cbor2.CBORTag(501, {0: bytes(range(16, 32)), 1: [cbor2.CBORTag(506, cbor2.dumps(comid))]})
open(sys.argv[1], "wb").write(cbor2.dumps(corim))
EOF
	fwtrail -q rim sign --key keys/vendor.pem --signer ACME -o "$T/sha1.signed.corim" "$T/sha1.corim"
}

@test "two signed RIMs that disagree on SPDM index 2 (finding 2): attest check and audit both say no" {
	ARGS=(--evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim
		--rim rim/bmc-3.0.signed.corim --trust trust)
	run --separate-stderr -1 fwtrail attest check "${ARGS[@]}"
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 conflicting reference (of 19 components)"
	assert_line "conflict: the RIMs disagree on the sha384 reference for SPDM index 2"
	assert_line "NOT OK: 19 components: 19 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 19 unreviewed"
	audit_no "${ARGS[@]}"
	assert_line "      conflict: the RIMs disagree on the sha384 reference for SPDM index 2: 'rim/vendor.signed.corim' key 2, 'rim/bmc-3.0.signed.corim' key 2"
	# the same through a record written by attest check
	run --separate-stderr -1 fwtrail attest check --json "${ARGS[@]}"
	printf '%s' "$output" > "$T/rec.json"
	run -1 fwtrail audit --policy "$T/policy.json" --appraisal "$T/rec.json"
	assert_line --partial "conflict: the RIMs disagree on the sha384 reference for SPDM index 2"
	# a rule scoped to other indices does not see it; one scoped to 2 does
	printf '%s\n' '{"fwtrail_policy": 1, "rules": [{"rule": "measurements", "indices": [1, 3]}]}' > "$T/p13.json"
	run -0 fwtrail audit --policy "$T/p13.json" --appraisal "$T/rec.json"
	printf '%s\n' '{"fwtrail_policy": 1, "rules": [{"rule": "measurements", "indices": [2]}]}' > "$T/p2.json"
	run -1 fwtrail audit --policy "$T/p2.json" --appraisal "$T/rec.json"
}

@test "the admission policy of the server refuses it too with the conflicting RIM" {
	run --separate-stderr -1 fwtrail audit --policy policy.json --evidence evidence/host.log --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --rim rim/bmc-3.0.signed.corim --sfr sfr/bios-2.0.sfr.jws \
		--sfr sfr/bmc-3.1.sfr.jws --sfr sfr/boot.sfr.jws --trust trust --at 2026-11-01T00:00:00Z \
		--log "$T/a.jsonl" --new-log
	assert_line --regexp '^FAIL +measurements$'
	assert_line --regexp '^verdict: fail '
}

@test "audit --local: a log that does not replay to the TPM's PCRs fails measurements (finding 3)" {
	ARGS=(--local --sysfs-root sysfs-bad-pcr --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --trust trust)
	run --separate-stderr -1 fwtrail attest check "${ARGS[@]}"
	assert_equal "$stderr" "fwtrail attest check: not ok: the local event log does not replay to the TPM's PCRs (of 19 components)"
	audit_no "${ARGS[@]}"
	assert_line "      local event log 'sysfs-bad-pcr/sys/kernel/security/tpm0/binary_bios_measurements': does not replay to the TPM's PCRs (sha256 PCR 4, sha384 PCR 4)"
	# attest check names the PCRs too
	run -1 fwtrail attest check "${ARGS[@]}"
	assert_line "local event log: does NOT replay to the TPM's PCRs"
	assert_line --regexp "^local event log: sha256 PCR 4: replayed [0-9a-f]{16}\.\.\., the TPM has [0-9a-f]{16}\.\.\.$"
	assert_line --regexp "^local event log: sha384 PCR 4: replayed [0-9a-f]{16}\.\.\., the TPM has [0-9a-f]{16}\.\.\.$"
	# the good TPM: both say yes
	run -0 fwtrail attest check --local --sysfs-root sysfs --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --trust trust
	run -0 fwtrail audit --policy "$T/policy.json" --local --sysfs-root sysfs --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust
}

@test "--local: a log stripped of every PCR 7 event does not replay to the TPM, whose PCR 7 the firmware extended" {
	cp -r sysfs "$T/s"
	L=sys/kernel/security/tpm0/binary_bios_measurements
	strip_pcr sysfs/$L "$T/s/$L" 7
	# a golden RIM made from the stripped log itself: every event matches
	fwtrail -q rim create --vendor ACME --model "X1 server" --from-eventlog "$T/s/$L" -o "$T/g.corim"
	fwtrail -q rim sign --key keys/vendor.pem --signer ACME -o "$T/g.signed.corim" "$T/g.corim"
	run --separate-stderr -1 fwtrail attest check --local --sysfs-root "$T/s" --rim "$T/g.signed.corim" --trust trust
	assert_equal "$stderr" "fwtrail attest check: not ok: the local event log does not replay to the TPM's PCRs (of 13 components)"
	tpm7=$(head -c 16 sysfs/sys/class/tpm/tpm0/pcr-sha256/7 | tr A-F a-f)
	assert_line "local event log: sha256 PCR 7: replayed 0000000000000000..., the TPM has $tpm7..."
	assert_line --regexp '^NOT OK: 13 components: 13 match, 0 mismatch'
	run --separate-stderr -1 fwtrail attest check --json --local --sysfs-root "$T/s" --rim "$T/g.signed.corim" --trust trust
	printf '%s' "$output" > "$T/rec.json"
	$PY - "$T/rec.json" "$S/sysfs/sys/class/tpm/tpm0" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["inputs"][0]["tpm"]
assert t["compared"] is True and t["match"] is False, t
want = [(b, 7, "0" * (64 if b == "sha256" else 96), open(f"{sys.argv[2]}/pcr-{b}/7").read().strip().lower())
        for b in ("sha256", "sha384")]
assert [(m["bank"], m["pcr"], m["replayed"], m["tpm"]) for m in t["mismatches"]] == want, t["mismatches"]
EOF
	audit_no --local --sysfs-root "$T/s" --rim "$T/g.signed.corim" --trust trust
	assert_line --partial "does not replay to the TPM's PCRs (sha256 PCR 7, sha384 PCR 7)"
	# the whole log with its own golden RIM: both say yes
	fwtrail -q rim create --vendor ACME --model "X1 server" --from-eventlog sysfs/$L -o "$T/w.corim"
	fwtrail -q rim sign --key keys/vendor.pem --signer ACME -o "$T/w.signed.corim" "$T/w.corim"
	run -0 fwtrail attest check --local --sysfs-root sysfs --rim "$T/w.signed.corim" --trust trust
	run -0 fwtrail audit --policy "$T/policy.json" --local --sysfs-root sysfs --rim "$T/w.signed.corim" --trust trust
}

@test "a signed RIM whose only reference is SHA-1, against evidence that measures nothing (finding 4): not ok" {
	sha1_rim
	printf '%s\n' '{"@odata.type": "#ComponentIntegrity.v1_2_0.ComponentIntegrity", "Id": "NIC", "ComponentIntegrityType": "SPDM", "ComponentIntegrityTypeVersion": "1.1.0", "ComponentIntegrityEnabled": false}' > "$T/ci.json"
	# an event log that is the Spec ID header of host.log alone
	$PY - evidence/host.log "$T/empty.bin" <<'EOF'
import struct, sys
b = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b[:32 + struct.unpack_from("<I", b, 28)[0]])
EOF
	for ev in "$T/ci.json" "$T/empty.bin"; do
		run --separate-stderr -1 fwtrail attest check --evidence "$ev" --rim "$T/sha1.signed.corim" --trust trust
		assert_equal "$stderr" "fwtrail attest check: not ok: 1 reference that cannot be compared, no component was compared (the evidence measures nothing)"
		assert_line "unverifiable: '$T/sha1.signed.corim': the RIM gives only a SHA-1 reference for SPDM index 1, which fwtrail does not accept"
		assert_line "no component was compared: the evidence measures nothing"
		assert_line "NOT OK: 0 components: 0 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 0 unreviewed"
		audit_no --evidence "$ev" --rim "$T/sha1.signed.corim" --trust trust
		assert_line "      unverifiable: '$T/sha1.signed.corim': the RIM gives only a SHA-1 reference for SPDM index 1, which fwtrail does not accept"
		assert_line "      no component was compared: the record holds no measured component"
	done
	run --separate-stderr -1 fwtrail attest check --json --evidence "$T/ci.json" --rim "$T/sha1.signed.corim" --trust trust
	printf '%s' "$output" > "$T/rec.json"
	$PY - "$T/rec.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and d["components"] == [] and d["summary"]["unverifiable"] == 1
[u] = d["unverifiable"]
assert (u["source"], u["index"], u["key"], u["format"], u["algs"]) == ("spdm", 1, "1", "corim", ["sha1"]), u
assert d["inputs"][1]["skipped_measurements"] == 1
assert "no component was compared" in d["error"]["message"]
EOF
}

@test "everything measured matches, but a second signed RIM holds only a SHA-1 reference (finding 4): not ok" {
	sha1_rim
	ARGS=(--evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim
		--rim "$T/sha1.signed.corim" --trust trust)
	run --separate-stderr -1 fwtrail attest check "${ARGS[@]}"
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 reference that cannot be compared (of 19 components)"
	assert_line "NOT OK: 19 components: 19 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 19 unreviewed"
	audit_no "${ARGS[@]}"
	assert_line --partial "unverifiable: '$T/sha1.signed.corim': the RIM gives only a SHA-1 reference for SPDM index 1"
	# without it: yes from both
	run -0 fwtrail attest check --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --trust trust
	run -0 fwtrail audit --policy "$T/policy.json" --evidence evidence/host.log --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust
}

@test "an issue whose stated score understates its own CVSS vector is read at the vector's score: max-cvss fails" {
	# signed anyway (sfr lint and sign refuse it): 0.0 stated, 9.8 by its vector
	resign sfr/bmc-3.1.sfr.jws "$T/low.jws" '
p["audit"]["issues"] = [{"title": "Hard-coded key", "cvss_score": "0.0", "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cwe": "CWE-20", "description": "", "cve": None}]'
	run -1 fwtrail sfr lint "$T/low.jws"
	assert_output --partial "does not match the vector's base score 9.8"
	audit_bmc_review "$T/low.jws"
	[ "$(rule_outcome "$T/o.json" max-cvss)" = fail ]
	run -0 jq -e '[.rules[] | select(.rule == "max-cvss" and .outcome == "fail") | .reasons[] | select(test("has CVSS 9.8"))] | length == 1' "$T/o.json"
}

@test "an issue whose CVSS 3 vector does not read has no known score: max-cvss fails for want of it" {
	# 1.0 stated; the vector (9.8 or 10.0 when read) ends with '/', repeats a metric, or is in lower case
	local v
	for v in 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/' 'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:N' \
		'cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h'; do
		resign sfr/bmc-3.1.sfr.jws "$T/bad.jws" "
p['audit']['issues'] = [{'title': 'Key', 'cvss_score': '1.0', 'cvss_vector': '$v', 'cwe': 'CWE-20', 'description': '', 'cve': None}]"
		run -1 fwtrail sfr lint "$T/bad.jws"
		audit_bmc_review "$T/bad.jws"
		[ "$(rule_outcome "$T/o.json" max-cvss)" = fail ] || fail "$v: max-cvss passed"
		run -0 jq -e '[.rules[] | select(.id == "max-cvss") | .reasons[] | select(test("has no CVSS score"))] | length == 1' "$T/o.json"
	done
}

@test "a report without its issues is not a report of none: max-cvss and forbidden-cwe fail; convert refuses it" {
	resign sfr/bmc-3.1.sfr.jws "$T/noissues.jws" 'del p["audit"]["issues"]'
	run -1 fwtrail sfr lint "$T/noissues.jws"
	assert_output --partial "issues is missing"
	audit_bmc_review "$T/noissues.jws"
	[ "$(rule_outcome "$T/o.json" max-cvss)" = fail ]
	[ "$(rule_outcome "$T/o.json" forbidden-cwe)" = fail ]
	run -0 jq -e '[.rules[] | select(.id == "max-cvss") | .reasons[] | select(test("noissues.jws.*its open issues are not recorded"))] | length == 1' "$T/o.json"
	run --separate-stderr -1 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--sfr "$T/noissues.jws" --trust trust --spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem --at "$AT"
	assert_line --regexp '^spdm +2 +mutable_firmware .* Road Runner Audits, issues not recorded$'
	# the CoRIM form would say there are none
	$PY -c 'import base64,json,sys; b=open(sys.argv[1]).read().split(".")[1]; print(base64.urlsafe_b64decode(b+"="*(-len(b)%4)).decode())' \
		"$T/noissues.jws" > "$T/noissues.json"
	run --separate-stderr -4 fwtrail sfr convert --to corim -o "$T/n.corim" "$T/noissues.json"
	[[ $stderr == *"\$.audit.issues is missing, and a CoRIM without issues says there are none"* ]] || fail "$stderr"
	[ ! -e "$T/n.corim" ]
}

@test "a later review of the same firmware is the review; the one it supersedes is said in the record" {
	resign sfr/bmc-3.1.sfr.jws "$T/old.jws" '
p["audit"]["completion_date"] = "2026-03-01"
p["audit"]["issues"] = [{"title": "Hard-coded key", "cvss_score": "9.8", "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cwe": "CWE-798", "description": "", "cve": None}]'
	resign sfr/bmc-3.1.sfr.jws "$T/new.jws" 'p["audit"]["completion_date"] = "2026-03-02"; p["audit"]["issues"] = []'
	run --separate-stderr fwtrail attest check --json --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--sfr "$T/old.jws" --sfr "$T/new.jws" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub \
		--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem --at "$AT"
	printf '%s' "$output" > "$T/r.json"
	run -0 jq -e --arg n "$T/new.jws" --arg o "$T/old.jws" '.components[] | select(.source == "spdm" and .index == 2) | .review
		| .report == $n and .open_issues == 0 and (.rejected | length == 1) and .rejected[0].report == $o
		and .rejected[0].reason == ("superseded by '"'"'" + $n + "'"'"', the later review of this firmware")' "$T/r.json"
}

@test "two reviews of one date: the worse one is the review, whatever order the reports are given in" {
	resign sfr/bmc-3.1.sfr.jws "$T/crit.jws" '
p["audit"]["issues"] = [{"title": "Hard-coded key", "cvss_score": "9.8", "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cwe": "CWE-798", "description": "", "cve": None}]'
	for order in "sfr/bmc-3.1.sfr.jws $T/crit.jws" "$T/crit.jws sfr/bmc-3.1.sfr.jws"; do
		set -- $order
		run --separate-stderr -1 fwtrail audit --policy policy.json --evidence evidence/host.log --evidence evidence/bmc.spdm \
			--rim rim/vendor.signed.corim --sfr sfr/bios-2.0.sfr.jws --sfr "$1" --sfr "$2" --sfr sfr/boot.sfr.jws --trust trust \
			--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem --at "$AT" --json
		printf '%s' "$output" > "$T/o.json"
		[ "$(rule_outcome "$T/o.json" max-cvss)" = fail ] || fail "$order: max-cvss"
		[ "$(rule_outcome "$T/o.json" forbidden-cwe)" = fail ] || fail "$order: forbidden-cwe"
	done
}

@test "references: a genuine, signed RIM of another ACME model does not admit the X1 (exit 1, naming the RIM)" {
	# the BMC's own measurements, published by ACME for its X2 server
	fwtrail -q rim create --vendor ACME --model "X2 server" --from-spdm evidence/bmc.spdm -o "$T/x2.corim"
	fwtrail -q rim sign --key keys/vendor.pem --signer ACME -o "$T/x2.signed.corim" "$T/x2.corim"
	ARGS=(--evidence evidence/bmc.spdm --rim "$T/x2.signed.corim" --trust trust
		--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem)
	# attest check: every block matches a verified reference value
	run --separate-stderr -0 fwtrail attest check "${ARGS[@]}"
	printf '%s\n' '{"fwtrail_policy": 1, "rules": [{"rule": "measurements"},
		{"rule": "references", "products": [{"vendor": "ACME", "model": "X1 server"}]}]}' > "$T/p.json"
	run --separate-stderr -1 fwtrail audit --policy "$T/p.json" "${ARGS[@]}"
	assert_line --regexp '^pass +measurements$'
	assert_line --regexp '^FAIL +references$'
	assert_line "      '$T/x2.signed.corim' (vendor 'ACME', model 'X2 server') is not an allowed product; first used for spdm index 1 'immutable_rom'"
	[ "$(grep -c 'is not an allowed product' <<<"$output")" -eq 1 ] # once per RIM, not per block
	assert_line 'verdict: fail (1 failed, 0 warned, 1 passed)'
	# the server's own policy, and the X1's own RIM: that rule passes
	run --separate-stderr -1 fwtrail audit --policy policy.json "${ARGS[@]}" --at "$AT"
	assert_line --regexp '^FAIL +references$'
	run --separate-stderr -0 fwtrail audit --policy policy.json "${GOOD[@]}" --at "$AT" --log "$T/a.jsonl" --new-log
	assert_line --regexp '^pass +references$'
}

@test "a record appraised at another time: its signatures are not taken as checked at the audit's time (exit 1)" {
	# a RIM valid from January to June 2026, appraised in April, audited later
	fwtrail -q rim sign --key keys/vendor.pem --signer ACME --kid acme-firmware --not-before 2026-01-01 \
		--not-after 2026-06-01 -o "$T/short.corim" rim/vendor.corim
	ARGS=(--evidence evidence/host.log --evidence evidence/bmc.spdm --rim "$T/short.corim" --trust trust
		--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem)
	run --separate-stderr -0 fwtrail attest check --json "${ARGS[@]}" --at 2026-04-01T00:00:00Z
	printf '%s' "$output" > "$T/april.json"
	run --separate-stderr -1 fwtrail attest check "${ARGS[@]}" --at "$AT" # expired by November
	printf '%s\n' '{"fwtrail_policy": 1, "rules": [{"rule": "signatures", "require": ["rim", "spdm"]},
		{"rule": "measurements"}]}' > "$T/p.json"
	run --separate-stderr -1 fwtrail audit --policy "$T/p.json" --appraisal "$T/april.json" --at "$AT"
	assert_line --regexp '^FAIL +signatures$'
	assert_line "      the record's signatures were checked at 2026-04-01T00:00:00Z (its \"at\"), not at the evaluation time $AT: appraise again, or evaluate at the record's time with --at"
	run --separate-stderr -1 fwtrail audit --policy "$T/p.json" --appraisal "$T/april.json" # now
	assert_line --regexp '^FAIL +signatures$'
	# at the record's own time the audit says what the record says
	run --separate-stderr -0 fwtrail audit --policy "$T/p.json" --appraisal "$T/april.json" --at 2026-04-01T00:00:00Z
	assert_line --regexp '^pass +signatures$'
	assert_line 'verdict: pass (0 failed, 0 warned, 2 passed)'
}

@test "reviewers with keys: another trusted lab's report under Road Runner's name does not count (exit 1)" {
	# a second lab, trusted to sign SFRs, publishes the BMC review as Road Runner's
	mkdir "$T/labs" && cp trust/reviewer.pub keys/other-reviewer.pub "$T/labs/"
	$PY - sfr/bmc-3.1.sfr.jws "$T/other.jws" <<'PYEOF'
import base64, json, sys, jwt
head, body, _ = open(sys.argv[1]).read().strip().split(".")
p = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
assert p["audit"]["srp"] == "Road Runner Audits"
open(sys.argv[2], "w").write(jwt.encode(p, open("keys/other-reviewer.pem").read(), algorithm="ES512",
                                        headers={"kid": "other-lab"}))
PYEOF
	ARGS=(--evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --trust trust/vendor.pub --sfr-trust "$T/labs"
		--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem --at "$AT")
	local rr=f33888d640327874c03867ae7982522b8fc0cb33b1e1f1930a7da7d6dec02a55
	printf '%s\n' "{\"fwtrail_policy\": 1, \"rules\": [{\"rule\": \"review-coverage\",
		\"reviewers\": [{\"name\": \"Road Runner Audits\", \"keys\": [\"$rr\"]}],
		\"components\": [{\"source\": \"spdm\", \"index\": 2}]}]}" > "$T/keyed.json"
	printf '%s\n' '{"fwtrail_policy": 1, "rules": [{"rule": "review-coverage", "reviewers": ["Road Runner Audits"],
		"components": [{"source": "spdm", "index": 2}]}]}' > "$T/named.json"
	# by name alone the report counts: any trusted lab may write any name
	run --separate-stderr -0 fwtrail audit --policy "$T/named.json" "${ARGS[@]}" --sfr "$T/other.jws"
	# with Road Runner's key it does not
	run --separate-stderr -1 fwtrail audit --policy "$T/keyed.json" "${ARGS[@]}" --sfr "$T/other.jws"
	assert_line "      spdm index 2 'mutable_firmware': SFR '$T/other.jws' names reviewer 'Road Runner Audits' but is signed by key 216c19b3009418d2..., not one of that reviewer's keys"
	# Road Runner's own report does
	run --separate-stderr -0 fwtrail audit --policy "$T/keyed.json" "${ARGS[@]}" --sfr sfr/bmc-3.1.sfr.jws
	assert_line --regexp '^pass +review-coverage$'
}

@test "references with keys: another trusted signer's RIM that names the X1 is not the X1's (exit 1)" {
	# a second trusted RIM signer (a NIC vendor, say) publishes the BMC's measurements as ACME's X1
	fwtrail -q rim create --vendor ACME --model "X1 server" --from-spdm evidence/bmc.spdm -o "$T/claim.corim"
	fwtrail -q rim sign --key "$TESTDATA/keys/p384.key.pem" --signer NICCO -o "$T/claim.signed.corim" "$T/claim.corim"
	mkdir "$T/vendors" && cp trust/vendor.pub "$TESTDATA/keys/p384.pub.pem" "$T/vendors/"
	ARGS=(--evidence evidence/bmc.spdm --rim "$T/claim.signed.corim" --trust "$T/vendors"
		--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem --at "$AT")
	printf '%s\n' '{"fwtrail_policy": 1, "rules": [{"rule": "references", "products": [{"vendor": "ACME", "model": "X1 server"}]}]}' > "$T/named.json"
	run --separate-stderr -0 fwtrail audit --policy "$T/named.json" "${ARGS[@]}" # by name alone: passes
	printf '%s\n' '{"fwtrail_policy": 1, "rules": [{"rule": "references", "products": [{"vendor": "ACME", "model": "X1 server",
		"keys": ["939fdc9f5385c0230b63a43f5e395e6c3ab30fea0932547bb9b78156e3a35db5"]}]}]}' > "$T/keyed.json"
	run --separate-stderr -1 fwtrail audit --policy "$T/keyed.json" "${ARGS[@]}"
	assert_line --regexp '^FAIL +references$'
	assert_line "      '$T/claim.signed.corim' (vendor 'ACME', model 'X1 server', signed by key 9a4e7de26084d4da...) is not an allowed product; first used for spdm index 1 'immutable_rom'"
	# ACME's own RIM is
	run --separate-stderr -0 fwtrail audit --policy "$T/keyed.json" --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust "$T/vendors" --spdm-cert evidence/bmc-chain.pem \
		--spdm-trust evidence/bmc-root.pem --at "$AT"
}
