/*
 * personalities/linux/proc.c - the process table: processes and threads
 * by pid and by badge (task and thread badges are unique numbers, so a
 * lifecycle event of a replaced task is never taken for its
 * successor's), a process's threads and children and the other lists
 * that spare a walk of every process, their allocation and freeing, CPU
 * time, and the identity calls: getpid, gettid, getppid, getpgrp, getpgid, getsid, setpgid,
 * setsid, times, getrusage.
 *
 * Entry points: proc.h's "table".  Callers: main.c (every trap finds its
 * thread here), and every subsystem acting for a process.  Layer: proc.
 * Book: docs/linux.md, "Programs and processes".
 */
#include "pipe.h"
#include "cgroup.h"
#include "deadline.h"
#include "mount.h"
#include "pidns.h"
#include "proc.h"
#include "sysctl.h"
#include "sysvipc.h"
#include "time.h"
#include "tty.h"
#include "userfaultfd.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/proc.h" /* generated: the handlers' prototypes, entries */

struct proc *proc_head;
int proc_count; /* the procs on that list: Linux's nr_threads */
static uint64_t next_badge = 1;

uint64_t proc_new_badge(void) { return next_badge++; }

bool proc_running_file(const struct inode *ino)
{
    for (struct proc *p = proc_head; p; p = p->next)
        if (p->mm->exe == ino)
            return true; /* an exit or an exec clears it (mm_free) */
    return false;
}

/* Processes by pid, hashed: pids are handed out in order (coming back
 * only past kernel/pid_max, new_pid) and never change, so a bucket's
 * chain is short. */
#define PID_BUCKETS 1024
static struct proc *by_pid[PID_BUCKETS];

struct proc *proc_by_pid(int pid)
{
    for (struct proc *p = by_pid[(unsigned)pid % PID_BUCKETS]; p; p = p->pid_next)
        if (p->pid == pid)
            return p;
    return NULL;
}

static void unlink_pid(struct proc *p)
{
    for (struct proc **pp = &by_pid[(unsigned)p->pid % PID_BUCKETS]; *pp; pp = &(*pp)->pid_next)
        if (*pp == p) {
            *pp = p->pid_next;
            break;
        }
}

/* Processes by their task's badge, hashed as the thread badges are; only
 * the task's own process is on it (fork, exec), not its threads or a
 * vfork child running in it. */
static struct proc *by_task_badge[BADGE_BUCKETS];

struct proc *proc_by_task_badge(uint64_t badge)
{
    for (struct proc *p = by_task_badge[badge % BADGE_BUCKETS]; p; p = p->task_next)
        if (!p->zombie && !p->leader && !p->vfork.shared && p->task_badge == badge)
            return p;
    return NULL;
}

static void unlink_task_badge(struct proc *p)
{
    for (struct proc **pp = &by_task_badge[p->task_badge % BADGE_BUCKETS]; *pp; pp = &(*pp)->task_next)
        if (*pp == p) {
            *pp = p->task_next;
            break;
        }
}

void proc_set_task_badge(struct proc *p, uint64_t badge)
{
    unlink_task_badge(p);
    p->task_badge = badge;
    p->task_next = by_task_badge[badge % BADGE_BUCKETS];
    by_task_badge[badge % BADGE_BUCKETS] = p;
}

struct proc *proc_tracees, *proc_vforkers, *proc_futex_waiters, *proc_sighand_borrowers;

/* Takes c off its parent's children; the one before it may be the youngest now. */
static void child_del(struct proc *c)
{
    struct proc_link *l = &c->child_link;
    struct proc *parent = l->pprev ? proc_by_pid(c->ppid) : NULL;
    if (parent && parent->youngest == c)
        parent->youngest = l->pprev == &parent->children
                               ? NULL
                               : (struct proc *)((char *)l->pprev - CHILD_LINK - offsetof(struct proc_link, next));
    proc_link_del(c, CHILD_LINK);
}

void proc_set_parent(struct proc *c, int ppid)
{
    struct proc *parent = proc_by_pid(ppid);
    child_del(c);
    c->ppid = ppid;
    if (parent && !c->leader) { /* the newest last */
        proc_link_add(parent->youngest ? &parent->youngest->child_link.next : &parent->children, c, CHILD_LINK);
        parent->youngest = c;
    }
}

