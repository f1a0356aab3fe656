#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Reference values from golden captures (rim create --from-eventlog and
# --from-spdm), checked with Python's cbor2 and tpm2_eventlog; attest check
# on real data: the NVIDIA H100 transcript against a CoRIM of its own
# measurements (and one changed), and against NVIDIA's SWID RIMs; raw-value
# references in a CoRIM made by cbor2.

load helpers

S="$TESTDATA/server"
NV="$CORPORA/spdm/nvidia"
SW="$CORPORA/rim-swid/nvidia"
H100="$NV/hopperAttestationReport.txt"

setup() {
	T=$BATS_TEST_TMPDIR
}

# The measurements of a CoRIM, decoded by cbor2: [(key, {cose alg: hex})].
corim_refs() {
	$PY - "$1" <<'EOF'
import cbor2, json, sys
c = cbor2.loads(open(sys.argv[1], "rb").read())
assert c.tag == 501
[tag] = c.value[1]
assert tag.tag == 506
comid = cbor2.loads(tag.value)
[[env, ms]] = comid[4][0]
out = [[m[0], {str(a): v.hex() for a, v in m[1][2]}] for m in ms]
print(json.dumps({"env": env[0], "refs": out}))
EOF
}

@test "rim create --from-spdm: one reference per H100 block, keyed by index, digests as EXPECTED.json" {
	need_corpus spdm/nvidia
	run --separate-stderr -0 fwtrail rim create --vendor NVIDIA --model GH100 --from-spdm "$H100" -o "$T/h100.corim"
	assert_equal "$stderr" ""
	corim_refs "$T/h100.corim" > "$T/refs.json"
	$PY - "$T/refs.json" "$NV/EXPECTED.json" <<'EOF'
import json, sys
r, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert r["env"] == {1: "NVIDIA", 2: "GH100"} or r["env"] == {"1": "NVIDIA", "2": "GH100"}
assert [(k, d) for k, d in r["refs"]] == [(b["index"], {"-43": b["value"]}) for b in e["blocks"]], r["refs"][:2]
assert len(r["refs"]) == 64
EOF
}

@test "the H100 transcript against a CoRIM of its own measurements: all 64 match" {
	need_corpus spdm/nvidia
	fwtrail rim create --vendor NVIDIA --model GH100 --from-spdm "$H100" -o "$T/h100.corim"
	run --separate-stderr -0 fwtrail attest check --evidence "$H100" --rim "$T/h100.corim"
	assert_line 'ok: 64 components: 64 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 64 unreviewed'
	assert_line --regexp '^spdm +2 +mutable_firmware +sha384:8048dfd18fe229bf\.\.\. match +h100\.corim 2 +unreviewed$'
}

@test "the H100 transcript against that CoRIM with one digest changed (by cbor2): exactly that index mismatches" {
	need_corpus spdm/nvidia
	fwtrail rim create --vendor NVIDIA --model GH100 --from-spdm "$H100" -o "$T/h100.corim"
	$PY - "$T/h100.corim" "$T/changed.corim" <<'EOF'
import cbor2, sys
c = cbor2.loads(open(sys.argv[1], "rb").read())
comid = cbor2.loads(c.value[1][0].value)
for m in comid[4][0][0][1]:
    if m[0] == 37:
        alg, v = m[1][2][0]
        m[1][2][0] = [alg, v[:-1] + bytes([v[-1] ^ 0x80])]
c.value[1][0] = cbor2.CBORTag(506, cbor2.dumps(comid))
open(sys.argv[2], "wb").write(cbor2.dumps(c))
EOF
	run --separate-stderr -1 fwtrail attest check --json --evidence "$H100" --rim "$T/changed.corim"
	printf '%s' "$output" > "$T/rec.json"
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 mismatch (of 64 components)"
	$PY - "$T/rec.json" "$NV/EXPECTED.json" <<'EOF'
import json, sys
d, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = [c for c in d["components"] if c["status"] != "match"]
assert [(c["index"], c["status"]) for c in bad] == [(37, "mismatch")], bad
[b] = [b for b in e["blocks"] if b["index"] == 37]
c = bad[0]
assert c["digest"] == b["value"] and c["reference"]["digest"][:-2] == b["value"][:-2] != c["reference"]["digest"]
assert c["reference"]["key"] == "37" and c["reference"]["alg"] == "sha384"
EOF
}

