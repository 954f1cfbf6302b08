/*
 * tests/linux/c/packettcp.c - lo's frames of TCP connections (IPv4 and
 * IPv6) as an ETH_P_ALL packet socket and a raw IPPROTO_TCP socket see
 * them (run as root, in a network namespace of its own, lo brought up):
 * the handshake's SYN and SYN-ACK (their options' kinds), data segments
 * (PSH; written, and spliced), FIN from a shutdown and from a close,
 * RST-ACK from a close with data unread, from a listener closed with a
 * connection not accepted, and from a connect nobody listens to.  Compared: the IP
 * header (lengths, protocol, TTL, DF, addresses, its checksum), ports,
 * flags, header length, option kinds, payload length, sequence and
 * acknowledgment numbers relative to each side's ISN (Linux's ISNs and
 * timestamps are random), the checksum lo leaves (the pseudo-header's
 * sum).  Pure ACKs are passed over: Linux sends them at once or delayed,
 * or rides them on data, as its timers and modes have it.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>

#define SA(a) ((struct sockaddr *)&(a))

static int all, rawtcp;
static uint32_t isn[65536]; /* each port's side's ISN, from its SYN */

static unsigned g16(const uint8_t *d) { return (unsigned)(d[0] << 8 | d[1]); }
static uint32_t g32(const uint8_t *d) { return (uint32_t)g16(d) << 16 | g16(d + 2); }

static unsigned fold(unsigned s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return s;
}

static void show(const char *who, int pkttype, const uint8_t *ip, long n)
{
    const uint8_t *t;
    char a[64], b[64];
    unsigned sum = 0, tcplen;
    if (ip[0] >> 4 == 4) {
        t = ip + (ip[0] & 15) * 4, tcplen = g16(ip + 2) - (ip[0] & 15) * 4;
        inet_ntop(AF_INET, ip + 12, a, sizeof a), inet_ntop(AF_INET, ip + 16, b, sizeof b);
        sum = g16(ip + 12) + g16(ip + 14) + g16(ip + 16) + g16(ip + 18);
    } else {
        t = ip + 40, tcplen = g16(ip + 4);
        inet_ntop(AF_INET6, ip + 8, a, sizeof a), inet_ntop(AF_INET6, ip + 24, b, sizeof b);
        for (int i = 8; i < 40; i += 2)
            sum += g16(ip + i);
    }
    if (t + 20 > ip + n)
        return;
    unsigned flags = t[13], doff = t[12] >> 4, sport = g16(t), dport = g16(t + 2), data = tcplen - doff * 4;
    if (flags == 0x10 && !data)
        return; /* a pure ACK */
    if (flags & 2)
        isn[sport] = g32(t + 4);
    unsigned partial = fold(sum + 6 + tcplen);
    printf("%s", who);
    if (pkttype >= 0)
        printf(" %s", pkttype == 4 ? "out" : "in");
    if (ip[0] >> 4 == 4)
        printf(": v4 len %u ttl %d df %d csum %s", g16(ip + 2), ip[8], (ip[6] & 0x40) != 0,
               fold(0) == 0 && ((~fold(g16(ip) + g16(ip + 2) + g16(ip + 4) + g16(ip + 6) + g16(ip + 8) + g16(ip + 10) +
                                      g16(ip + 12) + g16(ip + 14) + g16(ip + 16) + g16(ip + 18))) & 0xffff) == 0
                   ? "ok"
                   : "bad");
    else
        printf(": v6 plen %u next %d hops %d", g16(ip + 4), ip[6], ip[7]);
    printf(" %s.%u > %s.%u [%s%s%s%s%s] doff %u seq %u ack %u len %u check %s opts", a, sport, b, dport,
           flags & 2 ? "S" : "", flags & 1 ? "F" : "", flags & 4 ? "R" : "", flags & 8 ? "P" : "", flags & 16 ? "." : "",
           doff, g32(t + 4) - isn[sport], flags & 16 ? g32(t + 8) - isn[dport] : 0, data,
           g16(t + 16) == partial ? "partial" : "other");
    for (const uint8_t *o = t + 20; o < t + doff * 4;) {
        printf(" %d", o[0]);
        o += o[0] <= 1 ? 1 : o[1] ? o[1] : 1;
    }
    if (flags & 2)
        printf(" mss %u", g16(t + 22)); /* not the window scale: the host's tcp_rmem decides it */
    printf("\n");
}

