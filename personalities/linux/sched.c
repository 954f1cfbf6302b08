/*
 * personalities/linux/sched.c - scheduling as Linux programs see it: one
 * CPU (sched_getaffinity, sched_setaffinity, getcpu), sched_yield, policies and
 * real-time priorities (sched_setscheduler and its kin, sched_setattr and
 * sched_getattr with SCHED_DEADLINE's reservations) and nice values
 * (getpriority, setpriority), which are kept, inherited and shown; the
 * real-time policies' priorities are the kernel's strict priorities of
 * the threads (sched_apply), and a nice value the length of its
 * thread's turn (sched_slice).  rseq is ENOSYS on purpose
 * (syscalls.def's LINUX_NOSYS says why).
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the syscall
 * table.  Layer: proc.  Book: docs/linux.md,
 * "Programs and processes".
 */
#include "sysctl.h"
#include "pidns.h"
#include "proc.h"
#include <string.h>
#include "linux_entries/sched.h" /* generated: the handlers' prototypes, entries */

static int64_t sys_sched_yield(struct sys_ctx *c) { (void)c; return 0; }

/* One CPU: every thread's affinity is CPU 0; the mask is one long
 * (Linux's cpumask_size() for nr_cpu_ids 1). */
static int64_t sys_sched_getaffinity(struct sys_ctx *c, uint64_t pid, uint64_t len, uint64_t ucpuset)
{
    uint64_t mask = 1;
    if (len < 1 || (len & (sizeof mask - 1)))
        return -LINUX_EINVAL;
    if (pid && !pidns_find(c->p, (int)pid))
        return -LINUX_ESRCH;
    return mem_out(c->p, ucpuset, &mask, sizeof mask) < 0 ? -LINUX_EFAULT : (int64_t)sizeof mask;
}

/* Linux's order: the mask is read first (EFAULT), then the thread found
 * (ESRCH); another user's thread is CAP_SYS_NICE's (check_same_owner);
 * a mask without CPU 0 names no CPU there is. */
static int64_t sys_sched_setaffinity(struct sys_ctx *c, uint64_t pid, uint64_t len, uint64_t ucpuset)
{
    uint64_t mask = 0;
    if (len && mem_in(c->p, &mask, ucpuset, len < sizeof mask ? len : sizeof mask) < 0)
        return -LINUX_EFAULT;
    struct proc *t = pid ? pidns_find(c->p, (int)pid) : c->p;
    const struct cred *me = &c->p->cred;
    if (!t)
        return -LINUX_ESRCH;
    if (me->euid != t->cred.euid && me->euid != t->cred.uid && !cred_capable(me, CAP_SYS_NICE))
        return -LINUX_EPERM;
    return (mask & 1) ? 0 : -LINUX_EINVAL;
}

/* ---- policies: sched_setscheduler and its kin.  A thread's policy and
 * real-time priority are kept, inherited (SCHED_RESET_ON_FORK: not) and
 * reported, with Linux's checks (1 to 99 for SCHED_FIFO and SCHED_RR, 0
 * for the others; a real-time policy is root's, RLIMIT_RTPRIO being 0),
 * and its thread runs at the kernel priority they give (sched_level). ---- */

/* The kernel priority of a thread of policy and rt_priority: the
 * ordinary policies all at PRIO_PROGRAM (strict levels cannot share a
 * processor by weight: nice values and SCHED_IDLE set the length of a
 * turn there instead, sched_slice), each
 * real-time priority a level of its own above them, SCHED_DEADLINE above
 * every real-time one, as Linux's classes; all below the servers. */
int sched_level(const struct proc *t)
{
    int base = t->policy & ~SCHED_RESET_ON_FORK;
    return base == SCHED_DEADLINE ? PRIO_PROGRAM + 100
           : base == SCHED_FIFO || base == SCHED_RR ? PRIO_PROGRAM + t->rt_priority
                                                    : PRIO_PROGRAM;
}

