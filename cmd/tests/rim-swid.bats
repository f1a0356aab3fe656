#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# `rim show` and `rim verify` on TCG PC Client SWID RIMs (.swidtag): every
# tag of ../shared/corpora/rim-swid against its EXPECTED.json outcome, the
# HIRS support RIMs (event logs), NVIDIA chains, HIRS's signed timestamps,
# and the project's own fixtures with their bad twins (testdata/swid).

load helpers

S="$TESTDATA/swid"

setup() {
	T=$BATS_TEST_TMPDIR
	R="$CORPORA/rim-swid"
	H="$R/hirs/tools/tcg_rim_tool/src/test/resources"
}

# White space between elements removed (how the HIRS samples were signed).
strip_ws() {
	$PY -c 'import re,sys; sys.stdout.buffer.write(re.sub(rb">\s+<", b"><", open(sys.argv[1],"rb").read()))' "$1"
}

# The last X509Certificate of a tag (NVIDIA's root), as PEM.
last_cert() {
	$PY - "$1" <<'PY'
import re, sys, textwrap
certs = re.findall(rb"<(?:\w+:)?X509Certificate>([^<]*)<", open(sys.argv[1], "rb").read())
b64 = b"".join(certs[-1].split()).decode()
print("-----BEGIN CERTIFICATE-----\n" + "\n".join(textwrap.wrap(b64, 64)) + "\n-----END CERTIFICATE-----")
PY
}

