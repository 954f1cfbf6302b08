/*
 * tests/linux/c/lazymem.c - anonymous memory is mapped on demand: a
 * 1 GiB mapping (four times Persona's test machine, MAP_NORESERVE) with
 * sixteen pages written takes sixteen pages, untouched pages read as
 * zeros, and a brk heap grown by 128 MiB (half of it) takes only the pages touched.  mincore says which
 * pages are in memory, on Linux as on Persona.  The graded test of the
 * lazy lab (docs/labs/lazy.md).  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define GIB (1ul << 30)
static unsigned char vec[GIB / 4096];

/* Pages of [p, p+len) in memory, by mincore. */
static long resident(void *p, size_t len)
{
    if (mincore(p, len, vec) < 0)
        return -1;
    long n = 0;
    for (size_t i = 0; i < len / 4096; i++)
        n += vec[i] & 1;
    return n;
}

int main(void)
{
    /* MAP_NORESERVE: more than the machine's memory is refused otherwise (overcommit's heuristic, mode 0) */
    char *m = mmap(NULL, GIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(m != MAP_FAILED);
    if (m == MAP_FAILED)
        return 1;
    printf("fresh 1 GiB mapping: %ld pages in memory\n", resident(m, GIB));
    for (long i = 0; i < 16; i++)
        m[i * (64l << 20) + i * 4096 + 100] = (char)('A' + i);
    long n = resident(m, GIB);
    printf("after 16 writes: at least 16 pages and under 1 MiB in memory: %s\n", n >= 16 && n < 256 ? "yes" : "no");
    long bad = 0;
    for (long i = 0; i < 16; i++)
        bad += m[i * (64l << 20) + i * 4096 + 100] != (char)('A' + i);
    printf("the 16 bytes read back: %ld wrong\n", bad);
    long nonzero = 0;
    for (long off = 12345 * 4096l; off < (long)GIB; off += 7 * (1l << 20))
        nonzero += m[off] != 0;
    printf("untouched pages read as zeros: %ld not\n", nonzero);
    CHECK(munmap(m, GIB));

    /* The heap: brk grown by 128 MiB, its first and last pages written. */
    uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0), base = (cur + 4095) & ~4095ul;
    uintptr_t top = (uintptr_t)syscall(SYS_brk, base + (128ul << 20));
    printf("brk grew by 128 MiB: %s\n", top == base + (128ul << 20) ? "yes" : "no");
    ((volatile char *)base)[0] = 1;
    ((volatile char *)top)[-1] = 2;
    n = resident((void *)base, 128ul << 20);
    printf("after 2 writes: at least 2 pages and under 1 MiB of the heap in memory: %s\n", n >= 2 && n < 256 ? "yes" : "no");
    printf("the heap reads back: %d %d, untouched: %d\n", ((volatile char *)base)[0], ((volatile char *)top)[-1],
           ((volatile char *)base)[100 << 20]);
    printf("brk shrunk back: %s\n", (uintptr_t)syscall(SYS_brk, cur) == cur ? "yes" : "no");
    return 0;
}
