/*
 * personalities/linux/mm.c - a process's memory: brk, mmap, munmap,
 * mprotect and page faults, kept as a list of areas (struct vma) and made
 * real with the kernel's memory calls on the process's task.
 *
 * Anonymous memory (mmap and brk) is mapped on demand: a page appears,
 * zeroed, at its first touch, through a page fault, or when this server
 * copies data to or from it (mm_populate).  So are a program's segments
 * (exec) and file mappings: a whole page of the file is the file's own
 * frame in the page cache (tmpfs's pool), shared copy-on-write into a
 * private mapping and writable into a shared one; the page where a
 * segment's file part ends is copied.  Before a file goes, the pages not
 * loaded yet are (mm_file_changing).  Shared anonymous memory is, as on
 * Linux, a file of its own (mm_anon_file, mmap.c), mapped shared: its
 * pages come at first touch, the same for every fork.  The stack grows on demand too, its area moving down to a
 * fault below it (mmlimit.c, which also holds the totals mm_insert and
 * mm_carve keep against RLIMIT_AS and RLIMIT_DATA).  A fault outside every
 * area, or against its protection, is a SIGSEGV.  Each address space
 * keeps the high-water mark of its pages in memory (mm_hiwater, for
 * getrusage's ru_maxrss), looked at before pages go.
 *
 * Entry points: mm.h; the calls brk, munmap, mprotect and the
 * protection key calls, pkey_mprotect, pkey_alloc, pkey_free (mmap is
 * mmap.c's, over mm_map; mremap, madvise, msync and mincore are
 * mmcalls.c's, on these areas).  Layer:
 * mm, over fs.  Book: docs/linux.md, "Memory".
 */
#include "mm.h"
#include "proc.h"
#include "sysctl.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/mm.h" /* generated: the handlers' prototypes, entries */

#define PAGE 4096ull
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define MMAP_TOP 0x7ffff7fff000ull
#define MMAP_BOTTOM 0x10000ull

void mm_init(struct mm *mm)
{
    memset(mm, 0, sizeof *mm);
    mm->mmap_top = MMAP_TOP;
    mm->rss_grown = true;
}

uint64_t mm_rss(struct proc *p)
{
    struct mm *mm = p->mm;
    struct persona_taskmem m = {0, 0};
    if (p->task < 0 || sys_stats(STATS_TASK_MEM, p->task, &m, sizeof m) < 0)
        return 0;
    mm->hiwater = m.resident_bytes > mm->hiwater ? m.resident_bytes : mm->hiwater;
    mm->rss_grown = false;
    return m.resident_bytes;
}

uint64_t mm_hiwater(struct proc *p)
{
    if (p->mm->rss_grown)
        mm_rss(p);
    return p->mm->hiwater;
}

/* Pages of p's memory go: its high-water mark is taken first. */
static void drop_pages(struct proc *p, uint64_t addr, uint64_t len)
{
    mm_hiwater(p);
    sys_mem_unmap(p->task, addr, len);
}

void mm_free(struct mm *mm)
{
    for (struct vma *v = mm->vmas, *n; v; v = n) {
        n = v->next;
        fs_sweep_wanted |= v->file != NULL; /* the last mapping of an orphan, or a removed shm segment */
        free(v);
    }
    mm->vmas = mm->hint = NULL;
    mm->nr_vmas = 0;
    mm->exe = NULL;
    mm->total_vm = mm->data_vm = 0;
    mm_charge(-(int64_t)mm->committed); /* its areas' commitment goes with them */
    mm->committed = 0;
}

/* Where a walk of mm's list for addresses from addr on may start: past
 * the hint when it ends at or below addr (the areas are sorted and never
 * overlap, so none before it reaches addr), else at the list's head.  A
 * program that maps area after area upwards (65530 of them, to
 * vm.max_map_count) so finds each place at once. */
