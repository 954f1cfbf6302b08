/*
 * personalities/linux/socket.c - AF_UNIX stream sockets.  A connected
 * socket reads one pipe and writes the other, so data, blocking, end of
 * file and EPIPE are the pipes' (pipe.c); socketpair makes two such ends
 * at once.  socket() makes an unconnected one, which bind names
 * (unixname.c).  listen
 * queues the connections that connect makes (a connect past the backlog
 * waits for room), and accept takes them, or waits for one.  shutdown,
 * getsockopt, getsockname and getpeername work on all of them.  An end
 * closed with data unread, or a listener closed with connections never
 * accepted, resets the connection (ECONNRESET for the peer's next read).
 * Datagram and seqpacket sockets are EPROTONOSUPPORT.  AF_INET and
 * AF_INET6 sockets are inet.c's (TCP reuses what is here) and udp.c's;
 * other families are EAFNOSUPPORT.
 *
 * Entry points: socket.h.  Callers: the syscall table, the file calls.
 * Layer: a file type, over pipe.c.  Book: docs/linux.md, "Files".
 */
#include "netsysctl.h"
#include "raw.h"
#include "tcpclose.h"
#include "netlink.h"
#include "netstat.h"
#include "proc.h"
#include "socket.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/socket.h" /* generated: the handlers' prototypes, entries */

/* A connection connect made, waiting for accept: the listener's end. */
struct conn {
    struct file *f;
    struct conn *next;
};

int socket_queued(const struct sock *k)
{
    int n = 0;
    for (const struct conn *q = k->queue; q; q = q->next)
        n++;
    return n;
}

uint64_t socket_ino(const struct file *f) { return f->sock ? f->sock->ino : pipe_ino(f); }

struct file *socket_of(struct sys_ctx *c, uint64_t fd, int64_t *err)
{
    struct file *f = fd_file(c->p, fd);
    *err = !f ? -LINUX_EBADF : f->kind != FILE_SOCKET ? -LINUX_ENOTSOCK : 0;
    return *err ? NULL : f;
}

/* A name as getsockname and accept give it: an unnamed socket's is the
 * family alone. */
static int64_t put_sock_name(struct proc *p, uint64_t uaddr, uint64_t ulen, const struct sockaddr_k *name,
                             uint32_t len)
{
    static const struct sockaddr_k unnamed = {AF_UNIX, ""};
    return len ? socket_put_name(p, uaddr, ulen, name, len)
               : socket_put_name(p, uaddr, ulen, &unnamed, SOCKADDR_UN_MIN);
}

int64_t socket_may_move(struct sys_ctx *c, struct file *f, bool write, int how)
{
    if (!f->pipe) { /* not connected (listening, perhaps): as Linux, a write says so, a read is EINVAL */
        bool tcp = f->sock && f->sock->inet;
        if (tcp && write && !(how & MOVE_NOSIGNAL))
            signal_send_thread(c->p, SIGPIPE, NULL);
        return !tcp ? write ? -LINUX_ENOTCONN : -LINUX_EINVAL : write ? -LINUX_EPIPE : -LINUX_ENOTCONN; /* TCP's */
    }
    if (write ? (f->shut & SHUT_WRITE) : (f->shut & SHUT_READ)) {
        if (!write && f->sock && f->sock->inet && pipe_len(f->pipe))
            return SOCKET_MAY; /* TCP: what came is still read, as tcp_recvmsg's */
        if (!write)
            return 0; /* shut for reading: end of file */
        if (!(how & MOVE_NOSIGNAL))
            signal_send_thread(c->p, SIGPIPE, NULL);
        return -LINUX_EPIPE;
    }
    return SOCKET_MAY;
}

