/*
 * personalities/linux/sched.c - scheduling as Linux programs see it: one
 * CPU (sched_getaffinity, sched_setaffinity), sched_yield, nice values
 * (getpriority, setpriority), which are kept, inherited and shown in
 * /proc but do not change the kernel's strict priorities, and rseq,
 * which is ENOSYS on purpose.
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the syscall
 * table.  Layer: proc.  Book: docs/linux.md,
 * "Programs and processes".
 */
#include "proc.h"
#include "linux_entries/sched.h" /* generated: the handlers' prototypes, entries */

static int64_t sys_sched_yield(struct sys_ctx *c) { (void)c; return 0; }

/* One CPU: every thread's affinity is CPU 0. */
static int64_t sys_sched_getaffinity(struct sys_ctx *c, uint64_t pid, uint64_t len, uint64_t ucpuset)
{
    uint64_t mask = 1;
    if (pid && !proc_by_pid((int)pid))
        return -LINUX_ESRCH;
    if (len < sizeof mask || (len & (sizeof mask - 1)))
        return -LINUX_EINVAL;
    return mem_out(c->p, ucpuset, &mask, sizeof mask) < 0 ? -LINUX_EFAULT : (int64_t)sizeof mask;
}

static int64_t sys_sched_setaffinity(struct sys_ctx *c, uint64_t pid, uint64_t len, uint64_t ucpuset)
{
    uint8_t first = 0;
    if (pid && !proc_by_pid((int)pid))
        return -LINUX_ESRCH;
    if (len && mem_in(c->p, &first, ucpuset, 1) < 0)
        return -LINUX_EFAULT;
    return (first & 1) ? 0 : -LINUX_EINVAL; /* a mask without CPU 0 names no CPU there is */
}

/* ---- nice values: getpriority, setpriority ---- */

/* Whether thread t is one that (which, who) names, for caller p. */
static bool prio_match(struct proc *t, struct proc *p, uint64_t which, int who)
{
    if (t->zombie)
        return false;
    if (which == PRIO_PROCESS) /* a thread id */
        return t->pid == (who ? who : p->pid);
    if (which == PRIO_PGRP)
        return proc_group(t)->pgid == (who ? who : proc_group(p)->pgid);
    return who == 0; /* PRIO_USER: every process is root's */
}

static int64_t sys_getpriority(struct sys_ctx *c, uint64_t which, int who)
{
    int best = 20; /* the lowest nice value found, as 20 - nice */
    if (which > PRIO_USER)
        return -LINUX_EINVAL;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (prio_match(t, c->p, which, who) && (best == 20 || t->nice < best))
            best = t->nice;
    return best == 20 ? -LINUX_ESRCH : 20 - best;
}

static int64_t sys_setpriority(struct sys_ctx *c, uint64_t which, int who, int prio)
{
    int nice = prio < -20 ? -20 : prio > 19 ? 19 : prio, found = 0;
    if (which > PRIO_USER)
        return -LINUX_EINVAL;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (prio_match(t, c->p, which, who))
            t->nice = nice, found++;
    return found ? 0 : -LINUX_ESRCH;
}

/* A restartable sequence needs the kernel, when it preempts a thread
 * inside one, to move the thread's rip to the sequence's abort handler;
 * Persona's kernel does not do that for pico threads.  So rseq is ENOSYS,
 * on purpose and quietly (no "not implemented" line): glibc, which
 * registers one at every start, and musl run without it. */
static int64_t sys_rseq(struct sys_ctx *c)
{
    (void)c;
    return -LINUX_ENOSYS;
}
