#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail audit: every rule passing and failing on the testdata/audit
# records, the verdict and its exit status, text / JSON / JUnit output with
# hostile strings (RELIABILITY O9), strict policies and records, rollback
# against the log, and what gets logged.

load helpers

A="$TESTDATA/audit"
K="$TESTDATA/keys"   # checkpoint keys: P-384 (the log key of testdata/audit is P-256, which signs none)
AT=2026-11-22T17:00:00Z

setup() {
	T=$BATS_TEST_TMPDIR
	cp "$A/logs/history.jsonl" "$T/log.jsonl"
}

audit() {
	fwtrail audit --at "$AT" --appraisal "$@"
}

# appraisal FILE...: give records made here the members attest check always
# writes (command, ok, at, summary with the counts of its lists, empty
# lists), which audit requires of an appraisal record; what the test put
# in stays as it is
appraisal() {
	$PY - "$@" <<'PYEOF'
import json, sys
for p in sys.argv[1:]:
    full = {"command": "attest check", "schema": 1, "ok": False, "at": "2026-11-22T17:00:00Z", "summary": {},
            "components": [], "inputs": [], "signatures": [], "products": [], "conflicts": [], "unverifiable": []}
    full.update(json.load(open(p)))
    s, cs = full["summary"], full["components"]
    if isinstance(s, dict) and isinstance(cs, list):
        rev = sum(1 for c in cs if isinstance(c, dict) and isinstance(c.get("review"), dict)
                  and c["review"].get("status") == "reviewed")
        s.setdefault("reviewed", rev)
        s.setdefault("unreviewed", len(cs) - rev)
        for k in ("conflicts", "unverifiable"):
            if isinstance(full[k], list):
                s.setdefault(k, len(full[k]))
    json.dump(full, open(p, "w"), separators=(",", ":"))
PYEOF
}

@test "a record that satisfies every rule passes: exit 0, one verdict line" {
	run --separate-stderr -0 audit "$A/records/good.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	for r in signatures measurements review-coverage sfr-age max-cvss forbidden-cwe rollback; do
		assert_line "pass  $r"
	done
	assert_line "verdict: pass (0 failed, 0 warned, 7 passed)"
	[ "$(grep -c '^verdict:' <<<"$output")" -eq 1 ]
	assert_line "logged as record 6; head: record 6, sha256 $(tail -n 1 "$T/log.jsonl" | sha256sum | cut -d' ' -f1)"
	assert_equal "$stderr" ""
}

@test "each rule fails on the record that breaks it, and only that rule (exit 1)" {
	local name rule n=0
	while read -r name rule; do
		run --separate-stderr -1 audit "$A/records/$name.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
		assert_line "FAIL  $rule"
		[ "$(grep -c '^FAIL' <<<"$output")" -eq 1 ] || fail "$name: more than $rule failed: $output"
		assert_line --partial "verdict: fail (1 failed, 0 warned, 6 passed)"
		[[ $stderr == "fwtrail audit: policy '$A/policies/all.json' not satisfied: rule '$rule' failed" ]]
		# the reason names what is at fault, on the line under the rule
		grep -A1 "^FAIL  $rule" <<<"$output" | tail -1 | grep -q '^      [^ ]' || fail "$name: no reason"
		n=$((n + 1))
	done < <($PY -c 'import json,sys; [print(k, v) for k, v in json.load(open(sys.argv[1])).items()]' "$A/records/expect.json")
	[ "$n" -ge 15 ]
	run -0 fwtrail audit log verify "$T/log.jsonl"
	assert_output --partial "$((5 + n)) records"
}

@test "the reasons name the component, report or product" {
	run -1 audit "$A/records/measurements-mismatch.json" --policy "$A/policies/nolog.json"
	assert_line --regexp "^      spdm index 1 'BMC firmware': mismatch: measured sha384:[0-9a-f]{24}\.\.\., reference [0-9a-f]{24}\.\.\. in 'acme-bmc.rim.cbor'$"
	run -1 audit "$A/records/sfr-old.json" --policy "$A/policies/nolog.json"
	assert_line "      SFR 'acme-bios.sfr.jws': completed on 2024-12-31, 691 days ago, more than max_days 365"
	run -1 audit "$A/records/signatures-wrong-key.json" --policy "$A/policies/nolog.json"
	assert_line --partial "'acme-bmc.rim.cbor' (rim): signed by key 3d3041f04811ac24... ('trust/other.pub.pem'), which is not an allowed vendor key"
	run -1 audit "$A/records/rollback-older.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	assert_line "      'ACME' 'BMC': fw_version 1.2.0 is below 1.2.3, recorded in audit log record 3"
	assert_line "      'ACME' 'BMC': SVN 4 is below 5, recorded in audit log record 3"
}

@test "at level warn the same problems warn: verdict warn, exit 0" {
	run --separate-stderr -0 audit "$A/records/cvss-high.json" --policy "$A/policies/warn.json" --log "$T/log.jsonl"
	assert_line "warn  max-cvss"
	assert_line "verdict: warn (0 failed, 1 warned, 6 passed)"
	run -0 audit "$A/records/good.json" --policy "$A/policies/scoped.json" --log "$T/log.jsonl"
	assert_line "warn  no-medium (max-cvss)"
	assert_line "verdict: warn (0 failed, 1 warned, 4 passed)"
}

@test "at level warn, what the record does not say still fails (a RIM without its entry); what it shows warns" {
	run --separate-stderr -1 audit "$A/records/signatures-no-rim.json" --policy "$A/policies/warn.json" --log "$T/log.jsonl"
	assert_line "FAIL  signatures (level warn, failed: the record lacks what the rule needs)"
	assert_line "verdict: fail (1 failed, 0 warned, 6 passed)"
	assert_equal "$stderr" "fwtrail audit: policy '$A/policies/warn.json' not satisfied: rule 'signatures' failed"
	# the JSON says it the same way: level warn, outcome fail
	run --separate-stderr -1 audit "$A/records/signatures-no-rim.json" --policy "$A/policies/warn.json" --format json
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); r=[r for r in o["rules"] if r["rule"]=="signatures"][0]
assert o["ok"] is False and o["verdict"] == "fail" and r["level"] == "warn" and r["outcome"] == "fail", o' "$output"
	# a component the record calls unknown, missing or unreviewed, or a
	# mismatch, is a problem it shows: at level warn, a warning
	local name rule
	for name in measurements-unknown:measurements measurements-missing:measurements review-unreviewed:review-coverage \
		measurements-mismatch:measurements; do
		rule=${name#*:}
		name=${name%:*}
		run --separate-stderr -0 audit "$A/records/$name.json" --policy "$A/policies/warn.json" --log "$T/log.jsonl"
		assert_line "warn  $rule"
		assert_line "verdict: warn (0 failed, 1 warned, 6 passed)"
	done
}

@test "a record without the information a rule needs fails every rule" {
	# what attest check always writes, every list empty: nothing to judge
	echo '{"schema": 1}' > "$T/empty.json"
	appraisal "$T/empty.json"
	run --separate-stderr -1 audit "$T/empty.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	[ "$(grep -c '^FAIL' <<<"$output")" -eq 7 ]
	assert_line "verdict: fail (7 failed, 0 warned, 0 passed)"
	# at level warn the same: no rule warns for want of information
	run --separate-stderr -1 audit "$T/empty.json" --policy "$A/policies/warn.json" --log "$T/log.jsonl"
	[ "$(grep -c '^FAIL  [a-z-]* (level warn, failed: the record lacks what the rule needs)$' <<<"$output")" -eq 7 ]
	assert_line "verdict: fail (7 failed, 0 warned, 0 passed)"
	# rollback needs the log
	run -1 audit "$A/records/good.json" --policy "$A/policies/all.json"
	assert_line "FAIL  rollback"
	assert_line "      no audit log to compare with: rollback needs --log"
}

@test "rollback: failed audits never raise the mark; unorderable versions are an error" {
	# history.jsonl seq 2 failed with BMC 9.9.9 / SVN 99: 1.2.3 / 5 is no rollback
	run -0 audit "$A/records/good.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); r["products"][0]["fw_version"]="1.2.4-rc1"; json.dump(r, open(sys.argv[2],"w"))' \
		"$A/records/good.json" "$T/rc.json"
	cp "$T/log.jsonl" "$T/before.jsonl"
	run --separate-stderr -4 audit "$T/rc.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	[[ $stderr == *"\$.products[0].fw_version: rollback: cannot order version '1.2.4-rc1'"* ]]
	cmp "$T/log.jsonl" "$T/before.jsonl"
	# without a rollback rule the same record is fine
	run -0 audit "$T/rc.json" --policy "$A/policies/nolog.json" --log "$T/log.jsonl"
	# then a rollback rule finds an unorderable version in the log for that product: an error
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	[[ $stderr == *"audit log record 7 holds fw_version '1.2.4-rc1' for this product, which cannot be ordered"* ]]
}

