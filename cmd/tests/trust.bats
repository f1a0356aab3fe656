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
	assert_output "FAIL r.jws: kid 'Test Lab' is not mapped to a key in kids.json"
	# and at the top it maps keys below it
	mv trust/Active/TestLab/kids.json trust/kids.json
	echo '{"Test Lab": "Active/TestLab/testlab.pub"}' > trust/kids.json
	run -0 fwtrail sfr verify --trust trust r.jws
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
