/*
 * personalities/linux/udp.c - UDP over the loopback.  A send copies its
 * bytes into one datagram and puts it on the receiving socket's queue (a
 * socket bound to the destination's address before a wildcard one; a
 * connected socket takes its peer's only); a datagram nobody takes is
 * lost, and a connected sender's next call says ECONNREFUSED, as Linux's
 * ICMP port unreachable does.  A queue past SO_RCVBUF drops what comes.
 * A receive takes one whole datagram (the rest of a longer one is lost:
 * MSG_TRUNC), or waits for one (WAIT_DGRAM, with SO_RCVTIMEO as its
 * deadline); sends never wait.  Sends with MSG_MORE gather into one
 * datagram (the socket's cork) that the next send without it sends.
 *
 * Entry points: inet.h (udp_fops, udp_sendto, udp_recvfrom, udp_msg,
 * udp_mmsg, udp_shutdown, udp_of, udp_free_queue).  Callers: sockmsg.c, socket.c,
 * sockopt.c, inet.c.  Layer: a
 * file type, over inet.c.  Book: docs/linux.md, "Networking".
 */
#include "netstat.h"
#include "packet.h"
#include "tstamp.h"
#include "proc.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define DGRAM_OVERHEAD 768 /* what Linux counts against the receive buffer beyond the bytes (about) */

struct dgram {
    struct dgram *next;
    struct inet_addr from;
    uint8_t ttl;    /* its IP TTL or IPv6 hop limit (IP_RECVTTL, IPV6_RECVHOPLIMIT) */
    uint64_t len;
    int64_t when; /* its arrival, on CLOCK_REALTIME (tstamp.c) */
    char data[];
};

/* A blocked readv's buffers, kept on the socket while it waits (a signal
 * may end the wait elsewhere: sweep frees them then). */
struct seg_hold {
    struct seg_hold *next;
    struct io_seg *segs;
    int nsegs;
};

bool udp_of(const struct file *f) { return f->kind == FILE_SOCKET && f->ops == &udp_fops; }

void udp_free_queue(struct inet_sock *s)
{
    while (s->held) { /* no call waits on a socket being freed */
        struct seg_hold *h = s->held;
        s->held = h->next;
        free(h->segs);
        free(h);
    }
    while (s->queue) {
        struct dgram *d = s->queue;
        s->queue = d->next;
        free(d);
    }
    s->queued = 0;
    free(s->cork);
    s->cork = NULL;
}

/* A receive's arguments, as a waiting one keeps them in its proc_wait. */
struct rx {
    uint64_t buf, len, addr, addrlen, msg; /* msg: a recvmsg's msghdr (buf and len unused) */
    int flags;
    const struct io_seg *segs;             /* a readv's buffers (buf and len unused), nsegs of them */
    int nsegs;
};

#define READV_WAIT (1ull << 41) /* in a waiting receive's flags: a readv's, its seg_hold in tv */

/* Copies a datagram across segments, as far as they go; the bytes copied
 * to *off, -EFAULT or 0. */
static int64_t segs_out(struct proc *p, const struct io_seg *segs, uint64_t nsegs, const struct dgram *d,
                        uint64_t skip, uint64_t *off)
{
    *off = 0;
    for (uint64_t i = 0; i < nsegs && *off < d->len - skip; i++) {
        uint64_t k = segs[i].len < d->len - skip - *off ? segs[i].len : d->len - skip - *off;
        if (k && mem_out(p, segs[i].base, d->data + skip + *off, k) < 0)
            return -LINUX_EFAULT;
        *off += k;
    }
    return 0;
}

/* The oldest datagram on s is read: it goes. */
static void drop_first(struct inet_sock *s)
{
    struct dgram *d = s->queue;
    s->queue = d->next;
    s->queued -= d->len + DGRAM_OVERHEAD;
    free(d);
}

/* recvmsg's control message after the times (tstamp.c's, used bytes):
 * the TTL (IP_TTL) or hop limit (IPV6_HOPLIMIT) when IP_RECVTTL or
 * IPV6_RECVHOPLIMIT asks for it (MSG_CTRUNC when it does not fit); m's
 * controllen becomes what was written. */
