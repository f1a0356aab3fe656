#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# mandoc -Tlint on every man page: any warning or error fails.  And a
# check mandoc does not make: Qq and Ql quote to the end of their line, so
# two of them on one macro line nest ({"a, "b""} for Qq a , Qq b); such a
# line needs Qo ... Qc or So Li ... Sc pairs.
set -u
cd "$(dirname "$0")/.."
set -- $(ls man/*.1 man/*.5 2>/dev/null)
out=$(mandoc -Tlint -W warning "$@" 2>&1)
if [ -n "$out" ]; then
	printf '%s\n' "$out" >&2
	exit 1
fi
nested=$(grep -n -E '^\.(.* )?(Qq|Ql) .* (Qq|Ql)( |$)' "$@")
if [ -n "$nested" ]; then
	printf '%s\n' "$nested" >&2
	echo "check-man: two Qq/Ql on one line nest; use Qo ... Qc or So Li ... Sc" >&2
	exit 1
fi
