/*
 * personalities/linux/ptimer.c - POSIX timers: timer_create,
 * timer_settime, timer_gettime, timer_getoverrun, timer_delete.  A
 * process's timers have ids from 0 up, never reused; each notifies by a
 * signal to the process (SIGEV_SIGNAL, and SIGEV_THREAD, which the C
 * libraries build on SIGEV_THREAD_ID), to one of its threads
 * (SIGEV_THREAD_ID), or not at all (SIGEV_NONE).  While a timer's signal
 * is pending its expiries are counted, not sent: the count is the
 * signal's si_overrun when it is taken, and timer_getoverrun's after.  A
 * signal left pending by a timer that was deleted or set again since is
 * dropped when taken, as Linux 6.13 and later drop it.
 *
 * Timers on the wall and monotonic clocks are kernel-clock deadlines the
 * server's timer fires (wait.c); those on CPU clocks are checked at the
 * CPU tick (cputime.c).
 *
 * Entry points: ptimer.h.  Callers: the syscall table, wait.c, cputime.c,
 * signal.c, exec.c, exit.c, time.c.  Layer: with waits, above signals.
 * Book: docs/linux.md, "Clocks and timers".
 */
#include "cputime.h"
#include "proc.h"
#include "ptimer.h"
#include "timens.h"
#include <stdlib.h>
#include "linux_entries/ptimer.h" /* generated: the handlers' prototypes, entries */

struct ptimer {
    int id;
    struct proc *g;              /* the process (its leader) */
    int32_t clock;
    bool cpu;                    /* on cpuk, a CPU clock */
    bool realtime_abs;           /* set absolute on a wall clock: clock_settime moves it */
    struct cpuclock cpuk;
    int notify, signo, tid;      /* the sigevent */
    uint64_t value;
    uint64_t next, interval;     /* the next expiry, 0: disarmed; kernel-clock ns, or CPU ns */
    int64_t overrun, overrun_last;
    int32_t seq;                 /* how often it was set: a pending signal from before is stale */
    uint32_t uid;                /* whose RLIMIT_SIGPENDING holds its signal's room (Linux's preallocated one) */
    struct ptimer *next_timer;
};

static struct ptimer *timers;

static struct ptimer *find(struct proc *p, int id)
{
    for (struct ptimer *k = timers; k; k = k->next_timer)
        if (k->g == proc_group(p) && k->id == id)
            return k;
    return NULL;
}

void ptimer_each(struct proc *g, void (*fn)(int id, int signo, uint64_t value, int notify, int pid, int32_t clock))
{
    for (struct ptimer *k = timers; k; k = k->next_timer) /* the calling process's and thread's CPU clocks as */
        if (k->g == g) /* Linux's PROCESS_CLOCK and THREAD_CLOCK keep them: their make_*_cpuclock(0, SCHED) ids */
            fn(k->id, k->signo, k->value, k->notify, k->notify & SIGEV_THREAD_ID ? k->tid : proc_tgid(g),
               k->clock == 2 ? -6 : k->clock == 3 ? -2 : k->clock);
}

void ptimer_drop(struct proc *g)
{
    for (struct ptimer **pk = &timers; *pk;) {
        struct ptimer *k = *pk;
        if (k->g == g) {
            *pk = k->next_timer;
            ucount_uncharge(k->uid, UCOUNT_SIGPENDING, 1);
            free(k);
        } else {
            pk = &k->next_timer;
        }
    }
}

/* The timer's clock now: the kernel's, or its CPU clock (false if that
 * process or thread is gone). */
static bool now_of(struct ptimer *k, uint64_t *now)
{
    if (!k->cpu) {
        *now = clock_now();
        return true;
    }
    return cpuclock_read(&k->cpuk, now);
}

/* The expiries due at now: the next one moves on past now, or the timer
 * is disarmed. */
static uint64_t advance(struct ptimer *k, uint64_t now)
{
    uint64_t n = 1;
    if (k->interval) {
        n += (now - k->next) / k->interval;
        k->next += n * k->interval;
    } else {
        k->next = 0;
    }
    return n;
}

/* n expiries: a signal, or more overruns on the one pending.  True if a
 * signal was sent, which may have ended a process and freed timers. */
static bool expire(struct ptimer *k, uint64_t n)
{
    if (k->notify == SIGEV_NONE)
        return false;
    struct proc *dest = k->g;
    if (k->notify == SIGEV_THREAD_ID) {
        dest = proc_by_pid(k->tid);
        if (!dest || dest->zombie || proc_group(dest) != k->g)
            return false; /* its thread is gone: nobody to tell */
    }
    struct siginfo_k *q = signal_timer_pending(k->g, k->signo, k->id);
    if (q && q->timer.sys_private == k->seq) {
        k->overrun += (int64_t)n;
        return false;
    }
    k->overrun += (int64_t)n - 1;
    if (q) { /* one from before it was set again: it stands for this expiry */
        q->timer.sys_private = k->seq;
        return false;
    }
    struct siginfo_k si = {k->signo, 0, SI_TIMER, PTIMER_MARK, {.timer = {k->id, 0, k->value, k->seq}}};
    (k->notify == SIGEV_THREAD_ID ? signal_send_thread : signal_send)(dest, k->signo, &si);
    return true;
}

