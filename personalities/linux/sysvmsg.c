/*
 * personalities/linux/sysvmsg.c - System V message queues: msgget,
 * msgsnd, msgrcv, msgctl.  A queue is a list of messages (a type and up
 * to msgmax bytes each) and Linux's limits: msgmnb bytes a queue (its
 * msg_qbytes, which also bounds the number of messages), msgmni queues.
 * msgrcv takes the first message (type 0), the first of a type (> 0, or
 * any other with MSG_EXCEPT), or the first of the lowest type up to -type
 * (< 0); MSG_COPY copies the n-th.  A sender finding no room and a
 * receiver finding nothing wait (WAIT_SYSV) unless IPC_NOWAIT, and are
 * retried oldest first whenever the queue changes; a removed queue ends
 * them with EIDRM, a signal with EINTR.
 *
 * Entry points: the calls; msg_proc_text (sysvipc.h).  Layer: above
 * proc.h.  Book: docs/linux.md, "Inter-process communication".
 */
#include "sysctl.h"
#include "sysvipc.h"
#include "proc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/sysvmsg.h" /* generated: the handlers' prototypes, entries */

struct msg {
    struct msg *next;
    int64_t type;
    size_t len;
    char text[];
};

struct msq {
    struct ipc_obj o;
    struct msg *head;
    uint64_t cbytes, qnum, qbytes;
    int64_t stime, rtime;
    int lspid, lrpid;
};

#define msg_ids (ipc_cur->msg_ids) /* the caller's namespace's */
static uint64_t msg_total, msg_bytes; /* every queue's messages and bytes, for MSG_INFO */

/* A waiting sender (its message copied in already, as Linux's) or receiver. */
enum { MSG_WAIT_SEND = 1, MSG_WAIT_RECV }; /* semop's is 0 */
struct msg_waiter {
    struct ipc_waiter w;
    uint64_t ubuf, size;
    int64_t type;
    int flg, pid;
    struct msg *m; /* a sender's */
};

static struct msq *msq_of(struct ipc_obj *o) { return (struct msq *)o; }

static int64_t msq_new(struct sys_ctx *c, int32_t key, int flg, int64_t arg)
{
    (void)arg;
    struct msq *q = calloc(1, sizeof *q);
    if (!q)
        return -LINUX_ENOMEM;
    q->qbytes = (uint64_t)sysctl_msgmnb;
    int id = ipc_add(c, &msg_ids, &q->o, key, flg);
    if (id < 0)
        free(q);
    return id;
}

static int64_t sys_msgget(struct sys_ctx *c, int32_t key, int msgflg)
{
    return ipc_get(c, &msg_ids, key, msgflg, 0, msq_new, NULL);
}

static bool fits(const struct msq *q, size_t len) { return len + q->cbytes <= q->qbytes && q->qnum + 1 <= q->qbytes; }

static void enqueue(struct msq *q, struct msg *m, int pid)
{
    struct msg **pm = &q->head;
    while (*pm)
        pm = &(*pm)->next;
    m->next = NULL;
    *pm = m;
    q->cbytes += m->len, q->qnum++, msg_total++, msg_bytes += m->len;
    q->lspid = pid;
    q->stime = ipc_now();
}

/* The message msgrcv with (type, flg) takes, and the link that points at
 * it; NULL when none. */
static struct msg **find(struct msq *q, int64_t type, int flg)
{
    struct msg **best = NULL;
    int64_t n = 0;
    for (struct msg **pm = &q->head; *pm; pm = &(*pm)->next, n++) {
        int64_t t = (*pm)->type;
        if (flg & MSG_COPY) {
            if (n == type)
                return pm;
        } else if (type == 0 || (type > 0 && ((flg & MSG_EXCEPT) ? t != type : t == type))) {
            return pm;
        } else if (type < 0 && t <= (type == INT64_MIN ? INT64_MAX : -type) && (!best || t < (*best)->type)) {
            best = pm;
        }
    }
    return best;
}

/* A receive now: its result, or IPC_BLOCKED when it must wait. */
static int64_t try_recv(struct msq *q, struct proc *p, uint64_t ubuf, uint64_t size, int64_t type, int flg)
{
    struct msg **pm = find(q, type, flg);
    if (!pm)
        return flg & IPC_NOWAIT ? -LINUX_ENOMSG : IPC_BLOCKED;
    struct msg *m = *pm;
    if (size < m->len && !(flg & MSG_NOERROR))
        return -LINUX_E2BIG;
    size_t n = size < m->len ? size : m->len;
    if (!(flg & MSG_COPY)) {
        *pm = m->next;
        q->cbytes -= m->len, q->qnum--, msg_total--, msg_bytes -= m->len;
        q->lrpid = proc_tgid(p);
        q->rtime = ipc_now();
    }
    int64_t r = mem_out(p, ubuf, &m->type, sizeof m->type) < 0 || mem_out(p, ubuf + 8, m->text, n) < 0
                    ? -LINUX_EFAULT /* the message is gone all the same, as on Linux */
                    : (int64_t)n;
    if (!(flg & MSG_COPY))
        free(m);
    return r;
}

