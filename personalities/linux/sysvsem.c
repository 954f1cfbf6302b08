/*
 * personalities/linux/sysvsem.c - System V semaphores: semget, semop,
 * semtimedop, semctl.  A set is an array of counters (0 to SEMVMX) with
 * each one's last pid; semop applies all its operations or none, as
 * Linux's perform_atomic_semop: an operation that would take a counter
 * below zero, or wait for zero on a counter that is not, makes the whole
 * call wait (WAIT_SYSV; retried oldest first whenever a counter of the
 * set changes) or fail with EAGAIN under IPC_NOWAIT or at semtimedop's
 * deadline; a removed set ends the wait with EIDRM, a signal with EINTR.
 * SEM_UNDO keeps, per process and set, the sum of the changes to undo
 * when the process ends (sem_exit); SETVAL and SETALL clear it.
 *
 * Entry points: the calls; sem_exit and sem_proc_text (sysvipc.h).
 * Layer: above proc.h.  Book: docs/linux.md, "Inter-process
 * communication".
 */
#include "sysctl.h"
#include "sysvipc.h"
#include "proc.h"
#include "time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/sysvsem.h" /* generated: the handlers' prototypes, entries */

struct sem {
    int val, pid;
};

struct semset {
    struct ipc_obj o;
    int nsems;
    int64_t otime;
    struct sem sems[];
};

/* A process's adjustments for one set (Linux's struct sem_undo). */
struct sem_undo {
    struct sem_undo *next;
    int tgid;
    struct semset *set;
    int16_t adj[];
};

#define sem_ids (ipc_cur->sem_ids) /* the caller's namespace's */
#define used_sems (ipc_cur->used_sems)
static struct sem_undo *undos;

/* A semop waiting: its operations, and which one blocked it (for GETNCNT
 * and GETZCNT). */
struct sem_waiter {
    struct ipc_waiter w;
    int nsops, blocking, tgid;
    bool undo;
    struct sembuf_k sops[];
};

static struct semset *set_of(struct ipc_obj *o) { return (struct semset *)o; }

static int64_t set_new(struct sys_ctx *c, int32_t key, int flg, int64_t nsems)
{
    if (!nsems)
        return -LINUX_EINVAL;
    if (used_sems + nsems > sysctl_sem[1])
        return -LINUX_ENOSPC;
    struct semset *s = calloc(1, sizeof *s + (size_t)nsems * sizeof s->sems[0]);
    if (!s)
        return -LINUX_ENOMEM;
    s->nsems = (int)nsems;
    int id = ipc_add(c, &sem_ids, &s->o, key, flg);
    if (id < 0)
        free(s);
    else
        used_sems += nsems;
    return id;
}

static int set_check(struct ipc_obj *o, int64_t nsems) { return nsems > set_of(o)->nsems ? -LINUX_EINVAL : 0; }

static int64_t sys_semget(struct sys_ctx *c, int32_t key, int nsems, int semflg)
{
    if (nsems < 0 || nsems > sysctl_sem[0])
        return -LINUX_EINVAL;
    return ipc_get(c, &sem_ids, key, semflg, nsems, set_new, set_check);
}

bool sem_has_undo(int tgid)
{
    for (struct sem_undo *u = undos; u; u = u->next)
        if (u->tgid == tgid)
            return true;
    return false;
}

static struct sem_undo *undo_of(int tgid, struct semset *s, bool make)
{
    for (struct sem_undo *u = undos; u; u = u->next)
        if (u->tgid == tgid && u->set == s)
            return u;
    struct sem_undo *u = make ? calloc(1, sizeof *u + (size_t)s->nsems * sizeof u->adj[0]) : NULL;
    if (u)
        *u = (struct sem_undo){.next = undos, .tgid = tgid, .set = s}, undos = u;
    return u;
}

/* The operations all at once: 0 done, IPC_BLOCKED (*blocking the one),
 * or -errno.  Nothing changes unless all can be done. */
