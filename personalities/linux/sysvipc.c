/*
 * personalities/linux/sysvipc.c - what System V shared memory, message
 * queues and semaphores share, as Linux's ipc/util.c: a table of ids per
 * kind (an id is a sequence number times IPC_MNI plus the index, taken
 * cyclically, or the id a kernel/{msg,sem,shm}_next_id asks for,
 * CONFIG_CHECKPOINT_RESTORE's), keys (IPC_PRIVATE, IPC_CREAT,
 * IPC_EXCL), the permission check against the caller's effective ids,
 * IPC_SET's and IPC_RMID's owner check, and the waits of msgsnd, msgrcv
 * and semop (WAIT_SYSV: a record per waiter, found in the process table
 * oldest first, retried at every change, ended with EIDRM when its object
 * goes), which the POSIX queues' calls share (WAIT_MQUEUE); and the IPC
 * namespaces' records (struct ipc_ns: the tables and settings), the
 * caller's in ipc_cur.
 *
 * Entry points: sysvipc.h.  Callers: sysvshm.c, sysvmsg.c, sysvsem.c,
 * mqueue.c;
 * exit (sysv_exit), proc_collect (sysv_collect), ns.c (ipc_ns_new,
 * ipc_ns_free).  Layer: above proc.h.
 * Book: docs/linux.md, "Inter-process communication".
 */
#include "sysvipc.h"
#include "proc.h"
#include "time.h"
#include <stdlib.h>
#include <string.h>

int64_t ipc_now(void) { return realtime_ns() / 1000000000; }

/* An IPC namespace's settings as Linux's defaults make them. */
#define IPC_DEFAULTS(n)                                                                                        \
    .msg_ids = {.limit = &(n).msgmni, .next_id = &(n).msg_next_id, .last_idx = -1},                          \
    .sem_ids = {.limit = &(n).sem[3], .next_id = &(n).sem_next_id, .last_idx = -1},                          \
    .shm_ids = {.limit = &(n).shmmni, .next_id = &(n).shm_next_id, .last_idx = -1}, .shmmax = SHMMAX,            \
    .shmall = SHMALL, .shmmni = SHMMNI, .msgmax = MSGMAX, .msgmnb = MSGMNB, .msgmni = MSGMNI,                 \
    .sem = {SEMMSL, SEMMNS, SEMOPM, SEMMNI}, .msg_next_id = -1, .sem_next_id = -1, .shm_next_id = -1,        \
    .mq_msg_default = 10, .mq_msg_max = 10, .mq_msgsize_default = 8192, .mq_msgsize_max = 8192,              \
    .mq_queues_max = 256

struct ipc_ns ipc_initial = {IPC_DEFAULTS(ipc_initial)}, *ipc_cur = &ipc_initial;

struct ipc_ns *ipc_ns_new(void)
{
    struct ipc_ns *n = malloc(sizeof *n);
    if (n)
        *n = (struct ipc_ns){IPC_DEFAULTS(*n)};
    return n;
}

void ipc_ns_free(struct ipc_ns *n)
{
    struct ipc_ns *was = ipc_cur;
    ipc_cur = n;
    msg_ns_free();
    sem_ns_free();
    shm_ns_free();
    mq_ns_free(n);
    free(n->msg_ids.slot), free(n->sem_ids.slot), free(n->shm_ids.slot);
    ipc_cur = was == n ? &ipc_initial : was;
    free(n);
}

struct ipc_obj *ipc_at(struct ipc_ids *ids, int index)
{
    index = index < 0 ? -1 : index % IPC_MNI; /* an id's index part, as Linux's ipcid_to_idx (the *_STAT calls) */
    return index >= 0 && index < ids->cap ? ids->slot[index] : NULL;
}

struct ipc_obj *ipc_find(struct ipc_ids *ids, int id)
{
    if (id < 0)
        return NULL;
    struct ipc_obj *o = ipc_at(ids, id % IPC_MNI);
    return o && o->seq == id / IPC_MNI ? o : NULL;
}

