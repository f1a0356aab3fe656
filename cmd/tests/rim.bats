#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail rim create and rim show: deterministic CoRIMs checked by Python's
# cbor2, every public CoRIM/CoMID shown, hostile CBOR refused fast.

load helpers

RIM="$TESTDATA/rim"
VER="$CORPORA/corim/veraison-corim"
FW="$TESTDATA/firmware"

setup() {
	T=$BATS_TEST_TMPDIR
	O=$T/out # outputs, apart from the snapshot files
	mkdir -p "$O"
}

# ulimit -v starves AddressSanitizer's shadow memory: under a SANITIZE=1
# build, time limits only (ASan reports large allocations itself).
limited() {
	if ldd "$FWTRAIL" 2>/dev/null | grep -q libasan; then timeout 20 "$@"; else run_limited "$@"; fi
}

create_nic() { # out [extra args]
	local out=$1
	shift
	fwtrail rim create --vendor 'ACME Inc.' --model 'NIC 7' --class-id 67b28b6c-34cc-40a1-9117-ab5b05911e37 \
		--alg sha384,sha512 -m 1="$FW/nic-7.0.2.bin" -m 2="$FW/rot-rom-1.0.bin" -o "$out" "$@"
}

@test "rim: verbs listed; an unknown verb is a usage error" {
	run -0 fwtrail rim --help
	assert_output --partial create
	assert_output --partial verify
	run -2 fwtrail rim frobnicate
	assert_output --partial "fwtrail rim: unknown verb 'frobnicate'"
	run -0 fwtrail rim create --help
	assert_output --partial "fwtrail-rim-create(1)"
}

@test "create: the same arguments give the same bytes, canonical for cbor2" {
	create_nic "$T/a.corim"
	create_nic "$T/b.corim"
	cmp "$T/a.corim" "$T/b.corim"
	run -0 "$PY" "$ROOT/scripts/interop-cose.py" canonical "$T/a.corim"
	assert_output '{"canonical_documents": 2}'
	# the RELIABILITY C2 oracle, verbatim
	"$PY" -c 'import cbor2,sys;d=sys.stdin.buffer.read();assert cbor2.dumps(cbor2.loads(d),canonical=True)==d' \
		< "$T/a.corim"
}

@test "create: cbor2 finds the CDDL's required keys and the files' digests" {
	create_nic "$T/a.corim"
	run -0 "$PY" "$ROOT/scripts/interop-cose.py" check-corim "$T/a.corim"
	n384=$(sha384sum < "$FW/nic-7.0.2.bin" | cut -d' ' -f1)
	n512=$(sha512sum < "$FW/nic-7.0.2.bin" | cut -d' ' -f1)
	r384=$(sha384sum < "$FW/rot-rom-1.0.bin" | cut -d' ' -f1)
	# COSE algorithm ids by default (DESIGN.md: -43 SHA-384, -44 SHA-512)
	assert_output --partial "{\"digests\": [[-43, \"$n384\"], [-44, \"$n512\"]], \"key\": 1, \"model\": \"NIC 7\", \"vendor\": \"ACME Inc.\"}"
	assert_output --partial "[-43, \"$r384\"]"
	# Named Information ids on request (the CoRIM draft's examples)
	fwtrail rim create --vendor "ACME Inc." --model "NIC 7" --hash-ids named-info --alg sha384 \
		--measurement "1=$FW/nic-7.0.2.bin" -o "$T/n.corim"
	run -0 "$PY" "$ROOT/scripts/interop-cose.py" check-corim "$T/n.corim"
	assert_output --partial "[[7, \"$n384\"]]"
	run -2 fwtrail rim create --vendor V --model M --hash-ids sha --measurement "1=$FW/nic-7.0.2.bin"
	# both read back the same
	run -0 fwtrail rim show --json "$T/n.corim"
	assert_output --partial "$n384"
}

@test "create: every index up to 2^64-1 is written as an unsigned integer; 2^64 is a label" {
	local h k
	h=$(printf 'ab%.0s' $(seq 48))
	for k in 18446744073709551609 18446744073709551610 18446744073709551615 18446744073709551616; do
		fwtrail rim create --vendor A --model B --measurement "$k=sha384:$h" -o "$T/k.corim" --force
		run -0 "$PY" -c '
import cbor2, sys
c = cbor2.loads(open(sys.argv[1], "rb").read()).value
comid = cbor2.loads(c[1][0].value)
key = comid[4][0][0][1][0][0]
want = int(sys.argv[2])
assert key == want if want < 2**64 else key == sys.argv[2], (type(key), key)' "$T/k.corim" "$k"
	done
}

@test "create: index, label and UUID keys; alg:hex digests; sha384 by default" {
	fwtrail rim create --vendor V --model M -m 0="$FW/bmc-1.2.3.bin" -m boot-loader=sha256:$(printf 'x' | sha256sum | cut -d' ' -f1) \
		-m 0f6b0a3e-1111-4222-8333-944455556666=SHA-512:$(printf 'y' | sha512sum | cut -d' ' -f1) -o "$T/k.corim"
	run -0 fwtrail rim show --json "$T/k.corim"
	echo "$output" > "$T/k.json"
	run -0 jq -c '[.rim.tags[0].reference_triples[0].measurements[] | [.key.type, .key.value, .digests[0].alg]]' "$T/k.json"
	assert_output '[["uint",0,"sha-384"],["text","boot-loader","sha-256"],["uuid","0f6b0a3e-1111-4222-8333-944455556666","sha-512"]]'
	run -0 jq -r '.rim.tags[0].reference_triples[0].measurements[0].digests[0].value' "$T/k.json"
	assert_output "$(sha384sum < "$FW/bmc-1.2.3.bin" | cut -d' ' -f1)"
}

@test "create: key=raw:hex is a raw value, 560(bytes) after the digests; a file named raw:... is given as ./raw:..." {
	d=$(printf 'x' | sha256sum | cut -d' ' -f1)
	printf 'firmware' > "$T/raw:0102"
	cd "$T"
	run --separate-stderr -2 fwtrail rim create --vendor V --model M -m 5=raw:0102x -o "$T/r.corim"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim create: --measurement: '0102x' is not a raw value in hex (an even number of hex digits)"
	run --separate-stderr -0 fwtrail rim create --vendor V --model M -m 8=raw:6677747261696C2D312E32 \
		-m 6=sha256:$d -m 7=raw:0500000000000000 -m file=./raw:0102 -o "$T/r.corim"
	assert_equal "$stderr" ""
	row() { printf '    %-36s  %-8s %s' "$@"; }
	run --separate-stderr -0 fwtrail rim show "$T/r.corim"
	assert_line --index 3 "$(row KEY ALG VALUE)"
	assert_line --index 4 "$(row 6 sha-256 "$d")"
	assert_line --index 5 "$(row "'file'" sha-384 "$(sha384sum < "$T/raw:0102" | cut -d' ' -f1)")"
	assert_line --index 6 "$(row 8 raw 6677747261696c2d312e32)"
	assert_line --index 7 "$(row 7 raw 0500000000000000)"
	"$PY" - "$T/r.corim" <<-'EOF'
	import cbor2, sys
	c = cbor2.loads(open(sys.argv[1], "rb").read())
	[[env, ms]] = cbor2.loads(c.value[1][0].value)[4][0]
	assert [m[0] for m in ms] == [6, "file", 8, 7], ms
	assert ms[2][1] == {4: cbor2.CBORTag(560, b"fwtrail-1.2")} and ms[3][1] == {4: cbor2.CBORTag(560, bytes([5]) + bytes(7))}
	EOF
	run -0 fwtrail rim show --json "$T/r.corim"
	printf '%s' "$output" > "$T/r.json"
	run -0 jq -c '[.rim.tags[0].reference_triples[0].measurements[] | .raw_value.value] | map(select(.))' "$T/r.json"
	assert_output '["6677747261696c2d312e32","0500000000000000"]'
}

