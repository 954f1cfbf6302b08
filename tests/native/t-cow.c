/*
 * tests/native/t-cow.c - copy-on-write clones: after a clone, writes in
 * either task are invisible to the other.
 */
#include "check.h"
#include <string.h>

static char page[4096] __attribute__((aligned(4096))) = "original";

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
    CHECK(sys_task_kill((int)child) == 0 && sys_task_kill((int)grand) == 0, "clones killed, memory freed");
    finish();
    return 0;
}
