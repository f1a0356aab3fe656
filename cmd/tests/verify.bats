#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail verify: raw and CMS signatures from fwtrail and from the openssl
# CLI; forgeries, wrong keys, changed files (1); malformed signature files
# (4); unsupported algorithms (6); usage and I/O errors.

load helpers

KEYS="$TESTDATA/keys"

setup() {
	W=$BATS_TEST_TMPDIR/w
	mkdir -p "$W"
	cd "$W" || return 1
	printf 'firmware image\n' > fw.bin
	head -c 50000 /dev/urandom > big.bin
}

@test "raw signatures made by openssl dgst verify, for every OCP algorithm" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out p384.sig fw.bin
	openssl dgst -sha512 -sign "$KEYS/p521.key.pem" -out p521.sig fw.bin
	openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sign "$KEYS/rsa3072.key.pem" -out r3.sig fw.bin
	openssl dgst -sha512 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:64 -sign "$KEYS/rsa4096.key.pem" -out r4.sig fw.bin
	run --separate-stderr -0 fwtrail verify --key "$KEYS/p384.pub.pem" p384.sig fw.bin
	assert_output "OK fw.bin (ES384 raw signature 'p384.sig')"
	run -0 fwtrail verify --key "$KEYS/p521.pub.pem" p521.sig fw.bin
	assert_output "OK fw.bin (ES512 raw signature 'p521.sig')"
	run -0 fwtrail verify --cert "$KEYS/rsa3072.crt.pem" r3.sig fw.bin
	assert_output "OK fw.bin (PS384 raw signature 'r3.sig')"
	run -0 fwtrail verify --key "$KEYS/rsa4096.pub.pem" r4.sig fw.bin
	assert_output "OK fw.bin (PS512 raw signature 'r4.sig')"
}

@test "CMS made by openssl cms verifies: with and without signed attributes, ECDSA and RSA-PSS" {
	openssl cms -sign -binary -in big.bin -signer "$KEYS/p384.crt.pem" -inkey "$KEYS/p384.key.pem" -outform DER -md sha384 -out a.p7s
	openssl cms -sign -binary -noattr -in big.bin -signer "$KEYS/p521.crt.pem" -inkey "$KEYS/p521.key.pem" -outform DER -md sha512 -out b.p7s
	openssl cms -sign -binary -in big.bin -signer "$KEYS/rsa4096.crt.pem" -inkey "$KEYS/rsa4096.key.pem" -outform DER -md sha512 \
		-keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:64 -out c.p7s
	run -0 fwtrail verify --cert "$KEYS/p384.crt.pem" a.p7s big.bin
	assert_output "OK big.bin (ES384 cms signature 'a.p7s')"
	run -0 fwtrail verify --key "$KEYS/p521.pub.pem" b.p7s big.bin
	assert_output "OK big.bin (ES512 cms signature 'b.p7s')"
	run -0 fwtrail verify --cert "$KEYS/rsa4096.crt.pem" c.p7s big.bin
	assert_output "OK big.bin (PS512 cms signature 'c.p7s')"
}

@test "fwtrail's own signatures verify with openssl and fwtrail; several pairs in one call" {
	run -0 fwtrail sign --key "$KEYS/p521.key.pem" fw.bin
	run -0 fwtrail sign --key "$KEYS/rsa3072.key.pem" --format cms --cert "$KEYS/rsa3072.crt.pem" big.bin
	run -0 openssl dgst -sha512 -verify "$KEYS/p521.pub.pem" -signature fw.bin.sig fw.bin
	run -0 openssl cms -verify -binary -inform DER -in big.bin.p7s -content big.bin -CAfile "$KEYS/ca.crt.pem" -out /dev/null
	run -0 fwtrail verify --key "$KEYS/p521.pub.pem" fw.bin.sig fw.bin fw.bin.sig fw.bin
	assert_equal "${#lines[@]}" 2
	run -0 fwtrail verify --cert "$KEYS/rsa3072.crt.pem" big.bin.p7s big.bin
}

@test "forgeries and the wrong key are a no (exit 1), never a yes" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out p384.sig fw.bin
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/p384.crt.pem" -inkey "$KEYS/p384.key.pem" -outform DER -md sha384 -out p384.p7s
	# another key of the same type
	run --separate-stderr -1 fwtrail verify --key "$KEYS/other-p384.pub.pem" p384.sig fw.bin
	assert_output "FAIL fw.bin (signature 'p384.sig'): ES384 signature does not verify with key '$KEYS/other-p384.pub.pem': made by another key, or over other data"
	assert_equal "$stderr" ""
	run -1 fwtrail verify --key "$KEYS/other-p384.pub.pem" p384.p7s fw.bin
	# a changed file
	printf 'firmware imagE\n' > changed.bin
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" p384.sig changed.bin
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" p384.p7s changed.bin
	assert_output "FAIL changed.bin (signature 'p384.p7s'): the file does not match the signature (its sha384 differs from the signed messageDigest)"
	# a signature by a key of another type
	run -1 fwtrail verify --key "$KEYS/rsa3072.pub.pem" p384.sig fw.bin
	# a CMS whose signature value was changed: the last bytes are the signature
	cp p384.p7s forged.p7s
	size=$(stat -c %s forged.p7s)
	# flip one bit (writing a fixed byte would change nothing when it is already there)
	b=$(od -An -tu1 -j $((size - 5)) -N1 forged.p7s | tr -d ' ')
	printf "\\$(printf '%03o' $((b ^ 1)))" | dd of=forged.p7s bs=1 seek=$((size - 5)) conv=notrunc status=none
	run -1 cmp -s forged.p7s p384.p7s
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" forged.p7s fw.bin
	# a signature from a certificate's key other than the one trusted
	run -1 fwtrail verify --cert "$KEYS/other-p384.crt.pem" p384.p7s fw.bin
}

@test "malformed signature files are exit 4 with the offset" {
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/p384.crt.pem" -inkey "$KEYS/p384.key.pem" -outform DER -md sha384 -out good.p7s
	head -c 200 good.p7s > short.p7s
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" short.p7s fw.bin
	assert_equal "$stderr" "fwtrail verify: 'short.p7s': malformed CMS signature at byte 0: not a DER SEQUENCE (or a truncated one)"
	assert_output ""
	: > empty.sig
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" empty.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'empty.sig': the signature file is empty"
	printf 'not a signature at all\n' > text.sig
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" text.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'text.sig': not a signature fwtrail knows: neither a COSE_Sign1, nor CMS SignedData, nor a DER ECDSA signature, nor an RSA signature of 2048, 3072 or 4096 bits (23 bytes)"
	cp good.p7s trailing.p7s && printf 'x' >> trailing.p7s
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" trailing.p7s fw.bin
	[[ "$stderr" == *"malformed CMS signature at byte "*": trailing bytes after the signature" ]]
	# a DER ECDSA signature with a non-minimal length
	printf '\060\201\006\002\001\001\002\001\001' > nonminimal.sig
	run -4 fwtrail verify --key "$KEYS/p384.pub.pem" nonminimal.sig fw.bin
	head -c 2000000 /dev/zero > huge.sig
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" huge.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'huge.sig' is larger than 1048576 bytes"
}

@test "unsupported: PKCS#1 v1.5 and odd PSS parameters are exit 6, attached content too" {
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/rsa3072.crt.pem" -inkey "$KEYS/rsa3072.key.pem" -outform DER -md sha384 -out v15.p7s
	run --separate-stderr -6 fwtrail verify --cert "$KEYS/rsa3072.crt.pem" v15.p7s fw.bin
	assert_equal "$stderr" "fwtrail verify: 'v15.p7s': the CMS signature uses RSA PKCS#1 v1.5: fwtrail accepts RSA signatures only as RSA-PSS"
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/rsa3072.crt.pem" -inkey "$KEYS/rsa3072.key.pem" -outform DER -md sha384 \
		-keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:20 -out salt20.p7s
	run -6 fwtrail verify --cert "$KEYS/rsa3072.crt.pem" salt20.p7s fw.bin
	openssl cms -sign -binary -nodetach -in fw.bin -signer "$KEYS/p384.crt.pem" -inkey "$KEYS/p384.key.pem" -outform DER -md sha384 -out att.p7s
	run --separate-stderr -6 fwtrail verify --cert "$KEYS/p384.crt.pem" att.p7s fw.bin
	assert_equal "$stderr" "fwtrail verify: 'att.p7s': the CMS signature holds its content: fwtrail verifies detached signatures only"
	openssl dgst -sha256 -sign "$KEYS/rsa2048.key.pem" -out r2048.sig fw.bin
	run -6 fwtrail verify --key "$KEYS/rsa2048.pub.pem" r2048.sig fw.bin
	# a raw PKCS#1 v1.5 signature (openssl dgst's default for RSA) by the
	# key: unsupported as in CMS, never "does not match"
	openssl dgst -sha384 -sign "$KEYS/rsa3072.key.pem" -out v15.sig fw.bin
	openssl dgst -sha512 -sign "$KEYS/rsa4096.key.pem" -out v15-4096.sig fw.bin
	openssl dgst -sha256 -sign "$KEYS/rsa3072.key.pem" -out v15-256.sig fw.bin
	run --separate-stderr -6 fwtrail verify --key "$KEYS/rsa3072.pub.pem" v15.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'v15.sig': the signature is RSA PKCS#1 v1.5, by key '$KEYS/rsa3072.pub.pem': fwtrail accepts RSA signatures only as RSA-PSS"
	assert_output ""
	run -6 fwtrail verify --cert "$KEYS/rsa3072.crt.pem" v15.sig fw.bin
	run -6 fwtrail verify --key "$KEYS/rsa3072.pub.pem" v15-256.sig fw.bin
	run -6 fwtrail verify --key "$KEYS/rsa4096.pub.pem" v15-4096.sig fw.bin
	run --separate-stderr -6 fwtrail --json verify --key "$KEYS/rsa3072.pub.pem" v15.sig fw.bin
	run -0 jq -c '.results[0] | [.valid, .error.code, has("alg")]' <<< "$output"
	assert_output '[null,"unsupported",false]'
	# the same from another RSA-3072 key (the test CA's) is a no
	openssl dgst -sha384 -sign "$KEYS/ca.key.pem" -out v15-other.sig fw.bin
	run --separate-stderr -1 fwtrail verify --key "$KEYS/rsa3072.pub.pem" v15-other.sig fw.bin
	assert_output "FAIL fw.bin (signature 'v15-other.sig'): PS384 signature does not verify with key '$KEYS/rsa3072.pub.pem': made by another key, or over other data"
	# a raw RSA-PSS signature by the key with another salt length is
	# unsupported, as CMS's salt20.p7s is; over other bytes it is a no
	openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sign "$KEYS/rsa3072.key.pem" -out salt32.sig fw.bin
	run --separate-stderr -6 fwtrail verify --key "$KEYS/rsa3072.pub.pem" salt32.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'salt32.sig': the signature is RSA-PSS with a salt other than 48 bytes, by key '$KEYS/rsa3072.pub.pem': fwtrail accepts RSA-PSS only with a salt of the hash length"
	assert_output ""
	printf 'other firmware\n' > other.bin
	run --separate-stderr -1 fwtrail verify --key "$KEYS/rsa3072.pub.pem" salt32.sig other.bin
	assert_output "FAIL other.bin (signature 'salt32.sig'): PS384 signature does not verify with key '$KEYS/rsa3072.pub.pem': made by another key, or over other data"
	# a COSE hash envelope signs the file's hash: unsupported, not a false no
	"$PY" "$ROOT/scripts/craft-sig.py" cose "$KEYS/p384.key.pem" -35 fw.bin he.cose hash_alg=-43
	run --separate-stderr -6 fwtrail verify --key "$KEYS/p384.pub.pem" he.cose fw.bin
	assert_equal "$stderr" "fwtrail verify: 'he.cose': the COSE signature is a hash envelope (payload_hash_alg, label 258): fwtrail verifies signatures over the file itself"
	assert_output ""
}

