#!/usr/bin/env python3
"""tests/docs/check-snippets.py - keeps the book and the code pointing at
each other.  Two kinds of check, one line of output per failure:

- every code block in docs/ preceded by "<!-- snippet: FILE -->" must
  appear in FILE, line for line (leading and trailing blanks ignored, the
  lines consecutive);
- every link to a line of the tree, [`NAME`](../PATH#LN), must point at a
  line of PATH that holds NAME (the text in backticks; a call such as
  `pico_forward()` names pico_forward).

With --fix, a link whose line has moved is pointed at the line that now
defines NAME (a line starting with it after its type, a C function or
macro, or an assembly label), and the docs are rewritten.  Prints
"docs: N passed, N failed" (one check per snippet and per link)."""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MARK = re.compile(r"<!-- snippet: (\S+) -->\s*\n```\w*\n(.*?)```", re.S)
LINK = re.compile(r"\[`([^`]+)`\]\(\.\./([^)#\s]+)#L(\d+)\)")


def found(block, source):
    want = [l.strip() for l in block.strip("\n").split("\n")]
    have = [l.strip() for l in source.split("\n")]
    return any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1))


def symbol(text):
    """The identifier a link's text names: `pico_forward()` -> pico_forward."""
    m = re.search(r"[A-Za-z_]\w*", text)
    return m.group(0) if m else text


def holds(line, name):
    return re.search(r"(?<!\w)%s(?!\w)" % re.escape(name), line) is not None


def definition(lines, name):
    """The 1-based line that defines name, or 0."""
    pats = [re.compile(r"^%s:" % re.escape(name)),                                 # assembly label
            re.compile(r"^\.macro\s+%s\b" % re.escape(name)),
            re.compile(r"^[A-Za-z_].*(?<![\w.>])%s\s*\([^;]*$" % re.escape(name)),  # C function at column 0
            re.compile(r"^#define\s+%s\b" % re.escape(name)),
            re.compile(r"^(struct|enum|union)\s+%s\b" % re.escape(name)),
            re.compile(r"^\s*%s\s*\(" % re.escape(name))]                          # a call on its own line
    for pat in pats:
        for i, l in enumerate(lines):
            if pat.search(l):
                return i + 1
    return 0


def check_links(doc, text, fix):
    passed, failed, out = 0, 0, text
    for m in LINK.finditer(text):
        name, path, line = symbol(m.group(1)), m.group(2), int(m.group(3))
        src = os.path.join(ROOT, path)
        lines = open(src).read().split("\n") if os.path.exists(src) else []
        if 0 < line <= len(lines) and holds(lines[line - 1], name):
            passed += 1
            continue
        new = definition(lines, name) if fix else 0
        if new:
            out = out.replace(m.group(0), "[`%s`](../%s#L%d)" % (m.group(1), path, new))
            passed += 1
            continue
        failed += 1
        print("FAIL %s: line %d of %s does not hold %s%s" % (os.path.basename(doc), line, path, name,
                                                             "" if lines else " (no such file)"))
    return passed, failed, out


def main():
    fix = "--fix" in sys.argv
    passed = failed = 0
    for doc in sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))):
        text = open(doc).read()
        for path, block in MARK.findall(text):
            src = os.path.join(ROOT, path)
            if os.path.exists(src) and found(block, open(src).read()):
                passed += 1
            else:
                failed += 1
                print("FAIL %s: a snippet is not in %s:\n%s" % (os.path.basename(doc), path, block))
        p, f, out = check_links(doc, text, fix)
        passed, failed = passed + p, failed + f
        if fix and out != text:
            open(doc, "w").write(out)
    print("docs: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
