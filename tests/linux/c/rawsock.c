/*
 * tests/linux/c/rawsock.c - raw internet sockets on the loopback (run as
 * root): socket's errors (no protocol, past IPPROTO_MAX, EPERM without
 * CAP_NET_RAW, a ping socket's EACCES while ping_group_range is Linux's
 * "1 0"), a raw ICMP socket's echo request to 127.0.0.1 seen with the
 * IPv4 header Linux writes (TTL 64, DF, checksum) and the stack's echo
 * reply, ICMP_FILTER, recvfrom's name and MSG_TRUNC, SO_TIMESTAMP's
 * control message, a protocol of no one's (253) between raw sockets (a
 * copy to each, bind and connect as filters, IP_TTL), IP_HDRINCL and
 * IPPROTO_RAW (the blanks the stack fills, a header it drops), an echo
 * with a bad checksum (no reply), raw ICMPv6 to ::1 (the checksum the
 * stack computes, ICMP6_FILTER, IPV6_RECVHOPLIMIT's control message,
 * IPV6_CHECKSUM), and the sends' errors.  Packets of others on the host's
 * loopback are passed over by their ids.  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "cmsgint.h"
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define SA(a) ((struct sockaddr *)&(a))
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif

static uint16_t ident;

static struct sockaddr_in v4(const char *addr)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, addr, &a.sin_addr);
    return a;
}

static uint16_t csum(const uint8_t *d, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(d[i] << 8 | d[i + 1]);
    if (n & 1)
        sum += (uint32_t)d[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void put16(uint8_t *d, uint16_t v) { d[0] = (uint8_t)(v >> 8), d[1] = (uint8_t)v; }
static uint16_t get16(const uint8_t *d) { return (uint16_t)(d[0] << 8 | d[1]); }

/* An ICMP echo message of type, our id, seq, and 8 bytes of data. */
static size_t echo(uint8_t *m, uint8_t type, uint16_t seq, bool sum)
{
    memset(m, 0, 16);
    m[0] = type;
    put16(m + 4, ident), put16(m + 6, seq);
    memcpy(m + 8, "pingdata", 8);
    if (sum)
        put16(m + 2, csum(m, 16, 0));
    return 16;
}

static bool readable(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, ms) == 1;
}

/* The next packet on fd that is ours (an ICMP one with our id, when icmp;
 * at 8 + hl), or -1 when none comes in a while. */
static long next(int fd, uint8_t *buf, size_t size, bool icmp, size_t hl, struct sockaddr_storage *from, socklen_t *len)
{
    for (;;) {
        if (!readable(fd, 300))
            return -1;
        *len = sizeof *from;
        long n = recvfrom(fd, buf, size, MSG_DONTWAIT, (struct sockaddr *)from, len);
        if (n < 0 || !icmp || ((size_t)n >= hl + 8 && get16(buf + hl + 4) == ident))
            return n;
    }
}

/* An IPv4 packet's header as a line, and its ICMP or payload bytes. */
static void show_ip(const char *what, const uint8_t *p, long n, bool show_id)
{
    char src[16], dst[16];
    inet_ntop(AF_INET, p + 12, src, sizeof src), inet_ntop(AF_INET, p + 16, dst, sizeof dst);
    printf("%s: %ld bytes, v%d ihl %d tos %d len %d id %s frag %#x ttl %d proto %d sum %s %s -> %s\n", what, n,
           p[0] >> 4, p[0] & 15, p[1], get16(p + 2),
           show_id ? (get16(p + 4) ? "nonzero" : "0") : "-", get16(p + 6), p[8], p[9],
           csum(p, (size_t)(p[0] & 15) * 4, 0) ? "bad" : "ok", src, dst);
}

/* The echo request fd sent and the stack's reply, as fd sees them: the
 * sender's name, the IPv4 header, the ICMP message (an IPv6 socket's
 * checksum over the pseudo-header of ::1 both ways). */
