#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Memory bounds at scale (RELIABILITY O8): a firmware image is streamed, so
# no command's peak RSS grows with its size; an event log or SPDM
# transcript is read whole (at most 16 MiB), so what it costs is bounded
# by a small multiple of its size.  The limits leave generous headroom
# over what the commands take (see each test); a command that loads an
# image, or holds a log many times over, goes far past them.

load helpers

setup_file() {
	export BIG="$BATS_FILE_TMPDIR"
	# 60000 events, 12 MB: the bench's log (scripts/bench.d/40-eventlog.sh)
	$PY "$ROOT/scripts/gen-eventlog.py" --large 60000 "$BIG/big.log"
	# the golden boot the large log repeats: every event matches
	"$FWTRAIL" -q rim create --vendor A --model B --from-eventlog "$TESTDATA/evidence/eventlog/agile.bin" \
		-o "$BIG/gold.corim"
	# 250 raw measurement blocks of 65000 bytes: 16.25 MB, near the 16 MiB cap
	with_generator gen-spdm.py "$BIG/big.spdm" <<'EOF'
blocks = [g.block(i, 0x84, g.label("b%d" % i, 65000)) for i in range(1, 251)]
req = g.get_measurements(0x12, 0x00, 0xFF)
open(sys.argv[2], "wb").write(req + g.measurements(0x12, 0, 0, blocks, g.RSP_NONCE, b""))
EOF
}

setup() {
	T=$BATS_TEST_TMPDIR
}

# rss_run LIMIT_KIB STATUS CMD...: CMD exits with STATUS and peaks below
# LIMIT_KIB (GNU time's maximum resident set size).
rss_run() {
	local limit=$1 want=$2 rc=0 rss
	shift 2
	/usr/bin/time -f '%M' -o "$T/rss" "$@" >"$T/out" 2>"$T/err" || rc=$?
	rss=$(tail -n 1 "$T/rss") # after "Command exited with non-zero status N"
	[ "$rc" -eq "$want" ] || fail "$*: exit $rc, not $want: $(head -c 300 "$T/err")"
	[ "$rss" -lt "$limit" ] || fail "$*: peak RSS $rss KiB, over $limit KiB"
}

# Each takes 5 to 15 MiB on a 5 GiB image as on a small one.  512 MiB
# keeps the test short: an image read whole would show at once.
@test "O8: digest, sign, verify, sfr verify --fw and rim create --measurement stream the image" {
	skip_if_sanitized "peak RSS"
	local K="$TESTDATA/keys" S="$TESTDATA/server"
	truncate -s 512M "$T/fw.img"
	rss_run 32768 0 "$FWTRAIL" digest "$T/fw.img"
	grep -q "^SHA512 ($T/fw.img) = [0-9a-f]\{128\}$" "$T/out"
	rss_run 32768 0 "$FWTRAIL" -q sign --key "$K/p384.key.pem" "$T/fw.img"
	rss_run 32768 0 "$FWTRAIL" -q sign --key "$K/p384.key.pem" --cert "$K/p384.crt.pem" --format cms "$T/fw.img"
	rss_run 32768 0 "$FWTRAIL" -q sign --key "$K/p384.key.pem" --format cose "$T/fw.img"
	rss_run 32768 0 "$FWTRAIL" verify --key "$K/p384.pub.pem" "$T/fw.img.sig" "$T/fw.img"
	rss_run 32768 0 "$FWTRAIL" verify --cert "$K/p384.crt.pem" "$T/fw.img.p7s" "$T/fw.img"
	rss_run 32768 0 "$FWTRAIL" verify --key "$K/p384.pub.pem" "$T/fw.img.cose" "$T/fw.img"
	# a report of other firmware: the image is hashed all the same, and is not it
	rss_run 32768 1 "$FWTRAIL" sfr verify --key "$S/trust/reviewer.pub" --fw "$T/fw.img" "$S/sfr/bios-2.0.sfr.jws"
	rss_run 32768 0 "$FWTRAIL" -q rim create --vendor A --model B --measurement "1=$T/fw.img" -o "$T/fw.corim"
	[ -s "$T/fw.corim" ]
}

