/*
 * kernel/endpoint.c - IPC (see endpoint.h).
 *
 * Register use of a delivered message: rax status, rdi badge, rbx token,
 * rsi bulk length, words in rdx r10 r8 r9 r12 r13 r14 r15.  A thread's
 * registers live in its trap frame while it is blocked, so delivering is
 * writing that frame.  Messages to and from pico threads are translated by
 * pico.c.
 */
#include "endpoint.h"
#include "errno.h"
#include "heap.h"
#include "notif.h"
#include "pico.h"
#include "sched.h"
#include "string.h"
#include "task.h"
#include "vm.h"

/* The frame slots of message words 0..7: rdx r10 r8 r9 r12 r13 r14 r15. */
static void words_to_frame(struct trap_frame *f, const uint64_t w[8])
{
    f->rdx = w[0], f->r10 = w[1], f->r8 = w[2], f->r9 = w[3];
    f->r12 = w[4], f->r13 = w[5], f->r14 = w[6], f->r15 = w[7];
}

static void words_from_frame(const struct trap_frame *f, uint64_t w[8])
{
    w[0] = f->rdx, w[1] = f->r10, w[2] = f->r8, w[3] = f->r9;
    w[4] = f->r12, w[5] = f->r13, w[6] = f->r14, w[7] = f->r15;
}

struct endpoint *endpoint_create(void)
{
    struct endpoint *ep = kzalloc(sizeof *ep);
    if (!ep)
        return NULL;
    obj_init(&ep->obj, OBJ_ENDPOINT);
    list_init(&ep->senders);
    list_init(&ep->receivers);
    list_init(&ep->awaiting);
    ep->next_token = 1;
    return ep;
}

static void fail_all(struct list *q, int64_t err)
{
    while (!list_empty(q)) {
        struct thread *th = container_of(q->next, struct thread, sched_link);
        list_del(&th->sched_link);
        th->ep = NULL;
        if (th->task->pico) {
            pico_provider_lost(th);
            continue;
        }
        th->frame->rax = (uint64_t)err;
        sched_ready(th);
    }
}

static void endpoint_dead(struct endpoint *ep)
{
    fail_all(&ep->senders, -EPIPE);
    fail_all(&ep->awaiting, -EPIPE);
}

void endpoint_destroy(struct endpoint *ep)
{
    endpoint_dead(ep);
    fail_all(&ep->receivers, -EPIPE);
    kfree(ep);
}

void endpoint_recv_handle(struct endpoint *ep, int delta)
{
    ep->recv_handles += delta;
    if (ep->recv_handles == 0)
        endpoint_dead(ep);
}

void ipc_msg_from(struct thread *th, struct ipc_msg *msg, size_t bulk_len)
{
    if (th->task->pico) {
        pico_trap_msg(th, msg);
        return;
    }
    words_from_frame(th->frame, msg->w);
    msg->bulk = th->ipcbuf;
    msg->len = msg->bulk ? bulk_len : 0;
}

void ipc_deliver(struct thread *to, uint64_t badge, uint64_t token, const struct ipc_msg *msg)
{
    if (to->task->pico) {
        pico_apply_reply(to, msg);
        return;
    }
    struct trap_frame *f = to->frame;
    words_to_frame(f, msg->w);
    size_t n = to->ipcbuf ? msg->len : 0;
    if (n)
        memcpy(to->ipcbuf, msg->bulk, n);
    f->rax = 0;
    f->rdi = badge;
    f->rbx = token;
    f->rsi = n;
}

/* Hands a queued sender's message to the receiver; the sender then waits
 * for a reply, or runs on if it only sent. */
void ipc_take_sender(struct endpoint *ep, struct thread *s, struct thread *r)
{
    struct ipc_msg msg;
    list_del(&s->sched_link);
    ipc_msg_from(s, &msg, s->frame ? s->frame->rsi : 0);
    uint64_t token = ep->next_token++;
    ipc_deliver(r, s->badge, token, &msg);
    s->token = token;
    s->state = TS_REPLY;
    list_add_tail(&ep->awaiting, &s->sched_link);
}

