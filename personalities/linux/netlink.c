/*
 * personalities/linux/netlink.c - netlink route sockets (AF_NETLINK,
 * NETLINK_ROUTE, SOCK_RAW or SOCK_DGRAM), enough for getifaddrs and
 * if_nameindex: RTM_GETLINK and RTM_GETADDR dumps answered with lo's
 * RTM_NEWLINK and its RTM_NEWADDR messages (127.0.0.1/8, ::1/128), then
 * NLMSG_DONE; NLMSG_ERROR with EOPNOTSUPP for any other request.  And
 * NETLINK_SOCK_DIAG sockets, enough for ss: SOCK_DIAG_BY_FAMILY dumps
 * of the TCP, UDP and AF_UNIX sockets, a message each.  A send
 * answers at once: the replies are datagrams on the socket's queue, which
 * recv takes one at a time (MSG_PEEK, MSG_TRUNC as Linux), a blocking
 * recv or read with no sender's address asked waiting for one (the
 * others say EAGAIN).  mq_notify's SIGEV_THREAD sends its cookie to a
 * socket from the kernel (nl_deliver).  Port ids are
 * Linux's: bind, a send or a connect of an unbound socket autobinds it to
 * the process's pid, or, that taken, to -4096, -4097, ...  A datagram to
 * another socket's port id goes onto its queue; connect sets the port id
 * a send without an address goes to.
 *
 * Entry points: nl_of, nl_socket, nl_bind, nl_connect, nl_name, nl_sendto,
 * nl_recvfrom, nl_msg (socket.c and sockmsg.c hand a netlink socket's
 * calls here).  Layer: a file type, beside socket.c.  Book: docs/linux.md,
 * "Networking".
 */
#include "inet.h"
#include "pipe.h"
#include "tcpclose.h"
#include "time.h"
#include "netlink.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>

/* struct sockaddr_nl (linux/netlink.h). */
struct sockaddr_nl_k {
    uint16_t family, pad;
    uint32_t pid, groups;
};
_Static_assert(sizeof(struct sockaddr_nl_k) == 12, "struct sockaddr_nl");

/* A datagram waiting on a netlink socket: from port id `from` (0: the kernel). */
struct nl_dgram {
    struct nl_dgram *next;
    uint32_t from, len;
    uint8_t data[];
};

struct nl_sock {
    struct file *file;     /* not a reference */
    uint32_t pid, groups;
    uint32_t dst, dst_groups; /* connect's default destination (0: the kernel) */
    bool bound;
    bool diag;             /* NETLINK_SOCK_DIAG (else NETLINK_ROUTE) */
    struct nl_dgram *queue; /* oldest first */
    struct nl_sock *next;  /* every netlink socket */
};

static struct nl_sock *all;
static int32_t rover = -4096; /* Linux's autobind after the pid is taken */

static const struct file_ops nl_fops;

bool nl_of(const struct file *f) { return f->kind == FILE_SOCKET && f->ops == &nl_fops; }

static struct nl_sock *nl(const struct file *f) { return (struct nl_sock *)f->sock->nl; }

/* The socket bound to port id pid in by's network namespace (port ids are a namespace's). */
static struct nl_sock *nl_find(const struct nl_sock *by, uint32_t pid)
{
    for (struct nl_sock *s = all; s; s = s->next)
        if (s->bound && s->pid == pid && netns_same(s->file->sock, by->file->sock))
            return s;
    return NULL;
}

static void autobind(struct proc *p, struct nl_sock *s)
{
    if (s->bound)
        return;
    uint32_t pid = (uint32_t)proc_tgid(p);
    while (nl_find(s, pid))
        pid = (uint32_t)rover--;
    s->pid = pid, s->bound = true;
}

