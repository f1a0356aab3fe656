#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A second decoder for CoRIM, COSE and CoRIM-form SFRs, to check what
fwtrail shows against Debian's python3-cbor2 (no code shared with fwtrail).

Both sides are reduced to the same list of facts, one per line ("path value"),
so that a difference is one diff line:

  corim-diff.py facts FILE         facts decoded here from FILE's bytes
  corim-diff.py rim-facts          facts from 'fwtrail rim show --json' on stdin
  corim-diff.py sfr-facts-cbor FILE
                                   OCP SAFE SFR facts decoded here from a
                                   CoRIM-form SFR (signed or not)
  corim-diff.py sfr-facts          the same facts from 'fwtrail sfr show --json'
                                   on stdin
  corim-diff.py mutate FILE OUT WHAT
                                   copy FILE with one field changed, to prove
                                   the comparison catches it; WHAT is vendor,
                                   digest, kid, alg, not-after or mkey

Facts: the COSE structure (type, protected alg, kid, content type, each
COSE_Sign signer's kid), corim-meta or CWT signer and validity, the corim id
and profile, each tag's type and id, and for each reference, endorsed and
conditional-endorsement triple: the environment (class id, vendor, model,
layer, index, instance, group) and each measurement's key, digests (algorithm
id or name, hex), svn and raw value."""
import datetime
import json
import sys
import uuid

import cbor2

DIGEST_NAMES = {  # Named Information registry ids, then COSE algorithm ids
    1: "sha-256", 2: "sha-256-128", 3: "sha-256-120", 4: "sha-256-96", 5: "sha-256-64", 6: "sha-256-32",
    7: "sha-384", 8: "sha-512", 10: "sha3-256", 11: "sha3-384", 12: "sha3-512",
    -16: "sha-256", -43: "sha-384", -44: "sha-512", -14: "sha-1",
}


def die(msg):
    sys.stderr.write("corim-diff.py: %s\n" % msg)
    sys.exit(2)


def rfc3339(t):
    if isinstance(t, cbor2.CBORTag) and t.tag == 1:
        t = t.value
    if isinstance(t, datetime.datetime):
        t = int(t.timestamp())
    if isinstance(t, float) and t == int(t):
        t = int(t)
    if not isinstance(t, int):
        return "?%r" % (t,)
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def dotted_oid(b):
    """RFC 9090 OID content octets as dotted text."""
    arcs, v = [], 0
    for octet in b:
        v = (v << 7) | (octet & 0x7F)
        if not octet & 0x80:
            arcs.append(v)
            v = 0
    first = arcs[0]
    top = min(first // 40, 2)
    return ".".join(str(a) for a in [top, first - 40 * top] + arcs[1:])


def ident(v):
    """An id of the CDDL's type choices, as "type:value"."""
    if isinstance(v, str):
        return "text:" + v
    if isinstance(v, bool):
        return "?bool"
    if isinstance(v, int):
        return "uint:%d" % int(v)  # above 2^63-1 fwtrail writes a string
    if isinstance(v, bytes):
        if len(v) == 16:
            return "uuid:" + uuid_text(v)
        return "bytes:" + v.hex()
    if isinstance(v, cbor2.CBORTag):
        if v.tag == 37:
            return "uuid:" + uuid_text(v.value)
        if v.tag == 111:
            b = v.value
            # a whole DER OID (06 len ...) where RFC 9090 wants the content
            if len(b) > 2 and b[0] == 6 and b[1] == len(b) - 2:
                return "oid:" + dotted_oid(b[2:])
            return "oid:" + dotted_oid(b)
        if v.tag == 560:
            return "bytes:" + v.value.hex()
        if v.tag == 32:
            return "text:" + v.value
        if v.tag == 550:
            return "ueid:" + v.value.hex()
        return "tag%d" % v.tag
    if isinstance(v, uuid.UUID):  # cbor2 decodes tag 37 itself
        return "uuid:" + str(v)
    return "?%r" % (v,)


def uuid_text(b):
    if not isinstance(b, bytes):
        return str(b)
    h = b.hex()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def untag(v, *tags):
    while isinstance(v, cbor2.CBORTag) and (not tags or v.tag in tags):
        v = v.value
    return v


def cbor_tags(v):
    out = []
    while isinstance(v, cbor2.CBORTag):
        out.append(v.tag)
        v = v.value
    return out, v


