#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every leaf command's --help synopsis must match the SYNOPSIS of its man
# page word for word (git t0450), and every leaf must have a page.
set -u
cd "$(dirname "$0")/.."
bin=${1:-build/fwtrail}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# A node's --completion-helper prints its options ("-...": it is a leaf
# that runs) and its sub-verbs (other words), or both ("audit" runs, and
# has "audit log ...").
walk() {
	# shellcheck disable=SC2086
	out=$("$bin" $1 --completion-helper)
	if printf '%s\n' "$out" | grep -q '^--'; then echo "$1"; fi
	for v in $(printf '%s\n' "$out" | grep -v '^-'); do walk "$1 $v"; done
}

leaves() {
	for c in $("$bin" --list-commands); do walk "$c"; done
}

norm() { tr -s ' \t' ' ' | sed 's/^ //; s/ $//'; }

leaves > "$tmp/leaves"
while read -r leaf; do
	page="man/fwtrail-$(echo "$leaf" | tr ' ' '-').1"
	if [ ! -f "$page" ]; then
		echo "check-help-vs-man: '$leaf' has no man page ($page)" >&2
		fail=1
		continue
	fi
	# shellcheck disable=SC2086
	"$bin" $leaf --help | sed -n 's/^usage: //p; s/^   or: //p' | norm > "$tmp/help"
	# SYNOPSIS, with wrapped lines joined: a form starts at the page indent
	mandoc -Tascii "$page" | col -b | sed -n '/^SYNOPSIS/,/^[A-Z]/p' | sed '1d;$d' |
		awk '/^     [^ \t]/ { if (line != "") print line; line = $0; next }
		     /^[ \t]+[^ \t]/ { line = line " " $0; next }
		     END { if (line != "") print line }' | norm > "$tmp/man"
	if ! cmp -s "$tmp/help" "$tmp/man"; then
		echo "check-help-vs-man: '$leaf': --help and $page SYNOPSIS differ:" >&2
		diff "$tmp/help" "$tmp/man" | sed 's/^/  /' >&2
		fail=1
	fi
done < "$tmp/leaves"
[ -f man/fwtrail.1 ] || { echo "check-help-vs-man: man/fwtrail.1 missing" >&2; fail=1; }
exit $fail
