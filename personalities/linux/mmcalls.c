/*
 * personalities/linux/mmcalls.c - the memory calls beyond mmap, on mm.c's
 * areas: mremap (shrink, grow in place, move: the pages go with the area
 * through the kernel's mem_share, SHARE_MOVE for private pages, a second
 * mapping for shared ones, and what was never touched stays untouched,
 * to fill from its file or with zeros at the new place), madvise, msync,
 * mincore, membarrier, remap_file_pages, the lock calls (mlock, mlock2,
 * munlock, mlockall, munlockall: the areas marked locked), and what a
 * fork does with MADV_DONTFORK and MADV_WIPEONFORK areas.
 *
 * Entry points: mm_forked (fork.c), mm_madvise (process_madvise,
 * procmem.c), mm_mergeable; the calls mremap, madvise, msync, mincore,
 * membarrier, remap_file_pages, mlock, mlock2, munlock, mlockall,
 * munlockall.  Layer: mm, over fs.  Book: docs/linux.md, "Memory".
 */
#include "mm.h"
#include "proc.h"
#include "sysctl.h"
#include "userfaultfd.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/mmcalls.h" /* generated: the handlers' prototypes, entries */

#define PAGE 4096ull
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))

/* The first area that ends above addr (Linux's find_vma), or NULL. */
static struct vma *area_from(struct mm *mm, uint64_t addr)
{
    struct vma *v = mm->vmas;
    while (v && v->end <= addr)
        v = v->next;
    return v;
}

/* Two areas side by side that Linux would hold as one: the same kind and
 * protection, and for a file or shared memory, the offsets following on
 * (a file's bytes reaching the end of the first).  mm.c keeps an area per
 * mmap, brk or split; mremap works on what Linux would have merged. */
bool mm_mergeable(const struct vma *a, const struct vma *b)
{
    if (a->end != b->start || a->prot != b->prot || a->grows_down != b->grows_down || a->lazy != b->lazy ||
        a->file != b->file || a->file_sized != b->file_sized || a->shm_id != b->shm_id ||
        a->dontfork != b->dontfork || a->wipeonfork != b->wipeonfork || a->anon_name != b->anon_name ||
        a->locked != b->locked || a->lock_onfault != b->lock_onfault || a->account != b->account ||
        a->noreserve != b->noreserve)
        return false;
    if (!a->file && !a->shm_id)
        return true;
    return a->file_off + (a->end - a->start) == b->file_off && (!a->file || a->file_end >= a->end);
}

void mm_merge_after(struct mm *mm, struct vma *v)
{
    for (struct vma *n; (n = v->next) && mm_mergeable(v, n);) {
        v->end = n->end, v->file_end = n->file_end, v->next = n->next;
        mm->hint = mm->hint == n ? v : mm->hint;
        mm->nr_vmas--;
        free(n);
    }
}

/* Moves the pages there are of p's private [from, from+len) to to, as
 * they are (the kernel moves the frames): at once when all are there,
 * else one by one, the untouched ones staying untouched. */
static long move_pages(struct proc *p, uint64_t from, uint64_t to, uint64_t len, int prot)
{
    int how = (prot & 7) | SHARE_MOVE;
    if (sys_mem_share(p->task, from, p->task, to, len, how) == 0)
        return 0;
    for (uint64_t off = 0; off < len; off += PAGE) {
        long r = mm_present(p, from + off) ? sys_mem_share(p->task, from + off, p->task, to + off, PAGE, how) : 0;
        if (r < 0)
            return r;
    }
    return 0;
}

/* mremap's checks of the area v holding addr, before it grows or moves. */
static int64_t remap_valid(const struct vma *v, uint64_t addr, uint64_t old_len)
{
    if (!old_len && !v->file_shared)
        return -LINUX_EINVAL; /* a copy of a private mapping: Linux refuses it */
    return old_len > v->end - addr ? -LINUX_EFAULT : 0;
}

/* [addr, addr+old_len) of area v to a new area [to, to+new_len), new_len
 * at least old_len; the old range is unmapped unless MREMAP_DONTUNMAP. */
