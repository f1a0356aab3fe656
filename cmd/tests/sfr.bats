#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail sfr create, lint, sign and show.

load helpers

K="$TESTDATA/sfr/keys"
REPORT="$TESTDATA/sfr/bmc-report.json"
FW="$TESTDATA/firmware/bmc-1.2.3.bin"
SAMPLES="$CORPORA/sfr/shortform_report-main/samples"

setup() {
	T=$BATS_TEST_TMPDIR
}

create_full() {
	fwtrail sfr create --vendor 'ACME Inc' --product 'ACME BMC' --category BMC --repo-tag release_v1_2_3 \
		--fw-version 1.2.3 --fw "$FW" --srp 'ACME Review Lab' --methodology whitebox \
		--completion-date 2026-03-14 --report-version 1.0 --scope 1 --issues "${ISSUES:-$TESTDATA/sfr/issues.json}" "$@"
}

@test "create: from options, a firmware image and a JSON issue list equals the fixture" {
	run -0 create_full -o "$T/r.json"
	$PY - "$T/r.json" "$REPORT" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a == b, (a, b)
assert list(a) == ["review_framework_version", "device", "audit"]
assert list(a["device"])[:5] == ["vendor", "product", "category", "repo_tag", "fw_version"]
PY
	run -0 fwtrail sfr lint "$T/r.json"
	assert_output "$T/r.json: no findings"
}

@test "create: an existing output without --force is refused first, one line, before any lint finding (exit 2)" {
	echo keep > "$T/exists.json"
	run --separate-stderr -2 fwtrail sfr create --vendor ACME -o "$T/exists.json"
	assert_equal "$stderr" "fwtrail sfr create: '$T/exists.json' already exists (use --force to replace it)"
	assert_equal "$(cat "$T/exists.json")" keep
	# with --force: written, the findings warned
	run --separate-stderr -0 fwtrail sfr create --vendor ACME -o "$T/exists.json" --force
	[[ $stderr == *"warning"* ]]
	grep -q '"vendor": "ACME"' "$T/exists.json"
}

@test "create: CSV issues with quotes, commas, CRLF and an empty cve" {
	ISSUES="$TESTDATA/sfr/issues.csv" run -0 create_full -o "$T/r.json"
	# an option of one value given twice is refused, never the last one winning
	run --separate-stderr -2 create_full --issues "$TESTDATA/sfr/issues.csv" -o "$T/r2.json"
	assert_equal "${stderr_lines[0]}" "fwtrail sfr create: --issues is given twice: it takes one value"
	[ ! -e "$T/r2.json" ]
	$PY - "$T/r.json" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))["audit"]["issues"]
assert len(i) == 2
assert i[0]["description"] == "A long field overflows a stack buffer., with a comma", i[0]
assert i[1]["cve"] is None and i[0]["cve"] == "CVE-2026-10001"
PY
}

@test "create: --manifest takes a folder or an archive and sets the manifest hashes" {
	need_corpus sfr
	run -0 fwtrail sfr create --manifest "$SAMPLES/manifest/myapp" -o "$T/a.json"
	tar -C "$SAMPLES/manifest" -czf "$T/myapp.tar.gz" myapp
	run -0 fwtrail sfr create --manifest "$T/myapp.tar.gz" -o "$T/b.json"
	$PY - "$T/a.json" "$T/b.json" "$SAMPLES/manifest/manifest.json" <<'PY'
import json, sys
a, b, ref = (json.load(open(p))["device"] for p in sys.argv[1:4])
for k in ("manifest", "fw_hash_sha2_384", "fw_hash_sha2_512"):
    assert a[k] == b[k] == ref[k], k
PY
}

@test "create: a file the manifest hashed is an input, never an output (exit 2)" {
	mkdir -p "$T/d2"
	echo firmware > "$T/d2/a.bin"
	echo old > "$T/d2/out.json"
	run --separate-stderr -2 fwtrail -q sfr create --manifest "$T/d2" -o "$T/d2/out.json" --force
	assert_equal "$stderr" "fwtrail sfr create: refusing to write '$T/d2/out.json': it is one of the inputs"
	assert_equal "$(cat "$T/d2/out.json")" old
	tar -C "$T" -cf "$T/d2.tar" d2
	run -2 fwtrail sfr create --manifest "$T/d2.tar" -o "$T/d2.tar" --force
	run -0 fwtrail sfr create --manifest "$T/d2" -o "$T/d2/new.json"
}

# RELIABILITY O7: inputs are opened with O_NOFOLLOW unless --follow-symlinks.
@test "create O7: --from, --fw, --manifest, --issues as symbolic links are exit 2 with nothing written, unless --follow-symlinks" {
	mkdir -p "$T/in/rel" "$T/o"
	cp "$REPORT" "$T/in/r.json"
	cp "$FW" "$T/in/fw.bin"
	cp "$TESTDATA/sfr/issues.csv" "$T/in/issues.csv"
	cp "$FW" "$T/in/rel/fw.bin"
	tar -C "$T/in" -cf "$T/in/rel.tar" rel
	for f in r.json fw.bin issues.csv rel rel.tar; do ln -s "$f" "$T/in/$f.link"; done
	I=$T/in
	snapshot_out "$T/o/r.json"
	for args in "--from $I/r.json.link" "--fw $I/fw.bin.link" "--manifest $I/rel.link" "--manifest $I/rel.tar.link" \
		"--issues $I/issues.csv.link"; do
		# shellcheck disable=SC2086
		run --separate-stderr -2 fwtrail sfr create $args -o "$T/o/r.json"
		assert_equal "$stderr" "fwtrail sfr create: '${args#* }' is a symbolic link (not followed without --follow-symlinks)"
		assert_nothing_written
	done
	# a link to a folder given to --fw is named as a link, not as a folder
	run --separate-stderr -2 fwtrail sfr create --fw "$I/rel.link" -o "$T/o/r.json"
	assert_equal "$stderr" "fwtrail sfr create: '$I/rel.link' is a symbolic link (not followed without --follow-symlinks)"
	assert_nothing_written
	# followed: the same report as from the real files
	fwtrail -q sfr create --from "$I/r.json" --fw "$I/fw.bin" --issues "$I/issues.csv" -o "$T/real.json"
	run -0 fwtrail -q sfr create --follow-symlinks --from "$I/r.json.link" --fw "$I/fw.bin.link" \
		--issues "$I/issues.csv.link" -o "$T/o/r.json"
	cmp "$T/real.json" "$T/o/r.json"
	fwtrail -q sfr create --from "$I/r.json" --manifest "$I/rel" -o "$T/real-m.json"
	run -0 fwtrail -q sfr create --follow-symlinks --from "$I/r.json" --manifest "$I/rel.link" -o "$T/o/m.json"
	cmp "$T/real-m.json" "$T/o/m.json"
	fwtrail -q sfr create --from "$I/r.json" --manifest "$I/rel.tar" -o "$T/real-t.json"
	run -0 fwtrail -q sfr create --follow-symlinks --from "$I/r.json" --manifest "$I/rel.tar.link" -o "$T/o/t.json"
	cmp "$T/real-t.json" "$T/o/t.json"
}

