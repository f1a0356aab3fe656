#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail eventlog replay --quote: a real event log's digests extended into a
# software TPM (swtpm, libtpms) this file starts on loopback and stops, quotes
# signed by attestation keys the TPM made (ECC P-256 ECDSA, RSA-2048 RSASSA
# and RSA-PSS), checked by fwtrail and by tpm2_checkquote; then the
# RELIABILITY E6 attacks: selection, values, nonce, bit flips, truncation,
# wrong AK, and a quote forged with a TPM key that is not restricted (caught
# when the AK is given as its TPM2B_PUBLIC, whose attributes show it).

load helpers

LOG_REL=tpm2-tools/fixtures/event-sd-boot-fedora37.bin # sha256 only, locality 0
NONCE=5ca1ab1e0ddba11fee1d
FORGED_NONCE=f0f0f0f0f0f0f0f0f0f0

setup_file() {
	export Q="$BATS_FILE_TMPDIR/q" QUOTE_SKIP=""
	local t
	for t in swtpm tpm2_startup tpm2_pcrextend tpm2_createek tpm2_createak tpm2_quote tpm2_checkquote \
		tpm2_flushcontext tpm2_pcrread tpm2_readpublic tpm2_createprimary tpm2_create tpm2_load tpm2_sign \
		timeout; do
		command -v "$t" > /dev/null || { QUOTE_SKIP="'$t' not found (scripts/deps.sh installs swtpm and tpm2-tools)"; return 0; }
	done
	[ -f "$CORPORA/eventlog/$LOG_REL" ] || { QUOTE_SKIP="corpus log $CORPORA/eventlog/$LOG_REL not found"; return 0; }
	mkdir -p "$Q/state"
	start_swtpm || { QUOTE_SKIP="swtpm does not start: $(tail -n 1 "$Q/swtpm.log" 2> /dev/null)"; return 0; }
	export TPM2TOOLS_TCTI
	make_quotes > "$Q/tools.log" 2>&1 || { cat "$Q/tools.log" >&2; stop_swtpm; return 1; }
	stop_swtpm
}

teardown_file() {
	stop_swtpm
}

# Two free loopback ports (server, control); swtpm under `timeout` so that a
# killed run leaves no TPM behind for long.
start_swtpm() {
	local try port i
	listening() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
	for try in 1 2 3 4 5 6 7 8; do
		port=$((20000 + ($(od -An -N2 -tu2 /dev/urandom) % 20000) * 2))
		listening "$port" || listening $((port + 1)) && continue
		rm -f "$Q/swtpm.pid"
		timeout 300 swtpm socket --tpm2 --tpmstate "dir=$Q/state" --flags not-need-init \
			--server "type=tcp,port=$port,bindaddr=127.0.0.1" --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" \
			--pid "file=$Q/swtpm.pid" --log "file=$Q/swtpm.log" < /dev/null >> "$Q/swtpm.log" 2>&1 3>&- &
		TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$port"
		export TPM2TOOLS_TCTI
		for i in $(seq 100); do
			if [ -s "$Q/swtpm.pid" ] && tpm2_startup -c > /dev/null 2>&1; then return 0; fi
			sleep 0.05
		done
		stop_swtpm
	done
	return 1
}

stop_swtpm() {
	local pid i
	[ -s "$Q/swtpm.pid" ] || return 0
	pid=$(cat "$Q/swtpm.pid")
	if kill "$pid" 2> /dev/null; then
		for i in $(seq 40); do kill -0 "$pid" 2> /dev/null || break; sleep 0.05; done
		kill -9 "$pid" 2> /dev/null || true
	fi
	rm -f "$Q/swtpm.pid"
}

