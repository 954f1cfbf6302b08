/*
 * personalities/linux/i386net.c - i386's multiplexers and message
 * structures (docs/i386.md): socketcall (every socket call by number,
 * its arguments in memory), sendmsg and recvmsg with the 32-bit msghdr,
 * iovec and cmsghdr, and ipc (System V semaphores, messages and shared
 * memory by number, and their own calls: the 32-bit msgbuf, IPC_64's
 * flag); the _STAT, _INFO and IPC_SET commands' structures are
 * i386ipc.c's.
 *
 * Entry points: the i386 table.  Layer: above socket, sockmsg, sysv*.
 * Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/i386net.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

/* ---- sendmsg and recvmsg ---- */

struct msghdr32 {
    uint32_t name, namelen, iov, iovlen, control, controllen;
    int32_t flags;
};

#define MSG_IOV_MAX 1024
#define CTL_ROOM 8192
#define ALIGN32(n) (((n) + 3) & ~3ull)
#define ALIGN64(n) (((n) + 7) & ~7ull)

/* The window: the 64-bit msghdr, its iovec array, its control messages. */
struct msg_window {
    struct msghdr_k m;
    uint64_t iov[2 * MSG_IOV_MAX];
    uint8_t control[CTL_ROOM];
};
#define W_IOV (I386_BOUNCE_VA + offsetof(struct msg_window, iov))
#define W_CONTROL (I386_BOUNCE_VA + offsetof(struct msg_window, control))

/* Control messages from one layout to the other: 12-byte headers aligned
 * 4 (i386) or 16-byte ones aligned 8; the data as it is.  The bytes
 * written. */
static size_t cmsgs(const uint8_t *in, size_t len, uint8_t *out, size_t room, bool widen)
{
    size_t hin = widen ? 12 : 16, hout = widen ? 16 : 12, at = 0, put = 0;
    while (len - at >= hin) {
        uint64_t clen = 0;
        memcpy(&clen, in + at, widen ? 4 : 8);
        if (clen < hin || clen > len - at)
            break;
        size_t data = clen - hin, olen = hout + data;
        if (put + olen > room)
            break;
        uint64_t n = olen;
        memcpy(out + put, &n, widen ? 8 : 4);
        memcpy(out + put + (widen ? 8 : 4), in + at + (widen ? 4 : 8), 8); /* level and type */
        memcpy(out + put + hout, in + at + hin, data);
        put += widen ? ALIGN64(olen) : ALIGN32(olen);
        at += widen ? ALIGN32(clen) : ALIGN64(clen);
    }
    return put > room ? room : put;
}

/* A compat send's control messages as Linux's
 * cmsghdr_from_user_compat_to_kern takes them: each header's length
 * within the buffer (EINVAL), and at least one (EINVAL); Linux reads each
 * length as it goes, so only what the walk reaches past the avail bytes
 * mapped is EFAULT (a length first, a message's data after the walk). */
static int cmsgs_ok(const uint8_t *in, size_t len, size_t avail)
{
    size_t at = 0, n = 0, end = 0;
    for (; at <= len && len - at >= 12; n++) {
        uint32_t clen;
        if (at + 4 > avail)
            return -LINUX_EFAULT;
        memcpy(&clen, in + at, 4);
        if (clen < 12 || clen > len - at)
            return -LINUX_EINVAL;
        end = at + clen;
        at += ALIGN32(clen);
    }
    return !n ? -LINUX_EINVAL : end > avail ? -LINUX_EFAULT : 0;
}

/* The 64-bit form of the msghdr32 h into *m: its iovecs widened at iov
 * (the window's address iov_va), its control messages at ctl (ctl_va,
 * room bytes: a send's widened, a receive's room); 0, or -errno. */