@test "rollback: a passing audit that logs a version the rule cannot order warns: record, value, product (exit 0)" {
	# records holding versions as vendors write them: logged, never refused
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); r["products"][0]["fw_version"]=sys.argv[3]; json.dump(r, open(sys.argv[2],"w"))' \
		"$A/records/good.json" "$T/rc.json" 1.2.3-rc1
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); r["products"][1]["fw_version"]=sys.argv[3]; json.dump(r, open(sys.argv[2],"w"))' \
		"$A/records/good.json" "$T/hex.json" 51092A30
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); r["products"][0]["fw_version"]=sys.argv[3]; json.dump(r, open(sys.argv[2],"w"))' \
		"$A/records/cvss-high.json" "$T/failed.json" 00.36.00.3c
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "rollback", "compare": ["svn"]}]}' > "$T/svn.json"
	local tail="which cannot be ordered: a rollback rule comparing fw_version will stop (exit 4) on this product's history; comparing svn only (\"compare\": [\"svn\"]) avoids it"
	run --separate-stderr -0 audit "$T/rc.json" --policy "$T/svn.json" --log "$T/log.jsonl"
	assert_equal "$stderr" "fwtrail audit: warning: record 6 of '$T/log.jsonl' logs fw_version '1.2.3-rc1' of 'ACME' 'BMC', $tail"
	assert_line --partial "logged as record 6;"
	# the svn-only rule goes on working on that history, and says nothing more
	run --separate-stderr -0 audit "$A/records/good.json" --policy "$T/svn.json" --log "$T/log.jsonl"
	assert_equal "$stderr" ""
	# a rule comparing fw_version stops on it, as the warning said
	cp "$T/log.jsonl" "$T/before.jsonl"
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	[[ $stderr == *"audit log record 6 holds fw_version '1.2.3-rc1' for this product, which cannot be ordered"* ]]
	cmp "$T/log.jsonl" "$T/before.jsonl"
	# without a rollback rule: the same warning, in JSON too (on stderr)
	run --separate-stderr -0 fwtrail --json audit --at "$AT" --appraisal "$T/hex.json" --policy "$A/policies/nolog.json" --log "$T/log.jsonl"
	assert_equal "$stderr" "fwtrail audit: warning: record 8 of '$T/log.jsonl' logs fw_version '51092A30' of 'ACME' 'BIOS', $tail"
	run -0 jq -c '[.ok, .log.seq]' <<< "$output"
	assert_output '[true,8]'
	# -q silences it; a failed audit never joins the history: nothing to say
	run --separate-stderr -0 fwtrail -q audit --at "$AT" --appraisal "$T/hex.json" --policy "$A/policies/nolog.json" --log "$T/log.jsonl"
	assert_equal "$stderr" ""
	run --separate-stderr -1 audit "$T/failed.json" --policy "$A/policies/nolog.json" --log "$T/log.jsonl"
	assert_equal "$stderr" "fwtrail audit: policy '$A/policies/nolog.json' not satisfied: rule 'max-cvss' failed"
	run -0 fwtrail audit log verify "$T/log.jsonl"
	assert_output --partial "10 records"
}

@test "an empty list in a policy says what to give (exit 4)" {
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "measurements", "pcrs": []}]}' > "$T/p.json"
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$T/p.json"
	assert_equal "$stderr" "fwtrail audit: '$T/p.json': \$.rules[0].pcrs: must not be an empty list: give one or more PCR numbers"
}

# many(N, NAMELEN, VERSION, OUT): an appraisal record listing N products
many() {
	$PY -c 'import json,sys; n,l=int(sys.argv[1]),int(sys.argv[2]); json.dump({"schema":1,"products":[{"vendor":"V","product":("P%05d"%i).ljust(l,"x"),"fw_version":sys.argv[3],"source":"rim"} for i in range(n)]},open(sys.argv[4],"w"))' "$@"
	appraisal "$4"
}

@test "rollback: a record holds at most 4096 products; the history of many stays linear" {
	local rb='{"fwtrail_policy":1,"rules":[{"rule":"rollback"}]}'
	echo "$rb" > "$T/rb.json"
	many 4096 6 2.0 "$T/m.json"
	run -0 fwtrail audit -q --appraisal "$T/m.json" --policy "$T/rb.json" --log "$T/new.jsonl" --new-log
	many 4096 6 2.1 "$T/m.json"
	run -0 fwtrail audit -q --appraisal "$T/m.json" --policy "$T/rb.json" --log "$T/new.jsonl"
	# every product compared with the history, each found in one lookup
	many 4096 6 1.9 "$T/m.json"
	cp "$T/new.jsonl" "$T/before.jsonl"
	run --separate-stderr -1 fwtrail audit --appraisal "$T/m.json" --policy "$T/rb.json" --log "$T/new.jsonl"
	assert_line "      'V' 'P00000': fw_version 1.9 is below 2.1, recorded in audit log record 2"
	assert_line "      ... and 4032 more"
	# one product more is not logged: exit 4, the log as it was
	many 4097 6 3.0 "$T/m.json"
	cp "$T/new.jsonl" "$T/before.jsonl"
	run --separate-stderr -4 fwtrail audit --appraisal "$T/m.json" --policy "$T/rb.json" --log "$T/new.jsonl"
	assert_equal "$stderr" "fwtrail audit: appraisal record '$T/m.json' lists more than 4096 products: an audit record holds at most 4096"
	assert_output ""
	cmp "$T/new.jsonl" "$T/before.jsonl"
	run --separate-stderr -4 fwtrail audit --json --appraisal "$T/m.json" --policy "$T/rb.json" --log "$T/new.jsonl"
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["ok"] is False and o["error"]["code"] == "malformed" and "4096 products" in o["error"]["message"], o' "$output"
	cmp "$T/new.jsonl" "$T/before.jsonl"
	# without a log there is nothing to bound: the verdict is reached
	run --separate-stderr -1 fwtrail audit --appraisal "$T/m.json" --policy "$T/rb.json" --format json
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["verdict"] == "fail" and "rollback needs --log" in o["rules"][0]["reasons"][0], o' "$output"
}

@test "an audit record longer than a log line is not logged: exit 4, a clear message" {
	echo '{"fwtrail_policy":1,"rules":[{"rule":"max-cvss","threshold":7}]}' > "$T/cvss.json"
	many 4000 1100 1.0 "$T/big.json"
	cp "$T/log.jsonl" "$T/before.jsonl"
	run --separate-stderr -4 fwtrail audit --appraisal "$T/big.json" --policy "$T/cvss.json" --log "$T/log.jsonl"
	[[ $stderr =~ ^"fwtrail audit: the audit record would be "[0-9]+" bytes, more than the 4194304 bytes a log line holds: the appraisal carries too much to log"$ ]] || fail "$stderr"
	assert_output ""
	cmp "$T/log.jsonl" "$T/before.jsonl"
	run --separate-stderr -4 fwtrail audit --json --appraisal "$T/big.json" --policy "$T/cvss.json" --log "$T/log.jsonl"
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["ok"] is False and o["error"]["code"] == "malformed" and "4194304 bytes" in o["error"]["message"], o' "$output"
	cmp "$T/log.jsonl" "$T/before.jsonl"
}

@test "--appraisal takes only the record of attest check: other JSON is exit 4, named, and nothing is logged" {
	fwtrail eventlog replay --json "$TESTDATA/server/evidence/host.log" > "$T/replay.json"
	fwtrail digest --json "$A/records/good.json" > "$T/digest.json"
	run --separate-stderr -3 fwtrail attest check --json --evidence "$T/none.spdm" --rim "$TESTDATA/server/rim/vendor.signed.corim"
	echo "$output" > "$T/failed.json"
	echo '{}' > "$T/empty.json"
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); del r["components"]; json.dump(r, open(sys.argv[2],"w"))' \
		"$A/records/good.json" "$T/nocomps.json"
	local f why
	while IFS='|' read -r f why; do
		cp "$T/log.jsonl" "$T/before.jsonl"
		run --separate-stderr -4 audit "$T/$f" --policy "$A/policies/all.json" --log "$T/log.jsonl"
		assert_equal "$stderr" "fwtrail audit: '$T/$f' is not an appraisal record of 'attest check': $why"
		assert_output ""
		cmp "$T/log.jsonl" "$T/before.jsonl"
		run -4 audit "$T/$f" --policy "$A/policies/all.json" --log "$T/new.jsonl" --new-log
		[ ! -e "$T/new.jsonl" ]
		run --separate-stderr -4 audit "$T/$f" --policy "$A/policies/all.json" --json
		$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["ok"] is False and o["error"]["code"] == "malformed" and "not an appraisal record" in o["error"]["message"], o' "$output"
	done <<-EOF
		replay.json|it is the output of 'fwtrail eventlog replay'
		digest.json|it is the output of 'fwtrail digest'
		failed.json|it is the failure report of an 'attest check' that appraised nothing: cannot open '$T/none.spdm': No such file or directory
		empty.json|it has no "command" naming the command that wrote it
		nocomps.json|it has no "components"
	EOF
	# records/lacking.json, {"schema": 1}, is no appraisal either
	run --separate-stderr -4 audit "$A/records/lacking.json" --policy "$A/policies/all.json"
	assert_equal "$stderr" "fwtrail audit: '$A/records/lacking.json' is not an appraisal record of 'attest check': it has no \"command\" naming the command that wrote it"
	# a schema this fwtrail does not read stays exit 6
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); r["schema"]=2; del r["components"]; json.dump(r, open(sys.argv[2],"w"))' \
		"$A/records/good.json" "$T/schema2.json"
	run --separate-stderr -6 audit "$T/schema2.json" --policy "$A/policies/all.json"
}

