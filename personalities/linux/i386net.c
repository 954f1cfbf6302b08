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

/* The window of the msghdr32 at umsg: 0, or -errno. */
static int msg_in(struct proc *p, uint64_t umsg, struct msghdr32 *h, struct msg_window *w, bool send)
{
    static struct iovec32 v[MSG_IOV_MAX];
    static uint8_t ctl[CTL_ROOM];
    if (mem_in(p, h, umsg, sizeof *h) < 0)
        return -LINUX_EFAULT;
    if (h->iovlen > MSG_IOV_MAX)
        return -LINUX_EMSGSIZE;
    if (mem_in(p, v, h->iov, h->iovlen * sizeof *v) < 0)
        return -LINUX_EFAULT;
    for (uint32_t i = 0; i < h->iovlen; i++)
        w->iov[2 * i] = v[i].base, w->iov[2 * i + 1] = v[i].len;
    uint64_t clen = 0;
    if (h->control && send) {
        uint32_t n = h->controllen < CTL_ROOM / 2 ? h->controllen : CTL_ROOM / 2;
        if (mem_in(p, ctl, h->control, n) < 0)
            return -LINUX_EFAULT;
        clen = cmsgs(ctl, n, w->control, CTL_ROOM, true);
    } else if (h->control) {
        clen = h->controllen + 4ull < CTL_ROOM ? h->controllen + 4ull : CTL_ROOM; /* one wider header's room */
    }
    w->m = (struct msghdr_k){h->name, h->namelen, 0, h->iovlen ? W_IOV : 0, h->iovlen, h->control ? W_CONTROL : 0,
                             clen, h->flags, 0};
    return 0;
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

/* recvmsg's end: the name's length, the control messages and the flags
 * back into the msghdr32 at ctx[0]. */
static int64_t recvmsg_done(struct proc *p, int64_t r, const void *buf, const uint64_t *ctx)
{
    const struct msg_window *w = buf;
    struct msghdr32 h;
    if (r < 0 || mem_in(p, &h, ctx[0], sizeof h) < 0)
        return r;
    static uint8_t ctl[CTL_ROOM];
    size_t n = h.control ? cmsgs(w->control, w->m.controllen, ctl, h.controllen, false) : 0;
    h.namelen = w->m.namelen, h.controllen = (uint32_t)n, h.flags = w->m.flags;
    if (n && mem_out(p, h.control, ctl, n) < 0) { /* as Linux: the descriptors are not given, MSG_CTRUNC */
        drop_fds(p, w->control, w->m.controllen);
        h.controllen = 0, h.flags |= MSG_CTRUNC;
    }
    return mem_out(p, ctx[0], &h, sizeof h) < 0 ? -LINUX_EFAULT : r;
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
    if (!entries[call])
        return -LINUX_ENOSYS; /* recvmmsg and sendmmsg: their mmsghdr arrays are not translated */
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
