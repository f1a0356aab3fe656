#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The manifest of a release (digest --manifest, sfr create --manifest, the
# binding of sfr verify --manifest) accounts for every entry of the folder or
# archive, or refuses it with exit 4: symbolic links, devices, FIFOs,
# duplicate names, unresolvable hard links.

load helpers

K="$TESTDATA/sfr/keys"
REPORT="$TESTDATA/sfr/bmc-report.json"

setup() {
	T=$BATS_TEST_TMPDIR
	mkdir -p "$T/rev/rel/bin" "$T/out"
	printf 'GOOD FIRMWARE\n' > "$T/rev/rel/bin/fw.bin"
	printf 'cfg\n' > "$T/rev/rel/cfg.txt"
}

# review RELEASE OUT: a signed report whose manifest is RELEASE's.
review() {
	fwtrail -q sfr create --from "$REPORT" --manifest "$1" -o "$T/review.json" --force
	fwtrail -q sfr sign --key "$K/es512.key.pem" --kid 'ACME Review Lab' -o "$2" "$T/review.json"
}

verify() {
	fwtrail sfr verify --trust "$TESTDATA/sfr/trust-kids" "$@"
}

# extract_both TAR: TAR extracted by Python's tarfile into $T/py and by GNU
# tar into $T/gnu, to show where the readers disagree.
extract_both() {
	mkdir "$T/py" "$T/gnu"
	"$PY" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$T/py"
	tar -C "$T/gnu" -xf "$1"
}

# refused_by_all RELEASE MESSAGE [OPTION]: digest --manifest, sfr create
# --manifest and sfr verify --manifest each fail with exit 4 and the one line
# MESSAGE; create writes nothing, nothing goes to stdout.
refused_by_all() {
	local rel=$1 msg=$2
	shift 2
	run --separate-stderr -4 timeout 20 "$FWTRAIL" digest --manifest "$@" "$rel"
	assert_equal "$stderr" "fwtrail digest: $msg"
	assert_equal "$output" ""
	snapshot_out "$T/out/report.json"
	run --separate-stderr -4 timeout 20 "$FWTRAIL" sfr create --from "$REPORT" --manifest "$rel" "$@" -o "$T/out/report.json"
	assert_equal "$stderr" "fwtrail sfr create: $msg"
	assert_nothing_written
	run --separate-stderr -4 timeout 20 "$FWTRAIL" sfr verify --trust "$TESTDATA/sfr/trust-kids" --manifest "$rel" "$T/review.jws"
	assert_equal "$stderr" "fwtrail sfr verify: $msg"
	assert_equal "$output" ""
}

# The review's finding 1 (review-a/repro/1): the reviewed tar plus one
# appended symbolic link over a reviewed file had the same manifest, so
# verify said OK, yet extracting it puts the link in place of the file.
@test "finding 1: a tar or tar.gz with a symbolic link appended over a reviewed file is refused (exit 4)" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	run -0 verify --manifest "$T/rel.tar" "$T/review.jws"
	mkdir -p "$T/evil/rel/bin"
	ln -s /tmp/attacker-controlled "$T/evil/rel/bin/fw.bin"
	cp "$T/rel.tar" "$T/evil.tar"
	tar -C "$T/evil" -rf "$T/evil.tar" rel/bin/fw.bin
	gzip -c "$T/evil.tar" > "$T/evil.tar.gz"
	for a in evil.tar evil.tar.gz; do
		refused_by_all "$T/$a" "release '$T/$a' holds a symbolic link 'rel/bin/fw.bin' (a manifest covers regular files only)"
	done
	# what the refused archive extracts to: the link, not the reviewed file
	mkdir "$T/x"
	tar -xf "$T/evil.tar" -C "$T/x"
	[ -L "$T/x/rel/bin/fw.bin" ]
	# the same in JSON: one object, no manifest
	run --separate-stderr -4 fwtrail digest --manifest --json "$T/evil.tar"
	$PY -c 'import json,sys; o=json.load(sys.stdin); assert o["ok"] is False and o["error"]["code"] == "malformed" and "manifest" not in o, o' <<<"$output"
}

@test "finding 1 in a zip: a symbolic link entry over a reviewed file is refused (exit 4)" {
	(cd "$T/rev" && zip -qr "$T/rel.zip" rel)
	review "$T/rel.zip" "$T/review.jws"
	run -0 verify --manifest "$T/rel.zip" "$T/review.jws"
	cp "$T/rel.zip" "$T/evil.zip"
	$PY - "$T/evil.zip" <<'PY'
import sys, warnings, zipfile
warnings.simplefilter("ignore")  # the duplicate name is the point
with zipfile.ZipFile(sys.argv[1], "a") as z:
    i = zipfile.ZipInfo("rel/bin/fw.bin")
    i.create_system = 3  # Unix: external_attr holds st_mode
    i.external_attr = 0o120777 << 16
    z.writestr(i, "/tmp/attacker-controlled")
PY
	refused_by_all "$T/evil.zip" "release '$T/evil.zip' holds a symbolic link 'rel/bin/fw.bin' (a manifest covers regular files only)"
	# a zip made with --symlinks from a folder holding a link
	ln -s fw.bin "$T/rev/rel/bin/current"
	(cd "$T/rev" && zip -qr --symlinks "$T/links.zip" rel)
	run --separate-stderr -4 fwtrail digest --manifest "$T/links.zip"
	assert_equal "$stderr" "fwtrail digest: release '$T/links.zip' holds a symbolic link 'rel/bin/current' (a manifest covers regular files only)"
}

@test "folder: a symbolic link inside is refused (exit 4) unless --follow-symlinks, then hashed as its target under its own name" {
	review "$T/rev/rel" "$T/review.jws"
	mv "$T/rev/rel/bin/fw.bin" "$T/fw.bin"
	ln -s "$T/fw.bin" "$T/rev/rel/bin/fw.bin"
	msg="release '$T/rev/rel' holds a symbolic link 'rel/bin/fw.bin' (not followed; a manifest covers regular files only)"
	run --separate-stderr -4 fwtrail digest --manifest "$T/rev/rel"
	assert_equal "$stderr" "fwtrail digest: $msg"
	assert_equal "$output" ""
	snapshot_out "$T/out/report.json"
	run --separate-stderr -4 fwtrail sfr create --from "$REPORT" --manifest "$T/rev/rel" -o "$T/out/report.json"
	assert_equal "$stderr" "fwtrail sfr create: $msg"
	assert_nothing_written
	# followed: listed under the link's name with the content it points to
	fwtrail digest --manifest --follow-symlinks --json "$T/rev/rel" > "$T/m.json"
	$PY - "$T/m.json" "$(sha512sum < "$T/fw.bin" | cut -d' ' -f1)" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["manifest"]
assert [e["file_name"] for e in m] == ["rel/bin/fw.bin", "rel/cfg.txt"], m
assert m[0]["file_hash"] == sys.argv[2], m
PY
	run -0 fwtrail -q sfr create --follow-symlinks --from "$REPORT" --manifest "$T/rev/rel" -o "$T/out/followed.json"
	run -0 jq -e --slurpfile a "$T/out/followed.json" --slurpfile b "$T/review.json" -n '$a[0].device == $b[0].device'
	# a link to a file whose content differs is a different manifest
	printf 'OTHER\n' > "$T/other.bin"
	ln -sf "$T/other.bin" "$T/rev/rel/bin/fw.bin"
	run -0 fwtrail -q sfr create --follow-symlinks --from "$REPORT" --manifest "$T/rev/rel" -o "$T/out/other.json"
	run -1 jq -e --slurpfile a "$T/out/other.json" --slurpfile b "$T/review.json" -n '$a[0].device == $b[0].device'
}

# sfr verify has no --follow-symlinks: it follows its inputs (it never
# writes), so a link inside a folder is hashed as the file it points to.
@test "folder: sfr verify follows a link inside: the reviewed content binds, other content is exit 1" {
	review "$T/rev/rel" "$T/review.jws"
	cp "$T/rev/rel/bin/fw.bin" "$T/same.bin"
	ln -sf "$T/same.bin" "$T/rev/rel/bin/fw.bin"
	run -0 verify --manifest "$T/rev/rel" "$T/review.jws"
	printf 'EVIL\n' > "$T/same.bin"
	run -1 verify --manifest "$T/rev/rel" "$T/review.jws"
	# an extra link is an extra entry
	rm "$T/rev/rel/bin/fw.bin"
	printf 'GOOD FIRMWARE\n' > "$T/rev/rel/bin/fw.bin"
	run -0 verify --manifest "$T/rev/rel" "$T/review.jws"
	ln -s "$T/same.bin" "$T/rev/rel/extra"
	run -1 verify --manifest "$T/rev/rel" "$T/review.jws"
}

@test "folder, --follow-symlinks: a link to a folder, a dangling link and a loop are refused (exit 4)" {
	cd "$T/rev"
	ln -s bin rel/bin-link
	run --separate-stderr -4 fwtrail digest --manifest --follow-symlinks rel
	assert_equal "$stderr" "fwtrail digest: release 'rel' holds a symbolic link 'rel/bin-link' to a folder (a manifest covers regular files only)"
	rm rel/bin-link
	ln -s /nonexistent/fw.bin rel/gone
	run --separate-stderr -4 fwtrail digest --manifest --follow-symlinks rel
	assert_equal "$stderr" "fwtrail digest: release 'rel' holds a symbolic link 'rel/gone' to '/nonexistent/fw.bin', which does not exist"
	rm rel/gone
	ln -s loop-b rel/loop-a
	ln -s loop-a rel/loop-b
	run --separate-stderr -4 fwtrail digest --manifest --follow-symlinks rel
	[[ $stderr == "fwtrail digest: release 'rel' holds a symbolic link 'rel/loop-"[ab]"' that loops (too many levels of links)" ]]
	snapshot_out "$T/out/report.json"
	run --separate-stderr -4 fwtrail sfr create --follow-symlinks --from "$REPORT" --manifest rel -o "$T/out/report.json"
	[[ $stderr == *"that loops"* ]]
	assert_nothing_written
}

@test "folder: a FIFO is refused at once (exit 4), never opened, with or without --follow-symlinks" {
	review "$T/rev/rel" "$T/review.jws"
	mkfifo "$T/rev/rel/bin/pipe"
	SECONDS=0
	refused_by_all "$T/rev/rel" "release '$T/rev/rel' holds a FIFO 'rel/bin/pipe' (a manifest covers regular files only)"
	refused_by_all "$T/rev/rel" "release '$T/rev/rel' holds a FIFO 'rel/bin/pipe' (a manifest covers regular files only)" --follow-symlinks
	rm "$T/rev/rel/bin/pipe"
	mkfifo "$T/pipe"
	ln -s "$T/pipe" "$T/rev/rel/bin/pipe-link"
	run --separate-stderr -4 timeout 20 "$FWTRAIL" digest --manifest --follow-symlinks "$T/rev/rel"
	assert_equal "$stderr" "fwtrail digest: release '$T/rev/rel' holds a symbolic link 'rel/bin/pipe-link' to a FIFO (a manifest covers regular files only)"
	run --separate-stderr -4 timeout 20 "$FWTRAIL" sfr verify --trust "$TESTDATA/sfr/trust-kids" --manifest "$T/rev/rel" "$T/review.jws"
	[[ $stderr == *"'rel/bin/pipe-link' to a FIFO"* ]]
	[ "$SECONDS" -lt 15 ]
}

@test "a device or a FIFO in an archive is refused (exit 4)" {
	$PY - "$T" <<'PY'
import io, sys, tarfile
t = sys.argv[1]
for kind, typ in (("chr", tarfile.CHRTYPE), ("blk", tarfile.BLKTYPE), ("fifo", tarfile.FIFOTYPE)):
    with tarfile.open(f"{t}/{kind}.tar", "w") as a:
        i = tarfile.TarInfo("rel/fw.bin"); d = b"fw\n"; i.size = len(d); a.addfile(i, io.BytesIO(d))
        i = tarfile.TarInfo("rel/" + kind); i.type = typ; i.devmajor = 1; i.devminor = 3
        a.addfile(i)
PY
	run --separate-stderr -4 fwtrail digest --manifest "$T/chr.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/chr.tar' holds a character device 'rel/chr' (a manifest covers regular files only)"
	run --separate-stderr -4 fwtrail digest --manifest "$T/blk.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/blk.tar' holds a block device 'rel/blk' (a manifest covers regular files only)"
	run --separate-stderr -4 fwtrail digest --manifest "$T/fifo.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/fifo.tar' holds a FIFO 'rel/fifo' (a manifest covers regular files only)"
}

