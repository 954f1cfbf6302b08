/*
 * personalities/linux/pidns.c - pid namespaces, as Linux's
 * kernel/pid_namespace.c and alloc_pid: a namespace made by clone or
 * unshare(CLONE_NEWPID) is a child of the caller's, at most 32 deep; the
 * first process made in it is its init, numbered 1.  A process's numbers
 * are its pid (struct proc's, the initial namespace's) and, below that,
 * struct proc's nsnr[level] for each namespace from its own up, each
 * handed out by that namespace as Linux's idr_alloc_cyclic does.
 *
 * An init refuses the signals it has no handler for from inside its
 * namespace (SIGNAL_UNKILLABLE); orphans in the namespace go to it; when
 * it ends, the namespace takes no process again and every process in it
 * is killed (zap_pid_ns_processes).
 *
 * Entry points: pidns.h.  Layer: proc.  Book: docs/linux.md, "Programs
 * and processes".
 */
#include "pidns.h"
#include "proc.h"
#include "userns.h"
#include "procfs.h"
#include "sysctl.h"
#include <stdlib.h>
#include <string.h>


bool pidns_started(const struct ns *n) { return !n->pidns || n->pidns->started; }

int pidns_level(const struct ns *n) { return n && n->pidns ? n->pidns->level : 0; }

/* p's own pid namespace (NULL for none: the initial one's view). */
static struct ns *active(const struct proc *p) { return p ? ns_of(p, NS_PID) : NULL; }

int *pidns_last_of(const struct proc *p)
{
    struct ns *n = p ? active(p) : NULL;
    return n && n->pidns ? &n->pidns->last : &sysctl_ns_last_pid;
}

/* n's ancestor at level l (n itself at its own). */
static const struct ns *at_level(const struct ns *n, int l)
{
    while (pidns_level(n) > l)
        n = n->pidns->parent;
    return n;
}

int pidns_clone_check(const struct proc *p, uint64_t flags)
{
    if ((flags & CLONE_PARENT) && pidns_is_init(p))
        return -LINUX_EINVAL; /* an init makes no siblings (SIGNAL_UNKILLABLE) */
    if ((flags & CLONE_THREAD) && active(p) != ns_of(p, NS_PID_CHILD))
        return -LINUX_EINVAL; /* a thread of a process whose children go elsewhere */
    return 0;
}

int pidns_new_check(const struct proc *p)
{
    const struct ns *n = active(p);
    if (n != ns_of(p, NS_PID_CHILD))
        return -LINUX_EINVAL; /* copy_pid_ns: one made already for the children, or entered */
    if (pidns_level(n) + 1 > MAX_PID_NS_LEVEL)
        return -LINUX_ENOSPC; /* max_pid_namespaces: userns_limits */
    return 0;
}

struct pidns *pidns_new(struct ns *parent)
{
    struct pidns *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->level = pidns_level(parent) + 1;
    d->parent = parent;
    d->adding = true;
    return d;
}

struct ns *pidns_release(struct pidns *d)
{
    struct ns *up = d ? d->parent : NULL;
    if (d)
        free(d);
    return up;
}

int pidns_fork_check(const struct proc *p, uint64_t flags)
{
    if (flags & CLONE_NEWPID)
        return 0;
    const struct ns *n = ns_of(p, (flags & CLONE_THREAD) ? NS_PID : NS_PID_CHILD);
    return n->pidns && !n->pidns->adding ? -LINUX_ENOMEM : 0;
}

int pidns_nr(const struct proc *t, const struct ns *n)
{
    int l = pidns_level(n);
    if (l == 0)
        return t->pid;
    const struct ns *own = active(t);
    if (pidns_level(own) < l || !t->nsnr || at_level(own, l) != n)
        return 0;
    return t->nsnr[l];
}

int pidns_vnr(const struct proc *viewer, const struct proc *t)
{
    return !t ? 0 : viewer ? pidns_nr(t, active(viewer)) : t->pid; /* no viewer: the initial namespace's */
}

int pidns_vpid(const struct proc *viewer, int gpid)
{
    if (!pidns_level(active(viewer)))
        return gpid;
    struct proc *t = gpid > 0 ? proc_by_pid(gpid) : NULL;
    return t ? pidns_vnr(viewer, t) : 0;
}

