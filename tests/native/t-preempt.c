/*
 * tests/native/t-preempt.c - two threads of equal priority that never
 * yield both make progress: the timer preempts them.  Then each holds its
 * own value in an SSE register across many preemptions: the FPU/SSE state
 * is saved and restored with the thread.
 */
#include "check.h"
#include <stdlib.h>

static volatile unsigned long counters[2];
static volatile int stop;
static volatile uint64_t sse_seen[2];

/* Holds pattern in xmm5 through a long loop (several time slices). */
static uint64_t hold_in_xmm5(uint64_t pattern)
{
    uint64_t out;
    __asm__ volatile("movq %1, %%xmm5\n"
                     "mov $40000000, %%rcx\n"
                     "1: dec %%rcx\n"
                     "jnz 1b\n"
                     "movq %%xmm5, %0"
                     : "=r"(out)
                     : "r"(pattern)
                     : "rcx", "xmm5", "cc");
    return out;
}

static void sse_thread(uint64_t which)
{
    sse_seen[which] = hold_in_xmm5(0x1111111111111111ull * (which + 1));
    sys_thread_exit();
}

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
    /* A suspended thread does not run until resumed. */
    stop = 0;
    counters[1] = 0;
    char *stack3 = malloc(65536);
    long sus = sys_thread_create(H_SELF, (uint64_t)spin, (((uint64_t)stack3 + 65536) & ~15ull) - 8, 1,
                                 10 | THREAD_SUSPENDED, 0);
    sys_sleep_ns(60000000);
    unsigned long before = counters[1];
    CHECK(sus >= 0 && sys_thread_resume((int)sus) == 0 && sys_thread_resume((int)sus) == -22,
          "a suspended thread resumes once");
    sys_sleep_ns(60000000);
    stop = 1;
    CHECK(before == 0 && counters[1] > 0, "it ran only after thread_resume (%lu, then %lu)", before, counters[1]);

    char *stack2 = malloc(65536);
    sys_thread_create(H_SELF, (uint64_t)sse_thread, (((uint64_t)stack2 + 65536) & ~15ull) - 8, 1, 10, 0);
    uint64_t t0 = (uint64_t)sys_clock_ns();
    sse_seen[0] = hold_in_xmm5(0x1111111111111111ull);
    while (!sse_seen[1])
        sys_yield();
    CHECK(sse_seen[0] == 0x1111111111111111ull && sse_seen[1] == 0x2222222222222222ull,
          "each thread kept its own xmm5 across preemption (%lx, %lx) over %lu ms", (unsigned long)sse_seen[0],
          (unsigned long)sse_seen[1], (unsigned long)(((uint64_t)sys_clock_ns() - t0) / 1000000));
    finish();
    return 0;
}
