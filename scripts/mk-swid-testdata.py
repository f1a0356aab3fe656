#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Make testdata/swid/: SWID RIM fixtures signed with the xmlsec1 CLI, their
bad/ twins (forgeries, signature wrapping, hostile XML, wrong types) and the
keys and certificates they need.

Deterministic: keys come from SHA-512 counter-mode streams over fixed labels
(RSA primes by Miller-Rabin over that stream, EC scalars from it),
certificates have fixed dates and serials and are signed by RSA keys, and
RSA signatures are deterministic, so every RSA-signed file is byte-identical
on each run.  ECDSA signatures (xmlsec1 uses OpenSSL's random nonces) differ
from run to run; nothing depends on their bytes.

Also writes the seed corpus of lib/tests/fuzz_swid_xml.c in
testdata/fuzz/fuzz_swid_xml/ (copies of some of these files).

Usage: scripts/mk-swid-testdata.py   (from anywhere; needs xmlsec1,
python3-cryptography, python3-lxml)
"""
import datetime
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from lxml import etree

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "testdata", "swid")

NS_SWID = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd"
NS_DSIG = "http://www.w3.org/2000/09/xmldsig#"
C14N10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N10C = C14N10 + "#WithComments"
C14N11 = "http://www.w3.org/2006/12/xml-c14n11"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENV = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
MORE = "http://www.w3.org/2001/04/xmldsig-more#"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA384 = MORE + "sha384"
SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"


# ---- deterministic randomness, keys, certificates ----

class Stream:
    def __init__(self, label):
        self.label, self.i, self.buf = label.encode(), 0, b""

    def read(self, n):
        while len(self.buf) < n:
            self.buf += hashlib.sha512(self.label + self.i.to_bytes(8, "big")).digest()
            self.i += 1
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


def probable_prime(n):
    for p in SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for a in SMALL_PRIMES[:24]:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def prime(stream, bits):
    while True:
        c = int.from_bytes(stream.read(bits // 8), "big") | (3 << (bits - 2)) | 1
        if c % 65537 != 1 and probable_prime(c):
            return c


def rsa_key(label, bits):
    s = Stream("fwtrail swid fixture key " + label)
    p = prime(s, bits // 2)
    q = prime(s, bits // 2)
    while q == p:
        q = prime(s, bits // 2)
    e = 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    pub = rsa.RSAPublicNumbers(e, p * q)
    return rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q),
                                 rsa.rsa_crt_iqmp(p, q), pub).private_key()


def ec_key(label, curve, bits):
    s = Stream("fwtrail swid fixture key " + label)
    # fewer bits than the group order, never zero
    return ec.derive_private_key(int.from_bytes(s.read(bits // 8 - 1), "big") | 1, curve)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fwtrail test"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def cert(subject_key, cn, issuer_key, issuer_cn, serial, ca):
    b = (x509.CertificateBuilder()
         .subject_name(name(cn)).issuer_name(name(issuer_cn))
         .public_key(subject_key.public_key()).serial_number(serial)
         .not_valid_before(datetime.datetime(2024, 1, 1))
         .not_valid_after(datetime.datetime(2044, 1, 1))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=False,
                                      key_encipherment=False, data_encipherment=False,
                                      key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                                      encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()),
                        critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                        critical=False))
    return b.sign(issuer_key, hashes.SHA256())


def pem_cert(c):
    return c.public_bytes(serialization.Encoding.PEM)


def pem_key(k):
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                           serialization.NoEncryption())


def support_bytes(label, n):
    return Stream("fwtrail swid support " + label).read(n)


# ---- tag templates ----

def sig_tmpl(c14n, sigm, transforms, dm, keyinfo, prefix="", extra_refs="", obj="", ref_uri='URI=""',
             sigm_children="", c14n_children="", sig_id=""):
    p = prefix + ":" if prefix else ""
    xmlns = f'xmlns{":" + prefix if prefix else ""}="{NS_DSIG}"' + (f' Id="{sig_id}"' if sig_id else "")
    tr = "".join(f'<{p}Transform Algorithm="{t}"/>' if not t.startswith("<") else t for t in transforms)
    trs = f"<{p}Transforms>{tr}</{p}Transforms>" if transforms else ""
    return (f'<{p}Signature {xmlns}><{p}SignedInfo>'
            f'<{p}CanonicalizationMethod Algorithm="{c14n}">{c14n_children}</{p}CanonicalizationMethod>'
            f'<{p}SignatureMethod Algorithm="{sigm}">{sigm_children}</{p}SignatureMethod>'
            f'<{p}Reference {ref_uri}>{trs}<{p}DigestMethod Algorithm="{dm}"/><{p}DigestValue/></{p}Reference>'
            f'{extra_refs}</{p}SignedInfo><{p}SignatureValue/>{keyinfo(p)}{obj}</{p}Signature>')


def ki_x509(p):
    return f"<{p}KeyInfo><{p}X509Data/></{p}KeyInfo>"


def ki_keyvalue(keyname):
    return lambda p: f"<{p}KeyInfo><{p}KeyName>{keyname}</{p}KeyName><{p}KeyValue/></{p}KeyInfo>"


def hirs_like(sig, rimel_hash, rimel_size, supplemental="false", extra_payload="", root_attrs=""):
    """A PC Client base RIM shaped like the HIRS tcg_rim_tool output, indented
    before signing (so the white space is signed)."""
    return f'''<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<ns2:SoftwareIdentity xmlns:ns2="{NS_SWID}" corpus="false" name="Acme BIOS" patch="false" supplemental="{supplemental}" tagId="acme-bios-4.1.0-base" tagVersion="0" version="4.1.0" versionScheme="multipartnumeric" xml:lang="en"{root_attrs}>
  <ns2:Entity name="Acme Inc" regid="http://acme.example" role="softwareCreator tagCreator"/>
  <ns2:Link href="https://acme.example/support/bios/4.1.0" rel="installationmedia"/>
  <ns2:Meta xmlns:n8060="http://csrc.nist.gov/ns/swid/2015-extensions/1.0" xmlns:rim="https://trustedcomputinggroup.org/wp-content/uploads/TCG_RIM_Model" n8060:colloquialVersion="BIOS_2026" n8060:edition="1" n8060:product="Acme Board" n8060:revision="r1" rim:PayloadType="direct" rim:bindingSpec="PC Client RIM" rim:bindingSpecVersion="1.2" rim:firmwareManufacturerId="00213022" rim:firmwareManufacturerStr="Acme BIOS Team" rim:firmwareModel="A1" rim:firmwareVersion="4.1.0" rim:pcURIGlobal="https://acme.example/rim/" rim:pcURIlocal="/boot/tcg/manifest/swidtag/" rim:platformManufacturerId="00201234" rim:platformManufacturerStr="Acme" rim:platformModel="Board-1" rim:platformVersion="1.0"/>
  <ns2:Payload>
    <Directory name="rim">
      <File xmlns:SHA256="{SHA256}" SHA256:hash="{rimel_hash}" name="acme-bios.rimel" size="{rimel_size}"/>
    </Directory>{extra_payload}
  </ns2:Payload>
  {sig}
</ns2:SoftwareIdentity>
'''


def compact(sig, file_attrs, name_, tagid, supplemental="false", payload_extra=""):
    """A compact tag (no white space between elements), default namespace."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<SoftwareIdentity xmlns="{NS_SWID}" corpus="false" '
            f'name="{name_}" patch="false" supplemental="{supplemental}" tagId="{tagid}" tagVersion="1" '
            f'version="2.0">'
            f'<Entity name="Acme Inc" regid="http://acme.example" role="softwareCreator tagCreator"/>'
            f'<Meta xmlns:rim="https://trustedcomputinggroup.org/wp-content/uploads/TCG_RIM_Model" '
            f'rim:platformManufacturerStr="Acme" rim:platformModel="Board-2" rim:bindingSpec="PC Client RIM" '
            f'rim:bindingSpecVersion="1.2" rim:PayloadType="direct"/>'
            f'<Payload><File {file_attrs}/>{payload_extra}</Payload>{sig}</SoftwareIdentity>\n')