int64_t socket_io(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                  bool write, int how)
{
    if (f->flags & O_NONBLOCK)
        how |= MOVE_NONBLOCK;
    int64_t may = socket_may_move(c, f, write, how);
    if (may != SOCKET_MAY) {
        if (!one)
            free(segs);
        return may;
    }
    struct inet_sock *s = f->sock ? f->sock->inet : NULL;
    int64_t gone = s && write && total ? tcp_write_gone(c, f, how, total) : SOCKET_MAY;
    if (gone != SOCKET_MAY) { /* TCP: the peer reset, or closed (tcpclose.c) */
        if (!one)
            free(segs);
        return gone;
    }
    if (s && write && s->rst)
        s->err = 0; /* this EPIPE reports it */
    if (s && write && total)
        netstat_tcp_data(&s->remote);
    struct scm own = {0}, *was = c->scm;
    if (f->sock && !s && !write && f->sock->passcred)
        how |= MOVE_PASSCRED; /* SCM_CREDENTIALS with the bytes, one writer's at a time */
    if (f->sock && !s && write) { /* an AF_UNIX stream's bytes carry credentials, as Linux's maybe_add_creds */
        if (!c->scm)
            c->scm = &own;
        if (!c->scm->has_cred) {
            struct sock *to = pipe_reader(f->peer);
            bool asked = f->sock->passcred || !to || to->passcred || to->embryo;
            c->scm->cred = asked ? (struct ucred_k){proc_tgid(c->p), c->p->cred.uid, c->p->cred.gid}
                                 : (struct ucred_k){0, OVERFLOW_ID, OVERFLOW_ID};
            c->scm->has_cred = true;
        }
    }
    int64_t r = pipe_move(c, write ? f->peer : f->pipe, segs, nsegs, one, total, write, how);
    c->scm = was;
    uint64_t timeo = !f->sock ? 0 : write ? f->sock->sndtimeo : f->sock->rcvtimeo;
    if (c->deferred && c->p->block.pipe && timeo) { /* it waits: SO_RCVTIMEO or SO_SNDTIMEO ends it */
        c->p->block.deadline = clock_now() + timeo;
        wait_rearm_for(c->p);
    }
    return r;
}

static int socket_poll(struct file *f)
{
    if (f->sock && f->sock->listening)
        return f->sock->queue ? POLLIN : 0; /* a connection to accept */
    if (!f->pipe) /* unconnected: POLLOUT and POLLHUP, and what a shutdown for reading adds, or a refusal */
        return POLLOUT | POLLHUP | ((f->shut & SHUT_READ) ? POLLIN | POLLRDHUP : 0) |
               (f->sock && f->sock->inet && f->sock->inet->err ? POLLERR : 0);
    size_t lowat = f->sock && f->sock->inet && f->sock->rcvlowat > 1 ? (size_t)f->sock->rcvlowat : 1; /* TCP's */
    int pri = oob_poll(f, &lowat); /* urgent data: POLLPRI */
    int in = pipe_len(f->pipe) >= lowat || !pipe_ends(f->pipe, true) || (f->shut & SHUT_READ) ? POLLIN : 0;
    bool peer_gone = !pipe_ends(f->peer, false) || (f->shut & SHUT_WRITE);
    int out = pipe_has_room(f->peer) || peer_gone ? POLLOUT : 0; /* a write would not wait */
    int hup = !pipe_ends(f->pipe, true) && peer_gone ? POLLHUP : 0;
    struct inet_sock *s = f->sock ? f->sock->inet : NULL;
    if (s) /* TCP: hung up when both ways are shut here (the peer's FIN shuts reading), or reset */
        hup = ((!pipe_ends(f->pipe, true) || (f->shut & SHUT_READ)) && (f->shut & SHUT_WRITE)) || s->rst || pipe_was_reset(f->pipe)
                  ? POLLHUP : 0;
    int rdhup = !pipe_ends(f->pipe, true) || (f->shut & SHUT_READ) ? POLLRDHUP : 0;
    int err = pipe_reset_pending(f->pipe) || (s && s->err) ? POLLERR : 0;
    return in | out | hup | rdhup | err | pri;
}

static void wake_connects(struct sock *l, bool closed);