static int64_t ttl_cmsg(struct proc *p, const struct inet_sock *s, const struct dgram *d, struct msghdr_k *m,
                        uint64_t used)
{
    if (s->kind == PACKET_SOCK) /* a packet socket's PACKET_AUXDATA instead (packet.c) */
        return packet_aux_cmsg(p, s, &d->from, d->len, m, used);
    uint64_t room = m->control ? m->controllen : 0;
    struct {
        struct cmsghdr_k h;
        int64_t v[2];
    } c = {{20, s->recvhops ? 41 : 0, s->recvhops ? 52 : 2}, {d->ttl, 0}}; /* an int: 20 bytes, 24 with its padding */
    if (s->recvttl || s->recvhops) {
        if (room - used < CMSG_ALIGN(c.h.len))
            m->flags |= MSG_CTRUNC;
        else if (mem_out(p, m->control + used, &c, c.h.len) < 0)
            return -LINUX_EFAULT;
        else
            used += CMSG_ALIGN(c.h.len);
    }
    m->controllen = used;
    return 0;
}

/* Takes (or peeks at) the oldest datagram for p: -EAGAIN if none. */
static int64_t take(struct proc *p, struct inet_sock *s, const struct rx *rx)
{
    if (s->err) { /* an error pending from a datagram nobody took */
        int e = s->err;
        s->err = 0;
        return -e;
    }
    struct dgram *d = s->queue;
    struct sock *k = s->sock;
    uint64_t skip = 0; /* SO_PEEK_OFF: a peek starts past whole datagrams, then into one (Linux's
                          __skb_try_recv_from_queue) */
    if ((rx->flags & MSG_PEEK) && k->peek_set && k->peek_off >= 0)
        for (skip = (uint64_t)k->peek_off; d && skip && skip >= d->len; d = d->next)
            skip -= d->len;
    if (!d)
        return (s->shut & (SHUT_RD + 1)) ? 0 : -LINUX_EAGAIN;
    struct sockaddr_k name;
    uint32_t namelen = inet_name(s, &d->from, &name);
    int64_t r = 0;
    int32_t mflags = 0;
    if (rx->msg) {
        struct msghdr_k m;
        struct io_seg *segs;
        uint64_t total;
        if (mem_in(p, &m, rx->msg, sizeof m) < 0)
            return -LINUX_EFAULT;
        if ((r = iov_read(p, m.iov, m.iovlen, &segs, &total)) < 0)
            return r;
        uint64_t off;
        r = segs_out(p, segs, m.iovlen, d, skip, &off);
        free(segs);
        if (r < 0)
            return r;
        mflags = off == total && off < d->len ? MSG_TRUNC : 0; /* as udp_recvmsg: against the whole datagram */
        if (m.name && mem_out(p, m.name, &name, namelen < m.namelen ? namelen : m.namelen) < 0)
            return -LINUX_EFAULT;
        int64_t used = tstamp_cmsgs(p, s->sock, d->when, m.control, m.controllen, &mflags); /* asked-for times */
        if (used < 0)
            return used;
        m.namelen = m.name ? namelen : 0, m.flags = mflags;
        if ((r = ttl_cmsg(p, s, d, &m, (uint64_t)used)) < 0)
            return r;
        if (mem_out(p, rx->msg, &m, sizeof m) < 0)
            return -LINUX_EFAULT;
        r = (int64_t)((rx->flags & MSG_TRUNC) ? d->len : off);
    } else if (rx->segs) {
        uint64_t off;
        if ((r = segs_out(p, rx->segs, (uint64_t)rx->nsegs, d, skip, &off)) < 0)
            return r;
        r = (int64_t)off;
    } else {
        uint64_t n = rx->len < d->len - skip ? rx->len : d->len - skip;
        if (n && mem_out(p, rx->buf, d->data + skip, n) < 0)
            return -LINUX_EFAULT;
        if (rx->addr && rx->addrlen && (r = socket_put_name(p, rx->addr, rx->addrlen, &name, namelen)) < 0)
            return r;
        r = (int64_t)((rx->flags & MSG_TRUNC) ? d->len : n);
    }
    if (k->peek_set && k->peek_off >= 0) { /* skb_consume_udp: on by what a peek gave, back by a read's */
        int64_t o = k->peek_off + ((rx->flags & MSG_PEEK) ? r : -r);
        k->peek_off = o < 0 ? 0 : o > INT32_MAX ? INT32_MAX : (int32_t)o;
    }
    if (!rx->msg)
        tstamp_taken(s->sock, d->when);
    if (!(rx->flags & MSG_PEEK)) {
        netstat_udp_taken(&d->from);
        drop_first(s);
    }
    return r;
}