@test "--appraisal - reads the record from standard input; the log names it '-' with the digest of the bytes read" {
	run --separate-stderr -0 bash -c '"$FWTRAIL" audit --at "$1" --appraisal - --policy "$2" --log "$3" < "$4"' \
		_ "$AT" "$A/policies/all.json" "$T/log.jsonl" "$A/records/good.json"
	assert_line "audit of '-' against policy '$A/policies/all.json' at $AT"
	assert_line "verdict: pass (0 failed, 0 warned, 7 passed)"
	run -0 $PY -c 'import json,sys,hashlib
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
want = {"path": "-", "kind": "appraisal", "sha256": hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()}
assert r["inputs"][0] == want, r["inputs"][0]' "$T/log.jsonl" "$A/records/good.json"
	run -0 fwtrail audit log verify "$T/log.jsonl"
	# from a pipe, in JSON, the appraisal named "-"
	run --separate-stderr -1 bash -c 'cat "$4" | "$FWTRAIL" audit --at "$1" --appraisal - --policy "$2" --json' \
		_ "$AT" "$A/policies/nolog.json" x "$A/records/cvss-high.json"
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["appraisal"] == "-" and o["verdict"] == "fail", o' "$output"
	# what is not an appraisal record is named '-' as well
	run --separate-stderr -4 bash -c 'echo "{}" | "$FWTRAIL" audit --appraisal - --policy "$1"' _ "$A/policies/all.json"
	assert_equal "$stderr" "fwtrail audit: '-' is not an appraisal record of 'attest check': it has no \"command\" naming the command that wrote it"
	run --separate-stderr -4 bash -c 'printf "{" | "$FWTRAIL" audit --appraisal - --policy "$1"' _ "$A/policies/all.json"
	[[ $stderr == "fwtrail audit: '-'"* ]] || fail "$stderr"
}

@test "--at moves the evaluation time" {
	run -0 audit "$A/records/good.json" --policy "$A/policies/nolog.json"
	run -1 fwtrail audit --at 2027-12-01 --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json"
	assert_line "FAIL  sfr-age"
	run -1 fwtrail audit --at 2026-06-01T00:00:00Z --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json"
	assert_line "      SFR 'acme-bmc.sfr.jws': completed on 2026-06-15, after the evaluation time"
}

@test "--format json and --json: one object, the same exit status" {
	run --separate-stderr -1 audit "$A/records/cvss-high.json" --policy "$A/policies/all.json" --log "$T/log.jsonl" \
		--format json
	$PY - "$output" <<-'EOF'
		import json, sys
		o = json.loads(sys.argv[1])
		assert o["command"] == "audit" and o["schema"] == 1 and o["ok"] is False, o
		assert o["verdict"] == "fail" and o["counts"] == {"pass": 6, "warn": 0, "fail": 1}, o
		assert o["error"]["code"] == "verify_failed" and "max-cvss" in o["error"]["message"], o
		r = {x["id"]: x for x in o["rules"]}
		assert r["max-cvss"]["outcome"] == "fail" and r["max-cvss"]["level"] == "fail"
		assert "CVSS 8.7" in r["max-cvss"]["reasons"][0]
		assert o["log"]["seq"] == 6 and len(o["log"]["sha256"]) == 64 and o["log"]["head"]["seq"] == 6
		assert o["at"] == "2026-11-22T17:00:00Z"
	EOF
	run --separate-stderr -0 fwtrail --json audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json"
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["ok"] is True and o["verdict"] == "pass" and o["log"] is None and "error" not in o' "$output"
}

@test "--json and --format json: a failure before the verdict is one JSON object too" {
	local spelling code policy record log want
	for spelling in --json "--format json"; do
		while IFS='|' read -r code policy record log want; do
			# shellcheck disable=SC2086
			run --separate-stderr fwtrail audit $spelling --at "$AT" --policy "$policy" --appraisal "$record" $log
			[ "$status" -eq "$code" ] || fail "$spelling $policy $record: exit $status: $stderr"
			$PY - "$output" "$code" "$want" "$stderr" <<-'EOF' || fail "$spelling $policy $record: $output"
				import json, sys
				o = json.loads(sys.argv[1])
				codes = {"2": "usage", "3": "io", "4": "malformed", "6": "unsupported"}
				assert o["command"] == "audit" and o["schema"] == 1 and o["ok"] is False, o
				assert o["error"]["code"] == codes[sys.argv[2]], o
				assert sys.argv[3] in o["error"]["message"], o
				assert o["error"]["message"] in sys.argv[4], (o, sys.argv[4])
			EOF
		done <<-EOF
			3|/nonexistent.json|$A/records/good.json||nonexistent.json
			4|$A/bad/policies/dup-key.json|$A/records/good.json||duplicate object key
			4|$A/policies/all.json|$A/bad/records/truncated.json||JSON error
			3|$A/policies/all.json|$A/records/good.json|--log $T/missing.jsonl|it does not exist
			6|$A/policies/all.json|$A/bad/records/schema-2.json||schema 2 is not supported
			2|$A/policies/all.json|$A/records/good.json|--sign-key $K/p384.key.pem|it needs --log
		EOF
	done
}

@test "JUnit XML: one testsuite, one testcase per rule, failures with messages" {
	run --separate-stderr -1 audit "$A/records/cvss-high.json" --policy "$A/policies/all.json" --format junit
	$PY - "$output" <<-'EOF'
		import sys, xml.etree.ElementTree as ET
		root = ET.fromstring(sys.argv[1])
		suites = root.findall("testsuite")
		assert root.tag == "testsuites" and len(suites) == 1
		s = suites[0]
		assert s.get("tests") == "7" and s.get("failures") == "2", s.attrib
		cases = s.findall("testcase")
		assert [c.get("name") for c in cases] == ["signatures", "measurements", "review-coverage", "sfr-age", "max-cvss", "forbidden-cwe", "rollback"]
		f = {c.get("name"): c.find("failure") for c in cases}
		assert f["signatures"] is None and f["max-cvss"] is not None and f["rollback"] is not None
		assert "Stack overflow in the Redfish parser" in f["max-cvss"].get("message")
		assert "rollback needs --log" in f["rollback"].text
	EOF
	# a warning passes, with its reasons beside it
	run -0 audit "$A/records/cvss-high.json" --policy "$A/policies/warn.json" --format junit --log "$T/log.jsonl"
	$PY -c 'import sys, xml.etree.ElementTree as ET
s = ET.fromstring(sys.argv[1]).find("testsuite")
assert s.get("failures") == "0"
c = [c for c in s.findall("testcase") if c.get("name") == "max-cvss"][0]
assert c.find("failure") is None and c.find("system-out").text.startswith("warning: ")' "$output"
}

@test "hostile strings cannot break the text, the JSON, the JUnit XML or the log" {
	cp "$T/log.jsonl" "$T/before.jsonl"
	run --separate-stderr -1 audit "$A/records/hostile.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	[ "$(grep -c $'\e' <<<"$output")" -eq 0 ]
	[ "$(grep -c $'\e' <<<"$stderr")" -eq 0 ]
	[ "$(grep -c '^verdict:' <<<"$output")" -eq 1 ]
	assert_line "verdict: fail (5 failed, 0 warned, 2 passed)"
	assert_line --partial "open issue 'line one\\x0averdict: pass' has CVSS 9.1"
	# every line of output is either a rule, a reason, or one of the fixed lines
	run -0 bash -c "grep -Ev '^(audit of |(pass|warn|FAIL)  |      |logged as record |verdict: )' <<<\"\$1\" | wc -l" _ "$output"
	assert_output 0
	# JUnit: still well formed, still seven testcases, strings round-trip
	run -1 audit "$A/records/hostile.json" --policy "$A/policies/all.json" --format junit -o "$T/h.xml"
	$PY - "$T/h.xml" <<-'EOF'
		import sys, xml.etree.ElementTree as ET
		from lxml import etree
		etree.parse(sys.argv[1])                      # a second, stricter parser
		s = ET.parse(sys.argv[1]).getroot().find("testsuite")
		assert len(s.findall("testcase")) == 7 and len(list(ET.parse(sys.argv[1]).getroot())) == 1
		text = "".join(c.find("failure").text for c in s.findall("testcase") if c.find("failure") is not None)
		msg = [c.find("failure").get("message") for c in s.findall("testcase") if c.get("name") == "signatures"][0]
		assert "</failure></testcase></testsuite><testcase name=\"x\">" in text
		assert "]]> & <![CDATA[ &amp; <!-- -->" in text
		assert "line one\nverdict: pass" in text          # a newline is only text in XML
		assert "\\x1b[2J\\x1b]0;owned\\x07" in text        # what XML cannot carry, as \xHH
		assert "\x1b" not in text and "\x85" not in text
		assert msg.startswith("'rim\n</testcase>.cbor' (rim)"), msg   # attributes keep newlines
	EOF
	# JSON: valid, and the strings are the record's own
	run --separate-stderr -1 audit "$A/records/hostile.json" --policy "$A/policies/all.json" --json
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert any("line one\nverdict: pass" in x for r in o["rules"] for x in r["reasons"])' "$output"
	# the log: one line more, every line JSON, ASCII only, chain intact
	[ "$(wc -l < "$T/log.jsonl")" -eq 6 ]
	[ "$(LC_ALL=C grep -c $'[\x80-\xff\e]' "$T/log.jsonl")" -eq 0 ]
	$PY -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/log.jsonl"
	run -0 fwtrail audit log verify "$T/log.jsonl"
	run -0 fwtrail audit log show "$T/log.jsonl"
	[ "$(grep -c $'\e' <<<"$output")" -eq 0 ]
	[ "$(wc -l <<<"$output")" -eq 7 ]
}

