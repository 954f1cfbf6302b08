/*
 * tests/native/t-preempt.c - two threads of equal priority that never
 * yield both make progress: the timer preempts them.
 */
#include "check.h"
#include <stdlib.h>

static volatile unsigned long counters[2];
static volatile int stop;

static void spin(uint64_t which)
{
    while (!stop)
        counters[which]++;
    sys_thread_exit();
}

int main(void)
{
    char *stack = malloc(65536);
    long th = sys_thread_create(H_SELF, (uint64_t)spin, (((uint64_t)stack + 65536) & ~15ull) - 8, 1, 10, 0);
    CHECK(th >= 0, "second thread created (%ld)", th);
    uint64_t end = (uint64_t)sys_clock_ns() + 300000000;
    while ((uint64_t)sys_clock_ns() < end)
        counters[0]++;
    stop = 1;
    CHECK(counters[0] > 1000 && counters[1] > 1000, "both spinning threads progressed (%lu, %lu)", counters[0],
          counters[1]);
    finish();
    return 0;
}