static int msg_widen(struct proc *p, const struct msghdr32 *h, uint64_t *iov, uint64_t iov_va, uint8_t *ctl,
                     uint64_t ctl_va, size_t room, bool send, struct msghdr_k *m)
{
    static struct iovec32 v[MSG_IOV_MAX];
    static uint8_t in[CTL_ROOM];
    if (h->iovlen > MSG_IOV_MAX)
        return -LINUX_EMSGSIZE;
    if (mem_in(p, v, h->iov, h->iovlen * sizeof *v) < 0)
        return -LINUX_EFAULT;
    for (uint32_t i = 0; i < h->iovlen; i++)
        iov[2 * i] = v[i].base, iov[2 * i + 1] = v[i].len;
    uint64_t clen = 0;
    if (h->control && send) {
        uint32_t n = h->controllen < CTL_ROOM / 2 ? h->controllen : CTL_ROOM / 2, got = 0;
        while (got < n) { /* page by page: the buffer may end where its messages do */
            uint32_t k = 4096 - (uint32_t)((h->control + got) & 4095);
            k = k < n - got ? k : n - got;
            if (mem_in(p, in + got, h->control + got, k) < 0)
                break;
            got += k;
        }
        int r = h->controllen ? cmsgs_ok(in, n, got) : 0;
        if (r < 0)
            return r;
        clen = cmsgs(in, n, ctl, room, true);
    } else if (h->control) {
        clen = h->controllen + 4ull < room ? h->controllen + 4ull : room; /* one wider header's room */
    }
    *m = (struct msghdr_k){h->name, h->namelen, 0, h->iovlen ? iov_va : 0, h->iovlen, h->control ? ctl_va : 0,
                           clen, h->flags, 0};
    return 0;
}

/* The window of the msghdr32 at umsg: 0, or -errno. */
static int msg_in(struct proc *p, uint64_t umsg, struct msghdr32 *h, struct msg_window *w, bool send)
{
    if (mem_in(p, h, umsg, sizeof *h) < 0)
        return -LINUX_EFAULT;
    return msg_widen(p, h, w->iov, W_IOV, w->control, W_CONTROL, CTL_ROOM, send, &w->m);
}

static int64_t sendmsg32(struct sys_ctx *c, uint64_t fd, uint64_t umsg, uint64_t flags)
{
    static struct msg_window w;
    struct msghdr32 h;
    int r = msg_in(c->p, umsg, &h, &w, true);
    if (r < 0)
        return r;
    return i386_run(c, entry_sendmsg, (uint64_t[6]){fd, I386_BOUNCE_VA, flags}, &w, sizeof w);
}

/* Closes the descriptors SCM_RIGHTS messages of the 64-bit layout gave. */
static void drop_fds(struct proc *p, const uint8_t *ctl, uint64_t len)
{
    for (uint64_t at = 0; len - at >= 16;) {
        uint64_t clen;
        int32_t level, type, fd;
        memcpy(&clen, ctl + at, 8);
        memcpy(&level, ctl + at + 8, 4), memcpy(&type, ctl + at + 12, 4);
        if (clen < 16 || clen > len - at)
            break;
        for (uint64_t i = 16; level == SOL_SOCKET && type == SCM_RIGHTS && i + 4 <= clen; i += 4) {
            memcpy(&fd, ctl + at + i, 4);
            struct sys_ctx c = {.p = p};
            i386_run(&c, entry_close, (uint64_t[6]){(uint32_t)fd}, NULL, 0);
        }
        at += ALIGN64(clen);
    }
}

/* A received message's name length, control messages (those of the
 * 64-bit layout at ctl) and flags back into the msghdr32 at umsg: 0, or
 * -EFAULT if it cannot be written (one that cannot be read is left). */
static int64_t msg_back(struct proc *p, uint64_t umsg, const struct msghdr_k *m, const uint8_t *ctl)
{
    struct msghdr32 h;
    if (mem_in(p, &h, umsg, sizeof h) < 0)
        return 0;
    static uint8_t out[CTL_ROOM];
    size_t n = h.control ? cmsgs(ctl, m->controllen, out, h.controllen, false) : 0;
    h.namelen = m->namelen, h.controllen = (uint32_t)n, h.flags = m->flags;
    if (n && mem_out(p, h.control, out, n) < 0) { /* as Linux: the descriptors are not given, MSG_CTRUNC */
        drop_fds(p, ctl, m->controllen);
        h.controllen = 0, h.flags |= MSG_CTRUNC;
    }
    return mem_out(p, umsg, &h, sizeof h) < 0 ? -LINUX_EFAULT : 0;
}

