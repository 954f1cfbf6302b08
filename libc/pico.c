/*
 * libc/pico.c - elf_load_task and pico_load_elf (see persona/pico.h).  They
 * only use the public memory calls: a server owns the memory of the tasks
 * it creates.  The loading itself is elf_load of <persona/elf.h>, which
 * the kernel uses for the root task's image.
 */
#include <persona/elf.h>
#include <persona/pico.h>
#include <persona/syscalls.h>
#include <string.h>

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

/* A pico task of ep's personality with the image loaded and a stack
 * mapped; 0 and the task handle and entry point, or -errno. */
static int pico_task_load(int ep, const void *image, size_t size, uint64_t badge, int *task_h, uint64_t *entry)
{
    long task = sys_pico_task_create(ep, badge);
    if (task < 0)
        return (int)task;
    long r = elf_load_task((int)task, image, size, entry);
    if (r == 0)
        r = sys_mem_map((int)task, PICO_STACK_TOP - PICO_STACK_SIZE, PICO_STACK_SIZE, PROT_READ | PROT_WRITE);
    if (r < 0) {
        sys_task_kill((int)task);
        sys_handle_close((int)task);
        return (int)r;
    }
    *task_h = (int)task;
    return 0;
}

static int pico_thread_start(int task, uint64_t entry, uint64_t sp, uint64_t arg, uint64_t thread_badge, int *task_h,
                             int *thread_h)
{
    long r = sys_thread_create(task, entry, sp, arg, 10, thread_badge);
    if (r < 0) {
        sys_task_kill(task);
        sys_handle_close(task);
        return (int)r;
    }
    *task_h = task;
    if (thread_h)
        *thread_h = (int)r;
    else
        sys_handle_close((int)r);
    return 0;
}

int pico_load_elf(int ep, const void *image, size_t size, uint64_t badge, uint64_t arg, uint64_t thread_badge,
                  int *task_h, int *thread_h)
{
    uint64_t entry;
    int task = -1, r = pico_task_load(ep, image, size, badge, &task, &entry);
    return r < 0 ? r : pico_thread_start(task, entry, PICO_STACK_TOP, arg, thread_badge, task_h, thread_h);
}

int pico_load_elf_argv(int ep, const void *image, size_t size, uint64_t badge, uint64_t thread_badge, int argc,
                       const char *const argv[], int *task_h, int *thread_h)
{
    uint64_t entry, words[PICO_ARGV_MAX + 3];
    static char strings[PICO_ARGV_BYTES];
    size_t len = 0;
    if (argc < 0 || argc > PICO_ARGV_MAX)
        return -7; /* E2BIG */
    words[0] = (uint64_t)argc;
    for (int i = 0; i < argc; i++) {
        size_t k = strlen(argv[i]) + 1;
        if (k > sizeof strings - len)
            return -7;
        memcpy(strings + len, argv[i], k);
        words[1 + i] = PICO_STACK_TOP - sizeof strings + len;
        len += k;
    }
    words[1 + argc] = words[2 + argc] = 0; /* argv's NULL, an empty environment */
    uint64_t sp = (PICO_STACK_TOP - sizeof strings - 8 * (uint64_t)(argc + 3)) & ~15ull;
    int task = -1, r = pico_task_load(ep, image, size, badge, &task, &entry);
    if (r == 0 && (sys_mem_write(task, PICO_STACK_TOP - sizeof strings, strings, len) < 0 ||
                   sys_mem_write(task, sp, words, 8 * (uint64_t)(argc + 3)) < 0)) {
        sys_task_kill(task);
        sys_handle_close(task);
        r = -14; /* EFAULT */
    }
    return r < 0 ? r : pico_thread_start(task, entry, sp, 0, thread_badge, task_h, thread_h);
}
