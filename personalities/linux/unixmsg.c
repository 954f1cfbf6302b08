/*
 * personalities/linux/unixmsg.c - AF_UNIX datagram and seqpacket sockets.
 * Each has a queue of messages (struct umsg): a send copies its bytes into
 * one, with the sender's name, its credentials and the descriptors passed
 * (SCM_RIGHTS), and puts it on the receiver's queue; a receive takes one
 * whole (the rest of a longer one is lost: MSG_TRUNC), or looks at it
 * (MSG_PEEK, which hands out the descriptors too, as Linux).  A datagram
 * goes to the address sendto names or to the peer connect set; a socket
 * connected to another takes datagrams from that one only (EPERM).  A
 * seqpacket socket connects through listen and accept as a stream does
 * (socket.c's queue; socket_join makes the accepted end here), and its
 * records go to its peer.
 *
 * As Linux's, a queue is full past net.unix.max_dgram_qlen messages (its
 * namespace's when the receiver was made; for
 * a receiver not connected back to the sender), and a sender's messages
 * not yet read count against its SO_SNDBUF; a send then waits, or says
 * EAGAIN.  A call that waits (WAIT_UNIXQ on the socket whose queue must
 * move) runs again from the start when that queue moves, as a splice
 * does, so nothing is half done while it waits.
 *
 * Entry points: socket.h (umsg_*).  Callers: socket.c, sockmsg.c,
 * sockopt.c, unixctl.c.  Layer: a file type, beside socket.c.  Book:
 * docs/linux.md, "Networking".
 */
#include "inet.h"
#include "netsysctl.h"
#include "proc.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MSG_OVERHEAD 768    /* what Linux counts against the send buffer beyond the bytes (about) */

struct usock *usocks; /* every datagram and seqpacket socket (unixctl.c's /proc/net/unix and collection) */

bool umsg_of(const struct file *f) { return f->kind == FILE_SOCKET && f->ops == &umsg_fops; }

static struct usock *us(const struct file *f) { return f->sock->un; }

/* Wakes the calls waiting on u's queue: they run again. */
static void wake(struct usock *u)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->wait.kind == WAIT_UNIXQ && p->wait.fds == (uintptr_t)u)
            wait_finish(p, -ERESTARTSYS);
    poll_recheck();
}

/* Waits on u's queue (deadline: SO_RCVTIMEO or SO_SNDTIMEO, ns; 0: none). */
static int64_t wait_on(struct sys_ctx *c, struct usock *u, uint64_t timeo)
{
    c->p->wait = (struct proc_wait){.kind = WAIT_UNIXQ, .token = c->token, .fds = (uintptr_t)u,
                                    .deadline = timeo ? clock_now() + timeo : 0};
    if (timeo)
        wait_rearm_for(c->p);
    c->deferred = true;
    return 0;
}

static void msg_free(struct umsg *m)
{
    if (m->fds)
        fd_batch_free(m->fds);
    free(m);
}

/* Takes u's oldest message off its queue; its sender has that room again. */
static struct umsg *dequeue(struct usock *u)
{
    struct umsg *m = u->queue;
    if (!(u->queue = m->next))
        u->tail = &u->queue;
    u->qlen--;
    if (m->from) {
        m->from->wmem -= m->charge;
        wake(m->from);
    }
    wake(u);
    return m;
}

struct usock *umsg_new(int type, struct sock *k, struct file *f)
{
    struct usock *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->type = type, u->sock = k, u->file = f, u->tail = &u->queue;
    u->max_qlen = net_sysctl(k)->max_dgram_qlen; /* unix_create1: its namespace's, at its making */
    k->un = u, k->type = type;
    u->next = usocks;
    usocks = u;
    return u;
}

/* A new socket's file, with its sock and usock; NULL without memory. */
static struct file *new_file(int type, int flags)
{
    struct file *f = calloc(1, sizeof *f);
    struct sock *k = sock_new();
    if (!f || !k || !umsg_new(type, k, f)) {
        free(f), free(k);
        return NULL;
    }
    *f = (struct file){.ops = &umsg_fops, .kind = FILE_SOCKET, .flags = O_RDWR | (flags & O_NONBLOCK), .refs = 1,
                       .sock = k};
    unix_register(k, f);
    return f;
}

int64_t umsg_socket(struct sys_ctx *c, int type, int flags)
{
    struct file *f = new_file(type == SOCK_RAW ? SOCK_DGRAM : type, flags); /* SOCK_RAW is a datagram socket, as Linux */
    if (!f)
        return -LINUX_ENOMEM;
    landlock_own(f, c->p); /* its maker's domain, which Landlock's scopes ask about */
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    return fd;
}

/* Connects a and b to each other (a socketpair, or an accepted seqpacket). */
static void join(struct usock *a, struct usock *b)
{
    a->peer = b, b->peer = a;
    a->connected = b->connected = true;
}