/* recvmsg's end: msg_back into the msghdr32 at ctx[0]. */
static int64_t recvmsg_done(struct proc *p, int64_t r, const void *buf, const uint64_t *ctx)
{
    const struct msg_window *w = buf;
    return r < 0 ? r : msg_back(p, ctx[0], &w->m, w->control) < 0 ? -LINUX_EFAULT : r;
}

static int64_t recvmsg32(struct sys_ctx *c, uint64_t fd, uint64_t umsg, uint64_t flags)
{
    static struct msg_window w;
    struct msghdr32 h;
    int r = msg_in(c->p, umsg, &h, &w, false);
    if (r < 0)
        return r;
    return i386_call(c, entry_recvmsg, (uint64_t[6]){fd, I386_BOUNCE_VA, flags}, &w, sizeof w, recvmsg_done,
                     (uint64_t[4]){umsg});
}

static int64_t sys32_sendmsg(struct sys_ctx *c, uint64_t fd, uint64_t umsg, uint64_t flags)
{
    return sendmsg32(c, fd, umsg, flags);
}

static int64_t sys32_recvmsg(struct sys_ctx *c, uint64_t fd, uint64_t umsg, uint64_t flags)
{
    return recvmsg32(c, fd, umsg, flags);
}

/* ---- sendmmsg and recvmmsg ---- */

/* struct compat_mmsghdr and struct mmsghdr: a msghdr, and the length
 * sent or received. */
struct mmsghdr32 {
    struct msghdr32 m;
    uint32_t len;
};
struct mmsghdr_k {
    struct msghdr_k m;
    uint32_t len, pad;
};
#define MMSG_MAX 1024 /* UIO_MAXIOV: Linux cuts vlen there */

/* The window's room for a message's control messages: a send's widened
 * ones, a receive's (msg_widen), 8-aligned. */
static size_t ctl_room(const struct msghdr32 *h, bool recv)
{
    if (!h->control)
        return 0;
    uint64_t n = recv ? h->controllen + 4ull : 2ull * h->controllen + 16;
    return ALIGN64(n < CTL_ROOM ? n : CTL_ROOM);
}

/* Either call's end: each message's length, and a receive's msg_back,
 * into the compat_mmsghdr array at ctx[0] (ctx[1]: a receive); r went. */
static int64_t mmsg_done(struct proc *p, int64_t r, const void *buf, const uint64_t *ctx)
{
    const struct mmsghdr_k *k = buf;
    for (int64_t i = 0; i < r; i++) {
        uint64_t u = ctx[0] + (uint64_t)i * sizeof(struct mmsghdr32);
        const uint8_t *ctl = k[i].m.control ? (const uint8_t *)buf + (k[i].m.control - I386_BOUNCE_VA) : NULL;
        if ((ctx[1] && msg_back(p, u, &k[i].m, ctl) < 0) ||
            mem_out(p, u + offsetof(struct mmsghdr32, len), &k[i].len, sizeof k[i].len) < 0)
            return i ? i : -LINUX_EFAULT;
    }
    return r;
}

/* sendmmsg and recvmmsg (time: 0 no timeout, 32 an old_timespec32, 64 a
 * timespec): the array, each message's iovecs and control messages, and
 * the timeout widened into one window; the 64-bit call on it.  A message
 * that cannot be read ends the array there, as Linux's loop stops. */
