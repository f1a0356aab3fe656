#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail audit log verify|show: a log written by another program, a
# 100-record log built once with one command per record and tampered with
# (edits, deletions, swaps, truncations: every one found and named; the
# library test goes through every record), crash leftovers, signed
# checkpoints and their interop, and several writers at once.

load helpers

A="$TESTDATA/audit"
# checkpoints are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512
# (RSA-4096): testdata/audit/keys/log.* is a P-256 key, which signs none
K="$TESTDATA/keys"
# the time of the records in testdata/audit: the signatures rule reads a
# record's "verified" only at its own time
AT=2026-11-22T17:00:00Z

# 99 audits, the last one signed: 100 lines
setup_file() {
	local i
	export L100="$BATS_FILE_TMPDIR/hundred.jsonl"
	for i in $(seq 98); do
		"$FWTRAIL" audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$L100" \
			$([ "$i" -gt 1 ] || echo --new-log) >/dev/null
	done
	"$FWTRAIL" audit --at "$AT" --appraisal "$A/records/cvss-high.json" --policy "$A/policies/nolog.json" --log "$L100" \
		--sign-key "$K/p384.key.pem" >/dev/null || true
	HEAD100=$("$FWTRAIL" --json audit log verify "$L100" | $PY -c 'import json,sys; print(json.load(sys.stdin)["head"]["sha256"])')
	export HEAD100
}

setup() {
	T=$BATS_TEST_TMPDIR
}

# print line n (1-based) of the 100-record log, or everything but it
line_of() { sed -n "$1p" "$L100"; }

@test "a log written by another program verifies, with its head" {
	run --separate-stderr -0 fwtrail audit log verify --head "$(cat "$A/logs/history.head")" "$A/logs/history.jsonl"
	assert_output "$A/logs/history.jsonl: 5 records (5 audits, 0 checkpoints), chain intact; head: record 5, sha256 $(cat "$A/logs/history.head")"
	run -0 fwtrail --json audit log verify "$A/logs/history.jsonl"
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["ok"] and o["records"] == 5 and o["audits"] == 5 and o["checkpoints"] == 0 and "first_bad" not in o' "$output"
}

@test "show prints the history; --since filters it; --json gives the records" {
	run --separate-stderr -0 fwtrail audit log show "$A/logs/history.jsonl"
	assert_line --index 0 --regexp '^ +seq +time +verdict +policy: inputs$'
	assert_line --regexp '^     2  2026-03-05T10:30:00Z  fail        policies/all.json: records/audit-2.json, evidence/spdm.bin, evidence/eventlog.bin \(\+4 more\); not passed: measurements \(fail\); host bmc-lab-07$'
	[ "${#lines[@]}" -eq 6 ]
	run -0 fwtrail audit log show --since 2026-06-01 "$A/logs/history.jsonl"
	[ "${#lines[@]}" -eq 3 ]
	assert_line --partial "     4  2026-07-01T08:00:00Z  warn"
	run -0 fwtrail audit log show --since 2026-09-30T16:45:01Z "$A/logs/history.jsonl"
	assert_output "no records since then"
	run -0 fwtrail audit log show --json --since 2026-05-20 "$A/logs/history.jsonl"
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert [r["seq"] for r in o["records"]] == [3, 4, 5] and all(len(r["sha256"]) == 64 for r in o["records"])' "$output"
	run --separate-stderr -2 fwtrail audit log show --since last-week "$A/logs/history.jsonl"
	[[ $stderr == *"--since: 'last-week' is not a date"* ]]
}

# show --json held a deep copy of every record: about seven times the log's
# size (100000 audits, 150 MB: 1.1 GB).  It walks the chain twice, the
# second time writing each record as it is read.  Review round 18.
@test "show --json of a long log takes little memory; the same records, laid out as any JSON output" {
	skip_if_sanitized "peak RSS"
	$PY - "$A/logs/history.jsonl" "$T/long.jsonl" <<'EOF'
import hashlib, json, sys
tmpl = json.loads(open(sys.argv[1]).readline())
prev = "0" * 64
with open(sys.argv[2], "wb") as f:
    for i in range(20000):
        r = dict(tmpl, seq=i + 1, prev=prev)
        r["products"] = [{"fw_version": "1.%d" % i, "product": "P%d" % i, "svn": i, "vendor": "V"}]
        line = (json.dumps(r, sort_keys=True, separators=(",", ":")) + "\n").encode()
        f.write(line)
        prev = hashlib.sha256(line).hexdigest()
EOF
	rss=$(peak_rss_kib "$FWTRAIL" audit log show --json "$T/long.jsonl")
	[ "$rss" -lt 65536 ] || fail "peak RSS $rss KiB"
	run -0 bash -c '"$0" audit log show --json "$1" > "$2"' "$FWTRAIL" "$T/long.jsonl" "$T/show.json"
	$PY - "$T/show.json" "$T/long.jsonl" <<'EOF'
import hashlib, json, sys
text = open(sys.argv[1], encoding="utf-8").read()
d = json.loads(text)
lines = open(sys.argv[2], "rb").read().splitlines(keepends=True)
assert d["ok"] is True and len(d["records"]) == 20000, len(d["records"])
assert [r["sha256"] for r in d["records"]] == [hashlib.sha256(l).hexdigest() for l in lines]
assert d["records"][-1]["products"][0]["product"] == "P19999"
assert text == json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "layout differs"
EOF
	# an edited record: the records before it (the edited line is found by
	# the next line's prev, and is not shown), and first_bad
	sed -i '15000s/"P14999"/"P14998"/' "$T/long.jsonl"
	run -1 bash -c '"$0" audit log show --json "$1" > "$2"' "$FWTRAIL" "$T/long.jsonl" "$T/bad.json"
	$PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and [r["seq"] for r in d["records"]] == list(range(1, 15000)), len(d["records"])
assert d["first_bad"]["seq"] == 15000 and d["first_bad"]["problem"] == "edited", d["first_bad"]' "$T/bad.json"
}

@test "the 100-record log verifies, with its key and head" {
	run -0 fwtrail audit log verify --key "$K/p384.pub.pem" --head "$HEAD100" "$L100"
	assert_line --partial "100 records (99 audits, 1 checkpoint), chain intact; head: record 100"
	assert_line "checkpoints verified with '$K/p384.pub.pem': 1"
	run -0 "$ROOT/scripts/mk-audit-testdata.py" --check "$L100" "$K/p384.pub.pem"
	assert_output "100 records, 1 checkpoints verified"
	# without the key, a warning says the checkpoints were not verified
	run --separate-stderr -0 fwtrail audit log verify "$L100"
	assert_equal "$stderr" "fwtrail audit log verify: warning: the checkpoints' signatures were not verified: no --key given"
	[ "${#lines[@]}" -eq 1 ]
	run --separate-stderr -0 fwtrail audit log verify "$A/logs/history.jsonl" # no checkpoint: nothing to say
	assert_equal "$stderr" ""
}

# verify a changed copy; expect exit 1 naming problem at line
expect_bad() {
	local file=$1 problem=$2 line=$3
	run --separate-stderr -1 fwtrail --json audit log verify --key "$K/p384.pub.pem" --head "$HEAD100" "$file"
	$PY -c 'import json,sys; b=json.loads(sys.argv[1])["first_bad"]; assert (b["problem"], b["line"]) == (sys.argv[2], int(sys.argv[3])), b' \
		"$output" "$problem" "$line" || fail "expected $problem at line $line: $output"
	[[ $stderr == "fwtrail audit log verify: '$file': line $line"*": $problem: "* ]] || fail "$stderr"
}