@test "results: could-not-tell wins over a no, which wins over a yes" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	openssl dgst -sha384 -sign "$KEYS/other-p384.key.pem" -out bad.sig fw.bin
	printf 'junk' > junk.sig
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" ok.sig fw.bin bad.sig fw.bin
	assert_line --index 0 "OK fw.bin (ES384 raw signature 'ok.sig')"
	assert_line --index 1 --partial "FAIL fw.bin (signature 'bad.sig')"
	run -4 fwtrail verify --key "$KEYS/p384.pub.pem" ok.sig fw.bin bad.sig fw.bin junk.sig fw.bin
	run -3 fwtrail verify --key "$KEYS/p384.pub.pem" bad.sig fw.bin ok.sig missing.bin
	assert_output --partial "cannot open 'missing.bin': No such file or directory"
	# each message names the pair by its signature once: not twice
	run --separate-stderr -3 fwtrail verify --key "$KEYS/p384.pub.pem" ok.sig missing.bin
	assert_equal "$stderr" "fwtrail verify: 'ok.sig': cannot open 'missing.bin': No such file or directory"
	run --separate-stderr -3 fwtrail verify --key "$KEYS/p384.pub.pem" missing.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: cannot open 'missing.sig': No such file or directory"
}

@test "--json: one result per pair, valid true, false or null, same exit status" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	openssl dgst -sha384 -sign "$KEYS/other-p384.key.pem" -out bad.sig fw.bin
	run --separate-stderr -1 fwtrail verify --json --key "$KEYS/p384.pub.pem" ok.sig fw.bin bad.sig fw.bin
	echo "$output" > v.json
	$PY - "$(sha384sum < fw.bin | cut -d' ' -f1)" <<'PY'
import json, sys
o = json.load(open("v.json"))
assert o["command"] == "verify" and o["ok"] is False and o["error"]["code"] == "verify_failed", o
a, b = o["results"]
assert a["valid"] is True and a["ok"] is True and a["alg"] == "ES384" and a["format"] == "raw" and a["sha384"] == sys.argv[1], a
assert b["valid"] is False and b["ok"] is False and b["error"]["code"] == "verify_failed", b
PY
	printf 'junk' > junk.sig
	run --separate-stderr -4 fwtrail verify --json --key "$KEYS/p384.pub.pem" junk.sig fw.bin
	echo "$output" | $PY -c 'import json,sys; o=json.load(sys.stdin); r=o["results"][0]; assert r["valid"] is None and r["ok"] is False and r["error"]["code"] == "malformed", o'
	# a pair whose signature cannot be read says nothing of format or alg,
	# not those of the pair before it
	fwtrail sign -q --key "$KEYS/p384.key.pem" --format cose -o fw.cose fw.bin
	run --separate-stderr -3 fwtrail verify --json --key "$KEYS/p384.pub.pem" fw.cose fw.bin missing.sig fw.bin
	echo "$output" | $PY -c '
import json, sys
a, b = json.load(sys.stdin)["results"]
assert a["valid"] is True and a["format"] == "cose" and a["alg"] == "ES384", a
assert b["valid"] is None and "format" not in b and "alg" not in b and b["error"]["code"] == "io", b'
}

@test "--json: sha384 or sha512 is the file's digest in every format, COSE too (not its Sig_structure's)" {
	local k alg fmt want
	for k in p384:sha384 rsa4096:sha512; do
		alg=${k#*:} k=${k%:*}
		want=$(${alg}sum big.bin | cut -d' ' -f1)
		fwtrail sign -q --force --key "$KEYS/$k.key.pem" -o big.raw big.bin
		fwtrail sign -q --force --key "$KEYS/$k.key.pem" --format cms --cert "$KEYS/$k.crt.pem" -o big.cms big.bin
		fwtrail sign -q --force --key "$KEYS/$k.key.pem" --format cose -o big.cose big.bin
		for fmt in raw cms cose; do
			run --separate-stderr -0 fwtrail verify --json --key "$KEYS/$k.pub.pem" "big.$fmt" big.bin
			echo "$output" | $PY -c '
import json, sys
r = json.load(sys.stdin)["results"][0]
assert r["valid"] is True and r["format"] == sys.argv[1] and r[sys.argv[2]] == sys.argv[3], r' "$fmt" "$alg" "$want"
			# a no says which file was checked: the digest of the one given
			run --separate-stderr -1 fwtrail verify --json --key "$KEYS/$k.pub.pem" "big.$fmt" fw.bin
			echo "$output" | $PY -c '
import json, sys
r = json.load(sys.stdin)["results"][0]
assert r["valid"] is False and r[sys.argv[1]] == sys.argv[2], r' "$alg" "$(${alg}sum fw.bin | cut -d' ' -f1)"
		done
	done
}

# The round 5 review's finding 5: verify --json dropped "signature" and
# "file" (and "key", and an error's "message") for names that are not
# UTF-8, where sign and digest keep them with *_hex.
@test "--json: names that are not UTF-8 are kept, with their exact bytes in key_hex, signature_hex and file_hex" {
	local name key
	name=$(printf 'fw\377.bin')
	key=$(printf 'k\377.pem')
	cp fw.bin "$name"
	cp "$KEYS/p384.pub.pem" "$key"
	fwtrail sign -q --key "$KEYS/p384.key.pem" "$name"
	run --separate-stderr -0 fwtrail verify --json --key "$key" "$name.sig" "$name"
	echo "$output" | $PY -c '
import json, sys
o = json.load(sys.stdin)
assert o["key"] == "k\ufffd.pem" and o["key_hex"] == b"k\xff.pem".hex(), o
r = o["results"][0]
assert r["valid"] is True, r
assert r["signature"] == "fw\ufffd.bin.sig" and r["signature_hex"] == b"fw\xff.bin.sig".hex(), r
assert r["file"] == "fw\ufffd.bin" and r["file_hex"] == b"fw\xff.bin".hex(), r'
	# a pair that cannot be read keeps its names and its message
	run --separate-stderr -3 fwtrail verify --json --key "$key" "$name.sig" "$name" "$name.none" "$name"
	echo "$output" | $PY -c '
import json, sys
r = json.load(sys.stdin)["results"][1]
assert r["valid"] is None and r["signature_hex"] == b"fw\xff.bin.none".hex() and r["file_hex"] == b"fw\xff.bin".hex(), r
assert r["error"]["message"] == "cannot open \x27fw\ufffd.bin.none\x27: No such file or directory", r'
	# UTF-8 names have no _hex member
	run --separate-stderr -0 fwtrail verify --json --key "$KEYS/p384.pub.pem" "$name.sig" "$name"
	echo "$output" | $PY -c 'import json,sys; o=json.load(sys.stdin); assert "key_hex" not in o, o'
}

# Finding 6, verify's side: a file is opened by its name and read whole,
# so /dev/stdin is the file standard input is redirected from, from its
# start, whatever a script read of it before (never only the rest).
@test "/dev/stdin redirected from a file read in part is read whole, from its start" {
	fwtrail sign -q --key "$KEYS/p384.key.pem" -o whole.sig big.bin
	tail -c +101 big.bin > tail.bin
	fwtrail sign -q --key "$KEYS/p384.key.pem" -o tail.sig tail.bin
	run -0 sh -c '{ dd bs=100 count=1 of=/dev/null 2> /dev/null; "$0" verify --key "$1" whole.sig /dev/stdin; } < big.bin' \
		"$FWTRAIL" "$KEYS/p384.pub.pem"
	assert_output "OK /dev/stdin (ES384 raw signature 'whole.sig')"
	run -1 sh -c '{ dd bs=100 count=1 of=/dev/null 2> /dev/null; "$0" verify --key "$1" tail.sig /dev/stdin; } < big.bin' \
		"$FWTRAIL" "$KEYS/p384.pub.pem"
}

@test "operands in the wrong order (FILE SIG): exit 4, and the message says the order is SIG FILE" {
	run -0 fwtrail sign --key "$KEYS/p384.key.pem" fw.bin
	run -0 fwtrail sign --key "$KEYS/p384.key.pem" --format cose -o fw.bin.cose fw.bin
	for s in fw.bin.sig fw.bin.cose; do
		run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" fw.bin "$s"
		assert_equal "$stderr" "fwtrail verify: 'fw.bin': not a signature fwtrail knows: neither a COSE_Sign1, nor CMS SignedData, nor a DER ECDSA signature, nor an RSA signature of 2048, 3072 or 4096 bits (15 bytes); '$s' is one: the order is SIG FILE (the signature, then the signed file)"
	done
	run --separate-stderr -4 fwtrail verify --json --key "$KEYS/p384.pub.pem" fw.bin fw.bin.sig
	run -0 jq -e '.results[0].error.message | endswith("the order is SIG FILE (the signature, then the signed file)")' <<< "$output"
	# the advice works, and --help gives it beforehand
	run -0 fwtrail verify --key "$KEYS/p384.pub.pem" fw.bin.sig fw.bin
	run -0 fwtrail verify --help
	assert_output --partial "Each pair
is the signature, then the file it signs."
	# no hint when the second operand is no signature either, or cannot be read
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" fw.bin big.bin
	[[ "$stderr" != *"the order is"* ]]
	run --separate-stderr -3 fwtrail verify --key "$KEYS/p384.pub.pem" fw.bin missing.sig
	[[ "$stderr" != *"the order is"* ]]
	# nor when the second merely reads as one (512 bytes, an RSA block's
	# size) without verifying the first
	head -c 512 /dev/urandom > mbr.bin
	printf x > bad.sig
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" bad.sig mbr.bin
	[[ "$stderr" != *"the order is"* ]] || fail "$stderr"
	# nor when the first is a signature, only a malformed one
	head -c 20 fw.bin.cose > short.cose
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" short.cose fw.bin.sig
	[[ "$stderr" != *"the order is"* ]]
}

@test "usage: one of --key and --cert, pairs of operands, a certificate for --cert" {
	run -2 fwtrail verify fw.bin.sig fw.bin
	run -2 fwtrail verify --key "$KEYS/p384.pub.pem" --cert "$KEYS/p384.crt.pem" a b
	run -2 fwtrail verify --key "$KEYS/p384.pub.pem" only-one
	run -2 fwtrail verify --key "$KEYS/p384.pub.pem" a b c
	run --separate-stderr -2 fwtrail verify --cert "$KEYS/p384.pub.pem" a b
	assert_equal "${stderr_lines[0]}" "fwtrail verify: '$KEYS/p384.pub.pem' is not a certificate (use --key for a public key)"
	run -3 fwtrail verify --key missing.pem a b
	# a private key is not a trusted public key, PEM or JWK alike
	run --separate-stderr -2 fwtrail verify --key "$KEYS/p384.key.pem" a b
	assert_equal "$stderr" "fwtrail verify: '$KEYS/p384.key.pem' holds a private key; give the public key instead"
	$PY - "$KEYS/p384.key.pem" > private.jwk <<'PY'
import base64, json, sys
from cryptography.hazmat.primitives import serialization
n = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None).private_numbers()
b = lambda i: base64.urlsafe_b64encode(i.to_bytes(48, "big")).rstrip(b"=").decode()
print(json.dumps({"kty": "EC", "crv": "P-384", "x": b(n.public_numbers.x), "y": b(n.public_numbers.y), "d": b(n.private_value)}))
PY
	run --separate-stderr -2 fwtrail verify --key private.jwk a b
	assert_equal "$stderr" "fwtrail verify: JWK 'private.jwk' holds a private key (member 'd'); give the public key instead"
}

