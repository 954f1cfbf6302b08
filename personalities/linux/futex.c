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
 * futex_waitv waits on several keys at once (WAIT_FUTEXV) and a wake of
 * any answers the index of the one woken.
 * FUTEX_WAKE_OP, the priority-inheritance locks (LOCK_PI, LOCK_PI2,
 * TRYLOCK_PI, UNLOCK_PI) and the robust lists, which together make the C
 * libraries' robust and PI mutexes work.
 *
 * Entry points: futex_wake and futex_exit (exit.c).  Callers: the syscall table.  Layer:
 * waits, over mm's areas.  Book: docs/linux.md, "Waiting".
 */
#include "klog.h"
#include "futex.h"
#include "pidns.h"
#include "proc.h"
#include "time.h"
#include "timens.h"
#include <stdio.h>
#include <stdlib.h>
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

/* Linux's get_futex_key: an unaligned address is EINVAL; a shared
 * futex's page must be there to key it (EFAULT: no area, no access, no
 * write access for an operation that writes the word, or a read-only
 * anonymous page, which "will never change" for Linux); a private
 * futex's address is not looked at.  0 with *k, or -errno. */
static int key_get(struct proc *p, uint64_t uaddr, bool private, bool write, struct futex_key *k)
{
    if (uaddr & 3)
        return -LINUX_EINVAL;
    if (!private) {
        struct vma *v = mm_find(p, uaddr);
        if (!v || !(v->prot & PROT_READ) || (write && !(v->prot & PROT_WRITE)))
            return -LINUX_EFAULT;
        if (!(v->prot & PROT_WRITE) && !v->file && !v->shm_id && !v->vdso)
            return -LINUX_EFAULT;
    }
    *k = key_of(p, uaddr, private);
    return 0;
}

/* The word at uaddr may be written (its area's PROT_WRITE), as Linux's
 * futex_atomic_op_inuser faults otherwise: 0, or -EFAULT. */
static int word_writable(struct proc *p, uint64_t uaddr)
{
    struct vma *v = mm_find(p, uaddr);
    return v && (v->prot & PROT_WRITE) ? 0 : -LINUX_EFAULT;
}

/* Which of a futex_waitv waiter's keys (WAIT_FUTEXV: nfds of them at
 * fds) is k: its index, or -1. */
static int vector_index(const struct proc *w, struct futex_key k)
{
    const struct futex_key *keys = (const struct futex_key *)(uintptr_t)w->wait.fds;
    for (uint64_t i = 0; i < w->wait.nfds; i++)
        if (keys[i].space == k.space && keys[i].off == k.off)
            return (int)i;
    return -1;
}

/* The oldest waiter on key whose bitset meets mask; with vectors, a
 * futex_waitv's too (any bitset), and *index the key's among its keys. */
static struct proc *oldest(struct futex_key k, uint32_t mask, bool vectors, int *index)
{
    struct proc *best = NULL;
    for (struct proc *w = proc_futex_waiters, *n; w; w = n) {
        n = w->futex_link.next;
        if (w->zombie || (w->wait.kind != WAIT_FUTEX && w->wait.kind != WAIT_FUTEXV)) {
            proc_link_del(w, FUTEX_LINK); /* its wait is over (only here: no caller walks the list meanwhile) */
            continue;
        }
        if (best && w->wait.tv >= best->wait.tv)
            continue;
        int i = vectors && w->wait.kind == WAIT_FUTEXV ? vector_index(w, k) : -1;
        if (i >= 0 || (w->wait.kind == WAIT_FUTEX && w->wait.space == k.space && w->wait.fds == k.off &&
                       (w->wait.nfds & mask)))
            best = w, *index = i >= 0 ? i : 0;
    }
    return best;
}

