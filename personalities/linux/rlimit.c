/*
 * personalities/linux/rlimit.c - resource limits: Linux's 16, soft and
 * hard, kept per process and inherited, the calls that set them, and
 * what enforces some of them, as Linux 6.1 does: RLIMIT_NOFILE (the
 * descriptor table's end, fd_limit); RLIMIT_FSIZE (fsize_write_ok and
 * fsize_grow_ok, which the file writes and size changes call: SIGXFSZ
 * and EFBIG); RLIMIT_NPROC here (tasks per real uid: fork, vfork, clone
 * and clone3 fail EAGAIN past it; a set*uid to a user past it marks the
 * process, whose next execve fails EAGAIN if the user still is); the
 * per-user counts Linux keeps in its ucounts, which RLIMIT_SIGPENDING
 * (sigqueue.c, ptimer.c) and RLIMIT_MSGQUEUE (mqueue.c) bound (and the
 * descriptors in flight, sockmsg.c's, which RLIMIT_NOFILE bounds).
 * RLIMIT_CPU is checked at the CPU tick (cputime.c); RLIMIT_AS,
 * RLIMIT_DATA and RLIMIT_STACK by mmlimit.c (mmap, mremap, brk, shmat,
 * the stack's growth); RLIMIT_MEMLOCK (mlock, SHM_LOCK), RLIMIT_NICE and
 * RLIMIT_RTPRIO (sched.c), RLIMIT_CORE (coredump.c) and RLIMIT_STACK's
 * quarter for execve's arguments (exec.c).  RLIMIT_RSS and RLIMIT_LOCKS
 * are kept only, as on Linux; RLIMIT_RTTIME is kept, not enforced.
 *
 * Entry points: rlimits_default (process 1), fd_limit (file.c),
 * fsize_write_ok, fsize_grow_ok, ucount_charge and ucount_uncharge
 * (proc.h), nproc_allows (fork.c), nproc_setuid (cred.c), nproc_exec
 * (exec.c).  Callers: the syscall table, io.c, path.c, falloc.c, iov.c,
 * sigqueue.c, ptimer.c, mqueue.c, sockmsg.c, procpid.c.  Layer: proc.
 * Book: docs/linux.md, "Programs and processes".
 */
#include "sysctl.h"
#include "cputime.h"
#include "pidns.h"
#include "proc.h"
#include "userns.h"
#include "signal.h"
#include <stdlib.h>
#include "procfs.h"
#include "linux_entries/rlimit.h" /* generated: the handlers' prototypes, entries */

uint64_t linux_max_threads(void)
{
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    uint64_t n = ms.total_bytes / (16384 * 8); /* memory / 8 stacks (THREAD_SIZE) */
    return n < 20 ? 20 : n > 0x3fffffff ? 0x3fffffff : n; /* MIN_THREADS, FUTEX_TID_MASK */
}

void rlimits_default(uint64_t rlim[RLIM_NLIMITS][2])
{
    for (int i = 0; i < RLIM_NLIMITS; i++)
        rlim[i][0] = rlim[i][1] = RLIM_INFINITY;
    rlim[RLIMIT_SIGPENDING][0] = rlim[RLIMIT_SIGPENDING][1] = linux_max_threads() / 2;
    rlim[RLIMIT_STACK][0] = 8ull << 20; /* 8 MiB, the stack area */
    rlim[RLIMIT_CORE][0] = 0;          /* no core files */
    rlim[RLIMIT_NOFILE][0] = 1024; /* Linux's INR_OPEN_CUR and INR_OPEN_MAX */
    rlim[RLIMIT_NOFILE][1] = 4096;
    rlim[RLIMIT_MEMLOCK][0] = rlim[RLIMIT_MEMLOCK][1] = 8ull << 20;
    rlim[RLIMIT_MSGQUEUE][0] = rlim[RLIMIT_MSGQUEUE][1] = 819200;
    rlim[RLIMIT_NICE][0] = rlim[RLIMIT_NICE][1] = rlim[RLIMIT_RTPRIO][0] = rlim[RLIMIT_RTPRIO][1] = 0;
    rlim[RLIMIT_NPROC][0] = rlim[RLIMIT_NPROC][1] = linux_max_threads() / 2; /* Linux's fork_init */
}

/* The tasks whose real uid is uid: threads each, zombies until reaped
 * (Linux's ucounts, which release_task gives back). */
static uint64_t user_tasks(uint32_t uid)
{
    uint64_t n = 0;
    for (struct proc *p = proc_list(); p; p = p->next)
        n += p->cred.uid == uid;
    return n;
}

static uint64_t nproc_limit(struct proc *p) { return proc_group(p)->rlim[RLIMIT_NPROC][0]; }

/* Linux's copy_process: no one past kernel/threads-max's threads (each
 * proc counted, zombies too, as Linux's nr_threads until they are
 * reaped); for RLIMIT_NPROC, root's real uid, CAP_SYS_RESOURCE and
 * CAP_SYS_ADMIN pass (fork.c then moves the caller's mark to the child). */
bool nproc_allows(struct proc *p)
{
    int most = sysctl_threads_max ? sysctl_threads_max : (int)linux_max_threads();
    if (proc_count >= most)
        return false;
    const struct cred *cr = &p->cred;
    return !cr->uid || cred_capable(cr, CAP_SYS_RESOURCE) || cred_capable(cr, CAP_SYS_ADMIN) ||
           user_tasks(cr->uid) < nproc_limit(p);
}

/* Linux's flag_nproc_exceeded: the set*uid calls do not fail (programs
 * seldom check them), execve does; the user's tasks not counting p. */