@test "create: a raw:hex that is not hex, of odd length or empty is exit 2 with one line, and writes nothing" {
	snapshot_out "$O/x.corim"
	for bad in 0ff zz 0x05 '05 06' 05:06; do
		run --separate-stderr -2 fwtrail rim create --vendor V --model M -m "6=raw:$bad" -o "$O/x.corim"
		assert_equal "$stderr" "fwtrail rim create: --measurement: '$bad' is not a raw value in hex (an even number of hex digits)
Try 'fwtrail rim create --help'."
	done
	run --separate-stderr -2 fwtrail rim create --vendor V --model M -m 6=raw: -o "$O/x.corim"
	assert_equal "$stderr" "fwtrail rim create: --measurement: '6=raw:': no raw value (give at least one byte in hex)
Try 'fwtrail rim create --help'."
	# a key once, whether it gives a digest or a raw value
	run --separate-stderr -2 fwtrail rim create --vendor V --model M -m 6="$FW/nic-7.0.2.bin" -m 6=raw:05 -o "$O/x.corim"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim create: measurement key '6' given twice"
	run --separate-stderr -2 fwtrail rim create --vendor V --model M -m =raw:05 -o "$O/x.corim"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim create: --measurement: '=raw:05' is not key=file, key=alg:hex or key=raw:hex"
	assert_nothing_written
}

@test "create: usage errors are exit 2 and write nothing" {
	snapshot_out "$O/x.corim"
	run -2 fwtrail rim create --model M -m 1="$FW/nic-7.0.2.bin" -o "$O/x.corim"
	assert_output --partial "--vendor and --model are needed"
	run -2 fwtrail rim create --vendor V --model M -o "$O/x.corim"
	run -2 fwtrail rim create --vendor V --model M -m 1 -o "$O/x.corim"
	run -2 fwtrail rim create --vendor V --model M -m 1=sha384:abcd -o "$O/x.corim"
	assert_output --partial "is not a sha384 digest"
	run -2 fwtrail rim create --vendor V --model M -m 1=sha1:$(printf x | sha1sum | cut -d' ' -f1) -o "$O/x.corim"
	run -2 fwtrail rim create --vendor V --model M -m 1="$FW/nic-7.0.2.bin" -m 1="$FW/bmc-1.2.3.bin" -o "$O/x.corim"
	assert_output --partial "given twice"
	# one UUID in two letter cases is one measurement key
	run -2 --separate-stderr fwtrail rim create --vendor V --model M -m 6ba7b810-9dad-11d1-80b4-00c04fd430c8="$FW/nic-7.0.2.bin" \
		-m 6BA7B810-9DAD-11D1-80B4-00C04FD430C8="$FW/bmc-1.2.3.bin" -o "$O/x.corim"
	assert_equal "$stderr" "fwtrail rim create: measurement key '6BA7B810-9DAD-11D1-80B4-00C04FD430C8' given twice
Try 'fwtrail rim create --help'."
	run -2 fwtrail rim create --vendor V --model M --class-id nonsense -m 1="$FW/nic-7.0.2.bin" -o "$O/x.corim"
	assert_output --partial "neither a UUID nor a dotted OID"
	run -2 fwtrail rim create --vendor V --model M --alg md5 -m 1="$FW/nic-7.0.2.bin" -o "$O/x.corim"
	run -2 fwtrail --json rim create --vendor V --model M -m 1="$FW/nic-7.0.2.bin"
	# a CBOR text string must be UTF-8 (RFC 8949 3.1): never written otherwise
	run -2 --separate-stderr fwtrail rim create --vendor $'ACME\xff' --model M -m 1="$FW/nic-7.0.2.bin" -o "$O/x.corim"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim create: the vendor is not valid UTF-8 (a CBOR text string must be)"
	run -2 fwtrail rim create --vendor V --model $'NIC\xc3' -m 1="$FW/nic-7.0.2.bin" -o "$O/x.corim"
	run -2 fwtrail rim create --vendor V --model M --tag-id $'t\xe2\x82' -m 1="$FW/nic-7.0.2.bin" -o "$O/x.corim"
	run -2 fwtrail rim create --vendor V --model M -m $'boot\xc3'="$FW/nic-7.0.2.bin" -o "$O/x.corim"
	assert_output --partial "a measurement key is not valid UTF-8"
	assert_nothing_written
	fwtrail rim create --vendor V --model M -m 1="$FW/nic-7.0.2.bin" -o "$O/u.corim"
	run -2 --separate-stderr fwtrail rim sign --key "$TESTDATA/keys/p384.key.pem" --signer $'ACME\xff' -o "$O/s.corim" "$O/u.corim"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim sign: the signer name is not valid UTF-8 (a CBOR text string must be)"
	[ ! -e "$O/s.corim" ]
}

@test "create: a missing file is exit 3; an existing output needs --force" {
	snapshot_out "$O/x.corim"
	run -3 fwtrail rim create --vendor V --model M -m 1="$T/missing.bin" -o "$O/x.corim"
	assert_output --partial "cannot open"
	assert_nothing_written
	echo old > "$O/x.corim"
	snapshot_out "$O/x.corim"
	run -2 fwtrail rim create --vendor V --model M -m 1="$FW/nic-7.0.2.bin" -o "$O/x.corim"
	assert_output --partial "already exists"
	assert_nothing_written
	run -0 fwtrail rim create --vendor V --model M -m 1="$FW/nic-7.0.2.bin" -o "$O/x.corim" --force
	run -0 fwtrail rim show "$O/x.corim"
}

