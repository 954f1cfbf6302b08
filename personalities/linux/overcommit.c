/*
 * personalities/linux/overcommit.c - the memory programs have committed
 * and the check vm.overcommit_memory makes of each new commitment, as
 * Linux 6.1's vm_committed_as and __vm_enough_memory.
 *
 * What counts (Linux's VM_ACCOUNT and shmem_acct_size): a private
 * writable mapping (an anonymous one, a file's, the heap brk grows, the
 * stack, a program's writable segments), a private area mprotect makes
 * writable, mremap's growth of such an area, shared anonymous memory and
 * SysV shared memory (charged for their size when made, given back when
 * their file goes).  MAP_NORESERVE (and shmget's SHM_NORESERVE) leaves
 * them out, in modes 0 and 1 only.  An area's bytes come and go with it
 * (mm_account, mmlimit.c); a fork's copy charges the parent's again.
 *
 * The check of n more pages, made before they are added: mode 1 takes
 * everything; mode 0 refuses a single commitment above the memory there
 * is (no swap here); mode 2 takes it while what is committed with it
 * stays below CommitLimit (overcommit_kbytes, else overcommit_ratio
 * percent of memory), less admin_reserve_kbytes for a caller without
 * CAP_SYS_ADMIN and the smaller of user_reserve_kbytes and a
 * thirty-second of the caller's address space.  A refusal is ENOMEM (a
 * stack growing is a SIGSEGV).  Memory itself is never overcommitted
 * here (a page is found at first touch or the fault fails): the count is
 * Linux's, for meminfo's Committed_AS and mode 2.  A fork's copy of a
 * memory map is made here too (mm_copy), its charged areas charged again.  Not counted: tmpfs
 * files' own pages (Linux charges them page by page as they come).
 *
 * Entry points: mm_enough_memory, mm_charge, mm_total_pages, mm_committed,
 * mm_copy (mm.h).  Callers: mm.c, mmlimit.c, mmcalls.c, mmap.c, sysvshm.c,
 * procinfo.c, fork.c.  Layer: mm.  Book: docs/linux.md, "Memory".
 */
#include "mm.h"
#include "proc.h"
#include "procfs.h"
#include "sysctl.h"
#include <stdlib.h>

#define PAGE 4096ull

static int64_t committed_pages; /* Linux's vm_committed_as */

uint64_t mm_total_pages(void)
{
    static uint64_t total; /* the machine's memory does not change */
    if (!total) {
        struct persona_memstats ms = {0, 0};
        sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
        total = ms.total_bytes / PAGE;
    }
    return total;
}

uint64_t mm_committed(void) { return committed_pages > 0 ? (uint64_t)committed_pages * PAGE : 0; }

void mm_charge(int64_t bytes) { committed_pages += bytes / (int64_t)PAGE; }

bool mm_enough_memory(struct proc *p, uint64_t bytes)
{
    int64_t pages = (int64_t)((bytes + PAGE - 1) / PAGE);
    if (sysctl_overcommit_memory == 1) /* OVERCOMMIT_ALWAYS */
        return true;
    if (sysctl_overcommit_memory == 0) /* OVERCOMMIT_GUESS: no more than there is (no swap) */
        return (uint64_t)pages <= mm_total_pages();
    sysctl_sized(); /* the reserves */
    int64_t allowed = (int64_t)(procinfo_commit_limit_kb() / 4);
    if (!cred_capable(&p->cred, CAP_SYS_ADMIN))
        allowed -= (int64_t)(sysctl_admin_reserve_kbytes / 4);
    if (p->mm) {
        int64_t reserve = (int64_t)(sysctl_user_reserve_kbytes / 4), share = (int64_t)(p->mm->total_vm / PAGE / 32);
        allowed -= share < reserve ? share : reserve;
    }
    return committed_pages + pages < allowed;
}

int mm_copy(struct mm *dst, struct proc *parent, uint64_t resident)
{
    const struct mm *src = parent->mm;
    *dst = *src;
    dst->vmas = dst->hint = NULL; /* the count is src's, as the copies are */
    dst->committed = 0;           /* charged once every copy is made */
    dst->lock_future = dst->lock_future_onfault = false;
    /* a fork's: from what it holds, as Linux's dup_mm: the parent's pages,
     * all of them shared copy-on-write (unknown, 0: the child counts its own) */
    dst->hiwater = resident, dst->rss_grown = !resident;
    struct vma **tail = &dst->vmas;
    for (const struct vma *v = src->vmas; v; v = v->next) {
        struct vma *c = malloc(sizeof *c);
        if (!c)
            return -LINUX_ENOMEM;
        *c = *v;
        c->next = NULL;
        c->locked = c->lock_onfault = false; /* a fork's child holds no locks (Linux's dup_mmap) */
        *tail = c;
        tail = &c->next;
    }
    /* The charged areas are charged again (dup_mmap's), those a fork does not copy apart (mm_forked takes
     * them out, uncharged as they go) */
    uint64_t charge = src->committed, kept = 0;
    for (const struct vma *v = src->vmas; v; v = v->next)
        kept += v->account && !v->dontfork ? v->end - v->start : 0;
    if (!mm_enough_memory(parent, kept))
        return -LINUX_ENOMEM;
    dst->committed = charge;
    mm_charge((int64_t)charge);
    return 0;
}
