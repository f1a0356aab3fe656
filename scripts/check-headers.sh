#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The umbrella header includes every public header, and each public header
# compiles on its own (self-contained).
set -u
cd "$(dirname "$0")/.."
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in lib/include/fwtrail/*.h; do
	b=$(basename "$h")
	[ "$b" = fwtrail.h ] && continue
	grep -q "#include <fwtrail/$b>" lib/include/fwtrail/fwtrail.h ||
		{ echo "check-headers: fwtrail/fwtrail.h does not include $b" >&2; fail=1; }
	printf '#include <fwtrail/%s>\nint fwt_check_header_%s;\n' "$b" "$(echo "$b" | tr '.-' '__')" > "$tmp/t.c"
	${CC:-cc} -std=c11 -Wall -Werror -Ilib/include $(pkg-config --cflags jansson 2>/dev/null) -c -o "$tmp/t.o" "$tmp/t.c" ||
		{ echo "check-headers: $h is not self-contained" >&2; fail=1; }
done
exit $fail