@test "the H100 transcript against NVIDIA's VBIOS and driver SWID RIMs: what corresponds and what does not" {
	need_corpus spdm/nvidia
	need_corpus rim-swid/nvidia
	# the root of the tags' own chain (trusting it tests the mechanics only)
	$PY - "$SW/1010_0200_882_96005E0001_PROD.swidtag" > "$T/nvroot.pem" <<'EOF'
import re, sys, textwrap
x = open(sys.argv[1]).read()
b = "".join(re.findall(r"<(?:\w+:)?X509Certificate>([^<]+)</", x)[-1].split())
print("-----BEGIN CERTIFICATE-----\n" + "\n".join(textwrap.wrap(b, 64)) + "\n-----END CERTIFICATE-----")
EOF
	run --separate-stderr -1 fwtrail attest check --json --at 2024-06-01 --evidence "$H100" \
		--rim "$SW/1010_0200_882_96005E0001_PROD.swidtag" --rim "$SW/Driver_RIM_test_no_gpu.swidtag" \
		--trust "$T/nvroot.pem"
	printf '%s' "$output" > "$T/rec.json"
	$PY - "$T/rec.json" "$SW/1010_0200_882_96005E0001_PROD.swidtag" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert [s["verified"] for s in d["signatures"] if s["kind"] == "rim"] == [True, True], d["signatures"]
s = d["summary"]
# The sample report is from driver 550.90.07 / VBIOS 96.00.9F.00.01, the
# RIMs are for driver 545.00 / VBIOS 96.00.5E.00.01 (PROVENANCE.md): some
# blocks correspond, many do not, and the indices neither RIM marks active
# have no reference.
assert (s["match"], s["mismatch"], s["unknown"], s["missing"]) == (14, 19, 31, 0), s
C = {c["index"]: c for c in d["components"]}
# the SWID index is the SPDM index minus one; alternatives count
x = open(sys.argv[2]).read()
h3 = re.search(r'index="3" active="True" alternatives="1" \w+:Hash0="([0-9a-f]+)"', x).group(1)
assert C[4]["status"] == "match" and C[4]["digest"] == h3 and C[4]["reference"]["key"] == "3"
assert C[4]["reference"]["format"] == "swid" and C[4]["reference"]["name"] == "HashedMeasurement_3_FSP"
assert C[4]["reference"]["vendor"] == "NVIDIA Corporation" and C[4]["reference"]["model"] == "GH100"
assert C[2]["status"] == "mismatch" and C[8]["reference"]["rim"].endswith("Driver_RIM_test_no_gpu.swidtag")
assert C[14]["status"] == "unknown" and "reference" not in C[14]
assert {(p["product"], p["fw_version"]) for p in d["products"]} == {("GH100", "96.00.5E.00.01"), ("GH100", "545.00")}
EOF
	# out of the chain's validity period: not verified, not used
	run --separate-stderr -1 fwtrail attest check --json --evidence "$H100" \
		--rim "$SW/1010_0200_882_96005E0001_PROD.swidtag" --trust "$T/nvroot.pem" --at 2060-01-01
	printf '%s' "$output" > "$T/rec.json"
	$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); [s]=[x for x in d["signatures"] if x["kind"] == "rim"]; assert not s["verified"] and not s["used"] and d["summary"]["unknown"] == 64' "$T/rec.json"
}

@test "rim create --from-eventlog: one reference per extending event, keyed pcrN:evM, digests as tpm2_eventlog reads them" {
	command -v tpm2_eventlog > /dev/null || skip "tpm2_eventlog not installed"
	run --separate-stderr -0 fwtrail rim create --vendor ACME --model 'X1 server' --from-eventlog "$S/evidence/host.log" \
		-o "$T/golden.corim"
	corim_refs "$T/golden.corim" > "$T/refs.json"
	tpm2_eventlog "$S/evidence/host.log" > "$T/log.yaml"
	$PY - "$T/refs.json" "$T/log.yaml" <<'EOF'
import json, sys, yaml
r = json.load(open(sys.argv[1]))
y = yaml.safe_load(open(sys.argv[2]))
ids = {"sha256": "-16", "sha384": "-43", "sha512": "-44"}
want = [["pcr%d:ev%d" % (e["PCRIndex"], e["EventNum"]),
         {ids[x["AlgorithmId"]]: x["Digest"] for x in e["Digests"] if x["AlgorithmId"] in ids}]
        for e in y["events"] if e["EventType"] != "EV_NO_ACTION"]
assert r["refs"] == want, (r["refs"][:2], want[:2])
assert len(want) == 15
EOF
	run -0 fwtrail rim create --vendor ACME --model 'X1 server' --from-eventlog "$S/evidence/host.log" --pcrs 0,4 \
		-o "$T/pcr04.corim"
	corim_refs "$T/pcr04.corim" > "$T/refs.json"
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1]))["refs"]; assert [k for k,_ in r] == ["pcr0:ev1", "pcr0:ev2", "pcr4:ev6", "pcr0:ev7", "pcr4:ev11", "pcr4:ev14"], r' "$T/refs.json"
}

