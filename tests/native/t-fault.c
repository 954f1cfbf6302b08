/*
 * tests/native/t-fault.c - isolation.
 *   t-fault unmapped   touches unmapped memory: the kernel kills it
 *   t-fault kernel     reads kernel memory: killed too
 *   t-fault survivor   waits, then reports that it and the console live on
 */
#include "check.h"
#include <string.h>

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "unmapped") == 0)
        return *(volatile int *)0x1000;
    if (strcmp(mode, "kernel") == 0)
        return *(volatile int *)0xffff800000100000ull; /* the direct map: present, supervisor-only */
    sys_sleep_ns(300000000);
    CHECK(1, "survivor runs on after the faulting tasks died");
    finish();
    return 0;
}
