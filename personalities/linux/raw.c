/*
 * personalities/linux/raw.c - raw and ping sockets: socket (CAP_NET_RAW
 * for SOCK_RAW, ping_group_range's groups for a ping socket, as Linux's
 * ping_init_sock), bind and connect (an address of the loopback; a ping
 * socket's port is its echo id, from 1 up as Linux's ping_get_port picks
 * them), their sends as Linux builds the packets (raw_sendmsg,
 * raw_send_hdrinc, rawv6_sendmsg, ping_v4_sendmsg), and the options of
 * their levels: ICMP_FILTER, ICMPV6_FILTER, IP_HDRINCL, IP_RECVERR.  See
 * raw.h for the design.
 *
 * Entry points: raw.h.  Callers: inet.c, udp.c, sockopt.c.  Layer: a file
 * type, over inet.c and udp.c.  Book: docs/linux.md, "Networking".
 */
#include "raw.h"
#include "proc.h"
#include "netsysctl.h"
#include <stdlib.h>
#include <string.h>

static struct inet_sock *raws; /* every raw and ping socket */
static uint16_t ping_rover;    /* the last echo id given, as ping_port_rover */

struct inet_sock *raw_list(void) { return raws; }
void raw_set_list(struct inet_sock *s) { raws = s; }

static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
static bool any_addr(const struct inet_sock *s, const uint8_t *a)
{
    static const uint8_t zero[16];
    return s->family == AF_INET ? !memcmp(a, mapped, 12) && !memcmp(a + 12, zero, 4) : !memcmp(a, zero, 16);
}

/* getsockname's and getpeername's names: a raw socket's port is its
 * protocol (inet_create's inet_sport), a ping socket's its id; a peer is
 * named only with a port (inet_getname: ENOTCONN without inet_dport). */
static void names(struct inet_sock *s)
{
    s->sock->namelen = inet_name(s, &s->local, &s->sock->name);
    s->sock->peerlen = s->connected && s->remote.port ? inet_name(s, &s->remote, &s->sock->peer) : 0;
}

/* Whether p's effective group or one of its groups is in ping_group_range. */
static bool ping_allowed(const struct cred *cr)
{
    int64_t lo = net_sysctl(NULL)->ping_group_range[0], hi = net_sysctl(NULL)->ping_group_range[1];
    if (cr->egid >= lo && cr->egid <= hi)
        return true;
    for (int i = 0; i < cr->ngroups; i++)
        if (cr->grp->gid[i] >= lo && cr->grp->gid[i] <= hi)
            return true;
    return false;
}

int64_t raw_socket(struct sys_ctx *c, int domain, int type, int flags, uint64_t protocol)
{
    if (type == SOCK_RAW && !protocol)
        return -LINUX_EPROTONOSUPPORT; /* inetsw's raw entry takes any protocol but IPPROTO_IP */
    if (type == SOCK_DGRAM && !ping_allowed(&c->p->cred))
        return -LINUX_EACCES; /* ping_init_sock: not a group the sysctl names (root no more than others) */
    struct inet_sock *s = inet_new(c, domain, (int)protocol, flags, &udp_fops);
    if (!s)
        return -LINUX_ENOMEM;
    s->kind = type == SOCK_RAW ? RAW_SOCK : PING_SOCK;
    s->hdrincl = protocol == IPPROTO_RAW;
    s->v6only |= type == SOCK_DGRAM && domain == AF_INET6; /* ping_init_sock; a raw one's is bindv6only's */
    if (type == SOCK_RAW)
        s->local.port = (uint16_t)protocol;
    s->sock->type = type;
    s->next_raw = raws, raws = s;
    names(s);
    return inet_install(c, s, flags);
}

void raw_release(struct inet_sock *s)
{
    for (struct inet_sock **ps = &raws; *ps; ps = &(*ps)->next_raw)
        if (*ps == s) {
            *ps = s->next_raw;
            break;
        }
    if (s->kind == PACKET_SOCK)
        packet_release(s); /* its rings and fanout group (packet.c) */
    free(s->pk);
    s->pk = NULL;
}