class Facts:
    def __init__(self):
        self.lines = []

    def add(self, path, value):
        self.lines.append("%s %s" % (path, value))

    def dump(self):
        sys.stdout.write("".join(line + "\n" for line in self.lines))


def decode(b):
    return cbor2.loads(b, tag_hook=lambda dec, tag: tag)


def env_facts(f, p, env):
    cls = env.get(0)
    if cls is not None:
        if 0 in cls:
            f.add(p + ".class_id", ident(cls[0]))
        for k, name in ((1, "vendor"), (2, "model"), (3, "layer"), (4, "index")):
            if k in cls:
                f.add(p + "." + name, cls[k])
    if 1 in env:
        f.add(p + ".instance", ident(env[1]))
    if 2 in env:
        f.add(p + ".group", ident(env[2]))


def digest_facts(f, p, digests):
    for i, (alg, val) in enumerate(digests):
        if isinstance(alg, str):
            alg = {"sha-256": 1, "sha-384": 7, "sha-512": 8}.get(alg, alg)
        f.add("%s.digest[%d]" % (p, i), "%s %s" % (DIGEST_NAMES.get(alg, "alg(%s)" % (alg,)), val.hex()))


def meas_facts(f, p, mm):
    if 0 in mm:
        f.add(p + ".key", ident(mm[0]))
    mv = mm.get(1, {})
    if 1 in mv:
        s = mv[1]
        kind = "exact"
        if isinstance(s, cbor2.CBORTag):
            kind = "min" if s.tag == 553 else "exact"
            s = s.value
        f.add(p + ".svn", "%s %d" % (kind, s))
    if 2 in mv:
        digest_facts(f, p, mv[2])
    if 4 in mv:
        r = mv[4]
        if r.tag == 563:
            f.add(p + ".raw", "%s mask %s" % (r.value[0].hex(), r.value[1].hex()))
        else:
            f.add(p + ".raw", r.value.hex() + ((" mask " + mv[5].hex()) if 5 in mv else ""))


def claims_facts(f, p, rec):
    env, meas = rec
    env_facts(f, p + ".env", env)
    for i, mm in enumerate(meas):
        meas_facts(f, "%s.m[%d]" % (p, i), mm)


def comid_facts(f, p, comid):
    f.add(p + ".type", "comid")
    ti = comid.get(1, {})
    if 0 in ti:
        f.add(p + ".tag_id", ident(ti[0]))
    f.add(p + ".tag_version", ti.get(1, 0))
    tr = comid.get(4, {})
    for i, rec in enumerate(tr.get(0, [])):
        claims_facts(f, "%s.ref[%d]" % (p, i), rec)
    for i, rec in enumerate(tr.get(1, [])):
        claims_facts(f, "%s.end[%d]" % (p, i), rec)
    for i, (conds, ends) in enumerate(tr.get(10, [])):
        for k, rec in enumerate(conds):
            claims_facts(f, "%s.cend[%d].cond[%d]" % (p, i, k), rec)
        for k, rec in enumerate(ends):
            claims_facts(f, "%s.cend[%d].end[%d]" % (p, i, k), rec)


def corim_facts(f, corim):
    f.add("corim.id", ident(corim[0]))
    if 3 in corim:
        f.add("corim.profile", ident(corim[3]))
    for i, t in enumerate(corim[1]):
        if t.tag == 506:
            comid_facts(f, "tag[%d]" % i, decode(t.value))
        else:
            f.add("tag[%d].type" % i, {505: "coswid", 508: "cotl"}.get(t.tag, "unknown"))


def kid_hex(k):
    return k.hex() if isinstance(k, bytes) else "text:" + k


def meta_facts(f, prot):
    if 8 in prot:
        m = decode(prot[8])
        s = m[0]
        f.add("meta.signer", s[0])
        if 1 in s:
            f.add("meta.signer_uri", untag(s[1], 32))
        v = m.get(1)
        if v:
            if 0 in v:
                f.add("meta.not_before", rfc3339(v[0]))
            f.add("meta.not_after", rfc3339(v[1]))
    elif 15 in prot:
        c = prot[15]
        if 1 in c:
            f.add("meta.signer", c[1])
        if 5 in c:
            f.add("meta.not_before", rfc3339(c[5]))
        if 4 in c:
            f.add("meta.not_after", rfc3339(c[4]))


