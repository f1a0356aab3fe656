#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail key list|generate|export against a throwaway SoftHSM2 token,
# reached through p11-kit's module registry.

load helpers
uses_pkcs11_modules
load softhsm

setup_file() { softhsm_setup_file; }
setup() { softhsm_setup; }

@test "list: the token and its public keys, each with its full pkcs11: URI" {
	run --separate-stderr -0 fwtrail key list --module softhsm2
	assert_line --partial "token 'fwtrail-test' (SoftHSM project, SoftHSM v2, serial "
	assert_line --regexp '^  pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=[0-9a-f]+;token=fwtrail-test$'
	assert_line --regexp '^  public  ec-p384 +verify +pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=[0-9a-f]+;token=fwtrail-test;id=%01;object=p384;type=public$'
	assert_line --partial "private keys show after a login"
	refute_line --regexp '^  private '
	assert_equal "$stderr" ""
}

@test "list: a PIN shows the private keys, what can sign and what cannot" {
	run --separate-stderr -0 fwtrail key list --token "$TOKEN" --pin-file "$PIN_FILE"
	assert_line --regexp '^  private ec-p521 +sign +pkcs11:.*;token=fwtrail-test;id=%02;object=p521;type=private$'
	assert_line --regexp '^  private rsa-4096 +sign +pkcs11:.*;id=%04;object=rsa4096;type=private$'
	assert_line --regexp '^  private ec-p384 +no-sign +pkcs11:.*;id=%0A;object=nosign;type=private$'
	refute_line --partial "System Trust"
	FWTRAIL_PIN=123456 run -0 fwtrail key list --token "$TOKEN"
	assert_line --partial "object=p384;type=private"
}

@test "list --json: tokens with flags and keys with URI, type, size, can_sign" {
	run --separate-stderr -0 fwtrail key list --json --token "$TOKEN" --pin-file "$PIN_FILE"
	echo "$output" | $PY -c '
import json, sys
o = json.load(sys.stdin)
assert o["command"] == "key list" and o["ok"] is True and o["schema"] == 1
(t,) = o["tokens"]
assert t["label"] == "fwtrail-test" and t["module"] == "softhsm2" and t["logged_in"] is True
assert "login-required" in t["flags"] and "token-initialized" in t["flags"]
keys = {(k["label"], k["class"]): k for k in t["keys"]}
k = keys[("p384", "private")]
assert k["type"] == "ec-p384" and k["bits"] == 384 and k["can_sign"] and k["sensitive"] and not k["extractable"]
assert k["uri"].endswith(";id=%01;object=p384;type=private") and k["id"] == "01", k
assert keys[("rsa3072", "private")]["bits"] == 3072
assert keys[("nosign", "private")]["can_sign"] is False
assert keys[("always", "private")]["always_authenticate"] is True
assert keys[("p384", "public")]["can_sign"] is False
'
}

@test "list: several tokens needing a PIN get no login (retry counters), with a warning" {
	softhsm2-util --init-token --free --label second --pin 123456 --so-pin 654321 > /dev/null
	run --separate-stderr -0 fwtrail key list --module softhsm2 --pin-file "$PIN_FILE"
	assert_equal "$stderr" "fwtrail key list: warning: not logging in: 2 tokens need a PIN; pick one with a token URI to list its private keys"
	refute_line --partial "type=private"
	assert_line --partial "token 'second'"
}

@test "list: a PIN given but not used (several tokens) says to name the token, not to give a PIN" {
	softhsm2-util --init-token --free --label second --pin 123456 --so-pin 654321 > /dev/null
	run --separate-stderr -0 fwtrail key list --module softhsm2 --pin-file "$PIN_FILE"
	assert_line "  (private keys show after a login: name this token with --token to log in to it)"
	assert_line "  (no keys visible without a login: name this token with --token to log in to it)"
	refute_line --partial "give --pin-file"
	FWTRAIL_PIN=123456 run --separate-stderr -0 fwtrail key list --module softhsm2
	assert_line "  (private keys show after a login: name this token with --token to log in to it)"
	# a PIN in a --token URI that matches both tokens is a PIN given too
	run --separate-stderr -0 fwtrail key list --module softhsm2 --token "pkcs11:?pin-source=file:$PIN_FILE"
	assert_line "  (private keys show after a login: name this token with --token to log in to it)"
	refute_line --partial "give --pin-file"
	# without a PIN, the way to the private keys is a PIN
	run --separate-stderr -0 fwtrail key list --module softhsm2
	assert_line "  (private keys show after a login: give --pin-file or FWTRAIL_PIN)"
	assert_line "  (no keys visible without a login: give --pin-file or FWTRAIL_PIN)"
	# and naming the token, as said, lists its private keys
	run --separate-stderr -0 fwtrail key list --token "$TOKEN" --pin-file "$PIN_FILE"
	assert_line --partial "object=p384;type=private"
}

@test "list: an unknown module is exit 5; a usage error is exit 2" {
	run --separate-stderr -5 fwtrail key list --module no-such-module
	assert_equal "$stderr" "fwtrail key list: no PKCS#11 module named 'no-such-module' is registered with p11-kit"
	run -2 fwtrail key list extra
	run --separate-stderr -2 fwtrail key list --token 'pkcs11:token=x;foo=bar'
	assert_equal "$stderr" "fwtrail key list: pkcs11: URI 'pkcs11:token=x;foo=bar': unknown attribute 'foo'"
	# module-name in the path (RFC 7512 has it in the query): said where it goes
	run --separate-stderr -2 fwtrail key list --token 'pkcs11:token=x;module-name=softhsm2'
	assert_equal "$stderr" "fwtrail key list: pkcs11: URI 'pkcs11:token=x;module-name=softhsm2': misplaced attribute 'module-name' (a query attribute: put it after '?', as in pkcs11:token=T?module-name=M)"
	# a token asked for that is not there: exit 5 naming the URI, as a key
	# chosen by URI is; a machine without tokens only warns
	run --separate-stderr -5 fwtrail key list --token 'pkcs11:token=no-such-token'
	assert_equal "$stderr" "fwtrail key list: no initialised PKCS#11 token matches 'pkcs11:token=no-such-token'"
	assert_equal "$output" ""
	run --separate-stderr -5 fwtrail key list --json --token 'pkcs11:token=no-such-token'
	$PY -c 'import json, sys; o = json.load(sys.stdin); assert o["ok"] is False and o["error"]["code"] == "not_found", o' <<< "$output"
}

@test "a registered module that fails to initialise is skipped, logged with -v, and does not break lookups" {
	[ -e /usr/share/p11-kit/modules/tpm2_pkcs11.module ] || skip "no failing module registered here"
	[ -e /dev/tpmrm0 ] && skip "a TPM is present: tpm2_pkcs11 initialises"
	run --separate-stderr -0 fwtrail key list
	assert_equal "$stderr" ""   # what the module prints itself stays out of our output
	run -0 fwtrail -v key list
	assert_line --partial "fwtrail key list: PKCS#11 module 'tpm2_pkcs11' is skipped: it failed to initialise: CKR_"
	run -0 fwtrail -vv key list
	assert_line --partial "fwtrail key list: module output:"
	run -0 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=p384" -o p384.pem
}