void proc_add_thread(struct proc *g, struct proc *t) { proc_link_add(&g->threads, t, THREAD_LINK); }


struct proc *by_thread_badge[BADGE_BUCKETS];

static void unlink_thread_badge(struct proc *p)
{
    for (struct proc **pp = &by_thread_badge[p->thread_badge % BADGE_BUCKETS]; *pp; pp = &(*pp)->badge_next)
        if (*pp == p) {
            *pp = p->badge_next;
            break;
        }
    p->thread_badge = 0;
}

/* p runs on a new thread, with this badge. */
void proc_set_thread_badge(struct proc *p, uint64_t badge)
{
    if (p->thread_badge)
        unlink_thread_badge(p);
    p->thread_badge = badge;
    p->badge_next = by_thread_badge[badge % BADGE_BUCKETS];
    by_thread_badge[badge % BADGE_BUCKETS] = p;
}

/* A pid no thread, process group or session has. */
static bool pid_free(int pid)
{
    if (proc_by_pid(pid))
        return false;
    for (struct proc *p = proc_head; p; p = p->next)
        if (p->pgid == pid || p->sid == pid)
            return false;
    return true;
}

/* The next pid: the one after kernel/ns_last_pid, up to kernel/pid_max,
 * then round again from RESERVED_PIDS (300; from 1 while the last is
 * below it) past those in use (a process's, group's or session's), as
 * Linux's alloc_pid; 0 if none.  A pid above the highest handed out is
 * free without a look (until ns_last_pid is written back, every one is). */
static int new_pid(void)
{
    static int high;
    int pid = sysctl_ns_last_pid, min = pid + 1 > 300 ? 300 : 1;
    for (int tries = 0; tries < sysctl_pid_max; tries++) {
        pid = pid + 1 >= sysctl_pid_max ? min : pid + 1;
        if (pid > high || pid_free(pid)) {
            high = pid > high ? pid : high;
            return sysctl_ns_last_pid = pid;
        }
    }
    return 0;
}

/* Whether pid may be clone3's set_tid: Linux's alloc_pid with one: in
 * 1..pid_max-1 (EINVAL), the caller a checkpointer (EPERM), not in use
 * (EEXIST); 0 if so.  Choosing a pid leaves ns_last_pid as it is. */
int proc_pid_wanted(const struct cred *cred, int pid)
{
    if (pid < 1 || pid >= sysctl_pid_max)
        return -LINUX_EINVAL;
    if (!cred_checkpointer(cred))
        return -LINUX_EPERM;
    return pid_free(pid) ? 0 : -LINUX_EEXIST;
}

struct proc *proc_alloc(void) { return proc_alloc_pid(0); }

struct proc *proc_alloc_pid(int want)
{
    int pid = want ? want : new_pid();
    struct proc *p = pid ? calloc(1, sizeof *p) : NULL;
    if (!p)
        return NULL;
    p->pid = pid;
    p->pid_next = by_pid[(unsigned)p->pid % PID_BUCKETS];
    by_pid[(unsigned)p->pid % PID_BUCKETS] = p;
    p->task = p->thread = -1;
    p->level = PRIO_PROGRAM; /* its thread is made at it */
    p->start_ns = clock_now();
    p->mm = &p->own_mm;
    p->fds = &p->own_fds;
    p->sig.actions = p->own_sigactions;
    p->sig.shared = &p->own_shared;
    p->exit_signal = SIGCHLD;
    p->coredump_filter = 0x33; /* MMF_DUMP_FILTER_DEFAULT with ELF headers, as Debian's */
    p->loginuid = p->sessionid = UINT32_MAX; /* AUDIT_UID_UNSET, AUDIT_SID_UNSET */
    mm_init(p->mm);
    p->next = proc_head;
    proc_head = p;
    proc_count++;
    return p;
}

/* Takes a proc being freed off every list but the process list. */
static void unlink_all(struct proc *dead)
{
    if (dead->thread_badge)
        unlink_thread_badge(dead);
    unlink_task_badge(dead);
    poll_waiter_drop(dead);
    deadline_gone(dead);
    unlink_pid(dead);
    proc_link_del(dead, THREAD_LINK);
    child_del(dead);
    proc_link_del(dead, TRACEE_LINK);
    proc_link_del(dead, VFORK_LINK);
    proc_link_del(dead, FUTEX_LINK);
    proc_link_del(dead, SIGHAND_LINK);
    for (struct proc *c; (c = dead->children);) /* orphans whose parent went first (none normally: exit reparents) */
        proc_link_del(c, CHILD_LINK);
    dead->youngest = NULL;
    for (struct proc *t; (t = dead->threads);)
        proc_link_del(t, THREAD_LINK);
}

