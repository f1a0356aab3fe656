#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Completions are generated from the binary, committed, and work.

load helpers

@test "committed completions are not stale" {
	run -0 "$ROOT/scripts/gen-completions.sh" --check "$FWTRAIL"
}

# Drive the bash completion function as bash itself would.
complete_words() {
	bash -c '
		source "$1/completions/fwtrail.bash"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
		_fwtrail
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$ROOT" "$@"
}

@test "bash completes command names" {
	run -0 complete_words fwtrail di
	assert_line digest
}

@test "bash completes a command's options" {
	run -0 complete_words fwtrail digest --ma
	assert_line --manifest
	run -0 complete_words fwtrail digest --
	assert_line --alg
	assert_line --json
}

@test "bash completes files after an option that takes a file" {
	mkdir -p "$BATS_TEST_TMPDIR/d" && touch "$BATS_TEST_TMPDIR/d/fw.bin"
	cd "$BATS_TEST_TMPDIR/d"
	run -0 complete_words fwtrail digest fw
	assert_line fw.bin
}

@test "zsh and fish completion files are generated for every command" {
	for c in $(fwtrail --list-commands); do
		grep -q "$c" "$ROOT/completions/_fwtrail"
		grep -q "$c" "$ROOT/completions/fwtrail.fish"
	done
}

@test "bash: help completes nested verbs; short options and --opt= complete their values" {
	run -0 complete_words fwtrail help sfr ""
	assert_line verify
	assert_line sign
	refute_line digest
	run -0 complete_words fwtrail help audit log ""
	assert_line verify
	assert_line show
	run -0 complete_words fwtrail help ""
	assert_line sfr
	refute_line help
	# -f is --format's short form; bash splits "--format=" at the "="
	for words in "sign -f" "sign --format" "sign --format ="; do
		run -0 complete_words fwtrail $words ""
		assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "cms cose raw "
	done
	run -0 complete_words fwtrail sign --format =
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "cms cose raw "
	run -0 complete_words fwtrail sign --format = co
	assert_line cose
	refute_line raw
	# a verb's own values, not the top-level command's of the same name
	run -0 complete_words fwtrail sfr sign --format ""
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "cose jws "
	run -0 complete_words fwtrail sign -
	assert_line -k
	assert_line --key
}

@test "fish: each node offers its own options only (sfr sign is not sign), help nested verbs, -f values" {
	command -v fish > /dev/null || skip "fish is not installed (scripts/deps.sh installs it)"
	fc() {
		fish -c "source '$ROOT/completions/fwtrail.fish'; complete --do-complete '$1'" | cut -f1
	}
	run -0 fc 'fwtrail sfr sign --format '
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "cose jws "
	run -0 fc 'fwtrail sfr sign --'
	assert_line --kid
	refute_line --out-dir
	refute_line --alg
	run -0 fc 'fwtrail spdm verify --'
	assert_line --nonce
	refute_line --fw
	refute_line --key
	run -0 fc 'fwtrail sign --'
	assert_line --out-dir
	refute_line --kid
	run -0 fc 'fwtrail sign -f '
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "cms cose raw "
	run -0 fc 'fwtrail help sfr '
	assert_line verify
	refute_line digest
	run -0 fc 'fwtrail audit log verify --'
	assert_line --head
	refute_line --revoked
}

@test "zsh: the function completes nested help, per-node option values and --opt=value" {
	command -v zsh > /dev/null || skip "zsh is not installed (scripts/deps.sh installs it)"
	# compadd, _files and compset stand in for zsh's completion system:
	# what the function offers is printed
	zc() {
		zsh -c '
			compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }
			_files() { print "<files>"; }
			compset() { :; }
			eval "$(sed "\$d" "$1")"
			shift
			words=("$@"); CURRENT=${#words}
			_fwtrail' _ "$ROOT/completions/_fwtrail" "$@"
	}
	run -0 zc fwtrail help sfr ""
	assert_line verify
	refute_line digest
	run -0 zc fwtrail sfr sign --format ""
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "cose jws "
	run -0 zc fwtrail sign -f ""
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "cms cose raw "
	run -0 zc fwtrail sign --format=c
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "cms cose raw "
	run -0 zc fwtrail digest --
	assert_line --manifest
}
