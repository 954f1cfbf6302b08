/*
 * personalities/linux/ioprio.c - ioprio_get and ioprio_set: each thread's
 * I/O priority, a class (none, real-time, best-effort, idle) and its data,
 * a level 0 to 7 (Linux 6.1's: the real-time and best-effort classes
 * refuse more, the idle class keeps any; the hints 6.5 put in bits 3 to
 * 12 are not there).  A thread's value is kept, inherited by a fork or a new
 * thread unless its class is none (Linux's copy_io), and reported; there
 * is no block I/O here to order by it.  Linux's rules: the real-time
 * class is root's (CAP_SYS_ADMIN or CAP_SYS_NICE); another user's thread
 * is EPERM unless root; a group or a user's value is the best of its
 * threads', a thread of class none counting as best-effort 4.
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the syscall
 * table.  Layer: proc.  Book: docs/linux.md, "Programs and processes".
 */
#include "proc.h"
#include "linux_entries/ioprio.h" /* generated: the handlers' prototypes, entries */

#define IOPRIO_DATA(ioprio) ((ioprio) & ((1 << IOPRIO_CLASS_SHIFT) - 1))
#define IOPRIO_NR_LEVELS 8
#define IOPRIO_DEFAULT ((IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT) | IOPRIO_NORM)

/* Linux's ioprio_check_cap: 0 or -errno. */
static int64_t ioprio_check(const struct cred *me, int ioprio)
{
    switch (IOPRIO_PRIO_CLASS(ioprio)) {
    case IOPRIO_CLASS_RT:
        if (!cred_capable(me, CAP_SYS_ADMIN) && !cred_capable(me, CAP_SYS_NICE))
            return -LINUX_EPERM;
        /* fall through */ /* a level, as best-effort's */
    case IOPRIO_CLASS_BE:
        return IOPRIO_DATA(ioprio) >= IOPRIO_NR_LEVELS ? -LINUX_EINVAL : 0;
    case IOPRIO_CLASS_IDLE:
        return 0;
    case IOPRIO_CLASS_NONE:
        return IOPRIO_DATA(ioprio) ? -LINUX_EINVAL : 0;
    default:
        return -LINUX_EINVAL;
    }
}

/* Whether live thread t is one that (which, who) names for the caller p:
 * a thread id, a process group (0: p's), a real user id (0 is root's). */
static bool ioprio_match(struct proc *t, struct proc *p, int which, int who)
{
    if (t->zombie)
        return false;
    if (which == IOPRIO_WHO_PROCESS)
        return t->pid == (who ? who : p->pid);
    if (which == IOPRIO_WHO_PGRP)
        return proc_group(t)->pgid == (who ? who : proc_group(p)->pgid);
    return t->cred.uid == (uint32_t)who;
}

static int ioprio_best(int a, int b)
{
    a = IOPRIO_PRIO_CLASS(a) == IOPRIO_CLASS_NONE ? IOPRIO_DEFAULT : a;
    b = IOPRIO_PRIO_CLASS(b) == IOPRIO_CLASS_NONE ? IOPRIO_DEFAULT : b;
    return a < b ? a : b;
}

static int64_t sys_ioprio_get(struct sys_ctx *c, int which, int who)
{
    int64_t best = -LINUX_ESRCH;
    if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
        return -LINUX_EINVAL;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (ioprio_match(t, c->p, which, who))
            best = best < 0 ? t->ioprio : ioprio_best((int)best, t->ioprio);
    return best;
}

/* Every thread named takes the value, until one is another user's (EPERM). */
static int64_t sys_ioprio_set(struct sys_ctx *c, int which, int who, int ioprio)
{
    const struct cred *me = &c->p->cred;
    int64_t r = ioprio_check(me, ioprio);
    if (r < 0)
        return r;
    if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
        return -LINUX_EINVAL;
    r = -LINUX_ESRCH;
    for (struct proc *t = proc_list(); t; t = t->next) {
        if (!ioprio_match(t, c->p, which, who))
            continue;
        if (t->cred.uid != me->euid && t->cred.uid != me->uid && !cred_capable(me, CAP_SYS_NICE))
            return -LINUX_EPERM;
        t->ioprio = (uint16_t)ioprio;
        r = 0;
    }
    return r;
}