/* A user's address for s: Linux's lengths and families (a raw IPv4
 * socket's send takes AF_UNSPEC too, unspec_ok). */
static int64_t addr_in(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t len, struct inet_addr *a,
                       bool unspec_ok)
{
    uint8_t buf[28] = {0};
    if ((int64_t)len < 0 || len > 128)
        return -LINUX_EINVAL;
    if (len && mem_in(c->p, buf, uaddr, len < sizeof buf ? len : sizeof buf) < 0)
        return -LINUX_EFAULT;
    uint16_t family = (uint16_t)(buf[0] | buf[1] << 8);
    memset(a, 0, sizeof *a);
    if (s->family == AF_INET) {
        if (len < 16)
            return -LINUX_EINVAL;
        if (family != AF_INET && !(unspec_ok && family == AF_UNSPEC))
            return -LINUX_EAFNOSUPPORT;
        memcpy(a->addr, mapped, 12), memcpy(a->addr + 12, buf + 4, 4);
    } else {
        if (len < SIN6_LEN_RFC2133)
            return -LINUX_EINVAL;
        if (family != AF_INET6 && !(unspec_ok && family == AF_UNSPEC))
            return -LINUX_EAFNOSUPPORT;
        memcpy(a->addr, buf + 8, 16);
    }
    a->port = (uint16_t)(buf[2] << 8 | buf[3]);
    return 0;
}

/* Takes echo id `id` (0: the next free one after the rover) for ping socket s. */
static int64_t ping_port(struct inet_sock *s, uint16_t id)
{
    for (uint32_t i = 0; !id && i < 65536; i++) {
        uint16_t cand = (uint16_t)(ping_rover + 1 + i);
        bool used = !cand;
        for (const struct inet_sock *o = raws; o && !used; o = o->next_raw)
            used = o->kind == PING_SOCK && o->bound && o->family == s->family && o->local.port == cand;
        if (!used)
            id = ping_rover = cand;
    }
    for (const struct inet_sock *o = raws; o; o = o->next_raw)
        if (o != s && o->kind == PING_SOCK && o->bound && o->family == s->family && o->local.port == id &&
            !(o->sock->reuseaddr && s->sock->reuseaddr))
            return -LINUX_EADDRINUSE;
    if (!id)
        return -LINUX_EADDRINUSE;
    s->local.port = id, s->bound = true;
    names(s);
    return 0;
}

int64_t raw_ping_autobind(struct inet_sock *s) { return ping_port(s, 0); }

int64_t raw_bind(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t len)
{
    struct inet_addr a;
    int64_t r;
    if (s->kind == PACKET_SOCK)
        return packet_bind(c, s, uaddr, len);
    if (s->kind == PING_SOCK) { /* ping_check_bind_addr, then ping_bind */
        if (s->family == AF_INET) {
            uint8_t b[8] = {0};
            if ((int64_t)len >= 2 && mem_in(c->p, b, uaddr, (int64_t)len < 8 ? len : 8) < 0)
                return -LINUX_EFAULT;
            if ((int64_t)len >= 16 && b[0] == AF_UNSPEC && !b[1] && !b[4] && !b[5] && !b[6] && !b[7])
                b[0] = AF_INET; /* AF_UNSPEC with INADDR_ANY, as old programs do */
            if ((int64_t)len >= 16 && b[0] == AF_UNSPEC && !b[1])
                return -LINUX_EAFNOSUPPORT;
        }
        if ((r = addr_in(c, s, uaddr, len, &a, s->family == AF_INET)) < 0)
            return r;
        if (!any_addr(s, a.addr) && !inet_route(&a))
            return -LINUX_EADDRNOTAVAIL;
        if (s->bound)
            return -LINUX_EINVAL;
        uint16_t id = a.port;
        memcpy(s->local.addr, a.addr, 16);
        if ((r = ping_port(s, id)) < 0)
            memcpy(s->local.addr, s->family == AF_INET ? mapped : (const uint8_t[16]){0}, 12),
                memset(s->local.addr + 12, 0, 4);
        return r;
    }
    if ((s->family == AF_INET ? (int64_t)len < 16 : (int64_t)len < SIN6_LEN_RFC2133) || len > 128)
        return -LINUX_EINVAL; /* raw_bind: too short (the family is not asked of IPv4) */
    if ((r = addr_in(c, s, uaddr, len, &a, true)) < 0)
        return r;
    if (!any_addr(s, a.addr) && !inet_route(&a))
        return -LINUX_EADDRNOTAVAIL;
    memcpy(s->local.addr, a.addr, 16);
    s->bound = !any_addr(s, a.addr); /* a bound address stays through a disconnect */
    names(s);
    return 0;
}