@test "a golden RIM of the whole server (log, transcript and a labelled file): the server matches, a tampered one does not" {
	fwtrail rim create --vendor ACME --model 'X1 server' --from-eventlog "$S/evidence/host.log" \
		--from-spdm "$S/evidence/bmc.spdm" --measurement "bios=$S/firmware/bios-2.0.bin" -o "$T/golden.corim"
	fwtrail rim sign --key "$S/keys/vendor.pem" --signer 'ACME golden' -o "$T/golden.signed.corim" "$T/golden.corim"
	# the labelled file is a PCR-less reference: it matches the firmware blob event too
	run --separate-stderr -0 fwtrail attest check --evidence "$S/evidence/host.log" --evidence "$S/evidence/bmc.spdm" \
		--rim "$T/golden.signed.corim" --key "$S/keys/vendor.pub"
	assert_line 'ok: 19 components: 19 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 19 unreviewed'
	run --separate-stderr -1 fwtrail attest check --json --evidence "$S/evidence/host-tampered.log" \
		--evidence "$S/evidence/bmc-tampered.spdm" --rim "$T/golden.signed.corim" --key "$S/keys/vendor.pub"
	printf '%s' "$output" > "$T/rec.json"
	$PY - "$T/rec.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
bad = sorted((c["source"], c["index"], c["status"], c["reference"]["key"]) for c in d["components"] if c["status"] != "match")
assert bad == [("eventlog", 4, "mismatch", "pcr4:ev14"), ("spdm", 2, "mismatch", "2")], bad
EOF
}

@test "a PCR-less reference matches an event on any PCR; unseen, it is missing with no index" {
	# bios-2.0.bin is measured on PCR 0; a RIM listing it and another image by label only
	fwtrail rim create --vendor ACME --model 'X1 server' --measurement "bios=$S/firmware/bios-2.0.bin" \
		--measurement "bmc=$S/firmware/bmc-3.0.bin" --from-eventlog "$S/evidence/host.log" -o "$T/labels.corim"
	run --separate-stderr -1 fwtrail attest check --json --evidence "$S/evidence/host.log" --rim "$T/labels.corim"
	printf '%s' "$output" > "$T/rec.json"
	$PY - "$T/rec.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [c for c in d["components"] if c["status"] != "match"]
assert [(c["source"], c["index"], c["status"], c["reference"]["key"]) for c in bad] == [("eventlog", None, "missing", "bmc")], bad
EOF
}

@test "rim create --from-*: usage, malformed, SHA-1-only and raw-value inputs" {
	run -2 fwtrail rim create --vendor A --model B --pcrs 0 --measurement 1=sha256:$(printf '%064d' 0)
	assert_output --partial "--pcrs only applies to --from-eventlog"
	run -2 fwtrail rim create --vendor A --model B
	assert_output --partial "at least one --measurement, --from-eventlog or --from-spdm is required"
	run -2 fwtrail rim create --vendor A --model B --from-eventlog "$S/evidence/host.log" --pcrs 0-99
	head -c 200 "$S/evidence/host.log" > "$T/cut.log"
	run --separate-stderr -4 fwtrail rim create --vendor A --model B --from-eventlog "$T/cut.log" -o "$T/x.corim"
	assert_regex "$stderr" "^fwtrail rim create: '$T/cut.log': "
	[ ! -e "$T/x.corim" ]
	run --separate-stderr -6 fwtrail rim create --vendor A --model B \
		--from-eventlog "$TESTDATA/evidence/eventlog/legacy-sha1.bin" -o "$T/x.corim"
	assert_regex "$stderr" "no SHA-256, SHA-384 or SHA-512 bank"
	[ ! -e "$T/x.corim" ]
	run --separate-stderr -2 fwtrail rim create --vendor A --model B --from-eventlog "$S/evidence/host.log" \
		--pcrs 12 -o "$T/x.corim"
	assert_regex "$stderr" "no event of the log extends the PCRs selected"
	# raw values are recorded now: nothing left out, nothing to warn about
	run --separate-stderr -0 fwtrail rim create --vendor A --model B \
		--from-spdm "$TESTDATA/evidence/spdm/spdm12.bin" -o "$T/x.corim"
	assert_equal "$stderr" ""
	assert_output "$T/x.corim: CoRIM for 'A' 'B', 8 reference values"
}