# RELIABILITY O7: inputs are opened with O_NOFOLLOW unless --follow-symlinks.
@test "create O7: a measured file or capture given as a symbolic link is exit 2 with nothing written, unless --follow-symlinks" {
	mkdir -p "$T/in"
	cp "$FW/nic-7.0.2.bin" "$T/in/nic.bin"
	cp "$TESTDATA/server/evidence/host.log" "$T/in/host.log"
	cp "$TESTDATA/evidence/spdm/spdm12.bin" "$T/in/spdm.bin"
	for f in nic.bin host.log spdm.bin; do ln -s "$f" "$T/in/$f.link"; done
	I=$T/in
	snapshot_out "$O/x.corim"
	for args in "-m nic=$I/nic.bin.link" "--from-eventlog $I/host.log.link" "--from-spdm $I/spdm.bin.link"; do
		# shellcheck disable=SC2086
		run --separate-stderr -2 fwtrail -q rim create --vendor V --model M $args -o "$O/x.corim"
		assert_equal "$stderr" "fwtrail rim create: '${args##*[ =]}' is a symbolic link (not followed without --follow-symlinks)"
		assert_nothing_written
	done
	# followed: the same CoRIM as from the real files
	fwtrail -q rim create --vendor V --model M -m nic="$I/nic.bin" --from-eventlog "$I/host.log" \
		--from-spdm "$I/spdm.bin" -o "$T/real.corim"
	run -0 fwtrail -q rim create --follow-symlinks --vendor V --model M -m nic="$I/nic.bin.link" \
		--from-eventlog "$I/host.log.link" --from-spdm "$I/spdm.bin.link" -o "$O/x.corim"
	cmp "$T/real.corim" "$O/x.corim"
}

@test "create: to stdout when it is not a terminal; --json reports the file" {
	fwtrail rim create --vendor V --model M -m 1="$FW/nic-7.0.2.bin" > "$T/o.corim"
	fwtrail rim create --vendor V --model M -m 1="$FW/nic-7.0.2.bin" -o "$T/f.corim"
	cmp "$T/o.corim" "$T/f.corim"
	run -0 fwtrail --json rim create --vendor V --model M -m 1="$FW/nic-7.0.2.bin" -o "$T/j.corim"
	run -0 jq -r '[.ok, .output, .size] | @tsv' <<< "$output"
	assert_output "$(printf 'true\t%s\t%s' "$T/j.corim" "$(stat -c %s "$T/j.corim")")"
}

@test "show: a table of environments and reference values" {
	run -0 fwtrail rim show "$RIM/nic.signed.corim"
	assert_line --index 0 --regexp "^CoRIM [0-9a-f-]{36} \(signed: COSE_Sign1 ES384, kid 'acme-2026'\)$"
	assert_line --index 1 "  signer: ACME Firmware Signing <https://acme.example>"
	assert_line --index 2 "  signature validity: 2026-01-01T00:00:00Z to 2036-01-01T00:00:00Z"
	assert_output --partial "reference values for vendor 'ACME Inc.', model 'NIC 7', class-id 67b28b6c-34cc-40a1-9117-ab5b05911e37:"
	assert_output --partial "1                                     sha-384  $(sha384sum < "$FW/nic-7.0.2.bin" | cut -d' ' -f1)"
	assert_output --partial "'firmware-version'                    sha-256  8a8bd0a3"
	run -0 fwtrail rim show - < "$RIM/nic.corim"
	assert_line --index 0 --regexp "\(unsigned\)$"
}