bool ptimer_taken(struct proc *g, struct siginfo_k *info)
{
    struct ptimer *k = find(g, info->timer.tid);
    info->pad = 0;
    if (!k || k->seq != info->timer.sys_private)
        return false;
    info->timer.sys_private = 0;
    uint64_t now;
    if (k->next && k->interval && now_of(k, &now) && k->next <= now)
        k->overrun += (int64_t)advance(k, now); /* Linux moves it on as the signal is taken, counting those passed */
    k->overrun_last = k->overrun > 0x7fffffff ? 0x7fffffff : k->overrun; /* Linux's DELAYTIMER_MAX */
    info->timer.overrun = (int32_t)k->overrun_last;
    k->overrun = 0;
    return true;
}

uint64_t ptimer_next(void)
{
    uint64_t next = 0;
    for (struct ptimer *k = timers; k; k = k->next_timer)
        if (!k->cpu && k->next && k->notify != SIGEV_NONE && (!next || k->next < next))
            next = k->next;
    return next;
}

void ptimer_fire(uint64_t t)
{
again:
    for (struct ptimer *k = timers; k; k = k->next_timer)
        if (!k->cpu && k->next && k->notify != SIGEV_NONE && k->next <= t && expire(k, advance(k, t)))
            goto again; /* the list may have changed; what fired is no longer due */
}

bool ptimer_cpu_armed(void)
{
    for (struct ptimer *k = timers; k; k = k->next_timer)
        if (k->cpu && k->next && k->notify != SIGEV_NONE)
            return true;
    return false;
}

void ptimer_cpu_fire(void)
{
    uint64_t now;
again:
    for (struct ptimer *k = timers; k; k = k->next_timer) {
        if (!k->cpu || !k->next || k->notify == SIGEV_NONE)
            continue;
        if (!now_of(k, &now))
            k->next = 0; /* its thread or process is gone */
        else if (k->next <= now && expire(k, advance(k, now)))
            goto again;
    }
}

void ptimer_clock_set(int64_t moved)
{
    for (struct ptimer *k = timers; k; k = k->next_timer)
        if (k->realtime_abs && k->next)
            k->next = (int64_t)k->next - moved > 0 ? (uint64_t)((int64_t)k->next - moved) : 1;
    wait_rearm();
}

/* ---- the calls ---- */

/* Linux's clocks that have timers: the CPU clocks, and these. */
static int64_t clock_has_timers(int32_t clock)
{
    if (clock < 0)
        return (clock & 7) == 3 ? -LINUX_EOPNOTSUPP : 0; /* CLOCKFD: a dynamic clock, which has none */
    if (clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC || clock == CLOCK_PROCESS_CPUTIME_ID ||
        clock == CLOCK_THREAD_CPUTIME_ID || clock == CLOCK_BOOTTIME || clock == CLOCK_TAI)
        return 0;
    /* the raw and coarse clocks have none; the alarm clocks need a real-time clock device, which is not here */
    return clock <= CLOCK_BOOTTIME_ALARM ? -LINUX_EOPNOTSUPP : -LINUX_EINVAL;
}

/* good_sigevent's rules; 0 or -EINVAL. */
static int64_t check_event(struct proc *p, const struct sigevent_k *ev)
{
    if (ev->notify == SIGEV_THREAD_ID) {
        struct proc *t = proc_by_pid(ev->tid);
        if (!t || t->zombie || proc_group(t) != proc_group(p))
            return -LINUX_EINVAL;
    }
    if (ev->notify == SIGEV_NONE)
        return 0;
    if (ev->notify != SIGEV_SIGNAL && ev->notify != SIGEV_THREAD && ev->notify != SIGEV_THREAD_ID)
        return -LINUX_EINVAL;
    return ev->signo <= 0 || ev->signo > LINUX_NSIG ? -LINUX_EINVAL : 0;
}

