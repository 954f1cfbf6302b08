/*
 * kernel/sched.h - the scheduler: fixed priorities 0 (lowest) .. 127, round
 * robin within a level, preemption by the timer, an idle thread.  IPC
 * hands the processor straight to its partner with sched_switch_to(), or
 * (the fast path) sched_handoff().  Interrupts disabled is the lock; the
 * kernel itself is not preemptible.
 * Book: docs/scheduling.md.
 */
#ifndef PERSONA_SCHED_H
#define PERSONA_SCHED_H
#include <stdbool.h>
#include "cpu.h"
#include "task.h"
#include "thread.h"
#include "trap.h"
#include "vm.h"
#include "x86.h"

#define QUANTUM_TICKS 5

/* The highest priority with a ready thread, or -1 if none: read from
 * the bitmap of non-empty run queues whenever a queue changes, so that
 * the IPC fast path's test is one comparison. */
extern int runq_top;
static inline int sched_highest(void) { return runq_top; }
/* Whether a thread of a priority above prio is ready. */
static inline bool sched_outranked(int prio) { return runq_top > prio; }

void sched_init(void);
/* Puts a thread on its run queue (state TS_READY). */
void sched_ready(struct thread *th);
/* Removes a ready thread from its run queue. */
void sched_unready(struct thread *th);
/* The current thread stops with state; the next ready thread runs.  Returns
 * when someone makes this thread ready again. */
void sched_block(enum thread_state state);
/* After a wakeup outside IPC (a notification from a system call or an
 * interrupt): if it made a thread above the current one ready, that one
 * runs now, and the current one waits first in its queue with what is
 * left of its quantum, as at a tick. */
void sched_preempt_check(void);
/* th runs at priority prio from now on (re-queued if ready; the current
 * thread yields if that leaves a ready thread above it). */
void sched_set_prio(struct thread *th, int prio);
/* Runs th now.  The current thread must already be blocked, or is made
 * ready behind th. */
void sched_switch_to(struct thread *th);
/* switch.S: sched_handoff's way out to user mode. */
__attribute__((noreturn)) void handoff_exit(uint64_t *save_rsp, uint64_t *ctx, struct trap_frame *f, bool iret);
/* Loads what next runs with: its FPU registers, kernel stack, I/O ports,
 * address space and FS/GS bases (a switch's, and a handoff's). */
static inline __attribute__((always_inline)) void load_thread(struct thread *prev, struct thread *next)
{
    __asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
    __asm__ volatile("fxrstor64 %0" ::"m"(next->fpu));
    if (next->task) {
        cpu_set_kernel_stack((uint64_t)next->kstack + KSTACK_SIZE);
        cpu_set_iobitmap(next->task->iobitmap);
        vm_activate(next->task->root);
        wrmsr(MSR_FS_BASE, next->fs_base);
        if (next->gs_base != cpu0.user_gs_loaded) /* user GS is seldom set: mostly 0 */
            wrmsr(MSR_KERNEL_GS_BASE, cpu0.user_gs_loaded = next->gs_base);
    }
    if (prev->seg.on | next->seg.on) /* compatibility mode, TLS descriptors */
        thread_switch_segs(prev, next);
    if ((next->debug.dr7 | cpu0.debug_loaded.dr7) || next->notsc != cpu0.notsc_loaded) /* debugreg.c */
        thread_switch_debug(next);
    cpu0.current = next;
}

/* The handoff of the IPC fast path (fastpath.c, the only caller): the
 * current thread has blocked at its entry from user mode, and next, taken
 * off the queue it waited on, waits at its own entry with nothing left to
 * do in the kernel but go back to user mode.  Never returns: next goes
 * straight out to user mode from its trap frame, and the current thread's
 * kernel stack is dropped; when it is switched to again it goes out
 * through thread_first_entry, as a new thread does.  Inline: it is the
 * hottest code in the kernel. */
static inline __attribute__((always_inline, noreturn)) void sched_handoff(struct thread *next)
{
    struct thread *prev = current();
    next->state = TS_READY;
    load_thread(prev, next);
    struct trap_frame *f = next->frame;
    bool iret = next->full_restore || f->vector != VEC_SYSCALL; /* a syscall's rip is canonical (USER_END) */
    handoff_exit(&prev->kctx, (uint64_t *)prev->frame - 7, f, iret);
}

void sched_yield(void);
/* Sleeps the current thread until at (timer_ns's clock). */
void sched_sleep_until(uint64_t at);
/* The sleepers due by now (ns) are made ready. */
void sched_wake_due(uint64_t now);
/* The earliest sleeper's time to wake, or 0 (the timer's next interrupt). */
uint64_t sched_next_wake(void);
/* Called on every timer tick. */
void sched_tick(void);
/* Called for a timed wake-up between ticks (now: timer_ns): the sleepers
 * and notification timers due wake, and one above the running thread
 * takes the processor, as at a tick. */
void sched_timer_wake(uint64_t now);
/* n ticks passed before the interrupt of the one sched_tick takes (the
 * timer came late): they count against the running thread's turn too,
 * though at least one tick of it is left for sched_tick. */
void sched_ticks_missed(uint64_t n);
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
