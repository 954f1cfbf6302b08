/*
 * personalities/linux/inet.c - internet sockets' addresses and ports, and
 * TCP over the loopback: socket(AF_INET or AF_INET6), bind (ephemeral
 * ports from Linux's ip_local_port_range, EADDRINUSE unless SO_REUSEADDR
 * or SO_REUSEPORT allow the sharing, EADDRNOTAVAIL for an address the
 * loopback does not own unless ip_nonlocal_bind, EACCES below
 * ip_unprivileged_port_start without CAP_NET_BIND_SERVICE: netsysctl.c),
 * listen, connect (a connection is socket.c's pair of pipes; ECONNREFUSED
 * when nobody listens, EINPROGRESS and then SO_ERROR when nonblocking),
 * the names of both ends (IPv4-mapped on a v6 socket), and the IP, IPv6
 * and TCP levels of socket options.  See inet.h for the design.
 *
 * Entry points: inet.h.  Callers: socket.c, sockopt.c, udp.c.  Layer: a
 * file type, over socket.c.  Book: docs/linux.md, "Networking".
 */
#include "netsysctl.h"
#include "netstat.h"
#include "raw.h"
#include "tcpclose.h"
#include "netns.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>

#define PORT_LOW net_sysctl(s->sock)->port_range[0] /* Linux's ip_local_port_range, its namespace's */
#define PORT_HIGH net_sysctl(s->sock)->port_range[1]

static struct inet_sock *ports; /* every bound internet socket */

const struct inet_sock *inet_ports(void) { return ports; }

static const uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
static bool is_mapped(const uint8_t *a) { return memcmp(a, mapped_prefix, 12) == 0; }
static bool is_any6(const uint8_t *a)
{
    static const uint8_t zero[16];
    return memcmp(a, zero, 16) == 0;
}
static bool is_any4(const uint8_t *a) { return is_mapped(a) && !a[12] && !a[13] && !a[14] && !a[15]; }
static bool is_any(const uint8_t *a) { return is_any6(a) || is_any4(a); }
static bool is_loop6(const uint8_t *a)
{
    static const uint8_t one[16] = {[15] = 1};
    return memcmp(a, one, 16) == 0;
}

/* The loopback's addresses: 127.0.0.0/8 and ::1.  Here is where a second
 * network stack would claim its own. */
bool inet_route(const struct inet_addr *to)
{
    return is_mapped(to->addr) ? to->addr[12] == 127 : is_loop6(to->addr);
}

/* Where a connect or a send to the wildcard goes: the loopback, as Linux. */
void inet_any_to_loopback(struct inet_addr *a)
{
    if (is_any4(a->addr))
        a->addr[12] = 127, a->addr[15] = 1;
    else if (is_any6(a->addr))
        a->addr[15] = 1;
}

int64_t inet_dest(const struct inet_sock *s, struct inet_addr *a)
{
    if (s->family == AF_INET6 && is_any6(a->addr) && s->bound && is_mapped(s->local.addr))
        memcpy(a->addr, mapped_prefix, 12); /* :: from a socket of a mapped address: 127.0.0.1, as Linux */
    inet_any_to_loopback(a);
    if (s->family == AF_INET6 && is_mapped(a->addr) && s->v6only)
        return -LINUX_ENETUNREACH; /* IPv6 only (or bound to an IPv6 address): no IPv4 route */
    if (s->family == AF_INET6 && !is_mapped(a->addr) && s->bound && is_mapped(s->local.addr) &&
        !is_any4(s->local.addr))
        return -LINUX_EAFNOSUPPORT; /* bound to an IPv4 address: no IPv6 destination */
    return inet_route(a) ? 0 : -LINUX_ENETUNREACH;
}

void inet_source(const struct inet_sock *s, const struct inet_addr *to, struct inet_addr *from)
{
    *from = s->local;
    if (is_any(from->addr)) { /* the loopback's address of to's family: 127.0.0.1 or ::1 */
        memset(from->addr, 0, 16);
        if (is_mapped(to->addr))
            memcpy(from->addr, mapped_prefix, 12), from->addr[12] = 127, from->addr[15] = 1;
        else
            from->addr[15] = 1;
    }
}

