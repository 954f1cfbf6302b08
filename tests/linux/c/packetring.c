/*
 * tests/linux/c/packetring.c - AF_PACKET's mapped rings on lo (run as
 * root, in a network namespace of its own, lo brought up): PACKET_RX_RING
 * with TPACKET_V1, V2 and V3 (a TPACKET_V3 ring read as a capture tool
 * reads UDP datagrams: blocks retired by their timer or when full, their
 * headers, the packets in them, a frozen queue), mmap's rules, poll's
 * readiness, the frames' headers and sockaddr_ll, PACKET_STATISTICS'
 * counts and drops when the ring is full, TP_STATUS_LOSING,
 * PACKET_TX_RING's send (TP_STATUS_SEND_REQUEST frames, a bad one's
 * TP_STATUS_WRONG_FORMAT, PACKET_LOSS passing it over,
 * PACKET_QDISC_BYPASS hiding it from the taps), the EBUSY of options
 * once a ring is there or mapped, and a mapping outliving its socket.
 * Timestamps are only checked to be there (TP_STATUS_TS_* masked: the
 * host's depend on who asked for stamps).  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#define SA(a) ((struct sockaddr *)&(a))
#ifndef SOL_PACKET
#define SOL_PACKET 263
#endif
/* linux/if_packet.h's, which musl's netpacket/packet.h has not */
enum { V1, V2, V3 };
#define PACKET_RX_RING 5
#define PACKET_STATISTICS 6
#define PACKET_VERSION 10
#define PACKET_RESERVE 12
#define PACKET_TX_RING 13
#define PACKET_LOSS 14
#define PACKET_TIMESTAMP 17
#define PACKET_TX_HAS_OFF 19
#define PACKET_QDISC_BYPASS 20
#define PACKET_IGNORE_OUTGOING 23
#define TS_MASK 0x1fffffffu /* TP_STATUS_TS_* off */
struct req {
    unsigned block_size, block_nr, frame_size, frame_nr;
};
struct req3 {
    unsigned block_size, block_nr, frame_size, frame_nr, retire_blk_tov, sizeof_priv, feature_req_word;
};
struct hdr1 { /* tpacket_hdr */
    unsigned long status;
    unsigned len, snaplen;
    unsigned short mac, net;
    unsigned sec, usec;
};
struct hdr2 { /* tpacket2_hdr */
    uint32_t status, len, snaplen;
    uint16_t mac, net;
    uint32_t sec, nsec;
    uint16_t vlan_tci, vlan_tpid;
    uint8_t padding[4];
};
struct hdr3 { /* tpacket3_hdr */
    uint32_t next_offset, sec, nsec, snaplen, len, status;
    uint16_t mac, net;
    uint32_t rxhash, vlan_tci;
    uint16_t vlan_tpid, padding1;
    uint8_t padding[8];
};
struct block { /* tpacket_block_desc, hdr.bh1 */
    uint32_t version, offset_to_priv, block_status, num_pkts, offset_to_first_pkt, blk_len;
    uint64_t seq_num;
    uint32_t first_sec, first_nsec, last_sec, last_nsec;
};
#define ETH_P_MINE 0x88b5

static int sender, port = 6000;
static struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = 0};

/* A datagram of n bytes (a letter each) to our receiver. */
static void udp(int n, char c)
{
    char buf[2000];
    memset(buf, c, (size_t)n);
    if (sendto(sender, buf, (size_t)n, 0, SA(dst), sizeof dst) != n)
        printf("sendto: %s\n", strerror(errno));
}

static int ready(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

static void stats(int fd, int v3)
{
    unsigned st[3] = {0};
    socklen_t len = sizeof st;
    CHECK(getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, st, &len));
    printf("stats: len %u packets %u drops %u freeze %u\n", len, st[0], st[1], v3 ? st[2] : 0);
}

/* What a frame holds: lo's header (SOCK_RAW), the IP and UDP headers. */
static void show_data(const uint8_t *d, unsigned snap, int raw)
{
    if (raw) {
        printf("    eth type %#x\n", d[12] << 8 | d[13]);
        d += 14, snap -= 14;
    }
    if (snap >= 28 && d[0] == 0x45)
        printf("    ipv4 len %u proto %d udp %u -> %u len %u first '%c'\n", d[2] << 8 | d[3], d[9], d[20] << 8 | d[21],
               d[22] << 8 | d[23], d[24] << 8 | d[25], snap > 28 ? d[28] : '-');
    else if (snap >= 16)
        printf("    data \"%.16s\"\n", (const char *)d);
}