# The TPM's PCRs become the log's; its keys sign the quotes the tests read.
make_quotes() {
	set -e
	local log="$CORPORA/eventlog/$LOG_REL"
	cd "$Q"
	# every extending event's sha256 digest, in log order, in one call
	# shellcheck disable=SC2046
	tpm2_pcrextend $("$FWTRAIL" eventlog show --json "$log" | $PY -c '
import json, sys
for e in json.load(sys.stdin)["events"]:
    if e["extends"]:
        print("%d:sha256=%s" % (e["pcr"], e["digests"]["sha256"]))')
	tpm2_pcrread -o pcrs.bin sha256:0,1,2,3,4,5,6,7,9,12 > pcrs.yaml
	tpm2_createek -c ek.ctx -G ecc -u ek.pub
	tpm2_flushcontext -t
	tpm2_createak -C ek.ctx -c ecc.ctx -G ecc -g sha256 -s ecdsa -u ecc.pem -f pem
	tpm2_flushcontext -t
	tpm2_createak -C ek.ctx -c ecc2.ctx -G ecc -g sha256 -s ecdsa -u ecc2.pem -f pem
	tpm2_flushcontext -t
	# rsa.pub as tpm2_createak writes it by default (TPM2B_PUBLIC), rsa.pem read back
	tpm2_createak -C ek.ctx -c rsa.ctx -G rsa -g sha256 -s rsassa -u rsa.pub
	tpm2_flushcontext -t
	tpm2_readpublic -c rsa.ctx -f pem -o rsa.pem > /dev/null
	tpm2_flushcontext -t
	tpm2_readpublic -c ecc.ctx -o ecc.pub > /dev/null
	tpm2_flushcontext -t
	tpm2_readpublic -c ecc.ctx -f tpmt -o ecc.tpmt > /dev/null
	tpm2_flushcontext -t
	tpm2_createak -C ek.ctx -c pss.ctx -G rsa -g sha256 -s rsapss -u pss.pem -f pem
	tpm2_flushcontext -t
	tpm2_quote -c ecc.ctx -l sha256:0,7 -q "$NONCE" -m ecc.msg -s ecc.sig -o ecc.pcrs
	tpm2_flushcontext -t
	tpm2_quote -c rsa.ctx -l sha256:0,7 -q "$NONCE" -m rsa.msg -s rsa.sig -o rsa.pcrs
	tpm2_flushcontext -t
	tpm2_quote -c pss.ctx --scheme rsapss -l sha256:0,7 -q "$NONCE" -m pss.msg -s pss.sig -o pss.pcrs
	tpm2_flushcontext -t
	# a selection without PCR 7; a quote of the whole log
	tpm2_quote -c ecc.ctx -l sha256:0 -q "$NONCE" -m only0.msg -s only0.sig
	tpm2_flushcontext -t
	tpm2_quote -c ecc.ctx -l sha256:23 -q "$NONCE" -m pcr23.msg -s pcr23.sig
	tpm2_flushcontext -t
	tpm2_quote -c ecc.ctx -l sha256:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 -q "$NONCE" \
		-m all.msg -s all.sig
	tpm2_flushcontext -t
	# a TPM signing key without the restricted attribute signs any digest:
	# here a TPMS_ATTEST made up from ecc.msg with another nonce (the TPM
	# never quoted it), magic and all
	tpm2_createprimary -C o -G ecc -c prim.ctx > /dev/null
	tpm2_create -C prim.ctx -G ecc256:ecdsa-sha256 -a 'sign|fixedtpm|fixedparent|sensitivedataorigin|userwithauth' \
		-u free.pub -r free.priv > /dev/null
	tpm2_flushcontext -t
	tpm2_load -C prim.ctx -u free.pub -r free.priv -c free.ctx > /dev/null
	tpm2_flushcontext -t
	tpm2_readpublic -c free.ctx -f pem -o free.pem > /dev/null
	tpm2_flushcontext -t
	$PY - ecc.msg forged.msg forged.dgst "$FORGED_NONCE" <<'EOF'
import hashlib, struct, sys
b = open(sys.argv[1], "rb").read()
o = 6 + 2 + struct.unpack(">H", b[6:8])[0]  # past qualifiedSigner: extraData
n = bytes.fromhex(sys.argv[4])
m = b[:o] + struct.pack(">H", len(n)) + n + b[o + 2 + struct.unpack(">H", b[o:o + 2])[0]:]
open(sys.argv[2], "wb").write(m)
open(sys.argv[3], "wb").write(hashlib.sha256(m).digest())
EOF
	tpm2_sign -c free.ctx -g sha256 -s ecdsa -d -o forged.sig forged.dgst
	tpm2_flushcontext -t
	# PCR 7 extended once more than the log says
	tpm2_pcrextend 7:sha256=0000000000000000000000000000000000000000000000000000000000000001
	tpm2_quote -c ecc.ctx -l sha256:0,7 -q "$NONCE" -m extra.msg -s extra.sig -o extra.pcrs
	tpm2_flushcontext -t
}

setup() {
	[ -z "$QUOTE_SKIP" ] || skip "$QUOTE_SKIP"
	LOG="$CORPORA/eventlog/$LOG_REL"
	T=$BATS_TEST_TMPDIR
	cd "$Q" || return 1
}

# fwtrail eventlog replay LOG with quote files base.msg/base.sig and AK key
quote() { # base key [args...]
	local b=$1 k=$2
	shift 2
	fwtrail eventlog replay --quote "$b.msg" --quote-sig "$b.sig" --ak "$k" "$@"
}

# A copy of file $1 at $2 with bit $4 of byte $3 flipped.
flip() {
	$PY -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[int(sys.argv[3])] ^= 1 << int(sys.argv[4]); open(sys.argv[2], "wb").write(b)' "$@"
}

@test "quotes by ECC P-256, RSASSA and RSA-PSS AKs verify against the replay; tpm2_checkquote agrees" {
	local fp
	for ak in ecc rsa pss; do
		if [ "$ak" = pss ]; then
			# tpm2_checkquote 5.4 checks RSA-PSS with PKCS#1 v1.5 padding and
			# fails; python3-cryptography checks the signature, with the
			# salt length fwtrail expects (the hash length, as libtpms makes it)
			run -0 $PY - pss.pem pss.msg pss.sig <<'EOF'
import struct, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
key = serialization.load_pem_public_key(open(sys.argv[1], "rb").read())
sig = open(sys.argv[3], "rb").read()
alg, h, n = struct.unpack(">HHH", sig[:6])
assert (alg, h, n, len(sig)) == (0x16, 0x0b, 256, 262), (alg, h, n, len(sig))
key.verify(sig[6:], open(sys.argv[2], "rb").read(),
           padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
EOF
		else
			run --separate-stderr -0 tpm2_checkquote -u "$ak.pem" -m "$ak.msg" -s "$ak.sig" -f "$ak.pcrs" -g sha256 -q "$NONCE"
		fi
		run --separate-stderr -0 quote "$ak" "$ak.pem" --nonce "$NONCE" --pcrs 0,7 "$LOG"
		assert_equal "$stderr" ""
		fp=$(openssl pkey -pubin -in "$ak.pem" -outform DER | sha256sum | cut -d' ' -f1)
		assert_line "quote '$ak.msg' verified: AK sha256:$fp ($(alg_of "$ak"), attributes not checked), PCRs sha256:0,7, nonce checked"
	done
}

alg_of() { case $1 in ecc) echo ES256 ;; rsa) echo RSASSA-SHA256 ;; pss) echo PS256 ;; esac; }