@test "edits are found and the edited record named" {
	local n
	for n in 1 2 17 50 73 98 99; do
		line_of "$n" > "$T/l"
		sed -i 's/"host":"\(.\)/"host":"X\1/' "$T/l"
		{ head -n $((n - 1)) "$L100"; cat "$T/l"; tail -n +$((n + 1)) "$L100"; } > "$T/e.jsonl"
		expect_bad "$T/e.jsonl" edited "$n"
	done
	# the checkpoint itself: its time no longer matches what it signs
	{ head -n 99 "$L100"; line_of 100 | sed 's/"time":"2/"time":"1/'; } > "$T/e.jsonl"
	expect_bad "$T/e.jsonl" bad_checkpoint 100
	# a change that breaks the JSON
	{ head -n 9 "$L100"; line_of 10 | sed 's/}$//'; tail -n +11 "$L100"; } > "$T/e.jsonl"
	expect_bad "$T/e.jsonl" edited 10
}

@test "deletions, swaps and insertions are found and named" {
	local n
	for n in 1 2 33 66 98 99; do
		sed "${n}d" "$L100" > "$T/d.jsonl"
		expect_bad "$T/d.jsonl" deleted "$n"
	done
	for n in 1 34 67 98 99; do
		{ head -n $((n - 1)) "$L100"; line_of $((n + 1)); line_of "$n"; tail -n +$((n + 2)) "$L100"; } > "$T/s.jsonl"
		expect_bad "$T/s.jsonl" reordered "$n"
	done
	for n in 1 45 99; do
		{ head -n "$n" "$L100"; line_of "$n"; tail -n +$((n + 1)) "$L100"; } > "$T/i.jsonl"
		expect_bad "$T/i.jsonl" inserted $((n + 1))
	done
}

@test "truncations are found: inside a record always, at a record boundary by key or head" {
	local n size
	for n in 1 50 99 100; do
		size=$(head -n "$n" "$L100" | wc -c)
		head -c $((size - 7)) "$L100" > "$T/t.jsonl"
		expect_bad "$T/t.jsonl" truncated "$n"
		run -1 fwtrail audit log verify "$T/t.jsonl"   # no key, no head: still found
	done
	for n in 1 50 98; do
		head -n "$n" "$L100" > "$T/t.jsonl"
		run --separate-stderr -1 fwtrail audit log verify --head "$HEAD100" "$T/t.jsonl"
		[[ $stderr == *"truncated: no record hashes to the head ${HEAD100:0:16}..."* ]]
		run --separate-stderr -1 fwtrail audit log verify --key "$K/p384.pub.pem" "$T/t.jsonl"
		[[ $stderr == *"unsigned: the log holds no checkpoint"* ]]
	done
	# the last checkpoint cut off
	head -n 99 "$L100" > "$T/t.jsonl"
	run -1 fwtrail audit log verify --head "$HEAD100" "$T/t.jsonl"
}

@test "show stops at the first bad record (exit 1) after printing the good ones" {
	sed '5d' "$L100" > "$T/d.jsonl"
	run --separate-stderr -1 fwtrail audit log show "$T/d.jsonl"
	[ "${#lines[@]}" -eq 5 ]
	[[ $stderr == *"line 5 (seq 6): deleted"* ]]
}

# An edited record is found by the next line's prev; show printed it (as a
# record that verified) before it got there.  Records are shown once the
# next line's prev has matched them.
@test "show never prints the record it then names as edited, in text or JSON" {
	sed '5s/"host":"/"host":"EDITED-/' "$L100" > "$T/e.jsonl"
	grep -q '"host":"EDITED-' "$T/e.jsonl"
	run --separate-stderr -1 fwtrail audit log show "$T/e.jsonl"
	[ "${#lines[@]}" -eq 5 ] || fail "$output"   # the header and records 1 to 4
	[[ ${lines[4]} == "     4  "* ]]
	[[ $output != *EDITED-* ]]
	[[ $stderr == *"line 5 (seq 5): edited: the SHA-256 of line 5 is not the prev of line 6"* ]] || fail "$stderr"
	run --separate-stderr -1 fwtrail audit log show --json "$T/e.jsonl"
	$PY -c 'import json, sys
d = json.loads(sys.argv[1])
assert [r["seq"] for r in d["records"]] == [1, 2, 3, 4], d["records"]
assert d["first_bad"]["line"] == 5 and d["first_bad"]["problem"] == "edited", d["first_bad"]' "$output"
	# a bad line after good ones: the record before it is shown
	sed '6s/"seq":6/"seq":60/' "$L100" > "$T/s.jsonl"
	run --separate-stderr -1 fwtrail audit log show "$T/s.jsonl"
	[ "${#lines[@]}" -eq 6 ] || fail "$output"
	[[ ${lines[5]} == "     5  "* ]]
}

@test "a checkpoint signed by another key fails; a log without one cannot satisfy --key" {
	run --separate-stderr -1 fwtrail audit log verify --key "$K/other-p384.pub.pem" "$L100"
	[[ $stderr == *"line 100 (seq 100): bad_checkpoint: signed by key 9a4e7de26084d4da..., not by the key given"* ]]
	run --separate-stderr -1 fwtrail audit log verify --key "$K/p384.pub.pem" "$A/logs/history.jsonl"
	[[ $stderr == *"unsigned: the log holds no checkpoint to verify with the key given"* ]]
	# a checkpoint made by another program verifies; one by the wrong key does not
	cp "$A/logs/history.jsonl" "$T/h.jsonl"
	run -0 "$ROOT/scripts/mk-audit-testdata.py" --append-checkpoint "$T/h.jsonl" "$K/p384.key.pem" 2026-10-01T00:00:00Z
	run -0 fwtrail audit log verify --key "$K/p384.pub.pem" "$T/h.jsonl"
	assert_line "checkpoints verified with '$K/p384.pub.pem': 1"
	run -0 "$ROOT/scripts/mk-audit-testdata.py" --append-checkpoint "$T/h.jsonl" "$K/other-p384.key.pem" 2026-10-02T00:00:00Z
	run --separate-stderr -1 fwtrail audit log verify --key "$K/p384.pub.pem" "$T/h.jsonl"
	[[ $stderr == *"line 7 (seq 7): bad_checkpoint"* ]]
	# and fwtrail keeps appending to a log another program extended
	run -1 fwtrail audit --at "$AT" --appraisal "$A/records/cvss-high.json" --policy "$A/policies/nolog.json" --log "$T/h.jsonl"
	run -0 fwtrail audit log verify "$T/h.jsonl"
	assert_output --partial "8 records (6 audits, 2 checkpoints)"
}

