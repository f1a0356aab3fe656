#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# mandoc -Tlint on every man page: any warning or error fails.
set -u
cd "$(dirname "$0")/.."
set -- $(ls man/*.1 man/*.5 2>/dev/null)
out=$(mandoc -Tlint -W warning "$@" 2>&1)
if [ -n "$out" ]; then
	printf '%s\n' "$out" >&2
	exit 1
fi
