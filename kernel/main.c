/*
 * kernel/main.c - kernel_main: the order of boot after boot.S.
 *
 * Parses the multiboot2 information, sets up the frame allocator and the
 * kernel's page tables, the descriptor tables, interrupts and the timer,
 * then either runs the in-kernel test named by "ktest=" on the command
 * line or starts the root task, which starts the other boot modules.
 * Book: docs/boot.md.
 */
#include "cpu.h"
#include "heap.h"
#include "irq.h"
#include "ktest.h"
#include "mb2.h"
#include "pico.h"
#include "root_task.h"
#include "sched.h"
#include "syscall.h"
#include "thread.h"
#include "pmm.h"
#include "printf.h"
#include "serial.h"
#include "string.h"
#include "timer.h"
#include "trap.h"
#include "vm.h"
#include "x86.h"

#define BOOT_MAP_LIMIT 0x100000000ull /* boot.S maps the first 4 GiB */

extern char __kernel_end[];
struct boot_info boot_info;

static uint64_t ram_top(void)
{
    uint64_t top = 0;
    for (int i = 0; i < boot_info.nram; i++)
        if (boot_info.ram[i].base + boot_info.ram[i].len > top)
            top = boot_info.ram[i].base + boot_info.ram[i].len;
    return top;
}

static uint64_t image_end(void)
{
    uint64_t end = (uint64_t)__kernel_end - KERNEL_VMA;
    for (int i = 0; i < boot_info.nmods; i++)
        if (boot_info.mods[i].end > end)
            end = boot_info.mods[i].end;
    return (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* Places the frame count array in the first RAM above the kernel and the
 * modules that fits, and hands every other usable frame to the allocator. */
static void memory_init(void)
{
    size_t nframes = ram_top() / PAGE_SIZE;
    uint64_t bytes = (nframes * sizeof(uint16_t) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t at = 0, low = image_end();
    for (int i = 0; i < boot_info.nram && !at; i++) {
        uint64_t b = boot_info.ram[i].base, e = b + boot_info.ram[i].len;
        if (b < low)
            b = low;
        if (b + bytes <= e && b + bytes <= BOOT_MAP_LIMIT)
            at = b;
    }
    if (!at)
        panic("no room for the frame array (%lu frames)", nframes);
    pmm_init(phys_to_virt(at), nframes);
    for (int i = 0; i < boot_info.nram; i++)
        pmm_release_range(boot_info.ram[i].base, boot_info.ram[i].len);
    pmm_reserve_range(0, 0x100000);
    pmm_reserve_range(0x100000, image_end() - 0x100000);
    pmm_reserve_range(at, bytes);
}

void kernel_main(uint64_t mbi_phys)
{
    serial_init();
    kprintf("\nPersona microkernel booting\n");
    const void *mbi = phys_to_virt(mbi_phys);
    if (mb2_parse(mbi, *(const uint32_t *)mbi, &boot_info) < 0)
        panic("malformed multiboot2 information");
    memory_init();
    vm_init(&boot_info);
    cpu_init();
    irq_init();
    sched_init();
    thread_init();
    syscall_init();
    pico_init(boot_info.cmdline);
    timer_init();
    kprintf("persona: %lu MiB usable, %d boot modules, cmdline \"%s\"\n",
            pmm_total_frames() * PAGE_SIZE >> 20, boot_info.nmods, boot_info.cmdline);
    char name[64];
    if (cmdline_get(boot_info.cmdline, "ktest", name, sizeof name))
        machine_exit(ktest_run(name));
    root_task_start(&boot_info);
    sched_idle();
}