@test "--json: a \"quote\" object with the AK, the algorithm, the selection and both digests" {
	run --separate-stderr -0 quote ecc ecc.pem --json --nonce "$NONCE" --pcrs 0,7 "$LOG"
	printf '%s' "$output" > "$T/out.json"
	fp=$(openssl pkey -pubin -in ecc.pem -outform DER | sha256sum | cut -d' ' -f1)
	run -0 $PY - "$T/out.json" "$fp" "$NONCE" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
q = o["quote"]
assert o["ok"] is True, o
assert q["verified"] is True and q["failed"] is None, q
assert q["ak"] == {"path": "ecc.pem", "type": "ec-p256", "sha256_fingerprint": sys.argv[2], "restricted": None,
                   "object_attributes": None}, q["ak"]
assert q["alg"] == "ES256" and q["nonce_checked"] is True and q["extra_data"] == sys.argv[3], q
assert q["selection"] == {"sha256": [0, 7]}, q["selection"]
assert q["pcr_digest"] == q["replayed_digest"] and len(q["pcr_digest"]) == 64, q
EOF
}

@test "--json: a bank selected twice lists the PCRs of both entries; a quote over 4096 bytes is named so" {
	# the ECC quote with its selection rewritten as sha256 {0} and sha256
	# {7}: the signature no longer holds (exit 1), the selection is shown
	$PY - ecc.msg "$T/dup.msg" <<'EOF'
import struct, sys
b = open(sys.argv[1], "rb").read()
o = 6
for _ in range(2):  # qualifiedSigner, extraData
    o += 2 + struct.unpack(">H", b[o:o + 2])[0]
o += 17 + 8  # clockInfo, firmwareVersion
n = struct.unpack(">I", b[o:o + 4])[0]
e = o + 4
for _ in range(n):
    e += 3 + b[e + 2]
sel = struct.pack(">I", 2) + struct.pack(">HB", 0x000b, 3) + bytes([1, 0, 0]) + struct.pack(">HB", 0x000b, 3) + bytes([0x80, 0, 0])
open(sys.argv[2], "wb").write(b[:o] + sel + b[e:])
EOF
	cp ecc.sig "$T/dup.sig"
	run --separate-stderr -1 quote "$T/dup" ecc.pem --json --nonce "$NONCE" --pcrs 0,7 "$LOG"
	$PY -c 'import json, sys; q = json.loads(sys.stdin.read())["quote"]; assert q["selection"] == {"sha256": [0, 7]} and q["failed"] == "signature", q' <<< "$output"
	head -c 5000 /dev/zero > "$T/big.msg"
	cp ecc.sig "$T/big.sig"
	run --separate-stderr -4 quote "$T/big" ecc.pem "$LOG"
	[[ $stderr == *"'$T/big.msg' is larger than 4096 bytes"* ]] || fail "$stderr"
}