static int64_t perform(struct semset *s, const struct sembuf_k *sops, int nsops, struct sem_undo *u, int tgid,
                   int *blocking)
{
    int vals[SEMOPM];
    for (int i = 0; i < nsops; i++)
        vals[i] = 0;
    for (int i = 0; i < nsops; i++) {
        /* a counter's value as the operations before this one left it */
        int v = s->sems[sops[i].num].val;
        for (int j = 0; j < i; j++)
            if (sops[j].num == sops[i].num)
                v += sops[j].op;
        if (!sops[i].op && v) {
            *blocking = i;
            return sops[i].flg & IPC_NOWAIT ? -LINUX_EAGAIN : IPC_BLOCKED;
        }
        int r = v + sops[i].op;
        if (r < 0) {
            *blocking = i;
            return sops[i].flg & IPC_NOWAIT ? -LINUX_EAGAIN : IPC_BLOCKED;
        }
        if (r > SEMVMX)
            return -LINUX_ERANGE;
        if (sops[i].flg & SEM_UNDO) {
            int adj = (u ? u->adj[sops[i].num] : 0) - sops[i].op;
            for (int j = 0; j < i; j++)
                if (sops[j].num == sops[i].num && (sops[j].flg & SEM_UNDO))
                    adj -= sops[j].op;
            if (adj < -SEMVMX - 1 || adj > SEMVMX)
                return -LINUX_ERANGE;
        }
        vals[i] = r;
    }
    for (int i = 0; i < nsops; i++) {
        struct sem *m = &s->sems[sops[i].num];
        /* vals[i] is the value after every operation on it up to i: the last one's stays */
        m->val = vals[i];
        m->pid = tgid;
        if ((sops[i].flg & SEM_UNDO) && u)
            u->adj[sops[i].num] = (int16_t)(u->adj[sops[i].num] - sops[i].op);
    }
    s->otime = ipc_now();
    return 0;
}

/* A waiter on s, again. */
static int64_t sem_attempt(void *obj, struct proc *p, struct ipc_waiter *iw)
{
    (void)p;
    struct semset *s = obj;
    struct sem_waiter *w = (struct sem_waiter *)iw;
    struct sem_undo *u = w->undo ? undo_of(w->tgid, s, true) : NULL;
    return w->undo && !u ? -LINUX_ENOMEM : perform(s, w->sops, w->nsops, u, w->tgid, &w->blocking);
}

static void set_retry(struct semset *s) { ipc_retry(s, sem_attempt); }

static int64_t do_semop(struct sys_ctx *c, int semid, uint64_t usops, uint64_t nsops, uint64_t utimeout)
{
    if (nsops < 1 || semid < 0)
        return -LINUX_EINVAL;
    if (nsops > (uint64_t)sysctl_sem[2] || nsops > SEMOPM) /* vals[SEMOPM]: past 500 not taken */
        return -LINUX_E2BIG;
    struct sem_waiter *w = malloc(sizeof *w + nsops * sizeof w->sops[0]);
    if (!w)
        return -LINUX_ENOMEM;
    int64_t r = mem_in(c->p, w->sops, usops, nsops * sizeof w->sops[0]) < 0 ? -LINUX_EFAULT : 0;
    int64_t ts[2] = {0, 0};
    uint64_t deadline = 0;
    if (!r && utimeout) {
        if (mem_in(c->p, ts, utimeout, sizeof ts) < 0)
            r = -LINUX_EFAULT;
        else if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
            r = -LINUX_EINVAL;
        else if (ts[0] < 10000000000) /* past three centuries: no deadline, rather than one that wraps */
            deadline = clock_after(timespec_ns(ts));
    }
    int max = 0;
    bool undo = false, alter = false;
    for (uint64_t i = 0; i < nsops && !r; i++) {
        max = w->sops[i].num > max ? w->sops[i].num : max;
        undo |= (w->sops[i].flg & SEM_UNDO) != 0;
        alter |= w->sops[i].op != 0;
    }
    struct ipc_obj *o = r ? NULL : ipc_find(&sem_ids, semid);
    r = r ? r : !o ? -LINUX_EINVAL : max >= set_of(o)->nsems ? -LINUX_EFBIG
              : ipc_denied(c, o, alter ? 0222 : 0444) ? -LINUX_EACCES : 0;
    struct sem_undo *u = !r && undo ? undo_of(proc_tgid(c->p), set_of(o), true) : NULL;
    if (!r && undo && !u)
        r = -LINUX_ENOMEM;
    if (!r)
        r = perform(set_of(o), w->sops, (int)nsops, u, proc_tgid(c->p), &w->blocking);
    if (r == IPC_BLOCKED && utimeout && !ts[0] && !ts[1])
        r = -LINUX_EAGAIN; /* a zero timeout: no wait at all */
    if (r != IPC_BLOCKED) {
        free(w);
        if (r == 0 && alter)
            set_retry(set_of(o));
        return r;
    }
    w->w = (struct ipc_waiter){.obj = o};
    w->nsops = (int)nsops, w->undo = undo, w->tgid = proc_tgid(c->p);
    ipc_wait(c, &w->w, deadline, WAIT_SYSV);
    return 0;
}