def cmd_facts(path):
    with open(path, "rb") as fh:
        top = decode(fh.read())
    f = Facts()
    tags, body = cbor_tags(top)
    if tags[:1] == [18] or (not tags and isinstance(body, list) and len(body) == 4):
        f.add("cose.type", "COSE_Sign1")
        prot = decode(body[0]) if body[0] else {}
        if 1 in prot:
            f.add("cose.alg", prot[1])
        kid = prot.get(4, body[1].get(4))
        if kid is not None:
            f.add("cose.kid", kid_hex(kid))
        if 3 in prot:
            f.add("cose.content_type", prot[3])
        meta_facts(f, prot)
        corim_facts(f, untag(decode(body[2]), 501))
    elif tags[:1] == [98]:
        f.add("cose.type", "COSE_Sign")
        prot = decode(body[0]) if body[0] else {}
        if 1 in prot:
            f.add("cose.alg", prot[1])
        for i, (sp, su, _sig) in enumerate(body[3]):
            sprot = decode(sp) if sp else {}
            if 1 in sprot:
                f.add("cose.signer[%d].alg" % i, sprot[1])
            kid = sprot.get(4, su.get(4))
            if kid is not None:
                f.add("cose.signer[%d].kid" % i, kid_hex(kid))
        corim_facts(f, untag(decode(body[2]), 501))
    elif tags[:1] == [501]:
        corim_facts(f, body)
    elif tags[:1] == [506]:
        comid_facts(f, "tag[0]", body)
    elif not tags and isinstance(body, dict):
        comid_facts(f, "tag[0]", body)
    else:
        die("%s: not a CoRIM, COSE or CoMID (tags %r)" % (path, tags))
    f.dump()


# ---- the same facts from fwtrail's JSON ----

def j_ident(x):
    t, v = x["type"], x["value"]
    if t == "oid" and v.endswith(" (DER)"):
        v = v[:-6]
    if t == "other":
        return "tag%d" % v["tag"]
    if t == "uint":
        return "uint:%d" % int(v)  # above 2^63-1 fwtrail writes a string
    return "%s:%s" % (t, v)


def j_env(f, p, env):
    cls = env.get("class")
    if cls is not None:
        if "class_id" in cls:
            f.add(p + ".class_id", j_ident(cls["class_id"]))
        for name in ("vendor", "model", "layer", "index"):
            if name in cls:
                f.add(p + "." + name, cls[name])
    if "instance" in env:
        f.add(p + ".instance", j_ident(env["instance"]))
    if "group" in env:
        f.add(p + ".group", j_ident(env["group"]))


def j_claims(f, p, rec):
    j_env(f, p + ".env", rec["environment"])
    for i, m in enumerate(rec["measurements"]):
        q = "%s.m[%d]" % (p, i)
        if "key" in m:
            f.add(q + ".key", j_ident(m["key"]))
        if "svn" in m:
            f.add(q + ".svn", "%s %d" % (m["svn"]["kind"], m["svn"]["value"]))
        for k, d in enumerate(m.get("digests", [])):
            f.add("%s.digest[%d]" % (q, k), "%s %s" % (d["alg"], d["value"]))
        if "raw_value" in m:
            r = m["raw_value"]
            f.add(q + ".raw", r["value"] + ((" mask " + r["mask"]) if "mask" in r else ""))


def j_comid(f, p, t):
    f.add(p + ".type", "comid")
    if "tag_id" in t:
        f.add(p + ".tag_id", j_ident(t["tag_id"]))
    f.add(p + ".tag_version", t.get("tag_version", 0))
    for i, rec in enumerate(t.get("reference_triples", [])):
        j_claims(f, "%s.ref[%d]" % (p, i), rec)
    for i, rec in enumerate(t.get("endorsed_triples", [])):
        j_claims(f, "%s.end[%d]" % (p, i), rec)
    for i, ce in enumerate(t.get("conditional_endorsement_triples", [])):
        for k, rec in enumerate(ce["conditions"]):
            j_claims(f, "%s.cend[%d].cond[%d]" % (p, i, k), rec)
        for k, rec in enumerate(ce["endorsements"]):
            j_claims(f, "%s.cend[%d].end[%d]" % (p, i, k), rec)


