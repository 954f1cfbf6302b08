"""tests/lib/persona_qemu.py - boots the Persona ISO headless in QEMU.

Used by the in-QEMU test runner and by scripts/persona-run.  The kernel
command line is passed through a tiny FAT disk holding persona.cfg, which
boot/grub.cfg sources; other small files for the boot can go on the same
disk.  A large one (an overlay archive) goes on a data disk of its own,
which GRUB reads with its AHCI driver (see data_disk_flags).  The kernel
leaves QEMU through isa-debug-exit, so QEMU's exit status is
(code << 1) | 1; boot() decodes it back into code.

QEMU's accelerator is the environment's ACCEL (tcg unless set; `make`
exports its own ACCEL), unless PERSONA_QEMU_FLAGS names one itself.
"""
import os
import re
import select
import shlex
import subprocess
import tempfile
import time

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
BASE_FLAGS = ["-machine", "pc", "-no-reboot", "-display", "none",
              "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-boot", "d"]


# GRUB's name for the data disk once its AHCI driver has taken the controller.
DATA_DISK = "(ahci0)"


def grub_entry(cmdline, modules):
    """persona.cfg text: the command line, and with modules (lines of
    "PATH ARGS" on the ISO, the configuration disk or the data disk) a menu
    entry of its own that grub.cfg's default entry comes after.  Loading
    GRUB's AHCI driver ends its use of the BIOS disks, so the data disk's
    modules come last, after it."""
    text = 'set persona_args="%s"\n' % cmdline.replace('"', '\\"')
    if modules:
        late = [m for m in modules if m.startswith(DATA_DISK)]
        text += 'menuentry "Persona (test)" {\n    multiboot2 /boot/persona.elf $persona_args\n'
        text += "".join("    module2 %s\n" % m for m in modules if m not in late)
        text += "    insmod ahci\n" if late else ""
        text += "".join("    module2 --nounzip %s\n" % m for m in late)
        text += "    boot\n}\n"
    return text


def write_cpio(srcs, out):
    """The directories srcs' trees as one cpio "newc" archive, in name
    order, files owned by root; where two hold the same name, the later
    directory's entry (the Linux server's initramfs.c unpacks it)."""
    entries = {}
    for src in srcs:
        for top, dirs, files in os.walk(src):
            for name in dirs + files:
                path = os.path.join(top, name)
                entries[os.path.relpath(path, src)] = path
    with open(out, "wb") as f:
        for ino, name in enumerate(sorted(entries, key=os.fsencode), 1):
            path = entries[name]
            st = os.lstat(path)
            data = os.readlink(path).encode() if os.path.islink(path) else \
                open(path, "rb").read() if os.path.isfile(path) else b""
            write_cpio_entry(f, ino, name, st.st_mode, int(st.st_mtime), data)
        write_cpio_entry(f, 0, "TRAILER!!!", 0, 0, b"")


def write_cpio_entry(f, ino, name, mode, mtime, data, rdev=(0, 0)):
    """One newc entry: the header's 13 numbers, the name, the data, each
    padded to 4 bytes; rdev, a device node's (major, minor)."""
    bname = os.fsencode(name) + b"\0"
    fields = (ino, mode, 0, 0, 1, mtime, len(data), 0, 0, rdev[0], rdev[1], len(bname), 0)
    head = b"070701" + b"".join(b"%08X" % v for v in fields) + bname
    f.write(head + b"\0" * (-len(head) % 4) + data + b"\0" * (-len(data) % 4))


