#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Compare, event by event, `fwtrail eventlog show --json` with tpm2_eventlog.

usage: eventlog-diff.py [--name NAME] FWTRAIL_JSON TPM2_YAML

TPM2_YAML is what tpm2_eventlog printed for the same log: the output of the
installed tool, or an output tpm2-tools records as expected for its fixtures.
For every event it compares the number, PCR, type, every bank's digest, the
event size, and each decoded field both tools print; where tpm2_eventlog
prints the event data as bytes (hex or text), fwtrail's decoded fields must
agree with those bytes.  Differences are printed one per line as
    NAME: event N: FIELD: fwtrail 'X', tpm2_eventlog 'Y'
Those in KNOWN below (legitimate differences, each with its reason) are
printed with a "known: " prefix and do not count.  Exit status: 0 when every
difference is known, 1 when one is not, 2 when an input cannot be read.

Run by Debian's /usr/bin/python3 (python3-yaml).
"""
import json
import re
import sys

import yaml

# Legitimate differences: (log name regex, event number or None for any,
# field regex, reason).  Everything else is a decoding difference to fix.
KNOWN = [
    (r".*", None, r"^event\.(BlobBase|BlobLength)$",
     "tpm2_eventlog reads a UEFI_PLATFORM_FIRMWARE_BLOB from any EV_S_CRTM_CONTENTS or "
     "EV_EFI_PLATFORM_FIRMWARE_BLOB, whatever its size; the structure is 16 bytes, and "
     "fwtrail decodes other sizes as text or bytes"),
    (r".*", None, r"^event\.VariableData\[Shim\]\.SignatureOwner$",
     "shim measures its built-in certificate as the \"Shim\" authority alone (the data starts "
     "with the certificate's DER SEQUENCE, 30 82), not as an EFI_SIGNATURE_DATA: the owner "
     "tpm2_eventlog shows is the certificate's first 16 bytes"),
]


def known(name, num, field):
    for n, e, f, why in KNOWN:
        if re.fullmatch(n, name) and (e is None or e == num) and re.search(f, field):
            return why
    return None


def load_tpm2(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    # tpm2-tools 5.4 prints the events of a SHA-1 log as one mapping with
    # repeated keys (no "- " items, no EventNum): make each PCRIndex an item.
    if "EventNum:" not in text:
        text = re.sub(r"(?m)^  PCRIndex:", "- PCRIndex:", text)
    doc = yaml.safe_load(text)
    events = doc.get("events") or []
    if isinstance(events, dict):
        events = [events]
    return events


def guid(b):
    return "%08x-%04x-%04x-%s-%s" % (int.from_bytes(b[0:4], "little"), int.from_bytes(b[4:6], "little"),
                                     int.from_bytes(b[6:8], "little"), b[8:10].hex(), b[10:16].hex())


def u64(b, off):
    return int.from_bytes(b[off:off + 8], "little")


def num(v):
    """A number tpm2_eventlog prints (int, or '0x..' text) or fwtrail prints."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        return int(v, 0)
    raise ValueError(repr(v))


def sb_bytes(b):
    """fwtrail's text form of bytes: printable ASCII kept, a backslash
    doubled, a double quote and others \\xHH."""
    return "".join("\\\\" if c == 0x5c else chr(c) if 0x20 <= c < 0x7f and c != 0x22 else "\\x%02x" % c for c in b)


def utf16(b, chars=None):
    units = b if chars is None else b[:2 * chars]
    s = units.decode("utf-16le", errors="replace")
    i = s.find("\0")
    return s if i < 0 else s[:i]


def esc16(s):
    """fwtrail's text form of UTF-16 text: below 0x80 as sb_bytes writes
    bytes, any other character \\uHHHH (\\UHHHHHHHH past U+FFFF)."""
    return "".join(sb_bytes(bytes([ord(c)])) if ord(c) < 0x80 else "\\u%04x" % ord(c) if ord(c) < 0x10000
                   else "\\U%08x" % ord(c) for c in s)