@test "a record with invalid UTF-8 is refused (exit 4) and nothing is logged" {
	cp "$T/log.jsonl" "$T/before.jsonl"
	run --separate-stderr -4 audit "$A/bad/records/invalid-utf8.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	[[ $stderr == *'($.components[0].review.issues[0].title): unable to decode byte 0xff'* ]]
	assert_equal "$output" ""
	cmp "$T/log.jsonl" "$T/before.jsonl"
}

@test "a review whose summary contradicts its issues is malformed (exit 4), named with the field" {
	# the BMC review: 3 open issues up to CVSS 9.8 with CWE-787, and "issues": []
	$PY - "$A/records/good.json" "$T" <<-'EOF'
		import json, sys
		r = json.load(open(sys.argv[1]))
		rv = r["components"][0]["review"]
		rv.update(issues=[], open_issues=3, max_cvss=9.8, cwes=["CWE-787"])
		json.dump(r, open(sys.argv[2] + "/empty-issues.json", "w"))
		rv.update(open_issues=0)
		json.dump(r, open(sys.argv[2] + "/max-cvss.json", "w"))
		rv.update(max_cvss=0.0)
		json.dump(r, open(sys.argv[2] + "/cwes.json", "w"))
		del rv["issues"]
		rv.update(open_issues=3, max_cvss=9.8)
		json.dump(r, open(sys.argv[2] + "/no-issues.json", "w"))
	EOF
	local p='{"fwtrail_policy":1,"rules":[{"rule":"max-cvss","threshold":7.0},{"rule":"forbidden-cwe","cwes":["CWE-787"]}]}'
	echo "$p" > "$T/p.json"
	cp "$T/log.jsonl" "$T/before.jsonl"
	local where="\$.components[0].review" who="the review of SFR 'acme-bmc.sfr.jws'"
	run --separate-stderr -4 audit "$T/empty-issues.json" --policy "$T/p.json" --log "$T/log.jsonl"
	assert_equal "$stderr" "fwtrail audit: '$T/empty-issues.json': $where.open_issues: $who counts 3 open issues, but its \"issues\" lists 0: a review must agree with its own issues"
	assert_output ""
	run --separate-stderr -4 audit "$T/max-cvss.json" --policy "$T/p.json"
	assert_equal "$stderr" "fwtrail audit: '$T/max-cvss.json': $where.max_cvss: $who gives a highest CVSS score of 9.8, but its \"issues\" lists none: a review must agree with its own issues"
	run --separate-stderr -4 audit "$T/cwes.json" --policy "$T/p.json"
	assert_equal "$stderr" "fwtrail audit: '$T/cwes.json': $where.cwes[0]: $who lists 'CWE-787', but no issue in its \"issues\" has it: a review must agree with its own issues"
	cmp "$T/log.jsonl" "$T/before.jsonl"
	# a summary without its issues is judged by the summary, as before
	run --separate-stderr -1 audit "$T/no-issues.json" --policy "$T/p.json"
	assert_line "FAIL  max-cvss"
	assert_line "FAIL  forbidden-cwe"
}

@test "a record that contradicts itself is malformed (exit 4): a match its values deny, counts, a failed verified signature" {
	$PY - "$A/records/good.json" "$T" <<-'EOF'
		import json, sys
		def load():
		    return json.load(open(sys.argv[1]))
		def dump(r, name):
		    json.dump(r, open(sys.argv[2] + "/" + name + ".json", "w"))
		r = load()
		r["components"][0]["digest"] = "00" * 48          # "match", another digest than the reference's
		r["summary"].update(match=1, mismatch=1)
		dump(r, "contradict")
		r = load()
		del r["components"][0]["reference"]                # "match" against nothing
		dump(r, "noref")
		r = load()
		r["summary"]["match"] = 1                         # counts other than the components'
		dump(r, "counts")
		r = load()
		r["signatures"][0]["error"] = "signature does not verify"
		dump(r, "sig-error")
		r = load()
		del r["signatures"][0]                            # a RIM input without its signature entry
		dump(r, "no-sig")
	EOF
	echo '{"fwtrail_policy":1,"rules":[{"rule":"measurements"},{"rule":"signatures"}]}' > "$T/p.json"
	run --separate-stderr -4 audit "$T/contradict.json" --policy "$T/p.json"
	assert_equal "$stderr" "fwtrail audit: '$T/contradict.json': \$.components[0]: a component whose status is \"match\" has another digest than its reference: a record must agree with itself"
	assert_output ""
	run --separate-stderr -4 audit "$T/noref.json" --policy "$T/p.json"
	assert_equal "$stderr" "fwtrail audit: '$T/noref.json': \$.components[0]: a component whose status is \"match\" has no reference: nothing was compared with it"
	run --separate-stderr -4 audit "$T/counts.json" --policy "$T/p.json"
	assert_equal "$stderr" "fwtrail audit: '$T/counts.json': \$.summary.match: the summary counts 1 component \"match\", but 2 of the record's are: a record must agree with itself"
	run --separate-stderr -4 audit "$T/sig-error.json" --policy "$T/p.json"
	assert_equal "$stderr" "fwtrail audit: '$T/sig-error.json': \$.signatures[0].error: a signature both verified and failed (an \"error\" with \"verified\": true): a record must agree with itself"
	# a RIM whose signature the record leaves out is no verified one
	run --separate-stderr -1 audit "$T/no-sig.json" --policy "$T/p.json"
	assert_line "FAIL  signatures"
	assert_line "      'acme-bmc.rim.cbor' (rim): an input whose signature the record does not list"
	assert_line "pass  measurements"
	# attest check's own records agree with themselves
	run -0 audit "$A/records/good.json" --policy "$T/p.json"
}

@test "reviews that name one report but differ are each judged; the same review twice counts once (exit 1)" {
	# the BIOS component's review given the BMC report's name, with an
	# issue the policy forbids: keeping only the first review by name
	# hid it (verdict pass)
	$PY - "$A/records/good.json" "$T" <<-'EOF'
		import json, sys
		r = json.load(open(sys.argv[1]))
		rv = r["components"][1]["review"]
		rv["report"] = r["components"][0]["review"]["report"]
		rv.update(open_issues=1, max_cvss=9.8, cwes=["CWE-120"],
		          issues=[{"title": "RCE", "cvss_score": 9.8, "cwe": "CWE-120", "cve": None}])
		json.dump(r, open(sys.argv[2] + "/second.json", "w"))
		r["components"][0]["review"] = rv
		json.dump(r, open(sys.argv[2] + "/twice.json", "w"))
	EOF
	echo '{"fwtrail_policy":1,"rules":[{"rule":"max-cvss","threshold":7.0},{"rule":"forbidden-cwe","cwes":["CWE-120"]}]}' > "$T/p.json"
	run -0 audit "$A/records/good.json" --policy "$T/p.json"
	run -1 audit "$T/second.json" --policy "$T/p.json"
	assert_line "FAIL  max-cvss"
	assert_line "      SFR 'acme-bmc.sfr.jws': open issue 'RCE' has CVSS 9.8, at or above 7.0"
	assert_line "      SFR 'acme-bmc.sfr.jws': open issue 'RCE' is CWE-120, which the policy forbids"
	# one review cited by two components: one reason, not two
	run -1 audit "$T/twice.json" --policy "$T/p.json"
	[ "$(grep -c "open issue 'RCE' has CVSS 9.8" <<<"$output")" -eq 1 ]
}

