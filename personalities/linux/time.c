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
#include "timens.h"
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

uint64_t clock_deadline_every(uint64_t ns, bool realtime, uint64_t interval, uint64_t *missed)
{
    int64_t base = realtime ? (int64_t)EPOCH_NS + realtime_offset : 0;
    *missed = 0;
    if ((int64_t)ns > base || !interval)
        return clock_deadline(ns, realtime);
    uint64_t d = (uint64_t)(base - (int64_t)ns) + 1; /* how far below the kernel clock's 1 */
    *missed = d / interval + (d % interval != 0);
    return *missed * interval - d + 1;
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

/* Setting the wall clock (CAP_SYS_TIME's, which the calls check): the
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
    if (!cred_capable(&c->p->cred, CAP_SYS_TIME))
        return -LINUX_EPERM;
    if (mem_in(c->p, ts, utp, sizeof ts) < 0)
        return -LINUX_EFAULT;
    return set_realtime(ts[0], ts[1]);
}


static int64_t sys_settimeofday(struct sys_ctx *c, uint64_t utv, uint64_t utz)
{
    int64_t tv[2];
    int32_t tz[2];
    /* Linux's order: the time, the zone's copy, the right to set the
     * clock (even with neither), then the zone's range */
    if (utv && mem_in(c->p, tv, utv, sizeof tv) < 0)
        return -LINUX_EFAULT;
    if (utv && (tv[1] < 0 || tv[1] >= 1000000))
        return -LINUX_EINVAL;
    if (utz && mem_in(c->p, tz, utz, sizeof tz) < 0)
        return -LINUX_EFAULT;
    if (!cred_capable(&c->p->cred, CAP_SYS_TIME))
        return -LINUX_EPERM;
    if (utz && (tz[0] < -15 * 60 || tz[0] > 15 * 60))
        return -LINUX_EINVAL;
    int64_t r = utv ? set_realtime(tv[0], tv[1] * 1000) : 0;
    if (r == 0 && utz) {
        time_zone[0] = tz[0], time_zone[1] = tz[1];
        vdso_set_realtime((int64_t)EPOCH_NS + realtime_offset, tz[0], tz[1]);
    }
    return r;
}

/*
 * adjtimex: Linux's NTP state (kernel/time/ntp.c), kept and reported as
 * Linux's, unsynchronized until told otherwise.  The clock's rate is the
 * kernel's and does not change: a frequency, an offset to slew or a tick
 * length are kept and read back; ADJ_SETOFFSET moves the clock at once.
 */
struct timex_k {
    uint32_t modes;
    int64_t offset, freq, maxerror, esterror;
    int32_t status;
    int64_t constant, precision, tolerance, time[2], tick, ppsfreq, jitter;
    int32_t shift;
    int64_t stabil, jitcnt, calcnt, errcnt, stbcnt;
    int32_t tai, pad[11];
};
_Static_assert(sizeof(struct timex_k) == 208, "struct timex");
static struct {
    int64_t offset, freq, maxerror, esterror, constant, tick;
    int32_t status, tai;
} ntp = {0, 0, 16000000, 16000000, 2, 1000000 / USER_HZ, STA_UNSYNC, 0};

#define MAXFREQ_SCALED 32768000 /* 500 ppm, in scaled ppm (ntp.c) */
#define PPM_SCALE 65536000      /* a freq past LLONG_MAX / this is refused */

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

