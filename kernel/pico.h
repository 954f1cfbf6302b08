/*
 * kernel/pico.h - pico tasks and the personality registry.
 *
 * A pico task holds no handles and reaches no kernel call: every syscall
 * and exception of its threads is forwarded as one IPC call to the
 * endpoint its personality registered, and the provider's reply (resume
 * with rax, resume with a full register set, or kill) decides what
 * happens.  Interrupts disabled is the lock.
 */
#ifndef PERSONA_PICO_H
#define PERSONA_PICO_H
#include "list.h"
#include <stdbool.h>
#include <stdint.h>

struct endpoint;
struct ipc_msg;
struct task;
struct thread;

struct personality {
    char name[32];
    struct endpoint *ep;
    struct task *owner;  /* the provider's task */
    struct list tasks;   /* its pico tasks (task.pico_link) */
    struct list events;  /* lifecycle events not yet received */
    bool trace;
};

extern bool pico_fastpath; /* "nofastpath" on the command line clears it */

/* Names from "trace=a,b" on the command line get tracing: personalities
 * their forwarded traps, native tasks their kernel calls. */
void pico_init(const char *cmdline);
bool trace_wanted(const char *name);
int pico_register(const char *name, struct endpoint *ep, struct task *owner);
struct task *pico_task_create(struct endpoint *ep, uint64_t badge, int *err);
/* The current pico thread trapped: forward and wait for the reply. */
/* A pending thread_interrupt: the trap goes to the personality now, while
 * the thread is on its way back to user mode. */
void pico_check_interrupt(struct thread *th);
void pico_forward(struct thread *th, uint32_t kind, uint64_t error, uint64_t addr);
/* The trap message of a thread queued on the provider's endpoint. */
void pico_trap_msg(struct thread *th, struct ipc_msg *msg);
/* A provider's reply to a pico thread. */
void pico_apply_reply(struct thread *th, const struct ipc_msg *msg);
/* A pending lifecycle event for the receiver, if any; returns 1 if sent. */
int pico_take_event(struct endpoint *ep, struct thread *receiver);
void pico_provider_lost(struct thread *th);
void pico_thread_exited(struct thread *th);
void pico_task_died(struct task *t);
/* Any task died: if it provided personalities, they and their tasks go. */
void pico_owner_died(struct task *t);

#endif
