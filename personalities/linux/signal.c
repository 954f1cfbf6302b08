/*
 * personalities/linux/signal.c - signals: sending (to a thread, a
 * process, whose threads one takes it, or a group), ignoring, holding
 * pending, default actions, job control (stops and continues), and the
 * signal calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, pause, rt_sigtimedwait (the calls that send one are
 * kill.c's).
 *
 * Job control: a stop signal whose action is the default stops the
 * process: replies that complete while it is stopped are held
 * (proc_reply parks them) and go out at SIGCONT.  A process running user
 * code is made to trap (thread_interrupt), and that trap is held too.
 *
 * Entry points: signal.h.  Callers: the syscall table, and whatever
 * sends a signal (the terminal, pipes, exit, timers).  Layer: signals,
 * above waits and file types.  Book: docs/linux.md, "Signals" and "Job
 * control".
 */
#include "pidfd.h"
#include "pipe.h"
#include "proc.h"
#include "ptimer.h"
#include "time.h"
#include "wait.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/signal.h" /* generated: the handlers' prototypes, entries */

#define SIG_STOP_ACTION 2 /* default_action's answer for the stop signals */

static int default_action(int sig)
{
    switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: case SIGCONT: return SIG_IGN; /* SIGCONT continues, whatever */
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return SIG_STOP_ACTION;
    default: return SIG_DFL; /* terminate */
    }
}

static bool sigwait_take(struct proc *t);

/* A signal's default action ends the process: with a core file first if
 * the signal dumps core and one may be written (coredump.c), which the
 * wait status tells by its core bit. */
void signal_die(struct proc *p, int sig, const struct siginfo_k *info)
{
    proc_exit(p, core_signal(sig) && core_dump(p, sig, info) ? sig | WCOREFLAG : sig);
}

/* The action h of sig is to ignore it. */
static bool ignored(uint64_t h, int sig) { return h == SIG_IGN || (h == SIG_DFL && default_action(sig) == SIG_IGN); }

/* Process 1 ignores a signal it has no handler for, SIGKILL and SIGSTOP
 * included, as Linux's init does for what is sent from inside its pid
 * namespace (SIGNAL_UNKILLABLE).  A CPU exception does not come this way
 * (signal_exception), and ends it as it ends any process. */
static bool init_ignores(struct proc *p, uint64_t h) { return h == SIG_DFL && proc_group(p)->pid == 1; }

struct rt_queued {
    int sig;
    struct siginfo_k info;
    struct rt_queued *next;
};

/* One more of a pending real-time signal: queued behind it, if room. */
static void enqueue(struct sigstate *s, int sig, const struct siginfo_k *info)
{
    struct rt_queued *q = s->nqueued < RT_QUEUE_MAX ? malloc(sizeof *q) : NULL, **pq = &s->queued;
    if (!q)
        return;
    while (*pq)
        pq = &(*pq)->next;
    *q = (struct rt_queued){sig, *info, NULL};
    *pq = q;
    s->nqueued++;
}

/* sig was taken from s: the next of it queued, if any, becomes pending. */
static void refill(struct sigstate *s, int sig)
{
    for (struct rt_queued **pq = &s->queued; *pq; pq = &(*pq)->next)
        if ((*pq)->sig == sig) {
            struct rt_queued *q = *pq;
            *pq = q->next;
            s->info[sig] = q->info;
            s->pending |= SIGSET_BIT(sig);
            s->nqueued--;
            free(q);
            return;
        }
}

void signal_free_queue(struct sigstate *s)
{
    while (s->queued) {
        struct rt_queued *q = s->queued;
        s->queued = q->next;
        free(q);
    }
    s->nqueued = 0;
}

static bool is_timers(const struct siginfo_k *si, int id) { return si->pad == PTIMER_MARK && si->timer.tid == id; }

struct siginfo_k *signal_timer_pending(struct proc *g, int sig, int id)
{
    for (struct proc *t = proc_list(); t; t = t->next) {
        if (proc_group(t) != g || t->zombie)
            continue;
        if ((t->sig.pending & SIGSET_BIT(sig)) && is_timers(&t->sig.info[sig], id))
            return &t->sig.info[sig];
        for (struct rt_queued *q = t->sig.queued; q; q = q->next)
            if (q->sig == sig && is_timers(&q->info, id))
                return &q->info;
    }
    return NULL;
}