uint32_t inet_name(const struct inet_sock *s, const struct inet_addr *a, struct sockaddr_k *out)
{
    if (s->family == AF_PACKET) /* a frame's sockaddr_ll (packet.c) */
        return packet_name(a, out);
    memset(out, 0, sizeof *out);
    if (s->family == AF_INET) {
        struct sockaddr_in_k *v = (struct sockaddr_in_k *)out;
        v->family = AF_INET, v->port = __builtin_bswap16(a->port);
        memcpy(v->addr, a->addr + 12, 4);
        return sizeof *v;
    }
    struct sockaddr_in6_k *v = (struct sockaddr_in6_k *)out;
    v->family = AF_INET6, v->port = __builtin_bswap16(a->port);
    memcpy(v->addr, a->addr, 16);
    return sizeof *v;
}

/* The socket's names as getsockname and getpeername give them. */
static void set_names(struct inet_sock *s)
{
    s->sock->namelen = inet_name(s, &s->local, &s->sock->name);
    s->sock->peerlen = s->connected ? inet_name(s, &s->remote, &s->sock->peer) : 0;
}

int64_t inet_addr_in(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t len, struct inet_addr *a,
                     bool *unspec)
{
    uint8_t buf[sizeof(struct sockaddr_in6_k)] = {0};
    if ((int64_t)len < 0 || len > 128)
        return -LINUX_EINVAL;
    if (mem_in(c->p, buf, uaddr, len < sizeof buf ? len : sizeof buf) < 0)
        return -LINUX_EFAULT;
    uint16_t family = (uint16_t)(buf[0] | buf[1] << 8);
    if (unspec && len >= 2 && family == AF_UNSPEC) {
        *unspec = true;
        return 0;
    }
    memset(a, 0, sizeof *a);
    if (s->family == AF_INET) {
        struct sockaddr_in_k *v = (struct sockaddr_in_k *)buf;
        if (len < sizeof *v)
            return -LINUX_EINVAL;
        if (family != AF_INET && !(family == AF_UNSPEC && !v->addr[0] && !v->addr[1] && !v->addr[2] && !v->addr[3]))
            return -LINUX_EAFNOSUPPORT; /* AF_UNSPEC only with INADDR_ANY, as Linux allows old programs */
        memcpy(a->addr, mapped_prefix, 12), memcpy(a->addr + 12, v->addr, 4);
        a->port = __builtin_bswap16(v->port);
        return 0;
    }
    struct sockaddr_in6_k *v = (struct sockaddr_in6_k *)buf;
    if (len < SIN6_LEN_RFC2133)
        return -LINUX_EINVAL;
    if (family != AF_INET6)
        return -LINUX_EAFNOSUPPORT;
    memcpy(a->addr, v->addr, 16);
    a->port = __builtin_bswap16(v->port);
    return 0;
}

/* Whether a socket x bound to a and one bound to q (IPv6 only if
 * q_v6only) take some of the same packets. */
static bool overlap_at(const struct inet_sock *x, const struct inet_addr *a, const uint8_t *q, bool q_v6only)
{
    const uint8_t *p = a->addr;
    if (memcmp(p, q, 16) == 0)
        return true;
    if (is_any6(p) && is_any6(q))
        return true;
    if (is_any6(p)) /* a v6 wildcard takes v6 addresses, and v4 ones unless v6only */
        return !is_mapped(q) || !x->v6only;
    if (is_any6(q))
        return !is_mapped(p) || !q_v6only;
    return is_mapped(p) && is_mapped(q) && (is_any4(p) || is_any4(q));
}

static bool overlap(const struct inet_sock *x, const struct inet_addr *a, const struct inet_sock *y)
{
    return overlap_at(x, a, y->local.addr, y->v6only);
}

/* Whether an orphan or a TIME_WAIT end (tcpclose.c) holds s's port at a:
 * as a bound socket that is not listening. */
static bool tw_holds(const struct inet_sock *s, const struct inet_addr *a, bool any)
{
    if (s->proto != IPPROTO_TCP)
        return false;
    for (const struct tcp_tw *t = tcp_tw_list(); t; t = t->next)
        if (t->local.port == a->port && netns_same(&t->k, s->sock) &&
            (any || overlap_at(s, a, t->local.addr, t->v6only)) &&
            (any || !((s->sock->reuseport && t->k.reuseport) || (s->sock->reuseaddr && t->k.reuseaddr))))
            return true;
    return false;
}

/* EADDRINUSE if binding s to a clashes with a bound socket, as Linux's
 * rules of sharing say: both SO_REUSEPORT, or both SO_REUSEADDR and the
 * other not listening (any UDP pair with both). */
