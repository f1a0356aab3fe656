# SPDX-License-Identifier: Apache-2.0
# SoftHSM2 tokens, token-key certificates and the fault-injecting PKCS#11
# shim for the key and sign suites (load after helpers).  fwtrail reaches
# SoftHSM2 through p11-kit's module registry: no module path in the URIs,
# except for the shim and pkcs11-spy, which are chosen with module-path=.

SOFTHSM_MODULE=/usr/lib/softhsm/libsofthsm2.so
SPY_MODULE=/usr/lib/x86_64-linux-gnu/pkcs11-spy.so
TOKEN='pkcs11:token=fwtrail-test'
P11="pkcs11-tool --module $SOFTHSM_MODULE --token-label fwtrail-test"

have_softhsm() { [ -e "$SOFTHSM_MODULE" ] && command -v softhsm2-util >/dev/null; }

# setup_file: one token (scripts/softhsm-env.sh --faults) for the file, the
# shim, and a certificate from the test CA for the token's OCP keys.
softhsm_setup_file() {
	have_softhsm || return 0
	export TOKEN_TEMPLATE="$BATS_FILE_TMPDIR/softhsm"
	"$ROOT/scripts/softhsm-env.sh" --faults "$TOKEN_TEMPLATE" > /dev/null
	export SHIM="$BATS_FILE_TMPDIR/p11shim.so"
	# shellcheck disable=SC2046
	cc -shared -fPIC -O1 -o "$SHIM" "$ROOT/lib/tests/p11shim.c" $(pkg-config --cflags p11-kit-1) -ldl -pthread
	export CERTS="$BATS_FILE_TMPDIR/certs"
	mkdir -p "$CERTS"
	openssl req -new -key "$TESTDATA/keys/ca.key.pem" -subj "/CN=placeholder" -out "$CERTS/req.csr" 2>/dev/null
	local label id
	for pair in p384:01 p521:02 rsa3072:03 rsa4096:04; do
		label=${pair%:*} id=${pair#*:}
		# the public key as GnuTLS's p11tool reads it off the token: an independent oracle
		SOFTHSM2_CONF="$TOKEN_TEMPLATE/softhsm2.conf" GNUTLS_PIN=123456 p11tool --provider "$SOFTHSM_MODULE" \
			--export "$TOKEN;object=$label;type=public" > "$CERTS/$label.p11tool.pem" 2> /dev/null < /dev/null
		openssl pkey -pubin -in "$CERTS/$label.p11tool.pem" -out "$CERTS/$label.pub.pem"
		openssl x509 -req -in "$CERTS/req.csr" -CA "$TESTDATA/keys/ca.crt.pem" -CAkey "$TESTDATA/keys/ca.key.pem" \
			-set_serial "0x$id" -days 30 -force_pubkey "$CERTS/$label.pub.pem" -subj "/CN=token $label" \
			-out "$CERTS/$label.crt.pem" 2>/dev/null
	done
}

# setup: a private copy of the token for each test (tests add keys and
# count failed logins), the PIN file, and no PIN in the environment.
softhsm_setup() {
	have_softhsm || skip "SoftHSM2 is not installed"
	cp -a "$TOKEN_TEMPLATE" "$BATS_TEST_TMPDIR/softhsm"
	sed -i "s|$TOKEN_TEMPLATE|$BATS_TEST_TMPDIR/softhsm|" "$BATS_TEST_TMPDIR/softhsm/softhsm2.conf"
	export SOFTHSM2_CONF="$BATS_TEST_TMPDIR/softhsm/softhsm2.conf"
	PIN_FILE="$BATS_TEST_TMPDIR/softhsm/pin"
	unset FWTRAIL_PIN P11SHIM_FAULT P11SHIM_DELAY_MS P11SHIM_DELAY_IN P11SHIM_TOKEN_FLAGS P11SHIM_LOG \
		P11SHIM_OPEN_TOKEN P11SHIM_OPEN_PIN
	SHIMLOG=$BATS_TEST_TMPDIR/shim.log
	# work in a folder of our own: bats keeps its files in BATS_TEST_TMPDIR
	mkdir -p "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w" || return 1
}

# pkcs11-tool's description of the private key labelled $1 (label, ID,
# Usage and Access lines).
privkey_info() {
	$P11 --login --pin 123456 --list-objects --type privkey 2> /dev/null | grep -A3 -E "^ +label: +$1\$"
}

# Wait (up to 5 s) until the shim has logged a call of $1 (P11SHIM_LOG).
await_shim_call() {
	for _ in $(seq 100); do
		grep -q "^$1\$" "$SHIMLOG" 2> /dev/null && return 0
		sleep 0.05
	done
}

# Start signing FILE... with the shim's P-384 key in the background ($pid;
# stderr in $BATS_TEST_TMPDIR/err.txt) and return once C_Sign is under way.
sign_in_background() {
	"$FWTRAIL" sign --key "$(shim_uri p384)" --pin-file "$PIN_FILE" "$@" 2> "$BATS_TEST_TMPDIR/err.txt" &
	pid=$!
	await_shim_call C_Sign
}

# The URI of a token key reached through the shim.
shim_uri() { printf '%s;object=%s?module-path=%s' "$TOKEN" "$1" "$SHIM"; }

# Run as root without the capabilities that ignore file permissions, so
# that a read-only folder or file means what it says.
unprivileged() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --bounding-set -dac_override,-dac_read_search -- "$@"
	else
		"$@"
	fi
}