@test "a JWK bound to an expired certificate (x5c) is refused (exit 6), never taken as a bare key" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	$PY - "$KEYS/p384.pub.pem" "$TESTDATA/trust/p384-expired.crt.pem" > x5c.jwk <<'PY'
import base64, json, sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
n = serialization.load_pem_public_key(open(sys.argv[1], "rb").read()).public_numbers()
c = x509.load_pem_x509_certificate(open(sys.argv[2], "rb").read()).public_bytes(serialization.Encoding.DER)
b = lambda i: base64.urlsafe_b64encode(i.to_bytes(48, "big")).rstrip(b"=").decode()
print(json.dumps({"kty": "EC", "crv": "P-384", "x": b(n.x), "y": b(n.y), "x5c": [base64.b64encode(c).decode()]}))
PY
	run --separate-stderr -6 fwtrail verify --key x5c.jwk ok.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: JWK 'x5c.jwk' is bound to a certificate (member 'x5c'), which fwtrail does not check there: give the certificate itself (PEM)"
	assert_output ""
	# the certificate itself is checked, and has expired
	run -1 fwtrail verify --cert "$TESTDATA/trust/p384-expired.crt.pem" ok.sig fw.bin
	# in a trust folder too
	mkdir store && cp x5c.jwk store/
	run --separate-stderr -6 fwtrail sfr verify --trust store r.jws
	[[ $stderr == *"is bound to a certificate (member 'x5c')"* ]] || fail "$stderr"
}

@test "a TRUSTED CERTIFICATE whose owner rejected code signing is refused (exit 6); one without settings is read" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	openssl x509 -in "$KEYS/p384.crt.pem" -addreject codeSigning -trustout -out reject.pem
	run --separate-stderr -6 fwtrail verify --cert reject.pem ok.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: certificate 'reject.pem' carries OpenSSL trust settings (uses accepted or rejected), which fwtrail does not apply: give it without them (openssl x509 -in FILE -out PLAIN.pem)"
	assert_output ""
	openssl x509 -in "$KEYS/p384.crt.pem" -trustout -out plain-trusted.pem
	run -0 fwtrail verify --cert plain-trusted.pem ok.sig fw.bin
	openssl x509 -in reject.pem -out plain.pem # the advice given
	run -0 fwtrail verify --cert plain.pem ok.sig fw.bin
}

@test "--cert given a private key says to give the certificate (exit 2), not the public key" {
	run --separate-stderr -2 fwtrail verify --cert "$KEYS/p384.key.pem" a b
	assert_equal "$stderr" "fwtrail verify: '$KEYS/p384.key.pem' holds a private key; give the certificate instead"
	printf '{"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA", "d": "AA"}' > private.jwk
	run --separate-stderr -2 fwtrail verify --cert private.jwk a b
	assert_equal "$stderr" "fwtrail verify: JWK 'private.jwk' holds a private key (member 'd'); give the certificate instead"
	# following that advice works
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	run -0 fwtrail verify --cert "$KEYS/p384.crt.pem" ok.sig fw.bin
}

@test "untrusted names are printed safely" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	cp fw.bin $'evil\e[2J.bin'
	run -0 fwtrail verify --key "$KEYS/p384.pub.pem" ok.sig $'evil\e[2J.bin'
	assert_output "OK evil\\x1b[2J.bin (ES384 raw signature 'ok.sig')"
}

@test "a certificate with the DMTF SPDM EKU (a device identity) vouches for no firmware (1)" {
	local TR="$TESTDATA/trust"
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	run -1 fwtrail verify --cert "$TR/p384-spdm-eku.crt.pem" ok.sig fw.bin
	assert_output "FAIL fw.bin (signature 'ok.sig'): certificate '$TR/p384-spdm-eku.crt.pem' (O = fwtrail tests, CN = fwtrail test signer p384-spdm-eku) is an SPDM device identity (DMTF SPDM extended key usage): a device's own key signs no firmware, report or reference values"
	run -1 fwtrail verify --key "$TR/p384-spdm-eku.crt.pem" ok.sig fw.bin
	# the same key through a signer's certificate is good
	run -0 fwtrail verify --cert "$TR/p384-current.crt.pem" ok.sig fw.bin
}

@test "T4: a certificate is trusted only inside its validity, at --at or now" {
	local TR="$TESTDATA/trust"
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	run -1 fwtrail verify --cert "$TR/p384-expired.crt.pem" ok.sig fw.bin
	assert_output --regexp "^FAIL fw.bin \(signature 'ok.sig'\): certificate '$TR/p384-expired.crt.pem' \(O = fwtrail tests, CN = fwtrail test signer p384-expired\) expired on 2021-01-01T00:00:00Z, checked at 20[0-9-]{8}T[0-9:]{8}Z$"
	run -1 fwtrail verify --key "$TR/p384-expired.crt.pem" ok.sig fw.bin   # a certificate given as --key too
	run -0 fwtrail verify --cert "$TR/p384-expired.crt.pem" --at 2020-06-01 ok.sig fw.bin
	run -0 fwtrail verify --cert "$TR/p384-expired.crt.pem" --at 2021-01-01T00:00:00Z ok.sig fw.bin  # edges included
	run -1 fwtrail verify --cert "$TR/p384-expired.crt.pem" --at 2021-01-01T00:00:01Z ok.sig fw.bin
	assert_output --partial "checked at 2021-01-01T00:00:01Z"
	run -1 fwtrail verify --cert "$TR/p384-expired.crt.pem" --at 2019-12-31T23:59:59Z ok.sig fw.bin
	assert_output --partial "is not valid before 2020-01-01T00:00:00Z, checked at 2019-12-31T23:59:59Z"
	run -1 fwtrail verify --cert "$TR/p384-future.crt.pem" ok.sig fw.bin
	assert_output --partial "(O = fwtrail tests, CN = fwtrail test signer p384-future) is not valid before 2040-01-01T00:00:00Z"
	run -0 fwtrail verify --cert "$TR/p384-future.crt.pem" --at 2045-01-01 ok.sig fw.bin
	run -0 fwtrail verify --cert "$KEYS/p384.crt.pem" ok.sig fw.bin
	run -1 fwtrail verify --cert "$KEYS/p384.crt.pem" --at 2046-01-01T00:00:01Z ok.sig fw.bin
	run -0 fwtrail verify --key "$KEYS/p384.pub.pem" --at 2099-01-01 ok.sig fw.bin   # a bare key has no dates
	run -2 fwtrail verify --cert "$KEYS/p384.crt.pem" --at tomorrow ok.sig fw.bin
	assert_output --partial "--at: 'tomorrow' is not an RFC 3339 time or date"
	# a bad signature stays a plain no, whatever the dates
	openssl dgst -sha384 -sign "$KEYS/other-p384.key.pem" -out bad.sig fw.bin
	run -1 fwtrail verify --cert "$TR/p384-expired.crt.pem" bad.sig fw.bin
	assert_output --partial "ES384 signature does not verify with key"
	refute_output --partial "expired on"
	run --separate-stderr -1 fwtrail verify --json --cert "$TR/p384-expired.crt.pem" ok.sig fw.bin
	echo "$output" | $PY -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; assert r["valid"] is False and r["error"]["code"]=="verify_failed" and "expired on 2021-01-01T00:00:00Z" in r["error"]["message"], r'
}

@test "T4: the audit's repro, a self-signed certificate made in 2020 with the openssl CLI" {
	command -v faketime >/dev/null || skip "faketime is not installed"
	# -f: a frozen clock, so the dates are exact however slow the machine
	faketime -f '2020-01-01 00:00:00' openssl req -x509 -new -key "$KEYS/p384.key.pem" -subj '/CN=self 2020' -days 366 \
		-out self.crt.pem 2>/dev/null
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	run -1 fwtrail verify --cert self.crt.pem ok.sig fw.bin
	assert_output --partial "certificate 'self.crt.pem' (CN = self 2020) expired on 2021-01-01T00:00:00Z"
	run -0 fwtrail verify --cert self.crt.pem --at 2020-07-01 ok.sig fw.bin
}

@test "T5: --revoked: a good signature by a revoked key is a no; a malformed list is exit 4 with its line" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	openssl dgst -sha384 -sign "$KEYS/other-p384.key.pem" -out other.sig fw.bin
	fp=$(fwtrail key export --json "$KEYS/p384.key.pem" | jq -r .sha256_fingerprint)
	# the same fingerprint, computed without fwtrail
	assert_equal "$fp" "$(openssl pkey -in "$KEYS/p384.pub.pem" -pubin -outform DER | sha256sum | cut -d' ' -f1)"
	printf '# keys revoked after the incident\n\nsha256:%s  # lab key, 2026-11\n' "$fp" > rev.txt
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" --revoked rev.txt ok.sig fw.bin
	assert_output "FAIL fw.bin (signature 'ok.sig'): key '$KEYS/p384.pub.pem' (sha256:$fp) is revoked ('rev.txt' line 3)"
	run -1 fwtrail verify --cert "$KEYS/p384.crt.pem" --revoked rev.txt ok.sig fw.bin
	assert_output --partial "(sha256:$fp) is revoked"
	# the same key written another way (compressed point, explicit curve
	# parameters) is the same key: revoked too, under the same fingerprint
	openssl ec -pubin -in "$KEYS/p384.pub.pem" -conv_form compressed -pubout -out compressed.pem 2> /dev/null
	openssl ec -pubin -in "$KEYS/p384.pub.pem" -param_enc explicit -pubout -out explicit.pem 2> /dev/null
	for k in compressed.pem explicit.pem; do
		run -1 fwtrail verify --key "$k" --revoked rev.txt ok.sig fw.bin
		assert_output "FAIL fw.bin (signature 'ok.sig'): key '$k' (sha256:$fp) is revoked ('rev.txt' line 3)"
	done
	printf '%s\n' "${fp^^}" > upper.txt   # bare, upper case
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" --revoked /dev/null --revoked upper.txt ok.sig fw.bin
	run -0 fwtrail verify --key "$KEYS/other-p384.pub.pem" --revoked rev.txt other.sig fw.bin
	run -0 fwtrail verify --key "$KEYS/p384.pub.pem" --revoked /dev/null ok.sig fw.bin
	printf '# fine\n%s\nsha256:%s\n' "$fp" "${fp:0:63}" > bad.txt
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" --revoked bad.txt ok.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: revocation list 'bad.txt' line 3: not a SHA-256 key fingerprint (64 hex digits, optionally after 'sha256:')"
	assert_equal "$output" ""
	run -3 fwtrail verify --key "$KEYS/p384.pub.pem" --revoked missing.txt ok.sig fw.bin
}