int64_t raw_connect(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t len)
{
    uint16_t family = 0;
    if (s->kind == PACKET_SOCK)
        return -LINUX_EOPNOTSUPP; /* sock_no_connect */
    if ((int64_t)len >= 2 && mem_in(c->p, &family, uaddr, 2) < 0)
        return -LINUX_EFAULT;
    if ((int64_t)len < 2 || len > 128)
        return -LINUX_EINVAL;
    if (family == AF_UNSPEC) { /* __udp_disconnect: no peer, and the address of a send only unless bound */
        s->connected = false;
        if (!s->bound && s->kind == RAW_SOCK)
            memset(s->local.addr + (s->family == AF_INET ? 12 : 0), 0, s->family == AF_INET ? 4 : 16);
        if (s->kind == RAW_SOCK) /* and unhashed, its port 0: a raw socket takes no packet after, as Linux's */
            s->local.port = 0;
        names(s);
        return 0;
    }
    struct inet_addr a;
    int64_t r = addr_in(c, s, uaddr, len, &a, false);
    if (r < 0)
        return r;
    inet_any_to_loopback(&a);
    if (!inet_route(&a))
        return -LINUX_ENETUNREACH;
    if (s->kind == PING_SOCK && !s->bound && (r = ping_port(s, 0)) < 0)
        return r;
    s->remote = a, s->connected = true;
    if (any_addr(s, s->local.addr)) { /* ip4_datagram_connect: the source it will use */
        uint16_t port = s->local.port;
        inet_source(s, &a, &s->local);
        s->local.port = port;
    }
    names(s);
    return 0;
}

/* ---- options ---- */

#define IPV6_CHECKSUM 7
#define IPV6_RECVERR 25

/* The on-off option a level and name of s are (NULL: not one of these):
 * IP_HDRINCL (a raw socket's), IP_RECVERR and IP_RECVTTL of IPv4 and
 * ping sockets, IPV6_RECVERR and IPV6_RECVHOPLIMIT of IPv6 ones. */
static bool *flag(struct inet_sock *s, int level, int name)
{
    if (level == IPPROTO_IP && (s->family == AF_INET || s->kind == PING_SOCK))
        return name == IP_HDRINCL && s->kind == RAW_SOCK ? &s->hdrincl
               : name == IP_RECVERR                      ? &s->recverr
               : name == IP_RECVTTL                      ? &s->recvttl
                                                         : NULL;
    if (level == IPPROTO_IPV6 && s->family == AF_INET6)
        return name == IPV6_RECVERR ? &s->recverr : name == IPV6_RECVHOPLIMIT ? &s->recvhops : NULL;
    return NULL;
}

/* The size of the ICMP filter a level and name of s reach (4 for
 * ICMP_FILTER, 32 for ICMPV6_FILTER), 0 for another level, or -errno as
 * Linux's raw options: another name of the level, a protocol without one. */
