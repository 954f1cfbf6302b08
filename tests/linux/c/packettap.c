/*
 * tests/linux/c/packettap.c - lo's frames of UDP datagrams (IPv4 and
 * IPv6) as packet and raw sockets see them (run as root, in a network
 * namespace of its own, lo brought up, so that nothing else is on it):
 * an ETH_P_ALL socket sees each going out and coming in, an ETH_P_IP or
 * ETH_P_IPV6 one coming in; a raw socket of IPPROTO_UDP gets the IPv4
 * packet, header and all (the IPv6 one's payload); a packet socket's
 * SO_ATTACH_FILTER drops or cuts its frames, its PACKET_AUXDATA; a datagram to a port nobody
 * has brings the stack's port unreachable (ICMP, ICMPv6), which raw ICMP
 * sockets get too.  The headers are
 * compared field by field: lengths, protocol, TTL, DF, addresses, ports,
 * the IPv4 header's checksum, and the UDP checksum lo leaves (the
 * pseudo-header's sum: lo offloads it).  IPv4 ids are compared only for
 * an unconnected socket's datagrams (0 with DF); IPv6 flow labels not at
 * all (Linux's are hashed).  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include "seccompbpf.h"
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <net/ethernet.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define SA(a) ((struct sockaddr *)&(a))
#define PACKET_AUXDATA 8

static unsigned g16(const uint8_t *d) { return (unsigned)(d[0] << 8 | d[1]); }

static unsigned csum(const uint8_t *d, int n)
{
    unsigned s = 0;
    for (int i = 0; i + 1 < n; i += 2)
        s += g16(d + i);
    if (n & 1)
        s += (unsigned)d[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return ~s & 0xffff;
}

/* An IP packet's header fields, and its UDP header's. */
static void show_ip(const uint8_t *d, long n, int ids)
{
    char a[64], b[64];
    const uint8_t *u;
    if (d[0] >> 4 == 4) {
        inet_ntop(AF_INET, d + 12, a, sizeof a), inet_ntop(AF_INET, d + 16, b, sizeof b);
        printf("  ipv4 ihl %d tos %d len %u id-compared %d frag %#x ttl %d proto %d csum %s %s -> %s\n", d[0] & 15, d[1],
               g16(d + 2), 0 * ids, g16(d + 6), d[8], d[9], csum(d, 20) ? "bad" : "ok", a, b);
        u = d + (d[0] & 15) * 4;
    } else if (d[0] >> 4 == 6) {
        inet_ntop(AF_INET6, d + 8, a, sizeof a), inet_ntop(AF_INET6, d + 24, b, sizeof b);
        printf("  ipv6 tclass %d plen %u next %d hops %d %s -> %s\n", (g16(d) >> 4) & 0xff, g16(d + 4), d[6], d[7], a, b);
        u = d + 40;
    } else {
        printf("  not ip\n");
        return;
    }
    int proto = d[0] >> 4 == 4 ? d[9] : d[6];
    if ((proto == 1 || proto == 58) && u + 8 <= d + n) { /* an error: what it carries back */
        const uint8_t *in = u + 8, *iu = in + (proto == 1 ? (in[0] & 15) * 4 : 40);
        printf("  icmp type %d code %d check %s, carries %ld bytes: proto %d udp %u -> %u\n", u[0], u[1],
               proto == 1 ? (csum(u, (int)(d + n - u)) ? "bad" : "ok") : "-", (long)(d + n - in),
               proto == 1 ? in[9] : in[6], g16(iu), g16(iu + 2));
    } else if (u + 8 <= d + n) {
        printf("  udp %u -> %u len %u check %#x data \"%.*s\"\n", g16(u), g16(u + 2), g16(u + 4), g16(u + 6),
               (int)(d + n - u - 8), (const char *)u + 8);
    }
}

