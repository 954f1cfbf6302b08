/*
 * personalities/linux/i386time.c - the i386 calls whose times are 32-bit
 * (docs/i386.md): time, gettimeofday, clock_gettime and the rest with
 * old_timespec32 or timeval32, times, getrusage, sysinfo, the interval
 * timers, select, utime(s) and futex's timeout.  Each runs the 64-bit
 * handler on the translated structures (i386_call); what a call that
 * waits writes late (a sleep's time left) is translated when it ends.
 *
 * Entry points: the i386 table.  Layer: above time, wait, futex.
 * Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include <string.h>
#include "linux_entries/i386time.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

/* n 32-bit numbers (times) widened, signed, or back. */
static void widen(const int32_t *in, int64_t *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = in[i];
}

static void narrow(const int64_t *in, int32_t *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (int32_t)in[i];
}

/* Reads n 32-bit numbers at va (0: none) widened into out. */
static int read32(struct proc *p, uint64_t va, int64_t *out, int n)
{
    int32_t v[8];
    if (va && mem_in(p, v, va, (size_t)n * 4) < 0)
        return -LINUX_EFAULT;
    if (va)
        widen(v, out, n);
    return 0;
}

/* Writes n numbers narrowed to va (0: nothing). */
static int64_t write32(struct proc *p, uint64_t va, const int64_t *in, int n, int64_t r)
{
    int32_t v[32];
    if (r < 0 || !va)
        return r;
    narrow(in, v, n);
    return mem_out(p, va, v, (size_t)n * 4) < 0 ? -LINUX_EFAULT : r;
}

/* run_times' end: the m numbers the handler left (at k[16], or k[0]
 * for a structure read and written in place) narrowed to ctx[0]: on
 * success, and after an interruption (a sleep's or select's time left). */
static int64_t times_done(struct proc *p, int64_t r, const void *buf, const uint64_t *ctx)
{
    if (r < 0 && r != -LINUX_EINTR)
        return r;
    return write32(p, ctx[0], (const int64_t *)buf + ctx[2], (int)ctx[1], r);
}

/* Runs entry with the 32-bit structure of n numbers at argument at (an
 * index; -1: none) read widened, and writes the structure of m numbers
 * it leaves at argument ot back (the same index: in place). */
static int64_t run_times(struct sys_ctx *c, linux_handler entry, uint64_t a[6], int at, int n, int ot, int m)
{
    static int64_t k[16 + 18]; /* the in part, then the out part at k[16]: up to a struct rusage's 18 numbers */
    memset(k, 0, sizeof k);
    uint64_t in = at >= 0 ? a[at] : 0, out = ot >= 0 ? a[ot] : 0;
    if (read32(c->p, in, k, n) < 0)
        return -LINUX_EFAULT;
    if (in)
        a[at] = I386_BOUNCE_VA;
    if (out && ot != at)
        a[ot] = I386_BOUNCE_VA + 128;
    return i386_call(c, entry, a, k, sizeof k, out ? times_done : NULL,
                     (uint64_t[4]){out, (uint64_t)m, ot == at ? 0 : 16});
}

static int64_t sys32_time(struct sys_ctx *c, uint64_t utloc)
{
    uint64_t a[6] = {0};
    int64_t t = i386_run(c, entry_time, a, NULL, 0);
    return write32(c->p, utloc, &t, 1, (int32_t)t);
}

static int64_t sys32_gettimeofday(struct sys_ctx *c, uint64_t utv, uint64_t utz)
{
    return run_times(c, entry_gettimeofday, (uint64_t[6]){utv, utz}, -1, 0, 0, 2);
}

static int64_t sys32_settimeofday(struct sys_ctx *c, uint64_t utv, uint64_t utz)
{
    return run_times(c, entry_settimeofday, (uint64_t[6]){utv, utz}, 0, 2, -1, 0);
}

static int64_t sys32_clock_gettime(struct sys_ctx *c, int clockid, uint64_t utp)
{
    return run_times(c, entry_clock_gettime, (uint64_t[6]){(uint64_t)(int64_t)clockid, utp}, -1, 0, 1, 2);
}

static int64_t sys32_clock_settime(struct sys_ctx *c, int clockid, uint64_t utp)
{
    return run_times(c, entry_clock_settime, (uint64_t[6]){(uint64_t)(int64_t)clockid, utp}, 1, 2, -1, 0);
}