static int64_t sys_semop(struct sys_ctx *c, int semid, uint64_t sops, uint64_t nsops)
{
    return do_semop(c, semid, sops, nsops, 0);
}

static int64_t sys_semtimedop(struct sys_ctx *c, int semid, uint64_t sops, uint64_t nsops, uint64_t timeout)
{
    return do_semop(c, semid, sops, nsops, timeout);
}

static void set_destroy(struct semset *s)
{
    ipc_remove(&sem_ids, &s->o);
    ipc_wake_all(s, -LINUX_EIDRM);
    for (struct sem_undo **pu = &undos, *u; (u = *pu);) {
        if (u->set == s) {
            *pu = u->next;
            free(u);
        } else {
            pu = &u->next;
        }
    }
    used_sems -= s->nsems;
    free(s);
}

void sem_unshare(struct proc *p)
{
    if (proc_live_threads(proc_group(p)) <= 1) /* else its threads keep the list (Linux drops one reference) */
        sem_exit(p);
}

void sem_ns_free(void)
{
    for (int i = 0; i < sem_ids.cap; i++)
        if (sem_ids.slot[i])
            set_destroy(set_of(sem_ids.slot[i]));
}

void sem_exit(struct proc *p)
{
    int tgid = proc_tgid(p);
    for (struct sem_undo **pu = &undos, *u; (u = *pu);) {
        if (u->tgid != tgid) {
            pu = &u->next;
            continue;
        }
        *pu = u->next;
        struct semset *s = u->set;
        bool changed = false;
        for (int i = 0; i < s->nsems; i++)
            if (u->adj[i]) {
                int v = s->sems[i].val + u->adj[i];
                s->sems[i].val = v < 0 ? 0 : v > SEMVMX ? SEMVMX : v; /* clamped, as Linux's exit_sem */
                s->sems[i].pid = tgid;
                changed = true;
            }
        free(u);
        if (changed)
            set_retry(s);
    }
}

/* The waiters whose blocking operation waits on semaphore num to grow
 * (zero false) or to be zero (Linux's count_semcnt). */
static int waiters_on(struct semset *s, int num, bool zero)
{
    int n = 0;
    for (struct proc *p = proc_list(); p; p = p->next) {
        struct sem_waiter *w = (struct sem_waiter *)ipc_waiting(p);
        if (w && w->w.obj == s) {
            const struct sembuf_k *b = &w->sops[w->blocking];
            n += b->num == num && (zero ? b->op == 0 : b->op < 0);
        }
    }
    return n;
}

static void clear_undos(struct semset *s, int num)
{
    for (struct sem_undo *u = undos; u; u = u->next)
        if (u->set == s) {
            if (num < 0)
                memset(u->adj, 0, (size_t)s->nsems * sizeof u->adj[0]);
            else
                u->adj[num] = 0;
        }
}

static int64_t sem_info(struct sys_ctx *c, int cmd, uint64_t arg)
{
    struct seminfo_k in = {.semmap = SEMMNS, .semmni = sysctl_sem[3], .semmns = sysctl_sem[1], .semmnu = SEMMNS, .semmsl = sysctl_sem[0],
                           .semopm = sysctl_sem[2], .semume = SEMOPM, .semusz = SEMUSZ, .semvmx = SEMVMX, .semaem = SEMVMX};
    if (cmd == SEM_INFO)
        in.semusz = sem_ids.in_use, in.semaem = (int32_t)used_sems;
    if (mem_out(c->p, arg, &in, sizeof in) < 0)
        return -LINUX_EFAULT;
    int max = ipc_max_index(&sem_ids);
    return max < 0 ? 0 : max;
}

/* GETALL and SETALL: every counter, as unsigned shorts. */
static int64_t sem_all(struct sys_ctx *c, struct semset *s, int cmd, uint64_t arg)
{
    size_t bytes = (size_t)s->nsems * sizeof(uint16_t);
    uint16_t *v = malloc(bytes);
    int64_t r = 0;
    if (!v)
        return -LINUX_ENOMEM;
    if (cmd == GETALL) {
        for (int i = 0; i < s->nsems; i++)
            v[i] = (uint16_t)s->sems[i].val;
        r = mem_out(c->p, arg, v, bytes) < 0 ? -LINUX_EFAULT : 0;
    } else if (mem_in(c->p, v, arg, bytes) < 0) {
        r = -LINUX_EFAULT;
    }
    for (int i = 0; cmd == SETALL && !r && i < s->nsems; i++)
        if (v[i] > SEMVMX)
            r = -LINUX_ERANGE;
    if (cmd == SETALL && !r) {
        clear_undos(s, -1);
        for (int i = 0; i < s->nsems; i++)
            s->sems[i] = (struct sem){v[i], proc_tgid(c->p)};
        s->o.ctime = ipc_now();
        set_retry(s);
    }
    free(v);
    return r;
}