static int wake_key(struct futex_key k, int n, uint32_t mask)
{
    int woken = 0, index = 0;
    for (struct proc *w; woken < n && (w = oldest(k, mask, true, &index)); woken++)
        wait_finish(w, index);
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
    if (!mask)
        return -LINUX_EINVAL;
    uint64_t deadline = 0;
    if (uts) {
        int64_t ts[2];
        if (mem_in(c->p, ts, uts, sizeof ts) < 0)
            return -LINUX_EFAULT;
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
            return -LINUX_EINVAL;
        uint64_t ns = timespec_ns(ts), now = clock_now();
        if (!absolute)
            deadline = clock_after(ns);
        else
            deadline = clock_deadline(realtime ? ns : timens_to_host(c->p, CLOCK_MONOTONIC, ns), realtime);
        if (deadline <= now)
            deadline = now; /* past already: ETIMEDOUT, once the word matches, as Linux */
    }
    struct futex_key k;
    int r = key_get(c->p, uaddr, private, false, &k);
    if (r < 0)
        return r;
    if (mem_in(c->p, &now_val, uaddr, sizeof now_val) < 0)
        return -LINUX_EFAULT;
    if (now_val != val)
        return -LINUX_EAGAIN;
    if (deadline && deadline <= clock_now())
        return -LINUX_ETIMEDOUT;
    c->p->wait = (struct proc_wait){.kind = WAIT_FUTEX, .token = c->token, .fds = k.off, .nfds = mask,
                                    .deadline = deadline, .tv = ++queue_order, .space = k.space};
    proc_link_add(&proc_futex_waiters, c->p, FUTEX_LINK);
    c->deferred = true;
    wait_rearm_for(c->p);
    return 0;
}

/* FUTEX_WAKE and FUTEX_WAKE_BITSET: the bitset, then the key. */
static int64_t futex_wake_call(struct sys_ctx *c, uint64_t uaddr, int n, uint32_t mask, bool private)
{
    struct futex_key k;
    int r;
    if (!mask)
        return -LINUX_EINVAL;
    return (r = key_get(c->p, uaddr, private, false, &k)) < 0 ? r : wake_key(k, n, mask);
}

/* Wakes n, then moves up to n2 of the rest to uaddr2. */
static int64_t futex_requeue(struct sys_ctx *c, uint64_t uaddr, int n, int n2, uint64_t uaddr2, bool cmp,
                             uint32_t val3, bool private)
{
    struct futex_key from, to;
    int r;
    if (n < 0 || n2 < 0)
        return -LINUX_EINVAL;
    if ((r = key_get(c->p, uaddr, private, false, &from)) < 0 || (r = key_get(c->p, uaddr2, private, false, &to)) < 0)
        return r;
    if (cmp) {
        uint32_t v;
        if (mem_in(c->p, &v, uaddr, sizeof v) < 0)
            return -LINUX_EFAULT;
        if (v != val3)
            return -LINUX_EAGAIN;
    }
    int woken = wake_key(from, n, ~0u), moved = 0, index;
    for (struct proc *w; moved < n2 && (w = oldest(from, ~0u, false, &index)); moved++)
        w->wait.space = to.space, w->wait.fds = to.off;
    return cmp ? woken + moved : woken;
}

/* FUTEX_WAKE_OP: the word at uaddr2 changes by the operation val3 encodes,
 * then n waiters on uaddr are woken, and n2 on uaddr2 if the old word
 * passed val3's comparison. */
static int64_t futex_wake_op(struct sys_ctx *c, uint64_t uaddr, int n, int n2, uint64_t uaddr2, uint32_t val3,
                             bool private)
{
    uint32_t op = val3 >> 28 & 7, cmp = val3 >> 24 & 15, old, new;
    int32_t oparg = (int32_t)(val3 << 8) >> 20, cmparg = (int32_t)(val3 << 20) >> 20; /* 12 bits, signed */
    if (val3 >> 28 & FUTEX_OP_OPARG_SHIFT)
        oparg = (int32_t)(1u << (oparg & 31));
    struct futex_key k1, k2;
    int r;
    if ((r = key_get(c->p, uaddr, private, false, &k1)) < 0 || (r = key_get(c->p, uaddr2, private, true, &k2)) < 0)
        return r;
    if (op > FUTEX_OP_XOR || cmp > FUTEX_OP_CMP_GE)
        return -LINUX_ENOSYS; /* as Linux, once the keys are taken */
    if (mem_in(c->p, &old, uaddr2, sizeof old) < 0 || word_writable(c->p, uaddr2) < 0)
        return -LINUX_EFAULT;
    switch (op) {
    case FUTEX_OP_SET: new = (uint32_t)oparg; break;
    case FUTEX_OP_ADD: new = old + (uint32_t)oparg; break;
    case FUTEX_OP_OR: new = old | (uint32_t)oparg; break;
    case FUTEX_OP_ANDN: new = old & ~(uint32_t)oparg; break;
    default: new = old ^ (uint32_t)oparg; break;
    }
    if (mem_out(c->p, uaddr2, &new, sizeof new) < 0)
        return -LINUX_EFAULT;
    int32_t o = (int32_t)old;
    bool pass = cmp == FUTEX_OP_CMP_EQ ? o == cmparg : cmp == FUTEX_OP_CMP_NE ? o != cmparg
              : cmp == FUTEX_OP_CMP_LT ? o < cmparg : cmp == FUTEX_OP_CMP_LE ? o <= cmparg
              : cmp == FUTEX_OP_CMP_GT ? o > cmparg : o >= cmparg;
    int woken = wake_key(k1, n, ~0u);
    return woken + (pass ? wake_key(k2, n2, ~0u) : 0);
}