static struct proc *graveyard;

/* Takes a reaped process off the list; it is freed by proc_collect, after
 * the handler that reaped it has finished with it. */
struct proc *proc_charged;

void proc_free(struct proc *dead)
{
    if (proc_charged == dead)
        proc_charged = NULL; /* it ended during the call: its time went with it */
    fs_cred_drop(&dead->cred);
    cred_release(&dead->cred);
    seccomp_drop(&dead->seccomp);
    landlock_drop(&dead->landlock);
    ns_exit(dead);
    cgroup_release(dead);
    signal_free_queue(&dead->sig.own);
    signal_free_queue(&dead->own_shared);
    uffd_proc_gone(dead);
    for (struct proc **pp = &proc_head; *pp; pp = &(*pp)->next)
        if (*pp == dead) {
            *pp = dead->next;
            proc_count--;
            unlink_all(dead);
            dead->next = graveyard;
            graveyard = dead;
            fs_sweep_wanted = true; /* what it pointed at may be free once it is */
            return;
        }
}

/* Whether a process still points at ino: as its working directory or one
 * of that directory's ancestors (a removed directory keeps its parent for
 * "..", as Linux), or through a mapping of it. */
static bool inode_pinned(const struct inode *ino)
{
    for (struct proc *p = proc_head; p; p = p->next) {
        for (const struct inode *d = p->cwd; d; d = d->parent == d ? NULL : d->parent)
            if (d == ino)
                return true;
        for (const struct inode *d = p->cred.root; d; d = d->parent == d ? NULL : d->parent)
            if (d == ino)
                return true;
        for (const struct vma *v = p->mm->vmas; v; v = v->next)
            if (v->file == ino)
                return true;
    }
    return landlock_pins(ino); /* a rule names it */
}

void proc_collect(void)
{
    while (graveyard) {
        struct proc *p = graveyard;
        graveyard = p->next;
        fd_table_free(&p->own_fds);
        free(p);
    }
    if (mount_lazy_pending)
        mount_reap_lazy(); /* before the sweep: the files of one taken apart go with it */
    if (fs_sweep_wanted) {
        sysv_collect(); /* before the sweep: a removed segment's inode goes with it */
        mm_anon_collect(); /* and shared anonymous memory's no area maps */
        fs_sweep(inode_pinned);
    }
}

bool proc_cancel_wait(struct proc *p, uint64_t *token)
{
    if (pipe_cancel(p, token) || tty_cancel(p, token) || wait_cancel(p, token))
        return true;
    if (!p->reap.waiting)
        return false;
    p->reap.waiting = false;
    *token = p->reap.token;
    return true;
}

void proc_set_fs(struct proc *p, struct inode *cwd, int cwd_mnt, uint32_t umask)
{
    struct proc *g = proc_group(p);
    if (p->cwd && p->cwd != cwd && p->cwd->orphaned)
        fs_sweep_wanted = true; /* a removed directory left may go now (and its watches hear IN_DELETE_SELF) */
    for (struct proc *t = proc_head; t; t = t->next)
        if (proc_fs_shared(t, g))
            t->cwd = cwd, t->cwd_mnt = cwd_mnt, t->umask = umask;
}

int proc_live_threads(struct proc *g)
{
    int n = g->thread_gone ? 0 : 1;
    for (struct proc *t = g->threads; t; t = t->thread_link.next)
        n += !t->zombie;
    return n;
}

void proc_cpu_times(struct proc *g, uint64_t *user, uint64_t *sys)
{
    *user = g->cpu.gone_utime, *sys = g->cpu.gone_stime;
    for_each_thread(t, g) {
        uint64_t u, s;
        proc_thread_cpu_times(t, &u, &s);
        *user += u, *sys += s;
    }
}

/* Whether thread t's own accounts still stand apart: an ended thread's
 * (and a leader's that ended before its process) went to the process. */
static bool counted(struct proc *t) { return !t->zombie && !(t == proc_group(t) && t->thread_gone); }

