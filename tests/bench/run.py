#!/usr/bin/env python3
"""tests/bench/run.py - `make bench`: runs the same unmodified static Linux
binary (tests/bench/bench.c) on Persona's Linux personality and on Debian's
own Linux kernel, in the same QEMU with the same deterministic settings,
and prints one table: operation, Linux ticks, Persona ticks, the ratio
Persona/Linux, and the privileged events per operation (kernel entries
and CR3 writes) that the counting plugin (tests/bench/plugin/count.c)
saw; then a second table for the same program built 32-bit (bench32,
gcc -m32 -static) against Linux running that binary.  It also times both boots, finds the smallest memory each boots and
runs busybox sh in, and writes the table and a bar chart into
docs/performance.md and docs/performance.svg.

Debian's kernel comes from the linux-image-amd64 package, downloaded with
`apt-get download` into BUILD/bench/linux and unpacked there; it is not
installed as the host's kernel.  It boots with -kernel/-initrd and an
initramfs built here: the benchmark as rdinit, busybox for the boot and
memory runs, /dev/console and /dev/null.

Options: --quick (few iterations, no doc update: a smoke run),
--flat-only (Persona's flat-cost rows alone, `bench flat`), --no-doc, --no-memory (skip the memory search), --persona-only,
--profile OP (Persona only: where OP's instructions go, by function:
the kernel, each native server (by its address range), and the benchmark
program).
"""
import argparse
import datetime
import glob
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
import persona_elf  # noqa: E402
import persona_qemu  # noqa: E402

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
# The settings under which the guest TSC counts instructions retired.
DETERMINISTIC = ["-accel", "tcg", "-smp", "1", "-cpu", "qemu64", "-icount", "shift=0,sleep=off",
                 "-rtc", "base=2024-01-01T00:00:00,clock=vm"]
MEMORY = "256M"
LINUX_APPEND = "console=ttyS0 nokaslr norandmaps randomize_kstack_offset=off quiet panic=-1"

# (marker number, name the program prints, what the table says)
OPS = [
    (1, "null_syscall", "null syscall (getpid)"),
    (2, "write_devnull", "write 64 B to /dev/null"),
    (3, "open_close", "open + close"),
    (4, "stat", "stat"),
    (5, "fork_exit_wait", "fork + _exit + waitpid"),
    (6, "fork_exec_wait", "fork + execve + waitpid"),
    (7, "pipe_pingpong", "pipe ping-pong, 1 byte"),
    (8, "pipe_64k", "pipe bandwidth, per 64 KiB"),
    (9, "mmap_1m", "mmap + touch + munmap 1 MiB"),
    (10, "page_fault", "page fault, per 4 KiB page"),
    (11, "clock_gettime", "clock_gettime(CLOCK_MONOTONIC)"),
    (13, "tcp_pingpong", "TCP loopback ping-pong, 1 byte"),
    (14, "tcp_64k", "TCP loopback bandwidth, per 64 KiB"),
    (15, "null_syscall_idle", "null syscall, 1,000 idle TCP connections open"),
    (36, "alarm_cycle", "alarm(100000) + alarm(0)"),
]
# Cost that stays flat (bench.c's flat()): each base op again with 1, 100
# and 1,000 sleeping processes in the background and with 1,000 open
# descriptors; ids base+0..4 in the order of FLAT_OPS.
FLAT_OPS = [("null", "null_syscall", "null syscall"), ("pipe", "pipe_pingpong", "pipe ping-pong"),
            ("open", "open_close", "open + close"), ("fork", "fork_exit_wait", "fork + _exit + waitpid"),
            ("alarm", "alarm_cycle", "alarm set + clear")]
FLAT_CASES = [(16, "s1", "1 sleeping"), (21, "s100", "100 sleeping"), (26, "s1000", "1,000 sleeping"),
              (31, "fd1000", "1,000 fds open")]
# "alone": the same ops just before the first sleeper, in the state the
# process has then (the earlier rows leave it larger than at the start).
FLAT_ALONE = (37, "s0", "alone")
ALL_OPS = OPS + [(base + k, "flat_%s_%s" % (op, tag), "%s, %s" % (title, what))
        for base, tag, what in [FLAT_ALONE] + FLAT_CASES for k, (op, _, title) in enumerate(FLAT_OPS)]
# The targets, Persona/Linux: (limit, stretch or None)
TARGETS = {"null_syscall": 2.0, "write_devnull": 1.0, "stat": 1.0, "open_close": 1.0,
           "fork_exit_wait": 1.0, "fork_exec_wait": 1.0, "pipe_pingpong": 1.5}


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


# ---- Debian's kernel -------------------------------------------------------

