/*
 * personalities/linux/packet.c - AF_PACKET sockets on the loopback (lo,
 * ifindex 1), as Linux 6.1's af_packet.c: socket (CAP_NET_RAW; SOCK_RAW
 * or SOCK_DGRAM), bind to an interface and protocol (ETH_P_ALL or one
 * ethertype), getsockname's sockaddr_ll, sendto a sockaddr_ll, and every
 * packet of lo as lo shows it (rawip.c's: raw and ping sockets' packets,
 * UDP datagrams' and TCP segments' built for the taps): an Ethernet
 * header of zero addresses (SOCK_RAW) or none (SOCK_DGRAM), each sent
 * frame once going out (PACKET_OUTGOING, to ETH_P_ALL sockets but its
 * sender's and those ignoring outgoing) and once coming in (PACKET_HOST),
 * through each socket's filter, to its queue or its receive ring
 * (packetring.c), or to one member of its fanout group (packetfanout.c).
 * The SOL_PACKET options: memberships, PACKET_VERSION, PACKET_RESERVE,
 * PACKET_AUXDATA, PACKET_VNET_HDR, PACKET_STATISTICS, PACKET_HDRLEN,
 * PACKET_LOSS, PACKET_TIMESTAMP, PACKET_ORIGDEV, PACKET_TX_HAS_OFF,
 * PACKET_COPY_THRESH, PACKET_QDISC_BYPASS, PACKET_IGNORE_OUTGOING; the
 * rings' and fanout's are their files'.  A packet socket is an inet_sock
 * of kind PACKET_SOCK (raw.h) whose frames queue as UDP's datagrams do;
 * its state is packet.h's.
 *
 * Entry points: packet_socket (socket.c), packet_bind, packet_send,
 * packet_xmit, packet_getsockopt, packet_setsockopt, packet_name,
 * packet_taps, packet_release (raw.h, packet.h).  Callers: socket.c,
 * raw.c, rawip.c, inet.c, packetring.c.  Layer: a file type, over udp.c's
 * queues.  Book: docs/linux.md, "Networking".
 */
#include "packet.h"
#include "netns.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>

#define ARPHRD_LOOPBACK 772
#define LO_INDEX 1
#define LO_MTU 65536

/* struct sockaddr_ll (linux/if_packet.h) */
struct sockaddr_ll_k {
    uint16_t family, protocol; /* protocol in network order */
    int32_t ifindex;
    uint16_t hatype;
    uint8_t pkttype, halen, addr[8];
};
_Static_assert(sizeof(struct sockaddr_ll_k) == 20, "struct sockaddr_ll");

/* getsockname's name: lo's hardware type and (zero) address once bound to it. */
static void name(struct inet_sock *s)
{
    struct sockaddr_ll_k *n = (struct sockaddr_ll_k *)&s->sock->name;
    memset(&s->sock->name, 0, sizeof s->sock->name);
    *n = (struct sockaddr_ll_k){.family = AF_PACKET, .protocol = pk(s)->num, .ifindex = pk(s)->ifindex};
    if (pk(s)->ifindex == LO_INDEX)
        n->hatype = ARPHRD_LOOPBACK, n->halen = 6;
    s->sock->namelen = 12 + n->halen;
}

uint32_t packet_name(const struct inet_addr *a, struct sockaddr_k *out)
{
    memset(out, 0, sizeof *out);
    struct sockaddr_ll_k *n = (struct sockaddr_ll_k *)out;
    *n = (struct sockaddr_ll_k){.family = AF_PACKET, .protocol = (uint16_t)(a->addr[0] | a->addr[1] << 8),
                                .ifindex = LO_INDEX, .hatype = ARPHRD_LOOPBACK, .pkttype = a->addr[2], .halen = 6};
    return sizeof *n;
}