@test "without --nonce the nonce is not checked, and the output says so" {
	run --separate-stderr -0 quote ecc ecc.pem --pcrs 0,7 "$LOG"
	assert_line --partial "nonce NOT checked (no --nonce)"
	run --separate-stderr -0 quote ecc ecc.pem --pcrs 0,7 --json "$LOG"
	$PY -c 'import json, sys; q = json.loads(sys.stdin.read())["quote"]; assert q["nonce_checked"] is False, q' <<< "$output"
}

@test "a quote of all 24 PCRs: the PCRs the log never extends count with their reset values" {
	run --separate-stderr -0 quote all ecc.pem --nonce "$NONCE" "$LOG"
	assert_line --regexp "PCRs sha256:0-23, nonce checked\$"
}

@test "without --pcrs or --expect the quote must sign every PCR the log extends and PCRs 0-7" {
	# the log extends sha256 PCRs 0-7, 9 and 12; ecc.msg signs 0 and 7
	run --separate-stderr -1 quote ecc ecc.pem --nonce "$NONCE" "$LOG"
	assert_equal "$stderr" "fwtrail eventlog replay: quote 'ecc.msg': sha256 PCR 1, which the log extends, is not in the quote's signed selection (--pcrs decides on fewer PCRs)"
	refute_output --partial "verified"
	run --separate-stderr -1 quote only0 ecc.pem --nonce "$NONCE" --json "$LOG"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); q = o["quote"]; assert o["ok"] is False and q["failed"] == "selection", o' <<< "$output"
	# a quote of the log's PCRs and more: yes; --pcrs narrows on purpose
	run --separate-stderr -0 quote all ecc.pem --nonce "$NONCE" --bank sha256 "$LOG"
	run --separate-stderr -0 quote ecc ecc.pem --nonce "$NONCE" --pcrs 0,7 "$LOG"
}

