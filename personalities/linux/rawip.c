/*
 * personalities/linux/rawip.c - the loopback's packet path for raw and
 * ping sockets: a send's packet, built as Linux builds it (raw_sendmsg,
 * raw_send_hdrinc, rawv6_sendmsg, ping_v4_sendmsg and ping_v6_sendmsg),
 * and what Linux's receive side does with it: the IPv4 header checked as
 * ip_rcv checks it, a copy to each raw socket of its protocol that its
 * address, peer, ICMP filter and socket filter let through (raw_v4_input,
 * rawv6_rcv), the echo reply to an echo request (icmp_echo,
 * icmpv6_echo_reply), and an echo reply to the ping socket of its id
 * (ping_rcv); and ip_tap's copies of UDP and TCP packets (a UDP
 * datagram nobody takes answered by the port unreachable of icmp_send
 * and icmpv6_send).  See raw.h for the design.
 *
 * Entry points: raw_send, ip_loopback, ip_tap, udp_tap, ip_pkt_ours,
 * ip_checksum, ip6_pseudo, ip4_header (raw.h).  Callers: udp.c, raw.c,
 * tcptap.c.  Layer: a file type's packets, over udp.c's queues.  Book:
 * docs/linux.md, "Networking".
 */
#include "packet.h"
#include "netns.h"
#include "netsysctl.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>

static uint16_t ip_ids = 1; /* the ids of packets without DF (Linux's are hashed: any will do) */

