#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Make testdata/audit deterministically: test keys, appraisal records that
follow the `attest check --json` contract (one that passes every rule of
policies/all.json, and variants that each break one rule), records with
hostile strings, malformed records and policies, and an audit log written
independently of fwtrail (its chain is the interop check of the format).

Keys are derived from SHA-512 in counter mode over fixed labels, so running
this again gives the same bytes.  They are public test material: never use
them for anything else.

Usage: scripts/mk-audit-testdata.py [OUTDIR]   (default: testdata/audit)

Two more uses, for the interop tests (an implementation of the log format
and its checkpoints that shares no code with fwtrail):
  scripts/mk-audit-testdata.py --append-checkpoint LOG KEY.pem TIME
      sign the head of LOG as fwtrail does (COSE_Sign1 over deterministic
      CBOR {"seq", "head", "time"}) and append the checkpoint record
  scripts/mk-audit-testdata.py --check LOG PUB.pem
      verify LOG's chain and every checkpoint's signature; exit 1 if not
"""
import base64
import copy
import hashlib
import json
import os
import sys

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

ORDERS = {
    "p256": (ec.SECP256R1(), 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551),
    "p384": (ec.SECP384R1(), int("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
                                 "581a0db248b0a77aecec196accc52973", 16)),
    "p521": (ec.SECP521R1(), int("01" + "ff" * 32 + "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e"
                                 "91386409", 16)),
}


def stream(label, n):
    out, i = bytearray(), 0
    while len(out) < n:
        out += hashlib.sha512(label.encode() + i.to_bytes(8, "big")).digest()
        i += 1
    return bytes(out[:n])


def ec_key(label, curve):
    crv, order = ORDERS[curve]
    n = 0
    while True:
        d = int.from_bytes(stream(f"{label}#{n}", 80), "big") % (order - 1) + 1
        if d.bit_length() > order.bit_length() - 8:  # full-size scalars only (OpenSSL 3.0 PEM quirk)
            return ec.derive_private_key(d, crv)
        n += 1


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def dump(path, obj):
    write(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def fingerprint(key):
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def sha(data, alg="sha256"):
    return hashlib.new(alg, data).hexdigest()


def component(source, index, name, alg, digest, rim, key, version, svn, review):
    c = {"source": source, "index": index, "name": name, "alg": alg, "digest": digest, "status": "match",
         "reference": {"rim": rim, "format": "corim", "vendor": "ACME", "model": name.split()[0],
                       "key": key, "alg": alg, "digest": digest, "version": version, "svn": svn},
         "review": review}
    if source == "eventlog":
        c["event"] = 3
    return c


def review(report, product, version, issues, scope=2, srp="Road Runner Audits", date="2026-06-15"):
    return {"status": "reviewed", "report": report, "srp": srp, "scope": scope, "report_version": "1.0",
            "completion_date": date, "vendor": "ACME", "product": product, "fw_version": version,
            "open_issues": len(issues), "max_cvss": max([i["cvss_score"] for i in issues], default=None),
            "cwes": sorted({i["cwe"] for i in issues if i["cwe"]}), "issues": issues}


def good_record(fw, fps):
    bmc = review("acme-bmc.sfr.jws", "BMC", "1.2.3",
                 [{"title": "Verbose error page", "cvss_score": 4.3, "cwe": "CWE-200", "cve": None}])
    bios = review("acme-bios.sfr.jws", "BIOS", "4.1.0",
                  [{"title": "Debug UART left enabled", "cvss_score": 5.1, "cwe": "CWE-1191",
                    "cve": "CVE-2026-10001"}], scope=1, srp="ACME Review Lab", date="2026-03-02")
    comps = [
        component("spdm", 1, "BMC firmware", "sha384", sha(fw["bmc"], "sha384"), "acme-bmc.rim.cbor", "1",
                  "1.2.3", 5, bmc),
        component("eventlog", 0, "BIOS firmware", "sha256", sha(fw["bios"]), "acme-bios.rim.cbor", "0",
                  "4.1.0", 3, bios),
    ]
    files = ["evidence/spdm.bin", "evidence/eventlog.bin", "acme-bmc.rim.cbor", "acme-bios.rim.cbor",
             "acme-bmc.sfr.jws", "acme-bios.sfr.jws"]
    kinds = ["spdm", "eventlog", "rim", "rim", "sfr", "sfr"]
    return {
        "command": "attest check", "ok": True, "schema": 1, "at": "2026-11-22T17:00:00Z",
        "summary": {"components": 2, "match": 2, "mismatch": 0, "unknown": 0, "missing": 0,
                    "reviewed": 2, "unreviewed": 0, "conflicts": 0, "unverifiable": 0},
        "components": comps,
        "conflicts": [],
        "unverifiable": [],
        "inputs": [{"path": p, "kind": k, "sha256": sha(p.encode())} for p, k in zip(files, kinds)],
        "signatures": [
            {"path": "acme-bmc.rim.cbor", "kind": "rim", "verified": True, "key": "trust/vendor.pub.pem",
             "fingerprint": fps["vendor"], "error": None},
            {"path": "acme-bios.rim.cbor", "kind": "rim", "verified": True, "key": "trust/vendor.pub.pem",
             "fingerprint": fps["vendor"], "error": None},
            {"path": "acme-bmc.sfr.jws", "kind": "sfr", "verified": True, "key": "trust/reviewer.pub.pem",
             "fingerprint": fps["reviewer"], "error": None},
            {"path": "acme-bios.sfr.jws", "kind": "sfr", "verified": True, "key": "trust/reviewer.pub.pem",
             "fingerprint": fps["reviewer"], "error": None},
            # SPDM evidence is listed whether or not it was authenticated
            {"path": "evidence/spdm.bin", "kind": "spdm", "verified": False, "signature_checked": False,
             "authentication": "unauthenticated", "key": None, "fingerprint": None,
             "error": "no responder certificate chain given"},
        ],
        "products": [
            {"vendor": "ACME", "product": "BMC", "fw_version": "1.2.3", "svn": 5, "source": "rim"},
            {"vendor": "ACME", "product": "BIOS", "fw_version": "4.1.0", "svn": 3, "source": "rim"},
        ],
    }


def summarize(r):
    """The summary's counts from the components, as attest check writes them
    (fwtrail refuses a record whose counts disagree with its components)."""
    cs = r.get("components", [])
    s = r["summary"]
    s["components"] = len(cs)
    for st in ("match", "mismatch", "unknown", "missing"):
        s[st] = sum(1 for c in cs if c["status"] == st)
    s["reviewed"] = sum(1 for c in cs if c.get("review", {}).get("status") == "reviewed")
    s["unreviewed"] = len(cs) - s["reviewed"]
    s["conflicts"] = len(r.get("conflicts", []))
    s["unverifiable"] = len(r.get("unverifiable", []))


def variants(good, fps):
    """name -> (record, the rule it breaks)"""
    v = {}

    def mk(name, rule, fn):
        r = copy.deepcopy(good)
        fn(r)
        r["ok"] = all(c["status"] == "match" for c in r.get("components", []))
        summarize(r)
        v[name] = (r, rule)

    def unverified(r):
        s = r["signatures"][2]
        s.update(verified=False, key=None, fingerprint=None, error="signature does not match any trusted key")
    mk("signatures-unverified", "signatures", unverified)
    mk("signatures-wrong-key", "signatures", lambda r: r["signatures"][0].update(fingerprint=fps["other"],
                                                                                 key="trust/other.pub.pem"))
    mk("signatures-no-rim", "signatures", lambda r: r.update(signatures=r["signatures"][2:]))

    def mismatch(r):
        c = r["components"][0]
        c["status"] = "mismatch"
        c["digest"] = sha(b"tampered", "sha384")
    mk("measurements-mismatch", "measurements", mismatch)

    def unknown(r):
        r["components"].append({"source": "spdm", "index": 7, "name": "NIC option ROM", "alg": "sha384",
                                "digest": sha(b"nic rom", "sha384"), "status": "unknown",
                                "review": review("acme-nic.sfr.jws", "NIC", "7.0.2", [], scope=1,
                                                 srp="ACME Review Lab", date="2026-05-01")})
        # the report the review cites is an input with its signature, as
        # attest check lists every SFR it read
        r["inputs"].append({"path": "acme-nic.sfr.jws", "kind": "sfr", "sha256": sha(b"acme-nic.sfr.jws")})
        r["signatures"].insert(4, {"path": "acme-nic.sfr.jws", "kind": "sfr", "verified": True,
                                   "key": "trust/reviewer.pub.pem", "fingerprint": fps["reviewer"], "error": None})
    mk("measurements-unknown", "measurements", unknown)

    def missing(r):
        r["components"].append({"source": "spdm", "index": 3, "status": "missing",
                                "reference": {"rim": "acme-bmc.rim.cbor", "format": "corim", "key": "3",
                                              "alg": "sha384", "digest": sha(b"cpld", "sha384")},
                                "review": {"status": "unreviewed"}})
    mk("measurements-missing", "measurements", missing)

    def unreviewed(r):
        r["components"][1]["review"] = {"status": "unreviewed"}
    mk("review-unreviewed", "review-coverage", unreviewed)
    mk("review-low-scope", "review-coverage", lambda r: r["components"][1]["review"].update(scope=0))
    mk("review-other-srp", "review-coverage", lambda r: r["components"][0]["review"].update(srp="Fly-by-night Audits"))

    mk("sfr-old", "sfr-age", lambda r: r["components"][1]["review"].update(completion_date="2024-12-31"))
    mk("sfr-future", "sfr-age", lambda r: r["components"][0]["review"].update(completion_date="2027-01-01"))

    def high(r):
        rv = r["components"][0]["review"]
        rv["issues"].append({"title": "Stack overflow in the Redfish parser", "cvss_score": 8.7, "cwe": "CWE-121",
                             "cve": "CVE-2026-10002"})
        rv.update(open_issues=2, max_cvss=8.7, cwes=["CWE-121", "CWE-200"])
    mk("cvss-high", "max-cvss", high)

    def forbidden(r):
        rv = r["components"][1]["review"]
        rv["issues"].append({"title": "Out-of-bounds write in the SMM handler", "cvss_score": 6.5,
                             "cwe": "CWE-787", "cve": None})
        rv.update(open_issues=2, max_cvss=6.5, cwes=["CWE-1191", "CWE-787"])
    mk("cwe-forbidden", "forbidden-cwe", forbidden)

    mk("rollback-older", "rollback", lambda r: r["products"][0].update(fw_version="1.2.0", svn=4))
    mk("rollback-svn", "rollback", lambda r: r["products"][1].update(svn=2))
    return v


def hostile(good):
    """Attacker strings everywhere a report or RIM can put them."""
    r = copy.deepcopy(good)
    evil = [
        "line one\nverdict: pass",
        "\u001b[2J\u001b]0;owned\u0007 terminal escape",
        "quotes \" and ' and </failure></testcase></testsuite><testcase name=\"x\">",
        "]]> & <![CDATA[ &amp; <!-- -->",
        "NEL\u0085 LS\u2028 nonchar\ufffe end\r\n",
        "x" * 5000,
    ]
    rv = r["components"][0]["review"]
    rv["issues"] = [{"title": t, "cvss_score": 9.1, "cwe": "CWE-121", "cve": None} for t in evil]
    rv["issues"].append({"title": "bad cwe", "cvss_score": 1.0, "cwe": "CWE-787\nverdict: pass", "cve": None})
    # the summary agrees with the issues, as attest check writes it (a review
    # that contradicts itself is refused before any rule reads it)
    rv.update(open_issues=len(rv["issues"]), max_cvss=9.1, cwes=["CWE-121", "CWE-787\nverdict: pass"],
              srp="Evil\u001b[31m Lab\nverdict: pass")
    r["components"][0]["name"] = "BMC\nverdict: pass\u001b[0m"
    r["components"][0]["status"] = "mismatch"
    r["signatures"][0].update(path="rim\n</testcase>.cbor", verified=False, fingerprint=None,
                              error="bad\u001b[2J signature\nverdict: pass")
    r["products"][0]["vendor"] = "ACME\u001b[2J\nverdict: pass"
    summarize(r)
    return r


def policies(fps):
    allp = {"fwtrail_policy": 1,
            "description": "every rule at fail level: what a fleet operator runs before admitting a server",
            "rules": [
                {"rule": "signatures", "require": ["rim", "sfr"], "vendor": [fps["vendor"]],
                 "reviewer": [fps["reviewer"]]},
                {"rule": "measurements"},
                {"rule": "review-coverage", "min_scope": 1, "reviewers": ["Road Runner Audits", "ACME Review Lab"]},
                {"rule": "sfr-age", "max_days": 365},
                {"rule": "max-cvss", "threshold": 7.0},
                {"rule": "forbidden-cwe", "cwes": ["CWE-787", "CWE-120"]},
                {"rule": "rollback"},
            ]}
    warn = copy.deepcopy(allp)
    warn["description"] = "the same rules, each only warning"
    for r in warn["rules"]:
        r["level"] = "warn"
    nolog = copy.deepcopy(allp)
    nolog["description"] = "every rule but rollback (no audit log needed)"
    nolog["rules"] = [r for r in nolog["rules"] if r["rule"] != "rollback"]
    scoped = {"fwtrail_policy": 1, "rules": [
        {"rule": "measurements", "id": "bmc-measured", "sources": ["spdm"], "indices": [1]},
        {"rule": "measurements", "id": "bios-measured", "sources": ["eventlog"], "pcrs": [0]},
        {"rule": "review-coverage", "id": "bmc-reviewed", "min_scope": 2,
         "components": [{"source": "spdm", "index": 1}]},
        {"rule": "max-cvss", "id": "no-medium", "level": "warn", "threshold": 4.0,
         "description": "medium issues are tolerated with a warning"},
        {"rule": "rollback", "compare": ["svn"]},
    ]}
    return {"all": allp, "warn": warn, "nolog": nolog, "scoped": scoped}


BAD_POLICIES = {
    "unknown-rule": '{"fwtrail_policy": 1, "rules": [{"rule": "signatures"}, {"rule": "max-cvs", "threshold": 7}]}',
    "unknown-param": '{"fwtrail_policy": 1, "rules": [{"rule": "max-cvss", "threshold": 7, "treshold": 5}]}',
    "wrong-type": '{"fwtrail_policy": 1, "rules": [{"rule": "max-cvss", "threshold": "7.0"}]}',
    "bad-value": '{"fwtrail_policy": 1, "rules": [{"rule": "sfr-age", "max_days": -1}]}',
    "bad-cwe": '{"fwtrail_policy": 1, "rules": [{"rule": "forbidden-cwe", "cwes": ["CWE-787", "787"]}]}',
    "bad-fingerprint": '{"fwtrail_policy": 1, "rules": [{"rule": "signatures", "vendor": ["abcd"]}]}',
    "missing-param": '{"fwtrail_policy": 1, "rules": [{"rule": "max-cvss"}]}',
    "dup-key": '{"fwtrail_policy": 1, "rules": [{"rule": "max-cvss", "threshold": 7, "threshold": 9}]}',
    "dup-id": '{"fwtrail_policy": 1, "rules": [{"rule": "max-cvss", "threshold": 7}, '
              '{"rule": "max-cvss", "threshold": 4, "level": "warn"}]}',
    "bad-level": '{"fwtrail_policy": 1, "rules": [{"rule": "measurements", "level": "error"}]}',
    "empty-rules": '{"fwtrail_policy": 1, "rules": []}',
    "unknown-member": '{"fwtrail_policy": 1, "rules": [{"rule": "measurements"}], "rulez": []}',
    "no-version": '{"rules": [{"rule": "measurements"}]}',
    "version-2": '{"fwtrail_policy": 2, "rules": [{"rule": "measurements"}]}',
    "repeated-entry": '{"fwtrail_policy": 1, "rules": [{"rule": "measurements", "pcrs": [0, 7, 0]}]}',
    "not-json": '{"fwtrail_policy": 1, "rules": [{"rule": "measurements"},]}',
}


def bad_records(good):
    out = {}
    r = copy.deepcopy(good)
    r["components"] = {"source": "spdm"}
    out["wrong-type"] = json.dumps(r, indent=2)
    r = copy.deepcopy(good)
    r["components"][1]["status"] = "fine"
    out["bad-status"] = json.dumps(r, indent=2)
    r = copy.deepcopy(good)
    r["components"][0]["review"]["completion_date"] = "2026-02-30"
    out["bad-date"] = json.dumps(r, indent=2)
    r = copy.deepcopy(good)
    r["inputs"][0]["sha256"] = "00" * 31
    out["bad-sha256"] = json.dumps(r, indent=2)
    r = copy.deepcopy(good)
    r["schema"] = 2
    out["schema-2"] = json.dumps(r, indent=2)
    r = copy.deepcopy(good)
    del r["schema"]
    out["no-schema"] = json.dumps(r, indent=2)
    out["dup-key"] = json.dumps(good, indent=2).replace('"ok": true,', '"ok": true, "ok": false,', 1)
    out["truncated"] = json.dumps(good, indent=2)[:700]
    return out


# ---- an audit log written without fwtrail ----

GENESIS = "0" * 64


def log_line(rec):
    return (json.dumps(rec, separators=(",", ":"), sort_keys=True, ensure_ascii=True) + "\n").encode()


def history_log(good, allp_bytes, fps):
    entries = [
        ("2026-01-10T09:00:00Z", "pass", [("BMC", "1.2.0", 4)]),
        ("2026-03-05T10:30:00Z", "fail", [("BMC", "9.9.9", 99)]),   # a failed audit never raises the mark
        ("2026-05-20T14:15:00Z", "pass", [("BMC", "1.2.3", 5), ("BIOS", "4.1.0", 3)]),
        ("2026-07-01T08:00:00Z", "warn", [("NIC", "7.0.2", 1)]),
        ("2026-09-30T16:45:00Z", "pass", [("BMC", "1.2.3", 5), ("BIOS", "4.1.0", 3)]),
    ]
    lines, prev = [], GENESIS
    for seq, (t, verdict, prods) in enumerate(entries, 1):
        outcome = {"pass": "pass", "warn": "warn", "fail": "fail"}[verdict]
        rec = {
            "type": "audit", "seq": seq, "prev": prev, "time": t, "at": t, "host": "bmc-lab-07",
            "fwtrail_version": "0.1.0",
            "policy": {"path": "policies/all.json", "sha256": sha(allp_bytes)},
            "inputs": [{"path": f"records/audit-{seq}.json", "kind": "appraisal",
                        "sha256": sha(f"audit-{seq}".encode())}] + good["inputs"],
            "keys": [{"fingerprint": fps["vendor"], "role": "vendor", "kind": "rim", "path": "acme-bmc.rim.cbor"}],
            "products": [{"vendor": "ACME", "product": p, "fw_version": v, "svn": s} for p, v, s in prods],
            "rules": [{"id": "measurements", "rule": "measurements", "level": "fail" if verdict != "warn" else "warn",
                       "outcome": outcome,
                       "reasons": [] if outcome == "pass" else ["spdm index 1 'BMC firmware': mismatch"]}],
            "verdict": verdict,
        }
        line = log_line(rec)
        lines.append(line)
        prev = sha(line)
    return b"".join(lines), prev


README = """# testdata/audit

