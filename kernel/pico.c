/*
 * kernel/pico.c - pico forwarding and the personality registry (pico.h).
 *
 * The slow path is the specification: the trapping thread queues on the
 * provider's endpoint like any caller, a waiting provider thread is made
 * ready, and the scheduler runs it.  The fast path (pico_fastpath) hands
 * the message straight to a waiting provider thread and switches to it,
 * and the reply switches straight back (endpoint.c).
 */
#include "pico.h"
#include "endpoint.h"
#include "heap.h"
#include "printf.h"
#include "sched.h"
#include "string.h"
#include "task.h"
#include "thread.h"
#include "errno.h"
#include "mb2.h"
#include "vm.h"
#include "x86.h"

#define MAX_PERSONALITIES 8

struct pico_event {
    struct list link;
    uint64_t kind, badge, code;
};

bool pico_fastpath = true;
static struct personality registry[MAX_PERSONALITIES];
static char trace_names[128];

static bool name_in_list(const char *name, const char *list)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = p;
        while (*e && *e != ',')
            e++;
        if ((size_t)(e - p) == n && memcmp(p, name, n) == 0)
            return true;
        p = *e ? e + 1 : e;
    }
    return false;
}

bool trace_wanted(const char *name) { return name_in_list(name, trace_names); }

void pico_init(const char *cmdline)
{
    char buf[8];
    if (cmdline_get(cmdline, "fastpath", buf, sizeof buf) && strcmp(buf, "off") == 0)
        pico_fastpath = false;
    cmdline_get(cmdline, "trace", trace_names, sizeof trace_names);
}

int pico_register(const char *name, struct endpoint *ep, struct task *owner)
{
    struct personality *free_slot = NULL;
    if (ep->pico)
        return -EINVAL;
    for (int i = 0; i < MAX_PERSONALITIES; i++) {
        if (registry[i].owner && strcmp(registry[i].name, name) == 0)
            return -EEXIST;
        if (!registry[i].owner && !free_slot)
            free_slot = &registry[i];
    }
    if (!free_slot)
        return -ENOSPC;
    struct personality *p = free_slot;
    memset(p, 0, sizeof *p);
    memcpy(p->name, name, strlen(name) + 1);
    p->ep = ep;
    p->owner = owner;
    list_init(&p->tasks);
    list_init(&p->events);
    p->trace = name_in_list(name, trace_names);
    obj_get(&ep->obj);
    ep->pico = p;
    kprintf("persona: personality \"%s\" registered by task %s%s\n", name, owner->name,
            p->trace ? " (tracing)" : "");
    return 0;
}

struct task *pico_task_create(struct endpoint *ep, uint64_t badge, int *err)
{
    struct personality *p = ep->pico;
    *err = -EACCES;
    if (!p || p->owner != current()->task)
        return NULL;
    *err = -ENOMEM;
    struct task *t = task_create(p->name);
    if (!t)
        return NULL;
    t->pico = p;
    t->badge = badge;
    list_add_tail(&p->tasks, &t->pico_link);
    *err = 0;
    return t;
}

/* The trap message of a queued pico thread: the argument registers are
 * still in its frame. */
void pico_trap_msg(struct thread *th, struct ipc_msg *msg)
{
    const struct trap_frame *f = th->frame;
    *msg = (struct ipc_msg){{th->trap_kind, f->rax, f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9}, &th->trap,
                            sizeof th->trap};
}

static const char *const vector_names[32] = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "",
                                             "#TS", "#NP", "#SS", "#GP", "#PF", "", "#MF", "#AC", "#MC", "#XM"};

/* One line per forwarded trap: personality, task, thread, arguments,
 * outcome and cost in TSC ticks from the trap to the reply. */
