#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail eventlog show|replay: the public corpus, tpm2_eventlog as an
# oracle, generated hostile logs (RELIABILITY E1-E5, E7), --expect, --local,
# and --expect with a quote (E6).

load helpers

EV="$TESTDATA/evidence/eventlog"

setup() {
	T=$BATS_TEST_TMPDIR
}

@test "every corpus log replays to exactly EXPECTED_PCRS.json; the bad ones exit 4" {
	need_corpus eventlog
	n=0
	while IFS='	' read -r key kind; do
		f="$CORPORA/eventlog/$key"
		[ -f "$f" ] || continue
		n=$((n + 1))
		if [ "$kind" = bad ]; then
			run --separate-stderr -4 fwtrail eventlog replay --json "$f"
			[[ $stderr == *"'$f': "* ]] || fail "$key: $stderr"
			continue
		fi
		run --separate-stderr -0 fwtrail eventlog replay --json "$f"
		printf '%s' "$output" > "$T/got.json"
		$PY - "$CORPORA/eventlog/EXPECTED_PCRS.json" "$key" "$T/got.json" <<'EOF' || fail "$key differs"
import json, sys
exp = json.load(open(sys.argv[1]))[sys.argv[2]]
got = json.load(open(sys.argv[3]))
assert got["banks"] == exp["pcrs"], (got["banks"], exp["pcrs"])
assert got["event_count"] == exp["events"]
assert got["format"] == exp["format"]
assert (got["startup_locality"] or 0) == exp["startup_locality"]
EOF
	done < <($PY -c '
import json, sys
for k, v in json.load(open(sys.argv[1])).items():
    if not k.startswith("_"):
        print(k + "\t" + ("bad" if "parse_error" in v else "good"))' "$CORPORA/eventlog/EXPECTED_PCRS.json")
	[ "$n" -gt 10 ]
}

@test "the empty, bogus and vendor-data logs exit 4 with the offset" {
	need_corpus eventlog
	K="$CORPORA/eventlog/keylime/test/data/create-mb-policy"
	run --separate-stderr -4 fwtrail eventlog replay "$K/binary_bios_measurements-empty"
	[[ $stderr == *"empty event log"* ]]
	assert_equal "$output" ""
	run --separate-stderr -4 fwtrail eventlog show "$K/binary_bios_measurements-bogus"
	[[ $stderr == *"event 0 at offset 0: EventSize"* ]]
	run --separate-stderr -4 fwtrail eventlog replay "$CORPORA/eventlog/tpm2-tools/fixtures/specid-vendordata.bin"
	[[ $stderr == *"vendorInfoSize 4 exceeds"* ]]
}

@test "Debian's tpm2_eventlog agrees on the PCRs of the locality-0 corpus logs" {
	need_corpus eventlog
	command -v tpm2_eventlog >/dev/null || skip "tpm2_eventlog (tpm2-tools) not installed"
	n=0
	for f in "$CORPORA"/eventlog/tpm2-tools/fixtures/*.bin \
		"$CORPORA"/eventlog/keylime/test/data/create-mb-policy/binary_bios_measurements-secureboot \
		"$CORPORA"/eventlog/keylime/test/data/mb_log.bin.derived; do
		[ -f "$f" ] || continue
		case "$f" in *specid-vendordata.bin) continue ;; esac
		# tpm2_eventlog's whole output: its events, then the "pcrs:" section
		tpm2_eventlog "$f" > "$T/oracle.yaml" 2>/dev/null
		grep -q '^pcrs:' "$T/oracle.yaml" || fail "tpm2_eventlog gave no PCRs for $f"
		run --separate-stderr fwtrail eventlog replay --expect "$T/oracle.yaml" "$f"
		[ "$status" -eq 0 ] || fail "$f: $stderr"
		[[ $output == *"all replayed PCRs match"* ]]
		# and the section alone
		sed -n '/^pcrs:/,$p' "$T/oracle.yaml" > "$T/section.yaml"
		run --separate-stderr -0 fwtrail eventlog replay --expect "$T/section.yaml" "$f"
		n=$((n + 1))
	done
	[ "$n" -ge 10 ]
}

@test "the oracle comparison can fail: a changed PCR in tpm2_eventlog's output exits 1" {
	need_corpus eventlog
	command -v tpm2_eventlog >/dev/null || skip "tpm2_eventlog (tpm2-tools) not installed"
	f="$CORPORA/eventlog/tpm2-tools/fixtures/event-bootorder.bin"
	tpm2_eventlog "$f" 2>/dev/null | sed '/^pcrs:/,$ { /^  sha256:/,$ s/^\(    7  : 0x\)./\1f/ }' > "$T/oracle.yaml"
	grep -q '^- EventNum: 0' "$T/oracle.yaml" || fail "not tpm2_eventlog's whole output"
	run --separate-stderr -1 fwtrail eventlog replay --expect "$T/oracle.yaml" "$f"
	[[ $stderr == *"sha256 PCR 7 differs: replayed "* ]]
	[[ $stderr == *"1 PCR value differs from the reference"* ]]
}

# tpm2_eventlog(1)'s output as --expect: only its top-level "pcrs:" section
# is read, up to the next line at column 0 (no tpm2-tools needed: its
# stored output for a corpus log).
@test "--expect reads the pcrs: section of tpm2_eventlog output; values outside it are refused" {
	need_corpus eventlog
	local fx="$CORPORA/eventlog/tpm2-tools/fixtures"
	run --separate-stderr -0 fwtrail eventlog replay --expect "$fx/event-pretty/event-arch-linux.bin.yaml" \
		"$fx/event-arch-linux.bin"
	[[ $output == *"all replayed PCRs match"* ]]
	# values outside the section would not be read: refused, with the line
	local n=$(($(wc -l < "$fx/event-pretty/event-arch-linux.bin.yaml") + 1))
	{ cat "$fx/event-pretty/event-arch-linux.bin.yaml"; printf 'other:\n  sha1:\n    0 : 0x%040d\n' 0; } > "$T/after.yaml"
	run --separate-stderr -4 fwtrail eventlog replay --expect "$T/after.yaml" "$fx/event-arch-linux.bin"
	assert_equal "$stderr" "fwtrail eventlog replay: '$T/after.yaml': line $n: after tpm2_eventlog's 'pcrs:' section (PCR values there would not be read)"
	{ printf 'sha1:\n  0 : 0x%040d\n' 0; cat "$fx/event-pretty/event-arch-linux.bin.yaml"; } > "$T/before.yaml"
	run --separate-stderr -4 fwtrail eventlog replay --expect "$T/before.yaml" "$fx/event-arch-linux.bin"
	assert_equal "$stderr" "fwtrail eventlog replay: '$T/before.yaml': line 1: not tpm2_eventlog output before its 'pcrs:' section (PCR values there would not be read)"
	# a malformed value in the section is exit 4 at its own line number
	n=$(grep -n '^    4  : 0x' "$fx/event-pretty/event-arch-linux.bin.yaml" | head -1 | cut -d: -f1)
	sed "${n}s/0x.*/0xnothex/" "$fx/event-pretty/event-arch-linux.bin.yaml" > "$T/bad.yaml"
	run --separate-stderr -4 fwtrail eventlog replay --expect "$T/bad.yaml" "$fx/event-arch-linux.bin"
	assert_equal "$stderr" "fwtrail eventlog replay: '$T/bad.yaml': line $n: not a sha1 value (40 hex digits expected)"
}

@test "show: one line per event with decoded data, digests beneath" {
	run --separate-stderr -0 fwtrail eventlog show "$EV/agile.bin"
	assert_line --index 0 "$EV/agile.bin: crypto-agile, 27 events, banks sha1 sha256 sha384"
	assert_line "event 0  PCR 0  EV_NO_ACTION  [unverified] Spec ID Event03: sha1, sha256, sha384 (spec 2.0)"
	assert_line "event 4  PCR 7  EV_EFI_VARIABLE_DRIVER_CONFIG  SecureBoot {8be4df61-93ca-11d2-aa0d-00e098032b8c} = 1"
	assert_line "event 9  PCR 1  EV_EFI_VARIABLE_BOOT  [name unverified] BootOrder {8be4df61-93ca-11d2-aa0d-00e098032b8c} = Boot0001,Boot0000"
	assert_line --partial "EV_EFI_BOOT_SERVICES_APPLICATION  [unverified] PciRoot(0x0)/Pci(0x3,0x0)/Sata(0x0,0xffff,0x0)/HD(1,GPT,"
	assert_line --partial '/\\EFI\\test\\shimx64.efi (image at 0x7f000018, 8192 bytes)'
	assert_line "event 12  PCR 4  EV_EFI_ACTION  \"Calling EFI Application from Boot Option\""
	assert_line "event 20  PCR 5  EV_EFI_GPT_EVENT  GPT disk {91d613a3-9fd2-7069-7bd8-c48346e07a9e}, 2 partitions"
	assert_line "  sha256  $($PY -c 'import hashlib; print(hashlib.sha256(bytes(4)).hexdigest())')"
	assert_equal "$stderr" ""
	run -0 fwtrail eventlog show --pcrs 7 "$EV/agile.bin"
	[ "$(grep -c '^event' <<< "$output")" -eq 6 ]
}

@test "show --json: every event with digests, type and decoded data" {
	run -0 fwtrail eventlog show --json "$EV/agile.bin"
	printf '%s' "$output" > "$T/s.json"
	$PY - "$T/s.json" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
assert o["ok"] is True and o["command"] == "eventlog show" and o["schema"] == 1
assert o["format"] == "crypto-agile" and o["algorithms"] == ["sha1", "sha256", "sha384"]
ev = o["events"]
assert len(ev) == 27 and o["event_count"] == 27
assert ev[0]["data"]["kind"] == "spec_id" and not ev[0]["extends"]
assert ev[5]["data"]["signature_lists"] == [{"count": 1, "signature_size": 616, "type": "x509"}]
assert ev[10]["data"]["description"] == "fwtrail test"
assert ev[20]["data"]["partitions"][1]["name"] == "root"
assert ev[21]["data"]["device_path"].endswith("\\\\EFI\\\\test\\\\shimx64.efi")
assert ev[23]["data"] == {"kind": "no_action", "signature": "SP800-155 Event", "hex": ev[23]["data"]["hex"]}
assert ev[8]["digest_check"] == "ok" and ev[24]["digest_check"] == "not_applicable"
assert all(set(e["digests"]) == {"sha1", "sha256", "sha384"} for e in ev[1:])
EOF
}

@test "every corpus log can be shown, as text and as JSON" {
	need_corpus eventlog
	for f in "$CORPORA"/eventlog/tpm2-tools/fixtures/event*.bin "$CORPORA"/eventlog/keylime/test/data/mb_log.bin.derived \
		"$CORPORA"/eventlog/keylime/test/data/create-mb-policy/binary_bios_measurements{,-secureboot}; do
		[ -f "$f" ] || continue
		run -0 fwtrail eventlog show "$f"
		run --separate-stderr -0 fwtrail eventlog show --json "$f"
		$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["ok"] and len(o["events"]) == o["event_count"]' <<< "$output"
	done
}

@test "show marks the data its digest does not vouch for: not covered, not matching, name not covered (E7)" {
	# agile.bin: the data of EV_IPL, firmware blobs, images and EV_NO_ACTION
	# is the log's claim; separators, EFI actions and variables are checked
	run --separate-stderr -0 fwtrail eventlog show "$EV/agile.bin"
	assert_line 'event 24  PCR 8  EV_IPL  [unverified] "grub_cmd: linux /vmlinuz root=/dev/sda2"'
	assert_line "event 2  PCR 0  EV_EFI_PLATFORM_FIRMWARE_BLOB  [unverified] blob at 0xffc00000, 4096 bytes"
	assert_line "event 23  PCR 0  EV_NO_ACTION  [unverified] SP800-155 Event"
	assert_line 'event 12  PCR 4  EV_EFI_ACTION  "Calling EFI Application from Boot Option"'
	assert_line "event 8  PCR 7  EV_SEPARATOR  separator 0x00000000"
	assert_line "event 22  PCR 7  EV_EFI_VARIABLE_AUTHORITY  db {d719b2cb-3d3a-4596-a3bc-dad00e67656f}, 716 bytes"
	# BootOrder's digest is of its VariableData: the name is not covered
	assert_line --partial "event 9  PCR 1  EV_EFI_VARIABLE_BOOT  [name unverified] BootOrder "
	assert_line --partial "event 10  PCR 1  EV_EFI_VARIABLE_BOOT  Boot0001 "
	# events 0, 2, 3, 11, 21, 23 and 24: types whose digest is not of their data
	assert_equal "$(grep '^event .*  \[unverified\] ' <<< "$output" | cut -d' ' -f2 | tr '\n' ' ')" "0 2 3 11 21 23 24 "
	# the grub command line rewritten in place: the log still replays the same,
	# and show says it is unverified
	$PY -c 'import sys; b = open(sys.argv[1], "rb").read(); assert b.count(b"root=/dev/sda2\0") == 1; open(sys.argv[2], "wb").write(b.replace(b"root=/dev/sda2\0", b"root=/dev/EVIL\0"))' \
		"$EV/agile.bin" "$T/evil.bin"
	run --separate-stderr -0 fwtrail eventlog show "$T/evil.bin"
	assert_line 'event 24  PCR 8  EV_IPL  [unverified] "grub_cmd: linux /vmlinuz root=/dev/EVIL"'
	run --separate-stderr -0 fwtrail eventlog replay --expect "$EV/agile.expected.json" "$T/evil.bin"
	# an EFI action whose text is not what was measured
	run --separate-stderr -0 fwtrail eventlog show "$EV/cases/efi-action-mismatch.bin"
	assert_line 'event 12  PCR 4  EV_EFI_ACTION  [digest does not match: data unverified] "Calling EFI Application from Boot Option"'
	assert_equal "$stderr" "fwtrail eventlog show: warning: event 12 (EV_EFI_ACTION, PCR 4): digest does not match its data"
	run --separate-stderr -0 fwtrail eventlog show --json "$EV/cases/efi-action-mismatch.bin"
	$PY -c '
import json, sys
ev = json.loads(sys.stdin.read())["events"]
assert [e["digest_check"] for e in ev if e["index"] in (8, 9, 12, 24)] == ["ok", "variable_data_only", "mismatch", "not_applicable"], ev' <<< "$output"
}

@test "a digest that does not match its data is reported, and marked unverified" {
	need_corpus eventlog
	run --separate-stderr -0 fwtrail eventlog show "$CORPORA/eventlog/tpm2-tools/fixtures/event-postcode.bin"
	[[ $stderr == *"warning: event 40 (EV_EFI_VARIABLE_AUTHORITY, PCR 7): digest does not match its data"* ]]
	[[ $stderr == *"warning: event 54 (EV_EFI_VARIABLE_AUTHORITY, PCR 7): digest does not match its data"* ]]
	# shim's "Shim" events: a 1080-byte certificate, then 6 bytes more
	assert_line "event 40  PCR 7  EV_EFI_VARIABLE_AUTHORITY  [digest does not match: data unverified] Shim {605dab50-e046-4300-abb6-3dd810dd8b23}, 1080 bytes (6 bytes after it)"
	assert_line "event 54  PCR 7  EV_EFI_VARIABLE_AUTHORITY  [digest does not match: data unverified] Shim {605dab50-e046-4300-abb6-3dd810dd8b23}, 1080 bytes (6 bytes after it)"
	# grub's commands are the log's claim; the checked events carry no marker
	assert_line 'event 46  PCR 8  EV_IPL  [unverified] "grub_cmd: set timeout=5"'
	assert_line "event 8  PCR 7  EV_SEPARATOR  separator 0x00000000"
	assert_line --partial "event 37  PCR 7  EV_EFI_VARIABLE_AUTHORITY  db {d719b2cb-3d3a-4596-a3bc-dad00e67656f}, 1572 bytes"
	# an image load event of zeros with 9 bytes after it (tpm2_eventlog agrees)
	assert_line "event 39  PCR 4  EV_EFI_BOOT_SERVICES_APPLICATION  [unverified] image at 0x0, 0 bytes, no device path (9 bytes after it)"
	run --separate-stderr -0 fwtrail eventlog replay --json "$EV/cases/separator-mismatch.bin"
	[[ $stderr == *"warning: event 8 (EV_SEPARATOR, PCR 7): digest does not match its data"* ]]
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["digest_mismatches"] == [8]' <<< "$output"
}

@test "replay prints the extended PCRs of each bank; --bank and --pcrs select" {
	run --separate-stderr -0 fwtrail eventlog replay "$EV/agile.bin"
	assert_line --index 0 "sha1:"
	want=$($PY -c 'import json; print(json.load(open("'"$EV"'/agile.expected.json"))["banks"]["sha256"]["7"])')
	assert_line "   7: $want"
	run -0 fwtrail eventlog replay --bank sha256 --pcrs 0,7 "$EV/agile.bin"
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 "sha256:"
	assert_line --index 2 "   7: $want"
	run -0 fwtrail eventlog replay --json --bank sha384 "$EV/agile.bin"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert list(o["banks"]) == ["sha384"] and len(o["banks"]["sha384"]) == 9' <<< "$output"
}

@test "replay --json equals the generator's independent replay, for agile, locality 3 and SHA-1 logs" {
	for n in agile locality3 legacy-sha1; do
		run -0 fwtrail eventlog replay --json "$EV/$n.bin"
		printf '%s' "$output" > "$T/got.json"
		$PY -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert a["banks"] == b["banks"]' \
			"$T/got.json" "$EV/$n.expected.json"
	done
	run -0 fwtrail eventlog replay --json "$EV/locality3.bin"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["startup_locality"] == 3' <<< "$output"
}

@test "--expect: tpm2_pcrread YAML and fwtrail JSON; a difference names the PCR and exits 1" {
	run --separate-stderr -0 fwtrail eventlog replay --expect "$EV/agile.pcrread.yaml" "$EV/agile.bin"
	assert_line "all replayed PCRs match '$EV/agile.pcrread.yaml' (sha1, sha256, sha384)"
	fwtrail eventlog replay --json "$EV/agile.bin" > "$T/mine.json"
	run -0 fwtrail eventlog replay --expect "$T/mine.json" "$EV/agile.bin"
	sed 's/^\(    4 : 0x\)./\1F/' "$EV/agile.pcrread.yaml" > "$T/bad.yaml"
	run --separate-stderr -1 fwtrail eventlog replay --expect "$T/bad.yaml" "$EV/agile.bin"
	[[ $stderr == *"sha1 PCR 4 differs: replayed "* ]]
	[[ $stderr == *"sha256 PCR 4 differs"* ]]
	[[ $stderr == *"sha384 PCR 4 differs"* ]]
	run --separate-stderr -1 fwtrail eventlog replay --json --expect "$T/bad.yaml" "$EV/agile.bin"
	$PY -c '
import json,sys
o = json.loads(sys.stdin.read())
assert o["ok"] is False and o["error"]["code"] == "verify_failed"
assert o["expect"]["match"] is False
assert sorted((m["bank"], m["pcr"]) for m in o["expect"]["mismatches"]) == [("sha1", 4), ("sha256", 4), ("sha384", 4)]' <<< "$output"
	# a PCR the reference does not give, asked for with --pcrs
	grep -v '^    5 :' "$EV/agile.pcrread.yaml" > "$T/short.yaml"
	run --separate-stderr -1 fwtrail eventlog replay --pcrs 5 --expect "$T/short.yaml" "$EV/agile.bin"
	[[ $stderr == *"sha1 PCR 5: replayed "*", not given in '$T/short.yaml'"* ]]
	# no bank in common
	printf 'sha512:\n  0 : 0x%0128d\n' 0 > "$T/other.yaml"
	run --separate-stderr -1 fwtrail eventlog replay --expect "$T/other.yaml" "$EV/agile.bin"
	[[ $stderr == *"no PCR bank in common"* ]]
}

# stripped_logs: from the generator's events, a log without any PCR 7 event
# (stripped.bin), a log of the Spec ID header alone (header.bin), and the
# sha256 reference values of the whole log (ref.json).
stripped_logs() {
	(cd "$T" && with_generator gen-eventlog.py <<'PY'
import json
algs = ["sha1", "sha256"]
evs = g.base_events()
assert any(e.pcr == 7 for e in evs)
open("stripped.bin", "wb").write(g.agile_log([e for e in evs if e.pcr != 7], algs))
open("header.bin", "wb").write(g.agile_log([], algs))
full = g.replay(evs, algs)["sha256"]
json.dump({"banks": {"sha256": full}}, open("ref.json", "w"))
open("ref.pcrs", "w").write(" ".join(sorted(full, key=int)))
PY
	)
}

@test "--expect: a PCR the reference gives but the log never extends is compared at its reset value" {
	stripped_logs
	run --separate-stderr -0 fwtrail eventlog replay --expect "$T/ref.json" "$EV/agile.bin"
	zero=$(printf '0%.0s' $(seq 64))
	run --separate-stderr -1 fwtrail eventlog replay --expect "$T/ref.json" "$T/stripped.bin"
	[[ $stderr == *"sha256 PCR 7 differs: the log never extends it (reset value $zero), expected "* ]] || fail "$stderr"
	[ "$(grep -c "PCR [0-9]* differs:" <<< "$stderr")" -eq 1 ]
	# a log with no event at all matches nothing the reference gives
	run --separate-stderr -1 fwtrail eventlog replay --expect "$T/ref.json" "$T/header.bin"
	[[ $stderr == *"sha256 PCR 0 differs: the log never extends it"* ]] || fail "$stderr"
	[[ $stderr == *"sha256 PCR 7 differs: the log never extends it"* ]] || fail "$stderr"
	run --separate-stderr -1 fwtrail eventlog replay --json --expect "$T/ref.json" "$T/header.bin"
	$PY -c '
import json,sys
o = json.loads(sys.stdin.read())
want = [int(p) for p in open(sys.argv[1]).read().split()]
assert o["expect"]["match"] is False and o["expect"]["compared"] != {}, o["expect"]
assert sorted(m["pcr"] for m in o["expect"]["mismatches"]) == want' "$T/ref.pcrs" <<< "$output"
	# a reference at the reset value for a PCR the log never extends is a match
	printf '{"banks": {"sha256": {"7": "%s"}}}\n' "$zero" > "$T/reset7.json"
	run --separate-stderr -0 fwtrail eventlog replay --expect "$T/reset7.json" "$T/header.bin"
	# nothing to compare at all is not a yes
	printf '{"banks": {"sha256": {}}}\n' > "$T/none.json"
	run --separate-stderr -1 fwtrail eventlog replay --expect "$T/none.json" "$T/header.bin"
	[[ $stderr == *"no PCR to compare"* ]] || fail "$stderr"
	# --pcrs narrows the comparison, as before
	run --separate-stderr -0 fwtrail eventlog replay --pcrs 0 --expect "$T/ref.json" "$T/stripped.bin"
}

@test "--local: a log stripped of a firmware PCR's events does not replay to the TPM" {
	stripped_logs
	cp -r "$TESTDATA/evidence/sysfs" "$T/sys3"
	cp "$T/stripped.bin" "$T/sys3/sys/kernel/security/tpm0/binary_bios_measurements"
	run --separate-stderr -1 fwtrail eventlog replay --local --sysfs-root "$T/sys3"
	[[ $stderr == *"sha256 PCR 7 differs: the log never extends it (reset value "*"), TPM "* ]] || fail "$stderr"
	[[ $stderr == *"sha1 PCR 7 differs: the log never extends it"* ]] || fail "$stderr"
	cp "$T/header.bin" "$T/sys3/sys/kernel/security/tpm0/binary_bios_measurements"
	run --separate-stderr -1 fwtrail eventlog replay --local --sysfs-root "$T/sys3"
	[[ $stderr == *"sha256 PCR 0 differs: the log never extends it"* ]] || fail "$stderr"
}

@test "--expect with a malformed reference file is exit 4, a missing one exit 3" {
	printf 'sha256:\n  0 : 0x1234\n' > "$T/bad.yaml"
	run --separate-stderr -4 fwtrail eventlog replay --expect "$T/bad.yaml" "$EV/agile.bin"
	[[ $stderr == *"'$T/bad.yaml': line 2: not a sha256 value"* ]]
	run -3 fwtrail eventlog replay --expect "$T/none.yaml" "$EV/agile.bin"
}

@test "generated hostile logs (E1-E5, E7): the exit status and message each case expects" {
	run $PY - "$EV" "$FWTRAIL" <<'EOF'
import json, subprocess, sys
ev, fw = sys.argv[1], sys.argv[2]
bad = 0
for c in json.load(open(ev + "/cases.json")):
    r = subprocess.run([fw, "eventlog", "replay", "--json", ev + "/" + c["file"]], capture_output=True, text=True)
    ok = r.returncode == c["exit"]
    if c["exit"] == 4:
        ok = ok and c["error"] in r.stderr and "offset" in r.stderr or ok and "Spec ID" in r.stderr and c["error"] in r.stderr
        ok = ok and json.loads(r.stdout)["ok"] is False
    else:
        o = json.loads(r.stdout)
        ok = ok and o["banks"] == c["banks"]
        ok = ok and o["digest_mismatches"] == c.get("mismatches", [])
        ok = ok and o["unreplayable_banks"] == c.get("bank_missing", {})
        if "unparsed" in c:
            s = json.loads(subprocess.run([fw, "eventlog", "show", "--json", ev + "/" + c["file"]],
                                          capture_output=True, text=True).stdout)
            ok = ok and [e["index"] for e in s["events"] if e["data"].get("unparsed")] == c["unparsed"]
    if not ok:
        bad += 1
        print("FAIL", c["name"], r.returncode, r.stderr.strip())
print(bad, "failed")
sys.exit(1 if bad else 0)
EOF
	[ "$status" -eq 0 ] || fail "$output"
}

@test "a log cut at an event boundary parses, but no longer matches (E1)" {
	run -0 fwtrail eventlog replay "$EV/cases/trunc-boundary.bin"
	run --separate-stderr -1 fwtrail eventlog replay --expect "$EV/agile.expected.json" "$EV/cases/trunc-boundary.bin"
	[[ $stderr == *"differs"* ]]
}

@test "a bank missing from an event cannot be replayed; asking for it exits 1 naming the event (E4)" {
	run --separate-stderr -0 fwtrail eventlog replay --json "$EV/cases/missing-sha384.bin"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert sorted(o["banks"]) == ["sha1", "sha256"] and o["unreplayable_banks"] == {"sha384": 5}, o' <<< "$output"
	assert_equal "$stderr" "fwtrail eventlog replay: warning: bank sha384 cannot be replayed: event 5 has no sha384 digest"
	# plain text: the warning, and the banks that could be replayed
	run --separate-stderr -0 fwtrail eventlog replay "$EV/cases/missing-sha384.bin"
	assert_equal "$stderr" "fwtrail eventlog replay: warning: bank sha384 cannot be replayed: event 5 has no sha384 digest"
	assert_line "sha256:"
	refute_line "sha384:"
	# the reference gives sha384: not dropped silently, a no naming the event
	run --separate-stderr -1 fwtrail eventlog replay --expect "$EV/agile.expected.json" "$EV/cases/missing-sha384.bin"
	assert_equal "$stderr" "fwtrail eventlog replay: bank sha384 cannot be replayed: event 5 has no sha384 digest"
	refute_output --partial "match"
	run --separate-stderr -1 fwtrail eventlog replay --json --expect "$EV/agile.pcrread.yaml" "$EV/cases/missing-sha384.bin"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["ok"] is False and o["error"]["code"] == "verify_failed" and "event 5" in o["error"]["message"], o' <<< "$output"
	# a reference without sha384 compares the banks it gives, and says sha384 was not replayed
	$PY -c 'import json,sys; o=json.load(open(sys.argv[1])); del o["banks"]["sha384"]; json.dump(o, open(sys.argv[2], "w"))' \
		"$EV/agile.expected.json" "$T/no384.json"
	run --separate-stderr -0 fwtrail eventlog replay --expect "$T/no384.json" "$EV/cases/missing-sha384.bin"
	[[ $stderr == *"warning: bank sha384 cannot be replayed: event 5"* ]] || fail "$stderr"
	assert_line "all replayed PCRs match '$T/no384.json' (sha1, sha256)"
	# narrowed with --bank to a bank that replays: no error, the warning stays
	run --separate-stderr -0 fwtrail eventlog replay --bank sha256 --expect "$EV/agile.expected.json" "$EV/cases/missing-sha384.bin"
	assert_line "all replayed PCRs match '$EV/agile.expected.json' (sha256)"
	[[ $stderr == *"warning: bank sha384 cannot be replayed"* ]] || fail "$stderr"
	run --separate-stderr -1 fwtrail eventlog replay --bank sha384 "$EV/cases/missing-sha384.bin"
	[[ $stderr == *"bank sha384 cannot be replayed: event 5 has no sha384 digest"* ]]
	run --separate-stderr -1 fwtrail eventlog replay --bank sha512 "$EV/agile.bin"
	[[ $stderr == *"the log has no sha512 bank"* ]]
}

@test "a log whose event has no digest at all: malformed, not an empty success (E4)" {
	run --separate-stderr -4 fwtrail eventlog replay "$EV/cases/zero-digests.bin"
	assert_output ""
	assert_equal "$stderr" "fwtrail eventlog replay: no bank can be replayed: event 2 at offset 247 has no sha1 digest, event 2 at offset 247 has no sha256 digest, event 2 at offset 247 has no sha384 digest"
	run --separate-stderr -1 fwtrail eventlog replay --expect "$EV/agile.expected.json" "$EV/cases/zero-digests.bin"
	[[ $stderr == *"bank sha1 cannot be replayed: event 2 has no sha1 digest"* ]] || fail "$stderr"
	refute_output --partial "match"
}

@test "--local: a bank the TPM has and the log declares but cannot replay is a no (E4)" {
	cp -r "$TESTDATA/evidence/sysfs" "$T/sys3"
	cp "$EV/cases/missing-sha384.bin" "$T/sys3/sys/kernel/security/tpm0/binary_bios_measurements"
	run --separate-stderr -0 fwtrail eventlog replay --local --sysfs-root "$T/sys3"
	[[ $stderr == *"warning: bank sha384 cannot be replayed: event 5"* ]] || fail "$stderr"
	mkdir "$T/sys3/sys/class/tpm/tpm0/pcr-sha384"
	for n in $(seq 0 23); do printf '%096d\n' 0 > "$T/sys3/sys/class/tpm/tpm0/pcr-sha384/$n"; done
	run --separate-stderr -1 fwtrail eventlog replay --local --sysfs-root "$T/sys3"
	assert_equal "$stderr" "fwtrail eventlog replay: bank sha384 cannot be replayed: event 5 has no sha384 digest"
}

@test "--local: a TPM without the banks asked for is a no (exit 1); only a TPM with no bank at all is exit 3" {
	# testdata/evidence/sysfs has sha1 and sha256 banks, no sha384
	run --separate-stderr -1 fwtrail eventlog replay --local --sysfs-root "$TESTDATA/evidence/sysfs" --bank sha384
	[[ $stderr == *"sha384 PCR 0: replayed "*", the TPM gives no sha384 value for it"* ]] || fail "$stderr"
	mkdir -p "$T/r512/sys/kernel/security/tpm0" "$T/r512/sys/class/tpm/tpm0/pcr-sha512"
	cp "$EV/agile.bin" "$T/r512/sys/kernel/security/tpm0/binary_bios_measurements"
	for n in $(seq 0 23); do printf '%0128d\n' 0 > "$T/r512/sys/class/tpm/tpm0/pcr-sha512/$n"; done
	run --separate-stderr -1 fwtrail eventlog replay --local --sysfs-root "$T/r512"
	assert_equal "$stderr" "fwtrail eventlog replay: no PCR bank in common with the reference values"
	rm -r "$T/r512/sys/class/tpm/tpm0/pcr-sha512"
	run --separate-stderr -3 fwtrail eventlog replay --local --sysfs-root "$T/r512"
	[[ $stderr == *"no PCR bank under"* ]] || fail "$stderr"
}

@test "truncation at 50 random offsets of a corpus log: exit 1 (boundary, no match) or 4, never a crash" {
	need_corpus eventlog
	f="$CORPORA/eventlog/keylime/test/data/create-mb-policy/binary_bios_measurements"
	fwtrail eventlog replay --json "$f" > "$T/full.json"
	for off in $($PY -c 'import random,sys; r=random.Random(8); n=int(sys.argv[1]); print(*sorted(r.sample(range(1, n), 50)))' "$(stat -c %s "$f")"); do
		head -c "$off" "$f" > "$T/cut.bin"
		run_limited "$FWTRAIL" eventlog replay --expect "$T/full.json" "$T/cut.bin" >/dev/null 2>"$T/err" && st=0 || st=$?
		[ "$st" -eq 1 ] || [ "$st" -eq 4 ] || fail "offset $off: exit $st: $(cat "$T/err")"
		[ "$st" -eq 1 ] || grep -q "offset" "$T/err" || fail "offset $off: no offset in: $(cat "$T/err")"
	done
}

@test "--local compares with the live PCRs of a fake sysfs tree" {
	run --separate-stderr -0 fwtrail eventlog replay --local --sysfs-root "$TESTDATA/evidence/sysfs"
	assert_line "all replayed PCRs match the TPM (sha1, sha256)"
	cp -r "$TESTDATA/evidence/sysfs" "$T/sys2"
	echo 0000000000000000000000000000000000000000000000000000000000000001 > "$T/sys2/sys/class/tpm/tpm0/pcr-sha256/7"
	run --separate-stderr -1 fwtrail eventlog replay --local --sysfs-root "$T/sys2"
	[[ $stderr == *"sha256 PCR 7 differs: replayed "*", TPM 0000000000000000000000000000000000000000000000000000000000000001"* ]]
	run --separate-stderr -1 fwtrail eventlog replay --local --json --sysfs-root "$T/sys2"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["expect"]["source"] == "tpm" and not o["expect"]["match"]' <<< "$output"
}

@test "--local shows only the banks the TPM confirmed: a bank it does not have is the log's claim" {
	# the tree has sha1 and sha256 banks; agile.bin also carries sha384
	run --separate-stderr -0 fwtrail eventlog replay --local --sysfs-root "$TESTDATA/evidence/sysfs"
	assert_equal "$stderr" "fwtrail eventlog replay: warning: sha384: not shown: the TPM has no such bank to compare it with, so its replayed values are only the log's claim (--bank sha384 requires it compared)"
	refute_line "sha384:"
	assert_line "sha256:"
	run --separate-stderr -0 fwtrail eventlog replay --local --json --sysfs-root "$TESTDATA/evidence/sysfs"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert sorted(o["banks"]) == ["sha1", "sha256"] and o["banks_not_signed"] == ["sha384"], o["banks_not_signed"]' <<< "$output"
	# a TPM of sha1 only: the sha256 values are not shown either
	cp -r "$TESTDATA/evidence/sysfs" "$T/s1"
	rm -r "$T/s1/sys/class/tpm/tpm0/pcr-sha256"
	run --separate-stderr -0 fwtrail eventlog replay --local --sysfs-root "$T/s1"
	assert_line "all replayed PCRs match the TPM (sha1)"
	refute_line "sha256:"
	[[ $stderr == *"sha256: not shown: the TPM has no such bank"* ]] || fail "$stderr"
	# on a mismatch too (exit 1), the unconfirmed banks are not shown
	echo 0000000000000000000000000000000000000001 > "$T/s1/sys/class/tpm/tpm0/pcr-sha1/7"
	run --separate-stderr -1 fwtrail eventlog replay --local --sysfs-root "$T/s1"
	refute_line "sha256:"
	refute_line "sha384:"
	[[ $stderr == *"sha1 PCR 7 differs"* ]] || fail "$stderr"
}

@test "--local: a FIFO or folder where sysfs has a file is an I/O error at once (exit 3), never a wait" {
	cp -r "$TESTDATA/evidence/sysfs" "$T/f"
	rm "$T/f/sys/class/tpm/tpm0/pcr-sha256/0"
	mkfifo "$T/f/sys/class/tpm/tpm0/pcr-sha256/0"
	run --separate-stderr -3 timeout 20 "$FWTRAIL" eventlog replay --local --sysfs-root "$T/f"
	assert_equal "$stderr" "fwtrail eventlog replay: '$T/f/sys/class/tpm/tpm0/pcr-sha256/0' is not a regular file"
	cp -r "$TESTDATA/evidence/sysfs" "$T/g"
	L="$T/g/sys/kernel/security/tpm0/binary_bios_measurements"
	rm "$L" && mkfifo "$L"
	run --separate-stderr -3 timeout 20 "$FWTRAIL" eventlog replay --local --sysfs-root "$T/g"
	assert_equal "$stderr" "fwtrail eventlog replay: '$L' is not a regular file"
	rm "$L" && mkdir "$L"
	run --separate-stderr -3 fwtrail eventlog replay --local --sysfs-root "$T/g"
	assert_equal "$stderr" "fwtrail eventlog replay: '$L' is not a regular file"
}

@test "--local without a TPM is a clear I/O error" {
	mkdir -p "$T/empty"
	run --separate-stderr -3 fwtrail eventlog replay --local --sysfs-root "$T/empty"
	[[ $stderr == *"no TPM event log at '$T/empty/sys/kernel/security/tpm0/binary_bios_measurements' (no TPM, or securityfs not mounted)"* ]]
	mkdir -p "$T/notpm/sys/kernel/security/tpm0"
	cp "$EV/agile.bin" "$T/notpm/sys/kernel/security/tpm0/binary_bios_measurements"
	run --separate-stderr -3 fwtrail eventlog replay --local --sysfs-root "$T/notpm"
	[[ $stderr == *"no PCR bank under"* ]]
}

@test "usage errors exit 2; a missing log exits 3" {
	run -2 fwtrail eventlog
	run -2 fwtrail eventlog replay
	run -2 fwtrail eventlog replay "$EV/agile.bin" "$EV/agile.bin"
	run --separate-stderr -2 fwtrail eventlog replay --pcrs 0-99 "$EV/agile.bin"
	[[ $stderr == *"--pcrs: '0-99' is not a PCR list"* ]]
	run --separate-stderr -2 fwtrail eventlog replay --bank md5 "$EV/agile.bin"
	[[ $stderr == *"unknown bank 'md5'"* ]]
	run -2 fwtrail eventlog replay --sysfs-root / "$EV/agile.bin"
	run -2 fwtrail eventlog replay --local "$EV/agile.bin"
	run -2 fwtrail eventlog show --pcrs x "$EV/agile.bin"
	run -2 fwtrail eventlog frobnicate
	run -0 fwtrail eventlog show --help
	assert_line "See fwtrail-eventlog-show(1) for details."
	run --separate-stderr -3 fwtrail eventlog show "$T/missing.bin"
	[[ $stderr == "fwtrail eventlog show: cannot open '$T/missing.bin': No such file or directory" ]]
	assert_equal "$output" ""
}

@test "--json on failure: ok false, an error code, the same exit status" {
	run --separate-stderr -4 fwtrail eventlog replay --json "$EV/cases/eventsize-huge.bin"
	$PY -c 'import json,sys; o=json.loads(sys.stdin.read()); assert o["ok"] is False and o["error"]["code"] == "malformed" and "EventSize" in o["error"]["message"]' <<< "$output"
}

# --quote --expect: only the (bank, PCR) pairs the quote signs are decided on,
# and every PCR the reference gives in a signed bank must be among them
# (RELIABILITY E6, CVE-2024-29039 class).  The quotes in $EV/quote/ are
# TPM2_Quote attestations over selections of agile.bin's replayed PCRs, made
# and signed (RSASSA, testdata/keys/rsa2048) by scripts/gen-eventlog.py;
# swtpm quotes are in eventlog-quote.bats.
AK="$TESTDATA/keys/rsa2048.pub.pem"
NONCE=5ca1ab1e0ddba11fee1d
REF="$EV/agile.expected.json"

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

# a copy of the reference at $1 holding only the (bank, PCRs) of $2, e.g.
# "sha1:0,4 sha256:0,7"
trim_ref() {
	$PY - "$REF" "$@" <<'EOF'
import json, sys
src, out, spec = sys.argv[1:4]
o = json.load(open(src))
keep = {b: p.split(",") for b, p in (x.split(":") for x in spec.split())}
o["banks"] = {b: {p: v for p, v in o["banks"][b].items() if p in keep[b]} for b in keep}
json.dump(o, open(out, "w"))
EOF
}

@test "E6: the audit's reproducer: a quote of sha256 PCR 0 decides on sha256 PCR 0 only" {
	# the reference gives PCRs 0-8 of three banks: the quote does not vouch for sha256 1-8
	run --separate-stderr -1 scoped sha256-0 "$REF"
	assert_equal "$stderr" "fwtrail eventlog replay: sha256 PCR 1, which the reference values give, is not in the quote's signed selection (--pcrs decides on fewer PCRs)"
	refute_output --partial "match"
	run --separate-stderr -1 scoped sha256-0 "$REF" --json
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); assert o["ok"] is False and o["expect"]["match"] is False and o["expect"]["compared"] == {}, o' <<< "$output"
	# a reference of what the quote signs (sha256 PCR 0): decided on that alone
	trim_ref "$T/r0.json" "sha256:0"
	run --separate-stderr -0 scoped sha256-0 "$T/r0.json"
	assert_line "all PCRs the quote signs match '$T/r0.json' (sha256 0)"
	assert_line --partial "quote '$EV/quote/sha256-0.msg' verified: AK sha256:"
	assert_line --partial "PCRs sha256:0, nonce checked"
	refute_output --partial "all replayed PCRs match"
	refute_output --partial "sha384)"
	assert_equal "$stderr" ""
	# --pcrs 0 decides on PCR 0 of the signed bank only, not the sha1 and sha384 banks either
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

@test "E6: a difference in a signed PCR is a no" {
	edit_ref "$T/r.json" sha256 0
	run --separate-stderr -1 scoped sha256-0 "$T/r.json" --pcrs 0
	[[ $stderr == *"sha256 PCR 0 differs: replayed "* ]] || fail "$stderr"
	[[ $stderr == *"1 PCR value differs from the reference"* ]] || fail "$stderr"
	refute_output --partial "match"
	run --separate-stderr -1 scoped sha256-0-7 "$T/r.json" --pcrs 0,7 --json
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

@test "E6: a difference only in PCRs the quote does not sign: a no, unless --pcrs leaves them out on purpose" {
	edit_ref "$T/r1.json" sha256 4
	edit_ref "$T/r2.json" sha1 0
	edit_ref "$T/r3.json" sha384 0
	for r in r1 r2 r3; do
		# the reference's sha256 PCRs 1-6 and 8 are not signed: not a match
		run --separate-stderr -1 scoped sha256-0-7 "$T/$r.json"
		[[ $stderr == *"sha256 PCR 1, which the reference values give, is not in the quote's signed selection"* ]] || fail "$r: $stderr"
		refute_output --partial "match"
		run --separate-stderr -0 scoped sha256-0-7 "$T/$r.json" --pcrs 0,7
		assert_line "all PCRs the quote signs match '$T/$r.json' (sha256 0,7)"
		assert_equal "$stderr" ""
		# without the quote, the log alone: a no
		run --separate-stderr -1 fwtrail eventlog replay --expect "$T/$r.json" "$EV/agile.bin"
		[[ $stderr == *" differs: replayed "* ]] || fail "$r: $stderr"
	done
}

@test "E6: a quote over three banks compares each bank's signed PCRs; a bank the reference lacks is said" {
	# the whole reference: PCRs of it the quote does not sign
	run --separate-stderr -1 scoped multi "$REF"
	[[ $stderr == *"sha1 PCR 1, which the reference values give, is not in the quote's signed selection"* ]] || fail "$stderr"
	trim_ref "$T/signed.json" "sha1:0,4 sha256:0,7 sha384:7"
	run --separate-stderr -0 scoped multi "$T/signed.json"
	assert_line "all PCRs the quote signs match '$T/signed.json' (sha1 0,4; sha256 0,7; sha384 7)"
	REF="$T/signed.json" edit_ref "$T/r.json" sha384 7
	run --separate-stderr -1 scoped multi "$T/r.json"
	[[ $stderr == *"sha384 PCR 7 differs"* ]] || fail "$stderr"
	# a reference without sha384: what was compared, and what was signed but not compared
	trim_ref "$T/no384.json" "sha1:0,4 sha256:0,7"
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

@test "E6: --bank or --pcrs outside the signed selection is a no naming the bank and PCR" {
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

@test "E6: a signed PCR the log never extends compares with its reset value" {
	trim_ref "$T/r0.json" "sha256:0"
	run --separate-stderr -1 scoped sha256-0-10 "$T/r0.json"
	[[ $stderr == *"sha256 PCR 10: replayed $(printf '0%.0s' $(seq 64)), not given in '$T/r0.json'"* ]] || fail "$stderr"
	REF="$T/r0.json" edit_ref "$T/r.json" sha256 10 "$(printf '0%.0s' $(seq 64))"
	run --separate-stderr -0 scoped sha256-0-10 "$T/r.json"
	assert_line "all PCRs the quote signs match '$T/r.json' (sha256 0,10)"
	REF="$T/r0.json" edit_ref "$T/r2.json" sha256 10 "$(printf '0%.0s' $(seq 63))1"
	run --separate-stderr -1 scoped sha256-0-10 "$T/r2.json"
	[[ $stderr == *"sha256 PCR 10 differs"* ]] || fail "$stderr"
}

@test "E6: a forged quote: nothing is compared, and the answer is no" {
	cp "$EV/quote/sha256-0.sig" "$T/f.sig"
	$PY -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-40] ^= 1; open(sys.argv[2], "wb").write(b)' \
		"$EV/quote/sha256-0.msg" "$T/f.msg"
	run --separate-stderr -1 fwtrail eventlog replay --quote "$T/f.msg" --quote-sig "$T/f.sig" --ak "$AK" \
		--expect "$REF" "$EV/agile.bin"
	[[ $stderr == *"quote signature: RSASSA-SHA256 signature does not verify with key"* ]] || fail "$stderr"
	refute_output --partial "match"
	run --separate-stderr -1 fwtrail eventlog replay --quote "$T/f.msg" --quote-sig "$T/f.sig" --ak "$AK" \
		--expect "$REF" --json "$EV/agile.bin"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); assert o["ok"] is False and "expect" not in o and o["quote"]["failed"] == "signature", o' <<< "$output"
	# another key
	run --separate-stderr -1 fwtrail eventlog replay --quote "$EV/quote/sha256-0.msg" --quote-sig "$EV/quote/sha256-0.sig" \
		--ak "$TESTDATA/keys/rsa3072.pub.pem" --expect "$REF" "$EV/agile.bin"
	refute_output --partial "match"
}

@test "E6: a quote over a log whose sha256 values differ is a no before any comparison" {
	run --separate-stderr -1 fwtrail eventlog replay --quote "$EV/quote/sha256-0-7.msg" --quote-sig "$EV/quote/sha256-0-7.sig" \
		--ak "$AK" --nonce "$NONCE" --expect "$REF" "$EV/locality3.bin"
	[[ $stderr == *"pcrDigest differs"* ]] || fail "$stderr"
	refute_output --partial "match"
}

@test "E2: a log of more than 200000 events is refused (exit 4) in little memory; 200000 are read" {
	# agile.bin's Spec ID event, then n copies of one small sha256-only event
	$PY - "$TESTDATA/evidence/eventlog/agile.bin" "$T" <<'PY'
import struct, sys
head = open(sys.argv[1], "rb").read()
size = struct.unpack_from("<I", head, 28)[0]
spec = head[:32 + size]
ev = struct.pack("<IIIH", 4, 0x0D, 1, 0x000B) + bytes(32) + struct.pack("<I", 0)
for n in (199999, 200000):  # with the Spec ID event: 200000 and 200001
    open(f"{sys.argv[2]}/n{n}.bin", "wb").write(spec + ev * n)
PY
	run -0 fwtrail eventlog replay --bank sha256 "$T/n199999.bin"
	run -4 run_limited "$FWTRAIL" eventlog replay --bank sha256 "$T/n200000.bin"
	assert_output --partial "more than 200000 events"
}

# show --json writes its events one at a time: as one JSON tree, the
# 199999 events of a log within the cap took 470 MB.  The layout is the
# one every other JSON object has (sorted keys, indent 2).
@test "E2: show --json of 199999 events takes little memory and is laid out as any JSON output" {
	skip_if_sanitized "peak RSS"
	$PY - "$TESTDATA/evidence/eventlog/agile.bin" "$T/long.bin" <<'PY'
import os, struct, sys
head = open(sys.argv[1], "rb").read()
spec = head[:32 + struct.unpack_from("<I", head, 28)[0]]
evs = [struct.pack("<IIIH", i % 24, 0x0D, 1, 0x000B) + os.urandom(32) + struct.pack("<I", 0) for i in range(199998)]
evs.append(struct.pack("<IIIH", 4, 0x80000003, 1, 0x000B) + os.urandom(32) + struct.pack("<I", 4) + b"\x00\xff\"\n")
open(sys.argv[2], "wb").write(spec + b"".join(evs))
PY
	rss=$(peak_rss_kib "$FWTRAIL" eventlog show --json "$T/long.bin")
	[ "$rss" -lt 131072 ] || fail "peak RSS $rss KiB"
	run -0 bash -c '"$0" eventlog show --json "$1" > "$2"' "$FWTRAIL" "$T/long.bin" "$T/long.json"
	$PY - "$T/long.json" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
d = json.loads(text)
assert d["ok"] is True and d["event_count"] == 200000 and len(d["events"]) == 200000, (d["event_count"], len(d["events"]))
assert d["events"][-1]["type"] == "EV_EFI_BOOT_SERVICES_APPLICATION" and d["events"][-1]["pcr"] == 4, d["events"][-1]
assert text == json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "layout differs"
PY
	# --pcrs: only those events, the same layout; none at all is an empty list
	run -0 bash -c '"$0" eventlog show --json --pcrs 4 "$1" > "$2"' "$FWTRAIL" "$T/long.bin" "$T/four.json"
	run -0 bash -c '"$0" eventlog show --json --pcrs 23 "$1" > "$2"' "$FWTRAIL" "$TESTDATA/evidence/eventlog/agile.bin" \
		"$T/none.json"
	$PY - "$T/four.json" "$T/none.json" <<'PY'
import json, sys
for path, n in ((sys.argv[1], len(range(4, 199998, 24)) + 1), (sys.argv[2], 0)):
    text = open(path, encoding="utf-8").read()
    d = json.loads(text)
    assert len(d["events"]) == n and all(e["pcr"] == 4 for e in d["events"]), (path, len(d["events"]))
    assert text == json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False) + "\n", path
PY
}

# --quote alone: the quote is what the log is checked against, so it must
# sign every PCR the log extends and PCRs 0-7 in the bank checked (unless
# --pcrs says which).  The review's F1: genuine, fresh quotes that sign no
# PCR, or only PCR 23, "verified" a log whose PCR 0 event was forged.
# new_quote NAME 'SELECTION': a TPM2_Quote over agile.bin's replay, signed
# by the test AK, where SELECTION is a Python list of (TPM_ALG_ID, [PCRs])
new_quote() {
	$PY - "$TESTDATA/keys/rsa2048.key.pem" "$T/$1" "$2" "$NONCE" "$EV/agile.bin" "$FWTRAIL" <<'EOF'
import hashlib, json, struct, subprocess, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
keyfile, out, sel, nonce, log, fw = sys.argv[1:7]
key = serialization.load_pem_private_key(open(keyfile, "rb").read(), None)
sel = eval(sel)
banks = json.loads(subprocess.run([fw, "eventlog", "replay", "--json", log], capture_output=True,
                                  check=True).stdout)["banks"]
name = {0x04: "sha1", 0x0b: "sha256", 0x0c: "sha384"}
def b2(b): return struct.pack(">H", len(b)) + b
def value(alg, pcr):
    size = hashlib.new(name[alg]).digest_size
    v = banks.get(name[alg], {}).get(str(pcr))
    return bytes.fromhex(v) if v else (b"\xff" if 17 <= pcr <= 22 else b"\0") * size
m = struct.pack(">IH", 0xFF544347, 0x8018) + b2(b"\x00\x0b" + bytes(32)) + b2(bytes.fromhex(nonce))
m += struct.pack(">QIIBQI", 7, 1, 0, 1, 0x20250101, len(sel))
cat = b""
for alg, pcrs in sel:
    m += struct.pack(">HB", alg, 3) + sum(1 << p for p in pcrs).to_bytes(3, "little")
    cat += b"".join(value(alg, p) for p in sorted(pcrs))
m += b2(hashlib.sha256(cat).digest())
open(out + ".msg", "wb").write(m)
open(out + ".sig", "wb").write(struct.pack(">HH", 0x14, 0x0b) + b2(key.sign(m, padding.PKCS1v15(), hashes.SHA256())))
EOF
}

# agile.bin with the sha256 digest of its PCR 0 firmware blob event changed
# (an event type whose data is not checked against its digest)
forge_pcr0() {
	$PY - "$EV/agile.bin" "$1" "$FWTRAIL" <<'EOF'
import json, subprocess, sys
src, out, fw = sys.argv[1:4]
d = bytearray(open(src, "rb").read())
evs = json.loads(subprocess.run([fw, "eventlog", "show", "--json", src], capture_output=True, check=True).stdout)["events"]
e = next(e for e in evs if e["pcr"] == 0 and e["type"] == "EV_EFI_PLATFORM_FIRMWARE_BLOB")
at = e["offset"] + 12 + 2 + 20 + 2  # PCR, type, count, sha1 (id, digest), sha256 id
assert d[at - 2:at] == b"\x0b\x00"
d[at] ^= 0xff
open(out, "wb").write(d)
EOF
}

alone() { # quote-base log [args...]
	local q=$1 log=$2
	shift 2
	fwtrail eventlog replay --quote "$q.msg" --quote-sig "$q.sig" --ak "$AK" --nonce "$NONCE" "$@" "$log"
}

@test "E6: --quote alone: a quote of no PCR, or of PCRs the log does not extend, does not vouch for a forged log" {
	forge_pcr0 "$T/forged.bin"
	new_quote empty '[]'
	new_quote pcr23 '[(0x0b, [23])]'
	new_quote nosel '[(0x0b, []), (0x0c, [])]'
	run --separate-stderr -1 alone "$T/empty" "$T/forged.bin"
	assert_equal "$stderr" "fwtrail eventlog replay: quote '$T/empty.msg': the quote's signed selection is empty: it vouches for no PCR"
	refute_output --partial "verified"
	run --separate-stderr -1 alone "$T/nosel" "$T/forged.bin"
	[[ $stderr == *"the quote's signed selection is empty"* ]] || fail "$stderr"
	run --separate-stderr -1 alone "$T/pcr23" "$T/forged.bin"
	assert_equal "$stderr" "fwtrail eventlog replay: quote '$T/pcr23.msg': sha256 PCR 0, which the log extends, is not in the quote's signed selection (--pcrs decides on fewer PCRs)"
	run --separate-stderr -1 alone "$T/pcr23" "$T/forged.bin" --json
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); q = o["quote"]; assert o["ok"] is False and q["verified"] is False and q["failed"] == "selection", o' <<< "$output"
	# the empty selection is no with --pcrs, --expect and --bank too
	run --separate-stderr -1 alone "$T/empty" "$T/forged.bin" --pcrs 0
	[[ $stderr == *"selection is empty"* ]] || fail "$stderr"
	run --separate-stderr -1 alone "$T/empty" "$EV/agile.bin" --expect "$REF"
	[[ $stderr == *"selection is empty"* ]] || fail "$stderr"
	refute_output --partial "match"
	run --separate-stderr -1 alone "$T/empty" "$EV/agile.bin" --bank sha256
	[[ $stderr == *"selection is empty"* ]] || fail "$stderr"
	# PCR 23 asked for on purpose: what the user decided on
	run --separate-stderr -0 alone "$T/pcr23" "$T/forged.bin" --pcrs 23
	assert_line --partial "PCRs sha256:23, nonce checked"
}

