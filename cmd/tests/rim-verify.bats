#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail rim sign and rim verify: every key type, an independent Python
# check both ways, the veraison signed CoRIMs and their validity, the bad
# twins, tampering with every byte.

load helpers

RIM="$TESTDATA/rim"
K="$TESTDATA/rim/keys"
VER="$CORPORA/corim/veraison-corim/corim/testcases"

setup() {
	T=$BATS_TEST_TMPDIR
	O=$T/out
	mkdir -p "$O"
}

sign() { # key out [args]
	local key=$1 out=$2
	shift 2
	fwtrail rim sign --key "$K/$key.pem" --signer 'Test Signer' --not-before 2026-01-01 --not-after 2036-01-01 \
		-o "$out" "$@" "$RIM/nic.corim"
}

@test "sign then verify with every key type; Python verifies the same bytes independently" {
	for k in ec-p256 ec-p384 ec-p521 rsa-3072; do
		sign $k "$O/$k.corim" --kid "kid-$k" --signer-uri https://signer.example
		run -0 fwtrail rim verify --key "$K/$k.pub" --at 2030-01-01T00:00:00Z "$O/$k.corim"
		assert_output "OK $O/$k.corim ($(case $k in ec-p256) echo ES256 ;; ec-p384) echo ES384 ;; ec-p521) echo ES512 ;; *) echo PS384 ;; esac), key '$K/$k.pub', valid until 2036-01-01T00:00:00Z)"
		run -0 "$PY" "$ROOT/scripts/interop-cose.py" verify "$O/$k.corim" "$K/$k.pub"
		assert_output --partial "\"kid\": \"$(printf 'kid-%s' $k | xxd -p | tr -d '\n')\""
		assert_output --partial '"not_after": 2082758400, "not_before": 1767225600, "signer": "Test Signer"'
		# the payload is the CoRIM exactly as given, and every document is canonical
		run -0 "$PY" "$ROOT/scripts/interop-cose.py" canonical "$O/$k.corim"
		assert_output '{"canonical_documents": 5}'
	done
}

@test "Python-signed CoRIMs verify with fwtrail (the other direction)" {
	for k in ec-p256 ec-p384 ec-p521 rsa-3072; do
		"$PY" "$ROOT/scripts/interop-cose.py" sign "$RIM/nic.corim" "$K/$k.pem" "$O/py-$k.corim"
		run -0 fwtrail rim verify --key "$K/$k.pub" --at 2030-01-01T00:00:00Z "$O/py-$k.corim"
		assert_output --partial "OK "
	done
}

@test "veraison's signed CoRIMs verify with their JWK inside 2021-12-31..2025-12-31, and are expired today" {
	need_corpus corim/veraison-corim
	# their JWK is private ("d") and says "use": "enc": as published it is
	# refused (exit 2: the wrong key for --key), and its public part does
	# not vouch (exit 1); without "use" it verifies them
	run --separate-stderr -2 fwtrail rim verify --key "$VER/src/ec-p256.jwk" "$VER/signed-good-corim.cbor"
	assert_equal "$stderr" "fwtrail rim verify: JWK '$VER/src/ec-p256.jwk' holds a private key (member 'd'); give the public key instead"
	jq 'del(.d)' "$VER/src/ec-p256.jwk" > "$T/enc.jwk"
	run -1 fwtrail rim verify --key "$T/enc.jwk" --at 2024-06-01T12:00:00Z "$VER/signed-good-corim.cbor"
	assert_output --partial "key '$T/enc.jwk' may not verify signatures: its JWK 'use' is 'enc', not 'sig'"
	jq 'del(.d, .use)' "$VER/src/ec-p256.jwk" > "$T/ec-p256.jwk"
	for f in "$VER"/signed-*.cbor; do
		run -0 fwtrail rim verify --key "$T/ec-p256.jwk" --at 2024-06-01T12:00:00Z "$f"
		assert_output --partial "OK $f (ES256, key '$T/ec-p256.jwk', valid until 2025-12-31T00:00:00Z)"
		run -1 fwtrail rim verify --key "$T/ec-p256.jwk" "$f"
		assert_output --partial "FAIL $f: expired: valid until 2025-12-31T00:00:00Z, checked at"
		run -1 fwtrail rim verify --key "$T/ec-p256.jwk" --at 2021-12-30T23:59:59Z "$f"
		assert_output --partial "not yet valid: valid from 2021-12-31T00:00:00Z"
	done
	run -1 --separate-stderr fwtrail --json rim verify --key "$T/ec-p256.jwk" "$VER/signed-good-corim.cbor"
	run -0 jq -c '[.ok, .results[0].signature, .results[0].validity.status, .results[0].validity.not_after, .error.code]' <<< "$output"
	assert_output '[false,"valid","expired","2025-12-31T00:00:00Z","verify_failed"]'
}

@test "--at pins the clock for our own validity too; the edges are inclusive" {
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" --at 2036-01-01T00:00:00Z "$RIM/nic.signed.corim"
	run -1 fwtrail rim verify --key "$K/ec-p384.pub" --at 2036-01-01T00:00:01Z "$RIM/nic.signed.corim"
	assert_output --partial expired
	run -1 fwtrail rim verify --key "$K/ec-p384.pub" --at 2025-12-31T23:59:59Z "$RIM/nic.signed.corim"
	assert_output --partial "not yet valid"
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" --at 2030-01-01T01:00:00+01:00 "$RIM/nic.signed.corim"
	run -2 fwtrail rim verify --key "$K/ec-p384.pub" --at tomorrow "$RIM/nic.signed.corim"
	assert_output --partial "not an RFC 3339 time"
	# the real clock, moved by faketime (its LD_PRELOAD cannot come before ASan's)
	ldd "$FWTRAIL" | grep -q libasan && return 0
	faketime '2031-01-01 00:00:00' "$FWTRAIL" rim verify --key "$K/ec-p384.pub" "$RIM/nic.signed.corim"
	run -1 faketime '2037-01-01 00:00:00' "$FWTRAIL" rim verify --key "$K/ec-p384.pub" "$RIM/nic.signed.corim"
}

@test "keys as PEM certificate, JWK and trust folder; the key that verified is named" {
	run -0 fwtrail rim verify --key "$K/ec-p384.crt" "$RIM/nic.signed.corim"
	sign ec-p256 "$O/p256.corim"
	run -0 fwtrail rim verify --key "$K/ec-p256.jwk" "$O/p256.corim"
	mkdir -p "$T/trust"
	cp "$K"/ec-p521.pub "$K"/rsa-3072.pub "$K"/ec-p384.pub "$T/trust/"
	run -0 fwtrail rim verify --trust "$T/trust" "$RIM/nic.signed.corim"
	assert_output --partial "key '$T/trust/ec-p384.pub'"
	run -1 fwtrail rim verify --trust "$T/trust" "$O/p256.corim"
	assert_output --partial "no trusted key fits"
	# a kid mapped to another key: that key only, and no
	printf '{"acme-2026": "ec-p521.pub"}\n' > "$T/trust/kids.json"
	run -1 fwtrail rim verify --trust "$T/trust" "$RIM/nic.signed.corim"
	printf '{"acme-2026": "ec-p384.pub"}\n' > "$T/trust/kids.json"
	run -0 fwtrail rim verify --trust "$T/trust" "$RIM/nic.signed.corim"
}

