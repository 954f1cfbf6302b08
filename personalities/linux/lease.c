/*
 * personalities/linux/lease.c - file leases, fcntl's F_SETLEASE and
 * F_GETLEASE (Linux's fs/locks.c leases): an open regular file's read
 * lease (no writer may open the file) or write lease (nobody may open
 * it), for the file's owner or CAP_LEASE (else EACCES), refused while a
 * conflicting open exists (EAGAIN).  An open that conflicts (any against
 * a write lease, one for writing or a truncate against a read lease)
 * breaks the lease: the holder gets SIGIO, or F_SETSIG's signal with
 * POLL_MSG and the lease's descriptor (fasync.c), the lease shows what it
 * must become (F_GETLEASE), and the open is EWOULDBLOCK with O_NONBLOCK,
 * else waits (WAIT_LEASE, restarted) until the holder downgrades or lets
 * go, or lease-break-time (45 s) passes and the lease is taken away.
 *
 * Entry points: lease_fcntl (file.c's fcntl), lease_break (open,
 * truncate: while leases_held counts some), lease_file_gone (file_put),
 * lease_each (/proc/locks).
 * Layer: beside flock.c and reclock.c.  Book: docs/linux.md, "Signal-driven I/O".
 */
#include "sysctl.h"
#include "fasync.h"
#include "proc.h"
#include "time.h"
#include "wait.h"
#include <stdlib.h>


/* One lease: an open file's, on its inode.  While broken, target is what
 * it must become (F_RDLCK or F_UNLCK) by break_at. */
struct lease {
    struct inode *ino;
    struct file *file;    /* not a reference: the lease goes at the file's end */
    int type, fd;         /* F_RDLCK or F_WRLCK; the F_SETLEASE descriptor (si_fd) */
    int target;           /* -1: not broken */
    uint64_t break_at;
    struct lease *next;
    int pid;              /* the process that took it (/proc/locks) */
};

int leases_held;
static struct lease *leases;

static struct lease **find(const struct file *f)
{
    struct lease **pp = &leases;
    while (*pp && (*pp)->file != f)
        pp = &(*pp)->next;
    return pp;
}

/* The opens waiting for ino's leases look again (their calls restart). */
static void wake(const struct inode *ino)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->wait.kind == WAIT_LEASE && p->wait.fds == (uintptr_t)ino)
            wait_finish(p, -ERESTARTSYS);
}

/* Lease *pp becomes type (F_UNLCK: goes). */
static void change(struct lease **pp, int type)
{
    struct lease *l = *pp;
    const struct inode *ino = l->ino;
    if (type == F_UNLCK) {
        *pp = l->next;
        free(l);
        leases_held--;
    } else {
        l->type = type;
        if (l->target != -1 && (type == l->target || type == F_RDLCK))
            l->target = l->target == F_UNLCK ? F_UNLCK : -1; /* a downgrade ends a downgrade's break */
    }
    wake(ino);
}

/* Another open of ino than f: for writing (writers), or any. */
static bool opened_elsewhere(const struct inode *ino, const struct file *f, bool writers)
{
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || p->leader || !p->fds)
            continue;
        for (int fd = 0; fd < p->fds->size; fd++) {
            const struct file *g = p->fds->fd[fd];
            if (g && g != f && g->inode == ino && g->kind == FILE_INODE && !(g->flags & O_PATH) &&
                (!writers || (g->flags & O_ACCMODE)))
                return true;
        }
    }
    return false;
}

static int set_lease(struct sys_ctx *c, struct file *f, int fd, int type)
{
    if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK)
        return -LINUX_EINVAL;
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFREG)
        return -LINUX_EINVAL;
    const struct cred *cr = &c->p->cred;
    if (cr->fsuid != f->inode->uid && !cred_capable(cr, CAP_LEASE))
        return -LINUX_EACCES;
    struct lease **pp = find(f);
    if (type == F_UNLCK) {
        if (!*pp)
            return -LINUX_EAGAIN;
        change(pp, F_UNLCK);
        return 0;
    }
    if (type == F_RDLCK && (f->inode->writers > ((f->flags & O_ACCMODE) ? 1 : 0)))
        return -LINUX_EAGAIN;
    if (type == F_WRLCK && opened_elsewhere(f->inode, f, false))
        return -LINUX_EAGAIN;
    int r = fasync_owner_default(c, f);
    if (r < 0)
        return r;
    if (*pp) {
        (*pp)->fd = fd;
        change(pp, type);
        return 0;
    }
    struct lease *l = malloc(sizeof *l);
    if (!l)
        return -LINUX_ENOMEM;
    *l = (struct lease){f->inode, f, type, fd, -1, 0, leases, proc_tgid(c->p)};
    leases = l;
    leases_held++;
    return 0;
}

int64_t lease_fcntl(struct sys_ctx *c, struct file *f, int fd, int cmd, uint64_t arg)
{
    if (cmd == F_SETLEASE)
        return set_lease(c, f, fd, (int)arg);
    struct lease *l = *find(f);
    return !l ? F_UNLCK : l->target != -1 ? l->target : l->type;
}

/* Leases of ino whose break time passed become what they had to. */
static void time_out(const struct inode *ino, uint64_t now)
{
    for (struct lease **pp = &leases; *pp;) {
        struct lease *l = *pp;
        if (l->ino == ino && l->target != -1 && l->break_at <= now) {
            int to = l->target;
            l->target = -1;
            change(pp, to);
            if (to != F_UNLCK)
                pp = &l->next;
        } else {
            pp = &l->next;
        }
    }
}

int lease_break(struct sys_ctx *c, struct inode *ino, bool write, bool nonblock)
{
    uint64_t now = clock_now(), first = 0;
    time_out(ino, now);
    for (struct lease *l = leases; l; l = l->next) {
        if (l->ino != ino || (!write && l->type == F_RDLCK))
            continue;
        int want = write ? F_UNLCK : F_RDLCK;
        if (l->target == -1 || (want == F_UNLCK && l->target != F_UNLCK)) { /* a new break: the holder hears */
            l->break_at = l->target == -1 ? now + (uint64_t)(sysctl_lease_break_time > 0 ? sysctl_lease_break_time : 0) * 1000000000ull : l->break_at;
            l->target = want;
            fasync_signal(l->file, l->fd, POLL_MSG);
        }
        first = !first || l->break_at < first ? l->break_at : first;
    }
    if (!first)
        return 0;
    if (nonblock)
        return -LINUX_EAGAIN; /* EWOULDBLOCK */
    c->p->wait = (struct proc_wait){.kind = WAIT_LEASE, .token = c->token, .fds = (uintptr_t)ino, .deadline = first};
    c->deferred = true;
    return 0;
}

void lease_file_gone(struct file *f)
{
    struct lease **pp = find(f);
    if (*pp)
        change(pp, F_UNLCK);
}

void lease_each(void (*fn)(const struct lock_view *v))
{
    for (const struct lease *l = leases; l; l = l->next) {
        bool breaking = l->target != -1;
        const struct lock_view v = {breaking ? "LEASE  BREAKING  " : "LEASE  ACTIVE    ", breaking ? l->target : l->type,
                                    l->pid, l->file, l->ino, 0, UINT64_MAX, l->file};
        fn(&v);
    }
}
