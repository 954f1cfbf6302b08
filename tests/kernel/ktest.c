/*
 * tests/kernel/ktest.c - in-kernel tests of the foundation: the frame
 * allocator, page tables, a task's page counts, the heap, the timer, and
 * the panic path.
 * Selected with ktest=NAME; each prints "ktest NAME: ..." lines that
 * tests/qemu expectations match, and returns 0 for success.
 */
#include "heap.h"
#include "ktest.h"
#include "pmm.h"
#include "printf.h"
#include "string.h"
#include "task.h"
#include "timer.h"
#include "uvm.h"
#include "vm.h"
#include "x86.h"

#define CHECK(cond)                                                                                      \
    do {                                                                                                 \
        if (!(cond)) {                                                                                   \
            kprintf("ktest: check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);                     \
            return 1;                                                                                    \
        }                                                                                                \
    } while (0)

static int test_pmm(void)
{
    size_t before = pmm_free_frames();
    uint64_t a = pmm_alloc(), b = pmm_alloc();
    CHECK(a && b && a != b && !(a & 0xfff));
    CHECK(pmm_free_frames() == before - 2);
    CHECK(pmm_ref(a) == 0 && pmm_refcount(a) == 2);
    CHECK(pmm_unref(a) == 1 && pmm_unref(a) == 0 && pmm_unref(b) == 0);
    CHECK(pmm_free_frames() == before);
    uint64_t c = pmm_alloc_contig(16);
    CHECK(c != 0);
    for (int i = 0; i < 16; i++)
        CHECK(pmm_unref(c + i * PAGE_SIZE) == 0);
    kprintf("ktest pmm: %lu frames free of %lu\n", pmm_free_frames(), pmm_total_frames());
    return 0;
}

static int test_vm(void)
{
    uint64_t root = vm_root_create(), frame = pmm_alloc();
    CHECK(root && frame);
    uint64_t va = 0x400000;
    CHECK(vm_map(root, va, frame, PTE_W) == 0);
    uint64_t saved = read_cr3();
    vm_activate(root);
    *(volatile uint64_t *)va = 0x1234abcd;
    write_cr3(saved);
    CHECK(*(uint64_t *)phys_to_virt(frame) == 0x1234abcd);
    CHECK((*vm_pte(root, va, false) & PTE_ADDR) == frame);
    CHECK(vm_pte(root, va + 0x200000, false) == NULL);
    size_t before = pmm_free_frames() + vm_spare_tables();
    vm_root_destroy(root); /* frees the frame, three tables (kept as spares) and the root */
    CHECK(pmm_free_frames() + vm_spare_tables() == before + 5);
    /* the next address space takes the spare tables, which are zero */
    size_t spares = vm_spare_tables();
    root = vm_root_create();
    CHECK(root && vm_map(root, va, frame = pmm_alloc(), PTE_W) == 0);
    CHECK(vm_spare_tables() == (spares >= 4 ? spares - 4 : 0)); /* the root and three tables */
    CHECK(*vm_pte(root, va + 0x1000, false) == 0 && vm_pte(root, va + 0x40000000, false) == NULL);
    /* pruning: a range with a mapping keeps its tables; once unmapped,
     * its three tables go (to the spares) and the walk skips it */
    CHECK(vm_map(root, va + 0x200000, pmm_alloc(), PTE_W) == 0);
    vm_prune(root, 0, 0x800000);
    CHECK(vm_pte(root, va, false) && vm_pte(root, va + 0x200000, false));
    pmm_unref(vm_unmap(root, va) & PTE_ADDR);
    pmm_unref(vm_unmap(root, va + 0x200000) & PTE_ADDR);
    spares = vm_spare_tables();
    vm_prune(root, va, 0x400000);
    CHECK(vm_spare_tables() == spares + 4 && vm_next(root, va) == 1ull << 39); /* two leaves, the PD, the PDPT */
    vm_root_destroy(root);
    kprintf("ktest vm: map, write, walk, prune and destroy ok\n");
    return 0;
}

/* The user pages under one table (of the user half at the top level),
 * and of them the shared ones: a walk, to check uvm.c's counts against. */
static void walk_count(const uint64_t *t, int shift, uint64_t *pages, uint64_t *shared)
{
    for (int i = vm_used(t, 0); i < (shift == 39 ? 256 : 512); i = vm_used(t, i + 1)) {
        if (!(t[i] & PTE_P))
            continue;
        if (shift > 12)
            walk_count(phys_to_virt(t[i] & PTE_ADDR), shift - 9, pages, shared);
        else
            *pages += 1, *shared += (t[i] & PTE_SHARED) != 0;
    }
}

static bool counts_agree(struct task *t)
{
    uint64_t pages = 0, shared = 0;
    walk_count(phys_to_virt(t->root), 39, &pages, &shared);
    return pages == t->pages && shared == t->shared;
}

/* A task's counts of its pages (stats(STATS_TASK_MEM)) follow every kind
 * of change: fresh pages, pages mapped over, shared, shared copy-on-write,
 * moved, a clone, a pin, an unmap. */
static int test_uvm(void)
{
    struct task *a = task_create("ka"), *b = task_create("kb"), *c = task_create("kc");
    CHECK(a && b && c && a->pages == 0);
    CHECK(uvm_map_zero(a, 0x400000, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0 && a->pages == 8 && counts_agree(a));
    CHECK(uvm_map_zero(a, 0x402000, 2 * PAGE_SIZE, PROT_READ) == 0 && a->pages == 8 && counts_agree(a));
    CHECK(uvm_share(a, 0x400000, b, 0x10000000, 2 * PAGE_SIZE, PROT_READ) == 0);
    CHECK(a->shared == 2 && b->pages == 2 && b->shared == 2 && counts_agree(a) && counts_agree(b));
    CHECK(uvm_share(a, 0x404000, b, 0x10000000, PAGE_SIZE, PROT_READ | SHARE_COW) == 0); /* over a shared one */
    CHECK(b->pages == 2 && b->shared == 1 && counts_agree(b));
    CHECK(uvm_share(a, 0x405000, a, 0x20000000, PAGE_SIZE, PROT_READ | SHARE_MOVE) == 0 && a->pages == 8);
    CHECK(counts_agree(a));
    CHECK(uvm_clone(a, c) == 0 && c->pages == 8 && c->shared == 2 && counts_agree(c));
    uint64_t pa = uvm_pin(c, 0x406000);
    CHECK(pa && c->shared == 3 && counts_agree(c));
    pmm_unref(pa);
    CHECK(uvm_unmap(a, 0x400000, 0x10000000) == 0 && a->pages == 1 && a->shared == 0 && counts_agree(a));
    task_destroy(a), task_destroy(b), task_destroy(c);
    kprintf("ktest uvm: page counts agree with the tables after each change\n");
    return 0;
}

static int test_heap(void)
{
    void *p[64];
    for (int i = 0; i < 64; i++) {
        size_t n = (size_t)(i * 97 % 5000) + 1;
        p[i] = kmalloc(n);
        CHECK(p[i]);
        memset(p[i], i, n);
    }
    for (int i = 0; i < 64; i++) {
        size_t n = (size_t)(i * 97 % 5000) + 1;
        CHECK(((unsigned char *)p[i])[n - 1] == (unsigned char)i);
        kfree(p[i]);
    }
    void *a = kmalloc(40);
    kfree(a);
    CHECK(kmalloc(40) == a); /* freed blocks are reused */
    CHECK(kmalloc(1ull << 50) == NULL);
    kprintf("ktest heap: 64 allocations checked\n");
    return 0;
}

static int test_timer(void)
{
    uint64_t t0 = timer_ticks();
    sti();
    while (timer_ticks() < t0 + 10)
        hlt();
    cli();
    kprintf("ktest timer: 10 ticks at %d Hz\n", TIMER_HZ);
    return 0;
}

static int test_fault(void)
{
    kprintf("ktest fault: writing to an unmapped kernel address\n");
    *(volatile uint64_t *)0xffff9000deadb000ull = 42;
    return 1; /* unreachable: the panic path exits QEMU */
}

static const struct {
    const char *name;
    int (*fn)(void);
} tests[] = {
    {"pmm", test_pmm}, {"vm", test_vm}, {"uvm", test_uvm}, {"heap", test_heap}, {"timer", test_timer}, {"fault", test_fault},
};

int ktest_run(const char *name)
{
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (strcmp(tests[i].name, name) != 0)
            continue;
        int r = tests[i].fn();
        kprintf("ktest %s: %s\n", name, r ? "FAIL" : "PASS");
        return r;
    }
    kprintf("ktest: no test named %s\n", name);
    return 1;
}
