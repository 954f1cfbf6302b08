/*
 * personalities/linux/pidfd.c - process descriptors: pidfd_open, pidfd_getfd
 * and the files they make (anon_inode:[pidfd]), which hold a pid and the
 * time its process started, so that a pid used again later is not taken
 * for the process the descriptor named.  It polls POLLIN once the
 * process has ended (a zombie, with every thread gone), POLLIN | POLLHUP
 * once it was waited for.  pidfd_send_signal is signal.c's, waitid's
 * P_PIDFD exit.c's, CLONE_PIDFD fork.c's.
 *
 * Entry points: pidfd.h, the calls' handlers.  Callers: the syscall
 * table, fork.c, exit.c, signal.c.  Layer: a file type, above proc.h.
 * Book: docs/linux.md, "Programs and processes".
 */
#include "pidfd.h"
#include "pidns.h"
#include "procfs.h"
#include "pipe.h"
#include <stdlib.h>
#include "linux_entries/pidfd.h" /* generated: the handlers' prototypes, entries */

int pidfd_target(const struct file *f, struct proc **t)
{
    if (f->kind != FILE_PIDFD)
        return -LINUX_EBADF;
    struct proc *p = proc_by_pid(f->pidfd.pid);
    if (!p || p->start_ns != f->pidfd.start_ns)
        return -LINUX_ESRCH;
    *t = p;
    return 0;
}

static int pidfd_poll(struct file *f)
{
    struct proc *p;
    if (pidfd_target(f, &p) < 0)
        return POLLIN | POLLHUP; /* reaped */
    return p->zombie ? POLLIN : 0;
}

static int64_t pidfd_rw(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)f, (void)ubuf, (void)len, (void)at;
    return -LINUX_EINVAL; /* a pidfd has no read or write */
}

/* Linux's anon_inodefs, where a pidfd's inode shows (fstat). */
static struct fs pidfd_fs = {.type = "anon_inodefs", .dev = DEV_ANONFS, .magic = ANON_INODE_FS_MAGIC};

static void pidfd_stat(const struct file *f, struct linux_stat *st)
{
    (void)f;
    stat_anon(&pidfd_fs, 0600, ANON_INODE_INO, st);
}

/* Linux's pidfd_show_fdinfo: the pid as the namespace of the proc
 * instance read numbers it (0: not in it), -1 once reaped; NSpid the
 * same, then its numbers in the pid namespaces below that one. */
static void pidfd_fdinfo(const struct file *f, void (*put)(const char *fmt, ...))
{
    struct proc *t;
    int pid = pidfd_target(f, &t) < 0 ? -1 : procfs_nr(t);
    put("Pid:\t%d\nNSpid:\t%d", pid, pid);
    for (int l = pidns_level(procfs_pidns()) + 1; pid > 0 && t->nsnr && l <= pidns_level(ns_of(t, NS_PID)); l++)
        put("\t%d", t->nsnr[l]);
    put("\n");
}

static const struct file_ops pidfd_fops = {.read = pidfd_rw, .write = pidfd_rw, .poll = pidfd_poll,
                                           .stat = pidfd_stat, .fs = &pidfd_fs, .stream = true,
                                           .fdinfo = pidfd_fdinfo};

int pidfd_install(struct proc *p, struct proc *t, int flags)
{
    struct file *f = calloc(1, sizeof *f);
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct file){.ops = &pidfd_fops, .kind = FILE_PIDFD, .flags = O_RDWR | (flags & O_NONBLOCK), .refs = 1,
                       .pidfd = {t->pid, t->start_ns}};
    int fd = fd_alloc(p, 0, f, true);
    if (fd < 0)
        free(f);
    return fd;
}

/* As Linux 6.1's: PIDFD_NONBLOCK the one flag (6.9's PIDFD_THREAD is
 * EINVAL), a process's pid alone (a thread's, EINVAL). */
static int64_t sys_pidfd_open(struct sys_ctx *c, int pid, uint32_t flags)
{
    if (flags & ~(uint32_t)PIDFD_NONBLOCK || pid <= 0)
        return -LINUX_EINVAL;
    struct proc *t = pidns_find(c->p, pid);
    if (!t || (t->zombie && t->leader)) /* a thread that ended has left */
        return -LINUX_ESRCH;
    if (t->leader)
        return -LINUX_EINVAL; /* a thread's id names no process */
    return pidfd_install(c->p, t, (int)flags);
}

/* ptrace's PTRACE_MODE_ATTACH_REALCREDS, which pidfd_getfd asks (and
 * kcmp's READ_REALCREDS, the same without security modules): the same
 * process, or the caller's real ids all the target's, and a target that
 * may dump; else CAP_SYS_PTRACE in the target's user namespace. */
bool proc_may_ptrace(const struct proc *p, struct proc *t)
{
    const struct cred *a = &p->cred, *b = &t->cred;
    if (proc_group((struct proc *)p) == proc_group(t) || cred_ns_capable(a, b->userns, CAP_SYS_PTRACE))
        return true;
    return a->uid == b->uid && a->uid == b->euid && a->uid == b->suid && a->gid == b->gid && a->gid == b->egid &&
           a->gid == b->sgid && !proc_group(t)->undumpable;
}

/* A copy of descriptor targetfd of the process pidfd names, close-on-exec
 * in the caller's table: the same open file. */
static int64_t sys_pidfd_getfd(struct sys_ctx *c, uint64_t pidfd, uint64_t targetfd, uint32_t flags)
{
    if (flags)
        return -LINUX_EINVAL;
    struct file *f = fd_file(c->p, pidfd), *got;
    struct proc *t;
    if (!f)
        return -LINUX_EBADF;
    int r = pidfd_target(f, &t);
    if (r < 0)
        return r;
    if (!proc_may_ptrace(c->p, t))
        return -LINUX_EPERM;
    if (proc_group(t)->zombie || !(got = fd_file_raw(t, targetfd)))
        return -LINUX_EBADF; /* an ended process has no descriptors left */
    int fd = fd_alloc(c->p, 0, file_get(got), true);
    if (fd < 0)
        file_put(got);
    return fd;
}