int64_t umsg_pair(struct sys_ctx *c, int type, int flags, uint64_t usv)
{
    type = type == SOCK_RAW ? SOCK_DGRAM : type;
    struct file *a = new_file(type, flags), *b = new_file(type, flags);
    if (!a || !b) {
        if (a)
            file_put(a);
        if (b)
            file_put(b);
        return -LINUX_ENOMEM;
    }
    join(us(a), us(b));
    sock_set_cred(a->sock, c->p), sock_set_cred(b->sock, c->p); /* each end's peer is its maker */
    landlock_own(a, c->p), landlock_own(b, c->p);
    return fd_alloc_pair(c->p, a, b, (flags & O_CLOEXEC) != 0, usv);
}

struct file *umsg_accepted(struct file *f, struct sock *l)
{
    struct file *af = new_file(SOCK_SEQPACKET, 0);
    if (!af)
        return NULL;
    af->sock->rcvbuf = l->rcvbuf, af->sock->sndbuf = l->sndbuf;
    join(us(f), us(af));
    return af;
}

bool umsg_connected(const struct file *f) { return umsg_of(f) && us(f)->connected; }

/* A datagram socket's connect: its default destination, and the only
 * sender it takes from (AF_UNSPEC: none again). */
static int64_t dgram_connect(struct sys_ctx *c, struct usock *u, uint64_t uaddr, uint64_t addrlen)
{
    struct sockaddr_k a;
    struct sock *k = u->sock, *dk;
    uint16_t family;
    int64_t err;
    if (addrlen >= sizeof family && mem_in(c->p, &family, uaddr, sizeof family) == 0 && family == AF_UNSPEC) {
        if (u->peer && u->peer->peer == u)
            u->peer->err = LINUX_ECONNRESET; /* as Linux's unix_dgram_disconnected */
        u->peer = NULL, u->refused = false, k->peerlen = 0;
        poll_recheck();
        return 0;
    }
    if ((err = unix_addr_in(c, uaddr, addrlen, &a)) < 0 || (err = unix_lookup(c, &a, (uint32_t)addrlen, SOCK_DGRAM, &dk)) < 0)
        return err;
    if (dk->un->peer && dk->un->peer != u)
        return -LINUX_EPERM; /* it takes datagrams from another only */
    if (k->passcred)
        unix_autobind(k);
    if (u->peer && u->peer != dk->un && u->peer->peer == u)
        u->peer->err = LINUX_ECONNRESET;
    u->peer = dk->un, u->refused = false, u->connected = true, dk->un->connected = true;
    k->peer = dk->name, k->peerlen = dk->namelen;
    poll_recheck();
    return 0;
}

int64_t umsg_connect(struct sys_ctx *c, struct file *f, uint64_t fd, uint64_t uaddr, uint64_t addrlen)
{
    struct usock *u = us(f);
    struct sockaddr_k a;
    struct sock *l;
    int64_t err;
    if (u->type == SOCK_DGRAM)
        return dgram_connect(c, u, uaddr, addrlen);
    if ((err = unix_addr_in(c, uaddr, addrlen, &a)) < 0)
        return err;
    if (u->connected)
        return -LINUX_EISCONN;
    if (f->sock->listening)
        return -LINUX_EINVAL;
    if ((err = unix_lookup(c, &a, (uint32_t)addrlen, SOCK_SEQPACKET, &l)) < 0)
        return err;
    if (!l->listening)
        return -LINUX_ECONNREFUSED;
    if (f->sock->passcred)
        unix_autobind(f->sock);
    return socket_connect_to(c, f, fd, l);
}

int64_t umsg_shutdown(struct file *f, int how)
{
    struct usock *u = us(f);
    int want = how + 1;
    u->shut |= want;
    if (u->type == SOCK_SEQPACKET && u->peer) { /* the peer's other way ends with it */
        u->peer->shut |= ((want & SHUT_READ) ? SHUT_WRITE : 0) | ((want & SHUT_WRITE) ? SHUT_READ : 0);
        wake(u->peer);
    }
    wake(u);
    return 0;
}

/* ---- sending ---- */

