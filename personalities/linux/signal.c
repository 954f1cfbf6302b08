/*
 * personalities/linux/signal.c - signals: sending (to a thread, a
 * process, whose threads one takes it, or a group), ignoring, holding
 * pending, default actions, job control (stops and continues), and the
 * signal calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, pause, rt_sigtimedwait, restart_syscall (the calls that
 * send one are kill.c's).
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
#include "aio.h"
#include "iouring.h"
#include "pidfd.h"
#include "pidns.h"
#include "pipe.h"
#include "proc.h"
#include "userns.h"
#include "ptimer.h"
#include "sysvipc.h"
#include "time.h"
#include "userfaultfd.h"
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
 * namespace (SIGNAL_UNKILLABLE); so does a pid namespace's init, but for
 * SIGKILL and SIGSTOP forced on it from an ancestor namespace (force,
 * pidns_signal_force; a pending one was let in so).  A CPU exception does
 * not come this way (signal_exception), and ends it as it ends any
 * process. */
static bool init_ignores(struct proc *p, uint64_t h, int sig, bool force)
{
    if (h != SIG_DFL)
        return false;
    if (proc_group(p)->pid == 1)
        return true;
    return pidns_is_init(p) && !(force && (sig == SIGKILL || sig == SIGSTOP));
}

/* Takes the next deliverable signal: default actions happen here; returns
 * a signal whose handler must run, or 0. */