def unesc(s):
    """The text fwtrail escaped."""
    return re.sub(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})",
                  lambda m: "\\" if m.group(1) == "\\" else chr(int(m.group(1)[1:], 16)), s)


class Diff:
    def __init__(self, name):
        self.name = name
        self.bad = 0
        self.known = 0
        self.checked = 0

    def eq(self, num_, field, fw, t2):
        self.checked += 1
        if fw == t2:
            return
        why = known(self.name, num_, field)
        line = "%s: event %s: %s: fwtrail %s, tpm2_eventlog %s" % (self.name, num_, field, show(fw), show(t2))
        if why:
            self.known += 1
            print("known: %s (%s)" % (line, why))
        else:
            self.bad += 1
            print(line)


def show(v):
    """A value on one line, shortened."""
    s = json.dumps(v) if isinstance(v, str) else repr(v)
    return s if len(s) <= 200 else s[:96] + "..." + s[-96:]


def data_vs_bytes(d, n, fw, b):
    """fwtrail's decoded data fw must agree with the event bytes b."""
    kind = fw.get("kind")
    if fw.get("unparsed") and "hex" in fw and kind not in ("efi_image_load",):
        d.eq(n, "event.bytes", fw["hex"], b.hex())
        return
    if kind == "raw":
        d.eq(n, "event.bytes", fw["hex"], b.hex())
    elif kind == "empty":
        d.eq(n, "event.bytes", "", b.hex())
    elif kind == "string":
        if fw.get("encoding") == "utf-16le":
            d.eq(n, "event.text", fw["text"], esc16(b.decode("utf-16le", errors="replace").rstrip("\0")))
        else:
            d.eq(n, "event.text", fw["text"], sb_bytes(b.rstrip(b"\0")))
    elif kind == "separator":
        d.eq(n, "event.separator", fw["value"], "0x%08x" % int.from_bytes(b, "little"))
    elif kind == "startup_locality":
        d.eq(n, "event.StartupLocality", b"StartupLocality\0" + bytes([fw["locality"]]), b)
    elif kind == "no_action":
        d.eq(n, "event.signature", fw["signature"], sb_bytes(b[:16].rstrip(b"\0")))
        d.eq(n, "event.bytes", fw["hex"], b[16:].hex())
    elif kind == "firmware_blob":
        if "description" in fw:
            d.eq(n, "event.Description", fw["description"], sb_bytes(b[1:1 + b[0]]))
            b = b[1 + b[0]:]
        d.eq(n, "event.base", num(fw["base"]), u64(b, 0))
        d.eq(n, "event.length", num(fw["length"]), u64(b, 8))
    elif kind == "handoff_tables":
        off = 0
        if n is not None and "description" in fw:
            d.eq(n, "event.Description", fw["description"], sb_bytes(b[1:1 + b[0]]))
            off = 1 + b[0]
        cnt = u64(b, off)
        d.eq(n, "event.NumberOfTables", len(fw["tables"]), cnt)
        for i, t in enumerate(fw["tables"][:cnt]):
            q = off + 8 + 24 * i
            d.eq(n, "event.tables[%d].guid" % i, t["guid"], guid(b[q:q + 16]))
            d.eq(n, "event.tables[%d].address" % i, num(t["address"]), u64(b, q + 16))
    elif kind == "gpt":
        d.eq(n, "event.DiskGUID", fw["disk_guid"], guid(b[56:72]))
        cnt, esz = u64(b, 92), int.from_bytes(b[84:88], "little")
        d.eq(n, "event.NumberOfPartitions", len(fw["partitions"]), cnt)
        for i, p in enumerate(fw["partitions"][:cnt]):
            q = b[100 + i * esz:100 + (i + 1) * esz]
            gpt_partition(d, n, i, p, q)
    elif kind == "efi_variable":
        nl, vl = u64(b, 16), u64(b, 24)
        d.eq(n, "event.VariableName", fw["guid"], guid(b[0:16]))
        d.eq(n, "event.UnicodeName", fw["name"], esc16(b[32:32 + 2 * nl].decode("utf-16le", errors="surrogatepass")))
        d.eq(n, "event.VariableDataLength", fw["data_size"], vl)
        d.eq(n, "event.VariableData", fw["data"], b[32 + 2 * nl:32 + 2 * nl + vl].hex())
        d.eq(n, "event.trailing", fw.get("trailing", ""), b[32 + 2 * nl + vl:].hex())
    elif kind == "efi_image_load":
        d.eq(n, "event.ImageLocationInMemory", num(fw.get("image_base", "-1")), u64(b, 0))
        d.eq(n, "event.ImageLengthInMemory", fw.get("image_length"), u64(b, 8))
        d.eq(n, "event.ImageLinkTimeAddress", num(fw.get("link_time_address", "-1")), u64(b, 16))
        d.eq(n, "event.trailing", fw.get("trailing", ""), b[32 + u64(b, 24):].hex())
    elif kind == "guid":
        d.eq(n, "event.bytes", fw["hex"], b.hex())
    elif kind == "spec_id":
        pass  # compared field by field from SpecID
    else:
        d.eq(n, "event.kind", kind, "(bytes)")


