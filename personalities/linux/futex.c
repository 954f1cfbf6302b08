/*
 * personalities/linux/futex.c - futex: wait, wake, requeue, and the bitset
 * forms, which are what thread libraries build mutexes, condition
 * variables, barriers and pthread_join on.  A waiter is a thread whose
 * reply is held (wait.kind WAIT_FUTEX, the address and bitset in its
 * proc_wait); a wake replies to the oldest waiters on the same key first.
 * A key is the memory map and the address, as Linux keys private futexes;
 * without FUTEX_PRIVATE_FLAG, an address in MAP_SHARED memory is keyed by
 * that memory and the offset in it instead, so that processes sharing it
 * (after fork, at any addresses) meet on it, as Linux keys shared futexes.
 * And set_robust_list, accepted.
 *
 * Entry point: futex_wake (exit.c).  Callers: the syscall table.  Layer:
 * waits, over mm's areas.  Book: docs/linux.md, "Waiting".
 */
#include "klog.h"
#include "futex.h"
#include "proc.h"
#include "time.h"
#include <stdio.h>
#include "linux_entries/futex.h" /* generated: the handlers' prototypes, entries */

static uint64_t queue_order;

struct futex_key {
    uint64_t space, off;
};

static struct futex_key key_of(struct proc *p, uint64_t uaddr, bool private)
{
    struct vma *v = private ? NULL : mm_find(p, uaddr);
    if (v && v->shm_id)
        return (struct futex_key){v->shm_id | 1ull << 63, uaddr - v->start + v->file_off};
    if (v && v->file_shared) /* the file's page, whoever maps it where */
        return (struct futex_key){(uint64_t)(uintptr_t)v->file | 1ull << 62, uaddr - v->start + v->file_off};
    return (struct futex_key){(uint64_t)(uintptr_t)p->mm, uaddr};
}

/* The oldest waiter on key whose bitset meets mask. */
static struct proc *oldest(struct futex_key k, uint32_t mask)
{
    struct proc *best = NULL;
    for (struct proc *w = proc_list(); w; w = w->next)
        if (!w->zombie && w->wait.kind == WAIT_FUTEX && w->wait.space == k.space && w->wait.fds == k.off &&
            (w->wait.nfds & mask) && (!best || w->wait.tv < best->wait.tv))
            best = w;
    return best;
}

static int wake_key(struct futex_key k, int n, uint32_t mask)
{
    int woken = 0;
    for (struct proc *w; woken < n && (w = oldest(k, mask)); woken++)
        wait_finish(w, 0);
    return woken;
}

int futex_wake(struct proc *p, uint64_t uaddr, int n, uint32_t mask)
{
    return wake_key(key_of(p, uaddr, false), n, mask);
}

static int64_t futex_wait(struct sys_ctx *c, uint64_t uaddr, uint32_t val, uint64_t uts, uint32_t mask, bool absolute,
                          bool realtime, bool private)
{
    uint32_t now_val;
    if (uaddr & 3)
        return -LINUX_EINVAL;
    if (!mask)
        return -LINUX_EINVAL;
    uint64_t deadline = 0;
    if (uts) {
        int64_t ts[2];
        if (mem_in(c->p, ts, uts, sizeof ts) < 0)
            return -LINUX_EFAULT;
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
            return -LINUX_EINVAL;
        uint64_t ns = (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1], now = clock_now();
        if (!absolute)
            deadline = now + ns;
        else
            deadline = clock_deadline(ns, realtime);
        if (deadline <= now)
            return -LINUX_ETIMEDOUT;
    }
    if (mem_in(c->p, &now_val, uaddr, sizeof now_val) < 0)
        return -LINUX_EFAULT;
    if (now_val != val)
        return -LINUX_EAGAIN;
    struct futex_key k = key_of(c->p, uaddr, private);
    c->p->wait = (struct proc_wait){.kind = WAIT_FUTEX, .token = c->token, .fds = k.off, .nfds = mask,
                                    .deadline = deadline, .tv = ++queue_order, .space = k.space};
    c->deferred = true;
    wait_rearm();
    return 0;
}

/* Wakes n, then moves up to n2 of the rest to uaddr2. */
static int64_t futex_requeue(struct sys_ctx *c, uint64_t uaddr, int n, int n2, uint64_t uaddr2, bool cmp,
                             uint32_t val3, bool private)
{
    if (n < 0 || n2 < 0)
        return -LINUX_EINVAL;
    if (cmp) {
        uint32_t v;
        if (mem_in(c->p, &v, uaddr, sizeof v) < 0)
            return -LINUX_EFAULT;
        if (v != val3)
            return -LINUX_EAGAIN;
    }
    struct futex_key from = key_of(c->p, uaddr, private), to = key_of(c->p, uaddr2, private);
    int woken = wake_key(from, n, ~0u), moved = 0;
    for (struct proc *w; moved < n2 && (w = oldest(from, ~0u)); moved++)
        w->wait.space = to.space, w->wait.fds = to.off;
    return cmp ? woken + moved : woken;
}

static int64_t sys_futex(struct sys_ctx *c, uint64_t uaddr, uint64_t op, uint32_t val, uint64_t utime, uint64_t uaddr2,
                         uint64_t val3)
{
    static bool warned[16];
    uint64_t cmd = op & ~(uint64_t)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    bool realtime = op & FUTEX_CLOCK_REALTIME, private = op & FUTEX_PRIVATE_FLAG;
    if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT)
        return -LINUX_ENOSYS; /* as Linux */
    switch (cmd) {
    case FUTEX_WAIT: return futex_wait(c, uaddr, val, utime, ~0u, false, false, private);
    case FUTEX_WAIT_BITSET: return futex_wait(c, uaddr, val, utime, (uint32_t)val3, true, realtime, private);
    case FUTEX_WAKE: return wake_key(key_of(c->p, uaddr, private), (int)val, ~0u);
    case FUTEX_WAKE_BITSET:
        return val3 ? wake_key(key_of(c->p, uaddr, private), (int)val, (uint32_t)val3) : -LINUX_EINVAL;
    case FUTEX_REQUEUE: return futex_requeue(c, uaddr, (int)val, (int)utime, uaddr2, false, 0, private);
    case FUTEX_CMP_REQUEUE:
        return futex_requeue(c, uaddr, (int)val, (int)utime, uaddr2, true, (uint32_t)val3, private);
    default:
        if (cmd < 16 && !warned[cmd]) {
            warned[cmd] = true;
            klog(KERN_INFO, "linux: futex operation %lu is not implemented: ENOSYS", (unsigned long)cmd);
        }
        return -LINUX_ENOSYS;
    }
}

/* The robust list is where a thread's held robust mutexes are listed for
 * the kernel to release if it dies; it is accepted and not walked. */
static int64_t sys_set_robust_list(struct sys_ctx *c, uint64_t len)
{
    (void)c;
    return len == 24 ? 0 : -LINUX_EINVAL; /* sizeof(struct robust_list_head) */
}