/*
 * Priority inheritance.  With one CPU and a kernel scheduler that has no
 * priorities to lend, what is kept is the ownership protocol the C
 * libraries' PI mutexes are built on: the word holds its owner's thread
 * id, FUTEX_WAITERS sends the owner's unlock here, and the unlock hands
 * the lock to the oldest waiter, whose id the word then holds.  A PI
 * waiter is a WAIT_FUTEX with bitset 0 (no wake matches it) and its
 * address in sets[0].
 */
static struct proc *pi_oldest(struct futex_key k)
{
    struct proc *best = NULL;
    for (struct proc *w = proc_futex_waiters; w; w = w->futex_link.next)
        if (!w->zombie && w->wait.kind == WAIT_FUTEX && !w->wait.nfds && w->wait.space == k.space &&
            w->wait.fds == k.off && (!best || w->wait.tv < best->wait.tv))
            best = w;
    return best;
}

/* The lock goes to waiter w (the word is in w's memory): it holds w's id
 * and FUTEX_WAITERS, as Linux's wake_futex_pi leaves it, and w's call returns. */
static int pi_hand_over(struct proc *w, uint32_t keep)
{
    uint32_t word = (uint32_t)w->pid | FUTEX_WAITERS | keep;
    if (mem_out(w, w->wait.sets[0], &word, sizeof word) < 0)
        return -LINUX_EFAULT;
    wait_finish(w, 0);
    return 0;
}

static int64_t futex_lock_pi(struct sys_ctx *c, uint64_t uaddr, uint64_t uts, bool trylock, bool realtime,
                             bool private)
{
    uint32_t tid = (uint32_t)c->p->pid, word;
    uint64_t deadline = 0;
    if (uts && !trylock) {
        int64_t ts[2];
        if (mem_in(c->p, ts, uts, sizeof ts) < 0)
            return -LINUX_EFAULT;
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
            return -LINUX_EINVAL;
        uint64_t ns = timespec_ns(ts);
        deadline = clock_deadline(realtime ? ns : timens_to_host(c->p, CLOCK_MONOTONIC, ns), realtime);
    }
    struct futex_key k;
    int r = key_get(c->p, uaddr, private, true, &k);
    if (r < 0)
        return r;
    if (mem_in(c->p, &word, uaddr, sizeof word) < 0 || word_writable(c->p, uaddr) < 0)
        return -LINUX_EFAULT;
    uint32_t owner = word & FUTEX_TID_MASK;
    if (owner == tid)
        return -LINUX_EDEADLK;
    if (!owner) { /* free, or its owner died (FUTEX_OWNER_DIED stays for the C library to see) */
        word = tid | (word & FUTEX_OWNER_DIED) | (pi_oldest(k) ? FUTEX_WAITERS : 0);
        return mem_out(c->p, uaddr, &word, sizeof word) < 0 ? -LINUX_EFAULT : 0;
    }
    struct proc *o = proc_by_pid((int)owner);
    if (!o || o->zombie)
        return -LINUX_ESRCH; /* a word naming no thread, as Linux finds it */
    if (trylock)
        return -LINUX_EAGAIN;
    if (deadline && deadline <= clock_now())
        return -LINUX_ETIMEDOUT;
    word |= FUTEX_WAITERS;
    if (mem_out(c->p, uaddr, &word, sizeof word) < 0)
        return -LINUX_EFAULT;
    c->p->wait = (struct proc_wait){.kind = WAIT_FUTEX, .token = c->token, .fds = k.off, .nfds = 0,
                                    .deadline = deadline, .tv = ++queue_order, .space = k.space, .sets = {uaddr}};
    proc_link_add(&proc_futex_waiters, c->p, FUTEX_LINK);
    c->deferred = true;
    wait_rearm_for(c->p);
    return 0;
}

