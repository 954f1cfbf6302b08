/*
 * tests/native/t-oom.c - running out of physical memory is a clean
 * ENOMEM, never a panic, and the memory comes back.
 */
#include "check.h"

#define BASE 0x200000000000ull
#define CHUNK (1ull << 20)

int main(void)
{
    uint64_t n = 0;
    long r;
    while ((r = sys_mem_map(H_SELF, BASE + n * CHUNK, CHUNK, PROT_READ | PROT_WRITE)) == 0)
        n++;
    CHECK(r == -12, "mapping until memory runs out ends in ENOMEM (%ld) after %lu MiB", r, (unsigned long)n);
    CHECK(sys_mem_unmap(H_SELF, BASE, n * CHUNK) == 0, "unmapped it all");
    uint64_t m = 0;
    while (m < n && sys_mem_map(H_SELF, BASE + m * CHUNK, CHUNK, PROT_READ | PROT_WRITE) == 0)
        m++;
    CHECK(m == n, "the same %lu MiB can be mapped again: nothing leaked", (unsigned long)m);
    sys_mem_unmap(H_SELF, BASE, m * CHUNK);
    CHECK(sys_mem_map(H_SELF, BASE, 1ull << 40, PROT_READ) == -12, "a 1 TiB request is ENOMEM at once");
    long t = sys_task_create();
    sys_mem_map((int)t, 0x10000, 4096, PROT_READ);
    uint64_t t0 = (uint64_t)sys_clock_ns();
    long r1 = sys_mem_unmap((int)t, 0, 0x7ffffffff000ull), r2 = sys_mem_protect((int)t, 0, 0x7ffffffff000ull, PROT_READ);
    uint64_t ms = ((uint64_t)sys_clock_ns() - t0) / 1000000;
    CHECK(r1 == 0 && r2 == 0 && ms < 1000, "unmapping and protecting the whole user half is quick (%lu ms)",
          (unsigned long)ms);
    finish();
    return 0;
}
