/*
 * personalities/linux/netdev.c - the network interfaces as programs see
 * them: the one interface, lo (index 1, 127.0.0.1/8, MTU 65536, up and
 * running), through the interface ioctls of any socket (SIOCGIFCONF,
 * SIOCGIFNAME, SIOCGIFINDEX, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFNETMASK,
 * SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFMETRIC, SIOCGIFMAP, SIOCGIFTXQLEN,
 * SIOCGIFDSTADDR, SIOCGIFBRDADDR; the setters are root's, and lo stays
 * as it is), the sockets' tables in /proc/net (tcp, tcp6, udp, udp6),
 * in Linux's columns, which netstat and ss read, and the interface files
 * there (dev, if_inet6, route).
 *
 * The sockets' FIONREAD, SIOCATMARK, SIOCOUTQ and SIOCOUTQNSD are here
 * too, with the interface ioctls.
 *
 * Entry points: netdev_ioctl (the sockets' ioctl operation), inet_proc_net
 * (procfs).  Layer: a file type, over inet.c.  Book: docs/linux.md,
 * "Networking".
 */
#include "inet.h"
#include "tcpclose.h"
#include "time.h"
#include "pipe.h"
#include "socket.h"
#include "tstamp.h"
#include "netns.h"
#include "proc.h"
#include <stdio.h>
#include <string.h>

/* struct ifreq (net/if.h): a name and a union of 24 bytes. */
struct ifreq_k {
    char name[IFNAMSIZ];
    union {
        struct sockaddr_in_k addr;
        int16_t flags;
        int32_t value; /* the index, the MTU */
        uint8_t pad[24];
    } u;
};
_Static_assert(sizeof(struct ifreq_k) == 40, "struct ifreq");

/* The interface: lo, the loopback. */
static void lo_addr(struct sockaddr_in_k *a, bool mask)
{
    static const uint8_t addr[4] = {127, 0, 0, 1}, netmask[4] = {255, 0, 0, 0};
    memset(a, 0, sizeof *a);
    a->family = AF_INET;
    memcpy(a->addr, mask ? netmask : addr, 4);
}

/* SIOCGIFCONF: lo's entry (if it has its IPv4 address), as many whole
 * ones as fit, or the length all would take (a NULL buffer). */
static int64_t ifconf(struct proc *p, uint64_t arg, bool has)
{
    struct {
        int32_t len, pad;
        uint64_t buf;
    } ic;
    if (mem_in(p, &ic, arg, sizeof ic) < 0)
        return -LINUX_EFAULT;
    struct ifreq_k r = {"lo", {{0}}};
    lo_addr(&r.u.addr, false);
    int32_t n = !has ? 0 : ic.buf && ic.len >= (int32_t)sizeof r ? (int32_t)sizeof r : ic.buf ? 0 : (int32_t)sizeof r;
    if (ic.buf && n && mem_out(p, ic.buf, &r, sizeof r) < 0)
        return -LINUX_EFAULT;
    return mem_out(p, arg, &n, sizeof n) < 0 ? -LINUX_EFAULT : 0;
}

/* FIONREAD (SIOCINQ): what a read would find, as each protocol's ioctl
 * says it: a stream's bytes (TCP, AF_UNIX), a seqpacket socket's bytes
 * of every record, a datagram socket's first datagram (AF_UNIX, UDP); a
 * listening socket's EINVAL; netlink has none (ENOTTY). */