@test "create: --fw-hash for ROM reviews, --from with options overriding" {
	h384=$(sha384sum < "$FW" | cut -d' ' -f1)
	run -0 fwtrail sfr create --from "$REPORT" --fw-hash "sha384:0x${h384^^}" --fw-version 9.9 --scope 2 -o "$T/r.json"
	$PY - "$T/r.json" "$h384" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["device"]["fw_hash_sha2_384"] == sys.argv[2]
assert r["device"]["fw_hash_sha2_512"] == ""
assert r["device"]["fw_version"] == "9.9" and r["audit"]["scope_number"] == 2
assert r["audit"]["issues"][0]["cwe"] == "CWE-121"
PY
	run -2 fwtrail sfr create --fw-hash sha256:00 -o "$T/x.json"
	run -2 fwtrail sfr create --fw-hash "sha384:${h384:1}"
	run -2 fwtrail sfr create --fw "$FW" --fw-hash "sha384:$h384"
	run -2 fwtrail sfr create --scope one
	[ ! -e "$T/x.json" ]
}

@test "create: a skeleton lists every missing field, errors as 'error:', the rest as 'warning:'; malformed inputs are exit 4" {
	run --separate-stderr -0 fwtrail sfr create
	# the severity --json gives, in words: the blocking ones are errors
	[[ $stderr == *$'\n'"fwtrail sfr create: error: \$.audit.srp: srp is empty"$'\n'* ]]
	[[ $stderr == *$'\n'"fwtrail sfr create: warning: \$.device.category: category is missing"$'\n'* ]]
	[[ $stderr != *"warning: \$.audit.srp"* ]]
	$PY -c 'import json,sys; r=json.load(sys.stdin); assert r["review_framework_version"]=="1.1" and r["audit"]["issues"]==[]' <<<"$output"
	printf 'title,severity\nA,high\n' > "$T/bad.csv"
	run --separate-stderr -4 fwtrail sfr create --issues "$T/bad.csv" -o "$T/out.json"
	[[ $stderr == *"unknown column 'severity'"* ]]
	[ ! -e "$T/out.json" ]
	run -3 fwtrail sfr create --from "$T/missing.json"
}

@test "create: in a one-column CSV a quoted \"\" is an issue with an empty title, a blank line is none" {
	printf 'title\n""\n\n' > "$T/one.csv"
	run --separate-stderr -0 fwtrail sfr create --issues "$T/one.csv" -o "$T/r.json"
	[[ $stderr == *'$.audit.issues[0].title: title is empty'* ]]
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); assert [i["title"] for i in r["audit"]["issues"]]==[""]' "$T/r.json"
}

@test "create: standard output redirected onto the --from report is refused (exit 2), the report kept" {
	cp "$TESTDATA/sfr/bmc-report.json" "$T/r.json"
	run -2 sh -c '"$0" sfr create --from "$1" >> "$1"' "$FWTRAIL" "$T/r.json"
	assert_equal "$output" "fwtrail sfr create: refusing to write standard output: it is one of the inputs"
	cmp "$T/r.json" "$TESTDATA/sfr/bmc-report.json"
}

@test "create --json: one object with the report and the findings" {
	run -0 create_full --json
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] and o["command"]=="sfr create" and o["report"]["device"]["vendor"]=="ACME Inc" and o["findings"]==[]' <<<"$output"
}

@test "lint: one line per finding, exit 1 on errors, 0 on warnings only" {
	run -1 fwtrail sfr lint "$TESTDATA/sfr/bad/bmc-report-lint-errors.json"
	assert_equal "${#lines[@]}" 2
	assert_line --partial "error: \$.audit.completion_date: completion_date '2026-02-30' is not a date"
	assert_line --partial "error: \$.audit.issues[0].cvss_score: cvss_score 9.9 does not match the vector's base score 7.8"
	need_corpus sfr
	run -0 fwtrail sfr lint "$SAMPLES/manifest/manifest.json"
	assert_line --partial "warning: \$.audit.issues[0].cvss_vector: cvss_vector has no 'CVSS:3.1/' prefix"
	run -1 fwtrail sfr lint --strict "$SAMPLES/manifest/manifest.json"
	run -1 fwtrail sfr lint "$SAMPLES/helloworld.jws"
	assert_line --partial "completion_date 'None' is not a date"
}

