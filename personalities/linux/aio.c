/*
 * personalities/linux/aio.c - Linux native AIO's contexts: io_setup,
 * io_destroy, io_getevents, io_pgetevents, io_cancel.  A context is, as on
 * Linux, a ring of completions (struct io_event) in a shared mapping of
 * its process, whose address is the context's id: a header (its index in
 * the process's table, the ring's size, head and tail, AIO_RING_MAGIC, the
 * features, the header's length) that libaio reads from user space, then
 * the events.  A completion is written at the tail; io_getevents takes
 * from the head, both through the process's memory.
 *
 * Submission is aiosubmit.c's.  Each completion signals the request's
 * eventfd (IOCB_FLAG_RESFD) and wakes the context's io_getevents waiters
 * (WAIT_AIO) that have their min_nr; io_destroy ends the waits on its
 * context and cancels its pending polls.
 *
 * Entry points: aio.h, and the handlers of io_setup, io_destroy,
 * io_getevents, io_pgetevents and io_cancel.  Layer: waits, over the
 * file types and mm's areas.  Book: docs/linux.md, "Waiting".
 */
#include "sysctl.h"
#include "aio.h"
#include "counter.h"
#include "proc.h"
#include "time.h"
#include <stddef.h>
#include <stdlib.h>
#include "linux_entries/aio.h" /* generated: the handlers' prototypes, entries */

#define AIO_RING_MAGIC 0xa10a10a1u
#define RING_HEADER 32          /* sizeof(struct aio_ring) */

struct aio_ctx *aio_contexts;
static uint32_t aio_nr;         /* fs.aio-nr: the nr_events of every context */

uint32_t aio_events_reserved(void) { return aio_nr; }
int aio_live;

/* A thread whose memory map is x's: the ring is written through it. */
static struct proc *owner(struct aio_ctx *x)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->mm == x->mm)
            return p;
    return NULL;
}

/* Linux's lookup_ioctx: the id the ring's header names, in p's table. */
struct aio_ctx *aio_lookup(struct proc *p, uint64_t ctx_id)
{
    uint32_t id;
    if (mem_in(p, &id, ctx_id, sizeof id) < 0)
        return NULL;
    for (struct aio_ctx *x = aio_contexts; x; x = x->next)
        if (x->mm == p->mm && x->id == id && x->ring == ctx_id)
            return x;
    return NULL;
}

/* The ring's head and tail as its header says (taken modulo its size). */
static int ring_ends(struct proc *p, struct aio_ctx *x, uint32_t *head, uint32_t *tail)
{
    uint32_t ht[2];
    if (mem_in(p, ht, x->ring + 8, sizeof ht) < 0)
        return -LINUX_EFAULT;
    *head = ht[0] % x->nr, *tail = ht[1] % x->nr;
    return 0;
}

uint32_t aio_ready_events(struct proc *p, struct aio_ctx *x)
{
    uint32_t head, tail;
    return ring_ends(p, x, &head, &tail) < 0 ? 0 : (tail + x->nr - head) % x->nr;
}

/* Up to max events from the ring into the user's array, the head moved
 * past them: their count, or -EFAULT (the head left where it was). */
static int64_t collect(struct proc *p, struct aio_ctx *x, uint64_t uevents, int64_t max)
{
    uint32_t head, tail;
    int64_t n = 0;
    if (ring_ends(p, x, &head, &tail) < 0)
        return 0;
    for (; n < max && head != tail; n++, head = (head + 1) % x->nr) {
        struct linux_io_event ev;
        if (mem_in(p, &ev, x->ring + RING_HEADER + (uint64_t)head * sizeof ev, sizeof ev) < 0 ||
            mem_out(p, uevents + (uint64_t)n * sizeof ev, &ev, sizeof ev) < 0)
            return -LINUX_EFAULT;
    }
    if (n)
        mem_out(p, x->ring + 8, &head, sizeof head);
    return n;
}

/* io_getevents waiters on x that have their min_nr now take their events. */
static void wake_getters(struct aio_ctx *x)
{
    for (struct proc *w = proc_list(); w; w = w->next)
        if (!w->zombie && w->wait.kind == WAIT_AIO && w->wait.fds == (uintptr_t)x &&
            aio_ready_events(w, x) >= w->wait.nfds)
            wait_finish(w, collect(w, x, w->wait.tv, (int64_t)w->wait.sets[0]));
}

/* A request's end: its event at the ring's tail, its eventfd signalled
 * (and put), the waiters woken, as Linux's aio_complete. */