static int64_t do_adjtimex(struct sys_ctx *c, uint64_t utx)
{
    struct timex_k t;
    if (mem_in(c->p, &t, utx, sizeof t) < 0)
        return -LINUX_EFAULT;
    uint32_t m = t.modes;
    bool may = cred_capable(&c->p->cred, CAP_SYS_TIME);
    if (m & ADJ_ADJTIME) { /* adjtime(3)'s: an offset to slew, or a read of it */
        if (!(m & ADJ_OFFSET_SINGLESHOT))
            return -LINUX_EINVAL;
        if (!(m & ADJ_OFFSET_READONLY) && !may)
            return -LINUX_EPERM;
    } else {
        if (m && !may)
            return -LINUX_EPERM;
        if ((m & ADJ_TICK) && (t.tick < 900000 / USER_HZ || t.tick > 1100000 / USER_HZ))
            return -LINUX_EINVAL;
        if ((m & ADJ_FREQUENCY) && (t.freq > INT64_MAX / PPM_SCALE || t.freq < INT64_MIN / PPM_SCALE))
            return -LINUX_EINVAL;
    }
    if ((m & ADJ_SETOFFSET) && !(m & ADJ_ADJTIME)) {
        int64_t frac = t.time[1], unit = (m & ADJ_NANO) ? 1 : 1000;
        if (frac < 0 || frac * unit >= 1000000000)
            return -LINUX_EINVAL;
        int64_t now = realtime_ns() + t.time[0] * 1000000000 + frac * unit;
        int64_t r = set_realtime(now / 1000000000, now % 1000000000);
        if (r < 0)
            return r;
    }
    if (m & ADJ_ADJTIME) {
        int64_t old = ntp.offset;
        if (!(m & ADJ_OFFSET_READONLY))
            ntp.offset = t.offset;
        t.offset = old;
    } else if (m) {
        if (m & ADJ_STATUS)
            ntp.status = (ntp.status & STA_RONLY) | (t.status & ~STA_RONLY);
        if (m & ADJ_NANO)
            ntp.status |= STA_NANO;
        if (m & ADJ_MICRO)
            ntp.status &= ~STA_NANO;
        if (m & ADJ_FREQUENCY)
            ntp.freq = clamp64(t.freq, -MAXFREQ_SCALED, MAXFREQ_SCALED);
        if (m & ADJ_MAXERROR)
            ntp.maxerror = clamp64(t.maxerror, 0, 16000000);
        if (m & ADJ_ESTERROR)
            ntp.esterror = clamp64(t.esterror, 0, 16000000);
        if (m & ADJ_TIMECONST)
            ntp.constant = clamp64(t.constant, 0, 10);
        if ((m & ADJ_TAI) && t.constant >= 0)
            ntp.tai = (int32_t)t.constant;
        if (m & ADJ_OFFSET)
            ntp.offset = t.offset;
        if (m & ADJ_TICK)
            ntp.tick = t.tick;
    }
    if (!(m & ADJ_ADJTIME))
        t.offset = ntp.offset;
    int64_t now = realtime_ns();
    t.freq = ntp.freq, t.maxerror = ntp.maxerror, t.esterror = ntp.esterror, t.status = ntp.status;
    t.constant = ntp.constant, t.precision = 1, t.tolerance = MAXFREQ_SCALED, t.tick = ntp.tick, t.tai = ntp.tai;
    t.time[0] = now / 1000000000;
    t.time[1] = (ntp.status & STA_NANO) ? now % 1000000000 : now % 1000000000 / 1000;
    t.ppsfreq = t.jitter = t.stabil = t.jitcnt = t.calcnt = t.errcnt = t.stbcnt = 0, t.shift = 0;
    if (mem_out(c->p, utx, &t, sizeof t) < 0)
        return -LINUX_EFAULT;
    return ntp.status & (STA_UNSYNC | STA_CLOCKERR) ? TIME_ERROR : TIME_OK;
}

static int64_t sys_adjtimex(struct sys_ctx *c, uint64_t utx) { return do_adjtimex(c, utx); }

/* Only CLOCK_REALTIME can be adjusted: the timex is read first (EFAULT),
 * then another clock is EOPNOTSUPP (a CPU clock's id too, whatever it
 * names), one that does not exist or a CLOCKFD id EINVAL (no descriptor is
 * a clock device here), as Linux's do_clock_adjtime answers. */
static int64_t sys_clock_adjtime(struct sys_ctx *c, int32_t clockid, uint64_t utx)
{
    if (clockid == CLOCK_REALTIME)
        return do_adjtimex(c, utx);
    struct timex_k t;
    if (mem_in(c->p, &t, utx, sizeof t) < 0)
        return -LINUX_EFAULT;
    if (clockid < 0)
        return (clockid & 7) == 3 ? -LINUX_EINVAL : -LINUX_EOPNOTSUPP;
    return clock_exists((uint64_t)clockid) ? -LINUX_EOPNOTSUPP : -LINUX_EINVAL;
}

static int64_t sys_clock_gettime(struct sys_ctx *c, uint64_t clockid, uint64_t utp)
{
    if (cpuclock_is((int32_t)clockid))
        return cpuclock_gettime(c->p, (int32_t)clockid, utp);
    if (!clock_exists(clockid))
        return -LINUX_EINVAL;
    uint64_t ns = timens_from_host(c->p, (int)clockid, now_ns(clockid)); /* the caller's time namespace's */
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
    wait_rearm_for(p); /* the leader's, maybe not the caller */
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
