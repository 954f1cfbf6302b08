/*
 * kernel/timer.c - the timer: PIT channel 0 on IRQ 0, set one shot at a
 * time (mode 0) for whichever comes first, the next 10 ms tick or the
 * earliest timed wake-up (a notification's timer, a sleep), so that those
 * end when due rather than at a tick; and the clock: the TSC, counted in
 * ns since boot with a rate measured against the PIT at boot, which user
 * mode can read too (stats(STATS_CLOCK) gives the figures).  Ticks are
 * counted on that clock, TIMER_HZ a second, and drive preemption.
 * Book: docs/scheduling.md.
 */
#include "timer.h"
#include "irq.h"
#include "notif.h"
#include "sched.h"
#include "x86.h"

#define PIT_HZ 1193182
#define TICK_NS (1000000000ull / TIMER_HZ)

static volatile uint64_t ticks;
static struct persona_clock clock;
static uint64_t next_tick;  /* when the next tick is due, on timer_ns's clock */
static uint64_t set_for;    /* when channel 0 is set to interrupt */

/* Channel 0 interrupts once, at at (on timer_ns's clock, now being now),
 * or as soon as it can; at most one count's (838 ns) late. */
static void pit_at(uint64_t at, uint64_t now)
{
    uint64_t ns = at > now ? at - now : 0;
    if (ns > TICK_NS)
        ns = TICK_NS;
    uint64_t count = (ns * PIT_HZ + 999999999) / 1000000000; /* ns <= 10 ms: no overflow */
    count = count ? count : 1;
    outb(0x43, 0x30); /* channel 0, lo/hi, mode 0: interrupt on terminal count */
    outb(0x40, (uint8_t)count);
    outb(0x40, (uint8_t)(count >> 8));
    set_for = now + count * 1000000000 / PIT_HZ;
}

/* The next interrupt: at the next tick, or earlier for a wake-up due
 * before it. */
static void program(uint64_t now)
{
    uint64_t at = next_tick, w = sched_next_wake(), d = notif_next_deadline();
    at = w && w < at ? w : at;
    pit_at(d && d < at ? d : at, now);
}

void timer_wake_at(uint64_t at)
{
    if (at < set_for)
        program(timer_ns());
}

static void timer_irq(int irq, struct trap_frame *f)
{
    (void)irq;
    uint64_t now = timer_ns(), passed = 0;
    if (now >= next_tick) {
        passed = (now - next_tick) / TICK_NS + 1;
        next_tick += passed * TICK_NS;
    }
    program(now); /* first: what follows may switch threads */
    if (!passed) { /* a wake-up between ticks */
        sched_timer_wake(now);
        return;
    }
    ticks += passed;
    for (uint64_t i = 0; i < passed; i++)
        sched_account((f->cs & 3) == 3);
    sched_ticks_missed(passed - 1);
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
    outb(0x43, 0x34); /* channel 0, lo/hi, mode 2: periodic, to measure the TSC against */
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
    uint64_t now = timer_ns();
    next_tick = now + TICK_NS;
    pit_at(next_tick, now);
    irq_set_handler(0, timer_irq);
}

uint64_t timer_ticks(void) { return ticks; }

uint64_t timer_ns(void) { return persona_clock_ns(&clock, rdtsc()); }

const struct persona_clock *timer_clock(void) { return &clock; }
