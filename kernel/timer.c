/*
 * kernel/timer.c - programs PIT channel 0 as a rate generator on IRQ 0 and
 * counts ticks.
 */
#include "timer.h"
#include "irq.h"
#include "x86.h"

#define PIT_HZ 1193182

static volatile uint64_t ticks;

static void timer_irq(int irq, struct trap_frame *f)
{
    (void)irq;
    (void)f;
    ticks++;
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
