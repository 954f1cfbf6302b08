/*
 * kernel/root_task.c - starts the one task the kernel starts: the root
 * task, from the boot module whose command line's first word is "init".
 * The kernel loads its image (the only one it loads, and no ELF file: the
 * flat image scripts/root-image.py makes of init.elf, whose layout is
 * below) and gives it itself at H_SELF, the root device at
 * H_ROOT_DEVICE, the table of boot modules at BOOT_INFO_VA with every
 * module mapped read-only after it (their frames become its memory), a
 * stack, and a thread at the top priority.  Which module becomes which
 * server with what is the root task's policy (personalities/native/init.c).
 * Entry point: root_task_start, called once by kernel_main.
 * Book: docs/boot.md.
 */
#include "root_task.h"
#include "device.h"
#include "errno.h"
#include "heap.h"
#include "mb2.h"
#include "pico.h"
#include "pmm.h"
#include "printf.h"
#include "string.h"
#include "task.h"
#include "thread.h"
#include "trap.h"
#include "uvm.h"
#include "vm.h"

#define STACK_TOP 0x00007ffffff00000ull
#define STACK_SIZE (64 * 1024ull)
#define PAGE_UP(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
_Static_assert(BOOT_MODULES_MAX == MB2_MAX_MODULES && BOOT_CMDLINE_MAX == MB2_CMDLINE_MAX, "boot info sizes");

/* The root task's image (scripts/root-image.py): this header, then
 * file_size bytes to copy to base, in memory mapped zeroed up to base +
 * mem_size; then each segment gets its protection. */
struct root_image {
    uint64_t magic, entry, base, file_size, mem_size, nsegs;
    struct {
        uint64_t va, len, prot;
    } segs[4];
};
#define ROOT_IMAGE_MAGIC 0x31414e4f53524550ull /* "PERSONA1" */

static int load_image(struct task *t, const struct root_image *h, uint64_t size)
{
    if (size < sizeof *h || h->magic != ROOT_IMAGE_MAGIC || h->file_size > size - sizeof *h ||
        h->file_size > h->mem_size || h->nsegs > 4)
        return -ENOEXEC;
    int r = uvm_map_zero(t, h->base, h->mem_size, PROT_READ | PROT_WRITE);
    if (r == 0)
        r = uvm_copy_out(t, h->base, h + 1, h->file_size, true);
    for (uint64_t i = 0; r == 0 && i < h->nsegs; i++)
        r = uvm_protect(t, h->segs[i].va, h->segs[i].len, (int)h->segs[i].prot);
    return r;
}

/* Maps module m's frames read-only at va, each becoming the task's memory;
 * the bytes after its end in its last page are zeroed first. */
static int map_module(struct task *t, uint64_t va, const struct boot_module *m)
{
    memset(phys_to_virt(m->end), 0, PAGE_UP(m->end) - m->end);
    for (uint64_t pa = m->start; pa < m->end; pa += PAGE_SIZE, va += PAGE_SIZE) {
        if ((pa & (PAGE_SIZE - 1)) || pmm_refcount(pa) != PMM_RESERVED) /* GRUB aligns modules to pages */
            return -EINVAL;
        if (vm_map(t->root, va, pa, PTE_U | PTE_NX) < 0)
            return -ENOMEM;
        t->pages++;
        pmm_adopt_range(pa, PAGE_SIZE);
    }
    return 0;
}

/* The table of boot modules at BOOT_INFO_VA, read-only, the modules after it. */
static int give_boot_info(struct task *t, const struct boot_info *bi, int self)
{
    struct persona_bootinfo *info = kzalloc(sizeof *info);
    uint64_t size = PAGE_UP(sizeof *info), va = BOOT_INFO_VA + size + PAGE_SIZE;
    int r = info ? uvm_map_zero(t, BOOT_INFO_VA, size, PROT_READ) : -ENOMEM;
    if (r == 0) {
        info->nmods = (uint32_t)bi->nmods, info->self = (uint32_t)self;
        memcpy(info->cmdline, bi->cmdline, sizeof info->cmdline);
    }
    for (int i = 0; r == 0 && i < bi->nmods; i++) {
        const struct boot_module *m = &bi->mods[i];
        info->mods[i].va = va, info->mods[i].len = m->end - m->start;
        memcpy(info->mods[i].cmdline, m->cmdline, sizeof info->mods[i].cmdline);
        r = map_module(t, va, m);
        va += PAGE_UP(m->end - m->start) + PAGE_SIZE;
    }
    if (r == 0)
        r = uvm_copy_out(t, BOOT_INFO_VA, info, sizeof *info, true);
    kfree(info);
    return r;
}

void root_task_start(const struct boot_info *bi)
{
    int self = 0;
    while (self < bi->nmods && !(memcmp(bi->mods[self].cmdline, "init", 4) == 0 &&
                                 (bi->mods[self].cmdline[4] == ' ' || bi->mods[self].cmdline[4] == '\0')))
        self++;
    if (self == bi->nmods) {
        kprintf("persona: no boot module named init: nothing to run\n");
        machine_exit(EXIT_NO_INIT);
    }
    const struct boot_module *m = &bi->mods[self];
    struct task *t = task_create("init");
    struct device *root = device_create(-1, 0, 0, true);
    const struct root_image *img = phys_to_virt(m->start);
    int r = t && root ? handle_install(&t->handles, &t->obj, R_ALL, 0) : -ENOMEM;
    if (r == H_SELF) {
        root->root = true;
        r = handle_install(&t->handles, &root->obj, R_IRQ | R_IOPORT | R_POWER | R_GRANT, 0) == H_ROOT_DEVICE ? 0
                                                                                                     : -ENOMEM;
    }
    if (root)
        obj_put(&root->obj); /* its handle keeps it */
    if (r == 0)
        r = load_image(t, img, m->end - m->start);
    if (r == 0)
        r = give_boot_info(t, bi, self);
    if (r == 0)
        r = uvm_map_zero(t, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
    /* argc 0, argv and envp empty: the zeroed top of the stack */
    if (r == 0 && !thread_create(t, img->entry, STACK_TOP - 64, 0, PRIO_LEVELS - 1, false))
        r = -ENOMEM;
    if (r < 0) { /* nothing else would ever run */
        kprintf("persona: init: %s (error %d): nothing to run\n", r == -ENOEXEC ? "not a root task image" : "cannot start it",
                r);
        machine_exit(EXIT_NO_INIT);
    }
    obj_put(&t->obj); /* its thread and its own handle keep it */
}
