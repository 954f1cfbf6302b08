/*
 * kernel/endpoint.h - synchronous IPC endpoints: call, receive, reply.
 *
 * A message is eight words in registers plus up to IPC_BUFFER_SIZE bytes
 * copied between the two threads' pinned IPC buffers.  A caller waits in
 * the endpoint's "awaiting" list until a receiver replies with the token it
 * was given, so a server may hold several calls open at once.  When the
 * last handle with R_RECV closes, the endpoint is dead: queued and waiting
 * callers get -EPIPE.  Interrupts disabled is the lock.
 */
#ifndef PERSONA_ENDPOINT_H
#define PERSONA_ENDPOINT_H
#include "list.h"
#include "object.h"
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct thread;
struct personality;

struct ipc_msg {
    uint64_t w[8];
    const void *bulk; /* kernel address of the bulk bytes, or NULL */
    size_t len;
};

struct endpoint {
    struct kobject obj;
    struct list senders;   /* TS_SEND threads */
    struct list receivers; /* TS_RECV threads */
    struct list awaiting;  /* TS_REPLY threads */
    uint64_t next_token;
    uint32_t recv_handles; /* handles with R_RECV */
    struct personality *pico; /* set when a personality registered it */
};

struct endpoint *endpoint_create(void);
void endpoint_destroy(struct endpoint *ep);
/* Counts handles with R_RECV; at zero the endpoint dies. */
void endpoint_recv_handle(struct endpoint *ep, int delta);

/* reply_recv's fast path for the commonest answer, PICO_RESUME with a
 * value to an untraced pico caller, when nothing waits to be received and
 * neither thread has anything to do on its way out: the server waits, and
 * the caller goes straight back to user mode (sched_handoff; no return).
 * Returns, having done nothing, if it does not apply; the general path
 * (ipc_reply) is its specification. */
void ipc_resume_fast(struct endpoint *ep, uint64_t token, uint64_t value);
/* The calling thread sends msg and waits for the reply.  Returns the
 * status the reply or the failure left in the thread's rax. */
int64_t ipc_call(struct endpoint *ep, uint64_t badge, const struct ipc_msg *msg);
int64_t ipc_recv(struct endpoint *ep);
int64_t ipc_reply(struct endpoint *ep, uint64_t token, const struct ipc_msg *msg, int and_recv);
/* Hands sender s's message (s queued on ep) to receiver r; s then waits
 * for the reply. */
void ipc_take_sender(struct endpoint *ep, struct thread *s, struct thread *r);
/* Takes a thread off whatever endpoint queue it is on (it is dying). */
void ipc_cancel(struct thread *th);
/* Writes a message into a thread's registers and IPC buffer. */
void ipc_deliver(struct thread *to, uint64_t badge, uint64_t token, const struct ipc_msg *msg);
/* Reads the message the thread put in its registers and IPC buffer. */
void ipc_msg_from(struct thread *th, struct ipc_msg *msg, size_t bulk_len);

#endif
