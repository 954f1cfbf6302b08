/*
 * tests/linux/c/packetsock.c - AF_PACKET sockets on lo (run as root):
 * socket's errors, bind and getsockname's sockaddr_ll, the frames of a
 * raw IP socket's packets as lo shows them (a zero Ethernet header on
 * SOCK_RAW, none on SOCK_DGRAM; ETH_P_ALL sees each going out and coming
 * in, one ethertype's socket coming in), a frame sent with sendto to lo
 * (its sender sees it only coming in; the stack drops its IPv4 packet of
 * loopback addresses, a martian from outside), the sends' errors, and
 * the SOL_PACKET options: PACKET_VERSION, PACKET_HDRLEN, PACKET_RESERVE,
 * PACKET_AUXDATA, PACKET_VNET_HDR, PACKET_STATISTICS, memberships, and
 * PACKET_RX_RING/PACKET_TX_RING's checks.  Frames of others on the
 * host's lo are passed over by a mark in ours.  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <netpacket/packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SA(a) ((struct sockaddr *)&(a))
#ifndef SOL_PACKET
#define SOL_PACKET 263
#endif
/* linux/if_packet.h's, which musl's netpacket/packet.h has not */
enum { TPACKET_V1, TPACKET_V2, TPACKET_V3 };
struct req3 {
    unsigned block_size, block_nr, frame_size, frame_nr, retire_blk_tov, sizeof_priv, feature_req_word;
};
struct stats3 {
    unsigned packets, drops, freeze_q_cnt;
};
#define ETH_P_MINE 0x88b5 /* IEEE's local experimental ethertype: no one else's */

static int lo;
static char mark[12];

static void show_name(const char *what, const struct sockaddr_ll *a, socklen_t len)
{
    printf("%s: len %u family %d protocol %#x ifindex %s hatype %d pkttype %d halen %d addr %02x%02x%02x%02x%02x%02x\n",
           what, len, a->sll_family, ntohs(a->sll_protocol),
           a->sll_ifindex == lo ? "lo" : a->sll_ifindex ? "other" : "0", a->sll_hatype, a->sll_pkttype, a->sll_halen,
           a->sll_addr[0], a->sll_addr[1], a->sll_addr[2], a->sll_addr[3], a->sll_addr[4], a->sll_addr[5]);
}

/* The frames fd takes that bear our mark (at off, past the IP header):
 * each one's name, length and header. */
static void frames(const char *who, int fd, size_t off)
{
    for (int seen = 0; seen < 50;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 300) != 1)
            break;
        uint8_t buf[2048];
        struct sockaddr_ll a;
        socklen_t len = sizeof a;
        long n = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, SA(a), &len);
        if (n < 0 || (size_t)n < off + 8 || memcmp(buf + off, mark, 8))
            continue;
        seen++;
        printf("%s got %ld, ", who, n);
        show_name("from", &a, len);
        if (off > 20) {
            static const uint8_t zero[12];
            printf("  header: addresses %s, type %#x\n", memcmp(buf, zero, 12) ? "set" : "zero", buf[12] << 8 | buf[13]);
        }
    }
}

/* An IPv4 packet of protocol 253 from and to 127.0.0.1 with our mark, at d: its length. */
static size_t ip_packet(uint8_t *d, const char *tag)
{
    memset(d, 0, 20);
    d[0] = 0x45, d[3] = 20 + 8 + 4, d[8] = 64, d[9] = 253;
    inet_pton(AF_INET, "127.0.0.1", d + 12), inet_pton(AF_INET, "127.0.0.1", d + 16);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)(d[i] << 8 | d[i + 1]);
    sum = (sum & 0xffff) + (sum >> 16);
    d[10] = (uint8_t)(~sum >> 8), d[11] = (uint8_t)~sum;
    memcpy(d + 20, mark, 8), memcpy(d + 28, tag, 4);
    return 32;
}