# Two entries of one name extract to one file, the later winning.
@test "an archive holding a name twice, or as a file and as a folder, is refused (exit 4)" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	mkdir -p "$T/evil/rel/bin" "$T/dir/rel/cfg.txt"
	printf 'EVIL FIRMWARE\n' > "$T/evil/rel/bin/fw.bin"
	cp "$T/rel.tar" "$T/twice.tar"
	tar -C "$T/evil" -rf "$T/twice.tar" ./rel/bin/fw.bin
	refused_by_all "$T/twice.tar" "release '$T/twice.tar' holds 'rel/bin/fw.bin' twice (a manifest needs one entry per name)"
	cp "$T/rel.tar" "$T/filedir.tar"
	tar -C "$T/dir" -rf "$T/filedir.tar" rel/cfg.txt
	refused_by_all "$T/filedir.tar" "release '$T/filedir.tar' holds 'rel/cfg.txt' both as a file and as a folder"
	# a name with a '..' component lands elsewhere, or nowhere
	$PY - "$T/rel.tar" "$T/dotdot.tar" <<'PY'
import io, shutil, sys, tarfile
shutil.copy(sys.argv[1], sys.argv[2])
with tarfile.open(sys.argv[2], "a") as t:
    i = tarfile.TarInfo("rel/cfg/../bin/fw.bin"); d = b"EVIL\n"; i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
	refused_by_all "$T/dotdot.tar" "release '$T/dotdot.tar' holds an entry 'rel/cfg/../bin/fw.bin' whose name has a '..' component"
}

@test "hard links: a real one lists both names; one to a name not in the archive, outside it or with data is refused (exit 4)" {
	ln "$T/rev/rel/bin/fw.bin" "$T/rev/rel/bin/fw-copy.bin"
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	run -0 tar -tvf "$T/rel.tar"
	assert_line --regexp '^h.* rel/bin/fw(-copy)?\.bin link to rel/bin/fw(-copy)?\.bin$'
	fwtrail digest --manifest --json "$T/rel.tar" > "$T/m.json"
	$PY - "$T/m.json" "$(sha512sum < "$T/rev/rel/bin/fw.bin" | cut -d' ' -f1)" <<'PY'
import json, sys
m = {e["file_name"]: e["file_hash"] for e in json.load(open(sys.argv[1]))["manifest"]}
assert m["rel/bin/fw-copy.bin"] == m["rel/bin/fw.bin"] == sys.argv[2], m
PY
	$PY - "$T" <<'PY'
import io, sys, tarfile
t = sys.argv[1]
for name, target in (("nowhere", "rel/bin/none.bin"), ("outside", "../../etc/passwd"), ("absolute", "/etc/passwd")):
    with tarfile.open(f"{t}/{name}.tar", "w") as a:
        i = tarfile.TarInfo("rel/fw.bin"); d = b"fw\n"; i.size = len(d); a.addfile(i, io.BytesIO(d))
        i = tarfile.TarInfo("rel/link"); i.type = tarfile.LNKTYPE; i.linkname = target; a.addfile(i)
# a pax hard link that carries data: libarchive writes it into the file
# linked to, GNU tar skips it (tarfile cannot write one: build the blocks)
def hdr(name, typ, size, link=b""):
    h = bytearray(512)
    h[0:len(name)] = name; h[100:108] = b"0000644\0"; h[108:116] = h[116:124] = b"0000000\0"
    h[124:136] = b"%011o\0" % size; h[136:148] = b"00000000000\0"
    h[156:157] = typ; h[157:157 + len(link)] = link; h[257:263] = b"ustar\0"; h[263:265] = b"00"
    h[148:156] = b"        "; h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)
pad = lambda d: d + b"\0" * (-len(d) % 512)
rec = b"21 path=rel/link.bin\n"
open(f"{t}/withdata.tar", "wb").write(hdr(b"rel/fw.bin", b"0", 5) + pad(b"GOOD\n") + hdr(b"PaxHeaders/l", b"x", len(rec)) +
    pad(rec) + hdr(b"rel/link.bin", b"1", 5, b"rel/fw.bin") + pad(b"EVIL\n") + b"\0" * 1024)
PY
	run --separate-stderr -4 fwtrail digest --manifest "$T/nowhere.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/nowhere.tar' holds a hard link 'rel/link' to 'rel/bin/none.bin', which is not an earlier file of the release"
	run --separate-stderr -4 fwtrail digest --manifest "$T/outside.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/outside.tar' holds a hard link 'rel/link' to '../../etc/passwd', which is not an earlier file of the release"
	run --separate-stderr -4 fwtrail digest --manifest "$T/absolute.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/absolute.tar' holds a hard link 'rel/link' to 'etc/passwd', which is not an earlier file of the release"
	run --separate-stderr -4 fwtrail digest --manifest "$T/withdata.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/withdata.tar' holds a hard link 'rel/link.bin' that carries data of its own (a manifest covers links to an earlier file only)"
}

@test "the OCP sample release still binds, as a folder and as archives" {
	need_corpus sfr/shortform_report-main/samples/manifest
	local s="$CORPORA/sfr/shortform_report-main/samples/manifest"
	tar -C "$s" -czf "$T/myapp.tgz" myapp
	(cd "$s" && zip -qr "$T/myapp.zip" myapp)
	for r in "$s/myapp" "$T/myapp.tgz" "$T/myapp.zip"; do
		run -0 fwtrail sfr verify --key "$s/testkey_ecdsa_p521.pub" --manifest "$r" "$s/manifest.jws"
		assert_output --partial "firmware '$r' matches"
	done
}

# mounted CMD...: run CMD with a tmpfs mounted on $T/rev/rel/sub holding
# implant.bin, in a mount namespace of its own (nothing outside sees it).
mounted() {
	unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs tmpfs "$1/sub" &&
		echo implant > "$1/sub/implant.bin" && shift && exec "$@"' sh "$T/rev/rel" "$@"
}

# The UX review's finding 1: libarchive does not go into a folder on another
# file system, so the manifest left out what tar would store from it.
@test "folder: a mount point inside is refused (exit 4), never skipped" {
	[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs in a mount namespace (unshare -m)"
	unshare -m true 2> /dev/null || skip "unshare -m is not permitted here"
	mkdir "$T/rev/rel/sub"
	review "$T/rev/rel" "$T/review.jws"
	run -0 verify --manifest "$T/rev/rel" "$T/review.jws"
	local msg="release '$T/rev/rel' holds a mount point 'rel/sub' (a manifest does not cross file systems)"
	run --separate-stderr -4 mounted "$FWTRAIL" digest --manifest "$T/rev/rel"
	assert_equal "$stderr" "fwtrail digest: $msg"
	assert_equal "$output" ""
	snapshot_out "$T/out/report.json"
	run --separate-stderr -4 mounted "$FWTRAIL" sfr create --from "$REPORT" --manifest "$T/rev/rel" -o "$T/out/report.json"
	assert_equal "$stderr" "fwtrail sfr create: $msg"
	assert_nothing_written
	run --separate-stderr -4 mounted "$FWTRAIL" sfr verify --trust "$TESTDATA/sfr/trust-kids" --manifest "$T/rev/rel" "$T/review.jws"
	assert_equal "$stderr" "fwtrail sfr verify: $msg"
	assert_equal "$output" ""
	# tar does store what is under it: the refusal is not a lost file
	run -0 mounted sh -c "tar -C '$T/rev' -cf - rel | tar -tf -"
	assert_line "rel/sub/implant.bin"
	# the mount was private to each run
	[ ! -e "$T/rev/rel/sub/implant.bin" ]
}

# zips: unzip, Python and 7-Zip go by the central directory, libarchive by
# the local headers.
mkzip() {
	printf 'BOOTLOADER-v1' > "$T/rev/rel/boot.bin"
	printf 'RUNTIME-IMG-v1' > "$T/rev/rel/main.bin"
	(cd "$T/rev" && $PY -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for n in sys.argv[2:]: z.write(n)' "$1" rel/boot.bin rel/main.bin)
}

# The UX review's finding 2: two names swapped in the central directory
# only; unzip extracted each file under the other's name.
@test "zip: central directory names that differ from the local headers are refused (exit 4)" {
	mkzip "$T/rel.zip"
	review "$T/rel.zip" "$T/review.jws"
	run -0 verify --manifest "$T/rel.zip" "$T/review.jws"
	$PY - "$T/rel.zip" "$T/swapped.zip" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
cd = d.find(b"PK\x01\x02")
a, b = d.find(b"rel/boot.bin", cd), d.find(b"rel/main.bin", cd)
d[a:a + 12], d[b:b + 12] = b"rel/main.bin", b"rel/boot.bin"
open(sys.argv[2], "wb").write(d)
PY
	run -0 unzip -l "$T/swapped.zip"
	refused_by_all "$T/swapped.zip" "corrupt archive '$T/swapped.zip': zip entry 'rel/boot.bin' is named 'rel/main.bin' in the central directory"
	# the central directory in another order than the entries
	$PY - "$T/rel.zip" "$T/reordered.zip" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
e = d.rfind(b"PK\x05\x06"); n, size, off = struct.unpack("<HII", d[e + 10:e + 20])
cd, ents, p = d[off:off + size], [], 0
while p < len(cd):
    nl, xl, cl = struct.unpack("<HHH", cd[p + 28:p + 34]); q = p + 46 + nl + xl + cl; ents.append(cd[p:q]); p = q
open(sys.argv[2], "wb").write(d[:off] + b"".join(reversed(ents)) + d[off + size:])
PY
	run -0 unzip -l "$T/reordered.zip"
	refused_by_all "$T/reordered.zip" "corrupt archive '$T/reordered.zip': the zip central directory lists 'rel/main.bin' before 'rel/boot.bin', in another order than the entries"
}

@test "zip: other data before the first entry, between entries or after the end record is refused (exit 4)" {
	mkzip "$T/rel.zip"
	review "$T/rel.zip" "$T/review.jws"
	head -c 1000 /dev/zero > "$T/pad"
	cat "$T/pad" "$T/rel.zip" > "$T/prefix.zip"
	run -1 unzip -l "$T/prefix.zip"
	assert_output --partial "1000 extra bytes at beginning or within zipfile"
	refused_by_all "$T/prefix.zip" "corrupt archive '$T/prefix.zip': 1000 bytes of other data before the first zip entry"
	# as zip -A leaves a self-extracting zip: offsets adjusted
	cp "$T/prefix.zip" "$T/sfx.zip"
	zip -qA "$T/sfx.zip"
	run -0 unzip -l "$T/sfx.zip"
	refused_by_all "$T/sfx.zip" "corrupt archive '$T/sfx.zip': 1000 bytes of other data before the first zip entry"
	cat "$T/rel.zip" "$T/pad" > "$T/trailing.zip"
	refused_by_all "$T/trailing.zip" "corrupt archive '$T/trailing.zip': the zip end of central directory record does not end the file (other data after it, or a second record in its comment)"
	# a hidden local header between two entries, which a reader going by
	# local headers would extract
	$PY - "$T/rel.zip" "$T/hidden.zip" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
second = d.find(b"PK\x03\x04", 4)
junk = b"PK\x03\x04" + b"\0" * 40
e = d.rfind(b"PK\x05\x06"); off = struct.unpack("<I", d[e + 16:e + 20])[0]
cd = d[off:e]; p = 0
while p < len(cd):
    nl, xl, cl = struct.unpack("<HHH", cd[p + 28:p + 34]); lo = struct.unpack("<I", cd[p + 42:p + 46])[0]
    if lo >= second: cd[p + 42:p + 46] = struct.pack("<I", lo + len(junk))
    p += 46 + nl + xl + cl
out = d[:second] + junk + d[second:off] + cd + d[e:]
out[-6:-2] = struct.pack("<I", off + len(junk))
open(sys.argv[2], "wb").write(out)
PY
	run -0 $PY -c 'import sys, zipfile; assert zipfile.ZipFile(sys.argv[1]).testzip() is None' "$T/hidden.zip"
	refused_by_all "$T/hidden.zip" "corrupt archive '$T/hidden.zip': 44 bytes of other data after zip entry 'rel/boot.bin'"
}

# The UX review's finding 3: good.tar + evil.zip reads as the tar here and
# as the zip in unzip and Python.
@test "a tar or tar.gz that is also a zip (one appended, or its last member) is refused (exit 4)" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	mkdir -p "$T/evil/rel"
	printf 'EVIL FIRMWARE\n' > "$T/evil/rel/fw.bin"
	(cd "$T/evil" && zip -qX "$T/evil.zip" rel/fw.bin)
	cat "$T/rel.tar" "$T/evil.zip" > "$T/poly.tar"
	gzip -c "$T/rel.tar" | cat - "$T/evil.zip" > "$T/poly.tar.gz"
	for p in poly.tar poly.tar.gz; do
		run -0 $PY -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("rel/fw.bin"))' "$T/$p"
		assert_output "b'EVIL FIRMWARE\\n'"
	done
	local at=$(stat -c %s "$T/rel.tar")
	refused_by_all "$T/poly.tar" "release '$T/poly.tar' is read as GNU tar format, but zip readers would read it as a zip: it ends with a zip end of central directory record (at byte $((at + $(stat -c %s "$T/evil.zip") - 22)))"
	run --separate-stderr -4 fwtrail digest --manifest "$T/poly.tar.gz"
	assert_equal "$stderr" "fwtrail digest: release '$T/poly.tar.gz' is read as GNU tar format, but zip readers would read it as a zip: it ends with a zip end of central directory record (at byte $(($(stat -c %s "$T/poly.tar.gz") - 22)))"
	# a zip as the tar's last member is found the same way by zip readers
	cp "$T/evil.zip" "$T/rev/rel/z.zip"
	tar -C "$T/rev" -cf "$T/last.tar" rel/cfg.txt rel/z.zip
	run -0 $PY -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).namelist())' "$T/last.tar"
	assert_output "['rel/fw.bin']"
	run --separate-stderr -4 fwtrail digest --manifest "$T/last.tar"
	[[ $stderr == "fwtrail digest: release '$T/last.tar' is read as GNU tar format, but zip readers would read it as a zip: it ends with a zip end of central directory record (at byte "*")" ]]
	# nor when compressed, or followed by more than 64 KiB
	tar -C "$T/rev" -czf "$T/last.tgz" rel/cfg.txt rel/z.zip
	run -0 fwtrail digest --manifest "$T/last.tgz"
	head -c 70000 /dev/zero > "$T/rev/rel/bin/zeros.bin"
	tar -C "$T/rev" -cf "$T/first.tar" rel/z.zip rel/bin
	run -0 fwtrail digest --manifest "$T/first.tar"
}