static void trace_reply(struct thread *th, const struct ipc_msg *msg)
{
    const struct pico_trap *t = &th->trap;
    const struct trap_frame *f = th->frame;
    char line[256];
    int n = fmt_snprintf(line, sizeof line, "[trace %s] task %lu thread %lu: ", th->task->pico->name,
                         th->task->badge, th->pico_badge);
    if (th->trap_kind == PICO_SYSCALL)
        n += fmt_snprintf(line + n, sizeof line - n, "syscall %lu(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)",
                          f->rax, f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
    else
        n += fmt_snprintf(line + n, sizeof line - n, "%s error 0x%lx addr 0x%lx at rip 0x%lx",
                          th->trap_kind < 32 && vector_names[th->trap_kind][0] ? vector_names[th->trap_kind]
                                                                                : "exception",
                          t->error, t->addr, t->rip);
    static const char *const outcome[] = {" = %ld", " -> new registers", " -> thread killed", " -> task killed"};
    n += fmt_snprintf(line + n, sizeof line - n, msg->w[0] <= PICO_KILL_TASK ? outcome[msg->w[0]] : " -> bad reply",
                      (int64_t)msg->w[1]);
    kprintf("%.*s (%lu ticks)\n", n, line, rdtsc() - th->trap_tsc);
}

/* The fast path's forward: the trap goes straight into the frame and the
 * IPC buffer of a provider thread waiting in receive, which then runs.
 * What it writes is what pico_trap_msg, ipc_take_sender and ipc_deliver
 * write between them on the general path (see endpoint.c for the register
 * use of a message). */
static __attribute__((noinline)) void forward_direct(struct thread *th, struct thread *r, struct endpoint *ep,
                                                     uint32_t kind, uint64_t error, uint64_t addr)
{
    struct trap_frame *f = th->frame, *rf = r->frame;
    struct pico_trap *t = r->ipcbuf;
    t->error = error, t->addr = addr, t->rip = f->rip, t->rsp = f->rsp, t->rflags = f->rflags;
    t->task_badge = th->task->badge;
    list_del(&r->sched_link);
    r->ep = NULL;
    uint64_t token = ep->next_token++;
    rf->rdx = kind, rf->r10 = f->rax, rf->r8 = f->rdi, rf->r9 = f->rsi;
    rf->r12 = f->rdx, rf->r13 = f->r10, rf->r14 = f->r8, rf->r15 = f->r9;
    rf->rax = 0, rf->rdi = th->pico_badge, rf->rbx = token, rf->rsi = sizeof *t;
    th->ep = ep;
    th->badge = th->pico_badge;
    th->token = token;
    th->state = TS_REPLY;
    list_add_tail(&ep->awaiting, &th->sched_link);
    if (r->task->trace) /* sched_switch_direct's test, knowing that th is pico and r native */
        sched_switch_to(r);
    else
        sched_handoff(r);
}

/* The general path: the trapping thread queues on the provider's endpoint
 * like any caller. */
static __attribute__((noinline)) void forward_queued(struct thread *th, struct personality *p, uint32_t kind,
                                                     uint64_t error, uint64_t addr)
{
    struct trap_frame *f = th->frame;
    th->trap = (struct pico_trap){error, addr, f->rip, f->rsp, f->rflags, th->task->badge};
    th->trap_kind = kind;
    th->trap_tsc = p->trace ? rdtsc() : 0;
    struct endpoint *ep = p->ep;
    th->ep = ep;
    th->badge = th->pico_badge;
    list_add_tail(&ep->senders, &th->sched_link);
    if (list_empty(&ep->receivers)) {
        sched_block(TS_SEND);
        return;
    }
    struct thread *r = container_of(ep->receivers.next, struct thread, sched_link);
    list_del(&r->sched_link);
    r->ep = NULL;
    ipc_take_sender(ep, th, r);
    if (pico_fastpath) {
        sched_switch_to(r); /* fast path, traced: straight to the provider */
        return;
    }
    sched_ready(r); /* slow path: the scheduler picks the provider */
    sched_block(TS_REPLY);
}

void pico_forward(struct thread *th, uint32_t kind, uint64_t error, uint64_t addr)
{
    struct personality *p = th->task->pico;
    struct list *first = p->ep->receivers.next;
    if (pico_fastpath && !p->trace && first != &p->ep->receivers) {
        struct thread *r = container_of(first, struct thread, sched_link);
        if (r->ipcbuf) {
            forward_direct(th, r, p->ep, kind, error, addr);
            return;
        }
    }
    forward_queued(th, p, kind, error, addr);
}

void pico_check_interrupt(struct thread *th)
{
    while (th->task && th->task->pico && th->interrupt_pending && th->state == TS_READY) {
        th->interrupt_pending = false;
        pico_forward(th, PICO_INTERRUPT, 0, 0);
    }
}

void pico_apply_reply(struct thread *th, const struct ipc_msg *msg)
{
    if (th->task->pico->trace)
        trace_reply(th, msg);
    th->state = TS_READY; /* the caller makes it run */
    switch (msg->w[0]) {
    case PICO_RESUME:
        th->frame->rax = msg->w[1];
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
    default:
        task_kill(th->task, (int)msg->w[1]);
        break;
    }
}

static void post_event(struct personality *p, uint64_t kind, uint64_t badge, uint64_t code)
{
    if (!p->owner)
        return;
    struct pico_event *e = kmalloc(sizeof *e);
    if (!e) {
        kprintf("persona: out of memory: lifecycle event %lu for %s lost\n", kind, p->name);
        return;
    }
    *e = (struct pico_event){LIST_INIT(e->link), kind, badge, code};
    list_add_tail(&p->events, &e->link);
    if (!list_empty(&p->ep->receivers)) {
        struct thread *r = container_of(p->ep->receivers.next, struct thread, sched_link);
        list_del(&r->sched_link);
        r->ep = NULL;
        pico_take_event(p->ep, r);
        sched_ready(r);
    }
}

int pico_take_event(struct endpoint *ep, struct thread *r)
{
    struct personality *p = ep->pico;
    if (!p || list_empty(&p->events))
        return 0;
    struct pico_event *e = container_of(p->events.next, struct pico_event, link);
    list_del(&e->link);
    struct ipc_msg msg = {{e->kind, e->code}, NULL, 0};
    ipc_deliver(r, e->badge, 0, &msg);
    kfree(e);
    return 1;
}

void pico_thread_exited(struct thread *th)
{
    post_event(th->task->pico, PICO_EV_THREAD_EXIT, th->pico_badge, 0);
}

void pico_task_died(struct task *t)
{
    list_del(&t->pico_link);
    post_event(t->pico, PICO_EV_TASK_DIED, t->badge, (uint64_t)t->exit_code);
}

void pico_provider_lost(struct thread *th)
{
    kprintf("persona: provider %s is gone; killing its task %lu\n", th->task->pico->name, th->task->badge);
    th->state = TS_READY; /* off the endpoint queues already */
    task_kill(th->task, -EPIPE);
}

void pico_owner_died(struct task *t)
{
    for (int i = 0; i < MAX_PERSONALITIES; i++) {
        struct personality *p = &registry[i];
        if (p->owner != t)
            continue;
        kprintf("persona: personality \"%s\" died; killing its pico tasks\n", p->name);
        p->owner = NULL;
        while (!list_empty(&p->tasks)) {
            struct task *pt = container_of(p->tasks.next, struct task, pico_link);
            list_del(&pt->pico_link);
            list_init(&pt->pico_link);
            task_kill(pt, -EPIPE);
        }
        while (!list_empty(&p->events)) {
            struct list *l = p->events.next;
            list_del(l);
            kfree(container_of(l, struct pico_event, link));
        }
        p->ep->pico = NULL;
        obj_put(&p->ep->obj);
    }
}
