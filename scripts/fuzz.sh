#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make fuzz [FUZZ_SECONDS=N]`: build every lib/tests/fuzz_<name>.c as a
# libFuzzer target build/fuzz/fuzz_<name> (clang, ASan+UBSan), seed it with
# testdata/fuzz/fuzz_<name>/ plus the ../shared/corpora files its
# corpora.txt lists (find -path patterns), run it for N seconds, and print a table.  A crash or
# leak is saved as testdata/fuzz/fuzz_<name>/regress-<sha1> (commit it: it
# becomes a regression test replayed by `make check`) and fails the run.
# testdata/fuzz/fuzz_<name>.dict, when there, is passed as -dict (the
# format's keywords, tags and constants); testdata/fuzz/fuzz_<name>.options
# holds name=value lines that replace or add to the libFuzzer flags below
# (OPTION_NAMES; e.g. a smaller max_len for a format that is small by nature).
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-30}
CC_FUZZ=${CC_FUZZ:-clang}
B=build/fuzz
OBJ=$B/obj
mkdir -p "$OBJ"
PKGS="openssl p11-kit-1 jansson libcbor libarchive libxml-2.0 xmlsec1-openssl"
# shellcheck disable=SC2046
CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -D_FILE_OFFSET_BITS=64 -D_POSIX_C_SOURCE=200809L
 -D_DEFAULT_SOURCE -DFWT_VERSION=\"fuzz\" -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -pthread
 -Ilib/include -Ilib $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -ldl -pthread"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

targets=$(ls lib/tests/fuzz_*.c 2>/dev/null | grep -v fuzz_main.c | sed 's|lib/tests/||; s|\.c$||')
# FUZZ_ONLY=fuzz_<name>[,fuzz_<name>...] runs only those targets
if [ -n "${FUZZ_ONLY:-}" ]; then
	targets=$(echo "$targets" | grep -x -F -- "$(echo "$FUZZ_ONLY" | tr ',' '\n')" || true)
fi
[ -n "$targets" ] || { echo "fuzz: no targets${FUZZ_ONLY:+ named by FUZZ_ONLY=$FUZZ_ONLY}" >&2; exit 1; }

# libFuzzer flags every target gets, and the ones an .options file may set
DEFAULT_FLAGS="max_len=262144 malloc_limit_mb=256 rss_limit_mb=1024 timeout=10"
OPTION_NAMES="max_len malloc_limit_mb rss_limit_mb timeout len_control use_value_profile"

# an .options file holds "# comments", blank lines and name=number lines
check_options() {
	local f=testdata/fuzz/$1.options n=0 line name value
	[ -f "$f" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case $line in '' | '#'*) continue ;; esac
		name=${line%%=*}
		value=${line#*=}
		case $name in '' | *[!a-z_]*) name= ;; esac
		case " $OPTION_NAMES " in *" $name "*) ;; *) name= ;; esac
		case $value in '' | *[!0-9]*) name= ;; esac
		if [ -z "$name" ] || [ "$line" = "$value" ]; then
			echo "fuzz: $f line $n: '$line' is not name=number with a name among: $OPTION_NAMES" >&2
			return 1
		fi
	done < "$f"
}
for t in $targets; do check_options "$t" || exit 1; done

# the flags of one target: the defaults, each replaced by its .options value
target_flags() {
	local flags=$DEFAULT_FLAGS line kept w
	if [ -f "testdata/fuzz/$1.options" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			case $line in '' | '#'*) continue ;; esac
			kept=
			for w in $flags; do [ "${w%%=*}" = "${line%%=*}" ] || kept="$kept $w"; done
			flags="$kept $line"
		done < "testdata/fuzz/$1.options"
	fi
	for w in $flags; do printf -- '-%s ' "$w"; done
	[ ! -f "testdata/fuzz/$1.dict" ] || printf -- '-dict=%s ' "testdata/fuzz/$1.dict"
}