# The UX review's finding 4: an entry named by both a GNU long name record
# and a pax path; libarchive and Python take the first, GNU tar the pax one.
@test "tar: an entry with two name records (GNU 'L' and pax path, two of either, a global path) is refused (exit 4)" {
	printf 'BOOTLOADER-v1' > "$T/rev/rel/boot.bin"
	printf 'RUNTIME-IMG-v1' > "$T/rev/rel/main.bin"
	tar -C "$T/rev" -cf "$T/rel.tar" rel/boot.bin rel/main.bin
	review "$T/rel.tar" "$T/review.jws"
	$PY - "$T" <<'PY'
import sys, tarfile
t = sys.argv[1]
def blk(name, typ, data):
    ti = tarfile.TarInfo(name); ti.type = typ; ti.size = len(data)
    return ti.tobuf(format=tarfile.USTAR_FORMAT) + data + b"\0" * (-len(data) % 512)
def pax(key, value):
    rec = " %s=%s\n" % (key, value)
    n = len(rec) + 2
    return ("%d%s" % (n, rec)).encode()
L = lambda n: blk("././@LongLink", tarfile.GNUTYPE_LONGNAME, n.encode() + b"\0")
X = lambda n: blk("PaxHeader", tarfile.XHDTYPE, pax("path", n))
G = lambda n: blk("GlobalHead", tarfile.XGLTYPE, pax("path", n))
F = lambda d: blk("x.bin", tarfile.REGTYPE, d)
end = b"\0" * 10240
B, R = b"BOOTLOADER-v1", b"RUNTIME-IMG-v1"
cases = {
    "l-x": L("rel/boot.bin") + X("rel/main.bin") + F(B) + L("rel/main.bin") + X("rel/boot.bin") + F(R),
    "x-l": X("rel/boot.bin") + L("rel/boot.bin") + F(B) + X("rel/main.bin") + L("rel/main.bin") + F(R),
    "l-l": L("rel/main.bin") + L("rel/boot.bin") + F(B) + L("rel/main.bin") + F(R),
    "x-x": X("rel/main.bin") + X("rel/boot.bin") + F(B) + X("rel/main.bin") + F(R),
    "g": G("rel/boot.bin") + L("rel/boot.bin") + F(B) + L("rel/main.bin") + F(R),
}
for k, v in cases.items():
    open(f"{t}/{k}.tar", "wb").write(v + end)
PY
	# GNU tar and libarchive extract l-x.tar differently
	mkdir "$T/x"
	tar -C "$T/x" -xf "$T/l-x.tar"
	[ "$(cat "$T/x/rel/boot.bin")" = RUNTIME-IMG-v1 ]
	run -0 bsdtar -tf "$T/l-x.tar"
	assert_output $'rel/boot.bin\nrel/main.bin'
	refused_by_all "$T/l-x.tar" "release '$T/l-x.tar' holds an entry 'rel/boot.bin' with both a GNU long name record and a pax path (tar readers disagree on its name)"
	for k in x-l l-l x-x g; do
		run --separate-stderr -4 fwtrail digest --manifest "$T/$k.tar"
		[[ $stderr == "fwtrail digest: release '$T/$k.tar' holds an entry 'rel/"*".bin' with "*" (tar readers disagree on its name)" ]]
	done
	gzip -c "$T/l-x.tar" > "$T/l-x.tar.gz"
	run --separate-stderr -4 fwtrail digest --manifest "$T/l-x.tar.gz"
	assert_equal "$stderr" "fwtrail digest: release '$T/l-x.tar.gz' holds an entry 'rel/boot.bin' with both a GNU long name record and a pax path (tar readers disagree on its name)"
	# long names written by GNU tar, Python and libarchive are fine
	local long="rel/$(printf 'd%.0s' {1..120})/fw.bin"
	mkdir -p "$T/rev/$(dirname "$long")" && cp "$T/rev/rel/boot.bin" "$T/rev/$long"
	for f in gnu pax; do
		tar -C "$T/rev" --format=$f -cf "$T/long-$f.tar" rel
		run -0 fwtrail digest --manifest "$T/long-$f.tar"
		assert_output --partial "  $long"
	done
	bsdtar -C "$T/rev" -czf "$T/long-bsd.tgz" rel
	run -0 fwtrail digest --manifest "$T/long-bsd.tgz"
	assert_output --partial "  $long"
}

# Past the end-of-archive blocks a reader that goes on (tar -i) finds more.
@test "tar: data after the end-of-archive blocks is refused (exit 4), zeros are not" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	mkdir -p "$T/evil/rel/bin"
	printf 'EVIL FIRMWARE\n' > "$T/evil/rel/bin/extra.bin"
	tar -C "$T/evil" -cf "$T/evil.tar" rel/bin/extra.bin
	cat "$T/rel.tar" "$T/evil.tar" > "$T/two.tar"
	run -0 tar -itf "$T/two.tar"
	assert_line rel/bin/extra.bin
	local at=$(stat -c %s "$T/rel.tar")
	refused_by_all "$T/two.tar" "release '$T/two.tar' holds other data after the end of the tar (at byte $at of the tar stream)"
	gzip -c "$T/two.tar" > "$T/two.tar.gz"
	run --separate-stderr -4 fwtrail digest --manifest "$T/two.tar.gz"
	assert_equal "$stderr" "fwtrail digest: release '$T/two.tar.gz' holds other data after the end of the tar (at byte $at of the tar stream)"
	{ cat "$T/rel.tar"; head -c 5000 /dev/zero; } > "$T/zeros.tar"
	run -0 verify --manifest "$T/zeros.tar" "$T/review.jws"
}

# Decompressors stop at what is not another member and say nothing; GNU tar
# and gzip -t refuse the file.  Zeros after the stream are padding to both.
@test "compressed tar: data after the end of the compressed stream is refused (exit 4), zeros are not" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	gzip -c "$T/rel.tar" > "$T/rel.tar.gz"
	bzip2 -c "$T/rel.tar" > "$T/rel.tar.bz2"
	run -0 verify --manifest "$T/rel.tar.gz" "$T/review.jws"
	local z at
	for z in gz bz2; do
		at=$(stat -c %s "$T/rel.tar.$z")
		{ cat "$T/rel.tar.$z"; printf 'TRAILING'; } > "$T/junk.tar.$z"
		run --separate-stderr -4 fwtrail digest --manifest "$T/junk.tar.$z"
		assert_equal "$stderr" "fwtrail digest: release '$T/junk.tar.$z' holds other data after the end of its compressed stream (at byte $at of the file)"
		run -4 verify --manifest "$T/junk.tar.$z" "$T/review.jws"
		# zeros, then something
		{ cat "$T/rel.tar.$z"; head -c 3000 /dev/zero; printf 'x'; } > "$T/late.tar.$z"
		run --separate-stderr -4 fwtrail digest --manifest "$T/late.tar.$z"
		assert_equal "$stderr" "fwtrail digest: release '$T/late.tar.$z' holds other data after the end of its compressed stream (at byte $((at + 3000)) of the file)"
	done
	run ! gzip -t "$T/junk.tar.gz"
	run ! tar -tzf "$T/junk.tar.gz"
	# zeros only, and a second gzip member: accepted, as gzip and tar take them
	{ cat "$T/rel.tar.gz"; head -c 5000 /dev/zero; } > "$T/pad.tar.gz"
	run -0 gzip -t "$T/pad.tar.gz"
	run -0 verify --manifest "$T/pad.tar.gz" "$T/review.jws"
	head -c 4000 "$T/rel.tar" | gzip -c > "$T/two.tar.gz"
	tail -c +4001 "$T/rel.tar" | gzip -c >> "$T/two.tar.gz"
	run -0 verify --manifest "$T/two.tar.gz" "$T/review.jws"
}

