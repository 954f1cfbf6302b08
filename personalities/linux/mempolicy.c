/*
 * personalities/linux/mempolicy.c - the NUMA memory policy calls on a
 * machine of one node, 0, answered as Linux answers them there:
 * set_mempolicy and mbind keep a thread's or an area's policy (a mode,
 * its flags and its nodemask, checked by Linux's rules) and
 * get_mempolicy reports it; every page is on node 0 whatever the policy,
 * so migrate_pages and move_pages have nothing to move, and
 * set_mempolicy_home_node only checks.  Linux's nodemasks are up to
 * MAX_NUMNODES (1024) bits, of which node 0's is the only one that names
 * a node here.
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the syscall
 * table.  Layer: mm.  Book: docs/linux.md, "Memory".
 */
#include "pidns.h"
#include "proc.h"
#include <string.h>
#include "linux_entries/mempolicy.h" /* generated: the handlers' prototypes, entries */

#define PAGE 4096ull
#define MAX_NUMNODES 1024
enum { MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, MPOL_LOCAL, MPOL_PREFERRED_MANY,
       MPOL_WEIGHTED_INTERLEAVE, MPOL_MAX };
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_NUMA_BALANCING (1 << 13)
#define MPOL_MODE_FLAGS (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING)
#define MPOL_F_NODE 1 /* get_mempolicy's flags */
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4
#define MPOL_MF_STRICT 1 /* mbind's and move_pages' */
#define MPOL_MF_MOVE 2
#define MPOL_MF_MOVE_ALL 4

/* A nodemask from the caller, as Linux's get_nodes reads it: maxnode - 1
 * bits, past MAX_NUMNODES all zero (EINVAL), a page of them at most.  An
 * i386 call's is read in 32-bit words (compat_get_bitmap): as many bytes
 * as its bits take, rounded to 4, at the 64-bit word offsets Linux uses. */
static int64_t get_nodes(struct sys_ctx *c, uint64_t *mask, uint64_t unodes, uint64_t maxnode)
{
    uint64_t wbits = c->i386 ? 32 : 64;
    memset(mask, 0, MAX_NUMNODES / 8);
    if (--maxnode == 0 || !unodes)
        return 0;
    if (maxnode > PAGE * 8)
        return -LINUX_EINVAL;
    while (maxnode > MAX_NUMNODES) { /* Linux's word by word, from the top */
        uint64_t bits = maxnode < 64 ? maxnode : 64, t = 0;
        if (mem_in(c->p, &t, unodes + (maxnode - 1) / 64 * 8, (bits + wbits - 1) / wbits * (wbits / 8)) < 0)
            return -LINUX_EFAULT;
        maxnode = maxnode - bits >= MAX_NUMNODES ? maxnode - bits : MAX_NUMNODES;
        if (t)
            return -LINUX_EINVAL;
    }
    if (mem_in(c->p, mask, unodes, (maxnode + wbits - 1) / wbits * (wbits / 8)) < 0)
        return -LINUX_EFAULT;
    if (maxnode % 64)
        mask[maxnode / 64] &= (1ull << (maxnode % 64)) - 1;
    return 0;
}

/* Linux's sanitize_mpol_flags, mpol_new and mpol_set_nodemask on one
 * node: the policy a mode and a mask make (none for MPOL_DEFAULT), or
 * EINVAL. */
static int64_t mpol_make(int mode, const uint64_t *mask, struct mpol *pol)
{
    int flags = mode & MPOL_MODE_FLAGS;
    bool any = false;
    mode &= ~MPOL_MODE_FLAGS;
    for (int i = 0; i < MAX_NUMNODES / 64; i++)
        any |= mask[i] != 0;
    if ((unsigned)mode >= MPOL_MAX || (flags & MPOL_F_STATIC_NODES && flags & MPOL_F_RELATIVE_NODES) ||
        (flags & MPOL_F_NUMA_BALANCING && mode != MPOL_BIND))
        return -LINUX_EINVAL;
    *pol = (struct mpol){0};
    if (mode == MPOL_DEFAULT)
        return any ? -LINUX_EINVAL : 0;
    bool user_mask = flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES);
    if (mode == MPOL_PREFERRED && !any) {
        if (user_mask)
            return -LINUX_EINVAL;
        mode = MPOL_LOCAL;
    } else if (mode == MPOL_LOCAL ? any || user_mask : !any) {
        return -LINUX_EINVAL;
    }
    /* relative nodes fold onto the nodes there are: any names node 0 */
    bool node0 = flags & MPOL_F_RELATIVE_NODES ? any : mask[0] & 1;
    if (mode != MPOL_LOCAL && !node0)
        return -LINUX_EINVAL;
    *pol = (struct mpol){true, (uint16_t)(mode | flags), mode == MPOL_LOCAL ? 0 : user_mask ? mask[0] : 1};
    return 0;
}