# spdm12.bin's transcript remade by scripts/gen-spdm.py, signed by the same
# responder key: $T/v124.bin with raw block 6 (the version) "1.2.4" for
# "1.2.3"; $T/sha3.bin with SHA3-384 negotiated for the digests (blocks 1-5);
# $T/rawonly.bin, an unsigned 1.1 capture of raw blocks 6-8 alone;
# $T/none.bin, an unsigned 1.1 count query: no block at all.
spdm_variants() {
	with_generator gen-spdm.py "$T" <<'EOF'
key = g.Key("fwtrail spdm test responder")
b = g.blocks_v12()
b[5] = g.block(6, 0x86, b"fwtrail-test 1.2.4")
open(sys.argv[2] + "/v124.bin", "wb").write(g.transcript12(key, blocks=b))
vca = g.vca  # ALGORITHMS: MeasurementHashAlgo 0x20 (SHA3-384) for 0x04 (SHA-384)
g.vca = lambda v: [m[:8] + g.u32(0x20) + m[12:] if m[1] == 0x63 else m for m in vca(v)]
open(sys.argv[2] + "/sha3.bin", "wb").write(g.transcript12(key))
g.vca = vca
req = g.get_measurements(0x11, 0, 0xFF)
open(sys.argv[2] + "/rawonly.bin", "wb").write(req + g.measurements(0x11, 0, 0, g.blocks_v12()[5:], g.RSP_NONCE, b""))
count = g.get_measurements(0x11, 0, 0)  # "how many blocks?": 3, and no block
open(sys.argv[2] + "/none.bin", "wb").write(count + g.measurements(0x11, 3, 0, [], g.RSP_NONCE, b""))
EOF
}

@test "rim create --from-spdm records raw blocks as 560(bytes) (cbor2): the capture then matches in all 8 blocks, a changed version does not" {
	SP="$TESTDATA/evidence/spdm"
	AUTH=(--spdm-cert "$SP/chain.pem" --spdm-trust "$SP/root.pem"
		--spdm-nonce 80c04061aa1646d641f2ed372d4e64ebdbfe718972ab6251b3503be8172734bb)
	run --separate-stderr -0 fwtrail rim create --vendor ACME --model DEV --from-spdm "$SP/spdm12.bin" -o "$T/golden.corim"
	assert_equal "$stderr" ""
	$PY - "$T/golden.corim" "$SP/expected.json" <<'EOF'
import cbor2, json, sys
c = cbor2.loads(open(sys.argv[1], "rb").read())
assert c.tag == 501
[[env, ms]] = cbor2.loads(c.value[1][0].value)[4][0]
e = {b["index"]: b for b in json.load(open(sys.argv[2]))["spdm12.bin"]["blocks"]}
assert [m[0] for m in ms] == [1, 2, 3, 4, 5, 6, 7, 8], ms
for m in ms[:5]:
    assert m[1] == {2: [[-43, bytes.fromhex(e[m[0]]["digest"])]]}, m
for m in ms[5:]:
    assert m[1] == {4: cbor2.CBORTag(560, bytes.fromhex(e[m[0]]["value"]))}, m
assert ms[5][1][4].value == b"fwtrail-test 1.2.3"
EOF
	run --separate-stderr -0 fwtrail attest check --evidence "$SP/spdm12.bin" --rim "$T/golden.corim" "${AUTH[@]}"
	assert_line 'ok: 8 components: 8 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 8 unreviewed'
	assert_line --regexp '^spdm +6 +version +raw:6677747261696c2d\.\.\. +match +golden\.corim 6 +unreviewed$'
	assert_line --regexp '^spdm +7 +svn +raw:0500000000000000 +match +golden\.corim 7 +unreviewed$'
	spdm_variants
	# the same device, signed and fresh, reporting another version: only index 6 differs
	run --separate-stderr -1 fwtrail attest check --json --evidence "$T/v124.bin" --rim "$T/golden.corim" "${AUTH[@]}"
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 mismatch (of 8 components)"
	printf '%s' "$output" > "$T/rec.json"
	$PY - "$T/rec.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
st = {c["index"]: (c["status"], c["alg"]) for c in d["components"]}
assert st == {**{i: ("match", "sha384") for i in range(1, 6)}, 6: ("mismatch", "raw"), 7: ("match", "raw"),
              8: ("match", "raw")}, st
[c6] = [c for c in d["components"] if c["index"] == 6]
assert bytes.fromhex(c6["value"]) == b"fwtrail-test 1.2.4", c6
assert bytes.fromhex(c6["reference"]["value"]) == b"fwtrail-test 1.2.3" and c6["reference"]["key"] == "6", c6
[s] = [s for s in d["signatures"] if s["kind"] == "spdm"]
assert s["verified"] is True, s
EOF
}