@test "--revoked: a list that ends in a bare CR (no LF) is malformed (exit 4), whichever key it names" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	fp=$(fwtrail key export --json "$KEYS/p384.key.pem" | jq -r .sha256_fingerprint)
	ofp=$(fwtrail key export --json "$KEYS/other-p384.key.pem" | jq -r .sha256_fingerprint)
	printf '%s\r' "$fp" > rev
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" --revoked rev ok.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: revocation list 'rev' line 1: a carriage return at the end of the file, not followed by a line feed (lines end in LF or CR LF)"
	assert_equal "$output" ""
	printf '%s\r\n%s\r' "$fp" "$ofp" > rev2
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" --revoked rev2 ok.sig fw.bin
	[[ $stderr == *"'rev2' line 2: a carriage return at the end of the file"* ]] || fail "$stderr"
	# CR LF line ends, the last one too, are read
	printf '%s\r\n' "$ofp" > crlf
	run -0 fwtrail verify --key "$KEYS/p384.pub.pem" --revoked crlf ok.sig fw.bin
}

@test "T5: an RSA key typed id-RSASSA-PSS is the same key: revoked too, under the same fingerprint" {
	openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sign "$KEYS/rsa3072.key.pem" -out ok.sig fw.bin
	fp=$(openssl pkey -pubin -in "$KEYS/rsa3072.pub.pem" -outform DER | sha256sum | cut -d' ' -f1)
	printf 'sha256:%s\n' "$fp" > rev.txt
	# the same n and e under the RSA-PSS algorithm identifier, and a
	# certificate for that key made by the openssl CLI
	"$PY" "$ROOT/scripts/craft-sig.py" pss-typed "$KEYS/rsa3072.pub.pem" pss.pub.pem
	"$PY" "$ROOT/scripts/craft-sig.py" pss-typed "$KEYS/rsa3072.key.pem" pss.key.pem
	openssl req -x509 -new -key pss.key.pem -subj '/CN=release signer' -days 365 -sha384 -sigopt rsa_pss_saltlen:48 -out pss.crt.pem
	[ "$(openssl pkey -pubin -in pss.pub.pem -outform DER | sha256sum | cut -d' ' -f1)" != "$fp" ]
	run -0 fwtrail verify --key pss.pub.pem ok.sig fw.bin
	for k in "--key pss.pub.pem" "--cert pss.crt.pem" "--key $KEYS/rsa3072.pub.pem"; do
		# shellcheck disable=SC2086
		run -1 fwtrail verify $k --revoked rev.txt ok.sig fw.bin
		assert_output --partial "(sha256:$fp) is revoked ('rev.txt' line 1)"
	done
	run -0 fwtrail key export --json pss.key.pem
	assert_equal "$(jq -r .sha256_fingerprint <<< "$output")" "$fp"
}

@test "CMS: the signer's digest algorithm is the signature's hash, and is listed in SignedData" {
	py=("$PY" "$ROOT/scripts/craft-sig.py" cms)
	"${py[@]}" "$KEYS/p384.key.pem" "$KEYS/p384.crt.pem" fw.bin good.p7s
	run -0 fwtrail verify --cert "$KEYS/p384.crt.pem" good.p7s fw.bin
	assert_output "OK fw.bin (ES384 cms signature 'good.p7s')"
	# ES512 / PS384 whose messageDigest binds the file with SHA-256 only
	"${py[@]}" "$KEYS/p521.key.pem" "$KEYS/p521.crt.pem" fw.bin p521.p7s dig=sha256 sh=sha512
	"${py[@]}" "$KEYS/rsa3072.key.pem" "$KEYS/rsa3072.crt.pem" fw.bin pss.p7s dig=sha256 sh=sha384
	run --separate-stderr -6 fwtrail verify --cert "$KEYS/p521.crt.pem" p521.p7s fw.bin
	assert_equal "$stderr" "fwtrail verify: 'p521.p7s': the CMS signer's digest algorithm (sha256) is not the hash of its signature algorithm (sha512)"
	run -6 fwtrail verify --cert "$KEYS/rsa3072.crt.pem" pss.p7s fw.bin
	# openssl refuses them too
	run ! openssl cms -verify -binary -inform DER -in p521.p7s -content fw.bin -CAfile "$KEYS/ca.crt.pem" -out /dev/null
	# SignedData.digestAlgorithms without the signer's algorithm
	"${py[@]}" "$KEYS/p384.key.pem" "$KEYS/p384.crt.pem" fw.bin sd.p7s sd_dig=sha256
	run --separate-stderr -4 fwtrail verify --cert "$KEYS/p384.crt.pem" sd.p7s fw.bin
	[[ "$stderr" == *"the signer's digest algorithm is missing from SignedData digestAlgorithms"* ]]
}

@test "every format: the algorithm follows from the key; P-256, RSA-2048 and mismatched sizes are exit 6" {
	py=("$PY" "$ROOT/scripts/craft-sig.py")
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/rsa2048.crt.pem" -inkey "$KEYS/rsa2048.key.pem" -outform DER -md sha256 \
		-keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:32 -out r2048.p7s
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/rsa4096.crt.pem" -inkey "$KEYS/rsa4096.key.pem" -outform DER -md sha384 \
		-keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:48 -out r4096-384.p7s
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/p256.crt.pem" -inkey "$KEYS/p256.key.pem" -outform DER -md sha256 -out p256.p7s
	openssl dgst -sha256 -sign "$KEYS/p256.key.pem" -out p256.sig fw.bin
	"${py[@]}" cose "$KEYS/rsa2048.key.pem" -38 fw.bin r2048.cose
	"${py[@]}" cose "$KEYS/rsa4096.key.pem" -38 fw.bin r4096-384.cose
	"${py[@]}" cose "$KEYS/p256.key.pem" -7 fw.bin p256.cose
	"${py[@]}" cose "$KEYS/rsa3072.key.pem" -37 fw.bin r3072-256.cose
	run --separate-stderr -6 fwtrail verify --cert "$KEYS/rsa2048.crt.pem" r2048.p7s fw.bin
	assert_equal "$stderr" "fwtrail verify: 'r2048.p7s': RSA-PSS with sha256 and key '$KEYS/rsa2048.crt.pem' (rsa-2048) is not supported: firmware signatures are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"
	run -6 fwtrail verify --cert "$KEYS/rsa4096.crt.pem" r4096-384.p7s fw.bin
	run -6 fwtrail verify --key "$KEYS/p256.pub.pem" p256.p7s fw.bin
	run --separate-stderr -6 fwtrail verify --key "$KEYS/p256.pub.pem" p256.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'p256.sig': key '$KEYS/p256.pub.pem' (ec-p256) has no signature algorithm fwtrail verifies: firmware signatures are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"
	run -6 fwtrail verify --cert "$KEYS/rsa2048.crt.pem" r2048.cose fw.bin
	run --separate-stderr -6 fwtrail verify --key "$KEYS/rsa4096.pub.pem" r4096-384.cose fw.bin
	assert_equal "$stderr" "fwtrail verify: 'r4096-384.cose': PS384 with key '$KEYS/rsa4096.pub.pem' (rsa-4096) is not supported: firmware signatures are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"
	run -6 fwtrail verify --key "$KEYS/p256.pub.pem" p256.cose fw.bin
	run -6 fwtrail verify --key "$KEYS/rsa3072.pub.pem" r3072-256.cose fw.bin
	# the supported pairs made the same way still verify
	"${py[@]}" cose "$KEYS/rsa4096.key.pem" -39 fw.bin r4096.cose
	"${py[@]}" cose "$KEYS/p521.key.pem" -36 fw.bin p521.cose
	run -0 fwtrail verify --key "$KEYS/rsa4096.pub.pem" r4096.cose fw.bin
	run -0 fwtrail verify --key "$KEYS/p521.pub.pem" p521.cose fw.bin
	# raw states no algorithm, but an RSA-PSS block tells its hash: PS384
	# by RSA-4096 and PS512 by RSA-3072 are exit 6 there too, with any
	# salt up to the hash's length
	openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sign "$KEYS/rsa4096.key.pem" -out r4096-384.sig fw.bin
	openssl dgst -sha512 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20 -sign "$KEYS/rsa3072.key.pem" -out r3072-512.sig fw.bin
	openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sign "$KEYS/rsa3072.key.pem" -out r3072-256.sig fw.bin
	run --separate-stderr -6 fwtrail verify --key "$KEYS/rsa4096.pub.pem" r4096-384.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'r4096-384.sig': the signature is PS384 (RSA-PSS with SHA-384) by key '$KEYS/rsa4096.pub.pem' (rsa-4096), a pair fwtrail does not verify: firmware signatures are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"
	run --separate-stderr -6 fwtrail verify --key "$KEYS/rsa3072.pub.pem" r3072-512.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'r3072-512.sig': the signature is PS512 (RSA-PSS with SHA-512) by key '$KEYS/rsa3072.pub.pem' (rsa-3072), a pair fwtrail does not verify: firmware signatures are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"
	run -6 fwtrail verify --key "$KEYS/rsa3072.pub.pem" r3072-256.sig fw.bin
	assert_output --partial "the signature is PS256 (RSA-PSS with SHA-256)"
	# by another key: a no
	run -1 fwtrail verify --key "$KEYS/rsa4096.pub.pem" r3072-512.sig fw.bin
	assert_output --partial "PS512 signature must be 512 bytes, not 384"
	# attached content is unsupported in COSE as in CMS
	"${py[@]}" cose "$KEYS/p384.key.pem" -35 fw.bin att.cose attached=1
	run --separate-stderr -6 fwtrail verify --key "$KEYS/p384.pub.pem" att.cose fw.bin
	assert_equal "$stderr" "fwtrail verify: 'att.cose': the COSE signature holds its payload: fwtrail verifies detached signatures only"
}

