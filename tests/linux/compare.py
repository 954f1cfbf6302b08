#!/usr/bin/env python3
"""tests/linux/compare.py CASE.sh - runs a shell script with Debian's
busybox-static on the host and on Persona's Linux personality, the same
way on both (`/bin/busybox sh case.sh`, or Debian's bash-static for a
.bash case, in a directory holding only the script, with the same
environment, its output through a pipe), and
compares the output (stdout and stderr together, then "[exit N]") byte for
byte.  Exit 0 when they match; otherwise prints a
diff.  Used by tests/run-all.py for every tests/linux/cases/*.sh, and for every
tests/linux/c/*.c program (built with musl-gcc -static, run as ./NAME).

With --root TREE (scripts/mkrootfs-debian.sh's tree) both sides run the
case with that tree's own bash and programs instead: on the host inside
it (a chroot in a mount namespace of its own, the tree bound on itself so
that its root is a mount as Persona's is, with the host's /dev, a fresh
/proc and an empty tmpfs on /tmp: the tree is never written), on
Persona with the tree as the root file system (persona-run --root).  Used
for every tests/linux/debian/*.sh.  PERSONA_COMPARE_TIMEOUT, if set, is
the seconds Persona's side may take (120, or 180 with --root, otherwise).

With --opt DIR the host side runs in a mount namespace of its own with
DIR bound on /opt, so that both sides find scripts/fetch-i386.sh's
/opt/i386 at the same path; with --shell32 as well the case's interpreter
is /opt/i386/bin's 32-bit busybox or bash and /opt/i386/bin leads PATH, on
both sides.  Used for the i386 cases (tests/linux/i386)."""
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
# and with --shell32: the 32-bit ones of /opt/i386/bin, at the same path on both sides
SHELLS32 = {".sh": ("/opt/i386/bin/busybox sh",) * 2, ".bash": ("/opt/i386/bin/bash",) * 2}
WRAP32 = "PATH=/opt/i386/bin:$PATH; export PATH; " + WRAP
I386 = {"shells": SHELLS, "wrap": WRAP}


def shells(script):
    return I386["shells"][os.path.splitext(script)[1]]


def unshare():
    """The command prefix for a mount namespace of the host's own (as root,
    or mapped to root where the user is not)."""
    return ["unshare", "--mount"] + ([] if os.getuid() == 0 else ["--map-root-user"])


def case_files(dest, script, extra):
    """The case as dest/case.sh, and the extra files beside it."""
    os.makedirs(dest, exist_ok=True)
    shutil.copy(script, os.path.join(dest, "case.sh"))
    for f in extra:
        shutil.copy(f, dest)


def run_host(script, extra, opt=None):
    with tempfile.TemporaryDirectory(prefix="persona-host-") as tmp:
        case_files(tmp, script, extra)
        cmd = I386["wrap"] % (tmp, shells(script)[0])
        prefix = []
        if opt:
            prefix, cmd = unshare(), "mount --bind %s /opt && %s" % (os.path.abspath(opt), cmd)
        r = subprocess.run(prefix + ["/bin/busybox", "sh", "-c", cmd], cwd=tmp, env=dict(ENV, PWD=tmp),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        return r.stdout, r.returncode


def run_host_root(script, extra, tree):
    """The case inside tree, as root in a mount and PID namespace of its own."""
    with tempfile.TemporaryDirectory(prefix="persona-host-") as tmp:
        case_files(tmp, script, extra)
        t = os.path.abspath(tree)
        setup = ("mount --bind {t} {t} && mount --rbind /dev {t}/dev && mount -t proc proc {t}/proc && mount -t tmpfs tmpfs {t}/tmp && "
                 "mkdir {t}{w} && cp -a {tmp}/. {t}{w}/ && exec chroot {t} /bin/bash -c '{cmd}'").format(
                     t=t, w=WORKDIR, tmp=tmp, cmd=(WRAP % (WORKDIR, "bash")).replace("'", "'\\''"))
        r = subprocess.run(unshare() + ["--pid", "--fork", "sh", "-c", setup], env=dict(ENV, PWD=WORKDIR),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        return r.stdout, r.returncode


def run_persona(script, extra, build, tree=None):
    """The case on Persona: on the initramfs with its shell, or with tree as
    the root and its bash.  persona-run's own failure (status 125) is shown."""
    with tempfile.TemporaryDirectory(prefix="persona-overlay-") as tmp:
        case_files(os.path.join(tmp, WORKDIR.lstrip("/")), script, extra)
        root, outer, shell, timeout = (["--root", tree], "/bin/bash", "bash", "180") if tree else \
            ([], "/bin/sh", shells(script)[1], "120")
        timeout = os.environ.get("PERSONA_COMPARE_TIMEOUT", timeout)  # the graders' shorter one (scripts/lab.py)
        cmd = [os.path.join(ROOT, "scripts", "persona-run")] + root + ["--overlay", tmp, "--timeout", timeout, "--",
                                                                       outer, "-c", I386["wrap"] % (WORKDIR, shell)]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, BUILD=build))
        if r.returncode == 125:
            sys.stderr.write(r.stderr.decode(errors="replace"))
        return r.stdout, r.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("script")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--file", action="append", default=[], help="also copied into the directory")
    ap.add_argument("--root", help="a Debian tree to run the case in, on both sides")
    ap.add_argument("--opt", help="the host's /opt for the case (build/i386/opt)")
    ap.add_argument("--shell32", action="store_true", help="run the case with /opt/i386/bin's busybox or bash")
    a = ap.parse_args()
    if a.shell32:
        I386.update(shells=SHELLS32, wrap=WRAP32)
    want, want_rc = run_host_root(a.script, a.file, a.root) if a.root else run_host(a.script, a.file, a.opt)
    got, got_rc = run_persona(a.script, a.file, a.build, a.root)
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
