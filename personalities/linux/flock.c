/*
 * personalities/linux/flock.c - flock(2): advisory whole-file locks,
 * shared or exclusive, held by an open file description (every
 * descriptor that shares it, dup'd or inherited, holds it too) on its
 * file.  A lock that conflicts with another description's blocks the
 * caller (a WAIT_FLOCK wait, retried whenever a lock goes) or, with
 * LOCK_NB, is EWOULDBLOCK.  Changing the kind of a lock is not atomic, as
 * on Linux: the old lock goes first, so a conversion that must wait, or
 * fails with LOCK_NB, has let go of it.  A description's lock goes with
 * LOCK_UN or its last close (flock_release).  The locks are advisory:
 * reads and writes never look at them.
 *
 * Entry points: flock_release (file_put), flock_each (/proc/locks), and
 * the call's handler (syscalls.def).  Layer: above file types.  Book: docs/linux.md, "Files".
 */
#include "proc.h"
#include "wait.h"
#include <stdlib.h>
#include "linux_entries/flock.h" /* generated: the handlers' prototypes, entries */

#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8

struct flock_held {
    const void *file;        /* the locked file: its inode, or the open file's pipe or itself */
    struct file *holder;     /* the open file description holding it */
    bool exclusive;
    struct flock_held *next;
    int pid;                 /* the process that took it (/proc/locks) */
};

static struct flock_held *held;
int flocks_held;

static const void *key_of(const struct file *f)
{
    return f->inode ? (const void *)f->inode : f->pipe ? (const void *)f->pipe : (const void *)f;
}

/* Drops f's lock, if it has one; true if it had. */
static bool drop(struct file *f)
{
    for (struct flock_held **pl = &held; *pl; pl = &(*pl)->next)
        if ((*pl)->holder == f) {
            struct flock_held *l = *pl;
            *pl = l->next;
            free(l);
            flocks_held--;
            return true;
        }
    return false;
}

/* Takes a lock for f, for process pid, if none conflicts: 0, -EWOULDBLOCK, -ENOMEM. */
static int take(struct file *f, bool exclusive, int pid)
{
    const void *key = key_of(f);
    for (struct flock_held *l = held; l; l = l->next)
        if (l->file == key && l->holder != f && (exclusive || l->exclusive))
            return -LINUX_EAGAIN;
    struct flock_held *l = malloc(sizeof *l);
    if (!l)
        return -LINUX_ENOMEM;
    *l = (struct flock_held){key, f, exclusive, held, pid};
    held = l;
    flocks_held++;
    return 0;
}

/* A lock went: the waiters try again, oldest first. */
static void retry_waiters(void)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->wait.kind == WAIT_FLOCK && take((struct file *)p->wait.fds, p->wait.nfds, proc_tgid(p)) == 0)
            wait_finish(p, 0);
}

void flock_release(struct file *f)
{
    if (drop(f))
        retry_waiters();
}

#define LOCK_MAND 32 /* the old mandatory "share modes" (LOCK_READ, LOCK_WRITE with it) */

/* As Linux 6.1's: a LOCK_MAND request is ignored (0, descriptor or
 * not), then the operation is checked (EINVAL), then the descriptor. */
static int64_t sys_flock(struct sys_ctx *c, uint64_t fd, int op)
{
    if (op & LOCK_MAND)
        return 0;
    int kind = op & ~LOCK_NB;
    if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN)
        return -LINUX_EINVAL;
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    for (struct flock_held *l = held; l; l = l->next)
        if (l->holder == f && kind != LOCK_UN && l->exclusive == (kind == LOCK_EX))
            return 0; /* it has that lock already */
    if (drop(f))
        retry_waiters();
    if (kind == LOCK_UN)
        return 0;
    int r = take(f, kind == LOCK_EX, proc_tgid(c->p));
    if (r != -LINUX_EAGAIN || (op & LOCK_NB))
        return r;
    c->p->wait = (struct proc_wait){.kind = WAIT_FLOCK, .token = c->token, .fds = (uint64_t)file_get(f),
                                    .nfds = kind == LOCK_EX};
    c->deferred = true;
    return 0;
}

void flock_each(void (*fn)(const struct lock_view *v))
{
    for (const struct flock_held *l = held; l; l = l->next) {
        const struct lock_view v = {"FLOCK  ADVISORY  ", l->exclusive ? F_WRLCK : F_RDLCK, l->pid, l->holder, NULL, 0,
                                    UINT64_MAX, l->holder};
        fn(&v);
    }
}
