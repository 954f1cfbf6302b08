/*
 * libc/pico.c - pico_load_elf (see persona/pico.h).  It only uses the
 * public memory calls: a personality owns its pico tasks' memory.
 */
#include <persona/pico.h>
#include <persona/syscalls.h>
#include <string.h>
#include <persona/elf.h>

#define ENOEXEC 8


static int load_segments(int task, const uint8_t *img, size_t size, const struct elf_hdr *h)
{
    const struct elf_phdr *ph = (const void *)(img + h->phoff);
    for (int i = 0; i < h->phnum; i++) {
        if (ph[i].type != 1) /* PT_LOAD */
            continue;
        if (ph[i].offset > size || ph[i].filesz > size - ph[i].offset || ph[i].filesz > ph[i].memsz)
            return -ENOEXEC;
        uint64_t start = ph[i].vaddr & ~0xfffull, end = (ph[i].vaddr + ph[i].memsz + 0xfff) & ~0xfffull;
        int prot = PROT_READ | (ph[i].flags & 2 ? PROT_WRITE : 0) | (ph[i].flags & 1 ? PROT_EXEC : 0);
        long r = sys_mem_map(task, start, end - start, prot);
        if (r == 0)
            r = sys_mem_write(task, ph[i].vaddr, img + ph[i].offset, ph[i].filesz);
        if (r < 0)
            return (int)r;
    }
    return 0;
}

int pico_load_elf(int ep, const void *image, size_t size, uint64_t badge, uint64_t arg, uint64_t thread_badge,
                  int *task_h, int *thread_h)
{
    const uint8_t *img = image;
    const struct elf_hdr *h = image;
    if (size < sizeof *h || memcmp(h->ident, "\177ELF\2\1", 6) != 0 || h->type != ELF_ET_EXEC || h->machine != ELF_EM_X86_64 ||
        h->phentsize != sizeof(struct elf_phdr) || h->phoff > size ||
        (uint64_t)h->phnum * sizeof(struct elf_phdr) > size - h->phoff)
        return -ENOEXEC;
    long task = sys_pico_task_create(ep, badge);
    if (task < 0)
        return (int)task;
    long r = load_segments((int)task, img, size, h);
    if (r == 0)
        r = sys_mem_map((int)task, PICO_STACK_TOP - PICO_STACK_SIZE, PICO_STACK_SIZE, PROT_READ | PROT_WRITE);
    if (r == 0)
        r = sys_thread_create((int)task, h->entry, PICO_STACK_TOP, arg, 10, thread_badge);
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
