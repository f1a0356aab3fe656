#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail eventlog replay --quote --expect: only the (bank, PCR) pairs the
# quote signs are decided on (RELIABILITY E6, CVE-2024-29039 class).  The
# quotes in testdata/evidence/eventlog/quote/ are TPM2_Quote attestations
# over selections of agile.bin's replayed PCRs, made and signed (RSASSA,
# testdata/keys/rsa2048) by scripts/gen-eventlog.py; swtpm quotes are in
# eventlog-quote.bats.

load helpers

EV="$TESTDATA/evidence/eventlog"
AK="$TESTDATA/keys/rsa2048.pub.pem"
NONCE=5ca1ab1e0ddba11fee1d

setup() {
	T=$BATS_TEST_TMPDIR
	REF="$EV/agile.expected.json"
}

# replay agile.bin against quote/$1.{msg,sig} and the reference $2
scoped() { # quote reference [args...]
	local q=$1 ref=$2
	shift 2
	fwtrail eventlog replay --quote "$EV/quote/$q.msg" --quote-sig "$EV/quote/$q.sig" --ak "$AK" --nonce "$NONCE" \
		--expect "$ref" "$@" "$EV/agile.bin"
}

# a copy of the reference at $1 with the value of (bank $2, PCR $3) changed
# (or, with $4 = drop, removed; with $4 = hex, set to that)
edit_ref() {
	$PY - "$REF" "$@" <<'EOF'
import json, sys
src, out, bank, pcr = sys.argv[1:5]
how = sys.argv[5] if len(sys.argv) > 5 else "flip"
o = json.load(open(src))
b = o["banks"].setdefault(bank, {})
if how == "drop":
    b.pop(pcr, None) if pcr != "*" else o["banks"].pop(bank)
elif how == "flip":
    v = b[pcr]
    b[pcr] = ("0" if v[0] != "0" else "1") + v[1:]
else:
    b[pcr] = how
json.dump(o, open(out, "w"))
EOF
}

@test "the audit's reproducer: a quote of sha256 PCR 0 decides on sha256 PCR 0 only" {
	run --separate-stderr -0 scoped sha256-0 "$REF"
	assert_line "all PCRs the quote signs match '$REF' (sha256 0)"
	assert_line --partial "quote '$EV/quote/sha256-0.msg' verified: AK sha256:"
	assert_line --partial "PCRs sha256:0, nonce checked"
	refute_output --partial "all replayed PCRs match"
	refute_output --partial "sha384)"
	assert_equal "$stderr" ""
	# --pcrs 0 no longer compares the sha1 and sha384 banks either
	run --separate-stderr -0 scoped sha256-0 "$REF" --pcrs 0
	assert_line "all PCRs the quote signs match '$REF' (sha256 0)"
	run --separate-stderr -0 scoped sha256-0 "$REF" --pcrs 0 --json
	$PY -c '
import json, sys
o = json.loads(sys.stdin.read())
e = o["expect"]
assert o["ok"] is True and e["match"] is True and e["quote_signed_only"] is True, o
assert e["compared"] == {"sha256": [0]}, e
assert o["quote"]["verified"] is True and o["quote"]["selection"] == {"sha256": [0]}, o["quote"]' <<< "$output"
}

@test "a difference in a signed PCR is a no" {
	edit_ref "$T/r.json" sha256 0
	run --separate-stderr -1 scoped sha256-0 "$T/r.json"
	[[ $stderr == *"sha256 PCR 0 differs: replayed "* ]] || fail "$stderr"
	[[ $stderr == *"1 PCR value differs from the reference"* ]] || fail "$stderr"
	refute_output --partial "match"
	run --separate-stderr -1 scoped sha256-0-7 "$T/r.json" --json
	$PY -c '
import json, sys
o = json.loads(sys.stdin.read())
e = o["expect"]
assert o["ok"] is False and o["error"]["code"] == "verify_failed", o
assert e["match"] is False and e["compared"] == {"sha256": [0, 7]}, e
assert [(m["bank"], m["pcr"]) for m in e["mismatches"]] == [("sha256", 0)], e' <<< "$output"
	# the same reference without a quote: every replayed PCR decides
	run --separate-stderr -1 fwtrail eventlog replay --expect "$T/r.json" "$EV/agile.bin"
}

@test "a difference only in PCRs the quote does not sign is not decided on, and the output says what was" {
	edit_ref "$T/r1.json" sha256 4
	edit_ref "$T/r2.json" sha1 0
	edit_ref "$T/r3.json" sha384 0
	for r in r1 r2 r3; do
		run --separate-stderr -0 scoped sha256-0-7 "$T/$r.json"
		assert_line "all PCRs the quote signs match '$T/$r.json' (sha256 0,7)"
		assert_equal "$stderr" ""
		# without the quote, the log alone: a no
		run --separate-stderr -1 fwtrail eventlog replay --expect "$T/$r.json" "$EV/agile.bin"
		[[ $stderr == *" differs: replayed "* ]] || fail "$r: $stderr"
	done
}

