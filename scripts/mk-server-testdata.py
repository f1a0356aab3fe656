#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""mk-server-testdata.py - testdata/server: a small synthetic server for
`fwtrail attest check` (see testdata/server/README.md for what each file is).

The firmware images, keys, event logs and SPDM transcripts are computed here,
deterministically: the images are SHA-256 counter-mode output over fixed
labels, the keys are derived from fixed labels, the logs are built with
scripts/gen-eventlog.py's functions and the transcripts with
scripts/gen-spdm.py's (RFC 6979 signatures).  Every reference digest in the
vendor RIMs is computed here with hashlib, not read back by fwtrail.  The
RIMs and SFRs are then made and signed by build/fwtrail itself (rim create,
rim sign, sfr create, sfr sign); their ECDSA signatures are randomised, so
those files differ from run to run while saying the same thing.

  scripts/mk-server-testdata.py          (from the project root, after make)
"""
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import subprocess
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "testdata", "server")
FWTRAIL = os.path.join(ROOT, "build", "fwtrail")
CLASS_ID = "4c1e7a2e-6f0b-4d1c-9a53-3f2e8b7d5a10"


def load(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(ROOT, "scripts", name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


gel = load("gen-eventlog")
gsp = load("gen-spdm")


def path(*p):
    return os.path.join(OUT, *p)


def write(rel, data):
    p = path(rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def fw(*args):
    subprocess.run([FWTRAIL, *args], check=True, cwd=OUT)


# ---- keys: derived from labels, so a re-run gives the same ones ----

def derive_key(label, curve, order):
    d = int.from_bytes(hashlib.sha512(label.encode()).digest(), "big") % (order - 1) + 1
    return ec.derive_private_key(d, curve)


P384_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973
P521_N = int("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA"
             "51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409", 16)


def write_key(name, key):
    write("keys/%s.pem" % name, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    write("keys/%s.pub" % name, key.public_key().public_bytes(serialization.Encoding.PEM,
                                                               serialization.PublicFormat.SubjectPublicKeyInfo))


# ---- the machine ----

def images():
    f = gel.filler
    return {
        "rot-rom-1.0.bin": f("acme x1 rot rom 1.0", 4096),
        "bios-2.0.bin": f("acme x1 bios 2.0", 16384),
        "bmc-3.0.bin": f("acme x1 bmc 3.0", 32768),
        "bmc-3.1.bin": f("acme x1 bmc 3.1", 32768),
        "bmc-config.bin": f("acme x1 bmc config", 1024),
        "boot/shimx64.efi": f("acme x1 shimx64.efi", 8192),
        "boot/grub.cfg": b"set timeout=5\nmenuentry 'ACME Linux' { linux /vmlinuz root=/dev/sda2 }\n",
    }


def tampered(data):
    """The image with one byte changed."""
    return data[:100] + bytes([data[100] ^ 0x01]) + data[101:]


BANKS = ["sha1", "sha256", "sha384", "sha512"]


def host_events(img):
    """The host's boot, as events: (reference label, event)."""
    Ev, u16 = gel.Ev, gel.utf16
    ev = [
        ("pcr0:crtm-version", Ev(0, gel.EV_S_CRTM_VERSION, u16("ACME X1 firmware 2.0"))),
        ("pcr0:bios", Ev(0, gel.EV_EFI_PLATFORM_FIRMWARE_BLOB, struct.pack("<QQ", 0xFF000000, len(img["bios-2.0.bin"])),
                         measured=img["bios-2.0.bin"])),
        ("pcr7:secure-boot", Ev(7, gel.EV_EFI_VARIABLE_DRIVER_CONFIG, gel.efi_var(gel.EFI_GLOBAL, "SecureBoot", b"\x01"))),
        ("pcr7:separator", Ev(7, gel.EV_SEPARATOR, bytes(4))),
        ("pcr1:boot-order", Ev(1, gel.EV_EFI_VARIABLE_BOOT, gel.efi_var(gel.EFI_GLOBAL, "BootOrder", struct.pack("<H", 1)),
                               measured=struct.pack("<H", 1))),
        ("pcr4:calling-efi-application", Ev(4, gel.EV_EFI_ACTION, b"Calling EFI Application from Boot Option")),
    ]
    ev += [("pcr%d:separator" % p, Ev(p, gel.EV_SEPARATOR, bytes(4))) for p in range(7)]
    ev += [
        ("pcr4:shim", Ev(4, gel.EV_EFI_BOOT_SERVICES_APPLICATION,
                         gel.image_load("\\EFI\\acme\\shimx64.efi", len(img["boot/shimx64.efi"])),
                         measured=img["boot/shimx64.efi"])),
        ("pcr5:exit-boot-services", Ev(5, gel.EV_EFI_ACTION, b"Exit Boot Services Invocation")),
    ]
    return ev