int64_t nl_socket(struct sys_ctx *c, int type, int flags, uint64_t protocol)
{
    if (type != SOCK_RAW && type != SOCK_DGRAM)
        return -LINUX_ESOCKTNOSUPPORT;
    if (protocol != NETLINK_ROUTE && protocol != NETLINK_SOCK_DIAG)
        return -LINUX_EPROTONOSUPPORT; /* the other families are not built */
    struct sock *k = sock_new();
    struct nl_sock *s = calloc(1, sizeof *s);
    struct file *f = calloc(1, sizeof *f);
    if (!k || !s || !f) {
        free(k), free(s), free(f);
        return -LINUX_ENOMEM;
    }
    *f = (struct file){.ops = &nl_fops, .kind = FILE_SOCKET, .flags = O_RDWR | (flags & O_NONBLOCK), .refs = 1,
                       .sock = k};
    k->nl = s;
    s->diag = protocol == NETLINK_SOCK_DIAG;
    s->file = f, s->next = all, all = s;
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    return fd;
}

static int64_t addr_in(struct proc *p, uint64_t uaddr, uint64_t len, struct sockaddr_nl_k *a)
{
    if (len < sizeof *a)
        return -LINUX_EINVAL;
    if (mem_in(p, a, uaddr, sizeof *a) < 0)
        return -LINUX_EFAULT;
    return a->family == AF_NETLINK ? 0 : -LINUX_EINVAL;
}

int64_t nl_bind(struct sys_ctx *c, struct file *f, uint64_t uaddr, uint64_t len)
{
    struct sockaddr_nl_k a;
    struct nl_sock *s = nl(f);
    int64_t err = addr_in(c->p, uaddr, len, &a);
    if (err < 0)
        return err;
    if (s->bound && a.pid && a.pid != s->pid)
        return -LINUX_EINVAL;
    if (!s->bound && a.pid) {
        if (nl_find(s, a.pid))
            return -LINUX_EADDRINUSE;
        s->pid = a.pid, s->bound = true;
    }
    autobind(c->p, s);
    s->groups = a.groups; /* kept, though no event ever comes: lo never changes */
    return 0;
}

int64_t nl_connect(struct sys_ctx *c, struct file *f, uint64_t uaddr, uint64_t len)
{
    struct sockaddr_nl_k a;
    struct nl_sock *s = nl(f);
    uint16_t family;
    if (len >= sizeof family && mem_in(c->p, &family, uaddr, sizeof family) < 0)
        return -LINUX_EFAULT;
    if (len >= sizeof family && family == AF_UNSPEC) { /* dissolves the association */
        s->dst = s->dst_groups = 0;
        return 0;
    }
    int64_t err = addr_in(c->p, uaddr, len, &a);
    if (err < 0)
        return err;
    autobind(c->p, s);
    s->dst = a.pid, s->dst_groups = a.groups;
    return 0;
}

int64_t nl_name(struct sys_ctx *c, struct file *f, uint64_t uaddr, uint64_t ulen, bool peer)
{
    struct nl_sock *s = nl(f);
    struct sockaddr_nl_k a = {AF_NETLINK, 0, peer ? s->dst : s->pid, peer ? s->dst_groups : s->groups};
    return socket_put_name(c->p, uaddr, ulen, (const struct sockaddr_k *)&a, sizeof a);
}

/* ---- the replies ---- */

/* A reply being built: its bytes, its length. */
struct nl_out {
    uint8_t buf[1024];
    uint32_t len, start; /* start: the message being built */
};

static void *put(struct nl_out *o, const void *data, uint32_t n)
{
    void *at = o->buf + o->len;
    memset(at, 0, NLMSG_ALIGN(n));
    if (data)
        memcpy(at, data, n);
    o->len += NLMSG_ALIGN(n);
    return at;
}

static void msg_begin(struct nl_out *o, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
    struct nlmsghdr_k h = {0, type, flags, seq, pid};
    o->start = o->len;
    put(o, &h, sizeof h);
}

static void msg_end(struct nl_out *o) { ((struct nlmsghdr_k *)(o->buf + o->start))->len = o->len - o->start; }

static void attr(struct nl_out *o, uint16_t type, const void *data, uint16_t n)
{
    struct { uint16_t len, type; } a = {(uint16_t)(4 + n), type};
    put(o, &a, sizeof a);
    put(o, data, n);
}

