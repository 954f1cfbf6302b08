/*
 * personalities/linux/i386ipc.c - the structures of i386's System V _ctl
 * commands (docs/i386.md): IPC_STAT, IPC_SET, IPC_INFO and the
 * SEM_/MSG_/SHM_ ones, in the two layouts an i386 program may ask for:
 * IPC_64's (32-bit numbers, times as two halves) and the old one (16-bit
 * ids, pids and counts), as Linux's ipc/ compat code (high2lowuid in the
 * old ipc_perm; shminfo's shmmax cut to INT_MAX).  The calls themselves
 * (semctl, msgctl, shmctl; not ipc's) take IPC_64's layout whatever cmd
 * says, and, as Linux, a cmd with IPC_64 set is shmctl's EINVAL and
 * IPC_SET's, while its IPC_STAT answers the id.  Run on the 64-bit
 * semctl, msgctl and shmctl through the bounce window.
 *
 * Entry points: i386_ipc_ctl (i386net.c's ipc, semctl, msgctl, shmctl).
 * Layer: above sysvsem, sysvmsg, sysvshm.  Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include "sysvipc.h"
#include "uapi_ipc.h"
#include <string.h>
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

struct ipc64_perm32 {
    int32_t key;
    uint32_t uid, gid, cuid, cgid;
    uint16_t mode, pad1, seq, pad2;
    uint32_t unused[2];
};
_Static_assert(sizeof(struct ipc64_perm32) == 36, "i386 struct ipc64_perm");
struct ipc_perm_old {
    int32_t key;
    uint16_t uid, gid, cuid, cgid, mode, seq;
};
struct semid64_ds32 {
    struct ipc64_perm32 perm;
    uint32_t otime, otime_high, ctime, ctime_high, nsems, unused[2];
};
struct semid_ds_old {
    struct ipc_perm_old perm;
    uint32_t otime, ctime, base, pending, pending_last, undo;
    uint16_t nsems, pad;
};
struct msqid64_ds32 {
    struct ipc64_perm32 perm;
    uint32_t stime, stime_high, rtime, rtime_high, ctime, ctime_high, cbytes, qnum, qbytes;
    int32_t lspid, lrpid;
    uint32_t unused[2];
};
struct msqid_ds_old {
    struct ipc_perm_old perm;
    uint32_t first, last, stime, rtime, ctime, lcbytes, lqbytes; /* lcbytes, lqbytes: 0, as Linux's */
    uint16_t cbytes, qnum, qbytes, lspid, lrpid, pad;
};
struct shmid64_ds32 {
    struct ipc64_perm32 perm;
    uint32_t segsz, atime, atime_high, dtime, dtime_high, ctime, ctime_high;
    int32_t cpid, lpid;
    uint32_t nattch, unused[2];
};
struct shmid_ds_old {
    struct ipc_perm_old perm;
    int32_t segsz;
    uint32_t atime, dtime, ctime;
    uint16_t cpid, lpid, nattch, unused;
    uint32_t unused2, unused3;
};
_Static_assert(sizeof(struct semid64_ds32) == 64 && sizeof(struct msqid64_ds32) == 88 &&
                   sizeof(struct shmid64_ds32) == 84, "i386's IPC_64 structures");
_Static_assert(sizeof(struct semid_ds_old) == 44 && sizeof(struct msqid_ds_old) == 56 &&
                   sizeof(struct shmid_ds_old) == 48, "i386's old IPC structures");

/* Linux's high2lowuid. */
static uint16_t id16(uint32_t id) { return id > 0xffff ? 65534 : (uint16_t)id; }

static void perm64_out(const struct ipc64_perm_k *k, struct ipc64_perm32 *o)
{
    *o = (struct ipc64_perm32){k->key, k->uid, k->gid, k->cuid, k->cgid, (uint16_t)k->mode, 0, k->seq, 0, {0}};
}

