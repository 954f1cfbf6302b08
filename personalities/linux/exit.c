/*
 * personalities/linux/exit.c - the end of threads and processes (exit,
 * exit_group, a kill, the OOM killer), and the parent's side of it:
 * wait4 and waitid with Linux's status words, and SIGCHLD.
 *
 * Entry points: proc_exit (and the SIGHUP and SIGCONT of a group it
 * orphans), proc_oom_kill, thread_drop, drop_threads,
 * proc_wake_waiter (signal.c's job control reports stops with it).
 * Callers: the syscall table, main.c (a task that died), signals.
 * Layer: proc.  Book: docs/linux.md, "Programs and processes".
 */
#include "aio.h"
#include "cgroup.h"
#include "iouring.h"
#include "klog.h"
#include "futex.h"
#include "interop.h"
#include "perfevent.h"
#include "pidfd.h"
#include "pidns.h"
#include "proc.h"
#include "userns.h"
#include "sysvipc.h"
#include "ptimer.h"
#include <stdio.h>
#include "linux_entries/exit.h" /* generated: the handlers' prototypes, entries */

#define WALL_FLAGS ((uint64_t)(__WNOTHREAD | __WALL | __WCLONE)) /* wait4 accepts them; __WNOTHREAD is ignored */

/* Adds what thread t used to its process's account of ended threads. */
static void charge_thread(struct proc *t)
{
    uint64_t u, s;
    perf_thread_ending(t); /* its counters' last reading */
    proc_thread_cpu_times(t, &u, &s);
    proc_group(t)->cpu.gone_utime += u;
    proc_group(t)->cpu.gone_stime += s;
    proc_group(t)->cpu.gone_minflt += t->counts.minflt;
    proc_group(t)->cpu.gone_nvcsw += t->counts.switches;
    io_add(&proc_group(t)->cpu.gone_io, &t->io);
}

/* A reaped child's account (its threads' and its own reaped children's)
 * joins its parent's account of children. */
static void account_child(struct proc *parent, const struct proc *c)
{
    struct cpu_account *a = &proc_group(parent)->cpu;
    a->child_utime += c->cpu.gone_utime + c->cpu.child_utime;
    a->child_stime += c->cpu.gone_stime + c->cpu.child_stime;
    a->child_minflt += c->cpu.gone_minflt + c->cpu.child_minflt;
    a->child_nvcsw += c->cpu.gone_nvcsw + c->cpu.child_nvcsw;
    a->child_maxrss = MAX(a->child_maxrss, MAX(c->cpu.maxrss, c->cpu.child_maxrss)); /* the largest, not the sum */
    io_add(&a->gone_io, &c->cpu.gone_io); /* /proc/PID/io counts them with the process's own, as Linux's */
}

/* Ends thread th of its process without a reply (its kernel thread is
 * killed or dies with the task): it leaves the list. */
void thread_drop(struct proc *th)
{
    charge_thread(th);
    if (trace_on)
        trace_end(th->pid, NULL);
    uint64_t token;
    proc_cancel_wait(th, &token);
    th->zombie = true;
    sys_thread_kill(th->thread); /* if it still runs */
    sys_handle_close(th->thread);
    proc_free(th);
}

void drop_threads(struct proc *g, struct proc *keep)
{
    for (struct proc *t = g->threads, *n; t; t = n) {
        n = t->thread_link.next; /* thread_drop takes t off the list */
        if (t != keep && !t->zombie)
            thread_drop(t);
    }
}

void proc_wake_waiters(int tgid)
{
    struct proc *g = proc_by_pid(tgid);
    if (g && !g->leader)
        for_each_thread(w, g)
            if (w->reap.waiting && !w->zombie)
                proc_wake_waiter(w);
}

/* A vfork or CLONE_VM child running in p's memory dies with p (the walk
 * starts again after each: an exit may end others). */
static void vfork_children_exit(struct proc *p)
{
    for (struct proc *c = proc_vforkers, *n; c; c = n) {
        n = c->vfork_link.next;
        bool waited_by_us = c->vfork.parent && proc_group(c->vfork.parent) == p;
        if (c->zombie || (!c->vfork.parent && !c->vfork.shared))
            proc_link_del(c, VFORK_LINK); /* no longer one */
        else if (waited_by_us && !c->vfork.shared)
            c->vfork.parent = NULL; /* clone(CLONE_VFORK) without CLONE_VM: it lives on */
        else if (c->vfork.shared && c != p && ((!p->vfork.shared && c->mm == p->mm) || waited_by_us)) {
            c->vfork.parent = NULL;
            proc_exit(c, SIGKILL);
            n = proc_vforkers;
        }
    }
}