static struct vma **walk_from(struct mm *mm, uint64_t addr)
{
    return mm->hint && mm->hint->end <= addr ? &mm->hint->next : &mm->vmas;
}

/* v leaves mm's list (its link already changed): it is no longer the hint. */
static void unlisted(struct mm *mm, const struct vma *v)
{
    mm->hint = mm->hint == v ? NULL : mm->hint;
    mm->nr_vmas--;
}

void mm_insert(struct mm *mm, struct vma *n)
{
    struct vma **pv = walk_from(mm, n->start);
    while (*pv && (*pv)->start < n->start)
        pv = &(*pv)->next;
    n->next = *pv;
    *pv = n;
    mm->hint = n;
    mm->nr_vmas++;
    mm_account(mm, n, n->end - n->start, 1);
}

int mm_carve(struct mm *mm, uint64_t start, uint64_t end)
{
    for (struct vma **pv = walk_from(mm, start); *pv && (*pv)->start < end;) {
        struct vma *v = *pv;
        if (v->end <= start) {
            pv = &v->next;
            continue;
        }
        if (v->start < start && v->end > end) { /* a hole in the middle */
            struct vma *tail = mm_map_count(mm) < sysctl_max_map_count ? malloc(sizeof *tail) : NULL;
            if (!tail)
                return -LINUX_ENOMEM;
            mm->nr_vmas++;
            mm_account(mm, v, end - start, -1);
            *tail = *v;
            tail->start = end;
            tail->file_off += end - v->start;
            v->end = start;
            tail->next = v->next;
            v->next = tail;
            return 0;
        }
        uint64_t from = v->start > start ? v->start : start, to = v->end < end ? v->end : end;
        mm_account(mm, v, to - from, -1);
        if (v->start < start) {
            v->end = start;
            pv = &v->next;
        } else if (v->end > end) {
            v->file_off += end - v->start;
            v->start = end;
            pv = &v->next;
        } else {
            *pv = v->next;
            unlisted(mm, v);
            free(v);
        }
    }
    return 0;
}

bool mm_range_free(struct mm *mm, uint64_t start, uint64_t end)
{
    for (struct vma *v = *walk_from(mm, start); v && v->start < end; v = v->next)
        if (v->end > start)
            return false;
    return true;
}

uint64_t mm_gap(struct mm *mm, uint64_t len)
{
    for (uint64_t top = mm->mmap_top; top >= MMAP_BOTTOM + len;) {
        uint64_t start = top - len;
        struct vma *clash = NULL;
        for (struct vma *v = mm->vmas; v; v = v->next)
            if (v->start < top && v->end > start && (!clash || v->start < clash->start))
                clash = v;
        if (!clash)
            return start;
        top = clash->start;
    }
    return 0;
}

/* The bytes of mm's areas inside [start, end). */
static uint64_t mapped_bytes(struct mm *mm, uint64_t start, uint64_t end)
{
    uint64_t n = 0;
    for (struct vma *v = *walk_from(mm, start); v && v->start < end; v = v->next)
        if (v->end > start)
            n += (v->end < end ? v->end : end) - (v->start > start ? v->start : start);
    return n;
}

/* MAP_32BIT's place for a 64-bit program: the lowest free len bytes in
 * [1 GiB, 2 GiB), as Linux's bottom-up search between find_start_end's
 * bounds (without its random start), or 0. */
#define LOW_START 0x40000000ull
#define LOW_END 0x80000000ull
static uint64_t low_gap(struct mm *mm, uint64_t len)
{
    uint64_t a = LOW_START;
    for (struct vma *v = mm->vmas; v && v->start < a + len && a + len <= LOW_END; v = v->next)
        a = v->end > a ? v->end : a; /* the areas are in address order */
    return len <= LOW_END - LOW_START && a + len <= LOW_END ? a : 0;
}