@test "composes with --expect (tpm2_pcrread YAML) and with --local (a sysfs tree)" {
	run --separate-stderr -0 quote ecc ecc.pem --nonce "$NONCE" --expect pcrs.yaml --pcrs 0,7 "$LOG"
	assert_line "all PCRs the quote signs match 'pcrs.yaml' (sha256 0,7)"
	assert_line --partial "quote 'ecc.msg' verified"
	mkdir -p "$T/root/sys/kernel/security/tpm0" "$T/root/sys/class/tpm/tpm0/pcr-sha256"
	cp "$LOG" "$T/root/sys/kernel/security/tpm0/binary_bios_measurements"
	sed -n 's/^ *\([0-9]*\) *: 0x\([0-9A-F]*\)$/\1 \2/p' pcrs.yaml | while read -r n v; do
		echo "$v" > "$T/root/sys/class/tpm/tpm0/pcr-sha256/$n"
	done
	run --separate-stderr -0 fwtrail eventlog replay --local --sysfs-root "$T/root" --quote ecc.msg \
		--quote-sig ecc.sig --ak ecc.pem --nonce "$NONCE" --pcrs 0,7
	assert_line "all replayed PCRs match the TPM (sha256)"
	assert_line --partial "quote 'ecc.msg' verified"
	# without --pcrs the quote must vouch for every PCR compared: one of
	# PCRs 0 and 7 says nothing of the others the log extends
	run --separate-stderr -1 fwtrail eventlog replay --local --sysfs-root "$T/root" --quote ecc.msg \
		--quote-sig ecc.sig --ak ecc.pem --nonce "$NONCE"
	[[ $stderr == *"quote 'ecc.msg': sha256 PCR 1, which the log extends, is not in the quote's signed selection"* ]] || fail "$stderr"
	# --expect differs, the quote verifies: still no
	sed 's/^\(    7 : 0x\)./\1F/' pcrs.yaml > "$T/bad.yaml"
	run --separate-stderr -1 quote ecc ecc.pem --expect "$T/bad.yaml" --pcrs 0,7 "$LOG"
	[[ $stderr == *"sha256 PCR 7 differs"* ]] || fail "$stderr"
}

@test "a selection that leaves out a PCR asked for with --pcrs is a no" {
	run --separate-stderr -0 quote only0 ecc.pem --pcrs 0 "$LOG"
	run --separate-stderr -1 quote only0 ecc.pem --pcrs 0,7 "$LOG"
	[[ $stderr == *"quote 'only0.msg': PCR 7 is not in the quote's signed selection of any bank"* ]] || fail "$stderr"
	run --separate-stderr -1 quote only0 ecc.pem --bank sha256 --pcrs 0,7 --json "$LOG"
	[[ $stderr == *"sha256 PCR 7 is not in the quote's signed selection"* ]] || fail "$stderr"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); q = o["quote"]; assert o["ok"] is False and q["verified"] is False and q["failed"] == "selection", o' <<< "$output"
}

@test "with --expect every reference PCR must be signed by the quote, or --pcrs narrows on purpose (E6)" {
	# the reference gives sha256 PCRs 0-7, 9 and 12; the TPM signed only PCR 0 (and 0,7):
	# the log alone does not vouch for the others
	run --separate-stderr -1 quote only0 ecc.pem --nonce "$NONCE" --expect pcrs.yaml "$LOG"
	assert_equal "$stderr" "fwtrail eventlog replay: sha256 PCR 1, which the reference values give, is not in the quote's signed selection (--pcrs decides on fewer PCRs)"
	refute_output --partial "match"
	run --separate-stderr -1 quote ecc ecc.pem --nonce "$NONCE" --expect pcrs.yaml --json "$LOG"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); assert o["ok"] is False, o' <<< "$output"
	# a quote of PCR 23 alone (which the log never extends) decides nothing for a 0-7 reference
	run --separate-stderr -1 quote pcr23 ecc.pem --nonce "$NONCE" --expect pcrs.yaml "$LOG"
	[[ $stderr == *"sha256 PCR 0, which the reference values give, is not in the quote's signed selection"* ]] || fail "$stderr"
	# PCR 4 differs in the reference; --pcrs 0 or 0,7 decide on the signed PCRs only
	sed 's/^\(    4 : 0x\)./\1F/' pcrs.yaml > "$T/pcr4.yaml"
	run --separate-stderr -0 quote only0 ecc.pem --nonce "$NONCE" --expect "$T/pcr4.yaml" --pcrs 0 "$LOG"
	assert_line "all PCRs the quote signs match '$T/pcr4.yaml' (sha256 0)"
	run --separate-stderr -0 quote ecc ecc.pem --nonce "$NONCE" --expect "$T/pcr4.yaml" --pcrs 0,7 --json "$LOG"
	$PY -c 'import json, sys; e = json.loads(sys.stdin.read())["expect"]; assert e["compared"] == {"sha256": [0, 7]} and e["match"], e' <<< "$output"
	# the whole log signed: the differing PCR 4 is decided on, a no
	run --separate-stderr -1 quote all ecc.pem --nonce "$NONCE" --expect "$T/pcr4.yaml" --pcrs 0-7 "$LOG"
	[[ $stderr == *"sha256 PCR 4 differs"* ]] || fail "$stderr"
	# the same reference without the quote: the log alone, a no
	run --separate-stderr -1 fwtrail eventlog replay --expect "$T/pcr4.yaml" "$LOG"
	[[ $stderr == *"sha256 PCR 4 differs"* ]] || fail "$stderr"
	# PCR 0 differs and is signed: a no
	sed 's/^\(    0 : 0x\)./\1F/' pcrs.yaml > "$T/pcr0.yaml"
	run --separate-stderr -1 quote only0 ecc.pem --nonce "$NONCE" --expect "$T/pcr0.yaml" --pcrs 0 "$LOG"
	[[ $stderr == *"sha256 PCR 0 differs"* ]] || fail "$stderr"
	# asking for PCR 7, which only0 does not sign
	run --separate-stderr -1 quote only0 ecc.pem --nonce "$NONCE" --expect pcrs.yaml --pcrs 7 "$LOG"
	[[ $stderr == *"PCR 7 is not in the quote's signed selection"* ]] || fail "$stderr"
}