uint16_t ip_checksum(const uint8_t *d, uint64_t n, uint32_t sum)
{
    uint64_t acc = sum;
    for (uint64_t i = 0; i + 1 < n; i += 2)
        acc += (uint32_t)(d[i] << 8 | d[i + 1]);
    if (n & 1)
        acc += (uint32_t)d[n - 1] << 8;
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

uint32_t ip6_pseudo(const struct inet_addr *src, const struct inet_addr *dst, uint64_t len, uint8_t proto)
{
    uint32_t sum = 0;
    for (int i = 0; i < 16; i += 2)
        sum += (uint32_t)(src->addr[i] << 8 | src->addr[i + 1]) + (uint32_t)(dst->addr[i] << 8 | dst->addr[i + 1]);
    return sum + (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + proto;
}

static void put16(uint8_t *d, uint16_t v) { d[0] = (uint8_t)(v >> 8), d[1] = (uint8_t)v; }
static uint16_t get16(const uint8_t *d) { return (uint16_t)(d[0] << 8 | d[1]); }

void ip4_header(uint8_t *d, uint64_t len, uint8_t proto, uint8_t ttl, uint8_t tos, bool df, uint16_t id,
                const struct inet_addr *src, const struct inet_addr *dst)
{
    d[0] = 0x45, d[1] = tos;
    put16(d + 2, (uint16_t)len), put16(d + 4, id), put16(d + 6, df ? 0x4000 : 0);
    d[8] = ttl, d[9] = proto;
    put16(d + 10, 0);
    memcpy(d + 12, src->addr + 12, 4), memcpy(d + 16, dst->addr + 12, 4);
    put16(d + 10, ip_checksum(d, 20, 0));
}

/* ---- receiving ---- */

/* Whether raw socket s takes p (raw_v4_match, and rawv6's): its
 * protocol, its bound address, its peer, its ICMP filter. */
bool ip_pkt_ours(const struct inet_sock *s, const struct ip_pkt *p) { return !p->via || netns_same(s->sock, p->via); }

static bool raw_takes(const struct inet_sock *s, const struct ip_pkt *p)
{
    if (!ip_pkt_ours(s, p) || s->kind != RAW_SOCK || (s->family == AF_INET6) != p->v6 || s->proto != p->proto || !s->local.port)
        return false;
    static const uint8_t zero[16];
    const uint8_t *la = s->local.addr, *ra = s->remote.addr;
    int off = p->v6 ? 0 : 12, n = p->v6 ? 16 : 4;
    if (memcmp(la + off, zero, (size_t)n) && memcmp(la + off, p->dst.addr + off, (size_t)n))
        return false;
    if (s->connected && memcmp(ra + off, p->src.addr + off, (size_t)n))
        return false;
    bool icmp = p->proto == (p->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
    if (icmp) { /* icmp_filter: a type below 32 (any for ICMPv6) whose bit is set is dropped, or a short one */
        if (p->len < p->hl + (p->v6 ? 4 : 8))
            return false;
        uint8_t type = p->data[p->hl];
        if ((p->v6 || type < 32) && (s->icmp_filter[type >> 5] >> (type & 31) & 1))
            return false;
    }
    return true;
}

/* A copy of n bytes of p at d to s, through its socket filter. */
static void give(struct inet_sock *s, const struct ip_pkt *p, const uint8_t *d, uint64_t n)
{
    if (s->sock->filter) {
        uint64_t keep = bpf_sock_filter(s->sock, d, n, p->v6 ? 0x86dd : 0x0800, 0);
        if (keep == UINT64_MAX)
            return;
        n = keep < n ? keep : n;
    }
    udp_queue(s, &p->src, d, n, p->v6 ? p->hops : p->data[8]);
}

/* The TTL (hop limit) of what the stack sends itself in reply to p: its
 * namespace's ip_default_ttl (lo's hop_limit). */
static uint8_t reply_hops(const struct ip_pkt *p)
{
    const struct netsysctl *t = net_sysctl(p->via);
    return (uint8_t)(p->v6 ? t->hop_limit[CONF_LO] : t->default_ttl);
}

/* icmp_echo and icmpv6_echo_reply: the answer to an echo request, from
 * the address it was sent to, with the same id, sequence and data; none
 * while the namespace's icmp_echo_ignore_all (IPv6's echo_ignore_all)
 * is set. */
static void echo_reply(const struct ip_pkt *p)
{
    const struct netsysctl *t = net_sysctl(p->via);
    if (p->v6 ? t->echo6_ignore_all : t->echo_ignore_all)
        return;
    uint64_t n = p->len - p->hl;
    uint8_t *d = malloc(20 + n);
    if (!d)
        return;
    struct ip_pkt r = {.v6 = p->v6, .proto = p->proto, .src = p->dst, .dst = p->src, .data = d, .hops = reply_hops(p),
                       .via = p->via, .len = (p->v6 ? 0 : 20) + n, .hl = p->v6 ? 0 : 20};
    uint8_t *icmp = d + r.hl;
    memcpy(icmp, p->data + p->hl, n);
    icmp[0] = p->v6 ? ICMPV6_ECHO_REPLY : ICMP_ECHOREPLY;
    put16(icmp + 2, 0);
    put16(icmp + 2, ip_checksum(icmp, n, p->v6 ? ip6_pseudo(&r.src, &r.dst, n, IPPROTO_ICMPV6) : 0));
    if (!p->v6) /* the reply's TOS is the request's; no DF, so an id of its own */
        ip4_header(d, r.len, IPPROTO_ICMP, r.hops, p->data[1], false, ip_ids++, &r.src, &r.dst);
    ip_loopback(&r);
    free(d);
}

static void port_unreachable(const struct ip_pkt *p);

/* raw_local_deliver: a copy to each raw socket that takes p. */
static void raw_deliver(const struct ip_pkt *p)
{
    for (struct inet_sock *s = raw_list(); s; s = s->next_raw)
        if (raw_takes(s, p))
            give(s, p, p->data, p->len);
}

void ip_tap(const struct inet_sock *s, const struct inet_addr *from, const struct inet_addr *to, uint8_t proto,
            uint8_t *hdr, uint64_t hlen, const uint8_t *data, uint64_t n, bool full)
{
    if (!raw_list())
        return;
    static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
    bool v6 = memcmp(to->addr, mapped, 12) != 0;
    uint64_t hl = v6 ? 0 : 20, len = hl + hlen + n;
    uint8_t *d = malloc(len);
    if (!d)
        return;
    struct ip_pkt p = {.v6 = v6, .proto = proto, .src = *from, .dst = *to, .data = d, .len = len, .hl = hl,
                       .hops = (uint8_t)inet_ttl(s, v6), .via = s->sock, .partial = true};
    p.src.port = p.dst.port = 0;
    /* lo checksums nothing (NETIF_F_HW_CSUM): the stack leaves the
     * pseudo-header's sum, uncomplemented, where the checksum goes, as
     * udp4_hwcsum and tcp_v4_send_check do (CHECKSUM_PARTIAL) */
    uint32_t sum = v6 ? ip6_pseudo(&p.src, &p.dst, hlen + n, proto)
                      : get16(from->addr + 12) + get16(from->addr + 14) + get16(to->addr + 12) +
                            get16(to->addr + 14) + proto + (uint32_t)(hlen + n);
    put16(hdr + (proto == IPPROTO_UDP ? 6 : 16), (uint16_t)~ip_checksum(d, 0, sum));
    memcpy(d + hl, hdr, hlen), memcpy(d + hl + hlen, data, n);
    if (full) { /* a reply the stack sends itself (tcp_v4_send_reset): checksummed whole */
        put16(d + hl + (proto == IPPROTO_UDP ? 6 : 16), 0);
        put16(d + hl + (proto == IPPROTO_UDP ? 6 : 16), ip_checksum(d + hl, hlen + n, sum));
    }
    p.partial = !full;
    if (!v6) /* DF (IP_PMTUDISC_WANT on lo), so an unconnected socket's id is 0; a connected one's counts */
        ip4_header(d, len, proto, p.hops, 0, true, s->connected || proto == IPPROTO_TCP ? ip_ids++ : 0,
                   &p.src, &p.dst);
    packet_taps(&p, NULL);
    raw_deliver(&p);
    struct inet_addr src = *from;
    if (proto == IPPROTO_UDP && !inet_deliver_to(s, to, &src))
        port_unreachable(&p); /* udp_rcv finds nobody: the stack says so */
    free(d);
}

/* icmp_send and icmpv6_send's port unreachable for p, a UDP datagram
 * nobody takes: from the address it went to, as much of it as fits in
 * 576 bytes (IPv6: 1280), its IPv4 TOS 0xc0 and no DF. */
static void port_unreachable(const struct ip_pkt *p)
{
    uint64_t hl = p->v6 ? 0 : 20, orig = (p->v6 ? 40 : 0) + p->len, max = p->v6 ? 1280 - 48 : 576 - 28;
    uint64_t n = orig < max ? orig : max;
    uint8_t *d = malloc(hl + 8 + orig);
    if (!d)
        return;
    struct ip_pkt r = {.v6 = p->v6, .proto = p->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, .src = p->dst, .dst = p->src,
                       .data = d, .len = hl + 8 + n, .hl = hl, .hops = reply_hops(p), .via = p->via};
    uint8_t *m = d + hl;
    memset(m, 0, 8);
    m[0] = p->v6 ? 1 : 3, m[1] = p->v6 ? 4 : 3; /* ICMPV6_DEST_UNREACH's PORT_UNREACH; ICMP_DEST_UNREACH's */
    if (p->v6) { /* the datagram's IPv6 header first */
        memset(m + 8, 0, 40);
        m[8] = 0x60, put16(m + 12, (uint16_t)p->len), m[14] = p->proto, m[15] = p->hops;
        memcpy(m + 16, p->src.addr, 16), memcpy(m + 32, p->dst.addr, 16);
        memcpy(m + 48, p->data, n - 40);
    } else {
        memcpy(m + 8, p->data, n);
    }
    put16(m + 2, ip_checksum(m, 8 + n, p->v6 ? ip6_pseudo(&r.src, &r.dst, 8 + n, IPPROTO_ICMPV6) : 0));
    if (!p->v6)
        ip4_header(d, r.len, IPPROTO_ICMP, r.hops, 0xc0, false, ip_ids++, &r.src, &r.dst);
    ip_loopback(&r);
    free(d);
}

void udp_tap(const struct inet_sock *s, const struct inet_addr *from, const struct inet_addr *to, const uint8_t *data,
             uint64_t n)
{
    uint8_t h[8];
    put16(h, from->port), put16(h + 2, to->port), put16(h + 4, (uint16_t)(8 + n));
    ip_tap(s, from, to, IPPROTO_UDP, h, 8, data, n, false);
}

void ip_loopback(struct ip_pkt *p)
{
    packet_taps(p, NULL); /* lo's frame, out and back in, to the packet sockets */
    if (!p->v6) { /* ip_rcv_core: a sound header, or the packet is dropped; then ip_local_deliver */
        const uint8_t *h = p->data;
        if (p->len < 20 || h[0] >> 4 != 4 || (h[0] & 15) < 5 || (uint64_t)(h[0] & 15) * 4 > p->len ||
            ip_checksum(h, (uint64_t)(h[0] & 15) * 4, 0) || get16(h + 2) > p->len || get16(h + 2) < (h[0] & 15) * 4)
            return;
        p->len = get16(h + 2), p->hl = (uint64_t)(h[0] & 15) * 4, p->proto = h[9];
        memset(&p->src, 0, sizeof p->src), memset(&p->dst, 0, sizeof p->dst);
        p->src.addr[10] = p->src.addr[11] = p->dst.addr[10] = p->dst.addr[11] = 0xff;
        memcpy(p->src.addr + 12, h + 12, 4), memcpy(p->dst.addr + 12, h + 16, 4);
        if (!inet_route(&p->dst) || (get16(h + 6) & 0x3fff))
            return; /* not the loopback's (forwarding is off), or a fragment (not reassembled here) */
    }
    raw_deliver(p);
    bool icmp = p->proto == (p->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
    uint64_t n = p->len - p->hl;
    if (!icmp || n < 8)
        return;
    const uint8_t *m = p->data + p->hl;
    if (ip_checksum(m, n, p->v6 ? ip6_pseudo(&p->src, &p->dst, n, IPPROTO_ICMPV6) : 0))
        return; /* icmp_rcv: a bad checksum is dropped */
    if (m[0] == (p->v6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO)) {
        echo_reply(p);
        return;
    }
    if (m[0] != (p->v6 ? ICMPV6_ECHO_REPLY : ICMP_ECHOREPLY) || m[1])
        return;
    for (struct inet_sock *s = raw_list(); s; s = s->next_raw) /* ping_lookup: the socket of its id */
        if (s->kind == PING_SOCK && s->bound && (s->family == AF_INET6) == p->v6 && s->local.port == get16(m + 4) &&
            (!memcmp(s->local.addr, p->dst.addr, 16) ||
             !memcmp(s->local.addr + (p->v6 ? 0 : 12), (const uint8_t[16]){0}, p->v6 ? 16 : 4))) {
            give(s, p, m, n);
            return;
        }
}

/* ---- sending ---- */

int64_t raw_send(struct sys_ctx *c, struct inet_sock *s, const struct io_seg *segs, uint64_t nsegs, uint64_t total,
                 uint64_t flags, uint64_t uaddr, uint64_t addrlen, const char *kbuf)
{
    bool ping = s->kind == PING_SOCK, v6 = s->family == AF_INET6;
    struct inet_addr to;
    if (s->kind == PACKET_SOCK && pk(s)->ring[1]) /* the transmit ring's frames; the data is not looked at */
        return pring_send(c, s, uaddr, addrlen);
    if (s->kind == PACKET_SOCK) { /* a frame for lo (packet.c) */
        uint8_t *f = malloc(total ? total : 1);
        int64_t r = f ? 0 : -LINUX_ENOMEM;
        for (uint64_t i = 0, off = 0; !r && !kbuf && i < nsegs; off += segs[i++].len)
            if (segs[i].len && mem_in(c->p, f + off, segs[i].base, segs[i].len) < 0)
                r = -LINUX_EFAULT;
        if (!r && kbuf)
            memcpy(f, kbuf, total);
        r = r ? r : packet_send(c, s, f, total, uaddr, addrlen);
        free(f);
        return r;
    }
    if (total > 0xffff)
        return -LINUX_EMSGSIZE;
    if (ping && total < 8)
        return -LINUX_EINVAL; /* ping_common_sendmsg: not even an ICMP header */
    if (flags & MSG_OOB)
        return -LINUX_EOPNOTSUPP;
    uint8_t *d = malloc(40 + total);
    if (!d)
        return -LINUX_ENOMEM;
    uint64_t hl = v6 || s->hdrincl ? 0 : 20, off = hl;
    for (uint64_t i = 0; !kbuf && i < nsegs; i++) {
        if (segs[i].len && mem_in(c->p, d + off, segs[i].base, segs[i].len) < 0) {
            free(d);
            return -LINUX_EFAULT;
        }
        off += segs[i].len;
    }
    if (kbuf)
        memcpy(d + off, kbuf, total);
    uint8_t *m = d + hl;
    int64_t r = 0;
    if (ping && (m[0] != (v6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO) || m[1]))
        r = -LINUX_EINVAL; /* only echo requests */
    else if (uaddr) {
        uint8_t b[2] = {0};
        if ((int64_t)addrlen >= 2 && mem_in(c->p, b, uaddr, 2) < 0)
            r = -LINUX_EFAULT;
        else if ((int64_t)addrlen < (!v6 ? 16 : ping ? 28 : SIN6_LEN_RFC2133) || addrlen > 128)
            r = -LINUX_EINVAL;
        else if ((b[0] | b[1] << 8) != s->family && (ping || (b[0] | b[1] << 8) != AF_UNSPEC))
            r = -LINUX_EAFNOSUPPORT;
        else {
            uint8_t a[28];
            r = mem_in(c->p, a, uaddr, v6 ? 24 : 16) < 0 ? -LINUX_EFAULT : 0;
            memset(&to, 0, sizeof to);
            if (v6)
                memcpy(to.addr, a + 8, 16);
            else
                to.addr[10] = to.addr[11] = 0xff, memcpy(to.addr + 12, a + 4, 4);
            uint16_t proto = (uint16_t)(a[2] << 8 | a[3]); /* rawv6_sendmsg: a port names the protocol */
            if (!r && v6 && !ping && proto && proto != s->proto)
                r = -LINUX_EINVAL;
        }
    } else if (s->connected)
        to = s->remote;
    else
        r = -LINUX_EDESTADDRREQ;
    if (!r && v6 && !ping && !s->hdrincl && s->proto > 255)
        r = -LINUX_EINVAL;
    if (!r) {
        inet_any_to_loopback(&to);
        if (!inet_route(&to))
            r = -LINUX_ENETUNREACH;
    }
    if (!r && ping && !s->bound)
        r = raw_ping_autobind(s);
    if (r < 0) {
        free(d);
        return r;
    }
    struct ip_pkt p = {.v6 = v6, .proto = (uint8_t)s->proto, .dst = to, .data = d, .len = hl + total, .hl = hl,
                       .hops = (uint8_t)inet_ttl(s, v6), .via = s->sock};
    inet_source(s, &to, &p.src);
    p.src.port = p.dst.port = 0;
    if (ping) { /* the id is the socket's; the checksum the stack's */
        put16(m + 4, s->local.port), put16(m + 2, 0);
        put16(m + 2, ip_checksum(m, total, v6 ? ip6_pseudo(&p.src, &p.dst, total, IPPROTO_ICMPV6) : 0));
    } else if (v6 && s->proto == IPPROTO_ICMPV6 && !s->hdrincl) { /* the ICMPv6 checksum at offset 2 */
        if (total < 4) {
            free(d);
            return -LINUX_EINVAL;
        }
        put16(m + 2, 0);
        put16(m + 2, ip_checksum(m, total, ip6_pseudo(&p.src, &p.dst, total, IPPROTO_ICMPV6)));
    }
    if (!v6 && s->hdrincl) { /* raw_send_hdrinc: a header the sender wrote, its blanks filled */
        uint64_t ihl = total ? (uint64_t)(d[0] & 15) * 4 : 0;
        if (total < 20 || ihl > total) {
            free(d);
            return -LINUX_EINVAL;
        }
        if (ihl >= 20) {
            if (!memcmp(d + 12, (const uint8_t[4]){0}, 4))
                memcpy(d + 12, p.src.addr + 12, 4);
            put16(d + 2, (uint16_t)total);
            if (!get16(d + 4) && !(d[6] & 0x40)) /* ip_select_ident without a socket: DF keeps 0 */
                put16(d + 4, ip_ids++);
            put16(d + 10, 0);
            put16(d + 10, ip_checksum(d, ihl, 0));
        }
    } else if (!v6) { /* DF, so an unconnected socket's id is 0, a connected one's counts */
        ip4_header(d, p.len, (uint8_t)s->proto, p.hops, 0, true, s->connected ? ip_ids++ : 0, &p.src,
                   &p.dst);
    } else if (s->hdrincl) { /* an IPv6 header the sender wrote: its addresses and next header */
        if (total < 40) {
            free(d);
            return -LINUX_EINVAL;
        }
        memcpy(p.src.addr, d + 8, 16), memcpy(p.dst.addr, d + 24, 16);
        p.proto = d[6], p.hops = d[7], p.data = d + 40, p.len = total - 40 < get16(d + 4) ? total - 40 : get16(d + 4);
        if (!inet_route(&p.dst)) {
            free(d);
            return (int64_t)total;
        }
    }
    ip_loopback(&p);
    free(d);
    poll_recheck();
    return (int64_t)total;
}
