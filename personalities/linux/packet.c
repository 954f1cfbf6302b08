/*
 * personalities/linux/packet.c - AF_PACKET sockets on the loopback (lo,
 * ifindex 1), as Linux 6.1's af_packet.c: socket (CAP_NET_RAW; SOCK_RAW
 * or SOCK_DGRAM), bind to an interface and protocol (ETH_P_ALL or one
 * ethertype), getsockname's sockaddr_ll, sendto a sockaddr_ll, and the
 * frames of rawip.c's packet path seen as lo shows them: an Ethernet
 * header of zero addresses (SOCK_RAW) or none (SOCK_DGRAM), each sent
 * frame once going out (PACKET_OUTGOING, to ETH_P_ALL sockets but its
 * sender) and once coming in (PACKET_HOST).  The SOL_PACKET options:
 * PACKET_ADD_MEMBERSHIP and PACKET_DROP_MEMBERSHIP, PACKET_VERSION,
 * PACKET_RESERVE, PACKET_AUXDATA, PACKET_STATISTICS, PACKET_HDRLEN, and
 * PACKET_RX_RING/PACKET_TX_RING's checks (packet_set_ring's EINVAL and
 * EBUSY; the rings are not mapped here).  A packet socket is an inet_sock
 * of kind PACKET_SOCK (raw.h) whose frames queue as UDP's datagrams do.
 *
 * Entry points: packet_socket (socket.c), packet_bind, packet_send,
 * packet_getsockopt, packet_setsockopt, packet_name, packet_taps (raw.h).
 * Callers: socket.c, raw.c, rawip.c, inet.c.  Layer: a file type, over
 * udp.c's queues.  Book: docs/linux.md, "Networking".
 */
#include "raw.h"
#include "netns.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>

#define SOL_PACKET 263 /* and its options (linux/if_packet.h) */
#define PACKET_ADD_MEMBERSHIP 1
#define PACKET_DROP_MEMBERSHIP 2
#define PACKET_RX_RING 5
#define PACKET_STATISTICS 6
#define PACKET_AUXDATA 8
#define PACKET_VERSION 10
#define PACKET_HDRLEN 11
#define PACKET_RESERVE 12
#define PACKET_TX_RING 13
#define PACKET_VNET_HDR 15
#define ETH_P_ALL 0x0003
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd
#define ARPHRD_LOOPBACK 772
#define LO_INDEX 1
#define LO_MTU 65536
#define TPACKET_V3 2

/* struct sockaddr_ll (linux/if_packet.h) */
struct sockaddr_ll_k {
    uint16_t family, protocol; /* protocol in network order */
    int32_t ifindex;
    uint16_t hatype;
    uint8_t pkttype, halen, addr[8];
};
_Static_assert(sizeof(struct sockaddr_ll_k) == 20, "struct sockaddr_ll");

struct packet_mreq_k {
    int32_t ifindex;
    uint16_t type, alen;
    uint8_t address[8];
};

#define MAX_MREQ 16

struct packet_sock {
    int ifindex;                   /* bound to (0: every interface) */
    uint16_t num;                  /* its protocol, network order (0: takes nothing) */
    int version, reserve, auxdata, vnet_hdr;
    uint32_t packets, drops;       /* PACKET_STATISTICS, since last read */
    bool ring[2];                  /* PACKET_RX_RING, PACKET_TX_RING set */
    struct packet_mreq_k mreq[MAX_MREQ];
    int nmreq;
};

static struct packet_sock *pk(const struct inet_sock *s) { return (struct packet_sock *)s->pk; }

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
    if (a.family != AF_PACKET)
        return -LINUX_EINVAL;
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

/* A frame of ethertype (data, n bytes after lo's header) to each packet
 * socket that takes it; from: the packet socket that sent it (not given
 * its own outgoing copy). */
