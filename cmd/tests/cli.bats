#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The command-line skeleton: help, version, usage errors, exit codes, and the
# checked write to standard output.

load helpers
uses_pkcs11_modules

# every leaf command, as "cmd", "cmd verb" or "cmd verb verb": a node's
# --completion-helper prints its options ("-...": it runs) and its sub-verbs
walk() {
	local v out
	out=$(fwtrail $1 --completion-helper)
	if grep -q '^--' <<<"$out"; then echo "$1"; fi
	for v in $(grep -v '^-' <<<"$out"); do walk "$1 $v"; done
}
leaves() {
	local c
	for c in $(fwtrail --list-commands); do walk "$c"; done
}

@test "fwtrail --help lists every command and exits 0" {
	run -0 fwtrail --help
	assert_line --partial "usage: fwtrail"
	for c in $(fwtrail --list-commands); do
		assert_line --regexp "^  $c "
	done
}

@test "every leaf command has --help with a usage line, exit 0" {
	local n=0
	while read -r leaf; do
		run -0 fwtrail $leaf --help
		assert_line --regexp "^usage: fwtrail $leaf"
		n=$((n + 1))
	done < <(leaves)
	[ "$n" -ge 1 ]
}

@test "fwtrail help CMD shows the command's help" {
	run -0 fwtrail help digest
	assert_line --partial "usage: fwtrail digest"
	run --separate-stderr -2 fwtrail help no-such-command
	assert_equal "$stderr" "fwtrail: unknown command 'no-such-command'
Try 'fwtrail --help'."
}

@test "--version prints the version" {
	run -0 fwtrail --version
	assert_output --regexp '^fwtrail [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "no command: usage on stderr, exit 2" {
	run --separate-stderr -2 fwtrail
	assert_equal "$output" ""
	[[ $stderr == *"usage: fwtrail"* ]]
}

@test "unknown command: exit 2 with the usage-error wording and the Try line" {
	run --separate-stderr -2 fwtrail frobnicate
	assert_equal "$output" ""
	assert_equal "$stderr" "fwtrail: unknown command 'frobnicate'
Try 'fwtrail --help'."
}

@test "unknown verb: exit 2 with the usage-error wording and the Try line" {
	run --separate-stderr -2 fwtrail sfr frobnicate
	assert_equal "$output" ""
	assert_equal "$stderr" "fwtrail sfr: unknown verb 'frobnicate'
Try 'fwtrail sfr --help'."
	run --separate-stderr -2 fwtrail audit log frobnicate
	assert_equal "$stderr" "fwtrail audit log: unknown verb 'frobnicate'
Try 'fwtrail audit log --help'."
}

@test "unknown global option: exit 2 with Try 'fwtrail --help'" {
	run --separate-stderr -2 fwtrail --frob digest x
	[[ $stderr == *"unknown option '--frob'"* ]]
	[[ $stderr == *"Try 'fwtrail --help'."* ]]
}

@test "unknown command option: exit 2 naming the option, with a hint" {
	run --separate-stderr -2 fwtrail digest --frob x
	[[ $stderr == "fwtrail digest: unknown option '--frob'"* ]]
	[[ $stderr == *"Try 'fwtrail digest --help'."* ]]
	run --separate-stderr -2 fwtrail digest --alg
	[[ $stderr == *"option '--alg' needs a value"* ]]
}

@test "global --json before the command is honoured" {
	printf 'x' > "$BATS_TEST_TMPDIR/f"
	run -0 fwtrail --json digest "$BATS_TEST_TMPDIR/f"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["command"]=="digest" and o["ok"] is True and o["schema"]==1' <<<"$output"
}