def fetch_linux(bench_dir):
    """BUILD/bench/linux/vmlinuz-*, downloaded and unpacked on first use."""
    dest = os.path.join(bench_dir, "linux")
    found = sorted(glob.glob(os.path.join(dest, "boot", "vmlinuz-*")))
    if found:
        return found[-1]
    os.makedirs(dest, exist_ok=True)
    deps = subprocess.run(["apt-cache", "depends", "linux-image-amd64"], capture_output=True, text=True).stdout
    m = re.search(r"Depends: (linux-image-\S+)", deps)
    if not m:
        sys.exit("bench: apt-cache knows no linux-image-amd64 (run apt-get update)")
    log("downloading %s (Debian's kernel, unpacked in %s)" % (m.group(1), dest))
    subprocess.run(["apt-get", "download", m.group(1)], cwd=dest, check=True, stdout=subprocess.DEVNULL)
    deb = glob.glob(os.path.join(dest, m.group(1) + "_*.deb"))[0]
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", dest, "--wildcards", "./boot/vmlinuz-*"], stdin=tar.stdout, check=True)
    tar.wait()
    os.unlink(deb)
    return sorted(glob.glob(os.path.join(dest, "boot", "vmlinuz-*")))[-1]


def cpio_newc(entries):
    """entries: (path, mode, data bytes, rdev major, minor) -> a newc archive."""
    out = io.BytesIO()
    for ino, (path, mode, data, major, minor) in enumerate(entries, 1):
        persona_qemu.write_cpio_entry(out, ino, path, mode, 1704067200, data, (major, minor))
    persona_qemu.write_cpio_entry(out, len(entries) + 1, "TRAILER!!!", 0, 1704067200, b"")
    return out.getvalue()


def read_file(path):
    with open(path, "rb") as fh:
        return fh.read()


def bench_entries(bench_dir, *names):
    """/bench with the named programs of BENCH_DIR/root/bench, and /dev's
    console and null, as cpio_newc entries."""
    return [("bench", stat.S_IFDIR | 0o755, b"", 0, 0)] + \
        [("bench/" + n, stat.S_IFREG | 0o755, read_file(os.path.join(bench_dir, "root", "bench", n)), 0, 0)
         for n in names] + \
        [("dev", stat.S_IFDIR | 0o755, b"", 0, 0),
         ("dev/console", stat.S_IFCHR | 0o600, b"", 5, 1),
         ("dev/null", stat.S_IFCHR | 0o666, b"", 1, 3)]


def linux_initramfs(bench_dir, path):
    """The Linux side's initramfs: the benchmark, busybox, two device nodes."""
    entries = bench_entries(bench_dir, "bench", "tiny", "bench32", "tiny32") + [
        ("bin", stat.S_IFDIR | 0o755, b"", 0, 0),
        ("bin/busybox", stat.S_IFREG | 0o755, read_file("/bin/busybox"), 0, 0),
        ("bin/sh", stat.S_IFLNK | 0o777, b"busybox", 0, 0),
        ("tmp", stat.S_IFDIR | 0o1777, b"", 0, 0),
        ("sh-ok", stat.S_IFREG | 0o755, b"#!/bin/sh\necho BUSYBOX-SH-OK\n/bin/busybox poweroff -f\n", 0, 0),
    ]
    with open(path, "wb") as fh:
        fh.write(cpio_newc(entries))


def debian_initramfs(tree, bench_dir, path, script="debian.sh"):
    """The Linux side of the Debian workload: the tree (make debian-root),
    then the benchmark, tests/bench/debian.sh and /dev's nodes as a
    second archive, which Linux unpacks over the first."""
    persona_qemu.write_cpio([tree], path)
    entries = bench_entries(bench_dir, "bench", "tiny") + [
        ("bench/" + script, stat.S_IFREG | 0o755, read_file(os.path.join(HERE, script)), 0, 0),
        ("dev/zero", stat.S_IFCHR | 0o666, b"", 1, 5),
        ("dev/random", stat.S_IFCHR | 0o666, b"", 1, 8),
        ("dev/urandom", stat.S_IFCHR | 0o666, b"", 1, 9),
    ]
    with open(path, "ab") as fh:
        fh.write(cpio_newc(entries))


# ---- running QEMU ------------------------------------------------------------

