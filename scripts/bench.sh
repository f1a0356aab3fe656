#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `make bench`: every benchmark, printed as one table with ratios against the
# reference tools measured in the same run (median of N runs).
set -eu
cd "$(dirname "$0")/.."
FWTRAIL=${FWTRAIL:-$PWD/build/fwtrail}
RUNS=${BENCH_RUNS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/fwtrail-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
rows=$work/rows

# median wall time in seconds of a shell command, over $RUNS runs
median() {
	i=0
	: > "$work/times"
	while [ "$i" -lt "$RUNS" ]; do
		s=$(date +%s.%N)
		sh -c "$1" >/dev/null 2>&1
		e=$(date +%s.%N)
		echo "$e - $s" | bc -l >> "$work/times"
		i=$((i + 1))
	done
	sort -g "$work/times" | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'
}

row() { # name, seconds, reference name, reference seconds, target text, pass(1/0)
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$rows"
}

# ---- digest (issue: foundation) ----
big=$work/1g.bin
head -c 1073741824 /dev/urandom > "$big"
cat "$big" > /dev/null
t_both=$(median "'$FWTRAIL' digest --alg sha384,sha512 '$big'")
t_one=$(median "'$FWTRAIL' digest --alg sha512 '$big'")
t_sha512sum=$(median "sha512sum '$big'")
t_pair=$(median "sha384sum '$big'; sha512sum '$big'")
t_openssl=$(median "openssl dgst -sha512 '$big'")
r1=$(echo "$t_both / $t_sha512sum" | bc -l)
r2=$(echo "$t_both / $t_pair" | bc -l)
r3=$(echo "$t_openssl / $t_one" | bc -l)
row "digest sha384+sha512, 1 GiB" "$t_both" "sha512sum alone" "$t_sha512sum" \
	"<= 0.80x: $(printf '%.2f' "$r1")x" "$(echo "$r1 <= 0.80" | bc)"
row "digest sha384+sha512, 1 GiB" "$t_both" "sha384sum; sha512sum" "$t_pair" \
	"(info) $(printf '%.2f' "$r2")x" 1
row "digest sha512, 1 GiB" "$t_one" "openssl dgst -sha512" "$t_openssl" \
	">= 0.95x speed: $(printf '%.2f' "$r3")x" "$(echo "$r3 >= 0.95" | bc)"
rm -f "$big"

# ---- the table ----
printf '\n%-32s %9s  %-26s %9s  %-28s %s\n' benchmark "fwtrail s" reference "ref s" target result
printf '%s\n' "---------------------------------------------------------------------------------------------------------------------"
fails=0
while IFS="$(printf '\t')" read -r name t ref tr target ok; do
	res=PASS
	[ "$ok" = 1 ] || { res=MISS; fails=$((fails + 1)); }
	printf '%-32s %9s  %-26s %9s  %-28s %s\n' "$name" "$t" "$ref" "$tr" "$target" "$res"
done < "$rows"
printf '\n(median of %s runs, %s cores)\n' "$RUNS" "$(nproc)"
[ "$fails" -eq 0 ]