static void drain(const char *who, int fd, int hdr, int ids)
{
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 200) != 1)
            break;
        uint8_t buf[2048];
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        long n = recvfrom(fd, buf, sizeof buf, 0, SA(ss), &len);
        if (n < 0)
            break;
        if (ss.ss_family == AF_PACKET) {
            struct sockaddr_ll *l = (struct sockaddr_ll *)&ss;
            printf("%s: %ld bytes, protocol %#x pkttype %d ifindex %d\n", who, n, ntohs(l->sll_protocol),
                   l->sll_pkttype, l->sll_ifindex);
        } else {
            printf("%s: %ld bytes from family %d\n", who, n, ss.ss_family);
        }
        if (hdr == 14)
            printf("  eth type %#x, zero addresses %d\n", g16(buf + 12), !memcmp(buf, (char[12]){0}, 12));
        if (hdr >= 0)
            show_ip(buf + hdr, n - hdr, ids);
        else if (hdr == -3) /* an ICMPv6 raw socket's: the message alone */
            printf("  icmpv6 type %d code %d, carries %ld bytes\n", buf[0], buf[1], n - 8);
        else if (hdr == -2) /* a filter's cut */
            printf("  eth type %#x, ip proto %d\n", g16(buf + 12), buf[23]);
        else /* an IPv6 raw socket's: the UDP header and data */
            printf("  udp %u -> %u len %u data \"%.*s\"\n", g16(buf), g16(buf + 2), g16(buf + 4), (int)(n - 8),
                   (const char *)buf + 8);
    }
}

static int all, ip4, ip6, raw4, raw6;