/* A waiter on q, again: a sender's message goes in if there is room now. */
static int64_t msg_attempt(void *obj, struct proc *p, struct ipc_waiter *iw)
{
    struct msq *q = obj;
    struct msg_waiter *w = (struct msg_waiter *)iw;
    if (w->w.what == MSG_WAIT_RECV)
        return try_recv(q, p, w->ubuf, w->size, w->type, w->flg);
    struct msg *m = fits(q, w->m->len) ? malloc(sizeof *m + w->m->len) : NULL;
    if (!m)
        return IPC_BLOCKED;
    memcpy(m, w->m, sizeof *m + w->m->len); /* out of the record, which goes with the wait */
    enqueue(q, m, w->pid);
    return 0;
}

static void msq_retry(struct msq *q) { ipc_retry(q, msg_attempt); }

static int64_t sys_msgsnd(struct sys_ctx *c, int msqid, uint64_t msgp, uint64_t msgsz, int msgflg)
{
    int64_t type;
    if (mem_in(c->p, &type, msgp, sizeof type) < 0)
        return -LINUX_EFAULT;
    if (msgsz > (uint64_t)sysctl_msgmax || msqid < 0 || type < 1)
        return -LINUX_EINVAL;
    struct msg *m = malloc(sizeof *m + msgsz);
    if (!m)
        return -LINUX_ENOMEM;
    m->type = type, m->len = msgsz;
    int64_t r = mem_in(c->p, m->text, msgp + 8, msgsz) < 0 ? -LINUX_EFAULT : 0;
    struct ipc_obj *o = r ? NULL : ipc_find(&msg_ids, msqid);
    r = r ? r : !o ? -LINUX_EINVAL : ipc_denied(c, o, 0222) ? -LINUX_EACCES : 0;
    if (r == 0 && fits(msq_of(o), msgsz)) {
        enqueue(msq_of(o), m, proc_tgid(c->p));
        msq_retry(msq_of(o));
        return 0;
    }
    if (r == 0 && (msgflg & IPC_NOWAIT))
        r = -LINUX_EAGAIN;
    /* A sender's record carries its message: the record is freed with the wait. */
    struct msg_waiter *rec = r ? NULL : malloc(sizeof *rec + sizeof *m + msgsz);
    if (!rec) {
        free(m);
        return r ? r : -LINUX_ENOMEM;
    }
    *rec = (struct msg_waiter){.w = {.obj = o, .what = MSG_WAIT_SEND}, .flg = msgflg, .pid = proc_tgid(c->p)};
    rec->m = (struct msg *)(rec + 1);
    memcpy(rec->m, m, sizeof *m + msgsz);
    free(m);
    ipc_wait(c, &rec->w, 0, WAIT_SYSV);
    return 0;
}

static int64_t sys_msgrcv(struct sys_ctx *c, int msqid, uint64_t msgp, uint64_t msgsz, int64_t msgtyp, int msgflg)
{
    if (msqid < 0 || (int64_t)msgsz < 0)
        return -LINUX_EINVAL;
    if ((msgflg & MSG_COPY) && ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT)))
        return -LINUX_EINVAL;
    if (msgflg & MSG_COPY)
        msgsz = msgsz < (uint64_t)sysctl_msgmax ? msgsz : (uint64_t)sysctl_msgmax;
    struct ipc_obj *o = ipc_find(&msg_ids, msqid);
    if (!o)
        return -LINUX_EINVAL;
    if (ipc_denied(c, o, 0444))
        return -LINUX_EACCES;
    int64_t r = try_recv(msq_of(o), c->p, msgp, msgsz, msgtyp, msgflg);
    if (r != IPC_BLOCKED) {
        if (r >= 0 && !(msgflg & MSG_COPY))
            msq_retry(msq_of(o)); /* room for a waiting sender */
        return r;
    }
    struct msg_waiter *w = malloc(sizeof *w);
    if (!w)
        return -LINUX_ENOMEM;
    *w = (struct msg_waiter){.w = {.obj = o, .what = MSG_WAIT_RECV}, .ubuf = msgp, .size = msgsz, .type = msgtyp,
                             .flg = msgflg};
    ipc_wait(c, &w->w, 0, WAIT_SYSV);
    return 0;
}

