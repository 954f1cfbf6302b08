/*
 * kernel/pico.c - pico forwarding, a layer over IPC (see pico.h).
 *
 * A trap becomes an ordinary IPC call: pico_forward_general builds the message
 * (the kind and the argument registers in the words, struct pico_trap as
 * bulk data) on the trapping thread's kernel stack and calls the
 * provider's endpoint with it, through ipc_call like any caller.  The reply
 * comes back through the thread's on_reply hook, pico_reply, which applies
 * the reply rule to the thread's frame.  fastpath.c does the same with
 * fewer steps when a provider thread already waits.
 * Book: docs/pico.md, docs/life-of-a-syscall.md.
 */
#include "pico.h"
#include "endpoint.h"
#include "errno.h"
#include "fastpath.h"
#include "heap.h"
#include "mb2.h"
#include "printf.h"
#include "sched.h"
#include "string.h"
#include "task.h"
#include "x86.h"

#define MAX_PROVIDERS 8

static struct pico_provider providers[MAX_PROVIDERS];
void pico_init(const char *cmdline)
{
    char buf[8];
    if (cmdline_get(cmdline, "fastpath", buf, sizeof buf) && strcmp(buf, "off") == 0)
        ipc_fastpath = false;
}

int pico_provide(struct endpoint *ep, struct task *owner, bool timed)
{
    struct pico_provider *slot = NULL;
    for (int i = 0; i < MAX_PROVIDERS; i++) {
        if (providers[i].ep == ep)
            return -EEXIST;
        if (!providers[i].ep && !slot)
            slot = &providers[i];
    }
    if (!slot)
        return -ENOSPC;
    slot->ep = ep;
    slot->owner = owner;
    slot->timed = timed;
    list_init(&slot->tasks);
    obj_get(&ep->obj);
    kprintf("persona: task %s provides pico tasks%s\n", owner->name, timed ? " (timed)" : "");
    return 0;
}

struct task *pico_task_create(struct endpoint *ep, uint64_t badge, int *err)
{
    struct pico_provider *p = NULL;
    for (int i = 0; i < MAX_PROVIDERS && !p; i++)
        if (providers[i].ep == ep && providers[i].owner == current()->task)
            p = &providers[i];
    *err = -EACCES;
    if (!p)
        return NULL;
    *err = -ENOMEM;
    struct task *t = task_create(p->owner->name);
    if (!t)
        return NULL;
    t->pico = p;
    t->badge = badge;
    t->timed = p->timed;
    list_add_tail(&p->tasks, &t->pico_link);
    *err = 0;
    return t;
}

static void pico_reply(struct thread *th, const struct ipc_msg *msg);

void pico_thread_init(struct thread *th, uint64_t badge)
{
    th->pico.badge = badge;
    th->on_reply = pico_reply;
}

/* The general path: the trap is an ordinary call on the provider's
 * endpoint, with a message built here, on this kernel stack, where it
 * stays valid while the thread waits.  A timed task's message carries
 * the trap's time, and when the thread last left the kernel. */
int pico_forward_general(struct thread *th, uint64_t error, uint64_t addr)
{
    const struct trap_frame *f = th->frame;
    bool timed = th->task->timed;
    th->pico.trap = (struct pico_trap){error, addr, f->rip, f->rsp, f->rflags, th->task->badge,
                                       timed ? rdtsc() : 0, th->pico.resumed};
    struct ipc_msg msg = {{th->pico.kind, f->rax, f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9},
                          &th->pico.trap, sizeof th->pico.trap};
    if (th->pico.kind == PICO_SYSCALL32) /* int 0x80: the i386 registers, as 32-bit values */
        msg = (struct ipc_msg){{PICO_SYSCALL32, (uint32_t)f->rax, (uint32_t)f->rbx, (uint32_t)f->rcx,
                                (uint32_t)f->rdx, (uint32_t)f->rsi, (uint32_t)f->rdi, (uint32_t)f->rbp},
                               &th->pico.trap, sizeof th->pico.trap};
    ipc_call(th->task->pico->ep, th->pico.badge, &msg);
    if (th->pico.kind != PICO_INTERRUPT) /* pico_take_interrupt loops for those */
        pico_return_to_user(th);
    if (timed)
        th->pico.resumed = rdtsc();
    return th->full_restore;
}

