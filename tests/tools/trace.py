#!/usr/bin/env python3
"""tests/tools/trace.py [--build DIR] - the tracer (persona-run --trace,
linux.trace=SPEC), against the host's strace.

The same static busybox runs the same commands on Persona, traced, and on
the host under `strace -f`:
  - the calls after execve come in the same order, by name;
  - every openat, read, write, sendfile, close and exit_group line reads
    exactly as strace's (strings, flags, errors), once the cost is cut;
  - every line has a cost whose kernel, server and wait parts add up;
  - the whole trace of a cat is a few dozen lines;
  - filters: by call (openat,close), by process (pid=1, and with follow
    its children too), and a summary table (summary,quiet) whose counts
    are strace's (with a row for page faults, which strace cannot see);
  - a CPU exception shows as one, and the process's end as strace's.
Prints one line per check, and exits 1 if any failed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RUN = os.path.join(ROOT, "scripts", "persona-run")
BUSYBOX = "/bin/busybox"
SAME = {"openat", "read", "write", "sendfile", "close", "exit_group"}
COST = re.compile(r" <(\d+) ticks: kernel (\d+), server (\d+), wait (\d+)>$")


def persona(build, overlay, spec, cmd):
    """The trace lines (stderr) of cmd run traced with spec."""
    r = subprocess.run([RUN, "--timeout", "120", "--overlay", overlay, "--trace=" + spec, "--"] + cmd,
                       env=dict(os.environ, BUILD=build), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, errors="replace")
    return r.returncode, [line for line in r.stderr.splitlines() if line.startswith("[pid ") or "total" in line
                          or re.match(r"^ *\d+\.\d\d ", line)]


def host(tmp, cmd):
    """strace -f's lines after execve, each without its pid."""
    log = os.path.join(tmp, "strace.txt")
    subprocess.run(["strace", "-f", "-o", log] + cmd, cwd=tmp, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(log) as f:
        lines = [re.sub(r"^\d+ +", "", line.rstrip("\n")) for line in f]
    lines = lines[next(i for i, line in enumerate(lines) if line.startswith("execve(")) + 1:]
    return [re.sub(r"\)\s+= ", ") = ", line) for line in lines]


def plain(line):
    """A Persona trace line without its "[pid N] " and its cost."""
    return COST.sub("", re.sub(r"^\[pid \d+\] ", "", line))


def name(line):
    m = re.match(r"([a-z_0-9]+)\(", line)
    return m.group(1) if m else None


def check(results, ok, what, detail=""):
    results.append(("ok: " if ok else "FAIL: ") + what + ("" if ok else ": " + detail))


def same_as_strace(results, build, tmp, cmd, limit=None):
    rc, mine = persona(build, tmp, "all", ["/bin/busybox"] + cmd)
    theirs = host(tmp, [BUSYBOX] + cmd)
    words = " ".join(cmd)
    calls = [plain(line) for line in mine if COST.search(line)]
    check(results, calls and all(int(m.group(1)) == sum(int(x) for x in m.groups()[1:])
                                 for m in (COST.search(line) for line in mine if COST.search(line))),
          "%s: every line has a cost in ticks, kernel + server + wait" % words, "\n".join(mine[:5]))
    mine_names = [name(c) for c in calls if name(c)]
    their_names = [name(c) for c in theirs if name(c)]
    check(results, mine_names == their_names, "%s: the same calls in the same order as strace -f" % words,
          "Persona %s, strace %s" % (mine_names, their_names))
    a = [c for c in calls if name(c) in SAME]
    b = [c for c in theirs if name(c) in SAME]
    check(results, a == b, "%s: %s lines read as strace's" % (words, ", ".join(sorted(SAME))),
          "\n  Persona: %s\n  strace:  %s" % ("\n           ".join(a), "\n           ".join(b)))
    ends = [plain(line) for line in mine if "+++" in line]
    want = [line for line in theirs if line.startswith("+++")]
    check(results, ends == want, "%s: the end reads as strace's (%s)" % (words, want), str(ends))
    if limit:
        check(results, len(mine) <= limit, "%s: %d trace lines (at most %d)" % (words, len(mine), limit),
              "\n".join(mine))
    return rc, mine, theirs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    a = ap.parse_args()
    if not shutil.which("strace"):
        print("FAIL: no strace on the host (scripts/install-deps.sh installs it)")
        return 1
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "data"))
        with open(os.path.join(tmp, "data", "hello.txt"), "w") as f:
            f.write("hello, strace\n")
        _, _, theirs = same_as_strace(results, a.build, tmp, ["cat", "data/hello.txt", "missing"], limit=40)
        same_as_strace(results, a.build, tmp, ["head", "-c", "5", "data/hello.txt"])

        _, lines = persona(a.build, tmp, "openat,close", ["/bin/busybox", "cat", "data/hello.txt"])
        names = [name(plain(line)) for line in lines if COST.search(line)]
        check(results, names == ["openat", "close"], "openat,close: only those calls", str(lines))

        _, lines = persona(a.build, tmp, "summary,quiet", ["/bin/busybox", "cat", "data/hello.txt", "missing"])
        rows = {line.split()[-1]: line.split() for line in lines if re.match(r"^ *\d+\.\d\d ", line)}
        counts = {}
        for n in (name(line) for line in theirs if name(line)):
            counts[n] = counts.get(n, 0) + 1
        got = {n: int(r[6]) for n, r in rows.items() if n not in ("total", "#PF")}
        check(results, not any(COST.search(line) for line in lines) and got == counts,
              "summary,quiet: a table, no lines, and strace's counts per call (%d calls; and %s page faults)" % (
                  sum(counts.values()), rows.get("#PF", ["?"] * 7)[6]),
              "table %s, strace %s" % (got, counts))
        errors = int(rows.get("openat", [0] * 8)[7]) if "openat" in rows else -1
        check(results, errors == 1, "summary: the failed openat is counted as an error", str(rows.get("openat")))

        script = ["/bin/sh", "-c", "cat data/hello.txt; echo done"]
        _, lines = persona(a.build, tmp, "pid=1", script)
        check(results, lines and all(line.startswith("[pid 1] ") for line in lines) and
              not any("data/hello.txt\", O_RDONLY" in line for line in lines),
              "pid=1: the shell's calls only", "\n".join(lines[-5:]))
        _, lines = persona(a.build, tmp, "pid=1,follow,openat,execve", script)
        child = [line for line in lines if "openat(AT_FDCWD, \"data/hello.txt\", O_RDONLY) = 3" in line]
        check(results, child and not child[0].startswith("[pid 1] "), "pid=1,follow: its child's calls too",
              "\n".join(lines))

        src = os.path.join(tmp, "fault.c")
        with open(src, "w") as f:
            f.write("int main(void) { *(volatile int *)8 = 1; return 0; }\n")
        os.makedirs(os.path.join(tmp, "bin"))
        subprocess.run(["musl-gcc", "-static", "-O1", "-o", os.path.join(tmp, "bin", "fault"), src], check=True)
        rc, lines = persona(a.build, tmp, "all", ["/bin/fault"])
        pf = [line for line in lines if "--- #PF write at 0x8 (not present)" in line]
        check(results, rc == 139 and pf and lines[-1] == "[pid 1] +++ killed by SIGSEGV +++",
              "a write to 0x8: a #PF line, then +++ killed by SIGSEGV +++", "status %d\n%s" % (rc, "\n".join(lines[-4:])))
    for line in results:
        print(line)
    return 1 if any(line.startswith("FAIL") for line in results) else 0


if __name__ == "__main__":
    sys.exit(main())
