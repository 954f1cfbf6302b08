#!/usr/bin/env python3
"""scripts/lab.py - the graded labs (docs/labs/README.md): a student's tree
from the full one, and a lab's score.

    lab.py extract LAB DEST      the tree with LAB's solutions replaced by
                                 its skeletons (LAB "all": every lab's)
    lab.py grade LAB [--build B] runs the tests tests/labs/LAB.grade names,
                                 prints each one's points and the total
    lab.py list                  the labs (one tests/labs/NAME.grade each)
    lab.py check                 every marked region in the tree parses

A lab's regions are marked in the source.  In C, assembly, headers and
syscalls.def:

    /* LAB(name): solution */
    ...the solution, compiled in the full tree...
    /* LAB(name): skeleton
    ...the skeleton, a comment in the full tree...
    LAB(name): end */

and in Python, shell and Makefiles the same three marker lines with "# "
in front of "LAB", each skeleton line commented out with "# " after the
marker's indentation.  Extraction drops the solution and the markers and
keeps the skeleton as code.  A marker out of place (a region not closed, a
skeleton without a solution before it, "*/" inside a C skeleton) stops
the tool with the file and line.

Grading: each line of tests/labs/NAME.grade is "POINTS REGEX", REGEX a
test name pattern as tests/run-all.py --only takes; the points are won
when every test the pattern selects passes (and it selects at least one).
All the patterns run in one tests/run-all.py; a failure's log tail (the
diff of what was expected and what came, or the serial log) is shown under
it, and every test has a timeout there, so a hang is a failure."""
import argparse
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = r"([A-Za-z0-9_-]+)"
C_SOLUTION = re.compile(r"^\s*/\* LAB\(%s\): solution \*/\s*$" % NAME)
C_SKELETON = re.compile(r"^\s*/\* LAB\(%s\): skeleton\s*$" % NAME)
C_END = re.compile(r"^\s*LAB\(%s\): end \*/\s*$" % NAME)
H_MARK = re.compile(r"^(\s*)# LAB\(%s\): (solution|skeleton|end)\s*$" % NAME)
ANY_MARK = re.compile(r"LAB\(%s\): (solution|skeleton|end)" % NAME)
# Files never rewritten: this tool and its checks speak of the markers.
SKIP = {"scripts/lab.py", "tests/tools/labs.py"}
# The files that may hold regions: sources, scripts and build files (the
# handouts and the book, which show the markers, are not read for them).
SOURCE = re.compile(r"(\.(c|h|S|def|ld|lds|py|sh|bash|mk|grade)|(^|/)Makefile)$")


# The book's pages generated from a source a lab may change, and how:
# remade in the student tree, so that they describe its skeletons (and
# `make check` there finds them current).
GENERATED = {
    "personalities/linux/syscalls.def": ["scripts/gen-linux-table.py", "--doc", "docs/linux-syscalls.md"],
    "kernel/uapi/persona/syscalls.def": ["scripts/gen-abi.py", "--doc", "docs/abi.md"],
}


class MarkerError(Exception):
    pass


def marker(line):
    """(style, kind, lab, indent) of a marker line, or None."""
    m = C_SOLUTION.match(line)
    if m:
        return "c", "solution", m.group(1), ""
    m = C_SKELETON.match(line)
    if m:
        return "c", "skeleton", m.group(1), ""
    m = C_END.match(line)
    if m:
        return "c", "end", m.group(1), ""
    m = H_MARK.match(line)
    if m:
        return "hash", m.group(3), m.group(2), m.group(1)
    return None


