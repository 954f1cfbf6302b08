#!/usr/bin/env python3
"""tests/tools/labs.py [--build DIR] [--lab NAME] - every graded lab's
student tree (docs/labs/README.md) builds, boots and scores below 100.

For each tests/labs/NAME.grade: `scripts/lab.py extract NAME` writes the
student tree into a temporary directory; no line of the lab's solutions
that the rest of the tree does not also hold is left in any of its files;
`make check` passes there; the tree builds (its build directory starts as a copy of DIR's, newlib and
the Debian tree hard-linked, so only the files the skeletons changed are
compiled); Persona boots from it and runs a shell command; and its
`scripts/lab.py grade NAME`, which runs the lab's tests alone, prints a
score below 100.  That the full tree scores 100 is checked by
tests/run-all.py itself, from the results of the whole suite (the lab
tests are ordinary tests of it).  Prints one line per check, and exits 1
if any failed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import lab  # noqa: E402  scripts/lab.py

# What the student tree's build starts from: links to the big, slow parts,
# copies of the rest (make may rewrite those, and must not write DIR's).
LINKED = ("newlib", "debian")
SKIPPED = ("iso", "persona.iso", "test-logs", "linux-tests", "unit", "labs")


def seed_build(build, dest_build, dest):
    """dest_build as a copy of build; the dependency files (.d) name the
    objects by their absolute path, so they are rewritten to dest's."""
    os.makedirs(dest_build)
    for name in os.listdir(build):
        src, dst = os.path.join(build, name), os.path.join(dest_build, name)
        if name in LINKED:
            subprocess.run(["cp", "-al", src, dst], check=True)
        elif name not in SKIPPED:
            subprocess.run(["cp", "-a", src, dst], check=True)
    for d, _, files in os.walk(dest_build):
        if os.path.relpath(d, dest_build).split(os.sep)[0] in LINKED:
            continue
        for f in files:
            if f.endswith(".d"):
                p = os.path.join(d, f)
                text = open(p).read()
                st = os.stat(p)
                with open(p, "w") as out:
                    out.write(text.replace(build + "/", dest_build + "/"))
                os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))


def solution_lines(labname):
    """The lines of labname's solutions that nothing else in the tree holds."""
    marked = lab.all_regions(ROOT)
    sol, rest = set(), {}
    for rel in lab.tree_files(ROOT):
        text = lab.read_text(os.path.join(ROOT, rel))
        if text is None:
            continue
        lines, inside = text.split("\n"), set()
        for r in marked.get(rel, []):
            if r["lab"] == labname:
                inside.update(range(r["solution"] + 1, r["skeleton"]))
                sol.update(lines[i].strip() for i in range(r["solution"] + 1, r["skeleton"]))
        for i, line in enumerate(lines):
            if i not in inside:
                rest[line.strip()] = True
    return {s for s in sol if len(s) >= 20 and s not in rest}


def leftovers(dest, lines):
    found = []
    for rel in lab.tree_files(dest):
        text = lab.read_text(os.path.join(dest, rel))
        if text is None:
            continue
        found += ["%s: %s" % (rel, s) for s in {line.strip() for line in text.split("\n")} & lines]
    return found


def check_lab(build, name, tmp):
    """The failures of one lab's student tree (empty: all passed)."""
    dest, t0 = os.path.join(tmp, name), time.time()
    took = lambda: "(%.0fs)" % (time.time() - t0)  # noqa: E731
    r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "lab.py"), "extract", name, dest],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        return ["make lab LAB=%s: %s" % (name, r.stdout.strip())]
    print("ok: make lab LAB=%s writes the student tree" % name, flush=True)
    left = leftovers(dest, solution_lines(name))
    if left:
        return ["LAB=%s: the student tree still holds solution lines: %s" % (name, "; ".join(left[:3]))]
    print("ok: LAB=%s: no solution line is left in it" % name, flush=True)
    r = subprocess.run([os.path.join(dest, "scripts", "check.sh")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode:
        return ["LAB=%s: make check fails in the student tree:\n%s" % (name, r.stdout[-1500:])]
    print("ok: LAB=%s: make check passes in it" % name, flush=True)
    dest_build = os.path.join(dest, "build")
    seed_build(build, dest_build, dest)
    r = subprocess.run(["make", "-s", "-C", dest, "iso", "bench-progs"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, env=dict(os.environ, MAKEFLAGS=""))
    if r.returncode:
        return ["LAB=%s: the student tree does not build:\n%s" % (name, r.stdout[-2000:])]
    print("ok: LAB=%s: the student tree builds%s" % (name, took()), flush=True)
    r = subprocess.run([os.path.join(dest, "scripts", "persona-run"), "--timeout", "60", "--", "/bin/sh", "-c",
                        "echo booted $((6 * 7))"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=dict(os.environ, BUILD=dest_build))
    if r.returncode or b"booted 42\n" not in r.stdout:
        return ["LAB=%s: the student tree does not boot to a shell: status %d, %r" %
                (name, r.returncode, r.stdout[-300:])]
    print("ok: LAB=%s: the student tree boots%s" % (name, took()), flush=True)
    r = subprocess.run([sys.executable, os.path.join(dest, "scripts", "lab.py"), "grade", name, "--build", dest_build],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    m = re.search(r"^Score: (\d+)/100$", r.stdout, re.M)
    if not m:
        return ["LAB=%s: make grade printed no score:\n%s" % (name, r.stdout[-2000:])]
    if int(m.group(1)) >= 100:
        return ["LAB=%s: the student tree scores %s/100: its tests do not need the solution" % (name, m.group(1))]
    print("ok: LAB=%s: the student tree scores %s/100 %s" % (name, m.group(1), took()), flush=True)
    return []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--lab", action="append", help="only this lab (may be repeated)")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    names = args.lab or lab.labs_declared(ROOT)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="persona-labs-") as tmp:
        r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "lab.py"), "extract", "all",
                            os.path.join(tmp, "all")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode:
            print("FAIL: make lab LAB=all: %s" % r.stdout.strip())
            failed += 1
        else:
            print("ok: make lab LAB=all writes every lab's skeletons")
            shutil.rmtree(os.path.join(tmp, "all"))
        for name in names:
            for err in check_lab(build, name, tmp):
                print("FAIL: " + err, flush=True)
                failed += 1
            shutil.rmtree(os.path.join(tmp, name), ignore_errors=True)
    print("labs: %d lab(s), %d failure(s)" % (len(names), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
