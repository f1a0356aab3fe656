#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Differential checks of SPDM decoding: 'fwtrail spdm show --json' against
# scripts/spdm-diff.py, a decoder written from DSP0274 that shares no code
# with fwtrail (request attributes, operation, nonce and slot; every
# measurement block's index, specification, value type, digest or raw value;
# the response nonce, opaque data and signature).

load helpers

DIFF="$ROOT/scripts/spdm-diff.py"
E="$TESTDATA/evidence/spdm"

setup() {
	T=$BATS_TEST_TMPDIR
}

same_spdm_facts() {
	"$PY" "$DIFF" facts "$1" > "$T/py.txt" || fail "spdm-diff.py cannot decode '$1'"
	fwtrail spdm show --json "$1" > "$T/fwt.json" || fail "fwtrail spdm show fails on '$1'"
	"$PY" "$DIFF" show-facts < "$T/fwt.json" > "$T/fwt.txt"
	diff -u "$T/py.txt" "$T/fwt.txt" || fail "'$1': fwtrail and the DSP0274 decoder disagree"
}

@test "the H100 transcript (hex text) decodes to the same 64 blocks, nonces, opaque data and signature" {
	need_corpus spdm
	same_spdm_facts "$CORPORA/spdm/nvidia/hopperAttestationReport.txt"
	run -0 grep -c '^block ' "$T/py.txt"
	assert_output 64
	run -0 grep -c '^signature [0-9a-f]\{192\}$' "$T/py.txt"
	assert_output 1
	run -0 grep -c '^opaque 422 ' "$T/py.txt"
	assert_output 1
}

@test "the project's transcripts (1.1 to 1.3, signed and not, binary and hex) decode alike" {
	for f in "$E"/spdm11.bin "$E"/spdm11.hex "$E"/spdm12.bin "$E"/spdm13.bin "$E"/unsigned12.bin \
		"$E"/cases/content-changed-v12.bin "$E"/cases/new-measurement-v13.bin "$E"/cases/unknown-value-type.bin \
		"$E"/cases/downgrade-to-1.1.bin "$E"/cases/no-signing-prefix-v12.bin; do
		same_spdm_facts "$f"
	done
	# the 1.3 RequesterContext and the ALGORITHMS choice are compared too
	same_spdm_facts "$E/spdm13.bin"
	run -0 grep -c '^request.context \|^algorithms.asym ' "$T/py.txt"
	assert_output 2
}

@test "Redfish ComponentIntegrity mockups decode to the same indices, types and digests" {
	need_corpus spdm
	local f n=0
	for f in "$CORPORA"/spdm/redfish/mockups/*/ComponentIntegrity/SS-SPDM-*/index.json "$E/component.json"; do
		same_spdm_facts "$f"
		n=$((n + 1))
	done
	[ "$n" -ge 5 ] || fail "only $n resources"
}

@test "the comparison catches a changed field: digest, index, value type, response nonce, opaque data" {
	need_corpus spdm
	local what
	for what in digest index type nonce; do
		"$PY" "$DIFF" mutate "$E/spdm12.bin" "$T/$what.bin" $what
		"$PY" "$DIFF" facts "$E/spdm12.bin" > "$T/orig.txt"
		fwtrail spdm show --json "$T/$what.bin" | "$PY" "$DIFF" show-facts > "$T/fwt.txt"
		run -1 diff "$T/orig.txt" "$T/fwt.txt"
	done
	"$PY" "$DIFF" mutate <(tr -d ' \n' < "$CORPORA/spdm/nvidia/hopperAttestationReport.txt") "$T/op.bin" opaque
	"$PY" "$DIFF" facts "$CORPORA/spdm/nvidia/hopperAttestationReport.txt" > "$T/orig.txt"
	fwtrail spdm show --json "$T/op.bin" | "$PY" "$DIFF" show-facts > "$T/fwt.txt"
	run -1 diff "$T/orig.txt" "$T/fwt.txt"
	assert_line --regexp '^> opaque 422 '
}

@test "an SVN block above 2^63 is shown whole, in JSON (a decimal string) and text" {
	"$PY" - "$T/svn.bin" <<-'EOF'
	import struct, sys
	val = b"\xff" * 8
	blk = bytes([1, 1]) + struct.pack("<H", 11) + bytes([0x87]) + struct.pack("<H", 8) + val
	rsp = bytes([0x11, 0x60, 0, 0, 1]) + len(blk).to_bytes(3, "little") + blk + b"\x5a" * 32 + b"\0\0"
	open(sys.argv[1], "wb").write(bytes([0x11, 0xE0, 0, 0xFF]) + rsp)
	EOF
	same_spdm_facts "$T/svn.bin"
	run -0 jq -c '.blocks[0].svn' "$T/fwt.json"
	assert_output '"18446744073709551615"'
	run -0 fwtrail spdm show "$T/svn.bin"
	assert_line --partial "ffffffffffffffff  (SVN 18446744073709551615)"
}
