# SPDX-License-Identifier: Apache-2.0
bats_require_minimum_version 1.5.0
# Shared set-up for the bats suites.

bats_load_library bats-support
bats_load_library bats-assert

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
: "${FWTRAIL:=$ROOT/build/fwtrail}"
SHARED="$ROOT/../shared"
CORPORA="$SHARED/corpora"
TESTDATA="$ROOT/testdata"
export ROOT FWTRAIL SHARED CORPORA TESTDATA

fwtrail() { "$FWTRAIL" "$@"; }

# Debian registers tpm2-pkcs11 with p11-kit, and every default PKCS#11 lookup
# loads it: keep the store it creates out of the user's home.
: "${TPM2_PKCS11_STORE:=${BATS_RUN_TMPDIR:-/tmp}/tpm2-pkcs11-store}"
mkdir -p "$TPM2_PKCS11_STORE"
export TPM2_PKCS11_STORE

# Under SANITIZE=1 LeakSanitizer also sees what third-party PKCS#11 modules
# leak, and p11-kit unloads a module before the report can name it.  Leaks
# made inside C_Initialize are recognised by the p11-kit call beneath them
# (scripts/lsan.supp, which needs the full unwinder: every allocation then
# costs a full stack walk, several times slower, so only the suites that
# load PKCS#11 modules call uses_pkcs11_modules at their top); Debian's
# tpm2_pkcs11 1.9 also leaks 98 bytes in every C_SignInit
# (ssl_util_attrs_to_evp; valgrind --keep-debuginfo=yes names it), called
# straight from fwtrail, so the tpm2-pkcs11 tests call
# tpm2_module_leaks_ignored (the same fwtrail code is leak-checked with
# SoftHSM2 in sign.bats and key.bats).
uses_pkcs11_modules() {
	[ -z "${FWT_SANITIZED:-}" ] || export ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0"
}
tpm2_module_leaks_ignored() {
	[ -z "${FWT_SANITIZED:-}" ] || export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
}

# LeakSanitizer stops the world with ptrace, which fails under strace: a
# command traced by a test runs without leak detection (the same command is
# leak-checked untraced elsewhere).
strace_fwtrail() {
	if [ -n "${FWT_SANITIZED:-}" ]; then
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace "$@"
	else
		strace "$@"
	fi
}

# Skip the current test when a corpora set is missing.
need_corpus() {
	[ -d "$CORPORA/$1" ] || skip "corpus '$1' not found at $CORPORA/$1"
}

# The "nothing written" invariant (RELIABILITY.md 0.3): snapshot an output
# path and its folder, then check that neither changed.
snapshot_out() {
	OUT=$1
	OUTDIR=$(dirname "$1")
	if [ -e "$OUT" ]; then cp -p "$OUT" "$BATS_TEST_TMPDIR/out.before"; else rm -f "$BATS_TEST_TMPDIR/out.before"; fi
	ls -A "$OUTDIR" | sort > "$BATS_TEST_TMPDIR/dir.before"
}
assert_nothing_written() {
	if [ -e "$BATS_TEST_TMPDIR/out.before" ]; then
		cmp -s "$OUT" "$BATS_TEST_TMPDIR/out.before" || fail "output '$OUT' changed"
	else
		[ ! -e "$OUT" ] || fail "output '$OUT' was written"
	fi
	ls -A "$OUTDIR" | sort | diff - "$BATS_TEST_TMPDIR/dir.before" || fail "stray files left in $OUTDIR"
}

# Peak RSS in KiB of a command (GNU time).
peak_rss_kib() {
	/usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/rss" "$@" >/dev/null 2>&1
	tail -n 1 "$BATS_TEST_TMPDIR/rss" # after "Command exited with non-zero status N"
}

# Run with bounded memory and time: never a crash, never a hang.  (Address
# space limits and sanitizers do not mix: under SANITIZE=1 only the timeout.)
run_limited() {
	if [ -n "${FWT_SANITIZED:-}" ]; then timeout 60 "$@"; else ( ulimit -v 1048576; timeout 20 "$@" ); fi
}

# Memory and link checks are meaningless with ASan's shadow memory.
skip_if_sanitized() {
	[ -z "${FWT_SANITIZED:-}" ] || skip "not meaningful under SANITIZE=1: $*"
}

# Python with Debian's modules (jwt, cbor2, cryptography).
PY=/usr/bin/python3

# An openssl.cnf that no default-context fetch survives: every algorithm
# must come from a FIPS provider, and none is loaded here.
fips_only_cnf() {
	printf '%s\n' 'openssl_conf = openssl_init' '[openssl_init]' 'alg_section = algs' '[algs]' \
		'default_properties = fips=yes' > "$1"
}

# Python on stdin with scripts/GEN (gen-eventlog.py, gen-spdm.py) loaded as
# g; sys.argv[1] is the generator's path, the other arguments follow.
with_generator() {
	local gen=$1
	shift
	{
		printf '%s\n' 'import importlib.util, sys' \
			'spec = importlib.util.spec_from_file_location("g", sys.argv[1])' \
			'g = importlib.util.module_from_spec(spec)' 'spec.loader.exec_module(g)'
		cat
	} | $PY - "$ROOT/scripts/$gen" "$@"
}

# resign IN OUT PYTHON: the payload of the JWS SFR IN, changed by PYTHON
# (over the dict p), signed again under its kid with the reviewer's key of
# the sample server (keys/reviewer.pem, from the folder the test runs in),
# as OUT
resign() {
	$PY - "$1" "$2" "$3" <<'PYEOF'
import base64, json, sys, jwt
src, out, code = sys.argv[1:]
head, body, _ = open(src).read().strip().split(".")
p = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
kid = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["kid"]
exec(code)
open(out, "w").write(jwt.encode(p, open("keys/reviewer.pem").read(), algorithm="ES512", headers={"kid": kid}))
PYEOF
}