/* Takes the next deliverable signal: default actions happen here; returns
 * a signal whose handler must run, or 0. */
int signal_take(struct proc *p, struct siginfo_k *info)
{
    for (int sig; !p->zombie && (sig = signal_deliverable(&p->sig));) {
        p->sig.pending &= ~SIGSET_BIT(sig);
        *info = p->sig.info[sig];
        refill(&p->sig, sig);
        if (info->pad == PTIMER_MARK && !ptimer_taken(proc_group(p), info))
            continue; /* a stale timer signal */
        uint64_t h = p->sig.actions[sig][0];
        if (ignored(h, sig) || init_ignores(p, h))
            continue;
        if (h == SIG_DFL && default_action(sig) == SIG_STOP_ACTION) {
            proc_stop(proc_group(p), sig); /* a stop that was blocked until now */
            continue;
        }
        if (h == SIG_DFL) {
            signal_die(p, sig, info);
            return 0;
        }
        return sig;
    }
    return 0;
}

/* Interrupts whatever the process waits for, with -ERESTARTSYS; if it
 * waits for nothing, it runs user code: the kernel makes it trap here. */
static void interrupt(struct proc *p)
{
    uint64_t token;
    /* sigsuspend, ppoll/pselect6 under their own mask, and sleeps (Linux's
     * ERESTART_RESTARTBLOCK, EINTR after a handler, SA_RESTART or not), are never restarted; nor are
     * msgsnd, msgrcv and semop (Linux's ERESTARTNOHAND and EINTR) */
    bool suspended = p->wait.kind == WAIT_SIGSUSPEND || p->wait.kind == WAIT_SYSV || p->sig.saved ||
                     p->wait.kind == WAIT_SLEEP;
    int64_t moved = pipe_moved(p); /* a write that moved some bytes returns their count */
    if (!proc_cancel_wait(p, &token)) {
        sys_thread_interrupt(p->thread); /* EBUSY if it is in a trap: the reply delivers */
        return;
    }
    proc_reply(p, token, moved ? moved : suspended ? -LINUX_EINTR : -ERESTARTSYS);
}

/* Which thread takes a signal sent to process g: g's own thread unless it
 * has exited or blocks the signal and another thread does not. */
static struct proc *taker(struct proc *g, int sig)
{
    if (!g->thread_gone && !(g->sig.mask & SIGSET_BIT(sig)))
        return g;
    struct proc *any = NULL;
    for (struct proc *t = proc_list(); t; t = t->next) {
        if (t->leader != g || t->zombie)
            continue;
        if (!(t->sig.mask & SIGSET_BIT(sig)))
            return t;
        any = any ? any : t;
    }
    return g->thread_gone && any ? any : g;
}

static void notify_parent(struct proc *g, int code, int status)
{
    struct proc *parent = proc_by_pid(g->ppid);
    if (!parent || parent->zombie)
        return;
    for (struct proc *w = proc_list(), *n; w; w = n) { /* a waiting thread of the parent */
        n = w->next;
        if (proc_tgid(w) == g->ppid && w->reap.waiting && !w->zombie)
            proc_wake_waiter(w);
    }
    if (parent->sig.actions[SIGCHLD][1] & SA_NOCLDSTOP)
        return;
    struct siginfo_k si = {SIGCHLD, 0, code, 0, {.child = {g->pid, (int32_t)g->cred.uid, status}}};
    signal_send(parent, SIGCHLD, &si);
}

void proc_stop(struct proc *g, int sig)
{
    if (g->job.stopped || g->zombie)
        return;
    g->job.stopped = true;
    g->job.stop_sig = sig;
    g->job.stop_report = true;
    g->job.cont_report = false;
    /* Threads in user code stop at once; the kernel refuses (EBUSY) those
     * in a trap, which stop when their call is answered. */
    for (struct proc *t = proc_list(); t; t = t->next)
        if (proc_group(t) == g && !t->zombie && !(t == g && g->thread_gone))
            sys_thread_interrupt(t->thread);
    notify_parent(g, CLD_STOPPED, sig);
}