static void drain_every(void)
{
    drain("all", all, 14, 1);
    drain("ip4", ip4, 0, 1);
    drain("ip6", ip6, 0, 1);
    drain("raw4", raw4, 0, 1);
    drain("raw6", raw6, -1, 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (own_lo() < 0)
        return 1;
    all = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    ip4 = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
    ip6 = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IPV6));
    raw4 = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
    raw6 = socket(AF_INET6, SOCK_RAW, IPPROTO_UDP);
    int rtcp = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
    CHECK(all >= 0 && ip4 >= 0 && ip6 >= 0 && raw4 >= 0 && raw6 >= 0 && rtcp >= 0);

    /* IPv4: an unconnected send, then a connected one (its id not compared) */
    int r4 = socket(AF_INET, SOCK_DGRAM, 0), s4 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons(5301), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sockaddr_in b4 = a4;
    b4.sin_port = htons(5302);
    CHECK(bind(r4, SA(a4), sizeof a4));
    CHECK(bind(s4, SA(b4), sizeof b4));
    CHECK(sendto(s4, "hello", 5, 0, SA(a4), sizeof a4));
    drain_every();
    drain("rawtcp", rtcp, 0, 1);
    char buf[64];
    CHECK(recv(r4, buf, sizeof buf, MSG_DONTWAIT));
    int ttl = 9;
    CHECK(setsockopt(s4, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl));
    CHECK(connect(s4, SA(a4), sizeof a4));
    CHECK(send(s4, "connected, ttl 9", 16, 0));
    drain("all", all, 14, 0);
    drain("raw4", raw4, 0, 0);
    CHECK(recv(r4, buf, sizeof buf, MSG_DONTWAIT));

    /* PACKET_AUXDATA: recvmsg's tpacket_auxdata (status, lengths, offsets), cut by a small control buffer */
    int aux = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), aux4 = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)), on = 1;
    CHECK(setsockopt(aux, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on));
    CHECK(setsockopt(aux4, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on));
    CHECK(sendto(s4, "aux", 3, 0, NULL, 0));
    CHECK(sendto(s4, "aux", 3, 0, NULL, 0));
    for (int i = 0; i < 4; i++) {
        uint8_t data[100];
        uint64_t ctl[8];
        memset(ctl, 0, sizeof ctl);
        struct iovec v = {data, i == 3 ? 20 : sizeof data};
        struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = i == 2 ? 20 : sizeof ctl};
        long n = recvmsg(i == 3 ? aux4 : aux, &m, MSG_DONTWAIT);
        printf("auxdata %d: %ld bytes, flags %#x, controllen %zu", i, n, m.msg_flags, (size_t)m.msg_controllen);
        struct cmsghdr *c = m.msg_controllen ? CMSG_FIRSTHDR(&m) : NULL;
        if (c) {
            uint32_t *a = (uint32_t *)CMSG_DATA(c);
            uint16_t *h = (uint16_t *)(a + 3);
            printf(", cmsg len %zu level %d type %d: status %#x len %u snaplen %u mac %u net %u vlan %u %u", (size_t)c->cmsg_len,
                   c->cmsg_level, c->cmsg_type, a[0], a[1], a[2], h[0], h[1], h[2], h[3]);
        }
        printf("\n");
    }
    drain("all", all, 14, 0);
    drain("raw4", raw4, 0, 0);
    CHECK(recv(r4, buf, sizeof buf, MSG_DONTWAIT));
    CHECK(recv(r4, buf, sizeof buf, MSG_DONTWAIT));
    close(aux), close(aux4);

    /* a socket filter on a packet socket: IPv6 frames dropped, the others cut to 34 bytes */
    int flt = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    struct sock_filter code[] = {{0x28, 0, 0, 12}, {0x15, 0, 1, 0x86dd}, {0x06, 0, 0, 0}, {0x06, 0, 0, 34}};
    struct sock_fprog prog = {4, code}; /* ldh [12]; jeq #0x86dd, drop; ret #34 */
    CHECK(setsockopt(flt, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog));

    /* IPv6 */
    int r6 = socket(AF_INET6, SOCK_DGRAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(5303), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    struct sockaddr_in6 b6 = a6;
    b6.sin6_port = htons(5304);
    CHECK(bind(r6, SA(a6), sizeof a6));
    CHECK(bind(s6, SA(b6), sizeof b6));
    CHECK(sendto(s6, "over v6", 7, 0, SA(a6), sizeof a6));
    drain_every();
    CHECK(recv(r6, buf, sizeof buf, MSG_DONTWAIT));
    drain("filtered", flt, -2, 0);
    /* an IPv4 datagram from an IPv6 socket, to a mapped address */
    struct sockaddr_in6 m6 = {.sin6_family = AF_INET6, .sin6_port = htons(5301)};
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &m6.sin6_addr);
    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 c6 = {.sin6_family = AF_INET6, .sin6_port = htons(5305)};
    CHECK(bind(u6, SA(c6), sizeof c6));
    CHECK(sendto(u6, "mapped", 6, 0, SA(m6), sizeof m6));
    drain("ip4", ip4, 0, 1);
    drain("raw6", raw6, -1, 1);
    drain("filtered", flt, -2, 0);
    CHECK(recv(r4, buf, sizeof buf, MSG_DONTWAIT));

    m6.sin6_port = htons(5399);
    /* to a port nobody has: the stack's port unreachable, which raw ICMP sockets get too */
    int icmp4 = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), icmp6 = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    struct sockaddr_in none4 = a4;
    none4.sin_port = htons(5399);
    CHECK(sendto(u6, "nobody", 6, 0, SA(m6), sizeof m6));
    int u4 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in c4 = a4;
    c4.sin_port = htons(5306);
    CHECK(bind(u4, SA(c4), sizeof c4));
    CHECK(sendto(u4, "nobody here", 11, 0, SA(none4), sizeof none4));
    drain("all", all, 14, 1);
    drain("icmp4", icmp4, 0, 1);
    struct sockaddr_in6 none6 = a6;
    none6.sin6_port = htons(5399);
    CHECK(sendto(u6, "nobody over v6", 14, 0, SA(none6), sizeof none6));
    drain("ip6", ip6, 0, 1);
    drain("icmp6", icmp6, -3, 1);
    return 0;
}