void socket_release(struct file *f)
{
    struct sock *k = f->sock;
    if (k) {
        unix_unbind(k);
        unix_forget(k);
        for (struct proc *p = proc_list(); p; p = p->next)
            if (!p->zombie && p->wait.kind == WAIT_ACCEPT && p->wait.fds == (uintptr_t)k)
                wait_finish(p, -LINUX_EBADF); /* its descriptor was closed under it */
        wake_connects(k, true);
        if (k->inet)
            inet_release(k);
        for (struct conn *q = k->queue, *n; q; q = n) {
            n = q->next;
            if (q->f->peer)
                pipe_set_reset(q->f->peer); /* never accepted: reset, as Linux */
            if (q->f->sock && q->f->sock->inet)
                tcp_tap_close(q->f->sock->inet, true); /* inet_csk_listen_stop's reset (tcptap.c) */
            file_put(q->f);
            free(q);
        }
        bpf_sock_release(k);
        netns_sock_put(k);
        free(k);
    }
}

/* Both ends hold both pipes until they close, so that a pipe a shutdown
 * has ended stays there for the end still pointing at it. */
static void socket_close(struct file *f)
{
    struct sock *k = f->sock;
    bool tcp = k && k->inet;
    bool abort = tcp && k->linger_on && k->linger == 0; /* TCP's SO_LINGER of no time */
    if (f->pipe && k && k->inet && (pipe_has_data(f->pipe) || abort)) /* a reset (tcp_close's counts) */
        netstat_tcp_abort(&k->inet->remote, !pipe_has_data(f->pipe));
    if (f->pipe && k && k->inet) /* its FIN, or its reset (tcptap.c) */
        tcp_tap_close(k->inet, pipe_has_data(f->pipe) || abort);
    if (f->pipe)
        pipe_set_reader(f->pipe, NULL); /* its sock goes now */
    socket_release(f);
    if (!f->pipe)
        return;
    if (pipe_has_data(f->pipe) || abort) /* closed with data unread, or abort: Linux resets the connection */
        pipe_set_reset(f->peer);
    pipe_drop(f->pipe, !(f->shut & SHUT_READ) || tcp, 0); /* TCP's SHUT_RD kept its reader */
    pipe_drop(f->peer, 0, !(f->shut & SHUT_WRITE));
    pipe_unhold(f->pipe);
    pipe_unhold(f->peer);
}

/* ---- the file operations of sockets ---- */

static int64_t socket_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct io_seg seg = {ubuf, len};
    return socket_io(c, f, &seg, 1, true, len, false, 0);
}

static int64_t socket_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct io_seg seg = {ubuf, len};
    return socket_io(c, f, &seg, 1, true, len, true, 0);
}

static int64_t socket_iov(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total,
                          bool write)
{
    return socket_io(c, f, segs, nsegs, false, total, write, 0);
}

/* Linux's sockfs, where a socket's inode is (fstat, statfs). */
struct fs sockfs = {.type = "sockfs", .dev = DEV_ANONFS, .magic = SOCKFS_MAGIC};

void socket_stat(const struct file *f, struct linux_stat *st)
{
    stat_anon(&sockfs, S_IFSOCK | 0777, socket_ino(f), st);
    if (f->sock) /* its times stay 0, as sock_alloc leaves them */
        st->uid = f->sock->uid, st->gid = f->sock->gid;
}

const struct file_ops socket_fops = {.read = socket_read, .write = socket_write, .rw_iov = socket_iov,
                                     .poll = socket_poll, .ioctl = netdev_ioctl, .stat = socket_stat,
                                     .release = socket_close, .fs = &sockfs, .stream = true,
                                     .fdinfo = unix_fdinfo};

/* A connected end over the pipes in and out; sock: its names, or NULL. */
static struct file *connected_end(struct pipe *in, struct pipe *out, int flags, struct sock *sock)
{
    struct file *f = calloc(1, sizeof *f);
    if (f)
        *f = (struct file){.ops = &socket_fops, .kind = FILE_SOCKET, .pipe = in, .peer = out,
                           .flags = O_RDWR | (flags & O_NONBLOCK), .refs = 1, .sock = sock};
    return f;
}

