#!/usr/bin/env python3
"""tests/tools/run-session.py [--build DIR] - a session of `make run` on
a terminal, as a person has it.

`make run` runs on a pseudo-terminal of 30 rows and 90 columns (its
controlling terminal) and boots Debian's bash: the prompt comes; a script
of five lines pasted at once runs all five; `tty` names a terminal device;
`stty size` says 30 90.  Then the pseudo-terminal is resized to 45 by 132,
as a window is: scripts/persona-shell's SIGWINCH makes it type xterm's size
report into QEMU, and Persona's terminal takes it
(personalities/linux/tty.c): `stty size` says 45 132, and bash's own
$LINES and $COLUMNS, which it reads again at SIGWINCH, agree.  Prints one
line per check, and exits 1 if any failed.
"""
import argparse
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def read_until(fd, pattern, seen, timeout):
    """Reads the terminal until pattern matches what came since seen[0]."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = re.search(pattern, seen[0])
        if m:
            seen[0] = seen[0][m.end():]
            return m
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen[0] += os.read(fd, 65536)
            except OSError:
                break
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    build = os.path.abspath(ap.parse_args().build)
    results = []
    fd, slave = pty.openpty()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 90, 0, 0))
    pid = os.fork()
    if pid == 0:  # persona-shell with the pseudo-terminal as its controlling terminal
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for i in range(3):
            os.dup2(slave, i)
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        os.execve("/usr/bin/make", ["make", "-s", "-C", ROOT, "BUILD=" + build, "run"], env)
    os.close(slave)
    seen = [b""]
    try:
        if not read_until(fd, rb"# $", seen, 120):
            results.append("FAIL: no bash prompt: %r" % seen[0][-300:])
            return results
        os.write(fd, b"echo p1\recho p2\recho p3\recho p4\recho p5\r")
        m = read_until(fd, rb"[\r\n]p5\r\n", seen, 30)
        lines = re.findall(rb"[\r\n](p\d)\r\n", m.string[:m.end()] if m else b"")
        results.append(("ok" if m and lines == [b"p1", b"p2", b"p3", b"p4", b"p5"] else "FAIL") +
                       ": a pasted script of five lines runs all five: %s" % [x.decode() for x in lines])
        read_until(fd, rb"# $", seen, 30)
        os.write(fd, b"tty\r")
        m = read_until(fd, rb"\r(/dev/\S+|not a tty)\r\n", seen, 30)
        got = m.group(1).decode() if m else None
        results.append(("ok" if got and got.startswith("/dev/") else "FAIL") + ": tty names %s" % got)
        read_until(fd, rb"# $", seen, 30)
        os.write(fd, b"stty size\r")
        m = read_until(fd, rb"\r(\d+ \d+)\r\n", seen, 30)
        got = m.group(1).decode() if m else None
        results.append(("ok" if got == "30 90" else "FAIL") + ": at boot, stty size says %s (want 30 90)%s" % (
            got, "" if m else ": %r" % seen[0][-300:]))
        read_until(fd, rb"# $", seen, 30)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 132, 0, 0))  # SIGWINCH to persona-shell
        time.sleep(1)
        os.write(fd, b"stty size; echo \"$LINES $COLUMNS\"\r")
        m = read_until(fd, rb"\r(\d+ \d+)\r\n(\d* \d*)\r\n", seen, 30)
        got = (m.group(1).decode(), m.group(2).decode()) if m else None
        results.append(("ok" if got == ("45 132", "45 132") else "FAIL") +
                       ": after a resize to 45x132, stty size and bash's $LINES $COLUMNS say %s%s" % (
                           got, "" if m else ": %r" % seen[0][-300:]))
        read_until(fd, rb"# $", seen, 30)
        os.write(fd, b"exit\r")
        read_until(fd, rb"$^", seen, 20)
    finally:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return results


if __name__ == "__main__":
    lines = main()
    for line in lines:
        print(line)
    sys.exit(1 if any(line.startswith("FAIL") for line in lines) else 0)