static void perm_old_out(const struct ipc64_perm_k *k, struct ipc_perm_old *o)
{
    *o = (struct ipc_perm_old){k->key, id16(k->uid), id16(k->gid), id16(k->cuid), id16(k->cgid), (uint16_t)k->mode,
                               k->seq};
}

/* A _STAT's or shm _INFO's 64-bit structure k in the i386 layout (out);
 * its size. */
static size_t stat_out(char kind, int op, bool v64, const void *k, void *out)
{
    if (kind == 'h' && op == IPC_INFO) {
        const struct shminfo64_k *i = k;
        uint64_t shmmax = i->shmmax > INT32_MAX ? INT32_MAX : i->shmmax; /* both layouts, as Linux */
        if (v64) {
            uint32_t *w = out;
            const uint64_t *in = &i->shmmax;
            for (int n = 0; n < 9; n++)
                w[n] = (uint32_t)in[n];
            w[0] = (uint32_t)shmmax;
            return 36;
        }
        int32_t *w = out;
        w[0] = (int32_t)shmmax;
        w[1] = (int32_t)i->shmmin, w[2] = (int32_t)i->shmmni, w[3] = (int32_t)i->shmseg, w[4] = (int32_t)i->shmall;
        return 20;
    }
    if (kind == 'h' && op == SHM_INFO) {
        const struct shm_info_k *i = k;
        uint32_t w[6] = {(uint32_t)i->used_ids, (uint32_t)i->shm_tot, (uint32_t)i->shm_rss, (uint32_t)i->shm_swp,
                         (uint32_t)i->swap_attempts, (uint32_t)i->swap_successes};
        memcpy(out, w, sizeof w);
        return sizeof w;
    }
    if (kind == 's') {
        const struct semid64_ds_k *s = k;
        if (v64) {
            struct semid64_ds32 *o = out;
            *o = (struct semid64_ds32){{0}, (uint32_t)s->otime, (uint32_t)((uint64_t)s->otime >> 32),
                                       (uint32_t)s->ctime, (uint32_t)((uint64_t)s->ctime >> 32), (uint32_t)s->nsems,
                                       {0}};
            perm64_out(&s->perm, &o->perm);
            return sizeof *o;
        }
        struct semid_ds_old *o = out;
        *o = (struct semid_ds_old){{0}, (uint32_t)s->otime, (uint32_t)s->ctime, 0, 0, 0, 0, (uint16_t)s->nsems, 0};
        perm_old_out(&s->perm, &o->perm);
        return sizeof *o;
    }
    if (kind == 'm') {
        const struct msqid64_ds_k *m = k;
        if (v64) {
            struct msqid64_ds32 *o = out;
            *o = (struct msqid64_ds32){{0}, (uint32_t)m->stime, (uint32_t)((uint64_t)m->stime >> 32),
                                       (uint32_t)m->rtime, (uint32_t)((uint64_t)m->rtime >> 32), (uint32_t)m->ctime,
                                       (uint32_t)((uint64_t)m->ctime >> 32), (uint32_t)m->cbytes, (uint32_t)m->qnum,
                                       (uint32_t)m->qbytes, m->lspid, m->lrpid, {0}};
            perm64_out(&m->perm, &o->perm);
            return sizeof *o;
        }
        struct msqid_ds_old *o = out;
        *o = (struct msqid_ds_old){{0}, 0, 0, (uint32_t)m->stime, (uint32_t)m->rtime, (uint32_t)m->ctime, 0, 0,
                                   (uint16_t)m->cbytes, (uint16_t)m->qnum,
                                   (uint16_t)m->qbytes, (uint16_t)m->lspid, (uint16_t)m->lrpid, 0};
        perm_old_out(&m->perm, &o->perm);
        return sizeof *o;
    }
    const struct shmid64_ds_k *s = k;
    if (v64) {
        struct shmid64_ds32 *o = out;
        *o = (struct shmid64_ds32){{0}, (uint32_t)s->segsz, (uint32_t)s->atime, (uint32_t)((uint64_t)s->atime >> 32),
                                   (uint32_t)s->dtime, (uint32_t)((uint64_t)s->dtime >> 32), (uint32_t)s->ctime,
                                   (uint32_t)((uint64_t)s->ctime >> 32), s->cpid, s->lpid, (uint32_t)s->nattch, {0}};
        perm64_out(&s->perm, &o->perm);
        return sizeof *o;
    }
    struct shmid_ds_old *o = out;
    *o = (struct shmid_ds_old){{0}, (int32_t)s->segsz, (uint32_t)s->atime, (uint32_t)s->dtime, (uint32_t)s->ctime,
                               (uint16_t)s->cpid, (uint16_t)s->lpid, (uint16_t)s->nattch, 0, 0, 0};
    perm_old_out(&s->perm, &o->perm);
    return sizeof *o;
}