int64_t mm_map(struct proc *p, uint64_t addr, uint64_t len, int prot, int flags, struct inode *file, uint64_t off)
{
    struct mm *mm = p->mm;
    if (!len || (addr & (PAGE - 1)) || (off & (PAGE - 1)))
        return -LINUX_EINVAL;
    len = PAGE_UP(len);
    if (mm_map_count(mm) > sysctl_max_map_count) /* Linux's do_mmap: too many areas already */
        return -LINUX_ENOMEM;
    bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
    uint64_t top = mm->compat ? I386_TOP : TASK_SIZE; /* an i386 program's memory is below 4 GiB */
    if (len > top || (fixed && addr > top - len))
        return -LINUX_ENOMEM;
    if (fixed) {
        if ((flags & MAP_FIXED_NOREPLACE) && !mm_range_free(mm, addr, addr + len))
            return -LINUX_EEXIST;
    } else if ((flags & MAP_32BIT) && !mm->compat) { /* a hint only, below 2 GiB */
        if (!addr || len > LOW_END || addr > LOW_END - len || !mm_range_free(mm, addr, addr + len))
            addr = low_gap(mm, len);
        if (!addr)
            return -LINUX_ENOMEM;
    } else if (!addr || addr > top - len || !mm_range_free(mm, addr, addr + len)) { /* a hint only */
        addr = mm_gap(mm, len);
        if (!addr)
            return -LINUX_ENOMEM;
    }
    /* Linux's may_expand_vm, counting what MAP_FIXED replaces as gone */
    bool data = (prot & PROT_WRITE) && !(flags & (MAP_SHARED | MAP_GROWSDOWN));
    if (!mm_may_expand(p, data, len) && !mm_may_expand(p, data, len - mapped_bytes(mm, addr, addr + len)))
        return -LINUX_ENOMEM;
    bool shared = (flags & MAP_SHARED) && !file;
    /* MAP_NORESERVE is taken unless overcommit is strict (mode 2); a private writable mapping is charged
     * (Linux's accountable_mapping), shared anonymous memory's file for its size; what MAP_FIXED replaced
     * is gone first (and stays gone when the charge is refused, as Linux's mmap_region) */
    bool noreserve = (flags & MAP_NORESERVE) && sysctl_overcommit_memory != 2;
    bool account = !(flags & MAP_SHARED) && (prot & PROT_WRITE) && !noreserve;
    struct vma *v = calloc(1, sizeof *v);
    if (!v || mm_carve(mm, addr, addr + len) < 0) {
        free(v);
        return -LINUX_ENOMEM;
    }
    if ((account && !mm_enough_memory(p, len)) || (shared && !(file = mm_anon_file(p, len, !noreserve)))) {
        free(v);
        drop_pages(p, addr, len);
        return -LINUX_ENOMEM;
    }
    off = shared ? 0 : off;
    bool file_shared = (flags & MAP_SHARED) != 0;
    static uint64_t next_shm_id = 1;
    /* A private file mapping is filled page by page at first touch, as a
     * program's segments are: below file_end from the file, zeros above. */
    uint64_t file_bytes = file && off < file->size ? file->size - off : 0;
    *v = (struct vma){.start = addr, .end = addr + len, .prot = prot, .grows_down = (flags & MAP_GROWSDOWN) != 0,
                      .lazy = true, .file = file, .file_sized = file != NULL, .file_shared = file_shared,
                      .file_off = off, .account = account, .noreserve = noreserve,
                      .file_end = addr + (file_bytes < len ? file_bytes : len), .shm_id = shared ? next_shm_id++ : 0,
                      .locked = (flags & MAP_LOCKED) || mm->lock_future,
                      .lock_onfault = mm->lock_future && mm->lock_future_onfault};
    if (file)
        file->lazily_mapped = true;
    drop_pages(p, addr, len); /* whatever MAP_FIXED replaces */
    mm_insert(mm, v);
    return (int64_t)addr;
}