@test "PCR values that differ from the log's: a TPM extended once more, a log with one event dropped" {
	# genuinely signed (tpm2_checkquote says yes), but not what the log says
	run -0 tpm2_checkquote -u ecc.pem -m extra.msg -s extra.sig -f extra.pcrs -g sha256 -q "$NONCE"
	run --separate-stderr -1 quote extra ecc.pem --nonce "$NONCE" --pcrs 0,7 "$LOG"
	[[ $stderr == *"pcrDigest differs from the sha256 of the replayed PCRs it selects"* ]] || fail "$stderr"
	# drop the last event on PCR 7 from the log
	run -0 $PY - "$LOG" "$T/dropped.bin" <<'EOF'
import json, os, subprocess, sys
log = open(sys.argv[1], "rb").read()
evs = json.loads(subprocess.run([os.environ["FWTRAIL"], "eventlog", "show", "--json", sys.argv[1]],
                                capture_output=True, check=True).stdout)["events"]
i = max(e["index"] for e in evs if e["pcr"] == 7 and e["extends"])
end = evs[i + 1]["offset"] if i + 1 < len(evs) else len(log)
open(sys.argv[2], "wb").write(log[:evs[i]["offset"]] + log[end:])
EOF
	run --separate-stderr -1 quote ecc ecc.pem --nonce "$NONCE" --pcrs 0,7 "$T/dropped.bin"
	run --separate-stderr -1 quote all ecc.pem --nonce "$NONCE" "$T/dropped.bin"
	[[ $stderr == *"pcrDigest differs"* ]] || fail "$stderr"
}

@test "a wrong nonce is a no (a replayed quote)" {
	run --separate-stderr -1 quote ecc ecc.pem --nonce 5ca1ab1e0ddba11fee1e "$LOG"
	[[ $stderr == *"quote 'ecc.msg': the quote's extraData (10 bytes) is not the nonce (10 bytes)"* ]] || fail "$stderr"
	run --separate-stderr -1 quote ecc ecc.pem --nonce 5ca1ab1e "$LOG"
	run --separate-stderr -2 quote ecc ecc.pem --nonce 5ca1ab1 "$LOG"
}

@test "one flipped bit in the message or the signature, or a wrong AK, is a no" {
	# magic, type, qualifiedSigner, extraData, clock, firmwareVersion,
	# pcrSelect (PCR 11 added), pcrDigest
	for at in 0 5 20 47 60 75 87 $(($(stat -c %s ecc.msg) - 1)); do
		flip ecc.msg "$T/f.msg" "$at" 3
		cp ecc.sig "$T/f.sig"
		run --separate-stderr -1 quote "$T/f" ecc.pem "$LOG"
		[[ $stderr == *"quote signature: ES256 signature does not verify with key 'ecc.pem'"* ]] || fail "byte $at: $stderr"
	done
	for b in ecc rsa pss; do
		flip "$b.sig" "$T/g.sig" 20 0
		cp "$b.msg" "$T/g.msg"
		run --separate-stderr -1 quote "$T/g" "$b.pem" "$LOG"
		[[ $stderr == *"signature does not verify with key '$b.pem'"* ]] || fail "$b: $stderr"
	done
	run --separate-stderr -1 quote ecc ecc2.pem "$LOG"
	[[ $stderr == *"ES256 signature does not verify with key 'ecc2.pem'"* ]] || fail "$stderr"
	run --separate-stderr -1 quote ecc rsa.pem "$LOG"
	[[ $stderr == *"the quote has an ECDSA signature but AK 'rsa.pem' is rsa-2048"* ]] || fail "$stderr"
	# an RSASSA quote checked as RSA-PSS by the same modulus is no either
	run --separate-stderr -1 quote rsa pss.pem "$LOG"
}