static void request_reply(int fd, bool v6)
{
    uint8_t buf[2048];
    struct sockaddr_storage from;
    socklen_t len;
    size_t hl = v6 ? 0 : 20;
    for (int i = 0; i < 2; i++) {
        long n = next(fd, buf, sizeof buf, true, hl, &from, &len);
        if (n < 0) {
            printf("nothing\n");
            return;
        }
        char txt[64];
        struct sockaddr_in *a = (struct sockaddr_in *)&from;
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&from;
        inet_ntop(from.ss_family, v6 ? (void *)&a6->sin6_addr : (void *)&a->sin_addr, txt, sizeof txt);
        printf("from family %d port %d addr %s len %u\n", from.ss_family, ntohs(a->sin_port), txt, len);
        if (!v6)
            show_ip(i ? "reply" : "request", buf, n, false);
        printf("%s: type %d code %d sum %s seq %d data %.8s\n", i ? "reply" : "request", buf[hl], buf[hl + 1],
               csum(buf + hl, (size_t)n - hl, v6 ? 1 + 1 + (uint32_t)n + 58 : 0) ? "bad" : "ok", get16(buf + hl + 6),
               (const char *)buf + hl + 8);
    }
}

static void errors(void)
{
    CHECK(socket(AF_INET, SOCK_RAW, 0));
    CHECK(socket(AF_INET6, SOCK_RAW, 0));
    CHECK(socket(AF_INET, SOCK_RAW, 263));
    CHECK(socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMP));
    CHECK(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMPV6));
    char range[64];
    read_text("/proc/sys/net/ipv4/ping_group_range", range, sizeof range);
    if (!strcmp(range, "1\t0\n")) { /* Linux's default: nobody, root neither */
        CHECK(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
        CHECK(socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6));
    }
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(1);
        CHECK(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
        CHECK(socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
        CHECK(socket(AF_INET, SOCK_RAW, 0));
        CHECK(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void icmp4(void)
{
    int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), v = -1;
    socklen_t len = sizeof v;
    struct sockaddr_in me;
    socklen_t ml = sizeof me;
    CHECK(s >= 0);
    CHECK(getsockname(s, SA(me), &ml));
    printf("name: family %d port %d addr %s len %u\n", me.sin_family, ntohs(me.sin_port), inet_ntoa(me.sin_addr),
           ml);
    CHECK(getpeername(s, SA(me), &ml));
    CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len)); printf("SO_TYPE %d\n", v);
    CHECK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &len)); printf("SO_PROTOCOL %d\n", v);
    len = sizeof v;
    CHECK(getsockopt(s, SOL_IP, IP_HDRINCL, &v, &len)); printf("IP_HDRINCL %d\n", v);
    uint32_t filt = 0xdeadbeef, big[2];
    len = 8;
    CHECK(getsockopt(s, SOL_RAW, ICMP_FILTER, big, &len)); printf("ICMP_FILTER %#x len %u\n", big[0], len);
    filt = ~((1u << 0) | (1u << 8)); /* echo replies and requests only */
    CHECK(setsockopt(s, SOL_RAW, ICMP_FILTER, &filt, sizeof filt));
    CHECK(setsockopt(s, SOL_RAW, 2, &filt, sizeof filt));
    CHECK(setsockopt(s, IPPROTO_TCP, 1, &filt, sizeof filt));
    uint8_t m[16], buf[2048];
    struct sockaddr_in to = v4("127.0.0.1");
    struct sockaddr_storage from;
    echo(m, 8, 1, true);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    request_reply(s, false);
    /* the request again, read short: MSG_TRUNC says its length */
    echo(m, 8, 2, true);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    if (readable(s, 300)) {
        CHECK(recv(s, buf, 10, MSG_PEEK));
        CHECK(recv(s, buf, 10, MSG_TRUNC | MSG_PEEK));
        struct iovec io = {buf, 10};
        struct msghdr mh = {.msg_iov = &io, .msg_iovlen = 1};
        CHECK(recvmsg(s, &mh, 0)); printf("msg_flags %#x\n", mh.msg_flags);
    }
    /* SO_TIMESTAMP: the time each came, in recvmsg's control (MSG_CTRUNC without room) */
    int on = 1;
    CHECK(setsockopt(s, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof on));
    len = sizeof on;
    CHECK(getsockopt(s, SOL_SOCKET, SO_TIMESTAMP, &on, &len)); printf("SO_TIMESTAMP %d\n", on);
    echo(m, 8, 6, true);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    if (readable(s, 300)) {
        union {
            struct cmsghdr h;
            char space[CMSG_SPACE(sizeof(struct timeval))];
        } ctl;
        struct iovec io = {buf, sizeof buf};
        struct msghdr mh = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = &ctl, .msg_controllen = sizeof ctl};
        struct timeval now, tv;
        CHECK(recvmsg(s, &mh, 0));
        gettimeofday(&now, NULL);
        memcpy(&tv, CMSG_DATA(&ctl.h), sizeof tv);
        printf("control %zu: level %d type %d len %zu, %s\n", (size_t)mh.msg_controllen, ctl.h.cmsg_level,
               ctl.h.cmsg_type, (size_t)ctl.h.cmsg_len, labs(now.tv_sec - tv.tv_sec) < 10 ? "now" : "wrong time");
        mh.msg_controllen = 8;
        CHECK(recvmsg(s, &mh, 0)); printf("msg_flags %#x controllen %zu\n", mh.msg_flags, (size_t)mh.msg_controllen);
    }
    on = 0;
    CHECK(setsockopt(s, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof on));
    /* blocked: the echo request no longer, the reply still */
    filt = ~(1u << 0);
    CHECK(setsockopt(s, SOL_RAW, ICMP_FILTER, &filt, 2)); /* the first two bytes alone: the filter's low half */
    len = 4;
    CHECK(getsockopt(s, SOL_RAW, ICMP_FILTER, &filt, &len)); printf("ICMP_FILTER %#x\n", filt);
    filt = ~(1u << 0);
    CHECK(setsockopt(s, SOL_RAW, ICMP_FILTER, &filt, sizeof filt));
    while (readable(s, 100))
        recv(s, buf, sizeof buf, 0);
    echo(m, 8, 3, true);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    long n = next(s, buf, sizeof buf, true, 20, &from, &len);
    printf("after filter: %s seq %d\n", n < 0 ? "nothing" : buf[20] == 0 ? "reply" : "request",
           n < 0 ? -1 : get16(buf + 26));
    /* a bad checksum: no reply */
    echo(m, 8, 4, true);
    m[2] ^= 1;
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    printf("bad checksum: %s\n", next(s, buf, sizeof buf, true, 20, &from, &len) < 0 ? "no reply" : "a reply");
    /* to 127.0.0.2, from AF_UNSPEC's address: the reply comes from it */
    to = v4("127.0.0.2");
    to.sin_family = AF_UNSPEC;
    echo(m, 8, 5, true);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    if ((n = next(s, buf, sizeof buf, true, 20, &from, &len)) > 0)
        show_ip("reply", buf, n, false);
    /* the sends' errors */
    to = v4("127.0.0.1");
    CHECK(send(s, m, 16, 0));
    CHECK(sendto(s, m, 16, 0, SA(to), 8));
    to.sin_family = AF_INET6;
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    to.sin_family = AF_INET;
    CHECK(sendto(s, m, 16, MSG_OOB, SA(to), sizeof to));
    char *huge = calloc(1, 70000);
    CHECK(sendto(s, huge, 70000, 0, SA(to), sizeof to));
    free(huge);
    CHECK(recv(s, buf, sizeof buf, MSG_OOB));
    CHECK(recv(s, buf, sizeof buf, MSG_ERRQUEUE));
    CHECK(listen(s, 1));
    CHECK(accept(s, NULL, NULL));
    close(s);
}