int64_t packet_socket(struct sys_ctx *c, int type, int flags, uint64_t protocol)
{
    if (!netns_capable(&c->p->cred, NULL, CAP_NET_RAW))
        return -LINUX_EPERM;
    if (type != SOCK_RAW && type != SOCK_DGRAM)
        return -LINUX_ESOCKTNOSUPPORT; /* SOCK_PACKET, Linux's oldest kind, is not here either */
    struct packet_sock *ps = calloc(1, sizeof *ps);
    struct inet_sock *s = ps ? inet_new(c, AF_PACKET, (int)(uint16_t)protocol, flags, &udp_fops) : NULL;
    if (!s) {
        free(ps);
        return -LINUX_ENOMEM;
    }
    s->kind = PACKET_SOCK, s->pk = ps;
    ps->num = (uint16_t)protocol;
    s->sock->type = type;
    s->next_raw = raw_list(), raw_set_list(s);
    name(s);
    return inet_install(c, s, flags);
}

int64_t packet_bind(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t len)
{
    struct sockaddr_ll_k a;
    if ((int64_t)len < (int64_t)sizeof a || len > 128)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &a, uaddr, sizeof a) < 0)
        return -LINUX_EFAULT;
    if (a.family != AF_PACKET || pk(s)->fanout)
        return -LINUX_EINVAL; /* packet_do_bind: not while in a fanout group */
    if (a.ifindex && a.ifindex != LO_INDEX)
        return -LINUX_ENODEV;
    pk(s)->ifindex = a.ifindex;
    if (a.protocol)
        pk(s)->num = a.protocol;
    name(s);
    return 0;
}

/* Whether packet socket s takes a frame of ethertype (host order), going out or in. */
static bool takes(const struct inet_sock *s, uint16_t ethertype, bool out, const struct sock *via)
{
    if (s->kind != PACKET_SOCK || (via && !netns_same(s->sock, via)) || (pk(s)->ifindex && pk(s)->ifindex != LO_INDEX))
        return false;
    uint16_t num = (uint16_t)__builtin_bswap16(pk(s)->num);
    return num == ETH_P_ALL || (!out && num == ethertype);
}

/* Frame f (lo's header, then n bytes) to packet socket s (NULL: none), through its filter. */
static void give(struct inet_sock *s, const uint8_t *f, uint64_t n, uint16_t ethertype, const struct inet_addr *who,
                 bool partial)
{
    if (!s)
        return;
    bool raw = s->sock->type == SOCK_RAW;
    const uint8_t *d = raw ? f : f + 14;
    uint64_t len = raw ? 14 + n : n, full = len;
    if (s->sock->filter) {
        uint64_t keep = bpf_sock_filter(s->sock, d, len, ethertype, 0);
        if (keep == UINT64_MAX)
            return;
        len = keep < len ? keep : len;
    }
    pk(s)->packets++;
    uint64_t q = s->queued;
    if (pk(s)->ring[0] ? !pring_rx(s, d, len, full, ethertype, who->addr[2], partial)
                       : (udp_queue(s, who, d, len, 0), s->queued == q))
        pk(s)->drops++; /* no room: counted, as tpacket_stats does */
}

/* A frame of ethertype (data, n bytes after lo's header) to each packet
 * socket that takes it; from: the packet socket that sent it (not given
 * its own outgoing copy); partial: a TCP or UDP packet, its checksum
 * lo's to do (TP_STATUS_CSUMNOTREADY in a ring). */
static void tap(uint16_t ethertype, const uint8_t *data, uint64_t n, bool out, const struct inet_sock *from,
                const struct sock *via, bool partial)
{
    uint8_t *f = malloc(14 + n);
    if (!f)
        return;
    memset(f, 0, 12);
    f[12] = (uint8_t)(ethertype >> 8), f[13] = (uint8_t)ethertype;
    memcpy(f + 14, data, n);
    struct inet_addr who = {{(uint8_t)(ethertype >> 8), (uint8_t)ethertype, out ? PACKET_OUTGOING : PACKET_HOST, partial},
                            0};
    uint32_t n32 = (uint32_t)n;
    memcpy(who.addr + 4, &n32, 4); /* its length past lo's header, for PACKET_AUXDATA's tp_len */
    for (struct inet_sock *s = raw_list(); s; s = s->next_raw) {
        if (!takes(s, ethertype, out, via))
            continue;
        if (pk(s)->fanout) /* one of its group takes it (packetfanout.c) */
            give(packet_fanout_pick(s, data, n, ethertype, out ? from : NULL), f, n, ethertype, &who, partial);
        else if (!out || (s != from && !pk(s)->ignore_outgoing))
            give(s, f, n, ethertype, &who, partial);
    }
    free(f);
}