# The review's sigio finding 5: libarchive stops at a cpio's TRAILER!!!, so
# a second cpio put after it (as initramfs and early-microcode images are
# built) was left out of the manifest, yet the Linux initramfs unpacker
# extracts it, from two gzip members as well.
@test "cpio: a second archive, or other data, after TRAILER!!! is refused (exit 4), zeros are not" {
	command -v cpio > /dev/null || skip "cpio is not installed"
	mkdir -p "$T/a/rel" "$T/b/rel"
	printf 'GOOD FIRMWARE\n' > "$T/a/rel/fw.bin"
	printf 'EVIL FIRMWARE\n' > "$T/b/rel/evil.bin"
	(cd "$T/a" && echo rel/fw.bin | cpio -o -H newc > "$T/a.cpio" 2> /dev/null)
	(cd "$T/b" && echo rel/evil.bin | cpio -o -H newc > "$T/b.cpio" 2> /dev/null)
	review "$T/a.cpio" "$T/review.jws"
	run -0 verify --manifest "$T/a.cpio" "$T/review.jws"
	cat "$T/a.cpio" "$T/b.cpio" > "$T/ab.cpio"
	gzip -c "$T/a.cpio" > "$T/a.cpio.gz"
	gzip -c "$T/b.cpio" > "$T/b.cpio.gz"
	cat "$T/a.cpio.gz" "$T/b.cpio.gz" > "$T/ab.cpio.gz"
	# what the kernel's unpacker (init/initramfs.c) reads: every archive
	run -0 "$PY" - "$T/ab.cpio.gz" <<'PY'
import gzip, sys
d = gzip.open(sys.argv[1]).read(); i = 0; names = []
while i < len(d):
    if d[i:i + 6] != b"070701": i += 1; continue  # zero padding between archives is skipped
    ns = int(d[i + 94:i + 102], 16); fs = int(d[i + 54:i + 62], 16)
    n = d[i + 110:i + 110 + ns - 1].decode(); j = (i + 110 + ns + 3) & ~3; i = (j + fs + 3) & ~3
    if n != "TRAILER!!!": names.append(n)
print(" ".join(names))
PY
	assert_output "rel/fw.bin rel/evil.bin"
	local at=$(stat -c %s "$T/a.cpio")
	refused_by_all "$T/ab.cpio" "release '$T/ab.cpio' holds other data after the end of the cpio archive (at byte $at)"
	refused_by_all "$T/ab.cpio.gz" "release '$T/ab.cpio.gz' holds other data after the end of the cpio archive (at byte $at of the decompressed stream)"
	# zeros between and after archives are padding; then anything else is not
	{ cat "$T/a.cpio"; head -c 4096 /dev/zero; } > "$T/pad.cpio"
	run -0 verify --manifest "$T/pad.cpio" "$T/review.jws"
	{ cat "$T/a.cpio"; head -c 4096 /dev/zero; printf x; } > "$T/late.cpio"
	run --separate-stderr -4 fwtrail digest --manifest "$T/late.cpio"
	assert_equal "$stderr" "fwtrail digest: release '$T/late.cpio' holds other data after the end of the cpio archive (at byte $((at + 4096)))"
	gzip -c "$T/pad.cpio" > "$T/pad.cpio.gz"
	run -0 verify --manifest "$T/pad.cpio.gz" "$T/review.jws"
	# and after the compressed stream, as for a tar
	{ cat "$T/a.cpio.gz"; printf 'TRAILING'; } > "$T/junk.cpio.gz"
	run --separate-stderr -4 fwtrail digest --manifest "$T/junk.cpio.gz"
	assert_equal "$stderr" "fwtrail digest: release '$T/junk.cpio.gz' holds other data after the end of its compressed stream (at byte $(stat -c %s "$T/a.cpio.gz") of the file)"
	# a cpio that cannot be read again (a pipe) is not read at all
	run --separate-stderr -6 bash -c 'cat "$1" | "$FWTRAIL" digest --manifest --follow-symlinks /dev/stdin' _ "$T/a.cpio"
	assert_equal "$stderr" "fwtrail digest: '/dev/stdin': a cpio archive is read from a regular file only (what follows its end is checked)"
}

# An ISO 9660 image ends with its volume, whatever is in it (xorriso's
# checksum tags name no file); a 7-Zip archive with its end header.
@test "ISO 9660 and 7-Zip: data after the volume or the end header is refused (exit 4), zeros are not" {
	local a at
	if command -v xorriso > /dev/null; then
		xorriso -as mkisofs -quiet -R -J --md5 -o "$T/rel.iso" "$T/rev" 2> /dev/null
	elif command -v bsdtar > /dev/null; then
		bsdtar -C "$T/rev" --format iso9660 -cf "$T/rel.iso" rel
	else
		skip "neither xorriso nor bsdtar is installed"
	fi
	if command -v 7z > /dev/null; then
		(cd "$T/rev" && 7z a -bd -bso0 "$T/rel.7z" rel)
	else
		bsdtar -C "$T/rev" --format 7zip -cf "$T/rel.7z" rel
	fi
	for a in rel.iso rel.7z; do
		run -0 fwtrail digest --manifest "$T/$a"
		assert_line --partial "  rel/bin/fw.bin"
		{ cat "$T/$a"; head -c 3000 /dev/zero; } > "$T/pad-$a"
		run -0 fwtrail digest --manifest "$T/pad-$a"
		at=$(stat -c %s "$T/$a")
		{ cat "$T/pad-$a"; printf 'x'; } > "$T/junk-$a"
		run --separate-stderr -4 fwtrail digest --manifest "$T/junk-$a"
		case $a in
		*.iso) assert_equal "$stderr" "fwtrail digest: release '$T/junk-$a' holds other data after the end of the ISO 9660 image (at byte $((at + 3000)))" ;;
		*.7z) assert_equal "$stderr" "fwtrail digest: release '$T/junk-$a' holds other data after the end of the 7-Zip archive (at byte $((at + 3000)))" ;;
		esac
	done
}

# mkarchives DIR: DIR/x.rar (RAR 4), x.rar5, x.lzh and x.cab, each holding
# rel/fw.bin and rel/cfg.txt stored as they are (no tool here writes them).
mkarchives() {
	"$PY" - "$1" <<'PY'
import struct, sys, zlib
d = sys.argv[1]
F = [("rel/fw.bin", b"GOOD FIRMWARE\n"), ("rel/cfg.txt", b"cfg\n")]
def rar4():
    c16 = lambda b: struct.pack("<H", zlib.crc32(b) & 0xFFFF)
    main = struct.pack("<BHHHI", 0x73, 0, 13, 0, 0)
    out = b"Rar!\x1a\x07\x00" + c16(main) + main
    for n, data in F:
        rest = struct.pack("<IIBIIBBHI", len(data), len(data), 3, zlib.crc32(data), 0x5A000000, 20, 0x30,
                           len(n), 0o100644) + n.encode()
        h = struct.pack("<BHH", 0x74, 0x8000, 7 + len(rest)) + rest
        out += c16(h) + h + data
    end = struct.pack("<BHH", 0x7B, 0x4000, 7)
    return out + c16(end) + end
def vint(n):
    b = b""
    while n > 0x7F: b += bytes([n & 0x7F | 0x80]); n >>= 7
    return b + bytes([n])
def rar5():
    blk = lambda body: (lambda h: struct.pack("<I", zlib.crc32(h)) + h)(vint(len(body)) + body)
    out = b"Rar!\x1a\x07\x01\x00" + blk(vint(1) + vint(0) + vint(0))
    for n, data in F:
        out += blk(vint(2) + vint(2) + vint(len(data)) + vint(4) + vint(len(data)) + vint(0o100644) +
                   struct.pack("<I", zlib.crc32(data)) + vint(0) + vint(1) + vint(len(n)) + n.encode()) + data
    return out + blk(vint(5) + vint(0) + vint(0))
def lha():
    def crc16(b):
        c = 0
        for x in b:
            c ^= x
            for _ in range(8): c = c >> 1 ^ 0xA001 if c & 1 else c >> 1
        return c
    out = b""
    for n, data in F:
        h = b"-lh0-" + struct.pack("<IIIBBB", len(data), len(data), 0x5A000000, 0x20, 0, len(n)) + n.encode() + \
            struct.pack("<H", crc16(data))
        out += struct.pack("<BB", len(h), sum(h) & 0xFF) + h + data
    return out + b"\0"
def cab():
    files = b""; blob = b""
    for n, data in F:
        files += struct.pack("<IIHHHH", len(data), len(blob), 0, 0x5A21, 0, 0x20) + n.encode() + b"\0"
        blob += data
    start = 36 + 8 + len(files)
    data = struct.pack("<IHH", 0, len(blob), len(blob)) + blob
    h = b"MSCF" + struct.pack("<IIIIIBBHHHHH", 0, start + len(data), 0, 44, 0, 3, 1, 1, len(F), 0, 0x1234, 0)
    return h + struct.pack("<IHH", start, 1, 0) + files + data
for name, f in (("x.rar", rar4), ("x.rar5", rar5), ("x.lzh", lha), ("x.cab", cab)):
    open(f"{d}/{name}", "wb").write(f())
PY
}

@test "rar, rar5, lha and cab: other data after the archive's end is refused (exit 4), zeros are not" {
	mkarchives "$T"
	local a at
	for a in x.rar x.rar5 x.lzh x.cab; do
		run -0 fwtrail digest --manifest "$T/$a"
		assert_line --partial "  rel/fw.bin"
		assert_line --partial "  rel/cfg.txt"
		at=$(stat -c %s "$T/$a")
		{ cat "$T/$a"; head -c 1000 /dev/zero; } > "$T/pad-$a"
		run -0 fwtrail digest --manifest "$T/pad-$a"
		{ cat "$T/$a" "$T/$a"; } > "$T/two-$a"
		run --separate-stderr -4 fwtrail digest --manifest "$T/two-$a"
		case $a in
		*.rar*) assert_equal "$stderr" "fwtrail digest: release '$T/two-$a' holds other data after the end of the rar archive (at byte $at)" ;;
		*.lzh) assert_equal "$stderr" "fwtrail digest: release '$T/two-$a' holds other data after the end of the lha archive (at byte $at)" ;;
		*.cab) assert_equal "$stderr" "fwtrail digest: release '$T/two-$a' holds other data after the end of the cab archive (at byte $at)" ;;
		esac
		{ cat "$T/$a"; printf 'J'; } > "$T/junk-$a"
		run -4 fwtrail digest --manifest "$T/junk-$a"
	done
}

@test "a non-ASCII UTF-8 name lists the same from a folder, a zip, a GNU tar and a pax tar, in any locale" {
	mkdir -p "$T/u/rel"
	printf 'x' > "$T/u/rel/café.bin"
	(cd "$T/u" && "$PY" -c 'import zipfile; z = zipfile.ZipFile("r.zip", "w"); z.write("rel/café.bin"); z.close()')
	tar -C "$T/u" --format=gnu -cf "$T/u/r.tar" rel
	tar -C "$T/u" --format=pax -cf "$T/u/rp.tar" rel
	run -0 fwtrail digest --manifest "$T/u/rel"
	want=$output
	[[ $want == *"rel/café.bin"* ]]
	for r in r.zip r.tar rp.tar; do
		for loc in C POSIX C.UTF-8; do
			run -0 env LC_ALL=$loc "$FWTRAIL" digest --manifest "$T/u/$r"
			assert_equal "$output" "$want"
		done
	done
}

# The round 5 review's finding 1: libarchive and GNU tar name an entry by
# its pax GNU.sparse.name, Python by whichever of it and path comes last, so
# a tar whose two files swap names for Python had the reviewed manifest.
@test "tar: GNU.sparse.name with a pax path or a GNU long name is refused (exit 4)" {
	printf 'reviewed firmware image\n' > "$T/rev/rel/fw.bin"
	printf 'reviewed flashing tool\n' > "$T/rev/rel/tool.bin"
	tar -C "$T/rev" -cf "$T/rel.tar" rel/fw.bin rel/tool.bin
	review "$T/rel.tar" "$T/review.jws"
	(cd "$T/rev" && "$PY" - "$T/swap.tar") <<'PY'
import io, sys, tarfile
def add(t, name, pax):
    data = open(name, "rb").read()
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.pax_headers = pax
    t.addfile(ti, io.BytesIO(data))
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    add(t, "rel/fw.bin", {"GNU.sparse.name": "rel/fw.bin", "path": "rel/tool.bin"})
    add(t, "rel/tool.bin", {"GNU.sparse.name": "rel/tool.bin", "path": "rel/fw.bin"})
PY
	# Python extracts the tool as rel/fw.bin, GNU tar and bsdtar do not
	extract_both "$T/swap.tar"
	assert_equal "$(cat "$T/py/rel/fw.bin")" "reviewed flashing tool"
	assert_equal "$(cat "$T/gnu/rel/fw.bin")" "reviewed firmware image"
	refused_by_all "$T/swap.tar" "release '$T/swap.tar' holds an entry 'rel/fw.bin' with both a pax path and a GNU.sparse.name (tar readers disagree on its name)"
	# GNU tar writes both for a sparse file with a long name in format 0.1,
	# and Python extracts it into a GNUSparseFile.NNN folder
	local long="rel/$(printf 'd%.0s' {1..120})"
	mkdir -p "$T/s/$long"
	truncate -s 1M "$T/s/$long/fw.img"
	printf 'DATA' | dd of="$T/s/$long/fw.img" bs=1 seek=500000 conv=notrunc status=none
	tar -C "$T/s" -S --format=pax --sparse-version=0.1 -cf "$T/long01.tar" rel
	run -0 "$PY" -c 'import sys, tarfile; print([m.name for m in tarfile.open(sys.argv[1]) if m.isfile()][0])' "$T/long01.tar"
	[[ $output == "$long/GNUSparseFile."*"/fw.img" ]]
	run --separate-stderr -4 fwtrail digest --manifest "$T/long01.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/long01.tar' holds an entry '$long/fw.img' with both a pax path and a GNU.sparse.name (tar readers disagree on its name)"
	# format 1.0 and the GNU format name it once: the folder's manifest
	run -0 fwtrail digest --manifest "$T/s/rel"
	local want=$output
	for f in "--format=pax --sparse-version=1.0" "--format=gnu"; do
		tar -C "$T/s" -S $f -cf "$T/long.tar" rel
		run -0 fwtrail digest --manifest "$T/long.tar"
		assert_equal "$output" "$want"
	done
}