int mm_unmap(struct proc *p, uint64_t addr, uint64_t len)
{
    for (struct vma *v = *walk_from(p->mm, addr); v && v->start < addr + len; v = v->next)
        fs_sweep_wanted |= v->file && v->end > addr; /* as mm_free */
    if (mm_carve(p->mm, addr, addr + len) < 0)
        return -LINUX_ENOMEM;
    drop_pages(p, addr, len);
    return 0;
}

static int64_t sys_munmap(struct sys_ctx *c, uint64_t addr, uint64_t length)
{
    uint64_t len = PAGE_UP(length);
    if ((addr & (PAGE - 1)) || !len || len > TASK_SIZE || addr > TASK_SIZE - len)
        return -LINUX_EINVAL;
    return mm_unmap(c->p, addr, len);
}

int mm_split(struct mm *mm, uint64_t addr)
{
    for (struct vma *v = *walk_from(mm, addr); v && v->start < addr; v = v->next) {
        if (v->end <= addr)
            continue;
        struct vma *t = mm_map_count(mm) < sysctl_max_map_count ? malloc(sizeof *t) : NULL;
        if (!t)
            return -LINUX_ENOMEM;
        *t = *v, t->start = addr, t->file_off += addr - v->start, v->end = addr, v->next = t;
        mm->nr_vmas++;
        break;
    }
    return 0;
}

/* mprotect, and pkey_mprotect with key -1, in Linux's order of checks:
 * both growth flags, the start, an empty range (0), a range that wraps
 * (ENOMEM), unknown bits, then the key (none is ever allocated: the CPU
 * has no protection keys), a growth flag (PROT_GROWSDOWN: the range
 * reaches down to its area's start, an area that grows down), then the
 * areas. */
static int64_t mprotect_pkey(struct sys_ctx *c, uint64_t addr, uint64_t length, int prot, int pkey)
{
    uint64_t len = PAGE_UP(length);
    int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    prot &= ~grows;
    if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || (addr & (PAGE - 1)))
        return -LINUX_EINVAL;
    if (!length)
        return 0;
    if (addr + len <= addr)
        return -LINUX_ENOMEM;
    if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) || pkey != -1)
        return -LINUX_EINVAL;
    prot &= ~PROT_SEM;
    if (grows) { /* from the start of the area holding the range's first page, which must grow that way */
        const struct vma *g = c->p->mm->vmas, *below = NULL, *first = NULL;
        for (; g && g->end <= addr; g = g->next)
            first = below && mm_mergeable(below, g) ? first : g, below = g;
        first = below && g && mm_mergeable(below, g) ? first : g; /* where Linux's one area would start */
        if (!g || g->start >= addr + len || (grows == PROT_GROWSUP && first->start > addr))
            return -LINUX_ENOMEM;
        if (grows == PROT_GROWSUP || !g->grows_down)
            return -LINUX_EINVAL; /* x86 has no area growing up */
        uint64_t end = addr + len;
        addr = first->start, len = end - addr;
    }
    uint64_t covered = addr;
    for (struct vma *v = c->p->mm->vmas; v && covered < addr + len; v = v->next)
        if (v->start <= covered && v->end > covered)
            covered = v->end;
    if (covered < addr + len)
        return -LINUX_ENOMEM; /* part of the range is not mapped */
    for (struct vma *v = c->p->mm->vmas; v && (prot & PROT_WRITE); v = v->next)
        if (v->no_write && v->start < addr + len && v->end > addr)
            return -LINUX_EACCES;
    /* Split at the edges, then change the areas inside. */
    struct mm *mm = c->p->mm;
    if (mm_split(mm, addr) < 0 || mm_split(mm, addr + len) < 0)
        return -LINUX_ENOMEM;
    /* Area by area, as Linux's mprotect_fixup: one becoming data past
     * RLIMIT_DATA stops it there (ENOMEM), the ones before it changed. */
    uint64_t done = addr;
    int64_t err = 0;
    for (struct vma *v = mm->vmas; v && !err; v = v->next) {
        if (v->start < addr || v->end > addr + len)
            continue;
        struct vma after = *v;
        uint64_t n = v->end - v->start;
        after.prot = prot;
        if (mm_vma_is_data(&after) && !mm_vma_is_data(v) && mm_may_expand(c->p, false, n) &&
            !mm_may_expand(c->p, true, n)) {
            err = -LINUX_ENOMEM;
            break;
        }
        /* a private area first made writable is charged (and stays so, as Linux's VM_ACCOUNT) */
        bool charge = (prot & PROT_WRITE) && !v->account && !(v->prot & PROT_WRITE) && !v->shm_id &&
                      !v->file_shared && !v->noreserve;
        if (charge && !mm_enough_memory(c->p, n)) {
            err = -LINUX_ENOMEM;
            break;
        }
        mm_account(mm, v, n, -1);
        v->prot = prot;
        v->account |= charge;
        mm_account(mm, v, n, 1);
        done = v->end;
    }
    if (done > addr && sys_mem_protect(c->p->task, addr, done - addr, prot & 7) < 0)
        return -LINUX_ENOMEM;
    return err;
}