@test "a certificate as --key vouches for checkpoints only inside its dates and key usage (exit 1)" {
	local TR="$TESTDATA/trust" mk="$ROOT/scripts/mk-audit-testdata.py"
	cp "$A/logs/history.jsonl" "$T/h.jsonl"
	run -0 "$mk" --append-checkpoint "$T/h.jsonl" "$K/p384.key.pem" 2026-10-01T00:00:00Z
	run -0 fwtrail audit log verify --key "$K/p384.crt.pem" "$T/h.jsonl"
	assert_line "checkpoints verified with '$K/p384.crt.pem': 1"
	run -0 fwtrail audit log verify --key "$TR/p384-current.crt.pem" "$T/h.jsonl"
	# expired before the checkpoint was signed
	run --separate-stderr -1 fwtrail audit log verify --key "$TR/p384-expired.crt.pem" "$T/h.jsonl"
	assert_equal "$stderr" "fwtrail audit log verify: '$T/h.jsonl': line 6 (seq 6): bad_checkpoint: the key given does not vouch for it: certificate '$TR/p384-expired.crt.pem' (O = fwtrail tests, CN = fwtrail test signer p384-expired) expired on 2021-01-01T00:00:00Z, checked at 2026-10-01T00:00:00Z"
	assert_output ""
	run --separate-stderr -1 fwtrail --json audit log verify --key "$TR/p384-expired.crt.pem" "$T/h.jsonl"
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["ok"] is False and o["first_bad"]["problem"] == "bad_checkpoint" and "expired on 2021-01-01" in o["first_bad"]["message"], o' "$output"
	# a device's identity signs no checkpoint
	run --separate-stderr -1 fwtrail audit log verify --key "$TR/p384-spdm-eku.crt.pem" "$T/h.jsonl"
	[[ $stderr == *"bad_checkpoint: the key given does not vouch for it: certificate '$TR/p384-spdm-eku.crt.pem' ("*") is an SPDM device identity"* ]] || fail "$stderr"
	# a checkpoint dated before the records it signs (audits of 2026) is
	# not fwtrail's: the key of a certificate that expired in 2021 cannot
	# vouch for them by backdating it, with or without --key
	cp "$A/logs/history.jsonl" "$T/old.jsonl"
	run -0 "$mk" --append-checkpoint "$T/old.jsonl" "$K/p384.key.pem" 2020-06-01T00:00:00Z
	for key in "$TR/p384-expired.crt.pem" "$K/p384.pub.pem" ""; do
		run --separate-stderr -1 fwtrail audit log verify ${key:+--key "$key"} "$T/old.jsonl"
		assert_equal "$stderr" "fwtrail audit log verify: '$T/old.jsonl': line 6 (seq 6): bad_checkpoint: its \"time\" 2020-06-01T00:00:00Z is before that of the record it signs (2026-09-30T16:45:00Z): a checkpoint is stamped after the records it covers"
	done
	# so is one stamped at the epoch
	cp "$A/logs/history.jsonl" "$T/epoch.jsonl"
	run -0 "$mk" --append-checkpoint "$T/epoch.jsonl" "$K/p384.key.pem" 1970-01-01T00:00:00Z
	run --separate-stderr -1 fwtrail audit log verify "$T/epoch.jsonl"
	[[ $stderr == *"bad_checkpoint: its \"time\" 1970-01-01T00:00:00Z is before that of the record it signs"* ]] || fail "$stderr"
	# one dated in the future (2045) is vouched for by no certificate, not
	# even one valid then (2040 to 2050): that time is not come
	cp "$A/logs/history.jsonl" "$T/future.jsonl"
	run -0 "$mk" --append-checkpoint "$T/future.jsonl" "$K/p384.key.pem" 2045-01-01T00:00:00Z
	for key in "$TR/p384-future.crt.pem" "$TR/p384-current.crt.pem"; do
		run --separate-stderr -1 fwtrail audit log verify --key "$key" "$T/future.jsonl"
		[[ $stderr == *"line 6 (seq 6): bad_checkpoint: its \"time\" 2045-01-01T00:00:00Z is after the time of this verification ("*")" ]] || fail "$key: $stderr"
	done
	# a bare key has no dates (a host whose clock ran fast is no forger)
	run -0 fwtrail audit log verify --key "$K/p384.pub.pem" "$T/future.jsonl"
	run -0 fwtrail audit log verify "$T/future.jsonl" # the chain alone
	# a CA certificate (keyCertSign, cRLSign) signs certificates, not checkpoints
	cp "$A/logs/history.jsonl" "$T/ca.jsonl"
	run -0 fwtrail audit -q --at 2026-11-22T17:00:00Z --appraisal "$A/records/good.json" \
		--policy "$A/policies/nolog.json" --log "$T/ca.jsonl" --sign-key "$K/ca.key.pem"
	run -0 fwtrail audit log verify --key "$K/ca.pub.pem" "$T/ca.jsonl"
	run --separate-stderr -1 fwtrail audit log verify --key "$K/ca.crt.pem" "$T/ca.jsonl"
	assert_equal "$stderr" "fwtrail audit log verify: '$T/ca.jsonl': line 7 (seq 7): bad_checkpoint: the key given does not vouch for it: certificate '$K/ca.crt.pem' may not sign data: its key usage does not include digitalSignature"
}

# craft_checkpoint LOG KEY ALG OUT [CT|-] [KID]: LOG's first record and a
# checkpoint after it, made by Python's cryptography and cbor2 (no fwtrail
# code): the COSE algorithm ALG (-7 ES256, -35 ES384, -36 ES512, -37 PS256,
# -38 PS384, -39 PS512), content type CT ("-": none; default the
# checkpoint's), kid the key's fingerprint unless KID (hex) is given
craft_checkpoint() {
	$PY - "$@" <<'PY'
import base64, hashlib, json, sys
import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

log, keyfile, alg, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ct = sys.argv[5] if len(sys.argv) > 5 else "application/vnd.fwtrail.audit-checkpoint+cbor"
key = serialization.load_pem_private_key(open(keyfile, "rb").read(), None)
spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
fpr = hashlib.sha256(spki).digest()
kid = bytes.fromhex(sys.argv[6]) if len(sys.argv) > 6 else fpr
first = open(log, "rb").read().split(b"\n")[0] + b"\n"
rec = json.loads(first)
head = hashlib.sha256(first).digest()
payload = cbor2.dumps({"seq": rec["seq"], "head": head, "time": rec["time"]}, canonical=True)
hdr = {1: alg, 4: kid}
if ct != "-":
    hdr[3] = ct
prot = cbor2.dumps(hdr, canonical=True)
tbs = cbor2.dumps(["Signature1", prot, b"", payload])
h = {-7: hashes.SHA256, -35: hashes.SHA384, -36: hashes.SHA512, -37: hashes.SHA256, -38: hashes.SHA384,
     -39: hashes.SHA512}[alg]()
if isinstance(key, ec.EllipticCurvePrivateKey):
    n = (key.curve.key_size + 7) // 8
    r, s = utils.decode_dss_signature(key.sign(tbs, ec.ECDSA(h)))
    sig = r.to_bytes(n, "big") + s.to_bytes(n, "big")
else:
    sig = key.sign(tbs, padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), h)
cose = cbor2.dumps(cbor2.CBORTag(18, [prot, {}, payload, sig]))
cp = {"type": "checkpoint", "seq": rec["seq"] + 1, "prev": head.hex(), "time": rec["time"], "key": fpr.hex(),
      "cose": base64.b64encode(cose).decode()}
open(out, "wb").write(first + json.dumps(cp, sort_keys=True, separators=(",", ":")).encode() + b"\n")
PY
}

