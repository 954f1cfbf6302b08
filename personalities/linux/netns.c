/*
 * personalities/linux/netns.c - network namespaces, as Linux's struct net
 * has them: each (the initial one and each CLONE_NEWNET made) has its own
 * loopback, which a new one starts with down and addressless (flags
 * IFF_LOOPBACK alone, as loopback_net_init registers it): bringing it up
 * (SIOCSIFFLAGS, RTM_NEWLINK) gives it 127.0.0.1/8 and ::1, as inetdev's
 * and addrconf's NETDEV_UP do; taking it down again keeps the IPv4
 * address and drops ::1 (addrconf_ifdown without keep_addr_on_down).
 * While lo is down its addresses are unreachable (ENETUNREACH).
 *
 * A socket is of its maker's namespace at socket() time and keeps it
 * (holding the namespace's nsfs inode, as sk_net holds its net), whatever
 * setns its process does after: its ports, lookups and ioctls are that
 * namespace's.  The namespaces a user may make are bounded by
 * user.max_net_namespaces (userns.c's limits: ENOSPC past it).
 *
 * Entry points: netns.h.  Callers: ns.c, sockopt.c (sock_new), socket.c,
 * inet.c, udp.c, netdev.c, netlink.c, unixname.c, netsysctl.c.  Layer: proc,
 * under the socket files.  Book: docs/linux.md, "Networking".
 */
#include "netns.h"
#include "fs.h"
#include "inet.h"
#include "ns.h"
#include "proc.h"
#include "procfs.h"
#include "socket.h"
#include "sysctl.h"
#include "sysfs.h"
#include "userns.h"
#include <stdlib.h>
#include <string.h>

struct netns netns_initial = {
    .lo_flags = IFF_UP | IFF_LOOPBACK, .lo_v4 = true, .lo_mtu = 65536, .sys = NETSYSCTL_DEFAULTS};
struct netns *netns_new(void)
{
    struct netns *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->lo_flags = IFF_LOOPBACK, n->lo_mtu = 65536; /* down, with no address */
    netsysctl_new(n);
    return n;
}

void netns_free(struct netns *n)
{
    sysfs_netns_gone(n); /* its sysfs instances' lo goes */
    free(n);
}

struct ns *netns_here(void) { return proc_charged ? ns_of(proc_charged, NS_NET) : ns_initial(NS_NET); }

struct netns *netns_of(const struct ns *n) { return n && n->net ? n->net : &netns_initial; }

bool netns_capable(const struct cred *cr, const struct ns *n, int cap)
{
    return cred_ns_capable(cr, userns_owner(n ? n : netns_here()), cap);
}

void netns_sock_hold(struct sock *k, struct ns *n)
{
    n = n ? n : ns_initial(NS_NET);
    k->net = n;
    if (n->net != &netns_initial)
        n->inode->refs++; /* the namespace stays while its socket does */
}

void netns_sock_put(struct sock *k)
{
    struct ns *n = k->net;
    k->net = NULL;
    if (!n || n->net == &netns_initial)
        return;
    n->inode->refs--;
    fs_release(n->inode); /* its last hold: the namespace goes (ns.c's nsfs_drop) */
}

bool netns_same(const struct sock *a, const struct sock *b) { return netns_of(a->net) == netns_of(b->net); }

int netns_reach(const struct sock *k, const uint8_t addr[16], bool bind)
{
    static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
    const struct netns *n = netns_of(k->net);
    const uint8_t *from = k->inet && k->inet->bound ? k->inet->local.addr : NULL;
    if (!bind && from && !memcmp(from, mapped, 12) && memcmp(from + 12, "\0\0\0\0", 4) && !inet_route(&k->inet->local))
        return -LINUX_ENETUNREACH; /* from an IPv4 address ip_nonlocal_bind took: no route (ip_route_output_key_hash) */
    if (memcmp(addr, mapped, 12) != 0) /* ::1: there while lo is up (no source address else) */
        return netns_has_v6(n) ? 0 : -LINUX_EADDRNOTAVAIL;
    return bind || (n->lo_flags & IFF_UP) ? 0 : -LINUX_ENETUNREACH; /* 127/8 binds even while down */
}

uint32_t netns_lo_flags(const struct netns *n, bool netlink)
{
    uint32_t f = n->lo_flags;
    if (f & IFF_UP) /* running, its carrier on, only while up (dev_get_flags) */
        f |= IFF_RUNNING | (netlink ? IFF_LOWER_UP : 0);
    return f;
}

void netns_set_flags(struct netns *n, uint32_t flags)
{
    /* those dev_change_flags lets a program change: up, debug ... allmulti, dynamic ... echo */
    const uint32_t changeable = 0x1 | 0x4 | 0x20 | 0x80 | 0x100 | 0x200 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x40000;
    n->lo_flags = (n->lo_flags & ~changeable) | (flags & changeable);
    if (n->lo_flags & IFF_UP)
        n->lo_v4 = true;
}

bool netns_has_v6(const struct netns *n)
{
    return (n->lo_flags & IFF_UP) && !n->sys.disable6[CONF_LO]; /* conf/lo/disable_ipv6 takes ::1 away */
}

int32_t netns_setlink(struct netns *nn, const uint8_t *body, uint32_t len)
{
    struct { uint8_t family, pad; uint16_t type; int32_t index; uint32_t flags, change; } i;
    if (proc_charged && !netns_capable(&proc_charged->cred, NULL, CAP_NET_ADMIN))
        return -LINUX_EPERM; /* checked before the message is read, as rtnetlink_rcv_msg */
    if (len < sizeof i)
        return -LINUX_EINVAL;
    memcpy(&i, body, sizeof i);
    bool lo = i.index == 1;
    for (uint32_t off = sizeof i; !i.index && off + 4 <= len;) { /* no index: IFLA_IFNAME names it */
        uint16_t alen, type;
        memcpy(&alen, body + off, 2), memcpy(&type, body + off + 2, 2);
        if (alen < 4 || alen > len - off)
            return -LINUX_EINVAL;
        if (type == IFLA_IFNAME)
            lo = alen - 4 >= 2 && memcmp(body + off + 4, "lo", 2) == 0 && (alen == 6 || body[off + 6] == 0);
        off += (alen + 3u) & ~3u;
    }
    if (!lo)
        return -LINUX_ENODEV;
    uint32_t flags = i.change ? (i.flags & i.change) | (nn->lo_flags & ~i.change) : i.flags;
    if (nn == &netns_initial) /* the machine's lo stays up, as netdev.c's SIOCSIFFLAGS */
        return (flags & IFF_UP) ? 0 : -LINUX_EOPNOTSUPP;
    netns_set_flags(nn, flags);
    return 0;
}

int64_t netns_ioctl_skns(struct sys_ctx *c, struct sock *k)
{
    if (!netns_capable(&c->p->cred, k->net ? k->net : ns_initial(NS_NET), CAP_NET_ADMIN))
        return -LINUX_EPERM;
    return ns_open_related(c, k->net ? k->net : ns_initial(NS_NET));
}