@test "sfr-age, max-cvss and forbidden-cwe over 100,000 reviewed components stay linear" {
	# each component reviewed by its own report, a 14 MB record: de-duplicating
	# the reports pairwise took about 6 minutes per rule
	$PY - "$T/big.json" <<-'EOF'
		import json, sys
		comps = [{"source": "spdm", "index": 1, "status": "unknown",
		          "review": {"status": "reviewed", "report": "r%d" % i, "completion_date": "2026-01-01",
		                     "open_issues": 0}} for i in range(100000)]
		json.dump({"schema": 1, "components": comps}, open(sys.argv[1], "w"), separators=(",", ":"))
	EOF
	appraisal "$T/big.json"
	echo '{"fwtrail_policy":1,"rules":[{"rule":"sfr-age","max_days":3650},{"rule":"max-cvss","threshold":7.0},{"rule":"forbidden-cwe","cwes":["CWE-787"]}]}' > "$T/p.json"
	run --separate-stderr -0 timeout 120 "$FWTRAIL" audit --at "$AT" --appraisal "$T/big.json" --policy "$T/p.json"
	assert_line "verdict: pass (0 failed, 0 warned, 3 passed)"
}

@test "a host name that is not UTF-8 is logged, its bytes as \\xNN; so are such file names" {
	unshare -u true 2>/dev/null || skip "unshare -u is not permitted here (a private host name needs CAP_SYS_ADMIN)"
	# a Latin-1 host name, in a UTS namespace of its own (the machine's
	# name is untouched); hostname(1) refuses such names, the kernel does not
	run --separate-stderr -0 unshare -u sh -c 'printf "rack7-\351tage2\\\\x" > /proc/sys/kernel/hostname &&
		exec "$1" audit -q --at "$2" --appraisal "$3" --policy "$4" --log "$5"' _ \
		"$FWTRAIL" "$AT" "$A/records/good.json" "$A/policies/nolog.json" "$T/log.jsonl"
	assert_equal "$stderr" ""
	run -0 $PY -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[-1])["host"])' "$T/log.jsonl"
	assert_output 'rack7-\xe9tage2\x5cx'
	run -0 fwtrail audit log verify "$T/log.jsonl"
	run -0 fwtrail audit log show "$T/log.jsonl"
	assert_line --partial '; host rack7-\xe9tage2\x5cx'
	# a policy file name that is not UTF-8 either
	cp "$A/policies/nolog.json" "$T/"$'p\xe9.json'
	run --separate-stderr -0 fwtrail audit -q --at "$AT" --appraisal "$A/records/good.json" \
		--policy "$T/"$'p\xe9.json' --log "$T/log.jsonl"
	run -0 $PY -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[-1])["policy"]["path"])' "$T/log.jsonl"
	assert_output "$T/p\\xe9.json"
	run -0 fwtrail audit log verify "$T/log.jsonl"
	assert_output --partial "7 records (7 audits, 0 checkpoints), chain intact"
}

@test "bad policies are refused with the JSON path (exit 4; 6 for version 2)" {
	local name code where
	cp "$T/log.jsonl" "$T/before.jsonl"
	while IFS='|' read -r name code where; do
		run --separate-stderr audit "$A/records/good.json" --policy "$A/bad/policies/$name.json" --log "$T/log.jsonl"
		[ "$status" -eq "$code" ] || fail "$name: exit $status: $stderr"
		[[ $stderr == "fwtrail audit: '$A/bad/policies/$name.json': "*"$where"* ]] || fail "$name: $stderr"
		assert_equal "$output" ""
	done <<-'EOF'
		unknown-rule|4|$.rules[1].rule: unknown rule (known: signatures, measurements, review-coverage, sfr-age, max-cvss, forbidden-cwe, rollback, references), not 'max-cvs'
		unknown-param|4|$.rules[0].treshold: unknown parameter for rule 'max-cvss'
		wrong-type|4|$.rules[0].threshold: must be a number from 0 to 10, not '7.0'
		bad-value|4|$.rules[0].max_days: must be a number of days from 0 to 36500, not -1
		bad-cwe|4|$.rules[0].cwes[1]: must be a CWE id such as "CWE-787", not '787'
		bad-fingerprint|4|$.rules[0].vendor[0]: must be a key fingerprint
		missing-param|4|$.rules[0]: rule 'max-cvss' needs the parameter "threshold"
		dup-key|4|($.rules[0]): duplicate object key
		dup-id|4|$.rules[1].id: rule id 'max-cvss' is already used by $.rules[0]
		bad-level|4|$.rules[0].level: must be "fail" or "warn", not 'error'
		empty-rules|4|$.rules: must hold 1 to 256 rules
		unknown-member|4|$.rulez: unknown member
		no-version|4|$: not a fwtrail policy
		version-2|6|$.fwtrail_policy: policy format version 2 is not supported
		repeated-entry|4|$.rules[0].pcrs[2]: repeats entry [0]
		not-json|4|JSON error at byte
	EOF
	cmp "$T/log.jsonl" "$T/before.jsonl"
	# CWE ids repeat by number, whatever their spelling; a real version is named as one
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "forbidden-cwe", "cwes": ["CWE-787", "CWE-120", "cwe-0787"]}]}' > "$T/cwe.json"
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$T/cwe.json"
	assert_equal "$stderr" "fwtrail audit: '$T/cwe.json': \$.rules[0].cwes[2]: repeats entry [0]"
	# a threshold is a CVSS score, one decimal: 4.35 would be applied as 4.4
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "max-cvss", "threshold": 4.35}]}' > "$T/cvss.json"
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$T/cvss.json"
	assert_equal "$stderr" "fwtrail audit: '$T/cvss.json': \$.rules[0].threshold: must be a CVSS score, with at most one decimal, not 4.35"
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "max-cvss", "threshold": 4.3}]}' > "$T/cvss.json"
	run -1 audit "$A/records/good.json" --policy "$T/cvss.json"
	assert_line --partial "at or above 4.3"
	echo '{"fwtrail_policy": 1.0, "rules": [{"rule": "sfr-age", "max_days": 30}]}' > "$T/v.json"
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$T/v.json"
	assert_equal "$stderr" "fwtrail audit: '$T/v.json': \$.fwtrail_policy: must be the policy format version, 1, not 1.0"
}

@test "measurements: \"pcrs\" or \"indices\" with \"sources\" leaving out their kind is refused (exit 4), never a pass" {
	# a PCR 0 mismatch that "sources": ["spdm"] would have dropped unseen
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "measurements", "sources": ["spdm"], "pcrs": [0]}]}' > "$T/p.json"
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$T/p.json" --log "$T/log.jsonl"
	assert_equal "$stderr" "fwtrail audit: '$T/p.json': \$.rules[0].pcrs: names PCRs, but \"sources\" leaves out eventlog (the rule would check none of them)"
	assert_equal "$output" ""
	cmp "$T/log.jsonl" "$A/logs/history.jsonl"
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "sfr-age", "max_days": 30}, {"rule": "measurements", "sources": ["eventlog"], "indices": [1]}]}' > "$T/p.json"
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$T/p.json"
	assert_equal "$stderr" "fwtrail audit: '$T/p.json': \$.rules[1].indices: names SPDM indices, but \"sources\" leaves out spdm (the rule would check none of them)"
	# both kinds named, or no "sources": scoped as before
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "measurements", "sources": ["spdm", "eventlog"], "pcrs": [0], "indices": [1]}]}' > "$T/p.json"
	run -0 audit "$A/records/good.json" --policy "$T/p.json"
	assert_line "pass  measurements"
}

@test "signatures: a review citing an SFR the record does not list fails for want of information (exit 1)" {
	$PY - "$A/records/good.json" "$T/r.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("inputs", "signatures"):
    r[k] = [e for e in r[k] if e["path"] != "acme-bios.sfr.jws"]
json.dump(r, open(sys.argv[2], "w"))
PYEOF
	run --separate-stderr -1 audit "$T/r.json" --policy "$A/policies/warn.json" --log "$T/log.jsonl"
	assert_line "FAIL  signatures (level warn, failed: the record lacks what the rule needs)"
	assert_line "      'acme-bios.sfr.jws' (sfr): a review cites it, but the record does not list its signature"
	assert_equal "$stderr" "fwtrail audit: policy '$A/policies/warn.json' not satisfied: rule 'signatures' failed"
}

@test "products that disagree with the reviews they derive from are an edited record (exit 4), never logged" {
	# the SFR entries attest check writes for good.json's two reviews
	$PY - "$A/records/good.json" "$T" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
r["products"] += [{"vendor": "ACME", "product": "BMC", "fw_version": "1.2.3", "source": "sfr",
                   "path": "acme-bmc.sfr.jws", "component": "spdm:1"},
                  {"vendor": "ACME", "product": "BIOS", "fw_version": "4.1.0", "source": "sfr",
                   "path": "acme-bios.sfr.jws", "component": "eventlog:pcr0"}]
json.dump(r, open(sys.argv[2] + "/ok.json", "w"))
r["products"][2]["fw_version"] = "1.3"
json.dump(r, open(sys.argv[2] + "/raised.json", "w"))
del r["products"][2]
json.dump(r, open(sys.argv[2] + "/dropped.json", "w"))
PYEOF
	cp "$T/log.jsonl" "$T/before.jsonl"
	run --separate-stderr -0 audit "$T/ok.json" --policy "$A/policies/nolog.json"
	run --separate-stderr -4 audit "$T/raised.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	assert_equal "$stderr" "fwtrail audit: '$T/raised.json': \$.products[2].fw_version: '1.3', but the review of spdm:1 by 'acme-bmc.sfr.jws' (\$.components[0].review) gives '1.2.3': a record must agree with itself"
	assert_equal "$output" ""
	run --separate-stderr -4 audit "$T/dropped.json" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	assert_equal "$stderr" "fwtrail audit: '$T/dropped.json': \$.components[0].review: reviewed by 'acme-bmc.sfr.jws', but \"products\" has no entry for it and component spdm:1: a record must agree with itself"
	cmp "$T/log.jsonl" "$T/before.jsonl"
}

