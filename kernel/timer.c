/*
 * kernel/timer.c - programs PIT channel 0 as a rate generator on IRQ 0 and
 * counts ticks; and the clock: the TSC, counted in ns since boot with a
 * rate measured against the PIT at boot, which user mode can read too
 * (stats(STATS_CLOCK) gives the figures).
 * Book: docs/scheduling.md.
 */
#include "timer.h"
#include "irq.h"
#include "sched.h"
#include "x86.h"

#define PIT_HZ 1193182

static volatile uint64_t ticks;
static struct persona_clock clock;

static void timer_irq(int irq, struct trap_frame *f)
{
    (void)irq;
    ticks++;
    sched_account((f->cs & 3) == 3);
    sched_tick();
}

static uint16_t pit_count(void)
{
    outb(0x43, 0x00); /* latch channel 0 */
    uint16_t count = inb(0x40);
    return count | (uint16_t)(inb(0x40) << 8);
}

/* Waits for channel 0 to start a new period (its count goes up again). */
static void pit_wrap(void)
{
    for (uint16_t prev = pit_count(), now; (now = pit_count()) <= prev; prev = now)
        ;
}

void timer_init(void)
{
    uint16_t div = PIT_HZ / TIMER_HZ;
    outb(0x43, 0x34); /* channel 0, lo/hi, mode 2 */
    outb(0x40, (uint8_t)div);
    outb(0x40, (uint8_t)(div >> 8));
    /* The TSC's rate: its count over one PIT period (10 ms, whose length
     * the PIT's crystal fixes), from now until the PIT's count comes back
     * to where it was; mult turns TSC counts into ns (>> 32). */
    uint16_t c0 = pit_count();
    uint64_t t0 = rdtsc();
    pit_wrap();
    while (pit_count() > c0)
        ;
    uint64_t per_period = rdtsc() - t0;
    uint64_t period_ns = 1000000000ull * div / PIT_HZ;
    clock.mult = (period_ns << 32) / (per_period ? per_period : 1); /* period_ns < 2^24: no overflow */
    clock.tsc0 = t0;
    irq_set_handler(0, timer_irq);
}

uint64_t timer_ticks(void) { return ticks; }

uint64_t timer_ns(void) { return persona_clock_ns(&clock, rdtsc()); }

const struct persona_clock *timer_clock(void) { return &clock; }

uint64_t timer_ns_to_ticks(uint64_t ns)
{
    uint64_t per = 1000000000ull / TIMER_HZ;
    return ns / per + 1; /* the current tick is partly gone */
}