static int64_t sys_set_mempolicy(struct sys_ctx *c, int mode, uint64_t unodes, uint64_t maxnode)
{
    uint64_t mask[MAX_NUMNODES / 64];
    struct mpol pol;
    int64_t r = (mode & ~MPOL_MODE_FLAGS) >= MPOL_MAX || mode < 0 ? -LINUX_EINVAL : get_nodes(c, mask, unodes, maxnode);
    if (r == 0 && (r = mpol_make(mode, mask, &pol)) == 0)
        c->p->mpol = pol;
    return r;
}

/* Linux's copy_nodes_to_user with one node: a word at most (4 bytes for
 * an i386 call, compat_put_bitmap's), and zeros for the rest of what
 * maxnode asks (a page at most). */
static int64_t put_nodes(struct sys_ctx *c, uint64_t unodes, uint64_t maxnode, uint64_t nodes)
{
    static const char zeros[512];
    uint64_t copy = ((maxnode - 1) + 63) / 64 * 8, word = c->i386 ? 4 : 8;
    if (copy > word) {
        if (copy > PAGE)
            return -LINUX_EINVAL;
        for (uint64_t off = word; off < copy; off += sizeof zeros)
            if (mem_out(c->p, unodes + off, zeros, copy - off < sizeof zeros ? copy - off : sizeof zeros) < 0)
                return -LINUX_EFAULT;
        copy = word;
    } else if (c->i386) {
        copy = 4; /* compat_put_bitmap writes a word even for maxnode 1 */
    }
    return mem_out(c->p, unodes, &nodes, copy) < 0 ? -LINUX_EFAULT : 0;
}

/* The policy (mode, nodes) that get_mempolicy reports, into *mode. */
static int64_t policy_of(struct sys_ctx *c, uint64_t addr, uint64_t flags, int *mode, uint64_t *nodes)
{
    const struct mpol *pol = &c->p->mpol;
    *mode = 0, *nodes = 0;
    if (flags & ~(uint64_t)(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED))
        return -LINUX_EINVAL;
    if (flags & MPOL_F_MEMS_ALLOWED) {
        *nodes = 1;
        return flags & (MPOL_F_NODE | MPOL_F_ADDR) ? -LINUX_EINVAL : 0;
    }
    if (flags & MPOL_F_ADDR) {
        struct vma *v = mm_find(c->p, addr);
        if (!v)
            return -LINUX_EFAULT;
        pol = &v->mpol;
    } else if (addr) {
        return -LINUX_EINVAL;
    }
    if (flags & MPOL_F_NODE) { /* the node of the page at addr, or the next an interleave takes */
        if (flags & MPOL_F_ADDR)
            return mm_find(c->p, addr)->prot & (PROT_READ | PROT_WRITE | PROT_EXEC) ? 0 : -LINUX_EFAULT;
        if (!pol->set || (pol->mode & ~MPOL_MODE_FLAGS) != MPOL_INTERLEAVE)
            return -LINUX_EINVAL;
    } else if (pol->set) {
        *mode = pol->mode;
    }
    *nodes = pol->set ? pol->nodes : 0;
    return 0;
}

static int64_t sys_get_mempolicy(struct sys_ctx *c, uint64_t umode, uint64_t unodes, uint64_t maxnode, uint64_t addr,
                                 uint64_t flags)
{
    int mode;
    uint64_t nodes;
    if (unodes && maxnode < 1)
        return -LINUX_EINVAL;
    int64_t r = policy_of(c, addr, flags, &mode, &nodes);
    if (r < 0)
        return r;
    if (umode && mem_out(c->p, umode, &mode, sizeof mode) < 0)
        return -LINUX_EFAULT;
    return unodes ? put_nodes(c, unodes, maxnode, nodes) : 0;
}

/* Whether [start, end) is mapped without a hole (holes_ok: some of it). */
static bool range_mapped(struct proc *p, uint64_t start, uint64_t end, bool holes_ok)
{
    bool some = false;
    uint64_t at = start;
    for (struct vma *v = p->mm->vmas; v && v->start < end; v = v->next) {
        if (v->end <= start)
            continue;
        if (v->start > at && !holes_ok)
            return false;
        some = true, at = v->end;
    }
    return some && (holes_ok || at >= end);
}