@test "a failed write to standard output is exit 3, never success; a no stays 1" {
	printf 'x' > "$BATS_TEST_TMPDIR/f"
	run -3 bash -c '"$FWTRAIL" digest "$1" > /dev/full' _ "$BATS_TEST_TMPDIR/f"
	assert_output "fwtrail digest: write error on standard output: No space left on device"
	# a nested verb is named in full
	run -3 bash -c '"$FWTRAIL" rim create --vendor A --model B -m 1="$1" > /dev/full' _ "$BATS_TEST_TMPDIR/f"
	assert_output "fwtrail rim create: write error on standard output: No space left on device"
	# a closed one is named as such, not as a full disk
	run -3 bash -c '"$FWTRAIL" digest "$1" >&-' _ "$BATS_TEST_TMPDIR/f"
	assert_output "fwtrail digest: write error on standard output: it was closed when fwtrail started"
	# a "no" stays a no (1), the write error beside it; the same run's yes is 3
	local S="$TESTDATA/server"
	run --separate-stderr -1 bash -c '"$FWTRAIL" attest check --json --evidence "$1/evidence/host.log" --rim "$1/rim/vendor.signed.corim" --trust "$1/trust/vendor.pub" > /dev/full' _ "$S"
	assert_equal "${stderr_lines[-1]}" "fwtrail attest check: write error on standard output: No space left on device"
	run --separate-stderr -3 bash -c '"$FWTRAIL" attest check --json --evidence "$1/evidence/host.log" --evidence "$1/evidence/bmc.spdm" --rim "$1/rim/vendor.signed.corim" --trust "$1/trust/vendor.pub" > /dev/full' _ "$S"
	assert_equal "${stderr_lines[-1]}" "fwtrail attest check: write error on standard output: No space left on device"
}

@test "closed standard output does not redirect data into other files" {
	printf 'x' > "$BATS_TEST_TMPDIR/f"
	run bash -c '"$FWTRAIL" digest "$1" >&-' _ "$BATS_TEST_TMPDIR/f"
	[ "$status" -ne 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/f")" = x ]
}

# A closed standard input is not an empty one: '-' then cannot be read
# (exit 3), never "an empty event log" (4) or an empty digest (0).
@test "closed standard input: '-' cannot be read (exit 3), in every command that reads it" {
	local S="$TESTDATA/server"
	run --separate-stderr -3 bash -c '"$FWTRAIL" digest - <&-'
	assert_equal "$stderr" "fwtrail digest: cannot read '-': Bad file descriptor"
	run --separate-stderr -3 bash -c '"$FWTRAIL" eventlog replay - <&-'
	assert_equal "$stderr" "fwtrail eventlog replay: cannot read '-': Bad file descriptor"
	run --separate-stderr -3 bash -c '"$FWTRAIL" spdm show - <&-'
	run --separate-stderr -3 bash -c '"$FWTRAIL" sfr lint - <&-'
	run --separate-stderr -3 bash -c '"$FWTRAIL" rim show - <&-'
	run --separate-stderr -3 bash -c '"$FWTRAIL" audit --policy "$1/policy.json" --appraisal - <&-' _ "$S"
	# a command that does not read it is not troubled
	printf 'x' > "$BATS_TEST_TMPDIR/f"
	run --separate-stderr -0 bash -c '"$FWTRAIL" digest -a sha256 "$1" <&-' _ "$BATS_TEST_TMPDIR/f"
}

@test "help synopses match the man pages, and the man pages lint clean" {
	run -0 "$ROOT/scripts/check-help-vs-man.sh" "$FWTRAIL"
	run -0 "$ROOT/scripts/check-man.sh"
}

@test "libarchive, libxml2, xmlsec and p11-kit are loaded only by the commands that need them" {
	skip_if_sanitized "the sanitizer runtime changes what the loader reports"
	run -0 readelf -d "$FWTRAIL"
	assert_output --partial 'NEEDED' # the list is real
	refute_output --regexp 'NEEDED.*(libarchive|libxml2|libxmlsec|libp11-kit|libffi)'
	# what the dynamic loader opens, per command (into files: a token's
	# work may run where standard error is not the caller's)
	loaded() {
		rm -f "$BATS_TEST_TMPDIR"/ld.*
		LD_DEBUG=files LD_DEBUG_OUTPUT="$BATS_TEST_TMPDIR/ld" "$FWTRAIL" "$@" > /dev/null 2>&1
		cat "$BATS_TEST_TMPDIR"/ld.* | grep -oE 'file=[^ ]*(libarchive|libxml2|libxmlsec1-openssl|libp11-kit)\.so' |
			sed 's|^file=||; s|.*/||; s|\.so$||' | sort -u | tr '\n' ' '
	}
	assert_equal "$(loaded --version)" ""
	assert_equal "$(loaded digest "$TESTDATA/firmware/bmc-1.2.3.bin")" ""
	assert_equal "$(loaded sfr verify --key "$TESTDATA/sfr/keys/es512.pub.pem" "$CORPORA/sfr/shortform_report-main/samples/helloworld.jws")" ""
	assert_equal "$(loaded eventlog replay "$CORPORA/eventlog/tpm2-tools/fixtures/event-gce-ubuntu-2104-log.bin")" ""
	assert_equal "$(loaded digest --manifest "$TESTDATA/firmware/release/acme-bmc")" "libarchive libxml2 "
	assert_equal "$(loaded rim show "$TESTDATA/swid/good/base-rsa-sha256.swidtag")" "libxml2 libxmlsec1-openssl "
	# a PEM key signs without p11-kit; a pkcs11: URI loads it (and fails
	# here on the token, not on the library)
	printf 'fw' > "$BATS_TEST_TMPDIR/fw.bin"
	assert_equal "$(loaded sign --key "$TESTDATA/sfr/keys/es384.key.pem" -o "$BATS_TEST_TMPDIR/fw.sig" "$BATS_TEST_TMPDIR/fw.bin")" ""
	[ -s "$BATS_TEST_TMPDIR/fw.sig" ]
	assert_equal "$(loaded key list --module "$BATS_TEST_TMPDIR/no-such-module.so")" "libp11-kit "
}

