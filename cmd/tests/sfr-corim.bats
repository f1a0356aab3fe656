#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The CoRIM form of Short Form Reports: sfr convert / create --format corim /
# sign --format cose / verify and show on COSE_Sign1 and COSE_Sign, checked
# against an independent Python implementation (scripts/interop-sfr.py, cbor2
# and cryptography), the published reports, the profile's example, and the
# hostile COSE cases of RELIABILITY.md C1-C10.

load helpers

K="$TESTDATA/sfr/keys"
REPORT="$TESTDATA/sfr/bmc-report.json"
IOP="$ROOT/scripts/interop-sfr.py"
MS_BASE="2026-04-21_Microsoft-Corporation_Microsoft-HSM-Cryptographic-Module-Layer-0-RoT_Final-Report"

# True when a JSON report lacks what the CoRIM form requires (a whole
# scope number, a YYYY-MM-DD date, a firmware hash), decided by Python.
lacks_required() {
	$PY - "$1" <<'PY'
import datetime, json, sys
r = json.load(open(sys.argv[1]))
a, d = r["audit"], r["device"]
scope = a.get("scope_number", a.get("scope"))
try:
    datetime.datetime.strptime(a.get("completion_date") or "", "%Y-%m-%d")
    dated = True
except ValueError:
    dated = False
whole = isinstance(scope, int) or (isinstance(scope, str) and scope.isdigit())
hashed = bool(d.get("fw_hash_sha2_384") or d.get("fw_hash_sha2_512"))
sys.exit(0 if not (whole and dated and hashed) else 1)
PY
}

setup() {
	T=$BATS_TEST_TMPDIR
	$PY -c 'import cbor2, cryptography' 2>/dev/null || skip "python3-cbor2 or python3-cryptography is not installed"
}

@test "convert: the fixture's CoRIM form is the bytes Python writes from the CDDL, and reads back" {
	run -0 fwtrail sfr convert --to corim -o "$T/bmc.corim" "$REPORT"
	assert_line "fwtrail sfr convert: warning: the CoRIM form does not carry \$.device.category"
	assert_line "fwtrail sfr convert: warning: the CoRIM form does not carry \$.audit.methodology"
	cmp "$T/bmc.corim" "$TESTDATA/sfr/bmc-report.corim"
	$PY "$IOP" mk-corim "$REPORT" "$T/py.corim"
	cmp "$T/bmc.corim" "$T/py.corim"
	# cbor2 finds the CDDL's required keys, and the fields the report carries
	run -0 $PY "$IOP" check "$T/bmc.corim"
	local seen=$output
	run -0 $PY "$IOP" carried "$REPORT"
	assert_equal "$seen" "$output"
	# back to JSON: the same carried fields
	run -0 fwtrail sfr convert --to json -o "$T/back.json" "$T/bmc.corim"
	run -0 $PY "$IOP" carried "$T/back.json"
	assert_equal "$seen" "$output"
	run -0 jq -r '(.device | has("category")), (.audit | has("methodology"))' "$T/back.json"
	assert_output "false
false"
	# deterministic: the same bytes again, from the JSON and from the CoRIM
	run -0 fwtrail sfr convert --to corim -o "$T/again.corim" "$T/back.json"
	cmp "$T/bmc.corim" "$T/again.corim"
	run -0 fwtrail sfr create --from "$REPORT" --format corim -o "$T/create.corim"
	cmp "$T/bmc.corim" "$T/create.corim"
}

@test "convert --to corim: every value the CoRIM form loses is named, JWT claims and unknown members too" {
	# before: iat was named, exp, nbf and unknown members were lost silently
	$PY - "$REPORT" "$T/claims.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r.update({"iat": 1754594598, "nbf": 1754594598, "exp": 4102444800, "x-lab": "note"})
r["audit"]["x-ticket"] = 17
r["audit"]["issues"][0]["x-jira"] = "FW-1"
json.dump(r, open(sys.argv[2], "w"), indent=4)
PY
	run -0 --separate-stderr fwtrail sfr convert --to corim -o "$T/c.corim" "$T/claims.json"
	assert_equal "$(printf '%s\n' "${stderr_lines[@]}" | sed 's/^fwtrail sfr convert: warning: the CoRIM form does not carry //')" \
		'$.device.category
$.audit.methodology
$.iat
$.nbf
$.exp
$.x-lab
$.audit.x-ticket
$.audit.issues[0].x-jira'
	[ -s "$T/c.corim" ]
	run -0 fwtrail sfr convert --json --to corim -o "$T/c2.corim" "$T/claims.json"
	run -0 jq -c '.dropped' <<< "$output"
	assert_output '["$.device.category","$.audit.methodology","$.iat","$.nbf","$.exp","$.x-lab","$.audit.x-ticket","$.audit.issues[0].x-jira"]'
	# what it carries reads back the same; the lost claims do not come back
	run -0 fwtrail sfr convert --to json "$T/c.corim"
	run -0 jq -c '[.iat, .exp, .nbf, .device.vendor]' <<< "$output"
	assert_output '[null,null,null,"ACME Inc"]'
}

@test "convert: every published JSON report round-trips, or names the field the profile requires" {
	need_corpus sfr
	local f n=0 refused=0 seen
	while IFS= read -r -d '' f; do
		rm -f "$T/r.corim" "$T/r.json"
		run fwtrail sfr convert --to corim -o "$T/r.corim" "$f"
		if [ "$status" -ne 0 ]; then
			# only for what the report lacks, checked independently
			[ "$status" -eq 4 ] || fail "$f: exit $status: $output"
			[ ! -e "$T/r.corim" ] || fail "$f: output written on failure"
			lacks_required "$f" || fail "$f: refused, but it has what the profile requires: $output"
			refused=$((refused + 1))
			continue
		fi
		$PY "$IOP" mk-corim "$f" "$T/py.corim"
		cmp "$T/r.corim" "$T/py.corim" || fail "$f: fwtrail and Python write different bytes"
		run -0 $PY "$IOP" carried "$f"
		seen=$output
		run -0 $PY "$IOP" check "$T/r.corim"
		assert_equal "$output" "$seen"
		run -0 fwtrail sfr convert --to json -o "$T/r.json" "$T/r.corim"
		run -0 $PY "$IOP" carried "$T/r.json"
		assert_equal "$output" "$seen"
		n=$((n + 1))
	done < <(find "$CORPORA/sfr/Reports" "$CORPORA/sfr/shortform_report-main" -name '*.json' ! -name EXPECTED.json -print0)
	echo "# $n converted, $refused refused" >&3
	[ "$n" -ge 11 ]
	[ $((n + refused)) -ge 35 ]
}

@test "convert: a report lacking a scope or a date is exit 4, names the field, writes nothing" {
	jq 'del(.audit.scope_number)' "$REPORT" > "$T/noscope.json"
	mkdir "$T/out"
	snapshot_out "$T/out/out.corim"
	run -4 --separate-stderr fwtrail sfr convert --to corim -o "$T/out/out.corim" "$T/noscope.json"
	assert_equal "$stderr" "fwtrail sfr convert: cannot convert '$T/noscope.json' to the CoRIM form: the OCP SAFE CoRIM profile requires \$.audit.scope_number"
	assert_nothing_written
	jq '.audit.completion_date = "None"' "$REPORT" > "$T/nodate.json"
	run -4 fwtrail sfr convert --to corim -o "$T/out/out.corim" "$T/nodate.json"
	assert_output --partial "\$.audit.completion_date 'None' is not a date (YYYY-MM-DD)"
	# a date and time: its time would be dropped, its offset move the day
	for d in 2026-03-14T12:00:00+14:00 2026-03-14T00:00:00Z; do
		jq --arg d "$d" '.audit.completion_date = $d' "$REPORT" > "$T/datetime.json"
		run -4 fwtrail sfr convert --to corim -o "$T/out/out.corim" "$T/datetime.json"
		assert_output --partial "\$.audit.completion_date '$d' is not a date (YYYY-MM-DD)"
		run -4 fwtrail sfr create --from "$T/datetime.json" --format corim -o "$T/out/out.corim"
	done
	jq '.device.fw_hash_sha2_384 = "" | .device.fw_hash_sha2_512 = ""' "$REPORT" > "$T/nohash.json"
	run -4 fwtrail sfr convert --to corim -o "$T/out/out.corim" "$T/nohash.json"
	assert_output --partial "requires a firmware hash"
	assert_nothing_written
	# create --scope supplies what an old report lacks
	run -0 fwtrail sfr create --from "$T/noscope.json" --scope 2 --format corim -o "$T/out/out.corim"
	run -0 fwtrail sfr show "$T/out/out.corim"
	assert_line "scope:        2"
}

