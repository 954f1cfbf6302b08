/*
 * personalities/linux/share.c - what processes share beyond their
 * threads: clone's flag checks as Linux's copy_process makes them, the
 * descriptor table (CLONE_FILES), the working directory, root and umask
 * (CLONE_FS) and the signal actions (CLONE_SIGHAND) between processes,
 * and unshare, which takes them back (new namespaces: ns.c).
 *
 * Entry points: clone_check (fork.c, before a child is made),
 * files_share, files_exit (exit.c: a process's last use of its table),
 * files_unshare (exec.c: execve takes a table of its own, as Linux's
 * unshare_files), files_exec_prepare and files_close_on_exec (exec.c:
 * the close-on-exec descriptors), fs_share_new, and for the signal actions
 * (CLONE_SIGHAND between CLONE_VM processes) sighand_exit and
 * sighand_unshare.  Callers: fork.c, exit.c, exec.c, the
 * syscall table.  Layer: proc.  Book: docs/linux.md, "Programs and
 * processes".
 */
#include "fasync.h"
#include "fsnotify.h"
#include "ns.h"
#include "pidns.h"
#include "sysvipc.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/share.h" /* generated: the handlers' prototypes, entries */

int clone_check(struct proc *p, uint64_t flags)
{
    if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS) ||
        (flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
        return -LINUX_EINVAL;
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return -LINUX_EINVAL; /* a thread shares the signal actions */
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -LINUX_EINVAL; /* and shared actions need shared memory */
    if ((flags & CLONE_PARENT) && proc_tgid(p) == 1)
        return -LINUX_EINVAL; /* init has no parent to give its siblings (its threads are its own) */
    if ((flags & CLONE_THREAD) && (flags & (CLONE_NEWUSER | CLONE_NEWPID)))
        return -LINUX_EINVAL;
    if ((flags & (CLONE_THREAD | CLONE_VM)) && ns_of(p, NS_TIME) != ns_of(p, NS_TIME_CHILD))
        return -LINUX_EINVAL; /* a child of another time namespace has memory of its own (copy_process) */
    int r = pidns_clone_check(p, flags); /* an init's sibling, a thread whose children go elsewhere */
    if (r == 0)
        r = ns_check(p, flags);
    if (r == 0 && (flags & (CLONE_NEWIPC | CLONE_SYSVSEM)) == (CLONE_NEWIPC | CLONE_SYSVSEM))
        return -LINUX_EINVAL; /* a shared undo list would reach the old namespace's sets (copy_namespaces) */
    return r;
}

/* The processes whose threads use table t move to heap table n. */
static void files_repoint(struct fdtable *t, struct fdtable *n)
{
    for (struct proc *q = proc_list(); q; q = q->next)
        if (q->fds == t)
            q->fds = n, n->users += !q->leader;
}

struct fdtable *files_share(struct proc *p)
{
    struct proc *g = proc_group(p);
    if (!g->fds->users) { /* the leader's own: it moves to the heap */
        struct fdtable *n = malloc(sizeof *n);
        if (!n)
            return NULL;
        *n = g->own_fds;
        n->users = 0;
        g->own_fds = (struct fdtable){0};
        files_repoint(&g->own_fds, n);
    }
    g->fds->users++;
    return g->fds;
}

/* What closing each of t's descriptors (p's table) drops besides the
 * file: p's POSIX record locks on it, F_NOTIFY's requests made through t,
 * p's mq_notify registrations; nothing to look at unless there are any. */
static void files_closing(struct proc *p, struct fdtable *t)
{
    bool locks = reclocks_held && reclock_held_by(t);
    for (int fd = 0; fd < t->size && locks; fd++)
        if (t->fd[fd])
            reclock_closing(p, t->fd[fd]);
    for (int fd = 0; fd < t->size && dnotify_marks; fd++)
        if (t->fd[fd])
            dnotify_closing(t, t->fd[fd]);
    for (int fd = 0; fd < t->size && mq_notifiers; fd++)
        if (t->fd[fd] && t->fd[fd]->kind == FILE_MQUEUE)
            mq_closing(p, t->fd[fd]);
}

/* Closes every descriptor of t (as p, whose record locks go with them);
 * no other table shares its slots. */
static void files_close_all(struct proc *p, struct fdtable *t)
{
    files_closing(p, t);
    fds_own(t); /* the other sharers are gone: nothing to copy */
    struct file **fds = t->fd;
    int n = t->size;
    for (int fd = 0; fd < n; fd++) {
        struct file *f = fds[fd];
        if (!f)
            continue;
        fds[fd] = NULL;
        if (f->refs > 1 && f->kind != FILE_SOCKET)
            f->refs--; /* file_put's common case, inline: another holder keeps it */
        else
            file_put(f);
    }
    t->next_fd = 0;
}

void files_exit(struct proc *g)
{
    struct fdtable *t = g->fds;
    if (t->users && --t->users) { /* others still use it */
        g->fds = &g->own_fds;
        return;
    }
    if (t->sharers && *t->sharers > 1) /* a fork's table shares the slots: they stay open there */
        files_closing(g, t);
    else
        files_close_all(g, t);
    fd_table_free(t); /* a shared table's last sharer makes the slots its own at its next change */
    if (t != &g->own_fds) {
        free(t);
        g->fds = &g->own_fds;
    }
}

int files_unshare(struct proc *p)
{
    struct proc *g = proc_group(p);
    struct fdtable *t = g->fds;
    if (t->users <= 1)
        return 0;
    struct fdtable n = {0}; /* a copy now, not a copy-on-write share: exec's close-on-exec pass may not fail */
    if (fd_table_copy(&n, t) < 0)
        return -LINUX_ENOMEM;
    fd_table_free(&g->own_fds);
    g->own_fds = n;
    t->users--;
    for (struct proc *q = proc_list(); q; q = q->next)
        if (proc_group(q) == g)
            q->fds = &g->own_fds;
    return 0;
}