void aio_complete(struct aio_ctx *x, uint64_t obj, uint64_t data, int64_t res, struct file *resfd)
{
    struct proc *p = owner(x);
    struct linux_io_event ev = {data, obj, res, 0};
    if (p && mem_out(p, x->ring + RING_HEADER + (uint64_t)x->tail * sizeof ev, &ev, sizeof ev) == 0) {
        x->tail = (x->tail + 1) % x->nr;
        mem_out(p, x->ring + 12, &x->tail, sizeof x->tail);
    }
    if (resfd) {
        eventfd_signal(resfd, 1);
        file_put(resfd);
    }
    wake_getters(x);
}

/* ---- aio_contexts ---- */

void aio_poll_free(struct aio_poll *q)
{
    if (q->resfd)
        file_put(q->resfd);
    file_put(q->file);
    free(q);
}

static void ctx_free(struct aio_ctx *x)
{
    for (struct aio_ctx **px = &aio_contexts; *px; px = &(*px)->next)
        if (*px == x) {
            *px = x->next;
            break;
        }
    while (x->polls) {
        struct aio_poll *q = x->polls;
        x->polls = q->next;
        aio_poll_free(q);
    }
    aio_nr -= x->max_reqs;
    aio_live--;
    free(x);
}

static int64_t sys_io_setup(struct sys_ctx *c, uint32_t nr_events, uint64_t uctx)
{
    uint64_t cur;
    if (mem_in(c->p, &cur, uctx, sizeof cur) < 0)
        return -LINUX_EFAULT;
    if (cur || !nr_events)
        return -LINUX_EINVAL;
    /* Linux's ioctx_alloc, with one possible CPU: twice the events asked
     * for, at least 4, so that per-CPU batches never starve the caller */
    uint32_t n = (nr_events < 4 ? 4 : nr_events) * 2u;
    if (n > 0x10000000u / sizeof(struct linux_io_event))
        return -LINUX_EINVAL;
    if (nr_events > sysctl_aio_max_nr || aio_nr + nr_events > sysctl_aio_max_nr)
        return -LINUX_EAGAIN;
    uint64_t size = (RING_HEADER + (uint64_t)(n + 2) * sizeof(struct linux_io_event) + 4095) & ~4095ull;
    struct aio_ctx *x = calloc(1, sizeof *x);
    if (!x)
        return -LINUX_ENOMEM;
    int64_t at = mm_map(c->p, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, NULL, 0);
    if (at < 0) {
        free(x);
        return at;
    }
    struct vma *v = mm_find(c->p, (uint64_t)at);
    if (v)
        v->dontfork = true; /* Linux's ring is VM_DONTCOPY */
    uint32_t id = 0; /* the lowest free slot of the process's table */
    for (struct aio_ctx *y = aio_contexts; y;)
        if (y->mm == c->p->mm && y->id == id)
            id++, y = aio_contexts;
        else
            y = y->next;
    *x = (struct aio_ctx){.mm = c->p->mm, .ring = (uint64_t)at, .size = size,
                          .nr = (uint32_t)((size - RING_HEADER) / sizeof(struct linux_io_event)), .id = id,
                          .max_reqs = nr_events, .next = aio_contexts};
    aio_contexts = x;
    aio_live++;
    aio_nr += nr_events;
    uint32_t header[8] = {id, x->nr, 0, 0, AIO_RING_MAGIC, 1, 0, RING_HEADER};
    if (mem_out(c->p, x->ring, header, sizeof header) < 0 || mem_out(c->p, uctx, &x->ring, sizeof x->ring) < 0) {
        mm_unmap(c->p, x->ring, x->size);
        ctx_free(x);
        return -LINUX_EFAULT;
    }
    return 0;
}

/* Linux's kill_ioctx: the waiters take what the ring holds (or EINVAL),
 * an io_submit waiting on the context ends, pending polls are cancelled,
 * and the ring is unmapped. */
static int64_t sys_io_destroy(struct sys_ctx *c, uint64_t ctx_id)
{
    struct aio_ctx *x = aio_lookup(c->p, ctx_id);
    if (!x)
        return -LINUX_EINVAL;
    for (struct proc *w = proc_list(); w; w = w->next) {
        if (w->zombie)
            continue;
        if (w->wait.kind == WAIT_AIO && w->wait.fds == (uintptr_t)x) {
            int64_t r = collect(w, x, w->wait.tv, (int64_t)w->wait.sets[0]);
            wait_finish(w, r ? r : -LINUX_EINVAL);
        } else if (w->wait.kind == WAIT_AIOSUB && w->wait.sets[1] == (uintptr_t)x) {
            wait_finish(w, w->wait.sets[0] ? (int64_t)w->wait.sets[0] : -LINUX_EINVAL);
        }
    }
    while (x->polls) {
        struct aio_poll *q = x->polls;
        x->polls = q->next;
        if (q->resfd)
            eventfd_signal(q->resfd, 1);
        aio_poll_free(q);
    }
    mm_unmap(c->p, x->ring, x->size);
    ctx_free(x);
    return 0;
}