int ipc_max_index(const struct ipc_ids *ids)
{
    for (int i = ids->cap - 1; i >= 0; i--)
        if (ids->slot[i])
            return i;
    return -1;
}

int ipc_add(struct sys_ctx *c, struct ipc_ids *ids, struct ipc_obj *o, int32_t key, int flg)
{
    if (ids->in_use >= *ids->limit)
        return -LINUX_ENOSPC;
    int want = *ids->next_id, i = want < 0 ? 0 : want % IPC_MNI;
    *ids->next_id = -1;
    if (want < 0) { /* idr_alloc_cyclic from the cursor below max_idx, then from 0 */
        int max_idx = ids->in_use * 3 / 2 > IPC_MIN_CYCLE ? ids->in_use * 3 / 2 : IPC_MIN_CYCLE;
        max_idx = max_idx < IPC_MNI ? max_idx : IPC_MNI;
        for (i = ids->cursor; i < max_idx && i < ids->cap && ids->slot[i]; i++)
            ;
        if (i >= max_idx)
            for (i = 0; i < max_idx && i < ids->cap && ids->slot[i]; i++)
                ;
        if (i >= max_idx)
            return -LINUX_ENOSPC;
    }
    while (i < ids->cap && ids->slot[i])
        i++;
    if (i >= IPC_MNI)
        return -LINUX_ENOSPC; /* Linux's idr would go past IPC_MNI, ids no lookup finds */
    if (i >= ids->cap) {
        int cap = ids->cap ? 2 * ids->cap : 16;
        while (cap <= i)
            cap *= 2;
        struct ipc_obj **grown = realloc(ids->slot, (size_t)cap * sizeof *grown);
        if (!grown)
            return -LINUX_ENOMEM;
        memset(grown + ids->cap, 0, (size_t)(cap - ids->cap) * sizeof *grown);
        ids->slot = grown, ids->cap = cap;
    }
    const struct cred *cr = &c->p->cred;
    o->key = key;
    o->uid = o->cuid = cr->euid;
    o->gid = o->cgid = cr->egid;
    o->mode = (uint32_t)flg & 0777;
    if (want >= 0) {
        o->seq = (uint16_t)(want / IPC_MNI); /* the sequence left as it was */
    } else {
        if (i <= ids->last_idx && ++ids->seq >= IPC_SEQ_MAX)
            ids->seq = 0; /* the ids stay positive ints */
        o->seq = ids->seq;
        ids->last_idx = i, ids->cursor = i + 1;
    }
    o->id = o->seq * IPC_MNI + i;
    o->ctime = ipc_now();
    ids->slot[i] = o;
    ids->in_use++;
    return o->id;
}

void ipc_remove(struct ipc_ids *ids, struct ipc_obj *o)
{
    int i = o->id % IPC_MNI;
    if (i < ids->cap && ids->slot[i] == o) {
        ids->slot[i] = NULL;
        ids->in_use--;
    }
}

bool ipc_denied(struct sys_ctx *c, const struct ipc_obj *o, int flag)
{
    const struct cred *cr = &c->p->cred;
    int requested = (flag >> 6 | flag >> 3 | flag) & 7;
    uint32_t granted = o->mode;
    if (cr->euid == o->cuid || cr->euid == o->uid)
        granted >>= 6;
    else if (fs_in_group(o->cgid) || fs_in_group(o->gid))
        granted >>= 3;
    return (requested & ~granted & 7) && !cred_ns_capable(cr, ns_of(c->p, NS_IPC)->owner, CAP_IPC_OWNER);
}

int ipc_may_change(struct sys_ctx *c, const struct ipc_obj *o)
{
    const struct cred *cr = &c->p->cred;
    return cr->euid == o->cuid || cr->euid == o->uid || cred_ns_capable(cr, ns_of(c->p, NS_IPC)->owner, CAP_SYS_ADMIN)
               ? 0
               : -LINUX_EPERM;
}