static int64_t futex_unlock_pi(struct sys_ctx *c, uint64_t uaddr, bool private)
{
    uint32_t word, zero = 0;
    struct futex_key k;
    int r;
    if (mem_in(c->p, &word, uaddr, sizeof word) < 0)
        return -LINUX_EFAULT;
    if ((word & FUTEX_TID_MASK) != (uint32_t)c->p->pid)
        return -LINUX_EPERM; /* before the key and its alignment, as Linux's futex_unlock_pi */
    if ((r = key_get(c->p, uaddr, private, true, &k)) < 0)
        return r;
    struct proc *w = pi_oldest(k);
    if (w)
        return pi_hand_over(w, 0);
    return mem_out(c->p, uaddr, &zero, sizeof zero) < 0 ? -LINUX_EFAULT : 0;
}

/* A held futex of thread t, which is ending: the word keeps its waiters
 * bit, gets FUTEX_OWNER_DIED and loses t's id, and a waiter is woken (a PI
 * waiter gets the lock).  pending: the list's operation in progress, whose
 * word may not be t's yet (Linux's handle_futex_death). */
static void owner_died(struct proc *t, uint64_t uaddr, bool pi, bool pending)
{
    uint32_t word;
    if ((uaddr & 3) || mem_in(t, &word, uaddr, sizeof word) < 0)
        return;
    uint32_t owner = word & FUTEX_TID_MASK;
    if (pending && !pi && !owner) {
        wake_key(key_of(t, uaddr, false), 1, ~0u);
        return;
    }
    if (owner != (uint32_t)t->pid)
        return;
    struct proc *w = pi_oldest(key_of(t, uaddr, false)); /* a PI futex, marked on the list or not (musl's are not) */
    if (w) { /* the lock goes straight to the next in line, as Linux's exit_pi_state_list hands it */
        pi_hand_over(w, FUTEX_OWNER_DIED);
        return;
    }
    uint32_t died = (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
    if (mem_out(t, uaddr, &died, sizeof died) == 0 && !pi && (word & FUTEX_WAITERS))
        wake_key(key_of(t, uaddr, false), 1, ~0u);
}

/* Word i of the robust list's structure at at: 8 bytes, or 4 of an i386
 * thread's list (compat_robust_list), the futex_offset (word 1 of the
 * head) sign-extended. */
static int robust_word(struct proc *t, uint64_t at, int i, uint64_t *w)
{
    if (!t->robust32)
        return mem_in(t, w, at + 8 * (uint64_t)i, 8);
    uint32_t v;
    if (mem_in(t, &v, at + 4 * (uint64_t)i, 4) < 0)
        return -1;
    *w = i == 1 ? (uint64_t)(int64_t)(int32_t)v : v;
    return 0;
}

void futex_exit(struct proc *t)
{
    /* struct robust_list_head: the list (its next), futex_offset, list_op_pending;
     * each entry's low bit says its futex is a PI one */
    uint64_t head[3];
    if (t->robust_list && robust_word(t, t->robust_list, 0, &head[0]) == 0 &&
        robust_word(t, t->robust_list, 1, &head[1]) == 0 && robust_word(t, t->robust_list, 2, &head[2]) == 0) {
        uint64_t entry = head[0], pending = head[2];
        for (int limit = ROBUST_LIST_LIMIT; (entry & ~1ull) != t->robust_list && limit--;) {
            uint64_t next, at = entry & ~1ull;
            if (robust_word(t, at, 0, &next) < 0)
                break;
            if (at != (pending & ~1ull))
                owner_died(t, at + head[1], entry & 1, false);
            entry = next;
        }
        if (pending & ~1ull)
            owner_died(t, (pending & ~1ull) + head[1], pending & 1, true);
    }
    t->robust_list = 0;
    /* PI locks it holds that are not on the list: waiters are waiting for them */
    for (struct proc *w = proc_futex_waiters; w; w = w->futex_link.next) {
        uint32_t word;
        if (!w->zombie && w->wait.kind == WAIT_FUTEX && !w->wait.nfds &&
            mem_in(w, &word, w->wait.sets[0], sizeof word) == 0 && (word & FUTEX_TID_MASK) == (uint32_t)t->pid)
            pi_hand_over(pi_oldest((struct futex_key){w->wait.space, w->wait.fds}), FUTEX_OWNER_DIED);
    }
}

static int64_t sys_futex(struct sys_ctx *c, uint64_t uaddr, uint64_t op, uint32_t val, uint64_t utime, uint64_t uaddr2,
                         uint64_t val3)
{
    static bool warned[16];
    uint64_t cmd = op & ~(uint64_t)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    bool realtime = op & FUTEX_CLOCK_REALTIME, private = op & FUTEX_PRIVATE_FLAG;
    if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_LOCK_PI2)
        return -LINUX_ENOSYS; /* as Linux 6.18: FUTEX_WAIT's timeout is relative, it takes no clock */
    switch (cmd) {
    case FUTEX_WAIT: return futex_wait(c, uaddr, val, utime, ~0u, false, false, private);
    case FUTEX_WAIT_BITSET: return futex_wait(c, uaddr, val, utime, (uint32_t)val3, true, realtime, private);
    case FUTEX_WAKE: return futex_wake_call(c, uaddr, (int)val, ~0u, private);
    case FUTEX_WAKE_BITSET: return futex_wake_call(c, uaddr, (int)val, (uint32_t)val3, private);
    case FUTEX_REQUEUE: return futex_requeue(c, uaddr, (int)val, (int)utime, uaddr2, false, 0, private);
    case FUTEX_CMP_REQUEUE:
        return futex_requeue(c, uaddr, (int)val, (int)utime, uaddr2, true, (uint32_t)val3, private);
    case FUTEX_WAKE_OP: return futex_wake_op(c, uaddr, (int)val, (int)utime, uaddr2, (uint32_t)val3, private);
    case FUTEX_LOCK_PI: return futex_lock_pi(c, uaddr, utime, false, true, private); /* CLOCK_REALTIME, absolute */
    case FUTEX_LOCK_PI2: return futex_lock_pi(c, uaddr, utime, false, realtime, private);
    case FUTEX_TRYLOCK_PI: return futex_lock_pi(c, uaddr, 0, true, false, private);
    case FUTEX_UNLOCK_PI: return futex_unlock_pi(c, uaddr, private);
    default:
        if (cmd < 16 && !warned[cmd]) {
            warned[cmd] = true;
            klog(KERN_INFO, "linux: futex operation %lu is not implemented: ENOSYS", (unsigned long)cmd);
        }
        return -LINUX_ENOSYS;
    }
}