@test "a truncated quote or signature exits 4 with the byte offset; trailing bytes too" {
	head -c 58 ecc.msg > "$T/t.msg"
	cp ecc.sig "$T/t.sig"
	run --separate-stderr -4 quote "$T/t" ecc.pem "$LOG"
	[[ $stderr == *"'$T/t.msg': clockInfo.clock at offset 54 needs 8 bytes, 4 left"* ]] || fail "$stderr"
	assert_output ""
	n=$(stat -c %s ecc.msg)
	head -c $((n - 1)) ecc.msg > "$T/t.msg"
	run --separate-stderr -4 quote "$T/t" ecc.pem "$LOG"
	[[ $stderr == *"pcrDigest at offset $((n - 32)) needs 32 bytes, 31 left"* ]] || fail "$stderr"
	{ cat ecc.msg; printf x; } > "$T/t.msg"
	run --separate-stderr -4 quote "$T/t" ecc.pem "$LOG"
	[[ $stderr == *"1 trailing bytes at offset $n"* ]] || fail "$stderr"
	cp ecc.msg "$T/u.msg"
	head -c 40 ecc.sig > "$T/u.sig"
	run --separate-stderr -4 quote "$T/u" ecc.pem "$LOG"
	[[ $stderr == *"'$T/u.sig': signatureS at offset 40 needs 32 bytes, 0 left"* ]] || fail "$stderr"
	run --separate-stderr -4 quote "$T/u" ecc.pem --json "$LOG"
	$PY -c 'import json, sys; o = json.loads(sys.stdin.read()); assert o["ok"] is False and "quote" not in o and o["error"]["code"] == "malformed", o' <<< "$output"
}

@test "an unsupported scheme or hash exits 6" {
	cp ecc.msg "$T/s.msg"
	# TPM_ALG_ECSCHNORR (0x001c) instead of ECDSA
	$PY -c 'import sys; b = bytearray(open("ecc.sig", "rb").read()); b[1] = 0x1c; open(sys.argv[1], "wb").write(b)' "$T/s.sig"
	run --separate-stderr -6 quote "$T/s" ecc.pem "$LOG"
	[[ $stderr == *"signature scheme 0x001c at offset 0 is not supported"* ]] || fail "$stderr"
	# RSASSA with SHA-1
	cp rsa.msg "$T/s.msg"
	$PY -c 'import sys; b = bytearray(open("rsa.sig", "rb").read()); b[3] = 0x04; open(sys.argv[1], "wb").write(b)' "$T/s.sig"
	run --separate-stderr -6 quote "$T/s" rsa.pem "$LOG"
	[[ $stderr == *"RSASSA with sha1 is not supported"* ]] || fail "$stderr"
}

@test "an AK given as its TPM2B_PUBLIC (tpm2_createak -u) or TPMT_PUBLIC: a restricted signing key, checked and said" {
	local fp
	for ak in ecc rsa; do
		fp=$(openssl pkey -pubin -in "$ak.pem" -outform DER | sha256sum | cut -d' ' -f1)
		run --separate-stderr -0 quote "$ak" "$ak.pub" --nonce "$NONCE" --pcrs 0,7 "$LOG"
		assert_equal "$stderr" ""
		assert_line "quote '$ak.msg' verified: AK sha256:$fp ($(alg_of "$ak"), restricted), PCRs sha256:0,7, nonce checked"
	done
	run --separate-stderr -0 quote ecc ecc.tpmt --nonce "$NONCE" --pcrs 0,7 "$LOG"
	assert_line --partial "(ES256, restricted), PCRs sha256:0,7, nonce checked"
	run --separate-stderr -0 quote ecc ecc.pub --nonce "$NONCE" --pcrs 0,7 --json "$LOG"
	fp=$(openssl pkey -pubin -in ecc.pem -outform DER | sha256sum | cut -d' ' -f1)
	$PY -c 'import json, sys; q = json.loads(sys.argv[1])["quote"]; assert q["verified"] and q["ak"] == {"path": "ecc.pub", "type": "ec-p256", "sha256_fingerprint": sys.argv[2], "restricted": True, "object_attributes": "0x00050072"}, q' "$output" "$fp"
	# another key's public area: the signature check says no
	run --separate-stderr -1 quote ecc rsa.pub "$LOG"
	[[ $stderr == *"the quote has an ECDSA signature but AK 'rsa.pub' is rsa-2048"* ]] || fail "$stderr"
}