@test "generate: each OCP key type, sensitive and never extractable, usable at once" {
	for t in ec-p384 ec-p521 rsa-3072; do
		run --separate-stderr -0 fwtrail key generate --type "$t" --label "new-$t" --token "$TOKEN" --pin-file "$PIN_FILE"
		assert_output --regexp "^pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=[0-9a-f]+;token=fwtrail-test;id=(%[0-9A-F]{2}){8};object=new-$t;type=private$"
		uri=$output
		# pkcs11-tool's view of the attributes, not ours
		run -0 privkey_info "new-$t"
		assert_line --regexp "^ +Access: +sensitive, always sensitive, never extractable, local$"
		assert_line --regexp "^ +Usage: +sign$"
		printf 'image %s\n' "$t" > "fw-$t.bin"
		run -0 fwtrail sign --key "$uri" --pin-file "$PIN_FILE" "fw-$t.bin"
		run -0 fwtrail key export --pin-file "$PIN_FILE" "$uri" -o "$t.pub.pem"
		run -0 fwtrail verify --key "$t.pub.pem" "fw-$t.bin.sig" "fw-$t.bin"
	done
}

@test "generate --json and --id: the id is used, the fingerprint matches the exported key" {
	run --separate-stderr -0 fwtrail key generate --json --type ec-p384 --label j --id 0a0b --token "$TOKEN" --pin-file "$PIN_FILE"
	echo "$output" > gen.json
	$PY - <<'PY'
import json
o = json.load(open("gen.json"))
assert o["ok"] and o["type"] == "ec-p384" and o["uri"].endswith(";id=%0A%0B;object=j;type=private"), o
assert o["public_key"].startswith("-----BEGIN PUBLIC KEY-----") and len(o["sha256_fingerprint"]) == 64
assert len(o["jwk_thumbprint"]) == 43
PY
	fp=$($PY -c 'import json; print(json.load(open("gen.json"))["sha256_fingerprint"])')
	run -0 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;id=%0a%0b"
	assert_line "sha256-fingerprint: $fp"
}

@test "generate: refusals are exit 2, 5 or 6 and leave the token as it was" {
	before=$($P11 --login --pin 123456 --list-objects 2>/dev/null | grep -c Object)
	run --separate-stderr -2 fwtrail key generate --type ec-p384 --label p384 --token "$TOKEN" --pin-file "$PIN_FILE"
	assert_equal "$stderr" "fwtrail key generate: token 'fwtrail-test' already holds an object labelled 'p384'; pick another label"
	run --separate-stderr -2 fwtrail key generate --type ec-p384 --label fresh --id 01 --token "$TOKEN" --pin-file "$PIN_FILE"
	assert_equal "$stderr" "fwtrail key generate: token 'fwtrail-test' already holds an object with id 01; pick another id"
	run -2 fwtrail key generate --type ec-p256 --label fresh --token "$TOKEN"
	assert_output --partial "--type must be ec-p384, ec-p521, rsa-3072 or rsa-4096"
	# standard output onto the PIN file: refused before the token is touched
	cp "$PIN_FILE" pin.keep
	run --separate-stderr -2 bash -c '"$1" key generate --type ec-p384 --label fresh --token "$2" --pin-file "$3" >> "$3"' \
		_ "$FWTRAIL" "$TOKEN" "$PIN_FILE"
	assert_equal "$stderr" "fwtrail key generate: refusing to write standard output: it is one of the inputs"
	cmp "$PIN_FILE" pin.keep
	run -2 fwtrail key generate --type ec-p384 --label fresh --id zz --token "$TOKEN"
	run -2 fwtrail key generate --type ec-p384 --token "$TOKEN"
	run --separate-stderr -5 fwtrail key generate --type ec-p384 --label fresh --token 'pkcs11:token=absent' --pin-file "$PIN_FILE"
	assert_equal "$stderr" "fwtrail key generate: no PKCS#11 token matches 'pkcs11:token=absent'"
	printf '000000\n' > bad.pin && chmod 600 bad.pin
	run --separate-stderr -5 fwtrail key generate --type ec-p384 --label fresh --token "$TOKEN" --pin-file bad.pin
	assert_equal "$stderr" "fwtrail key generate: cannot log in to token 'fwtrail-test': CKR_PIN_INCORRECT (few tries left before the PIN locks)"
	after=$($P11 --login --pin 123456 --list-objects 2>/dev/null | grep -c Object)
	assert_equal "$after" "$before"
}

