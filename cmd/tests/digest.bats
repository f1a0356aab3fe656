#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# fwtrail digest: files, stdin, manifests of folders and archives, errors.

load helpers

MANIFEST_DIR="$CORPORA/sfr/shortform_report-main/samples/manifest"

setup() {
	T=$BATS_TEST_TMPDIR
	printf 'firmware image\n' > "$T/fw.bin"
	head -c 300000 /dev/urandom > "$T/big.bin"
}

@test "default: SHA-384 and SHA-512 as BSD-tagged lines equal to coreutils" {
	run -0 fwtrail digest "$T/fw.bin"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 "SHA384 ($T/fw.bin) = $(sha384sum < "$T/fw.bin" | cut -d' ' -f1)"
	assert_line --index 1 "SHA512 ($T/fw.bin) = $(sha512sum < "$T/fw.bin" | cut -d' ' -f1)"
}

@test "output is accepted by cksum -c and sha384sum -c" {
	fwtrail digest "$T/fw.bin" "$T/big.bin" > "$T/sums"
	run -0 cksum -c "$T/sums"
	assert_line "$T/fw.bin: OK"
	grep '^SHA384' "$T/sums" > "$T/sums384"
	run -0 sha384sum -c "$T/sums384"
	printf 'X' >> "$T/fw.bin"
	run -1 cksum -c "$T/sums"
}

@test "--alg chooses any subset, in a fixed order" {
	run -0 fwtrail digest --alg sha512,sha256 "$T/big.bin"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 "SHA256 ($T/big.bin) = $(sha256sum < "$T/big.bin" | cut -d' ' -f1)"
	assert_line --index 1 "SHA512 ($T/big.bin) = $(sha512sum < "$T/big.bin" | cut -d' ' -f1)"
	run -0 fwtrail digest -a SHA-384 "$T/fw.bin"
	assert_equal "${#lines[@]}" 1
}

@test "--alg rejects unknown algorithms and sha1 (exit 2)" {
	run --separate-stderr -2 fwtrail digest --alg sha384,md5 "$T/fw.bin"
	[[ $stderr == *"unknown digest algorithm 'md5'"* ]]
	assert_equal "$output" ""
	run -2 fwtrail digest --alg sha1 "$T/fw.bin"
}

@test "'-' reads standard input" {
	run -0 bash -c '"$FWTRAIL" digest --alg sha384 - < "$1"' _ "$T/big.bin"
	assert_output "SHA384 (-) = $(sha384sum < "$T/big.bin" | cut -d' ' -f1)"
}

@test "'-' given twice is a usage error (exit 2): the second would be the digest of nothing" {
	echo abc > "$T/abc"
	run --separate-stderr -2 fwtrail digest - - < "$T/abc"
	assert_equal "$output" ""
	[[ $stderr == "fwtrail digest: '-' (standard input) is given 2 times: it can be read once"* ]] || fail "$stderr"
	# names are case-insensitive, as the man page says
	run -0 fwtrail digest --alg SHA-384 "$T/big.bin"
	assert_output "SHA384 ($T/big.bin) = $(sha384sum < "$T/big.bin" | cut -d' ' -f1)"
}

@test "a large stream from a pipe is hashed on threads and equals coreutils" {
	run -0 bash -c 'head -c 50000000 /dev/zero | "$FWTRAIL" digest -' _
	assert_line --index 0 "SHA384 (-) = $(head -c 50000000 /dev/zero | sha384sum | cut -d' ' -f1)"
	assert_line --index 1 "SHA512 (-) = $(head -c 50000000 /dev/zero | sha512sum | cut -d' ' -f1)"
}

@test "a missing file is exit 3 and nothing partial reaches stdout" {
	run --separate-stderr -3 fwtrail digest "$T/fw.bin" "$T/missing.bin"
	assert_equal "$output" ""
	[[ $stderr == "fwtrail digest: cannot open '$T/missing.bin': No such file or directory" ]]
}

@test "a folder without --manifest is a usage error with a hint" {
	run --separate-stderr -2 fwtrail digest "$T"
	[[ $stderr == *"is a folder (use --manifest"* ]]
	assert_equal "$output" ""
}

@test "--json lists every file with its digests" {
	fwtrail digest --json "$T/fw.bin" > "$T/out.json"
	$PY - "$T/fw.bin" "$T/out.json" <<'PY'
import hashlib, json, sys
o = json.load(open(sys.argv[2]))
data = open(sys.argv[1], "rb").read()
f = o["files"][0]
assert o["ok"] is True and o["command"] == "digest" and o["schema"] == 1
assert f["path"] == sys.argv[1] and f["size"] == len(data)
assert f["sha384"] == hashlib.sha384(data).hexdigest()
assert f["sha512"] == hashlib.sha512(data).hexdigest()
assert "sha256" not in f
PY
}

