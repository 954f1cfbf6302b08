/*
 * personalities/linux/rlimit.c - resource limits: Linux's 16, soft and
 * hard, kept per process and inherited, and what enforces some of them:
 * RLIMIT_NOFILE (the descriptor table's end, fd_limit), RLIMIT_FSIZE
 * (fsize_write_ok and fsize_grow_ok, which the file writes and size
 * changes call: SIGXFSZ and EFBIG), and the per-user counts Linux keeps
 * in its ucounts, which RLIMIT_SIGPENDING (sigqueue.c, ptimer.c) and
 * RLIMIT_MSGQUEUE (mqueue.c) bound (and the descriptors in flight,
 * sockmsg.c's, which RLIMIT_NOFILE bounds).  RLIMIT_CPU is checked at the CPU
 * tick (cputime.c); RLIMIT_MEMLOCK, NICE, RTPRIO, CORE and STACK where
 * they apply.  The others are kept and shown.
 *
 * Entry points: rlimits_default (process 1), linux_max_threads,
 * fd_limit (file.c), fsize_write_ok, fsize_grow_ok, ucount_charge and
 * ucount_uncharge (proc.h).  Callers: the syscall table, io.c, path.c,
 * falloc.c, iov.c, sigqueue.c, ptimer.c, mqueue.c, sockmsg.c, procpid.c,
 * procsysfiles.c.  Layer: proc.
 * Book: docs/linux.md, "Programs and processes".
 */
#include "cputime.h"
#include "proc.h"
#include "signal.h"
#include <stdlib.h>
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
}

bool fsize_io_worker;

/* SIGXFSZ to thread p, sent by p itself (Linux's send_sig from current,
 * PIDTYPE_PID); an io_uring worker blocks it, and it is lost. */
static int xfsz(struct proc *p)
{
    struct siginfo_k si = {SIGXFSZ, 0, SI_USER, 0, {.kill = {proc_tgid(p), (int32_t)p->cred.uid}}};
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
    return soft < NR_OPEN ? (int)soft : NR_OPEN;
}

/* Limits are kept per process, inherited and reported (enforced as the
 * header says; a finite RLIMIT_CPU arms the CPU tick).  Root may raise a
 * hard limit (CAP_SYS_RESOURCE), others only lower it, and only root may
 * set another user's process's; RLIMIT_NOFILE's stops at nr_open (EPERM). */
static int64_t sys_prlimit64(struct sys_ctx *c, uint64_t pid, uint64_t resource, uint64_t unew, uint64_t uold)
{
    struct proc *t = pid ? proc_by_pid((int)pid) : c->p;
    uint64_t res = resource, lim[2];
    if (!t || t->zombie)
        return -LINUX_ESRCH;
    if (res >= RLIM_NLIMITS)
        return -LINUX_EINVAL;
    struct proc *g = proc_group(t);
    if (unew && mem_in(c->p, lim, unew, sizeof lim) < 0)
        return -LINUX_EFAULT;
    if (unew && (lim[0] > lim[1] || (res == RLIMIT_NOFILE && lim[1] > NR_OPEN)))
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
