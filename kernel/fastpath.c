/*
 * kernel/fastpath.c - the IPC fast path (see fastpath.h).
 *
 * Three operations have one: a native ipc_call, a native ipc_reply_recv
 * (to a native caller, or a resume to a pico one), and a pico trap
 * forwarded to its provider.  Each does what the general path does for
 * its case, written out without the general path's steps, and gives the
 * processor to its partner by sched_handoff.  Every precondition below
 * must hold; when one does not, nothing has been changed and the general
 * path (endpoint.c, pico.c), which is the specification, runs: the native
 * entries return to the syscall table, and the forward calls
 * pico_forward_general itself.  Tests pass with the fast path on and off
 * ("fastpath=off" on the kernel command line).
 *
 * Preconditions:
 *   all       ipc_fastpath is set (syscall.c and pico.c test it), and
 *             can_handoff(current thread, partner).
 *   call      the handle is an endpoint with R_SEND; the bulk length fits
 *             the IPC buffer; a receiver waits.
 *   forward   a provider thread waits in receive, with an IPC buffer.
 *   reply     the handle is an endpoint with R_RECV; no bulk data; nothing
 *             else to receive (ipc_pending); the token names a waiting
 *             caller; a native caller, or a pico one answered PICO_RESUME
 *             or PICO_RESUME_UNCHANGED.
 * Book: docs/ipc.md (the fast path), docs/life-of-a-syscall.md.
 */
#include "fastpath.h"
#include "endpoint.h"
#include "pico.h"
#include "sched.h"
#include "string.h"
#include "syscall.h"
#include "task.h"

bool ipc_fastpath = true;

/* LAB(fastpath): solution */
/* The one test for a handoff from one thread to another: neither task is
 * timed (PICO_TIMED: the general path stamps the times), the thread
 * that runs next has no pico interrupt to take before user mode, and no
 * ready thread outranks it (the general path lets that one run first). */
static inline bool can_handoff(const struct thread *from, const struct thread *to)
{
    return !(from->task->timed | to->task->timed | to->interrupt_pending) && !sched_outranked(to->prio);
}

/* The first receiver waiting on ep, if a handoff to it may happen. */
static inline struct thread *receiver_for(struct endpoint *ep, const struct thread *from)
{
    struct list *first = ep->receivers.next;
    if (first == &ep->receivers)
        return NULL;
    struct thread *r = container_of(first, struct thread, sched_link);
    return can_handoff(from, r) ? r : NULL;
}

/* The current thread's call was delivered to r: it waits for the reply,
 * and r runs. */
static inline __attribute__((always_inline, noreturn)) void call_handoff(struct endpoint *ep, struct thread *cur,
                                                          struct thread *r)
{
    ipc_dequeue(r);
    struct trap_frame *rf = r->frame;
    uint64_t token = ep->next_token++;
    rf->rax = 0, rf->rbx = token;
    ipc_await(ep, cur, token);
    sched_handoff(r);
}

void fastpath_call(struct trap_frame *f)
{
    struct thread *cur = current();
    uint64_t len = f->rsi;
    int64_t err;
    struct handle *h = sys_handle(f->rdi, OBJ_ENDPOINT, R_SEND, &err);
    if (!h || len > IPC_BUFFER_SIZE || (len && !cur->ipcbuf))
        return;
    struct endpoint *ep = (struct endpoint *)h->obj;
    struct thread *r = receiver_for(ep, cur);
    if (!r)
        return;
    struct trap_frame *rf = r->frame;
    ipc_copy_words(rf, f);
    size_t n = r->ipcbuf ? len : 0;
    if (n)
        memcpy(r->ipcbuf, cur->ipcbuf, n);
    rf->rdi = h->badge, rf->rsi = n;
    call_handoff(ep, cur, r);
}

int fastpath_forward(struct thread *th, uint64_t error, uint64_t addr)
{
    struct endpoint *ep = th->task->pico->ep;
    struct thread *r = receiver_for(ep, th);
    if (!r || !r->ipcbuf)
        return pico_forward_general(th, error, addr);
    struct trap_frame *f = th->frame, *rf = r->frame;
    struct pico_trap *t = r->ipcbuf; /* what pico_forward builds, written in place */
    t->error = error, t->addr = addr, t->rip = f->rip, t->rsp = f->rsp, t->rflags = f->rflags;
    t->task_badge = th->task->badge;
    rf->rdx = th->pico.kind, rf->r10 = f->rax, rf->r8 = f->rdi, rf->r9 = f->rsi;
    rf->r12 = f->rdx, rf->r13 = f->r10, rf->r14 = f->r8, rf->r15 = f->r9;
    rf->rdi = th->pico.badge, rf->rsi = sizeof *t;
    call_handoff(ep, th, r);
}

void fastpath_reply_recv(struct trap_frame *f)
{
    struct thread *cur = current();
    int64_t err;
    if (f->rsi)
        return;
    struct endpoint *ep = sys_object(f->rdi, OBJ_ENDPOINT, R_RECV, &err);
    if (!ep || ipc_pending(ep, cur))
        return;
    struct thread *caller = ipc_awaiting(ep, f->rbx);
    if (!caller || !can_handoff(cur, caller))
        return;
    struct trap_frame *cf = caller->frame;
    if (caller->task->pico) { /* pico_reply's rule, for the replies that only resume */
        if (f->rdx == PICO_RESUME)
            cf->rax = f->r10;
        else if (f->rdx != PICO_RESUME_UNCHANGED)
            return;
    } else {
        ipc_copy_words(cf, f);
        cf->rax = 0, cf->rdi = 0, cf->rbx = 0, cf->rsi = 0;
    }
    ipc_dequeue(caller);
    cur->ep = ep;
    list_add_tail(&ep->receivers, &cur->sched_link);
    cur->state = TS_RECV;
    sched_handoff(caller);
}
/* LAB(fastpath): skeleton
// Each entry may give up at once: nothing changed, the general path runs.

void fastpath_call(struct trap_frame *f)
{
    (void)f; // back to the syscall table, and sys_ipc_call
}

int fastpath_forward(struct thread *th, uint64_t error, uint64_t addr)
{
    return pico_forward_general(th, error, addr);
}

void fastpath_reply_recv(struct trap_frame *f)
{
    (void)f; // back to the syscall table, and sys_ipc_reply_recv
}
LAB(fastpath): end */