@test "a raw RSA-PSS signature by the key over SHA-1, or with MGF1 over another hash, is unsupported (exit 6), not a no" {
	A="$KEYS/rsa3072.key.pem" P="$KEYS/rsa3072.pub.pem"
	openssl dgst -sha384 -sign "$A" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sigopt rsa_mgf1_md:sha512 -out m512.sig big.bin
	openssl dgst -sha1 -sign "$A" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sigopt rsa_mgf1_md:sha1 -out sha1.sig big.bin
	openssl dgst -sha512 -sign "$A" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sigopt rsa_mgf1_md:sha256 -out m256.sig big.bin
	run --separate-stderr -6 fwtrail verify --key "$P" m512.sig big.bin
	assert_equal "$stderr" "fwtrail verify: 'm512.sig': the signature is RSA-PSS with SHA-384 and MGF1 with SHA-512 by key '$P' (rsa-3072), parameters fwtrail does not verify: firmware signatures are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096) (MGF1 with the same hash)"
	run --separate-stderr -6 fwtrail verify --key "$P" sha1.sig big.bin
	assert_equal "$stderr" "fwtrail verify: 'sha1.sig': the signature is RSA-PSS with SHA-1 and MGF1 with SHA-1 by key '$P' (rsa-3072), parameters fwtrail does not verify: firmware signatures are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096) (MGF1 with the same hash)"
	run --separate-stderr -6 fwtrail verify --key "$P" m256.sig big.bin
	[[ $stderr == *"RSA-PSS with SHA-512 and MGF1 with SHA-256 by key"* ]] || fail "$stderr"
	# the key's own PS384 over other bytes is still a no; another key's signature too
	openssl dgst -sha384 -sign "$A" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -out ok.sig big.bin
	run -0 fwtrail verify --key "$P" ok.sig big.bin
	run --separate-stderr -1 fwtrail verify --key "$P" ok.sig fw.bin
	[[ $output == *"PS384 signature does not verify with key"* ]] || fail "$output"
	run -1 fwtrail verify --key "$KEYS/rsa4096.pub.pem" m512.sig big.bin
}

@test "an RSA-PSS key whose own parameters forbid PS384 (SHA-256) is unsupported (exit 6) to sign and verify" {
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:3072 -pkeyopt rsa_pss_keygen_md:sha256 \
		-pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32 -out pss256.pem 2>/dev/null
	openssl pkey -in pss256.pem -pubout -out pss256.pub
	run --separate-stderr -6 fwtrail sign --key pss256.pem fw.bin
	assert_equal "$stderr" "fwtrail sign: 'pss256.pem' is an RSA-PSS key restricted to SHA-256 by its own parameters: fwtrail uses RSA-PSS with SHA-384 for the hash and MGF1 and a salt of its length"
	[ ! -e fw.bin.sig ]
	openssl dgst -sha256 -sign pss256.pem -out s.sig fw.bin
	run --separate-stderr -6 fwtrail verify --key pss256.pub s.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 's.sig': 'pss256.pub' is an RSA-PSS key restricted to SHA-256 by its own parameters: fwtrail uses RSA-PSS with SHA-384 for the hash and MGF1 and a salt of its length"
	# the parameters fwtrail uses: it signs, and openssl verifies
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:3072 -pkeyopt rsa_pss_keygen_md:sha384 \
		-pkeyopt rsa_pss_keygen_mgf1_md:sha384 -pkeyopt rsa_pss_keygen_saltlen:48 -out pss384.pem 2>/dev/null
	run -0 fwtrail -q sign --key pss384.pem fw.bin
	openssl pkey -in pss384.pem -pubout -out pss384.pub
	openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -verify pss384.pub -signature fw.bin.sig fw.bin
	run -0 fwtrail verify --key pss384.pub fw.bin.sig fw.bin
}

@test "a CMS signature over another content type than id-data (a TSTInfo) is unsupported (exit 6), not malformed" {
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/p384.crt.pem" -inkey "$KEYS/p384.key.pem" -md sha384 \
		-outform DER -econtent_type 1.2.840.113549.1.9.16.1.4 -out tst.p7s
	run --separate-stderr -6 fwtrail verify --cert "$KEYS/p384.crt.pem" tst.p7s fw.bin
	assert_equal "$stderr" "fwtrail verify: 'tst.p7s': the CMS signature's eContentType is not id-data: fwtrail verifies detached signatures over data only"
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/p384.crt.pem" -inkey "$KEYS/p384.key.pem" -md sha384 \
		-outform DER -out data.p7s
	run -0 fwtrail verify --cert "$KEYS/p384.crt.pem" data.p7s fw.bin
}

@test "a key file holds one key: several keys or certificates are exit 4, for verify, sign and key export" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	cat "$KEYS/other-p384.pub.pem" "$KEYS/p384.pub.pem" > two.pem
	cat "$KEYS/other-p384.pub.pem" "$KEYS/p384.crt.pem" > key-cert.pem
	cat "$KEYS/rsa3072.key.pem" "$KEYS/p384.key.pem" > two-private.pem
	run --separate-stderr -4 fwtrail verify --key two.pem ok.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'two.pem' holds 2 keys or certificates where one is expected (not a chain): give a file with one"
	run -4 fwtrail verify --key key-cert.pem ok.sig fw.bin
	run -4 fwtrail verify --cert key-cert.pem ok.sig fw.bin
	run --separate-stderr -4 fwtrail sign --key two-private.pem -o out.sig fw.bin
	assert_equal "$stderr" "fwtrail sign: 'two-private.pem' holds 2 private keys: give a file with one"
	[ ! -e out.sig ]
	run -4 fwtrail key export two-private.pem
}

@test "a certificate whose key usage leaves out digitalSignature may not sign firmware (exit 1)" {
	printf '[v]\nkeyUsage=critical,keyEncipherment\nextendedKeyUsage=serverAuth\n' > ku.cnf
	openssl req -new -key "$KEYS/p384.key.pem" -subj '/CN=tls server' -out ku.csr
	openssl x509 -req -in ku.csr -CA "$KEYS/ca.crt.pem" -CAkey "$KEYS/ca.key.pem" -days 365 -extfile ku.cnf -extensions v -out tls.crt.pem 2> /dev/null
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out tls.sig fw.bin
	openssl cms -sign -binary -in fw.bin -signer tls.crt.pem -inkey "$KEYS/p384.key.pem" -outform DER -md sha384 -out tls.p7s
	run -1 fwtrail verify --cert tls.crt.pem tls.sig fw.bin
	assert_output "FAIL fw.bin (signature 'tls.sig'): certificate 'tls.crt.pem' may not sign data: its key usage does not include digitalSignature"
	run -1 fwtrail verify --cert tls.crt.pem tls.p7s fw.bin
	# the CA certificate (keyCertSign and cRLSign only) signs certificates, not firmware
	openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sign "$KEYS/ca.key.pem" -out ca.sig fw.bin
	run -1 fwtrail verify --cert "$KEYS/ca.crt.pem" ca.sig fw.bin
	run -0 fwtrail verify --key "$KEYS/ca.pub.pem" ca.sig fw.bin
	# the test signers' certificates carry digitalSignature
	run -0 fwtrail verify --cert "$KEYS/p384.crt.pem" tls.sig fw.bin
}

@test "a raw RSA-PSS signature that starts like a COSE_Sign1 (d2 84) is raw" {
	d="$TESTDATA/sig-d284"
	[ "$(head -c 2 "$d/d284.sig" | od -An -tx1 | tr -d ' ')" = d284 ]
	openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -verify "$d/rsa3072-hi.pub.pem" -signature "$d/d284.sig" fw.bin
	run -0 fwtrail verify --key "$d/rsa3072-hi.pub.pem" "$d/d284.sig" fw.bin
	assert_output "OK fw.bin (PS384 raw signature '$d/d284.sig')"
	printf 'firmware image?\n' > other.bin
	run -1 fwtrail verify --key "$d/rsa3072-hi.pub.pem" "$d/d284.sig" other.bin
	# with an EC key, those bytes are still a COSE_Sign1 to parse
	run -4 fwtrail verify --key "$KEYS/p384.pub.pem" "$d/d284.sig" fw.bin
}

@test "T5: an EC key file with a compressed point is revoked by its own hash as well as by its fingerprint (exit 1)" {
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out ok.sig fw.bin
	openssl ec -pubin -in "$KEYS/p384.pub.pem" -conv_form compressed -out pubc.pem 2> /dev/null
	[ "$(openssl pkey -pubin -in pubc.pem -outform DER | wc -c)" -eq 72 ]
	run -0 fwtrail verify --key pubc.pem ok.sig fw.bin
	# the man page's recipe, run on the file given
	printf 'sha256:%s\n' "$(openssl pkey -pubin -in pubc.pem -outform DER | sha256sum | cut -d' ' -f1)" > rev-own.txt
	run -1 fwtrail verify --key pubc.pem --revoked rev-own.txt ok.sig fw.bin
	assert_output --partial "is revoked ('rev-own.txt' line 1)"
	# and the fingerprint key export prints (the uncompressed form)
	printf 'sha256:%s\n' "$(fwtrail key export --json "$KEYS/p384.key.pem" | jq -r .sha256_fingerprint)" > rev-fp.txt
	run -1 fwtrail verify --key pubc.pem --revoked rev-fp.txt ok.sig fw.bin
	# a certificate holding the compressed key, too
	openssl req -new -x509 -key "$KEYS/p384.key.pem" -subj /CN=c -days 30 -out c.crt 2> /dev/null
	run -1 fwtrail verify --cert c.crt --revoked rev-fp.txt ok.sig fw.bin
}

@test "a CMS signature in BER (openssl cms -stream) is unsupported (exit 6); the advice given works" {
	openssl req -new -x509 -key "$KEYS/p384.key.pem" -subj /CN=s -days 30 -out s.crt 2> /dev/null
	openssl cms -sign -binary -stream -in fw.bin -signer s.crt -inkey "$KEYS/p384.key.pem" -md sha384 \
		-outform DER -out ber.p7s 2> /dev/null
	[ "$(head -c 2 ber.p7s | xxd -p)" = 3080 ]
	run --separate-stderr -6 fwtrail verify --cert s.crt ber.p7s fw.bin
	assert_equal "$stderr" "fwtrail verify: 'ber.p7s': CMS signature in BER (indefinite lengths) is not supported: make it without 'openssl cms -stream' (which also attaches the content), or convert a detached one with 'openssl cms -cmsout -inform DER -outform DER'"
	# -stream attached the content: converted, it is DER but not detached
	openssl cms -cmsout -inform DER -outform DER -in ber.p7s -out conv.p7s
	run --separate-stderr -6 fwtrail verify --cert s.crt conv.p7s fw.bin
	assert_regex "$stderr" "holds its content: fwtrail verifies detached signatures only$"
	# made without -stream, as the message says: verified
	openssl cms -sign -binary -in fw.bin -signer s.crt -inkey "$KEYS/p384.key.pem" -md sha384 \
		-outform DER -out der.p7s 2> /dev/null
	run -0 fwtrail verify --cert s.crt der.p7s fw.bin
}