int files_exec_prepare(struct proc *p)
{
    struct fdtable *t = p->fds;
    if (!t->sharers || *t->sharers == 1)
        return 0; /* the pass takes the slots without a copy */
    for (int fd = 0; fd < t->size; fd++)
        if (t->cloexec[fd] && t->fd[fd])
            return fds_own(t);
    return 0;
}

void files_close_on_exec(struct proc *p)
{
    struct fdtable *t = p->fds;
    for (int fd = 0; fd < t->size; fd++) {
        struct file *f = t->fd[fd];
        if (!f || !t->cloexec[fd] || fd_clear(t, fd) < 0) /* fd_clear: a copy files_exec_prepare took, or none needed */
            continue;
        t->cloexec[fd] = 0;
        if (reclocks_held)
            reclock_closing(p, f);
        if (dnotify_marks)
            dnotify_closing(t, f);
        if (mq_notifiers && f->kind == FILE_MQUEUE)
            mq_closing(p, f);
        file_put(f);
    }
}

/* The processes (with their threads) whose actions are at from use
 * to's instead. */
static void sighand_repoint(uint64_t (*from)[4], uint64_t (*to)[4])
{
    for (struct proc *q = proc_list(); q; q = q->next)
        if (q->sig.actions == from)
            q->sig.actions = to;
}

/* Process g ends: it takes a copy of actions it borrowed (a zombie may
 * outlive their storage); if other processes share the actions in its
 * storage (clone(CLONE_VM|CLONE_SIGHAND)), the first of them keeps them
 * for all. */
void sighand_exit(struct proc *g)
{
    if (g->sig.actions != g->own_sigactions) {
        memcpy(g->own_sigactions, g->sig.actions, sizeof g->own_sigactions);
        g->sig.actions = g->own_sigactions;
        return; /* its threads are gone: nobody else uses its storage */
    }
    for (struct proc *q = proc_sighand_borrowers, *n; q; q = n) { /* the processes made with CLONE_SIGHAND */
        n = q->sighand_link.next;
        if (q->zombie || q->sig.actions == q->own_sigactions) {
            proc_link_del(q, SIGHAND_LINK); /* no longer borrowing */
            continue;
        }
        if (q != g && q->sig.actions == g->own_sigactions) {
            struct proc *h = q;
            memcpy(h->own_sigactions, g->own_sigactions, sizeof h->own_sigactions);
            sighand_repoint(g->own_sigactions, h->own_sigactions);
            return;
        }
    }
}

/* p's process takes its own copy of the actions it shares (execve, as
 * Linux's de_thread). */
void sighand_unshare(struct proc *p)
{
    struct proc *g = proc_group(p);
    uint64_t (*shared)[4] = g->sig.actions;
    if (shared == g->own_sigactions) {
        sighand_exit(g); /* others keep them, in their own storage */
        return;
    }
    memcpy(g->own_sigactions, shared, sizeof g->own_sigactions);
    for_each_thread(q, g)
        q->sig.actions = g->own_sigactions;
}

static int fs_next_share = 1;

int fs_share_new(struct proc *p)
{
    struct proc *g = proc_group(p);
    if (!g->fs_share)
        g->fs_share = fs_next_share++;
    return g->fs_share;
}

/* unshare: CLONE_FILES and CLONE_FS take the process's own copy; what a
 * single-threaded process shares with nobody (CLONE_VM, CLONE_SIGHAND,
 * CLONE_THREAD) is already its own; CLONE_SYSVSEM applies the process's
 * semaphore adjustments now, as an exit would.  Namespaces as clone's. */
#define UNSHARE_KNOWN (CLONE_FILES | CLONE_FS | CLONE_SYSVSEM | CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | \
                       CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | \
                       CLONE_NEWCGROUP | CLONE_NEWUSER | CLONE_NEWTIME)

static int64_t sys_unshare(struct sys_ctx *c, uint64_t flags)
{
    struct proc *p = c->p, *g = proc_group(p);
    if (flags & ~(uint64_t)UNSHARE_KNOWN)
        return -LINUX_EINVAL;
    if (flags & CLONE_NEWUSER) /* a new user namespace would unshare these too */
        flags |= CLONE_THREAD | CLONE_FS;
    if (flags & CLONE_NEWIPC) /* and a new IPC namespace the semaphore adjustments of the old one */
        flags |= CLONE_SYSVSEM;
    if (flags & CLONE_NEWNS) /* and a new mount namespace the working directory's sharing */
        flags |= CLONE_FS;
    if (flags & (CLONE_THREAD | CLONE_VM | CLONE_SIGHAND)) {
        bool alone = proc_live_threads(g) <= 1;
        for (struct proc *q = proc_list(); q && alone && (flags & CLONE_VM); q = q->next)
            alone = q->zombie || proc_group(q) == g || q->mm != g->mm; /* a CLONE_VM process shares ours */
        if (!alone)
            return -LINUX_EINVAL;
    }
    int r = ns_check(p, flags);
    if (r < 0)
        return r;
    if ((r = ns_unshare(p, flags)) < 0)
        return r;
    if (flags & CLONE_FS)
        g->fs_share = 0;
    if ((flags & CLONE_FILES) && (r = files_unshare(p)) < 0)
        return r;
    if (flags & CLONE_SYSVSEM)
        sem_unshare(p); /* "equivalent to exit", as Linux's comment says */
    return 0;
}
