#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# make install into a staging folder: binary, library, headers, pkg-config
# file, man pages and completions all land and work from there.

load helpers

@test "make install DESTDIR stages a working tree" {
	local D=$BATS_TEST_TMPDIR/stage
	run -0 make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr
	run -0 "$D/usr/bin/fwtrail" --version
	[ -f "$D/usr/lib/libfwtrail.a" ] && [ -L "$D/usr/lib/libfwtrail.so" ]
	[ -f "$D/usr/include/fwtrail/fwtrail.h" ]
	[ -f "$D/usr/share/bash-completion/completions/fwtrail" ]
	[ -f "$D/usr/share/zsh/vendor-completions/_fwtrail" ]
	[ -f "$D/usr/share/fish/vendor_completions.d/fwtrail.fish" ]
	run -0 man -l "$D/usr/share/man/man1/fwtrail-digest.1"
	assert_output --partial "fwtrail digest"
	# a program built against the staged headers and library
	skip_if_sanitized "linking a plain program against the sanitized library"
	cat > "$BATS_TEST_TMPDIR/p.c" <<'C'
#include <fwtrail/fwtrail.h>
#include <stdio.h>
int main(void) {
	fwt_ctx *ctx; fwt_digests d; char h[97];
	if (fwt_ctx_new(&ctx, NULL) || fwt_digest_buffer(ctx, FWT_DIGEST_SHA384, "abc", 3, &d)) return 1;
	fwt_hex_encode(h, d.sha384, 48); puts(h); fwt_ctx_free(ctx); return 0;
}
C
	run -0 sh -c "PKG_CONFIG_SYSROOT_DIR='$D' PKG_CONFIG_PATH='$D/usr/lib/pkgconfig' \
		cc -o '$BATS_TEST_TMPDIR/p' '$BATS_TEST_TMPDIR/p.c' \$(PKG_CONFIG_SYSROOT_DIR='$D' PKG_CONFIG_PATH='$D/usr/lib/pkgconfig' pkg-config --cflags fwtrail) \
		'$D/usr/lib/libfwtrail.a' \$(pkg-config --libs openssl p11-kit-1 jansson libcbor libarchive libxml-2.0 xmlsec1-openssl) -ldl -pthread"
	run -0 "$BATS_TEST_TMPDIR/p"
	assert_output "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
}