@test "malformed records are refused with the JSON path (exit 4; 6 for schema 2)" {
	local name code where
	while IFS='|' read -r name code where; do
		run --separate-stderr audit "$A/bad/records/$name.json" --policy "$A/policies/nolog.json"
		[ "$status" -eq "$code" ] || fail "$name: exit $status: $stderr"
		[[ $stderr == *"$where"* ]] || fail "$name: $stderr"
	done <<-'EOF'
		wrong-type|4|$.components: must be an array or null, not object
		bad-status|4|$.components[1].status: must be one of match, mismatch, unknown, missing, not 'fine'
		bad-date|4|$.components[0].review.completion_date: must be a date (YYYY-MM-DD), not '2026-02-30'
		bad-sha256|4|$.inputs[0].sha256: must be a SHA-256 in hex
		schema-2|6|$.schema: appraisal record schema 2 is not supported
		no-schema|4|$.schema: missing
		dup-key|4|duplicate object key
		truncated|4|JSON error
	EOF
}

@test "usage errors exit 2" {
	run --separate-stderr -2 fwtrail audit --appraisal "$A/records/good.json"
	[[ $stderr == *"--policy is required"* && $stderr == *"Try 'fwtrail audit --help'."* ]]
	run --separate-stderr -2 fwtrail audit --policy "$A/policies/all.json"
	[[ $stderr == *"--appraisal, or evidence (--evidence, --local) and --rim, are required"* ]]
	run --separate-stderr -2 audit "$A/records/good.json" --policy "$A/policies/all.json" --sign-key "$K/p384.key.pem"
	[[ $stderr == *"--sign-key signs the log's checkpoint: it needs --log"* ]]
	run --separate-stderr -2 audit "$A/records/good.json" --policy "$A/policies/all.json" --pin-file /dev/null
	run --separate-stderr -2 fwtrail audit --at yesterday --appraisal "$A/records/good.json" --policy "$A/policies/all.json"
	[[ $stderr == *"--at: 'yesterday' is not an RFC 3339 time"* ]]
	run --separate-stderr -2 audit "$A/records/good.json" --policy "$A/policies/all.json" --format xml
	run --separate-stderr -2 fwtrail --json audit --appraisal "$A/records/good.json" --policy "$A/policies/all.json" --format junit
	run --separate-stderr -2 audit "$A/records/good.json" --policy "$A/policies/all.json" extra
	[[ $stderr == *"unexpected argument 'extra'"* ]]
	run --separate-stderr -3 audit "$T/absent.json" --policy "$A/policies/all.json"
	[[ $stderr == *"absent.json"* ]]
}

@test "an empty file name is a usage error (exit 2), never a file that cannot be opened" {
	local opt
	for opt in --log --pin-file; do
		run --separate-stderr -2 audit "$A/records/good.json" --policy "$A/policies/all.json" "$opt" ""
		assert_equal "$stderr" "fwtrail audit: $opt: the file name is empty
Try 'fwtrail audit --help'."
	done
	run --separate-stderr -2 audit "$A/records/good.json" --policy ""
	assert_equal "${stderr_lines[0]}" "fwtrail audit: --policy: the file name is empty"
	run --separate-stderr -2 audit "" --policy "$A/policies/all.json" --log "$T/log.jsonl"
	assert_equal "${stderr_lines[0]}" "fwtrail audit: --appraisal: the file name is empty"
	# --new-log too: nothing is created
	run --separate-stderr -2 audit "$A/records/good.json" --policy "$A/policies/all.json" --log "" --new-log
	assert_equal "${stderr_lines[0]}" "fwtrail audit: --log: the file name is empty"
	run --separate-stderr -2 fwtrail audit log verify ""
	assert_equal "$stderr" "fwtrail audit log verify: the log's file name is empty
Try 'fwtrail audit log verify --help'."
	run --separate-stderr -2 fwtrail audit log verify --key "" "$T/log.jsonl"
	assert_equal "${stderr_lines[0]}" "fwtrail audit log verify: --key: the file name is empty"
	run --separate-stderr -2 fwtrail audit log show ""
	assert_equal "${stderr_lines[0]}" "fwtrail audit log show: the log's file name is empty"
}

@test "-o writes the report atomically, never over an input or the log" {
	mkdir "$T/out"
	run -0 audit "$A/records/good.json" --policy "$A/policies/nolog.json" --format junit -o "$T/out/r.xml"
	assert_output ""
	$PY -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$T/out/r.xml"
	snapshot_out "$T/out/r.xml"
	run --separate-stderr -2 audit "$A/records/good.json" --policy "$A/policies/nolog.json" -o "$T/out/r.xml"
	[[ $stderr == *"already exists (use --force to replace it)"* ]]
	assert_nothing_written
	run -0 audit "$A/records/good.json" --policy "$A/policies/nolog.json" -o "$T/out/r.xml" --force
	grep -q '^verdict: pass' "$T/out/r.xml"
	cp "$T/log.jsonl" "$T/before.jsonl"
	run --separate-stderr audit "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/log.jsonl" \
		-o "$T/log.jsonl" --force
	[ "$status" -ne 0 ]
	cmp "$T/log.jsonl" "$T/before.jsonl"
}

@test "--json with -o: the report goes to the file, a small object to stdout, for every --format" {
	local fmt
	for fmt in json text junit; do
		run --separate-stderr -1 audit "$A/records/cvss-high.json" --policy "$A/policies/nolog.json" --json \
			--format "$fmt" -o "$T/r.$fmt"
		$PY -c 'import json,os,sys; o=json.loads(sys.argv[1]); p, fmt = sys.argv[2:]
err = o.pop("error")
assert o == {"command": "audit", "schema": 1, "ok": False, "output": p, "size": os.path.getsize(p), "format": fmt,
             "verdict": "fail"}, o
assert err["code"] == "verify_failed" and "max-cvss" in err["message"], err' "$output" "$T/r.$fmt" "$fmt"
		[[ $stderr == *"rule 'max-cvss' failed" ]] || fail "$stderr"
	done
	[ "$(jq -r .verdict "$T/r.json")" = fail ]
	grep -q '^verdict: fail (1 failed' "$T/r.text"
	$PY -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$T/r.junit"
	# a pass: ok, no error; --format json alone is --json, -o too
	run --separate-stderr -0 audit "$A/records/good.json" --policy "$A/policies/nolog.json" --format json -o "$T/p.json"
	$PY -c 'import json,os,sys; o=json.loads(sys.argv[1])
assert o == {"command": "audit", "schema": 1, "ok": True, "output": sys.argv[2], "size": os.path.getsize(sys.argv[2]),
             "format": "json", "verdict": "pass"}, o' "$output" "$T/p.json"
	assert_equal "$stderr" ""
	# -o - is standard output: the report itself is the object
	run --separate-stderr -0 audit "$A/records/good.json" --policy "$A/policies/nolog.json" --json -o -
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["verdict"] == "pass" and "rules" in o and "output" not in o' "$output"
	# another format cannot share standard output with the JSON object
	for fmt in text junit; do
		run --separate-stderr -2 audit "$A/records/good.json" --policy "$A/policies/nolog.json" --json --format "$fmt"
		[[ $stderr == "fwtrail audit: --json with --format $fmt needs -o (standard output holds the JSON object)"* ]] || fail "$stderr"
		run -2 audit "$A/records/good.json" --policy "$A/policies/nolog.json" --json --format "$fmt" -o -
	done
}

@test "-q silences the text report, not the verdict's exit status" {
	run --separate-stderr -1 fwtrail -q audit --at "$AT" --appraisal "$A/records/cvss-high.json" --policy "$A/policies/nolog.json"
	assert_equal "$output" ""
	[[ $stderr == *"rule 'max-cvss' failed"* ]]
}

