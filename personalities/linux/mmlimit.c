/*
 * personalities/linux/mmlimit.c - a process's memory against its limits,
 * as Linux 6.1 holds it: the bytes of its areas (total_vm) and of those
 * that are data (data_vm: private, writable, not the stack), kept as
 * totals that every change of an area adds to or takes from
 * (mm_account, from mm.c's mm_insert, mm_carve, mprotect and mremap's
 * growth in place); may_expand_vm's check of them against RLIMIT_AS and
 * RLIMIT_DATA, which mmap, mremap, brk, shmat and a stack's growth make
 * first; the main stack, which starts at Linux's size and grows down on
 * faults within RLIMIT_STACK; where mmap searches from below it; the
 * room brk leaves below the next area (a page, a stack's guard gap); and the
 * locked areas against RLIMIT_MEMLOCK (their bytes, Linux's locked_vm,
 * counted from the areas when asked).
 *
 * Entry points: mm.h's "limits".  Layer: mm.  Book: docs/linux.md,
 * "Memory".
 */
#include "mm.h"
#include "proc.h"
#include "sysctl.h"

#define PAGE 4096ull
#define STACK_GUARD_GAP (256 * PAGE) /* Linux's stack_guard_gap */
#define STACK_EXPAND (128ull << 10)  /* setup_arg_pages's stack_expand */
#define MMAP_MIN_ADDR 0x10000ull     /* /proc/sys/vm/mmap_min_addr */

bool mm_vma_is_data(const struct vma *v)
{
    return (v->prot & PROT_WRITE) && !v->shm_id && !v->file_shared && !v->grows_down;
}

void mm_account(struct mm *mm, const struct vma *v, uint64_t len, int sign)
{
    uint64_t d = sign < 0 ? -len : len;
    mm->total_vm += d;
    if (mm_vma_is_data(v))
        mm->data_vm += d;
    if (v->account) { /* committed (overcommit.c) */
        mm->committed += d;
        mm_charge(sign < 0 ? -(int64_t)len : (int64_t)len);
    }
}

/* Counted in pages, as Linux's: a limit's part page is no room. */
bool mm_may_expand(struct proc *p, bool data, uint64_t n)
{
    const struct mm *mm = p->mm;
    const uint64_t(*rlim)[2] = proc_group(p)->rlim;
    uint64_t pages = n / PAGE;
    if (mm->total_vm / PAGE + pages > rlim[RLIMIT_AS][0] / PAGE)
        return false;
    if (data && mm->data_vm / PAGE + pages > rlim[RLIMIT_DATA][0] / PAGE)
        return !rlim[RLIMIT_DATA][0] && mm->data_vm / PAGE + pages <= rlim[RLIMIT_DATA][1] / PAGE; /* Valgrind's 0 */
    return true;
}

int mm_map_count(const struct mm *mm)
{
    if ((int64_t)mm->nr_vmas + 4 < sysctl_max_map_count)
        return (int)mm->nr_vmas; /* Linux's [vvar] is its one area more */
    int n = 0;
    for (const struct vma *v = mm->vmas, *below = NULL; v; below = v, v = v->next)
        n += !below || !mm_mergeable(below, v);
    return n;
}

uint64_t mm_locked(const struct mm *mm, uint64_t start, uint64_t end)
{
    uint64_t n = 0;
    for (const struct vma *v = mm->vmas; v && v->start < end; v = v->next)
        if (v->locked && !v->vdso && v->end > start)
            n += (v->end < end ? v->end : end) - (v->start > start ? v->start : start);
    return n;
}

bool mm_can_lock(struct proc *p)
{
    return proc_group(p)->rlim[RLIMIT_MEMLOCK][0] != 0 || cred_capable(&p->cred, CAP_IPC_LOCK);
}

bool mm_lock_room(struct proc *p, uint64_t n)
{
    uint64_t pages = mm_locked(p->mm, 0, ~0ull) / PAGE + n / PAGE;
    return pages <= proc_group(p)->rlim[RLIMIT_MEMLOCK][0] / PAGE || cred_capable(&p->cred, CAP_IPC_LOCK);
}

int64_t mm_lock_refused(struct proc *p, bool map_locked, uint64_t len)
{
    if (map_locked && !mm_can_lock(p))
        return -LINUX_EPERM;
    return (map_locked || p->mm->lock_future) && !mm_lock_room(p, len) ? -LINUX_EAGAIN : 0;
}

struct vma *mm_find_grow(struct proc *p, uint64_t addr)
{
    struct vma *prev = NULL, *v = p->mm->vmas;
    while (v && v->end <= addr)
        prev = v, v = v->next;
    if (!v || v->start <= addr)
        return v;
    uint64_t page = addr & ~(PAGE - 1), grow = v->start - page;
    if (!v->grows_down || page < MMAP_MIN_ADDR)
        return NULL;
    if (prev && !prev->grows_down && prev->prot && page - prev->end < STACK_GUARD_GAP)
        return NULL; /* the guard gap above an accessible area below */
    if (!mm_may_expand(p, false, grow) || v->end - page > proc_group(p)->rlim[RLIMIT_STACK][0] ||
        (v->account && !mm_enough_memory(p, grow)))
        return NULL; /* acct_stack_growth's ENOMEM: the fault is a SIGSEGV */
    mm_account(p->mm, v, grow, 1);
    v->start = page;
    return v;
}

void mm_stack_trim(struct proc *p, struct vma *stack, uint64_t sp)
{
    uint64_t low = sp & ~(PAGE - 1), rlim = proc_group(p)->rlim[RLIMIT_STACK][0] & ~(PAGE - 1);
    uint64_t start = stack->end - low + STACK_EXPAND > rlim ? stack->end - rlim : low - STACK_EXPAND;
    if (start > low)
        start = low; /* a limit below the image's size: the image's pages only */
    if (start > stack->start)
        mm_carve(p->mm, stack->start, start); /* nothing is mapped there yet */
}

/* Linux's x86 mmap_base without randomization (a gap close to
 * RLIM_INFINITY takes no pad; it is then the largest). */
uint64_t mm_mmap_base(uint64_t top, uint64_t rlim)
{
    uint64_t gap = rlim, min = 128ull << 20, max = top / 6 * 5;
    if (gap + STACK_GUARD_GAP > gap)
        gap += STACK_GUARD_GAP;
    gap = gap < min ? min : gap > max ? max : gap;
    return (top - gap + PAGE - 1) & ~(PAGE - 1);
}

bool mm_brk_room(const struct mm *mm, uint64_t from, uint64_t to)
{
    for (const struct vma *v = mm->vmas; v; v = v->next)
        if (v->end > from && to + PAGE + (v->grows_down ? STACK_GUARD_GAP : 0) > v->start)
            return false;
    return true;
}