static int64_t sys_timer_create(struct sys_ctx *c, uint64_t clockid, uint64_t uevent, uint64_t uid)
{
    struct proc *g = proc_group(c->p);
    int32_t clock = (int32_t)clockid;
    struct sigevent_k ev;
    if (uevent && mem_in(c->p, &ev, uevent, sizeof ev) < 0)
        return -LINUX_EFAULT;
    int64_t e = clock_has_timers(clock);
    if (e < 0)
        return e;
    uint32_t who = c->p->cred.uid; /* its signal's room, taken now (alloc_posix_timer): EAGAIN past the limit */
    if (!ucount_charge(who, UCOUNT_SIGPENDING, 1, g->rlim[RLIMIT_SIGPENDING][0]))
        return -LINUX_EAGAIN;
    int id = g->ptimer_next_id; /* taken even if the rest fails, as Linux takes it */
    g->ptimer_next_id = id == 0x7fffffff ? 0 : id + 1;
    if (!uevent)
        ev = (struct sigevent_k){.value = (uint64_t)id, .signo = SIGALRM, .notify = SIGEV_SIGNAL};
    struct ptimer *k = NULL;
    if ((e = check_event(c->p, &ev)) < 0 || (e = mem_out(c->p, uid, &id, sizeof id) < 0 ? -LINUX_EFAULT : 0) < 0 ||
        !(k = calloc(1, sizeof *k))) {
        ucount_uncharge(who, UCOUNT_SIGPENDING, 1);
        return e < 0 ? e : -LINUX_ENOMEM;
    }
    *k = (struct ptimer){.id = id, .g = g, .clock = clock, .cpu = cpuclock_is(clock), .notify = ev.notify,
                         .signo = ev.signo, .tid = ev.tid, .value = ev.value, .seq = 1, .uid = who};
    if (k->notify == SIGEV_THREAD)
        k->notify = SIGEV_SIGNAL; /* the C library's to make: to the kernel, a signal */
    if (k->cpu && (e = cpuclock_resolve(c->p, clock, false, &k->cpuk)) < 0) {
        ucount_uncharge(who, UCOUNT_SIGPENDING, 1);
        free(k);
        return e;
    }
    k->next_timer = timers, timers = k;
    return 0;
}

/* struct itimerspec: interval, then value, each seconds and nanoseconds. */
static void current(struct ptimer *k, int64_t its[4])
{
    uint64_t now = 0, left = 0;
    if (k->next && now_of(k, &now) && k->notify == SIGEV_NONE && k->next <= now)
        advance(k, now); /* nobody fires these: they move on when looked at */
    if (k->next)
        left = k->next > now ? k->next - now : 1;
    its[0] = (int64_t)(k->interval / 1000000000), its[1] = (int64_t)(k->interval % 1000000000);
    its[2] = (int64_t)(left / 1000000000), its[3] = (int64_t)(left % 1000000000);
}

static int64_t sys_timer_settime(struct sys_ctx *c, int id, uint64_t flags, uint64_t unew, uint64_t uold)
{
    int64_t its[4], old[4];
    if (!unew)
        return -LINUX_EINVAL;
    if (mem_in(c->p, its, unew, sizeof its) < 0)
        return -LINUX_EFAULT;
    for (int i = 0; i < 4; i++)
        if (its[i] < 0 || (i % 2 && its[i] >= 1000000000))
            return -LINUX_EINVAL;
    struct ptimer *k = find(c->p, id);
    if (!k)
        return -LINUX_EINVAL;
    current(k, old);
    uint64_t value = time_ns(its[2], its[3]), now = 0, missed = 0;
    k->interval = value ? time_ns(its[0], its[1]) : 0;
    k->overrun = k->overrun_last = 0;
    k->seq = k->seq == 0x7fffffff ? 1 : k->seq + 1;
    k->realtime_abs = false;
    if (!value || !now_of(k, &now)) {
        k->next = 0;
    } else if (!(flags & TIMER_ABSTIME)) {
        k->next = ns_sat(now, value);
    } else if (k->cpu) {
        k->next = value > now ? value : now; /* due now: the tick fires it */
    } else {
        k->realtime_abs = k->clock == CLOCK_REALTIME || k->clock == CLOCK_TAI;
        k->next = clock_deadline_every(timens_to_host(c->p, k->clock, value), k->realtime_abs, k->interval, &missed);
    }
    int64_t r = uold && mem_out(c->p, uold, old, sizeof old) < 0 ? -LINUX_EFAULT : 0;
    if (k->cpu && k->next)
        cputime_note_armed();
    if (missed) { /* expiries before the kernel clock's 0: one signal now, the rest its overruns */
        k->overrun = (int64_t)missed - 1;
        expire(k, 1);
    }
    ptimer_fire(clock_now()); /* a time already past fires at once */
    wait_rearm();
    return r;
}

static int64_t sys_timer_gettime(struct sys_ctx *c, int id, uint64_t ucurr)
{
    int64_t its[4];
    struct ptimer *k = find(c->p, id);
    if (!k)
        return -LINUX_EINVAL;
    current(k, its);
    return mem_out(c->p, ucurr, its, sizeof its) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_timer_getoverrun(struct sys_ctx *c, int id)
{
    struct ptimer *k = find(c->p, id);
    return k ? k->overrun_last : -LINUX_EINVAL;
}

static int64_t sys_timer_delete(struct sys_ctx *c, int id)
{
    struct ptimer *k = find(c->p, id);
    if (!k)
        return -LINUX_EINVAL;
    for (struct ptimer **pk = &timers; *pk; pk = &(*pk)->next_timer)
        if (*pk == k) {
            *pk = k->next_timer;
            break;
        }
    ucount_uncharge(k->uid, UCOUNT_SIGPENDING, 1);
    free(k);
    wait_rearm();
    return 0;
}
