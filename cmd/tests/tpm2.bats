#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The second PKCS#11 implementation: tpm2-pkcs11 (Debian libtpm2-pkcs11-1)
# over a software TPM (swtpm, libtpms) that this file starts and stops
# (scripts/tpm2-pkcs11-env.sh).  The same commands as with SoftHSM2, with
# nothing specific to the module: fwtrail reaches it through p11-kit's
# registry (/usr/share/p11-kit/modules/tpm2_pkcs11.module), and the module
# finds its store and the TPM through TPM2_PKCS11_STORE and TPM2_PKCS11_TCTI,
# read in fwtrail's own process, so no URI names a module.
#
# What this TPM token does with the OCP algorithms (libtpms 0.9, tpm2-pkcs11
# 1.9): EC P-384 yes; RSA-3072 PSS only for keys that may also decrypt;
# EC P-521 and RSA-4096 no.  The last three tests show each limitation,
# check that fwtrail refuses cleanly, and skip naming it.

load helpers
uses_pkcs11_modules

setup_file() {
	tpm2_module_leaks_ignored
	export TPM_DIR="$BATS_FILE_TMPDIR/tpm" TPM_SKIP=""
	local out rc=0
	out=$("$ROOT/scripts/tpm2-pkcs11-env.sh" "$TPM_DIR" 2> "$BATS_FILE_TMPDIR/env.err") || rc=$?
	if [ "$rc" = 77 ]; then
		TPM_SKIP=$(tail -n 1 "$BATS_FILE_TMPDIR/env.err")
		return 0
	fi
	[ "$rc" = 0 ] || { cat "$BATS_FILE_TMPDIR/env.err" >&2; return 1; }
	eval "$out"
	# certificates from the test CA for the token's keys, made by openssl
	# from the public keys as GnuTLS's p11tool reads them off the token
	export CERTS="$BATS_FILE_TMPDIR/certs"
	mkdir -p "$CERTS"
	openssl req -new -key "$TESTDATA/keys/ca.key.pem" -subj "/CN=placeholder" -out "$CERTS/req.csr" 2> /dev/null
	local label
	for label in p384 rsa3072; do
		p11tool --export "$FWTRAIL_TEST_TOKEN;object=$label;type=public" > "$CERTS/$label.p11tool.pem" 2> /dev/null < /dev/null
		openssl pkey -pubin -in "$CERTS/$label.p11tool.pem" -out "$CERTS/$label.pub.pem"
		openssl x509 -req -in "$CERTS/req.csr" -CA "$TESTDATA/keys/ca.crt.pem" -CAkey "$TESTDATA/keys/ca.key.pem" \
			-set_serial 0x7a -days 30 -force_pubkey "$CERTS/$label.pub.pem" -subj "/CN=tpm $label" \
			-out "$CERTS/$label.crt.pem" 2> /dev/null
	done
}

teardown_file() {
	[ -n "$TPM_SKIP" ] && return 0
	"$ROOT/scripts/tpm2-pkcs11-env.sh" --stop "$TPM_DIR"
	! kill -0 "$FWTRAIL_TEST_SWTPM_PID" 2> /dev/null || fail "swtpm (pid $FWTRAIL_TEST_SWTPM_PID) is still running"
}

setup() {
	[ -z "$TPM_SKIP" ] || skip "no software TPM: $TPM_SKIP"
	TOKEN=$FWTRAIL_TEST_TOKEN
	PIN_FILE=$FWTRAIL_TEST_PIN_FILE
	unset FWTRAIL_PIN
	# swtpm has no resource manager: clear objects a failed client left
	# loaded; and lift a dictionary-attack lockout another test caused
	tpm2_flushcontext -t
	tpm2_dictionarylockout --clear-lockout
	mkdir -p "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w" || return 1
	printf 'firmware image\n' > fw.bin
}

# the token's URI as fwtrail prints it: libtpms's model is "SW   TPM" and
# NUL bytes, which the URI carries as %00 and matches again
TOK_RE='pkcs11:model=SW%20%20%20TPM(%00)*;manufacturer=IBM;serial=0000000000000000;token=fwtrail-tpm'

