/*
 * personalities/linux/procmem.c - one process acting on another's memory:
 * process_vm_readv and process_vm_writev (the server copies between the
 * two tasks, as Linux's pin-and-copy does, a page of the other process
 * at a time: the transfer stops at the first page that is not there or
 * not allowed, or at a local fault, and says how much it moved),
 * process_madvise (hints to another process by its pidfd, any advice to
 * the caller itself) and process_mrelease.
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the syscall
 * table.  Layer: proc, over mm.  Book: docs/linux.md, "Memory".
 */
#include "pidfd.h"
#include "pidns.h"
#include "proc.h"
#include <stdlib.h>
#include "linux_entries/procmem.h" /* generated: the handlers' prototypes, entries */

#define PAGE 4096ull
#define UIO_MAXIOV 1024

/* The remote iovec array, as Linux's iovec_from_user reads it: no range
 * check (it is the other process's), negative lengths EINVAL. */
static int64_t remote_iov(struct proc *p, uint64_t uvec, uint64_t cnt, struct io_seg **segs)
{
    if (cnt > UIO_MAXIOV)
        return -LINUX_EINVAL;
    *segs = malloc((cnt ? cnt : 1) * sizeof **segs);
    if (!*segs)
        return -LINUX_ENOMEM;
    int64_t err = cnt && mem_in(p, *segs, uvec, cnt * sizeof **segs) < 0 ? -LINUX_EFAULT : 0;
    for (uint64_t i = 0; i < cnt && !err; i++)
        if ((int64_t)(*segs)[i].len < 0)
            err = -LINUX_EINVAL;
    if (err)
        free(*segs);
    return err;
}

/* Whether t's page at va may be read (or written): Linux pins it so. */
static bool page_allowed(struct proc *t, uint64_t va, bool write)
{
    struct vma *v = mm_find(t, va);
    return v && (v->prot & (write ? PROT_WRITE : PROT_READ));
}

/* Moves up to n bytes between t's va and the local segments from *li,
 * *loff on: never across a page on either side.  The bytes moved; *err
 * -EFAULT where it stopped short. */
static uint64_t move_page(struct sys_ctx *c, struct proc *t, uint64_t va, uint64_t n, struct io_seg *l, uint64_t lcnt,
                          uint64_t *li, uint64_t *loff, bool write, int64_t *err)
{
    char buf[512];
    uint64_t done = 0;
    while (done < n && *li < lcnt) {
        struct io_seg *s = &l[*li];
        uint64_t la = s->base + *loff, k = n - done;
        k = k < s->len - *loff ? k : s->len - *loff;
        k = k < PAGE - la % PAGE ? k : PAGE - la % PAGE;
        k = k < sizeof buf ? k : sizeof buf;
        bool ok = write ? mem_in(c->p, buf, la, k) == 0 && mem_out(t, va + done, buf, k) == 0
                        : mem_in(t, buf, va + done, k) == 0 && mem_out(c->p, la, buf, k) == 0;
        if (!ok) {
            *err = -LINUX_EFAULT;
            return done;
        }
        done += k, *loff += k;
        for (; *li < lcnt && *loff == l[*li].len; (*li)++)
            *loff = 0;
    }
    return done;
}

/* The copy itself, remote segment by segment and page by page. */
static int64_t vm_copy(struct sys_ctx *c, struct proc *t, struct io_seg *l, uint64_t lcnt, struct io_seg *r,
                       uint64_t rcnt, bool write)
{
    uint64_t li = 0, loff = 0, total = 0;
    int64_t err = 0;
    while (li < lcnt && !l[li].len)
        li++;
    for (uint64_t ri = 0; ri < rcnt && li < lcnt && !err; ri++)
        for (uint64_t va = r[ri].base, end = va + r[ri].len; va < end && li < lcnt && !err;) {
            uint64_t n = PAGE - va % PAGE < end - va ? PAGE - va % PAGE : end - va;
            if (!page_allowed(t, va, write)) {
                err = -LINUX_EFAULT;
                break;
            }
            uint64_t moved = move_page(c, t, va, n, l, lcnt, &li, &loff, write, &err);
            total += moved, va += moved;
        }
    return total ? (int64_t)total : err;
}

/* Linux's process_vm_rw: the flags, the local iovec (nothing to move is
 * 0), the remote one (nothing there is 0 too), then the process, which
 * the caller must be allowed to attach to as ptrace would (EPERM). */