@test "E6: --quote alone needs every PCR the log extends and PCRs 0-7 signed, in one bank or each --bank bank" {
	# agile.bin extends PCRs 0-8
	new_quote log '[(0x0b, list(range(9)))]'
	new_quote fw '[(0x0b, list(range(8)))]'
	new_quote both '[(0x04, list(range(9))), (0x0b, list(range(9)))]'
	run --separate-stderr -0 alone "$T/log" "$EV/agile.bin"
	assert_line --partial "PCRs sha256:0-8, nonce checked"
	# the banks the quote leaves out are not shown, and said so
	assert_equal "$stderr" "fwtrail eventlog replay: warning: sha1: not shown: the quote does not sign this bank, so its replayed values are only the log's claim (--bank sha1 requires it signed)
fwtrail eventlog replay: warning: sha384: not shown: the quote does not sign this bank, so its replayed values are only the log's claim (--bank sha384 requires it signed)"
	refute_line "sha1:"
	forge_pcr0 "$T/forged.bin"
	run --separate-stderr -1 alone "$T/log" "$T/forged.bin"
	[[ $stderr == *"pcrDigest differs"* ]] || fail "$stderr"
	run --separate-stderr -1 alone "$T/fw" "$EV/agile.bin"
	[[ $stderr == *"sha256 PCR 8, which the log extends, is not in the quote's signed selection (--pcrs decides on fewer PCRs)" ]] || fail "$stderr"
	run --separate-stderr -0 alone "$T/fw" "$EV/agile.bin" --pcrs 0-7
	# the fixtures of partial selections
	run --separate-stderr -1 alone "$EV/quote/sha256-0-7" "$EV/agile.bin"
	[[ $stderr == *"sha256 PCR 1, which the log extends, is not in the quote's signed selection"* ]] || fail "$stderr"
	run --separate-stderr -0 alone "$EV/quote/sha256-0-7" "$EV/agile.bin" --pcrs 0,7
	# --bank: each bank listed
	run --separate-stderr -1 alone "$T/log" "$EV/agile.bin" --bank sha1,sha256
	[[ $stderr == *"the quote does not sign any PCR of the sha1 bank" ]] || fail "$stderr"
	run --separate-stderr -0 alone "$T/both" "$EV/agile.bin" --bank sha1,sha256
	run --separate-stderr -1 alone "$EV/quote/multi" "$EV/agile.bin" --bank sha256
	[[ $stderr == *"sha256 PCR 1, which the log extends, is not in the quote's signed selection"* ]] || fail "$stderr"
}

