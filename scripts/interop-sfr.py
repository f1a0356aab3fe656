#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""An independent check of fwtrail's CoRIM-form Short Form Reports, with
Debian's python3-cbor2 and python3-cryptography only (no code shared with
fwtrail).

  interop-sfr.py diag2cbor DIAG OUT      CBOR diagnostic notation (the subset the
                                         OCP profile example uses: comments,
                                         <<...>>, trailing commas) to CBOR
  interop-sfr.py check FILE              an SFR CoRIM (unsigned, COSE_Sign1 or
                                         COSE_Sign) has what the profile's CDDL
                                         requires; prints the fields it carries
                                         as JSON (the names of the JSON form)
  interop-sfr.py carried REPORT.json     the same fields of a JSON report
  interop-sfr.py mk-corim REPORT.json OUT
                                         the CoRIM form of a JSON report, made
                                         here from the profile's CDDL (fwtrail
                                         must write the same bytes)
  interop-sfr.py verify FILE PUB.pem     verify a COSE_Sign1 or COSE_Sign SFR:
                                         alg from the protected header, or from
                                         the key when absent (said in the output)
  interop-sfr.py sign CORIM KEY.pem OUT sign1|sign|sign-noalg
                                         sign an SFR CoRIM here, for fwtrail
  interop-sfr.py sign-dated CORIM KEY.pem OUT sign1|sign-noalg WHERE NB NA
                                         sign an SFR CoRIM with a signed validity
                                         window NB..NA (seconds; - leaves a bound
                                         out) in WHERE: meta (corim-meta
                                         signature-validity), cwt (CWT claims nbf
                                         and exp), rim (the corim-map's
                                         rim-validity), or meta+cwt (corim-meta
                                         open to 2100, the CWT claims NB..NA)
  interop-sfr.py mk-bad CORIM KEY.pem OUTDIR
                                         hostile twins (RELIABILITY C1-C10) of a
                                         COSE_Sign1 SFR, each signed correctly
                                         so that one rule only is broken

