/*
 * kernel/endpoint.h - synchronous IPC endpoints: call, receive, reply, and
 * one-way messages the kernel posts.
 *
 * A message is eight words in registers plus up to IPC_BUFFER_SIZE bytes
 * copied between the two threads' pinned IPC buffers.  A caller waits in
 * the endpoint's "awaiting" list until a receiver replies with the token it
 * was given, so a server may hold several calls open at once.  When the
 * last handle with R_RECV closes, the endpoint is dead: queued and waiting
 * callers get -EPIPE.  Interrupts disabled is the lock.
 *
 * Generic IPC knows nothing of pico tasks.  Two hooks let a layer above
 * (pico.c) make calls of its own: a call's message may be one the kernel
 * built (thread.kmsg), and a caller may take its reply through a hook
 * (thread.on_reply) instead of in its registers.  The general path here is
 * the specification; fastpath.c does the commonest cases in fewer steps.
 * Book: docs/ipc.md.
 */
#ifndef PERSONA_ENDPOINT_H
#define PERSONA_ENDPOINT_H
#include "list.h"
#include "notif.h"
#include "object.h"
#include "thread.h"
#include "trap.h"
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct thread;

struct ipc_msg {
    uint64_t w[8];
    const void *bulk; /* kernel address of the bulk bytes, or NULL */
    size_t len;
};

struct endpoint {
    struct kobject obj;
    struct list senders;   /* TS_SEND threads */
    struct list receivers; /* TS_RECV threads */
    struct list awaiting;  /* TS_REPLY threads, oldest first */
    struct list posted;    /* one-way messages from the kernel (endpoint_post) */
    uint64_t next_token;
    uint32_t recv_handles; /* handles with R_RECV */
};

struct endpoint *endpoint_create(void);
void endpoint_destroy(struct endpoint *ep);
/* Counts handles with R_RECV; at zero the endpoint dies. */
void endpoint_recv_handle(struct endpoint *ep, int delta);
/* A one-way message from the kernel (w0, w1; token 0): handed to a waiting
 * receiver, or queued for the next receive.  -ENOMEM if it cannot be. */
int endpoint_post(struct endpoint *ep, uint64_t badge, uint64_t w0, uint64_t w1);

/* The current thread calls ep with msg and waits for the reply.  Returns
 * the status the reply or the failure left in its rax.  msg must stay
 * valid until a receiver takes it (it lives on the caller's kernel stack,
 * or in the thread). */
int64_t ipc_call(struct endpoint *ep, uint64_t badge, const struct ipc_msg *msg);
int64_t ipc_recv(struct endpoint *ep);
int64_t ipc_reply(struct endpoint *ep, uint64_t token, const struct ipc_msg *msg, int and_recv);
/* Takes a thread off whatever endpoint queue it is on (it is dying). */
void ipc_cancel(struct thread *th);
/* Writes a message into a receiver's registers and IPC buffer. */
void ipc_deliver(struct thread *to, uint64_t badge, uint64_t token, const struct ipc_msg *msg);
/* Reads the message the thread put in its registers and IPC buffer. */
void ipc_msg_from(struct thread *th, struct ipc_msg *msg, size_t bulk_len);

/* Register use of a delivered message: rax status, rdi badge, rbx token,
 * rsi bulk length, words 0..7 in rdx r10 r8 r9 r12 r13 r14 r15. */
static inline void ipc_words_to_frame(struct trap_frame *f, const uint64_t w[8])
{
    f->rdx = w[0], f->r10 = w[1], f->r8 = w[2], f->r9 = w[3];
    f->r12 = w[4], f->r13 = w[5], f->r14 = w[6], f->r15 = w[7];
}

/* The message words of one trap frame copied into another's. */
static inline void ipc_copy_words(struct trap_frame *to, const struct trap_frame *from)
{
    to->rdx = from->rdx, to->r10 = from->r10, to->r8 = from->r8, to->r9 = from->r9;
    to->r12 = from->r12, to->r13 = from->r13, to->r14 = from->r14, to->r15 = from->r15;
}

/* Takes a thread off the endpoint queue it waits on. */
static inline void ipc_dequeue(struct thread *th)
{
    list_del(&th->sched_link);
    th->ep = NULL;
}

/* The thread, whose call a receiver took, waits for the reply with token. */
static inline void ipc_await(struct endpoint *ep, struct thread *th, uint64_t token)
{
    th->ep = ep;
    th->token = token;
    th->state = TS_REPLY;
    list_add_tail(&ep->awaiting, &th->sched_link);
}

/* The caller waiting for the reply with this token, or NULL.  Newest
 * first: a server mostly answers the call it just took, while the calls it
 * keeps (a wait4, a blocked read) pile up at the old end. */
static inline struct thread *ipc_awaiting(struct endpoint *ep, uint64_t token)
{
    for (struct list *l = ep->awaiting.prev; l != &ep->awaiting; l = l->prev)
        if (container_of(l, struct thread, sched_link)->token == token)
            return container_of(l, struct thread, sched_link);
    return NULL;
}

/* Whether a receive by r would find something at once: a sender, a
 * posted message, or bits of its bound notification. */
static inline bool ipc_pending(const struct endpoint *ep, const struct thread *r)
{
    return !list_empty(&ep->senders) || !list_empty(&ep->posted) || (r->bound && r->bound->bits);
}

#endif
