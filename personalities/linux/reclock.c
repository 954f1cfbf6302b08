/*
 * personalities/linux/reclock.c - fcntl's record locks: POSIX locks
 * (F_GETLK, F_SETLK, F_SETLKW), owned by a descriptor table (a process and
 * its threads; a fork's child has its own), and open file description
 * locks (F_OFD_*), owned by the open file.  A lock covers a byte range of
 * a file, shared (F_RDLCK: the file open for reading) or exclusive
 * (F_WRLCK: open for writing); a new lock replaces the owner's own over
 * its range, splitting and merging as Linux does, and one that conflicts
 * with another owner's is EAGAIN, or with F_SETLKW waits (a WAIT_RECLOCK
 * wait, retried whenever locks change), unless the wait would close a
 * circle of POSIX waiters: EDEADLK.  A process's POSIX locks on a file go
 * when it closes any descriptor of that file, as on Linux; an open file
 * description's go with its last close.  Advisory: reads and writes never
 * look at them.
 *
 * Entry points: reclock_fcntl (fcntl), reclock_closing (every close of a
 * descriptor), reclock_release (file_put: the description's last close),
 * reclock_held_by (exit: whether a table's closes must drop locks),
 * reclock_each (/proc/locks).
 * Layer: above file types.  Book: docs/linux.md, "Files".
 */
#include "proc.h"
#include "pidns.h"
#include "wait.h"
#include <stdlib.h>

#define END UINT64_MAX /* to the end of the file, however long */

struct flock_k { /* x86-64's struct flock */
    int16_t type, whence;
    int64_t start, len;
    int32_t pid;
};

struct reclock {
    const void *file;    /* the inode (or the open file, for one without) */
    const void *owner;   /* the descriptor table, or the open file (OFD) */
    int pid;             /* whom F_GETLK names: the locker's process; -1 for an OFD lock */
    bool write;
    uint64_t start, end; /* inclusive */
    struct reclock *next;
};

static struct reclock *locks;
int reclocks_held;

static const void *file_key(const struct file *f) { return f->inode ? (const void *)f->inode : (const void *)f; }

/* The lock of another owner that [start, end] of kind write meets first
 * (the lowest: F_GETLK reports it, as Linux's list, in order, gives it). */
static struct reclock *conflict(const void *file, const void *owner, bool write, uint64_t start, uint64_t end)
{
    struct reclock *first = NULL;
    for (struct reclock *l = locks; l; l = l->next)
        if (l->file == file && l->owner != owner && (write || l->write) && l->start <= end && start <= l->end &&
            (!first || l->start < first->start))
            first = l;
    return first;
}

static struct reclock *add(const void *file, const void *owner, int pid, bool write, uint64_t start, uint64_t end)
{
    struct reclock *l = malloc(sizeof *l);
    if (l) {
        *l = (struct reclock){file, owner, pid, write, start, end, locks};
        locks = l;
        reclocks_held++;
    }
    return l;
}

/* Takes owner's locks out of [start, end] (splitting one that reaches past
 * both ends); -ENOMEM if a split found no memory. */
static int cut(const void *file, const void *owner, uint64_t start, uint64_t end)
{
    for (struct reclock **pl = &locks, *l; (l = *pl);) {
        if (l->file != file || l->owner != owner || l->end < start || end < l->start) {
            pl = &l->next;
            continue;
        }
        if (l->start < start && l->end > end) { /* the range is inside it: two pieces remain */
            if (!add(file, owner, l->pid, l->write, end + 1, l->end))
                return -LINUX_ENOMEM;
            l->end = start - 1;
            return 0;
        }
        if (l->start < start)
            l->end = start - 1, pl = &l->next;
        else if (l->end > end)
            l->start = end + 1, pl = &l->next;
        else {
            *pl = l->next;
            free(l);
            reclocks_held--;
        }
    }
    return 0;
}

