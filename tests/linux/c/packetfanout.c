/*
 * tests/linux/c/packetfanout.c - PACKET_FANOUT on lo (run as root, in a
 * network namespace of its own, lo brought up): joining a group and its
 * errors (an unknown mode, ROLLOVER with FLAG_ROLLOVER, an id with
 * FLAG_UNIQUEID, another mode, flags or size than the group's, a socket
 * of no protocol, twice, a full group, a bind inside one), getsockopt's
 * PACKET_FANOUT and PACKET_ROLLOVER_STATS, PACKET_FANOUT_DATA, and where
 * UDP datagrams go: round robin (LB), one flow to one member (HASH), the
 * CPU's (pinned to CPU 0), ROLLOVER's first member with room, RND's one
 * member each, QM's, a classic BPF program's answer (CBPF), and a
 * group's own member's frames going out not given to it.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include "seccompbpf.h"
#include <net/ethernet.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/socket.h>

#define SA(a) ((struct sockaddr *)&(a))
#ifndef SOL_PACKET
#define SOL_PACKET 263
#endif
#define PACKET_FANOUT 18
#define PACKET_ROLLOVER_STATS 21
#define PACKET_FANOUT_DATA 22
enum { HASH, LB, CPU, ROLLOVER, RND, QM, CBPF, EBPF };
#define FLAG_ROLLOVER 0x1000
#define FLAG_UNIQUEID 0x2000
#define FLAG_DEFRAG 0x8000
struct fanout_args {
    uint16_t id, type_flags;
    uint32_t max_num_members;
};

static int sender;
static struct sockaddr_in dst = {.sin_family = AF_INET};

static int member(void) { return socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)); }

static int join(int fd, int id, int type_flags)
{
    int v = id | type_flags << 16;
    return setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &v, sizeof v);
}

static void udp(int n)
{
    for (int i = 0; i < n; i++) {
        char c = (char)('a' + i);
        sendto(sender, &c, 1, 0, SA(dst), sizeof dst);
    }
}

/* Which datagrams each member got, by their letters. */
static void got(const char *what, int *fds, int n)
{
    printf("%s:", what);
    for (int i = 0; i < n; i++) {
        printf(" [");
        for (;;) {
            struct pollfd p = {fds[i], POLLIN, 0};
            if (poll(&p, 1, 50) != 1)
                break;
            uint8_t buf[64];
            long r = recv(fds[i], buf, sizeof buf, 0);
            printf("%c", r == 29 ? buf[28] : '?');
        }
        printf("]");
    }
    printf("\n");
}

static void mode(const char *what, int type_flags, int n)
{
    int fds[3];
    for (int i = 0; i < n; i++) {
        fds[i] = member();
        if (join(fds[i], 7, type_flags) < 0)
            printf("join %d: %s\n", i, strerror(errno));
    }
    udp(6);
    got(what, fds, n);
    if (type_flags == ROLLOVER) {
        uint64_t st[3] = {9, 9, 9};
        socklen_t len = sizeof st;
        CHECK(getsockopt(fds[0], SOL_PACKET, PACKET_ROLLOVER_STATS, st, &len));
        printf("rollover: len %u num %llu huge %llu failed %llu\n", len, (unsigned long long)st[0],
               (unsigned long long)st[1], (unsigned long long)st[2]);
    }
    for (int i = 0; i < n; i++)
        close(fds[i]);
}

/* Whether each member got all of a flow or none, and how many in all. */
static void hashed(void)
{
    int fds[2] = {member(), member()};
    join(fds[0], 7, HASH), join(fds[1], 7, HASH);
    udp(6);
    int counts[2] = {0, 0};
    for (int i = 0; i < 2; i++)
        while (recv(fds[i], (char[64]){0}, 64, MSG_DONTWAIT) > 0)
            counts[i]++;
    printf("hash: one member has them all %d, total %d\n", counts[0] == 0 || counts[1] == 0, counts[0] + counts[1]);
    close(fds[0]), close(fds[1]);
}

static void random_mode(void)
{
    int fds[2] = {member(), member()};
    join(fds[0], 7, RND), join(fds[1], 7, RND);
    udp(6);
    int total = 0;
    for (int i = 0; i < 2; i++)
        while (recv(fds[i], (char[64]){0}, 64, MSG_DONTWAIT) > 0)
            total++;
    printf("rnd: total %d\n", total);
    close(fds[0]), close(fds[1]);
}

