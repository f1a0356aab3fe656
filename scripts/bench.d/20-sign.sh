# SPDX-License-Identifier: Apache-2.0
# sign: 500 small files in one `fwtrail sign` call on SoftHSM2 (P-384, through
# p11-kit's registry), against (a) 500 `pkcs11-tool --sign` processes and
# (b) a raw C_Sign loop in one session (lib/tests/bench_p11_loop.c), same run.
if [ ! -e /usr/lib/softhsm/libsofthsm2.so ] || ! command -v pkcs11-tool > /dev/null; then
	echo "bench: sign: SoftHSM2 or pkcs11-tool missing, skipped" >&2
	return 0 2> /dev/null || exit 0
fi
sd=$WORK/sign
mkdir -p "$sd/files" "$sd/digests" "$sd/tool"
"$ROOT/scripts/softhsm-env.sh" --quick "$sd/token" > "$sd/env"
. "$sd/env"
export SOFTHSM2_CONF
n=500
i=1
while [ "$i" -le "$n" ]; do
	printf 'firmware image %d\n' "$i" > "$sd/files/f$i.bin"
	# pkcs11-tool signs a digest with CKM_ECDSA (all SoftHSM2 offers), made beforehand
	openssl dgst -sha384 -binary "$sd/files/f$i.bin" > "$sd/digests/f$i.sha384"
	i=$((i + 1))
done
# shellcheck disable=SC2046
cc -O2 -o "$sd/loop" "$ROOT/lib/tests/bench_p11_loop.c" $(pkg-config --cflags --libs p11-kit-1 libcrypto) -ldl
module=/usr/lib/softhsm/libsofthsm2.so

# every signature made is good
"$FWTRAIL" sign -q --force --key 'pkcs11:token=fwtrail-test;object=p384' --pin-file "$sd/token/pin" "$sd"/files/*.bin
for f in "$sd"/files/f1.bin "$sd"/files/f250.bin "$sd"/files/f500.bin; do
	"$FWTRAIL" key export --pin-file "$sd/token/pin" 'pkcs11:token=fwtrail-test;object=p384' -o "$sd/p384.pub" --force > /dev/null
	openssl dgst -sha384 -verify "$sd/p384.pub" -signature "$f.sig" "$f" > /dev/null ||
		echo "bench: warning: $f.sig does not verify" >&2
done

# Each timed run writes its 500 signatures into a folder of its own, as
# pkcs11-tool's one run writes into an empty one: replacing the last run's
# outputs (--force) would delete 500 files a run, and on a filesystem such
# as ext4 without a journal the next run's new files then cost an inode
# search past every recently deleted one (13% of the run, in perf), a cost
# of the benchmark's repetition that neither reference pays.  mktemp's own
# start-up stays in fwtrail's time.
mkdir -p "$sd/out"
t_fw=$(median "d=\$(mktemp -d '$sd/out/run.XXXXXX') && exec '$FWTRAIL' sign -q --key 'pkcs11:token=fwtrail-test;object=p384' --pin-file '$sd/token/pin' --out-dir \"\$d\" '$sd'/files/*.bin")
[ "$(ls "$sd"/out/*/f500.bin.sig 2> /dev/null | wc -l)" -ge "$RUNS" ] ||
	echo "bench: warning: the timed sign runs did not write their signatures" >&2

# the raw loop: seconds of the C_Sign loop alone (no process or module start)
: > "$sd/loop.times"
i=0
while [ "$i" -lt "$RUNS" ]; do
	"$sd/loop" "$module" fwtrail-test p384 "$sd/token/pin" "$n" >> "$sd/loop.times"
	i=$((i + 1))
done
t_loop=$(sort -g "$sd/loop.times" | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }')

# one process per file (a shell loop; one run: it takes seconds)
runs=$RUNS
RUNS=1
t_tool=$(median "i=1; while [ \$i -le $n ]; do pkcs11-tool --module $module --token-label fwtrail-test --login --pin 123456 --sign --mechanism ECDSA --id 01 -i '$sd'/digests/f\$i.sha384 -o '$sd'/tool/f\$i.sig 2>/dev/null || exit 1; i=\$((i + 1)); done")
RUNS=$runs

r1=$(echo "$t_loop / $t_fw" | bc -l)
r2=$(echo "$t_tool / $t_fw" | bc -l)
row "sign 500 files, SoftHSM2 P-384" "$t_fw" "raw C_Sign loop, one session" "$t_loop" \
	">= 1.60x speed: $(printf '%.2f' "$r1")x" "$(echo "$r1 >= 1.6" | bc)"
row "sign 500 files, SoftHSM2 P-384" "$t_fw" "500 pkcs11-tool --sign" "$t_tool" \
	">= 25x speed: $(printf '%.1f' "$r2")x" "$(echo "$r2 >= 25" | bc)"
# The ceiling the 1.6x target meets: every signature is verified with the
# public key before it is written (the issue's rule), and a P-384 verify
# by OpenSSL costs about what SoftHSM2's sign does, so even with no other
# work at all the cores cannot get past cores x loop / (loop + n x verify).
# fwtrail's self-verify uses a table made for the key (lib/ecfast.c), under
# half of OpenSSL's time: the third note gives the bound with that verify,
# timed here as `fwtrail verify` of the same 500 signatures (one process,
# one core, files read included).
vps=$(openssl speed -seconds 1 ecdsap384 2> /dev/null | awk '/nistp384/ { print $NF }')
if [ -n "$vps" ]; then
	ceil=$(echo "$(nproc) * $t_loop / ($t_loop + $n / $vps)" | bc -l)
	note "sign: one P-384 verify by OpenSSL takes $(echo "1000 / $vps" | bc -l | xargs printf '%.3f') ms (openssl speed);" \
		"with such a self-verify of each of the $n signatures, $(nproc) cores could reach at most" \
		"$(printf '%.2f' "$ceil")x the raw loop, before any file is read or written"
	# the same floor caps the ratio to one process per signature
	best=$(echo "($t_loop + $n / $vps) / $(nproc)" | bc -l)
	note "sign: $n signatures and OpenSSL verifies of them on $(nproc) cores take at least $(printf '%.3f' "$best") s;" \
		"against the $t_tool s of $n pkcs11-tool processes ($(echo "1000 * $t_tool / $n" | bc -l | xargs printf '%.1f') ms each)," \
		"that signer would be at most $(echo "$t_tool / $best" | bc -l | xargs printf '%.1f')x faster"
fi
# the same bounds with fwtrail's own verify (a table for the key)
pairs=$WORK/sign/pairs
i=1
: > "$pairs"
while [ "$i" -le "$n" ]; do
	printf '%s\n%s\n' "$sd/files/f$i.bin.sig" "$sd/files/f$i.bin" >> "$pairs"
	i=$((i + 1))
done
t_ver=$(median "xargs -d '\\n' '$FWTRAIL' verify -q --key '$sd/p384.pub' < '$pairs'")
if [ "$t_ver" != nan ]; then
	ceil=$(echo "$(nproc) * $t_loop / ($t_loop + $t_ver)" | bc -l)
	best=$(echo "($t_loop + $t_ver) / $(nproc)" | bc -l)
	note "sign: fwtrail verify checks the $n signatures in $t_ver s ($(echo "1000 * $t_ver / $n" | bc -l | xargs printf '%.3f') ms each," \
		"files read included); with that self-verify, $(nproc) cores could reach at most $(printf '%.2f' "$ceil")x the raw loop" \
		"and $(echo "$t_tool / $best" | bc -l | xargs printf '%.1f')x $n pkcs11-tool processes"
fi
