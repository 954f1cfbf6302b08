/*
 * kernel/uapi/persona/elf.h - the parts of the ELF64 format that the
 * kernel (the root task's image), libc (elf_load_task, pico_load_elf) and
 * the Linux personality (execve) read, in one place; and the one loader of
 * static executables that the kernel and libc share: elf_load, which
 * reaches the address space it fills through a struct elf_target (the
 * kernel's uvm, or the memory calls on a task handle).  Pure code on the
 * bytes it is given, checked in tests/unit/test_elf.c.  See docs/boot.md.
 */
#ifndef PERSONA_UAPI_ELF_H
#define PERSONA_UAPI_ELF_H
#include "abi.h"
#include <stdint.h>

#define ELF_ET_EXEC 2
#define ELF_ET_DYN 3
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PT_INTERP 3
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf_hdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf_hdr) == 64, "Elf64_Ehdr");
_Static_assert(sizeof(struct elf_phdr) == 56, "Elf64_Phdr");

/* elf_load's answer for a file that is not a loadable executable: Linux's
 * ENOEXEC, as every native error number is. */
#define ELF_ENOEXEC (-8)
/* Segments must end in the lower half of the address space (x86-64's 2^47
 * bytes); the memory calls then refuse what the kernel keeps for itself. */
#define ELF_VA_LIMIT (1ull << 47)

/* The program headers of an ELF64 little-endian x86-64 executable (ET_EXEC)
 * of size bytes, when they lie inside it; otherwise NULL. */
static inline const struct elf_phdr *elf_exec_phdrs(const void *img, uint64_t size)
{
    const struct elf_hdr *h = (const struct elf_hdr *)img;
    const uint8_t *id = h->ident;
    if (size < sizeof *h || id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F' || id[4] != 2 ||
        id[5] != 1 || h->type != ELF_ET_EXEC || h->machine != ELF_EM_X86_64 ||
        h->phentsize != sizeof(struct elf_phdr) || h->phoff > size || (h->phoff & 7) ||
        (uint64_t)h->phnum * sizeof(struct elf_phdr) > size - h->phoff)
        return 0;
    return (const struct elf_phdr *)((const uint8_t *)img + h->phoff);
}

/* The address space elf_load fills; each call returns 0 or a negative errno. */
struct elf_target {
    int (*map)(void *ctx, uint64_t va, uint64_t len); /* fresh zeroed pages, writable */
    int (*write)(void *ctx, uint64_t va, const void *src, uint64_t len); /* whatever the protection */
    int (*protect)(void *ctx, uint64_t va, uint64_t len, int prot);      /* PROT_* of abi.h */
    void *ctx;
};

/* Loads a static executable: checks the header and every PT_LOAD segment
 * against the file and the lower half, maps the pages the segments span,
 * copies each segment's bytes and gives it its protection.  Returns 0 and
 * the entry point in *entry, ELF_ENOEXEC for a bad image (nothing is
 * mapped), or the error of a failing call (what was mapped stays, for the
 * caller to drop with the task). */
static inline int elf_load(const void *img, uint64_t size, const struct elf_target *t, uint64_t *entry)
{
    const struct elf_hdr *h = (const struct elf_hdr *)img;
    const struct elf_phdr *ph = elf_exec_phdrs(img, size);
    uint64_t lo = ~0ull, hi = 0;
    for (int i = 0; ph && i < h->phnum; i++) {
        if (ph[i].type != ELF_PT_LOAD)
            continue;
        if (ph[i].filesz > ph[i].memsz || ph[i].offset > size || ph[i].filesz > size - ph[i].offset ||
            ph[i].vaddr >= ELF_VA_LIMIT || ph[i].memsz > ELF_VA_LIMIT - ph[i].vaddr)
            return ELF_ENOEXEC;
        lo = ph[i].vaddr < lo ? ph[i].vaddr : lo;
        hi = ph[i].vaddr + ph[i].memsz > hi ? ph[i].vaddr + ph[i].memsz : hi;
    }
    lo &= ~0xfffull;
    hi = (hi + 0xfff) & ~0xfffull;
    if (!ph || lo >= hi)
        return ELF_ENOEXEC;
    int r = t->map(t->ctx, lo, hi - lo);
    for (int i = 0; r == 0 && i < h->phnum; i++) {
        if (ph[i].type != ELF_PT_LOAD)
            continue;
        uint64_t s = ph[i].vaddr & ~0xfffull, e = (ph[i].vaddr + ph[i].memsz + 0xfff) & ~0xfffull;
        int prot = PROT_READ | (ph[i].flags & ELF_PF_W ? PROT_WRITE : 0) | (ph[i].flags & ELF_PF_X ? PROT_EXEC : 0);
        r = t->write(t->ctx, ph[i].vaddr, (const uint8_t *)img + ph[i].offset, ph[i].filesz);
        if (r == 0)
            r = t->protect(t->ctx, s, e - s, prot);
    }
    *entry = h->entry;
    return r;
}

#endif
