#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Replay every fuzz target's seeds (testdata/fuzz/<target>/, regressions
# included) and the ../shared/corpora files its corpora.txt names through
# the target built without libFuzzer (B/replay/<target>).  Part of make check.
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
shift || true
for t in "$@"; do
	list=$(mktemp)
	find "testdata/fuzz/$t" -type f ! -name corpora.txt > "$list"
	if [ -f "testdata/fuzz/$t/corpora.txt" ] && [ -d ../shared/corpora ]; then
		grep -v '^#' "testdata/fuzz/$t/corpora.txt" | while read -r pat; do
			[ -n "$pat" ] && find ../shared/corpora -type f -path "../shared/corpora/$pat"
		done >> "$list"
	fi
	tr '\n' '\0' < "$list" | xargs -0 "$B/replay/$t" || { rm -f "$list"; echo "replay: $t failed" >&2; exit 1; }
	rm -f "$list"
done
