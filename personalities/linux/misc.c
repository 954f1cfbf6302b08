/*
 * personalities/linux/misc.c - the small calls static programs make at
 * start-up and along the way: identity, uname, time, randomness, limits,
 * thread-pointer setup, and signal state (kept; delivery comes later).
 */
#include "linux.h"
#include <stdlib.h>
#include <string.h>

SYSCALL_HANDLER(getpid) { return proc_tgid(c->p); }
SYSCALL_HANDLER(gettid) { return c->p->pid; }
SYSCALL_HANDLER(getppid) { return proc_group(c->p)->ppid; }
SYSCALL_HANDLER(getuid) { (void)c; return 0; }
SYSCALL_HANDLER(geteuid) { (void)c; return 0; }
SYSCALL_HANDLER(getgid) { (void)c; return 0; }
SYSCALL_HANDLER(getegid) { (void)c; return 0; }
SYSCALL_HANDLER(getpgrp) { return c->p->pgid; }

SYSCALL_HANDLER(getpgid)
{
    struct proc *p = c->a[0] ? proc_by_pid((int)c->a[0]) : c->p;
    return p && !p->zombie ? p->pgid : -LINUX_ESRCH;
}

SYSCALL_HANDLER(getsid)
{
    struct proc *p = c->a[0] ? proc_by_pid((int)c->a[0]) : c->p;
    return p && !p->zombie ? p->sid : -LINUX_ESRCH;
}

SYSCALL_HANDLER(setpgid)
{
    struct proc *p = c->a[0] ? proc_by_pid((int)c->a[0]) : c->p;
    if (!p || p->zombie)
        return -LINUX_ESRCH;
    if ((int64_t)c->a[1] < 0)
        return -LINUX_EINVAL;
    p->pgid = c->a[1] ? (int)c->a[1] : p->pid;
    return 0;
}

SYSCALL_HANDLER(setsid)
{
    if (c->p->pgid == c->p->pid)
        return -LINUX_EPERM;
    c->p->sid = c->p->pgid = c->p->pid;
    return c->p->pid;
}

/* Changing identity as root: the personality has one user, root. */
SYSCALL_HANDLER(setuid) { return c->a[0] == 0 ? 0 : -LINUX_EPERM; }
SYSCALL_HANDLER(setgid) { return c->a[0] == 0 ? 0 : -LINUX_EPERM; }

SYSCALL_HANDLER(getgroups) { (void)c; return 0; }

/* The personality has one user, root: ids may be "changed" to 0 (or left
 * as they are with -1); anything else is EPERM, honestly partial. */
static int64_t set_ids(const uint64_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        if ((uint32_t)ids[i] != 0 && (uint32_t)ids[i] != 0xffffffffu)
            return -LINUX_EPERM;
    return 0;
}

SYSCALL_HANDLER(setreuid) { return set_ids(c->a, 2); }
SYSCALL_HANDLER(setregid) { return set_ids(c->a, 2); }
SYSCALL_HANDLER(setresuid) { return set_ids(c->a, 3); }
SYSCALL_HANDLER(setresgid) { return set_ids(c->a, 3); }
SYSCALL_HANDLER(setfsuid) { (void)c; return 0; } /* returns the previous fsuid, 0 */
SYSCALL_HANDLER(setfsgid) { (void)c; return 0; }

static int64_t get_three(struct sys_ctx *c)
{
    uint32_t zero = 0;
    for (int i = 0; i < 3; i++)
        if (mem_out(c->p, c->a[i], &zero, 4) < 0)
            return -LINUX_EFAULT;
    return 0;
}

SYSCALL_HANDLER(getresuid) { return get_three(c); }
SYSCALL_HANDLER(getresgid) { return get_three(c); }