def data_disk(parts, out):
    """Writes the data disk out holding each (path, words) of parts, one
    after another, each padded to whole sectors (which its module keeps);
    returns their module lines "BLOCKLIST WORDS" for grub_entry."""
    lines, at = [], 0
    with open(out, "wb") as f:
        for path, words in parts:
            with open(path, "rb") as src:
                size = 0
                while chunk := src.read(1 << 20):
                    f.write(chunk)
                    size += len(chunk)
            sectors = max(1, (size + 511) // 512)
            f.write(b"\0" * (sectors * 512 - size))
            lines.append("%s%d+%d %s" % (DATA_DISK, at, sectors, words))
            at += sectors
    return lines


def data_disk_flags(path):
    """QEMU flags attaching the data disk to an AHCI controller.  GRUB reads
    it by DMA with its own driver, at tens of MB/s under TCG, where BIOS
    reads of an IDE disk manage about 5."""
    return ["-device", "ahci,id=persona-ahci", "-drive", "if=none,id=persona-data,format=raw,file=" + path,
            "-device", "ide-hd,drive=persona-data,bus=persona-ahci.0"]


class SetupError(Exception):
    """A tool that preparing a boot needs failed; the message is one line."""


def run_tool(argv, **kwargs):
    """subprocess.run(argv, check=True, capture_output=True), whose failure
    is a SetupError naming the tool and its last line of complaint."""
    try:
        return subprocess.run(argv, check=True, capture_output=True, **kwargs)
    except FileNotFoundError:
        raise SetupError("%s is not installed" % argv[0]) from None
    except subprocess.CalledProcessError as e:
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr or ""
        lines = err.strip().splitlines()
        raise SetupError("%s failed: %s" % (argv[0], lines[-1] if lines else "status %d" % e.returncode)) from None


def make_cfg_disk(path, cmdline, files=None, modules=None):
    """Writes a 2 MiB FAT image with persona.cfg and the given files."""
    with open(path, "wb") as f:
        f.truncate(2 << 20)
    run_tool(["mformat", "-i", path, "-t", "32", "-h", "4", "-s", "32", "::"])
    cfg = path + ".cfg"
    with open(cfg, "w") as f:
        f.write(grub_entry(cmdline, modules))
    run_tool(["mcopy", "-i", path, cfg, "::persona.cfg"])
    for name, src in (files or {}).items():
        run_tool(["mcopy", "-i", path, src, "::" + name])
    os.unlink(cfg)


def qemu_command(iso, disk, memory="256M", extra=None):
    """QEMU booting iso, with the configuration disk unless disk is None."""
    flags = shlex.split(os.environ.get("PERSONA_QEMU_FLAGS", ""))
    accel = [] if "-accel" in flags else ["-accel", os.environ.get("ACCEL") or "tcg"]
    cmd = [QEMU] + BASE_FLAGS + accel + ["-m", memory, "-cdrom", iso]
    cmd += ["-drive", "file=%s,format=raw,if=ide,index=0" % disk] if disk else []
    return cmd + flags + (extra or [])


def decode_exit(rc):
    """QEMU's status after isa-debug-exit -> the kernel's code, or None."""
    if rc is not None and rc > 0 and rc & 1:
        return rc >> 1
    return None


def boot(iso, cmdline, timeout=60, memory="256M", files=None, extra=None, modules=None, script=None, settle=0.0):
    """Boots once; returns (code or None, timed_out, serial text).  script is
    a list of (regex, text): when the serial output so far matches regex
    (multi-line), and no output has come for settle seconds (a person
    types once the screen is still), text is typed on the serial line;
    steps go in order.  What QEMU says on stderr (an accelerator it cannot
    use, say) ends the text, each line prefixed "qemu: "."""
    with tempfile.TemporaryDirectory(prefix="persona-") as tmp:
        disk = os.path.join(tmp, "cfg.img")
        make_cfg_disk(disk, cmdline, files, modules)
        cmd = qemu_command(iso, disk, memory, extra) + ["-serial", "stdio"]
        errors = open(os.path.join(tmp, "qemu.err"), "w+")
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
        out = bytearray()
        steps = list(script or [])
        deadline = time.time() + timeout
        timed_out = False
        last_output = time.time()
        os.set_blocking(proc.stdout.fileno(), False)
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], 0.1)
            if ready:
                chunk = proc.stdout.read()
                if not chunk:
                    break
                out += chunk
                last_output = time.time()
            while (steps and time.time() - last_output >= settle and
                   re.search(steps[0][0], out.decode("utf-8", "replace").replace("\r\n", "\n"), re.M)):
                proc.stdin.write(steps.pop(0)[1].encode())
                proc.stdin.flush()
            if time.time() > deadline:
                timed_out = True
                proc.kill()
                break
        rc = proc.wait()
        text = out.decode("utf-8", "replace").replace("\r\n", "\n")
        errors.seek(0)
        text += "".join("\nqemu: " + line for line in errors.read().splitlines())
        errors.close()
        return (None if timed_out else decode_exit(rc)), timed_out, text
