#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A throwaway tpm2-pkcs11 token on a software TPM, for tests and the demo:
# the second, different PKCS#11 implementation fwtrail is tested against.
#
#   eval "$(scripts/tpm2-pkcs11-env.sh DIR)"     start swtpm, make the token
#   scripts/tpm2-pkcs11-env.sh --stop DIR        stop that swtpm
#
# DIR (created) gets the TPM state, the tpm2-pkcs11 store, a PIN file and
# swtpm's pid and log.  swtpm listens on two free loopback ports (server and
# control, as the swtpm TCTI expects) and runs under `timeout`, so that even
# a test run killed outright leaves no TPM behind for long.  The script
# prints shell lines exporting TPM2_PKCS11_STORE and TPM2_PKCS11_TCTI (read
# by Debian's libtpm2_pkcs11.so, which p11-kit loads from its registry: no
# module path appears in any pkcs11: URI), TPM2TOOLS_TCTI (tpm2-tools),
# FWTRAIL_TEST_PIN_FILE, FWTRAIL_TEST_TOKEN and FWTRAIL_TEST_SWTPM_PID.
#
# Token "fwtrail-tpm" (user PIN 123456, SO PIN 654321) holds key pairs:
#   id 01 label p384      EC P-384, sign only                      (ES384)
#   id 03 label rsa3072   RSA 3072, sign and decrypt               (PS384)
# The RSA key may also decrypt because tpm2-pkcs11 1.9 makes RSA-PSS with
# salt = hash length itself, padding on the host and applying the raw RSA
# operation (TPM2_RSA_Decrypt): the TPM's own PSS uses the largest salt.
#
# Without a resource manager (swtpm has none; the kernel's /dev/tpmrm0 or
# tpm2-abrmd would flush each client's objects when it disconnects) a
# client that leaves objects loaded fills the TPM's three object slots:
# tpm2_ptool does after each tpm2-tools call, so `tpm2_ptool addtoken` and
# `addkey` fail with "out of memory for object contexts".  The token and its
# keys are therefore made through PKCS#11 (C_InitToken, C_InitPIN,
# C_GenerateKeyPair with pkcs11-tool), and `tpm2_flushcontext -t` clears
# what a client left behind.
#
# Exit status 77 (with the reason on stderr) when swtpm, tpm2-tools,
# tpm2-pkcs11 or pkcs11-tool are missing or swtpm cannot be started, so
# that callers can skip; 1 for any other failure (swtpm is then stopped).
set -eu

MODULE=/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so
usage() { echo "usage: $0 [--stop] DIR" >&2; exit 2; }
cannot() { echo "tpm2-pkcs11-env: $*" >&2; exit 77; }
fail() { echo "tpm2-pkcs11-env: $*" >&2; exit 1; }

stop_swtpm() { # dir
	[ -s "$1/swtpm.pid" ] || return 0
	pid=$(cat "$1/swtpm.pid")
	if kill "$pid" 2>/dev/null; then
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 40 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$1/swtpm.pid"
}

stop=0
case "${1:-}" in
--stop) stop=1; shift ;;
-*) usage ;;
esac
[ $# -eq 1 ] || usage
dir=$1
if [ "$stop" = 1 ]; then
	stop_swtpm "$dir"
	exit 0
fi

for t in swtpm tpm2_startup tpm2_flushcontext tpm2_ptool pkcs11-tool timeout; do
	command -v "$t" >/dev/null || cannot "'$t' not found (scripts/deps.sh installs it)"
done
[ -e "$MODULE" ] || cannot "$MODULE not found (apt-get install libtpm2-pkcs11-1)"
[ -e /usr/share/p11-kit/modules/tpm2_pkcs11.module ] ||
	cannot "tpm2_pkcs11 is not registered with p11-kit (/usr/share/p11-kit/modules/tpm2_pkcs11.module)"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ ! -s "$dir/swtpm.pid" ] || fail "$dir/swtpm.pid exists: stop that TPM first ($0 --stop $dir)"
