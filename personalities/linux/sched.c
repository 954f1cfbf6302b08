/*
 * personalities/linux/sched.c - scheduling as Linux programs see it: one
 * CPU (sched_getaffinity, sched_setaffinity), sched_yield, and nice
 * values (getpriority, setpriority), which are kept, inherited and shown
 * in /proc but do not change the kernel's strict priorities.
 *
 * Callers: the syscall table.  Layer: proc.  Book: docs/linux.md,
 * "Programs and processes".
 */
#include "proc.h"

SYSCALL_HANDLER(sched_yield) { (void)c; return 0; }

/* One CPU: every thread's affinity is CPU 0. */
SYSCALL_HANDLER(sched_getaffinity)
{
    uint64_t mask = 1;
    if (c->a[0] && !proc_by_pid((int)c->a[0]))
        return -LINUX_ESRCH;
    if (c->a[1] < sizeof mask || (c->a[1] & (sizeof mask - 1)))
        return -LINUX_EINVAL;
    return mem_out(c->p, c->a[2], &mask, sizeof mask) < 0 ? -LINUX_EFAULT : (int64_t)sizeof mask;
}

SYSCALL_HANDLER(sched_setaffinity)
{
    uint8_t first = 0;
    if (c->a[0] && !proc_by_pid((int)c->a[0]))
        return -LINUX_ESRCH;
    if (c->a[1] && mem_in(c->p, &first, c->a[2], 1) < 0)
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

SYSCALL_HANDLER(getpriority)
{
    int best = 20; /* the lowest nice value found, as 20 - nice */
    if (c->a[0] > PRIO_USER)
        return -LINUX_EINVAL;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (prio_match(t, c->p, c->a[0], (int)c->a[1]) && (best == 20 || t->nice < best))
            best = t->nice;
    return best == 20 ? -LINUX_ESRCH : 20 - best;
}

SYSCALL_HANDLER(setpriority)
{
    int nice = (int)c->a[2] < -20 ? -20 : (int)c->a[2] > 19 ? 19 : (int)c->a[2], found = 0;
    if (c->a[0] > PRIO_USER)
        return -LINUX_EINVAL;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (prio_match(t, c->p, c->a[0], (int)c->a[1]))
            t->nice = nice, found++;
    return found ? 0 : -LINUX_ESRCH;
}