@test "key list: the TPM token from p11-kit's registry; with a PIN, its keys with full pkcs11: URIs that select them" {
	run --separate-stderr -0 fwtrail key list
	assert_line "token 'fwtrail-tpm' (IBM, SW   TPM, serial 0000000000000000) in module tpm2_pkcs11"
	assert_line --regexp "^  $TOK_RE\$"
	assert_line --regexp "^  public  ec-p384 +verify +$TOK_RE;id=%01;object=p384;type=public\$"
	assert_line "  (private keys show after a login: give --pin-file or FWTRAIL_PIN)"
	assert_equal "$stderr" ""
	run --separate-stderr -0 fwtrail key list --pin-file "$PIN_FILE"
	assert_line --regexp "^  private ec-p384 +sign +$TOK_RE;id=%01;object=p384;type=private\$"
	assert_line --regexp "^  private rsa-3072 +sign +$TOK_RE;id=%03;object=rsa3072;type=private\$"
	refute_output --partial module-path
	refute_output --partial module-name
	run -0 fwtrail key list --json --pin-file "$PIN_FILE"
	printf '%s' "$output" > list.json
	run -0 "$PY" - list.json <<'PY'
import json, sys
toks = [t for t in json.load(open(sys.argv[1]))["tokens"] if t["label"] == "fwtrail-tpm"]
assert len(toks) == 1 and toks[0]["module"] == "tpm2_pkcs11", toks
for k in toks[0]["keys"]:
    if k["class"] == "private":
        print(k["uri"], k["type"], k["bits"], k["can_sign"], k["sensitive"], k["extractable"])
PY
	assert_equal "${#lines[@]}" 2
	assert_line --regexp "object=p384;type=private ec-p384 384 True True False\$"
	assert_line --regexp "object=rsa3072;type=private rsa-3072 3072 True True False\$"
	# each URI as listed selects its key again
	for uri in $(printf '%s\n' "${lines[@]}" | cut -d' ' -f1); do
		run -0 fwtrail key export --pin-file "$PIN_FILE" "$uri"
		assert_line --regexp '^sha256-fingerprint: [0-9a-f]{64}$'
	done
}

@test "key export: the public keys equal p11tool's reading of the token, with fingerprint and thumbprint" {
	for label in p384 rsa3072; do
		run -0 fwtrail key export --pin-file "$PIN_FILE" -o "$label.pem" "$TOKEN;object=$label"
		run -0 cmp "$label.pem" "$CERTS/$label.pub.pem"
		fp=$(openssl pkey -pubin -in "$label.pem" -outform DER | sha256sum | cut -d' ' -f1)
		run -0 fwtrail key export --json --pin-file "$PIN_FILE" "$TOKEN;object=$label"
		assert_output --partial "\"sha256_fingerprint\": \"$fp\""
	done
}

@test "key generate: an EC P-384 key on the TPM, sensitive, never extractable, sign only, usable at once" {
	run --separate-stderr -0 fwtrail key generate --type ec-p384 --label gen384 --id 0a0b --token "$TOKEN" --pin-file "$PIN_FILE"
	assert_output --regexp "^$TOK_RE;id=%0A%0B;object=gen384;type=private\$"
	uri=$output
	# the module's own view, through pkcs11-tool
	run -0 pkcs11-tool --module /usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so --token-label fwtrail-tpm \
		--login --pin 123456 --list-objects --type privkey
	run -0 grep -A4 -E '^ +label: +gen384$' <<< "$output"
	assert_line --regexp '^ +Usage: +sign$'
	assert_line --regexp '^ +Access: +sensitive, always sensitive, never extractable, local$'
	run -0 fwtrail sign --key "$uri" --pin-file "$PIN_FILE" fw.bin
	run -0 fwtrail key export --pin-file "$PIN_FILE" -o gen.pub.pem "$uri"
	run -0 openssl dgst -sha384 -verify gen.pub.pem -signature fw.bin.sig fw.bin
	assert_output "Verified OK"
	run -1 fwtrail verify --key "$CERTS/p384.pub.pem" fw.bin.sig fw.bin
}