def cmd_rim_facts():
    doc = json.load(sys.stdin)
    if not doc.get("ok"):
        die("fwtrail failed: %s" % doc.get("error", {}).get("message"))
    rim = doc["rim"]
    f = Facts()
    sig = rim.get("signature")
    if sig:
        f.add("cose.type", sig["type"])
        prot = sig.get("protected", {})
        if "alg" in prot:
            f.add("cose.alg", prot["alg"])
        kid = prot.get("kid", sig.get("unprotected", {}).get("kid"))
        if kid is not None:
            f.add("cose.kid", kid)
        if "content_type" in prot:
            f.add("cose.content_type", prot["content_type"])
        for i, s in enumerate(sig.get("signers", [])):
            if "alg" in s.get("protected", {}):
                f.add("cose.signer[%d].alg" % i, s["protected"]["alg"])
            kid = s.get("protected", {}).get("kid", s.get("unprotected", {}).get("kid"))
            if kid is not None:
                f.add("cose.signer[%d].kid" % i, kid)
        meta = sig.get("meta")
        if meta:
            if "signer" in meta:
                f.add("meta.signer", meta["signer"]["name"])
                if "uri" in meta["signer"]:
                    f.add("meta.signer_uri", meta["signer"]["uri"])
            v = meta.get("signature_validity", {})
            if "not_before" in v:
                f.add("meta.not_before", v["not_before"])
            if "not_after" in v:
                f.add("meta.not_after", v["not_after"])
    if rim["type"] == "comid":
        j_comid(f, "tag[0]", rim)
    else:
        f.add("corim.id", j_ident(rim["id"]))
        if "profile" in rim:
            f.add("corim.profile", j_ident(rim["profile"]))
        for i, t in enumerate(rim["tags"]):
            if t["type"] == "comid":
                j_comid(f, "tag[%d]" % i, t)
            else:
                f.add("tag[%d].type" % i, t["type"])
    f.dump()


# ---- OCP SAFE SFR facts ----

def sfr_from_corim(f, corim):
    comid = decode(corim[1][0].value)
    (conds, ends), = comid[4][10]
    env = conds[0][0][0]
    f.add("device.vendor", env[1])
    f.add("device.product", env[2])
    for mm in conds[0][1]:
        for alg, val in mm[1].get(2, []):
            name = {-43: "fw_hash_sha2_384", 7: "fw_hash_sha2_384", -44: "fw_hash_sha2_512", 8: "fw_hash_sha2_512"}.get(alg)
            if name:
                f.add("device." + name, val.hex())
    sfr = ends[0][1][0][1][-1]
    f.add("review_framework_version", sfr[0])
    f.add("audit.report_version", sfr[1])
    f.add("audit.completion_date", rfc3339(sfr[2])[:10])
    f.add("audit.scope_number", sfr[3])
    for fid in sfr.get(4, []):
        if 0 in fid:
            f.add("device.fw_version", fid[0][0])
        if 2 in fid:
            f.add("device.repo_tag", fid[2])
    for i, iss in enumerate(sfr.get(5, [])):
        p = "audit.issue[%d]" % i
        f.add(p + ".title", iss[0])
        f.add(p + ".cvss_score", iss[2][0])
        f.add(p + ".cvss_vector", iss[2][1])
        if 3 in iss:
            f.add(p + ".cwe", iss[3])
        f.add(p + ".cve", iss.get(4, "null"))


def cmd_sfr_facts_cbor(path):
    with open(path, "rb") as fh:
        top = decode(fh.read())
    f = Facts()
    tags, body = cbor_tags(top)
    if tags[:1] == [98]:
        sp, su, _ = body[3][0]
        sprot = decode(sp) if sp else {}
        f.add("signature.alg", sprot.get(1, decode(body[0]).get(1) if body[0] else "null"))
        f.add("signature.kid", su.get(4, sprot.get(4, b"")).decode())
        body = untag(decode(body[2]), 501)
    elif tags[:1] == [18]:
        prot = decode(body[0]) if body[0] else {}
        f.add("signature.alg", prot.get(1, "null"))
        kid = prot.get(4, body[1].get(4))
        if kid is not None:
            f.add("signature.kid", kid.decode())
        body = untag(decode(body[2]), 501)
    sfr_from_corim(f, body)
    f.dump()


COSE_ALG_IDS = {"ES256": -7, "ES384": -35, "ES512": -36, "PS256": -37, "PS384": -38, "PS512": -39, "EdDSA": -8}