@test "OPENSSL_CONF is not read: a configuration that breaks OpenSSL's default context changes no answer" {
	# every default-context fetch must come from a FIPS provider, and none
	# is loaded: before, the XML signature check failed (exit 5) under it
	fips_only_cnf "$BATS_TEST_TMPDIR/openssl.cnf"
	run -1 env OPENSSL_CONF="$BATS_TEST_TMPDIR/openssl.cnf" openssl dgst -sha256 /dev/null # it bites
	# a report signed here, so that the test needs no corpus
	"$FWTRAIL" sfr sign -q --key "$TESTDATA/sfr/keys/es512.key.pem" --kid k -o "$BATS_TEST_TMPDIR/r.jws" \
		"$TESTDATA/sfr/bmc-report.json"
	export OPENSSL_CONF="$BATS_TEST_TMPDIR/openssl.cnf"
	run -0 "$FWTRAIL" rim verify --trust "$TESTDATA/swid/keys/ca.pem" "$TESTDATA/swid/good/base-rsa-sha256.swidtag"
	assert_output --partial '(rsa-sha256 by '
	run -0 "$FWTRAIL" sfr verify --key "$TESTDATA/sfr/keys/es512.pub.pem" "$BATS_TEST_TMPDIR/r.jws"
	run -0 "$FWTRAIL" sfr sign -q --key "$TESTDATA/sfr/keys/es512.key.pem" --kid k -o - "$TESTDATA/sfr/bmc-report.json"
	run -0 "$FWTRAIL" digest --alg sha256 "$TESTDATA/firmware/bmc-1.2.3.bin"
	assert_output --regexp '^SHA256 \(.*\) = [0-9a-f]{64}$'
}

@test "J2: no HMAC or MAC in the binary or library, so no JWS HS* path can exist" {
	for f in "$FWTRAIL" "$(dirname "$FWTRAIL")/libfwtrail.so"; do
		[ -e "$f" ] || continue
		run -0 nm -D --undefined-only "$f"
		assert_output --partial EVP_PKEY_verify_init # the list is real
		refute_output --regexp 'HMAC|EVP_MAC'
	done
}

# ---- usage errors under --json (one failure object on stdout) ----

# stdout must be exactly one JSON object: a usage failure naming the command
# and holding the message that stderr shows.
assert_usage_json() {
	local cmd=$1 msg=$2
	$PY - "$cmd" "$msg" "$output" <<'PYEOF'
import json, sys
cmd, msg, out = sys.argv[1], sys.argv[2], sys.argv[3]
o = json.loads(out)  # fails on two objects or trailing data
assert o == {"command": cmd, "ok": False, "schema": 1,
             "error": {"code": "usage", "message": msg}}, o
PYEOF
}

@test "--json: a usage error from option parsing prints the failure object" {
	run --separate-stderr -2 fwtrail digest --json --bogus
	assert_usage_json digest "unknown option '--bogus'"
	assert_equal "$stderr" "fwtrail digest: unknown option '--bogus'
Try 'fwtrail digest --help'."
	# the bad option comes before --json, or --json is global
	run --separate-stderr -2 fwtrail digest --bogus --json
	assert_usage_json digest "unknown option '--bogus'"
	run --separate-stderr -2 fwtrail --json digest -Z
	assert_usage_json digest "unknown option '-Z'"
	run --separate-stderr -2 fwtrail digest --json --alg
	assert_usage_json digest "option '--alg' needs a value"
	run --separate-stderr -2 fwtrail sign --strip=x --json
	assert_usage_json sign "unknown option '--strip'"
}

