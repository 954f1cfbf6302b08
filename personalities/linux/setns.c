/*
 * personalities/linux/setns.c - setns: the calling thread joins the
 * namespace an nsfs file is of (/proc/<pid>/ns/<kind> opened), or those
 * of the kinds nstype names of the process a pidfd names, with the checks
 * of Linux's ns install operations.
 *
 * Entry points: the syscall table.  Callers: the syscall table.  Layer:
 * proc.  Book: docs/linux.md, "Programs and processes".
 */
#include "ns.h"
#include "pidfd.h"
#include "pidns.h"
#include "proc.h"
#include "sysvipc.h"
#include "userns.h"
#include "linux_entries/setns.h" /* generated: the handlers' prototypes, entries */

#define NS_ALL (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP | \
                CLONE_NEWTIME | CLONE_NEWUSER)

/* The mount namespace's install (Linux's mntns_install): CAP_SYS_ADMIN in
 * the user namespace owning it, CAP_SYS_ADMIN and CAP_SYS_CHROOT in the
 * caller's, a directory shared with nobody (EINVAL); the caller joins n
 * and moves to its root. */
static int mnt_install(struct proc *p, struct ns *n)
{
    if (!cred_ns_capable(&p->cred, userns_owner(n), CAP_SYS_ADMIN) || !cred_own_capable(&p->cred, CAP_SYS_ADMIN) ||
        !cred_own_capable(&p->cred, CAP_SYS_CHROOT))
        return -LINUX_EPERM;
    struct proc *g = proc_group(p);
    for (struct proc *q = proc_list(); q; q = q->next)
        if (q != p && !q->zombie && proc_fs_shared(q, g))
            return -LINUX_EINVAL; /* its fs_struct has other users */
    ns_enter(p, NS_MNT, n);
    fs_mnt_ns = p->ns[NS_MNT];
    p->cred.root = NULL;
    proc_set_fs(p, fs_root(), 0, p->umask);
    return 0;
}

/* The other kinds' checks before p's slot s takes n (a user namespace's
 * are userns_install's): a time namespace needs a single thread
 * (EUSERS), every one CAP_SYS_ADMIN in the user namespace owning it and
 * in the caller's. */
static int install_check(struct proc *p, int s, const struct ns *n)
{
    if (s == NS_TIME_CHILD && proc_live_threads(proc_group(p)) > 1)
        return -LINUX_EUSERS;
    if (!cred_ns_capable(&p->cred, userns_owner(n), CAP_SYS_ADMIN) || !cred_own_capable(&p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    return s == NS_PID_CHILD ? pidns_may_enter(p, n) : 0; /* the caller's own pid namespace or one below */
}

/* setns through an nsfs file: its kind (nstype 0, or that kind's flag,
 * else EINVAL); a pid namespace is the children's, a time one the
 * caller's and its children's. */
static int64_t setns_file(struct sys_ctx *c, struct file *f, int nstype)
{
    int s;
    struct ns *n = ns_by_inode(f->inode, &s);
    if (!n)
        return -LINUX_EINVAL;
    if (nstype && (uint32_t)nstype != n->type)
        return -LINUX_EINVAL;
    s = s == NS_PID ? NS_PID_CHILD : s == NS_TIME ? NS_TIME_CHILD : s;
    if (s == NS_MNT)
        return mnt_install(c->p, n);
    if (s == NS_USER)
        return userns_install(c->p, n);
    int r = install_check(c->p, s, n);
    if (r < 0)
        return r;
    if (s == NS_IPC)
        sem_unshare(c->p); /* Linux's ipcns_install: the old namespace's adjustments first */
    if (s == NS_TIME_CHILD)
        timens_install(c->p, n); /* the caller's own too, its vDSO with it */
    else
        ns_enter(c->p, s, n);
    return 0;
}

/* setns through a pidfd (Linux's validate_nsset): the kinds nstype names
 * (at least one) of the process's, which the caller may read as ptrace
 * would (EPERM); its user namespace first (userns_install's checks),
 * then the caller's CAP_SYS_ADMIN over each other's owner and over the
 * user namespace it will be in (EPERM), all before any is joined. */
static int64_t setns_pidfd(struct sys_ctx *c, struct file *f, int nstype)
{
    struct proc *t, *p = c->p;
    if (!nstype || ((uint32_t)nstype & ~(uint32_t)NS_ALL))
        return -LINUX_EINVAL;
    int r = pidfd_target(f, &t);
    if (r < 0)
        return r;
    if (!proc_may_ptrace(p, t))
        return -LINUX_EPERM;
    static const struct {
        uint32_t flag;
        int from, to;
    } kinds[] = {{CLONE_NEWUTS, NS_UTS, NS_UTS},   {CLONE_NEWIPC, NS_IPC, NS_IPC},
                 {CLONE_NEWPID, NS_PID, NS_PID_CHILD}, {CLONE_NEWCGROUP, NS_CGROUP, NS_CGROUP},
                 {CLONE_NEWNET, NS_NET, NS_NET},   {CLONE_NEWTIME, NS_TIME, -1},
                 {CLONE_NEWNS, NS_MNT, -1}}; /* -1: installed apart (timens_install, mnt_install) */
    struct ns *user = (nstype & CLONE_NEWUSER) ? ns_of(t, NS_USER) : p->cred.userns; /* the one it will be in */
    if ((nstype & CLONE_NEWUSER) && (r = userns_may_install(p, user)) < 0)
        return r;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (((uint32_t)nstype & kinds[k].flag) &&
            !(cred_ns_capable(&p->cred, userns_owner(ns_of(t, kinds[k].from)), CAP_SYS_ADMIN) &&
              cred_ns_capable(&p->cred, user, CAP_SYS_ADMIN)))
            return -LINUX_EPERM;
    if ((nstype & CLONE_NEWTIME) && proc_live_threads(proc_group(p)) > 1)
        return -LINUX_EUSERS;
    if ((nstype & CLONE_NEWPID) && (r = pidns_may_enter(p, ns_of(t, NS_PID))) < 0)
        return r;
    if ((nstype & CLONE_NEWNS) && (r = mnt_install(p, ns_of(t, NS_MNT))) < 0)
        return r;
    if (nstype & CLONE_NEWUSER)
        userns_install(p, user);
    if (nstype & CLONE_NEWIPC)
        sem_unshare(p);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (((uint32_t)nstype & kinds[k].flag) && kinds[k].to >= 0)
            ns_enter(p, kinds[k].to, ns_of(t, kinds[k].from));
    if (nstype & CLONE_NEWTIME)
        timens_install(p, ns_of(t, NS_TIME)); /* the process's own, as Linux's validate_nsset */
    return 0;
}

/* setns: an nsfs file, a pidfd (EBADF for none, or an O_PATH one), any
 * other file EINVAL. */
static int64_t sys_setns(struct sys_ctx *c, uint64_t fd, int nstype)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind == FILE_INODE && f->inode && f->inode->fs->dev == DEV_NSFS)
        return setns_file(c, f, nstype);
    if (f->kind == FILE_PIDFD)
        return setns_pidfd(c, f, nstype);
    return -LINUX_EINVAL;
}