void proc_thread_cpu_ns(struct proc *t, uint64_t *user, uint64_t *sys)
{
    struct persona_cputimes ct;
    *user = *sys = 0;
    if (!counted(t))
        return; /* charged to the process as it ended */
    if (t->thread >= 0 && sys_stats(STATS_CPU, t->thread, &ct, sizeof ct) == 0 && ct.hz)
        *user = ct.user * (1000000000 / ct.hz), *sys = ct.kernel * (1000000000 / ct.hz);
    *sys += persona_tsc_ns(&linux_clock, t->server_tsc);
}

void proc_thread_cpu_times(struct proc *t, uint64_t *user, uint64_t *sys)
{
    proc_thread_cpu_ns(t, user, sys);
    *user /= 1000000000 / USER_HZ, *sys /= 1000000000 / USER_HZ;
}

/* times: the process's and its reaped children's CPU time; the clock in
 * ticks since boot. */
static int64_t sys_times(struct sys_ctx *c, uint64_t ubuf)
{
    struct proc *g = proc_group(c->p);
    uint64_t t[4];
    proc_cpu_times(g, &t[0], &t[1]);
    t[2] = g->cpu.child_utime, t[3] = g->cpu.child_stime;
    if (ubuf && mem_out(c->p, ubuf, t, sizeof t) < 0)
        return -LINUX_EFAULT;
    return (int64_t)(clock_now() / (1000000000 / USER_HZ));
}

/* What one thread, a process or its reaped children used, as struct
 * rusage reports it: CPU times (clock ticks), minor faults (ru_minflt),
 * waits (ru_nvcsw, voluntary switches) and the peak of memory (ru_maxrss,
 * bytes here); the server keeps nothing for the other fields, which are
 * 0 (why: docs/linux.md, "/proc"). */
struct usage {
    uint64_t utime, stime, minflt, nvcsw, maxrss;
};

/* The peak of g's memory: its earlier images' and, while it runs, its
 * memory's (a thread's is its process's, as Linux's). */
static uint64_t peak_rss(struct proc *g) { return g->zombie ? g->cpu.maxrss : MAX(g->cpu.maxrss, mm_hiwater(g)); }

void proc_keep_peak(struct proc *p)
{
    struct proc *g = proc_group(p);
    g->cpu.maxrss = MAX(g->cpu.maxrss, mm_hiwater(p));
}

static struct usage thread_usage(struct proc *t)
{
    struct usage a = {0, 0, 0, 0, peak_rss(proc_group(t))};
    proc_thread_cpu_times(t, &a.utime, &a.stime);
    if (counted(t)) /* else charged to the process as it ended */
        a.minflt = t->counts.minflt, a.nvcsw = t->counts.switches;
    return a;
}

static struct usage process_usage(struct proc *g)
{
    struct usage a = {g->cpu.gone_utime, g->cpu.gone_stime, g->cpu.gone_minflt, g->cpu.gone_nvcsw, peak_rss(g)};
    for_each_thread(t, g) {
        struct usage b = thread_usage(t);
        a.utime += b.utime, a.stime += b.stime, a.minflt += b.minflt, a.nvcsw += b.nvcsw;
    }
    return a;
}

static void rusage_fill(uint64_t ru[RUSAGE_WORDS], struct usage a)
{
    memset(ru, 0, RUSAGE_WORDS * sizeof *ru);
    ru[0] = a.utime / USER_HZ, ru[1] = a.utime % USER_HZ * (1000000 / USER_HZ);
    ru[2] = a.stime / USER_HZ, ru[3] = a.stime % USER_HZ * (1000000 / USER_HZ);
    ru[4] = a.maxrss / 1024, ru[8] = a.minflt, ru[16] = a.nvcsw; /* ru_maxrss (KiB), ru_minflt, ru_nvcsw */
}

void proc_rusage_both(struct proc *g, uint64_t ru[RUSAGE_WORDS])
{
    struct usage a = process_usage(g);
    a.utime += g->cpu.child_utime, a.stime += g->cpu.child_stime;
    a.minflt += g->cpu.child_minflt, a.nvcsw += g->cpu.child_nvcsw;
    a.maxrss = MAX(a.maxrss, g->cpu.child_maxrss);
    rusage_fill(ru, a);
}

/* getrusage: CPU times, minor faults, voluntary switches and the peak of
 * memory; the other fields are 0. */