static void show_sll(const uint8_t *at)
{
    const struct sockaddr_ll *l = (const struct sockaddr_ll *)at;
    printf("    sll family %d protocol %#x ifindex %d hatype %d pkttype %d halen %d\n", l->sll_family,
           ntohs(l->sll_protocol), l->sll_ifindex, l->sll_hatype, l->sll_pkttype, l->sll_halen);
}

/* ---- TPACKET_V1 and V2 ---- */

static void v12(int version, int type)
{
    printf("-- TPACKET_V%d, %s\n", version + 1, type == SOCK_RAW ? "SOCK_RAW ETH_P_ALL" : "SOCK_DGRAM ETH_P_IP");
    int fd = socket(AF_PACKET, type, htons(type == SOCK_RAW ? ETH_P_ALL : ETH_P_IP));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version));
    struct req q = {4096, 2, 1024, 8};
    CHECK(mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? -errno : 0);
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &q, sizeof q));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &q, sizeof q));
    CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? -errno : 0);
    CHECK(mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096) == MAP_FAILED ? -errno : 0);
    uint8_t *ring = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(ring == MAP_FAILED ? -errno : 0);
    CHECK(ready(fd, 0));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &q, sizeof q));
    struct req none = {0};
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &none, sizeof none));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version));
    udp(100, 'a');
    udp(1500, 'b'); /* past the frame: cut */
    CHECK(ready(fd, 1000));
    int n = type == SOCK_RAW ? 4 : 2;
    for (int i = 0; i < n + 1; i++) {
        uint8_t *f = ring + i * 1024;
        if (version == V1) {
            struct hdr1 *h = (struct hdr1 *)f;
            printf("  frame %d: status %#lx len %u snaplen %u mac %u net %u time %d\n", i, h->status & TS_MASK, h->len,
                   h->snaplen, h->mac, h->net, h->sec > 0);
            if (h->status)
                show_sll(f + 32), show_data(f + h->mac, h->snaplen, type == SOCK_RAW);
        } else {
            struct hdr2 *h = (struct hdr2 *)f;
            printf("  frame %d: status %#x len %u snaplen %u mac %u net %u vlan %u %u time %d\n", i,
                   h->status & TS_MASK, h->len, h->snaplen, h->mac, h->net, h->vlan_tci, h->vlan_tpid, h->sec > 0);
            if (h->status)
                show_sll(f + 32), show_data(f + h->mac, h->snaplen, type == SOCK_RAW);
        }
    }
    /* give the frames back; then more than the ring holds */
    for (int i = 0; i < 8; i++)
        *(volatile uint32_t *)(ring + i * 1024) = 0;
    CHECK(ready(fd, 0));
    stats(fd, 0);
    for (int i = 0; i < 10; i++)
        udp(10, (char)('c' + i));
    CHECK(ready(fd, 0) & POLLIN);
    /* the ring's head (where the flood began) and the one after it back */
    *(volatile uint32_t *)(ring + n * 1024) = 0, *(volatile uint32_t *)(ring + (n + 1) * 1024) = 0;
    udp(10, 'x'); /* TP_STATUS_LOSING: drops not read yet */
    for (int i = n; i < n + 3; i++)
        printf("  frame %d again: status %#x\n", i, *(uint32_t *)(ring + i * 1024) & TS_MASK);
    stats(fd, 0);
    *(volatile uint32_t *)(ring + (n + 2) * 1024) = 0, *(volatile uint32_t *)(ring + (n + 3) * 1024) = 0;
    udp(10, 'w'); /* the drops were read */
    for (int i = n; i < n + 4; i++)
        printf("  frame %d again: status %#x\n", i, *(uint32_t *)(ring + i * 1024) & TS_MASK);
    stats(fd, 0);
    udp(10, 'y'); /* none free: dropped */
    stats(fd, 0);
    CHECK(munmap(ring, 8192));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &none, sizeof none));
    close(fd);
}

/* ---- TPACKET_V3 ---- */

static void walk(uint8_t *ring, int b, unsigned block_size)
{
    struct block *bd = (struct block *)(ring + b * block_size);
    printf("  block %d: version %u priv %u status %#x pkts %u first %u len %u seq %llu times %d\n", b, bd->version,
           bd->offset_to_priv, bd->block_status, bd->num_pkts, bd->offset_to_first_pkt, bd->blk_len,
           (unsigned long long)bd->seq_num, bd->first_sec > 0 && bd->last_sec >= bd->first_sec);
    if (!(bd->block_status & 1))
        return;
    uint8_t *p = (uint8_t *)bd + bd->offset_to_first_pkt;
    for (unsigned i = 0; i < bd->num_pkts; i++) {
        struct hdr3 *h = (struct hdr3 *)p;
        printf("   pkt %u: next %u status %#x len %u snaplen %u mac %u net %u rxhash %u vlan %u\n", i, h->next_offset,
               h->status & TS_MASK, h->len, h->snaplen, h->mac, h->net, h->rxhash, h->vlan_tci);
        show_sll(p + 48);
        show_data(p + h->mac, h->snaplen, 0);
        p += h->next_offset;
    }
}