int pico_forward(struct thread *th, uint64_t kind, uint64_t error, uint64_t addr)
{
    th->pico.kind = kind;
    if (ipc_fastpath && kind != PICO_SYSCALL32)
        return fastpath_forward(th, error, addr); /* it falls back to the general path */
    return pico_forward_general(th, error, addr);
}

int pico_syscall(struct thread *th)
{
    th->full_restore = false;
    return pico_forward(th, PICO_SYSCALL, 0, 0);
}

void pico_take_interrupt(struct thread *th)
{
    while (th->interrupt_pending && th->state == TS_READY) {
        th->interrupt_pending = false;
        pico_forward(th, PICO_INTERRUPT, 0, 0);
    }
}

/* The reply rule, applied to the thread's frame (its on_reply hook).  A
 * NULL reply: the provider's endpoint died with the call pending. */
static void pico_reply(struct thread *th, const struct ipc_msg *msg)
{
    th->state = TS_READY; /* the caller makes it run */
    if (!msg) {
        kprintf("persona: provider %s is gone; killing its task %lu\n", th->task->name, th->task->badge);
        task_kill(th->task, -EPIPE);
        return;
    }
    struct trap_frame *f = th->frame;
    switch (msg->w[0]) {
    case PICO_RESUME:
        f->rax = msg->w[1];
        break;
    case PICO_RESUME_UNCHANGED:
        break;
    case PICO_RESTART:
        if (th->pico.kind == PICO_SYSCALL || th->pico.kind == PICO_SYSCALL32)
            f->rip -= 2; /* back onto syscall or int 0x80; rax still holds its number */
        break;
    case PICO_RESUME_REGS:
        if (msg->len >= sizeof(struct persona_regs) && thread_set_regs(th, msg->bulk) == 0)
            break;
        kprintf("persona: %s: bad register reply; task killed\n", th->task->name);
        task_kill(th->task, -EINVAL);
        break;
    case PICO_KILL_THREAD:
        thread_kill(th);
        break;
    case PICO_KILL_TASK:
        task_kill(th->task, (int)msg->w[1]);
        break;
    default:
        kprintf("persona: %s: unknown reply %lu; task killed\n", th->task->name, msg->w[0]);
        task_kill(th->task, -EINVAL);
        break;
    }
}

static void post_event(struct pico_provider *p, uint64_t kind, uint64_t badge, uint64_t code)
{
    if (p->owner && endpoint_post(p->ep, badge, kind, code) < 0)
        kprintf("persona: out of memory: lifecycle event %lu for %s lost\n", kind, p->owner->name);
}

void pico_thread_exited(struct thread *th) { post_event(th->task->pico, PICO_EV_THREAD_EXIT, th->pico.badge, 0); }

void pico_task_died(struct task *t)
{
    list_del(&t->pico_link);
    post_event(t->pico, PICO_EV_TASK_DIED, t->badge, (uint64_t)t->exit_code);
}

void pico_owner_died(struct task *t)
{
    for (int i = 0; i < MAX_PROVIDERS; i++) {
        struct pico_provider *p = &providers[i];
        if (p->owner != t)
            continue;
        kprintf("persona: provider %s died; killing its pico tasks\n", t->name);
        p->owner = NULL; /* their deaths post nothing */
        while (!list_empty(&p->tasks)) {
            struct task *pt = container_of(p->tasks.next, struct task, pico_link);
            list_del(&pt->pico_link);
            task_kill(pt, -EPIPE);
        }
        obj_put(&p->ep->obj);
        p->ep = NULL;
    }
}