/* The socket a send goes to: the address's, or the peer; -errno. */
static int64_t destination(struct sys_ctx *c, struct usock *u, uint64_t uaddr, uint64_t addrlen, struct usock **to)
{
    if (u->type == SOCK_SEQPACKET) { /* an address is ignored, as Linux */
        if (!u->connected)
            return -LINUX_ENOTCONN;
        if ((u->shut & SHUT_WRITE) || !u->peer)
            return -LINUX_EPIPE;
        *to = u->peer;
        return 0;
    }
    if (!uaddr) {
        if (u->refused) { /* the peer closed: said once, and the socket is unconnected now */
            u->refused = false, u->sock->peerlen = 0;
            return -LINUX_ECONNREFUSED;
        }
        if (!u->peer)
            return -LINUX_ENOTCONN;
        *to = u->peer;
    } else {
        struct sockaddr_k a;
        struct sock *dk;
        int64_t err;
        if ((err = unix_addr_in(c, uaddr, addrlen, &a)) < 0 ||
            (err = unix_lookup(c, &a, (uint32_t)addrlen, SOCK_DGRAM, &dk)) < 0)
            return err;
        *to = dk->un;
    }
    if ((*to)->peer && (*to)->peer != u)
        return -LINUX_EPERM; /* connected to another: it takes datagrams from that one only */
    if (u->shut & SHUT_WRITE)
        return -LINUX_EPIPE;
    return 0;
}

/* Whether u may send to `to` now: its send buffer, and to's queue. */
static bool room(const struct usock *u, const struct usock *to)
{
    return u->wmem < (uint64_t)u->sock->sndbuf && (to->peer == u || to->qlen <= to->max_qlen);
}

int64_t umsg_send(struct sys_ctx *c, struct file *f, const struct io_seg *segs, int nsegs, uint64_t total,
                  uint64_t flags, uint64_t uaddr, uint64_t addrlen, struct umsg_ctl *ctl)
{
    struct usock *u = us(f), *to;
    int64_t err, sent = (int64_t)total;
    if (flags & MSG_OOB)
        return -LINUX_EOPNOTSUPP;
    if ((err = destination(c, u, uaddr, addrlen, &to)) < 0)
        return err;
    if ((to->shut & SHUT_READ) && u->type == SOCK_DGRAM)
        return -LINUX_EPIPE;
    if (total > (uint64_t)u->sock->sndbuf - 32)
        return -LINUX_EMSGSIZE;
    if (!room(u, to)) {
        if ((flags & MSG_DONTWAIT) || (f->flags & O_NONBLOCK))
            return -LINUX_EAGAIN;
        return wait_on(c, u->wmem >= (uint64_t)u->sock->sndbuf ? u : to, u->sock->sndtimeo);
    }
    struct umsg *m = malloc(sizeof *m + total);
    if (!m)
        return -LINUX_ENOMEM;
    m->when = realtime_ns(); /* its arrival, for SO_TIMESTAMP (tstamp.c) */
    uint64_t off = 0;
    for (int i = 0; i < nsegs; i++) {
        if (segs[i].len && mem_in(c->p, m->data + off, segs[i].base, segs[i].len) < 0) {
            free(m);
            return -LINUX_EFAULT;
        }
        off += segs[i].len;
    }
    if (to->sock->filter) { /* its socket filter: dropped (the sender is not told), or cut */
        uint64_t keep = bpf_sock_filter(to->sock, (const uint8_t *)m->data, total, 0, 1);
        if (keep == UINT64_MAX) {
            free(m);
            return sent;
        }
        total = keep;
    }
    if (u->sock->passcred)
        unix_autobind(u->sock); /* as Linux: a name to say who sent */
    m->next = NULL, m->from = u, m->len = total, m->charge = total + MSG_OVERHEAD;
    m->name = u->sock->name, m->namelen = u->sock->namelen;
    m->cred = ctl && ctl->has_cred ? ctl->cred
                                   : (struct ucred_k){proc_tgid(c->p), c->p->cred.uid, c->p->cred.gid};
    m->fds = ctl ? ctl->fds : NULL;
    if (ctl)
        ctl->fds = NULL; /* the message's now */
    *to->tail = m, to->tail = &m->next, to->qlen++;
    u->wmem += m->charge;
    wake(to);
    return sent;
}

/* ---- receiving ---- */

/* Copies a message across segments, as far as they go; the bytes copied. */
static int64_t copy_out(struct proc *p, const struct io_seg *segs, int nsegs, const struct umsg *m, uint64_t skip)
{
    uint64_t off = 0, len = m->len - skip;
    for (int i = 0; i < nsegs && off < len; i++) {
        uint64_t k = segs[i].len < len - off ? segs[i].len : len - off;
        if (k && mem_out(p, segs[i].base, m->data + skip + off, k) < 0)
            return -LINUX_EFAULT;
        off += k;
    }
    return (int64_t)off;
}

