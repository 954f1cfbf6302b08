/*
 * kernel/pmm.c - reference-counted physical frame allocator (see pmm.h).
 * Allocation is next-fit from a rotating hint over the count array.
 * Book: docs/memory.md.
 */
#include "pmm.h"

static uint16_t *refs;
static size_t nframes, nfree, nusable, hint;

void pmm_init(uint16_t *array, size_t n)
{
    refs = array;
    nframes = n;
    nfree = nusable = hint = 0;
    for (size_t i = 0; i < n; i++)
        refs[i] = PMM_RESERVED;
}

static void frame_range(uint64_t base, uint64_t len, size_t *first, size_t *end, int inward)
{
    uint64_t lo = inward ? (base + PAGE_SIZE - 1) / PAGE_SIZE : base / PAGE_SIZE;
    uint64_t hi = inward ? (base + len) / PAGE_SIZE : (base + len + PAGE_SIZE - 1) / PAGE_SIZE;
    if (base + len < base)
        hi = nframes;
    *first = lo < nframes ? (size_t)lo : nframes;
    *end = hi < nframes ? (size_t)hi : nframes;
}

void pmm_release_range(uint64_t base, uint64_t len)
{
    size_t i, end;
    frame_range(base, len, &i, &end, 1);
    for (; i < end; i++) {
        if (i == 0 || refs[i] != PMM_RESERVED)
            continue; /* frame 0 stays reserved: 0 means "no frame" */
        refs[i] = 0;
        nfree++;
        nusable++;
    }
}

void pmm_reserve_range(uint64_t base, uint64_t len)
{
    size_t i, end;
    frame_range(base, len, &i, &end, 0);
    for (; i < end; i++) {
        if (refs[i] == 0) {
            nfree--;
            nusable--;
        }
        refs[i] = PMM_RESERVED;
    }
}

void pmm_adopt_range(uint64_t base, uint64_t len)
{
    size_t i, end;
    frame_range(base, len, &i, &end, 0);
    for (; i < end; i++) {
        if (i == 0 || refs[i] != PMM_RESERVED)
            continue;
        refs[i] = 1;
        nusable++;
    }
}

uint64_t pmm_alloc(void)
{
    if (nfree == 0)
        return 0;
    for (size_t k = 0; k < nframes; k++) {
        size_t i = (hint + k) % nframes;
        if (refs[i] == 0) {
            refs[i] = 1;
            nfree--;
            hint = i + 1;
            return (uint64_t)i * PAGE_SIZE;
        }
    }
    return 0;
}

uint64_t pmm_alloc_contig(size_t n)
{
    if (n == 0 || n > nfree)
        return 0;
    /* Next-fit like pmm_alloc: the scan starts at the hint and wraps once; a
     * run never spans the wrap. */
    size_t run = 0;
    for (size_t k = 0; k < nframes; k++) {
        size_t i = (hint + k) % nframes;
        run = (i == 0 || refs[i] != 0) ? 0 : run + 1;
        if (run < n)
            continue;
        size_t first = i + 1 - n;
        for (size_t j = first; j <= i; j++)
            refs[j] = 1;
        nfree -= n;
        hint = i + 1;
        return (uint64_t)first * PAGE_SIZE;
    }
    return 0;
}

static size_t frame_index(uint64_t pa) { return (size_t)(pa / PAGE_SIZE); }

int pmm_ref(uint64_t pa)
{
    size_t i = frame_index(pa);
    if (i >= nframes || refs[i] == 0 || refs[i] >= PMM_RESERVED - 1)
        return -1;
    refs[i]++;
    return 0;
}

unsigned pmm_unref(uint64_t pa)
{
    size_t i = frame_index(pa);
    if (i >= nframes || refs[i] == 0 || refs[i] == PMM_RESERVED)
        return 0;
    if (--refs[i] == 0)
        nfree++;
    return refs[i];
}

unsigned pmm_refcount(uint64_t pa)
{
    size_t i = frame_index(pa);
    return i < nframes ? refs[i] : PMM_RESERVED;
}

size_t pmm_free_frames(void) { return nfree; }
size_t pmm_total_frames(void) { return nusable; }
