/*
 * kernel/timer.c - programs PIT channel 0 as a rate generator on IRQ 0 and
 * counts ticks.
 * Book: docs/scheduling.md.
 */
#include "timer.h"
#include "irq.h"
#include "sched.h"
#include "x86.h"

#define PIT_HZ 1193182

static volatile uint64_t ticks;

static void timer_irq(int irq, struct trap_frame *f)
{
    (void)irq;
    ticks++;
    sched_account((f->cs & 3) == 3);
    sched_tick();
}

void timer_init(void)
{
    uint16_t div = PIT_HZ / TIMER_HZ;
    outb(0x43, 0x34); /* channel 0, lo/hi, mode 2 */
    outb(0x40, (uint8_t)div);
    outb(0x40, (uint8_t)(div >> 8));
    irq_set_handler(0, timer_irq);
}

uint64_t timer_ticks(void) { return ticks; }

uint64_t timer_ns(void)
{
    static uint64_t last;
    uint16_t div = PIT_HZ / TIMER_HZ;
    outb(0x43, 0x00); /* latch channel 0 */
    uint16_t count = inb(0x40);
    count |= (uint16_t)(inb(0x40) << 8);
    uint64_t ns = ticks * (1000000000ull / TIMER_HZ) + (uint64_t)(div - count) * 1000000000ull / PIT_HZ;
    if (ns < last)
        ns = last;
    last = ns;
    return ns;
}

uint64_t timer_ns_to_ticks(uint64_t ns)
{
    uint64_t per = 1000000000ull / TIMER_HZ;
    return ns / per + 1; /* the current tick is partly gone */
}
