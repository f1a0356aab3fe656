#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `make bench`: every benchmark in scripts/bench.d/*.sh, printed as one table
# with ratios against reference tools measured in the same run.
#
# Each bench.d script is sourced with these helpers available:
#   median "SHELL COMMAND"   median wall seconds over $RUNS runs
#   row NAME SECS REF REFSECS TARGET-TEXT PASS(1|0)
#   note TEXT                a line printed under the table
# and $FWTRAIL, $WORK (a scratch folder), $CORPORA, $RUNS set.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
FWTRAIL=${FWTRAIL:-$ROOT/build/fwtrail}
CORPORA=$ROOT/../shared/corpora
RUNS=${BENCH_RUNS:-5}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fwtrail-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
rows=$WORK/.rows
: > "$rows"

median() {
	_i=0
	: > "$WORK/.times"
	while [ "$_i" -lt "$RUNS" ]; do
		_s=$(date +%s.%N)
		sh -c "$1" >/dev/null 2>&1 || echo "bench: warning: command failed: $1" >&2
		_e=$(date +%s.%N)
		echo "$_e - $_s" | bc -l >> "$WORK/.times"
		_i=$((_i + 1))
	done
	sort -g "$WORK/.times" | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'
}

row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$rows"
}

# A line printed under the table (context for a row, not a result).
note() {
	printf '%s\n' "$*" >> "$WORK/.notes"
}

only=${BENCH_ONLY:-}
for b in scripts/bench.d/*.sh; do
	[ -z "$only" ] || case "$b" in *"$only"*) ;; *) continue ;; esac
	echo "bench: $(basename "$b" .sh)..." >&2
	# shellcheck disable=SC1090
	. "$b"
done

printf '\n%-36s %9s  %-30s %9s  %-30s %s\n' benchmark "fwtrail s" reference "ref s" target result
printf '%s\n' "-------------------------------------------------------------------------------------------------------------------------------"
fails=0
while IFS="$(printf '\t')" read -r name t ref tr target ok; do
	res=PASS
	[ "$ok" = 1 ] || { res=MISS; fails=$((fails + 1)); }
	printf '%-36s %9s  %-30s %9s  %-30s %s\n' "$name" "$t" "$ref" "$tr" "$target" "$res"
done < "$rows"
printf '\n(median of %s runs, %s cores, %s)\n' "$RUNS" "$(nproc)" "$(date -u +%Y-%m-%d)"
[ ! -s "$WORK/.notes" ] || { echo; sed 's/^/note: /' "$WORK/.notes"; }
[ "$fails" -eq 0 ]