static bool in_use(const struct inet_sock *s, const struct inet_addr *a)
{
    for (const struct inet_sock *o = ports; o; o = o->next) {
        if (o == s || o->proto != s->proto || o->local.port != a->port || !overlap(s, a, o) ||
            !netns_same(o->sock, s->sock)) /* another namespace's ports are its own */
            continue;
        if (s->sock->reuseport && o->sock->reuseport)
            continue;
        if (s->sock->reuseaddr && o->sock->reuseaddr && (s->proto == IPPROTO_UDP || !o->sock->listening))
            continue;
        return true;
    }
    return tw_holds(s, a, false);
}

static void bind_to(struct inet_sock *s, const struct inet_addr *a)
{
    s->local = *a;
    s->bound = true;
    s->next = ports;
    ports = s;
    set_names(s);
}

void inet_unbind(struct inet_sock *s)
{
    for (struct inet_sock **ps = &ports; *ps; ps = &(*ps)->next)
        if (*ps == s) {
            *ps = s->next;
            break;
        }
    s->bound = false;
}

/* A port of its own from Linux's ephemeral range, for a socket bound to a
 * (its address, port 0). */
static int64_t ephemeral(struct inet_sock *s, struct inet_addr *a)
{
    static unsigned next;
    for (unsigned i = 0; i <= (unsigned)(PORT_HIGH - PORT_LOW); i++) {
        a->port = (uint16_t)(PORT_LOW + (next++ * 7919u) % (unsigned)(PORT_HIGH - PORT_LOW + 1)); /* spread, as Linux's */
        bool taken = false;
        for (const struct inet_sock *o = ports; o && !taken; o = o->next)
            taken = o->proto == s->proto && o->local.port == a->port && netns_same(o->sock, s->sock);
        if (!taken && !tw_holds(s, a, true))
            return 0;
    }
    return -LINUX_EADDRINUSE;
}

int64_t inet_autobind(struct inet_sock *s)
{
    if (s->bound)
        return 0;
    struct inet_addr a = {{0}, 0};
    if (s->family == AF_INET)
        memcpy(a.addr, mapped_prefix, 12);
    int64_t r = ephemeral(s, &a);
    if (r == 0)
        bind_to(s, &a);
    return r;
}

int64_t inet_bind(struct sys_ctx *c, struct file *f, uint64_t uaddr, uint64_t len)
{
    struct inet_sock *s = f->sock->inet;
    struct inet_addr a;
    if (s->kind)
        return raw_bind(c, s, uaddr, len);
    int64_t r = inet_addr_in(c, s, uaddr, len, &a, NULL);
    uint16_t port = a.port; /* bind's port, before the ephemeral one */
    if (r < 0)
        return r;
    if (s->family == AF_INET6 && is_mapped(a.addr) && s->v6only)
        return -LINUX_EINVAL;
    if (s->proto == IPPROTO_TCP && (r = landlock_net(c->p, true, a.port)) < 0)
        return r;
    const struct netsysctl *t = net_sysctl(f->sock);
    bool nonlocal = is_mapped(a.addr) ? t->nonlocal_bind : t->nonlocal_bind6; /* inet_can_nonlocal_bind */
    if (!is_any(a.addr) && !nonlocal && (!inet_route(&a) || netns_reach(f->sock, a.addr, true) < 0))
        return -LINUX_EADDRNOTAVAIL; /* not the loopback's, or ::1 while its namespace's lo lacks it */
    if (a.port && a.port < t->prot_sock && !netns_capable(&c->p->cred, f->sock->net, CAP_NET_BIND_SERVICE))
        return -LINUX_EACCES; /* below ip_unprivileged_port_start (inet_port_requires_bind_service) */
    if (s->bound || f->pipe || f->sock->listening)
        return -LINUX_EINVAL;
    if (a.port ? in_use(s, &a) : (r = ephemeral(s, &a)) < 0)
        return a.port ? -LINUX_EADDRINUSE : r;
    s->addr_lock = !is_any(a.addr), s->port_lock = port != 0; /* SOCK_BINDADDR_LOCK, SOCK_BINDPORT_LOCK */
    bind_to(s, &a);
    if (s->family == AF_INET6 && !is_any(a.addr) && !is_mapped(a.addr))
        s->v6only = true; /* bound to an IPv6 address: IPv6 only now, as Linux's __inet6_bind */
    return 0;
}

