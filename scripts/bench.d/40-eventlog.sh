# SPDX-License-Identifier: Apache-2.0
# eventlog: PCR replay vs tpm2_eventlog (tpm2-tools), same files, same run.
# The largest corpus log (49 KB) measures mostly process start-up (an empty
# `tpm2_eventlog --version` takes about as long); a generated log of 60000
# events (12 MB, under the 16 MiB cap) measures the parser and the replay.
# Wall time suffers on a loaded machine, so CPU time (user + system) is
# reported too.
log=$CORPORA/eventlog/keylime/test/data/create-mb-policy/binary_bios_measurements
big=$WORK/large-eventlog.bin
/usr/bin/python3 scripts/gen-eventlog.py --large 60000 "$big"
if command -v tpm2_eventlog >/dev/null 2>&1; then
	for f in "$log" "$big"; do
		[ -f "$f" ] || continue
		if [ "$f" = "$log" ]; then name="eventlog replay, corpus 49 KB"; else name="eventlog replay, 60000 events"; fi
		# the small log takes a few ms: timed without a shell, many runs
		fast=
		[ "$f" != "$log" ] || fast=1
		t_fw=$(FAST=$fast median "'$FWTRAIL' eventlog replay '$f'")
		t_ref=$(FAST=$fast median "tpm2_eventlog '$f'")
		r=$(echo "$t_ref / $t_fw" | bc -l)
		row "$name" "$t_fw" "tpm2_eventlog" "$t_ref" ">= 10x speed: $(printf '%.1f' "$r")x" "$(echo "$r >= 10" | bc)"
		c_fw=$(FAST=$fast cpu_mean "'$FWTRAIL' eventlog replay '$f'")
		c_ref=$(FAST=$fast cpu_mean "tpm2_eventlog '$f'")
		# after a shell's time is subtracted, a near-zero CPU time is kept
		# off zero; timed without a shell, it is the time itself
		eps=0.0005
		[ -z "$fast" ] || eps=0
		r=$(echo "$c_ref / ($c_fw + $eps)" | bc -l)
		row "$name (CPU s)" "$c_fw" "tpm2_eventlog (CPU s)" "$c_ref" ">= 10x less CPU: $(printf '%.1f' "$r")x" \
			"$(echo "$r >= 10" | bc)"
	done
else
	echo "bench: tpm2_eventlog not installed; skipping the eventlog comparison" >&2
fi
# The floors for the small log: a program that only starts, linked to
# libcrypto (as any program that hashes with OpenSSL is), and one linked
# statically to nothing at all, timed the same way.
if command -v tpm2_eventlog >/dev/null 2>&1 && [ -f "$log" ]; then
	printf 'int main(void) { return 0; }\n' > "$WORK/floor.c"
	cc -O2 -o "$WORK/floor" "$WORK/floor.c" -Wl,--no-as-needed -lcrypto
	t_floor=$(FAST=1 median "'$WORK/floor'")
	t_ref=$(FAST=1 median "tpm2_eventlog '$log'")
	note "eventlog, corpus 49 KB: a program that only starts, linked to libcrypto, takes $t_floor s;" \
		"tpm2_eventlog takes $t_ref s: no such program can be more than $(echo "$t_ref / $t_floor" | bc -l | xargs printf '%.1f')x faster"
	if cc -O2 -static -o "$WORK/floor-static" "$WORK/floor.c" 2> /dev/null; then
		t_static=$(FAST=1 median "'$WORK/floor-static'")
		note "eventlog, corpus 49 KB: an empty static program (no library, no work) takes $t_static s:" \
			"$(echo "$t_ref / $t_static" | bc -l | xargs printf '%.1f')x faster than tpm2_eventlog"
	fi
fi
rm -f "$big"
