#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The README cannot drift: its three walkthroughs run here word for word (in
# a prepared folder), and the figures it counts are current.

load helpers
uses_pkcs11_modules

# the shell lines of the ```sh block after "<!-- walkthrough: NAME -->"
walkthrough() {
	awk -v name="$1" '
		$0 == "<!-- walkthrough: " name " -->" { want = 1; next }
		want && /^```sh$/ { inside = 1; next }
		inside && /^```$/ { exit }
		inside { print }
	' "$ROOT/README.md"
}

run_walkthrough() { # name [sed-expression applied to the commands]
	walkthrough "$1" > "$T/walk.sh"
	[ -s "$T/walk.sh" ] || fail "walkthrough '$1' not found in README.md"
	[ -z "${2:-}" ] || sed -i "$2" "$T/walk.sh"
	# fwtrail on PATH is the binary under test
	mkdir -p "$T/bin"
	ln -sf "$FWTRAIL" "$T/bin/fwtrail"
	run bash -c 'set -euo pipefail; export PATH="$1:$PATH"; cd "$2"; source ./walk.sh' _ "$T/bin" "$T"
}

setup() {
	T=$BATS_TEST_TMPDIR
}

@test "walkthrough: a release engineer in CI" {
	command -v softhsm2-util >/dev/null || skip "softhsm2 is not installed"
	cd "$T"
	mkdir -p release srp-keys tok
	cp "$TESTDATA/firmware/bmc-1.2.3.bin" "$TESTDATA/firmware/rot-rom-1.0.bin" release/
	export SOFTHSM2_CONF="$T/softhsm2.conf"
	printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$T/tok" > "$SOFTHSM2_CONF"
	softhsm2-util --init-token --free --label ci-hsm --pin 112233 --so-pin 445566 >/dev/null
	export FWTRAIL_PIN=112233
	fwtrail key generate --type ec-p384 --label release --token "pkcs11:token=ci-hsm" >/dev/null
	# a reviewer's SFR for this very build, and the reviewer's key among the trusted
	cp "$TESTDATA/sfr/keys/es512.pub.pem" srp-keys/reviewer.pub
	fwtrail sfr create --vendor ACME --product "BMC 1" --repo-tag v1.2.3 --fw-version 1.2.3 \
		--fw release/bmc-1.2.3.bin --srp Reviewer --methodology whitebox --completion-date 2026-10-30 \
		--report-version 1.0 --scope 1 --cvss-version 3.1 -o r.json 2>/dev/null
	fwtrail sfr sign --key "$TESTDATA/sfr/keys/es512.key.pem" --kid Reviewer -o bmc.sfr.jws r.json >/dev/null
	run_walkthrough ci
	[ "$status" -eq 0 ] || fail "walkthrough failed ($status): $output"
	[ -f sigs/bmc-1.2.3.bin.cose ] && [ -f sigs/rot-rom-1.0.bin.cose ] && [ -f bmc.signed.corim ]
	$PY -c 'import json,sys; o=json.load(open(sys.argv[1])); assert o["ok"] is True, o' sfr-check.json
	# the PIN never reached a command line or the output
	[[ $output != *112233* ]]
}

@test "walkthrough: a security reviewer publishing an SFR" {
	cd "$T"
	cp "$TESTDATA/firmware/bmc-1.2.3.bin" .
	cp "$TESTDATA/sfr/keys/es512.key.pem" reviewer.pem
	cp "$TESTDATA/sfr/keys/es512.pub.pem" reviewer.pub
	printf '%s\n' 'title,cvss_score,cvss_vector,cwe,description,cve' \
		'Debug console reachable without authentication,8.1,CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N,CWE-306,The UART console accepts commands before login.,' \
		> issues.csv
	run_walkthrough reviewer
	[ "$status" -eq 0 ] || fail "walkthrough failed ($status): $output"
	for f in report.json report.jws report.corim report.cose; do [ -s "$f" ]; done
	[[ $output == *"OK report.jws"* && $output == *"OK report.cose"* ]]
}

@test "walkthrough: an operator spot-checking a server" {
	cd "$T"
	S=$TESTDATA/server
	cp "$S/rim/vendor.signed.corim" "$S/sfr/bmc-3.1.sfr.jws" "$S/sfr/bios-2.0.sfr.jws" "$S/sfr/boot.sfr.jws" \
		"$S/policy.json" .
	cp "$S/evidence/bmc.spdm" "$S/evidence/bmc-chain.pem" "$S/evidence/bmc-root.pem" .
	cp -r "$S/trust" trust
	# the machine's /sys is a captured one here, and nobody needs sudo
	run_walkthrough operator "s|^sudo ||; s|--local|--local --sysfs-root $S/sysfs|g"
	[ "$status" -eq 0 ] || fail "walkthrough failed ($status): $output"
	[ -s audit.jsonl ]
	[[ $output == *"verdict: warn"* ]]
	# the BMC's SPDM evidence is authenticated by its chain, and the policy's
	# device root admits it
	assert_line --regexp '^pass +signatures'
	refute_output --partial "unauthenticated"
}

@test "the README's counted figures are current" {
	local bats units fuzz
	bats=$(ls "$ROOT"/cmd/tests/*.bats | wc -l)
	units=$(ls "$ROOT"/lib/tests/*_test.c | wc -l)
	fuzz=$(ls "$ROOT"/lib/tests/fuzz_*.c | grep -vc fuzz_main)
	grep -q "^- $bats bats files and $units C unit-test binaries;" "$ROOT/README.md" ||
		fail "README.md should say: $bats bats files and $units C unit-test binaries"
	grep -q "^- $fuzz libFuzzer targets" "$ROOT/README.md" || fail "README.md should say: $fuzz libFuzzer targets"
	# every command in the command table exists, and every command is in it
	for c in $(fwtrail --list-commands); do
		grep -q "^| \`fwtrail $c" "$ROOT/README.md" || fail "README.md's command table lacks '$c'"
	done
}

@test "make demo's script runs the whole paper trail and catches both forgeries" {
	command -v softhsm2-util >/dev/null || skip "softhsm2 is not installed"
	run -0 "$ROOT/scripts/demo.sh"
	assert_line --partial "demo finished"
	[ "$(grep -c 'the answer is no, as it should be' <<<"$output")" -eq 2 ]
}
