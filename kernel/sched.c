/*
 * kernel/sched.c - run queues, blocking, direct switches and the tick.
 * Book: docs/scheduling.md.
 */
#include "sched.h"
#include "cpu.h"
#include "notif.h"
#include "pico.h"
#include "task.h"
#include "timer.h"
#include "trap.h"
#include "vm.h"
#include "x86.h"

void switch_context(uint64_t *save_rsp, uint64_t new_rsp);

static struct list runq[PRIO_LEVELS];
static uint64_t runq_bits[PRIO_LEVELS / 64]; /* bit p: runq[p] is not empty */
int runq_top = -1;
_Static_assert(PRIO_LEVELS == 128, "bits_top reads two words");

/* The highest bit set in runq_bits (the highest priority with a ready thread), or -1. */
static int bits_top(void)
{
    return runq_bits[1] ? 127 - __builtin_clzll(runq_bits[1]) : runq_bits[0] ? 63 - __builtin_clzll(runq_bits[0]) : -1;
}

static struct list sleepers = LIST_INIT(sleepers);
static struct thread idle_thread;
static struct thread *prev_thread; /* the thread we just switched away from */

void sched_init(void)
{
    for (int i = 0; i < PRIO_LEVELS; i++)
        list_init(&runq[i]);
    obj_init(&idle_thread.obj, OBJ_THREAD);
    idle_thread.state = TS_READY;
    idle_thread.prio = -1;
    list_init(&idle_thread.sched_link);
    cpu0.current = &idle_thread;
}

void sched_ready(struct thread *th)
{
    th->state = TS_READY;
    if (th == &idle_thread)
        return;
    /* LAB(sched): solution */
    list_add_tail(&runq[th->prio], &th->sched_link);
    runq_bits[th->prio / 64] |= 1ull << (th->prio % 64);
    /* LAB(sched): skeleton
    list_add_tail(&runq[0], &th->sched_link); // one queue for every priority, for now
    runq_bits[0] |= 1u;
    LAB(sched): end */
    runq_top = bits_top();
}

void sched_unready(struct thread *th)
{
    if (th->sched_link.next == &th->sched_link)
        return;
    list_del(&th->sched_link);
    /* LAB(sched): solution */
    if (list_empty(&runq[th->prio]))
        runq_bits[th->prio / 64] &= ~(1ull << (th->prio % 64));
    /* LAB(sched): skeleton
    if (list_empty(&runq[0]))
        runq_bits[0] = 0;
    LAB(sched): end */
    runq_top = bits_top();
}

static struct thread *pick_next(void)
{
    int p = sched_highest();
    if (p < 0)
        return &idle_thread;
    struct thread *th = container_of(runq[p].next, struct thread, sched_link); /* the longest waiting */
    sched_unready(th);
    if (th->quantum <= 0) /* a preempted thread keeps what it had left */
        th->quantum = th->slice ? th->slice : QUANTUM_TICKS; /* fresh when the scheduler picks it: a direct switch passes none on */
    return th;
}

void sched_finish_switch(void)
{
    struct thread *prev = prev_thread;
    prev_thread = NULL;
    if (prev && prev->state == TS_DEAD)
        obj_put(&prev->obj); /* the scheduler's reference */
}

static void switch_to(struct thread *next)
{
    struct thread *prev = current();
    if (next == prev)
        return;
    load_thread(prev, next);
    prev_thread = prev;
    switch_context(&prev->kctx, next->kctx);
    sched_finish_switch();
}

void sched_enter_user(void)
{
    sched_finish_switch();
    pico_return_to_user(current());
}

void sched_block(enum thread_state state)
{
    current()->state = state;
    switch_to(pick_next());
}

void sched_switch_to(struct thread *th)
{
    struct thread *cur = current();
    if (cur->state == TS_READY)
        sched_ready(cur);
    sched_unready(th);
    if (sched_highest() > th->prio) { /* a higher priority is ready: th waits its turn */
        sched_ready(th);
        th = pick_next();
    }
    th->state = TS_READY;
    switch_to(th);
}