static int64_t mmsg32(struct sys_ctx *c, linux_handler entry, const uint64_t in[5], int time, bool recv)
{
    static struct msghdr32 h[MMSG_MAX];
    uint32_t n = in[2] > MMSG_MAX ? MMSG_MAX : (uint32_t)in[2], i;
    size_t size = n * sizeof(struct mmsghdr_k) + 16;
    for (i = 0; i < n && mem_in(c->p, &h[i], in[1] + i * sizeof(struct mmsghdr32), sizeof h[i]) == 0; i++)
        size += (h[i].iovlen <= MSG_IOV_MAX ? h[i].iovlen * 16 : 0) + ctl_room(&h[i], recv);
    uint64_t a[6] = {in[0], I386_BOUNCE_VA, i, in[3], 0};
    uint8_t *buf = calloc(1, size);
    if (!buf)
        return -LINUX_ENOMEM;
    struct mmsghdr_k *k = (struct mmsghdr_k *)buf;
    size_t at = n * sizeof *k;
    int64_t r = 0;
    for (uint32_t j = 0; j < i && r == 0; j++) {
        size_t iov = at, room = ctl_room(&h[j], recv);
        at += (h[j].iovlen <= MSG_IOV_MAX ? h[j].iovlen * 16 : 0);
        r = msg_widen(c->p, &h[j], (uint64_t *)(buf + iov), I386_BOUNCE_VA + iov, buf + at, I386_BOUNCE_VA + at, room,
                      !recv, &k[j].m);
        at += room;
        if (r < 0 && j > 0)
            a[2] = j, r = 1; /* the loop stops before it */
    }
    if (n && !i)
        a[1] = in[1], a[2] = 1; /* the first unreadable: the 64-bit call's EFAULT, after its own checks */
    int64_t *ts = (int64_t *)(buf + at);
    struct timespec32 t;
    if (time == 32 && in[4] && mem_in(c->p, &t, in[4], sizeof t) < 0)
        r = -LINUX_EFAULT;
    else if (time == 32 && in[4])
        ts[0] = t.sec, ts[1] = t.nsec, a[4] = I386_BOUNCE_VA + at;
    else if (time == 64)
        a[4] = in[4];
    if (r >= 0)
        r = i386_call(c, entry, a, buf, size, mmsg_done, (uint64_t[4]){in[1], recv});
    free(buf);
    return r;
}

static int64_t sys32_sendmmsg(struct sys_ctx *c, uint64_t fd, uint64_t uvec, uint64_t vlen, uint64_t flags)
{
    return mmsg32(c, entry_sendmmsg, (uint64_t[5]){fd, uvec, vlen, flags, 0}, 0, false);
}

static int64_t sys32_recvmmsg(struct sys_ctx *c, uint64_t fd, uint64_t uvec, uint64_t vlen, uint64_t flags,
                              uint64_t utimeout)
{
    return mmsg32(c, entry_recvmmsg, (uint64_t[5]){fd, uvec, vlen, flags, utimeout}, 32, true);
}

static int64_t sys32_recvmmsg_time64(struct sys_ctx *c, uint64_t fd, uint64_t uvec, uint64_t vlen, uint64_t flags,
                                     uint64_t utimeout)
{
    return mmsg32(c, entry_recvmmsg, (uint64_t[5]){fd, uvec, vlen, flags, utimeout}, 64, true);
}

/* ---- socketcall ---- */

static int64_t sys32_socketcall(struct sys_ctx *c, int call, uint64_t uargs)
{
    static const uint8_t nargs[21] = {0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4};
    static const linux_handler entries[21] = {
        NULL, entry_socket, entry_bind, entry_connect, entry_listen, entry_accept, entry_getsockname,
        entry_getpeername, entry_socketpair, entry_sendto, entry_recvfrom, entry_sendto, entry_recvfrom,
        entry_shutdown, entry_setsockopt, entry_getsockopt, NULL, NULL, entry_accept4, NULL, NULL};
    uint32_t v[6] = {0};
    if (call < 1 || call > 20)
        return -LINUX_EINVAL;
    if (mem_in(c->p, v, uargs, nargs[call] * 4u) < 0)
        return -LINUX_EFAULT;
    if (call == 16)
        return sendmsg32(c, v[0], v[1], v[2]);
    if (call == 17)
        return recvmsg32(c, v[0], v[1], v[2]);
    if (call == 19)
        return mmsg32(c, entry_recvmmsg, (uint64_t[5]){v[0], v[1], v[2], v[3], v[4]}, 32, true);
    if (call == 20)
        return mmsg32(c, entry_sendmmsg, (uint64_t[5]){v[0], v[1], v[2], v[3], 0}, 0, false);
    uint64_t a[6] = {v[0], v[1], v[2], v[3], v[4], v[5]}; /* send and recv: sendto's and recvfrom's, no address */
    return i386_run(c, entries[call], a, NULL, 0);
}

