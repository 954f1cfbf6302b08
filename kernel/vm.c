/*
 * kernel/vm.c - page-table construction and walking (see vm.h).
 * Book: docs/memory.md.
 */
#include "vm.h"
#include "errno.h"
#include "mb2.h"
#include "pmm.h"
#include "string.h"
#include "x86.h"
#include <stddef.h>

extern char __text_start[], __text_end[], __kernel_end[];

static uint64_t kernel_root;
static uint64_t nx_bit;

static uint64_t *table(uint64_t pa) { return phys_to_virt(pa & PTE_ADDR); }

/* Page tables freed whole come back here already zero (free_level clears
 * each entry it frees), so that a new table need not be cleared: a fork
 * and an exec make and free dozens.  A few are kept; the rest go back to
 * the frame allocator. */
#define SPARE_TABLES 32
static uint64_t spare[SPARE_TABLES];
static int spares;

size_t vm_spare_tables(void) { return (size_t)spares; }

static uint64_t table_alloc(void)
{
    if (spares)
        return spare[--spares];
    uint64_t pa = pmm_alloc();
    if (pa)
        memset(table(pa), 0, PAGE_SIZE);
    return pa;
}

uint64_t *vm_pte(uint64_t root, uint64_t va, bool create)
{
    uint64_t *t = table(root);
    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t *e = &t[(va >> shift) & 511];
        if (!(*e & PTE_P)) {
            if (!create)
                return NULL;
            uint64_t pa = table_alloc();
            if (!pa)
                return NULL;
            /* Intermediate entries are permissive; leaves decide. */
            *e = pa | PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
        }
        if (*e & PTE_PS)
            return NULL; /* huge pages exist only in the direct map */
        t = table(*e);
    }
    return &t[(va >> 12) & 511];
}

uint64_t vm_next(uint64_t root, uint64_t va)
{
    uint64_t *t = table(root);
    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t e = t[(va >> shift) & 511];
        if (!(e & PTE_P) || (e & PTE_PS))
            return ((va >> shift) + 1) << shift; /* nothing below this entry */
        t = table(e);
    }
    return va;
}

int vm_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *pte = vm_pte(root, va, true);
    if (!pte)
        return -ENOMEM;
    *pte = (pa & PTE_ADDR) | (flags & ~PTE_ADDR & ~PTE_NX) | PTE_P | ((flags & PTE_NX) ? nx_bit : 0);
    return 0;
}

uint64_t vm_unmap(uint64_t root, uint64_t va)
{
    uint64_t *pte = vm_pte(root, va, false);
    if (!pte)
        return 0;
    uint64_t old = *pte;
    *pte = 0;
    return old;
}

/* Frees table *e (whose entries are all zero) and clears the entry. */
static void table_free(uint64_t root, uint64_t *e, uint64_t va)
{
    uint64_t pa = *e & PTE_ADDR;
    *e = 0;
    vm_flush(root, va); /* invlpg drops the paging-structure caches too */
    if (spares < SPARE_TABLES)
        spare[spares++] = pa;
    else
        pmm_unref(pa);
}

/* Page tables under [va, va+len) left empty are freed (to the spares),
 * leaf tables and the directories they leave empty, so that later forks
 * neither copy nor scan them. */
void vm_prune(uint64_t root, uint64_t va, uint64_t len)
{
    const uint64_t big = 1ull << 21;
    for (uint64_t a = vm_next(root, va & ~(big - 1)); a < va + len; a = vm_next(root, (a & ~(big - 1)) + big)) {
        uint64_t *e[3], *t = table(root); /* the entries of a's PDPT, PD and leaf table */
        int level = 0;
        for (; level < 3 && (t[(a >> (39 - 9 * level)) & 511] & PTE_P); level++) {
            e[level] = &t[(a >> (39 - 9 * level)) & 511];
            t = table(*e[level]);
        }
        if (level < 3)
            continue; /* vm_next gave the start of a region with no leaf table */
        for (level = 2; level >= 0 && vm_used(table(*e[level]), 0) == 512; level--)
            table_free(root, e[level], a);
    }
}

void vm_flush(uint64_t root, uint64_t va)
{
    if (vm_is_active(root))
        invlpg(va);
}

uint64_t vm_kernel_root(void) { return kernel_root; }

uint64_t vm_root_create(void)
{
    uint64_t root = table_alloc();
    if (!root)
        return 0;
    uint64_t *dst = table(root), *src = table(kernel_root);
    for (int i = 256; i < 512; i++)
        dst[i] = src[i];
    return root;
}

static void free_level(uint64_t pa, int level)
{
    uint64_t *t = table(pa);
    for (int i = vm_used(t, 0); i < 512; i = vm_used(t, i + 1)) {
        uint64_t e = t[i];
        t[i] = 0;
        if (!(e & PTE_P))
            continue;
        if (level > 1)
            free_level(e, level - 1);
        else
            pmm_unref(e & PTE_ADDR);
    }
    if (spares < SPARE_TABLES)
        spare[spares++] = pa & PTE_ADDR; /* every entry is zero now; pa may be an entry, with its flags */
    else
        pmm_unref(pa);
}

void vm_root_destroy(uint64_t root)
{
    uint64_t *t = table(root);
    for (int i = vm_used(t, 0); i < 256; i = vm_used(t, i + 1))
        if (t[i] & PTE_P)
            free_level(t[i], 3);
    pmm_unref(root);
}

/* Maps [pa, pa+len) at HHDM with 2 MiB pages. */
static void map_direct(uint64_t pa, uint64_t len)
{
    for (uint64_t a = pa & ~0x1fffffull; a < pa + len; a += 0x200000) {
        uint64_t va = HHDM_BASE + a;
        uint64_t *t = table(kernel_root);
        for (int shift = 39; shift > 21; shift -= 9) {
            uint64_t *e = &t[(va >> shift) & 511];
            if (!(*e & PTE_P))
                *e = table_alloc() | PTE_P | PTE_W;
            t = table(*e);
        }
        t[(va >> 21) & 511] = a | PTE_P | PTE_W | PTE_PS | PTE_G | nx_bit;
    }
}

void vm_init(const struct boot_info *bi)
{
    uint32_t r[4];
    cpuid(0x80000001, 0, r);
    nx_bit = (r[3] & (1u << 20)) ? PTE_NX : 0;
    kernel_root = table_alloc();
    for (int i = 0; i < bi->nram; i++)
        map_direct(bi->ram[i].base, bi->ram[i].len);
    map_direct(0, 0x100000); /* legacy area, for completeness of the map */
    /* The kernel image: text read-only and executable, the rest NX. */
    for (uint64_t va = (uint64_t)__text_start; va < (uint64_t)__kernel_end; va += PAGE_SIZE) {
        uint64_t flags = PTE_G;
        if (va >= (uint64_t)__text_end)
            flags |= PTE_W | PTE_NX;
        vm_map(kernel_root, va, va - KERNEL_VMA, flags);
    }
    write_cr3(cpu0.root_loaded = kernel_root);
}
