/*
 * kernel/sched.h - the scheduler: fixed priorities 0 (lowest) .. 31, round
 * robin within a level, preemption by the timer, an idle thread.  IPC
 * hands the processor straight to its partner with sched_switch_to().
 * Interrupts disabled is the lock; the kernel itself is not preemptible.
 */
#ifndef PERSONA_SCHED_H
#define PERSONA_SCHED_H
#include <stdbool.h>
#include "thread.h"

#define QUANTUM_TICKS 5

void sched_init(void);
/* Puts a thread on its run queue (state TS_READY). */
void sched_ready(struct thread *th);
/* Removes a ready thread from its run queue. */
void sched_unready(struct thread *th);
/* The current thread stops with state; the next ready thread runs.  Returns
 * when someone makes this thread ready again. */
void sched_block(enum thread_state state);
/* Runs th now.  The current thread must already be blocked, or is made
 * ready behind th. */
void sched_switch_to(struct thread *th);
void sched_yield(void);
/* Sleeps the current thread until the given tick. */
void sched_sleep_until(uint64_t tick);
/* Called on every timer tick. */
void sched_tick(void);
/* Charges the tick to the running thread (user: the interrupt came from
 * user mode), or to idle time. */
void sched_account(bool user);
void sched_totals(uint64_t *user, uint64_t *kernel, uint64_t *idle);
/* Never returns: the boot thread becomes the idle thread. */
__attribute__((noreturn)) void sched_idle(void);
/* Second half of a switch, also run first by every new thread. */
void sched_finish_switch(void);

#endif