void packet_taps(const struct ip_pkt *p, const struct inet_sock *from)
{
    if (!raw_list())
        return;
    const uint8_t *d = p->data;
    uint64_t n = p->len;
    uint8_t *six = NULL;
    if (p->v6) { /* the IPv6 header the payload had on the wire */
        if (!(six = malloc(40 + p->len)))
            return;
        memset(six, 0, 40);
        six[0] = 0x60, six[4] = (uint8_t)(p->len >> 8), six[5] = (uint8_t)p->len, six[6] = p->proto, six[7] = p->hops;
        memcpy(six + 8, p->src.addr, 16), memcpy(six + 24, p->dst.addr, 16);
        memcpy(six + 40, p->data, p->len);
        d = six, n = 40 + p->len;
    }
    uint16_t type = p->v6 ? ETH_P_IPV6 : ETH_P_IP;
    tap(type, d, n, true, from, p->via, p->partial);
    tap(type, d, n, false, from, p->via, p->partial);
    free(six);
}

int64_t packet_send(struct sys_ctx *c, struct inet_sock *s, const uint8_t *d, uint64_t total, uint64_t uaddr,
                    uint64_t addrlen)
{
    int ifindex = pk(s)->ifindex;
    uint16_t proto = pk(s)->num;
    bool raw = s->sock->type == SOCK_RAW;
    if (uaddr) {
        struct sockaddr_ll_k a;
        if ((int64_t)addrlen < (int64_t)sizeof a || addrlen > 128)
            return -LINUX_EINVAL;
        if (mem_in(c->p, &a, uaddr, sizeof a) < 0)
            return -LINUX_EFAULT;
        if (addrlen < 12u + a.halen)
            return -LINUX_EINVAL;
        ifindex = a.ifindex, proto = a.protocol;
    }
    if (ifindex != LO_INDEX)
        return -LINUX_ENXIO; /* no interface named (or one not here) */
    if (total > LO_MTU + (raw ? 14 : 0))
        return -LINUX_EMSGSIZE;
    if (raw && total < 14)
        return -LINUX_EINVAL; /* dev_validate_header: shorter than lo's header */
    packet_xmit(s, d, total, proto);
    /* the stack takes no IPv4 or IPv6 packet of a frame from lo that it did
     * not send itself: every address lo has is the loopback's, a martian
     * from outside (ip_route_input_slow, route_localnet off) */
    return (int64_t)total;
}

void packet_xmit(struct inet_sock *s, const uint8_t *d, uint64_t total, uint16_t proto)
{
    bool raw = s->sock->type == SOCK_RAW;
    uint16_t type = raw ? (uint16_t)(d[12] << 8 | d[13]) : (uint16_t)__builtin_bswap16(proto);
    const uint8_t *ip = raw ? d + 14 : d;
    uint64_t n = raw ? total - 14 : total;
    if (!pk(s)->bypass) /* packet_direct_xmit passes the taps by */
        tap(type, ip, n, true, s, s->sock, false);
    tap(type, ip, n, false, s, s->sock, false);
    poll_recheck();
}

/* ---- options ---- */

#define TPACKET_ALIGN(x) (((x) + 15u) & ~15u)