Exit 0 when the check holds, 1 when it does not (the reason on stderr)."""
import datetime
import hashlib
import json
import re
import sys

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

ALGS = {-35: ("ES384", hashes.SHA384, 48), -36: ("ES512", hashes.SHA512, 66),
        -38: ("PS384", hashes.SHA384, None), -39: ("PS512", hashes.SHA512, None)}
CURVES = {"secp384r1": -35, "secp521r1": -36}
PROFILE = bytes.fromhex("060a2b0601040182f4170101")
HASHES = {-43: ("fw_hash_sha2_384", 48), -44: ("fw_hash_sha2_512", 64)}


def fail(why):
    print("interop: " + why, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path, "rb") as f:
        return f.read()


# ---- diagnostic notation ----

TOKEN = re.compile(r'\s+|/[^/]*/|"(?:[^"\\]|\\.)*"|h\'[0-9a-fA-F\s]*\'|-?\d+(?:\.\d+)?|<<|>>|[\[\]{}(),:]')


def diag_tokens(text):
    pos, out = 0, []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            fail("diag: cannot read %r" % text[pos:pos + 20])
        t = m.group(0)
        pos = m.end()
        if not t.isspace() and not t.startswith("/"):
            out.append(t)
    return out


def diag_item(toks, i):
    t = toks[i]
    if t == "[":
        arr, i = [], i + 1
        while toks[i] != "]":
            v, i = diag_item(toks, i)
            arr.append(v)
            if toks[i] == ",":
                i += 1
        return arr, i + 1
    if t == "{":
        m, i = {}, i + 1
        while toks[i] != "}":
            k, i = diag_item(toks, i)
            if toks[i] != ":":
                fail("diag: ':' expected after a key")
            v, i = diag_item(toks, i + 1)
            if k in m:
                fail("diag: duplicate key %r" % (k,))
            m[k] = v
            if toks[i] == ",":
                i += 1
        return m, i + 1
    if t == "<<":
        v, i = diag_item(toks, i + 1)
        if toks[i] != ">>":
            fail("diag: '>>' expected")
        return cbor2.dumps(v, canonical=True), i + 1
    if t.startswith('"'):
        return json.loads(t), i + 1
    if t.startswith("h'"):
        return bytes.fromhex("".join(t[2:-1].split())), i + 1
    if re.fullmatch(r"-?\d+", t):
        n = int(t)
        if i + 1 < len(toks) and toks[i + 1] == "(":
            v, i = diag_item(toks, i + 2)
            if toks[i] != ")":
                fail("diag: ')' expected")
            return cbor2.CBORTag(n, v), i + 1
        return n, i + 1
    fail("diag: unexpected %r" % t)


def cmd_diag2cbor(path, out):
    toks = diag_tokens(open(path, encoding="utf-8").read())
    item, i = diag_item(toks, 0)
    if i != len(toks):
        fail("diag: text after the item")
    with open(out, "wb") as f:
        f.write(cbor2.dumps(item, canonical=True))


# ---- the profile's structure ----

def need(cond, why):
    if not cond:
        fail(why)


def text(m, k, where, required=True):
    if k not in m:
        need(not required, "%s: key %d is missing" % (where, k))
        return None
    need(isinstance(m[k], str), "%s: key %d is not text" % (where, k))
    return m[k]


def digests(v, where):
    need(isinstance(v, list) and v, "%s: not a non-empty digest list" % where)
    out = {}
    for d in v:
        need(isinstance(d, list) and len(d) == 2 and isinstance(d[1], bytes), "%s: a digest is [alg, bstr]" % where)
        if d[0] in HASHES:
            name, size = HASHES[d[0]]
            need(len(d[1]) == size, "%s: %s is %d bytes" % (where, name, len(d[1])))
            out[name] = d[1].hex()
    return out


def unwrap(data):
    """The unsigned CoRIM inside an SFR file, and the COSE message or None."""
    obj = cbor2.loads(data)
    if isinstance(obj, cbor2.CBORTag) and obj.tag in (18, 98):
        need(isinstance(obj.value, list) and len(obj.value) == 4, "COSE message is not an array of 4")
        return cbor2.loads(obj.value[2]), obj
    return obj, None


def cmd_check(path):
    corim, _ = unwrap(load(path))
    need(isinstance(corim, cbor2.CBORTag) and corim.tag == 501, "not a tag-501 CoRIM")
    m = corim.value
    need(isinstance(m, dict) and 0 in m and m.get(1), "corim-map lacks id (0) or tags (1)")
    prof = m.get(3)
    need(isinstance(prof, cbor2.CBORTag) and prof.tag == 111 and prof.value == PROFILE,
         "profile is not 111(h'%s')" % PROFILE.hex())
    need(len(m[1]) == 1 and isinstance(m[1][0], cbor2.CBORTag) and m[1][0].tag == 506 and
         isinstance(m[1][0].value, bytes), "tags is not [506(bstr)]")
    comid = cbor2.loads(m[1][0].value)
    need(isinstance(comid, dict) and 0 in comid.get(1, {}) and 4 in comid, "CoMID lacks tag-id or triples")
    need(list(comid[4]) == [10] and len(comid[4][10]) == 1, "triples is not one conditional-endorsement triple")
    conds, endos = comid[4][10][0]
    need(len(conds) == 1 and len(endos) == 1, "not one condition and one endorsement")
    cenv, cmeas = conds[0]
    eenv, emeas = endos[0]
    need(cenv == eenv, "condition and endorsement environments differ")
    cls = cenv[0]
    need(cls and set(cls) <= {1, 2}, "class-map keys %r" % sorted(cls))
    need(len(cmeas) == 1 and list(cmeas[0]) == [1] and list(cmeas[0][1]) == [2], "condition is not {1: {2: digests}}")
    fw = digests(cmeas[0][1][2], "condition")
    need(len(emeas) == 1 and list(emeas[0]) == [1] and list(emeas[0][1]) == [-1], "endorsement is not {1: {-1: sfr}}")
    sfr = emeas[0][1][-1]
    where = "ocp-safe-sfr-map"
    need(set(sfr) <= {0, 1, 2, 3, 4, 5, 6}, "%s keys %r" % (where, sorted(sfr)))
    out = {"review_framework_version": text(sfr, 0, where), "report_version": text(sfr, 1, where)}
    date = sfr.get(2)
    need(isinstance(date, datetime.datetime), "completion-date is not a time (tag 1)")
    out["completion_date"] = date.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d")
    need(isinstance(sfr.get(3), int) and not isinstance(sfr.get(3), bool), "scope-number is not an integer")
    out["scope_number"] = sfr[3]
    out["vendor"] = cls.get(1, "")
    out["product"] = cls.get(2, "")
    ents = [e for e in m.get(5, []) if 1 in e.get(2, [])]
    out["srp"] = ents[0][0] if ents else ""
    out["fw_version"], out["repo_tag"], out["manifest"] = "", "", None
    hashes_seen = dict(fw)
    if 4 in sfr:
        need(isinstance(sfr[4], list) and len(sfr[4]) == 1, "fw-identifiers is not one identifier")
        fid = sfr[4][0]
        need(isinstance(fid, dict) and fid and set(fid) <= {0, 1, 2, 3}, "fw-identifier keys")
        if 0 in fid:
            out["fw_version"] = text(fid[0], 0, "version-map")
        if 1 in fid:
            hashes_seen.update(digests(fid[1], "fw-file-digests"))
        out["repo_tag"] = text(fid, 2, "fw-identifier", False) or ""
        if 3 in fid:
            src = fid[3]
            hashes_seen.update(digests(src[0], "manifest-digest"))
            need(isinstance(src[1], list) and src[1], "manifest is empty")
            out["manifest"] = [[text(e, 0, "manifest-entry"), digests(e[1], "file-hash")["fw_hash_sha2_512"]]
                               for e in src[1]]
    need(all(fw.get(k, v) == v for k, v in hashes_seen.items()), "fw-identifier digests differ from the condition")
    for name in ("fw_hash_sha2_384", "fw_hash_sha2_512"):
        out[name] = hashes_seen.get(name, "")
    issues, versions = [], set()
    for e in sfr.get(5, []):
        need(isinstance(e, dict) and isinstance(e.get(2), dict), "issue-entry without an assessment map")
        a = e[2]
        issues.append({"title": text(e, 0, "issue"), "description": text(e, 1, "issue"),
                       "cvss_score": text(a, 0, "cvss"), "cvss_vector": text(a, 1, "cvss"),
                       "cwe": text(e, 3, "issue", False), "cve": text(e, 4, "issue", False)})
        versions.add(text(a, 2, "cvss", False) or "3.1")
    need(5 not in sfr or sfr[5], "issues is an empty array")
    need(len(versions) <= 1, "issues use different CVSS versions")
    out["issues"] = issues
    out["cvss_version"] = versions.pop() if versions else None
    print(json.dumps(out, sort_keys=True))


def cmd_carried(path):
    """The fields of a JSON report that the CoRIM form carries, as check prints them."""
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    dev, aud = r["device"], r["audit"]

    def hx(v):
        v = (v or "").strip().lower()
        return v[2:] if v.startswith("0x") else v
    out = {"review_framework_version": r["review_framework_version"], "report_version": aud["report_version"],
           "completion_date": aud["completion_date"], "scope_number": int(aud.get("scope_number", aud.get("scope"))),
           "vendor": dev.get("vendor", ""), "product": dev.get("product", ""), "srp": aud.get("srp", ""),
           "fw_version": dev.get("fw_version", ""), "repo_tag": dev.get("repo_tag", ""),
           "fw_hash_sha2_384": hx(dev.get("fw_hash_sha2_384")), "fw_hash_sha2_512": hx(dev.get("fw_hash_sha2_512")),
           "manifest": [[e["file_name"], e["file_hash"].lower()] for e in dev["manifest"]] if dev.get("manifest")
           else None}
    out["issues"] = [{"title": i["title"], "description": i["description"], "cvss_score": i["cvss_score"],
                      "cvss_vector": i["cvss_vector"], "cwe": i.get("cwe"), "cve": i.get("cve")}
                     for i in aud.get("issues", [])]
    out["cvss_version"] = aud.get("cvss_version") if out["issues"] else None
    print(json.dumps(out, sort_keys=True))


def cmd_mk_corim(path, out):
    """The profile's structure, written independently of fwtrail: the ids are
    derived as fwtrail documents them (SHA-256 of the triples map)."""
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    dev, aud = r["device"], r["audit"]
    hashes = []
    for alg, name in ((-43, "fw_hash_sha2_384"), (-44, "fw_hash_sha2_512")):
        v = (dev.get(name) or "").lower()
        v = v[2:] if v.startswith("0x") else v
        if v:
            hashes.append([alg, bytes.fromhex(v)])
    need(hashes, "no firmware hash")
    date = datetime.datetime.strptime(aud["completion_date"], "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
    sfr = {0: r["review_framework_version"], 1: aud["report_version"], 2: cbor2.CBORTag(1, int(date.timestamp())),
           3: int(aud["scope_number"])}
    fid = {}
    if dev.get("fw_version"):
        fid[0] = {0: dev["fw_version"]}
    if dev.get("manifest"):
        fid[3] = {0: hashes, 1: [{0: e["file_name"], 1: [[-44, bytes.fromhex(e["file_hash"])]]}
                                 for e in dev["manifest"]]}
    else:
        fid[1] = hashes
    if dev.get("repo_tag"):
        fid[2] = dev["repo_tag"]
    if fid:
        sfr[4] = [fid]
    issues = []
    for i in aud.get("issues", []):
        a = {0: i["cvss_score"], 1: i["cvss_vector"]}
        if aud.get("cvss_version"):
            a[2] = aud["cvss_version"]
        e = {0: i["title"], 1: i["description"], 2: a}
        if i.get("cwe") is not None:
            e[3] = i["cwe"]
        if i.get("cve") is not None:
            e[4] = i["cve"]
        issues.append(e)
    if issues:
        sfr[5] = issues
    cls = {k: v for k, v in ((1, dev.get("vendor")), (2, dev.get("product"))) if v}
    triples = {10: [[[[{0: cls}, [{1: {2: hashes}}]]], [[{0: cls}, [{1: {-1: sfr}}]]]]]}
    digits = hashlib.sha256(cbor2.dumps(triples, canonical=True)).hexdigest()[:16]
    comid = {1: {0: "ocp-safe-sfr-comid-" + digits}, 4: triples}
    corim = {0: "ocp-safe-sfr-corim-" + digits, 1: [cbor2.CBORTag(506, cbor2.dumps(comid, canonical=True))],
             3: cbor2.CBORTag(111, PROFILE)}
    if aud.get("srp"):
        corim[5] = [{0: aud["srp"], 2: [1]}]
    with open(out, "wb") as f:
        f.write(cbor2.dumps(cbor2.CBORTag(501, corim), canonical=True))


# ---- COSE ----

def verify_sig(pub, alg, tbs, sig):
    name, h, size = ALGS[alg]
    if size:
        need(isinstance(pub, ec.EllipticCurvePublicKey) and CURVES.get(pub.curve.name) == alg,
             "%s does not fit the key" % name)
        need(len(sig) == 2 * size, "%s signature is %d bytes" % (name, len(sig)))
        der = encode_dss_signature(int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big"))
        pub.verify(der, tbs, ec.ECDSA(h()))
    else:
        need(isinstance(pub, rsa.RSAPublicKey), "%s needs an RSA key" % name)
        pub.verify(sig, tbs, padding.PSS(mgf=padding.MGF1(h()), salt_length=h().digest_size), h())


def key_alg(key):
    if isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        return CURVES[key.curve.name]
    return {3072: -38, 4096: -39}[key.key_size]


def cmd_verify(path, pubpath):
    data = load(path)
    corim, msg = unwrap(data)
    need(msg is not None, "not a COSE_Sign1 or COSE_Sign")
    need(cbor2.dumps(msg) == data, "the message does not re-encode to the same bytes")
    pub = serialization.load_pem_public_key(load(pubpath))
    body_prot, _, payload, last = msg.value
    if msg.tag == 18:
        signers = [(body_prot, msg.value[1], last)]
    else:
        signers = last
    for sprot, sunprot, sig in signers:
        hdr = cbor2.loads(sprot) if sprot else {}
        alg = hdr.get(1)
        inferred = alg is None
        if inferred:
            alg = key_alg(pub)
        need(alg in ALGS, "alg %r is not an SFR algorithm" % (alg,))
        if msg.tag == 18:
            tbs = cbor2.dumps(["Signature1", sprot, b"", payload])
            kid = hdr.get(4, sunprot.get(4, b""))
        else:
            tbs = cbor2.dumps(["Signature", body_prot, sprot, b"", payload])
            kid = sunprot.get(4, hdr.get(4, b""))
        try:
            verify_sig(pub, alg, tbs, sig)
        except InvalidSignature:
            continue
        print(json.dumps({"alg": ALGS[alg][0], "alg_inferred": inferred, "kid": kid.decode("utf-8", "replace"),
                          "content_type": hdr.get(3), "cose": "COSE_Sign1" if msg.tag == 18 else "COSE_Sign"},
                         sort_keys=True))
        return
    fail("no signature verifies with the key")


def raw_sign(key, alg, tbs):
    name, h, size = ALGS[alg]
    if size:
        r, s = decode_dss_signature(key.sign(tbs, ec.ECDSA(h())))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return key.sign(tbs, padding.PSS(mgf=padding.MGF1(h()), salt_length=h().digest_size), h())


def sign1(payload, key, prot=None, raw_prot=None, unprot=None, tag=18, detached=False):
    if raw_prot is None:
        raw_prot = cbor2.dumps(prot if prot is not None else {1: key_alg(key), 3: "application/rim+cbor",
                                                               4: b"interop"}, canonical=True)
    sig = raw_sign(key, key_alg(key), cbor2.dumps(["Signature1", raw_prot, b"", payload]))
    arr = [raw_prot, unprot or {}, None if detached else payload, sig]
    return cbor2.dumps(cbor2.CBORTag(tag, arr) if tag else arr)


def sign_multi(payload, key, with_alg):
    sprot = cbor2.dumps({1: key_alg(key)}) if with_alg else b""
    sig = raw_sign(key, key_alg(key), cbor2.dumps(["Signature", b"", sprot, b"", payload]))
    return cbor2.dumps(cbor2.CBORTag(98, [b"", {}, payload, [[sprot, {4: b"interop"}, sig]]]))


def cmd_sign(corim, keypath, out, form):
    key = serialization.load_pem_private_key(load(keypath), None)
    payload = load(corim)
    blob = {"sign1": lambda: sign1(payload, key), "sign": lambda: sign_multi(payload, key, True),
            "sign-noalg": lambda: sign_multi(payload, key, False)}[form]()
    with open(out, "wb") as f:
        f.write(blob)


def cmd_sign_dated(corim, keypath, out, form, where, nb, na):
    key = serialization.load_pem_private_key(load(keypath), None)
    need(form in ("sign1", "sign-noalg") and where in ("meta", "cwt", "rim", "meta+cwt"), "bad form or place")
    nb = None if nb == "-" else int(nb)
    na = None if na == "-" else int(na)
    payload = load(corim)
    prot = {3: "application/rim+cbor"}
    if form == "sign1":
        prot[1] = key_alg(key)
        prot[4] = b"interop"
    if where == "rim":
        inner = cbor2.loads(payload)
        window = {1: cbor2.CBORTag(1, na)}
        if nb is not None:
            window[0] = cbor2.CBORTag(1, nb)
        inner.value[4] = window
        payload = cbor2.dumps(inner, canonical=True)
    if where in ("meta", "meta+cwt"):
        meta = {0: {0: "interop signer"}}
        if where == "meta":
            window = {1: cbor2.CBORTag(1, na)}
            if nb is not None:
                window[0] = cbor2.CBORTag(1, nb)
        else:
            window = {0: cbor2.CBORTag(1, 0), 1: cbor2.CBORTag(1, 4102444800)}
        meta[1] = window
        prot[8] = cbor2.dumps(meta, canonical=True)
    if where in ("cwt", "meta+cwt"):
        claims = {1: "interop signer"}
        if nb is not None:
            claims[5] = nb
        if na is not None:
            claims[4] = na
        prot[15] = claims
    raw_prot = cbor2.dumps(prot, canonical=True)
    if form == "sign1":
        blob = sign1(payload, key, raw_prot=raw_prot)
    else:
        sig = raw_sign(key, key_alg(key), cbor2.dumps(["Signature", raw_prot, b"", b"", payload]))
        blob = cbor2.dumps(cbor2.CBORTag(98, [raw_prot, {}, payload, [[b"", {4: b"interop"}, sig]]]))
    with open(out, "wb") as f:
        f.write(blob)


def cmd_mk_bad(corim, keypath, outdir):
    key = serialization.load_pem_private_key(load(keypath), None)
    payload = load(corim)
    alg = key_alg(key)
    ct = "application/rim+cbor"
    good = sign1(payload, key)
    arr = cbor2.loads(good).value
    inner = cbor2.loads(payload)
    body = cbor2.dumps(inner.value, canonical=True)
    deep = b"\x81" * 5000 + b"\x00"
    bad = {
        # C1 not well-formed, C9 trailing bytes
        "c1-truncated-head": good[:1] + b"\x98",
        "c1-truncated": good[: len(good) // 2],
        "c1-reserved-ai": b"\xd2\x84\x1c",
        "c9-trailing-byte": good + b"\x00",
        "c9-two-messages": good + good,
        # C2 indefinite lengths and non-shortest heads inside what is signed
        "c2-indefinite-protected": sign1(payload, key, raw_prot=b"\xbf\x01" + cbor2.dumps(alg) + b"\xff"),
        "c2-indefinite-payload": sign1(b"\xd9\x01\xf5\xbf" + body[1:] + b"\xff", key),
        "c2-nonshortest-payload": sign1(b"\xd9\x01\xf5" + bytes([0xb8, body[0] & 0x1f]) + body[1:], key),
        # C3 deep nesting, C4 declared lengths beyond the input
        "c3-deep": deep,
        "c4-array-bomb": b"\x9a\xff\xff\xff\xff",
        "c4-bstr-bomb": b"\xd2\x84\x5a\xff\xff\xff\xff\x00\x00\x00",
        # C5 duplicate labels
        "c5-dup-protected": sign1(payload, key, raw_prot=b"\xa2\x01" + cbor2.dumps(alg) + b"\x01" + cbor2.dumps(alg)),
        "c5-kid-both-buckets": sign1(payload, key, prot={1: alg, 4: b"a"}, unprot={4: b"b"}),
        # C6 non-minimal protected header, correctly signed
        "c6-nonminimal-protected": sign1(payload, key, raw_prot=b"\xa1\x01\x39" + (-1 - alg).to_bytes(2, "big")),
        # C7 header shapes
        "c7-alg-unprotected": sign1(payload, key, prot={3: ct}, unprot={1: alg}),
        "c7-crit-unknown": sign1(payload, key, prot={1: alg, 2: [99], 99: 0}),
        "c7-crit-unprotected": sign1(payload, key, prot={1: alg}, unprot={2: [1]}),
        "c7-kid-text": sign1(payload, key, prot={1: alg, 4: "text"}),
        "c7-content-type": sign1(payload, key, prot={1: alg, 3: "application/json"}),
        "c7-protected-map": cbor2.dumps(cbor2.CBORTag(18, [{1: alg}, {}, payload, arr[3]])),
        # C8 tags
        "c8-mac0": cbor2.dumps(cbor2.CBORTag(17, arr)),
        "c8-double-tag": cbor2.dumps(cbor2.CBORTag(18, cbor2.loads(good))),
        "c8-untagged": sign1(payload, key, tag=None),
        "c8-payload-not-501": sign1(body, key),
        # C10 signature bytes, detached payload, alg and key
        "c10-der-signature": cbor2.dumps(cbor2.CBORTag(18, arr[:3] + [key.sign(
            cbor2.dumps(["Signature1", arr[0], b"", payload]), ec.ECDSA(ALGS[alg][1]()))])),
        "c10-short-signature": cbor2.dumps(cbor2.CBORTag(18, arr[:3] + [arr[3][:-1]])),
        "c10-zero-signature": cbor2.dumps(cbor2.CBORTag(18, arr[:3] + [b"\x00" * len(arr[3])])),
        "c10-detached": sign1(payload, key, detached=True),
        "c10-alg-other-curve": sign1(payload, key, prot={1: -35 if alg != -35 else -36, 3: ct}),
    }
    # one byte of the signed payload changed after signing
    changed = bytearray(arr[2])
    changed[-1] ^= 0x01  # the last character of the last text string
    bad["forged-payload"] = cbor2.dumps(cbor2.CBORTag(18, [arr[0], arr[1], bytes(changed), arr[3]]))
    for name, blob in bad.items():
        with open("%s/%s.cose" % (outdir, name), "wb") as f:
            f.write(blob)


if __name__ == "__main__":
    cmds = {"diag2cbor": (cmd_diag2cbor, 2), "check": (cmd_check, 1), "carried": (cmd_carried, 1),
            "mk-corim": (cmd_mk_corim, 2),
            "verify": (cmd_verify, 2), "sign": (cmd_sign, 4), "sign-dated": (cmd_sign_dated, 7),
            "mk-bad": (cmd_mk_bad, 3)}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds or len(sys.argv) != 2 + cmds[sys.argv[1]][1]:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cmds[sys.argv[1]][0](*sys.argv[2:])