static int64_t sys32_clock_getres(struct sys_ctx *c, int clockid, uint64_t ures)
{
    return run_times(c, entry_clock_getres, (uint64_t[6]){(uint64_t)(int64_t)clockid, ures}, -1, 0, 1, 2);
}

static int64_t sys32_nanosleep(struct sys_ctx *c, uint64_t ureq, uint64_t urem)
{
    return run_times(c, entry_nanosleep, (uint64_t[6]){ureq, urem}, 0, 2, 1, 2);
}

static int64_t sys32_clock_nanosleep(struct sys_ctx *c, int clockid, uint64_t flags, uint64_t ureq, uint64_t urem)
{
    return run_times(c, entry_clock_nanosleep, (uint64_t[6]){(uint64_t)(int64_t)clockid, flags, ureq, urem}, 2, 2, 3,
                     2);
}

static int64_t sys32_times(struct sys_ctx *c, uint64_t ubuf)
{
    int64_t r = run_times(c, entry_times, (uint64_t[6]){ubuf}, -1, 0, 0, 4);
    return r < 0 ? r : (int64_t)(uint32_t)r; /* a clock_t of 32 bits */
}

/* struct rusage: two timevals and 14 longs, 18 numbers. */
static int64_t sys32_getrusage(struct sys_ctx *c, int who, uint64_t uusage)
{
    return run_times(c, entry_getrusage, (uint64_t[6]){(uint64_t)(int64_t)who, uusage}, -1, 0, 1, 18);
}