def gpt_partition(d, n, i, p, q):
    f = "event.Partitions[%d]." % i
    d.eq(n, f + "PartitionTypeGUID", p["type_guid"], guid(q[0:16]))
    d.eq(n, f + "UniquePartitionGUID", p["unique_guid"], guid(q[16:32]))
    d.eq(n, f + "StartingLBA", p["first_lba"], u64(q, 32))
    d.eq(n, f + "EndingLBA", p["last_lba"], u64(q, 40))
    d.eq(n, f + "Attributes", num(p["attributes"]), u64(q, 48))
    d.eq(n, f + "PartitionName", p["name"], esc16(q[56:128].decode("utf-16le", errors="surrogatepass").rstrip("\0")))


def hexstr(v):
    return v if isinstance(v, str) and re.fullmatch(r"([0-9a-f]{2})*", v) else None


EFIVAR = False  # the YAML is from a tpm2_eventlog built with efivar

ESC = {"0": "\0", "'": "'", "t": "\t", "n": "\n", "r": "\r", "\\": "\\", '"': '"'}


def tpm2_string(s, fw):
    """tpm2_eventlog's String in fwtrail's form.  tpm2_eventlog prints each
    line of the text in double quotes with C escapes (\\0 for a NUL byte);
    fwtrail drops trailing NULs, decodes UTF-16LE when it says so, and
    writes other bytes as it escapes them."""
    lines = [x[1:-1] if len(x) >= 2 and x[0] == '"' and x[-1] == '"' else x for x in s.split("\n")]
    s = re.sub(r'\\(x[0-9a-fA-F]{2}|.)', lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "x"
               else ESC.get(m.group(1), m.group(0)), "\n".join(lines))
    b = s.encode("utf-8", errors="surrogateescape")
    if fw.get("encoding") == "utf-16le":
        return esc16(utf16(b[:len(b) & ~1]))
    return sb_bytes(b.rstrip(b"\0"))


def device_path(t):
    """efivar's device path text (newer tpm2_eventlog) in the node forms of
    EDK2's DevicePathToText, which fwtrail follows: a presentation choice,
    so it is normalised rather than listed: FvVol( is Fv(, SCSI( is Scsi(,
    and the numbers of Sata, USB, Scsi and MAC's interface type are hex."""
    def hexargs(m):
        args = [a if a.startswith("0x") else "0x%x" % int(a) for a in m.group(2).split(",")]
        return "%s(%s)" % (m.group(1), ",".join(args))
    t = t.replace("FvVol(", "Fv(").replace("SCSI(", "Scsi(")
    t = re.sub(r"\b(Sata|USB|Scsi)\(([0-9x,a-f]+)\)", hexargs, t)
    t = re.sub(r"\bMAC\(([0-9a-f]+),([0-9]+)\)", lambda m: "MAC(%s,0x%x)" % (m.group(1), int(m.group(2))), t)
    return esc16(t)


