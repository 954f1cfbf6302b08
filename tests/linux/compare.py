#!/usr/bin/env python3
"""tests/linux/compare.py CASE.sh - runs a shell script with Debian's
busybox-static on the host and on Persona's Linux personality, the same
way on both (`/bin/busybox sh case.sh`, or Debian's bash-static for a
.bash case, in a directory holding only the script, with the same
environment, its output through a pipe), and
compares the output (stdout and stderr together, then "[exit N]") byte for
byte.  Exit 0 when they match; otherwise prints a
diff.  Used by tests/run-all.py for every tests/linux/cases/*.sh, and for every
tests/linux/c/*.c program (built with musl-gcc -static, run as ./NAME)."""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = {"HOME": "/", "PATH": "/sbin:/usr/sbin:/bin:/usr/bin", "TERM": "vt100", "SHELL": "/bin/sh",
       "USER": "root", "LOGNAME": "root"}
WORKDIR = "/tmp/w"
WRAP = 'cd %s && { %s case.sh; echo "[exit $?]"; } 2>&1 | cat'
# The interpreter by the case's extension: (on the host, on Persona).
SHELLS = {".sh": ("/bin/busybox sh", "/bin/busybox sh"), ".bash": ("/bin/bash-static", "/bin/bash")}


def shells(script):
    return SHELLS[os.path.splitext(script)[1]]


def run_host(script, extra):
    with tempfile.TemporaryDirectory(prefix="persona-host-") as tmp:
        shutil.copy(script, os.path.join(tmp, "case.sh"))
        for f in extra:
            shutil.copy(f, tmp)
        r = subprocess.run(["/bin/busybox", "sh", "-c", WRAP % (tmp, shells(script)[0])], cwd=tmp, env=dict(ENV, PWD=tmp),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        return r.stdout, r.returncode


def run_persona(script, extra, build):
    with tempfile.TemporaryDirectory(prefix="persona-overlay-") as tmp:
        os.makedirs(os.path.join(tmp, WORKDIR.lstrip("/")))
        shutil.copy(script, os.path.join(tmp, WORKDIR.lstrip("/"), "case.sh"))
        for f in extra:
            shutil.copy(f, os.path.join(tmp, WORKDIR.lstrip("/")))
        cmd = [os.path.join(ROOT, "scripts", "persona-run"), "--overlay", tmp, "--timeout", "120", "--",
               "/bin/sh", "-c", WRAP % (WORKDIR, shells(script)[1])]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ, BUILD=build))
        return r.stdout, r.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("script")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--file", action="append", default=[], help="also copied into the directory")
    a = ap.parse_args()
    want, want_rc = run_host(a.script, a.file)
    got, got_rc = run_persona(a.script, a.file, a.build)
    if want == got and want_rc == got_rc:
        return 0
    diff = difflib.unified_diff(want.decode(errors="replace").splitlines(), got.decode(errors="replace").splitlines(),
                                "host", "persona", lineterm="")
    print("\n".join(diff))
    if want_rc != got_rc:
        print("exit status: host %d, persona %d" % (want_rc, got_rc))
    return 1


if __name__ == "__main__":
    sys.exit(main())
