#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Differential checks of CoRIM and COSE decoding: what 'fwtrail rim show
# --json' and 'fwtrail sfr show --json' report against what Debian's
# python3-cbor2 decodes from the same bytes (scripts/corim-diff.py, which
# shares no code with fwtrail).  Both sides are reduced to one fact per line:
# COSE alg, kid and content type, corim-meta signer and validity, corim id
# and profile, tags, and each triple's environment, measurement keys and
# digests.

load helpers

DIFF="$ROOT/scripts/corim-diff.py"

setup() {
	T=$BATS_TEST_TMPDIR
}

# The facts of FILE both ways; fails with the diff when they differ.
same_rim_facts() {
	"$PY" "$DIFF" facts "$1" > "$T/py.txt" || fail "corim-diff.py cannot decode '$1'"
	fwtrail rim show --json "$1" > "$T/fwt.json" || fail "fwtrail rim show fails on '$1'"
	"$PY" "$DIFF" rim-facts < "$T/fwt.json" > "$T/fwt.txt"
	diff -u "$T/py.txt" "$T/fwt.txt" || fail "'$1': fwtrail and cbor2 disagree"
	[ -s "$T/py.txt" ] || fail "'$1': no facts"
}

same_sfr_facts() {
	"$PY" "$DIFF" sfr-facts-cbor "$1" > "$T/py.txt" || fail "corim-diff.py cannot decode '$1'"
	fwtrail sfr show --json "$1" > "$T/fwt.json" || fail "fwtrail sfr show fails on '$1'"
	"$PY" "$DIFF" sfr-facts < "$T/fwt.json" > "$T/fwt.txt"
	diff -u "$T/py.txt" "$T/fwt.txt" || fail "'$1': fwtrail and cbor2 disagree"
}

@test "every CoRIM and CoMID of the corpus (veraison, OCP SAFE) decodes to the same facts as cbor2's" {
	need_corpus corim
	local n=0 f
	while IFS= read -r f; do
		same_rim_facts "$f"
		n=$((n + 1))
	done < <(find "$CORPORA/corim" -name '*.cbor' -not -path '*/coev/*' | sort)
	[ "$n" -ge 30 ] || fail "only $n files"
	# the signed ones carry alg, kid, content type and corim-meta: all compared
	run -0 "$PY" "$DIFF" facts "$CORPORA/corim/veraison-corim/corim/testcases/signed-good-corim.cbor"
	assert_line "cose.alg -7"
	assert_line "cose.kid 31"
	assert_line "cose.content_type application/rim+cbor"
	assert_line "meta.not_after 2025-12-31T00:00:00Z"
	assert_line "meta.signer ACME Ltd signing key"
}