/* ---- System V IPC ---- */

#define IPC_64 0x100
#define IPC_SET_CMD 1
#define IPC_STAT_CMD 2
#define IPC_INFO_CMD 3

/* A _ctl command whose structure differs (i386ipc.c): IPC_SET, IPC_STAT,
 * IPC_INFO, and from stat on (SEM_STAT 18, SHM_STAT 13, MSG_STAT 11). */
static bool untranslated(int cmd, int stat) { return (cmd >= IPC_SET_CMD && cmd <= IPC_INFO_CMD) || cmd >= stat; }

/* The _ctl calls: through ipc (cmd's IPC_64 says the layout, Linux's
 * compat_ipc_parse_version) or themselves (direct: IPC_64's layout). */
static int64_t semctl32(struct sys_ctx *c, uint64_t id, uint64_t num, uint64_t cmd, uint64_t arg, bool direct)
{
    int k = (int)cmd & ~IPC_64;
    if (untranslated(k, 18))
        return i386_ipc_ctl(c, 's', id, num, (int)cmd, direct, (uint32_t)arg);
    return i386_run(c, entry_semctl, (uint64_t[6]){id, num, (uint64_t)k, arg}, NULL, 0);
}

static int64_t ctl32(struct sys_ctx *c, linux_handler entry, uint64_t id, uint64_t cmd, uint64_t buf, int stat,
                     bool direct)
{
    int k = (int)cmd & ~IPC_64;
    if (untranslated(k, stat))
        return i386_ipc_ctl(c, stat == 11 ? 'm' : 'h', id, 0, (int)cmd, direct, buf);
    return i386_run(c, entry, (uint64_t[6]){id, (uint64_t)k, buf}, NULL, 0);
}

/* msgsnd: the 32-bit msgbuf's type widened before the text. */
static int64_t msgsnd32(struct sys_ctx *c, uint64_t id, uint64_t umsg, uint64_t size, uint64_t flags)
{
    static uint8_t buf[8 + 65536];
    int32_t type;
    if (size > 65536)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &type, umsg, 4) < 0 || mem_in(c->p, buf + 8, umsg + 4, size) < 0)
        return -LINUX_EFAULT;
    int64_t t = type;
    memcpy(buf, &t, 8);
    return i386_run(c, entry_msgsnd, (uint64_t[6]){id, I386_BOUNCE_VA, size, flags}, buf, 8 + size);
}

/* msgrcv's end: the type narrowed, then the text, at ctx[0]. */
static int64_t msgrcv_done(struct proc *p, int64_t r, const void *buf, const uint64_t *ctx)
{
    int32_t type;
    int64_t t;
    if (r < 0)
        return r;
    memcpy(&t, buf, 8);
    type = (int32_t)t;
    return mem_out(p, ctx[0], &type, 4) < 0 || mem_out(p, ctx[0] + 4, (const uint8_t *)buf + 8, (size_t)r) < 0
               ? -LINUX_EFAULT : r;
}

static int64_t msgrcv32(struct sys_ctx *c, uint64_t id, uint64_t umsg, uint64_t size, int64_t type, uint64_t flags)
{
    static uint8_t buf[8 + 65536];
    if (size > 65536)
        size = 65536;
    return i386_call(c, entry_msgrcv, (uint64_t[6]){id, I386_BOUNCE_VA, size, (uint64_t)type, flags}, buf, 8 + size,
                     msgrcv_done, (uint64_t[4]){umsg});
}