/* p's children go to the nearest subreaper among its ancestors in its
 * pid namespace (prctl), else to the namespace's init; one that asked
 * for its parent's death signal gets it.  A namespace's init keeps its
 * own: they end with it (pidns_init_exit). */
static void orphan_check(struct proc *t, struct proc *parent, struct proc *ignored);

static void reparent_children(struct proc *p)
{
    if (p->pid == 1 || pidns_init_exit(p))
        return; /* init's children have no one left to go to: the machine ends with it (on Linux, a panic) */
    struct proc *reaper = NULL, *top = pidns_reaper(p);
    for (struct proc *a = proc_by_pid(p->ppid); a && !reaper && a->ns[NS_PID] == p->ns[NS_PID];
         a = a->pid == 1 || a == top ? NULL : proc_by_pid(a->ppid))
        if (a->subreaper && !a->zombie)
            reaper = a;
    if (!reaper && top && top->pid != 1)
        reaper = top; /* a pid namespace's init */
    /* si_uid: p's, as the caller's (the sender's) user namespace sees it; send makes it c's */
    const struct ns *from = proc_charged ? proc_charged->cred.userns : p->cred.userns;
    struct siginfo_k death = {0, 0, SI_USER, 0, {.kill = {p->pid, (int32_t)userns_uid_from(from, p->cred.uid)}}};
    for (struct proc *c = p->children, *n; c; c = n) {
        n = c->child_link.next;
        proc_set_parent(c, reaper ? reaper->pid : 1);
        c->exit_signal = SIGCHLD; /* as Linux's reparent_leader */
        if (c->pdeathsig && !c->zombie) /* si_pid: the parent as c sees it */
            death.signo = c->pdeathsig, death.kill.pid = pidns_vnr(c, p), signal_send(c, c->pdeathsig, &death);
        if (c->zombie && reaper)
            signal_child_exited(reaper, c); /* the new parent learns of it, to wait for it */
        orphan_check(c, p, NULL);
    }
    if (reaper)
        proc_wake_waiters(reaper->pid); /* a zombie it may wait for now */
}

/* clear_child_tid: 0 is written there and one futex waiter woken (how
 * pthread_join learns that a thread has ended). */
static void clear_child_tid(struct proc *t)
{
    uint32_t zero = 0;
    if (t->clear_tid && mem_out(t, t->clear_tid, &zero, sizeof zero) == 0)
        futex_wake(t, t->clear_tid, 1, ~0u);
    t->clear_tid = 0;
}

/* Linux's kill_orphaned_pgrp: t's group becomes orphaned as ignored
 * leaves it (t's exit) or as parent stops being t's (t reparented:
 * ignored NULL); with a stopped member, each member gets SIGHUP, then
 * SIGCONT. */
static void orphan_check(struct proc *t, struct proc *parent, struct proc *ignored)
{
    if (parent && parent->pgid != t->pgid && parent->sid == t->sid && pgrp_will_orphan(t->pgid, ignored) &&
        pgrp_has_stopped(t->pgid)) {
        signal_group(t->pgid, SIGHUP, NULL);
        signal_group(t->pgid, SIGCONT, NULL);
    }
}

void proc_oom_kill(struct proc *p)
{
    klog(KERN_ERR, "linux: out of memory: killed process %d (%s)", proc_tgid(p), proc_group(p)->comm);
    proc_exit(p, SIGKILL);
}

