/*
 * libc/include/persona/elf.h - the parts of ELF64 that libc, the root task
 * and the Linux personality (execve) read, and elf_load, the one loader of
 * static executables (libc's elf_load_task, pico_load_elf).  The kernel
 * parses no ELF: it starts the root task from a flat image that the build
 * makes from init.elf (scripts/root-image.py, kernel/root_task.c).  Pure
 * code, checked in tests/unit/test_elf.c.  See docs/boot.md.
 */
#ifndef PERSONA_ELF_H
#define PERSONA_ELF_H
#include <persona/abi.h>
#include <stdint.h>

#define ELF_ET_EXEC 2
#define ELF_ET_DYN 3
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PT_INTERP 3
#define ELF_PT_NOTE 4
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

/* elf_load's answer for a bad image: Linux's ENOEXEC, as every native
 * error number is.  Segments must end below ELF_VA_LIMIT, x86-64's lower
 * half; the memory calls refuse what the kernel keeps at its top. */
#define ELF_ENOEXEC (-8)
#define ELF_VA_LIMIT (1ull << 47)

/* The address space elf_load fills; each call returns 0 or a negative errno. */
struct elf_target {
    int (*map)(void *ctx, uint64_t va, uint64_t len);                    /* fresh zeroed pages, writable */
    int (*write)(void *ctx, uint64_t va, const void *src, uint64_t len); /* whatever the protection */
    int (*protect)(void *ctx, uint64_t va, uint64_t len, int prot);      /* PROT_* of abi.h */
    void *ctx;
};

/* Loads a static executable (ELF64, little-endian, x86-64, ET_EXEC): checks
 * the header and every PT_LOAD segment against the file and ELF_VA_LIMIT,
 * maps the pages the segments span, copies each one's bytes and gives it
 * its protection.  Returns 0 and the entry point, ELF_ENOEXEC for a bad
 * image (nothing mapped), or a failing call's error (what was mapped
 * stays, for the caller to drop with the task). */
static inline int elf_load(const void *img, uint64_t size, const struct elf_target *t, uint64_t *entry)
{
    const struct elf_hdr *h = (const struct elf_hdr *)img;
    uint64_t lo = ~0ull, hi = 0;
    if (size < sizeof *h || h->ident[0] != 0x7f || h->ident[1] != 'E' || h->ident[2] != 'L' || h->ident[3] != 'F' ||
        h->ident[4] != 2 || h->ident[5] != 1 || h->type != ELF_ET_EXEC || h->machine != ELF_EM_X86_64 ||
        h->phentsize != sizeof(struct elf_phdr) || h->phoff > size || (h->phoff & 7) ||
        h->phnum * sizeof(struct elf_phdr) > size - h->phoff)
        return ELF_ENOEXEC;
    const struct elf_phdr *ph = (const struct elf_phdr *)((const uint8_t *)img + h->phoff);
    for (int i = 0; i < h->phnum; i++) {
        if (ph[i].type != ELF_PT_LOAD)
            continue;
        if (ph[i].filesz > ph[i].memsz || ph[i].offset > size || ph[i].filesz > size - ph[i].offset ||
            ph[i].vaddr >= ELF_VA_LIMIT || ph[i].memsz > ELF_VA_LIMIT - ph[i].vaddr)
            return ELF_ENOEXEC;
        lo = ph[i].vaddr < lo ? ph[i].vaddr : lo;
        hi = ph[i].vaddr + ph[i].memsz > hi ? ph[i].vaddr + ph[i].memsz : hi;
    }
    lo &= ~0xfffull, hi = (hi + 0xfff) & ~0xfffull;
    int r = lo < hi ? t->map(t->ctx, lo, hi - lo) : ELF_ENOEXEC;
    for (int i = 0; r == 0 && i < h->phnum; i++) {
        uint64_t s = ph[i].vaddr & ~0xfffull, e = (ph[i].vaddr + ph[i].memsz + 0xfff) & ~0xfffull;
        int prot = PROT_READ | (ph[i].flags & ELF_PF_W ? PROT_WRITE : 0) | (ph[i].flags & ELF_PF_X ? PROT_EXEC : 0);
        if (ph[i].type == ELF_PT_LOAD && (r = t->write(t->ctx, ph[i].vaddr, (const uint8_t *)img + ph[i].offset,
                                                       ph[i].filesz)) == 0)
            r = t->protect(t->ctx, s, e - s, prot);
    }
    *entry = h->entry;
    return r;
}

#endif