static int64_t semtimedop32(struct sys_ctx *c, uint64_t id, uint64_t usops, uint64_t nsops, uint64_t utimeout)
{
    int32_t t[2];
    int64_t k[2];
    if (utimeout && mem_in(c->p, t, utimeout, sizeof t) < 0)
        return -LINUX_EFAULT;
    k[0] = utimeout ? t[0] : 0, k[1] = utimeout ? t[1] : 0;
    return i386_run(c, entry_semtimedop, (uint64_t[6]){id, usops, nsops, utimeout ? I386_BOUNCE_VA : 0}, k, sizeof k);
}

static int64_t sys32_ipc(struct sys_ctx *c, uint64_t call, int first, uint64_t second, uint64_t third, uint64_t ptr,
                         uint64_t fifth)
{
    uint64_t id = (uint64_t)(int64_t)first;
    switch (call & 0xffff) {
    case 1: return i386_run(c, entry_semop, (uint64_t[6]){id, ptr, second}, NULL, 0);
    case 2: return i386_run(c, entry_semget, (uint64_t[6]){id, second, third}, NULL, 0);
    case 3: {
        uint32_t arg;
        if (mem_in(c->p, &arg, ptr, 4) < 0)
            return -LINUX_EFAULT;
        return semctl32(c, id, second, third, arg, false);
    }
    case 4: return semtimedop32(c, id, ptr, second, fifth);
    case 11: return msgsnd32(c, id, ptr, second, third);
    case 12: {
        uint32_t k[2] = {(uint32_t)ptr, (uint32_t)fifth};
        if (!(call >> 16) && mem_in(c->p, k, ptr, sizeof k) < 0) /* version 0: struct ipc_kludge */
            return -LINUX_EFAULT;
        return msgrcv32(c, id, k[0], second, (int32_t)k[1], third);
    }
    case 13: return i386_run(c, entry_msgget, (uint64_t[6]){id, second}, NULL, 0);
    case 14: return ctl32(c, entry_msgctl, id, second, ptr, 11, false);
    case 21: {
        int64_t r = i386_run(c, entry_shmat, (uint64_t[6]){id, ptr, second}, NULL, 0);
        uint32_t at = (uint32_t)r;
        return r < 0 ? r : mem_out(c->p, third, &at, 4) < 0 ? -LINUX_EFAULT : 0;
    }
    case 22: return i386_run(c, entry_shmdt, (uint64_t[6]){ptr}, NULL, 0);
    case 23: return i386_run(c, entry_shmget, (uint64_t[6]){id, second, third}, NULL, 0);
    case 24: return ctl32(c, entry_shmctl, id, second, ptr, 13, false);
    default: return -LINUX_ENOSYS;
    }
}

static int64_t sys32_semctl(struct sys_ctx *c, int semid, int semnum, int cmd, uint64_t arg)
{
    return semctl32(c, (uint64_t)(int64_t)semid, (uint64_t)(int64_t)semnum, (uint64_t)(int64_t)cmd, arg, true);
}

static int64_t sys32_shmctl(struct sys_ctx *c, int shmid, int cmd, uint64_t buf)
{
    return ctl32(c, entry_shmctl, (uint64_t)(int64_t)shmid, (uint64_t)(int64_t)cmd, buf, 13, true);
}

static int64_t sys32_msgctl(struct sys_ctx *c, int msqid, int cmd, uint64_t buf)
{
    return ctl32(c, entry_msgctl, (uint64_t)(int64_t)msqid, (uint64_t)(int64_t)cmd, buf, 11, true);
}

static int64_t sys32_msgsnd(struct sys_ctx *c, int msqid, uint64_t umsg, uint64_t size, int flags)
{
    return msgsnd32(c, (uint64_t)(int64_t)msqid, umsg, size, (uint64_t)(int64_t)flags);
}

static int64_t sys32_msgrcv(struct sys_ctx *c, int msqid, uint64_t umsg, uint64_t size, int type, int flags)
{
    return msgrcv32(c, (uint64_t)(int64_t)msqid, umsg, size, type, (uint64_t)(int64_t)flags);
}
