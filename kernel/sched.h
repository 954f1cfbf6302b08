/*
 * kernel/sched.h - the scheduler: fixed priorities 0 (lowest) .. 31, round
 * robin within a level, preemption by the timer, an idle thread.  IPC
 * hands the processor straight to its partner with sched_switch_to().
 * Interrupts disabled is the lock; the kernel itself is not preemptible.
 */
#ifndef PERSONA_SCHED_H
#define PERSONA_SCHED_H
#include <stdbool.h>
#include "task.h"
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
/* The direct switch of IPC and pico forwarding (pico.c, endpoint.c): the
 * current thread has blocked at its entry from user mode, and th, taken
 * off the list it waited on, waits at its own entry with nothing left to
 * do in the kernel but go back to user mode.  Never returns: th goes
 * straight out to user mode from its trap frame, and the current thread's
 * kernel stack is dropped; when it is switched to again it goes out
 * through thread_first_entry, as a new thread does. */
__attribute__((noreturn)) void sched_handoff(struct thread *th);
/* IPC's switch between two threads at their entries from user mode (the
 * current one just blocked, th just woken): sched_handoff, unless either
 * has something to do on its way out (a pending pico interrupt for th, a
 * native-call trace line), then sched_switch_to. */
static inline void sched_switch_direct(struct thread *th)
{
    if (th->interrupt_pending || th->task->trace || current()->task->trace)
        sched_switch_to(th);
    else
        sched_handoff(th);
}
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
/* Second half of a switch. */
void sched_finish_switch(void);
/* What a thread does first after a switch to its entry context (a new
 * thread, or one that left by sched_handoff): the switch's second half,
 * and a pending pico interrupt. */
void sched_enter_user(void);

#endif