int64_t umsg_recv(struct sys_ctx *c, struct file *f, const struct io_seg *segs, int nsegs, uint64_t flags,
                  struct umsg_to *to)
{
    struct usock *u = us(f);
    if (flags & MSG_OOB)
        return -LINUX_EOPNOTSUPP;
    if (u->type == SOCK_SEQPACKET && !u->connected)
        return -LINUX_ENOTCONN;
    struct umsg *m = u->queue;
    struct sock *k = f->sock;
    uint64_t skip = 0; /* SO_PEEK_OFF: a peek starts past whole messages, then into one */
    if ((flags & MSG_PEEK) && k->peek_set && k->peek_off >= 0)
        for (skip = (uint64_t)k->peek_off; m && skip && skip >= m->len; m = m->next)
            skip -= m->len;
    if (!m) {
        if (u->err) {
            int e = u->err;
            u->err = 0;
            return -e;
        }
        if ((u->shut & SHUT_READ) || (u->type == SOCK_SEQPACKET && !u->peer))
            return 0; /* shut, or the peer closed: end of file */
        if ((flags & MSG_DONTWAIT) || (f->flags & O_NONBLOCK))
            return -LINUX_EAGAIN;
        return wait_on(c, u, u->sock->rcvtimeo);
    }
    int64_t got = copy_out(c->p, segs, nsegs, m, skip);
    if (got < 0)
        return got;
    to->trunc = (uint64_t)got < m->len - skip;
    if (to->name && socket_put_name(c->p, to->name, to->namelen, &m->name, m->namelen) < 0)
        return -LINUX_EFAULT;
    if (to->msg && umsg_control(c->p, f->sock, m, to, (flags & MSG_PEEK) != 0) < 0)
        return -LINUX_EFAULT;
    int64_t r = (flags & MSG_TRUNC) ? (int64_t)(m->len - skip) : got;
    if (k->peek_set && k->peek_off >= 0) { /* on by what a peek gave, back by a whole message read */
        int64_t o = k->peek_off + ((flags & MSG_PEEK) ? got : -(int64_t)m->len);
        k->peek_off = o < 0 ? 0 : o > INT32_MAX ? INT32_MAX : (int32_t)o;
    }
    if (!(flags & MSG_PEEK))
        msg_free(dequeue(u));
    return r;
}

/* ---- the file operations ---- */

static int64_t umsg_rw(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total, bool write)
{
    struct umsg_to to = {0};
    if (write)
        return umsg_send(c, f, segs, nsegs, total, 0, 0, 0, NULL);
    return total ? umsg_recv(c, f, segs, nsegs, 0, &to) : 0; /* a read of nothing takes nothing, as Linux's */
}

static int64_t umsg_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct io_seg seg = {ubuf, len};
    return umsg_rw(c, f, &seg, 1, len, false);
}

static int64_t umsg_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct io_seg seg = {ubuf, len};
    return umsg_rw(c, f, &seg, 1, len, true);
}

static int64_t umsg_iov(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total, bool write)
{
    int64_t r = umsg_rw(c, f, segs, nsegs, total, write);
    free(segs);
    return r;
}

static int umsg_poll(struct file *f)
{
    struct usock *u = us(f), *p = u->peer;
    if (f->sock->listening)
        return f->sock->queue ? POLLIN : 0;
    bool seq = u->type == SOCK_SEQPACKET, gone = seq && u->connected && !p;
    int shut = u->shut | (gone ? SHUT_READ | SHUT_WRITE : 0);
    int mask = (u->queue ? POLLIN : 0) | (u->err ? POLLERR : 0) | ((shut & SHUT_READ) ? POLLIN | POLLRDHUP : 0) |
               (shut == (SHUT_READ | SHUT_WRITE) || (seq && !u->connected) ? POLLHUP : 0);
    bool writable = u->wmem * 4 <= (uint64_t)f->sock->sndbuf && !(p && p->peer != u && p->qlen > p->max_qlen);
    return mask | (writable ? POLLOUT : 0);
}

static void umsg_close(struct file *f)
{
    struct usock *u = us(f);
    for (struct usock **pu = &usocks; *pu; pu = &(*pu)->next)
        if (*pu == u) {
            *pu = u->next;
            break;
        }
    bool unread = u->queue != NULL;
    while (u->queue)
        msg_free(dequeue(u));
    for (struct usock *o = usocks; o; o = o->next) {
        for (struct umsg *m = o->queue; m; m = m->next)
            if (m->from == u)
                m->from = NULL; /* its room is nobody's now */
        if (o->peer != u)
            continue;
        o->peer = NULL;
        if (o->type == SOCK_DGRAM) {
            o->refused = true; /* the next send says ECONNREFUSED */
        } else if (unread) {
            o->err = LINUX_ECONNRESET; /* as Linux: closed with data unread */
        }
        wake(o);
    }
    wake(u);
    free(u);
    f->sock->un = NULL;
    socket_release(f); /* the name, the queue of connections, the sock */
}

const struct file_ops umsg_fops = {.read = umsg_read, .write = umsg_write, .rw_iov = umsg_iov, .poll = umsg_poll,
                                   .ioctl = netdev_ioctl, .stat = socket_stat, .release = umsg_close,
                                   .fs = &sockfs, .stream = true, .fdinfo = unix_fdinfo};