# A quote of the banks SEL (tpm2_quote -l form) of the replay of log $1, by
# key $2, nonce 5ca1ab1e, into $T/q.msg and $T/q.sig (scripts/mk-quote.py).
mkquote() {
	fwtrail eventlog replay --json "$1" > "$T/rep.json"
	"$PY" "$ROOT/scripts/mk-quote.py" "$2" "$T/rep.json" "$3" 5ca1ab1e "$T/q.msg" "$T/q.sig"
}

@test "E6: an AK given as a certificate must vouch: expired, a device identity or a CA key is a no (1)" {
	need_corpus eventlog
	local log="$CORPORA/eventlog/tpm2-tools/fixtures/event-gce-ubuntu-2104-log.bin" K="$TESTDATA/keys" TR="$TESTDATA/trust"
	mkquote "$log" "$K/p384.key.pem" sha256:0-9,14
	q=(fwtrail eventlog replay --quote "$T/q.msg" --quote-sig "$T/q.sig" --nonce 5ca1ab1e)
	run --separate-stderr -0 "${q[@]}" --ak "$K/p384.pub.pem" "$log"
	run --separate-stderr -0 "${q[@]}" --ak "$K/p384.crt.pem" "$log"
	assert_line --partial "quote '$T/q.msg' verified: AK sha256:"
	run --separate-stderr -1 "${q[@]}" --ak "$TR/p384-expired.crt.pem" "$log"
	[[ "${stderr_lines[-1]}" == "fwtrail eventlog replay: quote '$T/q.msg': the AK does not vouch for the quote: certificate '$TR/p384-expired.crt.pem' (O = fwtrail tests, CN = fwtrail test signer p384-expired) expired on 2021-01-01T00:00:00Z, checked at 20"??-??-??T??:??:??Z ]] || fail "$stderr"
	refute_output --partial "verified"
	run --separate-stderr -1 "${q[@]}" --ak "$TR/p384-spdm-eku.crt.pem" --json "$log"
	$PY -c 'import json, sys; o = json.loads(sys.argv[1]); assert o["ok"] is False and o["quote"]["failed"] == "ak", o' "$output"
	[[ "${stderr_lines[-1]}" == *"the AK does not vouch for the quote: certificate '$TR/p384-spdm-eku.crt.pem' ("*") is an SPDM device identity"* ]] || fail "$stderr"
	# a CA certificate's key may not sign data (the CA's own key made this quote)
	mkquote "$log" "$K/ca.key.pem" sha256:0-9,14
	run --separate-stderr -0 "${q[@]}" --ak "$K/ca.pub.pem" "$log"
	run --separate-stderr -1 "${q[@]}" --ak "$K/ca.crt.pem" "$log"
	[[ "${stderr_lines[-1]}" == *"the AK does not vouch for the quote: certificate '$K/ca.crt.pem' may not sign data: its key usage does not include digitalSignature" ]] || fail "$stderr"
}