SYSCALL_HANDLER(setgroups)
{
    uint32_t g;
    if (c->a[0] > 65536)
        return -LINUX_EINVAL;
    for (uint64_t i = 0; i < c->a[0]; i++) {
        if (mem_in(c->p, &g, c->a[1] + i * 4, 4) < 0)
            return -LINUX_EFAULT;
        if (g != 0)
            return -LINUX_EPERM;
    }
    return 0;
}

SYSCALL_HANDLER(uname)
{
    char u[6][65];
    memset(u, 0, sizeof u);
    strcpy(u[0], "Linux");
    strcpy(u[1], "persona");
    strcpy(u[2], "6.1.0-persona");
    strcpy(u[3], "#1 SMP PREEMPT_DYNAMIC Persona");
    strcpy(u[4], "x86_64");
    strcpy(u[5], "(none)");
    return mem_out(c->p, c->a[0], u, sizeof u) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t realtime_offset; /* clock_settime's adjustment, ns */

/* The clock is read once per message the server handles: the times of
 * every file a call (or the boot's unpacking) touches are the same, as
 * Linux's coarse file times are, and a call costs at most one read. */
int64_t realtime_ns(void)
{
    static uint64_t seen = ~0ull, ns;
    if (seen != linux_messages)
        seen = linux_messages, ns = (uint64_t)sys_clock_ns();
    return (int64_t)(ns + EPOCH_NS) + realtime_offset;
}

int64_t realtime_at_boot(void) { return (int64_t)EPOCH_NS + realtime_offset; }

uint64_t clock_deadline(uint64_t ns, bool realtime)
{
    int64_t base = realtime ? (int64_t)EPOCH_NS + realtime_offset : 0; /* the kernel clock's 0 on this clock */
    return (int64_t)ns > base ? (uint64_t)((int64_t)ns - base) : 1;
}

/* CLOCK_REALTIME and its kin (_COARSE, _ALARM, TAI) read the wall clock;
 * the rest count from boot. */
static bool is_realtime(uint64_t clock)
{
    return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_REALTIME_ALARM ||
           clock == CLOCK_TAI;
}

static uint64_t now_ns(uint64_t clock) /* clock_gettime and its kin read the clock afresh */
{
    uint64_t ns = (uint64_t)sys_clock_ns();
    return is_realtime(clock) ? (uint64_t)((int64_t)(ns + EPOCH_NS) + realtime_offset) : ns;
}

/* Setting the wall clock, which every process is allowed to (root): the
 * monotonic clocks and timers already armed on them are not moved. */
static int64_t set_realtime(int64_t sec, int64_t nsec)
{
    if (sec < 0 || sec > 9000000000 || nsec < 0 || nsec >= 1000000000) /* the ns count must not overflow */
        return -LINUX_EINVAL;
    realtime_offset += sec * 1000000000 + nsec - ((int64_t)((uint64_t)sys_clock_ns() + EPOCH_NS) + realtime_offset);
    return 0;
}

SYSCALL_HANDLER(clock_settime)
{
    int64_t ts[2];
    if (c->a[0] != CLOCK_REALTIME) /* the only clock that can be set */
        return -LINUX_EINVAL;
    if (mem_in(c->p, ts, c->a[1], sizeof ts) < 0)
        return -LINUX_EFAULT;
    return set_realtime(ts[0], ts[1]);
}

static int32_t time_zone[2]; /* settimeofday's struct timezone: minutes west, DST; kept for gettimeofday */

SYSCALL_HANDLER(settimeofday)
{
    int64_t tv[2];
    int32_t tz[2];
    if (c->a[1] && mem_in(c->p, tz, c->a[1], sizeof tz) < 0)
        return -LINUX_EFAULT;
    if (c->a[1] && (tz[0] < -15 * 60 || tz[0] > 15 * 60))
        return -LINUX_EINVAL;
    if (c->a[0] && mem_in(c->p, tv, c->a[0], sizeof tv) < 0)
        return -LINUX_EFAULT;
    if (c->a[0] && (tv[1] < 0 || tv[1] >= 1000000))
        return -LINUX_EINVAL;
    int64_t r = c->a[0] ? set_realtime(tv[0], tv[1] * 1000) : 0;
    if (r == 0 && c->a[1])
        time_zone[0] = tz[0], time_zone[1] = tz[1];
    return r;
}

SYSCALL_HANDLER(clock_gettime)
{
    if (c->a[0] > CLOCK_TAI)
        return -LINUX_EINVAL;
    uint64_t ns = now_ns(c->a[0]);
    int64_t ts[2] = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000)};
    return mem_out(c->p, c->a[1], ts, sizeof ts) < 0 ? -LINUX_EFAULT : 0;
}

