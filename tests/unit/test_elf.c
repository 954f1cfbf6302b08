/*
 * tests/unit/test_elf.c - elf_load of libc/include/persona/elf.h, the
 * loader of the root task (the boot modules), libc (pico programs) and
 * the Linux personality: a good image lands where its segments say with their protections;
 * every bad or truncated one is ELF_ENOEXEC before anything is mapped; a
 * failing memory call's error comes back.
 */
#include "check.h"
#include <persona/elf.h>
#include <string.h>

static uint8_t img[8192] __attribute__((aligned(8)));
static uint8_t mem[4 * 4096]; /* the target's memory, at BASE */
#define BASE 0x400000ull
static int maps, writes, protects, fail_map;
static uint64_t map_va, map_len;
static int prot_of[4];

static int t_map(void *ctx, uint64_t va, uint64_t len)
{
    (void)ctx;
    maps++, map_va = va, map_len = len;
    return fail_map ? -12 : 0;
}

static int t_write(void *ctx, uint64_t va, const void *src, uint64_t len)
{
    (void)ctx;
    writes++;
    if (va < BASE || va + len > BASE + sizeof mem)
        return -14;
    memcpy(mem + (va - BASE), src, len);
    return 0;
}

static int t_protect(void *ctx, uint64_t va, uint64_t len, int prot)
{
    (void)ctx;
    protects++;
    for (uint64_t a = va; a < va + len; a += 4096)
        prot_of[(a - BASE) / 4096] = prot;
    return 0;
}

static struct elf_target target = {t_map, t_write, t_protect, 0};

static struct elf_hdr *hdr(void) { return (struct elf_hdr *)img; }
static struct elf_phdr *ph(int i) { return (struct elf_phdr *)(img + 64) + i; }

/* Text (R X) of 100 bytes at BASE from file offset 4096, data (R W) of 16
 * file bytes and 4096 in memory at BASE + 0x2010 from offset 4196. */
static void good(void)
{
    memset(img, 0, sizeof img);
    memcpy(hdr()->ident, "\177ELF\2\1\1", 7);
    hdr()->type = ELF_ET_EXEC, hdr()->machine = ELF_EM_X86_64, hdr()->entry = BASE + 8;
    hdr()->phoff = 64, hdr()->phentsize = sizeof(struct elf_phdr), hdr()->phnum = 3;
    *ph(0) = (struct elf_phdr){ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 4096, BASE, 0, 100, 100, 4096};
    *ph(1) = (struct elf_phdr){4 /* PT_NOTE: ignored */, ELF_PF_R, 0, 0, 0, 8, 8, 8};
    *ph(2) = (struct elf_phdr){ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 4196, BASE + 0x2010, 0, 16, 4096, 4096};
    for (int i = 0; i < 116; i++)
        img[4096 + i] = (uint8_t)(i + 1);
}

static int load(uint64_t size)
{
    uint64_t entry = 0;
    maps = writes = protects = 0;
    memset(mem, 0, sizeof mem), memset(prot_of, 0, sizeof prot_of);
    int r = elf_load(img, size, &target, &entry);
    return r == 0 ? (entry == BASE + 8 ? 0 : -1) : r;
}

int main(void)
{
    good();
    CHECK(load(sizeof img) == 0);
    CHECK(maps == 1 && map_va == BASE && map_len == 0x4000); /* the span, pages rounded outward */
    CHECK(writes == 2 && mem[0] == 1 && mem[99] == 100 && mem[100] == 0);
    CHECK(mem[0x2010] == 101 && mem[0x201f] == 116 && mem[0x2020] == 0); /* bss stays zero */
    CHECK(prot_of[0] == (PROT_READ | PROT_EXEC) && prot_of[1] == 0);
    CHECK(prot_of[2] == (PROT_READ | PROT_WRITE) && prot_of[3] == (PROT_READ | PROT_WRITE));
    CHECK(load(4196 + 16) == 0); /* exactly long enough */

    /* Truncated files: nothing is mapped. */
    uint64_t short_sizes[] = {0, 63, 64 + 2 * 56, 4196 + 15};
    for (unsigned i = 0; i < sizeof short_sizes / sizeof short_sizes[0]; i++)
        CHECK(load(short_sizes[i]) == ELF_ENOEXEC && maps == 0);
    /* Each field spoiled in turn: nothing is mapped. */
    for (int spoil = 0; spoil < 12; spoil++) {
        good();
        switch (spoil) {
        case 0: img[1] = 'X'; break;                       /* magic */
        case 1: img[4] = 1; break;                         /* 32-bit */
        case 2: hdr()->type = ELF_ET_DYN; break;           /* not ET_EXEC */
        case 3: hdr()->machine = 3; break;                 /* i386 */
        case 4: hdr()->phentsize = 32; break;
        case 5: hdr()->phoff = sizeof img + 8; break;      /* past the end */
        case 6: hdr()->phnum = 200; break;                 /* past the end */
        case 7: hdr()->phoff = 65; break;                  /* misaligned */
        case 8: ph(2)->filesz = 5000; break;               /* more in the file than in memory */
        case 9: ph(2)->offset = sizeof img - 8; break;     /* file bytes past the end */
        case 10: ph(0)->vaddr = ELF_VA_LIMIT - 64; break;  /* ends past the lower half */
        case 11: ph(0)->vaddr = ~0ull - 10; break;         /* wraps around */
        }
        CHECK(load(sizeof img) == ELF_ENOEXEC && maps == 0);
    }
    good();
    ph(0)->type = ph(2)->type = 6; /* no PT_LOAD at all */
    CHECK(load(sizeof img) == ELF_ENOEXEC && maps == 0);
    /* A failing call's error is the answer, and nothing is written. */
    good();
    fail_map = 1;
    CHECK(load(sizeof img) == -12 && writes == 0);
    fail_map = 0;
    return check_summary("elf");
}