static int64_t sys_socketpair(struct sys_ctx *c, uint64_t domain, int type_flags, uint64_t protocol, uint64_t usv)
{
    int type = type_flags & SOCK_TYPE_MASK, flags = type_flags & ~SOCK_TYPE_MASK;
    if (flags & ~(O_NONBLOCK | O_CLOEXEC))
        return -LINUX_EINVAL;
    if (domain != AF_UNIX) { /* as Linux: made as socket(2) makes it (its errors), then the family has no pairs */
        int64_t fd = sys_socket(c, domain, type_flags, protocol);
        if (fd < 0)
            return fd;
        struct file *f = fd_file_raw(c->p, fd);
        if (fd_clear(c->p->fds, (int)fd) == 0)
            file_put(f);
        return -LINUX_EOPNOTSUPP;
    }
    if (protocol != 0 && protocol != AF_UNIX)
        return -LINUX_EPROTONOSUPPORT;
    if (type == SOCK_DGRAM || type == SOCK_RAW || type == SOCK_SEQPACKET)
        return umsg_pair(c, type, flags, usv);
    if (type != SOCK_STREAM)
        return -LINUX_ESOCKTNOSUPPORT;
    struct pipe *ab = pipe_new(1, 1, 2), *ba = pipe_new(1, 1, 2);
    struct sock *ka = sock_new(), *kb = sock_new(); /* unnamed, for their options */
    struct file *a = connected_end(ba, ab, flags, ka), *b = connected_end(ab, ba, flags, kb);
    if (!ab || !ba || !a || !b || !ka || !kb) {
        free(ab), free(ba), free(a), free(b), free(ka), free(kb);
        return -LINUX_ENOMEM;
    }
    sock_set_cred(ka, c->p), sock_set_cred(kb, c->p); /* each end's peer is its maker */
    pipe_set_reader(ab, kb), pipe_set_reader(ba, ka);
    unix_register(ka, a), unix_register(kb, b);
    landlock_own(a, c->p), landlock_own(b, c->p);
    return fd_alloc_pair(c->p, a, b, (flags & O_CLOEXEC) != 0, usv);
}

static int64_t sys_shutdown(struct sys_ctx *c, uint64_t fd, uint64_t how)
{
    int64_t err;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    if (how > SHUT_RDWR)
        return -LINUX_EINVAL;
    if (udp_of(f))
        return udp_shutdown(f, (int)how);
    if (nl_of(f))
        return -LINUX_EOPNOTSUPP;
    if (umsg_of(f))
        return umsg_shutdown(f, (int)how);
    if (f->sock && f->sock->inet && !f->pipe && !f->sock->listening)
        return -LINUX_ENOTCONN; /* TCP's, unlike AF_UNIX's */
    int want = (int)how + 1, now = want & ~f->shut; /* the shut bits of SHUT_RD, SHUT_WR or SHUT_RDWR */
    f->shut |= want;
    if (!f->pipe)
        return 0; /* unconnected: only its own state changes, as on Linux */
    if ((now & SHUT_WRITE) && f->sock && f->sock->inet)
        tcp_tap_close(f->sock->inet, false); /* its FIN (tcptap.c) */
    if (!(f->sock && f->sock->inet)) /* TCP's SHUT_RD sends nothing: the peer's bytes still come */
        pipe_drop(f->pipe, (now & SHUT_READ) != 0, 0); /* the peer's writes now fail */
    pipe_drop(f->peer, 0, (now & SHUT_WRITE) != 0);  /* the peer reads the end */
    return 0;
}

bool socket_connected(struct file *f)
{
    return f->pipe || (udp_of(f) && f->sock->peerlen) || umsg_connected(f);
}

static int64_t name_of(struct sys_ctx *c, uint64_t fd, uint64_t uaddr, uint64_t ulen, bool peer)
{
    int64_t err;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    if (nl_of(f))
        return nl_name(c, f, uaddr, ulen, peer);
    if (peer && f->sock && f->sock->inet && f->sock->inet->kind == PACKET_SOCK)
        return -LINUX_EOPNOTSUPP; /* packet_getname has no peer */
    if (peer && !socket_connected(f))
        return -LINUX_ENOTCONN;
    struct sock *k = f->sock; /* a socketpair's ends are unnamed */
    return put_sock_name(c->p, uaddr, ulen, k ? peer ? &k->peer : &k->name : NULL,
                         k ? peer ? k->peerlen : k->namelen : 0);
}

