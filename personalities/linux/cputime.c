/*
 * personalities/linux/cputime.c - the CPU-time clocks: their clock ids
 * (Linux's encoding), reading them for clock_gettime and clock_getres,
 * clock_nanosleep on a process's CPU time, ITIMER_VIRTUAL and ITIMER_PROF,
 * RLIMIT_CPU's SIGXCPU and SIGKILL, and the tick that checks every CPU
 * deadline (these and ptimer.c's CPU timers).  The granularity, and why:
 * cputime.h.
 *
 * Entry points: cputime.h.  Callers: time.c, wait.c, ptimer.c.  Layer:
 * with waits.  Book: docs/linux.md, "Clocks and timers".
 */
#include "cputime.h"
#include "pidns.h"
#include "proc.h"
#include "ptimer.h"

/* include/linux/posix-timers.h: a CPU clock id is ~pid << 3, bit 2 for a
 * thread's, and what it counts in the low two bits (3 is CLOCKFD, a
 * dynamic clock's descriptor, which the personality has none of). */
#define CPUCLOCK_PERTHREAD_MASK 4
#define CPUCLOCK_CLOCK_MASK 3
#define CPUCLOCK_MAX 3

int cpuclock_resolve(struct proc *caller, int32_t clock, bool gettime, struct cpuclock *k)
{
    if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID)
        clock = (int32_t)((~0u << 3) | CPUCLOCK_SCHED |
                          (clock == CLOCK_THREAD_CPUTIME_ID ? CPUCLOCK_PERTHREAD_MASK : 0));
    int pid = ~(clock >> 3);
    *k = (struct cpuclock){pid, (clock & CPUCLOCK_PERTHREAD_MASK) != 0, clock & CPUCLOCK_CLOCK_MASK};
    if (k->which >= CPUCLOCK_MAX)
        return -LINUX_EINVAL;
    if (pid == 0) { /* the caller's own thread or process */
        k->pid = k->thread ? caller->pid : proc_tgid(caller);
        return 0;
    }
    struct proc *t = pidns_find(caller, pid);
    if (!t)
        return -LINUX_EINVAL;
    k->pid = t->pid; /* the server's number from here on */
    if (k->thread)
        return proc_group(t) == proc_group(caller) && !(t->zombie && t->leader) ? 0 : -LINUX_EINVAL;
    if (gettime && t == caller) { /* the caller's own thread id names its process */
        k->pid = proc_tgid(caller);
        return 0;
    }
    return t->leader ? -LINUX_EINVAL : 0; /* a process's clock needs the process's id */
}

bool cpuclock_read(const struct cpuclock *k, uint64_t *ns)
{
    struct proc *t = proc_by_pid(k->pid);
    uint64_t u = 0, s = 0;
    if (!t || (k->thread ? t->zombie : t->leader != NULL))
        return false;
    if (k->thread) {
        proc_thread_cpu_ns(t, &u, &s);
    } else {
        u = t->cpu.gone_utime * (1000000000 / USER_HZ), s = t->cpu.gone_stime * (1000000000 / USER_HZ);
        for (struct proc *q = proc_list(); q; q = q->next)
            if (proc_group(q) == t) {
                uint64_t qu, qs;
                proc_thread_cpu_ns(q, &qu, &qs);
                u += qu, s += qs;
            }
    }
    *ns = k->which == CPUCLOCK_VIRT ? u : u + s;
    return true;
}

static int64_t put_timespec(struct proc *p, uint64_t uts, uint64_t ns)
{
    int64_t ts[2] = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000)};
    return mem_out(p, uts, ts, sizeof ts) < 0 ? -LINUX_EFAULT : 0;
}

int64_t cpuclock_gettime(struct proc *caller, int32_t clock, uint64_t utp)
{
    struct cpuclock k;
    uint64_t ns;
    int e = cpuclock_resolve(caller, clock, true, &k);
    if (e < 0)
        return e;
    if (!cpuclock_read(&k, &ns))
        return -LINUX_EINVAL;
    return put_timespec(caller, utp, ns);
}

