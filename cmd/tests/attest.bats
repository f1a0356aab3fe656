#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail attest check on testdata/server (scripts/mk-server-testdata.py): a
# host event log and a BMC SPDM transcript against the vendor's signed CoRIM
# and the reviewer's SFRs; every status, every verification outcome, the
# JSON record against the appraisal contract, --local on a fake sysfs, and
# hostile input.

load helpers

S="$TESTDATA/server"

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$S"
}

SFRS=(--sfr sfr/bios-2.0.sfr.jws --sfr sfr/bmc-3.1.sfr.jws --sfr sfr/boot.sfr.jws)

# Python over the last --json record ($T/rec.json): d (the record), C (its
# components), one(**members) (the only component with them), h(alg, file)
# (a digest of a fixture file computed by Python), notmatch() (the
# components whose status is not "match").
PRE='
import hashlib, json, os, sys
d = json.load(open(sys.argv[1]))
C = d["components"]
def h(alg, p):
    return hashlib.new(alg, open(p, "rb").read()).hexdigest()
def one(**kw):
    r = [c for c in C if all(c.get(k) == v for k, v in kw.items())]
    assert len(r) == 1, (kw, r)
    return r[0]
def notmatch():
    return [c for c in C if c["status"] != "match"]
'
pyrec() {
	printf '%s\n%s\n' "$PRE" "$1" | $PY - "$T/rec.json"
}

# attest check --json ARGS..., the record kept in $T/rec.json
check_json() {
	run --separate-stderr fwtrail attest check --json "$@"
	printf '%s' "$output" > "$T/rec.json"
}

@test "the untouched server: every component matches, three are reviewed, exit 0" {
	run --separate-stderr -0 fwtrail attest check --evidence evidence/host.log --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim "${SFRS[@]}" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_line --index 0 --regexp '^SOURCE +INDEX +COMPONENT +DIGEST +STATUS +REFERENCE +REVIEW$'
	assert_line --regexp '^eventlog pcr0 +#2 EV_EFI_PLATFORM_FIRMWARE_BLOB +sha512:0b008b3f038bc9ef\.\.\. match +vendor\.signed\.corim pcr0:bios +Road Runner Audits, 2 issues \(max CVSS 8\.8\)$'
	assert_line --regexp '^spdm +2 +mutable_firmware +sha384:[0-9a-f]{16}\.\.\. match +vendor\.signed\.corim 2 +Road Runner Audits, 0 issues$'
	assert_line --regexp '^eventlog pcr4 +#14 EV_EFI_BOOT_SERVICES_APPLICATION .* match .* Road Runner Audits, 0 issues$'
	assert_line --regexp '^spdm +3 +hardware_config .* match .* unreviewed$'
	assert_line 'ok: 19 components: 19 match, 0 mismatch, 0 unknown, 0 missing; 3 reviewed, 16 unreviewed'
	assert_equal "$stderr" ""
}

# The component table's rows (ROWS of them) line up under the heading:
# every column up to the first of SHIFTED starts where its heading does,
# one space after the cell before it, and is as wide as its widest cell.
# From SHIFTED on (a cell wider than 48 columns), rows are only checked
# to hold one space between cells.  Columns are characters, not bytes.
table_aligned() { # ROWS SHIFTED
	$PY - "$output" "$1" "$2" <<'EOF2'
import re, sys
lines, nrows, shifted = sys.argv[1].split("\n"), int(sys.argv[2]), int(sys.argv[3])
head, rows = lines[0], [l for l in lines[1:] if re.match(r"(eventlog|spdm) +(pcr)?\d+ ", l)]
assert len(rows) == nrows, rows
cols = [m.start() for m in re.finditer(r"\S+", head)]
assert len(cols) == 7, head
for r in rows:
    for c in cols[1:shifted]:
        assert r[c - 1] == " " and r[c] != " ", (c, r)
for i in range(shifted - 1):
    widest = max(len(r[cols[i]:cols[i + 1]].rstrip()) for r in rows)
    assert cols[i + 1] - cols[i] - 1 == max(widest, len(head[cols[i]:cols[i + 1]].rstrip())), (i, widest, cols)
EOF2
}

@test "the table's columns are as wide as their widest cell: every row lines up under its heading" {
	run --separate-stderr -0 fwtrail attest check --evidence evidence/host.log --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim "${SFRS[@]}" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	table_aligned 19 7
	# the widest cells of this table
	assert_line --regexp '^eventlog pcr4  #14 EV_EFI_BOOT_SERVICES_APPLICATION sha512:b795bd6bd8f4bdb8\.\.\. match  vendor\.signed\.corim pcr4:shim                    Road Runner Audits, 0 issues$'
	assert_line --regexp '^eventlog pcr4  #6 EV_EFI_ACTION +sha384:77a0dab2312b4e1e\.\.\. match  vendor\.signed\.corim pcr4:calling-efi-application unreviewed$'
}

@test "the table: a RIM named in UTF-8 lines up by characters; a reference wider than 80 columns shifts only what follows it" {
	mkdir -p "$T/r"
	cp rim/vendor.signed.corim "$T/r/vëndör.corim"
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --rim "$T/r/vëndör.corim" \
		--trust trust/vendor.pub
	table_aligned 19 7
	assert_line --regexp '^eventlog pcr4  #6 EV_EFI_ACTION +sha384:77a0dab2312b4e1e\.\.\. match   vëndör\.corim pcr4:calling-efi-application unreviewed$'
	assert_line --regexp '^spdm     1     - +sha384:ea265700616c3c3c\.\.\. missing vëndör\.corim 1 {28}unreviewed$'
	# 40 + 6 + 1 + 30 columns: wide, but under the cap
	long=$(printf 'v%.0s' {1..40}).corim
	cp rim/vendor.signed.corim "$T/r/$long"
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --rim "$T/r/$long" --trust trust/vendor.pub
	table_aligned 19 7
	assert_line --regexp "^eventlog pcr4  #6 EV_EFI_ACTION +sha384:77a0dab2312b4e1e\.\.\. match   $long pcr4:calling-efi-application unreviewed$"
	# over the cap: the column is 80 wide, the cells past it are pushed right
	long=$(printf 'v%.0s' {1..70}).corim
	cp rim/vendor.signed.corim "$T/r/$long"
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --rim "$T/r/$long" --trust trust/vendor.pub
	table_aligned 19 6
	assert_line --index 0 --regexp "^SOURCE +INDEX +COMPONENT +DIGEST +STATUS  REFERENCE {72}REVIEW$"
	assert_line --regexp "^eventlog pcr4  #6 EV_EFI_ACTION +sha384:77a0dab2312b4e1e\.\.\. match   $long pcr4:calling-efi-application unreviewed$"
	assert_line --regexp "^spdm     4     - +sha384:[0-9a-f]{16}\.\.\. missing $long 4 {3}unreviewed$"
}

@test "the fixture holds together: the BMC transcript verifies with its chain, the SFRs with the reviewer's key" {
	run -0 fwtrail spdm verify --cert evidence/bmc-chain.pem evidence/bmc.spdm
	run -0 fwtrail sfr verify --key keys/reviewer.pub --fw firmware/bmc-3.1.bin sfr/bmc-3.1.sfr.jws
	run -0 fwtrail sfr verify --key keys/reviewer.pub --manifest firmware/boot sfr/boot.sfr.jws
	run -0 fwtrail rim verify --key keys/vendor.pub rim/vendor.signed.corim rim/vendor-missing-ref.signed.corim
	run -1 fwtrail rim verify --key keys/vendor.pub rim/vendor.forged.corim
}

@test "--json follows the appraisal contract: members, types, digests and keys as Python computes them" {
	check_json --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		"${SFRS[@]}" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 0
	pyrec '
from cryptography.hazmat.primitives.serialization import load_pem_public_key, Encoding, PublicFormat
import re
assert d["command"] == "attest check" and d["ok"] is True and d["schema"] == 1 and "error" not in d
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["at"])
s = d["summary"]
for k in ("components", "match", "mismatch", "unknown", "missing", "reviewed", "unreviewed"):
    assert type(s[k]) is int, k
assert s["components"] == len(C) == 19 and s["match"] == 19 and s["reviewed"] == 3 and s["unreviewed"] == 16
for c in C:
    assert c["source"] in ("spdm", "eventlog") and type(c["index"]) is int
    assert c["status"] in ("match", "mismatch", "unknown", "missing")
    assert re.fullmatch(r"[0-9a-f]+", c["digest"]) and c["alg"] in ("sha256", "sha384", "sha512")
    assert c["review"]["status"] in ("reviewed", "unreviewed")
    r = c["reference"]
    assert r["rim"] == "rim/vendor.signed.corim" and r["format"] == "corim" and r["vendor"] == "ACME"
    assert r["model"] == "X1 server" and r["class_id"] == "4c1e7a2e-6f0b-4d1c-9a53-3f2e8b7d5a10"
    assert r["alg"] == c["alg"] and r["digest"] == c["digest"]
    assert ("event" in c) == (c["source"] == "eventlog")
# the digests, from the images themselves
bios = one(source="eventlog", event=2)
assert bios["index"] == 0 and bios["name"] == "EV_EFI_PLATFORM_FIRMWARE_BLOB"
# the RIM vouches for the images in SHA-384 and SHA-512: the strongest is shown
assert bios["alg"] == "sha512" and bios["digest"] == h("sha512", "firmware/bios-2.0.bin")
assert bios["reference"]["key"] == "pcr0:bios"
assert bios["digests"]["sha512"] == h("sha512", "firmware/bios-2.0.bin")
assert bios["digests"]["sha256"] == h("sha256", "firmware/bios-2.0.bin")
bmc = one(source="spdm", index=2)
assert bmc["digest"] == h("sha384", "firmware/bmc-3.1.bin") and bmc["reference"]["key"] == "2"
assert bmc["evidence"] == "evidence/bmc.spdm" and bmc["name"] == "mutable_firmware"
assert one(source="spdm", index=1)["digest"] == h("sha384", "firmware/rot-rom-1.0.bin")
# the reviews
r = bios["review"]
assert r == {"status": "reviewed", "report": "sfr/bios-2.0.sfr.jws", "srp": "Road Runner Audits", "scope": 1,
             "report_version": "1.0", "completion_date": "2026-02-10", "vendor": "ACME", "product": "X1 server",
             "fw_version": "2.0", "methodology": "whitebox", "open_issues": 2, "max_cvss": 8.8,
             "cwes": ["CWE-120", "CWE-306"],
             "issues": [{"title": "Buffer overflow in the option ROM loader", "cvss_score": 8.8, "cwe": "CWE-120",
                         "cve": "CVE-2026-20001"},
                        {"title": "Debug menu reachable without a password", "cvss_score": 4.3, "cwe": "CWE-306",
                         "cve": None}]}, r