/* LAB(syscall): solution */
/* struct sysinfo: its longs 4 bytes, the process count a short. */
static int64_t sys32_sysinfo(struct sys_ctx *c, uint64_t uinfo)
{
    struct sysinfo_k k;
    int64_t r = i386_run(c, entry_sysinfo, (uint64_t[6]){I386_BOUNCE_VA}, &k, sizeof k);
    if (r < 0)
        return r;
    uint32_t v[16] = {(uint32_t)k.uptime, (uint32_t)k.loads[0], (uint32_t)k.loads[1], (uint32_t)k.loads[2],
                      (uint32_t)k.totalram, (uint32_t)k.freeram, (uint32_t)k.sharedram, (uint32_t)k.bufferram,
                      (uint32_t)k.totalswap, (uint32_t)k.freeswap, k.procs, (uint32_t)k.totalhigh,
                      (uint32_t)k.freehigh, k.mem_unit};
    return mem_out(c->p, uinfo, v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}
/* LAB(syscall): skeleton
LAB(syscall): end */

/* struct itimerval: two timevals. */
static int64_t sys32_setitimer(struct sys_ctx *c, uint64_t which, uint64_t unew, uint64_t uold)
{
    return run_times(c, entry_setitimer, (uint64_t[6]){which, unew, uold}, 1, 4, 2, 4);
}

static int64_t sys32_getitimer(struct sys_ctx *c, uint64_t which, uint64_t ucurr)
{
    return run_times(c, entry_getitimer, (uint64_t[6]){which, ucurr}, -1, 0, 1, 4);
}

/* fd_set's bits lie alike; the timeout is a timeval32, the time left
 * written back. */
static int64_t sys32__newselect(struct sys_ctx *c, uint64_t nfds, uint64_t ureadfds, uint64_t uwritefds,
                                uint64_t uexceptfds, uint64_t utimeout)
{
    return run_times(c, entry_select, (uint64_t[6]){nfds, ureadfds, uwritefds, uexceptfds, utimeout}, 4, 2, 4, 2);
}

/* The old select: its five arguments in memory. */
static int64_t sys32_select(struct sys_ctx *c, uint64_t uargs)
{
    uint32_t v[5];
    if (mem_in(c->p, v, uargs, sizeof v) < 0)
        return -LINUX_EFAULT;
    return sys32__newselect(c, v[0], v[1], v[2], v[3], v[4]);
}

/* utimes and futimesat: two timevals, as utimensat's timespecs. */
static int64_t utimes32(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t utimes)
{
    int64_t k[4] = {0};
    if (read32(c->p, utimes, k, 4) < 0)
        return -LINUX_EFAULT;
    k[1] *= 1000, k[3] *= 1000;
    if (!upath) /* futimesat's NULL path: dirfd's own file, as utimensat's AT_EMPTY_PATH */
        return i386_run(c, entry_utimensat, (uint64_t[6]){(uint64_t)(int64_t)dirfd, 0, utimes ? I386_BOUNCE_VA : 0},
                        k, sizeof k);
    return i386_run(c, entry_utimensat, (uint64_t[6]){(uint64_t)(int64_t)dirfd, upath, utimes ? I386_BOUNCE_VA : 0},
                    k, sizeof k);
}

static int64_t sys32_utimes(struct sys_ctx *c, uint64_t upath, uint64_t utimes)
{
    return utimes32(c, AT_FDCWD, upath, utimes);
}

static int64_t sys32_futimesat(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t utimes)
{
    return utimes32(c, dirfd, upath, utimes);
}

/* utime: struct utimbuf, two 32-bit times in seconds. */
static int64_t sys32_utime(struct sys_ctx *c, uint64_t upath, uint64_t utimes)
{
    int64_t k[4] = {0};
    if (read32(c->p, utimes, k, 2) < 0)
        return -LINUX_EFAULT;
    k[2] = k[1], k[1] = k[3] = 0;
    return i386_run(c, entry_utimensat, (uint64_t[6]){(uint64_t)(int64_t)AT_FDCWD, upath, utimes ? I386_BOUNCE_VA : 0},
                    k, sizeof k);
}

/* futex: the waits' timeout is an old_timespec32; the other operations'
 * fourth argument is a number (val2), passed as it is. */
static int64_t sys32_futex(struct sys_ctx *c, uint64_t uaddr, uint64_t op, uint64_t val, uint64_t utime,
                           uint64_t uaddr2, uint64_t val3)
{
    int cmd = (int)(op & 127);
    bool timeout = utime && (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
                             cmd == FUTEX_LOCK_PI2);
    uint64_t a[6] = {uaddr, op, val, utime, uaddr2, val3};
    return timeout ? run_times(c, entry_futex, a, 3, 2, -1, 0) : i386_run(c, entry_futex, a, NULL, 0);
}

/* utimensat: two old_timespec32s (UTIME_NOW and UTIME_OMIT fit). */
static int64_t sys32_utimensat(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t utimes, int flags)
{
    int64_t k[4] = {0};
    if (read32(c->p, utimes, k, 4) < 0)
        return -LINUX_EFAULT;
    return i386_run(c, entry_utimensat,
                    (uint64_t[6]){(uint64_t)(int64_t)dirfd, upath, utimes ? I386_BOUNCE_VA : 0, (uint32_t)flags}, k,
                    sizeof k);
}

/* ppoll: an old_timespec32 timeout (the time left is not written back). */
static int64_t sys32_ppoll(struct sys_ctx *c, uint64_t ufds, uint64_t nfds, uint64_t utmo, uint64_t usigmask,
                           uint64_t sigsetsize)
{
    return run_times(c, entry_ppoll, (uint64_t[6]){ufds, nfds, utmo, usigmask, sigsetsize}, 2, 2, -1, 0);
}

/* pselect6's end without a mask: select's time left (a timeval at the
 * window's start) as a timespec to ctx[0] (64-bit with ctx[1]). */
static int64_t left_done(struct proc *p, int64_t r, const void *buf, const uint64_t *ctx)
{
    const int64_t *tv = buf;
    int64_t ts[2] = {tv[0], tv[1] * 1000};
    if ((r < 0 && r != -LINUX_EINTR) || !ctx[0])
        return r;
    if (ctx[1])
        return mem_out(p, ctx[0], ts, sizeof ts) < 0 ? -LINUX_EFAULT : r;
    return write32(p, ctx[0], ts, 2, r);
}

/* pselect6: the timeout an old_timespec32 (or with time64 a timespec),
 * the sixth argument {const sigset_t *, size_t} of 32-bit words. */
static int64_t pselect32(struct sys_ctx *c, const uint64_t in[6], bool time64)
{
    int64_t k[4] = {0};
    uint32_t sig[2] = {0};
    if (in[4] && (time64 ? mem_in(c->p, k, in[4], 16) : read32(c->p, in[4], k, 2)) < 0)
        return -LINUX_EFAULT;
    if (in[5] && mem_in(c->p, sig, in[5], sizeof sig) < 0)
        return -LINUX_EFAULT;
    k[2] = sig[0], k[3] = sig[1];
    uint64_t a[6] = {in[0], in[1], in[2], in[3], in[4] ? I386_BOUNCE_VA : 0, in[5] ? I386_BOUNCE_VA + 16 : 0};
    if (sig[0]) /* a mask to swap in: pselect6's own */
        return i386_run(c, entry_pselect6, a, k, sizeof k);
    /* none: select's, which writes the time left back, as Linux's pselect6 does */
    if (in[4] && (k[0] < 0 || k[1] < 0 || k[1] >= 1000000000))
        return -LINUX_EINVAL;
    k[1] = (k[1] + 999) / 1000;
    return i386_call(c, entry_select, a, k, sizeof k, left_done, (uint64_t[4]){in[4], time64});
}

static int64_t sys32_pselect6(struct sys_ctx *c, uint64_t nfds, uint64_t ureadfds, uint64_t uwritefds,
                              uint64_t uexceptfds, uint64_t utimeout, uint64_t usig)
{
    return pselect32(c, (uint64_t[6]){nfds, ureadfds, uwritefds, uexceptfds, utimeout, usig}, false);
}

static int64_t sys32_pselect6_time64(struct sys_ctx *c, uint64_t nfds, uint64_t ureadfds, uint64_t uwritefds,
                                     uint64_t uexceptfds, uint64_t utimeout, uint64_t usig)
{
    return pselect32(c, (uint64_t[6]){nfds, ureadfds, uwritefds, uexceptfds, utimeout, usig}, true);
}

/* stime: a 32-bit time_t, set as settimeofday sets it (EPERM without
 * CAP_SYS_TIME, after the read's EFAULT). */
static int64_t sys32_stime(struct sys_ctx *c, uint64_t utptr)
{
    int32_t t;
    if (mem_in(c->p, &t, utptr, 4) < 0)
        return -LINUX_EFAULT;
    int64_t tv[2] = {t, 0};
    return i386_run(c, entry_settimeofday, (uint64_t[6]){I386_BOUNCE_VA, 0}, tv, sizeof tv);
}

static int64_t sys32_sched_rr_get_interval(struct sys_ctx *c, int pid, uint64_t uts)
{
    return run_times(c, entry_sched_rr_get_interval, (uint64_t[6]){(uint64_t)(int64_t)pid, uts}, -1, 0, 1, 2);
}

/* The timers' 32-bit itimerspecs: four numbers. */
static int64_t sys32_timerfd_settime(struct sys_ctx *c, uint64_t fd, uint64_t flags, uint64_t unew, uint64_t uold)
{
    return run_times(c, entry_timerfd_settime, (uint64_t[6]){fd, flags, unew, uold}, 2, 4, 3, 4);
}

static int64_t sys32_timerfd_gettime(struct sys_ctx *c, uint64_t fd, uint64_t ucurr)
{
    return run_times(c, entry_timerfd_gettime, (uint64_t[6]){fd, ucurr}, -1, 0, 1, 4);
}

static int64_t sys32_timer_settime(struct sys_ctx *c, int id, uint64_t flags, uint64_t unew, uint64_t uold)
{
    return run_times(c, entry_timer_settime, (uint64_t[6]){(uint64_t)(int64_t)id, flags, unew, uold}, 2, 4, 3, 4);
}

static int64_t sys32_timer_gettime(struct sys_ctx *c, int id, uint64_t ucurr)
{
    return run_times(c, entry_timer_gettime, (uint64_t[6]){(uint64_t)(int64_t)id, ucurr}, -1, 0, 1, 4);
}

int i386_sigevent(struct proc *p, uint64_t uevent, uint64_t k[8])
{
    uint32_t e[4];
    memset(k, 0, 64);
    if (mem_in(p, e, uevent, sizeof e) < 0)
        return -LINUX_EFAULT;
    k[0] = e[0];
    memcpy(&k[1], &e[1], 12);
    return 0;
}

static int64_t sys32_timer_create(struct sys_ctx *c, int clockid, uint64_t uevent, uint64_t uid)
{
    uint64_t k[8] = {0};
    if (uevent && i386_sigevent(c->p, uevent, k) < 0)
        return -LINUX_EFAULT;
    uint64_t a[6] = {(uint64_t)(int64_t)clockid, uevent ? I386_BOUNCE_VA : 0, uid};
    return i386_run(c, entry_timer_create, a, k, sizeof k);
}
