#!/usr/bin/env python3
"""tests/run-all.py - the single test entry point behind `make test`.

Runs the host unit tests (tests/unit, under ASan and UBSan), make check
(size budget, file headers, the generated ABI reference), the tutorial's
code excerpts against the source (tests/docs), every Linux comparison case
(tests/linux: the same script or program on the host and on Persona must
print the same bytes; the i386 ones, linux-i386-*, with 32-bit programs,
listed in tests/linux/i386/pending while they wait for the server), the tool checks (tests/tools/*.py: make's targets
and scripts/ themselves), then every
in-QEMU test case (tests/qemu/*.test), in parallel, and ends with the line
"N passed, N failed".  Exit status is 0 only when nothing failed.

A .test file is a list of "key: value" lines:
    cmdline: ktest=pmm          kernel command line
    exit: 0                     expected isa-debug-exit code
    expect: <regex>             must match a line of the serial log (in order)
    reject: <regex>             must match no line
    anywhere: <regex>           must match some line, in any order
    timeout: 60                 seconds; a hang is a failure
    memory: 256M
    module: PATH ARGS           a boot module (path on the ISO); with any,
                                the case boots its own GRUB entry, which
                                starts with the root task (INIT_MODULE)
                                unless a line names init itself
    send: <regex> => <text>     type text on the serial line once the
                                output matches regex (\r, \n, \x03 escapes)
    settle: 0.5                 and only once no output has come for this
                                many seconds (default 0)
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
import lab  # noqa: E402  scripts/lab.py: the graded labs
import persona_qemu  # noqa: E402
import ext2case  # noqa: E402  tests/lib/ext2case.py: the linux-ext2 case


# The root task, which starts the other modules (personalities/native/init.c).
INIT_MODULE = "/boot/init.img init"


def parse_case(path):
    case = {"name": os.path.splitext(os.path.basename(path))[0], "cmdline": "", "exit": 0,
            "expect": [], "reject": [], "timeout": 60, "memory": "256M",
            "module": [], "send": [], "anywhere": [], "settle": 0.0}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key in ("expect", "reject", "anywhere"):
                case[key].append(re.compile(value))
            elif key == "module":
                case["module"].append(value)
            elif key == "send":
                pat, _, text = value.partition(" => ")
                case["send"].append((pat, text.encode().decode("unicode_escape")))
            elif key in ("exit", "timeout"):
                case[key] = int(value)
            elif key == "settle":
                case[key] = float(value)
            else:
                case[key] = value
    if case["module"] and not any(m.split()[1:2] == ["init"] for m in case["module"]):
        case["module"].insert(0, INIT_MODULE)
    return case


def check_case(case, code, timed_out, log):
    lines = log.split("\n")
    if timed_out:
        return "timed out after %ds" % case["timeout"]
    if code != case["exit"]:
        return "exit code %s, expected %d" % (code, case["exit"])
    pos = 0
    for pat in case["expect"]:
        while pos < len(lines) and not pat.search(lines[pos]):
            pos += 1
        if pos == len(lines):
            return "no line matches %r (in order)" % pat.pattern
        pos += 1
    for pat in case["anywhere"]:
        if not any(pat.search(line) for line in lines):
            return "no line anywhere matches %r" % pat.pattern
    for pat in case["reject"]:
        for line in lines:
            if pat.search(line):
                return "rejected line %r matches %r" % (line, pat.pattern)
    return None


def run_case(iso, case, logdir):
    t0 = time.time()
    code, timed_out, log = persona_qemu.boot(iso, case["cmdline"], case["timeout"], case["memory"],
                                             modules=case["module"], script=case["send"], settle=case["settle"],
                                             extra=shlex.split(case.get("qemu", "")))
    with open(os.path.join(logdir, case["name"] + ".log"), "w") as f:
        f.write(log)
    return case, check_case(case, code, timed_out, log), time.time() - t0


def linux_cases(build, only=None):
    """(name, compare.py arguments) for every Linux comparison case; C
    programs are built here with musl-gcc -static (or, for a name ending in
    -pie, as a static PIE with gcc, and only those whose case only, a
    regex, selects); tests/linux/debian's run in the Debian tree (make
    debian-root)."""
    cases = []
    for sh in sorted(glob.glob(os.path.join(HERE, "linux", "cases", "*.sh")) +
                     glob.glob(os.path.join(HERE, "linux", "cases", "*.bash"))):
        cases.append(("linux-" + os.path.basename(sh).replace(".", "-"), [sh]))
    tree = os.path.join(build, "debian", "root")
    # and the bash cases again, with Debian's dynamic bash
    for sh in sorted(glob.glob(os.path.join(HERE, "linux", "debian", "*.sh")) +
                     glob.glob(os.path.join(HERE, "linux", "cases", "*.bash"))):
        cases.append(("linux-debian-" + os.path.basename(sh).split(".")[0], [sh, "--root", tree]))
    out = os.path.join(build, "linux-tests")
    os.makedirs(out, exist_ok=True)
    for c in sorted(glob.glob(os.path.join(HERE, "linux", "c", "*.c"))):
        name = os.path.basename(c)[:-2]
        if only and not re.search(only, "linux-c-" + name):
            continue
        # musl-gcc's -static-pie still names an interpreter; glibc's is a true static PIE
        cc = ["gcc", "-static-pie", "-fPIE"] if name.endswith("-pie") else ["musl-gcc", "-static"]
        cases.append(c_case("linux-c-", c, cc, out))
    return cases + i386_cases(build, only)


def c_case(prefix, src, cc, out):
    """(name, compare.py arguments) for a C program built with cc into out
    and run as ./NAME (None for the arguments when it does not build)."""
    name = os.path.basename(src)[:-2]
    exe, script = os.path.join(out, name), os.path.join(out, name + ".sh")
    r = subprocess.run(cc + ["-O2", "-Wall", "-o", exe, src], capture_output=True, text=True)
    if r.returncode:
        print(r.stderr)
        return prefix + name, None
    with open(script, "w") as f:
        f.write("./%s\n" % name)
    return prefix + name, [script, "--file", exe]


# tests/linux/c programs that run again built 32-bit (gcc -m32 -static, -m32
# glibc: socketcall for sockets, mmap2, stat64, set_thread_area, int $0x80):
# the ones whose calls have 32-bit structures or numbers of their own.
I386_REUSED_C = ["files", "time", "signals", "sigthread", "threads", "socketpair", "memory", "mmapfile",
                 "pipes", "rtsignals", "select", "robustpi", "robustexec", "waitrusage", "maxrss",
                 "aio", "quota", "execveat", "adjtimex", "iouring", "fanotify", "bpfmap",
                 "keyrings", "procmadv", "splice", "splicesock", "processvm", "unixmmsg", "tcpmmsg",
                 "ptraceev", "udp", "inet", "sockerrs", "procio", "proclocks", "kmsg", "procpidset",
                 "prsetmm", "mapfiles", "clone3settid", "altstack", "iflags"]

# tests/linux/cases scripts not run again 32-bit: network.sh's fixed ports
# would meet the 64-bit run's on the host, which runs at the same time, as
# losetup.sh's loop device and file would.
I386_SKIPPED_CASES = {"network.sh", "losetup.sh"}


def i386_cases(build, only=None):
    """(name, compare.py arguments) for the i386 cases: every
    tests/linux/cases script again with /opt/i386's 32-bit busybox or bash
    (linux-i386-NAME); tests/linux/i386's mixed-ABI scripts, with the 64-bit
    shell (linux-i386-mixed-EXT); its C programs built gcc -m32 -static, or
    64-bit for a name ending in -64, and I386_REUSED_C's
    (linux-i386-c-NAME).  The host side has build/i386/opt as its /opt."""
    opt = os.path.join(build, "i386", "opt")
    here = os.path.join(HERE, "linux")
    cases = [("linux-i386-" + os.path.basename(sh).replace(".", "-"), [sh, "--opt", opt, "--shell32"])
             for sh in sorted(glob.glob(os.path.join(here, "cases", "*.sh")) +
                              glob.glob(os.path.join(here, "cases", "*.bash")))
             if os.path.basename(sh) not in I386_SKIPPED_CASES]
    cases += [("linux-i386-" + os.path.basename(sh).replace(".", "-"), [sh, "--opt", opt])
              for sh in sorted(glob.glob(os.path.join(here, "i386", "*.sh")) +
                               glob.glob(os.path.join(here, "i386", "*.bash")))]
    out = os.path.join(build, "linux-tests", "i386")
    os.makedirs(out, exist_ok=True)
    sources = sorted(glob.glob(os.path.join(here, "i386", "*.c"))) + \
        [os.path.join(here, "c", n + ".c") for n in I386_REUSED_C]
    for c in sources:
        if only and not re.search(only, "linux-i386-c-" + os.path.basename(c)[:-2]):
            continue
        cc = ["musl-gcc", "-static"] if c.endswith("-64.c") else ["gcc", "-m32", "-static", "-pthread"]
        cases.append(c_case("linux-i386-c-", c, cc, out))
    return cases


def host_runs_i386(build):
    """Whether this host's kernel runs 32-bit programs (IA32 emulation): the
    i386 cases compare with the host, so without it they have nothing to
    compare with.  The probe runs the 32-bit busybox the cases use."""
    busybox = os.path.join(build, "i386", "opt", "i386", "bin", "busybox")
    if not os.path.exists(busybox):
        return True  # not fetched: the cases run, and fail saying so, rather than blame the host
    try:
        return subprocess.run([busybox, "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def pending_names():
    """The test names tests/linux/i386/pending lists: cases that fail until
    the Linux server runs what they need, reported "pend" while they fail and
    a failure once they pass (the entry is then to go)."""
    with open(os.path.join(HERE, "linux", "i386", "pending")) as f:
        return {line.split("#")[0].strip() for line in f} - {""}


def run_linux(build, name, args, logdir):
    t0 = time.time()
    if args is None:
        return name, "does not build", 0
    r = subprocess.run([sys.executable, os.path.join(HERE, "linux", "compare.py"), "--build", build] + args,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with open(os.path.join(logdir, name + ".log"), "w") as f:
        f.write(r.stdout)
    return name, None if r.returncode == 0 else "output differs from the host's", time.time() - t0


# scripts/persona-run's own contract: CMD's output on stdout, its exit status.
PERSONA_RUN_CASES = [
    # /proc/sys, /proc/filesystems and /proc/cmdline, which have nothing
    # to compare with on the host: the release and names uname gives, and a
    # new hostname seen there too.
    ("persona-run-proc-sys", ["/bin/sh", "-c", "cat /proc/sys/kernel/ostype /proc/sys/kernel/osrelease "
                              "/proc/sys/kernel/ngroups_max /proc/sys/vm/overcommit_memory; uname -r; "
                              "grep -c nodev /proc/filesystems; hostname box; cat /proc/sys/kernel/hostname; "
                              "cat /proc/cmdline"],
     b"Linux\n6.1.0-persona\n65536\n0\n6.1.0-persona\n6\nbox\nquiet\n", 0),
    ("persona-run-status", ["/bin/sh", "-c", "echo hi; exit 3"], b"hi\n", 3),
    # writes to /proc/sys: the host and domain names as sethostname sets
    # them; a read-only sysctl is EACCES even for root (Linux's proc_sys
    # permission), another /proc file has no write (EIO); not root: EACCES
    ("persona-run-proc-sys-write", ["/bin/sh", "-c", "echo newbox > /proc/sys/kernel/hostname; hostname; "
                                    "echo ex.org > /proc/sys/kernel/domainname; cat /proc/sys/kernel/domainname; "
                                    "echo x > /proc/sys/kernel/ostype; echo x > /proc/meminfo; "
                                    "su -s /bin/sh nobody -c 'echo y > /proc/sys/kernel/hostname'; hostname"],
     b"newbox\nex.org\n/bin/sh: can't create /proc/sys/kernel/ostype: Permission denied\n"
     b"sh: write error: Input/output error\nsh: can't create /proc/sys/kernel/hostname: Permission denied\nnewbox\n", 0),
    # the mount table as /proc/self/mountinfo and busybox mount show it (the
    # ids and device numbers are the personality's own, so not compared
    # with the host's: tests/linux/c/mount.c compares the rest)
    ("persona-run-mountinfo", ["/bin/sh", "-c", "mkdir /tmp/m; mount -t tmpfs -o size=2m,mode=750 none /tmp/m; "
                               "cat /proc/self/mountinfo; mount | tail -1; umount /tmp/m; cat /proc/mounts; "
                               "readlink /proc/self/ns/mnt"],
     b"21 1 0:1 / / rw - tmpfs tmpfs rw\n22 21 0:2 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
     b"23 21 0:4 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw\n"
     b"24 21 0:40 / /tmp/m rw,relatime - tmpfs none rw,size=2048k,mode=750\n"
     b"none on /tmp/m type tmpfs (rw,relatime,size=2048k,mode=750)\n"
     b"tmpfs / tmpfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
     b"sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\nmnt:[4026531840]\n", 0),
    # init ends with processes still running: the machine powers off with
    # its status (reparenting init's own children to init looped for good)
    ("persona-run-init-leaves", ["/bin/sh", "-c", "sleep 100 & sleep 100 & (sleep 100 &); echo bye; exit 3"], b"bye\n", 3),
    ("persona-run-status-high", ["/bin/sh", "-c", "echo high >&2; exit 200"], b"high\n", 200),
    ("persona-run-missing", ["/bin/nonexistent"], b"", 127),
    # root's privileges, which the host comparison cannot assume: giving a
    # file away, a nice value raised (renice -n adds) as /proc shows it,
    # device nodes (one for /dev/null's number, one with no device), and
    # setting the clock, which new files' times follow
    ("persona-run-root", ["/bin/sh", "-c", "touch /tmp/f; chown 12:34 /tmp/f; ls -ln /tmp/f | awk '{print $3, $4}'; "
                          "renice -n 5 -p $$; cut -d' ' -f19 /proc/$$/stat; mknod /tmp/n c 1 3; echo x > /tmp/n; "
                          "wc -c < /tmp/n; mknod /tmp/u c 42 0; stat -c %t:%T /tmp/u; cat /tmp/u 2>&1; "
                          "date -s '2025-06-01 12:00:00' >/dev/null; date +%F; touch /tmp/t; stat -c %y /tmp/t | cut -c1-10"],
     b"12 34\n5\n0\n2a:0\ncat: can't open '/tmp/u': No such device or address\n2025-06-01\n2025-06-01\n", 0),
    # load averages: a busy loop for 6 s shows in /proc/loadavg (sampled every 5 s, as Linux)
    ("persona-run-loadavg", ["/bin/sh", "-c", "(while :; do :; done) & sleep 6; read a rest < /proc/loadavg; kill $!; "
                             "[ \"$a\" != 0.00 ] && echo load rose || echo \"load $a\""], b"load rose\n", 0),
    # limits as /proc shows them, inherited by a child; the one CPU's affinity
    # descriptors: Linux's default limits, 1024 and 4096, which root may raise
    ("persona-run-limits", ["/bin/sh", "-c", "ulimit -Sn; ulimit -Hn; ulimit -n 100000; ulimit -n; ulimit -n 64; "
                            "grep 'open files' /proc/self/limits; taskset -p $$; nproc"],
     b"1024\n4096\n100000\n"
     b"Max open files            64                   64                   files     \n"
     b"pid 1's current affinity mask: 1\n1\n", 0),
    # the Linux server's time on a process's calls is its system time:
    # dd copying a byte at a time spends most of its time in calls
    ("persona-run-stime", ["/bin/sh", "-c", "dd if=/dev/zero of=/dev/null bs=1 count=100000 2>/dev/null; "
                           "times > /tmp/t; set -- $(cat /tmp/t); [ \"$4\" != 0m0.000s ] && echo 'system time counted' || echo \"sys $4\""],
     b"system time counted\n", 0),
    # a removed file gives its memory back: 16 files of 8 MiB, one at a
    # time, on a 96 MiB machine
    # nor does a process's trip through /proc (every busybox start reads
    # /proc/self/exe, which rewrites /proc) leave inodes behind: memory
    # stays level over 150 more rounds.  MemFree is read by the shell
    # itself: a `free | awk` pipeline measured its own processes too, as far
    # as they had got when free read it, which the scheduler decides
    ("persona-run-steady", ["/bin/sh", "-c", "run() { i=0; while [ $i -lt $1 ]; do cat /proc/self/stat > /dev/null; "
                            "rm -f /tmp/x; echo x > /tmp/x; i=$((i+1)); done; }; "
                            "mem() { while read k v u; do [ \"$k\" = MemFree: ] && m=$v; done < /proc/meminfo; }; "
                            "run 50; mem; a=$m; run 150; mem; b=$m; "
                            "[ $((a - b)) -lt 64 ] && echo steady || echo \"grew by $((a - b)) KiB\""],
     b"steady\n", 0),
    # memory running out: the process whose page fault found no frame is
    # killed (SIGKILL, as Linux's OOM killer), and the shell goes on
    ("persona-run-oom", ["/bin/sh", "-c", "sh -c 'x=a; while :; do x=$x$x; done'; echo \"status $?\""],
     b"Killed\nstatus 137\n", 0, "64M"),
    ("persona-run-tmpfs-reuse", ["/bin/sh", "-c", "i=0; while [ $i -lt 16 ]; do dd if=/dev/zero of=/tmp/big bs=1M "
                                 "count=8 2>/dev/null || break; rm /tmp/big; i=$((i+1)); done; echo $i files"],
     b"16 files\n", 0, "96M"),
    # fallocate reserves the root's blocks without taking memory until they
    # are written, as a disk's: 80 MiB on a 96 MiB machine with less free
    # (counted in st_blocks), written in part, removed; past all of the
    # machine's memory it is ENOSPC
    ("persona-run-falloc-reserve", ["/bin/sh", "-c", "fallocate -l 80M /tmp/img && stat -c '%s %b' /tmp/img && "
                                    "dd if=/dev/zero of=/tmp/img bs=1M count=2 conv=notrunc 2>/dev/null && "
                                    "rm /tmp/img && echo removed; fallocate -l 200M /tmp/img2 2>&1"],
     b"83886080 163840\nremoved\nfallocate: fallocate '/tmp/img2': No space left on device\n", 1, "96M"),
]


def run_persona_run(build, name, argv, want_out, want_rc, memory="256M"):
    t0 = time.time()
    r = subprocess.run([os.path.join(HERE, "..", "scripts", "persona-run"), "--timeout", "60", "--memory", memory, "--"]
                       + argv,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ, BUILD=build))
    if r.stdout != want_out or r.returncode != want_rc:
        return name, "got %r, status %d; want %r, status %d" % (r.stdout, r.returncode, want_out, want_rc), 0
    return name, None, time.time() - t0


def run_interp_dynamic(build):
    """An interpreter that names an interpreter is refused (ELIBBAD), a
    clean error where Linux would run it unrelocated (tests/linux/c/interp.c,
    built by linux_cases); process 1 may be a "#!" script."""
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="persona-overlay-") as tmp:
        os.makedirs(os.path.join(tmp, "tmp", "w"))
        shutil.copy(os.path.join(build, "linux-tests", "interp"), os.path.join(tmp, "tmp", "w"))
        r = subprocess.run([os.path.join(HERE, "..", "scripts", "persona-run"), "--overlay", tmp, "--timeout", "60", "--",
                            "/bin/sh", "-c", "cd /tmp/w && ./interp dynamic-interp"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ, BUILD=build))
    want = b"%-44s execve: No error information (errno 80)\n" % b"an interpreter naming an interpreter"
    if r.stdout != want or r.returncode:
        return "linux-interp-dynamic", "got %r, status %d; want %r" % (r.stdout, r.returncode, want), 0
    # and process 1 may be a "#!" script, as Linux's init may
    with tempfile.TemporaryDirectory(prefix="persona-overlay-") as tmp:
        with open(os.path.join(tmp, "init.sh"), "w") as f:
            f.write("#!/bin/sh -e\necho \"init script: $0 $*\"\n")
        os.chmod(os.path.join(tmp, "init.sh"), 0o755)
        r = subprocess.run([os.path.join(HERE, "..", "scripts", "persona-run"), "--overlay", tmp, "--timeout", "60", "--",
                            "/init.sh", "a b"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           env=dict(os.environ, BUILD=build))
    if r.stdout != b"init script: /init.sh a b\n" or r.returncode:
        return "linux-interp-dynamic", "init script: got %r, status %d" % (r.stdout, r.returncode), 0
    return "linux-interp-dynamic", None, time.time() - t0


def run_init_threads(build, name="linux-init-threads", prog="threads", args=()):
    """Process 1 may have threads, as Linux's init may (systemd's has): the
    tests/linux/c/threads program (built by linux_cases) run as init prints
    what it prints on the host.  Only CLONE_PARENT is refused to init.
    linux-init-sigwait: initsigwait with "init" (which on the host makes
    itself a pid namespace's init) takes the signals init blocks."""
    t0 = time.time()
    exe = os.path.join(build, "linux-tests", prog)
    if not os.path.exists(exe):
        return name, "%s not built (run linux-c-%s with it)" % (exe, prog), 0
    host = subprocess.run([exe] + list(args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60)
    with tempfile.TemporaryDirectory(prefix="persona-overlay-") as tmp:
        shutil.copy(exe, tmp)
        r = subprocess.run([os.path.join(HERE, "..", "scripts", "persona-run"), "--overlay", tmp, "--timeout", "60", "--",
                            "/" + prog] + list(args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           env=dict(os.environ, BUILD=build))
    if r.stdout != host.stdout or r.returncode != host.returncode:
        return name, "got %r, status %d; the host %r, status %d" % (
            r.stdout[-200:], r.returncode, host.stdout[-200:], host.returncode), 0
    return name, None, time.time() - t0


# tests/linux/c programs also run as "./PROG persona-only" on Persona alone
# (run_persona_only), as linux-PROG-persona-only
PERSONA_ONLY = ["fsmountapi", "prctl2", "sockoob", "peekoff", "netstatext", "hwbp", "tsc", "sysfsfiles", "sysctl", "kconfig", "prsetmm",
                "soak", "epollnest", "ioprio", "pidfd", "pipetimes", "procglobals", "netns", "pingsock", "watchqueue",
                "procpidlive", "cgroup", "netsysctl", "nssetall", "overcommit", "odirect"]


def run_persona_only(build, name, prog, arg):
    """tests/linux/c/PROG.c (built by linux_cases) run as "./PROG ARG" on
    Persona alone, for what the host cannot do (a feature its kernel was
    built without, a capability its root lacks): its
    output must be tests/linux/c/PROG.ARG.expected, Linux 6.1's."""
    t0 = time.time()
    with open(os.path.join(HERE, "linux", "c", "%s.%s.expected" % (prog, arg)), "rb") as f:
        want = f.read()
    with tempfile.TemporaryDirectory(prefix="persona-overlay-") as tmp:
        os.makedirs(os.path.join(tmp, "tmp", "w"))
        shutil.copy(os.path.join(build, "linux-tests", prog), os.path.join(tmp, "tmp", "w"))
        r = subprocess.run([os.path.join(HERE, "..", "scripts", "persona-run"), "--overlay", tmp, "--timeout", "60", "--",
                            "/bin/sh", "-c", "cd /tmp/w && ./%s %s" % (prog, arg)],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ, BUILD=build))
    if r.stdout != want or r.returncode:
        return name, "got %r, status %d; want %r" % (r.stdout, r.returncode, want), 0
    return name, None, time.time() - t0


PROC_SCRIPT = r"""
sleep 30 &
bg=$!
echo "bg $bg"
# busybox runs its applet by exec of /proc/self/exe (the name "exe", as on
# Linux) and then names itself sleep: wait for that, whichever ran first
i=0; while [ "$(cat /proc/$bg/comm)" != sleep ] && [ $i -lt 50 ]; do i=$((i+1)); sleep 0.1; done
ps
free
cat /proc/meminfo
echo "stat: $(cat /proc/$bg/stat)"
echo "cmdline: $(tr '\0' ' ' < /proc/$bg/cmdline)"
echo "exe: $(readlink /proc/$bg/exe)"
cd /tmp && echo "cwd: $(readlink /proc/self/cwd)"
grep -E '^(Name|State|PPid):' /proc/self/status
echo "fds: $(ls /proc/$bg/fd | tr '\n' ' ')"
top -b -n 1 | head -8
echo "self: $(readlink /proc/self)"
i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done
echo "shell utime: $(cut -d' ' -f14 /proc/$$/stat)"
head -1 /proc/stat
kill $bg; wait
test -e /proc/$bg && echo "still there" || echo "gone"
df / /proc
"""


def run_procfs(build, logdir):
    """/proc read by busybox: ps, free and top print what the personality
    knows, the per-process files describe a background sleep, a busy
    shell loop shows as CPU time, and df finds both mounts through statfs."""
    t0 = time.time()
    r = subprocess.run([os.path.join(HERE, "..", "scripts", "persona-run"), "--timeout", "60", "--", "/bin/sh", "-c",
                        PROC_SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, BUILD=build))
    out = r.stdout.decode(errors="replace")
    with open(os.path.join(logdir, "linux-procfs.log"), "w") as f:
        f.write(out)
    bg = re.search(r"^bg (\d+)$", out, re.M)
    total = re.search(r"^MemTotal: +(\d+) kB$", out, re.M)
    free_total = re.search(r"^Mem: +(\d+) ", out, re.M)
    if not bg or not total or not free_total:
        return "linux-procfs", "no pid, MemTotal or free line", 0
    pid = bg.group(1)
    wants = [r"^ +%s root +sleep 30$" % pid,                  # ps
             r"^stat: %s \(sleep\) S 1 " % pid,
             r"^cmdline: sleep 30 $", r"^exe: /bin/busybox$", r"^cwd: /tmp$",
             r"^Name:\tgrep$", r"^State:\tR \(running\)$", r"^PPid:\t1$",
             r"^fds: 0 1 2 $", r"^Mem: \d+K used, \d+K free", r"^ +%s +1 root +S .* sleep 30$" % pid,
             r"^self: \d+$", r"^gone$",
             r"^tmpfs +[1-9]\d* +\d+ +[1-9]\d* +\d+% /$", r"^proc +0 +0 +0 +0% /proc$",  # df: statfs
             r"^shell utime: [1-9]\d*$",                        # CPU time from the kernel's accounts
             r"^cpu  [1-9]\d* 0 \d+ \d+ "]
    missing = [w for w in wants if not re.search(w, out, re.M)]
    if free_total.group(1) != total.group(1):
        missing.append("free's total %s = MemTotal %s" % (free_total.group(1), total.group(1)))
    if missing or r.returncode:
        return "linux-procfs", "status %d; missing %s" % (r.returncode, "; ".join(missing)), 0
    return "linux-procfs", None, time.time() - t0


def run_linux_fuzz(build, logdir):
    """tests/linux/fuzz: 40,000 random Linux calls from a fixed seed, then
    20,000 random socket operations of AF_UNIX and 100,000 of internet
    sockets, on Persona only; the server answers
    every one and is still there after, and the internet fuzzer leaks
    neither sockets nor memory.  Then tcpscale: 10,000 TCP connections
    leave memory level, and 1,000 idle ones all answer."""
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="persona-fuzz-") as tmp:
        for prog in ("fuzz", "sockfuzz", "inetfuzz", "tcpscale"):
            r = subprocess.run(["musl-gcc", "-static", "-O2", "-Wall", "-o", os.path.join(tmp, prog),
                                os.path.join(HERE, "linux", "fuzz", prog + ".c")], capture_output=True, text=True)
            if r.returncode:
                return "linux-fuzz", "does not build: " + r.stderr.strip()[:200], 0
        r = subprocess.run([os.path.join(HERE, "..", "scripts", "persona-run"), "--timeout", "150", "--overlay", tmp,
                            "--", "/bin/sh", "-c", "/fuzz; cd /tmp && /sockfuzz 20000; /inetfuzz 100000; /tcpscale"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, BUILD=build))
    out = r.stdout.decode(errors="replace")
    with open(os.path.join(logdir, "linux-fuzz.log"), "w") as f:
        f.write(out)
    if r.returncode or not re.search(r"^fuzz: 40 rounds of 1000 random calls: ", out, re.M) or \
            not re.search(r"^fuzz: the server still answers: 1$", out, re.M) or \
            not re.search(r"^sockfuzz: still answering: 1$", out, re.M) or \
            not re.search(r"^inetfuzz: still answering: 1$", out, re.M) or \
            not re.search(r"^inetfuzz: memory after the first round and the last: level$", out, re.M) or \
            "still listed" in out or \
            not re.search(r"^tcpscale: 10000 connections opened and closed, memory level\n"
                          r"tcpscale: /proc/net/tcp lists 1 socket\(s\)\n"
                          r"tcpscale: timewait sockets after 11000 closes: some, within the limit\n"
                          r"tcpscale: 1000 idle connections open, 2000 ends answer and have nothing to read\n"
                          r"tcpscale: /proc/net/tcp lists 2001 socket\(s\)$", out, re.M):
        return "linux-fuzz", "status %d; the server did not answer to the end" % r.returncode, 0
    return "linux-fuzz", None, time.time() - t0


def run_bench_smoke(build, logdir):
    """tests/bench on Persona under the benchmark's icount settings with
    the counting plugin, few iterations: every operation reports its ticks,
    and the plugin saw each operation's markers and counted at least the
    two kernel entries and two CR3 writes a forwarded syscall costs."""
    t0 = time.time()
    sys.path.insert(0, os.path.join(HERE, "bench"))
    import run as bench  # tests/bench/run.py
    bdir = os.path.join(build, "bench")
    out, plog, rc = bench.persona_run(build, bdir, ["/bench/bench", "-q"], extra=bench.plugin_flags(bdir),
                                      timeout=120)
    with open(os.path.join(logdir, "bench-smoke.log"), "w") as f:
        f.write(out + "\n--- plugin ---\n" + plog)
    ops, events = bench.parse_ops(out), bench.parse_events(plog, out)
    missing = [name for _, name, _ in bench.OPS if name not in ops or name not in events]
    if rc != 0 or "done" not in out or missing:
        return "bench-smoke", "status %d, no figures for %s" % (rc, ", ".join(missing) or "-"), 0
    entries, cr3 = events["null_syscall"]
    if entries < 2 or cr3 < 2:
        return "bench-smoke", "null syscall: %.2f entries, %.2f CR3 writes" % (entries, cr3), 0
    return "bench-smoke", None, time.time() - t0


def tool_cases():
    """(name, path) for every tool check: tests/tools/NAME.py is "tool-NAME"."""
    return [("tool-" + os.path.basename(p)[:-3], p) for p in sorted(glob.glob(os.path.join(HERE, "tools", "*.py")))]


def run_tool(build, name, path, logdir):
    """A tool check prints a line per check and exits 0 when all passed."""
    t0 = time.time()
    r = subprocess.run([sys.executable, path, "--build", build], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with open(os.path.join(logdir, name + ".log"), "w") as f:
        f.write(r.stdout)
    if r.returncode:
        fails = [line for line in r.stdout.splitlines() if line.startswith("FAIL")]
        return name, fails[0] if fails else "status %d" % r.returncode, 0
    return name, None, time.time() - t0


def run_unit(build):
    """Runs tests/unit; returns (passed, failed) from its summary line."""
    r = subprocess.run(["make", "--no-print-directory", "-C", os.path.join(HERE, "unit"),
                        "BUILD=" + os.path.abspath(os.path.join(build, "unit"))],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(r.stdout)
    m = re.search(r"^unit: (\d+) passed, (\d+) failed$", r.stdout, re.M)
    if not m:
        print("FAIL unit: the unit tests did not run to their summary")
        return 0, 1
    return int(m.group(1)), int(m.group(2)) + (1 if r.returncode and not int(m.group(2)) else 0)


def show_log_tail(logdir, name, lines=30):
    """A failure's log tail goes to the output too, so that a CI run that
    keeps only the output still shows why a case failed."""
    try:
        with open(os.path.join(logdir, name + ".log"), errors="replace") as f:
            tail = f.read().splitlines()[-lines:]
    except OSError:
        return
    for line in tail:
        print("     | " + line)


def default_signals():
    """The host's side of a comparison runs with Linux's default signal
    dispositions, however the suite was started: a shell starting it in the
    background (an asynchronous list without job control) leaves SIGINT and
    SIGQUIT ignored, and nohup SIGHUP, which every program started from here
    would inherit (^C on a pseudo-terminal then ends nothing, SIGQUIT makes
    no core, an orphaned group's SIGHUP kills nobody)."""
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # SIG_DFL in the programs run


def main():
    default_signals()
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--only", help="regex of test names to run")
    ap.add_argument("--no-unit", action="store_true")
    args = ap.parse_args()
    passed = failed = 0
    results = {}  # test name: passed, for the labs' scores
    if not args.no_unit and not args.only:
        passed, failed = run_unit(args.build)
        r = subprocess.run([os.path.join(HERE, "..", "scripts", "check.sh")], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        sys.stdout.write(r.stdout)
        print("%s make check" % ("ok  " if r.returncode == 0 else "FAIL"))
        passed, failed = passed + (r.returncode == 0), failed + (r.returncode != 0)
        r = subprocess.run([sys.executable, os.path.join(HERE, "docs", "check-snippets.py")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        sys.stdout.write(r.stdout)
        m = re.search(r"^docs: (\d+) passed, (\d+) failed$", r.stdout, re.M)
        passed += int(m.group(1)) if m else 0
        failed += int(m.group(2)) if m else 1
    iso = os.path.join(args.build, "persona.iso")
    logdir = os.path.join(args.build, "test-logs")
    os.makedirs(logdir, exist_ok=True)
    cases = [parse_case(p) for p in sorted(glob.glob(os.path.join(HERE, "*", "*.test")))]
    if args.only:
        cases = [c for c in cases if re.search(args.only, c["name"])]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for case, err, secs in pool.map(lambda c: run_case(iso, c, logdir), cases):
            results[case["name"]] = not err
            if err:
                failed += 1
                print("FAIL %-28s %s (log: %s/%s.log)" % (case["name"], err, logdir, case["name"]))
                show_log_tail(logdir, case["name"])
            else:
                passed += 1
                print("ok   %-28s %.1fs" % (case["name"], secs))
    build = os.path.abspath(args.build)
    lcases = linux_cases(args.build, args.only)
    skipped = []
    if any(c[0].startswith("linux-i386-") for c in lcases) and not host_runs_i386(args.build):
        skipped = [c[0] for c in lcases if c[0].startswith("linux-i386-")
                   and (not args.only or re.search(args.only, c[0]))]
        lcases = [c for c in lcases if not c[0].startswith("linux-i386-")]
        for name in skipped:
            print("skip %-30s this host's kernel runs no 32-bit programs: nothing to compare with" % name)
    tcases = tool_cases()
    # the tool checks first: one of them is the longest job of this pool
    jobs = [lambda c=c: run_tool(build, c[0], c[1], logdir) for c in tcases]
    jobs += [lambda c=c: run_linux(build, c[0], c[1], logdir) for c in lcases]
    jobs += [lambda c=c: run_persona_run(build, *c) for c in PERSONA_RUN_CASES]
    jobs += [lambda: run_bench_smoke(build, logdir), lambda: run_procfs(build, logdir),
             lambda: run_linux_fuzz(build, logdir), lambda: run_interp_dynamic(build),
             lambda: run_init_threads(build),
             lambda: run_init_threads(build, "linux-init-sigwait", "initsigwait", ("init",)),
             lambda: ext2case.run_ext2(build)]
    jobs += [lambda p=p: run_persona_only(build, "linux-%s-persona-only" % p, p, "persona-only") for p in PERSONA_ONLY]
    names = [c[0] for c in tcases] + [c[0] for c in lcases] + [c[0] for c in PERSONA_RUN_CASES] + \
        ["bench-smoke", "linux-procfs", "linux-fuzz", "linux-interp-dynamic", "linux-init-threads", "linux-init-sigwait",
         "linux-ext2"] + ["linux-%s-persona-only" % p for p in PERSONA_ONLY]
    if args.only:
        jobs = [j for j, n in zip(jobs, names) if re.search(args.only, n)]
    pending, pended = pending_names(), 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for name, err, secs in pool.map(lambda job: job(), jobs):
            results[name] = not err
            if err and name in pending:
                pended += 1
                print("pend %-30s %s (listed in tests/linux/i386/pending)" % (name, err))
            elif err:
                failed += 1
                print("FAIL %-30s %s (log: %s/%s.log)" % (name, err, logdir, name))
                show_log_tail(logdir, name)
            elif name in pending:
                failed += 1
                print("FAIL %-30s passes: take it off tests/linux/i386/pending" % name)
            else:
                passed += 1
                print("ok   %-30s %.1fs" % (name, secs))
    if not args.only:  # the full tree scores 100 in every lab (docs/labs/README.md)
        for name in lab.labs_declared(os.path.join(HERE, "..")):
            score, lost = lab.score(lab.read_grade(os.path.join(HERE, ".."), name), results)
            passed, failed = passed + (score == 100), failed + (score != 100)
            print("%s lab-%-26s %d/100%s" % ("ok  " if score == 100 else "FAIL", name, score,
                                            "; lost: " + ", ".join(lost) if lost else ""))
    if pended:
        print("%d pending (tests/linux/i386/pending)" % pended)
    if skipped:
        print("%d skipped: this host's kernel runs no 32-bit programs (no IA32 emulation), so the "
              "linux-i386-* comparisons did not run" % len(skipped))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
