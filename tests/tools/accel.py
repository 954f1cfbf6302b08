#!/usr/bin/env python3
"""tests/tools/accel.py [--build DIR] - every way of starting QEMU takes its
accelerator from the one variable ACCEL: TCG unless ACCEL says otherwise.

`make run`, `make debug`, scripts/persona-run and the test harness
(tests/lib/persona_qemu.py) each start tests/tools/fake-qemu in place of
QEMU, which records its command line and boots nothing; each command line
must hold exactly one "-accel", naming tcg by default, kvm with ACCEL=kvm
(from make's command line or from the environment).  Prints one line per
check, and exits 1 if any failed.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FAKE = os.path.join(HERE, "fake-qemu")

HARNESS = """
import sys
sys.path.insert(0, %r)
import persona_qemu
persona_qemu.boot(sys.argv[1], "", timeout=10)
""" % os.path.join(ROOT, "tests", "lib")


def launchers(build):
    """(name, argv, extra environment) for each way of starting QEMU; the
    environment gets ACCEL from the caller."""
    iso = os.path.join(build, "persona.iso")
    return [("make run", ["make", "-s", "-C", ROOT, "BUILD=" + build, "run"], {}),
            ("make debug", ["make", "-s", "-C", ROOT, "BUILD=" + build, "debug"], {}),
            ("persona-run", [os.path.join(ROOT, "scripts", "persona-run"), "--timeout", "10", "--", "/bin/true"],
             {"BUILD": build}),
            ("the test harness", [sys.executable, "-c", HARNESS, iso], {})]


def accels(argv_file):
    """The -accel values of each QEMU command line the fake recorded."""
    try:
        lines = open(argv_file).read().split("\n")
    except OSError:
        return []
    runs, cur = [], []
    for line in lines:
        if line == "--":
            runs.append([cur[i + 1] for i in range(len(cur) - 1) if cur[i] == "-accel"])
            cur = []
        else:
            cur.append(line)
    return runs


def check(build, name, argv, env_extra, accel_make, accel_env, want):
    with tempfile.TemporaryDirectory(prefix="persona-accel-") as tmp:
        args_file = os.path.join(tmp, "args")
        env = {k: v for k, v in os.environ.items() if k not in ("ACCEL", "PERSONA_QEMU_FLAGS", "MAKEFLAGS")}
        env.update(env_extra, QEMU=FAKE, FAKE_QEMU_ARGS=args_file)
        if accel_env:
            env["ACCEL"] = accel_env
        if accel_make:
            argv = argv + ["ACCEL=" + accel_make]
        try:
            subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60)
        except subprocess.TimeoutExpired:
            pass
        runs = accels(args_file)
    how = "ACCEL=%s on make's command line" % accel_make if accel_make else \
        "ACCEL=%s in the environment" % accel_env if accel_env else "by default"
    if not runs:
        return "FAIL: %s %s: QEMU was not started" % (name, how)
    if any(r != [want] for r in runs):
        return "FAIL: %s %s: -accel %s, want exactly -accel %s" % (name, how, runs, want)
    return "ok: %s %s: -accel %s" % (name, how, want)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    build = os.path.abspath(ap.parse_args().build)
    failed = 0
    for name, argv, env in launchers(build):
        for accel_make, accel_env, want in ((None, None, "tcg"), ("kvm", None, "kvm"), (None, "kvm", "kvm")):
            if accel_make and not name.startswith("make"):
                continue
            line = check(build, name, argv, env, accel_make, accel_env, want)
            print(line)
            failed += line.startswith("FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