@test "rim create --from-spdm: digests of another algorithm are left out with a warning; raw values alone make a RIM" {
	spdm_variants
	# SHA3-384 digests cannot be CoRIM digests here; the raw blocks still are recorded
	run --separate-stderr -0 fwtrail rim create --vendor A --model B --from-spdm "$T/sha3.bin" -o "$T/sha3.corim"
	assert_equal "$stderr" "fwtrail rim create: warning: '$T/sha3.bin': 5 measurement blocks with a digest other than SHA-256, SHA-384 or SHA-512 not recorded"
	run -0 fwtrail rim show --json "$T/sha3.corim"
	printf '%s' "$output" > "$T/sha3.json"
	run -0 jq -c '[.rim.tags[0].reference_triples[0].measurements[] | [.key.value, .raw_value.value]]' "$T/sha3.json"
	assert_output '[[6,"6677747261696c2d7465737420312e322e33"],[7,"0500000000000000"],[8,"293e95058085a978d797d02e26917d76c17363ae10d0661368098a20d1214e58fb9c6f71e58b8532"]]'
	# a capture of raw blocks only: a RIM of raw values only, no warning, matching that capture
	run --separate-stderr -0 fwtrail rim create --vendor A --model B --from-spdm "$T/rawonly.bin" -o "$T/raw.corim"
	assert_equal "$stderr" ""
	run --separate-stderr -0 fwtrail attest check --evidence "$T/rawonly.bin" --rim "$T/raw.corim"
	assert_line 'ok: 3 components: 3 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 3 unreviewed'
	# nothing at all to record is still refused, with nothing written
	run --separate-stderr -6 fwtrail rim create --vendor A --model B --from-spdm "$T/none.bin" -o "$T/none.corim"
	assert_equal "$stderr" "fwtrail rim create: '$T/none.bin': no measurement block holds a SHA-256, SHA-384 or SHA-512 digest"
	[ ! -e "$T/none.corim" ]
}

@test "raw-value references (CoRIM by cbor2: 560 bytes, 563 masked) against SPDM raw blocks" {
	# spdm12.bin: digest blocks 1-5, raw blocks 6 (a version), 7 (an SVN), 8 (a manifest)
	$PY - "$TESTDATA/evidence/spdm/expected.json" "$T/raw.corim" <<'EOF'
import cbor2, json, sys
e = json.load(open(sys.argv[1]))["spdm12.bin"]["blocks"]
v = {b["index"]: bytes.fromhex(b.get("digest") or b["value"]) for b in e}
ms = [{0: i, 1: {2: [[-43, v[i]]]}} for i in range(1, 6)]
ms.append({0: 6, 1: {4: cbor2.CBORTag(560, v[6])}})
mask = bytes([0xff] * 4 + [0] * 4)
ms.append({0: 7, 1: {4: cbor2.CBORTag(563, [v[7][:4] + b"\x99" * 4, mask])}})
ms.append({0: 8, 1: {4: cbor2.CBORTag(560, v[8][:-1] + b"\x00")}})
comid = {1: {0: "raw-test"}, 4: {0: [[{0: {1: "fwtrail", 2: "raw"}}, ms]]}}
open(sys.argv[2], "wb").write(cbor2.dumps(cbor2.CBORTag(501, {0: "raw", 1: [cbor2.CBORTag(506, cbor2.dumps(comid))]})))
EOF
	run --separate-stderr -1 fwtrail attest check --json --evidence "$TESTDATA/evidence/spdm/spdm12.bin" --rim "$T/raw.corim"
	printf '%s' "$output" > "$T/rec.json"
	$PY - "$T/rec.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
st = {c["index"]: (c["status"], c["alg"]) for c in d["components"]}
assert st == {1: ("match", "sha384"), 2: ("match", "sha384"), 3: ("match", "sha384"), 4: ("match", "sha384"),
              5: ("match", "sha384"), 6: ("match", "raw"), 7: ("match", "raw"), 8: ("mismatch", "raw")}, st
[c7] = [c for c in d["components"] if c["index"] == 7]
assert c7["reference"]["mask"] == "ffffffff00000000" and c7["value"] == "0500000000000000"
assert c7["digest"] is None and c7["reference"]["digest"] is None and c7["reference"]["value"] == "0500000099999999"
assert d["inputs"][0]["version"] == "1.2" and d["inputs"][0]["signed"] is True
EOF
}