def run_qemu(cmd, timeout):
    """Runs QEMU with its serial line in a file; returns (serial, plugin log,
    status or None on a timeout)."""
    with tempfile.TemporaryDirectory(prefix="persona-bench-") as tmp:
        serial, plog = os.path.join(tmp, "serial"), os.path.join(tmp, "plugin")
        full = cmd + ["-serial", "file:" + serial, "-d", "plugin", "-D", plog]
        try:
            rc = subprocess.run(full, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = None
        return (open(serial, "rb").read().decode(errors="replace").replace("\r\n", "\n") if os.path.exists(serial) else "",
                open(plog).read() if os.path.exists(plog) else "", rc)


def kvm_works():
    """Whether /dev/kvm opens and answers KVM_GET_API_VERSION with 12."""
    import fcntl
    try:
        fd = os.open("/dev/kvm", os.O_RDWR)
    except OSError:
        return False
    try:
        return fcntl.ioctl(fd, 0xAE00) == 12
    except OSError:
        return False
    finally:
        os.close(fd)


PLUGINS = True  # False under KVM: TCG plugins need TCG


def plugin_flags(bench_dir, *args):
    if not PLUGINS:
        return []
    return ["-plugin", ",".join([os.path.join(bench_dir, "count.so")] + list(args))]


def linux_cmd(kernel, initrd, rdinit, memory, extra=()):
    return [QEMU, "-machine", "pc", "-m", memory, "-no-reboot", "-display", "none", "-monitor", "none",
            "-kernel", kernel, "-initrd", initrd, "-append", LINUX_APPEND + " rdinit=" + rdinit] + \
        DETERMINISTIC + list(extra)


def persona_cmd(build, memory, extra=()):
    """The ISO as `make run` boots it: no configuration disk, the default
    menu entry, the Linux personality's default shell (bash -l)."""
    return [QEMU] + persona_qemu.BASE_FLAGS + ["-m", memory, "-cdrom", os.path.join(build, "persona.iso"),
                                               "-monitor", "none"] + DETERMINISTIC + list(extra)


def persona_run(build, bench_dir, argv, memory=MEMORY, extra=(), timeout=600, overlay=True):
    """scripts/persona-run with the benchmark's files under /bench (unless
    overlay is False: persona-run adds an overlay's share to the memory);
    returns (output, plugin log, status)."""
    with tempfile.TemporaryDirectory(prefix="persona-bench-") as tmp:
        plog = os.path.join(tmp, "plugin")
        flags = DETERMINISTIC + list(extra)
        if extra:
            flags += ["-d", "plugin", "-D", plog]
        env = dict(os.environ, BUILD=build, PERSONA_QEMU_FLAGS=" ".join(flags))
        files = ["--overlay", os.path.join(bench_dir, "root")] if overlay else []
        r = subprocess.run([os.path.join(ROOT, "scripts", "persona-run"), "--memory", memory, "--timeout",
                            str(timeout)] + files + ["--"] + argv,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        return (r.stdout.decode(errors="replace"), open(plog).read() if os.path.exists(plog) else "",
                r.returncode)


# ---- parsing -----------------------------------------------------------------

def parse_ops(out):
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^op (\S+)\s+(\d+) (\d+)$", out, re.M)}


def parse_events(plog, program_out):
    """Kernel entries and CR3 writes per operation, from the markers."""
    marks = {int(m.group(1)): (int(m.group(3)), int(m.group(4)))
             for m in re.finditer(r"^mark (\d+) insns=(\d+) entries=(\d+) cr3=(\d+)$", plog, re.M)}
    iters = {m.group(1): int(m.group(2)) for m in re.finditer(r"^op (\S+)\s+\d+ (\d+)$", program_out, re.M)}
    ev = {}
    for num, name, _ in ALL_OPS:
        a, b = marks.get(2 * num), marks.get(2 * num + 1)
        if a and b and iters.get(name):
            ev[name] = ((b[0] - a[0]) / iters[name], (b[1] - a[1]) / iters[name])
    return ev


def boot_events(plog):
    get = lambda k: int(m.group(1)) if (m := re.search(r"^%s insns=(\d+)$" % k, plog, re.M)) else None  # noqa
    return get("first-user"), get("first-idle")


# ---- the measurements ----------------------------------------------------------

def failed(what, required):
    """The end of the run where the 64-bit benchmark failed; only a warning
    for the 32-bit one (its table then shows "-")."""
    if required:
        sys.exit("bench: " + what)
    log("warning: " + what)


def bench_persona(build, bench_dir, quick, prog="bench", args=()):
    out, plog, rc = persona_run(build, bench_dir, ["/bench/" + prog] + (["-q"] if quick else []) + list(args),
                                extra=plugin_flags(bench_dir))
    if rc != 0 or "done" not in out:
        failed("the benchmark (%s) failed on Persona (status %d):\n%s" % (prog, rc, out[-3000:]), prog == "bench")
    return parse_ops(out), parse_events(plog, out), out


def bench_linux(kernel, initrd, bench_dir, quick, prog="bench"):
    # Linux hands init the words of its command line it does not know.
    cmd = linux_cmd(kernel, initrd, "/bench/" + prog, MEMORY, plugin_flags(bench_dir))
    if quick:
        cmd[cmd.index("-append") + 1] += " -- -q"
    out, plog, rc = run_qemu(cmd, 900)
    if "done" not in out:
        failed("the benchmark (%s) failed on Linux (status %s):\n%s" % (prog, rc, out[-3000:]), prog == "bench")
    return parse_ops(out), parse_events(plog, out), out


def boot_persona(build, bench_dir):
    serial, plog, rc = run_qemu(persona_cmd(build, MEMORY, plugin_flags(bench_dir, "stop-at-idle=on")), 300)
    user, idle = boot_events(plog)
    if not re.search(r"[#$] $", serial.rstrip("\n") + " ") and "# " not in serial[-200:]:
        log("warning: Persona's boot stopped at its first idle without a prompt in sight:\n" + serial[-400:])
    return user, idle, serial


def boot_linux(kernel, initrd, bench_dir):
    serial, plog, rc = run_qemu(linux_cmd(kernel, initrd, "/bin/sh", MEMORY,
                                          plugin_flags(bench_dir, "stop-at-idle=on")), 600)
    user, idle = boot_events(plog)
    if "# " not in serial[-200:]:
        log("warning: Linux's boot stopped at its first idle without a prompt in sight:\n" + serial[-400:])
    return user, idle, serial


# Linux unpacks the whole Debian tree (about 160 MiB with gdb and strace)
# into its initramfs, and Persona keeps the archive and its tmpfs: room
# for both, and for the workloads' files.
DEBIAN_MEMORY = "1024M"


def parse_debian(out):
    """{name: figure} from debian.sh's lines: the shells' KiB and ops' ticks."""
    got, m = {}, re.search(r"^shells free_kib (\d+) rss_kib (\d+)$", out, re.M)
    if m:
        got = {"free_kib": int(m.group(1)), "rss_kib": int(m.group(2))}
    m = re.search(r"^shell1 free_kib (-?\d+) rss_kib (\d+)$", out, re.M)
    if m:
        got.update({"free_kib1": int(m.group(1)), "rss_kib1": int(m.group(2))})
    m = re.search(r"^lifetimes free_kib_before (\d+) after (\d+)$", out, re.M)
    if m:
        got["lost_kib"] = int(m.group(1)) - int(m.group(2))
    got.update(parse_ops(out))
    return got


def debian_persona(build, bench_dir, tree, script="debian.sh", args=(), done="debian done", timeout=900, extra=()):
    """A script of tests/bench run as Persona's init's command in the Debian
    tree; its output (with QEMU flags extra: its output and the plugin's log)."""
    with tempfile.TemporaryDirectory(prefix="persona-bench-") as tmp:
        os.makedirs(os.path.join(tmp, "bench"))
        shutil.copy(os.path.join(HERE, script), os.path.join(tmp, "bench"))
        plog = os.path.join(tmp, "plugin")
        flags = DETERMINISTIC + (list(extra) + ["-d", "plugin", "-D", plog] if extra else [])
        env = dict(os.environ, BUILD=build, PERSONA_QEMU_FLAGS=" ".join(flags))
        r = subprocess.run([os.path.join(ROOT, "scripts", "persona-run"), "--memory", DEBIAN_MEMORY, "--timeout",
                            str(timeout), "--root", tree, "--overlay", os.path.join(bench_dir, "root"), "--overlay",
                            tmp, "--", "/bench/" + script] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        plugin = open(plog).read() if extra and os.path.exists(plog) else None
    out = r.stdout.decode(errors="replace")
    if r.returncode or done not in out:
        log("warning: %s failed on Persona (status %d):\n%s" % (script, r.returncode, out[-400:]))
    return (out, plugin) if extra else out


def debian_linux(kernel, bench_dir, tree, script="debian.sh", args=(), done="debian done", timeout=900):
    """The same script as Linux's init (rdinit=) in the same tree; its output."""
    initrd = os.path.join(bench_dir, "linux-debian.cpio")
    debian_initramfs(tree, bench_dir, initrd, script)
    cmd = linux_cmd(kernel, initrd, "/bench/" + script, DEBIAN_MEMORY)
    if args:
        cmd[cmd.index("-append") + 1] += " -- " + " ".join(args)
    serial, _, rc = run_qemu(cmd, timeout)
    if done not in serial:
        log("warning: %s failed on Linux:\n%s" % (script, serial[-400:]))
    return serial


WORKLOADS = [("spawn", "a script forking and execing 1,000 short commands"),
             ("targz", "tar -czf of a 10 MB tree, then tar -xzf"),
             ("sort", "sort -n of 1 M lines"),
             ("findstat", "find with a stat of each of 10,000 files"),
             ("bashwork", "a bash script of builtins and subshells"),
             ("grep", "grep (three searches) over 20 MB"),
             ("pipeline", "a pipeline of five processes moving 50 MB"),
             ("pysys", "python3 making 10,000 small system calls")]


def parse_workloads(out):
    """{name: (ticks or None, output sum or None)} from workloads.sh's lines."""
    ops = parse_ops(out)
    sums = {m.group(1): m.group(2) for m in re.finditer(r"^out (\S+) (.*)$", out, re.M)}
    return {name: (ops.get(name), sums.get(name)) for name, _ in WORKLOADS}


def workload_table(lin, per):
    """Ticks on each and the ratio; a workload whose outputs differ (or that
    failed on either) is reported as such, not timed."""
    rows = [("workload", "Linux ticks", "Persona ticks", "Persona/Linux")]
    for name, title in WORKLOADS:
        (lt, ls), (pt, ps) = lin[name], per[name]
        if lt is None or pt is None or ls is None or ls != ps:
            why = "failed on " + ("Linux" if lt is None or ls is None else "Persona") \
                if lt is None or pt is None or ls is None or ps is None else "outputs differ"
            rows.append((title, fmt(lt), fmt(pt), why))
        else:
            rows.append((title, fmt(lt), fmt(pt), "%.2f" % (pt / lt)))
    return rows


def workloads(kernel, build, bench_dir, tree, quick):
    args = ("quick",) if quick else ()
    log("the workloads on Persona")
    per = parse_workloads(debian_persona(build, bench_dir, tree, "workloads.sh", args, "workloads done", 3600))
    log("the workloads on Linux")
    lin = parse_workloads(debian_linux(kernel, bench_dir, tree, "workloads.sh", args, "workloads done", 3600))
    return workload_table(lin, per), lin, per


DEBIAN_ROWS = [("free_kib1", "one idle bash: free memory it takes (KiB)"),
               ("rss_kib1", "one idle bash: its VmRSS (KiB)"),
               ("free_kib", "ten idle bash: free memory they take (KiB)"),
               ("rss_kib", "ten idle bash: their VmRSS together (KiB)"),
               ("lost_kib", "10,000 process lifetimes: free memory not given back (KiB)"),
               ("dyn_true", "fork + execve + wait: Debian's /bin/true (ticks)"),
               ("dyn_bash", "fork + execve + wait: Debian's bash -c : (ticks)"),
               ("dyn_python3", "fork + execve + wait: python3 -c pass (ticks)")]


def debian_table(lin, per):
    rows = [("Debian's dynamic userland", "Linux", "Persona", "Persona/Linux")]
    for key, title in DEBIAN_ROWS:
        l, p = lin.get(key), per.get(key)
        r = ratio(p, l) if key != "lost_kib" else None  # a difference near 0: no ratio
        rows.append((title, fmt(l), fmt(p), "%.2f" % r if r else "-"))
    return rows


def smallest(works, lo, hi):
    """The smallest size in MiB in [lo, hi] for which works(size) holds,
    assuming it holds for every size above; None if it fails at hi."""
    if not works(hi):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if works(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi


def memory_persona(build, bench_dir):
    def works(mib):
        out, _, rc = persona_run(build, bench_dir, ["/bin/sh", "-c", "echo BUSYBOX-SH-OK"], "%dM" % mib,
                                 timeout=120, overlay=False)
        ok = rc == 0 and "BUSYBOX-SH-OK" in out
        log("Persona with %d MiB: %s" % (mib, "runs busybox sh" if ok else "fails"))
        return ok
    return smallest(works, 4, 256)


def memory_linux(kernel, initrd):
    def works(mib):
        serial, _, rc = run_qemu(linux_cmd(kernel, initrd, "/sh-ok", "%dM" % mib), 300)
        ok = "BUSYBOX-SH-OK" in serial
        log("Linux with %d MiB: %s" % (mib, "runs busybox sh" if ok else "fails"))
        return ok
    return smallest(works, 16, 512)


# ---- output ------------------------------------------------------------------

def fmt(n):
    return "-" if n is None else "{:,}".format(n)


def ratio(p, l):
    return p / l if p is not None and l else None


def table(lops, pops, lev, pev):
    rows = [("operation", "Linux ticks", "Persona ticks", "Persona/Linux", "target",
             "entries L/P", "CR3 writes L/P")]
    for _, name, title in OPS:
        l, p = lops.get(name), pops.get(name)
        r = ratio(p, l)
        t = TARGETS.get(name)
        target = "-" if t is None else ("<= %.1f %s" % (t, "met" if r is not None and r <= t else "missed"))
        le, pe = lev.get(name, (None, None)), pev.get(name, (None, None))
        ev = lambda a, b: "%s / %s" % ("-" if a is None else "%.2f" % a, "-" if b is None else "%.2f" % b)  # noqa
        rows.append((title, fmt(l), fmt(p), "-" if r is None else "%.2f" % r, target,
                     ev(le[0], pe[0]), ev(le[1], pe[1])))
    return rows


def flat_table(lops, pops):
    """Per base op and system: ticks alone, with 1, 100 and 1,000 sleepers
    and with 1,000 descriptors, and the 1,000 cases against alone."""
    rows = [("operation", "system", "alone") + tuple(what for _, _, what in FLAT_CASES) +
            ("1,000 sleeping / alone", "1,000 fds / alone")]
    for op, base, title in FLAT_OPS:
        for system, ops in (("Linux", lops), ("Persona", pops)):
            alone = ops.get("flat_%s_%s" % (op, FLAT_ALONE[1]))
            got = [ops.get("flat_%s_%s" % (op, tag)) for _, tag, _ in FLAT_CASES]
            rows.append((title, system, fmt(alone)) + tuple(fmt(g) for g in got) +
                        tuple("%.2f" % r if (r := ratio(g, alone)) else "-" for g in got[2:]))
    return rows


def render_text(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa
    return "\n".join([line(rows[0]), line(["-" * w for w in widths])] + [line(r) for r in rows[1:]])


def render_md(rows):
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] + ["---:"] * (len(rows[0]) - 1)) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out)


def svg_chart(lops, pops, path, work=()):
    """A horizontal bar chart of Persona/Linux per operation, then per
    workload (work: (title, ratio) pairs), on a log scale from 0.1 to 100,
    with the line at 1 (parity).  Plain SVG, written here: no plotting
    package needed."""
    import math
    items = [(title, ratio(pops.get(n), lops.get(n))) for _, n, title in OPS] + list(work)
    left, width, bar, gap, top = 230, 420, 18, 8, 30
    height = top + len(items) * (bar + gap) + 40
    x = lambda v: left + width * (math.log10(max(min(v, 100), 0.1)) + 1) / 3  # noqa
    s = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
         'font-size="12">' % (left + width + 60, height),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="18" font-weight="bold">Persona / Linux, TSC ticks per operation '
         '(log scale; below 1 is faster)</text>' % 10]
    for i, (title, r) in enumerate(items):
        y = top + i * (bar + gap)
        s.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 6, y + 13, title.replace("&", "&amp;")))
        if r is not None:
            x0, x1 = sorted((x(1), x(r)))
            s.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>'
                     % (x0, y, max(x1 - x0, 1), bar, "#4a7" if r <= 1 else "#c64"))
            s.append('<text x="%.1f" y="%d">%.2f</text>' % (max(x1, x(1)) + 4, y + 13, r))
    for v in (0.1, 1, 10, 100):
        s.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="%s"/>'
                 % (x(v), x(v), top - 4, height - 30, "black" if v == 1 else "#ccc"))
        s.append('<text x="%.1f" y="%d" text-anchor="middle">%g</text>' % (x(v), height - 14, v))
    s.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(s) + "\n")