@test "--json on failure: ok false with an error code, same exit status" {
	run --separate-stderr -3 fwtrail digest --json "$T/nope"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] is False and o["error"]["code"]=="io" and "nope" in o["error"]["message"]' <<<"$output"
}

@test "names with a newline use the escape cksum -c understands" {
	f="$T/new"$'\n'"line.bin"
	printf 'abc' > "$f"
	fwtrail digest "$f" > "$T/sums"
	run -0 head -c1 "$T/sums"
	assert_output '\'
	run -0 cksum -c "$T/sums"
}

# The OCP sample: the manifest and fw hashes inside its signed manifest.jws.
expected_manifest() {
	$PY - "$MANIFEST_DIR/manifest.jws" <<'PY'
import base64, json, sys
tok = open(sys.argv[1]).read().strip().split(".")
p = json.loads(base64.urlsafe_b64decode(tok[1] + "=" * (-len(tok[1]) % 4)))
d = p["device"]
print(json.dumps({"manifest": d["manifest"], "fw_hash_sha2_384": d["fw_hash_sha2_384"],
                  "fw_hash_sha2_512": d["fw_hash_sha2_512"]}, sort_keys=True))
PY
}
ours() {
	$PY -c 'import json,sys; o=json.load(sys.stdin); print(json.dumps({k: o[k] for k in ("manifest","fw_hash_sha2_384","fw_hash_sha2_512")}, sort_keys=True))'
}

@test "--manifest of the OCP sample folder equals its signed manifest" {
	need_corpus sfr
	want=$(expected_manifest)
	run -0 fwtrail digest --manifest --json "$MANIFEST_DIR/myapp"
	assert_equal "$(ours <<<"$output")" "$want"
	run -0 fwtrail digest --manifest --json "$MANIFEST_DIR/myapp/"
	assert_equal "$(ours <<<"$output")" "$want"
	run -0 fwtrail digest --manifest "$MANIFEST_DIR/myapp"
	assert_line --index 0 "fw_hash_sha2_384: 848aff556097fc1eaf08253abd00af0aad0c317c3490e88bef09348658ce6e14829815fca075d9e03fcf236a47ff91dc"
}

@test "--manifest of the sample as tar.gz, tar.xz, zip and ./-prefixed tar gives the same" {
	need_corpus sfr
	want=$(expected_manifest)
	tar -C "$MANIFEST_DIR" -czf "$T/myapp.tar.gz" myapp
	tar -C "$MANIFEST_DIR" -cJf "$T/myapp.tar.xz" myapp
	tar -C "$MANIFEST_DIR" -cf "$T/dot.tar" ./myapp
	(cd "$MANIFEST_DIR" && zip -qr "$T/myapp.zip" myapp)
	for a in myapp.tar.gz myapp.tar.xz dot.tar myapp.zip; do
		run -0 fwtrail digest --manifest --json "$T/$a"
		assert_equal "$(ours <<<"$output")" "$want"
	done
}

@test "--strip drops leading components as tar does" {
	need_corpus sfr
	mkdir -p "$T/wrap" && cp -r "$MANIFEST_DIR/myapp" "$T/wrap/"
	tar -C "$T" -czf "$T/wrapped.tgz" wrap
	run -0 fwtrail digest --manifest --strip 1 --json "$T/wrapped.tgz"
	assert_equal "$(ours <<<"$output")" "$(expected_manifest)"
	run -2 fwtrail digest --strip 1 "$T/fw.bin"
	run -2 fwtrail digest --manifest --strip x "$T/wrapped.tgz"
}

# A strip that removes every file is a mistake in the strip: never the
# hash of an empty manifest with exit 0 and a warning blaming the archive.
@test "--strip that leaves no file is a usage error naming the depth; --manifest - is refused" {
	mkdir -p "$T/rel/a/b" && printf 'x' > "$T/rel/a/b/f" && printf 'y' > "$T/rel/a/g"
	tar -C "$T" -cf "$T/rel.tar" rel
	run --separate-stderr -2 fwtrail digest --manifest --strip 4 "$T/rel.tar"
	assert_equal "${stderr_lines[0]}" "fwtrail digest: '$T/rel.tar': stripping 4 leading name components leaves none of its 2 files (the deepest name has 4)"
	assert_output ""
	run --separate-stderr -0 fwtrail digest --manifest --strip 3 "$T/rel.tar"
	assert_line "manifest: 1 file"
	run --separate-stderr -2 fwtrail digest --manifest --strip 9 "$T/rel"
	run --separate-stderr -2 bash -c '"$FWTRAIL" digest --manifest - < "$1"' _ "$T/rel.tar"
	assert_equal "${stderr_lines[0]}" "fwtrail digest: --manifest reads a folder or an archive file, not standard input: give its path"
}

