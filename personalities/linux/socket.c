/*
 * personalities/linux/socket.c - AF_UNIX stream socket pairs
 * (socketpair): each end reads one pipe and writes the other, so data,
 * blocking, end of file and EPIPE are the pipes' (pipe.c).  send/recv,
 * sendmsg/recvmsg (buffers only: no control messages), shutdown,
 * getsockopt, getsockname and getpeername work on them.  There is no
 * socket() with an address: socket, bind, connect, listen and accept stay
 * ENOSYS, and datagram and seqpacket pairs are EPROTONOSUPPORT.
 */
#include "linux.h"
#include <stdlib.h>
#include <string.h>

#define AF_UNIX 1
#define SOCK_STREAM 1
#define SOCK_TYPE_MASK 0xf
#define SOL_SOCKET 1
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
#define SO_ACCEPTCONN 30
#define MSG_DONTWAIT 0x40
#define MSG_NOSIGNAL 0x4000
#define SHUT_READ 1  /* shut bits: SHUT_RD + 1 ... */
#define SHUT_WRITE 2 /* ... and SHUT_WR + 1 */

static struct file *sock_of(struct sys_ctx *c, uint64_t fd, int64_t *err)
{
    struct file *f = fd < MAX_FDS ? c->p->fds->fd[fd] : NULL;
    *err = !f ? -LINUX_EBADF : f->kind != FILE_SOCKET ? -LINUX_ENOTSOCK : 0;
    return *err ? NULL : f;
}

int64_t socket_io(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                  bool write, int how)
{
    if (f->flags & O_NONBLOCK)
        how |= MOVE_NONBLOCK;
    if (write ? (f->shut & SHUT_WRITE) : (f->shut & SHUT_READ)) {
        if (!one)
            free(segs);
        if (!write)
            return 0; /* shut for reading: end of file */
        if (!(how & MOVE_NOSIGNAL))
            signal_send(c->p, 13, NULL); /* SIGPIPE */
        return -LINUX_EPIPE;
    }
    return pipe_move(c, write ? f->peer : f->pipe, segs, nsegs, one, total, write, how);
}

int socket_poll(struct file *f)
{
    int in = pipe_has_data(f->pipe) || !pipe_ends(f->pipe, true) || (f->shut & SHUT_READ) ? 1 : 0; /* POLLIN */
    bool peer_gone = !pipe_ends(f->peer, false) || (f->shut & SHUT_WRITE);
    int out = pipe_has_room(f->peer) || peer_gone ? 4 : 0; /* POLLOUT: a write would not wait */
    int hup = !pipe_ends(f->pipe, true) && peer_gone ? 0x10 : 0;
    int rdhup = !pipe_ends(f->pipe, true) || (f->shut & SHUT_READ) ? 0x2000 : 0;
    return in | out | hup | rdhup;
}

/* Both ends hold both pipes until they close, so that a pipe a shutdown
 * has ended stays there for the end still pointing at it. */
void socket_close(struct file *f)
{
    pipe_drop(f->pipe, !(f->shut & SHUT_READ), 0);
    pipe_drop(f->peer, 0, !(f->shut & SHUT_WRITE));
    pipe_unhold(f->pipe);
    pipe_unhold(f->peer);
}

SYSCALL_HANDLER(socketpair)
{
    int type = (int)c->a[1] & SOCK_TYPE_MASK, flags = (int)c->a[1] & ~SOCK_TYPE_MASK;
    if (c->a[0] != AF_UNIX)
        return -LINUX_EOPNOTSUPP; /* as Linux for a family without pairs */
    if (flags & ~(O_NONBLOCK | O_CLOEXEC))
        return -LINUX_EINVAL;
    if (type != SOCK_STREAM || (c->a[2] != 0 && c->a[2] != AF_UNIX))
        return -LINUX_EPROTONOSUPPORT;
    struct pipe *ab = pipe_new(1, 1, 2), *ba = pipe_new(1, 1, 2);
    struct file *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!ab || !ba || !a || !b) {
        free(ab), free(ba), free(a), free(b);
        return -LINUX_ENOMEM;
    }
    *a = (struct file){.kind = FILE_SOCKET, .pipe = ba, .peer = ab, .flags = 2 | (flags & O_NONBLOCK), .refs = 1};
    *b = (struct file){.kind = FILE_SOCKET, .pipe = ab, .peer = ba, .flags = 2 | (flags & O_NONBLOCK), .refs = 1};
    return fd_alloc_pair(c->p, a, b, (flags & O_CLOEXEC) != 0, c->a[3]);
}

SYSCALL_HANDLER(shutdown)
{
    int64_t err;
    struct file *f = sock_of(c, c->a[0], &err);
    if (!f)
        return err;
    if (c->a[1] > 2)
        return -LINUX_EINVAL;
    int want = (int)c->a[1] + 1, now = want & ~f->shut; /* SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2: bits 1, 2, 3 */
    f->shut |= want;
    pipe_drop(f->pipe, (now & SHUT_READ) != 0, 0);   /* the peer's writes now fail */
    pipe_drop(f->peer, 0, (now & SHUT_WRITE) != 0);  /* the peer reads the end */
    return 0;
}