static int64_t sys_mprotect(struct sys_ctx *c, uint64_t addr, uint64_t length, int prot)
{
    return mprotect_pkey(c, addr, length, prot, -1);
}

/* ---- protection keys, as Linux on a CPU without them (no PKU) ---- */

static int64_t sys_pkey_mprotect(struct sys_ctx *c, uint64_t addr, uint64_t length, int prot, int pkey)
{
    return mprotect_pkey(c, addr, length, prot, pkey);
}

/* Linux's x86 allocator holds one key, 0, when the CPU has none; the
 * first pkey_alloc takes it, then fails to set its rights (EINVAL)
 * without giving it back, so every later one is ENOSPC.  The map is the
 * memory map's: a fork's copy keeps it, execve starts afresh. */
static int64_t sys_pkey_alloc(struct sys_ctx *c, uint64_t flags, uint64_t rights)
{
    if (flags || (rights & ~(uint64_t)(PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE)))
        return -LINUX_EINVAL;
    if (c->p->mm->pkey0_taken)
        return -LINUX_ENOSPC;
    c->p->mm->pkey0_taken = true;
    return -LINUX_EINVAL;
}

/* No key is ever allocated: 0 is not one a program may free. */
static int64_t sys_pkey_free(struct sys_ctx *c, int pkey)
{
    (void)c, (void)pkey;
    return -LINUX_EINVAL;
}

static int64_t sys_brk(struct sys_ctx *c, uint64_t addr)
{
    struct mm *mm = c->p->mm;
    uint64_t want = addr, old_top = PAGE_UP(mm->brk), new_top = PAGE_UP(want);
    if (want < mm->brk_start || want > mm->brk_start + (1ull << 30))
        return (int64_t)mm->brk;
    /* Linux's check_data_rlimit: the heap and the program's data within RLIMIT_DATA */
    if (want - mm->brk_start + mm->end_data - mm->start_data > proc_group(c->p)->rlim[RLIMIT_DATA][0])
        return (int64_t)mm->brk;
    if (new_top > old_top) {
        if (mm_map_count(mm) > sysctl_max_map_count || /* Linux's do_brk_flags */
            !mm_brk_room(mm, old_top, new_top) || !mm_may_expand(c->p, true, new_top - old_top) ||
            (mm->lock_future && !mm_lock_room(c->p, new_top - old_top)))
            return (int64_t)mm->brk;
        struct vma *v = calloc(1, sizeof *v);
        if (!v)
            return (int64_t)mm->brk;
        if (!mm_enough_memory(c->p, new_top - old_top)) { /* do_brk_flags's charge */
            free(v);
            return (int64_t)mm->brk;
        }
        *v = (struct vma){.start = old_top, .end = new_top, .prot = PROT_READ | PROT_WRITE, .lazy = true,
                          .account = true, .locked = mm->lock_future, .lock_onfault = mm->lock_future_onfault};
        mm_insert(mm, v);
        if (v->locked && !v->lock_onfault)
            mm_populate(c->p, old_top, new_top - old_top);
    } else if (new_top < old_top) {
        mm_carve(mm, new_top, old_top);
        drop_pages(c->p, new_top, old_top - new_top);
    }
    mm->brk = want;
    return (int64_t)want;
}

