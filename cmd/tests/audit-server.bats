#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail audit straight from the inputs of attest check, on the synthetic
# server of testdata/server: the same verdicts as through --appraisal, each
# rule failing on the tampered variants, and the log across runs.

load helpers

S="$TESTDATA/server"
AT=2026-11-01T00:00:00Z

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$S"
}

GOOD=(--evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim
	--sfr sfr/bios-2.0.sfr.jws --sfr sfr/bmc-3.1.sfr.jws --sfr sfr/boot.sfr.jws --trust trust)

# resign IN OUT PYTHON: the payload of the JWS IN, changed by PYTHON (over
# the dict p), signed again with the trusted reviewer's key
resign() {
	$PY - "$1" "$2" "$3" <<'PYEOF'
import base64, json, sys, jwt
src, out, code = sys.argv[1:]
head, body, _ = open(src).read().strip().split(".")
p = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
kid = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["kid"]
exec(code)
open(out, "w").write(jwt.encode(p, open("keys/reviewer.pem").read(), algorithm="ES512", headers={"kid": kid}))
PYEOF
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

@test "a changed BMC image fails measurements and review coverage (exit 1)" {
	run --separate-stderr -1 fwtrail audit --policy policy.json --evidence evidence/host.log \
		--evidence evidence/bmc-tampered.spdm --rim rim/vendor.signed.corim \
		--sfr sfr/bios-2.0.sfr.jws --sfr sfr/bmc-3.1.sfr.jws --trust trust --at "$AT" --json
	printf '%s' "$output" > "$T/o.json"
	[ "$(rule_outcome "$T/o.json" measurements)" = fail ]
	[ "$(rule_outcome "$T/o.json" review-coverage)" = fail ]
	[ "$(rule_outcome "$T/o.json" signatures)" = pass ]
	[[ $stderr == *"not satisfied"* ]]
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
	fwtrail attest check --json "${GOOD[@]}" --at "$AT" > "$T/rec.json" || true
	$PY -c 'import json,sys
d=json.load(open(sys.argv[1]))
for p in d["products"]:
    if p.get("component") == "spdm:2":
        p["fw_version"] = "3.0"
json.dump(d, open(sys.argv[2], "w"))' "$T/rec.json" "$T/older.json"
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