SYSCALL_HANDLER(clock_getres)
{
    int64_t ts[2] = {0, 1000};
    if (c->a[0] > CLOCK_TAI)
        return -LINUX_EINVAL;
    return c->a[1] && mem_out(c->p, c->a[1], ts, sizeof ts) < 0 ? -LINUX_EFAULT : 0;
}

SYSCALL_HANDLER(gettimeofday)
{
    uint64_t ns = now_ns(CLOCK_REALTIME);
    int64_t tv[2] = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000 / 1000)};
    if (c->a[0] && mem_out(c->p, c->a[0], tv, sizeof tv) < 0)
        return -LINUX_EFAULT;
    if (c->a[1] && mem_out(c->p, c->a[1], time_zone, sizeof time_zone) < 0)
        return -LINUX_EFAULT;
    return 0;
}

SYSCALL_HANDLER(time)
{
    int64_t t = (int64_t)(now_ns(CLOCK_REALTIME) / 1000000000);
    if (c->a[0] && mem_out(c->p, c->a[0], &t, sizeof t) < 0)
        return -LINUX_EFAULT;
    return t;
}

SYSCALL_HANDLER(getrandom)
{
    char buf[256];
    uint64_t n = c->a[1] < sizeof buf ? c->a[1] : sizeof buf;
    for (uint64_t i = 0; i < n; i++)
        buf[i] = (char)rand();
    return mem_out(c->p, c->a[0], buf, n) < 0 ? -LINUX_EFAULT : (int64_t)n;
}

SYSCALL_HANDLER(arch_prctl)
{
    struct persona_regs r;
    if (sys_thread_regs(c->p->thread, REGS_GET, &r) < 0)
        return -LINUX_ESRCH;
    if (c->a[0] == ARCH_GET_FS)
        return mem_out(c->p, c->a[1], &r.fs_base, 8) < 0 ? -LINUX_EFAULT : 0;
    if (c->a[0] != ARCH_SET_FS)
        return -LINUX_EINVAL;
    if (c->a[1] >= TASK_SIZE)
        return -LINUX_EPERM;
    r.fs_base = c->a[1];
    return sys_thread_regs(c->p->thread, REGS_SET, &r) < 0 ? -LINUX_EPERM : 0;
}

SYSCALL_HANDLER(set_tid_address)
{
    c->p->clear_tid = c->a[0];
    return c->p->pid;
}

/* The robust list is where a thread's held robust mutexes are listed for
 * the kernel to release if it dies; it is accepted and not walked. */
SYSCALL_HANDLER(set_robust_list) { return c->a[1] == 24 ? 0 : -LINUX_EINVAL; }

void rlimits_default(uint64_t rlim[RLIM_NLIMITS][2])
{
    for (int i = 0; i < RLIM_NLIMITS; i++)
        rlim[i][0] = rlim[i][1] = RLIM_INFINITY;
    rlim[RLIMIT_STACK][0] = 8ull << 20; /* 8 MiB, the stack area */
    rlim[RLIMIT_CORE][0] = 0;          /* no core files */
    rlim[RLIMIT_NOFILE][0] = rlim[RLIMIT_NOFILE][1] = MAX_FDS;
    rlim[RLIMIT_MEMLOCK][0] = rlim[RLIMIT_MEMLOCK][1] = 8ull << 20;
    rlim[RLIMIT_MSGQUEUE][0] = rlim[RLIMIT_MSGQUEUE][1] = 819200;
    rlim[RLIMIT_NICE][0] = rlim[RLIMIT_NICE][1] = rlim[RLIMIT_RTPRIO][0] = rlim[RLIMIT_RTPRIO][1] = 0;
}

