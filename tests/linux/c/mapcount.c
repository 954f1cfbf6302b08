/*
 * tests/linux/c/mapcount.c - vm.max_map_count, as Linux holds a process
 * to it: areas are mapped (3 pages each, a page apart, so that none
 * merge) until mmap fails with ENOMEM, which is when the process has one
 * area more than the limit (do_mmap's check); then what needs a new area
 * is ENOMEM: a munmap that makes a hole in an area (not one that takes an
 * area's first page), an mprotect that splits one (a madvise's split is
 * EAGAIN), brk's growth, and mremap moving an area to a place it names
 * while there are not 5 areas' room (mremap_to's: move_vma's 3 and 2 for
 * splits); once areas are unmapped, each works again.  Every area is
 * unmapped at the end.  One line per check; the output must equal the
 * host Linux's (whose limit is Linux's default, 65530).
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define P 4096L
#define AREA ((char *)0x40000000000ul) /* free on both: far from the program, the heap and the stack */
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static char *area(long i)
{
    return AREA + i * 4 * P;
}

static long map_at(long i)
{
    void *a = mmap(area(i), 3 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    return a == MAP_FAILED ? -1 : 0;
}

int main(void)
{
    char buf[64];
    CHECK(read_text("/proc/sys/vm/max_map_count", buf, sizeof buf) > 0);
    long max = strtol(buf, NULL, 10), n = 0;
    printf("max_map_count %ld\n", max);
    while (n < max + 100 && map_at(n) == 0)
        n++;
    printf("mmap stopped: %s, below the limit: %d\n", errno_name(errno), n < max);
    errno = 0;
    CHECK(map_at(n));
    /* one area more than the limit: nothing may add one */
    CHECK(munmap(area(1) + P, P));
    CHECK(mprotect(area(1) + P, P, PROT_READ));
    CHECK(mprotect(area(1), P, PROT_READ));
    CHECK(madvise(area(1) + P, P, MADV_DONTFORK));
    CHECK(mprotect(area(1), 3 * P, PROT_READ));
    CHECK(mprotect(area(1), 3 * P, PROT_NONE));
    CHECK(mremap(area(2), 3 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED, area(n + 10)) == MAP_FAILED);
    long cur = syscall(SYS_brk, 0);
    CHECK(syscall(SYS_brk, cur + 4 * P) == cur);
    CHECK(munmap(area(1), P)); /* its first page: no new area */
    /* the limit's count: mmap works again, a hole does not yet */
    CHECK(munmap(area(0), 3 * P));
    CHECK(map_at(0));
    CHECK(munmap(area(0), 3 * P));
    CHECK(munmap(area(3), 3 * P));
    CHECK(munmap(area(4) + P, P));
    CHECK(mprotect(area(5) + P, P, PROT_READ));
    CHECK(mremap(area(6), 3 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED, area(n + 10)) == MAP_FAILED);
    for (long i = 7; i < 10; i++)
        CHECK(munmap(area(i), 3 * P));
    CHECK(mremap(area(6), 3 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED, area(n + 10)) == MAP_FAILED);
    for (long i = 10; i < 12; i++)
        CHECK(munmap(area(i), 3 * P));
    CHECK(mremap(area(6), 3 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED, area(n + 10)) == MAP_FAILED);
    CHECK(munmap(area(12), 3 * P));
    CHECK(mremap(area(6), 3 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED, area(n + 10)) == MAP_FAILED);
    CHECK(syscall(SYS_brk, cur + 4 * P) == cur + 4 * P);
    CHECK(syscall(SYS_brk, cur) == cur);
    long left = 0;
    for (long i = 0; i < n + 11; i++)
        left += munmap(area(i), 3 * P) < 0;
    printf("munmap failures at the end: %ld\n", left);
    return 0;
}