int64_t udp_recv_kernel(struct file *f, char *buf, uint64_t len)
{
    struct inet_sock *s = f->sock->inet;
    if (s->err || !s->queue) /* an error, the end (shut), or none */
        return take(NULL, s, &(struct rx){0});
    uint64_t k = len < s->queue->len ? len : s->queue->len;
    memcpy(buf, s->queue->data, k);
    drop_first(s);
    return (int64_t)k;
}

#define MMSG_SIZE 64        /* struct mmsghdr: a msghdr and msg_len, padded */
#define MMSG_WAIT (1ull << 40) /* in a waiting receive's flags: a recvmmsg's */

/* recvmmsg's work: datagrams into the vector's entries, the first as
 * take gives it (an error or EAGAIN then is the call's), the others while
 * there are some; the count. */
static int64_t take_many(struct proc *p, struct inet_sock *s, uint64_t vec, uint64_t vlen, int flags)
{
    uint64_t n = 0;
    for (; n < vlen; n++) {
        struct rx rx = {0, 0, 0, 0, vec + n * MMSG_SIZE, flags, NULL, 0};
        int64_t r = take(p, s, &rx);
        if (r < 0)
            return n ? (int64_t)n : r;
        uint32_t len = (uint32_t)r;
        if (mem_out(p, vec + n * MMSG_SIZE + sizeof(struct msghdr_k), &len, sizeof len) < 0)
            return n ? (int64_t)n : -LINUX_EFAULT;
    }
    return (int64_t)n;
}

/* Frees the buffers of readv calls that no longer wait on s. */
static void sweep(struct inet_sock *s)
{
    for (struct seg_hold **ph = &s->held, *h; (h = *ph);) {
        bool waits = false;
        for (struct proc *p = proc_list(); p && !waits; p = p->next)
            waits = !p->zombie && p->wait.kind == WAIT_DGRAM && p->wait.tv == (uintptr_t)h;
        if (waits) {
            ph = &h->next;
            continue;
        }
        *ph = h->next;
        free(h->segs);
        free(h);
    }
}

/* A datagram came to s, or s closed: waiting receives take what there is. */
static void wake(struct inet_sock *s, bool closed)
{
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || p->wait.kind != WAIT_DGRAM || p->wait.fds != (uintptr_t)s)
            continue;
        if (closed) {
            wait_finish(p, -LINUX_EBADF);
            continue;
        }
        struct rx rx = {p->wait.tv, p->wait.sets[0], p->wait.sets[1], p->wait.sets[2], p->wait.space,
                        (int)p->wait.nfds, NULL, 0};
        if (p->wait.nfds & READV_WAIT) {
            const struct seg_hold *h = (const struct seg_hold *)p->wait.tv;
            rx.segs = h->segs, rx.nsegs = h->nsegs;
        }
        int64_t r = (p->wait.nfds & MMSG_WAIT) ? take_many(p, s, p->wait.space, p->wait.sets[0], rx.flags)
                                                : take(p, s, &rx);
        if (r != -LINUX_EAGAIN)
            wait_finish(p, r);
    }
    sweep(s);
}

void udp_queue(struct inet_sock *s, const struct inet_addr *from, const void *data, uint64_t n, uint8_t ttl)
{
    if ((s->shut & (SHUT_RD + 1)) || s->queued > (uint64_t)s->sock->rcvbuf)
        return; /* no room: lost */
    struct dgram *d = malloc(sizeof *d + n), **tail = &s->queue;
    if (!d)
        return;
    d->next = NULL, d->from = *from, d->len = n, d->when = realtime_ns(), d->ttl = ttl;
    memcpy(d->data, data, n);
    while (*tail)
        tail = &(*tail)->next;
    *tail = d;
    s->queued += n + DGRAM_OVERHEAD;
    wake(s, false);
}