static void attr32(struct nl_out *o, uint16_t type, uint32_t v) { attr(o, type, &v, 4); }

/* lo as RTM_NEWLINK: the attributes in Linux's order, those programs
 * read; its flags and state its namespace's (nn). */
static void link_lo(struct nl_out *o, uint32_t seq, uint32_t pid, const struct netns *nn)
{
    static const uint8_t mac[6], stats[96];
    struct { uint8_t family, pad; uint16_t type; int32_t index; uint32_t flags, change; } i = {
        AF_UNSPEC, 0, ARPHRD_LOOPBACK, 1, netns_lo_flags(nn, true), 0};
    uint8_t zero = 0, oper = nn->lo_flags & IFF_UP ? 0 : 2; /* IF_OPER_UNKNOWN, as lo's up; IF_OPER_DOWN */
    msg_begin(o, RTM_NEWLINK, NLM_F_MULTI, seq, pid);
    put(o, &i, sizeof i);
    attr(o, IFLA_IFNAME, "lo", 3);
    attr32(o, IFLA_TXQLEN, 1000);
    attr(o, IFLA_OPERSTATE, &oper, 1);
    attr(o, IFLA_LINKMODE, &zero, 1);
    attr32(o, IFLA_MTU, (uint32_t)nn->lo_mtu);
    attr(o, IFLA_ADDRESS, mac, 6);
    attr(o, IFLA_BROADCAST, mac, 6);
    attr(o, IFLA_STATS, stats, sizeof stats);
    msg_end(o);
}

/* lo's addresses as RTM_NEWADDR: 127.0.0.1/8 and ::1/128, as family
 * asks, those it has in its namespace (nn). */
static void addr_lo(struct nl_out *o, int family, uint32_t seq, uint32_t pid, const struct netns *nn)
{
    static const uint8_t v4[4] = {127, 0, 0, 1}, v6[16] = {[15] = 1};
    struct { uint32_t prefered, valid, cstamp, tstamp; } ci = {0xffffffff, 0xffffffff, 0, 0};
    for (int six = 0; six < 2; six++) {
        if ((family != AF_UNSPEC && family != (six ? AF_INET6 : AF_INET)) || !(six ? netns_has_v6(nn) : nn->lo_v4))
            continue;
        struct { uint8_t family, prefixlen, flags, scope; uint32_t index; } m = {
            six ? AF_INET6 : AF_INET, six ? 128 : 8, IFA_F_PERMANENT, RT_SCOPE_HOST, 1};
        msg_begin(o, RTM_NEWADDR, NLM_F_MULTI, seq, pid);
        put(o, &m, sizeof m);
        attr(o, IFA_ADDRESS, six ? v6 : v4, six ? 16 : 4);
        if (!six) {
            attr(o, IFA_LOCAL, v4, 4);
            attr(o, IFA_LABEL, "lo", 3);
            attr32(o, IFA_FLAGS, IFA_F_PERMANENT);
            attr(o, IFA_CACHEINFO, &ci, sizeof ci);
        } else {
            attr(o, IFA_CACHEINFO, &ci, sizeof ci);
            attr32(o, IFA_FLAGS, IFA_F_PERMANENT);
        }
        msg_end(o);
    }
}

static int64_t enqueue(struct nl_sock *to, uint32_t from, const void *data, uint32_t len)
{
    struct nl_dgram *d = malloc(sizeof *d + len), **q;
    if (!d)
        return -LINUX_ENOMEM;
    d->next = NULL, d->from = from, d->len = len;
    memcpy(d->data, data, len);
    for (q = &to->queue; *q; q = &(*q)->next)
        ;
    *q = d;
    poll_recheck();
    return 0;
}

int nl_deliver(struct file *f, const void *data, uint32_t len) { return (int)enqueue(nl(f), 0, data, len); }

/* ---- NETLINK_SOCK_DIAG: the sockets, as ss asks for them ---- */