static int64_t sys_getsockname(struct sys_ctx *c, uint64_t fd, uint64_t uaddr, uint64_t uaddrlen)
{
    return name_of(c, fd, uaddr, uaddrlen, false);
}

static int64_t sys_getpeername(struct sys_ctx *c, uint64_t fd, uint64_t uaddr, uint64_t uaddrlen)
{
    return name_of(c, fd, uaddr, uaddrlen, true);
}

static int64_t sys_socket(struct sys_ctx *c, uint64_t domain, int type_flags, uint64_t protocol)
{
    int type = type_flags & SOCK_TYPE_MASK, flags = type_flags & ~SOCK_TYPE_MASK;
    if (flags & ~(O_NONBLOCK | O_CLOEXEC))
        return -LINUX_EINVAL;
    if (domain >= AF_MAX)
        return -LINUX_EAFNOSUPPORT;
    if (type >= SOCK_MAX)
        return -LINUX_EINVAL;
    if (domain == AF_INET || domain == AF_INET6)
        return inet_socket(c, (int)domain, type, flags, protocol);
    if (domain == AF_NETLINK)
        return nl_socket(c, type, flags, protocol);
    if (domain == AF_PACKET) /* packet.c */
        return packet_socket(c, type, flags, protocol);
    if (domain != AF_UNIX)
        return -LINUX_EAFNOSUPPORT;
    if (protocol != 0 && protocol != AF_UNIX)
        return -LINUX_EPROTONOSUPPORT;
    if (type == SOCK_DGRAM || type == SOCK_RAW || type == SOCK_SEQPACKET)
        return umsg_socket(c, type, flags);
    if (type != SOCK_STREAM)
        return -LINUX_ESOCKTNOSUPPORT;
    struct file *f = calloc(1, sizeof *f);
    struct sock *k = sock_new();
    if (!f || !k) {
        free(f), free(k);
        return -LINUX_ENOMEM;
    }
    *f = (struct file){.ops = &socket_fops, .kind = FILE_SOCKET, .flags = O_RDWR | (flags & O_NONBLOCK), .refs = 1,
                       .sock = k};
    unix_register(k, f);
    landlock_own(f, c->p); /* its maker's domain, which Landlock's scopes ask about */
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    return fd;
}

static int64_t sys_listen(struct sys_ctx *c, uint64_t fd, int backlog)
{
    int64_t err;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    struct sock *k = f->sock;
    if (nl_of(f) || k->type == SOCK_DGRAM)
        return -LINUX_EOPNOTSUPP;
    if (k->inet && (err = inet_listen(f)) < 0)
        return err;
    if (!k->namelen || f->pipe || umsg_connected(f))
        return -LINUX_EINVAL; /* unnamed, or connected */
    k->backlog = backlog < 0 || backlog > net_sysctl(k)->somaxconn ? net_sysctl(k)->somaxconn : backlog;
    k->listening = true;
    if (!k->inet) /* what a connecting end's SO_PEERCRED says, as Linux's listen sets it */
        sock_set_cred(k, c->p);
    return 0;
}

/* Takes the oldest connection off a listening socket's queue into a new
 * descriptor of p, the peer's name to uaddr (if not 0). */