# Stop 36's red team: GNU tar reads each segment of a sparse map from a
# block of its own, libarchive and Python read the stored bytes one after
# another; a map with data after a segment that is not whole blocks gave
# GNU tar other bytes than the manifest hashed (exit 0).  The test shows
# the readers part ways on such a tar, then that it is refused; GNU tar's
# own sparse tars (a short last segment, then none) are still read.
@test "tar: a sparse map with data after a segment that is not whole blocks is refused (exit 4); GNU tar's maps are read" {
	mkdir -p "$T/sp" "$T/gx" "$T/bx"
	truncate -s 10M "$T/sp/fw.img"
	printf DATA | dd of="$T/sp/fw.img" bs=1 seek=5000000 conv=notrunc 2> /dev/null
	printf END >> "$T/sp/fw.img"
	for v in 0.0 0.1 1.0; do
		tar -C "$T/sp" --format=pax --sparse --sparse-version=$v -cf "$T/sp$v.tar" fw.img
		run -0 fwtrail digest --manifest "$T/sp$v.tar"
		assert_line --partial "$(sha512sum < "$T/sp/fw.img" | cut -d' ' -f1)  fw.img"
	done
	# 1.0's map moved to segments of 4000 and 99 bytes: the same stored bytes
	"$PY" - "$T/sp1.0.tar" "$T/cut.tar" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
at = b.index(b"3\n4997120\n4096\n")
m = b"2\n4997120\n4000\n10485664\n99\n"
b[at:at + 512] = m + b"\0" * (512 - len(m))
open(sys.argv[2], "wb").write(b)
PY
	tar -C "$T/gx" -xf "$T/cut.tar"
	bsdtar -C "$T/bx" -xf "$T/cut.tar"
	! cmp -s "$T/gx/fw.img" "$T/bx/fw.img" || fail "GNU tar and bsdtar agree on the cut map: the test proves nothing"
	refused_by_all "$T/cut.tar" "release '$T/cut.tar' holds an entry 'fw.img' with a GNU sparse map with data after a segment that is not whole 512-byte blocks (GNU tar reads each segment from a block of its own) (tar readers disagree on its content)"
}

# Finding 2: a GNU dumpdir ('D') entry is a folder to libarchive, which
# skips its data, and a regular file holding that data to Python.
@test "tar: a folder entry (5, GNU dumpdir D) that carries data is refused (exit 4)" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	(cd "$T/rev" && "$PY" - "$T") <<'PY'
import sys, tarfile
t = sys.argv[1]
def blk(name, data, typ):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o755; ti.type = typ
    return ti.tobuf(tarfile.GNU_FORMAT) + data + b"\0" * (-len(data) % 512)
rel = b"".join(blk(n, open(n, "rb").read(), tarfile.REGTYPE) for n in ("rel/bin/fw.bin", "rel/cfg.txt"))
run = b"#!/bin/sh\necho unreviewed code\n"
for name, typ in (("dumpdir", b"D"), ("dir", tarfile.DIRTYPE)):
    open(f"{t}/{name}.tar", "wb").write(rel + blk("rel/run.sh", run, typ) + b"\0" * 10240)
PY
	mkdir "$T/py"
	"$PY" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$T/dumpdir.tar" "$T/py"
	[ -f "$T/py/rel/run.sh" ]
	run -0 bsdtar -tvf "$T/dumpdir.tar"
	assert_line --regexp '^drwxr-xr-x .* rel/run.sh$'
	refused_by_all "$T/dumpdir.tar" "release '$T/dumpdir.tar' holds a folder 'rel/run.sh' whose tar header carries data (tar readers disagree on whether it is a folder or a file)"
	run --separate-stderr -4 fwtrail digest --manifest "$T/dir.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/dir.tar' holds a folder 'rel/run.sh' whose tar header carries data (tar readers disagree on whether it is a folder or a file)"
	# folders as tar writes them have no data
	tar -C "$T/rev" --format=gnu -cf "$T/gnu.tar" rel
	run -0 verify --manifest "$T/gnu.tar" "$T/review.jws"
}

# Finding 3: an old GNU header ("ustar  " magic) keeps no prefix: libarchive
# and GNU tar ignore the bytes there, Python puts them before the name.
@test "tar: an old GNU header with bytes in the ustar prefix field is refused (exit 4)" {
	mkdir -p "$T/p/rel"
	printf 'new firmware\n' > "$T/p/rel/fw.bin"
	printf 'old vulnerable firmware\n' > "$T/p/fw.bin"
	tar -C "$T/p" -cf "$T/rel.tar" fw.bin rel/fw.bin
	review "$T/rel.tar" "$T/review.jws"
	(cd "$T/p" && "$PY" - "$T/prefix.tar") <<'PY'
import sys, tarfile
def blk(name, prefix=None):
    data = open(name, "rb").read()
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644
    h = bytearray(ti.tobuf(tarfile.USTAR_FORMAT if prefix is None else tarfile.GNU_FORMAT))
    if prefix is not None:
        h[345:345 + len(prefix)] = prefix
        h[148:156] = b" " * 8; h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h) + data + b"\0" * (-len(data) % 512)
open(sys.argv[1], "wb").write(blk("rel/fw.bin") + blk("fw.bin", b"rel") + b"\0" * 10240)
PY
	extract_both "$T/prefix.tar"
	assert_equal "$(cat "$T/py/rel/fw.bin")" "old vulnerable firmware"
	assert_equal "$(cat "$T/gnu/rel/fw.bin")" "new firmware"
	refused_by_all "$T/prefix.tar" "release '$T/prefix.tar' holds an entry 'fw.bin' with an old GNU header whose ustar prefix field is not empty (tar readers disagree on its name)"
}

# Finding 4: a 10 KiB tar declaring a 1 PiB sparse file was hashed for
# weeks.  Sparse files of an archive may be 16 GiB long in all, or 1024
# times its size; GNU tar's sparse formats within that give the folder's
# manifest.
@test "tar: sparse files longer than 16 GiB or 1024 times the archive are refused at once (exit 4); GNU tar's sparse tars are read" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	"$PY" - "$T/bomb.tar" <<'PY'
import io, sys, tarfile
real = 1 << 50
mp = b"1\n%d\n1\n" % (real - 1); mp += b"\0" * (-len(mp) % 512); data = mp + b"X"
ti = tarfile.TarInfo("GNUSparseFile.0/fw.bin"); ti.size = len(data)
ti.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0",
                  "GNU.sparse.name": "rel/bin/fw.bin", "GNU.sparse.realsize": str(real)}
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t: t.addfile(ti, io.BytesIO(data))
PY
	[ "$(stat -c %s "$T/bomb.tar")" -eq 10240 ]
	refused_by_all "$T/bomb.tar" "release '$T/bomb.tar' holds a sparse file 'rel/bin/fw.bin' of 1125899906842624 bytes: the files of an archive of 10240 bytes may be 17179869184 bytes long in all (16 GiB, or 1024 times the archive's size)"
	gzip -c "$T/bomb.tar" > "$T/bomb.tar.gz"
	run --separate-stderr -4 timeout 20 "$FWTRAIL" digest --manifest "$T/bomb.tar.gz"
	[[ $stderr == "fwtrail digest: release '$T/bomb.tar.gz' holds a sparse file 'rel/bin/fw.bin' of 1125899906842624 bytes: "* ]]
	# GNU tar's sparse formats: the same manifest as the folder
	truncate -s 3M "$T/rev/rel/bin/flash.img"
	printf 'BOOT' | dd of="$T/rev/rel/bin/flash.img" bs=1 seek=1000000 conv=notrunc status=none
	run -0 fwtrail digest --manifest "$T/rev/rel"
	local want=$output f
	for f in "--format=gnu" "--format=oldgnu" "--format=pax --sparse-version=0.0" \
		"--format=pax --sparse-version=0.1" "--format=pax --sparse-version=1.0"; do
		tar -C "$T/rev" -S $f -cf "$T/sparse.tar" rel
		run -0 fwtrail digest --manifest "$T/sparse.tar"
		assert_equal "$output" "$want"
	done
	tar -C "$T/rev" -S -czf "$T/sparse.tgz" rel
	run -0 fwtrail digest --manifest "$T/sparse.tgz"
	assert_equal "$output" "$want"
}

# The round 6 review's finding 1: a pax size record "1024x" or "+1024" is
# 1024 bytes to libarchive; Python and GNU tar take the entry as empty and
# read what follows as the next header, so they extract a file the manifest
# did not list.  So with the numbers of GNU's sparse records, and a size in
# a global header (GNU tar applies it to what follows, libarchive ignores it).
@test "tar: a pax size or GNU.sparse number record that is not plain decimal, or a global size, is refused (exit 4)" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	"$PY" - "$T" <<'PY'
import sys, tarfile
t = sys.argv[1]
def rec(line):
    body = line.encode() + b"\n"; n = len(body) + 2
    while len(str(n)) + 1 + len(body) != n: n += 1
    return str(n).encode() + b" " + body
def hdr(name, size, typ=tarfile.REGTYPE):
    ti = tarfile.TarInfo(name); ti.type = typ; ti.size = size; ti.mtime = 0
    return ti.tobuf(tarfile.USTAR_FORMAT)
def pax(lines, typ=tarfile.XHDTYPE):
    body = b"".join(rec(l) for l in lines)
    return hdr("PaxHeader", len(body), typ) + body.ljust(512, b"\0")
# rel/fw.bin: 0 bytes in its header, 1024 in its pax record: its "data" is
# the header and data of rel/evil.bin
evil = hdr("rel/evil.bin", 5) + b"EVIL\n".ljust(512, b"\0")
end = b"\0" * 10240
for name, lines, typ in (("x", ["size=1024x"], tarfile.XHDTYPE), ("plus", ["size=+1024"], tarfile.XHDTYPE),
                         ("g", ["size=1024"], tarfile.XGLTYPE),
                         ("map", ["GNU.sparse.size=1024", "GNU.sparse.numblocks=1", "GNU.sparse.map=0,+1024",
                                  "path=rel/fw.bin"], tarfile.XHDTYPE)):
    size = 1024 if name == "map" else 0
    open(f"{t}/{name}.tar", "wb").write(pax(lines, typ) + hdr("rel/fw.bin", size) + evil + end)
PY
	# Python and GNU tar extract rel/evil.bin from x.tar; libarchive does not
	extract_both "$T/x.tar" || true
	[ -f "$T/py/rel/evil.bin" ] && [ -f "$T/gnu/rel/evil.bin" ]
	run -0 bsdtar -tf "$T/x.tar"
	assert_output "rel/fw.bin"
	refused_by_all "$T/x.tar" "release '$T/x.tar' holds an entry 'rel/fw.bin' with a pax record 'size=1024x' that is not a decimal number (tar readers disagree on its size)"
	run --separate-stderr -4 fwtrail digest --manifest "$T/plus.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/plus.tar' holds an entry 'rel/fw.bin' with a pax record 'size=+1024' that is not a decimal number (tar readers disagree on its size)"
	run --separate-stderr -4 fwtrail digest --manifest "$T/g.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/g.tar' holds an entry 'rel/fw.bin' with a global pax header that gives a size (tar readers disagree on its size)"
	run --separate-stderr -4 fwtrail digest --manifest "$T/map.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/map.tar' holds an entry 'rel/fw.bin' with a pax record 'GNU.sparse.map=0,+1024' that is not a decimal number (tar readers disagree on its content)"
	gzip -c "$T/x.tar" > "$T/x.tar.gz"
	run --separate-stderr -4 fwtrail digest --manifest "$T/x.tar.gz"
	assert_equal "$stderr" "fwtrail digest: release '$T/x.tar.gz' holds an entry 'rel/fw.bin' with a pax record 'size=1024x' that is not a decimal number (tar readers disagree on its size)"
	# the pax tars GNU tar and Python write are read as before
	tar -C "$T/rev" --format=pax -cf "$T/pax.tar" rel
	run -0 verify --manifest "$T/pax.tar" "$T/review.jws"
	(cd "$T/rev" && "$PY" -c 'import sys, tarfile; t = tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT); t.add("rel"); t.close()' "$T/pypax.tar")
	run -0 verify --manifest "$T/pypax.tar" "$T/review.jws"
}