@test "lint: a CVSS 3 vector is checked whatever cvss_version says; only '4.0' is CVSS 4 (exit 1)" {
	cd "$BATS_TEST_TMPDIR"
	# cvss_version 4.0 over a CVSS 3.1 vector whose score was lowered:
	# lint, sign and verify all said yes
	jq '.audit.cvss_version = "4.0" | .audit.issues[0].cvss_score = "1.0"' "$TESTDATA/sfr/bmc-report.json" > v4.json
	run -1 fwtrail sfr lint v4.json
	assert_line "v4.json: error: \$.audit.issues[0].cvss_vector: cvss_vector is CVSS 3.1 but audit.cvss_version is 4.0"
	assert_line "v4.json: error: \$.audit.issues[0].cvss_score: cvss_score 1.0 does not match the vector's base score 7.8"
	run -1 fwtrail sfr sign --key "$TESTDATA/sfr/keys/es384.key.pem" --kid k -o v4.jws v4.json
	[ ! -e v4.jws ]
	jq '.audit.cvss_version = "4.banana"' "$TESTDATA/sfr/bmc-report.json" > banana.json
	run -1 fwtrail sfr lint banana.json
	assert_line "banana.json: error: \$.audit.cvss_version: cvss_version '4.banana' is not a CVSS version (3.0, 3.1, 4.0)"
	# a 4.0 report with 4.0 vectors only warns; a 4.0 report without one is an error
	jq '.audit.cvss_version = "4.0" | .audit.issues |= map(.cvss_vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")' \
		"$TESTDATA/sfr/bmc-report.json" > v40.json
	run -0 fwtrail sfr lint v40.json
	assert_line "v40.json: warning: \$.audit.cvss_version: cvss_version '4.0': CVSS 4 vectors and scores are not checked"
	jq '.audit.issues[0].cvss_vector = "AV:N/AC:L"' v40.json > v40-bad.json
	run -1 fwtrail sfr lint v40-bad.json
	assert_line "v40-bad.json: error: \$.audit.issues[0].cvss_vector: cvss_vector is not a CVSS 4.0 vector ('CVSS:4.0/...'), as audit.cvss_version says"
}

@test "lint: CVE ids as MITRE writes them, manifest names a release can hold; create: --scope without leading zeros" {
	cd "$BATS_TEST_TMPDIR"
	local cve
	for cve in CVE-2026-00001 CVE-2026-012345 CVE-2026-12345678901234567890; do
		jq --arg c "$cve" '.audit.issues[0].cve = $c' "$TESTDATA/sfr/bmc-report.json" > c.json
		run -1 fwtrail sfr lint c.json
		assert_line "c.json: error: \$.audit.issues[0].cve: cve '$cve' is not a CVE id (CVE-YYYY-NNNN)"
	done
	jq '.audit.issues[0].cwe = "CWE-99999999999999999999999"' "$TESTDATA/sfr/bmc-report.json" > w.json
	run -1 fwtrail sfr lint w.json
	assert_line "w.json: error: \$.audit.issues[0].cwe: cwe 'CWE-99999999999999999999999' is not a CWE id (CWE-<number>)"
	for cve in CVE-2026-0001 CVE-2026-1234 CVE-2026-1234567; do
		jq --arg c "$cve" '.audit.issues[0].cve = $c' "$TESTDATA/sfr/bmc-report.json" > c.json
		run -0 fwtrail sfr lint c.json
	done
	# manifest names a release can hold: a report naming others binds to nothing
	local name
	for name in ../../etc/passwd ./rel/a /abs rel//a rel/./a; do
		jq --arg n "$name" --arg h "$(printf '%0128d' 0)" '.device.manifest = [{"file_name": $n, "file_hash": $h}] | .device.fw_hash_sha2_384 = "" | .device.fw_hash_sha2_512 = ""' "$TESTDATA/sfr/bmc-report.json" > m.json
		run -1 fwtrail sfr lint m.json
		assert_line --partial "\$.device.manifest[0].file_name: file_name '$name' is not a path inside a release"
	done
	run -2 --separate-stderr fwtrail sfr create --scope 01 --vendor V -o s.json
	assert_equal "${stderr%%$'\n'*}" "fwtrail sfr create: --scope '01' is not a whole number"
	[ ! -e s.json ]
}

@test "lint --json and malformed or missing reports" {
	run -1 fwtrail sfr lint --json "$TESTDATA/sfr/bad/bmc-report-lint-errors.json" "$REPORT"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["errors"]==2 and not o["ok"] and o["reports"][1]["ok"] and o["reports"][0]["findings"][0]["severity"]=="error"' <<<"$output"
	printf '{"device":{},"audit":{},"device":{}}' > "$T/dup.json"
	run --separate-stderr -4 fwtrail sfr lint "$T/dup.json"
	[[ $stderr == *"duplicate"* ]]
	run -3 fwtrail sfr lint "$T/none.json"
	# J11: a number where the format has a string is malformed, not a warning
	$PY - "$REPORT" "$T/num.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["device"]["vendor"] = 5
json.dump(r, open(sys.argv[2], "w"))
PY
	run --separate-stderr -4 fwtrail sfr lint "$T/num.json"
	assert_equal "$stderr" "fwtrail sfr lint: '$T/num.json': \$.device.vendor is an integer, not a string"
}

@test "sign: ES384, ES512, PS384, PS512 tokens with the fixed header; -o is atomic" {
	for a in es384 es512 ps384 ps512; do
		run -0 fwtrail sfr sign --key "$K/$a.key.pem" --kid 'ACME Review Lab' -o "$T/$a.jws" "$REPORT"
		run -0 $PY - "$T/$a.jws" "${a^^}" <<'PY'
import base64, json, sys
tok = open(sys.argv[1]).read()
assert not tok.endswith("\n") and tok.count(".") == 2
h = tok.split(".")[0]
assert base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)) == ('{"alg":"%s","kid":"ACME Review Lab","typ":"JWT"}' % sys.argv[2]).encode()
PY
	done
	run -0 ls -A "$T"
	assert_output "$(printf 'es384.jws\nes512.jws\nps384.jws\nps512.jws')"
}