# The options that verify a corpus tag: HIRS with its signer's certificate
# and support RIM, NVIDIA with its root inside the leaf's validity.
corpus_opts() { # rel
	case $1 in
	nvidia/*) last_cert "$R/$1" > "$T/root.pem"; echo "--trust $T/root.pem --at 2024-06-01T00:00:00Z" ;;
	*) echo "--key $H/RimSignCert.pem --support $H/TpmLog.bin" ;;
	esac
}

# sign_min_tag KEY CERT OUT: a minimal SWID tag signed by the xmlsec1 CLI
# (ECDSA-SHA256, enveloped), with CERT in its KeyInfo.
sign_min_tag() {
	printf '%s' '<?xml version="1.0" encoding="UTF-8"?>
<SoftwareIdentity xmlns="http://standards.iso.org/iso/19770/-2/2015/schema.xsd" corpus="false" name="Acme BIOS" patch="false" supplemental="false" tagId="acme-bios-pss" tagVersion="1" version="2.0"><Entity name="Acme Inc" regid="http://acme.example" role="softwareCreator tagCreator"/><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/><Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue></DigestValue></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature></SoftwareIdentity>' > "$T/min-tmpl.xml"
	xmlsec1 --sign --privkey-pem "$1,$2" --output "$3" "$T/min-tmpl.xml"
}

@test "every tag of EXPECTED.json: rim show gives its payload files, kind and signature methods" {
	need_corpus rim-swid
	local rel n=0
	for rel in $(jq -r '.swidtags | keys[]' "$R/EXPECTED.json"); do
		run -0 fwtrail rim show "$R/$rel"
		assert_line --regexp "^SWID tag '.*' version '.*' \((base|supplemental) RIM\), tagId '.*'$"
		run -0 fwtrail --json rim show "$R/$rel"
		echo "$output" > "$T/show.json"
		run -0 jq -c '[.rim.payload.files[] | select(.hashes.sha256) | [.name, .hashes.sha256]]' "$T/show.json"
		assert_equal "$output" "$(jq -c --arg r "$rel" '.swidtags[$r].payload_files' "$R/EXPECTED.json")"
		run -0 jq -r '.format, .rim.software_identity.supplemental' "$T/show.json"
		assert_output "swid
$(jq -r --arg r "$rel" '.swidtags[$r].supplemental' "$R/EXPECTED.json")"
		if jq -e --arg r "$rel" '.swidtags[$r].strict.error' "$R/EXPECTED.json" >/dev/null; then
			run -0 jq -r '.rim.signature.present' "$T/show.json"
			assert_output false
		else
			run -0 jq -c '.rim.signature | [.signature_method, .digest_method, (.key_info.x509_certificates | length)]' "$T/show.json"
			assert_output "$(jq -c --arg r "$rel" '.swidtags[$r].strict | [.signature_method, .digest_method, .x509_count]' "$R/EXPECTED.json")"
		fi
		n=$((n + 1))
	done
	[ "$n" -ge 9 ]
}

@test "every tag of EXPECTED.json: rim verify gives the strict result, and the white-space-stripped one" {
	need_corpus rim-swid
	local rel e want opts n=0
	for rel in $(jq -r '.swidtags | keys[]' "$R/EXPECTED.json"); do
		e=$(jq -c --arg r "$rel" '.swidtags[$r]' "$R/EXPECTED.json")
		opts=$(corpus_opts "$rel")
		for form in strict whitespace_stripped; do
			if [ "$form" = strict ]; then f="$R/$rel"; else f="$T/stripped.swidtag"; strip_ws "$R/$rel" > "$f"; fi
			# ok when the reference digest holds and a key we hold verifies SignedInfo
			want=$(jq -r --arg f "$form" 'if .[$f].error then 1
				elif .[$f].reference_digest_ok and ((.[$f].signedinfo_verifies_with | length) > 0
					or (.verifies_with_repo_cert // [] | length) > 0) then 0 else 1 end' <<< "$e")
			# shellcheck disable=SC2086
			run --separate-stderr fwtrail --json rim verify $opts "$f"
			[ "$status" -eq "$want" ] || fail "$rel ($form): exit $status, not $want: $output"
			if ! jq -e --arg f "$form" '.[$f].error' <<< "$e" >/dev/null; then
				run -0 jq -r '.results[0].verification.reference_ok' <<< "$output"
				assert_output "$(jq -r --arg f "$form" '.[$f].reference_digest_ok' <<< "$e")"
			fi
		done
		n=$((n + 1))
	done
	[ "$n" -ge 9 ]
	# the words for the HIRS samples as published: pretty-printed after signing
	run -1 fwtrail rim verify --key "$H/RimSignCert.pem" --support "$H/TpmLog.bin" "$H/generated_user_cert_embed.swidtag"
	assert_output "FAIL $H/generated_user_cert_embed.swidtag: the document's digest does not match the signed one (and SignedInfo does not verify with this key either)"
	run -1 fwtrail rim verify --key "$H/RimSignCert.pem" "$H/testCsv.swidtag"
	assert_output "FAIL $H/testCsv.swidtag: not signed (no ds:Signature)"
}

@test "HIRS: the signed timestamps verify once stripped, and are shown" {
	need_corpus rim-swid
	strip_ws "$H/generated_timestamp_rfc3339.swidtag" > "$T/ts3339.swidtag"
	strip_ws "$H/generated_timestamp_rfc3852.swidtag" > "$T/ts3852.swidtag"
	run -0 fwtrail rim verify --trust "$H/RimCertChain.pem" --support "$H/TpmLog.bin" "$T/ts3339.swidtag" "$T/ts3852.swidtag"
	assert_line --regexp "^OK $T/ts3339.swidtag \(rsa-sha256 by '.*CN = example.RIM.signer'; 1 support RIM matches: TCG event log, 56 events; signed timestamp 2023-01-01T00:00:00Z\)$"
	assert_line --partial "ts3852.swidtag ("
	assert_line --partial "; signed timestamp (rfc3852))"
	run -0 fwtrail rim show "$H/generated_timestamp_rfc3339.swidtag"
	assert_line "    references: 2"
	assert_line "    timestamp: 2023-01-01T00:00:00Z (rfc3339, not verified)"
	run -0 fwtrail --json rim verify --key "$H/RimSignCert.pem" --support "$H/TpmLog.bin" "$T/ts3852.swidtag"
	run -0 jq -c '.results[0] | [.timestamp.format, .timestamp.value, .timestamp.signed, .verification.timestamp_ok]' <<< "$output"
	assert_output '["rfc3852","dGVzdAo=",true,true]'
}

@test "HIRS support RIM: beside the tag by its File name or given; altered or missing; its event log is read" {
	need_corpus rim-swid
	mkdir "$T/rim"
	strip_ws "$H/generated_default_cert.swidtag" > "$T/rim/base.swidtag"
	cp "$H/TpmLog.bin" "$T/rim/Example.com.BIOS.01.rimel"
	run -0 fwtrail rim verify --key "$H/RimSignCert.pem" "$T/rim/base.swidtag"
	assert_output --partial "; 1 support RIM matches: TCG event log, 56 events)"
	run -0 fwtrail --json rim verify --key "$H/RimSignCert.pem" "$T/rim/base.swidtag"
	echo "$output" > "$T/v.json"
	run -0 jq -c '.results[0].support[0] | [.file, .path, .ok, .eventlog.parsed, .eventlog.events]' "$T/v.json"
	assert_output "[\"Example.com.BIOS.01.rimel\",\"$T/rim/Example.com.BIOS.01.rimel\",true,true,56]"
	# the same count as the event log parser gives on its own
	run -0 fwtrail --json eventlog show "$H/TpmLog.bin"
	[ "$(jq '.events | length' <<< "$output")" -eq 56 ]
	# altered (PCR0 and PCR1 events changed), or missing
	run -1 fwtrail rim verify --key "$H/RimSignCert.pem" --support "$H/TPMLog_Altered.bin" "$T/rim/base.swidtag"
	assert_output --partial "sha256 does not match File 'Example.com.BIOS.01.rimel'"
	rm "$T/rim/Example.com.BIOS.01.rimel"
	run -3 fwtrail rim verify --key "$H/RimSignCert.pem" "$T/rim/base.swidtag"
	run -3 fwtrail rim verify --key "$H/RimSignCert.pem" --support "$T/none.rimel" "$T/rim/base.swidtag"
	# from standard input, the support RIM must be given
	run -2 fwtrail rim verify --key "$H/RimSignCert.pem" - < "$T/rim/base.swidtag"
	assert_output --partial "give the support RIM for File 'Example.com.BIOS.01.rimel'"
	run -0 fwtrail rim verify --key "$H/RimSignCert.pem" --support "$H/TpmLog.bin" - < "$T/rim/base.swidtag"
	# a tag without Payload File has no support RIM to give
	last_cert "$R/nvidia/Driver_RIM_test_no_gpu.swidtag" > "$T/root.pem"
	run -2 fwtrail rim verify --trust "$T/root.pem" --at 2024-06-01T00:00:00Z --support "$H/TpmLog.bin" \
		"$R/nvidia/Driver_RIM_test_no_gpu.swidtag"
	assert_output --partial "has no Payload File"
}

@test "NVIDIA: the embedded chain verifies against NVIDIA's root at a time the leaf is valid, never by itself" {
	need_corpus rim-swid
	local f=$R/nvidia/g520_0200_885_9600740001_PROD.swidtag
	last_cert "$f" > "$T/root.pem"
	run -0 fwtrail rim verify --trust "$T/root.pem" --at 2024-06-01T00:00:00Z "$f"
	assert_output --regexp "^OK .* \(ecdsa-sha384 by '.*CN = HCC RIM L4 Signer', chain trusted\)$"
	run -1 fwtrail rim verify --trust "$T/root.pem" --at 2031-01-01T00:00:00Z "$f"
	assert_output --partial "is not trusted"
	run -1 fwtrail rim verify --trust "$S/keys/ca.pem" --at 2024-06-01T00:00:00Z "$f"
	run -0 fwtrail rim show "$f"
	assert_line --regexp "^  measurement [0-9]+ 'Measurement_[0-9]+' active sha384$"
	run -0 fwtrail --json rim show "$f"
	[ "$(jq '[.rim.payload.measurements[] | select(.active)] | length' <<< "$output")" -gt 0 ]
	# one character changed in a measurement: no
	$PY -c 'import sys; b=open(sys.argv[1],"rb").read(); i=b.index(b"Hash0=\"")+8; b=b[:i]+(b"0" if b[i:i+1]!=b"0" else b"1")+b[i+1:]; open(sys.argv[2],"wb").write(b)' "$f" "$T/changed.swidtag"
	run -1 fwtrail rim verify --trust "$T/root.pem" --at 2024-06-01T00:00:00Z "$T/changed.swidtag"
	assert_output --partial "the document's digest does not match"
}

@test "the project's fixtures: every good tag verifies; every bad twin gives its EXPECTED.tsv result" {
	local f
	for f in "$S"/good/*.swidtag; do
		case $f in
		*rsa-sha384-c14n11*) run -0 fwtrail rim verify --key "$S/keys/rsa-signer.pem" "$f" ;;
		*) run -0 fwtrail rim verify --trust "$S/keys/ca.pem" "$f" ;;
		esac
	done
	local file stage res with code n=0
	while IFS=$'\t' read -r file stage res with; do
		case $file in '#'* | '') continue ;; esac
		case $res in verify_failed) code=1 ;; malformed) code=4 ;; unsupported) code=6 ;; *) fail "result $res" ;; esac
		case $with in
		key:*) run fwtrail rim verify --key "$S/${with#key:}" "$S/bad/$file" ;;
		*) run fwtrail rim verify --trust "$S/keys/ca.pem" "$S/bad/$file" ;;
		esac
		[ "$status" -eq "$code" ] || fail "$file: exit $status, not $code: $output"
		if [ "$stage" = parse ]; then
			run fwtrail rim show "$S/bad/$file"
			[ "$status" -eq "$code" ] || fail "show $file: exit $status, not $code: $output"
		fi
		n=$((n + 1))
	done < "$S/bad/EXPECTED.tsv"
	[ "$n" -eq "$(ls "$S"/bad/*.swidtag | wc -l)" ]
}

@test "signed timestamps: shown, verified, and refused in any other shape" {
	run -0 fwtrail rim show "$S/good/timestamp-rfc3339.swidtag"
	assert_line "    timestamp: 2026-01-15T12:00:00Z (rfc3339, not verified)"
	run -0 fwtrail rim verify --trust "$S/keys/ca.pem" "$S/good/timestamp-rfc3339.swidtag"
	assert_output --partial "; signed timestamp 2026-01-15T12:00:00Z)"
	# exclusive C14N on the timestamp's Reference leaves its unused
	# xmlns:r declaration unsigned: it names no format, and rewriting it
	# (the signature still verifies) cannot make one up
	run -0 fwtrail --json rim show "$S/good/timestamp-rfc3852.swidtag"
	run -0 jq -c '.rim.signature.timestamp | [.id, .target, .format, .value, .time, .signed]' <<< "$output"
	assert_output '["ts","#sig",null,"dGVzdAo=",null,false]'
	cp "$S/good/acme-bios.rimel" "$T/"
	sed 's#rfc/rfc3852.txt#rfc/rfc3339.txt#' "$S/good/timestamp-rfc3852.swidtag" > "$T/flip.swidtag"
	! cmp -s "$S/good/timestamp-rfc3852.swidtag" "$T/flip.swidtag"
	run -0 fwtrail --json rim verify --trust "$S/keys/ca.pem" "$T/flip.swidtag"
	run -0 jq -c '.results[0].timestamp | [.format, .signed]' <<< "$output"
	assert_output '[null,true]'
	run -0 fwtrail rim show "$T/flip.swidtag"
	assert_line "    timestamp: dGVzdAo= (unknown format, not verified)"
	run -1 fwtrail rim verify --trust "$S/keys/ca.pem" "$S/bad/ts-tampered.swidtag"
	assert_output --partial "the signed timestamp's digest does not match the signed one (it was changed after signing)"
	run -6 fwtrail rim verify --trust "$S/keys/ca.pem" "$S/bad/ts-ref-to-root.swidtag"
	assert_output --partial "a second Reference may only sign the timestamp's SignatureProperty '#TST', not '#root'"
	run -6 fwtrail rim verify --trust "$S/keys/ca.pem" "$S/bad/ts-second-object.swidtag"
	run -4 fwtrail rim verify --trust "$S/keys/ca.pem" "$S/bad/ts-outside-signature.swidtag"
	assert_output --partial "xmldsig element outside ds:Signature"
	run -4 fwtrail rim show "$S/bad/ts-duplicate-id.swidtag"
	assert_output --partial "Id 'TST' is used twice"
}

@test "a trusted bare key names the signer, never the subject of an unvalidated KeyInfo certificate" {
	cp "$S/good/acme-bios.rimel" "$T/"
	# a self-made certificate (signed by a throw-away key) carrying the
	# real signer's public key, swapped into the unsigned KeyInfo
	$PY - "$S/keys/rsa-signer.pem" "$S/good/base-rsa-sha256.swidtag" "$T/spoof.swidtag" <<'PY'
import datetime, re, sys
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
pub = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read()).public_key()
n = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Forged Corp"),
               x509.NameAttribute(NameOID.COMMON_NAME, "Forged RIM Signer")])
c = (x509.CertificateBuilder().subject_name(n).issuer_name(n).public_key(pub).serial_number(7)
     .not_valid_before(datetime.datetime(2024, 1, 1)).not_valid_after(datetime.datetime(2040, 1, 1))
     .sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256()))
fake = "".join(c.public_bytes(serialization.Encoding.PEM).decode().splitlines()[1:-1])
b = open(sys.argv[2]).read()
b, k = re.subn(r"(<X509Certificate>).*?(</X509Certificate>)", lambda m: m.group(1) + fake + m.group(2), b, flags=re.S)
assert k >= 1
open(sys.argv[3], "w").write(b)
PY
	for f in "$S/good/base-rsa-sha256.swidtag" "$T/spoof.swidtag"; do
		run -0 fwtrail rim verify --trust "$S/keys/rsa-signer.pub" "$f"
		assert_output --regexp "^OK $f \(rsa-sha256 by '$S/keys/rsa-signer.pub'; "
		refute_output --partial "Forged"
		run -0 fwtrail --json rim verify --trust "$S/keys/rsa-signer.pub" "$f"
		run -0 jq -r '.results[0].verification.signer' <<< "$output"
		assert_output "$S/keys/rsa-signer.pub"
	done
	# the forged certificate chains to nothing: refused with the CA as trust
	run -1 fwtrail rim verify --trust "$S/keys/ca.pem" "$T/spoof.swidtag"
	# a chain to a trusted root does name the leaf's subject
	run -0 fwtrail rim verify --trust "$S/keys/ca.pem" "$S/good/base-rsa-sha256.swidtag"
	assert_output --partial "by 'O = fwtrail test, CN = fwtrail test RIM signer rsa-3072'"
}

@test "a chain CA with an RSA-PSS-typed key is revoked by the fingerprint fwtrail key export prints (exit 1)" {
	cd "$T"
	openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:3072 -out root.key 2> /dev/null
	openssl req -x509 -new -key root.key -subj "/CN=PSS Root" -days 3650 -out root.pem \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key
	openssl req -new -key leaf.key -subj "/CN=RIM signer" -out leaf.csr
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > leaf.ext
	openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3650 -extfile leaf.ext -out leaf.pem 2> /dev/null
	# a minimal tag, signed by the xmlsec1 CLI with the leaf's certificate in KeyInfo
	sign_min_tag leaf.key leaf.pem tag.swidtag
	run -0 fwtrail rim verify --trust root.pem tag.swidtag
	fp=$(fwtrail --json key export root.key | jq -r .sha256_fingerprint)
	# the key as encoded (rsassaPss) hashes otherwise; the canonical form is what is listed
	[ "$(openssl pkey -in root.key -pubout -outform DER | sha256sum | cut -d' ' -f1)" != "$fp" ]
	printf '%s\n' "$fp" > revoked.txt
	run --separate-stderr -1 fwtrail rim verify --trust root.pem --revoked revoked.txt tag.swidtag
	[[ $output == *"the key of 'CN = PSS Root' (depth 1, sha256:$fp) is revoked ('revoked.txt' line 1)"* ]]
	# and as its own rsassaPss SPKI hashes, as before
	openssl pkey -in root.key -pubout -outform DER | sha256sum | cut -d' ' -f1 > revoked2.txt
	run -1 fwtrail rim verify --trust root.pem --revoked revoked2.txt tag.swidtag
}

@test "revocation above a chain: a store holding a chain of 1500 CAs costs linear time, not cubic (timeout)" {
	cd "$T"
	$PY - <<'PY'
import datetime, os
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
nb, na = datetime.datetime(2025, 1, 1), datetime.datetime(2045, 1, 1)
def name(s): return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, s)])
def cert(subj, key, iss, ikey, ca):
    b = (x509.CertificateBuilder().subject_name(name(subj)).issuer_name(name(iss)).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(nb).not_valid_after(na)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                        encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ikey.public_key()), critical=False))
    return b.sign(ikey, hashes.SHA256())
pem = lambda c: c.public_bytes(serialization.Encoding.PEM)
os.makedirs("store")
keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(1500)]
for i, k in enumerate(keys):  # CA i issued by CA i-1; names sort root first
    open("store/%05d.pem" % i, "wb").write(pem(cert("CA %05d" % i, k, "CA %05d" % max(i - 1, 0), keys[max(i - 1, 0)], True)))
lk = ec.generate_private_key(ec.SECP256R1())
open("leaf.key", "wb").write(lk.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
open("leaf.pem", "wb").write(pem(cert("RIM signer", lk, "CA 01499", keys[-1], False)))
PY
	sign_min_tag leaf.key leaf.pem tag.swidtag
	echo 0000000000000000000000000000000000000000000000000000000000000000 > unrelated.txt
	# each pass over the store took in one issuer: about a minute here.
	# Under the sanitizer (full stack unwinding at every allocation)
	# loading 1500 certificates alone takes about 35 s: a wider bound there
	local limit=30
	[ -z "${FWT_SANITIZED:-}" ] || limit=180
	run -0 timeout "$limit" "$FWTRAIL" rim verify -q --trust store --revoked unrelated.txt tag.swidtag
	# the root, 1500 certificates above the anchor, is still found
	openssl x509 -in store/00000.pem -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64 > root.txt
	run --separate-stderr -1 timeout "$limit" "$FWTRAIL" rim verify --trust store --revoked root.txt tag.swidtag
	[[ $output == *"the key of 'CN = CA 00000' (depth 1500, "*"is revoked ('root.txt' line 1)"* ]]
}

@test "hostile markup is refused before parsing: over 256 attributes, over 16 namespaces in scope (exit 4, fast)" {
	local base="$S/good/ecdsa-p256-sha256.swidtag"
	# 150000 attributes on one element (1.5 MB, under the size cap; the
	# parse was quadratic: minutes)
	$PY -c 'import sys; n = 150000
open(sys.argv[1], "w").write("<SoftwareIdentity xmlns=\"http://standards.iso.org/iso/19770/-2/2015/schema.xsd\" name=\"m\" tagId=\"m\"><Payload><File name=\"f\" " + " ".join(f"a{i}=\"\"" for i in range(n)) + "/></Payload></SoftwareIdentity>")' "$T/attrs.swidtag"
	[ "$(wc -c < "$T/attrs.swidtag")" -lt 2097152 ]
	for verb in show "verify --trust $S/keys/ca.pem"; do
		run -4 timeout 20 "$FWTRAIL" rim $verb "$T/attrs.swidtag"
		assert_output "fwtrail rim ${verb%% *}: '$T/attrs.swidtag': an element at line 1 has 150001 attributes; the limit is 256"
	done
	# 200 unused namespace declarations on the root of a signed tag, then
	# 20000 with 200 elements (C14N was quadratic in them: 13 minutes)
	for n in 200 20000; do
		$PY -c 'import sys; b = open(sys.argv[1]).read(); n = int(sys.argv[2])
b = b.replace("<SoftwareIdentity ", "<SoftwareIdentity " + " ".join(f"xmlns:p{i}=\"u:{i}\"" for i in range(n)) + " ", 1)
open(sys.argv[3], "w").write(b.replace("<Payload>", "<Payload>" + "<Process/>" * 200, 1))' "$base" $n "$T/ns$n.swidtag"
		run -4 timeout 20 "$FWTRAIL" rim verify --trust "$S/keys/ca.pem" "$T/ns$n.swidtag"
	done
	run -4 timeout 20 "$FWTRAIL" rim verify --trust "$S/keys/ca.pem" "$T/ns200.swidtag"
	assert_output --regexp "^fwtrail rim verify: '$T/ns200.swidtag': an element at line 2 has 20[0-9] namespace declarations in scope; the limit is 16$"
	run -4 timeout 20 "$FWTRAIL" rim verify --trust "$S/keys/ca.pem" "$T/ns20000.swidtag"
	assert_output --partial "attributes; the limit is 256"
	# the same through attest check
	run -4 timeout 20 "$FWTRAIL" attest check --evidence "$TESTDATA/evidence/eventlog/agile.bin" \
		--rim "$T/ns200.swidtag" --trust "$S/keys/ca.pem"
	assert_output --partial "namespace declarations in scope; the limit is 16"
}

@test "hostile XML is refused at once; the parser opens nothing but the tag" {
	run -4 run_limited "$FWTRAIL" rim show "$S/bad/billion-laughs.swidtag"
	run -4 "$FWTRAIL" rim verify --trust "$S/keys/ca.pem" "$S/bad/xxe-file-entity.swidtag"
	if command -v strace >/dev/null; then
		run strace_fwtrail -f -e trace=connect,openat -o "$T/trace" "$FWTRAIL" rim verify --trust "$S/keys/ca.pem" \
			"$S/bad/xxe-parameter-entity-http.swidtag" "$S/bad/xinclude.swidtag" "$S/bad/schema-location.swidtag"
		[ "$status" -eq 4 ] || [ "$status" -eq 1 ]
		! grep -E 'connect\(|/etc/passwd|evil.dtd|swid.xsd' "$T/trace" || fail "the parser reached out"
	fi
}

@test "rim verify and show on SWID: --json keeps the status; usage and I/O errors" {
	run -1 --separate-stderr fwtrail --json rim verify --trust "$S/keys/ca.pem" "$S/bad/tampered-hash.swidtag"
	run -0 jq -r '.ok, .results[0].format, .results[0].signature, .error.code' <<< "$output"
	assert_output "false
swid
invalid
verify_failed"
	run -3 fwtrail rim show "$T/none.swidtag"
	run -2 fwtrail rim verify "$S/good/base-rsa-sha256.swidtag"
	run -2 fwtrail rim verify --trust "$S/keys/ca.pem" --at yesterday "$S/good/base-rsa-sha256.swidtag"
	# several tags: one line each, the worst status wins
	run -4 fwtrail rim verify --trust "$S/keys/ca.pem" "$S/good/base-rsa-sha256.swidtag" \
		"$S/bad/tampered-meta.swidtag" "$S/bad/truncated.swidtag"
	assert_line --partial "base-rsa-sha256.swidtag ("
	# text from the tag cannot forge lines
	sed 's/name="Acme Inc"/name="Acme\&#10;OK forged"/' "$S/good/base-rsa-sha256.swidtag" > "$T/nl.swidtag"
	run -0 fwtrail rim show "$T/nl.swidtag"
	assert_line "  entity: 'Acme\\x0aOK forged' http://acme.example: softwareCreator tagCreator"
}

@test "a chain that fails names the certificate, and for a date its date and the time used, as verify --cert does" {
	local tag="$S/good/base-rsa-sha256.swidtag" signer="O = fwtrail test, CN = fwtrail test RIM ..."
	run -1 fwtrail rim verify --trust "$S/keys/ca.pem" --at 2099-01-01T00:00:00Z "$tag"
	assert_output "FAIL $tag: the signer's certificate '$signer' is not trusted: certificate chain does not validate: certificate 'O = fwtrail test, CN = fwtrail test RIM root CA' (depth 2) expired on 2044-01-01T00:00:00Z, checked at 2099-01-01T00:00:00Z"
	run -1 fwtrail rim verify --trust "$S/keys/ca.pem" --at 2000-01-01T00:00:00Z "$tag"
	assert_output --regexp "certificate chain does not validate: certificate '[^']+' \(depth [0-9]\) is not valid before [0-9TZ:-]+, checked at 2000-01-01T00:00:00Z$"
	# other failures name the certificate OpenSSL stopped at
	run -1 fwtrail rim verify --trust "$S/keys/attacker.pem" "$tag"
	assert_output "FAIL $tag: the signer's certificate '$signer' is not trusted: certificate chain does not validate: unable to get local issuer certificate: certificate 'O = fwtrail test, CN = fwtrail test RIM intermediate CA' (depth 1)"
}

@test "a support RIM that is no regular file (/dev/zero, a FIFO, a folder) is refused at once, never read without end (exit 3)" {
	cp "$S/good/base-rsa-sha256.swidtag" "$T/tag.swidtag"
	ln -s /dev/zero "$T/acme-bios.rimel"
	run -3 --separate-stderr timeout 20 "$FWTRAIL" rim verify --trust "$S/keys/ca.pem" "$T/tag.swidtag"
	assert_equal "$stderr" "fwtrail rim verify: '$T/tag.swidtag': support RIM '$T/acme-bios.rimel' is not a regular file"
	run -3 --separate-stderr timeout 20 "$FWTRAIL" rim verify --trust "$S/keys/ca.pem" --support /dev/zero "$T/tag.swidtag"
	assert_equal "$stderr" "fwtrail rim verify: '$T/tag.swidtag': support RIM '/dev/zero' is not a regular file"
	rm "$T/acme-bios.rimel"
	mkfifo "$T/acme-bios.rimel"
	run -3 --separate-stderr timeout 20 "$FWTRAIL" --json rim verify --trust "$S/keys/ca.pem" "$T/tag.swidtag"
	run -0 jq -r '.ok, .error.code' <<< "$output"
	assert_output "false
io"
	rm "$T/acme-bios.rimel"
	mkdir "$T/acme-bios.rimel"
	run -3 --separate-stderr timeout 20 "$FWTRAIL" rim verify --trust "$S/keys/ca.pem" "$T/tag.swidtag"
	assert_equal "$stderr" "fwtrail rim verify: '$T/tag.swidtag': support RIM '$T/acme-bios.rimel' is not a regular file"
	# a regular file longer than its File says is a mismatch (exit 1)
	rmdir "$T/acme-bios.rimel"
	{ cat "$S/good/acme-bios.rimel"; echo more; } > "$T/acme-bios.rimel"
	run -1 --separate-stderr fwtrail rim verify --trust "$S/keys/ca.pem" "$T/tag.swidtag"
	assert_output "FAIL $T/tag.swidtag: support RIM '$T/acme-bios.rimel': 4101 bytes, File 'acme-bios.rimel' in '$T/tag.swidtag' says 4096"
}

@test "rim verify --json on SWID: a signature never computed (CA not trusted) is \"not_checked\", never \"invalid\"" {
	local tag="$S/good/base-rsa-sha256.swidtag"
	run -1 --separate-stderr fwtrail --json rim verify --trust "$S/keys/attacker.pem" "$tag"
	run -0 jq -c '.results[0] | [.signature, .verification.checked, .verification.reference_ok, .verification.signature_ok, .verification.chain_ok]' <<< "$output"
	assert_output '["not_checked",false,null,null,false]'
	# computed and wrong: invalid, with the answers
	run -1 --separate-stderr fwtrail --json rim verify --trust "$S/keys/ca.pem" "$S/bad/tampered-hash.swidtag"
	run -0 jq -c '.results[0] | [.signature, .verification.checked, .verification.reference_ok]' <<< "$output"
	assert_output '["invalid",true,false]'
	run -0 --separate-stderr fwtrail --json rim verify --trust "$S/keys/ca.pem" "$tag"
	run -0 jq -c '.results[0] | [.signature, .verification.checked, .verification.reference_ok, .verification.signature_ok]' <<< "$output"
	assert_output '["valid",true,true,true]'
}