int64_t inet_listen(struct file *f)
{
    struct inet_sock *s = f->sock->inet;
    if (s->proto != IPPROTO_TCP || s->kind)
        return -LINUX_EOPNOTSUPP;
    if (f->pipe)
        return -LINUX_EINVAL;
    if (f->sock->listening)
        return 0;
    /* two sockets that shared a port while bound may not both listen */
    for (const struct inet_sock *o = ports; s->bound && o; o = o->next)
        if (o != s && o->proto == IPPROTO_TCP && o->sock->listening && o->local.port == s->local.port &&
            overlap(s, &s->local, o) && !(s->sock->reuseport && o->sock->reuseport) && netns_same(o->sock, s->sock))
            return -LINUX_EADDRINUSE;
    return inet_autobind(s);
}

/* The socket a packet from s to `to` from `from` reaches: of s's
 * namespace and proto, listening for TCP; bound to to's address before a
 * wildcard; a connected UDP socket only if from is its peer. */
static struct inet_sock *receiver(const struct inet_sock *s, int proto, const struct inet_addr *to,
                                  const struct inet_addr *from)
{
    struct inet_sock *wild = NULL;
    for (struct inet_sock *o = ports; o; o = o->next) {
        if (o->proto != proto || o->local.port != to->port || (proto == IPPROTO_TCP && !o->sock->listening) ||
            !netns_same(o->sock, s->sock))
            continue;
        if (proto == IPPROTO_UDP && o->connected &&
            (memcmp(o->remote.addr, from->addr, 16) || o->remote.port != from->port))
            continue;
        if (memcmp(o->local.addr, to->addr, 16) == 0)
            return o;
        if ((is_any4(o->local.addr) && is_mapped(to->addr)) ||
            (is_any6(o->local.addr) && (!is_mapped(to->addr) || !o->v6only)))
            wild = wild ? wild : o;
    }
    return wild;
}

struct inet_sock *inet_deliver_to(const struct inet_sock *s, const struct inet_addr *to, const struct inet_addr *from)
{
    return receiver(s, IPPROTO_UDP, to, from);
}

int64_t inet_connect(struct sys_ctx *c, struct file *f, uint64_t fd, uint64_t uaddr, uint64_t len)
{
    struct sock *k = f->sock;
    struct inet_sock *s = k->inet;
    struct inet_addr a;
    bool unspec = false;
    if (s->kind)
        return raw_connect(c, s, uaddr, len);
    int64_t r = inet_addr_in(c, s, uaddr, len, &a, &unspec);
    bool busy = s->proto == IPPROTO_TCP && ((f->pipe && !s->connect_done) || k->listening);
    if ((r == -LINUX_EINVAL || r == -LINUX_EAFNOSUPPORT) && busy && len >= 2 && len <= 128)
        return -LINUX_EISCONN; /* as Linux: a connected or listening stream says so before it reads the name */
    if (r < 0)
        return r;
    if (s->proto == IPPROTO_UDP) {
        s->err = 0;
        if (unspec) { /* AF_UNSPEC: no default destination any more, and what connect chose goes, as __udp_disconnect */
            s->connected = false;
            if (!s->addr_lock) { /* the source address connect chose */
                memset(s->local.addr, 0, 16);
                if (s->family == AF_INET)
                    memcpy(s->local.addr, mapped_prefix, 12);
            }
            if (s->bound && !s->port_lock) /* and the port of its own it took */
                inet_unbind(s), s->local.port = 0;
            set_names(s);
            return 0;
        }
        if ((r = inet_dest(s, &a)) < 0)
            return r;
        if ((r = netns_reach(k, a.addr, false)) < 0)
            return r; /* its namespace's lo down */
        if ((r = inet_autobind(s)) < 0)
            return r;
        s->remote = a, s->connected = true;
        if (is_any(s->local.addr)) { /* the source address the route gives, as ip4_datagram_connect */
            uint16_t port = s->local.port;
            inet_source(s, &a, &s->local);
            s->local.port = port;
        }
        set_names(s);
        return 0;
    }
    if (unspec)
        return f->pipe ? -LINUX_EISCONN : 0; /* no disconnect of a connected stream here */
    if ((r = landlock_net(c->p, false, a.port)) < 0)
        return r; /* Landlock's domain may not let it connect to the port */
    if (f->pipe) {
        if (s->connect_done) { /* the nonblocking connect that said EINPROGRESS is done */
            s->connect_done = false;
            return 0;
        }
        return -LINUX_EISCONN;
    }
    if (k->listening)
        return -LINUX_EISCONN;
    if (s->err == LINUX_ECONNREFUSED && !(f->flags & O_NONBLOCK))
        s->err = 0;
    if ((r = inet_dest(s, &a)) < 0)
        return r;
    if ((r = netns_reach(k, a.addr, false)) < 0)
        return r;
    struct inet_sock *l = receiver(s, IPPROTO_TCP, &a, NULL);
    if ((r = inet_autobind(s)) < 0)
        return r;
    if (!l) {
        tcp_tap_refused(s, &a); /* its SYN, and the stack's reset (tcptap.c) */
        netstat_tcp_refused(&a);
        if (!(f->flags & O_NONBLOCK))
            return -LINUX_ECONNREFUSED;
        s->err = LINUX_ECONNREFUSED; /* the refusal comes after, as Linux's: SO_ERROR and poll say it */
        uint16_t port = s->local.port; /* and the socket keeps the source address it had chosen */
        inet_source(s, &a, &s->local);
        s->local.port = port;
        set_names(s);
        poll_recheck();
        return -LINUX_EINPROGRESS;
    }
    s->remote = a, s->connected = true;
    /* a blocking connect to a full queue waits for room (Linux's SYN is
     * dropped and sent again); a nonblocking one is queued all the same */
    r = f->flags & O_NONBLOCK ? socket_join(c->p, f, l->sock) : socket_connect_to(c, f, fd, l->sock);
    if (r < 0 || c->deferred) {
        s->connected = r == 0; /* waiting: inet_joined names it when it gets in */
        return r;
    }
    set_names(s);
    if (!(f->flags & O_NONBLOCK))
        return 0;
    s->connect_done = true;
    return -LINUX_EINPROGRESS;
}