/* struct inet_diag_sockid (linux/inet_diag.h): ports and addresses in network order. */
struct diag_sockid {
    uint16_t sport, dport;
    uint8_t src[16], dst[16];
    uint32_t ifindex, cookie[2];
};

static void diag_send(struct nl_sock *s, struct nl_out *o)
{
    msg_end(o);
    enqueue(s, 0, o->buf, o->len);
    o->len = 0;
}

/* SOCK_DIAG_BY_FAMILY for AF_INET or AF_INET6 (struct inet_diag_req_v2):
 * each TCP or UDP socket of that family in a state asked for, as an
 * inet_diag_msg (a listener's queue and backlog as its queues, as Linux). */
static void diag_inet(struct nl_sock *s, struct nl_out *o, const uint8_t *req, uint32_t seq)
{
    uint32_t states;
    memcpy(&states, req + 4, 4);
    for (const struct inet_sock *i = inet_ports(); i; i = i->next) {
        bool udp = i->proto == IPPROTO_UDP, listening = i->sock->listening;
        const struct file *f = udp || listening ? NULL : i->file;
        int state = udp ? (i->connected ? 1 : 7) : listening ? 10 : f ? tcp_state(f) : 1; /* as tcpopt.c says */
        if (i->family != req[0] || i->proto != req[1] || !(states & (1u << state)) ||
            (!udp && !listening && (!i->connected || state == 7)) || !netns_same(i->sock, s->file->sock))
            continue; /* its namespace's sockets alone */
        struct {
            uint8_t family, state, timer, retrans;
            struct diag_sockid id;
            uint32_t expires, rqueue, wqueue, uid, inode;
        } m = {(uint8_t)i->family, (uint8_t)state, 0, 0, {0}, 0, 0, 0, i->uid, (uint32_t)i->sock->ino};
        int skip = i->family == AF_INET ? 12 : 0; /* an IPv4 address is the mapped form's last 4 bytes */
        m.id.sport = (uint16_t)(i->local.port >> 8 | i->local.port << 8);
        memcpy(m.id.src, i->local.addr + skip, 16 - (size_t)skip);
        if (i->connected) {
            m.id.dport = (uint16_t)(i->remote.port >> 8 | i->remote.port << 8);
            memcpy(m.id.dst, i->remote.addr + skip, 16 - (size_t)skip);
        }
        m.id.cookie[0] = (uint32_t)i->sock->ino;
        if (listening)
            m.rqueue = (uint32_t)socket_queued(i->sock), m.wqueue = (uint32_t)i->sock->backlog;
        else if (udp)
            m.rqueue = (uint32_t)i->queued;
        /* sk_shutdown: this end's shutdowns, and RCV_SHUTDOWN once the peer's FIN came */
        uint8_t shut = f && f->pipe ? (uint8_t)(f->shut | (pipe_ends(f->pipe, true) ? 0 : 1)) : 0, v6only = i->v6only;
        msg_begin(o, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq, s->pid);
        put(o, &m, sizeof m);
        attr(o, 8, &shut, 1); /* INET_DIAG_SHUTDOWN */
        if (i->family == AF_INET6)
            attr(o, 11, &v6only, 1); /* INET_DIAG_SKV6ONLY: ss shows an IPv6 wildcard as "[::]" or "*" by it */
        diag_send(s, o);
    }
    uint64_t now = clock_now();
    for (const struct tcp_tw *t = req[1] == IPPROTO_TCP ? tcp_tw_list() : NULL; t; t = t->next) {
        if (t->family != req[0] || !(states & (1u << t->state)) || !netns_same(&t->k, s->file->sock))
            continue;
        /* inet_twsk_diag_fill: its substate, timer 3 and the ms left, no attributes */
        struct {
            uint8_t family, state, timer, retrans;
            struct diag_sockid id;
            uint32_t expires, rqueue, wqueue, uid, inode;
        } m = {(uint8_t)t->family, (uint8_t)t->state, 3, 0, {0}, 0, 0, 0, 0, 0};
        int skip = t->family == AF_INET ? 12 : 0;
        m.id.sport = (uint16_t)(t->local.port >> 8 | t->local.port << 8);
        m.id.dport = (uint16_t)(t->remote.port >> 8 | t->remote.port << 8);
        memcpy(m.id.src, t->local.addr + skip, 16 - (size_t)skip);
        memcpy(m.id.dst, t->remote.addr + skip, 16 - (size_t)skip);
        m.expires = t->expires > now ? (uint32_t)((t->expires - now) / 1000000) : 0;
        m.id.cookie[0] = (uint32_t)(uintptr_t)t;
        msg_begin(o, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq, s->pid);
        put(o, &m, sizeof m);
        diag_send(s, o);
    }
}