@test "--sign-key adds a signed checkpoint after the audit record" {
	run -0 audit "$A/records/good.json" --policy "$A/policies/all.json" --log "$T/log.jsonl" --sign-key "$K/p384.key.pem" --json
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["log"]["seq"] == 6 and o["log"]["head"]["seq"] == 7' "$output"
	# the text names the head for what it is: the checkpoint, record 7
	cp "$T/log.jsonl" "$T/copy.jsonl"
	run --separate-stderr -0 audit "$A/records/good.json" --policy "$A/policies/all.json" --log "$T/copy.jsonl" \
		--sign-key "$K/p384.key.pem"
	assert_line "logged as record 8; head: record 9 (checkpoint), sha256 $(tail -n 1 "$T/copy.jsonl" | sha256sum | cut -d' ' -f1)"
	[ "$(sed -n 9p "$T/copy.jsonl" | jq -r .type)" = checkpoint ]
	run -0 fwtrail audit log verify --head "$(tail -n 1 "$T/copy.jsonl" | sha256sum | cut -d' ' -f1)" "$T/copy.jsonl"
	# one audit after the last checkpoint is "the last record", in the singular
	run -0 audit "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/copy.jsonl"
	run -0 fwtrail audit log verify --key "$K/p384.pub.pem" "$T/copy.jsonl"
	assert_line --regexp "^$T/copy.jsonl: 10 records \(8 audits, 2 checkpoints\), chain intact; head: record 10, sha256 [0-9a-f]{64}\$"
	assert_line "checkpoints verified with '$K/p384.pub.pem': 2 (the last record is after the last checkpoint)"
	run -0 $PY -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1])]; print(l[-1]["type"], l[-1]["seq"], l[-2]["keys"][-1]["role"])' "$T/log.jsonl"
	assert_output "checkpoint 7 checkpoint"
	run -0 fwtrail audit log verify --key "$K/p384.pub.pem" "$T/log.jsonl"
	assert_line "checkpoints verified with '$K/p384.pub.pem': 1"
	# the same check, by an implementation that shares no code with fwtrail
	run -0 "$ROOT/scripts/mk-audit-testdata.py" --check "$T/log.jsonl" "$K/p384.pub.pem"
	assert_output "7 records, 1 checkpoints verified"
	# a PEM public key is not a signing key: the wrong key given (exit 2), nothing logged
	run --separate-stderr -2 audit "$A/records/good.json" --policy "$A/policies/all.json" --log "$T/log.jsonl" --sign-key "$K/p384.pub.pem"
	assert_equal "$stderr" "fwtrail audit: '$K/p384.pub.pem' holds a public key or certificate; give the private key (PEM) or a pkcs11: URI instead"
	run -0 fwtrail audit log verify "$T/log.jsonl"
	assert_output --partial "7 records"
}

@test "raw SPDM values: an empty one that matched passes the measurements rule; a mismatch shows both values" {
	$PY - "$T/cap.bin" "$T/cap2.bin" "$ROOT/scripts/gen-spdm.py" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("g", sys.argv[3])
g = importlib.util.module_from_spec(spec); spec.loader.exec_module(g)
req = g.get_measurements(0x11, 0, 0xFF)
bl = [g.block(6, 0x86, b""), g.block(7, 0x87, bytes.fromhex("0500000000000000"))]
open(sys.argv[1], "wb").write(req + g.measurements(0x11, 0, 0, bl, g.RSP_NONCE, b""))
bl = [g.block(6, 0x86, b"1.2.4"), g.block(7, 0x87, bytes.fromhex("0500000000000000"))]
open(sys.argv[2], "wb").write(req + g.measurements(0x11, 0, 0, bl, g.RSP_NONCE, b""))
PY
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "measurements"}]}' > "$T/pol.json"
	fwtrail rim create --vendor V --model M --from-spdm "$T/cap.bin" -o "$T/g.corim"
	# attest check's own record of an empty raw value that matched is one audit reads
	fwtrail attest check -q --json -e "$T/cap.bin" -r "$T/g.corim" > "$T/rec.json"
	[ "$(jq -c '.components[] | select(.index == 6) | [.status, .value, .reference.value]' "$T/rec.json")" = '["match","",""]' ]
	run --separate-stderr -0 fwtrail audit --policy "$T/pol.json" --appraisal "$T/rec.json"
	run --separate-stderr -0 fwtrail audit --policy "$T/pol.json" -e "$T/cap.bin" -r "$T/g.corim"
	# an empty digest is no match: a record claiming one is malformed
	jq '.components[0] |= (.alg = "sha384" | .digest = "" | .value = null | .reference.alg = "sha384" |
		.reference.digest = "" | .reference.value = null)' "$T/rec.json" > "$T/bad.json"
	run --separate-stderr -4 fwtrail audit --policy "$T/pol.json" --appraisal "$T/bad.json"
	# a raw mismatch: the reason gives the measured and the reference value
	fwtrail rim create --vendor V --model M -m 6=raw:$(printf 1.2.3 | xxd -p) -o "$T/a.corim"
	run --separate-stderr -1 fwtrail audit --policy "$T/pol.json" -e "$T/cap2.bin" -r "$T/a.corim"
	assert_output --partial "spdm index 6 'version': mismatch: measured raw:312e322e34..., reference 312e322e33... in '$T/a.corim'"
}

@test "forbidden-cwe with thousands of ids: the forbidden one among them is found; the first repeat is named" {
	# 4096 ids (the list cap), CWE-787 last and in another spelling
	$PY - "$T/big.json" <<'EOF'
import json, sys
ids = ["CWE-%d" % i for i in range(2000, 6095)] + ["cwe-0787"]
json.dump({"fwtrail_policy": 1, "rules": [{"rule": "forbidden-cwe", "cwes": ids}]}, open(sys.argv[1], "w"))
EOF
	run --separate-stderr -1 audit "$A/records/cwe-forbidden.json" --policy "$T/big.json"
	assert_line "FAIL  forbidden-cwe"
	assert_output --partial "is CWE-787, which the policy forbids"
	run --separate-stderr -0 audit "$A/records/good.json" --policy "$T/big.json"
	# the first entry that repeats an earlier one, whatever comes after
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "forbidden-cwe", "cwes": ["CWE-9", "CWE-7", "CWE-7", "CWE-9", "CWE-7"]}]}' > "$T/rep.json"
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$T/rep.json"
	assert_equal "$stderr" "fwtrail audit: '$T/rep.json': \$.rules[0].cwes[2]: repeats entry [1]"
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "forbidden-cwe", "cwes": ["CWE-9", "CWE-7", "CWE-8", "CWE-009", "CWE-7"]}]}' > "$T/rep.json"
	run --separate-stderr -4 audit "$A/records/good.json" --policy "$T/rep.json"
	assert_equal "$stderr" "fwtrail audit: '$T/rep.json': \$.rules[0].cwes[3]: repeats entry [0]"
}

# Four rules listing every PCR over 100,000 event-log components: each
# listed PCR was looked for in every component, and each component in
# every listed PCR (34 s); both are sets now.
@test "measurements listing 1024 PCRs over 100,000 components: in seconds" {
	skip_if_sanitized "timing"
	$PY - "$T" <<'EOF'
import json, sys
comps = [{"source": "eventlog", "index": i % 1000, "alg": "sha256", "digest": "aa", "status": "match",
          "reference": {"alg": "sha256", "digest": "aa"}, "review": {"status": "unreviewed"}} for i in range(100000)]
json.dump({"schema": 1, "components": comps}, open(sys.argv[1] + "/big.json", "w"), separators=(",", ":"))
rules = [{"rule": "measurements", "id": "m%d" % k, "pcrs": list(range(1024))} for k in range(4)]
json.dump({"fwtrail_policy": 1, "rules": rules}, open(sys.argv[1] + "/p.json", "w"))
EOF
	appraisal "$T/big.json"
	run --separate-stderr -1 timeout 10 "$FWTRAIL" audit --at "$AT" --appraisal "$T/big.json" --policy "$T/p.json"
	assert_line "verdict: fail (4 failed, 0 warned, 0 passed)"
	# PCRs 1000 to 1023, in the policy's order, for each rule
	[ "$(grep -c ': not in the record$' <<<"$output")" -eq 96 ]
	[ "$(grep -A1 '^FAIL  m3' <<<"$output" | tail -1)" = "      PCR 1000: not in the record" ]
	assert_line "      PCR 1023: not in the record"
}