/* Linux's answer: 1 ns for the scheduler's clocks, which count
 * nanoseconds, a tick for the others.  The personality's count in ticks
 * (cputime.h); the resolution claimed is Linux's, as programs expect. */
int64_t cpuclock_getres(struct proc *caller, int32_t clock, uint64_t ures)
{
    struct cpuclock k;
    int e = cpuclock_resolve(caller, clock, false, &k);
    if (e < 0)
        return e;
    return ures ? put_timespec(caller, ures, k.which == CPUCLOCK_SCHED ? 1 : 1000000000 / USER_HZ) : 0;
}

/* A CPU sleep is a WAIT_SLEEP without a deadline: the clock in sets[],
 * the time it waits for in nfds; fds marks it. */
#define CPU_SLEEP 1

int64_t cpuclock_nanosleep(struct sys_ctx *c, int32_t clock, uint64_t flags, uint64_t ns, uint64_t uremain)
{
    struct cpuclock k;
    uint64_t now;
    int e = cpuclock_resolve(c->p, clock, false, &k);
    if (e < 0)
        return e;
    if (k.thread && k.pid == c->p->pid)
        return -LINUX_EINVAL; /* the caller's own time does not pass while it sleeps */
    if (!cpuclock_read(&k, &now))
        return -LINUX_EINVAL;
    uint64_t until = flags & TIMER_ABSTIME ? ns : ns_sat(now, ns);
    if (until <= now)
        return 0;
    c->p->wait = (struct proc_wait){.kind = WAIT_SLEEP, .token = c->token, .fds = CPU_SLEEP, .nfds = until,
                                    .sets = {(uint64_t)k.pid, k.thread, (uint64_t)k.which},
                                    .tv = flags & TIMER_ABSTIME ? 0 : uremain};
    c->deferred = true;
    cputime_note_armed();
    wait_rearm_for(c->p);
    return 0;
}

static struct cpuclock sleep_clock(struct proc *p)
{
    return (struct cpuclock){(int)p->wait.sets[0], p->wait.sets[1] != 0, (int)p->wait.sets[2]};
}

bool cpuclock_sleep_left(struct proc *p, uint64_t *left)
{
    struct cpuclock k = sleep_clock(p);
    uint64_t now = 0;
    if (p->wait.kind != WAIT_SLEEP || p->wait.fds != CPU_SLEEP)
        return false;
    *left = cpuclock_read(&k, &now) && now < p->wait.nfds ? p->wait.nfds - now : 0;
    return true;
}

/* ---- ITIMER_VIRTUAL and ITIMER_PROF: at and every are on the process's clock ---- */

static struct cpuclock itimer_clock(struct proc *g, int which)
{
    return (struct cpuclock){g->pid, false, which == ITIMER_VIRTUAL ? CPUCLOCK_VIRT : CPUCLOCK_PROF};
}

static struct itimerval_k itimer_value(struct proc *g, int which)
{
    struct itimer *it = &g->cpu_itimer[which - 1];
    struct cpuclock k = itimer_clock(g, which);
    uint64_t now = 0, left = 0;
    if (it->at && cpuclock_read(&k, &now))
        left = it->at > now ? it->at - now : 1000; /* due at the next tick: Linux shows the least it can */
    return (struct itimerval_k){(int64_t)(it->every / 1000000000), (int64_t)(it->every % 1000000000 / 1000),
                                (int64_t)(left / 1000000000), (int64_t)((left % 1000000000 + 999) / 1000)};
}

