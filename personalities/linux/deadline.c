/*
 * personalities/linux/deadline.c - the server's one timer (a notification
 * bound to its thread, armed for the earliest deadline there is, and its
 * firing) and the processes' pending deadlines in a binary min-heap, so
 * that the earliest and those due are found in O(log n), not by walking
 * every process.
 *
 * Each process in the heap is there once, under the earliest of its
 * deadlines as it was when last noted (p->dl_key), with its slot
 * (p->dl_slot, 1-based; 0: not in the heap) for removal.  The heap is
 * kept by deadline_note, which whoever sets a deadline calls
 * (wait_rearm_for; wait_rearm notes the process whose call is being
 * served, which is where nearly every deadline is set).  A deadline that
 * ends (a wait finished or cancelled, a process gone zombie) needs no
 * note: an entry whose key is no longer its process's is found stale when
 * it reaches the top, and moved or dropped then.
 *
 * Entry points: deadline.h; wait_init, wait_rearm, wait_rearm_for and
 * timers_fire (wait.h).  Callers: wait.c, proc.c, main.c, whoever sets a
 * deadline.  Layer: with waits.
 * Book: docs/linux.md, "Waiting".
 */
#include "counter.h"
#include "cputime.h"
#include "deadline.h"
#include "iouring.h"
#include "packet.h"
#include "proc.h"
#include "procfs.h"
#include "ptimer.h"
#include "tty.h"
#include <stdlib.h>

#define GONE UINT32_MAX    /* dl_slot of a proc being freed */

static struct proc **heap; /* heap[1..count]; heap[0] unused */
static uint32_t count, room;

static uint64_t earliest(uint64_t a, uint64_t b)
{
    return !a ? b : !b ? a : a < b ? a : b;
}

uint64_t deadline_of(const struct proc *p)
{
    if (p->zombie)
        return 0;
    uint64_t d = p->wait.kind ? p->wait.deadline : 0;
    d = earliest(d, p->block.pipe ? p->block.deadline : 0);
    return earliest(d, p->alarm.at);
}

static void place(struct proc *p, uint32_t i)
{
    heap[i] = p;
    p->dl_slot = i;
}

static void sift_up(uint32_t i)
{
    struct proc *p = heap[i];
    for (; i > 1 && heap[i / 2]->dl_key > p->dl_key; i /= 2)
        place(heap[i / 2], i);
    place(p, i);
}

static void sift_down(uint32_t i)
{
    struct proc *p = heap[i];
    for (uint32_t c; (c = 2 * i) <= count; i = c) {
        if (c < count && heap[c + 1]->dl_key < heap[c]->dl_key)
            c++;
        if (heap[c]->dl_key >= p->dl_key)
            break;
        place(heap[c], i);
    }
    place(p, i);
}

void deadline_drop(struct proc *p)
{
    uint32_t i = p->dl_slot;
    if (!i || i == GONE)
        return;
    p->dl_slot = 0;
    struct proc *last = heap[count--];
    if (i > count)
        return; /* it was the last */
    place(last, i);
    sift_up(i);
    sift_down(last->dl_slot);
}

static bool grow(void)
{
    uint32_t n = room ? room * 2 : 64;
    struct proc **h = realloc(heap, (n + 1) * sizeof *h);
    if (!h)
        return false;
    heap = h;
    room = n;
    return true;
}

void deadline_gone(struct proc *p)
{
    deadline_drop(p);
    p->dl_slot = GONE;
}

void deadline_note(struct proc *p)
{
    if (p->dl_slot == GONE)
        return;
    uint64_t key = deadline_of(p);
    if (!key) {
        deadline_drop(p);
        return;
    }
    if (p->dl_slot && key == p->dl_key)
        return;
    if (!p->dl_slot) {
        if (count == room && !grow())
            return; /* out of memory: the deadline waits for a later note */
        place(p, ++count);
    }
    p->dl_key = key;
    sift_up(p->dl_slot);
    sift_down(p->dl_slot);
}

/* The top entry brought up to date: stale ones moved or dropped first. */
static struct proc *top(void)
{
    while (count && heap[1]->dl_key != deadline_of(heap[1]))
        deadline_note(heap[1]);
    return count ? heap[1] : NULL;
}

