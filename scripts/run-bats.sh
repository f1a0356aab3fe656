#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every cmd/tests/*.bats file with bats-core (in parallel when GNU
# parallel is installed).  FWTRAIL names the binary under test.
set -u
cd "$(dirname "$0")/.." || exit 1
jobs=${1:-2}
: "${FWTRAIL:=$PWD/${B:-build}/fwtrail}"
export FWTRAIL
set -- cmd/tests/*.bats
if command -v parallel >/dev/null 2>&1 && [ "$jobs" -gt 1 ]; then
	exec bats --jobs "$jobs" --no-parallelize-within-files "$@"
fi
exec bats "$@"