/* send and sendto: a connected pair takes no address. */
static int64_t send_flags(uint64_t flags, int *how)
{
    if (flags & ~(uint64_t)(MSG_DONTWAIT | MSG_NOSIGNAL))
        return -LINUX_EOPNOTSUPP;
    *how = ((flags & MSG_DONTWAIT) ? MOVE_NONBLOCK : 0) | ((flags & MSG_NOSIGNAL) ? MOVE_NOSIGNAL : 0);
    return 0;
}

static int64_t recv_flags(uint64_t flags, int *how)
{
    if (flags & ~(uint64_t)MSG_DONTWAIT)
        return -LINUX_EOPNOTSUPP; /* MSG_PEEK, MSG_WAITALL: not here */
    *how = (flags & MSG_DONTWAIT) ? MOVE_NONBLOCK : 0;
    return 0;
}

SYSCALL_HANDLER(sendto)
{
    int64_t err;
    int how;
    struct file *f = sock_of(c, c->a[0], &err);
    if (!f)
        return err;
    if (c->a[4])
        return -LINUX_EISCONN;
    if ((err = send_flags(c->a[3], &how)) < 0)
        return err;
    struct io_seg seg = {c->a[1], c->a[2]};
    return socket_io(c, f, &seg, 1, true, c->a[2], true, how);
}

SYSCALL_HANDLER(recvfrom)
{
    int64_t err;
    int how;
    struct file *f = sock_of(c, c->a[0], &err);
    if (!f)
        return err;
    if ((err = recv_flags(c->a[3], &how)) < 0)
        return err;
    uint32_t none = 0;
    if (c->a[4] && c->a[5] && mem_out(c->p, c->a[5], &none, sizeof none) < 0)
        return -LINUX_EFAULT; /* the peer has no address */
    struct io_seg seg = {c->a[1], c->a[2]};
    return socket_io(c, f, &seg, 1, true, c->a[2], false, how);
}

struct msghdr_k {
    uint64_t name;
    uint32_t namelen, pad;
    uint64_t iov, iovlen, control, controllen;
    int32_t flags, pad2;
};
_Static_assert(sizeof(struct msghdr_k) == 56, "struct msghdr");

/* sendmsg and recvmsg: the buffers as one move; no control messages. */
static int64_t msg_io(struct sys_ctx *c, bool write)
{
    int64_t err;
    int how;
    struct msghdr_k m;
    struct file *f = sock_of(c, c->a[0], &err);
    if (!f)
        return err;
    if (mem_in(c->p, &m, c->a[1], sizeof m) < 0)
        return -LINUX_EFAULT;
    if ((err = write ? send_flags(c->a[2], &how) : recv_flags(c->a[2], &how)) < 0)
        return err;
    if (write && (m.name || m.controllen))
        return m.name ? -LINUX_EISCONN : -LINUX_EOPNOTSUPP; /* no descriptors or credentials passed */
    if (m.iovlen > 1024)
        return -LINUX_EMSGSIZE;
    struct io_seg *segs;
    uint64_t total;
    if ((err = iov_read(c->p, m.iov, m.iovlen, &segs, &total)) < 0)
        return err;
    if (!write) { /* nothing comes back but the data: no address, no control, no flags */
        m.namelen = 0, m.controllen = 0, m.flags = 0;
        if (mem_out(c->p, c->a[1], &m, sizeof m) < 0) {
            free(segs);
            return -LINUX_EFAULT;
        }
    }
    return socket_io(c, f, segs, (int)m.iovlen, false, total, write, how);
}

SYSCALL_HANDLER(sendmsg) { return msg_io(c, true); }
SYSCALL_HANDLER(recvmsg) { return msg_io(c, false); }

SYSCALL_HANDLER(getsockopt)
{
    int64_t err;
    struct file *f = sock_of(c, c->a[0], &err);
    if (!f)
        return err;
    int32_t v;
    uint32_t len;
    if (c->a[1] != SOL_SOCKET)
        return -LINUX_ENOPROTOOPT;
    switch (c->a[2]) {
    case SO_TYPE: v = SOCK_STREAM; break;
    case SO_DOMAIN: v = AF_UNIX; break;
    case SO_PROTOCOL: case SO_ERROR: case SO_ACCEPTCONN: v = 0; break;
    default: return -LINUX_ENOPROTOOPT;
    }
    if (mem_in(c->p, &len, c->a[4], sizeof len) < 0)
        return -LINUX_EFAULT;
    if ((int32_t)len < 0)
        return -LINUX_EINVAL;
    len = len < sizeof v ? len : sizeof v;
    if (mem_out(c->p, c->a[3], &v, len) < 0 || mem_out(c->p, c->a[4], &len, sizeof len) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* Both ends are unnamed: an address of the family alone. */
static int64_t unnamed(struct sys_ctx *c)
{
    int64_t err;
    if (!sock_of(c, c->a[0], &err))
        return err;
    uint16_t family = AF_UNIX;
    uint32_t len, want = sizeof family;
    if (mem_in(c->p, &len, c->a[2], sizeof len) < 0)
        return -LINUX_EFAULT;
    if ((int32_t)len < 0)
        return -LINUX_EINVAL;
    if (mem_out(c->p, c->a[1], &family, len < want ? len : want) < 0 || mem_out(c->p, c->a[2], &want, sizeof want) < 0)
        return -LINUX_EFAULT;
    return 0;
}

SYSCALL_HANDLER(getsockname) { return unnamed(c); }
SYSCALL_HANDLER(getpeername) { return unnamed(c); }