@test "20000 events against 20000 references, none matching, in seconds (no quadratic matching)" {
	skip_if_sanitized "timing"
	with_generator gen-eventlog.py "$T" <<'EOF'
for name, tag in (("u1.log", b"one"), ("u2.log", b"two")):
    evs = [g.Ev(4, g.EV_POST_CODE, b"x", measured=tag + str(i).encode()) for i in range(20000)]
    open(sys.argv[2] + "/" + name, "wb").write(g.agile_log(evs, ["sha256", "sha384"]))
EOF
	fwtrail rim create --vendor A --model B --from-eventlog "$T/u2.log" -o "$T/u2.corim"
	run --separate-stderr timeout 15 "$FWTRAIL" -q attest check --evidence "$T/u1.log" --rim "$T/u2.corim"
	assert_equal "$status" 1
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 20000 mismatch (of 20000 components)"
	run --separate-stderr -0 timeout 15 "$FWTRAIL" -q attest check --evidence "$T/u2.log" --rim "$T/u2.corim"
}

@test "24000 equal references against 100000 equal events, in seconds (references grouped by digests)" {
	skip_if_sanitized "timing"
	with_generator gen-eventlog.py "$T" <<'EOF'
for name, n in (("gold.log", 24000), ("run.log", 100000), ("huge.log", 32000)):
    evs = [g.Ev(4, g.EV_EFI_ACTION, b"x") for i in range(n)]
    open(sys.argv[2] + "/" + name, "wb").write(g.agile_log(evs, ["sha256"]))
EOF
	fwtrail rim create --vendor A --model B --from-eventlog "$T/gold.log" -o "$T/gold.corim"
	# before, each event walked every equal reference: over a minute
	run --separate-stderr -0 timeout 20 "$FWTRAIL" -q attest check --evidence "$T/run.log" --rim "$T/gold.corim"
	# a RIM fwtrail would not read back is not made (more than 262144 CBOR items)
	run --separate-stderr -2 fwtrail rim create --vendor A --model B --from-eventlog "$T/huge.log" -o "$T/huge.corim"
	assert_regex "${stderr_lines[0]}" "^fwtrail rim create: the CoRIM made would not be read back \(.*more than 262144 data items\)$"
	[ ! -e "$T/huge.corim" ]
}

