/*
 * personalities/linux/i386time.c - the i386 time calls with 32-bit
 * time_t's (docs/i386.md): time, gettimeofday and settimeofday's struct
 * timeval, clock_gettime, clock_settime, clock_getres, nanosleep and
 * clock_nanosleep's 32-bit struct timespec (their _time64 twins are the
 * 64-bit handlers themselves, i386.def), sysinfo's 32-bit struct, futex's
 * 32-bit timeout, utimensat, futimesat and utimes's times, and
 * setitimer and getitimer's 32-bit struct itimerval.
 * Each translates and runs the 64-bit handler through i386_run.
 *
 * Entry points: the handlers, through the i386 table (i386.def).  Layer:
 * above time.c, wait.c, sys.c.  Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include "linux_entries/i386time.h" /* generated: the handlers' prototypes, entries */

int64_t entry_time(struct sys_ctx *c);
int64_t entry_gettimeofday(struct sys_ctx *c);
int64_t entry_settimeofday(struct sys_ctx *c);
int64_t entry_clock_gettime(struct sys_ctx *c);
int64_t entry_clock_settime(struct sys_ctx *c);
int64_t entry_clock_getres(struct sys_ctx *c);
int64_t entry_nanosleep(struct sys_ctx *c);
int64_t entry_clock_nanosleep(struct sys_ctx *c);
int64_t entry_sysinfo(struct sys_ctx *c);
int64_t entry_futex(struct sys_ctx *c);
int64_t entry_utimensat(struct sys_ctx *c);
int64_t entry_futimesat(struct sys_ctx *c);
int64_t entry_setitimer(struct sys_ctx *c);
int64_t entry_getitimer(struct sys_ctx *c);

/* A clock id, negative for a process's or thread's CPU clock. */
static uint64_t clock_of(uint64_t clockid) { return (uint64_t)(int64_t)(int32_t)clockid; }

/* A 32-bit timespec or timeval at u, widened into two 64-bit words. */
static int widen(struct proc *p, uint64_t u, int64_t out[2])
{
    int32_t in[2];
    if (mem_in(p, in, u, sizeof in) < 0)
        return -LINUX_EFAULT;
    out[0] = in[0], out[1] = in[1];
    return 0;
}

/* Two 64-bit words (a timespec or timeval) written to u as 32-bit ones. */
static int narrow(struct proc *p, uint64_t u, const int64_t in[2])
{
    int32_t out[2] = {(int32_t)in[0], (int32_t)in[1]};
    return mem_out(p, u, out, sizeof out) < 0 ? -LINUX_EFAULT : 0;
}

/* The result: a 32-bit time_t, also stored at utloc. */
static int64_t sys32_time(struct sys_ctx *c, uint64_t utloc)
{
    uint64_t a[6] = {0};
    int32_t t = (int32_t)i386_run(c, entry_time, a, NULL, 0);
    if (utloc && mem_out(c->p, utloc, &t, sizeof t) < 0)
        return -LINUX_EFAULT;
    return t;
}

/* The time zone's two ints are the same on both ABIs. */
static int64_t sys32_gettimeofday(struct sys_ctx *c, uint64_t utv, uint64_t utz)
{
    int64_t tv[2];
    uint64_t a[6] = {utv ? I386_BOUNCE_VA : 0, utz};
    int64_t r = i386_run(c, entry_gettimeofday, a, tv, sizeof tv);
    return r < 0 || !utv ? r : narrow(c->p, utv, tv);
}

static int64_t sys32_settimeofday(struct sys_ctx *c, uint64_t utv, uint64_t utz)
{
    int64_t tv[2];
    if (utv && widen(c->p, utv, tv) < 0)
        return -LINUX_EFAULT;
    uint64_t a[6] = {utv ? I386_BOUNCE_VA : 0, utz};
    return i386_run(c, entry_settimeofday, a, tv, sizeof tv);
}

/* clock_gettime and clock_getres: the 64-bit timespec, written back
 * narrowed (res may be NULL). */