@test "--json: usage errors after parsing print the failure object, once" {
	mkdir "$BATS_TEST_TMPDIR/dir"
	run --separate-stderr -2 fwtrail digest --json
	assert_usage_json digest "no input given"
	run --separate-stderr -2 fwtrail --json digest "$BATS_TEST_TMPDIR/dir"
	assert_usage_json digest "'$BATS_TEST_TMPDIR/dir' is a folder (use --manifest to digest the files in it)"
	run --separate-stderr -2 fwtrail sfr verify --json x.jws
	assert_usage_json "sfr verify" "give the keys to trust with --trust or --key"
}

@test "--json: an option's value that reads --json does not ask for JSON" {
	run --separate-stderr -2 fwtrail digest --alg --json
	assert_equal "$output" ""
	assert_equal "$stderr" "fwtrail digest: unknown digest algorithm '--json' (use sha256, sha384, sha512)
Try 'fwtrail digest --help'."
}

@test "--json: unknown command, verb or global option print the failure object" {
	run --separate-stderr -2 fwtrail --json frobnicate
	assert_usage_json "" "unknown command 'frobnicate'"
	run --separate-stderr -2 fwtrail frobnicate --json
	assert_usage_json "" "unknown command 'frobnicate'"
	run --separate-stderr -2 fwtrail --frob --json digest x
	assert_usage_json "" "unknown option '--frob'"
	run --separate-stderr -2 fwtrail --json sfr frobnicate
	assert_usage_json sfr "unknown verb 'frobnicate'"
	run --separate-stderr -2 fwtrail --json sfr
	assert_usage_json sfr "no verb given"
	# without --json, stdout stays empty
	run --separate-stderr -2 fwtrail sfr frobnicate
	assert_equal "$output" ""
}

@test "an option given a value it does not take is named, with the Try line" {
	local opt
	for opt in json manifest follow-symlinks help quiet verbose; do
		run --separate-stderr -2 fwtrail digest --$opt=1 /dev/null
		assert_equal "$stderr" "fwtrail digest: option '--$opt' takes no value
Try 'fwtrail digest --help'."
	done
	run --separate-stderr -2 fwtrail sign --force=1 x
	assert_equal "${stderr_lines[0]}" "fwtrail sign: option '--force' takes no value"
	run --separate-stderr -2 fwtrail sfr verify --strict=1 x
	assert_equal "${stderr_lines[0]}" "fwtrail sfr verify: option '--strict' takes no value"
	# an abbreviation is named in full; an unknown one up to the '='
	run --separate-stderr -2 fwtrail digest --js=1 /dev/null
	assert_equal "${stderr_lines[0]}" "fwtrail digest: option '--json' takes no value"
	run --separate-stderr -2 fwtrail digest --frob=1 /dev/null
	assert_equal "${stderr_lines[0]}" "fwtrail digest: unknown option '--frob'"
	# before the command too
	run --separate-stderr -2 fwtrail --json=1 digest /dev/null
	assert_equal "$stderr" "fwtrail: option '--json' takes no value
Try 'fwtrail --help'."
}

@test "global short flags may be bundled before the command" {
	printf 'x' > "$BATS_TEST_TMPDIR/f"
	run --separate-stderr -0 fwtrail -qv digest -a sha256 "$BATS_TEST_TMPDIR/f"
	assert_output "SHA256 ($BATS_TEST_TMPDIR/f) = 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
	run --separate-stderr -0 fwtrail -vq digest -a sha256 "$BATS_TEST_TMPDIR/f"
	run --separate-stderr -0 fwtrail -vv digest -a sha256 "$BATS_TEST_TMPDIR/f"
	run --separate-stderr -0 fwtrail -qh
	assert_line --partial "usage: fwtrail"
	run --separate-stderr -2 fwtrail -qx digest "$BATS_TEST_TMPDIR/f"
	assert_equal "$output" ""
	assert_equal "$stderr" "fwtrail: unknown option '-x'
Try 'fwtrail --help'."
}