/* A receive (vlen: recvmmsg's vector length, its msghdrs from rx->msg;
 * 0: one datagram as rx says). */
static int64_t receive(struct sys_ctx *c, struct file *f, const struct rx *rx, uint64_t vlen)
{
    struct inet_sock *s = f->sock->inet;
    if ((rx->flags & MSG_OOB) && s->kind)
        return -LINUX_EOPNOTSUPP; /* raw_recvmsg and ping_recvmsg refuse it; UDP's passes it over */
    if (rx->flags & MSG_ERRQUEUE)
        return -LINUX_EAGAIN; /* the error queue is always empty; flags not used here are passed over, as Linux */
    bool nonblock = (f->flags & O_NONBLOCK) || (rx->flags & MSG_DONTWAIT);
    if (nonblock && !s->err && !s->queue)
        return -LINUX_EAGAIN; /* shut for reading too: only a wait sees the end, as Linux's __skb_recv_udp */
    int64_t r = vlen ? take_many(c->p, s, rx->msg, vlen, rx->flags) : take(c->p, s, rx);
    if (r != -LINUX_EAGAIN || nonblock)
        return r;
    uint64_t t = f->sock->rcvtimeo;
    struct seg_hold *h = NULL;
    if (rx->segs) { /* a readv: its buffers stay here while it waits */
        if (!(h = malloc(sizeof *h)))
            return -LINUX_ENOMEM;
        *h = (struct seg_hold){s->held, (struct io_seg *)rx->segs, rx->nsegs};
        s->held = h;
    }
    c->p->wait = (struct proc_wait){.kind = WAIT_DGRAM, .token = c->token, .fds = (uintptr_t)s,
                                    .nfds = (uint64_t)(uint32_t)rx->flags | (vlen ? MMSG_WAIT : 0) |
                                            (h ? READV_WAIT : 0),
                                    .tv = h ? (uintptr_t)h : rx->buf,
                                    .sets = {vlen ? vlen : rx->len, rx->addr, rx->addrlen}, .space = rx->msg,
                                    .deadline = t ? clock_now() + t : 0};
    if (t)
        wait_rearm_for(c->p);
    c->deferred = true;
    return 0;
}

int64_t udp_recvfrom(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uaddr,
                     uint64_t uaddrlen)
{
    struct rx rx = {ubuf, len, uaddr, uaddrlen, 0, (int)flags, NULL, 0};
    return receive(c, f, &rx, 0);
}

/* Sends total bytes of segs as one datagram to `to` (uaddr 0: the peer). */
/* Whether rcv's socket filter lets d in (cut to what it keeps), run over
 * the UDP header and the data, as Linux's udp_queue_rcv_one_skb. */
static bool filter_keeps(struct inet_sock *rcv, const struct inet_addr *to, struct dgram *d)
{
    uint8_t *pk = malloc(8 + d->len);
    if (!pk)
        return false;
    uint16_t h[4] = {__builtin_bswap16(d->from.port), __builtin_bswap16(to->port),
                     __builtin_bswap16((uint16_t)(8 + d->len)), 0}; /* no checksum over loopback */
    memcpy(pk, h, 8);
    memcpy(pk + 8, d->data, d->len);
    uint64_t keep = bpf_sock_filter(rcv->sock, pk, 8 + d->len, rcv->family == AF_INET ? 0x0800 : 0x86dd, 8);
    free(pk);
    if (keep == UINT64_MAX)
        return false;
    d->len = keep - 8;
    return true;
}