static void errors(void)
{
    CHECK(socket(AF_PACKET, SOCK_STREAM, htons(ETH_P_ALL)));
    CHECK(socket(AF_PACKET, SOCK_SEQPACKET, 0));
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(1);
        CHECK(socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
        CHECK(socket(AF_PACKET, SOCK_DGRAM, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void traffic(void)
{
    int a = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), b = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)),
        ip = socket(AF_INET, SOCK_RAW, 253);
    struct sockaddr_ll n;
    socklen_t nl = sizeof n;
    CHECK(a >= 0);
    CHECK(getsockname(a, SA(n), &nl));
    show_name("unbound", &n, nl);
    struct sockaddr_ll at = {.sll_family = AF_PACKET, .sll_ifindex = lo};
    CHECK(bind(a, SA(at), sizeof at));
    nl = sizeof n;
    CHECK(getsockname(a, SA(n), &nl));
    show_name("bound", &n, nl);
    at.sll_protocol = htons(ETH_P_IP);
    CHECK(bind(b, SA(at), sizeof at));
    nl = sizeof n;
    CHECK(getsockname(b, SA(n), &nl));
    show_name("b bound", &n, nl);
    CHECK(getpeername(a, SA(n), &nl));
    at.sll_ifindex = 999;
    CHECK(bind(b, SA(at), sizeof at));
    at.sll_ifindex = lo;
    CHECK(bind(b, SA(at), 10));
    at.sll_family = AF_INET;
    CHECK(bind(b, SA(at), sizeof at));
    at.sll_family = AF_PACKET;
    /* a raw IP socket's packet: a sees it go out and come in, b come in */
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    char msg[12];
    memcpy(msg, mark, 8), memcpy(msg + 8, "one!", 4);
    CHECK(sendto(ip, msg, 12, 0, SA(to), sizeof to));
    frames("a", a, 34);
    frames("b", b, 20);
    /* a frame a sends: the stack takes its packet; a sees it come in alone */
    uint8_t f[64] = {0};
    f[12] = 0x08;
    size_t len = 14 + ip_packet(f + 14, "two!");
    CHECK(sendto(a, f, len, 0, SA(at), sizeof at));
    frames("a", a, 34);
    frames("b", b, 20);
    uint8_t buf[256];
    struct pollfd p = {ip, POLLIN, 0};
    long got = 0;
    while (poll(&p, 1, 300) == 1 && (got = recv(ip, buf, sizeof buf, 0)) > 0 && memcmp(buf + 28, "two!", 4))
        ;
    printf("raw IP socket: %s\n", got > 0 && !memcmp(buf + 28, "two!", 4) ? "two!" : "nothing"); /* a martian on lo */
    /* SOCK_DGRAM's send: the packet alone, sll_protocol its type */
    len = ip_packet(f, "3333");
    CHECK(sendto(b, f, len, 0, SA(at), sizeof at));
    frames("b", b, 20);
    /* the sends' errors */
    int u = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
    CHECK(send(u, f, len, 0));
    CHECK(sendto(u, f, len, 0, SA(at), 10));
    CHECK(sendto(a, f, 10, 0, SA(at), sizeof at));
    CHECK(connect(a, SA(at), sizeof at));
    CHECK(listen(a, 1));
    close(u), close(ip), close(b), close(a);
}

static void opt(int fd, int name, int v, int len)
{
    CHECK(setsockopt(fd, SOL_PACKET, name, &v, (socklen_t)len));
}

static int get(int fd, int name)
{
    int v = -1;
    socklen_t len = sizeof v;
    long r = getsockopt(fd, SOL_PACKET, name, &v, &len);
    return r < 0 ? -errno : v;
}

static void ring(int fd, int name, unsigned bs, unsigned bn, unsigned fs, unsigned fn, unsigned priv, unsigned tov)
{
    struct req3 r = {bs, bn, fs, fn, tov, priv, 0};
    printf("ring %s %u %u %u %u priv %u tov %u: ", name == PACKET_RX_RING ? "rx" : "tx", bs, bn, fs, fn, priv, tov);
    CHECK(setsockopt(fd, SOL_PACKET, name, &r, sizeof r));
}

static void options(void)
{
    int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_MINE)), t = socket(AF_PACKET, SOCK_RAW, 0);
    printf("version %d reserve %d auxdata %d\n", get(s, PACKET_VERSION), get(s, PACKET_RESERVE), get(s, PACKET_AUXDATA));
    for (int v = 0; v < 4; v++) {
        int h = v;
        socklen_t len = sizeof h;
        long r = getsockopt(s, SOL_PACKET, PACKET_HDRLEN, &h, &len);
        printf("PACKET_HDRLEN of %d: %ld %d\n", v, r, r ? errno : h);
    }
    opt(s, PACKET_VERSION, TPACKET_V2, 4);
    opt(s, PACKET_VERSION, 3, 4);
    opt(s, PACKET_VERSION, TPACKET_V1, 8);
    opt(s, PACKET_RESERVE, 64, 4);
    opt(s, PACKET_RESERVE, -1, 4);
    opt(s, PACKET_AUXDATA, 5, 4);
    opt(s, PACKET_AUXDATA, 5, 2);
    int g = socket(AF_PACKET, SOCK_DGRAM, 0);
    opt(g, PACKET_VNET_HDR, 1, 4);
    close(g);
    opt(s, PACKET_VNET_HDR, 1, 4);
    printf("vnet_hdr %d\n", get(s, PACKET_VNET_HDR));
    opt(s, PACKET_VNET_HDR, 0, 4);
    CHECK(setsockopt(s, SOL_PACKET, 99, &s, 4));
    CHECK(setsockopt(s, SOL_IP, 1, &s, 4));
    printf("version %d reserve %d auxdata %d\n", get(s, PACKET_VERSION), get(s, PACKET_RESERVE), get(s, PACKET_AUXDATA));
    struct packet_mreq m = {.mr_ifindex = lo, .mr_type = PACKET_MR_PROMISC};
    CHECK(setsockopt(s, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &m, sizeof m));
    CHECK(setsockopt(s, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &m, sizeof m));
    CHECK(setsockopt(s, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &m, sizeof m));
    CHECK(setsockopt(s, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &m, 8));
    m.mr_ifindex = 999;
    CHECK(setsockopt(s, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &m, sizeof m));
    /* statistics: one frame of our own ethertype, then none */
    struct sockaddr_ll at = {.sll_family = AF_PACKET, .sll_ifindex = lo, .sll_protocol = htons(ETH_P_MINE)};
    CHECK(bind(s, SA(at), sizeof at));
    uint8_t f[60] = {0};
    f[12] = ETH_P_MINE >> 8, f[13] = ETH_P_MINE & 0xff;
    CHECK(sendto(t, f, sizeof f, 0, SA(at), sizeof at));
    struct pollfd p = {s, POLLIN, 0};
    CHECK(poll(&p, 1, 300));
    struct stats3 st = {9, 9, 9};
    socklen_t len = sizeof st;
    CHECK(getsockopt(s, SOL_PACKET, PACKET_STATISTICS, &st, &len));
    printf("stats len %u: packets %u drops %u\n", len, st.packets, st.drops);
    len = sizeof st;
    CHECK(getsockopt(s, SOL_PACKET, PACKET_STATISTICS, &st, &len));
    printf("stats len %u: packets %u drops %u\n", len, st.packets, st.drops);
    /* rings: packet_set_ring's checks (V2 now, a reserve of 64) */
    ring(t, PACKET_RX_RING, 4096, 1, 2048, 3, 0, 0);
    ring(t, PACKET_RX_RING, 1000, 1, 512, 1, 0, 0);
    ring(t, PACKET_RX_RING, 4096, 1, 2047, 2, 0, 0);
    ring(t, PACKET_RX_RING, 4096, 1, 32, 128, 0, 0);
    ring(t, PACKET_RX_RING, 0, 0, 0, 1, 0, 0);
    ring(t, PACKET_RX_RING, 0, 0, 0, 0, 0, 0);
    ring(s, PACKET_RX_RING, 4096, 1, 64, 64, 0, 0);
    ring(s, PACKET_RX_RING, 4096, 2, 2048, 4, 0, 0);
    ring(s, PACKET_RX_RING, 4096, 2, 2048, 4, 0, 0);
    opt(s, PACKET_VERSION, TPACKET_V1, 4);
    opt(s, PACKET_RESERVE, 0, 4);
    ring(s, PACKET_RX_RING, 0, 0, 0, 0, 0, 0);
    opt(s, PACKET_VERSION, TPACKET_V3, 4);
    unsigned small[4] = {4096, 1, 2048, 2};
    CHECK(setsockopt(s, SOL_PACKET, PACKET_RX_RING, small, sizeof small));
    ring(s, PACKET_RX_RING, 4096, 1, 2048, 2, 0xffffff00u, 0);
    ring(s, PACKET_TX_RING, 4096, 1, 2048, 2, 0, 100);
    ring(s, PACKET_TX_RING, 4096, 1, 2048, 2, 0, 0);
    ring(s, PACKET_TX_RING, 4096, 1, 2048, 2, 0, 0);
    ring(s, PACKET_RX_RING, 8192, 2, 2048, 8, 16, 10);
    opt(s, PACKET_VERSION, TPACKET_V2, 4);
    len = sizeof st;
    CHECK(getsockopt(s, SOL_PACKET, PACKET_STATISTICS, &st, &len));
    printf("stats len %u\n", len);
    close(s), close(t);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    lo = (int)if_nametoindex("lo");
    snprintf(mark, sizeof mark, "pk%06d", (int)(getpid() % 1000000));
    errors();
    traffic();
    options();
    return 0;
}