/* Joins owner's locks of one kind that touch or overlap, as Linux keeps them. */
static void merge(const void *file, const void *owner)
{
    for (struct reclock *a = locks; a; a = a->next)
        for (struct reclock **pb = &locks, *b; (b = *pb);) {
            if (b != a && b->file == file && a->file == file && b->owner == owner && a->owner == owner &&
                b->write == a->write && (a->end == END || b->start <= a->end + 1) &&
                (b->end == END || a->start <= b->end + 1)) {
                a->start = a->start < b->start ? a->start : b->start;
                a->end = a->end > b->end ? a->end : b->end;
                *pb = b->next;
                free(b);
                reclocks_held--;
                pb = &locks; /* a grew: look again */
                continue;
            }
            pb = &b->next;
        }
}

/* Whether owner, waiting for blocker, would wait for itself: blocker (a
 * descriptor table) waits in turn for a lock of owner's, directly or down
 * a chain of waiters. */
static bool deadlock(const void *owner, const void *blocker)
{
    for (int depth = 0; blocker && depth < 64; depth++) {
        if (blocker == owner)
            return true;
        const void *next = NULL;
        for (struct proc *p = proc_list(); p; p = p->next)
            if (!p->zombie && p->wait.kind == WAIT_RECLOCK && (const void *)p->fds == blocker && !p->wait.sets[2]) {
                struct reclock *l = conflict((const void *)p->wait.fds, blocker, p->wait.sets[1] & 1,
                                             p->wait.sets[0], p->wait.tv);
                next = l ? l->owner : NULL;
                break;
            }
        blocker = next;
    }
    return false;
}

/* Sets or clears a lock now: 0, -EAGAIN (a conflict), -ENOMEM. */
static int apply(const void *file, const void *owner, int pid, int type, uint64_t start, uint64_t end)
{
    if (type != F_UNLCK && conflict(file, owner, type == F_WRLCK, start, end))
        return -LINUX_EAGAIN;
    int r = cut(file, owner, start, end);
    if (r == 0 && type != F_UNLCK && !add(file, owner, pid, type == F_WRLCK, start, end))
        r = -LINUX_ENOMEM;
    merge(file, owner);
    return r;
}

/* Locks went: the waiters try again. */
static void retry_waiters(void)
{
    for (bool again = true; again;) {
        again = false;
        for (struct proc *p = proc_list(); p; p = p->next) {
            if (p->zombie || p->wait.kind != WAIT_RECLOCK)
                continue;
            const void *owner = p->wait.sets[2] ? (const void *)p->wait.sets[2] : (const void *)p->fds;
            int r = apply((const void *)p->wait.fds, owner, p->wait.sets[2] ? -1 : proc_tgid(p), (int)p->wait.nfds,
                          p->wait.sets[0], p->wait.tv);
            if (r != -LINUX_EAGAIN) {
                wait_finish(p, r);
                again = true;
                break;
            }
        }
    }
}

void reclock_closing(struct proc *p, struct file *f)
{
    if (cut(file_key(f), p->fds, 0, END) == 0)
        retry_waiters();
}

bool reclock_held_by(const void *owner)
{
    for (const struct reclock *l = locks; l; l = l->next)
        if (l->owner == owner)
            return true;
    return false;
}

void reclock_release(struct file *f)
{
    if (cut(file_key(f), f, 0, END) == 0)
        retry_waiters();
}

