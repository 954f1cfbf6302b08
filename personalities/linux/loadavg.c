/*
 * personalities/linux/loadavg.c - load averages, and which threads count
 * as running: what /proc/loadavg, /proc/stat, /proc/<pid>/stat's state and
 * sysinfo show.
 *
 * Entry points: procfs.h (loadavg_next and loadavg_tick for wait.c's
 * timer, loadavg_get, loadavg_running, proc_waiting).  Layer: above
 * proc.h; beside procfs.  Book: docs/linux.md, "/proc".
 */
#include "pipe.h"
#include "procfs.h"
#include "proc.h"
#include "time.h"
#include "tty.h"
#include "wait.h"

/* Load averages, as Linux computes them: every 5 s the number of threads
 * that run or are ready to (not waiting, stopped or ended) is folded into
 * three exponentially decaying averages, over 1, 5 and 15 minutes, in
 * 11-bit fixed point. */
#define FIXED_1 (1ull << LOADAVG_FSHIFT)
#define LOAD_FREQ_NS 5000000000ull
static const uint64_t load_exp[3] = {1884, 2014, 2037}; /* FIXED_1 / exp(5 s / 1, 5, 15 min) */
static uint64_t avenrun[3], load_next_ns;

/* Whether p waits in a call: a pipe, a poll or sleep, wait4, the terminal. */
bool proc_waiting(struct proc *p)
{
    return p->block.pipe || p->wait.kind != WAIT_NONE || p->reap.waiting || tty_waiting(p);
}

static bool runnable(struct proc *p)
{
    struct proc *g = proc_group(p);
    return !p->zombie && !(p == g && g->thread_gone) && !g->job.stopped && !p->parked.held && !proc_waiting(p);
}

int loadavg_running(struct proc *viewer)
{
    int n = 0;
    for (struct proc *p = proc_list(); p; p = p->next)
        n += runnable(p) || p == viewer;
    return n;
}

uint64_t loadavg_next(void)
{
    if (!load_next_ns)
        load_next_ns = clock_now() + LOAD_FREQ_NS;
    return load_next_ns;
}

void loadavg_tick(uint64_t now)
{
    if (!load_next_ns || now < load_next_ns)
        return;
    uint64_t active = (uint64_t)loadavg_running(NULL) * FIXED_1;
    for (; now >= load_next_ns; load_next_ns += LOAD_FREQ_NS) /* periods the server slept through too */
        for (int i = 0; i < 3; i++) {
            uint64_t load = avenrun[i] * load_exp[i] + active * (FIXED_1 - load_exp[i]);
            avenrun[i] = (load + (active >= avenrun[i] ? FIXED_1 - 1 : 0)) / FIXED_1;
        }
}

void loadavg_get(uint64_t out[3], int shift)
{
    for (int i = 0; i < 3; i++)
        out[i] = avenrun[i] << shift;
}