# The round 6 review's finding 2: a folder whose size comes from a pax
# record (its header's size field 0).  libarchive skips that many bytes as
# the folder's data; GNU tar and Python give a folder none and extract the
# file whose header and data those bytes are.
@test "tar: a folder given data by a pax size record is refused (exit 4)" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	"$PY" - "$T/dir.tar" <<'PY'
import sys, tarfile
def hdr(name, size, typ=tarfile.REGTYPE):
    ti = tarfile.TarInfo(name); ti.type = typ; ti.size = size; ti.mtime = 0; ti.mode = 0o755
    return ti.tobuf(tarfile.USTAR_FORMAT)
def blk(name, data):
    return hdr(name, len(data)) + data.ljust(-(-len(data) // 512) * 512, b"\0")
rel = blk("rel/bin/fw.bin", b"GOOD FIRMWARE\n") + blk("rel/cfg.txt", b"cfg\n")
body = b"13 size=1024\n"
pax = hdr("rel/PaxHeaders/sub", len(body), tarfile.XHDTYPE) + body.ljust(512, b"\0")
evil = blk("rel/evil.bin", b"EVIL\n")
open(sys.argv[1], "wb").write(rel + pax + hdr("rel/sub", 0, tarfile.DIRTYPE) + evil + b"\0" * 10240)
PY
	extract_both "$T/dir.tar"
	[ -f "$T/py/rel/evil.bin" ] && [ -f "$T/gnu/rel/evil.bin" ]
	run -0 bsdtar -tvf "$T/dir.tar"
	assert_line --regexp '^drwxr-xr-x .* 1024 .* rel/sub/?$'
	refute_output --partial evil.bin
	refused_by_all "$T/dir.tar" "release '$T/dir.tar' holds a folder 'rel/sub' whose tar header carries data (tar readers disagree on whether it is a folder or a file)"
	# a pax tar's folders, as GNU tar writes them, are folders
	tar -C "$T/rev" --format=pax --pax-option=exthdr.name=%d/PaxHeaders/%f,atime:=0 -cf "$T/pax.tar" rel
	run -0 verify --manifest "$T/pax.tar" "$T/review.jws"
}

# The round 6 review's finding 3: a tar whose last member is a zip whose
# end record gives a comment longer than what follows it.  Python (and
# unzip, with a caution) still read the file as that zip.
@test "a tar whose last member is a zip with an overlong end record comment is refused (exit 4)" {
	"$PY" - "$T/r.tar" <<'PY'
import io, struct, sys, tarfile, zipfile
zb = io.BytesIO()
with zipfile.ZipFile(zb, "w") as z:
    z.writestr("rel/evil.bin", b"EVIL\n")
zd = bytearray(zb.getvalue())
struct.pack_into("<H", zd, zd.rfind(b"PK\x05\x06") + 20, 0x8000)  # comment length
with tarfile.open(sys.argv[1], "w", format=tarfile.USTAR_FORMAT) as t:
    for name, data in (("rel/fw.bin", b"GOOD FIRMWARE\n"), ("rel/extra.zip", bytes(zd))):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0
        t.addfile(ti, io.BytesIO(data))
PY
	run -0 "$PY" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("rel/evil.bin"))' "$T/r.tar"
	assert_output "b'EVIL\\n'"
	run -0 bsdtar -tf "$T/r.tar"
	assert_output $'rel/fw.bin\nrel/extra.zip'
	run --separate-stderr -4 fwtrail digest --manifest "$T/r.tar"
	[[ $stderr == "fwtrail digest: release '$T/r.tar' is read as POSIX ustar format, but zip readers would read it as a zip: it ends with a zip end of central directory record (at byte "*")" ]]
}

# The round 6 review's finding 5: a ustar size field with a stray byte
# ("0000002000x") is 1024 bytes to libarchive; Python takes the header for
# the end of the archive, GNU tar skips it and extracts what follows.
@test "tar: a size field that is not octal digits padded with NULs or spaces is refused (exit 4)" {
	tar -C "$T/rev" -cf "$T/rel.tar" rel
	review "$T/rel.tar" "$T/review.jws"
	"$PY" - "$T" <<'PY'
import sys, tarfile
t = sys.argv[1]
def hdr(name, size, field=None, typ=tarfile.REGTYPE):
    ti = tarfile.TarInfo(name); ti.type = typ; ti.size = size; ti.mtime = 0
    b = bytearray(ti.tobuf(tarfile.USTAR_FORMAT))
    if field is not None:
        b[124:136] = field
        b[148:156] = b" " * 8; b[148:156] = b"%06o\0 " % sum(b)
    return bytes(b)
def blk(name, data):
    return hdr(name, len(data)) + data.ljust(-(-len(data) // 512) * 512, b"\0")
good = blk("rel/bin/fw.bin", b"GOOD FIRMWARE\n")
evil = blk("rel/evil.bin", b"EVIL\n")
end = b"\0" * 10240
open(f"{t}/own.tar", "wb").write(good + hdr("rel/cfg.txt", 0, b"0000002000x\0") + evil + end)
# a GNU long name record whose own size field has the stray byte
name = b"rel/cfg.txt\0"
open(f"{t}/ext.tar", "wb").write(good + hdr("././@LongLink", len(name), b"0000000014x\0", tarfile.GNUTYPE_LONGNAME) +
                                 name.ljust(512, b"\0") + blk("x", b"cfg\n") + end)
PY
	mkdir "$T/py" "$T/gnu"
	"$PY" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$T/own.tar" "$T/py"
	run ! tar -C "$T/gnu" -xf "$T/own.tar"
	[ ! -e "$T/py/rel/evil.bin" ] && [ -f "$T/gnu/rel/evil.bin" ]
	run -0 bsdtar -tf "$T/own.tar"
	assert_output $'rel/bin/fw.bin\nrel/cfg.txt'
	refused_by_all "$T/own.tar" "release '$T/own.tar' holds an entry 'rel/cfg.txt' with a size field '0000002000x' that is not an octal number (tar readers disagree on its size)"
	run --separate-stderr -4 fwtrail digest --manifest "$T/ext.tar"
	assert_equal "$stderr" "fwtrail digest: release '$T/ext.tar' holds an entry 'rel/cfg.txt' with an extended header whose size field '0000000014x' is not an octal number (tar readers disagree on its headers)"
	# what GNU tar, bsdtar and Python write is read
	for f in gnu oldgnu ustar posix v7; do
		tar -C "$T/rev" --format=$f -cf "$T/$f.tar" rel
		run -0 verify --manifest "$T/$f.tar" "$T/review.jws"
	done
	bsdtar -C "$T/rev" -cf "$T/bsd.tar" rel
	run -0 verify --manifest "$T/bsd.tar" "$T/review.jws"
}

# The round 6 review's finding 8: a zip entry name with bytes over 0x7f and
# no UTF-8 flag (general purpose bit 11), as Info-ZIP's zip writes a UTF-8
# name.  libarchive, bsdtar and unzip take its bytes as they are; Python
# decodes them as CP437 and extracts another name.
@test "zip: a name that is not ASCII and not flagged as UTF-8 is refused (exit 4)" {
	mkdir -p "$T/u/rel"
	printf 'data\n' > "$T/u/rel/café.bin"
	(cd "$T/u" && LC_ALL=C.UTF-8 zip -qX "$T/infozip.zip" rel/café.bin)
	"$PY" - "$T/py.zip" <<'PY'
import struct, sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(out, "w") as z:
    z.writestr(zipfile.ZipInfo("rel/caf\u00e9.bin"), b"data\n")
b = bytearray(open(out, "rb").read())
for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # clear bit 11
    i = b.find(sig); f = struct.unpack_from("<H", b, i + off)[0]; struct.pack_into("<H", b, i + off, f & ~0x800)
open(out, "wb").write(b)
PY
	for z in infozip py; do
		run -0 "$PY" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).namelist()[0])' "$T/$z.zip"
		assert_output "rel/caf├⌐.bin"
		run -0 bsdtar -tf "$T/$z.zip"
		assert_output "rel/café.bin"
		run --separate-stderr -4 fwtrail digest --manifest "$T/$z.zip"
		assert_equal "$stderr" "fwtrail digest: corrupt archive '$T/$z.zip': zip entry 'rel/caf\\xc3\\xa9.bin' has a name that is not ASCII and not flagged as UTF-8 (zip readers disagree on its name: Python reads it as CP437)"
		assert_equal "$output" ""
	done
	# flagged as UTF-8 (Python, 7-Zip), the name is the same to every reader
	(cd "$T/u" && "$PY" -c 'import zipfile; z = zipfile.ZipFile("ok.zip", "w"); z.write("rel/café.bin"); z.close()')
	run -0 fwtrail digest --manifest "$T/u/ok.zip"
	assert_line --partial "  rel/café.bin"
}

@test "a sparse file ending in a hole, or all hole, hashes as the file GNU tar extracts (gnu, posix, bsdtar)" {
	mkdir -p "$T/sp/rel"
	cd "$T/sp"
	head -c 1048576 /dev/urandom > rel/flash.img
	truncate -s 4M rel/flash.img # 1 MiB of data, then a hole
	truncate -s 3M rel/blank-nvram.img # all hole
	fwtrail digest --manifest rel > folder.txt
	tar -S --format=gnu -cf gnu.tar rel
	tar -S --format=posix -cf posix.tar rel
	bsdtar --read-sparse -cf bsd.tar rel
	for a in gnu.tar posix.tar bsd.tar; do
		run -0 fwtrail digest --manifest "$a"
		assert_equal "$output" "$(cat folder.txt)"
		mkdir "x-$a" && tar -xf "$a" -C "x-$a"
		cmp "x-$a/rel/flash.img" rel/flash.img
	done
}

@test "an xar of several files (bsdtar) gives the manifest of its tar" {
	command -v bsdtar > /dev/null || skip "bsdtar is not installed"
	mkdir -p "$T/x/rel"
	cd "$T/x"
	printf 'hello\n' > rel/a
	printf 'world\n' > rel/b
	head -c 70000 /dev/urandom > rel/c
	bsdtar --format=xar -cf rel.xar rel
	tar -cf rel.tar rel
	run -0 fwtrail digest --manifest rel.tar
	local want=$output
	run -0 fwtrail digest --manifest rel.xar
	assert_equal "$output" "$want"
}

@test "a GNU volume label (tar -V), which Python extracts as a file, is refused (exit 4)" {
	mkdir -p "$T/vl/rel"
	cd "$T/vl"
	printf 'fw' > rel/fw.bin
	tar -V 'ACME FW 1.2' -cf v.tar rel
	# Python's tarfile writes the label as a file; GNU tar does not
	(mkdir py && cd py && "$PY" -c 'import tarfile; tarfile.open("../v.tar").extractall()')
	[ -e "py/ACME FW 1.2" ]
	run --separate-stderr -4 fwtrail digest --manifest v.tar
	[[ $stderr == *"a GNU volume label"* ]] || fail "$stderr"
}

