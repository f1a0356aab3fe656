#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The trust rules every verifying command shares (verify, sfr verify, rim
# verify, audit log verify, spdm verify, attest check): which certificates
# and JWKs may vouch for a signature, which entry of a trust store vouches,
# what a --trust folder's revoked.txt and kids.json apply to, and which
# leaf may be an SPDM responder's.

load helpers

KEYS="$TESTDATA/keys"
TR="$TESTDATA/trust"
SP="$TESTDATA/evidence/spdm"
REPORT="$TESTDATA/sfr/bmc-report.json"

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T" || return 1
	printf 'firmware image\n' > fw.bin
}

# jwk PEM 'JSON members' OUT: the public JWK of PEM (a private or public
# key) with the members added.
jwk() {
	$PY - "$@" <<'PY'
import base64, json, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
data = open(sys.argv[1], "rb").read()
try:
    key = serialization.load_pem_private_key(data, None).public_key()
except ValueError:
    key = serialization.load_pem_public_key(data)
def b(i, n=None):
    return base64.urlsafe_b64encode(i.to_bytes(n or (i.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()
n = key.public_numbers()
if isinstance(key, rsa.RSAPublicKey):
    j = {"kty": "RSA", "n": b(n.n), "e": b(n.e)}
else:
    w = (key.curve.key_size + 7) // 8
    j = {"kty": "EC", "crv": {"secp384r1": "P-384", "secp521r1": "P-521"}[key.curve.name], "x": b(n.x, w), "y": b(n.y, w)}
j.update(json.loads(sys.argv[2]))
open(sys.argv[3], "w").write(json.dumps(j))
PY
}

@test "verify: a certificate whose extended key usage allows only TLS, or with an unhandled critical extension, vouches for no firmware (exit 1)" {
	fwtrail -q sign --key "$KEYS/p384.key.pem" -o fw.sig fw.bin
	openssl cms -sign -binary -in fw.bin -signer "$TR/p384-eku-tls.crt.pem" -inkey "$KEYS/p384.key.pem" -outform DER -md sha384 -out fw.p7s
	run --separate-stderr -1 fwtrail verify --cert "$TR/p384-eku-tls.crt.pem" fw.sig fw.bin
	assert_output "FAIL fw.bin (signature 'fw.sig'): certificate '$TR/p384-eku-tls.crt.pem' may not sign data: its extended key usage allows only serverAuth (not codeSigning, documentSigning or anyExtendedKeyUsage)"
	run -1 fwtrail verify --cert "$TR/p384-eku-tls.crt.pem" fw.p7s fw.bin
	assert_output --partial "its extended key usage allows only serverAuth"
	run --separate-stderr -1 fwtrail verify --cert "$TR/p384-critical-ext.crt.pem" fw.sig fw.bin
	assert_output "FAIL fw.bin (signature 'fw.sig'): certificate '$TR/p384-critical-ext.crt.pem' may not sign data: it has a critical extension fwtrail does not handle (1.3.6.1.4.1.99999.1)"
	run --separate-stderr -1 fwtrail --json verify --cert "$TR/p384-eku-tls.crt.pem" fw.sig fw.bin
	run -0 jq -c '[.ok, .results[0].valid, .results[0].error.code]' <<< "$output"
	assert_output '[false,false,"verify_failed"]'
	# codeSigning (next to serverAuth), documentSigning (RFC 9336) and anyExtendedKeyUsage do
	for c in eku-code eku-doc eku-any current; do
		run --separate-stderr -0 fwtrail verify --cert "$TR/p384-$c.crt.pem" fw.sig fw.bin
		assert_output "OK fw.bin (ES384 raw signature 'fw.sig')"
	done
}

@test "rim verify, sfr verify and audit log verify: a TLS-only certificate does not vouch either (exit 1)" {
	fwtrail -q rim sign --key "$KEYS/p384.key.pem" --signer 'Test Signer' -o nic.corim "$TESTDATA/rim/nic.corim"
	run -1 fwtrail rim verify --key "$TR/p384-eku-tls.crt.pem" nic.corim
	assert_output --partial "certificate '$TR/p384-eku-tls.crt.pem' may not sign data: its extended key usage allows only serverAuth"
	run -1 fwtrail rim verify --key "$TR/p384-critical-ext.crt.pem" nic.corim
	assert_output --partial "it has a critical extension fwtrail does not handle (1.3.6.1.4.1.99999.1)"
	run -0 fwtrail rim verify --key "$TR/p384-eku-code.crt.pem" nic.corim
	fwtrail sfr sign -q --key "$KEYS/p384.key.pem" --kid lab -o r.jws "$REPORT"
	run -1 fwtrail sfr verify --key "$TR/p384-eku-tls.crt.pem" r.jws
	assert_output "FAIL r.jws: certificate '$TR/p384-eku-tls.crt.pem' may not sign data: its extended key usage allows only serverAuth (not codeSigning, documentSigning or anyExtendedKeyUsage)"
	mkdir store && cp "$TR/p384-eku-tls.crt.pem" store/
	run -1 fwtrail sfr verify --trust store r.jws
	run -0 fwtrail sfr verify --key "$TR/p384-eku-doc.crt.pem" r.jws
	cp "$TESTDATA/audit/logs/history.jsonl" h.jsonl
	run -0 "$ROOT/scripts/mk-audit-testdata.py" --append-checkpoint h.jsonl "$KEYS/p384.key.pem" 2026-10-01T00:00:00Z
	run --separate-stderr -1 fwtrail audit log verify --key "$TR/p384-eku-tls.crt.pem" h.jsonl
	assert_equal "$stderr" "fwtrail audit log verify: 'h.jsonl': line 6 (seq 6): bad_checkpoint: the key given does not vouch for it: certificate '$TR/p384-eku-tls.crt.pem' may not sign data: its extended key usage allows only serverAuth (not codeSigning, documentSigning or anyExtendedKeyUsage)"
	run -0 fwtrail audit log verify --key "$TR/p384-eku-any.crt.pem" h.jsonl
}

@test "an expired certificate is not rescued by a certificate of the same key that may not vouch, whatever the file names (exit 1)" {
	fwtrail sfr sign -q --key "$KEYS/p384.key.pem" --kid 'Test Lab' -o r.jws "$REPORT"
	fwtrail sfr sign -q --key "$KEYS/p384.key.pem" --kid 'Test Lab' --format cose -o r.cose "$REPORT"
	for o in ca-usage spdm-eku eku-tls critical-ext; do
		for names in "a b" "b a"; do
			set -- $names
			rm -rf store && mkdir store
			cp "$TR/p384-expired.crt.pem" "store/$1-expired.crt"
			cp "$TR/p384-$o.crt.pem" "store/$2-$o.crt"
			# the refusal says why the entry that verified may not vouch
			for r in r.jws r.cose; do
				run -1 fwtrail sfr verify --trust store "$r"
				assert_output --regexp "^FAIL $r: certificate ('store/$1-expired.crt' \(O = fwtrail tests, CN = fwtrail test signer p384-expired\) expired on 2021-01-01T00:00:00Z|'store/$2-$o.crt' .*(may not sign data|SPDM device identity))"
			done
			# a current signer's certificate for the key vouches
			cp "$TR/p384-current.crt.pem" store/c-current.crt
			run -0 fwtrail sfr verify --trust store r.jws
			assert_output --partial "OK r.jws: ES384 signature by 'store/c-current.crt'"
		done
	done
	# the key bare and a CA-only certificate for it: the bare key vouches, in either order
	for names in "a b" "b a"; do
		set -- $names
		rm -rf store && mkdir store
		cp "$TR/p384-ca-usage.crt.pem" "store/$1-ca.crt"
		cp "$KEYS/p384.pub.pem" "store/$2.pub"
		run -0 fwtrail sfr verify --trust store r.jws
		assert_output --partial "OK r.jws: ES384 signature by 'store/$2.pub'"
		run -0 fwtrail sfr verify --trust store r.cose
	done
}

@test "a JWK's use, key_ops and alg limit what it vouches for; a private JWK is refused (exit 2 with --key, 4 in a store)" {
	fwtrail sfr sign -q --key "$KEYS/p521.key.pem" --kid lab -o es512.jws "$REPORT"
	fwtrail sfr sign -q --key "$KEYS/rsa4096.key.pem" --kid lab -o ps512.jws "$REPORT"
	jwk "$KEYS/p521.pub.pem" '{}' plain.jwk
	jwk "$KEYS/p521.pub.pem" '{"use": "enc"}' enc.jwk
	jwk "$KEYS/p521.pub.pem" '{"key_ops": ["encrypt", "wrapKey"]}' ops.jwk
	jwk "$KEYS/p521.pub.pem" '{"use": "sig", "key_ops": ["verify"], "alg": "ES512"}' sig.jwk
	jwk "$KEYS/p521.pub.pem" '{"alg": "ES384"}' es384.jwk
	jwk "$KEYS/rsa4096.pub.pem" '{"alg": "PS384"}' ps384.jwk
	jwk "$KEYS/rsa4096.pub.pem" '{"alg": "PS512"}' ps512.jwk
	jwk "$KEYS/p521.key.pem" '{}' private.jwk
	$PY -c 'import json,sys; j=json.load(open("plain.jwk")); j["d"]="AAAA"; open("private.jwk","w").write(json.dumps(j))'
	run -0 fwtrail sfr verify --key plain.jwk es512.jws
	run -0 fwtrail sfr verify --key sig.jwk es512.jws
	run -1 fwtrail sfr verify --key enc.jwk es512.jws
	assert_output "FAIL es512.jws: key 'enc.jwk' may not verify signatures: its JWK 'use' is 'enc', not 'sig'"
	run -1 fwtrail sfr verify --key ops.jwk es512.jws
	assert_output "FAIL es512.jws: key 'ops.jwk' may not verify signatures: its JWK 'key_ops' does not include 'verify'"
	run --separate-stderr -4 fwtrail sfr verify --key es384.jwk es512.jws
	assert_equal "$stderr" "fwtrail sfr verify: JWK 'es384.jwk': its 'alg' ES384 does not fit its key (ec-p521)"
	run -1 fwtrail sfr verify --key ps384.jwk ps512.jws
	assert_output "FAIL ps512.jws: key 'ps384.jwk' may not verify PS512 signatures: its JWK 'alg' is 'PS384'"
	run -0 fwtrail sfr verify --key ps512.jwk ps512.jws
	run --separate-stderr -2 fwtrail sfr verify --key private.jwk es512.jws
	assert_equal "$stderr" "fwtrail sfr verify: JWK 'private.jwk' holds a private key (member 'd'); give the public key instead"
	mkdir store && cp private.jwk store/lab.jwk
	run --separate-stderr -4 fwtrail sfr verify --trust store es512.jws
	assert_equal "$stderr" "fwtrail sfr verify: JWK 'store/lab.jwk' holds a private key (member 'd'); give the public key instead"
	# in a store: only the JWK for another algorithm, then the key bare next to it
	rm -rf store && mkdir store && cp ps384.jwk store/a.jwk
	run -1 fwtrail sfr verify --trust store ps512.jws
	assert_output "FAIL ps512.jws: key 'store/a.jwk' may not verify PS512 signatures: its JWK 'alg' is 'PS384'"
	cp "$KEYS/rsa4096.pub.pem" store/b.pub
	run -0 fwtrail sfr verify --trust store ps512.jws
	assert_output --partial "OK ps512.jws: PS512 signature by 'store/b.pub'"
	# raw firmware signatures and COSE RIMs too
	fwtrail -q sign --key "$KEYS/rsa4096.key.pem" -o fw.sig fw.bin
	run -1 fwtrail verify --key ps384.jwk fw.sig fw.bin
	assert_output "FAIL fw.bin (signature 'fw.sig'): key 'ps384.jwk' may not verify PS512 signatures: its JWK 'alg' is 'PS384'"
	run -0 fwtrail verify --key ps512.jwk fw.sig fw.bin
	fwtrail -q rim sign --key "$KEYS/p521.key.pem" --signer 'Test Signer' -o nic.corim "$TESTDATA/rim/nic.corim"
	run -1 fwtrail rim verify --key enc.jwk nic.corim
	assert_output --partial "key 'enc.jwk' may not verify signatures: its JWK 'use' is 'enc', not 'sig'"
	run -0 fwtrail rim verify --key sig.jwk nic.corim
}

@test "a revoked.txt anywhere below a --trust folder is read; a kids.json below its top is refused (exit 1, 4)" {
	fwtrail sfr sign -q --key "$KEYS/p384.key.pem" --kid 'Test Lab' -o r.jws "$REPORT"
	fp=$(fwtrail --json key export "$KEYS/p384.key.pem" | jq -r .sha256_fingerprint)
	mkdir -p trust/Active/TestLab trust/Active/Other
	cp "$KEYS/p384.pub.pem" trust/Active/TestLab/testlab.pub
	cp "$KEYS/p521.pub.pem" trust/Active/Other/other.pem
	run -0 fwtrail sfr verify --trust trust r.jws
	printf '# TestLab revokes its own key\n%s\n' "$fp" > trust/Active/TestLab/revoked.txt
	for d in trust trust/Active trust/Active/TestLab; do
		run -1 fwtrail sfr verify --trust "$d" r.jws
		assert_output "FAIL r.jws: key 'trust/Active/TestLab/testlab.pub' (sha256:$fp) is revoked ('trust/Active/TestLab/revoked.txt' line 2)"
	done
	# the same store checks firmware and RIMs
	fwtrail -q rim sign --key "$KEYS/p384.key.pem" --signer 'Test Signer' -o nic.corim "$TESTDATA/rim/nic.corim"
	run -1 fwtrail rim verify --trust trust nic.corim
	assert_output --partial "is revoked ('trust/Active/TestLab/revoked.txt' line 2)"
	# one that does not parse is not ignored either
	echo 'not a fingerprint' >> trust/Active/TestLab/revoked.txt
	run --separate-stderr -4 fwtrail sfr verify --trust trust r.jws
	assert_equal "$stderr" "fwtrail sfr verify: revocation list 'trust/Active/TestLab/revoked.txt' line 3: not a SHA-256 key fingerprint (64 hex digits, optionally after 'sha256:')"
	rm trust/Active/TestLab/revoked.txt
	# a kid map applies to a whole store: below the top it is refused
	echo '{"Someone Else": "testlab.pub"}' > trust/Active/TestLab/kids.json
	run --separate-stderr -4 fwtrail sfr verify --trust trust r.jws
	assert_equal "$stderr" "fwtrail sfr verify: 'trust/Active/TestLab/kids.json' is below the --trust folder 'trust': a kid map applies to a whole trust store; move it to the top or give its folder as --trust"
	run -4 fwtrail rim verify --trust trust/ nic.corim
	assert_output --partial "'trust/Active/TestLab/kids.json' is below the --trust folder 'trust'"
	# given as --trust, that folder's map applies
	run -1 fwtrail sfr verify --trust trust/Active/TestLab r.jws
	assert_output "FAIL r.jws: kid 'Test Lab' is not mapped to a key in kids.json, and with a kid map no other trusted key is tried"
	# nor a --key given beside it (the map binds kids across the store)
	run -1 fwtrail sfr verify --trust trust/Active/TestLab --key trust/Active/TestLab/testlab.pub r.jws
	assert_output --partial "with a kid map no other trusted key is tried"
	# and at the top it maps keys below it
	mv trust/Active/TestLab/kids.json trust/kids.json
	echo '{"Test Lab": "Active/TestLab/testlab.pub"}' > trust/kids.json
	run -0 fwtrail sfr verify --trust trust r.jws
}

# Stop 36's files red team: a revoked.txt in a hidden folder was skipped
# with every hidden entry, and the revoked key verified (exit 0).  Hidden
# entries are still not read, but a hidden folder holding a list is refused.
@test "a hidden folder of a --trust store is not read, but one holding a revoked.txt is refused (exit 4)" {
	fwtrail sfr sign -q --key "$KEYS/p384.key.pem" --kid 'Test Lab' -o r.jws "$REPORT"
	fwtrail -q sign --key "$KEYS/p384.key.pem" -o fw.sig "$REPORT"
	fp=$(fwtrail --json key export "$KEYS/p384.key.pem" | jq -r .sha256_fingerprint)
	mkdir -p trust/.lists trust/.keys trust/keys
	cp "$KEYS/p384.pub.pem" trust/keys/testlab.pub
	cp "$KEYS/p521.pub.pem" trust/.keys/p521.pub
	# a hidden link to the same folder, or to /, changes nothing
	ln -s ../keys trust/.lists/cur
	ln -s / trust/.root
	run -0 fwtrail sfr verify --trust trust r.jws
	# a key in a hidden folder is not in the store
	fwtrail sfr sign -q --key "$KEYS/p521.key.pem" --kid 'Other' -o o.jws "$REPORT"
	run -1 fwtrail sfr verify --trust trust o.jws
	echo "$fp" > trust/.lists/revoked.txt
	run --separate-stderr -4 fwtrail sfr verify --trust trust r.jws
	assert_equal "$stderr" "fwtrail sfr verify: 'trust/.lists' holds a revocation list, but a hidden folder of the trust folder 'trust' is not read: move the list out of it (a revocation must not go unread)"
	mkdir -p ca/.lists
	cp "$TESTDATA/keys/ca.crt.pem" ca/
	run -0 fwtrail verify --trust ca --cert "$TESTDATA/trust/p384-current.crt.pem" fw.sig "$REPORT"
	echo "$fp" > ca/.lists/revoked.txt
	run -4 fwtrail verify --trust ca --cert "$TESTDATA/trust/p384-current.crt.pem" fw.sig "$REPORT"
	assert_output --partial "'ca/.lists' holds a revocation list"
	# moved out of it, the list is read
	mv ca/.lists/revoked.txt ca/revoked.txt
	run -1 fwtrail verify --trust ca --cert "$TESTDATA/trust/p384-current.crt.pem" fw.sig "$REPORT"
	assert_output --partial "is revoked ('ca/revoked.txt' line 1)"
}

@test "a --trust folder's kids.json and revoked.txt: a link to nothing or a FIFO is refused at once (exit 3)" {
	fwtrail sfr sign -q --key "$TESTDATA/sfr/keys/other-es512.key.pem" --kid 'Lab A' -o r.jws "$REPORT"
	mkdir -p store maps
	cp "$TESTDATA/sfr/keys/es512.pub.pem" store/a.pub
	cp "$TESTDATA/sfr/keys/other-es512.pub.pem" store/b.pub
	echo '{"Lab A": "a.pub", "Lab B": "b.pub"}' > maps/kids.json
	ln -s ../maps/kids.json store/kids.json
	# the map applies through the link: Lab A's key does not verify Lab B's signature
	run -1 fwtrail sfr verify --trust store r.jws
	assert_output "FAIL r.jws: ES512 signature does not verify with key 'store/a.pub': made by another key, or over other data"
	# the link's target gone: never 'no map, try every key' (which said OK)
	mv maps moved
	run --separate-stderr -3 fwtrail sfr verify --trust store r.jws
	assert_equal "$stderr" "fwtrail sfr verify: cannot read 'store/kids.json': No such file or directory (a link to nothing)"
	assert_output ""
	rm store/kids.json
	mkfifo store/kids.json
	run --separate-stderr -3 timeout 20 "$FWTRAIL" sfr verify --trust store r.jws
	assert_equal "$stderr" "fwtrail sfr verify: 'store/kids.json' in a trust folder is not a regular file"
	rm store/kids.json
	run -0 fwtrail sfr verify --trust store r.jws
	# a revoked.txt at any depth
	mkfifo store/revoked.txt
	run --separate-stderr -3 timeout 20 "$FWTRAIL" sfr verify --trust store r.jws
	assert_equal "$stderr" "fwtrail sfr verify: 'store/revoked.txt' in a trust folder is not a regular file"
	rm store/revoked.txt
	# nor a folder of that name (walked as a folder, it revoked nothing)
	mkdir store/revoked.txt
	run --separate-stderr -3 fwtrail sfr verify --trust store r.jws
	assert_equal "$stderr" "fwtrail sfr verify: 'store/revoked.txt' in a trust folder is not a regular file"
	rmdir store/revoked.txt
	# a list with CR line ends: its first comment would hide the rest
	printf '# revoked 2026-11\r%s\r' "$(fwtrail --json key export "$TESTDATA/sfr/keys/other-es512.key.pem" | jq -r .sha256_fingerprint)" > cr.txt
	run --separate-stderr -4 fwtrail sfr verify --trust store --revoked cr.txt r.jws
	assert_equal "$stderr" "fwtrail sfr verify: revocation list 'cr.txt' line 1: a carriage return inside the line (lines end in LF or CR LF)"
	mkdir store/deep && ln -s ../nowhere.txt store/deep/revoked.txt
	run --separate-stderr -3 timeout 20 "$FWTRAIL" rim verify --trust store "$TESTDATA/rim/nic.corim"
	assert_equal "$stderr" "fwtrail rim verify: cannot read 'store/deep/revoked.txt': No such file or directory (a link to nothing)"
	# a link to a regular list is read as the list
	printf '%s\n' "$(fwtrail --json key export "$TESTDATA/sfr/keys/other-es512.key.pem" | jq -r .sha256_fingerprint)" > list.txt
	ln -sfn "$T/list.txt" store/deep/revoked.txt
	run -1 fwtrail sfr verify --trust store r.jws
	assert_output --partial "is revoked ('store/deep/revoked.txt' line 1)"
}

# A store of links (as c_rehash and /etc/ssl/certs are): a key that is a
# link is the key it leads to, a linked folder is read once however many
# links lead to it, and a key link to nothing is an error, never a key
# quietly missing from the store (which made a good report a "no").
@test "a --trust folder follows links to keys and folders, once each; a key link to nothing is exit 3" {
	fwtrail sfr sign -q --key "$TESTDATA/sfr/keys/es512.key.pem" --kid 'Lab A' -o r.jws "$REPORT"
	mkdir -p store real/sub
	cp "$TESTDATA/sfr/keys/other-es512.pub.pem" store/other.pem
	cp "$TESTDATA/sfr/keys/es512.pub.pem" real/sub/lab.pem
	ln -s "$T/real/sub/lab.pem" store/lab.pem
	run --separate-stderr -0 fwtrail sfr verify --trust store r.jws
	assert_output --partial "ES512 signature by 'store/lab.pem'"
	# a linked folder, and links back up (a loop): read once, no error
	rm store/lab.pem
	ln -s "$T/real" store/linked
	ln -s .. real/sub/up
	ln -s "$T/store" store/self
	run --separate-stderr -0 fwtrail sfr verify --trust store r.jws
	assert_output --partial "ES512 signature by 'store/linked/sub/lab.pem'"
	# an upper-case extension is a key file too
	rm store/linked
	cp "$TESTDATA/sfr/keys/es512.pub.pem" store/LAB.PEM
	run --separate-stderr -0 fwtrail sfr verify --trust store r.jws
	# a key link that leads nowhere
	ln -s "$T/gone.pem" store/dead.pem
	run --separate-stderr -3 fwtrail sfr verify --trust store r.jws
	assert_equal "$stderr" "fwtrail sfr verify: cannot read 'store/dead.pem' in trust folder 'store': a link to nothing"
	# a link to nothing that names no key file is no concern of the store
	rm store/dead.pem
	ln -s "$T/gone.txt" store/notes.txt
	run --separate-stderr -0 fwtrail sfr verify --trust store r.jws
}

@test "kids.json takes paths relative to the folder as written (./a.pub, sub//a.pub), never with '..'" {
	fwtrail sfr sign -q --key "$TESTDATA/sfr/keys/es512.key.pem" --kid 'Lab A' -o r.jws "$REPORT"
	mkdir -p store/sub
	cp "$TESTDATA/sfr/keys/es512.pub.pem" store/sub/a.pub
	cp "$TESTDATA/sfr/keys/other-es512.pub.pem" store/b.pub
	for m in ./sub/a.pub sub//a.pub sub/./a.pub; do
		printf '{"Lab A": "%s"}\n' "$m" > store/kids.json
		run --separate-stderr -0 fwtrail sfr verify --trust store r.jws
	done
	printf '{"Lab A": "sub/../sub/a.pub"}\n' > store/kids.json
	run --separate-stderr -4 fwtrail sfr verify --trust store r.jws
	assert_equal "$stderr" "fwtrail sfr verify: 'store/kids.json': kid 'Lab A' must map to a file inside the folder, by a relative path without '..'"
	printf '{"Lab A": "sub/a.txt"}\n' > store/kids.json
	run --separate-stderr -4 fwtrail sfr verify --trust store r.jws
	assert_equal "$stderr" "fwtrail sfr verify: 'store/kids.json': kid 'Lab A' maps to 'sub/a.txt', which is no key file the folder holds (keys are read from *.pem, *.pub, *.crt, *.cer, *.der, *.jwk)"
}

@test "spdm verify, attest check: a leaf whose EKU has only the DMTF requester purpose is not a responder's (exit 1)" {
	nonce=$(jq -r '."spdm11.bin".request_nonce' "$SP/expected.json")
	run --separate-stderr -1 fwtrail spdm verify --cert "$TR/spdm/requester-chain.pem" --trust "$SP/root.pem" --nonce "$nonce" "$TR/spdm/requester.bin"
	assert_equal "$stderr" "fwtrail spdm verify: the leaf is an SPDM requester certificate, not a responder's (its extended key usage has the DMTF requester-authentication purpose 1.3.6.1.4.1.412.274.4 and not the responder one, 1.3.6.1.4.1.412.274.3)"
	run --separate-stderr -1 fwtrail --json spdm verify --cert "$TR/spdm/requester-chain.pem" --trust "$SP/root.pem" "$TR/spdm/requester.bin"
	run -0 jq -c '[.ok, .error.code]' <<< "$output"
	assert_output '[false,"verify_failed"]'
	# the signature itself is good: without --trust nothing says whose leaf it is
	run -0 fwtrail spdm verify --cert "$TR/spdm/requester-chain.pem" "$TR/spdm/requester.bin"
	# a leaf with both purposes is a responder's too
	run --separate-stderr -0 fwtrail spdm verify --cert "$TR/spdm/both-chain.pem" --trust "$SP/root.pem" --nonce "$nonce" "$TR/spdm/both.bin"
	assert_output --partial "chain validated; nonce as expected"
	# through attest check, against reference values of the measured blocks
	fwtrail -q rim create --vendor ACME --model DEV --from-spdm "$TR/spdm/both.bin" -o rim.corim
	run -1 fwtrail attest check -e "$TR/spdm/requester.bin" --rim rim.corim --spdm-cert "$TR/spdm/requester-chain.pem" --spdm-trust "$SP/root.pem" --spdm-nonce "$nonce"
	assert_output --partial "signature NOT verified: the leaf is an SPDM requester certificate, not a responder's"
	run -0 fwtrail attest check -e "$TR/spdm/both.bin" --rim rim.corim --spdm-cert "$TR/spdm/both-chain.pem" --spdm-trust "$SP/root.pem" --spdm-nonce "$nonce"
}