static int64_t clock_read(struct sys_ctx *c, linux_handler entry, uint64_t clockid, uint64_t uts)
{
    int64_t ts[2];
    uint64_t a[6] = {clock_of(clockid), uts ? I386_BOUNCE_VA : 0};
    int64_t r = i386_run(c, entry, a, ts, sizeof ts);
    return r < 0 || !uts ? r : narrow(c->p, uts, ts);
}

static int64_t sys32_clock_gettime(struct sys_ctx *c, uint64_t clockid, uint64_t utp)
{
    return clock_read(c, entry_clock_gettime, clockid, utp);
}

static int64_t sys32_clock_getres(struct sys_ctx *c, uint64_t clockid, uint64_t ures)
{
    return clock_read(c, entry_clock_getres, clockid, ures);
}

static int64_t sys32_clock_settime(struct sys_ctx *c, uint64_t clockid, uint64_t utp)
{
    int64_t ts[2];
    if (widen(c->p, utp, ts) < 0)
        return -LINUX_EFAULT;
    uint64_t a[6] = {clock_of(clockid), I386_BOUNCE_VA};
    return i386_run(c, entry_clock_settime, a, ts, sizeof ts);
}

/* The sleeps read their request at once; the time left, written when a
 * signal ends the sleep, has no window to go through then, so it is not
 * written (i386.def's note). */
static int64_t sys32_nanosleep(struct sys_ctx *c, uint64_t ureq, uint64_t urem)
{
    (void)urem;
    int64_t ts[2];
    if (widen(c->p, ureq, ts) < 0)
        return -LINUX_EFAULT;
    uint64_t a[6] = {I386_BOUNCE_VA, 0};
    return i386_run(c, entry_nanosleep, a, ts, sizeof ts);
}

static int64_t sys32_clock_nanosleep(struct sys_ctx *c, uint64_t clockid, uint64_t flags, uint64_t urequest,
                                     uint64_t uremain)
{
    (void)uremain;
    int64_t ts[2];
    if (widen(c->p, urequest, ts) < 0)
        return -LINUX_EFAULT;
    uint64_t a[6] = {clock_of(clockid), flags, I386_BOUNCE_VA, 0};
    return i386_run(c, entry_clock_nanosleep, a, ts, sizeof ts);
}

/* i386's struct sysinfo: 32-bit longs. */
struct sysinfo_32 {
    int32_t uptime;
    uint32_t loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t totalhigh, freehigh, mem_unit;
    char reserved[8];
};
_Static_assert(sizeof(struct sysinfo_32) == 64, "struct sysinfo on i386");

/* Memory in mem_unit units, as Linux's compat sysinfo: scaled to pages
 * (and the unit a page) when the bytes do not fit 32 bits. */