static int64_t vm_rw(struct sys_ctx *c, int pid, uint64_t lvec, uint64_t lcnt, uint64_t rvec, uint64_t rcnt,
                     uint64_t flags, bool write)
{
    struct io_seg *l, *r;
    uint64_t ltotal, rtotal = 0;
    if (flags)
        return -LINUX_EINVAL;
    int64_t res = iov_read(c->p, lvec, lcnt, &l, &ltotal);
    if (res < 0)
        return res;
    if (!ltotal || (res = remote_iov(c->p, rvec, rcnt, &r)) < 0) {
        free(l);
        return res;
    }
    for (uint64_t i = 0; i < rcnt; i++)
        rtotal |= r[i].len;
    struct proc *t = pid > 0 ? pidns_find(c->p, pid) : NULL;
    if (!rtotal)
        res = 0;
    else if (!t || t->zombie)
        res = -LINUX_ESRCH;
    else if (!proc_may_ptrace(c->p, t))
        res = -LINUX_EPERM;
    else
        res = vm_copy(c, t, l, lcnt, r, rcnt, write);
    free(l);
    free(r);
    return res;
}

static int64_t sys_process_vm_readv(struct sys_ctx *c, int pid, uint64_t lvec, uint64_t liovcnt, uint64_t rvec,
                                    uint64_t riovcnt, uint64_t flags)
{
    return vm_rw(c, pid, lvec, liovcnt, rvec, riovcnt, flags, false);
}

static int64_t sys_process_vm_writev(struct sys_ctx *c, int pid, uint64_t lvec, uint64_t liovcnt, uint64_t rvec,
                                     uint64_t riovcnt, uint64_t flags)
{
    return vm_rw(c, pid, lvec, liovcnt, rvec, riovcnt, flags, true);
}

/* The live process a pidfd names: 0, or -EBADF, -ESRCH (ended: its
 * memory is gone). */
static int64_t pidfd_live(struct sys_ctx *c, int pidfd, struct proc **t)
{
    struct file *f = pidfd < 0 ? NULL : fd_file(c->p, (uint64_t)pidfd);
    if (!f)
        return -LINUX_EBADF;
    int r = pidfd_target(f, t);
    if (r < 0)
        return r;
    return proc_group(*t)->zombie || (*t)->zombie ? -LINUX_ESRCH : 0;
}

/* Another process takes only the hints that change nothing it sees, and
 * only from root (CAP_SYS_NICE); the caller itself any advice.  The bytes
 * advised before the first error, else the error. */
static int64_t sys_process_madvise(struct sys_ctx *c, int pidfd, uint64_t vec, uint64_t vlen, int advice,
                                   uint32_t flags)
{
    struct io_seg *segs;
    uint64_t total, done = 0;
    struct proc *t;
    if (flags)
        return -LINUX_EINVAL;
    int64_t r = iov_read(c->p, vec, vlen, &segs, &total);
    if (r < 0)
        return r;
    if ((r = pidfd_live(c, pidfd, &t)) == 0 && !proc_may_ptrace(c->p, t))
        r = -LINUX_EACCES;
    bool remote = r == 0 && t->mm != c->p->mm;
    if (remote && advice != MADV_COLD && advice != MADV_PAGEOUT && advice != MADV_WILLNEED && advice != MADV_COLLAPSE)
        r = -LINUX_EINVAL;
    else if (remote && !cred_capable(&c->p->cred, CAP_SYS_NICE))
        r = -LINUX_EPERM;
    for (uint64_t i = 0; r == 0 && i < vlen; i++)
        if ((r = mm_madvise(t, segs[i].base, segs[i].len, advice)) == 0)
            done += segs[i].len;
    free(segs);
    return done ? (int64_t)done : r;
}

/* Linux reaps the memory of a process that is being killed; here a
 * killed process's memory goes at once, so a live one is EINVAL (not
 * dying) and an ended one ESRCH. */
static int64_t sys_process_mrelease(struct sys_ctx *c, int pidfd, uint32_t flags)
{
    struct proc *t;
    if (flags)
        return -LINUX_EINVAL;
    int64_t r = pidfd_live(c, pidfd, &t);
    return r < 0 ? r : -LINUX_EINVAL;
}