def write_doc(path, text):
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    doc = open(path).read()
    if begin in doc:
        doc = doc[:doc.index(begin)] + begin + "\n" + text + "\n" + doc[doc.index(end):]
    else:
        doc += "\n" + begin + "\n" + text + "\n" + end + "\n"
    with open(path, "w") as f:
        f.write(doc)


# What `bench flat` runs: the flat-cost rows, alone and with the others.
FLAT_ONLY_OPS = {name for n, name, _ in ALL_OPS if n >= 16 and n != 36}


def flat_only(build, bench_dir):
    """--flat-only: `bench flat` on Persona alone, its flat-cost table (the
    Linux rows empty): the quick check while working on those paths."""
    pops, _, out = bench_persona(build, bench_dir, False, args=["flat"])
    print(render_text([r for r in flat_table({}, pops) if r[1] != "Linux"]))
    return 0


def profile(build, bench_dir, op, workload=None, quick=False):
    """Instructions per operation by function, from the plugin's profile of
    the blocks between OP's two markers (or a workload's, in the Debian tree)."""
    if workload:
        out, plog = debian_persona(build, bench_dir, os.path.join(build, "debian", "root"), "workloads.sh",
                                   ("quick" if quick else "full", workload), "workloads done", 3600,
                                   plugin_flags(bench_dir, "profile=12"))
        op, iters = workload, 1
    else:
        num = {name: n for n, name, _ in ALL_OPS}[op]
        out, plog, rc = persona_run(build, bench_dir, ["/bench/bench"] + (["flat"] if op in FLAT_ONLY_OPS else []),
                                    extra=plugin_flags(bench_dir, "profile=%d" % num))
        iters = {m.group(1): int(m.group(2)) for m in re.finditer(r"^op (\S+)\s+\d+ (\d+)$", out, re.M)}[op]
    hits = [(int(m.group(1), 16), int(m.group(2))) for m in re.finditer(r"^prof (0x[0-9a-f]+) (\d+)$", plog, re.M)]
    # Each native server has an address range of its own (the Makefile's
    # LINK_* table), Linux programs sit at 0x400000, the kernel in the top half.
    servers = [(os.path.basename(p)[:-4], p) + persona_elf.load_range(p)
               for p in glob.glob(os.path.join(build, "boot", "*.elf"))]
    where = lambda a: ("kernel", os.path.join(build, "persona.elf")) if a >= 1 << 63 else \
        next(((n, p) for n, p, lo, hi in servers if lo <= a < hi), None) or \
        ("bench", os.path.join(bench_dir, "root", "bench", "bench"))  # noqa
    funcs = {}
    for space in ["kernel"] + [n for n, _, _, _ in servers] + ["bench"]:
        addrs = [(a, n) for a, n in hits if where(a)[0] == space]
        if not addrs:
            continue
        r = subprocess.run(["addr2line", "-f", "-e", where(addrs[0][0])[1]] + ["%#x" % a for a, _ in addrs],
                           capture_output=True, text=True)
        names = r.stdout.splitlines()[0::2]
        for (a, n), fn in zip(addrs, names):
            funcs[(space, fn)] = funcs.get((space, fn), 0) + n
    total = sum(funcs.values())
    print("%s: %s instructions per operation in the 400 hottest blocks" % (op, fmt(total // iters)))
    for (space, fn), n in sorted(funcs.items(), key=lambda kv: -kv[1]):
        print("%10s  %5.1f%%  %-7s %s" % (fmt(n // iters), 100.0 * n / total, space, fn))
    return 0


def bench_kvm(build, bench_dir, tree, quick):
    """`make bench ACCEL=kvm`: the operation and workload tables in real
    time under KVM (-cpu host), where /dev/kvm works; no plugin counts, no
    boot or memory figures, no document update."""
    global DETERMINISTIC, PLUGINS
    if not kvm_works():
        log("no working /dev/kvm here: the KVM run is skipped")
        return 0
    DETERMINISTIC, PLUGINS = ["-accel", "kvm", "-smp", "1", "-cpu", "host"], False
    out, _, _ = persona_run(build, bench_dir, ["/bin/echo", "KVM-OK"], timeout=60, overlay=False)
    if "KVM-OK" not in out:
        log("/dev/kvm opens, but Persona does not run under QEMU's KVM here: the KVM run is skipped")
        return 0
    log("KVM: real time, so figures vary from run to run")
    pops, _, _ = bench_persona(build, bench_dir, quick)
    kernel = fetch_linux(bench_dir)
    initrd = os.path.join(bench_dir, "linux-initramfs.cpio")
    linux_initramfs(bench_dir, initrd)
    lops, _, _ = bench_linux(kernel, initrd, bench_dir, quick)
    print(render_text(table(lops, pops, {}, {})))
    print()
    print(render_text(flat_table(lops, pops)))
    if os.path.isdir(tree):
        print()
        print(render_text(workloads(kernel, build, bench_dir, tree, quick)[0]))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--persona-only", action="store_true")
    ap.add_argument("--workloads-only", action="store_true")
    ap.add_argument("--no-workloads", action="store_true")
    ap.add_argument("--flat-only", action="store_true")
    ap.add_argument("--profile-workload", choices=[name for name, _ in WORKLOADS])
    ap.add_argument("--profile", choices=[name for _, name, _ in ALL_OPS])
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    bench_dir = os.path.join(build, "bench")
    if os.environ.get("ACCEL") == "kvm":
        return bench_kvm(build, bench_dir, os.path.join(build, "debian", "root"), a.quick)
    if a.flat_only:
        return flat_only(build, bench_dir)
    if a.profile or a.profile_workload:
        return profile(build, bench_dir, a.profile, a.profile_workload, a.quick)
    t0 = time.time()
    tree = os.path.join(build, "debian", "root")
    if a.workloads_only:
        wrows, lin, per = workloads(fetch_linux(bench_dir), build, bench_dir, tree, a.quick)
        print(render_text(wrows))
        print("sums Linux %s\nsums Persona %s" % (lin, per))
        return 0

    log("the benchmark on Persona")
    pops, pev, pout = bench_persona(build, bench_dir, a.quick)
    if a.persona_only:
        print(pout, end="")
        for name, (e, c) in pev.items():
            print("events %-16s entries %.2f cr3 %.2f" % (name, e, c))
        return 0
    kernel = fetch_linux(bench_dir)
    initrd = os.path.join(bench_dir, "linux-initramfs.cpio")
    linux_initramfs(bench_dir, initrd)
    log("the benchmark on Linux (%s)" % os.path.basename(kernel))
    lops, lev, _ = bench_linux(kernel, initrd, bench_dir, a.quick)
    rows = table(lops, pops, lev, pev)
    log("the benchmark built 32-bit (bench32), on Persona and on Linux")
    p32, l32 = bench_persona(build, bench_dir, a.quick, "bench32"), bench_linux(kernel, initrd, bench_dir, a.quick,
                                                                                   "bench32")
    rows32 = table(l32[0], p32[0], l32[1], p32[1])
    flat_rows = flat_table(lops, pops)

    log("the boots")
    p_user, p_idle, _ = boot_persona(build, bench_dir)
    l_user, l_idle, _ = boot_linux(kernel, initrd, bench_dir)
    boot_rows = [("boot", "Linux", "Persona", "Persona/Linux"),
                 ("instructions to the first user-mode instruction", fmt(l_user), fmt(p_user),
                  "%.3f" % r if (r := ratio(p_user, l_user)) else "-"),
                 ("instructions to the shell waiting at its prompt", fmt(l_idle), fmt(p_idle),
                  "%.3f" % r if (r := ratio(p_idle, l_idle)) else "-"),
                 ("Persona's prompt against Linux's first user instruction", "", "",
                  "%.3f" % r if (r := ratio(p_idle, l_user)) else "-")]

    work_rows = None
    if not a.no_workloads and os.path.isdir(tree):
        work_rows = workloads(kernel, build, bench_dir, tree, a.quick)[0]

    debian_rows = None
    if not a.quick and os.path.isdir(tree):
        log("Debian's userland: ten idle shells, dynamic programs")
        debian_rows = debian_table(parse_debian(debian_linux(kernel, bench_dir, tree)),
                                   parse_debian(debian_persona(build, bench_dir, tree)))

    mem_rows = None
    if not a.no_memory and not a.quick:
        log("the smallest memory for busybox sh")
        mp, ml = memory_persona(build, bench_dir), memory_linux(kernel, initrd)
        mem_rows = [("smallest memory that boots and runs busybox sh", "Linux", "Persona", "Linux/Persona"),
                    ("MiB (-m)", fmt(ml), fmt(mp), "%.1f" % (ml / mp) if ml and mp else "-")]

    qver = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print(render_text(rows))
    print("\nbuilt 32-bit (gcc -m32 -static), against Linux running the same binary:")
    print(render_text(rows32))
    print()
    print(render_text(flat_rows))
    print()
    if work_rows:
        print(render_text(work_rows))
        print()
    print(render_text(boot_rows))
    if debian_rows:
        print()
        print(render_text(debian_rows))
    if mem_rows:
        print()
        print(render_text(mem_rows))
    print("\n%s; Linux %s; %.0f s" % (qver, os.path.basename(kernel), time.time() - t0))
    if a.quick or a.no_doc:
        return 0
    text = ["Measured by `make bench` on %s with %s and Debian's `%s`, both with"
            % (datetime.date.today().isoformat(), qver, os.path.basename(kernel)),
            "`%s`, `-m %s`." % (" ".join(DETERMINISTIC), MEMORY), "",
            render_md(rows), "", "![Persona / Linux per operation](performance.svg)", "",
            "The same program built 32-bit (`gcc -m32 -static`, i386 glibc: `bench32`, whose fork + execve "
            "runs a 32-bit `tiny32`), against Linux running that binary:", "", render_md(rows32), "",
            "Cost as the system fills: ticks per operation with sleeping processes (each in a long "
            "`nanosleep`, as `sleep 1000 &` leaves it) or open descriptors in the background:", "",
            render_md(flat_rows), ""]
    if work_rows:
        text += ["Whole workloads (`tests/bench/workloads.sh`), the same Debian binaries from the same tree on "
                 "both, `-m %s`, each run once, its output compared (a workload whose output differs is "
                 "reported, not timed):" % DEBIAN_MEMORY, "", render_md(work_rows), ""]
    text += [render_md(boot_rows)]
    if debian_rows:
        text += ["", "Debian's own dynamically linked userland (`make debian-root`), from the same tree on both, "
                 "`-m %s`, run by `tests/bench/debian.sh` as init:" % DEBIAN_MEMORY, "", render_md(debian_rows)]
    if mem_rows:
        text += ["", render_md(mem_rows)]
    else:  # --no-memory: the last measured memory table stays
        old = open(os.path.join(ROOT, "docs", "performance.md")).read()
        m = re.search(r"^\| smallest memory.*\n(?:\|.*\n)+", old, re.M)
        if m:
            text += ["", m.group(0).rstrip("\n")]
    write_doc(os.path.join(ROOT, "docs", "performance.md"), "\n".join(text))
    svg_chart(lops, pops, os.path.join(ROOT, "docs", "performance.svg"),
              [("workload: " + {t: n for n, t in WORKLOADS}[t], float(r)) for t, _, _, r in (work_rows or [])[1:] if re.match(r"^[\d.]+$", r)])
    log("wrote docs/performance.md and docs/performance.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