# The round 6 review's finding 4: a/x (a file) and b/x/y are distinct, but
# --strip 1 makes them 'x' and 'x/y', and tar --strip-components 1 extracts
# x/y alone.  Two names --strip makes equal, or a file and a folder, are
# refused; two folders of one name are one folder.
@test "--strip: names it makes clash (a file and a folder, or twice a file) are refused (exit 4)" {
	mkdir -p "$T/st/a" "$T/st/b/x" "$T/st/c/x"
	echo one > "$T/st/a/x"
	echo two > "$T/st/b/x/y"
	tar -C "$T/st" -cf "$T/r.tar" a b
	mkdir "$T/gt"
	tar -xf "$T/r.tar" -C "$T/gt" --strip-components 1
	[ -d "$T/gt/x" ] && [ -f "$T/gt/x/y" ]
	run -0 fwtrail digest --manifest "$T/r.tar"
	run --separate-stderr -4 fwtrail digest --manifest --strip 1 "$T/r.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/r.tar' holds 'x' both as a file and as a folder once 1 leading name component is stripped"
	assert_equal "$output" ""
	# without folder entries too
	tar -C "$T/st" --no-recursion -cf "$T/files.tar" a/x b/x/y
	run --separate-stderr -4 fwtrail digest --manifest --strip 1 "$T/files.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/files.tar' holds 'x' both as a file and as a folder once 1 leading name component is stripped"
	# a file twice
	echo three > "$T/st/c/x/y"
	tar -C "$T/st" -cf "$T/twice.tar" b c
	run --separate-stderr -4 fwtrail digest --manifest --strip 1 "$T/twice.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/twice.tar' holds 'x/y' twice once 1 leading name component is stripped (a manifest needs one entry per name)"
	# folders of one name merge
	rm "$T/st/c/x/y" && echo four > "$T/st/c/x/z"
	tar -C "$T/st" -cf "$T/merge.tar" b c
	run -0 fwtrail digest --manifest --strip 1 "$T/merge.tar"
	assert_line --partial "  x/y"
	assert_line --partial "  x/z"
}

# The round 6 review's finding 7: binutils' ar writes a member's mode as 644
# without file type bits (deterministic mode, its default), and ar rcs puts
# a "/" symbol table first (and "//" for long names): both were refused.
# The manifest is now what `ar x` extracts.
@test "ar: archives as binutils ar writes them list what ar x extracts" {
	command -v ar > /dev/null && command -v as > /dev/null || skip "binutils (ar, as) is not installed"
	mkdir "$T/ar" && cd "$T/ar"
	head -c 1000 /dev/urandom > fw.bin
	printf 'recovery image\n' > acme-bmc-recovery-1.2.3.bin
	printf '.globl fw_version\n.data\nfw_version: .long 1\n' | as -o version.o
	ar rcS plain.a fw.bin
	ar rcs lib.a version.o acme-bmc-recovery-1.2.3.bin fw.bin
	ar rcsU real.a fw.bin
	run -0 ar t lib.a
	assert_output $'version.o\nacme-bmc-recovery-1.2.3.bin\nfw.bin'
	run -0 bsdtar -tf lib.a
	assert_line /
	assert_line //
	local a
	for a in plain lib real; do
		mkdir "x-$a" && (cd "x-$a" && ar x ../$a.a)
		run -0 fwtrail digest --manifest --strip 1 "x-$a"
		local want=$output
		run --separate-stderr -0 fwtrail digest --manifest $a.a
		assert_equal "$output" "$want"
		assert_equal "$stderr" ""
	done
	assert_output --partial "  fw.bin"
	run -0 fwtrail digest --manifest lib.a
	assert_line --partial "  version.o"
	assert_line --partial "  acme-bmc-recovery-1.2.3.bin"
	refute_line --regexp '  /*$'
	# a symbol table that is not the first member is a member to binutils
	# (an empty name to libarchive): refused
	"$PY" - lib.a late.a <<'PY'
import sys
d = open(sys.argv[1], "rb").read(); i, m = 8, []
while i < len(d):
    size = int(d[i + 48:i + 58]); end = i + 60 + size + (size & 1); m.append(d[i:end]); i = end
open(sys.argv[2], "wb").write(b"!<arch>\n" + m[1] + m[2] + m[0] + b"".join(m[3:]))
PY
	run --separate-stderr -4 fwtrail digest --manifest late.a
	assert_equal "$stderr" "fwtrail digest: corrupt archive 'late.a': an entry that is not a folder has an empty name"
}