@test "global options between a command and its verb are taken as if given before the command" {
	local S="$TESTDATA/server"
	run --separate-stderr -0 fwtrail sfr --json verify --key "$S/trust/reviewer.pub" "$S/sfr/bmc-3.1.sfr.jws"
	$PY -c 'import json, sys; o = json.load(sys.stdin); assert o["command"] == "sfr verify" and o["ok"] is True, o' <<< "$output"
	# -q silences the verdict line, as before the command
	run --separate-stderr -0 fwtrail sfr -q verify --key "$S/trust/reviewer.pub" "$S/sfr/bmc-3.1.sfr.jws"
	assert_equal "$output" ""
	run --separate-stderr -0 fwtrail spdm --quiet -v --json show "$S/evidence/bmc.spdm"
	$PY -c 'import json, sys; assert json.load(sys.stdin)["command"] == "spdm show"' <<< "$output"
	# a usage error after them is still JSON, and names the verb
	run --separate-stderr -2 fwtrail eventlog --json replay
	$PY -c 'import json, sys; o = json.load(sys.stdin); assert o["command"] == "eventlog replay" and o["error"]["code"] == "usage", o' <<< "$output"
	# anything else there is not a verb
	run --separate-stderr -2 fwtrail sfr -x lint "$S/sfr/bmc-3.1.unsigned.json"
	assert_equal "${stderr_lines[0]}" "fwtrail sfr: unknown verb '-x'"
	run --separate-stderr -2 fwtrail sfr -qx lint "$S/sfr/bmc-3.1.unsigned.json"
	assert_equal "${stderr_lines[0]}" "fwtrail sfr: unknown verb '-qx'"
	# audit, a command that has a sub-verb: before "log" too, one object
	run --separate-stderr -0 fwtrail audit --json log show "$TESTDATA/audit/logs/history.jsonl"
	$PY -c 'import json, sys; o = json.load(sys.stdin); assert o["command"] == "audit log show" and o["ok"] is True, o' <<< "$output"
	run --separate-stderr -3 fwtrail audit -q --json log verify "$BATS_TEST_TMPDIR/none.jsonl"
	$PY -c 'import json, sys; o = json.load(sys.stdin); assert o["command"] == "audit log verify" and o["error"]["code"] == "io", o' <<< "$output"
}
@test "--json: a failure before the command's own output still prints one failure object" {
	local K="$TESTDATA/keys" line code
	printf 'fw' > "$BATS_TEST_TMPDIR/fw.bin"
	while IFS='|' read -r code line; do
		eval "run --separate-stderr -$code fwtrail $line --json"
		$PY -c '
import json, sys
code = {"1": "verify_failed", "2": "usage", "3": "io", "4": "malformed", "5": "key", "6": "unsupported"}[sys.argv[1]]
o = json.loads(sys.stdin.read())   # one object, nothing else
assert o["ok"] is False and o["error"]["code"] == code, (sys.argv[2], o)
assert o["error"]["message"] == sys.argv[3].split(": ", 1)[1], (o, sys.argv[3])' \
			"$code" "$line" "${stderr##*$'\n'}" <<< "$output" || fail "$line: $output"
	done <<LIST
3|sign --key /nonexistent.pem "$BATS_TEST_TMPDIR/fw.bin"
2|sign --key "$K/p384.key.pem" --alg ES512 "$BATS_TEST_TMPDIR/fw.bin"
3|sign --key "$K/p384.key.pem" --format cms --cert /nonexistent.crt "$BATS_TEST_TMPDIR/fw.bin"
3|rim sign --key /nonexistent.pem -o "$BATS_TEST_TMPDIR/o.corim" "$TESTDATA/rim/nic.corim"
3|verify --key /nonexistent.pem "$BATS_TEST_TMPDIR/fw.sig" "$BATS_TEST_TMPDIR/fw.bin"
3|key export /nonexistent.pem
LIST
}