/* The length of a thread's turn at its level, in timer ticks of 10 ms
 * (0: the kernel's own, 5, nice 0's): SCHED_RR's
 * kernel/sched_rr_timeslice_ms (100 ms; at most THREAD_QUANTUM_MAX ticks
 * here), as sched_rr_get_interval says; for SCHED_OTHER and SCHED_BATCH, nice 0's
 * in proportion to Linux's weight of the nice value
 * (sched_prio_to_weight), from 1 tick to 50; SCHED_IDLE's 1 tick.
 * Threads of one level take turns, so their shares of the processor go
 * as their turns' lengths: Linux's ratios near nice 0, clipped at the
 * ends (nice 19 gets a fifth of nice 0's share, not a 68th). */
static int sched_slice(const struct proc *t)
{
    static const uint32_t weight[40] = {88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
                                        9548,  7620,  6100,  4904,  3906,  3121,  2501,  1991,  1586,  1277,
                                        1024,  820,   655,   526,   423,   335,   272,   215,   172,   137,
                                        110,   87,    70,    56,    45,    36,    29,    23,    18,    15};
    int base = t->policy & ~SCHED_RESET_ON_FORK;
    if (base == SCHED_RR || base == SCHED_IDLE)
        return base == SCHED_RR ? (sysctl_rr_ticks() < THREAD_QUANTUM_MAX ? sysctl_rr_ticks() : THREAD_QUANTUM_MAX) : 1;
    if (base != SCHED_OTHER && base != SCHED_BATCH)
        return 0;
    uint32_t ticks = (5 * weight[t->nice + 20] + 512) / 1024;
    return ticks <= 1 ? 1 : ticks >= 50 ? 50 : ticks == 5 ? 0 : (int)ticks;
}

void sched_apply(struct proc *t)
{
    int level = sched_level(t), slice = sched_slice(t);
    bool fifo = (t->policy & ~SCHED_RESET_ON_FORK) == SCHED_FIFO; /* no time slice */
    if (t->thread >= 0 && (level != PRIO_PROGRAM || t->level != PRIO_PROGRAM || slice || t->slice))
        sys_thread_prio(t->thread, level | (fifo ? THREAD_FIFO : 0), slice);
    t->level = level, t->slice = slice;
}

static bool realtime(int policy) { return policy == SCHED_FIFO || policy == SCHED_RR; }
static bool known(int policy) { return realtime(policy) || policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE; }