/* What each of the four sockets fds took of a packet, its header and payload. */
static void each(const int *fds, const char *what)
{
    uint8_t buf[256];
    for (int i = 0; i < 4; i++) {
        long n = readable(fds[i], 200) ? recv(fds[i], buf, sizeof buf, 0) : -1;
        printf("socket %c: ", 'a' + i);
        if (n < 0) {
            printf("nothing\n");
            continue;
        }
        show_ip(what, buf, n, false);
        printf("  payload %.*s\n", (int)n - 20, buf + 20);
    }
}

/* A protocol no one uses (253, for experiments): copies to every raw socket of it. */
static void proto253(void)
{
    int a = socket(AF_INET, SOCK_RAW, 253), b = socket(AF_INET, SOCK_RAW, 253), c = socket(AF_INET, SOCK_RAW, 253),
        d = socket(AF_INET, SOCK_RAW, 253);
    struct sockaddr_in to = v4("127.0.0.1"), bnd = v4("127.0.0.2"), peer = v4("127.0.0.3"), nm;
    socklen_t nl = sizeof nm;
    uint8_t buf[256];
    CHECK(bind(c, SA(bnd), sizeof bnd));
    CHECK(getsockname(c, SA(nm), &nl)); printf("bound: %s port %d\n", inet_ntoa(nm.sin_addr), ntohs(nm.sin_port));
    CHECK(connect(d, SA(peer), sizeof peer));
    nl = sizeof nm;
    CHECK(getsockname(d, SA(nm), &nl)); printf("connected: %s port %d\n", inet_ntoa(nm.sin_addr), ntohs(nm.sin_port));
    CHECK(getpeername(d, SA(nm), &nl));
    CHECK(sendto(a, "hello", 5, 0, SA(to), sizeof to));
    int fds[4] = {a, b, c, d};
    each(fds, "got");
    CHECK(sendto(a, "two", 3, 0, SA(bnd), sizeof bnd)); /* c's address: a, b and c */
    for (int i = 0; i < 4; i++)
        printf("socket %c: %s\n", 'a' + i, readable(fds[i], 200) && recv(fds[i], buf, sizeof buf, 0) == 23 ? "two" : "-");
    /* from d's peer, with a TTL of its own: everyone (d from its peer) */
    int e = socket(AF_INET, SOCK_RAW, 253), ttl = 5;
    CHECK(bind(e, SA(peer), sizeof peer));
    CHECK(setsockopt(e, SOL_IP, IP_TTL, &ttl, sizeof ttl));
    CHECK(sendto(e, "three", 5, 0, SA(to), sizeof to));
    each(fds, "three");
    while (readable(e, 50))
        recv(e, buf, sizeof buf, 0);
    /* connected with a port: getpeername names it; d sends to its peer, which e (bound there) takes */
    peer.sin_port = htons(7);
    CHECK(connect(d, SA(peer), sizeof peer));
    nl = sizeof nm;
    CHECK(getpeername(d, SA(nm), &nl)); printf("peer: %s port %d\n", inet_ntoa(nm.sin_addr), ntohs(nm.sin_port));
    CHECK(send(d, "four", 4, 0));
    long n = readable(e, 200) ? recv(e, buf, sizeof buf, 0) : -1;
    printf("e: %ld%s\n", n, n > 0 && (get16(buf + 4) || !(buf[6] & 0x40)) ? " (id counts)" : "");
    struct sockaddr_in un = {.sin_family = AF_UNSPEC};
    CHECK(connect(d, SA(un), sizeof un));
    nl = sizeof nm;
    CHECK(getsockname(d, SA(nm), &nl)); printf("disconnected: %s port %d\n", inet_ntoa(nm.sin_addr), ntohs(nm.sin_port));
    CHECK(sendto(a, "five", 4, 0, SA(to), sizeof to)); /* unhashed by the disconnect: d takes nothing now */
    printf("after disconnect: a %s, d %s\n", readable(a, 200) ? "got it" : "-", readable(d, 200) ? "got it" : "-");
    recv(a, buf, sizeof buf, MSG_DONTWAIT);
    CHECK(bind(c, SA(bnd), 8));
    struct sockaddr_in far = v4("192.0.2.1");
    CHECK(bind(c, SA(far), sizeof far));
    for (int i = 0; i < 4; i++)
        close(fds[i]);
    close(e);
}