int64_t cputime_getitimer(struct proc *p, int which, uint64_t ucurr)
{
    struct itimerval_k v = itimer_value(proc_group(p), which);
    return mem_out(p, ucurr, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

int64_t cputime_setitimer(struct proc *p, int which, uint64_t value_ns, uint64_t interval_ns, uint64_t uold)
{
    struct proc *g = proc_group(p);
    struct itimer *it = &g->cpu_itimer[which - 1];
    struct itimerval_k old = itimer_value(g, which);
    struct cpuclock k = itimer_clock(g, which);
    uint64_t now = 0;
    if (uold && mem_out(p, uold, &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    cpuclock_read(&k, &now);
    /* Linux adds a tick to the first expiry: the time is counted in ticks */
    it->at = value_ns ? ns_sat(now, ns_sat(value_ns, 1000000000 / USER_HZ)) : 0;
    it->every = value_ns ? interval_ns : 0;
    if (it->at)
        cputime_note_armed();
    wait_rearm();
    return 0;
}

/* ---- the tick ---- */

/* Whether a CPU deadline may be armed: set by what arms one, cleared by
 * the walk that finds none, so that with none a rearm walks nothing. */
static bool maybe_armed;

void cputime_note_armed(void)
{
    maybe_armed = true;
}

bool cputime_armed(void)
{
    for (struct proc *p = maybe_armed ? proc_list() : NULL; p; p = p->next) {
        if (p->zombie)
            continue;
        if (p->cpu_itimer[0].at || p->cpu_itimer[1].at || (p->wait.kind == WAIT_SLEEP && p->wait.fds == CPU_SLEEP) ||
            (!p->leader && p->rlim[RLIMIT_CPU][0] != RLIM_INFINITY))
            return true;
    }
    return maybe_armed = maybe_armed && ptimer_cpu_armed();
}

/* Fires the process's CPU itimers that are due; true if it sent a signal
 * (which may have ended the process). */
static bool itimers_due(struct proc *g)
{
    for (int which = ITIMER_VIRTUAL; which <= ITIMER_PROF; which++) {
        struct itimer *it = &g->cpu_itimer[which - 1];
        struct cpuclock k = itimer_clock(g, which);
        uint64_t now;
        if (!it->at || !cpuclock_read(&k, &now) || now < it->at)
            continue;
        /* as ITIMER_REAL: on from the last expiry, one signal for those missed */
        it->at = it->every ? it->at + ((now - it->at) / it->every + 1) * it->every : 0;
        signal_send(g, which == ITIMER_VIRTUAL ? SIGVTALRM : SIGPROF, NULL);
        return true;
    }
    return false;
}

/* RLIMIT_CPU, as Linux's check_process_timers: at the hard limit
 * SIGKILL; at the soft one SIGXCPU, and the soft limit a second further
 * while below the hard one, so that it comes again each second.  True if
 * it sent a signal that may have ended the process (process 1 ignores
 * SIGKILL: not that). */
static bool rlimit_cpu_due(struct proc *g)
{
    uint64_t soft = g->rlim[RLIMIT_CPU][0], hard = g->rlim[RLIMIT_CPU][1], now;
    struct cpuclock k = {g->pid, false, CPUCLOCK_PROF};
    if (soft == RLIM_INFINITY || !cpuclock_read(&k, &now))
        return false;
    if (hard < UINT64_MAX / 1000000000 && now >= hard * 1000000000) {
        int pid = g->pid;
        signal_send(g, SIGKILL, NULL);
        return pid != 1;
    }
    if (soft >= UINT64_MAX / 1000000000 || now < soft * 1000000000)
        return false;
    if (soft < hard)
        g->rlim[RLIMIT_CPU][0] = soft + 1;
    signal_send(g, SIGXCPU, NULL);
    return true;
}

void cputime_tick(void)
{
    /* a signal may end a process, and with it others' waits: each one
     * sent starts the walk again (what fired is no longer due) */
    for (struct proc *p = proc_list(); p;) {
        uint64_t now;
        if (p->zombie) {
            p = p->next;
            continue;
        }
        if (!p->leader && (itimers_due(p) || rlimit_cpu_due(p))) {
            p = proc_list();
            continue;
        }
        if (p->wait.kind == WAIT_SLEEP && p->wait.fds == CPU_SLEEP) {
            struct cpuclock k = sleep_clock(p);
            if (!cpuclock_read(&k, &now)) {
                wait_finish(p, -LINUX_EINVAL);
            } else if (now >= p->wait.nfds) {
                wait_finish(p, 0);
            }
        }
        p = p->next;
    }
    ptimer_cpu_fire();
}