# A link inside a folder is refused, not skipped (manifest.bats has the rest).
@test "--manifest refuses a symbolic link inside a folder unless --follow-symlinks" {
	mkdir -p "$T/rel/sub"
	printf 'a' > "$T/rel/a.bin"
	ln -s /etc/passwd "$T/rel/sub/link"
	run --separate-stderr -4 fwtrail digest --manifest --json "$T/rel"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] is False and "symbolic link" in o["error"]["message"] and "manifest" not in o, o' <<<"$output"
	run -0 fwtrail digest --manifest --follow-symlinks --json "$T/rel"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert [e["file_name"] for e in o["manifest"]]==["rel/a.bin", "rel/sub/link"], o' <<<"$output"
}

# RELIABILITY O7: inputs are opened with O_NOFOLLOW unless --follow-symlinks.
@test "O7: a symbolic link given as a file is exit 2 with nothing printed, unless --follow-symlinks" {
	cd "$T"
	ln -s fw.bin link.bin
	mkdir real && ln -s real dirlink
	run --separate-stderr -2 fwtrail digest fw.bin link.bin
	assert_equal "$stderr" "fwtrail digest: 'link.bin' is a symbolic link (not followed without --follow-symlinks)"
	assert_equal "$output" ""
	run --separate-stderr -2 fwtrail digest --json link.bin
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] is False and "symbolic link" in o["error"]["message"], o' <<<"$output"
	# a link to a folder is named as a link, not as a folder
	run --separate-stderr -2 fwtrail digest dirlink
	assert_equal "$stderr" "fwtrail digest: 'dirlink' is a symbolic link (not followed without --follow-symlinks)"
	fwtrail digest --alg sha256,sha384,sha512 fw.bin | sed 's/^\([A-Z0-9]*\) (fw.bin)/\1 (link.bin)/' > real.sums
	fwtrail digest --alg sha256,sha384,sha512 --follow-symlinks link.bin > link.sums
	cmp real.sums link.sums
	run --separate-stderr -2 fwtrail digest --follow-symlinks dirlink
	[[ $stderr == *"'dirlink' is a folder (use --manifest"* ]]
}

@test "O7: --manifest of a folder or archive given as a symbolic link is exit 2, unless --follow-symlinks" {
	cd "$T"
	mkdir -p rel/sub
	printf 'a' > rel/a.bin
	printf 'b' > rel/sub/b.bin
	tar -czf rel.tgz rel
	ln -s rel rel.link
	ln -s rel.tgz tgz.link
	for p in rel.link rel.link/ tgz.link; do
		run --separate-stderr -2 fwtrail digest --manifest "$p"
		assert_equal "$stderr" "fwtrail digest: '$p' is a symbolic link (not followed without --follow-symlinks)"
		assert_equal "$output" ""
	done
	# followed: the real manifest, named after the real folder
	fwtrail digest --manifest rel > real.txt
	grep -q '  rel/sub/b.bin$' real.txt
	fwtrail digest --manifest --follow-symlinks rel.link > link.txt
	cmp real.txt link.txt
	fwtrail digest --manifest --follow-symlinks rel.link/ > link.txt
	cmp real.txt link.txt
	fwtrail digest --manifest rel.tgz > real.txt
	fwtrail digest --manifest --follow-symlinks tgz.link > link.txt
	cmp real.txt link.txt
}

@test "a file that is not an archive is exit 4" {
	run --separate-stderr -4 fwtrail digest --manifest "$T/fw.bin"
	[[ $stderr == *"is not a readable archive"* ]]
}

@test "a corrupt archive is exit 4 naming the entry, with nothing on stdout" {
	mkdir -p "$T/c"
	head -c 2000000 /dev/urandom > "$T/c/blob.bin"
	tar -C "$T" -czf "$T/c.tgz" c
	head -c 1000000 "$T/c.tgz" > "$T/cut.tgz"
	run --separate-stderr -4 fwtrail digest --manifest "$T/cut.tgz"
	assert_equal "$output" ""
	[[ $stderr == *"corrupt archive"*"c/blob.bin"* ]]
}

@test "a missing folder or archive is exit 3" {
	run -3 fwtrail digest --manifest "$T/nothing-here"
}

