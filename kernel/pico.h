/*
 * kernel/pico.h - pico tasks: forwarding as a layer over IPC.
 *
 * A pico task holds no handles and reaches no kernel call: every syscall
 * and exception of its threads becomes one IPC call, built by the kernel
 * at the trap, to the endpoint its provider bound with pico_provide.  The
 * thread takes the reply through a hook (pico_reply): resume with a result,
 * resume unchanged, restart the call, resume with a full register set, or
 * die.  Lifecycle events (a thread exited, a task died) are one-way
 * messages posted on the same endpoint.  Interrupts disabled is the lock.
 *
 * Entry points: pico_provide and pico_task_create (sys_ipc.c),
 * pico_thread_init (sys_task.c), pico_syscall (syscall.c), pico_forward
 * (thread.c),
 * pico_return_to_user (every way back to user mode), and the death
 * notices pico_thread_exited, pico_task_died, pico_owner_died.
 * Book: docs/pico.md.
 */
#ifndef PERSONA_PICO_H
#define PERSONA_PICO_H
#include "list.h"
#include "thread.h"
#include <stdbool.h>
#include <stdint.h>

struct endpoint;
struct task;

/* A task that provides pico tasks on an endpoint. */
struct pico_provider {
    struct endpoint *ep;
    struct task *owner;  /* NULL once it died */
    struct list tasks;   /* its pico tasks (task.pico_link) */
    bool timed;          /* PICO_TIMED: its tasks' traps carry times */
};

/* "fastpath=off" on the command line: every IPC takes the general path. */
void pico_init(const char *cmdline);
/* Makes owner the provider of pico tasks on ep; timed: PICO_TIMED. */
int pico_provide(struct endpoint *ep, struct task *owner, bool timed);
struct task *pico_task_create(struct endpoint *ep, uint64_t badge, int *err);
/* A new thread of a pico task: badge names it in its trap messages. */
void pico_thread_init(struct thread *th, uint64_t badge);
/* The current pico thread trapped: forward it, and wait for the reply.
 * Returns nonzero when the way back to user mode must be iretq (its
 * registers were set).  pico_syscall is syscall_dispatch's pico half. */
int pico_forward(struct thread *th, uint64_t kind, uint64_t error, uint64_t addr);
int pico_syscall(struct thread *th);
/* pico_forward's general path, the specification (and the fast path's
 * fall-back). */
int pico_forward_general(struct thread *th, uint64_t error, uint64_t addr);
/* A pending thread_interrupt: the trap goes to the provider now, while
 * the thread is on its way back to user mode. */
void pico_take_interrupt(struct thread *th);
static inline void pico_return_to_user(struct thread *th)
{
    if (th->interrupt_pending)
        pico_take_interrupt(th);
}
void pico_thread_exited(struct thread *th);
void pico_task_died(struct task *t);
/* Any task died: if it provided pico tasks, they die too. */
void pico_owner_died(struct task *t);

#endif
