/*
 * personalities/linux/sched.c - scheduling as Linux programs see it: one
 * CPU (sched_getaffinity, sched_setaffinity, getcpu), sched_yield, policies and
 * real-time priorities (sched_setscheduler and its kin) and nice values
 * (getpriority, setpriority), which are kept, inherited and shown but do
 * not change the kernel's strict priorities.  rseq is ENOSYS on purpose
 * (syscalls.def's LINUX_NOSYS says why).
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

/* ---- policies: sched_setscheduler and its kin.  A thread's policy and
 * real-time priority are kept, inherited (SCHED_RESET_ON_FORK: not) and
 * reported, with Linux's checks (1 to 99 for SCHED_FIFO and SCHED_RR, 0
 * for the others; a real-time policy is root's, RLIMIT_RTPRIO being 0),
 * but the kernel's priorities do not follow them. ---- */

static bool realtime(int policy) { return policy == SCHED_FIFO || policy == SCHED_RR; }
static bool known(int policy) { return realtime(policy) || policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE; }

/* The thread a pid names (0: the caller): NULL with *err set. */
static struct proc *sched_target(struct sys_ctx *c, int pid, int64_t *err)
{
    struct proc *t = pid < 0 ? NULL : pid ? proc_by_pid(pid) : c->p;
    *err = pid < 0 ? -LINUX_EINVAL : -LINUX_ESRCH;
    return t && !t->zombie ? t : NULL;
}

static int64_t set_policy(struct sys_ctx *c, int pid, int policy, uint64_t uparam, bool keep_policy)
{
    int64_t err;
    int prio;
    if (pid < 0 || !uparam)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &prio, uparam, sizeof prio) < 0)
        return -LINUX_EFAULT;
    struct proc *t = sched_target(c, pid, &err);
    if (!t)
        return err;
    if (keep_policy)
        policy = t->policy;
    int base = policy & ~SCHED_RESET_ON_FORK;
    if (!known(base) || (realtime(base) ? prio < 1 || prio > 99 : prio != 0))
        return -LINUX_EINVAL;
    if (realtime(base) && !cred_capable(&c->p->cred, CAP_SYS_NICE))
        return -LINUX_EPERM;
    t->policy = policy, t->rt_priority = prio;
    return 0;
}

static int64_t sys_sched_setscheduler(struct sys_ctx *c, int pid, int policy, uint64_t uparam)
{
    return policy < 0 ? -LINUX_EINVAL : set_policy(c, pid, policy, uparam, false);
}

static int64_t sys_sched_setparam(struct sys_ctx *c, int pid, uint64_t uparam)
{
    return set_policy(c, pid, 0, uparam, true);
}

static int64_t sys_sched_getscheduler(struct sys_ctx *c, int pid)
{
    int64_t err;
    struct proc *t = sched_target(c, pid, &err);
    return t ? t->policy : err;
}

static int64_t sys_sched_getparam(struct sys_ctx *c, int pid, uint64_t uparam)
{
    int64_t err;
    if (pid < 0 || !uparam)
        return -LINUX_EINVAL;
    struct proc *t = sched_target(c, pid, &err);
    if (!t)
        return err;
    return mem_out(c->p, uparam, &t->rt_priority, sizeof t->rt_priority) < 0 ? -LINUX_EFAULT : 0;
}

/* SCHED_DEADLINE (6) has its range, 0, though only sched_setattr sets it. */
static int64_t sys_sched_get_priority_max(struct sys_ctx *c, int policy)
{
    (void)c;
    return realtime(policy) ? 99 : known(policy) || policy == 6 ? 0 : -LINUX_EINVAL;
}

static int64_t sys_sched_get_priority_min(struct sys_ctx *c, int policy)
{
    (void)c;
    return realtime(policy) ? 1 : known(policy) || policy == 6 ? 0 : -LINUX_EINVAL;
}

/* SCHED_RR's quantum, Linux's default 100 ms; 0 for SCHED_FIFO; for the
 * others a fixed 0.75 ms, where Linux's is its fair scheduler's slice of
 * the moment. */
static int64_t sys_sched_rr_get_interval(struct sys_ctx *c, int pid, uint64_t uts)
{
    int64_t err;
    struct proc *t = sched_target(c, pid, &err);
    if (!t)
        return err;
    int base = t->policy & ~SCHED_RESET_ON_FORK;
    int64_t ts[2] = {0, base == SCHED_RR ? 100000000 : base == SCHED_FIFO ? 0 : 750000};
    return mem_out(c->p, uts, ts, sizeof ts) < 0 ? -LINUX_EFAULT : 0;
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
    return t->cred.uid == (uint32_t)(who ? who : (int)p->cred.uid); /* PRIO_USER: a real uid */
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

/* Linux's rules: another user's process is EPERM (unless root), and a
 * nice value lowered below the current one is root's (CAP_SYS_NICE,
 * RLIMIT_NICE being 0); the last error found is the answer. */
static int64_t sys_setpriority(struct sys_ctx *c, uint64_t which, int who, int prio)
{
    int nice = prio < -20 ? -20 : prio > 19 ? 19 : prio, found = 0;
    int64_t err = 0;
    const struct cred *me = &c->p->cred;
    if (which > PRIO_USER)
        return -LINUX_EINVAL;
    for (struct proc *t = proc_list(); t; t = t->next) {
        if (!prio_match(t, c->p, which, who))
            continue;
        found++;
        if (!cred_capable(me, CAP_SYS_NICE) && t->cred.uid != me->euid && t->cred.euid != me->euid)
            err = -LINUX_EPERM;
        else if (nice < t->nice && !cred_capable(me, CAP_SYS_NICE))
            err = -LINUX_EACCES;
        else
            t->nice = nice;
    }
    return !found ? -LINUX_ESRCH : err;
}

/* getcpu: the one CPU, 0, on node 0 (the vDSO's answers the same);
 * either address may be NULL; tcache is unused, as since Linux 2.6.24. */
static int64_t sys_getcpu(struct sys_ctx *c, uint64_t ucpu, uint64_t unode)
{
    uint32_t zero = 0;
    if (ucpu && mem_out(c->p, ucpu, &zero, sizeof zero) < 0)
        return -LINUX_EFAULT;
    if (unode && mem_out(c->p, unode, &zero, sizeof zero) < 0)
        return -LINUX_EFAULT;
    return 0;
}