@test "export: the token's public key as PEM, equal to p11tool's, with fingerprint and JWK thumbprint" {
	run --separate-stderr -0 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=p521" -o p521.pem
	assert_line --index 0 "wrote 'p521.pem'"
	fp=$(openssl pkey -pubin -in "$CERTS/p521.pub.pem" -outform DER | sha256sum | cut -d' ' -f1)
	assert_line --index 1 "sha256-fingerprint: $fp"
	tp=$($PY -c '
import base64, hashlib, json, sys
from cryptography.hazmat.primitives.serialization import load_pem_public_key
n = load_pem_public_key(open(sys.argv[1], "rb").read()).public_numbers()
b = lambda v: base64.urlsafe_b64encode(v.to_bytes(66, "big")).rstrip(b"=").decode()
jwk = json.dumps({"crv": "P-521", "kty": "EC", "x": b(n.x), "y": b(n.y)}, separators=(",", ":"), sort_keys=True)
print(base64.urlsafe_b64encode(hashlib.sha256(jwk.encode()).digest()).rstrip(b"=").decode())' "$CERTS/p521.pub.pem")
	assert_line --index 2 "jwk-thumbprint: $tp"
	cmp p521.pem "$CERTS/p521.pub.pem"
}

@test "export to stdout: the values as text before the PEM block, which openssl reads" {
	run --separate-stderr -0 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=rsa3072"
	assert_line --index 0 --regexp '^sha256-fingerprint: [0-9a-f]{64}$'
	assert_line --index 1 --regexp '^jwk-thumbprint: [A-Za-z0-9_-]{43}$'
	assert_line --index 2 "-----BEGIN PUBLIC KEY-----"
	echo "$output" > out.pem
	run -0 openssl pkey -pubin -in out.pem -noout -text
	assert_output --partial "Public-Key: (3072 bit)"
}

@test "export: a PEM private key file, and --json" {
	run --separate-stderr -0 fwtrail key export --json "$TESTDATA/keys/p384.key.pem"
	echo "$output" > e.json
	openssl pkey -in "$TESTDATA/keys/p384.key.pem" -pubout -out want.pem
	$PY - <<'PY'
import json
o = json.load(open("e.json"))
assert o["ok"] and o["type"] == "ec-p384" and o["public_key"] == open("want.pem").read(), o
PY
}

@test "export: a PEM public key or certificate gives the same PEM, fingerprint and thumbprint as its private key" {
	local k
	for k in p384 rsa3072; do
		run --separate-stderr -0 fwtrail key export "$TESTDATA/keys/$k.key.pem"
		want=$output
		run --separate-stderr -0 fwtrail key export "$TESTDATA/keys/$k.pub.pem"
		assert_equal "$output" "$want"
		run --separate-stderr -0 fwtrail key export "$TESTDATA/keys/$k.crt.pem"
		assert_equal "$output" "$want"
		fp=$(openssl pkey -pubin -in "$TESTDATA/keys/$k.pub.pem" -outform DER | sha256sum | cut -d' ' -f1)
		assert_line --index 0 "sha256-fingerprint: $fp"
	done
	run --separate-stderr -0 fwtrail key export --json -o p.pub "$TESTDATA/keys/p521.pub.pem"
	echo "$output" > e.json
	$PY - "$TESTDATA/keys/p521.pub.pem" <<'PY'
import json, sys
o = json.load(open("e.json"))
assert o["ok"] and o["type"] == "ec-p521" and o["key"] == sys.argv[1] and o["output"] == "p.pub", o
assert o["public_key"] == open(sys.argv[1]).read() == open("p.pub").read(), o
assert len(o["sha256_fingerprint"]) == 64 and len(o["jwk_thumbprint"]) == 43, o
PY
	# what is not one PEM public key, certificate or private key is still refused
	cat "$TESTDATA/keys/p384.crt.pem" "$TESTDATA/keys/p521.crt.pem" > two.pem
	run --separate-stderr -4 fwtrail key export two.pem
	assert_equal "$stderr" "fwtrail key export: 'two.pem' holds 2 keys or certificates: give a file with one"
	printf '{"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}' > k.jwk
	run --separate-stderr -4 fwtrail key export k.jwk
	[[ "$stderr" == "fwtrail key export: "*"'k.jwk'"* ]]
	assert_equal "$output" ""
	run --separate-stderr -4 fwtrail key export "$TESTDATA/keys/README.md"
	assert_equal "$stderr" "fwtrail key export: '$TESTDATA/keys/README.md' is not a PEM private key, public key or certificate (nor a pkcs11: URI)"
	# sign still wants the private key
	run --separate-stderr -2 fwtrail sign --key "$TESTDATA/keys/p384.pub.pem" -o x.sig "$TESTDATA/keys/README.md"
	assert_equal "$stderr" "fwtrail sign: '$TESTDATA/keys/p384.pub.pem' holds a public key or certificate; give the private key (PEM) or a pkcs11: URI instead"
}

@test "export: an existing output needs --force; a missing key file is exit 3" {
	echo keep > p384.pem
	run --separate-stderr -2 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=p384" -o p384.pem
	assert_equal "$stderr" "fwtrail key export: 'p384.pem' already exists (use --force to replace it)"
	assert_equal "$(cat p384.pem)" keep
	run -0 fwtrail key export --force --pin-file "$PIN_FILE" "$TOKEN;object=p384" -o p384.pem
	cmp p384.pem "$CERTS/p384.pub.pem"
	run --separate-stderr -3 fwtrail key export no-such-key.pem
	assert_equal "$stderr" "fwtrail key export: cannot open 'no-such-key.pem': No such file or directory"
}

@test "PIN files: mode 0644 is refused (exit 2); pin-source=file: in the URI works; pin-value warns" {
	printf '123456\n' > open.pin && chmod 644 open.pin
	run --separate-stderr -2 fwtrail key export --pin-file open.pin "$TOKEN;object=p384"
	assert_equal "$stderr" "fwtrail key export: PIN file 'open.pin' can be read by others (mode 0644; chmod 600 it)"
	run --separate-stderr -0 fwtrail key export "$TOKEN;object=p384?pin-source=file:$PIN_FILE" -o a.pem
	assert_equal "$stderr" ""
	run --separate-stderr -0 fwtrail key export "$TOKEN;object=p384?pin-value=123456" -o b.pem
	assert_equal "$stderr" "fwtrail key export: warning: the PIN comes from the URI's pin-value: anyone who sees the URI knows it (use pin-source=file:... instead)"
}

@test "URIs: unknown or repeated attributes and pin-source commands are usage errors; nothing runs" {
	run --separate-stderr -2 fwtrail key export "$TOKEN;object=p384;object=p521"
	assert_equal "$stderr" "fwtrail key export: pkcs11: URI 'pkcs11:token=fwtrail-test;object=p384;object=p521': attribute 'object' appears twice"
	run --separate-stderr -2 fwtrail key export "$TOKEN;object=p384?pin-source=|/bin/touch%20$BATS_TEST_TMPDIR/w/pwned"
	[[ "$stderr" == *"pin-source must be a file (file:/path), commands are never run"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/w/pwned" ]
	run --separate-stderr -2 fwtrail key export "$TOKEN;object=p384;type=public"
	assert_equal "$stderr" "fwtrail key export: 'pkcs11:token=fwtrail-test;object=p384;type=public' names an object that is not a private key (use type=private or leave type out)"
}

@test "the PIN prompt reads /dev/tty without echo and never shows the PIN" {
	command -v tmux > /dev/null || skip "tmux is not installed"
	sock="$BATS_TEST_TMPDIR/tmux.sock"
	tmux -S "$sock" new-session -d -x 200 -y 20 \
		"SOFTHSM2_CONF=$SOFTHSM2_CONF $FWTRAIL key export '$TOKEN;object=p384' -o $BATS_TEST_TMPDIR/w/tty.pem; echo rc=\$?; sleep 30"
	for _ in $(seq 50); do
		tmux -S "$sock" capture-pane -p | grep -q "PIN for token 'fwtrail-test':" && break
		sleep 0.1
	done
	tmux -S "$sock" send-keys 123456 Enter
	for _ in $(seq 50); do
		tmux -S "$sock" capture-pane -p | grep -q 'rc=' && break
		sleep 0.1
	done
	screen=$(tmux -S "$sock" capture-pane -p)
	tmux -S "$sock" kill-server || true
	[[ "$screen" == *"PIN for token 'fwtrail-test':"* ]]
	[[ "$screen" == *"rc=0"* ]]
	[[ "$screen" != *123456* ]]
	cmp tty.pem "$CERTS/p384.pub.pem"
}

# ctrl_c_at PROMPT DONE CMD: run CMD in a tmux terminal, press Ctrl-C once
# PROMPT is on screen, wait for a line matching the grep pattern DONE;
# the screen is left in $screen.
ctrl_c_at() {
	local prompt=$1 done=$2 sock="$BATS_TEST_TMPDIR/tmux.sock"
	tmux -S "$sock" new-session -d -x 200 -y 20 "$3"
	for _ in $(seq 50); do
		tmux -S "$sock" capture-pane -p | grep -q "$prompt" && break
		sleep 0.1
	done
	tmux -S "$sock" send-keys C-c
	for _ in $(seq 50); do
		tmux -S "$sock" capture-pane -p | grep -q -e "$done" && break
		sleep 0.1
	done
	screen=$(tmux -S "$sock" capture-pane -p)
	tmux -S "$sock" kill-server || true
}

@test "Ctrl-C at the PIN prompt gives up with the terminal's echo restored (exit 5)" {
	command -v tmux > /dev/null || skip "tmux is not installed"
	ctrl_c_at "PIN for token" '^-\{0,1\}echo$' \
		"SOFTHSM2_CONF=$SOFTHSM2_CONF $FWTRAIL key export '$TOKEN;object=p384' -o $BATS_TEST_TMPDIR/w/c.pem; echo rc=\$?; stty -a | tr ' ' '\n' | grep -x -e echo -e -echo; sleep 30"
	[[ "$screen" == *"rc=5"* ]]
	[[ "$screen" == *$'\necho'* ]]
	[ ! -e c.pem ]
}

@test "export: an encrypted PEM key with no passphrase source says how to give one (exit 5), not 'cancelled'" {
	openssl pkey -in "$TESTDATA/keys/p384.key.pem" -aes256 -passout pass:s3cret -out enc.pem
	run --separate-stderr -5 fwtrail key export enc.pem < /dev/null
	assert_equal "$stderr" "fwtrail key export: key 'enc.pem' is encrypted and needs a passphrase: none was given (--pin-file, FWTRAIL_PIN, or a terminal to ask on)"
	FWTRAIL_PIN=s3cret run --separate-stderr -0 fwtrail key export -q enc.pem < /dev/null
	assert_equal "$output" "$(cat "$TESTDATA/keys/p384.pub.pem")"
	# a token: FWTRAIL_PIN is among the ways named
	run --separate-stderr -5 fwtrail key export "$TOKEN;object=p384" < /dev/null
	assert_equal "$stderr" "fwtrail key export: token 'fwtrail-test' needs a PIN and none was given (--pin-file, FWTRAIL_PIN, the URI's pin-source, or a terminal to ask on)"
}

@test "Ctrl-C at a PEM key's passphrase prompt: 'the prompt gave none' (exit 5)" {
	command -v tmux > /dev/null || skip "tmux is not installed"
	openssl pkey -in "$TESTDATA/keys/p384.key.pem" -aes256 -passout pass:s3cret -out enc.pem
	ctrl_c_at "Passphrase for" 'rc=' \
		"$FWTRAIL key export -o $BATS_TEST_TMPDIR/w/c.pem $BATS_TEST_TMPDIR/w/enc.pem; echo rc=\$?; sleep 30"
	[[ "$screen" == *"no passphrase for key '$BATS_TEST_TMPDIR/w/enc.pem' (the prompt gave none)"* ]] || fail "$screen"
	[[ "$screen" == *"rc=5"* ]]
	[ ! -e c.pem ]
}

@test "pkcs11-spy: one C_Initialize, one C_Finalize, every session closed" {
	[ -e "$SPY_MODULE" ] || skip "pkcs11-spy is not installed"
	export PKCS11SPY=$SOFTHSM_MODULE PKCS11SPY_OUTPUT=$BATS_TEST_TMPDIR/spy.log
	run -0 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=p384?module-path=$SPY_MODULE" -o spy.pem
	assert_equal "$(grep -c '^[0-9]*: C_Initialize' "$PKCS11SPY_OUTPUT")" 1
	assert_equal "$(grep -c '^[0-9]*: C_Finalize' "$PKCS11SPY_OUTPUT")" 1
	assert_equal "$(grep -c '^[0-9]*: C_OpenSession' "$PKCS11SPY_OUTPUT")" "$(grep -c '^[0-9]*: C_CloseSession' "$PKCS11SPY_OUTPUT")"
	assert_equal "$(grep -c '^[0-9]*: C_Login' "$PKCS11SPY_OUTPUT")" 1
	run -0 fwtrail key list --module "$SPY_MODULE"
	assert_equal "$(grep -c '^[0-9]*: C_Finalize' "$PKCS11SPY_OUTPUT")" 2
}

@test "export -q: nothing but the PEM block (to stdout) or nothing at all (with -o)" {
	local K=$TESTDATA/keys/p384.key.pem
	run --separate-stderr -0 fwtrail key export -q -o q.pem "$K"
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	run -0 openssl pkey -pubin -in q.pem -noout
	run --separate-stderr -0 fwtrail -q key export "$K"
	assert_equal "$output" "$(cat q.pem)"
	assert_equal "$stderr" ""
	# without -q, the values are still printed
	run --separate-stderr -0 fwtrail key export -o v.pem "$K"
	assert_line --index 0 "wrote 'v.pem'"
	assert_line --regexp '^sha256-fingerprint: [0-9a-f]{64}$'
}

@test "export -o: a link to a pipe is refused with or without --force, never replaced" {
	mkfifo pipe
	ln -s pipe out.pem
	for force in "" --force; do
		run --separate-stderr -2 fwtrail key export $force -o out.pem "$TESTDATA/keys/p384.key.pem"
		assert_equal "$stderr" "fwtrail key export: cannot write 'out.pem': it points to a pipe (use -o - for standard output)"
	done
	[ -L out.pem ] && [ -p pipe ]
	run --separate-stderr -2 fwtrail key export -o missing-dir/ "$TESTDATA/keys/p384.key.pem"
	assert_equal "$stderr" "fwtrail key export: cannot write 'missing-dir/': a file name must not end in '/'"
}

@test "export -o: a link into /proc or /dev, or to the file stdout goes to, is refused with or without --force" {
	local key=$TESTDATA/keys/p384.key.pem force
	ln -s /proc/self/fd/1 so-link
	ln -s o.out same-link
	for force in "" --force; do
		run --separate-stderr -2 bash -c '"$FWTRAIL" key export $1 -o so-link "$2" > o.out' _ "$force" "$key"
		assert_equal "$stderr" "fwtrail key export: cannot write 'so-link': it points to '/proc/self/fd/1', a stream or device, not a file to replace (use -o - for standard output)"
		run --separate-stderr -2 bash -c '"$FWTRAIL" key export $1 -o same-link "$2" > o.out' _ "$force" "$key"
		assert_equal "$stderr" "fwtrail key export: cannot write 'same-link': it points to 'o.out', the file standard output goes to (use -o - for standard output)"
		[ ! -s o.out ]
	done
	[ -L so-link ] && [ -L same-link ] && [ "$(readlink so-link)" = /proc/self/fd/1 ]
}

@test "URIs: a pin-value is never shown, not even from a malformed URI or in --json" {
	for u in "$TOKEN;object=p384;pin-value=123456" "$TOKEN;object=p384;id=%zz?pin-value=123456" \
		"$TOKEN;object=p384?pin-value=123456&pin-source=|/bin/true"; do
		run --separate-stderr -2 fwtrail key export --json "$u"
		[[ "$stderr" == "fwtrail key export: pkcs11: URI '$TOKEN;object=p384"*"pin-value=<hidden>"* ]] || fail "$stderr"
		[[ "$stderr$output" != *123456* ]] || fail "the PIN is shown: $stderr $output"
		echo "$output" | jq -e '.ok == false and (.error.message | test("pin-value=<hidden>"))'
	done
	run --separate-stderr -2 fwtrail key export "$TOKEN;object=p384?pin-value=123456%00x"
	assert_equal "$stderr" "fwtrail key export: pkcs11: URI '$TOKEN;object=p384?pin-value=<hidden>': the value of 'pin-value' holds a NUL byte (%00)"
}

@test "PIN files: a FIFO is refused at once (exit 2), never waited on" {
	mkfifo pin.fifo
	run --separate-stderr -2 timeout 20 "$FWTRAIL" key export --pin-file pin.fifo "$TOKEN;object=p384"
	assert_equal "$stderr" "fwtrail key export: PIN file 'pin.fifo' is not a regular file"
	run --separate-stderr -2 timeout 20 "$FWTRAIL" sign --key "$TOKEN;object=p384?pin-source=file:$PWD/pin.fifo" "$PIN_FILE"
	assert_equal "$stderr" "fwtrail sign: PIN file '$PWD/pin.fifo' is not a regular file"
}

@test "export: a public key object that shares the key's id but not its key is refused (exit 5)" {
	$P11 --login --pin 123456 --keypairgen --key-type EC:secp384r1 --id 20 --label mism --usage-sign > /dev/null 2>&1
	$P11 --login --pin 123456 --delete-object --type pubkey --id 20 > /dev/null 2>&1
	openssl ecparam -name secp384r1 -genkey -noout -out other.key 2> /dev/null
	openssl pkey -in other.key -pubout -outform DER -out other.der
	$P11 --login --pin 123456 --write-object other.der --type pubkey --id 20 --label mism > /dev/null 2>&1
	run --separate-stderr -5 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=mism" -o mism.pem
	[[ "$stderr" == "fwtrail key export: the signature made with 'pkcs11:"*";token=fwtrail-test;id=%20;object=mism;type=private' does not verify with 'pkcs11:"*";token=fwtrail-test;id=%20;object=mism;type=public', the public key that shares its id: the two are not one key pair, or the token signed wrongly" ]] ||
		fail "unexpected: $stderr"
	[ ! -e mism.pem ]
	run --separate-stderr -5 fwtrail key export --json --pin-file "$PIN_FILE" "$TOKEN;object=mism"
	echo "$output" | jq -e '.ok == false and .public_key == null and (.error.message | test("type=public., the public key that shares its id: the two are not one key pair, or the token signed wrongly$"))'
	# sign names the public key object too, and writes nothing
	echo fw > fw.bin
	run --separate-stderr -5 fwtrail sign --pin-file "$PIN_FILE" --key "$TOKEN;object=mism" fw.bin
	[[ "$stderr" == "fwtrail sign: the signature made with 'pkcs11:"*";object=mism;type=private' does not verify with 'pkcs11:"*";object=mism;type=public', the public key that shares its id: the two are not one key pair, or the token signed wrongly" ]] ||
		fail "unexpected: $stderr"
	[ ! -e fw.bin.sig ]
	# a key that may not sign (CKA_SIGN false) cannot prove it: exported with a warning
	run --separate-stderr -0 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=nosign" -o nosign.pem
	[[ "$stderr" == "fwtrail key export: warning: cannot prove that 'pkcs11:"*";id=%0A;object=nosign;type=public' belongs to the private key: 'pkcs11:"*";id=%0A;object=nosign;type=private' makes no signature to test it with" ]] ||
		fail "unexpected: $stderr"
}

@test "sign, export: two certificates that share the key's id are ambiguous, not absent (exit 5)" {
	$P11 --login --pin 123456 --keypairgen --key-type EC:secp384r1 --id 22 --label twocert --usage-sign > /dev/null 2>&1
	$P11 --login --pin 123456 --delete-object --type pubkey --id 22 > /dev/null 2>&1
	local n
	for n in 1 2; do
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout c$n.key -subj "/CN=c$n" -days 1 \
			-outform DER -out c$n.der 2> /dev/null
		$P11 --login --pin 123456 --write-object c$n.der --type cert --id 22 --label "cert$n" > /dev/null 2>&1
	done
	echo fw > fw.bin
	run --separate-stderr -5 fwtrail sign --pin-file "$PIN_FILE" --key "$TOKEN;object=twocert" fw.bin
	[[ "$stderr" == "fwtrail sign: cannot tell the public key of 'pkcs11:"*";object=twocert;type=private': 2 certificates share its id" ]] ||
		fail "unexpected: $stderr"
	[ ! -e fw.bin.sig ]
	run -5 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=twocert"
}

@test "rim sign: the signer name comes from the key's certificate on the token, beside its public key object" {
	# the token holds the p384 key pair (private and public key objects);
	# its certificate goes beside them with the same id
	openssl x509 -in "$CERTS/p384.crt.pem" -outform DER -out p384.crt.der
	$P11 --login --pin 123456 --write-object p384.crt.der --type cert --id 01 --label p384-cert > /dev/null 2>&1
	run -0 fwtrail rim sign --key "$TOKEN;object=p384" --pin-file "$PIN_FILE" -o s.corim "$TESTDATA/rim/nic.corim"
	run -0 fwtrail rim show --json s.corim
	assert_equal "$(jq -r .rim.signature.meta.signer.name <<< "$output")" "CN = token p384"
	run -0 fwtrail rim verify --key "$CERTS/p384.pub.pem" s.corim
	# a certificate with the id but another key names no one: --signer is needed
	$P11 --login --pin 123456 --write-object p384.crt.der --type cert --id 02 --label p384-at-02 > /dev/null 2>&1
	run --separate-stderr -2 fwtrail rim sign --key "$TOKEN;object=p521" --pin-file "$PIN_FILE" -o t.corim "$TESTDATA/rim/nic.corim"
	[[ "$stderr" == "fwtrail rim sign: no signer name: the key 'pkcs11:"*"object=p521"*"' has no certificate to take it from"* ]] ||
		fail "unexpected: $stderr"
	[ ! -e t.corim ]
}

@test "export: a private key whose own CKA_PUBLIC_KEY_INFO was replaced is refused, not published (exit 5)" {
	# anyone with the user PIN may set the attribute; a key export that
	# trusted it published someone else's key as the token's
	cc -o p11setattr "$ROOT/lib/tests/p11setattr.c" $(pkg-config --cflags p11-kit-1) -ldl
	run -0 fwtrail key generate --type ec-p384 --label planted --id 21 --token "$TOKEN" --pin-file "$PIN_FILE"
	run -0 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=planted" -o before.pem
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out other.key
	openssl pkey -in other.key -pubout -outform DER -out other.der
	./p11setattr "$SOFTHSM_MODULE" fwtrail-test "$PIN_FILE" planted private 129 other.der
	run --separate-stderr -5 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=planted" -o planted.pem
	[[ "$stderr" == "fwtrail key export: the signature made with 'pkcs11:"*";object=planted;type=private' does not verify with its public key"* ]] ||
		fail "unexpected: $stderr"
	[ ! -e planted.pem ]
	run --separate-stderr -5 fwtrail key export --json --pin-file "$PIN_FILE" "$TOKEN;object=planted"
	echo "$output" | jq -e '.ok == false and .public_key == null'
	# the untouched keys still export, with their proof
	run -0 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=p384" -o p384.pem
	openssl pkey -pubin -in p384.pem -outform DER | cmp - <(openssl pkey -pubin -in "$CERTS/p384.pub.pem" -outform DER)
}

@test "generate: a token that makes session objects, not token objects: the pair is deleted, exit 5" {
	P11SHIM_FAULT=C_GenerateKeyPair=session-objects run --separate-stderr -5 fwtrail key generate --type ec-p384 \
		--label vanish --id 77 --token "$TOKEN?module-path=$SHIM" --pin-file "$PIN_FILE"
	assert_equal "$stderr" "fwtrail key generate: token 'fwtrail-test' did not keep the new key pair on the token (CKA_TOKEN) with the private key behind the PIN (CKA_PRIVATE); it was deleted"
	assert_equal "$output" ""
	run -0 fwtrail key list --token "$TOKEN" --pin-file "$PIN_FILE"
	refute_line --partial "object=vanish"
}

@test "an Ed25519 key on the token: sign and export are exit 6, naming the key type" {
	$P11 --login --pin 123456 --keypairgen --key-type EC:edwards25519 --id 40 --label ed --usage-sign > /dev/null 2>&1 ||
		skip "this SoftHSM2 makes no Ed25519 keys"
	printf 'image\n' > fw.bin
	run --separate-stderr -6 fwtrail sign --key "$TOKEN;object=ed" --pin-file "$PIN_FILE" fw.bin
	[[ "$stderr" == "fwtrail sign: key 'pkcs11:"*";id=%40;object=ed;type=private' is a CKK_EC_EDWARDS (Ed25519 or Ed448) key: fwtrail signs with EC (CKK_EC) and RSA (CKK_RSA) keys only" ]] ||
		fail "unexpected: $stderr"
	[ ! -e fw.bin.sig ]
	run --separate-stderr -6 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=ed"
	[[ "$stderr" == "fwtrail key export: key 'pkcs11:"*";object=ed;type=private' is a CKK_EC_EDWARDS "* ]] || fail "$stderr"
}

@test "a relative module path with a slash is the file from here, never p11-kit's module of that name" {
	# named after a module p11-kit's own folder has (p11-kit-trust.so)
	cp "$SOFTHSM_MODULE" ./p11-kit-trust.so
	run --separate-stderr -0 fwtrail key list --module ./p11-kit-trust.so
	assert_line --index 0 --regexp "^token 'fwtrail-test' \(SoftHSM project, SoftHSM v2, serial [0-9a-f]+\) in module ./p11-kit-trust.so$"
	run --separate-stderr -0 fwtrail key export --pin-file "$PIN_FILE" "$TOKEN;object=p384?module-path=./p11-kit-trust.so"
	run --separate-stderr -5 fwtrail key list --module ./no-such-module.so
	assert_equal "$stderr" "fwtrail key list: cannot load PKCS#11 module './no-such-module.so': No such file or directory"
}

@test "export of an RSA-PSS-typed key: the canonical rsaEncryption form, whose SHA-256 is the fingerprint shown" {
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:3072 -out pss.pem 2> /dev/null
	run --separate-stderr -0 fwtrail --json key export -o pss.pub pss.pem
	fp=$($PY -c 'import json,sys; print(json.loads(sys.argv[1])["sha256_fingerprint"])' "$output")
	assert_equal "$(openssl pkey -pubin -in pss.pub -outform DER | sha256sum | cut -d' ' -f1)" "$fp"
	run -0 openssl asn1parse -in pss.pub
	assert_output --partial ':rsaEncryption'
	# a revocation line made either way, from the file written or from the
	# key's own rsassaPss form (as openssl writes it), revokes it in either file
	openssl pkey -in pss.pem -pubout -out pss-own.pub
	printf 'image\n' > fw.bin
	run -0 fwtrail sign -q --key pss.pem fw.bin
	run -0 fwtrail verify -q --key pss.pub fw.bin.sig fw.bin
	echo "$fp" > rev1.txt
	openssl pkey -pubin -in pss-own.pub -outform DER | sha256sum | cut -d' ' -f1 > rev2.txt
	[ "$(cat rev1.txt)" != "$(cat rev2.txt)" ]
	run --separate-stderr -1 fwtrail verify --key pss.pub --revoked rev1.txt fw.bin.sig fw.bin
	assert_output --partial "is revoked ('rev1.txt' line 1)"
	for r in rev1.txt rev2.txt; do
		run --separate-stderr -1 fwtrail verify --key pss-own.pub --revoked "$r" fw.bin.sig fw.bin
		assert_output --partial "is revoked ('$r' line 1)"
	done
}

@test "export: a JWK public key gives what its PEM gives; a private JWK is exit 2, an RSA-2048 one exit 6" {
	# the JWK of testdata's P-384 and RSA-3072 keys, made by Python's cryptography
	for k in p384 rsa3072; do
		$PY - "$TESTDATA/keys/$k.pub.pem" > "$k.jwk" <<'PY'
import base64, json, sys
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from cryptography.hazmat.primitives.asymmetric import ec
k = load_pem_public_key(open(sys.argv[1], "rb").read())
b = lambda n, size: base64.urlsafe_b64encode(n.to_bytes(size, "big")).rstrip(b"=").decode()
n = k.public_numbers()
if isinstance(k, ec.EllipticCurvePublicKey):
    print(json.dumps({"kty": "EC", "crv": "P-384", "x": b(n.x, 48), "y": b(n.y, 48)}))
else:
    print(json.dumps({"kty": "RSA", "n": b(n.n, 384), "e": b(n.e, 3)}))
PY
		run --separate-stderr -0 fwtrail key export "$TESTDATA/keys/$k.pub.pem"
		want=$output
		run --separate-stderr -0 fwtrail key export "$k.jwk"
		assert_equal "$output" "$want"
	done
	# the published RFC 7520 example key (P-521), its thumbprint as Python computes RFC 7638's
	f=$SHARED/corpora/jose/jwk/3_1.ec_public_key.json
	[ -f "$f" ] || skip "$f is missing (../shared/corpora/jose)"
	run --separate-stderr -0 fwtrail key export --json "$f"
	echo "$output" > e.json
	$PY - "$f" <<'PY'
import base64, hashlib, json, sys
o = json.load(open("e.json"))
j = json.load(open(sys.argv[1]))
canon = json.dumps({m: j[m] for m in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True)
tp = base64.urlsafe_b64encode(hashlib.sha256(canon.encode()).digest()).rstrip(b"=").decode()
assert o["ok"] and o["type"] == "ec-p521" and o["jwk_thumbprint"] == tp, (o, tp)
PY
	run --separate-stderr -2 fwtrail key export "$SHARED/corpora/jose/jwk/3_2.ec_private_key.json"
	assert_equal "$stderr" "fwtrail key export: JWK '$SHARED/corpora/jose/jwk/3_2.ec_private_key.json' holds a private key (member 'd'); give the public key instead"
	assert_equal "$output" ""
	# a JWK that may not verify: the PEM would drop "use" or "key_ops"
	sed 's/^{/{"use": "enc", /' p384.jwk > enc.jwk
	run --separate-stderr -6 fwtrail key export enc.jwk
	assert_equal "$stderr" "fwtrail key export: key 'enc.jwk' may not verify signatures: its JWK 'use' is 'enc', not 'sig'"
	assert_equal "$output" ""
	sed 's/^{/{"key_ops": ["encrypt"], /' p384.jwk > ops.jwk
	run --separate-stderr -6 fwtrail key export -o ops.pem ops.jwk
	assert_equal "$stderr" "fwtrail key export: key 'ops.jwk' may not verify signatures: its JWK 'key_ops' does not include 'verify'"
	[ ! -e ops.pem ]
	sed 's/^{/{"use": "sig", "key_ops": ["verify"], /' p384.jwk > sig.jwk
	run -0 fwtrail key export sig.jwk
	run --separate-stderr -6 fwtrail key export "$SHARED/corpora/jose/jwk/3_3.rsa_public_key.json"
	assert_equal "$stderr" "fwtrail key export: key '$SHARED/corpora/jose/jwk/3_3.rsa_public_key.json' is rsa-2048: fwtrail's keys are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"
	assert_equal "$output" ""
}

@test "an Ed25519 or X25519 PEM key: export is exit 6 naming the type, as for a token's (never ok without a fingerprint)" {
	openssl genpkey -algorithm ed25519 -out ed.pem
	openssl genpkey -algorithm x25519 -out x.pem
	run --separate-stderr -6 fwtrail key export ed.pem
	assert_equal "$stderr" "fwtrail key export: key 'ed.pem' is ED25519: fwtrail's keys are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"
	assert_equal "$output" ""
	run --separate-stderr -6 fwtrail --json key export x.pem
	$PY -c 'import json,sys; o = json.loads(sys.argv[1]); assert not o["ok"] and o["error"]["code"] == "unsupported", o' "$output"
	run --separate-stderr -6 fwtrail key export -o x.pub x.pem
	[ ! -e x.pub ]
}

@test "the PIN prompt shows a token's label made safe, never its control characters" {
	command -v script > /dev/null || skip "script(1) is not installed"
	softhsm2-util --init-token --free --label $'ev\e[2J\a' --pin 222222 --so-pin 654321 > /dev/null
	(sleep 2; printf '222222\n') | timeout 20 script -qfc "$FWTRAIL key export 'pkcs11:token=ev%1B%5B2J%07;object=x'" /dev/null > tty.out || true
	grep -qF "PIN for token 'ev\\x1b[2J\\x07': " tty.out || fail "no safe prompt: $(od -c tty.out | head)"
	! grep -q $'[\e\a]' tty.out || fail "control characters reached the terminal: $(od -c tty.out | head)"
}

@test "PIN files: the URI's pin-source is an input even when --pin-file wins: -o over it is refused (exit 2)" {
	cp "$PIN_FILE" release.pin
	chmod 600 release.pin
	snapshot_out release.pin
	run --separate-stderr -2 fwtrail key export --pin-file "$PIN_FILE" --force -o release.pin \
		"$TOKEN;object=p384?pin-source=file:$PWD/release.pin"
	assert_equal "$stderr" "fwtrail key export: refusing to write 'release.pin': it is one of the inputs"
	assert_nothing_written
	# a plain path as pin-source, and a --json run: the same
	run --separate-stderr -2 fwtrail key export --json --pin-file "$PIN_FILE" --force -o release.pin \
		"$TOKEN;object=p384?pin-source=$PWD/release.pin"
	echo "$output" | jq -e '.ok == false and .error.code == "usage"'
	assert_nothing_written
}

@test "URIs: the scheme in any case (PKCS11:) is a URI, not a file name" {
	run --separate-stderr -0 fwtrail key export --pin-file "$PIN_FILE" -o upper.pem "PKCS11:token=fwtrail-test;object=p384"
	run -0 fwtrail key export --pin-file "$PIN_FILE" -o lower.pem "$TOKEN;object=p384"
	cmp upper.pem lower.pem
	run --separate-stderr -0 fwtrail key export -q 'Pkcs11:token=fwtrail-test;object=p384?pin-value=123456'
	[[ "$stderr$output" != *123456* ]] || fail "the PIN is shown: $stderr $output"
	run --separate-stderr -2 fwtrail key export 'PKCS11:token=fwtrail-test;object=p384;foo=1?pin-value=123456'
	assert_equal "$stderr" "fwtrail key export: pkcs11: URI 'PKCS11:token=fwtrail-test;object=p384;foo=1?pin-value=<hidden>': unknown attribute 'foo'"
}

@test "a key spec that is not a URI but holds pin-value= never shows the PIN, in text or --json (exit 3)" {
	# a leading space makes it a file name: its pin-value is hidden all the same
	u=" pkcs11:token=fwtrail-test;object=p384?pin-value=123456"
	run --separate-stderr -3 fwtrail key export "$u"
	assert_equal "$stderr" "fwtrail key export: cannot open ' pkcs11:token=fwtrail-test;object=p384?pin-value=<hidden>': No such file or directory"
	run --separate-stderr -3 fwtrail key export --json "$u"
	[[ "$stderr$output" != *123456* ]] || fail "the PIN is shown: $stderr $output"
	echo "$output" | jq -e '.error.message | test("pin-value=<hidden>")'
	for k in "pkcs11 :token=t?pin-value=123456" "keys/pin-value=123456.pem" "x;PIN-VALUE=123456"; do
		run --separate-stderr -3 fwtrail key export "$k"
		[[ "$stderr" == *"=<hidden>"* && "$stderr" != *123456* ]] || fail "$k: $stderr"
	done
}

@test "a URI naming no token never tries a PIN on a token that shows no such key (exit 5); token= allows it" {
	printf '000000\n' > wrong.pin
	chmod 600 wrong.pin
	snapshot_out out.pem
	for i in 1 2 3; do
		run --separate-stderr -5 fwtrail key export --pin-file wrong.pin -o out.pem 'pkcs11:object=fw-2027'
		assert_equal "$stderr" "fwtrail key export: no token shows a key matching 'pkcs11:object=fw-2027' without a login, and the URI names no token: not logging in to token 'fwtrail-test', whose PIN may not be this one (a wrong PIN uses up a try); name the token (token=... or serial=...) to allow a login"
	done
	assert_nothing_written
	# no PIN was tried: the token's retry counter is untouched
	run -0 fwtrail key list --json --module softhsm2
	echo "$output" | jq -e '.tokens[0].flags | index("user-pin-count-low") == null'
	# the token named: the login is tried (and this PIN is wrong)
	run --separate-stderr -5 fwtrail key export --pin-file wrong.pin -o out.pem 'pkcs11:token=fwtrail-test;object=fw-2027'
	[[ "$stderr" == *CKR_PIN_INCORRECT* ]] || fail "$stderr"
	assert_nothing_written
	# a key whose public half shows needs no token attribute
	run --separate-stderr -0 fwtrail key export --pin-file "$PIN_FILE" -o out.pem 'pkcs11:object=p521'
}

@test "list --json, export --json: names that are not UTF-8 are kept, with U+FFFD and *_hex" {
	softhsm2-util --init-token --free --label $'lab\xff' --pin 123456 --so-pin 654321 > /dev/null
	$P11 --login --pin 123456 --keypairgen --key-type EC:secp384r1 --id 30 --label $'k\xffey' --usage-sign > /dev/null 2>&1
	run --separate-stderr -0 fwtrail key list --json --token "$TOKEN" --pin-file "$PIN_FILE"
	echo "$output" | $PY -c '
import json, sys
o = json.load(sys.stdin)
ks = [k for k in o["tokens"][0]["keys"] if k["id"] == "30"]
assert len(ks) == 2, ks
for k in ks:
    assert k["label"] == "k\ufffdey" and k["label_hex"] == "6bff6579", k
assert "label_hex" not in o["tokens"][0]
'
	run --separate-stderr -0 fwtrail key list --json --module softhsm2
	echo "$output" | $PY -c '
import json, sys
o = json.load(sys.stdin)
(t,) = [t for t in o["tokens"] if t.get("label_hex") == "6c6162ff"]
assert t["label"] == "lab\ufffd" and t["model"] == "SoftHSM v2" and "model_hex" not in t, t
'
	cp "$TESTDATA/keys/p384.key.pem" $'p\xff.pem'
	run --separate-stderr -0 fwtrail key export --json -o $'o\xff.pub' $'p\xff.pem'
	echo "$output" | $PY -c '
import json, sys
o = json.load(sys.stdin)
assert o["ok"] and o["key"] == "p\ufffd.pem" and o["key_hex"] == b"p\xff.pem".hex(), o
assert o["output"] == "o\ufffd.pub" and o["output_hex"] == b"o\xff.pub".hex(), o
'
	[ -s $'o\xff.pub' ]
}

@test "list: --module and the --token URI's module-name or module-path that disagree are a usage error (exit 2)" {
	run --separate-stderr -2 fwtrail key list --module opensc-pkcs11 --token "$TOKEN?module-path=$SOFTHSM_MODULE"
	assert_equal "$stderr" "fwtrail key list: --module 'opensc-pkcs11' and the token URI's module-path '$SOFTHSM_MODULE' name different modules: give one of them"
	assert_equal "$output" ""
	run --separate-stderr -2 fwtrail key list --module softhsm2 --token "$TOKEN?module-name=opensc-pkcs11"
	assert_equal "$stderr" "fwtrail key list: --module 'softhsm2' and the token URI's module-name 'opensc-pkcs11' name different modules: give one of them"
	run --separate-stderr -2 fwtrail key list --json --module "$SOFTHSM_MODULE" --token "$TOKEN?module-name=softhsm2"
	echo "$output" | jq -e '.ok == false and .error.code == "usage" and (.error.message | test("--module"))'
	# the same module both ways is no conflict
	run --separate-stderr -0 fwtrail key list --module softhsm2 --token "$TOKEN?module-name=softhsm2"
	assert_line --partial "token 'fwtrail-test'"
}

@test "a key found on a token needing no login while a PIN token went unsearched is ambiguous (exit 5), not picked" {
	# the PIN token (fwtrail-test) holds fw-2027, its public key labelled
	# otherwise (nothing shows under fw-2027 before a login); another token,
	# made to need no login by the shim, holds a key labelled fw-2027 too
	cc -o p11setattr "$ROOT/lib/tests/p11setattr.c" $(pkg-config --cflags p11-kit-1) -ldl
	run -0 fwtrail key generate --type ec-p384 --label fw-2027 --id 31 --token "$TOKEN" --pin-file "$PIN_FILE"
	printf 'fw-2027-pub' > newlabel
	./p11setattr "$SOFTHSM_MODULE" fwtrail-test "$PIN_FILE" fw-2027 public 3 newlabel
	softhsm2-util --init-token --free --label lab --pin 222222 --so-pin 654321 > /dev/null
	printf '222222\n' > lab.pin
	chmod 600 lab.pin
	run -0 fwtrail key generate --type ec-p384 --label fw-2027 --id 31 --token 'pkcs11:token=lab' --pin-file lab.pin
	export P11SHIM_OPEN_TOKEN=lab P11SHIM_OPEN_PIN=222222
	local mp="?module-path=$SHIM"
	printf 'firmware\n' > fw.bin
	run --separate-stderr -5 fwtrail sign --key "pkcs11:object=fw-2027$mp" --pin-file "$PIN_FILE" fw.bin
	[[ $stderr == *"matches a key on another token, but token 'fwtrail-test', which needs a PIN and was not searched"* ]] ||
		fail "$stderr"
	[ ! -e fw.bin.sig ]
	# the PIN token's public key found again: with both sessions open, the
	# two keys are ambiguous; a token whose session fails is unsearched
	# too, never passed over for the other's key
	./p11setattr "$SOFTHSM_MODULE" fwtrail-test "$PIN_FILE" fw-2027-pub public 3 <(printf fw-2027)
	run --separate-stderr -5 fwtrail sign --key "pkcs11:object=fw-2027$mp" --pin-file "$PIN_FILE" fw.bin
	[[ $stderr == *"matches 2 private keys"* ]] || fail "$stderr"
	P11SHIM_FAULT=C_OpenSession=CKR_DEVICE_ERROR@2 run --separate-stderr -5 fwtrail sign --key "pkcs11:object=fw-2027$mp" \
		--pin-file "$PIN_FILE" fw.bin
	[[ $stderr == *"could not be opened (C_OpenSession: CKR_DEVICE_ERROR), may hold one"* ||
		$stderr == *"was not searched"* ]] || fail "$stderr"
	[ ! -e fw.bin.sig ]
	# each token named: its own key
	run -0 fwtrail key export -o release.pub --pin-file "$PIN_FILE" "pkcs11:token=fwtrail-test;object=fw-2027$mp"
	run -0 fwtrail sign --key "pkcs11:token=fwtrail-test;object=fw-2027$mp" --pin-file "$PIN_FILE" fw.bin
	run -0 openssl dgst -sha384 -verify release.pub -signature fw.bin.sig fw.bin
}

@test "a token with a blank label left unsearched is named by its serial (exit 5)" {
	# a token store of its own, holding the blank-labelled token alone
	mkdir -p blank/tokens
	printf 'directories.tokendir = %s/blank/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$PWD" > blank/softhsm2.conf
	export SOFTHSM2_CONF=$PWD/blank/softhsm2.conf
	softhsm2-util --init-token --free --label " " --pin 333333 --so-pin 654321 > /dev/null
	printf '333333\n' > blank.pin
	chmod 600 blank.pin
	cc -o p11setattr "$ROOT/lib/tests/p11setattr.c" $(pkg-config --cflags p11-kit-1) -ldl
	local serial
	serial=$(fwtrail --json key list --module softhsm2 | jq -r '.tokens[] | select(.label == "") | .serial')
	[ -n "$serial" ]
	run -0 fwtrail key generate --type ec-p384 --label fw-2027 --id 32 --token "pkcs11:serial=$serial" --pin-file blank.pin
	printf 'fw-2027-pub' > newlabel
	./p11setattr "$SOFTHSM_MODULE" "" blank.pin fw-2027 public 3 newlabel
	run --separate-stderr -5 fwtrail key export --pin-file blank.pin 'pkcs11:object=fw-2027'
	[[ $stderr == *"not logging in to the token of serial '$serial'"*"(token=... or serial=...)"* ]] || fail "$stderr"
	run -0 fwtrail key export --pin-file blank.pin "pkcs11:serial=$serial;object=fw-2027"
}

@test "a query value holding pin-value= ('?' typed for '&') is refused, its PIN never shown (exit 2)" {
	local k
	for k in "$TOKEN?module-name=softhsm2?pin-value=123456" "$TOKEN?pin-source=file:/etc/x.pin?pin-value=123456" \
		"$TOKEN?module-path=/usr/lib/softhsm/libsofthsm2.so?pin-value=123456"; do
		run --separate-stderr -2 fwtrail sign --key "$k" fw.bin
		[[ $stderr == *"a query value holds pin-value="* && $stderr != *123456* ]] || fail "$k: $stderr"
		run --separate-stderr -2 fwtrail --json key export "$k"
		[[ $output != *123456* ]] || fail "$k: $output"
	done
}

@test "key export and sign: a private key bundled with another key's certificate only is refused (exit 4)" {
	local K="$TESTDATA/keys"
	cat "$K/other-p384.pub.pem" "$K/p384.key.pem" > mixed.pem
	run --separate-stderr -4 fwtrail key export mixed.pem
	assert_equal "$stderr" "fwtrail key export: 'mixed.pem' holds a private key and public keys or certificates of other keys only: give the key alone, or with its own certificate"
	assert_output ""
	printf 'x' > fw.bin
	run --separate-stderr -4 fwtrail sign --key mixed.pem fw.bin
	[ ! -e fw.bin.sig ]
	# the key with its own certificate (a chain bundle) is fine
	cat "$K/p384.key.pem" "$K/p384.crt.pem" > own.pem
	run -0 fwtrail key export own.pem
	assert_line "sha256-fingerprint: $(fwtrail --json key export "$K/p384.pub.pem" | jq -r .sha256_fingerprint)"
}

@test "generate --label '': '--label is empty', not 'required' (exit 2, before the token is touched)" {
	run --separate-stderr -2 fwtrail key generate --type ec-p384 --label '' --token "$TOKEN" --pin-file "$PIN_FILE"
	assert_equal "${stderr%%$'\n'*}" "fwtrail key generate: --label is empty (the key is found by its label: object= in its URI)"
	run --separate-stderr -2 fwtrail key generate --type ec-p384 --token "$TOKEN" --pin-file "$PIN_FILE"
	assert_equal "${stderr%%$'\n'*}" "fwtrail key generate: --label is required"
}

@test "export -, and --pin-file - anywhere: a usage error (exit 2) saying where keys and PINs are read from" {
	run --separate-stderr -2 fwtrail key export - < "$TESTDATA/keys/p384.pub.pem"
	assert_equal "${stderr%%$'\n'*}" "fwtrail key export: keys are read from files or pkcs11: URIs, not standard input ('-')"
	assert_equal "$output" ""
	local why="the PIN is read from a file (or FWTRAIL_PIN, or a prompt), not standard input ('-')"
	run --separate-stderr -2 fwtrail key export --pin-file - "$TESTDATA/keys/p384.pub.pem" < "$PIN_FILE"
	assert_equal "${stderr%%$'\n'*}" "fwtrail key export: --pin-file: $why"
	run --separate-stderr -2 fwtrail key list --pin-file - < "$PIN_FILE"
	assert_equal "${stderr%%$'\n'*}" "fwtrail key list: --pin-file: $why"
	run --separate-stderr -2 fwtrail key generate --type ec-p384 --label n --token "$TOKEN" --pin-file - < "$PIN_FILE"
	assert_equal "${stderr%%$'\n'*}" "fwtrail key generate: --pin-file: $why"
}

@test "export --json: key_fingerprint, the name every command uses, beside sha256_fingerprint (kept), for a file and a token key" {
	local k
	for k in "$TESTDATA/keys/p384.key.pem" "$TESTDATA/keys/rsa3072.crt.pem" "$TOKEN;object=p384"; do
		run --separate-stderr -0 fwtrail --json key export --pin-file "$PIN_FILE" "$k"
		fp=$(jq -r .sha256_fingerprint <<< "$output")
		[[ $fp =~ ^[0-9a-f]{64}$ ]]
		assert_equal "$(jq -r .key_fingerprint <<< "$output")" "$fp"
	done
	# the SHA-256 of the SubjectPublicKeyInfo, computed without fwtrail
	run --separate-stderr -0 fwtrail --json key export "$TESTDATA/keys/p384.pub.pem"
	assert_equal "$(jq -r .key_fingerprint <<< "$output")" \
		"$(openssl pkey -pubin -in "$TESTDATA/keys/p384.pub.pem" -outform DER | sha256sum | cut -d' ' -f1)"
}