# The components are written one at a time, in JSON and in text: as one
# JSON tree, the 200000 components of a long log took 880 MB.
@test "a log of 200000 events against 20000 references takes little memory; the JSON is laid out as any other" {
	skip_if_sanitized "peak RSS"
	with_generator gen-eventlog.py "$T" <<'EOF'
evs = [g.Ev(i % 8, g.EV_POST_CODE, b"x", measured=str(i).encode()) for i in range(199999)]
open(sys.argv[2] + "/long.log", "wb").write(g.agile_log(evs, ["sha256"]))
open(sys.argv[2] + "/gold.log", "wb").write(g.agile_log(evs[:20000], ["sha256"]))
EOF
	fwtrail rim create --vendor A --model B --from-eventlog "$T/gold.log" -o "$T/gold.corim"
	for json in "" --json; do
		rss=$(peak_rss_kib "$FWTRAIL" attest check $json --evidence "$T/long.log" --rim "$T/gold.corim")
		[ "$rss" -lt 262144 ] || fail "attest check $json: peak RSS $rss KiB"
	done
	run --separate-stderr -1 fwtrail attest check --evidence "$T/long.log" --rim "$T/gold.corim"
	assert_equal "${#lines[@]}" 200002
	assert_regex "${lines[199999]}" "^eventlog pcr6 +#199999 EV_POST_CODE .* mismatch +gold.corim pcr6:ev[0-9]+ +unreviewed$"
	assert_equal "${lines[200000]}" "rim '$T/gold.corim': not verified: not signed"
	assert_equal "${lines[200001]}" "NOT OK: 199999 components: 20000 match, 179999 mismatch, 0 unknown, 0 missing; 0 reviewed, 199999 unreviewed"
	run -1 bash -c '"$0" attest check --json --evidence "$1" --rim "$2" > "$3"' "$FWTRAIL" "$T/long.log" "$T/gold.corim" \
		"$T/rec.json"
	$PY - "$T/rec.json" <<'EOF'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
d = json.loads(text)
c = d["components"]
assert d["ok"] is False and d["summary"]["match"] == 20000 and len(c) == 199999, d["summary"]
assert [x["status"] for x in c[:20000]] == ["match"] * 20000 and c[20000]["status"] == "mismatch"
assert c[-1]["event"] == 199999 and c[-1]["reference"]["key"].startswith("pcr6:ev"), c[-1]
assert text == json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "layout differs"
EOF
}

# References were indexed by each digest alone: an event sharing one digest
# with many references that differ in another walked all of them (8000
# references and 40000 events: 18 s).  The index is keyed by every digest
# an event and a reference can share.
@test "references sharing one digest and differing in another, against events likewise: in seconds" {
	skip_if_sanitized "timing"
	with_generator gen-eventlog.py "$T" <<'EOF'
import os
same = bytes(32)
for name, n in (("gold.log", 8000), ("run.log", 40000)):
    evs = [g.Ev(4, g.EV_POST_CODE, b"x", digests={"sha256": same, "sha384": os.urandom(48)}) for i in range(n)]
    open(sys.argv[2] + "/" + name, "wb").write(g.agile_log(evs, ["sha256", "sha384"]))
# the other way round: one SHA-384 value, SHA-256 values all different
evs = [g.Ev(4, g.EV_POST_CODE, b"x", digests={"sha256": os.urandom(32), "sha384": bytes(48)}) for i in range(40000)]
open(sys.argv[2] + "/run2.log", "wb").write(g.agile_log(evs, ["sha256", "sha384"]))
EOF
	fwtrail rim create --vendor A --model B --alg sha256,sha384 --from-eventlog "$T/gold.log" -o "$T/gold.corim"
	run --separate-stderr -1 timeout 10 "$FWTRAIL" -q attest check --evidence "$T/run.log" --rim "$T/gold.corim"
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 40000 mismatch (of 40000 components)"
	run --separate-stderr -1 timeout 10 "$FWTRAIL" -q attest check --evidence "$T/run2.log" --rim "$T/gold.corim"
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 40000 mismatch (of 40000 components)"
	# and the golden log itself matches its own RIM, event for event
	run --separate-stderr -0 timeout 10 "$FWTRAIL" -q attest check --evidence "$T/gold.log" --rim "$T/gold.corim"
}

