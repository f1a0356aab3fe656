#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run the C unit-test binaries given as arguments from the project root;
# fail if any fails.
set -u
cd "$(dirname "$0")/.." || exit 1
failed=0
for t in "$@"; do
	printf '%s\n' "unit: $(basename "$t")"
	if ! "$t"; then
		failed=$((failed + 1))
		echo "unit: $(basename "$t") FAILED" >&2
	fi
done
[ "$failed" -eq 0 ] || { echo "unit: $failed test binaries failed" >&2; exit 1; }