@test "E6: a verified quote shows only the banks it signs; the others are named, not listed as vouched for" {
	need_corpus eventlog
	local log="$CORPORA/eventlog/tpm2-tools/fixtures/event-gce-ubuntu-2104-log.bin"
	mkquote "$log" "$TESTDATA/keys/p384.key.pem" sha1:0-9,14
	q=(fwtrail eventlog replay --quote "$T/q.msg" --quote-sig "$T/q.sig" --nonce 5ca1ab1e --ak "$TESTDATA/keys/p384.pub.pem")
	run --separate-stderr -0 "${q[@]}" "$log"
	assert_line "sha1:"
	refute_line "sha256:"
	refute_line "sha384:"
	assert_equal "${#lines[@]}" 13 # the bank, its 11 PCRs, the quote line
	assert_equal "${stderr_lines[0]}" "fwtrail eventlog replay: warning: sha256: not shown: the quote does not sign this bank, so its replayed values are only the log's claim (--bank sha256 requires it signed)"
	assert_equal "${#stderr_lines[@]}" 2
	run --separate-stderr -0 "${q[@]}" --json "$log"
	$PY -c '
import json, sys
o = json.loads(sys.argv[1])
assert list(o["banks"]) == ["sha1"] and len(o["banks"]["sha1"]) == 11, o["banks"]
assert o["banks_not_signed"] == ["sha256", "sha384"], o["banks_not_signed"]' "$output"
	# asked for, an unsigned bank is a no
	run --separate-stderr -1 "${q[@]}" --bank sha1,sha256 "$log"
	# a quote of every bank shows every bank, and names none
	mkquote "$log" "$TESTDATA/keys/p384.key.pem" "sha1:0-9,14+sha256:0-9,14+sha384:0-9,14"
	run --separate-stderr -0 "${q[@]}" --json "$log"
	$PY -c 'import json, sys; o = json.loads(sys.argv[1]); assert sorted(o["banks"]) == ["sha1", "sha256", "sha384"] and o["banks_not_signed"] == [], o' "$output"
	# without a quote, every bank replayed is shown, as before
	run --separate-stderr -0 fwtrail eventlog replay --json "$log"
	$PY -c 'import json, sys; o = json.loads(sys.argv[1]); assert sorted(o["banks"]) == ["sha1", "sha256", "sha384"] and o["banks_not_signed"] == [], o' "$output"
}