@test "convert: the OCP profile's example (diagnostic notation) reads as cbor2 sees it" {
	need_corpus corim/ocp-safe
	$PY "$IOP" diag2cbor "$CORPORA/corim/ocp-safe/examples/ocp-safe-sfr-fw-example.diag" "$T/ex.cbor"
	run -0 $PY "$IOP" check "$T/ex.cbor"
	local seen=$output
	run -0 fwtrail sfr convert --to json -o "$T/ex.json" "$T/ex.cbor"
	run -0 $PY "$IOP" carried "$T/ex.json"
	assert_equal "$output" "$seen"
	run -0 fwtrail sfr show "$T/ex.cbor"
	assert_line "format:       CoRIM (unsigned)"
	assert_line "date:         2023-06-25"
	assert_line --regexp "^ +8\.7 high +CWE-222 +CVE-2014-10000 +Debug commands enable arbitrary memory read/write$"
	# the version scheme ("semver") has no place in the JSON form; the rest
	# comes back the same way into CBOR
	run -0 fwtrail sfr convert --to corim -o "$T/ex2.cbor" "$T/ex.json"
	run -0 $PY "$IOP" check "$T/ex2.cbor"
	assert_equal "$output" "$seen"
}

@test "the published COSE_Sign report verifies with the Tetrel key, alg inferred; --strict refuses it" {
	need_corpus sfr
	need_corpus corim/ocp-safe
	local m f
	for m in "$CORPORA/corim/ocp-safe/microsoft/${MS_BASE}_signed.cbor" \
		"$CORPORA/sfr/Reports/Microsoft/2026/microsoft_hsm_cryptographic_module/v3.4.6.7-60219024/${MS_BASE}_signed.cbor"; do
		run -0 fwtrail sfr verify --trust "$CORPORA/sfr/SRP_certificates" "$m"
		assert_output --regexp "^OK .*_signed.cbor: ES512 COSE_Sign signature by '.*/Tetrel_Security/tetrel-ocp-sfr-signing-key.pub' \(sha256:[0-9a-f]{64}\); alg inferred from the trusted key; firmware not checked \(no --fw or --manifest\)$"
		run -1 fwtrail sfr verify --strict --trust "$CORPORA/sfr/SRP_certificates" "$m"
		assert_output --partial "FAIL"
		assert_output --partial "no alg in the protected header, and strict mode does not infer it from the trusted key"
		run -1 fwtrail sfr verify --key "$CORPORA/sfr/SRP_certificates/Active/NCC_Group/ocp_safe_ncc_group_ecdsa_p521.pub" "$m"
		# Python agrees, independently
		run -0 $PY "$IOP" verify "$m" "$CORPORA/sfr/SRP_certificates/Active/Tetrel_Security/tetrel-ocp-sfr-signing-key.pub"
		assert_output --partial '"alg_inferred": true'
	done
	m="$CORPORA/corim/ocp-safe/microsoft/${MS_BASE}_signed.cbor"
	run -0 fwtrail sfr verify --json --key "$CORPORA/corim/ocp-safe/microsoft/tetrel-ocp-sfr-signing-key.pub" "$m"
	run -0 jq -c '.reports[0] | [.format, .alg, .alg_inferred, .kid, .signed]' <<< "$output"
	assert_output '["cose-sign","ES512",true,"tetrel-ocp-sfr-signing-key",true]'
	# the content is the sibling JSON's, field for field (those the CDDL carries)
	run -0 fwtrail sfr convert --to json -o "$T/ms.json" "$m"
	assert_output --partial "is signed (cose-sign): its signature is neither checked nor kept"
	run -0 $PY "$IOP" carried "$CORPORA/corim/ocp-safe/microsoft/$MS_BASE.json"
	f=$output
	run -0 $PY "$IOP" carried "$T/ms.json"
	assert_equal "$output" "$f"
	run -0 $PY "$IOP" check "$m"
	assert_equal "$output" "$f"
	# show says how the signature was checked
	run -0 fwtrail sfr show --trust "$CORPORA/sfr/SRP_certificates" "$m"
	assert_line "format:       CoRIM in COSE_Sign, ES512 (alg inferred from the trusted key), kid 'tetrel-ocp-sfr-signing-key'"
	assert_line --regexp "^signature:    verified with '.*tetrel-ocp-sfr-signing-key.pub' \(sha256:[0-9a-f]{64}\)$"
	assert_line "product:      Microsoft HSM Cryptographic Module (Layer 0 RoT)"
	run -0 fwtrail sfr show "$m"
	assert_line "format:       CoRIM in COSE_Sign, no alg, kid 'tetrel-ocp-sfr-signing-key'"
	assert_line "signature:    not checked (give --trust or --key to check it)"
	run -0 fwtrail sfr show --json --trust "$CORPORA/sfr/SRP_certificates" "$m"
	run -0 jq -c '[.format, .signature.alg, .signature.alg_inferred, .payload.device.fw_version, .payload.audit.srp]' <<< "$output"
	assert_output '["cose-sign","ES512",true,"3.4.2.4-50922174","Tetrel Security Inc."]'
	# and the firmware binding holds for its SHA-384 only
	printf 'not the HSM firmware' > "$T/other.bin"
	run -1 fwtrail sfr verify --trust "$CORPORA/sfr/SRP_certificates" --fw "$T/other.bin" "$m"
	assert_output --partial "fw_hash_sha2_384 does not match"
}