static int64_t take_conn(struct proc *p, struct sock *l, int flags, uint64_t uaddr, uint64_t ulen)
{
    struct conn *q = l->queue;
    struct file *f = q->f;
    l->queue = q->next;
    free(q);
    f->sock->embryo = false;
    f->flags = O_RDWR | (flags & O_NONBLOCK);
    if (uaddr && put_sock_name(p, uaddr, ulen, &f->sock->peer, f->sock->peerlen) < 0) {
        file_put(f); /* as Linux: the connection is lost with the address */
        return -LINUX_EFAULT;
    }
    int fd = fd_alloc(p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    return fd;
}

static int64_t do_accept(struct sys_ctx *c, uint64_t fd, uint64_t uaddr, uint64_t ulen, uint64_t flags)
{
    int64_t err;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    if (flags & ~(uint64_t)(O_NONBLOCK | O_CLOEXEC))
        return -LINUX_EINVAL;
    struct sock *l = f->sock;
    if (udp_of(f) || nl_of(f) || l->type == SOCK_DGRAM)
        return -LINUX_EOPNOTSUPP;
    if (!l->listening)
        return -LINUX_EINVAL;
    if (l->queue) {
        int64_t r = take_conn(c->p, l, (int)flags, uaddr, ulen);
        wake_connects(l, false); /* room for a connect that waits */
        return r;
    }
    if (f->flags & O_NONBLOCK)
        return -LINUX_EAGAIN;
    c->p->wait = (struct proc_wait){.kind = WAIT_ACCEPT, .token = c->token, .fds = (uintptr_t)l, .nfds = flags,
                                    .tv = uaddr, .sets = {ulen},
                                    .deadline = l->rcvtimeo ? clock_now() + l->rcvtimeo : 0};
    if (l->rcvtimeo) /* SO_RCVTIMEO: EAGAIN then */
        wait_rearm_for(c->p);
    c->deferred = true;
    return 0;
}

static int64_t sys_accept(struct sys_ctx *c, uint64_t fd, uint64_t uaddr, uint64_t uaddrlen)
{
    return do_accept(c, fd, uaddr, uaddrlen, 0);
}

static int64_t sys_accept4(struct sys_ctx *c, uint64_t fd, uint64_t uaddr, uint64_t uaddrlen, uint64_t flags)
{
    return do_accept(c, fd, uaddr, uaddrlen, flags);
}

/* The listening socket an address names: ENOENT and the like for a path
 * that is not there, ECONNREFUSED for one nobody listens on. */
static int64_t listener_of(struct sys_ctx *c, struct sockaddr_k *a, uint32_t len, int type, struct sock **out)
{
    int64_t r = unix_lookup(c, a, len, type, out);
    return r < 0 ? r : (*out)->listening ? 0 : -LINUX_ECONNREFUSED;
}

static int queued(const struct sock *l)
{
    int n = 0;
    for (struct conn *q = l->queue; q; q = q->next)
        n++;
    return n;
}

/* Queues a connection from the unconnected socket f to the listener l,
 * and wakes an accept waiting there. */
/* A stream's accepted end, over two new pipes, which f now reads and
 * writes too; NULL without memory. */
static struct file *stream_accepted(struct file *f)
{
    struct pipe *up = pipe_new(1, 1, 2), *down = pipe_new(1, 1, 2);
    struct sock *ak = calloc(1, sizeof *ak);
    struct file *af = connected_end(up, down, 0, ak);
    if (!up || !down || !ak || !af) {
        free(up), free(down), free(ak), free(af);
        return NULL;
    }
    ak->ino = anon_ino(), ak->uid = fs_cred->fsuid, ak->gid = fs_cred->fsgid;
    netns_sock_hold(ak, f->sock->net); /* the connection's namespace */
    f->pipe = down, f->peer = up;
    pipe_set_reader(up, ak), pipe_set_reader(down, f->sock);
    pipe_drop(down, (f->shut & SHUT_READ) != 0, 0); /* a shutdown made before connecting holds, */
    pipe_drop(up, 0, (f->shut & SHUT_WRITE) != 0);  /* as socket_close counts on */
    return af;
}

int64_t socket_join(struct proc *by, struct file *f, struct sock *l)
{
    struct sock *k = f->sock;
    struct conn *q = calloc(1, sizeof *q);
    struct file *af = !q ? NULL : l->type ? umsg_accepted(f, l) : stream_accepted(f); /* seqpacket, or stream */
    if (!af) {
        free(q);
        return -LINUX_ENOMEM;
    }
    /* The accepted end is named as the listener, and its peer is this
     * socket; this socket's peer is the listener. */
    struct sock *ak = af->sock;
    static const int32_t nobody[3] = {0, -1, -1};
    ak->name = l->name, ak->namelen = l->namelen, ak->peer = k->name, ak->peerlen = k->namelen;
    ak->rcvbuf = l->rcvbuf, ak->sndbuf = l->sndbuf, ak->rcvlowat = l->rcvlowat;
    ak->passcred = l->passcred, ak->embryo = true; /* queued, not yet accepted; the listener's SO_PASSCRED */
    memcpy(ak->peercred, nobody, sizeof nobody);
    if (!l->inet) { /* SO_PEERCRED: the accepted end names the connecting process, this one the listener's */
        sock_set_cred(ak, by);
        memcpy(k->peercred, l->peercred, sizeof k->peercred);
    }
    k->peer = l->name, k->peerlen = l->namelen;
    if (l->inet) /* the names are the addresses the connection has */
        inet_joined(k, l, ak);
    if (ak->inet) /* its file, whose owner urgent data signals */
        ak->inet->file = af;
    else if (!l->type)
        unix_register(ak, af);
    q->f = af;
    struct conn **tail = &l->queue;
    while (*tail)
        tail = &(*tail)->next;
    *tail = q;
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->wait.kind == WAIT_ACCEPT && p->wait.fds == (uintptr_t)l) {
            wait_finish(p, take_conn(p, l, (int)p->wait.nfds, p->wait.tv, p->wait.sets[0]));
            break;
        }
    poll_recheck();
    return 0;
}