void aio_exit(struct mm *mm)
{
    for (struct aio_ctx *x = aio_contexts, *next; x; x = next) {
        next = x->next;
        if (x->mm == mm)
            ctx_free(x);
    }
}

/* io_cancel: only a pending poll can be; it completes with res 0. */
static int64_t sys_io_cancel(struct sys_ctx *c, uint64_t ctx_id, uint64_t uiocb, uint64_t uresult)
{
    (void)uresult; /* unused since Linux 5.0: the event goes to the ring */
    uint32_t key;
    if (mem_in(c->p, &key, uiocb + offsetof(struct linux_iocb, aio_key), sizeof key) < 0)
        return -LINUX_EFAULT;
    if (key != 0)
        return -LINUX_EINVAL;
    struct aio_ctx *x = aio_lookup(c->p, ctx_id);
    if (!x)
        return -LINUX_EINVAL;
    for (struct aio_poll **pq = &x->polls, *q; (q = *pq); pq = &q->next)
        if (q->obj == uiocb) {
            *pq = q->next;
            x->pending--;
            aio_complete(x, q->obj, q->data, 0, q->resfd);
            q->resfd = NULL;
            aio_poll_free(q);
            return -LINUX_EINPROGRESS;
        }
    return -LINUX_EINVAL;
}

/* ---- io_getevents ---- */

/* timeout_ns: -1 for none; 0 or less: no wait. */
static int64_t getevents(struct sys_ctx *c, uint64_t ctx_id, int64_t min_nr, int64_t nr, uint64_t uevents,
                         int64_t timeout_ns, bool masked)
{
    struct aio_ctx *x = aio_lookup(c->p, ctx_id);
    if (!x || min_nr > nr || min_nr < 0)
        return -LINUX_EINVAL;
    if (aio_ready_events(c->p, x) >= (uint64_t)min_nr || timeout_ns == 0)
        return collect(c->p, x, uevents, nr);
    if (c->p->sig.saved && signal_deliverable(&c->p->sig))
        return -ERESTARTNOHAND; /* the swapped mask lets a pending signal through */
    c->p->wait = (struct proc_wait){.kind = WAIT_AIO, .token = c->token, .fds = (uintptr_t)x, .nfds = (uint64_t)min_nr,
                                    .tv = uevents, .sets = {(uint64_t)nr, 0, masked},
                                    .deadline = timeout_ns > 0 ? clock_after((uint64_t)timeout_ns) : 0};
    c->deferred = true;
    wait_rearm_for(c->p);
    return 0;
}

int64_t aio_wait_end(struct proc *p, int64_t r)
{
    struct aio_ctx *x = (struct aio_ctx *)p->wait.fds;
    return r ? r : collect(p, x, p->wait.tv, (int64_t)p->wait.sets[0]);
}

/* A struct timespec as Linux's timespec64_to_ktime takes it (no check of
 * its fields): ns, -1 for none; 0 or -EFAULT. */
static int timeout_ns(struct proc *p, uint64_t uts, int64_t *ns)
{
    int64_t ts[2];
    *ns = -1;
    if (!uts)
        return 0;
    if (mem_in(p, ts, uts, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (ts[0] >= INT64_MAX / 1000000000)
        *ns = INT64_MAX;
    else
        *ns = ts[0] * 1000000000 + ts[1] > 0 ? ts[0] * 1000000000 + ts[1] : 0;
    return 0;
}

static int64_t sys_io_getevents(struct sys_ctx *c, uint64_t ctx_id, int64_t min_nr, int64_t nr, uint64_t uevents,
                                uint64_t utimeout)
{
    int64_t ns;
    int e = timeout_ns(c->p, utimeout, &ns);
    return e < 0 ? e : getevents(c, ctx_id, min_nr, nr, uevents, ns, false);
}

/* io_pgetevents: the same under the signal mask usig names ({mask, size}). */
static int64_t sys_io_pgetevents(struct sys_ctx *c, uint64_t ctx_id, int64_t min_nr, int64_t nr, uint64_t uevents,
                                 uint64_t utimeout, uint64_t usig)
{
    int64_t ns;
    uint64_t sig[2] = {0, 0};
    int e = timeout_ns(c->p, utimeout, &ns);
    if (e < 0)
        return e;
    if (usig && mem_in(c->p, sig, usig, sizeof sig) < 0)
        return -LINUX_EFAULT;
    if ((e = wait_mask_swap(c, sig[0], sig[1])) < 0)
        return e;
    int64_t r = getevents(c, ctx_id, min_nr, nr, uevents, ns, true);
    if (!c->deferred)
        wait_mask_unswap(c->p, r);
    return r;
}