@test "sign --format cose: COSE_Sign1 with alg, kid and content type; Python, sfr verify --strict and rim verify accept it" {
	local k alg
	for k in es384:ES384 es512:ES512 ps384:PS384 ps512:PS512; do
		alg=${k#*:}
		k=${k%%:*}
		run --separate-stderr -0 fwtrail sfr sign --key "$K/$k.key.pem" --kid 'ACME Review Lab' --format cose -o "$T/$k.cose" "$REPORT"
		assert_output --regexp "^$T/$k.cose: $alg COSE_Sign1 signature by '.*$k.key.pem' \(sha256:[0-9a-f]{64}\)$"
		# what the CoRIM form leaves out is named, as convert names it
		assert_equal "$stderr" "fwtrail sfr sign: warning: the CoRIM form does not carry \$.device.category
fwtrail sfr sign: warning: the CoRIM form does not carry \$.audit.methodology"
		run -0 $PY "$IOP" verify "$T/$k.cose" "$K/$k.pub.pem"
		assert_output "{\"alg\": \"$alg\", \"alg_inferred\": false, \"content_type\": \"application/rim+cbor\", \"cose\": \"COSE_Sign1\", \"kid\": \"ACME Review Lab\"}"
		run -0 $PY "$IOP" check "$T/$k.cose"
		run -0 fwtrail sfr verify --strict --key "$K/$k.pub.pem" --fw "$TESTDATA/firmware/bmc-1.2.3.bin" "$T/$k.cose"
		assert_output --regexp "^OK .*: $alg COSE_Sign1 signature by .*; firmware '.*bmc-1.2.3.bin' matches$"
		run -0 fwtrail rim verify --key "$K/$k.pub.pem" "$T/$k.cose"
	done
	# the protected header: alg, content type, kid, corim-meta naming the provider
	run -0 $PY -c 'import cbor2,sys; m=cbor2.loads(open(sys.argv[1],"rb").read()); h=cbor2.loads(m.value[0]); print(sorted(h), h[1], h[3], h[4], cbor2.loads(h[8])[0][0], m.value[1])' "$T/es512.cose"
	assert_output "[1, 3, 4, 8] -36 application/rim+cbor b'ACME Review Lab' ACME Review Lab {}"
	# wrong key, another image
	run -1 fwtrail sfr verify --key "$K/other-es512.pub.pem" "$T/es512.cose"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --fw "$TESTDATA/firmware/nic-7.0.2.bin" "$T/es512.cose"
	# --json without -o carries the message in hex
	run -0 fwtrail sfr sign --json --key "$K/es384.key.pem" --kid k --format cose "$REPORT"
	run -0 jq -r '.format, (.cose | length > 100)' <<< "$output"
	assert_output "cose-sign1
true"
	run -0 fwtrail sfr sign --json --key "$K/es384.key.pem" --kid k --format cose "$REPORT"
	run -0 jq -c '.dropped' <<< "$output"
	assert_output '["$.device.category","$.audit.methodology"]'
	# refusals write nothing
	mkdir "$T/out"
	snapshot_out "$T/out/no.cose"
	# exp and nbf would be lost: a COSE report would outlive the expiry its author set
	jq '.exp = 1735689600' "$REPORT" > "$T/exp.json"
	jq '.nbf = 1700000000' "$REPORT" > "$T/nbf.json"
	for f in exp nbf; do
		run --separate-stderr -1 fwtrail sfr sign --key "$K/es384.key.pem" --kid k --format cose -o "$T/out/no.cose" "$T/$f.json"
		[[ $stderr == *"'$T/$f.json': \$.$f: "*"(the CoRIM form does not carry $f)"* ]] || fail "$f: $stderr"
		[[ $stderr == *"refusing to sign '$T/$f.json': 1 lint error (with --format cose, exp and nbf are errors"* ]] ||
			fail "$f: $stderr"
	done
	run -0 fwtrail sfr sign -q --key "$K/es384.key.pem" --kid k -o "$T/exp.jws" "$T/exp.json"
	run -2 fwtrail sfr sign --key "$K/es384.key.pem" --kid "$(printf 'a\tb')" --format cose -o "$T/out/no.cose" "$REPORT"
	run -1 fwtrail sfr sign --key "$K/p256.key.pem" --kid k --format cose -o "$T/out/no.cose" "$REPORT"
	run -2 fwtrail sfr sign --key "$K/es384.key.pem" --kid k --format cms -o "$T/out/no.cose" "$REPORT"
	run -2 fwtrail sfr sign --key "$K/es384.key.pem" --kid k --format cose -o "$T/out/no.cose" "$T/es384.cose"
	assert_output --partial "is already signed (cose-sign1)"
	assert_nothing_written
}

@test "Python-signed COSE_Sign1, COSE_Sign and COSE_Sign without alg verify with fwtrail" {
	local form
	for form in sign1 sign sign-noalg; do
		$PY "$IOP" sign "$TESTDATA/sfr/bmc-report.corim" "$K/es512.key.pem" "$T/$form.cose" "$form"
		run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/$form.cose"
	done
	run -0 fwtrail sfr verify --strict --key "$K/es512.pub.pem" "$T/sign.cose"
	assert_output --regexp "COSE_Sign signature by .*pem' \(sha256:[0-9a-f]{64}\); firmware not checked \(no --fw or --manifest\)$"
	run -1 fwtrail sfr verify --strict --key "$K/es512.pub.pem" "$T/sign-noalg.cose"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/sign-noalg.cose"
	assert_output --partial "; alg inferred from the trusted key"
	# kids.json maps the kid "interop" nowhere: refused, as for JWS; mapped: used
	mkdir "$T/trust" && cp "$K/es512.pub.pem" "$T/trust/" && echo '{"ACME": "es512.pub.pem"}' > "$T/trust/kids.json"
	run -1 fwtrail sfr verify --trust "$T/trust" "$T/sign1.cose"
	assert_output --partial "kid 'interop' is not mapped"
	echo '{"interop": "es512.pub.pem"}' > "$T/trust/kids.json"
	run -0 fwtrail sfr verify --trust "$T/trust" "$T/sign1.cose" "$T/sign-noalg.cose"
}

@test "unsigned CoRIM reports: shown and linted, refused by verify, exit 6 for another profile" {
	run -0 fwtrail sfr show "$TESTDATA/sfr/bmc-report.corim"
	assert_line "format:       CoRIM (unsigned)"
	assert_line "category:     -"
	run -0 fwtrail sfr show --json "$TESTDATA/sfr/bmc-report.corim"
	run -0 jq -r '.format, .payload.audit.issues[0].cve' <<< "$output"
	assert_output "corim
CVE-2026-10001"
	# category and methodology have no place in the CoRIM form: not missing
	run -0 fwtrail sfr lint "$TESTDATA/sfr/bmc-report.corim"
	assert_output "$TESTDATA/sfr/bmc-report.corim: no findings"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$TESTDATA/sfr/bmc-report.corim"
	assert_output --partial "the report is not signed (an unsigned CoRIM, not COSE)"
	# a reference-value RIM is a CoRIM, but no SFR
	run -0 fwtrail rim create --vendor ACME --model NIC --measurement 1=sha384:$(printf '%096d' 0) -o "$T/rim.corim"
	run -6 fwtrail sfr show "$T/rim.corim"
	assert_output --partial "not an OCP SAFE SFR: the CoRIM's profile is absent"
	run -6 fwtrail sfr convert --to json "$T/rim.corim"
}

@test "convert and create usage: --to and --format, terminals, --json, --force" {
	run -2 fwtrail sfr convert "$REPORT"
	assert_output --partial "--to is required"
	run -2 fwtrail sfr convert --to xml "$REPORT"
	run -2 fwtrail sfr convert --to json
	run -2 fwtrail sfr convert --to corim --json "$REPORT"
	assert_output --partial "needs -o"
	run -2 fwtrail sfr create --from "$REPORT" --format yaml
	run -2 fwtrail sfr create --from "$REPORT" --format corim --json
	run -3 fwtrail sfr convert --to corim -o "$T/x.corim" "$T/missing.json"
	# binary never to a terminal (script gives the command one)
	if command -v script >/dev/null; then
		run script -qec "'$FWTRAIL' sfr convert --to corim '$REPORT'" /dev/null
		assert_output --partial "refusing to write binary CBOR to a terminal"
	fi
	run -0 fwtrail sfr convert --to corim -o "$T/x.corim" "$REPORT"
	run -2 fwtrail sfr convert --to corim -o "$T/x.corim" "$REPORT" # exists: --force needed
	run -0 fwtrail sfr convert --force --to corim -o "$T/x.corim" "$REPORT"
	run -0 fwtrail sfr convert --json --to corim -o "$T/x.corim" --force "$REPORT"
	run -0 jq -c '[.ok, .input_format, .format, .size, .dropped]' <<< "$output"
	assert_output '[true,"json","corim",786,["$.device.category","$.audit.methodology"]]'
	run -0 fwtrail sfr convert --json --to json "$T/x.corim"
	run -0 jq -r '.input_format, .report.device.vendor' <<< "$output"
	assert_output "corim
ACME Inc"
	# to stdout through a pipe
	fwtrail sfr convert --to corim "$REPORT" | cmp - "$T/x.corim"
}

# RELIABILITY.md C1-C10 at the command level: each twin is signed correctly
# (by scripts/interop-sfr.py) so that one rule only is broken.
@test "C1-C10: hostile COSE reports exit 1, 4 or 6 as each case expects, never 0" {
	$PY "$IOP" mk-bad "$TESTDATA/sfr/bmc-report.corim" "$K/es512.key.pem" "$T"
	local line name want why n=0
	while read -r name want why; do
		run fwtrail sfr verify --key "$K/es512.pub.pem" "$T/$name.cose"
		[ "$status" -eq "$want" ] || fail "$name: exit $status, not $want: $output"
		assert_output --partial "$why"
		n=$((n + 1))
	done <<'EOF'
c1-truncated-head 4 input ends inside a head
c1-truncated 4 declares
c1-reserved-ai 4 malformed CBOR
c2-indefinite-protected 4 indefinite-length map not allowed here
c2-indefinite-payload 4 indefinite-length map not allowed here
c2-nonshortest-payload 4 not in its shortest form
c3-deep 4 nested deeper than
c4-array-bomb 4 array declares 4294967295 items
c4-bstr-bomb 4 byte string declares 4294967295 bytes
c5-dup-protected 4 duplicate map key 1
c5-kid-both-buckets 4 in both the protected and the unprotected bucket
c6-nonminimal-protected 4 not in its shortest form
c7-alg-unprotected 4 alg is in the unprotected header
c7-crit-unknown 6 critical header parameter 99 is not understood
c7-crit-unprotected 4 crit is in the unprotected header
c7-kid-text 4 kid is not a byte string
c7-content-type 6 content type is not application/rim+cbor
c7-protected-map 4 protected header is not a byte string
c8-mac0 4 unexpected tag 17
c8-double-tag 4 array of 4 items
c8-untagged 4 expected a tag
c8-payload-not-501 4 not an unsigned CoRIM (tag 501)
c9-trailing-byte 4 unexpected bytes after the data item
c9-two-messages 4 unexpected bytes after the data item
c10-der-signature 1 must be 132 bytes
c10-short-signature 1 must be 132 bytes
c10-zero-signature 1 out of range
c10-detached 6 detached
c10-alg-other-curve 1 does not fit key
forged-payload 1 signature does not verify with key
EOF
	[ "$n" -eq "$(ls "$T"/*.cose | wc -l)" ]
}

@test "C3/C4: deep nesting and allocation bombs are refused at once, in little memory" {
	skip_if_sanitized "memory limits"
	printf '\x9a\xff\xff\xff\xff' > "$T/bomb.cbor"
	run -4 run_limited "$FWTRAIL" sfr verify --key "$K/es512.pub.pem" "$T/bomb.cbor"
	[ "$(peak_rss_kib "$FWTRAIL" sfr show "$T/bomb.cbor")" -lt 32768 ]
	head -c 100000 /dev/zero | tr '\0' '\201' > "$T/deep.cbor"
	run -4 bash -c "ulimit -s 256; '$FWTRAIL' sfr show '$T/deep.cbor'"
}

@test "a changed byte anywhere in a signed CoRIM report is never a yes" {
	run -0 fwtrail sfr sign --key "$K/es384.key.pem" --kid k --format cose -o "$T/s.cose" "$REPORT"
	local m n=0
	mkdir "$T/m"
	# every 5th byte, one file each (the whole file is under 1 KB)
	$PY -c 'import sys; b=open(sys.argv[1],"rb").read()
for i in range(0, len(b), 5):
    m=bytearray(b); m[i]^=0x10; open("%s/%04d.cose" % (sys.argv[2], i),"wb").write(m)' "$T/s.cose" "$T/m"
	for m in "$T"/m/*.cose; do
		run fwtrail sfr verify --key "$K/es384.pub.pem" "$m"
		[ "$status" -eq 1 ] || [ "$status" -eq 4 ] || [ "$status" -eq 6 ] || fail "$m: exit $status: $output"
		n=$((n + 1))
	done
	[ "$n" -ge 150 ]
}

@test "the manifest sample in the CoRIM form binds to its release folder, and names the file that differs" {
	need_corpus sfr
	local m="$CORPORA/sfr/shortform_report-main/samples/manifest"
	# the JWS's payload (the sample's .json is not there), in the CoRIM form, signed with COSE
	run -0 fwtrail sfr convert --to corim -o "$T/m.corim" "$m/manifest.jws"
	run -0 fwtrail sfr sign --key "$K/es512.key.pem" --kid k --format cose -o "$T/m.cose" "$T/m.corim"
	run -0 $PY "$IOP" check "$T/m.cose"
	run -0 jq -r '.manifest | length > 0' <<< "$output"
	assert_output true
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" --manifest "$m/myapp" "$T/m.cose"
	assert_output --partial "; firmware '$m/myapp' matches"
	cp -r "$m/myapp" "$T/myapp" && chmod -R u+w "$T/myapp"
	printf 'x' >> "$T/myapp/make.sh"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --manifest "$T/myapp" "$T/m.cose"
	assert_output --partial "('myapp/make.sh' differs)"
	# its hashes are the manifest's, so one file of the release is not it
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" --fw "$m/myapp/make.sh" "$T/m.cose"
	assert_output --partial "does not match"
}

@test "a COSE report's signed validity (corim-meta, CWT claims, rim-validity) holds at --at or now, as for rim verify" {
	local where form f
	# a review completed in 2000, checked at --at times of 2001 to 2005 below
	sed 's/"completion_date": "2026-03-14"/"completion_date": "2000-06-01"/' "$REPORT" > "$T/r.json"
	run -0 fwtrail sfr convert -q --to corim -o "$T/r.corim" "$T/r.json"
	# the review's finding: 2001-09-09..2004-11-09 in corim-meta passed sfr verify (exit 0)
	local last
	for where in meta cwt rim meta+cwt; do
		# a CWT exp is exclusive (RFC 8392): its last valid second is exp - 1
		last=2004-11-09T11:33:20Z
		[[ $where != *cwt* ]] || last=2004-11-09T11:33:19Z
		for form in sign1 sign-noalg; do
			f="$T/${where/+/-and-}-$form.cose" # no regexp characters
			$PY "$IOP" sign-dated "$T/r.corim" "$K/es384.key.pem" "$f" "$form" "$where" 1000000000 1100000000
			run -1 fwtrail sfr verify --key "$K/es384.pub.pem" --fw "$TESTDATA/firmware/bmc-1.2.3.bin" "$f"
			assert_output --regexp "^FAIL $f: expired: valid until $last, checked at 20[0-9-]{8}T[0-9:]{8}Z$"
			run -0 fwtrail sfr verify --key "$K/es384.pub.pem" --fw "$TESTDATA/firmware/bmc-1.2.3.bin" --at 2003-01-01 "$f"
			assert_output --regexp "^OK $f: ES384 COSE_Sign1? signature by .*; firmware '.*' matches$"
			# both edges are inside
			run -0 fwtrail sfr verify --key "$K/es384.pub.pem" --at 2001-09-09T01:46:40Z "$f"
			run -0 fwtrail sfr verify --key "$K/es384.pub.pem" --at "$last" "$f"
			[[ $where != *cwt* ]] || run -1 fwtrail sfr verify --key "$K/es384.pub.pem" --at 2004-11-09T11:33:20Z "$f"
			run -1 fwtrail sfr verify --key "$K/es384.pub.pem" --at 2001-09-09T01:46:39Z "$f"
			assert_output "FAIL $f: not yet valid: valid from 2001-09-09T01:46:40Z, checked at 2001-09-09T01:46:39Z"
		done
	done
	# the same words as rim verify on the same file
	run -1 --separate-stderr fwtrail rim verify --key "$K/es384.pub.pem" --at 2005-01-01 "$T/meta-sign1.cose"
	assert_equal "$output" "FAIL $T/meta-sign1.cose: expired: valid until 2004-11-09T11:33:20Z, checked at 2005-01-01T00:00:00Z"
	run -1 fwtrail sfr verify --key "$K/es384.pub.pem" --at 2005-01-01 "$T/meta-sign1.cose"
	assert_output "FAIL $T/meta-sign1.cose: expired: valid until 2004-11-09T11:33:20Z, checked at 2005-01-01T00:00:00Z"
	# a bound on one side only
	$PY "$IOP" sign-dated "$T/r.corim" "$K/es384.key.pem" "$T/nbf.cose" sign1 cwt 4102444800 -
	run -1 fwtrail sfr verify --key "$K/es384.pub.pem" "$T/nbf.cose"
	assert_output --partial "not yet valid: valid from 2100-01-01T00:00:00Z"
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" --at 2200-01-01 "$T/nbf.cose"
	# show judges it with a key, and only shows it without one
	run -1 fwtrail sfr show --key "$K/es384.pub.pem" "$T/cwt-sign-noalg.cose"
	assert_output --partial "expired: valid until 2004-11-09T11:33:19Z"
	run -0 fwtrail sfr show "$T/cwt-sign-noalg.cose"
}

# nul_report FIELD OUT: the fixture's CoRIM with one text holding a NUL
# (vendor and model in both environments, or the SRP entity; none: no
# change), re-encoded and signed here.
nul_report() {
	$PY - "$TESTDATA/sfr/bmc-report.corim" "$1" "$T/nul.corim" <<'PY'
import cbor2, sys
src, field, out = sys.argv[1:4]
evil = "ACME Inc\x00 - actually Evil Corp"
enc = lambda x: cbor2.dumps(x, canonical=True, datetime_as_timestamp=True)
m = cbor2.loads(open(src, "rb").read()).value
if field == "srp":
    m[5][0][0] = evil
elif field != "none":
    comid = cbor2.loads(m[1][0].value)
    for part in comid[4][10][0]:
        part[0][0][0][{"vendor": 1, "model": 2}[field]] = evil
    m[1][0] = cbor2.CBORTag(506, enc(comid))
open(out, "wb").write(enc(cbor2.CBORTag(501, m)))
PY
	$PY "$IOP" sign "$T/nul.corim" "$K/es512.key.pem" "$2" sign1
}

@test "a condition digest fwtrail does not check (SHA-256, unknown) is exit 6, never skipped to bind by the rest" {
	# the fixture's condition with a SHA-256 of another image beside its
	# SHA-512, and with an unknown algorithm's digest; re-encoded and signed here
	$PY - "$TESTDATA/sfr/bmc-report.corim" "$TESTDATA/firmware/nic-7.0.2.bin" "$T" <<'PY'
import cbor2, hashlib, sys
src, other, out = sys.argv[1:4]
enc = lambda x: cbor2.dumps(x, canonical=True, datetime_as_timestamp=True)
for name, extra in (("sha256", [-16, hashlib.sha256(open(other, "rb").read()).digest()]), ("unknown", [-99, bytes(32)])):
    m = cbor2.loads(open(src, "rb").read()).value
    comid = cbor2.loads(m[1][0].value)
    digests = comid[4][10][0][0][0][1][0][1][2]
    digests[:] = [d for d in digests if d[0] == -44] + [extra]
    m[1][0] = cbor2.CBORTag(506, enc(comid))
    open(out + "/" + name + ".corim", "wb").write(enc(cbor2.CBORTag(501, m)))
PY
	$PY "$IOP" sign "$T/sha256.corim" "$K/es512.key.pem" "$T/sha256.cose" sign1
	$PY "$IOP" sign "$T/unknown.corim" "$K/es512.key.pem" "$T/unknown.cose" sign1
	run -6 fwtrail sfr verify --key "$K/es512.pub.pem" --fw "$TESTDATA/firmware/bmc-1.2.3.bin" "$T/sha256.cose"
	assert_output "FAIL $T/sha256.cose: unsupported SFR CoRIM at /tags/0/triples: the condition carries a firmware digest of another algorithm than SHA-384 or SHA-512 (sha-256), which fwtrail does not check against the firmware"
	run -6 fwtrail sfr verify --key "$K/es512.pub.pem" --fw "$TESTDATA/firmware/bmc-1.2.3.bin" "$T/unknown.cose"
	assert_output --partial "(alg(-99)), which fwtrail does not check against the firmware"
}

@test "a NUL in a signed CoRIM report's vendor, model or SRP is malformed (exit 4), never cut short" {
	local field where
	for field in vendor model srp; do
		nul_report $field "$T/$field.cose"
		case $field in
		srp) where="/entities/0/entity-name" ;;
		*) where="/tags/0/triples/conditional-endorsement-triples/0/conditions/0/environment/class/$field" ;;
		esac
		run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/$field.cose"
		assert_output "FAIL $T/$field.cose: malformed CoRIM at $where: text holds a NUL character at byte 8"
		run -4 --separate-stderr fwtrail --json sfr verify --key "$K/es512.pub.pem" "$T/$field.cose"
		run -0 jq -c '.reports[0] | [.ok, .status, .vendor, .srp]' <<< "$output"
		assert_output '[false,"malformed",null,null]'
		run -4 fwtrail sfr show "$T/$field.cose"
		assert_output --partial "text holds a NUL character at byte 8"
		run -4 fwtrail sfr convert --to json "$T/$field.cose"
		run -4 fwtrail rim show "$T/$field.cose"
	done
	# made the same way without the NUL, the report verifies (the test can tell)
	nul_report none "$T/good.cose"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/good.cose"
}

@test "a COSE report's algorithm outside the profile fails it (1), as in a JWS; another content type or profile is 6" {
	# COSE_Sign1 over the CoRIM report with protected header $1 (a Python dict), signed ES512
	cose() {
		$PY - "$K/es512.key.pem" "$2" "$3" "$1" <<'PY'
import cbor2, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
payload = open(sys.argv[2], "rb").read()
prot = cbor2.dumps(eval(sys.argv[4]))
r, s = utils.decode_dss_signature(key.sign(cbor2.dumps(["Signature1", prot, b"", payload]), ec.ECDSA(hashes.SHA512())))
open(sys.argv[3], "wb").write(cbor2.dumps(cbor2.CBORTag(18, [prot, {4: b"k"}, payload, r.to_bytes(66, "big") + s.to_bytes(66, "big")])))
PY
	}
	local ct="'application/rim+cbor'" R="$TESTDATA/sfr/bmc-report.corim"
	cose "{1: -36, 3: $ct}" "$R" "$T/good.cbor"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/good.cbor"
	cose "{1: -999, 3: $ct}" "$R" "$T/alg.cbor"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/alg.cbor"
	assert_output "FAIL $T/alg.cbor: COSE algorithm -999 is not supported"
	cose "{1: 'ES512', 3: $ct}" "$R" "$T/text.cbor"
	run -1 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/text.cbor"
	cose "{1: -36, 3: 'application/json'}" "$R" "$T/ct.cbor"
	run -6 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/ct.cbor"
	assert_output "FAIL $T/ct.cbor: the COSE content type is not application/rim+cbor"
	cose "{1: -36, 3: $ct}" "$TESTDATA/rim/nic.corim" "$T/nic.cbor"
	run -6 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/nic.cbor"
	assert_output --partial "not an OCP SAFE SFR: the CoRIM's profile is absent"
}

@test "a completion-date past the year 9999 is malformed (exit 4), not a cut date that escapes the completion check" {
	"$PY" - "$TESTDATA/sfr/bmc-report.corim" "$T" <<-'PY'
	import cbor2, sys
	raw = open(sys.argv[1], "rb").read()
	for name, secs in (("y9999", 253402214400), ("y10000", 253402300800)):
	    c = cbor2.loads(raw)
	    comid = cbor2.loads(c.value[1][0].value)
	    comid[4][10][0][1][0][1][0][1][-1][2] = cbor2.CBORTag(1, secs)
	    c.value[1][0] = cbor2.CBORTag(506, cbor2.dumps(comid, canonical=True))
	    open(sys.argv[2] + "/" + name + ".corim", "wb").write(cbor2.dumps(c, canonical=True))
	PY
	run -0 fwtrail sfr show "$T/y9999.corim"
	assert_output --partial "9999-12-31"
	run --separate-stderr -4 fwtrail sfr show "$T/y10000.corim"
	assert_equal "$stderr" "fwtrail sfr show: '$T/y10000.corim': malformed SFR CoRIM at /ocp-safe-sfr/completion-date: 1(253402300800) is outside the years 0000 to 9999"
	run -4 fwtrail sfr convert --to json "$T/y10000.corim"
}

# sfr_map_cases: the fixture CoRIM report with one ocp-safe-sfr-map key set
# (NAME KEY PYTHON-VALUE lines on standard input), unsigned in $T/NAME.corim
# and as a COSE_Sign1 by the es512 key in $T/NAME.cose.
sfr_map_cases() {
	"$PY" -c '
import cbor2, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
raw = open(sys.argv[1], "rb").read()
key = serialization.load_pem_private_key(open(sys.argv[2], "rb").read(), None)
for line in sys.stdin:
    name, k, v = line.split(None, 2)
    c = cbor2.loads(raw)
    comid = cbor2.loads(c.value[1][0].value)
    comid[4][10][0][1][0][1][0][1][-1][int(k)] = eval(v)
    c.value[1][0] = cbor2.CBORTag(506, cbor2.dumps(comid, canonical=True, datetime_as_timestamp=True))
    payload = cbor2.dumps(c, canonical=True)
    open(sys.argv[3] + "/" + name + ".corim", "wb").write(payload)
    prot = cbor2.dumps({1: -36, 3: "application/rim+cbor"})
    r, s = utils.decode_dss_signature(key.sign(cbor2.dumps(["Signature1", prot, b"", payload]), ec.ECDSA(hashes.SHA512())))
    sig = r.to_bytes(66, "big") + s.to_bytes(66, "big")
    open(sys.argv[3] + "/" + name + ".cose", "wb").write(cbor2.dumps(cbor2.CBORTag(18, [prot, {4: b"k"}, payload, sig])))
' "$TESTDATA/sfr/bmc-report.corim" "$K/es512.key.pem" "$T"
}

@test "a negative scope-number is malformed (exit 4) as a negative scope_number is in JSON, never converted to text" {
	sfr_map_cases <<-'PY'
	neg 3 -1
	zero 3 0
	PY
	# before: verify said OK and convert wrote "scope_number": "-1", which lint called not a whole number
	run -4 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/neg.cose"
	assert_output "FAIL $T/neg.cose: malformed SFR CoRIM at /ocp-safe-sfr/scope-number: negative (-1)"
	mkdir "$T/out"
	snapshot_out "$T/out/neg.json"
	run -4 --separate-stderr fwtrail sfr convert --to json -o "$T/out/neg.json" "$T/neg.corim"
	assert_equal "$stderr" "fwtrail sfr convert: '$T/neg.corim': malformed SFR CoRIM at /ocp-safe-sfr/scope-number: negative (-1)"
	assert_nothing_written
	run -4 fwtrail sfr lint "$T/neg.corim"
	run -4 fwtrail sfr show "$T/neg.corim"
	# the JSON form says the same of its -1
	jq '.audit.scope_number = -1' "$TESTDATA/sfr/bmc-report.json" > "$T/neg.json"
	run -4 --separate-stderr fwtrail sfr lint "$T/neg.json"
	assert_equal "$stderr" "fwtrail sfr lint: '$T/neg.json': \$.audit.scope_number is negative"
	# 0 is a number the two forms agree on
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/zero.cose"
	run -0 --separate-stderr fwtrail sfr convert --to json -o - "$T/zero.corim"
	run -0 jq -c .audit.scope_number <<< "$output"
	assert_output 0
}

@test "convert: a completion-date's fraction of a second, dropped from the JSON form, is warned about as a time of day is" {
	sfr_map_cases <<-'PY'
	frac 2 cbor2.CBORTag(1, 1773446400.5)
	late 2 cbor2.CBORTag(1, 1773446400 + 86399)
	whole 2 cbor2.CBORTag(1, 1773446400.0)
	PY
	# before: the fraction went without a word
	run -0 --separate-stderr fwtrail sfr convert --to json -o "$T/frac.json" "$T/frac.corim"
	assert_equal "$stderr" "fwtrail sfr convert: warning: the JSON form does not carry /ocp-safe-sfr/completion-date (its time of day, 00:00:00.5Z)"
	run -0 jq -r .audit.completion_date "$T/frac.json"
	assert_output 2026-03-14
	run -0 --separate-stderr fwtrail sfr convert --to json -o "$T/late.json" "$T/late.corim"
	assert_equal "$stderr" "fwtrail sfr convert: warning: the JSON form does not carry /ocp-safe-sfr/completion-date (its time of day, 23:59:59Z)"
	run -0 --separate-stderr fwtrail sfr convert --json --to json -o "$T/frac2.json" "$T/frac.corim"
	run -0 jq -c .dropped <<< "$output"
	assert_output '["/ocp-safe-sfr/completion-date (its time of day, 00:00:00.5Z)"]'
	# a float of whole seconds loses nothing
	run -0 --separate-stderr fwtrail sfr convert --to json -o "$T/whole.json" "$T/whole.corim"
	assert_equal "$stderr" ""
}

# cose_sign_cases: the fixture report signed here as a COSE_Sign by the
# es512 key, into $T/NAME.cose for each case the Python on standard input
# writes with cose_sign(body protected header, signer protected header)
# (ct is the report's content type).
cose_sign_cases() {
	{
		cat <<-'PY'
		import cbor2, sys
		from cryptography.hazmat.primitives import hashes, serialization
		from cryptography.hazmat.primitives.asymmetric import ec
		from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
		payload = open(sys.argv[1], "rb").read()
		key = serialization.load_pem_private_key(open(sys.argv[2], "rb").read(), None)
		def cose_sign(body_prot, signer_prot):
		    bp, sp = cbor2.dumps(body_prot), cbor2.dumps(signer_prot)
		    r, s = decode_dss_signature(key.sign(cbor2.dumps(["Signature", bp, sp, b"", payload]), ec.ECDSA(hashes.SHA512())))
		    return cbor2.dumps(cbor2.CBORTag(98, [bp, {}, payload, [[sp, {4: b"ACME Review Lab"}, r.to_bytes(66, "big") + s.to_bytes(66, "big")]]]))
		ct = {3: "application/rim+cbor"}
		PY
		cat
	} > "$T/cose_sign_cases.py"
	"$PY" "$T/cose_sign_cases.py" "$TESTDATA/sfr/bmc-report.corim" "$K/es512.key.pem" "$T"
}

@test "a COSE_Sign signer's own corim-meta or CWT claims are malformed (exit 4), not a validity nobody applies" {
	cose_sign_cases <<-'PY'
	meta = cbor2.dumps({0: {0: "ACME Review Lab"}, 1: {1: cbor2.CBORTag(1, 1000000000)}})
	for name, data in (("body", cose_sign({**ct, 15: {1: "ACME Review Lab", 4: 1000000000}}, {1: -36})),
	                   ("cwt", cose_sign(ct, {1: -36, 15: {4: 1000000000}})),
	                   ("meta", cose_sign(ct, {1: -36, 8: meta}))):
	    open(sys.argv[3] + "/" + name + ".cose", "wb").write(data)
	PY
	run -1 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/body.cose"
	assert_output --partial "expired: valid until 2001-09-09T01:46:39Z"
	run -4 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/cwt.cose"
	assert_output "FAIL $T/cwt.cose: a COSE_Sign signer's protected header carries CWT claims (15): fwtrail reads a signed CoRIM's validity from the body's protected header only"
	run -4 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/meta.cose"
	assert_output --partial "carries corim-meta (8)"
	run -4 fwtrail sfr show --trust "$TESTDATA/sfr/trust-kids" "$T/cwt.cose"
}

@test "a COSE_Sign signer's other content type is 6, and a body alg the signer did not verify with is a no (1)" {
	cose_sign_cases <<-'PY'
	for name, data in (("good", cose_sign(ct, {1: -36})),
	                   ("signer-ct", cose_sign(ct, {1: -36, 3: "text/plain"})),
	                   ("signer-ct-same", cose_sign(ct, {1: -36, **ct})),
	                   ("body-alg", cose_sign({**ct, 1: -35}, {})),
	                   ("body-alg-same", cose_sign({**ct, 1: -36}, {}))):
	    open(sys.argv[3] + "/" + name + ".cose", "wb").write(data)
	PY
	run -0 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/good.cose"
	run -6 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/signer-ct.cose"
	assert_output "FAIL $T/signer-ct.cose: signer 1's protected content type is not application/rim+cbor"
	run -0 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/signer-ct-same.cose"
	# the signer has no alg: ES512 is inferred from the key, and the body's
	# signed ES384 contradicts it
	run -1 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/body-alg.cose"
	assert_output "FAIL $T/body-alg.cose: the COSE_Sign's protected header names an alg that is not ES512, which signer 1 verified with"
	run -0 fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$T/body-alg-same.cose"
}

@test "a map key written as a bignum (3(h'00') for -1) is malformed (exit 4): no second reading of one report" {
	"$PY" - "$TESTDATA/sfr/bmc-report.corim" "$T/dup.corim" <<-'PY'
	import cbor2, copy, sys
	c = cbor2.loads(open(sys.argv[1], "rb").read())
	comid = cbor2.loads(c.value[1][0].value)
	mv = comid[4][10][0][1][0][1][0][1]
	other = copy.deepcopy(mv[-1])
	other[3] = 99                          # another scope number
	mv[cbor2.CBORTag(3, b"\x00")] = other  # -1 again, as cbor2 and others read it
	c.value[1][0] = cbor2.CBORTag(506, cbor2.dumps(comid))
	open(sys.argv[2], "wb").write(cbor2.dumps(c))
	del mv[cbor2.CBORTag(3, b"\x00")]
	mv[cbor2.CBORTag(55799, -1)] = other   # -1 behind the self-describe tag
	c.value[1][0] = cbor2.CBORTag(506, cbor2.dumps(comid))
	open(sys.argv[2] + ".sd", "wb").write(cbor2.dumps(c))
	PY
	run --separate-stderr -4 fwtrail sfr show "$T/dup.corim"
	[[ $stderr == *"bignum (tag 3) that an integer holds"* ]] || fail "$stderr"
	run --separate-stderr -4 fwtrail sfr show "$T/dup.corim.sd"
	[[ $stderr == *"self-describe tag 55799 inside an item"* ]] || fail "$stderr"
}

@test "lint reads the CoRIM form as that form: what it cannot carry is no finding, what it lacks still is; sign agrees" {
	run --separate-stderr -0 fwtrail sfr convert --to corim -o "$T/r.corim" "$REPORT"
	# category, methodology: no place in the form, so neither missing nor an error
	run -0 fwtrail sfr lint --strict "$T/r.corim"
	assert_output "$T/r.corim: no findings"
	run -0 fwtrail sfr lint --json "$T/r.corim"
	run -0 jq -c '[.ok, .errors, .warnings]' <<< "$output"
	assert_output '[true,0,0]'
	# sign agrees: without --format, the CoRIM form is signed as COSE_Sign1
	run -0 fwtrail sfr sign -q --key "$K/es512.key.pem" --kid k -o "$T/r.cose" "$T/r.corim"
	run -0 fwtrail sfr verify --key "$K/es512.pub.pem" "$T/r.cose"
	assert_output --partial "ES512 COSE_Sign1 signature"
	# as a JWS it would be JSON without methodology: refused, and said why
	mkdir "$T/out"
	snapshot_out "$T/out/r.jws"
	run --separate-stderr -1 fwtrail sfr sign --format jws --key "$K/es512.key.pem" --kid k -o "$T/out/r.jws" "$T/r.corim"
	assert_equal "$stderr" "fwtrail sfr sign: '$T/r.corim': \$.audit.methodology: methodology is missing
fwtrail sfr sign: refusing to sign '$T/r.corim': 1 lint error (a JWS carries the JSON form, which has fields the CoRIM form has no place for: sign it as COSE, or convert it to JSON and fill them in)"
	assert_nothing_written
	# what the form carries but the report lacks is still reported, in every form
	jq '.audit.srp = "" | del(.audit.cvss_version) | .audit.issues[0].cvss_score = "9.9"' "$REPORT" > "$T/bad.json"
	run --separate-stderr -0 fwtrail sfr convert --to corim -o "$T/bad.corim" "$T/bad.json"
	run -1 fwtrail sfr lint "$T/bad.corim"
	# no cvss-version in the issues: CVSS 3.1, the profile's default, so the vector is scored
	assert_output "$T/bad.corim: error: \$.audit.srp: srp is empty
$T/bad.corim: error: \$.audit.issues[0].cvss_score: cvss_score 9.9 does not match the vector's base score 7.8"
	run -1 fwtrail sfr sign --key "$K/es512.key.pem" --kid k -o "$T/out/r.jws" "$T/bad.corim"
	assert_nothing_written
	# JSON keeps its own rule: cvss_version is required there
	run -1 fwtrail sfr lint "$T/bad.json"
	assert_line "$T/bad.json: error: \$.audit.cvss_version: cvss_version is missing"
}

@test "lint: the published CoRIM report has no errors; its empty repo_tag and fw_hash_sha2_512 are warnings, as in its JSON" {
	need_corpus sfr
	local m
	for m in "$CORPORA/corim/ocp-safe/microsoft/${MS_BASE}_signed.cbor" \
		"$CORPORA/sfr/Reports/Microsoft/2026/microsoft_hsm_cryptographic_module/v3.4.6.7-60219024/${MS_BASE}_signed.cbor"; do
		[ -f "$m" ] || continue
		run -0 fwtrail sfr lint "$m"
		assert_output "$m: warning: \$.device.repo_tag: repo_tag is empty
$m: warning: \$.device.fw_hash_sha2_512: fw_hash_sha2_512 is empty"
	done
	# its JSON sibling carries category, methodology and cvss_version, which the CoRIM form cannot
	run -0 fwtrail sfr lint "$CORPORA/corim/ocp-safe/microsoft/$MS_BASE.json"
	refute_output --partial "error:"
	run -0 fwtrail sfr convert --json --to corim -o "$T/ms.corim" "$CORPORA/corim/ocp-safe/microsoft/$MS_BASE.json"
	run -0 jq -c '.dropped' <<< "$output"
	assert_output '["$.device.category","$.audit.methodology","$.audit.cvss_version"]'
}

@test "create --format corim: each value the form does not carry is warned about and listed under dropped, as convert does" {
	local opts=(--vendor 'ACME Inc' --product 'ACME BMC' --category BMC --repo-tag release_v1_2_3 --fw-version 1.2.3
		--fw "$TESTDATA/firmware/bmc-1.2.3.bin" --srp 'ACME Review Lab' --methodology whitebox
		--completion-date 2026-03-14 --report-version 1.0 --scope 1 --issues "$TESTDATA/sfr/issues.json")
	run --separate-stderr -0 fwtrail sfr create "${opts[@]}" --format corim -o "$T/c.corim"
	assert_equal "$stderr" "fwtrail sfr create: warning: the CoRIM form does not carry \$.device.category
fwtrail sfr create: warning: the CoRIM form does not carry \$.audit.methodology"
	cmp "$T/c.corim" "$TESTDATA/sfr/bmc-report.corim"
	run -0 fwtrail sfr create --json "${opts[@]}" --format corim -o "$T/c2.corim"
	run -0 jq -c '[.ok, .format, .dropped, .findings]' <<< "$output"
	assert_output '[true,"corim",["$.device.category","$.audit.methodology"],[]]'
	# JSON drops nothing; a CoRIM without issues is not told about a cvss_version nobody gave
	run -0 fwtrail sfr create --json "${opts[@]}" -o "$T/c.json"
	run -0 jq -c 'has("dropped")' <<< "$output"
	assert_output false
	run --separate-stderr -0 fwtrail sfr create "${opts[@]:0:22}" --format corim -o "$T/c3.corim"
	assert_equal "$stderr" "fwtrail sfr create: warning: the CoRIM form does not carry \$.device.category
fwtrail sfr create: warning: the CoRIM form does not carry \$.audit.methodology"
	run -0 fwtrail sfr lint --strict "$T/c3.corim"
}

@test "sign of a CoRIM-form report signs its bytes: an expired rim-validity and extension keys are kept, never dropped" {
	run -0 fwtrail sfr convert -q --to corim -o "$T/r.corim" "$REPORT"
	# the author's rim-validity (not-after 1970), a solid-version and an
	# extension key in the SFR map, which the report model has no place for
	$PY - "$T/r.corim" "$T/x.corim" <<'PY'
import cbor2, sys
d = cbor2.loads(open(sys.argv[1], "rb").read())
d.value[4] = {1: cbor2.CBORTag(1, 1000)}
open(sys.argv[2], "wb").write(cbor2.dumps(d, canonical=True))
PY
	run --separate-stderr -0 fwtrail sfr sign --key "$K/es384.key.pem" --kid 'ACME Review Lab' -o "$T/x.cose" "$T/x.corim"
	assert_equal "$stderr" ""
	# the payload signed is the file given, byte for byte
	run -0 $PY -c 'import cbor2,sys; m=cbor2.loads(open(sys.argv[1],"rb").read()); sys.exit(m.value[2] != open(sys.argv[2],"rb").read())' \
		"$T/x.cose" "$T/x.corim"
	run -0 $PY "$IOP" verify "$T/x.cose" "$K/es384.pub.pem"
	# so the validity its author set holds: expired, a no
	run -1 fwtrail sfr verify --key "$K/es384.pub.pem" --fw "$TESTDATA/firmware/bmc-1.2.3.bin" "$T/x.cose"
	assert_output --partial "expired: valid until 1970-01-01T00:16:40Z"
	# an unexpired one with a solid-version and extension keys: kept too
	$PY - "$T/r.corim" "$T/y.corim" <<'PY'
import cbor2, sys
d = cbor2.loads(open(sys.argv[1], "rb").read())
comid = cbor2.loads(d.value[1][0].value)
m = comid[4][10][0][1][0][1][0][1][-1]
m[6] = "1.0"
m[7] = "an extension"
d.value[1][0] = cbor2.CBORTag(506, cbor2.dumps(comid, canonical=True, datetime_as_timestamp=True))
open(sys.argv[2], "wb").write(cbor2.dumps(d, canonical=True))
PY
	run -0 fwtrail sfr sign -q --key "$K/es384.key.pem" --kid k -o "$T/y.cose" "$T/y.corim"
	run -0 $PY -c 'import cbor2,sys; m=cbor2.loads(open(sys.argv[1],"rb").read()); sys.exit(m.value[2] != open(sys.argv[2],"rb").read())' \
		"$T/y.cose" "$T/y.corim"
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" --fw "$TESTDATA/firmware/bmc-1.2.3.bin" "$T/y.cose"
}

@test "convert of a CoRIM report names what the JSON form does not carry; lint warns of keys the profile does not define" {
	run -0 fwtrail sfr convert -q --to corim -o "$T/r.corim" "$REPORT"
	# a time of day, a version-scheme, a solid-version, a rim-validity and
	# extension keys in the SFR map, the fw-identifier, an issue and its
	# assessment: the review's finding was that all of them vanished silently
	$PY - "$T/r.corim" "$T/m.corim" <<'PY'
import cbor2, sys
d = cbor2.loads(open(sys.argv[1], "rb").read())
comid = cbor2.loads(d.value[1][0].value)
m = comid[4][10][0][1][0][1][0][1][-1]
m[6] = "1.0"
m[7] = "an extension"
m[2] = cbor2.CBORTag(1, int(m[2].timestamp()) + 84600)
m[4][0][0][1] = 1
m[4][0][9] = "fwid ext"
m[5][0][9] = "issue ext"
m[5][0][2]["x"] = 1
d.value[1][0] = cbor2.CBORTag(506, cbor2.dumps(comid, canonical=True, datetime_as_timestamp=True))
d.value[4] = {1: cbor2.CBORTag(1, 4102444800)}
open(sys.argv[2], "wb").write(cbor2.dumps(d, canonical=True))
PY
	local lost='/ocp-safe-sfr/completion-date (its time of day, 23:30:00Z)
/ocp-safe-sfr/fw-identifiers/0/fw-version/version-scheme
/ocp-safe-sfr/fw-identifiers/0/9
/ocp-safe-sfr/issues/0/assessment/"x"
/ocp-safe-sfr/issues/0/9
/ocp-safe-sfr/solid-version
/ocp-safe-sfr/7
/corim-map/rim-validity'
	run --separate-stderr -0 fwtrail sfr convert --to json -o "$T/m.json" "$T/m.corim"
	assert_equal "$stderr" "$(sed 's/^/fwtrail sfr convert: warning: the JSON form does not carry /' <<< "$lost")"
	run -0 fwtrail sfr convert --json --to json -o "$T/m2.json" "$T/m.corim"
	run -0 jq -r '.dropped[]' <<< "$output"
	assert_output "$lost"
	# create --from takes the same report: the same warnings
	run --separate-stderr -0 fwtrail sfr create --from "$T/m.corim" --methodology whitebox -o "$T/m3.json"
	assert_equal "$(grep 'does not carry' <<< "$stderr")" \
		"$(sed 's/^/fwtrail sfr create: warning: the JSON form does not carry /' <<< "$lost")"
	# back to CoRIM through the model: lost too, and said
	run --separate-stderr -0 fwtrail sfr convert --to corim -o "$T/m4.corim" "$T/m.corim"
	[[ $stderr == *"the CoRIM form does not carry /corim-map/rim-validity"* ]] || fail "$stderr"
	# lint: the keys the profile does not define are warnings (not errors)
	run -0 fwtrail sfr lint "$T/m.corim"
	assert_output "$T/m.corim: warning: /ocp-safe-sfr/fw-identifiers/0/9: a key the OCP SAFE SFR profile does not define
$T/m.corim: warning: /ocp-safe-sfr/issues/0/assessment/\"x\": a key the OCP SAFE SFR profile does not define
$T/m.corim: warning: /ocp-safe-sfr/issues/0/9: a key the OCP SAFE SFR profile does not define
$T/m.corim: warning: /ocp-safe-sfr/7: a key the OCP SAFE SFR profile does not define"
	run -1 fwtrail sfr lint --strict "$T/m.corim"
	# a plain CoRIM report loses nothing: no warning, no "dropped"
	run --separate-stderr -0 fwtrail sfr convert --to json -o "$T/r.json" "$T/r.corim"
	assert_equal "$stderr" ""
	run -0 fwtrail sfr convert --json --to json -o "$T/r2.json" "$T/r.corim"
	run -0 jq -c 'has("dropped")' <<< "$output"
	assert_output false
}