@test "a reference's alternative digests: each accepted; past 1024 combinations, exit 6 naming the RIM" {
	$PY - "$T" <<'EOF'
import cbor2, sys
T = cbor2.CBORTag
def corim(path, digests):
    meas = [{0: "pcr0:ev0", 1: {2: digests}}]
    comid = {1: {0: "tag"}, 4: {0: [[{0: {1: "V", 2: "M"}}, meas]]}}
    open(path, "wb").write(cbor2.dumps(T(501, {0: "c", 1: [T(506, cbor2.dumps(comid))]})))
# two SHA-256 and two SHA-384 values: any pair of them is accepted
corim(sys.argv[1] + "/two.corim", [[-16, b"\x01" * 32], [-16, b"\x02" * 32], [-43, b"\x03" * 48], [-43, b"\x04" * 48]])
# 40 and 40: 40 + 40 + 1600 combinations
corim(sys.argv[1] + "/many.corim", [[-16, bytes([i]) * 32] for i in range(40)] + [[-43, bytes([i]) * 48] for i in range(40)])
EOF
	with_generator gen-eventlog.py "$T" <<'EOF'
for name, d256, d384 in (("a.log", 2, 3), ("b.log", 1, 4), ("c.log", 2, 5)):
    ev = g.Ev(0, g.EV_POST_CODE, b"x", digests={"sha256": bytes([d256]) * 32, "sha384": bytes([d384]) * 48})
    open(f"{sys.argv[2]}/{name}", "wb").write(g.agile_log([ev], ["sha256", "sha384"]))
EOF
	run --separate-stderr -0 fwtrail -q attest check --evidence "$T/a.log" --rim "$T/two.corim"
	run --separate-stderr -0 fwtrail -q attest check --evidence "$T/b.log" --rim "$T/two.corim"
	# SHA-256 accepted, SHA-384 not: a mismatch
	run --separate-stderr -1 fwtrail -q attest check --evidence "$T/c.log" --rim "$T/two.corim"
	run --separate-stderr -6 fwtrail attest check --evidence "$T/a.log" --rim "$T/many.corim"
	assert_equal "${stderr_lines[-1]}" "fwtrail attest check: '$T/many.corim': the event-log references hold too many alternative digests to compare (1680 combinations in one reference; at most 1024 per reference, 1048576 in all)"
	assert_equal "$output" ""
}

# Each event log accounts for every event-log reference on its own, so a
# few tiny logs against a large RIM made their product in missing
# components (100 one-event logs against 20000 references: 2 million;
# 4096 against 65535: 268 million, tens of gigabytes).  A run holds at most
# 2^20 components.  Review round 18.
@test "evidences x references missing are bounded: past 2^20 components, exit 6 before the memory goes" {
	with_generator gen-eventlog.py "$T" <<'EOF'
open(sys.argv[2] + "/one.log", "wb").write(g.agile_log([g.Ev(0, g.EV_POST_CODE, b"x")], ["sha256"]))
gold = [g.Ev(5, g.EV_POST_CODE, b"x", measured=str(i).encode()) for i in range(20000)]
open(sys.argv[2] + "/gold.log", "wb").write(g.agile_log(gold, ["sha256"]))
EOF
	fwtrail rim create --vendor A --model B --alg sha256 --from-eventlog "$T/gold.log" -o "$T/gold.corim"
	args=()
	for i in $(seq 52); do args+=(--evidence "$T/one.log"); done
	# 52 x 20000 + 52 = 1040052: within the bound, every reference missing for each log
	run --separate-stderr -1 fwtrail -q attest check "${args[@]}" --rim "$T/gold.corim"
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 52 unknown, 1040000 missing (of 1040052 components)"
	args+=(--evidence "$T/one.log")
	run --separate-stderr -6 fwtrail attest check --json "${args[@]}" --rim "$T/gold.corim"
	assert_equal "${stderr_lines[-1]}" "fwtrail attest check: the appraisal would hold more than 1048576 components (each evidence accounts for every reference it does not measure): appraise fewer evidences at once"
	$PY -c 'import json, sys
d = json.load(sys.stdin)
assert d["ok"] is False and d["error"]["code"] == "unsupported" and "components" not in d, d' <<<"$output"
}

@test "rim create --from-spdm: measurements of pending firmware, or changed during the transcript, are no golden values (exit 4)" {
	C=$TESTDATA/evidence/spdm/cases
	run --separate-stderr -4 fwtrail rim create --vendor A --model B --from-spdm "$C/new-measurement-v13.bin" -o "$T/r.corim"
	assert_equal "$stderr" "fwtrail rim create: '$C/new-measurement-v13.bin': no reference values from these measurements: measurements of pending firmware, not of the running state: a GET_MEASUREMENTS request sets NewMeasurementRequested, which asks for the measurements that take effect at the next reset"
	[ ! -e "$T/r.corim" ]
	run --separate-stderr -4 fwtrail rim create --vendor A --model B --from-spdm "$C/content-changed-v12.bin" -o "$T/r.corim"
	assert_equal "$stderr" "fwtrail rim create: '$C/content-changed-v12.bin': no reference values from these measurements: the responder detected measurement changes during the transcript: measure again"
	[ ! -e "$T/r.corim" ]
	# spdm verify says no to them as well
	run -1 fwtrail spdm verify --cert "$TESTDATA/evidence/spdm/chain.pem" "$C/new-measurement-v13.bin"
}