static void drain(void)
{
    for (;;) {
        struct pollfd p = {all, POLLIN, 0};
        if (poll(&p, 1, 200) != 1)
            break;
        uint8_t buf[70000];
        struct sockaddr_ll l;
        socklen_t len = sizeof l;
        long n = recvfrom(all, buf, sizeof buf, 0, SA(l), &len);
        if (n > 14)
            show("all", l.sll_pkttype, buf + 14, n - 14);
    }
    for (;;) {
        uint8_t buf[70000];
        long n = recv(rawtcp, buf, sizeof buf, MSG_DONTWAIT);
        if (n <= 0)
            break;
        show("raw", -1, buf, n);
    }
}

/* A connection from client port cport to a listener at port lport; 0 and
 * the two ends, or -1. */
static int pair(int family, int lport, int cport, int *c, int *s)
{
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sockaddr *a = family == AF_INET ? SA(a4) : SA(a6);
    socklen_t alen = family == AF_INET ? sizeof a4 : sizeof a6;
    int l = socket(family, SOCK_STREAM, 0), one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    a4.sin_port = a6.sin6_port = htons((uint16_t)lport);
    if (bind(l, a, alen) < 0 || listen(l, 4) < 0)
        return -1;
    *c = socket(family, SOCK_STREAM, 0);
    setsockopt(*c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    a4.sin_port = a6.sin6_port = htons((uint16_t)cport);
    if (bind(*c, a, alen) < 0)
        return -1;
    a4.sin_port = a6.sin6_port = htons((uint16_t)lport);
    if (connect(*c, a, alen) < 0)
        return -1;
    *s = accept(l, NULL, NULL);
    close(l);
    return *s < 0 ? -1 : 0;
}

static void conversation(int family, int base)
{
    int c, s;
    char buf[100];
    printf("-- %s\n", family == AF_INET ? "IPv4" : "IPv6");
    CHECK(pair(family, base, base + 1, &c, &s));
    drain();
    CHECK(write(c, "hello", 5));
    drain();
    CHECK(read(s, buf, sizeof buf));
    CHECK(write(s, "world, again", 12));
    CHECK(write(s, "!", 1));
    drain();
    CHECK(read(c, buf, sizeof buf));
    CHECK(shutdown(c, SHUT_WR));
    drain();
    CHECK(read(s, buf, sizeof buf));
    CHECK(close(s));
    drain();
    CHECK(close(c));
    drain();
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (own_lo() < 0)
        return 1;
    all = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    rawtcp = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
    CHECK(all >= 0 && rawtcp >= 0);
    conversation(AF_INET, 8000);
    conversation(AF_INET6, 8100);

    printf("-- a connect nobody listens to\n");
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(8201), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK(bind(c, SA(a), sizeof a));
    a.sin_port = htons(8200);
    CHECK(connect(c, SA(a), sizeof a));
    drain();
    close(c);

    printf("-- splice into a connection, and a listener closed with one not accepted\n");
    int s2, fds[2];
    CHECK(pair(AF_INET, 8400, 8401, &c, &s2));
    drain();
    CHECK(pipe(fds));
    CHECK(write(fds[1], "spliced bytes", 13));
    CHECK(splice(fds[0], NULL, c, NULL, 13, 0));
    drain();
    close(fds[0]), close(fds[1]), close(c), close(s2);
    drain();
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    a.sin_port = htons(8500);
    CHECK(bind(l, SA(a), sizeof a));
    CHECK(listen(l, 4));
    c = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_port = htons(8501);
    CHECK(bind(c, SA(a), sizeof a));
    a.sin_port = htons(8500);
    CHECK(connect(c, SA(a), sizeof a));
    drain();
    CHECK(close(l));
    drain();
    close(c);
    drain();

    printf("-- a close with data unread\n");
    int s;
    CHECK(pair(AF_INET, 8300, 8301, &c, &s));
    CHECK(write(c, "unread", 6));
    drain();
    CHECK(close(s));
    drain();
    close(c);
    drain();
    return 0;
}