uint64_t deadline_first(void)
{
    struct proc *p = top();
    return p ? p->dl_key : 0;
}

struct proc *deadline_due(uint64_t t)
{
    struct proc *p = top();
    return p && p->dl_key <= t ? p : NULL;
}

/* ---- the server's one timer: armed for the earliest deadline, fired ---- */

static int timer = -1;

void wait_init(void)
{
    long n = sys_notif_create();
    if (n >= 0 && sys_notif_bind((int)n) == 0)
        timer = (int)n;
}

/* The processes' deadlines are in the heap: the earliest is its top,
 * without a walk of every process. */
void wait_rearm_for(struct proc *p)
{
    if (p)
        deadline_note(p);
    uint64_t next = deadline_first(), t = clock_now();
    uint64_t tfd = timerfd_next(), tty = tty_next_deadline(), load = loadavg_next(), pt = ptimer_next();
    uint64_t ring = iouring_live ? iouring_next() : 0, pkt = pring_next();
    if (ring && (!next || ring < next))
        next = ring;
    if (pkt && (!next || pkt < next)) /* a TPACKET_V3 block's retire timer (packetring.c) */
        next = pkt;
    if (!next || load < next)
        next = load;
    if (pt && pt < next)
        next = pt;
    if (cputime_armed() && t + CPUTIME_POLL_NS < next) /* CPU time is checked at a tick */
        next = t + CPUTIME_POLL_NS;
    if (tfd && (!next || tfd < next))
        next = tfd;
    if (tty && (!next || tty < next))
        next = tty;
    if (timer >= 0)
        sys_timer_arm(timer, next ? (next > t ? next - t : 1) : 0, 1);
}

void wait_rearm(void)
{
    wait_rearm_for(proc_charged); /* where nearly every deadline is set: the caller's own */
}

/* What a wait that timed out returns. */
static int64_t timed_out(int kind)
{
    if (kind == WAIT_LEASE) /* the open again, which takes the lease away (lease.c) */
        return -ERESTARTSYS;
    if (kind == WAIT_FUTEX || kind == WAIT_FUTEXV || kind == WAIT_MQUEUE)
        return -LINUX_ETIMEDOUT;
    return kind == WAIT_SIGWAIT || kind == WAIT_SYSV || kind == WAIT_DGRAM || kind == WAIT_ACCEPT ||
                   kind == WAIT_UNIXQ || kind == WAIT_SPLICE /* a stream's recvmmsg (sockmsg.c) */
               ? -LINUX_EAGAIN
               : 0;
}

void timers_fire(void)
{
    uint64_t t = clock_now();
    timerfd_fire(t);
    ptimer_fire(t);
    if (cputime_armed())
        cputime_tick();
    tty_timeout(t);
    loadavg_tick(t);
    if (iouring_live)
        iouring_fire(t);
    pring_fire(t);
    static uint32_t round;
    round++;
    /* the heap's due processes, earliest first; one that is due again after
     * its firing (nothing here should leave it so) waits for the next round */
    for (struct proc *p; (p = deadline_due(t)) && p->dl_round != round;) {
        p->dl_round = round;
        if (p->wait.kind && p->wait.deadline && p->wait.deadline <= t)
            wait_finish(p, timed_out(p->wait.kind));
        uint64_t token;
        int64_t moved = pipe_moved(p);
        if (!p->zombie && p->block.pipe && p->block.deadline && p->block.deadline <= t && pipe_cancel(p, &token))
            proc_reply(p, token, moved ? moved : -LINUX_EAGAIN); /* a socket's timeout: what moved, or EAGAIN */
        if (!p->zombie && p->alarm.at && p->alarm.at <= t) {
            /* an interval timer runs on from its last expiry, skipping
             * expiries that passed unseen (one signal for them, as Linux) */
            p->alarm.at = p->alarm.every ? p->alarm.at + ((t - p->alarm.at) / p->alarm.every + 1) * p->alarm.every : 0;
            deadline_note(p); /* before the signal, which may end (and free) the process */
            signal_send(p, SIGALRM, NULL);
            continue;
        }
        deadline_note(p);
    }
    wait_rearm();
}
