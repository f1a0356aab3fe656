#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Interop with Python's jwt module (Debian python3-jwt), both ways: reports
# signed by fwtrail decode with jwt.decode to the same payload, and tokens
# made by jwt.encode verify with fwtrail; reports carrying iat, exp and nbf are
# accepted or refused as jwt.decode decides.

load helpers
uses_pkcs11_modules

K="$TESTDATA/sfr/keys"
REPORT="$TESTDATA/sfr/bmc-report.json"

setup() {
	T=$BATS_TEST_TMPDIR
	$PY -c 'import jwt' 2>/dev/null || skip "python3-jwt is not installed"
}

# fwtrail signs with KEYSPEC (a PEM file or a pkcs11: URI), jwt verifies
# with PUB; the decoded payload must equal the report.
fwtrail_to_pyjwt() { # keyspec pub alg [sign options...]
	local spec=$1 pub=$2 alg=$3
	shift 3
	run -0 fwtrail sfr sign --key "$spec" --kid 'Interop Lab' "$@" -o "$T/$alg.jws" "$REPORT"
	run -0 $PY - "$T/$alg.jws" "$pub" "$alg" "$REPORT" <<'PY'
import json, sys, jwt
tok, pub, alg, ref = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3], json.load(open(sys.argv[4]))
assert jwt.get_unverified_header(tok) == {"alg": alg, "kid": "Interop Lab", "typ": "JWT"}
assert jwt.decode(tok, pub, algorithms=[alg]) == ref
# and with another algorithm allowed only, jwt refuses it too
try:
    jwt.decode(tok, pub, algorithms=["HS256"])
except jwt.exceptions.InvalidAlgorithmError:
    pass
else:
    raise SystemExit("HS256 accepted")
print("ok")
PY
}

@test "reports signed by fwtrail (ES384, ES512, PS384, PS512, PEM keys) decode with python jwt" {
	fwtrail_to_pyjwt "$K/es384.key.pem" "$K/es384.pub.pem" ES384
	fwtrail_to_pyjwt "$K/es512.key.pem" "$K/es512.pub.pem" ES512
	fwtrail_to_pyjwt "$K/ps384.key.pem" "$K/ps384.pub.pem" PS384
	fwtrail_to_pyjwt "$K/ps512.key.pem" "$K/ps512.pub.pem" PS512
}

@test "reports made by python jwt verify with fwtrail, and bind to the firmware" {
	for a in es384 es512 ps384 ps512; do
		$PY - "$K/$a.key.pem" "${a^^}" "$REPORT" > "$T/$a.jws" <<'PY'
import json, sys, jwt
key, alg, rep = open(sys.argv[1]).read(), sys.argv[2], json.load(open(sys.argv[3]))
sys.stdout.write(jwt.encode(rep, key, algorithm=alg, headers={"kid": "PyJWT Lab"}))
PY
	done
	run -0 fwtrail sfr verify --key "$K/es384.pub.pem" --key "$K/es512.pub.pem" --key "$K/ps384.pub.pem" \
		--key "$K/ps512.pub.pem" --fw "$TESTDATA/firmware/bmc-1.2.3.bin" "$T"/es384.jws "$T"/es512.jws "$T"/ps384.jws "$T"/ps512.jws
	assert_equal "${#lines[@]}" 4
	refute_line --regexp '^FAIL'
	assert_line --regexp "^OK .*/ps512.jws: PS512 signature by '.*ps512.pub.pem' .*; firmware '.*bmc-1.2.3.bin' matches$"
	# and the payload fwtrail shows is the one jwt wrote
	run -0 fwtrail sfr show --json --key "$K/es512.pub.pem" "$T/es512.jws"
	printf '%s' "$output" > "$T/show.json"
	$PY - "$T/show.json" "$REPORT" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
assert o["payload"] == json.load(open(sys.argv[2])) and o["signature"]["kid"] == "PyJWT Lab"
PY
}

@test "SoftHSM keys through fwtrail key specs" {
	"$FWTRAIL" --list-commands | grep -qx key ||
		skip "'fwtrail key' is not in this build: the PKCS#11 key layer arrives with its own branch"
	command -v softhsm2-util >/dev/null || skip "softhsm2-util is not installed"
	export SOFTHSM2_CONF="$T/softhsm2.conf"
	mkdir -p "$T/tok"
	printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$T/tok" > "$SOFTHSM2_CONF"
	softhsm2-util --init-token --free --label fwtest --pin 123456 --so-pin 654321 >/dev/null
	printf '123456' > "$T/pin"
	chmod 600 "$T/pin"
	P11="pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label fwtest --login --pin 123456"
	$P11 --keypairgen --key-type EC:secp384r1 --id 01 --label sfr-es384 >/dev/null
	$P11 --keypairgen --key-type EC:secp521r1 --id 02 --label sfr-es512 >/dev/null
	$P11 --keypairgen --key-type rsa:3072 --id 03 --label sfr-ps384 >/dev/null
	$P11 --keypairgen --key-type rsa:4096 --id 04 --label sfr-ps512 >/dev/null
	for a in es384 es512 ps384 ps512; do
		fwtrail key export --pin-file "$T/pin" -o "$T/$a.pub.pem" "pkcs11:token=fwtest;object=sfr-$a"
		fwtrail_to_pyjwt "pkcs11:token=fwtest;object=sfr-$a" "$T/$a.pub.pem" "${a^^}" --pin-file "$T/pin"
	done
}