struct proc *pidns_find_in(const struct ns *n, int nr)
{
    int l = pidns_level(n);
    if (!l)
        return proc_by_pid(nr);
    if (nr <= 0)
        return NULL;
    for (struct proc *q = proc_list(); q; q = q->next)
        if (q->nsnr && pidns_level(active(q)) >= l && q->nsnr[l] == nr && at_level(active(q), l) == n)
            return q;
    return NULL;
}

struct proc *pidns_find(const struct proc *viewer, int nr) { return pidns_find_in(active(viewer), nr); }

int pidns_global(const struct proc *viewer, int nr)
{
    if (nr <= 0 || !pidns_level(active(viewer)))
        return nr;
    struct proc *t = pidns_find(viewer, nr);
    return t ? t->pid : PIDNS_NONE;
}

/* A free number in namespace n, after its last one, as alloc_pid: up to
 * pid_max, then round again from 300 (from 1 while the last is below
 * it); 0 if none. */
static int new_nr(const struct ns *n)
{
    struct pidns *d = n->pidns;
    int nr = d->last, min = nr + 1 > 300 ? 300 : 1;
    for (int tries = 0; tries < sysctl_pid_max; tries++) {
        nr = nr + 1 >= sysctl_pid_max ? min : nr + 1;
        if (!pidns_find_in(n, nr))
            return d->last = nr;
    }
    return 0;
}

static int wanted[MAX_PID_NS_LEVEL + 1]; /* set_tid's numbers by level, for the next attach (0: none) */

int pidns_set_tid(const struct proc *p, uint64_t flags, const int32_t *tids, uint64_t n, int *global)
{
    bool fresh = flags & CLONE_NEWPID; /* a namespace yet to be made, the innermost level */
    const struct ns *own = ns_of(p, (flags & CLONE_THREAD) ? NS_PID : NS_PID_CHILD);
    int level = pidns_level(own) + fresh;
    memset(wanted, 0, sizeof wanted);
    *global = 0;
    if (n > (uint64_t)level + 1)
        return -LINUX_EINVAL;
    for (int i = level, k = 0; i >= 0 && (uint64_t)k < n; i--, k++) {
        const struct ns *at = fresh && i == level ? NULL : at_level(own, i);
        int tid = tids[k];
        if (tid < 1 || tid >= sysctl_pid_max)
            return -LINUX_EINVAL;
        if (tid != 1 && (!at || (at->pidns && !at->pidns->reaper)))
            return -LINUX_EINVAL; /* no pid 1 there yet: only it */
        if (!cred_checkpointer(&p->cred))
            return -LINUX_EPERM;
        if (i == 0) {
            int r = proc_pid_wanted(&p->cred, tid);
            if (r < 0)
                return r;
            *global = tid;
        } else if (at && pidns_find_in(at, tid)) {
            return -LINUX_EEXIST;
        } else {
            wanted[i] = tid;
        }
    }
    return 0;
}

void pidns_attach(struct proc *t)
{
    const struct ns *n = active(t);
    int l = pidns_level(n);
    if (!l || !(t->nsnr = calloc((size_t)l + 1, sizeof *t->nsnr)))
        return;
    t->nsnr[0] = t->pid;
    for (const struct ns *a = n; pidns_level(a) > 0; a = a->pidns->parent) {
        int i = pidns_level(a);
        t->nsnr[i] = wanted[i] ? wanted[i] : new_nr(a); /* one asked for leaves the last as it is */
        wanted[i] = 0;
    }
    if (t->nsnr[l] == 1 && !t->leader)
        n->pidns->reaper = t, n->pidns->started = true; /* the first: its init (Linux's is_child_reaper) */
}

void pidns_free(struct proc *t)
{
    const struct ns *n = active(t);
    if (n->pidns && n->pidns->reaper == t)
        n->pidns->reaper = NULL;
    free(t->nsnr);
    t->nsnr = NULL;
}

/* One of the lines: the numbers of gpid's process (a group's or a
 * session's leader) in each of t's namespaces from the proc instance's
 * down (Linux's task_state), 0 where it has none. */
static void ids_line(const char *name, const struct proc *t, int gpid)
{
    const struct proc *who = proc_by_pid(gpid);
    const struct ns *own = active(t);
    procfs_put("%s:", name);
    for (int l = pidns_level(procfs_pidns()); l <= pidns_level(own); l++)
        procfs_put("\t%d", who ? pidns_nr(who, at_level(own, l)) : 0);
    procfs_put("\n");
}

void pidns_status(const struct proc *t)
{
    ids_line("NStgid", t, proc_tgid((struct proc *)t));
    ids_line("NSpid", t, t->pid);
    ids_line("NSpgid", t, t->pgid);
    ids_line("NSsid", t, t->sid);
}