/* IPC_SET's i386 structure at ubuf into the 64-bit one at k: the owner,
 * the mode, and a queue's qbytes (what Linux reads).  0 or -EFAULT. */
static int set_in(struct proc *p, char kind, bool v64, uint64_t ubuf, void *k)
{
    struct ipc64_perm_k *perm = k; /* first in each */
    union {
        struct msqid64_ds32 m64;
        struct msqid_ds_old m;
        struct ipc64_perm32 p64;
        struct ipc_perm_old p;
    } u;
    size_t len = v64 ? (kind == 'm' ? sizeof u.m64 : sizeof u.p64) : (kind == 'm' ? sizeof u.m : sizeof u.p);
    if (mem_in(p, &u, ubuf, len) < 0)
        return -LINUX_EFAULT;
    if (v64)
        perm->uid = u.p64.uid, perm->gid = u.p64.gid, perm->mode = u.p64.mode;
    else
        perm->uid = u.p.uid, perm->gid = u.p.gid, perm->mode = u.p.mode;
    if (kind == 'm')
        ((struct msqid64_ds_k *)k)->qbytes = v64 ? u.m64.qbytes : u.m.qbytes;
    return 0;
}

int64_t i386_ipc_ctl(struct sys_ctx *c, char kind, uint64_t id, uint64_t num, int cmd, bool direct, uint64_t ubuf)
{
    static uint64_t k[16];
    uint8_t out[128];
    int op = cmd & ~IPC_64;
    bool v64 = direct || (cmd & IPC_64), flagged = direct && (cmd & IPC_64);
    if (flagged && kind == 'h')
        return -LINUX_EINVAL;
    linux_handler entry = kind == 's' ? entry_semctl : kind == 'm' ? entry_msgctl : entry_shmctl;
    uint64_t a[6] = {id, (uint64_t)op, I386_BOUNCE_VA};
    if (kind == 's')
        a[1] = num, a[2] = (uint64_t)op, a[3] = I386_BOUNCE_VA;
    bool info = op == IPC_INFO || op == SEM_INFO || op == MSG_INFO;
    if (info && kind != 'h') { /* struct seminfo and msginfo: ints, the same */
        a[kind == 's' ? 3 : 2] = ubuf;
        return i386_run(c, entry, a, NULL, 0);
    }
    memset(k, 0, sizeof k);
    if (op == IPC_SET) {
        int r = set_in(c->p, kind, v64, ubuf, k);
        return r < 0 ? r : flagged ? -LINUX_EINVAL : i386_run(c, entry, a, k, sizeof k);
    }
    int64_t r = i386_run(c, entry, a, k, sizeof k);
    if (r < 0)
        return r;
    size_t n = stat_out(kind, op, v64, k, out);
    if (flagged && op == IPC_STAT)
        r = (int64_t)id;
    return mem_out(c->p, ubuf, out, n) < 0 ? -LINUX_EFAULT : r;
}