@test "'-' reads the log, or the --expect values, from standard input" {
	run --separate-stderr -0 fwtrail eventlog show "$EV/agile.bin"
	local want=("${lines[@]:1}")
	run --separate-stderr -0 bash -c '"$FWTRAIL" eventlog show - < "$1"' _ "$EV/agile.bin"
	assert_line --index 0 "-: crypto-agile, 27 events, banks sha1 sha256 sha384"
	assert_equal "${lines[*]:1}" "${want[*]}"
	run --separate-stderr -0 fwtrail eventlog replay --json "$EV/agile.bin"
	local banks=$($PY -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["banks"], sort_keys=True))' <<< "$output")
	run --separate-stderr -0 bash -c 'cat "$1" | "$FWTRAIL" eventlog replay --json -' _ "$EV/agile.bin"
	assert_equal "$($PY -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["banks"], sort_keys=True))' <<< "$output")" "$banks"
	# cut short in a pipe: malformed, named '-'
	run --separate-stderr -4 bash -c 'head -c 300 "$1" | "$FWTRAIL" eventlog replay -' _ "$EV/agile.bin"
	[[ $stderr == "fwtrail eventlog replay: '-': "* ]] || fail "$stderr"
	# the known values from a pipe, tpm2_pcrread's YAML
	run --separate-stderr -0 bash -c '"$FWTRAIL" eventlog replay --expect - "$1" < "$2"' _ "$EV/agile.bin" "$EV/agile.pcrread.yaml"
	assert_line "all replayed PCRs match '-' (sha1, sha256, sha384)"
	run --separate-stderr -1 bash -c 'sed "s/^\(  *4 *: 0x\)./\1f/" "$2" | "$FWTRAIL" eventlog replay --expect - "$1"' _ \
		"$EV/agile.bin" "$EV/agile.pcrread.yaml"
	[[ $stderr == *"PCR 4 differs: replayed "* ]] || fail "$stderr"
	run --separate-stderr -2 bash -c '"$FWTRAIL" eventlog replay --expect - - < "$1"' _ "$EV/agile.bin"
	assert_equal "${stderr_lines[0]}" "fwtrail eventlog replay: standard input ('-') is either the log or --expect, not both"
}