/* The thread a pid names (0: the caller): NULL with *err set. */
static struct proc *sched_target(struct sys_ctx *c, int pid, int64_t *err)
{
    struct proc *t = pid < 0 ? NULL : pid ? pidns_find(c->p, pid) : c->p;
    *err = pid < 0 ? -LINUX_EINVAL : -LINUX_ESRCH;
    return t && !t->zombie ? t : NULL;
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

/* SCHED_DEADLINE has its range, 0, though only sched_setattr sets it. */
static int64_t sys_sched_get_priority_max(struct sys_ctx *c, int policy)
{
    (void)c;
    return realtime(policy) ? 99 : known(policy) || policy == SCHED_DEADLINE ? 0 : -LINUX_EINVAL;
}

static int64_t sys_sched_get_priority_min(struct sys_ctx *c, int policy)
{
    (void)c;
    return realtime(policy) ? 1 : known(policy) || policy == SCHED_DEADLINE ? 0 : -LINUX_EINVAL;
}

/* SCHED_RR's quantum, kernel/sched_rr_timeslice_ms (Linux's default 100
 * ms) in whole 10 ms ticks; 0 for SCHED_FIFO; for the
 * others a fixed 0.75 ms, where Linux's is its fair scheduler's slice of
 * the moment. */
static int64_t sys_sched_rr_get_interval(struct sys_ctx *c, int pid, uint64_t uts)
{
    int64_t err;
    struct proc *t = sched_target(c, pid, &err);
    if (!t)
        return err;
    /* Linux counts it in jiffies: a fair thread's slice (0.75 ms on one
     * CPU) is less than one, so 0, as for FIFO and DEADLINE */
    int base = t->policy & ~SCHED_RESET_ON_FORK;
    int64_t ts[2] = {0, base == SCHED_RR ? sysctl_rr_ticks() * 10000000ll : 0};
    return mem_out(c->p, uts, ts, sizeof ts) < 0 ? -LINUX_EFAULT : 0;
}

/* ---- sched_setattr and sched_getattr: struct sched_attr, whose size the
 * caller gives (the first version's 48 bytes, or 0 for them; up to a page,
 * the bytes past the 56 known ones all zero, else E2BIG with 56 written
 * back), sets a policy with its nice value or priority, or a
 * SCHED_DEADLINE reservation, checked as Linux's __sched_setscheduler
 * checks it.  There are no utilization clamps (EOPNOTSUPP, as Linux
 * without CONFIG_UCLAMP_TASK). ---- */

struct sched_attr_k {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};
_Static_assert(sizeof(struct sched_attr_k) == SCHED_ATTR_SIZE_VER1, "struct sched_attr");

#define SCHED_FLAG_ALL 0x7f /* RESET_ON_FORK to UTIL_CLAMP_MAX */
#define DL_FLAGS (SCHED_FLAG_RECLAIM | SCHED_FLAG_DL_OVERRUN)
#define BW_SHIFT 20
#define DL_BW_LIMIT ((950000ull << BW_SHIFT) / 1000000) /* sched_rt_runtime_us of sched_rt_period_us, one CPU's */

static int base_policy(const struct proc *t) { return t->policy & ~SCHED_RESET_ON_FORK; }
static uint64_t dl_bw(uint64_t runtime, uint64_t period) { return period ? (runtime << BW_SHIFT) / period : 0; }

/* Linux's __checkparam_dl: runtime <= deadline <= period, within 100 us
 * and 4.19 s. */
static bool dl_params_valid(const struct sched_attr_k *a)
{
    uint64_t period = a->period ? a->period : a->deadline;
    if (!a->deadline || a->runtime < 1024 || ((a->deadline | a->period) >> 63))
        return false;
    return period >= a->deadline && a->deadline >= a->runtime && period >= 100000 && period <= (1ull << 22) * 1000;
}

/* The reservations of every other deadline thread and t's new one must
 * fit in the one CPU's 95%. */
static bool dl_fits(struct proc *t, const struct sched_attr_k *a)
{
    uint64_t total = dl_bw(a->runtime, a->period ? a->period : a->deadline);
    for (struct proc *o = proc_list(); o; o = o->next)
        if (o != t && !o->zombie && base_policy(o) == SCHED_DEADLINE)
            total += dl_bw(o->dl.runtime, o->dl.period);
    return total <= DL_BW_LIMIT;
}

/* Whether t may have nice value nice without CAP_SYS_NICE (can_nice). */
static bool can_nice(struct proc *t, int nice)
{
    return (uint64_t)(20 - nice) <= proc_group(t)->rlim[RLIMIT_NICE][0];
}

/* What an unprivileged caller may not do (the user half of
 * __sched_setscheduler): 0 or -EPERM. */
static int64_t setattr_allowed(struct sys_ctx *c, struct proc *t, const struct sched_attr_k *a, bool reset)
{
    const struct cred *me = &c->p->cred;
    int policy = (int)a->policy, old = base_policy(t);
    uint64_t rtprio = proc_group(t)->rlim[RLIMIT_RTPRIO][0];
    if (cred_capable(me, CAP_SYS_NICE))
        return 0;
    if ((policy == SCHED_OTHER || policy == SCHED_BATCH) && a->nice < t->nice && !can_nice(t, a->nice))
        return -LINUX_EPERM;
    if (realtime(policy) && ((policy != old && !rtprio) || (a->priority > (uint32_t)t->rt_priority && a->priority > rtprio)))
        return -LINUX_EPERM;
    if (policy == SCHED_DEADLINE || (old == SCHED_IDLE && policy != SCHED_IDLE && !can_nice(t, t->nice)))
        return -LINUX_EPERM;
    if (me->euid != t->cred.euid && me->euid != t->cred.uid)
        return -LINUX_EPERM;
    return (t->policy & SCHED_RESET_ON_FORK) && !reset ? -LINUX_EPERM : 0;
}

/* Linux's __sched_setscheduler on thread t; a->policy (uint32_t)-1 keeps
 * t's.  SCHED_FLAG_KEEP_PARAMS changes the reset-on-fork flag alone. */
static int64_t setattr_apply(struct sys_ctx *c, struct proc *t, struct sched_attr_k *a)
{
    bool reset = a->flags & SCHED_FLAG_RESET_ON_FORK;
    if (a->policy == (uint32_t)-1)
        a->policy = (uint32_t)base_policy(t), reset = t->policy & SCHED_RESET_ON_FORK;
    else if (!known((int)a->policy) && a->policy != SCHED_DEADLINE)
        return -LINUX_EINVAL;
    int policy = (int)a->policy;
    if ((a->flags & ~(uint64_t)SCHED_FLAG_ALL) || a->priority > 99 ||
        (policy == SCHED_DEADLINE && !dl_params_valid(a)) || realtime(policy) != (a->priority != 0))
        return -LINUX_EINVAL;
    int64_t err = setattr_allowed(c, t, a, reset);
    if (err)
        return err;
    if (a->flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX))
        return -LINUX_EOPNOTSUPP;
    if (policy == SCHED_DEADLINE && !dl_fits(t, a))
        return -LINUX_EBUSY;
    if (!(a->flags & SCHED_FLAG_KEEP_PARAMS)) {
        t->policy = policy, t->rt_priority = (int)a->priority;
        if (policy == SCHED_OTHER || policy == SCHED_BATCH)
            t->nice = a->nice;
        t->dl = policy != SCHED_DEADLINE ? (struct sched_dl){0} :
                (struct sched_dl){a->runtime, a->deadline, a->period ? a->period : a->deadline, a->flags & DL_FLAGS};
    }
    t->policy = base_policy(t) | (reset ? SCHED_RESET_ON_FORK : 0);
    sched_apply(t);
    return 0;
}