static void msq_destroy(struct msq *q)
{
    ipc_remove(&msg_ids, &q->o);
    ipc_wake_all(q, -LINUX_EIDRM);
    for (struct msg *m = q->head, *n; m; m = n) {
        n = m->next;
        msg_total--, msg_bytes -= m->len;
        free(m);
    }
    free(q);
}

void msg_ns_free(void)
{
    for (int i = 0; i < msg_ids.cap; i++)
        if (msg_ids.slot[i])
            msq_destroy(msq_of(msg_ids.slot[i]));
}

static int64_t msg_info(struct sys_ctx *c, int cmd, uint64_t buf)
{
    struct msginfo_k in = {.msgpool = MSGMNI * MSGMNB / 1024, .msgmap = MSGMNB, .msgmax = sysctl_msgmax, .msgmnb = sysctl_msgmnb,
                           .msgmni = sysctl_msgmni, .msgssz = MSGSSZ, .msgtql = MSGMNB, .msgseg = 0xffff};
    if (cmd == MSG_INFO)
        in.msgpool = msg_ids.in_use, in.msgmap = (int32_t)msg_total, in.msgtql = (int32_t)msg_bytes;
    if (mem_out(c->p, buf, &in, sizeof in) < 0)
        return -LINUX_EFAULT;
    int max = ipc_max_index(&msg_ids);
    return max < 0 ? 0 : max;
}

static int64_t sys_msgctl(struct sys_ctx *c, int msqid, int cmd, uint64_t buf)
{
    if (msqid < 0 || cmd < 0)
        return -LINUX_EINVAL;
    struct msqid64_ds_k ds;
    struct ipc_obj *o;
    switch (cmd) {
    case IPC_INFO:
    case MSG_INFO: return msg_info(c, cmd, buf);
    case IPC_STAT:
    case MSG_STAT:
    case MSG_STAT_ANY: {
        o = cmd == IPC_STAT ? ipc_find(&msg_ids, msqid) : ipc_at(&msg_ids, msqid);
        if (!o)
            return -LINUX_EINVAL;
        if (cmd != MSG_STAT_ANY && ipc_denied(c, o, 0444))
            return -LINUX_EACCES;
        struct msq *q = msq_of(o);
        ds = (struct msqid64_ds_k){.stime = q->stime, .rtime = q->rtime, .ctime = o->ctime, .cbytes = q->cbytes,
                                   .qnum = q->qnum, .qbytes = q->qbytes, .lspid = q->lspid, .lrpid = q->lrpid};
        ipc_perm_out(o, &ds.perm);
        if (mem_out(c->p, buf, &ds, sizeof ds) < 0)
            return -LINUX_EFAULT;
        return cmd == IPC_STAT ? 0 : o->id;
    }
    case IPC_SET:
    case IPC_RMID:
        if (cmd == IPC_SET && mem_in(c->p, &ds, buf, sizeof ds) < 0)
            return -LINUX_EFAULT;
        if (!(o = ipc_find(&msg_ids, msqid)))
            return -LINUX_EINVAL;
        if (ipc_may_change(c, o) < 0)
            return -LINUX_EPERM;
        if (cmd == IPC_RMID) {
            msq_destroy(msq_of(o));
            return 0;
        }
        if (ds.qbytes > (uint64_t)sysctl_msgmnb && !cred_capable(&c->p->cred, CAP_SYS_RESOURCE))
            return -LINUX_EPERM;
        ipc_perm_set(o, &ds.perm);
        msq_of(o)->qbytes = ds.qbytes;
        msq_retry(msq_of(o)); /* more room, maybe; or permissions a waiter no longer has: Linux wakes them too */
        return 0;
    default: return -LINUX_EINVAL;
    }
}

size_t msg_proc_text(char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size,
                                "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  "
                                "cgid      stime      rtime      ctime\n");
    for (int i = 0; i < msg_ids.cap && n < size; i++) {
        struct msq *q = msg_ids.slot[i] ? msq_of(msg_ids.slot[i]) : NULL;
        if (q)
            n += (size_t)snprintf(buf + n, size - n, "%10d %10d  %4o  %10lu %10lu %5d %5d %5u %5u %5u %5u %10ld %10ld %10ld\n",
                                  q->o.key, q->o.id, q->o.mode, (unsigned long)q->cbytes, (unsigned long)q->qnum,
                                  q->lspid, q->lrpid, q->o.uid, q->o.gid, q->o.cuid, q->o.cgid, (long)q->stime,
                                  (long)q->rtime, (long)q->o.ctime);
    }
    return n < size ? n : size - 1;
}
