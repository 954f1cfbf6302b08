/*
 * kernel/pmm.h - the physical frame allocator.
 *
 * Every 4 KiB frame has a 16-bit reference count: 0 is free, PMM_RESERVED
 * marks frames that are not RAM or belong to the kernel image, boot modules
 * and the allocator's own array.  Shared (copy-on-write) frames hold a count
 * above 1.  Pure logic over a caller-supplied array: built into tests/unit.
 * Callers run with interrupts disabled (single CPU), which is the lock.
 * Book: docs/memory.md.
 */
#ifndef PERSONA_PMM_H
#define PERSONA_PMM_H
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ul
#define PMM_RESERVED 0xffff

/* refs: nframes entries; all frames start reserved. */
void pmm_init(uint16_t *refs, size_t nframes);
/* Marks the whole frames inside [base, base+len) free / reserved. */
void pmm_release_range(uint64_t base, uint64_t len);
void pmm_reserve_range(uint64_t base, uint64_t len);
/* Gives the reserved frames of [base, base+len) (rounded outward) a count
 * of 1 and counts them usable: memory the kernel hands over as it is (the
 * boot modules, to the root task), freed like any frame when its last
 * reference goes.  Frames not reserved are left alone. */
void pmm_adopt_range(uint64_t base, uint64_t len);
/* Returns a frame's physical address with a count of 1, or 0 when out. */
uint64_t pmm_alloc(void);
/* n physically contiguous frames, or 0. */
uint64_t pmm_alloc_contig(size_t n);
/* Adds a reference; returns -1 if the frame is not allocated or the count
 * would overflow. */
int pmm_ref(uint64_t pa);
/* Drops a reference, freeing the frame at 0.  Returns the new count. */
unsigned pmm_unref(uint64_t pa);
unsigned pmm_refcount(uint64_t pa);
size_t pmm_free_frames(void);
size_t pmm_total_frames(void);

#endif