@test "1 GiB input streams with bounded memory and the right digests" {
	truncate -s 1G "$T/sparse.img"
	skip_if_sanitized "peak RSS"
	rss=$(peak_rss_kib "$FWTRAIL" digest "$T/sparse.img")
	[ "$rss" -lt 32768 ] || fail "peak RSS $rss KiB"
	run -0 fwtrail digest --alg sha512 "$T/sparse.img"
	assert_output "SHA512 ($T/sparse.img) = $(sha512sum < "$T/sparse.img" | cut -d' ' -f1)"
}

@test "no progress output when stderr is not a terminal" {
	truncate -s 100M "$T/p.img"
	run --separate-stderr -0 fwtrail digest "$T/p.img"
	assert_equal "$stderr" ""
}

@test "a progress line appears on a terminal for inputs over 64 MiB, and is cleared" {
	command -v script >/dev/null || skip "script(1) not installed"
	truncate -s 300M "$T/p.img"
	run -0 script -qec "'$FWTRAIL' digest --alg sha512 '$T/p.img'" /dev/null
	[[ $output == *"$T/p.img: "*"% ("*" of 300 MiB)"* ]]
	[[ $output == *$'\e[K'"SHA512 ($T/p.img) = "* ]]
	run -0 script -qec "'$FWTRAIL' digest --json --alg sha512 '$T/p.img'" /dev/null
	[[ $output != *"MiB)"* ]]
}

# ---- review findings 9 and 11 (d): names in JSON and tagged lines, --strip ----

@test "--json: a file name that is not UTF-8 keeps its path, with its exact bytes in path_hex" {
	local bad
	bad="$T/$(printf 'fw\377.bin')"
	printf abc > "$bad"
	printf def > "$T/ok.bin"
	run --separate-stderr -0 fwtrail digest --json -a sha256 "$T/ok.bin" "$bad"
	$PY -c '
import json, sys
t = sys.argv[1]
ok, bad = json.load(sys.stdin)["files"]
assert ok["path"] == t + "/ok.bin" and "path_hex" not in ok, ok
assert bad["path"] == t + "/fw\ufffd.bin", bad
assert bytes.fromhex(bad["path_hex"]) == t.encode() + b"/fw\xff.bin", bad
assert bad["sha256"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", bad
' "$T" <<<"$output"
}

@test "--manifest --json: a release path that is not UTF-8 keeps its path, with path_hex" {
	local rel
	rel="$T/$(printf 'rel\377.tar')"
	mkdir "$T/r" && printf x > "$T/r/a.bin"
	tar -C "$T" -cf "$rel" r
	run --separate-stderr -0 fwtrail digest --manifest --json "$rel"
	$PY -c '
import json, sys
o = json.load(sys.stdin)
assert o["path"].endswith("/rel\ufffd.tar") and bytes.fromhex(o["path_hex"]).endswith(b"/rel\xff.tar"), o
assert [e["file_name"] for e in o["manifest"]] == ["r/a.bin"], o
' <<<"$output"
}

@test "tagged lines escape a carriage return as coreutils 9 does, and sha256sum -c accepts them" {
	local n
	n="$T/$(printf 'a\rb')"
	printf abc > "$n"
	run --separate-stderr -0 fwtrail digest -a sha256 "$n"
	assert_equal "$output" "\\SHA256 ($T/a\\rb) = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if sha256sum --tag "$n" | grep -q '^\\'; then # coreutils >= 9.0
		assert_equal "$output" "$(sha256sum --tag "$n")"
	fi
	printf '%s\n' "$output" > "$T/sums"
	run -0 sha256sum -c "$T/sums"
}

@test "--strip over the limit says the limit, not 'not a number'" {
	run --separate-stderr -2 fwtrail digest --manifest --strip 2000 x.tar
	assert_equal "$stderr" "fwtrail digest: --strip: '2000' is over the limit of 1024 path components
Try 'fwtrail digest --help'."
	run --separate-stderr -2 fwtrail digest --manifest --strip 2x x.tar
	assert_equal "${stderr_lines[0]}" "fwtrail digest: --strip: '2x' is not a number of path components"
}

@test "--manifest listing: a backslash in a name is doubled, so a name spelling an escape never reads as another name" {
	mkdir "$T/amb"
	printf a > "$T/amb/tab	x"
	printf b > "$T/amb/tab\\x09x"
	printf c > "$T/amb/del"$'\x7f'
	cd "$T"
	run --separate-stderr -0 fwtrail digest --manifest amb
	assert_line "  $(printf a | sha512sum | cut -d' ' -f1)  amb/tab\\x09x"
	assert_line "  $(printf b | sha512sum | cut -d' ' -f1)  amb/tab\\\\x09x"
	assert_line "  $(printf c | sha512sum | cut -d' ' -f1)  amb/del\\x7f"
}