def compare_specid(d, n, fw, sid):
    sid = sid[0] if isinstance(sid, list) else sid
    d.eq(n, "SpecID.Signature", fw["signature"], sid.get("Signature"))
    d.eq(n, "SpecID.platformClass", fw["platform_class"], sid.get("platformClass"))
    major, minor = (int(x) for x in fw["spec_version"].split("."))
    d.eq(n, "SpecID.specVersionMajor", major, sid.get("specVersionMajor"))
    d.eq(n, "SpecID.specVersionMinor", minor, sid.get("specVersionMinor"))
    d.eq(n, "SpecID.specErrata", fw["spec_errata"], sid.get("specErrata"))
    d.eq(n, "SpecID.uintnSize", fw["uintn_size"], sid.get("uintnSize"))
    algs = sid.get("Algorithms") or []
    d.eq(n, "SpecID.numberOfAlgorithms", len(fw["algorithms"]), sid.get("numberOfAlgorithms"))
    for i, a in enumerate(algs):
        # "- Algorithm[0]:" with its fields beside it, or nested under it
        a = a.get("Algorithm[%d]" % i) or a
        f = fw["algorithms"][i] if i < len(fw["algorithms"]) else {}
        d.eq(n, "SpecID.Algorithms[%d].algorithmId" % i, f.get("name") or f.get("id"), a.get("algorithmId"))
        d.eq(n, "SpecID.Algorithms[%d].digestSize" % i, f.get("size"), a.get("digestSize"))
    d.eq(n, "SpecID.vendorInfoSize", len(fw["vendor_info"]) // 2, sid.get("vendorInfoSize"))
    if "vendorInfo" in sid:
        d.eq(n, "SpecID.vendorInfo", fw["vendor_info"], str(sid["vendorInfo"]).lower())


def compare_variable(d, n, fw, ev):
    d.eq(n, "event.VariableName", fw.get("guid"), ev.get("VariableName"))
    name = fw.get("name")
    d.eq(n, "event.UnicodeName", name, None if ev.get("UnicodeName") is None else esc16(str(ev["UnicodeName"])))
    if name is not None:
        d.eq(n, "event.UnicodeNameLength", len(unesc(name).encode("utf-16le", errors="surrogatepass")) // 2,
             ev.get("UnicodeNameLength"))
    d.eq(n, "event.VariableDataLength", fw.get("data_size"), ev.get("VariableDataLength"))
    vd = ev.get("VariableData")
    if hexstr(vd) is not None:
        d.eq(n, "event.VariableData", fw.get("data"), vd)
        b = bytes.fromhex(vd)
        if EFIVAR and "signature_owner" in fw:
            # tpm2_eventlog built with efivar decodes EFI_SIGNATURE_DATA
            # where it is one; bytes here mean it is not
            d.eq(n, "event.VariableData.SignatureOwner", fw["signature_owner"], None)
        if "description" in fw and len(b) >= 6:
            # an EFI_LOAD_OPTION tpm2_eventlog left as bytes: Attributes,
            # FilePathListLength, Description (UTF-16LE, NUL-terminated)
            d.eq(n, "event.LoadOption.Attributes", fw["attributes"], int.from_bytes(b[0:4], "little"))
            d.eq(n, "event.LoadOption.Description", fw["description"], esc16(utf16(b[6:])))
    elif isinstance(vd, list) and "signature_lists" in fw:
        # newer tpm2-tools: the EFI_SIGNATURE_LISTs of PK/KEK/db/dbx
        d.eq(n, "event.VariableData.lists", len(fw["signature_lists"]), len(vd))
        types = {"x509": "a5c059a1-94e4-4aa7-87b5-ab155c2bf072", "sha256": "c1c41626-504c-4092-aca9-41f936934328"}
        for i, (f, t) in enumerate(zip(fw["signature_lists"], vd)):
            p = "event.VariableData[%d]." % i
            d.eq(n, p + "SignatureType", types.get(f["type"], f["type"]), t.get("SignatureType"))
            d.eq(n, p + "SignatureSize", f["signature_size"], t.get("SignatureSize"))
            d.eq(n, p + "Keys", f["count"], len(t.get("Keys") or []))
    elif isinstance(vd, list) and vd and isinstance(vd[0], dict) and "SignatureOwner" in vd[0]:
        # newer tpm2-tools: EV_EFI_VARIABLE_AUTHORITY as EFI_SIGNATURE_DATA
        d.eq(n, "event.VariableData[%s].SignatureOwner" % name, fw.get("signature_owner"), vd[0]["SignatureOwner"])
    elif isinstance(vd, dict) and "Description" in vd:
        # newer tpm2-tools: an EFI_LOAD_OPTION (Boot####)
        d.eq(n, "event.VariableData.Description", fw.get("description"),
             None if vd.get("Description") is None else esc16(str(vd["Description"])))
        d.eq(n, "event.VariableData.Enabled", "Yes" if fw.get("attributes", 0) & 1 else "No", vd.get("Enabled"))
        dp = vd.get("DevicePath")
        if dp is not None and hexstr(dp) is None:
            d.eq(n, "event.VariableData.DevicePath", fw.get("device_path"), device_path(dp))
    elif isinstance(vd, (list, dict)):
        pass  # a structure fwtrail leaves as bytes (e.g. BootOrder, which it compares above as hex)
    elif vd is not None:
        d.eq(n, "event.VariableData", fw.get("data"), vd)


def compare_event(d, n, fwe, te, legacy):
    d.eq(n, "PCRIndex", fwe["pcr"], te.get("PCRIndex"))
    t = te.get("EventType")
    if isinstance(t, int) or (isinstance(t, str) and t.startswith("0x")):
        d.eq(n, "EventType", int(fwe["type_id"], 16), num(t))
    else:
        d.eq(n, "EventType", fwe["type"], t)
    dg = fwe["digests"]
    if "Digest" in te and "Digests" not in te:
        d.eq(n, "DigestCount", len(dg), 1)
        d.eq(n, "Digest", dg.get("sha1"), te["Digest"])
    else:
        tds = te.get("Digests") or []
        d.eq(n, "DigestCount", len(dg), te.get("DigestCount"))
        d.eq(n, "Digests.algorithms", sorted(dg), sorted(str(x.get("AlgorithmId")) for x in tds))
        for x in tds:
            a = str(x.get("AlgorithmId"))
            d.eq(n, "Digests.%s" % a, dg.get(a), x.get("Digest"))
    d.eq(n, "EventSize", fwe["event_size"], te.get("EventSize"))
    fw = fwe["data"]
    if "SpecID" in te:
        if fw.get("kind") != "spec_id":
            d.eq(n, "SpecID", fw.get("kind"), "SpecID")
        else:
            compare_specid(d, n, fw, te["SpecID"])
        return
    ev = te.get("Event")
    if ev is None:
        d.eq(n, "Event", fw.get("kind"), "empty" if fwe["event_size"] == 0 else None)
        return
    if isinstance(ev, str) and hexstr(ev) is not None and len(ev) == 2 * fwe["event_size"]:
        data_vs_bytes(d, n, fw, bytes.fromhex(ev))
    elif isinstance(ev, str):
        # text tpm2_eventlog printed as it is (EV_POST_CODE, EV_EFI_ACTION, ...)
        d.eq(n, "event.text", fw.get("text"), esc16(ev) if fw.get("encoding") == "utf-16le" else ev)
    elif isinstance(ev, dict):
        compare_struct(d, n, fwe, fw, ev)
    else:
        d.eq(n, "Event", fw.get("kind"), repr(ev))


def compare_struct(d, n, fwe, fw, ev):
    if "String" in ev:
        if fw.get("kind") == "string":
            d.eq(n, "event.String", fw["text"], tpm2_string(str(ev["String"]), fw))
        else:
            d.eq(n, "event.String", fw.get("kind"), str(ev["String"]))
    if "VariableName" in ev:
        compare_variable(d, n, fw, ev)
    if "ImageLocationInMemory" in ev:
        d.eq(n, "event.ImageLocationInMemory", num(fw.get("image_base", "-1")), num(ev["ImageLocationInMemory"]))
        d.eq(n, "event.ImageLengthInMemory", fw.get("image_length"), num(ev["ImageLengthInMemory"]))
        d.eq(n, "event.ImageLinkTimeAddress", num(fw.get("link_time_address", "-1")), num(ev["ImageLinkTimeAddress"]))
        trailing = len(fw.get("trailing", "")) // 2
        d.eq(n, "event.LengthOfDevicePath", fwe["event_size"] - 32 - trailing, num(ev["LengthOfDevicePath"]))
        dp = ev.get("DevicePath")
        if dp is not None and hexstr(str(dp)) is None:
            d.eq(n, "event.DevicePath", fw.get("device_path"), device_path(dp))
        elif dp is not None and fw.get("device_path_unparsed"):
            d.eq(n, "event.DevicePath", fw.get("hex"), dp)
    if "BlobBase" in ev:
        d.eq(n, "event.BlobBase", num(fw.get("base", "-1")), num(ev["BlobBase"]))
        d.eq(n, "event.BlobLength", fw.get("length"), num(ev["BlobLength"]))
    if "Header" in ev:
        h = ev["Header"]
        d.eq(n, "event.DiskGUID", fw.get("disk_guid"), h.get("DiskGUID"))
        parts = ev.get("Partitions") or []
        d.eq(n, "event.NumberOfPartitions", len(fw.get("partitions") or []),
             ev.get("NumberOfPartitions", h.get("NumberOfPartitions")))
        for i, (p, t) in enumerate(zip(fw.get("partitions") or [], parts)):
            f = "event.Partitions[%d]." % i
            d.eq(n, f + "PartitionTypeGUID", p["type_guid"], t.get("PartitionTypeGUID"))
            d.eq(n, f + "UniquePartitionGUID", p["unique_guid"], t.get("UniquePartitionGUID"))
            d.eq(n, f + "StartingLBA", p["first_lba"], num(t.get("StartingLBA")))
            d.eq(n, f + "EndingLBA", p["last_lba"], num(t.get("EndingLBA")))
            d.eq(n, f + "Attributes", num(p["attributes"]), num(t.get("Attributes")))
            d.eq(n, f + "PartitionName", p["name"],
                 None if t.get("PartitionName") is None else esc16(str(t["PartitionName"])))


def main(argv):
    name = None
    if len(argv) >= 2 and argv[0] == "--name":
        name, argv = argv[1], argv[2:]
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding="utf-8") as f:
            fwj = json.load(f)
        tev = load_tpm2(argv[1])
    except (OSError, ValueError, yaml.YAMLError) as e:
        print("eventlog-diff: %s" % e, file=sys.stderr)
        return 2
    global EFIVAR
    EFIVAR = any(isinstance((e.get("Event") or {}).get("VariableData") if isinstance(e.get("Event"), dict) else None,
                            (list, dict)) for e in tev)
    d = Diff(name or argv[0])
    fev = fwj.get("events") or []
    d.eq(None, "events", len(fev), len(tev))
    legacy = fwj.get("format") == "sha1-legacy"
    for i, (fwe, te) in enumerate(zip(fev, tev)):
        n = te.get("EventNum", i)
        d.eq(n, "EventNum", fwe["index"], n)
        compare_event(d, n, fwe, te, legacy)
    print("%s: %d events, %d fields compared, %d known differences, %d differences"
          % (d.name, len(tev), d.checked, d.known, d.bad), file=sys.stderr)
    return 1 if d.bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
