/*
 * kernel/notif.h - notifications: a word of pending bits that IRQs, timers
 * and other threads OR in, and one thread waits on.  A notification bound
 * to a thread also ends that thread's ipc_recv.  Interrupts disabled is the
 * lock.
 * Book: docs/ipc.md (notifications).
 */
#ifndef PERSONA_NOTIF_H
#define PERSONA_NOTIF_H
#include "list.h"
#include "object.h"
#include <stdint.h>

struct thread;

struct notif {
    struct kobject obj;
    uint64_t bits;
    struct thread *waiter; /* blocked in notif_wait */
    struct thread *bound;  /* woken out of ipc_recv */
    uint64_t deadline;     /* its timer's, in timer_ns's ns; 0 when disarmed */
    uint64_t timer_bits;
    struct list timer_link;
};

struct notif *notif_create(void);
void notif_destroy(struct notif *n);
void notif_signal(struct notif *n, uint64_t bits);
int64_t notif_wait(struct notif *n);
int notif_bind(struct notif *n, struct thread *th);
void notif_unbind(struct thread *th);
/* If the thread's bound notification has bits, delivers them as a message
 * into its registers and returns 1. */
int notif_take_bound(struct thread *th);
/* n's timer: bits come at at (timer_ns's clock; 0 disarms it). */
void notif_arm(struct notif *n, uint64_t at, uint64_t bits);
/* The timers due by now (ns) fire. */
void notif_tick(uint64_t now);
/* The earliest armed timer's deadline, or 0 (the timer's next interrupt). */
uint64_t notif_next_deadline(void);
/* A thread waiting in notif_wait is dying. */
void notif_cancel(struct thread *th);

#endif