int64_t reclock_fcntl(struct sys_ctx *c, struct file *f, int cmd, uint64_t uflock)
{
    struct flock_k fl;
    bool ofd = cmd >= F_OFD_GETLK;
    if (mem_in(c->p, &fl, uflock, sizeof fl) < 0)
        return -LINUX_EFAULT;
    bool getlk = cmd == F_GETLK || cmd == F_OFD_GETLK;
    if (fl.type != F_RDLCK && fl.type != F_WRLCK && (getlk || fl.type != F_UNLCK))
        return -LINUX_EINVAL; /* F_GETLK asks about a lock, not an unlock */
    if (getlk && ofd && fl.pid != 0)
        return -LINUX_EINVAL;
    /* the range, as Linux's flock_to_posix_lock: past the largest offset EOVERFLOW, below 0 EINVAL */
    int64_t base = fl.whence == SEEK_SET ? 0 : fl.whence == SEEK_CUR ? (int64_t)f->pos
                 : fl.whence == SEEK_END ? (f->inode ? (int64_t)f->inode->size : 0) : -1;
    if (base < 0)
        return -LINUX_EINVAL;
    if (fl.start > INT64_MAX - base)
        return -LINUX_EOVERFLOW;
    int64_t start = base + fl.start, last = start - 1;
    if (start < 0 || (fl.len < 0 && start + fl.len < 0))
        return -LINUX_EINVAL;
    if (fl.len > 0 && fl.len - 1 > INT64_MAX - start)
        return -LINUX_EOVERFLOW;
    if (fl.len > 0)
        last = start + fl.len - 1;
    else if (fl.len < 0)
        start += fl.len;
    uint64_t end = fl.len == 0 ? END : (uint64_t)last;
    const void *file = file_key(f), *owner = ofd ? (const void *)f : (const void *)c->p->fds;
    if (getlk) {
        struct reclock *l = conflict(file, owner, fl.type == F_WRLCK, (uint64_t)start, end);
        if (!l)
            fl.type = F_UNLCK;
        else
            fl = (struct flock_k){l->write ? F_WRLCK : F_RDLCK, SEEK_SET, (int64_t)l->start,
                                  l->end == END ? 0 : (int64_t)(l->end - l->start + 1),
                                  l->pid == -1 ? -1 : pidns_vpid(c->p, l->pid)}; /* locks_translate_pid */
        return mem_out(c->p, uflock, &fl, sizeof fl) < 0 ? -LINUX_EFAULT : 0;
    }
    if ((fl.type == F_RDLCK && (f->flags & O_ACCMODE) == O_WRONLY) ||
        (fl.type == F_WRLCK && (f->flags & O_ACCMODE) == O_RDONLY))
        return -LINUX_EBADF;
    if (ofd && fl.pid != 0)
        return -LINUX_EINVAL; /* after the mode's EBADF, as Linux's fcntl_setlk */
    int r = apply(file, owner, ofd ? -1 : proc_tgid(c->p), fl.type, (uint64_t)start, end);
    if (r == 0)
        retry_waiters(); /* an unlock, or a lock that replaced a wider or stronger one, may free bytes */
    if (r != -LINUX_EAGAIN || (cmd != F_SETLKW && cmd != F_OFD_SETLKW))
        return r;
    struct reclock *l = conflict(file, owner, fl.type == F_WRLCK, (uint64_t)start, end);
    if (!ofd && l && deadlock(owner, l->owner))
        return -LINUX_EDEADLK;
    c->p->wait = (struct proc_wait){.kind = WAIT_RECLOCK, .token = c->token, .fds = (uint64_t)file,
                                    .nfds = (uint64_t)fl.type, .tv = end,
                                    .sets = {(uint64_t)start, fl.type == F_WRLCK, ofd ? (uint64_t)f : 0}};
    c->deferred = true;
    return 0;
}

/* The open file a lock is on: an OFD lock's owner, or one of the POSIX
 * owner's descriptors of it (it holds one while the lock lasts). */
static const struct file *locked_file(const struct reclock *l)
{
    if (l->pid == -1)
        return l->owner;
    const struct fdtable *t = l->owner;
    for (int i = 0; i < t->size; i++)
        if (t->fd[i] && file_key(t->fd[i]) == l->file)
            return t->fd[i];
    return NULL;
}

void reclock_each(void (*fn)(const struct lock_view *v))
{
    for (const struct reclock *l = locks; l; l = l->next) {
        const struct file *f = locked_file(l);
        if (!f)
            continue; /* not known to be an inode: not shown */
        const struct lock_view v = {l->pid == -1 ? "OFDLCK ADVISORY  " : "POSIX  ADVISORY  ", l->write ? F_WRLCK : F_RDLCK,
                                    l->pid, f, NULL, l->start, l->end, l->owner};
        fn(&v);
    }
}