@test "sign: refuses lint errors, unfit keys, a control character in the kid; writes nothing" {
	mkdir "$T/o"
	snapshot_out "$T/o/out.jws"
	run --separate-stderr -1 fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o "$T/o/out.jws" "$TESTDATA/sfr/bad/bmc-report-lint-errors.json"
	[[ $stderr == *"refusing to sign"*"2 lint errors"* ]]
	assert_nothing_written
	run -6 fwtrail sfr sign --key "$K/p256.key.pem" --kid k -o "$T/o/out.jws" "$REPORT"
	run -6 fwtrail sfr sign --key "$K/rsa2048.key.pem" --kid k -o "$T/o/out.jws" "$REPORT"
	run -2 fwtrail sfr sign --key "$K/es512.key.pem" --kid $'a\nb' -o "$T/o/out.jws" "$REPORT"
	# C1 controls too (U+0085, U+009F), in either form; other non-ASCII text is a fine kid
	run -2 fwtrail sfr sign --key "$K/es512.key.pem" --kid $'a\xc2\x85b' -o "$T/o/out.jws" "$REPORT"
	assert_output --partial "the kid must not hold control characters"
	run -2 fwtrail sfr sign --key "$K/es512.key.pem" --kid $'a\xc2\x9fb' --format cose -o "$T/o/out.jws" "$REPORT"
	run -2 fwtrail sfr sign --key "$K/es512.key.pem" -o "$T/o/out.jws" "$REPORT"
	run -3 fwtrail sfr sign --key "$T/nokey.pem" --kid k -o "$T/o/out.jws" "$REPORT"
	assert_nothing_written
	cp "$REPORT" "$T/in.json"
	run -2 fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o "$T/in.json" --force "$T/in.json"
	cmp "$REPORT" "$T/in.json"
	fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o "$T/s.jws" "$REPORT"
	run -2 fwtrail sfr sign --key "$K/es512.key.pem" --kid k "$T/s.jws"
	run -2 fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o "$T/s.jws" "$REPORT"   # exists: --force needed
	run -0 fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o "$T/s.jws" --force "$REPORT"
}

@test "sign O7: a report given as a symbolic link is exit 2 with nothing written, unless --follow-symlinks" {
	mkdir "$T/o"
	cp "$REPORT" "$T/r.json"
	ln -s r.json "$T/r.link"
	fwtrail sfr convert --to corim -o "$T/r.corim" "$REPORT"
	ln -s r.corim "$T/c.link"
	snapshot_out "$T/o/r.jws"
	run --separate-stderr -2 fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o "$T/o/r.jws" "$T/r.link"
	assert_equal "$stderr" "fwtrail sfr sign: '$T/r.link' is a symbolic link (not followed without --follow-symlinks)"
	assert_nothing_written
	run --separate-stderr -2 fwtrail sfr sign --format cose --key "$K/es512.key.pem" --kid k -o "$T/o/r.jws" "$T/c.link"
	assert_equal "$stderr" "fwtrail sfr sign: '$T/c.link' is a symbolic link (not followed without --follow-symlinks)"
	assert_nothing_written
	# followed: the same signed content as from the real file (ECDSA
	# signatures differ run to run: compare header and payload, verify both)
	fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o "$T/real.jws" "$T/r.json"
	run -0 fwtrail sfr sign --follow-symlinks --key "$K/es512.key.pem" --kid k -o "$T/o/r.jws" "$T/r.link"
	cmp <(cut -d. -f1,2 "$T/real.jws") <(cut -d. -f1,2 "$T/o/r.jws")
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/real.jws" "$T/o/r.jws"
	fwtrail sfr sign --format cose --key "$K/es512.key.pem" --kid k -o "$T/real.cose" "$T/r.corim"
	run -0 fwtrail sfr sign --follow-symlinks --format cose --key "$K/es512.key.pem" --kid k -o "$T/o/r.cose" "$T/c.link"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/real.cose" "$T/o/r.cose"
	# the same headers and payload: only the signature may differ
	$PY - "$T/real.cose" "$T/o/r.cose" <<'PY'
import cbor2, sys
a, b = (cbor2.loads(open(p, "rb").read()) for p in sys.argv[1:3])
a, b = (x.value if isinstance(x, cbor2.CBORTag) else x for x in (a, b))
assert a[:3] == b[:3], (a[:3], b[:3])
PY
}

@test "sign: the payload is the report as compact JSON, members in their order" {
	run -0 fwtrail sfr sign --key "$K/es384.key.pem" --kid k "$REPORT"
	printf '%s' "$output" > "$T/t.jws"
	$PY - "$T/t.jws" "$REPORT" <<'PY'
import base64, json, sys
p = open(sys.argv[1]).read().strip().split(".")[1]
payload = base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).decode()
ref = json.load(open(sys.argv[2]))
assert payload == json.dumps(ref, separators=(",", ":"), ensure_ascii=False), payload
PY
}

@test "show: unsigned JSON and JWS, signature checked only with --trust/--key" {
	fwtrail sfr sign --key "$K/es512.key.pem" --kid 'ACME Review Lab' -o "$T/r.jws" "$REPORT"
	run -0 fwtrail sfr show "$REPORT"
	assert_line --regexp '^signature: +none \(an unsigned report\)$'
	assert_line --regexp '^vendor: +ACME Inc$'
	assert_line --regexp '^issues: +2 \(critical 0, high 1, medium 1, low 0, none 0\); highest CVSS 7.8$'
	run -0 fwtrail sfr show "$T/r.jws"
	assert_line --regexp '^signature: +not checked'
	assert_line --regexp "^format: +JWS ES512, kid 'ACME Review Lab'$"
	run -0 fwtrail sfr show --key "$K/es512.pub.pem" "$T/r.jws"
	assert_line --regexp "^signature: +verified with '.*es512.pub.pem' \(sha256:[0-9a-f]{64}\)$"
	run -1 fwtrail sfr show --key "$K/other-es512.pub.pem" "$T/r.jws"
	assert_line --regexp '^signature: +FAIL: ES512 signature does not verify with'
	run -1 fwtrail sfr show --key "$K/es512.pub.pem" "$REPORT"
	run -0 fwtrail sfr show --json --trust "$TESTDATA/sfr/trust-kids" "$T/r.jws"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] and o["signature"]["checked"] and o["format"]=="jws" and o["payload"]["device"]["product"]=="ACME BMC" and o["issues"]["highest_cvss"]=="7.8" and o["issues"]["high"]==1' <<<"$output"
}