@test "file names are escaped in show and replay output: no terminal escape, no forged line (O9)" {
	local n=$'x\e]0;pwned\a\nall replayed PCRs match'
	cp "$EV/agile.bin" "$T/$n.bin"
	cp "$EV/agile.pcrread.yaml" "$T/$n.yaml"
	run --separate-stderr -0 fwtrail eventlog show "$T/$n.bin"
	[[ $output != *$'\e'* && $output != *$'\a'* ]] || fail "raw control bytes in: $output"
	assert_line --index 0 "$T/x\\x1b]0;pwned\\x07\\x0aall replayed PCRs match.bin: crypto-agile, 27 events, banks sha1 sha256 sha384"
	run --separate-stderr -0 fwtrail eventlog replay --expect "$T/$n.yaml" "$EV/agile.bin"
	[[ $output != *$'\e'* ]] || fail "raw ESC in: $output"
	[ "$(grep -c '^all replayed PCRs match' <<< "$output")" -eq 1 ]
	assert_line "all replayed PCRs match '$T/x\\x1b]0;pwned\\x07\\x0aall replayed PCRs match.yaml' (sha1, sha256, sha384)"
}

# mklog OUT: a crypto-agile log (sha1, sha256) of the events the Python
# expression on standard input gives, a list of (pcr, type, data) or
# (pcr, type, data, digests) with digests a list of (alg id, bytes).
mklog() {
	$PY -c '
import hashlib, struct, sys
H = {4: hashlib.sha1, 0xb: hashlib.sha256}
def u16(s): return s.encode("utf-16-le")
def u64(v): return struct.pack("<Q", v)
spec = b"Spec ID Event03\0" + struct.pack("<IBBBBI", 0, 0, 2, 0, 2, 2) + struct.pack("<HHHH", 4, 20, 0xb, 32) + b"\0"
out = struct.pack("<II", 0, 3) + bytes(20) + struct.pack("<I", len(spec)) + spec
for ev in eval(sys.stdin.read()):
    pcr, typ, data = ev[:3]
    digs = ev[3] if len(ev) > 3 else [(a, H[a](data).digest()) for a in (4, 0xb)]
    out += struct.pack("<III", pcr, typ, len(digs)) + b"".join(struct.pack("<H", a) + v for a, v in digs)
    out += struct.pack("<I", len(data)) + data
open(sys.argv[1], "wb").write(out)' "$1"
}

