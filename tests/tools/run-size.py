#!/usr/bin/env python3
"""tests/tools/run-size.py [--build DIR] - `make run` passes the host
terminal's size on to Persona's terminal.

`make run` starts tests/tools/fake-qemu in place of QEMU, which records its
command line and boots nothing.  With make's stdin a terminal of 37 rows
and 101 columns (a pseudo-terminal), the command line must hold the SMBIOS
OEM string "linux.rows=37 linux.cols=101" (-smbios type=11), which
boot/grub.cfg puts on the kernel command line; with stdin not a terminal,
no -smbios at all.  Prints one line per check, and exits 1 if any failed.
"""
import argparse
import fcntl
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FAKE = os.path.join(HERE, "fake-qemu")


def smbios_args(build, stdin):
    """The values of -smbios on the command line `make run` gave QEMU."""
    with tempfile.TemporaryDirectory(prefix="persona-run-size-") as tmp:
        args_file = os.path.join(tmp, "args")
        env = {k: v for k, v in os.environ.items() if k not in ("PERSONA_QEMU_FLAGS", "MAKEFLAGS")}
        env.update(QEMU=FAKE, FAKE_QEMU_ARGS=args_file)
        try:
            subprocess.run(["make", "-s", "-C", ROOT, "BUILD=" + build, "run"], env=env, stdin=stdin,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        except subprocess.TimeoutExpired:
            pass
        try:
            argv = open(args_file).read().split("\n")
        except OSError:
            return None
    return [argv[i + 1] for i in range(len(argv) - 1) if argv[i] == "-smbios"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    build = os.path.abspath(ap.parse_args().build)
    failed = 0
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 37, 101, 0, 0))
    for name, stdin, want in (("stdin a 37x101 terminal", slave, ["type=11,value=linux.rows=37 linux.cols=101"]),
                              ("stdin not a terminal", subprocess.DEVNULL, [])):
        got = smbios_args(build, stdin)
        if got is None:
            line = "FAIL: make run, %s: QEMU was not started" % name
        elif got != want:
            line = "FAIL: make run, %s: -smbios %s, want %s" % (name, got, want)
        else:
            line = "ok: make run, %s: -smbios %s" % (name, want)
        print(line)
        failed += line.startswith("FAIL")
    os.close(master)
    os.close(slave)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