static void errors(void)
{
    int a = member(), b = member(), c = member(), none = socket(AF_PACKET, SOCK_DGRAM, 0), v;
    socklen_t len = sizeof v;
    CHECK(join(a, 1, 8));
    CHECK(join(a, 1, ROLLOVER | FLAG_ROLLOVER));
    CHECK(join(a, 1, LB | FLAG_UNIQUEID));
    CHECK(setsockopt(a, SOL_PACKET, PACKET_FANOUT, &v, 2));
    CHECK(join(none, 1, LB));
    struct fanout_args big = {1, LB, 65537};
    CHECK(setsockopt(a, SOL_PACKET, PACKET_FANOUT, &big, sizeof big));
    CHECK(setsockopt(a, SOL_PACKET, PACKET_FANOUT_DATA, &v, sizeof v));
    CHECK(getsockopt(a, SOL_PACKET, PACKET_FANOUT, &v, &len));
    printf("fanout before: %#x\n", v);
    struct fanout_args two = {1, LB | FLAG_DEFRAG, 2};
    CHECK(setsockopt(a, SOL_PACKET, PACKET_FANOUT, &two, sizeof two));
    CHECK(join(a, 1, LB));
    CHECK(join(b, 1, HASH | FLAG_DEFRAG));
    CHECK(join(b, 1, LB));
    struct fanout_args three = {1, LB | FLAG_DEFRAG, 3};
    CHECK(setsockopt(b, SOL_PACKET, PACKET_FANOUT, &three, sizeof three));
    CHECK(join(b, 1, LB | FLAG_DEFRAG));
    CHECK(join(c, 1, LB | FLAG_DEFRAG));
    CHECK(getsockopt(b, SOL_PACKET, PACKET_FANOUT, &v, &len));
    printf("fanout: %#x\n", v);
    uint64_t st[3];
    len = sizeof st;
    CHECK(getsockopt(a, SOL_PACKET, PACKET_ROLLOVER_STATS, st, &len));
    CHECK(setsockopt(a, SOL_PACKET, PACKET_FANOUT_DATA, &v, sizeof v));
    struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = 1};
    CHECK(bind(a, SA(to), sizeof to));
    close(a), close(b);
    /* the group is gone with its members: the id takes another mode */
    CHECK(join(c, 1, HASH));
    a = member();
    CHECK(join(a, 1, HASH));
    close(a), close(c), close(none);

    /* FLAG_UNIQUEID: an id of its own, which others join without the flag */
    a = member(), b = member();
    CHECK(join(a, 0, LB | FLAG_UNIQUEID | FLAG_ROLLOVER));
    len = sizeof v;
    CHECK(getsockopt(a, SOL_PACKET, PACKET_FANOUT, &v, &len));
    printf("unique: mode %d flags %#x\n", (v >> 16) & 0xff, (unsigned)v >> 24);
    CHECK(join(b, v & 0xffff, LB | FLAG_ROLLOVER));
    CHECK(join(b, v & 0xffff, LB | FLAG_ROLLOVER | FLAG_UNIQUEID));
    close(a), close(b);
}

static void cbpf(void)
{
    int fds[2] = {member(), member()};
    join(fds[0], 9, CBPF), join(fds[1], 9, CBPF);
    udp(2);
    got("cbpf without a program", fds, 2);
    struct sock_filter ret1[] = {{0x06, 0, 0, 1}}; /* ret #1 */
    struct sock_fprog prog = {1, ret1};
    CHECK(setsockopt(fds[0], SOL_PACKET, PACKET_FANOUT_DATA, &prog, 8));
    CHECK(setsockopt(fds[0], SOL_PACKET, PACKET_FANOUT_DATA, &prog, sizeof prog));
    udp(3);
    got("cbpf returning 1", fds, 2);
    /* the byte at 28 (from the IP header: the datagram's letter) picks */
    struct sock_filter letter[] = {{0x30, 0, 0, 28}, {0x16, 0, 0, 0}}; /* ldb [28]; ret a */
    struct sock_fprog prog2 = {2, letter};
    CHECK(setsockopt(fds[1], SOL_PACKET, PACKET_FANOUT_DATA, &prog2, sizeof prog2));
    udp(4);
    got("cbpf by letter", fds, 2);
    close(fds[0]), close(fds[1]);
}

/* A group of ETH_P_ALL sockets: a member's own frame going out is not the group's. */
static void own(void)
{
    int a = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), b = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    join(a, 11, LB), join(b, 11, LB);
    uint8_t frame[30] = {0};
    frame[12] = 0x88, frame[13] = 0xb5;
    struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = 1, .sll_halen = 6};
    CHECK(sendto(a, frame, sizeof frame, 0, SA(to), sizeof to));
    int total = 0;
    for (int i = 0; i < 2; i++) {
        struct sockaddr_ll from;
        socklen_t len = sizeof from;
        while (recvfrom(i ? b : a, frame, sizeof frame, MSG_DONTWAIT, SA(from), &len) > 0)
            total++, printf("own: member %d pkttype %d\n", i, from.sll_pkttype);
    }
    printf("own: total %d\n", total);
    close(a), close(b);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (own_lo() < 0)
        return 1;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    CHECK(sched_setaffinity(0, sizeof one, &one));
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK), dst.sin_port = htons(7000);
    int r = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(bind(r, SA(dst), sizeof dst));
    sender = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in from = dst;
    from.sin_port = htons(7001);
    CHECK(bind(sender, SA(from), sizeof from));
    errors();
    mode("lb", LB, 2);
    mode("lb of 3", LB, 3);
    mode("cpu", CPU, 2);
    mode("qm", QM, 2);
    mode("rollover", ROLLOVER, 2);
    mode("lb, flag rollover", LB | FLAG_ROLLOVER, 2);
    hashed();
    random_mode();
    cbpf();
    own();
    return 0;
}