int64_t ipc_call(struct endpoint *ep, uint64_t badge, const struct ipc_msg *msg)
{
    struct thread *cur = current();
    if (ep->recv_handles == 0 && !ep->pico)
        return -EPIPE;
    cur->ep = ep;
    cur->badge = badge;
    if (list_empty(&ep->receivers)) {
        list_add_tail(&ep->senders, &cur->sched_link);
        sched_block(TS_SEND);
        return (int64_t)cur->frame->rax;
    }
    struct thread *r = container_of(ep->receivers.next, struct thread, sched_link);
    list_del(&r->sched_link);
    r->ep = NULL;
    cur->token = ep->next_token++;
    ipc_deliver(r, badge, cur->token, msg);
    cur->state = TS_REPLY;
    list_add_tail(&ep->awaiting, &cur->sched_link);
    sched_switch_direct(r);
    return (int64_t)cur->frame->rax;
}

/* Receives without blocking if a notification or a sender is there. */
static int try_recv(struct endpoint *ep, struct thread *cur)
{
    if (cur->bound && notif_take_bound(cur))
        return 1;
    if (pico_take_event(ep, cur))
        return 1;
    if (list_empty(&ep->senders))
        return 0;
    ipc_take_sender(ep, container_of(ep->senders.next, struct thread, sched_link), cur);
    return 1;
}

int64_t ipc_recv(struct endpoint *ep)
{
    struct thread *cur = current();
    if (try_recv(ep, cur))
        return 0;
    cur->ep = ep;
    list_add_tail(&ep->receivers, &cur->sched_link);
    sched_block(TS_RECV);
    return (int64_t)cur->frame->rax;
}

/* The caller waiting for the reply with this token, or NULL.  Newest
 * first: a server mostly answers the call it just took, while the calls it
 * keeps (a wait4, a blocked read) pile up at the old end. */
static inline struct thread *awaiting(struct endpoint *ep, uint64_t token)
{
    for (struct list *l = ep->awaiting.prev; l != &ep->awaiting; l = l->prev)
        if (container_of(l, struct thread, sched_link)->token == token)
            return container_of(l, struct thread, sched_link);
    return NULL;
}

void ipc_resume_fast(struct endpoint *ep, uint64_t token, uint64_t value)
{
    struct thread *cur = current();
    if (!list_empty(&ep->senders) || (cur->bound && cur->bound->bits) || (ep->pico && !list_empty(&ep->pico->events)))
        return; /* something to receive: the general path hands it over */
    struct thread *caller = awaiting(ep, token);
    /* sched_switch_direct's test, for a pico caller and a native server */
    if (!caller || !caller->task->pico || caller->task->pico->trace || caller->interrupt_pending || cur->task->trace)
        return;
    list_del(&caller->sched_link);
    caller->ep = NULL;
    caller->frame->rax = value; /* pico_apply_reply's PICO_RESUME */
    cur->ep = ep;
    list_add_tail(&ep->receivers, &cur->sched_link);
    cur->state = TS_RECV;
    sched_handoff(caller);
}

int64_t ipc_reply(struct endpoint *ep, uint64_t token, const struct ipc_msg *msg, int and_recv)
{
    struct thread *cur = current(), *caller = awaiting(ep, token);
    if (!caller)
        return -ESRCH;
    list_del(&caller->sched_link);
    caller->ep = NULL;
    obj_get(&caller->obj); /* a pico reply may kill it: keep it readable */
    ipc_deliver(caller, 0, 0, msg);
    bool dead = caller->state == TS_DEAD;
    obj_put(&caller->obj);
    if (dead)
        return and_recv ? ipc_recv(ep) : 0; /* the reply killed it (pico) */
    if (!and_recv) {
        sched_ready(caller);
        return 0;
    }
    if (!pico_fastpath || try_recv(ep, cur)) {
        sched_ready(caller);
        return pico_fastpath ? 0 : ipc_recv(ep);
    }
    /* Nothing to receive: wait, and give the processor to the caller. */
    cur->ep = ep;
    list_add_tail(&ep->receivers, &cur->sched_link);
    cur->state = TS_RECV;
    sched_switch_direct(caller);
    return (int64_t)cur->frame->rax;
}

void ipc_cancel(struct thread *th)
{
    if (th->state == TS_SEND || th->state == TS_RECV || th->state == TS_REPLY)
        list_del(&th->sched_link);
    th->ep = NULL;
}