int fd_limit(struct proc *p)
{
    uint64_t soft = proc_group(p)->rlim[RLIMIT_NOFILE][0];
    return soft < MAX_FDS ? (int)soft : MAX_FDS;
}

/* Limits are kept per process, inherited and reported; RLIMIT_NOFILE is
 * enforced (descriptors at or above it cannot be made), the others are
 * not.  Every process is root, so it may raise a hard limit, except
 * RLIMIT_NOFILE's beyond the descriptor table (EPERM, as past nr_open). */
SYSCALL_HANDLER(prlimit64)
{
    struct proc *t = c->a[0] ? proc_by_pid((int)c->a[0]) : c->p;
    uint64_t res = c->a[1], lim[2];
    if (!t || t->zombie)
        return -LINUX_ESRCH;
    if (res >= RLIM_NLIMITS)
        return -LINUX_EINVAL;
    struct proc *g = proc_group(t);
    if (c->a[2] && mem_in(c->p, lim, c->a[2], sizeof lim) < 0)
        return -LINUX_EFAULT;
    if (c->a[2] && (lim[0] > lim[1] || (res == RLIMIT_NOFILE && lim[1] > MAX_FDS)))
        return lim[0] > lim[1] ? -LINUX_EINVAL : -LINUX_EPERM;
    if (c->a[3] && mem_out(c->p, c->a[3], g->rlim[res], sizeof g->rlim[res]) < 0)
        return -LINUX_EFAULT;
    if (c->a[2])
        g->rlim[res][0] = lim[0], g->rlim[res][1] = lim[1];
    return 0;
}

SYSCALL_HANDLER(getrlimit)
{
    c->a[3] = c->a[1];
    c->a[1] = c->a[0];
    c->a[0] = 0;
    c->a[2] = 0;
    return sys_prlimit64(c);
}

SYSCALL_HANDLER(setrlimit)
{
    c->a[2] = c->a[1];
    c->a[1] = c->a[0];
    c->a[0] = 0;
    c->a[3] = 0;
    return sys_prlimit64(c);
}

SYSCALL_HANDLER(rt_sigaction)
{
    uint64_t sig = c->a[0];
    if (sig < 1 || sig > LINUX_NSIG || c->a[3] != sizeof(uint64_t) || ((sig == SIGKILL || sig == SIGSTOP) && c->a[1]))
        return -LINUX_EINVAL;
    if (c->a[2] && mem_out(c->p, c->a[2], c->p->sigactions[sig], 32) < 0)
        return -LINUX_EFAULT;
    if (c->a[1] && mem_in(c->p, c->p->sigactions[sig], c->a[1], 32) < 0)
        return -LINUX_EFAULT;
    return 0;
}

SYSCALL_HANDLER(rt_sigprocmask)
{
    uint64_t set, old = c->p->sigmask;
    if (c->a[3] != sizeof set)
        return -LINUX_EINVAL;
    if (c->a[1]) {
        if (mem_in(c->p, &set, c->a[1], sizeof set) < 0)
            return -LINUX_EFAULT;
        set &= ~SIG_UNBLOCKABLE;
        if (c->a[0] == SIG_BLOCK)
            c->p->sigmask |= set;
        else if (c->a[0] == SIG_UNBLOCK)
            c->p->sigmask &= ~set;
        else if (c->a[0] == SIG_SETMASK)
            c->p->sigmask = set;
        else
            return -LINUX_EINVAL;
    }
    return c->a[2] && mem_out(c->p, c->a[2], &old, sizeof old) < 0 ? -LINUX_EFAULT : 0;
}

