/*
 * personalities/linux/mm.h - a process's memory: its areas (struct vma)
 * and the calls that change them, made real with the kernel's memory
 * calls on the process's task (mm.c).
 *
 * Entry points: mm_init, mm_free, mm_copy (proc: exec, fork, exit),
 * mm_forked (fork: MADV_DONTFORK and MADV_WIPEONFORK, mmcalls.c), mm_map
 * (mmap; elf.c maps a program's segments itself), mm_find (futex keys),
 * mm_fault (main.c's page faults), mm_populate (mem_in and mem_out),
 * mm_file_changing (tmpfs, before a file's pages change),
 * mm_file_punching (fallocate and MADV_REMOVE, before a hole); and for
 * the calls of mmap.c and mmcalls.c (mmap, mremap, madvise, mincore, the
 * lock calls) the pieces of mm.c they work with: mm_carve, mm_split,
 * mm_unmap, mm_range_free, mm_present, mm_file_refresh,
 * mm_mergeable; mmap.c's shared anonymous files (mm_anon_file,
 * mm_anon_collect, mm_anon_name); and mmlimit.c's limits (mm_account, mm_may_expand,
 * mm_find_grow, mm_stack_trim, mm_mmap_base, and RLIMIT_MEMLOCK's
 * mm_locked, mm_can_lock, mm_lock_room, mm_lock_refused); overcommit.c's
 * commitments (mm_enough_memory, mm_charge, mm_committed, mm_total_pages).
 *
 * Layer: above fs.h (areas map files).  Book: docs/linux.md, "Memory".
 */
#ifndef LINUX_MM_H
#define LINUX_MM_H
#include "fs.h"

/* The end of a process's address space, Linux's TASK_SIZE with four-level
 * paging: the last page below the non-canonical hole is never mapped (the
 * kernel's USER_END). */
#define TASK_SIZE 0x7ffffffff000ull
/* An i386 program's (docs/i386.md): its stack's top, as Linux's
 * TASK_SIZE_32 for a 32-bit process on x86-64, and where its mmap
 * searches down from (128 MiB below, Linux's smallest stack gap). */
#define I386_TOP 0xffffe000ull
#define I386_MMAP_TOP (I386_TOP - (128ull << 20))
/* mmap's flag that asks for no commitment (asm-generic/mman.h; overcommit.c) */
#define MAP_NORESERVE 0x4000

/* A NUMA memory policy (mempolicy.c): its mode with its mode flags, and
 * the first word of its nodemask as get_mempolicy reports it; set false
 * is none (the default). */
struct mpol {
    bool set;
    uint16_t mode;
    uint64_t nodes;
};

/* An area of a process's memory: sorted by start on its mm's list, never
 * overlapping another (mm.c keeps both by carving). */
struct vma {
    uint64_t start, end;
    int prot;
    bool grows_down;          /* the stack */
    bool lazy;                /* anonymous: pages are mapped when first touched */
    bool vdso;                /* the vDSO (vdso.c): shared pages, there from the start */
    uint64_t shm_id;          /* MAP_SHARED anonymous (its pages a file's of its own, mm_anon_file):
                                 which shared memory it is, for futex keys, with file_off the offset;
                                 else 0 */
    struct inode *file;       /* a file mapping or a program's segment: filled at first touch */
    bool file_sized;          /* mmap's: file_end follows the file's size (a segment's is its p_filesz) */
    bool file_shared;         /* MAP_SHARED of a file: the file's pages themselves, writes reach it */
    uint64_t file_off;        /* the file offset of start */
    uint64_t file_end;        /* lazy with a file: below this address the file's bytes, above it zeros */
    bool dontfork;            /* MADV_DONTFORK: a fork's child does not have it */
    bool wipeonfork;          /* MADV_WIPEONFORK: a fork's child has it, empty */
    bool locked;              /* VM_LOCKED: mlock'd, MAP_LOCKED or under mlockall; counts in VmLck */
    bool lock_onfault;        /* VM_LOCKONFAULT: locked as its pages come, not brought in at once */
    bool no_write;            /* may not become writable (mprotect: EACCES): an SHM_RDONLY attachment */
    bool file_rdwr;           /* mmap's descriptor was open for writing too (/proc/PID/map_files' mode) */
    bool account;             /* VM_ACCOUNT: its bytes count as committed (overcommit.c) */
    bool noreserve;           /* VM_NORESERVE: MAP_NORESERVE in overcommit modes 0 and 1, never charged */
    struct mpol mpol;         /* mbind's policy for the area */
    const char *anon_name;    /* prctl(PR_SET_VMA)'s name (prctl.c keeps each name once, for good); NULL: none */
    struct uffd *uffd;        /* registered with a userfaultfd (MISSING mode): its faults go there
                                 (userfaultfd.c); NULL: none */
    struct vma *next;
};

