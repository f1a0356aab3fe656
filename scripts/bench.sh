#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `make bench`: every benchmark in scripts/bench.d/*.sh, printed as one table
# with ratios against reference tools measured in the same run.
#
# Each bench.d script is sourced with these helpers available:
#   median "SHELL COMMAND"   median wall seconds over $RUNS runs
#   cpu_mean "SHELL COMMAND" mean CPU seconds (user + system) per run
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

# Timing is hyperfine's (Debian package, scripts/deps.sh): each command runs
# under sh, and hyperfine subtracts the time sh itself takes to start, so a
# command of a few milliseconds is not buried under the shell and the
# clock-reading processes around it. Without hyperfine, a plain loop times
# the command together with that overhead, and says so.
# hf "SHELL COMMAND" FIELD: FIELD of hyperfine's JSON result (median,
# user+system) over $RUNS runs, after one warm-up run when RUNS > 1
# With FAST set, the command (no shell syntax: quoted words only) runs
# without a shell (hyperfine -N) and many times: for commands of a few
# milliseconds, where subtracting a shell's start-up from 5 runs is noisier
# than the command itself.
hf() {
	_w=1
	[ "$RUNS" -gt 1 ] || _w=0
	_r=$RUNS
	set -- "$1" "$2" --shell sh
	if [ -n "${FAST:-}" ]; then
		_r=$((RUNS * 40))
		[ "$_r" -ge 200 ] || _r=200
		_w=20
		set -- "$1" "$2" -N
	fi
	if ! hyperfine "$3" ${4:+"$4"} --style none --runs "$_r" --warmup "$_w" --ignore-failure \
		--export-json "$WORK/.hf.json" -- "$1" > /dev/null 2> "$WORK/.hf.err"; then
		echo "bench: hyperfine failed on: $1" >&2
		sed 's/^/bench:   /' "$WORK/.hf.err" >&2
		printf 'nan'
		return 0
	fi
	/usr/bin/python3 - "$WORK/.hf.json" "$2" "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
if any(c != 0 for c in r.get("exit_codes", [])):
    print("bench: warning: command failed: " + sys.argv[3], file=sys.stderr)
v = r["user"] + r["system"] if sys.argv[2] == "cpu" else r["median"]
print("%.4f" % max(v, 0.0), end="")
PY
}

median() {
	if [ -n "$HYPERFINE" ]; then
		hf "$1" median
		return
	fi
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

# cpu_mean "SHELL COMMAND": mean CPU seconds (user + system) per run
cpu_mean() {
	if [ -n "$HYPERFINE" ]; then
		hf "$1" cpu
		return
	fi
	_i=0
	: > "$WORK/.cpu"
	while [ "$_i" -lt "$RUNS" ]; do
		/usr/bin/time -f '%U %S' -o "$WORK/.t" sh -c "$1" >/dev/null 2>&1 || true
		awk '{ printf "%.3f\n", $1 + $2 }' "$WORK/.t" >> "$WORK/.cpu"
		_i=$((_i + 1))
	done
	awk '{ s += $1 } END { printf "%.3f", s / NR }' "$WORK/.cpu"
}

row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$rows"
}

# A line printed under the table (context for a row, not a result).
note() {
	printf '%s\n' "$*" >> "$WORK/.notes"
}

HYPERFINE=$(command -v hyperfine || true)
[ -n "$HYPERFINE" ] || echo "bench: hyperfine not found: times include sh and date start-up (a few ms each)" >&2

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
if [ -n "$HYPERFINE" ]; then
	how="hyperfine, sh start-up subtracted; commands of a few ms: $((RUNS * 40 < 200 ? 200 : RUNS * 40)) runs without a shell"
else
	how="sh and date start-up included"
fi
printf '\n(median of %s runs, %s; %s cores, %s)\n' "$RUNS" "$how" "$(nproc)" "$(date -u +%Y-%m-%d)"
[ ! -s "$WORK/.notes" ] || { echo; sed 's/^/note: /' "$WORK/.notes"; }
[ "$fails" -eq 0 ]