@test "UTF-16 text is escaped as ASCII text is: a logged '\\x0a' is not a newline, a quote is escaped" {
	mklog "$T/u.log" <<'EOF'
[(8, 0xd, u16('a\nb"c\\') + b"\0\0"), (8, 0xd, u16("a\\x0ab") + b"\0\0"), (8, 0xd, b"a\\x0ab\0")]
EOF
	run --separate-stderr -0 fwtrail eventlog show "$T/u.log"
	assert_line 'event 1  PCR 8  EV_IPL  [unverified] "a\x0ab\x22c\\"'
	assert_line 'event 2  PCR 8  EV_IPL  [unverified] "a\\x0ab"'
	assert_line 'event 3  PCR 8  EV_IPL  [unverified] "a\\x0ab"'
	run --separate-stderr -0 fwtrail eventlog show --json "$T/u.log"
	$PY -c '
import json, sys
e = json.load(sys.stdin)["events"]
d1, d2, d3 = e[1]["data"], e[2]["data"], e[3]["data"]
assert d1["text"] == "a\\x0ab\\x22c\\\\" and d1["encoding"] == "utf-16le", d1
assert d1["hex"] == "a\nb\"c\\\0".encode("utf-16-le").hex(), d1
assert d2["text"] == d3["text"] == "a\\\\x0ab", (d2, d3)
assert d3["hex"] == b"a\\x0ab\0".hex(), d3' <<< "$output"
}