@test "a COSE_Sign1 by the log's key is a checkpoint only with the checkpoint content type and kid" {
	run -1 fwtrail audit -q --at 2026-11-22T17:00:00Z --appraisal "$A/records/cvss-high.json" \
		--policy "$A/policies/nolog.json" --log "$T/log.jsonl" --new-log
	run -0 craft_checkpoint "$T/log.jsonl" "$K/p384.key.pem" -35 "$T/ok.jsonl"
	run -0 fwtrail audit log verify --key "$K/p384.pub.pem" "$T/ok.jsonl"
	assert_line "checkpoints verified with '$K/p384.pub.pem': 1"
	# the audit turned into a pass, and the checkpoint over it made by the
	# same key in its other job: a firmware signature of the payload's bytes
	# (fwtrail sign --format cose, detached), the payload attached again
	$PY - "$T/log.jsonl" "$T" <<'PY'
import cbor2, hashlib, json, sys
rec = json.loads(open(sys.argv[1], "rb").read().split(b"\n")[0])
for r in rec["rules"]:
    r["outcome"], r["reasons"] = "pass", []
rec["verdict"] = "pass"
line = json.dumps(rec, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode() + b"\n"
open(sys.argv[2] + "/forged.line", "wb").write(line)
pay = cbor2.dumps({"seq": 1, "head": hashlib.sha256(line).digest(), "time": rec["time"]}, canonical=True)
open(sys.argv[2] + "/payload.bin", "wb").write(pay)
PY
	run -0 fwtrail sign -q --key "$K/p384.key.pem" --format cose -o "$T/payload.cose" "$T/payload.bin"
	$PY - "$T" "$K/p384.pub.pem" <<'PY'
import base64, cbor2, hashlib, json, subprocess, sys
t = sys.argv[1]
msg = cbor2.loads(open(t + "/payload.cose", "rb").read())
msg.value[2] = open(t + "/payload.bin", "rb").read()
line = open(t + "/forged.line", "rb").read()
der = subprocess.run(["openssl", "pkey", "-pubin", "-in", sys.argv[2], "-outform", "DER"], check=True,
                     capture_output=True).stdout
cp = {"type": "checkpoint", "seq": 2, "prev": hashlib.sha256(line).hexdigest(), "time": json.loads(line)["time"],
      "key": hashlib.sha256(der).hexdigest(), "cose": base64.b64encode(cbor2.dumps(msg)).decode()}
open(t + "/forged.jsonl", "wb").write(line + json.dumps(cp, sort_keys=True, separators=(",", ":")).encode() + b"\n")
PY
	local why="bad_checkpoint: its COSE_Sign1 is not a checkpoint"
	local ct="not 'application/vnd.fwtrail.audit-checkpoint+cbor')"
	run --separate-stderr -1 fwtrail audit log verify --key "$K/p384.pub.pem" "$T/forged.jsonl"
	assert_equal "$stderr" "fwtrail audit log verify: '$T/forged.jsonl': line 2 (seq 2): $why (no content type in its protected header, $ct"
	assert_output ""
	# without a key the form is checked too, so show stops there
	run --separate-stderr -1 fwtrail audit log verify "$T/forged.jsonl"
	[[ $stderr == *"line 2 (seq 2): $why (no content type"* ]] || fail "$stderr"
	run --separate-stderr -1 fwtrail audit log show "$T/forged.jsonl"
	[[ $stderr == *"line 2 (seq 2): $why (no content type"* ]] || fail "$stderr"
	# another content type (a signed CoRIM's), one that only starts like it
	run -0 craft_checkpoint "$T/log.jsonl" "$K/p384.key.pem" -35 "$T/ct.jsonl" application/rim+cbor
	run --separate-stderr -1 fwtrail --json audit log verify --key "$K/p384.pub.pem" "$T/ct.jsonl"
	$PY -c 'import json,sys; b=json.loads(sys.argv[1])["first_bad"]; assert b["problem"] == "bad_checkpoint" and b["line"] == 2 and "(content type '"'"'application/rim+cbor'"'"', not " in b["message"], b' "$output"
	run -0 craft_checkpoint "$T/log.jsonl" "$K/p384.key.pem" -35 "$T/ct.jsonl" "application/vnd.fwtrail.audit-checkpoint+cbor;x=1"
	run --separate-stderr -1 fwtrail audit log verify "$T/ct.jsonl"
	[[ $stderr == *"$why (content type 'application/vnd.fwtrail.audit-checkpoint+cbor;x=1', $ct" ]] || fail "$stderr"
	# a kid that is not the record's key
	run -0 craft_checkpoint "$T/log.jsonl" "$K/p384.key.pem" -35 "$T/kid.jsonl" application/vnd.fwtrail.audit-checkpoint+cbor 00
	run --separate-stderr -1 fwtrail audit log verify --key "$K/p384.pub.pem" "$T/kid.jsonl"
	[[ $stderr == *"line 2 (seq 2): bad_checkpoint: its COSE_Sign1's kid is not the record's \"key\""* ]] || fail "$stderr"
}

@test "a checkpoint's algorithm is the one bound to the key: ES384, ES512, PS384 (RSA-3072), PS512 (RSA-4096)" {
	run -0 fwtrail audit -q --at 2026-11-22T17:00:00Z --appraisal "$A/records/good.json" \
		--policy "$A/policies/nolog.json" --log "$T/log.jsonl" --new-log
	local spec k alg name
	for spec in p384:-35 p521:-36 rsa3072:-38 rsa4096:-39; do
		IFS=: read -r k alg <<<"$spec"
		run -0 craft_checkpoint "$T/log.jsonl" "$K/$k.key.pem" "$alg" "$T/c.jsonl"
		run -0 fwtrail audit log verify --key "$K/$k.pub.pem" "$T/c.jsonl"
		assert_line "checkpoints verified with '$K/$k.pub.pem': 1"
	done
	for spec in rsa2048:-38:PS384:rsa-2048 rsa2048:-37:PS256:rsa-2048 rsa3072:-39:PS512:rsa-3072 \
		rsa3072:-37:PS256:rsa-3072 rsa4096:-38:PS384:rsa-4096 p256:-7:ES256:ec-p256 p384:-7:ES256:ec-p384; do
		IFS=: read -r k alg name desc <<<"$spec"
		run -0 craft_checkpoint "$T/log.jsonl" "$K/$k.key.pem" "$alg" "$T/c.jsonl"
		run --separate-stderr -1 fwtrail audit log verify --key "$K/$k.pub.pem" "$T/c.jsonl"
		assert_equal "$stderr" "fwtrail audit log verify: '$T/c.jsonl': line 2 (seq 2): bad_checkpoint: $name with key '$K/$k.pub.pem' ($desc) is not accepted: checkpoints are ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)"
	done
	# and fwtrail signs none of those: refused before the log is touched
	for k in p256 rsa2048; do
		run --separate-stderr -6 fwtrail audit --at 2026-11-22T17:00:00Z --appraisal "$A/records/good.json" \
			--policy "$A/policies/nolog.json" --log "$T/$k.jsonl" --new-log --sign-key "$K/$k.key.pem"
		[[ $stderr == "fwtrail audit: key '$K/$k.key.pem' is "*": audit log checkpoints are signed with ES384 (P-384), ES512 (P-521), PS384 (RSA-3072) or PS512 (RSA-4096)" ]] || fail "$stderr"
		assert_output ""
		[ ! -e "$T/$k.jsonl" ]
	done
}

@test "a FIFO at the log's path is refused at once (exit 3), never waited on" {
	mkfifo "$T/fifo.jsonl"
	local v
	for v in verify show; do
		run --separate-stderr -3 timeout 20 "$FWTRAIL" audit log $v "$T/fifo.jsonl"
		assert_equal "$stderr" "fwtrail audit log $v: audit log '$T/fifo.jsonl' is not a regular file"
		assert_output ""
	done
	run --separate-stderr -3 timeout 20 "$FWTRAIL" audit log verify --key "$K/p384.pub.pem" "$T/fifo.jsonl"
	# as audit --log says
	run --separate-stderr -3 timeout 20 "$FWTRAIL" audit --at "$AT" --appraisal "$A/records/good.json" \
		--policy "$A/policies/nolog.json" --log "$T/fifo.jsonl"
	assert_equal "$stderr" "fwtrail audit: audit log '$T/fifo.jsonl' is not a regular file"
}

@test "a record cut by a crash is refused by the next append, which changes nothing" {
	head -c 2000 "$A/logs/history.jsonl" > "$T/c.jsonl"
	cp "$T/c.jsonl" "$T/before.jsonl"
	run --separate-stderr -4 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/c.jsonl"
	[[ $stderr == *"ends in the middle of a record (a crash during a write, or a cut): refusing to append; run 'fwtrail audit log verify'"* ]]
	assert_equal "$output" ""
	cmp "$T/c.jsonl" "$T/before.jsonl"
	run --separate-stderr -1 fwtrail audit log verify "$T/c.jsonl"
	[[ $stderr == *"line 2: truncated: incomplete"* ]]
}

@test "an append the file size limit cuts short names the cause (EFBIG), exit 3, and leaves the log as it was" {
	run -0 fwtrail audit -q --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/l.jsonl" --new-log
	cp "$T/l.jsonl" "$T/before.jsonl"
	local blocks=$((($(stat -c %s "$T/l.jsonl") + 1500) / 1024))
	# with SIGXFSZ ignored, the write past the limit is short, then fails
	run --separate-stderr -3 bash -c "trap '' XFSZ; ulimit -f $blocks; exec '$FWTRAIL' audit -q --at '$AT' --appraisal '$A/records/good.json' \
		--policy '$A/policies/nolog.json' --log '$T/l.jsonl'"
	assert_equal "$stderr" "fwtrail audit: cannot append to audit log '$T/l.jsonl': File too large"
	cmp "$T/l.jsonl" "$T/before.jsonl"
	run -0 fwtrail audit log verify "$T/l.jsonl"
	# with SIGXFSZ left at its default (a shell's ulimit -f, LimitFSIZE=),
	# it killed fwtrail half-way through the record: the log was cut and
	# every later audit refused until repaired by hand
	run --separate-stderr -3 bash -c "trap - XFSZ; ulimit -f $blocks; exec '$FWTRAIL' audit -q --at '$AT' --appraisal '$A/records/good.json' \
		--policy '$A/policies/nolog.json' --log '$T/l.jsonl'"
	assert_equal "$stderr" "fwtrail audit: cannot append to audit log '$T/l.jsonl': File too large"
	cmp "$T/l.jsonl" "$T/before.jsonl"
	run -0 fwtrail audit log verify "$T/l.jsonl"
}

@test "T2: a missing log is an error, not a new history; --new-log starts one and never reuses one" {
	local good=("$A/records/good.json" --policy "$A/policies/all.json" --at 2026-11-22T17:00:00Z)
	# against its real history, an older BMC is a rollback...
	cp "$A/logs/history.jsonl" "$T/real.jsonl"
	run -1 fwtrail audit --appraisal "$A/records/rollback-older.json" --policy "$A/policies/all.json" \
		--at 2026-11-22T17:00:00Z --log "$T/real.jsonl"
	assert_line "      'ACME' 'BMC': fw_version 1.2.0 is below 1.2.3, recorded in audit log record 3"
	# ... and with the log gone it is not passed on an empty history: exit 3, nothing created
	rm "$T/real.jsonl"
	run --separate-stderr -3 fwtrail audit --appraisal "$A/records/rollback-older.json" --policy "$A/policies/all.json" \
		--at 2026-11-22T17:00:00Z --log "$T/real.jsonl"
	assert_equal "$stderr" "fwtrail audit: cannot open audit log '$T/real.jsonl': it does not exist (start a new log with --new-log)"
	assert_equal "$output" ""
	[ ! -e "$T/real.jsonl" ]
	# --new-log starts it: one record, chained from genesis
	run --separate-stderr -0 fwtrail audit --appraisal "${good[@]}" --log "$T/new.jsonl" --new-log
	assert_line "logged as record 1; head: record 1, sha256 $(sha256sum < "$T/new.jsonl" | cut -d' ' -f1)"
	run -0 fwtrail audit log verify "$T/new.jsonl"
	assert_output "$T/new.jsonl: 1 record (1 audit, 0 checkpoints), chain intact; head: record 1, sha256 $(sha256sum < "$T/new.jsonl" | cut -d' ' -f1)"
	# ... and never again: an existing log, even an empty file, is left alone
	cp "$T/new.jsonl" "$T/before.jsonl"
	run --separate-stderr -3 fwtrail audit --appraisal "${good[@]}" --log "$T/new.jsonl" --new-log
	assert_equal "$stderr" "fwtrail audit: cannot start audit log '$T/new.jsonl': it already exists (drop --new-log to append to it)"
	cmp "$T/new.jsonl" "$T/before.jsonl"
	: > "$T/empty.jsonl"
	run -3 fwtrail audit --appraisal "${good[@]}" --log "$T/empty.jsonl" --new-log
	[ ! -s "$T/empty.jsonl" ]
	# an empty log was cut to nothing: no history to continue (exit 4)
	run --separate-stderr -4 fwtrail audit --appraisal "${good[@]}" --log "$T/empty.jsonl"
	[[ $stderr == *"audit log '$T/empty.jsonl' is empty: its records were cut off, or it was never written; refusing to start its history again" ]]
	[ ! -s "$T/empty.jsonl" ]
	# a first audit that stops before its record leaves no file behind
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); r["products"][0]["fw_version"]="1.2.4-rc1"; json.dump(r, open(sys.argv[2],"w"))' \
		"$A/records/good.json" "$T/rc.json"
	run --separate-stderr -4 fwtrail audit --at "$AT" --appraisal "$T/rc.json" --policy "$A/policies/all.json" --log "$T/n2.jsonl" --new-log
	[[ $stderr == *"cannot order version '1.2.4-rc1'"* ]]
	[ ! -e "$T/n2.jsonl" ]
	# usage
	run --separate-stderr -2 fwtrail audit --appraisal "${good[@]}" --new-log
	[[ $stderr == *"--new-log starts the log given with --log: it needs --log"* ]]
	run --separate-stderr -2 fwtrail audit --appraisal "${good[@]}" --log "$T/x.jsonl" -o "$T/x.jsonl" --new-log
	[[ $stderr == *"-o and --log name the same file"* ]]
	[ ! -e "$T/x.jsonl" ]
	# however it is spelled, with or without --force (the report would replace the new log)
	mkdir -p "$T/sub"
	for o in "$T/sub/../x.jsonl" "$T/./x.jsonl"; do
		run --separate-stderr -2 fwtrail audit --appraisal "${good[@]}" --log "$T/x.jsonl" -o "$o" --new-log --force
		[[ $stderr == *"-o and --log name the same file"* ]]
		[ ! -e "$T/x.jsonl" ]
	done
}