@test "a zip or 7z whose data fails its CRC is corrupt (exit 4), as every extractor says" {
	command -v bsdtar > /dev/null || skip "bsdtar is not installed"
	mkdir -p "$T/crc/rel"
	cd "$T/crc"
	printf 'GOOD FIRMWARE IMAGE BYTES\n' > rel/fw.bin
	bsdtar --format=zip --options zip:compression=store -cf bad.zip rel
	bsdtar --format=7zip --options 7zip:compression=store -cf bad.7z rel
	for a in bad.zip bad.7z; do
		run -0 fwtrail digest --manifest "$a"
		# four data bytes changed, the stored CRC kept
		"$PY" -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); i = b.find(b"GOOD"); b[i:i+4] = b"EVIL"; open(p, "wb").write(b)' "$a"
		run -1 bsdtar -xOf "$a"
		run --separate-stderr -4 fwtrail digest --manifest "$a"
		[[ $stderr == *"CRC"* ]] || fail "$a: $stderr"
	done
}

@test "a pax sparse size without a map, or star's SCHILY.realsize, is refused (exit 4): readers disagree on the size" {
	mkdir -p "$T/ss"
	cd "$T/ss"
	"$PY" - <<-'PY'
	import io, tarfile
	for name, hdr in (("schily.tar", {"SCHILY.realsize": "65536"}), ("gnusize.tar", {"GNU.sparse.size": "65536"})):
	    with tarfile.open(name, "w", format=tarfile.PAX_FORMAT) as t:
	        data = b"fifteen bytes!\n"
	        i = tarfile.TarInfo("rel/fw.bin")
	        i.size = len(data)
	        i.pax_headers = hdr
	        t.addfile(i, io.BytesIO(data))
	PY
	run --separate-stderr -4 fwtrail digest --manifest schily.tar
	[[ $stderr == *"with a SCHILY.realsize record (tar readers disagree on its size)"* ]] || fail "$stderr"
	run --separate-stderr -4 fwtrail digest --manifest gnusize.tar
	[[ $stderr == *"with a GNU sparse size without a sparse map (tar readers disagree on its size)"* ]] || fail "$stderr"
}

@test "cpio hard links (newc: data on the last; odc: on each) give every name the data, as cpio extracts" {
	command -v cpio > /dev/null || skip "cpio is not installed"
	mkdir -p "$T/cp/rel"
	cd "$T/cp"
	printf 'FIRMWARE\n' > rel/fw.bin
	ln rel/fw.bin rel/fw-link.bin
	printf 'other\n' > rel/other.bin
	fwtrail digest --manifest rel > folder.txt
	for h in newc odc crc; do
		find rel | sort | cpio -o -H "$h" > "rel-$h.cpio" 2> /dev/null
		run -0 fwtrail digest --manifest "rel-$h.cpio"
		assert_equal "$output" "$(cat folder.txt)"
	done
}

@test "O6: a tar cut short while --manifest reads it is a file that changed (exit 3), not a corrupt archive" {
	# an LD_PRELOAD shim cannot come before ASan's runtime
	! ldd "$FWTRAIL" | grep -q libasan || skip "the sanitized build takes no LD_PRELOAD shim"
	cd "$BATS_TEST_TMPDIR"
	# at the third read of the tar, truncate it (as a copy still being
	# written over, or replaced, would be)
	cat > cut.c <<-'C'
		#define _GNU_SOURCE
		#include <dlfcn.h>
		#include <fcntl.h>
		#include <stdio.h>
		#include <stdlib.h>
		#include <string.h>
		#include <unistd.h>
		ssize_t read(int fd, void *b, size_t n)
		{
			static ssize_t (*real)(int, void *, size_t);
			static int count, done;
			const char *p = getenv("CUT_PATH");
			char l[64], t[4096];
			ssize_t k;
			if (!real)
				real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
			snprintf(l, sizeof(l), "/proc/self/fd/%d", fd);
			if (p && !done && (k = readlink(l, t, sizeof(t) - 1)) > 0) {
				t[k] = 0;
				if (!strcmp(t, p) && ++count == 3) {
					done = 1;
					if (truncate(p, 100000) != 0)
						abort();
				}
			}
			return real(fd, b, n);
		}
	C
	cc -shared -fPIC -o cut.so cut.c -ldl
	mkdir mf
	head -c 8000000 /dev/urandom > mf/a.bin
	echo hi > mf/b.txt
	tar -cf mf.tar mf
	run --separate-stderr -3 env CUT_PATH="$PWD/mf.tar" LD_PRELOAD="$PWD/cut.so" "$FWTRAIL" digest --manifest mf.tar
	assert_equal "$stderr" "fwtrail digest: 'mf.tar' changed while it was being read"
	assert_output ""
	# the same tar cut before the read: corrupt (exit 4)
	tar -cf mf.tar mf
	truncate -s 100000 mf.tar
	run -4 "$FWTRAIL" digest --manifest mf.tar
}

@test "a release without a regular file has no manifest (exit 4): never the hash of [], which any empty archive has" {
	mkdir -p "$T/empty/sub"
	head -c 10240 /dev/zero > "$T/zeros.bin"
	tar -cf "$T/empty.tar" -T /dev/null
	for r in "$T/empty" "$T/zeros.bin" "$T/empty.tar"; do
		run --separate-stderr -4 fwtrail digest --manifest "$r"
		assert_equal "$stderr" "fwtrail digest: '$r' holds no regular file: a release without files has no manifest to hash"
		assert_equal "$output" ""
	done
	run --separate-stderr -4 fwtrail sfr create --vendor V --product P --manifest "$T/empty" -o "$T/r.json"
	[ ! -e "$T/r.json" ]
	# a report bound to the empty manifest: lint calls it an error
	$PY - "$REPORT" "$T/emptyman.json" <<'PY'
import hashlib, json, sys
r = json.load(open(sys.argv[1]))
r["device"]["manifest"] = []
r["device"]["fw_hash_sha2_384"] = hashlib.sha384(b"[]").hexdigest()
r["device"]["fw_hash_sha2_512"] = hashlib.sha512(b"[]").hexdigest()
json.dump(r, open(sys.argv[2], "w"))
PY
	run -1 fwtrail sfr lint "$T/emptyman.json"
	assert_output --partial "manifest is empty: the report binds to no file"
}

@test "tars other readers extract otherwise are refused: a Solaris ACL entry, a sparse map short of its data, a pax name read as NFC" {
	cd "$T"
	$PY - <<'PY'
import tarfile, io
def hdr(name, typ, size, extra=()):
    h = bytearray(512)
    h[:len(name)] = name
    h[100:108] = b"0000644\0"; h[108:116] = h[116:124] = b"0000000\0"
    h[124:136] = b"%011o\0" % size; h[136:148] = b"%011o\0" % 0
    h[156:157] = typ; h[257:265] = b"ustar  \0"
    for off, v in extra:
        h[off:off + len(v)] = v
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)
pad = lambda d: d + b"\0" * (-len(d) % 512)
end = lambda t: t + b"\0" * 1024 + b"\0" * (-(len(t) + 1024) % 10240)
good = hdr(b"fw.bin", b"0", 4) + pad(b"GOOD") + hdr(b"README", b"0", 3) + pad(b"hi\n")
open("good.tar", "wb").write(end(good))
# GNU tar and Python extract fw.bin = EVIL over GOOD; libarchive reads an ACL
acl = hdr(b"fw.bin", b"0", 4) + pad(b"GOOD") + hdr(b"fw.bin", b"A", 4) + pad(b"EVIL") + hdr(b"README", b"0", 3) + pad(b"hi\n")
open("acl.tar", "wb").write(end(acl))
# an old GNU sparse entry without a map: "EVIL" to libarchive, empty to GNU tar
open("sparse.tar", "wb").write(end(hdr(b"fw.bin", b"S", 4) + pad(b"EVIL")))
# a pax name in NFD: GNU tar and Python keep its bytes
with tarfile.open("nfd.tar", "w", format=tarfile.PAX_FORMAT) as t:
    i = tarfile.TarInfo("cafe\u0301.bin"); i.size = 4
    t.addfile(i, io.BytesIO(b"DATA"))
# the same through GNU.sparse.name, which libarchive converts too
with tarfile.open("nfd-sparse.tar", "w", format=tarfile.PAX_FORMAT) as t:
    i = tarfile.TarInfo("x.bin"); i.size = 4
    i.pax_headers = {"GNU.sparse.name": "cafe\u0301.bin"}
    t.addfile(i, io.BytesIO(b"DATA"))
PY
	run -0 tar -xOf acl.tar fw.bin # GNU tar: the last fw.bin
	[[ $output == *EVIL* ]]
	for a in acl sparse nfd; do
		run --separate-stderr -4 fwtrail digest --manifest "$a.tar"
		assert_output ""
	done
	run --separate-stderr -4 fwtrail digest --manifest acl.tar
	assert_equal "$stderr" "fwtrail digest: release 'acl.tar' holds an entry 'README' with a Solaris ACL header ('A': libarchive reads it as the next entry's ACL, GNU tar and Python extract it as a file) (tar readers disagree on its entries)"
	run --separate-stderr -4 fwtrail digest --manifest sparse.tar
	[[ $stderr == *"an old GNU sparse map that does not account for its data and real size (tar readers disagree on its content)" ]] || fail "$stderr"
	run --separate-stderr -4 fwtrail digest --manifest nfd.tar
	[[ $stderr == *"with a pax path that libarchive reads otherwise than its bytes (tar readers disagree on its name)" ]] || fail "$stderr"
	run --separate-stderr -4 fwtrail digest --manifest nfd-sparse.tar
	[[ $stderr == *"with a GNU.sparse.name that libarchive reads otherwise than its bytes (tar readers disagree on its name)" ]] || fail "$stderr"
	run -0 fwtrail digest --manifest good.tar
}

@test "a zip entry that is a DOS volume label is refused: unzip skips it, other readers extract it" {
	cd "$T"
	$PY - <<'PY'
import zipfile
for name, host, attr in (("vol0.zip", 0, 0x08), ("vol6.zip", 6, 0x08), ("vol11.zip", 11, 0x08),
                         ("arch.zip", 0, 0x20), ("vfat.zip", 14, 0x08)):
    with zipfile.ZipFile(name, "w") as z:
        i = zipfile.ZipInfo("fw.bin")
        i.create_system = host  # MS-DOS, HPFS, NTFS, VFAT
        i.external_attr = attr
        z.writestr(i, b"DATA")
PY
	for h in 0 6 11; do
		run --separate-stderr -4 fwtrail digest --manifest "vol$h.zip"
		assert_equal "$stderr" "fwtrail digest: corrupt archive 'vol$h.zip': zip entry 'fw.bin' is a DOS volume label (zip readers disagree on it: unzip skips it, others extract it as a file)"
		run -0 unzip -o "vol$h.zip" # "skipping: fw.bin volume label"
		[ ! -e fw.bin ]
	done
	# unzip extracts a VFAT entry so marked, as the others do
	run -0 unzip -o vfat.zip
	[ -e fw.bin ] && rm fw.bin
	run -0 fwtrail digest --manifest vfat.zip
	run -0 fwtrail digest --manifest arch.zip # the archive bit is a file's
	assert_line --partial "  fw.bin"
}

