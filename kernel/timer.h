/*
 * kernel/timer.h - the timer (PIT channel 0, one shot at a time) and the
 * tick count, TIMER_HZ a second, and the clock (the TSC in ns).  Each tick
 * drives preemption; timed wake-ups come when due, between ticks too.
 * Book: docs/scheduling.md.
 */
#ifndef PERSONA_TIMER_H
#define PERSONA_TIMER_H
#include <persona/abi.h>
#include <stdint.h>

#define TIMER_HZ 100

void timer_init(void);
uint64_t timer_ticks(void);
/* Nanoseconds since boot, from the TSC; never goes back. */
uint64_t timer_ns(void);
/* The figures that turn the TSC into timer_ns, for user mode. */
const struct persona_clock *timer_clock(void);
/* A timed wake-up is due at at (timer_ns's clock): the timer
 * interrupts then, if not sooner already.  Interrupts disabled. */
void timer_wake_at(uint64_t at);

#endif