/* The current thread gives way to a higher priority: first in its queue
 * again, it finishes its turn (what is left of its quantum) when its
 * level runs again. */
static void sched_preempt(void)
{
    struct thread *cur = current();
    sched_ready(cur);
    list_del(&cur->sched_link);
    list_add_tail(runq[cur->prio].next, &cur->sched_link); /* before the first */
    switch_to(pick_next());
}

void sched_preempt_check(void)
{
    struct thread *cur = current();
    if (cur != &idle_thread && sched_outranked(cur->prio))
        sched_preempt();
}

void sched_set_prio(struct thread *th, int prio)
{
    bool queued = th->state == TS_READY && th != current() && th != &idle_thread;
    if (queued)
        sched_unready(th);
    th->prio = prio;
    if (queued)
        sched_ready(th);
    else if (th == current() && sched_highest() > prio)
        sched_preempt(); /* lowered below a ready thread (first at its new level, as Linux) */
}

void sched_yield(void)
{
    struct thread *cur = current();
    if (cur != &idle_thread)
        sched_ready(cur);
    switch_to(pick_next());
}

void sched_sleep_until(uint64_t at)
{
    struct thread *cur = current();
    cur->wake_at = at;
    list_add_tail(&sleepers, &cur->sched_link);
    timer_wake_at(at);
    sched_block(TS_SLEEP);
}

void sched_wake_due(uint64_t now)
{
    for (struct list *l = sleepers.next, *n; l != &sleepers; l = n) {
        n = l->next;
        struct thread *th = container_of(l, struct thread, sched_link);
        if (th->wake_at <= now) {
            list_del(l);
            sched_ready(th);
        }
    }
}

uint64_t sched_next_wake(void)
{
    uint64_t first = 0;
    for (struct list *l = sleepers.next; l != &sleepers; l = l->next) {
        struct thread *th = container_of(l, struct thread, sched_link);
        first = !first || th->wake_at < first ? th->wake_at : first;
    }
    return first;
}

static uint64_t total_user, total_kernel, total_idle;

void sched_account(bool user)
{
    struct thread *cur = current();
    if (cur == &idle_thread)
        total_idle++;
    else if (user)
        cur->user_ticks++, total_user++;
    else
        cur->kernel_ticks++, total_kernel++;
}

void sched_totals(uint64_t *user, uint64_t *kernel, uint64_t *idle)
{
    *user = total_user, *kernel = total_kernel, *idle = total_idle;
}

void sched_timer_wake(uint64_t now)
{
    sched_wake_due(now);
    notif_tick(now);
    struct thread *cur = current();
    if (cur == &idle_thread)
        return; /* the idle loop runs what woke */
    /* LAB(sched): solution */
    if (sched_highest() > cur->prio)
        sched_preempt();
    /* LAB(sched): skeleton
    LAB(sched): end */
}

void sched_ticks_missed(uint64_t n)
{
    struct thread *cur = current();
    if (cur != &idle_thread && n)
        cur->quantum = cur->quantum > (int64_t)n + 1 ? cur->quantum - (int)n : 1;
}

void sched_tick(void)
{
    uint64_t now = timer_ns();
    sched_wake_due(now);
    notif_tick(now);
    struct thread *cur = current();
    if (cur == &idle_thread) {
        if (sched_highest() >= 0)
            sched_yield();
        return;
    }
    /* LAB(sched): solution */
    if (sched_highest() > cur->prio)
        sched_preempt();
    else if (--cur->quantum <= 0 && !cur->fifo)
        sched_yield();
    /* LAB(sched): skeleton
    if (--cur->quantum <= 0 && !cur->fifo) // its quantum spent, the next one's turn
        sched_yield();
    LAB(sched): end */
}

__attribute__((noreturn)) void sched_idle(void)
{
    for (;;) {
        if (sched_highest() >= 0)
            sched_yield();
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
}