@test "the project's own CoRIMs, signed and unsigned, decode to the same facts as cbor2's" {
	for f in "$TESTDATA"/rim/*.corim "$TESTDATA"/rim/raw/*.corim "$TESTDATA"/sfr/bmc-report.corim; do
		same_rim_facts "$f"
	done
}

@test "CoRIM-form SFRs: sfr show reports what cbor2 decodes (published COSE_Sign, unsigned, fwtrail's COSE_Sign1)" {
	need_corpus sfr
	local f n=0
	for f in "$CORPORA"/sfr/Reports/Microsoft/*/*/*/*_signed.cbor "$CORPORA"/corim/ocp-safe/microsoft/*_signed.cbor; do
		same_sfr_facts "$f"
		n=$((n + 1))
	done
	[ "$n" -ge 2 ] || fail "only $n published CoRIM SFRs"
	same_sfr_facts "$TESTDATA/sfr/bmc-report.corim"
	for k in es384 es512 ps384; do
		fwtrail sfr sign --key "$TESTDATA/sfr/keys/$k.key.pem" --kid "kid $k" --format cose -o "$T/$k.cose" \
			"$TESTDATA/sfr/bmc-report.corim"
		same_sfr_facts "$T/$k.cose"
		same_rim_facts "$T/$k.cose"
	done
	run -0 "$PY" "$DIFF" sfr-facts-cbor "$T/es512.cose"
	assert_line "signature.alg -36"
	assert_line "signature.kid kid es512"
	assert_line "audit.issue[1].cve null"
}

@test "CBOR choices the corpus lacks decode alike: text digest names, svn, uuid/oid keys, ueid, CWT claims" {
	"$PY" - "$T" <<-'EOF'
	import sys, uuid, cbor2
	T = cbor2.CBORTag
	d = sys.argv[1]
	env = {0: {0: T(560, b"\x01\x02\x03"), 1: "V", 2: "M", 3: 2, 4: 5}}
	def comid(env, meas):
	    return T(506, cbor2.dumps({1: {0: "t", 1: 3}, 4: {0: [[env, meas]]}}))
	def corim(meas, env=env, extra={}):
	    m = {0: "c", 1: [comid(env, meas)]}
	    m.update(extra)
	    return T(501, m)
	def w(name, obj):
	    open("%s/%s.cbor" % (d, name), "wb").write(cbor2.dumps(obj))
	dg = {2: [[1, b"\x66" * 32]]}
	w("textalg", corim([{0: 1, 1: {2: [["sha-384", b"\x11" * 48]]}}]))
	w("svn", corim([{0: "a", 1: {1: T(553, 7), 2: [[-44, b"\x22" * 64]]}}, {0: "b", 1: {1: 9}}]))
	w("oidkey", corim([{0: T(111, bytes.fromhex("2b0601040182f417")), 1: dg}]))
	w("uuidkey", corim([{0: uuid.UUID("12345678-1234-5678-1234-567812345678"), 1: dg}]))
	w("bigkey", corim([{0: 2**63 + 5, 1: dg}]))
	w("ueid", corim([{1: dg}], env={0: {1: "V"}, 1: T(550, b"\x01" + b"\x55" * 16), 2: T(37, b"\x56" * 16)}))
	w("raw", corim([{0: 0, 1: {4: T(563, [b"\xaa\xbb", b"\xff\x0f"])}}, {0: 1, 1: {4: T(560, b"\x01"), 5: b"\xff"}}]))
	w("profile", corim([{0: 0, 1: dg}], extra={3: T(111, bytes.fromhex("060a2b0601040182f4170101"))}))
	w("utf8", corim([{0: "ключ", 1: dg}], env={0: {1: "Vé", 2: "模型"}}))
	prot = {1: -7, 3: "application/rim+cbor", 15: {1: "iss-x", 4: 1900000000, 5: 1700000000}}
	w("cwt", T(18, [cbor2.dumps(prot), {4: b"k1"}, cbor2.dumps(corim([{0: 0, 1: dg}])), b"\0" * 64]))
	EOF
	for f in "$T"/*.cbor; do
		same_rim_facts "$f"
	done
}

@test "the comparison catches a changed field: vendor, digest, measurement key, kid, alg, not-after" {
	for what in vendor digest mkey kid alg not-after; do
		"$PY" "$DIFF" mutate "$TESTDATA/rim/nic.signed.corim" "$T/$what.corim" $what
		"$PY" "$DIFF" facts "$TESTDATA/rim/nic.signed.corim" > "$T/orig.txt"
		fwtrail rim show --json "$T/$what.corim" | "$PY" "$DIFF" rim-facts > "$T/fwt.txt"
		run -1 diff "$T/orig.txt" "$T/fwt.txt"
		case $what in
		vendor) assert_line "> tag[0].ref[0].env.vendor ACME Inc.x" ;;
		digest) assert_line --regexp '^> tag\[0\]\.ref\[0\]\.m\[0\]\.digest\[0\] sha-384 5b' ;;
		mkey) assert_line "> tag[0].ref[0].m[0].key uint:2" ;;
		kid) assert_line "> cose.kid 61636d652d3230323678" ;;
		alg) assert_line "> cose.alg -7" ;;
		not-after) assert_line "> meta.not_after 2036-01-02T00:00:00Z" ;;
		esac
		# and the mutated file on both sides agrees again
		same_rim_facts "$T/$what.corim"
	done
}