# a new TPM and store each time
rm -rf "$dir/state" "$dir/store"
mkdir "$dir/state" "$dir/store"
rm -f "$dir/swtpm.log" "$dir/tools.log"
trap 'stop_swtpm "$dir"' EXIT

# a free pair of loopback ports: swtpm refuses to start on a taken one
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
started=0
for try in 1 2 3 4 5 6 7 8; do
	port=$((20000 + ($(od -An -N2 -tu2 /dev/urandom) % 20000) * 2))
	listening "$port" || listening $((port + 1)) && continue
	rm -f "$dir/swtpm.pid"
	timeout 900 swtpm socket --tpm2 --tpmstate "dir=$dir/state" --flags not-need-init \
		--server "type=tcp,port=$port,bindaddr=127.0.0.1" --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" \
		--pid "file=$dir/swtpm.pid" --log "file=$dir/swtpm.log" </dev/null >>"$dir/swtpm.log" 2>&1 &
	tpid=$!
	TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$port"
	export TPM2TOOLS_TCTI
	i=0
	while kill -0 "$tpid" 2>/dev/null && [ $i -lt 100 ]; do
		if [ -s "$dir/swtpm.pid" ] && tpm2_startup -c >>"$dir/tools.log" 2>&1; then
			started=1
			break
		fi
		sleep 0.05
		i=$((i + 1))
	done
	[ "$started" = 1 ] && break
	stop_swtpm "$dir"
done
[ "$started" = 1 ] || cannot "swtpm does not start: $(tail -n 1 "$dir/swtpm.log" 2>/dev/null)"

TPM2_PKCS11_STORE=$dir/store
TPM2_PKCS11_TCTI=$TPM2TOOLS_TCTI
export TPM2_PKCS11_STORE TPM2_PKCS11_TCTI
umask 077
printf '123456\n' > "$dir/pin"
# the store and its primary key (persistent 0x81000001); init leaves the
# primary's transient copies loaded
tpm2_ptool init >>"$dir/tools.log" 2>&1 || fail "tpm2_ptool init failed (see $dir/tools.log)"
tpm2_flushcontext -t >>"$dir/tools.log" 2>&1
# the module shows an empty slot while the store has no token: initialise it
p11() { pkcs11-tool --module "$MODULE" "$@" >>"$dir/tools.log" 2>&1; }
p11 --slot-index 0 --init-token --label fwtrail-tpm --so-pin 654321 || fail "cannot make the token (see $dir/tools.log)"
p11 --token-label fwtrail-tpm --login --login-type so --so-pin 654321 --init-pin --pin 123456 ||
	fail "cannot set the user PIN (see $dir/tools.log)"
# the harness may put the PIN on its own command line; fwtrail never does
p11 --token-label fwtrail-tpm --login --pin 123456 --keypairgen --key-type EC:secp384r1 --id 01 --label p384 \
	--usage-sign || fail "cannot make key p384 (see $dir/tools.log)"
p11 --token-label fwtrail-tpm --login --pin 123456 --keypairgen --key-type rsa:3072 --id 03 --label rsa3072 ||
	fail "cannot make key rsa3072 (see $dir/tools.log)"
tpm2_flushcontext -t >>"$dir/tools.log" 2>&1

trap - EXIT
echo "TPM2_PKCS11_STORE='$dir/store'; export TPM2_PKCS11_STORE"
echo "TPM2_PKCS11_TCTI='$TPM2_PKCS11_TCTI'; export TPM2_PKCS11_TCTI"
echo "TPM2TOOLS_TCTI='$TPM2_PKCS11_TCTI'; export TPM2TOOLS_TCTI"
echo "FWTRAIL_TEST_PIN_FILE='$dir/pin'; export FWTRAIL_TEST_PIN_FILE"
echo "FWTRAIL_TEST_TOKEN='pkcs11:token=fwtrail-tpm'; export FWTRAIL_TEST_TOKEN"
echo "FWTRAIL_TEST_SWTPM_PID='$(cat "$dir/swtpm.pid")'; export FWTRAIL_TEST_SWTPM_PID"