static int64_t move(struct proc *p, struct vma *v, uint64_t addr, uint64_t old_len, uint64_t new_len, uint64_t to,
                    uint64_t flags)
{
    struct mm *mm = p->mm;
    if (mm_map_count(mm) >= sysctl_max_map_count - 3)
        return -LINUX_ENOMEM; /* Linux's move_vma: room for a split into three first */
    struct vma *n = malloc(sizeof *n);
    if (!n || mm_split(mm, addr) < 0 || mm_split(mm, addr + old_len) < 0) {
        free(n);
        return -LINUX_ENOMEM;
    }
    v = mm_find(p, addr);
    *n = *v;
    n->start = to, n->end = to + new_len, n->file_off = v->file_off + (addr - v->start), n->next = NULL;
    n->file_end = v->file_end > addr ? to + (v->file_end - addr) : to;
    /* a shared mapping's pages are its file's: the new place maps them afresh (old_len 0: a copy) */
    long r = v->file_shared ? 0 : move_pages(p, addr, to, old_len, v->prot);
    if (r < 0) {
        move_pages(p, to, addr, old_len, v->prot); /* back where they were */
        sys_mem_unmap(p->task, to, new_len);
        free(n);
        return -LINUX_ENOMEM;
    }
    if (!(flags & MREMAP_DONTUNMAP) && old_len)
        mm_unmap(p, addr, old_len); /* whole areas now: no allocation, no failure */
    else if (v->file)
        mm_file_refresh(v); /* emptied, it fills from the file as it is now */
    if (flags & MREMAP_DONTUNMAP)
        v->locked = v->lock_onfault = false; /* the lock moved with the pages */
    mm_insert(mm, n);
    if (n->file) /* the file's bytes reach as far as the file goes, into a grown part too */
        mm_file_refresh(n);
    return (int64_t)to;
}

/* MREMAP_FIXED or MREMAP_DONTUNMAP: always to a new place. */
static int64_t remap_to(struct proc *p, uint64_t addr, uint64_t old_len, uint64_t new_len, uint64_t flags,
                        uint64_t new_addr)
{
    if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
        return -LINUX_EINVAL;
    if (addr + old_len > new_addr && new_addr + new_len > addr)
        return -LINUX_EINVAL; /* the old and new ranges overlap */
    if (mm_map_count(p->mm) + 2 >= sysctl_max_map_count - 3)
        return -LINUX_ENOMEM; /* Linux's: room for both places split in three, and move_vma's own check */
    if ((flags & MREMAP_FIXED) && mm_unmap(p, new_addr, new_len) < 0)
        return -LINUX_ENOMEM;
    if (old_len > new_len) {
        if (mm_unmap(p, addr + new_len, old_len - new_len) < 0)
            return -LINUX_ENOMEM;
        old_len = new_len;
    }
    struct vma *v = mm_find(p, addr);
    if (!v)
        return -LINUX_EFAULT;
    int64_t err = remap_valid(v, addr, old_len);
    if (err)
        return err;
    if (v->locked && !mm_lock_room(p, new_len - old_len))
        return -LINUX_EAGAIN; /* a locked area's growth past RLIMIT_MEMLOCK */
    /* the growth, and with MREMAP_DONTUNMAP the new copy, within RLIMIT_AS and RLIMIT_DATA */
    uint64_t grow = new_len - old_len + (flags & MREMAP_DONTUNMAP ? old_len : 0);
    if (!mm_may_expand(p, mm_vma_is_data(v), grow) || (v->account && !mm_enough_memory(p, grow)))
        return -LINUX_ENOMEM; /* and a charged area's growth past the overcommit check */
    if (!(flags & MREMAP_FIXED) && (!new_addr || !mm_range_free(p->mm, new_addr, new_addr + new_len)))
        new_addr = mm_gap(p->mm, new_len); /* MREMAP_DONTUNMAP's new_addr is a hint */
    return new_addr ? move(p, v, addr, old_len, new_len, new_addr, flags) : -LINUX_ENOMEM;
}