void proc_continue(struct proc *g)
{
    if (!g->job.stopped)
        return;
    g->job.stopped = false;
    g->job.stop_report = false;
    g->job.cont_report = true;
    for (struct proc *t = proc_list(), *n; t; t = n) {
        n = t->next;
        if (proc_group(t) == g && t->parked.held && !t->zombie) {
            t->parked.held = false;
            proc_reply(t, t->parked.token, t->parked.result);
        }
    }
    notify_parent(g, CLD_CONTINUED, SIGCONT);
}

static bool is_stop(int sig) { return sig >= SIGSTOP && sig <= SIGTTOU; } /* SIGSTOP SIGTSTP SIGTTIN SIGTTOU */

/* A process group none of whose members has a parent in another group of
 * the same session: nobody is left to continue it if it stops. */
bool pgrp_orphaned(int pgid)
{
    for (struct proc *q = proc_list(); q; q = q->next) {
        if (q->zombie || q->leader || q->pgid != pgid)
            continue;
        struct proc *parent = proc_by_pid(q->ppid);
        if (parent && !parent->zombie && parent->pgid != pgid && parent->sid == q->sid)
            return false;
    }
    return true;
}

bool signal_refused(struct proc *p, int sig)
{
    return p->sig.actions[sig][0] == SIG_IGN || (p->sig.mask & SIGSET_BIT(sig));
}

int signal_group(int pgid, int sig, const void *info)
{
    int n = 0;
    for (struct proc *p = proc_list(), *next; p; p = next) {
        next = p->next;
        if (!p->zombie && !p->leader && p->pgid == pgid)
            n++, signal_send(p, sig, info);
    }
    return n;
}

void signal_send(struct proc *p, int sig, const void *info_in)
{
    if (p->zombie || sig < 1 || sig > LINUX_NSIG)
        return;
    struct proc *g = proc_group(p);
    if (sig == SIGCONT) { /* continues whatever its action, and drops pending stops */
        for (struct proc *t = proc_list(); t; t = t->next)
            if (proc_group(t) == g)
                t->sig.pending &=
                    ~(SIGSET_BIT(SIGSTOP) | SIGSET_BIT(SIGTSTP) | SIGSET_BIT(SIGTTIN) | SIGSET_BIT(SIGTTOU));
        proc_continue(g);
    } else if (is_stop(sig)) {
        for (struct proc *t = proc_list(); t; t = t->next)
            if (proc_group(t) == g)
                t->sig.pending &= ~SIGSET_BIT(SIGCONT);
    }
    if (!p->leader)
        p = taker(p, sig);
    uint64_t h = p->sig.actions[sig][0];
    if (init_ignores(p, h) && (sig == SIGKILL || sig == SIGSTOP || !(p->sig.mask & SIGSET_BIT(sig))))
        return; /* a blocked one waits: a handler may be set before it is unblocked */
    if (is_stop(sig) && h == SIG_DFL && (sig == SIGSTOP || !(p->sig.mask & SIGSET_BIT(sig)))) {
        if (sig == SIGSTOP || !pgrp_orphaned(g->pgid)) /* as Linux: the terminal stops spare an orphaned group */
            proc_stop(g, sig);
        return;
    }
    if (sig != SIGKILL && ignored(h, sig) && !(p->sig.mask & SIGSET_BIT(sig)))
        return; /* discarded at once, as Linux does for ignored signals; a blocked one stays pending (signalfd) */
    struct siginfo_k si = {sig, 0, SI_KERNEL, 0, {.kill = {0, 0}}};
    if (info_in)
        memcpy(&si, info_in, sizeof si);
    if (sig == SIGKILL || (h == SIG_DFL && !(p->sig.mask & SIGSET_BIT(sig)))) {
        signal_die(p, sig, &si);
        return;
    }
    if (sig >= SIG_RT_FIRST && (p->sig.pending & SIGSET_BIT(sig))) {
        enqueue(&p->sig, sig, &si); /* a real-time signal is not merged with the one pending */
        return;
    }
    p->sig.pending |= SIGSET_BIT(sig);
    p->sig.info[sig] = si;
    for (struct proc *t = proc_list(); t; t = t->next) /* a sigtimedwait for it takes it */
        if (proc_group(t) == proc_group(p) && t->wait.kind == WAIT_SIGWAIT && (t->wait.fds & SIGSET_BIT(sig)) &&
            !t->zombie) {
            if (t != p) {
                p->sig.pending &= ~SIGSET_BIT(sig), t->sig.pending |= SIGSET_BIT(sig);
                t->sig.info[sig] = p->sig.info[sig];
                refill(&p->sig, sig);
            }
            sigwait_take(t);
            return;
        }
    if (!(p->sig.mask & SIGSET_BIT(sig)))
        interrupt(p);
    if (signalfds_live) /* a signalfd of its mask becomes readable */
        poll_recheck();
}