/* IP_HDRINCL and IPPROTO_RAW: the sender's header, its blanks filled. */
static void hdrincl(void)
{
    int r = socket(AF_INET, SOCK_RAW, IPPROTO_RAW), x = socket(AF_INET, SOCK_RAW, 253),
        y = socket(AF_INET, SOCK_RAW, 204), v = 0;
    socklen_t len = sizeof v;
    uint8_t p[64] = {0}, buf[256];
    CHECK(getsockopt(r, SOL_IP, IP_HDRINCL, &v, &len)); printf("IPPROTO_RAW's IP_HDRINCL %d\n", v);
    struct sockaddr_in to = v4("127.0.0.1");
    p[0] = 0x45, p[1] = 0x10, put16(p + 2, 999), p[8] = 9, p[9] = 253, put16(p + 10, 0x1234);
    inet_pton(AF_INET, "127.0.0.1", p + 16);
    memcpy(p + 20, "raw!", 4);
    CHECK(sendto(r, p, 24, 0, SA(to), sizeof to));
    long n = readable(x, 200) ? recv(x, buf, sizeof buf, 0) : -1;
    if (n > 0)
        show_ip("hdrincl", buf, n, true);
    p[6] = 0x40; /* DF: id 0 stays 0 */
    CHECK(sendto(r, p, 24, 0, SA(to), sizeof to));
    n = readable(x, 200) ? recv(x, buf, sizeof buf, 0) : -1;
    if (n > 0)
        show_ip("hdrincl DF", buf, n, true);
    CHECK(sendto(r, p, 10, 0, SA(to), sizeof to));
    p[0] = 0x4f;
    CHECK(sendto(r, p, 24, 0, SA(to), sizeof to));
    memset(p, 0xcc, sizeof p); /* not IPv4: sent, and dropped */
    struct sockaddr_in zero = {.sin_family = AF_INET};
    CHECK(sendto(r, p, 64, 0, SA(zero), sizeof zero));
    printf("0xcc packet: %s\n", readable(y, 200) ? "received" : "dropped");
    /* IP_HDRINCL on a protocol's socket */
    v = 1;
    CHECK(setsockopt(x, SOL_IP, IP_HDRINCL, &v, sizeof v));
    len = sizeof v;
    CHECK(getsockopt(x, SOL_IP, IP_HDRINCL, &v, &len)); printf("IP_HDRINCL %d\n", v);
    memset(p, 0, sizeof p);
    p[0] = 0x45, p[8] = 64, p[9] = 253;
    inet_pton(AF_INET, "127.0.0.9", p + 12), inet_pton(AF_INET, "127.0.0.1", p + 16);
    CHECK(sendto(x, p, 30, 0, SA(to), sizeof to));
    n = readable(x, 200) ? recv(x, buf, sizeof buf, 0) : -1;
    if (n > 0)
        show_ip("own header", buf, n, false);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    v = 1;
    CHECK(setsockopt(u, SOL_IP, IP_HDRINCL, &v, sizeof v));
    close(u), close(r), close(x), close(y);
}