assert bmc["review"]["report"] == "sfr/bmc-3.1.sfr.jws" and bmc["review"]["open_issues"] == 0
shim = one(source="eventlog", event=14)
assert shim["review"]["report"] == "sfr/boot.sfr.jws" and shim["review"]["manifest_file"] == "boot/shimx64.efi"
assert shim["digests"]["sha512"] == h("sha512", "firmware/boot/shimx64.efi")
# every input, with its SHA-256
ins = [(i["path"], i["kind"], i["sha256"]) for i in d["inputs"]]
names = ["evidence/host.log", "evidence/bmc.spdm", "rim/vendor.signed.corim", "sfr/bios-2.0.sfr.jws",
         "sfr/bmc-3.1.sfr.jws", "sfr/boot.sfr.jws"]
kinds = ["eventlog", "spdm", "rim", "sfr", "sfr", "sfr"]
assert ins == [(n, k, h("sha256", n)) for n, k in zip(names, kinds)], ins
# every RIM and SFR in signatures, with the fingerprint of the key that verified
def fp(p):
    k = load_pem_public_key(open(p, "rb").read())
    return hashlib.sha256(k.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)).hexdigest()
sig = {e["path"]: e for e in d["signatures"]}
assert sorted(sig) == sorted(names[1:])
# the SPDM evidence too: signed, but no --spdm-cert, so unauthenticated
s = sig["evidence/bmc.spdm"]
assert (s["kind"], s["signed"], s["signature_checked"], s["verified"], s["authentication"]) == \
    ("spdm", True, False, False, "unauthenticated"), s
assert sig["rim/vendor.signed.corim"]["verified"] is True and sig["rim/vendor.signed.corim"]["error"] is None
assert sig["rim/vendor.signed.corim"]["fingerprint"] == fp("trust/vendor.pub")
assert sig["rim/vendor.signed.corim"]["key"] == "trust/vendor.pub"
for n in names[3:]:
    assert sig[n]["kind"] == "sfr" and sig[n]["verified"] is True and sig[n]["fingerprint"] == fp("trust/reviewer.pub")
# what the inputs claim
prods = {(p["source"], p["vendor"], p["product"], p.get("fw_version")) for p in d["products"]}
assert prods == {("rim", "ACME", "X1 server", None), ("sfr", "ACME", "X1 server", "2.0"),
                 ("sfr", "ACME", "X1 server", "3.1"), ("sfr", "ACME", "X1 server", "1.0")}, prods
assert d["conflicts"] == []
'
}

@test "one image changed: SPDM index 2 is the only mismatch, with the expected digest, and unreviewed" {
	check_json --evidence evidence/host.log --evidence evidence/bmc-tampered.spdm --rim rim/vendor.signed.corim \
		"${SFRS[@]}" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 mismatch (of 19 components)"
	pyrec '
assert d["ok"] is False and d["error"]["code"] == "verify_failed"
[c] = notmatch()
assert c["source"] == "spdm" and c["index"] == 2 and c["status"] == "mismatch"
assert c["digest"] == h("sha384", "firmware/bmc-3.1-tampered.bin")
assert c["reference"]["digest"] == h("sha384", "firmware/bmc-3.1.bin") and c["reference"]["key"] == "2"
assert c["review"] == {"status": "unreviewed"}
assert d["summary"]["mismatch"] == 1 and d["summary"]["match"] == 18
'
	run -1 fwtrail attest check --evidence evidence/host.log --evidence evidence/bmc-tampered.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_line --regexp '^spdm +2 +mutable_firmware +sha384:7288aec66fa89aac\.\.\. mismatch +vendor\.signed\.corim 2 +unreviewed$'
	assert_line 'NOT OK: 19 components: 18 match, 1 mismatch, 0 unknown, 0 missing; 0 reviewed, 19 unreviewed'
}

@test "a changed boot loader: its PCR 4 event is the only mismatch, paired with the shim reference" {
	check_json --evidence evidence/host-tampered.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 1
	pyrec '
[c] = notmatch()
assert (c["source"], c["index"], c["event"], c["status"]) == ("eventlog", 4, 14, "mismatch")
assert c["reference"]["key"] == "pcr4:shim"
assert c["digests"]["sha384"] == h("sha384", "firmware/shimx64-tampered.efi")
assert c["reference"]["digest"] == h(c["reference"]["alg"], "firmware/boot/shimx64.efi")
'
}

@test "one reference missing from the RIM: SPDM index 3 is unknown, with no reference" {
	check_json --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor-missing-ref.signed.corim \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 unknown (of 19 components)"
	pyrec '
[c] = notmatch()
assert (c["source"], c["index"], c["status"], c["name"]) == ("spdm", 3, "unknown", "hardware_config")
assert "reference" not in c and c["review"]["status"] == "unreviewed"
'
}

@test "evidence without block 4: reference 4 is missing, with the expected digest" {
	check_json --evidence evidence/host.log --evidence evidence/bmc-partial.spdm --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 missing (of 19 components)"
	pyrec '
[c] = notmatch()
assert (c["source"], c["index"], c["status"]) == ("spdm", 4, "missing") and "evidence" not in c
assert c["digest"] == c["reference"]["digest"] == h("sha384", "firmware/bmc-config.bin")
assert c["review"] == {"status": "unreviewed"}
'
	run -1 fwtrail attest check --evidence evidence/host.log --evidence evidence/bmc-partial.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_line --regexp '^spdm +4 +- +sha384:436acaa6509ee834\.\.\. missing +vendor\.signed\.corim 4 +unreviewed$'
}

@test "the host log alone: the RIM's SPDM references are missing, and the table says no SPDM evidence was given" {
	check_json --evidence evidence/host.log --rim rim/vendor.signed.corim --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 1
	pyrec '
miss = notmatch()
assert sorted((c["source"], c["index"], c["status"]) for c in miss) == [("spdm", i, "missing") for i in (1, 2, 3, 4)]
'
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_line "spdm: no SPDM evidence given: the RIMs' 4 SPDM references are missing"
	refute_line --partial "no event log given"
	# and the BMC alone against the whole server's RIM
	run --separate-stderr -1 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_line "eventlog: no event log given: the RIMs' 15 event-log references are missing (give the host's log with --evidence, or --local)"
	refute_line --partial "no SPDM evidence given"
}

@test "an SFR for another version of the BMC does not review it" {
	check_json --evidence evidence/bmc.spdm --evidence evidence/host.log --rim rim/vendor.signed.corim \
		--sfr sfr/bmc-3.0.sfr.jws --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 0
	pyrec '
assert one(source="spdm", index=2)["review"] == {"status": "unreviewed"}
assert d["summary"]["reviewed"] == 0
assert [s["verified"] for s in d["signatures"] if s["kind"] != "spdm"] == [True, True]
# it reviewed nothing, so it claims no version for this machine (T5)
assert all(p["source"] == "rim" for p in d["products"]), d["products"]
'
}

@test "SFRs signed by an untrusted key or not signed do not count as reviews, and say why" {
	check_json --evidence evidence/bmc.spdm --evidence evidence/host.log --rim rim/vendor.signed.corim \
		--sfr sfr/bmc-3.1-other-key.sfr.jws --sfr sfr/bmc-3.1.unsigned.json --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 0
	pyrec '
assert one(source="spdm", index=2)["review"] == {"status": "unreviewed"}
sig = {e["path"]: e for e in d["signatures"]}
k, u = sig["sfr/bmc-3.1-other-key.sfr.jws"], sig["sfr/bmc-3.1.unsigned.json"]
assert k["verified"] is False and k["signed"] is True and k["key"] is None and k["fingerprint"] is None
assert "signature does not verify with" in k["error"], k
assert u["verified"] is False and u["signed"] is False and u["format"] == "json" and "not signed" in u["error"]
assert all(p["source"] == "rim" for p in d["products"])
'
	run -0 fwtrail attest check --evidence evidence/bmc.spdm --evidence evidence/host.log \
		--rim rim/vendor.signed.corim --sfr sfr/bmc-3.1-other-key.sfr.jws --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_line --partial "sfr 'sfr/bmc-3.1-other-key.sfr.jws': not verified: "
	assert_line --partial "(not counted as a review)"
}

