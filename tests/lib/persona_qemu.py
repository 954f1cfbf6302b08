"""tests/lib/persona_qemu.py - boots the Persona ISO headless in QEMU.

Used by the in-QEMU test runner and by scripts/persona-run.  The kernel
command line is passed through a tiny FAT disk holding persona.cfg, which
boot/grub.cfg sources; other files for the boot (an overlay archive) can go
on the same disk.  The kernel leaves QEMU through isa-debug-exit, so QEMU's
exit status is (code << 1) | 1; boot() decodes it back into code.
"""
import os
import shlex
import subprocess
import tempfile

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
BASE_FLAGS = ["-machine", "pc", "-no-reboot", "-display", "none",
              "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-boot", "d"]


def make_cfg_disk(path, cmdline, files=None):
    """Writes a 2 MiB FAT image with persona.cfg and the given files."""
    with open(path, "wb") as f:
        f.truncate(2 << 20)
    subprocess.run(["mformat", "-i", path, "-t", "32", "-h", "4", "-s", "32", "::"],
                   check=True, capture_output=True)
    cfg = path + ".cfg"
    with open(cfg, "w") as f:
        f.write('set persona_args="%s"\n' % cmdline.replace('"', '\\"'))
    subprocess.run(["mcopy", "-i", path, cfg, "::persona.cfg"], check=True, capture_output=True)
    for name, src in (files or {}).items():
        subprocess.run(["mcopy", "-i", path, src, "::" + name], check=True, capture_output=True)
    os.unlink(cfg)


def qemu_command(iso, disk, memory="256M", extra=None):
    cmd = [QEMU] + BASE_FLAGS + ["-m", memory, "-cdrom", iso,
                                 "-drive", "file=%s,format=raw,if=ide,index=0" % disk]
    cmd += shlex.split(os.environ.get("PERSONA_QEMU_FLAGS", ""))
    return cmd + (extra or [])


def decode_exit(rc):
    """QEMU's status after isa-debug-exit -> the kernel's code, or None."""
    if rc is not None and rc > 0 and rc & 1:
        return rc >> 1
    return None


def boot(iso, cmdline, timeout=60, memory="256M", files=None, extra=None):
    """Boots once; returns (code or None, timed_out, serial text)."""
    with tempfile.TemporaryDirectory(prefix="persona-") as tmp:
        disk = os.path.join(tmp, "cfg.img")
        log = os.path.join(tmp, "serial.log")
        make_cfg_disk(disk, cmdline, files)
        cmd = qemu_command(iso, disk, memory, extra) + ["-serial", "file:" + log]
        timed_out = False
        try:
            rc = subprocess.run(cmd, timeout=timeout, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
        except subprocess.TimeoutExpired:
            rc, timed_out = None, True
        with open(log, "rb") as f:
            text = f.read().decode("utf-8", "replace").replace("\r\n", "\n")
        return decode_exit(rc), timed_out, text