/* A memory map.  A process's threads, and a vfork child until it execs
 * or exits, use their leader's (proc->mm points at its own_mm). */
struct mm {
    struct vma *vmas;
    struct vma *hint;         /* an area of the list (the last one added or found; NULL: none), where a
                                 search for an address at or above its end starts (mm.c) */
    uint32_t nr_vmas;         /* the areas on the list */
    struct inode *exe;        /* the program execve loaded: nobody may write it (ETXTBSY) */
    uint64_t brk_start, brk;
    uint64_t mmap_top;        /* next mmap search starts below here */
    uint32_t membarrier;
    bool pkey0_taken;         /* pkey_alloc has taken key 0 (mm.c: the CPU has no protection keys) */      /* membarrier's registrations, as Linux's MEMBARRIER_STATE_* bits */
    uint64_t auxv[64];        /* the auxiliary vector execve gave, type and value pairs to AT_NULL's
                                 (/proc/<pid>/auxv, a core file's NT_AUXV) */
    uint32_t auxv_len;        /* words in it, as mm_auxv_words counts them */
    bool compat;              /* an i386 program's: everything below 4 GiB (docs/i386.md) */
    uint64_t hiwater;         /* the most bytes of it in memory at once, as last looked at (Linux's hiwater_rss) */
    bool rss_grown;           /* pages may have come since that look (mm_hiwater) */
    uint64_t total_vm, data_vm; /* bytes in its areas, and in those Linux counts as data (mm_account) */
    uint64_t committed;       /* bytes of its areas that are charged (account), in overcommit.c's total */
    uint64_t start_data, end_data; /* the program's data, as Linux's (brk's RLIMIT_DATA check) */
    /* The rest of Linux's mm bounds, as execve sets them and PR_SET_MM
     * changes them (prctl.c; /proc/PID/stat, cmdline and environ read them):
     * the code, the first stack pointer, and argv's and envp's strings. */
    uint64_t start_code, end_code, start_stack, arg_start, arg_end, env_start, env_end;
    bool lock_future;         /* mlockall's MCL_FUTURE: new areas are locked (Linux's def_flags VM_LOCKED) */
    bool lock_future_onfault; /* with MCL_ONFAULT */
};

/* The 64-bit words of mm->auxv that /proc/PID/auxv shows, as Linux's
 * reader counts them: pairs up to the first one whose first word is 0.
 * An i386 program's vector is of 32-bit words in the same array (Linux
 * keeps the bytes as the program's ABI writes them), so one or two
 * pairs of zeros follow its AT_NULL. */
static inline uint32_t mm_auxv_words(const struct mm *mm)
{
    uint32_t n = 0, cap = sizeof mm->auxv / sizeof mm->auxv[0];
    do
        n += 2;
    while (n < cap && mm->auxv[n - 2] != 0);
    return n;
}

struct proc;
void mm_init(struct mm *mm);
void mm_free(struct mm *mm);
/* dst a fork's copy of parent's map; resident, its pages in memory now
 * (mm_rss), starts its high-water mark.  0, or -ENOMEM (no memory, or
 * its charged areas refused by the overcommit check, as Linux's dup_mmap). */
