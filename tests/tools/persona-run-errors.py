#!/usr/bin/env python3
"""tests/tools/persona-run-errors.py [--build DIR] - scripts/persona-run
fails in one line.

Each way of calling it wrongly, or of its surroundings failing, must end
with a status that is not 0 and exactly one line on stderr, starting
"persona-run: ", never a Python traceback: bad arguments, an overlay that
is missing or unreadable, a bad --memory, a QEMU that is not installed, and
a QEMU that exits before Persona ran (which must not pass for a command
that exited 0).  None of these boots Persona.  Prints one line per check,
and exits 1 if any failed.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RUN = os.path.join(ROOT, "scripts", "persona-run")


def cases(tmp):
    unreadable = os.path.join(tmp, "unreadable")
    os.makedirs(os.path.join(unreadable, "secret"))
    os.chmod(os.path.join(unreadable, "secret"), 0)
    false_qemu = os.path.join(tmp, "qemu-that-fails")
    with open(false_qemu, "w") as f:
        f.write("#!/bin/sh\necho 'qemu-system-x86_64: -accel nonsense: invalid accelerator nonsense' >&2\nexit 1\n")
    os.chmod(false_qemu, 0o755)
    cmd = ["--", "/bin/true"]
    return [("no command", [], {}),
            ("an unknown option", ["--frobnicate"] + cmd, {}),
            ("a bad timeout", ["--timeout", "soon"] + cmd, {}),
            ("a missing overlay", ["--overlay", os.path.join(tmp, "missing")] + cmd, {}),
            ("an overlay that is a file", ["--overlay", false_qemu] + cmd, {}),
            ("an unreadable overlay", ["--overlay", unreadable] + cmd, {}) if os.geteuid() else None,
            ("a bad --memory", ["--memory", "lots"] + cmd, {}),
            ("QEMU not installed", cmd, {"QEMU": os.path.join(tmp, "no-such-qemu")}),
            ("QEMU exiting before Persona ran", cmd, {"QEMU": false_qemu})]


def check(build, name, args, env_extra):
    env = dict(os.environ, BUILD=build, **env_extra)
    r = subprocess.run([RUN, "--timeout", "20"] + args if args[:1] != ["--timeout"] else [RUN] + args,
                       env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    err = r.stderr.decode(errors="replace").splitlines()
    if r.returncode == 0:
        return "FAIL: %s: status 0" % name
    if len(err) != 1 or not err[0].startswith("persona-run: "):
        return "FAIL: %s: status %d, stderr %r, want one line \"persona-run: ...\"" % (name, r.returncode,
                                                                                       err[-3:])
    return "ok: %s: status %d, %s" % (name, r.returncode, err[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    build = os.path.abspath(ap.parse_args().build)
    # the ISO is built first, so that make's output is not taken for an error
    subprocess.run(["make", "-s", "-C", ROOT, "BUILD=" + build, "iso"], stdout=subprocess.DEVNULL, check=True)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="persona-run-errors-") as tmp:
        for case in cases(tmp):
            if case:
                line = check(build, *case)
                print(line)
                failed += line.startswith("FAIL")
        os.chmod(os.path.join(tmp, "unreadable", "secret"), 0o755)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