@test "show and verify escape hostile strings (O9)" {
	$PY - "$REPORT" "$T/evil.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["device"]["vendor"] = "ACME\x1b[2J\nVERDICT: PASS\x9b31m"
r["audit"]["issues"][0]["title"] = "x" * 5000 + "\x07"
r["device"]["product"] = "BMC \u202egnp.exe\u2066\u2028"  # shows as "BMC exe.png" unescaped
json.dump(r, open(sys.argv[2], "w"))
PY
	fwtrail sfr sign --key "$K/es512.key.pem" --kid $'lab\xc3\xa9' -o "$T/evil.jws" "$T/evil.json"
	run -0 fwtrail sfr show --key "$K/es512.pub.pem" "$T/evil.jws"
	[ "$(printf '%s' "$output" | grep -c $'\e')" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c 'VERDICT')" -eq 1 ]
	assert_line --regexp '^vendor: +ACME\\x1b\[2J\\x0aVERDICT: PASS\\xc2\\x9b31m$'
	# bidirectional controls (Trojan Source) and the line separator by code point
	assert_line --regexp '^product: +BMC \\u202egnp\.exe\\u2066\\u2028$'
	assert_line --partial 'xxx...'
	run -0 fwtrail -v sfr verify --key "$K/es512.pub.pem" "$T/evil.jws"
	[ "$(printf '%s' "$output" | grep -c $'\e')" -eq 0 ]
	run -0 fwtrail sfr verify --json --key "$K/es512.pub.pem" "$T/evil.jws"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["reports"][0]["vendor"].startswith("ACME\x1b")' <<<"$output"
}

@test "help: every sfr verb has --help; unknown verbs are usage errors" {
	for v in create lint sign verify show; do
		run -0 fwtrail sfr "$v" --help
		assert_line --index 0 --regexp "^usage: fwtrail sfr $v"
	done
	run -2 fwtrail sfr frob
	run -2 fwtrail sfr
}

@test "J6: PS512 with MGF1-SHA256, the largest salt, or a signature not as long as the modulus: exit 1" {
	# made here with python cryptography, each over a good report and header
	$PY - "$TESTDATA/sfr/keys/ps512.key.pem" "$REPORT" "$T" <<'PY'
import base64, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
hdr = b64(json.dumps({"alg": "PS512", "kid": "k", "typ": "JWT"}).encode())
pl = b64(json.dumps(json.load(open(sys.argv[2])), separators=(",", ":")).encode())
tbs = (hdr + "." + pl).encode()
def pss(mgf, salt):
    return key.sign(tbs, padding.PSS(padding.MGF1(mgf), salt), hashes.SHA512())
good = pss(hashes.SHA512(), 64)
cases = {
    "good": good,
    "mgf-sha256": pss(hashes.SHA256(), 64),
    "salt-max": pss(hashes.SHA512(), padding.PSS.MAX_LENGTH),
    "salt-32": pss(hashes.SHA512(), 32),
    "long": b"\0" + good,
    "short": good[1:] if good[0] == 0 else good[:-1],
}
for name, sig in cases.items():
    open(sys.argv[3] + "/" + name + ".jws", "w").write(hdr + "." + pl + "." + b64(sig))
PY
	run -0 fwtrail sfr verify --key "$TESTDATA/sfr/keys/ps512.pub.pem" "$T/good.jws"
	for c in mgf-sha256 salt-max salt-32 long short; do
		run -1 fwtrail sfr verify --key "$TESTDATA/sfr/keys/ps512.pub.pem" "$T/$c.jws"
		assert_output --partial "FAIL $T/$c.jws"
	done
}

@test "--json -o -: standard output holds the JSON object alone, the result inside it" {
	run --separate-stderr -0 fwtrail sfr create --from "$REPORT" --json -o -
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] and o["report"]["device"] and o["output"] is None, o' <<< "$output"
	run --separate-stderr -0 fwtrail sfr convert --to json "$REPORT" --json -o -
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] and o["report"]["device"], o' <<< "$output"
	run --separate-stderr -0 fwtrail sfr sign --key "$K/es384.key.pem" --kid k "$REPORT" --json -o -
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] and o["jws"].count(".") == 2, o' <<< "$output"
}

@test "sign -o -: standard output holds the signed report alone, no status line after it" {
	fwtrail sfr sign --key "$K/es384.key.pem" --kid k -o - "$REPORT" > "$T/out.jws"
	fwtrail sfr verify --key "$K/es384.pub.pem" "$T/out.jws"
	[ "$(wc -l < "$T/out.jws")" -eq 1 ]
	fwtrail sfr convert --to corim -o "$T/r.corim" "$REPORT"
	fwtrail sfr sign --format cose --key "$K/es384.key.pem" --kid k -o - "$T/r.corim" > "$T/out.cose"
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/out.cose"
	# to a file, the status line stays
	run -0 --separate-stderr fwtrail sfr sign --key "$K/es384.key.pem" --kid k -o "$T/f.jws" "$REPORT"
	assert_output --partial "$T/f.jws: ES384 JWS signature by"
}

@test "lint --json: a failure has its error object; an unread report its own, as every command's" {
	echo '{' > "$T/broken.json"
	run --separate-stderr -3 fwtrail sfr lint --json "$T/missing.json"
	$PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["ok"] is False and d["error"] == {"code": "io", "message": "1 of 1 report could not be linted"}, d
r = d["reports"][0]
assert r["status"] == "io" and r["error"]["code"] == "io" and "cannot open" in r["error"]["message"], r
assert r["reason"] == r["error"]["message"], r' <<< "$output"
	run --separate-stderr -4 fwtrail sfr lint --json "$T/broken.json" "$REPORT"
	$PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["error"] == {"code": "malformed", "message": "1 of 2 reports could not be linted"}, d
assert d["reports"][1]["ok"] is True and "error" not in d["reports"][1], d' <<< "$output"
	# findings that fail the lint
	$PY - "$REPORT" "$T/bad.json" <<-'PY'
		import json, sys
		r = json.load(open(sys.argv[1]))
		r["audit"]["issues"][0]["cvss_score"] = "9.9"
		json.dump(r, open(sys.argv[2], "w"))
	PY
	run --separate-stderr -1 fwtrail sfr lint --json "$T/bad.json"
	$PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["error"] == {"code": "verify_failed", "message": "1 of 1 report has findings that fail the lint"}, d' <<< "$output"
	run -0 fwtrail sfr lint --json "$REPORT"
	$PY -c 'import json,sys; d=json.load(sys.stdin); assert d["ok"] is True and "error" not in d, d' <<< "$output"
}

