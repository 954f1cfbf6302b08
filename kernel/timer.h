/*
 * kernel/timer.h - the periodic timer (PIT channel 0 at TIMER_HZ) and the
 * tick count.  Each tick drives preemption and timed wake-ups.
 * Book: docs/scheduling.md.
 */
#ifndef PERSONA_TIMER_H
#define PERSONA_TIMER_H
#include <stdint.h>

#define TIMER_HZ 100

void timer_init(void);
uint64_t timer_ticks(void);
/* Nanoseconds since boot, to the PIT's resolution; never goes back. */
uint64_t timer_ns(void);
/* Ticks to wait for at least ns nanoseconds. */
uint64_t timer_ns_to_ticks(uint64_t ns);

#endif