@test "sign raw: ES384 and PS384 on the TPM, verified by openssl dgst and fwtrail verify" {
	run --separate-stderr -0 fwtrail sign --key "$TOKEN;object=p384" --pin-file "$PIN_FILE" -o p384.sig fw.bin
	assert_output --regexp "^signed 1 file with $TOK_RE;id=%01;object=p384;type=private \\(ES384 raw\\)\$"
	run -0 openssl dgst -sha384 -verify "$CERTS/p384.pub.pem" -signature p384.sig fw.bin
	assert_output "Verified OK"
	run -0 fwtrail verify --key "$CERTS/p384.pub.pem" p384.sig fw.bin
	run --separate-stderr -0 fwtrail sign --key "$TOKEN;object=rsa3072" --pin-file "$PIN_FILE" -o rsa.sig fw.bin
	assert_output --regexp "object=rsa3072;type=private \\(PS384 raw\\)\$"
	run -0 openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sigopt rsa_mgf1_md:sha384 \
		-verify "$CERTS/rsa3072.pub.pem" -signature rsa.sig fw.bin
	assert_output "Verified OK"
	run -0 fwtrail verify --key "$CERTS/rsa3072.pub.pem" rsa.sig fw.bin
	# another file is a no
	printf 'other\n' > other.bin
	run -1 fwtrail verify --key "$CERTS/rsa3072.pub.pem" rsa.sig other.bin
}

@test "sign cms: detached SignedData with an openssl-made certificate for the TPM key, verified by openssl cms" {
	for label in p384 rsa3072; do
		run -0 fwtrail sign --key "$TOKEN;object=$label" --pin-file "$PIN_FILE" --format cms --cert "$CERTS/$label.crt.pem" fw.bin
		run -0 openssl cms -verify -binary -inform DER -in fw.bin.p7s -content fw.bin \
			-CAfile "$TESTDATA/keys/ca.crt.pem" -purpose any -out /dev/null
		assert_output --partial "Verification successful"
		run -0 fwtrail verify --cert "$CERTS/$label.crt.pem" fw.bin.p7s fw.bin
		run -0 openssl cms -cmsout -print -inform DER -in fw.bin.p7s
		assert_output --partial "CN=tpm $label"
		rm fw.bin.p7s
	done
	# a certificate for another key is refused before anything is signed
	run -2 fwtrail sign --key "$TOKEN;object=p384" --pin-file "$PIN_FILE" --format cms --cert "$CERTS/rsa3072.crt.pem" fw.bin
	[ ! -e fw.bin.p7s ]
}

@test "sign cose and many files in one call: every signature verified by fwtrail and an independent python check" {
	for i in 1 2 3 4 5 6; do printf 'image %s\n' "$i" > "m$i.bin"; done
	mkdir out
	run -0 fwtrail sign --key "$TOKEN;object=p384" --pin-file "$PIN_FILE" --format cose --out-dir out m*.bin
	assert_output --partial "signed 6 files with"
	for i in 1 2 3 4 5 6; do
		run -0 fwtrail verify --key "$CERTS/p384.pub.pem" "out/m$i.bin.cose" "m$i.bin"
		run -0 "$PY" "$ROOT/scripts/interop-cose.py" verify-detached "out/m$i.bin.cose" "m$i.bin" "$CERTS/p384.pub.pem"
	done
	run -1 fwtrail verify --key "$CERTS/p384.pub.pem" out/m1.bin.cose m2.bin
}

@test "sfr sign --key pkcs11: ES384 and PS384 reports verified by fwtrail sfr verify and python jwt" {
	for k in p384:ES384 rsa3072:PS384; do
		label=${k%:*} alg=${k#*:}
		run -0 fwtrail sfr sign --key "$TOKEN;object=$label" --pin-file "$PIN_FILE" --kid 'TPM Lab' -o "$label.jws" \
			"$TESTDATA/sfr/bmc-report.json"
		run -0 fwtrail sfr verify --key "$CERTS/$label.pub.pem" "$label.jws"
		assert_output --regexp "^OK .*$label.jws: $alg signature by '.*$label.pub.pem'"
		run -0 "$PY" - "$label.jws" "$CERTS/$label.pub.pem" "$alg" "$TESTDATA/sfr/bmc-report.json" <<'PY'
import json, sys, jwt
tok, pub, alg, ref = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3], json.load(open(sys.argv[4]))
assert jwt.get_unverified_header(tok) == {"alg": alg, "kid": "TPM Lab", "typ": "JWT"}
assert jwt.decode(tok, pub, algorithms=[alg]) == ref
print("ok")
PY
		# the other key is a no
		other=$([ "$label" = p384 ] && echo rsa3072 || echo p384)
		run -1 fwtrail sfr verify --key "$CERTS/$other.pub.pem" "$label.jws"
	done
}