@test "E6: a quote forged with a TPM key that is not restricted: its TPM2B_PUBLIC shows it, a no (1, ak)" {
	# as a PEM key the attributes cannot be seen: the made-up quote passes,
	# and the output says the AK's attributes were not checked
	run --separate-stderr -0 quote forged free.pem --nonce "$FORGED_NONCE" --pcrs 0,7 "$LOG"
	assert_line --partial "(ES256, attributes not checked), PCRs sha256:0,7, nonce checked"
	run --separate-stderr -1 quote forged free.pub --nonce "$FORGED_NONCE" --pcrs 0,7 "$LOG"
	assert_equal "$stderr" "fwtrail eventlog replay: quote 'forged.msg': AK 'free.pub' is not a restricted signing key of a TPM (objectAttributes 0x00040072: restricted is clear: a TPM key without it signs any digest, a made-up TPMS_ATTEST among them)"
	refute_output --partial "verified"
	run --separate-stderr -1 quote forged free.pub --nonce "$FORGED_NONCE" --pcrs 0,7 --json "$LOG"
	$PY -c 'import json, sys; o = json.loads(sys.argv[1]); q = o["quote"]; assert o["ok"] is False and q["verified"] is False and q["failed"] == "ak" and q["ak"]["restricted"] is False and q["ak"]["object_attributes"] == "0x00040072", o' "$output"
}

@test "a TPM2B_PUBLIC or TPMT_PUBLIC cut short or with a byte more exits 4 with the offset; another curve 6" {
	n=$(stat -c %s ecc.pub)
	head -c 50 ecc.pub > "$T/t.pub"
	run --separate-stderr -4 quote ecc "$T/t.pub" "$LOG"
	assert_equal "$stderr" "fwtrail eventlog replay: '$T/t.pub': size at offset 0 is $((n - 2)) bytes, 48 left"
	head -c 20 ecc.tpmt > "$T/t.tpmt"
	run --separate-stderr -4 quote ecc "$T/t.tpmt" "$LOG"
	[[ $stderr == *"'$T/t.tpmt': unique.ecc.x at offset 20 needs 2 bytes, 0 left"* ]] || fail "$stderr"
	{ cat ecc.pub; printf x; } > "$T/t.pub"
	run --separate-stderr -4 quote ecc "$T/t.pub" "$LOG"
	[[ $stderr == *"'$T/t.pub': 1 trailing bytes at offset $n"* ]] || fail "$stderr"
	# curveID (offset 18) NIST P-521
	$PY -c 'import sys; b = bytearray(open("ecc.pub", "rb").read()); b[19] = 5; open(sys.argv[1], "wb").write(b)' "$T/c.pub"
	run --separate-stderr -6 quote ecc "$T/c.pub" "$LOG"
	[[ $stderr == *"'$T/c.pub': ECC curve 0x0005 at offset 18 is not supported (use NIST P-256 or P-384)"* ]] || fail "$stderr"
}

@test "usage: --quote, --quote-sig and --ak go together" {
	run --separate-stderr -2 fwtrail eventlog replay --quote ecc.msg --ak ecc.pem "$LOG"
	[[ $stderr == *"--quote, --quote-sig and --ak go together"* ]] || fail "$stderr"
	run --separate-stderr -2 fwtrail eventlog replay --nonce 00 "$LOG"
	run --separate-stderr -3 quote ecc missing.pem "$LOG"
}