static int64_t sys32_sysinfo(struct sys_ctx *c, uint64_t uinfo)
{
    struct sysinfo_k k;
    uint64_t a[6] = {I386_BOUNCE_VA};
    int64_t r = i386_run(c, entry_sysinfo, a, &k, sizeof k);
    if (r < 0)
        return r;
    unsigned shift = 0;
    if ((k.totalram + k.totalswap) * k.mem_unit > UINT32_MAX)
        for (uint64_t u = k.mem_unit; u < 4096; u <<= 1)
            shift++;
    struct sysinfo_32 s = {(int32_t)k.uptime, {(uint32_t)k.loads[0], (uint32_t)k.loads[1], (uint32_t)k.loads[2]},
                           (uint32_t)(k.totalram >> shift), (uint32_t)(k.freeram >> shift),
                           (uint32_t)(k.sharedram >> shift), (uint32_t)(k.bufferram >> shift),
                           (uint32_t)(k.totalswap >> shift), (uint32_t)(k.freeswap >> shift), k.procs, 0,
                           (uint32_t)(k.totalhigh >> shift), (uint32_t)(k.freehigh >> shift), k.mem_unit << shift, {0}};
    return mem_out(c->p, uinfo, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
}

/* ---- futex's timeout ---- */

enum { FUTEX_WAIT_ = 0, FUTEX_LOCK_PI_ = 6, FUTEX_WAIT_BITSET_ = 9, FUTEX_WAIT_REQUEUE_PI_ = 11, FUTEX_LOCK_PI2_ = 13 };

/* The operations that wait take a 32-bit timespec (read before any wait);
 * the others' fourth argument is a number (val2), which carries over. */
static int64_t sys32_futex(struct sys_ctx *c, uint64_t uaddr, uint64_t op, uint64_t val, uint64_t utime, uint64_t uaddr2,
                           uint64_t val3)
{
    uint64_t cmd = op & 127, a[6] = {uaddr, op, val, utime, uaddr2, val3};
    bool timed = cmd == FUTEX_WAIT_ || cmd == FUTEX_LOCK_PI_ || cmd == FUTEX_WAIT_BITSET_ ||
                 cmd == FUTEX_WAIT_REQUEUE_PI_ || cmd == FUTEX_LOCK_PI2_;
    int64_t ts[2];
    if (!timed || !utime)
        return i386_run(c, entry_futex, a, NULL, 0);
    if (widen(c->p, utime, ts) < 0)
        return -LINUX_EFAULT;
    a[3] = I386_BOUNCE_VA;
    return i386_run(c, entry_futex, a, ts, sizeof ts);
}

/* ---- file times ---- */

/* n 32-bit timespecs or timevals at u as 64-bit ones in the window (none
 * for a NULL u: now), then the 64-bit handler with the window at a[slot]. */
static int64_t times_run(struct sys_ctx *c, linux_handler entry, uint64_t a[6], int slot, uint64_t u)
{
    int64_t t[4];
    if (!u)
        return i386_run(c, entry, a, NULL, 0);
    if (widen(c->p, u, t) < 0 || widen(c->p, u + 8, t + 2) < 0)
        return -LINUX_EFAULT;
    a[slot] = I386_BOUNCE_VA;
    return i386_run(c, entry, a, t, sizeof t);
}

static int64_t sys32_utimensat(struct sys_ctx *c, uint64_t dirfd, uint64_t upath, uint64_t utimes, uint64_t flags)
{
    uint64_t a[6] = {(uint64_t)(int64_t)(int32_t)dirfd, upath, utimes, flags};
    return times_run(c, entry_utimensat, a, 2, utimes);
}

static int64_t sys32_futimesat(struct sys_ctx *c, uint64_t dirfd, uint64_t upath, uint64_t utimes)
{
    uint64_t a[6] = {(uint64_t)(int64_t)(int32_t)dirfd, upath, utimes};
    return times_run(c, entry_futimesat, a, 2, utimes);
}

static int64_t sys32_utimes(struct sys_ctx *c, uint64_t upath, uint64_t utimes)
{
    uint64_t a[6] = {(uint64_t)(int64_t)-100, upath, utimes}; /* AT_FDCWD */
    return times_run(c, entry_futimesat, a, 2, utimes);
}

/* ---- interval timers ---- */

/* setitimer's new value widened in, the old one narrowed out. */
static int64_t sys32_setitimer(struct sys_ctx *c, uint64_t which, uint64_t unew, uint64_t uold)
{
    int64_t t[8];
    if (unew && (widen(c->p, unew, t) < 0 || widen(c->p, unew + 8, t + 2) < 0))
        return -LINUX_EFAULT;
    uint64_t a[6] = {which, unew ? I386_BOUNCE_VA : 0, uold ? I386_BOUNCE_VA + 32 : 0};
    int64_t r = i386_run(c, entry_setitimer, a, t, sizeof t);
    if (r < 0 || !uold)
        return r;
    return narrow(c->p, uold, t + 4) < 0 || narrow(c->p, uold + 8, t + 6) < 0 ? -LINUX_EFAULT : r;
}

static int64_t sys32_getitimer(struct sys_ctx *c, uint64_t which, uint64_t ucurr)
{
    int64_t t[4];
    uint64_t a[6] = {which, I386_BOUNCE_VA};
    int64_t r = i386_run(c, entry_getitimer, a, t, sizeof t);
    if (r < 0)
        return r;
    return narrow(c->p, ucurr, t) < 0 || narrow(c->p, ucurr + 8, t + 2) < 0 ? -LINUX_EFAULT : 0;
}