@test "an empty file is no log: verify, show and audit --log all refuse it (exit 4)" {
	local msg="audit log '$T/empty.jsonl' is empty: its records were cut off, or it was never written"
	: > "$T/empty.jsonl"
	run --separate-stderr -4 fwtrail audit log verify "$T/empty.jsonl"
	assert_equal "$stderr" "fwtrail audit log verify: $msg (fwtrail never leaves a log without a record)"
	assert_output ""
	run --separate-stderr -4 fwtrail audit log verify --key "$K/p384.pub.pem" --head "$HEAD100" "$T/empty.jsonl"
	assert_equal "$stderr" "fwtrail audit log verify: $msg (fwtrail never leaves a log without a record)"
	run --separate-stderr -4 fwtrail audit log show "$T/empty.jsonl"
	assert_equal "$stderr" "fwtrail audit log show: $msg (fwtrail never leaves a log without a record)"
	assert_output ""
	run --separate-stderr -4 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" \
		--log "$T/empty.jsonl"
	assert_equal "$stderr" "fwtrail audit: $msg; refusing to start its history again"
	[ ! -s "$T/empty.jsonl" ]
	local v
	for v in verify show; do
		run --separate-stderr -4 fwtrail audit log $v --json "$T/empty.jsonl"
		$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["ok"] is False and o["error"]["code"] == "malformed" and "is empty" in o["error"]["message"], o' "$output"
	done
}

@test "a file that is no audit log is said to be none (exit 4); an edit after a good first record stays exit 1" {
	local why="line 1 is not an audit log record"
	local tail="(a log whose first record was overwritten reads the same)"
	cp "$A/policies/all.json" "$T/policy.json"
	echo '{"fwtrail_policy":1,"rules":[{"rule":"measurements"}]}' > "$T/oneline.json"
	local f cause
	while IFS='|' read -r f cause; do
		run --separate-stderr -4 fwtrail audit log verify "$T/$f"
		assert_equal "$stderr" "fwtrail audit log verify: '$T/$f' is not an fwtrail audit log: $why: $cause $tail"
		assert_output ""
		run --separate-stderr -4 fwtrail audit log show "$T/$f"
		assert_equal "$stderr" "fwtrail audit log show: '$T/$f' is not an fwtrail audit log: $why: $cause $tail"
		run --separate-stderr -4 fwtrail audit log verify --json "$T/$f"
		$PY -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["ok"] is False and o["error"]["code"] == "malformed" and "is not an fwtrail audit log" in o["error"]["message"], o' "$output"
		# audit --log appends nothing to it, and says why
		cp "$T/$f" "$T/before"
		run --separate-stderr -4 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" \
			--log "$T/$f"
		assert_equal "$stderr" "fwtrail audit: '$T/$f' is not an fwtrail audit log: $why: $cause $tail"
		cmp "$T/$f" "$T/before"
	done <<-EOF
		policy.json|JSON error at byte 1 (\$): string or '}' expected near end of file
		oneline.json|a JSON object without the "type", "seq" and "prev" of a record
	EOF
	# a real log whose first line was overwritten is refused the same way:
	# a failure (4), never a pass
	{ echo garbage; tail -n +2 "$A/logs/history.jsonl"; } > "$T/garbled.jsonl"
	run --separate-stderr -4 fwtrail audit log verify "$T/garbled.jsonl"
	[[ $stderr == "fwtrail audit log verify: '$T/garbled.jsonl' is not an fwtrail audit log: $why: JSON error"* ]] || fail "$stderr"
	run --separate-stderr -4 fwtrail audit log verify --head "$(cat "$A/logs/history.head")" "$T/garbled.jsonl"
	# a first record edited in place is still a record: "edited", exit 1
	{ sed -n 1p "$A/logs/history.jsonl" | sed 's/"host":"[a-z]/"host":"X/'; tail -n +2 "$A/logs/history.jsonl"; } > "$T/edited1.jsonl"
	run --separate-stderr -1 fwtrail audit log verify "$T/edited1.jsonl"
	[[ $stderr == "fwtrail audit log verify: '$T/edited1.jsonl': line 1 (seq 1): edited: "* ]] || fail "$stderr"
	# anything after a good first record is an edit: exit 1
	{ sed -n 1p "$A/logs/history.jsonl"; echo '{"fwtrail_policy": 1}'; tail -n +3 "$A/logs/history.jsonl"; } > "$T/edited2.jsonl"
	run --separate-stderr -1 fwtrail audit log verify "$T/edited2.jsonl"
	assert_equal "$stderr" "fwtrail audit log verify: '$T/edited2.jsonl': line 2: edited: not a valid record: no \"type\", \"seq\" or \"prev\""
}

