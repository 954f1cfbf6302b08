/*
 * personalities/linux/kcmp.c - kcmp: whether two processes (or threads)
 * share a resource, as Linux answers it: 0 the same, else 1 or 2 by an
 * order of the objects that means nothing but is the same from call to
 * call (Linux orders obfuscated kernel addresses; here the server's, mixed
 * by the type).  The resources are what the server keeps for each:
 * an open file, the memory map, the descriptor table, the working
 * directory (CLONE_FS), the signal actions, the I/O context (each
 * process's own: there is no CLONE_IO to share), the SEM_UNDO list (none
 * when the process has no adjustment, as Linux's is made at the first),
 * and a file an epoll instance watches.
 *
 * Entry points: the handler.  Callers: the syscall table.  Layer: proc,
 * over the file types.  Book: docs/linux.md, "Programs and processes".
 */
#include "epoll.h"
#include "pidns.h"
#include "proc.h"
#include "sysvipc.h"
#include "linux_entries/kcmp.h" /* generated: the handlers' prototypes, entries */

/* Linux's kcmp_ptr: 0 equal, 1 less, 2 greater, of the mixed values. */
static int64_t kcmp_order(const void *a, const void *b, int type)
{
    static const uint64_t mix[KCMP_TYPES] = {0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb,
                                             0x2545f4914f6cdd1d, 0xd6e8feb86659fd93, 0xa0761d6478bd642f,
                                             0xe7037ed1a0b428db, 0x8ebc6af09c88c6e3};
    uint64_t x = ((uint64_t)(uintptr_t)a ^ mix[type]) * (mix[type] | 1);
    uint64_t y = ((uint64_t)(uintptr_t)b ^ mix[type]) * (mix[type] | 1);
    return (x < y) | ((x > y) << 1);
}

/* What process t has of a resource type, as something to compare. */
static const void *kcmp_object(struct proc *t, int type)
{
    struct proc *g = proc_group(t);
    switch (type) {
    case KCMP_VM: return t->mm;
    case KCMP_FILES: return t->fds;
    case KCMP_FS: return g->fs_share ? (const void *)(uintptr_t)g->fs_share : (const void *)g;
    case KCMP_SIGHAND: return t->sig.actions;
    case KCMP_IO: return g;
    default: return sem_has_undo(g->pid) ? (const void *)g : NULL; /* KCMP_SYSVSEM */
    }
}

/* KCMP_EPOLL_TFD: t1's file idx1 and the file the epoll slot at uslot (in
 * t2's table) watches. */
static int64_t kcmp_epoll(struct sys_ctx *c, struct proc *t1, struct proc *t2, uint64_t idx1, uint64_t uslot)
{
    struct file *f = fd_file(t1, idx1);
    struct kcmp_epoll_slot_k slot;
    if (!f)
        return -LINUX_EBADF;
    if (mem_in(c->p, &slot, uslot, sizeof slot) < 0)
        return -LINUX_EFAULT;
    struct file *ep = fd_file(t2, slot.efd);
    if (!ep)
        return -LINUX_EBADF;
    int err;
    struct file *target = epoll_target(ep, (int)slot.tfd, slot.toff, &err);
    return target ? kcmp_order(f, target, KCMP_FILE) : err;
}

static int64_t sys_kcmp(struct sys_ctx *c, int pid1, int pid2, int type, uint64_t idx1, uint64_t idx2)
{
    struct proc *t1 = pid1 > 0 ? pidns_find(c->p, pid1) : NULL, *t2 = pid2 > 0 ? pidns_find(c->p, pid2) : NULL;
    if (!t1 || !t2 || t1->zombie || t2->zombie)
        return -LINUX_ESRCH;
    if (!proc_may_ptrace(c->p, t1) || !proc_may_ptrace(c->p, t2))
        return -LINUX_EPERM;
    if (type == KCMP_FILE) {
        struct file *f1 = fd_file_raw(t1, idx1), *f2 = fd_file_raw(t2, idx2); /* O_PATH too, as Linux's */
        return f1 && f2 ? kcmp_order(f1, f2, KCMP_FILE) : -LINUX_EBADF;
    }
    if (type == KCMP_EPOLL_TFD)
        return kcmp_epoll(c, t1, t2, idx1, idx2);
    if (type < 0 || type >= KCMP_TYPES)
        return -LINUX_EINVAL;
    return kcmp_order(kcmp_object(t1, type), kcmp_object(t2, type), type);
}