def bmc_blocks(img, bmc=None, only=None):
    """The BMC's SPDM measurement blocks: (index, DMTF type, SHA-384)."""
    h = lambda b: hashlib.sha384(b).digest()
    blocks = [(1, 0x00, h(img["rot-rom-1.0.bin"])), (2, 0x01, h(bmc if bmc is not None else img["bmc-3.1.bin"])),
              (3, 0x02, h(gel.filler("acme x1 bmc hardware", 256))), (4, 0x03, h(img["bmc-config.bin"]))]
    return [b for b in blocks if only is None or b[0] in only]


def transcript(key, blocks):
    return gsp.transcript11(key, blocks=[gsp.block(i, t, d) for i, t, d in blocks], opaque=b"")


def sysfs(root, log, events, bad_pcr=None):
    write(os.path.join(root, "sys/kernel/security/tpm0/binary_bios_measurements"), log)
    banks = gel.replay(events, ["sha256", "sha384"])
    for a in ("sha256", "sha384"):
        size = gel.ALGS[a][1]().digest_size
        for p in range(24):
            v = banks[a].get(str(p), ("ff" * size) if 17 <= p <= 22 else ("00" * size))
            if p == bad_pcr:
                v = hashlib.new(a, b"not what the log says").hexdigest()
            write(os.path.join(root, "sys/class/tpm/tpm0/pcr-%s/%d" % (a, p)), v.upper() + "\n")


