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

# The global options 'fwtrail --help' lists, one name a line ("-v", "--verbose")
global_options() {
	fwtrail --help | sed -n '/^global options:/,/^$/p' | grep '^ *-' |
		sed -E 's/^ +//; s/  .*//; s/,? +/\n/g' | grep '^-'
}

@test "bash: an option's value is not taken for a verb (audit --log log)" {
	# "log" is --log's value here, not the "audit log" verb
	run -0 complete_words fwtrail audit --log log --
	assert_line --policy
	assert_line --new-log
	refute_line --head
	run -0 complete_words fwtrail audit --policy p.json --
	assert_line --log
	# short alias; bash splits --log=log into "--log" "=" "log"
	run -0 complete_words fwtrail audit -o log --fo
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "--force --force-final-try --format "
	run -0 complete_words fwtrail audit --log = log --fo
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "--force --force-final-try --format "
	# a value split at ":" and "=" (a pkcs11: URI) is still one value
	run -0 complete_words fwtrail audit --key pkcs11 : object = log --new
	assert_line --new-log
	# global options before the command and the value's own completion
	run -0 complete_words fwtrail -v audit --log log --format ""
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "json junit text "
	# the verb itself is still found, and so is a value inside it
	run -0 complete_words fwtrail audit log ""
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "--help show verify "
	run -0 complete_words fwtrail audit log verify --key log --h
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "--head --help "
	# a flag takes no value: the next word is still a verb
	run -0 complete_words fwtrail sfr --json sign --k
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "--key --kid "
	# a sub-verb comes right after its command (global flags aside), as
	# fwtrail reads it: after another option or an operand it is no verb
	run -0 complete_words fwtrail audit --log = x log verify --h
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "--help "
	run -0 complete_words fwtrail audit --policy p.json l
	[[ $'\n'$output$'\n' != *$'\n'log$'\n'* ]] || fail "log offered as a verb: $output"
	run -0 complete_words fwtrail audit -vq l
	assert_line log
}

@test "bash: the top level offers every global option --help lists" {
	run -0 global_options
	assert_line --verbose
	assert_line -h
	local opts=$output
	run -0 complete_words fwtrail ""
	for o in $opts; do assert_line -- "$o"; done
	assert_line sign
	run -0 complete_words fwtrail --
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "--help --json --quiet --verbose --version "
	run -0 complete_words fwtrail --verbose di
	assert_line digest
}

@test "zsh: an option's value is not taken for a verb; the top level offers every global option" {
	command -v zsh > /dev/null || skip "zsh is not installed (scripts/deps.sh installs it)"
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
	run -0 zc fwtrail audit --log log --
	assert_line --policy
	refute_line --head
	run -0 zc fwtrail audit -o log ""
	refute_line show
	# a sub-verb comes right after its command (global flags aside), as
	# fwtrail reads it: after --log=log, "log" is no verb
	run -0 zc fwtrail audit --log=log log ""
	refute_line show
	run -0 zc fwtrail audit --json log ""
	assert_line show
	run -0 zc fwtrail audit --policy=p ""
	[[ $'\n'$output$'\n' != *$'\n'log$'\n'* ]] || fail "log offered as a verb: $output"
	run -0 zc fwtrail audit -vq ""
	assert_line log
	run -0 zc fwtrail audit log verify --key log --
	assert_line --head
	run -0 zc fwtrail audit --log log --format ""
	assert_equal "$(sort <<< "$output" | tr '\n' ' ')" "json junit text "
	run -0 global_options
	local opts=$output
	run -0 zc fwtrail ""
	for o in $opts; do assert_line -- "$o"; done
	assert_line audit
}

@test "fish: an option's value is not taken for a verb; the top level offers every global option" {
	command -v fish > /dev/null || skip "fish is not installed (scripts/deps.sh installs it)"
	fc() {
		fish -c "source '$ROOT/completions/fwtrail.fish'; complete --do-complete '$1'" | cut -f1
	}
	run -0 fc 'fwtrail audit --log log --'
	assert_line --policy
	refute_line --head
	run -0 fc 'fwtrail audit -o log --'
	assert_line --new-log
	# a sub-verb comes right after its command (global flags aside), as
	# fwtrail reads it: after --log=log, "log" is no verb
	run -0 fc 'fwtrail audit --log=log log verify --'
	refute_line --head
	assert_line --policy
	run -0 fc 'fwtrail audit --json log verify --'
	assert_line --head
	refute_line --policy
	run -0 fc 'fwtrail audit --policy=p '
	[[ $'\n'$output$'\n' != *$'\n'log$'\n'* ]] || fail "log offered as a verb: $output"
	run -0 fc 'fwtrail audit -v '
	assert_line log
	run -0 fc 'fwtrail sfr --json sign --k'
	assert_line --kid
	run -0 global_options
	local opts=$output
	run -0 fc 'fwtrail -'
	for o in $opts; do assert_line -- "$o"; done
}
