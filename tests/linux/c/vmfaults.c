/*
 * tests/linux/c/vmfaults.c - /proc/vmstat's pgfault moves with the page
 * faults programs take: touching 256 fresh pages of an anonymous mapping
 * adds to it (256 on Linux, which takes a fault a page; fewer here, where
 * a fault may bring its neighbours in: at least 32 is asked).
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdlib.h>
#include <sys/mman.h>

static long vmstat(const char *field)
{
    char buf[16384], *at;
    if (read_text("/proc/vmstat", buf, sizeof buf) < 0 || !(at = strstr(buf, field)))
        return -1;
    return atol(at + strlen(field) + 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char *p = mmap(NULL, 256 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long before = vmstat("\npgfault ");
    printf("pgfault read: %d\n", before >= 0);
    for (int i = 0; i < 256; i++)
        p[i * 4096] = 1;
    long after = vmstat("\npgfault ");
    printf("pgfault grew by at least 32: %d\n", after - before >= 32);
    CHECK(munmap(p, 256 * 4096));
    return 0;
}
