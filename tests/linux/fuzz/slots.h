/*
 * tests/linux/fuzz/slots.h - what the socket fuzzers (sockfuzz.c,
 * inetfuzz.c) share: their random numbers (xorshift from a fixed seed, so
 * that a run repeats), and the fork whose child closes some of the
 * sixteen descriptor slots and ends; and the free memory /proc/meminfo
 * says, by which inetfuzz.c and tcpscale.c tell a leak.
 */
#ifndef TESTS_LINUX_FUZZ_SLOTS_H
#define TESTS_LINUX_FUZZ_SLOTS_H
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t seed = 88172645463325252ull;

static inline uint64_t rnd(void)
{
    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
    return seed;
}

/* Now and then a child that closes some descriptors and ends. */
static inline void fork_and_close(const int *fds)
{
    pid_t c = fork();
    if (c == 0) {
        for (int q = 0; q < 16; q++)
            if (fds[q] >= 0 && rnd() % 2)
                close(fds[q]);
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

/* MemFree, in KiB (-1 if /proc/meminfo says none). */
static inline long mem_free_kb(void)
{
    long kb = -1;
    char line[128];
    FILE *f = fopen("/proc/meminfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemFree: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

#endif