@test "audit --log refuses a log edited, deleted or reordered in the middle (exit 4), appending nothing" {
	local n
	# line 2 edited, line 3 deleted, lines 2 and 3 swapped
	{ head -n 1 "$A/logs/history.jsonl"; sed -n 2p "$A/logs/history.jsonl" | sed 's/"host":"b/"host":"X/'; tail -n +3 "$A/logs/history.jsonl"; } > "$T/edited.jsonl"
	sed 3d "$A/logs/history.jsonl" > "$T/deleted.jsonl"
	{ sed -n 1p "$A/logs/history.jsonl"; sed -n 3p "$A/logs/history.jsonl"; sed -n 2p "$A/logs/history.jsonl"
	  tail -n +4 "$A/logs/history.jsonl"; } > "$T/reordered.jsonl"
	for n in edited deleted reordered; do
		cp "$T/$n.jsonl" "$T/before.jsonl"
		run --separate-stderr -4 fwtrail audit --appraisal "$A/records/good.json" --policy "$A/policies/all.json" \
			--at 2026-11-22T17:00:00Z --log "$T/$n.jsonl"
		[[ $stderr == "fwtrail audit: the audit log does not verify: "*"$n"* ]] || fail "$n: $stderr"
		assert_equal "$output" ""
		cmp "$T/$n.jsonl" "$T/before.jsonl"
	done
}

@test "logs that are links, folders or absent" {
	cp "$A/logs/history.jsonl" "$T/real.jsonl"
	ln -s real.jsonl "$T/link.jsonl"
	run --separate-stderr -3 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/link.jsonl"
	[[ $stderr == *"cannot open audit log '$T/link.jsonl': it is a symbolic link"* ]]
	run -3 fwtrail audit log verify "$T/link.jsonl"
	run -3 fwtrail audit log verify "$T"
	# only the log's own name must not be a link: a folder above it may be
	ln -s "$T" "$T/dir"
	run -0 fwtrail audit log verify "$T/dir/real.jsonl"
	run -0 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/dir/real.jsonl"
	run -3 fwtrail audit log show "$T/absent.jsonl"
	run --separate-stderr -2 fwtrail audit log verify
	run --separate-stderr -2 fwtrail audit log verify a b
	run --separate-stderr -2 fwtrail audit log verify --head abc "$T/real.jsonl"
	run --separate-stderr -2 fwtrail audit log frobnicate
	assert_equal "$stderr" "fwtrail audit log: unknown verb 'frobnicate'
Try 'fwtrail audit log --help'."
}

@test "eight writers at once: every record lands, the chain holds" {
	# the library test runs 8 x 200 appends; through the command, 8 x 25
	local w
	run -0 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/c.jsonl" --new-log
	for w in 1 2 3 4 5 6 7 8; do
		(
			for i in $(seq 25); do
				"$FWTRAIL" audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" \
					--log "$T/c.jsonl" >/dev/null || exit 1
			done
		) &
	done
	for w in 1 2 3 4 5 6 7 8; do wait -n || fail "a writer failed"; done
	run -0 fwtrail audit log verify "$T/c.jsonl"
	assert_output --partial "201 records (201 audits, 0 checkpoints), chain intact"
	[ "$(wc -l < "$T/c.jsonl")" -eq 201 ]
}

@test "completion and help reach the nested verbs" {
	cw() {
		bash -c 'source "$1/completions/fwtrail.bash"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _fwtrail; printf "%s\n" "${COMPREPLY[@]}"' _ "$ROOT" "$@"
	}
	run -0 cw fwtrail audit l
	assert_line log
	run -0 cw fwtrail audit --policy p.json --fo
	assert_line --format
	run -0 cw fwtrail audit --format ""
	assert_line junit
	run -0 cw fwtrail audit log ""
	assert_line verify
	assert_line show
	run -0 cw fwtrail audit log verify --h
	assert_line --head
	run -0 fwtrail audit --completion-helper
	assert_line log
	assert_line --policy=policy
	run -0 fwtrail help audit log
	assert_line --partial "verify       check the hash chain and the signed checkpoints"
	run -0 fwtrail audit log verify --help
	assert_line "usage: fwtrail audit log verify [--key pub] [--head sha256] [--timeout seconds] [--json] log"
	assert_line "See fwtrail-audit-log-verify(1) for details."
}

@test "a verify and an append that open the log between its creation and its first record wait for it (exit 0)" {
	command -v strace > /dev/null || skip "strace is not installed"
	cd "$T"
	# strace widens the creator's real open()->flock() window to 0.4 s
	(strace_fwtrail -f -o /dev/null -e trace=flock -e inject=flock:delay_enter=400000:when=1 \
		"$FWTRAIL" audit --policy "$A/policies/all.json" --appraisal "$A/records/good.json" \
		--at 2026-11-22T17:00:00Z --log log.jsonl --new-log -q; echo $? > creator.rc) &
	for i in $(seq 100); do [ -e log.jsonl ] && break; sleep 0.01; done
	[ -e log.jsonl ]
	run -0 fwtrail audit log verify log.jsonl
	run -0 fwtrail audit --policy "$A/policies/all.json" --appraisal "$A/records/good.json" \
		--at 2026-11-22T17:00:00Z --log log.jsonl -q
	wait
	assert_equal "$(cat creator.rc)" 0
	run -0 fwtrail audit log verify log.jsonl
	assert_output --partial "2 records (2 audits, 0 checkpoints), chain intact"
	# an empty log that stays empty is still cut off (exit 4)
	: > empty.jsonl
	run -4 fwtrail audit log verify empty.jsonl
}

@test "--new-log stopped before its first record (SIGINT, SIGTERM, SIGKILL) leaves no file: the log can be started again" {
	command -v strace > /dev/null || skip "strace is not installed"
	cd "$T"
	local sig
	# the signal at the lock taken right after the log is created, and at
	# the fsync of its first record: both before the log is named
	for sig in INT TERM KILL; do
		for at in flock fsync; do
			run strace_fwtrail -f -o /dev/null -e trace=$at -e inject=$at:signal=$sig:when=1 \
				"$FWTRAIL" audit --policy "$A/policies/all.json" --appraisal "$A/records/good.json" \
				--at 2026-11-22T17:00:00Z --log new.jsonl --new-log -q
			[ "$status" -ne 0 ] || fail "SIG$sig at $at: exit 0"
			[ ! -e new.jsonl ] || fail "SIG$sig at $at left new.jsonl ($(stat -c %s new.jsonl) bytes)"
			[ -z "$(ls -A)" ] || fail "SIG$sig at $at left $(ls -A)"
		done
	done
	run -0 fwtrail audit --policy "$A/policies/all.json" --appraisal "$A/records/good.json" \
		--at 2026-11-22T17:00:00Z --log new.jsonl --new-log -q
	run -0 fwtrail audit log verify new.jsonl
	assert_output --partial "new.jsonl: 1 record (1 audit, 0 checkpoints), chain intact"
}

