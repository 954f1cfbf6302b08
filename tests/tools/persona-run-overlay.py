#!/usr/bin/env python3
"""tests/tools/persona-run-overlay.py [--build DIR] [--size MIB] - files of
any size reach the root file system through scripts/persona-run --overlay.

With no --size: a copy of Debian's bash-static (over 2 MiB, more than the
configuration disk once held) runs from the overlay, its md5sum inside
equals the host's, and a file whose name has spaces arrives by its name.
With --size N: one file of N MiB of pseudo-random bytes, whose md5sum
inside must equal the host's; the run's time is printed (tool-persona-run-
overlay-200m runs this with 200).  Prints one line per check, and exits 1
if any failed.
"""
import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RUN = os.path.join(ROOT, "scripts", "persona-run")
BASH = "/bin/bash-static"


def persona_run(build, overlay, script, timeout):
    t0 = time.time()
    r = subprocess.run([RUN, "--timeout", str(timeout), "--overlay", overlay, "--", "/bin/sh", "-c", script],
                       env=dict(os.environ, BUILD=build), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    err = r.stderr.decode(errors="replace").strip().splitlines()
    return r.returncode, r.stdout.decode(errors="replace"), (err[-1] if err else ""), time.time() - t0


def md5(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_program(build, tmp):
    """A program over 2 MiB, and a name with spaces."""
    os.makedirs(os.path.join(tmp, "opt"))
    shutil.copy(BASH, os.path.join(tmp, "opt", "bash"))
    with open(os.path.join(tmp, "opt", "a name with spaces"), "w") as f:
        f.write("spaced\n")
    want = "%s\n42\nspaced\n" % md5(BASH)
    rc, out, err, secs = persona_run(build, tmp, "md5sum /opt/bash | cut -d' ' -f1; /opt/bash -c 'echo $((6 * 7))'; "
                                     "cat '/opt/a name with spaces'", 60)
    if rc or out != want:
        return "FAIL: a %d-byte program from the overlay: status %d, output %r (%s), want %r" % (
            os.path.getsize(BASH), rc, out, err, want)
    return "ok: a %d-byte program from the overlay runs, and its md5sum is the host's (%.1fs)" % (
        os.path.getsize(BASH), secs)


def check_size(build, tmp, mib):
    """One file of mib MiB: the same bytes inside as on the host."""
    path = os.path.join(tmp, "big")
    rng = random.Random(mib)
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(rng.randbytes(1 << 20))
    want = md5(path)
    rc, out, err, secs = persona_run(build, tmp, "md5sum /big | cut -d' ' -f1", 60 + mib)
    if rc or out != want + "\n":
        return "FAIL: a %d MiB file: status %d, output %r (%s), want %s" % (mib, rc, out, err, want)
    return "ok: a %d MiB file arrives whole, md5sum %s, in %.1fs" % (mib, want, secs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--size", type=int, help="MiB")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    with tempfile.TemporaryDirectory(prefix="persona-overlay-") as tmp:
        line = check_size(build, tmp, a.size) if a.size else check_program(build, tmp)
    print(line)
    return 1 if line.startswith("FAIL") else 0


if __name__ == "__main__":
    sys.exit(main())