/* SOCK_DIAG_BY_FAMILY for AF_UNIX (struct unix_diag_req): each socket in
 * a state asked for, as a unix_diag_msg with the attributes its show
 * bits ask (the name, the peer's inode, the queues). */
static void diag_unix(struct nl_sock *s, struct nl_out *o, const uint8_t *req, uint32_t seq)
{
    uint32_t states, show;
    memcpy(&states, req + 4, 4), memcpy(&show, req + 12, 4);
    for (const struct sock *k = unix_socks(); k; k = k->next_unix) {
        bool connected = k->un ? k->un->peer != NULL : k->file && k->file->pipe;
        int state = k->listening ? 10 : connected ? 1 : 7; /* LISTEN, ESTABLISHED, CLOSE */
        if (!(states & (1u << state)) || k->embryo || !netns_same(k, s->file->sock))
            continue;
        struct { uint8_t family, type, state, pad; uint32_t ino, cookie[2]; } m = {
            AF_UNIX, (uint8_t)(k->type ? k->type : SOCK_STREAM), (uint8_t)state, 0, (uint32_t)k->ino, {0}};
        m.cookie[0] = (uint32_t)k->ino;
        msg_begin(o, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq, s->pid);
        put(o, &m, sizeof m);
        if ((show & 1) && k->namelen > SOCKADDR_UN_MIN) /* UDIAG_SHOW_NAME: a path's with its 0 */
            attr(o, 0, k->name.path, (uint16_t)(k->namelen - SOCKADDR_UN_MIN));
        const struct sock *peer = k->un && k->un->peer ? k->un->peer->sock
                                  : k->file && k->file->peer ? pipe_reader(k->file->peer) : NULL;
        if ((show & 4) && peer) /* UDIAG_SHOW_PEER */
            attr32(o, 2, (uint32_t)peer->ino);
        if (show & 0x10) { /* UDIAG_SHOW_RQLEN: a listener's queue and backlog */
            uint32_t q[2] = {k->listening ? (uint32_t)socket_queued(k) : 0, k->listening ? (uint32_t)k->backlog : 0};
            attr(o, 4, q, sizeof q);
        }
        diag_send(s, o);
    }
}

/* The kernel's side: each request in buf answered on s's queue, as
 * rtnetlink_rcv_msg (or sock_diag_rcv_msg) does. */