def main():
    if not os.access(FWTRAIL, os.X_OK):
        sys.exit("%s: build fwtrail first (make)" % sys.argv[0])
    # README.md and policy.json are written by hand
    for d in os.listdir(OUT) if os.path.isdir(OUT) else []:
        if d in ("README.md", "policy.json"):
            continue
        if os.path.isdir(path(d)):
            shutil.rmtree(path(d))
        else:
            os.unlink(path(d))
    img = images()
    for name, data in img.items():
        write("firmware/" + name, data)
    write("firmware/bmc-3.1-tampered.bin", tampered(img["bmc-3.1.bin"]))
    write("firmware/shimx64-tampered.efi", tampered(img["boot/shimx64.efi"]))

    write_key("vendor", derive_key("fwtrail server test vendor", ec.SECP384R1(), P384_N))
    write_key("reviewer", derive_key("fwtrail server test reviewer", ec.SECP521R1(), P521_N))
    write_key("other-reviewer", derive_key("fwtrail server test other reviewer", ec.SECP521R1(), P521_N))
    os.makedirs(path("trust"), exist_ok=True)
    shutil.copy(path("keys/vendor.pub"), path("trust/vendor.pub"))
    shutil.copy(path("keys/reviewer.pub"), path("trust/reviewer.pub"))

    # evidence: the host's event log and the BMC's SPDM transcript
    labelled = host_events(img)
    events = [e for _, e in labelled]
    log = gel.agile_log(events, BANKS)
    write("evidence/host.log", log)
    bad = list(events)
    bad[13] = gel.Ev(4, gel.EV_EFI_BOOT_SERVICES_APPLICATION,
                     gel.image_load("\\EFI\\acme\\shimx64.efi", len(img["boot/shimx64.efi"])),
                     measured=tampered(img["boot/shimx64.efi"]))
    write("evidence/host-tampered.log", gel.agile_log(bad, BANKS))
    leaf_key, root_key = gsp.Key("fwtrail spdm test responder"), gsp.Key("fwtrail spdm test root")
    root = gsp.make_cert("fwtrail test SPDM root", root_key, None, root_key, 1, True)
    leaf = gsp.make_cert("fwtrail test SPDM responder", leaf_key, root.subject, root_key, 2, False, root_key.pub)
    write("evidence/bmc-chain.pem", gsp.pem(leaf) + gsp.pem(root))
    write("evidence/bmc-root.pem", gsp.pem(root))  # the device root, for --spdm-trust
    write("evidence/bmc.spdm", transcript(leaf_key, bmc_blocks(img)))
    write("evidence/bmc-tampered.spdm", transcript(leaf_key, bmc_blocks(img, bmc=tampered(img["bmc-3.1.bin"]))))
    write("evidence/bmc-partial.spdm", transcript(leaf_key, bmc_blocks(img, only=(1, 2, 3))))
    sysfs(path("sysfs"), log, events)
    sysfs(path("sysfs-bad-pcr"), log, events, bad_pcr=4)

    # the vendor's RIM: every reference digest computed here
    refs = ["%d=sha384:%s" % (i, d.hex()) for i, _, d in bmc_blocks(img)]
    # the images the host measures whole are given as files, hashed by
    # fwtrail in SHA-384 and SHA-512: a review binds a component only
    # through a digest its matched reference vouches for, and the boot
    # loader's SFR covers shimx64.efi by its manifest's SHA-512
    files = {"pcr0:bios": "firmware/bios-2.0.bin", "pcr4:shim": "firmware/boot/shimx64.efi"}
    refs += ["%s=%s" % (k, files[k]) if k in files else "%s=sha384:%s" % (k, e.digest("sha384").hex())
             for k, e in labelled]
    m = lambda rs: [x for r in rs for x in ("--measurement", r)]
    common = ["--vendor", "ACME", "--model", "X1 server", "--class-id", CLASS_ID, "--alg", "sha384,sha512"]
    sign = ["rim", "sign", "--key", "keys/vendor.pem", "--kid", "acme-firmware", "--signer", "ACME Firmware Signing",
            "--not-before", "2026-01-01", "--not-after", "2036-01-01"]
    os.makedirs(path("rim"), exist_ok=True)
    fw("rim", "create", *common, *m(refs), "-o", "rim/vendor.corim")
    fw(*sign, "-o", "rim/vendor.signed.corim", "rim/vendor.corim")
    fw("rim", "create", *common, *m(r for r in refs if not r.startswith("3=")),
       "-o", "rim/vendor-missing-ref.corim")
    fw(*sign, "-o", "rim/vendor-missing-ref.signed.corim", "rim/vendor-missing-ref.corim")
    os.unlink(path("rim/vendor-missing-ref.corim"))
    fw("rim", "create", *common, "--measurement", "2=sha384:" + hashlib.sha384(img["bmc-3.0.bin"]).hexdigest(),
       "-o", "rim/bmc-3.0.corim")
    fw(*sign, "-o", "rim/bmc-3.0.signed.corim", "rim/bmc-3.0.corim")
    os.unlink(path("rim/bmc-3.0.corim"))
    forged = bytearray(open(path("rim/vendor.signed.corim"), "rb").read())
    forged[-10] ^= 0x01  # inside the signature, the last item of the COSE_Sign1
    write("rim/vendor.forged.corim", bytes(forged))

    # the reviewer's SFRs
    os.makedirs(path("sfr"), exist_ok=True)
    write("sfr/issues.json", json.dumps([
        {"title": "Buffer overflow in the option ROM loader", "cvss_score": "8.8",
         "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "cwe": "CWE-120",
         "description": "An oversized option ROM header overflows a buffer.", "cve": "CVE-2026-20001"},
        {"title": "Debug menu reachable without a password", "cvss_score": "4.3",
         "cvss_vector": "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L", "cwe": "CWE-306",
         "description": "A key combination opens the debug menu.", "cve": None}], indent=2) + "\n")
    audit = ["--srp", "Road Runner Audits", "--methodology", "whitebox", "--report-version", "1.0", "--scope", "1"]

    def sfr(out, product, version, src, date, issues=False, key="reviewer"):
        args = ["sfr", "create", "--vendor", "ACME", "--product", product, "--category", "server", "--repo-tag", "v" + version,
                "--fw-version", version, *src, *audit, "--completion-date", date, "-o", out + ".json"]
        if issues:
            args += ["--issues", "sfr/issues.json"]
        fw(*args)
        fw("sfr", "sign", "--key", "keys/%s.pem" % key, "--kid", "Road Runner Audits", "-o", out, out + ".json")
        os.unlink(path(out + ".json"))

    sfr("sfr/bios-2.0.sfr.jws", "X1 server", "2.0", ["--fw", "firmware/bios-2.0.bin"], "2026-02-10", issues=True)
    sfr("sfr/bmc-3.1.sfr.jws", "X1 server", "3.1", ["--fw", "firmware/bmc-3.1.bin"], "2026-03-01")
    sfr("sfr/boot.sfr.jws", "X1 server", "1.0", ["--manifest", "firmware/boot"], "2026-03-15")
    sfr("sfr/bmc-3.0.sfr.jws", "X1 server", "3.0", ["--fw", "firmware/bmc-3.0.bin"], "2025-11-20")
    sfr("sfr/bmc-3.1-other-product.sfr.jws", "Y2 switch", "3.1", ["--fw", "firmware/bmc-3.1.bin"], "2026-03-02")
    sfr("sfr/bmc-3.1-other-key.sfr.jws", "X1 server", "3.1", ["--fw", "firmware/bmc-3.1.bin"], "2026-03-01",
        key="other-reviewer")
    fw("sfr", "create", "--vendor", "ACME", "--product", "X1 server", "--category", "server", "--repo-tag", "v3.1", "--fw-version", "3.1",
       "--fw", "firmware/bmc-3.1.bin", *audit, "--completion-date", "2026-03-01", "-o", "sfr/bmc-3.1.unsigned.json")
    fuzz_seeds()


def fuzz_seeds():
    """Seeds of lib/tests/fuzz_appraise.c: a 2-byte length, evidence, a RIM."""
    d = os.path.join(ROOT, "testdata", "fuzz", "fuzz_appraise")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    rd = lambda p: open(path(p), "rb").read()
    for name, ev, rim in [("spdm-corim", "evidence/bmc.spdm", "rim/vendor.corim"),
                          ("log-corim", "evidence/host.log", "rim/vendor.corim"),
                          ("tampered-signed", "evidence/bmc-tampered.spdm", "rim/vendor-missing-ref.signed.corim")]:
        e = rd(ev)
        with open(os.path.join(d, name), "wb") as f:
            f.write(struct.pack(">H", len(e)) + e + rd(rim))


if __name__ == "__main__":
    main()