def nvidia_like(sig, measurements):
    """Shaped like the NVIDIA GPU RIMs: no XML declaration, a default and an
    ns0 prefix for the SWID namespace, TCG RIM-IM Meta, Resource entries."""
    res = "".join(
        f'\n        <ns0:Resource type="Measurement" index="{i}" active="{a}" alternatives="{len(hs)}" '
        + " ".join(f'ns2:Hash{j}="{h}"' for j, h in enumerate(hs))
        + f' name="Measurement_{i}" size="48"/>' for i, a, hs in measurements)
    return (f'<SoftwareIdentity xmlns="{NS_SWID}" xmlns:ns0="{NS_SWID}" '
            f'xmlns:ns2="http://www.w3.org/2001/04/xmlenc#sha384" corpus="false" name="ACME GPU" patch="false" '
            f'supplemental="false" tagId="acme-gpu-vbios-96.00.01" version="96.00.01" tagVersion="0">\n'
            f'    <ns0:Entity name="Acme GPU Corp" role="softwareCreator tagCreator"/>\n'
            f'    <ns0:Meta xmlns:ns1="https://trustedcomputinggroup.org/resource/'
            f'tcg-reference-integrity-manifest-rim-information-model/" colloquialVersion="96.00.01" '
            f'edition="PROD" product="ACME100" revision="r1" PayloadType="direct" ns1:BindingSpec="RIMIM" '
            f'ns1:BindingSpecVersion="1.01" ns1:PlatformManufacturerId="4242" '
            f'ns1:PlatformManufacturerStr="Acme GPU Corp" ns1:PlatformModel="ACME100" '
            f'ns1:FirmwareManufacturer="Acme GPU Corp" ns1:FirmwareManufacturerId="4242"/>\n'
            f'    <ns0:Payload xmlns:SHA384="http://www.w3.org/2001/04/xmlenc#sha384">{res}\n'
            f'    </ns0:Payload>\n{sig}</SoftwareIdentity>')


# ---- signing ----

def xmlsec_sign(tmp, text, keyspec, extra=()):
    src = os.path.join(tmp, "tmpl.xml")
    dst = os.path.join(tmp, "signed.xml")
    with open(src, "wb") as f:
        f.write(text.encode() if isinstance(text, str) else text)
    cmd = ["xmlsec1", "--sign", *extra, *keyspec, "--output", dst, src]
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode != 0:
        sys.exit("mk-swid-testdata: xmlsec1 failed: " + " ".join(cmd) + "\n" + r.stderr.decode())
    with open(dst, "rb") as f:
        return f.read()