int mm_copy(struct mm *dst, struct proc *parent, uint64_t resident);
int64_t mm_map(struct proc *p, uint64_t addr, uint64_t len, int prot, int flags, struct inode *file, uint64_t off);
/* A free range of len bytes, searched downwards from mm->mmap_top (where
 * mmap puts what has no fixed address); its start, or 0 when none is left. */
uint64_t mm_gap(struct mm *mm, uint64_t len);
/* Adds n to mm's list in its place (by start); it must overlap nothing. */
void mm_insert(struct mm *mm, struct vma *n);
/* The area holding addr in p's memory map, or NULL. */
struct vma *mm_find(struct proc *p, uint64_t addr);
/* A page fault in one of p's areas: 0 when the page is there now, -ENOMEM
 * when no frame was left for it, -1 when the access is not allowed
 * (SIGSEGV), MM_SIGBUS past the end of a shared file mapping's file. */
#define MM_SIGBUS (-2)
int mm_fault(struct proc *p, uint64_t addr, uint64_t error);
/* Maps the not-yet-touched pages of [va, va+n) that the areas allow, so
 * the server can copy to or from them; 0, or -EFAULT. */
int mm_populate(struct proc *p, uint64_t va, size_t n);
/* Before a file's contents change or go: the pages of it that programs
 * started from it have not loaded yet are loaded now. */
void mm_file_changing(struct inode *ino);
/* Before a hole is punched in [off, off+len) of ino (fallocate, madvise's
 * MADV_REMOVE): its whole pages leave every shared mapping of them, so
 * that the next touch finds the hole (Linux's unmap_mapping_range). */
void mm_file_punching(struct inode *ino, uint64_t off, uint64_t len);
/* The child of a fork, its memory map copied: the areas marked
 * MADV_DONTFORK are taken out of it, those marked MADV_WIPEONFORK emptied. */
void mm_forked(struct proc *child);
/* p's memory's high-water mark in bytes (the peak of its resident pages),
 * brought up to date: looked at before pages go (an unmap), at exec and
 * exit, and for getrusage, as Linux's update_hiwater_rss; the kernel's
 * count is asked for only when pages may have come since. */
uint64_t mm_hiwater(struct proc *p);
/* p's memory's resident bytes now, the kernel's count (0 if it has none),
 * its high-water mark brought up to date: a fork's child starts its own
 * from them. */
uint64_t mm_rss(struct proc *p);

/* madvise of [addr, addr+length) in p's memory (mmcalls.c): 0 or -errno. */
int64_t mm_madvise(struct proc *p, uint64_t addr, uint64_t length, int advice);

/* Cuts [start, end) out of every area of mm (splitting where needed);
 * 0, or -ENOMEM (then nothing changed): a hole in one area when mm has
 * vm.max_map_count areas already (Linux's munmap), or no memory. */
int mm_carve(struct mm *mm, uint64_t start, uint64_t end);
/* Splits the area holding addr, if any, so that one starts there; 0 or
 * -ENOMEM (no memory, or vm.max_map_count areas already: Linux's split_vma). */
int mm_split(struct mm *mm, uint64_t addr);
/* Joins v with the areas after it that Linux would have merged (mmcalls.c). */
void mm_merge_after(struct mm *mm, struct vma *v);
/* Whether a and b, side by side, are areas Linux would hold as one. */
bool mm_mergeable(const struct vma *a, const struct vma *b);
/* munmap of page-aligned [addr, addr+len): the areas and their pages; 0 or -ENOMEM. */
int mm_unmap(struct proc *p, uint64_t addr, uint64_t len);
/* Whether no area of mm overlaps [start, end). */
bool mm_range_free(struct mm *mm, uint64_t start, uint64_t end);
/* Whether the page at va is mapped in p's task (a one-byte read succeeds). */
bool mm_present(struct proc *p, uint64_t va);
/* Shared anonymous memory's file (mmap.c): a new one of len bytes, held
 * until no area maps it (mm_anon_collect, before the inode sweep); NULL
 * when out of memory or, reserve true, when the overcommit check refuses
 * its size (then charged until it goes).  mm_anon_name: the name maps shows for such a file
 * (false for any other). */
