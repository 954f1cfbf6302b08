#!/usr/bin/env python3
"""tests/docs/check-snippets.py - every code block in docs/ preceded by
"<!-- snippet: FILE -->" must appear in FILE, line for line (leading and
trailing blanks ignored, the lines consecutive).  Prints
"docs: N passed, N failed" (one check per snippet)."""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MARK = re.compile(r"<!-- snippet: (\S+) -->\s*\n```\w*\n(.*?)```", re.S)


def found(block, source):
    want = [l.strip() for l in block.strip("\n").split("\n")]
    have = [l.strip() for l in source.split("\n")]
    return any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1))


def main():
    passed = failed = 0
    for doc in sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))):
        for path, block in MARK.findall(open(doc).read()):
            src = os.path.join(ROOT, path)
            if os.path.exists(src) and found(block, open(src).read()):
                passed += 1
            else:
                failed += 1
                print("FAIL %s: a snippet is not in %s:\n%s" % (os.path.basename(doc), path, block))
    print("docs: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