# review-coverage walked every component for each of its selectors (50,000
# components and 4096 selectors: minutes) and every allowed reviewer for
# each reviewed component (4096 names sharing a 200-byte prefix: 20 s).
@test "review-coverage with 4096 selectors or 4096 reviewers over 50,000 components: in seconds" {
	skip_if_sanitized "timing"
	$PY - "$T" <<'EOF'
import json, sys
d = sys.argv[1]
comps = [{"source": "spdm", "name": "%04x" % (i % 4096), "status": "unknown", "review": {"status": "reviewed"}}
         for i in range(50000)]
json.dump({"schema": 1, "components": comps}, open(d + "/sel.json", "w"), separators=(",", ":"))
# one selector more than the names: "1000" matches no component
sel = [{"source": "spdm", "name": "%04x" % i} for i in range(4097)]
json.dump({"fwtrail_policy": 1, "rules": [{"rule": "review-coverage", "components": sel[1:]}]},
          open(d + "/p-sel.json", "w"))
rev = lambda i: "reviewer-" + "x" * 200 + "-%d" % i
comps = [{"source": "spdm", "index": i, "status": "unknown",
          "review": {"status": "reviewed", "srp": rev(i % 4097).upper()}} for i in range(50000)]
json.dump({"schema": 1, "components": comps}, open(d + "/who.json", "w"), separators=(",", ":"))
json.dump({"fwtrail_policy": 1, "rules": [{"rule": "review-coverage", "reviewers": [rev(i) for i in range(4096)]}]},
          open(d + "/p-who.json", "w"))
EOF
	appraisal "$T/sel.json" "$T/who.json"
	run --separate-stderr -1 timeout 10 "$FWTRAIL" audit --at "$AT" --appraisal "$T/sel.json" --policy "$T/p-sel.json"
	assert_line "      no component of the record matches source spdm name '1000'"
	[ "$(grep -c '^      ' <<<"$output")" -eq 1 ]
	# the reviewers are compared without regard to case: only the 12
	# reviews by reviewer ...-4096 are not allowed, in the record's order
	run --separate-stderr -1 timeout 10 "$FWTRAIL" audit --at "$AT" --appraisal "$T/who.json" --policy "$T/p-who.json"
	[ "$(grep -c "^      spdm index [0-9]*: reviewed by 'REVIEWER-X*\.\.\.', not an allowed reviewer$" <<<"$output")" -eq 12 ]
	assert_equal "$(grep '^      ' <<<"$output" | cut -d' ' -f9 | tr -d :)" "$(seq 4096 4097 49999)"
}

# Loading a policy compared each entry of a list with every one before it
# to find repeats: at the caps (4096 entries a list, 1 MiB a policy) one
# policy took 1.5 to 4 s, these five together 16 s.  Each but the last
# two has one repeat, at the end of its last list.
@test "policies of 1 MiB of 4096-entry lists load in seconds; the first repeat is named" {
	skip_if_sanitized "timing"
	$PY - "$T" <<'EOF'
import itertools, json, sys
d = sys.argv[1]
names = ["".join(p) for p in itertools.product("abcdefghijklmnopqrstuvwxyz0123456789", repeat=3)][:4096]
def fill(name, mk, last=None):
    # rules made by mk(k) up to 1 MiB; last(rule) changes the last one
    rules, size = [], 0
    while len(rules) < 256:
        r = mk(len(rules))
        size += len(json.dumps(r, separators=(",", ":"))) + 1
        if size > (1 << 20) - 256:
            break
        rules.append(r)
    if last:
        last(rules[-1])
    json.dump({"fwtrail_policy": 1, "rules": rules}, open("%s/%s.json" % (d, name), "w"), separators=(",", ":"))
sel = lambda k: {"rule": "review-coverage", "id": "r%d" % k,
                 "components": [{"source": "spdm", "index": 1, "name": n} for n in names]}
fill("sel", sel, lambda r: r["components"].__setitem__(-1, {"name": names[100], "index": 1, "source": "spdm"}))
who = lambda k: {"rule": "review-coverage", "id": "r%d" % k, "reviewers": names}
fill("who", who, lambda r: r.__setitem__("reviewers", names[:-1] + [names[7].upper()]))
fpr = lambda k: {"rule": "signatures", "id": "r%d" % k, "reviewer": ["%064X" % (i + 0xabc000) for i in range(4096)]}
fill("fpr", fpr, lambda r: r["reviewer"].__setitem__(-1, "%064x" % (5 + 0xabc000)))
fill("sel-ok", sel)
fill("name-ok", lambda k: {"rule": "review-coverage", "id": "r%d" % k,
                           "components": [{"source": "spdm", "name": n} for n in names]})
EOF
	run --separate-stderr -0 timeout 10 bash -c 'for p in sel who fpr sel-ok name-ok; do
		"$FWTRAIL" audit -q --at "$1" --appraisal "$2" --policy "$3/$p.json" 2>&1; echo "$p: exit $?"; done' \
		_ "$AT" "$A/records/good.json" "$T"
	assert_line "fwtrail audit: '$T/sel.json': \$.rules[5].components[4095]: repeats entry [100]"
	assert_line "sel: exit 4"
	assert_line "fwtrail audit: '$T/who.json': \$.rules[41].reviewers[4095]: repeats entry [7]"
	assert_line "who: exit 4"
	assert_line "fwtrail audit: '$T/fpr.json': \$.rules[2].reviewer[4095]: repeats entry [5]"
	assert_line "fpr: exit 4"
	assert_line "sel-ok: exit 1"
	assert_line "name-ok: exit 1"
	[ "${#lines[@]}" -eq 10 ]
}

# The signatures rule walked the allowed keys for each signature: 100,000
# signatures against 4096 fingerprints sharing 60 digits took 24 s.
@test "signatures: 100,000 signatures against 4096 allowed keys in seconds" {
	skip_if_sanitized "timing"
	$PY - "$T" <<'EOF'
import json, sys
d = sys.argv[1]
# keys in upper case, allowed in lower case; those of 4096 to 4099 not allowed
sigs = [{"path": "s%d" % i, "kind": "rim", "verified": True, "fingerprint": "F" * 60 + "%04X" % (i % 4100)}
        for i in range(100000)]
json.dump({"schema": 1, "signatures": sigs}, open(d + "/rec.json", "w"), separators=(",", ":"))
json.dump({"fwtrail_policy": 1, "rules": [{"rule": "signatures", "require": ["rim"],
                                           "vendor": ["f" * 60 + "%04x" % i for i in range(4096)]}]},
          open(d + "/p.json", "w"))
EOF
	appraisal "$T/rec.json"
	run --separate-stderr -1 timeout 10 "$FWTRAIL" audit --at "$AT" --appraisal "$T/rec.json" --policy "$T/p.json"
	[ "${lines[2]}" = "      's4096' (rim): signed by key FFFFFFFFFFFFFFFF... ('?'), which is not an allowed vendor key" ]
	[ "${lines[5]}" = "      's4099' (rim): signed by key FFFFFFFFFFFFFFFF... ('?'), which is not an allowed vendor key" ]
	[ "${lines[6]}" = "      's8196' (rim): signed by key FFFFFFFFFFFFFFFF... ('?'), which is not an allowed vendor key" ]
	assert_line "      ... and 32 more"
}

# Records attest check wrote, with a member it always writes taken out:
# read as "nothing to say" (no conflicts, no TPM comparison, a failed SPDM
# signature as unchecked, no review), each let a failing record pass.
@test "--appraisal: a record missing what attest check always writes is refused (exit 4), never read as nothing wrong" {
	local S="$TESTDATA/server"
	cd "$S"
	run -1 bash -c '"$FWTRAIL" attest check --json -e evidence/bmc.spdm --spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-chain.pem -r rim/vendor.signed.corim -r rim/bmc-3.0.signed.corim -t trust > "$1"' _ "$T/conf.json"
	run -1 bash -c '"$FWTRAIL" attest check --json --local --sysfs-root sysfs-bad-pcr -r rim/vendor.signed.corim -t trust > "$1"' _ "$T/local.json"
	run -1 bash -c '"$FWTRAIL" attest check --json -e evidence/bmc-tampered.spdm --spdm-cert evidence/bmc-chain.pem -r rim/vendor.signed.corim -t trust > "$1"' _ "$T/forged.json"
	$PY - "$T" <<'PY'
import json, sys
d = sys.argv[1]
def edit(src, dst, fn):
    r = json.load(open(d + "/" + src)); fn(r); json.dump(r, open(d + "/" + dst, "w"))
edit("conf.json", "no-conflicts.json", lambda r: r.pop("conflicts"))
edit("local.json", "no-tpm.json", lambda r: [i.pop("tpm", None) for i in r["inputs"]])
edit("forged.json", "no-checked.json", lambda r: [s.pop("signature_checked", None) for s in r["signatures"]])
edit("conf.json", "no-review.json", lambda r: [c.update(review=None) for c in r["components"]])
edit("conf.json", "no-count.json", lambda r: r["summary"].update(conflicts=0))
PY
	echo '{"fwtrail_policy":1,"rules":[{"rule":"measurements"}]}' > "$T/m.json"
	echo '{"fwtrail_policy":1,"rules":[{"rule":"review-coverage","level":"warn"}]}' > "$T/r.json"
	# as written, each is a no
	for f in conf local; do
		run --separate-stderr -1 fwtrail audit --policy "$T/m.json" --appraisal "$T/$f.json"
	done
	for f in no-conflicts:'it has no "conflicts"' no-tpm:'$.inputs[0]: "tpm" is missing' \
		no-checked:'"signature_checked" is missing' no-review:'"review" is missing' \
		no-count:'$.summary: "conflicts" is missing or does not agree'; do
		run --separate-stderr -4 fwtrail audit --policy "$T/m.json" --appraisal "$T/${f%%:*}.json"
		[[ $stderr == *"${f#*:}"* ]] || fail "${f%%:*}: $stderr"
		run --separate-stderr -4 fwtrail audit --policy "$T/r.json" --appraisal "$T/${f%%:*}.json"
	done
}
