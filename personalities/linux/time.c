/*
 * personalities/linux/time.c - the clocks and ITIMER_REAL: clock_gettime,
 * clock_getres, clock_settime, gettimeofday, settimeofday, time, alarm,
 * setitimer, getitimer (the CPU clocks and CPU itimers are cputime.c's).  The kernel's clock counts from boot; the wall
 * clock is it plus EPOCH_NS plus whatever setting it moved it by.
 *
 * Entry points: time.h.  Callers: the syscall table, the file system
 * (file times), waits with absolute deadlines.  Layer: the bottom, with
 * uapi.h (but the itimer calls reach their process).  Book:
 * docs/linux.md, "Waiting".
 */
#include "counter.h"
#include "cputime.h"
#include "proc.h"
#include "ptimer.h"
#include "time.h"
#include "vdso.h"
#include "wait.h"
#include <stdio.h>
#include "linux_entries/time.h" /* generated: the handlers' prototypes, entries */

struct persona_clock linux_clock;
static int64_t realtime_offset; /* clock_settime's adjustment, ns */

void time_init(void)
{
    sys_stats(STATS_CLOCK, -1, &linux_clock, sizeof linux_clock);
}
static int32_t time_zone[2];    /* settimeofday's struct timezone: minutes west, DST; kept for gettimeofday */

/* The clock is read once per message the server handles: the times of
 * every file a call (or the boot's unpacking) touches are the same, as
 * Linux's coarse file times are, and a call costs at most one read. */
int64_t realtime_ns(void)
{
    static uint64_t seen = ~0ull, ns;
    if (seen != linux_messages)
        seen = linux_messages, ns = clock_now();
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

/* The clocks there are: the alarm clocks need a real-time clock device,
 * which there is not (Linux without one answers EINVAL), and 10 is no
 * clock. */
static bool clock_exists(uint64_t clock)
{
    return clock <= CLOCK_TAI && clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM && clock != 10;
}

static uint64_t now_ns(uint64_t clock) /* clock_gettime and its kin read the clock afresh */
{
    uint64_t ns = clock_now();
    return is_realtime(clock) ? (uint64_t)((int64_t)(ns + EPOCH_NS) + realtime_offset) : ns;
}

/* Setting the wall clock, which every process is allowed to (root): the
 * monotonic clocks and timers on them are not moved; absolute timers on
 * it are (their time stays), and timerfds that asked are cancelled. */
static int64_t set_realtime(int64_t sec, int64_t nsec)
{
    if (sec < 0 || sec > 9000000000 || nsec < 0 || nsec >= 1000000000) /* the ns count must not overflow */
        return -LINUX_EINVAL;
    int64_t moved = sec * 1000000000 + nsec - ((int64_t)(clock_now() + EPOCH_NS) + realtime_offset);
    realtime_offset += moved;
    vdso_set_realtime((int64_t)EPOCH_NS + realtime_offset, time_zone[0], time_zone[1]);
    ptimer_clock_set(moved);
    timerfd_clock_set(moved);
    return 0;
}

static int64_t sys_clock_settime(struct sys_ctx *c, uint64_t clockid, uint64_t utp)
{
    int64_t ts[2];
    if (clockid != CLOCK_REALTIME) /* the only clock that can be set */
        return -LINUX_EINVAL;
    if (mem_in(c->p, ts, utp, sizeof ts) < 0)
        return -LINUX_EFAULT;
    return set_realtime(ts[0], ts[1]);
}


static int64_t sys_settimeofday(struct sys_ctx *c, uint64_t utv, uint64_t utz)
{
    int64_t tv[2];
    int32_t tz[2];
    if (utz && mem_in(c->p, tz, utz, sizeof tz) < 0)
        return -LINUX_EFAULT;
    if (utz && (tz[0] < -15 * 60 || tz[0] > 15 * 60))
        return -LINUX_EINVAL;
    if (utv && mem_in(c->p, tv, utv, sizeof tv) < 0)
        return -LINUX_EFAULT;
    if (utv && (tv[1] < 0 || tv[1] >= 1000000))
        return -LINUX_EINVAL;
    int64_t r = utv ? set_realtime(tv[0], tv[1] * 1000) : 0;
    if (r == 0 && utz) {
        time_zone[0] = tz[0], time_zone[1] = tz[1];
        vdso_set_realtime((int64_t)EPOCH_NS + realtime_offset, tz[0], tz[1]);
    }
    return r;
}

static int64_t sys_clock_gettime(struct sys_ctx *c, uint64_t clockid, uint64_t utp)
{
    if (cpuclock_is((int32_t)clockid))
        return cpuclock_gettime(c->p, (int32_t)clockid, utp);
    if (!clock_exists(clockid))
        return -LINUX_EINVAL;
    uint64_t ns = now_ns(clockid);
    int64_t ts[2] = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000)};
    return mem_out(c->p, utp, ts, sizeof ts) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_clock_getres(struct sys_ctx *c, uint64_t clockid, uint64_t ures)
{
    int64_t ts[2] = {0, 1}; /* high-resolution clocks, as Linux's; the coarse ones move a tick at a time */
    if (cpuclock_is((int32_t)clockid))
        return cpuclock_getres(c->p, (int32_t)clockid, ures);
    if (!clock_exists(clockid))
        return -LINUX_EINVAL;
    if (clockid == CLOCK_REALTIME_COARSE || clockid == CLOCK_MONOTONIC_COARSE)
        ts[1] = 1000000000 / USER_HZ;
    return ures && mem_out(c->p, ures, ts, sizeof ts) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_gettimeofday(struct sys_ctx *c, uint64_t utv, uint64_t utz)
{
    uint64_t ns = now_ns(CLOCK_REALTIME);
    int64_t tv[2] = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000 / 1000)};
    if (utv && mem_out(c->p, utv, tv, sizeof tv) < 0)
        return -LINUX_EFAULT;
    if (utz && mem_out(c->p, utz, time_zone, sizeof time_zone) < 0)
        return -LINUX_EFAULT;
    return 0;
}