def regions(path, lines):
    """Every marked region of a file, in order: dicts of lab, style, and
    the line indexes solution (marker), skeleton (marker) and end."""
    out, cur = [], None
    for i, line in enumerate(lines):
        mk = marker(line)
        where = "%s:%d" % (path, i + 1)
        if mk is None:
            if ANY_MARK.search(line):
                raise MarkerError("%s: malformed lab marker: %s" % (where, line.strip()))
            if cur and cur["skeleton"] is not None and cur["style"] == "c" and "*/" in line:
                raise MarkerError("%s: '*/' inside LAB(%s)'s skeleton" % (where, cur["lab"]))
            if cur and cur["skeleton"] is not None and cur["style"] == "hash":
                body = line[len(cur["indent"]):] if line.startswith(cur["indent"]) else None
                if body is None or not (body.startswith("# ") or body.rstrip() == "#"):
                    raise MarkerError("%s: LAB(%s)'s skeleton line is not commented out with '# '" %
                                      (where, cur["lab"]))
            continue
        style, kind, lab, indent = mk
        if kind == "solution":
            if cur:
                raise MarkerError("%s: LAB(%s) solution inside LAB(%s)'s region (opened at line %d)" %
                                  (where, lab, cur["lab"], cur["solution"] + 1))
            cur = {"lab": lab, "style": style, "indent": indent, "solution": i, "skeleton": None}
            continue
        if not cur:
            raise MarkerError("%s: LAB(%s) %s without a solution marker before it" % (where, lab, kind))
        if lab != cur["lab"] or style != cur["style"]:
            raise MarkerError("%s: LAB(%s) %s in LAB(%s)'s region (opened at line %d)" %
                              (where, lab, kind, cur["lab"], cur["solution"] + 1))
        if kind == "skeleton":
            if cur["skeleton"] is not None:
                raise MarkerError("%s: a second skeleton marker for LAB(%s)" % (where, lab))
            cur["skeleton"] = i
        else:
            if cur["skeleton"] is None:
                raise MarkerError("%s: LAB(%s) end without a skeleton marker" % (where, lab))
            cur["end"] = i
            out.append(cur)
            cur = None
    if cur:
        raise MarkerError("%s: LAB(%s)'s region (opened at line %d) is not closed" %
                          (path, cur["lab"], cur["solution"] + 1))
    return out


def skeleton_line(region, line):
    if region["style"] == "c":
        return line
    body = line[len(region["indent"]):]
    return region["indent"] + body[2:] if body.startswith("# ") else ""


def rewrite(path, text, labs):
    """The text with the regions of labs (a set, or None for all) turned
    into their skeletons; None when the file has none of theirs."""
    lines = text.split("\n")
    found = [r for r in regions(path, lines) if labs is None or r["lab"] in labs]
    if not found:
        return None
    out, pos = [], 0
    for r in found:
        out += lines[pos:r["solution"]]
        out += [skeleton_line(r, line) for line in lines[r["skeleton"] + 1:r["end"]]]
        pos = r["end"] + 1
    out += lines[pos:]
    return "\n".join(out)


