#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install every Debian package fwtrail needs to build, test, fuzz and benchmark.
# Idempotent: quiet when everything is present; runs `apt-get update` only when
# something is missing.
set -eu

PACKAGES="
build-essential gcc clang pkg-config make
libssl-dev openssl
libp11-kit-dev p11-kit p11-kit-modules
softhsm2 opensc gnutls-bin
libjansson-dev libcbor-dev libarchive-dev
libxml2-dev libxmlsec1-dev libxmlsec1-openssl xmlsec1
bats bats-assert bats-support bats-file
mandoc man-db
python3 python3-jwt python3-cbor2 python3-cryptography python3-asn1crypto python3-lxml
libclang-rt-14-dev
tpm2-tools swtpm swtpm-tools libtpm2-pkcs11-1 libtpm2-pkcs11-tools
hyperfine valgrind strace xxd faketime tmux parallel
zsh fish
tar gzip xz-utils zstd bzip2 cpio zip unzip libarchive-tools genisoimage xorriso
time
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
		echo "deps.sh: missing packages:$missing (run as root to install)" >&2
		exit 1
	fi
else
	SUDO=""
fi

echo "deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