static void v3(void)
{
    printf("-- TPACKET_V3, SOCK_DGRAM ETH_P_IP\n");
    int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)), v = V3;
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v));
    struct req small = {4096, 2, 2048, 4};
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &small, sizeof small));
    struct req3 bad = {4096, 2, 2048, 4, 200, 4096, 0};
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &bad, sizeof bad));
    struct req3 q = {4096, 2, 2048, 4, 300, 16, 0};
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &q, sizeof q));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &q, sizeof q));
    uint8_t *ring = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(ring == MAP_FAILED ? -errno : 0);
    walk(ring, 0, 4096);
    udp(5, 'a'), udp(6, 'b'), udp(7, 'c');
    CHECK(ready(fd, 0));
    CHECK(ready(fd, 3000)); /* the block's timer retires it */
    walk(ring, 0, 4096);
    walk(ring, 1, 4096);
    ((struct block *)ring)->block_status = 0;
    CHECK(ready(fd, 0));
    /* blocks retired full, then a frozen queue */
    struct req3 none = {0};
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &none, sizeof none));
    CHECK(munmap(ring, 8192));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &none, sizeof none));
    stats(fd, 1);
    q.retire_blk_tov = 60000;
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &q, sizeof q));
    ring = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    for (int i = 0; i < 3; i++)
        udp(1500, (char)('d' + i));
    CHECK(ready(fd, 0));
    walk(ring, 0, 4096);
    for (int i = 0; i < 4; i++)
        udp(1500, (char)('g' + i));
    stats(fd, 1);
    walk(ring, 1, 4096);
    ((struct block *)ring)->block_status = 0;
    udp(20, 'z'); /* thaws: block 0 opens again */
    walk(ring, 0, 4096);
    stats(fd, 1);
    CHECK(munmap(ring, 8192));
    close(fd);
}

/* ---- the transmit ring ---- */

static void frame_out(uint8_t *f, unsigned len, const char *text)
{
    struct hdr2 *h = (struct hdr2 *)f;
    uint8_t *d = f + 32; /* tp_hdrlen - sizeof (struct sockaddr_ll) */
    memset(d, 0, 14);
    d[12] = ETH_P_MINE >> 8, d[13] = ETH_P_MINE & 0xff;
    strcpy((char *)d + 14, text);
    h->len = len;
    h->status = 1; /* TP_STATUS_SEND_REQUEST */
}

static void seen(int fd)
{
    while (ready(fd, 100)) {
        uint8_t buf[256];
        struct sockaddr_ll a;
        socklen_t len = sizeof a;
        long n = recvfrom(fd, buf, sizeof buf, 0, SA(a), &len);
        printf("  tap: %ld bytes pkttype %d protocol %#x \"%.16s\"\n", n, a.sll_pkttype, ntohs(a.sll_protocol),
               (char *)buf + 14);
    }
}