def tree_files(src):
    """The tree's own files, relative to src: git's list when src is a
    checkout (so a build directory or stray files never go along), else
    every file outside build/."""
    r = subprocess.run(["git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if r.returncode == 0 and r.stdout:
        return sorted({f for f in r.stdout.decode().split("\0")
                       if f and os.path.isfile(os.path.join(src, f))})
    files = []
    for d, dirs, names in os.walk(src):
        rel = os.path.relpath(d, src)
        dirs[:] = [x for x in dirs if not (rel == "." and x in ("build", ".git"))]
        files += [os.path.normpath(os.path.join(rel, n)) for n in names]
    return sorted(files)


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (UnicodeDecodeError, OSError):
        return None


def all_regions(src):
    """{relative path: regions} for every file of the tree with markers."""
    found = {}
    for rel in tree_files(src):
        if rel in SKIP or not SOURCE.search(rel):
            continue
        text = read_text(os.path.join(src, rel))
        if text is None or "LAB(" not in text:
            continue
        rs = regions(rel, text.split("\n"))
        if rs:
            found[rel] = rs
    return found


def labs_declared(src):
    d = os.path.join(src, "tests", "labs")
    return sorted(f[:-6] for f in os.listdir(d) if f.endswith(".grade")) if os.path.isdir(d) else []


def extract(src, lab, dest):
    known = labs_declared(src)
    if lab != "all" and lab not in known:
        raise MarkerError("no lab %r (tests/labs has: %s)" % (lab, ", ".join(known) or "none"))
    labs = None if lab == "all" else {lab}
    marked = all_regions(src)  # every file parses before anything is written
    if os.path.exists(dest) and os.listdir(dest):
        raise MarkerError("%s exists and is not empty" % dest)
    if os.path.realpath(dest).startswith(os.path.realpath(src) + os.sep) and \
            not os.path.realpath(dest).startswith(os.path.realpath(os.path.join(src, "build")) + os.sep):
        raise MarkerError("%s is inside the source tree" % dest)
    changed = []
    for rel in tree_files(src):
        s, d = os.path.join(src, rel), os.path.join(dest, rel)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        new = rewrite(rel, read_text(s), labs) if rel in marked else None
        if new is None:
            shutil.copy2(s, d)  # the times kept: a build copied along stays current for it
            continue
        with open(d, "w", encoding="utf-8") as f:
            f.write(new)
        shutil.copymode(s, d)
        changed.append(rel)
    for rel in changed:
        if rel in GENERATED:
            subprocess.run([sys.executable] + GENERATED[rel], cwd=dest, check=True, stdout=subprocess.DEVNULL)
    print("lab %s: %s written, %d file(s) with skeletons" % (lab, dest, len(changed)))


def read_grade(src, lab):
    path = os.path.join(src, "tests", "labs", lab + ".grade")
    if not os.path.exists(path):
        raise MarkerError("no lab %r (tests/labs has: %s)" % (lab, ", ".join(labs_declared(src)) or "none"))
    items = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if not line:
                continue
            pts, _, regex = line.partition(" ")
            if not pts.isdigit() or not regex.strip():
                raise MarkerError("%s:%d: want 'POINTS REGEX'" % (path, n))
            items.append((int(pts), regex.strip()))
    if sum(p for p, _ in items) != 100:
        raise MarkerError("%s: the points add up to %d, not 100" % (path, sum(p for p, _ in items)))
    return items


def item_won(pts, regex, results):
    """(the points won, the names the regex selects) of one line of a
    .grade file, from results: test name -> passed."""
    names = [n for n in results if re.search(regex, n)]
    return (pts if names and all(results[n] for n in names) else 0), names


def score(items, results):
    """(points won, [the regexes that lost theirs]) of a lab's items."""
    won = [(item_won(pts, regex, results)[0], regex) for pts, regex in items]
    return sum(w for w, _ in won), [regex for w, regex in won if not w]


RESULT = re.compile(r"^(ok  |FAIL) (\S+)")


def grade(src, lab, build):
    """Runs the lab's tests; prints the points of each and the total.
    Returns the score."""
    items = read_grade(src, lab)
    only = "|".join("(?:%s)" % r for _, r in items)
    cmd = [sys.executable, os.path.join(src, "tests", "run-all.py"), "--build", build, "--no-unit", "--only", only]
    print("== lab %s: %s" % (lab, " ".join(cmd[1:])), flush=True)
    # a lab test that hangs costs a minute, not compare.py's two
    env = dict(os.environ, PERSONA_COMPARE_TIMEOUT=os.environ.get("PERSONA_COMPARE_TIMEOUT", "60"))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    results = {}
    for line in proc.stdout:
        sys.stdout.write(line)
        m = RESULT.match(line)
        if m:
            results[m.group(2)] = m.group(1) == "ok  "
    proc.wait()
    total = 0
    print("== lab %s: score" % lab)
    for pts, regex in items:
        won, names = item_won(pts, regex, results)
        total += won
        what = ", ".join(n for n in names if not results[n]) if names else "no test matches"
        print("  %3d/%-3d %s%s" % (won, pts, regex, "" if won else "   FAIL (%s)" % what))
    print("Score: %d/100" % total)
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("extract")
    e.add_argument("lab")
    e.add_argument("dest")
    g = sub.add_parser("grade")
    g.add_argument("lab")
    g.add_argument("--build", default=os.path.join(ROOT, "build"))
    sub.add_parser("list")
    sub.add_parser("check")
    args = ap.parse_args()
    try:
        if args.cmd == "extract":
            extract(ROOT, args.lab, os.path.abspath(args.dest))
        elif args.cmd == "grade":
            grade(ROOT, args.lab, os.path.abspath(args.build))
        elif args.cmd == "list":
            print("\n".join(labs_declared(ROOT)))
        else:
            marked = all_regions(ROOT)
            labs = sorted({r["lab"] for rs in marked.values() for r in rs})
            undeclared = [lab for lab in labs if lab not in labs_declared(ROOT)]
            if undeclared:
                raise MarkerError("regions of labs with no tests/labs/NAME.grade: %s" % ", ".join(undeclared))
            for lab in labs_declared(ROOT):
                read_grade(ROOT, lab)
            print("labs: %d region(s) in %d file(s), labs %s" %
                  (sum(map(len, marked.values())), len(marked), ", ".join(labs) or "none"))
    except MarkerError as err:
        print("lab.py: %s" % err, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
