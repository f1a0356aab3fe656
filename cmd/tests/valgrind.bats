#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Each happy path in valgrind-cases.txt runs under valgrind with no memory
# error and no definite leak (RELIABILITY.md 0.4).

load helpers

setup() {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	skip_if_sanitized "valgrind and ASan do not mix"
	T=$BATS_TEST_TMPDIR
	tar -C "$TESTDATA/firmware/release" -czf "$T/release.tar.gz" acme-bmc
}

@test "happy paths are clean under valgrind" {
	local n=0 skipped=0 line
	while IFS= read -r line; do
		case $line in '' | '#'*) continue ;; esac
		if [[ $line == *'$CORPORA'* && ! -d $CORPORA ]]; then
			skipped=$((skipped + 1))
			continue
		fi
		line=${line//\$TESTDATA/$TESTDATA}
		line=${line//\$CORPORA/$CORPORA}
		line=${line//\$T/$T}
		# shellcheck disable=SC2086
		run valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			--child-silent-after-fork=yes "$FWTRAIL" $line
		[ "$status" -ne 99 ] || fail "valgrind found errors in: fwtrail $line
$output"
		[ "$status" -lt 2 ] || fail "fwtrail $line exited $status: $output"
		n=$((n + 1))
	done < "$BATS_TEST_DIRNAME/valgrind-cases.txt"
	[ "$n" -ge 4 ]
	[ "$skipped" -eq 0 ] || echo "# $skipped cases skipped: corpora not found at $CORPORA" >&3
}