int64_t packet_setsockopt(struct sys_ctx *c, struct inet_sock *s, int level, int name_, uint64_t uval, int len)
{
    struct packet_sock *ps = pk(s);
    if (level != SOL_PACKET)
        return -LINUX_ENOPROTOOPT;
    if (name_ == PACKET_ADD_MEMBERSHIP || name_ == PACKET_DROP_MEMBERSHIP) {
        struct packet_mreq_k m = {0};
        if (len < (int)sizeof m)
            return -LINUX_EINVAL;
        if (mem_in(c->p, &m, uval, sizeof m) < 0)
            return -LINUX_EFAULT;
        if ((unsigned)len < m.alen + 8u)
            return -LINUX_EINVAL;
        if (name_ == PACKET_DROP_MEMBERSHIP) {
            for (int i = 0; i < ps->nmreq; i++)
                if (ps->mreq[i].ifindex == m.ifindex && ps->mreq[i].type == m.type && ps->mreq[i].alen == m.alen &&
                    !memcmp(ps->mreq[i].address, m.address, m.alen < 8 ? m.alen : 8)) {
                    ps->mreq[i] = ps->mreq[--ps->nmreq];
                    break;
                }
            return 0; /* packet_mc_drop: one not there is no error */
        }
        if (m.ifindex != LO_INDEX)
            return -LINUX_ENODEV;
        if (m.alen > 6)
            return -LINUX_EINVAL;
        if (ps->nmreq == MAX_MREQ)
            return -LINUX_ENOBUFS;
        ps->mreq[ps->nmreq++] = m;
        return 0;
    }
    if (name_ == PACKET_RX_RING || name_ == PACKET_TX_RING)
        return pring_set(c, s, name_ == PACKET_TX_RING, uval, len);
    if (name_ == PACKET_FANOUT || name_ == PACKET_FANOUT_DATA)
        return packet_fanout_set(c, s, name_, uval, len);
    int32_t v;
    bool exact = name_ == PACKET_VERSION || name_ == PACKET_RESERVE || name_ == PACKET_LOSS ||
                 name_ == PACKET_COPY_THRESH || name_ == PACKET_TIMESTAMP || name_ == PACKET_IGNORE_OUTGOING ||
                 name_ == PACKET_TX_HAS_OFF || name_ == PACKET_QDISC_BYPASS;
    if (name_ == PACKET_VNET_HDR && s->sock->type != SOCK_RAW)
        return -LINUX_EINVAL; /* a virtio header before each frame: SOCK_RAW's */
    if (exact ? len != (int)sizeof v : len < (int)sizeof v)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &v, uval, sizeof v) < 0)
        return -LINUX_EFAULT;
    bool rings = ps->ring[0] || ps->ring[1];
    switch (name_) {
    case PACKET_VERSION:
        if (v < 0 || v > TPACKET_V3)
            return -LINUX_EINVAL;
        if (rings)
            return -LINUX_EBUSY;
        ps->version = v;
        return 0;
    case PACKET_RESERVE: /* an unsigned int, at most INT_MAX */
        if (v < 0)
            return -LINUX_EINVAL;
        if (rings)
            return -LINUX_EBUSY;
        ps->reserve = v;
        return 0;
    case PACKET_LOSS:
    case PACKET_VNET_HDR:
        if (rings)
            return -LINUX_EBUSY;
        *(name_ == PACKET_LOSS ? &ps->loss : &ps->vnet_hdr) = v != 0;
        return 0;
    case PACKET_TX_HAS_OFF: /* passed over once a ring is there, without an error */
        if (!rings)
            ps->tx_has_off = v != 0;
        return 0;
    case PACKET_IGNORE_OUTGOING:
        if (v < 0 || v > 1)
            return -LINUX_EINVAL;
        ps->ignore_outgoing = v;
        return 0;
    case PACKET_AUXDATA: ps->auxdata = v != 0; return 0;
    case PACKET_ORIGDEV: ps->origdev = v != 0; return 0; /* lo is its own original device */
    case PACKET_COPY_THRESH: ps->copy_thresh = v; return 0;
    case PACKET_TIMESTAMP: ps->tstamp = v; return 0;
    case PACKET_QDISC_BYPASS: ps->bypass = v != 0; return 0;
    default: return -LINUX_ENOPROTOOPT;
    }
}

