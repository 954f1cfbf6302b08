/*
 * kernel/mb2.h - the boot information the kernel keeps from multiboot2:
 * usable RAM, boot modules and the command line.  mb2_parse() is pure and
 * bounds-checked, so tests/unit feeds it hand-made and malformed tag lists.
 * Book: docs/boot.md.
 */
#ifndef PERSONA_MB2_H
#define PERSONA_MB2_H
#include <stddef.h>
#include <stdint.h>

#define MB2_MAX_REGIONS 64
#define MB2_MAX_MODULES 16
#define MB2_CMDLINE_MAX 512

struct mem_region {
    uint64_t base, len;
};

struct boot_module {
    uint64_t start, end; /* physical, end exclusive */
    char cmdline[MB2_CMDLINE_MAX];
};

struct boot_info {
    char cmdline[MB2_CMDLINE_MAX];
    struct mem_region ram[MB2_MAX_REGIONS];
    int nram;
    struct boot_module mods[MB2_MAX_MODULES];
    int nmods;
};

/* Parses the tag list at mbi, which holds at most avail bytes.
 * Returns 0, or -1 when the list is malformed. */
int mb2_parse(const void *mbi, size_t avail, struct boot_info *out);

/* Returns the value of "key=value" in a command line, copied into buf,
 * or NULL when the key is absent. */
const char *cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

#endif