/* A connection from client reached listener l: the accepted end is named
 * as the address the client asked for, in l's family, and its peer is the
 * client's address. */
void inet_joined(struct sock *client, struct sock *l, struct sock *accepted)
{
    struct inet_sock *cs = client->inet, *ls = l->inet, *as = calloc(1, sizeof *as);
    if (!as)
        return; /* names of the wildcard and no peer: poorer, not wrong in kind */
    *as = *ls;
    as->sock = accepted, as->file = NULL, as->queue = NULL, as->queued = 0, as->err = 0;
    as->local = cs->remote;
    inet_source(cs, &cs->remote, &as->remote);
    as->remote.port = cs->local.port;
    as->connected = true, as->bound = false;
    accepted->inet = as;
    netstat_tcp_open(&cs->remote);
    accepted->reuseaddr = l->reuseaddr, accepted->reuseport = l->reuseport;
    accepted->rcvbuf = l->rcvbuf, accepted->sndbuf = l->sndbuf, accepted->keepalive = l->keepalive;
    accepted->flagopts = l->flagopts; /* sk_clone's sk_flags: SO_OOBINLINE ... */
    bind_to(as, &as->local); /* the port stays in use while the connection lives, as Linux's */
    /* the client's own name: the loopback's address it came from */
    if (is_any(cs->local.addr)) {
        uint16_t port = cs->local.port;
        inet_source(cs, &cs->remote, &cs->local);
        cs->local.port = port;
    }
    set_names(cs);
    tcp_tap_open(cs, as); /* the handshake's segments (tcptap.c) */
}

void inet_release(struct sock *k)
{
    struct inet_sock *s = k->inet;
    inet_unbind(s);
    if (s->kind)
        raw_release(s);
    tcp_tap_forget(s);
    udp_free_queue(s);
    free(s);
    k->inet = NULL;
}

int64_t inet_socket(struct sys_ctx *c, int domain, int type, int flags, uint64_t protocol)
{
    int proto = type == SOCK_STREAM ? IPPROTO_TCP : type == SOCK_DGRAM ? IPPROTO_UDP : -1;
    if (protocol >= IPPROTO_MAX)
        return -LINUX_EINVAL;
    if (type == SOCK_RAW && protocol && !netns_capable(&c->p->cred, NULL, CAP_NET_RAW))
        return -LINUX_EPERM; /* as Linux's inet_create, before anything says there is no raw network */
    if (type == SOCK_RAW || (type == SOCK_DGRAM && protocol == (domain == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6)))
        return raw_socket(c, domain, type, flags, protocol); /* raw.c: raw and ping sockets */
    if (proto < 0)
        return -LINUX_ESOCKTNOSUPPORT;
    if (protocol != 0 && protocol != (uint64_t)proto)
        return -LINUX_EPROTONOSUPPORT;
    struct inet_sock *s = inet_new(c, domain, proto, flags, proto == IPPROTO_TCP ? &socket_fops : &udp_fops);
    if (!s)
        return -LINUX_ENOMEM;
    if (proto == IPPROTO_TCP) { /* tcp_init_sock: tcp_rmem's and tcp_wmem's second, the default algorithm */
        const struct netsysctl *t = net_sysctl(s->sock);
        s->sock->rcvbuf = t->rmem[1], s->sock->sndbuf = t->wmem[1], s->tcp.congestion = t->cong[0] == 'r';
    }
    set_names(s);
    return inet_install(c, s, flags);
}

