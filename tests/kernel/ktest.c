/*
 * tests/kernel/ktest.c - in-kernel tests of the foundation: the frame
 * allocator, page tables, the heap, the timer, and the panic path.
 * Selected with ktest=NAME; each prints "ktest NAME: ..." lines that
 * tests/qemu expectations match, and returns 0 for success.
 */
#include "heap.h"
#include "ktest.h"
#include "pmm.h"
#include "printf.h"
#include "string.h"
#include "timer.h"
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
    {"pmm", test_pmm}, {"vm", test_vm}, {"heap", test_heap}, {"timer", test_timer}, {"fault", test_fault},
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