@test "rim sign --key pkcs11: signed CoRIMs verified by fwtrail rim verify and interop-cose.py" {
	for k in p384:ES384 rsa3072:PS384; do
		label=${k%:*} alg=${k#*:}
		run -0 fwtrail rim sign --key "$TOKEN;object=$label" --pin-file "$PIN_FILE" --signer 'TPM Signer' \
			--not-before 2026-01-01 --not-after 2036-01-01 -o "$label.corim" "$TESTDATA/rim/nic.corim"
		run -0 fwtrail rim verify --key "$CERTS/$label.pub.pem" --at 2030-01-01T00:00:00Z "$label.corim"
		assert_output "OK $label.corim ($alg, key '$CERTS/$label.pub.pem', valid until 2036-01-01T00:00:00Z)"
		run -0 "$PY" "$ROOT/scripts/interop-cose.py" verify "$label.corim" "$CERTS/$label.pub.pem"
		assert_output --partial '"signer": "TPM Signer"'
	done
	run -1 fwtrail rim verify --key "$CERTS/rsa3072.pub.pem" --at 2030-01-01T00:00:00Z p384.corim
}

@test "a wrong PIN is exit 5 with the token's CKR_ name and nothing written, for sign, sfr sign and rim sign; lockout" {
	printf '000000\n' > bad.pin
	chmod 600 bad.pin
	run --separate-stderr -5 fwtrail sign --key "$TOKEN;object=p384" --pin-file bad.pin -o out.sig fw.bin
	assert_equal "$stderr" "fwtrail sign: cannot log in to token 'fwtrail-tpm': CKR_PIN_INCORRECT"
	run --separate-stderr -5 fwtrail sfr sign --key "$TOKEN;object=p384" --pin-file bad.pin --kid k -o out.sig \
		"$TESTDATA/sfr/bmc-report.json"
	assert_equal "$stderr" "fwtrail sfr sign: cannot log in to token 'fwtrail-tpm': CKR_PIN_INCORRECT"
	run --separate-stderr -5 fwtrail rim sign --key "$TOKEN;object=p384" --pin-file bad.pin -o out.sig \
		"$TESTDATA/rim/nic.corim"
	assert_equal "$stderr" "fwtrail rim sign: cannot log in to token 'fwtrail-tpm': CKR_PIN_INCORRECT"
	[ ! -e out.sig ]
	# an empty PIN is refused before any login
	run --separate-stderr -5 env FWTRAIL_PIN= "$FWTRAIL" sign --key "$TOKEN;object=p384" -o out.sig fw.bin
	assert_output ""
	[ ! -e out.sig ]
	# three failures put this TPM in dictionary-attack lockout: the right
	# PIN is refused too, until the lockout is lifted
	run --separate-stderr -5 fwtrail sign --key "$TOKEN;object=p384" --pin-file "$PIN_FILE" -o out.sig fw.bin
	assert_equal "$stderr" "fwtrail sign: cannot log in to token 'fwtrail-tpm': CKR_PIN_LOCKED"
	[ ! -e out.sig ]
	tpm2_dictionarylockout --clear-lockout
	run -0 fwtrail sign --key "$TOKEN;object=p384" --pin-file "$PIN_FILE" -o out.sig fw.bin
	run -0 openssl dgst -sha384 -verify "$CERTS/p384.pub.pem" -signature out.sig fw.bin
}

@test "a registered tpm2_pkcs11 that cannot reach its TPM is skipped quietly, logged with -v" {
	# a closed port: the module fails C_Initialize; other modules still work
	run --separate-stderr -0 env TPM2_PKCS11_TCTI=swtpm:host=127.0.0.1,port=9 "$FWTRAIL" key list
	assert_equal "$stderr" ""
	refute_output --partial fwtrail-tpm
	run --separate-stderr -0 env TPM2_PKCS11_TCTI=swtpm:host=127.0.0.1,port=9 "$FWTRAIL" -v key list
	# only fwtrail's own lines, one of them about the module
	run -1 grep -v '^fwtrail key list: ' <<< "$stderr"
	run -0 grep -c "^fwtrail key list: PKCS#11 module 'tpm2_pkcs11' is skipped: it failed to initialise: CKR_GENERAL_ERROR" <<< "$stderr"
	assert_output 1
	run --separate-stderr -5 env TPM2_PKCS11_TCTI=swtpm:host=127.0.0.1,port=9 "$FWTRAIL" sign --key "$TOKEN;object=p384" \
		--pin-file "$PIN_FILE" fw.bin
	assert_equal "$stderr" "fwtrail sign: no PKCS#11 token matches '$TOKEN;object=p384'"
}

@test "limitation: EC P-521 (tpm2-pkcs11 1.9 writes its CKA_EC_POINT with a malformed DER length)" {
	run --separate-stderr fwtrail key generate --type ec-p521 --label p521 --token "$TOKEN" --pin-file "$PIN_FILE"
	if [ "$status" = 0 ]; then
		uri=$output
		run -0 fwtrail sign --key "$uri" --pin-file "$PIN_FILE" -o p521.sig fw.bin
		run -0 fwtrail key export --pin-file "$PIN_FILE" -o p521.pem "$uri"
		run -0 openssl dgst -sha512 -verify p521.pem -signature p521.sig fw.bin
		return 0
	fi
	# the 133-byte point is wrapped as 04 85 04..., a short-form length
	# over 127: fwtrail refuses it and deletes the unusable pair
	assert_equal "$status" 5
	assert_equal "$stderr" "fwtrail key generate: token 'fwtrail-tpm' made a key pair whose public key is unusable; it was deleted: $(
		)key '$(printf '%s' "$stderr" | grep -o "pkcs11:[^']*object=p521;type=private")' has a malformed CKA_EC_POINT"
	# (the module leaves the deleted pair loaded in the TPM: clear it)
	tpm2_flushcontext -t
	run -0 fwtrail key list --pin-file "$PIN_FILE"
	refute_output --partial "object=p521"
	skip "tpm2-pkcs11 1.9 encodes a P-521 CKA_EC_POINT as 04 85 <133 bytes> (malformed DER), refused with exit 5"
}