@test "audit log show and verify never print into the log they read (exit 2, the log unchanged)" {
	cd "$T"
	cp "$A/logs/history.jsonl" log.jsonl
	cp log.jsonl keep.jsonl
	for verb in show verify; do
		run --separate-stderr -2 bash -c '"$1" audit log "$2" log.jsonl >> log.jsonl' _ "$FWTRAIL" "$verb"
		assert_equal "$stderr" "fwtrail audit log $verb: refusing to write standard output: it is one of the inputs"
		cmp log.jsonl keep.jsonl
	done
	run -0 fwtrail audit log verify log.jsonl
}

@test "a report that cannot be written after the record was logged says so, with the record and head (exit 3)" {
	command -v strace > /dev/null || skip "strace is not installed"
	run -0 fwtrail audit -q --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/l.jsonl" --new-log
	# the report's rename or link into place fails; the log append before it did not
	run --separate-stderr -3 strace_fwtrail -f -o /dev/null -e inject=linkat,rename,renameat,renameat2:error=EIO \
		"$FWTRAIL" audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/l.jsonl" -o "$T/rep.txt"
	local head
	head=$(tail -n 1 "$T/l.jsonl" | sha256sum | cut -c1-64)
	assert_equal "$stderr" "fwtrail audit: cannot write '$T/rep.txt': Input/output error
fwtrail audit: warning: the audit was logged before the failure: record 2 of '$T/l.jsonl', head $head"
	[ ! -e "$T/rep.txt" ]
	run --separate-stderr -3 strace_fwtrail -f -o /dev/null -e inject=linkat,rename,renameat,renameat2:error=EIO \
		"$FWTRAIL" --json audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/l.jsonl" -o "$T/rep.txt"
	run -0 jq -c '[.ok, .log.seq, .error.code]' <<< "$output"
	assert_output '[false,3,"io"]'
}

@test "a report that cannot be written to standard output after the record was logged says so, with the record and head (exit 3)" {
	run -0 fwtrail audit -q --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/l.jsonl" --new-log
	local seq=1 head form
	for form in "" "--format json" "--json" "--format junit" "--json --format junit -o $T/rep.xml --force"; do
		seq=$((seq + 1))
		# shellcheck disable=SC2086
		run --separate-stderr -3 bash -c '"$@" > /dev/full' _ "$FWTRAIL" audit --at "$AT" --appraisal "$A/records/good.json" \
			--policy "$A/policies/nolog.json" --log "$T/l.jsonl" $form
		head=$(tail -n 1 "$T/l.jsonl" | sha256sum | cut -c1-64)
		assert_equal "$stderr" "fwtrail audit: write error on standard output: No space left on device
fwtrail audit: warning: the audit was logged before the failure: record $seq of '$T/l.jsonl', head $head"
		[ "$(wc -l < "$T/l.jsonl")" -eq "$seq" ] || fail "$form: the record was not logged once"
	done
	# a failed verdict too: the report is what failed (exit 3, not 1)
	run --separate-stderr -3 bash -c '"$@" > /dev/full' _ "$FWTRAIL" audit --at "$AT" --appraisal "$A/records/cvss-high.json" \
		--policy "$A/policies/nolog.json" --log "$T/l.jsonl"
	assert_equal "${stderr_lines[1]}" "fwtrail audit: warning: the audit was logged before the failure: record 7 of '$T/l.jsonl', head $(tail -n 1 "$T/l.jsonl" | sha256sum | cut -c1-64)"
	run -0 fwtrail audit log verify "$T/l.jsonl"
	assert_output --partial "7 records (7 audits"
	# standard output a regular file: held to the end, then copied; a copy
	# that fails (here: past the file size limit) says the same
	head -c 70000 /dev/zero > "$T/out.txt"
	run --separate-stderr -3 bash -c 'trap "" XFSZ; ulimit -f 64; "$@" >> "$0"' "$T/out.txt" "$FWTRAIL" audit --at "$AT" \
		--appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/l.jsonl"
	assert_equal "$stderr" "fwtrail audit: write error on standard output: File too large
fwtrail audit: warning: the audit was logged before the failure: record 8 of '$T/l.jsonl', head $(tail -n 1 "$T/l.jsonl" | sha256sum | cut -c1-64)"
	[ "$(stat -c %s "$T/out.txt")" -eq 70000 ]
	# a report written is no failure: no warning
	run --separate-stderr -0 bash -c '"$@" > "$0"' "$T/out2.txt" "$FWTRAIL" audit --at "$AT" \
		--appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/l.jsonl"
	assert_equal "$stderr" ""
	[ -s "$T/out2.txt" ]
}

# hold_lock -x|-s FILE SECONDS: another process holds the log's lock for
# that long, from when this returns
hold_lock() {
	rm -f "$2.held"
	flock "$1" "$2" sh -c ': > "$0.held"; sleep "$1"' "$2" "$3" >/dev/null 2>&1 3>&- &
	for _ in $(seq 300); do [ -e "$2.held" ] && return 0; sleep 0.01; done
	return 1
}

@test "verify, show and audit say once that they wait for a lock another process holds; --timeout bounds the audit's wait" {
	cp "$A/logs/history.jsonl" "$T/l.jsonl"
	# free: no word
	run --separate-stderr -0 fwtrail audit log verify "$T/l.jsonl"
	assert_equal "$stderr" ""
	hold_lock -x "$T/l.jsonl" 1
	run --separate-stderr -0 fwtrail audit log verify "$T/l.jsonl"
	assert_equal "$stderr" "fwtrail audit log verify: waiting for the lock on '$T/l.jsonl' (another fwtrail audit is writing it)"
	assert_output --partial "5 records"
	wait
	# show --json reads the log twice: told once
	hold_lock -x "$T/l.jsonl" 1
	run --separate-stderr -0 fwtrail audit log show --json "$T/l.jsonl"
	assert_equal "$stderr" "fwtrail audit log show: waiting for the lock on '$T/l.jsonl' (another fwtrail audit is writing it)"
	run -0 jq '.records | length' <<< "$output"
	assert_output 5
	wait
	hold_lock -x "$T/l.jsonl" 0.5
	run --separate-stderr -0 fwtrail -q audit log show "$T/l.jsonl"
	assert_equal "$stderr" ""
	wait
	# an audit waits for readers too; --timeout gives up: exit 3, nothing logged
	cp "$T/l.jsonl" "$T/before.jsonl"
	hold_lock -s "$T/l.jsonl" 3
	run --separate-stderr -3 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/all.json" \
		--log "$T/l.jsonl" --timeout 0.2
	assert_equal "$stderr" "fwtrail audit: waiting for the lock on '$T/l.jsonl' (another fwtrail is writing or reading it)
fwtrail audit: cannot lock audit log '$T/l.jsonl': still held by another process after 0.2 seconds"
	cmp "$T/l.jsonl" "$T/before.jsonl"
	# a reader does not hold up a reader
	run --separate-stderr -0 fwtrail audit log verify "$T/l.jsonl"
	assert_equal "$stderr" ""
	wait
	# without --timeout it waits as long as it takes, then appends
	hold_lock -s "$T/l.jsonl" 0.5
	run --separate-stderr -0 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/all.json" \
		--log "$T/l.jsonl"
	assert_equal "$stderr" "fwtrail audit: waiting for the lock on '$T/l.jsonl' (another fwtrail is writing or reading it)"
	assert_line --partial "logged as record 6;"
	wait
	run --separate-stderr -2 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/all.json" --timeout 1
	assert_equal "${stderr_lines[0]}" "fwtrail audit: --timeout is for --sign-key or --log"
}