@test "an SFR naming another product than the RIM's environment is rejected (T3)" {
	check_json --evidence evidence/bmc.spdm --evidence evidence/host.log --rim rim/vendor.signed.corim \
		--sfr sfr/bmc-3.1-other-product.sfr.jws --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 0
	pyrec '
r = one(source="spdm", index=2)["review"]
assert r["status"] == "unreviewed"
assert r["rejected"] == [{"report": "sfr/bmc-3.1-other-product.sfr.jws",
    "reason": "its device (vendor, product) is not the reference'"'"'s environment (vendor, model)"}], r
'
}

@test "an SFR that names no device vendor or product is malformed, signed or not (T3): exit 4, nothing reviewed" {
	# the reviewer's own key signs it: only its missing identity is wrong
	$PY - "$T" <<'PYEOF'
import base64, json, sys, jwt
t = sys.argv[1]
head, body, _ = open("sfr/bmc-3.1.sfr.jws").read().strip().split(".")
p0 = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
key = open("keys/reviewer.pem").read()
for name, drop, value in (("noproduct", ["product"], None), ("novendor", ["vendor", "product"], None),
                          ("emptyproduct", [], "")):
    p = json.loads(json.dumps(p0))
    for k in drop:
        del p["device"][k]
    if value is not None:
        p["device"]["product"] = value
    open(f"{t}/{name}.jws", "w").write(jwt.encode(p, key, algorithm="ES512", headers={"kid": "Road Runner Audits"}))
    json.dump(p, open(f"{t}/{name}.json", "w"))
PYEOF
	local f want
	for f in noproduct:'$.device.product: missing' novendor:'$.device.vendor: missing' \
		emptyproduct:'$.device.product: empty'; do
		want=${f#*:}
		f=${f%%:*}
		run --separate-stderr -4 fwtrail attest check --json --evidence evidence/bmc.spdm --evidence evidence/host.log \
			--rim rim/vendor.signed.corim --sfr "$T/$f.jws" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
		assert_equal "$stderr" "fwtrail attest check: '$T/$f.jws': $want: a report names the device it reviewed (vendor and product)"
		refute_output --partial '"reviewed"'
		# unsigned, without a trust store: the same
		run --separate-stderr -4 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
			--sfr "$T/$f.json"
		[[ $stderr == *"'$T/$f.json': $want"* ]]
	done
	# and the audit stops before the policy, logging nothing
	run --separate-stderr -4 fwtrail audit --policy policy.json --evidence evidence/bmc.spdm --evidence evidence/host.log \
		--rim rim/vendor.signed.corim "${SFRS[@]}" --sfr "$T/noproduct.jws" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub --log "$T/a.jsonl" --new-log
	[ ! -e "$T/a.jsonl" ]
}

@test "an SFR whose completion_date is no real day, or whose fw hash is not one, reviews nothing" {
	# the reviewer's own key signs them: only the date or the hash is wrong
	$PY - "$T" <<'PYEOF'
import base64, json, sys, jwt
t = sys.argv[1]
head, body, _ = open("sfr/bmc-3.1.sfr.jws").read().strip().split(".")
p0 = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
key = open("keys/reviewer.pem").read()
for name, field, value in (("feb99", "audit", "2026-02-99"), ("m13", "audit", "2026-13-45"),
                           ("feb29", "audit", "2025-02-29"), ("bad512", "device", "not hex at all")):
    p = json.loads(json.dumps(p0))
    if field == "audit":
        p["audit"]["completion_date"] = value
    else:
        p["device"]["fw_hash_sha2_512"] = value
    open(f"{t}/{name}.jws", "w").write(jwt.encode(p, key, algorithm="ES512", headers={"kid": "Road Runner Audits"}))
PYEOF
	local f
	for f in feb99 m13 feb29; do
		check_json --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --sfr "$T/$f.jws" \
			--trust trust/vendor.pub --sfr-trust trust/reviewer.pub --at 2026-06-01
		pyrec '
r = one(source="spdm", index=2)["review"]
assert r["status"] == "unreviewed", r
assert r["rejected"][0]["reason"] == "its completion_date is not a YYYY-MM-DD date (a real day)", r
'
	done
	# the same report with a real date reviews block 2; with an unreadable
	# SHA-512 beside its good SHA-384 it binds to nothing
	check_json --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --sfr sfr/bmc-3.1.sfr.jws \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub --at 2026-06-01
	pyrec 'assert one(source="spdm", index=2)["review"]["status"] == "reviewed"'
	check_json --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --sfr "$T/bad512.jws" \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub --at 2026-06-01
	pyrec 'assert one(source="spdm", index=2)["review"]["status"] == "unreviewed" and d["summary"]["reviewed"] == 0'
}

@test "an SFR completed after the appraisal time (--at) does not count" {
	check_json --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		"${SFRS[@]}" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub --at 2026-02-05T00:00:00Z
	assert_equal "$status" 0
	pyrec '
assert d["at"] == "2026-02-05T00:00:00Z"
r = one(source="eventlog", event=2)["review"]
assert r["status"] == "unreviewed" and r["rejected"][0]["reason"] == "it was completed after the appraisal time"
assert d["summary"]["reviewed"] == 0
'
}

@test "a reviewer's certificate counts only inside its dates, at --at (T4)" {
	command -v faketime > /dev/null || skip "faketime (Debian package faketime) is not installed"
	# -f: a frozen clock, so the dates are exact however slow the machine
	faketime -f '2026-05-01 00:00:00' openssl req -x509 -new -key keys/reviewer.pem -days 61 \
		-subj '/CN=Road Runner Audits' -out "$T/rev.crt"
	args=(--evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim "${SFRS[@]}"
		--trust "$T/rev.crt" --trust trust/vendor.pub)
	run -0 fwtrail attest check "${args[@]}" --at 2026-06-01T00:00:00Z
	assert_line --partial "; 3 reviewed, 16 unreviewed"
	run -0 fwtrail attest check "${args[@]}" --at 2026-08-01T00:00:00Z
	assert_line "sfr 'sfr/boot.sfr.jws': not verified: certificate '$T/rev.crt' (CN = Road Runner Audits) expired on 2026-07-01T00:00:00Z, checked at 2026-08-01T00:00:00Z (not counted as a review)"
	assert_line --partial "; 0 reviewed, 19 unreviewed"
}

@test "a forged RIM with a trust store: reported, its references unused, everything unknown, exit 1" {
	check_json --evidence evidence/bmc.spdm --rim rim/vendor.forged.corim --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 4 unknown, 1 RIM not verified (of 4 components)"
	pyrec '
assert [c["status"] for c in C] == ["unknown"] * 4
[s] = [x for x in d["signatures"] if x["kind"] == "rim"]
assert s["verified"] is False and s["used"] is False and s["signed"] is True and "does not verify with key" in s["error"]
assert d["products"] == [] and d["summary"]["rims_not_verified"] == 1
'
}

@test "an unsigned RIM with a trust store is not used; a RIM out of its validity period neither" {
	check_json --evidence evidence/bmc.spdm --rim rim/vendor.corim --key trust/vendor.pub
	assert_equal "$status" 1
	pyrec '
[s] = [x for x in d["signatures"] if x["kind"] == "rim"]
assert (s["verified"], s["signed"], s["used"], s["error"]) == (False, False, False, "not signed")
'
	check_json --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --key trust/vendor.pub --at 2040-01-01
	assert_equal "$status" 1
	pyrec '
[s] = [x for x in d["signatures"] if x["kind"] == "rim"]
assert s["verified"] is False and s["used"] is False and "expired" in s["error"], s
'
	check_json --evidence evidence/bmc.spdm --evidence evidence/host.log --rim rim/vendor.signed.corim \
		--key trust/vendor.pub --at 2030-06-01
	assert_equal "$status" 0
}

@test "without --trust: the RIM is used but reported unverified, SFRs do not count, with a warning" {
	check_json --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim "${SFRS[@]}"
	assert_equal "$status" 0
	assert_equal "$stderr" "fwtrail attest check: warning: no --trust or --key: RIM signatures were not checked and SFRs do not count as reviews"
	pyrec '
assert d["ok"] is True and d["summary"]["match"] == 19 and d["summary"]["reviewed"] == 0
for s in d["signatures"]:
    if s["kind"] != "spdm":
        assert s["verified"] is False and s["error"] == "not checked: no trusted key given", s
assert [s["used"] for s in d["signatures"] if s["kind"] == "rim"] == [True]
'
	# its own dates bind it all the same: valid until 2036
	check_json --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --at 2040-01-01
	assert_equal "$status" 1
	pyrec '
[s] = [x for x in d["signatures"] if x["kind"] == "rim"]
assert s["used"] is False and s["error"] == "expired: valid until 2036-01-01T00:00:00Z, checked at 2040-01-01T00:00:00Z", s
assert d["ok"] is False and d["summary"]["match"] == 0, d["summary"]
'
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --rim rim/vendor.signed.corim --at 2040-01-01
	assert_line "rim 'rim/vendor.signed.corim': not verified: expired: valid until 2036-01-01T00:00:00Z, checked at 2040-01-01T00:00:00Z (its references are not used)"
}

@test "--sfr-trust without --trust: the SFRs verify but review nothing, their RIM unverified (T3); the warning says why" {
	local why="the reference's RIM 'rim/vendor.corim' was not verified: its environment (vendor, model) cannot vouch for the report's device"
	check_json --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.corim "${SFRS[@]}" \
		--sfr-trust trust/reviewer.pub
	assert_equal "$status" 0
	WHY=$why pyrec '
assert d["summary"]["match"] == 19 and d["summary"]["reviewed"] == 0, d["summary"]
assert [s["verified"] for s in d["signatures"] if s["kind"] == "sfr"] == [True] * 3
r = one(source="spdm", index=2)["review"]
assert r == {"status": "unreviewed", "rejected": [{"report": "sfr/bmc-3.1.sfr.jws", "reason": os.environ["WHY"]}]}, r
assert one(source="eventlog", event=2)["review"]["rejected"][0]["reason"] == os.environ["WHY"]
assert all(p["source"] == "rim" for p in d["products"])
'
	assert_equal "$stderr" "fwtrail attest check: warning: no --trust or --key: RIM signatures were not checked, so SFRs do not count as reviews (a report's device is cross-checked with a verified RIM's environment only)"
	run -0 fwtrail attest check --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.corim \
		"${SFRS[@]}" --sfr-trust trust/reviewer.pub
	assert_line "sfr 'sfr/bmc-3.1.sfr.jws': not counted as a review: $why"
	assert_line "sfr 'sfr/boot.sfr.jws': not counted as a review: $why"
	assert_line 'ok: 19 components: 19 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 19 unreviewed'
	# a signed RIM used without --trust is not verified either
	run -0 fwtrail attest check --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		"${SFRS[@]}" --sfr-trust trust/reviewer.pub
	assert_line --partial "; 0 reviewed, 19 unreviewed"
	# the RIM verified: the same reports count
	run --separate-stderr -0 fwtrail attest check --evidence evidence/host.log --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim "${SFRS[@]}" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_line --partial "; 3 reviewed, 16 unreviewed"
	refute_line --partial "not counted as a review"
	assert_equal "$stderr" ""
}

@test "two RIMs disagreeing on SPDM index 2: a conflict, exit 1" {
	check_json --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--rim rim/bmc-3.0.signed.corim --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 conflicting reference (of 19 components)"
	pyrec '
[c] = d["conflicts"]
assert (c["source"], c["index"], c["alg"]) == ("spdm", 2, "sha384")
assert [(r["rim"], r["key"], r["digests"]) for r in c["references"]] == [
    ("rim/vendor.signed.corim", "2", [h("sha384", "firmware/bmc-3.1.bin")]),
    ("rim/bmc-3.0.signed.corim", "2", [h("sha384", "firmware/bmc-3.0.bin")])]
assert one(source="spdm", index=2)["status"] == "match"
'
}

@test "two RIMs disagreeing on raw SPDM values (a version, an SVN): conflicts, exit 1, never the older match alone" {
	local R="$TESTDATA/rim/raw" E="$TESTDATA/evidence/spdm/spdm12.bin"
	run --separate-stderr -1 fwtrail attest check --evidence "$E" --rim "$R/new.corim" --rim "$R/old.corim"
	assert_line --regexp '^spdm +6 +version .* match +.*old.corim 6 '
	assert_line "conflict: the RIMs disagree on the raw reference for SPDM index 6"
	assert_line "conflict: the RIMs disagree on the raw reference for SPDM index 7"
	[[ ${stderr##*$'\n'} == "fwtrail attest check: not ok: 6 unknown, 2 conflicting references (of 8 components)" ]] || fail "$stderr"
	run --separate-stderr -1 fwtrail attest check --json --evidence "$E" --rim "$R/new.corim" --rim "$R/old.corim"
	$PY -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["ok"] is False and [(c["index"], c["alg"]) for c in d["conflicts"]] == [(6, "raw"), (7, "raw")], d["conflicts"]
assert [r["raw"] for r in d["conflicts"][1]["references"]] == ["0600000000000000", "0500000000000000"], d["conflicts"]' <<< "$output"
	# one RIM giving two values for one block
	run --separate-stderr -1 fwtrail attest check --evidence "$E" --rim "$R/two.corim"
	assert_line "conflict: RIM '$R/two.corim' gives two different raw references for SPDM index 6"
	refute_line --partial "the RIMs disagree"
	# the same RIM twice agrees with itself
	run --separate-stderr -1 fwtrail attest check --evidence "$E" --rim "$R/old.corim" --rim "$R/old.corim"
	refute_output --partial "conflict"
}

@test "a raw reference whose mask is not as long as its value is malformed (exit 4), never a mismatch" {
	local E="$TESTDATA/evidence/spdm/spdm12.bin"
	$PY - "$T" <<'PYEOF'
import cbor2, sys
t = sys.argv[1]
v = b"\x05" + bytes(7)
for name, m in (("short", {4: cbor2.CBORTag(560, v), 5: b"\xff"}),
                ("masked", {4: cbor2.CBORTag(563, [v, b"\xff" * 9])}),
                ("good", {4: cbor2.CBORTag(560, v), 5: b"\xff" * 8})):
    c = {1: {0: name}, 4: {0: [[{0: {1: "ACME", 2: "DEV"}}, [{0: 7, 1: m}]]]}}
    open(f"{t}/{name}.corim", "wb").write(cbor2.dumps(cbor2.CBORTag(501, {0: name, 1: [cbor2.CBORTag(506, cbor2.dumps(c))]})))
PYEOF
	run --separate-stderr -4 fwtrail attest check --evidence "$E" --rim "$T/short.corim"
	assert_equal "$stderr" "fwtrail attest check: '$T/short.corim': malformed CoRIM at /tags/0/triples/reference-triples/0/measurements/0/mval/raw-value-mask: the raw value of measurement 7 is 8 bytes but its mask 1: a mask is as long as its value"
	run --separate-stderr -4 fwtrail attest check --evidence "$E" --rim "$T/masked.corim"
	[[ $stderr == *"is 8 bytes but its mask 9"* ]] || fail "$stderr"
	run --separate-stderr -1 fwtrail attest check --evidence "$E" --rim "$T/good.corim"
	assert_line --regexp '^spdm +7 +.* match +good.corim 7 '
}

@test "two trusted RIMs for SPDM index 2 in other algorithms: the reference nothing compared with is missing (exit 1)" {
	# the old release's RIM gives SHA-256, the new release's SHA-384; the
	# device still runs the old firmware and reports SHA-256 (Redfish)
	$PY - "$T" <<'EOF'
import base64, hashlib, json, sys
for alg in ("sha256", "sha384"):
    m = {"MeasurementIndex": 2, "MeasurementType": "MutableFirmware",
         "MeasurementHashAlgorithm": "TPM_ALG_" + alg.upper().replace("SHA", "SHA_"),
         "Measurement": base64.b64encode(hashlib.new(alg, b"bmc firmware 3.0").digest()).decode()}
    json.dump({"@odata.type": "#ComponentIntegrity.v1_3_2.ComponentIntegrity", "ComponentIntegrityEnabled": True,
               "ComponentIntegrityType": "SPDM", "ComponentIntegrityTypeVersion": "1.2.0", "Id": "bmc",
               "SPDM": {"MeasurementSet": {"MeasurementSpecification": "DMTF", "Measurements": [m]}}},
              open(f"{sys.argv[1]}/dev-{alg}.json", "w"))
EOF
	local spec name alg v
	for spec in old256:sha256:3.0 old384:sha384:3.0 new384:sha384:3.1; do
		IFS=: read -r name alg v <<< "$spec"
		fwtrail -q rim create --vendor ACME --model 'X1 server' \
			--measurement "2=$alg:$(printf 'bmc firmware %s' "$v" | "${alg}sum" | cut -d' ' -f1)" -o "$T/$name.corim"
		fwtrail -q rim sign --key keys/vendor.pem --signer ACME -o "$T/$name.signed.corim" "$T/$name.corim"
	done
	# the old release's RIM alone: ok
	run -0 fwtrail attest check --evidence "$T/dev-sha256.json" --rim "$T/old256.signed.corim" --trust trust/vendor.pub
	# both releases, the device on the old one: the new release's SHA-384 reference is missing
	check_json --evidence "$T/dev-sha256.json" --rim "$T/old256.signed.corim" --rim "$T/new384.signed.corim" \
		--trust trust/vendor.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 missing (of 2 components)"
	pyrec '
assert d["ok"] is False and d["conflicts"] == []
assert [(c["index"], c["status"], c["alg"], c["reference"]["rim"].rsplit("/", 1)[1]) for c in C] == [
    (2, "match", "sha256", "old256.signed.corim"), (2, "missing", "sha384", "new384.signed.corim")], C
assert C[1]["digest"] == hashlib.sha384(b"bmc firmware 3.1").hexdigest()
assert "measured this index" in C[1]["note"], C[1]
assert all(s["verified"] and s["used"] for s in d["signatures"] if s["kind"] == "rim")
'
	run -1 fwtrail attest check --evidence "$T/dev-sha256.json" --rim "$T/new384.signed.corim" \
		--rim "$T/old256.signed.corim" --trust trust/vendor.pub
	assert_line --regexp '^spdm +2 +- +sha384:[0-9a-f]{16}\.\.\. missing +new384\.signed\.corim 2 '
	assert_line 'NOT OK: 2 components: 1 match, 0 mismatch, 0 unknown, 1 missing; 0 reviewed, 2 unreviewed'
	# the two releases both in SHA-384: a conflict, as before
	run --separate-stderr -1 fwtrail attest check --evidence "$T/dev-sha384.json" --rim "$T/old384.signed.corim" \
		--rim "$T/new384.signed.corim" --trust trust/vendor.pub
	assert_equal "$stderr" "fwtrail attest check: not ok: 1 conflicting reference (of 1 components)"
}

@test "a raw value and a digest for one SPDM index: the reference nothing compared with is missing (exit 1)" {
	# spdm12.bin: digest blocks 1-5, raw blocks 6 (a version), 7 (an SVN), 8 (a manifest); raw.corim
	# gives each its exact value, dig6.corim a SHA-384 digest for raw block 6, raw2.corim a raw value
	# for digest block 2
	$PY - "$TESTDATA/evidence/spdm/expected.json" "$T" <<'EOF'
import cbor2, hashlib, json, sys
e = json.load(open(sys.argv[1]))["spdm12.bin"]["blocks"]
v = {b["index"]: bytes.fromhex(b.get("digest") or b["value"]) for b in e}
def corim(name, ms):
    comid = {1: {0: name}, 4: {0: [[{0: {1: "fwtrail", 2: "raw"}}, ms]]}}
    open(f"{sys.argv[2]}/{name}.corim", "wb").write(
        cbor2.dumps(cbor2.CBORTag(501, {0: name, 1: [cbor2.CBORTag(506, cbor2.dumps(comid))]})))
corim("raw", [{0: i, 1: {2: [[-43, v[i]]]}} for i in range(1, 6)] +
      [{0: i, 1: {4: cbor2.CBORTag(560, v[i])}} for i in range(6, 9)])
corim("dig6", [{0: 6, 1: {2: [[-43, hashlib.sha384(v[6]).digest()]]}}])
corim("raw2", [{0: 2, 1: {4: cbor2.CBORTag(560, v[2])}}])
EOF
	E="$TESTDATA/evidence/spdm/spdm12.bin"
	run -0 fwtrail attest check --evidence "$E" --rim "$T/raw.corim"
	assert_line 'ok: 8 components: 8 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 8 unreviewed'
	local spec name idx alg
	for spec in dig6:6:sha384 raw2:2:raw; do
		IFS=: read -r name idx alg <<< "$spec"
		run --separate-stderr -1 fwtrail attest check --evidence "$E" --rim "$T/raw.corim" --rim "$T/$name.corim"
		assert_line --regexp "^spdm +$idx +- +$alg:[0-9a-f]{0,16}(\.\.\.)? +missing +$name\.corim $idx "
		assert_line 'NOT OK: 9 components: 8 match, 0 mismatch, 0 unknown, 1 missing; 0 reviewed, 9 unreviewed'
		assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 1 missing (of 9 components)"
	done
}

@test "--local: this machine's log replays to its TPM's PCRs and matches the RIM" {
	check_json --local --sysfs-root sysfs --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 0
	pyrec '
i = d["inputs"][0]
assert i["kind"] == "eventlog" and i["local"] is True
assert i["path"] == "sysfs/sys/kernel/security/tpm0/binary_bios_measurements"
assert i["sha256"] == h("sha256", "evidence/host.log")
# the fixture TPM has SHA-256 and SHA-384 banks: the log'"'"'s SHA-1 and SHA-512 digests are not confirmed
assert i["tpm"] == {"compared": True, "match": True, "banks": ["sha256", "sha384"], "mismatches": [],
                    "unconfirmed": ["sha1", "sha512"]}, i
assert d["summary"]["match"] == 19
'
	run -0 fwtrail attest check --local --sysfs-root sysfs --rim rim/vendor.signed.corim --evidence evidence/bmc.spdm \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_line "local event log: replays to the TPM's PCRs"
}

@test "--local with a PCR the log does not lead to: exit 1, naming the PCR" {
	check_json --local --sysfs-root sysfs-bad-pcr --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: the local event log does not replay to the TPM's PCRs (of 19 components)"
	pyrec '
t = d["inputs"][0]["tpm"]
assert t["match"] is False and sorted((m["bank"], m["pcr"]) for m in t["mismatches"]) == [("sha256", 4), ("sha384", 4)]
assert d["summary"]["match"] == 19
'
}

@test "--local: a TPM bank the log declares but cannot replay is a difference, naming the event (E4)" {
	cp -r "$TESTDATA/evidence/sysfs" "$T/s"
	cp "$TESTDATA/evidence/eventlog/cases/missing-sha384.bin" "$T/s/sys/kernel/security/tpm0/binary_bios_measurements"
	# the TPM has no sha384 bank: sha1 and sha256 replay and match
	check_json --local --sysfs-root "$T/s" --rim rim/vendor.signed.corim
	pyrec 'assert d["inputs"][0]["tpm"] == {"compared": True, "match": True, "banks": ["sha1", "sha256"], "mismatches": [],
                                   "unconfirmed": ["sha384"]}'
	mkdir "$T/s/sys/class/tpm/tpm0/pcr-sha384"
	for n in $(seq 0 23); do printf '%096d\n' 0 > "$T/s/sys/class/tpm/tpm0/pcr-sha384/$n"; done
	check_json --local --sysfs-root "$T/s" --rim rim/vendor.signed.corim
	assert_equal "$status" 1
	pyrec '
t = d["inputs"][0]["tpm"]
assert t == {"compared": True, "match": False, "banks": ["sha1", "sha256"], "mismatches": [],
             "unreplayable": [{"bank": "sha384", "event": 5}], "unconfirmed": ["sha384"]}, t
'
	run -1 fwtrail attest check --local --sysfs-root "$T/s" --rim rim/vendor.signed.corim
	assert_line "local event log: the TPM has a sha384 bank the log cannot replay: event 5 has no sha384 digest"
	# the TPM's only bank is that one: nothing could be compared, and the
	# log's golden RIM does not make it ok (it was "not compared", exit 0)
	fwtrail -q rim create --vendor A --model B --from-eventlog "$T/s/sys/kernel/security/tpm0/binary_bios_measurements" \
		-o "$T/g.corim"
	rm -r "$T/s/sys/class/tpm/tpm0/pcr-sha1" "$T/s/sys/class/tpm/tpm0/pcr-sha256"
	check_json --local --sysfs-root "$T/s" --rim "$T/g.corim"
	assert_equal "$status" 1
	pyrec '
t = d["inputs"][0]["tpm"]
assert (t["compared"], t["match"], t["banks"], t["unreplayable"]) == (True, False, [], [{"bank": "sha384", "event": 5}]), t
assert t["error"] == "the TPM'"'"'s PCR banks (sha384) are none of those the log replays (sha1, sha256): no PCR could be compared"
'
}

# local_machine ROOT TPM-BANKS LOG-BANKS [evil]: a fake /sys under ROOT for
# --local from host.log.  With evil, the boot loader that ran (the PCR 4
# EV_EFI_BOOT_SERVICES_APPLICATION) is a malicious one: the TPM's banks hold
# what it really measured, and the log tells its real SHA-1 and SHA-256
# digests (which replay to the TPM) but the golden SHA-384 and SHA-512 ones.
# The log keeps the banks of LOG-BANKS (comma-separated); the TPM has those
# of TPM-BANKS, each PCR as the real boot extended it.
local_machine() {
	$PY - evidence/host.log "$@" <<'EOF'
import hashlib, os, struct, sys
src, root, tpm_banks, log_banks = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4].split(",")
evil = len(sys.argv) > 5
NAME = {4: "sha1", 11: "sha256", 12: "sha384", 13: "sha512"}
ID = {v: k for k, v in NAME.items()}
b = open(src, "rb").read()
hdr = 32 + struct.unpack_from("<I", b, 28)[0]
spec = b[32:hdr]
n = struct.unpack_from("<I", spec, 24)[0]
size = dict(struct.unpack_from("<HH", spec, 28 + 4 * i) for i in range(n))
events, o = [], hdr
while o < len(b):
    pcr, typ, cnt = struct.unpack_from("<III", b, o)
    o += 12
    ds = {}
    for _ in range(cnt):
        aid = struct.unpack_from("<H", b, o)[0]
        ds[NAME[aid]] = b[o + 2:o + 2 + size[aid]]
        o += 2 + size[aid]
    dl = struct.unpack_from("<I", b, o)[0]
    events.append((pcr, typ, ds, b[o + 4:o + 4 + dl]))
    o += 4 + dl
real = [dict(e[2]) for e in events]
if evil:
    [shim] = [i for i, e in enumerate(events) if e[0] == 4 and e[1] == 0x80000003]
    real[shim] = {a: hashlib.new(a, b"a malicious shimx64.efi").digest() for a in real[shim]}
    for a in ("sha1", "sha256"):
        events[shim][2][a] = real[shim][a]
spec = spec[:24] + struct.pack("<I", len(log_banks)) + b"".join(
    struct.pack("<HH", ID[a], hashlib.new(a).digest_size) for a in log_banks) + spec[28 + 4 * n:]
log = b[:28] + struct.pack("<I", len(spec)) + spec
for pcr, typ, ds, data in events:
    log += struct.pack("<III", pcr, typ, len(log_banks)) + b"".join(struct.pack("<H", ID[a]) + ds[a] for a in log_banks)
    log += struct.pack("<I", len(data)) + data
os.makedirs(f"{root}/sys/kernel/security/tpm0", exist_ok=True)
open(f"{root}/sys/kernel/security/tpm0/binary_bios_measurements", "wb").write(log)
for a in tpm_banks:
    sz = hashlib.new(a).digest_size
    v = [b"\xff" * sz if 17 <= p <= 22 else bytes(sz) for p in range(24)]
    for (pcr, typ, _, _), ds in zip(events, real):
        if typ != 3:
            v[pcr] = hashlib.new(a, v[pcr] + ds[a]).digest()
    os.makedirs(f"{root}/sys/class/tpm/tpm0/pcr-{a}", exist_ok=True)
    for p in range(24):
        open(f"{root}/sys/class/tpm/tpm0/pcr-{a}/{p}", "w").write(v[p].hex().upper() + "\n")
EOF
}

@test "--local: only digests of banks the TPM confirmed count; the log's other banks match nothing (exit 1)" {
	local L=sys/kernel/security/tpm0/binary_bios_measurements
	# an honest machine whose TPM has SHA-1 and SHA-256 banks: the log's SHA-256 digests confirmed
	local_machine "$T/ok" sha1,sha256 sha1,sha256,sha384,sha512
	fwtrail -q rim create --vendor ACME --model 'X1 server' --from-eventlog evidence/host.log -o "$T/golden.corim"
	fwtrail -q rim sign --key keys/vendor.pem --signer ACME -o "$T/golden.signed.corim" "$T/golden.corim"
	run -0 fwtrail attest check --local --sysfs-root "$T/ok" --rim "$T/golden.signed.corim" --trust trust/vendor.pub
	assert_line "local event log: replays to the TPM's PCRs"
	assert_line 'ok: 15 components: 15 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 15 unreviewed'
	# the same TPM, the vendor's SHA-384 RIM alone: the log's SHA-384 digests prove nothing
	check_json --local --sysfs-root "$T/ok" --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --trust trust/vendor.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 15 unknown, 15 missing (of 34 components)"
	# a malicious boot loader whose log tells the golden SHA-384: not ok, its event unknown
	local_machine "$T/evil" sha1,sha256 sha1,sha256,sha384,sha512 evil
	check_json --local --sysfs-root "$T/evil" --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --trust trust/vendor.pub
	assert_equal "$status" 1
	pyrec '
t = d["inputs"][0]["tpm"]
assert t == {"compared": True, "match": True, "banks": ["sha1", "sha256"], "mismatches": [],
             "unconfirmed": ["sha384", "sha512"]}, t
shim = one(source="eventlog", event=14)
assert shim["status"] == "unknown" and set(shim["digests"]) == {"sha1", "sha256"}, shim
assert shim["digests"]["sha256"] == hashlib.sha256(b"a malicious shimx64.efi").hexdigest()
assert "sha384, sha512 digests are in no PCR bank the TPM confirmed" in shim["note"], shim
assert d["ok"] is False and d["summary"]["match"] == 4
'
	run -1 fwtrail attest check --local --sysfs-root "$T/evil" --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub
	assert_line --regexp '^eventlog pcr4 +#14 EV_EFI_BOOT_SERVICES_APPLICATION sha256:[0-9a-f]{16}\.\.\. unknown +- '
	assert_line "local event log: the TPM did not confirm the log's sha384, sha512 digests: they are not compared with the references"
	# against the golden RIM, which gives SHA-256 too: the confirmed digest is a mismatch
	run -1 fwtrail attest check --local --sysfs-root "$T/evil" --rim "$T/golden.signed.corim" --trust trust/vendor.pub
	assert_line --regexp '^eventlog pcr4 +#14 EV_EFI_BOOT_SERVICES_APPLICATION sha256:[0-9a-f]{16}\.\.\. mismatch '
	assert_line 'NOT OK: 15 components: 14 match, 1 mismatch, 0 unknown, 0 missing; 0 reviewed, 15 unreviewed'
}

@test "--local: a TPM whose banks are none of the log's is a failed replay, not 'not compared' (exit 1)" {
	# the TPM has SHA-1 only (what the malicious boot measured); the log presented has no SHA-1 bank
	local_machine "$T/s" sha1 sha256,sha384,sha512 evil
	check_json --local --sysfs-root "$T/s" --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --trust trust/vendor.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 15 unknown, 15 missing, the local event log has no PCR bank in common with the TPM (nothing could be compared) (of 34 components)"
	pyrec '
t = d["inputs"][0]["tpm"]
assert t == {"compared": True, "match": False, "banks": [], "mismatches": [], "unconfirmed": ["sha256", "sha384", "sha512"],
             "error": "the TPM'"'"'s PCR banks (sha1) are none of those the log replays (sha256, sha384, sha512): no PCR could be compared"}, t
'
	run -1 fwtrail attest check --local --sysfs-root "$T/s" --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub
	assert_line "local event log: does NOT replay to the TPM's PCRs"
	assert_line "local event log: the TPM's PCR banks (sha1) are none of those the log replays (sha256, sha384, sha512): no PCR could be compared"
	refute_line --partial "PCRs not compared"
	# and the audit's measurements rule fails on it, at any level: nothing
	# was compared
	run -1 fwtrail audit --policy policy.json --local --sysfs-root "$T/s" --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_output --partial "not compared with the TPM's PCRs: the TPM's PCR banks (sha1) are none of those the log replays"
}

@test "--local: a PCR file of the TPM that does not read or parse is a failed comparison, never 'not compared' (exit 1)" {
	# sysfs-bad-pcr: the TPM's PCR 4 contradicts the log; a broken PCR 7
	# file must not turn that into "not compared" and the log into plain
	# --evidence (it did: exit 0)
	local P=sys/class/tpm/tpm0
	cp -r sysfs-bad-pcr "$T/gone"
	rm "$T/gone/$P/pcr-sha256/7"
	check_json --local --sysfs-root "$T/gone" --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 15 unknown, 15 missing, the TPM's PCRs could not be read (the local event log could not be compared) (of 34 components)"
	pyrec '
t = d["inputs"][0]["tpm"]
err = "the TPM'"'"'s PCRs could not be read: cannot open '"'"'" + os.environ["BATS_TEST_TMPDIR"] + "/gone/sys/class/tpm/tpm0/pcr-sha256/7'"'"': No such file or directory: no PCR could be compared"
assert t == {"compared": True, "match": False, "banks": [], "mismatches": [],
             "unconfirmed": ["sha1", "sha256", "sha384", "sha512"], "error": err}, t
assert d["ok"] is False
'
	run -1 fwtrail attest check --local --sysfs-root "$T/gone" --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--trust trust/vendor.pub
	assert_line "local event log: does NOT replay to the TPM's PCRs"
	assert_line "local event log: the TPM's PCRs could not be read: cannot open '$T/gone/$P/pcr-sha256/7': No such file or directory: no PCR could be compared"
	refute_line --partial "PCRs not compared"
	# a PCR file holding no digest: the same
	cp -r sysfs-bad-pcr "$T/junk"
	echo garbage > "$T/junk/$P/pcr-sha384/0"
	run --separate-stderr -1 fwtrail attest check --local --sysfs-root "$T/junk" --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub
	assert_line "local event log: the TPM's PCRs could not be read: '$T/junk/$P/pcr-sha384/0': not a sha384 value (96 hex digits expected): no PCR could be compared"
	assert_equal "$stderr" "fwtrail attest check: not ok: 15 unknown, 15 missing, the TPM's PCRs could not be read (the local event log could not be compared) (of 34 components)"
	# and the audit's measurements rule says no, at any level
	run -1 fwtrail audit --policy policy.json --local --sysfs-root "$T/junk" --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_output --partial "not compared with the TPM's PCRs: the TPM's PCRs could not be read"
}

@test "--local: no log is exit 3; a TPM without PCR files is reported, not compared" {
	run --separate-stderr -3 fwtrail attest check --local --sysfs-root "$T" --rim rim/vendor.signed.corim
	assert_equal "$stderr" "fwtrail attest check: no TPM event log at '$T/sys/kernel/security/tpm0/binary_bios_measurements' (no TPM, or securityfs not mounted): No such file or directory"
	mkdir -p "$T/sys/kernel/security/tpm0"
	cp evidence/host.log "$T/sys/kernel/security/tpm0/binary_bios_measurements"
	check_json --local --sysfs-root "$T" --rim rim/vendor.signed.corim
	assert_equal "$status" 1 # the SPDM references are missing
	pyrec '
t = d["inputs"][0]["tpm"]
assert t["compared"] is False and "error" in t, t
assert d["summary"]["missing"] == 4 and d["summary"]["match"] == 15
'
}

@test "several devices, one file name in different folders: every row names its evidence by the path given, escaped" {
	local esc=gpu$'\e'2
	mkdir -p "$T/gpu0" "$T/gpu1" "$T/$esc"
	cp evidence/bmc.spdm "$T/gpu0/bmc.spdm"                # complete
	cp evidence/bmc-partial.spdm "$T/gpu1/bmc.spdm"        # block 4 not measured
	cp evidence/bmc-partial.spdm "$T/$esc/bmc.spdm"
	cd "$T"
	run --separate-stderr -1 fwtrail attest check --evidence gpu0/bmc.spdm --evidence gpu1/bmc.spdm \
		--evidence "$esc/bmc.spdm" --rim "$S/rim/vendor.corim"
	# the base name alone ("(bmc.spdm)") did not say which device is incomplete
	assert_line --regexp '^spdm +4 +- \(gpu1/bmc\.spdm\) +sha384:436acaa6509ee834\.\.\. missing +vendor\.corim 4 +unreviewed$'
	assert_line --regexp '^spdm +4 +- \(gpu\\x1b2/bmc\.spdm\) +sha384:436acaa6509ee834\.\.\. missing +vendor\.corim 4 +unreviewed$'
	refute_line --partial '(bmc.spdm)'
	refute_output --partial $'\e'
	assert_equal "$(grep -c '^spdm .* missing ' <<< "$output")" 2
	# a matching (or mismatching) block says which device gave it too
	assert_line --regexp '^spdm +2 +mutable_firmware \(gpu1/bmc\.spdm\) +sha384:5f81b1538bb04bb3\.\.\. match +vendor\.corim 2 +unreviewed$'
	assert_equal "$(grep -c '^spdm .*(gpu0/bmc\.spdm) .* match ' <<< "$output")" 4
	assert_equal "$(grep -c '^spdm .*(gpu1/bmc\.spdm) .* match ' <<< "$output")" 3
	# (the RIM's 15 event-log references are missing too: no log is given)
	assert_equal "${stderr##*$'\n'}" "fwtrail attest check: not ok: 17 missing (of 27 components)"
}

# host_logs DIR: from evidence/host.log, DIR/seps.log (its header and
# separators only) and DIR/noev.log (its header alone, no extending event).
host_logs() {
	$PY - evidence/host.log "$1" <<'EOF'
import struct, sys
SIZES = {0x0004: 20, 0x000B: 32, 0x000C: 48, 0x000D: 64}
b = open(sys.argv[1], "rb").read()
sz, = struct.unpack_from("<I", b, 28)
hdr, off, evs = b[:32 + sz], 32 + sz, []
while off < len(b):
    pcr, typ, cnt = struct.unpack_from("<III", b, off)
    o = off + 12
    for _ in range(cnt):
        alg, = struct.unpack_from("<H", b, o); o += 2 + SIZES[alg]
    esz, = struct.unpack_from("<I", b, o); o += 4 + esz
    evs.append((typ, b[off:o])); off = o
open(sys.argv[2] + "/seps.log", "wb").write(hdr + b"".join(r for t, r in evs if t == 4))
open(sys.argv[2] + "/noev.log", "wb").write(hdr)
EOF
}

@test "a platform RIM and an update RIM naming the same events: each is matched by the one log, none missing (exit 0)" {
	fwtrail -q rim create --vendor ACME --model "X1 server" --from-eventlog evidence/host.log -o "$T/platform.corim"
	fwtrail -q rim create --vendor ACME --model "X1 server" --from-eventlog evidence/host.log --pcrs 0 -o "$T/update.corim"
	local order
	for order in "platform update" "update platform"; do
		set -- $order
		run --separate-stderr -0 fwtrail attest check --evidence evidence/host.log --rim "$T/$1.corim" --rim "$T/$2.corim"
		assert_line "ok: 15 components: 15 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 15 unreviewed"
		refute_line --regexp " missing +(platform|update)\.corim "
	done
	# the update RIM expecting PCR 0's separator twice: the log holds it once
	S0=$(fwtrail eventlog show --json evidence/host.log | $PY -c 'import json,sys
e = [e for e in json.load(sys.stdin)["events"] if e["pcr"] == 0 and e["type"] == "EV_SEPARATOR"]
assert len(e) == 1, e
print(e[0]["digests"]["sha384"])')
	fwtrail -q rim create --vendor ACME --model "X1 server" --measurement "pcr0:sep1=sha384:$S0" \
		--measurement "pcr0:sep2=sha384:$S0" -o "$T/twice.corim"
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --rim "$T/platform.corim" --rim "$T/twice.corim"
	assert_line --regexp "^eventlog pcr0 +pcr0:sep[12] +sha384:[0-9a-f]{16}\.\.\. +missing +twice.corim pcr0:sep[12] +unreviewed$"
	assert_line --regexp "^NOT OK: 16 components: 15 match, 0 mismatch, 0 unknown, 1 missing;"
}

@test "two event logs: each accounts for every event-log reference; one log's events never stand in for the other's (exit 1)" {
	host_logs "$T"
	# a second host whose log holds only the separators: its other seven
	# references are missing for it (it passed: "27 match, 0 missing")
	check_json --evidence evidence/host.log --evidence "$T/seps.log" --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 7 missing (of 34 components)"
	pyrec '
m = notmatch()
assert len(m) == 7 and all(c["status"] == "missing" and c["evidence"] == os.environ["BATS_TEST_TMPDIR"] + "/seps.log"
                           for c in m), m
assert sorted(c["name"] for c in m) == ["pcr0:bios", "pcr0:crtm-version", "pcr1:boot-order", "pcr4:calling-efi-application",
                                        "pcr4:shim", "pcr5:exit-boot-services", "pcr7:secure-boot"], m
assert d["ok"] is False
'
	run -1 fwtrail attest check --evidence evidence/host.log --evidence "$T/seps.log" --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub
	assert_line --regexp '^eventlog pcr4 +pcr4:shim \(.*seps\.log\) +sha512:[0-9a-f]{16}\.\.\. missing +vendor\.signed\.corim pcr4:shim +unreviewed$'
	assert_line 'NOT OK: 34 components: 27 match, 0 mismatch, 0 unknown, 7 missing; 0 reviewed, 34 unreviewed'
	# a second log with no extending event at all: every reference missing
	# for it, and a line saying it measures nothing
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --evidence "$T/noev.log" \
		--evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --trust trust/vendor.pub
	assert_equal "$stderr" "fwtrail attest check: not ok: 15 missing, event log '$T/noev.log' measures nothing (of 34 components)"
	assert_line "eventlog '$T/noev.log': no extending event: this evidence measures nothing"
	assert_line 'NOT OK: 34 components: 19 match, 0 mismatch, 0 unknown, 15 missing; 0 reviewed, 34 unreviewed'
	# --local beside a log file: the same
	check_json --local --sysfs-root sysfs --evidence "$T/seps.log" --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub
	assert_equal "$status" 1
	assert_equal "$stderr" "fwtrail attest check: not ok: 7 missing (of 34 components)"
	pyrec 'assert {c["evidence"] for c in notmatch()} == {os.environ["BATS_TEST_TMPDIR"] + "/seps.log"}, notmatch()'
	# the same host twice accounts for everything: ok
	run -0 fwtrail attest check --evidence evidence/host.log --evidence evidence/host.log --evidence evidence/bmc.spdm \
		--rim rim/vendor.signed.corim --trust trust/vendor.pub
	assert_line 'ok: 34 components: 34 match, 0 mismatch, 0 unknown, 0 missing; 0 reviewed, 34 unreviewed'
}

@test "usage errors exit 2" {
	run -2 fwtrail attest check --rim rim/vendor.signed.corim
	assert_output --partial "no evidence given (--evidence or --local)"
	run -2 fwtrail attest check --evidence evidence/bmc.spdm
	assert_output --partial "no RIM given (--rim)"
	run -2 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.corim evidence/host.log
	assert_output --partial "unexpected argument 'evidence/host.log'"
	run -2 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.corim --sysfs-root sysfs
	run -2 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.corim --at yesterday
	run -2 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.corim --trust firmware/boot
	assert_output --partial "no trusted key found in --trust"
	run -2 fwtrail attest
}

@test "unreadable inputs exit 3; malformed evidence, RIMs and SFRs exit 4 naming the file and offset" {
	run --separate-stderr -3 fwtrail attest check --evidence "$T/absent" --rim rim/vendor.corim
	assert_output ""
	head -c 300 evidence/host.log > "$T/cut.log"
	run --separate-stderr -4 fwtrail attest check --evidence "$T/cut.log" --rim rim/vendor.corim
	assert_equal "$output" ""
	assert_regex "$stderr" "^fwtrail attest check: '$T/cut.log': .*(offset|byte)"
	printf 'not evidence at all\n' > "$T/junk"
	run --separate-stderr -4 fwtrail attest check --evidence "$T/junk" --rim rim/vendor.corim
	assert_regex "$stderr" "^fwtrail attest check: '$T/junk': not an event log or SPDM evidence fwtrail reads: "
	head -c 100 rim/vendor.signed.corim > "$T/cut.corim"
	run --separate-stderr -4 fwtrail attest check --evidence evidence/bmc.spdm --rim "$T/cut.corim"
	assert_regex "$stderr" "^fwtrail attest check: '$T/cut.corim': "
	printf '{"device": [], "audit": {}}' > "$T/bad.json"
	run --separate-stderr -4 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.corim --sfr "$T/bad.json"
	assert_regex "$stderr" "^fwtrail attest check: '$T/bad.json': .*device"
	# --json: one object with the error, same exit status
	run --separate-stderr -4 fwtrail attest check --json --evidence "$T/junk" --rim rim/vendor.corim
	printf '%s' "$output" > "$T/rec.json"
	$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is False and d["error"]["code"] == "malformed" and "components" not in d, d' "$T/rec.json"
}

@test "SFRs in CoRIM form count like JWS ones: the published COSE_Sign report verifies (alg inferred)" {
	need_corpus sfr/Reports
	f=$(find "$CORPORA/sfr/Reports" -name '*_signed.cbor' | head -n 1)
	[ -n "$f" ] || skip "no CoRIM-form SFR in the corpus"
	check_json --evidence evidence/bmc.spdm --rim rim/vendor.corim --sfr "$f" --trust "$CORPORA/sfr/SRP_certificates"
	pyrec '
s = [x for x in d["signatures"] if x["kind"] == "sfr"][0]
assert s["verified"] is True and s["format"] == "cose-sign" and s["error"] is None, s
i = [x for x in d["inputs"] if x["kind"] == "sfr"][0]
assert i["format"] == "cose-sign" and i.get("alg_inferred") is True, i
'
	# without a trust store it is reported as signed but not checked
	check_json --evidence evidence/bmc.spdm --rim rim/vendor.corim --sfr "$f"
	pyrec '
s = [x for x in d["signatures"] if x["kind"] == "sfr"][0]
assert s["verified"] is False and s["error"].startswith("not checked"), s
'
	# and fwtrail's own signed CoRIM-form SFR for the BMC reviews it
	fwtrail sfr convert --to corim -o "$T/bmc.corim" sfr/bmc-3.1.unsigned.json
	fwtrail sfr sign --format cose --key keys/reviewer.pem --kid reviewer -o "$T/bmc.cose" "$T/bmc.corim"
	check_json --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim --sfr "$T/bmc.cose" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	pyrec '
c = one(source="spdm", index=2)
assert c["review"]["status"] == "reviewed" and c["review"]["report"].endswith("bmc.cose"), c
'
}

@test "hostile input never crashes: every truncation of the evidence and the RIM exits 0, 1 or 4" {
	for f in evidence/bmc.spdm rim/vendor.signed.corim; do
		n=$(wc -c < "$f")
		for len in 0 1 7 8 31 32 33 100 $((n / 2)) $((n - 97)) $((n - 1)); do
			head -c "$len" "$f" > "$T/cut"
			if [ "$f" = evidence/bmc.spdm ]; then
				run run_limited "$FWTRAIL" attest check --evidence "$T/cut" --rim rim/vendor.corim
			else
				run run_limited "$FWTRAIL" attest check --evidence evidence/bmc.spdm --rim "$T/cut"
			fi
			[ "$status" -eq 4 ] || [ "$status" -eq 1 ] || fail "$f cut at $len: exit $status: $output"
		done
	done
}

@test "strings from a RIM are escaped in the table: no forged lines, no terminal escapes" {
	fwtrail rim create --vendor ACME --model 'X1 server' \
		--measurement $'evil\e[31m\nok: 99 components'=sha384:$(printf '%096d' 0) -o "$T/evil.corim"
	run --separate-stderr -1 fwtrail attest check --evidence evidence/bmc.spdm --rim "$T/evil.corim"
	refute_output --partial $'\e'
	refute_line --regexp '^ok: 99'
	assert_line --regexp '^eventlog pcr\? +evil\\x1b\[31m\\x0aok: 99 components +sha384:0{16}\.\.\. missing +evil\.corim evil\\x1b'
	check_json --evidence evidence/bmc.spdm --rim "$T/evil.corim"
	pyrec '
c = one(status="missing")
assert c["name"] == "evil\x1b[31m\nok: 99 components" and c["index"] is None and c["source"] == "eventlog"
'
}

@test "a malformed SWID RIM: exit 4, the message names the file once" {
	printf '<SoftwareIdentity xmlns="http://standards.iso.org/iso/19770/-2/2015/schema.xsd" name="a" tagId="b" version="1"><Payload><x a="1" a="2"/></Payload></SoftwareIdentity>' > "$BATS_TEST_TMPDIR/bad.swidtag"
	run --separate-stderr -4 fwtrail attest check --evidence "$TESTDATA/evidence/spdm/spdm12.bin" --rim "$BATS_TEST_TMPDIR/bad.swidtag"
	assert_equal "$stderr" "fwtrail attest check: '$BATS_TEST_TMPDIR/bad.swidtag': malformed XML at line 1, column 135: Attribute a redefined"
}

@test "a review binds only through a digest the matched reference vouches for: an event's other banks borrow no review" {
	# a log whose BIOS event carries the BIOS's SHA-384 (what a SHA-384 RIM
	# compares) and shimx64.efi's SHA-512 (what the boot loader's SFR
	# manifest lists): the BIOS keeps its own review, never the clean one
	$PY - "$ROOT/scripts/mk-server-testdata.py" "$T" <<'PY'
import hashlib, importlib.util, sys
spec = importlib.util.spec_from_file_location("mkst", sys.argv[1])
mk = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mk)
gel, out = mk.gel, sys.argv[2]
img = mk.images()
lab = mk.host_events(img)
ev = [e for _, e in lab]
banks = ["sha1", "sha256", "sha384", "sha512"]
b = ev[1]
ds = {a: b.digest(a) for a in banks}
ds["sha512"] = hashlib.sha512(img["boot/shimx64.efi"]).digest()
ev[1] = gel.Ev(b.pcr, b.type, b.data, digests=ds)
open(out + "/split.log", "wb").write(gel.agile_log(ev, banks))
open(out + "/refs.txt", "w").write("\n".join("%s=sha384:%s" % (k, e.digest("sha384").hex()) for k, e in lab) + "\n")
PY
	local -a refs=()
	while read -r r; do refs+=(--measurement "$r"); done < "$T/refs.txt"
	fwtrail rim create --vendor ACME --model "X1 server" --class-id 4c1e7a2e-6f0b-4d1c-9a53-3f2e8b7d5a10 "${refs[@]}" -o "$T/h.corim"
	fwtrail rim sign --key keys/vendor.pem --signer ACME --not-before 2026-01-01 --not-after 2036-01-01 -o "$T/h.signed.corim" "$T/h.corim"
	run -0 fwtrail attest check -e "$T/split.log" -r "$T/h.signed.corim" -s sfr/bios-2.0.sfr.jws -s sfr/boot.sfr.jws \
		-t trust/vendor.pub --sfr-trust trust/reviewer.pub --at 2026-06-01T00:00:00Z
	assert_line --regexp '^eventlog pcr0 +#2 EV_EFI_PLATFORM_FIRMWARE_BLOB .* match .* Road Runner Audits, 2 issues \(max CVSS 8\.8\)$'
	# only SHA-384 is vouched for: the shim's SFR manifest (SHA-512) binds nothing
	assert_line --regexp '^eventlog pcr4 +#14 EV_EFI_BOOT_SERVICES_APPLICATION .* match .* unreviewed$'
	# without the BIOS's own report, the BIOS is unreviewed, not reviewed clean
	run -0 fwtrail attest check -e "$T/split.log" -r "$T/h.signed.corim" -s sfr/boot.sfr.jws \
		-t trust/vendor.pub --sfr-trust trust/reviewer.pub --at 2026-06-01T00:00:00Z
	assert_line --regexp '^eventlog pcr0 +#2 EV_EFI_PLATFORM_FIRMWARE_BLOB .* match .* unreviewed$'
}

# A review's issues were rebuilt for each component it covers (events x
# issues: 16000 repeated BIOS events and a 1000-issue report took 20 s in
# text), each rejection was an object per (component, report) pair (4000
# events and 1000 copies of a report not counted: 2.3 GB), and the
# products walked their own list per component.  Review round 18.
@test "many events reviewed by a report of many issues, or rejected by many reports: seconds and little memory" {
	skip_if_sanitized "timing and peak RSS"
	$PY - "$S/evidence/host.log" "$T/long.log" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
end = 32 + struct.unpack_from("<I", data, 28)[0]
spec = data[32:end]
sizes = {}
for i in range(struct.unpack_from("<I", spec, 24)[0]):
    a, s = struct.unpack_from("<HH", spec, 28 + 4 * i)
    sizes[a] = s
recs, off = [], end
while off < len(data):  # the log's records; the second is the BIOS blob
    st = off
    nd = struct.unpack_from("<III", data, off)[2]
    off += 12
    for _ in range(nd):
        off += 2 + sizes[struct.unpack_from("<H", data, off)[0]]
    off += 4 + struct.unpack_from("<I", data, off)[0]
    recs.append(data[st:off])
open(sys.argv[2], "wb").write(data[:end] + recs[1] * 16000)
EOF
	$PY -c 'import json, sys
json.dump([{"title": "Issue %d" % i, "cvss_score": "8.8", "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
            "cwe": "CWE-%d" % (100 + i), "description": "d", "cve": None} for i in range(1000)], open(sys.argv[1], "w"))' \
		"$T/issues.json"
	fwtrail -q sfr create --vendor ACME --product "X1 server" --category server --repo-tag v2.0 --fw-version 2.0 \
		--fw firmware/bios-2.0.bin --srp "Road Runner Audits" --methodology whitebox --report-version 1.0 --scope 1 \
		--completion-date 2026-02-10 --issues "$T/issues.json" -o "$T/bios.json"
	fwtrail -q sfr sign --key keys/reviewer.pem --kid "Road Runner Audits" -o "$T/bios.jws" "$T/bios.json"
	run --separate-stderr -1 timeout 10 "$FWTRAIL" attest check --evidence "$T/long.log" --rim rim/vendor.signed.corim \
		--sfr "$T/bios.jws" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub --at 2026-06-01
	assert_regex "${lines[1]}" "^eventlog pcr0 +#1 EV_EFI_PLATFORM_FIRMWARE_BLOB .* match +vendor.signed.corim pcr0:bios +Road Runner Audits, 1000 issues \(max CVSS 8.8\)$"
	assert_equal "${lines[-1]}" "NOT OK: 16018 components: 16000 match, 0 mismatch, 0 unknown, 18 missing; 16000 reviewed, 18 unreviewed"
	# 200 copies of a report completed after the appraisal time: one line, in little memory
	sfrs=()
	for i in $(seq 200); do sfrs+=(--sfr sfr/bios-2.0.sfr.jws); done
	rss=$(peak_rss_kib "$FWTRAIL" attest check --evidence "$T/long.log" --rim rim/vendor.signed.corim "${sfrs[@]}" \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub --at 2026-01-02)
	[ "$rss" -lt 262144 ] || fail "peak RSS $rss KiB"
	run --separate-stderr -1 "$FWTRAIL" attest check --evidence "$T/long.log" --rim rim/vendor.signed.corim \
		"${sfrs[@]}" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub --at 2026-01-02
	run -0 grep -c "^sfr 'sfr/bios-2.0.sfr.jws': not counted as a review: it was completed after the appraisal time$" \
		<<<"$output"
	assert_output 1
}

@test "an SFR, JSON or text given as --rim is not a RIM (exit 6), and the message says what it is" {
	run --separate-stderr -6 fwtrail attest check --evidence evidence/bmc.spdm --rim sfr/bmc-3.1.sfr.jws
	assert_equal "$stderr" "fwtrail attest check: 'sfr/bmc-3.1.sfr.jws': not a RIM fwtrail reads (a CoRIM is CBOR, a TCG SWID tag is XML): it is a compact JWS, as a signed OCP SAFE SFR is (give SFRs with --sfr)"
	run --separate-stderr -6 fwtrail attest check --evidence evidence/bmc.spdm --rim sfr/bmc-3.1.unsigned.json
	[[ $stderr == *": it is JSON, as an unsigned OCP SAFE SFR is (give SFRs with --sfr)" ]] || fail "$stderr"
	printf 'reference values, as prose\n' > "$T/prose.txt"
	run --separate-stderr -6 fwtrail audit --policy policy.json --evidence evidence/bmc.spdm --rim "$T/prose.txt"
	assert_equal "${stderr_lines[0]}" "fwtrail audit: '$T/prose.txt': not a RIM fwtrail reads (a CoRIM is CBOR, a TCG SWID tag is XML)"
}

@test "a reference label that looks like a PCR binding but is not one is unverifiable, never a reference for any PCR (exit 1)" {
	D=$(fwtrail attest check --json --evidence evidence/host.log --rim rim/vendor.signed.corim 2>/dev/null |
		$PY -c 'import json,sys; print([c for c in json.load(sys.stdin)["components"] if c["source"] == "eventlog" and c["index"] == 0][0]["digests"]["sha384"])')
	fwtrail -q rim create --vendor ACME --model "X1 server" --from-eventlog evidence/host.log -o "$T/good.corim"
	run --separate-stderr -0 fwtrail attest check --evidence evidence/host.log --rim "$T/good.corim"
	local l
	for l in pcr00:bios PCR0:bios 'pcr0 :bios' pcr24 Pcr7; do
		fwtrail -q rim create --vendor ACME --model "X1 server" --from-eventlog evidence/host.log \
			--measurement "$l=sha384:$D" -o "$T/l.corim" --force
		run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --rim "$T/l.corim"
		assert_line "unverifiable: '$T/l.corim': the RIM's label '$l' looks like a PCR binding but is not one (\"pcrN\" or \"pcrN:...\", N 0 to 23 without a leading zero): fwtrail cannot tell which PCR it is for"
		assert_line --regexp '^NOT OK: '
		[[ $stderr == *"1 reference that cannot be compared"* ]] || fail "$l: $stderr"
	done
}

@test "a TCG base SWID RIM naming a support RIM is unverifiable, not silently nothing to compare (exit 1)" {
	B="$TESTDATA/swid/good/base-rsa-sha256.swidtag"
	fwtrail -q rim create --vendor ACME --model "X1 server" --from-eventlog evidence/host.log -o "$T/good.corim"
	run --separate-stderr -0 fwtrail attest check --evidence evidence/host.log --rim "$T/good.corim"
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --rim "$T/good.corim" --rim "$B"
	assert_line "unverifiable: '$B': the RIM's Payload File 'acme-bios.rimel' is a support RIM (a reference event log), which attest check does not read: its reference values are not used"
	assert_line --regexp '^NOT OK: '
	check_json --evidence evidence/host.log --rim "$T/good.corim" --rim "$B"
	assert_equal "$status" 1
	pyrec '
u = d["unverifiable"]
assert len(u) == 1 and u[0]["format"] == "swid" and u[0]["key"] == "acme-bios.rimel" and u[0]["source"] == "eventlog", u
assert u[0]["index"] is None and u[0]["algs"] == ["sha256"] and d["ok"] is False, u
'
}

@test "two reviews of one date, as grave, as many and as varied issues: the lower SHA-256 wins, whatever the order" {
	local i
	for i in 798 20; do
		resign sfr/bmc-3.1.sfr.jws "$T/cwe$i.jws" "
p['audit']['issues'] = [{'title': 'Key', 'cvss_score': '9.8', 'cvss_vector': 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'cwe': 'CWE-$i', 'description': '', 'cve': None}]"
	done
	W=$($PY -c 'import hashlib,sys; print(min(sys.argv[1:], key=lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()))' \
		"$T/cwe798.jws" "$T/cwe20.jws")
	[ "$W" = "$T/cwe798.jws" ] && L="$T/cwe20.jws" || L="$T/cwe798.jws"
	for order in "$T/cwe798.jws $T/cwe20.jws" "$T/cwe20.jws $T/cwe798.jws"; do
		set -- $order
		check_json --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
			--sfr "$1" --sfr "$2" --trust trust/vendor.pub --sfr-trust trust/reviewer.pub \
			--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem --at 2026-11-01T00:00:00Z
		assert_equal "$status" 0
		W="$W" L="$L" pyrec '
r = one(source="spdm", index=2)["review"]
assert r["report"] == os.environ["W"], (r["report"], os.environ["W"])
assert [x["report"] for x in r["rejected"]] == [os.environ["L"]], r["rejected"]
assert "whose bytes have the lower SHA-256" in r["rejected"][0]["reason"], r["rejected"][0]
'
	done
}

@test "a device chain checked against the RIM signers' --trust alone says where its root goes (exit 1)" {
	run --separate-stderr -1 fwtrail attest check --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
		--spdm-cert evidence/bmc-chain.pem --trust trust/vendor.pub
	assert_line "spdm 'evidence/bmc.spdm': signature NOT verified: cannot validate the responder's chain: the trust store holds no certificate to anchor a chain (give the device's root as the SPDM trust store, apart from the RIM signers)"
	run --separate-stderr -0 fwtrail attest check --evidence evidence/bmc.spdm --evidence evidence/host.log \
		--rim rim/vendor.signed.corim --spdm-cert evidence/bmc-chain.pem --trust trust/vendor.pub \
		--spdm-trust evidence/bmc-root.pem
	assert_line --regexp "^spdm 'evidence/bmc.spdm': signature verified with 'evidence/bmc-chain.pem' .*; chain validated; "
}

@test "attest check: '-' reads one --evidence, --rim or --sfr from standard input; '-' twice is a usage error naming both" {
	local args=(--rim rim/vendor.signed.corim --trust trust/vendor.pub)
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log "${args[@]}"
	local want=${lines[${#lines[@]} - 1]}
	run --separate-stderr -1 fwtrail attest check --evidence - "${args[@]}" < evidence/host.log
	assert_equal "${lines[${#lines[@]} - 1]}" "$want"
	refute_regex "$stderr" "cannot open"
	check_json --evidence evidence/bmc.spdm --evidence - --rim - --trust trust/vendor.pub < evidence/host.log
	assert_equal "$status" 2
	assert_equal "$stderr" $'fwtrail attest check: --evidence and --rim are both \'-\': standard input can be read once\nTry \'fwtrail attest check --help\'.'
	run --separate-stderr -1 fwtrail attest check --evidence evidence/host.log --rim - --trust trust/vendor.pub \
		< rim/vendor.signed.corim
	assert_equal "${lines[${#lines[@]} - 1]}" "$want"
	run --separate-stderr -2 fwtrail attest check --evidence evidence/host.log --rim rim/vendor.signed.corim \
		--sfr - --sfr - < /dev/null
	assert_equal "${stderr%%$'\n'*}" "fwtrail attest check: --sfr is '-' twice: standard input can be read once"
}

@test "attest check: '-' as a trusted key, an SPDM chain or root is a usage error (exit 2), not a file named '-'" {
	local o
	for o in --trust --key --sfr-trust --spdm-trust --spdm-cert; do
		run --separate-stderr -2 fwtrail attest check --evidence evidence/host.log --rim rim/vendor.signed.corim "$o" - \
			< trust/vendor.pub
		assert_regex "${stderr%%$'\n'*}" "^fwtrail attest check: $o: (trusted keys are read from files or folders|certificate chains are read from files), not standard input \('-'\)$"
		assert_equal "$output" ""
	done
}

@test "--json: every signatures[] entry has key_fingerprint beside fingerprint (kept), the key export fingerprint; null where no key verified" {
	vfp=$(fwtrail --json key export trust/vendor.pub | jq -r .sha256_fingerprint)
	rfp=$(fwtrail --json key export trust/reviewer.pub | jq -r .sha256_fingerprint)
	[[ $vfp =~ ^[0-9a-f]{64}$ && $rfp =~ ^[0-9a-f]{64}$ ]]
	check_json --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim "${SFRS[@]}" \
		--trust trust/vendor.pub --sfr-trust trust/reviewer.pub
	assert_equal "$status" 0
	assert_equal "$(jq -c '[.signatures[] | [.path, .key_fingerprint, .fingerprint]]' "$T/rec.json")" \
		"[[\"rim/vendor.signed.corim\",\"$vfp\",\"$vfp\"],[\"sfr/bios-2.0.sfr.jws\",\"$rfp\",\"$rfp\"],[\"sfr/bmc-3.1.sfr.jws\",\"$rfp\",\"$rfp\"],[\"sfr/boot.sfr.jws\",\"$rfp\",\"$rfp\"],[\"evidence/bmc.spdm\",null,null]]"
	# a forged RIM: no key verified it
	check_json --evidence evidence/bmc.spdm --rim rim/vendor.forged.corim --trust trust/vendor.pub
	assert_equal "$status" 1
	assert_equal "$(jq -c '[.signatures[] | select(.kind == "rim") | [.verified, .key_fingerprint]]' "$T/rec.json")" "[[false,null]]"
}