@test "a signature over another format's signing input is a no (exit 1): a COSE or CMS signature's value lifted out is not a raw one" {
	# a COSE signature made by fwtrail, its value put beside its Sig_structure
	fwtrail sign -q --key "$KEYS/p384.key.pem" --format cose -o fw.bin.cose fw.bin
	run -0 fwtrail verify --key "$KEYS/p384.pub.pem" fw.bin.cose fw.bin
	$PY - <<'PY'
import cbor2
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
m = cbor2.loads(open("fw.bin.cose", "rb").read()).value
fw = open("fw.bin", "rb").read()
open("lifted.bin", "wb").write(cbor2.dumps(["Signature1", m[0], b"", fw]))
n = len(m[3]) // 2
open("lifted.sig", "wb").write(encode_dss_signature(int.from_bytes(m[3][:n], "big"), int.from_bytes(m[3][n:], "big")))
# a DER SET of attributes, as CMS signs them
oid = bytes.fromhex("06092a864886f70d010903")       # contentType
attr = b"\x30" + bytes([len(oid) + 13]) + oid + b"\x31\x0b" + bytes.fromhex("06092a864886f70d010701")
open("attrs.bin", "wb").write(b"\x31" + bytes([len(attr)]) + attr)
PY
	# the signature is good over those bytes (openssl says so), and still a no
	openssl dgst -sha384 -verify "$KEYS/p384.pub.pem" -signature lifted.sig lifted.bin
	run --separate-stderr -1 fwtrail verify --key "$KEYS/p384.pub.pem" lifted.sig lifted.bin
	assert_output "FAIL lifted.bin (signature 'lifted.sig'): 'lifted.bin' is a COSE Sig_structure: a signature over it is a signature of that format, which fwtrail-sign(1) never makes over firmware"
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out attrs.sig attrs.bin
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" attrs.sig attrs.bin
	assert_output --partial "'attrs.bin' is a set of CMS signed attributes: a signature over it is a signature of that format"
	# CMS without signed attributes signs the bytes as they are: the same
	openssl cms -sign -binary -noattr -in attrs.bin -signer "$KEYS/p384.crt.pem" -inkey "$KEYS/p384.key.pem" -outform DER -md sha384 -out attrs.p7s
	run -1 fwtrail verify --cert "$KEYS/p384.crt.pem" attrs.p7s attrs.bin
	assert_output --partial "'attrs.bin' is a set of CMS signed attributes"
	# with signed attributes, CMS signs them, not the file: a yes
	openssl cms -sign -binary -in attrs.bin -signer "$KEYS/p384.crt.pem" -inkey "$KEYS/p384.key.pem" -outform DER -md sha384 -out attrs-sa.p7s
	run -0 fwtrail verify --cert "$KEYS/p384.crt.pem" attrs-sa.p7s attrs.bin
	# --json: valid false, the reason given
	run -1 fwtrail --json verify --key "$KEYS/p384.pub.pem" lifted.sig lifted.bin
	$PY -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; assert r["valid"] is False and r["error"]["code"] == "verify_failed" and "COSE Sig_structure" in r["error"]["message"], r' <<< "$output"
}

@test "a COSE_Sign1 of a RIM, report or checkpoint, its payload lifted out, is a no (exit 1), not a firmware signature" {
	fwtrail rim sign --key "$KEYS/p384.key.pem" --signer ACME -o rim.cose "$TESTDATA/rim/nic.corim"
	# its payload as the file, the message detached beside it; then the same
	# with each marker of another format alone in the protected header
	$PY - <<'PY'
import cbor2
m = cbor2.loads(open("rim.cose", "rb").read()).value
open("payload.bin", "wb").write(m[2])
open("rim.bin.cose", "wb").write(cbor2.dumps(cbor2.CBORTag(18, [m[0], m[1], None, m[3]])))
for name, label, value in (("ct", 3, "text/plain"), ("meta", 8, b"\xa0"), ("cwt", 15, {1: "x"})):
    p = cbor2.dumps({1: -35, label: value})
    open(name + ".cose", "wb").write(cbor2.dumps(cbor2.CBORTag(18, [p, {}, None, bytes(96)])))
PY
	run --separate-stderr -1 fwtrail verify --key "$KEYS/p384.pub.pem" rim.bin.cose payload.bin
	assert_output "FAIL payload.bin (signature 'rim.bin.cose'): the COSE signature's protected header has a content type: it signs a RIM, a report or a checkpoint, which fwtrail-sign(1) never makes over firmware"
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" ct.cose payload.bin
	assert_output --partial "has a content type: it signs"
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" meta.cose payload.bin
	assert_output --partial "has corim-meta (label 8): it signs"
	run -1 fwtrail verify --key "$KEYS/p384.pub.pem" cwt.cose payload.bin
	assert_output --partial "has CWT claims (label 15): it signs"
	# fwtrail's own COSE firmware signature: a yes (sign refuses a CoRIM)
	fwtrail sign -q --key "$KEYS/p384.key.pem" --format cose -o fw.bin.cose fw.bin
	run -0 fwtrail verify --key "$KEYS/p384.pub.pem" fw.bin.cose fw.bin
}