/* Linux's sched_copy_attr: the caller's struct, zero-extended. */
static int64_t setattr_copy(struct sys_ctx *c, uint64_t uattr, struct sched_attr_k *a)
{
    uint32_t size, ours = sizeof *a;
    memset(a, 0, sizeof *a);
    if (mem_in(c->p, &size, uattr, sizeof size) < 0)
        return -LINUX_EFAULT;
    size = size ? size : SCHED_ATTR_SIZE_VER0;
    int zeros = size > ours ? mem_zeros(c->p, uattr + ours, size - ours) : 0;
    if (size < SCHED_ATTR_SIZE_VER0 || size > 4096 || zeros > 0) {
        mem_out(c->p, uattr, &ours, sizeof ours);
        return -LINUX_E2BIG;
    }
    if (zeros < 0 || mem_in(c->p, a, uattr, size < ours ? size : ours) < 0)
        return -LINUX_EFAULT;
    if ((a->flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX)) && size < SCHED_ATTR_SIZE_VER1)
        return -LINUX_EINVAL;
    a->nice = a->nice < -20 ? -20 : a->nice > 19 ? 19 : a->nice;
    return 0;
}

/* What sched_getattr reports of t (and SCHED_FLAG_KEEP_PARAMS keeps): a
 * deadline thread's reservation, a real-time one's priority, or the nice
 * value and, as Linux 6.18's, the fair scheduler's slice on one CPU. */
static void get_params(struct proc *t, struct sched_attr_k *a)
{
    int policy = base_policy(t);
    if (policy == SCHED_DEADLINE) {
        a->runtime = t->dl.runtime, a->deadline = t->dl.deadline, a->period = t->dl.period;
        a->flags = (a->flags & ~(uint64_t)DL_FLAGS) | t->dl.flags;
    } else if (realtime(policy)) {
        a->priority = (uint32_t)t->rt_priority;
    } else {
        a->nice = t->nice, a->runtime = 700000;
    }
}