void proc_exit(struct proc *p, int status)
{
    p = proc_group(p); /* a process ends with all its threads */
    if (p->zombie)
        return;
    for_each_thread(t, p) /* its threads' futexes, while the memory is there */
        if (!t->zombie)
            futex_exit(t);
    drop_threads(p, NULL);
    ptrace_tracer_gone(p); /* its tracees go free, or die with PTRACE_O_EXITKILL */
    if (!p->thread_gone)
        charge_thread(p);
    proc_keep_peak(p); /* the memory's, before it goes (as Linux's do_exit) */
    p->zombie = true;
    p->status = status;
    cgroup_exited(p); /* its groups' cgroup.events, if they are empty now */
    acct_exit(p, status);
    ptimer_drop(p);
    if (trace_on)
        linux_trace_exit(p->pid, status);
    uint64_t token;
    proc_cancel_wait(p, &token); /* the thread dies with the task: no reply */
    interop_exit(p);
    files_exit(p);
    sighand_exit(p);
    vfork_children_exit(p);
    if (p->vfork.shared) { /* only the child's thread goes; the task is its parent's */
        sys_thread_kill(p->thread);
        sys_handle_close(p->thread);
    } else {
        sysv_exit(p); /* SEM_UNDO's adjustments; its segments' last detach */
        aio_exit(p->mm);
        iouring_cancel_mm(p->mm); /* its io_uring requests too */
        mm_free(p->mm); /* a removed segment it held may go: the sweep after (sysv_collect) */
        sys_task_kill(p->task);
        sys_handle_close(p->task);
        sys_handle_close(p->thread);
    }
    vfork_release(p);
    reparent_children(p);
    orphan_check(p, proc_by_pid(p->ppid), p);
    if (p->pid == 1) {
        /* init is gone: power off with its status, as a shell's $? would show it */
        int code = (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
        /* The debug-exit device carries 7 bits: the log line has the whole status. */
        klog(code ? KERN_ERR : KERN_NOTICE, "linux: init exited with status %d", code); /* as Linux's panic, when it failed */
        trace_summary();
        if (linux_power >= 0)
            sys_machine_exit(linux_power, code & 0x7f);
        return;
    }
    struct proc *parent = proc_by_pid(p->ppid);
    if (parent && !parent->zombie && p->exit_signal == SIGCHLD &&
        (parent->sig.actions[SIGCHLD][0] == SIG_IGN || (parent->sig.actions[SIGCHLD][1] & SA_NOCLDWAIT))) {
        /* SIGCHLD ignored, or SA_NOCLDWAIT: no zombie; a wait sees one child fewer */
        account_child(parent, p);
        proc_free(p);
    }
    proc_wake_waiters(p->ppid); /* any thread of the parent, or tracer, may wait */
    if (p->pt.tracer && p->pt.tracer != p->ppid)
        proc_wake_waiters(p->pt.tracer);
    if (parent && !parent->zombie)
        signal_child_exited(parent, p);
    poll_recheck(); /* its pidfds are readable now */
}

static int64_t sys_exit_group(struct sys_ctx *c, int status)
{
    c->no_reply = true;
    if (c->p->pt.tracer && ptrace_exit(c->p, c->token, (int)((status & 0xff) << 8)))
        return 0; /* PTRACE_EVENT_EXIT first: the exit follows the tracer's resume */
    proc_exit(c->p, (int)((status & 0xff) << 8));
    return 0;
}

/* exit: the calling thread ends; the process ends with its last thread. */
static int64_t sys_exit(struct sys_ctx *c, int status)
{
    if (proc_live_threads(proc_group(c->p)) <= 1)
        return sys_exit_group(c, status);
    thread_exit(c);
    return 0;
}

void thread_exit(struct sys_ctx *c)
{
    struct proc *t = c->p, *g = proc_group(t);
    futex_exit(t);
    clear_child_tid(t);
    struct ipc_msg m = {{PICO_KILL_THREAD}};
    linux_reply(c->token, &m, 0);
    c->no_reply = true;
    if (t == g) {
        uint64_t token;
        proc_cancel_wait(t, &token);
        charge_thread(t);
        t->thread_gone = true; /* the process lives on in its other threads */
    } else {
        thread_drop(t);
    }
}

/* Whether child c is one that parent's wait names: a pid, -1 for any,
 * or -pgid for a process group. */
static bool wait_names(struct proc *parent, struct proc *c)
{
    bool traced = ptrace_traced_by(c, parent); /* a tracee is waited for as a child, whatever its kind */
    if (!traced && (c->leader || c->ppid != proc_tgid(parent)))
        return false;
    if (!traced && !(parent->reap.options & __WALL) &&
        (c->exit_signal != SIGCHLD) != !!(parent->reap.options & __WCLONE))
        return false; /* a clone child is __WCLONE's, the others are not */
    int w = parent->reap.pid;
    return w == -1 || (w > 0 ? c->pid == w : c->pgid == -w);
}

/* What c has to report to parent's wait with these options: 'x' exited,
 * 't' a ptrace stop (ptrace.c), 's' stopped, 'c' continued, or 0.  A
 * tracee's end is its tracer's to report first. */
#define WAIT_NO_EXITS 0x100000 /* internal: waitid without WEXITED */

static char wait_event(struct proc *parent, struct proc *c, int options)
{
    if (c->zombie)
        return (options & WAIT_NO_EXITS) || (c->pt.tracer && !ptrace_traced_by(c, parent)) ? 0 : 'x';
    if (c->pt.report && c->pt.stopped && ptrace_traced_by(c, parent))
        return 't';
    if ((options & WUNTRACED) && c->job.stop_report)
        return 's';
    if ((options & WCONTINUED) && c->job.cont_report)
        return 'c';
    return 0;
}

/* A tracer waited for the end of tracee c, not its child: c's parent may now reap it. */
static void tracee_reaped(struct proc *c)
{
    struct proc *parent = proc_by_pid(c->ppid);
    c->pt.tracer = 0;
    proc_link_del(c, TRACEE_LINK);
    if (!parent || parent->zombie)
        return;
    signal_child_exited(parent, c);
    proc_wake_waiters(c->ppid);
}

/* The processes a wait may name: the one child by its pid, or (a group
 * or any child) the parent's children, then the tracees that are not
 * among them (a tracee is waited for as a child). */
static bool own_child(struct proc *parent, struct proc *c)
{
    return !c->leader && c->child_link.pprev && c->ppid == proc_tgid(parent);
}

static struct proc *next_tracee(struct proc *parent, struct proc *t)
{
    while (t && (own_child(parent, t) || !ptrace_traced_by(t, parent)))
        t = t->tracee_link.next;
    return t;
}

static struct proc *wait_first(struct proc *parent)
{
    if (parent->reap.pid > 0)
        return proc_by_pid(parent->reap.pid);
    struct proc *c = proc_group(parent)->children;
    return c ? c : next_tracee(parent, proc_tracees);
}

static struct proc *wait_next(struct proc *parent, struct proc *c)
{
    if (parent->reap.pid > 0)
        return NULL;
    if (own_child(parent, c))
        return c->child_link.next ? c->child_link.next : next_tracee(parent, proc_tracees);
    return next_tracee(parent, c->tracee_link.next);
}

void proc_wake_waiter(struct proc *parent)
{
    if (!parent || !parent->reap.waiting)
        return;
    bool any = false;
    for (struct proc *c = wait_first(parent); c; c = wait_next(parent, c)) {
        if (!wait_names(parent, c))
            continue;
        any = true;
        char ev = wait_event(parent, c, parent->reap.options);
        if (!ev)
            continue;
        /* the status word: exit, 0x7f | sig << 8 stopped (and a ptrace event above), 0xffff continued */
        int32_t status = ev == 'x' ? c->status : ev == 't' ? c->pt.status : ev == 's' ? 0x7f | c->job.stop_sig << 8 : 0xffff;
        int64_t pid = pidns_vnr(parent, c);
        uint64_t ru[RUSAGE_WORDS];
        proc_rusage_both(c, ru); /* as Linux's wait_task_*: the child's getrusage(RUSAGE_BOTH) */
        bool ru_bad = parent->reap.rusage_ptr && mem_out(parent, parent->reap.rusage_ptr, ru, sizeof ru) < 0;
        if (parent->reap.siginfo && ru_bad) { /* waitid: EFAULT before the siginfo */
            pid = -LINUX_EFAULT;
        } else if (parent->reap.siginfo) { /* waitid: a siginfo, and 0 for success */
            int code = ev == 's' ? CLD_STOPPED : ev == 't' ? CLD_TRAPPED : ev == 'c' ? CLD_CONTINUED
                       : (status & 0x7f) ? CLD_KILLED : CLD_EXITED;
            struct siginfo_k si = {SIGCHLD, 0, code, 0, {.child = {pid, (int32_t)userns_uid_from(parent->cred.userns, c->cred.uid), 0}}};
            si.child.status = ev == 's' ? c->job.stop_sig : ev == 't' ? (status >> 8) & 0xff : ev == 'c' ? SIGCONT
                              : (status & 0x7f) ? status & 0x7f : (status >> 8) & 0xff;
            bool bad = parent->reap.status_ptr && mem_out(parent, parent->reap.status_ptr, &si, sizeof si) < 0;
            pid = bad ? -LINUX_EFAULT : 0; /* reaped all the same, as Linux's */
        } else if ((parent->reap.status_ptr && mem_out(parent, parent->reap.status_ptr, &status, sizeof status) < 0) ||
                   ru_bad) {
            pid = -LINUX_EFAULT; /* wait4: reported (and reaped) all the same */
        }
        parent->reap.waiting = false;
        if (parent->reap.options & WNOWAIT) /* waitid's peek: the child stays to be waited for */
            ;
        else if (ev == 'x' && c->ppid != proc_tgid(parent)) /* a tracee not its child: now its parent's to reap */
            tracee_reaped(c);
        else if (ev == 'x') {
            account_child(parent, c);
            proc_free(c);
            poll_recheck(); /* its pidfds hang up */
        }
        else if (ev == 't')
            c->pt.report = false;
        else if (ev == 's')
            c->job.stop_report = false;
        else
            c->job.cont_report = false;
        proc_reply(parent, parent->reap.token, pid);
        return;
    }
    if (!any) {
        parent->reap.waiting = false;
        proc_reply(parent, parent->reap.token, -LINUX_ECHILD);
    }
}

/* wait4 and waitid: pid > 0 a child, -1 any, -pgid a process group;
 * options checked by the callers. */
static int64_t do_wait(struct sys_ctx *c, int pid, uint64_t status_ptr, uint64_t options, bool siginfo,
                       uint64_t rusage_ptr)
{
    struct proc *p = c->p;
    p->reap.rusage_ptr = rusage_ptr;
    p->reap.pid = pid;
    p->reap.options = (int)options;
    p->reap.status_ptr = status_ptr;
    p->reap.siginfo = siginfo;
    p->reap.token = c->token;
    p->reap.waiting = true;
    bool any = false, ready = false;
    for (struct proc *ch = wait_first(p); ch; ch = wait_next(p, ch))
        if (wait_names(p, ch))
            any = true, ready |= wait_event(p, ch, (int)options) != 0;
    if (!any) {
        p->reap.waiting = false;
        return -LINUX_ECHILD;
    }
    if (!ready && (options & WNOHANG)) {
        p->reap.waiting = false;
        struct siginfo_k none = {0, 0, 0, 0, {.raw = {0}}};
        return siginfo && status_ptr && mem_out(p, status_ptr, &none, sizeof none) < 0 ? -LINUX_EFAULT : 0;
    }
    c->deferred = true;
    proc_wake_waiter(p);
    return 0;
}

static int64_t sys_wait4(struct sys_ctx *c, int pid, uint64_t ustatus, uint64_t options, uint64_t urusage)
{
    if (pid == INT32_MIN)
        return -LINUX_ESRCH; /* as Linux: its negation is no process group */
    options = (uint32_t)options; /* an int: __WCLONE comes sign-extended */
    if (options & ~(uint64_t)(WNOHANG | WUNTRACED | WCONTINUED | WALL_FLAGS))
        return -LINUX_EINVAL;
    pid = pid == 0 ? -c->p->pgid : pid < -1 ? -pidns_global(c->p, -pid) : pidns_global(c->p, pid);
    return do_wait(c, pid, ustatus, options, false, urusage);
}

/* waitid: P_ALL, P_PID, P_PGID, or P_PIDFD (the process a pidfd names;
 * a nonblocking one makes the wait WNOHANG, and EAGAIN when nothing is
 * ready); WNOWAIT leaves the child to be waited for again. */
static int64_t sys_waitid(struct sys_ctx *c, uint64_t idtype, uint64_t id, uint64_t uinfop, uint64_t options,
                          uint64_t urusage)
{
    if (idtype > P_PIDFD)
        return -LINUX_EINVAL;
    options = (uint32_t)options;
    if (!(options & (WEXITED | WSTOPPED | WCONTINUED)) ||
        (options & ~(uint64_t)(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | WALL_FLAGS)))
        return -LINUX_EINVAL;
    if ((idtype == P_PID && (int)id <= 0) || (idtype == P_PGID && (int)id < 0))
        return -LINUX_EINVAL;
    int pid = idtype == P_ALL   ? -1
              : idtype == P_PID ? pidns_global(c->p, (int)id)
                                : -(id ? pidns_global(c->p, (int)id) : proc_group(c->p)->pgid);
    bool nonblock = false;
    if (idtype == P_PIDFD) {
        struct file *f = (int)id < 0 ? NULL : fd_file(c->p, id);
        struct proc *t;
        if ((int)id < 0)
            return -LINUX_EINVAL;
        int r = f ? pidfd_target(f, &t) : -LINUX_EBADF;
        if (r == -LINUX_ESRCH)
            return -LINUX_ECHILD; /* waited for already */
        if (r < 0)
            return r;
        pid = t->pid;
        nonblock = (f->flags & O_NONBLOCK) && !(options & WNOHANG);
    }
    /* waitid's WSTOPPED is wait4's WUNTRACED */
    int64_t r = do_wait(c, pid, uinfop,
                        (options & (WNOHANG | WNOWAIT)) | (nonblock ? WNOHANG : 0) |
                            (options & WSTOPPED ? WUNTRACED : 0) | (options & WCONTINUED) |
                            (options & WEXITED ? 0 : WAIT_NO_EXITS) | (options & (__WALL | __WCLONE)),
                        true, urusage);
    return nonblock && r == 0 && !c->deferred ? -LINUX_EAGAIN : r;
}