int64_t packet_getsockopt(struct sys_ctx *c, struct inet_sock *s, int level, int name_, uint64_t uval, uint64_t ulen)
{
    struct packet_sock *ps = pk(s);
    int32_t len, v[4] = {0};
    uint32_t size = 4;
    if (level != SOL_PACKET)
        return -LINUX_ENOPROTOOPT;
    if (mem_in(c->p, &len, ulen, sizeof len) < 0)
        return -LINUX_EFAULT;
    if (len < 0)
        return -LINUX_EINVAL;
    switch (name_) {
    case PACKET_STATISTICS: /* read and reset; tp_packets counts the drops too; V3's adds tp_freeze_q_cnt */
        v[0] = (int32_t)ps->packets, v[1] = (int32_t)ps->drops, v[2] = (int32_t)ps->freeze;
        size = ps->version == TPACKET_V3 ? 12 : 8;
        ps->packets = ps->drops = ps->freeze = 0;
        break;
    case PACKET_VERSION: v[0] = ps->version; break;
    case PACKET_RESERVE: v[0] = ps->reserve; break;
    case PACKET_AUXDATA: v[0] = ps->auxdata; break;
    case PACKET_VNET_HDR: v[0] = ps->vnet_hdr; break;
    case PACKET_LOSS: v[0] = ps->loss; break;
    case PACKET_ORIGDEV: v[0] = ps->origdev; break;
    case PACKET_TIMESTAMP: v[0] = ps->tstamp; break;
    case PACKET_IGNORE_OUTGOING: v[0] = ps->ignore_outgoing; break;
    case PACKET_TX_HAS_OFF: v[0] = ps->tx_has_off; break;
    case PACKET_QDISC_BYPASS: v[0] = ps->bypass; break;
    case PACKET_FANOUT:
    case PACKET_ROLLOVER_STATS: {
        int64_t r = packet_fanout_get(s, name_, v, &size);
        if (r < 0)
            return r;
        break;
    }
    case PACKET_HDRLEN: {
        if (len > 4)
            len = 4;
        if (len < 4)
            return -LINUX_EINVAL;
        if (mem_in(c->p, &v[0], uval, 4) < 0)
            return -LINUX_EFAULT;
        if (v[0] < 0 || v[0] > TPACKET_V3)
            return -LINUX_EINVAL;
        v[0] = v[0] == TPACKET_V3 ? 48 : 32; /* sizeof tpacket_hdr, tpacket2_hdr, tpacket3_hdr */
        break;
    }
    default: return -LINUX_ENOPROTOOPT;
    }
    uint32_t n = (uint32_t)len < size ? (uint32_t)len : size;
    if (mem_out(c->p, ulen, &n, sizeof n) < 0 || mem_out(c->p, uval, v, n) < 0)
        return -LINUX_EFAULT;
    return 0;
}

int64_t packet_aux_cmsg(struct proc *p, const struct inet_sock *s, const struct inet_addr *from, uint64_t len,
                        struct msghdr_k *m, uint64_t used)
{
    uint64_t room = m->control ? m->controllen : 0;
    bool raw = s->sock->type == SOCK_RAW;
    uint32_t n;
    memcpy(&n, from->addr + 4, 4);
    struct {
        struct cmsghdr_k h;
        uint32_t status, len, snaplen; /* struct tpacket_auxdata */
        uint16_t mac, net, vlan_tci, vlan_tpid;
    } c = {{16 + 20, SOL_PACKET, PACKET_AUXDATA}, TP_STATUS_USER | (from->addr[3] ? TP_STATUS_CSUMNOTREADY : 0),
           n + (raw ? ETH_HLEN : 0), (uint32_t)len, 0, raw ? ETH_HLEN : 0, 0, 0};
    if (pk(s)->auxdata) { /* put_cmsg: what fits of it, cut, MSG_CTRUNC */
        uint64_t left = room - used, n = left < c.h.len ? left : c.h.len;
        if (n < c.h.len)
            m->flags |= MSG_CTRUNC, c.h.len = n;
        if (n >= sizeof c.h && mem_out(p, m->control + used, &c, n) < 0)
            return -LINUX_EFAULT;
        used += n >= sizeof c.h ? (CMSG_ALIGN(n) < left ? CMSG_ALIGN(n) : left) : 0;
    }
    m->controllen = used;
    return 0;
}

void packet_release(struct inet_sock *s)
{
    packet_fanout_leave(s);
    pring_release(s);
}
