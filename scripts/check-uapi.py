#!/usr/bin/env python3
"""scripts/check-uapi.py - the Linux personality's ABI constants
(personalities/linux/uapi.h, with uapi_tty.h, uapi_net.h, uapi_ipc.h and the other uapi_*.h, uapi_bpf.h among them) against the Linux UAPI headers of the machine
that builds, and, for the names the UAPI headers leave to the C library
(the socket calls' SOCK_*, MSG_*, SHUT_*, ...), against glibc's, which
are Linux's too.  Each constant that either defines (as a macro, or as a
member of an enum) must have the same value; a constant neither defines
is listed, not failed.  Run by `make
check` (scripts/check.sh); prints "uapi: N checked, N not found".
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
UAPI = [os.path.join(ROOT, "personalities", "linux", n) for n in ("uapi.h", "uapi_tty.h", "uapi_net.h", "uapi_ipc.h", "uapi_mount.h", "uapi_files.h", "uapi_sched.h", "uapi_ptrace.h", "uapi_sec.h", "uapi_landlock.h", "uapi_iouring.h", "uapi_uffd.h", "uapi_perf.h", "uapi_bpf.h", "uapi_ext2.h")]

KERNEL_HEADERS = ["asm/errno.h", "asm/signal.h", "linux/signal.h", "asm/siginfo.h", "linux/fcntl.h", "linux/stat.h", "linux/magic.h",
                  "asm/mman.h", "linux/mman.h", "linux/sched.h", "linux/wait.h", "linux/resource.h", "linux/prctl.h", "asm/prctl.h",
                  "linux/time.h", "linux/timerfd.h", "asm/poll.h", "linux/futex.h",
                  "linux/socket.h", "asm/socket.h", "asm/termbits.h", "asm/ioctls.h", "linux/auxvec.h",
                  "linux/sysinfo.h", "linux/un.h", "linux/membarrier.h", "linux/signalfd.h", "linux/inotify.h", "linux/fanotify.h",
                  "linux/personality.h", "linux/falloc.h", "linux/fs.h", "linux/pidfd.h", "linux/openat2.h",
                  "limits.h", "linux/ipc.h", "linux/shm.h", "linux/msg.h", "linux/sem.h", "linux/mqueue.h",
                  "linux/sockios.h", "linux/netlink.h", "linux/rtnetlink.h",
                  "linux/memfd.h", "linux/close_range.h", "linux/fadvise.h", "linux/aio_abi.h",
                  "linux/sched/types.h", "linux/ioprio.h", "linux/ptrace.h", "linux/elf.h", "linux/audit.h", "linux/seccomp.h", "linux/filter.h", "linux/keyctl.h", "linux/quota.h", "linux/landlock.h", "linux/fiemap.h", "linux/io_uring.h",
                  "linux/userfaultfd.h", "linux/perf_event.h", "linux/bpf.h", "linux/loop.h", "linux/posix_acl.h", "linux/posix_acl_xattr.h"]
# asm-generic/signal.h (_NSIG) clashes with asm/signal.h: a unit of its own.
GENERIC_HEADERS = ["asm-generic/signal.h"]
LIBC_HEADERS = ["sys/eventfd.h", "sys/socket.h", "sys/un.h", "netinet/in.h", "netinet/tcp.h", "net/if.h", "net/if_arp.h", "sys/statvfs.h", "unistd.h", "fcntl.h", "sys/stat.h", "dirent.h"]
# Names that are not integer constants in the system headers (handler values).
SKIP = {"SIG_DFL", "SIG_IGN"}
# Our name -> the system's, where they differ.
RENAME = {"LINUX_NSIG": "_NSIG"}
# Names the C library defines as it means them, not as Linux does: glibc's
# O_LARGEFILE is 0 on x86-64 (its off_t is 64 bits already), where Linux's
# F_GETFL shows 0100000.  Checked against the kernel's headers alone.
KERNEL_ONLY = {"O_LARGEFILE"}


def constants():
    out = []
    text = "".join(open(p).read() for p in UAPI)
    for m in re.finditer(r"^#define\s+(\w+)\s+(.+?)\s*(?:/\*.*)?$", text, re.M):
        name, value = m.group(1), m.group(2)
        if name.endswith("_H") or "(" in name or name in SKIP:
            continue
        if "offsetof" in value or "sizeof" in value:
            continue
        out.append((name, value))
    for body in re.findall(r"^enum\s*\{(.*?)\};", text, re.M | re.S):
        for name, value in re.findall(r"(\w+)\s*=\s*([^,}]+)", body):
            out.append((name, value.strip()))
    return out


def system_name(name):
    if name in RENAME:
        return RENAME[name]
    return name[len("LINUX_"):] if name.startswith("LINUX_E") else name


def enum_members(includes, tmp, tag):
    """The names the headers define as members of an enum (membarrier's
    commands, say), which #ifdef cannot see."""
    src = os.path.join(tmp, tag + "-enums.c")
    open(src, "w").write("\n".join(includes) + "\n")
    r = subprocess.run(["gcc", "-E", "-P", src], capture_output=True, text=True)
    names = set()
    for body in re.findall(r"\benum\b[^{};]*\{(.*?)\}", r.stdout, re.S):
        names.update(m.group(1) for m in re.finditer(r"(?:^|,)\s*([A-Za-z_]\w*)", body))
    return names


def check(headers, consts, tmp, tag):
    """Compiles one unit asserting every constant the headers define; the
    names that unit found."""
    src = os.path.join(tmp, tag + ".c")
    lines = ["#define _GNU_SOURCE"] + ["#include <%s>" % h for h in headers]
    enums = enum_members(lines, tmp, tag)
    for name, value in consts:
        if tag == "libc" and name in KERNEL_ONLY:
            continue
        sysname = system_name(name)
        test = "#if 1" if sysname in enums else "#ifdef %s" % sysname
        lines += [test,
                  "_Static_assert((long long)(%s) == (long long)(%s), \"uapi.h: %s is not Linux's\");" % (
                      value, sysname, name),
                  "const int found_%s_%s = 1;" % (tag, name), "#endif"]
    open(src, "w").write("\n".join(lines) + "\n")
    obj = os.path.join(tmp, tag + ".o")
    r = subprocess.run(["gcc", "-c", "-o", obj, src], capture_output=True, text=True)
    if r.returncode:
        sys.stderr.write(r.stderr)
        return None
    syms = subprocess.run(["nm", obj], capture_output=True, text=True).stdout
    return set(re.findall(r"found_%s_(\w+)" % tag, syms))


def main():
    consts = constants()
    with tempfile.TemporaryDirectory() as tmp:
        found = [check(h, consts, tmp, tag) for tag, h in
                 (("kernel", KERNEL_HEADERS), ("generic", GENERIC_HEADERS), ("libc", LIBC_HEADERS))]
    if None in found:
        print("uapi: FAIL: a constant differs from the system's (above)")
        return 1
    missing = [n for n, _ in consts if not any(n in f for f in found)]
    print("uapi: %d checked, %d not found in the system's headers%s" % (
        len(consts) - len(missing), len(missing), (": " + " ".join(missing)) if missing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