static int64_t sys_semctl(struct sys_ctx *c, int semid, int semnum, int cmd, uint64_t arg)
{
    if (semid < 0)
        return -LINUX_EINVAL;
    struct semid64_ds_k ds;
    struct ipc_obj *o;
    struct semset *s;
    switch (cmd) {
    case IPC_INFO:
    case SEM_INFO: return sem_info(c, cmd, arg);
    case IPC_STAT:
    case SEM_STAT:
    case SEM_STAT_ANY:
        o = cmd == IPC_STAT ? ipc_find(&sem_ids, semid) : ipc_at(&sem_ids, semid);
        if (!o)
            return -LINUX_EINVAL;
        if (cmd != SEM_STAT_ANY && ipc_denied(c, o, 0444))
            return -LINUX_EACCES;
        ds = (struct semid64_ds_k){.otime = set_of(o)->otime, .ctime = o->ctime, .nsems = (uint64_t)set_of(o)->nsems};
        ipc_perm_out(o, &ds.perm);
        if (mem_out(c->p, arg, &ds, sizeof ds) < 0)
            return -LINUX_EFAULT;
        return cmd == IPC_STAT ? 0 : o->id;
    case SETVAL:
        if ((int)arg < 0 || (int)arg > SEMVMX)
            return -LINUX_ERANGE;
        if (!(o = ipc_find(&sem_ids, semid)))
            return -LINUX_EINVAL;
        s = set_of(o);
        if (semnum < 0 || semnum >= s->nsems)
            return -LINUX_EINVAL;
        if (ipc_denied(c, o, 0222))
            return -LINUX_EACCES;
        clear_undos(s, semnum);
        s->sems[semnum] = (struct sem){(int)arg, proc_tgid(c->p)};
        o->ctime = ipc_now();
        set_retry(s);
        return 0;
    case GETALL:
    case SETALL:
    case GETVAL:
    case GETPID:
    case GETNCNT:
    case GETZCNT:
        if (!(o = ipc_find(&sem_ids, semid)))
            return -LINUX_EINVAL;
        s = set_of(o);
        if (ipc_denied(c, o, cmd == SETALL ? 0222 : 0444))
            return -LINUX_EACCES;
        if (cmd == GETALL || cmd == SETALL)
            return sem_all(c, s, cmd, arg);
        if (semnum < 0 || semnum >= s->nsems)
            return -LINUX_EINVAL;
        return cmd == GETVAL    ? s->sems[semnum].val
             : cmd == GETPID    ? s->sems[semnum].pid
             : cmd == GETNCNT ? waiters_on(s, semnum, false)
                                : waiters_on(s, semnum, true);
    case IPC_SET:
    case IPC_RMID:
        if (cmd == IPC_SET && mem_in(c->p, &ds, arg, sizeof ds) < 0)
            return -LINUX_EFAULT;
        if (!(o = ipc_find(&sem_ids, semid)))
            return -LINUX_EINVAL;
        if (ipc_may_change(c, o) < 0)
            return -LINUX_EPERM;
        if (cmd == IPC_SET)
            ipc_perm_set(o, &ds.perm);
        else
            set_destroy(set_of(o));
        return 0;
    default: return -LINUX_EINVAL;
    }
}

size_t sem_proc_text(char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size,
                                "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
    for (int i = 0; i < sem_ids.cap && n < size; i++) {
        struct semset *s = sem_ids.slot[i] ? set_of(sem_ids.slot[i]) : NULL;
        if (s)
            n += (size_t)snprintf(buf + n, size - n, "%10d %10d  %4o %10d %5u %5u %5u %5u %10ld %10ld\n", s->o.key,
                                  s->o.id, s->o.mode, s->nsems, s->o.uid, s->o.gid, s->o.cuid, s->o.cgid,
                                  (long)s->otime, (long)s->o.ctime);
    }
    return n < size ? n : size - 1;
}