static int64_t sys_sched_setattr(struct sys_ctx *c, int pid, uint64_t uattr, uint32_t flags)
{
    struct sched_attr_k a;
    int64_t err;
    if (!uattr || pid < 0 || flags)
        return -LINUX_EINVAL;
    if ((err = setattr_copy(c, uattr, &a)) < 0)
        return err;
    if ((int32_t)a.policy < 0)
        return -LINUX_EINVAL;
    if (a.flags & SCHED_FLAG_KEEP_POLICY)
        a.policy = (uint32_t)-1;
    struct proc *t = sched_target(c, pid, &err);
    if (!t)
        return err;
    if (a.flags & SCHED_FLAG_KEEP_PARAMS)
        get_params(t, &a);
    return setattr_apply(c, t, &a);
}

/* sched_setscheduler and sched_setparam (keep_policy) as Linux's
 * _sched_setscheduler: the parameters and the thread's nice value made a
 * struct sched_attr for __sched_setscheduler's checks (setattr_apply),
 * after do_sched_setscheduler's own (EINVAL, EFAULT, ESRCH). */
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
    struct sched_attr_k a = {.policy = keep_policy ? (uint32_t)-1 : (uint32_t)(policy & ~SCHED_RESET_ON_FORK),
                             .flags = !keep_policy && (policy & SCHED_RESET_ON_FORK) ? SCHED_FLAG_RESET_ON_FORK : 0,
                             .nice = t->nice, .priority = (uint32_t)prio};
    return setattr_apply(c, t, &a);
}

static int64_t sys_sched_setscheduler(struct sys_ctx *c, int pid, int policy, uint64_t uparam)
{
    return policy < 0 ? -LINUX_EINVAL : set_policy(c, pid, policy, uparam, false);
}

static int64_t sys_sched_setparam(struct sys_ctx *c, int pid, uint64_t uparam)
{
    return set_policy(c, pid, 0, uparam, true);
}

/* The struct up to the caller's size, its bytes past ours zeroed (as Linux
 * 6.18's copy_struct_to_user), size saying how much is ours. */
static int64_t sys_sched_getattr(struct sys_ctx *c, int pid, uint64_t uattr, uint32_t usize, uint32_t flags)
{
    static const char zeros[256];
    struct sched_attr_k a = {0};
    int64_t err;
    if (!uattr || pid < 0 || usize > 4096 || usize < SCHED_ATTR_SIZE_VER0 || flags)
        return -LINUX_EINVAL;
    struct proc *t = sched_target(c, pid, &err);
    if (!t)
        return err;
    a.policy = (uint32_t)base_policy(t);
    a.flags = t->policy & SCHED_RESET_ON_FORK ? SCHED_FLAG_RESET_ON_FORK : 0;
    get_params(t, &a);
    a.size = usize < sizeof a ? usize : (uint32_t)sizeof a;
    if (mem_out(c->p, uattr, &a, a.size) < 0)
        return -LINUX_EFAULT;
    for (uint32_t off = a.size; off < usize; off += sizeof zeros) {
        uint32_t n = usize - off < sizeof zeros ? usize - off : (uint32_t)sizeof zeros;
        if (mem_out(c->p, uattr + off, zeros, n) < 0)
            return -LINUX_EFAULT;
    }
    return 0;
}

/* ---- nice values: getpriority, setpriority ---- */

/* Whether thread t is one that (which, who) names, for caller p. */
static bool prio_match(struct proc *t, struct proc *p, uint64_t which, int who)
{
    if (t->zombie)
        return false;
    if (which == PRIO_PROCESS) /* a thread id, in p's pid namespace */
        return t == (who ? pidns_find(p, who) : p);
    if (which == PRIO_PGRP)
        return proc_group(t)->pgid == (who ? pidns_global(p, who) : proc_group(p)->pgid);
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
            t->nice = nice, sched_apply(t);
    }
    return !found ? -LINUX_ESRCH : err;
}

/* LAB(syscall): solution */
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
/* LAB(syscall): skeleton
// getcpu(2) goes here.
LAB(syscall): end */
