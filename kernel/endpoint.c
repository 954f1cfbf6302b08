/*
 * kernel/endpoint.c - IPC, the general path (see endpoint.h).
 *
 * A thread's registers live in its trap frame while it is blocked, so
 * delivering a message is writing that frame.  When a call meets a waiting
 * receiver, or a reply finds nothing else to receive, the processor goes
 * straight to the partner (sched_switch_to): the scheduler is not asked.
 * fastpath.c does the commonest of these with a handoff instead.
 *
 * Invariant: a thread waits in "receivers" only while the endpoint has a
 * handle with R_RECV (at the last one's close the receivers fail too).
 * Book: docs/ipc.md.
 */
#include "endpoint.h"
#include "errno.h"
#include "heap.h"
#include "notif.h"
#include "sched.h"
#include "string.h"
#include "task.h"
#include "vm.h"

/* A one-way message the kernel posted (endpoint_post). */
struct posted {
    struct list link;
    uint64_t badge, w0, w1;
};

struct endpoint *endpoint_create(void)
{
    struct endpoint *ep = kzalloc(sizeof *ep);
    if (!ep)
        return NULL;
    obj_init(&ep->obj, OBJ_ENDPOINT);
    list_init(&ep->senders);
    list_init(&ep->receivers);
    list_init(&ep->awaiting);
    list_init(&ep->posted);
    ep->next_token = 1;
    return ep;
}

/* A call that cannot complete: a caller with a reply hook is told by a
 * NULL reply; any other gets err in rax. */
static void call_failed(struct thread *th, int64_t err)
{
    if (th->on_reply) {
        th->on_reply(th, NULL);
        return;
    }
    th->frame->rax = (uint64_t)err;
    if (th != current())
        sched_ready(th);
}

static void fail_all(struct list *q, int64_t err)
{
    while (!list_empty(q)) {
        struct thread *th = container_of(q->next, struct thread, sched_link);
        ipc_dequeue(th);
        call_failed(th, err);
    }
}

static void endpoint_dead(struct endpoint *ep)
{
    fail_all(&ep->senders, -EPIPE);
    fail_all(&ep->awaiting, -EPIPE);
    fail_all(&ep->receivers, -EPIPE);
}

void endpoint_destroy(struct endpoint *ep)
{
    endpoint_dead(ep);
    while (!list_empty(&ep->posted)) {
        struct list *l = ep->posted.next;
        list_del(l);
        kfree(container_of(l, struct posted, link));
    }
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
    const struct trap_frame *f = th->frame;
    *msg = (struct ipc_msg){{f->rdx, f->r10, f->r8, f->r9, f->r12, f->r13, f->r14, f->r15}, th->ipcbuf, 0};
    msg->len = msg->bulk ? bulk_len : 0;
}

void ipc_deliver(struct thread *to, uint64_t badge, uint64_t token, const struct ipc_msg *msg)
{
    struct trap_frame *f = to->frame;
    ipc_words_to_frame(f, msg->w);
    size_t n = to->ipcbuf ? msg->len : 0;
    if (n)
        memcpy(to->ipcbuf, msg->bulk, n);
    f->rax = 0;
    f->rdi = badge;
    f->rbx = token;
    f->rsi = n;
}

/* A reply reaches its caller: through its hook, or in its registers. */
static void deliver_reply(struct thread *caller, const struct ipc_msg *msg)
{
    if (caller->on_reply)
        caller->on_reply(caller, msg);
    else
        ipc_deliver(caller, 0, 0, msg);
}

/* Hands a queued sender's message to the receiver; the sender then waits
 * for the reply. */
static void take_sender(struct endpoint *ep, struct thread *s, struct thread *r)
{
    list_del(&s->sched_link);
    uint64_t token = ep->next_token++;
    ipc_deliver(r, s->badge, token, s->kmsg);
    ipc_await(ep, s, token);
}

int endpoint_post(struct endpoint *ep, uint64_t badge, uint64_t w0, uint64_t w1)
{
    if (!list_empty(&ep->receivers)) {
        struct thread *r = container_of(ep->receivers.next, struct thread, sched_link);
        struct ipc_msg msg = {{w0, w1}, NULL, 0};
        ipc_dequeue(r);
        ipc_deliver(r, badge, 0, &msg);
        sched_ready(r);
        return 0;
    }
    struct posted *p = kmalloc(sizeof *p);
    if (!p)
        return -ENOMEM;
    *p = (struct posted){LIST_INIT(p->link), badge, w0, w1};
    list_add_tail(&ep->posted, &p->link);
    return 0;
}

int64_t ipc_call(struct endpoint *ep, uint64_t badge, const struct ipc_msg *msg)
{
    struct thread *cur = current();
    if (ep->recv_handles == 0) {
        call_failed(cur, -EPIPE);
        return -EPIPE;
    }
    cur->badge = badge;
    cur->kmsg = msg;
    if (list_empty(&ep->receivers)) {
        cur->ep = ep;
        list_add_tail(&ep->senders, &cur->sched_link);
        sched_block(TS_SEND);
        return (int64_t)cur->frame->rax;
    }
    struct thread *r = container_of(ep->receivers.next, struct thread, sched_link);
    ipc_dequeue(r);
    uint64_t token = ep->next_token++;
    ipc_deliver(r, badge, token, msg);
    ipc_await(ep, cur, token);
    sched_switch_to(r);
    return (int64_t)cur->frame->rax;
}

/* Receives without blocking if a notification, a posted message or a
 * sender is there. */
static int try_recv(struct endpoint *ep, struct thread *cur)
{
    if (cur->bound && notif_take_bound(cur))
        return 1;
    if (!list_empty(&ep->posted)) {
        struct posted *p = container_of(ep->posted.next, struct posted, link);
        struct ipc_msg msg = {{p->w0, p->w1}, NULL, 0};
        list_del(&p->link);
        ipc_deliver(cur, p->badge, 0, &msg);
        kfree(p);
        return 1;
    }
    if (list_empty(&ep->senders))
        return 0;
    take_sender(ep, container_of(ep->senders.next, struct thread, sched_link), cur);
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

int64_t ipc_reply(struct endpoint *ep, uint64_t token, const struct ipc_msg *msg, int and_recv)
{
    struct thread *cur = current(), *caller = ipc_awaiting(ep, token);
    if (!caller)
        return -ESRCH;
    ipc_dequeue(caller);
    obj_get(&caller->obj); /* a hooked reply may kill it: keep it readable */
    deliver_reply(caller, msg);
    bool dead = caller->state == TS_DEAD;
    obj_put(&caller->obj);
    if (dead)
        return and_recv ? ipc_recv(ep) : 0;
    if (!and_recv || try_recv(ep, cur)) {
        sched_ready(caller);
        return 0;
    }
    /* Nothing to receive: wait, and give the processor to the caller. */
    cur->ep = ep;
    list_add_tail(&ep->receivers, &cur->sched_link);
    cur->state = TS_RECV;
    sched_switch_to(caller);
    return (int64_t)cur->frame->rax;
}

void ipc_cancel(struct thread *th)
{
    if (th->state == TS_SEND || th->state == TS_RECV || th->state == TS_REPLY)
        list_del(&th->sched_link);
    th->ep = NULL;
}
