/*
 * personalities/linux/kill.c - the calls that send a signal: kill (to a
 * process, a process group, or everyone), tkill and tgkill (to a thread),
 * rt_sigqueueinfo and rt_tgsigqueueinfo (with a value), and
 * pidfd_send_signal, each with Linux's permission rule (may_signal) and
 * the siginfo Linux gives.  What a signal then does is signal.c's.
 *
 * Entry points: the syscall table.  Layer: signals, beside signal.c.
 * Book: docs/linux.md, "Signals".
 */
#include "pidfd.h"
#include "pidns.h"
#include "proc.h"
#include "userns.h"
#include <string.h>
#include "linux_entries/kill.h" /* generated: the handlers' prototypes, entries */

static struct proc *sender; /* kill's caller, for si_pid */

/* kill's siginfo from p: its pid and real uid as p's own namespaces see
 * them (Linux's prepare_kill_siginfo); signal.c's send makes them the
 * receiver's. */
static struct siginfo_k kill_info(struct proc *p, int sig, int code)
{
    return (struct siginfo_k){
        sig, 0, code, 0, {.kill = {pidns_vnr(p, proc_group(p)), (int32_t)userns_uid_from(p->cred.userns, p->cred.uid)}}};
}

/* Linux's kill_ok_by_cred: CAP_KILL in the target's user namespace, or a real or effective uid of
 * the sender's that is the target's real or saved one; SIGCONT within the
 * session; then Landlock's signal scope (security_task_kill). */
static bool may_signal(const struct proc *s, const struct proc *t, int sig)
{
    const struct cred *a = &s->cred, *b = &t->cred;
    bool ok = cred_ns_capable(a, b->userns, CAP_KILL) || a->euid == b->uid || a->euid == b->suid || a->uid == b->uid ||
              a->uid == b->suid || (sig == SIGCONT && s->sid == t->sid);
    return ok && landlock_signal(s, t) == 0; /* and Landlock's scope, after the ids, as Linux's */
}

/* A process that ended and was not waited for yet may be signalled, to
 * no effect (0), as on Linux; a thread that ended is gone (ESRCH). */
static bool gone(const struct proc *t) { return !t || (t->zombie && t->leader); }

static int64_t kill_one(struct proc *p, int sig)
{
    if (gone(p))
        return -LINUX_ESRCH;
    if (sender && !may_signal(sender, p, sig))
        return -LINUX_EPERM;
    if (p->zombie)
        return 0;
    struct siginfo_k si = sender ? kill_info(sender, sig, SI_USER) : (struct siginfo_k){sig, 0, SI_USER, 0, {.kill = {0, 0}}};
    if (sig)
        signal_send(p, sig, &si);
    return 0;
}

static int64_t tkill_one(struct sys_ctx *c, struct proc *t, int sig)
{
    if (sig < 0 || sig > LINUX_NSIG)
        return -LINUX_EINVAL;
    if (gone(t))
        return -LINUX_ESRCH;
    if (!may_signal(c->p, t, sig))
        return -LINUX_EPERM;
    if (t->zombie)
        return 0;
    struct siginfo_k si = kill_info(c->p, sig, SI_TKILL);
    if (sig)
        signal_send_thread(t, sig, &si);
    return 0;
}

/* A process group: each member the sender may signal gets sig; ESRCH if
 * the group is empty, EPERM if the sender may signal none of it. */
static int64_t kill_group(struct proc *sender_p, int pgid, int sig, const struct siginfo_k *si)
{
    int found = 0, allowed = 0;
    for (struct proc *p = proc_list(), *next; p; p = next) {
        next = p->next;
        if (p->leader || p->pgid != pgid)
            continue;
        found++; /* one that ended, not yet waited for, too */
        if (may_signal(sender_p, p, sig) && ++allowed && sig && !p->zombie)
            signal_send(p, sig, si);
    }
    return !found ? -LINUX_ESRCH : allowed ? 0 : -LINUX_EPERM;
}

static int64_t sys_kill(struct sys_ctx *c, int pid, int sig)
{
    int found = 0;
    sender = c->p;
    if (sig < 0 || sig > LINUX_NSIG)
        return -LINUX_EINVAL;
    if (pid > 0) { /* a thread's id names its whole process */
        struct proc *t = pidns_find(c->p, pid);
        return kill_one(gone(t) ? NULL : proc_group(t), sig);
    }
    if (pid != -1) { /* a process group */
        struct siginfo_k si = kill_info(c->p, sig, SI_USER);
        return kill_group(c->p, pid == 0 ? c->p->pgid : pidns_global(c->p, -pid), sig, &si);
    }
    /* -1: every process of the caller's pid namespace (and below) but its
     * init and the caller's own, one not yet waited for included; as
     * Linux's kill_something_info, each counts, a refusal (EPERM) is no
     * error, and ESRCH is for finding none at all */
    int64_t ret = 0;
    for (struct proc *p = proc_list(), *n; p; p = n) {
        n = p->next;
        if (p->leader || pidns_vnr(c->p, p) <= 1 || p == proc_group(c->p))
            continue;
        found++;
        int64_t r = kill_one(p, sig);
        if (r != -LINUX_EPERM)
            ret = r;
    }
    return found ? ret : -LINUX_ESRCH;
}

