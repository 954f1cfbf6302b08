/*
 * personalities/linux/fork.c - new processes and threads: fork (a
 * copy-on-write clone of the task), vfork (the child runs in its parent's
 * task until it execs or exits), clone (both, and threads: another
 * thread in the same task), and a thread's own settings: set_tid_address
 * and arch_prctl (its FS base).
 *
 * Entry point: vfork_release (exec.c and exit.c, when a vfork child
 * leaves its parent's memory).  Callers: the syscall table.  Layer: proc.
 * Book: docs/linux.md, "Programs and processes".
 */
#include "proc.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/fork.h" /* generated: the handlers' prototypes, entries */

/* A vfork child has exec'd or exited: its parent's vfork returns. */
void vfork_release(struct proc *child)
{
    struct proc *parent = child->vfork.parent;
    child->vfork.parent = NULL;
    if (parent && !parent->zombie)
        proc_reply(parent, child->vfork.token, child->pid);
}

static char *copy_bytes(const char *src, size_t n)
{
    char *d = src ? malloc(n ? n : 1) : NULL;
    return d ? memcpy(d, src, n) : NULL;
}

/* A suspended thread in task with the registers of p's thread, rax 0,
 * and the given stack and FS base if nonzero; its handle, or < 0. */
static long copy_thread(struct proc *p, int task, uint64_t stack, uint64_t fs_base, uint64_t badge)
{
    struct persona_regs regs;
    if (sys_thread_regs(p->thread, REGS_GET, &regs) < 0)
        return -LINUX_EAGAIN;
    regs.rax = 0;
    if (stack)
        regs.rsp = stack;
    if (fs_base)
        regs.fs_base = fs_base;
    long th = sys_thread_create(task, regs.rip, regs.rsp, 0, 10 | THREAD_SUSPENDED, badge);
    if (th >= 0 && sys_thread_regs((int)th, REGS_SET, &regs) < 0) {
        sys_handle_close((int)th);
        return -LINUX_ENOMEM;
    }
    return th;
}

/* What a fork or vfork child takes from its parent p: identity, the
 * memory of its last execve for /proc, signal actions, mask and alternate
 * stack, and a copy of the descriptor table. */
static void inherit(struct proc *ch, struct proc *p)
{
    struct proc *g = proc_group(p);
    ch->ppid = proc_tgid(p), ch->pgid = p->pgid, ch->sid = p->sid;
    ch->cwd = p->cwd, ch->umask = p->umask, ch->nice = p->nice;
    memcpy(ch->rlim, g->rlim, sizeof ch->rlim);
    memcpy(ch->comm, p->comm, sizeof ch->comm);
    memcpy(ch->exe, p->exe, sizeof ch->exe);
    if ((ch->cmdline = copy_bytes(g->cmdline, g->cmdline_len)))
        ch->cmdline_len = g->cmdline_len;
    if ((ch->environ = copy_bytes(g->environ, g->environ_len)))
        ch->environ_len = g->environ_len;
    memcpy(ch->sig.actions, p->sig.actions, sizeof ch->own_sigactions);
    ch->sig.mask = p->sig.mask;
    ch->sig.ss_sp = p->sig.ss_sp, ch->sig.ss_size = p->sig.ss_size;
    for (int fd = 0; fd < MAX_FDS; fd++)
        if (p->fds->fd[fd])
            ch->fds->fd[fd] = file_get(p->fds->fd[fd]), ch->fds->cloexec[fd] = p->fds->cloexec[fd];
}

static int64_t do_fork(struct sys_ctx *c, uint64_t flags, uint64_t child_tid)
{
    struct proc *p = c->p, *ch = proc_alloc();
    if (!ch)
        return -LINUX_ENOMEM;
    uint64_t tb = proc_new_badge(), thb = proc_new_badge();
    long task = sys_task_clone(p->task, tb);
    long th = task < 0 ? task : copy_thread(p, (int)task, 0, 0, thb);
    if (th < 0 || mm_copy(ch->mm, p->mm) < 0) {
        if (task >= 0)
            sys_task_kill((int)task), sys_handle_close((int)task);
        mm_free(ch->mm);
        proc_free(ch);
        return -LINUX_ENOMEM;
    }
    ch->task = (int)task, ch->thread = (int)th, ch->task_badge = tb;
    proc_set_thread_badge(ch, thb);
    inherit(ch, p);
    if (flags & CLONE_CHILD_SETTID)
        sys_mem_write(ch->task, child_tid, &ch->pid, sizeof ch->pid);
    if (flags & CLONE_CHILD_CLEARTID)
        ch->clear_tid = child_tid;
    sys_thread_resume((int)th);
    return ch->pid;
}

