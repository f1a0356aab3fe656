#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Make a throwaway SoftHSM2 token for tests, benchmarks and the demo.
#
#   eval "$(scripts/softhsm-env.sh DIR)"
#
# DIR (created) gets softhsm2.conf, the token store and a PIN file; the
# script prints shell lines that export SOFTHSM2_CONF, FWTRAIL_TEST_PIN_FILE
# and FWTRAIL_TEST_TOKEN.  fwtrail then reaches the token through p11-kit's
# module registry (Debian's softhsm2 package registers libsofthsm2.so), so
# no module path appears in any pkcs11: URI.
#
# Token "fwtrail-test" (user PIN 123456, SO PIN 654321) holds key pairs:
#   id 01 label p384      EC P-384      (ES384)
#   id 02 label p521      EC P-521      (ES512)
#   id 03 label rsa3072   RSA 3072      (PS384)
#   id 04 label rsa4096   RSA 4096      (PS512)
# and, with --faults, keys for the failure tests:
#   id 05, 06 label dup   two EC P-384 keys with one label (ambiguous)
#   id 07 label always    EC P-384 with CKA_ALWAYS_AUTHENTICATE
#   id 08 label p256      EC P-256 (not an OCP signing key)
#   id 09 label rsa2048   RSA 2048 (not an OCP signing key)
#   id 0a label nosign    EC P-384 without CKA_SIGN (decrypt only)
# --quick leaves out the RSA-4096 key (it takes seconds to make).
set -eu

faults=0
quick=0
while [ $# -gt 1 ]; do
	case "$1" in
	--faults) faults=1 ;;
	--quick) quick=1 ;;
	*) echo "usage: $0 [--faults] [--quick] DIR" >&2; exit 2 ;;
	esac
	shift
done
[ $# -eq 1 ] || { echo "usage: $0 [--faults] [--quick] DIR" >&2; exit 2; }
dir=$1
module=/usr/lib/softhsm/libsofthsm2.so
[ -e "$module" ] || { echo "softhsm-env: $module not found (apt-get install softhsm2)" >&2; exit 1; }

mkdir -p "$dir/tokens"
dir=$(cd "$dir" && pwd)
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
	"$dir" > "$dir/softhsm2.conf"
SOFTHSM2_CONF=$dir/softhsm2.conf
export SOFTHSM2_CONF
softhsm2-util --init-token --free --label fwtrail-test --pin 123456 --so-pin 654321 >/dev/null
umask 077
printf '123456\n' > "$dir/pin"

# the test harness may put the PIN on its own command line; fwtrail never does
p11() { pkcs11-tool --module "$module" --token-label fwtrail-test --login --pin 123456 "$@" >/dev/null 2>&1; }
gen() { # type id label [extra...]
	t=$1 id=$2 label=$3
	shift 3
	p11 --keypairgen --key-type "$t" --id "$id" --label "$label" "$@" ||
		{ echo "softhsm-env: cannot make key $label ($t)" >&2; exit 1; }
}
gen EC:secp384r1 01 p384 --usage-sign
gen EC:secp521r1 02 p521 --usage-sign
gen rsa:3072 03 rsa3072 --usage-sign
[ "$quick" = 1 ] || gen rsa:4096 04 rsa4096 --usage-sign
if [ "$faults" = 1 ]; then
	gen EC:secp384r1 05 dup --usage-sign
	gen EC:secp384r1 06 dup --usage-sign
	gen EC:secp384r1 07 always --usage-sign --always-auth
	gen EC:prime256v1 08 p256 --usage-sign
	gen rsa:2048 09 rsa2048 --usage-sign
	# pkcs11-tool always sets CKA_SIGN; GnuTLS's p11tool leaves it false
	GNUTLS_PIN=123456 p11tool --provider "$module" --login --generate-privkey ECDSA \
		--curve secp384r1 --label nosign --id 0a --mark-decrypt "pkcs11:token=fwtrail-test" >/dev/null 2>&1 ||
		{ echo "softhsm-env: cannot make key nosign (p11tool from gnutls-bin)" >&2; exit 1; }
fi

echo "SOFTHSM2_CONF='$dir/softhsm2.conf'; export SOFTHSM2_CONF"
echo "FWTRAIL_TEST_PIN_FILE='$dir/pin'; export FWTRAIL_TEST_PIN_FILE"
echo "FWTRAIL_TEST_TOKEN='pkcs11:token=fwtrail-test'; export FWTRAIL_TEST_TOKEN"
