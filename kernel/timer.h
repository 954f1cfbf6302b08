/*
 * kernel/timer.h - the periodic timer (PIT channel 0 at TIMER_HZ) and the
 * tick count, and the clock (the TSC in ns).  Each tick drives preemption
 * and timed wake-ups.
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
/* Ticks to wait for at least ns nanoseconds. */
uint64_t timer_ns_to_ticks(uint64_t ns);

#endif
