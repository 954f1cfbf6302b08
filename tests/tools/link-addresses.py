#!/usr/bin/env python3
"""tests/tools/link-addresses.py [--build DIR] - every boot program has an
address range of its own.

Under QEMU a gdb breakpoint matches its address in every address space, and
gdb can hold the symbols of programs that do not overlap only: so the
native programs (the servers and tests/native) and the hello personality's
pico program must occupy disjoint ranges, all of them above the first
16 MiB, where Linux programs (busybox, bash-static) have theirs, and below
the blobs the root task (init) maps at 0x100000000000.  Prints one line per check, and
exits 1 if any failed.
"""
import argparse
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
import persona_elf  # noqa: E402

LINUX_PROGRAMS_END = 16 << 20
BLOB_BASE = 0x100000000000


def programs(build):
    """The boot programs that must not overlap: every native program, and
    the pico programs other than tests/pico's, which sit where Linux
    programs do on purpose (their loader is under test, not gdb)."""
    boot = os.path.join(build, "boot")
    return sorted(glob.glob(os.path.join(boot, "*.elf")) + glob.glob(os.path.join(boot, "tests", "t-*.elf")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    build = os.path.abspath(ap.parse_args().build)
    ranges = [(os.path.relpath(p, os.path.join(build, "boot")),) + persona_elf.load_range(p) for p in programs(build)]
    failed = 0
    if len(ranges) < 4:
        print("FAIL: only %d boot programs under %s/boot" % (len(ranges), build))
        return 1
    for i, (name, lo, hi) in enumerate(ranges):
        clash = [n for n, l2, h2 in ranges[:i] + ranges[i + 1:] if lo < h2 and l2 < hi]
        if clash:
            line = "FAIL: %s [%#x, %#x) overlaps %s" % (name, lo, hi, ", ".join(clash))
        elif lo < LINUX_PROGRAMS_END or hi > BLOB_BASE:
            line = "FAIL: %s [%#x, %#x) is not between %#x and %#x" % (name, lo, hi, LINUX_PROGRAMS_END, BLOB_BASE)
        else:
            line = "ok: %s [%#x, %#x) is its own" % (name, lo, hi)
        print(line)
        failed += line.startswith("FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