struct inode *mm_anon_file(struct proc *p, uint64_t len, bool reserve);
void mm_anon_collect(void);
bool mm_anon_name(const struct inode *ino, char *buf, size_t size);
/* ---- limits (mmlimit.c) ---- */
/* The locked bytes of mm's areas inside [start, end) (all: 0, ~0), the
 * vDSO never among them (Linux's VmLck counts these). */
uint64_t mm_locked(const struct mm *mm, uint64_t start, uint64_t end);
/* Linux's can_do_mlock: RLIMIT_MEMLOCK above 0, or CAP_IPC_LOCK. */
bool mm_can_lock(struct proc *p);
/* Linux's mlock_future_ok: whether n more locked bytes keep p within
 * RLIMIT_MEMLOCK (or it has CAP_IPC_LOCK). */
bool mm_lock_room(struct proc *p, uint64_t n);
/* mmap's: a new area of len bytes, locked by MAP_LOCKED (map_locked) or
 * mlockall's MCL_FUTURE: -EPERM (MAP_LOCKED without the right to lock),
 * -EAGAIN (past RLIMIT_MEMLOCK), or 0. */
int64_t mm_lock_refused(struct proc *p, bool map_locked, uint64_t len);
/* Whether an area counts as data (Linux's is_data_mapping): private and
 * writable, not the stack. */
bool mm_vma_is_data(const struct vma *v);
/* Adds len bytes of an area like v to mm's totals (sign 1), or takes
 * them away (-1). */
void mm_account(struct mm *mm, const struct vma *v, uint64_t len, int sign);
/* Linux's may_expand_vm: whether n more bytes (data or not) keep p's
 * memory within its RLIMIT_AS, and data within its RLIMIT_DATA. */
bool mm_may_expand(struct proc *p, bool data, uint64_t n);
/* Linux's map_count: the areas Linux would have (those mm_mergeable with
 * the one below counted with it), which vm.max_map_count bounds; far
 * below the limit, the areas on the list, which are no fewer. */
int mm_map_count(const struct mm *mm);
/* Whether brk may grow the heap from its top from to to: nothing there,
 * and a page (before a stack, its guard gap) left below the next area,
 * as Linux's brk checks. */
bool mm_brk_room(const struct mm *mm, uint64_t from, uint64_t to);
/* The area holding addr, as mm_find, or else a stack just above it grown
 * down to addr's page as Linux's expand_downwards would (within
 * RLIMIT_STACK and RLIMIT_AS, a guard gap above the area below); NULL. */
struct vma *mm_find_grow(struct proc *p, uint64_t addr);
/* exec's stack area stack, its image pushed down to sp: trimmed to
 * Linux's first size, the image's pages and 128 KiB below them. */
void mm_stack_trim(struct proc *p, struct vma *stack, uint64_t sp);
/* Where mmap searches down from below a stack at top (Linux's
 * mmap_base): a gap of RLIMIT_STACK (rlim) and the guard gap, 128 MiB at
 * least and five sixths of top at most. */
uint64_t mm_mmap_base(uint64_t top, uint64_t rlim);

/* ---- overcommit (overcommit.c) ---- */
/* Linux's __vm_enough_memory without its charge: whether bytes more may
 * be committed by p under vm.overcommit_memory. */
bool mm_enough_memory(struct proc *p, uint64_t bytes);
/* Adds bytes (page multiples; below 0 takes them away) to the total
 * committed; mm_committed: that total (meminfo's Committed_AS). */
void mm_charge(int64_t bytes);
uint64_t mm_committed(void);
/* The machine's memory in pages (Linux's totalram_pages). */
uint64_t mm_total_pages(void);

/* An mmap'ed private file mapping v: its untouched pages fill from the
 * file as it is now (file_end moves with the file's size and v's end). */
void mm_file_refresh(struct vma *v);

#endif
