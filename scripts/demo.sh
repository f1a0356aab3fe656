#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `make demo`: the whole paper trail on sample data, as a new user meets it.
# Every step prints the fwtrail command it runs, so this doubles as a
# tutorial.  It uses a throwaway SoftHSM2 token and a temporary folder, and
# removes both at the end.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
FWTRAIL=${FWTRAIL:-$ROOT/build/fwtrail}
FW=$ROOT/testdata/firmware
SERVER=$ROOT/testdata/server
work=$(mktemp -d "${TMPDIR:-/tmp}/fwtrail-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*" 2>/dev/null || printf '\n== %s\n' "$*"; }
show() { # print a command as the user would type it, then run it
	printf '$ fwtrail'
	for a in "$@"; do
		case $a in *[!A-Za-z0-9_./:=,@%+-]*) printf " '%s'" "$a" ;; *) printf ' %s' "$a" ;; esac
	done
	printf '\n'
	"$FWTRAIL" "$@"
}
# a step that must answer "no": its failure is the point
show_no() {
	rc=0
	show "$@" || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "demo: expected this to fail, and it did not" >&2
		exit 1
	fi
	echo "(exit $rc: the answer is no, as it should be)"
}

cd "$work"
cp -r "$FW" firmware

# ---- a throwaway HSM: SoftHSM2, reached through p11-kit like any other ----
export SOFTHSM2_CONF="$work/softhsm2.conf"
export TPM2_PKCS11_STORE="$work/tpm2-store"
mkdir -p tokens "$TPM2_PKCS11_STORE"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" > "$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label demo-hsm --pin 246810 --so-pin 135791 >/dev/null
umask 077
printf '246810\n' > pin
umask 022
TOKEN='pkcs11:token=demo-hsm'

step "1. Keys on the HSM: a vendor signing key (P-384) and a reviewer's key (P-521)"
show key generate --type ec-p384 --label vendor-fw --token "$TOKEN" --pin-file pin
show key generate --type ec-p521 --label reviewer --token "$TOKEN" --pin-file pin
show key list --pin-file pin
show key export --pin-file pin -o vendor.pub "$TOKEN;object=vendor-fw"
show key export --pin-file pin -o reviewer.pub "$TOKEN;object=reviewer"
mkdir -p trust && cp vendor.pub reviewer.pub trust/

step "2. Release engineer: digest and sign the firmware set in one call (one login)"
show digest firmware/bmc-1.2.3.bin firmware/bios-4.1.0.bin
mkdir -p sigs
show sign --key "$TOKEN;object=vendor-fw" --pin-file pin --out-dir sigs \
	firmware/bmc-1.2.3.bin firmware/bios-4.1.0.bin firmware/nic-7.0.2.bin
show verify --key vendor.pub sigs/bmc-1.2.3.bin.sig firmware/bmc-1.2.3.bin
show sign --key "$TOKEN;object=vendor-fw" --pin-file pin --format cose -o bmc.cose firmware/bmc-1.2.3.bin
show verify --key vendor.pub bmc.cose firmware/bmc-1.2.3.bin

step "3. Vendor: reference values as a CoRIM RIM, signed on the HSM"
show rim create --vendor ACME --model 'BMC 1' --measurement 1=firmware/rot-rom-1.0.bin \
	--measurement 2=firmware/bmc-1.2.3.bin -o bmc.corim
show rim sign --key "$TOKEN;object=vendor-fw" --pin-file pin --signer 'ACME firmware signing' \
	--not-after 2030-01-01 -o bmc.signed.corim bmc.corim
show rim verify --key vendor.pub bmc.signed.corim
show rim show bmc.signed.corim

step "4. Security reviewer: an OCP SAFE report, linted and signed (JWS and CoRIM/COSE)"
cat > issues.csv <<'CSV'
title,cvss_score,cvss_vector,cwe,description,cve
Debug console reachable without authentication,8.1,CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N,CWE-306,The UART console accepts commands before login.,
CSV
show sfr create --vendor ACME --product 'BMC 1' --category bmc --repo-tag v1.2.3 --fw-version 1.2.3 \
	--fw firmware/bmc-1.2.3.bin --srp 'Road Runner Audits' --methodology whitebox \
	--completion-date 2026-10-30 --report-version 1.0 --scope 1 --cvss-version 3.1 --issues issues.csv \
	-o report.json
show sfr lint report.json
show sfr sign --key "$TOKEN;object=reviewer" --pin-file pin --kid 'Road Runner Audits' -o report.jws report.json
show sfr convert --to corim -o report.corim report.json
show sfr sign --key "$TOKEN;object=reviewer" --pin-file pin --kid 'Road Runner Audits' --format cose \
	-o report.cose report.corim
show sfr show report.jws

step "5. Release pipeline: verify everything before shipping"
show sfr verify --trust trust --fw firmware/bmc-1.2.3.bin report.jws report.cose
show verify --key vendor.pub sigs/bios-4.1.0.bin.sig firmware/bios-4.1.0.bin sigs/nic-7.0.2.bin.sig \
	firmware/nic-7.0.2.bin

step "6. Operator: a server's evidence (event log + SPDM) against its RIM and SFRs"
cd "$SERVER"
show attest check --evidence evidence/host.log --evidence evidence/bmc.spdm --rim rim/vendor.signed.corim \
	--sfr sfr/bmc-3.1.sfr.jws --sfr sfr/bios-2.0.sfr.jws --sfr sfr/boot.sfr.jws --trust trust/vendor.pub --sfr-trust trust/reviewer.pub \
	--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem

step "7. Audit: the admission policy's verdict, into a signed, hash-chained audit log"
show audit --policy policy.json --evidence evidence/host.log --evidence evidence/bmc.spdm \
	--rim rim/vendor.signed.corim --sfr sfr/bmc-3.1.sfr.jws --sfr sfr/bios-2.0.sfr.jws --sfr sfr/boot.sfr.jws \
	--trust trust/vendor.pub --sfr-trust trust/reviewer.pub \
	--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem --log "$work/audit.jsonl" --new-log --sign-key "$TOKEN;object=reviewer" --pin-file "$work/pin"
show audit log show "$work/audit.jsonl"
show audit log verify --key "$work/reviewer.pub" "$work/audit.jsonl"

step "8. The same server with a changed BMC image: the audit fails, and says why"
show_no audit --policy policy.json --evidence evidence/host.log --evidence evidence/bmc-tampered.spdm \
	--rim rim/vendor.signed.corim --sfr sfr/bmc-3.1.sfr.jws --sfr sfr/bios-2.0.sfr.jws --sfr sfr/boot.sfr.jws \
	--trust trust/vendor.pub --sfr-trust trust/reviewer.pub \
	--spdm-cert evidence/bmc-chain.pem --spdm-trust evidence/bmc-root.pem --log "$work/audit.jsonl"

step "9. Someone edits the audit log to hide the failure: verification names the record"
sed -i 's/"verdict":"fail"/"verdict":"pass"/' "$work/audit.jsonl"
show_no audit log verify --key "$work/reviewer.pub" "$work/audit.jsonl"

printf '\ndemo finished: the paper trail holds, and the forgeries were caught\n'