static void icmp6(void)
{
    int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    struct sockaddr_in6 to = {.sin6_family = AF_INET6}, nm;
    socklen_t nl = sizeof nm;
    uint8_t m[16], buf[512];
    struct sockaddr_storage from;
    socklen_t len;
    CHECK(s >= 0);
    CHECK(getsockname(s, SA(nm), &nl)); printf("v6 name: port %d len %u\n", ntohs(nm.sin6_port), nl);
    struct icmp6_filter f;
    len = sizeof f;
    CHECK(getsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &f, &len)); printf("ICMP6_FILTER len %u\n", len);
    ICMP6_FILTER_SETBLOCKALL(&f);
    ICMP6_FILTER_SETPASS(128, &f);
    ICMP6_FILTER_SETPASS(129, &f);
    CHECK(setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f));
    inet_pton(AF_INET6, "::1", &to.sin6_addr);
    echo(m, 128, 1, false); /* the stack computes the checksum */
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    request_reply(s, true);
    /* IPV6_RECVHOPLIMIT: the reply's hop limit as a control message; IPV6_CHECKSUM's offset */
    int on = 1, off = 0;
    CHECK(setsockopt(s, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof on));
    len = sizeof off;
    CHECK(getsockopt(s, SOL_RAW, IPV6_CHECKSUM, &off, &len)); printf("IPV6_CHECKSUM %d\n", off);
    echo(m, 128, 2, false);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    for (int i = 0; i < 2 && readable(s, 300); i++) {
        recv_int_control(s, buf, sizeof buf, "v6");
        printf("type %d\n", buf[0]);
    }
    to.sin6_port = htons(17);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    to.sin6_port = 0;
    CHECK(sendto(s, m, 3, 0, SA(to), sizeof to));
    CHECK(sendto(s, m, 16, 0, SA(to), 20));
    struct sockaddr_in four = v4("127.0.0.1");
    CHECK(sendto(s, m, 16, 0, SA(four), sizeof four));
    CHECK(setsockopt(s, SOL_RAW, ICMP_FILTER, &f, 4));
    int o = socket(AF_INET6, SOCK_RAW, 253);
    CHECK(setsockopt(o, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f));
    CHECK(sendto(o, "six", 3, 0, SA(to), sizeof to));
    long n = readable(o, 200) ? recvfrom(o, buf, sizeof buf, 0, (struct sockaddr *)&from, &len) : -1;
    printf("v6 253: %ld %.*s\n", n, n > 0 ? (int)n : 0, buf);
    close(o), close(s);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    ident = (uint16_t)(0x4000 + getpid() % 0x3fff);
    errors();
    icmp4();
    proto253();
    hdrincl();
    icmp6();
    return 0;
}
