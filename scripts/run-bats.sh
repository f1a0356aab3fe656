#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every cmd/tests/*.bats file with bats-core (in parallel when GNU
# parallel is installed).  FWTRAIL names the binary under test.
#
# The tests run in a scratch folder, not in the source tree: a test that
# writes a file without a folder (> two.pem) must not leave it in the
# checkout, where it could be committed.  A file left there fails the run.
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
jobs=${1:-2}
: "${FWTRAIL:=$root/${B:-build}/fwtrail}"
export FWTRAIL
scratch=$(mktemp -d "${TMPDIR:-/tmp}/fwtrail-bats.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
set -- "$root"/cmd/tests/*.bats
cd "$scratch" || exit 1
if command -v parallel >/dev/null 2>&1 && [ "$jobs" -gt 1 ]; then
	bats --jobs "$jobs" --no-parallelize-within-files "$@"
else
	bats "$@"
fi
rc=$?
if [ -n "$(ls -A "$scratch")" ]; then
	echo "run-bats: tests left files in the folder they ran in:" >&2
	ls -A "$scratch" | sed 's/^/  /' >&2
	[ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