static int64_t send_segs(struct sys_ctx *c, struct file *f, const struct io_seg *segs, uint64_t nsegs, uint64_t total,
                         uint64_t flags, uint64_t uaddr, uint64_t addrlen, const char *kbuf)
{
    struct inet_sock *s = f->sock->inet;
    struct inet_addr to;
    int64_t r;
    if (s->kind) /* a raw or ping socket's packet (rawip.c) */
        return raw_send(c, s, segs, nsegs, total, flags, uaddr, addrlen, kbuf);
    if (total > 0xffff)
        return -LINUX_EMSGSIZE; /* as Linux's udp_sendmsg: before the flags */
    if (flags & MSG_OOB)
        return -LINUX_EOPNOTSUPP; /* the one flag refused; the others not used here change nothing */
    if (s->cork) { /* corked: the bytes join the first send's datagram, to its address, as Linux's udp_sendmsg */
        to = s->cork_to;
    } else if (uaddr) {
        if ((r = inet_addr_in(c, s, uaddr, addrlen, &to, NULL)) < 0)
            return r;
        if (!to.port)
            return -LINUX_EINVAL;
        if ((r = inet_dest(s, &to)) < 0)
            return r;
        if ((r = netns_reach(s->sock, to.addr, false)) < 0)
            return r; /* its namespace's lo down */
    } else if (s->connected) {
        to = s->remote;
    } else {
        return -LINUX_EDESTADDRREQ;
    }
    if (s->shut & (SHUT_WR + 1)) {
        if (!(flags & MSG_NOSIGNAL))
            signal_send_thread(c->p, SIGPIPE, NULL);
        return -LINUX_EPIPE;
    }
    if (s->err) {
        int e = s->err;
        s->err = 0;
        return -e;
    }
    uint64_t off = s->cork ? s->cork->len : 0; /* the corked bytes first */
    if (off + total > (s->family == AF_INET ? 65507u : 65527u)) {
        free(s->cork); /* as Linux: what was corked goes with the failed send */
        s->cork = NULL;
        return -LINUX_EMSGSIZE;
    }
    if ((r = inet_autobind(s)) < 0)
        return r;
    struct dgram *d = malloc(sizeof *d + off + total);
    if (!d)
        return -LINUX_ENOMEM;
    if (s->cork)
        memcpy(d->data, s->cork->data, off);
    if (kbuf) {
        memcpy(d->data + off, kbuf, total);
        off += total;
    }
    for (uint64_t i = 0; !kbuf && i < nsegs; i++) {
        if (segs[i].len && mem_in(c->p, d->data + off, segs[i].base, segs[i].len) < 0) {
            free(d);
            return -LINUX_EFAULT;
        }
        off += segs[i].len;
    }
    d->len = off, d->next = NULL;
    free(s->cork);
    s->cork = NULL;
    if (flags & MSG_MORE) { /* held until a send without it */
        s->cork = d, s->cork_to = to;
        return (int64_t)total;
    }
    inet_source(s, &to, &d->from);
    udp_tap(s, &d->from, &to, (const uint8_t *)d->data, d->len); /* its packet, for packet and raw sockets (raw.h) */
    struct inet_sock *rcv = inet_deliver_to(s, &to, &d->from);
    netstat_udp_sent(&to, rcv != NULL);
    if (rcv && rcv->sock->filter && !filter_keeps(rcv, &to, d)) {
        free(d); /* its socket filter dropped it */
    } else if (!rcv) {
        free(d);
        if (s->connected) /* the port unreachable comes back: the next call says so */
            s->err = LINUX_ECONNREFUSED;
    } else if ((rcv->shut & (SHUT_RD + 1)) || rcv->queued > (uint64_t)rcv->sock->rcvbuf) {
        netstat_udp_dropped(&to);
        free(d); /* no room: lost, as Linux drops it */
    } else {
        struct dgram **tail = &rcv->queue;
        while (*tail)
            tail = &(*tail)->next;
        *tail = d;
        d->when = realtime_ns(), d->ttl = (uint8_t)inet_ttl(s, memcmp(to.addr, (const uint8_t[12]){[10] = 0xff, [11] = 0xff}, 12) != 0);
        rcv->queued += d->len + DGRAM_OVERHEAD;
        wake(rcv, false);
    }
    poll_recheck();
    return (int64_t)total;
}

int64_t udp_sendto(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uaddr,
                   uint64_t addrlen)
{
    struct io_seg seg = {ubuf, len};
    return send_segs(c, f, &seg, 1, len, flags, uaddr, addrlen, NULL);
}

int64_t udp_send_kernel(struct sys_ctx *c, struct file *f, const char *buf, uint64_t len)
{
    return send_segs(c, f, NULL, 0, len, 0, 0, 0, buf);
}