static int64_t inq(struct sys_ctx *c, struct file *f, uint64_t arg)
{
    const struct sock *k = f->sock;
    uint64_t n = 0;
    if (!k || k->nl)
        return -LINUX_ENOTTY;
    if (k->listening)
        return -LINUX_EINVAL;
    if (k->un) {
        for (const struct umsg *m = k->un->queue; m; m = k->un->type == SOCK_DGRAM ? NULL : m->next)
            n += m->len;
    } else if (k->inet && k->inet->proto == IPPROTO_UDP) {
        n = udp_first_len(k->inet);
    } else if (f->pipe) {
        n = oob_inq(f); /* TCP's: up to an urgent byte not inline */
    }
    int v = (int)n;
    return mem_out(c->p, arg, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

/* SIOCATMARK: whether the next byte read is the urgent one, as TCP's and
 * AF_UNIX's ioctls (6.1's, any type) say (streamoob.c).  Other protocols
 * have none (the family's path below). */
static int64_t atmark(struct sys_ctx *c, struct file *f, uint64_t arg)
{
    const struct sock *k = f->sock;
    int v = k && !k->un ? oob_atmark(f) : 0;
    if (!k || k->nl || (k->inet && k->inet->proto != IPPROTO_TCP))
        return 1; /* not its protocol's */
    return mem_out(c->p, arg, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

/* SIOCOUTQ (TIOCOUTQ) and SIOCOUTQNSD: what was sent and not yet taken
 * by the other end.  The loopback acknowledges TCP's bytes as they go
 * into the peer's pipe, so a connection has none (a listener's EINVAL), a
 * UDP socket none either; an AF_UNIX stream has what its peer has not read
 * yet (Linux counts the buffers' sizes, which are more), a datagram socket
 * its messages unread.  SIOCOUTQNSD is TCP's alone; 1: not the protocol's. */
static int64_t outq(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    const struct sock *k = f->sock;
    int v = 0;
    bool tcp = k && k->inet && k->inet->proto == IPPROTO_TCP;
    if (!k || k->nl || (req == SIOCOUTQNSD && !tcp))
        return 1;
    if (tcp && k->listening)
        return -LINUX_EINVAL;
    if (k->un)
        v = (int)k->un->wmem;
    else if (!k->inet && f->peer && !k->listening)
        v = (int)pipe_len(f->peer);
    return mem_out(c->p, arg, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

/* The interface setters (SIOCSIFFLAGS to SIOCSIFMAP): CAP_NET_ADMIN's. */
static bool ifsetter(uint64_t req)
{
    static const uint16_t setters[] = {0x8914, 0x8916, 0x8918, 0x891a, 0x891c, 0x891e, 0x8922, 0x8923,
                                       0x8924, 0x8931, 0x8932, 0x8937, 0x8943, 0x8971};
    for (size_t i = 0; i < sizeof setters / sizeof *setters; i++)
        if (req == setters[i])
            return true;
    return false;
}

/* A request of the sockets' family (type 0x89) no protocol took: Linux's
 * sock_do_ioctl reads a struct ifreq first (EFAULT), then dev_ioctl: a
 * setter is CAP_NET_ADMIN's and names an interface (ENODEV but lo), the
 * device-private ones name one too; anything else is ENOTTY.  lo stays as
 * it is: a setter's change is EOPNOTSUPP, SIOCSIFFLAGS of the flags it
 * has (those a program may change: up, debug ... allmulti) 0. */
static int64_t dev_ioctl(struct sys_ctx *c, uint64_t req, const struct ifreq_k *r, struct netns *nn,
                         const struct ns *net)
{
    bool devprivate = (req >= 0x89f0 && req <= 0x89ff) || req == 0x894a; /* SIOCDEVPRIVATE, SIOCWANDEV */
    if (!ifsetter(req) && !devprivate)
        return -LINUX_ENOTTY;
    if (ifsetter(req) && !netns_capable(&c->p->cred, net, CAP_NET_ADMIN)) /* the socket's namespace's */
        return -LINUX_EPERM;
    if (strncmp(r->name, "lo", IFNAMSIZ) != 0)
        return -LINUX_ENODEV;
    if (req == 0x8914 && nn != &netns_initial) { /* a namespace's own lo comes up and goes down */
        netns_set_flags(nn, (uint16_t)r->u.flags);
        return 0;
    }
    if (req == 0x8922 && nn != &netns_initial) { /* SIOCSIFMTU: lo has no bounds but 0 (dev_validate_mtu) */
        if (r->u.value < 0)
            return -LINUX_EINVAL;
        nn->lo_mtu = r->u.value;
        return 0;
    }
    const int16_t changeable = 0x1 | 0x4 | 0x20 | 0x80 | 0x100 | 0x200 | 0x1000 | 0x2000 | 0x4000 | 0x8000;
    if (req == 0x8914 && (r->u.flags & changeable) == ((IFF_UP | IFF_LOOPBACK | IFF_RUNNING) & changeable))
        return 0;
    return -LINUX_EOPNOTSUPP;
}

int64_t netdev_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    int64_t r0;
    struct netns *nn = netns_of(f->sock ? f->sock->net : NULL); /* the socket's namespace's lo */
    if ((r0 = tstamp_ioctl(c, f, req, arg)) <= 0)
        return r0;
    if (req == FIONREAD)
        return inq(c, f, arg);
    if (req == SIOCGIFCONF)
        return ifconf(c->p, arg, nn->lo_v4);
    if (req == SIOCGSKNS && f->sock)
        return netns_ioctl_skns(c, f->sock);
    if (req == SIOCATMARK && (r0 = atmark(c, f, arg)) <= 0)
        return r0;
    if ((req == TIOCOUTQ || req == SIOCOUTQNSD) && (r0 = outq(c, f, req, arg)) <= 0)
        return r0;
    if ((req & ~0xffull) != 0x8900)
        return -LINUX_ENOTTY;
    struct ifreq_k r;
    if (mem_in(c->p, &r, arg, sizeof r) < 0)
        return -LINUX_EFAULT;
    r.name[IFNAMSIZ - 1] = 0;
    if (req != SIOCGIFNAME && req != SIOCGIFINDEX && req != SIOCGIFFLAGS && req != SIOCGIFADDR &&
        req != SIOCGIFNETMASK && req != SIOCGIFMTU && req != SIOCGIFHWADDR && req != SIOCGIFMETRIC &&
        req != SIOCGIFMAP && req != SIOCGIFTXQLEN && req != SIOCGIFDSTADDR && req != SIOCGIFBRDADDR)
        return dev_ioctl(c, req, &r, nn, f->sock ? f->sock->net : NULL);
    if (req == SIOCGIFNAME) {
        if (r.u.value != 1)
            return -LINUX_ENODEV;
        memset(r.name, 0, sizeof r.name);
        strcpy(r.name, "lo");
    } else {
        r.name[IFNAMSIZ - 1] = 0;
        if (strcmp(r.name, "lo") != 0)
            return -LINUX_ENODEV;
        memset(&r.u, 0, sizeof r.u);
        if (req == SIOCGIFINDEX)
            r.u.value = 1;
        else if (req == SIOCGIFMTU)
            r.u.value = nn->lo_mtu;
        else if (req == SIOCGIFFLAGS)
            r.u.flags = (int16_t)netns_lo_flags(nn, false);
        else if (req == SIOCGIFTXQLEN)
            r.u.value = 1000;
        else if (req == SIOCGIFHWADDR)
            r.u.addr.family = ARPHRD_LOOPBACK; /* an address of zeros */
        else if (!nn->lo_v4 && req != SIOCGIFMETRIC && req != SIOCGIFMAP)
            return -LINUX_EADDRNOTAVAIL; /* no IPv4 address yet (never up) */
        else if (req == SIOCGIFBRDADDR)
            r.u.addr.family = AF_INET; /* 0.0.0.0: lo has no broadcast */
        else if (req != SIOCGIFMETRIC && req != SIOCGIFMAP) /* those are zeros */
            lo_addr(&r.u.addr, req == SIOCGIFNETMASK); /* the address, the peer's (DSTADDR: its own), the mask */
    }
    return mem_out(c->p, arg, &r, sizeof r) < 0 ? -LINUX_EFAULT : 0;
}

/* ---- /proc/net ---- */

/* An address as /proc/net shows it: the 32-bit words as the machine
 * holds them, in hex. */
static int hex_addr(char *out, size_t size, const struct inet_addr *a, bool six)
{
    uint32_t w[4];
    memcpy(w, a->addr, 16);
    return six ? snprintf(out, size, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3], a->port)
               : snprintf(out, size, "%08X:%04X", w[3], a->port);
}

/* The interface files: /proc/net/dev (lo's counters: none counted, 0),
 * if_inet6 (::1) and route (IPv4's table: lo's routes are in the local
 * table, which this one does not show, so only the header). */
static size_t if_files(int which, char *out, size_t size)
{
    int n;
    if (which == 4)
        n = snprintf(out, size, "Inter-|   Receive                                                |  Transmit\n"
                     " face |bytes    packets errs drop fifo frame compressed multicast|"
                     "bytes    packets errs drop fifo colls carrier compressed\n"
                     "%6s:%8d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d\n",
                     "lo", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    else if (which == 5 && !netns_has_v6(netns_of(netns_here())))
        n = 0; /* the reader's namespace's lo is down: no ::1 */
    else if (which == 5) /* index, prefix length, scope (host), flags (permanent) */
        n = snprintf(out, size, "%032x %02x %02x %02x %02x %8s\n", 1, 1, 128, 0x10, 0x80, "lo");
    else
        n = snprintf(out, size, "%-127s\n", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU"
                     "\tWindow\tIRTT");
    return n < 0 ? 0 : (size_t)n;
}

/* The table which says (0 tcp, 1 tcp6, 2 udp, 3 udp6; 4 dev, 5 if_inet6,
 * 6 route) into out; its whole length, as snprintf's: past size when it
 * did not fit. */
size_t inet_proc_net(int which, char *out, size_t size)
{
    if (which == 7)
        return unix_proc_net(out, size);
    if (which >= 4)
        return if_files(which, out, size);
#define AT_N out + (n < size ? n : size), n < size ? size - n : 0 /* where the next line goes, if it fits */
    bool six = which & 1, udp = which >= 2;
    size_t n = 0;
    char local[48], remote[48], line[256];
    if (udp)
        n += (size_t)snprintf(out, size, six ? "%s\n" : "%-127s\n",
                              six ? "  sl  local_address                         "
                                    "remote_address                        st "
                                    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops"
                                  : "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   "
                                    "uid  timeout inode ref pointer drops");
    else
        n += (size_t)snprintf(out, size, six ? "%s\n" : "%-149s\n",
                              six ? "  sl  local_address                         "
                                    "remote_address                        st "
                                    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
                                  : "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   "
                                    "uid  timeout inode");
    int sl = 0;
    for (const struct inet_sock *s = inet_ports(); s; s = s->next) {
        if ((s->family == AF_INET6) != six || (s->proto == IPPROTO_UDP) != udp ||
            netns_of(s->sock->net) != netns_of(netns_here()))
            continue; /* the reader's namespace's sockets alone */
        bool listening = s->sock->listening;
        if (!udp && !listening && !s->connected)
            continue; /* bound only: in no table, as Linux's */
        struct inet_addr none = {{0}, 0};
        hex_addr(local, sizeof local, &s->local, six);
        hex_addr(remote, sizeof remote, s->connected ? &s->remote : &none, six);
        int state = udp ? (s->connected ? 1 : 7) : listening ? 10 : s->file ? tcp_state(s->file) : 1;
        if (state == 7 && !udp)
            continue; /* a connection closed both ways is out of the table, as Linux's tcp_done */
        int w;
        if (udp)
            w = snprintf(line, sizeof line, "%5d: %s %s %02X %08X:%08X 00:00000000 00000000 %5u %8d %lu 2 "
                         "0000000000000000 0", sl++, local, remote, state, 0u, (unsigned)s->queued, s->uid, 0,
                         (unsigned long)s->sock->ino);
        else
            w = snprintf(line, sizeof line, "%4d: %s %s %02X %08X:%08X 00:00000000 00000000 %5u %8d %lu 1 "
                         "0000000000000000 %d %d 0 10 %d", sl++, local, remote, state, 0u, 0u, s->uid, 0,
                         (unsigned long)s->sock->ino, listening ? 100 : 20, listening ? 0 : 4, listening ? 0 : -1);
        if (w > 0 && six)
            n += (size_t)snprintf(AT_N, "%s\n", line);
        else if (w > 0) /* v4 lines are padded to a width, as Linux's */
            n += (size_t)snprintf(AT_N, "%-*s\n", udp ? 127 : 149, line);
    }
    uint64_t now = clock_now();
    for (const struct tcp_tw *t = udp ? NULL : tcp_tw_list(); t; t = t->next) {
        if ((t->family == AF_INET6) != six || netns_of(t->k.net) != netns_of(netns_here()))
            continue;
        /* a timewait socket's line, as get_timewait4_sock: its substate, timer 3 and the time left */
        hex_addr(local, sizeof local, &t->local, six);
        hex_addr(remote, sizeof remote, &t->remote, six);
        unsigned long left = t->expires > now ? (unsigned long)((t->expires - now) / 10000000) : 0; /* clock_t */
        int w = snprintf(line, sizeof line, "%4d: %s %s %02X %08X:%08X 03:%08lX %08X %5d %8d 0 3 0000000000000000",
                         sl++, local, remote, t->state, 0u, 0u, left, 0u, 0, 0);
        if (w > 0)
            n += (size_t)snprintf(AT_N, six ? "%s\n" : "%-149s\n", line);
    }
    return n;
#undef AT_N
}
