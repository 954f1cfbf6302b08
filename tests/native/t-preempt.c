/*
 * tests/native/t-preempt.c - two threads of equal priority that never
 * yield both make progress: the timer preempts them.  Then each holds its
 * own value in an SSE register across many preemptions: the FPU/SSE state
 * is saved and restored with the thread.  Last, thread_prio: its errors,
 * THREAD_FIFO: of two spinners at one priority, one with no time slice
 * keeps the processor; once it has one again, they take turns; and its
 * quantum: with turns of 1 and 10 ticks, the second runs the longer.
 * And a notification's waiter above its signaller runs at once.  Last,
 * a thread's debug registers: what thread_regs refuses of them, and a
 * thread with a data breakpoint on what it does not touch runs on.
 */
#include "check.h"
#include <stdlib.h>

static volatile unsigned long counters[5];
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

static volatile int signalled;

/* Signals notification h, then notes that its call returned. */
static void signaller(uint64_t h)
{
    sys_notif_signal((int)h, 1);
    signalled = 1;
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

    /* thread_prio: two spinners at 5, the first without a time slice; this
     * thread (at 10) sleeps while they run, and preempts them when it wakes. */
    stop = 0;
    char *stacks[2] = {malloc(65536), malloc(65536)};
    long a = sys_thread_create(H_SELF, (uint64_t)spin, (((uint64_t)stacks[0] + 65536) & ~15ull) - 8, 2,
                               5 | THREAD_SUSPENDED, 0);
    long b = sys_thread_create(H_SELF, (uint64_t)spin, (((uint64_t)stacks[1] + 65536) & ~15ull) - 8, 3,
                               5 | THREAD_SUSPENDED, 0);
    long above = sys_thread_prio((int)a, 11, 0), range = sys_thread_prio((int)a, 128, 0), bad = sys_thread_prio(999, 5, 0);
    CHECK(above == -1 && range == -22 && bad == -9, "thread_prio: above the caller EPERM, 128 EINVAL, no handle EBADF "
          "(%ld %ld %ld)", above, range, bad);
    CHECK(sys_thread_prio((int)a, 5 | THREAD_FIFO, 0) == 0 && sys_thread_resume((int)a) == 0 &&
              sys_thread_resume((int)b) == 0,
          "the first made THREAD_FIFO");
    sys_sleep_ns(200000000); /* 20 ticks: four quanta */
    unsigned long fifo_a = counters[2], fifo_b = counters[3];
    CHECK(fifo_a > 0 && fifo_b == 0, "with no time slice, it kept the processor (%lu, %lu)", fifo_a, fifo_b);
    CHECK(sys_thread_prio((int)a, 5, 0) == 0, "given a time slice again");
    sys_sleep_ns(200000000);
    CHECK(counters[2] > fifo_a && counters[3] > 0, "then they took turns (%lu, %lu)", counters[2], counters[3]);
    /* The length of a turn: 1 tick for the first, 10 for the second, which
     * then runs about ten times as long. */
    long past = sys_thread_prio((int)a, 5, THREAD_QUANTUM_MAX + 1), below = sys_thread_prio((int)a, 5, -1);
    CHECK(past == -22 && below == -22, "a quantum past THREAD_QUANTUM_MAX or below 0 is EINVAL (%ld %ld)", past, below);
    CHECK(sys_thread_prio((int)a, 5, 1) == 0 && sys_thread_prio((int)b, 5, 10) == 0, "turns of 1 and 10 ticks");
    sys_sleep_ns(50000000); /* the new lengths count from each one's next turn */
    unsigned long a0 = counters[2], b0 = counters[3];
    sys_sleep_ns(550000000); /* five rounds of 11 ticks */
    stop = 1;
    unsigned long da = counters[2] - a0, db = counters[3] - b0;
    CHECK(da > 0 && db > 4 * da, "the longer turns ran the longer (%lu, %lu)", da, db);
    /* A notification that wakes a thread above its signaller runs that
     * thread at once, before notif_signal returns, not at the next tick. */
    long n = sys_notif_create();
    char *stack4 = malloc(65536);
    long s = sys_thread_create(H_SELF, (uint64_t)signaller, (((uint64_t)stack4 + 65536) & ~15ull) - 8, (uint64_t)n, 5,
                               0);
    long bits = sys_notif_wait((int)n);
    CHECK(s >= 0 && bits == 1 && !signalled, "the woken waiter ran before the signaller went on (bits %ld, %d)", bits,
          signalled);
    /* Debug registers (debugreg.c): the kernel's half, an I/O breakpoint
     * and general detect are refused; a watchpoint elsewhere costs nothing. */
    static volatile uint64_t untouched;
    stop = 0;
    counters[4] = 0;
    char *stack5 = malloc(65536);
    long d = sys_thread_create(H_SELF, (uint64_t)spin, (((uint64_t)stack5 + 65536) & ~15ull) - 8, 4,
                               10 | THREAD_SUSPENDED, 0);
    struct persona_debug dr = {{1, 2, 3, 4}, 5};
    long got = sys_thread_regs((int)d, REGS_DEBUG_GET, (struct persona_regs *)(void *)&dr);
    CHECK(got == 0 && !dr.addr[0] && !dr.addr[3] && !dr.dr7, "a new thread has no breakpoints");
    long kern = sys_thread_regs((int)d, REGS_DEBUG_SET, (struct persona_regs *)(void *)&(struct persona_debug){
                                    {0xffff800000000000ull}, 1});
    long io = sys_thread_regs((int)d, REGS_DEBUG_SET, (struct persona_regs *)(void *)&(struct persona_debug){
                                  {0}, 1 | 2ull << 16});
    long gd = sys_thread_regs((int)d, REGS_DEBUG_SET, (struct persona_regs *)(void *)&(struct persona_debug){
                                  {0}, 1ull << 13});
    CHECK(kern == -22 && io == -22 && gd == -22, "a kernel address, an I/O breakpoint, general detect: EINVAL "
          "(%ld %ld %ld)", kern, io, gd);
    struct persona_debug w = {{(uint64_t)&untouched}, 1 | 0xdull << 16};
    long set = sys_thread_regs((int)d, REGS_DEBUG_SET, (struct persona_regs *)(void *)&w);
    sys_thread_regs((int)d, REGS_DEBUG_GET, (struct persona_regs *)(void *)&dr);
    CHECK(set == 0 && dr.addr[0] == (uint64_t)&untouched && dr.dr7 == w.dr7, "a write watchpoint is set and read back");
    sys_thread_resume((int)d);
    sys_sleep_ns(50000000);
    stop = 1;
    CHECK(counters[4] > 0 && untouched == 0, "its thread ran on (%lu)", counters[4]);
    finish();
    return 0;
}