# The log is 12 MB; the commands take 19 MB (eventlog) and 51 MB (attest
# check, audit).  audit --evidence built attest check's whole record as
# one JSON tree before the policy read it: 272 MB.
@test "a 60000-event log: eventlog, attest check and audit --evidence within 6 times the log and 32 MiB" {
	skip_if_sanitized "peak RSS"
	local limit=$(($(stat -c %s "$BIG/big.log") * 6 / 1024 + 32768))
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "measurements"}]}' > "$T/p.json"
	rss_run "$limit" 0 "$FWTRAIL" eventlog replay "$BIG/big.log"
	rss_run "$limit" 0 "$FWTRAIL" eventlog show "$BIG/big.log"
	rss_run "$limit" 0 "$FWTRAIL" eventlog show --json "$BIG/big.log"
	rss_run "$limit" 0 "$FWTRAIL" attest check --evidence "$BIG/big.log" --rim "$BIG/gold.corim"
	rss_run "$limit" 0 "$FWTRAIL" attest check --json --evidence "$BIG/big.log" --rim "$BIG/gold.corim"
	rss_run "$limit" 0 "$FWTRAIL" audit --policy "$T/p.json" --evidence "$BIG/big.log" --rim "$BIG/gold.corim"
	assert_equal "$(tail -n 1 "$T/out")" "verdict: pass (0 failed, 0 warned, 1 passed)"
	rss_run "$limit" 0 "$FWTRAIL" audit --format json --policy "$T/p.json" --evidence "$BIG/big.log" \
		--rim "$BIG/gold.corim"
	rss_run "$limit" 0 "$FWTRAIL" audit --format junit --policy "$T/p.json" --evidence "$BIG/big.log" \
		--rim "$BIG/gold.corim"
	# the record attest check writes of it is past what --appraisal reads
	# (fwtrail-audit(1)): refused whole, exit 4, where --evidence audits it
	run -0 bash -c '"$0" attest check --json --evidence "$1" --rim "$2" > "$3"' "$FWTRAIL" "$BIG/big.log" \
		"$BIG/gold.corim" "$T/rec.json"
	[ "$(stat -c %s "$T/rec.json")" -gt 16777216 ]
	run --separate-stderr -4 "$FWTRAIL" audit --policy "$T/p.json" --appraisal "$T/rec.json"
	assert_equal "$stderr" "fwtrail audit: '$T/rec.json' is larger than 16777216 bytes"
}

# The transcript is 16 MB; spdm show takes 53 MB, as do attest check and
# audit with it.
@test "a 16 MB SPDM transcript: spdm show, attest check and audit --evidence within 6 times its size and 32 MiB" {
	skip_if_sanitized "peak RSS"
	local limit=$(($(stat -c %s "$BIG/big.spdm") * 6 / 1024 + 32768)) R="$TESTDATA/server/rim/vendor.corim"
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "measurements", "sources": ["spdm"]}]}' > "$T/p.json"
	rss_run "$limit" 0 "$FWTRAIL" spdm show "$BIG/big.spdm"
	rss_run "$limit" 0 "$FWTRAIL" spdm show --json "$BIG/big.spdm"
	rss_run "$limit" 1 "$FWTRAIL" attest check --json --evidence "$BIG/big.spdm" --rim "$R"
	rss_run "$limit" 1 "$FWTRAIL" audit --policy "$T/p.json" --evidence "$BIG/big.spdm" --rim "$R"
	assert_equal "$(tail -n 1 "$T/out")" "verdict: fail (1 failed, 0 warned, 0 passed)"
}

# audit --evidence reads the components one at a time: the verdict and
# every reason are those of the whole record attest check prints (20000
# events: the record of 60000 is past the 16 MiB --appraisal reads).  Half
# the golden boot's PCRs only: the others' events are unknown (many
# reasons, cut at 64), and no SFR reviews anything.
@test "audit --evidence of a 20000-event log: the report of --appraisal of attest check's record, byte for byte" {
	$PY "$ROOT/scripts/gen-eventlog.py" --large 20000 "$T/mid.log"
	"$FWTRAIL" -q rim create --vendor A --model B --pcrs 0,1,2,3 \
		--from-eventlog "$TESTDATA/evidence/eventlog/agile.bin" -o "$T/half.corim"
	cat > "$T/p.json" <<'EOF'
{"fwtrail_policy": 1, "rules": [{"rule": "measurements"}, {"rule": "measurements", "id": "low", "pcrs": [0, 1, 2, 3]},
 {"rule": "review-coverage"}, {"rule": "max-cvss", "threshold": 7.0}, {"rule": "signatures", "require": ["rim"]}]}
EOF
	run -1 bash -c '"$0" attest check --json --at 2026-06-01 --evidence "$1" --rim "$2" > "$3"' "$FWTRAIL" \
		"$T/mid.log" "$T/half.corim" "$T/rec.json"
	for f in text json junit; do
		run --separate-stderr -1 "$FWTRAIL" audit --at 2026-06-01 --format $f --policy "$T/p.json" \
			--evidence "$T/mid.log" --rim "$T/half.corim"
		printf '%s\n' "$output" | sed "s|'attest check'|APPRAISAL|; s|\"attest check\"|APPRAISAL|" > "$T/direct.$f"
		run --separate-stderr -1 "$FWTRAIL" audit --at 2026-06-01 --format $f --policy "$T/p.json" \
			--appraisal "$T/rec.json"
		printf '%s\n' "$output" | sed "s|'$T/rec.json'|APPRAISAL|; s|\"$T/rec.json\"|APPRAISAL|" > "$T/file.$f"
	done
	# the JSON names the record file, or null for the direct inputs
	sed -i 's|"appraisal": null|"appraisal": APPRAISAL|' "$T/direct.json"
	for f in text json junit; do
		diff "$T/file.$f" "$T/direct.$f" || fail "--format $f differs"
	done
	grep -q '^FAIL  measurements$' "$T/direct.text"
	grep -q '^      \.\.\. and [0-9]* more$' "$T/direct.text"
	grep -q '^pass  low (measurements)$' "$T/direct.text"
	grep -q '^FAIL  review-coverage$' "$T/direct.text"
}