/* An accept made room on l's queue, or l closed: the connects waiting for
 * it go on, while there is room (ECONNREFUSED if it closed).  A waiter's
 * socket is found again by its descriptor. */
static void wake_connects(struct sock *l, bool closed)
{
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || p->wait.kind != WAIT_CONNECT || p->wait.fds != (uintptr_t)l)
            continue;
        if (closed) {
            wait_finish(p, -LINUX_ECONNREFUSED);
            continue;
        }
        if (queued(l) > l->backlog)
            return;
        struct file *f = fd_file(p, p->wait.nfds);
        wait_finish(p, !f || f->kind != FILE_SOCKET ? -LINUX_EBADF : f->pipe || umsg_connected(f) ? -LINUX_EISCONN
                       : !f->sock || f->sock->listening ? -LINUX_EINVAL : socket_join(p, f, l));
    }
}

static int64_t sys_connect(struct sys_ctx *c, uint64_t fd, uint64_t uaddr, uint64_t addrlen)
{
    int64_t err;
    struct file *f = socket_of(c, fd, &err);
    struct sockaddr_k a;
    struct sock *l;
    if (!f)
        return err;
    if (f->sock && f->sock->inet)
        return inet_connect(c, f, fd, uaddr, addrlen);
    if (nl_of(f))
        return nl_connect(c, f, uaddr, addrlen);
    if (umsg_of(f))
        return umsg_connect(c, f, fd, uaddr, addrlen);
    if ((err = unix_addr_in(c, uaddr, addrlen, &a)) < 0 ||
        (err = listener_of(c, &a, (uint32_t)addrlen, SOCK_STREAM, &l)) < 0)
        return err;
    if (f->pipe)
        return -LINUX_EISCONN;
    if (!f->sock || f->sock->listening)
        return -LINUX_EINVAL;
    return socket_connect_to(c, f, fd, l);
}

int64_t socket_connect_to(struct sys_ctx *c, struct file *f, uint64_t fd, struct sock *l)
{
    if (queued(l) <= l->backlog)
        return socket_join(c->p, f, l);
    if (f->flags & O_NONBLOCK) /* full: EAGAIN, or wait for an accept to make room, as Linux */
        return -LINUX_EAGAIN;
    c->p->wait = (struct proc_wait){.kind = WAIT_CONNECT, .token = c->token, .fds = (uintptr_t)l, .nfds = fd};
    c->deferred = true;
    return 0;
}
