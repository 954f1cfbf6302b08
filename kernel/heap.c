/*
 * kernel/heap.c - power-of-two size classes from 32 to 2048 bytes carved
 * out of single frames, and whole contiguous frames above that.  Every
 * block starts with a 16-byte header naming its class, so kfree needs no
 * size.  Memory is reached through the direct map.  Interrupts disabled is
 * the lock.
 * Book: docs/memory.md.
 */
#include "heap.h"
#include "pmm.h"
#include "string.h"
#include "vm.h"
#include <stdint.h>

#define MIN_SHIFT 5
#define MAX_SHIFT 11
#define HDR 16
#define MAGIC 0x48454150u

struct hdr {
    uint32_t magic;
    uint32_t shift; /* size class, or 0 for a run of frames */
    uint64_t pages;
};

struct free_block {
    struct free_block *next;
};

static struct free_block *free_lists[MAX_SHIFT + 1];

static int refill(unsigned shift)
{
    uint64_t pa = pmm_alloc();
    if (!pa)
        return -1;
    char *page = phys_to_virt(pa);
    for (size_t off = 0; off < PAGE_SIZE; off += 1u << shift) {
        struct free_block *b = (struct free_block *)(page + off);
        b->next = free_lists[shift];
        free_lists[shift] = b;
    }
    return 0;
}

void *kmalloc(size_t size)
{
    if (size > (1ull << 40))
        return NULL;
    size_t need = size + HDR;
    struct hdr *h;
    if (need > (1u << MAX_SHIFT)) {
        uint64_t pages = (need + PAGE_SIZE - 1) / PAGE_SIZE;
        uint64_t pa = pmm_alloc_contig(pages);
        if (!pa)
            return NULL;
        h = phys_to_virt(pa);
        h->shift = 0;
        h->pages = pages;
    } else {
        unsigned shift = MIN_SHIFT;
        while ((1u << shift) < need)
            shift++;
        if (!free_lists[shift] && refill(shift) < 0)
            return NULL;
        h = (struct hdr *)free_lists[shift];
        free_lists[shift] = free_lists[shift]->next;
        h->shift = shift;
        h->pages = 0;
    }
    h->magic = MAGIC;
    return (char *)h + HDR;
}

void *kzalloc(size_t size)
{
    char *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    struct hdr *h = (struct hdr *)((char *)p - HDR);
    if (h->magic != MAGIC)
        return; /* not ours, or freed twice: leak rather than corrupt */
    h->magic = 0;
    if (h->shift == 0) {
        uint64_t pa = virt_to_phys(h);
        for (uint64_t i = 0; i < h->pages; i++)
            pmm_unref(pa + i * PAGE_SIZE);
        return;
    }
    struct free_block *b = (struct free_block *)h;
    b->next = free_lists[h->shift];
    free_lists[h->shift] = b;
}