static int64_t sys_mbind(struct sys_ctx *c, uint64_t addr, uint64_t len, int mode, uint64_t unodes, uint64_t maxnode,
                         uint32_t flags)
{
    uint64_t mask[MAX_NUMNODES / 64], end = addr + ((len + PAGE - 1) & ~(PAGE - 1));
    struct mpol pol;
    int64_t r = (mode & ~MPOL_MODE_FLAGS) >= MPOL_MAX || mode < 0 ? -LINUX_EINVAL : get_nodes(c, mask, unodes, maxnode);
    if (r < 0)
        return r;
    if (flags & ~(uint32_t)(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))
        return -LINUX_EINVAL;
    if ((flags & MPOL_MF_MOVE_ALL) && !cred_capable(&c->p->cred, CAP_SYS_NICE))
        return -LINUX_EPERM;
    if ((addr & (PAGE - 1)) || end < addr)
        return -LINUX_EINVAL;
    if (end == addr)
        return 0;
    if ((r = mpol_make(mode, mask, &pol)) < 0)
        return r;
    if (!range_mapped(c->p, addr, end, !pol.set))
        return -LINUX_EFAULT;
    struct mm *mm = c->p->mm;
    if (mm_split(mm, addr) < 0 || mm_split(mm, end) < 0)
        return -LINUX_ENOMEM;
    for (struct vma *v = mm->vmas; v; v = v->next)
        if (v->start >= addr && v->end <= end)
            v->mpol = pol;
    return 0;
}

/* Only areas of MPOL_BIND or MPOL_PREFERRED_MANY take a home node, and
 * node 0 is the only one; areas without a policy are passed over, and
 * when no area had one the answer is ENOENT. */
static int64_t sys_set_mempolicy_home_node(struct sys_ctx *c, uint64_t addr, uint64_t len, uint64_t home_node,
                                           uint64_t flags)
{
    uint64_t end = addr + ((len + PAGE - 1) & ~(PAGE - 1));
    if ((addr & (PAGE - 1)) || flags || home_node != 0 || end < addr)
        return -LINUX_EINVAL;
    if (end == addr)
        return 0;
    int64_t r = -LINUX_ENOENT;
    for (struct vma *v = c->p->mm->vmas; v && v->start < end; v = v->next) {
        if (v->end <= addr || !v->mpol.set)
            continue;
        int mode = v->mpol.mode & ~MPOL_MODE_FLAGS;
        if (mode != MPOL_BIND && mode != MPOL_PREFERRED_MANY)
            return -LINUX_EOPNOTSUPP;
        r = 0;
    }
    return r;
}

/* The process pid names (0: the caller), which the caller may read as
 * ptrace would: NULL with *err set. */
static struct proc *mpol_target(struct sys_ctx *c, int pid, int64_t *err)
{
    struct proc *t = pid ? (pid > 0 ? pidns_find(c->p, pid) : NULL) : c->p;
    *err = -LINUX_ESRCH;
    if (t && !proc_may_ptrace(c->p, t))
        *err = -LINUX_EPERM, t = NULL;
    return t && t->zombie ? NULL : t;
}

static int64_t sys_migrate_pages(struct sys_ctx *c, int pid, uint64_t maxnode, uint64_t uold, uint64_t unew)
{
    uint64_t old[MAX_NUMNODES / 64], new[MAX_NUMNODES / 64], other = 0;
    int64_t r = get_nodes(c, old, uold, maxnode), err;
    if (r < 0 || (r = get_nodes(c, new, unew, maxnode)) < 0)
        return r;
    if (!mpol_target(c, pid, &err))
        return err;
    for (int i = 0; i < MAX_NUMNODES / 64; i++)
        other |= i ? new[i] : new[i] & ~1ull;
    if (other && !cred_capable(&c->p->cred, CAP_SYS_NICE))
        return -LINUX_EPERM; /* nodes the process may not use */
    return new[0] & 1 ? 0 : -LINUX_EINVAL;
}

/* Each page's node (0) or error: -EFAULT outside every area, -ENOENT
 * not there yet.  With nodes, each wanted node must be 0 (ENODEV). */
static int64_t sys_move_pages(struct sys_ctx *c, int pid, uint64_t count, uint64_t upages, uint64_t unodes,
                              uint64_t ustatus, int flags)
{
    int64_t err;
    if (flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))
        return -LINUX_EINVAL;
    if ((flags & MPOL_MF_MOVE_ALL) && !cred_capable(&c->p->cred, CAP_SYS_NICE))
        return -LINUX_EPERM;
    struct proc *t = mpol_target(c, pid, &err);
    if (!t)
        return err;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t va = 0, ws = c->i386 ? 4 : 8; /* an i386 call's pages are 32-bit pointers */
        int node = 0, status;
        if (mem_in(c->p, &va, upages + i * ws, ws) < 0 || (unodes && mem_in(c->p, &node, unodes + i * 4, 4) < 0))
            return -LINUX_EFAULT;
        if (node != 0)
            return -LINUX_ENODEV;
        struct vma *v = mm_find(t, va);
        status = !v ? -LINUX_EFAULT : mm_present(t, va & ~(PAGE - 1)) ? 0 : -LINUX_ENOENT;
        if (mem_out(c->p, ustatus + i * 4, &status, 4) < 0)
            return -LINUX_EFAULT;
    }
    return 0;
}