static void tap(uint16_t ethertype, const uint8_t *data, uint64_t n, bool out, const struct inet_sock *from,
                const struct sock *via)
{
    uint8_t *f = malloc(14 + n);
    if (!f)
        return;
    memset(f, 0, 12);
    f[12] = (uint8_t)(ethertype >> 8), f[13] = (uint8_t)ethertype;
    memcpy(f + 14, data, n);
    struct inet_addr who = {{(uint8_t)(ethertype >> 8), (uint8_t)ethertype, out ? 4 : 0}, 0}; /* PACKET_OUTGOING, _HOST */
    for (struct inet_sock *s = raw_list(); s; s = s->next_raw) {
        if (!takes(s, ethertype, out, via) || (out && s == from))
            continue;
        bool raw = s->sock->type == SOCK_RAW;
        const uint8_t *d = raw ? f : f + 14;
        uint64_t len = raw ? 14 + n : n;
        if (s->sock->filter) {
            uint64_t keep = bpf_sock_filter(s->sock, d, len, ethertype, 0);
            if (keep == UINT64_MAX)
                continue;
            len = keep < len ? keep : len;
        }
        pk(s)->packets++;
        uint64_t q = s->queued;
        udp_queue(s, &who, d, len, 0);
        if (s->queued == q)
            pk(s)->drops++; /* no room: counted, as tpacket_stats does */
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
    tap(type, d, n, true, from, p->via);
    tap(type, d, n, false, from, p->via);
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
    uint16_t type = raw ? (uint16_t)(d[12] << 8 | d[13]) : (uint16_t)__builtin_bswap16(proto);
    const uint8_t *ip = raw ? d + 14 : d;
    uint64_t n = raw ? total - 14 : total;
    tap(type, ip, n, true, s, s->sock);
    tap(type, ip, n, false, s, s->sock);
    /* the stack takes no IPv4 or IPv6 packet of a frame from lo that it did
     * not send itself: every address lo has is the loopback's, a martian
     * from outside (ip_route_input_slow, route_localnet off) */
    poll_recheck();
    return (int64_t)total;
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
    if (name_ == PACKET_RX_RING || name_ == PACKET_TX_RING) {
        uint32_t r[7] = {0}; /* tpacket_req: block_size, block_nr, frame_size, frame_nr; req3 adds three */
        int need = ps->version == TPACKET_V3 ? 28 : 16;
        if (len < need)
            return -LINUX_EINVAL;
        if (mem_in(c->p, r, uval, (uint64_t)need) < 0)
            return -LINUX_EFAULT;
        bool tx = name_ == PACKET_TX_RING;
        if (!r[1]) { /* no blocks: the ring goes, if no frames are asked */
            if (r[3])
                return -LINUX_EINVAL;
            ps->ring[tx] = false;
            return 0;
        }
        if (ps->ring[tx])
            return -LINUX_EBUSY;
        uint32_t hdr = ps->version == 0 ? TPACKET_ALIGN(32) + 20 : ps->version == 1 ? TPACKET_ALIGN(32) + 20
                                                                                      : TPACKET_ALIGN(48) + 20;
        uint64_t min = hdr + (uint32_t)ps->reserve;
        if ((int32_t)r[0] <= 0 || (r[0] & 4095) || r[2] < min || (r[2] & 15))
            return -LINUX_EINVAL;
        if (ps->version == TPACKET_V3 && r[0] < 48 + (((uint64_t)r[5] + 7) & ~7ull) + min)
            return -LINUX_EINVAL; /* the block's header and its private part first */
        uint32_t per = r[0] / r[2];
        if (!per || per > UINT32_MAX / r[1] || per * r[1] != r[3])
            return -LINUX_EINVAL;
        if ((uint64_t)r[0] * r[1] > (1ull << 32))
            return -LINUX_ENOMEM;
        if (ps->version == TPACKET_V3 && tx && (r[4] || r[5] || r[6]))
            return -LINUX_EINVAL; /* no block transmit: none of its receive settings */
        ps->ring[tx] = true;
        return 0;
    }
    int32_t v;
    if (name_ == PACKET_VERSION || name_ == PACKET_RESERVE) {
        if (len != (int)sizeof v)
            return -LINUX_EINVAL;
    } else if (len < (int)sizeof v) {
        return -LINUX_EINVAL;
    }
    if (mem_in(c->p, &v, uval, sizeof v) < 0)
        return -LINUX_EFAULT;
    switch (name_) {
    case PACKET_VERSION:
        if (v < 0 || v > TPACKET_V3)
            return -LINUX_EINVAL;
        if (ps->ring[0] || ps->ring[1])
            return -LINUX_EBUSY;
        ps->version = v;
        return 0;
    case PACKET_RESERVE:
        if (v < 0)
            return -LINUX_EINVAL;
        if (ps->ring[0] || ps->ring[1])
            return -LINUX_EBUSY;
        ps->reserve = v;
        return 0;
    case PACKET_AUXDATA: ps->auxdata = v != 0; return 0;
    case PACKET_VNET_HDR: /* a virtio header before each frame: SOCK_RAW's, set before a ring */
        if (s->sock->type != SOCK_RAW)
            return -LINUX_EINVAL;
        if (ps->ring[0] || ps->ring[1])
            return -LINUX_EBUSY;
        ps->vnet_hdr = v != 0;
        return 0;
    default: return -LINUX_ENOPROTOOPT;
    }
}

int64_t packet_getsockopt(struct sys_ctx *c, struct inet_sock *s, int level, int name_, uint64_t uval, uint64_t ulen)
{
    struct packet_sock *ps = pk(s);
    int32_t len, v[3] = {0};
    uint32_t size = 4;
    if (level != SOL_PACKET)
        return -LINUX_ENOPROTOOPT;
    if (mem_in(c->p, &len, ulen, sizeof len) < 0)
        return -LINUX_EFAULT;
    if (len < 0)
        return -LINUX_EINVAL;
    switch (name_) {
    case PACKET_STATISTICS: /* read and reset; tp_packets counts the drops too; V3's adds tp_freeze_q_cnt */
        v[0] = (int32_t)ps->packets, v[1] = (int32_t)ps->drops, size = ps->version == TPACKET_V3 ? 12 : 8;
        ps->packets = ps->drops = 0;
        break;
    case PACKET_VERSION: v[0] = ps->version; break;
    case PACKET_RESERVE: v[0] = ps->reserve; break;
    case PACKET_AUXDATA: v[0] = ps->auxdata; break;
    case PACKET_VNET_HDR: v[0] = ps->vnet_hdr; break;
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
