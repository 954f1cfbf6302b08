/*
 * tests/native/t-cowmem.c - what copy-on-write saves: a clone of a task
 * with 8 MiB written takes (almost) no frames until one side writes; each
 * page written then costs one frame, once; and after the other side has
 * gone, a write takes no new frame.  Pages shared with SHARE_COW cost
 * nothing until written either, and show the source's later writes.  The data stays apart all along.  The
 * graded test of the cow lab (docs/labs/cow.md).
 */
#include "check.h"
#include <string.h>

#define BIG 0x50000000ull
#define SIZE (8ull << 20)
#define PAGES (SIZE / 4096)

static long free_kib(void)
{
    struct persona_memstats ms;
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    return (long)(ms.free_bytes / 1024);
}

static void fill(char tag)
{
    for (uint64_t i = 0; i < PAGES; i++)
        *(volatile char *)(BIG + i * 4096) = (char)(tag + i % 7);
}

/* Pages of the task (H_SELF or a clone) whose first byte is not tag's. */
static int wrong_pages(int task, char tag)
{
    int bad = 0;
    for (uint64_t i = 0; i < PAGES; i++) {
        char c = 0;
        sys_mem_read(task, BIG + i * 4096, &c, 1);
        bad += c != (char)(tag + i % 7);
    }
    return bad;
}

int main(void)
{
    CHECK(sys_mem_map(H_SELF, BIG, SIZE, PROT_READ | PROT_WRITE) == 0, "mapped 8 MiB");
    fill('a');
    long before = free_kib();
    long child = sys_task_clone(H_SELF, 0);
    long cost = before - free_kib();
    CHECK(child > 0 && cost < 512, "a clone of 8 MiB takes %s (under 512 KiB: page tables only)",
          cost < 512 ? "under 512 KiB" : "more");
    before = free_kib();
    fill('p');
    cost = before - free_kib();
    CHECK(cost >= 8192 && cost < 8192 + 512, "writing every page in the parent copies each once (%s)",
          cost >= 8192 && cost < 8192 + 512 ? "8 MiB" : "not 8 MiB");
    CHECK(wrong_pages(H_SELF, 'p') == 0 && wrong_pages((int)child, 'a') == 0,
          "the parent sees its writes, the clone the old data");
    before = free_kib();
    fill('q');
    CHECK(before - free_kib() < 64, "writing them again copies nothing");
    CHECK(sys_task_kill((int)child) == 0, "clone killed");

    long c2 = sys_task_clone(H_SELF, 0);
    CHECK(c2 > 0 && sys_mem_write((int)c2, BIG, "c", 1) == 0, "a second clone; the kernel writes into it");
    CHECK(wrong_pages(H_SELF, 'q') == 0, "a write into the clone does not show in the parent");
    CHECK(sys_task_kill((int)c2) == 0, "second clone killed");
    before = free_kib();
    fill('r');
    cost = before - free_kib();
    CHECK(cost < 64, "with the clone gone, a write takes no new frame (%s)", cost < 64 ? "none" : "some");

    long c3 = sys_task_clone(H_SELF, 0), c4 = c3 > 0 ? sys_task_clone((int)c3, 0) : -1;
    fill('s');
    CHECK(c4 > 0 && wrong_pages((int)c3, 'r') == 0 && wrong_pages((int)c4, 'r') == 0,
          "a clone of a clone: both keep the data from before the parent's writes");
    sys_task_kill((int)c3);
    before = free_kib();
    char first = 0;
    sys_mem_read((int)c4, BIG, &first, 1);
    CHECK(sys_task_kill((int)c4) == 0 && first == 'r' && free_kib() - before >= 8192 - 64,
          "killing the last clone gives its 8 MiB back");

    long other = sys_task_create();
    before = free_kib();
    CHECK(sys_mem_share(H_SELF, BIG, (int)other, BIG, SIZE, PROT_READ | PROT_WRITE | SHARE_COW) == 0,
          "shared 8 MiB copy-on-write into a new task");
    cost = before - free_kib();
    CHECK(cost < 512, "that takes %s", cost < 512 ? "under 512 KiB" : "more");
    CHECK(sys_mem_write((int)other, BIG + 4096, "w", 1) == 0 && wrong_pages(H_SELF, 's') == 0,
          "a write into the new task leaves the source as it was");
    fill('t');
    CHECK(wrong_pages((int)other, 't') == 1, "the new task sees the source's later writes, but on the page it wrote");
    sys_task_kill((int)other);
    finish();
    return 0;
}