@test "a 16-byte S-CRTM version that is not text is a GUID, not CJK text; text keeps its raw bytes in JSON" {
	need_corpus eventlog
	f="$CORPORA/eventlog/tpm2-tools/fixtures/event-uefi-sha1-log.bin"
	run --separate-stderr -0 fwtrail eventlog show "$f"
	assert_line "event 0  PCR 0  EV_S_CRTM_VERSION  GUID {546bfb1e-1d0c-4055-a4ad-4ef4bf17b83a}"
	run --separate-stderr -0 fwtrail eventlog show --json "$f"
	$PY -c 'import json,sys; d=json.load(sys.stdin)["events"][0]["data"]; assert d == {"kind": "guid", "guid": "546bfb1e-1d0c-4055-a4ad-4ef4bf17b83a", "hex": "1efb6b540c1d5540a4ad4ef4bf17b83a"}, d' <<< "$output"
	mklog "$T/v.log" <<'EOF'
[(0, 8, u16("1.0") + b"\0\0"), (0, 8, bytes(range(1, 17)))]
EOF
	run --separate-stderr -0 fwtrail eventlog show "$T/v.log"
	assert_line 'event 1  PCR 0  EV_S_CRTM_VERSION  "1.0"'
	assert_line "event 2  PCR 0  EV_S_CRTM_VERSION  GUID {04030201-0605-0807-090a-0b0c0d0e0f10}"
}

@test "a NUL inside an EFI variable name does not cut it; look-alike letters are escaped" {
	mklog "$T/n.log" <<'EOF'
[(7, 0x80000001, bytes.fromhex("61dfe48bca93d211aa0d00e098032b8c") + u64(15) + u64(1) + u16("SecureBoot\0Evil") + b"\1"),
 (7, 0x80000001, bytes.fromhex("61dfe48bca93d211aa0d00e098032b8c") + u64(10) + u64(1) + u16("S\u0435cureBoot") + b"\1")]
EOF
	run --separate-stderr -0 fwtrail eventlog show "$T/n.log"
	assert_line 'event 1  PCR 7  EV_EFI_VARIABLE_DRIVER_CONFIG  SecureBoot\x00Evil {8be4df61-93ca-11d2-aa0d-00e098032b8c}, 1 bytes'
	assert_line 'event 2  PCR 7  EV_EFI_VARIABLE_DRIVER_CONFIG  S\u0435cureBoot {8be4df61-93ca-11d2-aa0d-00e098032b8c}, 1 bytes'
	run --separate-stderr -0 fwtrail eventlog show --json "$T/n.log"
	$PY -c 'import json,sys; e=json.load(sys.stdin)["events"]; assert e[1]["data"]["name"] == "SecureBoot\\x00Evil" and "value" not in e[1]["data"], e[1]' <<< "$output"
}

@test "a malformed image-load device path is said to be malformed, not absent" {
	mklog "$T/d.log" <<'EOF'
[(4, 0x80000003, u64(0x1000) + u64(4096) + u64(0) + u64(6) + bytes([4, 4, 2, 0, 0, 0])),
 (4, 0x80000003, u64(0x1000) + u64(4096) + u64(0) + u64(8) + bytes([4, 4, 200, 0, 0, 0, 0, 0]))]
EOF
	run --separate-stderr -0 fwtrail eventlog show "$T/d.log"
	assert_line "event 1  PCR 4  EV_EFI_BOOT_SERVICES_APPLICATION  [unverified] image at 0x1000, 4096 bytes, malformed device path of 6 bytes (unparsed)"
	assert_line "event 2  PCR 4  EV_EFI_BOOT_SERVICES_APPLICATION  [unverified] image at 0x1000, 4096 bytes, malformed device path of 8 bytes (unparsed)"
	refute_output --partial "no device path"
}

@test "replay with no replayable bank is malformed (4), never an empty yes; only unknown banks is unsupported (6)" {
	mklog "$T/r.log" <<'EOF'
[(0, 7, b"x", [])]
EOF
	run --separate-stderr -4 fwtrail eventlog replay "$T/r.log"
	assert_equal "$stderr" "fwtrail eventlog replay: no bank can be replayed: event 1 at offset 69 has no sha1 digest, event 1 at offset 69 has no sha256 digest"
	assert_equal "$output" ""
	run --separate-stderr -4 fwtrail eventlog replay --json "$T/r.log"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] is False and "banks" not in o and o["unreplayable_banks"] == {"sha1": 1, "sha256": 1} and "no bank can be replayed" in o["error"]["message"], o' <<< "$output"
	# asked for a bank, or compared: a no naming the event (E4)
	run --separate-stderr -1 fwtrail eventlog replay --bank sha256 "$T/r.log"
	[[ $stderr == *$'\nfwtrail eventlog replay: bank sha256 cannot be replayed: event 1 has no sha256 digest' ]] || fail "$stderr"
	run --separate-stderr -1 fwtrail eventlog replay --expect "$EV/agile.expected.json" "$T/r.log"
	# a log whose banks are SM3 and an unknown algorithm: none fwtrail replays
	$PY -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[60:64] = bytes([0x12, 0, 32, 0])
b[64:68] = bytes([0x13, 0, 20, 0])
open(sys.argv[2], "wb").write(bytes(b))' "$T/r.log" "$T/sm3.log"
	run --separate-stderr -6 fwtrail eventlog replay "$T/sm3.log"
	[[ $stderr == *"no bank can be replayed: the log's algorithms are none fwtrail can hash" ]] || fail "$stderr"
}

@test "Spec ID event errors name the event and its byte offset" {
	need_corpus eventlog
	run --separate-stderr -4 fwtrail eventlog replay "$CORPORA/eventlog/tpm2-tools/fixtures/specid-vendordata.bin"
	[[ $stderr == *"': event 0 at offset 0: Spec ID event: vendorInfoSize 4 exceeds the 0 bytes left in the event" ]] || fail "$stderr"
	mklog "$T/s.log" <<<'[]'
	$PY -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[64]=4; b[66]=20; open(sys.argv[1],"wb").write(bytes(b))' "$T/s.log"
	run --separate-stderr -4 fwtrail eventlog show "$T/s.log"
	[[ $stderr == *"': event 0 at offset 0: Spec ID event: algorithm 0x0004 listed twice (at byte 64)" ]] || fail "$stderr"
}