static void tx(void)
{
    printf("-- PACKET_TX_RING, TPACKET_V2, SOCK_RAW\n");
    int fd = socket(AF_PACKET, SOCK_RAW, 0), v = V2, one = 1, tap = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v));
    struct req q = {4096, 1, 1024, 4};
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &q, sizeof q));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_LOSS, &one, sizeof one));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_TX_HAS_OFF, &one, sizeof one));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RESERVE, &one, sizeof one));
    uint8_t *ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(ring == MAP_FAILED ? -errno : 0);
    CHECK(ready(fd, 0));
    frame_out(ring, 30, "first frame");
    CHECK(send(fd, NULL, 0, 0)); /* not bound: no device */
    struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_MINE), .sll_ifindex = 1};
    CHECK(sendto(fd, NULL, 0, 0, SA(to), 8));
    CHECK(sendto(fd, "ignored", 7, 0, SA(to), sizeof to));
    printf("  status %u %u\n", ((struct hdr2 *)ring)->status, ((struct hdr2 *)(ring + 1024))->status);
    seen(tap);
    CHECK(bind(fd, SA(to), sizeof to));
    frame_out(ring + 1024, 40, "second frame");
    frame_out(ring + 2048, 5, "too short");
    frame_out(ring + 3072, 30, "after it");
    CHECK(send(fd, NULL, 0, 0));
    for (int i = 0; i < 4; i++)
        printf("  status %d: %u\n", i, ((struct hdr2 *)(ring + i * 1024))->status);
    seen(tap);
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one));
    frame_out(ring, 30, "not at the head");
    CHECK(send(fd, NULL, 0, 0)); /* the head is the bad frame still */
    frame_out(ring + 2048, 30, "bypass");
    CHECK(send(fd, NULL, 0, 0));
    seen(tap);
    int val = 5;
    socklen_t len = sizeof val;
    CHECK(getsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &val, &len));
    printf("  bypass %d\n", val);
    CHECK(close(fd));
    printf("  after close, the mapping: \"%s\"\n", (char *)ring + 32 + 14);
    CHECK(munmap(ring, 4096));

    /* without PACKET_LOSS a bad frame stops the send */
    fd = socket(AF_PACKET, SOCK_RAW, 0);
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &q, sizeof q));
    ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(bind(fd, SA(to), sizeof to));
    frame_out(ring, 30, "one");
    frame_out(ring + 1024, 5, "bad");
    frame_out(ring + 2048, 30, "never");
    CHECK(send(fd, NULL, 0, 0));
    for (int i = 0; i < 3; i++)
        printf("  status %d: %u\n", i, ((struct hdr2 *)(ring + i * 1024))->status);
    seen(tap);
    CHECK(munmap(ring, 4096));
    close(fd);
    close(tap);
}

/* A TPACKET_V1 transmit ring on SOCK_DGRAM: the frame without lo's header, its protocol the address's. */
static void tx_dgram(void)
{
    printf("-- PACKET_TX_RING, TPACKET_V1, SOCK_DGRAM\n");
    int fd = socket(AF_PACKET, SOCK_DGRAM, 0), tap = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    struct req q = {4096, 1, 2048, 2};
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &q, sizeof q));
    uint8_t *ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(ring == MAP_FAILED ? -errno : 0);
    struct hdr1 *h = (struct hdr1 *)ring;
    strcpy((char *)ring + 32, "a datagram frame");
    h->len = 16, h->status = 1;
    struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_MINE), .sll_ifindex = 1, .sll_halen = 6};
    CHECK(sendto(fd, NULL, 0, 0, SA(to), 12));
    CHECK(sendto(fd, NULL, 0, 0, SA(to), sizeof to));
    printf("  status %lu\n", h->status);
    seen(tap);
    CHECK(munmap(ring, 4096));
    close(fd), close(tap);
}

/* ---- options ---- */

static void options(void)
{
    printf("-- options\n");
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), v, two = 2, one = 1;
    socklen_t len = sizeof v;
    struct req q = {4096, 1, 2048, 2};
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_LOSS, &one, 2));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &two, sizeof two));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_TIMESTAMP, &two, sizeof two));
    CHECK(getsockopt(fd, SOL_PACKET, PACKET_TIMESTAMP, &v, &len));
    printf("  timestamp %d\n", v);
    CHECK(getsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &v, &len));
    printf("  ignore outgoing %d\n", v);
    udp(10, 'o');
    while (ready(fd, 100)) {
        struct sockaddr_ll a;
        socklen_t al = sizeof a;
        char buf[100];
        recvfrom(fd, buf, sizeof buf, 0, SA(a), &al);
        printf("  got pkttype %d\n", a.sll_pkttype);
    }
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &q, sizeof q));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_LOSS, &one, sizeof one));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_RESERVE, &one, sizeof one));
    CHECK(setsockopt(fd, SOL_PACKET, PACKET_TX_HAS_OFF, &one, sizeof one));
    CHECK(getsockopt(fd, SOL_PACKET, PACKET_TX_HAS_OFF, &v, &len));
    printf("  tx_has_off %d\n", v);
    CHECK(recv(fd, &v, sizeof v, MSG_DONTWAIT));
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED ? -errno : 0);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, u, 0) == MAP_FAILED ? -errno : 0);
    close(u);
    close(fd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (own_lo() < 0)
        return 1;
    int r = socket(AF_INET, SOCK_DGRAM, 0), big = 1 << 20;
    setsockopt(r, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK), dst.sin_port = htons((uint16_t)port);
    CHECK(bind(r, SA(dst), sizeof dst));
    sender = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in from = dst;
    from.sin_port = htons((uint16_t)(port + 1));
    CHECK(bind(sender, SA(from), sizeof from));
    v12(V1, SOCK_RAW);
    v12(V2, SOCK_DGRAM);
    v3();
    tx();
    tx_dgram();
    options();
    return 0;
}