@test "verify --json: a report that could not be read has an error object and no format" {
	run --separate-stderr -3 fwtrail sfr verify --json --key "$TESTDATA/sfr/keys/es384.pub.pem" "$T/missing.jws"
	$PY -c '
import json, sys
r = json.load(sys.stdin)["reports"][0]
assert r["error"]["code"] == "io" and "cannot open" in r["error"]["message"] and "format" not in r, r' <<< "$output"
}

@test "not an SFR: a firmware image, a text file, an empty file or a JSON array is exit 4 naming the file; JWS-like text keeps the JWS message" {
	cd "$T"
	cp "$FW" fw.bin
	printf 'release notes for 1.2.3.\nnothing else.\n' > notes.txt
	: > empty.json
	printf '[1,2]\n' > arr.json
	local f why verb
	for f in fw.bin:"" notes.txt:"" empty.json:": it is empty" arr.json:": a JSON array, not an object"; do
		why=${f#*:}
		f=${f%%:*}
		for verb in lint show "convert --to json" "sign --key $K/es512.key.pem --kid k" "create --from"; do
			run --separate-stderr -4 fwtrail sfr $verb "$f"
			assert_equal "$stderr" "fwtrail sfr ${verb%% *}: '$f': not an SFR (an OCP SAFE report as JSON, JWS, CoRIM or COSE)$why"
		done
		run --separate-stderr -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$f"
		assert_output "FAIL $f: not an SFR (an OCP SAFE report as JSON, JWS, CoRIM or COSE)$why"
	done
	# base64url text with dots is measured as a JWS, as is a token with a line appended
	printf 'eyJhbGciOiJFUzUxMiJ9.e30\n' > two.jws
	fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o three.jws "$REPORT"
	printf '\nsigned.\n' >> three.jws
	run --separate-stderr -4 fwtrail sfr lint two.jws three.jws
	assert_equal "$stderr" "fwtrail sfr lint: 'two.jws': a compact JWS has three parts separated by two dots, not 1 dot
fwtrail sfr lint: 'three.jws': a compact JWS has three parts separated by two dots, not 3 dots"
}

@test "create --issues: JSON that is an object, or a whole report, is no CSV: exit 4, said so" {
	cd "$T"
	printf '  {"title": "x"}\n' > one.json
	printf '{"issues": []}' > wrapped.json
	local f
	for f in one.json:"" wrapped.json:", but an object whose \"issues\" member is one" \
		"$REPORT:, but a report (its issues are the array at \$.audit.issues; --from starts from a report)"; do
		run --separate-stderr -4 fwtrail sfr create --vendor V -o out.json --issues "${f%%:*}"
		assert_equal "$stderr" "fwtrail sfr create: '${f%%:*}': not a JSON array of issues${f#*:}"
	done
	printf '{"title": ' > broken.json
	run --separate-stderr -4 fwtrail sfr create --vendor V -o out.json --issues broken.json
	[[ $stderr == "fwtrail sfr create: 'broken.json': JSON error at byte "* ]]
	[ ! -e out.json ]
}

@test "create: --completion-date is a date as the format writes it (YYYY-MM-DD), or a usage error (exit 2)" {
	local d
	for d in 14/03/2026 2026-3-14 2026-02-29 2026-13-01 20260314 ''; do
		run --separate-stderr -2 fwtrail sfr create --vendor V --completion-date "$d" -o "$T/o.json"
		assert_equal "${stderr_lines[0]}" "fwtrail sfr create: --completion-date '$d' is not a date (YYYY-MM-DD)"
		[ ! -e "$T/o.json" ]
	done
	run --separate-stderr -0 fwtrail sfr create --vendor V --completion-date 2028-02-29 -o "$T/o.json"
	run -0 jq -r .audit.completion_date "$T/o.json"
	assert_output 2028-02-29
}

@test "lint and sign --json: lint errors have one code, verify_failed (exit 1), in both" {
	local bad="$TESTDATA/sfr/bad/bmc-report-lint-errors.json"
	run --separate-stderr -1 fwtrail sfr lint --json "$bad"
	run -0 jq -r .error.code <<< "$output"
	assert_output verify_failed
	run --separate-stderr -1 fwtrail sfr sign --json --key "$K/es512.key.pem" --kid k "$bad"
	run -0 jq -c '[.ok, .error.code, ([.findings[] | select(.severity == "error")] | length)]' <<< "$output"
	assert_output '[false,"verify_failed",2]'
}

@test "lint names scope_number, or the old scope, by the report's own member" {
	cd "$T"
	jq '.audit.scope_number = "3.1"' "$REPORT" > new.json
	jq '.audit.scope = "3.1" | del(.audit.scope_number)' "$REPORT" > old.json
	jq '.audit.scope_number = "3"' "$REPORT" > text.json
	run -1 fwtrail sfr lint new.json old.json text.json
	assert_line "new.json: error: \$.audit.scope_number: scope_number '3.1' is not a whole number"
	assert_line "old.json: error: \$.audit.scope: scope '3.1' is not a whole number"
	assert_line "text.json: warning: \$.audit.scope_number: scope_number should be an integer (3)"
}

@test "'-' reads standard input in lint, show, verify, convert, sign and create; named '-'; read once" {
	cd "$T"
	run -0 fwtrail sfr lint - < "$REPORT"
	assert_output "-: no findings"
	run -0 fwtrail sfr lint --json "$REPORT" - < "$REPORT"
	run -0 jq -c '[.reports[].report]' <<< "$output"
	assert_output "[\"$REPORT\",\"-\"]"
	run --separate-stderr -2 fwtrail sfr lint - "$REPORT" - < "$REPORT"
	assert_equal "${stderr_lines[0]}" "fwtrail sfr lint: '-' (standard input) is given 2 times: it can be read once"
	run -0 fwtrail sfr show - < "$REPORT"
	assert_line "report:       -"
	assert_line "vendor:       ACME Inc"
	run -0 fwtrail sfr convert --to corim -o r.corim - < "$REPORT"
	cmp r.corim "$TESTDATA/sfr/bmc-report.corim"
	run -0 fwtrail sfr sign -q --key "$K/es512.key.pem" --kid k -o r.jws - < "$REPORT"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" r.jws - r.jws < r.jws
	assert_equal "${#lines[@]}" 3
	assert_line --index 1 --regexp "^OK -: ES512 signature by "
	run --separate-stderr -2 fwtrail sfr verify --key "$K/es512.pub.pem" - - < r.jws
	run -1 fwtrail sfr verify --json --key "$K/es512.pub.pem" - < "$REPORT"
	run -0 jq -c '[.reports[0].report, .reports[0].status]' <<< "$output"
	assert_output '["-","verify_failed"]'
	run --separate-stderr -4 fwtrail sfr show - < "$FW"
	assert_equal "$stderr" "fwtrail sfr show: '-': not an SFR (an OCP SAFE report as JSON, JWS, CoRIM or COSE)"
	run -0 fwtrail sfr create --from - --vendor 'Other Inc' -o new.json < "$REPORT"
	run -0 jq -r '.device.vendor, .device.product' new.json
	assert_output "Other Inc
ACME BMC"
	run -0 fwtrail sfr create --from "$REPORT" --issues - -o csv.json < "$TESTDATA/sfr/issues.csv"
	run -0 jq '.audit.issues | length' csv.json
	assert_output 2
	run --separate-stderr -2 fwtrail sfr create --from - --issues - -o both.json < "$REPORT"
	assert_equal "${stderr_lines[0]}" "fwtrail sfr create: --from and --issues are both '-': standard input can be read once"
	[ ! -e both.json ]
}

@test "a report past the 1 MiB fwtrail reads is never written: create and sign refuse it (exit 4)" {
	# 2000 issues: create wrote 1.1 MB that lint and sign then refused
	$PY -c 'import json,sys; json.dump([{"title": "I%d" % i, "cvss_score": "8.2", "cvss_vector": "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", "cwe": "CWE-122", "description": "D" * 300, "cve": None} for i in range(2000)], open(sys.argv[1], "w"))' "$T/many.json"
	run --separate-stderr -4 fwtrail sfr create --from "$REPORT" --issues "$T/many.json" -o "$T/big.json"
	[[ $stderr == "fwtrail sfr create: the report would be "*" bytes: more than the 1048576 bytes a report may be (fwtrail refuses to read it back)" ]] ||
		fail "$stderr"
	[ ! -e "$T/big.json" ]
	# a report under the cap whose JWS (a third larger) is over it
	$PY -c 'import json,sys; json.dump([{"title": "I%d" % i, "cvss_score": "8.2", "cvss_vector": "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", "cwe": "CWE-122", "description": "D" * 3000, "cve": None} for i in range(290)], open(sys.argv[1], "w"))' "$T/long.json"
	run -0 fwtrail sfr create -q --from "$REPORT" --issues "$T/long.json" -o "$T/long-r.json"
	run -0 fwtrail sfr lint -q "$T/long-r.json"
	run --separate-stderr -4 fwtrail sfr sign --key "$K/es384.key.pem" --kid k -o "$T/long.jws" "$T/long-r.json"
	[[ $stderr == "fwtrail sfr sign: refusing to write the signed report: "*" bytes, more than the 1048576 bytes a report may be (fwtrail refuses to read it back)" ]] ||
		fail "$stderr"
	[ ! -e "$T/long.jws" ]
}

@test "lint: a report whose hashes contradict its own manifest counts as failing in the summary" {
	jq '.device.manifest = []' "$REPORT" > "$T/me.json"
	run --separate-stderr -1 fwtrail --json sfr lint "$T/me.json"
	run -0 jq -r '.error.message, .reports[0].reason' <<< "$output"
	assert_output "1 of 1 report has findings that fail the lint
fw_hash_sha2_384 does not match the report's own manifest"
}

@test "lint: a required field of white space only is blank, as OCP's tooling (which strips it) finds it empty" {
	jq '.device.vendor = " \t" | .audit.srp = "\u00a0\u3000" | .audit.issues[0].title = "   " | .audit.issues[0].description = "\u2003"' \
		"$REPORT" > "$T/blank.json"
	run -1 fwtrail sfr lint "$T/blank.json"
	assert_output "$T/blank.json: error: \$.device.vendor: vendor is blank (white space only)
$T/blank.json: error: \$.audit.srp: srp is blank (white space only)
$T/blank.json: error: \$.audit.issues[0].title: title is blank (white space only)
$T/blank.json: warning: \$.audit.issues[0].description: description is blank (white space only)"
	# text around a space is text; a zero-width space is not white space to Python
	jq '.device.vendor = " ACME " | .audit.srp = "\u200b"' "$REPORT" > "$T/ok.json"
	run -0 fwtrail sfr lint "$T/ok.json"
}

@test "lint: a manifest naming one name both as a file and as a folder ('a' and 'a/b') is an error, as a name twice is" {
	# before: no findings, though sfr create and digest refuse such a release
	$PY - "$REPORT" "$T" <<'PY'
import hashlib, json, sys
r = json.load(open(sys.argv[1]))
for name, files in (("fold", ["a", "a-x", "a/b", "c/d", "c/d/e"]), ("flat", ["a", "a-x", "ab/c", "c/d"])):
    man = [{"file_name": f, "file_hash": hashlib.sha512(f.encode()).hexdigest()} for f in files]
    text = json.dumps(man, separators=(",", ":")).encode()
    r["device"].update(manifest=man, fw_hash_sha2_384=hashlib.sha384(text).hexdigest(),
                       fw_hash_sha2_512=hashlib.sha512(text).hexdigest())
    json.dump(r, open("%s/%s.json" % (sys.argv[2], name), "w"), indent=4)
PY
	run -1 fwtrail sfr lint "$T/fold.json"
	assert_output "$T/fold.json: error: \$.device.manifest[2]: file_name 'a' appears both as a file and as a folder ('a/b')
$T/fold.json: error: \$.device.manifest[4]: file_name 'c/d' appears both as a file and as a folder ('c/d/e')"
	run -0 fwtrail sfr lint "$T/flat.json"
	assert_output "$T/flat.json: no findings"
}

@test "lint: a cvss_score in range but not written as CVSS writes it gives the expected form" {
	local c
	# before: "cvss_score '7.80' is not a CVSS score (0.0 to 10.0)", though 7.80 is in range
	while IFS='|' read -r c want; do
		jq --arg c "$c" '.audit.issues[0].cvss_score = $c' "$REPORT" > "$T/s.json"
		run -1 fwtrail sfr lint "$T/s.json"
		assert_output "$T/s.json: error: \$.audit.issues[0].cvss_score: $want"
	done <<'CASES'
7.80|cvss_score '7.80' is not written as CVSS writes a score: '7.8' (one decimal, no leading zero, no spaces)
07.8|cvss_score '07.8' is not written as CVSS writes a score: '7.8' (one decimal, no leading zero, no spaces)
7.8 |cvss_score '7.8 ' is not written as CVSS writes a score: '7.8' (one decimal, no leading zero, no spaces)
0.78e1|cvss_score '0.78e1' is not written as CVSS writes a score: '7.8' (one decimal, no leading zero, no spaces)
7.85|cvss_score '7.85' is not a CVSS score (0.0 to 10.0, one decimal)
10.1|cvss_score '10.1' is not a CVSS score (0.0 to 10.0, one decimal)
nan|cvss_score 'nan' is not a CVSS score (0.0 to 10.0, one decimal)
CASES
}

@test "lint: a completion_date in the year 0000 is not a real date (error)" {
	# before: no findings
	jq '.audit.completion_date = "0000-01-01"' "$REPORT" > "$T/d.json"
	run -1 fwtrail sfr lint "$T/d.json"
	assert_output "$T/d.json: error: \$.audit.completion_date: completion_date '0000-01-01' is not a real date (the year 0000)"
	jq '.audit.completion_date = "0001-01-01"' "$REPORT" > "$T/d1.json"
	run -0 fwtrail sfr lint "$T/d1.json"
}

@test "create --fw - hashes standard input; '-' twice or --manifest - is a usage error (exit 2)" {
	run -0 create_full -q -o "$T/file.json"
	run --separate-stderr -0 fwtrail sfr create -q --from "$T/file.json" --fw - -o "$T/in.json" < "$FW"
	cmp "$T/file.json" "$T/in.json"
	run --separate-stderr -2 fwtrail sfr create --from - --fw - -o "$T/x.json" < "$FW"
	assert_equal "${stderr%%$'\n'*}" "fwtrail sfr create: --from and --fw are both '-': standard input can be read once"
	run --separate-stderr -2 fwtrail sfr create --from "$T/file.json" --manifest - -o "$T/x.json" < "$FW"
	assert_equal "${stderr%%$'\n'*}" "fwtrail sfr create: --manifest reads a folder or an archive file, not standard input ('-')"
	[ ! -e "$T/x.json" ]
	run --separate-stderr -2 fwtrail sfr sign --key - --kid k -o "$T/x.jws" "$T/file.json" < "$K/es384.key.pem"
	assert_equal "${stderr%%$'\n'*}" "fwtrail sfr sign: --key: keys are read from files or pkcs11: URIs, not standard input ('-')"
	run --separate-stderr -2 fwtrail sfr show --key - "$T/file.json" < "$K/es384.pub.pem"
	assert_equal "${stderr%%$'\n'*}" "fwtrail sfr show: --key: trusted keys are read from files or folders, not standard input ('-')"
}

@test "create and convert -o FILE say what they wrote in one line; not with -q, --json or to standard output" {
	run --separate-stderr -0 fwtrail sfr create --vendor $'ACME\e]0;x\a' --product BMC --fw-version 1.2.3 -o "$T/r.json"
	assert_output "$T/r.json: SFR (JSON) for 'ACME\\x1b]0;x\\x07' 'BMC', firmware '1.2.3'"
	# a quote or backslash in a name cannot end its quotes (review)
	run --separate-stderr -0 fwtrail sfr create --vendor "A', firmware '9" --product 'B\x0a' --fw-version 1 -o "$T/quote.json"
	assert_output "$T/quote.json: SFR (JSON) for 'A\\', firmware \\'9' 'B\\\\x0a', firmware '1'"
	run --separate-stderr -0 create_full --format corim -o "$T/r.corim"
	assert_output "$T/r.corim: SFR (CoRIM) for 'ACME Inc' 'ACME BMC', firmware '1.2.3'"
	run --separate-stderr -0 fwtrail sfr convert --to json -o "$T/c.json" "$T/r.corim"
	assert_output "$T/c.json: SFR (JSON) for 'ACME Inc' 'ACME BMC', firmware '1.2.3'"
	run --separate-stderr -0 fwtrail sfr convert --to corim -o "$T/c.corim" "$T/c.json"
	assert_output "$T/c.corim: SFR (CoRIM) for 'ACME Inc' 'ACME BMC', firmware '1.2.3'"
	run --separate-stderr -0 fwtrail sfr convert -q --to corim -o "$T/q.corim" "$T/c.json"
	assert_output ""
	cmp "$T/c.corim" "$T/q.corim"
	run --separate-stderr -0 create_full -q -o "$T/q.json"
	assert_output ""
	run --separate-stderr -0 fwtrail sfr convert --to json "$T/r.corim"
	run -0 $PY -c 'import json,sys; assert json.loads(sys.argv[1])["device"]["vendor"] == "ACME Inc"' "$output"
	run --separate-stderr -0 fwtrail sfr convert --json --to json -o "$T/j.json" "$T/r.corim"
	run -0 $PY -c 'import json,sys; assert json.loads(sys.argv[1])["output"] == sys.argv[2]' "$output" "$T/j.json"
}

# Review (stop 36): a standard input read in part before gave the digest
# of the rest as the firmware's hash, with exit 0.
@test "create --fw -: a standard input read in part is refused (exit 2), never the digest of the rest" {
	head -c 5000 /dev/urandom > "$T/fw.bin"
	run --separate-stderr -2 bash -c '{ dd bs=1000 count=1 of=/dev/null status=none; "$FWTRAIL" sfr create --vendor a --product b --fw-version 1 --fw - -o "$1"; } < "$2"' _ "$T/part.json" "$T/fw.bin"
	[[ $stderr == "fwtrail sfr create: '-' was not read from its start: 4000 of its 5000 bytes were read (a descriptor positioned past its start)"* ]] || fail "$stderr"
	[ ! -e "$T/part.json" ]
}