void nproc_setuid(struct proc *p, uint32_t old_uid)
{
    if (p->cred.uid != old_uid)
        p->nproc_exceeded = p->cred.uid && user_tasks(p->cred.uid) - 1 > nproc_limit(p);
}

int nproc_exec(struct proc *p)
{
    if (p->nproc_exceeded && user_tasks(p->cred.uid) > nproc_limit(p))
        return -LINUX_EAGAIN;
    p->nproc_exceeded = false;
    return 0;
}

bool fsize_io_worker;

/* SIGXFSZ to thread p, sent by p itself (Linux's send_sig from current,
 * PIDTYPE_PID); an io_uring worker blocks it, and it is lost. */
static int xfsz(struct proc *p)
{
    struct siginfo_k si = {SIGXFSZ, 0, SI_USER, 0, {.kill = {pidns_vnr(p, proc_group(p)), (int32_t)userns_uid_from(p->cred.userns, p->cred.uid)}}};
    if (!fsize_io_worker)
        signal_send_thread(p, SIGXFSZ, &si);
    return -LINUX_EFBIG;
}

int fsize_write_ok(struct proc *p, uint64_t pos, uint64_t *n)
{
    uint64_t limit = p ? proc_group(p)->rlim[RLIMIT_FSIZE][0] : RLIM_INFINITY;
    if (limit == RLIM_INFINITY)
        return 0;
    if (pos >= limit)
        return xfsz(p);
    if (*n > limit - pos)
        *n = limit - pos;
    return 0;
}

int fsize_grow_ok(struct proc *p, uint64_t size, uint64_t end)
{
    uint64_t limit = p ? proc_group(p)->rlim[RLIMIT_FSIZE][0] : RLIM_INFINITY;
    return end > size && limit != RLIM_INFINITY && end > limit ? xfsz(p) : 0;
}

/* ---- what each real user holds: Linux's ucounts ---- */
struct ucount {
    uint32_t uid;
    uint64_t n[UCOUNT_KINDS];
    struct ucount *next;
};
static struct ucount *ucounts;

static struct ucount *ucount_of(uint32_t uid)
{
    struct ucount *u = ucounts;
    while (u && u->uid != uid)
        u = u->next;
    return u;
}

bool ucount_charge(uint32_t uid, int kind, uint64_t n, uint64_t limit)
{
    struct ucount *u = ucount_of(uid);
    if (!u && (u = calloc(1, sizeof *u)))
        u->uid = uid, u->next = ucounts, ucounts = u;
    if (!u || u->n[kind] + n > limit || u->n[kind] + n < n)
        return false;
    u->n[kind] += n;
    return true;
}

void ucount_uncharge(uint32_t uid, int kind, uint64_t n)
{
    struct ucount *u = ucount_of(uid);
    if (u)
        u->n[kind] -= n <= u->n[kind] ? n : u->n[kind];
}

uint64_t ucount_get(uint32_t uid, int kind)
{
    struct ucount *u = ucount_of(uid);
    return u ? u->n[kind] : 0;
}

int fd_limit(struct proc *p)
{
    uint64_t soft = proc_group(p)->rlim[RLIMIT_NOFILE][0];
    return soft < (uint64_t)sysctl_nr_open ? (int)soft : sysctl_nr_open;
}

/* Limits are kept per process, inherited and reported (enforced as the
 * header says; a finite RLIMIT_CPU arms the CPU tick).  Root may raise a
 * hard limit (CAP_SYS_RESOURCE), others only lower it, and only root may
 * set another user's process's; RLIMIT_NOFILE's stops at nr_open (EPERM). */
static int64_t sys_prlimit64(struct sys_ctx *c, uint64_t pid, uint64_t resource, uint64_t unew, uint64_t uold)
{
    struct proc *t = pid ? pidns_find(c->p, (int)pid) : c->p;
    uint64_t res = resource, lim[2];
    if (!t || t->zombie)
        return -LINUX_ESRCH;
    if (res >= RLIM_NLIMITS)
        return -LINUX_EINVAL;
    struct proc *g = proc_group(t);
    if (unew && mem_in(c->p, lim, unew, sizeof lim) < 0)
        return -LINUX_EFAULT;
    if (unew && (lim[0] > lim[1] || (res == RLIMIT_NOFILE && lim[1] > (uint64_t)sysctl_nr_open)))
        return lim[0] > lim[1] ? -LINUX_EINVAL : -LINUX_EPERM;
    const struct cred *me = &c->p->cred, *them = &t->cred;
    bool capable = cred_capable(me, CAP_SYS_RESOURCE);
    if (!capable && t != c->p && (me->uid != them->uid || me->uid != them->euid || me->uid != them->suid))
        return -LINUX_EPERM;
    if (unew && !capable && lim[1] > g->rlim[res][1])
        return -LINUX_EPERM;
    if (uold && mem_out(c->p, uold, g->rlim[res], sizeof g->rlim[res]) < 0)
        return -LINUX_EFAULT;
    if (unew)
        g->rlim[res][0] = lim[0], g->rlim[res][1] = lim[1];
    if (unew && res == RLIMIT_CPU && lim[0] != RLIM_INFINITY) {
        cputime_note_armed(); /* the CPU tick checks it (cputime.c) */
        wait_rearm();
    }
    return 0;
}

/* getrlimit and setrlimit: prlimit64 on the caller. */
static int64_t sys_getrlimit(struct sys_ctx *c, uint64_t resource, uint64_t urlim)
{
    return sys_prlimit64(c, 0, resource, 0, urlim);
}

static int64_t sys_setrlimit(struct sys_ctx *c, uint64_t resource, uint64_t urlim)
{
    return sys_prlimit64(c, 0, resource, urlim, 0);
}