@test "--at, --not-before and --not-after take a time after the epoch: 1970-01-01T00:00:00Z is no 'now' (exit 2)" {
	local e="1970-01-01T00:00:00Z" m="is not after 1970-01-01T00:00:00Z"
	run --separate-stderr -2 fwtrail verify --at "$e" --key "$TESTDATA/keys/p384.pub.pem" a.sig a
	assert_equal "${stderr_lines[0]}" "fwtrail verify: --at: '$e' $m"
	run --separate-stderr -2 fwtrail sfr verify --at 1969-12-31 --key "$TESTDATA/keys/p384.pub.pem" r.jws
	assert_equal "${stderr_lines[0]}" "fwtrail sfr verify: --at: '1969-12-31' $m"
	run --separate-stderr -2 fwtrail rim verify --at "$e" --key "$TESTDATA/keys/p384.pub.pem" r.corim
	assert_equal "${stderr_lines[0]}" "fwtrail rim verify: --at: '$e' $m"
	run --separate-stderr -2 fwtrail rim sign --not-before "$e" --not-after 2030-01-01 --key "$TESTDATA/keys/p384.key.pem" -o o.corim r.corim
	assert_equal "${stderr_lines[0]}" "fwtrail rim sign: --not-before: '$e' $m"
	run --separate-stderr -2 fwtrail attest check --at "$e" --rim r.corim --evidence e.bin
	assert_equal "${stderr_lines[0]}" "fwtrail attest check: --at: '$e' $m"
	run --separate-stderr -2 fwtrail audit --at "$e" --appraisal a.json --policy p.json
	assert_equal "${stderr_lines[0]}" "fwtrail audit: --at: '$e' $m"
	# one second later is a time like any other
	run --separate-stderr -2 fwtrail verify --at 1970-01-01T00:00:01Z --key "$TESTDATA/keys/p384.pub.pem" a.sig
	assert_equal "${stderr_lines[0]}" "fwtrail verify: give pairs of signature file and signed file"
	# times are compared to the second: a fraction of one is refused, not
	# cut (2046-01-01T00:00:00.5Z read as 00:00:00 was inside a validity
	# period that ended then); zeros are no fraction
	run --separate-stderr -2 fwtrail verify --at 2046-01-01T00:00:00.5Z --key "$TESTDATA/keys/p384.pub.pem" a.sig a
	assert_equal "${stderr_lines[0]}" "fwtrail verify: --at: '2046-01-01T00:00:00.5Z' has a fraction of a second or is a leap second: fwtrail compares times to the second"
	# a leap second read as :59 passed a certificate whose notAfter is :59
	run --separate-stderr -2 fwtrail verify --at 2030-12-31T23:59:60Z --key "$TESTDATA/keys/p384.pub.pem" a.sig a
	assert_equal "${stderr_lines[0]}" "fwtrail verify: --at: '2030-12-31T23:59:60Z' has a fraction of a second or is a leap second: fwtrail compares times to the second"
	run --separate-stderr -2 fwtrail spdm verify --at 2046-01-01T00:00:00.001+01:00 --cert c.pem --trust r.pem e.bin
	[[ ${stderr_lines[0]} == *"has a fraction of a second"* ]]
	run --separate-stderr -2 fwtrail verify --at 2046-01-01T00:00:00.000Z --key "$TESTDATA/keys/p384.pub.pem" a.sig
	assert_equal "${stderr_lines[0]}" "fwtrail verify: give pairs of signature file and signed file"
}

@test "help takes every word of a nested verb: help audit log verify is that verb's help; an unknown verb is exit 2" {
	# help about help is the main help
	local w
	for w in help --help -h; do
		run --separate-stderr -0 fwtrail help "$w"
		assert_line --index 0 --partial "usage: fwtrail"
		assert_equal "$stderr" ""
	done
	run -0 fwtrail help audit log verify
	assert_line --index 0 --partial "usage: fwtrail audit log verify"
	run -0 fwtrail help audit log show
	assert_line --index 0 --partial "usage: fwtrail audit log show"
	run -2 fwtrail help audit log bogus
	run -0 fwtrail help sfr verify
	assert_line --index 0 --partial "usage: fwtrail sfr verify"
	# help only helps: options (and -- before an operand) are refused, nothing runs
	printf 'fw' > "$BATS_TEST_TMPDIR/fw.bin"
	run -2 fwtrail help sign --key "$TESTDATA/keys/p384.key.pem" -- "$BATS_TEST_TMPDIR/fw.bin"
	[ ! -e "$BATS_TEST_TMPDIR/fw.bin.sig" ]
	run -2 fwtrail help digest -- "$BATS_TEST_TMPDIR/fw.bin"
}