static int64_t sys_time(struct sys_ctx *c, uint64_t utloc)
{
    int64_t t = (int64_t)(now_ns(CLOCK_REALTIME) / 1000000000);
    if (utloc && mem_out(c->p, utloc, &t, sizeof t) < 0)
        return -LINUX_EFAULT;
    return t;
}

/* ---- ITIMER_REAL: alarm, setitimer, getitimer; the process's (its leader's) ---- */

static struct itimerval_k itimer_now(struct proc *p)
{
    uint64_t t = clock_now(), left = p->alarm.at > t ? p->alarm.at - t : (p->alarm.at ? 1000 : 0);
    return (struct itimerval_k){(int64_t)(p->alarm.every / 1000000000), (int64_t)(p->alarm.every % 1000000000 / 1000),
                                (int64_t)(left / 1000000000), (int64_t)((left % 1000000000 + 999) / 1000)};
}

static int64_t itimer_set(struct proc *p, uint64_t value_ns, uint64_t interval_ns)
{
    p->alarm.at = value_ns ? ns_sat(clock_now(), value_ns) : 0;
    p->alarm.every = value_ns ? interval_ns : 0;
    wait_rearm();
    return 0;
}

static int64_t sys_getitimer(struct sys_ctx *c, uint64_t which, uint64_t ucurr)
{
    if (which > ITIMER_PROF)
        return -LINUX_EINVAL;
    if (which != ITIMER_REAL)
        return cputime_getitimer(c->p, (int)which, ucurr);
    struct itimerval_k v = itimer_now(proc_group(c->p));
    return mem_out(c->p, ucurr, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_setitimer(struct sys_ctx *c, uint64_t which, uint64_t unew, uint64_t uold)
{
    struct itimerval_k v, old = itimer_now(proc_group(c->p));
    if (which > ITIMER_PROF)
        return -LINUX_EINVAL;
    if (unew && mem_in(c->p, &v, unew, sizeof v) < 0)
        return -LINUX_EFAULT;
    if (!unew)
        v = (struct itimerval_k){0, 0, 0, 0}; /* Linux takes no value as a disarm */
    if (v.interval_sec < 0 || v.interval_usec < 0 || v.interval_usec >= 1000000 || v.value_sec < 0 ||
        v.value_usec < 0 || v.value_usec >= 1000000)
        return -LINUX_EINVAL;
    uint64_t value = time_ns(v.value_sec, v.value_usec * 1000);
    uint64_t interval = time_ns(v.interval_sec, v.interval_usec * 1000);
    if (which != ITIMER_REAL)
        return cputime_setitimer(c->p, (int)which, value, interval, uold);
    if (uold && mem_out(c->p, uold, &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    return itimer_set(proc_group(c->p), value, interval);
}

static int64_t sys_alarm(struct sys_ctx *c, uint32_t seconds)
{
    struct itimerval_k old = itimer_now(proc_group(c->p));
    int64_t secs = old.value_sec;
    if (old.value_usec >= 500000 || (secs == 0 && old.value_usec)) /* rounded as Linux rounds */
        secs++;
    itimer_set(proc_group(c->p), (uint64_t)seconds * 1000000000, 0);
    return secs;
}