static void kernel_rcv(struct nl_sock *s, const uint8_t *buf, uint32_t len)
{
    struct nl_out o;
    for (uint32_t off = 0; len - off >= sizeof(struct nlmsghdr_k);) {
        struct nlmsghdr_k h;
        memcpy(&h, buf + off, sizeof h);
        if (h.len < sizeof h || h.len > len - off)
            return;
        const uint8_t *body = buf + off + sizeof h;
        off += NLMSG_ALIGN(h.len) < len - off ? NLMSG_ALIGN(h.len) : len - off;
        if (!(h.flags & NLM_F_REQUEST) || h.type < NLMSG_MIN_TYPE)
            continue; /* not a request, or a control message: ignored, as Linux */
        bool dump = (h.flags & NLM_F_DUMP) == NLM_F_DUMP;
        int family = h.len > sizeof h ? body[0] : AF_UNSPEC;
        o.len = 0;
        bool diag = s->diag && dump && h.type == SOCK_DIAG_BY_FAMILY && h.len >= sizeof h + 24 &&
                    (family == AF_UNIX || ((family == AF_INET || family == AF_INET6) && h.len >= sizeof h + 56));
        if (diag || (!s->diag && dump && (h.type == RTM_GETLINK || h.type == RTM_GETADDR))) {
            if (diag && family == AF_UNIX)
                diag_unix(s, &o, body, h.seq);
            else if (diag)
                diag_inet(s, &o, body, h.seq);
            else if (h.type == RTM_GETLINK && (family == AF_UNSPEC || family == AF_PACKET))
                link_lo(&o, h.seq, s->pid, netns_of(s->file->sock->net));
            else if (h.type == RTM_GETADDR)
                addr_lo(&o, family, h.seq, s->pid, netns_of(s->file->sock->net));
            if (o.len)
                enqueue(s, 0, o.buf, o.len);
            o.len = 0;
            msg_begin(&o, NLMSG_DONE, NLM_F_MULTI, h.seq, s->pid);
            int32_t zero = 0;
            put(&o, &zero, 4);
            msg_end(&o);
            enqueue(s, 0, o.buf, o.len);
            continue;
        }
        /* RTM_NEWLINK: lo's flags (netns.c), acked if asked; any other not
         * built: NLMSG_ERROR, with the request (up to what the buffer holds) */
        int32_t e = !s->diag && h.type == RTM_NEWLINK
                        ? netns_setlink(netns_of(s->file->sock->net), body, h.len - (uint32_t)sizeof h)
                        : -LINUX_EOPNOTSUPP;
        if (e == 0 && !(h.flags & NLM_F_ACK))
            continue;
        uint32_t echo = e && h.len < sizeof o.buf - 64 ? h.len : sizeof(h); /* an ack: the header alone */
        msg_begin(&o, NLMSG_ERROR, 0, h.seq, s->pid);
        put(&o, &e, 4);
        put(&o, body - sizeof h, echo);
        if (echo == sizeof h)
            ((struct nlmsghdr_k *)(o.buf + o.len - sizeof h))->len = h.len;
        msg_end(&o);
        enqueue(s, 0, o.buf, o.len);
    }
}

/* ---- sending and receiving ---- */

static int64_t nl_send(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total,
                       uint64_t uaddr, uint64_t addrlen)
{
    struct nl_sock *s = nl(f);
    struct sockaddr_nl_k a = {AF_NETLINK, 0, s->dst, 0};
    int64_t err;
    if (uaddr && (err = addr_in(c->p, uaddr, addrlen, &a)) < 0)
        return err;
    if (total > 1 << 20)
        return -LINUX_EMSGSIZE;
    uint8_t *buf = malloc(total ? total : 1);
    if (!buf)
        return -LINUX_ENOMEM;
    uint64_t at = 0;
    for (int i = 0; i < nsegs; at += segs[i].len, i++)
        if (segs[i].len && mem_in(c->p, buf + at, segs[i].base, segs[i].len) < 0) {
            free(buf);
            return -LINUX_EFAULT;
        }
    autobind(c->p, s);
    err = (int64_t)total;
    if (a.pid) { /* to another socket */
        struct nl_sock *to = nl_find(s, a.pid);
        err = !to ? -LINUX_ECONNREFUSED : enqueue(to, s->pid, buf, (uint32_t)total) < 0 ? -LINUX_ENOMEM : err;
    } else
        kernel_rcv(s, buf, (uint32_t)total);
    free(buf);
    return err;
}

/* One datagram into segs; its length (MSG_TRUNC: the whole one's), *trunc
 * if it did not fit, *from its sender. */
static int64_t nl_recv(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t flags, bool *trunc,
                       uint32_t *from)
{
    struct nl_sock *s = nl(f);
    struct nl_dgram *d = s->queue;
    if (!d) /* nothing but its own requests fills the queue: a wait would be forever */
        return -LINUX_EAGAIN;
    uint64_t at = 0;
    for (int i = 0; i < nsegs && at < d->len; i++) {
        uint64_t n = segs[i].len < d->len - at ? segs[i].len : d->len - at;
        if (n && mem_out(c->p, segs[i].base, d->data + at, n) < 0)
            return -LINUX_EFAULT;
        at += n;
    }
    *trunc = at < d->len, *from = d->from;
    int64_t r = (flags & MSG_TRUNC) ? d->len : (int64_t)at;
    if (!(flags & MSG_PEEK)) {
        s->queue = d->next;
        free(d);
    }
    return r;
}

