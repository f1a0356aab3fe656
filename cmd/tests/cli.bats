#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The command-line skeleton: help, version, usage errors, exit codes, and the
# checked write to standard output.

load helpers

# every leaf command, as "cmd", "cmd verb" or "cmd verb verb": a node's
# --completion-helper prints its options (it runs) and its sub-verbs
walk() {
	local v out
	out=$(fwtrail $1 --completion-helper)
	if grep -q '^--' <<<"$out"; then echo "$1"; fi
	for v in $(grep -v '^--' <<<"$out"); do walk "$1 $v"; done
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
	run -2 fwtrail help no-such-command
	assert_output --partial "'no-such-command' is not a fwtrail command"
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

@test "unknown command: exit 2 with a hint" {
	run --separate-stderr -2 fwtrail frobnicate
	[[ $stderr == *"'frobnicate' is not a fwtrail command. See 'fwtrail --help'."* ]]
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

@test "a failed write to standard output is exit 3, never success" {
	printf 'x' > "$BATS_TEST_TMPDIR/f"
	run -3 bash -c '"$FWTRAIL" digest "$1" > /dev/full' _ "$BATS_TEST_TMPDIR/f"
	assert_output --partial "write error on standard output"
}

@test "closed standard output does not redirect data into other files" {
	printf 'x' > "$BATS_TEST_TMPDIR/f"
	run bash -c '"$FWTRAIL" digest "$1" >&-' _ "$BATS_TEST_TMPDIR/f"
	[ "$status" -ne 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/f")" = x ]
}

@test "help synopses match the man pages, and the man pages lint clean" {
	run -0 "$ROOT/scripts/check-help-vs-man.sh" "$FWTRAIL"
	run -0 "$ROOT/scripts/check-man.sh"
}

@test "libarchive, libxml2 and xmlsec are loaded only by the commands that read archives or SWID tags" {
	skip_if_sanitized "the sanitizer runtime changes what the loader reports"
	run -0 readelf -d "$FWTRAIL"
	refute_output --regexp 'NEEDED.*(libarchive|libxml2|libxmlsec)'
	# what the dynamic loader opens, per command
	loaded() {
		LD_DEBUG=files "$FWTRAIL" "$@" 2>&1 >/dev/null | grep -oE 'file=[^ ]*(libarchive|libxml2|libxmlsec1-openssl)\.so' |
			sed 's|^file=||; s|.*/||; s|\.so$||' | sort -u | tr '\n' ' '
	}
	assert_equal "$(loaded --version)" ""
	assert_equal "$(loaded digest "$TESTDATA/firmware/bmc-1.2.3.bin")" ""
	assert_equal "$(loaded sfr verify --key "$TESTDATA/sfr/keys/es512.pub.pem" "$CORPORA/sfr/shortform_report-main/samples/helloworld.jws")" ""
	assert_equal "$(loaded digest --manifest "$TESTDATA/firmware/release/acme-bmc")" "libarchive libxml2 "
	assert_equal "$(loaded rim show "$TESTDATA/swid/good/base-rsa-sha256.swidtag")" "libxml2 libxmlsec1-openssl "
}

@test "J2: no HMAC or MAC in the binary or library, so no JWS HS* path can exist" {
	for f in "$FWTRAIL" "$(dirname "$FWTRAIL")/libfwtrail.so"; do
		[ -e "$f" ] || continue
		run -0 nm -D --undefined-only "$f"
		assert_output --partial EVP_PKEY_verify_init # the list is real
		refute_output --regexp 'HMAC|EVP_MAC'
	done
}
