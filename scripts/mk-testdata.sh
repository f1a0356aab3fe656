#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Make the project's own fixtures under testdata/ deterministically.
# Usage: scripts/mk-testdata.sh [firmware]   (default: everything)
set -eu
cd "$(dirname "$0")/.."

# pseudo-random but reproducible bytes: SHA-512 in counter mode over a label
prng() { # label bytes
	/usr/bin/python3 - "$1" "$2" <<'PY'
import hashlib, sys
label, n = sys.argv[1].encode(), int(sys.argv[2])
out, i = bytearray(), 0
while len(out) < n:
    out += hashlib.sha512(label + i.to_bytes(8, "big")).digest()
    i += 1
sys.stdout.buffer.write(bytes(out[:n]))
PY
}

make_firmware() {
	d=testdata/firmware
	rm -rf "$d"
	mkdir -p "$d/release/acme-bmc/bin" "$d/release/acme-bmc/etc"
	prng bmc-1.2.3 262144 > "$d/bmc-1.2.3.bin"
	prng bios-4.1.0 131072 > "$d/bios-4.1.0.bin"
	prng nic-7.0.2 65536 > "$d/nic-7.0.2.bin"
	prng rot-rom-1.0 32768 > "$d/rot-rom-1.0.bin"
	prng acme-bmc-app 98304 > "$d/release/acme-bmc/bin/bmcd.elf"
	printf 'listen = 0.0.0.0:443\nlog = info\n' > "$d/release/acme-bmc/etc/bmcd.conf"
	printf 'acme-bmc 1.2.3\n' > "$d/release/acme-bmc/VERSION"
	cat > "$d/README.md" <<'MD'
# testdata/firmware

Sample firmware for tests and `make demo`, made by `scripts/mk-testdata.sh
firmware`. Every `.bin` is 2^k bytes of SHA-512 counter-mode output over its
own name (reproducible, incompressible, meaningless); `release/acme-bmc/` is
a small release folder for `digest --manifest` and SFR manifests.

| file | what it stands for |
|---|---|
| bmc-1.2.3.bin | a BMC firmware image |
| bios-4.1.0.bin | a host BIOS image |
| nic-7.0.2.bin | a NIC firmware image |
| rot-rom-1.0.bin | a root-of-trust ROM |
| release/acme-bmc/ | a release folder (binary, config, version) |
MD
}

case "${1:-all}" in
firmware | all) make_firmware ;;
*) echo "usage: $0 [firmware]" >&2; exit 2 ;;
esac