@test "O2: standard output onto an input is refused (exit 2) before a byte reaches it, text or --json, in every command" {
	cd "$BATS_TEST_TMPDIR"
	cp "$TESTDATA/keys/p384.key.pem" k.pem
	cp "$TESTDATA/sfr/bmc-report.json" r.json
	cp "$TESTDATA/audit/records/good.json" rec.json
	for f in k.pem r.json rec.json; do cp "$f" "$f.orig"; done
	check() { # CMD...: run with stdout read-write onto its input $IN
		run --separate-stderr bash -c 'f=$1; shift; exec "$@" 1<> "$f"' _ "$IN" "$FWTRAIL" "$@"
		assert_equal "$status" 2
		assert_equal "$stderr" "fwtrail $CMD: refusing to write standard output: it is one of the inputs"
		cmp "$IN" "$IN.orig" || fail "$CMD wrote into its input $IN"
	}
	IN=k.pem CMD="key export" check key export k.pem
	IN=k.pem CMD="key export" check key export --json k.pem
	IN=k.pem CMD=digest check digest k.pem
	IN=k.pem CMD=digest check --json digest k.pem
	# refused before any work: no signature, no exported key is written
	IN=k.pem CMD=sign check sign --key k.pem -o k.sig k.pem
	[ ! -e k.sig ] || fail "sign wrote k.sig before refusing"
	IN=k.pem CMD="key export" check key export k.pem -o k.pub
	[ ! -e k.pub ] || fail "key export wrote k.pub before refusing"
	IN=r.json CMD="sfr sign" check sfr sign --json --key "$TESTDATA/sfr/keys/es384.key.pem" --kid k r.json
	IN=r.json CMD="sfr create" check sfr create --json --from r.json
	IN=r.json CMD="sfr lint" check sfr lint r.json
	IN=rec.json CMD=audit check audit --json --appraisal rec.json --policy "$TESTDATA/audit/policies/nolog.json"
	# appended (>>) the same
	run --separate-stderr -2 bash -c '"$1" digest k.pem >> k.pem' _ "$FWTRAIL"
	cmp k.pem k.pem.orig
	# onto another file: written whole, appended where >> says
	echo first > out.txt
	run -0 bash -c '"$1" digest k.pem >> out.txt' _ "$FWTRAIL"
	assert_equal "$(head -1 out.txt)" first
	assert_equal "$(sed -n 2p out.txt | cut -c1-16)" "SHA384 (k.pem) ="
	run -0 bash -c '"$1" key export --json k.pem > out.json' _ "$FWTRAIL"
	$PY -c 'import json,sys; d=json.load(open("out.json")); assert d["ok"] is True and "public_key" in d, d'
}

@test "O1: a writer stopped by SIGINT, SIGTERM or SIGKILL while it syncs its output leaves nothing in the folder" {
	command -v strace > /dev/null || skip "strace is not installed"
	mkdir "$BATS_TEST_TMPDIR/o"
	cd "$BATS_TEST_TMPDIR/o"
	local sig i
	local -a cmds=(
		"sfr create --vendor ACME -o out.json"
		"sfr sign --key $TESTDATA/sfr/keys/es384.key.pem --kid k -o out.jws $TESTDATA/sfr/bmc-report.json"
		"rim create --vendor ACME --model X1 --measurement 1=$TESTDATA/sfr/bmc-report.json -o out.corim"
		"key export $TESTDATA/keys/p384.key.pem -o out.pem"
	)
	for sig in INT TERM KILL; do
		for i in "${!cmds[@]}"; do
			# shellcheck disable=SC2086
			run strace_fwtrail -f -o /dev/null -e trace=fsync -e inject=fsync:signal=$sig:when=1 "$FWTRAIL" ${cmds[$i]}
			[ "$status" -ne 0 ] || fail "SIG$sig in '${cmds[$i]}': exit 0"
			[ -z "$(ls -A)" ] || fail "SIG$sig in '${cmds[$i]}' left: $(ls -A)"
		done
	done
	# and unstopped, each writes its file
	for i in "${!cmds[@]}"; do
		# shellcheck disable=SC2086
		run -0 "$FWTRAIL" ${cmds[$i]}
	done
	assert_equal "$(ls -A | LC_ALL=C sort | tr "\n" " ")" "out.corim out.json out.jws out.pem "
}

