/*
 * personalities/linux/fork.c - new processes and threads: fork (a
 * copy-on-write clone of the task), vfork (the child runs in its parent's
 * task until it execs or exits), clone and clone3 (both, and threads:
 * another thread in the same task), and a thread's own settings:
 * set_tid_address and arch_prctl (its FS base).
 *
 * Entry point: vfork_release (exec.c and exit.c, when a vfork child
 * leaves its parent's memory).  Callers: the syscall table.  Layer: proc.
 * Book: docs/linux.md, "Programs and processes".
 */
#include "pidfd.h"
#include "i386.h"
#include "pidns.h"
#include "proc.h"
#include "cgroup.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/fork.h" /* generated: the handlers' prototypes, entries */

#define CLONE_ARGS_SIZE_MAX 4096 /* clone3: a struct clone_args larger than a page is E2BIG */

/* A vfork child has exec'd or exited: its parent's vfork returns. */
void vfork_release(struct proc *child)
{
    struct proc *parent = child->vfork.parent;
    child->vfork.parent = NULL;
    if (parent && !parent->zombie)
        proc_reply(parent, child->vfork.token, pidns_vnr(parent, child));
}

/* A suspended thread in task with the registers of p's thread, rax 0,
 * and the given stack and FS base if nonzero; its handle, or < 0. */
static long copy_thread(struct proc *p, int task, uint64_t stack, uint64_t fs_base, uint64_t badge)
{
    struct persona_regs regs;
    if (sys_thread_regs(p->thread, REGS_GET, &regs) < 0)
        return -LINUX_EAGAIN;
    bool compat = p->mm->compat; /* an i386 program's TLS is a struct user_desc (i386.c) */
    regs.rax = 0;
    if (stack)
        regs.rsp = stack;
    if (fs_base && !compat)
        regs.fs_base = fs_base;
    long th = sys_thread_create(task, regs.rip, regs.rsp, 0, PRIO_PROGRAM | THREAD_SUSPENDED | (compat ? THREAD_COMPAT : 0) |
                                                                  (p->pr.tsc_sigsegv ? THREAD_NOTSC : 0), badge);
    if (th >= 0 && (sys_thread_regs((int)th, REGS_SET, &regs) < 0 || (compat && i386_copy_segs(p, (int)th, fs_base) < 0))) {
        sys_handle_close((int)th);
        return -LINUX_ENOMEM;
    }
    return th;
}

/* A clone as Linux's kernel_clone takes it: the flags without the exit
 * signal, the child's stack pointer (0: the caller's), the tid addresses,
 * the TLS and the signal its parent gets at its end; clone3's set_tid
 * (the pids it asks for, set_tid_size of them, the first the innermost
 * namespace's). */
struct clone_req {
    uint64_t flags, stack, ptid, ctid, tls;
    int exit_signal;
    uint64_t set_tid_size;
    int32_t set_tid[MAX_PID_NS_LEVEL];
    struct cgroup *into; /* clone3's CLONE_INTO_CGROUP group (NULL: the caller's) */
};

/* The child's pid as Linux's alloc_pid checks set_tid, after copy_process's
 * other checks: one per namespace level at most, each checked
 * (pidns_set_tid, which keeps the inner levels' for pidns_attach), then
 * a namespace whose init has ended takes none (ENOMEM).  0 if none was
 * asked for in the initial namespace; else the pid, or Linux's error. */
static int pid_for(const struct proc *p, const struct clone_req *rq)
{
    int want, r = pidns_set_tid(p, rq->flags, rq->set_tid, rq->set_tid_size, &want);
    if (r < 0)
        return r;
    return (r = pidns_fork_check(p, rq->flags)) < 0 ? r : want;
}

/* What a new process takes from its parent p: identity, the memory of
 * its last execve for /proc, signal actions (their handlers reset with
 * clone3's CLONE_CLEAR_SIGHAND; shared with CLONE_SIGHAND), mask and
 * alternate stack (its descriptor table is child_alloc's); with CLONE_FS
 * its working directory is shared, with CLONE_PARENT its parent is p's. */