@test "a quote over three banks compares each bank's signed PCRs; a bank the reference lacks is said" {
	run --separate-stderr -0 scoped multi "$REF"
	assert_line "all PCRs the quote signs match '$REF' (sha1 0,4; sha256 0,7; sha384 7)"
	edit_ref "$T/r.json" sha384 7
	run --separate-stderr -1 scoped multi "$T/r.json"
	[[ $stderr == *"sha384 PCR 7 differs"* ]] || fail "$stderr"
	# a reference without sha384: what was compared, and what was signed but not compared
	edit_ref "$T/no384.json" sha384 '*' drop
	run --separate-stderr -0 scoped multi "$T/no384.json"
	assert_line "the PCRs compared, all signed by the quote, match '$T/no384.json' (sha1 0,4; sha256 0,7); signed but not compared: sha384 7"
	run --separate-stderr -0 scoped multi "$T/no384.json" --json
	$PY -c 'import json, sys; e = json.loads(sys.stdin.read())["expect"]; assert e["compared"] == {"sha1": [0, 4], "sha256": [0, 7]}, e' <<< "$output"
	# narrowed: --bank and --pcrs inside the selection
	run --separate-stderr -0 scoped multi "$REF" --bank sha1 --pcrs 4
	assert_line "the PCRs compared, all signed by the quote, match '$REF' (sha1 4); signed but not compared: sha1 0; sha256 0,7; sha384 7"
	run --separate-stderr -0 scoped multi "$REF" --pcrs 7 --bank sha256,sha384
	assert_line --partial "match '$REF' (sha256 7; sha384 7); signed but not compared: sha1 0,4; sha256 0"
	# --bank asks for a bank the reference lacks: a difference, as without a quote
	run --separate-stderr -1 scoped multi "$T/no384.json" --bank sha384
	[[ $stderr == *"sha384 PCR 7: replayed "*", not given in '$T/no384.json'"* ]] || fail "$stderr"
}

@test "--bank or --pcrs outside the signed selection is a no naming the bank and PCR" {
	run --separate-stderr -1 scoped sha256-0 "$REF" --bank sha1
	[[ $stderr == *"the quote does not sign any PCR of the sha1 bank"* ]] || fail "$stderr"
	refute_output --partial "match"
	run --separate-stderr -1 scoped sha256-0 "$REF" --bank sha256,sha384 --pcrs 0
	[[ $stderr == *"the quote does not sign any PCR of the sha384 bank"* ]] || fail "$stderr"
	run --separate-stderr -1 scoped sha256-0 "$REF" --pcrs 0,7
	[[ $stderr == *"PCR 7 is not in the quote's signed selection"* ]] || fail "$stderr"
	run --separate-stderr -1 scoped sha256-0 "$REF" --bank sha256 --pcrs 4
	[[ $stderr == *"sha256 PCR 4 is not in the quote's signed selection"* ]] || fail "$stderr"
	# PCR 4 is signed in sha1 but not in sha256, which is compared too
	run --separate-stderr -1 scoped multi "$REF" --pcrs 4
	assert_equal "$stderr" "fwtrail eventlog replay: sha256 PCR 4 is not in the quote's signed selection"
	refute_output --partial "match"
	run --separate-stderr -1 scoped multi "$REF" --pcrs 4 --json
	$PY -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["ok"] is False and "sha256 PCR 4" in o["error"]["message"], o
assert o["expect"]["match"] is False and o["expect"]["compared"] == {} and o["quote"]["verified"] is True, o' <<< "$output"
}

@test "a signed PCR the log never extends compares with its reset value" {
	run --separate-stderr -1 scoped sha256-0-10 "$REF"
	[[ $stderr == *"sha256 PCR 10: replayed $(printf '0%.0s' $(seq 64)), not given in '$REF'"* ]] || fail "$stderr"
	edit_ref "$T/r.json" sha256 10 "$(printf '0%.0s' $(seq 64))"
	run --separate-stderr -0 scoped sha256-0-10 "$T/r.json"
	assert_line "all PCRs the quote signs match '$T/r.json' (sha256 0,10)"
	edit_ref "$T/r2.json" sha256 10 "$(printf '0%.0s' $(seq 63))1"
	run --separate-stderr -1 scoped sha256-0-10 "$T/r2.json"
	[[ $stderr == *"sha256 PCR 10 differs"* ]] || fail "$stderr"
}

@test "a forged quote: nothing is compared, and the answer is no" {
	cp "$EV/quote/sha256-0.sig" "$T/f.sig"
	$PY -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-40] ^= 1; open(sys.argv[2], "wb").write(b)' \
		"$EV/quote/sha256-0.msg" "$T/f.msg"
	run --separate-stderr -1 fwtrail eventlog replay --quote "$T/f.msg" --quote-sig "$T/f.sig" --ak "$AK" \
		--expect "$REF" "$EV/agile.bin"
	[[ $stderr == *"quote signature: RSASSA-SHA256 signature does not match key"* ]] || fail "$stderr"
	refute_output --partial "match"
	run --separate-stderr -1 fwtrail eventlog replay --quote "$T/f.msg" --quote-sig "$T/f.sig" --ak "$AK" \
		--expect "$REF" --json "$EV/agile.bin"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); assert o["ok"] is False and "expect" not in o and o["quote"]["failed"] == "signature", o' <<< "$output"
	# another key
	run --separate-stderr -1 fwtrail eventlog replay --quote "$EV/quote/sha256-0.msg" --quote-sig "$EV/quote/sha256-0.sig" \
		--ak "$TESTDATA/keys/rsa3072.pub.pem" --expect "$REF" "$EV/agile.bin"
	refute_output --partial "match"
}

@test "a quote over a log whose sha256 values differ is a no before any comparison" {
	run --separate-stderr -1 fwtrail eventlog replay --quote "$EV/quote/sha256-0-7.msg" --quote-sig "$EV/quote/sha256-0-7.sig" \
		--ak "$AK" --nonce "$NONCE" --expect "$REF" "$EV/locality3.bin"
	[[ $stderr == *"pcrDigest differs"* ]] || fail "$stderr"
	refute_output --partial "match"
}