static int64_t sys_fork(struct sys_ctx *c) { return do_fork(c, 0, 0); }
/* vfork: the child runs in the parent's task, on its memory and stack,
 * until it execs or exits; the parent's call is answered then. */
static int64_t do_vfork(struct sys_ctx *c, uint64_t stack)
{
    struct proc *p = c->p, *g = proc_group(p), *ch = proc_alloc();
    if (!ch)
        return -LINUX_ENOMEM;
    uint64_t thb = proc_new_badge();
    long th = copy_thread(p, g->task, stack, 0, thb); /* a stack of its own: posix_spawn's clone */
    if (th < 0) {
        ch->zombie = true;
        proc_free(ch);
        return -LINUX_ENOMEM;
    }
    mm_free(ch->mm);
    ch->mm = g->mm;
    ch->vfork.shared = true;
    ch->task = g->task, ch->task_badge = g->task_badge;
    ch->thread = (int)th;
    proc_set_thread_badge(ch, thb);
    inherit(ch, p);
    ch->vfork.parent = p;
    ch->vfork.token = c->token;
    c->deferred = true; /* answered by vfork_release */
    sys_thread_resume((int)th);
    return 0;
}

static int64_t sys_vfork(struct sys_ctx *c) { return do_vfork(c, 0); }

/* A new thread in the caller's task: the caller's registers, with rax 0,
 * the new stack and, with CLONE_SETTLS, the new FS base. */
static int64_t new_thread(struct sys_ctx *c, uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t ctid,
                          uint64_t tls)
{
    struct proc *p = c->p, *g = proc_group(p), *t = proc_alloc();
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
    t->mm = g->mm, t->fds = g->fds, t->sig.actions = g->sig.actions;
    t->task = g->task, t->task_badge = g->task_badge;
    t->ppid = g->ppid, t->pgid = g->pgid, t->sid = g->sid;
    t->cwd = p->cwd, t->umask = p->umask, t->sig.mask = p->sig.mask, t->nice = p->nice;
    memcpy(t->comm, p->comm, sizeof t->comm);
    memcpy(t->exe, p->exe, sizeof t->exe);
    t->thread = (int)th;
    proc_set_thread_badge(t, thb);
    if ((flags & CLONE_PARENT_SETTID) && mem_out(p, ptid, &t->pid, sizeof t->pid) < 0)
        return thread_drop(t), -LINUX_EFAULT;
    if ((flags & CLONE_CHILD_SETTID) && mem_out(t, ctid, &t->pid, sizeof t->pid) < 0)
        return thread_drop(t), -LINUX_EFAULT;
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_tid = ctid;
    sys_thread_resume((int)th);
    return t->pid;
}

static int64_t sys_clone(struct sys_ctx *c, uint64_t flags, uint64_t stack, uint64_t uparent_tid, uint64_t uchild_tid,
                         uint64_t tls)
{
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return -LINUX_EINVAL; /* as Linux: a thread shares the signal actions */
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -LINUX_EINVAL;
    if (flags & CLONE_THREAD)
        return new_thread(c, flags, stack, uparent_tid, uchild_tid, tls);
    if (flags & (CLONE_SIGHAND | CLONE_SETTLS))
        return -LINUX_ENOSYS; /* shared actions or a new TLS without a thread */
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return -LINUX_ENOSYS;
    if ((flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK))
        return do_vfork(c, stack); /* vfork's and posix_spawn's clone */
    if (stack)
        return -LINUX_EINVAL; /* a new stack only makes sense with a shared address space */
    if (flags & CLONE_PARENT_SETTID)
        return -LINUX_ENOSYS;
    return do_fork(c, flags, uchild_tid);
}

static int64_t sys_set_tid_address(struct sys_ctx *c, uint64_t tidptr)
{
    c->p->clear_tid = tidptr;
    return c->p->pid;
}

static int64_t sys_arch_prctl(struct sys_ctx *c, uint64_t code, uint64_t addr)
{
    struct persona_regs r;
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