int signal_take(struct proc *p, struct siginfo_k *info)
{
    /* a stopped process takes none: they wait for SIGCONT, as Linux's
     * get_signal stops before it dequeues (a stop a signal here began
     * included) */
    for (int sig; !p->zombie && !proc_group(p)->job.stopped && (sig = signal_dequeue(p, ~p->sig.mask, info));) {
        if (info->pad == PTIMER_MARK && !ptimer_taken(proc_group(p), info))
            continue; /* a stale timer signal */
        uint64_t h = p->sig.actions[sig][0];
        if (ignored(h, sig) || init_ignores(p, h, sig, true))
            continue;
        if (h == SIG_DFL && default_action(sig) == SIG_STOP_ACTION) {
            if (sig == SIGSTOP || !pgrp_orphaned(proc_group(p)->pgid)) /* as Linux's get_signal: dropped in an orphaned group */
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

/* Calls a signal ends with EINTR whatever comes of it, a stop and a
 * continue included (Linux's -EINTR): epoll_wait and its kin,
 * sigtimedwait, semop, io_getevents, and a socket's wait under SO_RCVTIMEO or
 * SO_SNDTIMEO (sock_intr_errno). */
static bool eintr_always(struct proc *p)
{
    int k = p->wait.kind;
    struct ipc_waiter *w = k == WAIT_SYSV ? ipc_waiting(p) : NULL;
    return k == WAIT_EPOLL || k == WAIT_SIGWAIT || (w && w->what == 0) || (k == WAIT_READ && p->wait.sets[0]) || (p->block.pipe && p->block.deadline) ||
           ((k == WAIT_ACCEPT || k == WAIT_CONNECT || k == WAIT_DGRAM) && p->wait.deadline) ||
           (k == WAIT_AIO && !p->wait.sets[2]);
}

/* What a signal makes of p's blocking call: EINTR, -ERESTARTNOHAND
 * (EINTR after a handler, else restarted: poll, select, ppoll and
 * pselect6, io_pgetevents, sigsuspend, pause, sleeps, a futex wait with a timeout,
 * msgsnd and msgrcv), or -ERESTARTSYS (restarted under SA_RESTART). */
static int64_t interrupted(struct proc *p)
{
    int k = p->wait.kind;
    if (eintr_always(p))
        return -LINUX_EINTR;
    if (k == WAIT_AIOSUB)
        return aio_submit_interrupted(p);
    if (k == WAIT_IOURING)
        return iouring_interrupted(p); /* Linux's io_cqring_wait: EINTR, or what was submitted */
    if (k == WAIT_AIO || k == WAIT_SIGSUSPEND || k == WAIT_SYSV || p->sig.saved || k == WAIT_SLEEP || k == WAIT_POLL ||
        k == WAIT_SELECT || (k == WAIT_FUTEX && p->wait.deadline))
        return -ERESTARTNOHAND;
    return -ERESTARTSYS;
}

/* Interrupts whatever the thread waits for; if it waits for nothing, it
 * runs user code: the kernel makes it trap here. */
void signal_kick(struct proc *p)
{
    if (p->wait.kind == WAIT_FANPERM)
        return; /* killable alone, as Linux's fanotify_get_response: the signal waits for the answer */
    uint64_t token;
    int64_t why = interrupted(p);
    int64_t moved = pipe_moved(p); /* a write that moved some bytes returns their count */
    if (uffd_cancel(p, &token)) { /* a fault: the handler, then the instruction again */
        proc_reply(p, token, RESUME_UNCHANGED);
        return;
    }
    if (p->wait.kind == WAIT_SPLICE)
        moved = splice_carried(p); /* a sendfile or splice into a socket that moved some */
    if (!proc_cancel_wait(p, &token)) {
        sys_thread_interrupt(p->thread); /* EBUSY if it is in a trap: the reply delivers */
        return;
    }
    proc_reply(p, token, moved ? moved : why);
}

/* Whether thread t would take sig now: it does not block it, or waits
 * for it in sigtimedwait (Linux's wants_signal). */
static bool wants(struct proc *t, int sig)
{
    if (t->zombie || (!t->leader && t->thread_gone))
        return false;
    return !(t->sig.mask & SIGSET_BIT(sig)) || (t->wait.kind == WAIT_SIGWAIT && (t->wait.fds & SIGSET_BIT(sig)));
}

/* Which thread takes a signal sent to process g: g's own thread if it
 * would, else the first other that would; NULL if every one blocks it. */
static struct proc *taker(struct proc *g, int sig)
{
    if (wants(g, sig))
        return g;
    for (struct proc *t = g->threads; t; t = t->thread_link.next)
        if (wants(t, sig))
            return t;
    return NULL;
}

static void notify_parent(struct proc *g, int code, int status)
{
    struct proc *parent = proc_by_pid(g->ppid);
    if (!parent || parent->zombie)
        return;
    proc_wake_waiters(g->ppid); /* a waiting thread of the parent */
    if (parent->sig.actions[SIGCHLD][1] & SA_NOCLDSTOP)
        return;
    /* si_uid: the child's as the parent's user namespace sees it, then taken
     * as one of the child's own namespace's, as Linux 6.1's
     * do_notify_parent_cldstop (send_signal_locked maps it again from the
     * stopping child's) */
    const struct ns *pu = parent->cred.userns;
    uint32_t uid = userns_uid_across(g->cred.userns, pu, userns_uid_from(pu, g->cred.uid));
    struct siginfo_k si = {SIGCHLD, 0, code, 0, {.child = {pidns_vnr(parent, g), (int32_t)uid, status}}};
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
    for (struct proc *t = proc_list(), *n; t; t = n) {
        n = t->next;
        if (proc_group(t) != g || t->zombie || (t == g && g->thread_gone))
            continue;
        uint64_t token;
        if (eintr_always(t) && proc_cancel_wait(t, &token))
            proc_reply(t, token, -LINUX_EINTR); /* held until the continue, then EINTR */
        else
            sys_thread_interrupt(t->thread);
    }
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
        if (proc_group(t) == g && t->parked.held && !t->zombie && !t->frozen) {
            t->parked.held = false;
            proc_reply(t, t->parked.token, t->parked.result);
        }
    }
    notify_parent(g, CLD_CONTINUED, SIGCONT);
}

static bool is_stop(int sig) { return sig >= SIGSTOP && sig <= SIGTTOU; } /* SIGSTOP SIGTSTP SIGTTIN SIGTTOU */

/* A process group none of whose members but ignored has a parent in
 * another group of the same session (Linux's will_become_orphaned_pgrp):
 * nobody is left to continue it if it stops.  Linux does not count a
 * parent that is init; here init does count, so that a shell run as
 * process 1 (the console's) keeps its job control. */
bool pgrp_will_orphan(int pgid, const struct proc *ignored)
{
    for (struct proc *q = proc_list(); q; q = q->next) {
        if (q->zombie || q->leader || q->pgid != pgid || q == ignored)
            continue;
        struct proc *parent = proc_by_pid(q->ppid);
        if (parent && !parent->zombie && parent->pgid != pgid && parent->sid == q->sid)
            return false;
    }
    return true;
}

bool pgrp_orphaned(int pgid) { return pgrp_will_orphan(pgid, NULL); }

bool pgrp_has_stopped(int pgid)
{
    for (struct proc *q = proc_list(); q; q = q->next)
        if (!q->zombie && !q->leader && q->pgid == pgid && q->job.stopped)
            return true;
    return false;
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

/* Sends sig to thread p (thread) or to p's process: dropped if ignored,
 * a stop or death at once, else pending, and the thread that takes it
 * interrupted (or its sigtimedwait answered); -EAGAIN past
 * RLIMIT_SIGPENDING (charge). */
static int send(struct proc *p, int sig, const void *info_in, bool thread)
{
    if (p->zombie || sig < 1 || sig > LINUX_NSIG)
        return 0;
    struct proc *g = proc_group(p);
    if (!thread)
        p = g;
    uint64_t bit = SIGSET_BIT(sig), stops = SIGSET_BIT(SIGSTOP) | SIGSET_BIT(SIGTSTP) | SIGSET_BIT(SIGTTIN) |
                                            SIGSET_BIT(SIGTTOU);
    if (sig == SIGCONT || is_stop(sig)) { /* SIGCONT drops pending stops, a stop a pending SIGCONT */
        uint64_t gone = sig == SIGCONT ? stops : SIGSET_BIT(SIGCONT);
        sigqueue_uncharge(g->sig.shared, gone), g->sig.shared->pending &= ~gone;
        for_each_thread(t, g)
            sigqueue_uncharge(&t->sig.own, gone), t->sig.own.pending &= ~gone;
    }
    if (sig == SIGCONT) /* continues whatever its action */
        proc_continue(g);
    struct proc *t = thread ? (wants(p, sig) ? p : NULL) : taker(g, sig);
    uint64_t h = p->sig.actions[sig][0];
    struct sigqueue *q = thread ? &p->sig.own : g->sig.shared;
    struct siginfo_k si = {sig, 0, SI_KERNEL, 0, {.kill = {0, 0}}};
    if (info_in)
        memcpy(&si, info_in, sizeof si);
    else if (sig == SIGPIPE && proc_charged) /* the writer's own: Linux's send_sig(SIGPIPE, current, 0), SI_USER */
        si = (struct siginfo_k){sig, 0, SI_USER, 0, {.kill = {pidns_vnr(p, proc_group(proc_charged)),
                                                            (int32_t)userns_uid_from(proc_charged->cred.userns,
                                                                                     proc_charged->cred.uid)}}};
    bool force = pidns_signal_force(p, &si); /* si_pid 0 from an ancestor namespace */
    int r;
    if ((t ? t : p)->pt.tracer && sig != SIGKILL) { /* a tracee's signal waits for its tracer's word (ptrace.c) */
        if ((r = sigqueue_make_pending(p, q, sig, &si)) == 0 && t)
            signal_kick(t);
        return r < 0 ? r : 0;
    }
    /* a taker that blocks it is in sigtimedwait for it, which takes it */
    bool unblocked = t && !(t->sig.mask & bit);
    if (init_ignores(p, h, sig, force) && (sig == SIGKILL || sig == SIGSTOP || unblocked))
        return 0; /* a blocked one waits: a handler may be set before it is unblocked */
    if (is_stop(sig) && h == SIG_DFL && (sig == SIGSTOP || unblocked)) {
        if (sig == SIGSTOP || !pgrp_orphaned(g->pgid)) /* as Linux: the terminal stops spare an orphaned group */
            proc_stop(g, sig);
        return 0;
    }
    if (sig != SIGKILL && ignored(h, sig) && !(p->sig.mask & bit))
        return 0; /* discarded at once, as Linux does for ignored signals; a blocked one stays pending (signalfd) */
    if (sig == SIGKILL || (h == SIG_DFL && default_action(sig) == SIG_DFL && t && !(t->sig.mask & bit))) {
        /* fatal at once (a blocked default-ignored one, queued because the
         * leader blocks it, is dropped when taken) */
        signal_die(t ? t : p, sig, &si);
        return 0;
    }
    if ((r = sigqueue_make_pending(p, q, sig, &si)) != 0) /* a real-time signal queued behind the one pending, or EAGAIN */
        return r < 0 ? r : 0;
    if (t && t->wait.kind == WAIT_SIGWAIT && (t->wait.fds & bit))
        sigwait_take(t); /* a sigtimedwait for it takes it */
    else if (t)
        signal_kick(t);
    if (signalfds_live) /* a signalfd of its mask becomes readable */
        poll_recheck();
    return 0;
}

int signal_send(struct proc *p, int sig, const void *info) { return send(p, sig, info, false); }
int signal_send_thread(struct proc *p, int sig, const void *info) { return send(p, sig, info, true); }

/* A signal whose action becomes to ignore it: its pending and queued
 * instances go, in every thread of p's process (Linux's do_sigaction). */
static void discard(struct proc *p, int sig)
{
    sigqueue_drop(p->sig.shared, sig);
    struct proc *g = proc_group(p);
    for_each_thread(t, g)
        sigqueue_drop(&t->sig.own, sig);
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
    struct siginfo_k si = {SIGCHLD, 0, code, 0, {.child = {pidns_vnr(parent, child), (int32_t)userns_uid_from(parent->cred.userns, child->cred.uid), 0}}};
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

static int64_t sys_rt_sigpending(struct sys_ctx *c, uint64_t uset, uint64_t sigsetsize)
{
    uint64_t set = signal_pending(&c->p->sig) & c->p->sig.mask; /* as Linux: the blocked ones */
    if (sigsetsize > sizeof set)
        return -LINUX_EINVAL; /* a smaller set gets its first bytes, as Linux's */
    return mem_out(c->p, uset, &set, sigsetsize) < 0 ? -LINUX_EFAULT : 0;
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
    struct siginfo_k info;
    for (int sig; (sig = signal_dequeue(t, t->wait.fds, &info));) {
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
    if (sigwait_take(c->p))
        return 0;
    if (utimeout && ts[0] == 0 && ts[1] == 0) {
        c->p->wait.kind = WAIT_NONE;
        c->deferred = false;
        return -LINUX_EAGAIN;
    }
    if (utimeout) {
        c->p->wait.deadline = clock_after(timespec_ns(ts));
        wait_rearm_for(c->p);
    }
    return 0;
}

/* The flags an action keeps (Linux's UAPI_SA_FLAGS: SA_EXPOSE_TAGBITS
 * among them; SA_UNSUPPORTED and unknown bits are dropped, so that a
 * program learns what is not supported). */
#define SA_KNOWN (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | 0x800 | SA_RESTORER | SA_ONSTACK | SA_RESTART | \
                  SA_NODEFER | SA_RESETHAND)

/* As Linux's: the new action is read (EFAULT) before the signal is
 * checked, the old one written once the new one is set. */
static int64_t sys_rt_sigaction(struct sys_ctx *c, uint64_t sig, uint64_t uact, uint64_t uoldact, uint64_t sigsetsize)
{
    uint64_t act[4], old[4];
    if (sigsetsize != sizeof(uint64_t))
        return -LINUX_EINVAL;
    if (uact && mem_in(c->p, act, uact, sizeof act) < 0)
        return -LINUX_EFAULT;
    if (sig < 1 || sig > LINUX_NSIG || ((sig == SIGKILL || sig == SIGSTOP) && uact))
        return -LINUX_EINVAL;
    memcpy(old, c->p->sig.actions[sig], sizeof old);
    if (uact) {
        act[1] &= SA_KNOWN, act[3] &= ~SIG_UNBLOCKABLE; /* SIGKILL and SIGSTOP are never blocked */
        memcpy(c->p->sig.actions[sig], act, sizeof act);
        if (ignored(act[0], (int)sig))
            discard(c->p, (int)sig);
    }
    return uoldact && mem_out(c->p, uoldact, old, sizeof old) < 0 ? -LINUX_EFAULT : 0;
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

/* restart_syscall: Linux's restart block for a call interrupted with
 * ERESTART_RESTARTBLOCK.  Here such a call, when no handler runs, is
 * restarted whole (its own number again, proc_reply_signals), so there is
 * never a block to resume: EINTR, as Linux's do_no_restart_syscall. */
static int64_t sys_restart_syscall(struct sys_ctx *c)
{
    (void)c;
    return -LINUX_EINTR;
}
