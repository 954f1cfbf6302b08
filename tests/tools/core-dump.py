#!/usr/bin/env python3
"""tests/tools/core-dump.py [--build DIR] - a Linux program that crashes on
Persona leaves an ELF core file that the host's gdb reads: the backtrace
names the functions it died in, and the registers and a variable are the
program's.

A static program (musl-gcc -static -g) calls main -> middle -> crash_here,
which writes through a null pointer.  Inside Persona, under busybox sh:
with `ulimit -c 0` it dies with no core file (status 139, no core bit);
with `ulimit -c unlimited` its status is 139 with the core bit (the shell
prints it as 139 too; the C program prints WCOREDUMP) and ./core appears;
a core file with PR_SET_DUMPABLE 0 is not written.  The core comes back
through base64 on stdout, and `gdb -batch` on the host must show
crash_here, middle and main in its backtrace, SIGSEGV as the signal, and
the global `marker` with the value the program set.  Prints one line per
check, and exits 1 if any failed.
"""
import argparse
import base64
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RUN = os.path.join(ROOT, "scripts", "persona-run")

PROGRAM = r"""
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

volatile long marker;

__attribute__((noinline)) void crash_here(int *p) { *p = 42; }
__attribute__((noinline)) void middle(int depth) { crash_here(depth > 100 ? (int *)&marker : NULL); }

int main(int argc, char **argv)
{
    marker = 0x5eed1234;
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        if (argc > 2)
            prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        middle(argc);
        return 0;
    }
    /* the parent: how the child died */
    pid_t pid = fork();
    if (pid == 0) {
        execl(argv[0], argv[0], "child", argc > 1 ? argv[1] : NULL, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("signal %d core %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0, WIFSIGNALED(st) && WCOREDUMP(st));
    return 0;
}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        src, overlay = os.path.join(tmp, "crash.c"), os.path.join(tmp, "root")
        os.makedirs(os.path.join(overlay, "opt"))
        exe = os.path.join(overlay, "opt", "crash")
        with open(src, "w") as f:
            f.write(PROGRAM)
        subprocess.run(["musl-gcc", "-static", "-g", "-O1", "-o", exe, src], check=True)
        script = ("cd /tmp; ulimit -c 0; /opt/crash; ls core 2>&1; ulimit -c unlimited; /opt/crash nodump; "
                  "ls core 2>&1; /opt/crash; ls core; echo ---; gzip -c core | base64")
        r = subprocess.run([RUN, "--timeout", "120", "--overlay", overlay, "--", "/bin/sh", "-c", script],
                           env=dict(os.environ, BUILD=build), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        out = r.stdout.decode(errors="replace")
        head, _, b64 = out.partition("---\n")
        want = ("signal 11 core 0\nls: core: No such file or directory\n"
                "signal 11 core 0\nls: core: No such file or directory\n"
                "signal 11 core 1\ncore\n")
        if head != want:
            print("FAIL: the statuses and files: got %r, want %r (stderr %r)" % (head, want, r.stderr[-300:]))
            return 1
        print("ok: no core with ulimit -c 0 or PR_SET_DUMPABLE 0; with unlimited, WCOREDUMP and ./core")
        core = os.path.join(tmp, "core")
        with open(core, "wb") as f:
            f.write(gzip.decompress(base64.b64decode(b64)))
        with open(core, "rb") as f:
            hdr = f.read(20)
        if hdr[:4] != b"\x7fELF" or hdr[16] != 4:
            print("FAIL: core is not an ELF core file: %r" % hdr)
            return 1
        print("ok: core is an ELF core file of %d bytes" % os.path.getsize(core))
        if not shutil.which("gdb"):
            print("FAIL: no gdb on the host")
            return 1
        g = subprocess.run(["gdb", "-nx", "-batch", "-ex", "bt", "-ex", "print/x marker", "-ex", "info registers rip",
                            exe, core], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        bt = g.stdout
        checks = [("the signal", r"Program terminated with signal SIGSEGV"),
                  ("crash_here at the top", r"#0 .*crash_here"),
                  ("middle below it", r"#1 .*middle"),
                  ("then main", r"#2 .*main"),
                  ("the global's value", r"\$1 = 0x5eed1234"),
                  ("rip in crash_here", r"rip .*<crash_here")]
        for what, pat in checks:
            if re.search(pat, bt):
                print("ok: gdb shows %s" % what)
            else:
                print("FAIL: gdb does not show %s (%s)" % (what, pat))
                failed += 1
        if failed:
            print(bt)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