@test "show --json: every veraison CoRIM and CoMID; concise evidence is not a RIM" {
	need_corpus corim/veraison-corim
	n=0
	for f in $(find "$VER" -name '*.cbor' | sort); do
		case $f in
		*/coev/*)
			run -6 fwtrail rim show --json "$f"
			assert_output --partial '"ok": false'
			continue ;;
		esac
		run -0 fwtrail rim show --json "$f"
		jq -e '.ok and (.rim.tags | length) >= 1 or .ok and .rim.type == "comid"' <<< "$output" > /dev/null ||
			fail "$f: $output"
		run -0 fwtrail rim show "$f"
		n=$((n + 1))
	done
	[ "$n" -eq 34 ] || fail "$n CoRIMs and CoMIDs"
}

@test "show --json: unknown extensions are kept, named by their keys" {
	need_corpus corim/veraison-corim
	run -0 fwtrail rim show --json "$VER/corim/testcases/signed-corim-with-extensions.cbor"
	echo "$output" > "$T/e.json"
	run -0 jq -c '[.rim.extensions, .rim.tags[0].entities[0].extensions, .rim.tags[0].reference_triples[0].measurements[0].extensions, .rim.signature.meta.signer.name]' "$T/e.json"
	assert_output '[{"-1":"foo"},{"-1":"123 Fake Street"},{"-1":1720782190},"ACME Ltd signing key"]'
	run -0 fwtrail rim show "$VER/corim/testcases/signed-corim-with-extensions.cbor"
	assert_output --partial 'extensions: {-1: "foo"}'
	assert_output --partial 'other    {-1: 1720782190}'
}

@test "show: the published OCP SAFE report (COSE_Sign, no alg) matches its JSON twin" {
	need_corpus corim/ocp-safe
	for f in "$CORPORA"/corim/ocp-safe/microsoft/*_signed.cbor; do
		run -0 fwtrail rim show "$f"
		assert_line --index 0 --partial "(signed: COSE_Sign without alg, kid 'tetrel-ocp-sfr-signing-key')"
		want=$(jq -r .device.fw_hash_sha2_384 "${f%_signed.cbor}.json")
		assert_output --partial "sha-384  $want"
		assert_output --partial "conditional endorsement:"
	done
}

@test "show: a raw value's mask is shown with what it compares; long raw values are cut with length and digest" {
	"$PY" - "$T/raw.corim" <<-'EOF'
	import cbor2, sys
	T = cbor2.CBORTag
	v8 = bytes.fromhex("0102030405060708")
	raws = [T(563, [v8, b"\0" * 8]), T(563, [v8, bytes.fromhex("ff00ff00ff00ff00")]), T(563, [v8, b"\xff" * 8]),
	        T(563, [v8[:2], b"\xff\x0f"]), T(560, v8), T(560, b"\xaa" * 48 + b"\x01"), T(560, b"\xaa" * 48 + b"\x02"),
	        T(560, b"\xaa" * 99 + b"\x01"), T(560, b"\xaa" * 99 + b"\x02"), T(560, b"")]
	meas = [{0: i + 1, 1: {4: r}} for i, r in enumerate(raws)]
	cm = cbor2.dumps({1: {0: b"\x11" * 16}, 4: {0: [[{0: {1: "ACME", 2: "NIC"}}, meas]]}}, canonical=True)
	open(sys.argv[1], "wb").write(cbor2.dumps(T(501, {0: b"\x22" * 16, 1: [T(506, cm)]}), canonical=True))
	EOF
	local a48 a32 d1 d2
	a48=$(printf 'aa%.0s' $(seq 48))
	a32=$(printf 'aa%.0s' $(seq 32))
	d1=$("$PY" -c 'import hashlib; print(hashlib.sha256(b"\xaa" * 99 + b"\x01").hexdigest())')
	d2=$("$PY" -c 'import hashlib; print(hashlib.sha256(b"\xaa" * 99 + b"\x02").hexdigest())')
	row() { printf '    %-36s  %-8s %s' "$@"; }
	run -0 fwtrail rim show "$T/raw.corim"
	assert_line --index 4 "$(row 1 raw 0102030405060708)"
	assert_line --index 5 "$(row '' mask '0000000000000000 (no bit compared: any 8-byte value matches)')"
	assert_line --index 6 "$(row 2 raw 0102030405060708)"
	assert_line --index 7 "$(row '' mask 'ff00ff00ff00ff00 (32 of 64 bits compared)')"
	assert_line --index 9 "$(row '' mask 'ffffffffffffffff (every bit compared)')"
	assert_line --index 10 "$(row 4 raw 0102)"
	assert_line --index 11 "$(row '' mask 'ff0f (12 of 16 bits compared)')"
	assert_line --index 12 "$(row 5 raw 0102030405060708)"
	assert_line --index 13 "$(row 6 raw "${a48}01")"
	assert_line --index 14 "$(row 7 raw "${a48}02")"
	assert_line --index 15 "$(row 8 raw "${a32}... (100 bytes, sha-256 $d1)")"
	assert_line --index 16 "$(row 9 raw "${a32}... (100 bytes, sha-256 $d2)")"
	assert_line --index 17 "$(row 10 raw '(0 bytes)')"
}

@test "show: a 563 raw value with the deprecated mask (key 5) as well is malformed (exit 4); key 5 beside 560 is kept" {
	"$PY" - "$T/two.corim" "$T/one.corim" <<-'EOF'
	import cbor2, sys
	T = cbor2.CBORTag
	def rim(mval):
	    cm = cbor2.dumps({1: {0: b"\x11" * 16}, 4: {0: [[{0: {1: "ACME", 2: "NIC"}}, [{0: 8, 1: mval}]]]}}, canonical=True)
	    return cbor2.dumps(T(501, {0: b"\x22" * 16, 1: [T(506, cm)]}), canonical=True)
	open(sys.argv[1], "wb").write(rim({4: T(563, [b"\0" * 4, b"\xff" * 4]), 5: b"\0" * 4}))
	open(sys.argv[2], "wb").write(rim({4: T(560, b"\0" * 4), 5: b"\xf0" * 4}))
	EOF
	run --separate-stderr -4 fwtrail rim show "$T/two.corim"
	[[ $stderr == *"may not also have the deprecated raw-value-mask (key 5)"* ]] || fail "$stderr"
	run -0 fwtrail rim show "$T/one.corim"
	assert_output --partial "f0f0f0f0 (16 of 32 bits compared)"
}

@test "show --json: unsigned integers above 2^63-1 are decimal strings, never clamped; text shows them too" {
	"$PY" - "$T/big.corim" <<-'EOF'
	import cbor2, sys
	T = cbor2.CBORTag
	ms = [{0: 2**64 - 1, 1: {2: [[-43, b"\x11" * 48]]}}, {0: 2, 1: {2: [[-43, b"\x22" * 48]]}}]
	comid = {1: {0: "t", 1: 2**64 - 1}, 4: {0: [[{0: {1: "ACME", 2: "DEV", 3: 2**64 - 1, 4: 2**63}}, ms]]}}
	open(sys.argv[1], "wb").write(cbor2.dumps(T(501, {0: "big", 1: [T(506, cbor2.dumps(comid, canonical=True))]}), canonical=True))
	EOF
	run -0 fwtrail rim show "$T/big.corim"
	assert_output --partial "layer 18446744073709551615, index 9223372036854775808"
	run -0 fwtrail --json rim show "$T/big.corim"
	"$PY" -c '
import json, sys
def walk(o, out):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("key", "layer", "index", "tag_version"):
                out.append((k, v["value"] if isinstance(v, dict) else v))
            walk(v, out)
    elif isinstance(o, list):
        for v in o:
            walk(v, out)
got = []
walk(json.load(sys.stdin), got)
want = {("tag_version", "18446744073709551615"), ("layer", "18446744073709551615"), ("index", "9223372036854775808"),
        ("key", "18446744073709551615")}
assert want <= set(got), got
assert not any(v == 9223372036854775807 for _, v in got), got' <<< "$output"
}

@test "show --diag: diagnostic notation with embedded CBOR, for any CBOR" {
	run -0 fwtrail rim show --diag "$RIM/nic.signed.corim"
	assert_line --index 0 "18(["
	assert_line --index 1 "  <<{"
	assert_output --partial '3: "application/rim+cbor"'
	assert_output --partial "506(<<{"
	need_corpus corim/veraison-corim
	run -0 fwtrail rim show --diag "$VER/coev/testcases/ce-evidence.cbor"
	assert_line --index 0 "571({"
	run -2 fwtrail rim show --diag --json "$RIM/nic.corim"
}

@test "show: malformed CBOR is exit 4 with the byte offset; wrong types name the field" {
	head -c 100 "$RIM/nic.signed.corim" > "$T/trunc.corim"
	run -4 fwtrail rim show "$T/trunc.corim"
	assert_output --regexp "malformed CBOR at byte [0-9]+: byte string declares"
	: > "$T/empty.corim"
	run -4 fwtrail rim show "$T/empty.corim"
	printf '\xa2\x01\xa1\x00\x61\x74\x04\xa1\x00\x81\x82\xa1\x00\xa1\x01\x07\x81\xa1\x01\xa1\x02\x81\x82\x01\x41\x00' > "$T/vendor.cbor"
	run -4 fwtrail rim show "$T/vendor.cbor"
	assert_output "fwtrail rim show: '$T/vendor.cbor': malformed CoRIM at /triples/reference-triples/0/environment/class/vendor: not text"
	run -4 --separate-stderr fwtrail --json rim show "$T/vendor.cbor"
	run -0 jq -r .error.code <<< "$output"
	assert_output malformed
	run -4 fwtrail rim show "$RIM/bad/two-messages.corim"
	assert_output --partial "unexpected bytes after the data item"
	run -0 fwtrail rim show "$RIM/bad/not-cbor.corim" # XML: a (minimal) SWID tag
	assert_line --partial "SWID tag"
	printf 'neither CBOR nor XML\n' > "$T/text.rim"
	run -6 fwtrail rim show "$T/text.rim"
	assert_output --partial "not a RIM fwtrail reads"
	run -6 fwtrail rim show "$RIM/bad/legacy-502.corim"
	run -3 fwtrail rim show "$T/none.corim"
	# text without a blank (a JWS, minified JSON) is text too, and named
	run --separate-stderr -6 fwtrail rim verify --trust "$TESTDATA/server/trust" "$TESTDATA/server/sfr/bmc-3.1.sfr.jws"
	assert_equal "$stderr" "fwtrail rim verify: '$TESTDATA/server/sfr/bmc-3.1.sfr.jws': not a RIM fwtrail reads (a CoRIM is CBOR, a TCG SWID tag is XML): it is a compact JWS, as a signed OCP SAFE SFR is (see fwtrail sfr verify)"
	printf '{"a":"%s"}' "$(printf 'x%.0s' {1..40})" > "$T/min.json"
	run --separate-stderr -6 fwtrail rim show --json "$T/min.json"
	$PY -c 'import json, sys; e = json.load(sys.stdin)["error"]; assert e["code"] == "unsupported" and e["message"].endswith("it is JSON, as an unsigned OCP SAFE SFR is (see fwtrail sfr lint)"), e' <<< "$output"
}

@test "show: allocation bombs and deep nesting are refused at once, in little memory" {
	printf '\x9a\xff\xff\xff\xff' > "$T/bomb1"
	printf '\x9b\x80\x00\x00\x00\x00\x00\x00\x00' > "$T/bomb2"
	printf '\xd9\x01\xf5\x5a\xff\xff\xff\xff\x00\x00\x00' > "$T/bomb3"
	printf '\xbb\xff\xff\xff\xff\xff\xff\xff\xff' > "$T/bomb4"
	for b in bomb1 bomb2 bomb3 bomb4; do
		run -4 limited "$FWTRAIL" rim show "$T/$b"
		assert_output --partial "remain"
		run -4 limited "$FWTRAIL" rim show --diag "$T/$b"
		rss=$(peak_rss_kib "$FWTRAIL" rim show "$T/$b")
		[ "$rss" -lt 32768 ] || fail "$b: peak RSS $rss KiB"
	done
	"$PY" -c 'import sys; sys.stdout.buffer.write(b"\x81" * 100000 + b"\x00")' > "$T/deep"
	run -4 bash -c "ulimit -s 256; exec \"$FWTRAIL\" rim show \"$T/deep\""
	assert_output --partial "nested deeper than"
	"$PY" -c 'import sys; sys.stdout.buffer.write(b"\x7f" * 200000)' > "$T/chunks"
	run -4 limited "$FWTRAIL" rim show --diag "$T/chunks"
}

@test "show --diag: byte strings of embedded CBOR share one item budget: refused at once, in little memory" {
	# 20 byte strings of 200000 items each: each under the 262144-item limit,
	# 4 million items together (without the shared budget: 500 MB of output)
	"$PY" -c 'import sys
inner = b"\x9a" + (200000).to_bytes(4, "big") + b"\x00" * 200000
sys.stdout.buffer.write(b"\x94" + (b"\x5a" + len(inner).to_bytes(4, "big") + inner) * 20)' > "$T/embedded.cbor"
	run -4 --separate-stderr limited "$FWTRAIL" rim show --diag "$T/embedded.cbor"
	assert_equal "$stderr" "fwtrail rim show: '$T/embedded.cbor': malformed CBOR at byte 262160: more than 262144 data items"
	assert_equal "$output" ""
	skip_if_sanitized "peak RSS"
	rss=$(peak_rss_kib "$FWTRAIL" rim show --diag "$T/embedded.cbor")
	[ "$rss" -lt 65536 ] || fail "peak RSS $rss KiB"
}

@test "show, verify: the CoMIDs of a CoRIM share one item budget: refused at once, in little memory" {
	# 20 CoMIDs, each with an extension of 200000 items: under the limit each
	"$PY" -c 'import sys
ext = b"\x18\x63\x9a" + (200000).to_bytes(4, "big") + b"\x00" * 200000
comid = bytes.fromhex("a301a100617404a1008182a100a1016141" "81a101a10281820158" "20") + b"\x5a" * 32 + ext
tag = b"\xd9\x01\xfa\x5a" + len(comid).to_bytes(4, "big") + comid
sys.stdout.buffer.write(b"\xd9\x01\xf5\xa2\x00\x61\x43\x01\x94" + tag * 20)' > "$T/many.corim"
	local msg="'$T/many.corim': at /tags/1: malformed CBOR in a CoMID: more than 262144 data items in the whole file, embedded CBOR included"
	run -4 --separate-stderr limited "$FWTRAIL" rim show "$T/many.corim"
	assert_equal "$stderr" "fwtrail rim show: $msg"
	run -4 --separate-stderr limited "$FWTRAIL" rim show --json "$T/many.corim"
	run -4 --separate-stderr limited "$FWTRAIL" rim verify --key "$RIM/keys/ec-p384.pub" "$T/many.corim"
	assert_equal "$stderr" "fwtrail rim verify: $msg"
	skip_if_sanitized "peak RSS"
	rss=$(peak_rss_kib "$FWTRAIL" rim show --json "$T/many.corim")
	[ "$rss" -lt 65536 ] || fail "peak RSS $rss KiB"
}

@test "show: text from the RIM cannot forge lines or drive the terminal" {
	fwtrail rim create --vendor "$(printf 'ACME\nfake: line')" --model "$(printf 'M\033[31m')" -m 1=sha256:$(printf x | sha256sum | cut -d' ' -f1) -o "$T/c.corim"
	run -0 fwtrail rim show "$T/c.corim"
	assert_output --partial "vendor 'ACME\\x0afake: line', model 'M\\x1b[31m'"
	refute_output --partial $'\033'
}

@test "verify --trust: with a kids.json, a kid it does not map is refused, not tried with every key" {
	mkdir "$T/tm"
	cp "$RIM/keys/ec-p521.pub" "$RIM/keys/ec-p384.pub" "$T/tm/"
	printf '{"other": "ec-p521.pub"}\n' > "$T/tm/kids.json"
	# nic.signed.corim names kid 'acme-2026' and is signed by ec-p384, which is
	# trusted here but bound to no kid
	run -1 fwtrail rim verify --trust "$T/tm" "$RIM/nic.signed.corim"
	assert_output --partial "kid 'acme-2026' is not mapped in the trust store's kids.json"
	printf '{"other": "ec-p521.pub", "acme-2026": "ec-p384.pub"}\n' > "$T/tm/kids.json"
	run -0 fwtrail rim verify --trust "$T/tm" "$RIM/nic.signed.corim"
	assert_output --partial "ec-p384.pub"
	rm "$T/tm/kids.json" # no binding at all: every fitting key may be tried
	run -0 fwtrail rim verify --trust "$T/tm" "$RIM/nic.signed.corim"
}

@test "C1: the not-well-formed CBOR of RFC 8949 Appendix F is malformed (exit 4) for rim verify and show" {
	# transcribed from RFC 8949 Appendix F.1: truncated heads and strings,
	# reserved additional information, indefinite lengths where none may be,
	# breaks outside indefinite items, bad chunks, odd maps, two-byte simples
	local v
	for v in 18 19 1a 1b 1901 1a0102 1b01020304050607 38 58 78 98 9a01ff00 b8 d8 f8 f900 fa0000 fb000000 \
		41 61 5affffffff00 5bffffffffffffffff010203 7affffffff00 7b7fffffffffffffff010203 \
		81 818181818181818181 8200 a1 a20102 a100 a2000000 c0 5f4100 5f410000 7f6100 7f610000 9f 9f0102 bf \
		bf01020102 819f 9f8000 9f9f9f9f9fffffffff 9f819f819f9fffffff \
		1c 1d 1e 3c 3d 3e 5c 5d 5e 7c 7d 7e 9c 9d 9e bc bd be dc dd de fc fd fe \
		f800 f801 f818 f81f \
		5f00ff 5f21ff 5f6100ff 5f80ff 5fa0ff 5fc000ff 5fe0ff 7f4100ff 5f5f4100ffff 7f7f6100ffff \
		ff 81ff 8200ff a1ff a1ff00 a100ff a20000ff 9f81ff 9f829f819f9fffffffff \
		bf00ff bf000000ff 1f 3f df; do
		printf '%s' "$v" | xxd -r -p > "$T/v.cbor"
		run -4 fwtrail rim verify --key "$RIM/keys/ec-p384.pub" "$T/v.cbor"
		run -4 fwtrail rim show "$T/v.cbor"
	done
}

@test "create: a second golden capture or PCR list is refused (exit 2), never one dropped in silence" {
	local ev="$TESTDATA/server/evidence"
	run --separate-stderr -2 fwtrail rim create --vendor A --model M --from-spdm "$ev/bmc.spdm" --from-spdm "$ev/bmc.spdm" -o "$BATS_TEST_TMPDIR/r.corim"
	assert_equal "${stderr_lines[0]}" "fwtrail rim create: --from-spdm is given twice: it takes one value"
	run -2 fwtrail rim create --vendor A --model M --from-eventlog "$ev/host.log" --pcrs 0 --pcrs 4 -o "$BATS_TEST_TMPDIR/r.corim"
	assert_output --partial "--pcrs is given twice"
	[ ! -e "$BATS_TEST_TMPDIR/r.corim" ]
	# repeatable options stay repeatable
	run -0 fwtrail rim create --vendor A --model M -m 1=sha384:$(printf '%096d' 0) -m 2=sha384:$(printf '%096d' 1) -o "$BATS_TEST_TMPDIR/r.corim"
}

@test "a raw value's key is an SPDM block index (1 to 254): a label, a UUID or 0 is exit 2" {
	for k in 06 0 255 version 2b9c1d1e-6c0e-4f54-8a61-0e3c6c2f1a01 6x; do
		run --separate-stderr -2 fwtrail rim create --vendor A --model B -m "$k=raw:00" -o "$BATS_TEST_TMPDIR/x.corim"
		assert_regex "${stderr_lines[0]}" "^fwtrail rim create: --measurement: '$k': a raw value is compared with the SPDM measurement block of its index: give the index \(1 to 254\) as the key$"
		[ ! -e "$BATS_TEST_TMPDIR/x.corim" ]
	done
	run -0 fwtrail rim create --vendor A --model B -m "254=raw:00" -m "1=raw:01" -o "$BATS_TEST_TMPDIR/x.corim"
}

@test "show: a kid of printable ASCII is shown quoted, any other kid in hex" {
	$PY - "$TESTDATA/server/rim/vendor.signed.corim" "$T" <<'PY'
import cbor2, sys
t = cbor2.loads(open(sys.argv[1], "rb").read())
sign1 = t.value if t.tag == 18 else t.value.value
prot = cbor2.loads(sign1[0])
for name, kid in (("bin", b"\x00\x01\xfe\x7f"), ("text", b"it's me")):
    prot[4] = kid
    sign1[0] = cbor2.dumps(prot)
    open(sys.argv[2] + "/" + name + ".corim", "wb").write(cbor2.dumps(t))
PY
	run --separate-stderr -0 fwtrail rim show "$T/bin.corim"
	assert_line --index 0 --regexp "^CoRIM [0-9a-f-]{36} \(signed: COSE_Sign1 ES384, kid 0001fe7f\)$"
	run --separate-stderr -0 fwtrail rim show "$T/text.corim"
	assert_line --index 0 --regexp "^CoRIM [0-9a-f-]{36} \(signed: COSE_Sign1 ES384, kid 'it's me'\)$"
}

@test "verify: '-' is standard input, once" {
	run --separate-stderr -2 bash -c '"$FWTRAIL" rim verify --key "$1" - - < "$2"' _ "$TESTDATA/server/trust/vendor.pub" \
		"$TESTDATA/server/rim/vendor.signed.corim"
	assert_equal "${stderr_lines[0]}" "fwtrail rim verify: '-' (standard input) is given 2 times: it can be read once"
	run --separate-stderr -0 bash -c '"$FWTRAIL" rim verify --key "$1" - < "$2"' _ "$TESTDATA/server/trust/vendor.pub" \
		"$TESTDATA/server/rim/vendor.signed.corim"
}

@test "sign: an empty --kid or --signer, or a --signer-uri that is no URI, is a usage error (exit 2), nothing written" {
	local k="$TESTDATA/keys/p384.key.pem" r="$TESTDATA/server/rim/vendor.corim"
	run --separate-stderr -2 fwtrail rim sign --key "$k" --signer X --kid '' -o "$T/o.corim" "$r"
	assert_equal "${stderr_lines[0]}" "fwtrail rim sign: --kid is empty (leave it out for no kid)"
	run --separate-stderr -2 fwtrail rim sign --key "$k" --signer '' -o "$T/o.corim" "$r"
	assert_equal "${stderr_lines[0]}" "fwtrail rim sign: --signer is empty"
	for u in 'not a uri' 'no-scheme' 'https:' '1http://x' $'https://a\tb'; do
		run --separate-stderr -2 fwtrail rim sign --key "$k" --signer X --signer-uri "$u" -o "$T/o.corim" "$r"
		[[ ${stderr_lines[0]} == "fwtrail rim sign: --signer-uri: '"*"' is not a URI (scheme:rest, as https://example.com/signing)" ]] || fail "$u: $stderr"
	done
	[ ! -e "$T/o.corim" ]
	run --separate-stderr -0 fwtrail rim sign --key "$k" --signer X --signer-uri 'urn:example:acme' -o "$T/o.corim" "$r"
	run --separate-stderr -0 fwtrail rim show "$T/o.corim"
	assert_line "  signer: X <urn:example:acme>"
}

@test "create: an empty --tag-id is a usage error, as an empty --kid or --signer; nothing written (exit 2)" {
	run -2 --separate-stderr fwtrail rim create --vendor V --model M -m "1=sha256:$(printf 'ab%.0s' {1..32})" --tag-id "" \
		-o "$BATS_TEST_TMPDIR/x.corim"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim create: --tag-id is empty (leave it out for a UUID derived from the content)"
	assert [ ! -e "$BATS_TEST_TMPDIR/x.corim" ]
}

@test "show --diag: a CoMID of more items than the limit inside its byte string is refused (exit 4), never shown as hex" {
	run -0 fwtrail rim create --vendor V --model M -m 1=sha256:$(printf 'ab%.0s' {1..32}) -o "$T/u.corim"
	$PY - "$T/u.corim" "$T/many.corim" <<'PY'
import cbor2, sys
d = cbor2.loads(open(sys.argv[1], "rb").read())
c = dict(d.value)
cm = c[1][0].value
# the CoMID map gains a key 99 holding 300000 items
c[1] = [cbor2.CBORTag(506, bytes([cm[0] + 1]) + cm[1:] + b"\x18\x63" + cbor2.dumps([0] * 300000))]
open(sys.argv[2], "wb").write(cbor2.dumps(cbor2.CBORTag(501, c)))
PY
	run --separate-stderr -4 fwtrail rim show --diag "$T/many.corim"
	[[ $stderr == *"more than 262144 data items"* ]] || fail "$stderr"
	assert_equal "$output" ""
	run -4 fwtrail rim show "$T/many.corim"
}

@test "create: an empty --vendor or --model is a usage error, as an empty --tag-id; nothing written (exit 2)" {
	local d
	d="1=sha256:$(printf 'ab%.0s' {1..32})"
	run -2 --separate-stderr fwtrail rim create --vendor '' --model '' -m "$d" -o "$T/x.corim"
	assert_equal "$stderr" "fwtrail rim create: --vendor is empty (the environment is named by its vendor and model)
Try 'fwtrail rim create --help'."
	run -2 --separate-stderr fwtrail rim create --vendor V --model '' -m "$d" -o "$T/x.corim"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim create: --model is empty (the environment is named by its vendor and model)"
	assert [ ! -e "$T/x.corim" ]
}

@test "create: a FIFO or a device as a measured file or capture is refused at once (exit 3), never waited on or read without end" {
	mkfifo "$T/fifo"
	ln -s "$T/fifo" "$T/fifo.link"
	snapshot_out "$O/x.corim"
	for args in "-m 1=$T/fifo" "-m 1=/dev/zero" "-m 1=/dev/null" "--from-eventlog $T/fifo" "--from-spdm /dev/zero" \
		"--follow-symlinks -m 1=$T/fifo.link"; do
		# shellcheck disable=SC2086
		run --separate-stderr -3 timeout 20 "$FWTRAIL" rim create --vendor V --model M $args -o "$O/x.corim"
		assert_equal "$stderr" "fwtrail rim create: '${args##*[ =]}' is not a regular file"
		assert_nothing_written
	done
	# a folder stays a usage error, a regular file is read
	run -2 --separate-stderr fwtrail rim create --vendor V --model M -m "1=$T" -o "$O/x.corim"
	assert_equal "$stderr" "fwtrail rim create: '$T' is a folder"
	run -0 fwtrail rim create --vendor V --model M -m "1=$FW/nic-7.0.2.bin" -o "$O/x.corim"
}

@test "create --class-id: a UUID-based OID (2.25.<128-bit integer>, X.667) is written base-128 and shown in dotted decimal" {
	local oid=2.25.329800735698586629295641978511506172918
	run -0 fwtrail rim create --vendor V --model M --class-id "$oid" -m "1=$FW/nic-7.0.2.bin" -o "$T/u.corim"
	run -0 "$PY" - "$T/u.corim" <<-'PY'
	import cbor2, sys
	d = cbor2.loads(open(sys.argv[1], "rb").read())
	cls = cbor2.loads(d.value[1][0].value)[4][0][0][0][0]
	print(cls[0].tag, cls[0].value.hex())
	PY
	# 2.25 is 0x69; the UUID's 128 bits in 19 base-128 digits
	assert_output "111 6983f09da7ebcfdee0c7a1a7b2c0948cc8f9d776"
	run -0 fwtrail rim show "$T/u.corim"
	assert_line --index 2 "  reference values for vendor 'V', model 'M', class-id $oid:"
	run -0 fwtrail --json rim show "$T/u.corim"
	run -0 jq -r '.rim.tags[0].reference_triples[0].environment.class.class_id.value' <<< "$output"
	assert_output "$oid"
	# arcs that are not decimal numbers, or a first arc over 2, are still refused
	run -2 fwtrail rim create --vendor V --model M --class-id 2.25.0x10 -m "1=$FW/nic-7.0.2.bin" -o "$T/v.corim"
	run -2 fwtrail rim create --vendor V --model M --class-id 3.25 -m "1=$FW/nic-7.0.2.bin" -o "$T/v.corim"
}

@test "OIDs: arcs past 64 bits are dotted decimal in text and JSON; a non-minimal OID is hex for show, malformed (4) for sign and verify" {
	"$PY" - "$T" <<-'PY'
	import cbor2, sys
	T = cbor2.CBORTag
	def b128(v):
	    s = [v & 0x7f]
	    v >>= 7
	    while v:
	        s.append(0x80 | (v & 0x7f))
	        v >>= 7
	    return bytes(reversed(s))
	for name, enc in (("big", b128(2 * 40 + 2**64) + b128(2**70)), ("nonmin", b"\x2a\x80\x01")):
	    c = {1: {0: "t"}, 4: {0: [[{0: {0: T(111, enc), 1: "V"}}, [{0: 1, 1: {2: [[-16, b"\0" * 32]]}}]]]}}
	    open(f"{sys.argv[1]}/{name}.corim", "wb").write(cbor2.dumps(T(501, {0: name, 1: [T(506, cbor2.dumps(c, canonical=True))]}), canonical=True))
	PY
	run -0 fwtrail rim show "$T/big.corim"
	assert_line --index 2 "  reference values for vendor 'V', class-id 2.18446744073709551616.1180591620717411303424:"
	run -0 fwtrail --json rim show "$T/big.corim"
	run -0 jq -r '.rim.tags[0].reference_triples[0].environment.class.class_id.value' <<< "$output"
	assert_output "2.18446744073709551616.1180591620717411303424"
	# 2a 80 01: arc 1.2, then an arc that starts with 0x80 (not minimal)
	run -0 fwtrail rim show "$T/nonmin.corim"
	assert_line --index 2 "  reference values for vendor 'V', class-id 2a8001:"
	local msg="malformed CoRIM at /tags/0/triples/reference-triples/0/environment/class/class-id: not an OID (tag 111 holds DER content octets): an arc is not minimally encoded (it starts with a 0x80 byte)"
	run -4 --separate-stderr fwtrail rim sign --key "$RIM/keys/ec-p384.pem" --signer S -o "$T/nonmin.signed" "$T/nonmin.corim"
	assert_equal "$stderr" "fwtrail rim sign: '$T/nonmin.corim': $msg"
	assert [ ! -e "$T/nonmin.signed" ]
	"$PY" "$ROOT/scripts/interop-cose.py" sign "$T/nonmin.corim" "$RIM/keys/ec-p384.pem" "$T/nonmin.signed"
	run -4 --separate-stderr fwtrail rim verify --key "$RIM/keys/ec-p384.pub" "$T/nonmin.signed"
	assert_equal "$stderr" "fwtrail rim verify: '$T/nonmin.signed': $msg"
}

@test "rim create: '-' reads a --measurement (key=-), --from-eventlog or --from-spdm from standard input, once" {
	local ev="$TESTDATA/evidence/eventlog/agile.bin" sp="$TESTDATA/evidence/spdm/spdm12.bin" f="$FW/bmc-1.2.3.bin"
	run -0 fwtrail rim create -q --vendor V --model M --measurement "fw=$f" -o "$O/file0.corim"
	run --separate-stderr -0 fwtrail rim create -q --vendor V --model M --measurement fw=- -o "$O/in0.corim" < "$f"
	cmp "$O/file0.corim" "$O/in0.corim"
	run -0 fwtrail rim create -q --vendor V --model M --from-eventlog "$ev" -o "$O/file1.corim"
	run --separate-stderr -0 fwtrail rim create -q --vendor V --model M --from-eventlog - -o "$O/in1.corim" < "$ev"
	cmp "$O/file1.corim" "$O/in1.corim"
	run -0 fwtrail rim create -q --vendor V --model M --from-spdm "$sp" -o "$O/file2.corim"
	run --separate-stderr -0 fwtrail rim create -q --vendor V --model M --from-spdm - -o "$O/in2.corim" < "$sp"
	cmp "$O/file2.corim" "$O/in2.corim"
	run --separate-stderr -2 fwtrail rim create --vendor V --model M --measurement a=- --from-eventlog - -o "$O/x.corim" < "$ev"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim create: --measurement and --from-eventlog are both '-': standard input can be read once"
	run --separate-stderr -2 fwtrail rim create --vendor V --model M --measurement a=- --measurement b=- -o "$O/x.corim" < "$f"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim create: --measurement is '-' twice: standard input can be read once"
	[ ! -e "$O/x.corim" ]
}

@test "rim create and rim sign -o FILE say what they wrote in one line; not with -q, --json or to standard output" {
	local k="$TESTDATA/keys/p384.key.pem" fp
	fp=$(openssl pkey -in "$k" -pubout -outform DER | sha256sum | cut -c1-64)
	run --separate-stderr -0 fwtrail rim create --vendor $'ACME\e[2J' --model BMC --measurement 1=sha256:$(printf '%064d' 0) \
		--measurement 2=sha256:$(printf '%064d' 1) -o "$O/u.corim"
	assert_output "$O/u.corim: CoRIM for 'ACME\\x1b[2J' 'BMC', 2 reference values"
	run --separate-stderr -0 fwtrail rim create --vendor "it's" --model 'a\b' --measurement 1=sha256:$(printf '%064d' 0) -o "$O/quote.corim"
	assert_output "$O/quote.corim: CoRIM for 'it\\'s' 'a\\\\b', 1 reference value"
	run --separate-stderr -0 fwtrail rim sign --key "$k" --signer 'ACME Signing' -o "$O/s.corim" "$O/u.corim"
	assert_output "$O/s.corim: ES384 COSE_Sign1 by '$k' (sha256:$fp), signer 'ACME Signing'"
	run --separate-stderr -0 fwtrail rim sign -q --key "$k" --signer X -o "$O/q.corim" "$O/u.corim"
	assert_output ""
	[ -s "$O/q.corim" ]
	run --separate-stderr -0 fwtrail rim create -q --vendor V --model M --measurement 1=sha256:$(printf '%064d' 0) -o "$O/q2.corim"
	assert_output ""
	run -0 bash -c '"$FWTRAIL" rim create --vendor V --model M --measurement 1=sha256:$(printf "%064d" 0) -o - | cmp - "$1"' _ "$O/q2.corim"
	run --separate-stderr -0 fwtrail rim sign --json --key "$k" --signer X -o "$O/j.corim" "$O/u.corim"
	run -0 $PY -c 'import json,sys; json.loads(sys.argv[1])' "$output"
}

@test "rim sign and rim verify: '-' as a key, trust path, revocation list or support RIM is a usage error (exit 2)" {
	run --separate-stderr -2 fwtrail rim sign --key - --signer X -o "$O/s.corim" "$RIM/nic.corim" < "$TESTDATA/keys/p384.key.pem"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim sign: --key: keys are read from files or pkcs11: URIs, not standard input ('-')"
	[ ! -e "$O/s.corim" ]
	run --separate-stderr -2 fwtrail rim sign --key "$TESTDATA/keys/p384.key.pem" --pin-file - --signer X -o "$O/s.corim" "$RIM/nic.corim"
	assert_regex "${stderr%%$'\n'*}" "^fwtrail rim sign: --pin-file: the PIN is read from a file .*, not standard input \('-'\)$"
	run --separate-stderr -2 fwtrail rim verify --trust - "$RIM/nic.signed.corim" < "$TESTDATA/keys/p384.pub.pem"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim verify: --trust: trusted keys are read from files or folders, not standard input ('-')"
	run --separate-stderr -2 fwtrail rim verify --key - "$RIM/nic.signed.corim" < "$TESTDATA/keys/p384.pub.pem"
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim verify: --key: trusted keys are read from files or folders, not standard input ('-')"
	run --separate-stderr -2 fwtrail rim verify --key "$TESTDATA/keys/p384.pub.pem" --revoked - "$RIM/nic.signed.corim" < /dev/null
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim verify: --revoked: revocation lists are read from files, not standard input ('-')"
	run --separate-stderr -2 fwtrail rim verify --key "$TESTDATA/keys/p384.pub.pem" --support - "$RIM/nic.signed.corim" < /dev/null
	assert_equal "${stderr%%$'\n'*}" "fwtrail rim verify: --support: the support RIM is read from a file, not standard input ('-')"
}

# Review (stop 36): a standard input read in part before gave the digest
# of the rest as the reference value, with exit 0; sign refuses that.
@test "rim create --measurement KEY=-: a standard input read in part is refused (exit 2), never the digest of the rest" {
	head -c 5000 /dev/urandom > "$O/fw.bin"
	run --separate-stderr -2 bash -c '{ dd bs=1000 count=1 of=/dev/null status=none; "$FWTRAIL" rim create --vendor V --model M -m fw=- -o "$1"; } < "$2"' _ "$O/part.corim" "$O/fw.bin"
	[[ $stderr == "fwtrail rim create: '-' was not read from its start: 4000 of its 5000 bytes were read (a descriptor positioned past its start)"* ]] || fail "$stderr"
	[ ! -e "$O/part.corim" ]
	run -0 bash -c '"$FWTRAIL" rim create --vendor V --model M -m fw=- -o "$1" < "$2"' _ "$O/whole.corim" "$O/fw.bin"
}
