/*
 * personalities/linux/deadline.c - the processes' pending deadlines in a
 * binary min-heap, so that the server's timer finds the earliest one and
 * those due in O(log n), not by walking every process.
 *
 * Each process in the heap is there once, under the earliest of its
 * deadlines as it was when last noted (p->dl_key), with its slot
 * (p->dl_slot, 1-based; 0: not in the heap) for removal.  The heap is
 * kept by deadline_note, which whoever sets a deadline calls
 * (wait_rearm_proc; wait_rearm notes the process whose call is being
 * served, which is where nearly every deadline is set).  A deadline that
 * ends (a wait finished or cancelled, a process gone zombie) needs no
 * note: an entry whose key is no longer its process's is found stale when
 * it reaches the top, and moved or dropped then.
 *
 * Entry points: deadline.h.  Callers: wait.c, proc.c.  Layer: with waits.
 * Book: docs/linux.md, "Waiting".
 */
#include "deadline.h"
#include "proc.h"
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
