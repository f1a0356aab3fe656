#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `make demo`: the main job on sample data.  Every step prints the fwtrail
# command it runs, so this doubles as a tutorial.  It works in a temporary
# folder and removes it at the end.
set -eu
cd "$(dirname "$0")/.."
FWTRAIL=${FWTRAIL:-$PWD/build/fwtrail}
FW=$PWD/testdata/firmware
work=$(mktemp -d "${TMPDIR:-/tmp}/fwtrail-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }
run() {
	printf '$ fwtrail'
	for a in "$@"; do printf ' %s' "$a"; done
	printf '\n'
	"$FWTRAIL" "$@"
}

cd "$work"
cp -r "$FW" firmware

step "1. Digest the firmware set (SHA-384 and SHA-512 in one pass, as OCP SAFE reports carry)"
run digest firmware/bmc-1.2.3.bin firmware/bios-4.1.0.bin firmware/nic-7.0.2.bin

step "2. The OCP SAFE manifest of a release folder, and of the same release as a tarball"
run digest --manifest firmware/release/acme-bmc
tar -C firmware/release -czf acme-bmc-1.2.3.tar.gz acme-bmc
run digest --manifest acme-bmc-1.2.3.tar.gz

step "3. Check the digests later with coreutils"
"$FWTRAIL" digest firmware/bmc-1.2.3.bin > bmc.sums
printf '$ cksum -c bmc.sums\n'
cksum -c bmc.sums

printf '\ndemo finished: every step passed\n'
