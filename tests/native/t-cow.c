/*
 * tests/native/t-cow.c - copy-on-write clones: after a clone, writes in
 * either task are invisible to the other.  And the end of user space: the
 * last page below the non-canonical hole is never mapped (USER_END).  And
 * task_mem: what of an address space is in memory.
 */
#include "check.h"
#include <string.h>

static char page[4096] __attribute__((aligned(4096))) = "original";
static char page2[4096] __attribute__((aligned(4096))) = "before";
static char shared[4096] __attribute__((aligned(4096)));

int main(void)
{
    long child = sys_task_clone(H_SELF, 0);
    CHECK(child > 0, "cloned this task's address space (%ld)", child);
    strcpy(page, "parent wrote"); /* a write fault on a copy-on-write page */
    char seen[32] = {0};
    sys_mem_read((int)child, (uint64_t)page, seen, sizeof seen - 1);
    CHECK(strcmp(seen, "original") == 0, "the clone still sees \"%s\"", seen);
    CHECK(sys_mem_write((int)child, (uint64_t)page, "child wrote", 12) == 0, "wrote into the clone");
    sys_mem_read((int)child, (uint64_t)page, seen, sizeof seen - 1);
    CHECK(strcmp(seen, "child wrote") == 0 && strcmp(page, "parent wrote") == 0,
          "each sees its own write (\"%s\" / \"%s\")", seen, page);
    long grand = sys_task_clone((int)child, 0);
    CHECK(sys_mem_write((int)grand, (uint64_t)page, "grandchild", 11) == 0, "a clone of the clone");
    sys_mem_read((int)child, (uint64_t)page, seen, sizeof seen - 1);
    CHECK(strcmp(seen, "child wrote") == 0, "the clone is untouched by its own clone (\"%s\")", seen);

    /* A copy-on-write page stays copy-on-write through mem_protect. */
    long c2 = sys_task_clone(H_SELF, 0);
    CHECK(sys_mem_protect(H_SELF, (uint64_t)page2, 4096, PROT_READ) == 0 &&
              sys_mem_protect(H_SELF, (uint64_t)page2, 4096, PROT_READ | PROT_WRITE) == 0,
          "made a copy-on-write page read-only, then writable again");
    strcpy(page2, "after");
    sys_mem_read((int)c2, (uint64_t)page2, seen, sizeof seen - 1);
    CHECK(strcmp(seen, "before") == 0, "the clone still sees \"%s\" after protect and write", seen);

    /* Shared pages stay shared: in the clone of a task they were shared with. */
    CHECK(sys_mem_share(H_SELF, (uint64_t)shared, (int)c2, 0x30000000, 4096, PROT_READ | PROT_WRITE) == 0,
          "shared a page into the clone");
    long c3 = sys_task_clone((int)c2, 0);
    strcpy(shared, "seen by all");
    char s2[32] = {0}, s3[32] = {0};
    sys_mem_read((int)c2, 0x30000000, s2, sizeof s2 - 1);
    sys_mem_read((int)c3, 0x30000000, s3, sizeof s3 - 1);
    CHECK(strcmp(s2, "seen by all") == 0 && strcmp(s3, "seen by all") == 0,
          "a write to a shared page shows in the sharer and its clone (\"%s\", \"%s\")", s2, s3);
    /* Moving pages: they leave the source. */
    uint64_t scratch = 0x40000000;
    sys_mem_map(H_SELF, scratch, 4096, PROT_READ | PROT_WRITE);
    strcpy((char *)scratch, "moved");
    CHECK(sys_mem_share(H_SELF, scratch, (int)c2, 0x31000000, 4096, PROT_READ | SHARE_MOVE) == 0,
          "moved a page into the clone");
    memset(s2, 0, sizeof s2);
    sys_mem_read((int)c2, 0x31000000, s2, sizeof s2 - 1);
    CHECK(strcmp(s2, "moved") == 0 && sys_mem_read(H_SELF, scratch, s3, 1) == -14,
          "the page is in the destination (\"%s\") and gone from the source", s2);
    sys_task_kill((int)c2);
    sys_task_kill((int)c3);
    CHECK(sys_task_kill((int)child) == 0 && sys_task_kill((int)grand) == 0, "clones killed, memory freed");
    const uint64_t top = 0x7ffffffff000ull, below = top - 4096;
    CHECK(sys_mem_map(H_SELF, top, 4096, PROT_READ | PROT_WRITE) == -22 &&
              sys_mem_map(H_SELF, below, 8192, PROT_READ) == -22,
          "the top page of user space cannot be mapped: EINVAL");
    CHECK(sys_mem_map(H_SELF, below, 4096, PROT_READ | PROT_WRITE) == 0 && (*(volatile char *)(below + 4095) = 1) &&
              sys_mem_unmap(H_SELF, below, 4096) == 0,
          "the page below it can");
    struct persona_taskmem m;
    long fresh = sys_task_create();
    CHECK(sys_stats(STATS_TASK_MEM, (int)fresh, &m, sizeof m) == 0 && m.resident_bytes == 0, "a new task has nothing in memory");
    sys_mem_map((int)fresh, 0x40000000, 3 * 4096, PROT_READ | PROT_WRITE);
    sys_mem_share(H_SELF, (uint64_t)shared, (int)fresh, 0x50000000, 4096, PROT_READ);
    CHECK(sys_stats(STATS_TASK_MEM, (int)fresh, &m, sizeof m) == 0 && m.resident_bytes == 4 * 4096 && m.shared_bytes == 4096,
          "three pages mapped and one shared: %lu bytes resident, %lu shared", (unsigned long)m.resident_bytes,
          (unsigned long)m.shared_bytes);
    CHECK(sys_stats(STATS_TASK_MEM, 200, &m, sizeof m) == -9 && sys_stats(STATS_TASK_MEM, (int)fresh, (void *)0x10, sizeof m) == -14,
          "task_mem: EBADF for a bad handle, EFAULT for a bad pointer");
    sys_task_kill((int)fresh);
    struct persona_memstats ms;
    struct persona_cputimes ct;
    CHECK(sys_stats(STATS_MEMORY, -1, &ms, sizeof ms) == 0 && ms.free_bytes > 0 && ms.free_bytes < ms.total_bytes &&
              sys_stats(STATS_CPU, -1, &ct, sizeof ct) == 0 && ct.hz == 100 && ct.user + ct.kernel + ct.idle > 0,
          "stats: the machine's memory (%lu of %lu bytes free) and CPU ticks", (unsigned long)ms.free_bytes,
          (unsigned long)ms.total_bytes);
    struct persona_clock clk;
    CHECK(sys_stats(STATS_CLOCK, -1, &clk, sizeof clk) == 0 && clk.mult > 0 &&
              persona_clock_ns(&clk, persona_rdtsc()) <= (uint64_t)sys_clock_ns(),
          "stats: the clock's figures, which read the TSC as clock_ns does (mult %lu)", (unsigned long)clk.mult);
    CHECK(sys_stats(4, -1, &ms, sizeof ms) == -22 && sys_stats(STATS_MEMORY, -1, &ms, sizeof ms - 1) == -22 &&
              sys_stats(STATS_CPU, 200, &ct, sizeof ct) == -9,
          "stats: EINVAL for an unknown figure or a short buffer, EBADF for a bad thread");
    CHECK(persona_syscall6(38, 1, 0, 0, 0, 0, 0) == -38 && persona_syscall6(41, -1, (long)&ct, 0, 0, 0, 0) == -38 &&
              persona_syscall6(43, 0, (long)&m, 0, 0, 0, 0) == -38,
          "retired call numbers 38, 41 and 43 answer ENOSYS");
    finish();
    return 0;
}
