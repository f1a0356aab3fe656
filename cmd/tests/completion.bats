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
