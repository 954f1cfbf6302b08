/*
 * tests/native/t-sched.c - the scheduler's policy, measured: a thread of
 * higher priority that is ready runs, and lower ones wait (all of the
 * processor while it spins, and soon after it wakes); threads of one
 * priority share the processor evenly, a quantum (QUANTUM_TICKS) at a
 * time, and none starves.  The arguments prio, wake and turns name the
 * parts to run, each a test of its own (native-sched-*).  The main
 * thread (prio=20 on its module line) only sets up, sleeps and reads; all
 * the others are below the console's priority (120), which must go on
 * printing.  The graded tests of the sched lab (docs/labs/sched.md).
 */
#include "check.h"
#include <stdlib.h>
#include <string.h>

#define MS 1000000ull
#define MAX_GAPS 256

static volatile unsigned long counters[8];
static volatile int stop;
static uint64_t gaps[2][MAX_GAPS];
static volatile int ngaps[2];
static volatile uint64_t oversleep_total, oversleep_max;

static long start(void (*fn)(uint64_t), uint64_t arg, int prio)
{
    char *stack = malloc(65536);
    return sys_thread_create(H_SELF, (uint64_t)fn, (((uint64_t)stack + 65536) & ~15ull) - 8, arg, prio, 0);
}

static void spin(uint64_t which)
{
    while (!stop)
        counters[which]++;
    sys_thread_exit();
}

/* Spins, noting every time it did not run for over 2 ms: the others' turns. */
static void spin_gaps(uint64_t which)
{
    uint64_t last = (uint64_t)sys_clock_ns();
    while (!stop) {
        uint64_t now = (uint64_t)sys_clock_ns();
        if (now - last > 2 * MS && ngaps[which] < MAX_GAPS)
            gaps[which][ngaps[which]++] = now - last;
        last = now;
    }
    sys_thread_exit();
}

/* Sleeps 10 ms twenty times; notes how late it wakes (a tick at most:
 * a sleep ends at the first tick after it is due, and then it should run). */
static void sleeper(uint64_t unused)
{
    (void)unused;
    for (int i = 0; i < 20; i++) {
        uint64_t t0 = (uint64_t)sys_clock_ns();
        sys_sleep_ns(10 * MS);
        uint64_t late = (uint64_t)sys_clock_ns() - t0 - 10 * MS;
        oversleep_total += late;
        if (late > oversleep_max)
            oversleep_max = late;
    }
    counters[7] = 1;
    sys_thread_exit();
}

static void run_for(uint64_t ms)
{
    sys_sleep_ns(ms * MS);
    stop = 1;
    sys_sleep_ns(50 * MS); /* they see stop and exit */
    stop = 0;
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Priorities: a spinner at 6 takes the processor from one at 3. */
static void prio(void)
{
    CHECK(start(spin, 0, 3) >= 0 && start(spin, 1, 6) >= 0, "a spinner at priority 3 and one at 6");
    run_for(300);
    CHECK(counters[1] > 1000 && counters[0] < counters[1] / 50,
          "the higher one ran, the lower one (almost) not: %s", counters[0] < counters[1] / 50 ? "yes" : "no");
}

/* A higher priority that wakes runs at once, however many lower ones spin. */
static void wake(void)
{
    for (int i = 2; i < 6; i++)
        start(spin, (uint64_t)i, 3);
    start(sleeper, 0, 6);
    while (!counters[7])
        sys_sleep_ns(20 * MS);
    run_for(0);
    uint64_t avg = oversleep_total / 20;
    CHECK(avg < 12 * MS && oversleep_max < 15 * MS,
          "a sleeper at 6 among four spinners at 3 wakes at the tick it is due: %s", avg < 12 * MS && oversleep_max < 15 * MS ? "yes" : "no");
    printf("  (late by %lu us on average, %lu us at most)\n", (unsigned long)(avg / 1000),
           (unsigned long)(oversleep_max / 1000));
}

/* Equals share: three spinners at 5, none starved; and two take turns of
 * QUANTUM_TICKS ticks (50 ms). */
static void turns(void)
{
    for (int i = 0; i < 3; i++)
        start(spin, (uint64_t)i, 5);
    run_for(600);
    unsigned long sum = counters[0] + counters[1] + counters[2], least = counters[0];
    for (int i = 1; i < 3; i++)
        least = counters[i] < least ? counters[i] : least;
    CHECK(sum > 0 && least > sum / 5, "three spinners at one priority each got over a fifth: %s", least > sum / 5 ? "yes" : "no");

    start(spin_gaps, 0, 5);
    start(spin_gaps, 1, 5);
    run_for(1000);
    uint64_t all[2 * MAX_GAPS];
    int n = 0;
    for (int w = 0; w < 2; w++)
        for (int i = 0; i < ngaps[w]; i++)
            all[n++] = gaps[w][i];
    qsort(all, (size_t)n, sizeof all[0], cmp);
    uint64_t median = n ? all[n / 2] : 0;
    CHECK(n >= 6 && median >= 35 * MS && median <= 70 * MS, "two spinners take turns of about 50 ms: %s",
          n >= 6 && median >= 35 * MS && median <= 70 * MS ? "yes" : "no");
    printf("  (%d turns; the median wait %lu ms)\n", n, (unsigned long)(median / MS));
}

/* The parts the arguments name: prio, wake, turns. */
int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "prio") == 0)
            prio();
        else if (strcmp(argv[i], "wake") == 0)
            wake();
        else if (strcmp(argv[i], "turns") == 0)
            turns();
    }
    finish();
    return 0;
}
