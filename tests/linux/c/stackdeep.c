/*
 * tests/linux/c/stackdeep.c - the stack grows on demand: a write 5 MiB
 * below the stack pointer works and takes a few pages, not the 5 MiB
 * above it; a recursion 6 MiB deep works and keeps every frame's data.
 * mincore says which pages are in memory, on Linux as on Persona.  The
 * graded test of the lazy lab (docs/labs/lazy.md).  The output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define DEEP (5ul << 20)
static unsigned char vec[(8ul << 20) / 4096];

static long resident(uintptr_t from, size_t len)
{
    if (mincore((void *)from, len, vec) < 0)
        return -1;
    long n = 0;
    for (size_t i = 0; i < len / 4096; i++)
        n += vec[i] & 1;
    return n;
}

/* 1536 frames of a bit over 4 KiB: 6 MiB of stack, each frame's data
 * checked on the way back. */
static __attribute__((noinline)) long recurse(int depth)
{
    volatile unsigned char buf[4000];
    for (int i = 0; i < 4000; i += 64)
        buf[i] = (unsigned char)(depth + i);
    long below = depth ? recurse(depth - 1) : 0;
    long bad = 0;
    for (int i = 0; i < 4000; i += 64)
        bad += buf[i] != (unsigned char)(depth + i);
    return below + bad;
}

int main(void)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0) & ~4095ul, low = sp - DEEP;
    *(volatile char *)low = 7; /* one write, far below */
    long n = resident(low, DEEP);
    printf("a write 5 MiB down: %s, at least 1 page and under 1 MiB of the 5 MiB in memory: %s\n",
           *(volatile char *)low == 7 ? "read back" : "lost", n >= 1 && n < 256 ? "yes" : "no");
    printf("frames 6 MiB deep: %ld wrong\n", recurse(1535));
    n = resident(sp - (11ul << 19), 11ul << 19); /* the recursion reached below that */
    printf("after the recursion: over 5 MiB of the stack in memory: %s\n", n > 1280 ? "yes" : "no");
    return 0;
}