void ipc_perm_out(const struct ipc_obj *o, struct ipc64_perm_k *out)
{
    *out = (struct ipc64_perm_k){.key = o->key, .uid = o->uid, .gid = o->gid, .cuid = o->cuid, .cgid = o->cgid,
                                 .mode = o->mode, .seq = o->seq};
}

void ipc_perm_set(struct ipc_obj *o, const struct ipc64_perm_k *in)
{
    o->uid = in->uid, o->gid = in->gid;
    o->mode = (o->mode & ~0777u) | (in->mode & 0777);
    o->ctime = ipc_now();
}

int64_t ipc_get(struct sys_ctx *c, struct ipc_ids *ids, int32_t key, int flg, int64_t arg, ipc_new_fn make,
                ipc_check_fn check)
{
    if (key == IPC_PRIVATE)
        return make(c, key, flg, arg);
    struct ipc_obj *o = NULL;
    for (int i = 0; i < ids->cap && !o; i++)
        if (ids->slot[i] && ids->slot[i]->key == key)
            o = ids->slot[i];
    if (!o)
        return flg & IPC_CREAT ? make(c, key, flg, arg) : -LINUX_ENOENT;
    if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
        return -LINUX_EEXIST;
    int r = check ? check(o, arg) : 0;
    if (r < 0)
        return r;
    return ipc_denied(c, o, flg) ? -LINUX_EACCES : o->id;
}

/* ---- waits ---- */

static uint64_t wait_order;

void ipc_wait(struct sys_ctx *c, struct ipc_waiter *w, uint64_t deadline, int kind)
{
    w->order = ++wait_order;
    c->p->wait = (struct proc_wait){.kind = kind, .token = c->token, .fds = (uint64_t)(uintptr_t)w,
                                    .deadline = deadline};
    c->deferred = true;
    if (deadline)
        wait_rearm_for(c->p);
}

struct ipc_waiter *ipc_waiting(struct proc *p)
{
    return !p->zombie && (p->wait.kind == WAIT_SYSV || p->wait.kind == WAIT_MQUEUE) ? (struct ipc_waiter *)(uintptr_t)p->wait.fds : NULL;
}

struct proc *ipc_waiter_after(void *obj, uint64_t after)
{
    struct proc *best = NULL;
    for (struct proc *p = proc_list(); p; p = p->next) {
        struct ipc_waiter *w = ipc_waiting(p);
        if (w && w->obj == obj && w->order > after && (!best || w->order < ipc_waiting(best)->order))
            best = p;
    }
    return best;
}

void ipc_retry(void *obj, int64_t (*attempt)(void *obj, struct proc *p, struct ipc_waiter *w))
{
    uint64_t after = 0;
    for (struct proc *p; (p = ipc_waiter_after(obj, after));) {
        struct ipc_waiter *w = ipc_waiting(p);
        after = w->order;
        int64_t r = attempt(obj, p, w);
        if (r == IPC_BLOCKED)
            continue;
        wait_finish(p, r);
        after = 0; /* obj changed: the older ones may go on now */
    }
}

void ipc_wake_all(void *obj, int64_t err)
{
    for (struct proc *p; (p = ipc_waiter_after(obj, 0));)
        wait_finish(p, err);
}

/* ---- hooks ---- */

void sysv_exit(struct proc *p)
{
    struct ipc_ns *was = ipc_cur;
    ipc_cur = ns_of(p, NS_IPC)->ipc; /* its segments are its namespace's */
    sem_exit(p);
    shm_exiting(p);
    ipc_cur = was;
}

static void collect_in(struct ipc_ns *n)
{
    struct ipc_ns *was = ipc_cur;
    ipc_cur = n;
    shm_collect();
    ipc_cur = was;
}

void sysv_collect(void) { ns_each_ipc(collect_in); }