int signal_dequeue(struct proc *p, uint64_t set, struct siginfo_k *info)
{
    struct proc *from = (p->sig.pending & set) ? p : proc_group(p); /* a process signal left with the leader */
    uint64_t ready = from->sig.pending & set;
    if (!ready)
        return 0;
    int sig = __builtin_ctzll(ready) + 1;
    from->sig.pending &= ~SIGSET_BIT(sig);
    *info = from->sig.info[sig];
    refill(&from->sig, sig);
    return sig;
}

/* A signal whose action becomes to ignore it: its pending and queued
 * instances go, in every thread of p's process (Linux's do_sigaction). */
static void discard(struct proc *p, int sig)
{
    for (struct proc *t = proc_list(); t; t = t->next) {
        if (proc_group(t) != proc_group(p))
            continue;
        t->sig.pending &= ~SIGSET_BIT(sig);
        for (struct rt_queued **pq = &t->sig.queued; *pq;) {
            struct rt_queued *q = *pq;
            if (q->sig != sig) {
                pq = &q->next;
                continue;
            }
            *pq = q->next;
            t->sig.nqueued--;
            free(q);
        }
    }
}

void signal_reset_handlers(struct sigstate *s)
{
    for (int sig = 1; sig <= LINUX_NSIG; sig++)
        if (s->actions[sig][0] != SIG_IGN)
            memset(s->actions[sig], 0, sizeof s->actions[sig]);
}

void signal_child_exited(struct proc *parent, struct proc *child)
{
    int code = (child->status & WCOREFLAG) ? CLD_DUMPED : (child->status & 0x7f) ? CLD_KILLED : CLD_EXITED;
    struct siginfo_k si = {SIGCHLD, 0, code, 0, {.child = {child->pid, (int32_t)child->cred.uid, 0}}};
    si.child.status = (child->status & 0x7f) ? child->status & 0x7f : (child->status >> 8) & 0xff;
    si.signo = child->exit_signal; /* clone's exit signal: SIGCHLD, another, or none */
    if (si.signo > 0 && si.signo <= LINUX_NSIG)
        signal_send(parent, si.signo, &si);
}

static int64_t sys_rt_sigsuspend(struct sys_ctx *c, uint64_t uset, uint64_t sigsetsize)
{
    uint64_t mask;
    if (sigsetsize != sizeof mask)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &mask, uset, sizeof mask) < 0)
        return -LINUX_EFAULT;
    c->p->sig.saved_mask = c->p->sig.mask;
    c->p->sig.saved = true;
    c->p->sig.mask = mask & ~SIG_UNBLOCKABLE;
    c->p->wait = (struct proc_wait){.kind = WAIT_SIGSUSPEND, .token = c->token};
    c->deferred = true;
    if (signal_deliverable(&c->p->sig)) {
        c->p->wait.kind = WAIT_NONE;
        proc_reply(c->p, c->token, -LINUX_EINTR);
    }
    return 0;
}

