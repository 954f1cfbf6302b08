/*
 * tests/linux/c/pingsock.c - ping sockets (SOCK_DGRAM with IPPROTO_ICMP
 * or IPPROTO_ICMPV6).  Plain, it reads net.ipv4.ping_group_range and, at
 * Linux's default "1 0", sees socket refuse root and nobody (EACCES).
 * "pingsock persona-only" sets the range (which the host's root must not
 * change), as Linux takes it (a range upside down is "1 0"), and uses
 * ping sockets: the echo id the stack gives from the socket's port, the
 * echo replies (IP_RECVTTL's control message), bind's and send's
 * errors, a raw socket seeing the same packets, IPv6's, and a group of nobody's let in; then puts the range
 * back: tests/linux/c/pingsock.persona-only.expected is Linux 6.1's answer.
 */
#define _GNU_SOURCE
#include "check.h"
#include "cmsgint.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SA(a) ((struct sockaddr *)&(a))
#define RANGE "/proc/sys/net/ipv4/ping_group_range"

static void put16(uint8_t *d, uint16_t v) { d[0] = (uint8_t)(v >> 8), d[1] = (uint8_t)v; }
static uint16_t get16(const uint8_t *d) { return (uint16_t)(d[0] << 8 | d[1]); }

static int port_of(int fd)
{
    struct sockaddr_in6 a;
    socklen_t len = sizeof a;
    getsockname(fd, SA(a), &len);
    return ntohs(a.sin6_port);
}

static bool readable(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 300) == 1;
}

static void show_range(void)
{
    char buf[64];
    read_text(RANGE, buf, sizeof buf);
    printf("range: %s", buf);
}

static void set_range(const char *r)
{
    int opened;
    long n = write_text(RANGE, r, &opened);
    printf("write %s: %ld%s%s\n", r, n, n < 0 ? " " : "", n < 0 ? errno_name(errno) : "");
    show_range();
}

/* An echo request of seq, its id and checksum left for the stack to write. */
static void request(uint8_t *m, uint8_t type, uint16_t seq)
{
    memset(m, 0, 16);
    m[0] = type;
    put16(m + 4, 0x1234), put16(m + 6, seq);
    memcpy(m + 8, "pingsock", 8);
}

static void v4_pings(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    uint8_t m[16], buf[256];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)}, from;
    socklen_t len = sizeof from;
    int v;
    socklen_t vl = sizeof v;
    CHECK(s >= 0);
    CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl)); printf("SO_TYPE %d\n", v);
    CHECK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &vl)); printf("SO_PROTOCOL %d\n", v);
    printf("port before: %d\n", port_of(s));
    request(m, 8, 1);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    int id = port_of(s);
    printf("port after: %s\n", id ? "an id" : "0");
    long n = readable(s) ? recvfrom(s, buf, sizeof buf, 0, SA(from), &len) : -1;
    printf("ping socket got %ld: type %d code %d id %s seq %d data %.8s from %s port %d len %u\n", n, buf[0], buf[1],
           get16(buf + 4) == id ? "its own" : "other", get16(buf + 6), buf + 8, inet_ntoa(from.sin_addr),
           ntohs(from.sin_port), len);
    for (int i = 0; i < 2; i++) { /* the raw socket sees the request with the stack's id, and the reply */
        n = readable(raw) ? recv(raw, buf, sizeof buf, 0) : -1;
        printf("raw socket got %ld: type %d id %s seq %d\n", n, buf[20], get16(buf + 24) == id ? "its own" : "other",
               get16(buf + 26));
    }
    CHECK(readable(s));
    /* IP_RECVTTL: the reply's TTL as a control message, as iputils' ping reads it */
    int on = 1;
    CHECK(setsockopt(s, SOL_IP, IP_RECVTTL, &on, sizeof on));
    request(m, 8, 9);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    if (readable(s)) {
        recv_int_control(s, buf, sizeof buf, "recvmsg");
        printf("seq %d\n", get16(buf + 6));
    }
    while (readable(raw))
        recv(raw, buf, sizeof buf, 0);
    /* the sends' errors */
    request(m, 13, 2);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    request(m, 8, 2);
    m[1] = 1;
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    m[1] = 0;
    CHECK(sendto(s, m, 7, 0, SA(to), sizeof to));
    CHECK(sendto(s, m, 16, MSG_OOB, SA(to), sizeof to));
    CHECK(send(s, m, 16, 0));
    CHECK(sendto(s, m, 16, 0, SA(to), 8));
    to.sin_family = AF_INET6;
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    to.sin_family = AF_INET;
    CHECK(recv(s, buf, sizeof buf, MSG_OOB));
    CHECK(recv(s, buf, sizeof buf, MSG_DONTWAIT));
    /* bind: an id of its own choice, once */
    int b = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), b2 = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = htons(4242), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK(bind(b, SA(at), sizeof at));
    printf("bound port %d\n", port_of(b));
    CHECK(bind(b, SA(at), sizeof at));
    CHECK(bind(b2, SA(at), sizeof at));
    at.sin_addr.s_addr = htonl(0xc0000201);
    CHECK(bind(b2, SA(at), sizeof at));
    CHECK(bind(b2, SA(at), 8));
    request(m, 8, 3);
    CHECK(sendto(b, m, 16, 0, SA(to), sizeof to));
    n = readable(b) ? recv(b, buf, sizeof buf, 0) : -1;
    printf("bound got %ld: type %d id %d seq %d\n", n, buf[0], get16(buf + 4), get16(buf + 6));
    CHECK(connect(b2, SA(to), sizeof to));
    printf("connected port: %s\n", port_of(b2) ? "an id" : "0");
    request(m, 8, 4);
    CHECK(send(b2, m, 16, 0));
    n = readable(b2) ? recv(b2, buf, sizeof buf, 0) : -1;
    printf("connected got %ld: type %d seq %d\n", n, buf[0], get16(buf + 6));
    CHECK(listen(b2, 1));
    close(b), close(b2), close(s), close(raw);
}

static void v6_pings(void)
{
    int s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6);
    uint8_t m[16], buf[256];
    struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT}, from;
    socklen_t len = sizeof from;
    CHECK(s >= 0);
    request(m, 8, 1);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    request(m, 128, 1);
    CHECK(sendto(s, m, 16, 0, SA(to), sizeof to));
    long n = readable(s) ? recvfrom(s, buf, sizeof buf, 0, SA(from), &len) : -1;
    char txt[64];
    inet_ntop(AF_INET6, &from.sin6_addr, txt, sizeof txt);
    printf("v6 ping got %ld: type %d code %d id %s seq %d from %s len %u\n", n, buf[0], buf[1],
           get16(buf + 4) == port_of(s) ? "its own" : "other", get16(buf + 6), txt, len);
    close(s);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    bool persona = argc == 2 && !strcmp(argv[1], "persona-only");
    char buf[64];
    read_text(RANGE, buf, sizeof buf);
    if (strcmp(buf, "1\t0\n"))
        return 0; /* not Linux's default: nothing this program may say */
    show_range();
    CHECK(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
    if (!persona)
        return 0;
    set_range("100 50");
    set_range("0 0");
    set_range("-1 5");
    set_range("0 2147483648");
    set_range("0 2147483647");
    set_range("0 0");
    v4_pings();
    v6_pings();
    set_range("65534 65534"); /* nobody's group: nobody, not root */
    CHECK(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(1);
        int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        CHECK(s >= 0);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    set_range("1 0");
    return 0;
}