int64_t nl_sendto(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, uint64_t uaddr, uint64_t addrlen)
{
    struct io_seg seg = {ubuf, len};
    return nl_send(c, f, &seg, 1, len, uaddr, addrlen);
}

int64_t nl_recvfrom(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uaddr,
                    uint64_t uaddrlen)
{
    struct io_seg seg = {ubuf, len};
    bool trunc;
    uint32_t from;
    int64_t r = nl_recv(c, f, &seg, 1, flags, &trunc, &from);
    if (r == -LINUX_EAGAIN && !uaddr && !(f->flags & O_NONBLOCK) &&
        !(flags & ~(uint64_t)(MSG_NOSIGNAL | MSG_WAITALL | MSG_CMSG_CLOEXEC))) {
        wait_read(c, f, ubuf, len); /* done again by nl_read when a datagram comes */
        return 0;
    }
    struct sockaddr_nl_k a = {AF_NETLINK, 0, from, 0};
    if (r >= 0 && uaddr && uaddrlen && socket_put_name(c->p, uaddr, uaddrlen, (const struct sockaddr_k *)&a,
                                                       sizeof a) < 0)
        return -LINUX_EFAULT;
    return r;
}

int64_t nl_msg(struct sys_ctx *c, struct file *f, uint64_t umsg, uint64_t flags, bool write)
{
    struct msghdr_k m;
    if (mem_in(c->p, &m, umsg, sizeof m) < 0)
        return -LINUX_EFAULT;
    if (m.iovlen > 1024)
        return -LINUX_EMSGSIZE;
    struct io_seg *segs;
    uint64_t total;
    int64_t r = iov_read(c->p, m.iov, m.iovlen, &segs, &total);
    if (r < 0)
        return r;
    if (write) {
        r = nl_send(c, f, segs, (int)m.iovlen, total, m.name, m.namelen);
        free(segs);
        return r;
    }
    bool trunc = false;
    uint32_t from = 0;
    r = nl_recv(c, f, segs, (int)m.iovlen, flags, &trunc, &from);
    free(segs);
    if (r < 0)
        return r;
    struct sockaddr_nl_k a = {AF_NETLINK, 0, from, 0};
    if (m.name && mem_out(c->p, m.name, &a, m.namelen < sizeof a ? m.namelen : sizeof a) < 0)
        return -LINUX_EFAULT;
    m.namelen = m.name ? sizeof a : 0, m.controllen = 0, m.flags = trunc ? MSG_TRUNC : 0;
    return mem_out(c->p, umsg, &m, sizeof m) < 0 ? -LINUX_EFAULT : r;
}

/* ---- the file operations ---- */

static int64_t nl_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    return nl_recvfrom(c, f, ubuf, len, 0, 0, 0);
}

static int64_t nl_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    return nl_sendto(c, f, ubuf, len, 0, 0);
}

static int nl_poll(struct file *f) { return POLLOUT | (nl(f)->queue ? POLLIN : 0); }

static void nl_close(struct file *f)
{
    struct nl_sock *s = nl(f);
    for (struct nl_sock **ps = &all; *ps; ps = &(*ps)->next)
        if (*ps == s) {
            *ps = s->next;
            break;
        }
    for (struct nl_dgram *d = s->queue, *n; d; d = n) {
        n = d->next;
        free(d);
    }
    free(s);
    netns_sock_put(f->sock);
    free(f->sock);
}

static const struct file_ops nl_fops = {.read = nl_read, .write = nl_write, .poll = nl_poll, .ioctl = netdev_ioctl,
                                        .stat = socket_stat, .release = nl_close, .fs = &sockfs, .stream = true};
