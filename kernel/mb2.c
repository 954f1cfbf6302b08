/*
 * kernel/mb2.c - parses the multiboot2 boot information (pure logic).
 * Called once by kernel_main; also built into tests/unit.
 * Book: docs/boot.md.
 */
#include "mb2.h"
#include <stdbool.h>

enum { TAG_END = 0, TAG_CMDLINE = 1, TAG_MODULE = 3, TAG_MMAP = 6 };
enum { MMAP_AVAILABLE = 1 };

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static void copy_str(char *dst, size_t size, const uint8_t *src, size_t n)
{
    size_t i = 0;
    for (; i + 1 < size && i < n && src[i]; i++)
        dst[i] = (char)src[i];
    dst[i] = '\0';
}

static int parse_mmap(const uint8_t *t, uint32_t size, struct boot_info *out)
{
    if (size < 16)
        return -1;
    uint32_t esize = rd32(t + 8);
    if (esize < 24)
        return -1;
    for (uint32_t off = 16; off + esize <= size; off += esize) {
        const uint8_t *e = t + off;
        if (rd32(e + 16) != MMAP_AVAILABLE || out->nram == MB2_MAX_REGIONS)
            continue;
        out->ram[out->nram].base = rd64(e);
        out->ram[out->nram].len = rd64(e + 8);
        out->nram++;
    }
    return 0;
}

static int parse_module(const uint8_t *t, uint32_t size, struct boot_info *out)
{
    if (size < 16)
        return -1;
    if (out->nmods == MB2_MAX_MODULES)
        return 0;
    struct boot_module *m = &out->mods[out->nmods];
    m->start = rd32(t + 8);
    m->end = rd32(t + 12);
    if (m->end < m->start)
        return -1;
    copy_str(m->cmdline, sizeof m->cmdline, t + 16, size - 16);
    out->nmods++;
    return 0;
}

int mb2_parse(const void *mbi, size_t avail, struct boot_info *out)
{
    const uint8_t *p = mbi;
    out->cmdline[0] = '\0';
    out->nram = out->nmods = 0;
    if (avail < 8)
        return -1;
    uint32_t total = rd32(p);
    if (total < 8 || total > avail)
        return -1;
    for (uint32_t off = 8; off + 8 <= total;) {
        const uint8_t *t = p + off;
        uint32_t type = rd32(t), size = rd32(t + 4);
        if (size < 8 || off + size > total)
            return -1;
        int err = 0;
        if (type == TAG_END)
            return 0;
        if (type == TAG_CMDLINE)
            copy_str(out->cmdline, sizeof out->cmdline, t + 8, size - 8);
        else if (type == TAG_MODULE)
            err = parse_module(t, size, out);
        else if (type == TAG_MMAP)
            err = parse_mmap(t, size, out);
        if (err)
            return err;
        off += (size + 7) & ~7u;
    }
    return -1; /* no end tag */
}

const char *cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
    size_t klen = 0;
    while (key[klen])
        klen++;
    for (const char *p = cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        bool match = (size_t)(p - w) > klen && w[klen] == '=';
        for (size_t i = 0; match && i < klen; i++)
            match = w[i] == key[i];
        if (!match)
            continue;
        size_t n = 0;
        for (const char *v = w + klen + 1; v < p && n + 1 < size; v++)
            buf[n++] = *v;
        buf[n] = '\0';
        return buf;
    }
    return NULL;
}