struct vma *mm_find(struct proc *p, uint64_t addr)
{
    struct mm *mm = p->mm;
    if (mm->hint && mm->hint->start <= addr && addr < mm->hint->end)
        return mm->hint;
    struct vma *v = *walk_from(mm, addr);
    while (v && v->end <= addr)
        v = v->next;
    if (!v || v->start > addr)
        return NULL;
    return mm->hint = v;
}

/* Pages for a fault: 0, -ENOMEM when no frame is left, -1 otherwise. */
static int fault_map(struct proc *p, uint64_t start, uint64_t len, int prot)
{
    long r = sys_mem_map(p->task, start, len, prot & 7);
    p->mm->rss_grown = true;
    return r == -LINUX_ENOMEM ? -LINUX_ENOMEM : r < 0 ? -1 : 0;
}

bool mm_present(struct proc *p, uint64_t va)
{
    char probe;
    return sys_mem_read(p->task, va, &probe, 1) == 0;
}

/* A page of an area mapped at first touch: zeroed, and for a program's
 * segment filled from its file below file_end. */
static int fault_in(struct proc *p, struct vma *v, uint64_t page)
{
    if (v->file_sized)
        mm_file_refresh(v); /* the file may have grown or shrunk since */
    uint64_t off = v->file_off + (page - v->start);
    if (v->file && (v->file_shared || page + PAGE <= v->file_end)) {
        /* A whole page of the file: its frame in the page cache, the
         * same for every process that maps or runs it: copy-on-write in
         * a private mapping, written through in a shared one. */
        if (v->file_shared && off >= ((v->file->size + PAGE - 1) & ~(PAGE - 1)))
            return MM_SIGBUS; /* past the end of the file, as Linux */
        /* a hole gets its page for a shared mapping, and in a tmpfs file
         * for a private one too, as Linux's shmem_fault allocates it */
        bool fill = v->file_shared || v->file->fs->iops == &tmpfs_iops;
        char *frame = fs_whole_page(v->file, off / PAGE, fill);
        if (frame) {
            long r = sys_mem_share(H_SELF, (uint64_t)frame, p->task, page, PAGE,
                                   (v->prot & 7) | (v->file_shared ? 0 : SHARE_COW));
            p->mm->rss_grown = true;
            return r == -LINUX_ENOMEM ? -LINUX_ENOMEM : r < 0 ? -1 : 0;
        }
        const struct fs *fs = v->file->fs;
        if (v->file_shared) /* a tmpfs at its size=: SIGBUS, as Linux's shmem_fault on ENOSPC */
            return fs->blocks_max && fs->blocks_used >= fs->blocks_max ? MM_SIGBUS : -LINUX_ENOMEM;
    }
    int r = fault_map(p, page, PAGE, v->prot);
    if (r < 0 || !v->file || page >= v->file_end)
        return r;
    uint64_t n = v->file_end - page < PAGE ? v->file_end - page : PAGE;
    const char *data = fs_page(v->file, off / PAGE); /* off is page-aligned: the segment's offset is */
    if (off >= v->file->size || !data)
        return 0; /* a hole stays zero */
    n = n < v->file->size - off ? n : v->file->size - off;
    return sys_mem_write(p->task, page, data, n) < 0 ? -1 : 0; /* written whatever the protection */
}

void mm_file_refresh(struct vma *v)
{
    if (!v->file_sized)
        return;
    uint64_t bytes = v->file->size > v->file_off ? v->file->size - v->file_off : 0;
    v->file_end = v->start + (bytes < v->end - v->start ? bytes : v->end - v->start);
    v->file->lazily_mapped = true;
}

