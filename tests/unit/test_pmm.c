/*
 * tests/unit/test_pmm.c - kernel/pmm.c: ranges, allocation, exhaustion,
 * reference counts, contiguous runs.
 */
#include "check.h"
#include "pmm.h"

static uint16_t refs[64];

int main(void)
{
    pmm_init(refs, 64);
    CHECK(pmm_free_frames() == 0 && pmm_alloc() == 0);
    pmm_release_range(0, 64 * PAGE_SIZE);
    CHECK(pmm_free_frames() == 63);             /* frame 0 is never handed out */
    pmm_reserve_range(10 * PAGE_SIZE + 1, 10);  /* rounds outward: frame 10 */
    CHECK(pmm_free_frames() == 62 && pmm_refcount(10 * PAGE_SIZE) == PMM_RESERVED);
    pmm_reserve_range(0, 64 * PAGE_SIZE);
    CHECK(pmm_free_frames() == 0);
    pmm_release_range(PAGE_SIZE + 1, 3 * PAGE_SIZE); /* rounds inward: frames 2 and 3 */
    CHECK(pmm_free_frames() == 2 && pmm_refcount(PAGE_SIZE) == PMM_RESERVED);

    pmm_init(refs, 64);
    pmm_release_range(0, 64 * PAGE_SIZE);
    uint64_t seen = 0;
    int count = 0;
    for (uint64_t pa; (pa = pmm_alloc()) != 0; count++) {
        CHECK(pa % PAGE_SIZE == 0 && pa < 64 * PAGE_SIZE && !(seen & (1ull << (pa / PAGE_SIZE))));
        seen |= 1ull << (pa / PAGE_SIZE);
    }
    CHECK(count == 63 && pmm_free_frames() == 0);
    CHECK(pmm_ref(5 * PAGE_SIZE) == 0 && pmm_refcount(5 * PAGE_SIZE) == 2);
    CHECK(pmm_unref(5 * PAGE_SIZE) == 1 && pmm_free_frames() == 0);
    CHECK(pmm_unref(5 * PAGE_SIZE) == 0 && pmm_free_frames() == 1);
    CHECK(pmm_unref(5 * PAGE_SIZE) == 0 && pmm_free_frames() == 1); /* already free: no change */
    CHECK(pmm_ref(5 * PAGE_SIZE) == -1);                                /* cannot ref a free frame */
    CHECK(pmm_ref(1000 * PAGE_SIZE) == -1 && pmm_unref(1000 * PAGE_SIZE) == 0);
    CHECK(pmm_alloc() == 5 * PAGE_SIZE);

    /* Adopted frames: reserved ones get a count of 1 and become usable, so
     * the last unref frees them; others are left alone. */
    pmm_init(refs, 64);
    pmm_release_range(0, 32 * PAGE_SIZE);
    pmm_adopt_range(40 * PAGE_SIZE + 1, PAGE_SIZE); /* rounds outward: frames 40 and 41 */
    CHECK(pmm_refcount(40 * PAGE_SIZE) == 1 && pmm_refcount(41 * PAGE_SIZE) == 1);
    CHECK(pmm_refcount(42 * PAGE_SIZE) == PMM_RESERVED && pmm_total_frames() == 33 && pmm_free_frames() == 31);
    CHECK(pmm_ref(40 * PAGE_SIZE) == 0 && pmm_unref(40 * PAGE_SIZE) == 1);
    CHECK(pmm_unref(40 * PAGE_SIZE) == 0 && pmm_free_frames() == 32);
    pmm_adopt_range(0, 2 * PAGE_SIZE); /* frame 0 stays reserved; frame 1 is free, not reserved */
    CHECK(pmm_refcount(0) == PMM_RESERVED && pmm_refcount(PAGE_SIZE) == 0 && pmm_total_frames() == 33);

    pmm_init(refs, 64);
    pmm_release_range(0, 64 * PAGE_SIZE);
    for (uint64_t pa; (pa = pmm_alloc()) != 0;)
        ;
    refs[7] = PMM_RESERVED - 2;
    CHECK(pmm_ref(7 * PAGE_SIZE) == 0 && pmm_ref(7 * PAGE_SIZE) == -1); /* never reaches the marker */
    CHECK(pmm_refcount(7 * PAGE_SIZE) == PMM_RESERVED - 1);

    pmm_init(refs, 64);
    pmm_release_range(0, 64 * PAGE_SIZE);
    for (int i = 1; i < 64; i += 2)
        pmm_reserve_range((uint64_t)i * PAGE_SIZE, PAGE_SIZE); /* only even frames stay free */
    CHECK(pmm_alloc_contig(2) == 0 && pmm_alloc_contig(1) != 0);
    pmm_init(refs, 64);
    pmm_release_range(0, 64 * PAGE_SIZE);
    uint64_t run = pmm_alloc_contig(8);
    CHECK(run == PAGE_SIZE && pmm_free_frames() == 55);
    CHECK(pmm_alloc_contig(0) == 0 && pmm_alloc_contig(100) == 0);
    for (int i = 0; i < 8; i++)
        pmm_unref(run + (uint64_t)i * PAGE_SIZE);
    CHECK(pmm_free_frames() == 63 && pmm_total_frames() == 63);

    /* Contiguous runs are next-fit: the scan starts after the last
     * allocation, wraps, and a run never spans the wrap. */
    pmm_init(refs, 64);
    pmm_release_range(0, 64 * PAGE_SIZE);
    CHECK(pmm_alloc_contig(4) == 1 * PAGE_SIZE && pmm_alloc_contig(4) == 5 * PAGE_SIZE);
    pmm_unref(1 * PAGE_SIZE);
    CHECK(pmm_alloc_contig(1) == 9 * PAGE_SIZE); /* not back at frame 1 */
    CHECK(pmm_alloc_contig(50) == 10 * PAGE_SIZE && pmm_free_frames() == 5);
    CHECK(pmm_alloc_contig(5) == 0); /* 60..63 and 1 would span the wrap */
    CHECK(pmm_alloc_contig(4) == 60 * PAGE_SIZE);
    CHECK(pmm_alloc_contig(1) == 1 * PAGE_SIZE && pmm_free_frames() == 0);
    return check_summary("pmm");
}