# A review by manifest names the file it matched: a report whose manifest
# lists each of 3000 measured files was one review per component to the
# SFR rules, each kept with its issues (140 MB) and judged again (its 400
# issues said 1.2 million times).  21 MB now, and said once.
@test "a report reviewing 3000 events by its manifest is judged once: its issues said once, in little memory" {
	skip_if_sanitized "peak RSS"
	local S="$TESTDATA/server"
	mkdir "$T/fw"
	with_generator gen-eventlog.py "$T" <<'EOF'
import json
evs = []
for i in range(3000):
    data = b"file %d" % i
    open("%s/fw/f%05d" % (sys.argv[2], i), "wb").write(data)
    evs.append(g.Ev(4, g.EV_EFI_BOOT_SERVICES_APPLICATION, b"x", measured=data))
open(sys.argv[2] + "/run.log", "wb").write(g.agile_log(evs, ["sha256", "sha512"]))
json.dump([{"title": "Issue %d" % i, "cvss_score": "8.8", "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
            "cwe": "CWE-%d" % (100 + i), "description": "d", "cve": None} for i in range(400)],
          open(sys.argv[2] + "/issues.json", "w"))
EOF
	fwtrail -q rim create --vendor ACME --model X1 --alg sha256,sha512 --from-eventlog "$T/run.log" -o "$T/gold.corim"
	fwtrail -q rim sign --key "$S/keys/vendor.pem" --signer ACME -o "$T/gold.signed.corim" "$T/gold.corim"
	fwtrail -q sfr create --vendor ACME --product X1 --category server --repo-tag v1 --fw-version 1.0 \
		--manifest "$T/fw" --srp "Road Runner Audits" --methodology whitebox --report-version 1.0 --scope 1 \
		--completion-date 2026-02-10 --issues "$T/issues.json" -o "$T/sfr.json"
	fwtrail -q sfr sign --key "$S/keys/reviewer.pem" --kid RR -o "$T/sfr.jws" "$T/sfr.json"
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "max-cvss", "threshold": 7.0}, {"rule": "sfr-age", "max_days": 3650}]}' \
		> "$T/p.json"
	rss_run 65536 1 "$FWTRAIL" audit --at 2026-06-01 --policy "$T/p.json" --evidence "$T/run.log" \
		--rim "$T/gold.signed.corim" --sfr "$T/sfr.jws" --trust "$S/trust/vendor.pub" --sfr-trust "$S/trust/reviewer.pub"
	grep -q "^      SFR '$T/sfr.jws': open issue 'Issue 0' has CVSS 8.8, at or above 7.0$" "$T/out"
	[ "$(grep -c "open issue 'Issue 0' " "$T/out")" -eq 1 ]
	assert_equal "$(grep '\.\.\. and' "$T/out")" "      ... and 336 more"
	assert_equal "$(tail -n 1 "$T/out")" "verdict: fail (1 failed, 0 warned, 1 passed)"
}

# At the caps (199999 extending events, 10 MB of small ones): attest
# check takes 115 MB (attest-golden.bats holds it under 256 MiB), and so
# does audit --evidence, which took 887 MB as one JSON tree.
@test "audit --evidence of 199999 events within what attest check is allowed: 256 MiB" {
	skip_if_sanitized "peak RSS"
	with_generator gen-eventlog.py "$T" <<'EOF'
evs = [g.Ev(i % 8, g.EV_POST_CODE, b"x", measured=str(i).encode()) for i in range(199999)]
open(sys.argv[2] + "/long.log", "wb").write(g.agile_log(evs, ["sha256"]))
open(sys.argv[2] + "/gold.log", "wb").write(g.agile_log(evs[:20000], ["sha256"]))
EOF
	fwtrail -q rim create --vendor A --model B --from-eventlog "$T/gold.log" -o "$T/gold.corim"
	echo '{"fwtrail_policy": 1, "rules": [{"rule": "measurements"}, {"rule": "review-coverage"},
	      {"rule": "signatures"}, {"rule": "max-cvss", "threshold": 7.0}]}' > "$T/p.json"
	rss_run 262144 1 "$FWTRAIL" audit --policy "$T/p.json" --evidence "$T/long.log" --rim "$T/gold.corim"
	assert_equal "$(grep -c '^FAIL  ' "$T/out")" 4
	assert_equal "$(sed -n 2,3p "$T/out")" "FAIL  measurements
      eventlog PCR 0 event 20001 'EV_POST_CODE': mismatch: measured sha256:$(printf 20000 | sha256sum | cut -c1-24)..., reference \
$(printf 0 | sha256sum | cut -c1-24)... in '$T/gold.corim'"
	assert_equal "$(tail -n 1 "$T/out")" "verdict: fail (4 failed, 0 warned, 0 passed)"
}