static int64_t sys_getrusage(struct sys_ctx *c, int who, uint64_t uusage)
{
    uint64_t ru[RUSAGE_WORDS];
    struct proc *g = proc_group(c->p);
    struct usage a;
    if (who == RUSAGE_SELF)
        a = process_usage(g);
    else if (who == RUSAGE_CHILDREN)
        a = (struct usage){g->cpu.child_utime, g->cpu.child_stime, g->cpu.child_minflt, g->cpu.child_nvcsw,
                           g->cpu.child_maxrss};
    else if (who == RUSAGE_THREAD)
        a = thread_usage(c->p);
    else
        return -LINUX_EINVAL;
    rusage_fill(ru, a);
    return mem_out(c->p, uusage, ru, sizeof ru) < 0 ? -LINUX_EFAULT : 0;
}

/* The ids as the caller's pid namespace numbers them (pidns.c): 0 for
 * a parent, group or session outside it. */
static int64_t sys_getpid(struct sys_ctx *c) { return pidns_vnr(c->p, proc_group(c->p)); }
static int64_t sys_gettid(struct sys_ctx *c) { return pidns_vnr(c->p, c->p); }
static int64_t sys_getppid(struct sys_ctx *c) { return pidns_vpid(c->p, proc_group(c->p)->ppid); }
static int64_t sys_getpgrp(struct sys_ctx *c) { return pidns_vpid(c->p, c->p->pgid); }

static int64_t sys_getpgid(struct sys_ctx *c, uint64_t pid)
{
    struct proc *p = pid ? pidns_find(c->p, (int)pid) : c->p;
    return p && !(p->zombie && p->leader) ? pidns_vpid(c->p, p->pgid) : -LINUX_ESRCH; /* an unreaped process's too */
}

static int64_t sys_getsid(struct sys_ctx *c, uint64_t pid)
{
    struct proc *p = pid ? pidns_find(c->p, (int)pid) : c->p;
    return p && !(p->zombie && p->leader) ? pidns_vpid(c->p, p->sid) : -LINUX_ESRCH;
}

/* Linux's setpgid: the caller itself or a child of its process (ESRCH
 * for anyone else) that is a process's leader (EINVAL), in the caller's
 * session (EPERM) and not past an execve (EACCES); no session leader
 * moves (EPERM); the group joined must be one of the caller's session
 * (EPERM), unless it is the process's own new one. */
static int64_t sys_setpgid(struct sys_ctx *c, uint64_t upid, uint64_t upgid)
{
    struct proc *me = proc_group(c->p);
    if ((upgid ? (int)upgid : (int)upid) < 0)
        return -LINUX_EINVAL; /* the group, or the pid it defaults to */
    int pid = upid ? pidns_global(c->p, (int)upid) : me->pid, pgid = upgid ? pidns_global(c->p, (int)upgid) : pid;
    struct proc *p = proc_by_pid(pid);
    if (!p || p->zombie)
        return -LINUX_ESRCH;
    if (proc_group(p) != p)
        return -LINUX_EINVAL;
    if (p != me && p->ppid != me->pid)
        return -LINUX_ESRCH;
    if (p != me && p->sid != me->sid)
        return -LINUX_EPERM;
    if (p != me && !p->forked_only)
        return -LINUX_EACCES;
    if (p->sid == p->pid)
        return -LINUX_EPERM; /* a session leader */
    if (pgid != pid) {
        struct proc *g = proc_list();
        while (g && (g->pgid != pgid || g->sid != me->sid || proc_group(g) != g))
            g = g->next;
        if (!g)
            return -LINUX_EPERM;
    }
    for (struct proc *q = proc_list(); q; q = q->next)
        if (proc_group(q) == p)
            q->pgid = pgid; /* its threads follow */
    return 0;
}

/* EPERM while a process group has the process's id (its own, or one it
 * left), as Linux's; the process's threads follow. */
static int64_t sys_setsid(struct sys_ctx *c)
{
    struct proc *g = proc_group(c->p);
    for (struct proc *q = proc_list(); q; q = q->next)
        if (q->pgid == g->pid && proc_group(q) == q)
            return -LINUX_EPERM;
    for (struct proc *q = proc_list(); q; q = q->next)
        if (proc_group(q) == g)
            q->sid = q->pgid = g->pid;
    return pidns_vnr(c->p, g);
}
