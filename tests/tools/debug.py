#!/usr/bin/env python3
"""tests/tools/debug.py [--build DIR] - `make debug`'s gdb session, scripted.

Runs scripts/persona-debug (what `make debug` runs) with a kernel command
line whose shell asks for its pid and then sleeps, and gdb in batch mode:
`break sys_getpid` must be accepted (the Linux server's symbols are
loaded) and the first stop must be in sys_getpid of build/boot/linux.elf,
called from the server's main loop.  gdb then detaches, which leaves the
guest running: QEMU must be gone when persona-debug returns.  Prints one
line per check, and exits 1 if any failed.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

GDB_SCRIPT = """\
shell echo $PERSONA_QEMU_PID > %(pidfile)s
break sys_getpid
continue
info symbol $pc
bt
detach
"""


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    build = os.path.abspath(ap.parse_args().build)
    lines = []
    with tempfile.TemporaryDirectory(prefix="persona-debug-test-") as tmp:
        pidfile, script = os.path.join(tmp, "qemu.pid"), os.path.join(tmp, "session.gdb")
        with open(script, "w") as f:
            f.write(GDB_SCRIPT % {"pidfile": pidfile})
        t0 = time.time()
        try:
            r = subprocess.run([os.path.join(ROOT, "scripts", "persona-debug"), "--cmdline",
                                "quiet -- /bin/sh -c 'echo pid $$; exec sleep 600'", "--", "-batch", "-x", script],
                               env=dict(os.environ, BUILD=build), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=90)
            out = r.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") + "\n(timed out after 90 s)"
        secs = time.time() - t0
        print("\n".join("     | " + line for line in out.splitlines()))
        pid = int(open(pidfile).read()) if os.path.exists(pidfile) and open(pidfile).read().strip() else None
    elf = os.path.join(build, "boot", "linux.elf")
    checks = [("gdb takes a breakpoint on the Linux server's sys_getpid",
               re.search(r"^Breakpoint 1 at 0x[0-9a-f]+: file personalities/linux/\w+\.[ch]", out, re.M)),
              ("the first stop is in sys_getpid", re.search(r"^Breakpoint 1, sys_getpid \(", out, re.M)),
              ("the stop is in linux.elf's text", re.search(r"^(sys|entry)_getpid( \+ \d+)? in section \.text of %s$" % re.escape(elf),
                                                            out, re.M)),
              ("called from the server's main loop", re.search(r"^#\d+ .*main \(.*personalities/linux/main\.c", out,
                                                               re.M)),
              ("QEMU ran while gdb did", pid is not None),
              ("QEMU is gone once gdb is (%.1fs)" % secs, pid is not None and not alive(pid))]
    for name, ok in checks:
        lines.append(("ok: " if ok else "FAIL: ") + name)
    print("\n".join(lines))
    return 1 if any(line.startswith("FAIL") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