static void inherit(struct proc *ch, struct proc *p, const struct clone_req *rq)
{
    struct proc *g = proc_group(p);
    uint64_t flags = rq->flags;
    proc_set_parent(ch, (flags & CLONE_PARENT) ? g->ppid : g->pid);
    ch->pgid = p->pgid, ch->sid = p->sid;
    ch->exit_signal = (flags & CLONE_PARENT) ? g->exit_signal : rq->exit_signal;
    trace_fork(ch->ppid, ch->pid);
    ch->nproc_exceeded = p->nproc_exceeded, p->nproc_exceeded = false; /* Linux's PF_NPROC_EXCEEDED */
    ch->cwd = p->cwd, ch->cwd_mnt = p->cwd_mnt, ch->umask = p->umask, ch->nice = p->nice, ch->cred = p->cred;
    cred_hold(&ch->cred);
    ch->pr = p->pr, ch->pr.default_slack = p->pr.timer_slack, ch->pr.thp_disable = g->pr.thp_disable;
    if (flags & CLONE_FS)
        ch->fs_share = fs_share_new(p);
    ch->policy = p->policy, ch->rt_priority = p->rt_priority, ch->dl = p->dl, ch->mpol = p->mpol;
    ch->ioprio = IOPRIO_PRIO_CLASS(p->ioprio) != IOPRIO_CLASS_NONE ? p->ioprio : 0; /* as Linux's copy_io */
    ch->no_new_privs = p->no_new_privs, ch->undumpable = g->undumpable; /* pdeathsig and subreaper: not inherited */
    ch->personality = p->personality;
    ch->oom_score_adj = g->oom_score_adj, ch->oom_score_adj_min = g->oom_score_adj_min;
    ch->coredump_filter = g->coredump_filter;
    ch->loginuid = p->loginuid, ch->sessionid = p->sessionid;
    seccomp_inherit(&ch->seccomp, &p->seccomp);
    landlock_inherit(&ch->landlock, p->landlock);
    keyring_fork(&ch->keys, &p->keys);
    cgroup_fork(ch, p, rq->into);
    ns_fork(ch, p, flags); /* before anything can fail (a failed clone frees ch); short of memory for a
                              new namespace, the child keeps its parent's */
    pidns_attach(ch);      /* its numbers in its pid namespace and those above */
    ch->forked_only = true;
    if (ch->policy & SCHED_RESET_ON_FORK) { /* the child starts as an ordinary one */
        ch->policy = ch->rt_priority = 0;
        ch->dl = (struct sched_dl){0};
        ch->nice = ch->nice < 0 ? 0 : ch->nice;
    }
    sched_apply(ch);
    memcpy(ch->rlim, g->rlim, sizeof ch->rlim);
    memcpy(ch->comm, p->comm, sizeof ch->comm);
    memcpy(ch->exe, p->exe, sizeof ch->exe);
    if (flags & CLONE_SIGHAND) {
        ch->sig.actions = p->sig.actions;
        proc_link_add(&proc_sighand_borrowers, ch, SIGHAND_LINK); /* for sighand_exit */
    } else
        memcpy(ch->sig.actions, p->sig.actions, sizeof ch->own_sigactions);
    if (flags & CLONE_CLEAR_SIGHAND)
        signal_reset_handlers(&ch->sig);
    ch->sig.mask = p->sig.mask;
    if ((flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM) /* sharing the memory: none, as Linux's sas_ss_reset */
        ch->sig.ss_sp = ch->sig.ss_size = 0, ch->sig.ss_flags = SS_DISABLE;
    else
        ch->sig.ss_sp = p->sig.ss_sp, ch->sig.ss_size = p->sig.ss_size, ch->sig.ss_flags = p->sig.ss_flags;
}

/* A new process for p's child: its descriptor table, p's slots shared
 * copy-on-write (fds_fork), or p's table itself with CLONE_FILES; NULL
 * when memory is short. */
static struct proc *child_alloc(struct proc *p, uint64_t flags, int pid)
{
    struct proc *ch = proc_alloc_pid(pid);
    if (!ch)
        return NULL;
    if (flags & CLONE_FILES) {
        struct fdtable *t = files_share(p);
        if (t)
            return ch->fds = t, ch;
    } else if (fds_fork(ch->fds, p->fds) == 0) {
        return ch;
    }
    ch->zombie = true;
    proc_free(ch);
    return NULL;
}

/* A child made but not started: it goes, and its share of the table. */
static void child_unmake(struct proc *ch)
{
    if (ch->fds != &ch->own_fds)
        ch->fds->users--, ch->fds = &ch->own_fds;
    ch->zombie = true;
    proc_free(ch);
}

/* The tid addresses of a new process ch, and its start; with CLONE_VFORK
 * the caller's call is answered when ch execs or exits (vfork_release). */
static int64_t child_start(struct sys_ctx *c, struct proc *ch, const struct clone_req *rq)
{
    int nr = pidns_vnr(c->p, ch), own = pidns_vnr(ch, ch); /* as the parent sees it, and the child */
    if (rq->flags & CLONE_PARENT_SETTID) /* in the parent's memory only, as Linux writes it after the copy */
        mem_out(c->p, rq->ptid, &nr, sizeof nr);
    if (rq->flags & CLONE_CHILD_SETTID)
        sys_mem_write(ch->task, rq->ctid, &own, sizeof own);
    if (rq->flags & CLONE_CHILD_CLEARTID)
        ch->clear_tid = rq->ctid;
    if (rq->flags & CLONE_VFORK) {
        ch->vfork.parent = c->p;
        ch->vfork.token = c->token;
        proc_link_add(&proc_vforkers, ch, VFORK_LINK);
        c->deferred = true;
    }
    ptrace_child(c->p, ch, rq->flags, rq->exit_signal); /* PTRACE_O_TRACEFORK and its kin */
    sys_thread_resume(ch->thread);
    cgroup_started(ch);
    return nr;
}

/* fork, and clone without CLONE_VM: a copy-on-write copy of the task; the
 * child's thread on stack if nonzero, else on a copy of the caller's. */
/* A SCHED_DEADLINE thread makes no other (EAGAIN): its reservation is not
 * to be shared; with SCHED_RESET_ON_FORK the child is an ordinary one.
 * Nor does a user at its RLIMIT_NPROC, nor anyone at kernel/threads-max
 * (nproc_allows, rlimit.c). */
static bool dl_forbids(const struct proc *p) { return p->policy == SCHED_DEADLINE; }

static int64_t do_fork(struct sys_ctx *c, const struct clone_req *rq)
{
    if (dl_forbids(c->p) || !nproc_allows(c->p))
        return -LINUX_EAGAIN;
    int r, pid = pid_for(c->p, rq);
    if (pid >= 0 && (r = cgroup_can_fork(c->p, rq->into)) < 0)
        return r; /* pids.max, after alloc_pid as Linux's cgroup_can_fork */
    if (pid < 0)
        return pid;
    struct proc *p = c->p, *ch = child_alloc(p, rq->flags, pid);
    if (!ch)
        return -LINUX_ENOMEM;
    uint64_t tb = proc_new_badge(), thb = proc_new_badge();
    long task = sys_task_clone(p->task, tb);
    long th = task < 0 ? task : copy_thread(p, (int)task, rq->stack, (rq->flags & CLONE_SETTLS) ? rq->tls : 0, thb);
    if (th < 0 || mm_copy(ch->mm, p, mm_rss(p)) < 0) {
        if (task >= 0)
            sys_task_kill((int)task), sys_handle_close((int)task);
        mm_free(ch->mm);
        child_unmake(ch);
        return -LINUX_ENOMEM;
    }
    ch->task = (int)task, ch->thread = (int)th;
    proc_set_task_badge(ch, tb);
    proc_set_thread_badge(ch, thb);
    inherit(ch, p, rq);
    mm_forked(ch);
    return child_start(c, ch, rq);
}

static int64_t sys_fork(struct sys_ctx *c)
{
    struct clone_req rq = {0, 0, 0, 0, 0, SIGCHLD, 0, {0}, NULL};
    return do_fork(c, &rq);
}

/* vfork, and clone(CLONE_VM) without CLONE_THREAD: the child runs in the
 * parent's task, on its memory (and its stack, unless given one), until it
 * execs or exits; with CLONE_VFORK the parent's call is answered then. */
static int64_t do_vfork(struct sys_ctx *c, const struct clone_req *rq)
{
    if (dl_forbids(c->p) || !nproc_allows(c->p))
        return -LINUX_EAGAIN;
    int r, pid = pid_for(c->p, rq);
    if (pid >= 0 && (r = cgroup_can_fork(c->p, rq->into)) < 0)
        return r; /* pids.max, after alloc_pid as Linux's cgroup_can_fork */
    if (pid < 0)
        return pid;
    struct proc *p = c->p, *g = proc_group(p), *ch = child_alloc(p, rq->flags, pid);
    if (!ch)
        return -LINUX_ENOMEM;
    uint64_t thb = proc_new_badge();
    long th = copy_thread(p, g->task, rq->stack, (rq->flags & CLONE_SETTLS) ? rq->tls : 0, thb);
    if (th < 0) {
        child_unmake(ch);
        return -LINUX_ENOMEM;
    }
    mm_free(ch->mm);
    ch->mm = g->mm;
    ch->vfork.shared = true;
    proc_link_add(&proc_vforkers, ch, VFORK_LINK);
    ch->task = g->task, ch->task_badge = g->task_badge;
    ch->thread = (int)th;
    proc_set_thread_badge(ch, thb);
    inherit(ch, p, rq);
    int64_t done = child_start(c, ch, rq);
    return c->deferred ? 0 : done;
}

static int64_t sys_vfork(struct sys_ctx *c)
{
    struct clone_req rq = {CLONE_VM | CLONE_VFORK, 0, 0, 0, 0, SIGCHLD, 0, {0}, NULL};
    return do_vfork(c, &rq);
}

/* A new thread in the caller's task: the caller's registers, with rax 0,
 * the new stack and, with CLONE_SETTLS, the new FS base. */
static int64_t new_thread(struct sys_ctx *c, const struct clone_req *rq)
{
    uint64_t flags = rq->flags, stack = rq->stack, ptid = rq->ptid, ctid = rq->ctid, tls = rq->tls;
    if (dl_forbids(c->p) || !nproc_allows(c->p))
        return -LINUX_EAGAIN;
    int r, pid = pid_for(c->p, rq);
    if (pid >= 0 && (r = cgroup_can_fork(c->p, rq->into)) < 0)
        return r; /* pids.max, after alloc_pid as Linux's cgroup_can_fork */
    if (pid < 0)
        return pid;
    struct proc *p = c->p, *g = proc_group(p), *t = proc_alloc_pid(pid);
    if (!t)
        return -LINUX_ENOMEM;
    uint64_t thb = proc_new_badge();
    long th = copy_thread(p, g->task, stack, (flags & CLONE_SETTLS) ? tls : 0, thb);
    if (th < 0) {
        t->zombie = true;
        proc_free(t);
        return th == -LINUX_ENOMEM ? -LINUX_ENOMEM : -LINUX_EAGAIN;
    }
    mm_free(t->mm);
    t->leader = g;
    proc_add_thread(g, t);
    t->mm = g->mm, t->fds = g->fds, t->sig.actions = g->sig.actions, t->sig.shared = g->sig.shared;
    t->sig.ss_flags = SS_DISABLE; /* and no alternate stack (sas_ss_reset) */
    t->task = g->task, t->task_badge = g->task_badge;
    t->ppid = g->ppid, t->pgid = g->pgid, t->sid = g->sid;
    t->cwd = p->cwd, t->cwd_mnt = p->cwd_mnt, t->umask = p->umask, t->sig.mask = p->sig.mask, t->nice = p->nice, t->cred = p->cred;
    cred_hold(&t->cred);
    t->pr = p->pr, t->pr.default_slack = p->pr.timer_slack;
    t->policy = p->policy, t->rt_priority = p->rt_priority, t->dl = p->dl, t->mpol = p->mpol;
    t->no_new_privs = p->no_new_privs;
    t->nproc_exceeded = p->nproc_exceeded, p->nproc_exceeded = false; /* as inherit's */
    t->ioprio = IOPRIO_PRIO_CLASS(p->ioprio) != IOPRIO_CLASS_NONE ? p->ioprio : 0;
    t->personality = p->personality;
    t->loginuid = p->loginuid, t->sessionid = p->sessionid;
    seccomp_inherit(&t->seccomp, &p->seccomp);
    landlock_inherit(&t->landlock, p->landlock);
    keyring_fork(&t->keys, &p->keys);
    cgroup_fork(t, p, rq->into);
    ns_thread(t, p, flags); /* short of memory for a new namespace, the thread keeps the caller's */
    pidns_attach(t);
    t->exit_signal = -1; /* as Linux: a thread's end signals nobody */
    memcpy(t->comm, p->comm, sizeof t->comm);
    memcpy(t->exe, p->exe, sizeof t->exe);
    t->thread = (int)th;
    proc_set_thread_badge(t, thb);
    sched_apply(t);
    int nr = pidns_vnr(p, t); /* the same in both: one namespace */
    if ((flags & CLONE_PARENT_SETTID) && mem_out(p, ptid, &nr, sizeof nr) < 0)
        return thread_drop(t), -LINUX_EFAULT;
    if ((flags & CLONE_CHILD_SETTID) && mem_out(t, ctid, &nr, sizeof nr) < 0)
        return thread_drop(t), -LINUX_EFAULT;
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_tid = ctid;
    ptrace_child(p, t, flags, 0); /* PTRACE_O_TRACECLONE */
    sys_thread_resume((int)th);
    cgroup_started(t);
    return nr;
}

/* clone and clone3 once their own checks are made: Linux's copy_process
 * checks (share.c), then a thread, a process on the caller's memory, or a
 * copy.  CLONE_SYSVSEM, CLONE_IO and CLONE_PTRACE are taken: each
 * process's SEM_UNDO list is its own, there is no I/O context to share,
 * and whether a child is traced is its tracer's PTRACE_O_TRACEFORK's and
 * kin's (ptrace.c), which CLONE_UNTRACED refuses. */
static int64_t clone_child(struct sys_ctx *c, const struct clone_req *rq)
{
    int r = clone_check(c->p, rq->flags);
    if (r < 0)
        return r;
    if (rq->flags & CLONE_THREAD)
        return new_thread(c, rq);
    if (rq->flags & CLONE_VM)
        return do_vfork(c, rq);
    return do_fork(c, rq);
}

/* CLONE_PIDFD: a pidfd for the child, its number written to upidfd.  The
 * address and a free descriptor are checked before the child is made, as
 * Linux fails the call then; the pidfd is installed once it is there (a
 * vfork child is the one whose parent waits for it). */
static int64_t do_clone(struct sys_ctx *c, const struct clone_req *rq, uint64_t upidfd)
{
    if (!(rq->flags & CLONE_PIDFD))
        return clone_child(c, rq);
    int32_t fd = -1;
    if (rq->flags & (CLONE_DETACHED | CLONE_THREAD))
        return -LINUX_EINVAL; /* Linux 6.1's copy_process: a pidfd names a process, never a thread */
    if (mem_out(c->p, upidfd, &fd, sizeof fd) < 0)
        return -LINUX_EFAULT;
    for (int i = 0, limit = fd_limit(c->p); i < limit && fd < 0; i++)
        fd = c->p->fds->fd[i] ? -1 : i;
    if (fd < 0)
        return -LINUX_EMFILE;
    int64_t r = clone_child(c, rq);
    struct proc *ch = r > 0 ? pidns_find(c->p, (int)r) : NULL;
    for (struct proc *p = r == 0 && c->deferred ? proc_vforkers : NULL; p && !ch; p = p->vfork_link.next)
        if (p->vfork.parent == c->p && !p->zombie)
            ch = p;
    if (ch && (fd = pidfd_install(c->p, ch, 0)) >= 0)
        mem_out(c->p, upidfd, &fd, sizeof fd);
    return r;
}

static int64_t sys_clone(struct sys_ctx *c, uint64_t flags, uint64_t stack, uint64_t uparent_tid, uint64_t uchild_tid,
                         uint64_t tls)
{
    if ((flags & CLONE_PIDFD) && (flags & CLONE_PARENT_SETTID))
        return -LINUX_EINVAL; /* both would write to uparent_tid */
    struct clone_req rq = {flags & 0xffffffffu & ~(uint64_t)CSIGNAL, stack, uparent_tid, uchild_tid, tls,
                           (int)(flags & CSIGNAL), 0, {0}, NULL};
    return do_clone(c, &rq, uparent_tid);
}

/* clone3: struct clone_args, of size bytes (at least the first version's;
 * past the fields Linux knows, only zeros), checked as Linux checks it. */
static int64_t sys_clone3(struct sys_ctx *c, uint64_t uargs, uint64_t size)
{
    struct clone_args_k a = {0};
    if (size > CLONE_ARGS_SIZE_MAX)
        return -LINUX_E2BIG;
    if (size < CLONE_ARGS_SIZE_VER0)
        return -LINUX_EINVAL;
    int tail = size > sizeof a ? mem_zeros(c->p, uargs + sizeof a, size - sizeof a) : 0;
    if (tail) /* past what Linux knows: zeros, or E2BIG */
        return tail < 0 ? tail : -LINUX_E2BIG;
    if (mem_in(c->p, &a, uargs, size < sizeof a ? size : sizeof a) < 0)
        return -LINUX_EFAULT;
    if (a.set_tid_size > MAX_PID_NS_LEVEL || !a.set_tid != !a.set_tid_size)
        return -LINUX_EINVAL;
    if ((a.exit_signal & ~(uint64_t)CSIGNAL) || a.exit_signal > LINUX_NSIG)
        return -LINUX_EINVAL;
    if ((a.flags & CLONE_INTO_CGROUP) && (a.cgroup > INT32_MAX || size < CLONE_ARGS_SIZE_VER2))
        return -LINUX_EINVAL;
    struct clone_req rq = {a.flags, a.stack + a.stack_size, a.parent_tid, a.child_tid, a.tls, (int)a.exit_signal,
                           a.set_tid_size, {0}, NULL};
    if (a.set_tid && mem_in(c->p, rq.set_tid, a.set_tid, a.set_tid_size * sizeof rq.set_tid[0]) < 0)
        return -LINUX_EFAULT;
    if ((a.flags & ~(0xffffffffull | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) ||
        (a.flags & (CLONE_DETACHED | (CSIGNAL & ~(uint64_t)CLONE_NEWTIME))) ||
        (a.flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) == (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND) ||
        ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal) ||
        ((a.flags & CLONE_PIDFD) && (a.flags & CLONE_PARENT_SETTID) && a.pidfd == a.parent_tid))
        return -LINUX_EINVAL; /* the last: both would be written to one place (Linux's kernel_clone) */
    if (!a.stack != !a.stack_size || a.stack_size > TASK_SIZE || a.stack > TASK_SIZE - a.stack_size)
        return -LINUX_EINVAL; /* the stack is its lowest address and a size, or neither */
    if (a.flags & CLONE_INTO_CGROUP) { /* Linux's cgroup_css_set_fork, after alloc_pid's checks */
        int pid = pid_for(c->p, &rq), r;
        if (pid < 0)
            return pid;
        if ((r = cgroup_clone_into(c->p, fd_file_raw(c->p, a.cgroup), (a.flags & CLONE_THREAD) == 0, &rq.into)) < 0)
            return r;
    }
    return do_clone(c, &rq, a.pidfd);
}

static int64_t sys_set_tid_address(struct sys_ctx *c, uint64_t tidptr)
{
    c->p->clear_tid = tidptr;
    return pidns_vnr(c->p, c->p);
}

static int64_t sys_arch_prctl(struct sys_ctx *c, uint64_t code, uint64_t addr)
{
    struct persona_regs r;
    if (code == ARCH_GET_CPUID) /* Linux's do_arch_prctl_common, i386's too: cpuid runs */
        return 1;
    if (code == ARCH_SET_CPUID) /* Linux without the processor's CPUID faulting, which no pico task has */
        return -LINUX_ENODEV;
    if (sys_thread_regs(c->p->thread, REGS_GET, &r) < 0)
        return -LINUX_ESRCH;
    if (code == ARCH_GET_FS)
        return mem_out(c->p, addr, &r.fs_base, 8) < 0 ? -LINUX_EFAULT : 0;
    if (code != ARCH_SET_FS)
        return -LINUX_EINVAL;
    if (addr >= TASK_SIZE)
        return -LINUX_EPERM;
    r.fs_base = addr;
    return sys_thread_regs(c->p->thread, REGS_SET, &r) < 0 ? -LINUX_EPERM : 0;
}
