/*
 * kernel/notif.c - notifications (see notif.h).
 * Book: docs/ipc.md (notifications).
 */
#include "notif.h"
#include <persona/abi.h>
#include "endpoint.h"
#include "errno.h"
#include "heap.h"
#include "sched.h"
#include "thread.h"
#include "timer.h"

static struct list armed = LIST_INIT(armed);

struct notif *notif_create(void)
{
    struct notif *n = kzalloc(sizeof *n);
    if (!n)
        return NULL;
    obj_init(&n->obj, OBJ_NOTIF);
    list_init(&n->timer_link);
    return n;
}

void notif_destroy(struct notif *n)
{
    list_del(&n->timer_link);
    if (n->bound)
        n->bound->bound = NULL;
    if (n->waiter) {
        n->waiter->frame->rax = (uint64_t)-EPIPE;
        sched_ready(n->waiter);
    }
    kfree(n);
}

int notif_take_bound(struct thread *th)
{
    struct notif *n = th->bound;
    if (!n->bits)
        return 0;
    struct ipc_msg msg = {{n->bits}, NULL, 0};
    n->bits = 0;
    ipc_deliver(th, 0, BADGE_NOTIFY, &msg);
    return 1;
}

void notif_signal(struct notif *n, uint64_t bits)
{
    n->bits |= bits;
    struct thread *w = n->waiter;
    if (w) {
        n->waiter = NULL;
        w->waiting = NULL;
        w->frame->rax = n->bits;
        n->bits = 0;
        sched_ready(w);
        return;
    }
    struct thread *b = n->bound;
    if (b && b->state == TS_RECV) {
        ipc_cancel(b);
        notif_take_bound(b);
        sched_ready(b);
    }
}

int64_t notif_wait(struct notif *n)
{
    struct thread *cur = current();
    if (n->bits) {
        uint64_t b = n->bits;
        n->bits = 0;
        return (int64_t)b;
    }
    if (n->waiter || (n->bound && n->bound != cur))
        return -EBUSY;
    n->waiter = cur;
    cur->waiting = n;
    sched_block(TS_NOTIF);
    return (int64_t)cur->frame->rax;
}

int notif_bind(struct notif *n, struct thread *th)
{
    if (n->bound || th->bound)
        return -EBUSY;
    obj_get(&n->obj);
    n->bound = th;
    th->bound = n;
    return 0;
}

void notif_unbind(struct thread *th)
{
    struct notif *n = th->bound;
    if (!n)
        return;
    n->bound = NULL;
    th->bound = NULL;
    obj_put(&n->obj);
}

void notif_cancel(struct thread *th)
{
    struct notif *n = th->waiting;
    if (n && n->waiter == th)
        n->waiter = NULL;
    th->waiting = NULL;
}

void notif_arm(struct notif *n, uint64_t at, uint64_t bits)
{
    list_del(&n->timer_link);
    n->deadline = 0;
    if (!at)
        return;
    n->deadline = at;
    n->timer_bits = bits;
    list_add_tail(&armed, &n->timer_link);
    timer_wake_at(at);
}

uint64_t notif_next_deadline(void)
{
    uint64_t first = 0;
    for (struct list *l = armed.next; l != &armed; l = l->next) {
        struct notif *n = container_of(l, struct notif, timer_link);
        first = !first || n->deadline < first ? n->deadline : first;
    }
    return first;
}

void notif_tick(uint64_t now)
{
    for (struct list *l = armed.next, *next; l != &armed; l = next) {
        next = l->next;
        struct notif *n = container_of(l, struct notif, timer_link);
        if (n->deadline > now)
            continue;
        list_del(l);
        n->deadline = 0;
        notif_signal(n, n->timer_bits);
    }
}