struct inet_sock *inet_new(struct sys_ctx *c, int domain, int proto, int flags, const struct file_ops *ops)
{
    struct file *f = calloc(1, sizeof *f);
    struct sock *k = sock_new();
    struct inet_sock *s = calloc(1, sizeof *s);
    if (!f || !k || !s) {
        free(f), free(k), free(s);
        return NULL;
    }
    *s = (struct inet_sock){.sock = k, .file = f, .family = domain, .proto = proto, .ttl = -1,
                            .uid = c->p->cred.euid};
    if (domain == AF_INET)
        memcpy(s->local.addr, mapped_prefix, 12);
    s->v6only = domain == AF_INET6 && net_sysctl(k)->bindv6only; /* inet6_create: net.ipv6.bindv6only */
    k->inet = s;
    *f = (struct file){.ops = ops, .kind = FILE_SOCKET, .flags = O_RDWR | (flags & O_NONBLOCK), .refs = 1, .sock = k};
    return s;
}

int64_t inet_install(struct sys_ctx *c, struct inet_sock *s, int flags)
{
    int fd = fd_alloc(c->p, 0, s->file, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(s->file);
    return fd;
}

int inet_ttl(const struct inet_sock *s, bool v6)
{
    const struct netsysctl *t = net_sysctl(s->sock);
    return s->ttl >= 0 ? s->ttl : v6 ? t->hop_limit[CONF_LO] : t->default_ttl; /* lo's route: its device's */
}

int64_t inet_getsockopt(struct sock *k, int level, int name, int32_t *v)
{
    struct inet_sock *s = k->inet;
    if (level == IPPROTO_IP) {
        if (name != IP_TTL && name != IP_RECVTTL)
            return -LINUX_ENOPROTOOPT;
        *v = name == IP_RECVTTL ? s->recvttl : s->ttl >= 0 ? s->ttl : net_sysctl(k)->default_ttl;
        return 0; /* IP_TTL unset: no route is kept, the namespace's ip_default_ttl */
    }
    if (level == IPPROTO_IPV6 && s->family == AF_INET6) {
        if (name == IPV6_V6ONLY)
            *v = s->v6only;
        else if (name == IPV6_RECVHOPLIMIT)
            *v = s->recvhops;
        else if (name == IPV6_UNICAST_HOPS) /* unset: conf/all/hop_limit, as do_ipv6_getsockopt */
            *v = s->ttl >= 0 ? s->ttl : net_sysctl(k)->hop_limit[CONF_ALL];
        else
            return -LINUX_ENOPROTOOPT;
        return 0;
    }
    return -LINUX_EOPNOTSUPP; /* as ip_getsockopt for a level not its own */
}

int64_t inet_setsockopt(struct sock *k, int level, int name, int32_t v)
{
    struct inet_sock *s = k->inet;
    bool ip = level == IPPROTO_IP && name == IP_TTL;
    bool hops = level == IPPROTO_IPV6 && s->family == AF_INET6 && name == IPV6_UNICAST_HOPS;
    if (ip || hops) {
        if (v < -1 || v > 255 || (ip && v == 0))
            return -LINUX_EINVAL;
        s->ttl = v; /* -1: the namespace's default (inet_ttl) */
        return 0;
    }
    if ((level == IPPROTO_IP && name == IP_RECVTTL) || /* recvmsg's TTL (hop limit) message, udp.c */
        (level == IPPROTO_IPV6 && s->family == AF_INET6 && name == IPV6_RECVHOPLIMIT)) {
        *(name == IP_RECVTTL ? &s->recvttl : &s->recvhops) = v != 0;
        return 0;
    }
    if (level == IPPROTO_IPV6 && s->family == AF_INET6 && name == IPV6_V6ONLY) {
        if (s->bound)
            return -LINUX_EINVAL; /* too late once bound */
        s->v6only = v != 0;
        return 0;
    }
    return -LINUX_ENOPROTOOPT;
}