void mm_file_changing(struct inode *ino)
{
    ino->lazily_mapped = false;
    for (struct proc *p = proc_list(); p; p = p->next) {
        bool lost = false;
        for (struct vma *v = p->zombie ? NULL : p->mm->vmas; v; v = v->next) {
            if (v->file != ino || !v->lazy)
                continue;
            for (uint64_t a = v->start; a < v->end && a < v->file_end && !lost; a += PAGE)
                lost = !mm_present(p, a) && fault_in(p, v, a) < 0;
            v->file_end = v->start; /* what is left of it is zeros */
        }
        if (lost) /* no frame for its image: it cannot go on as it started */
            proc_oom_kill(p);
    }
}

void mm_file_punching(struct inode *ino, uint64_t off, uint64_t len)
{
    uint64_t first = (off + PAGE - 1) / PAGE * PAGE, last = len > UINT64_MAX - off ? UINT64_MAX : (off + len) & ~(PAGE - 1);
    for (struct proc *p = proc_list(); p && first < last; p = p->next)
        for (struct vma *v = p->zombie ? NULL : p->mm->vmas; v; v = v->next) {
            uint64_t from = v->file_off > first ? v->file_off : first, vend = v->file_off + (v->end - v->start);
            uint64_t to = vend < last ? vend : last;
            if (v->file == ino && v->file_shared && from < to) {
                mm_hiwater(p);
                sys_mem_unmap(p->task, v->start + (from - v->file_off), to - from);
            }
        }
}

int mm_fault(struct proc *p, uint64_t addr, uint64_t error)
{
    struct vma *v = mm_find_grow(p, addr); /* a stack grows down to a fault below it */
    if (!v || (error & PF_PRESENT))
        return -1; /* outside every area, or a protection fault */
    if (((error & PF_WRITE) && !(v->prot & PROT_WRITE)) || ((error & PF_FETCH) && !(v->prot & PROT_EXEC)) ||
        !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
        return -1;
    uint64_t page = addr & ~(PAGE - 1);
    if (v->file)
        return fault_in(p, v, page); /* a file's page, or a segment's */
    /* LAB(lazy): solution */
    if (v->lazy)
        return fault_in(p, v, page);
    if (!v->grows_down)
        return -1;
    /* The stack: the faulting page and the ones below it down to a 64 KiB
     * boundary, but not past a page that is there already (one this server
     * wrote through mm_populate, say): mapping it again would wipe it. */
    uint64_t lo = page & ~0xffffull, a = page;
    if (lo < v->start)
        lo = v->start;
    while (a > lo && !mm_present(p, a - PAGE))
        a -= PAGE;
    return fault_map(p, a, page + PAGE - a, v->prot);
    /* LAB(lazy): skeleton
    if (!v->lazy && !v->grows_down)
        return -1; // the vDSO, there from the start: no fault is expected there
    // For now: the faulting page and every page above it that is missing, up to the first one there
    // or the area's end.  Correct, but a first touch may take much more memory than it needs.
    uint64_t end = page;
    while (end < v->end && !mm_present(p, end))
        end += PAGE;
    return fault_map(p, page, end - page, v->prot);
    LAB(lazy): end */
}

int mm_populate(struct proc *p, uint64_t va, size_t n)
{
    for (uint64_t a = va & ~(PAGE - 1); a < va + n; a += PAGE) {
        struct vma *v = mm_find_grow(p, a);
        if (!v || !(v->prot & (PROT_READ | PROT_WRITE)))
            return -LINUX_EFAULT;
        if ((!v->lazy && !v->grows_down) || mm_present(p, a))
            continue; /* mapped already */
        if ((v->lazy ? fault_in(p, v, a) : fault_map(p, a, PAGE, v->prot)) < 0)
            return -LINUX_EFAULT;
    }
    return 0;
}
