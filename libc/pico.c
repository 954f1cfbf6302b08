/*
 * libc/pico.c - elf_load_task and pico_load_elf (see persona/pico.h).  They
 * only use the public memory calls: a server owns the memory of the tasks
 * it creates.  The loading itself is elf_load of <persona/elf.h>, which
 * the kernel uses for the root task's image.
 */
#include <persona/pico.h>
#include <persona/syscalls.h>
#include <persona/elf.h>

static int task_map(void *task, uint64_t va, uint64_t len)
{
    return (int)sys_mem_map((int)(intptr_t)task, va, len, PROT_READ | PROT_WRITE);
}

static int task_write(void *task, uint64_t va, const void *src, uint64_t len)
{
    return (int)sys_mem_write((int)(intptr_t)task, va, src, len);
}

static int task_protect(void *task, uint64_t va, uint64_t len, int prot)
{
    return (int)sys_mem_protect((int)(intptr_t)task, va, len, prot);
}

int elf_load_task(int task, const void *image, size_t size, uint64_t *entry)
{
    struct elf_target t = {task_map, task_write, task_protect, (void *)(intptr_t)task};
    return elf_load(image, size, &t, entry);
}

int pico_load_elf(int ep, const void *image, size_t size, uint64_t badge, uint64_t arg, uint64_t thread_badge,
                  int *task_h, int *thread_h)
{
    uint64_t entry;
    long task = sys_pico_task_create(ep, badge);
    if (task < 0)
        return (int)task;
    long r = elf_load_task((int)task, image, size, &entry);
    if (r == 0)
        r = sys_mem_map((int)task, PICO_STACK_TOP - PICO_STACK_SIZE, PICO_STACK_SIZE, PROT_READ | PROT_WRITE);
    if (r == 0)
        r = sys_thread_create((int)task, entry, PICO_STACK_TOP, arg, 10, thread_badge);
    if (r < 0) {
        sys_task_kill((int)task);
        sys_handle_close((int)task);
        return (int)r;
    }
    *task_h = (int)task;
    if (thread_h)
        *thread_h = (int)r;
    else
        sys_handle_close((int)r);
    return 0;
}