@test "--json keeps every file name that is not UTF-8: U+FFFD text and the exact bytes in *_hex" {
	cd "$BATS_TEST_TMPDIR"
	B=$'bad\xff' E="$TESTDATA/evidence"
	cp "$TESTDATA/rim/nic.signed.corim" "$B.corim"
	cp "$E/eventlog/agile.bin" "$B.bin"
	cp "$E/eventlog/agile.pcrread.yaml" "$B.yaml"
	cp "$E/spdm/spdm12.bin" "$B.spdm"
	cp "$TESTDATA/rim/keys/ec-p384.pub" "$B-rim.pub"
	cp "$TESTDATA/sfr/keys/es384.key.pem" "$B-sfr.key"
	hex() { printf '%s' "$1" | xxd -p | tr -d '\n'; }
	# member path, expected name: the text has U+FFFD, *_hex the bytes
	check() {
		local q=$1 name=$2
		[ "$(jq -r "$q" <<< "$output")" = "${name//$'\xff'/$'\xef\xbf\xbd'}" ]
		[ "$(jq -r "${q}_hex" <<< "$output")" = "$(hex "$name")" ]
	}
	run --separate-stderr -0 fwtrail rim show --json "$B.corim"
	check .path "$B.corim"
	run --separate-stderr -0 fwtrail eventlog show --json "$B.bin"
	check .path "$B.bin"
	run --separate-stderr -0 fwtrail eventlog replay --json --expect "$B.yaml" "$B.bin"
	check .path "$B.bin"
	check .expect.source "$B.yaml"
	run --separate-stderr -0 fwtrail spdm show --json "$B.spdm"
	check .path "$B.spdm"
	run --separate-stderr -0 fwtrail rim verify --json -t "$B-rim.pub" "$B.corim" "$TESTDATA/rim/nic.signed.corim"
	check .results[0].path "$B.corim"
	check .results[1].key "$B-rim.pub"
	run --separate-stderr -0 fwtrail rim create --json --vendor a --model b -m 1=sha384:$(printf '%096d' 0) -o "$B.1"
	check .output "$B.1"
	run --separate-stderr -0 fwtrail sfr sign --json --key "$B-sfr.key" --kid k -o "$B.jws" "$TESTDATA/sfr/bmc-report.json"
	check .output "$B.jws"
	check .key "$B-sfr.key"
	run --separate-stderr -0 fwtrail sfr convert --json --to corim -o "$B.4" "$TESTDATA/sfr/bmc-report.json"
	check .output "$B.4"
	run --separate-stderr -0 fwtrail sfr create --json --from "$TESTDATA/sfr/bmc-report.json" -o "$B.3"
	check .output "$B.3"
	openssl pkey -in "$B-sfr.key" -pubout -out "$B-sfr.pub" 2> /dev/null
	run --separate-stderr -0 fwtrail sfr verify --json -k "$B-sfr.pub" "$B.jws"
	check .reports[0].key "$B-sfr.pub"
	run --separate-stderr -0 fwtrail sfr show --json -k "$B-sfr.pub" "$B.jws"
	check .signature.key "$B-sfr.pub"
}

@test "an error message reaches stderr in one write, its control characters as \\xHH, never byte by byte" {
	command -v strace > /dev/null || skip "strace not installed"
	skip_if_sanitized "LeakSanitizer aborts a process traced from its start"
	run --separate-stderr -3 strace -qq -f -e trace=write -e signal=none -o "$BATS_TEST_TMPDIR/trace" \
		"$FWTRAIL" digest $'/nonexistent/\x1bna\nme'
	assert_equal "$stderr" "fwtrail digest: cannot open '/nonexistent/\\x1bna\\x0ame': No such file or directory"
	[ "$(grep -c '^[0-9]* *write(2,' "$BATS_TEST_TMPDIR/trace")" -eq 1 ] || fail "$(cat "$BATS_TEST_TMPDIR/trace")"
}

@test "POSIXLY_CORRECT is ignored: an option after the operands is still an option (a revocation list applies)" {
	local T=$BATS_TEST_TMPDIR K="$TESTDATA/keys"
	head -c 4096 "$TESTDATA/firmware/bmc-1.2.3.bin" > "$T/fw.bin"
	fwtrail -q sign --key "$K/p384.key.pem" -o "$T/fw.bin.sig" "$T/fw.bin"
	fwtrail --json key export "$K/p384.pub.pem" | jq -r .sha256_fingerprint > "$T/rev.txt"
	run --separate-stderr -1 env POSIXLY_CORRECT=1 "$FWTRAIL" verify --key "$K/p384.pub.pem" "$T/fw.bin.sig" "$T/fw.bin" \
		--revoked "$T/rev.txt"
	[[ $output == "FAIL $T/fw.bin"*"is revoked ('$T/rev.txt' line 1)" ]] || fail "$output"
	# '--' still ends the options: what follows is a pair of files
	run --separate-stderr -3 env POSIXLY_CORRECT=1 "$FWTRAIL" verify --key "$K/p384.pub.pem" -- "$T/fw.bin.sig" "$T/fw.bin" \
		--revoked "$T/rev.txt"
	[[ $stderr == *"'--revoked'"* ]] || fail "$stderr"
}