@test "iat, exp and nbf: jwt.encode's reports are accepted or refused by fwtrail exactly as jwt.decode decides" {
	# every token is made and judged by python jwt now; bounds are 100 s or
	# more away from now, except ones already passed (they stay passed)
	$PY - "$K/es512.key.pem" "$K/es512.pub.pem" "$REPORT" "$T" > "$T/cases" <<'PY'
import json, sys, time, jwt
key, pub, rep, out = open(sys.argv[1]).read(), open(sys.argv[2]).read(), json.load(open(sys.argv[3])), sys.argv[4]
now = int(time.time())
cases = {
    "exp-past": {"exp": now - 100}, "exp-future": {"exp": now + 3600}, "exp-zero": {"exp": 0},
    "exp-now-real": {"exp": now - 0.5}, "exp-future-real": {"exp": now + 3600.9}, "exp-negative-real": {"exp": -1.5},
    "exp-huge-real": {"exp": 1e300}, "nbf-future": {"nbf": now + 3600}, "nbf-past": {"nbf": now - 100},
    "nbf-future-real": {"nbf": now + 3600.5}, "nbf-tiny-real": {"nbf": -1e300},
    "window-open": {"nbf": now - 100, "exp": now + 3600}, "window-later": {"nbf": now + 3600, "exp": now + 7200},
    "window-over": {"nbf": now - 7200, "exp": now - 3600},
    # iat after now: not yet valid for jwt.decode as for fwtrail
    "iat-future": {"iat": now + 3600}, "iat-past": {"iat": now - 100},
    # a fraction of a second: a NumericDate for jwt.decode as for fwtrail
    "iat-real": {"iat": now - 100.5}, "iat-future-real": {"iat": now + 3600.5},
    # not numbers: fwtrail refuses them all as malformed (RFC 7519 NumericDate)
    "exp-text": {"exp": str(now + 3600)}, "exp-null": {"exp": None}, "nbf-object": {"nbf": {}},
    "exp-bool": {"exp": True}, "nbf-list": {"nbf": [1]}, "iat-null": {"iat": None},
    # an integer beyond 64 bits: fwtrail's JSON cannot hold it (malformed)
    "exp-bigint": {"exp": 10 ** 30},
}
for name, claims in cases.items():
    tok = jwt.encode(dict(rep, **claims), key, algorithm="ES512", headers={"kid": "PyJWT Lab"})
    open("%s/%s.jws" % (out, name), "w").write(tok)
    try:
        jwt.decode(tok, pub, algorithms=["ES512"])
        verdict = "accept"
    except Exception as e:  # ExpiredSignatureError, ImmatureSignatureError, DecodeError, TypeError
        verdict = "refuse:" + type(e).__name__
    print(name, verdict)
PY
	local name verdict n=0
	while read -r name verdict; do
		n=$((n + 1))
		run fwtrail sfr verify --key "$K/es512.pub.pem" "$T/$name.jws"
		case "$name:$verdict" in
		*-text:accept | *-bigint:accept)
			# python's int() reads "1234" and 10**30; not a JSON number that fits, so malformed here
			assert_equal "$status" 4 ;;
		*-null:refuse:* | *-object:refuse:* | *-list:refuse:* | *-bool:refuse:*)
			assert_equal "$status" 4 ;;
		*:accept)
			[ "$status" -eq 0 ] || fail "$name: jwt.decode accepts it, fwtrail says $status: $output" ;;
		*:refuse:ExpiredSignatureError)
			[ "$status" -eq 1 ] || fail "$name: jwt.decode: expired, fwtrail says $status: $output"
			assert_output --partial "the report expired at" ;;
		*:refuse:ImmatureSignatureError)
			[ "$status" -eq 1 ] || fail "$name: jwt.decode: not yet valid, fwtrail says $status: $output"
			assert_output --partial "the report is not valid before" ;;
		*)
			fail "$name: an outcome this test does not expect: jwt.decode $verdict, fwtrail $status" ;;
		esac
	done < "$T/cases"
	assert_equal "$n" 25
	# the decisions the table rests on
	run grep -c ' accept$' "$T/cases"
	assert_output 10
	run grep -c '^iat-real accept$' "$T/cases"
	assert_output 1
	run grep -c '^iat-future-real refuse:ImmatureSignatureError$' "$T/cases"
	assert_output 1
	run grep -c '^iat-future refuse:ImmatureSignatureError$' "$T/cases"
	assert_output 1
}