@test "log verify and log show --timeout give up on a lock held too long (exit 3, nothing printed); a bad --timeout is exit 2" {
	cp "$A/logs/history.jsonl" "$T/l.jsonl"
	hold_lock -x "$T/l.jsonl" 3
	run --separate-stderr -3 fwtrail audit log verify --timeout 0.3 "$T/l.jsonl"
	assert_equal "$output" ""
	assert_equal "$stderr" "fwtrail audit log verify: waiting for the lock on '$T/l.jsonl' (another fwtrail audit is writing it)
fwtrail audit log verify: cannot lock audit log '$T/l.jsonl': still held by another process after 0.3 seconds"
	run --separate-stderr -3 fwtrail -q audit log show --timeout 0.2 "$T/l.jsonl"
	assert_equal "$output" ""
	assert_equal "$stderr" "fwtrail audit log show: cannot lock audit log '$T/l.jsonl': still held by another process after 0.2 seconds"
	run --separate-stderr -2 fwtrail audit log show --timeout 0 "$T/l.jsonl"
	[[ $stderr == "fwtrail audit log show: --timeout '0' is not a number of seconds from 0.001 to 86400"* ]] || fail "$stderr"
	wait
	# a free lock: --timeout changes nothing
	run -0 fwtrail audit log verify --timeout 0.3 "$T/l.jsonl"
	assert_output --partial "5 records"
}

# Stop 36's files red team: an audit waiting for the lock while the log
# was rotated (moved away, a copy put in its place) appended to the old
# file and said "logged"; a log replaced by a rename was said not to exist.
@test "a log rotated or replaced while an audit waits for its lock: the record goes to the file the name holds; a log moved away is exit 3" {
	cp "$A/logs/history.jsonl" "$T/l.jsonl"
	hold_lock -x "$T/l.jsonl" 1.5
	fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" \
		--log "$T/l.jsonl" > "$T/out.txt" 2> "$T/err.txt" &
	local pid=$!
	sleep 0.5
	mv "$T/l.jsonl" "$T/l.jsonl.old"
	cp "$T/l.jsonl.old" "$T/l.jsonl"
	wait "$pid"
	grep -q "logged as record 6;" "$T/out.txt"
	cmp "$T/l.jsonl.old" "$A/logs/history.jsonl"
	run -0 fwtrail audit log verify "$T/l.jsonl"
	assert_output --partial "6 records"
	wait
	# moved away, nothing in its place: nothing logged anywhere
	hold_lock -x "$T/l.jsonl" 1.5
	run --separate-stderr -3 bash -c '(sleep 0.5; mv "$1" "$1.gone") & "$FWTRAIL" audit --at "$2" --appraisal "$3" --policy "$4" --log "$1"' \
		_ "$T/l.jsonl" "$AT" "$A/records/good.json" "$A/policies/nolog.json"
	[[ $stderr == *"fwtrail audit: cannot open audit log '$T/l.jsonl': it does not exist (it was moved while this waited for its lock)" ]] ||
		fail "$stderr"
	run -0 fwtrail audit log verify "$T/l.jsonl.gone"
	assert_output --partial "6 records"
	wait
	# --timeout 1 says "1 second"
	cp "$T/l.jsonl.gone" "$T/l.jsonl"
	hold_lock -s "$T/l.jsonl" 2
	run --separate-stderr -3 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" \
		--log "$T/l.jsonl" --timeout 1
	[[ $stderr == *"still held by another process after 1 second" ]] || fail "$stderr"
	wait
}

@test "a blank line in a log is named as one: verify and show exit 1, an append is refused (exit 4)" {
	cp "$A/logs/history.jsonl" "$T/end.jsonl"
	echo >> "$T/end.jsonl"
	run --separate-stderr -1 fwtrail audit log verify "$T/end.jsonl"
	assert_equal "$stderr" "fwtrail audit log verify: '$T/end.jsonl': line 6: edited: a blank line where a record belongs: the log was edited (fwtrail writes no blank lines)"
	run --separate-stderr -1 fwtrail --json audit log verify "$T/end.jsonl"
	run -0 jq -c '[.first_bad.line, .first_bad.problem]' <<< "$output"
	assert_output '[6,"edited"]'
	cp "$T/end.jsonl" "$T/before.jsonl"
	run --separate-stderr -4 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/end.jsonl"
	assert_equal "$stderr" "fwtrail audit: audit log '$T/end.jsonl' ends in a blank line (fwtrail writes none: the log was edited): refusing to append; run 'fwtrail audit log verify'"
	cmp "$T/end.jsonl" "$T/before.jsonl"
	# inside the log (spaces and a CR are blank too)
	sed '3a\ \r' "$A/logs/history.jsonl" > "$T/mid.jsonl"
	run --separate-stderr -1 fwtrail audit log show "$T/mid.jsonl"
	assert_equal "${stderr_lines[0]}" "fwtrail audit log show: '$T/mid.jsonl': line 4: edited: a blank line where a record belongs: the log was edited (fwtrail writes no blank lines)"
}

@test "the audit log is a file: '-' is a usage error (exit 2) for --log, log verify and log show, and nothing is read" {
	run --separate-stderr -2 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" \
		--log - < "$L100"
	assert_equal "${stderr%%$'\n'*}" "fwtrail audit: --log: the audit log is locked and appended to: give a file, not standard input ('-')"
	assert_equal "$output" ""
	run --separate-stderr -2 fwtrail audit log verify - < "$L100"
	assert_equal "${stderr%%$'\n'*}" "fwtrail audit log verify: the audit log is read under a lock: give a file, not standard input ('-')"
	assert_equal "$output" ""
	run --separate-stderr -2 fwtrail audit log show - < "$L100"
	assert_equal "${stderr%%$'\n'*}" "fwtrail audit log show: the audit log is read under a lock: give a file, not standard input ('-')"
	assert_equal "$output" ""
	run --separate-stderr -2 fwtrail audit log verify --key - "$L100" < "$K/p384.pub.pem"
	assert_equal "${stderr%%$'\n'*}" "fwtrail audit log verify: --key: the checkpoints' key is read from a file, not standard input ('-')"
	run --separate-stderr -2 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" \
		--log "$T/l.jsonl" --new-log --sign-key - < "$K/p384.key.pem"
	assert_equal "${stderr%%$'\n'*}" "fwtrail audit: --sign-key: keys are read from files or pkcs11: URIs, not standard input ('-')"
	[ ! -e "$T/l.jsonl" ]
}

@test "audit --policy - reads the policy from standard input; with --appraisal - too, a usage error naming both" {
	run --separate-stderr fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json"
	local st=$status want=$output
	run --separate-stderr fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy - < "$A/policies/nolog.json"
	assert_equal "$status" "$st"
	assert_equal "$output" "${want//\'$A\/policies\/nolog.json\'/\'-\'}"
	run --separate-stderr -2 fwtrail audit --at "$AT" --appraisal - --policy - < "$A/policies/nolog.json"
	assert_equal "${stderr%%$'\n'*}" "fwtrail audit: --policy and --appraisal are both '-': standard input can be read once"
	run --separate-stderr -2 fwtrail audit --at "$AT" --evidence - --rim r.corim --policy - < "$A/policies/nolog.json"
	assert_equal "${stderr%%$'\n'*}" "fwtrail audit: --policy and --evidence are both '-': standard input can be read once"
}

# Stop 36's files red team: nothing said how to recover from a crash that
# cut the last record; the man page's RECOVERY section does, and this is it.
@test "RECOVERY: a log cut by a crash, cut again at first_bad.offset, verifies with the records before it" {
	cp "$A/logs/history.jsonl" "$T/l.jsonl"
	size=$(stat -c %s "$T/l.jsonl")
	truncate -s $((size - 20)) "$T/l.jsonl"
	run -4 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/l.jsonl"
	run --separate-stderr -1 fwtrail --json audit log verify "$T/l.jsonl"
	off=$(jq -r '.first_bad | select(.problem == "truncated") | .offset' <<< "$output")
	[ -n "$off" ]
	truncate -s "$off" "$T/l.jsonl"
	run -0 fwtrail audit log verify "$T/l.jsonl"
	assert_output --partial "4 records"
	run -0 fwtrail audit --at "$AT" --appraisal "$A/records/good.json" --policy "$A/policies/nolog.json" --log "$T/l.jsonl"
	assert_line --partial "logged as record 5;"
}