bool pidns_is_init(const struct proc *t)
{
    const struct ns *n = active(t);
    return n->pidns && n->pidns->reaper == proc_group((struct proc *)t);
}

struct proc *pidns_reaper(const struct proc *p)
{
    const struct ns *n = active(p);
    return n->pidns ? n->pidns->reaper : proc_by_pid(1);
}

/* Whether q is in namespace n or below it. */
static bool inside(const struct proc *q, const struct ns *n) { return pidns_nr(q, n) != 0; }

int pidns_reboot(struct proc *p, uint32_t cmd)
{
    struct ns *n = active(p);
    int sig = cmd == 0x01234567u || cmd == 0xa1b2c3d4u ? SIGHUP : cmd == 0x4321fedcu || cmd == 0xcdef0123u ? SIGINT : 0;
    if (!sig)
        return -LINUX_EINVAL; /* RESTART, RESTART2; POWER_OFF, HALT: the others are not a namespace's */
    struct proc *init = n->pidns->reaper;
    n->pidns->reboot = sig;
    if (proc_group(p) != init)
        proc_exit(p, 0); /* the caller's do_exit(0), before its init's SIGKILL ends the rest */
    if (init && !init->zombie)
        proc_exit(init, SIGKILL);
    return 1;
}

bool pidns_init_exit(struct proc *p)
{
    if (!pidns_is_init(p))
        return false;
    const struct ns *n = active(p);
    if (n->pidns->reboot)
        p->status = n->pidns->reboot; /* as zap_pid_ns_processes's group_exit_code */
    n->pidns->adding = false; /* disable_pid_allocation */
    for (bool again = true; again;) {
        again = false;
        for (struct proc *q = proc_list(); q && !again; q = q->next)
            if (!q->zombie && !q->leader && q != p && inside(q, n))
                proc_exit(q, SIGKILL), again = true; /* the list may change: from the start again */
    }
    /* Its children, and those reparented to it as the others ended, are
     * reaped as its wait loop reaps them (its SIGCHLD is ignored); those
     * of a parent outside the namespace (one that entered it) are their
     * parent's to wait for. */
    for (bool again = true; again;) {
        again = false;
        for (struct proc *q = proc_list(); q && !again; q = q->next) {
            struct proc *parent = q->zombie && !q->leader && q != p && inside(q, n) ? proc_by_pid(q->ppid) : NULL;
            if (parent && (parent == p || (parent->zombie && inside(parent, n))))
                proc_free(q), again = true;
        }
    }
    return true;
}

/* Whether si carries a sender's pid (Linux's has_si_pid_and_uid: kill's,
 * a queued one's, SIGCHLD's). */
static bool has_pid(const struct siginfo_k *si)
{
    if (si->code == SI_USER || si->code == SI_KERNEL)
        return true;
    if (si->code < 0)
        return si->code != SI_TIMER && si->code != SI_SIGIO;
    return si->signo == SIGCHLD;
}

bool pidns_signal_force(const struct proc *t, struct siginfo_k *si)
{
    const struct proc *cur = proc_charged;
    bool force = si->code == SI_KERNEL;
    if (!has_pid(si))
        return force || !cur; /* the kernel's own (a timer, SIGIO) */
    if (cur && !(si->signo == SIGCHLD && si->code > 0)) /* si_uid: the sender's, as t's user namespace sees it */
        si->kill.uid = (int32_t)userns_uid_across(cur->cred.userns, t->cred.userns, (uint32_t)si->kill.uid);
    if (cur && !inside(cur, active(t))) { /* from an ancestor namespace */
        if (si->signo == SIGCHLD && si->code > 0)
            return true; /* its si_pid is the child's, made for the parent already */
        si->kill.pid = 0;
        force = true;
    }
    return force || !cur;
}

int pidns_may_enter(const struct proc *p, const struct ns *n)
{
    const struct ns *mine = active(p);
    int l = pidns_level(mine);
    return pidns_level(n) >= l && at_level(n, l) == mine ? 0 : -LINUX_EINVAL;
}

struct ns *pidns_parent_for(const struct proc *p, const struct ns *n)
{
    if (!n->pidns)
        return NULL; /* the initial one has none */
    struct ns *up = n->pidns->parent;
    const struct ns *mine = active(p);
    return pidns_level(up) >= pidns_level(mine) && at_level(up, pidns_level(mine)) == mine ? up : NULL;
}