# Red team: an ISO 9660 image names its files in its Rock Ridge entries
# (libarchive, Linux, bsdtar), in a Joliet tree (Windows, 7-Zip) and in its
# primary tree (8.3 names): trees that give other data under one name are
# refused, as a zip whose two directories disagree is.
@test "ISO 9660: a Joliet or primary tree that disagrees with the Rock Ridge tree is refused (exit 4)" {
	command -v bsdtar > /dev/null || skip "bsdtar is not installed"
	mkdir -p "$T/iso/r"
	printf 'AAAAAAAA-genuine' > "$T/iso/r/fw.bin"
	printf 'BBBBBBBB-evil!!!' > "$T/iso/r/xx.bin"
	bsdtar -C "$T/iso" --format iso9660 --options 'iso9660:joliet,iso9660:rockridge' -cf "$T/j.iso" r
	run -0 fwtrail digest --manifest "$T/j.iso"
	assert_line --partial "  r/fw.bin"
	"$PY" - "$T/j.iso" "$T/jswap.iso" "$T/pswap.iso" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
j = bytearray(d)
a = j.find(b"\x0c" + "fw.bin".encode("utf-16-be")) - 32
b = j.find(b"\x0c" + "xx.bin".encode("utf-16-be")) - 32
j[a + 2:a + 10], j[b + 2:b + 10] = bytes(j[b + 2:b + 10]), bytes(j[a + 2:a + 10])
open(sys.argv[2], "wb").write(j)
a, b = d.find(b"FW.BIN;1"), d.find(b"XX.BIN;1")
d[a:a + 2], d[b:b + 2] = b"XX", b"FW"
open(sys.argv[3], "wb").write(d)
PY
	# what Joliet readers extract: the other file's bytes
	mkdir "$T/x"
	bsdtar -C "$T/x" --options 'iso9660:!rockridge' -xf "$T/jswap.iso"
	[ "$(cat "$T/x/r/fw.bin")" = 'BBBBBBBB-evil!!!' ]
	run --separate-stderr -4 fwtrail digest --manifest "$T/jswap.iso"
	assert_equal "$stderr" "fwtrail digest: release '$T/jswap.iso' is an ISO 9660 image whose trees disagree: 'r/fw.bin' has other content in its Joliet tree (read by Windows and 7-Zip) than in its Rock Ridge tree"
	assert_equal "$output" ""
	run --separate-stderr -4 fwtrail digest --manifest "$T/pswap.iso"
	assert_equal "$stderr" "fwtrail digest: release '$T/pswap.iso' is an ISO 9660 image whose trees disagree: 'r/fw.bin' has other content in its primary tree (8.3 names, read where Rock Ridge and Joliet are not) than in its Rock Ridge or Joliet tree"
	# a name Joliet cannot carry (over 64 characters) is refused too
	printf 'x' > "$T/iso/r/$(printf 'n%.0s' {1..70}).bin"
	bsdtar -C "$T/iso" --format iso9660 -cf "$T/long.iso" r
	run --separate-stderr -4 fwtrail digest --manifest "$T/long.iso"
	[[ $stderr == "fwtrail digest: release '$T/long.iso' is an ISO 9660 image whose trees disagree: "* ]]
	# without a Joliet tree, and Joliet alone: read
	bsdtar -C "$T/iso" --format iso9660 --options 'iso9660:!joliet' -cf "$T/rr.iso" r
	run -0 fwtrail digest --manifest "$T/rr.iso"
	rm "$T/iso/r/"nnn*
	bsdtar -C "$T/iso" --format iso9660 --options 'iso9660:!rockridge' -cf "$T/jo.iso" r
	run -0 fwtrail digest --manifest "$T/jo.iso"
	assert_line --partial "  r/xx.bin"
}

# Red team: 64 MiB of zeros bzip2 to 79 bytes, and bzip2 streams may follow
# one another: a 22 KB tar.bz2 holds a 17 GiB file, which was hashed for
# minutes.  All files of an archive share the sparse files' budget, checked
# at each header before any data is read.
@test "a tar.bz2 holding more than 16 GiB (1024 times its size) is refused at once (exit 4)" {
	head -c 64M /dev/zero | bzip2 -c > "$T/z.bz2"
	"$PY" - "$T/z.bz2" "$T/bomb.tar.bz2" <<'PY'
import bz2, sys, tarfile
ti = tarfile.TarInfo("rel/fw.bin"); ti.size = 17 << 30
z = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as f:
    f.write(bz2.compress(ti.tobuf(tarfile.PAX_FORMAT)))
    for i in range(17 * 16): f.write(z)
    f.write(bz2.compress(b"\0" * 1024))
PY
	local size
	size=$(stat -c %s "$T/bomb.tar.bz2")
	run --separate-stderr -4 timeout 10 "$FWTRAIL" digest --manifest "$T/bomb.tar.bz2"
	assert_equal "$stderr" "fwtrail digest: release '$T/bomb.tar.bz2' holds a file 'rel/fw.bin' of 18253611008 bytes past its data budget: the files of an archive of $size bytes may be 17179869184 bytes long in all (16 GiB, or 1024 times the archive's size)"
}

# Red team: names that differ only in case, or in Unicode normalisation, are
# two files here and one on macOS or Windows: listed, not refused; those
# that differ only in ASCII case get a warning.
@test "ISO 9660 as genisoimage and xorriso write it: a Joliet tree libarchive cannot read is exit 6, never corrupt; a name Joliet cannot carry is said so" {
	command -v bsdtar > /dev/null || skip "bsdtar is not installed"
	command -v genisoimage > /dev/null || skip "genisoimage is not installed (scripts/deps.sh installs it)"
	command -v xorriso > /dev/null || skip "xorriso is not installed (scripts/deps.sh installs it)"
	mkdir -p "$T/d/a/b/c/d/e/f/g/h" "$T/w"
	echo deep > "$T/d/a/b/c/d/e/f/g/h/file"
	echo flat > "$T/w/fw.bin"
	# nine levels: Rock Ridge relocates the deepest folder, and libarchive
	# cannot read the Joliet tree beside it (isoinfo -J can)
	genisoimage -quiet -J -R -o "$T/g.iso" "$T/d"
	run --separate-stderr -6 fwtrail digest --manifest "$T/g.iso"
	[[ $stderr == *"is an ISO 9660 image whose Joliet tree (read by Windows and 7-Zip) cannot be read here ("*"): whether it gives the same files as its Rock Ridge tree cannot be checked" ]] || fail "$stderr"
	# the usual images read
	genisoimage -quiet -J -R -o "$T/g2.iso" "$T/w"
	run -0 fwtrail digest --manifest "$T/g2.iso"
	assert_line --partial "  fw.bin"
	xorriso -as mkisofs -quiet -J -R -o "$T/x.iso" "$T/w" 2>/dev/null
	run -0 fwtrail digest --manifest "$T/x.iso"
	assert_line --partial "  fw.bin"
	# bsdtar's Joliet writer replaces ';' (and : * ? \): Windows extracts
	# another name, which the message explains
	mkdir "$T/s"
	echo z > "$T/s/fw-1.2;build3.bin"
	bsdtar --format iso9660 -cf "$T/v.iso" -C "$T/s" .
	run --separate-stderr -4 fwtrail digest --manifest "$T/v.iso"
	[[ $stderr == *"'fw-1.2;build3.bin' is in its Rock Ridge tree but not in its Joliet tree (read by Windows and 7-Zip) (a Joliet tree cannot carry every name: its writers replace characters such as : ; * ? \\ and cut names at 64 characters, so Windows and 7-Zip would extract another name)"* ]] || fail "$stderr"
	# a file hidden from one tree is missing as it is: no Joliet hint
	mkdir "$T/h1" "$T/h2"
	echo one > "$T/h1/fw.bin"
	echo two > "$T/h2/fw.bin"
	genisoimage -quiet -R -J -hide x.bin -o "$T/hide.iso" -graft-points fw.bin="$T/h1/fw.bin" x.bin="$T/h2/fw.bin"
	run --separate-stderr -4 fwtrail digest --manifest "$T/hide.iso"
	assert_equal "$stderr" "fwtrail digest: release '$T/hide.iso' is an ISO 9660 image whose trees disagree: 'x.bin' is in its Joliet tree (read by Windows and 7-Zip) but not in its Rock Ridge tree"
	# from a pipe: unsupported, said in English
	run --separate-stderr -6 bash -c 'cat "$1" | "$FWTRAIL" digest --manifest --follow-symlinks /dev/stdin' _ "$T/x.iso"
	assert_equal "$stderr" "fwtrail digest: '/dev/stdin': an ISO 9660 image is read from a regular file only (what follows its end is checked)"
}

@test "a folder that declares data counts toward the data budget: a cpio.zst of folders holding 20 GiB of zeros is refused (exit 4)" {
	command -v zstd > /dev/null || skip "zstd is not installed"
	# zstd frames of RLE blocks (128 KiB of zeros each in 4 bytes) after
	# each folder header: libarchive decompresses a folder's data to skip it
	"$PY" - "$T/dirs.cpio.zst" <<'PY'
import struct, subprocess, sys
SIZE, BLK = 0xFFFFFFFC, 131072
def hdr(name, mode, size):
    nb = name.encode() + b"\0"
    h = b"070701" + b"".join(b"%08X" % v for v in [1, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(nb), 0]) + nb
    return h + b"\0" * (-len(h) % 4)
def z(b):
    return subprocess.run(["zstd", "-q", "-c"], input=b, capture_output=True, check=True).stdout
def zeros(n):  # one frame: window 128 KiB, RLE blocks
    out = [struct.pack("<IBB", 0xFD2FB528, 0x00, 0x38)]
    while n:
        k = min(n, BLK); n -= k
        out.append(struct.pack("<I", (k << 3) | (1 << 1) | (n == 0))[:3] + b"\0")
    return b"".join(out)
zz = zeros(SIZE)
with open(sys.argv[1], "wb") as f:
    for i in range(5):
        f.write(z(hdr("d%d" % i, 0o040755, SIZE)) + zz)
    f.write(z(hdr("f", 0o100644, 3) + b"hi\n\0" + hdr("TRAILER!!!", 0, 0)))
PY
	run --separate-stderr -4 fwtrail digest --manifest "$T/dirs.cpio.zst"
	[[ $stderr == *"holds a folder 'd4' of 4294967292 bytes past its data budget: the files of an archive of "*" bytes may be 17179869184 bytes long in all (16 GiB, or 1024 times the archive's size)" ]] || fail "$stderr"
	assert_output ""
}

@test "names differing only in case are listed with a warning, in Unicode normalisation listed as they are (exit 0)" {
	mkdir -p "$T/c/r"
	printf 1 > "$T/c/r/A"
	printf 2 > "$T/c/r/a"
	printf 3 > "$T/c/r/$(printf '\xc3\xa9')"
	printf 4 > "$T/c/r/$(printf 'e\xcc\x81')"
	run --separate-stderr -0 fwtrail digest --manifest "$T/c"
	assert_equal "$stderr" "fwtrail digest: warning: release '$T/c' holds 'c/r/A' and 'c/r/a', which differ only in case: a case-insensitive file system (macOS, Windows) extracts one of them"
	assert_line "manifest: 4 files"
	run --separate-stderr -0 fwtrail -q digest --manifest "$T/c"
	assert_equal "$stderr" ""
}

# Red team: "link/." named the folder a symbolic link points to, and got past
# the check that refuses "link" and "link/".
@test "a symbolic link to a folder given as link/. or link//. is refused (exit 2) unless --follow-symlinks" {
	ln -s rev/rel "$T/rlnk"
	cd "$T"
	local p
	for p in rlnk/. rlnk//. rlnk/./ rlnk/./. rlnk//; do
		run --separate-stderr -2 fwtrail digest --manifest "$p"
		assert_equal "$stderr" "fwtrail digest: '$p' is a symbolic link (not followed without --follow-symlinks)"
		assert_equal "$output" ""
		run -0 fwtrail digest --manifest --follow-symlinks "$p"
		assert_line --partial "  rel/bin/fw.bin"
	done
	# a link inside the path, and the folder itself so spelt: read
	run -0 fwtrail digest --manifest rlnk/bin/.
	assert_line --partial "  bin/fw.bin"
	run -0 fwtrail digest --manifest rev/rel/.
	cd rev/rel
	run -0 fwtrail digest --manifest .
	assert_line --partial "  rel/bin/fw.bin"
}

# Stop 36's red team: a tar cut at the end of an entry reads as whole
# everywhere; fwtrail reads it too, and says it may have been cut.
@test "tar: an archive without its end-of-archive blocks is read, with a warning (exit 0)" {
	mkdir -p "$T/e"
	echo a > "$T/e/a.bin"
	tar -C "$T/e" -cf "$T/whole.tar" a.bin
	run --separate-stderr -0 fwtrail digest --manifest "$T/whole.tar"
	assert_equal "$stderr" ""
	head -c 1024 "$T/whole.tar" > "$T/cut.tar"
	run --separate-stderr -0 fwtrail digest --manifest "$T/cut.tar"
	assert_line --partial "  a.bin"
	assert_equal "$stderr" "fwtrail digest: warning: release '$T/cut.tar' ends without the two zero blocks that end a tar: it may have been cut short after its last entry"
	run --separate-stderr -0 fwtrail -q digest --manifest "$T/cut.tar"
	assert_equal "$stderr" ""
}