@test "the bad twins: no (1), malformed (4), unsupported (6) - never a yes" {
	declare -A want=(
		[forged-signature]=1 [wrong-key]=1 [alg-mismatch]=1 [no-alg]=1 [expired]=1 [not-yet-valid]=1
		[truncated]=4 [trailing-byte]=4 [two-messages]=4 [dup-protected]=4 [nonshortest-protected]=4
		[indefinite-payload]=4 [nonshortest-payload]=4 [content-type]=4 [no-content-type]=4
		[no-corim-meta]=4 [alg-unprotected]=4 [payload-comid]=4 [untagged]=4
		[crit-unknown]=6 [cose-sign]=6 [legacy-502]=6
		[not-cbor]=1 # XML: an unsigned SWID tag since SWID RIMs are read
	)
	n=0
	for f in "$RIM"/bad/*.corim; do
		b=$(basename "$f" .corim)
		[ -n "${want[$b]:-}" ] || fail "no expectation for $b"
		run -"${want[$b]}" fwtrail rim verify --key "$K/ec-p384.pub" "$f"
		# a "no" is a verdict line on stdout; what could not be told, an error
		if [ "${want[$b]}" = 1 ]; then assert_output --partial "FAIL $f: "; else assert_output --partial "'$f': "; fi
		n=$((n + 1))
	done
	[ "$n" -eq "${#want[@]}" ]
	run -4 fwtrail rim verify --key "$K/ec-p384.pub" "$RIM/bad/dup-protected.corim" "$RIM/bad/forged-signature.corim"
	assert_output --partial "duplicate map key"
}

@test "a content type only in the unprotected header does not count (4), under a good signature" {
	# interop-cose.py's sign1 with label 3 moved out of the protected header
	"$PY" - "$ROOT/scripts/interop-cose.py" "$RIM/nic.corim" "$K/ec-p384.pem" "$O" <<-'PY'
		import importlib.util, sys
		spec = importlib.util.spec_from_file_location("ic", sys.argv[1])
		ic = importlib.util.module_from_spec(spec)
		spec.loader.exec_module(ic)
		corim, key = ic.load(sys.argv[2]), ic.load_key(sys.argv[3])
		prot = {1: ic.key_alg(key), 8: ic.meta()}
		open(sys.argv[4] + "/ct-unprotected.corim", "wb").write(
		    ic.sign1(corim, key, prot=prot, unprot={3: "application/rim+cbor"}))
		open(sys.argv[4] + "/ct-protected.corim", "wb").write(
		    ic.sign1(corim, key, prot={**prot, 3: "application/rim+cbor"}))
	PY
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" --at 2030-01-01T00:00:00Z "$O/ct-protected.corim"
	run -4 fwtrail rim verify --key "$K/ec-p384.pub" --at 2030-01-01T00:00:00Z "$O/ct-unprotected.corim"
	assert_output "fwtrail rim verify: '$O/ct-unprotected.corim': the content type is in the unprotected header: a signed CoRIM must carry application/rim+cbor in the protected header"
}

@test "show --json: header parameters under their own labels; a text \"alg\" is not alg" {
	# alg and content type under text labels, which COSE does not read as
	# labels 1 and 3; label 3 only in the unprotected bucket
	"$PY" - "$ROOT/scripts/interop-cose.py" "$RIM/nic.corim" "$K/ec-p384.pem" "$O" <<-'PY'
		import importlib.util, sys
		spec = importlib.util.spec_from_file_location("ic", sys.argv[1])
		ic = importlib.util.module_from_spec(spec)
		spec.loader.exec_module(ic)
		corim, key = ic.load(sys.argv[2]), ic.load_key(sys.argv[3])
		prot = {"alg": -35, "content_type": "application/rim+cbor", 8: ic.meta()}
		open(sys.argv[4] + "/text-labels.corim", "wb").write(
		    ic.sign1(corim, key, prot=prot, unprot={3: "application/rim+cbor"}))
	PY
	run -0 --separate-stderr fwtrail rim show --json "$O/text-labels.corim"
	run -0 jq -c '.rim.signature | [.protected | del(.["8"])], [.unprotected]' <<< "$output"
	assert_line --index 0 '[{"\"alg\"":-35,"\"content_type\"":"application/rim+cbor"}]'
	assert_line --index 1 '[{"content_type":"application/rim+cbor"}]'
	run -0 fwtrail rim show "$O/text-labels.corim"
	assert_line --index 0 --partial "(signed: COSE_Sign1 without alg"
	run -4 fwtrail rim verify --key "$K/ec-p384.pub" --at 2030-01-01T00:00:00Z "$O/text-labels.corim"
	# the real labels keep their names, with the algorithm's name
	run -0 --separate-stderr fwtrail rim show --json "$RIM/nic.signed.corim"
	run -0 jq -c '.rim.signature.protected | [.alg, .alg_name, .content_type]' <<< "$output"
	assert_output '[-35,"ES384","application/rim+cbor"]'
}

@test "an unsigned CoRIM is not verified (1); the published OCP COSE_Sign report is not a signed CoRIM (6)" {
	run -1 fwtrail rim verify --key "$K/ec-p384.pub" "$RIM/nic.corim"
	assert_output --partial "not signed (an unsigned CoRIM)"
	need_corpus corim/ocp-safe
	for f in "$CORPORA"/corim/ocp-safe/microsoft/*_signed.cbor; do
		run -6 fwtrail rim verify --key "$CORPORA/corim/ocp-safe/microsoft/tetrel-ocp-sfr-signing-key.pub" "$f"
		assert_output --partial "COSE_Sign (tag 98)"
	done
}

@test "several RIMs: one line each; a failure decides the status, could-not-tell wins over no" {
	run -1 fwtrail rim verify --key "$K/ec-p384.pub" "$RIM/nic.signed.corim" "$RIM/bad/expired.corim"
	assert_output --partial "OK $RIM/nic.signed.corim ("
	assert_output --partial "FAIL $RIM/bad/expired.corim: expired"
	run -3 fwtrail rim verify --key "$K/ec-p384.pub" "$RIM/bad/forged-signature.corim" "$T/missing.corim" "$RIM/nic.signed.corim"
	run -0 --separate-stderr fwtrail --json rim verify --key "$K/ec-p384.pub" "$RIM/nic.signed.corim" "$RIM/nic.signed.corim"
	run -0 jq -c '[.ok, (.results | length), .results[0].alg, .results[0].validity.status]' <<< "$output"
	assert_output '[true,2,"ES384","valid"]'
}

@test "verify usage: one of --trust and --key, some RIM" {
	run -2 fwtrail rim verify "$RIM/nic.signed.corim"
	run -2 fwtrail rim verify --key "$K/ec-p384.pub" --trust "$K" "$RIM/nic.signed.corim"
	run -2 fwtrail rim verify --key "$K/ec-p384.pub"
	run -3 fwtrail rim verify --key "$T/none.pub" "$RIM/nic.signed.corim"
	mkdir "$T/empty"
	run -2 fwtrail rim verify --trust "$T/empty" "$RIM/nic.signed.corim"
}

@test "tampering with any byte of a signed RIM is rejected" {
	f="$RIM/nic.signed.corim"
	size=$(stat -c %s "$f")
	"$PY" - "$f" "$O" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
for i in range(len(data)):
    b = bytearray(data)
    b[i] ^= 0x01 if i % 2 else 0x80
    open("%s/t%04d" % (sys.argv[2], i), "wb").write(bytes(b))
PY
	# all of them in one process, each with its own result ...
	run --separate-stderr fwtrail --json rim verify --key "$K/ec-p384.pub" --at 2030-01-01T00:00:00Z "$O"/t*
	[ "$status" -eq 4 ] || [ "$status" -eq 6 ] || fail "exit $status"
	jq -e --argjson n "$size" '(.results | length) == $n and all(.results[]; .ok == false) and .ok == false' \
		<<< "$output" > /dev/null || fail "some tampered RIM verified"
	# ... and every 8th in a process of its own, for the exit status
	for t in $(ls "$O"/t* | awk 'NR % 8 == 1'); do
		set +e
		"$FWTRAIL" -q rim verify --key "$K/ec-p384.pub" --at 2030-01-01T00:00:00Z "$t" 2>/dev/null
		rc=$?
		set -e
		case $rc in 1 | 4 | 6) ;; *) fail "$(basename "$t"): exit $rc" ;; esac
	done
	[ "$(ls "$O" | wc -l)" -eq "$size" ]
}

# RELIABILITY O7: the RIM signed is the file named, not what a link points to.
@test "sign O7: a RIM given as a symbolic link is exit 2 with nothing written, unless --follow-symlinks" {
	cp "$RIM/nic.corim" "$T/nic.corim"
	ln -s nic.corim "$T/nic.link"
	snapshot_out "$O/s.corim"
	run --separate-stderr -2 fwtrail -q rim sign --key "$K/ec-p384.pem" --signer S -o "$O/s.corim" "$T/nic.link"
	assert_equal "$stderr" "fwtrail rim sign: '$T/nic.link' is a symbolic link (not followed without --follow-symlinks)"
	assert_nothing_written
	run -0 fwtrail -q rim sign --follow-symlinks --key "$K/ec-p384.pem" --signer S -o "$O/s.corim" "$T/nic.link"
	# the payload is the CoRIM the link points to
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" "$O/s.corim"
	assert_equal "$(fwtrail --json rim show "$O/s.corim" | jq -cS ".rim | del(.signature, .signed)")" \
		"$(fwtrail --json rim show "$T/nic.corim" | jq -cS ".rim | del(.signature, .signed)")"
}

@test "sign: refusals are usage (2), malformed (4) or key errors, and write nothing" {
	snapshot_out "$O/s.corim"
	run -2 fwtrail rim sign --key "$K/ec-p256.pem" -o "$O/s.corim" "$RIM/nic.corim"
	assert_output --partial "no signer name: the key '$K/ec-p256.pem' has no certificate to take it from; give it with --signer NAME"
	run -4 fwtrail rim sign --key "$K/ec-p256.pem" --signer S -o "$O/s.corim" "$RIM/bad/truncated.corim"
	run -2 fwtrail rim sign --key "$K/ec-p256.pem" --signer S --not-before 2030-01-01 --not-after 2029-01-01 -o "$O/s.corim" "$RIM/nic.corim"
	run -2 fwtrail rim sign --key "$K/ec-p256.pem" --signer S --not-after yesterday -o "$O/s.corim" "$RIM/nic.corim"
	# a start alone cannot be written (a CoRIM validity-map needs not-after): refused, not dropped
	run -2 fwtrail rim sign --key "$K/ec-p256.pem" --signer S --not-before 2030-01-01 -o "$O/s.corim" "$RIM/nic.corim"
	assert_line --index 0 "fwtrail rim sign: --not-before needs --not-after (a CoRIM validity period has an end)"
	run -2 fwtrail rim sign --signer S -o "$O/s.corim" "$RIM/nic.corim"
	run -2 fwtrail rim sign --key "$K/ec-p256.pem" --signer S "$RIM/nic.corim"
	run -6 fwtrail rim sign --key "$K/rsa-2048.pem" --signer S -o "$O/s.corim" "$RIM/nic.corim"
	run -3 fwtrail rim sign --key "$T/none.pem" --signer S -o "$O/s.corim" "$RIM/nic.corim"
	assert_nothing_written
	cp "$RIM/nic.corim" "$O/in.corim"
	run -2 fwtrail rim sign --key "$K/ec-p256.pem" --signer S -o "$O/in.corim" --force "$O/in.corim"
	assert_output --partial "one of the inputs"
	cmp "$O/in.corim" "$RIM/nic.corim"
}

@test "sign: a signed CoRIM or a CoMID on its own is well formed but not signable: unsupported (6)" {
	snapshot_out "$O/s.corim"
	run -6 --separate-stderr fwtrail rim sign --key "$K/ec-p256.pem" --signer S -o "$O/s.corim" "$RIM/nic.signed.corim"
	assert_equal "$stderr" "fwtrail rim sign: '$RIM/nic.signed.corim': already signed (COSE_Sign1): only an unsigned CoRIM (tag 501) can be signed; sign the unsigned CoRIM it was made from"
	# the CoMID of nic.corim, as 506(bytes) and as the bare map
	"$PY" - "$RIM/nic.corim" "$T" <<-'PY'
		import cbor2, sys
		comid = cbor2.loads(open(sys.argv[1], "rb").read()).value[1][0]
		open(sys.argv[2] + "/comid.cbor", "wb").write(cbor2.dumps(comid))
		open(sys.argv[2] + "/comid-map.cbor", "wb").write(comid.value)
	PY
	for f in comid.cbor comid-map.cbor; do
		run -6 --separate-stderr fwtrail rim sign --key "$K/ec-p256.pem" --signer S -o "$O/s.corim" "$T/$f"
		assert_equal "$stderr" "fwtrail rim sign: '$T/$f': a CoMID on its own, not a CoRIM: only an unsigned CoRIM (tag 501) can be signed; put the CoMID in one first"
	done
	run -6 --separate-stderr fwtrail --json rim sign --key "$K/ec-p256.pem" --signer S -o "$O/s.corim" "$RIM/nic.signed.corim"
	run -0 jq -r '.ok, .error.code' <<< "$output"
	assert_output "false
unsupported"
	assert_nothing_written
}

@test "sign: a SWID tag is not a CoRIM: unsupported (6), said so, before any key is opened" {
	local swid="$TESTDATA/swid/good/base-rsa-sha256.swidtag"
	snapshot_out "$O/s.corim"
	run -6 --separate-stderr fwtrail rim sign --key "$K/ec-p256.pem" --signer S -o "$O/s.corim" "$swid"
	assert_equal "$stderr" "fwtrail rim sign: '$swid': a TCG SWID tag (XML), not a CoRIM: rim sign signs CoRIMs only; sign a SWID tag with an XMLDSig tool such as xmlsec1"
	assert_output ""
	# the key is never read: a missing one does not change the answer
	run -6 fwtrail rim sign --key "$T/none.pem" --signer S -o "$O/s.corim" "$swid"
	run -6 --separate-stderr fwtrail --json rim sign --key "$K/ec-p256.pem" --signer S -o "$O/s.corim" "$swid"
	run -0 jq -r '.ok, .error.code, .error.message' <<< "$output"
	assert_output "false
unsupported
'$swid': a TCG SWID tag (XML), not a CoRIM: rim sign signs CoRIMs only; sign a SWID tag with an XMLDSig tool such as xmlsec1"
	assert_nothing_written
}

@test "sign: without --not-after no validity is written, and the RIM does not expire" {
	fwtrail rim sign --key "$K/ec-p256.pem" --signer S -o "$O/open.corim" "$RIM/nic.corim"
	run -0 fwtrail rim verify --key "$K/ec-p256.pub" --at 2099-01-01T00:00:00Z "$O/open.corim"
	refute_output --partial "valid until"
	run -0 fwtrail --json rim sign --key "$K/ec-p256.pem" --signer S -o "$O/j.corim" "$RIM/nic.corim"
	run -0 jq -r .output <<< "$output"
	assert_output "$O/j.corim"
}

@test "T4: a trusted certificate counts only inside its validity at --at (or now), CoRIM and SWID" {
	local KEYS="$TESTDATA/keys" TR="$TESTDATA/trust" S="$TESTDATA/swid"
	fwtrail rim sign --key "$KEYS/p384.key.pem" --signer 'Test Signer' --not-before 2019-01-01 --not-after 2060-01-01 \
		-o "$O/p384.corim" "$RIM/nic.corim"
	run --separate-stderr -1 fwtrail rim verify --key "$TR/p384-expired.crt.pem" "$O/p384.corim"
	assert_equal "$stderr" ""
	assert_equal "$output" "FAIL $O/p384.corim: certificate '$TR/p384-expired.crt.pem' (O = fwtrail tests, CN = fwtrail test signer p384-expired) expired on 2021-01-01T00:00:00Z, checked at ${output: -20}"
	run -0 fwtrail rim verify --key "$TR/p384-expired.crt.pem" --at 2020-06-01 "$O/p384.corim"
	run -1 fwtrail rim verify --key "$TR/p384-expired.crt.pem" --at 2021-01-01T00:00:01Z "$O/p384.corim"
	assert_output --partial "expired on 2021-01-01T00:00:00Z, checked at 2021-01-01T00:00:01Z"
	run -1 fwtrail rim verify --trust "$TR/p384-future.crt.pem" "$O/p384.corim"
	assert_output --partial "is not valid before 2040-01-01T00:00:00Z"
	run -0 fwtrail rim verify --trust "$TR/p384-future.crt.pem" --at 2045-01-01 "$O/p384.corim"
	run -0 fwtrail rim verify --key "$KEYS/p384.crt.pem" "$O/p384.corim"
	run -1 fwtrail rim verify --key "$KEYS/p384.crt.pem" --at 2050-01-01 "$O/p384.corim"
	run -0 fwtrail rim verify --key "$KEYS/p384.pub.pem" --at 2050-01-01 "$O/p384.corim"   # bare: no dates
	# a folder holding the expired certificate and the bare key: the bare one vouches and is named
	mkdir -p "$T/trust"
	cp "$TR/p384-expired.crt.pem" "$T/trust/"
	run -1 fwtrail rim verify --trust "$T/trust" "$O/p384.corim"
	cp "$KEYS/p384.pub.pem" "$T/trust/"
	run -0 fwtrail rim verify --trust "$T/trust" "$O/p384.corim"
	assert_output --partial "key '$T/trust/p384.pub.pem'"
	# SWID: a signer certificate given with --key (2024-01-01 .. 2044-01-01)
	run -0 fwtrail rim verify --key "$S/keys/rsa-signer.pem" --at 2030-01-01 "$S/good/rsa-sha384-c14n11.swidtag"
	run -1 fwtrail rim verify --key "$S/keys/rsa-signer.pem" --at 2044-01-01T00:00:01Z "$S/good/rsa-sha384-c14n11.swidtag"
	assert_output --partial "CN = fwtrail test RIM signer rsa-3072) expired on 2044-01-01T00:00:00Z"
}

@test "a certificate with the DMTF SPDM EKU (a device identity) signs no RIM (1)" {
	local KEYS="$TESTDATA/keys" TR="$TESTDATA/trust"
	fwtrail rim sign --key "$KEYS/p384.key.pem" --signer 'Test Signer' -o "$O/p384.corim" "$RIM/nic.corim"
	run --separate-stderr -1 fwtrail rim verify --key "$TR/p384-spdm-eku.crt.pem" "$O/p384.corim"
	assert_equal "$output" "FAIL $O/p384.corim: certificate '$TR/p384-spdm-eku.crt.pem' (O = fwtrail tests, CN = fwtrail test signer p384-spdm-eku) is an SPDM device identity (DMTF SPDM extended key usage): a device's own key signs no firmware, report or reference values"
	run -1 fwtrail rim verify --trust "$TR/p384-spdm-eku.crt.pem" "$O/p384.corim"
	run -0 fwtrail rim verify --key "$TR/p384-current.crt.pem" "$O/p384.corim"
}

@test "T5: a signature by a revoked key fails (--revoked, a trust folder's revoked.txt); a malformed list is exit 4" {
	local KEYS="$TESTDATA/keys" S="$TESTDATA/swid" fp sfp
	fwtrail rim sign --key "$KEYS/p384.key.pem" --signer 'Test Signer' -o "$O/p384.corim" "$RIM/nic.corim"
	fp=$(fwtrail key export --json "$KEYS/p384.key.pem" | jq -r .sha256_fingerprint)
	printf '%s\n' "$fp" > "$T/rev.txt"
	run -0 fwtrail rim verify --key "$KEYS/p384.pub.pem" "$O/p384.corim"
	run --separate-stderr -1 fwtrail rim verify --key "$KEYS/p384.pub.pem" --revoked "$T/rev.txt" "$O/p384.corim"
	assert_equal "$output" "FAIL $O/p384.corim: key '$KEYS/p384.pub.pem' (sha256:$fp) is revoked ('$T/rev.txt' line 1)"
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" --revoked "$T/rev.txt" "$RIM/nic.signed.corim"   # another key
	mkdir -p "$T/trust"
	cp "$KEYS/p384.pub.pem" "$K/ec-p384.pub" "$T/trust/"
	printf '# revoked\nsha256:%s\n' "$fp" > "$T/trust/revoked.txt"
	run -1 fwtrail rim verify --trust "$T/trust" "$O/p384.corim" "$RIM/nic.signed.corim"
	assert_output --partial "is revoked ('$T/trust/revoked.txt' line 2)"
	assert_output --partial "OK $RIM/nic.signed.corim ("
	# SWID: the signer's key revoked, as --key and as the leaf of a chain to a trusted root
	sfp=$(openssl x509 -in "$S/keys/rsa-signer.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
	printf 'sha256:%s\n' "$sfp" > "$T/swid-rev.txt"
	run -0 fwtrail rim verify --key "$S/keys/rsa-signer.pem" "$S/good/rsa-sha384-c14n11.swidtag"
	run -1 fwtrail rim verify --key "$S/keys/rsa-signer.pem" --revoked "$T/swid-rev.txt" "$S/good/rsa-sha384-c14n11.swidtag"
	assert_output --partial "(sha256:$sfp) is revoked ('$T/swid-rev.txt' line 1)"
	run -0 fwtrail rim verify --trust "$S/keys/ca.pem" "$S/good/base-rsa-sha256.swidtag"
	run -1 fwtrail rim verify --trust "$S/keys/ca.pem" --revoked "$T/swid-rev.txt" "$S/good/base-rsa-sha256.swidtag"
	assert_output --partial "sha256:$sfp) is revoked"
	# malformed lists: exit 4 naming the file and line, before any RIM is read
	printf 'sha256:%s\n\n%s-\n' "$fp" "$fp" > "$T/trust/revoked.txt"
	run --separate-stderr -4 fwtrail rim verify --trust "$T/trust" "$RIM/nic.signed.corim"
	assert_equal "$stderr" "fwtrail rim verify: revocation list '$T/trust/revoked.txt' line 3: not a SHA-256 key fingerprint (64 hex digits, optionally after 'sha256:')"
	run -4 fwtrail rim verify --key "$K/ec-p384.pub" --revoked "$T/trust/revoked.txt" "$RIM/nic.signed.corim"
}

@test "a NUL in a CoRIM's text (vendor, a measurement key, the signer) is malformed for show, sign and verify (exit 4)" {
	local k
	# nic.corim with one text holding a NUL, and the same re-encoded unchanged
	for k in none vendor mkey; do
		"$PY" - "$RIM/nic.corim" "$k" "$O/$k.corim" <<'PY'
import cbor2, sys
src, what, out = sys.argv[1:4]
enc = lambda x: cbor2.dumps(x, canonical=True)
m = cbor2.loads(open(src, "rb").read()).value
comid = cbor2.loads(m[1][0].value)
env, meas = comid[4][0][0]
if what == "vendor":
    env[0][1] = "ACME Inc.\x00 - actually Evil Corp"
elif what == "mkey":
    meas[2][0] = "firmware-version\x00-other"
m[1][0] = cbor2.CBORTag(506, enc(comid))
open(out, "wb").write(enc(cbor2.CBORTag(501, m)))
PY
		"$PY" "$ROOT/scripts/interop-cose.py" sign "$O/$k.corim" "$K/ec-p384.pem" "$O/$k.signed.corim"
	done
	run -0 fwtrail rim show "$O/none.corim"
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" "$O/none.signed.corim"
	local where=/tags/0/triples/reference-triples/0
	run -4 fwtrail rim show "$O/vendor.corim"
	assert_output "fwtrail rim show: '$O/vendor.corim': malformed CoRIM at $where/environment/class/vendor: text holds a NUL character at byte 9"
	run -4 fwtrail rim verify --key "$K/ec-p384.pub" "$O/vendor.signed.corim"
	assert_output --partial "malformed CoRIM at $where/environment/class/vendor: text holds a NUL character at byte 9"
	run -4 fwtrail rim show --json "$O/mkey.signed.corim"
	run -4 fwtrail rim verify --key "$K/ec-p384.pub" "$O/mkey.signed.corim"
	assert_output --partial "malformed CoRIM at $where/measurements/2/mkey: text holds a NUL character at byte 16"
	snapshot_out "$O/s.corim"
	run -4 fwtrail rim sign --key "$K/ec-p384.pem" --signer S -o "$O/s.corim" "$O/vendor.corim"
	assert_nothing_written
	# the signer's name in corim-meta
	"$PY" "$ROOT/scripts/interop-sfr.py" sign-dated "$RIM/nic.corim" "$K/ec-p384.pem" "$O/meta.corim" sign1 meta - 4102444800
	"$PY" - "$O/meta.corim" <<'PY'
import cbor2, sys
data = open(sys.argv[1], "rb").read()
assert data.count(b"interop signer") == 1
open(sys.argv[1], "wb").write(data.replace(b"interop signer", b"interop\x00signer"))
PY
	run -4 fwtrail rim show "$O/meta.corim"
	assert_output --partial "malformed CoRIM at /corim-meta/signer-name: text holds a NUL character at byte 7"
}

@test "CWT claims beside corim-meta: their exp and nbf bind too, and show prints them" {
	"$PY" "$ROOT/scripts/interop-sfr.py" sign-dated "$RIM/nic.corim" "$K/ec-p384.pem" "$O/both.corim" sign1 meta+cwt 1000000000 1100000000
	# corim-meta alone is open to 2100; the CWT exp of 2004 was ignored
	run -1 fwtrail rim verify --key "$K/ec-p384.pub" "$O/both.corim"
	assert_output --regexp "^FAIL $O/both.corim: expired: valid until 2004-11-09T11:33:19Z, checked at 20[0-9-]{8}T[0-9:]{8}Z$"
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" --at 2003-01-01 "$O/both.corim"
	assert_output "OK $O/both.corim (ES384, key '$K/ec-p384.pub', valid until 2004-11-09T11:33:19Z)"
	# not accepted on or after the CWT exp (RFC 8392 3.1.4)
	run -1 fwtrail rim verify --key "$K/ec-p384.pub" --at 2004-11-09T11:33:20Z "$O/both.corim"
	run -1 fwtrail rim verify --key "$K/ec-p384.pub" --at 2001-01-01 "$O/both.corim"
	assert_output --partial "not yet valid: valid from 2001-09-09T01:46:40Z"
	run -0 fwtrail rim show "$O/both.corim"
	assert_line "  signature validity: 1970-01-01T00:00:00Z to 2100-01-01T00:00:00Z"
	assert_line "  CWT validity: 2001-09-09T01:46:40Z to 2004-11-09T11:33:20Z"
	run -0 fwtrail rim show --json "$O/both.corim"
	run -0 jq -c '.rim.signature.meta | [.source, .signer.name, .signature_validity.not_after, .cwt_validity.not_after]' <<< "$output"
	assert_output '["corim-meta","interop signer","2100-01-01T00:00:00Z","2004-11-09T11:33:20Z"]'
	# CWT claims alone, as before
	"$PY" "$ROOT/scripts/interop-sfr.py" sign-dated "$RIM/nic.corim" "$K/ec-p384.pem" "$O/cwt.corim" sign1 cwt - 1100000000
	run -1 fwtrail rim verify --key "$K/ec-p384.pub" "$O/cwt.corim"
	assert_output --partial "expired: valid until 2004-11-09T11:33:19Z"
	run -0 fwtrail rim show --json "$O/cwt.corim"
	run -0 jq -c '.rim.signature.meta | [.source, .signer.name, .signature_validity.not_after]' <<< "$output"
	assert_output '["CWT claims","interop signer","2004-11-09T11:33:20Z"]'
}

@test "several RIMs that cannot be checked: the highest status wins, whatever their order; --trust with --key is refused" {
	mkdir "$T/folder"
	for order in "/nonexistent.corim $RIM/bad/truncated.corim" "$RIM/bad/truncated.corim /nonexistent.corim" \
		"$T/folder $RIM/bad/truncated.corim" "$RIM/bad/truncated.corim $T/folder"; do
		# shellcheck disable=SC2086
		run --separate-stderr -4 fwtrail rim verify --key "$K/ec-p384.pub" $order
	done
	run --separate-stderr -4 fwtrail rim verify --json --key "$K/ec-p384.pub" /nonexistent.corim "$RIM/bad/truncated.corim"
	assert_equal "$(jq -r .error.code <<< "$output")" malformed
	assert_equal "$(jq -r '.results | length' <<< "$output")" 2
	# --trust is repeatable; --trust and --key together are not a choice made
	run -2 fwtrail rim verify --trust "$K/ec-p384.pub" --key "$K/ec-p384.pub" "$RIM/nic.corim"
	assert_output --partial "--trust and --key cannot be combined"
	run -2 fwtrail rim verify "$RIM/nic.corim"
	assert_output --partial "give the keys to trust with --trust or --key"
}

@test "an RSA-PSS CoRIM is verified only with the key size its algorithm is bound to (PS384 RSA-3072, PS512 RSA-4096)" {
	cd "$T"
	$PY - "$RIM" "$TESTDATA/sfr/keys" <<'PY'
import cbor2, sys
from cryptography.hazmat.primitives import serialization, hashes
from cryptography.hazmat.primitives.asymmetric import padding
R, S = sys.argv[1] + "/", sys.argv[2] + "/"
d = cbor2.loads(open(R + "nic.signed.corim", "rb").read()).value
pm = cbor2.loads(d[0]); payload = d[2]
def mk(out, alg, keyfile, h, salt):
    pm[1] = alg; prot = cbor2.dumps(pm)
    k = serialization.load_pem_private_key(open(keyfile, "rb").read(), None)
    tbs = cbor2.dumps(["Signature1", prot, b"", payload])
    sig = k.sign(tbs, padding.PSS(padding.MGF1(h), salt), h)
    open(out, "wb").write(cbor2.dumps(cbor2.CBORTag(18, [prot, {}, payload, sig])))
mk("ps384-rsa2048.corim", -38, R + "keys/rsa-2048.pem", hashes.SHA384(), 48)
mk("ps256-rsa2048.corim", -37, R + "keys/rsa-2048.pem", hashes.SHA256(), 32)
mk("ps512-rsa2048.corim", -39, R + "keys/rsa-2048.pem", hashes.SHA512(), 64)
mk("ps384-rsa4096.corim", -38, S + "ps512.key.pem", hashes.SHA384(), 48)
mk("ps512-rsa3072.corim", -39, S + "ps384.key.pem", hashes.SHA512(), 64)
mk("ps384-rsa3072.corim", -38, S + "ps384.key.pem", hashes.SHA384(), 48)
mk("ps512-rsa4096.corim", -39, S + "ps512.key.pem", hashes.SHA512(), 64)
PY
	local spec f key desc
	for spec in ps384-rsa2048:$K/rsa-2048.pub:PS384:rsa-2048 ps256-rsa2048:$K/rsa-2048.pub:PS256:rsa-2048 \
		ps512-rsa2048:$K/rsa-2048.pub:PS512:rsa-2048 ps384-rsa4096:$TESTDATA/sfr/keys/ps512.pub.pem:PS384:rsa-4096 \
		ps512-rsa3072:$TESTDATA/sfr/keys/ps384.pub.pem:PS512:rsa-3072; do
		IFS=: read -r f key alg desc <<< "$spec"
		run -1 fwtrail rim verify --key "$key" --at 2030-01-01T00:00:00Z "$f.corim"
		assert_output "FAIL $f.corim: algorithm $alg does not fit key '$key' ($desc)"
	done
	# the bound pairs, made the same way, verify: the refusals are the binding
	run -0 fwtrail rim verify --key "$TESTDATA/sfr/keys/ps384.pub.pem" --at 2030-01-01T00:00:00Z ps384-rsa3072.corim
	run -0 fwtrail rim verify --key "$TESTDATA/sfr/keys/ps512.pub.pem" --at 2030-01-01T00:00:00Z ps512-rsa4096.corim
}

@test "C7: header shape, alg and crit placement, crit items, content type and kid, each under a good ES384 signature" {
	cd "$T"
	# nic.signed.corim's protected header {1: -35, 3: ct, 4: kid, 8: meta} and
	# payload, re-signed with ec-p384 (raw r||s) so that only the rule breaks
	$PY - "$RIM" <<'PY'
import cbor2, sys
from cryptography.hazmat.primitives import serialization, hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
R = sys.argv[1] + "/"
d = cbor2.loads(open(R + "nic.signed.corim", "rb").read()).value
pm = cbor2.loads(d[0]); payload = d[2]
k = serialization.load_pem_private_key(open(R + "keys/ec-p384.pem", "rb").read(), None)
def mk(out, prot, unprot=None):
    if not isinstance(prot, bytes):
        prot = cbor2.dumps(prot, canonical=True) # shortest floats too
    tbs = cbor2.dumps(["Signature1", prot, b"", payload])
    r, s = utils.decode_dss_signature(k.sign(tbs, ec.ECDSA(hashes.SHA384())))
    sig = r.to_bytes(48, "big") + s.to_bytes(48, "big")
    open(out, "wb").write(cbor2.dumps(cbor2.CBORTag(18, [prot, unprot or {}, payload, sig])))
def w(**kv):
    m = dict(pm)
    for key, v in kv.items():
        key = int(key[1:]) if key[0] == "l" else key
        if v is None: del m[key]
        else: m[key] = v
    return m
mk("resigned.corim", w())
mk("prot-empty.corim", b"")
mk("prot-a0.corim", b"\xa0")
mk("prot-empty-alg-unprot.corim", b"", {1: -35})
mk("alg-unprot.corim", w(l1=None), {1: -35})
mk("crit-unprot.corim", w(), {2: [1]})
mk("crit-text-unknown.corim", w(l2=["x-foo"], **{"x-foo": True}))
mk("crit-float.corim", w(l2=[1.5]))
mk("crit-map.corim", w(l2=[1, {}]))
mk("crit-alg.corim", w(l2=[1]))
mk("ct-cbor.corim", w(l3="application/cbor"))
mk("ct-coap-id.corim", w(l3=60))
mk("ct-param.corim", w(l3="application/rim+cbor; x=y"))
mk("ct-upper.corim", w(l3="Application/RIM+CBOR"))
mk("kid-text.corim", w(l4=None), {4: "acme-2026"})
mk("kid-bytes.corim", w(l4=None), {4: b"acme-2026"})
mk("kid-text-prot.corim", w(l4="acme-2026"))
PY
	local f key=$K/ec-p384.pub ct="the protected header's content type is not application/rim+cbor"
	# the control: the same re-signing verifies, as do crit naming alg and a
	# bstr kid in the unprotected bucket
	for f in resigned crit-alg kid-bytes; do
		run --separate-stderr -0 fwtrail rim verify --key "$key" --at 2030-01-01T00:00:00Z "$f.corim"
		assert_output "OK $f.corim (ES384, key '$key', valid until 2036-01-01T00:00:00Z)"
	done
	# h'' and h'a0' are both read as an empty protected map (RFC 9052 3), so
	# neither is a shape error: what they lack is the content type (checked
	# before alg) - exit 4, fwtrail-rim-verify(1) step 1
	declare -A want=(
		[prot-empty]="4:$ct" [prot-a0]="4:$ct"
		[prot-empty-alg-unprot]="4:COSE_Sign1: alg is in the unprotected header"
		[alg-unprot]="4:COSE_Sign1: alg is in the unprotected header"
		[crit-unprot]="4:COSE_Sign1: crit is in the unprotected header"
		[crit-float]="4:COSE_Sign1: crit holds something that is not a label"
		[crit-map]="4:COSE_Sign1: crit holds something that is not a label"
		# a label fwtrail does not process: "unsupported ... signature shape"
		# (6, fwtrail-rim-verify(1) EXIT STATUS), not RELIABILITY.md C7's 4
		[crit-text-unknown]="6:COSE_Sign1: critical header parameter x-foo is not understood"
		[ct-cbor]="4:$ct" [ct-coap-id]="4:$ct" [ct-param]="4:$ct" [ct-upper]="4:$ct"
		# kid a byte string, as fwtrail-sfr-verify(1) says for a COSE report
		[kid-text]="4:COSE_Sign1: kid is not a byte string"
		[kid-text-prot]="4:COSE_Sign1: kid is not a byte string"
	)
	for f in "${!want[@]}"; do
		run --separate-stderr -"${want[$f]%%:*}" fwtrail rim verify --key "$key" --at 2030-01-01T00:00:00Z "$f.corim"
		assert_equal "$stderr" "fwtrail rim verify: '$f.corim': ${want[$f]#*:}"
		assert_output ""
	done
}

@test "--support with a CoRIM is a usage error (exit 2), never quietly unused" {
	run --separate-stderr -2 fwtrail rim verify --key "$TESTDATA/server/trust/vendor.pub" \
		--support "$TESTDATA/firmware/bios-4.1.0.bin" "$TESTDATA/server/rim/vendor.signed.corim"
	assert_equal "$stderr" "fwtrail rim verify: '$TESTDATA/server/rim/vendor.signed.corim': --support names a SWID tag's support RIM, and a CoRIM has none"
	assert_output ""
}

@test "--key with a PEM of several keys says to give the file with --trust (exit 4), in text and JSON" {
	cat "$K/ec-p384.pub" "$K/ec-p256.pub" > "$T/two.pem"
	run --separate-stderr -4 fwtrail rim verify --key "$T/two.pem" "$RIM/nic.signed.corim"
	assert_equal "$stderr" "fwtrail rim verify: '$T/two.pem' holds 2 keys or certificates, and --key trusts one: give the file with --trust"
	assert_output ""
	run --separate-stderr -4 fwtrail rim verify --json --key "$T/two.pem" "$RIM/nic.signed.corim"
	run -0 jq -r '.error.message' <<< "$output"
	assert_output "'$T/two.pem' holds 2 keys or certificates, and --key trusts one: give the file with --trust"
	# given as --trust, the same file is a trust store
	run -0 fwtrail rim verify --trust "$T/two.pem" --at 2030-01-01T00:00:00Z "$RIM/nic.signed.corim"
	# a file that is no key at all keeps its own message
	printf -- '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' > "$T/bad.pem"
	run --separate-stderr -4 fwtrail rim verify --key "$T/bad.pem" "$RIM/nic.signed.corim"
	assert_equal "$stderr" "fwtrail rim verify: '$T/bad.pem' is not a public key, certificate or JWK: unsupported"
}

# Two failures put their message in the RIM's own result but not in the
# context the top-level "error" read, so --json for one RIM gave
# "message": "" (found reading the page against the binary).
@test "--json with one RIM: the top-level error carries that RIM's message (not a RIM, --support with a CoRIM)" {
	printf 'hello\n' > "$T/hello.txt"
	run --separate-stderr -6 fwtrail rim verify --json --key "$K/ec-p384.pub" "$T/hello.txt"
	run -0 jq -r '.error.code, .error.message, .results[0].error.message' <<< "$output"
	assert_output "unsupported
not a RIM fwtrail reads (a CoRIM is CBOR, a TCG SWID tag is XML)
not a RIM fwtrail reads (a CoRIM is CBOR, a TCG SWID tag is XML)"
	run --separate-stderr -2 fwtrail rim verify --json --key "$TESTDATA/server/trust/vendor.pub" \
		--support "$TESTDATA/firmware/bios-4.1.0.bin" "$TESTDATA/server/rim/vendor.signed.corim"
	run -0 jq -r '.error.code, .error.message' <<< "$output"
	assert_output "usage
--support names a SWID tag's support RIM, and a CoRIM has none"
	# several RIMs keep the summary
	run --separate-stderr -6 fwtrail rim verify --json --key "$K/ec-p384.pub" "$T/hello.txt" "$RIM/nic.signed.corim"
	run -0 jq -r '.error.message' <<< "$output"
	assert_output "not every RIM verified"
}

# craft OUT KIND: a CoRIM signed with ec-p384 whose protected header or
# payload is out of the CDDL's shape in one way (KIND), the signature good.
craft() {
	"$PY" - "$RIM/nic.corim" "$K/ec-p384.pem" "$1" "$2" <<'PY'
import sys, cbor2
from cryptography.hazmat.primitives import serialization, hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
src, keyf, out, kind = sys.argv[1:]
key = serialization.load_pem_private_key(open(keyf, "rb").read(), None)
corim = cbor2.loads(open(src, "rb").read())
assert corim.tag == 501
body = dict(corim.value)
T = cbor2.CBORTag
meta = {0: {0: "S"}, 1: {1: T(1, 2082758400)}}
ph = {1: -35, 3: "application/rim+cbor"}
if kind == "cwt-no-iss":     ph[15] = {4: 2082758400}
elif kind == "cwt-text-exp": ph[15] = {1: "S", "exp": 1}
elif kind == "meta-untagged": meta[1] = {1: 2082758400}
elif kind == "meta-tag0":    meta[1] = {1: T(0, "2036-01-01T00:00:00Z")}
elif kind == "meta-key2":    meta[2] = "x"
elif kind == "comid-map":    body[1] = [T(506, cbor2.loads(t.value)) for t in body[1]]
elif kind == "no-meta":      pass
elif kind == "meta-text-key": meta["x"] = 1
elif kind == "cwt-bytes-key": ph[15] = {1: "S", b"\x04": 1}
elif kind == "uri-untagged": meta[0][1] = "https://signer.example"
elif kind == "uri-tagged":   meta[0][1] = T(32, "https://signer.example")
elif kind == "nb-fraction":  meta[1] = {0: T(1, 1767225600.9), 1: T(1, 2082758400)}
if kind != "no-meta" and 15 not in ph:
    ph[8] = cbor2.dumps(meta)
payload = cbor2.dumps(T(501, body))
p = cbor2.dumps(ph)
der = key.sign(cbor2.dumps(["Signature1", p, b"", payload]), ec.ECDSA(hashes.SHA384()))
r, s = utils.decode_dss_signature(der)
msg = cbor2.dumps(T(18, [p, {}, None if kind == "detached" else payload, r.to_bytes(48, "big") + s.to_bytes(48, "big")]))
open(out, "wb").write(b"\xd9\xd9\xf7" + msg if kind == "self-described" else msg)
PY
}

@test "CWT claims and corim-meta of the CDDL's types only: no iss, text claim keys, untagged or text times, key 2 (exit 4)" {
	local kind
	for kind in cwt-no-iss cwt-text-exp meta-untagged meta-tag0 meta-key2; do
		craft "$O/$kind.corim" $kind
		run -4 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/$kind.corim"
		case $kind in
		cwt-no-iss) msg="malformed CoRIM at /CWT-claims: no iss (1)" ;;
		cwt-text-exp) msg="malformed CoRIM at /CWT-claims: claim key 'exp' is not an integer (CWT claims take integer keys only)" ;;
		meta-untagged|meta-tag0) msg="malformed CoRIM at /corim-meta/signature-validity: not-after is not a time (#6.1(number))" ;;
		meta-key2) msg="malformed CoRIM at /corim-meta: unknown key 2 (corim-meta-map takes 0 and 1 only)" ;;
		esac
		assert_equal "$stderr" "fwtrail rim verify: '$O/$kind.corim': $msg"
	done
	# as crafted, with well-typed claims, the same signature verifies
	craft "$O/good.corim" good
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" "$O/good.corim"
}

@test "a CoMID as 506(map) is refused by verify and sign (exit 4); rim show still reads it" {
	craft "$O/comid-map.corim" comid-map
	run -4 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/comid-map.corim"
	assert_equal "$stderr" "fwtrail rim verify: '$O/comid-map.corim': malformed CoRIM at /tags/0: a CoMID is 506(bytes .cbor concise-mid-tag), not 506(map) as older encoders wrote it"
	"$PY" -c 'import sys,cbor2; c=cbor2.loads(open(sys.argv[1],"rb").read()); b=dict(c.value); b[1]=[cbor2.CBORTag(506, cbor2.loads(t.value)) for t in b[1]]; open(sys.argv[2],"wb").write(cbor2.dumps(cbor2.CBORTag(501,b)))' "$RIM/nic.corim" "$O/u-map.corim"
	run -4 --separate-stderr fwtrail rim sign --key "$K/ec-p384.pem" --signer S -o "$O/s.corim" "$O/u-map.corim"
	assert [ ! -e "$O/s.corim" ]
	run -0 fwtrail rim show "$O/comid-map.corim"
}

@test "rim verify --json: \"invalid\" only for a signature checked and wrong, \"not_checked\" when it never was" {
	craft "$O/no-meta.corim" no-meta
	run -4 --separate-stderr fwtrail --json rim verify --key "$K/ec-p384.pub" "$O/no-meta.corim"
	run -0 jq -c '[.results[0].signature, .error.code]' <<< "$output"
	assert_output '["not_checked","malformed"]'
	# checked with a key that did not sign it: invalid
	craft "$O/good.corim" good
	run -1 --separate-stderr fwtrail --json rim verify --key "$K/ec-p256.pub" "$O/good.corim"
	run -0 jq -c '[.results[0].signature, .error.code]' <<< "$output"
	assert_output '["not_checked","verify_failed"]'
	run -1 --separate-stderr fwtrail --json rim verify --key "$TESTDATA/keys/other-p384.pub.pem" "$O/good.corim"
	run -0 jq -c '[.results[0].signature, .error.code]' <<< "$output"
	assert_output '["invalid","verify_failed"]'
	run -0 --separate-stderr fwtrail --json rim verify --key "$K/ec-p384.pub" "$O/good.corim"
	run -0 jq -c '[.results[0].signature, .ok]' <<< "$output"
	assert_output '["valid",true]'
}

@test "a corim-meta or CWT claims key that is no integer is named in the message (exit 4), never by its position" {
	craft "$O/meta.corim" meta-text-key
	run -4 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/meta.corim"
	assert_equal "$stderr" "fwtrail rim verify: '$O/meta.corim': malformed CoRIM at /corim-meta: key 'x' is not an integer (corim-meta-map takes 0 and 1 only)"
	craft "$O/cwt.corim" cwt-bytes-key
	run -4 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/cwt.corim"
	assert_equal "$stderr" "fwtrail rim verify: '$O/cwt.corim': malformed CoRIM at /CWT-claims: claim key h'04' is not an integer (CWT claims take integer keys only)"
}

@test "signer-uri is #6.32(tstr): untagged text is malformed for verify (exit 4), shown by show" {
	craft "$O/untagged.corim" uri-untagged
	run -4 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/untagged.corim"
	assert_equal "$stderr" "fwtrail rim verify: '$O/untagged.corim': malformed CoRIM at /corim-meta/signer-uri: not a URI: the CDDL's uri is #6.32(tstr), text tagged 32"
	run -0 fwtrail rim show "$O/untagged.corim"
	assert_line --index 1 "  signer: S <https://signer.example>"
	craft "$O/tagged.corim" uri-tagged
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" "$O/tagged.corim"
}

@test "a detached payload is unsupported (exit 6), not malformed; one self-described CBOR tag (55799) before the message is skipped" {
	craft "$O/detached.corim" detached
	run -6 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/detached.corim"
	assert_equal "$stderr" "fwtrail rim verify: '$O/detached.corim': the signed CoRIM's payload is detached (nil): fwtrail reads CoRIMs that carry their payload"
	run -6 --separate-stderr fwtrail rim show "$O/detached.corim"
	craft "$O/sd.corim" self-described
	run -0 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/sd.corim"
	assert_output "OK $O/sd.corim (ES384, key '$K/ec-p384.pub', valid until 2036-01-01T00:00:00Z)"
	run -0 fwtrail rim show "$O/sd.corim"
	assert_line --index 0 --partial "(signed: COSE_Sign1 ES384"
	# two such tags are not one
	{ printf '\xd9\xd9\xf7'; cat "$O/sd.corim"; } > "$O/sd2.corim"
	run -4 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/sd2.corim"
	[[ $stderr == *"unexpected tag 55799"* ]] || fail "$stderr"
	# an unsigned CoRIM with the tag before it signs as the CoRIM it is
	{ printf '\xd9\xd9\xf7'; cat "$TESTDATA/rim/nic.corim"; } > "$O/sdu.corim"
	run -0 fwtrail rim sign --key "$K/ec-p384.pem" --signer t --not-after 2036-01-01 -o "$O/sdu.signed" "$O/sdu.corim"
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" --at 2030-01-01 "$O/sdu.signed"
	run -0 fwtrail rim show "$O/sdu.signed"
}

@test "a not-before with a fraction of a second counts from the next whole second, never before the instant signed" {
	craft "$O/nb.corim" nb-fraction
	run -1 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" --at 2026-01-01T00:00:00Z "$O/nb.corim"
	assert_output "FAIL $O/nb.corim: not yet valid: valid from 2026-01-01T00:00:01Z, checked at 2026-01-01T00:00:00Z"
	run -0 fwtrail rim verify --key "$K/ec-p384.pub" --at 2026-01-01T00:00:01Z "$O/nb.corim"
}

# unsigned CoRIM of one raw reference {0: 7, 1: MVAL} for vendor ACME, model DEV
# (the raw SPDM blocks of testdata/evidence/spdm/spdm12.bin), signed by Python
raw_rim() { # out mval-kind
	"$PY" - "$1" "$2" <<'PY'
import cbor2, sys
T = cbor2.CBORTag
out, kind = sys.argv[1:]
v = b"\x05" + bytes(7)
mval = {"mask-short": {4: T(563, [v, b"\xff"])}, "svn-big": {1: 2**64 - 1, 4: T(560, v)}}[kind]
c = {1: {0: kind}, 4: {0: [[{0: {1: "ACME", 2: "DEV"}}, [{0: 7, 1: mval}]]]}}
open(out, "wb").write(cbor2.dumps(T(501, {0: kind, 1: [T(506, cbor2.dumps(c, canonical=True))]}), canonical=True))
PY
	"$PY" "$ROOT/scripts/interop-cose.py" sign "$1" "$K/ec-p384.pem" "$1.signed"
}

@test "a raw value whose mask is not as long as it is malformed (exit 4) for sign, verify, show and attest check alike, at its path" {
	local E="$TESTDATA/evidence/spdm/spdm12.bin"
	local msg="malformed CoRIM at /tags/0/triples/reference-triples/0/measurements/0/mval/raw-value: the raw value of measurement 7 is 8 bytes but its mask 1: a mask is as long as its value"
	raw_rim "$O/m.corim" mask-short
	run -4 --separate-stderr fwtrail rim sign --key "$K/ec-p384.pem" --signer S -o "$O/m.out" "$O/m.corim"
	assert_equal "$stderr" "fwtrail rim sign: '$O/m.corim': $msg"
	assert [ ! -e "$O/m.out" ]
	run -4 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/m.corim.signed"
	assert_equal "$stderr" "fwtrail rim verify: '$O/m.corim.signed': $msg"
	run -4 --separate-stderr fwtrail rim show "$O/m.corim.signed"
	assert_equal "$stderr" "fwtrail rim show: '$O/m.corim.signed': $msg"
	run -4 --separate-stderr fwtrail attest check --evidence "$E" --rim "$O/m.corim.signed" --key "$K/ec-p384.pub"
	assert_equal "$stderr" "fwtrail attest check: '$O/m.corim.signed': $msg"
}

@test "an SVN above 2^63-1 is unsupported (exit 6) for sign, verify, show and attest check alike, naming the RIM" {
	local E="$TESTDATA/evidence/spdm/spdm12.bin"
	local msg="CoRIM at /tags/0/triples/reference-triples/0/measurements/0/mval/svn: the SVN of measurement 7, 18446744073709551615, is above 2^63-1, the largest fwtrail compares"
	raw_rim "$O/s.corim" svn-big
	run -6 --separate-stderr fwtrail rim sign --key "$K/ec-p384.pem" --signer S -o "$O/s.out" "$O/s.corim"
	assert_equal "$stderr" "fwtrail rim sign: '$O/s.corim': $msg"
	assert [ ! -e "$O/s.out" ]
	run -6 --separate-stderr fwtrail rim verify --key "$K/ec-p384.pub" "$O/s.corim.signed"
	assert_equal "$stderr" "fwtrail rim verify: '$O/s.corim.signed': $msg"
	run -6 --separate-stderr fwtrail rim show "$O/s.corim.signed"
	assert_equal "$stderr" "fwtrail rim show: '$O/s.corim.signed': $msg"
	run -6 --separate-stderr fwtrail attest check --evidence "$E" --rim "$O/s.corim.signed" --key "$K/ec-p384.pub"
	assert_equal "$stderr" "fwtrail attest check: '$O/s.corim.signed': $msg"
}

@test "--json: key_fingerprint is the key export fingerprint of the key that verified each RIM; null when none did" {
	local S="$TESTDATA/swid"
	fp=$(fwtrail --json key export "$K/ec-p384.pub" | jq -r .sha256_fingerprint)
	sfp=$(fwtrail --json key export "$S/keys/rsa-signer.pem" | jq -r .sha256_fingerprint)
	[[ $fp =~ ^[0-9a-f]{64}$ && $sfp =~ ^[0-9a-f]{64}$ ]]
	sign ec-p384 "$O/p384.corim"
	sign ec-p256 "$O/p256.corim"
	printf '\xa1' > "$O/bad.corim"
	mkdir -p "$T/trust"
	cp "$K"/ec-p521.pub "$K"/ec-p384.pub "$T/trust/"
	# verified, no trusted key fits, malformed
	run --separate-stderr -4 fwtrail --json rim verify --trust "$T/trust" --at 2030-01-01 "$O/p384.corim" "$O/p256.corim" "$O/bad.corim"
	assert_equal "$(jq -c '[.results[] | [.ok, .key_fingerprint]]' <<< "$output")" "[[true,\"$fp\"],[false,null],[false,null]]"
	# the certificate's key; an expired RIM still names the key whose signature verified
	run --separate-stderr -1 fwtrail --json rim verify --key "$K/ec-p384.crt" --at 2040-01-01 "$O/p384.corim"
	assert_equal "$(jq -c '[.results[] | [.ok, .validity.status, .key_fingerprint]]' <<< "$output")" "[[false,\"expired\",\"$fp\"]]"
	# a SWID tag: the signer's certificate given with --key
	run --separate-stderr -0 fwtrail --json rim verify --key "$S/keys/rsa-signer.pem" --at 2030-01-01 "$S/good/rsa-sha384-c14n11.swidtag"
	assert_equal "$(jq -r '.results[0].key_fingerprint' <<< "$output")" "$sfp"
	run --separate-stderr -1 fwtrail --json rim verify --key "$K/rsa-3072.pub" --at 2030-01-01 "$S/good/rsa-sha384-c14n11.swidtag"
	assert_equal "$(jq -c '.results[0] | [.ok, .key_fingerprint]' <<< "$output")" "[false,null]"
}