def write(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def main():
    if shutil.which("xmlsec1") is None:
        sys.exit("mk-swid-testdata: xmlsec1 not found (scripts/deps.sh installs it)")
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    tmp = tempfile.mkdtemp(prefix="mk-swid-")
    try:
        make_all(tmp)
    finally:
        shutil.rmtree(tmp)


def make_all(tmp):
    # keys and certificates
    ca = rsa_key("root-ca", 3072)
    inter = rsa_key("intermediate-ca", 3072)
    signer = rsa_key("rsa-signer", 3072)
    p256 = ec_key("ec-p256-signer", ec.SECP256R1(), 256)
    p384 = ec_key("ec-p384-signer", ec.SECP384R1(), 384)
    p521 = ec_key("ec-p521-signer", ec.SECP521R1(), 521)
    attacker = rsa_key("attacker", 3072)
    weak = rsa_key("weak-rsa-1024", 1024)
    ca_c = cert(ca, "fwtrail test RIM root CA", ca, "fwtrail test RIM root CA", 1, True)
    inter_c = cert(inter, "fwtrail test RIM intermediate CA", ca, "fwtrail test RIM root CA", 2, True)
    ic = "fwtrail test RIM intermediate CA"
    certs = {
        "rsa-signer": cert(signer, "fwtrail test RIM signer rsa-3072", inter, ic, 10, False),
        "ec-p256-signer": cert(p256, "fwtrail test RIM signer ec-p256", inter, ic, 11, False),
        "ec-p384-signer": cert(p384, "fwtrail test RIM signer ec-p384", inter, ic, 12, False),
        "ec-p521-signer": cert(p521, "fwtrail test RIM signer ec-p521", inter, ic, 13, False),
        "weak-rsa1024": cert(weak, "fwtrail test RIM signer rsa-1024", inter, ic, 14, False),
        "attacker": cert(attacker, "fwtrail test RIM signer rsa-3072", attacker,
                         "fwtrail test RIM signer rsa-3072", 99, False),
    }
    keys = {"rsa-signer": signer, "ec-p256-signer": p256, "ec-p384-signer": p384,
            "ec-p521-signer": p521, "weak-rsa1024": weak, "attacker": attacker}
    write("keys/ca.pem", pem_cert(ca_c))
    write("keys/intermediate.pem", pem_cert(inter_c))
    write("keys/chain.pem", pem_cert(inter_c) + pem_cert(ca_c))
    for n, c in certs.items():
        write(f"keys/{n}.pem", pem_cert(c))
    write("keys/rsa-signer.pub", signer.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    kp = {}
    for n, k in keys.items():
        kp[n] = os.path.join(tmp, n + ".key")
        with open(kp[n], "wb") as f:
            f.write(pem_key(k))
        with open(os.path.join(tmp, n + ".crt"), "wb") as f:
            f.write(pem_cert(certs[n]))
    inter_path = os.path.join(tmp, "inter.crt")
    with open(inter_path, "wb") as f:
        f.write(pem_cert(inter_c))

    def chain(n):
        return ["--privkey-pem", f"{kp[n]},{os.path.join(tmp, n + '.crt')},{inter_path}"]

    def bare(n):
        return ["--privkey-pem", kp[n]]

    # support RIMs (stand-ins for TCG event logs: the binding is by hash)
    rimel = support_bytes("acme-bios.rimel", 4096)
    multi = support_bytes("multi.bin", 1000)
    write("good/acme-bios.rimel", rimel)
    write("good/multi.bin", multi)
    write("support/acme-bios-altered.rimel", rimel[:100] + bytes([rimel[100] ^ 1]) + rimel[101:])
    rh, rn = hashlib.sha256(rimel).hexdigest(), len(rimel)

    # ---- good ----
    good = {}

    def sign(rel, text, keyspec, extra=()):
        data = xmlsec_sign(tmp, text, keyspec, extra)
        good[rel] = data
        write(rel, data)
        return data

    base_sig = sig_tmpl(C14N10, MORE + "rsa-sha256", [ENV], SHA256, ki_x509)
    base = sign("good/base-rsa-sha256.swidtag", hirs_like(base_sig, rh, rn), chain("rsa-signer"))

    sign("good/rsa-sha384-c14n11.swidtag",
         compact(sig_tmpl(C14N11, MORE + "rsa-sha384", [ENV, C14N11], SHA384, ki_keyvalue("rsa-signer")),
                 f'xmlns:h="{SHA384}" h:hash="{hashlib.sha384(rimel).hexdigest()}" name="acme-bios.rimel"',
                 "Acme BIOS", "acme-bios-4.1.0-keyvalue"), bare("rsa-signer"))

    multi_attrs = (f'xmlns:a="{SHA256}" xmlns:b="{SHA384}" xmlns:c="{SHA512}" '
                   f'a:hash="{hashlib.sha256(multi).hexdigest()}" b:hash="{hashlib.sha384(multi).hexdigest()}" '
                   f'c:hash="{hashlib.sha512(multi).hexdigest()}" name="multi.bin" size="{len(multi)}" version="2"')
    sign("good/rsa-sha512-exc.swidtag",
         compact(sig_tmpl(EXC, MORE + "rsa-sha512", [ENV, EXC], SHA512, ki_x509, prefix="ds"),
                 multi_attrs, "Acme NIC", "acme-nic-2.0"), chain("rsa-signer"))

    p256_tag = sign("good/ecdsa-p256-sha256.swidtag",
                    compact(sig_tmpl(C14N10, MORE + "ecdsa-sha256", [ENV], SHA256, ki_x509),
                            f'xmlns:h="{SHA256}" h:hash="{rh}" name="acme-bios.rimel" size="{rn}"',
                            "Acme BIOS", "acme-bios-4.1.0-p256"), chain("ec-p256-signer"))

    zero = "0" * 96
    meas = [(0, "False", [zero]),
            (1, "True", [hashlib.sha384(b"acme gpu vbios 1").hexdigest()]),
            (2, "True", [hashlib.sha384(b"acme gpu vbios 2a").hexdigest(),
                         hashlib.sha384(b"acme gpu vbios 2b").hexdigest()]),
            (3, "False", [zero])]
    nv_sig = sig_tmpl(C14N11, MORE + "ecdsa-sha384", [ENV, C14N11], SHA384, ki_x509, prefix="ds")
    nv = sign("good/ecdsa-p384-nvidia-like.swidtag", nvidia_like(nv_sig, meas), chain("ec-p384-signer"))

    sign("good/ecdsa-p521-sha512-supplemental.swidtag",
         compact(sig_tmpl(EXC, MORE + "ecdsa-sha512", [ENV, EXC], SHA512, ki_x509),
                 f'xmlns:h="{SHA512}" h:hash="{hashlib.sha512(multi).hexdigest()}" name="multi.bin"',
                 "Acme NIC", "acme-nic-2.0-supplemental", supplemental="true"), chain("ec-p521-signer"))

    # ---- bad: validly signed, but outside the profile ----
    def bad_signed(rel, sig, keyspec, extra=(), root_attrs=""):
        write("bad/" + rel, xmlsec_sign(tmp, hirs_like(sig, rh, rn, root_attrs=root_attrs), keyspec, extra))

    bad_signed("rsa-sha1.swidtag", sig_tmpl(C14N10, "http://www.w3.org/2000/09/xmldsig#rsa-sha1", [ENV],
                                            SHA256, ki_x509), chain("rsa-signer"))
    bad_signed("digest-sha1.swidtag", sig_tmpl(C14N10, MORE + "rsa-sha256", [ENV],
                                               "http://www.w3.org/2000/09/xmldsig#sha1", ki_x509),
               chain("rsa-signer"))
    hmac = os.path.join(tmp, "hmac.key")
    with open(hmac, "wb") as f:
        f.write(b"fwtrail-test-hmac-key-0123456789")
    bad_signed("hmac-sha256-truncated.swidtag",
               sig_tmpl(C14N10, MORE + "hmac-sha256", [ENV], SHA256, lambda p: "",
                        sigm_children="<HMACOutputLength>128</HMACOutputLength>"), ["--hmackey", hmac])
    bad_signed("c14n-with-comments.swidtag", sig_tmpl(C14N10C, MORE + "rsa-sha256", [ENV, C14N10C],
                                                      SHA256, ki_x509), chain("rsa-signer"))
    bad_signed("xpath-transform.swidtag",
               sig_tmpl(C14N10, MORE + "rsa-sha256",
                        [ENV, '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116">'
                              f'<XPath xmlns:s="{NS_SWID}">not(ancestor-or-self::s:Payload)</XPath></Transform>'],
                        SHA256, ki_x509), chain("rsa-signer"))
    bad_signed("ref-by-id.swidtag", sig_tmpl(C14N10, MORE + "rsa-sha256", [ENV], SHA256, ki_x509,
                                             ref_uri='URI="#acme"'),
               chain("rsa-signer"), extra=["--id-attr:Id", f"{NS_SWID}:SoftwareIdentity"],
               root_attrs=' Id="acme"')
    obj = (f'<Object Id="obj"><Payload xmlns="{NS_SWID}"><File name="acme-bios.rimel" '
           f'xmlns:SHA256="{SHA256}" SHA256:hash="{rh}"/></Payload></Object>')
    bad_signed("ref-into-object.swidtag",
               sig_tmpl(C14N10, MORE + "rsa-sha256", [], SHA256, ki_x509, ref_uri='URI="#obj"', obj=obj),
               chain("rsa-signer"))
    bad_signed("two-references.swidtag",
               sig_tmpl(C14N10, MORE + "rsa-sha256", [ENV], SHA256, ki_x509, obj=obj,
                        extra_refs=f'<Reference URI="#obj"><DigestMethod Algorithm="{SHA256}"/>'
                                   f'<DigestValue/></Reference>'), chain("rsa-signer"))
    bad_signed("no-enveloped-transform.swidtag", sig_tmpl(C14N10, MORE + "rsa-sha256", [C14N10], SHA256,
                                                          ki_x509), chain("rsa-signer"))
    bad_signed("exc-inclusive-namespaces.swidtag",
               sig_tmpl(EXC, MORE + "rsa-sha256",
                        [ENV, f'<Transform Algorithm="{EXC}"><ec:InclusiveNamespaces xmlns:ec="{EXC}" '
                              'PrefixList="ns2"/></Transform>'], SHA256, ki_x509), chain("rsa-signer"))
    bad_signed("weak-rsa1024.swidtag", sig_tmpl(C14N10, MORE + "rsa-sha256", [ENV], SHA256, ki_x509),
               chain("weak-rsa1024"))
    # an attacker's own key and self-made certificate (an embedded chain is never trusted by itself)
    evil = hirs_like(base_sig, "00" * 32, rn)
    write("bad/attacker-cert.swidtag",
          xmlsec_sign(tmp, evil, ["--privkey-pem", f"{kp['attacker']},{os.path.join(tmp, 'attacker.crt')}"]))
    write("bad/attacker-keyvalue.swidtag",
          xmlsec_sign(tmp, hirs_like(sig_tmpl(C14N10, MORE + "rsa-sha256", [ENV], SHA256,
                                              ki_keyvalue("rsa-signer")), "00" * 32, rn), bare("attacker")))

    # ---- the signed timestamp of HIRS's tcg_rim_tool: a second Reference to
    # the one SignatureProperty of the Signature's Object ----
    ts_id_attr = ["--id-attr:Id", f"{NS_DSIG}:SignatureProperty"]

    def ts_ref(uri="#TST", transforms=""):
        return (f'<Reference URI="{uri}">{transforms}<DigestMethod Algorithm="{SHA256}"/>'
                f'<DigestValue/></Reference>')

    def ts_obj(value="2026-01-15T12:00:00Z", ns="rfc3339", pid="TST", target="RimSignature", inner="",
               around=""):
        return (f'<Object><SignatureProperties><SignatureProperty Id="{pid}" Target="{target}">'
                f'<TimeStamp xmlns:r="https://www.ietf.org/rfc/{ns}.txt" dateTime="{value}"/>{inner}'
                f'</SignatureProperty></SignatureProperties>{around}</Object>')

    def ts_sig(refs=None, obj=None, sig_id="RimSignature"):
        return sig_tmpl(C14N10, MORE + "rsa-sha256", [ENV], SHA256, ki_x509, sig_id=sig_id,
                        extra_refs=ts_ref() if refs is None else refs, obj=ts_obj() if obj is None else obj)

    ts = sign("good/timestamp-rfc3339.swidtag", hirs_like(ts_sig(), rh, rn), chain("rsa-signer"), ts_id_attr)
    sign("good/timestamp-rfc3852.swidtag",
         compact(sig_tmpl(EXC, MORE + "ecdsa-sha384", [ENV, EXC], SHA384, ki_x509, sig_id="sig",
                          extra_refs=ts_ref("#ts", f'<Transforms><Transform Algorithm="{EXC}"/></Transforms>'),
                          obj=ts_obj("dGVzdAo=", "rfc3852", "ts", "#sig")),
                 f'xmlns:h="{SHA256}" h:hash="{rh}" name="acme-bios.rimel" size="{rn}"',
                 "Acme BIOS", "acme-bios-4.1.0-timestamp"), chain("ec-p384-signer"), ts_id_attr)
    bad_signed("ts-ref-to-root.swidtag", ts_sig(refs=ts_ref("#root")), chain("rsa-signer"),
               extra=["--id-attr:Id", f"{NS_SWID}:SoftwareIdentity"], root_attrs=' Id="root"')
    bad_signed("ts-second-object.swidtag", ts_sig(obj=ts_obj() + "<Object/>"), chain("rsa-signer"), ts_id_attr)
    bad_signed("ts-object-extra.swidtag",
               ts_sig(obj=ts_obj(around=f'<Payload xmlns="{NS_SWID}"><File name="x"/></Payload>')),
               chain("rsa-signer"), ts_id_attr)
    bad_signed("ts-property-extra.swidtag",
               ts_sig(obj=ts_obj(inner=f'<Payload xmlns="{NS_SWID}"><File name="x"/></Payload>')),
               chain("rsa-signer"), ts_id_attr)
    bad_signed("ts-wrong-target.swidtag", ts_sig(obj=ts_obj(target="Elsewhere")), chain("rsa-signer"), ts_id_attr)
    bad_signed("ts-enveloped-transform.swidtag",
               ts_sig(refs=ts_ref(transforms=f'<Transforms><Transform Algorithm="{ENV}"/></Transforms>')),
               chain("rsa-signer"), ts_id_attr)
    bad_signed("ts-with-comments.swidtag",
               ts_sig(refs=ts_ref(transforms=f'<Transforms><Transform Algorithm="{C14N10C}"/></Transforms>')),
               chain("rsa-signer"), ts_id_attr)
    bad_signed("ts-unsigned-object.swidtag", ts_sig(refs=""), chain("rsa-signer"))
    # a timestamp outside the Signature: in the xmldsig namespace (refused by
    # the parser), or foreign with the Reference pointing at it while the
    # Object holds another one
    outside = (f'<SignatureProperties xmlns="{NS_DSIG}"><SignatureProperty Id="TST" Target="RimSignature">'
               f'<TimeStamp dateTime="2026-01-15T12:00:00Z"/></SignatureProperty></SignatureProperties>')
    write("bad/ts-outside-signature.swidtag",
          xmlsec_sign(tmp, hirs_like(ts_sig(obj=""), rh, rn).replace("<ns2:Payload>", outside + "<ns2:Payload>"),
                      chain("rsa-signer"), ts_id_attr))
    write("bad/ts-foreign-outside.swidtag",
          xmlsec_sign(tmp, hirs_like(ts_sig(obj=ts_obj(pid="TS2")), rh, rn).replace(
              "<ns2:Payload>", '<x:TimeStamp xmlns:x="urn:example:evil" Id="TST" dateTime="2030-01-01T00:00:00Z"/>'
              "<ns2:Payload>"), chain("rsa-signer"), ["--id-attr:Id", "urn:example:evil:TimeStamp"]))
    tst = ts.decode()
    write("bad/ts-duplicate-id.swidtag",
          tst.replace("<ns2:Payload>", '<x:TimeStamp xmlns:x="urn:example:evil" Id="TST"/><ns2:Payload>'))
    write("bad/ts-tampered.swidtag", tst.replace("2026-01-15T12:00:00Z", "2026-01-15T12:00:01Z"))

    # ---- bad: the good base tag changed after signing ----
    b = base.decode()
    write("bad/tampered-hash.swidtag", b.replace(rh, rh[:-1] + ("0" if rh[-1] != "0" else "1")))
    write("bad/tampered-meta.swidtag", b.replace('rim:platformModel="Board-1"', 'rim:platformModel="Board-9"'))
    write("bad/tampered-whitespace-stripped.swidtag", re.sub(r">\s+<", "><", b))
    pretty = etree.tostring(etree.fromstring(p256_tag, etree.XMLParser(remove_blank_text=True)),
                            pretty_print=True, xml_declaration=True, encoding="UTF-8")
    write("bad/pretty-printed-after-signing.swidtag", pretty)
    nvt = nv.decode()
    write("bad/tampered-measurement.swidtag",
          nvt.replace(hashlib.sha384(b"acme gpu vbios 1").hexdigest(), hashlib.sha384(b"evil").hexdigest()))
    write("bad/tampered-active.swidtag", nvt.replace('index="3" active="False"', 'index="3" active="True"'))
    sig_el = re.search(r"<Signature .*</Signature>", b, re.S).group(0)
    payload = re.search(r"<ns2:Payload>.*</ns2:Payload>", b, re.S).group(0)
    evil_payload = payload.replace(rh, "11" * 32)
    # signature wrapping (each must be refused before or by the signature check)
    write("bad/xsw-second-signature.swidtag", b.replace("</ns2:SoftwareIdentity>", sig_el + "\n</ns2:SoftwareIdentity>"))
    write("bad/xsw-signature-in-payload.swidtag",
          b.replace(sig_el, "").replace("</ns2:Payload>", sig_el + "</ns2:Payload>"))
    inner = b.split("?>", 1)[1].strip()
    write("bad/xsw-wrapped-root.swidtag",
          f'<?xml version="1.0" encoding="UTF-8"?>\n<ns2:SoftwareIdentity xmlns:ns2="{NS_SWID}" name="Evil" '
          f'tagId="evil">{evil_payload}{inner}</ns2:SoftwareIdentity>\n')
    write("bad/xsw-second-payload.swidtag", b.replace(payload, payload + "\n  " + evil_payload))
    write("bad/xsw-payload-in-object.swidtag",
          b.replace(payload, evil_payload).replace("</Signature>", f"<Object>{payload}</Object></Signature>"))
    write("bad/xsw-duplicate-id.swidtag",
          b.replace('<ns2:Entity ', '<ns2:Entity Id="e1" ').replace('<ns2:Link ', '<ns2:Link Id="e1" '))
    write("bad/xsw-dsig-outside-signature.swidtag",
          b.replace("<ns2:Payload>", f'<ns2:Payload><SignedInfo xmlns="{NS_DSIG}"/>'))
    # KeyInfo is not signed: changing it keeps the digest, never the trust
    leaf = re.search(r"<X509Certificate>(.*?)</X509Certificate>", b, re.S).group(1)
    attacker_b64 = "".join(pem_cert(certs["attacker"]).decode().splitlines()[1:-1])
    write("bad/keyinfo-swapped-cert.swidtag", b.replace(leaf, attacker_b64))
    write("bad/keyinfo-retrieval-method.swidtag",
          b.replace("<KeyInfo>", '<KeyInfo><RetrievalMethod URI="http://127.0.0.1:9/key.xml"/>'))
    # hostile XML
    decl = '<?xml version="1.0" encoding="UTF-8"?>\n'
    body = b.split("?>", 1)[1].lstrip()
    write("bad/xxe-file-entity.swidtag",
          decl + '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
          + body.replace('name="Acme Inc"', 'name="&x;"'))
    write("bad/xxe-parameter-entity-http.swidtag",
          decl + '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>\n' + body)
    write("bad/billion-laughs.swidtag",
          decl + "<!DOCTYPE r [" + '<!ENTITY l0 "ha">'
          + "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
          + "]>\n" + body.replace('name="Acme Inc"', 'name="&l9;"'))
    write("bad/doctype-only.swidtag", decl + "<!DOCTYPE SoftwareIdentity>\n" + body)
    write("bad/xinclude.swidtag",
          b.replace("</ns2:Payload>", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                    'href="file:///etc/passwd" parse="text"/></ns2:Payload>'))
    write("bad/schema-location.swidtag",
          b.replace('xml:lang="en"', 'xml:lang="en" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                    f'xsi:schemaLocation="{NS_SWID} http://127.0.0.1:9/swid.xsd"'))
    write("bad/undefined-entity.swidtag", b.replace('name="Acme Inc"', 'name="&nope;"'))
    write("bad/utf16.swidtag", b.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    write("bad/latin1-declared.swidtag", b.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'))
    write("bad/xml-1.1.swidtag", b.replace('version="1.0"', 'version="1.1"', 1))
    write("bad/truncated.swidtag", base[: len(base) // 2])
    write("bad/not-xml.swidtag", bytes.fromhex("d9 01 f5 a1 00 63 66 6f 6f".replace(" ", "")))
    write("bad/nul-byte.swidtag", base[:300] + b"\0" + base[300:])
    write("bad/unbound-prefix.swidtag", b.replace('<ns2:Payload>', '<ns9:Payload>').replace(
        '</ns2:Payload>', '</ns9:Payload>'))
    deep = "".join(f'<Directory name="d{i}">' for i in range(40)) + "</Directory>" * 40
    write("bad/deep-nesting.swidtag", b.replace('<Directory name="rim">', '<Directory name="rim">' + deep))
    write("bad/root-not-swid.swidtag", b.replace("ns2:SoftwareIdentity", "ns2:SoftwareIdentityX"))
    write("bad/unexpected-element.swidtag", b.replace("<ns2:Payload>", "<ns2:Payload><ns2:Evil/>"))
    # X3: hash values, sizes, types
    write("bad/hash-short.swidtag", b.replace(rh, rh[:-1]))
    write("bad/hash-uppercase.swidtag", b.replace(rh, rh.upper()))
    write("bad/hash-whitespace.swidtag", b.replace(rh, " " + rh[1:]))
    write("bad/hash-unknown-alg.swidtag",
          b.replace(f'xmlns:SHA256="{SHA256}"', 'xmlns:SHA256="http://www.w3.org/2000/09/xmldsig#sha1"'))
    write("bad/hash-no-namespace.swidtag",
          b.replace(f'xmlns:SHA256="{SHA256}" SHA256:hash=', "hash="))
    file_el = re.search(r"<File [^>]*/>", b).group(0)
    write("bad/file-duplicate.swidtag", b.replace(file_el, file_el + file_el.replace(rh, "22" * 32)))
    write("bad/size-huge.swidtag", b.replace(f'size="{rn}"', 'size="99999999999999999999"'))
    write("bad/size-negative.swidtag", b.replace(f'size="{rn}"', 'size="-1"'))
    write("bad/bool-wrong-type.swidtag", b.replace('supplemental="false"', 'supplemental="maybe"'))
    write("bad/tagversion-wrong-type.swidtag", b.replace('tagVersion="0"', 'tagVersion="zero"'))
    write("bad/meta-field-twice.swidtag",
          b.replace('n8060:product="Acme Board"', 'n8060:product="Acme Board" rim:product="Other"'))
    h1 = hashlib.sha384(b"acme gpu vbios 1").hexdigest()
    write("bad/measurement-missing-alternative.swidtag",
          nvt.replace('index="1" active="True" alternatives="1"', 'index="1" active="True" alternatives="2"'))
    write("bad/measurement-extra-hash.swidtag", nvt.replace(f'ns2:Hash0="{h1}"', f'ns2:Hash0="{h1}" ns2:Hash1="{h1}"'))
    write("bad/measurement-duplicate-index.swidtag", nvt.replace('index="3"', 'index="1"'))
    write("bad/measurement-bad-active.swidtag", nvt.replace('index="3" active="False"', 'index="3" active="yes"'))
    write("bad/measurement-hash-short.swidtag", nvt.replace(h1, h1[:-2]))
    write("bad/measurement-size-mismatch.swidtag", nvt.replace(
        f'ns2:Hash0="{h1}" name="Measurement_1" size="48"', f'ns2:Hash0="{h1}" name="Measurement_1" size="32"'))

    write("bad/EXPECTED.tsv", EXPECTED)
    write("README.md", README)

    # seeds for lib/tests/fuzz_swid_xml.c: a few of the above, and a minimal tag
    seeds = os.path.join(ROOT, "testdata", "fuzz", "fuzz_swid_xml")
    shutil.rmtree(seeds, ignore_errors=True)
    os.makedirs(seeds)
    for rel in ["good/base-rsa-sha256.swidtag", "good/rsa-sha384-c14n11.swidtag",
                "good/ecdsa-p384-nvidia-like.swidtag", "good/rsa-sha512-exc.swidtag",
                "bad/xsw-second-signature.swidtag", "bad/xxe-file-entity.swidtag", "bad/truncated.swidtag",
                "bad/measurement-missing-alternative.swidtag", "bad/hash-unknown-alg.swidtag",
                "bad/ref-into-object.swidtag", "bad/keyinfo-retrieval-method.swidtag",
                "bad/xsw-duplicate-id.swidtag", "good/timestamp-rfc3339.swidtag", "bad/ts-ref-to-root.swidtag"]:
        shutil.copyfile(os.path.join(OUT, rel), os.path.join(seeds, rel.replace("/", "-")))
    with open(os.path.join(seeds, "minimal.swidtag"), "w") as f:
        f.write(f'<SoftwareIdentity xmlns="{NS_SWID}" name="m" tagId="m"><Payload><File name="f" '
                f'xmlns:h="{SHA256}" h:hash="{"ab" * 32}" size="1"/></Payload></SoftwareIdentity>')


# file, stage (parse: fwt_swid_parse fails; verify: parse succeeds and
# fwt_swid_verify fails), the fwt_err_name of the result, how verify is
# given its key (key:<file> or trust:<file>, relative to testdata/swid)
EXPECTED = """\
# file\tstage\tresult\tverify-with
rsa-sha1.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
digest-sha1.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
hmac-sha256-truncated.swidtag\tverify\tunsupported\tkey:keys/rsa-signer.pem
c14n-with-comments.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
xpath-transform.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ref-by-id.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ref-into-object.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
two-references.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
no-enveloped-transform.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
exc-inclusive-namespaces.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
weak-rsa1024.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
attacker-cert.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
attacker-keyvalue.swidtag\tverify\tverify_failed\tkey:keys/rsa-signer.pem
tampered-hash.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
tampered-meta.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
tampered-whitespace-stripped.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
pretty-printed-after-signing.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
tampered-measurement.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
tampered-active.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
xsw-second-signature.swidtag\tparse\tmalformed\t-
xsw-signature-in-payload.swidtag\tparse\tmalformed\t-
xsw-wrapped-root.swidtag\tparse\tmalformed\t-
xsw-second-payload.swidtag\tparse\tmalformed\t-
xsw-payload-in-object.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
xsw-duplicate-id.swidtag\tparse\tmalformed\t-
xsw-dsig-outside-signature.swidtag\tparse\tmalformed\t-
ts-ref-to-root.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ts-second-object.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ts-object-extra.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ts-property-extra.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ts-wrong-target.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ts-enveloped-transform.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ts-with-comments.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ts-unsigned-object.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ts-outside-signature.swidtag\tparse\tmalformed\t-
ts-foreign-outside.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
ts-duplicate-id.swidtag\tparse\tmalformed\t-
ts-tampered.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
keyinfo-swapped-cert.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
keyinfo-retrieval-method.swidtag\tverify\tunsupported\ttrust:keys/ca.pem
xxe-file-entity.swidtag\tparse\tmalformed\t-
xxe-parameter-entity-http.swidtag\tparse\tmalformed\t-
billion-laughs.swidtag\tparse\tmalformed\t-
doctype-only.swidtag\tparse\tmalformed\t-
xinclude.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
schema-location.swidtag\tverify\tverify_failed\ttrust:keys/ca.pem
undefined-entity.swidtag\tparse\tmalformed\t-
utf16.swidtag\tparse\tunsupported\t-
latin1-declared.swidtag\tparse\tunsupported\t-
xml-1.1.swidtag\tparse\tunsupported\t-
truncated.swidtag\tparse\tmalformed\t-
not-xml.swidtag\tparse\tmalformed\t-
nul-byte.swidtag\tparse\tmalformed\t-
unbound-prefix.swidtag\tparse\tmalformed\t-
deep-nesting.swidtag\tparse\tmalformed\t-
root-not-swid.swidtag\tparse\tmalformed\t-
unexpected-element.swidtag\tparse\tmalformed\t-
hash-short.swidtag\tparse\tmalformed\t-
hash-uppercase.swidtag\tparse\tmalformed\t-
hash-whitespace.swidtag\tparse\tmalformed\t-
hash-unknown-alg.swidtag\tparse\tunsupported\t-
hash-no-namespace.swidtag\tparse\tunsupported\t-
file-duplicate.swidtag\tparse\tmalformed\t-
size-huge.swidtag\tparse\tmalformed\t-
size-negative.swidtag\tparse\tmalformed\t-
bool-wrong-type.swidtag\tparse\tmalformed\t-
tagversion-wrong-type.swidtag\tparse\tmalformed\t-
meta-field-twice.swidtag\tparse\tmalformed\t-
measurement-missing-alternative.swidtag\tparse\tmalformed\t-
measurement-extra-hash.swidtag\tparse\tmalformed\t-
measurement-duplicate-index.swidtag\tparse\tmalformed\t-
measurement-bad-active.swidtag\tparse\tmalformed\t-
measurement-hash-short.swidtag\tparse\tmalformed\t-
measurement-size-mismatch.swidtag\tparse\tmalformed\t-
"""

README = """\
# testdata/swid

SWID-form TCG RIMs (ISO/IEC 19770-2 tags with an enveloped XMLDSig
signature) for `lib/tests/swid_test.c` and the `rim` command's tests, made
by `scripts/mk-swid-testdata.py` (run it from anywhere; it rewrites this
folder).  Nothing here comes from ../shared: the keys are the project's own.

## keys/

Certificates (no private keys are kept: the script derives every key from a
SHA-512 counter-mode stream over a fixed label, so it can sign again).
Valid 2024-01-01 to 2044-01-01.

| file | what |
|---|---|
| ca.pem | root CA, RSA-3072 |
| intermediate.pem | intermediate CA, RSA-3072, issued by ca.pem |
| chain.pem | intermediate.pem then ca.pem |
| rsa-signer.pem / .pub | RIM signer RSA-3072 (certificate / bare public key) |
| ec-p256-signer.pem, ec-p384-signer.pem, ec-p521-signer.pem | RIM signers on each curve |
| weak-rsa1024.pem | an RSA-1024 signer the CA did issue (refused: too short) |
| attacker.pem | a self-signed certificate with the RSA signer's subject name |

## good/

Each verifies with `trust: keys/ca.pem` (the embedded leaf and intermediate
chain to it), except rsa-sha384-c14n11, which embeds only a KeyValue and
verifies with `key: keys/rsa-signer.pem` (or a trust store holding that key).

| file | shape |
|---|---|
| base-rsa-sha256.swidtag | HIRS-like PC Client base RIM, indented before signing; rsa-sha256, C14N 1.0, enveloped only, sha256; Payload Directory/File of acme-bios.rimel |
| rsa-sha384-c14n11.swidtag | compact; rsa-sha384, C14N 1.1 (SignedInfo and transform), sha384; KeyName + KeyValue only |
| rsa-sha512-exc.swidtag | compact, ds: prefix; rsa-sha512, exclusive C14N, sha512; File multi.bin with sha256, sha384 and sha512 |
| ecdsa-p256-sha256.swidtag | compact; ecdsa-sha256 (P-256), C14N 1.0, sha256 |
| ecdsa-p384-nvidia-like.swidtag | shaped like the NVIDIA GPU RIMs: no XML declaration, two prefixes for the SWID namespace, RIM-IM Meta, Resource Measurement entries with alternatives; ecdsa-sha384, C14N 1.1, xmldsig-more#sha384 |
| ecdsa-p521-sha512-supplemental.swidtag | supplemental="true"; ecdsa-sha512 (P-521), exclusive C14N, sha512 |
| timestamp-rfc3339.swidtag | HIRS's signed-timestamp form: base-rsa-sha256 plus a ds:Object holding one SignatureProperty (Id TST, Target the Signature's Id) with a TimeStamp dateTime="2026-01-15T12:00:00Z" (rfc3339 namespace), signed by a second Reference URI="#TST" without transforms |
| timestamp-rfc3852.swidtag | the same form, compact: ecdsa-sha384, exclusive C14N on both References, Target "#sig", dateTime base64 (rfc3852 namespace) |
| acme-bios.rimel, multi.bin | the support RIMs (4096 and 1000 pseudo-random bytes standing in for event logs) named by the tags, beside them |

`support/acme-bios-altered.rimel` is acme-bios.rimel with one bit flipped.

## bad/

The twins.  `bad/EXPECTED.tsv` says for each file whether parsing or
verification refuses it, with which result (`fwt_err_name`), and with which
key or trust store verification is run; the unit test checks every file in
this folder is listed there.  Kinds:

* validly signed by a trusted key but outside the signature profile:
  rsa-sha1, sha1 digest, truncated HMAC, #WithComments, an XPath transform
  that leaves the Payload unsigned, Reference by Id, Reference into
  ds:Object, two References, no enveloped transform, InclusiveNamespaces,
  an RSA-1024 signer;
* the signed timestamp's limits (ts-*): its second Reference pointing at
  the root, a second ds:Object, more in the Object or in the
  SignatureProperty than the timestamp, a Target naming something else, an
  enveloped or #WithComments transform on it, an Object no Reference signs,
  the timestamp outside the Signature (in the xmldsig namespace, or foreign
  while the Object holds another), a duplicate of its Id, its dateTime
  changed after signing;
* forgeries: an attacker's own key with a self-made certificate or
  KeyValue, content changed after signing (hash, Meta, measurements, white
  space stripped or added), a swapped KeyInfo certificate;
* signature wrapping: a second Signature, the Signature moved into Payload,
  the signed tag wrapped in a new root, a second Payload, the signed Payload
  moved into ds:Object, duplicate Ids, xmldsig elements outside Signature;
* hostile XML: external and parameter entities, billion laughs, any
  DOCTYPE, XInclude and schemaLocation (never followed), undefined
  entities, UTF-16, Latin-1, XML 1.1, truncation, NUL, unbound prefixes,
  nesting deeper than 24;
* wrong types and values: short, uppercase, spaced or unknown-algorithm
  hashes, duplicate File entries, huge and negative sizes, non-boolean
  booleans, a Meta field given twice, broken NVIDIA measurement entries.
"""

if __name__ == "__main__":
    main()