int64_t udp_msg(struct sys_ctx *c, struct file *f, uint64_t umsg, uint64_t flags, bool write)
{
    struct msghdr_k m;
    if (mem_in(c->p, &m, umsg, sizeof m) < 0)
        return -LINUX_EFAULT;
    if (!write) {
        struct rx rx = {0, 0, 0, 0, umsg, (int)flags, NULL, 0};
        return receive(c, f, &rx, 0);
    }
    if (m.iovlen > 1024)
        return -LINUX_EMSGSIZE;
    struct io_seg *segs;
    uint64_t total;
    int64_t r = iov_read(c->p, m.iov, m.iovlen, &segs, &total);
    if (r < 0)
        return r;
    r = send_segs(c, f, segs, m.iovlen, total, flags, m.name, m.namelen, NULL);
    free(segs);
    return r;
}

int64_t udp_mmsg(struct sys_ctx *c, struct file *f, uint64_t vec, uint64_t vlen, uint64_t flags, bool write)
{
    struct msghdr_k m;
    vlen = vlen < 1024 ? vlen : 1024; /* UIO_MAXIOV, as Linux caps it */
    if (vlen && mem_in(c->p, &m, vec, sizeof m) < 0)
        return -LINUX_EFAULT;
    if (!write) { /* MSG_WAITFORONE or not, the datagrams after the first are those already there */
        struct rx rx = {0, 0, 0, 0, vec, (int)flags, NULL, 0};
        return vlen ? receive(c, f, &rx, vlen) : 0;
    }
    uint64_t n = 0;
    for (; n < vlen; n++) {
        int64_t r = udp_msg(c, f, vec + n * MMSG_SIZE, flags, true);
        uint32_t len = (uint32_t)r;
        if (r < 0)
            return n ? (int64_t)n : r;
        if (mem_out(c->p, vec + n * MMSG_SIZE + sizeof(struct msghdr_k), &len, sizeof len) < 0)
            return n ? (int64_t)n : -LINUX_EFAULT;
    }
    return (int64_t)n;
}

int64_t udp_shutdown(struct file *f, int how)
{
    struct inet_sock *s = f->sock->inet;
    s->shut |= how + 1;
    wake(s, false); /* a receive waiting ends */
    poll_recheck();
    return s->connected ? 0 : -LINUX_ENOTCONN; /* as Linux: the state changes all the same */
}

/* ---- the file operations of UDP sockets ---- */

static int64_t udp_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    return len ? udp_recvfrom(c, f, ubuf, len, 0, 0, 0) : 0; /* a read of nothing takes nothing, as Linux's */
}

static int64_t udp_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    return udp_sendto(c, f, ubuf, len, 0, 0, 0);
}

static int64_t udp_iov(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total, bool write)
{
    int64_t r = 0;
    if (write) {
        r = send_segs(c, f, segs, (uint64_t)nsegs, total, 0, 0, 0, NULL);
    } else if (total) { /* as udp_read: nothing asked, nothing taken */
        struct rx rx = {0, 0, 0, 0, 0, 0, segs, nsegs};
        r = receive(c, f, &rx, 0);
        if (c->deferred)
            return r; /* the segments wait with it, on the socket */
    }
    free(segs);
    return r;
}

static int udp_poll(struct file *f)
{
    struct inet_sock *s = f->sock->inet;
    int shut = s->shut;
    return (s->queue || (shut & (SHUT_RD + 1)) ? POLLIN : 0) | POLLOUT | (s->err ? POLLERR : 0) |
           (s->kind == PACKET_SOCK ? pring_poll(s) : 0) /* a packet socket's ring (packetring.c) */ |
           ((shut & (SHUT_RD + 1)) ? POLLRDHUP : 0) | (shut == 3 ? POLLHUP : 0) /* both ways */;
}

static void udp_close(struct file *f)
{
    struct sock *k = f->sock;
    wake(k->inet, true);
    inet_release(k);
    netns_sock_put(k);
    free(k);
}

const struct file_ops udp_fops = {.read = udp_read, .write = udp_write, .rw_iov = udp_iov, .poll = udp_poll,
                                  .ioctl = netdev_ioctl, .stat = socket_stat, .release = udp_close, .fs = &sockfs,
                                  .stream = true, .map = pring_map /* a packet socket's rings; others ENODEV */};

uint64_t udp_first_len(const struct inet_sock *s) { return s->queue ? s->queue->len : 0; }