@test "limitation: RSA-4096 (libtpms 0.9 in swtpm offers RSA keys up to 3072 bits)" {
	run --separate-stderr fwtrail key generate --type rsa-4096 --label rsa4096 --token "$TOKEN" --pin-file "$PIN_FILE"
	if [ "$status" = 0 ]; then
		run -0 fwtrail sign --key "$output" --pin-file "$PIN_FILE" -o rsa4096.sig fw.bin
		return 0
	fi
	assert_equal "$status" 6
	assert_equal "$stderr" "fwtrail key generate: token 'fwtrail-tpm' cannot generate RSA of this size key pairs"
	skip "the TPM has no RSA-4096 (TPM2_TestParms refuses 4096 bits): PS512 cannot be tested here"
}

@test "limitation: a sign-only RSA key cannot make RSA-PSS (tpm2-pkcs11 1.9 needs the TPM's raw RSA decryption)" {
	run --separate-stderr -0 fwtrail key generate --type rsa-3072 --label signonly --token "$TOKEN" --pin-file "$PIN_FILE"
	uri=$output
	run --separate-stderr fwtrail sign --key "$uri" --pin-file "$PIN_FILE" -o rsa.sig fw.bin
	if [ "$status" = 0 ]; then
		run -0 fwtrail key export --pin-file "$PIN_FILE" -o rsa.pem "$uri"
		run -0 openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sigopt rsa_mgf1_md:sha384 \
			-verify rsa.pem -signature rsa.sig fw.bin
		return 0
	fi
	# the module reports its TPM error as CKR_GENERAL_ERROR (and libtss2
	# logs it on stderr first); fwtrail stops with exit 5, nothing written
	assert_equal "$status" 5
	assert_equal "$(printf '%s\n' "$stderr" | tail -n 1)" "fwtrail sign: C_Sign with '$uri' failed: CKR_GENERAL_ERROR"
	[ ! -e rsa.sig ]
	skip "tpm2-pkcs11 1.9 pads RSA-PSS (salt = hash length) itself and needs TPM2_RSA_Decrypt, refused for a sign-only key"
}