static int64_t sys_tgkill(struct sys_ctx *c, int tgid, int tid, int sig)
{
    if (tgid <= 0 || tid <= 0)
        return -LINUX_EINVAL; /* before the signal, as Linux */
    struct proc *t = pidns_find(c->p, tid);
    return tkill_one(c, t && pidns_vnr(c->p, proc_group(t)) == tgid ? t : NULL, sig);
}

static int64_t sys_tkill(struct sys_ctx *c, int tid, int sig)
{
    return tid <= 0 ? -LINUX_EINVAL : tkill_one(c, pidns_find(c->p, tid), sig);
}

/* sigqueue's: a signal with the caller's siginfo (its value), to the
 * process pid (to_thread: to the thread pid of process tgid), in Linux's
 * order: the siginfo copied (EFAULT), the ids (rt_tgsigqueueinfo's
 * EINVAL), a siginfo that claims to come from kill or the kernel
 * (si_code >= 0, or SI_TKILL) sent by any thread but pid itself (EPERM),
 * the target (ESRCH), then the signal (EINVAL) and the permission. */
static int64_t queue_info(struct sys_ctx *c, int tgid, int pid, int sig, uint64_t uinfo, bool to_thread)
{
    struct siginfo_k si;
    if (mem_in(c->p, &si, uinfo, sizeof si) < 0)
        return -LINUX_EFAULT;
    if (to_thread && (tgid <= 0 || pid <= 0))
        return -LINUX_EINVAL;
    if ((si.code >= 0 || si.code == SI_TKILL) && pid != pidns_vnr(c->p, c->p))
        return -LINUX_EPERM;
    struct proc *t = pidns_find(c->p, pid);
    t = t && pidns_vnr(c->p, proc_group(t)) == (to_thread ? tgid : pid) ? t : NULL;
    if (gone(t))
        return -LINUX_ESRCH;
    if (sig < 0 || sig > LINUX_NSIG)
        return -LINUX_EINVAL;
    if (!may_signal(c->p, t, sig))
        return -LINUX_EPERM;
    if (t->zombie)
        return 0;
    si.signo = sig;
    return sig ? (to_thread ? signal_send_thread : signal_send)(t, sig, &si) : 0;
}

static int64_t sys_rt_sigqueueinfo(struct sys_ctx *c, int tgid, int sig, uint64_t uinfo)
{
    return queue_info(c, tgid, tgid, sig, uinfo, false);
}

static int64_t sys_rt_tgsigqueueinfo(struct sys_ctx *c, int tgid, int tid, int sig, uint64_t uinfo)
{
    return queue_info(c, tgid, tid, sig, uinfo, true);
}

/* pidfd_send_signal: kill of the process a pidfd names, as Linux 6.1's:
 * no flags (6.9's PIDFD_SIGNAL_* are EINVAL); a siginfo is checked as
 * rt_sigqueueinfo's.  One that ended and was not waited for yet takes the
 * signal, and nothing comes of it. */
static int64_t sys_pidfd_send_signal(struct sys_ctx *c, uint64_t pidfd, int sig, uint64_t uinfo, uint32_t flags)
{
    struct file *f = fd_file(c->p, pidfd);
    struct proc *t;
    if (flags)
        return -LINUX_EINVAL; /* Linux 6.1 has no flags (6.9's PIDFD_SIGNAL_* are not taken) */
    int r = f ? pidfd_target(f, &t) : -LINUX_EBADF;
    if (r == -LINUX_EBADF && f && f->kind == FILE_INODE && f->pidfd.pid && (f->inode->mode & S_IFMT) == S_IFDIR) {
        t = proc_by_pid(f->pidfd.pid); /* a /proc/PID directory, as Linux's tgid_pidfd_to_pid takes it */
        r = t && t->start_ns == f->pidfd.start_ns ? 0 : -LINUX_ESRCH;
    }
    if (r < 0)
        return r;
    struct siginfo_k si = kill_info(c->p, sig, SI_USER);
    if (uinfo) {
        if (mem_in(c->p, &si, uinfo, sizeof si) < 0)
            return -LINUX_EFAULT;
        if (si.signo != sig)
            return -LINUX_EINVAL;
        if (proc_group(t) != proc_group(c->p) && (si.code >= 0 || si.code == SI_TKILL))
            return -LINUX_EPERM; /* only the caller may be told a signal came from kill or the kernel */
    }
    if (sig < 0 || sig > LINUX_NSIG)
        return -LINUX_EINVAL;
    if (!may_signal(c->p, t, sig))
        return -LINUX_EPERM;
    if (sig && !proc_group(t)->zombie)
        signal_send(t, sig, &si);
    return 0;
}
