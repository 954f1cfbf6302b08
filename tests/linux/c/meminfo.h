/*
 * tests/linux/c/meminfo.h - meminfo_kb: a field of /proc/meminfo, in kB
 * (-1 if it is not there).  What overcommit.c and shmemcount.c share.
 */
#ifndef TESTS_LINUX_MEMINFO_H
#define TESTS_LINUX_MEMINFO_H
#include "check.h"
#include <stdlib.h>

static inline long meminfo_kb(const char *field)
{
    char buf[8192], *at;
    if (read_text("/proc/meminfo", buf, sizeof buf) < 0 || !(at = strstr(buf, field)))
        return -1;
    return atol(at + strlen(field) + 1);
}
#endif