static int64_t sys_mremap(struct sys_ctx *c, uint64_t addr, uint64_t old_len, uint64_t new_len, uint64_t flags,
                          uint64_t new_addr)
{
    struct proc *p = c->p;
    bool to = flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
    if ((flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) || (addr & (PAGE - 1)) ||
        !PAGE_UP(new_len) || PAGE_UP(new_len) > TASK_SIZE)
        return -LINUX_EINVAL;
    if (to && ((new_addr & (PAGE - 1)) || !(flags & MREMAP_MAYMOVE) ||
               ((flags & MREMAP_DONTUNMAP) && old_len != new_len)))
        return -LINUX_EINVAL;
    old_len = PAGE_UP(old_len), new_len = PAGE_UP(new_len);
    struct vma *v = mm_find(p, addr);
    if (!v)
        return -LINUX_EFAULT;
    mm_merge_after(p->mm, v);
    if (to)
        return remap_to(p, addr, old_len, new_len, flags, new_addr);
    if (new_len <= old_len)
        return new_len == old_len || mm_unmap(p, addr + new_len, old_len - new_len) == 0 ? (int64_t)addr
                                                                                          : -LINUX_ENOMEM;
    int64_t err = remap_valid(v, addr, old_len);
    if (err)
        return err;
    if (v->locked && !mm_lock_room(p, new_len - old_len))
        return -LINUX_EAGAIN; /* a locked area's growth past RLIMIT_MEMLOCK */
    if (!mm_may_expand(p, mm_vma_is_data(v), new_len - old_len)) /* Linux's vma_to_resize */
        return -LINUX_ENOMEM;
    if (v->account && !mm_enough_memory(p, new_len - old_len))
        return -LINUX_ENOMEM; /* a charged area's growth, past the overcommit check */
    uint64_t more = new_len - old_len, end = v->end;
    if (end - addr == old_len && more <= TASK_SIZE - end && mm_range_free(p->mm, end, end + more)) {
        v->end += more; /* in place */
        mm_account(p->mm, v, more, 1);
        if (v->file)
            mm_file_refresh(v);
        return (int64_t)addr;
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -LINUX_ENOMEM;
    uint64_t at = mm_gap(p->mm, new_len);
    return at ? move(p, v, addr, old_len, new_len, at, flags) : -LINUX_ENOMEM;
}

/* madvise's advice as Linux takes it: 1 applied or a hint (Persona has
 * no swap, huge pages or core dumps, and its frames are never reclaimed,
 * so the hints change nothing: on Linux too they change no contents), 0
 * unknown.  MADV_COLLAPSE (no huge pages), MADV_HWPOISON and
 * MADV_SOFT_OFFLINE (no memory failure handling), the guard regions
 * (102, 103) and, as in a Linux built without CONFIG_KSM (ikconfig.c
 * lists it not set), MADV_MERGEABLE and MADV_UNMERGEABLE are not taken. */
static bool advice_known(int advice)
{
    return (advice >= MADV_NORMAL && advice <= MADV_WILLNEED) || advice == MADV_DONTNEED ||
           (advice >= MADV_FREE && advice <= MADV_DONTNEED_LOCKED && advice != MADV_MERGEABLE &&
            advice != MADV_UNMERGEABLE);
}

/* MADV_REMOVE of [start, end) of area v, a file mapped shared that may
 * become writable: fallocate's PUNCH_HOLE | KEEP_SIZE of those bytes. */
static int64_t punch(struct vma *v, uint64_t start, uint64_t end)
{
    struct inode *ino = v->file;
    if (!ino->fs->iops || !ino->fs->iops->punch)
        return -LINUX_EOPNOTSUPP;
    if (ino->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
        return -LINUX_EPERM;
    uint64_t off = v->file_off + (start - v->start);
    mm_file_punching(ino, off, end - start);
    ino->fs->iops->punch(ino, off, end - start);
    return 0;
}

/* The advice for [start, end), all in area v. */
static int64_t advise(struct proc *p, struct vma *v, uint64_t start, uint64_t end, int advice)
{
    bool anon = !v->file && !v->shm_id;
    if (v->locked && (advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE ||
                      advice == MADV_COLD || advice == MADV_PAGEOUT))
        return -LINUX_EINVAL; /* pages a lock holds (Linux's can_madv_lru_vma) */
    switch (advice) {
    case MADV_DONTNEED:
    case MADV_DONTNEED_LOCKED:
        /* The pages go: the next touch fills them again, with zeros or from
         * the file; a shared mapping's are its file's, which keeps them. */
        if (v->file)
            mm_file_refresh(v);
        if (v->lazy || v->grows_down) {
            mm_hiwater(p);
            sys_mem_unmap(p->task, start, end - start);
        }
        return 0;
    case MADV_FREE: /* free when memory is short: never here, so nothing */
        return anon ? 0 : -LINUX_EINVAL;
    case MADV_REMOVE: /* a hole punched in shared memory, or in a file mapped shared, writably */
        if (!v->file)
            return -LINUX_EINVAL;
        return !v->file_shared || v->no_write ? -LINUX_EACCES : punch(v, start, end); /* Linux's VM_MAYWRITE */
    case MADV_WIPEONFORK:
        if (!anon)
            return -LINUX_EINVAL;
        /* fall through */
    case MADV_KEEPONFORK:
    case MADV_DONTFORK:
    case MADV_DOFORK:
        if (mm_split(p->mm, start) < 0 || mm_split(p->mm, end) < 0)
            return -LINUX_EAGAIN; /* Linux's madvise_vma_behavior: a split's ENOMEM is "try again" */
        for (v = mm_find(p, start); v && v->start < end; v = v->next) {
            if (advice == MADV_WIPEONFORK || advice == MADV_KEEPONFORK)
                v->wipeonfork = advice == MADV_WIPEONFORK;
            else
                v->dontfork = advice == MADV_DONTFORK;
        }
        return 0;
    default: /* hints */
        return 0;
    }
}

/* MADV_POPULATE_READ and _WRITE: the pages made present, as a read or a
 * write would; a hole is ENOMEM, an access the area refuses EINVAL. */
static int64_t populate(struct proc *p, uint64_t start, uint64_t end, bool write)
{
    for (uint64_t a = start; a < end;) {
        struct vma *v = mm_find(p, a);
        if (!v)
            return -LINUX_ENOMEM;
        if (!(v->prot & (write ? PROT_WRITE : PROT_READ)))
            return -LINUX_EINVAL;
        uint64_t e = v->end < end ? v->end : end;
        if (mm_populate(p, a, e - a) < 0)
            return -LINUX_ENOMEM;
        a = e;
    }
    return 0;
}

/* walk's advice when it has none: the areas looked at only, or, for
 * msync's MS_INVALIDATE, a locked one refused (EBUSY). */
#define WALK_CHECK (-1)
#define WALK_INVALIDATE (-2)

/* Linux's walk of the areas in [start, end) (madvise's, msync's): the
 * advice, if any (>= 0), on each area's part; a hole is skipped and makes
 * the answer ENOMEM at the end, or at once with hole_ends. */
static int64_t walk(struct proc *p, uint64_t start, uint64_t end, int advice, bool hole_ends)
{
    int64_t unmapped = 0;
    for (uint64_t a = start; a < end;) {
        struct vma *v = area_from(p->mm, a);
        if (!v || (a < v->start && (hole_ends || v->start >= end)))
            return -LINUX_ENOMEM;
        if (a < v->start)
            unmapped = -LINUX_ENOMEM, a = v->start;
        uint64_t e = v->end < end ? v->end : end;
        int64_t r = advice >= 0                            ? advise(p, v, a, e, advice)
                    : advice == WALK_INVALIDATE && v->locked ? -LINUX_EBUSY
                                                             : 0;
        if (r < 0)
            return r;
        a = e;
    }
    return unmapped;
}

int64_t mm_madvise(struct proc *p, uint64_t addr, uint64_t length, int advice)
{
    uint64_t len = PAGE_UP(length), end = addr + len;
    if (!advice_known(advice) || (addr & (PAGE - 1)) || (length && !len) || end < addr)
        return -LINUX_EINVAL;
    if (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE)
        return populate(p, addr, end, advice == MADV_POPULATE_WRITE);
    return walk(p, addr, end, advice, false);
}

static int64_t sys_madvise(struct sys_ctx *c, uint64_t addr, uint64_t length, int advice)
{
    return mm_madvise(c->p, addr, length, advice);
}

/* remap_file_pages, as Linux has emulated it since 4.0: a new shared
 * mapping of the same file, at pgoff, over [start, start+size), which
 * must lie in shared mappings of that one file with the same protection,
 * without holes.  prot must be 0; the flags other than MAP_NONBLOCK mean
 * nothing.  Shared anonymous memory's file is remapped the same way. */
static int64_t sys_remap_file_pages(struct sys_ctx *c, uint64_t start, uint64_t size, uint64_t prot, uint64_t pgoff,
                                    uint64_t flags)
{
    (void)flags;
    start &= ~(PAGE - 1), size &= ~(PAGE - 1);
    if (prot || start + size <= start || pgoff + size / PAGE < pgoff)
        return -LINUX_EINVAL;
    struct vma *v = mm_find(c->p, start);
    if (!v || !v->file_shared)
        return -LINUX_EINVAL;
    for (struct vma *w = v; w->end < start + size; w = w->next)
        if (!w->next || w->next->start != w->end || w->next->file != v->file || !w->next->file_shared ||
            w->next->prot != v->prot)
            return -LINUX_EINVAL;
    if (pgoff > (TASK_SIZE >> 12))
        return -LINUX_EINVAL;
    uint64_t shm_id = v->shm_id;
    int64_t r = mm_map(c->p, start, size, v->prot, MAP_SHARED | MAP_FIXED, v->file, pgoff * PAGE);
    if (r >= 0 && (v = mm_find(c->p, start)))
        v->shm_id = shm_id; /* still that shared memory (its futex keys) */
    return r < 0 ? r : 0;
}

/* ---- mlock and its kin: there is no swap, so a page in memory stays;
 * locking marks the areas (VM_LOCKED, which /proc's VmLck counts, and
 * which madvise's DONTNEED, FREE, REMOVE, COLD and PAGEOUT and msync's
 * MS_INVALIDATE then refuse) and brings their pages in now (MLOCK_ONFAULT,
 * MCL_ONFAULT: as touched).  The range must be mapped (ENOMEM), and the
 * locked bytes within RLIMIT_MEMLOCK unless root (CAP_IPC_LOCK): ENOMEM
 * past it, EPERM when it is 0.  The vDSO is never locked. */

#define MLOCK_ONFAULT 1
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

/* Locks (lock) or unlocks the areas in [start, end), all mapped; locking
 * without onfault brings their pages in. */
static int64_t set_locked(struct proc *p, uint64_t start, uint64_t end, bool lock, bool onfault)
{
    if (mm_split(p->mm, start) < 0 || mm_split(p->mm, end) < 0)
        return -LINUX_ENOMEM;
    for (struct vma *v = mm_find(p, start); v && v->start < end; v = v->next) {
        if (v->vdso)
            continue;
        v->locked = lock, v->lock_onfault = lock && onfault;
        if (lock && !onfault && (v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
            mm_populate(p, v->start, v->end - v->start); /* a page that cannot come is a later touch's concern */
    }
    return 0;
}

static int64_t lock_range(struct proc *p, uint64_t addr, uint64_t len, bool lock, bool onfault)
{
    uint64_t start = addr & ~(uint64_t)(PAGE - 1), bytes = PAGE_UP(len + (addr & (PAGE - 1))), end = start + bytes;
    if (lock && !mm_can_lock(p))
        return -LINUX_EPERM;
    /* as Linux: the limit first (what is locked already counting once), then the range */
    if (lock && !mm_lock_room(p, bytes - (end < start ? 0 : mm_locked(p->mm, start, end))))
        return -LINUX_ENOMEM;
    if (end < start)
        return -LINUX_EINVAL;
    if (end == start)
        return 0;
    /* Linux's apply_vma_lock_flags: the areas from start on, up to a hole (ENOMEM) */
    uint64_t mapped = start;
    for (struct vma *v = p->mm->vmas; v && mapped < end; v = v->next)
        if (v->start <= mapped && v->end > mapped)
            mapped = v->end;
    int64_t r = mapped > start ? set_locked(p, start, mapped < end ? mapped : end, lock, onfault) : 0;
    return r < 0 ? r : mapped < end ? -LINUX_ENOMEM : 0;
}

static int64_t sys_mlock(struct sys_ctx *c, uint64_t addr, uint64_t len)
{
    return lock_range(c->p, addr, len, true, false);
}

static int64_t sys_mlock2(struct sys_ctx *c, uint64_t addr, uint64_t len, int flags)
{
    if (flags & ~MLOCK_ONFAULT)
        return -LINUX_EINVAL;
    return lock_range(c->p, addr, len, true, flags & MLOCK_ONFAULT);
}

static int64_t sys_munlock(struct sys_ctx *c, uint64_t addr, uint64_t len)
{
    return lock_range(c->p, addr, len, false, false);
}

/* Linux's apply_mlockall_flags: MCL_FUTURE for the areas to come,
 * MCL_CURRENT for every area there is (without it, flags 0 from
 * munlockall, every area unlocked). */
static void lock_all(struct proc *p, int flags)
{
    struct mm *mm = p->mm;
    mm->lock_future = flags & MCL_FUTURE, mm->lock_future_onfault = mm->lock_future && (flags & MCL_ONFAULT);
    if ((flags & MCL_FUTURE) && !(flags & MCL_CURRENT))
        return;
    for (struct vma *v = mm->vmas; v; v = v->next)
        set_locked(p, v->start, v->end, flags & MCL_CURRENT, flags & MCL_ONFAULT); /* a whole area: no split */
}

static int64_t sys_mlockall(struct sys_ctx *c, int flags)
{
    if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
        return -LINUX_EINVAL;
    struct proc *p = c->p;
    if (!mm_can_lock(p))
        return -LINUX_EPERM;
    if ((flags & MCL_CURRENT) && !cred_capable(&p->cred, CAP_IPC_LOCK) &&
        p->mm->total_vm / PAGE > proc_group(p)->rlim[RLIMIT_MEMLOCK][0] / PAGE)
        return -LINUX_ENOMEM;
    lock_all(p, flags);
    return 0;
}

static int64_t sys_munlockall(struct sys_ctx *c)
{
    lock_all(c->p, 0);
    return 0;
}

/* There are no shared file mappings, so nothing to write back: msync
 * checks its arguments and the range, as Linux does. */
static int64_t sys_msync(struct sys_ctx *c, uint64_t addr, uint64_t length, int flags)
{
    if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (addr & (PAGE - 1)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return -LINUX_EINVAL;
    uint64_t end = addr + PAGE_UP(length);
    if (end < addr)
        return -LINUX_ENOMEM;
    /* MS_ASYNC alone has nothing to do past a hole */
    return walk(c->p, addr, end, flags & MS_INVALIDATE ? WALK_INVALIDATE : WALK_CHECK, flags == MS_ASYNC);
}

/* mincore's byte for the page at a of area v: 1 when the page is in
 * memory, as Linux counts it: mapped, or for a file the file's page (the
 * page cache: a tmpfs file's pages are always in memory). */
static unsigned char in_core(struct proc *p, const struct vma *v, uint64_t a)
{
    if (mm_present(p, a))
        return 1;
    return v->file && a < v->file_end && fs_page(v->file, (v->file_off + (a - v->start)) / PAGE) != NULL;
}

static int64_t sys_mincore(struct sys_ctx *c, uint64_t addr, uint64_t length, uint64_t uvec)
{
    if (addr & (PAGE - 1))
        return -LINUX_EINVAL;
    if (length > TASK_SIZE || addr > TASK_SIZE - length)
        return -LINUX_ENOMEM;
    uint64_t pages = length / PAGE + (length % PAGE != 0);
    if (uvec > TASK_SIZE || pages > TASK_SIZE - uvec)
        return -LINUX_EFAULT;
    unsigned char vec[512];
    while (pages) { /* as Linux: area by area, the bytes out before the next area is looked for */
        struct vma *v = mm_find(c->p, addr);
        if (!v)
            return -LINUX_ENOMEM;
        uint64_t n = (v->end - addr) / PAGE;
        n = n < pages ? n : pages;
        n = n < sizeof vec ? n : sizeof vec;
        for (uint64_t i = 0; i < n; i++)
            vec[i] = in_core(c->p, v, addr + i * PAGE);
        if (mem_out(c->p, uvec, vec, n) < 0)
            return -LINUX_EFAULT;
        pages -= n, uvec += n, addr += n * PAGE;
    }
    return 0;
}

void mm_forked(struct proc *child)
{
    uffd_forked(child);
    for (struct vma *v = child->mm->vmas, *n; v; v = n) {
        n = v->next;
        if (v->dontfork || v->wipeonfork) /* fewer pages than its parent's: its peak from its own count */
            child->mm->hiwater = 0, child->mm->rss_grown = true;
        if (v->dontfork)
            mm_unmap(child, v->start, v->end - v->start); /* a whole area: no failure */
        else if (v->wipeonfork)
            sys_mem_unmap(child->task, v->start, v->end - v->start); /* private and anonymous: refilled with zeros */
    }
}

/* membarrier's registrations in struct mm, as Linux's MEMBARRIER_STATE_*. */
enum {
    MB_PRIVATE_READY = 1 << 0, MB_PRIVATE = 1 << 1, MB_GLOBAL_READY = 1 << 2, MB_GLOBAL = 1 << 3,
    MB_SYNC_CORE_READY = 1 << 4, MB_SYNC_CORE = 1 << 5,
};
/* What Persona takes: every command but the rseq ones, since there is no
 * rseq (as a Linux built without CONFIG_RSEQ). */
#define MEMBARRIER_SUPPORTED                                                                                       \
    (MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED | MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED |            \
     MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |                                  \
     MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE |              \
     MEMBARRIER_CMD_GET_REGISTRATIONS)

/* The machine has one CPU, and the server answers a call only after the
 * caller's thread stopped: every other thread is off the CPU, past a
 * switch, so a barrier is already there (and code another thread wrote
 * is, on the one CPU, self-modifying code: SYNC_CORE needs nothing more).
 * What is left is Linux's rules: the private commands need the process's
 * registration first (EPERM). */
static int64_t sys_membarrier(struct sys_ctx *c, int cmd, uint32_t flags)
{
    uint32_t *state = &c->p->mm->membarrier;
    if (flags && (cmd != MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ || flags != MEMBARRIER_CMD_FLAG_CPU))
        return -LINUX_EINVAL;
    switch (cmd) {
    case MEMBARRIER_CMD_QUERY:
        return MEMBARRIER_SUPPORTED;
    case MEMBARRIER_CMD_GLOBAL:
    case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
        return 0;
    case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
        *state |= MB_GLOBAL | MB_GLOBAL_READY;
        return 0;
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
        return *state & MB_PRIVATE_READY ? 0 : -LINUX_EPERM;
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
        *state |= MB_PRIVATE | MB_PRIVATE_READY;
        return 0;
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
        return *state & MB_SYNC_CORE_READY ? 0 : -LINUX_EPERM;
    case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
        *state |= MB_PRIVATE | MB_SYNC_CORE | MB_SYNC_CORE_READY;
        return 0;
    case MEMBARRIER_CMD_GET_REGISTRATIONS:
        return (*state & (MB_GLOBAL | MB_GLOBAL_READY) ? MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED : 0) |
               (*state & (MB_PRIVATE | MB_PRIVATE_READY) ? MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED : 0) |
               (*state & (MB_SYNC_CORE | MB_SYNC_CORE_READY) ? MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE
                                                              : 0);
    default: /* the rseq commands among them */
        return -LINUX_EINVAL;
    }
}