/* The robust list: where a thread lists the robust mutexes it holds, for
 * futex_exit to release if it ends holding them. */
static int64_t sys_set_robust_list(struct sys_ctx *c, uint64_t head, uint64_t len)
{
    if (len != 24) /* sizeof(struct robust_list_head) */
        return -LINUX_EINVAL;
    c->p->robust_list = head, c->p->robust32 = false;
    return 0;
}

/* i386's: struct compat_robust_list_head, three 4-byte words. */
static int64_t sys32_set_robust_list(struct sys_ctx *c, uint64_t head, uint64_t len)
{
    if (len != 12)
        return -LINUX_EINVAL;
    c->p->robust_list = head, c->p->robust32 = true;
    return 0;
}

/* Another thread's list: for one that may look at it as a debugger could
 * (the same user, or CAP_SYS_PTRACE); width 8, or 4 for i386's call. */
static int64_t get_robust_list(struct sys_ctx *c, int pid, uint64_t uhead, uint64_t ulen, size_t width)
{
    struct proc *t = pid ? pidns_find(c->p, pid) : c->p;
    if (!t || t->zombie)
        return -LINUX_ESRCH;
    const struct cred *me = &c->p->cred, *them = &t->cred;
    if (t != c->p && !cred_capable(me, CAP_SYS_PTRACE) &&
        (me->uid != them->uid || me->uid != them->euid || me->uid != them->suid || me->gid != them->gid ||
         me->gid != them->egid || me->gid != them->sgid))
        return -LINUX_EPERM;
    uint64_t len = width * 3, head = t->robust_list; /* little-endian: the low bytes first */
    if (mem_out(c->p, ulen, &len, width) < 0 || mem_out(c->p, uhead, &head, width) < 0)
        return -LINUX_EFAULT;
    return 0;
}