static int filter_opt(const struct inet_sock *s, int level, int name)
{
    bool icmp6 = s->family == AF_INET6 && level == IPPROTO_ICMPV6;
    if (s->kind != RAW_SOCK || !((s->family == AF_INET && level == SOL_RAW) || icmp6))
        return 0;
    if (name != ICMP_FILTER)
        return -LINUX_ENOPROTOOPT;
    if (s->proto != (icmp6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
        return -LINUX_EOPNOTSUPP;
    return icmp6 ? 32 : 4;
}

int64_t raw_getsockopt(struct sys_ctx *c, struct inet_sock *s, int level, int name, uint64_t uval, uint64_t ulen)
{
    if (s->kind == PACKET_SOCK)
        return packet_getsockopt(c, s, level, name, uval, ulen);
    int32_t len, v;
    const void *val = &v;
    uint32_t size = sizeof v;
    int fsize = filter_opt(s, level, name);
    if (fsize < 0)
        return fsize;
    if (fsize) {
        val = s->icmp_filter, size = (uint32_t)fsize;
    } else if (flag(s, level, name)) {
        v = *flag(s, level, name);
    } else if (level == IPPROTO_IP && name == IP_HDRINCL) {
        v = 0; /* do_ip_getsockopt: any socket's, 0 but a raw one's */
    } else if (level == SOL_RAW && s->family == AF_INET6 && name == IPV6_CHECKSUM) {
        v = s->proto == IPPROTO_ICMPV6 ? 2 : -1; /* the offset the stack sums at, or -1 for none */
    } else if (level == IPPROTO_TCP) {
        return s->family == AF_INET ? -LINUX_EOPNOTSUPP : -LINUX_ENOPROTOOPT;
    } else {
        int64_t r = inet_getsockopt(s->sock, level, name, &v);
        if (r < 0)
            return r;
    }
    if (mem_in(c->p, &len, ulen, sizeof len) < 0)
        return -LINUX_EFAULT;
    if (len < 0)
        return -LINUX_EINVAL;
    size = (uint32_t)len < size ? (uint32_t)len : size;
    if (mem_out(c->p, ulen, &size, sizeof size) < 0 || mem_out(c->p, uval, val, size) < 0)
        return -LINUX_EFAULT;
    return 0;
}

int64_t raw_setsockopt(struct sys_ctx *c, struct inet_sock *s, int level, int name, uint64_t uval, int len)
{
    if (s->kind == PACKET_SOCK)
        return packet_setsockopt(c, s, level, name, uval, len);
    int fsize = filter_opt(s, level, name);
    if (fsize < 0)
        return fsize;
    if (fsize) {
        uint32_t n = (uint32_t)len < (uint32_t)fsize ? (uint32_t)len : (uint32_t)fsize;
        if (len < 0)
            return -LINUX_EINVAL;
        uint32_t filt[8];
        memcpy(filt, s->icmp_filter, sizeof filt);
        if (n && mem_in(c->p, filt, uval, n) < 0)
            return -LINUX_EFAULT;
        memcpy(s->icmp_filter, filt, sizeof filt);
        return 0;
    }
    if (level == IPPROTO_TCP)
        return -LINUX_ENOPROTOOPT;
    int32_t v = 0;
    bool *on = flag(s, level, name);
    if (on || (level == IPPROTO_IP && name == IP_HDRINCL)) {
        uint8_t b = 0; /* ip_setsockopt takes an int, or a char when shorter */
        if (len < (level == IPPROTO_IP ? 1 : 4))
            return -LINUX_EINVAL;
        if (len >= 4 ? mem_in(c->p, &v, uval, 4) < 0 : mem_in(c->p, &b, uval, 1) < 0)
            return -LINUX_EFAULT;
        if (!on)
            return -LINUX_ENOPROTOOPT; /* IP_HDRINCL is a raw socket's */
        *on = (len >= 4 ? v : b) != 0;
        return 0;
    }
    if (level == SOL_RAW && s->family == AF_INET6 && name == IPV6_CHECKSUM && s->kind == RAW_SOCK) {
        if (len < 4)
            return -LINUX_EINVAL;
        if (mem_in(c->p, &v, uval, 4) < 0)
            return -LINUX_EFAULT;
        if (v > 0 && (v & 1))
            return -LINUX_EINVAL; /* an odd offset */
        return 0; /* kept as Linux takes it; the stack sums ICMPv6 at 2 here, and no other protocol */
    }
    if (len < (int)sizeof v)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &v, uval, sizeof v) < 0)
        return -LINUX_EFAULT;
    return inet_setsockopt(s->sock, level, name, v);
}