def cmd_sfr_facts():
    doc = json.load(sys.stdin)
    if not doc.get("ok"):
        die("fwtrail failed: %s" % doc.get("error", {}).get("message"))
    f = Facts()
    sig = doc.get("signature")
    if sig and "alg" in sig:  # an unsigned report has only "checked"
        alg = sig.get("alg")
        if sig.get("alg_inferred"):
            alg = None  # inferred from a key: not a header fact
        f.add("signature.alg", "null" if alg is None else COSE_ALG_IDS.get(alg, alg))
        if sig.get("kid") is not None:
            f.add("signature.kid", sig["kid"])
    p = doc["payload"]
    dev, aud = p["device"], p["audit"]
    f.add("device.vendor", dev["vendor"])
    f.add("device.product", dev["product"])
    for name in ("fw_hash_sha2_384", "fw_hash_sha2_512"):
        if dev.get(name):
            f.add("device." + name, dev[name])
    f.add("review_framework_version", p["review_framework_version"])
    f.add("audit.report_version", aud["report_version"])
    f.add("audit.completion_date", aud["completion_date"])
    f.add("audit.scope_number", aud["scope_number"])
    if dev.get("fw_version"):
        f.add("device.fw_version", dev["fw_version"])
    if dev.get("repo_tag"):
        f.add("device.repo_tag", dev["repo_tag"])
    for i, iss in enumerate(aud.get("issues", [])):
        q = "audit.issue[%d]" % i
        f.add(q + ".title", iss["title"])
        f.add(q + ".cvss_score", iss["cvss_score"])
        f.add(q + ".cvss_vector", iss["cvss_vector"])
        if iss.get("cwe"):
            f.add(q + ".cwe", iss["cwe"])
        f.add(q + ".cve", iss["cve"] if iss.get("cve") is not None else "null")
    f.dump()


# ---- mutations ----

def first_comid(corim):
    for t in corim[1]:
        if t.tag == 506:
            return t
    die("no CoMID to change")


def first_refval(comid):
    tr = comid[4]
    if 0 in tr:
        return tr[0][0]
    return tr[10][0][0][0]


def cmd_mutate(path, out, what):
    with open(path, "rb") as fh:
        top = decode(fh.read())
    tags, body = cbor_tags(top)
    if what in ("kid", "alg", "not-after"):
        if tags[:1] != [18]:
            die("%s: needs a COSE_Sign1" % what)
        prot = decode(body[0])
        if what == "kid":
            prot[4] = bytes(prot[4]) + b"x"
        elif what == "alg":
            prot[1] = -35 if prot[1] != -35 else -7
        else:
            m = decode(prot[8])
            m[1][1] = m[1][1] + datetime.timedelta(days=1)
            prot[8] = cbor2.dumps(m)
        body[0] = cbor2.dumps(prot)
    else:
        cose = tags[:1] in ([18], [98])
        corim = untag(decode(body[2]), 501) if cose else body
        tag = first_comid(corim)
        comid = decode(tag.value)
        env, meas = first_refval(comid)
        if what == "vendor":
            env[0][1] = env[0][1] + "x"
        elif what == "digest":
            alg, val = meas[0][1][2][0]
            meas[0][1][2][0] = [alg, bytes([val[0] ^ 1]) + val[1:]]
        elif what == "mkey":
            k = meas[0].get(0)
            meas[0][0] = k + 1 if isinstance(k, int) else 7
        else:
            die("unknown mutation '%s'" % what)
        tag.value = cbor2.dumps(comid)
        if cose:
            body[2] = cbor2.dumps(cbor2.CBORTag(501, corim))
    for t in reversed(tags):
        body = cbor2.CBORTag(t, body)
    with open(out, "wb") as fh:
        fh.write(cbor2.dumps(body))


def main(argv):
    if len(argv) == 3 and argv[1] == "facts":
        cmd_facts(argv[2])
    elif len(argv) == 2 and argv[1] == "rim-facts":
        cmd_rim_facts()
    elif len(argv) == 3 and argv[1] == "sfr-facts-cbor":
        cmd_sfr_facts_cbor(argv[2])
    elif len(argv) == 2 and argv[1] == "sfr-facts":
        cmd_sfr_facts()
    elif len(argv) == 5 and argv[1] == "mutate":
        cmd_mutate(argv[2], argv[3], argv[4])
    else:
        die("usage: see the comment at the top of this script")


if __name__ == "__main__":
    main(sys.argv)