static int64_t sys_get_robust_list(struct sys_ctx *c, int pid, uint64_t uhead, uint64_t ulen)
{
    return get_robust_list(c, pid, uhead, ulen, 8);
}

static int64_t sys32_get_robust_list(struct sys_ctx *c, int pid, uint64_t uhead, uint64_t ulen)
{
    return get_robust_list(c, pid, uhead, ulen, 4);
}

/* futex_waitv: a wait on up to FUTEX_WAITV_MAX futexes (struct
 * futex_waitv: val, uaddr, flags, __reserved), checked in Linux's order;
 * a wake of any ends it with that futex's index (the lowest, if several). */
static int64_t sys_futex_waitv(struct sys_ctx *c, uint64_t uwaiters, uint32_t nr, uint32_t flags, uint64_t uts,
                               int clockid)
{
    struct { uint64_t val, uaddr; uint32_t flags, reserved; } w[FUTEX_WAITV_MAX];
    uint64_t deadline = 0;
    if (flags || !nr || nr > FUTEX_WAITV_MAX || !uwaiters)
        return -LINUX_EINVAL;
    if (uts) {
        int64_t ts[2];
        if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC)
            return -LINUX_EINVAL;
        if (mem_in(c->p, ts, uts, sizeof ts) < 0)
            return -LINUX_EFAULT;
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
            return -LINUX_EINVAL;
        deadline = clock_deadline(timens_to_host(c->p, clockid, timespec_ns(ts)), clockid == CLOCK_REALTIME);
    }
    for (uint32_t i = 0; i < nr; i++) {
        if (mem_in(c->p, &w[i], uwaiters + i * sizeof w[0], sizeof w[0]) < 0)
            return -LINUX_EFAULT;
        if ((w[i].flags & ~(uint32_t)(FUTEX2_SIZE_MASK | FUTEX_PRIVATE_FLAG)) || w[i].reserved ||
            (w[i].flags & FUTEX2_SIZE_MASK) != FUTEX_32 || w[i].val >> 32)
            return -LINUX_EINVAL; /* only 32-bit futexes, as Linux */
    }
    for (uint32_t i = 0; i < nr; i++)
        if (w[i].uaddr & 3)
            return -LINUX_EINVAL;
    struct futex_key *keys = malloc(nr * sizeof *keys);
    if (!keys)
        return -LINUX_ENOMEM;
    for (uint32_t i = 0; i < nr; i++) {
        uint32_t now_val;
        int64_t e = mem_in(c->p, &now_val, w[i].uaddr, sizeof now_val) < 0 ? -LINUX_EFAULT
                  : now_val != (uint32_t)w[i].val                        ? -LINUX_EAGAIN : 0;
        if (e < 0) {
            free(keys);
            return e;
        }
        keys[i] = key_of(c->p, w[i].uaddr, w[i].flags & FUTEX_PRIVATE_FLAG);
    }
    if (deadline && deadline <= clock_now()) {
        free(keys);
        return -LINUX_ETIMEDOUT;
    }
    c->p->wait = (struct proc_wait){.kind = WAIT_FUTEXV, .token = c->token, .fds = (uintptr_t)keys, .nfds = nr,
                                    .deadline = deadline, .tv = ++queue_order};
    proc_link_add(&proc_futex_waiters, c->p, FUTEX_LINK);
    c->deferred = true;
    wait_rearm_for(c->p);
    return 0;
}