# the library, instrumented for coverage
objs=""
for src in lib/*.c; do
	o=$OBJ/$(basename "$src" .c).o
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ -n "$(find lib/include lib -maxdepth 1 -name '*.h' -newer "$o" 2>/dev/null | head -1)" ]; then
		# shellcheck disable=SC2086
		$CC_FUZZ $CFLAGS $SAN -fsanitize=fuzzer-no-link -c -o "$o" "$src" &
		[ "$(jobs -pr | wc -l)" -lt "${FUZZ_JOBS:-$(nproc)}" ] || wait -n || { echo "fuzz: the library did not build" >&2; exit 1; }
	fi
	objs="$objs $o"
done
while [ -n "$(jobs -pr)" ]; do wait -n || { echo "fuzz: the library did not build" >&2; exit 1; }; done

JOBS=${FUZZ_JOBS:-$(nproc)}
summary=$B/summary.txt
: > "$summary"

# build one target and gather its seeds
prepare() {
	t=$1
	# shellcheck disable=SC2086
	$CC_FUZZ $CFLAGS $SAN -fsanitize=fuzzer -o "$B/$t" "lib/tests/$t.c" $objs $LIBS
	work=$B/corpus-$t
	rm -rf "$work"
	mkdir -p "$work" "testdata/fuzz/$t"
	cp testdata/fuzz/"$t"/* "$work"/ 2>/dev/null || true
	rm -f "$work/corpora.txt"
	if [ -f "testdata/fuzz/$t/corpora.txt" ] && [ -d ../shared/corpora ]; then
		while read -r glob; do
			case $glob in '' | '#'*) continue ;; esac
			# find's -path: '*' also matches '/', so one pattern covers any depth
			find ../shared/corpora -type f -path "../shared/corpora/$glob" | while read -r f; do
				cp "$f" "$work/shared-$(echo "$f" | sha1sum | cut -c1-12)"
			done
		done < "testdata/fuzz/$t/corpora.txt"
	fi
}

# run one target; its line of the table goes to $B/$t.row
fuzz_one() {
	t=$1
	work=$B/corpus-$t
	log=$B/$t.log
	rm -f "$B/$t.row"
	# shellcheck disable=SC2046 # one word per flag, none holds a space
	"$B/$t" -max_total_time="$SECONDS_EACH" $(target_flags "$t") \
		-print_final_stats=1 -artifact_prefix="$B/$t-" "$work" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	seeds=$(ls "$work" | wc -l)
	result=ok
	if [ "$rc" -ne 0 ]; then
		result=FAILED
		for a in "$B/$t-"*; do
			[ -f "$a" ] || continue
			dst=testdata/fuzz/$t/regress-$(sha1sum < "$a" | cut -c1-16)
			cp "$a" "$dst"
			echo "fuzz: $t: reproducer saved as $dst (see $log)" >&2
			rm -f "$a"
		done
	fi
	printf '%-28s %10s %8s %8s  %s\n' "$t" "${execs:-0}" "${cov:-0}" "$seeds" "$result" > "$B/$t.row"
}

# run "$@" for each target, $JOBS at a time (each libFuzzer run is one
# process on one core); the exit status is the number of failures
pool() {
	local running=0 bad=0 t
	for t in $targets; do
		if [ "$running" -ge "$JOBS" ]; then
			wait -n || bad=$((bad + 1))
			running=$((running - 1))
		fi
		"$@" "$t" &
		running=$((running + 1))
	done
	while [ "$running" -gt 0 ]; do
		wait -n || bad=$((bad + 1))
		running=$((running - 1))
	done
	return "$bad"
}

pool prepare || { echo "fuzz: a target did not build" >&2; exit 1; }
set +e
pool fuzz_one
set -e
failed=0
for t in $targets; do
	if [ -f "$B/$t.row" ]; then cat "$B/$t.row"; else printf '%-28s %10s %8s %8s  %s\n' "$t" 0 0 0 FAILED; fi
done > "$summary"
failed=$(grep -c 'FAILED$' "$summary" || true)
printf '\n%-28s %10s %8s %8s  %s\n' target execs cov seeds result
cat "$summary"
printf '(%s s per target, %s at a time)\n' "$SECONDS_EACH" "$JOBS"
[ "$failed" -eq 0 ]