SYSCALL_HANDLER(prctl)
{
    if (c->a[0] == PR_GET_NAME)
        return mem_out(c->p, c->a[1], c->p->comm, sizeof c->p->comm) < 0 ? -LINUX_EFAULT : 0;
    if (c->a[0] == PR_SET_NAME)
        return mem_str(c->p, c->a[1], c->p->comm, sizeof c->p->comm) == -LINUX_EFAULT ? -LINUX_EFAULT : 0;
    return -LINUX_EINVAL;
}

SYSCALL_HANDLER(sched_yield) { (void)c; return 0; }

/* One CPU: every thread's affinity is CPU 0. */
SYSCALL_HANDLER(sched_getaffinity)
{
    uint64_t mask = 1;
    if (c->a[0] && !proc_by_pid((int)c->a[0]))
        return -LINUX_ESRCH;
    if (c->a[1] < sizeof mask || (c->a[1] & (sizeof mask - 1)))
        return -LINUX_EINVAL;
    return mem_out(c->p, c->a[2], &mask, sizeof mask) < 0 ? -LINUX_EFAULT : (int64_t)sizeof mask;
}

SYSCALL_HANDLER(sched_setaffinity)
{
    uint8_t first = 0;
    if (c->a[0] && !proc_by_pid((int)c->a[0]))
        return -LINUX_ESRCH;
    if (c->a[1] && mem_in(c->p, &first, c->a[2], 1) < 0)
        return -LINUX_EFAULT;
    return (first & 1) ? 0 : -LINUX_EINVAL; /* a mask without CPU 0 names no CPU there is */
}

/* ---- nice values: getpriority, setpriority ---- */

/* Whether thread t is one that (which, who) names, for caller p. */
static bool prio_match(struct proc *t, struct proc *p, uint64_t which, int who)
{
    if (t->zombie)
        return false;
    if (which == PRIO_PROCESS) /* a thread id */
        return t->pid == (who ? who : p->pid);
    if (which == PRIO_PGRP)
        return proc_group(t)->pgid == (who ? who : proc_group(p)->pgid);
    return who == 0; /* PRIO_USER: every process is root's */
}

SYSCALL_HANDLER(getpriority)
{
    int best = 20; /* the lowest nice value found, as 20 - nice */
    if (c->a[0] > PRIO_USER)
        return -LINUX_EINVAL;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (prio_match(t, c->p, c->a[0], (int)c->a[1]) && (best == 20 || t->nice < best))
            best = t->nice;
    return best == 20 ? -LINUX_ESRCH : 20 - best;
}

SYSCALL_HANDLER(setpriority)
{
    int nice = (int)c->a[2] < -20 ? -20 : (int)c->a[2] > 19 ? 19 : (int)c->a[2], found = 0;
    if (c->a[0] > PRIO_USER)
        return -LINUX_EINVAL;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (prio_match(t, c->p, c->a[0], (int)c->a[1]))
            t->nice = nice, found++;
    return found ? 0 : -LINUX_ESRCH;
}

SYSCALL_HANDLER(sysinfo)
{
    struct sysinfo_k si;
    struct persona_memstats ms;
    memset(&si, 0, sizeof si);
    if (sys_mem_stats(&ms) < 0)
        return -LINUX_EFAULT;
    si.uptime = (int64_t)((uint64_t)sys_clock_ns() / 1000000000);
    loadavg_get(si.loads, SI_LOAD_SHIFT - LOADAVG_FSHIFT);
    si.totalram = ms.total_bytes;
    si.freeram = ms.free_bytes;
    for (struct proc *p = proc_list(); p; p = p->next)
        si.procs += !p->zombie;
    si.mem_unit = 1;
    return mem_out(c->p, c->a[0], &si, sizeof si) < 0 ? -LINUX_EFAULT : 0;
}