static int64_t sys_rt_sigpending(struct sys_ctx *c, uint64_t uset)
{
    uint64_t set = c->p->sig.pending;
    return mem_out(c->p, uset, &set, sizeof set) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_pause(struct sys_ctx *c)
{
    c->p->wait = (struct proc_wait){.kind = WAIT_SIGSUSPEND, .token = c->token};
    c->deferred = true;
    return 0;
}

/* Completes a sigtimedwait with the lowest pending signal of its set;
 * false if there was none but stale timer signals (dropped). */
static bool sigwait_take(struct proc *t)
{
    for (uint64_t ready; (ready = t->sig.pending & t->wait.fds);) {
        int sig = __builtin_ctzll(ready) + 1;
        struct siginfo_k info = t->sig.info[sig];
        t->sig.pending &= ~SIGSET_BIT(sig);
        refill(&t->sig, sig);
        if (info.pad == PTIMER_MARK && !ptimer_taken(proc_group(t), &info))
            continue;
        t->wait.kind = WAIT_NONE;
        bool fault = t->wait.tv && mem_out(t, t->wait.tv, &info, sizeof info) < 0;
        proc_reply(t, t->wait.token, fault ? -LINUX_EFAULT : sig);
        return true;
    }
    return false;
}

static int64_t sys_rt_sigtimedwait(struct sys_ctx *c, uint64_t uset, uint64_t uinfo, uint64_t utimeout,
                                   uint64_t sigsetsize)
{
    uint64_t set;
    int64_t ts[2];
    if (sigsetsize != sizeof set)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &set, uset, sizeof set) < 0 || (utimeout && mem_in(c->p, ts, utimeout, sizeof ts) < 0))
        return -LINUX_EFAULT;
    if (utimeout && (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000))
        return -LINUX_EINVAL;
    set &= ~SIG_UNBLOCKABLE;
    c->p->wait = (struct proc_wait){.kind = WAIT_SIGWAIT, .token = c->token, .fds = set, .tv = uinfo};
    c->deferred = true;
    struct proc *g = proc_group(c->p);
    if (!(c->p->sig.pending & set) && (g->sig.pending & set)) { /* a process signal left with the leader */
        int sig = __builtin_ctzll(g->sig.pending & set) + 1;
        g->sig.pending &= ~SIGSET_BIT(sig), c->p->sig.pending |= SIGSET_BIT(sig);
        c->p->sig.info[sig] = g->sig.info[sig];
        refill(&g->sig, sig);
    }
    if ((c->p->sig.pending & set) && sigwait_take(c->p))
        return 0;
    if (utimeout && ts[0] == 0 && ts[1] == 0) {
        c->p->wait.kind = WAIT_NONE;
        c->deferred = false;
        return -LINUX_EAGAIN;
    }
    if (utimeout) {
        c->p->wait.deadline = clock_now() + (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1];
        wait_rearm();
    }
    return 0;
}

static int64_t sys_rt_sigaction(struct sys_ctx *c, uint64_t sig, uint64_t uact, uint64_t uoldact, uint64_t sigsetsize)
{
    if (sig < 1 || sig > LINUX_NSIG || sigsetsize != sizeof(uint64_t) || ((sig == SIGKILL || sig == SIGSTOP) && uact))
        return -LINUX_EINVAL;
    if (uoldact && mem_out(c->p, uoldact, c->p->sig.actions[sig], 32) < 0)
        return -LINUX_EFAULT;
    if (uact && mem_in(c->p, c->p->sig.actions[sig], uact, 32) < 0)
        return -LINUX_EFAULT;
    if (uact && ignored(c->p->sig.actions[sig][0], (int)sig))
        discard(c->p, (int)sig);
    return 0;
}

static int64_t sys_rt_sigprocmask(struct sys_ctx *c, uint64_t how, uint64_t uset, uint64_t uoldset, uint64_t sigsetsize)
{
    uint64_t set, old = c->p->sig.mask;
    if (sigsetsize != sizeof set)
        return -LINUX_EINVAL;
    if (uset) {
        if (mem_in(c->p, &set, uset, sizeof set) < 0)
            return -LINUX_EFAULT;
        set &= ~SIG_UNBLOCKABLE;
        if (how == SIG_BLOCK)
            c->p->sig.mask |= set;
        else if (how == SIG_UNBLOCK)
            c->p->sig.mask &= ~set;
        else if (how == SIG_SETMASK)
            c->p->sig.mask = set;
        else
            return -LINUX_EINVAL;
    }
    return uoldset && mem_out(c->p, uoldset, &old, sizeof old) < 0 ? -LINUX_EFAULT : 0;
}