@test "CMS RSA-PSS parameters are read in DER: a salt length not minimal, bytes after the trailer field (exit 4)" {
	openssl cms -sign -binary -in fw.bin -signer "$KEYS/rsa3072.crt.pem" -inkey "$KEYS/rsa3072.key.pem" -outform DER -md sha384 \
		-keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:48 -out ok.p7s
	run -0 fwtrail verify --cert "$KEYS/rsa3072.crt.pem" ok.p7s fw.bin
	# the signature algorithm's parameters are not signed: rewritten, the
	# signature itself stays good
	$PY - <<'PY'
def parse(b, i=0):
    t, l, h = b[i], b[i + 1], 2
    if l & 0x80:
        n = l & 0x7f
        l, h = int.from_bytes(b[i + 2:i + 2 + n], "big"), 2 + n
    body = b[i + h:i + h + l]
    if t & 0x20:
        kids, j = [], 0
        while j < len(body):
            k, j = parse(body, j)
            kids.append(k)
        return [t, kids], i + h + l
    return [t, body], i + h + l
def enc(n):
    t, v = n
    body = b"".join(enc(k) for k in v) if isinstance(v, list) else v
    l = len(body)
    ln = bytes([l]) if l < 0x80 else bytes([0x80 | ((l.bit_length() + 7) // 8)]) + l.to_bytes((l.bit_length() + 7) // 8, "big")
    return bytes([t]) + ln + body
def find(n, pred):
    if pred(n):
        return n
    if isinstance(n[1], list):
        for k in n[1]:
            r = find(k, pred)
            if r:
                return r
PSS = bytes.fromhex("2a864886f70d01010a")
for name, change in (("salt.p7s", "salt"), ("trailer.p7s", "trailer")):
    tree, _ = parse(open("ok.p7s", "rb").read())
    alg = find(tree, lambda n: n[0] == 0x30 and isinstance(n[1], list) and n[1] and n[1][0] == [6, PSS])
    params = alg[1][1][1]
    if change == "salt":   # 48 as 02 02 00 30
        salt = next(p for p in params if p[0] == 0xa2)
        salt[1] = [[2, b"\x00\x30"]]
    else:                  # [3] { INTEGER 1, NULL }
        params.append([0xa3, [[2, b"\x01"], [5, b""]]])
    open(name, "wb").write(enc(tree))
PY
	# openssl refuses both as well
	run -4 fwtrail verify --cert "$KEYS/rsa3072.crt.pem" salt.p7s fw.bin
	assert_output --partial "bad RSA-PSS salt length"
	run -4 fwtrail verify --cert "$KEYS/rsa3072.crt.pem" trailer.p7s fw.bin
	assert_output --partial "bad RSA-PSS trailer field"
	for f in salt.p7s trailer.p7s; do
		if openssl cms -verify -binary -inform DER -in $f -content fw.bin -noverify -out /dev/null 2> /dev/null; then
			fail "openssl accepts $f"
		fi
	done
}

@test "pairs that cannot be checked: the most serious status wins, whatever their order" {
	fwtrail sign -q --key "$KEYS/p384.key.pem" fw.bin
	echo garbage > bad.sig
	# an unreadable file (3) and a malformed signature (4): 4 in both orders
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" fw.bin.sig missing.bin bad.sig fw.bin
	run --separate-stderr -4 fwtrail verify --json --key "$KEYS/p384.pub.pem" bad.sig fw.bin fw.bin.sig missing.bin
	assert_equal "$(jq -r .error.code <<< "$output")" malformed
	# each pair still has its own line, in order
	run --separate-stderr -4 fwtrail verify --key "$KEYS/p384.pub.pem" bad.sig fw.bin fw.bin.sig fw.bin
	assert_output "OK fw.bin (ES384 raw signature 'fw.bin.sig')"
	assert_regex "$stderr" "^fwtrail verify: 'bad.sig': "
}

@test "'-': the signed file or the signature from standard input, once; COSE needs a file" {
	fwtrail sign -q --key "$KEYS/p384.key.pem" fw.bin
	run --separate-stderr -0 bash -c '"$FWTRAIL" verify --key "$1" fw.bin.sig - < fw.bin' _ "$KEYS/p384.pub.pem"
	assert_output "OK - (ES384 raw signature 'fw.bin.sig')"
	run --separate-stderr -0 bash -c '"$FWTRAIL" verify --key "$1" - fw.bin < fw.bin.sig' _ "$KEYS/p384.pub.pem"
	assert_output "OK fw.bin (ES384 raw signature '-')"
	# other bytes on the pipe: a no
	run --separate-stderr -1 bash -c 'printf "other" | "$FWTRAIL" verify --key "$1" fw.bin.sig -' _ "$KEYS/p384.pub.pem"
	run --separate-stderr -2 bash -c '"$FWTRAIL" verify --key "$1" - - < fw.bin' _ "$KEYS/p384.pub.pem"
	assert_equal "${stderr_lines[0]}" "fwtrail verify: '-' (standard input) is given 2 times: it can be read once"
	fwtrail sign -q --format cose --key "$KEYS/p384.key.pem" fw.bin
	run --separate-stderr -2 bash -c 'cat fw.bin | "$FWTRAIL" verify --key "$1" fw.bin.cose -' _ "$KEYS/p384.pub.pem"
	assert_equal "$stderr" "fwtrail verify: 'fw.bin.cose': a COSE signature needs the size of '-' in advance: give a file, not a stream"
	# the same bytes redirected from the file have a size
	run --separate-stderr -0 bash -c '"$FWTRAIL" verify --key "$1" fw.bin.cose - < fw.bin' _ "$KEYS/p384.pub.pem"
}

# --trust: a root CA, an intermediate and leaves, made here with the openssl
# CLI (P-384; subject and authority key identifiers, as strict X.509
# validation wants them).  $1: the folder to make them in.
mk_pki() {
	local d=$1
	mkdir -p "$d"
	cat > "$d/ext.cnf" <<'CNF'
[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=codeSigning
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[tls]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
CNF
	local k
	for k in root inter leaf other-root other-leaf evil-root evil-inter tls; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$d/$k.key" 2> /dev/null
	done
	# root name: $1 key; $2 subject; $3 out
	openssl req -x509 -new -key "$d/root.key" -subj '/O=fwtrail tests/CN=trust root' -days 7300 \
		-addext 'keyUsage=critical,keyCertSign,cRLSign' -out "$d/root.pem"
	openssl req -x509 -new -key "$d/other-root.key" -subj '/O=fwtrail tests/CN=other root' -days 7300 \
		-addext 'keyUsage=critical,keyCertSign,cRLSign' -out "$d/other-root.pem"
	# an untrusted root with the trusted root's name
	openssl req -x509 -new -key "$d/evil-root.key" -subj '/O=fwtrail tests/CN=trust root' -days 7300 \
		-addext 'keyUsage=critical,keyCertSign,cRLSign' -out "$d/evil-root.pem"
	# issue key subject issuer ext days serial out
	issue() {
		openssl req -new -key "$d/$1.key" -subj "$2" -out "$d/$1.csr"
		openssl x509 -req -in "$d/$1.csr" -CA "$d/$3.pem" -CAkey "$d/$3.key" -set_serial "$6" -days "$5" \
			-extfile "$d/ext.cnf" -extensions "$4" -out "$d/$7.pem" 2> /dev/null
	}
	issue inter '/O=fwtrail tests/CN=trust intermediate' root ca 3650 2 inter
	issue leaf '/O=fwtrail tests/CN=firmware signer' inter leaf 365 3 leaf
	issue other-leaf '/O=fwtrail tests/CN=firmware signer' other-root leaf 365 3 other-leaf
	issue tls '/O=fwtrail tests/CN=tls server' inter tls 365 4 tls
	# the forger's intermediate has the trusted one's name, and issues a
	# certificate for the genuine signer's key with its name and serial
	issue evil-inter '/O=fwtrail tests/CN=trust intermediate' evil-root ca 3650 2 evil-inter
	openssl x509 -req -in "$d/leaf.csr" -CA "$d/evil-inter.pem" -CAkey "$d/evil-inter.key" -set_serial 3 -days 365 \
		-extfile "$d/ext.cnf" -extensions leaf -out "$d/evil-leaf.pem" 2> /dev/null
	cat "$d/root.pem" "$d/inter.pem" > "$d/roots.pem"
	cat "$d/leaf.pem" "$d/inter.pem" > "$d/leaf-chain.pem"
}

@test "--trust: a CMS signer's certificate that validates to the roots is trusted (0), text and --json name it" {
	mk_pki pki
	fwtrail sign -q --key pki/leaf.key --format cms --cert pki/leaf.pem fw.bin
	run --separate-stderr -0 fwtrail verify --trust pki/roots.pem fw.bin.p7s fw.bin
	assert_output "OK fw.bin (ES384 cms signature 'fw.bin.p7s' by 'O = fwtrail tests, CN = firmware signer')"
	# the roots in two files, or a folder
	mkdir store && cp pki/root.pem pki/inter.pem store/
	run -0 fwtrail verify --trust pki/root.pem --trust pki/inter.pem fw.bin.p7s fw.bin
	run -0 fwtrail verify --trust store fw.bin.p7s fw.bin
	# made by openssl cms, detached, the intermediate inside: the root alone is enough;
	# a signer named by its subject key identifier too
	openssl cms -sign -binary -md sha384 -in fw.bin -signer pki/leaf.pem -inkey pki/leaf.key -certfile pki/inter.pem \
		-outform DER -out o.p7s
	openssl cms -sign -binary -md sha384 -keyid -in fw.bin -signer pki/leaf.pem -inkey pki/leaf.key \
		-certfile pki/inter.pem -outform DER -out k.p7s
	run -0 fwtrail verify --trust pki/root.pem o.p7s fw.bin k.p7s fw.bin
	assert_equal "${#lines[@]}" 2
	run --separate-stderr -0 fwtrail verify --json --trust pki/root.pem k.p7s fw.bin
	fp=$(openssl x509 -in pki/leaf.pem -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
	kfp=$(openssl pkey -in pki/leaf.key -pubout -outform DER | sha256sum | cut -d' ' -f1)
	echo "$output" | $PY -c '
import json, sys
o = json.load(sys.stdin)
r = o["results"][0]
assert o["ok"] is True and "key" not in o, o
assert r["valid"] is True and r["format"] == "cms" and r["alg"] == "ES384", r
assert r["signer"] == {"subject": "O = fwtrail tests, CN = firmware signer", "sha256": sys.argv[1], "key_fingerprint": sys.argv[2]}, r' "$fp" "$kfp"
	# embedded_signer is kept, informative
	run --separate-stderr -0 fwtrail verify --json --trust pki/roots.pem fw.bin.p7s fw.bin
	assert_equal "$(jq -r '.results[0].embedded_signer' <<< "$output")" "/O=fwtrail tests/CN=firmware signer"
}

@test "--trust: a leaf of another CA, expired at --at, revoked or without its intermediate is a no (1)" {
	mk_pki pki
	fwtrail sign -q --key pki/leaf.key --format cms --cert pki/leaf.pem fw.bin
	fwtrail sign -q --key pki/other-leaf.key --format cms --cert pki/other-leaf.pem -o other.p7s fw.bin
	# another CA's leaf, with the same subject
	run --separate-stderr -1 fwtrail verify --trust pki/roots.pem other.p7s fw.bin
	assert_output "FAIL fw.bin (signature 'other.p7s'): certificate chain does not validate: unable to get local issuer certificate: certificate 'O = fwtrail tests, CN = firmware signer' (depth 0)"
	run -0 fwtrail verify --trust pki/other-root.pem other.p7s fw.bin
	# the leaf is valid a year: two years from now it has expired, the CAs have not
	later=$(date -u -d '+2 years' +%Y-%m-%d)
	run -1 fwtrail verify --trust pki/roots.pem --at "$later" fw.bin.p7s fw.bin
	assert_output --regexp "^FAIL fw.bin \(signature 'fw.bin.p7s'\): certificate chain does not validate: certificate 'O = fwtrail tests, CN = firmware signer' \(depth 0\) expired on [0-9-]{10}T[0-9:]{8}Z, checked at ${later}T00:00:00Z$"
	run -0 fwtrail verify --trust pki/roots.pem --at "$(date -u -d '+1 month' +%Y-%m-%d)" fw.bin.p7s fw.bin
	# revoked: the leaf's key, or the intermediate's
	openssl pkey -in pki/leaf.key -pubout -outform DER | sha256sum | cut -c1-64 > rev-leaf.txt
	openssl x509 -in pki/inter.pem -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64 > rev-inter.txt
	run -1 fwtrail verify --trust pki/roots.pem --revoked rev-leaf.txt fw.bin.p7s fw.bin
	assert_output --partial "is revoked ('rev-leaf.txt' line 1)"
	run -1 fwtrail verify --trust pki/roots.pem --revoked rev-inter.txt fw.bin.p7s fw.bin
	assert_output --partial "O = fwtrail tests, CN = trust intermediate"
	assert_output --partial "is revoked ('rev-inter.txt' line 1)"
	# the intermediate neither in the signature nor among the roots
	run -1 fwtrail verify --trust pki/root.pem fw.bin.p7s fw.bin
	assert_output "FAIL fw.bin (signature 'fw.bin.p7s'): certificate chain does not validate: unable to get local issuer certificate: certificate 'O = fwtrail tests, CN = firmware signer' (depth 0)"
}

@test "--trust: a leaf whose extended key usage leaves out codeSigning is a no (1)" {
	mk_pki pki
	openssl cms -sign -binary -md sha384 -in fw.bin -signer pki/tls.pem -inkey pki/tls.key -outform DER -out tls.p7s
	run --separate-stderr -1 fwtrail verify --trust pki/roots.pem tls.p7s fw.bin
	assert_output "FAIL fw.bin (signature 'tls.p7s'): the signing certificate's extended key usage allows only serverAuth (not codeSigning, documentSigning or anyExtendedKeyUsage)"
}

@test "--trust: forgeries are a no (1): a look-alike certificate from an untrusted CA, a changed signature" {
	mk_pki pki
	# the genuine signer's signature, its certificate swapped for one with the
	# same subject, issuer name and serial, from a CA with the trusted names
	openssl cms -sign -binary -md sha384 -in fw.bin -signer pki/evil-leaf.pem -inkey pki/leaf.key \
		-certfile pki/evil-inter.pem -outform DER -out swapped.p7s
	run --separate-stderr -1 fwtrail verify --trust pki/roots.pem swapped.p7s fw.bin
	assert_output --partial "FAIL fw.bin (signature 'swapped.p7s'): certificate chain does not validate: "
	run -1 fwtrail verify --trust pki/root.pem swapped.p7s fw.bin
	# the same without the look-alike intermediate: the trusted one has its name, not its key
	openssl cms -sign -binary -md sha384 -in fw.bin -signer pki/evil-leaf.pem -inkey pki/leaf.key -outform DER -out alone.p7s
	run -1 fwtrail verify --trust pki/roots.pem alone.p7s fw.bin
	assert_output "FAIL fw.bin (signature 'alone.p7s'): certificate chain does not validate: unable to get local issuer certificate: certificate 'O = fwtrail tests, CN = firmware signer' (depth 0)"
	# the certificate given with --cert is the signer: its key made the signature
	run -0 fwtrail verify --trust pki/roots.pem --cert pki/leaf.pem swapped.p7s fw.bin
	# a forger's own key behind a look-alike certificate
	openssl x509 -req -in pki/other-leaf.csr -CA pki/evil-inter.pem -CAkey pki/evil-inter.key -set_serial 3 -days 365 \
		-extfile pki/ext.cnf -extensions leaf -out forger.pem 2> /dev/null
	openssl cms -sign -binary -md sha384 -in fw.bin -signer forger.pem -inkey pki/other-leaf.key \
		-certfile pki/evil-inter.pem -outform DER -out forged.p7s
	run -1 fwtrail verify --trust pki/roots.pem forged.p7s fw.bin
	assert_output --partial "certificate chain does not validate: "
	# a trusted leaf's CMS with one bit of its signature value flipped
	fwtrail sign -q --key pki/leaf.key --format cms --cert pki/leaf.pem fw.bin
	cp fw.bin.p7s bad.p7s
	size=$(stat -c %s bad.p7s)
	b=$(od -An -tu1 -j $((size - 5)) -N1 bad.p7s | tr -d ' ')
	printf "\\$(printf '%03o' $((b ^ 1)))" | dd of=bad.p7s bs=1 seek=$((size - 5)) conv=notrunc status=none
	run -1 cmp -s bad.p7s fw.bin.p7s
	run -0 fwtrail verify --trust pki/roots.pem fw.bin.p7s fw.bin
	run --separate-stderr -1 fwtrail verify --trust pki/roots.pem bad.p7s fw.bin
	assert_output "FAIL fw.bin (signature 'bad.p7s'): ES384 signature does not verify with key 'CMS signer': made by another key, or over other data"
	# nor does a changed file pass
	printf 'firmware imagE\n' > changed.bin
	run -1 fwtrail verify --trust pki/roots.pem fw.bin.p7s changed.bin
}

@test "--trust with --cert: the certificate validates to the roots; intermediates may follow it in its file" {
	mk_pki pki
	fwtrail sign -q --key pki/leaf.key fw.bin
	run --separate-stderr -0 fwtrail verify --trust pki/roots.pem --cert pki/leaf.pem fw.bin.sig fw.bin
	assert_output "OK fw.bin (ES384 raw signature 'fw.bin.sig' by 'O = fwtrail tests, CN = firmware signer')"
	run -0 fwtrail verify --trust pki/root.pem --cert pki/leaf-chain.pem fw.bin.sig fw.bin
	run -1 fwtrail verify --trust pki/root.pem --cert pki/leaf.pem fw.bin.sig fw.bin
	assert_output --partial "unable to get local issuer certificate"
	run -1 fwtrail verify --trust pki/other-root.pem --cert pki/leaf-chain.pem fw.bin.sig fw.bin
	# without --trust, a file of several certificates is still refused
	run -4 fwtrail verify --cert pki/leaf-chain.pem fw.bin.sig fw.bin
}

@test "--trust: a raw or COSE signature names no signer (2); --key does not go with --trust (2)" {
	mk_pki pki
	fwtrail sign -q --key pki/leaf.key fw.bin
	fwtrail sign -q --key pki/leaf.key --format cose fw.bin
	run --separate-stderr -2 fwtrail verify --trust pki/roots.pem fw.bin.sig fw.bin
	assert_equal "$stderr" "fwtrail verify: 'fw.bin.sig': a raw signature names no signer: give the signer's certificate with --cert"
	assert_equal "$output" ""
	run --separate-stderr -2 fwtrail verify --trust pki/roots.pem fw.bin.cose fw.bin
	assert_equal "$stderr" "fwtrail verify: 'fw.bin.cose': a COSE signature names no signer: give the signer's certificate with --cert"
	run --separate-stderr -2 fwtrail verify --json --trust pki/roots.pem fw.bin.sig fw.bin
	assert_equal "$(jq -r '.results[0].valid' <<< "$output")" null
	openssl pkey -in pki/leaf.key -pubout -out leaf.pub
	run --separate-stderr -2 fwtrail verify --trust pki/roots.pem --key leaf.pub fw.bin.sig fw.bin
	assert_equal "${stderr_lines[0]}" "fwtrail verify: --key does not go with --trust: a key is trusted as it is; give the signer's certificate with --cert, or none for a CMS signature"
	run --separate-stderr -2 fwtrail verify fw.bin.sig fw.bin
	assert_equal "${stderr_lines[0]}" "fwtrail verify: give --key, --cert or --trust"
}

@test "--trust: a certificate is valid from notBefore to notAfter, both ends included (0); a second after, expired (1)" {
	mk_pki pki
	fwtrail sign -q --key pki/leaf.key --format cms --cert pki/leaf.pem fw.bin
	nb=$(date -u -d "$(openssl x509 -in pki/leaf.pem -noout -startdate | cut -d= -f2)" +%s)
	na=$(date -u -d "$(openssl x509 -in pki/leaf.pem -noout -enddate | cut -d= -f2)" +%s)
	iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
	for t in "$nb" "$na"; do
		run --separate-stderr -0 fwtrail verify --trust pki/roots.pem --at "$(iso "$t")" fw.bin.p7s fw.bin
		assert_output "OK fw.bin (ES384 cms signature 'fw.bin.p7s' by 'O = fwtrail tests, CN = firmware signer')"
		# as --cert alone holds it
		run -0 fwtrail verify --cert pki/leaf.pem --at "$(iso "$t")" fw.bin.p7s fw.bin
	done
	run --separate-stderr -1 fwtrail verify --trust pki/roots.pem --at "$(iso $((na + 1)))" fw.bin.p7s fw.bin
	assert_output "FAIL fw.bin (signature 'fw.bin.p7s'): certificate chain does not validate: certificate 'O = fwtrail tests, CN = firmware signer' (depth 0) expired on $(iso "$na"), checked at $(iso $((na + 1)))"
	run --separate-stderr -1 fwtrail verify --trust pki/roots.pem --at "$(iso $((nb - 1)))" fw.bin.p7s fw.bin
	# (the intermediate, made in the same second or the one before, may be the one named)
	assert_output --regexp "\(depth [01]\) is not valid before [0-9T:-]{19}Z, checked at $(iso $((nb - 1)))\$"
}

@test "--trust: a revoked key on a certificate the CMS carries but the validated path does not use is no matter (0)" {
	mk_pki pki
	# the other root rides along in the signature, unused by the path
	cat pki/inter.pem pki/other-root.pem > extra.pem
	openssl cms -sign -binary -md sha384 -in fw.bin -signer pki/leaf.pem -inkey pki/leaf.key -certfile extra.pem \
		-outform DER -out extra.p7s
	openssl x509 -in pki/other-root.pem -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64 > rev-other.txt
	openssl x509 -in pki/root.pem -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64 > rev-root.txt
	run --separate-stderr -0 fwtrail verify --trust pki/root.pem --revoked rev-other.txt extra.p7s fw.bin
	assert_output "OK fw.bin (ES384 cms signature 'extra.p7s' by 'O = fwtrail tests, CN = firmware signer')"
	# the same with --cert and the unused certificate after the leaf in its file
	cat pki/leaf.pem pki/other-root.pem pki/inter.pem > cert-extra.pem
	run -0 fwtrail verify --trust pki/root.pem --cert cert-extra.pem --revoked rev-other.txt extra.p7s fw.bin
	# the path's own keys still count, each at its depth on the path
	run --separate-stderr -1 fwtrail verify --trust pki/root.pem --revoked rev-root.txt extra.p7s fw.bin
	assert_output "FAIL fw.bin (signature 'extra.p7s'): certificate chain does not validate: the key of 'O = fwtrail tests, CN = trust root' (depth 2, sha256:$(cat rev-root.txt)) is revoked ('rev-root.txt' line 1)"
	# and so does a trusted root above an intermediate that anchors the path
	run --separate-stderr -1 fwtrail verify --trust pki/roots.pem --revoked rev-root.txt extra.p7s fw.bin
	assert_output --partial "the key of 'O = fwtrail tests, CN = trust root' (depth 2, "
}

@test "--trust with --cert: an item that is no certificate is named by its position, and --key is not suggested (2)" {
	mk_pki pki
	fwtrail sign -q --key pki/leaf.key fw.bin
	openssl pkey -in pki/inter.key -pubout -out inter.pub
	cat pki/leaf.pem inter.pub > leafpub.pem
	run --separate-stderr -2 fwtrail verify --trust pki/root.pem --cert leafpub.pem fw.bin.sig fw.bin
	assert_equal "${stderr_lines[0]}" "fwtrail verify: 'leafpub.pem': item 2 of 2 is not a certificate: the file holds the signer's certificate, then its intermediates"
	assert_output ""
	openssl pkey -in pki/leaf.key -pubout -out leaf.pub
	run --separate-stderr -2 fwtrail verify --trust pki/root.pem --cert leaf.pub fw.bin.sig fw.bin
	assert_equal "${stderr_lines[0]}" "fwtrail verify: 'leaf.pub' is not a certificate: with --trust, give the signer's certificate"
	# without --trust, a public key goes with --key
	run --separate-stderr -2 fwtrail verify --cert leaf.pub fw.bin.sig fw.bin
	assert_equal "${stderr_lines[0]}" "fwtrail verify: 'leaf.pub' is not a certificate (use --key for a public key)"
}

@test "--trust holding no certificate (public keys only, an empty folder) is one usage error (2), before any signature" {
	mk_pki pki
	fwtrail sign -q --key pki/leaf.key --format cms --cert pki/leaf.pem fw.bin
	openssl pkey -in pki/root.key -pubout -out root.pub
	mkdir empty
	run --separate-stderr -2 fwtrail verify --trust root.pub fw.bin.p7s fw.bin missing.p7s fw.bin
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "fwtrail verify: no certificate in --trust 'root.pub': a chain validates to a certificate (bare public keys anchor none)"
	assert_equal "${stderr_lines[1]}" "Try 'fwtrail verify --help'."
	assert_output ""
	run --separate-stderr -2 fwtrail verify --json --trust empty --trust root.pub --cert pki/leaf.pem fw.bin.p7s fw.bin
	assert_equal "${stderr_lines[0]}" "fwtrail verify: no certificate in --trust 'empty', 'root.pub': a chain validates to a certificate (bare public keys anchor none)"
	# one certificate among them is enough
	run -0 fwtrail verify --trust empty --trust root.pub --trust pki/roots.pem fw.bin.p7s fw.bin
}

@test "--json: embedded_signer names the CMS signer identified by its subject key identifier too" {
	mk_pki pki
	for id in "" -keyid; do
		openssl cms -sign -binary -md sha384 $id -in fw.bin -signer pki/leaf.pem -inkey pki/leaf.key \
			-certfile pki/inter.pem -outform DER -out "o$id.p7s"
		for trust in "--cert pki/leaf.pem" "--trust pki/root.pem"; do
			run --separate-stderr -0 fwtrail verify --json $trust "o$id.p7s" fw.bin
			assert_equal "$(jq -r '.results[0].embedded_signer' <<< "$output")" "/O=fwtrail tests/CN=firmware signer"
		done
	done
}

@test "--json: each result's key_fingerprint is the key export fingerprint of the key that checked it; null for a malformed file" {
	fp=$(fwtrail --json key export "$KEYS/p384.pub.pem" | jq -r .sha256_fingerprint)
	[[ $fp =~ ^[0-9a-f]{64}$ ]]
	openssl dgst -sha384 -sign "$KEYS/p384.key.pem" -out good.sig fw.bin
	openssl dgst -sha384 -sign "$KEYS/other-p384.key.pem" -out other.sig fw.bin
	printf 'not a signature' > bad.sig
	# --key: the key given, for a valid signature and for a wrong one; none for a malformed file
	run --separate-stderr -4 fwtrail verify --json --key "$KEYS/p384.pub.pem" good.sig fw.bin other.sig fw.bin bad.sig fw.bin
	assert_equal "$(jq -c '[.results[] | [.valid, .key_fingerprint]]' <<< "$output")" "[[true,\"$fp\"],[false,\"$fp\"],[null,null]]"
	# --cert: the certificate's key
	run --separate-stderr -1 fwtrail verify --json --cert "$KEYS/p384.crt.pem" good.sig fw.bin other.sig fw.bin
	assert_equal "$(jq -c '[.results[] | [.valid, .key_fingerprint]]' <<< "$output")" "[[true,\"$fp\"],[false,\"$fp\"]]"
}

@test "--json --trust: key_fingerprint is the CMS signer's key, beside signer.key_fingerprint; a signer of another CA's too" {
	mk_pki pki
	fp=$(fwtrail --json key export pki/leaf.key | jq -r .sha256_fingerprint)
	ofp=$(fwtrail --json key export pki/other-leaf.key | jq -r .sha256_fingerprint)
	[[ $fp =~ ^[0-9a-f]{64}$ && $ofp =~ ^[0-9a-f]{64}$ && $fp != "$ofp" ]]
	fwtrail sign -q --key pki/leaf.key --format cms --cert pki/leaf.pem fw.bin
	fwtrail sign -q --key pki/other-leaf.key --format cms --cert pki/other-leaf.pem -o other.p7s fw.bin
	printf 'not a signature' > bad.p7s
	run --separate-stderr -4 fwtrail verify --json --trust pki/roots.pem fw.bin.p7s fw.bin other.p7s fw.bin bad.p7s fw.bin
	assert_equal "$(jq -c '[.results[] | [.valid, .key_fingerprint, .signer.key_fingerprint]]' <<< "$output")" \
		"[[true,\"$fp\",\"$fp\"],[false,\"$ofp\",null],[null,null,null]]"
	# --trust with --cert: the certificate's key
	run --separate-stderr -0 fwtrail verify --json --trust pki/roots.pem --cert pki/leaf-chain.pem fw.bin.p7s fw.bin
	assert_equal "$(jq -r '.results[0].key_fingerprint' <<< "$output")" "$fp"
}
