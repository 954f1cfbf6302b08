/*
 * kernel/vm.h - 4-level page tables.
 *
 * All physical memory is mapped at HHDM_BASE (the direct map), so a page
 * table or any frame is reachable at phys_to_virt(pa).  The kernel half of
 * every address space (PML4 slots 256..511) is shared: those PML4 entries
 * are copied when a root is created and never change afterwards.
 * Callers run with interrupts disabled (the single-CPU lock).
 * Book: docs/memory.md.
 */
#ifndef PERSONA_VM_H
#define PERSONA_VM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cpu.h"
#include "x86.h"

struct boot_info;

#define HHDM_BASE 0xffff800000000000ull
#define KERNEL_VMA 0xffffffff80000000ull
#define USER_TOP 0x0000800000000000ull
/* The end of what user mode can map: one page short of USER_TOP, as
 * Linux's TASK_SIZE.  A syscall instruction then always returns to a
 * canonical address, and sysretq (which faults in kernel mode on one that
 * is not) needs no check of it. */
#define USER_END (USER_TOP - 4096)

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
/* Software bits of user pages (uvm.c): */
#define PTE_COW (1ull << 9)     /* private page whose frame a clone may share: copy before writing */
#define PTE_LW (1ull << 10)     /* with PTE_COW: logically writable (a write fault copies) */
#define PTE_SHARED (1ull << 11) /* mapped by mem_share: stays shared in clones */
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

static inline void *phys_to_virt(uint64_t pa) { return (void *)(uintptr_t)(pa + HHDM_BASE); }
static inline uint64_t virt_to_phys(const void *va) { return (uint64_t)(uintptr_t)va - HHDM_BASE; }

void vm_init(const struct boot_info *bi);
uint64_t vm_kernel_root(void);
/* A new root sharing the kernel half; 0 when out of memory. */
uint64_t vm_root_create(void);
/* Frees the user half's tables and drops a reference on every mapped frame. */
void vm_root_destroy(uint64_t root);
/* Page tables freed and kept, zeroed, for the next ones (the frame
 * allocator counts them as in use). */
size_t vm_spare_tables(void);
/* Leaf entry for va, creating missing tables if create; NULL if absent or
 * out of memory. */
uint64_t *vm_pte(uint64_t root, uint64_t va, bool create);
/* va itself if a table for its leaf exists, else the start of the next
 * region that could hold mappings: range walks skip empty space with it. */
uint64_t vm_next(uint64_t root, uint64_t va);
/* The index of the first non-zero entry of a table at or after i, or 512.
 * Tables are mostly empty, so runs of zero entries are passed eight at a
 * time: for (i = vm_used(t, 0); i < 512; i = vm_used(t, i + 1)). */
static inline int vm_used(const uint64_t *t, int i)
{
    for (; i < 512; i++) {
        if (!(i & 7) && !(t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] | t[i + 5] | t[i + 6] | t[i + 7]))
            i += 7;
        else if (t[i])
            return i;
    }
    return 512;
}
/* Frees the leaf tables of [va, va+len) that hold no entry (after an unmap). */
void vm_prune(uint64_t root, uint64_t va, uint64_t len);
/* Maps one 4 KiB page; returns 0 or -ENOMEM.  Takes no frame reference. */
int vm_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
/* Clears the entry for va and returns what it held (0 if nothing). */
uint64_t vm_unmap(uint64_t root, uint64_t va);
/* Invalidates va in the TLB if root is the active address space. */
void vm_flush(uint64_t root, uint64_t va);
/* Whether root is the active address space. */
static inline bool vm_is_active(uint64_t root) { return cpu0.root_loaded == root; }
/* Loads root into CR3, unless it is the active address space. */
static inline void vm_activate(uint64_t root)
{
    if (cpu0.root_loaded != root)
        write_cr3(cpu0.root_loaded = root);
}

#endif