Fixtures for `fwtrail audit` and `fwtrail audit log`, made by
`scripts/mk-audit-testdata.py` (run from the project root; it reads
`testdata/firmware/`).  Running it again gives the same bytes: keys are
derived from SHA-512 in counter mode over fixed labels.  These are public
test keys: never use them for anything else.

| file | what it is |
|---|---|
| keys/vendor.{key,pub}.pem | P-384: signs the RIMs (role vendor) |
| keys/reviewer.{key,pub}.pem | P-521: signs the SFRs (role reviewer) |
| keys/log.{key,pub}.pem | P-256: a key that signs no checkpoint (checkpoints are ES384, ES512, PS384 or PS512: the tests sign them with testdata/keys/p384 and other-p384) |
| keys/other.{key,pub}.pem | P-256: the wrong key |
| keys/fingerprints.json | SHA-256 of each key's SubjectPublicKeyInfo |
| records/good.json | an appraisal record (the `attest check --json` contract) that passes every rule of policies/all.json at 2026-11-22 |
| records/<name>.json | good.json changed to break exactly one rule: signatures-*, measurements-*, review-*, sfr-*, cvss-high, cwe-forbidden, rollback-* (records/expect.json maps each to that rule) |
| records/lacking.json | only `{"schema": 1}`: the library's record check (`fwt_policy_record_parse`) takes it, and every rule must then fail for want of information, never pass; `fwtrail audit --appraisal` refuses it first (exit 4: no `"command"`, none of the members attest check always writes) |
| records/hostile.json | SFR titles, names, errors and vendors holding newlines, ESC sequences, quotes, `</testcase>`, `]]>`, C1 and non-characters, a 5000-byte title |
| policies/all.json | every rule, level fail; `warn.json` the same at level warn; `nolog.json` all but rollback; `scoped.json` rules limited to PCRs, indices and components, two rules of one kind with ids |
| bad/policies/*.json | policies that must be refused (exit 4, or 6 for version 2): unknown rule or parameter, wrong type, bad value, duplicate key or id, ... |
| bad/records/*.json | records that must be refused (exit 4, or 6 for schema 2); `invalid-utf8.json` holds a raw 0xff byte in an SFR title |
| logs/history.jsonl | a five-record audit log written by this script, not by fwtrail: the hash chain of the documented format (SHA-256 of each line, newline included; genesis 64 zeros); seq 2 is a failed audit claiming BMC 9.9.9 / SVN 99, which rollback must ignore |
| logs/history.head | the SHA-256 of its last line |

Signed checkpoints are not stored here (ECDSA signatures are randomised):
the tests make them at run time with fwtrail, and with this script's
`--append-checkpoint` (Python's cryptography and cbor2, no fwtrail code)
for the interop check; `--check` verifies fwtrail's logs the same way.

The script also writes the seeds of testdata/fuzz/fuzz_policy and
testdata/fuzz/fuzz_auditlog (`signed.jsonl` there only when absent, since
its signature differs on every run).
"""


# ---- checkpoints, independently of fwtrail ----

CHECKPOINT_TYPE = "application/vnd.fwtrail.audit-checkpoint+cbor"
COSE_ALGS = {"secp256r1": (-7, hashes.SHA256(), 32), "secp384r1": (-35, hashes.SHA384(), 48),
             "secp521r1": (-36, hashes.SHA512(), 66)}


def sig_structure(protected, payload):
    return cbor2.dumps(["Signature1", protected, b"", payload], canonical=True)


def checkpoint_payload(seq, head, time):
    return cbor2.dumps({"seq": seq, "head": bytes.fromhex(head), "time": time}, canonical=True)


def append_checkpoint(log, keyfile, time):
    with open(keyfile, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    alg, h, n = COSE_ALGS[key.curve.name]
    with open(log, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    last = json.loads(lines[-1])
    head = sha(lines[-1])
    fpr = fingerprint(key)
    protected = cbor2.dumps({1: alg, 3: CHECKPOINT_TYPE, 4: bytes.fromhex(fpr)}, canonical=True)
    payload = checkpoint_payload(last["seq"], head, time)
    r, s_ = decode_dss_signature(key.sign(sig_structure(protected, payload), ec.ECDSA(h)))
    cose = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, r.to_bytes(n, "big") + s_.to_bytes(n, "big")]))
    rec = {"type": "checkpoint", "seq": last["seq"] + 1, "prev": head, "time": time, "key": fpr,
           "cose": base64.b64encode(cose).decode()}
    with open(log, "ab") as f:
        f.write(log_line(rec))


def check(log, pubfile):
    with open(pubfile, "rb") as f:
        pub = serialization.load_pem_public_key(f.read())
    alg, h, n = COSE_ALGS[pub.curve.name]
    with open(log, "rb") as f:
        data = f.read()
    prev, count, signed = GENESIS, 0, 0
    for i, line in enumerate(data.splitlines(keepends=True), 1):
        rec = json.loads(line)
        if not line.endswith(b"\n") or rec["seq"] != i or rec["prev"] != prev:
            sys.exit(f"line {i}: the chain breaks")
        if rec["type"] == "checkpoint":
            tag = cbor2.loads(base64.b64decode(rec["cose"], validate=True))
            protected, _, payload, sig = tag.value
            if tag.tag != 18 or cbor2.loads(protected)[1] != alg:
                sys.exit(f"line {i}: not a COSE_Sign1 of the key's algorithm")
            if payload != checkpoint_payload(i - 1, prev, rec["time"]):
                sys.exit(f"line {i}: the checkpoint signs something else")
            try:
                pub.verify(encode_dss_signature(int.from_bytes(sig[:n], "big"), int.from_bytes(sig[n:], "big")),
                           sig_structure(protected, payload), ec.ECDSA(h))
            except InvalidSignature:
                sys.exit(f"line {i}: bad checkpoint signature")
            signed += 1
        prev = sha(line)
        count += 1
    print(f"{count} records, {signed} checkpoints verified")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--append-checkpoint":
        append_checkpoint(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3])
        return
    out = sys.argv[1] if len(sys.argv) > 1 else "testdata/audit"
    keys = {"vendor": ec_key("fwtrail-audit-vendor", "p384"), "reviewer": ec_key("fwtrail-audit-reviewer", "p521"),
            "log": ec_key("fwtrail-audit-log", "p256"), "other": ec_key("fwtrail-audit-other", "p256")}
    fps = {}
    for name, k in keys.items():
        write(f"{out}/keys/{name}.key.pem", k.private_bytes(serialization.Encoding.PEM,
                                                             serialization.PrivateFormat.PKCS8,
                                                             serialization.NoEncryption()))
        write(f"{out}/keys/{name}.pub.pem", k.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        fps[name] = fingerprint(k)
    dump(f"{out}/keys/fingerprints.json", fps)
    fw = {}
    for n, f in (("bmc", "bmc-1.2.3.bin"), ("bios", "bios-4.1.0.bin")):
        with open(f"testdata/firmware/{f}", "rb") as fh:
            fw[n] = fh.read()
    good = good_record(fw, fps)
    dump(f"{out}/records/good.json", good)
    expect = {}
    for name, (rec, rule) in variants(good, fps).items():
        dump(f"{out}/records/{name}.json", rec)
        expect[name] = rule
    dump(f"{out}/records/expect.json", expect)
    dump(f"{out}/records/lacking.json", {"schema": 1})
    dump(f"{out}/records/hostile.json", hostile(good))
    pols = policies(fps)
    for name, p in pols.items():
        dump(f"{out}/policies/{name}.json", p)
    for name, text in BAD_POLICIES.items():
        write(f"{out}/bad/policies/{name}.json", text + "\n")
    for name, text in bad_records(good).items():
        write(f"{out}/bad/records/{name}.json", text + "\n")
    raw = json.dumps(good, indent=2).replace('"Verbose error page"', '"Verbose \\u00e9rror page"')
    write(f"{out}/bad/records/invalid-utf8.json", raw.replace("\\u00e9", "\xff").encode("latin-1"))
    with open(f"{out}/policies/all.json", "rb") as fh:
        allp_bytes = fh.read()
    log, head = history_log(good, allp_bytes, fps)
    write(f"{out}/logs/history.jsonl", log)
    write(f"{out}/logs/history.head", head + "\n")
    write(f"{out}/README.md", README)
    # fuzz seeds (small): policies and records, version pairs, logs
    seeds = "testdata/fuzz/fuzz_policy"
    for name in ("all", "scoped"):
        write(f"{seeds}/policy-{name}.json", json.dumps(pols[name]) + "\n")
    write(f"{seeds}/record-good.json", json.dumps(good) + "\n")
    write(f"{seeds}/record-lacking.json", '{"schema": 1}\n')
    small = hostile(good)
    small["components"][0]["review"]["issues"][5]["title"] = "x" * 200
    write(f"{seeds}/record-hostile.json", json.dumps(small) + "\n")
    write(f"{seeds}/versions-1.txt", "1.2.3\nv1.10")
    write(f"{seeds}/versions-2.txt", "1.2.3-rc1\n1.2.3")
    seeds = "testdata/fuzz/fuzz_auditlog"
    write(f"{seeds}/history.jsonl", log)
    write(f"{seeds}/cut.jsonl", log[:len(log) - 40])
    lines = log.splitlines(keepends=True)
    write(f"{seeds}/swapped.jsonl", lines[0] + lines[2] + lines[1])
    if not os.path.exists(f"{seeds}/signed.jsonl"):  # ECDSA is randomised: made once
        write(f"{seeds}/signed.jsonl", b"".join(lines[:2]))
        append_checkpoint(f"{seeds}/signed.jsonl", "testdata/keys/p384.key.pem", "2026-03-06T00:00:00Z")


if __name__ == "__main__":
    main()
