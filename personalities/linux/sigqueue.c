/*
 * personalities/linux/sigqueue.c - pending signals: a thread's or a
 * process's (struct sigqueue), each pending signal's siginfo and the
 * real-time ones queued behind it, taken in Linux's order (faults
 * first); and what they cost: each siginfo held is charged to the real
 * user of the thread or process it was sent to, as Linux's
 * __sigqueue_alloc, within RLIMIT_SIGPENDING (rlimit.c's ucounts).
 *
 * Entry points: signal.h's "pending signals".  Callers: signal.c, exec.c,
 * proc.c, ptimer.c.  Layer: signals.  Book: docs/linux.md, "Signals".
 */
#include "proc.h"
#include "ptimer.h"
#include <stdlib.h>

struct rt_queued {
    int sig;
    bool charged;
    uint32_t uid;
    struct siginfo_k info;
    struct rt_queued *next;
};

/* One more of a pending real-time signal: queued behind it (false: no
 * memory). */
static bool enqueue(struct sigqueue *s, int sig, const struct siginfo_k *info, bool charged, uint32_t uid)
{
    struct rt_queued *q = malloc(sizeof *q), **pq = &s->queued;
    if (!q)
        return false;
    while (*pq)
        pq = &(*pq)->next;
    *q = (struct rt_queued){sig, charged, uid, *info, NULL};
    *pq = q;
    s->nqueued++;
    return true;
}

void sigqueue_uncharge(struct sigqueue *s, uint64_t bits)
{
    for (uint64_t b = bits & s->charged; b; b &= b - 1)
        ucount_uncharge(s->uid[__builtin_ctzll(b) + 1], UCOUNT_SIGPENDING, 1);
    s->charged &= ~bits;
}

static void free_queued(struct rt_queued *q)
{
    if (q->charged)
        ucount_uncharge(q->uid, UCOUNT_SIGPENDING, 1);
    free(q);
}

/* Takes sig, pending in s, with its siginfo: the next of it queued, if
 * any, becomes pending. */
static void unqueue(struct sigqueue *s, int sig, struct siginfo_k *info)
{
    sigqueue_uncharge(s, SIGSET_BIT(sig));
    s->pending &= ~SIGSET_BIT(sig);
    *info = s->info[sig];
    for (struct rt_queued **pq = &s->queued; *pq; pq = &(*pq)->next)
        if ((*pq)->sig == sig) {
            struct rt_queued *q = *pq;
            *pq = q->next;
            s->info[sig] = q->info;
            s->pending |= SIGSET_BIT(sig);
            s->charged |= q->charged ? SIGSET_BIT(sig) : 0, s->uid[sig] = q->uid;
            s->nqueued--;
            free(q);
            return;
        }
}

void sigqueue_drop(struct sigqueue *s, int sig)
{
    sigqueue_uncharge(s, SIGSET_BIT(sig));
    s->pending &= ~SIGSET_BIT(sig);
    for (struct rt_queued **pq = &s->queued; *pq;) {
        struct rt_queued *q = *pq;
        if (q->sig != sig) {
            pq = &q->next;
            continue;
        }
        *pq = q->next;
        s->nqueued--;
        free_queued(q);
    }
}

void signal_free_queue(struct sigqueue *s)
{
    sigqueue_uncharge(s, ~0ull);
    while (s->queued) {
        struct rt_queued *q = s->queued;
        s->queued = q->next;
        free_queued(q);
    }
    s->nqueued = 0;
}

static bool is_timers(const struct siginfo_k *si, int id) { return si->pad == PTIMER_MARK && si->timer.tid == id; }

static struct siginfo_k *timer_in(struct sigqueue *s, int sig, int id)
{
    if ((s->pending & SIGSET_BIT(sig)) && is_timers(&s->info[sig], id))
        return &s->info[sig];
    for (struct rt_queued *q = s->queued; q; q = q->next)
        if (q->sig == sig && is_timers(&q->info, id))
            return &q->info;
    return NULL;
}

struct siginfo_k *signal_timer_pending(struct proc *g, int sig, int id)
{
    struct siginfo_k *si = timer_in(g->sig.shared, sig, id);
    for (struct proc *t = g->threads; t && !si; t = t->thread_link.next)
        if (!t->zombie)
            si = timer_in(&t->sig.own, sig, id);
    return si;
}

/* The faults, which Linux's next_signal takes before the others. */
#define SIG_SYNCHRONOUS \
    (SIGSET_BIT(SIGSEGV) | SIGSET_BIT(SIGBUS) | SIGSET_BIT(SIGILL) | SIGSET_BIT(SIGTRAP) | SIGSET_BIT(SIGFPE) | \
     SIGSET_BIT(SIGSYS))

int signal_dequeue(struct proc *p, uint64_t set, struct siginfo_k *info)
{
    struct sigqueue *from[2] = {&p->sig.own, p->sig.shared};
    for (int i = 0; i < 2; i++) {
        uint64_t ready = from[i]->pending & set;
        if (!ready)
            continue;
        if (ready & SIG_SYNCHRONOUS)
            ready &= SIG_SYNCHRONOUS;
        int sig = __builtin_ctzll(ready) + 1;
        unqueue(from[i], sig, info);
        return sig;
    }
    return 0;
}

/* Linux's __sigqueue_alloc: si charged to p's real user, within
 * RLIMIT_SIGPENDING unless a standard signal from kill or the kernel
 * (si_code >= 0).  Past it: -EAGAIN for a real-time signal not from kill,
 * else 0 and si a bare SI_USER's.  1: charged.  A timer's is not. */
static int charge(struct proc *p, int sig, struct siginfo_k *si)
{
    bool rt = sig >= SIG_RT_FIRST;
    uint64_t limit = !rt && si->code >= 0 ? RLIM_INFINITY : proc_group(p)->rlim[RLIMIT_SIGPENDING][0];
    if (si->pad == PTIMER_MARK)
        return 0;
    if (ucount_charge(p->cred.uid, UCOUNT_SIGPENDING, 1, limit))
        return 1;
    if (rt && si->code != SI_USER)
        return -LINUX_EAGAIN;
    *si = (struct siginfo_k){sig, 0, SI_USER, 0, {.kill = {0, 0}}};
    return 0;
}

int sigqueue_make_pending(struct proc *p, struct sigqueue *q, int sig, struct siginfo_k *si)
{
    uint64_t bit = SIGSET_BIT(sig);
    int charged = sig < SIG_RT_FIRST && (q->pending & bit) ? 0 : charge(p, sig, si);
    if (charged < 0 || (sig < SIG_RT_FIRST && (q->pending & bit)))
        return charged;
    if (q->pending & bit) { /* behind the one pending; one without its siginfo is merged */
        if (charged && !enqueue(q, sig, si, true, p->cred.uid))
            ucount_uncharge(p->cred.uid, UCOUNT_SIGPENDING, 1);
        return 1;
    }
    q->pending |= bit;
    q->info[sig] = *si;
    q->charged |= charged ? bit : 0, q->uid[sig] = p->cred.uid;
    return 0;
}
